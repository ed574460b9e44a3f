#!/usr/bin/env bash
# A Redis Cluster of 3 masters, each with a replica, on loopback ports
# 7101-7106, for tests and benchmarks: the same code runs on it as on one
# server (all keys of a conversation share a hash tag).
#   bash scripts/cluster.sh start   # prints the REDIS_URL to use
#   bash scripts/cluster.sh stop
# Its files live in CLUSTER_DIR (default /tmp/slipdesk-cluster).
# CLUSTER_REPLICAS=0 starts the 3 masters without replicas (7101-7103),
# for benchmarks on few cores, where replicas would do every write again
# on the same cores.
set -euo pipefail
dir="${CLUSTER_DIR:-/tmp/slipdesk-cluster}"
replicas="${CLUSTER_REPLICAS:-1}"
ports=(7101 7102 7103 7104 7105 7106)
if [ "$replicas" = 0 ]; then
  ports=(7101 7102 7103)
fi
url="redis://127.0.0.1:7101?addr=127.0.0.1:7102&addr=127.0.0.1:7103"

stop() {
  for p in "${ports[@]}"; do
    if [ -f "$dir/$p.pid" ]; then
      redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$dir/$p.pid")" 2>/dev/null || true
      rm -f "$dir/$p.pid"
    fi
  done
}

start() {
  stop
  rm -rf "$dir"
  mkdir -p "$dir"
  for p in "${ports[@]}"; do
    redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes \
      --cluster-config-file "$dir/nodes-$p.conf" --cluster-node-timeout 5000 \
      --dir "$dir" --save "" --appendonly no --daemonize yes \
      --pidfile "$dir/$p.pid" --logfile "$dir/$p.log"
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 1 50); do
      redis-cli -p "$p" ping 2>/dev/null | grep -q PONG && break
      sleep 0.1
    done
  done
  redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") \
    --cluster-replicas "$replicas" --cluster-yes >"$dir/create.log"
  for p in "${ports[@]}"; do
    for _ in $(seq 1 100); do
      redis-cli -p "$p" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && break
      sleep 0.1
    done
  done
  echo "$url"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$url" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
