// Package replay brings recorded metrics into autoscale-sim, so that
// autoscaling policies can be tried against the load a workload really
// saw.
//
// Recorded series come from three places:
//
//   - [ReadCSV] reads a CSV export: a time column (time, timestamp or
//     time_seconds) and one column per series, headed by a metric name or
//     a PromQL series selector such as websocket_connection_count{pod="ws-0"};
//   - [ReadQueryRange] reads a saved answer of the Prometheus HTTP API
//     (curl .../api/v1/query_range?... > load.json; instant answers of
//     /api/v1/query are accepted too);
//   - [Client.QueryRange] asks a running Prometheus directly.
//
// All three return []Series sorted by label set ([Series.String]) with
// points in time order; duplicate timestamps within a series, malformed
// values and malformed files are errors that name the line and column or
// the JSON field. Sample values follow the Prometheus API: numbers, and
// the strings "NaN", "+Inf" and "-Inf".
//
// Recorded times are wall-clock times; [Shift] moves all series together
// so that the earliest point lands on the simulator's epoch, keeping the
// spacing between points.
//
// The package uses only the standard library. Its live test,
// TestLivePrometheus, runs against a real Prometheus when
// AUTOSCALE_SIM_PROMETHEUS_URL and AUTOSCALE_SIM_PROMETHEUS_DATA_START are
// set, as .ci/prometheus.sh prints them:
//
//	eval "$(bash .ci/prometheus.sh | tail -1)"
//	go test ./replay/ -run TestLivePrometheus -v
//	bash .ci/prometheus.sh stop
package replay
