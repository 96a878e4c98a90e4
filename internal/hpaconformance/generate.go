package hpaconformance

import (
	"fmt"
	"math"
	"math/rand"
)

// Stepper runs one side of a case one sync at a time.
type Stepper interface {
	Step(Step) Observation
}

// Start creates one side for a case: the stepper, or the validation
// errors when the HPA cannot be created.
type Start func(Case) (Stepper, []string, error)

// Generate draws a random case from seed for a Kubernetes minor version
// and runs it on the side that start creates, which is the truth the
// inputs follow: each step's replica counts continue from what that
// side wrote. It returns the case with its steps and that side's result.
func Generate(seed int64, version string, start Start) (Case, Result, error) {
	g := &gen{r: rand.New(rand.NewSource(seed)), version: version}
	c := g.spec()
	c.Seed = seed
	side, invalid, err := start(c)
	if err != nil {
		return c, Result{}, err
	}
	if invalid != nil {
		return c, Result{Invalid: invalid}, nil
	}
	var res Result
	n := 4 + g.r.Intn(21)
	var last *Observation
	for i := 0; i < n; i++ {
		s := g.step(&c, i, last)
		c.Steps = append(c.Steps, s)
		o := side.Step(s)
		res.Steps = append(res.Steps, o)
		last = &res.Steps[len(res.Steps)-1]
	}
	return c, res, nil
}

type gen struct {
	r       *rand.Rand
	version string
	// pod template of the case
	main, sidecar, initSidecar, plainInit bool
	podLevel                              map[string]int64
	huge                                  bool
	// state across steps
	now      int64
	replicas int32
	pods     []*Pod
	podSeq   int
	load     float64
	// base is the usage per container that puts a resource at its
	// first metric's target.
	base map[string]int64
}

func (g *gen) p(x float64) bool { return g.r.Float64() < x }

func (g *gen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

func i32(v int32) *int32   { return &v }
func i64(v int64) *int64   { return &v }
func str(v string) *string { return &v }

func minor(version string) int {
	var major, m int
	fmt.Sscanf(version, "%d.%d", &major, &m)
	return m
}

func (g *gen) spec() Case {
	c := Case{Version: g.version}
	// Gates: mostly the release defaults; sometimes one flipped. The
	// configurable tolerance is locked on from 1.37.
	if g.p(0.25) {
		v := g.p(0.5)
		switch g.r.Intn(3) {
		case 0:
			c.Gates.ScaleToZero = &v
		case 1:
			if minor(g.version) < 37 {
				c.Gates.ConfigurableTolerance = &v
			}
		case 2:
			c.Gates.PodLevelResources = &v
		}
	}
	c.Controller = Controller{Tolerance: 0.1, DownscaleStabilizationSeconds: 300, CPUInitializationSeconds: 300, InitialReadinessDelaySeconds: 30}
	if g.p(0.3) {
		c.Controller.Tolerance = []float64{0, 0.05, 0.2, 0.5}[g.r.Intn(4)]
	}
	if g.p(0.4) {
		c.Controller.DownscaleStabilizationSeconds = []int64{0, 15, 60, 120}[g.r.Intn(4)]
	}
	if g.p(0.3) {
		c.Controller.CPUInitializationSeconds = []int64{0, 30, 120}[g.r.Intn(3)]
	}
	if g.p(0.3) {
		c.Controller.InitialReadinessDelaySeconds = []int64{0, 10, 60}[g.r.Intn(3)]
	}

	g.main = true
	g.sidecar = g.p(0.3)
	g.initSidecar = g.p(0.15)
	g.plainInit = g.p(0.2)
	g.huge = g.p(0.03)
	if g.p(0.15) {
		g.podLevel = map[string]int64{}
		switch g.r.Intn(4) {
		case 0:
			g.podLevel["cpu"] = 500 + int64(g.r.Intn(1500))
		case 1:
			g.podLevel["memory"] = 1 << 37
		case 2:
			g.podLevel["cpu"] = 1000
			g.podLevel["memory"] = 1 << 38
		case 3:
			g.podLevel["hugepages-2Mi"] = 2 << 30 * 1000
		}
	}
	g.load = 0.3 + g.r.Float64()*1.5

	h := &c.HPA
	switch {
	case g.p(0.3):
	case g.p(0.2):
		h.MinReplicas = i32(0)
	case g.p(0.02):
		h.MinReplicas = i32(-1)
	default:
		h.MinReplicas = i32(1 + int32(g.r.Intn(4)))
	}
	lo := int32(1)
	if h.MinReplicas != nil && *h.MinReplicas > 0 {
		lo = *h.MinReplicas
	}
	h.MaxReplicas = lo + int32(g.r.Intn(15))
	switch {
	case g.p(0.02):
		h.MaxReplicas = 0
	case g.p(0.02):
		h.MaxReplicas = lo - 1
	case g.p(0.02):
		h.MaxReplicas = math.MaxInt32
	}
	n := 1
	switch {
	case g.p(0.02):
		n = 0
	case g.p(0.35):
		n = 2
	case g.p(0.2):
		n = 3
	}
	for i := 0; i < n; i++ {
		h.Metrics = append(h.Metrics, g.metric(i))
	}
	if !g.p(0.4) {
		h.Behavior = &Behavior{ScaleUp: g.rules(true), ScaleDown: g.rules(false)}
	}
	return c
}

func (g *gen) target(kind string) int64 {
	if g.huge && g.p(0.5) {
		return int64(1) << (40 + g.r.Intn(22))
	}
	switch kind {
	case "cpu":
		return []int64{100, 250, 500, 1000}[g.r.Intn(4)]
	case "memory":
		return int64(64+g.r.Intn(512)) << 20 * 1000
	}
	return []int64{1000, 500, 10000, 30000, 1}[g.r.Intn(5)] * int64(1+g.r.Intn(5))
}

func (g *gen) selector() *Selector {
	switch {
	case g.p(0.6):
		return nil
	case g.p(0.08):
		// Accepted by the API, unusable by the controller.
		// Accepted by the API, unusable by the controller. (Operators the
		// API would take but the string form cannot carry are refused by
		// the manifest reader instead.)
		if g.p(0.3) {
			return &Selector{MatchLabels: map[string]string{"queue": "orders/eu"}}
		}
		return &Selector{MatchExpressions: []Requirement{[]Requirement{
			{Key: "zone", Operator: "In"},
			{Key: "bad key", Operator: "Exists"},
		}[g.r.Intn(2)]}}
	}
	s := &Selector{MatchLabels: map[string]string{"queue": g.pick("orders", "mail")}}
	if g.p(0.4) {
		s.MatchExpressions = append(s.MatchExpressions, Requirement{Key: "zone", Operator: g.pick("In", "NotIn"), Values: []string{"a", "b"}})
	}
	if g.p(0.2) {
		s.MatchExpressions = append(s.MatchExpressions, Requirement{Key: "tier", Operator: g.pick("Exists", "DoesNotExist")})
	}
	return s
}

func (g *gen) metric(i int) Metric {
	w := g.r.Intn(100)
	var m Metric
	switch {
	case w < 25:
		m.Type = "Resource"
	case w < 37:
		m.Type = "ContainerResource"
	case w < 55:
		m.Type = "Pods"
	case w < 73:
		m.Type = "Object"
	default:
		m.Type = "External"
	}
	switch m.Type {
	case "Resource", "ContainerResource":
		m.Name = "cpu"
		if g.p(0.3) {
			m.Name = "memory"
		}
		if m.Type == "ContainerResource" {
			m.Container = "app"
			switch {
			case g.p(0.2):
				m.Container = "sidecar"
			case g.p(0.1):
				m.Container = "ghost"
			}
		}
		if g.p(0.7) {
			m.Target = Target{Type: "Utilization", AverageUtilization: i32([]int32{50, 80, 100, 150, 1 + int32(g.r.Intn(200))}[g.r.Intn(5)])}
		} else {
			m.Target = Target{Type: "AverageValue", AverageValue: i64(g.target(m.Name))}
		}
		if g.p(0.03) {
			m.Target.AverageValue = i64(g.target(m.Name))
		}
	case "Pods":
		m.Name = fmt.Sprintf("qps-%d", i)
		m.Selector = g.selector()
		m.Target = Target{Type: "AverageValue", AverageValue: i64(g.target(""))}
	case "Object":
		m.Name = fmt.Sprintf("requests-%d", i)
		m.Selector = g.selector()
		m.Object = &ObjectRef{Kind: "Service", Name: "front", APIVersion: "v1"}
		if g.p(0.2) {
			m.Object = &ObjectRef{Kind: "Ingress", Name: "front", APIVersion: "networking.k8s.io/v1"}
		}
		if g.p(0.6) {
			m.Target = Target{Type: "Value", Value: i64(g.target(""))}
		} else {
			m.Target = Target{Type: "AverageValue", AverageValue: i64(g.target(""))}
		}
		if g.p(0.04) {
			// The controller picks by type; a mismatched type has no target.
			if m.Target.Type == "Value" {
				m.Target.Type = "AverageValue"
			} else {
				m.Target.Type = "Value"
			}
		}
	case "External":
		m.Name = fmt.Sprintf("queue_depth-%d", i)
		m.Selector = g.selector()
		if g.p(0.65) {
			m.Target = Target{Type: "AverageValue", AverageValue: i64(g.target(""))}
		} else {
			m.Target = Target{Type: "Value", Value: i64(g.target(""))}
		}
		if g.p(0.04) {
			m.Target.Value, m.Target.AverageValue = i64(g.target("")), i64(g.target(""))
		}
	}
	if g.p(0.02) {
		// Non-positive targets are refused by the API.
		switch {
		case m.Target.Value != nil:
			m.Target.Value = i64(0)
		case m.Target.AverageValue != nil:
			m.Target.AverageValue = i64(-1000)
		case m.Target.AverageUtilization != nil:
			m.Target.AverageUtilization = i32(0)
		}
	}
	return m
}

func (g *gen) rules(up bool) *Rules {
	if g.p(0.3) {
		return nil
	}
	r := &Rules{}
	switch {
	case g.p(0.4):
	case g.p(0.03):
		r.StabilizationWindowSeconds = i32([]int32{-1, 3601}[g.r.Intn(2)])
	default:
		r.StabilizationWindowSeconds = i32([]int32{0, 15, 30, 60, 300}[g.r.Intn(5)])
	}
	switch {
	case g.p(0.5):
	case g.p(0.02):
		r.SelectPolicy = str("Most")
	default:
		r.SelectPolicy = str(g.pick("Max", "Min", "Disabled", "Max"))
	}
	switch {
	case g.p(0.3):
	case g.p(0.03):
		r.Policies = []Policy{}
	default:
		for k := 1 + g.r.Intn(3); k > 0; k-- {
			p := Policy{Type: g.pick("Pods", "Percent"), Value: 1 + int32(g.r.Intn(6)), PeriodSeconds: []int32{15, 30, 60, 120}[g.r.Intn(4)]}
			if p.Type == "Percent" {
				p.Value = []int32{10, 34, 50, 100, 200}[g.r.Intn(5)]
			}
			if g.p(0.02) {
				p.PeriodSeconds = 0
			}
			r.Policies = append(r.Policies, p)
		}
	}
	if g.p(0.3) {
		r.Tolerance = str(g.pick("0.05", "0.2", "0", "1.5", "50m", "0.01", "-0.1"))
	}
	return r
}

// step draws the API's answers for sync i, continuing from the last
// observation of the truth side.
func (g *gen) step(c *Case, i int, last *Observation) Step {
	switch {
	case i == 0:
		g.now = 0
		g.replicas = int32(g.r.Intn(5))
		if g.p(0.2) {
			g.replicas = 0
		}
	case g.p(0.7):
		g.now += 15000
	case g.p(0.4):
		g.now += 15000 + int64(g.r.Intn(4000)) - 2000
	case g.p(0.5):
		g.now += 1000 + int64(g.r.Intn(120000))
	default:
		g.now += []int64{30000, 60000, 120000, 300000, 600000}[g.r.Intn(5)]
	}
	s := Step{At: g.now, Restart: i > 0 && g.p(0.03)}
	if last != nil && last.Scaled != nil && g.p(0.92) {
		g.replicas = *last.Scaled
	}
	if i > 0 && g.p(0.06) {
		g.replicas = int32(g.r.Intn(int(min(c.HPA.MaxReplicas, 30)) + 3))
	}
	if g.replicas < 0 {
		g.replicas = 0
	}
	s.SpecReplicas = g.replicas
	s.StatusReplicas = g.replicas
	switch {
	case g.p(0.2):
		s.StatusReplicas = max(0, g.replicas+int32(g.r.Intn(5))-2)
	case g.p(0.03):
		s.StatusReplicas = 0
	}
	g.load *= 0.7 + g.r.Float64()*0.6
	if g.p(0.1) {
		g.load = []float64{0, 1, 1.1, 0.9, 3, 0.2}[g.r.Intn(6)]
	}
	g.adjustPods(int(min(s.StatusReplicas, 60)))
	for _, p := range g.pods {
		s.Pods = append(s.Pods, *p)
	}
	metrics := c.HPA.Metrics
	if len(metrics) == 0 {
		metrics = []Metric{{Type: "Resource", Name: "cpu", Target: Target{Type: "Utilization", AverageUtilization: i32(80)}}}
	}
	needResources := false
	for _, m := range metrics {
		if m.Type == "Resource" || m.Type == "ContainerResource" {
			needResources = true
			s.Metrics = append(s.Metrics, Data{})
			g.baseFor(m)
			continue
		}
		s.Metrics = append(s.Metrics, g.data(m, s))
	}
	if needResources {
		d := g.resources(s)
		s.Resources = &d
	}
	return s
}

func (g *gen) requests() map[string]int64 {
	r := map[string]int64{}
	if !g.p(0.04) {
		r["cpu"] = 100 * int64(1+g.r.Intn(10))
		if g.huge {
			r["cpu"] = int64(1) << (55 + g.r.Intn(7))
		}
	}
	if !g.p(0.06) {
		r["memory"] = int64(128+g.r.Intn(1024)) << 20 * 1000
	}
	return r
}

func (g *gen) newPod() *Pod {
	name := fmt.Sprintf("app-%d", g.podSeq)
	g.podSeq++
	p := &Pod{Name: name, Phase: "Running"}
	start := g.now - int64(g.r.Intn(900000))
	if g.p(0.3) {
		start = g.now - int64(g.r.Intn(60000))
	}
	if !g.p(0.03) {
		p.StartAt = i64(start)
	}
	g.setReady(p, start)
	p.Containers = append(p.Containers, Container{Name: "app", Requests: g.requests()})
	if g.sidecar {
		p.Containers = append(p.Containers, Container{Name: "sidecar", Requests: g.requests()})
	}
	if g.initSidecar {
		p.InitContainers = append(p.InitContainers, Container{Name: "proxy", Requests: g.requests(), Sidecar: true})
	}
	if g.plainInit {
		p.InitContainers = append(p.InitContainers, Container{Name: "init", Requests: g.requests()})
	}
	if g.podLevel != nil {
		p.PodRequests = map[string]int64{}
		for k, v := range g.podLevel {
			p.PodRequests[k] = v
		}
	}
	g.mutatePod(p)
	return p
}

func (g *gen) setReady(p *Pod, start int64) {
	switch {
	case g.p(0.04):
		p.Ready = nil
	default:
		st := "True"
		switch {
		case g.p(0.15):
			st = "False"
		case g.p(0.07):
			st = "Unknown"
		}
		p.Ready = &Ready{Status: st, At: start + int64(g.r.Intn(90000))}
	}
}

func (g *gen) mutatePod(p *Pod) {
	switch {
	case g.p(0.05):
		p.Phase = "Pending"
	case g.p(0.03):
		p.Phase = "Failed"
	case g.p(0.03):
		p.Phase = "Succeeded"
	case g.p(0.02):
		p.Phase = "Unknown"
	case g.p(0.3):
		p.Phase = "Running"
	}
	if g.p(0.03) {
		p.Deleting = true
	}
}

func (g *gen) adjustPods(n int) {
	if g.p(0.05) {
		n = max(0, n+g.r.Intn(3)-1)
	}
	for len(g.pods) > n {
		g.pods = g.pods[:len(g.pods)-1]
	}
	for len(g.pods) < n {
		g.pods = append(g.pods, g.newPod())
	}
	for _, p := range g.pods {
		if g.p(0.05) {
			g.mutatePod(p)
		}
		if g.p(0.05) && p.StartAt != nil {
			g.setReady(p, *p.StartAt)
			if p.Ready != nil && p.Ready.At > g.now {
				p.Ready.At = g.now
			}
		}
	}
}

// ratio is a usage relative to its target: often near the tolerance
// boundaries, sometimes far.
func (g *gen) ratio() float64 {
	switch {
	case g.p(0.1):
		return 1
	case g.p(0.05):
		return 1.1
	case g.p(0.05):
		return 0.9
	case g.p(0.02):
		return 0
	}
	return g.load * (0.8 + g.r.Float64()*0.4)
}

func scale(v int64, r float64) int64 {
	f := float64(v) * r
	if f >= math.MaxInt64/2 {
		return math.MaxInt64 / 2
	}
	return int64(f)
}

func (g *gen) data(m Metric, s Step) Data {
	var d Data
	if g.p(0.04) {
		d.Error = g.pick("the server is currently unable to handle the request", "connection refused")
		return d
	}
	empty := g.p(0.03)
	switch m.Type {
	case "Pods":
		if empty {
			return d
		}
		t := int64(1000)
		if m.Target.AverageValue != nil {
			t = *m.Target.AverageValue
		}
		for _, p := range s.Pods {
			if g.p(0.08) {
				continue
			}
			pv := PodValue{Pod: p.Name, Value: scale(t, g.ratio()), At: s.At - int64(g.r.Intn(30000))}
			if g.p(0.5) {
				pv.WindowSeconds = i64(60)
			}
			d.PodValues = append(d.PodValues, pv)
		}
		if g.p(0.03) {
			d.PodValues = append(d.PodValues, PodValue{Pod: "stray", Value: t * 3, At: s.At})
		}
	case "Object":
		t := int64(1000)
		if m.Target.Value != nil {
			t = *m.Target.Value
		} else if m.Target.AverageValue != nil {
			t = *m.Target.AverageValue * int64(max(1, s.StatusReplicas))
		}
		switch {
		case empty:
		case g.p(0.03):
			d.Values = []int64{scale(t, g.ratio()), scale(t, g.ratio())}
		default:
			d.Values = []int64{scale(t, g.ratio())}
		}
	case "External":
		if empty {
			return d
		}
		t := int64(1000)
		if m.Target.AverageValue != nil {
			t = *m.Target.AverageValue * int64(max(1, s.StatusReplicas))
		} else if m.Target.Value != nil {
			t = *m.Target.Value
		}
		k := 1 + g.r.Intn(3)
		for j := 0; j < k; j++ {
			v := scale(t, g.ratio()) / int64(k)
			switch {
			case g.p(0.03):
				v = -v - 1
			case g.p(0.02):
				v = math.MaxInt64/2 + int64(g.r.Intn(1000))
			}
			d.Values = append(d.Values, v)
		}
	}
	return d
}

// baseFor records the usage that puts a resource at the target of its
// first metric.
func (g *gen) baseFor(m Metric) {
	if g.base == nil {
		g.base = map[string]int64{}
	}
	if _, ok := g.base[m.Name]; ok {
		return
	}
	switch {
	case m.Target.AverageValue != nil:
		g.base[m.Name] = *m.Target.AverageValue
	case m.Target.AverageUtilization != nil:
		g.base[m.Name] = -int64(*m.Target.AverageUtilization)
	}
}

// resources draws the metrics.k8s.io answer of a step.
func (g *gen) resources(s Step) Data {
	var d Data
	if g.p(0.04) {
		d.Error = g.pick("the server is currently unable to handle the request", "connection refused")
		return d
	}
	if g.p(0.03) {
		return d
	}
	for _, p := range s.Pods {
		if g.p(0.08) {
			continue
		}
		pr := PodResource{Pod: p.Name, At: s.At - int64(g.r.Intn(60000)), WindowSeconds: []int64{15, 30, 60}[g.r.Intn(3)]}
		if g.p(0.02) {
			d.PodResources = append(d.PodResources, pr)
			continue
		}
		for _, c := range append(append([]Container{}, p.Containers...), p.InitContainers...) {
			if !c.Sidecar && c.Name == "init" {
				continue
			}
			if g.p(0.03) {
				continue
			}
			u := ContainerUsage{Name: c.Name, Usage: map[string]int64{}}
			for _, res := range []string{"cpu", "memory"} {
				if g.p(0.02) {
					continue
				}
				req := c.Requests[res]
				if req == 0 {
					req = 200
				}
				if b, ok := g.base[res]; ok {
					if b > 0 {
						req = b
					} else {
						req = req * -b / 100
					}
				}
				u.Usage[res] = scale(req, g.ratio())
			}
			pr.Containers = append(pr.Containers, u)
		}
		d.PodResources = append(d.PodResources, pr)
	}
	if g.p(0.03) {
		d.PodResources = append(d.PodResources, PodResource{Pod: "stray", At: s.At, WindowSeconds: 30,
			Containers: []ContainerUsage{{Name: "app", Usage: map[string]int64{"cpu": 500, "memory": 1 << 30 * 1000}}}})
	}
	return d
}
