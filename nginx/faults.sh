#!/usr/bin/env bash
# `./reviews bench faults`: node faults behind NGINX under a mixed load, with figures and goals (nginx/README.md).
#
# On its own ports (NGINX 18080, nodes 18091-18093, admin 18191-18193) and its own fresh database on the
# DATABASE_URL server (created, then dropped), it starts three real API nodes behind real NGINX (nginx/cluster-lib.sh's
# functions, nginx/render-conf.py's configuration) and drives reads, POST /reviews and PUT .../helpful with nginx/faults.py, which records
# every request and answer:
#   a) kill   - the node serving the writes is killed (SIGKILL) under load, then restarted:
#               error rate after retry < 0.1 %, no POST answered 201 lost, no duplicate, every 204 vote counted once;
#   b) drain  - the node serving the writes is stopped (SIGTERM) under load, then restarted: 0 failed requests;
#   c) rate   - reads from 127.0.0.2 (not exempt) beyond RATE_LIMIT_RPS: 429 + Retry-After + {"code":429,...};
#   d) shapes - NGINX's own errors in the contract's JSON shape: 413 (body > 64 KiB), 504 (every node hung),
#               503 (every node draining), 502 (no node left).
# Exits non-zero when a goal is missed. Ctrl-C stops it; processes and the database are cleaned up either way.
#
# Needs DATABASE_URL (+ DATABASE_USER, DATABASE_PASSWORD) of a server where that user may create databases, psql,
# python3, curl, Java and NGINX (installed with apt-get when missing). Knobs: FAULTS_SECONDS (30 per load scenario),
# FAULTS_THREADS (12), FAULTS_WARMUP (5 s, before the scenarios), FAULTS_KEEP=1 (keep the database), FAULTS_DIR
# (.faults: logs, records, nginx.conf), and the cluster's knobs (nginx/README.md).
set -euo pipefail

# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
export CLUSTER_DIR="${FAULTS_DIR:-$ROOT/.faults}"
export CLUSTER_NODES=3 NODE_BASE_PORT="${FAULTS_NODE_BASE_PORT:-18091}" NODE_ADMIN_BASE_PORT="${FAULTS_ADMIN_BASE_PORT:-18191}"
export LISTEN="${FAULTS_LISTEN:-127.0.0.1:18080}"
export NODE_JAVA_OPTS="${NODE_JAVA_OPTS:--Xms128m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k}"
# No warm-up: these nodes never reach C2 anyway, and a restarted node's return is what the scenarios time.
export WARMUP_REQUESTS="${WARMUP_REQUESTS:-0}"
# The load comes from 127.0.0.1 (exempt, so that scenarios a and b measure faults, not the limiter); scenario c
# comes from 127.0.0.2, limited at RATE_LIMIT_RPS.
export RATE_LIMIT_EXEMPT="${RATE_LIMIT_EXEMPT-127.0.0.1/32}" RATE_LIMIT_RPS="${RATE_LIMIT_RPS:-50}"
export RATE_LIMIT_BURST="${RATE_LIMIT_BURST:-20}"
SECONDS_PER_SCENARIO="${FAULTS_SECONDS:-30}"
THREADS="${FAULTS_THREADS:-12}"
# The faults measured are NGINX's and the nodes' (no keys in the driver): nodes without API keys unless asked.
export AUTH_REQUIRED="${AUTH_REQUIRED:-false}"
# shellcheck source=cluster-lib.sh
source "$ROOT/nginx/cluster-lib.sh"
log() { printf '\033[1m[faults]\033[0m %s\n' "$*" >&2; }

DRIVER="$ROOT/nginx/faults.py"
DB_NAME="reviews_faults_$$"
TARGET="$LISTEN"
LOAD_PID=""
FAILED=()

command -v psql >/dev/null || die "psql is required (apt-get install postgresql-client)"
command -v python3 >/dev/null || die "python3 is required"
command -v curl >/dev/null || die "curl is required"
require_database_url

# The run's database, for psql on the DATABASE_URL server (PG* variables: main's export_libpq_env).
DB_CONNINFO="dbname=$DB_NAME"

cleanup() {
  trap - EXIT INT TERM
  [[ -n "$LOAD_PID" ]] && kill "$LOAD_PID" 2>/dev/null || true
  local pid
  for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; done
  stop_all
  if [[ "${FAULTS_KEEP:-0}" != 1 ]]; then
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 \
      || log "could not drop the database $DB_NAME"
  fi
}

# POST /reviews served by node $1 since it started (Jetty's counter on its admin port; empty when it does not answer).
posts_of() {
  curl -fs --max-time 2 "http://127.0.0.1:$((NODE_ADMIN_BASE_PORT + $1))/metrics" | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["timers"]["io.dropwizard.jetty.MutableServletContextHandler.post-requests"]["count"])' \
    2>/dev/null || true
}

# The index of the node serving POST /reviews now (NGINX routes them by path, so one node takes them all): the one
# whose count grows most over a second (tried for up to 20 s).
write_node() {
  local i n best=0 most=0 tries counts before=()
  for ((tries = 0; tries < 20 && most == 0; tries++)); do
    for ((i = 0; i < CLUSTER_NODES; i++)); do before[$i]="$(posts_of "$i")"; done
    sleep 1
    counts=""
    for ((i = 0; i < CLUSTER_NODES; i++)); do
      n="$(posts_of "$i")"
      if [[ -n "$n" && -n "${before[$i]}" ]]; then
        n=$((n - before[i]))
        if ((n > most)); then most=$n; best=$i; fi
      else
        n="no answer"
      fi
      counts+=" node $((i + 1)): $n"
    done
  done
  log "   POSTs served in the last second:$counts"
  echo "$best"
}

start_load() {  # tag
  python3 "$DRIVER" load --target "$TARGET" --seconds "$SECONDS_PER_SCENARIO" --threads "$THREADS" --tag "$1" \
    --out "$CLUSTER_DIR/records-$1.csv" &
  LOAD_PID=$!
}

finish_load() {  # scenario name, extra check flags...
  wait "$LOAD_PID" || die "the load driver failed"
  LOAD_PID=""
  local name="$1"; shift
  local records=()
  for f in "$CLUSTER_DIR"/records-kill.csv "$CLUSTER_DIR"/records-drain.csv; do
    [[ -f "$f" ]] && records+=(--records "$f")
    [[ "$f" == "$CLUSTER_DIR/records-$name.csv" ]] && break
  done
  python3 "$DRIVER" check --psql "$DB_CONNINFO" --scenario "$name" "${records[@]}" "$@" || FAILED+=("$name")
}

probe() {  # expected status, method, path, [extra args]
  python3 "$DRIVER" probe --target "$TARGET" --expect "$1" --method "$2" --path "$3" "${@:4}" || FAILED+=("$2 $3 -> $1")
}

main() {
  require_java
  ensure_nginx
  build_api_if_needed
  export_libpq_env
  port_busy "$LISTEN" && die "$LISTEN is already in use (another fault run?)"
  rm -rf "$CLUSTER_DIR"
  mkdir -p "$CLUSTER_DIR"
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  log "fresh database $DB_NAME"
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB_NAME" >/dev/null
  export DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB_NAME" DATABASE_USER="$PGUSER"
  "$JAVA" -jar "$API_JAR" migrate "$API_CONFIG" >"$CLUSTER_DIR/migrate.log" 2>&1 \
    || { cat "$CLUSTER_DIR/migrate.log" >&2; die "migration failed"; }
  # 200 products with 2 characteristics each (ids 2p-1 and 2p), 10 reviews each; the votes go to reviews 1-400.
  psql -X -q -v ON_ERROR_STOP=1 "$DB_CONNINFO" >/dev/null <<'SQL'
INSERT INTO characteristics (product_id, name)
SELECT p, n FROM generate_series(1, 200) p, unnest(ARRAY['Fit', 'Quality']) WITH ORDINALITY AS c(n, o) ORDER BY p, o;
INSERT INTO reviews (product_id, rating, created_at, summary, body, recommend, reviewer_name, reviewer_email)
SELECT 1 + (i - 1) / 10, 1 + i % 5, now() - i * interval '1 hour', 'seed ' || i,
       'A seeded review for the fault-injection run, long enough to be a valid review body.', i % 3 > 0,
       'seed' || i, 'seed' || i || '@example.com'
  FROM generate_series(1, 2000) i ORDER BY i;
INSERT INTO characteristic_reviews (characteristic_id, review_id, value)
SELECT c.id, r.id, 1 + (r.id + c.id) % 5 FROM reviews r JOIN characteristics c USING (product_id);
SELECT rebuild_review_stats();
SQL

  local i victim pid
  for ((i = 0; i < CLUSTER_NODES; i++)); do start_node "$i"; done
  for ((i = 0; i < CLUSTER_NODES; i++)); do wait_node "$i"; done
  start_nginx
  log "3 nodes behind NGINX on http://$LISTEN; $SECONDS_PER_SCENARIO s of load per scenario, $THREADS threads"
  log "warm-up: ${FAULTS_WARMUP:-5} s of reads and POSTs (no votes), not counted"
  python3 "$DRIVER" load --target "$TARGET" --seconds "${FAULTS_WARMUP:-5}" --threads "$THREADS" --tag warmup \
    --mix 60,30,10,0 --out "$CLUSTER_DIR/records-warmup.csv"

  log "a) kill: SIGKILL the node serving the writes under load, then restart it"
  start_load kill
  sleep $((SECONDS_PER_SCENARIO / 4))
  victim="$(write_node)"
  log "   kill -KILL node $((victim + 1)) (pid ${PIDS[$victim]})"
  kill -KILL "${PIDS[$victim]}"; wait "${PIDS[$victim]}" 2>/dev/null || true
  sleep 3
  start_node "$victim"; wait_node "$victim"
  log "   node $((victim + 1)) is back"
  finish_load kill

  log "b) drain: SIGTERM the node serving the writes under load, then restart it"
  start_load drain
  sleep $((SECONDS_PER_SCENARIO / 4))
  victim="$(write_node)"
  pid="${PIDS[$victim]}"
  log "   kill -TERM node $((victim + 1)) (pid $pid)"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  log "   node $((victim + 1)) exited; restarting it"
  start_node "$victim"; wait_node "$victim"
  log "   node $((victim + 1)) is back"
  finish_load drain --zero-errors

  log "c) rate: reads from 127.0.0.2 beyond $RATE_LIMIT_RPS r/s (burst $RATE_LIMIT_BURST)"
  python3 "$DRIVER" rate --target "$TARGET" --source 127.0.0.2 --seconds 5 --threads 4 \
    --out "$CLUSTER_DIR/records-rate.csv" || FAILED+=(rate)
  local limited_local
  limited_local="$(cat "$CLUSTER_DIR"/records-kill.csv "$CLUSTER_DIR"/records-drain.csv | grep -c ',429,' || true)"
  echo "  429s seen by the exempt 127.0.0.1 during a) and b): $limited_local"
  ((limited_local == 0)) || FAILED+=("429 for an exempt address")

  log "d) NGINX's own errors"
  probe 413 POST /reviews --body-bytes 70000
  log "   every node hung (SIGSTOP): a read waits proxy_read_timeout (10 s), then 504"
  for pid in "${PIDS[@]}"; do kill -STOP "$pid"; done
  probe 504 GET "/reviews/meta?product_id=7"
  for pid in "${PIDS[@]}"; do kill -CONT "$pid"; done
  log "   every node draining (SIGTERM): their own 503 passes through"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid"; done
  sleep 1
  probe 503 GET "/reviews/meta?product_id=8"
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
  probe 502 GET "/reviews/meta?product_id=9"

  if ((${#FAILED[@]})); then
    log "goals missed: ${FAILED[*]} (logs and records in $CLUSTER_DIR)"
    exit 1
  fi
  log "all goals met (logs and records in $CLUSTER_DIR)"
}

main "$@"
