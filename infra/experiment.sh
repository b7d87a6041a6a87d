# shellcheck shell=bash
# ./verigen experiment ...: start, watch and read experiments through the gateway (sourced by ./verigen)

experiment_usage() {
  cat <<USAGE
Usage: ./verigen experiment <command>

  start <file.json>   submit an experiment (a POST /v1/experiments body), follow it, print its table
                      (--no-watch: print the id and return)
  watch <id>          follow progress until it finishes, then print the table
  show <id>           print the metrics table (what has finished so far)
  csv <id>            print the metrics as CSV
  json <id>           print the metrics as JSON
  cancel <id>         stop it (runs in flight are cancelled; finished ones keep their results)
  resume <id>         continue a cancelled or failed experiment
  list                recent experiments

Examples live in docs/experiments/*.json, e.g. ./verigen experiment start docs/experiments/sim-math-quick.json
USAGE
}

experiment_gateway() { require_gateway; }

# prints the body; exits non-zero with the problem's detail on a 4xx/5xx (api_call in lib.sh, with the API key)
experiment_call() { api_call "$@"; }

experiment_watch() {
  local gw="$1" id="$2" view status line last=""
  while true; do
    view=$(experiment_call GET "$gw/v1/experiments/$id") || return 1
    status=$(jq -r .status <<<"$view")
    line=$(jq -r '[.arms[] | "\(.name): \(.graded)/\(.planned // "?") done, \(.running) running"] | join(" | ")' <<<"$view")
    if [[ "$line" != "$last" ]]; then
      printf '  [%s] %s\n' "$status" "$line"
      last="$line"
    fi
    [[ "$status" == RUNNING ]] || break
    sleep 2
  done
  [[ "$status" == FAILED ]] && warn "experiment failed: $(jq -r .error <<<"$view")"
  experiment_call GET "$gw/v1/experiments/$id/results.txt"
}

cmd_experiment() {
  ensure_cmd curl curl
  ensure_cmd jq jq
  local sub="${1:-}" gw id
  [[ $# -gt 0 ]] && shift
  case "$sub" in
    start)
      local file="${1:-}" watch=1
      [[ -n "$file" && -f "$file" ]] || die "usage: ./verigen experiment start <file.json> [--no-watch]"
      [[ "${2:-}" == --no-watch ]] && watch=0
      gw=$(experiment_gateway)
      id=$(experiment_call POST "$gw/v1/experiments" "$file" | jq -r .id) || exit 1
      say "experiment $id started ($gw/v1/experiments/$id)"
      if [[ $watch == 1 ]]; then experiment_watch "$gw" "$id"; else printf '%s\n' "$id"; fi ;;
    watch) gw=$(experiment_gateway); experiment_watch "$gw" "${1:?usage: ./verigen experiment watch <id>}" ;;
    show) gw=$(experiment_gateway); experiment_call GET "$gw/v1/experiments/${1:?id}/results.txt" ;;
    csv) gw=$(experiment_gateway); experiment_call GET "$gw/v1/experiments/${1:?id}/results.csv" ;;
    json) gw=$(experiment_gateway); experiment_call GET "$gw/v1/experiments/${1:?id}/results" | jq ;;
    cancel|resume) gw=$(experiment_gateway); experiment_call POST "$gw/v1/experiments/${1:?id}/$sub" | jq -c ;;
    list) gw=$(experiment_gateway)
      experiment_call GET "$gw/v1/experiments" | jq -r '.[] | "\(.id)  \(.status)\t\(.name)\t\(.createdAt)"' ;;
    ""|-h|--help|help) experiment_usage ;;
    *) experiment_usage >&2; exit 2 ;;
  esac
}
