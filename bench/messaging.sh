#!/usr/bin/env bash
# Messaging between workers against plain HTTP, in one run, from inside a worker of a
# 2-worker cluster of the sample (sample.bench.enabled=true):
#   request/reply   ClusterTemplate.request to the other worker and its listener's answer
#                   (worker -> primary -> worker -> primary -> worker), one at a time
#   http            a GET of / on the cluster's port from the same worker, on one
#                   keep-alive connection (worker -> front door -> a worker and back)
#   broadcast       broadcasts per second reaching the other worker (sent back to back,
#                   then one broadcast that waits for every receiver)
#   bench/messaging.sh                  ROUNDS=3 COUNT=5000
# Prints p50/p99 per round and the ratio of request/reply's p99 to HTTP's (below 1: the
# message is faster). Needs curl and python3; installs nothing. All traffic goes to
# 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
COUNT=${COUNT:-5000}
. bench/common.sh
require curl java python3

echo "starting a 2-worker cluster..."
start_cluster messaging "$JAR" --sample.bench.enabled=true
port=${PORT[messaging]}
get() { curl -sf --max-time 300 "http://127.0.0.1:$port$1"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

echo "warming up..."
get "/bench/ask?count=$COUNT" > /dev/null
get "/bench/http?port=$port&count=$COUNT" > /dev/null
get "/bench/broadcast?count=$COUNT" > /dev/null

printf '%-6s %-14s %10s %10s %12s\n' round call p50_us p99_us per_second
for round in $(seq 1 "$ROUNDS"); do
  ask=$(get "/bench/ask?count=$COUNT")
  http=$(get "/bench/http?port=$port&count=$COUNT")
  broadcast=$(get "/bench/broadcast?count=$((COUNT * 4))")
  printf '%-6s %-14s %10s %10s %12s\n' "$round" request/reply "$(field p50Micros <<< "$ask")" \
    "$(field p99Micros <<< "$ask")" "$(field perSecond <<< "$ask")"
  printf '%-6s %-14s %10s %10s %12s\n' "$round" http "$(field p50Micros <<< "$http")" \
    "$(field p99Micros <<< "$http")" "$(field perSecond <<< "$http")"
  printf '%-6s %-14s %10s %10s %12s\n' "$round" broadcast - - "$(field perSecond <<< "$broadcast")"
  python3 -c "import json,sys; a=json.loads(sys.argv[1]); h=json.loads(sys.argv[2]); \
print(f'       request/reply vs http: p50 {a[\"p50Micros\"]/h[\"p50Micros\"]:.2f}x, p99 {a[\"p99Micros\"]/h[\"p99Micros\"]:.2f}x')" "$ask" "$http"
done
