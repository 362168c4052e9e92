#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 64 sessions at once, each of 4 connections (MC/S), doing verified mixed
# I/O for 5 minutes, each connection in its own slice of a 256 MiB LUN:
# writes of 1 to 512 blocks read back at once, and older writes read
# again, CmdSN shared by the session's connections (selftests/vm/load.py).
# No mismatch, no failed command; afterwards nothing left behind (the
# "objects" line of the stats file), the same worker threads, and the
# module unloads.
# ISPT_ARG_SECONDS shortens or lengthens the run.
# long: five minutes of load under TCG, about 8 minutes in all
# timeout: 1200
. "$ISPT_REPO/selftests/vm/lib.sh"

modprobe brd rd_nr=1 rd_size=$((256 * 1024)) || fail "brd"
ispt_load || fail "insmod"
ispt_setup_target || fail "configfs setup"
ispt_export_lun 0 /dev/ram0 || fail "LUN 0"
echo 0 >"$ISPT_CFS/nopin_interval" || fail "nopin_interval"
echo 4 >"$ISPT_CFS/max_connections_per_session" || fail "max_connections_per_session"
ulimit -n 4096

threads=$(ispt_threads)
PYTHONPATH=$ISPT_REPO/selftests/vm python3 -u "$ISPT_REPO/selftests/vm/load.py" \
	--port "$ISPT_PORT" --target "$ISPT_TEST_IQN" sessions --count 64 \
	--connections 4 --seconds "${ISPT_ARG_SECONDS:-300}" || fail "sessions under load"
left=$(ispt_wait_no_objects 30) || fail "objects left after the load: $left"
[ "$(ispt_threads)" = "$threads" ] || fail "worker threads: $threads before, $(ispt_threads) after"
ispt_clear_config
ispt_unload || fail "unload after the load"
echo "64 sessions of 4 connections, verified I/O for the whole run, nothing left behind"
