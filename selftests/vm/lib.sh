# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the VM test scripts (sourced; run inside the guest).
# A test exits 0 when it passes, 4 when it must skip, anything else fails.

ISPT_KO=$ISPT_REPO/drivers/iscsi_spt/iscsi_spt.ko
ISPT_CFS=/sys/kernel/config/iscsi_spt
# Lines in the kernel log that fail any test.
export ISPT_BAD_LOG='WARNING:|BUG:|Oops|general protection|lockup|refcount_t|hung_task|blocked for more than|UBSAN|KASAN|kmemleak|list_add corruption|list_del corruption|RCU stall|rcu_sched self-detected'

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
# print its output; returns its exit status. The host sees the target at
# 127.0.0.1:$ISPT_HOST_PORT, forwarded to port 3260 in here.
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
	iscsiadm -m node -U all >/dev/null 2>&1
	pkill iscsid
	ispt_loaded && ispt_unload
	return 0
}
