#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the module built for the debug kernel of
# tools/debug-kernel.sh (KASAN, lockdep, kmemleak, DEBUG_ATOMIC_SLEEP,
# UBSAN, debug objects), then the VM selftests booted on it (the
# adversarial and fault tests among them). Any report fails the run: a
# KASAN, lockdep, UBSAN or sleeping-in-atomic line in a test's kernel log
# fails that test (ISPT_BAD_LOG), one anywhere in the boot's logs fails
# kernel-log-clean, and a kmemleak object left after the last test fails
# kmemleak-clean.
#
#   tools/check-debug.sh [TEST...]     (all but the "# long:" ones)
#
# Not part of make check: the first kernel build takes about an hour on
# two cores and a debug kernel under TCG runs the tests several times
# slower. ISPT_VM_TIMEOUT_SCALE (default 4) stretches every timeout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ISPT_REPO"

krel=$(tools/debug-kernel.sh | tail -n 1)
kdir=$ISPT_CACHE/debug-build
echo "check-debug: kernel $krel"
make -s modules KVER="$krel" KDIR="$kdir"
make -s tools
KVER=$krel ISPT_VM_KERNEL=$kdir/arch/x86/boot/bzImage \
	ISPT_VM_TIMEOUT_SCALE=${ISPT_VM_TIMEOUT_SCALE:-4} \
	ISPT_VM_BOOT_TIMEOUT=${ISPT_VM_BOOT_TIMEOUT:-600} \
	tools/iscsi-spt-vm test "$@"
