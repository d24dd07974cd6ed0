# shellcheck shell=bash
# lib-capture.sh: write a salvage capture bundle, version 1 (docs: /work/shared/DESIGN.md,
# section 1). Sourced by make-samples.sh; every function writes below a bundle root
# directory passed as its first argument. Everything is copied byte for byte with cat/cp,
# and a process or cgroup vanishing in the middle of a read is never an error.

# RFC 3339 UTC with milliseconds, for manifest.json and podman events --since/--until.
cap_now_rfc3339() {
	date -u +%Y-%m-%dT%H:%M:%S.%3NZ
}

# Seconds since boot (first field of /proc/uptime).
cap_uptime() {
	local up _
	read -r up _ </proc/uptime
	printf '%s\n' "$up"
}

# cap_snapshot ROOT T PID...: one process snapshot at time T: the host's /proc/stat and
# /proc/uptime, then for each PID its /proc files, symlink targets, fd and namespace
# links, and the network tables of one PID per network namespace. Batched (one cp and
# one find for all processes) so that a snapshot costs a handful of forks; cp copies the
# kernel's bytes exactly as cat would.
cap_snapshot() {
	local root=$1 T=$2
	shift 2
	local dst=$root/proc/$T pid f path target rel name
	local -a files=(stat uptime) links=() nets=()
	local -A netseen=()
	mkdir -p -- "$dst"
	for pid; do
		for f in stat status cmdline environ cgroup io comm; do
			files+=("$pid/$f")
		done
		links+=("/proc/$pid/exe" "/proc/$pid/cwd" "/proc/$pid/root" "/proc/$pid/fd" "/proc/$pid/ns")
	done
	# a process may end at any moment: missing files are not an error
	(cd /proc && exec cp --parents -t "$dst" -- "${files[@]}") 2>/dev/null || true
	for pid; do
		# gone before its stat could be read: no half process in the bundle
		[[ -s $dst/$pid/stat ]] || rm -rf -- "${dst:?}/$pid"
	done
	((${#links[@]})) || return 0
	while IFS=$'\t' read -r path target; do
		rel=${path#/proc/}
		pid=${rel%%/*}
		name=${rel#*/}
		[[ -n $target && -d $dst/$pid ]] || continue
		case $name in
		exe | cwd | root) printf '%s\n' "$target" >"$dst/$pid/$name.link" ;;
		fd/*) printf '%s %s\n' "${name#fd/}" "$target" >>"$dst/$pid/fd.links" ;;
		ns/*)
			printf '%s %s\n' "${name#ns/}" "$target" >>"$dst/$pid/ns.links"
			if [[ $name == ns/net && -z ${netseen[$target]:-} ]]; then
				netseen[$target]=1
				for f in tcp tcp6 udp udp6 unix; do
					nets+=("$pid/net/$f")
				done
			fi
			;;
		esac
	done < <(find "${links[@]}" -maxdepth 1 -type l -printf '%p\t%l\n' 2>/dev/null)
	if ((${#nets[@]})); then
		(cd /proc && exec cp --parents -t "$dst" -- "${nets[@]}") 2>/dev/null || true
	fi
	return 0
}

# The cgroup v1 files worth keeping per controller (plus every readable file of unified/).
CAP_CGROUP_FILES=(
	memory/memory.stat memory/memory.usage_in_bytes memory/memory.max_usage_in_bytes
	memory/memory.limit_in_bytes memory/memory.failcnt memory/memory.oom_control
	memory/memory.memsw.usage_in_bytes memory/memory.memsw.max_usage_in_bytes
	memory/memory.memsw.limit_in_bytes memory/memory.memsw.failcnt memory/cgroup.procs
	cpuacct/cpuacct.usage cpuacct/cpuacct.stat cpuacct/cpuacct.usage_percpu
	cpu/cpu.stat cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares
	pids/pids.current pids/pids.max pids/pids.events
	blkio/blkio.throttle.io_service_bytes blkio/blkio.throttle.io_serviced
)

# cap_cgroups ROOT T RELPATH...: copy the cgroups RELPATH (below each controller, e.g.
# libpod_parent/libpod-<id>) to cgroup/T/<controller>/RELPATH/, in one cp.
cap_cgroups() {
	local root=$1 T=$2
	shift 2
	local rel item ctrl file
	local -a files=() unified=()
	for rel; do
		for item in "${CAP_CGROUP_FILES[@]}"; do
			ctrl=${item%%/*} file=${item#*/}
			[[ -e /sys/fs/cgroup/$ctrl/$rel/$file ]] && files+=("$ctrl/$rel/$file")
		done
		[[ -d /sys/fs/cgroup/unified/$rel ]] && unified+=("unified/$rel")
	done
	if ((${#unified[@]})); then
		# regular files the owner may read (cgroup.kill is write-only)
		mapfile -t -O "${#files[@]}" files < <(cd /sys/fs/cgroup &&
			find "${unified[@]}" -maxdepth 1 -type f -perm -u=r 2>/dev/null)
	fi
	((${#files[@]})) || return 0
	mkdir -p -- "$root/cgroup/$T"
	(cd /sys/fs/cgroup && exec cp --parents -t "$root/cgroup/$T" -- "${files[@]}") 2>/dev/null || true
	return 0
}

# cap_dmesg ROOT FROM TO: the kernel ring buffer lines stamped from FROM to TO (seconds
# since boot), in dmesg's own format; continuation lines follow their record.
cap_dmesg() {
	local root=$1 from=$2 to=$3
	mkdir -p -- "$root/events"
	dmesg | awk -v from="$from" -v to="$to" '
		match($0, /^\[ *[0-9]+\.[0-9]+\]/) {
			ts = substr($0, RSTART + 1, RLENGTH - 2) + 0
			keep = (ts >= from + 0 && ts <= to + 0)
		}
		keep' >"$root/events/dmesg.txt"
}

# cap_podman_events ROOT SINCE UNTIL IDFILE: podman events of the listed containers only,
# from SINCE to UNTIL (RFC 3339 UTC). The file events backend of podman 4.3 returns
# nothing when --until lies in the past (the reader is stopped before it starts), so read
# up to a moment in the near future and cut at UNTIL here.
cap_podman_events() {
	local root=$1 since=$2 until=$3 idfile=$4 soon
	mkdir -p -- "$root/events"
	soon=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%S.%3NZ)
	timeout 60 "${PODMAN[@]}" events --format json --since "$since" --until "$soon" \
		2>/dev/null | grep -F -f "$idfile" | awk -v until="$until" '
		function key(t,   d, f) {     # 2026-11-29T08:39:36.77Z -> comparable string
			sub(/Z$/, "", t)
			d = t; f = ""
			if (index(t, ".")) { d = substr(t, 1, index(t, ".") - 1); f = substr(t, index(t, ".") + 1) }
			while (length(f) < 9) f = f "0"
			return d "." f
		}
		BEGIN { lim = key(until) }
		match($0, /"Time":"[^"]*"/) {
			if (key(substr($0, RSTART + 8, RLENGTH - 9)) <= lim) print
		}' >"$root/events/podman.jsonl" || true
}

# cap_inspect ROOT ID: podman inspect output for one container.
cap_inspect() {
	local root=$1 id=$2
	mkdir -p -- "$root/inspect"
	"${PODMAN[@]}" inspect "$id" >"$root/inspect/$id.json" 2>/dev/null ||
		rm -f -- "$root/inspect/$id.json"
}

# cap_manifest ROOT STARTED ENDED NOTES: NOTES must not hold '"' or '\'. The
# collector field is $CAP_COLLECTOR when set (make-detections.sh sets it).
cap_manifest() {
	local root=$1 started=$2 ended=$3 notes=$4 host btime clk
	local collector=${CAP_COLLECTOR:-salvage samples/make-samples.sh}
	host=$(cat /proc/sys/kernel/hostname)
	btime=$(awk '$1 == "btime" { print $2 }' /proc/stat)
	clk=$(getconf CLK_TCK)
	printf '{"format":"salvage-bundle","version":1,"host":"%s","started":"%s","ended":"%s","collector":"%s","boot_time":%s,"clk_tck":%s,"notes":"%s"}\n' \
		"$host" "$started" "$ended" "$collector" "$btime" "$clk" "$notes" \
		>"$root/manifest.json"
}

# cap_tidy ROOT: drop empty folders (a cgroup or process gone mid-copy) and make the tree
# readable to everyone (kernel files such as environ are 0400) before packing.
cap_tidy() {
	find "$1" -mindepth 1 -depth -type d -empty -delete 2>/dev/null || true
	chmod -R u+rwX,go+rX,go-w -- "$1"
}

# cap_sums ROOT: SHA256SUMS over every other file, paths relative to the root. Last step.
cap_sums() {
	local root=$1
	rm -f -- "$root/SHA256SUMS"
	(
		cd -- "$root" || exit 1
		find . -type f ! -path ./SHA256SUMS ! -path ./SHA256SUMS.tmp -printf '%P\n' |
			LC_ALL=C sort | xargs -d '\n' sha256sum >SHA256SUMS.tmp
		mv SHA256SUMS.tmp SHA256SUMS
	)
}
