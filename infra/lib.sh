# shellcheck shell=bash
# Helpers for ./verigen: sourced, not executed. Everything runs the platform on one machine without Docker.
# Expects VERIGEN_ROOT to be set to the repository root.

: "${VERIGEN_ROOT:?VERIGEN_ROOT must be set}"
VERIGEN_STATE="${VERIGEN_STATE_DIR:-$VERIGEN_ROOT/.verigen}"
VERIGEN_LOGS="$VERIGEN_STATE/logs"
VERIGEN_PIDS="$VERIGEN_STATE/pids"
VERIGEN_VERSION="0.1.0-SNAPSHOT"
KAFKA_HOME="$VERIGEN_ROOT/infra/kafka"
KAFKA_DATA="$VERIGEN_STATE/kafka-data"
KAFKA_PORT=9092
PG_HOST=127.0.0.1
PG_PORT=5432
PG_DB=verigen
PG_MARKER="$VERIGEN_STATE/postgres.started-by-verigen"

# service -> port; start order is by wave (wave 1 is what wave 2 talks to)
declare -A SVC_PORT=(
  [gateway]=8080 [orchestrator-svc]=8081 [generator-svc]=8082
  [gpu-worker]=8083 [reward-model-svc]=8084 [verifier-svc]=8085 [gpu-worker-arith]=8086
)
# services that are a second instance of another module, and what sets them apart
declare -A SVC_MODULE=([gpu-worker-arith]=gpu-worker)
declare -A SVC_ENV=(
  [gpu-worker-arith]="WORKER_POOL=arith-tiny WORKER_BACKEND=llamacpp LLAMACPP_MODEL_PATH=${VERIGEN_ARITH_MODEL:-$VERIGEN_ROOT/models/arith-tiny.gguf}"
  # the SQL sandbox's set-up login: not the superuser (infra/sql-sandbox-provision.sql makes it)
  [verifier-svc]="VERIGEN_SQL_ADMIN_USER=verigen_sql_admin"
)
ALL_SERVICES=(orchestrator-svc verifier-svc reward-model-svc generator-svc gpu-worker gpu-worker-arith gateway)
WAVE1=(orchestrator-svc verifier-svc reward-model-svc)
WAVE2=(generator-svc gpu-worker gpu-worker-arith gateway)

module_of() { printf '%s\n' "${SVC_MODULE[$1]:-$1}"; }

say()  { printf '%s\n' "verigen: $*"; }
warn() { printf '%s\n' "verigen: $*" >&2; }
die()  { printf '%s\n' "verigen: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------- JDK 25

# true if $1 is a JDK home of feature version 25 (has java and javac)
is_jdk25() {
  local home="$1" v=""
  [[ -n "$home" && -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 1
  if [[ -r "$home/release" ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [[ -z "$v" ]]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  [[ "$v" == "25" ]]
}

# prints the JDK 25 home to use, or nothing
find_jdk25() {
  if is_jdk25 "${JAVA_HOME:-}"; then printf '%s\n' "$JAVA_HOME"; return 0; fi
  local dirs="${VERIGEN_JVM_DIRS:-/usr/lib/jvm /usr/lib64/jvm /usr/java /opt/java /Library/Java/JavaVirtualMachines}"
  local d cand
  for d in $dirs; do
    [[ -d "$d" ]] || continue
    # prefer names that say 25, then anything else (a folder name can lie; is_jdk25 checks)
    for cand in "$d"/*25* "$d"/*; do
      [[ -d "$cand" ]] || continue
      if is_jdk25 "$cand"; then (cd "$cand" && pwd -P); return 0; fi
      if is_jdk25 "$cand/Contents/Home"; then (cd "$cand/Contents/Home" && pwd -P); return 0; fi
    done
  done
  local jh="${VERIGEN_JAVA_HOME_TOOL:-/usr/libexec/java_home}"
  if [[ -x "$jh" ]]; then
    cand=$("$jh" -v 25 2>/dev/null || true)
    if is_jdk25 "$cand"; then printf '%s\n' "$cand"; return 0; fi
  fi
  return 1
}

ensure_jdk() {
  local home
  if ! home=$(find_jdk25); then
    cat >&2 <<MSG
verigen: error: no JDK 25 found.
  Looked at: JAVA_HOME=${JAVA_HOME:-<unset>}, ${VERIGEN_JVM_DIRS:-/usr/lib/jvm /usr/lib64/jvm /usr/java /opt/java /Library/Java/JavaVirtualMachines}, /usr/libexec/java_home -v 25
  Install a JDK 25, e.g. Temurin 25:
    Debian/Ubuntu: apt-get install temurin-25-jdk   (after adding the Adoptium repository, https://adoptium.net/installation/linux/)
    macOS:         brew install --cask temurin@25
  or set JAVA_HOME to an installed JDK 25.
MSG
    exit 1
  fi
  export JAVA_HOME="$home"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own jars touch sun.misc.Unsafe; keep JDK 25 from warning about it on every build
  [[ "${MAVEN_OPTS:-}" == *sun-misc-unsafe* ]] || export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

# ---------------------------------------------------------------- tools

apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then command -v sudo >/dev/null 2>&1 || return 1; sudo="sudo"; fi
  say "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >/dev/null 2>&1; }
}

# ensure_cmd <command> <debian package>
ensure_cmd() {
  command -v "$1" >/dev/null 2>&1 && return 0
  apt_install "$2" && command -v "$1" >/dev/null 2>&1 && return 0
  die "'$1' is missing and could not be installed; install the '$2' package (e.g. apt-get install -y $2 / brew install $2)"
}

# ensure_file <absolute path> <debian package>: like ensure_cmd, for a tool that must be at a fixed path
# (PATH may lead elsewhere, e.g. a pyenv python3 in front of Debian's)
ensure_file() {
  [[ -x "$1" ]] && return 0
  apt_install "$2" && [[ -x "$1" ]] && return 0
  die "'$1' is missing and could not be installed; install the '$2' package (e.g. apt-get install -y $2)"
}

# what verifier-svc's code_tests sandbox runs (verifier-svc/README.md): bubblewrap, setpriv and prlimit
# (util-linux), and the interpreters from /usr, the only host directory the sandbox sees
ensure_sandbox_tools() {
  if [[ "$(uname -s)" != Linux ]]; then
    warn "the code_tests sandbox (bubblewrap) needs Linux; verifier-svc's sandbox tests fail on $(uname -s)"
    return 0
  fi
  ensure_file /usr/bin/bwrap bubblewrap
  ensure_file /usr/bin/setpriv util-linux
  ensure_file /usr/bin/prlimit util-linux
  ensure_file /usr/bin/python3 python3
  ensure_file /usr/bin/node nodejs
}

# what deploy-tests runs: Debian's docker-compose (a Compose file validator), and for starting the chart's pods as
# local containers network namespaces (iproute2), nsenter (util-linux) and bubblewrap
ensure_deploy_test_tools() {
  [[ "$(uname -s)" == Linux ]] || return 0
  ensure_cmd docker-compose docker-compose
  ensure_cmd ip iproute2
  ensure_cmd nsenter util-linux
}

# what the dashboard's browser tests drive (e2e-tests, DashboardScenarios): Debian's headless-capable Chromium and
# the matching chromedriver, at the paths the tests use (Selenium Manager never downloads a browser here)
ensure_browser_test_tools() {
  [[ "$(uname -s)" == Linux ]] || return 0
  ensure_file /usr/bin/chromium chromium
  ensure_file /usr/bin/chromedriver chromium-driver
}

ensure_tools() {
  ensure_cmd mvn maven
  ensure_cmd curl curl
  ensure_cmd jq jq
}

# ---------------------------------------------------------------- processes

pid_file() { printf '%s/%s.pid\n' "$VERIGEN_PIDS" "$1"; }

# args of a live process, empty if it is gone
proc_args() {
  if [[ -r "/proc/$1/cmdline" ]]; then tr '\0' ' ' < "/proc/$1/cmdline"; else ps -p "$1" -o args= 2>/dev/null || true; fi
}

# the pid recorded for <name> if that process is alive and is the one we started (marker in its args)
live_pid() {
  local f pid
  f=$(pid_file "$1")
  [[ -f "$f" ]] || return 1
  pid=$(<"$f")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(proc_args "$pid")" == *"-Dverigen.process=$1 "* ]] || return 1
  printf '%s\n' "$pid"
}

recorded_names() {
  local f
  shopt -s nullglob
  for f in "$VERIGEN_PIDS"/*.pid; do basename "$f" .pid; done
  shopt -u nullglob
}

# start_bg <name> <log> <env assignments...> -- <command...>; the command must carry -Dverigen.process=<name>
start_bg() {
  local name="$1" log="$2"; shift 2
  local envs=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do envs+=("$1"); shift; done
  shift
  mkdir -p "$VERIGEN_PIDS" "$VERIGEN_LOGS"
  : > "$log"
  # exported, not passed to env(1): a secret among them would show on a command line in ps
  (cd "$VERIGEN_ROOT" && { [[ ${#envs[@]} -eq 0 ]] || export "${envs[@]}"; } && exec nohup "$@" >>"$log" 2>&1 </dev/null) &
  echo "$!" > "$(pid_file "$name")"
}

# stop_process <name>: TERM, wait, KILL; removes the pid file
stop_process() {
  local name="$1" pid timeout="${VERIGEN_STOP_TIMEOUT:-30}" i
  if pid=$(live_pid "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 5; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      warn "$name (pid $pid) did not stop in ${timeout}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$(pid_file "$name")"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

health_status() {
  curl -fsS -m 3 "http://127.0.0.1:$1/actuator/health" 2>/dev/null | jq -r '.status // "UNKNOWN"' 2>/dev/null || true
}

log_tail() {
  local log="$VERIGEN_LOGS/$1.log"
  if [[ -f "$log" ]]; then
    printf -- '----- last lines of %s -----\n' "$log" >&2
    tail -n "${2:-40}" "$log" >&2
    printf -- '-----\n' >&2
  fi
}

# ---------------------------------------------------------------- PostgreSQL

pg_up() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1; }

pg_cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

ensure_postgres() {
  if ! pg_up; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ -z "$(pg_cluster_version)" ]]; then
      apt_install postgresql || die "PostgreSQL is not installed and could not be installed: apt-get install -y postgresql"
    fi
    local ver
    ver=$(pg_cluster_version)
    [[ -n "$ver" ]] || die "PostgreSQL is installed but no cluster exists under /etc/postgresql (pg_createcluster <version> main)"
    say "starting PostgreSQL $ver (cluster main)"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || die "could not start PostgreSQL: pg_ctlcluster $ver main start"
    mkdir -p "$VERIGEN_STATE"
    printf '%s\n' "$ver" > "$PG_MARKER"
    local i
    for ((i = 0; i < 60; i++)); do pg_up && break; sleep 0.5; done
    pg_up || die "PostgreSQL did not come up on $PG_HOST:$PG_PORT"
  fi
  if ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$PG_DB'" 2>/dev/null | grep -q 1; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "create database $PG_DB" >/dev/null \
      || die "could not create database $PG_DB (is trust auth on for postgres@$PG_HOST?)"
    say "created database $PG_DB"
  fi
  # verifier-svc sets its SQL sandbox up as verigen_sql_admin (CREATEDB, CREATEROLE; not a superuser): what only a
  # superuser can do for it is done here, once per start (the script is idempotent)
  psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -q -v admin=verigen_sql_admin -v sandbox=verigen_sql_sandbox \
       -v db=verigen_sql_sandbox -f "$VERIGEN_ROOT/infra/sql-sandbox-provision.sql" >/dev/null \
    || die "could not provision the SQL sandbox (infra/sql-sandbox-provision.sql)"
}

stop_postgres_if_ours() {
  [[ -f "$PG_MARKER" ]] || return 0
  local ver
  ver=$(<"$PG_MARKER")
  say "stopping PostgreSQL $ver (started by verigen)"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main stop || warn "could not stop PostgreSQL $ver"
  rm -f "$PG_MARKER"
}

# ---------------------------------------------------------------- Kafka

kafka_jars_present() { compgen -G "$KAFKA_HOME/lib/kafka_2.13-*.jar" >/dev/null; }

ensure_kafka_jars() {
  kafka_jars_present && return 0
  say "fetching the Kafka broker jars from Maven Central (infra/kafka/lib)"
  mvn -q -B -ntp -f "$KAFKA_HOME/pom.xml" dependency:copy-dependencies || die "could not fetch the Kafka jars"
  kafka_jars_present || die "Kafka jars missing after fetch"
}

kafka_java() {
  "$JAVA_HOME/bin/java" -Dverigen.process=kafka \
    -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
    --sun-misc-unsafe-memory-access=allow \
    -cp "$KAFKA_HOME/lib/*" "$@"
}

kafka_up() {
  if live_pid kafka >/dev/null; then say "Kafka already running (pid $(live_pid kafka))"; return 0; fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is already in use by a process verigen did not start"
  ensure_kafka_jars
  mkdir -p "$VERIGEN_STATE/kafka" "$KAFKA_DATA" "$VERIGEN_LOGS"
  local props="$VERIGEN_STATE/kafka/server.properties"
  sed "s#@KAFKA_DATA_DIR@#$KAFKA_DATA#" "$KAFKA_HOME/server.properties" > "$props"
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    local id
    id=$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    say "formatting Kafka storage (cluster id $id)"
    kafka_java kafka.tools.StorageTool format -t "$id" -c "$props" --standalone >"$VERIGEN_LOGS/kafka-format.log" 2>&1 \
      || { cat "$VERIGEN_LOGS/kafka-format.log" >&2; die "Kafka storage format failed"; }
  fi
  say "starting Kafka on 127.0.0.1:$KAFKA_PORT"
  start_bg kafka "$VERIGEN_LOGS/kafka.log" -- \
    "$JAVA_HOME/bin/java" -Dverigen.process=kafka -Xmx512m \
    -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
    --sun-misc-unsafe-memory-access=allow \
    -cp "$KAFKA_HOME/lib/*" kafka.Kafka "$props"
  local i
  for ((i = 0; i < ${VERIGEN_KAFKA_TIMEOUT:-60} * 2; i++)); do
    port_open "$KAFKA_PORT" && { say "Kafka is up (pid $(live_pid kafka))"; return 0; }
    live_pid kafka >/dev/null || break
    sleep 0.5
  done
  log_tail kafka
  stop_process kafka
  die "Kafka did not start"
}

kafka_down() { stop_process kafka; }

# ---------------------------------------------------------------- access: development credentials, API calls

# made once by 'up' and kept (the database keeps the bootstrap key across restarts too); 0600, never printed in logs
DEV_KEY_FILE="$VERIGEN_STATE/dev-admin-key"
GATEWAY_SECRET_FILE="$VERIGEN_STATE/gateway-secret"
API_KEY_PATTERN='^vg_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$'

# random_chars <n> <tr set>: n random characters of the set, e.g. random_chars 12 'a-z0-9'
random_chars() {
  # tr dies of SIGPIPE when head has enough; that is its normal end here, not a failure under pipefail
  { LC_ALL=C tr -dc "$2" </dev/urandom 2>/dev/null || true; } | head -c "$1"
}

# new_api_key: a token in the platform's format, vg_<12 of [a-z0-9]>_<43 base64url = 32 random bytes>
new_api_key() {
  local secret
  secret=$(head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_')
  printf 'vg_%s_%s\n' "$(random_chars 12 'a-z0-9')" "$secret"
}

# write_secret <file> <value>: readable by this user only, from the moment it exists
write_secret() {
  mkdir -p "$(dirname "$1")"
  (umask 077 && printf '%s\n' "$2" > "$1.tmp") && mv -f "$1.tmp" "$1"
}

# ensure_dev_credentials: the development bootstrap admin key and the gateway secret, made on first use
ensure_dev_credentials() {
  if [[ ! -s "$DEV_KEY_FILE" ]] || ! [[ "$(<"$DEV_KEY_FILE")" =~ $API_KEY_PATTERN ]]; then
    write_secret "$DEV_KEY_FILE" "$(new_api_key)"
    say "made a development admin key in $DEV_KEY_FILE"
  fi
  if [[ ! -s "$GATEWAY_SECRET_FILE" ]]; then
    write_secret "$GATEWAY_SECRET_FILE" "$(random_chars 48 'A-Za-z0-9')"
  fi
}

dev_key() { [[ -s "$DEV_KEY_FILE" ]] && printf '%s\n' "$(<"$DEV_KEY_FILE")"; }
gateway_secret() { [[ -s "$GATEWAY_SECRET_FILE" ]] && printf '%s\n' "$(<"$GATEWAY_SECRET_FILE")"; }

# access_env <service>: the credentials a service starts with, as NAME=value lines
access_env() {
  case "$1" in
    orchestrator-svc) printf '%s\n' "VERIGEN_BOOTSTRAP_KEY=$(dev_key)" "VERIGEN_GATEWAY_SECRET=$(gateway_secret)" ;;
    # the gateway sends the secret upstream; every other service answers only requests that carry it (health
    # probes aside) and refuses to start without it
    *) printf '%s\n' "VERIGEN_GATEWAY_SECRET=$(gateway_secret)" ;;
  esac
}

# api_key: the key API calls send: $VERIGEN_API_KEY, else the development key of 'up'
api_key() {
  local key="${VERIGEN_API_KEY:-}"
  [[ -n "$key" ]] || key=$(dev_key) \
    || die "no API key: run ./verigen up once (it makes a development key in $DEV_KEY_FILE) or set VERIGEN_API_KEY"
  printf '%s\n' "$key"
}

gateway_url() { printf '%s\n' "${VERIGEN_GATEWAY:-http://localhost:${SVC_PORT[gateway]}}"; }

# require_gateway: prints the gateway's URL, or dies when no healthy gateway answers there
require_gateway() {
  local gw
  gw=$(gateway_url)
  [[ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$gw/actuator/health" 2>/dev/null || true)" == 200 ]] \
    || die "no healthy gateway at $gw; run ./verigen up (or set VERIGEN_GATEWAY)"
  printf '%s\n' "$gw"
}

# api_call <method> <url> [body file]: one JSON call with the API key; prints the body, or on a 4xx/5xx the
# problem's detail and field errors on stderr and returns 1. The key goes to curl through a file descriptor,
# never on its command line, where ps would show it.
api_call() {
  local method="$1" url="$2" body="${3:-}" key resp code
  key=$(api_key) || exit 1
  local -a args=(-sS -m 60 -w '\n%{http_code}' -X "$method" "$url")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data-binary "@$body")
  resp=$(curl "${args[@]}" -H @<(printf 'Authorization: Bearer %s\n' "$key")) || return 1
  code=${resp##*$'\n'}
  resp=${resp%$'\n'*}
  if [[ "$code" -ge 400 ]]; then
    printf '%s\n' "$resp" | jq -r '"error \(.status): \(.detail)", (.errors // [] | .[] | "  \(.field): \(.message)")' >&2 2>/dev/null \
      || printf 'error %s: %s\n' "$code" "$resp" >&2
    if [[ "$code" == 401 && -z "${VERIGEN_API_KEY:-}" ]]; then
      warn "the development key in $DEV_KEY_FILE was refused (revoked?); delete the file and ./verigen down && ./verigen up for a new one, or set VERIGEN_API_KEY"
    fi
    return 1
  fi
  printf '%s\n' "$resp"
}
