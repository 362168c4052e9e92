#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once, then incrementally) the debug kernel make check-debug boots:
# linux-source-6.1 with KASAN, lockdep, kmemleak, DEBUG_ATOMIC_SLEEP and
# the drivers the VM harness and the tests load (tools/debug-kernel.config
# over x86_64_defconfig). Everything lives in the cache, outside the
# repository:
#
#   $ISPT_CACHE/debug-src     its own copy of the source (the KUnit graft
#                             in the other copy follows whichever checkout
#                             ran KUnit last)
#   $ISPT_CACHE/debug-build   the objects, and KDIR for our module
#   $ISPT_CACHE/debug-root    modules_install's output
#
# The modules must be where the guest's modprobe looks, under the host's
# /lib/modules (the guest runs the host's root): a symlink there points at
# the cache. It has no build link, so that nothing that picks the newest
# kernel with headers picks this one.
#
# Prints the kernel release last. Runs make at nice 19.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$ISPT_CACHE/debug-src
obj=$ISPT_CACHE/debug-build
root=$ISPT_CACHE/debug-root
fragment=$ISPT_REPO/tools/debug-kernel.config
jobs=$(nproc)

if [ ! -e "$src/Makefile" ]; then
	[ -r "$ISPT_KSRC_TARBALL" ] || {
		echo "debug-kernel: missing $ISPT_KSRC_TARBALL: run tools/install-deps.sh" >&2
		exit 1
	}
	mkdir -p "$ISPT_CACHE"
	tmp=$(mktemp -d "$ISPT_CACHE/debug-unpack.XXXXXX")
	echo "debug-kernel: unpacking $ISPT_KSRC_TARBALL (once)" >&2
	tar -C "$tmp" -xf "$ISPT_KSRC_TARBALL"
	rm -rf "$src"
	mv "$tmp/$(basename "$ISPT_KSRC_TARBALL" .tar.xz)" "$src"
	rmdir "$tmp"
fi

mkdir -p "$obj"
# A new fragment (or none built yet) starts the configuration over.
stamp=$obj/.ispt-fragment
if ! cmp -s "$fragment" "$stamp" 2>/dev/null; then
	echo "debug-kernel: configuring $obj" >&2
	make -s -C "$src" O="$obj" x86_64_defconfig >&2
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$fragment" >&2
	make -s -C "$src" O="$obj" olddefconfig >&2
	# merge_config.sh warns of what did not stick; these must have.
	for opt in KASAN PROVE_LOCKING DEBUG_KMEMLEAK DEBUG_ATOMIC_SLEEP; do
		grep -q "^CONFIG_$opt=y" "$obj/.config" || {
			echo "debug-kernel: CONFIG_$opt did not stick" >&2
			exit 1
		}
	done
	cp "$fragment" "$stamp"
fi

echo "debug-kernel: building in $obj (nice 19, $jobs jobs; the first build takes long)" >&2
nice -n 19 make -s -C "$src" O="$obj" -j"$jobs" bzImage modules >&2
krel=$(make -s -C "$src" O="$obj" kernelrelease)
rm -rf "$root.tmp"
nice -n 19 make -s -C "$src" O="$obj" INSTALL_MOD_PATH="$root.tmp" \
	DEPMOD=/sbin/depmod modules_install >&2
rm -f "$root.tmp/lib/modules/$krel/build" "$root.tmp/lib/modules/$krel/source"
rm -rf "$root"
mv "$root.tmp" "$root"
if [ "$(readlink "/lib/modules/$krel" 2>/dev/null)" != "$root/lib/modules/$krel" ]; then
	[ ! -e "/lib/modules/$krel" ] || [ -L "/lib/modules/$krel" ] || {
		echo "debug-kernel: /lib/modules/$krel exists and is not ours" >&2
		exit 1
	}
	ln -sfn "$root/lib/modules/$krel" "/lib/modules/$krel"
fi
echo "$krel"
