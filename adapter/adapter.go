package adapter

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"text/template"
	"time"

	klabels "k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
)

// Kind says which metrics API a rule serves.
type Kind string

// The metrics APIs of the adapter.
const (
	Custom   Kind = "custom"   // custom.metrics.k8s.io: Pods and Object metrics
	External Kind = "external" // external.metrics.k8s.io
)

// Defaults of the adapter binary and of its Helm chart.
const (
	// DefaultRelistInterval is --metrics-relist-interval of the binary
	// (cmd/adapter/adapter.go); the Helm chart passes 1m.
	DefaultRelistInterval = 10 * time.Minute
	// ChartRelistInterval is the Helm chart's metricsRelistInterval.
	ChartRelistInterval = time.Minute
)

// Filter is one entry of seriesFilters: Is must match the series name,
// IsNot must not.
type Filter struct {
	Is, IsNot string
}

// Rule is one discovery rule of the configuration, compiled.
type Rule struct {
	Kind Kind
	// SeriesQuery selects the series the rule turns into metrics.
	SeriesQuery string
	Filters     []*regexp.Regexp
	FiltersNot  []*regexp.Regexp
	// Overrides map a series label to the resource it names, plural and
	// lower case ("pods", "namespaces", "services").
	Overrides map[string]string
	// Template is resources.template, e.g. "kubernetes_<<.Resource>>".
	Template *template.Template
	// Namespaced is resources.namespaced (external rules; default true).
	Namespaced bool
	// Matches and As are name.matches and name.as.
	Matches *regexp.Regexp
	As      string
	// Query is metricsQuery.
	Query *template.Template
	// Source locates the rule in its file, for messages.
	Source string
}

// Spec is a rule as written, before Compile.
type Spec struct {
	Kind          Kind
	SeriesQuery   string
	SeriesFilters []Filter
	// Overrides map a label to {group, resource}; only the resource
	// matters here.
	Overrides    map[string]string
	Template     string
	Namespaced   *bool
	Matches, As  string
	MetricsQuery string
	Source       string
}

// Compile checks a rule as the adapter's configuration loader and namer
// do and compiles it (pkg/naming/metric_namer.go NamersFromConfig).
func Compile(s Spec) (*Rule, error) {
	r := &Rule{Kind: s.Kind, SeriesQuery: s.SeriesQuery, Namespaced: true, Source: s.Source, Overrides: map[string]string{}}
	if s.Namespaced != nil {
		r.Namespaced = *s.Namespaced
	}
	if s.SeriesQuery == "" {
		return nil, errors.New("seriesQuery must be set")
	}
	for i, f := range s.SeriesFilters {
		switch {
		case f.Is != "" && f.IsNot != "":
			return nil, fmt.Errorf("seriesFilters[%d]: set exactly one of is and isNot, not both", i)
		case f.Is != "":
			re, err := regexp.Compile(f.Is)
			if err != nil {
				return nil, fmt.Errorf("seriesFilters[%d].is: %v", i, err)
			}
			r.Filters = append(r.Filters, re)
		case f.IsNot != "":
			re, err := regexp.Compile(f.IsNot)
			if err != nil {
				return nil, fmt.Errorf("seriesFilters[%d].isNot: %v", i, err)
			}
			r.FiltersNot = append(r.FiltersNot, re)
		default:
			return nil, fmt.Errorf("seriesFilters[%d]: set one of is and isNot", i)
		}
	}
	matches := s.Matches
	if matches == "" {
		matches = ".*"
	}
	re, err := regexp.Compile(matches)
	if err != nil {
		return nil, fmt.Errorf("name.matches: %v", err)
	}
	r.Matches = re
	r.As = s.As
	if r.As == "" {
		switch re.NumSubexp() {
		case 0:
			r.As = "$0"
		case 1:
			r.As = "$1"
		default:
			return nil, fmt.Errorf("name.as must be set: name.matches %q has %d capture groups (must specify an 'as' value for name matcher %q associated with series query %q)", matches, re.NumSubexp(), matches, s.SeriesQuery)
		}
	}
	if s.Matches != "" {
		// The adapter also filters on name.matches.
		r.Filters = append(r.Filters, re)
	}
	for label, res := range s.Overrides {
		r.Overrides[label] = Normalize(res)
	}
	if s.Template != "" {
		t, err := template.New("resource").Delims("<<", ">>").Parse(s.Template)
		if err != nil {
			return nil, fmt.Errorf("resources.template: %v", err)
		}
		r.Template = t
	}
	if s.MetricsQuery == "" {
		return nil, errors.New("metricsQuery must be set")
	}
	q, err := template.New("metricsQuery").Delims("<<", ">>").Parse(s.MetricsQuery)
	if err != nil {
		return nil, fmt.Errorf("metricsQuery: %v", err)
	}
	r.Query = q
	return r, nil
}

// Normalize writes a resource as the adapter's REST mapper resolves it:
// lower case and plural ("pod" and "Pods" are "pods").
func Normalize(resource string) string {
	r := strings.ToLower(resource)
	if i := strings.IndexByte(r, '.'); i >= 0 {
		r = r[:i] // the group does not matter to the simulation
	}
	if !strings.HasSuffix(r, "s") {
		r += "s"
	}
	return r
}

// singular is the resource name the template receives.
func singular(resource string) string { return strings.TrimSuffix(resource, "s") }

// MetricName is the API name of series name under this rule, or false
// when the rule's filters reject it (metric_namer.go MetricNameForSeries:
// name.as expanded from the first name.matches match).
func (r *Rule) MetricName(series string) (string, bool) {
	for _, f := range r.Filters {
		if !f.MatchString(series) {
			return "", false
		}
	}
	for _, f := range r.FiltersNot {
		if f.MatchString(series) {
			return "", false
		}
	}
	m := r.Matches.FindStringSubmatchIndex(series)
	if m == nil {
		return "", false
	}
	return string(r.Matches.ExpandString(nil, r.As, series, m)), true
}

// LabelFor is the series label naming resource (plural), from overrides
// or the template (resource_converter.go LabelForResource).
func (r *Rule) LabelFor(resource string) (string, bool) {
	keys := make([]string, 0, len(r.Overrides))
	for k := range r.Overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if r.Overrides[k] == resource {
			return k, true
		}
	}
	if r.Template != nil {
		var b bytes.Buffer
		if err := r.Template.Execute(&b, map[string]string{"Group": "", "Resource": singular(resource)}); err == nil && b.Len() > 0 {
			return b.String(), true
		}
	}
	return "", false
}

// Resources are the resources a series with these label names is
// registered for (resource_converter.go ResourcesForSeries): those of the
// overrides and of the template whose label the series carries.
func (r *Rule) Resources(labelNames []string) []string {
	var out []string
	for _, l := range labelNames {
		if res, ok := r.Overrides[l]; ok {
			out = append(out, res)
		}
	}
	if r.Template != nil {
		for _, res := range []string{"pods", "namespaces", "services", "deployments", "nodes", "ingresses", "statefulsets"} {
			if l, ok := r.LabelFor(res); ok && contains(labelNames, l) && !contains(out, res) {
				out = append(out, res)
			}
		}
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Matcher is a label matcher of a request's metric selector.
type Matcher struct {
	Name, Op, Value string
}

func (m Matcher) String() string { return fmt.Sprintf("%s%s%q", m.Name, m.Op, m.Value) }

// SelectorMatchers converts an HPA metric selector ("k=v,k2 in (a,b)")
// into matchers, sorted by key, as pkg/naming/metrics_query.go
// processQueryParts does: = and == give =, != gives !=, in gives =~ and
// notin !~ (values joined by |), exists gives !="", does-not-exist ="".
func SelectorMatchers(selector string) ([]Matcher, error) {
	if selector == "" {
		return nil, nil
	}
	sel, err := klabels.Parse(selector)
	if err != nil {
		return nil, err
	}
	reqs, _ := sel.Requirements()
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].Key() < reqs[j].Key() })
	var out []Matcher
	for _, q := range reqs {
		vals := q.Values().List()
		switch q.Operator() {
		case selection.Equals, selection.DoubleEquals:
			out = append(out, Matcher{q.Key(), "=", vals[0]})
		case selection.NotEquals:
			out = append(out, Matcher{q.Key(), "!=", vals[0]})
		case selection.In:
			if len(vals) == 1 {
				out = append(out, Matcher{q.Key(), "=", vals[0]})
			} else {
				out = append(out, Matcher{q.Key(), "=~", strings.Join(vals, "|")})
			}
		case selection.NotIn:
			if len(vals) == 1 {
				out = append(out, Matcher{q.Key(), "!=", vals[0]})
			} else {
				out = append(out, Matcher{q.Key(), "!~", strings.Join(vals, "|")})
			}
		case selection.Exists:
			out = append(out, Matcher{q.Key(), "!=", ""})
		case selection.DoesNotExist:
			out = append(out, Matcher{q.Key(), "=", ""})
		default:
			return nil, fmt.Errorf("operator %s is not supported in a metric selector", q.Operator())
		}
	}
	return out, nil
}

// Query is a rendered request.
type Query struct {
	PromQL string
	// GroupBy is the label whose values name the objects (the pod label
	// of a Pods request), "" for External requests.
	GroupBy string
}

// ObjectQuery renders the query of a Pods or Object metric request for
// the objects names of resource in namespace (metrics_query.go Build):
// the selector's matchers, then the namespace label, then the resource
// label (= for one name, =~ with the names joined by | for several).
func (r *Rule) ObjectQuery(series, resource, namespace string, names []string, selector []Matcher) (Query, error) {
	if len(names) == 0 {
		return Query{}, errors.New("no objects to ask about")
	}
	matchers := append([]Matcher(nil), selector...)
	values := map[string]string{}
	for _, m := range selector {
		values[m.Name] = m.Value
	}
	if namespace != "" {
		nsLabel, ok := r.LabelFor("namespaces")
		if !ok {
			return Query{}, fmt.Errorf("unable to convert resource namespaces into label: no generic resource label form specified for this metric")
		}
		matchers = append(matchers, Matcher{nsLabel, "=", namespace})
		values[nsLabel] = namespace
	}
	resLabel, ok := r.LabelFor(resource)
	if !ok {
		return Query{}, fmt.Errorf("unable to convert resource %s into label: no generic resource label form specified for this metric", resource)
	}
	if len(names) == 1 {
		matchers = append(matchers, Matcher{resLabel, "=", names[0]})
	} else {
		matchers = append(matchers, Matcher{resLabel, "=~", strings.Join(names, "|")})
	}
	values[resLabel] = strings.Join(names, "|")
	q, err := r.render(series, matchers, values, []string{resLabel})
	return Query{PromQL: q, GroupBy: resLabel}, err
}

// ExternalQuery renders the query of an External metric request
// (metrics_query.go BuildExternal): the selector's matchers and, for a
// namespaced rule, the namespace label; no grouping.
func (r *Rule) ExternalQuery(series, namespace string, selector []Matcher) (Query, error) {
	matchers := append([]Matcher(nil), selector...)
	values := map[string]string{}
	for _, m := range selector {
		values[m.Name] = m.Value
	}
	if r.Namespaced && namespace != "" {
		nsLabel, ok := r.LabelFor("namespaces")
		if !ok {
			return Query{}, fmt.Errorf("unable to convert resource namespaces into label: no generic resource label form specified for this metric")
		}
		matchers = append(matchers, Matcher{nsLabel, "=", namespace})
		values[nsLabel] = namespace
	}
	q, err := r.render(series, matchers, values, nil)
	return Query{PromQL: q}, err
}

func (r *Rule) render(series string, matchers []Matcher, values map[string]string, groupBy []string) (string, error) {
	parts := make([]string, len(matchers))
	for i, m := range matchers {
		parts[i] = m.String()
	}
	var b bytes.Buffer
	err := r.Query.Execute(&b, queryArgs{
		Series:            series,
		LabelMatchers:     strings.Join(parts, ","),
		LabelValuesByName: values,
		GroupBy:           strings.Join(groupBy, ","),
		GroupBySlice:      groupBy,
	})
	if err != nil {
		return "", fmt.Errorf("metricsQuery: %v", err)
	}
	if b.Len() == 0 {
		return "", errors.New("empty query produced by metrics query template")
	}
	return b.String(), nil
}

// queryArgs are the fields a metricsQuery can use; a template naming any
// other fails when it runs, as in the adapter.
type queryArgs struct {
	Series            string
	LabelMatchers     string
	LabelValuesByName map[string]string
	GroupBy           string
	GroupBySlice      []string
}

// Metric is a metric the adapter has discovered: the API name, the
// resource it describes (for custom metrics), the series behind it and
// its rule.
type Metric struct {
	Kind     Kind
	Resource string
	Name     string
	Series   string
	Rule     *Rule
}

// Registry is what the adapter serves after a relist: each (kind,
// resource, name) maps to the last rule that produced it, as the series
// registry's map does (pkg/custom-provider/series_registry.go SetSeries).
type Registry struct {
	metrics map[string]Metric
}

// Series is a series discovered by a rule's seriesQuery: its name and
// label names.
type Series struct {
	Name   string
	Labels []string
}

// Discover builds the registry from the series each rule's seriesQuery
// finds (series(rule) answers /api/v1/series for it).
func Discover(rules []*Rule, series func(*Rule) []Series) *Registry {
	reg := &Registry{metrics: map[string]Metric{}}
	for _, r := range rules {
		for _, s := range series(r) {
			name, ok := r.MetricName(s.Name)
			if !ok {
				continue
			}
			if r.Kind == External {
				reg.metrics[key(External, "", name)] = Metric{Kind: External, Name: name, Series: s.Name, Rule: r}
				continue
			}
			for _, res := range r.Resources(s.Labels) {
				reg.metrics[key(Custom, res, name)] = Metric{Kind: Custom, Resource: res, Name: name, Series: s.Name, Rule: r}
			}
		}
	}
	return reg
}

func key(k Kind, resource, name string) string { return string(k) + "/" + resource + "/" + name }

// Lookup finds a metric; resource is "" for external metrics. Custom
// metric names match case-insensitively, as the adapter lower-cases
// them.
func (reg *Registry) Lookup(k Kind, resource, name string) (Metric, bool) {
	if reg == nil {
		return Metric{}, false
	}
	m, ok := reg.metrics[key(k, resource, name)]
	if !ok && k == Custom {
		for kk, v := range reg.metrics {
			if strings.EqualFold(kk, key(k, resource, name)) {
				return v, true
			}
		}
	}
	return m, ok
}

// Names lists the registered metrics, sorted, for messages.
func (reg *Registry) Names() []string {
	if reg == nil {
		return nil
	}
	var out []string
	for _, m := range reg.metrics {
		if m.Kind == External {
			out = append(out, "external "+m.Name)
		} else {
			out = append(out, m.Resource+" "+m.Name)
		}
	}
	sort.Strings(out)
	return out
}
