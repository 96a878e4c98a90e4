package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/adapter"
	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// adapter reads prometheus-adapter's configuration for a plain HPA: the
// file spec.adapter.config names (the adapter's config.yaml, or the
// prometheus-adapter Helm chart's values with rules.custom,
// rules.external and rules.default), or a ConfigMap of the manifests
// whose config.yaml holds adapter rules, as the chart renders it.
func (rs *resolution) adapter() {
	s := &rs.sc.Spec
	if s.HPA == nil {
		return
	}
	var a *sim.Adapter
	relist := adapter.DefaultRelistInterval
	relistWhy := "the adapter's default --metrics-relist-interval"
	if cfg := rs.refs.adapterConfig; cfg.n != nil {
		name := cfg.n.Value
		data, err := rs.read(name)
		if err != nil {
			cfg.fail("cannot read the adapter configuration: %v", unwrapPath(err))
			return
		}
		file := displayPath(rs.sc.File, name)
		var chart bool
		a, chart = parseAdapterFile(file, data, rs.ps)
		if a == nil {
			return
		}
		if chart {
			relist, relistWhy = adapter.ChartRelistInterval, "the prometheus-adapter chart's metricsRelistInterval"
			if v := a.RelistInterval; v > 0 {
				relist, relistWhy = v, file+" metricsRelistInterval"
			}
		}
	} else {
		for _, cm := range rs.all.ConfigMaps {
			text, ok := cm.Data["config.yaml"]
			if !ok || !looksLikeAdapterConfig(text) {
				continue
			}
			file, line := rs.all.Locate(cm, "data.config.yaml")
			// Lines inside the block scalar count from the line after the key.
			got, _ := parseAdapterFile(fmt.Sprintf("%s (ConfigMap %s data.config.yaml, from line %d)", file, cm.Name, line+1), []byte(text), rs.ps)
			if got != nil {
				a = got
				relist, relistWhy = adapter.ChartRelistInterval, "the prometheus-adapter chart's metricsRelistInterval (the ConfigMap is the chart's)"
			}
		}
	}
	if a == nil {
		return
	}
	if rs.given("adapter.relistInterval") {
		relist, relistWhy = rs.refs.relist, rs.scenarioField("adapter.relistInterval")
	}
	a.RelistInterval = relist
	a.MaxAge = rs.refs.maxAge
	if a.MaxAge > 0 && a.MaxAge < relist {
		rs.refs.node.child("adapter", rs.refs.node.n).fail("maxAge %s must not be less than the relist interval %s (the adapter refuses: max age must not be less than relist interval)", a.MaxAge, relist)
	}
	s.HPA.Adapter = a
	note := ""
	if a.ResourceRulesIgnored {
		note = "its resource rules are not used: the HPA's Resource metrics come from the simulated metrics-server"
	}
	rs.setting("adapter rules", fmt.Sprintf("%d", len(a.Rules)), a.Source, note)
	rs.setting("adapter relist", shortDuration(relist), relistWhy, "a metric is served from the first relist after its series appear")
}

// read reads a file the scenario names.
func (rs *resolution) read(name string) ([]byte, error) { return rs.readFn(name) }

// looksLikeAdapterConfig tells a prometheus-adapter config.yaml from the
// other config.yaml ConfigMaps of a cluster (cluster-monitoring-config).
func looksLikeAdapterConfig(text string) bool {
	var m map[string]any
	if yaml.Unmarshal([]byte(text), &m) != nil {
		return false
	}
	for _, k := range []string{"rules", "externalRules", "resourceRules"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// parseAdapterFile reads a prometheus-adapter configuration or the Helm
// chart's values (told apart by rules being a list or a mapping); chart
// is true for the latter.
func parseAdapterFile(file string, data []byte, outer *problems) (*sim.Adapter, bool) {
	ps := &problems{file: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		outer.list = append(outer.list, syntaxProblem(file, data, err))
		return nil, false
	}
	if len(doc.Content) == 0 {
		outer.add(0, "", "%s is empty; want prometheus-adapter's configuration (rules, externalRules) or its Helm chart's values (rules.custom, rules.external)", file)
		return nil, false
	}
	root := node{n: doc.Content[0], ps: ps}
	a := &sim.Adapter{Source: file}
	chart := false
	if root.n.Kind == yaml.MappingNode {
		if r := mappingValue(root.n, "rules"); r != root.n && r.Kind == yaml.MappingNode {
			chart = true
		}
	}
	if chart {
		// The chart's other values (image, prometheus.url, resources, ...)
		// do not change what is served.
		def := true
		for i := 0; i+1 < len(root.n.Content); i += 2 {
			k, v := root.n.Content[i].Value, root.child(root.n.Content[i].Value, root.n.Content[i+1])
			switch k {
			case "metricsRelistInterval":
				a.RelistInterval = v.duration()
			case "rules":
				v.fields([]string{"default", "custom", "external", "resource", "existing"}, func(key string, v node) {
					switch key {
					case "default":
						def = v.boolean()
					case "custom":
						a.Rules = append(a.Rules, adapterRules(v, adapter.Custom, file)...)
					case "external":
						a.Rules = append(a.Rules, adapterRules(v, adapter.External, file)...)
					case "resource":
						a.ResourceRulesIgnored = true
					case "existing":
						v.fail("rules.existing names a ConfigMap the chart uses instead of its rules; put that ConfigMap in the manifests instead")
					}
				})
			}
		}
		if def {
			// templates/configmap.yaml writes the default rules before
			// rules.custom.
			a.Rules = append(chartDefaultRules(file), a.Rules...)
		}
	} else {
		root.fields([]string{"rules", "externalRules", "resourceRules"}, func(key string, v node) {
			switch key {
			case "rules":
				a.Rules = append(a.Rules, adapterRules(v, adapter.Custom, file)...)
			case "externalRules":
				a.Rules = append(a.Rules, adapterRules(v, adapter.External, file)...)
			case "resourceRules":
				a.ResourceRulesIgnored = true
			}
		})
	}
	outer.list = append(outer.list, ps.list...)
	if len(ps.list) > 0 {
		return nil, chart
	}
	return a, chart
}

// adapterRules reads a list of discovery rules (prometheus-adapter
// pkg/config/config.go DiscoveryRule), compiling each.
func adapterRules(n node, kind adapter.Kind, file string) []*adapter.Rule {
	var out []*adapter.Rule
	n.items(func(i int, v node) {
		spec := adapter.Spec{Kind: kind, Overrides: map[string]string{}, Source: fmt.Sprintf("%s:%d", file, v.line())}
		v.fields([]string{"seriesQuery", "seriesFilters", "resources", "name", "metricsQuery"}, func(key string, v node) {
			switch key {
			case "seriesQuery":
				spec.SeriesQuery = v.str()
			case "metricsQuery":
				spec.MetricsQuery = v.str()
			case "seriesFilters":
				v.items(func(i int, v node) {
					var f adapter.Filter
					v.fields([]string{"is", "isNot"}, func(key string, v node) {
						if key == "is" {
							f.Is = v.str()
						} else {
							f.IsNot = v.str()
						}
					})
					spec.SeriesFilters = append(spec.SeriesFilters, f)
				})
			case "resources":
				v.fields([]string{"overrides", "template", "namespaced"}, func(key string, v node) {
					switch key {
					case "template":
						spec.Template = v.str()
					case "namespaced":
						b := v.boolean()
						spec.Namespaced = &b
					case "overrides":
						if v.n.Kind != yaml.MappingNode {
							v.fail("must be a mapping of label names to {group, resource}")
							return
						}
						for j := 0; j+1 < len(v.n.Content); j += 2 {
							label := v.n.Content[j].Value
							v.child(label, v.n.Content[j+1]).fields([]string{"group", "resource"}, func(key string, r node) {
								if key == "resource" {
									spec.Overrides[label] = r.str()
								} else {
									r.str()
								}
							})
						}
					}
				})
			case "name":
				v.fields([]string{"matches", "as"}, func(key string, v node) {
					if key == "matches" {
						spec.Matches = v.str()
					} else {
						spec.As = v.str()
					}
				})
			}
		})
		r, err := adapter.Compile(spec)
		if err != nil {
			v.fail("%v", err)
			return
		}
		if _, perr := parseSeriesQuery(spec.SeriesQuery); perr != nil {
			v.child("seriesQuery", v.n).fail("invalid series selector: %v", perr)
			return
		}
		out = append(out, r)
	})
	return out
}

func parseSeriesQuery(q string) (bool, error) {
	if strings.TrimSpace(q) == "" {
		return false, errors.New("empty")
	}
	return true, promql.CheckSeriesSelector(q)
}

// chartDefaultRules are the rules the prometheus-adapter chart writes
// when rules.default is true (charts/prometheus-adapter/values.yaml and
// templates/configmap.yaml).
func chartDefaultRules(file string) []*adapter.Rule {
	podNS := map[string]string{"namespace": "namespace", "pod": "pod"}
	specs := []adapter.Spec{
		{SeriesQuery: `{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}`, SeriesFilters: nil, Overrides: podNS,
			Matches: `^container_(.*)_seconds_total$`, MetricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[5m])) by (<<.GroupBy>>)`},
		{SeriesQuery: `{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}`, SeriesFilters: []adapter.Filter{{IsNot: `^container_.*_seconds_total$`}}, Overrides: podNS,
			Matches: `^container_(.*)_total$`, MetricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[5m])) by (<<.GroupBy>>)`},
		{SeriesQuery: `{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}`, SeriesFilters: []adapter.Filter{{IsNot: `^container_.*_total$`}}, Overrides: podNS,
			Matches: `^container_(.*)$`, MetricsQuery: `sum(<<.Series>>{<<.LabelMatchers>>,container!="POD"}) by (<<.GroupBy>>)`},
		{SeriesQuery: `{namespace!="",__name__!~"^container_.*"}`, SeriesFilters: []adapter.Filter{{IsNot: `.*_total$`}}, Template: "<<.Resource>>",
			MetricsQuery: `sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)`},
		{SeriesQuery: `{namespace!="",__name__!~"^container_.*"}`, SeriesFilters: []adapter.Filter{{IsNot: `.*_seconds_total`}}, Template: "<<.Resource>>",
			Matches: `^(.*)_total$`, MetricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (<<.GroupBy>>)`},
		{SeriesQuery: `{namespace!="",__name__!~"^container_.*"}`, Template: "<<.Resource>>",
			Matches: `^(.*)_seconds_total$`, MetricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (<<.GroupBy>>)`},
	}
	var out []*adapter.Rule
	for i, s := range specs {
		s.Kind = adapter.Custom
		s.Source = fmt.Sprintf("%s rules.default (chart default rule %d)", file, i+1)
		if r, err := adapter.Compile(s); err == nil {
			out = append(out, r)
		}
	}
	return out
}

// adapterOrigins locates the query behind each HPA metric that a rule of
// spec.adapter.rules serves.
func (rs *resolution) adapterOrigins() {
	s := &rs.sc.Spec
	if s.HPA == nil {
		return
	}
	rs.sc.queryOrigins = map[int]Problem{}
	for i, m := range s.HPA.Spec.Metrics {
		if m.Type == hpa.ResourceMetricSourceType || m.Type == hpa.ContainerResourceMetricSourceType {
			continue
		}
		for j, r := range rs.refs.rules {
			if r.Name == m.Name {
				n := rs.refs.ruleNodes[j]
				rs.sc.queryOrigins[i] = Problem{File: rs.sc.File, Line: n.line(), Path: n.path + ".query"}
			}
		}
	}
}
