#!/usr/bin/env bash
# Time to first-ready and to all-ready of a cluster of the sample app (JVM defaults) for
# each worker count and each cluster.worker.start-concurrency, from `java -jar` to the
# primary's first and last "ready in" line, with class-data sharing off and, with
# ARCHIVE=1, from an archive trained first. Prints each time and the all-ready time's
# ratio to the all-in-parallel start (concurrency = workers) measured in the same run,
# and the load before and after (`uptime`). A "-" is a start whose workers missed
# cluster.worker.ready-timeout (60 s), so that the cluster stopped.
#   bench/start-concurrency.sh          WORKERS="2 4" ARCHIVE=1 RUNS=1
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/start-concurrency.sh
# Needs java, python3 and bc; binds loopback ports only.
set -euo pipefail
cd "$(dirname "$0")/.."
WORKERS=${WORKERS:-"2 4"}
ARCHIVE=${ARCHIVE:-1}
RUNS=${RUNS:-1}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
. bench/common.sh
require "$JAVA" python3 bc

now() { date +%s.%N; }

# Starts a cluster, waits for its workers to be ready, stops it; the seconds in FIRST_READY
# and ALL_READY.
RUN=0
time_to_ready() { # workers concurrency sharing
  local log="$WORK/run-$((RUN += 1)).log" start pid
  touch "$log"
  start=$(now)
  "$JAVA" -jar "$JAR" --server.port="$(free_port)" --cluster.workers="$1" \
    --cluster.worker.start-concurrency="$2" --cluster.worker.class-data-sharing="$3" \
    --cluster.worker.cache-dir="$WORK/cache" > "$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  FIRST_READY=- ALL_READY=-
  if await_ready "$log" 1 "$pid"; then
    FIRST_READY=$(echo "$(now) - $start" | bc -l)
    if await_ready "$log" "$1" "$pid"; then ALL_READY=$(echo "$(now) - $start" | bc -l); fi
  fi
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
}

# Waits until the log has count "ready in" lines; fails if the primary stopped first (its
# workers missed cluster.worker.ready-timeout) or after 5 minutes.
await_ready() { # log count pid
  for _ in $(seq 1 1500); do
    [ "$(grep -c "ready in" "$1" || true)" -ge "$2" ] && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# A cluster whose archive is trained (the primary says so), so later starts use it.
train() {
  local log="$WORK/train.log" pid
  touch "$log"
  "$JAVA" -jar "$JAR" --server.port="$(free_port)" --cluster.workers=1 \
    --cluster.worker.cache-dir="$WORK/cache" > "$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  await_log "$log" "Workers start from the" 1
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# A time to one decimal, or "-" for a start that never got there (the cluster stopped).
seconds() { if [ "$1" = - ]; then echo "-"; else printf '%.1f' "$1"; fi; }

# Concurrencies to try for n workers: all at once first (the baseline), then halves down to 1.
concurrencies() { local c=$1; while [ "$c" -ge 1 ]; do echo "$c"; c=$((c / 2)); done; }

echo "$(nproc) cores, $("$JAVA" -version 2>&1 | head -1); before: $(uptime)"
printf '%-8s %8s %12s %12s %10s %8s\n' sharing workers concurrency "first ready" "all ready" ratio
modes="off"
if [ "$ARCHIVE" = 1 ]; then train; modes="off auto"; fi
for mode in $modes; do
  for n in $WORKERS; do
    for c in $(concurrencies "$n"); do
      for _ in $(seq 1 "$RUNS"); do
        time_to_ready "$n" "$c" "$mode"
        [ "$c" = "$n" ] && base=$ALL_READY
        ratio=-
        [ "$ALL_READY" != - ] && [ "$base" != - ] && ratio=$(printf '%.2f' "$(echo "$ALL_READY / $base" | bc -l)")
        printf '%-8s %8s %12s %12s %10s %8s\n' "$mode" "$n" "$c" "$(seconds "$FIRST_READY")" \
          "$(seconds "$ALL_READY")" "$ratio"
      done
    done
  done
done
echo "after: $(uptime)"
