#!/usr/bin/env bash
# Central under load with wrk on loopback (32 connections, bounded to
# seconds): issuances/s and p99, citizen lookups/s, and the lookups' p99
# while /v1/auth/pin is loaded. Prints "name: value unit" lines.
set -euo pipefail
build=${SP_BUILD_ROOT:?}
central=$build/src/central/sportello-central
seconds=${SP_BENCH_SECONDS:-8}
work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)

# wrk's summary: "Requests/sec: N" and, with --latency, "99% N.NNms".
report () {
  local name=$1 file=$2
  awk -v n="$name" '/Requests\/sec/ {printf "%s_per_second: %.0f req/s\n", n, $2}
    /^ +99%/ {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
              if (u=="us") v/=1000; if (u=="s") v*=1000; printf "%s_p99: %.1f ms\n", n, v}
    /Non-2xx/ {printf "%s_non_2xx: %d responses\n", n, $NF}' "$file"
}

# One backend: seed, serve, load. $1 names it, $2 is the --database.
run_backend () {
  local backend=$1 database=$2 workers=${3:-1}
"$central" seed-demo --citizens 20000 --database "$database"
rm -f "$work/out"
"$central" serve --listen 127.0.0.1:0 --database "$database" --workers "$workers" >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 50); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/out")
if [[ $backend == sqlite ]]; then sqlite3 "$database" 'SELECT cf FROM citizens' >"$work/cfs"
else psql "$database" -qAt -c 'SELECT cf FROM citizens' >"$work/cfs"; fi
export SP_TOKEN=$(curl -s -X POST "$url/v1/sessions" -d '{"username":"demo","password":"demo"}' \
  | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
verifier=$("$build/tests/central/make-verifier" | cut -d' ' -f2)
/usr/bin/python3 - "$work/template.json" "$verifier" <<'PY'
import json, sys
body = {"id": "@ID@", "cf": "@CF@", "issued_at": "2026-01-01T10:00:00.000Z", "clock_skew_ms": 0,
        "sede": "0700", "operator": "demo", "workstation": "bench", "kind": "dispositivo", "offline": False,
        "verifier": sys.argv[2],
        "citizen": {"cf": "@CF@", "surname": "Rossi", "name": "Mario", "sex": "M", "birth_date": "1980-01-01",
                    "birth_place": "H501", "residence": None, "phone": None, "email": None},
        "applicant": {"role": "self", "person": None},
        "document": {"type": "cie", "number": "CA12345AB", "issuer": "Comune di Roma",
                     "issued_on": "2020-01-01", "expires_on": "2030-01-01"},
        "attachments": [], "attested_in_person": True}
open(sys.argv[1], "w").write(json.dumps(body))
PY

wrk -t2 -c32 -d"${seconds}s" --latency -s "$here/issuance.lua" "$url" -- "$work/template.json" "$work/cfs" >"$work/issuance.txt"
report ${backend}_issuances "$work/issuance.txt"
wrk -t2 -c32 -d"${seconds}s" --latency -s "$here/lookup.lua" "$url" -- "$work/cfs" >"$work/lookup.txt"
report ${backend}_lookups "$work/lookup.txt"
wrk -t1 -c8 -d"$((seconds + 2))s" -s "$here/pin.lua" "$url" -- "$work/cfs" >"$work/pin.txt" &
pinload=$!
sleep 1
wrk -t1 -c32 -d"${seconds}s" --latency -s "$here/lookup.lua" "$url" -- "$work/cfs" >"$work/lookup-under-pin.txt"
wait $pinload
report ${backend}_lookups_under_pin_load "$work/lookup-under-pin.txt"
report ${backend}_auth_pin "$work/pin.txt"
kill $pid; wait $pid 2>/dev/null || true
}

run_backend sqlite "$work/c.db"
if [[ ${SP_BENCH_POSTGRESQL:-1} == 1 ]]; then
  pg=$(cd "$here/../../central" && /usr/bin/python3 -c 'import pgcluster; c = pgcluster.Cluster(); print(c.new_database(), c.dir)')
  pg_url=${pg% *}; pg_dir=${pg#* }
  # Several stateless processes on one PostgreSQL: the production shape.
  run_backend postgresql "$pg_url" "${SP_BENCH_PG_WORKERS:-4}"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
fi
