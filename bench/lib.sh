# bench/lib.sh - sourced by the bench scripts: build salvage in Release.
#
#   bench_build DIR   builds DIR/salvage (incremental; BENCH_BUILD=0 skips
#                     it) and checks that hyperfine is there.

bench_build() {
  if [ "${BENCH_BUILD:-1}" = 1 ]; then
    cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=Release -DSV_BUILD_TESTS=OFF \
      >/dev/null
    cmake --build "$1" -j"$(nproc)" --target salvage >/dev/null
  fi
  command -v hyperfine >/dev/null || { echo "needs hyperfine" >&2; exit 2; }
}
