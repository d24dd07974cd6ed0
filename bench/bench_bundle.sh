#!/usr/bin/env bash
# bench_bundle.sh [SIZE_MB] - streaming speed and peak memory of `salvage
# inspect` against `zstd -dc` on the same bundle (issue: within 1.5x of zstd,
# peak memory not growing with bundle size).
#
#   1. builds salvage in Release into build-release/ (incremental);
#   2. makes BENCH_DIR/bundle-SIZE_MB.tar.zst and bundle-SMALL_MB.tar.zst with
#      bench/make-bundle.sh unless they exist;
#   3. one hyperfine run of both commands side by side (warmup 1, RUNS runs),
#      exported as JSON and Markdown, and the ratio salvage/zstd of the means
#      with PASS/FAIL against LIMIT;
#   4. peak RSS (/usr/bin/time -v) of salvage on the small and the large bundle.
#
# Environment: BENCH_DIR (default /tmp/salvage-bench), RUNS (default 5),
# SMALL_MB (default 100), LIMIT (default 1.5), BENCH_FLOOR=1 (also time
# bench/libarchive_floor.c, libarchive alone, and `zstd -dc | openssl dgst -sha256`,
# decompressing and hashing every byte), BENCH_WAIT_IDLE (seconds to wait
# for >= 95% idle CPUs before timing, default 0), BENCH_STRICT=1 to exit 1 on FAIL.
set -euo pipefail
export LC_ALL=C

SIZE_MB=${1:-1024}
case $SIZE_MB in ''|*[!0-9]*) echo "usage: $0 [SIZE_MB]" >&2; exit 2 ;; esac
RUNS=${RUNS:-5}
SMALL_MB=${SMALL_MB:-100}
LIMIT=${LIMIT:-1.5}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/salvage-bench}
export BENCH_DIR
BUILD=$REPO/build-release
BIN=$BUILD/salvage
BIG=$BENCH_DIR/bundle-$SIZE_MB.tar.zst
SMALL=$BENCH_DIR/bundle-$SMALL_MB.tar.zst
RES=$BENCH_DIR/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)

say() { printf '\n== %s\n' "$*"; }
run() { # print the exact command, then run it
	printf '+'; printf ' %q' "$@"; printf '\n'
	"$@"
}

need() { # TOOL DEBIAN-PACKAGE
	command -v "$1" >/dev/null && return 0
	[ "$(id -u)" = 0 ] || { echo "$0: $1 is missing (apt-get install $2)" >&2; exit 1; }
	echo "installing $2 for $1"
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -qq
	DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "$2" >/dev/null
}
need hyperfine hyperfine
need zstd zstd
need jq jq
need cmake cmake
[ -x /usr/bin/time ] || need /usr/bin/time time

mkdir -p "$BENCH_DIR" "$RES"

say "machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cpus;" \
	"$(zstd --version | head -1);" \
	"libarchive $(pkg-config --modversion libarchive 2>/dev/null || echo '?');" \
	"$(openssl version 2>/dev/null || echo 'openssl ?')"

say "build (Release, $BUILD)"
# warnings are not this script's business: work in progress elsewhere in the
# tree must not stop a measurement (SV_WERROR=OFF)
run timeout 900 cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
	-DSV_BUILD_TESTS=OFF -DSV_WERROR=OFF >/dev/null
run timeout 900 cmake --build "$BUILD" -j"$(nproc)" >/dev/null

for pair in "$SMALL_MB:$SMALL" "$SIZE_MB:$BIG"; do
	mb=${pair%%:*} f=${pair#*:}
	if [ ! -s "$f" ]; then
		say "making $f ($mb MB)"
		t0=$SECONDS
		run timeout 1800 "$REPO/bench/make-bundle.sh" "$f" "$mb"
		echo "generation time: $((SECONDS - t0)) s"
	fi
done

say "bundle $BIG"
TAR_BYTES=$(zstd -dc "$BIG" | wc -c)
STORED=$(stat -c %s "$BIG")
echo "stored $STORED bytes, tar stream $TAR_BYTES bytes" \
	"(ratio $(awk -v a="$TAR_BYTES" -v b="$STORED" 'BEGIN{printf "%.1f", a / b}'):1)"
echo "tar stream by kind (member headers + padded data; directories under 'dirs'):"
zstd -dc "$BIG" | tar -tvf - | awk '
	{ size = $3; path = $6; sub(/^[^\/]*\//, "", path)
	  if ($1 ~ /^d/) k = "dirs"
	  else if (path ~ /^proc\/[^\/]+\/(stat|uptime)$/) k = "proc-host"
	  else if (path ~ /\/net\//) k = "proc-net"
	  else if (path ~ /^proc\//) k = "proc-pid"
	  else if (path ~ /^cgroup\//) k = "cgroup"
	  else if (path ~ /^pcap\//) k = "pcap"
	  else k = path
	  n[k]++; data[k] += size; tarb[k] += 512 + int((size + 511) / 512) * 512
	  tn += 1; tt += 512 + int((size + 511) / 512) * 512 }
	END { for (k in n) printf "  %-16s %9d %14d %14d %5.1f%%\n", k, n[k], data[k], tarb[k], 100 * tarb[k] / tt
	      printf "  %-16s %9d %14s %14d\n", "total", tn, "", tt }' >"$RES/kinds.txt"
printf '  %-16s %9s %14s %14s %6s\n' kind members "data bytes" "tar bytes" "tar %"
grep -v '^  total ' "$RES/kinds.txt" | sort -k4 -n -r
grep '^  total ' "$RES/kinds.txt"

say "sanity: salvage inspect must read and trust the bundle"
run timeout 600 "$BIN" inspect -q "$BIG"

say "speed: zstd -dc vs salvage inspect, one hyperfine run"
# both commands share the machine with whatever else runs: wait (up to
# BENCH_WAIT_IDLE seconds) for a quiet moment, and say how quiet it was
idle_pct() { # CPU idle percentage over the next $1 seconds
	local a b
	a=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
	sleep "$1"
	b=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ")
		print int(100 * (y[1] - x[1]) / (y[2] - x[2] + 1e-9)) }'
}
WAIT_END=$((SECONDS + ${BENCH_WAIT_IDLE:-0}))
while :; do
	IDLE=$(idle_pct 5)
	[ "$IDLE" -ge 95 ] || [ "$SECONDS" -ge "$WAIT_END" ] && break
done
echo "cpu idle before the run: $IDLE% (load $(cut -d' ' -f1-3 /proc/loadavg))"
if [ "$IDLE" -lt 95 ]; then
	echo "warning: the machine is busy; wall times are noisy, compare CPU times too. Busiest processes:"
	ps -eo pcpu=,pid=,comm= --sort=-pcpu | awk '$1 > 5' | head -5 | sed 's/^/  /'
fi
JSON=$RES/hyperfine-$SIZE_MB-$STAMP.json
MD=$RES/hyperfine-$SIZE_MB-$STAMP.md
EXTRA=()
if [ "${BENCH_FLOOR:-0}" = 1 ]; then # libarchive alone, for reference
	FLOOR=$BUILD/libarchive_floor
	read -ra LA <<<"$(pkg-config --cflags --libs libarchive)"
	run cc -O2 "$REPO/bench/libarchive_floor.c" -o "$FLOOR" "${LA[@]}"
	run "$FLOOR" "$BIG"
	# decompressing and hashing every byte, the least the task needs:
	# zstd and OpenSSL (SHA-NI) on two cores through a pipe
	EXTRA=(-n "libarchive alone" "$FLOOR $BIG > /dev/null"
		-n "zstd -dc | openssl sha256" \
		"zstd -dc $BIG | openssl dgst -sha256 > /dev/null")
fi
run timeout 3600 hyperfine --warmup 1 --runs "$RUNS" \
	--export-json "$JSON" --export-markdown "$MD" \
	-n "zstd -dc" "zstd -dc $BIG > /dev/null" \
	-n "salvage inspect" "$BIN inspect -q $BIG > /dev/null" "${EXTRA[@]}"
cat "$MD"
Z=$(jq -r '.results[] | select(.command == "zstd -dc") | .mean' "$JSON")
S=$(jq -r '.results[] | select(.command == "salvage inspect") | .mean' "$JSON")
RATIO=$(awk -v s="$S" -v z="$Z" 'BEGIN{printf "%.2f", s / z}')
VERDICT=$(awk -v r="$RATIO" -v l="$LIMIT" 'BEGIN{print (r <= l) ? "PASS" : "FAIL"}')
printf 'zstd %.3f s, salvage %.3f s (means): ratio salvage/zstd = %s, limit %s: %s\n' \
	"$Z" "$S" "$RATIO" "$LIMIT" "$VERDICT"
ZC=$(jq -r '.results[] | select(.command == "zstd -dc") | .user + .system' "$JSON")
SC=$(jq -r '.results[] | select(.command == "salvage inspect") | .user + .system' "$JSON")
printf 'cpu time (user+sys, means): zstd %.3f s, salvage %.3f s: ratio %.2f\n' \
	"$ZC" "$SC" "$(awk -v s="$SC" -v z="$ZC" 'BEGIN{print s / z}')"
IDLE_AFTER=$(idle_pct 2)
echo "cpu idle right after the run: $IDLE_AFTER%"

say "peak memory (/usr/bin/time -v, Maximum resident set size)"
for f in "$SMALL" "$BIG"; do
	for cmd in salvage zstd; do
		if [ $cmd = salvage ]; then set -- "$BIN" inspect -q "$f"
		else set -- zstd -dc "$f"; fi
		printf '+ /usr/bin/time -v'; printf ' %q' "$@"; printf ' > /dev/null\n'
		timeout 600 /usr/bin/time -v "$@" >/dev/null 2>"$RES/time.txt"
		rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$RES/time.txt")
		tb=$(zstd -dc "$f" | wc -c)
		members=$(zstd -dc "$f" | tar -tf - | wc -l)
		printf '  %-8s %-40s tar %5d MiB, %7d members: peak RSS %7d KiB (%.1f MiB)\n' \
			$cmd "$(basename "$f")" $((tb >> 20)) "$members" "$rss" \
			"$(awk -v k="$rss" 'BEGIN{print k / 1024}')"
	done
done
echo "results: $JSON $MD"
[ "${BENCH_STRICT:-0}" = 1 ] && [ "$VERDICT" = FAIL ] && exit 1
exit 0
