package kedaconformance

import (
	"errors"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/keda"
)

// RunModel runs a case through the keda package: the ScaledObject with
// the one trigger, its generated HPA's target, and for each answer the
// metric the HPA reads and the activity the scale loop sees.
func RunModel(c Case) Result {
	md := map[string]string{}
	for k, v := range c.Metadata {
		md[k] = v
	}
	if _, ok := md["serverAddress"]; !ok {
		md["serverAddress"] = "http://prometheus.test:9090"
	}
	so := &keda.ScaledObject{
		Name: "so", Namespace: "ns",
		ScaleTargetRef: keda.ScaleTarget{Name: "app"},
		Triggers:       []keda.Trigger{{Type: "prometheus", Metadata: md, MetricType: c.MetricType}},
	}
	loop, err := keda.NewLoop(so, c.Version, time.Unix(0, 0))
	if err != nil {
		return Result{Error: err.Error()}
	}
	var r Result
	if ms := loop.HPA().Metrics; len(ms) == 1 {
		t := ms[0].Target
		r.TargetType = string(t.Type)
		switch {
		case t.AverageValueMilli != nil:
			r.TargetMilli = *t.AverageValueMilli
		case t.ValueMilli != nil:
			r.TargetMilli = *t.ValueMilli
		}
	}
	w := keda.Workload{Current: 1, Ready: 1}
	for _, a := range c.Answers {
		obs := loop.Observe(0, keda.DecodeQueryResponse(a.Status, []byte(a.Body)))
		q := Query{Active: obs.Active}
		if obs.Err != nil {
			q.Error = obs.Err.Error()
			r.Queries = append(r.Queries, q)
			continue
		}
		vals, err := loop.MetricsForHPA("s0-prometheus", []keda.TriggerObservation{obs}, w)
		if err != nil || len(vals) != 1 {
			q.Error = errors.Join(err, errors.New("no value")).Error()
		} else {
			q.Milli = vals[0]
		}
		r.Queries = append(r.Queries, q)
	}
	return r
}

// Divergence is one difference between the model and upstream.
type Divergence struct {
	Query    int    `json:"query"` // -1 for construction and target
	Field    string `json:"field"`
	Model    string `json:"model"`
	Upstream string `json:"upstream"`
}

// normalizeError drops what a message owes to the request URL, which
// carries the test server's address and the wall clock
// (`Get "http://...": net/http: ...`).
func normalizeError(s string) string {
	if strings.HasPrefix(s, "Get \"") {
		if i := strings.Index(s, "\": "); i > 0 {
			return s[i+3:]
		}
	}
	return s
}

// Compare lists the differences of one case. A construction error is
// compared by presence: the model words metadata errors per field.
func Compare(m, u Result) []Divergence {
	var out []Divergence
	add := func(q int, field, mv, uv string) {
		out = append(out, Divergence{Query: q, Field: field, Model: mv, Upstream: uv})
	}
	if (m.Error == "") != (u.Error == "") {
		add(-1, "construction", m.Error, u.Error)
		return out
	}
	if m.Error != "" {
		return out
	}
	if m.TargetType != u.TargetType || m.TargetMilli != u.TargetMilli {
		add(-1, "target", m.TargetType+" "+itoa(m.TargetMilli), u.TargetType+" "+itoa(u.TargetMilli))
	}
	for i := 0; i < len(m.Queries) && i < len(u.Queries); i++ {
		mq, uq := m.Queries[i], u.Queries[i]
		switch {
		case (mq.Error == "") != (uq.Error == ""):
			add(i, "error", mq.Error, uq.Error)
		case normalizeError(mq.Error) != normalizeError(uq.Error):
			add(i, "error.message", mq.Error, uq.Error)
		case mq.Error == "" && mq.Milli != uq.Milli:
			add(i, "value", itoa(mq.Milli), itoa(uq.Milli))
		}
		if mq.Active != uq.Active {
			add(i, "active", boolStr(mq.Active), boolStr(uq.Active))
		}
	}
	if len(m.Queries) != len(u.Queries) {
		add(-1, "queries", itoa(int64(len(m.Queries))), itoa(int64(len(u.Queries))))
	}
	return out
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
