#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer targets with clang and run each for a while.
#
#   scripts/fuzz.sh SECONDS [TARGET...]     default: every target in fuzz/
#
# Builds build-fuzz/ (-DSV_BUILD_FUZZERS=ON: ASan+UBSan+libFuzzer; warnings
# do not stop it, the -Werror builds of .ci/run judge those), seeds
# a scratch corpus per target in build-fuzz/corpus/<target>/ from
# fuzz/seeds/<target>/ and fuzz/regressions/<target>/ (plus manifest.json
# and SHA256SUMS from samples/*.tar.* when those exist), then runs the
# targets one after another, SECONDS each. The corpus is kept between runs
# and never enters the source tree.
#
# Crash, leak, timeout and OOM inputs are written to
# build-fuzz/artifacts/<target>/; logs to build-fuzz/logs/<target>.log.
# Exit status: 0 when every target ran clean, 1 when any found something,
# 2 on a usage or build problem. A reproducer worth keeping goes into
# fuzz/regressions/<target>/ (small files only), where ctest replays it.
#
# Environment: FUZZ_BUILD_DIR (build-fuzz), FUZZ_JOBS (build jobs),
# FUZZ_FLAGS (extra libFuzzer flags, e.g. "-workers=2 -jobs=2"),
# FUZZ_SAMPLE_BUNDLES=1 (seed fuzz_bundle with the samples/ bundles too:
# realistic, but their 8 MiB zstd windows cut exec/s from ~1000 to ~50).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/fuzz.sh SECONDS [TARGET...]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
secs=$1
shift
if ! [[ "$secs" =~ ^[0-9]+$ ]] || [ "$secs" -eq 0 ]; then usage; fi

build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in fuzz/fuzz_*.c; do
    t=${f#fuzz/fuzz_}
    targets+=("${t%.c}")
  done
fi

# Largest input libFuzzer makes per target: a bundle needs tar blocks,
# a SHA256SUMS line can pass the reader's 8 KiB line limit.
max_len_for() {
  case "$1" in
    bundle) echo 65536 ;;
    sha256sums) echo 32768 ;;
    *) echo 16384 ;;
  esac
}

echo "== fuzz: configure and build $build (clang, libFuzzer, ASan+UBSan)"
if ! command -v clang >/dev/null; then
  echo "fuzz: clang is not installed" >&2
  exit 2
fi
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DSV_BUILD_FUZZERS=ON \
  -DSV_BUILD_TESTS=OFF -DSV_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  >/dev/null || exit 2
bins=()
for t in "${targets[@]}"; do bins+=("fuzz_$t"); done
cmake --build "$build" -j"$jobs" --target "${bins[@]}" >/dev/null || exit 2

# Members of the sample bundles that a reader target can start from.
seed_from_samples() {
  local t=$1 dir=$2 s
  shopt -s nullglob
  for s in samples/*.tar samples/*.tar.zst samples/*.tar.gz samples/*.tar.xz; do
    case "$t" in
      bundle)
        if [ "${FUZZ_SAMPLE_BUNDLES:-0}" = 1 ]; then
          cp -f "$s" "$dir/sample-$(basename "$s")"
        fi
        ;;
      manifest | sha256sums)
        local name=manifest.json
        [ "$t" = sha256sums ] && name=SHA256SUMS
        tar -xOf "$s" --wildcards "*$name" >"$dir/sample-$(basename "$s")" \
          2>/dev/null || rm -f "$dir/sample-$(basename "$s")"
        ;;
    esac
  done
  shopt -u nullglob
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
summary=()
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  art=$build/artifacts/$t
  log=$build/logs/$t.log
  mkdir -p "$corpus" "$art" "$build/logs"
  for d in "fuzz/seeds/$t" "fuzz/regressions/$t"; do
    [ -d "$d" ] && find "$d" -maxdepth 1 -type f ! -name '.*' \
      -exec cp -f {} "$corpus/" \;
  done
  seed_from_samples "$t" "$corpus"
  flags=(-max_total_time="$secs" -rss_limit_mb=2048 -timeout=10
    -max_len="$(max_len_for "$t")" -print_final_stats=1
    -artifact_prefix="$art/")
  [ -f "fuzz/dicts/$t.dict" ] && flags+=(-dict="fuzz/dicts/$t.dict")
  # shellcheck disable=SC2206
  flags+=(${FUZZ_FLAGS:-})
  echo "== fuzz: $t for ${secs}s (corpus $corpus, $(find "$corpus" -type f | wc -l) inputs)"
  rc=0
  "$build/fuzz/fuzz_$t" "${flags[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  line="$t: exit $rc, ${execs:-?} runs, ${speed:-?} exec/s, corpus $(find "$corpus" -type f | wc -l)"
  summary+=("$line")
  echo "   $line"
  if [ "$rc" -ne 0 ]; then
    failed+=("$t")
    echo "---- $log (tail)" >&2
    tail -n 60 "$log" >&2
    echo "---- artifacts in $art:" >&2
    ls -l "$art" >&2 || true
  fi
done

echo "== fuzz: summary"
printf '   %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (reproducers in $build/artifacts/)" >&2
  exit 1
fi
echo "fuzz: all targets ran ${secs}s without a finding"
