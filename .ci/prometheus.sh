#!/usr/bin/env bash
# Starts a private Prometheus on 127.0.0.1 loaded with known data, for the
# live test of package replay (TestLivePrometheus).
#
# Usage (from the repository root):
#
#   eval "$(bash .ci/prometheus.sh | tail -1)"   # install if needed, load data, start
#   go test ./replay/...                          # TestLivePrometheus now runs
#   bash .ci/prometheus.sh stop                   # stop the instance again
#
# Only the last line of stdout matters; it reads
#
#   export AUTOSCALE_SIM_PROMETHEUS_URL=http://127.0.0.1:PORT AUTOSCALE_SIM_PROMETHEUS_DATA_START=UNIX AUTOSCALE_SIM_PROMETHEUS_PID=PID \
#     AUTOSCALE_SIM_PROMETHEUS_TLS_URL=https://127.0.0.1:PORT2 AUTOSCALE_SIM_PROMETHEUS_TLS_DIR=DIR
#
# A second instance serves the same data over TLS and asks for basic auth
# (Prometheus' --web.config.file): DIR holds ca.crt (the CA that signed its
# certificate for 127.0.0.1 and localhost), username and password, for the
# tests of --http-config.
#
# Everything else goes to stderr.
#
# Loaded data (START = AUTOSCALE_SIM_PROMETHEUS_DATA_START, a multiple of 900
# seconds, three to three and a quarter hours before now; i = 0..480, one
# sample every 15 s, so the data ends two hours after START):
#
#   websocket_connection_count{pod="ws-0"}  at START+15*i  =  i
#   websocket_connection_count{pod="ws-1"}  at START+15*i  =  1000 - 2*i
#   autoscale_sim_special_value{case="nan"}      at START  =  NaN
#   autoscale_sim_special_value{case="pos_inf"}  at START  =  +Inf
#   autoscale_sim_special_value{case="neg_inf"}  at START  =  -Inf
#
# Steps:
#  1. Install Debian's prometheus package (prometheus + promtool) unless
#     prometheus is already on PATH. A policy-rc.d that forbids service
#     starts is put in place for the install so that the package's init
#     script does not start its own instance; one that was started anyway
#     is stopped.
#  2. Stop the instance of an earlier run (pid file in the work directory);
#     if the port is still taken by something else, use the next free one.
#  3. Write the data as OpenMetrics text and turn it into TSDB blocks with
#     `promtool tsdb create-blocks-from openmetrics` (fresh data directory
#     every run).
#  4. Start prometheus in the background with a config that has no scrape
#     jobs and wait (at most 30 s) for /-/ready and for the data to answer.
#
# Tests bring data of their own (the round trip of autoscale-sim run
# --openmetrics and backtest) into the same instance:
#
#   bash .ci/prometheus.sh backfill FILE.om...   # last line of stdout: URL
#
# turns each FILE.om into blocks with promtool, written straight into the
# running instance's data directory, and waits (at most 90 s) until the
# instance answers the newest sample of every file. Prometheus has no API
# that loads new blocks: its TSDB rereads the data directory once a minute
# (tsdb/db.go DB.run calls reloadBlocks every minute), and /-/reload only
# rereads the configuration; so a backfill takes up to a minute, and tests
# give all their files in one call. Overlapping blocks are merged at query
# time and by the next compaction (allowed by default since Prometheus
# 2.39), so a file may cover the window of an earlier one, but must not
# give a series different values at the same instants (Prometheus would
# keep either): tests shift such data to a window of its own. Retention is
# 100 years, so that the blocks of fixed past windows (1970, November
# 2026) are not deleted at the next reload.
#
# Settings (environment):
#   AUTOSCALE_SIM_PROMETHEUS_PORT  first port to try (default 19090)
#   AUTOSCALE_SIM_PROMETHEUS_DIR   work directory (default ${TMPDIR:-/tmp}/autoscale-sim-prometheus)
set -euo pipefail

# Keep the real stdout on fd 3 for the final export line; everything else to stderr.
exec 3>&1 1>&2

port=${AUTOSCALE_SIM_PROMETHEUS_PORT:-19090}
work=${AUTOSCALE_SIM_PROMETHEUS_DIR:-${TMPDIR:-/tmp}/autoscale-sim-prometheus}
pidfile=$work/prometheus.pid

log() { echo "prometheus.sh: $*" >&2; }
die() {
	log "error: $*"
	exit 1
}

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || die "not root and no sudo: cannot install packages"
	sudo_cmd=(sudo)
fi

# stop_ours stops the instance recorded in the pid file, if it still runs.
stop_ours() {
	[ -f "$pidfile" ] || return 0
	local pid
	pid=$(cat "$pidfile" 2>/dev/null || true)
	rm -f "$pidfile"
	case "$pid" in '' | *[!0-9]*) return 0 ;; esac
	if kill -0 "$pid" 2>/dev/null && [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = prometheus ]; then
		log "stopping earlier instance (pid $pid)"
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || return 0
			sleep 0.1
		done
		log "pid $pid did not stop after 10s, killing it"
		kill -9 "$pid" 2>/dev/null || true
		sleep 0.2
	fi
}

if [ "${1:-}" = stop ]; then
	stop_ours
	pidfile=$work/prometheus-tls.pid stop_ours
	rm -f "$work/prometheus.url"
	exit 0
fi

# port_in_use PORT: true if something accepts connections on 127.0.0.1:PORT.
port_in_use() {
	(exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# newest FILE: "SERIES TIMESTAMP" of the sample with the greatest timestamp.
newest() {
	awk '!/^#/ && NF >= 3 {
		ts = $NF + 0
		if (!seen || ts > best) { seen = 1; best = ts; line = $0 }
	}
	END {
		if (!seen) exit 1
		sub(/ [^ ]+ [^ ]+$/, "", line)
		print line, best
	}' "$1"
}

if [ "${1:-}" = backfill ]; then
	shift
	[ $# -ge 1 ] || die "usage: prometheus.sh backfill FILE.om..."
	for f in "$@"; do [ -f "$f" ] || die "backfill: no file $f"; done
	command -v promtool >/dev/null 2>&1 || die "promtool is not installed: run prometheus.sh without arguments first"
	pid=$(cat "$pidfile" 2>/dev/null || true)
	url=$(cat "$work/prometheus.url" 2>/dev/null || true)
	case "$pid" in '' | *[!0-9]*) die "no running instance in $work: run prometheus.sh without arguments first" ;; esac
	kill -0 "$pid" 2>/dev/null && [ -n "$url" ] || die "the instance of $work (pid $pid) is not running: run prometheus.sh without arguments first"
	t0=$(date +%s.%N)
	checks=()
	for f in "$@"; do
		# Written into the live data directory: promtool creates each
		# block under a temporary name and renames it when complete, so
		# the instance never loads half a block.
		promtool tsdb create-blocks-from openmetrics "$f" "$work/data" >"$work/promtool-backfill.log" 2>&1 || {
			cat "$work/promtool-backfill.log" >&2
			die "promtool could not create blocks from $f"
		}
		c=$(newest "$f") || die "$f holds no sample"
		checks+=("$c")
	done
	deadline=$(($(date +%s) + 90))
	for c in "${checks[@]}"; do
		series=${c% *} ts=${c##* }
		until body=$(curl -fsS --max-time 5 "$url/api/v1/query" --data-urlencode "query=timestamp($series)" --data-urlencode "time=$ts") &&
			echo "$body" | awk -v want="$ts" '{ if (match($0, /"value":\[[^,]+,"[^"]+"\]/)) { v = substr($0, RSTART, RLENGTH); sub(/.*,"/, "", v); sub(/"\]$/, "", v); ok = (v + 0 == want + 0) } } END { exit !ok }'; do
			kill -0 "$pid" 2>/dev/null || die "the instance (pid $pid) stopped while loading the backfill"
			[ "$(date +%s)" -lt "$deadline" ] || die "the instance on $url has not loaded the backfilled blocks after 90s (it rereads its data directory every minute; last answer to timestamp($series) at $ts: ${body:-none})"
			sleep 0.5
		done
	done
	log "backfilled $# file(s) into pid $pid on $url (data dir $work/data), answered after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b-a}')"
	echo "$url" >&3
	exit 0
fi
[ $# -eq 0 ] || die "unknown argument '$1' (usage: prometheus.sh [stop | backfill FILE.om...])"

# ---- 1. install -------------------------------------------------------------
t_begin=$(date +%s.%N)
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
	log "installing Debian package prometheus"
	policy=/usr/sbin/policy-rc.d
	added_policy=
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\n# temporary: keep package installs from starting services\nexit 101\n' |
			"${sudo_cmd[@]}" tee "$policy" >/dev/null
		"${sudo_cmd[@]}" chmod 755 "$policy"
		added_policy=1
		trap '"${sudo_cmd[@]}" rm -f "$policy"' EXIT
	fi
	"${sudo_cmd[@]}" apt-get update -q
	"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends prometheus
	if [ -n "$added_policy" ]; then
		"${sudo_cmd[@]}" rm -f "$policy"
		trap - EXIT
	fi
	log "installed $(prometheus --version 2>&1 | head -1) in $(awk -v a="$t_begin" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b-a}')"
fi
command -v curl >/dev/null 2>&1 || {
	"${sudo_cmd[@]}" apt-get update -q
	"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends curl
}

# The package's own service must not run: we start our own instance.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
	"${sudo_cmd[@]}" systemctl disable --now prometheus.service >/dev/null 2>&1 || true
elif [ -x /etc/init.d/prometheus ] && [ -s /run/prometheus/prometheus.pid ]; then
	log "stopping the package's own prometheus service"
	"${sudo_cmd[@]}" /etc/init.d/prometheus stop >/dev/null 2>&1 || true
fi

# ---- 2. earlier instance and port --------------------------------------------
t_start=$(date +%s.%N)
mkdir -p "$work"
stop_ours
first_port=$port
while port_in_use "$port"; do
	port=$((port + 1))
	[ "$port" -lt $((first_port + 100)) ] || die "no free port in $first_port..$((first_port + 99))"
done
[ "$port" = "$first_port" ] || log "port $first_port is taken by another process, using $port"

# ---- 3. known data -------------------------------------------------------------
now=$(date +%s)
start=$(((now / 900) * 900 - 3 * 3600))
data=$work/data
rm -rf "$data" "$work/data.om"
awk -v start="$start" 'BEGIN {
	print "# HELP websocket_connection_count Open websocket connections."
	print "# TYPE websocket_connection_count gauge"
	for (i = 0; i <= 480; i++) printf "websocket_connection_count{pod=\"ws-0\"} %d %d\n", i, start + 15 * i
	for (i = 0; i <= 480; i++) printf "websocket_connection_count{pod=\"ws-1\"} %d %d\n", 1000 - 2 * i, start + 15 * i
	print "# HELP autoscale_sim_special_value Non-finite sample values."
	print "# TYPE autoscale_sim_special_value gauge"
	printf "autoscale_sim_special_value{case=\"nan\"} NaN %d\n", start
	printf "autoscale_sim_special_value{case=\"neg_inf\"} -Inf %d\n", start
	printf "autoscale_sim_special_value{case=\"pos_inf\"} +Inf %d\n", start
	print "# EOF"
}' >"$work/data.om"
promtool tsdb create-blocks-from openmetrics "$work/data.om" "$data" >"$work/promtool.log" 2>&1 || {
	cat "$work/promtool.log" >&2
	die "promtool could not create blocks"
}

cat >"$work/prometheus.yml" <<'EOF'
# No scrape jobs: this instance only serves the backfilled blocks.
global:
  scrape_interval: 15s
  evaluation_interval: 15s
EOF

# ---- 4. start and wait ----------------------------------------------------------
logfile=$work/prometheus.log
# Detach fully (no inherited stdout/fd 3), so that `$(bash .ci/prometheus.sh)` returns.
nohup setsid prometheus \
	--config.file="$work/prometheus.yml" \
	--storage.tsdb.path="$data" \
	--storage.tsdb.retention.time=100y \
	--web.listen-address="127.0.0.1:$port" \
	</dev/null >"$logfile" 2>&1 3>&- &
pid=$!
echo "$pid" >"$pidfile"

url=http://127.0.0.1:$port
echo "$url" >"$work/prometheus.url"
deadline=$(($(date +%s) + 30))
until curl -fsS --max-time 2 "$url/-/ready" >/dev/null 2>&1; do
	if ! kill -0 "$pid" 2>/dev/null; then
		tail -n 30 "$logfile" >&2 || true
		rm -f "$pidfile"
		die "prometheus exited during start-up (log: $logfile)"
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		tail -n 30 "$logfile" >&2 || true
		die "prometheus not ready after 30s (pid $pid, log: $logfile)"
	fi
	sleep 0.2
done

# The backfilled blocks must answer: two websocket series at START.
body=$(curl -fsS --max-time 5 "$url/api/v1/query?query=count(websocket_connection_count)&time=$start")
case "$body" in
*'"status":"success"'*'"2"'*) ;;
*)
	kill "$pid" 2>/dev/null || true
	rm -f "$pidfile"
	die "loaded data not found; query answered: $body"
	;;
esac
log "prometheus pid $pid ready on $url in $(awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b-a}') (data dir $data, log $logfile)"

# ---- 5. the same data over TLS with basic auth -----------------------------------
tls=$work/tls
rm -rf "$tls" && mkdir -p "$tls"
(
	cd "$tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=autoscale-sim test CA" \
		-keyout ca.key -out ca.crt >/dev/null 2>&1
	openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr >/dev/null 2>&1
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
	openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
		-extfile san.ext -out server.crt >/dev/null 2>&1
) || die "openssl could not make the test certificates"
printf 'autoscale-sim' >"$tls/username"
printf 'autoscale-sim-ci' >"$tls/password"
# The bcrypt hash of the password above: a test credential of a loopback server.
{
	echo "tls_server_config:"
	echo "  cert_file: $tls/server.crt"
	echo "  key_file: $tls/server.key"
	echo "basic_auth_users:"
	echo '  autoscale-sim: $2a$10$2eqV8OtPO8hBV1YnhvVWFObgs.b9o.GjwGpO9i1iT0ElRSv3Tvw4m'
} >"$tls/web.yml"
tls_port=$((port + 1))
while port_in_use "$tls_port"; do
	tls_port=$((tls_port + 1))
	[ "$tls_port" -lt $((port + 100)) ] || die "no free port for the TLS instance"
done
pidfile=$work/prometheus-tls.pid stop_ours
rm -rf "$work/data-tls" && cp -r "$data" "$work/data-tls"
nohup setsid prometheus \
	--config.file="$work/prometheus.yml" \
	--storage.tsdb.path="$work/data-tls" \
	--storage.tsdb.retention.time=30d \
	--web.config.file="$tls/web.yml" \
	--web.listen-address="127.0.0.1:$tls_port" \
	</dev/null >"$work/prometheus-tls.log" 2>&1 3>&- &
tls_pid=$!
echo "$tls_pid" >"$work/prometheus-tls.pid"
tls_url=https://127.0.0.1:$tls_port
deadline=$(($(date +%s) + 30))
until curl -fsS --max-time 2 --cacert "$tls/ca.crt" -u autoscale-sim:autoscale-sim-ci "$tls_url/-/ready" >/dev/null 2>&1; do
	if ! kill -0 "$tls_pid" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
		tail -n 30 "$work/prometheus-tls.log" >&2 || true
		die "the TLS instance did not start (log: $work/prometheus-tls.log)"
	fi
	sleep 0.2
done
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$tls/ca.crt" "$tls_url/-/ready")
[ "$code" = 401 ] || die "the TLS instance answers $code without credentials, want 401"
log "TLS instance pid $tls_pid ready on $tls_url (basic auth; CA $tls/ca.crt)"

echo "export AUTOSCALE_SIM_PROMETHEUS_URL=$url AUTOSCALE_SIM_PROMETHEUS_DATA_START=$start AUTOSCALE_SIM_PROMETHEUS_PID=$pid AUTOSCALE_SIM_PROMETHEUS_TLS_URL=$tls_url AUTOSCALE_SIM_PROMETHEUS_TLS_DIR=$tls" >&3
