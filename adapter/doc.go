// Package adapter is prometheus-adapter's naming and query rendering: how
// a configuration's rules turn Prometheus series into the custom and
// external metrics an HPA asks for, and the PromQL each request sends.
//
// It follows kubernetes-sigs/prometheus-adapter: pkg/config (the rule
// format), pkg/naming/metric_namer.go (series filters, name.matches and
// name.as), pkg/naming/resource_converter.go (resources.overrides and
// resources.template) and pkg/naming/metrics_query.go (metricsQuery as a
// Go template with << >> delimiters over .Series, .LabelMatchers,
// .LabelValuesByName, .GroupBy and .GroupBySlice). The simulator uses it
// to serve an HPA's Pods, Object and External metrics the way the adapter
// would, including the case where a rule never registers the metric.
package adapter
