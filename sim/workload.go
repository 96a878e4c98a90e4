package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Distribution is a seeded random duration: uniform in [Min, Max] when
// Max > 0, otherwise normal with Mean and Stddev, clamped at 0.
type Distribution struct {
	Min, Max     time.Duration
	Mean, Stddev time.Duration
}

// Draw returns one duration, rounded to tick (durations drive the
// virtual clock, which only moves in ticks).
func (d Distribution) Draw(r *rand.Rand, tick time.Duration) time.Duration {
	var x float64
	if d.Max > 0 {
		x = float64(d.Min) + r.Float64()*float64(d.Max-d.Min)
	} else {
		x = float64(d.Mean) + r.NormFloat64()*float64(d.Stddev)
	}
	x = max(x, 0)
	if tick > 0 {
		x = math.Round(x/float64(tick)) * float64(tick)
	}
	return time.Duration(x)
}

func (d Distribution) validate() error {
	switch {
	case d.Max > 0 && (d.Min < 0 || d.Min > d.Max):
		return fmt.Errorf("uniform min %s must be between 0 and max %s", d.Min, d.Max)
	case d.Max == 0 && (d.Mean < 0 || d.Stddev < 0):
		return fmt.Errorf("normal mean %s and stddev %s must not be negative", d.Mean, d.Stddev)
	}
	return nil
}

// Resources are the workload's container and how much of each resource
// it uses, for Resource and ContainerResource metrics (metrics-server).
type Resources struct {
	// Container is the container's name (default "app").
	Container string
	// RequestsMilli is the container's resources.requests in milli-units
	// (cpu 500m = 500, memory 1Mi = 1048576000), the denominator of
	// Utilization targets.
	RequestsMilli map[string]int64
	// Usage models the usage of "cpu" and "memory" per pod.
	Usage map[string]Usage
	// Sidecars are the pod's other containers. Their requests count in
	// Utilization targets, since the HPA sums the requests of every
	// container of a pod (kubernetes pkg/controller/podautoscaler
	// replica_calculator.go calculatePodRequests); metrics-server
	// reports them with no usage.
	Sidecars []Container
}

// Container is a container of the workload's pods besides the one that
// carries the load.
type Container struct {
	Name string
	// RequestsMilli are its resources.requests in milli-units.
	RequestsMilli map[string]int64
}

// Usage is one resource's usage by a pod: BaseMilli plus PerUnitMilli
// times the pod's share of load Loads[Load] (open connections for the
// Connections model, served items per second for Requests and Queue).
type Usage struct {
	BaseMilli    float64
	PerUnitMilli float64
	Load         int
}

// Crash makes pods fail at an instant: Pod picks one by its index among
// the workload's pods in creation order (0 is the oldest), or Count fails
// the Count oldest ones. A failed pod leaves the endpoints at once and
// the ReplicaSet creates a replacement in the same tick.
type Crash struct {
	At    time.Duration
	Pod   int
	Count int
}

func (w Workload) validate(loads int) []error {
	var errs []error
	if w.PodStartupDist != nil {
		if err := w.PodStartupDist.validate(); err != nil {
			errs = append(errs, fmt.Errorf("workload podStartup: %w", err))
		}
	}
	for _, name := range sortedNames(w.Resources.Usage) {
		u := w.Resources.Usage[name]
		if name != "cpu" && name != "memory" {
			errs = append(errs, fmt.Errorf("workload resources usage: unknown resource %q; allowed: cpu, memory", name))
		}
		if u.PerUnitMilli != 0 && (u.Load < 0 || u.Load >= loads) {
			errs = append(errs, fmt.Errorf("workload resources usage %s: perUnit needs load %d, but there are %d loads", name, u.Load, loads))
		}
	}
	for i, c := range w.Crashes {
		if c.At < 0 || c.Pod < 0 || c.Count < 0 {
			errs = append(errs, fmt.Errorf("workload crashes[%d]: at, pod and count must not be negative", i))
		}
	}
	return errs
}

// Independent random streams, so that turning on noise does not change
// the pods' startup delays and vice versa.
const (
	streamStartup = iota + 1
	streamNoise
)

func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}
