#!/usr/bin/env bash
# Runs every test pass and prints the closing "N passed, N failed" line.
#   0. each build shape of meson_options.txt configures (the app alone builds)
#   1. the whole meson test suite on the normal build
#   2. the same suites on an ASan+UBSan build
#   3. each libFuzzer target for a bounded time (clang)
# SP_SKIP_SANITIZERS=1, SP_SKIP_FUZZ=1 or SP_SKIP_SHAPES=1 leave a pass out
# (local iterations).
set -uo pipefail
top=$1
build_dir=$2
cd "$top"
[[ $build_dir = /* ]] || build_dir=$top/$build_dir

passed=0
failed=0
skipped=0

log () { printf '\033[1mtest:\033[0m %s\n' "$*" >&2; }

# Adds the results of one meson test run (from its JSON log) to the totals.
count_results () {
  local json=$1/meson-logs/testlog.json
  [[ -f $json ]] || { failed=$((failed + 1)); return; }
  local p f s
  p=$(grep -c '"result": "OK"' "$json" || true)
  s=$(grep -c '"result": "SKIP"' "$json" || true)
  f=$(grep -cE '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$json" || true)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  log "$1: $p passed, $f failed, $s skipped"
}

run_meson_tests () {
  local dir=$1; shift
  rm -f "$dir/meson-logs/testlog.json"
  meson test -C "$dir" --print-errorlogs --num-processes 2 "$@"
  count_results "$dir"
}

# Each program and heavy dependency can be left out (meson_options.txt):
# every shape configures, and the Flatpak's (the app alone) builds.
if [[ ${SP_SKIP_SHAPES:-0} != 1 ]]; then
  log "pass 0: build shapes"
  shapes_dir=$(mktemp -d)
  check_shape () {
    local name=$1 build=$2; shift 2
    if meson setup "$shapes_dir/$name" -Dprofile=development "$@" >"$shapes_dir/$name.log" 2>&1 \
       && { [[ $build != build ]] || meson compile -C "$shapes_dir/$name" >>"$shapes_dir/$name.log" 2>&1; }; then
      passed=$((passed + 1)); log "shape $name: ok"
    else
      failed=$((failed + 1)); log "shape $name: FAILED"; tail -20 "$shapes_dir/$name.log"
    fi
  }
  check_shape app-only build -Dcentral=disabled -Dtool=disabled -Dpostgresql=disabled -Dui_tests=false
  check_shape central-only configure -Dapp=disabled -Dtool=disabled
  check_shape central-sqlite-only build -Dapp=disabled -Dtool=disabled -Dpostgresql=disabled
  check_shape no-postgresql configure -Dpostgresql=disabled
  rm -rf "$shapes_dir"
fi

log "pass 1: all suites"
run_meson_tests "$build_dir"

werror=()
[[ ${CI:-} == true ]] && werror=(-Dwerror=true)

if [[ ${SP_SKIP_SANITIZERS:-0} != 1 ]]; then
  log "pass 2: ASan + UBSan"
  asan_dir=${build_dir}-asan
  if [[ ! -f $asan_dir/build.ninja ]]; then
    meson setup "$asan_dir" -Dprofile=development -Db_sanitize=address,undefined \
      -Db_lundef=false -Dbuildtype=debug "${werror[@]}" >/dev/null
  fi
  if meson compile -C "$asan_dir" >"$asan_dir.log" 2>&1; then
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
    # Time bounds of the tests that have them, scaled for the slower build.
    export SP_TIME_SCALE=3
    run_meson_tests "$asan_dir" --no-suite ui --no-suite gui --no-suite slow --timeout-multiplier 3
  else
    tail -40 "$asan_dir.log"; failed=$((failed + 1))
  fi
fi

if [[ ${SP_SKIP_FUZZ:-0} != 1 ]]; then
  log "pass 3: fuzzing (bounded)"
  fuzz_dir=${build_dir}-fuzz
  if [[ ! -f $fuzz_dir/build.ninja ]]; then
    CC=clang meson setup "$fuzz_dir" -Dprofile=development -Dfuzzing=true \
      -Db_sanitize=address,undefined -Db_lundef=false -Dui_tests=false >/dev/null
  fi
  # Only the fuzz targets: the rest of the tree is covered by passes 1 and 2.
  mapfile -t fuzz_targets < <(ninja -C "$fuzz_dir" -t targets all 2>/dev/null \
    | grep -oE '^tests/fuzz/fuzz-[a-z0-9-]+(:| )' | tr -d ': ' | sort -u)
  if ((${#fuzz_targets[@]} == 0)); then
    log "no fuzz targets"
  elif ninja -C "$fuzz_dir" "${fuzz_targets[@]}" >"$fuzz_dir.log" 2>&1; then
    seconds=${SP_FUZZ_SECONDS:-20}
    for fuzzer in "$fuzz_dir"/tests/fuzz/fuzz-*; do
      [[ -x $fuzzer && ! -d $fuzzer ]] || continue
      name=$(basename "$fuzzer")
      corpus=$top/tests/fuzz/corpus/${name#fuzz-}
      work=$(mktemp -d)
      [[ -d $corpus ]] && cp -r "$corpus"/. "$work"/
      if (cd "$fuzz_dir" && ASAN_OPTIONS=detect_leaks=1 "$fuzzer" -max_total_time="$seconds" \
            -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 "$work" >"$fuzz_dir/$name.log" 2>&1); then
        passed=$((passed + 1)); log "$name: no crash in ${seconds}s ($(grep -m1 'stat::number_of_executed_units' "$fuzz_dir/$name.log" | awk '{print $2}') runs)"
      else
        failed=$((failed + 1)); log "$name: FAILED"; tail -40 "$fuzz_dir/$name.log"
      fi
      rm -rf "$work"
    done
  else
    tail -40 "$fuzz_dir.log"; failed=$((failed + 1))
  fi
fi

if ((skipped > 0)); then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
((failed == 0))
