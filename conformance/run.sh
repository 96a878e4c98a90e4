#!/usr/bin/env bash
# Differential conformance campaign: random cases through the upstream
# controllers and through the hpa and keda packages, side by side (HPA
# syncs; KEDA's Prometheus scaler, then ScaledObjects through KEDA's scale
# handler: scale loop ticks and the HPA's metric requests), and through
# the kube-scheduler's plugins and cluster/scheduler.
#
#   conformance/run.sh                 bounded campaign, default releases (CI)
#   conformance/run.sh --full          every supported release, many cases
#   conformance/run.sh --cases N --budget 90s --out DIR
#   conformance/run.sh --full --cases N --keda-cases N --loop-cases N
#
# The upstream side runs in a network namespace with only loopback
# (unshare -rn): nothing may send traffic anywhere else. Builds happen
# before, with network, and are cached by the go build cache. Exit status
# 1 means a divergence was found (--out DIR keeps minimized reproducers).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

full=0
hpa_cases=15000
keda_cases=20000
keda_loop_cases=600
scheduler_cases=5000
budget=60s
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) full=1; hpa_cases=100000; keda_cases=200000; keda_loop_cases=20000; scheduler_cases=200000; budget=0; shift ;;
    --cases) hpa_cases="$2"; shift 2 ;;
    --keda-cases) keda_cases="$2"; shift 2 ;;
    --loop-cases) keda_loop_cases="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

hpa_versions="$(cd "$here/hpa" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
keda_versions="$(cd "$here/keda" && go list -m -f '{{.Version}}' github.com/kedacore/keda/v2)"
if [ "$full" = 1 ]; then
  hpa_versions="v1.34.4 v1.35.4 v1.36.3 v1.37.2"
  keda_versions="v2.20.2 v2.21.0"
fi

# The sandbox: a user and network namespace with loopback only.
if unshare -rn true 2>/dev/null; then
  sandbox=(unshare -rn)
elif unshare -n true 2>/dev/null; then
  sandbox=(unshare -n)
else
  echo "conformance: unshare -n is not available; refusing to run upstream code with network access" >&2
  exit 2
fi

# Binaries per checkout: work trees running at once share the upstream
# copies and the build cache, never each other's programs.
bin="${CONFORMANCE_TMP:-${TMPDIR:-/tmp}/autoscale-sim-conformance}/bin-$(cd "$here/.." && pwd | cksum | cut -d' ' -f1)"
mkdir -p "$bin"
status=0
summaries=()
for v in $hpa_versions; do
  start=$(date +%s)
  mod="$("$here/hpa/prepare.sh" "$v")"
  (cd "$here/hpa" && go build -modfile="$mod" -o "$bin/hpa-conformance-$v" ./cmd/hpa-conformance &&
    go vet -modfile="$mod" ./...)
  echo "--- HPA, k8s.io/kubernetes $v (built in $(( $(date +%s) - start ))s)"
  args=(-cases "$hpa_cases" -budget "$budget" -summary "$bin/hpa-$v.json")
  if [ -n "$out" ]; then args+=(-out "$out/hpa-$v"); fi
  "${sandbox[@]}" "$bin/hpa-conformance-$v" "${args[@]}" || status=1
  summaries+=("$bin/hpa-$v.json")
  hpa_last="$v"
done

# The scheduler's filter and score plugins, called directly: a test binary
# built against the k8s.io/kubernetes of conformance/scheduler/go.mod.
start=$(date +%s)
(cd "$here/scheduler" && go test -c -o "$bin/scheduler-conformance.test" . && go vet ./...)
echo "--- scheduler, k8s.io/kubernetes $(cd "$here/scheduler" && go list -m -f '{{.Version}}' k8s.io/kubernetes) (built in $(( $(date +%s) - start ))s)"
"${sandbox[@]}" "$bin/scheduler-conformance.test" -test.v -test.run '^TestAgainstUpstreamPlugins$' -cases "$scheduler_cases" | grep -E 'cases:|^(PASS|FAIL|---)|scheduler_test.go' || status=1

(cd "$here/.." && go build -o "$bin/keda-conformance" ./internal/kedaconformance/cmd/keda-conformance)
for v in $keda_versions; do
  start=$(date +%s)
  mod="$("$here/keda/prepare.sh" "$v")"
  (cd "$here/keda" && go build -modfile="$mod" -o "$bin/keda-upstream-$v" ./cmd/keda-upstream &&
    go vet -modfile="$mod" ./...)
  echo "--- KEDA, github.com/kedacore/keda/v2 $v (built in $(( $(date +%s) - start ))s)"
  args=(-version "${v#v}" -cases "$keda_cases" -loop-cases "$keda_loop_cases" -budget "$budget" -summary "$bin/keda-$v.json")
  if [ -n "$out" ]; then args+=(-out "$out/keda-$v"); fi
  "$bin/keda-conformance" -upstream "${sandbox[*]} $bin/keda-upstream-$v" "${args[@]}" || status=1
done

if [ "$full" = 1 ]; then
  echo "--- totals"
  "$bin/hpa-conformance-$hpa_last" -totals "${summaries[@]}"
fi
exit $status
