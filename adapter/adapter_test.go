package adapter

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The seed tutorial's rule: series with kubernetes_namespace and
// kubernetes_pod_name labels, _total renamed to _avg.
var tutorial = Spec{
	Kind:         Custom,
	SeriesQuery:  `{__name__=~"^myapp_websockets_connections_total$"}`,
	Overrides:    map[string]string{"kubernetes_namespace": "namespace", "kubernetes_pod_name": "pod"},
	Matches:      "^(.*)_total",
	As:           "${1}_avg",
	MetricsQuery: "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)",
}

func TestPodsQuery(t *testing.T) {
	r, err := Compile(tutorial)
	require.NoError(t, err)
	name, ok := r.MetricName("myapp_websockets_connections_total")
	require.True(t, ok)
	require.Equal(t, "myapp_websockets_connections_avg", name)

	q, err := r.ObjectQuery("myapp_websockets_connections_total", "pods", "myapp-namespace", []string{"myapp-5f7-abcde", "myapp-5f7-fghij"}, nil)
	require.NoError(t, err)
	require.Equal(t, `sum(myapp_websockets_connections_total{kubernetes_namespace="myapp-namespace",kubernetes_pod_name=~"myapp-5f7-abcde|myapp-5f7-fghij"}) by (kubernetes_pod_name)`, q.PromQL)
	require.Equal(t, "kubernetes_pod_name", q.GroupBy)

	one, err := r.ObjectQuery("myapp_websockets_connections_total", "pods", "ns", []string{"a"}, []Matcher{{"period", "=", "1sec"}})
	require.NoError(t, err)
	require.Equal(t, `sum(myapp_websockets_connections_total{period="1sec",kubernetes_namespace="ns",kubernetes_pod_name="a"}) by (kubernetes_pod_name)`, one.PromQL)
}

func TestNameDefaults(t *testing.T) {
	s := tutorial
	s.As = ""
	r, err := Compile(s)
	require.NoError(t, err)
	name, _ := r.MetricName("myapp_websockets_connections_total")
	require.Equal(t, "myapp_websockets_connections", name, "one capture group: as defaults to $1")

	s.As = "$1_avg" // the group named "1_avg", which is empty: braces are needed
	r, err = Compile(s)
	require.NoError(t, err)
	name, _ = r.MetricName("myapp_websockets_connections_total")
	require.Equal(t, "", name)

	s.Matches, s.As = "^(a)(b)", ""
	_, err = Compile(s)
	require.ErrorContains(t, err, "must specify an 'as' value")
}

func TestTemplateAndDiscovery(t *testing.T) {
	r, err := Compile(Spec{Kind: Custom, SeriesQuery: `{namespace!="",__name__!~"^container_.*"}`, Template: "<<.Resource>>",
		Matches: "^(.*)_total$", As: "", MetricsQuery: "sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (<<.GroupBy>>)"})
	require.NoError(t, err)
	label, ok := r.LabelFor("pods")
	require.True(t, ok)
	require.Equal(t, "pod", label)
	require.Equal(t, []string{"namespaces", "pods"}, r.Resources([]string{"job", "namespace", "pod"}))

	reg := Discover([]*Rule{r}, func(*Rule) []Series {
		return []Series{{Name: "http_requests_total", Labels: []string{"namespace", "pod"}}, {Name: "up", Labels: []string{"namespace"}}}
	})
	m, ok := reg.Lookup(Custom, "pods", "http_requests")
	require.True(t, ok)
	require.Equal(t, "http_requests_total", m.Series)
	_, ok = reg.Lookup(Custom, "pods", "up")
	require.False(t, ok, "filtered by name.matches")

	// Overrides that name labels the series lack register nothing: the
	// HPA would read "the server could not find the metric".
	tr, _ := Compile(tutorial)
	reg = Discover([]*Rule{tr}, func(*Rule) []Series {
		return []Series{{Name: "myapp_websockets_connections_total", Labels: []string{"namespace", "pod"}}}
	})
	_, ok = reg.Lookup(Custom, "pods", "myapp_websockets_connections_avg")
	require.False(t, ok)
}

func TestExternalQuery(t *testing.T) {
	r, err := Compile(Spec{Kind: External, SeriesQuery: `{__name__="queue_depth"}`, Overrides: map[string]string{"namespace": "namespace"},
		MetricsQuery: "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)"})
	require.NoError(t, err)
	sel, err := SelectorMatchers("queue in (a,b),env=prod")
	require.NoError(t, err)
	q, err := r.ExternalQuery("queue_depth", "shop", sel)
	require.NoError(t, err)
	require.Equal(t, `sum(queue_depth{env="prod",queue=~"a|b",namespace="shop"}) by ()`, q.PromQL)

	bad, err := Compile(Spec{Kind: External, SeriesQuery: `{__name__="x"}`, MetricsQuery: "<<.LabelMatchersByName>>"})
	require.NoError(t, err)
	_, err = bad.ExternalQuery("x", "", nil)
	require.Error(t, err, "a field the adapter does not have fails at run time")
}
