#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark (issue 8), run inside the VM by `iscsi-spt-vm bench`.
# Four null_blk devices, one per contender so that each owns its device:
#   nullb0  LIO (iblock, iSCSI on 127.0.0.1:3261)
#   nullb1  iscsi_spt (127.0.0.1:3260)
#   nullb2  nvmet-tcp (127.0.0.1:4420), through the kernel nvme-tcp host
#   nullb3  fio straight on the device: the local ceiling
# Each iSCSI target gets 4 sessions from open-iscsi (node.session.nr_sessions)
# for the whole run; single-session jobs use the first one. Every job runs
# once per target per round, targets in a rotating order. Raw results go to
# $ISPT_RESULTS/bench (fio JSON and CPU snapshots per run); the host turns
# them into the table, JSON and chart (tools/bench-report.py).
#
# Environment (from the host): ISPT_BENCH_ROUNDS (2), ISPT_BENCH_RUNTIME
# (s, 10), ISPT_BENCH_RAMP (s, 2), ISPT_BENCH_TARGETS, ISPT_BENCH_JOBS
# (subsets of the defaults below), ISPT_BENCH_PERF (1: a perf profile of
# each target under ISPT_BENCH_PERF_JOB, randread-4k-qd32 by default, after
# the rounds; about 3 minutes per target under TCG, most of it perf's own
# start and stop),
# ISPT_BENCH_FIO_EXTRA (more fio options for every run, run in its folder).
set -u
. "$ISPT_REPO/selftests/vm/lib.sh"

ROUNDS=${ISPT_BENCH_ROUNDS:-2}
RUNTIME=${ISPT_BENCH_RUNTIME:-10}
RAMP=${ISPT_BENCH_RAMP:-2}
TARGETS=${ISPT_BENCH_TARGETS:-lio spt nvmet local}
JOBS=${ISPT_BENCH_JOBS:-randread-4k-qd1 randread-4k-qd32 randwrite-4k-qd32 read-128k-qd8 write-128k-qd8 randread-4k-qd32-4s}
PERF=${ISPT_BENCH_PERF:-0}
PERF_JOB=${ISPT_BENCH_PERF_JOB:-randread-4k-qd32}
FIO_EXTRA=${ISPT_BENCH_FIO_EXTRA:-}
OUT=$ISPT_RESULTS/bench
SESSIONS=4

LIO_IQN=iqn.2026-11.org.iscsi-spt:bench-lio
LIO_PORTAL=127.0.0.1:3261
SPT_IQN=iqn.2026-11.org.iscsi-spt:bench-spt
SPT_PORTAL=127.0.0.1:3260
NQN=nqn.2026-11.org.iscsi-spt:bench-nvmet
HOSTNQN=nqn.2026-11.org.iscsi-spt:bench-host
LIO_CFS=/sys/kernel/config/target
NVMET_CFS=/sys/kernel/config/nvmet
# What iscsi_spt offers (negotiate.c), set on LIO too so that both move
# data in the same PDU and burst sizes.
ISCSI_PARAMS="MaxRecvDataSegmentLength=65536 MaxBurstLength=262144
FirstBurstLength=65536 InitialR2T=Yes ImmediateData=Yes MaxOutstandingR2T=1"

log() {
	echo "$(date +%T) $*"
	echo "# bench: $*" >/dev/console
}

die() {
	log "FAILED: $*"
	echo "$*" >"$OUT/failed"
	exit 1
}

setup_nullb() {
	modprobe null_blk nr_devices=4 gb=16 queue_mode=2 irqmode=0 \
		submit_queues=2 hw_queue_depth=128 memory_backed=0 || return 1
	for i in 0 1 2 3; do
		[ -b /dev/nullb$i ] || return 1
	done
}

setup_lio() {
	local so=$LIO_CFS/core/iblock_0/bench tpg=$LIO_CFS/iscsi/$LIO_IQN/tpgt_1 kv
	modprobe target_core_iblock && modprobe iscsi_target_mod || return 1
	mkdir -p "$so" && echo udev_path=/dev/nullb0 >"$so/control" &&
		echo 1 >"$so/enable" || return 1
	mkdir -p "$tpg/lun/lun_0" && ln -s "$so" "$tpg/lun/lun_0/bench" || return 1
	mkdir "$tpg/np/$LIO_PORTAL" || return 1
	# auth none, demo mode (any initiator, read-write): like our ANY group.
	echo 0 >"$tpg/attrib/authentication" &&
		echo 1 >"$tpg/attrib/generate_node_acls" &&
		echo 1 >"$tpg/attrib/cache_dynamic_acls" &&
		echo 0 >"$tpg/attrib/demo_mode_write_protect" || return 1
	for kv in $ISCSI_PARAMS; do
		echo "${kv#*=}" >"$tpg/param/${kv%%=*}" || return 1
	done
	echo 1 >"$tpg/enable"
}

setup_spt() {
	ISPT_TEST_IQN=$SPT_IQN
	ispt_load || return 1
	ispt_setup_target "$SPT_IQN" "$SPT_PORTAL" || return 1
	ispt_export_lun 0 /dev/nullb1
}

setup_nvmet() {
	local sub=$NVMET_CFS/subsystems/$NQN port=$NVMET_CFS/ports/1 i
	modprobe nvmet-tcp && modprobe nvme-tcp || return 1
	mkdir "$sub" && echo 1 >"$sub/attr_allow_any_host" || return 1
	mkdir "$sub/namespaces/1" && echo -n /dev/nullb2 >"$sub/namespaces/1/device_path" &&
		echo 1 >"$sub/namespaces/1/enable" || return 1
	mkdir "$port" && echo tcp >"$port/addr_trtype" && echo ipv4 >"$port/addr_adrfam" &&
		echo 127.0.0.1 >"$port/addr_traddr" && echo 4420 >"$port/addr_trsvcid" || return 1
	ln -s "$sub" "$port/subsystems/$NQN" || return 1
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n "$NQN" --hostnqn="$HOSTNQN" || return 1
	for i in $(seq 50); do
		NVME_DEV=$(nvme_disk)
		[ -n "$NVME_DEV" ] && return 0
		sleep 0.2
	done
	return 1
}

# The namespace of our subsystem (no udev: through sysfs). With native
# multipath the disk is the head node (nvmeXnY); nvmeXcZnY is its path.
nvme_disk() {
	local b
	for b in /sys/block/nvme*; do
		[[ ${b##*/} =~ ^nvme[0-9]+n[0-9]+$ ]] || continue
		grep -qx "$NQN" "$b/device/subsysnqn" "$b/device/"*/subsysnqn 2>/dev/null ||
			continue
		echo "/dev/${b##*/}"
		return
	done
}

# The LUN 0 disks of every session to target $1, in session order.
iscsi_disks() {
	local s b
	for s in $(ls -d /sys/class/iscsi_session/session* 2>/dev/null | sort -V); do
		[ "$(cat "$s/targetname")" = "$1" ] || continue
		for b in "$s"/device/target*/*:0/block/*; do
			[ -e "$b" ] && echo "/dev/${b##*/}"
		done
	done
}

# $SESSIONS sessions to target $1 at portal $2; prints their disks.
iscsi_login() {
	local iqn=$1 portal=$2 i n
	iscsiadm -m node -o new -T "$iqn" -p "$portal" >/dev/null || return 1
	iscsiadm -m node -T "$iqn" -p "$portal" -o update \
		-n node.session.nr_sessions -v "$SESSIONS" || return 1
	iscsiadm -m node -T "$iqn" -p "$portal" --login >/dev/null || return 1
	for i in $(seq 100); do
		n=$(iscsi_disks "$iqn" | wc -l)
		[ "$n" -ge "$SESSIONS" ] && break
		sleep 0.2
	done
	[ "$n" -eq "$SESSIONS" ] || { echo "$n disks for $iqn" >&2; return 1; }
}

# Same conditions everywhere: no I/O scheduler, no merging of requests.
tune_disk() {
	local q=/sys/block/${1#/dev/}/queue
	echo none >"$q/scheduler" 2>/dev/null
	echo 2 >"$q/nomerges"
}

# Devices of target $1: the one a single-session job uses, then all.
declare -A DISK DISKS STATS
collect_disks() {
	local d
	DISK[lio]=$(iscsi_disks "$LIO_IQN" | head -n 1)
	DISKS[lio]=$(iscsi_disks "$LIO_IQN" | tr '\n' ' ')
	DISK[spt]=$(iscsi_disks "$SPT_IQN" | head -n 1)
	DISKS[spt]=$(iscsi_disks "$SPT_IQN" | tr '\n' ' ')
	DISK[nvmet]=$NVME_DEV
	DISKS[nvmet]=$NVME_DEV
	DISK[local]=/dev/nullb3
	DISKS[local]=/dev/nullb3
	STATS[lio]=${DISKS[lio]}
	STATS[spt]=${DISKS[spt]}
	STATS[local]=/dev/nullb3
	# A multipath head node keeps no I/O counters: its paths do.
	d=${NVME_DEV#/dev/nvme}
	STATS[nvmet]=$(cd /sys/block && echo nvme"${d%%n*}"c*n"${d#*n}")
	for d in ${DISKS[lio]} ${DISKS[spt]} $NVME_DEV /dev/nullb0 /dev/nullb1 \
		/dev/nullb2 /dev/nullb3; do
		tune_disk "$d"
	done
}

# fio arguments of job $1 for target $2.
fio_args() {
	local job=$1 t=$2 d i=0
	local -a a=(--ioengine=libaio --direct=1 --time_based --runtime="$RUNTIME"
		--ramp_time="$RAMP" --norandommap --randrepeat=0 --lat_percentiles=1
		--group_reporting --output-format=json)
	case $job in
	randread-4k-qd1) a+=(--rw=randread --bs=4k --iodepth=1) ;;
	randread-4k-qd32*) a+=(--rw=randread --bs=4k --iodepth=32) ;;
	randwrite-4k-qd32) a+=(--rw=randwrite --bs=4k --iodepth=32) ;;
	read-128k-qd8) a+=(--rw=read --bs=128k --iodepth=8) ;;
	write-128k-qd8) a+=(--rw=write --bs=128k --iodepth=8) ;;
	*) return 1 ;;
	esac
	if [[ $job == *-4s ]]; then
		if [[ $t == lio || $t == spt ]]; then
			# One fio job per session, each on that session's disk.
			for d in ${DISKS[$t]}; do
				a+=(--name="s$i" --filename="$d")
				i=$((i + 1))
			done
		else
			a+=(--name=j --filename="${DISK[$t]}" --numjobs="$SESSIONS")
		fi
	else
		a+=(--name=j --filename="${DISK[$t]}")
	fi
	printf '%s\n' "${a[@]}"
}

# Where the CPU went, at one instant: the clock, /proc/stat's cpu lines and
# each device's I/O counters, then every thread's run time (schedstat,
# nanoseconds) with its name, then the first three again. Walking the
# threads takes a second or more under TCG: the report pairs the threads
# with the mean of the counters read before and after the walk.
# Builtins only, so the snapshot itself costs little.
snapshot() {
	local f=$1 l d comm rt
	shift
	{
		counters "" "$@"
		for d in /proc/[0-9]*/task/[0-9]*; do
			read -r comm 2>/dev/null <"$d/comm" || continue
			read -r rt _ 2>/dev/null <"$d/schedstat" || continue
			echo "thr ${d##*/} $rt $comm"
		done
		counters 2 "$@"
	} >"$f"
}

# The clock, /proc/stat and device counters, their keys suffixed with $1.
counters() {
	local sfx=$1 l d
	shift
	echo "clock$sfx $EPOCHREALTIME"
	while read -r l; do
		[[ $l == cpu* ]] && echo "stat$sfx $l"
	done </proc/stat
	for d in "$@"; do
		read -r l <"/sys/block/${d#/dev/}/stat" && echo "dev$sfx ${d#/dev/} $l"
	done
}

dev_stats() {
	local d l out=""
	for d in "$@"; do
		read -r l <"/sys/block/${d#/dev/}/stat" && out+="$l;"
	done
	echo "$out"
}

now_us() {
	echo "${EPOCHREALTIME/./}"
}

sleep_until_us() {
	local d=$(($1 - $(now_us)))
	[ "$d" -le 0 ] || sleep "$((d / 1000000)).$(printf '%06d' $((d % 1000000)))"
}

# The measurement window sits inside fio's timed part, counted from the
# first I/O (fio takes a while to start under TCG): it opens a second
# after the ramp ends and closes about a second before fio stops, leaving
# room for the walk over the threads.
sampler() {
	local dir=$1 before i t0
	shift
	before=$(dev_stats "$@")
	for i in $(seq 100); do
		[ "$(dev_stats "$@")" = "$before" ] || break
		sleep 0.1
	done
	t0=$(now_us)
	sleep_until_us $((t0 + (RAMP + 1) * 1000000))
	snapshot "$dir/a.snap" "$@"
	sleep_until_us $((t0 + (RAMP + RUNTIME) * 1000000 - 2500000))
	snapshot "$dir/b.snap" "$@"
}

run_one() {
	local round=$1 job=$2 t=$3 dir spid rc=0
	local -a args
	dir=$OUT/runs/$(printf '%03d' "$RUN_NO")-r$round-$job-$t
	RUN_NO=$((RUN_NO + 1))
	mkdir -p "$dir"
	mapfile -t args <<<"$(fio_args "$job" "$t")"
	echo "round=$round job=$job target=$t devs=${DISKS[$t]}" >"$dir/meta"
	sampler "$dir" ${STATS[$t]} &
	spid=$!
	# shellcheck disable=SC2086 # extra options are words
	(cd "$dir" && fio "${args[@]}" $FIO_EXTRA --output="$dir/fio.json") \
		>"$dir/fio.err" 2>&1 || rc=$?
	wait "$spid"
	echo "rc=$rc" >>"$dir/meta"
	log "round $round $job $t: rc $rc $(iops_of "$dir/fio.json")"
}

# For the console only; the host reads the JSON properly.
iops_of() {
	grep -o '"iops" : [0-9.]*' "$1" 2>/dev/null | awk '{ s += $3 } END { printf "%.0f IOPS", s }'
}

# perf profile of each remote target under $PERF_JOB: fio runs
# long enough to cover perf's own slow start under TCG, and is stopped
# (SIGINT: it still reports) once the profile is taken. cpu-clock
# sampling: TCG has no PMU, so samples land where interrupts come back on.
profile() {
	local t dir fpid
	local -a args
	command -v perf >/dev/null || { log "no perf: no profile"; return; }
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	echo 0 >/proc/sys/kernel/kptr_restrict
	# perf report is slow under TCG: the host reads the profiles.
	cp /proc/kallsyms "$OUT/perf-kallsyms"
	for t in $TARGETS; do
		[ "$t" != local ] || continue
		dir=$OUT/perf/$t
		mkdir -p "$dir"
		mapfile -t args <<<"$(fio_args "$PERF_JOB" "$t")"
		fio "${args[@]}" --runtime=600 --output="$dir/fio.json" >/dev/null 2>&1 &
		fpid=$!
		sleep $((RAMP + 3))
		# No build-ids: collecting them reads every DSO over 9p.
		perf record -a -g -F 499 -N -B -o /tmp/perf.data -- sleep 10 \
			>"$dir/record.log" 2>&1
		kill -INT "$fpid"
		wait "$fpid"
		mv /tmp/perf.data "$dir/perf.data"
		log "perf profile of $t done"
	done
}

mkdir -p "$OUT/runs"
{
	echo "kernel=$(uname -r)"
	echo "cpus=$(nproc)"
	echo "rounds=$ROUNDS"
	echo "runtime=$RUNTIME"
	echo "ramp=$RAMP"
	echo "targets=$TARGETS"
	echo "jobs=$JOBS"
	echo "sessions=$SESSIONS"
	echo "fio=$(fio --version)"
	echo "iscsi_params=$(echo $ISCSI_PARAMS)"
	echo "user_hz=$(getconf CLK_TCK)"
} >"$OUT/meta.env"

log "setting up"
setup_nullb || die "null_blk"
setup_lio || die "LIO setup"
setup_spt || die "iscsi_spt setup"
setup_nvmet || die "nvmet setup"
iscsid_start || die "iscsid"
iscsi_login "$LIO_IQN" "$LIO_PORTAL" || die "login to LIO"
iscsi_login "$SPT_IQN" "$SPT_PORTAL" || die "login to iscsi_spt"
collect_disks
for t in lio spt nvmet local; do
	echo "disks_$t=${DISKS[$t]}" >>"$OUT/meta.env"
done
log "disks: lio ${DISKS[lio]}, spt ${DISKS[spt]}, nvmet $NVME_DEV, local /dev/nullb3"

RUN_NO=0
k=0
read -r -a tlist <<<"$TARGETS"
for round in $(seq "$ROUNDS"); do
	for job in $JOBS; do
		# Rotate who goes first, so that no target always follows another.
		for i in "${!tlist[@]}"; do
			run_one "$round" "$job" "${tlist[$(((i + k) % ${#tlist[@]}))]}"
		done
		k=$((k + 1))
	done
done
[ "$PERF" = 1 ] && profile

log "tearing down"
iscsiadm -m node -U all >/dev/null 2>&1
nvme disconnect -n "$NQN" >/dev/null 2>&1
dmesg >"$OUT/dmesg.txt"
echo ok >"$OUT/done"
log "done"
