#!/bin/bash
# Install everything from Debian's packages that building, testing and
# benchmarking iscsi_spt needs. Idempotent; run as root.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: run as root (apt-get needs it)" >&2
	exit 1
fi

packages=(
	build-essential bc flex bison libelf-dev libssl-dev dwarves
	linux-headers-amd64 linux-image-amd64 linux-source-6.1
	sparse kmod cpio busybox-static xz-utils
	qemu-system-x86
	open-iscsi libiscsi-bin fio sg3-utils e2fsprogs
	python3 libjson-c-dev pkg-config iproute2 procps util-linux
	clang libclang-rt-14-dev
	nvme-cli gnuplot-nox linux-perf
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all packages present"
	exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
