#!/usr/bin/env bash
# Prepares a build of the KEDA conformance harness: copies
# github.com/kedacore/keda/v2 (the version in go.mod, or $1) from the
# module cache into a temporary directory (hard links) and keeps, of the
# scalers package, only the files the harness drives (the Prometheus and
# cpu/memory scalers and the shared scaler helpers), and of the resolver
# everything but the secret store handlers, so that the build does not
# compile every cloud SDK; buildScaler knows those two scalers only, and
# the executor reads an injectable clock (overlay/). Writes an alternate go.mod that uses
# the copy. No upstream code is kept in the repository.
#
# Prints the alternate go.mod; build with: go build -modfile="$(./prepare.sh)" ...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
version="${1:-$(go list -m -f '{{.Version}}' github.com/kedacore/keda/v2)}"
root="${CONFORMANCE_TMP:-${TMPDIR:-/tmp}/autoscale-sim-conformance}/keda-$version"
src="$(go mod download -json "github.com/kedacore/keda/v2@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
test -d "$src"
if [ ! -f "$root/.complete" ] || [ "$root/.complete" -ot "$0" ] || [ -n "$(find overlay -newer "$root/.complete")" ]; then
  rm -rf "$root"
  mkdir -p "$root"
  cp -al "$src" "$root/keda" 2>/dev/null || cp -r "$src" "$root/keda"
  chmod -R u+w "$root/keda"
  for f in "$root"/keda/pkg/scalers/*.go; do
    case "$(basename "$f")" in
      prometheus_scaler.go|scaler.go|cpu_memory_scaler.go) ;;
      *) rm -f "$f" ;;
    esac
  done
  cp overlay/scalers.go.in "$root/keda/pkg/scalers/zz_conformance.go"
  # The scale handler builds scalers with a switch over every type: keep
  # buildScalers, replace buildScaler with the two scalers compiled here.
  b="$root/keda/pkg/scaling/scalers_builder.go"
  sed -n '/^\/\/ buildScaler builds/q;p' "$src/pkg/scaling/scalers_builder.go" > "$b.new"
  cat overlay/builder.go.in >> "$b.new"
  rm -f "$b"; mv "$b.new" "$b"
  grep -q 'case "prometheus":' "$b"
  # NewScaleHandler takes one timeout, or from v2.21.0 two (the HTTP and
  # the Kubernetes API timeouts).
  timeouts=timeout
  if grep -q 'globalHTTPTimeout, kubernetesAPITimeout time.Duration' "$src/pkg/scaling/scale_handler.go"; then
    timeouts="timeout, timeout"
  fi
  sed -e "s/TIMEOUTS/$timeouts/" overlay/scaling.go.in > "$root/keda/pkg/scaling/zz_conformance.go"
  # ClearScalersCache deletes the metric records in a goroutine, which in a
  # cluster runs long before the scale loop stores the tick's records
  # (RequestScale talks to the API server in between) but races with them
  # against the fake API server: delete at once, as a cluster's timing does.
  # The triggers of a tick or of a metric request are queried in parallel
  # goroutines whose fallback health updates land in whichever order they
  # finish: run them one after the other, in trigger order (the order the
  # keda package takes, one of those a cluster sees).
  h="$root/keda/pkg/scaling/scale_handler.go"
  sed -e 's/^\(\s*\)go h\.scaledObjectsMetricCache\.Delete(key)$/\1h.scaledObjectsMetricCache.Delete(key)/' \
      -e 's/^\(\s*\)go func(results chan metricResult, /\1func(results chan metricResult, /' \
      -e 's/^\(\s*\)go func(scaler scalers\.Scaler, index int, /\1func(scaler scalers.Scaler, index int, /' \
      "$src/pkg/scaling/scale_handler.go" > "$h.new"
  rm -f "$h"; mv "$h.new" "$h"
  # The secret store handlers of the resolver pull in cloud SDKs.
  for f in aws_secretmanager_handler.go azure_keyvault_handler.go gcp_secretmanager_handler.go hashicorpvault_handler.go; do
    rm -f "$root/keda/pkg/scaling/resolver/$f"
  done
  rm -f "$root"/keda/pkg/scaling/resolver/*_test.go
  cp overlay/resolver.go.in "$root/keda/pkg/scaling/resolver/zz_conformance.go"
  # The executor reads the wall clock for lastActiveTime and the
  # cooldowns: an injectable clock instead.
  e="$root/keda/pkg/scaling/executor/scale_scaledobjects.go"
  sed -e 's/time\.Now()/conformanceNow()/g' "$src/pkg/scaling/executor/scale_scaledobjects.go" > "$e.new"
  rm -f "$e"; mv "$e.new" "$e"
  grep -q conformanceNow "$e"
  cp overlay/clock.go.in "$root/keda/pkg/scaling/executor/zz_conformance.go"
  # The event emitters' CloudEvent and Azure handlers pull in SDKs too;
  # the reconciler's HPA generation is reached through an overlay.
  for f in "$root"/keda/pkg/eventemitter/azure_event_grid_topic_handler.go "$root"/keda/pkg/eventemitter/cloudevent_http_handler.go "$root"/keda/pkg/eventemitter/*_test.go; do
    rm -f "$f"
  done
  cp overlay/eventemitter.go.in "$root/keda/pkg/eventemitter/zz_conformance.go"
  cp overlay/controllers.go.in "$root/keda/controllers/keda/zz_conformance.go"
  # The admission webhook's clients, and the CRD for its schema.
  cp overlay/webhook.go.in "$root/keda/apis/keda/v1alpha1/zz_conformance.go"
  cp "$src/config/crd/bases/keda.sh_scaledobjects.yaml" "$root/keda/apis/keda/v1alpha1/zz_conformance_crd.yaml"
  touch "$root/.complete"
fi
# One alternate go.mod per checkout: work trees share the copy, not the
# module file that points at their own sources.
tag="$(cd ../.. && pwd | cksum | cut -d' ' -f1)"
mod="$root/go-$tag.mod"
cp go.mod "$mod"
cp go.sum "$root/go-$tag.sum"
go mod edit -modfile="$mod" -require="github.com/kedacore/keda/v2@$version" -replace="github.com/kedacore/keda/v2=$root/keda"
# KEDA pins its Kubernetes libraries with replace directives, which only
# apply in KEDA's own build: repeat them here.
go mod edit -modfile="$src/go.mod" -json | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    new = r["New"]
    if "Version" in new:
        old = r["Old"]["Path"] + ("@" + r["Old"]["Version"] if r["Old"].get("Version") else "")
        print(old + "=" + new["Path"] + "@" + new["Version"])
' | while read -r rep; do go mod edit -modfile="$mod" -replace="$rep"; done
if [ "$version" != "$(go list -m -f '{{.Version}}' github.com/kedacore/keda/v2)" ]; then
  GOFLAGS=-mod=mod go mod tidy -modfile="$mod" >/dev/null 2>&1 || GOFLAGS=-mod=mod go mod download -modfile="$mod"
fi
echo "$mod"
