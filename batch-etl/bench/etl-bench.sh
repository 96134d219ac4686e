#!/usr/bin/env bash
# ./reviews bench etl — the full-scale ETL benchmark, beside the physical limit of this machine.
#
#   1. generates the full-scale dataset once (seeded, clean so that plain \copy accepts it) into $ETL_BENCH_DATA;
#   2. baseline: plain psql \copy of each file into bare tables (same column types, no key, no index) in a fresh
#      database, one file after the other;
#   3. the ETL (java -Xmx512m -jar batch-etl.jar etl DIR) into another fresh database with the real schema:
#      validation, rejects, keys, indexes, foreign keys, aggregates and all;
#   4. prints rows/s per file for both, the totals and their ratio, and the ETL's peak heap; drops both databases.
#
# Needs psql and DATABASE_URL (+ DATABASE_USER, DATABASE_PASSWORD): a server where this user may create databases.
# ETL_BENCH_PRODUCTS=N benchmarks a smaller dataset; ETL_BENCH_KEEP=1 keeps the two databases.
set -euo pipefail

# shellcheck source=../../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
JAR="$ETL_JAR"
PRODUCTS="${ETL_BENCH_PRODUCTS:-full}"
DATA="${ETL_BENCH_DATA:-$ROOT/batch-etl/target/bench/data-$PRODUCTS}"
WORK="$ROOT/batch-etl/target/bench"
COPY_DB=etl_bench_copy
ETL_DB=etl_bench_etl

log() { printf '\033[1m[etl-bench]\033[0m %s\n' "$*" >&2; }

command -v psql >/dev/null || die "psql is required (apt-get install postgresql-client)"
[[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL is not set (a server where ${DATABASE_USER:-$USER} may create databases)"
mkdir -p "$WORK"

fresh_database() {
  psql -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
}
cleanup() {
  if [[ "${ETL_BENCH_KEEP:-0}" != 1 ]]; then
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $COPY_DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $ETL_DB WITH (FORCE)" \
      >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[[ -f "$JAR" ]] || build -pl batch-etl -am
# psql reaches the DATABASE_URL server through PG* variables, read by the service's own parser.
export_libpq_env

if [[ ! -f "$DATA/generated.properties" ]]; then
  if [[ "$PRODUCTS" == full ]]; then size=(--scale full); else size=(--products "$PRODUCTS"); fi
  log "generating the dataset (${size[*]}, no dirty rows) in $DATA"
  "$JAVA" -Xmx512m -jar "$JAR" generate "${size[@]}" --out "$DATA" --dirty-percent 0
fi
FILES=(characteristics reviews reviews_photos characteristic_reviews)
declare -A ROWS COPY_S
for f in "${FILES[@]}"; do
  ROWS[$f]="$(grep "^$f.good=" "$DATA/generated.properties" | cut -d= -f2)"
done
du -ch "$DATA"/*.csv | tail -1 | awk '{ print "[etl-bench] dataset: " $1 " of CSV" }' >&2

log "baseline: psql \\copy into bare tables"
fresh_database "$COPY_DB"
COPY_URL="dbname=$COPY_DB"
psql -q -v ON_ERROR_STOP=1 "$COPY_URL" <<'SQL'
CREATE TABLE characteristics (id integer, product_id integer, name text);
CREATE TABLE reviews (id integer, product_id integer, rating smallint, date bigint, summary text, body text,
  recommend boolean, reported boolean, reviewer_name text, reviewer_email text, response text, helpfulness integer);
CREATE TABLE reviews_photos (id integer, review_id integer, url text);
CREATE TABLE characteristic_reviews (id integer, characteristic_id integer, review_id integer, value smallint);
SQL
copy_total=0
for f in "${FILES[@]}"; do
  psql -q "$COPY_URL" -c "CHECKPOINT" >/dev/null
  t0="$(now)"
  psql -q -v ON_ERROR_STOP=1 "$COPY_URL" -c "\\copy $f FROM '$DATA/$f.csv' WITH (FORMAT csv, HEADER true, NULL 'null')" >/dev/null
  t1="$(now)"
  COPY_S[$f]="$(seconds "$t0" "$t1")"
  copy_total="$(awk -v a="$copy_total" -v b="${COPY_S[$f]}" 'BEGIN { print a + b }')"
  log "  $f.csv: ${COPY_S[$f]} s"
done
psql -q -d postgres -c "DROP DATABASE IF EXISTS $COPY_DB WITH (FORCE)" >/dev/null

log "the ETL: $JAVA $ETL_JAVA_OPTS -jar batch-etl.jar etl $DATA"
fresh_database "$ETL_DB"
psql -q -d postgres -c "CHECKPOINT" >/dev/null
ETL_LOG="$WORK/etl-$PRODUCTS.log"
t0="$(now)"
TIME=()
[[ -x /usr/bin/time ]] && TIME=(/usr/bin/time -f '%M' -o "$WORK/etl-rss.txt")
# shellcheck disable=SC2086
DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$ETL_DB" DATABASE_USER="$PGUSER" "${TIME[@]}" "$JAVA" $ETL_JAVA_OPTS -jar "$JAR" etl "$DATA" 2>&1 | tee "$ETL_LOG"
status="${PIPESTATUS[0]}"
t1="$(now)"
etl_total="$(seconds "$t0" "$t1")"
[[ "$status" == 0 ]] || die "the ETL failed (exit $status), see $ETL_LOG"
grep -q 'COMPLETED' "$ETL_LOG" || die "the ETL did not complete, see $ETL_LOG"

echo
echo "ETL benchmark: $(grep '^products=' "$DATA/generated.properties" | cut -d= -f2) products, $(nproc) cores, $(psql -Atq -d postgres -c 'SHOW server_version')"
printf '%-27s %12s %10s %12s %10s %12s\n' file rows '\copy s' '\copy rows/s' 'ETL s' 'ETL rows/s'
for f in "${FILES[@]}"; do
  line="$(grep -E "^$f\.csv " "$ETL_LOG" | tail -1)"
  etl_s="$(awk '{ print $(NF-2) }' <<<"$line")"
  awk -v f="$f.csv" -v rows="${ROWS[$f]}" -v cs="${COPY_S[$f]}" -v es="$etl_s" 'BEGIN {
    printf "%-27s %12d %10.1f %12.0f %10.1f %12.0f\n", f, rows, cs, rows / cs, es, rows / es }'
done
total_rows=0; for f in "${FILES[@]}"; do total_rows=$((total_rows + ROWS[$f])); done
awk -v rows="$total_rows" -v cs="$copy_total" -v es="$etl_total" 'BEGIN {
  printf "%-27s %12d %10.1f %12.0f %10.1f %12.0f\n", "total (wall)", rows, cs, rows / cs, es, rows / es
  printf "\nETL total %.1f s (migrations, load, keys/indexes/foreign keys, aggregates) = %.2f x the plain \\copy time %.1f s\n", es, es / cs, cs }'
grep -E '^(restore-constraints|refresh-aggregates|publish) ' "$ETL_LOG" | sed 's/^/  /'
grep -E '^peak heap' "$ETL_LOG" | sed 's/^/ETL /'
[[ -s "$WORK/etl-rss.txt" ]] && echo "ETL max resident set size: $(( $(tail -1 "$WORK/etl-rss.txt") / 1024 )) MiB"
