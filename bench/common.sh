# Sourced by the benchmarks: a work directory and the processes to stop when the script
# ends (PIDS), the tools it needs, free loopback ports and waiting on log lines.
JAR=sample-app/target/sample-app.jar
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Says what is missing (installs nothing), then builds the sample jar if there is none.
require() { # tool...
  local missing=""
  for tool in "$@"; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
  [ -z "$missing" ] || { echo "missing:$missing (Debian: apt-get install -y <name>)" >&2; exit 1; }
  [ -f "$JAR" ] || mvn -q -B -DskipTests package
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits up to 3 minutes until the file has count lines matching pattern.
await_log() { # file pattern count
  for _ in $(seq 1 900); do [ "$(grep -c "$2" "$1" || true)" -ge "$3" ] && return 0; sleep 0.2; done
  echo "timed out waiting for '$2' in $1" >&2; exit 1
}

# Starts a 2-worker cluster of jar in the background and waits until both workers are
# ready; records its port in PORT[name] and its name in CONFIGS.
declare -A PORT
CONFIGS=""
start_cluster() { # name jar, then extra arguments
  local name=$1 jar=$2 port
  shift 2
  port=$(free_port)
  # wrk runs on this host: workers nicer than it (cluster.worker.serving-nice) would give it
  # the CPU they need, where a real client runs elsewhere; the front door's cost is measured
  # with every process at the same priority, as the single JVM and HAProxy run.
  java -jar "$jar" --server.port="$port" --cluster.workers=2 --cluster.worker.serving-nice=0 "$@" \
    > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  await_log "$WORK/$name.log" "ready in" 2
  PORT[$name]=$port
  CONFIGS="$CONFIGS $name"
}
