package hpa

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Config holds the kube-controller-manager settings that shape the HPA
// controller. Defaults follow RecommendedDefaultHPAControllerConfiguration
// in pkg/controller/podautoscaler/config/v1alpha1/defaults.go and the
// feature-gate table of pkg/features/kube_features.go. Config is a plain
// comparable value so callers can detect the zero Config.
type Config struct {
	// SyncPeriod is --horizontal-pod-autoscaler-sync-period (15s): the
	// delay between two reconciles of one HPA.
	SyncPeriod time.Duration
	// Tolerance is --horizontal-pod-autoscaler-tolerance (0.1).
	Tolerance float64
	// DownscaleStabilization is
	// --horizontal-pod-autoscaler-downscale-stabilization (5m).
	DownscaleStabilization time.Duration
	// CPUInitializationPeriod is
	// --horizontal-pod-autoscaler-cpu-initialization-period (5m).
	CPUInitializationPeriod time.Duration
	// InitialReadinessDelay is
	// --horizontal-pod-autoscaler-initial-readiness-delay (30s).
	InitialReadinessDelay time.Duration
	// ConfigurableTolerance is the HPAConfigurableTolerance gate: when set,
	// behavior.scaleUp/scaleDown.tolerance replace the flag value per
	// direction (alpha 1.33, on by default from 1.35).
	ConfigurableTolerance bool
	// LegacyToleranceCheck selects the pre-1.33 test |1-ratio| <= tolerance
	// instead of the inclusive band [1-down, 1+up].
	LegacyToleranceCheck bool
	// PodLevelResources is the PodLevelResources gate: pod-level
	// spec.resources.requests replace the container sum for Utilization
	// targets (alpha 1.32, on by default from 1.34).
	PodLevelResources bool
	// ScaleToZero is the HPAScaleToZero gate (alpha 1.16, on by default
	// from 1.37): the API accepts minReplicas 0, and from 1.36 the
	// controller keeps the ScaledToZero condition and scales from zero
	// only when that condition allows it.
	ScaleToZero bool
	// KubernetesMinor is the release (1.x) whose controller code and API
	// validation apply where they differ between releases: validation
	// wording, metric error texts, overflow caps and the request of a
	// container a pod lacks. Gate defaults are the fields above. 0 means
	// the newest modelled release.
	KubernetesMinor int
}

// The modelled releases: DefaultKubernetesMinor is the release of
// DefaultConfig, NewestKubernetesMinor the newest one modelled.
const (
	DefaultKubernetesMinor = 35
	NewestKubernetesMinor  = 37
)

// minor is the release the config follows.
func (c Config) minor() int {
	if c.KubernetesMinor == 0 {
		return NewestKubernetesMinor
	}
	return c.KubernetesMinor
}

// DefaultConfig returns the controller defaults of Kubernetes 1.35, the
// release scenarios get unless they name one.
func DefaultConfig() Config {
	return Config{
		KubernetesMinor:         DefaultKubernetesMinor,
		SyncPeriod:              15 * time.Second,
		Tolerance:               0.1,
		DownscaleStabilization:  5 * time.Minute,
		CPUInitializationPeriod: 5 * time.Minute,
		InitialReadinessDelay:   30 * time.Second,
		ConfigurableTolerance:   true,
		PodLevelResources:       true,
	}
}

// oldestModelledMinor is the first release serving autoscaling/v2 as GA.
const oldestModelledMinor = 23

// ConfigForKubernetesVersion returns DefaultConfig with the gate defaults
// and tolerance form of the given release ("1.32", "v1.33.2", ...).
func ConfigForKubernetesVersion(v string) (Config, error) {
	s := strings.TrimPrefix(strings.TrimSpace(v), "v")
	parts := strings.SplitN(s, ".", 3)
	if len(parts) < 2 {
		return Config{}, fmt.Errorf("kubernetes version %q: want MAJOR.MINOR, e.g. 1.33", v)
	}
	major, err := strconv.Atoi(parts[0])
	if err != nil {
		return Config{}, fmt.Errorf("kubernetes version %q: bad major version", v)
	}
	// A pre-release or build suffix may follow the minor version only when
	// no patch part exists ("1.35-rc.0" is not a release name, keep it simple).
	minor, err := strconv.Atoi(parts[1])
	if err != nil || minor < 0 {
		return Config{}, fmt.Errorf("kubernetes version %q: bad minor version", v)
	}
	if len(parts) == 3 {
		patch := parts[2]
		if i := strings.IndexAny(patch, "-+"); i >= 0 {
			patch = patch[:i]
		}
		if _, err := strconv.Atoi(patch); err != nil {
			return Config{}, fmt.Errorf("kubernetes version %q: bad patch version", v)
		}
	}
	if major != 1 {
		return Config{}, fmt.Errorf("kubernetes version %q: only 1.x releases exist", v)
	}
	if minor < oldestModelledMinor {
		return Config{}, fmt.Errorf("kubernetes version %q: autoscaling/v2 needs 1.%d or newer", v, oldestModelledMinor)
	}
	if minor > NewestKubernetesMinor {
		return Config{}, fmt.Errorf("kubernetes version %q: newer than 1.%d, the newest modelled release", v, NewestKubernetesMinor)
	}
	c := DefaultConfig()
	c.KubernetesMinor = minor
	// pkg/features/kube_features.go: HPAConfigurableTolerance alpha 1.33
	// (off), beta 1.35 (on), GA 1.37; PodLevelResources alpha 1.32, beta
	// 1.34; HPAScaleToZero alpha 1.16, beta 1.37 (on).
	c.ConfigurableTolerance = minor >= 35
	c.PodLevelResources = minor >= 34
	c.ScaleToZero = minor >= 37
	// The inclusive per-direction band replaced |1-ratio| <= tol in 1.33
	// (replica_calculator.go: Tolerances.isWithin).
	c.LegacyToleranceCheck = minor < 33
	return c, nil
}

func (c Config) validate() error {
	var errs []string
	if c.SyncPeriod <= 0 {
		errs = append(errs, "syncPeriod must be positive")
	}
	if c.Tolerance < 0 || math.IsNaN(c.Tolerance) || math.IsInf(c.Tolerance, 0) {
		errs = append(errs, "tolerance must be a finite number >= 0")
	}
	if c.DownscaleStabilization < 0 {
		errs = append(errs, "downscaleStabilization must not be negative")
	}
	if c.CPUInitializationPeriod < 0 {
		errs = append(errs, "cpuInitializationPeriod must not be negative")
	}
	if c.InitialReadinessDelay < 0 {
		errs = append(errs, "initialReadinessDelay must not be negative")
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid controller config: %s", strings.Join(errs, "; "))
	}
	return nil
}

// Tolerances is the pair of usage-ratio tolerances one reconcile uses
// (replica_calculator.go: Tolerances).
type Tolerances struct {
	ScaleDown float64
	ScaleUp   float64
	// Legacy selects the pre-1.33 symmetric test on ScaleUp.
	Legacy bool
}

// UniformTolerances returns the same tolerance for both directions.
func UniformTolerances(t float64) Tolerances { return Tolerances{ScaleDown: t, ScaleUp: t} }

// IsWithin reports whether a usage ratio is close enough to 1 that the
// metric keeps the current replica count. The bounds are inclusive.
func (t Tolerances) IsWithin(usageRatio float64) bool {
	if t.Legacy {
		return math.Abs(1.0-usageRatio) <= t.ScaleUp
	}
	return (1.0-t.ScaleDown) <= usageRatio && usageRatio <= (1.0+t.ScaleUp)
}

// String renders the pair as the controller logs it.
func (t Tolerances) String() string {
	return fmt.Sprintf("[down:%.1f%%, up:%.1f%%]", t.ScaleDown*100, t.ScaleUp*100)
}

// TolerancesFor returns the tolerances the controller applies to one HPA:
// the flag value, overridden per direction by behavior tolerances when the
// gate is on (horizontal.go: tolerancesForHpa).
func (c Config) TolerancesFor(b *Behavior) Tolerances {
	t := Tolerances{ScaleDown: c.Tolerance, ScaleUp: c.Tolerance, Legacy: c.LegacyToleranceCheck}
	if b == nil || !c.ConfigurableTolerance {
		return t
	}
	if b.ScaleDown != nil && b.ScaleDown.Tolerance != nil {
		t.ScaleDown = *b.ScaleDown.Tolerance
	}
	if b.ScaleUp != nil && b.ScaleUp.Tolerance != nil {
		t.ScaleUp = *b.ScaleUp.Tolerance
	}
	return t
}
