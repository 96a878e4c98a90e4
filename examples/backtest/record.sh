#!/usr/bin/env bash
# How trigger.json and kube-state-metrics.json were recorded. The
# "cluster" is a simulated run of scenario.yaml, exported with
# --openmetrics, with two things the simulation cannot know of written
# into it: at 12:20:00 and 12:20:15 the HPA's status shows 4 replicas (a
# manual scale), and the kube-state-metrics scrape of 12:06:00 is lost.
# The export is backfilled into a real Prometheus, a private one this
# script starts and stops (.ci/prometheus.sh, then .ci/prometheus.sh
# backfill, which runs promtool tsdb create-blocks-from openmetrics into
# its data directory and waits for it to load the blocks), and
# the files are its answers, as anyone saves them from their own cluster:
#
#   trigger.json             query_range of the trigger's query, every 15 s
#   kube-state-metrics.json  query of the HPA's and Deployment's series
#                            over a range selector: the raw samples, each
#                            at its scrape time
#
# Usage (from the repository root): bash examples/backtest/record.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
export AUTOSCALE_SIM_PROMETHEUS_DIR=$tmp/prometheus
trap 'bash .ci/prometheus.sh stop; rm -rf "$tmp"' EXIT
go run ./cmd/autoscale-sim run examples/backtest/scenario.yaml -q --openmetrics "$tmp/run.om"
start=1796040000 # 2026-11-30T12:00:00Z
end=$((start + 1500))
awk -v lost=$((start + 360)) -v m1=$((start + 1200)) -v m2=$((start + 1215)) '
	$1 ~ /^kube_horizontalpodautoscaler_status_desired_replicas\{/ {
		if ($3 == lost) next
		if ($3 == m1 || $3 == m2) { print $1, 4, $3; next }
	}
	{ print }' "$tmp/run.om" >"$tmp/cluster.om"
bash .ci/prometheus.sh >/dev/null # installs Prometheus and promtool when needed, starts the instance
url=$(bash .ci/prometheus.sh backfill "$tmp/cluster.om" | tail -1)
curl -fsS "$url/api/v1/query_range" --data-urlencode 'query=sum(queue_depth{job="worker"})' \
	--data-urlencode "start=$start" --data-urlencode "end=$end" --data-urlencode step=15 >examples/backtest/trigger.json
curl -fsS "$url/api/v1/query" --data-urlencode "time=$end" \
	--data-urlencode 'query={__name__=~"kube_horizontalpodautoscaler_status_(desired|current)_replicas|kube_deployment_spec_replicas",namespace="demo"}[30m]' \
	>examples/backtest/kube-state-metrics.json
