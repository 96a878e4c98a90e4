package hpa

import (
	"math"
	"time"
)

// Recommendation is one stored raw metric recommendation
// (horizontal.go: timestampedRecommendation).
type Recommendation struct {
	Replicas int32
	Time     time.Time
}

// ScaleEvent is one applied scale change of one direction
// (horizontal.go: timestampedScaleEvent). Change is a positive magnitude.
type ScaleEvent struct {
	Change   int32
	Time     time.Time
	Outdated bool
}

// The legacy scale-up cap of horizontal.go (scaleUpLimitFactor,
// scaleUpLimitMinimum). Upstream unit tests raise the factor to 8, which
// is why LegacyScaleUpLimit takes it as a parameter.
const (
	DefaultScaleUpLimitFactor  = 2.0
	DefaultScaleUpLimitMinimum = 4.0
)

// The ScalingLimited reasons.
const (
	ReasonDesiredWithinRange = "DesiredWithinRange"
	ReasonScaleUpLimit       = "ScaleUpLimit"
	ReasonScaleDownLimit     = "ScaleDownLimit"
	ReasonTooManyReplicas    = "TooManyReplicas"
	ReasonTooFewReplicas     = "TooFewReplicas"
)

// The AbleToScale reasons set by normalization.
const (
	ReasonReadyForNewScale    = "ReadyForNewScale"
	ReasonScaleUpStabilized   = "ScaleUpStabilized"
	ReasonScaleDownStabilized = "ScaleDownStabilized"
)

const (
	msgWithinRange    = "the desired count is within the acceptable range"
	msgScaleUpLimit   = "the desired replica count is increasing faster than the maximum scale rate"
	msgScaleDownLimit = "the desired replica count is decreasing faster than the maximum scale rate"
	msgTooMany        = "the desired replica count is more than the maximum replica count"
	msgTooFew         = "the desired replica count is less than the minimum replica count"
	msgReady          = "recommended size matches current size"
	msgUpStabilized   = "recent recommendations were lower than current one, applying the lowest recent recommendation"
	msgDownStabilized = "recent recommendations were higher than current one, applying the highest recent recommendation"
)

// Limit is the outcome of a rate or range limit: the bounded replica count
// with the ScalingLimited reason and message.
type Limit struct {
	Replicas int32
	Reason   string
	Message  string
}

// LegacyScaleUpLimit is max(factor*current, minimum) truncated to int32
// (horizontal.go: calculateScaleUpLimit).
func LegacyScaleUpLimit(currentReplicas int32, factor, minimum float64) int32 {
	return toInt32(math.Max(factor*float64(currentReplicas), minimum))
}

// ConvertDesiredReplicasWithRules applies min, max and the legacy scale-up
// cap to a stabilized recommendation (horizontal.go:
// convertDesiredReplicasWithRules).
func ConvertDesiredReplicasWithRules(currentReplicas, desiredReplicas, minReplicas, maxReplicas int32, scaleUpLimitFactor, scaleUpLimitMinimum float64) Limit {
	upLimit := LegacyScaleUpLimit(currentReplicas, scaleUpLimitFactor, scaleUpLimitMinimum)
	maxAllowed, reason, msg := maxReplicas, ReasonTooManyReplicas, msgTooMany
	if maxReplicas > upLimit {
		maxAllowed, reason, msg = upLimit, ReasonScaleUpLimit, msgScaleUpLimit
	}
	if desiredReplicas < minReplicas {
		return Limit{minReplicas, ReasonTooFewReplicas, msgTooFew}
	}
	if desiredReplicas > maxAllowed {
		return Limit{maxAllowed, reason, msg}
	}
	return Limit{desiredReplicas, ReasonDesiredWithinRange, msgWithinRange}
}

// Stabilization is the outcome of a stabilization step.
type Stabilization struct {
	Replicas int32
	// Reason and Message are for the AbleToScale condition.
	Reason  string
	Message string
	// Considered are the stored recommendations that were inside a window.
	Considered []Recommendation
	// History is the recommendation list after recording the new raw
	// recommendation (a new slice; the input is not modified).
	History []Recommendation
}

// StabilizeLegacy is the downscale stabilization of the legacy path
// (horizontal.go: stabilizeRecommendation): the maximum of desired and
// every recommendation not older than window. The raw desired value
// replaces the last entry older than the window, or is appended.
func StabilizeLegacy(now time.Time, window time.Duration, history []Recommendation, desired int32) Stabilization {
	h, considered := stabilizationBuffers(history)
	return stabilizeLegacy(now, window, h, desired, considered)
}

// stabilizeLegacy is StabilizeLegacy over a history it may write in place,
// appending the considered entries to considered.
func stabilizeLegacy(now time.Time, window time.Duration, history []Recommendation, desired int32, considered []Recommendation) Stabilization {
	cutoff := now.Add(-window)
	out := Stabilization{Replicas: desired, Considered: considered}
	old := -1
	for i, r := range history {
		if r.Time.Before(cutoff) {
			old = i
			continue
		}
		out.Considered = append(out.Considered, r)
		out.Replicas = max(out.Replicas, r.Replicas)
	}
	out.History = record(history, old, Recommendation{desired, now})
	out.Considered = nilIfEmpty(out.Considered)
	if out.Replicas != desired {
		out.Reason, out.Message = ReasonScaleDownStabilized, msgDownStabilized
	} else {
		out.Reason, out.Message = ReasonReadyForNewScale, msgReady
	}
	return out
}

// stabilizationBuffers returns a copy of history with room for one more
// entry, and an empty slice with room for all of history, carved from one
// allocation: the public stabilization functions leave the caller's
// history untouched.
func stabilizationBuffers(history []Recommendation) (hist, considered []Recommendation) {
	n := len(history)
	buf := make([]Recommendation, 2*n+1)
	hist = buf[: n : n+1]
	copy(hist, history)
	return hist, buf[n+1 : n+1 : 2*n+1]
}

func nilIfEmpty(rs []Recommendation) []Recommendation {
	if len(rs) == 0 {
		return nil
	}
	return rs
}

// record stores r in h, over the entry at slot, or appended when slot is
// negative.
func record(h []Recommendation, slot int, r Recommendation) []Recommendation {
	if slot >= 0 {
		h[slot] = r
		return h
	}
	return append(h, r)
}

// windowArena hands out the Considered slices of an Autoscaler's
// successive decisions from shared chunks, so that a sync does not
// allocate one of its own. A slice once handed out is never written
// again, and its capacity ends at its length, so an append by whoever
// keeps the Decision copies instead of running into the next one.
type windowArena struct {
	buf []Recommendation
	// recycle alternates between two buffers, one per decision (see
	// Autoscaler.RecycleDecisions): room is called once per Reconcile.
	recycle bool
	spare   []Recommendation
}

// room returns an empty slice with capacity n at the end of the arena.
func (w *windowArena) room(n int) []Recommendation {
	if w.recycle {
		w.buf, w.spare = w.spare[:0], w.buf
		if cap(w.buf) < n {
			w.buf = make([]Recommendation, 0, max(64, 2*n))
		}
	}
	if cap(w.buf)-len(w.buf) < n {
		w.buf = make([]Recommendation, 0, max(1024, n))
	}
	return w.buf[len(w.buf) : len(w.buf) : len(w.buf)+n]
}

// keep marks used, which room returned, as handed out and caps it.
func (w *windowArena) keep(used []Recommendation) []Recommendation {
	w.buf = w.buf[:len(w.buf)+len(used)]
	return used[:len(used):len(used)]
}

// StabilizeWithBehavior is the two-window stabilization of the behavior
// path (horizontal.go: stabilizeRecommendationWithBehaviors). A scale-up
// goes only to the lowest recommendation of the up window, a scale-down
// only to the highest of the down window. A recommendation counts when it
// is younger than the window; one outside both windows is overwritten.
func StabilizeWithBehavior(now time.Time, upWindow, downWindow time.Duration, history []Recommendation, currentReplicas, desired int32) Stabilization {
	h, considered := stabilizationBuffers(history)
	return stabilizeWithBehavior(now, upWindow, downWindow, h, currentReplicas, desired, considered)
}

// stabilizeWithBehavior is StabilizeWithBehavior over a history it may
// write in place, appending the considered entries to considered.
func stabilizeWithBehavior(now time.Time, upWindow, downWindow time.Duration, history []Recommendation, currentReplicas, desired int32, considered []Recommendation) Stabilization {
	upCutoff, downCutoff := now.Add(-upWindow), now.Add(-downWindow)
	up, down := desired, desired
	out := Stabilization{Considered: considered}
	old := -1
	for i, r := range history {
		inUp, inDown := r.Time.After(upCutoff), r.Time.After(downCutoff)
		if inUp {
			up = min(up, r.Replicas)
		}
		if inDown {
			down = max(down, r.Replicas)
		}
		if inUp || inDown {
			out.Considered = append(out.Considered, r)
		}
		// Reused only once strictly older than both cutoffs: an entry
		// exactly one window old counts in neither window but keeps its
		// slot, as upstream does with one instant per sync.
		if r.Time.Before(upCutoff) && r.Time.Before(downCutoff) {
			old = i
		}
	}
	rec := currentReplicas
	if rec < up {
		rec = up
	}
	if rec > down {
		rec = down
	}
	out.Replicas = rec
	out.History = record(history, old, Recommendation{desired, now})
	out.Considered = nilIfEmpty(out.Considered)
	switch {
	case rec == desired:
		out.Reason, out.Message = ReasonReadyForNewScale, msgReady
	case desired >= currentReplicas:
		out.Reason, out.Message = ReasonScaleUpStabilized, msgUpStabilized
	default:
		out.Reason, out.Message = ReasonScaleDownStabilized, msgDownStabilized
	}
	return out
}

// ReplicasChangePerPeriod sums the changes of events younger than
// periodSeconds (horizontal.go: getReplicasChangePerPeriod).
func ReplicasChangePerPeriod(now time.Time, periodSeconds int32, events []ScaleEvent) int32 {
	cutoff := now.Add(-time.Duration(periodSeconds) * time.Second)
	var sum int32
	for _, e := range events {
		if e.Time.After(cutoff) {
			sum += e.Change
		}
	}
	return sum
}

// PolicyProposal is what one policy allows at this instant.
type PolicyProposal struct {
	Policy ScalingPolicy
	// PeriodStartReplicas is current minus scale-ups plus scale-downs of
	// the policy's period.
	PeriodStartReplicas int32
	Proposed            int32
}

func selectPolicy(r ScalingRules) ScalingPolicySelect {
	if r.SelectPolicy == nil {
		return MaxChangePolicySelect
	}
	return *r.SelectPolicy
}

// ScaleUpLimit is the highest count the scale-up policies allow now
// (horizontal.go: calculateScaleUpLimitWithScalingRules). Percent
// proposals are float64 and rounded up.
func ScaleUpLimit(now time.Time, currentReplicas int32, upEvents, downEvents []ScaleEvent, rules ScalingRules) (int32, []PolicyProposal) {
	sel := selectPolicy(rules)
	if sel == DisabledPolicySelect {
		return currentReplicas, nil
	}
	result, pick := int32(math.MinInt32), maxInt32
	if sel == MinChangePolicySelect {
		result, pick = math.MaxInt32, minInt32
	}
	props := make([]PolicyProposal, 0, len(rules.Policies))
	for _, p := range rules.Policies {
		start := periodStart(now, currentReplicas, p.PeriodSeconds, upEvents, downEvents)
		var proposed int32
		switch p.Type {
		case PodsScalingPolicy:
			proposed = start + p.Value
		case PercentScalingPolicy:
			proposed = ceilToInt32(float64(start) * (1 + float64(p.Value)/100))
		}
		props = append(props, PolicyProposal{p, start, proposed})
		result = pick(result, proposed)
	}
	return result, props
}

// ScaleDownLimit is the lowest count the scale-down policies allow now
// (horizontal.go: calculateScaleDownLimitWithBehaviors). Percent proposals
// are float64 and truncated.
func ScaleDownLimit(now time.Time, currentReplicas int32, upEvents, downEvents []ScaleEvent, rules ScalingRules) (int32, []PolicyProposal) {
	sel := selectPolicy(rules)
	if sel == DisabledPolicySelect {
		return currentReplicas, nil
	}
	result, pick := int32(math.MaxInt32), minInt32
	if sel == MinChangePolicySelect {
		result, pick = math.MinInt32, maxInt32
	}
	props := make([]PolicyProposal, 0, len(rules.Policies))
	for _, p := range rules.Policies {
		start := periodStart(now, currentReplicas, p.PeriodSeconds, upEvents, downEvents)
		var proposed int32
		switch p.Type {
		case PodsScalingPolicy:
			proposed = start - p.Value
		case PercentScalingPolicy:
			proposed = toInt32(float64(start) * (1 - float64(p.Value)/100))
		}
		props = append(props, PolicyProposal{p, start, proposed})
		result = pick(result, proposed)
	}
	return result, props
}

func maxInt32(a, b int32) int32 { return max(a, b) }

func minInt32(a, b int32) int32 { return min(a, b) }

func periodStart(now time.Time, current, period int32, up, down []ScaleEvent) int32 {
	return current - ReplicasChangePerPeriod(now, period, up) + ReplicasChangePerPeriod(now, period, down)
}

// RateArgs are the inputs of the behavior rate limits.
type RateArgs struct {
	CurrentReplicas int32
	// DesiredReplicas is the stabilized recommendation.
	DesiredReplicas int32
	MinReplicas     int32
	MaxReplicas     int32
	// ScaleUp and ScaleDown are the defaulted rules (see DefaultBehavior).
	ScaleUp, ScaleDown ScalingRules
	UpEvents           []ScaleEvent
	DownEvents         []ScaleEvent
}

// RateLimit is the outcome of the behavior rate limits.
type RateLimit struct {
	Limit
	// Bound is the policy limit (after clamping to current) in the
	// direction of the change; Policies what each policy proposed.
	Bound    int32
	Policies []PolicyProposal
}

// ConvertDesiredReplicasWithBehaviorRate bounds a stabilized recommendation
// by the policies of its direction and by min/max (horizontal.go:
// convertDesiredReplicasWithBehaviorRate). Max is enforced only on the way
// up and min only on the way down; a policy limit past current never
// reverses the direction.
func ConvertDesiredReplicasWithBehaviorRate(now time.Time, a RateArgs) RateLimit {
	switch {
	case a.DesiredReplicas > a.CurrentReplicas:
		limit, props := ScaleUpLimit(now, a.CurrentReplicas, a.UpEvents, a.DownEvents, a.ScaleUp)
		limit = max(limit, a.CurrentReplicas)
		out := RateLimit{Bound: limit, Policies: props}
		maxAllowed, reason, msg := a.MaxReplicas, ReasonTooManyReplicas, msgTooMany
		if maxAllowed > limit {
			maxAllowed, reason, msg = limit, ReasonScaleUpLimit, msgScaleUpLimit
		}
		if a.DesiredReplicas > maxAllowed {
			out.Limit = Limit{maxAllowed, reason, msg}
			return out
		}
		out.Limit = Limit{a.DesiredReplicas, ReasonDesiredWithinRange, msgWithinRange}
		return out
	case a.DesiredReplicas < a.CurrentReplicas:
		limit, props := ScaleDownLimit(now, a.CurrentReplicas, a.UpEvents, a.DownEvents, a.ScaleDown)
		limit = min(limit, a.CurrentReplicas)
		out := RateLimit{Bound: limit, Policies: props}
		minAllowed, reason, msg := a.MinReplicas, ReasonTooFewReplicas, msgTooFew
		if minAllowed < limit {
			minAllowed, reason, msg = limit, ReasonScaleDownLimit, msgScaleDownLimit
		}
		if a.DesiredReplicas < minAllowed {
			out.Limit = Limit{minAllowed, reason, msg}
			return out
		}
		out.Limit = Limit{a.DesiredReplicas, ReasonDesiredWithinRange, msgWithinRange}
		return out
	}
	return RateLimit{Limit: Limit{a.DesiredReplicas, ReasonDesiredWithinRange, msgWithinRange}, Bound: a.CurrentReplicas}
}

// LongestPolicyPeriod is the longest periodSeconds of a rule set
// (horizontal.go: getLongestPolicyPeriod).
func LongestPolicyPeriod(rules *ScalingRules) int32 {
	var longest int32
	if rules == nil {
		return 0
	}
	for _, p := range rules.Policies {
		longest = max(longest, p.PeriodSeconds)
	}
	return longest
}

// StoreScaleEvent records an applied change of one direction
// (horizontal.go: storeScaleEvent with markScaleEventsOutdated): events
// older than the longest policy period of that direction are marked
// outdated and the last outdated slot is reused, else the event is
// appended. It returns a new slice.
func StoreScaleEvent(now time.Time, rules *ScalingRules, events []ScaleEvent, change int32) []ScaleEvent {
	cutoff := now.Add(-time.Duration(LongestPolicyPeriod(rules)) * time.Second)
	out := append([]ScaleEvent(nil), events...)
	slot := -1
	for i := range out {
		// Outdated only once strictly older than the longest period of
		// its own direction. It may still count in the other direction's
		// periods (getReplicasChangePerPeriod reads both lists), so
		// reusing its slot early would change a limit.
		if out[i].Time.Before(cutoff) {
			out[i].Outdated = true
		}
		if out[i].Outdated {
			slot = i
		}
	}
	e := ScaleEvent{Change: change, Time: now}
	if slot >= 0 {
		out[slot] = e
		return out
	}
	return append(out, e)
}

// ScaleEvents are the per-direction event lists of one HPA.
type ScaleEvents struct {
	Up   []ScaleEvent
	Down []ScaleEvent
}

// RecordScale stores the scale event of a successful rescale from prev to
// next. Nothing is stored when behavior is nil (the legacy path never
// reads events). behavior must be defaulted (DefaultBehavior).
func RecordScale(now time.Time, behavior *Behavior, events ScaleEvents, prev, next int32) ScaleEvents {
	if behavior == nil {
		return events
	}
	switch {
	case next > prev:
		events.Up = StoreScaleEvent(now, behavior.ScaleUp, events.Up, next-prev)
	case next < prev:
		events.Down = StoreScaleEvent(now, behavior.ScaleDown, events.Down, prev-next)
	}
	return events
}

// DefaultBehavior applies the autoscaling/v2 API defaults to a non-nil
// behavior (pkg/apis/autoscaling/v2/defaults.go:
// SetDefaults_HorizontalPodAutoscalerBehavior, GenerateHPAScaleUpRules,
// GenerateHPAScaleDownRules) and then fills a missing scale-down window
// with the controller flag, as maybeInitScaleDownStabilizationWindow does.
// nil stays nil. The result shares nothing with the input.
func DefaultBehavior(b *Behavior, downscaleStabilization time.Duration) *Behavior {
	if b == nil {
		return nil
	}
	maxSel := MaxChangePolicySelect
	zero := int32(0)
	up := copyRules(b.ScaleUp, ScalingRules{
		StabilizationWindowSeconds: &zero,
		SelectPolicy:               &maxSel,
		Policies: []ScalingPolicy{
			{Type: PodsScalingPolicy, Value: 4, PeriodSeconds: 15},
			{Type: PercentScalingPolicy, Value: 100, PeriodSeconds: 15},
		},
	})
	down := copyRules(b.ScaleDown, ScalingRules{
		SelectPolicy: &maxSel,
		Policies:     []ScalingPolicy{{Type: PercentScalingPolicy, Value: 100, PeriodSeconds: 15}},
	})
	if down.StabilizationWindowSeconds == nil {
		w := int32(downscaleStabilization / time.Second)
		down.StabilizationWindowSeconds = &w
	}
	return &Behavior{ScaleUp: &up, ScaleDown: &down}
}

// copyRules mirrors copyHPAScalingRules: each field set in from replaces
// the default; a given policy list replaces the default list whole.
func copyRules(from *ScalingRules, to ScalingRules) ScalingRules {
	if from == nil {
		return to
	}
	if from.SelectPolicy != nil {
		v := *from.SelectPolicy
		to.SelectPolicy = &v
	}
	if from.StabilizationWindowSeconds != nil {
		v := *from.StabilizationWindowSeconds
		to.StabilizationWindowSeconds = &v
	}
	if from.Policies != nil {
		to.Policies = append([]ScalingPolicy{}, from.Policies...)
	}
	if from.Tolerance != nil {
		v := *from.Tolerance
		to.Tolerance = &v
	}
	return to
}

func windowOf(r *ScalingRules) time.Duration {
	if r == nil || r.StabilizationWindowSeconds == nil {
		return 0
	}
	return time.Duration(*r.StabilizationWindowSeconds) * time.Second
}
