#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 1,000 login/logout cycles over raw iSCSI, four at a time, every tenth
# with a verified WRITE and READ (selftests/vm/load.py): every one must
# succeed, and afterwards the module must hold exactly what it held
# before: no connection, session, command, PDU or pinned page left (the
# "objects" line of the stats file), the same worker threads, and it
# must unload.
# timeout: 900
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe brd rd_nr=1 rd_size=65536 || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
echo 0 >"$ISPT_CFS/nopin_interval" || fail "nopin_interval"

before=$(ispt_objects)
threads=$(ispt_threads)
note "before: $before; $threads worker threads"
[ "$before" = "conns=0 sessions=0 cmds=0 tx_pdus=0 pinned_pages=0" ] ||
	fail "objects alive before any login: $before"
PYTHONPATH=$ISPT_REPO/selftests/vm python3 -u "$ISPT_REPO/selftests/vm/load.py" \
	--port "$ISPT_PORT" --target "$ISPT_TEST_IQN" cycles --count 1000 --threads 4 ||
	fail "login/logout cycles"
left=$(ispt_wait_no_objects 20) || fail "objects left after the cycles: $left"
[ "$(ispt_threads)" = "$threads" ] || fail "worker threads: $threads before, $(ispt_threads) after"
ispt_clear_config
ispt_unload || fail "unload after the cycles"
echo "1000 login/logout cycles, nothing left behind"
