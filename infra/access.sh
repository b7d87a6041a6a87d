# shellcheck shell=bash
# ./verigen key ... and ./verigen tenant ...: the admin API through the gateway (sourced by ./verigen). Calls send
# $VERIGEN_API_KEY, else the development admin key that 'up' made (lib.sh: api_key).

TENANT_ID_PATTERN='^[a-z0-9][a-z0-9_-]{0,63}$'

access_usage() {
  cat <<USAGE
Usage: ./verigen key <command> | ./verigen tenant <command>

  tenant create ID [NAME]   add a tenant (ID: 1-64 of a-z 0-9 _ -; NAME defaults to ID)
  tenant list               every tenant
  key create --tenant T [--scopes runs,experiments] [--name N] [--rpm N] [--burst N] [--max-body-bytes N]
                            a new key of tenant T; prints the token on stdout, ONLY this once (only its hash is
                            stored). Scopes: runs, experiments, admin (its own tenant), operator (every tenant;
                            only an operator makes one). Limits left out take the orchestrator's defaults
                            (600 requests/minute, burst 100, the gateway's body-size limit).
  key list --tenant T       the tenant's keys without secrets, revoked ones too
  key revoke --tenant T ID  revoke a key (ID, or the whole vg_... token); the gateway refuses it at once

Needs an admin key (its own tenant) or an operator key (tenants, any tenant): VERIGEN_API_KEY, else the development
operator key of ./verigen up.
  e.g. ./verigen tenant create acme "Acme Corp" && export ACME_KEY=\$(./verigen key create --tenant acme)
USAGE
}

# option_value <option> <value-or-empty>: the value, or a clear error when it is missing
option_value() {
  [[ -n "${2:-}" && "$2" != --* ]] || die "$1 needs a value (./verigen key help)"
  printf '%s\n' "$2"
}

check_tenant_id() {
  [[ -n "$1" ]] || die "--tenant is required (./verigen key help)"
  [[ "$1" =~ $TENANT_ID_PATTERN ]] || die "'$1' is not a tenant id (1-64 of a-z 0-9 _ -, starting with a letter or digit)"
}

key_create_body() {
  local name="$1" scopes="$2" rpm="$3" burst="$4" max_body="$5"
  # numbers that are not numbers are passed on as strings: the API names the field in its answer
  jq -n --arg name "$name" --arg scopes "$scopes" --arg rpm "$rpm" --arg burst "$burst" --arg maxBody "$max_body" '
    def num($v): ($v | tonumber? // $v);
    {name: $name, scopes: ($scopes | split(",") | map(gsub("^\\s+|\\s+$"; "")) | map(select(length > 0)))}
    + (if $rpm == "" then {} else {requestsPerMinute: num($rpm)} end)
    + (if $burst == "" then {} else {burst: num($burst)} end)
    + (if $maxBody == "" then {} else {maxBodyBytes: num($maxBody)} end)'
}

cmd_key() {
  ensure_cmd curl curl
  ensure_cmd jq jq
  local sub="${1:-}" tenant="" scopes="runs,experiments" name="cli" rpm="" burst="" max_body="" id="" gw created
  [[ $# -gt 0 ]] && shift
  case "$sub" in ""|-h|--help|help) access_usage; return 0 ;; create|list|revoke) ;; *) access_usage >&2; exit 2 ;; esac
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --tenant) tenant=$(option_value "$1" "${2:-}") || exit 1; shift 2 ;;
      --scopes) scopes=$(option_value "$1" "${2:-}") || exit 1; shift 2 ;;
      --name) name=$(option_value "$1" "${2:-}") || exit 1; shift 2 ;;
      --rpm|--requests-per-minute) rpm=$(option_value "$1" "${2:-}") || exit 1; shift 2 ;;
      --burst) burst=$(option_value "$1" "${2:-}") || exit 1; shift 2 ;;
      --max-body-bytes) max_body=$(option_value "$1" "${2:-}") || exit 1; shift 2 ;;
      -*) die "unknown option '$1' (./verigen key help)" ;;
      *) [[ -z "$id" ]] || die "one key id at a time"; id="$1"; shift ;;
    esac
  done
  check_tenant_id "$tenant"
  [[ "$sub" == revoke || -z "$id" ]] || die "'key $sub' takes no key id"
  gw=$(require_gateway) || exit 1
  case "$sub" in
    create)
      created=$(api_call POST "$gw/v1/tenants/$tenant/keys" <(key_create_body "$name" "$scopes" "$rpm" "$burst" "$max_body")) \
        || exit 1
      jq -r '"verigen: key \(.id) of tenant \(.tenant): \(.scopes | join(",")), \(.requestsPerMinute) requests/minute, burst \(.burst)"
             + (if .maxBodyBytes == null then "" else ", bodies up to \(.maxBodyBytes) bytes" end)' <<<"$created" >&2
      jq -r .key <<<"$created"
      say "the key is shown only now; keep it (e.g. export VERIGEN_API_KEY=...)" >&2 ;;
    list)
      api_call GET "$gw/v1/tenants/$tenant/keys" | jq -r '
          ["ID", "NAME", "SCOPES", "RPM", "BURST", "MAX_BODY", "CREATED", "REVOKED"],
          (.[] | [.id, .name, (.scopes | join(",")), .requestsPerMinute, .burst, (.maxBodyBytes // "-"),
                  .createdAt, (.revokedAt // "-")]) | map(tostring) | @tsv' \
        | awk -F'\t' '{ printf "%-13s %-20s %-23s %-8s %-6s %-10s %-28s %s\n", $1, substr($2, 1, 20), $3, $4, $5, $6, $7, $8 }' ;;
    revoke)
      [[ -n "$id" ]] || die "usage: ./verigen key revoke --tenant T ID"
      # a whole token is accepted: its id is the part after vg_
      [[ "$id" =~ ^vg_([a-z0-9]{12})_ ]] && id="${BASH_REMATCH[1]}"
      [[ "$id" =~ ^[a-z0-9]{12}$ ]] || die "'$id' is not a key id (12 of a-z 0-9, as 'key list' shows)"
      api_call DELETE "$gw/v1/tenants/$tenant/keys/$id" | jq -r '"verigen: key \(.id) revoked at \(.revokedAt)"' ;;
  esac
}

cmd_tenant() {
  ensure_cmd curl curl
  ensure_cmd jq jq
  local sub="${1:-}" gw
  [[ $# -gt 0 ]] && shift
  case "$sub" in
    create)
      local id="${1:-}" name="${2:-${1:-}}"
      [[ -n "$id" && $# -le 2 ]] || die "usage: ./verigen tenant create ID [NAME]"
      check_tenant_id "$id"
      gw=$(require_gateway) || exit 1
      api_call POST "$gw/v1/tenants" <(jq -n --arg id "$id" --arg name "$name" '{id: $id, name: $name}') \
        | jq -r '"verigen: tenant \(.id) (\(.name)) created; give it a key: ./verigen key create --tenant \(.id)"' ;;
    list)
      gw=$(require_gateway) || exit 1
      api_call GET "$gw/v1/tenants" | jq -r '.[] | [.id, .name, .createdAt] | @tsv' \
        | awk -F'\t' '{ printf "%-24s %-40s %s\n", $1, substr($2, 1, 40), $3 }' ;;
    ""|-h|--help|help) access_usage ;;
    *) access_usage >&2; exit 2 ;;
  esac
}
