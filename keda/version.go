package keda

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultVersion is the newest KEDA release the model follows (v2.20.2,
// tagged 2026-07-31).
const DefaultVersion = "2.20.2"

// DevVersion names the unreleased main branch after kedacore/keda#8031
// (merged 2026-08) and #8073. It is not a release; choose it to preview the
// pollingInterval change.
const DevVersion = "2.21.0-dev"

// features lists the behaviours that differ between the modelled KEDA
// versions. Each field names the upstream change that introduced it.
type features struct {
	// roundedMilli: metric values and targets become quantities through
	// fmt "%.3f" (round half to even of the decimal expansion), NaN and Inf
	// become 0 (pkg/scalers/scaler.go quantityFromFloat64, #7534, v2.20.0).
	// Before: int64(value*1000), a truncation toward zero.
	roundedMilli bool
	// negativeAsZero: negative metric values become 0 in the quantity
	// (quantityFromFloat64, #7880/#7889, v2.20.2).
	negativeAsZero bool
	// nanIsNull: a NaN query result is handled like Inf (ignoreNullValues),
	// instead of flowing through as a value (prometheus_scaler.go
	// ExecutePromQuery, #7522, v2.20.0).
	nanIsNull bool
	// nameLength: the webhook rejects names longer than 63 characters
	// (verifyName, #7762, v2.20.0).
	nameLength bool
	// fallbackScalingModifiers: fallback.behavior "scalingModifiers" exists
	// (#7790, v2.20.0).
	fallbackScalingModifiers bool
	// pollFromHPA: when pollingInterval is not relevant the scale loop
	// reuses the metric records of the HPA's queries instead of querying the
	// sources (scale_handler.go hpaObservedRecord, #8031, unreleased).
	pollFromHPA bool
	// keepRecordsOnError: a scaler error no longer deletes the cached metric
	// records of the ScaledObject (ClearScalersCache, #8073, unreleased).
	keepRecordsOnError bool
}

var versionFeatures = map[string]features{
	"2.19.0": {},
	"2.20.0": {roundedMilli: true, nanIsNull: true, nameLength: true, fallbackScalingModifiers: true},
	"2.20.1": {roundedMilli: true, nanIsNull: true, nameLength: true, fallbackScalingModifiers: true},
	"2.20.2": {roundedMilli: true, negativeAsZero: true, nanIsNull: true, nameLength: true, fallbackScalingModifiers: true},
	DevVersion: {roundedMilli: true, negativeAsZero: true, nanIsNull: true, nameLength: true,
		fallbackScalingModifiers: true, pollFromHPA: true, keepRecordsOnError: true},
}

// SupportedVersions lists the KEDA versions the model knows, oldest first.
func SupportedVersions() []string {
	out := make([]string, 0, len(versionFeatures))
	for v := range versionFeatures {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// lookupVersion resolves a version string; "" means DefaultVersion and a
// leading "v" is accepted.
func lookupVersion(version string) (string, features, error) {
	v := strings.TrimPrefix(strings.TrimSpace(version), "v")
	if v == "" {
		v = DefaultVersion
	}
	f, ok := versionFeatures[v]
	if !ok {
		return "", features{}, fmt.Errorf("unsupported KEDA version %q: supported versions are %s", version, strings.Join(SupportedVersions(), ", "))
	}
	return v, f, nil
}
