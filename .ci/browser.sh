#!/bin/sh
# Installs Debian's chromium when it is missing, so that the HTML report
# test can render the report headlessly. Prints the binary to use:
#   AUTOSCALE_SIM_CHROMIUM=$(.ci/browser.sh) go test ./report -run Chromium
set -eu
if ! command -v chromium >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update >&2
	apt-get install -y --no-install-recommends chromium >&2
fi
command -v chromium
