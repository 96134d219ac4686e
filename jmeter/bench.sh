#!/usr/bin/env bash
# `./reviews bench [list|meta|mixed] [all|tail] [-Dname=value ...]`: runs a JMeter plan (jmeter/pom.xml, JMeter 5.6.3
# from Maven Central) against a running cluster (./reviews cluster) or node, then prints rps, p50/p95/p99 and the
# error rate per endpoint. The HTML dashboard lands in jmeter/target/jmeter/reports/.
#   all  = products drawn uniformly from 1..PRODUCT_MAX;  tail = from the last 10 % of that range.
# Environment: TARGET (host:port, default 127.0.0.1:8080), THREADS (32), DURATION (s, 30), PRODUCT_MAX (1000011),
# REVIEW_MAX (5770000), GZIP=1 to send Accept-Encoding: gzip, WARMUP (s, 60; 0 = none: a run of the plan first,
# not measured).
set -euo pipefail

# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

plan="${1:-mixed}"; shift || true
range="all"
if [[ "${1:-}" == "all" || "${1:-}" == "tail" ]]; then range="$1"; shift; fi
case "$plan" in
  list) pcts=(100 0 0) ;;
  meta) pcts=(0 100 0) ;;
  mixed) pcts=(70 25 5) ;;
  *) die "unknown plan '$plan' (list, meta or mixed)" ;;
esac
TARGET="${TARGET:-127.0.0.1:8080}"
host="${TARGET%:*}"; port="${TARGET##*:}"
case "$host" in 127.*|localhost) ;; *) die "the plans only target loopback (TARGET=$TARGET)" ;; esac
PRODUCT_MAX="${PRODUCT_MAX:-1000011}"
product_min=1
[[ "$range" == "tail" ]] && product_min=$((PRODUCT_MAX - PRODUCT_MAX / 10))

# API_KEY: a key with the read and write scopes, for nodes that require keys (./reviews serve and cluster do).
auth_header=()
[[ -n "${API_KEY:-}" ]] && auth_header=(-H "Authorization: Bearer $API_KEY")
curl -fs -o /dev/null --max-time 3 "${auth_header[@]}" "http://$TARGET/reviews/meta?product_id=1" \
  || die "nothing answers on http://$TARGET (start ./reviews cluster first, or set TARGET)"
command -v mvn >/dev/null || die "Maven is required (apt-get install maven)"

run_plan() {
  rm -rf "$ROOT/jmeter/target/jmeter/reports" "$ROOT/jmeter/target/jmeter/results"
  mvn -B -q -f "$ROOT/jmeter/pom.xml" verify \
    -Dplan="$plan" -Dhost="$host" -Dport="$port" -Dthreads="${THREADS:-32}" -Dduration="$1" \
    -Dproduct_min="$product_min" -Dproduct_max="$PRODUCT_MAX" -Dreview_max="${REVIEW_MAX:-5770000}" \
    -Dlist_pct="${pcts[0]}" -Dmeta_pct="${pcts[1]}" -Dwrite_pct="${pcts[2]}" \
    -Daccept_encoding="$([[ "${GZIP:-0}" == 1 ]] && echo gzip || echo identity)" \
    -Dauthorization="${API_KEY:+Bearer $API_KEY}" "${extra[@]}" >&2
}
extra=("$@")
# A JVM that just started runs its first minutes interpreted and compiling (three nodes on two cores warm up
# slowly): the warm-up run's figures are thrown away so that the measured run shows the steady state.
if [[ "${WARMUP:-60}" -gt 0 ]]; then
  log "warm-up: plan '$plan' for ${WARMUP:-60} s (not measured)"
  run_plan "${WARMUP:-60}"
fi
log "JMeter plan '$plan' over products $product_min..$PRODUCT_MAX against http://$TARGET: ${THREADS:-32} threads, ${DURATION:-30} s"
run_plan "${DURATION:-30}"

results="$ROOT/jmeter/target/jmeter/results/reviews.csv"
[[ -f "$results" ]] || die "no results at $results"
run="$ROOT/jmeter/target/runs/$(date +%Y%m%d-%H%M%S)-$plan-$range"
mkdir -p "$run"
cp -r "$ROOT/jmeter/target/jmeter/reports/reviews" "$run/dashboard"
cp "$results" "$run/"
python3 "$ROOT/jmeter/summarize.py" "$results" "$plan" "$range" | tee "$run/summary.txt"
log "dashboard: $run/dashboard/index.html"
