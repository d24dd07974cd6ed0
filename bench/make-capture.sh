#!/usr/bin/env bash
# make-capture.sh [SIZE_MB] - a packet capture of about SIZE_MB (default 1024)
# MiB of mostly small packets from a few hundred thousand flows, like a busy
# container host, for bench/bench_net.sh. Cached: BENCH_DIR/net-SIZE_MB.pcap
# and its figures in BENCH_DIR/net-SIZE_MB.pcap.info (key=value lines); an
# existing pair is reused (FORCE=1 makes it again). Prints the capture's
# packets, flows, average packet size and how it was made.
#
# Content, all real traffic, rewritten with the standard tools only:
#   sources   tests/readers/data/capture/web-incident-bridge.pcap (real
#             `tcpdump -i any -s 512` of a podman bridge, Linux SLL2) and the
#             genuine captures of CORPUS/pcap (SOURCES.md there) that libpcap
#             reads and that are not hand-made or damaged; each turned into
#             Ethernet: Ethernet ones as they are (`editcap -F pcap`), Linux
#             cooked (SLL/SLL2) ones split by `tcpdump 'ip'` / `'ip6'`, their
#             cooked header chopped (`editcap -L -C 16|20 -T rawip`), the
#             veth/bridge double copies of `-i any` removed (`editcap -D 16`)
#             and an Ethernet header put on (`tcprewrite --dlt=user`, fixed
#             locally administered MACs). Left out: NFLOG (no tool turns it
#             into Ethernet), the hand-written, truncated and corrupt files,
#             and the pcapng that libpcap refuses;
#   unit      every source aligned to the bridge capture's start (`editcap
#             -t`), the small-packet ones repeated (bridge x24, docker API x4,
#             see SOURCES below), each repeat with its own addresses
#             (`tcprewrite --seed`) and REP_STEP s later, merged by time
#             (`mergecap`): 2.4 MB, 15,463 packets, 1,171 flows, 3/4 of the
#             frames <= 128 bytes;
#   copies    as many copies of the unit as fill SIZE_MB, copy i with its own
#             addresses (`tcprewrite --seed`, seeds spread over all 32 bits)
#             and starting i*COPY_STEP s after copy 0, so that some 80 copies
#             (the unit's busy part lasts ~80 s) are live at once; merged by
#             time in chunks of 32 copies, then all chunks (`mergecap`).
# At 1024: 6,989,276 packets, 529,292 flows, 138 bytes average, 13 minutes
# of traffic; made in about a minute on 2 vCPUs.
# One link type in the result: Ethernet, microsecond pcap. Packets come from
# `capinfos`, flows from salvage's own report (`salvage analyze` on a bundle
# folder holding the capture; skipped when SALVAGE is not built).
#
# Environment: BENCH_DIR (default /tmp/salvage-bench), CORPUS (default
# /work/shared/corpus), SALVAGE (default build-release/salvage), COPY_STEP
# (default 1 s), REP_STEP (default 2.5 s), FORCE=1.
# Needs: bash, coreutils, tcpdump, editcap/mergecap/capinfos (Debian
# wireshark-common), tcprewrite (Debian tcpreplay), tshark for the size mix;
# installed if missing, when run as root. Peak disk: about 2 x SIZE_MB.
set -euo pipefail
export LC_ALL=C

usage() { echo "usage: $0 [SIZE_MB]" >&2; exit 2; }
[ $# -le 1 ] || usage
SIZE_MB=${1:-1024}
case $SIZE_MB in ''|*[!0-9]*) usage ;; esac
[ "$SIZE_MB" -ge 4 ] || { echo "$0: SIZE_MB must be >= 4" >&2; exit 2; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/salvage-bench}
CORPUS=${CORPUS:-/work/shared/corpus}
SALVAGE=${SALVAGE:-$REPO/build-release/salvage}
COPY_STEP=${COPY_STEP:-1}
REP_STEP=${REP_STEP:-2.5}
OUT=$BENCH_DIR/net-$SIZE_MB.pcap
INFO=$OUT.info
PC=$CORPUS/pcap
BRIDGE=$REPO/tests/readers/data/capture/web-incident-bridge.pcap
CHUNK=32 # copies merged at once
# source (relative to CORPUS/pcap unless absolute) and times in the unit
SOURCES=(
	"$BRIDGE 24"
	"zeek_http_docker-http-upgrade.pcap 4"
	"zeek_http_bro.org.pcap 1"
	"zeek_tls_tls13-ech.pcap 1"
	"zeek_tls_chrome-1250-tls-x25519-kyber.pcap 1"
	"zeek_tls_openjdk-25.0.2-zeek.org.pcap 1"
	"zeek_quic_merlinc2_Zeek_example.pcapng 1"
	"zeek_tunnels_vxlan-encapsulated-http.pcap 1"
	"zeek_ipv6-fragmented-dns.pcap 1"
	"zeek_dns_tm1t.pcap 1"
	"zeek_dns-txt-multiple.pcap 1"
	"zeek_pcapng-multi-interface.pcapng 1"
	"zeek_linux_dlt_sll2.pcap 1"
	"tcpdump_tcp-handshake-nano.pcap 1"
	"tcpdump_ipv4_tcp_http_xml.pcap 1"
	"tcpdump_802.1ad_QinQ.pcap 1"
)
# Ethernet header put on cooked captures: dst, src (locally administered)
MACS=02,00,5e,10,00,02,02,00,5e,10,00,01

log() { printf '[make-capture %5ss] %s\n' "$SECONDS" "$*" >&2; }

show_info() {
	local k v
	while IFS='=' read -r k v; do
		printf '  %-14s %s\n' "$k" "$v"
	done <"$INFO"
}

if [ -s "$OUT" ] && [ -s "$INFO" ] && [ "${FORCE:-0}" != 1 ]; then
	log "cached: $OUT (FORCE=1 to make it again)"
	show_info
	echo "$OUT"
	exit 0
fi

need() { # TOOL DEBIAN-PACKAGE
	command -v "$1" >/dev/null && return 0
	[ "$(id -u)" = 0 ] || { echo "$0: $1 is missing (apt-get install $2)" >&2; exit 1; }
	log "installing $2 for $1"
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		debconf-set-selections
	DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -qq
	DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "$2" >/dev/null
}
need editcap wireshark-common
need mergecap wireshark-common
need capinfos wireshark-common
need tshark tshark
need tcpdump tcpdump
need tcprewrite tcpreplay

mkdir -p "$BENCH_DIR"
WORK=$(mktemp -d "$BENCH_DIR/make-capture.XXXXXX")
TOOLLOG=$WORK/tools.log
cleanup() {
	local rc=$?
	if [ $rc != 0 ] && [ -s "$TOOLLOG" ]; then
		echo "$0: failed; last tool messages:" >&2
		tail -5 "$TOOLLOG" >&2
	fi
	rm -rf -- "$WORK"
}
trap cleanup EXIT
export TOOLLOG

first_ts() { capinfos -a -T -r -S "$1" | awk -F'\t' '{print $NF; exit}'; }
packets() { capinfos -c -T -r "$1" | awk -F'\t' '{print $NF; exit}'; }
encap() { capinfos -E -T -r "$1" | awk -F'\t' '{print $NF; exit}'; }
# a tcprewrite seed spread over all 32 bits (Knuth's multiplicative hash):
# tcprewrite mixes it into every address word, so small seeds would only
# touch the last octet and copies would share addresses
seed_of() { echo $(((($1) * 2654435761) % 4294967296)); }

# Linux cooked (SLL: 16-byte header, SLL2: 20) to Ethernet, IP frames only
cooked_to_eth() { # IN OUT HDRLEN
	local in=$1 out=$2 hl=$3 fam type parts=() t
	for fam in ip:08,00 ip6:86,dd; do
		type=${fam#*:} fam=${fam%%:*}
		t=$WORK/cooked.$fam
		tcpdump -r "$in" -w "$t.f.pcap" "$fam" 2>>"$TOOLLOG"
		[ "$(packets "$t.f.pcap")" -gt 0 ] || continue
		editcap -F pcap -L -C "$hl" -T rawip "$t.f.pcap" "$t.raw.pcap"
		# -i any: a bridged frame is seen on the veth and on the bridge
		editcap -D 16 "$t.raw.pcap" "$t.dedup.pcap" >>"$TOOLLOG" 2>&1
		tcprewrite --dlt=user --user-dlt=1 --user-dlink="$MACS,$type" \
			-i "$t.dedup.pcap" -o "$t.eth.pcap" 2>>"$TOOLLOG"
		parts+=("$t.eth.pcap")
	done
	mergecap -F pcap -w "$out" "${parts[@]}"
	rm -f "$WORK"/cooked.*
}

to_eth() { # IN OUT
	case $(encap "$1") in
	linux-sll2) cooked_to_eth "$1" "$2" 20 ;;
	linux-sll) cooked_to_eth "$1" "$2" 16 ;;
	ether) editcap -F pcap "$1" "$2" ;;
	*) echo "$0: $1: link type $(encap "$1") not handled" >&2; exit 1 ;;
	esac
}

# ------------------------------------------------------------- unit ----
T0=$(first_ts "$BRIDGE")
T0=${T0%.*}
log "unit: ${#SOURCES[@]} real captures to Ethernet, aligned to $T0"
k=0
for s in "${SOURCES[@]}"; do
	f=${s% *} reps=${s##* }
	case $f in /*) ;; *) f=$PC/$f ;; esac
	[ -f "$f" ] || { echo "$0: missing source $f" >&2; exit 1; }
	to_eth "$f" "$WORK/src.pcap"
	base=$(awk -v a="$(first_ts "$WORK/src.pcap")" -v t="$T0" \
		'BEGIN{printf "%.6f", t - a}')
	for ((r = 0; r < reps; r++)); do
		k=$((k + 1))
		src=$WORK/src.pcap
		if [ "$r" -gt 0 ]; then # repeats: new addresses
			tcprewrite --seed="$(seed_of $((k + 7777)))" \
				-i "$src" -o "$WORK/rep.pcap" 2>>"$TOOLLOG"
			src=$WORK/rep.pcap
		fi
		editcap -F pcap -t "$(awk -v b="$base" -v r="$r" -v s="$REP_STEP" \
			'BEGIN{printf "%.6f", b + r * s}')" "$src" \
			"$WORK/unit.$(printf '%03d' $k).pcap"
	done
	rm -f "$WORK/src.pcap" "$WORK/rep.pcap"
done
mergecap -F pcap -w "$WORK/unit.pcap" "$WORK"/unit.[0-9]*.pcap
rm -f "$WORK"/unit.[0-9]*.pcap
UNIT_BYTES=$(stat -c %s "$WORK/unit.pcap")
UNIT_PKTS=$(packets "$WORK/unit.pcap")
MIX=$(tshark -r "$WORK/unit.pcap" -T fields -e frame.len 2>/dev/null | awk '
	{ n++; if ($1 <= 128) a++; if ($1 <= 256) b++; if ($1 > 1000) c++ }
	END { printf "%.0f%% <= 128 B, %.0f%% <= 256 B, %.0f%% > 1000 B",
	      100 * a / n, 100 * b / n, 100 * c / n }')
log "unit: $UNIT_PKTS packets, $UNIT_BYTES bytes; frame sizes: $MIX"

# ----------------------------------------------------------- copies ----
TARGET=$((SIZE_MB * 1024 * 1024))
COPIES=$(((TARGET - 24 + UNIT_BYTES - 25) / (UNIT_BYTES - 24)))
NCHUNK=$(((COPIES + CHUNK - 1) / CHUNK))
log "$COPIES copies of the unit, $COPY_STEP s apart, in $NCHUNK chunks"

# copy c (0-based; copy 0 keeps the unit's addresses), shifted c*COPY_STEP
make_chunk() { # CHUNK-INDEX
	local b=$1 c d=$WORK/chunk.$1 last
	mkdir "$d"
	last=$(((b + 1) * CHUNK < COPIES ? (b + 1) * CHUNK : COPIES))
	for ((c = b * CHUNK; c < last; c++)); do
		if [ "$c" = 0 ]; then
			cp "$WORK/unit.pcap" "$d/c.pcap"
		else
			tcprewrite --seed="$(seed_of "$c")" -i "$WORK/unit.pcap" \
				-o "$d/s.pcap" 2>>"$TOOLLOG"
			editcap -F pcap -t "$(awk -v c="$c" -v s="$COPY_STEP" \
				'BEGIN{printf "%.6f", c * s}')" "$d/s.pcap" \
				"$d/c.$(printf '%06d' "$c").pcap"
			rm -f "$d/s.pcap"
		fi
	done
	mergecap -F pcap -w "$WORK/chunk-$(printf '%05d' "$b").pcap" "$d"/c*.pcap
	rm -rf -- "$d"
}
export -f make_chunk seed_of
export WORK CHUNK COPIES COPY_STEP
seq 0 $((NCHUNK - 1)) |
	xargs -P "$(nproc)" -I{} bash -c 'set -euo pipefail; make_chunk {}'
log "merging $NCHUNK chunks by time"
mergecap -F pcap -w "$OUT.part" "$WORK"/chunk-*.pcap
rm -f "$WORK"/chunk-*.pcap
mv "$OUT.part" "$OUT"

# ---------------------------------------------------------- figures ----
capinfos -E -c -d -z -u -M "$OUT" >"$WORK/capinfos.txt"
cap() { awk -F': *' -v k="$1" '$1 == k { sub(/ (bytes|seconds)$/, "", $2)
	print $2; exit }' "$WORK/capinfos.txt"; }
LINK=$(cap "File encapsulation") PKTS=$(cap "Number of packets")
DATA=$(cap "Data size") AVG=$(cap "Average packet size")
DUR=$(cap "Capture duration")
FLOWS="? (salvage not built: $SALVAGE)"
if [ -x "$SALVAGE" ]; then
	log "counting flows with $SALVAGE analyze"
	mkdir -p "$WORK/bundle/pcap"
	ln "$OUT" "$WORK/bundle/pcap/capture.pcap"
	printf '{"format":"salvage-bundle","version":1,"host":"bench","started":"%s","ended":"%s","collector":"salvage bench/make-capture.sh"}\n' \
		"$(date -u -d "@$T0" +%Y-%m-%dT%H:%M:%SZ)" \
		"$(date -u -d "@$T0" +%Y-%m-%dT%H:%M:%SZ)" \
		>"$WORK/bundle/manifest.json"
	"$SALVAGE" analyze "$WORK/bundle" -o "$WORK/report" >/dev/null 2>&1 || :
	FLOWS=$(grep -o '<network [^>]*' "$WORK/report/report.xml" 2>/dev/null |
		grep -o ' flows="[0-9]*"' | tr -dc 0-9)
	[ -n "$FLOWS" ] || FLOWS="? (no report.xml from $SALVAGE)"
fi
{
	echo "file=$OUT"
	echo "bytes=$(stat -c %s "$OUT")"
	echo "link=$LINK"
	echo "packets=$PKTS"
	echo "flows=$FLOWS"
	echo "avg_packet=$AVG bytes (captured; $DATA bytes of packet data)"
	echo "frame_sizes=$MIX"
	echo "duration=$DUR s"
	echo "copies=$COPIES of a unit of $UNIT_PKTS packets, $COPY_STEP s apart"
} >"$INFO"
log "done"
show_info
echo "$OUT"
