#!/usr/bin/env bash
# Checks of ./verigen that need no service jars: JDK discovery, PostgreSQL start/stop bookkeeping
# (with stub pg_* commands, so the machine's real cluster is never touched), Kafka up/status/down.
#   infra/test/verigen-script-test.sh            all checks
#   SKIP_KAFKA=1 infra/test/verigen-script-test.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
V="$ROOT/verigen"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
pass() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; fails=$((fails + 1)); }

# --- JDK discovery
mkdir -p "$TMP/empty-jvm"
out=$(env -u JAVA_HOME VERIGEN_JVM_DIRS="$TMP/empty-jvm" VERIGEN_JAVA_HOME_TOOL=/nonexistent "$V" java-home 2>&1) && rc=0 || rc=$?
[[ $rc -eq 1 && "$out" == *"Install a JDK 25"* && "$out" == *"JAVA_HOME"* ]] && pass "no JDK 25: clear message, exit 1" || fail "no JDK 25: rc=$rc out=$out"

home=$(env -u JAVA_HOME "$V" java-home 2>/dev/null || true)
[[ -n "$home" && "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")" == 25 ]] \
  && pass "finds a JDK 25 without JAVA_HOME ($home)" || fail "JDK 25 discovery without JAVA_HOME gave '$home'"

if [[ -n "$home" ]]; then
  for other in /usr/lib/jvm/*; do
    [[ -x "$other/bin/javac" && "$(cd "$other" && pwd -P)" != "$home" ]] || continue
    got=$(JAVA_HOME="$other" "$V" java-home 2>/dev/null || true)
    [[ "$got" == "$home" ]] && pass "JAVA_HOME=$other (not 25) is skipped" || fail "JAVA_HOME=$other gave '$got'"
    break
  done
fi

# --- PostgreSQL: started by verigen only when not answering, stopped by down only then
STUB="$TMP/stub"; mkdir -p "$STUB"
cat > "$STUB/pg_isready" <<'S'
#!/usr/bin/env bash
[[ -f "$STUB_STATE/running" ]]
S
cat > "$STUB/pg_ctlcluster" <<'S'
#!/usr/bin/env bash
echo "$*" >> "$STUB_STATE/calls"
case "$4" in start) touch "$STUB_STATE/running" ;; stop) rm -f "$STUB_STATE/running" ;; esac
S
cat > "$STUB/psql" <<'S'
#!/usr/bin/env bash
echo "psql $*" >> "$STUB_STATE/calls"; [[ "$*" == *"select 1"* ]] && echo 1; exit 0
S
chmod +x "$STUB"/*
export STUB_STATE="$TMP/stub-state"; mkdir -p "$STUB_STATE"
if [[ -d /etc/postgresql ]] && [[ -n "$(ls /etc/postgresql)" ]]; then
  st="$TMP/state1"
  PATH="$STUB:$PATH" VERIGEN_STATE_DIR="$st" "$V" doctor >/dev/null 2>&1 && rc=0 || rc=$?
  [[ $rc -eq 0 && -f "$st/postgres.started-by-verigen" ]] && grep -q -- "--skip-systemctl-redirect .* main start" "$STUB_STATE/calls" \
    && pass "PostgreSQL down -> started with pg_ctlcluster and recorded" || fail "PostgreSQL start (rc=$rc): $(cat "$STUB_STATE/calls" 2>/dev/null)"
  PATH="$STUB:$PATH" VERIGEN_STATE_DIR="$st" "$V" down >/dev/null 2>&1
  grep -q " main stop" "$STUB_STATE/calls" && [[ ! -f "$st/postgres.started-by-verigen" ]] \
    && pass "down stops the PostgreSQL that verigen started" || fail "down did not stop PostgreSQL: $(cat "$STUB_STATE/calls")"
  : > "$STUB_STATE/calls"; touch "$STUB_STATE/running"
  st="$TMP/state2"
  PATH="$STUB:$PATH" VERIGEN_STATE_DIR="$st" "$V" doctor >/dev/null 2>&1
  PATH="$STUB:$PATH" VERIGEN_STATE_DIR="$st" "$V" down >/dev/null 2>&1
  ! grep -q "pg_ctlcluster\| main st" "$STUB_STATE/calls" && [[ -f "$STUB_STATE/running" ]] \
    && pass "a PostgreSQL already running is used and never stopped" || fail "touched a running PostgreSQL: $(cat "$STUB_STATE/calls")"
else
  echo "skip - no /etc/postgresql cluster on this machine"
fi

# --- Kafka through the script
if [[ "${SKIP_KAFKA:-0}" != 1 ]]; then
  st="$TMP/state-kafka"
  if VERIGEN_STATE_DIR="$st" "$V" kafka-up >/dev/null 2>&1; then
    pid=$(cat "$st/pids/kafka.pid")
    (exec 3<>/dev/tcp/127.0.0.1/9092) 2>/dev/null && pass "kafka-up: broker listens on 9092 (pid $pid)" || fail "kafka-up: 9092 closed"
    VERIGEN_STATE_DIR="$st" "$V" status >/dev/null && pass "status reports kafka alive" || fail "status after kafka-up"
    VERIGEN_STATE_DIR="$st" "$V" down >/dev/null 2>&1
    if kill -0 "$pid" 2>/dev/null; then fail "down left kafka pid $pid running"; kill -KILL "$pid"; else pass "down stopped kafka"; fi
    ls "$st/pids"/*.pid >/dev/null 2>&1 && fail "pid files left after down" || pass "no pid files left"
    VERIGEN_STATE_DIR="$st" "$V" down >/dev/null 2>&1 && pass "down is idempotent" || fail "second down failed"
  else
    fail "kafka-up failed"; cat "$st/logs/kafka.log" 2>/dev/null | tail -20
  fi
fi

echo "$fails failure(s)"
[[ $fails -eq 0 ]]
