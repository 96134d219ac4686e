#!/usr/bin/env bash
# `./reviews bench reads`: the read path beside its ceiling, in one run on one database (DATABASE_URL, loaded).
#   1. the ceiling: NGINX serving the very bytes a node answers for a hot product's meta and list;
#   2. one API node (started here on PORT, default 8095, with its warm-up as `serve` starts it: WARMUP_REQUESTS,
#      default 20000, then until its JIT has caught up): hot meta and list (HOT products, all cache hits after the
#      bench's own warm-up of them), then tail meta and list (the last 100,000 products: mostly misses) and list over
#      all products (nearly all misses);
#   3. unless CLUSTER=0: the proxy's own cost, the cluster's NGINX config (nginx/render-conf.py) in front of the NGINX
#      of step 1 with the same bytes; then the same hot and tail lists through `./reviews cluster` (NGINX +
#      CLUSTER_NODES nodes, default 3), warmed first.
# wrk -t2 -c64 for SECONDS_EACH (15) each. Prints rps, p50/p99 and each figure's ratio to the ceiling; a miss row also
# its multiple of issue 12's one-SQL-per-request baseline, carried over from that box as a share of its NGINX ceiling.
set -euo pipefail
# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

require_database_url
secs="${SECONDS_EACH:-15}"; conns="${CONNECTIONS:-64}"; port="${PORT:-8095}"; static_port=$((port + 2))
hot="${HOT:-1000}"
for tool in psql wrk curl; do command -v "$tool" >/dev/null || die "$tool is required (apt-get install postgresql-client wrk curl)"; done
command -v nginx >/dev/null || PATH="$PATH:/usr/sbin"
command -v nginx >/dev/null || die "nginx is required (apt-get install nginx-light)"
if jar_is_stale "$API_JAR"; then build; fi
export_libpq_env
product_max="$(psql -qtAX -c 'SELECT max(product_id) FROM reviews')"
[[ "${product_max:-0}" -gt 0 ]] || die "the database at $DATABASE_URL holds no reviews: load a dataset first"
tail_min=$((product_max - 100000))
work="$(mktemp -d)"
cleanup() { kill ${NODE_PID:-} ${NGINX_PID:-} ${PROXY_PID:-} ${CLUSTER_PID:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Issue 12's baseline (a Node service, one SQL per request), each as a share of NGINX serving the same bytes on the box
# where it was measured: meta tail 733 of 81,016 rps, list tail 1,212 of 70,745, list over all products 1,049 of 70,745.
BASELINE_META_TAIL=$(awk 'BEGIN { print 733 / 81016 }')
BASELINE_LIST_TAIL=$(awk 'BEGIN { print 1212 / 70745 }')
BASELINE_LIST_ALL=$(awk 'BEGIN { print 1049 / 70745 }')

record() { printf '%-40s %9s %9s %9s %s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$work/results"; }
wrkrun() { # name target kind min max [ceiling [baseline share of the ceiling]]
  local out rps p50 p99 errs ratio=""
  out="$(WRK_PATH="$3" PRODUCT_MIN="$4" PRODUCT_MAX="$5" wrk -t2 -c"$conns" -d"${secs}s" --latency \
    -s "$ROOT/jmeter/wrk/random-product.lua" "http://$2")"
  rps="$(grep -oP 'Requests/sec:\s+\K[0-9.]+' <<<"$out")"
  p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"; p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  errs="$(grep -oP 'Non-2xx or 3xx responses: \K[0-9]+' <<<"$out" || echo 0)"
  [[ -n "${6:-}" ]] && ratio="$(awk -v a="$rps" -v b="$6" 'BEGIN { printf "ratio %.3f, ", a / b }')"
  [[ -n "${7:-}" ]] && ratio+="$(awk -v a="$rps" -v b="$6" -v s="$7" 'BEGIN { printf "%.1fx the one-SQL baseline, ", a / b / s }')"
  [[ -n "$1" ]] && record "$1" "${rps%.*}" "$p50" "$p99" "${ratio}non-2xx $errs"
  echo "${rps%.*}"
}
warm() { # target min max: every product of the range once per endpoint (fills the caches), not recorded
  WRK_PATH=meta PRODUCT_MIN="$2" PRODUCT_MAX="$3" wrk -t2 -c16 -d"${WARMUP:-20}s" -s "$ROOT/jmeter/wrk/random-product.lua" "http://$1" >/dev/null
  WRK_PATH=list PRODUCT_MIN="$2" PRODUCT_MAX="$3" wrk -t2 -c16 -d"${WARMUP:-20}s" -s "$ROOT/jmeter/wrk/random-product.lua" "http://$1" >/dev/null
}

log "1/3 one node on :$port, warming $hot hot products"
started=$SECONDS
PORT="$port" ADMIN_PORT=$((port + 1)) WARMUP_REQUESTS="${WARMUP_REQUESTS:-20000}" \
  "$JAVA" $SERVER_JAVA_OPTS -jar "$API_JAR" server "$API_CONFIG" >"$work/node.log" 2>&1 &
NODE_PID=$!
for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/health-check" && break; sleep 0.5; done
curl -fs -o /dev/null "http://127.0.0.1:$port/health-check" || { tail -20 "$work/node.log" >&2; die "the node did not start"; }
record "node: start to healthy (its warm-up)" "" "" "" "$((SECONDS - started)) s; $(grep -o 'warmed up: [^;]*' "$work/node.log" || echo 'no warm-up')"
warm "127.0.0.1:$port" 1 "$hot"

log "2/3 the ceiling: NGINX serving a hot product's answers on :$static_port"
curl -fs "http://127.0.0.1:$port/reviews/meta?product_id=2" >"$work/meta.json"
curl -fs "http://127.0.0.1:$port/reviews?product_id=2&count=5&sort=relevant" >"$work/list.json"
mkdir -p "$work"/{body,proxy,fastcgi,uwsgi,scgi}
chmod o+rx "$work"; chmod o+r "$work"/*.json # NGINX's workers run as nobody
sed -e "s|@PREFIX@|$work|g" -e "s|@PORT@|$static_port|g" "$ROOT/jmeter/nginx-static.conf" >"$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &
NGINX_PID=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$static_port/reviews/meta" && break; sleep 0.1; done
ceiling_meta="$(wrkrun "NGINX: the same meta bytes (ceiling)" "127.0.0.1:$static_port" meta 1 "$hot")"
ceiling_list="$(wrkrun "NGINX: the same list bytes (ceiling)" "127.0.0.1:$static_port" list 1 "$hot")"
if [[ "${CLUSTER:-1}" != 0 ]]; then
  proxy_port=$((port + 3)); mkdir -p "$work/proxy-nginx"
  CLUSTER_DIR="$work/proxy-nginx" CLUSTER_NODES=1 NODE_BASE_PORT="$static_port" LISTEN="127.0.0.1:$proxy_port" \
    CORS_ALLOWED_ORIGINS='*' python3 "$ROOT/nginx/render-conf.py"
  nginx -c "$work/proxy-nginx/nginx.conf" -p "$work/proxy-nginx" &
  PROXY_PID=$!
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$proxy_port/reviews?product_id=1" && break; sleep 0.1; done
  wrkrun "NGINX proxy -> the same list bytes" "127.0.0.1:$proxy_port" list 1 "$hot" "$ceiling_list" >/dev/null
  kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true; PROXY_PID=""
fi
kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""

log "node: hot and tail"
wrkrun "node: meta, $hot hot products" "127.0.0.1:$port" meta 1 "$hot" "$ceiling_meta" >/dev/null
wrkrun "node: list, $hot hot products" "127.0.0.1:$port" list 1 "$hot" "$ceiling_list" >/dev/null
wrkrun "node: meta, tail (100k, mostly misses)" "127.0.0.1:$port" meta "$tail_min" "$product_max" \
  "$ceiling_meta" "$BASELINE_META_TAIL" >/dev/null
wrkrun "node: list, tail (100k, mostly misses)" "127.0.0.1:$port" list "$tail_min" "$product_max" \
  "$ceiling_list" "$BASELINE_LIST_TAIL" >/dev/null
wrkrun "node: list, all products (misses)" "127.0.0.1:$port" list 1 "$product_max" \
  "$ceiling_list" "$BASELINE_LIST_ALL" >/dev/null
node_list="$(wrkrun "" "127.0.0.1:$port" list 1 "$hot")"
kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=""

if [[ "${CLUSTER:-1}" != 0 ]]; then
  nodes="${CLUSTER_NODES:-3}"
  log "3/3 the cluster (NGINX + $nodes nodes)"
  AUTH_REQUIRED="${AUTH_REQUIRED:-false}" CLUSTER_NODES="$nodes" "$ROOT/nginx/cluster.sh" >"$work/cluster.log" 2>&1 &  # wrk sends API_KEY if set
  CLUSTER_PID=$!
  started=$SECONDS
  for _ in $(seq 1 400); do grep -q "ready: " "$work/cluster.log" && break; sleep 1; done
  grep -q "ready: " "$work/cluster.log" || { tail -20 "$work/cluster.log" >&2; die "the cluster did not become ready"; }
  record "cluster: start to ready (warm-ups)" "" "" "" "$((SECONDS - started)) s"
  warm 127.0.0.1:8080 1 "$hot"
  wrkrun "cluster ($nodes nodes): list, $hot hot" 127.0.0.1:8080 list 1 "$hot" "$node_list" >/dev/null
  wrkrun "cluster ($nodes nodes): list, tail" 127.0.0.1:8080 list "$tail_min" "$product_max" >/dev/null
fi

printf '\n%-40s %9s %9s %9s %s\n' "what" "rps" "p50" "p99" "ratio (node, proxy: to NGINX's same bytes; cluster hot: to one node)"
cat "$work/results"
