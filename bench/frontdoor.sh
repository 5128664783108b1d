#!/usr/bin/env bash
# Throughput and p99 latency of the front door against a single plain JVM and HAProxy
# (TCP mode, in front of 2 plain JVMs), in the same run, alternating configurations over
# several rounds: keep-alive (wrk -t2 -c32) and short connections (Connection: close).
# Each policy runs on the default internal hop (a Unix domain socket); the policies in
# TCP_HOP (default round-robin) run again over loopback TCP, as cluster-<policy>-tcp-hop.
#   bench/frontdoor.sh                 ROUNDS=3 DURATION=15s WARMUP=5s WARMUP_ALL=30s
#   POLICIES="round-robin os" TCP_HOP="" bench/frontdoor.sh
# BASELINE_JAR=old.jar (e.g. the sample built from an earlier commit) adds round-robin from
# that jar as cluster-round-robin-baseline, so a change is measured against it in the same run.
# Needs wrk and haproxy (apt-get install -y wrk haproxy); installs nothing itself.
# All traffic goes to 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
POLICIES=${POLICIES:-round-robin least-connections source-ip os}
TCP_HOP=${TCP_HOP-round-robin}
. bench/common.sh
require wrk haproxy java python3

plain_jvm() { # port name
  java -jar "$JAR" --cluster.enabled=false --server.port="$1" > "$WORK/$2.log" 2>&1 &
  PIDS+=($!)
  await_log "$WORK/$2.log" "Started SampleApplication" 1
}

declare -A URL
echo "starting the configurations..."
port=$(free_port); plain_jvm "$port" single; URL[single-jvm]="http://127.0.0.1:$port/"

b1=$(free_port); plain_jvm "$b1" backend1
b2=$(free_port); plain_jvm "$b2" backend2
hp=$(free_port)
cat > "$WORK/haproxy.cfg" <<CFG
global
    maxconn 4000
    pidfile $WORK/haproxy.pid
defaults
    mode tcp
    option splice-auto
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend fe
    bind 127.0.0.1:$hp
    default_backend be
backend be
    balance roundrobin
    server s1 127.0.0.1:$b1
    server s2 127.0.0.1:$b2
CFG
haproxy -f "$WORK/haproxy.cfg" -D
PIDS+=("$(cat "$WORK/haproxy.pid")")
URL[haproxy]="http://127.0.0.1:$hp/"

CONFIGS="single-jvm haproxy"
for policy in $POLICIES; do
  start_cluster "cluster-$policy" "$JAR" --cluster.scheduling-policy="$policy"
done
# The same policies with the internal hop on loopback TCP instead of a Unix domain socket.
for policy in $TCP_HOP; do
  start_cluster "cluster-$policy-tcp-hop" "$JAR" --cluster.scheduling-policy="$policy" --cluster.front-door.internal-hop=tcp
done
if [ -n "${BASELINE_JAR:-}" ]; then
  start_cluster cluster-round-robin-baseline "$BASELINE_JAR" --cluster.scheduling-policy=round-robin
fi
for name in "${!PORT[@]}"; do URL[$name]="http://127.0.0.1:${PORT[$name]}/"; done

# wrk's 99th percentile in ms, whatever unit it printed
p99() { awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else {sub(/s/,"",v); v*=1000}; printf "%.2f\n", v}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }

# The JIT needs a while on every JVM: warm each configuration before anything counts.
echo "warming up (${WARMUP_ALL:-30s} a configuration)..."
for config in $CONFIGS; do
  wrk -t2 -c32 -d"${WARMUP_ALL:-30s}" "${URL[$config]}" > /dev/null
  wrk -t2 -c32 -d"$WARMUP" -H "Connection: close" "${URL[$config]}" > /dev/null
done

for round in $(seq 1 "$ROUNDS"); do
  for config in $CONFIGS; do
    url=${URL[$config]}
    wrk -t2 -c32 -d"$WARMUP" "$url" > /dev/null
    wrk -t2 -c32 -d"$DURATION" --latency "$url" > "$WORK/$config.keepalive.$round"
    wrk -t2 -c32 -d"$DURATION" --latency -H "Connection: close" "$url" > "$WORK/$config.close.$round"
    echo "round $round $config: $(rps "$WORK/$config.keepalive.$round") req/s keep-alive, $(rps "$WORK/$config.close.$round") req/s close"
  done
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
stat() { # config mode fn
  for round in $(seq 1 "$ROUNDS"); do $3 "$WORK/$1.$2.$round"; done | median
}
declare -A KA CL KP CP
for config in $CONFIGS; do
  KA[$config]=$(stat "$config" keepalive rps); KP[$config]=$(stat "$config" keepalive p99)
  CL[$config]=$(stat "$config" close rps); CP[$config]=$(stat "$config" close p99)
done
echo
echo "Medians of $ROUNDS rounds, wrk -t2 -c32 -d$DURATION, $(nproc) cores, $(java -version 2>&1 | head -1)"
printf '%-28s %11s %9s %9s %9s %11s %9s %9s %9s\n' configuration "keep-alive" p99ms "x haproxy" "x single" "conn:close" p99ms "x haproxy" "x single"
for config in $CONFIGS; do
  printf '%-28s %11.0f %9s %9.2f %9.2f %11.0f %9s %9.2f %9.2f\n' "$config" \
    "${KA[$config]}" "${KP[$config]}" "$(echo "${KA[$config]} / ${KA[haproxy]}" | bc -l)" "$(echo "${KA[$config]} / ${KA[single-jvm]}" | bc -l)" \
    "${CL[$config]}" "${CP[$config]}" "$(echo "${CL[$config]} / ${CL[haproxy]}" | bc -l)" "$(echo "${CL[$config]} / ${CL[single-jvm]}" | bc -l)"
done
