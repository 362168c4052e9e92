#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configuration taken away under I/O (issue 9), through the Linux
# initiator, while a bystander LUN runs fio randwrite+verify:
# - a LUN, a whole target, and a portal, each removed while fio drives
#   them: every removal returns within 30 s, their I/O ends (errors, not a
#   hang), and the bystander's data all verifies;
# - then the configuration cleared and the module unloaded while fio
#   drives the bystander: rmmod succeeds, fio ends, and nothing is left.
# timeout: 900
. "$ISPT_REPO/selftests/vm/lib.sh"

T1=$ISPT_TEST_IQN
T2=$ISPT_TEST_IQN-2
T3=$ISPT_TEST_IQN-3
[ -d /sys/module/brd ] && { rmmod brd || fail "brd still in use"; }
modprobe brd rd_nr=4 rd_size=$((64 * 1024)) || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_add_targets 2 || fail "target 2"
mkdir -p "$ISPT_CFS/portal_groups/2/portals/0.0.0.0:$ISPT_PORT2" || fail "portal group 2"
mkdir -p "$ISPT_CFS/targets/$T3/maps/2" &&
	ln -s "$ISPT_CFS/initiator_groups/1" "$ISPT_CFS/targets/$T3/maps/2/ig1" ||
	fail "target 3 on portal group 2"
lun() {	# target, LUN, device
	local d=$ISPT_CFS/targets/$1/luns/$2
	mkdir "$d" && echo "$3" >"$d/device_path" && echo 1 >"$d/enable"
}
lun "$T1" 0 /dev/ram0 && lun "$T1" 1 /dev/ram1 && lun "$T2" 0 /dev/ram2 &&
	lun "$T3" 0 /dev/ram3 || fail "LUNs"

iscsid_start || fail "iscsid"
for p in "127.0.0.1:$ISPT_PORT" "127.0.0.1:$ISPT_PORT2"; do
	iscsiadm -m discovery -t st -p "$p" >/dev/null || fail "discovery at $p"
done
iscsiadm -m node -p "10.0.2.15:$ISPT_PORT" -o delete >/dev/null 2>&1
iscsiadm -m node -p "10.0.2.15:$ISPT_PORT2" -o delete >/dev/null 2>&1
# An initiator whose target went away gives up after 10 s, not 120.
iscsiadm -m node -o update -n node.session.timeo.replacement_timeout -v 10 ||
	fail "replacement_timeout"
iscsiadm -m node --login >/dev/null 2>&1
sleep 2

# The initiator's disk for LUN $2 of target $1 (sessions know their target).
disk_of() {
	local d s
	for d in /sys/class/scsi_disk/*; do
		[ "${d##*:}" = "$2" ] || continue
		s=$(readlink -f "$d/device" | grep -o 'session[0-9]*' | head -n 1)
		[ "$(cat "/sys/class/iscsi_session/$s/targetname" 2>/dev/null)" = "$1" ] ||
			continue
		echo "/dev/$(ls "$d/device/block")"
		return
	done
}
keep=$(disk_of "$T1" 0)
v_lun=$(disk_of "$T1" 1)
v_target=$(disk_of "$T2" 0)
v_portal=$(disk_of "$T3" 0)
for d in "$keep" "$v_lun" "$v_target" "$v_portal"; do
	[ -b "$d" ] || fail "missing disks: '$keep' '$v_lun' '$v_target' '$v_portal'"
done

fio --name=keep --filename="$keep" --ioengine=libaio --direct=1 \
	--rw=randwrite --bsrange=4k-64k --iodepth=16 --size=48M \
	--time_based --runtime=40 --verify=crc32c --verify_fatal=1 \
	--verify_backlog=128 --output=/tmp/fio-keep.log &
keep_pid=$!
victims=()
for d in "$v_lun" "$v_target" "$v_portal"; do
	fio --name=victim --filename="$d" --ioengine=libaio --direct=1 \
		--rw=randrw --bs=16k --iodepth=16 --size=48M --time_based \
		--runtime=120 --continue_on_error=all \
		--output="/tmp/fio-victim-${d##*/}.log" >/dev/null 2>&1 &
	victims+=($!)
done
sleep 5

# Each removal within 30 s, I/O in flight or not.
within30() {
	timeout 30 "$@" || fail "'$*' failed or took over 30 s (rc $?)"
}
within30 rmdir "$ISPT_CFS/targets/$T1/luns/1"
note "LUN 1 of target 1 removed under fio"
sleep 3
within30 rm "$ISPT_CFS/targets/$T2/maps/1/ig1"
within30 rmdir "$ISPT_CFS/targets/$T2/maps/1"
within30 rmdir "$ISPT_CFS/targets/$T2/luns/0"
within30 rmdir "$ISPT_CFS/targets/$T2"
note "target 2 removed under fio"
sleep 3
within30 rmdir "$ISPT_CFS/portal_groups/2/portals/0.0.0.0:$ISPT_PORT2"
note "portal group 2's portal removed under fio"

wait "$keep_pid" || fail "bystander fio: $(tail -n 30 /tmp/fio-keep.log)"
grep -q "err= 0" /tmp/fio-keep.log || fail "bystander fio errors: $(cat /tmp/fio-keep.log)"
grep -q '^ *read: IOPS=[1-9]' /tmp/fio-keep.log ||
	fail "bystander fio verified nothing: $(cat /tmp/fio-keep.log)"
note "the bystander's data verified throughout"

# The victims' I/O has nowhere to go: it must end with errors once the
# initiator gives up, and never hang (a killed fio still waits for its
# I/O, so a stuck one would outlive the deadline).
kill "${victims[@]}" 2>/dev/null
for i in $(seq 90); do
	alive=0
	for p in "${victims[@]}"; do
		kill -0 "$p" 2>/dev/null && alive=$((alive + 1))
	done
	[ "$alive" -eq 0 ] && break
	sleep 1
done
[ "$alive" -eq 0 ] || fail "$alive victim fio still running 90 s after being killed"
# Only target 1's session is left on the target.
for i in $(seq 60); do
	o=$(ispt_objects)
	case $o in "conns=1 sessions=1 "*) break ;; esac
	sleep 1
done
case $o in "conns=1 sessions=1 "*) ;; *) fail "after the removals: $o" ;; esac
note "victims' I/O ended; left: $o"

# Unload under I/O: the configuration cleared, then rmmod, with fio
# running against the bystander.
fio --name=unload --filename="$keep" --ioengine=libaio --direct=1 \
	--rw=randrw --bs=16k --iodepth=16 --size=48M --time_based \
	--runtime=120 --continue_on_error=all --output=/tmp/fio-unload.log \
	>/dev/null 2>&1 &
fio_pid=$!
sleep 4
kill -0 "$fio_pid" 2>/dev/null || fail "fio ended before the unload"
ispt_clear_config
left=$(ispt_wait_no_objects 30) || fail "objects left after clearing under I/O: $left"
timeout 60 rmmod iscsi_spt || fail "rmmod under I/O"
note "configuration cleared and module unloaded under fio"
kill "$fio_pid" 2>/dev/null
for i in $(seq 90); do
	kill -0 "$fio_pid" 2>/dev/null || break
	sleep 1
done
kill -0 "$fio_pid" 2>/dev/null && fail "fio still running 90 s after the unload"
iscsiadm -m node -U all >/dev/null 2>&1
# The node records of the targets removed here would make the next
# test's login of every node at the portal fail.
iscsiadm -m node -o delete >/dev/null 2>&1
echo "LUN, target and portal removal and unload under I/O end cleanly; the bystander's data intact"
