# The cluster's functions and node knobs (nginx/README.md), shared by nginx/cluster.sh and nginx/faults.sh: source it
# after scripts/lib.sh (it uses its paths, log and die), never run it.
# shellcheck shell=bash

# The renderer (nginx/render-conf.py) reads these too, and defines NGINX's own knobs.
export CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/.cluster}"
export CLUSTER_NODES="${CLUSTER_NODES:-3}"
export NODE_BASE_PORT="${NODE_BASE_PORT:-8091}"
NODE_ADMIN_BASE_PORT="${NODE_ADMIN_BASE_PORT:-8191}"
export LISTEN="${LISTEN:-127.0.0.1:8080}"
# Three node JVMs share two cores with NGINX and PostgreSQL, and each JVM sizes its helper threads for the whole box:
# SerialGC collects on the thread that needs it (no GC workers fighting the other JVMs; young pauses of a 1 GB heap
# of short-lived request garbage stay short), CICompilerCount=2 is the least the tiered JIT runs with (one C1, one C2
# thread; a container reporting more CPUs would get more), Xms=Xmx avoids resizing. NODE_JAVA_OPTS replaces them all.
NODE_JAVA_OPTS="${NODE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseSerialGC -XX:CICompilerCount=2 -Xss512k}"
# Reads each node sends itself before /health-check turns green (config.yml warmup.requests; 0: none).
export WARMUP_REQUESTS="${WARMUP_REQUESTS:-20000}"
# Seconds a started node has to become healthy (its warm-up included).
NODE_READY_TIMEOUT="${NODE_READY_TIMEOUT:-300}"
export DATABASE_POOL_MAX="${DATABASE_POOL_MAX:-8}" DATABASE_POOL_MIN="${DATABASE_POOL_MIN:-8}"
export DELAYED_SHUTDOWN="${DELAYED_SHUTDOWN:-true}" SHUTDOWN_WAIT="${SHUTDOWN_WAIT:-3s}"
# A deployment needs API keys (./reviews keys create); AUTH_REQUIRED=false opens it (faults.sh does, for NGINX's sake).
export AUTH_REQUIRED="${AUTH_REQUIRED:-true}"
export OUT_OF_ROTATION_WHEN_UNHEALTHY="${OUT_OF_ROTATION_WHEN_UNHEALTHY:-true}"
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
  if jar_is_stale "$API_JAR"; then
    build -pl api-server -am
  fi
}

port_busy() {
  (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null
}

render_nginx_conf() {
  python3 "$ROOT/nginx/render-conf.py"
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
  local name="$1" url="$2" pid="$3" log_file="$4" timeout="${5:-120}" i
  for i in $(seq 1 $((timeout * 2))); do
    if curl -fs -o /dev/null --max-time 2 "$url"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { tail -30 "$log_file" >&2; die "$name exited (log: $log_file)"; }
    sleep 0.5
  done
  die "$name did not become healthy within $timeout s (log: $log_file)"
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

# Until node $1 is healthy both ways: every check on its admin port (the warm-up's included) and /health-check on
# its application port, the critical checks' state that decides whether it answers reads or sends them elsewhere.
wait_node() {
  local name="node $(($1 + 1))" log_file="$CLUSTER_DIR/node-$(($1 + 1)).log"
  wait_healthy "$name" "http://127.0.0.1:$((NODE_ADMIN_BASE_PORT + $1))/healthcheck" "${PIDS[$1]}" "$log_file" \
    "$NODE_READY_TIMEOUT"
  wait_healthy "$name" "http://127.0.0.1:$((NODE_BASE_PORT + $1))/health-check" "${PIDS[$1]}" "$log_file" \
    "$NODE_READY_TIMEOUT"
}

start_nginx() {
  render_nginx_conf
  nginx -t -q -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" || die "invalid $CLUSTER_DIR/nginx.conf"
  nginx -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" &
  NGINX_PID=$!
  # Through NGINX to a node's /health-check: needs no API key (a read answers 401 when keys are required).
  wait_healthy "nginx" "http://$LISTEN/health-check" "$NGINX_PID" "$CLUSTER_DIR/nginx-error.log"
}
