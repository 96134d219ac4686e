# The launcher's functions, shared by ./reviews and the scripts it runs (nginx/, jmeter/, batch-etl/bench/): source it,
# never run it. It defines functions and paths only, besides one effect its callers rely on: the working directory
# becomes the repository's root (the builds and the staleness check use paths relative to it).
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

API_JAR="$ROOT/api-server/target/api-server.jar"
ETL_JAR="$ROOT/batch-etl/target/batch-etl.jar"
# The demo's embedded PostgreSQL: test and demo support, outside the service's jars.
EMBEDDED_DB_JAR="$ROOT/database-testing/target/database-testing.jar"
API_CONFIG="${API_CONFIG:-$ROOT/api-server/config.yml}"
DEMO_DIR="${DEMO_DIR:-$ROOT/.demo}"
DEMO_DB_PORT="${DEMO_DB_PORT:-54329}"
DEMO_PRODUCTS="${DEMO_PRODUCTS:-10000}"
JAVA="${JAVA:-java}"
# G1 with a 10 ms pause goal: cached listings churn through the old generation on miss-heavy traffic, which under
# ParallelGC meant a 170-300 ms full GC every ~10 s; G1 trades ~3 % of hot-hit throughput for pauses under ~30 ms
# (docs/PERFORMANCE.md "Reads (2026-12-06)").
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=10}"
ETL_JAVA_OPTS="${ETL_JAVA_OPTS:--Xmx512m}"

log() { printf '\033[1m[reviews]\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

require_java() {
  command -v "$JAVA" >/dev/null || die "Java 17+ is required (apt-get install openjdk-17-jdk-headless)"
}

require_database_url() {
  [[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL is not set (e.g. jdbc:postgresql://127.0.0.1:5432/reviews; DATABASE_USER, DATABASE_PASSWORD)"
}

# Packages everything (tests skipped); extra arguments go to Maven (e.g. -pl api-server -am).
build() {
  command -v mvn >/dev/null || die "Maven is required to build (apt-get install maven)"
  log "building (mvn -B -q -DskipTests package $*)..."
  mvn -B -q -DskipTests package "$@"
}

# True when jar $1 is missing or older than a source, pom or the contract: the one staleness check.
jar_is_stale() {
  [[ ! -f "$1" ]] || [[ -n "$(find openapi.yaml pom.xml */pom.xml */src/main -newer "$1" -print -quit 2>/dev/null)" ]]
}

# Builds when a jar the launcher runs is stale.
build_if_needed() {
  local jar
  for jar in "$API_JAR" "$ETL_JAR" "$EMBEDDED_DB_JAR"; do
    if jar_is_stale "$jar"; then
      build
      return
    fi
  done
}

# Exports PGHOST, PGPORT, PGDATABASE, PGUSER (and PGPASSWORD) for DATABASE_URL, read by the service's own parser
# (database ConnectionSettings), for psql and pgbench; another database on that server is `psql -d NAME`.
export_libpq_env() {
  require_database_url
  local exports
  exports="$("$JAVA" -cp "$ROOT/api-server/target/lib/*:$ROOT/batch-etl/target/lib/*" \
    com.atelier.reviews.db.ConnectionSettings)" || die "cannot read DATABASE_URL (build first: ./reviews build)"
  eval "$exports"
}

etl() {
  require_java
  [[ -f "$ETL_JAR" ]] || build
  # shellcheck disable=SC2086
  "$JAVA" $ETL_JAVA_OPTS -jar "$ETL_JAR" etl "$@"
}

generate() {
  require_java
  [[ -f "$ETL_JAR" ]] || build
  # shellcheck disable=SC2086
  "$JAVA" $ETL_JAVA_OPTS -jar "$ETL_JAR" generate "$@"
}

# Generates (once) and loads the demo dataset into DATABASE_URL.
load_demo_data() {
  local data="$DEMO_DIR/data-$DEMO_PRODUCTS"
  if [[ ! -f "$data/reviews.csv" ]]; then
    log "generating a demo dataset of $DEMO_PRODUCTS products in $data"
    generate --products "$DEMO_PRODUCTS" --out "$data"
  fi
  log "loading $data (a no-op when it is already loaded)"
  etl "$data"
}

# Starts the embedded PostgreSQL of the demo (data kept in $DEMO_DIR/pg) and exports DATABASE_URL.
start_embedded_database() {
  mkdir -p "$DEMO_DIR"
  local out="$DEMO_DIR/postgres.out"
  [[ -f "$EMBEDDED_DB_JAR" ]] || build
  if [[ "${REPLICAS:-0}" == 0 ]]; then
    log "DATABASE_URL is not set: starting an embedded PostgreSQL on port $DEMO_DB_PORT (data in $DEMO_DIR/pg)"
    "$JAVA" -Xmx128m -cp "$EMBEDDED_DB_JAR:$ROOT/database-testing/target/lib/*" com.atelier.reviews.db.EmbeddedDatabase \
        "$DEMO_DIR/pg" "$DEMO_DB_PORT" reviews >"$out" 2>&1 &
  else
    [[ "$REPLICAS" == 1 ]] || die "REPLICAS=$REPLICAS: the embedded PostgreSQL starts at most one standby"
    # Their own directories: the primary keeps synchronous_standby_names, which would stall a standby-less demo.
    log "DATABASE_URL is not set: starting an embedded primary on port $DEMO_DB_PORT (data in $DEMO_DIR/replicated)" \
        "and a synchronous hot standby made from it on port $((DEMO_DB_PORT + 1))"
    "$JAVA" -Xmx128m -cp "$EMBEDDED_DB_JAR:$ROOT/database-testing/target/lib/*" com.atelier.reviews.db.ReplicatedDatabase \
        "$DEMO_DIR/replicated/primary" "$DEMO_DB_PORT" "$DEMO_DIR/replicated/standby" "$((DEMO_DB_PORT + 1))" reviews \
        >"$out" 2>&1 &
  fi
  EMBEDDED_PID=$!
  trap stop_embedded_database EXIT
  trap 'exit 130' INT   # a signal with no trap would end the shell without its EXIT trap
  trap 'exit 143' TERM
  local i
  for i in $(seq 1 120); do
    if grep -q '^DATABASE_URL=' "$out"; then
      export DATABASE_URL="$(grep '^DATABASE_URL=' "$out" | head -1 | cut -d= -f2-)"
      if grep -q '^DATABASE_READ_URL=' "$out"; then
        export DATABASE_READ_URL="$(grep '^DATABASE_READ_URL=' "$out" | head -1 | cut -d= -f2-)"
      fi
      export DATABASE_USER=postgres DATABASE_PASSWORD=
      return
    fi
    kill -0 "$EMBEDDED_PID" 2>/dev/null || { cat "$out" >&2; die "the embedded PostgreSQL did not start"; }
    sleep 0.5
  done
  die "the embedded PostgreSQL did not start within 60 s (see $out)"
}

# Trap handlers: every step is `|| true`, because under `set -e` a failing command inside a trap ends the trap (a
# killed server's `wait` returns 143), which would leave the embedded PostgreSQL running after `kill -TERM`.
stop_embedded_database() {
  if [[ -n "${EMBEDDED_PID:-}" ]]; then
    kill "$EMBEDDED_PID" 2>/dev/null || true   # SIGTERM: its shutdown hook stops PostgreSQL
    wait "$EMBEDDED_PID" 2>/dev/null || true
  fi
}
