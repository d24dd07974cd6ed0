#!/usr/bin/env bash
# make-bundle.sh OUT.tar.zst [SIZE_MB] - a realistic capture bundle (DESIGN.md §1)
# of about SIZE_MB (default 1024) of tar stream, i.e. what `zstd -dc OUT` emits.
#
# Content, all real and taken on THIS machine or from the shared corpus:
#   proc/<T>/...    REAL_SNAPSHOTS (default 3) real snapshots of every process in
#                   /proc (stat, status, cmdline, environ, cgroup, io, comm with cat;
#                   exe/cwd/root.link with readlink; fd.links and ns.links; net/*
#                   tables for one pid per network namespace), replicated with new
#                   T values every 2 s until /proc + cgroup fill their share;
#   cgroup/<T>/...  real cgroup stat files from /sys/fs/cgroup, same snapshots;
#   events/dmesg.txt  the real kernel ring buffer;
#   pcap/*.pcap     the real Ethernet and Linux-SLL2 captures of
#                   /work/shared/corpus/pcap, aligned to the bundle start with
#                   editcap and repeated back to back with mergecap (about
#                   PCAP_SHARE percent of the bytes, in tcpdump -G style rotation
#                   files of 64-256 MB);
#   manifest.json, SHA256SUMS (sha256sum over every other file).
# Packed with `tar --zstd` (zstd default level 3, -T0) under one leading folder.
#
# Environment: BENCH_DIR (work area, default /tmp/salvage-bench), PCAP_SHARE
# (percent of the tar stream, default 65), REAL_SNAPSHOTS (default 3),
# CORPUS (default /work/shared/corpus).
# Needs: bash, coreutils, findutils, GNU tar, zstd, mergecap/editcap/capinfos
# (Debian wireshark-common: installed if missing, when run as root).
set -euo pipefail
export LC_ALL=C

usage() { echo "usage: $0 OUT.tar.zst [SIZE_MB]" >&2; exit 2; }
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
OUT=$1
SIZE_MB=${2:-1024}
case $SIZE_MB in ''|*[!0-9]*) usage ;; esac
[ "$SIZE_MB" -ge 16 ] || { echo "$0: SIZE_MB must be >= 16" >&2; exit 2; }

BENCH_DIR=${BENCH_DIR:-/tmp/salvage-bench}
PCAP_SHARE=${PCAP_SHARE:-65}
REAL_SNAPSHOTS=${REAL_SNAPSHOTS:-3}
CORPUS=${CORPUS:-/work/shared/corpus}
SNAP_STEP=2 # seconds between snapshots

log() { printf '[make-bundle %5ss] %s\n' "$SECONDS" "$*" >&2; }

need_wireshark_tools() {
	command -v mergecap >/dev/null && command -v editcap >/dev/null &&
		command -v capinfos >/dev/null && return 0
	[ "$(id -u)" = 0 ] || { echo "$0: needs mergecap/editcap/capinfos (apt-get install wireshark-common)" >&2; exit 1; }
	log "installing wireshark-common (mergecap, editcap, capinfos)"
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		debconf-set-selections
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -qq
	DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq \
		wireshark-common >/dev/null
}

for t in tar zstd sha256sum find xargs; do
	command -v $t >/dev/null || { echo "$0: $t is missing" >&2; exit 1; }
done
need_wireshark_tools

mkdir -p "$BENCH_DIR"
WORK=$(mktemp -d "$BENCH_DIR/make-bundle.XXXXXX")
cleanup() { rm -rf -- "$WORK"; }
trap cleanup EXIT
START_T=$(date +%s)
HOST=$(hostname 2>/dev/null || echo host)
ROOTNAME="$HOST-$(date -u -d "@$START_T" +%Y-%m-%dT%H%M%SZ)"
ROOT=$WORK/$ROOTNAME
TMPL=$WORK/tmpl
mkdir -p "$ROOT"/{proc,cgroup,events,pcap} "$TMPL"
TARGET=$((SIZE_MB * 1024 * 1024))

# tar bytes a tree adds to the stream (headers, padding; no end blocks)
tar_footprint() { # DIR...
	local n
	n=$(tar -cf - --hard-dereference "$@" | wc -c)
	echo $((n - 10240 > 0 ? n - 10240 : n))
}

# ---------------------------------------------------------------- /proc ----
# One real snapshot of every process into $1 (proc/<T> layout, without <T>).
snap_pid() { # DEST PROC_DIR
	local dst=$1/${2#/proc/} p=$2 f
	mkdir "$dst"
	for f in stat status cmdline environ cgroup io comm; do
		cat "$p/$f" >"$dst/$f" 2>/dev/null || rm -f "$dst/$f"
	done
	if [ ! -s "$dst/stat" ]; then # gone while we looked
		rm -rf -- "$dst"
		return 0
	fi
	for f in exe cwd root; do # kernel threads have no exe
		readlink "$p/$f" >"$dst/$f.link" 2>/dev/null || rm -f "$dst/$f.link"
	done
	# "<fd> <target>" and "<name> <target>"; links we may not read are left out
	find "$p/fd" "$p/ns" -mindepth 1 -maxdepth 1 -printf '%h %f %l\n' \
		2>/dev/null | awk -v fd="$dst/fd.links" -v ns="$dst/ns.links" '
			BEGIN { printf "" > fd; printf "" > ns }
			NF == 3 { n = split($1, a, "/")
				print $2, $3 > (a[n] == "fd" ? fd : ns) }' || true
}

# One real snapshot of every process into $1 (proc/<T> layout, without <T>);
# forks cost ~5 ms here, so the pids are shared among SHARDS workers.
snap_proc() {
	local d=$1 p i=0 pid name target net seen="" f
	local shards=$(($(nproc) > 1 ? $(nproc) : 1))
	mkdir -p "$d"
	cat /proc/stat >"$d/stat"
	cat /proc/uptime >"$d/uptime"
	local pids=(/proc/[0-9]*) # one listing, shared by the workers
	for ((i = 0; i < shards; i++)); do
		(
			for ((n = i; n < ${#pids[@]}; n += shards)); do
				snap_pid "$d" "${pids[n]}"
			done
		) &
	done
	wait
	for p in "$d"/[0-9]*; do # net tables: one pid per network namespace
		pid=${p##*/}
		net=""
		while read -r name target; do
			[ "$name" = net ] && net=$target
		done <"$p/ns.links"
		if [ -n "$net" ] && [[ $seen != *"|$net|"* ]]; then
			seen="$seen|$net|"
			mkdir "$p/net"
			for f in tcp tcp6 udp udp6 unix; do
				cat "/proc/$pid/net/$f" >"$p/net/$f" 2>/dev/null ||
					rm -f "$p/net/$f"
			done
		fi
	done
}

# Real cgroup statistics: root and every group one level below it (docker,
# libpod_parent, system.slice...) for the v1 controllers, or the v2 tree.
snap_cgroup() {
	local d=$1 f rel
	mkdir -p "$d"
	find /sys/fs/cgroup -maxdepth 3 -type f \( \
		-name memory.stat -o -name memory.usage_in_bytes -o \
		-name memory.max_usage_in_bytes -o -name memory.limit_in_bytes -o \
		-name memory.current -o -name memory.max -o -name memory.events -o \
		-name cpu.stat -o -name cpuacct.usage -o -name cpuacct.stat -o \
		-name cpuacct.usage_percpu -o -name pids.current -o -name pids.max -o \
		-name io.stat -o -name blkio.throttle.io_service_bytes -o \
		-name blkio.throttle.io_serviced -o -name cpu.pressure -o \
		-name memory.pressure -o -name io.pressure -o -name cgroup.procs \) \
		2>/dev/null | sort | while read -r f; do
		rel=${f#/sys/fs/cgroup/}
		mkdir -p "$d/$(dirname "$rel")"
		cat "$f" >"$d/$rel" 2>/dev/null || rm -f "$d/$rel"
	done
}

log "taking $REAL_SNAPSHOTS real /proc and cgroup snapshots"
for ((i = 0; i < REAL_SNAPSHOTS; i++)); do
	[ "$i" = 0 ] || sleep 1
	snap_proc "$TMPL/proc.$i"
	snap_cgroup "$TMPL/cgroup.$i"
done
dmesg >"$ROOT/events/dmesg.txt" 2>/dev/null || : >"$ROOT/events/dmesg.txt"

# ---------------------------------------------------------------- pcap ----
# The Ethernet captures of the corpus that libpcap reads cleanly, each moved
# to start at START_T, merged by time into one "unit" of mixed traffic; the
# same for the Linux SLL2 ("tcpdump -i any") ones.
PC=$CORPUS/pcap
ETH_SRC=(zeek_http_bro.org.pcap zeek_http_docker-http-upgrade.pcap
	zeek_quic_merlinc2_Zeek_example.pcapng zeek_tls_tls13-ech.pcap
	zeek_tls_chrome-1250-tls-x25519-kyber.pcap
	zeek_tunnels_vxlan-encapsulated-http.pcap zeek_ipv6-fragmented-dns.pcap
	zeek_dns_tm1t.pcap zeek_dns-txt-multiple.pcap
	tcpdump_ipv4_tcp_http_xml.pcap tcpdump_802.1ad_QinQ.pcap)
SLL2_SRC=(zeek_linux_dlt_sll2.pcap zeek_tls_openjdk-25.0.2-zeek.org.pcap)

first_ts() { capinfos -a -T -r -S "$1" | awk -F'\t' '{print $NF; exit}'; }
last_ts() { capinfos -e -T -r -S "$1" | awk -F'\t' '{print $NF; exit}'; }

make_unit() { # OUT SRC...
	local out=$1 s n=0 shift_s
	shift
	local parts=()
	for s in "$@"; do
		[ -f "$PC/$s" ] || { log "missing $PC/$s, skipped"; continue; }
		shift_s=$(awk -v a="$(first_ts "$PC/$s")" -v t="$START_T" \
			'BEGIN{printf "%.6f", t - a}')
		editcap -F pcap -t "$shift_s" "$PC/$s" "$WORK/u.$n.pcap"
		parts+=("$WORK/u.$n.pcap")
		n=$((n + 1))
	done
	mergecap -F pcap -w "$out" "${parts[@]}"
	rm -f "${parts[@]}"
}

# double IN until it holds 2^k copies back to back (each copy shifted by the
# span so far plus 1 s); prints nothing, writes OUT
double_to() { # IN OUT K
	local cur=$WORK/d.cur.pcap k=$3 span
	cp "$1" "$cur"
	while [ "$k" -gt 0 ]; do
		span=$(awk -v a="$(first_ts "$cur")" -v b="$(last_ts "$cur")" \
			'BEGIN{printf "%.6f", b - a + 1}')
		editcap -F pcap -t "$span" "$cur" "$WORK/d.shift.pcap"
		mergecap -F pcap -a -w "$WORK/d.next.pcap" "$cur" "$WORK/d.shift.pcap"
		mv "$WORK/d.next.pcap" "$cur"
		rm -f "$WORK/d.shift.pcap"
		k=$((k - 1))
	done
	mv "$cur" "$2"
}

log "building pcap units from $PC"
make_unit "$WORK/unit-eth.pcap" "${ETH_SRC[@]}"
make_unit "$WORK/unit-sll2.pcap" "${SLL2_SRC[@]}"
PCAP_TARGET=$((TARGET * PCAP_SHARE / 100))
ETH_TARGET=$((PCAP_TARGET * 97 / 100))
SLL2_TARGET=$((PCAP_TARGET - ETH_TARGET))
UNIT=$(stat -c %s "$WORK/unit-eth.pcap")

# rotation file: 2^k units, k the largest with a file <= 256 MB and at most
# a quarter of the Ethernet target; then as many rotation files as fit the target
k=0
while [ $((UNIT << (k + 1))) -le $((256 << 20)) ] &&
	[ $((UNIT << (k + 1))) -le $((ETH_TARGET / 4)) ]; do k=$((k + 1)); done
log "Ethernet unit $UNIT bytes; rotation file = 2^$k units"
double_to "$WORK/unit-eth.pcap" "$WORK/rot.pcap" "$k"
ROT=$(stat -c %s "$WORK/rot.pcap")
NROT=$(((ETH_TARGET + ROT / 2) / ROT))
[ "$NROT" -ge 1 ] || NROT=1
ROT_SPAN=$(awk -v a="$(first_ts "$WORK/rot.pcap")" -v b="$(last_ts "$WORK/rot.pcap")" \
	'BEGIN{printf "%.6f", b - a + 1}')
for ((i = 0; i < NROT; i++)); do
	f=$ROOT/pcap/eth0-$(printf '%04d' "$i").pcap
	if [ "$i" = 0 ]; then
		cp "$WORK/rot.pcap" "$f"
	else
		editcap -F pcap -t "$(awk -v s="$ROT_SPAN" -v i="$i" \
			'BEGIN{printf "%.6f", s * i}')" "$WORK/rot.pcap" "$f"
	fi
done
rm -f "$WORK/rot.pcap"

USLL=$(stat -c %s "$WORK/unit-sll2.pcap")
k=0
while [ $((USLL << (k + 1))) -le "$SLL2_TARGET" ]; do k=$((k + 1)); done
double_to "$WORK/unit-sll2.pcap" "$ROOT/pcap/any.pcap" "$k"
rm -f "$WORK"/unit-*.pcap

# ------------------------------------------------- replicate snapshots ----
# one snapshot's share of the tar stream: its members plus its SHA256SUMS
# lines ("<64 hex>  proc/<10-digit T>/<rel>\n"), averaged over the real ones
FIXED=$(tar_footprint -C "$WORK" "$ROOTNAME")
SNAP=0
for ((j = 0; j < REAL_SNAPSHOTS; j++)); do
	s=$(tar_footprint -C "$TMPL" "proc.$j" "cgroup.$j")
	sums=$(find "$TMPL/proc.$j" "$TMPL/cgroup.$j" -type f -printf '%P\n' |
		awk '{ n += 64 + 2 + 7 + length($0) + 11 + 1 } END { print n + 0 }')
	SNAP=$((SNAP + s + sums))
done
SNAP=$((SNAP / REAL_SNAPSHOTS))
N=$(((TARGET - FIXED - 16384 + SNAP / 2) / SNAP))
[ "$N" -ge 1 ] || N=1
log "pcap+events $FIXED bytes of tar; one snapshot $SNAP bytes; $N snapshots"
for ((i = 0; i < N; i++)); do
	T=$((START_T + i * SNAP_STEP))
	j=$((i % REAL_SNAPSHOTS))
	cp -al "$TMPL/proc.$j" "$ROOT/proc/$T"
	cp -al "$TMPL/cgroup.$j" "$ROOT/cgroup/$T"
done
END_T=$((START_T + (N - 1) * SNAP_STEP))

BTIME=$(awk '$1 == "btime" {print $2}' /proc/stat)
rfc() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
cat >"$ROOT/manifest.json" <<EOF
{"format":"salvage-bundle","version":1,"host":"$HOST","started":"$(rfc "$START_T")","ended":"$(rfc "$END_T")","collector":"salvage bench/make-bundle.sh","boot_time":$BTIME,"clk_tck":$(getconf CLK_TCK),"notes":"benchmark bundle: $REAL_SNAPSHOTS real /proc snapshots of this host replicated every $SNAP_STEP s ($N snapshots); corpus pcaps repeated with mergecap/editcap"}
EOF

log "sha256sum over every file"
(cd "$ROOT" && find . -type f ! -path ./SHA256SUMS -printf '%P\0' | sort -z |
	xargs -0 -n 2000 -P 2 sha256sum | sort -k2) >"$WORK/SHA256SUMS"
mv "$WORK/SHA256SUMS" "$ROOT/SHA256SUMS"

log "tar --zstd (level 3, -T0)"
mkdir -p "$(dirname -- "$OUT")"
tar -C "$WORK" --sort=name --hard-dereference --owner=0 --group=0 \
	--numeric-owner -I 'zstd -3 -T0' -cf "$OUT.part" "$ROOTNAME"
mv "$OUT.part" "$OUT"

FILES=$(wc -l <"$ROOT/SHA256SUMS")
PCAP_BYTES=$(du -cb --apparent-size "$ROOT"/pcap/* | tail -1 | cut -f1)
log "done: $OUT, $((FILES + 1)) files, $N snapshots, pcap $PCAP_BYTES bytes, stored $(stat -c %s "$OUT") bytes"
