#!/usr/bin/env bash
# `./reviews cluster`: three API nodes behind NGINX on http://127.0.0.1:8080, in the foreground; Ctrl-C or SIGTERM
# stops everything it started. Uses DATABASE_URL, else the embedded PostgreSQL of `./reviews demo` (with its data).
# Knobs (environment): see nginx/README.md. nginx/faults.sh sources this file (with its own ports) for its functions.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../reviews
source "$ROOT/reviews"

CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/.cluster}"
CLUSTER_NODES="${CLUSTER_NODES:-3}"
NODE_BASE_PORT="${NODE_BASE_PORT:-8091}"
NODE_ADMIN_BASE_PORT="${NODE_ADMIN_BASE_PORT:-8191}"
LISTEN="${LISTEN:-127.0.0.1:8080}"
NODE_JAVA_OPTS="${NODE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC -Xss512k}"
export DATABASE_POOL_MAX="${DATABASE_POOL_MAX:-8}" DATABASE_POOL_MIN="${DATABASE_POOL_MIN:-8}"
export DELAYED_SHUTDOWN="${DELAYED_SHUTDOWN:-true}" SHUTDOWN_WAIT="${SHUTDOWN_WAIT:-3s}"
# A deployment needs API keys (./reviews keys create); AUTH_REQUIRED=false opens it (faults.sh does, for NGINX's sake).
export AUTH_REQUIRED="${AUTH_REQUIRED:-true}"
export OUT_OF_ROTATION_WHEN_UNHEALTHY="${OUT_OF_ROTATION_WHEN_UNHEALTHY:-true}"
NGINX_WORKERS="${NGINX_WORKERS:-auto}"
NGINX_GZIP="${NGINX_GZIP:-on}"
NGINX_ACCESS_LOG="${NGINX_ACCESS_LOG:-off}"
UPSTREAM_MAX_FAILS="${UPSTREAM_MAX_FAILS:-3}"
UPSTREAM_FAIL_TIMEOUT="${UPSTREAM_FAIL_TIMEOUT:-10s}"
UPSTREAM_KEEPALIVE="${UPSTREAM_KEEPALIVE:-64}"
UPSTREAM_KEEPALIVE_TIMEOUT="${UPSTREAM_KEEPALIVE_TIMEOUT:-15s}"
RATE_LIMIT_RPS="${RATE_LIMIT_RPS:-100}"
RATE_LIMIT_BURST="${RATE_LIMIT_BURST:-200}"
RATE_LIMIT_RETRY_AFTER="${RATE_LIMIT_RETRY_AFTER:-1}"
RATE_LIMIT_EXEMPT="${RATE_LIMIT_EXEMPT-127.0.0.1/32}"
UNAVAILABLE_RETRY_AFTER="${UNAVAILABLE_RETRY_AFTER:-1}"
# The nodes read the same variable (config.yml): NGINX's own errors allow exactly the origins the nodes allow.
export CORS_ALLOWED_ORIGINS="${CORS_ALLOWED_ORIGINS:-*}"

PIDS=()

ensure_nginx() {
  command -v nginx >/dev/null && return
  [[ -x /usr/sbin/nginx ]] && { PATH="$PATH:/usr/sbin"; return; }
  log "NGINX is missing: installing nginx-light from the Debian packages"
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q nginx-light >/dev/null 2>&1 || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q nginx-light >/dev/null; }
  command -v nginx >/dev/null || PATH="$PATH:/usr/sbin"
  command -v nginx >/dev/null || die "could not install NGINX (apt-get install nginx-light)"
  # The package starts a default server on port 80; the cluster needs none of it.
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
    $sudo systemctl stop nginx || true
  fi
}

build_api_if_needed() {
  if [[ ! -f "$API_JAR" ]] || [[ -n "$(find openapi.yaml pom.xml api-server/pom.xml database/src/main api-server/src/main \
        api-server/config.yml -newer "$API_JAR" -print -quit 2>/dev/null)" ]]; then
    command -v mvn >/dev/null || die "Maven is required to build (apt-get install maven)"
    log "building the API server (mvn -B -q -pl api-server -am -DskipTests package)..."
    mvn -B -q -pl api-server -am -DskipTests package
  fi
}

port_busy() {
  (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null
}

render_nginx_conf() {
  local servers="" exempt="" i cidr
  for ((i = 0; i < CLUSTER_NODES; i++)); do
    servers+="        server 127.0.0.1:$((NODE_BASE_PORT + i)) max_fails=$UPSTREAM_MAX_FAILS fail_timeout=$UPSTREAM_FAIL_TIMEOUT;"$'\n'
  done
  for cidr in ${RATE_LIMIT_EXEMPT//,/ }; do
    exempt+="        $cidr 1;"$'\n'
  done
  # $cors_allow_origin: the Origin for an allowed one, like Jetty's CrossOriginFilter (same * patterns).
  local cors="" origin origins
  IFS=', ' read -r -a origins <<<"$CORS_ALLOWED_ORIGINS"  # not a glob: "*" stays "*"
  if [[ " ${origins[*]} " == *" * "* ]]; then
    cors="        default \$http_origin;"
  else
    cors="        default \"\";"
    for origin in "${origins[@]}"; do
      if [[ "$origin" == *"*"* ]]; then
        origin="${origin//./\\.}"
        cors+=$'\n'"        \"~^${origin//\*/.*}\$\" \$http_origin;"
      else
        cors+=$'\n'"        \"$origin\" \$http_origin;"
      fi
    done
  fi
  local access="off"
  [[ "$NGINX_ACCESS_LOG" == "off" ]] || access="$CLUSTER_DIR/nginx-access.log combined buffer=64k flush=5s"
  mkdir -p "$CLUSTER_DIR"/{client_body,proxy,fastcgi,uwsgi,scgi}
  CORS_ORIGIN_LINES="$cors" python3 - "$ROOT/nginx/nginx.conf.template" "$CLUSTER_DIR/nginx.conf" <<PY
import os, sys
text = open(sys.argv[1]).read()
values = {
    "PREFIX": "$CLUSTER_DIR", "WORKER_PROCESSES": "$NGINX_WORKERS", "ACCESS_LOG": "$access", "GZIP": "$NGINX_GZIP",
    "UPSTREAM_SERVERS": """${servers%$'\n'}""", "UPSTREAM_KEEPALIVE": "$UPSTREAM_KEEPALIVE",
    "UPSTREAM_KEEPALIVE_TIMEOUT": "$UPSTREAM_KEEPALIVE_TIMEOUT", "LISTEN": "$LISTEN",
    "RATE_LIMIT_RPS": "$RATE_LIMIT_RPS", "RATE_LIMIT_BURST": "$RATE_LIMIT_BURST",
    "RATE_LIMIT_RETRY_AFTER": "$RATE_LIMIT_RETRY_AFTER", "RATE_LIMIT_EXEMPT_LINES": """${exempt%$'\n'}""",
    "UNAVAILABLE_RETRY_AFTER": "$UNAVAILABLE_RETRY_AFTER", "CORS_ORIGIN_LINES": os.environ["CORS_ORIGIN_LINES"],
}
for k, v in values.items():
    text = text.replace("@" + k + "@", v)
open(sys.argv[2], "w").write(text)
PY
}

stop_all() {
  trap - EXIT INT TERM
  log "stopping the cluster"
  local pid
  if [[ -n "${NGINX_PID:-}" ]]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}" ${NGINX_PID:-}; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "${EMBEDDED_PID:-}" ]]; then kill "$EMBEDDED_PID" 2>/dev/null || true; wait "$EMBEDDED_PID" 2>/dev/null || true; fi
}

wait_healthy() {
  local name="$1" url="$2" pid="$3" log_file="$4" i
  for i in $(seq 1 240); do
    if curl -fs -o /dev/null --max-time 2 "$url"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { tail -30 "$log_file" >&2; die "$name exited (log: $log_file)"; }
    sleep 0.5
  done
  die "$name did not become healthy within 120 s (log: $log_file)"
}

# Starts node $1 (0-based; ports NODE_BASE_PORT+$1, NODE_ADMIN_BASE_PORT+$1) in the background: PIDS[$1].
# Its log is appended to, so that a restarted node keeps its history.
start_node() {
  local i="$1" port=$((NODE_BASE_PORT + $1)) admin=$((NODE_ADMIN_BASE_PORT + $1))
  port_busy "127.0.0.1:$port" && die "port $port is already in use"
  # shellcheck disable=SC2086
  PORT=$port ADMIN_PORT=$admin MIGRATE_ON_START=false \
    "$JAVA" $NODE_JAVA_OPTS -jar "$API_JAR" server "$API_CONFIG" >>"$CLUSTER_DIR/node-$((i + 1)).log" 2>&1 &
  PIDS[$i]=$!
  log "node $((i + 1)): http://127.0.0.1:$port (admin http://127.0.0.1:$admin), pid ${PIDS[$i]}"
}

wait_node() {
  wait_healthy "node $(($1 + 1))" "http://127.0.0.1:$((NODE_ADMIN_BASE_PORT + $1))/healthcheck" "${PIDS[$1]}" \
    "$CLUSTER_DIR/node-$(($1 + 1)).log"
}

start_nginx() {
  render_nginx_conf
  nginx -t -q -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" || die "invalid $CLUSTER_DIR/nginx.conf"
  nginx -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" &
  NGINX_PID=$!
  wait_healthy "nginx" "http://$LISTEN/reviews/meta?product_id=1" "$NGINX_PID" "$CLUSTER_DIR/nginx-error.log"
}

cluster_main() {
  require_java
  command -v curl >/dev/null || die "curl is required"
  ensure_nginx
  build_api_if_needed
  port_busy "$LISTEN" && die "$LISTEN is already in use (another cluster or demo?)"
  mkdir -p "$CLUSTER_DIR"
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  if [[ -z "${DATABASE_URL:-}" ]]; then
    start_embedded_database
    trap stop_all EXIT # start_embedded_database replaced it; stop_all stops the database too
    if [[ -f "$ETL_JAR" ]]; then
      load_demo_data
    else
      log "no batch-etl jar: the embedded database starts empty (build batch-etl, or set DATABASE_URL)"
    fi
  fi
  log "migrating $DATABASE_URL"
  "$JAVA" -jar "$API_JAR" migrate "$API_CONFIG" >"$CLUSTER_DIR/migrate.log" 2>&1 || { cat "$CLUSTER_DIR/migrate.log" >&2; die "migration failed"; }

  local i
  rm -f "$CLUSTER_DIR"/node-*.log
  for ((i = 0; i < CLUSTER_NODES; i++)); do
    start_node "$i"
  done
  for ((i = 0; i < CLUSTER_NODES; i++)); do
    wait_node "$i"
  done
  start_nginx

  cat >&2 <<EOT

  Atelier Reviews cluster: $CLUSTER_NODES nodes behind NGINX on http://$LISTEN (Ctrl-C stops everything)
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

# Run as a command, it starts the cluster; sourced (nginx/faults.sh), it only defines the functions.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  cluster_main "$@"
fi
