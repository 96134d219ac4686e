#!/usr/bin/env bash
# `./reviews bench cpu PORT [meta|list] [SECONDS]`: drives one API node on 127.0.0.1:PORT with wrk (random products,
# PRODUCT_MAX) and prints its throughput and the CPU the node's JVM spent per request. CPU per request barely moves
# when other processes compete for the cores, so it compares two builds on a busy machine where rps cannot: start
# each build on its own port and alternate runs. It counts the JVM only (PostgreSQL's share is not included).
set -euo pipefail
# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

port="${1:?usage: ./reviews bench cpu PORT [meta|list] [SECONDS]}"; kind="${2:-meta}"; secs="${3:-10}"
[[ "$kind" == meta || "$kind" == list ]] || die "unknown kind '$kind' (meta or list)"
if ! command -v wrk >/dev/null; then
  log "wrk is missing: installing it from the Debian packages"
  sudo=""; [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get install -y -q wrk >/dev/null 2>&1 || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q wrk >/dev/null; }
fi
pid="$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
[[ -n "$pid" ]] || die "nothing listens on 127.0.0.1:$port"
jiffies() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
c0="$(jiffies)"
out="$(WRK_PATH="$kind" wrk -t1 -c"${CONNECTIONS:-16}" -d"${secs}s" --latency -s "$ROOT/jmeter/wrk/random-product.lua" \
  "http://127.0.0.1:$port")"
c1="$(jiffies)"
requests="$(grep -o '[0-9]* requests in' <<<"$out" | cut -d' ' -f1)"
non2xx="$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" | grep -o '[0-9]*$' || echo 0)"
p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"; p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
awk -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v r="$requests" -v s="$secs" -v k="$kind" -v p="$port" \
    -v e="$non2xx" -v p50="$p50" -v p99="$p99" 'BEGIN {
  printf "%s on :%s  %d requests  %.0f rps  p50 %s  p99 %s  non-2xx %d  JVM CPU %.3f ms/request\n",
         k, p, r, r / s, p50, p99, e, 1000 * c / hz / r }'
