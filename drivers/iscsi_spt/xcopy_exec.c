// SPDX-License-Identifier: GPL-2.0
/*
 * EXTENDED COPY (LID1) and RECEIVE COPY RESULTS on the live path: the
 * copy manager is the LU the command addresses, and it copies between
 * the block LUs of the same target, which target descriptors name by
 * the NAA designator of VPD page 0x83. Parsing and every check are
 * xcopy.c's (socket- and bio-free, KUnit iscsi_spt_xcopy); this file
 * resolves the LUs and moves the blocks.
 *
 * The whole list is checked before a block moves: the target
 * descriptors are resolved (each LU found holds a reference until the
 * command is freed, so removing it waits for the copy, as for any
 * command), then every segment is checked against the LUs. A copy that
 * fails checks fails before writing anything.
 *
 * Then each segment is copied in chunks of at most ISPT_XCOPY_CHUNK
 * bytes through pages of the command's own, allocated once before the
 * first block moves (counted against the same limits as a READ's pages,
 * TASK SET FULL beyond): bios read a chunk from the source into the
 * pages; when the last has ended, in the owner, bios write them to the
 * destination; when those have ended, the next chunk. Nothing waits:
 * each step's end is posted back to the owner like any command's bios.
 *
 * A shortage after that (BLK_STS_AGAIN from a full queue under
 * REQ_NOWAIT, no memory for a bio) does not end the copy: the part of
 * the chunk that fell short is moved again, in smaller parts, after a
 * timer (xcopy.c, ispt_xcopy_part_end()). Ending it with TASK SET FULL
 * would have the initiator redo a half-done copy, which is wrong for a
 * destination that overlaps its source.
 *
 * Atomicity: SPC-4 promises none for EXTENDED COPY, and we give none
 * across chunks. Each chunk's destination blocks are held shared in the
 * destination LU's LBA range lock while they are written (lbalock.c),
 * as a plain WRITE holds its own, so that a COMPARE AND WRITE on those
 * blocks (exclusive) still sees either none or all of the chunk between
 * its compare and its write. Source blocks are not held, as no READ's
 * are.
 *
 * An LU being disabled during the copy stops it at the next part with
 * COPY TARGET DEVICE NOT REACHABLE; an I/O error ends it with COPY
 * ABORTED and the block layer's cause (UNRECOVERED READ ERROR or WRITE
 * ERROR); either way the status is held for RECEIVE COPY RESULTS.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/timer.h>

#include "cmd.h"
#include "conn.h"
#include "lun.h"
#include "scsi.h"
#include "session.h"
#include "target.h"
#include "xcopy.h"

struct ispt_xcopy_exec {
	struct ispt_cmd		*cmd;
	struct ispt_xcopy_list	list;
	/* The LU each target descriptor names (a reference), or NULL */
	struct ispt_lun		*lun[ISPT_XCOPY_MAX_TARGETS];
	struct ispt_xcopy_plan	plan;		/* of the segment under way */
	unsigned int		seg;		/* segment under way */
	u64			done;		/* bytes of it copied */
	u64			total;		/* bytes written by the copy */
	u64			pos;		/* the chunk's offset in the segment */
	struct ispt_xcopy_part	part;		/* the chunk's I/O */
	u32			buf;		/* offset of the chunk pages */
	bool			claimed;	/* holds its list identifier */
	struct timer_list	retry;		/* a part that fell short */
	struct ispt_lba_range	range;		/* destination blocks held */
	struct ispt_lun		*range_lun;	/* whose lock, or NULL */
};

/*
 * The statuses and list identifiers of the I_T nexus: with MC/S its
 * connections run on different CPUs, so they are under the session lock
 * (short, never nested with another lock here).
 */
static struct ispt_xcopy_results *xcopy_results_lock(struct ispt_cmd *cmd)
	__acquires(&cmd->conn->sess->lock)
{
	spin_lock(&cmd->conn->sess->lock);
	return &cmd->conn->sess->xcopy;
}

static void xcopy_results_unlock(struct ispt_cmd *cmd)
	__releases(&cmd->conn->sess->lock)
{
	spin_unlock(&cmd->conn->sess->lock);
}

static void xcopy_hold(struct ispt_cmd *cmd, u8 status,
		       const struct ispt_sense *sense)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;
	struct ispt_xcopy_results *res = xcopy_results_lock(cmd);

	ispt_xcopy_hold(res, &x->list, status,
			min_t(unsigned int, x->seg, x->list.nr_segments),
			x->total);
	if (sense)
		ispt_xcopy_hold_sense(res, &x->list, sense);
	xcopy_results_unlock(cmd);
}

static void xcopy_unlock(struct ispt_xcopy_exec *x)
{
	if (!x->range_lun)
		return;
	ispt_lba_lock_release(&x->range_lun->lba_lock, &x->range);
	x->range_lun = NULL;
}

/* cmd.c, when @cmd is freed: the LUs and the range it still holds. */
void ispt_xcopy_release(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;
	unsigned int i;

	if (!x)
		return;
	/* Fired already (its post freed us), but it may not have returned. */
	del_timer_sync(&x->retry);
	xcopy_unlock(x);
	/* Freed after its connection closed: the statuses went with it. */
	if (x->claimed && cmd->conn->sess) {
		ispt_xcopy_unclaim(xcopy_results_lock(cmd), &x->list);
		xcopy_results_unlock(cmd);
	}
	for (i = 0; i < ISPT_XCOPY_MAX_TARGETS; i++)
		if (x->lun[i])
			ispt_lun_put(x->lun[i]);
	kfree(x);
	cmd->xcopy = NULL;
}

/*
 * Only while nothing has moved (or for RECEIVE COPY RESULTS, which only
 * reads): the initiator may send the command again.
 */
static void xcopy_busy(struct ispt_cmd *cmd)
{
	cmd->sam_status = SAM_STAT_TASK_SET_FULL;
	cmd->data_in_len = 0;
	ispt_cmd_complete(cmd);
}

/* The copy stopped in the segment under way: hold that, then fail. */
static void xcopy_abort(struct ispt_cmd *cmd, struct ispt_sense sense)
{
	xcopy_hold(cmd, ISPT_XCOPY_DONE_WITH_ERRORS, &sense);
	ispt_cmd_fail(cmd, sense);
}

static enum ispt_xcopy_io xcopy_io(blk_status_t status)
{
	switch (status) {
	case BLK_STS_OK:
		return ISPT_XCOPY_IO_OK;
	case BLK_STS_AGAIN:
	case BLK_STS_RESOURCE:
	case BLK_STS_DEV_RESOURCE:
		return ISPT_XCOPY_IO_SHORT;
	default:
		return ISPT_XCOPY_IO_ERROR;
	}
}

/* Any context: the wait is over; the part runs again in the owner. */
static void xcopy_retry_fire(struct timer_list *t)
{
	struct ispt_xcopy_exec *x = from_timer(x, t, retry);

	ispt_work_post(&x->cmd->conn->work, &x->cmd->post);
}

/*
 * @step again once the wait is over. The command stays submitted all
 * that time, so teardown and task management wait for the timer's post
 * as they wait for a bio; @step checks for an abort first.
 */
static void xcopy_retry(struct ispt_cmd *cmd, void (*step)(struct ispt_cmd *))
{
	struct ispt_xcopy_exec *x = cmd->xcopy;
	unsigned int ms = ispt_xcopy_retry_ms(&x->part);

	net_dbg_ratelimited("%pISpc: EXTENDED COPY part fell short, %u bytes again in %u ms\n",
			    &cmd->conn->peer, x->part.len, ms);
	cmd->io_done = step;
	mod_timer(&x->retry, jiffies + msecs_to_jiffies(ms));
}

static sector_t lu_sector(const struct ispt_lun *lun, u64 lba, u64 pos)
{
	return (lba * lun->desc.block_size + pos) >> SECTOR_SHIFT;
}

static struct ispt_lun *seg_lun(struct ispt_xcopy_exec *x, bool dst)
{
	const struct ispt_xcopy_segment *s = &x->list.seg[x->seg];

	return x->lun[dst ? s->dst : s->src];
}

/* Is @lun still there to copy with (not going, stopped or sanitized)? */
static bool lu_reachable(struct ispt_lun *lun)
{
	return !percpu_ref_is_dying(&lun->ref) && !READ_ONCE(lun->stopped) &&
	       !ispt_sanitize_active(&lun->sanitize) && !ispt_lun_gone(lun);
}

/*
 * Before each part: an abort ends @cmd silently, an LU going away ends
 * the copy with COPY TARGET DEVICE NOT REACHABLE; false if @cmd ended.
 */
static bool xcopy_may_go_on(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;
	u16 why = ISPT_ASC_COPY_TARGET_UNREACHABLE;

	if (cmd->aborted) {
		ispt_cmd_complete(cmd);
		return false;
	}
	if (!lu_reachable(seg_lun(x, false)) || !lu_reachable(seg_lun(x, true))) {
		xcopy_abort(cmd, ispt_xcopy_sense(&x->list, x->seg, why));
		return false;
	}
	return true;
}

/* Bios moving the part under way between the chunk pages and @lun */
static void xcopy_part_io(struct ispt_cmd *cmd, struct ispt_lun *lun,
			  u64 lba, blk_opf_t op)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;

	ispt_cmd_io_begin(cmd);
	ispt_cmd_io_pages_on(cmd, lun, op,
			     lu_sector(lun, lba, x->pos + x->part.off),
			     x->buf + x->part.off, x->part.len);
	ispt_cmd_io_end(cmd);
}

static void xcopy_next(struct ispt_cmd *cmd);
static void xcopy_written(struct ispt_cmd *cmd);

static void xcopy_write_part(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;

	if (!xcopy_may_go_on(cmd))
		return;
	cmd->io_done = xcopy_written;
	xcopy_part_io(cmd, seg_lun(x, true), x->plan.dst_lba, REQ_OP_WRITE);
}

/* A part of the chunk is written: the next part, or the next chunk. */
static void xcopy_written(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;

	switch (ispt_xcopy_part_end(&x->part, xcopy_io(cmd->status))) {
	case ISPT_XCOPY_NEXT_PART:
		xcopy_write_part(cmd);
		return;
	case ISPT_XCOPY_RETRY:
		/* The range stays held: the chunk is not written yet. */
		xcopy_retry(cmd, xcopy_write_part);
		return;
	case ISPT_XCOPY_FAIL:
		xcopy_unlock(x);
		xcopy_abort(cmd, ispt_xcopy_sense(&x->list, x->seg,
						  ISPT_ASC_WRITE_ERROR));
		return;
	case ISPT_XCOPY_STEP_DONE:
		break;
	}
	xcopy_unlock(x);
	x->done += x->part.chunk;
	x->total += x->part.chunk;
	xcopy_next(cmd);
}

/* In the owner: the chunk is read and its destination blocks held. */
static void xcopy_write(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;

	ispt_xcopy_part_begin(&x->part, x->part.chunk);
	xcopy_write_part(cmd);
}

/* Any context: the destination range was granted; go on in the owner. */
static void xcopy_lock_resume(struct ispt_lba_range *r)
{
	struct ispt_xcopy_exec *x = container_of(r, struct ispt_xcopy_exec,
						 range);

	ispt_work_post(&x->cmd->conn->work, &x->cmd->post);
}

/* The chunk is read: hold its destination blocks, then write them. */
static void xcopy_lock_dst(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;
	struct ispt_lun *dst = seg_lun(x, true);
	u32 bs = dst->desc.block_size;

	ispt_lba_range_init(&x->range, x->plan.dst_lba + x->pos / bs,
			    x->part.chunk / bs, false, xcopy_lock_resume);
	x->range_lun = dst;
	/* Set before: once queued, the grant may come on any CPU. */
	cmd->io_done = xcopy_write;
	if (ispt_lba_lock_acquire(&dst->lba_lock, &x->range))
		xcopy_write(cmd);
}

static void xcopy_read_done(struct ispt_cmd *cmd);

static void xcopy_read_part(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;

	if (!xcopy_may_go_on(cmd))
		return;
	cmd->io_done = xcopy_read_done;
	xcopy_part_io(cmd, seg_lun(x, false), x->plan.src_lba, REQ_OP_READ);
}

static void xcopy_read_done(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;

	switch (ispt_xcopy_part_end(&x->part, xcopy_io(cmd->status))) {
	case ISPT_XCOPY_NEXT_PART:
		xcopy_read_part(cmd);
		return;
	case ISPT_XCOPY_RETRY:
		xcopy_retry(cmd, xcopy_read_part);
		return;
	case ISPT_XCOPY_FAIL:
		xcopy_abort(cmd, ispt_xcopy_sense(&x->list, x->seg,
						  ISPT_ASC_READ_ERROR));
		return;
	case ISPT_XCOPY_STEP_DONE:
		break;
	}
	if (cmd->aborted) {
		ispt_cmd_complete(cmd);
		return;
	}
	xcopy_lock_dst(cmd);
}

/* The next chunk, or the next segment, or the end of the copy. */
static void xcopy_next(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x = cmd->xcopy;
	const struct ispt_scsi_lun_desc *tgt[ISPT_XCOPY_MAX_TARGETS] = { };
	unsigned int i;
	u32 len;

	while (x->done == x->plan.bytes) {
		if (++x->seg == x->list.nr_segments) {
			xcopy_hold(cmd, ISPT_XCOPY_DONE, NULL);
			ispt_cmd_complete(cmd);
			return;
		}
		for (i = 0; i < x->list.nr_targets; i++)
			tgt[i] = x->lun[i] ? &x->lun[i]->desc : NULL;
		/* Checked before the copy began; the LUs may have shrunk. */
		if (ispt_xcopy_check_segment(&cmd->scsi, &x->list, x->seg, tgt,
					     &x->plan) != SAM_STAT_GOOD) {
			xcopy_abort(cmd, cmd->scsi.sense);
			return;
		}
		x->done = 0;
		x->part.gran = max(seg_lun(x, false)->desc.block_size,
				   seg_lun(x, true)->desc.block_size);
	}
	ispt_xcopy_chunk(&x->plan, x->done, &x->pos, &len);
	ispt_xcopy_part_begin(&x->part, len);
	xcopy_read_part(cmd);
}

/* The parameter list, parsed; false if @cmd has ended. */
static bool xcopy_parse(struct ispt_cmd *cmd, struct ispt_xcopy_exec *x)
{
	enum sam_status st;
	u8 *data;

	/* At most the decoder's limit (XCOPY_MAX_PARAM_LEN, 4 KiB) */
	data = kmalloc(cmd->io_len, GFP_NOWAIT | __GFP_NOWARN);
	if (!data) {
		xcopy_busy(cmd);
		return false;
	}
	ispt_cmd_copy_from_pages(cmd, 0, data, cmd->io_len);
	st = ispt_xcopy_parse(&cmd->scsi, data, cmd->io_len, &x->list);
	kfree(data);
	if (st != SAM_STAT_GOOD) {
		ispt_cmd_fail(cmd, cmd->scsi.sense);
		return false;
	}
	return true;
}

/*
 * Resolve the target descriptors and check every segment; false if
 * @cmd has ended. @max: the longest segment, in bytes.
 */
static bool xcopy_check(struct ispt_cmd *cmd, struct ispt_xcopy_exec *x,
			u64 *max)
{
	const struct ispt_scsi_lun_desc *tgt[ISPT_XCOPY_MAX_TARGETS] = { };
	struct ispt_target *target = cmd->conn->sess->target;
	struct ispt_xcopy_plan plan;
	unsigned int i;

	for (i = 0; i < x->list.nr_targets; i++) {
		x->lun[i] = ispt_target_lun_by_naa(target, x->list.tgt[i].naa);
		if (!x->lun[i])
			continue;
		/* The capacity of an LU no command has addressed lately */
		ispt_lun_check_capacity(x->lun[i], target);
		tgt[i] = &x->lun[i]->desc;
	}
	if (ispt_xcopy_check_targets(&cmd->scsi, &x->list, tgt) !=
	    SAM_STAT_GOOD) {
		ispt_cmd_fail(cmd, cmd->scsi.sense);
		return false;
	}
	*max = 0;
	for (i = 0; i < x->list.nr_segments; i++) {
		if (ispt_xcopy_check_segment(&cmd->scsi, &x->list, i, tgt,
					     &plan) != SAM_STAT_GOOD) {
			x->seg = i;
			xcopy_abort(cmd, cmd->scsi.sense);
			return false;
		}
		*max = max(*max, plan.bytes);
	}
	if (ispt_xcopy_check_writable(&cmd->scsi, &x->list, tgt) !=
	    SAM_STAT_GOOD) {
		ispt_cmd_fail(cmd, cmd->scsi.sense);
		return false;
	}
	/*
	 * Judged once, before a block moves, as a READ of each source and
	 * a WRITE of each destination would be judged as it starts.
	 */
	for (i = 0; i < x->list.nr_segments; i++) {
		const struct ispt_xcopy_segment *s = &x->list.seg[i];

		if (ispt_pr_lun_conflict(cmd, x->lun[s->src], false) ||
		    ispt_pr_lun_conflict(cmd, x->lun[s->dst], true)) {
			cmd->sam_status = SAM_STAT_RESERVATION_CONFLICT;
			cmd->data_in_len = 0;
			ispt_cmd_complete(cmd);
			return false;
		}
	}
	return true;
}

/**
 * ispt_xcopy_execute - EXTENDED COPY (LID1)
 * @cmd: the command, in its owner, its parameter list in its pages
 *
 * An empty parameter list copies nothing and succeeds (SPC-4).
 */
void ispt_xcopy_execute(struct ispt_cmd *cmd)
{
	struct ispt_xcopy_exec *x;
	u64 max;

	if (!cmd->io_len) {
		ispt_cmd_complete(cmd);
		return;
	}
	x = kzalloc(sizeof(*x), GFP_NOWAIT | __GFP_NOWARN);
	if (!x) {
		xcopy_busy(cmd);
		return;
	}
	cmd->xcopy = x;
	x->cmd = cmd;
	timer_setup(&x->retry, xcopy_retry_fire, 0);
	x->part.size = ISPT_XCOPY_CHUNK;
	if (!xcopy_parse(cmd, x))
		return;
	x->claimed = ispt_xcopy_claim(xcopy_results_lock(cmd), &x->list);
	xcopy_results_unlock(cmd);
	if (!x->claimed) {
		ispt_cmd_fail(cmd, ispt_sense_make(ILLEGAL_REQUEST,
						   ISPT_ASC_OP_IN_PROGRESS));
		return;
	}
	if (!xcopy_check(cmd, x, &max))
		return;
	if (!max) {
		x->seg = x->list.nr_segments;
		xcopy_hold(cmd, ISPT_XCOPY_DONE, NULL);
		ispt_cmd_complete(cmd);
		return;
	}
	/* The chunk pages go after the parameter list's */
	x->buf = cmd->nr_pages * PAGE_SIZE;
	/*
	 * Once, for every chunk: past this point no shortage ends the
	 * command (ispt_xcopy_part_end()), and before it nothing moved.
	 */
	if (ispt_cmd_alloc_pages(cmd, min_t(u64, max, ISPT_XCOPY_CHUNK))) {
		xcopy_busy(cmd);
		return;
	}
	/* Start at segment 0: xcopy_next() checks it (again) and copies. */
	x->seg = (unsigned int)-1;
	x->done = 0;
	x->plan.bytes = 0;
	xcopy_next(cmd);
}

/**
 * ispt_xcopy_receive - RECEIVE COPY RESULTS
 * @cmd: the command, in its owner
 *
 * The statuses are held per I_T nexus (the session), under its lock.
 */
void ispt_xcopy_receive(struct ispt_cmd *cmd)
{
	u8 buf[128] = { };
	enum sam_status st;
	u32 len;

	st = ispt_xcopy_results(&cmd->scsi, xcopy_results_lock(cmd), buf,
				sizeof(buf), &len);
	xcopy_results_unlock(cmd);
	if (st != SAM_STAT_GOOD) {
		ispt_cmd_fail(cmd, cmd->scsi.sense);
		return;
	}
	if (ispt_cmd_set_data_in(cmd, buf,
				 min3(len, cmd->scsi.alloc_len, (u32)sizeof(buf))))
		xcopy_busy(cmd);
	else
		ispt_cmd_complete(cmd);
}
