#!/usr/bin/env bash
# What keeping sessions in the primary costs: a logged-in user's GET /me (Spring Security
# reads the session on every request) with sessions kept by the primary, against workers
# keeping their own (cluster.sessions.store=none, which needs source-ip to stay logged in),
# in the same run, alternating configurations over several rounds (wrk -t2 -c32, keep-alive):
#   primary-round-robin  the default: any worker serves the user
#   primary-source-ip    the same store, the same worker per client: the store's cost alone
#   none-source-ip       the baseline: sessions in each worker, sticky by client address
#   bench/sessions.sh                  ROUNDS=3 DURATION=10s WARMUP=5s WARMUP_ALL=20s
# BASELINE_JAR=old.jar (e.g. the sample built from an earlier commit) adds primary-round-robin
# and primary-source-ip from that jar (suffixed -baseline), so a change to the store or the
# exchange is measured against it in the same run.
# Needs wrk and curl (apt-get install -y wrk curl); installs nothing itself.
# All traffic goes to 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
. bench/common.sh
require wrk curl java python3

declare -A COOKIE

# Boot's login form: the page's CSRF token, then the form; prints the session cookie.
log_in() { # port
  local jar="$WORK/cookies.$1" csrf status
  curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$1/login" > "$WORK/login.$1"
  csrf=$(grep -o 'name="_csrf"[^>]*value="[^"]*"' "$WORK/login.$1" | sed 's/.*value="//; s/"$//')
  status=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode username=admin \
    --data-urlencode password=change-me --data-urlencode "_csrf=$csrf" "http://127.0.0.1:$1/login")
  [ "$status" = 302 ] || { echo "POST /login answered $status on port $1" >&2; exit 1; }
  awk '($0 ~ /^#HttpOnly_/ || $0 !~ /^#/) && NF >= 7 {print $6 "=" $7}' "$jar" | tail -1
}

echo "starting the configurations..."
start_cluster primary-round-robin "$JAR" --cluster.scheduling-policy=round-robin
start_cluster primary-source-ip "$JAR" --cluster.scheduling-policy=source-ip
start_cluster none-source-ip "$JAR" --cluster.scheduling-policy=source-ip --cluster.sessions.store=none
if [ -n "${BASELINE_JAR:-}" ]; then
  start_cluster primary-round-robin-baseline "$BASELINE_JAR" --cluster.scheduling-policy=round-robin
  start_cluster primary-source-ip-baseline "$BASELINE_JAR" --cluster.scheduling-policy=source-ip
fi
for config in $CONFIGS; do
  COOKIE[$config]=$(log_in "${PORT[$config]}")
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${COOKIE[$config]}" "http://127.0.0.1:${PORT[$config]}/me")
  [ "$status" = 200 ] || { echo "$config: GET /me answered $status when logged in" >&2; exit 1; }
done

run_wrk() { # config duration [--latency]
  wrk -t2 -c32 -d"$2" ${3:-} -H "Cookie: ${COOKIE[$1]}" "http://127.0.0.1:${PORT[$1]}/me"
}
p99() { awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else {sub(/s/,"",v); v*=1000}; printf "%.2f\n", v}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
# Any answer but 200 (a redirect to /login: logged out) makes the run worthless.
non2xx() { awk '/Non-2xx/ {print $NF}' "$1"; }

echo "warming up (${WARMUP_ALL:-20s} a configuration)..."
for config in $CONFIGS; do run_wrk "$config" "${WARMUP_ALL:-20s}" > /dev/null; done

for round in $(seq 1 "$ROUNDS"); do
  for config in $CONFIGS; do
    run_wrk "$config" "$WARMUP" > /dev/null
    out="$WORK/$config.$round"
    run_wrk "$config" "$DURATION" --latency > "$out"
    [ -z "$(non2xx "$out")" ] || { echo "$config: $(non2xx "$out") answers were not 200 (logged out?)" >&2; exit 1; }
    echo "round $round $config: $(rps "$out") req/s, p99 $(p99 "$out") ms"
  done
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
declare -A R P
for config in $CONFIGS; do
  R[$config]=$(for round in $(seq 1 "$ROUNDS"); do rps "$WORK/$config.$round"; done | median)
  P[$config]=$(for round in $(seq 1 "$ROUNDS"); do p99 "$WORK/$config.$round"; done | median)
done
echo
echo "Medians of $ROUNDS rounds, GET /me logged in, wrk -t2 -c32 -d$DURATION, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
printf '%-30s %10s %9s %12s\n' configuration "req/s" p99ms "x baseline"
for config in $CONFIGS; do
  printf '%-30s %10.0f %9s %12.2f\n' "$config" "${R[$config]}" "${P[$config]}" "$(echo "${R[$config]} / ${R[none-source-ip]}" | bc -l)"
done
