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

# --- access: development credentials and the key/tenant commands (against a fake gateway that records requests)
st="$TMP/state-access"
LIB_ENV=(env VERIGEN_ROOT="$ROOT" VERIGEN_STATE_DIR="$st")
keys=$("${LIB_ENV[@]}" bash -c 'source "$VERIGEN_ROOT/infra/lib.sh"; set -euo pipefail; for i in 1 2 3 4 5 6 7 8; do new_api_key; done')
bad=$(grep -cvE '^vg_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$' <<<"$keys" || true)
[[ $(wc -l <<<"$keys") -eq 8 && $bad -eq 0 && $(sort -u <<<"$keys" | wc -l) -eq 8 ]] \
  && pass "new_api_key makes distinct vg_<12>_<43> tokens" || fail "new_api_key gave: $keys"
"${LIB_ENV[@]}" bash -c 'source "$VERIGEN_ROOT/infra/lib.sh"; set -euo pipefail; ensure_dev_credentials' >/dev/null
first=$(cat "$st/dev-admin-key" 2>/dev/null || true); secret=$(cat "$st/gateway-secret" 2>/dev/null || true)
"${LIB_ENV[@]}" bash -c 'source "$VERIGEN_ROOT/infra/lib.sh"; set -euo pipefail; ensure_dev_credentials' >/dev/null
[[ "$first" =~ ^vg_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$ && ${#secret} -eq 48 && "$(cat "$st/dev-admin-key")" == "$first" \
   && "$(cat "$st/gateway-secret")" == "$secret" && "$(stat -c %a "$st/dev-admin-key")" == 600 ]] \
  && pass "dev key and gateway secret made once, kept, mode 600" || fail "dev credentials: '$first' '$secret'"
envs=$("${LIB_ENV[@]}" bash -c 'source "$VERIGEN_ROOT/infra/lib.sh"; for s in orchestrator-svc gateway generator-svc; do echo "$s: $(access_env $s | tr "\n" " ")"; done')
[[ "$envs" == *"orchestrator-svc: VERIGEN_BOOTSTRAP_KEY=$first VERIGEN_GATEWAY_SECRET=$secret "* \
   && "$envs" == *"gateway: VERIGEN_GATEWAY_SECRET=$secret "* && "$envs" == *"generator-svc: VERIGEN_GATEWAY_SECRET=$secret "* ]] \
  && pass "orchestrator gets the bootstrap key and secret, every other service the secret" || fail "access_env: $envs"

cat > "$TMP/fake-gateway.py" <<'PY'
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
log = open(sys.argv[1], "a")
class H(BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        log.write(json.dumps({"method": self.command, "path": self.path, "auth": self.headers.get("Authorization"),
                              "body": json.loads(body) if body else None}) + "\n"); log.flush()
        key = {"id": "abcdefghijkl", "tenant": "acme", "name": "ci", "scopes": ["runs", "admin"],
               "requestsPerMinute": 10, "burst": 100, "maxBodyBytes": None, "createdAt": "2030-01-01T00:00:00Z"}
        status, out = 200, {}
        if self.path == "/actuator/health": out = {"status": "UP"}
        elif self.path == "/v1/tenants/broken/keys":
            status, out = 400, {"status": 400, "detail": "2 fields are invalid", "errors": [{"field": "scopes[0]", "message": "unknown scope"}]}
        elif self.path == "/v1/tenants" and self.command == "POST": status, out = 201, {"id": "acme", "name": "Acme Corp"}
        elif self.path == "/v1/tenants/acme/keys" and self.command == "POST": status, out = 201, dict(key, key="vg_abcdefghijkl_" + "x" * 43)
        elif self.path == "/v1/tenants/acme/keys": out = [dict(key, revokedAt=None)]
        elif self.command == "DELETE": out = {"id": "abcdefghijkl", "revokedAt": "2030-01-02T00:00:00Z"}
        data = json.dumps(out).encode()
        self.send_response(status); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
    do_GET = do_POST = do_DELETE = answer
    def log_message(self, *a): pass
s = HTTPServer(("127.0.0.1", 0), H); print(s.server_port, flush=True); s.serve_forever()
PY
python3 "$TMP/fake-gateway.py" "$TMP/requests" > "$TMP/fake-port" 2>/dev/null &
fake=$!
for _ in $(seq 50); do [[ -s "$TMP/fake-port" ]] && break; sleep 0.1; done
CLI=(env VERIGEN_STATE_DIR="$st" VERIGEN_GATEWAY="http://127.0.0.1:$(cat "$TMP/fake-port")" "$V")
"${CLI[@]}" tenant create acme "Acme Corp" >/dev/null 2>&1 && rc=0 || rc=$?
req=$(grep '"POST", "path": "/v1/tenants"' "$TMP/requests" | tail -n 1)
[[ $rc -eq 0 && "$req" == *"\"auth\": \"Bearer $first\""* && "$req" == *'"body": {"id": "acme", "name": "Acme Corp"}'* ]] \
  && pass "tenant create posts {id, name} with the dev key" || fail "tenant create rc=$rc: $req"
token=$("${CLI[@]}" key create --tenant acme --scopes runs,admin --name ci --rpm 10 2>/dev/null) && rc=0 || rc=$?
req=$(grep '/v1/tenants/acme/keys' "$TMP/requests" | tail -n 1)
[[ $rc -eq 0 && "$token" == "vg_abcdefghijkl_$(printf 'x%.0s' {1..43})" \
   && "$req" == *'"body": {"name": "ci", "scopes": ["runs", "admin"], "requestsPerMinute": 10}'* ]] \
  && pass "key create sends name, scopes, limits; prints only the token on stdout" || fail "key create rc=$rc out=$token: $req"
out=$(VERIGEN_API_KEY=vg_other "${CLI[@]}" key list --tenant acme 2>&1) && rc=0 || rc=$?
[[ $rc -eq 0 && "$out" == *abcdefghijkl*runs,admin* && "$(tail -n 1 "$TMP/requests")" == *'"auth": "Bearer vg_other"'* ]] \
  && pass "key list prints a table and sends \$VERIGEN_API_KEY when set" || fail "key list rc=$rc: $out"
out=$("${CLI[@]}" key revoke --tenant acme "vg_abcdefghijkl_$(printf 'y%.0s' {1..43})" 2>&1) && rc=0 || rc=$?
[[ $rc -eq 0 && "$(tail -n 1 "$TMP/requests")" == *'"DELETE", "path": "/v1/tenants/acme/keys/abcdefghijkl"'* && "$out" == *revoked* ]] \
  && pass "key revoke takes an id or a whole token" || fail "key revoke rc=$rc: $out"
out=$("${CLI[@]}" key create --tenant broken --scopes root 2>&1) && rc=0 || rc=$?
[[ $rc -ne 0 && "$out" == *"scopes[0]: unknown scope"* ]] && pass "key create: the API's field errors are shown, exit non-zero" \
  || fail "key create error rc=$rc: $out"
out=$("${CLI[@]}" key create --tenant 'Bad/Id' 2>&1) && rc=0 || rc=$?
[[ $rc -ne 0 && "$out" == *"not a tenant id"* ]] && pass "key create refuses a malformed tenant id" || fail "bad tenant rc=$rc: $out"
kill "$fake" 2>/dev/null || true

echo "$fails failure(s)"
[[ $fails -eq 0 ]]
