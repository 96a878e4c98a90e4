package hpa

import (
	"errors"
	"fmt"
	"time"
)

// ConditionType is an HPA status condition type.
type ConditionType string

// The HPA condition types of autoscaling/v2.
const (
	AbleToScale    ConditionType = "AbleToScale"
	ScalingActive  ConditionType = "ScalingActive"
	ScalingLimited ConditionType = "ScalingLimited"
	// ScaledToZero (1.36+, HPAScaleToZero) records that the controller
	// itself scaled the target to zero, which is what allows it to scale
	// from zero again.
	ScaledToZero ConditionType = "ScaledToZero"
)

// Condition statuses.
const (
	ConditionTrue  = "True"
	ConditionFalse = "False"
)

// Condition is one entry of status.conditions.
type Condition struct {
	Type               ConditionType
	Status             string
	Reason             string
	Message            string
	LastTransitionTime time.Time
}

// Event types.
const (
	EventNormal  = "Normal"
	EventWarning = "Warning"
)

// Event is one Kubernetes event the controller records on the HPA.
type Event struct {
	Type    string
	Reason  string
	Message string
}

// Decision paths: which branch of reconcileAutoscaler ran.
const (
	PathScalingDisabled = "ScalingDisabled"
	PathAboveMax        = "AboveMaxReplicas"
	PathBelowMin        = "BelowMinReplicas"
	PathMetrics         = "Metrics"
	PathMetricsFailed   = "MetricsFailed"
	PathInvalidInput    = "InvalidInput"
)

// MetricResult is the outcome of one spec metric at one reconcile.
type MetricResult struct {
	Type MetricSourceType
	// Description is the metric's name as the controller words it in
	// reasons and messages, e.g. "cpu resource utilization (percentage of
	// request)" or "external metric s0-prometheus(&LabelSelector{...})".
	Description string
	Proposal    int32
	UsageRatio  float64
	// CurrentValue is the status value in kubectl form ("50%", "250m",
	// "5"), "<unknown>" when the metric failed.
	CurrentValue string
	// Details is the calculator output behind the proposal.
	Details Proposal
	// Err is the error as wrapped for the reconcile error; ConditionReason
	// the FailedGet...Metric reason.
	Err             error
	ConditionReason string
}

// Decision is the full breakdown of one reconcile.
type Decision struct {
	Time time.Time
	// Path is the reconcile branch taken (Path... constants).
	Path string
	// CurrentReplicas is scale.spec.replicas at the start; StatusReplicas
	// scale.status.replicas.
	CurrentReplicas int32
	StatusReplicas  int32
	MinReplicas     int32
	MaxReplicas     int32
	// DesiredReplicas is what the scale subresource is set to; it equals
	// CurrentReplicas when nothing is rescaled.
	DesiredReplicas int32
	// StatusDesiredReplicas is status.desiredReplicas after the sync:
	// DesiredReplicas, except that a sync whose metrics failed keeps the
	// previous value (horizontal.go: setCurrentReplicasAndMetricsInStatus).
	StatusDesiredReplicas int32
	Rescale               bool
	// Reason is the rescale reason of the SuccessfulRescale event.
	Reason     string
	Tolerances Tolerances
	Metrics    []MetricResult
	// MetricName is the Description of the metric that set MetricsDesired.
	MetricName string
	// MetricsDesired is the largest valid proposal (0 when none).
	MetricsDesired int32
	// Legacy is true on the behavior-less normalization path.
	Legacy bool
	// Stabilized is the recommendation after stabilization.
	Stabilized          int32
	StabilizationReason string
	// StabilizationWindow are the stored recommendations that were inside a
	// stabilization window (before this reconcile's one was recorded).
	StabilizationWindow []Recommendation
	// LimitReason and LimitMessage are the ScalingLimited reason/message.
	LimitReason  string
	LimitMessage string
	// PolicyBound is the behavior policy bound in the change's direction
	// and PolicyProposals what each policy allowed (behavior path only).
	PolicyBound     int32
	PolicyProposals []PolicyProposal
	// Conditions is status.conditions after this reconcile.
	Conditions []Condition
	// Events are the events recorded during this reconcile, in order.
	Events []Event
	// Err is the error reconcileAutoscaler returns (a failed or partially
	// failed metric computation), nil otherwise.
	Err error
}

// Input is what the controller reads from the API at one reconcile.
type Input struct {
	SpecReplicas   int32 // scale.spec.replicas
	StatusReplicas int32 // scale.status.replicas
	Pods           []Pod
	// Metrics has one entry per spec metric, same order.
	Metrics []MetricInput
}

// State is the controller memory of one HPA plus its status conditions.
type State struct {
	// Initialized is false until the first reconcile after creation or
	// Restart records the initial recommendation.
	Initialized     bool
	Recommendations []Recommendation
	ScaleUpEvents   []ScaleEvent
	ScaleDownEvents []ScaleEvent
	Conditions      []Condition
	LastScaleTime   *time.Time
	// DesiredReplicas is status.desiredReplicas.
	DesiredReplicas int32
}

// Autoscaler is one HPA together with the per-HPA memory that
// kube-controller-manager keeps for it (horizontal.go: HorizontalController
// recommendations, scaleUpEvents, scaleDownEvents).
type Autoscaler struct {
	spec     Spec
	cfg      Config
	behavior *Behavior // defaulted; nil selects the legacy path
	tol      Tolerances
	state    State
	// descriptions are Describe of each metric, worded once: the spec
	// never changes and every sync reports them.
	descriptions []string
	// validMessages are the ValidMetricFound messages naming each metric.
	validMessages []string
	windows       windowArena
	// selectorErrs memoizes selectorError: a pure function of the
	// selector, which the spec fixes, and costly (label validation by
	// regular expressions) to run at every sync.
	selectorErrs map[string]error
	// recycle and condBuf: see RecycleDecisions.
	recycle   bool
	condBuf   [2][]Condition
	metricBuf [2][]MetricResult
}

// selectorError is the package's selectorError, computed once per selector.
func (a *Autoscaler) selectorError(selector string) error {
	if err, ok := a.selectorErrs[selector]; ok {
		return err
	}
	if a.selectorErrs == nil {
		a.selectorErrs = map[string]error{}
	}
	err := selectorError(selector)
	a.selectorErrs[selector] = err
	return err
}

// NewAutoscaler validates spec and cfg as the API server and the
// controller would and returns an Autoscaler with empty memory. A spec
// without metrics gets the API default (cpu at 80% utilization).
func NewAutoscaler(spec Spec, cfg Config) (*Autoscaler, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := cloneSpec(spec)
	if len(s.Metrics) == 0 {
		// pkg/apis/autoscaling/v2/defaults.go: SetDefaults_HorizontalPodAutoscaler.
		u := int32(80)
		s.Metrics = []MetricSpec{{Type: ResourceMetricSourceType, Name: "cpu",
			Target: MetricTarget{Type: UtilizationMetricType, AverageUtilization: &u}}}
	}
	if err := validateSpec(s, cfg); err != nil {
		return nil, fmt.Errorf("invalid HorizontalPodAutoscaler %q: %w", s.Name, err)
	}
	a := &Autoscaler{
		spec:     s,
		cfg:      cfg,
		behavior: DefaultBehavior(s.Behavior, cfg.DownscaleStabilization),
		tol:      cfg.TolerancesFor(s.Behavior),
	}
	for _, m := range s.Metrics {
		desc := Describe(m)
		a.descriptions = append(a.descriptions, desc)
		a.validMessages = append(a.validMessages, "the HPA was able to successfully calculate a replica count from "+desc)
	}
	return a, nil
}

func cloneSpec(s Spec) Spec {
	out := s
	if s.MinReplicas != nil {
		v := *s.MinReplicas
		out.MinReplicas = &v
	}
	out.Metrics = nil
	for _, m := range s.Metrics {
		c := m
		c.Target.ValueMilli = clonePtr(m.Target.ValueMilli)
		c.Target.AverageValueMilli = clonePtr(m.Target.AverageValueMilli)
		c.Target.AverageUtilization = clonePtr(m.Target.AverageUtilization)
		out.Metrics = append(out.Metrics, c)
	}
	if s.Behavior != nil {
		b := Behavior{}
		if s.Behavior.ScaleUp != nil {
			r := copyRules(s.Behavior.ScaleUp, ScalingRules{})
			b.ScaleUp = &r
		}
		if s.Behavior.ScaleDown != nil {
			r := copyRules(s.Behavior.ScaleDown, ScalingRules{})
			b.ScaleDown = &r
		}
		out.Behavior = &b
	}
	return out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Spec returns a copy of the validated spec.
func (a *Autoscaler) Spec() Spec { return cloneSpec(a.spec) }

// EffectiveBehavior returns a copy of the defaulted behavior the
// controller uses, nil on the legacy path.
func (a *Autoscaler) EffectiveBehavior() *Behavior {
	return DefaultBehavior(a.behavior, a.cfg.DownscaleStabilization)
}

// RecycleDecisions lets later decisions reuse the memory of the
// StabilizationWindow and Conditions slices of earlier ones, for a caller
// that keeps only the latest Decision (a simulator): each stays valid
// until the second Reconcile after it. Without it every Decision's slices
// are its own for good.
func (a *Autoscaler) RecycleDecisions() {
	a.windows.recycle = true
	a.recycle = true
}

// conditions copies the status conditions for a Decision.
func (a *Autoscaler) conditions() []Condition {
	if !a.recycle {
		return append([]Condition(nil), a.state.Conditions...)
	}
	// Two buffers in turn: the previous decision's stays intact.
	a.condBuf[0], a.condBuf[1] = a.condBuf[1], append(a.condBuf[0][:0], a.state.Conditions...)
	out := a.condBuf[1]
	return out[:len(out):len(out)]
}

// Update replaces the spec, as an update of the HPA object does (KEDA
// rewriting the behavior of its HPA for a paused-scale-in annotation, say):
// the controller's in-memory recommendations and scale events are keyed by
// the HPA's namespace/name (horizontal.go, HorizontalController
// recommendations, scaleUpEvents, scaleDownEvents) and survive, and so does
// the status. Only deleting the HPA forgets them.
func (a *Autoscaler) Update(spec Spec) error {
	n, err := NewAutoscaler(spec, a.cfg)
	if err != nil {
		return err
	}
	n.state, n.windows, n.recycle = a.state, a.windows, a.recycle
	*a = *n
	return nil
}

// Restart models a kube-controller-manager restart: the in-memory
// recommendations and scale events are lost (status conditions live in the
// API server and stay), so the initial-recommendation rule applies again.
func (a *Autoscaler) Restart() {
	a.state.Initialized = false
	a.state.Recommendations = nil
	a.state.ScaleUpEvents = nil
	a.state.ScaleDownEvents = nil
}

// Snapshot returns a deep copy of the controller memory and conditions.
func (a *Autoscaler) Snapshot() State {
	s := a.state
	s.Recommendations = append([]Recommendation(nil), a.state.Recommendations...)
	s.ScaleUpEvents = append([]ScaleEvent(nil), a.state.ScaleUpEvents...)
	s.ScaleDownEvents = append([]ScaleEvent(nil), a.state.ScaleDownEvents...)
	s.Conditions = append([]Condition(nil), a.state.Conditions...)
	s.LastScaleTime = clonePtr(a.state.LastScaleTime)
	return s
}

// setCondition mirrors horizontal.go: setConditionInList: the transition
// time moves only when the status changes; new types are appended.
func (a *Autoscaler) setCondition(now time.Time, t ConditionType, status, reason, message string) {
	for i := range a.state.Conditions {
		c := &a.state.Conditions[i]
		if c.Type != t {
			continue
		}
		if c.Status != status {
			c.LastTransitionTime = now
		}
		c.Status, c.Reason, c.Message = status, reason, message
		return
	}
	a.state.Conditions = append(a.state.Conditions, Condition{t, status, reason, message, now})
}

// removeCondition drops a condition type (horizontal.go: removeCondition).
func (a *Autoscaler) removeCondition(t ConditionType) {
	kept := a.state.Conditions[:0]
	for _, c := range a.state.Conditions {
		if c.Type != t {
			kept = append(kept, c)
		}
	}
	a.state.Conditions = kept
}

func (a *Autoscaler) conditionTrue(t ConditionType) bool {
	for _, c := range a.state.Conditions {
		if c.Type == t {
			return c.Status == ConditionTrue
		}
	}
	return false
}

// hasObjectOrExternal reports an Object or External metric, the only kinds
// that can be read while no pod runs.
func (a *Autoscaler) hasObjectOrExternal() bool {
	for _, m := range a.spec.Metrics {
		if m.Type == ObjectMetricSourceType || m.Type == ExternalMetricSourceType {
			return true
		}
	}
	return false
}

func (a *Autoscaler) minReplicas() int32 {
	if a.spec.MinReplicas != nil {
		return *a.spec.MinReplicas
	}
	return 1
}

func (a *Autoscaler) namespace() string {
	if a.spec.Namespace == "" {
		return "default"
	}
	return a.spec.Namespace
}

func (a *Autoscaler) reference() string {
	kind, name := a.spec.ScaleTargetRef.Kind, a.spec.ScaleTargetRef.Name
	if kind == "" {
		kind = "Deployment"
	}
	if name == "" {
		name = a.spec.Name
	}
	return fmt.Sprintf("%s/%s/%s", kind, a.namespace(), name)
}

// Reconcile runs one reconcileAutoscaler (horizontal.go) at instant now,
// which is the only clock it reads, and updates the HPA's memory.
func (a *Autoscaler) Reconcile(now time.Time, in Input) Decision {
	d := Decision{
		Time:            now,
		CurrentReplicas: in.SpecReplicas,
		StatusReplicas:  in.StatusReplicas,
		MinReplicas:     a.minReplicas(),
		MaxReplicas:     a.spec.MaxReplicas,
		DesiredReplicas: in.SpecReplicas,
		Tolerances:      a.tol,
	}
	if in.SpecReplicas < 0 || in.StatusReplicas < 0 {
		d.Path = PathInvalidInput
		d.Err = fmt.Errorf("invalid input: replicas must not be negative (spec %d, status %d)", in.SpecReplicas, in.StatusReplicas)
		d.Conditions = a.conditions()
		return d
	}
	a.setCondition(now, AbleToScale, ConditionTrue, "SucceededGetScale", "the HPA controller was able to get the target's current scale")
	current := in.SpecReplicas
	// recordInitialRecommendation: with no history (new HPA, or after a
	// controller restart) the current count is remembered as a
	// recommendation.
	if !a.state.Initialized {
		a.state.Initialized = true
		a.state.Recommendations = []Recommendation{{current, now}}
	}
	minR := d.MinReplicas
	desired := int32(0)
	rescale := true
	// Scale to zero (horizontal.go: reconcileAutoscaler,
	// shouldComputeMetricsForZeroReplicas). Before 1.36 a target at zero is
	// left alone unless minReplicas is 0. From 1.36 the controller scales
	// from zero only after it scaled to zero itself (condition
	// ScaledToZero=True): with an Object or External metric, or to lift
	// the target to a raised minReplicas.
	zeroLogic := a.cfg.minor() >= 36
	zeroGate := a.cfg.ScaleToZero && zeroLogic
	scaledToZero := zeroGate && a.conditionTrue(ScaledToZero)
	hasObjExt := a.hasObjectOrExternal()
	fromZero := false
	if current == 0 {
		if zeroLogic {
			fromZero = (minR != 0 && scaledToZero) || (scaledToZero && hasObjExt)
		} else {
			fromZero = minR == 0
		}
	}
	switch {
	case current == 0 && !fromZero:
		d.Path = PathScalingDisabled
		rescale = false
		a.setCondition(now, ScalingActive, ConditionFalse, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero")
		if zeroLogic && !zeroGate {
			a.removeCondition(ScaledToZero)
		}
	case current > a.spec.MaxReplicas:
		d.Path = PathAboveMax
		d.Reason = "Current number of replicas above Spec.MaxReplicas"
		desired = a.spec.MaxReplicas
	case current < minR && current != 0:
		d.Path = PathBelowMin
		d.Reason = "Current number of replicas below Spec.MinReplicas"
		desired = minR
	default:
		d.Path = PathMetrics
		ok := a.computeMetrics(now, in, &d)
		if !ok {
			d.Path = PathMetricsFailed
			d.StatusDesiredReplicas = a.state.DesiredReplicas
			d.Conditions = a.conditions()
			return d
		}
		rescaleMetric := ""
		if d.MetricsDesired > desired {
			desired = d.MetricsDesired
			rescaleMetric = d.MetricName
		}
		if desired > current {
			d.Reason = fmt.Sprintf("%s above target", rescaleMetric)
		}
		if desired < current {
			d.Reason = "All metrics below target"
		}
		desired = a.normalize(now, current, desired, minR, &d)
		// A raised minReplicas is met at once when scaling from zero.
		if current == 0 && minR != 0 && scaledToZero && desired < minR {
			desired = minR
			if d.Reason == "" {
				d.Reason = "Current number of replicas below Spec.MinReplicas"
			}
		}
		rescale = desired != current
	}
	if d.Path != PathMetrics {
		d.Stabilized = desired
	}
	if rescale {
		a.setCondition(now, AbleToScale, ConditionTrue, "SucceededRescale", fmt.Sprintf("the HPA controller was able to update the target scale to %d", desired))
		d.Events = append(d.Events, Event{EventNormal, "SuccessfulRescale", fmt.Sprintf("New size: %d; reason: %s", desired, d.Reason)})
		ev := RecordScale(now, a.behavior, ScaleEvents{a.state.ScaleUpEvents, a.state.ScaleDownEvents}, current, desired)
		a.state.ScaleUpEvents, a.state.ScaleDownEvents = ev.Up, ev.Down
		t := now
		a.state.LastScaleTime = &t
		d.DesiredReplicas = desired
		d.Rescale = true
		switch {
		case zeroGate && current > 0 && desired == 0 && minR == 0 && hasObjExt:
			a.setCondition(now, ScaledToZero, ConditionTrue, "ScaledToZero", "the HPA controller scaled the workload to zero")
		case zeroGate:
			a.setCondition(now, ScaledToZero, ConditionFalse, "NotScaledToZero", "the HPA controller did not scale the workload to zero")
		case zeroLogic:
			a.removeCondition(ScaledToZero)
		}
	} else {
		d.DesiredReplicas = current
	}
	d.StatusDesiredReplicas = d.DesiredReplicas
	a.state.DesiredReplicas = d.DesiredReplicas
	d.Conditions = a.conditions()
	return d
}

// normalize runs the legacy or behavior normalization and sets the
// AbleToScale and ScalingLimited conditions.
func (a *Autoscaler) normalize(now time.Time, current, desired, minR int32, d *Decision) int32 {
	// The Autoscaler owns its history (Snapshot copies it), so the
	// stabilization writes it in place.
	var st Stabilization
	considered := a.windows.room(len(a.state.Recommendations))
	if a.behavior == nil {
		d.Legacy = true
		st = stabilizeLegacy(now, a.cfg.DownscaleStabilization, a.state.Recommendations, desired, considered)
	} else {
		st = stabilizeWithBehavior(now, windowOf(a.behavior.ScaleUp), windowOf(a.behavior.ScaleDown), a.state.Recommendations, current, desired, considered)
	}
	st.Considered = a.windows.keep(st.Considered)
	a.state.Recommendations = st.History
	d.Stabilized = st.Replicas
	d.StabilizationReason = st.Reason
	d.StabilizationWindow = st.Considered
	a.setCondition(now, AbleToScale, ConditionTrue, st.Reason, st.Message)

	var lim Limit
	if a.behavior == nil {
		lim = ConvertDesiredReplicasWithRules(current, st.Replicas, minR, a.spec.MaxReplicas, DefaultScaleUpLimitFactor, DefaultScaleUpLimitMinimum)
	} else {
		rl := ConvertDesiredReplicasWithBehaviorRate(now, RateArgs{
			CurrentReplicas: current,
			DesiredReplicas: st.Replicas,
			MinReplicas:     minR,
			MaxReplicas:     a.spec.MaxReplicas,
			ScaleUp:         *a.behavior.ScaleUp,
			ScaleDown:       *a.behavior.ScaleDown,
			UpEvents:        a.state.ScaleUpEvents,
			DownEvents:      a.state.ScaleDownEvents,
		})
		lim = rl.Limit
		d.PolicyBound = rl.Bound
		d.PolicyProposals = rl.Policies
	}
	d.LimitReason, d.LimitMessage = lim.Reason, lim.Message
	status := ConditionFalse
	if lim.Replicas != st.Replicas {
		status = ConditionTrue
	}
	a.setCondition(now, ScalingLimited, status, lim.Reason, lim.Message)
	return lim.Replicas
}

// computeMetrics mirrors computeReplicasForMetrics: the maximum valid
// proposal wins; if every metric failed, or one failed and the valid ones
// would scale down, nothing is scaled. It returns false in that case.
func (a *Autoscaler) computeMetrics(now time.Time, in Input, d *Decision) bool {
	calc := ReplicaCalculator{
		Now:                     now,
		Tolerances:              a.tol,
		CPUInitializationPeriod: a.cfg.CPUInitializationPeriod,
		InitialReadinessDelay:   a.cfg.InitialReadinessDelay,
		PodLevelResources:       a.cfg.PodLevelResources,
		KubernetesMinor:         a.cfg.KubernetesMinor,
	}
	var (
		replicas     int32
		metricName   string
		winner       int
		invalid      int
		firstErr     error
		firstCond    Condition
		haveFirstErr bool
	)
	if a.recycle {
		// As conditions: two buffers in turn, each holding every metric,
		// capped so that an append by the caller copies.
		n := len(a.spec.Metrics)
		buf := a.metricBuf[0][:0]
		if cap(buf) < n {
			buf = make([]MetricResult, 0, n)
		}
		a.metricBuf[0], a.metricBuf[1] = a.metricBuf[1], buf
		d.Metrics = buf[:0:n]
	}
	for i, m := range a.spec.Metrics {
		var mi MetricInput
		if i < len(in.Metrics) {
			mi = in.Metrics[i]
		} else {
			mi = MetricInput{Err: fmt.Errorf("no input supplied for spec.metrics[%d] (got %d inputs for %d metrics)", i, len(in.Metrics), len(a.spec.Metrics))}
		}
		r := a.computeMetric(calc, m, a.descriptions[i], mi, in)
		d.Metrics = append(d.Metrics, r.MetricResult)
		if r.Err != nil {
			d.Events = append(d.Events, Event{EventWarning, r.ConditionReason, r.inner.Error()})
			if !haveFirstErr {
				haveFirstErr = true
				firstErr = r.Err
				firstCond = Condition{Type: ScalingActive, Status: ConditionFalse, Reason: r.ConditionReason,
					Message: fmt.Sprintf("the HPA was unable to compute the replica count: %v", r.inner)}
			}
			invalid++
			continue
		}
		if replicas == 0 || r.Proposal > replicas {
			replicas = r.Proposal
			metricName = r.Description
			winner = i
		}
	}
	var invalidErr error
	if firstErr != nil {
		invalidErr = fmt.Errorf("invalid metrics (%v invalid out of %v), first error is: %v", invalid, len(a.spec.Metrics), firstErr)
	}
	if invalid >= len(a.spec.Metrics) || (invalid > 0 && replicas < in.SpecReplicas) {
		a.setCondition(now, firstCond.Type, firstCond.Status, firstCond.Reason, firstCond.Message)
		d.Events = append(d.Events, Event{EventWarning, "FailedComputeMetricsReplicas", invalidErr.Error()})
		d.Err = fmt.Errorf("failed to compute desired number of replicas based on listed metrics for %s: %v", a.reference(), invalidErr)
		d.MetricsDesired = 0
		d.Stabilized = in.SpecReplicas
		return false
	}
	a.setCondition(now, ScalingActive, ConditionTrue, "ValidMetricFound", a.validMessages[winner])
	d.MetricsDesired = replicas
	d.MetricName = metricName
	// A partial failure still scales (up), but the reconcile reports it.
	d.Err = invalidErr
	return true
}

type metricOutcome struct {
	MetricResult
	inner error // the error in the condition message and the event
}

// Describe returns the metric's name as the controller words it in the
// rescale reason and the ValidMetricFound message
// (horizontal.go: computeStatusFor*Metric).
func Describe(m MetricSpec) string {
	switch m.Type {
	case ResourceMetricSourceType, ContainerResourceMetricSourceType:
		if m.Target.AverageValueMilli != nil {
			return fmt.Sprintf("%s resource", m.Name)
		}
		if m.Type == ContainerResourceMetricSourceType {
			return fmt.Sprintf("%s container resource utilization (percentage of request)", m.Name)
		}
		return fmt.Sprintf("%s resource utilization (percentage of request)", m.Name)
	case PodsMetricSourceType:
		return fmt.Sprintf("pods metric %s", m.Name)
	case ObjectMetricSourceType:
		if m.Target.Type == ValueMetricType {
			return fmt.Sprintf("%s metric %s", m.DescribedObject.Kind, m.Name)
		}
		// Upstream words Object AverageValue metrics as "external" too.
		return fmt.Sprintf("external metric %s(%s)", m.Name, FormatLabelSelector(m.Selector))
	case ExternalMetricSourceType:
		return fmt.Sprintf("external metric %s(%s)", m.Name, FormatLabelSelector(m.Selector))
	}
	return string(m.Type)
}

// computeMetric mirrors computeReplicasForMetric and the
// computeStatusFor*Metric functions, including their error wrapping.
func (a *Autoscaler) computeMetric(calc ReplicaCalculator, m MetricSpec, description string, mi MetricInput, in Input) metricOutcome {
	out := metricOutcome{MetricResult: MetricResult{Type: m.Type, Description: description, CurrentValue: "<unknown>"}}
	ns := a.namespace()
	t := m.Target
	var (
		p              Proposal
		inner, outer   error
		reason         string
		utilizationOut bool
	)
	switch m.Type {
	case ResourceMetricSourceType, ContainerResourceMetricSourceType:
		container := ""
		reason = "FailedGetResourceMetric"
		if m.Type == ContainerResourceMetricSourceType {
			container = m.Container
			reason = "FailedGetContainerResourceMetric"
		}
		var err error
		switch {
		case t.AverageValueMilli != nil:
			p, err = calc.RawResourceReplicas(in.SpecReplicas, *t.AverageValueMilli, m.Name, container, mi, in.Pods)
			if err != nil {
				inner = fmt.Errorf("failed to get %s usage: %v", m.Name, err)
			}
		case t.AverageUtilization == nil:
			inner = errors.New("invalid resource metric source: neither an average utilization target nor an average value (usage) target was set")
		default:
			utilizationOut = true
			p, err = calc.ResourceReplicas(in.SpecReplicas, *t.AverageUtilization, m.Name, container, mi, in.Pods)
			if err != nil {
				inner = fmt.Errorf("failed to get %s utilization: %v", m.Name, err)
			}
		}
		if inner != nil {
			if m.Type == ContainerResourceMetricSourceType {
				outer = fmt.Errorf("failed to get %s container metric value: %v", m.Container, inner)
			} else {
				outer = fmt.Errorf("failed to get %s resource metric value: %v", m.Name, inner)
			}
		}
	case PodsMetricSourceType:
		reason = "FailedGetPodsMetric"
		var err error
		if err = a.selectorError(m.Selector); err != nil {
			// The metric selector is parsed first (computeReplicasForMetric).
		} else if t.AverageValueMilli == nil {
			err = errors.New("invalid pods metric source: no average value target was set")
		} else {
			p, err = calc.PodsMetricReplicas(in.SpecReplicas, *t.AverageValueMilli, m.Name, mi, in.Pods)
		}
		if err != nil {
			inner = err
			outer = fmt.Errorf("failed to get pods metric value: %v", err)
		}
	case ObjectMetricSourceType:
		reason = "FailedGetObjectMetric"
		var err error
		switch {
		case a.selectorError(m.Selector) != nil:
			inner = a.selectorError(m.Selector)
			outer = inner
		case t.Type == ValueMetricType && t.ValueMilli != nil:
			p, err = calc.ObjectMetricReplicas(in.SpecReplicas, *t.ValueMilli, m.Name, m.DescribedObject, ns, mi, in.Pods)
			if err != nil {
				inner, outer = err, err
			}
		case t.Type == AverageValueMetricType && t.AverageValueMilli != nil:
			p, err = calc.ObjectPerPodMetricReplicas(in.StatusReplicas, *t.AverageValueMilli, m.Name, m.DescribedObject, ns, mi)
			if err != nil {
				inner, outer = err, fmt.Errorf("failed to get %s object metric: %v", m.Name, err)
			}
		default:
			inner = errors.New("invalid object metric source: neither a value target nor an average value target was set")
			outer = inner
		}
		if outer != nil {
			outer = fmt.Errorf("failed to get object metric value: %v", outer)
		}
	case ExternalMetricSourceType:
		reason = "FailedGetExternalMetric"
		var err error
		switch {
		case t.AverageValueMilli != nil:
			// The calculator parses the metric selector before reading.
			if err = a.selectorError(m.Selector); err == nil {
				p, err = calc.ExternalPerPodMetricReplicas(in.StatusReplicas, *t.AverageValueMilli, m.Name, ns, m.Selector, mi)
			}
			if err != nil {
				inner, outer = err, fmt.Errorf("failed to get %s external metric: %v", m.Name, err)
			}
		case t.ValueMilli != nil:
			if err = a.selectorError(m.Selector); err == nil {
				p, err = calc.ExternalMetricReplicas(in.SpecReplicas, *t.ValueMilli, m.Name, ns, m.Selector, mi, in.Pods)
			}
			if err != nil {
				inner, outer = err, fmt.Errorf("failed to get external metric %s: %v", m.Name, err)
			}
		default:
			inner = errors.New("invalid external metric source: neither a value target nor an average value target was set")
			outer = inner
		}
		if outer != nil {
			outer = fmt.Errorf("failed to get %s external metric value: %v", m.Name, outer)
		}
	default:
		reason = "InvalidMetricSourceType"
		inner = fmt.Errorf("unknown metric source type %q", string(m.Type))
		outer = inner
	}
	if inner != nil {
		out.Err = outer
		out.inner = inner
		out.ConditionReason = reason
		return out
	}
	out.Proposal = p.Replicas
	out.UsageRatio = p.UsageRatio
	out.Details = p
	switch {
	case utilizationOut && p.Utilization != nil:
		out.CurrentValue = fmt.Sprintf("%d%%", *p.Utilization)
	case p.ValueMilli != nil:
		out.CurrentValue = FormatMilli(*p.ValueMilli)
	case p.AverageValueMilli != nil:
		out.CurrentValue = FormatMilli(*p.AverageValueMilli)
	}
	return out
}
