#!/usr/bin/env bash
# Prepares a build of the conformance harness against the upstream HPA
# controller: copies k8s.io/kubernetes (the version in go.mod, or the one
# given as $1) from the module cache into a temporary directory (hard
# links, patched files excepted), makes every time.Now() and metav1.Now()
# of pkg/controller/podautoscaler read an injectable clock, adds
# overlay/hooks.go.in to that package, and writes an alternate go.mod
# that uses the copy. No upstream code is kept in the repository.
#
# Prints the alternate go.mod; build with: go build -modfile="$(./prepare.sh)" ...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
version="${1:-$(go list -m -f '{{.Version}}' k8s.io/kubernetes)}"
root="${CONFORMANCE_TMP:-${TMPDIR:-/tmp}/autoscale-sim-conformance}/hpa-$version"
src="$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
test -d "$src"
if [ ! -f "$root/.complete" ]; then
  rm -rf "$root"
  mkdir -p "$root"
  cp -al "$src" "$root/kubernetes" 2>/dev/null || cp -r "$src" "$root/kubernetes"
  chmod -R u+w "$root/kubernetes"
  touch "$root/.complete"
fi
pkg="$root/kubernetes/pkg/controller/podautoscaler"
for f in horizontal.go replica_calculator.go; do
  sed -e 's/metav1\.Now()/metav1.NewTime(conformanceNow())/g' \
      -e 's/time\.Now()/conformanceNow()/g' "$src/pkg/controller/podautoscaler/$f" > "$pkg/$f.new"
  rm -f "$pkg/$f"
  mv "$pkg/$f.new" "$pkg/$f"
done
grep -q conformanceNow "$pkg/horizontal.go"
cp overlay/hooks.go.in "$pkg/zz_conformance_hooks.go.new"
rm -f "$pkg/zz_conformance_hooks.go"
mv "$pkg/zz_conformance_hooks.go.new" "$pkg/zz_conformance_hooks.go"

# The alternate go.mod: this module's, with the release's staging
# modules and the patched copy.
minor="${version#v1.}"; minor="${minor%%.*}"; patch="${version##*.}"
staging="v0.$minor.$patch"
# One alternate go.mod per checkout: work trees share the copy, not the
# module file that points at their own sources.
tag="$(cd ../.. && pwd | cksum | cut -d' ' -f1)"
mod="$root/go-$tag.mod"
cp go.mod "$mod"
cp go.sum "$root/go-$tag.sum"
go mod edit -modfile="$mod" -require="k8s.io/kubernetes@$version" -replace="k8s.io/kubernetes=$root/kubernetes" \
  -replace="github.com/autoscale-sim/autoscale-sim=$(cd ../.. && pwd)"
# Re-point every staging replace at the release's version.
for m in $(sed -n 's/^\t\(k8s.io\/[a-z0-9-]*\) v0.0.0$/\1/p' "$src/go.mod"); do
  go mod edit -modfile="$mod" -replace="$m=$m@$staging"
done
if [ "$version" != "$(go list -m -f '{{.Version}}' k8s.io/kubernetes)" ]; then
  GOFLAGS=-mod=mod go mod tidy -modfile="$mod" >/dev/null 2>&1 || GOFLAGS=-mod=mod go mod download -modfile="$mod"
fi
echo "$mod"
