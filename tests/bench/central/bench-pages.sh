#!/usr/bin/env bash
# The citizen's request page (/cittadino/richiesta) served by central per
# second, with wrk on loopback (goal >= 2,000/s, issue 17): a first visit
# (no cookie: a new CSRF cookie and token each time) and a returning
# browser (its cookie sent: a token only), beside the bare libmicrohttpd
# ceiling in the same run; and the form posted back with a field the page
# refuses (CSRF, strict reading, checks, the page again; no Argon2id),
# with the limits lifted. Prints "name: value unit" lines.
set -euo pipefail
build=${SP_BUILD_ROOT:?}
central=$build/src/central/sportello-central
bare=${SP_BARE_MHD:-$build/tests/central/bare-mhd}
seconds=${SP_BENCH_SECONDS:-6}
work=$(mktemp -d)
pids=()
cleanup () {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

report () {
  local name=$1 file=$2
  awk -v n="$name" '/Requests\/sec/ {printf "%s_per_second: %.0f req/s\n", n, $2}
    /^ +99%/ {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
              if (u=="us") v/=1000; if (u=="s") v*=1000; printf "%s_p99: %.1f ms\n", n, v}
    /Non-2xx/ {printf "%s_non_2xx: %d responses\n", n, $NF}' "$file"
}

# Starts a server whose first line is "listening on URL"; sets $url.
start () {
  local out=$work/out.$RANDOM
  "$@" >"$out" 2>>"$work/log" &
  pids+=("$!")
  for _ in $(seq 100); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$out")
  [[ -n $url ]] || { echo "server did not start: $*" >&2; cat "$work/log" >&2; exit 1; }
}

start "$bare"
wrk -t2 -c32 -d"${seconds}s" --latency "$url/" >"$work/bare.txt"
report bare_libmicrohttpd "$work/bare.txt"

export SP_CENTRAL_KEY_FILE=$work/outbox.key
"$central" seed-demo --citizens 10 --database "$work/c.db" >/dev/null
# The throughput runs measure the server, not its rate limits.
SP_CENTRAL_LIMITS='ip_burst=1000000,ip_rate=1000000,account_burst=1000000,account_rate=1000000' \
  start "$central" serve --listen 127.0.0.1:0 --database "$work/c.db"
page=$url/cittadino/richiesta
curl -sf -o /dev/null "$page" || { echo "the request page does not answer" >&2; exit 1; }
wrk -t2 -c32 -d"${seconds}s" --latency "$page" >"$work/first.txt"
report citizen_request_page_first_visit "$work/first.txt"
cookie=$(curl -s -D - -o /dev/null "$page" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p')
wrk -t2 -c32 -d"${seconds}s" --latency -H "Cookie: $cookie" "$page" >"$work/again.txt"
report citizen_request_page_with_cookie "$work/again.txt"
here=$(cd "$(dirname "$0")" && pwd)
token=$(curl -s -H "Cookie: $cookie" "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
SP_COOKIE=$cookie SP_TOKEN=$token wrk -t2 -c32 -d"${seconds}s" --latency -s "$here/page-post.lua" "$page" \
  >"$work/post.txt"
# Every answer must be the form's own refusal (422), not a rate limit's.
last=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data "csrf=$token&cf=RSSMRA80A01H501U&birth_date=x" "$page")
[[ $last == 422 ]] || { echo "the refused form answered $last, not 422: limits still on?" >&2; exit 1; }
report citizen_request_form_refused "$work/post.txt"
echo "citizen_request_page_bytes: $(curl -s "$page" | wc -c) bytes"
