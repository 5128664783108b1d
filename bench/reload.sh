#!/usr/bin/env bash
# Failed requests during rolling reloads under keep-alive load: Boot Cluster's sample app
# (2 workers) and, when pm2 is installed, a 2-instance pm2 Node app, in the same run.
#   bench/reload.sh            wrk -t2 -c32 -d30s, 3 reloads each
# Needs wrk (apt-get install -y wrk); pm2 (npm install -g pm2) is optional.
# All traffic goes to 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-30s}
RELOADS=${RELOADS:-3}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${CLUSTER_PID:-}" ] && kill "$CLUSTER_PID" 2>/dev/null; command -v pm2 >/dev/null && pm2 delete bench-node >/dev/null 2>&1; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f sample-app/target/sample-app.jar ] || mvn -q -B -DskipTests package

# Prints "requests failed" from a wrk report: socket errors plus non-2xx/3xx responses.
failures() {
  local report=$1 requests errors non2xx
  requests=$(awk '/requests in/ {print $1}' "$report")
  errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$report")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$report")
  echo "${requests:-0} $(( ${errors:-0} + ${non2xx:-0} ))"
}

# Runs wrk against $1 and calls "$2" $RELOADS times during it; the report goes to $3.
load_with_reloads() {
  local url=$1 reload=$2 report=$3
  wrk -t2 -c32 -d"$DURATION" --latency "$url" > "$report" 2>&1 &
  local wrk_pid=$!
  sleep 3   # let wrk reach full load before the first reload
  for i in $(seq 1 "$RELOADS"); do
    $reload
    sleep 2
  done
  wait "$wrk_pid"
}

echo "== Boot Cluster (sample app, 2 workers)"
java -XX:TieredStopAtLevel=1 -jar sample-app/target/sample-app.jar --server.port=0 --cluster.workers=2 \
  > "$WORK/cluster.log" 2>&1 &
CLUSTER_PID=$!
for _ in $(seq 1 300); do
  [ "$(grep -c 'ready in' "$WORK/cluster.log")" -ge 2 ] && break
  sleep 0.2
done
PORT=$(grep -oE 'serving port [0-9]+' "$WORK/cluster.log" | grep -oE '[0-9]+$')
cluster_reload() {
  curl -s -u admin:change-me -X POST "http://127.0.0.1:$PORT/actuator/cluster/reload" > /dev/null
  # one reload at a time: wait for this one to end
  while curl -s "http://127.0.0.1:$PORT/actuator/cluster" | grep -q '"state":"RUNNING"'; do sleep 0.5; done
}
load_with_reloads "http://127.0.0.1:$PORT/" cluster_reload "$WORK/cluster.wrk"
kill "$CLUSTER_PID"; wait "$CLUSTER_PID" || true; CLUSTER_PID=
read -r cluster_requests cluster_failed < <(failures "$WORK/cluster.wrk")
reloads_done=$(grep -c 'finished: 2/2 replaced' "$WORK/cluster.log" || true)
grep -E 'Latency|requests in|Socket errors|Non-2xx|99%' "$WORK/cluster.wrk" | sed 's/^/  /'

if command -v pm2 >/dev/null; then
  echo "== pm2 (Node app, 2 instances, pm2 reload)"
  PM2_PORT=$(( 20000 + RANDOM % 20000 ))
  PORT=$PM2_PORT pm2 start bench/node-app/server.js -i 2 --name bench-node --wait-ready >/dev/null
  pm2_reload() { pm2 reload bench-node >/dev/null 2>&1; }
  load_with_reloads "http://127.0.0.1:$PM2_PORT/" pm2_reload "$WORK/pm2.wrk"
  pm2 delete bench-node >/dev/null 2>&1
  read -r pm2_requests pm2_failed < <(failures "$WORK/pm2.wrk")
  grep -E 'Latency|requests in|Socket errors|Non-2xx|99%' "$WORK/pm2.wrk" | sed 's/^/  /'
else
  echo "== pm2 not installed (npm install -g pm2): no comparison this run"
fi

echo
printf '%-28s %10s %10s %8s\n' "setup ($RELOADS reloads)" requests failed reloads
printf '%-28s %10s %10s %8s\n' "Boot Cluster" "$cluster_requests" "$cluster_failed" "$reloads_done"
[ -n "${pm2_requests:-}" ] && printf '%-28s %10s %10s %8s\n' "pm2 reload" "$pm2_requests" "$pm2_failed" "$RELOADS"
exit 0
