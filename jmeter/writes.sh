#!/usr/bin/env bash
# `./reviews bench writes`: the write path beside its ceiling, in one run on one database (DATABASE_URL, loaded).
#   1. the ceiling: pgbench running the vote's bare UPDATE, then our exact vote statement (UPDATE + change-log row),
#      then a POST's statements in one transaction, 16 clients each;
#   2. one API node (started here on PORT, default 8095): votes and POSTs under wrk, 16 connections;
#   3. unless CLUSTER=0: the JMeter mixed plan through `./reviews cluster`, read-only and then with 5 % writes.
# Prints rps, p50/p99 and each figure's ratio to its ceiling. Environment: SECONDS_EACH (20), CONNECTIONS (16).
# It writes to the database (votes and reviews): use a benchmark copy, never production.
set -euo pipefail
# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

require_database_url
secs="${SECONDS_EACH:-20}"; conns="${CONNECTIONS:-16}"; port="${PORT:-8095}"; admin_port=$((port + 1))
for tool in pgbench psql wrk; do command -v "$tool" >/dev/null || die "$tool is required (apt-get install postgresql-client wrk)"; done
if jar_is_stale "$API_JAR"; then build; fi
export_libpq_env
work="$(mktemp -d)"; trap 'kill ${NODE_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT
"$JAVA" -jar "$API_JAR" migrate "$API_CONFIG" >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; die "migration failed"; }
review_max="$(psql -qtAX -c 'SELECT max(id) FROM reviews')"
product_max="$(psql -qtAX -c 'SELECT max(product_id) FROM reviews')"
[[ "$review_max" -gt 0 ]] || die "the database at $DATABASE_URL holds no reviews: load a dataset first"

record() { printf '%-44s %9s %9s %9s %s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$work/results"; }

pgb() { # name script
  local out tps p50
  out="$(pgbench -n -r -c "$conns" -j 2 -T "$secs" -D review_max="$review_max" -D product_max="$product_max" \
    -f "$2" 2>&1)" || { echo "$out" >&2; die "pgbench failed"; }
  tps="$(grep -oP 'tps = \K[0-9.]+' <<<"$out" | head -1)"
  p50="$(grep -oP 'latency average = \K[0-9.]+' <<<"$out")"
  record "$1" "${tps%.*}" "avg ${p50}" "-" "(pgbench: the ceiling)"
  echo "${tps%.*}"
}

cat >"$work/vote-bare.sql" <<'SQL'
\set id random(1, :review_max)
UPDATE reviews SET helpfulness = helpfulness + 1 WHERE id = :id;
SQL
cat >"$work/vote.sql" <<'SQL'
\set id random(1, :review_max)
WITH voted AS (UPDATE reviews SET helpfulness = helpfulness + 1 WHERE id = :id RETURNING product_id)
INSERT INTO cache_changes (product_id) SELECT product_id FROM voted RETURNING product_id;
SQL
cat >"$work/post.sql" <<'SQL'
\set p random(1, :product_max)
\set r random(1, 5)
BEGIN;
SELECT id FROM characteristics WHERE product_id = :p;
INSERT INTO reviews (product_id, rating, created_at, summary, body, recommend, reviewer_name, reviewer_email)
VALUES (:p, :r, now(), 'Load test', 'Written by pgbench with the statements of a POST.', true, 'bench', 'b@example.com')
RETURNING id \gset
INSERT INTO reviews_photos (review_id, url) VALUES (:id, 'https://example.com/bench.jpg');
INSERT INTO product_review_stats AS s (product_id, rating_5, recommended_true) VALUES (:p, 1, 1)
ON CONFLICT (product_id) DO UPDATE SET rating_5 = s.rating_5 + 1, recommended_true = s.recommended_true + 1;
INSERT INTO cache_changes (product_id) VALUES (:p);
COMMIT;
SQL

log "1/3 ceilings: pgbench, $conns clients, $secs s each"
ceiling_vote="$(pgb "pgbench: vote UPDATE (the ceiling)" "$work/vote-bare.sql")"
pgb "pgbench: vote UPDATE + change-log row" "$work/vote.sql" >/dev/null
ceiling_post="$(pgb "pgbench: a POST's statements, one transaction" "$work/post.sql")"

log "2/3 one node on :$port"
PORT="$port" ADMIN_PORT="$admin_port" MIGRATE_ON_START=true "$JAVA" $SERVER_JAVA_OPTS -jar "$API_JAR" server "$API_CONFIG" \
  >"$work/node.log" 2>&1 &
NODE_PID=$!
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$port/health-check" && break; sleep 0.5; done
curl -fs -o /dev/null "http://127.0.0.1:$port/health-check" || { tail -20 "$work/node.log" >&2; die "the node did not start"; }
wrkrun() { # name script seconds ceiling
  local out rps p50 p99 errs
  out="$(REVIEW_MAX="$review_max" PRODUCT_MAX="$product_max" wrk -t2 -c"$conns" -d"$3s" --latency \
    -s "$ROOT/jmeter/wrk/$2" "http://127.0.0.1:$port")"
  rps="$(grep -oP 'Requests/sec:\s+\K[0-9.]+' <<<"$out")"
  p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"; p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  errs="$(grep -oP 'Non-2xx or 3xx responses: \K[0-9]+' <<<"$out" || echo 0)"
  [[ -z "$1" ]] && return
  record "$1" "${rps%.*}" "$p50" "$p99" "$(awk -v a="$rps" -v b="$4" 'BEGIN { printf "ratio %.2f", a / b }'), non-2xx $errs"
}
wrkrun "" vote.lua 10 1          # warm-up, not recorded
wrkrun "" post-review.lua 10 1
wrkrun "node: PUT /reviews/{id}/helpful" vote.lua "$secs" "$ceiling_vote"
wrkrun "node: POST /reviews" post-review.lua "$secs" "$ceiling_post"
kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=""

if [[ "${CLUSTER:-1}" != 0 ]]; then
  log "3/3 the mixed plan through ./reviews cluster"
  AUTH_REQUIRED="${AUTH_REQUIRED:-false}" "$ROOT/nginx/cluster.sh" >"$work/cluster.log" 2>&1 &  # the plan sends API_KEY if set
  CLUSTER_PID=$!
  trap 'kill ${CLUSTER_PID:-} 2>/dev/null; wait ${CLUSTER_PID:-} 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 1 180); do grep -q 'ready' "$work/cluster.log" 2>/dev/null && break; sleep 1; done
  summary() { WARMUP="${WARMUP:-30}" DURATION="${DURATION:-30}" REVIEW_MAX="$review_max" \
    "$ROOT/jmeter/bench.sh" mixed all "$@" 2>/dev/null | tail -n +1; }
  log "read-only"
  summary -Dlist_pct=74 -Dmeta_pct=26 -Dwrite_pct=0 | tee "$work/reads.txt" >&2
  log "with 5 % writes"
  summary | tee "$work/mixed.txt" >&2
  kill "$CLUSTER_PID"; wait "$CLUSTER_PID" 2>/dev/null || true
fi

printf '\n%-44s %9s %9s %9s %s\n' "what" "rps/tps" "p50" "p99" "ratio to its ceiling"
cat "$work/results"
