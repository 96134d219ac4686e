#!/usr/bin/env bash
# `./reviews cluster`: three API nodes behind NGINX on http://127.0.0.1:8080, in the foreground; Ctrl-C or SIGTERM
# stops everything it started. Uses DATABASE_URL, else the embedded PostgreSQL of `./reviews demo` (with its data).
# Knobs (environment): see nginx/README.md.
set -euo pipefail

# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# shellcheck source=cluster-lib.sh
source "$ROOT/nginx/cluster-lib.sh"

cluster_main() {
  require_java
  command -v curl >/dev/null || die "curl is required"
  ensure_nginx
  build_api_if_needed
  port_busy "$LISTEN" && die "$LISTEN is already in use (another cluster or demo?)"
  mkdir -p "$CLUSTER_DIR"
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  if [[ -n "${DATABASE_URL:-}" && "${REPLICAS:-0}" != 0 ]]; then
    die "REPLICAS starts an embedded primary and standby; with DATABASE_URL set, point DATABASE_READ_URL at your standbys"
  fi
  if [[ -z "${DATABASE_URL:-}" ]]; then
    start_embedded_database
    trap stop_all EXIT # start_embedded_database replaced it; stop_all stops the database too
    if [[ -f "$ETL_JAR" ]]; then
      load_demo_data
    else
      log "no batch-etl jar: the embedded database starts empty (build batch-etl, or set DATABASE_URL)"
    fi
  fi
  [[ -z "${DATABASE_READ_URL:-}" ]] || log "cache-miss reads from the standbys at $DATABASE_READ_URL"
  log "migrating $DATABASE_URL"
  "$JAVA" -jar "$API_JAR" migrate "$API_CONFIG" >"$CLUSTER_DIR/migrate.log" 2>&1 || { cat "$CLUSTER_DIR/migrate.log" >&2; die "migration failed"; }

  local i
  rm -f "$CLUSTER_DIR"/node-*.log
  for ((i = 0; i < CLUSTER_NODES; i++)); do
    start_node "$i"
  done
  [[ "$WARMUP_REQUESTS" == 0 ]] || log "each node warms up with $WARMUP_REQUESTS reads before it reports healthy"
  for ((i = 0; i < CLUSTER_NODES; i++)); do
    wait_node "$i"
  done
  start_nginx

  cat >&2 <<EOT

  ready: Atelier Reviews cluster, $CLUSTER_NODES nodes healthy behind NGINX on http://$LISTEN (Ctrl-C stops everything)
    curl 'http://$LISTEN/reviews/meta?product_id=2'
    ./reviews bench mixed          # JMeter against this cluster
    nodes' admin: http://127.0.0.1:$NODE_ADMIN_BASE_PORT/prometheus  /metrics  /healthcheck   (ports $NODE_ADMIN_BASE_PORT..)
    logs and generated nginx.conf: $CLUSTER_DIR

EOT
  # Stop everything as soon as any process of the cluster exits.
  local exited=0
  wait -n "${PIDS[@]}" "$NGINX_PID" || exited=$?
  log "a cluster process exited ($exited); see $CLUSTER_DIR"
  exit 1
}

cluster_main "$@"
