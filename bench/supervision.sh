#!/usr/bin/env bash
# The primary's own footprint while it supervises: a cluster of the sample app (JVM
# defaults, as a user would run it) under wrk load for MINUTES minutes, with a rolling
# reload every minute; prints the primary's resident memory (RSS), threads and open file
# descriptors each minute, and, as the baseline measured in the same run, the RSS of one
# plain JVM of the same app after a minute of the same load.
#   bench/supervision.sh                 MINUTES=10 WORKERS=4
# Needs wrk and curl (apt-get install -y wrk curl); installs nothing itself.
# All traffic goes to 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-10}
WORKERS=${WORKERS:-4}
. bench/common.sh
require wrk curl java python3

rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
threads() { ls "/proc/$1/task" | wc -l; }
fds() { ls "/proc/$1/fd" | wc -l; }

port=$(free_port)
java -jar "$JAR" --server.port="$port" --cluster.workers="$WORKERS" > "$WORK/cluster.log" 2>&1 &
primary=$!
PIDS+=("$primary")
await_log "$WORK/cluster.log" "ready in" "$WORKERS"
echo "cluster of $WORKERS workers on port $port, primary pid $primary; $(nproc) cores, $(java -version 2>&1 | head -1)"
printf '%-8s %12s %8s %6s %12s\n' minute "primary MB" threads fds "requests/s"
printf '%-8s %12s %8s %6s %12s\n' 0 "$(rss_mb "$primary")" "$(threads "$primary")" "$(fds "$primary")" -
asked=0
for minute in $(seq 1 "$MINUTES"); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -u admin:change-me -X POST "http://127.0.0.1:$port/actuator/cluster/reload")
  [ "$code" = 202 ] && asked=$((asked + 1))
  rps=$(wrk -t2 -c32 -d60s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print $2}')
  last_rss=$(rss_mb "$primary")
  printf '%-8s %12s %8s %6s %12s\n' "$minute" "$last_rss" "$(threads "$primary")" "$(fds "$primary")" "$rps"
done
reloads=$(grep -c "finished:" "$WORK/cluster.log" || true)
failed=$(grep -c "Reload reload-.* failed" "$WORK/cluster.log" || true)
kill "$primary"; wait "$primary" 2>/dev/null || true

port=$(free_port)
java -jar "$JAR" --cluster.enabled=false --server.port="$port" > "$WORK/single.log" 2>&1 &
single=$!
PIDS+=("$single")
await_log "$WORK/single.log" "Started SampleApplication" 1
wrk -t2 -c32 -d60s "http://127.0.0.1:$port/" > /dev/null
single_rss=$(rss_mb "$single")
echo
echo "reloads: $MINUTES asked, $asked accepted (the rest found one still running: 409), $reloads finished, $failed failed"
echo "baseline: one plain JVM of the same app after a minute of the same load: $single_rss MB"
echo "primary after $MINUTES minutes: $last_rss MB = $(echo "$last_rss / $single_rss" | bc -l | cut -c1-4) x the plain JVM (goal: <= 64 MB)"
