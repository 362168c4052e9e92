#!/bin/bash
# Install everything from Debian's packages that building, testing and
# benchmarking iscsi_spt needs. Idempotent; run as root.
#
#   tools/install-deps.sh [--kernel 6.12]
#
# --kernel 6.12 adds Debian's bookworm-backports suite and its 6.12 kernel
# and headers, the second supported kernel (make check-6.12).
set -euo pipefail

extra_kernel=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel)
		[ "${2:-}" = 6.12 ] || { echo "install-deps: --kernel takes 6.12 (the one other supported kernel)" >&2; exit 2; }
		extra_kernel=$2
		shift
		;;
	*)
		echo "usage: tools/install-deps.sh [--kernel 6.12]" >&2
		exit 2
		;;
	esac
	shift
done

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
	dkms openssl
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done

export DEBIAN_FRONTEND=noninteractive
updated=0
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all packages present"
else
	echo "install-deps: installing ${missing[*]}"
	apt-get update -q
	updated=1
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ "$extra_kernel" = 6.12 ] || exit 0

# The meta-packages follow the newest 6.12 build in the suite.
kpkgs=(linux-image-6.12-amd64 linux-headers-6.12-amd64)
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "install-deps: adding bookworm-backports to /etc/apt/sources.list.d/"
	printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' \
		'Suites: bookworm-backports' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
		>/etc/apt/sources.list.d/iscsi-spt-bookworm-backports.sources
	updated=0
fi
present=$(dpkg-query -W -f='${Status}\n' "${kpkgs[@]}" 2>/dev/null | grep -c '^install ok installed$' || true)
if [ "$present" -eq ${#kpkgs[@]} ]; then
	echo "install-deps: the 6.12 kernel is present"
	exit 0
fi
[ "$updated" -eq 1 ] || apt-get update -q
echo "install-deps: installing ${kpkgs[*]} from bookworm-backports"
apt-get install -y -q --no-install-recommends -t bookworm-backports "${kpkgs[@]}"
