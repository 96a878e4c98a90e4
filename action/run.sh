#!/usr/bin/env bash
# The command line of the GitHub Action (action.yml): autoscale-sim test on
# the given paths with JUnit XML, then lint with a SARIF log and workflow
# annotations. .ci/run runs this same script. The exit status is the worst
# of test and lint (0 ok, 1 expectations failed or lint --strict warnings,
# 2 invalid input).
#
# Environment (the action's inputs):
#   AUTOSCALE_SIM_PATHS   scenario files, globs or directories, separated by spaces (default .)
#   AUTOSCALE_SIM_STRICT  true: lint warnings fail (default false)
#   AUTOSCALE_SIM_SARIF   the SARIF file to write (default autoscale-sim.sarif)
#   AUTOSCALE_SIM_JUNIT   the JUnit file to write (default autoscale-sim-junit.xml)
#   AUTOSCALE_SIM_BIN     the binary (default autoscale-sim on PATH)
set -uo pipefail

bin=${AUTOSCALE_SIM_BIN:-autoscale-sim}
read -r -a paths <<<"${AUTOSCALE_SIM_PATHS:-.}"
sarif=${AUTOSCALE_SIM_SARIF:-autoscale-sim.sarif}
junit=${AUTOSCALE_SIM_JUNIT:-autoscale-sim-junit.xml}
lint=(lint)
[ "${AUTOSCALE_SIM_STRICT:-false}" = true ] && lint+=(--strict)

worst=0
keep() { [ "$1" -gt "$worst" ] && worst=$1; return 0; }

"$bin" test "${paths[@]}" --junit "$junit"
keep $?
"$bin" "${lint[@]}" "${paths[@]}" -o sarif >"$sarif"
keep $?
# Annotations on the pull request's lines; the status is the SARIF run's.
"$bin" "${lint[@]}" "${paths[@]}" -o github || true
exit "$worst"
