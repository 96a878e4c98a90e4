#!/usr/bin/env bash
# How kube-state-metrics.json was recorded. The "cluster" is a simulated
# run of scenario.yaml, exported with --openmetrics, with two things the
# simulation cannot know of written into it: at 14:20:00 and 14:20:15 the
# HPA's status shows 4 replicas (a manual scale), and the
# kube-state-metrics scrape of 14:06:00 is lost (for the HPA's desired
# replicas). The export is backfilled into a real Prometheus, a private
# one this script starts and stops (.ci/prometheus.sh, then
# .ci/prometheus.sh backfill), and the file is its answer, as anyone saves
# it from their own cluster: the HPA's and the Deployment's series over a
# range selector, so each raw sample keeps its scrape time. A plain HPA
# needs nothing else: kube_horizontalpodautoscaler_status_target_metric
# holds the metric's average at every sync.
#
# Usage (from the repository root): bash examples/backtest-hpa/record.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
export AUTOSCALE_SIM_PROMETHEUS_DIR=$tmp/prometheus
trap 'bash .ci/prometheus.sh stop; rm -rf "$tmp"' EXIT
go run ./cmd/autoscale-sim run examples/backtest-hpa/scenario.yaml -q --openmetrics "$tmp/run.om"
start=1796047200 # 2026-11-30T14:00:00Z
end=$((start + 1500))
awk -v lost=$((start + 360)) -v m1=$((start + 1200)) -v m2=$((start + 1215)) '
	$1 ~ /^kube_horizontalpodautoscaler_status_desired_replicas\{/ {
		if ($3 == lost) next
		if ($3 == m1 || $3 == m2) { print $1, 4, $3; next }
	}
	{ print }' "$tmp/run.om" >"$tmp/cluster.om"
bash .ci/prometheus.sh >/dev/null # installs Prometheus and promtool when needed, starts the instance
url=$(bash .ci/prometheus.sh backfill "$tmp/cluster.om" | tail -1)
curl -fsS "$url/api/v1/query" --data-urlencode "time=$end" \
	--data-urlencode 'query={__name__=~"kube_horizontalpodautoscaler_status_(desired|current)_replicas|kube_horizontalpodautoscaler_status_target_metric|kube_deployment_spec_replicas",namespace="demo"}[30m]' \
	>examples/backtest-hpa/kube-state-metrics.json
