#!/usr/bin/env bash
# bench_proc.sh [SIZE_MB] - parsing a proc-heavy bundle against
# `tar --zstd -xOf BUNDLE > /dev/null` (issue: within 1.5x).
#
# The bundle holds only /proc and cgroup snapshots of this machine (no
# pcaps): at 1024 MB of tar stream that is several hundred thousand small
# files, every one of them dispatched to its reader, parsed and hashed.
# Both commands run in ONE hyperfine invocation, side by side.
#
# Environment: BENCH_DIR (default /tmp/salvage-bench), RUNS (default 3).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SIZE_MB=${1:-1024}
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/salvage-bench}
BUILD=$REPO/build-release
B=$BENCH_DIR/proc-heavy-$SIZE_MB.tar.zst
mkdir -p "$BENCH_DIR/results"

run() { echo "+ $*" >&2; "$@"; }

command -v hyperfine >/dev/null || {
	echo "bench_proc: hyperfine missing (apt-get install hyperfine)" >&2
	exit 2
}
run timeout 900 cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
	-DSV_BUILD_TESTS=OFF -DSV_WERROR=OFF >/dev/null
run timeout 900 cmake --build "$BUILD" -j"$(nproc)" >/dev/null
if [ ! -s "$B" ]; then
	t0=$SECONDS
	PCAP_SHARE=0 run timeout 1800 "$REPO/bench/make-bundle.sh" "$B" "$SIZE_MB"
	echo "generation time: $((SECONDS - t0)) s"
fi
MEMBERS=$(zstd -dc "$B" | tar -tf - | wc -l)
echo "bundle $B: $(stat -c %s "$B") bytes stored, $MEMBERS members"

JSON=$BENCH_DIR/results/proc-$SIZE_MB-$(date -u +%Y%m%dT%H%M%SZ).json
run timeout 3600 hyperfine --warmup 1 --runs "$RUNS" --export-json "$JSON" \
	-n "tar --zstd -xOf" "tar --zstd -xOf $B > /dev/null" \
	-n "salvage inspect" "$BUILD/salvage inspect -q $B > /dev/null"
python3 - "$JSON" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
t, s = r["tar --zstd -xOf"], r["salvage inspect"]
print(f"tar {t:.3f} s, salvage {s:.3f} s: ratio {s / t:.2f} "
      f"(limit 1.5: {'PASS' if s / t <= 1.5 else 'FAIL'})")
PY
