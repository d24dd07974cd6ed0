#!/usr/bin/env bash
# bench_net.sh [SIZE_MB] - reading, decoding and building flows from a large
# capture of mostly small packets: `salvage analyze` against `tcpdump -r F
# -w /dev/null` and `tshark -r F -q -z conv,tcp` on the same file (issue:
# at least 10x faster than tshark, within 2x of tcpdump, peak memory under
# 256 MB).
#
#   1. builds salvage in Release into BUILD_DIR (incremental);
#   2. makes BENCH_DIR/net-SIZE_MB.pcap with bench/make-capture.sh unless it
#      exists (real captures rewritten with editcap/mergecap/tcprewrite: see
#      there), and prints its packets, flows and average packet size;
#   3. puts it in an unpacked bundle folder BENCH_DIR/net-bundle-SIZE_MB/
#      (manifest.json, pcap/capture.pcap as a hard link to the cached file,
#      SHA256SUMS so custody is verified; salvage refuses symbolic links),
#      made once and remade when the capture changes;
#   4. one `salvage analyze` to check it reads and trusts the bundle, with
#      the sizes of report.xml and report.html and, under strace, the time
#      spent before the first report file and writing each report;
#   5. one hyperfine run, side by side: `salvage analyze FOLDER -o OUT`,
#      `salvage inspect -q FOLDER` (the same reading, decoding and flows
#      without writing reports),
#      `tcpdump -r F -w /dev/null` and, in the same run when TSHARK_RUNS
#      equals RUNS or else in a second run right after,
#      `tshark -r F -q -z conv,tcp`; every command is wrapped in
#      `/usr/bin/time -f %M` for its peak RSS (the largest over the runs);
#   6. the ratios salvage/tcpdump (limit LIMIT_TCPDUMP) and tshark/salvage
#      (at least LIMIT_TSHARK) of the mean wall times, and of the CPU times
#      (user+sys), and salvage's peak RSS against LIMIT_RSS_MB, each PASS or
#      FAIL.
#
# Environment: SIZE_MB (default 1024; the argument wins; try 64 first),
# RUNS (hyperfine runs, default 3), TSHARK_RUNS (default 1: tshark takes
# minutes on 1 GB), BENCH_DIR (default /tmp/salvage-bench), BUILD_DIR
# (default build-release), LIMIT_TCPDUMP (2), LIMIT_TSHARK (10),
# LIMIT_RSS_MB (256), BENCH_BUILD=0 (use BUILD_DIR/salvage as it is),
# BENCH_PERF=1 (also `perf record -g` one salvage analyze and print the
# functions and libraries with the most samples, self time),
# BENCH_WAIT_IDLE (seconds to wait for >= 95% idle CPUs before timing,
# default 0), BENCH_STRICT=1 to exit 1 on any FAIL.
# Disk: the capture (SIZE_MB) stays cached; making it needs twice that.
set -euo pipefail
export LC_ALL=C

SIZE_MB=${1:-${SIZE_MB:-1024}}
case $SIZE_MB in ''|*[!0-9]*) echo "usage: $0 [SIZE_MB]" >&2; exit 2 ;; esac
RUNS=${RUNS:-3}
TSHARK_RUNS=${TSHARK_RUNS:-1}
LIMIT_TCPDUMP=${LIMIT_TCPDUMP:-2}
LIMIT_TSHARK=${LIMIT_TSHARK:-10}
LIMIT_RSS_MB=${LIMIT_RSS_MB:-256}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/salvage-bench}
export BENCH_DIR
BUILD=${BUILD_DIR:-$REPO/build-release}
case $BUILD in /*) ;; *) BUILD=$REPO/$BUILD ;; esac
BIN=$BUILD/salvage
CAP=$BENCH_DIR/net-$SIZE_MB.pcap
FOLDER=$BENCH_DIR/net-bundle-$SIZE_MB
RES=$BENCH_DIR/results
OUTDIR=$RES/net-report-$SIZE_MB
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
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		debconf-set-selections
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -qq
	DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "$2" >/dev/null
}
need hyperfine hyperfine
need jq jq
need cmake cmake
need tcpdump tcpdump
need tshark tshark
need sha256sum coreutils
[ -x /usr/bin/time ] || need /usr/bin/time time

mkdir -p "$BENCH_DIR" "$RES"

say "machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cpus;" \
	"$(tcpdump --version 2>&1 | head -2 | tr '\n' ' ');" \
	"$(tshark --version 2>/dev/null | head -1)"

if [ "${BENCH_BUILD:-1}" = 1 ]; then
	say "build (Release, $BUILD)"
	# warnings are not this script's business: work in progress elsewhere
	# in the tree must not stop a measurement (SV_WERROR=OFF)
	run timeout 900 cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
		-DSV_BUILD_TESTS=OFF -DSV_WERROR=OFF >/dev/null
	run timeout 900 cmake --build "$BUILD" -j"$(nproc)" --target salvage \
		>/dev/null
fi
[ -x "$BIN" ] || { echo "$0: no $BIN" >&2; exit 1; }

say "capture $CAP"
t0=$SECONDS
SALVAGE=$BIN run timeout 3600 "$REPO/bench/make-capture.sh" "$SIZE_MB" >/dev/null
[ $((SECONDS - t0)) -lt 5 ] || echo "generation time: $((SECONDS - t0)) s"

say "bundle folder $FOLDER"
# remade when the capture was (the hard link then points at the old inode)
if [ ! -f "$FOLDER/pcap/capture.pcap" ] || [ ! -s "$FOLDER/SHA256SUMS" ] ||
	[ "$(stat -c %i "$CAP")" != "$(stat -c %i "$FOLDER/pcap/capture.pcap")" ]; then
	rm -rf -- "$FOLDER" "$FOLDER.part"
	mkdir -p "$FOLDER.part/pcap"
	ln "$CAP" "$FOLDER.part/pcap/capture.pcap"
	first=$(capinfos -a -T -r -S "$CAP" | awk -F'\t' '{print int($NF); exit}')
	last=$(capinfos -e -T -r -S "$CAP" | awk -F'\t' '{print int($NF); exit}')
	rfc() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
	cat >"$FOLDER.part/manifest.json" <<EOF
{"format":"salvage-bundle","version":1,"host":"bench","started":"$(rfc "$first")","ended":"$(rfc $((last + 1)))","collector":"salvage bench/bench_net.sh","notes":"real captures merged and rewritten by bench/make-capture.sh ($SIZE_MB MB)"}
EOF
	(cd "$FOLDER.part" && sha256sum manifest.json pcap/capture.pcap) \
		>"$FOLDER.part/SHA256SUMS"
	mv "$FOLDER.part" "$FOLDER"
fi
find "$FOLDER" -type f -printf '  %P %s bytes\n' | sort
sed 's/^/  /' "$CAP.info"

say "sanity: salvage analyze must read and trust the bundle"
rm -rf -- "$OUTDIR"
rc=0
# strace (only the few traced calls stop) dates the report files: the
# time before the first one is the pipeline, the rest report writing
TRACE=()
STRACE_OUT=$RES/net-$SIZE_MB-$STAMP.strace
if command -v strace >/dev/null; then
	TRACE=(strace -f --seccomp-bpf -ttt -e "trace=execve,openat,rename"
		-o "$STRACE_OUT")
fi
run /usr/bin/time -f '%e s, %M KiB peak' timeout 1800 "${TRACE[@]}" \
	"$BIN" analyze -q "$FOLDER" -o "$OUTDIR" || rc=$?
[ "$rc" = 0 ] || { echo "$0: salvage analyze exited $rc" >&2; exit 1; }
if [ -s "$STRACE_OUT" ]; then
	awk '$3 ~ /^execve/ && !t0 { t0 = $2 }
	     $3 ~ /^openat/ && /\.report\.xml\./ { x = $2 }
	     $3 ~ /^rename/ && /report\.xml"\)/ { xe = $2 }
	     $3 ~ /^rename/ && /report\.html"\)/ { he = $2 }
	     END { if (x && xe && he)
		printf "  pipeline (read, hash, decode, flows) %.3f s, report.xml %.3f s, report.html %.3f s\n",
		       x - t0, xe - x, he - xe }' "$STRACE_OUT"
	rm -f "$STRACE_OUT"
fi
grep -o '<network [^>]*' "$OUTDIR/report.xml" | tr ' ' '\n' | sed -n '2,$s/^/  /p'
for f in report.xml report.html; do
	printf '  %-12s %12d bytes\n' "$f" "$(stat -c %s "$OUTDIR/$f")"
done
echo "  <flow> elements in report.xml: $(grep -c '<flow ' "$OUTDIR/report.xml" || :)"

say "speed: one hyperfine run, side by side"
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

# every command under /usr/bin/time, which appends its peak RSS (KiB) to
# RES/rss-<name>-STAMP.txt once per run (warmups included)
rss_file() { echo "$RES/rss-$1-$STAMP.txt"; }
timed() { # NAME COMMAND-STRING
	printf '/usr/bin/time -a -o %q -f %%M %s' "$(rss_file "$1")" "$2"
}
S_CMD="$BIN analyze -q $FOLDER -o $OUTDIR"
I_CMD="$BIN inspect -q $FOLDER"
D_CMD="tcpdump -r $CAP -w /dev/null"
T_CMD="tshark -r $CAP -q -z conv,tcp"
MAIN=(-n "salvage analyze" "$(timed analyze "$S_CMD") > /dev/null"
	-n "salvage inspect" "$(timed inspect "$I_CMD") > /dev/null"
	-n "tcpdump" "$(timed tcpdump "$D_CMD") 2> /dev/null")
TSH=(-n "tshark" "$(timed tshark "$T_CMD") > /dev/null 2>&1")
echo "commands (each under /usr/bin/time -a -o RES/rss-NAME-$STAMP.txt -f %M):"
printf '  %s\n' "$S_CMD" "$I_CMD" "$D_CMD > /dev/null" "$T_CMD"
JSON=$RES/net-$SIZE_MB-$STAMP.json
MD=$RES/net-$SIZE_MB-$STAMP.md
if [ "$TSHARK_RUNS" = "$RUNS" ]; then
	run timeout 7200 hyperfine --warmup 1 --runs "$RUNS" \
		--export-json "$JSON" --export-markdown "$MD" "${MAIN[@]}" "${TSH[@]}"
else
	run timeout 3600 hyperfine --warmup 1 --runs "$RUNS" \
		--export-json "$JSON.1" --export-markdown "$MD" "${MAIN[@]}"
	echo "tshark: its own run right after (TSHARK_RUNS=$TSHARK_RUNS, no warmup:" \
		"the file is in the page cache already)"
	run timeout 7200 hyperfine --runs "$TSHARK_RUNS" \
		--export-json "$JSON.2" --export-markdown "$MD.2" "${TSH[@]}"
	tail -n +3 "$MD.2" >>"$MD"
	rm -f "$MD.2"
	jq -s '{results: (.[0].results + .[1].results)}' "$JSON.1" "$JSON.2" >"$JSON"
	rm -f "$JSON.1" "$JSON.2"
fi
cat "$MD"
IDLE_AFTER=$(idle_pct 2)
echo "cpu idle right after the run: $IDLE_AFTER%"

say "results"
mean() { jq -r --arg c "$1" '.results[] | select(.command == $c) | .mean' "$JSON"; }
sdev() { jq -r --arg c "$1" '.results[] | select(.command == $c) | .stddev // 0' "$JSON"; }
cpu() { jq -r --arg c "$1" '.results[] | select(.command == $c) | .user + .system' "$JSON"; }
rss() { sort -n "$(rss_file "$1")" | tail -1; }
printf '  %-16s %18s %10s %14s\n' command "wall mean ± sd" "cpu mean" "peak RSS"
for c in "salvage analyze:analyze" "salvage inspect:inspect" "tcpdump:tcpdump" "tshark:tshark"; do
	name=${c%%:*} key=${c#*:}
	printf '  %-16s %9.3f ± %5.3f s %8.3f s %10.1f MiB\n' "$name" \
		"$(mean "$name")" "$(sdev "$name")" "$(cpu "$name")" \
		"$(awk -v k="$(rss "$key")" 'BEGIN { print k / 1024 }')"
done
S=$(mean "salvage analyze")
D=$(mean tcpdump) T=$(mean tshark)
SC=$(cpu "salvage analyze") DC=$(cpu tcpdump) TC=$(cpu tshark)
SR=$(rss analyze)
verdict() { awk -v v="$1" -v op="$2" -v l="$3" \
	'BEGIN { ok = op == "<=" ? v <= l : v >= l; print ok ? "PASS" : "FAIL" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
R1=$(ratio "$S" "$D") R2=$(ratio "$T" "$S")
R1C=$(ratio "$SC" "$DC") R2C=$(ratio "$TC" "$SC")
SR_MB=$(awk -v k="$SR" 'BEGIN { printf "%.1f", k / 1024 }')
V1=$(verdict "$R1" "<=" "$LIMIT_TCPDUMP") V2=$(verdict "$R2" ">=" "$LIMIT_TSHARK")
V3=$(verdict "$SR_MB" "<=" "$LIMIT_RSS_MB")
echo "salvage/tcpdump: $R1 (cpu $R1C), limit $LIMIT_TCPDUMP: $V1"
echo "tshark/salvage:  $R2 (cpu $R2C), at least $LIMIT_TSHARK: $V2"
echo "salvage peak RSS: $SR_MB MiB, limit $LIMIT_RSS_MB MiB: $V3"
echo "results: $JSON $MD"

if [ "${BENCH_PERF:-0}" = 1 ] && command -v perf >/dev/null; then
	say "where salvage analyze spends its time (perf, self time)"
	PERF=$RES/net-$SIZE_MB-$STAMP.perf
	echo "+ perf record -q -g -o $PERF $S_CMD"
	# shellcheck disable=SC2086 # S_CMD is words without spaces
	perf record -q -g -o "$PERF" $S_CMD >/dev/null 2>&1
	perf report -i "$PERF" --no-children --sort dso,symbol --stdio \
		--percent-limit 1 -g none 2>/dev/null | grep -v '^#' | grep -v '^$' |
		head -25
	echo "by library:"
	perf report -i "$PERF" --no-children --sort dso --stdio -g none \
		--percent-limit 1 2>/dev/null | grep -v '^#' | grep -v '^$'
	echo "profile: $PERF (perf report -i $PERF)"
fi
if [ "${BENCH_STRICT:-0}" = 1 ]; then
	for v in "$V1" "$V2" "$V3"; do [ "$v" = PASS ] || exit 1; done
fi
exit 0
