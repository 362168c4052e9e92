# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the VM test scripts (sourced; run inside the guest).
# A test exits 0 when it passes, 4 when it must skip, anything else fails.

ISPT_KO=$ISPT_REPO/drivers/iscsi_spt/iscsi_spt.ko
ISPT_CFS=/sys/kernel/config/iscsi_spt
# Lines in the kernel log that fail any test.
export ISPT_BAD_LOG='WARNING:|BUG:|Oops|general protection|lockup|refcount_t|hung_task|blocked for more than|UBSAN|KASAN|kmemleak: [0-9]+ new suspected|list_add corruption|list_del corruption|RCU stall|rcu_sched self-detected'

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 4
}

note() {
	echo "# $*"
}

# Load iscsi_spt and what it depends on.
ispt_load() {
	local deps
	deps=$(modinfo -F depends "$ISPT_KO" | tr , ' ')
	[ -z "$deps" ] || modprobe -a $deps || return 1
	insmod "$ISPT_KO" "$@"
}

ispt_unload() {
	rmmod iscsi_spt
}

ispt_loaded() {
	grep -q '^iscsi_spt ' /proc/modules
}

# Run a script from selftests/vm/host/ on the host (outside the VM) and
# print its output; returns its exit status. The host's 127.0.0.1:$ISPT_PORT
# is forwarded to the same port in here.
host_run() {
	local id req=$ISPT_RESULTS/host-req timeout=${HOST_RUN_TIMEOUT:-600} i=0
	id=$(date +%s%N)
	mkdir -p "$req"
	printf '%q ' "$@" >"$req/$id.tmp"
	mv "$req/$id.tmp" "$req/$id.req"
	while [ ! -e "$req/$id.rc" ]; do
		sleep 0.5
		i=$((i + 1))
		[ "$i" -lt $((timeout * 2)) ] || { echo "host_run: no answer"; return 124; }
	done
	cat "$req/$id.out"
	return "$(cat "$req/$id.rc")"
}

# Best effort: leave the guest as a test found it.
ispt_cleanup_all() {
	iscsi_logout_all
	# Records of targets gone make the next test's login of all fail.
	iscsiadm -m node -o delete >/dev/null 2>&1
	iscsid_stop
	ispt_clear_config
	ispt_loaded && ispt_unload
	# Backing devices too: the next test loads them with its own sizes.
	# Device-mapper devices first, as they hold the RAM disks under them.
	command -v dmsetup >/dev/null && dmsetup remove_all 2>/dev/null
	# null_blk devices made through its configfs hold the module.
	local m nb
	for nb in /sys/kernel/config/nullb/*/; do
		[ -d "$nb" ] && rmdir "$nb" 2>/dev/null
	done
	for m in brd null_blk scsi_debug; do
		[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
	done
	return 0
}

ISPT_TEST_IQN=iqn.2026-11.org.iscsi-spt:test

# A portal group, an initiator group allowing everyone, and a target
# mapped to both: the smallest configuration an initiator can log in to.
ispt_setup_target() {
	local iqn=${1:-$ISPT_TEST_IQN} portal=${2:-0.0.0.0:$ISPT_PORT}
	mkdir -p "$ISPT_CFS/portal_groups/1/portals/$portal" || return 1
	if [ ! -d "$ISPT_CFS/initiator_groups/1" ]; then
		mkdir "$ISPT_CFS/initiator_groups/1" || return 1
		echo ANY >"$ISPT_CFS/initiator_groups/1/initiators" || return 1
		echo ANY >"$ISPT_CFS/initiator_groups/1/netmasks" || return 1
	fi
	mkdir -p "$ISPT_CFS/targets/$iqn/maps/1" || return 1
	ln -s "$ISPT_CFS/initiator_groups/1" "$ISPT_CFS/targets/$iqn/maps/1/ig1" || return 1
}

# Targets $ISPT_TEST_IQN-2 .. -N, mapped like the first one.
ispt_add_targets() {
	local i t
	for i in $(seq 2 "$1"); do
		t=$ISPT_CFS/targets/$ISPT_TEST_IQN-$i
		mkdir -p "$t/maps/1" || return 1
		ln -s "$ISPT_CFS/initiator_groups/1" "$t/maps/1/ig1" || return 1
	done
}

# open-iscsi: discover through the loopback portal and log in to every
# target there (the NAT address SendTargets also names is dropped).
ispt_login_all() {
	local portal=127.0.0.1:$ISPT_PORT
	iscsid_start || return 1
	iscsiadm -m discovery -t st -p "$portal" >/dev/null || return 1
	iscsiadm -m node -p "10.0.2.15:$ISPT_PORT" -o delete >/dev/null 2>&1
	iscsiadm -m node -p "$portal" --login >/dev/null 2>&1
}

# A brd RAM disk of $1 MiB (/dev/ram0) and QEMU's emulated NVMe disk
# (/dev/nvme0n1); skips the test when the VM has no NVMe disk.
ispt_backing_devices() {
	# A RAM disk left by an earlier test has its size, not ours.
	[ -d /sys/module/brd ] && { rmmod brd || fail "brd still in use"; }
	modprobe brd rd_nr=1 rd_size=$(($1 * 1024)) || fail "brd"
	modprobe nvme || fail "nvme"
	ispt_wait_block /dev/nvme0n1 10 || skip "no emulated NVMe disk"
}

# Wait up to $2 seconds for block device node $1 (no udev here: devtmpfs
# makes nodes as devices appear).
ispt_wait_block() {
	local i
	for i in $(seq $(($2 * 5))); do
		[ -b "$1" ] && return 0
		sleep 0.2
	done
	[ -b "$1" ]
}

# Serve block device $2 as LUN $1 of the test target.
ispt_export_lun() {
	local lun=$ISPT_CFS/targets/$ISPT_TEST_IQN/luns/$1
	mkdir "$lun" && echo "$2" >"$lun/device_path" && echo 1 >"$lun/enable"
}

# The initiator's block device for LUN $1 of our target (no udev here:
# found through sysfs, by LUN and the vendor we report).
ispt_lun_disk() {
	local d
	for d in /sys/class/scsi_disk/*; do
		[ "${d##*:}" = "$1" ] || continue
		[ "$(tr -d ' ' <"$d/device/vendor" 2>/dev/null)" = LINUX ] || continue
		echo "/dev/$(ls "$d/device/block")"
		return
	done
}

# The module's live objects, from its stats file: "conns=N sessions=N
# cmds=N tx_pdus=N pinned_pages=N".
ispt_objects() {
	sed -n 's/^objects //p' "$ISPT_CFS/stats"
}

# Wait up to $1 seconds for every live object to be gone (teardown is
# asynchronous); prints what is left if some are not.
ispt_wait_no_objects() {
	local i o
	for i in $(seq $(($1 * 5))); do
		o=$(ispt_objects)
		[ "$o" = "conns=0 sessions=0 cmds=0 tx_pdus=0 pinned_pages=0" ] && return 0
		sleep 0.2
	done
	echo "$o"
	return 1
}

# Worker threads of the module (ispt/N), by name.
ispt_threads() {
	ps -e -o comm= | grep -c '^ispt/'
}

# Remove everything under the configfs root, leaves first.
ispt_clear_config() {
	local d
	[ -d "$ISPT_CFS" ] || return 0
	find "$ISPT_CFS" -type l -delete 2>/dev/null
	for d in $(find "$ISPT_CFS" -mindepth 2 -type d | sort -r); do
		rmdir "$d" 2>/dev/null
	done
	return 0
}

iscsid_start() {
	pgrep -x iscsid >/dev/null || iscsid || return 1
}

# iscsid ignores SIGTERM while it has sessions, and a test that starts
# it again while the old one is exiting talks to a dying daemon.
iscsid_stop() {
	local i
	pkill -x iscsid || return 0
	for i in $(seq 50); do
		pgrep -x iscsid >/dev/null || return 0
		sleep 0.1
	done
	pkill -9 -x iscsid
	sleep 0.2
}

# Log out of every session; retried for a while, as a session whose
# connection is down is let go only between reconnect attempts. Fails if
# any is left, which the next test's discovery would trip over. (An
# iscsid started after the one that made a session was killed cannot log
# it out: never pkill -9 iscsid with sessions.)
iscsi_logout_all() {
	local i
	iscsiadm -m session >/dev/null 2>&1 || return 0
	iscsid_start || return 1
	for i in $(seq 20); do
		iscsiadm -m node -U all >/dev/null 2>&1
		iscsiadm -m session >/dev/null 2>&1 || return 0
		sleep 0.5
	done
	return 1
}
