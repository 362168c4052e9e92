#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test VM's initramfs (busybox). Loads just enough to mount
# the host's root over 9p, lays a tmpfs overlay on it, and runs the job
# (selftests/vm/guest-main.sh from the repository) chrooted in there.
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

# None on a kernel that has them built in (make check-debug's).
[ ! -e /modules/load.list ] || while read -r mod; do
	insmod "/modules/$mod" || echo "init: insmod $mod failed"
done </modules/load.list

mkdir -p /hostro /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /hostro ||
	{ echo "init: cannot mount the host root"; poweroff -f; }
mount -t tmpfs -o size=1536m tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/hostro,upperdir=/rw/upper,workdir=/rw/work /newroot
mkdir -p /newroot/ispt-results
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /newroot/ispt-results

for fs in proc sys dev; do
	mount --move "/$fs" "/newroot/$fs"
done
mount -t configfs configfs /newroot/sys/kernel/config
mount -t devpts devpts /newroot/dev/pts 2>/dev/null
mount -t tmpfs tmpfs /newroot/run
# No tmpfs over /tmp: the checkout under test may live there (the overlay
# already makes it writable).

# The kernel runs its module loader from this (initramfs) root: send it
# to the host's modprobe inside the overlay.
echo /bin/modprobe-chroot >/newroot/proc/sys/kernel/modprobe

. /newroot/ispt-results/job.env
chroot /newroot /bin/bash "$ISPT_REPO/selftests/vm/guest-main.sh"
echo "init: job finished with status $?"
sync
poweroff -f
