#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On the host: libiscsi (CHAP with MD5, the only algorithm it has) through
# the forwarded port.
#   libiscsi-chap.sh ls USER PASS [TUSER TPASS]          discovery
#   libiscsi-chap.sh inq TARGET USER PASS [TUSER TPASS]  login, INQUIRY of LUN 0
# An empty USER means no CHAP. TUSER and TPASS ask the target to
# authenticate too (mutual CHAP). Prints libiscsi's output; the exit
# status is the tool's.
set -uo pipefail
ini=iqn.2026-11.org.iscsi-spt:host
mode=$1
shift
target=
if [ "$mode" = inq ]; then
	target=$1
	shift
fi
user=${1:-} pass=${2:-}
if [ -n "${3:-}" ]; then
	export LIBISCSI_CHAP_TARGET_USERNAME=$3 LIBISCSI_CHAP_TARGET_PASSWORD=$4
fi
cred=
[ -z "$user" ] || cred="$user%$pass@"
url=iscsi://${cred}127.0.0.1:$ISPT_PORT
case $mode in
ls) timeout 120 iscsi-ls -i "$ini" "$url" 2>&1 ;;
inq) timeout 120 iscsi-inq -i "$ini" "$url/$target/0" 2>&1 ;;
*) echo "usage: $0 ls|inq ..."; exit 2 ;;
esac
