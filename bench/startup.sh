#!/usr/bin/env bash
# Boot speed and memory of the sample app, per JDK, in one run:
#   plain          `java -jar` of the sample without the cluster, three times: time to its
#                  first 200 (the median), RSS and PSS (the baseline every ratio is against)
#   off            clusters of 1, 2 and 4 workers, cluster.worker.class-data-sharing=off:
#                  time from the primary's launch until every worker is ready, each
#                  worker's own "ready in", RSS and PSS of the primary and each worker
#   archive        the same, each worker starting from the archive (trained first by a
#                  1-worker cluster in a private cache directory)
#   archive+shared the same with cluster.worker.share-archive-pages=true (2 and 4 workers)
#   restart        a worker's time to ready when it restarts (killed three times, the median)
#                  in the 1-worker clusters, `off` and from the archive
#   reload         a 2-worker rolling reload's duration (POST /actuator/cluster/reload until
#                  SUCCEEDED), idle and under wrk -t2 -c32 load: before (`off`, every
#                  process at the same priority: cluster.worker.serving-nice=0) and after
#                  (the archive, serving workers nicer than a starting one: the default);
#                  under load also from the archive with serving-nice=0, which tells the
#                  two apart. wrk's requests/s over the loaded reload say what serving gave up.
# Prints the machine's health first (a Node hello server under wrk -t2 -c32; ~35k req/s on
# a quiet 2-core machine), then markdown tables with the ratios and targets of issue 13.
#   bench/startup.sh                 the `java` on the PATH, and Temurin 25 when installed
#   BENCH_JDKS="/opt/jdk-21/bin/java" COUNTS="1 2" SHARED_COUNTS="2" bench/startup.sh
#   START_CONCURRENCY=1 bench/startup.sh   passes cluster.worker.start-concurrency on
# Uses the built sample jar (sample-app/target/sample-app.jar) and builds nothing. Needs
# curl, python3 and wrk (apt-get install -y wrk); node is optional (the health figure).
# All traffic goes to 127.0.0.1; every process it starts is stopped when it ends, also on
# Ctrl-C or a failure, and its cache directory is removed.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNTS=${COUNTS:-1 2 4}
SHARED_COUNTS=${SHARED_COUNTS:-2 4}
START_CONCURRENCY=${START_CONCURRENCY:-}
TEMURIN25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
if [ -z "${BENCH_JDKS:-}" ]; then
  BENCH_JDKS=java
  [ -x "$TEMURIN25" ] && BENCH_JDKS="java $TEMURIN25"
fi
. bench/common.sh
trap 'exit 130' INT TERM
for tool in curl python3 wrk; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (Debian: apt-get install -y $tool)" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "$JAR is missing: build it first (mvn -B -DskipTests package)" >&2; exit 1; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# "rss_kb pss_kb" of a process
memory() { awk '/^Rss:/ {r = $2} /^Pss:/ {p = $2} END {print r, p}' "/proc/$1/smaps_rollup"; }

# Runs the command until it succeeds or the deadline (seconds) passes.
await() { # seconds what command...
  local deadline=$(( $(date +%s) + $1 )) what=$2
  shift 2
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out waiting for $what" >&2; exit 1; }
    sleep 0.2
  done
}
answers() { curl -sf -o /dev/null --max-time 5 "http://127.0.0.1:$1/"; }
lines_at_least() { # file pattern count (the file may not exist yet)
  local found
  found=$(grep -c "$2" "$1" 2>/dev/null) || found=0
  [ "${found:-0}" -ge "$3" ]
}

stop() { # pid: stops a JVM (a primary stops its workers) and waits for it
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=()
  for pid in "${PIDS[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  PIDS=("${kept[@]}")
}

cluster_json() { curl -sf --max-time 30 "http://127.0.0.1:$1/actuator/cluster"; }
worker_pids() {
  cluster_json "$1" | python3 -c 'import json, sys
print(" ".join(str(w["pid"]) for w in json.load(sys.stdin)["workers"] if w["state"] == "READY"))'
}
# The "ready in" figures of the log's lines from line $2 on, in seconds, space-separated.
ready_times() {
  tail -n +"$2" "$1" | grep -oE 'ready in [0-9.]+ (ms|s|min)' | awk '{v = $3; if ($4 == "ms") v /= 1000;
    if ($4 == "min") v *= 60; printf "%s%.1f", (NR > 1 ? " " : ""), v}'
}

health() {
  if ! command -v node >/dev/null; then echo "machine health: node is missing, no figure"; return; fi
  local port pid
  port=$(free_port)
  PORT=$port node bench/node-app/server.js > "$WORK/node.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  await 30 "the Node hello server" answers "$port"
  local rate
  rate=$(wrk -t2 -c32 -d5s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  stop "$pid"
  echo "machine health: Node hello under wrk -t2 -c32 -d5s: $rate req/s (~35000 on a quiet 2-core machine); load $(cut -d' ' -f1-3 /proc/loadavg)"
}

median() { tr ' ' '\n' | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# The plain JVM, three times: sets PLAIN_READY (s, the median), PLAIN_RSS and PLAIN_PSS
# (kB, the last run's).
plain() { # java
  local port pid start times=""
  for _ in 1 2 3; do
    port=$(free_port)
    start=$(now)
    "$1" -jar "$JAR" --cluster.enabled=false --server.port="$port" > "$WORK/plain.log" 2>&1 &
    pid=$!; PIDS+=("$pid")
    await 300 "the plain JVM's first 200" answers "$port"
    times="$times $(since "$start")"
    read -r PLAIN_RSS PLAIN_PSS < <(memory "$pid")
    stop "$pid"
  done
  PLAIN_READY=$(echo $times | median)
  echo "  plain java -jar: first 200 after$times s (median $PLAIN_READY s), RSS $(mb "$PLAIN_RSS") MB, PSS $(mb "$PLAIN_PSS") MB"
}

ready_since() { [ "$(tail -n +"$1" "$CLUSTER_LOG" | grep -c "ready in")" -ge 1 ]; }

# Kills the running 1-worker cluster's worker three times, each time once the one before is
# ready: RESTART (s), the median of the restarted workers' "ready in".
restarts() { # setup
  local from pid times=""
  for _ in 1 2 3; do
    from=$(( $(wc -l < "$CLUSTER_LOG") + 1 ))
    pid=$(worker_pids "$CLUSTER_PORT")
    kill -9 "$pid"
    await 600 "the restarted worker" ready_since "$from"
    times="$times $(ready_times "$CLUSTER_LOG" "$from")"
  done
  RESTART=$(echo $times | median)
  echo "  $1: a restarted worker ready in$times s (median $RESTART s)"
}

# Starts a cluster of N workers and waits until all are ready: sets CLUSTER_PID, CLUSTER_PORT,
# CLUSTER_LOG, ALL_READY (s) and READY_EACH (each worker's "ready in").
cluster() { # java name workers, then extra arguments
  local java=$1 name=$2 workers=$3 start
  shift 3
  local extra=("$@")
  [ -n "$START_CONCURRENCY" ] && extra+=("--cluster.worker.start-concurrency=$START_CONCURRENCY")
  CLUSTER_PORT=$(free_port)
  CLUSTER_LOG="$WORK/$name.log"
  start=$(now)
  # A generous ready timeout: a busy machine must not fail a start the bench measures.
  "$java" -jar "$JAR" --server.port="$CLUSTER_PORT" --cluster.workers="$workers" \
    --cluster.worker.ready-timeout=5m --cluster.worker.cache-dir="$CACHE" "${extra[@]}" > "$CLUSTER_LOG" 2>&1 &
  CLUSTER_PID=$!; PIDS+=("$CLUSTER_PID")
  await 600 "$workers worker(s) of $name ready" lines_at_least "$CLUSTER_LOG" "ready in" "$workers"
  ALL_READY=$(since "$start")
  READY_EACH=$(ready_times "$CLUSTER_LOG" 1)
}

# Memory of the running cluster: one table row, and the summed PSS in SUM_PSS (kB).
memory_row() { # jdk setup workers
  local rss pss workers_rss="" sum_pss target
  read -r rss pss < <(memory "$CLUSTER_PID")
  local primary_rss=$rss
  sum_pss=$pss
  for pid in $(worker_pids "$CLUSTER_PORT"); do
    read -r rss pss < <(memory "$pid")
    workers_rss="$workers_rss $(mb "$rss")"
    sum_pss=$((sum_pss + pss))
  done
  target=$(( $3 * PLAIN_PSS + 64 * 1024 ))
  SUM_PSS=$sum_pss
  local verdict=over
  [ "$sum_pss" -le "$target" ] && verdict=within
  ROWS+=("| $1 | $2 | $3 | $ALL_READY s | $READY_EACH | $(mb "$primary_rss") / ${workers_rss# } MB | $(mb "$sum_pss") MB | $(mb "$target") MB ($verdict) |")
  echo "  $2, $3 worker(s): all ready in $ALL_READY s (each: $READY_EACH s), summed PSS $(mb "$sum_pss") MB"
}

# A rolling reload of the running cluster: its duration in RELOAD (s), the replacements'
# "ready in" in RELOAD_EACH.
reload() {
  local start id state from
  from=$(( $(wc -l < "$CLUSTER_LOG") + 1 ))
  start=$(now)
  id=$(curl -sf --max-time 30 -u admin:change-me -X POST "http://127.0.0.1:$CLUSTER_PORT/actuator/cluster/reload" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["reload"])')
  reload_state() {
    state=$(cluster_json "$CLUSTER_PORT" | python3 -c 'import json, sys
r = json.load(sys.stdin).get("reload") or {}
print(r.get("id"), r.get("state"))') || return 1
    [ "$state" != "$id RUNNING" ] && [ "${state%% *}" = "$id" ]
  }
  await 900 "reload $id" reload_state
  [ "$state" = "$id SUCCEEDED" ] || { echo "reload $id ended $state, see the log" >&2; tail -20 "$CLUSTER_LOG" >&2; exit 1; }
  RELOAD=$(since "$start")
  RELOAD_EACH=$(ready_times "$CLUSTER_LOG" "$from")
}

# Under wrk load (stopped once the reload has ended, with SIGINT so that it prints what it
# served): RELOAD_LOADED, SERVED (requests/s over wrk's run).
loaded_reload() { # setup
  wrk -t2 -c32 -d900s "http://127.0.0.1:$CLUSTER_PORT/" > "$WORK/wrk.log" 2>&1 &
  local wrk_pid=$!
  PIDS+=("$wrk_pid")
  sleep 3 # wrk at full load before the reload starts
  reload
  kill -INT "$wrk_pid" 2>/dev/null || true
  await 30 "wrk's summary" lines_at_least "$WORK/wrk.log" "Requests/sec" 1
  stop "$wrk_pid"
  RELOAD_LOADED=$RELOAD
  SERVED=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.log")
  echo "  $1: 2-worker reload under wrk -t2 -c32 $RELOAD s (replacements ready in $RELOAD_EACH s; wrk: ${SERVED:-?} req/s)"
}

# Idle, then under wrk load: RELOAD_IDLE, RELOAD_LOADED, SERVED.
reloads() { # setup
  reload
  RELOAD_IDLE=$RELOAD
  echo "  $1: 2-worker reload idle $RELOAD s (replacements ready in $RELOAD_EACH s)"
  loaded_reload "$1"
}

health
for java in $BENCH_JDKS; do
  jdk=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')
  echo "== JDK $jdk ($java)"
  CACHE="$WORK/cache-$(echo "$java" | md5sum | cut -c1-8)"
  ROWS=()
  plain "$java"
  ROWS+=("| $jdk | plain \`java -jar\` | - | $PLAIN_READY s (first 200) | | $(mb "$PLAIN_RSS") MB | $(mb "$PLAIN_PSS") MB | |")
  for n in $COUNTS; do
    cluster "$java" "off-$n" "$n" --cluster.worker.class-data-sharing=off --cluster.worker.serving-nice=0
    memory_row "$jdk" off "$n"
    [ "$n" = 1 ] && { restarts off; OFF_RESTART=$RESTART; }
    [ "$n" = 2 ] && { reloads off; OFF_IDLE=$RELOAD_IDLE; OFF_LOADED=$RELOAD_LOADED; OFF_SERVED=$SERVED; }
    stop "$CLUSTER_PID"
  done
  echo "  training the archive (a 1-worker cluster, class-data-sharing=auto)..."
  cluster "$java" train 1
  await 900 "the archive's training" lines_at_least "$CLUSTER_LOG" "Workers start from the\|Workers start without a" 1
  grep -q "Workers start from the" "$CLUSTER_LOG" || { grep "Workers start without" "$CLUSTER_LOG" >&2; exit 1; }
  TRAINED=$(grep -oE 'trained in [0-9.]+ s' "$CLUSTER_LOG" || echo "found")
  echo "  archive $TRAINED"
  stop "$CLUSTER_PID"
  ONE_WORKER=""
  for n in $COUNTS; do
    cluster "$java" "archive-$n" "$n"
    grep -q "Workers start from the .* (found)" "$CLUSTER_LOG" || { echo "workers did not start from the archive" >&2; exit 1; }
    memory_row "$jdk" archive "$n"
    [ "$n" = 1 ] && { ONE_WORKER=$READY_EACH; restarts archive; ARCHIVE_RESTART=$RESTART; }
    [ "$n" = 2 ] && { reloads archive; ARCHIVE_IDLE=$RELOAD_IDLE; ARCHIVE_LOADED=$RELOAD_LOADED; ARCHIVE_SERVED=$SERVED; }
    stop "$CLUSTER_PID"
  done
  if [[ " $COUNTS " == *" 2 "* ]]; then
    cluster "$java" "archive-nice-0" 2 --cluster.worker.serving-nice=0
    loaded_reload "archive, serving-nice=0"
    NICE0_LOADED=$RELOAD_LOADED; NICE0_SERVED=$SERVED
    stop "$CLUSTER_PID"
  fi
  for n in $SHARED_COUNTS; do
    cluster "$java" "shared-$n" "$n" --cluster.worker.share-archive-pages=true
    memory_row "$jdk" "archive + shared pages" "$n"
    stop "$CLUSTER_PID"
  done

  feature=$(echo "$jdk" | cut -d. -f1 | cut -d+ -f1)
  target=0.75
  [ "$feature" -ge 25 ] && target=0.5
  echo
  echo "| JDK | workers from | workers | all ready | each worker ready in (s) | RSS primary / workers | summed PSS | target N × plain PSS + 64 MB |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "| JDK | | before (off) | after (archive) | after / before | target |"
  echo "|---|---|---|---|---|---|"
  if [ -n "$ONE_WORKER" ]; then
    echo "| $jdk | a worker's time to ready vs plain \`java -jar\` ($PLAIN_READY s): the first worker of a cluster | | $ONE_WORKER s | $(ratio "$ONE_WORKER" "$PLAIN_READY")× plain | ≤ ${target}× |"
    echo "| $jdk | a worker's time to ready vs plain \`java -jar\` ($PLAIN_READY s): a restarted worker (median of 3) | $OFF_RESTART s ($(ratio "$OFF_RESTART" "$PLAIN_READY")× plain) | $ARCHIVE_RESTART s | $(ratio "$ARCHIVE_RESTART" "$PLAIN_READY")× plain | ≤ ${target}× |"
  fi
  if [ -n "${OFF_IDLE:-}" ] && [ -n "${ARCHIVE_IDLE:-}" ]; then
    echo "| $jdk | 2-worker reload, idle | $OFF_IDLE s | $ARCHIVE_IDLE s | $(ratio "$ARCHIVE_IDLE" "$OFF_IDLE")× | |"
    echo "| $jdk | 2-worker reload under wrk -t2 -c32 | $OFF_LOADED s | $ARCHIVE_LOADED s | $(ratio "$ARCHIVE_LOADED" "$OFF_LOADED")× | ≤ 0.5× |"
    echo "| $jdk | the same from the archive, serving-nice=0 (the archive alone) | $OFF_LOADED s | $NICE0_LOADED s | $(ratio "$NICE0_LOADED" "$OFF_LOADED")× | |"
    echo "| $jdk | wrk's requests/s over the loaded reload | $OFF_SERVED | $ARCHIVE_SERVED (serving-nice=0: $NICE0_SERVED) | $(ratio "$ARCHIVE_SERVED" "$OFF_SERVED")× | |"
  fi
  echo
  OFF_IDLE=""; ARCHIVE_IDLE=""
done
