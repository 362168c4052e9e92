#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM, chrooted into the overlay of the host's root.
# ISPT_MODE=test: run each test script, write TAP to the results share.
# ISPT_MODE=run: load the module, set up the demo target, wait forever.
# ISPT_MODE=bench: run the benchmark (bench.sh), results in the share.
set -u
RES=/ispt-results
. "$RES/job.env"
export ISPT_REPO ISPT_PORT ISPT_PORT2 ISPT_RESULTS=$RES PATH=/usr/sbin:/usr/bin:/sbin:/bin
for v in ${!ISPT_BENCH_*}; do
	export "${v?}"
done
. "$ISPT_REPO/selftests/vm/lib.sh"

guest_setup() {
	hostname ispt-vm
	ip link set lo up
	modprobe -q virtio_net
	# No udev here: load what an attached iSCSI disk needs up front.
	modprobe -q sd_mod
	ip addr add 10.0.2.15/24 dev eth0
	ip link set eth0 up
	ip route add default via 10.0.2.2
	# Keep the console for emergencies; the full log goes to dmesg.log.
	dmesg -n 4
	dmesg -w >"$RES/dmesg.log" 2>&1 &
	mkdir -p /run/lock/iscsi /etc/iscsi "$RES/tests"
	echo "InitiatorName=iqn.2026-11.org.iscsi-spt:vm-initiator" \
		>/etc/iscsi/initiatorname.iscsi
	echo "booted $(uname -r)" >"$RES/booted"
}

# Seconds a test may take: "# timeout: N" in its header, else settings.
test_timeout() {
	local t
	t=$(sed -n 's/^# timeout: *\([0-9]\+\).*/\1/p' "$1" | head -n 1)
	[ -n "$t" ] || t=$(sed -n 's/^timeout=//p' "$(dirname "$1")/settings" 2>/dev/null)
	echo $((${t:-300} * ${ISPT_TIMEOUT_SCALE:-1}))
}

# A kernel with kmemleak (make check-debug): forget what boot left, so
# that the report after the tests holds only what they leaked.
kmemleak_start() {
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	[ -e /sys/kernel/debug/kmemleak ] || return 0
	echo clear >/sys/kernel/debug/kmemleak
}

# An object is reported once two scans, some seconds apart, found no
# reference to it; the module is unloaded by now (ispt_cleanup_all).
kmemleak_report() {
	[ -e /sys/kernel/debug/kmemleak ] || return 0
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$RES/kmemleak.txt"
}

run_tests() {
	local tap=$RES/tap.txt n=0 name path rc log t0 bad
	local -a tests
	read -r -a tests <<<"$ISPT_TESTS"
	: >"$tap"
	echo "1..${#tests[@]}" >>"$tap"
	kmemleak_start
	for path in "${tests[@]}"; do
		n=$((n + 1))
		name=$(basename "$path" .sh)
		log=$RES/tests/$name.log
		echo "# running $name" >/dev/console
		t0=$(dmesg | wc -l)
		rc=0
		(cd /tmp && timeout -k 5 "$(test_timeout "$path")" \
			bash "$path") >"$log" 2>&1 || rc=$?
		bad=$(dmesg | tail -n +"$((t0 + 1))" | grep -E "$ISPT_BAD_LOG" | head -n 5)
		if [ -n "$bad" ]; then
			echo "kernel log during the test:" >>"$log"
			echo "$bad" >>"$log"
			rc=99
		fi
		case $rc in
		0) echo "ok $n $name" >>"$tap" ;;
		4) echo "ok $n $name # SKIP $(tail -n 1 "$log")" >>"$tap" ;;
		124) echo "not ok $n $name # TIMEOUT" >>"$tap" ;;
		*) echo "not ok $n $name # exit $rc" >>"$tap" ;;
		esac
		tail -n 1 "$tap" >/dev/console
		ispt_cleanup_all >/dev/null 2>&1
	done
	kmemleak_report
	sync
}

run_demo() {
	bash "$ISPT_REPO/selftests/vm/demo.sh" >"$RES/demo.log" 2>&1
	echo $? >"$RES/ready"
	while :; do sleep 3600; done
}

guest_setup
case "$ISPT_MODE" in
test) run_tests ;;
run) run_demo ;;
bench) bash "$ISPT_REPO/selftests/vm/bench.sh" >"$RES/bench.log" 2>&1 ;;
esac
echo done >"$RES/done"
sync
