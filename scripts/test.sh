#!/usr/bin/env bash
# test.sh - build salvage and run every test (Check suites, fuzz corpus
# replays, CLI tests) through ctest.
#
#   scripts/test.sh           gcc, -Werror, build/
#   BUILD_DIR=x CC=clang scripts/test.sh    another compiler or folder
#   scripts/test.sh --sanitize            ASan+UBSan build in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
extra=()
if [ "${1:-}" = "--sanitize" ]; then
  build=${BUILD_DIR:-build-asan}
  extra=(-DSV_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  # Check forks each test by default; sanitizers want one process.
  export CK_FORK=no
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi

scripts/setup.sh --deps-only
cmake -S . -B "$build" -DSV_WERROR=ON "${extra[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
