package keda

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultVersion is the newest KEDA release the model follows (v2.20.2,
// tagged 2026-07-31).
const DefaultVersion = "2.20.2"

// DevVersion named the main branch before v2.21.0 was tagged with
// kedacore/keda#8031 and #8073 ("main" still selects it). It behaves as
// v2.21.0 except for the pollingInterval warning, whose final wording only
// came with the release.
const DevVersion = "2.21.0-dev"

// Release2210 is KEDA v2.21.0, the first release with kedacore/keda#8031
// (the scale loop reuses the HPA's observations when pollingInterval is
// not relevant) and #8073 (metric records survive scaler errors).
const Release2210 = "2.21.0"

// releases are the KEDA releases modelled, oldest first. OpenShift's
// Custom Metrics Autoscaler ships them under the same numbers: 2.14.1
// (OpenShift Dedicated and older clusters), 2.15.1, 2.17.2, 2.18.1 (the
// GA operator of OCP 4.12 to 4.21) and 2.19.0.
var releases = []string{
	"2.14.0", "2.14.1", "2.15.0", "2.15.1", "2.16.0", "2.16.1", "2.17.0", "2.17.1", "2.17.2",
	"2.18.0", "2.18.1", "2.18.2", "2.18.3", "2.19.0", "2.20.0", "2.20.1", "2.20.2", Release2210,
}

// features lists the behaviours that differ between the modelled KEDA
// versions. Each field names the upstream change and the release that
// introduced it (kedacore/keda CHANGELOG.md and the code at each tag).
type features struct {
	// roundedMilli: metric values and targets become quantities through
	// fmt "%.3f" (round half to even of the decimal expansion), NaN and Inf
	// become 0 (pkg/scalers/scaler.go quantityFromFloat64, #7534, v2.20.0).
	// Before: int64(value*1000), a truncation toward zero.
	roundedMilli bool
	// negativeAsZero: negative metric values become 0 in the quantity
	// (quantityFromFloat64, #7880, v2.20.2).
	negativeAsZero bool
	// nanIsNull: a NaN query result is handled like Inf (ignoreNullValues),
	// instead of flowing through as a value (prometheus_scaler.go
	// ExecutePromQuery, #7522, v2.20.0).
	nanIsNull bool
	// nameLength: the webhook rejects names longer than 63 characters
	// (verifyName, #6998, v2.20.0).
	nameLength bool
	// fallbackScalingModifiers: fallback.behavior "scalingModifiers" exists
	// (#7790, v2.20.0).
	fallbackScalingModifiers bool
	// pollFromHPA: when pollingInterval is not relevant the scale loop
	// reuses the metric records of the HPA's queries instead of querying the
	// sources (scale_handler.go hpaObservedRecord, #8031, v2.21.0).
	pollFromHPA bool
	// keepRecordsOnError: a scaler error no longer deletes the cached metric
	// records of the ScaledObject (ClearScalersCache, #8073, v2.21.0).
	keepRecordsOnError bool
	// releasedWarnings: v2.21.0's pollingInterval warning, raised exactly
	// when the scale loop reuses HPA observations (UsesHPAObservations).
	releasedWarnings bool
	// pollFallback: fallback also applies in the scale loop, so a failing
	// trigger past failureThreshold counts as active (scale_handler.go
	// getScalerState, #7239, v2.19.0). Before, only the HPA's metric
	// requests apply it and the poll sees the error.
	pollFallback bool
	// fallbackBehavior: fallback.behavior exists (#6312, v2.17.0); before
	// the field is pruned by the CRD and fallback is static.
	fallbackBehavior bool
	// fallbackValue: fallback applies to Value targets too, dividing by
	// the ready pods (#6655, v2.18.0); before only AverageValue metrics
	// fall back (fallback.go isFallbackEnabled).
	fallbackValue bool
	// directFallbackWrite: an inactive ScaledObject with a failing trigger
	// and fallback.replicas > 0 gets fallback.replicas written by the
	// executor at once, whatever failureThreshold (scale_scaledobjects.go
	// doFallbackScaling, removed in v2.17.0 by 914163cb3).
	directFallbackWrite bool
	// fallbackAdmission: the webhook refuses an invalid fallback
	// (verifyFallback, #6407, v2.17.0); before it admits it and fallback
	// is off at run time.
	fallbackAdmission bool
	// scaleInOutAnnotations: paused-scale-in, paused-scale-out and
	// force-activation exist (#6901, #7023, #6907, v2.18.0).
	scaleInOutAnnotations bool
	// pausedInitFalse: the Paused condition starts False, not Unknown
	// (GetInitializedConditions, #7011, v2.18.0).
	pausedInitFalse bool
	// noFallbackCondition: the reconciler sets Fallback=False
	// NoFallbackFound when there is no valid fallback (#5659, v2.16.0);
	// before it stays Unknown.
	noFallbackCondition bool
	// hpaActiveCondition: a separate HPAActive condition reports the
	// HPA's health (#7914, v2.20.2); in v2.20.0 and v2.20.1 it went into
	// Ready.
	hpaActiveCondition bool
	// cronInactiveZero: the cron trigger reads 0 outside its window
	// (#6886, v2.18.0); before it reads 1.
	cronInactiveZero bool
	// cronDesiredPositive: desiredReplicas 0 is refused (v2.16.0).
	cronDesiredPositive bool
	// cronCommaName: a comma of a cron expression is written Cm in the
	// metric name (#7449, v2.20.0).
	cronCommaName bool
	// kafkaEarliestScaleToZero: scaleToZeroOnInvalidOffset also applies
	// with offsetResetPolicy earliest (#5689, v2.15.0).
	kafkaEarliestScaleToZero bool
	// replicaBoundsAtAdmission: min > max and idle >= min are refused by
	// the webhook (#7562, v2.20.0); before they are admitted and every
	// reconcile fails, so the ScaledObject never scales.
	replicaBoundsAtAdmission bool

	// ScaledJob (section 1.10 of the notes on scale_jobs.go):
	// eagerStrategy: scalingStrategy eager exists (#5872, v2.15.0); before
	// it selects default.
	eagerStrategy bool
	// accuratePending: the accurate strategy subtracts pending jobs in its
	// test (S + r - p > M) (#7329, v2.19.0).
	accuratePending bool
	// pendingPerPod: pendingPodConditions are matched within one pod
	// (#6727, v2.18.0); before, matches were counted across pods.
	pendingPerPod bool
	// customNilDeduction: custom without customScalingQueueLengthDeduction
	// works (0) (#7798, v2.20.2); before, the operator panics.
	customNilDeduction bool
	// defaultStrategyEnum: the CRD enum of scalingStrategy.strategy has
	// "default" (#7858, v2.20.2); v2.20.0 and v2.20.1 refuse it.
	defaultStrategyEnum bool
	// crdEnums: the ScaledJob CRD has enum and minimum rules (v2.20.0).
	crdEnums bool
}

// atLeast compares release a with b ("2.18.1" >= "2.18.0").
func atLeast(a, b string) bool {
	pa, pb := versionParts(a), versionParts(b)
	for i := range pa {
		if pa[i] != pb[i] {
			return pa[i] > pb[i]
		}
	}
	return true
}

func versionParts(v string) [3]int {
	var out [3]int
	v, _, _ = strings.Cut(v, "-")
	for i, p := range strings.SplitN(v, ".", 3) {
		out[i], _ = strconv.Atoi(p)
	}
	return out
}

// featuresOf derives the features of a release (or DevVersion) from the
// release that introduced each.
func featuresOf(v string) features {
	dev := v == DevVersion
	at := func(release string) bool { return dev || atLeast(v, release) }
	return features{
		roundedMilli:             at("2.20.0"),
		negativeAsZero:           at("2.20.2"),
		nanIsNull:                at("2.20.0"),
		nameLength:               at("2.20.0"),
		fallbackScalingModifiers: at("2.20.0"),
		pollFromHPA:              at(Release2210),
		keepRecordsOnError:       at(Release2210),
		releasedWarnings:         !dev && atLeast(v, Release2210),
		pollFallback:             at("2.19.0"),
		fallbackBehavior:         at("2.17.0"),
		fallbackValue:            at("2.18.0"),
		directFallbackWrite:      !at("2.17.0"),
		fallbackAdmission:        at("2.17.0"),
		scaleInOutAnnotations:    at("2.18.0"),
		pausedInitFalse:          at("2.18.0"),
		noFallbackCondition:      at("2.16.0"),
		hpaActiveCondition:       at("2.20.2"),
		cronInactiveZero:         at("2.18.0"),
		cronDesiredPositive:      at("2.16.0"),
		cronCommaName:            at("2.20.0"),
		kafkaEarliestScaleToZero: at("2.15.0"),
		replicaBoundsAtAdmission: at("2.20.0"),
		eagerStrategy:            at("2.15.0"),
		accuratePending:          at("2.19.0"),
		pendingPerPod:            at("2.18.0"),
		customNilDeduction:       at("2.20.2"),
		defaultStrategyEnum:      at("2.20.2"),
		crdEnums:                 at("2.20.0"),
	}
}

// SupportedVersions lists the KEDA versions the model knows, oldest
// first: every release, then DevVersion.
func SupportedVersions() []string {
	return append(append([]string(nil), releases...), DevVersion)
}

// ResolveVersion resolves a version as users write it: "" (DefaultVersion),
// a release with or without a leading "v" ("2.18.1", "v2.18.1"), a minor
// release ("2.18": its newest modelled patch), or "main" (DevVersion).
func ResolveVersion(version string) (string, error) {
	v := strings.TrimPrefix(strings.TrimSpace(version), "v")
	switch v {
	case "":
		return DefaultVersion, nil
	case "main", DevVersion:
		return DevVersion, nil
	}
	for _, r := range releases {
		if r == v {
			return r, nil
		}
	}
	if strings.Count(v, ".") == 1 {
		newest := ""
		for _, r := range releases {
			if strings.HasPrefix(r, v+".") {
				newest = r
			}
		}
		if newest != "" {
			return newest, nil
		}
	}
	return "", fmt.Errorf("unsupported KEDA version %q: supported are %s (a minor version such as 2.18 means its newest patch), and main (%s, unreleased)",
		version, strings.Join(releases, ", "), DevVersion)
}

// lookupVersion resolves a version and its features.
func lookupVersion(version string) (string, features, error) {
	v, err := ResolveVersion(version)
	if err != nil {
		return "", features{}, err
	}
	return v, featuresOf(v), nil
}
