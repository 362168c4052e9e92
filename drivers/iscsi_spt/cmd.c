// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI commands: from a decoded CDB to bios and back to Data-In and
 * responses, all in the connection's owning worker.
 *
 * Every command PDU becomes a struct ispt_cmd. One that sends data
 * (WRITE, UNMAP, MODE SELECT...) first gathers it into its pages:
 * immediate data, the unsolicited first burst, then R2T sequences, each
 * received straight into the pages. It then waits for its task
 * attribute to let it run (SIMPLE, ORDERED, HEAD OF QUEUE) and is
 * executed: READ/WRITE/SYNCHRONIZE CACHE here, answers built from the
 * LU's description here, the rest by sbc.c.
 *
 * A read gets pages, bios built to the queue's limits so the block layer
 * never splits them (a REQ_NOWAIT bio cannot be split), and its
 * completion is posted back to the owner (ispt_work_post), which sends
 * Data-In PDUs whose data are those same pages: the pages go to the
 * socket by reference and are freed when the last PDU using them is
 * released, so read data is never copied.
 *
 * Nothing here sleeps: memory is GFP_NOWAIT, bios carry REQ_NOWAIT where
 * the device supports it, and a device or memory shortage becomes TASK
 * SET FULL, which initiators answer by retrying with a lower queue depth.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "cmd.h"
#include "compat.h"
#include "conn.h"
#include "lun.h"
#include "mode.h"
#include "pdu.h"
#include "scsi.h"
#include "session.h"
#include "spc.h"
#include "state.h"
#include "target.h"
#include "ua.h"

/* Built answers (INQUIRY, MODE SENSE, REPORT LUNS...) fit in this. */
#define CMD_ANSWER_MAX		(4 * PAGE_SIZE)
/*
 * Pages that commands may hold, for one connection and for all: a write
 * waits for Data-Out that may never come, a read's Data-In for a socket
 * the initiator may never read, and neither is bounded by the CmdSN window
 * (immediate commands bypass it). Past either limit a command gets TASK
 * SET FULL, so a peer cannot take the machine's memory.
 */
#define CMD_MAX_CONN_PAGES	((128 << 20) >> PAGE_SHIFT)
#define CMD_MAX_ALL_PAGES	(totalram_pages() / 4)
/*
 * ERL 1: reads retained after their status on one connection until
 * ExpStatSN acknowledges it (snack.c); their pages stay charged above.
 */
#define CMD_RETAINED_MAX	256
/* Recovery R2Ts for one write before its task ends with a CRC error. */
#define CMD_RECOVERIES_MAX	8

static atomic_long_t cmd_pages_all = ATOMIC_LONG_INIT(0);

/*
 * @desc: descriptor format sense, as the LU's control page D_SENSE asks;
 * @exp_datasn: the Data-In or R2T PDUs sent for the task.
 */
static int send_response(struct ispt_conn *conn, itt_t itt, u32 edtl,
			 u8 status, const struct ispt_sense *sense, bool desc,
			 u64 moved, u32 exp_datasn)
{
	struct ispt_pdu_scsi_rsp_args a = {
		.itt = itt,
		.response = ISCSI_STATUS_CMD_COMPLETED,
		.status = status,
		.exp_datasn = exp_datasn,
		.residual = ispt_pdu_residual(edtl, moved),
	};
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	u32 len;

	pdu = ispt_tx_pdu_alloc(sense ? 2 + ISPT_SENSE_MAX_LEN : 0,
				ISPT_GFP_ANSWER);
	if (!pdu)
		return -ENOMEM;
	if (sense) {
		/* The data segment is SenseLength (2 bytes), then the sense. */
		len = ispt_sense_build(sense, desc, pdu->data + 2,
				       ISPT_SENSE_MAX_LEN);
		put_unaligned_be16(len, pdu->data);
		pdu->data_len = 2 + len;
	}
	a.data_len = pdu->data_len;
	sn = ispt_session_sn(conn, true);
	ispt_pdu_build_scsi_rsp(&pdu->bhs, &a, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

static void cmd_leave_task_set(struct ispt_cmd *cmd,
			       const struct ispt_conn *self);

static void cmd_free(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;
	bool retained = cmd->retained;
	unsigned int i;

	for (i = 0; i < cmd->nr_pages; i++)
		__free_page(cmd->bvec[i].bv_page);
	kfree(cmd->bvec);
	ispt_sbc_release(cmd);
	ispt_xcopy_release(cmd);
	/* One that never ended (its connection closing) leaves it here. */
	if (cmd->ta_state != ISPT_TA_NONE && cmd->ta_state != ISPT_TA_DONE &&
	    !WARN_ON_ONCE(!conn->sess))
		cmd_leave_task_set(cmd, NULL);
	conn->cmd_pages -= cmd->charged;
	atomic_long_sub(cmd->charged, &cmd_pages_all);
	if (cmd->lun)
		ispt_lun_put(cmd->lun);
	list_del(&cmd->node);
	if (cmd->abort_tmf)
		ispt_tmf_task_ended(conn, cmd->abort_tmf);
	kfree(cmd);
	ispt_obj_put(cmds);
	ispt_conn_cmd_gone(conn, retained);
}

/* Count @cmd as ended; @error: not with GOOD status, or not answered. */
static void cmd_account(struct ispt_cmd *cmd, bool error)
{
	enum ispt_stats_dir dir = ISPT_STATS_OTHER;
	u32 bytes = 0;

	if (cmd->scsi.handler == ISPT_SCSI_DO_READ) {
		dir = ISPT_STATS_READ;
		bytes = cmd->data_in_len;
	} else if (cmd->scsi.handler == ISPT_SCSI_DO_WRITE) {
		dir = ISPT_STATS_WRITE;
		bytes = cmd->io_len;
	}
	ispt_state_cmd_done(cmd->conn, cmd->lun, cmd->start_ns, dir,
			    error ? 0 : bytes, error,
			    error && cmd->sam_status == SAM_STAT_TASK_SET_FULL);
}

static void cmd_put(struct ispt_cmd *cmd)
{
	if (refcount_dec_and_test(&cmd->refs))
		cmd_free(cmd);
}

static void data_in_released(struct ispt_tx_pdu *pdu)
{
	struct ispt_cmd *cmd = pdu->owner;

	ispt_tx_pdu_free(pdu);
	cmd_put(cmd);
}

/* A Target Transfer Tag of this connection's, never the reserved one. */
static u32 cmd_new_ttt(struct ispt_conn *conn)
{
	if (++conn->next_ttt == ISCSI_RESERVED_TAG)
		conn->next_ttt = 1;
	return conn->next_ttt;
}

/*
 * Queue the Data-In PDUs numbered [@first, @end) of a read cut for
 * @mrdsl, from the pages by reference. With @status the status rides on
 * the last one (phase collapse); at ERL 1 it never does, so that Data
 * and Status SNACKs each replay what they name (snack.c), and the last
 * one asks for a DataACK of the whole read with the A bit and
 * cmd->datain_ttt, which lets the pages go early.
 *
 * Return: the read's Data-In count, or -errno.
 */
static int cmd_queue_data_in(struct ispt_cmd *cmd, u32 mrdsl, u32 first,
			     u32 end, bool status)
{
	struct ispt_conn *conn = cmd->conn;
	struct ispt_pdu_datain_iter it;
	struct ispt_pdu_datain_seg seg;
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	int count = 0;

	if (ispt_pdu_datain_init(&it, cmd->data_in_len, mrdsl,
				 conn->sess->keys.max_burst))
		return -EINVAL;
	while (ispt_pdu_datain_next(&it, &seg)) {
		struct ispt_pdu_data_in_args a = {
			.itt = cmd->itt,
			.lun = cmd->lun_id,
			.ttt = ISCSI_RESERVED_TAG,
			.datasn = seg.datasn,
			.offset = seg.offset,
			.data_len = seg.len,
			.final = seg.final,
			.ack = seg.last && !status,
			.has_status = status && seg.last,
			.status = SAM_STAT_GOOD,
			.residual = ispt_pdu_residual(cmd->edtl, cmd->xfer_len),
		};

		count++;
		if (seg.datasn < first || seg.datasn >= end)
			continue;
		if (a.ack)
			a.ttt = cmd->datain_ttt;
		pdu = ispt_tx_pdu_alloc(0, ISPT_GFP_ANSWER);
		if (!pdu)
			return -ENOMEM;
		pdu->bvec = cmd->bvec;
		pdu->nr_bvec = cmd->nr_pages;
		pdu->bvec_skip = seg.offset;
		pdu->data_len = seg.len;
		pdu->owner = cmd;
		pdu->release = data_in_released;
		refcount_inc(&cmd->refs);
		sn = ispt_session_sn(conn, a.has_status);
		ispt_pdu_build_data_in(&pdu->bhs, &a, &sn);
		ispt_conn_queue_pdu(conn, pdu);
	}
	return count;
}

/* Send data_in_len bytes of the pages as Data-In, then the status. */
static int cmd_send_data_in(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;
	bool erl1 = ispt_conn_erl1(conn);
	int count;

	if (erl1)
		cmd->datain_ttt = cmd_new_ttt(conn);
	count = cmd_queue_data_in(cmd, conn->max_send_dsl, 0, U32_MAX, !erl1);
	if (count < 0)
		return count;
	cmd->datain_mrdsl = conn->max_send_dsl;
	cmd->datain_pdus = count;
	if (!erl1)
		return 0;
	return send_response(conn, cmd->itt, cmd->edtl, SAM_STAT_GOOD, NULL,
			     false, cmd->xfer_len, count);
}

/*
 * ERL 1: the read stays, holding the owner's reference, until ExpStatSN
 * acknowledges its status; it no longer counts against the session's
 * window, which is for tasks (CmdSN). The oldest goes past the bound.
 */
static void cmd_unretain(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;

	list_move_tail(&cmd->node, &conn->cmds);
	conn->nr_retained--;
	cmd_put(cmd);
}

static void cmd_retain(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;

	cmd->retained = true;
	cmd->statsn = conn->statsn - 1;
	/* A replay needs only the pages: the LU may go meanwhile. */
	ispt_sbc_release(cmd);
	ispt_xcopy_release(cmd);
	if (cmd->lun) {
		ispt_lun_put(cmd->lun);
		cmd->lun = NULL;
	}
	list_move_tail(&cmd->node, &conn->cmds_retained);
	atomic_dec(&conn->sess->nr_cmds);
	ispt_session_cmd_gone(conn);
	if (++conn->nr_retained > CMD_RETAINED_MAX)
		cmd_unretain(list_first_entry(&conn->cmds_retained,
					      struct ispt_cmd, node));
}

/**
 * ispt_cmds_acked - let go of the reads whose status is acknowledged
 * @conn: their connection, in the owner
 * @exp_statsn: the initiator's ExpStatSN
 */
void ispt_cmds_acked(struct ispt_conn *conn, u32 exp_statsn)
{
	struct ispt_cmd *cmd, *tmp;

	list_for_each_entry_safe(cmd, tmp, &conn->cmds_retained, node) {
		if (!iscsi_sna_lt(cmd->statsn, exp_statsn))
			break;
		cmd_unretain(cmd);
	}
}

static void cmd_execute(struct ispt_cmd *cmd);

/*
 * Task attributes (SAM-5 8.6). The control mode page says TST=001b: one
 * task set per I_T nexus, which is the session, whatever connection a
 * task came on. It is kept for all the session's LUs together, which is
 * stricter than per LU and so still correct. An ORDERED task runs once
 * everything before it has ended, and holds back everything after it;
 * HEAD OF QUEUE runs at once. A task counts as active from the moment
 * its attribute admits it, even while its data is still coming, so an
 * ORDERED one cannot overtake a write still receiving data.
 *
 * "Before" is CmdSN order: a non-immediate task joins the set under
 * sess->lock in the same hold that takes its CmdSN (session.c), which
 * is where the session's connections are put in order; an immediate one
 * joins when it arrives. The set is under sess->lock; a task is only
 * ever run by its owner, so one that another connection's ending lets
 * go goes on its owner's cmds_ready and the owner is woken for it.
 */
static void cmd_admit_locked(struct ispt_cmd *cmd)
{
	struct ispt_session *sess = cmd->conn->sess;

	lockdep_assert_held(&sess->lock);
	if (cmd->ta_state != ISPT_TA_NONE)
		return;
	if (cmd->attr != ISCSI_ATTR_HEAD_OF_QUEUE) {
		if (!list_empty(&sess->cmds_blocked) || sess->ordered_active ||
		    (cmd->attr == ISCSI_ATTR_ORDERED && sess->cmds_active)) {
			cmd->ta_state = ISPT_TA_BLOCKED;
			list_add_tail(&cmd->wait_node, &sess->cmds_blocked);
			return;
		}
		if (cmd->attr == ISCSI_ATTR_ORDERED)
			sess->ordered_active = true;
	}
	cmd->ta_state = ISPT_TA_ACTIVE;
	sess->cmds_active++;
}

/* Admit what the task set now lets run, in order; wake the owners. */
static void cmd_release_locked(struct ispt_session *sess,
			       const struct ispt_conn *self)
{
	struct ispt_cmd *next;

	lockdep_assert_held(&sess->lock);
	while (!sess->ordered_active &&
	       (next = list_first_entry_or_null(&sess->cmds_blocked,
						struct ispt_cmd, wait_node))) {
		if (next->attr == ISCSI_ATTR_ORDERED) {
			if (sess->cmds_active)
				break;
			sess->ordered_active = true;
		}
		list_move_tail(&next->wait_node, &next->conn->cmds_ready);
		WRITE_ONCE(next->ta_state, ISPT_TA_READY);
		sess->cmds_active++;
		if (next->conn != self)
			ispt_work_queue(&next->conn->work);
	}
}

/* @cmd leaves the task set: it has ended, or its connection has. */
static void cmd_leave_locked(struct ispt_session *sess, struct ispt_cmd *cmd)
{
	list_del_init(&cmd->wait_node);
	if (cmd->ta_state == ISPT_TA_READY || cmd->ta_state == ISPT_TA_ACTIVE) {
		sess->cmds_active--;
		if (cmd->attr == ISCSI_ATTR_ORDERED)
			sess->ordered_active = false;
	}
	cmd->ta_state = ISPT_TA_DONE;
}

/* @cmd leaves the task set; what it frees on @self is run by the caller. */
static void cmd_leave_task_set(struct ispt_cmd *cmd,
			       const struct ispt_conn *self)
{
	struct ispt_session *sess = cmd->conn->sess;

	spin_lock(&sess->lock);
	cmd_leave_locked(sess, cmd);
	cmd_release_locked(sess, self);
	spin_unlock(&sess->lock);
}

/* Every byte of the write is in: no sequence open, no hole left. */
static bool cmd_data_all_in(const struct ispt_cmd *cmd)
{
	return !cmd->unsol_open && ispt_pdu_r2t_plan_done(&cmd->plan) &&
	       !cmd->recovery_open && cmd->hole_end <= cmd->hole_start;
}

/* All of a command's data is in: run it if its attribute lets it. */
static void cmd_data_ready(struct ispt_cmd *cmd)
{
	/* Only the owner sets ACTIVE, so no lock is needed to see it. */
	if (cmd->ta_state == ISPT_TA_ACTIVE)
		cmd_execute(cmd);
}

/**
 * ispt_cmds_run_ready - run the tasks the task set has let go
 * @conn: their connection, in its owner
 *
 * A task run here may end at once and let others go in turn: the outer
 * loop carries on for them instead of nesting on the stack.
 */
void ispt_cmds_run_ready(struct ispt_conn *conn)
{
	struct ispt_session *sess = conn->sess;
	struct ispt_cmd *cmd;

	if (conn->cmds_unblocking || !sess)
		return;
	conn->cmds_unblocking = true;
	while (conn->state != ISPT_CONN_CLOSING) {
		spin_lock(&sess->lock);
		cmd = list_first_entry_or_null(&conn->cmds_ready,
					       struct ispt_cmd, wait_node);
		if (cmd) {
			list_del_init(&cmd->wait_node);
			cmd->ta_state = ISPT_TA_ACTIVE;
		}
		spin_unlock(&sess->lock);
		if (!cmd)
			break;
		/* Its data may still be coming: then the last Data-Out runs it. */
		if (cmd_data_all_in(cmd))
			cmd_execute(cmd);
	}
	conn->cmds_unblocking = false;
}

/* A command has ended: let the ones its attribute held back go. */
static void cmd_retire(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;

	if (cmd->ta_state == ISPT_TA_DONE)
		return;
	if (cmd->ta_state == ISPT_TA_NONE) {
		cmd->ta_state = ISPT_TA_DONE;
		return;
	}
	cmd_leave_task_set(cmd, conn);
	if (!list_empty(&conn->cmds_ready))
		ispt_cmds_run_ready(conn);
}

/**
 * ispt_cmds_leave_task_set_locked - take a connection's tasks out
 * @sess: the session, locked
 * @conn: the connection, leaving it, in its owner
 *
 * Tasks whose bios still run end unseen once their connection has gone:
 * they must not hold back the tasks of the session's other connections.
 */
void ispt_cmds_leave_task_set_locked(struct ispt_session *sess,
				     struct ispt_conn *conn)
{
	struct ispt_cmd *cmd;

	lockdep_assert_held(&sess->lock);
	list_for_each_entry(cmd, &conn->cmds, node)
		if (cmd->ta_state != ISPT_TA_NONE &&
		    cmd->ta_state != ISPT_TA_DONE)
			cmd_leave_locked(sess, cmd);
	cmd_release_locked(sess, conn);
}

/**
 * ispt_cmd_complete - send a command's outcome and let it go
 * @cmd: the command, in its owner
 *
 * GOOD with data_in_len bytes in the pages goes as Data-In with the
 * status in the last PDU; anything else as a SCSI Response, with sense
 * for CHECK CONDITION. Residuals compare EDTL with xfer_len.
 */
void ispt_cmd_complete(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;
	bool check = cmd->sam_status == SAM_STAT_CHECK_CONDITION;
	int ret;

	cmd->completed = true;
	cmd_retire(cmd);
	cmd_account(cmd, cmd->sam_status != SAM_STAT_GOOD ||
		    conn->state == ISPT_CONN_CLOSING || cmd->aborted);
	if (cmd->task_aborted) {
		cmd->sam_status = SAM_STAT_TASK_ABORTED;
		cmd->data_in_len = 0;
		cmd->xfer_len = 0;	/* nothing it moved counts */
	} else if (conn->state == ISPT_CONN_CLOSING || cmd->aborted) {
		/* An aborted task ends silently (RFC 7143 4.2.3.3). */
		cmd_put(cmd);
		return;
	}
	if (conn->state == ISPT_CONN_CLOSING) {
		cmd_put(cmd);
		return;
	}
	if (cmd->sam_status == SAM_STAT_GOOD && cmd->data_in_len)
		ret = cmd_send_data_in(cmd);
	else
		ret = send_response(conn, cmd->itt, cmd->edtl, cmd->sam_status,
				    check ? &cmd->sense : NULL,
				    cmd->lun &&
				    READ_ONCE(cmd->lun->desc.mode.d_sense),
				    check ? 0 : cmd->xfer_len,
				    cmd->plan.next_r2tsn);
	if (ret) {
		net_warn_ratelimited("%pISpc: no memory for the answer to task 0x%x, closing the connection\n",
				     &conn->peer, be32_to_cpu((__force __be32)cmd->itt));
		ispt_conn_close(conn, "no memory for a response");
	} else if (cmd->datain_pdus && ispt_conn_erl1(conn)) {
		cmd_retain(cmd);
		return;
	}
	cmd_put(cmd);
}

/* End @cmd with CHECK CONDITION and @sense. */
void ispt_cmd_fail(struct ispt_cmd *cmd, struct ispt_sense sense)
{
	cmd->sam_status = SAM_STAT_CHECK_CONDITION;
	cmd->sense = sense;
	cmd->data_in_len = 0;
	ispt_cmd_complete(cmd);
}

/* Back-pressure: the initiator retries, with a lower queue depth. */
static void cmd_busy(struct ispt_cmd *cmd)
{
	cmd->sam_status = SAM_STAT_TASK_SET_FULL;
	cmd->data_in_len = 0;
	ispt_cmd_complete(cmd);
}

/* The default end of a command's bios: READ, WRITE, flush. */
static void cmd_rw_done(struct ispt_cmd *cmd)
{
	bool write = cmd->scsi.dir == ISPT_SCSI_DIR_OUT ||
		     cmd->scsi.handler == ISPT_SCSI_DO_FLUSH;

	switch (cmd->status) {
	case BLK_STS_OK:
		ispt_cmd_complete(cmd);
		break;
	case BLK_STS_AGAIN:
	case BLK_STS_RESOURCE:
	case BLK_STS_DEV_RESOURCE:
		cmd_busy(cmd);
		break;
	case BLK_STS_NOTSUPP:
		ispt_cmd_fail(cmd, ispt_sense_invalid_opcode());
		break;
	default:
		ispt_cmd_fail(cmd, write ? ispt_sense_write_error(cmd->scsi.lba) :
				     ispt_sense_read_error(cmd->scsi.lba));
		break;
	}
}

/* In the owner: the last bio of @cmd has ended. */
static void cmd_io_posted(struct ispt_post *post)
{
	struct ispt_cmd *cmd = container_of(post, struct ispt_cmd, post);
	struct ispt_conn *conn = cmd->conn;

	if (conn->state == ISPT_CONN_CLOSING) {
		cmd_account(cmd, true);
		cmd_put(cmd);
		return;
	}
	cmd->io_done(cmd);
	/* Responses were queued outside the connection's own turn. */
	ispt_work_queue(&conn->work);
}

static void cmd_bio_end_io(struct bio *bio)
{
	struct ispt_cmd *cmd = bio->bi_private;

	/* The first error wins: it names what failed. */
	if (bio->bi_status)
		cmpxchg(&cmd->status, BLK_STS_OK, bio->bi_status);
	bio_put(bio);
	if (atomic_dec_and_test(&cmd->bios_pending))
		ispt_work_post(&cmd->conn->work, &cmd->post);
}

/* Pages all commands hold now (the "objects" line of "stats") */
long ispt_cmd_pages_pinned(void)
{
	return atomic_long_read(&cmd_pages_all);
}

/**
 * ispt_cmd_alloc_pages - give @cmd pages for @len more bytes of data
 * @cmd: the command
 * @len: bytes; the pages are whole, the last bvec is cut to @len
 *
 * The pages go after those @cmd already has, so the first new one is at
 * byte offset nr_pages * PAGE_SIZE (as ispt_cmd_io_pages() counts): a
 * compare reads the medium there, next to the data-out it compares.
 *
 * Return: 0, -ENOMEM (what was allocated is freed with the command), or
 * -EBUSY past the limits on pinned pages (CMD_MAX_*_PAGES).
 */
int ispt_cmd_alloc_pages(struct ispt_cmd *cmd, u32 len)
{
	unsigned int i, first = cmd->nr_pages, n = DIV_ROUND_UP(len, PAGE_SIZE);
	struct bio_vec *bvec;

	if (cmd->conn->cmd_pages + n > CMD_MAX_CONN_PAGES)
		return -EBUSY;
	if (atomic_long_add_return(n, &cmd_pages_all) > CMD_MAX_ALL_PAGES) {
		atomic_long_sub(n, &cmd_pages_all);
		return -EBUSY;
	}
	cmd->charged += n;
	cmd->conn->cmd_pages += n;
	bvec = krealloc_array(cmd->bvec, first + n, sizeof(*bvec),
			      GFP_NOWAIT | __GFP_NOWARN);
	if (!bvec)
		return -ENOMEM;
	cmd->bvec = bvec;
	for (i = 0; i < n; i++) {
		struct page *page = alloc_page(GFP_NOWAIT | __GFP_NOWARN);

		if (!page)
			return -ENOMEM;
		bvec_set_page(&cmd->bvec[first + i], page,
			      min_t(u32, PAGE_SIZE, len - i * PAGE_SIZE), 0);
		cmd->nr_pages++;
	}
	cmd->buf_len = first * PAGE_SIZE + len;
	return 0;
}

/**
 * ispt_cmd_copy_from_pages - copy bytes out of a command's pages
 * @cmd: the command
 * @off: byte offset into its pages (a region's offset)
 * @to: where to
 * @len: how many bytes; the pages must hold @off + @len
 */
void ispt_cmd_copy_from_pages(struct ispt_cmd *cmd, u32 off, void *to,
			      u32 len)
{
	u8 *p = to;

	while (len) {
		u32 in = off % PAGE_SIZE;
		u32 n = min_t(u32, len, PAGE_SIZE - in);

		memcpy_from_page(p, cmd->bvec[off / PAGE_SIZE].bv_page, in, n);
		p += n;
		off += n;
		len -= n;
	}
}

/**
 * ispt_cmd_set_data_in - answer @cmd with @len bytes built in @buf
 * @cmd: the command
 * @buf: the answer
 * @len: its length, already cut to the CDB's allocation length
 *
 * What passes EDTL is not sent; the residual says so. The answer is
 * copied: it is built data, not the device's.
 *
 * Return: 0, or -ENOMEM.
 */
int ispt_cmd_set_data_in(struct ispt_cmd *cmd, const void *buf, u32 len)
{
	u32 n = min(len, cmd->edtl), done = 0;
	unsigned int i;

	cmd->xfer_len = len;
	cmd->data_in_len = 0;
	if (!n)
		return 0;
	if (ispt_cmd_alloc_pages(cmd, n))
		return -ENOMEM;
	for (i = 0; i < cmd->nr_pages; i++) {
		memcpy_to_page(cmd->bvec[i].bv_page, 0, buf + done,
			       cmd->bvec[i].bv_len);
		done += cmd->bvec[i].bv_len;
	}
	cmd->data_in_len = n;
	return 0;
}

sector_t ispt_cmd_lba_to_sector(const struct ispt_cmd *cmd, u64 lba)
{
	return lba * (cmd->lun->desc.block_size >> SECTOR_SHIFT);
}

/* Bios may be started; a bias keeps the count above zero meanwhile. */
void ispt_cmd_io_begin(struct ispt_cmd *cmd)
{
	cmd->submitted = true;
	cmd->status = BLK_STS_OK;
	if (!cmd->io_done)
		cmd->io_done = cmd_rw_done;
	atomic_set(&cmd->bios_pending, 1);
}

/* Drop the bias: @io_done runs in the owner once every bio has ended. */
void ispt_cmd_io_end(struct ispt_cmd *cmd)
{
	if (atomic_dec_and_test(&cmd->bios_pending))
		ispt_work_post(&cmd->conn->work, &cmd->post);
}

/*
 * REQ_NOWAIT turns a full device queue into BLK_STS_AGAIN instead of a
 * sleep, but the block layer cannot split such a bio, so it is only set
 * where every bio we build fits the queue as it is: a page per segment.
 */
static bool cmd_bdev_nowait(struct block_device *bdev)
{
	const struct queue_limits *lim = &bdev_get_queue(bdev)->limits;

	return bdev_nowait(bdev) && lim->max_segment_size >= PAGE_SIZE &&
	       lim->seg_boundary_mask >= PAGE_SIZE - 1;
}

/**
 * ispt_cmd_bio_alloc - a bio for @cmd, counted until it ends
 * @cmd: the command, between ispt_cmd_io_begin() and ispt_cmd_io_end()
 * @opf: operation and flags; REQ_NOWAIT is added where it is safe
 * @sector: the device sector it starts at
 * @nr_vecs: pages it will take
 *
 * Return: the bio, or NULL when memory is short (@cmd->status records
 * it, so the command ends with TASK SET FULL after the bios already
 * started have ended).
 */
struct bio *ispt_cmd_bio_alloc(struct ispt_cmd *cmd, blk_opf_t opf,
			       sector_t sector, unsigned short nr_vecs)
{
	return ispt_cmd_bio_alloc_on(cmd, cmd->lun, opf, sector, nr_vecs);
}

/**
 * ispt_cmd_bio_alloc_on - ispt_cmd_bio_alloc() on another LU
 * @cmd: the command, between ispt_cmd_io_begin() and ispt_cmd_io_end()
 * @lun: the LU, whose device and write cache setting count; the caller
 *	holds a reference on it
 * @opf: as for ispt_cmd_bio_alloc()
 * @sector: the device sector it starts at
 * @nr_vecs: pages it will take
 *
 * EXTENDED COPY reads and writes LUs other than the one it addresses.
 *
 * Return: the bio, or NULL when memory is short.
 */
struct bio *ispt_cmd_bio_alloc_on(struct ispt_cmd *cmd, struct ispt_lun *lun,
				  blk_opf_t opf, sector_t sector,
				  unsigned short nr_vecs)
{
	struct block_device *bdev = lun->bdev;
	struct bio *bio;

	if (cmd_bdev_nowait(bdev))
		opf |= REQ_NOWAIT;
	/*
	 * WCE=0 (MODE SELECT, caching page; changeable only on a device
	 * with a volatile cache): every data write goes through it.
	 */
	if ((opf & REQ_OP_MASK) == REQ_OP_WRITE && !(opf & REQ_PREFLUSH) &&
	    lun->desc.write_cache && !READ_ONCE(lun->desc.mode.wce))
		opf |= REQ_FUA;
	/* Like O_DIRECT: writeback throttling would sleep for buffered writes. */
	if (op_is_write(opf) && !(opf & REQ_PREFLUSH))
		opf |= REQ_SYNC | REQ_IDLE;
	bio = bio_alloc(bdev, nr_vecs, opf, GFP_NOWAIT | __GFP_NOWARN);
	if (!bio) {
		cmpxchg(&cmd->status, BLK_STS_OK, BLK_STS_RESOURCE);
		return NULL;
	}
	bio->bi_iter.bi_sector = sector;
	bio->bi_end_io = cmd_bio_end_io;
	bio->bi_private = cmd;
	atomic_inc(&cmd->bios_pending);
	return bio;
}

/*
 * The most bytes one bio may carry from @sector without the block layer
 * splitting it: max_sectors, cut at a chunk boundary, and ended on a
 * physical block (the rule blk-merge.c applies).
 */
static u32 cmd_bio_max_bytes(struct block_device *bdev, sector_t sector)
{
	const struct queue_limits *lim = &bdev_get_queue(bdev)->limits;
	unsigned int pbs = lim->physical_block_size >> SECTOR_SHIFT;
	unsigned int lbs = lim->logical_block_size >> SECTOR_SHIFT;
	unsigned int max = lim->max_sectors, start, end;

	if (lim->chunk_sectors)
		max = min(max, lim->chunk_sectors -
			  (unsigned int)(sector & (lim->chunk_sectors - 1)));
	start = sector & (pbs - 1);
	end = (start + max) & ~(pbs - 1);
	if (end > start)
		max = end - start;
	else
		max &= ~(lbs - 1);
	return max << SECTOR_SHIFT;
}

/**
 * ispt_cmd_io_pages - bios moving @len bytes of @cmd's pages from @offset
 * @cmd: the command, between ispt_cmd_io_begin() and ispt_cmd_io_end()
 * @opf: REQ_OP_READ or REQ_OP_WRITE with flags
 * @sector: where on the device
 * @offset: where in the pages (need not be page aligned)
 * @len: bytes, whole logical blocks
 *
 * Each bio is cut to the queue's limits here, so none is split later.
 *
 * Return: 0, or -ENOMEM when a bio could not be had (see
 * ispt_cmd_bio_alloc()); the bios already submitted still end normally.
 */
int ispt_cmd_io_pages(struct ispt_cmd *cmd, blk_opf_t opf, sector_t sector,
		      u32 offset, u32 len)
{
	return ispt_cmd_io_pages_on(cmd, cmd->lun, opf, sector, offset, len);
}

/* ispt_cmd_io_pages() on @lun, which the caller holds a reference on */
int ispt_cmd_io_pages_on(struct ispt_cmd *cmd, struct ispt_lun *lun,
			 blk_opf_t opf, sector_t sector, u32 offset, u32 len)
{
	struct block_device *bdev = lun->bdev;
	unsigned int max_segs = queue_max_segments(bdev_get_queue(bdev));
	unsigned int i = offset / PAGE_SIZE;
	u32 in_page = offset % PAGE_SIZE;

	while (len) {
		u32 max_bytes = min(cmd_bio_max_bytes(bdev, sector), len);
		unsigned int segs = min3(max_segs, cmd->nr_pages - i,
					 (unsigned int)BIO_MAX_VECS);
		struct bio *bio;
		u32 bytes = 0;

		bio = ispt_cmd_bio_alloc_on(cmd, lun, opf, sector, segs);
		if (!bio)
			return -ENOMEM;
		while (bytes < max_bytes && segs--) {
			u32 n = min(cmd->bvec[i].bv_len - in_page,
				    max_bytes - bytes);

			/* Cannot fail: the bio has a vec for every page. */
			__bio_add_page(bio, cmd->bvec[i].bv_page, n, in_page);
			bytes += n;
			in_page += n;
			if (in_page == cmd->bvec[i].bv_len) {
				in_page = 0;
				i++;
			}
		}
		submit_bio(bio);
		sector += bytes >> SECTOR_SHIFT;
		len -= bytes;
	}
	return 0;
}

/* READ, WRITE, SYNCHRONIZE CACHE: to the device. */
static void cmd_execute_rw(struct ispt_cmd *cmd)
{
	sector_t sector = ispt_cmd_lba_to_sector(cmd, cmd->scsi.lba);
	blk_opf_t opf;
	struct bio *bio;

	switch (cmd->scsi.handler) {
	case ISPT_SCSI_DO_READ:
		if (!cmd->scsi.data_len) {
			ispt_cmd_complete(cmd);
			return;
		}
		if (ispt_cmd_alloc_pages(cmd, cmd->scsi.data_len)) {
			cmd_busy(cmd);
			return;
		}
		/* Only what EDTL has room for is sent; the residual says so. */
		cmd->data_in_len = min(cmd->edtl, cmd->scsi.data_len);
		opf = REQ_OP_READ;
		break;
	case ISPT_SCSI_DO_WRITE:
		if (!cmd->io_len) {
			/* Zero blocks, or an EDTL short of one block. */
			ispt_cmd_complete(cmd);
			return;
		}
		/* Shared: only COMPARE AND WRITE and the like exclude it. */
		if (!ispt_sbc_lock(cmd, cmd->scsi.lba,
				   cmd->io_len / cmd->lun->desc.block_size,
				   false, cmd_execute_rw))
			return;
		opf = REQ_OP_WRITE;
		break;
	default:	/* ISPT_SCSI_DO_FLUSH */
		ispt_cmd_io_begin(cmd);
		bio = ispt_cmd_bio_alloc(cmd, REQ_OP_WRITE | REQ_PREFLUSH, 0, 0);
		if (bio)
			submit_bio(bio);
		ispt_cmd_io_end(cmd);
		return;
	}
	if (cmd->scsi.flags & ISPT_SCSI_F_FUA)
		opf |= REQ_FUA;
	ispt_cmd_io_begin(cmd);
	ispt_cmd_io_pages(cmd, opf, sector, 0,
			  opf == REQ_OP_READ ? cmd->scsi.data_len : cmd->io_len);
	ispt_cmd_io_end(cmd);
}

/* Commands answered from the LU's description, without the device. */
static void cmd_answer(struct ispt_cmd *cmd)
{
	const struct ispt_scsi_lun_desc *desc = cmd->lun ? &cmd->lun->desc : NULL;
	struct ispt_sense absent = ispt_sense_lun_not_supported();
	const struct ispt_sense *pending;
	const struct ispt_scsi_cmd *scsi = &cmd->scsi;
	struct ispt_conn *conn = cmd->conn;
	struct ispt_sense progress;
	const struct ispt_scsi_port port = {
		.rel_port_id = conn->tpgt,
		.tpg_id = conn->tpgt,
	};
	u32 max = min_t(u32, scsi->alloc_len, CMD_ANSWER_MAX);
	u32 len = 0;
	u64 *ids;
	u8 *buf;
	int n, ret;

	if (scsi->handler == ISPT_SCSI_DO_TUR) {
		ispt_cmd_complete(cmd);
		return;
	}
	buf = kzalloc(CMD_ANSWER_MAX, GFP_NOWAIT | __GFP_NOWARN);
	if (!buf) {
		cmd_busy(cmd);
		return;
	}
	switch (scsi->handler) {
	case ISPT_SCSI_DO_INQUIRY:
		len = ispt_spc_inquiry(scsi, desc, &port, buf, CMD_ANSWER_MAX);
		break;
	case ISPT_SCSI_DO_READ_CAPACITY_10:
	case ISPT_SCSI_DO_READ_CAPACITY_16:
		len = ispt_spc_read_capacity(scsi, desc, buf, CMD_ANSWER_MAX);
		break;
	case ISPT_SCSI_DO_MODE_SENSE:
		len = ispt_mode_sense(scsi, desc, buf, CMD_ANSWER_MAX);
		break;
	case ISPT_SCSI_DO_REQUEST_SENSE:
		pending = !cmd->lun ? &absent : cmd->ua_data ? &cmd->sense : NULL;
		/* What sg_sanitize polls: how far the sanitize has got */
		if (!pending &&
		    ispt_sanitize_progress(&cmd->lun->sanitize, &progress))
			pending = &progress;
		len = ispt_spc_request_sense(scsi, pending, buf,
					     CMD_ANSWER_MAX);
		break;
	case ISPT_SCSI_DO_REPORT_OPCODES:
		len = ispt_scsi_report_opcodes(scsi, desc, buf, CMD_ANSWER_MAX);
		break;
	case ISPT_SCSI_DO_REPORT_LUNS:
		/* The list is cut to the buffer, with the full length in it. */
		n = (CMD_ANSWER_MAX - 8) / sizeof(*ids);
		ids = kmalloc_array(n, sizeof(*ids), GFP_NOWAIT | __GFP_NOWARN);
		if (!ids) {
			kfree(buf);
			cmd_busy(cmd);
			return;
		}
		n = ispt_target_lun_ids(conn->sess->target, ids, n);
		len = ispt_spc_report_luns(scsi, ids, n, buf, CMD_ANSWER_MAX);
		kfree(ids);
		break;
	default:
		kfree(buf);
		ispt_cmd_fail(cmd, absent);
		return;
	}
	ret = ispt_cmd_set_data_in(cmd, buf, min(len, max));
	kfree(buf);
	if (ret)
		cmd_busy(cmd);
	else
		ispt_cmd_complete(cmd);
}

/* The command's data is in and its task attribute lets it run. */
static void cmd_execute(struct ispt_cmd *cmd)
{
	/* A sanitize under way, or failed: most commands are refused. */
	if (cmd->lun && unlikely(ispt_sanitize_active(&cmd->lun->sanitize)) &&
	    ispt_sanitize_refuse(cmd))
		return;
	/* Stopped by START STOP UNIT: the medium is not ready (SBC-3 4.19). */
	if (cmd->lun && (cmd->scsi.flags & ISPT_SCSI_F_MEDIUM) &&
	    READ_ONCE(cmd->lun->stopped)) {
		ispt_cmd_fail(cmd, ispt_sense_not_ready_init_required());
		return;
	}
	/* SPC-4 5.13.1: judged as it runs, with the reservation it meets. */
	if (unlikely(ispt_pr_cmd_conflict(cmd))) {
		cmd->sam_status = SAM_STAT_RESERVATION_CONFLICT;
		ispt_cmd_complete(cmd);
		return;
	}
	switch (cmd->scsi.handler) {
	case ISPT_SCSI_DO_READ:
	case ISPT_SCSI_DO_WRITE:
	case ISPT_SCSI_DO_FLUSH:
		if (!cmd->lun)
			break;
		cmd_execute_rw(cmd);
		return;
	case ISPT_SCSI_DO_TUR:
	case ISPT_SCSI_DO_INQUIRY:
	case ISPT_SCSI_DO_READ_CAPACITY_10:
	case ISPT_SCSI_DO_READ_CAPACITY_16:
	case ISPT_SCSI_DO_MODE_SENSE:
	case ISPT_SCSI_DO_REQUEST_SENSE:
	case ISPT_SCSI_DO_REPORT_OPCODES:
	case ISPT_SCSI_DO_REPORT_LUNS:
		cmd_answer(cmd);
		return;
	case ISPT_SCSI_DO_PR_IN:
	case ISPT_SCSI_DO_PR_OUT:
	case ISPT_SCSI_DO_RESERVE:
	case ISPT_SCSI_DO_RELEASE:
		if (!cmd->lun)
			break;
		ispt_pr_execute(cmd);
		return;
	default:
		if (!cmd->lun)
			break;
		if (ispt_sbc_execute(cmd) == -EOPNOTSUPP)
			ispt_cmd_fail(cmd, ispt_sense_invalid_opcode());
		return;
	}
	ispt_cmd_fail(cmd, ispt_sense_lun_not_supported());
}

/*
 * A new command: its LU and decoded CDB, and for one that sends data,
 * pages for it: what the CDB and EDTL both cover (whole blocks for a
 * WRITE; libiscsi's residual tests check exactly that), and room for
 * all the unsolicited data the initiator may send, which beyond that is
 * received and dropped. A CDB that does not decode leaves the command
 * with its CHECK CONDITION. NULL when memory is short.
 */
static struct ispt_cmd *cmd_prepare(struct ispt_conn *conn,
				    const struct ispt_pdu_summary *s)
{
	struct ispt_session_keys *keys = &conn->sess->keys;
	u32 unsol_len = s->data_len;
	struct ispt_cmd *cmd;
	unsigned int i;

	cmd = kzalloc(sizeof(*cmd), GFP_NOWAIT | __GFP_NOWARN);
	if (!cmd)
		return NULL;
	ispt_obj_get(cmds);
	cmd->conn = conn;
	cmd->itt = s->itt;
	cmd->lun_id = s->lun;
	cmd->edtl = s->cmd.edtl;
	cmd->attr = s->cmd.attr;
	cmd->post.fn = cmd_io_posted;
	for (i = 0; i < ARRAY_SIZE(cmd->seqs); i++)
		cmd->seqs[i].ttt = ISCSI_RESERVED_TAG;
	cmd->start_ns = ktime_get_ns();
	INIT_LIST_HEAD(&cmd->wait_node);
	refcount_set(&cmd->refs, 1);
	list_add_tail(&cmd->node, &conn->cmds);
	conn->nr_cmds++;
	atomic_inc(&conn->sess->nr_cmds);

	cmd->lun = ispt_target_lun_get(conn->sess->target, s->lun);
	/* Before the decode, whose range checks use the capacity. */
	if (cmd->lun)
		ispt_lun_check_capacity(cmd->lun, conn->sess->target);
	/* Its device unplugged: as if there were no LU there. */
	if (cmd->lun && unlikely(ispt_lun_gone(cmd->lun))) {
		ispt_lun_put(cmd->lun);
		cmd->lun = NULL;
	}
	if (ispt_scsi_decode(&cmd->scsi, s->cmd.cdb, ISCSI_CDB_SIZE,
			     cmd->lun ? &cmd->lun->desc : NULL) !=
	    SAM_STAT_GOOD) {
		cmd->sam_status = SAM_STAT_CHECK_CONDITION;
		cmd->sense = cmd->scsi.sense;
		return cmd;
	}
	cmd->xfer_len = cmd->scsi.data_len;
	/*
	 * Without the R or W bit its CDB's data cannot flow, whatever EDTL
	 * says: nothing is sent or written, and the residual says so.
	 */
	if ((cmd->scsi.dir == ISPT_SCSI_DIR_IN && !s->cmd.read) ||
	    (cmd->scsi.dir == ISPT_SCSI_DIR_OUT && !s->cmd.write))
		cmd->edtl = 0;
	if (!ispt_scsi_check_edtl(&cmd->scsi, cmd->edtl)) {
		cmd->sam_status = SAM_STAT_CHECK_CONDITION;
		cmd->sense = cmd->scsi.sense;
		return cmd;
	}
	if (cmd->scsi.dir != ISPT_SCSI_DIR_OUT || !cmd->lun || !s->cmd.write)
		return cmd;

	cmd->io_len = min(cmd->scsi.data_len, cmd->edtl);
	if (cmd->scsi.handler == ISPT_SCSI_DO_WRITE)
		cmd->io_len = rounddown(cmd->io_len, cmd->lun->desc.block_size);
	if (!keys->initial_r2t && !s->final)
		unsol_len = min(keys->first_burst, cmd->edtl);
	if (!cmd->io_len && !unsol_len)
		return cmd;
	if (ispt_cmd_alloc_pages(cmd, max(cmd->io_len, unsol_len))) {
		cmd_put(cmd);
		return NULL;
	}
	return cmd;
}

/* Header time: immediate data goes straight into the command's pages. */
int ispt_cmd_rx_immediate(struct ispt_conn *conn,
			  const struct ispt_pdu_summary *s)
{
	struct ispt_session_keys *keys = &conn->sess->keys;
	struct ispt_cmd *cmd;

	if (ispt_pdu_check_unsolicited(s, keys->immediate_data,
				       keys->initial_r2t, keys->first_burst) !=
	    ISPT_PDU_REJECT_NONE)
		return 0;	/* the complete PDU gets its Reject */
	cmd = cmd_prepare(conn, s);
	if (!cmd)
		return 0;	/* the complete PDU gets TASK SET FULL */
	conn->rx_cmd = cmd;
	if (cmd->bvec) {
		conn->rx.bvec = cmd->bvec;
		conn->rx.nr_bvec = cmd->nr_pages;
		conn->rx.bvec_skip = 0;
		cmd->received = s->data_len;
	}
	return 0;
}

static struct ispt_pdu_dataout_seq *cmd_free_seq(struct ispt_cmd *cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmd->seqs); i++)
		if (cmd->seqs[i].ttt == ISCSI_RESERVED_TAG)
			return &cmd->seqs[i];
	return NULL;
}

static int cmd_queue_r2t(struct ispt_cmd *cmd,
			 const struct ispt_pdu_dataout_seq *seq)
{
	struct ispt_conn *conn = cmd->conn;
	struct ispt_pdu_r2t r2t = {
		.r2tsn = seq->r2tsn,
		.offset = seq->offset,
		.length = seq->length,
	};
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;

	pdu = ispt_tx_pdu_alloc(0, ISPT_GFP_ANSWER);
	if (!pdu)
		return -ENOMEM;
	sn = ispt_session_sn(conn, false);
	ispt_pdu_build_r2t(&pdu->bhs, cmd->itt, cmd->lun_id, seq->ttt, &r2t,
			   &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

/*
 * ERL 1: Data-Out lost to a digest error is asked for again once no
 * sequence is open (with DataSequenceInOrder only the last R2T may be
 * retried, RFC 7143 13.19), before any new R2T: the hole, and any good
 * data between two holes, in one recovery R2T numbered after the others.
 *
 * Return: 1 if a hole holds the plan back, 0 if none, or -errno.
 */
static int cmd_send_recovery_r2t(struct ispt_cmd *cmd)
{
	struct ispt_pdu_dataout_seq *seq;

	if (cmd->hole_end <= cmd->hole_start)
		return 0;
	if (cmd->unsol_open || cmd->plan.outstanding || cmd->recovery_open)
		return 1;
	seq = cmd_free_seq(cmd);
	if (WARN_ON_ONCE(!seq) ||
	    ispt_pdu_dataout_seq_init(seq, cmd_new_ttt(cmd->conn),
				      cmd->hole_start,
				      cmd->hole_end - cmd->hole_start,
				      cmd->buf_len))
		return -EINVAL;
	seq->r2tsn = cmd->plan.next_r2tsn++;
	seq->recovery = true;
	cmd->recovery_open = true;
	cmd->recoveries++;
	cmd->hole_start = 0;
	cmd->hole_end = 0;
	return cmd_queue_r2t(cmd, seq) ?: 1;
}

/* Ask for more of a write's data, as far as MaxOutstandingR2T allows. */
static int cmd_send_r2ts(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;
	struct ispt_pdu_dataout_seq *seq;
	struct ispt_pdu_r2t r2t;
	int ret;

	ret = cmd_send_recovery_r2t(cmd);
	if (ret)
		return ret < 0 ? ret : 0;
	/*
	 * The plan's limit is the negotiated MaxOutstandingR2T, <= seqs; at
	 * ERL 1, 1 (cmd_start()).
	 */
	while ((seq = cmd_free_seq(cmd)) &&
	       ispt_pdu_r2t_plan_next(&cmd->plan, &r2t)) {
		if (ispt_pdu_dataout_seq_init(seq, cmd_new_ttt(conn), r2t.offset,
					      r2t.length, cmd->buf_len))
			return -EINVAL;
		seq->r2tsn = r2t.r2tsn;
		ret = cmd_queue_r2t(cmd, seq);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Unit attentions (SAM-5 5.14), when the command is accepted rather than
 * when it was prepared at header time: a command then refused (CmdSN
 * outside the window, a Reject) must not consume one. A condition takes
 * precedence over the command's own CDB error (see ispt_ua_check()).
 */
static void cmd_check_ua(struct ispt_cmd *cmd, u8 opcode)
{
	struct ispt_ua_queue *q = &cmd->conn->sess->ua;
	bool valid = cmd->sam_status == SAM_STAT_GOOD;
	struct ispt_sense sense;

	if (likely(!ispt_ua_maybe_pending(q)))
		return;
	if (!cmd->lun) {
		/* No LU to report to; REPORT LUNS still answers the news. */
		if (opcode == REPORT_LUNS && valid)
			ispt_ua_clear(q, ISPT_UA_ALL_LUNS, ISPT_ASC_LUNS_CHANGED);
		return;
	}
	switch (ispt_ua_check(q, cmd->lun->id, opcode, valid, &sense)) {
	case ISPT_UA_REPORT:
		cmd->sam_status = SAM_STAT_CHECK_CONDITION;
		cmd->sense = sense;
		break;
	case ISPT_UA_SENSE_DATA:
		cmd->sense = sense;
		cmd->ua_data = true;
		break;
	case ISPT_UA_RUN:
		break;
	}
}

/*
 * The command PDU is in, with any immediate data. Plan what is still to
 * come: the rest of the first burst unsolicited (InitialR2T=No and F=0),
 * then R2Ts for what the write needs beyond it.
 */
static int cmd_start(struct ispt_cmd *cmd, const struct ispt_pdu_summary *s)
{
	struct ispt_session_keys *keys = &cmd->conn->sess->keys;
	bool unsolicited = !keys->initial_r2t && !s->final;
	struct ispt_pdu_r2t_params p = {
		.edtl = cmd->io_len,
		.immediate_len = min(cmd->received, cmd->io_len),
		.first_burst = max(keys->first_burst, cmd->received),
		.max_burst = keys->max_burst,
		/*
		 * RFC 7143 13.19: with ERL > 0 and DataSequenceInOrder=Yes
		 * (ours), one R2T at a time, the only one a recovery retries.
		 */
		.max_outstanding = keys->erl ? 1 :
				   min_t(u32, keys->max_outstanding_r2t,
					 ISPT_MAX_OUTSTANDING_R2T),
		.unsolicited = unsolicited,
	};
	u32 unsol_end;

	cmd_check_ua(cmd, s->cmd.cdb[0]);
	if (cmd->sam_status != SAM_STAT_GOOD) {
		ispt_cmd_complete(cmd);
		return 0;
	}
	if (ispt_pdu_r2t_plan_init(&cmd->plan, &p))
		return -EINVAL;
	if (unsolicited && cmd->bvec) {
		unsol_end = min(keys->first_burst, cmd->edtl);
		if (ispt_pdu_dataout_seq_init(&cmd->unsol_seq,
					      ISCSI_RESERVED_TAG,
					      cmd->received,
					      unsol_end - cmd->received,
					      cmd->buf_len))
			return -EINVAL;
		cmd->unsol_open = true;
	}
	/* A non-immediate command joined with its CmdSN (session.c). */
	if (cmd->ta_state == ISPT_TA_NONE) {
		spin_lock(&cmd->conn->sess->lock);
		cmd_admit_locked(cmd);
		spin_unlock(&cmd->conn->sess->lock);
	}
	if (cmd_data_all_in(cmd)) {
		cmd_data_ready(cmd);
		return 0;
	}
	return cmd_send_r2ts(cmd);
}

/**
 * ispt_cmd_rx_prepare - make the command for a complete command PDU
 * @conn: its connection
 * @s: the PDU
 *
 * Before its CmdSN is taken, so that it joins the task set in the same
 * hold of the session lock (ispt_cmd_rx_admit_locked()). A write with
 * immediate data was prepared when its header came in, and the data went
 * to its pages or, with no command, was dropped: a second try now would
 * make a command that lacks that data, so it stays without one (busy).
 * A PDU parked for its CmdSN keeps its command until it is taken.
 */
void ispt_cmd_rx_prepare(struct ispt_conn *conn,
			 const struct ispt_pdu_summary *s)
{
	if (!conn->rx_cmd && !(s->cmd.write && s->data_len))
		conn->rx_cmd = cmd_prepare(conn, s);
}

/* The command PDU's CmdSN is taken: its task joins the task set. */
void ispt_cmd_rx_admit_locked(struct ispt_conn *conn)
{
	if (conn->rx_cmd)
		cmd_admit_locked(conn->rx_cmd);
}

int ispt_cmd_handle(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_cmd *cmd = conn->rx_cmd;
	int ret;

	conn->rx_cmd = NULL;
	if (!cmd) {
		ispt_state_cmd_done(conn, NULL, ktime_get_ns(),
				    ISPT_STATS_OTHER, 0, true, true);
		return send_response(conn, s->itt, s->cmd.edtl,
				     SAM_STAT_TASK_SET_FULL, NULL, false, 0, 0);
	}
	ret = cmd_start(cmd, s);
	if (ret) {
		cmd_account(cmd, true);
		cmd_put(cmd);
	}
	return ret;
}

/* The command and sequence a Data-Out belongs to; NULL if none. */
static struct ispt_cmd *cmd_find_dataout(struct ispt_conn *conn, itt_t itt,
					 u32 ttt,
					 struct ispt_pdu_dataout_seq **seq)
{
	struct ispt_cmd *cmd;
	unsigned int i;

	list_for_each_entry(cmd, &conn->cmds, node) {
		if (cmd->itt != itt || cmd->completed || cmd->aborted)
			continue;
		if (ttt == ISCSI_RESERVED_TAG) {
			*seq = &cmd->unsol_seq;
			return cmd->unsol_open ? cmd : NULL;
		}
		for (i = 0; i < ARRAY_SIZE(cmd->seqs); i++) {
			if (cmd->seqs[i].ttt == ttt) {
				*seq = &cmd->seqs[i];
				return cmd;
			}
		}
		return NULL;
	}
	return NULL;
}

/* Header time: check a Data-Out against its sequence, aim it at the pages. */
int ispt_cmd_rx_data_out(struct ispt_conn *conn,
			 const struct ispt_pdu_summary *s)
{
	struct ispt_pdu_dataout_seq *seq;
	enum ispt_pdu_dataout_verdict verdict;
	struct ispt_cmd *cmd;

	cmd = cmd_find_dataout(conn, s->itt, s->data.ttt, &seq);
	if (!cmd)
		return 0;	/* for a finished command: read and dropped */
	verdict = ispt_pdu_dataout_accept(seq, s);
	/*
	 * RFC 7143 7.9: a DataSN out of order means a Data-Out was lost to a
	 * digest error, handled as 7.8 says: with no recovery R2T at ERL 0
	 * the task ends with a CRC error. The connection and its other
	 * tasks go on; the task's remaining Data-Out is read and dropped.
	 */
	if (verdict == ISPT_PDU_DATAOUT_BAD_DATASN) {
		net_warn_ratelimited("%pISpc: Data-Out with DataSN %u out of order, task 0x%x ended\n",
				     &conn->peer, s->data.datasn,
				     be32_to_cpu((__force __be32)s->itt));
		ispt_cmd_fail(cmd, ispt_sense_aborted_crc());
		return 0;
	}
	if (verdict != ISPT_PDU_DATAOUT_ACCEPT &&
	    verdict != ISPT_PDU_DATAOUT_ACCEPT_LAST) {
		net_warn_ratelimited("%pISpc: bad Data-Out (verdict %d, offset %u, length %u)\n",
				     &conn->peer, verdict, s->data.offset,
				     s->data_len);
		return -EPROTO;
	}
	conn->rx.bvec = cmd->bvec;
	conn->rx.nr_bvec = cmd->nr_pages;
	conn->rx.bvec_skip = s->data.offset;
	cmd->rx_len = s->data_len;
	cmd->rx_seq_last = verdict == ISPT_PDU_DATAOUT_ACCEPT_LAST;
	cmd->rx_seq = seq;
	conn->rx_cmd = cmd;
	return 0;
}

/* A command PDU that will not run (CmdSN outside the window, Reject). */
void ispt_cmd_rx_abandon(struct ispt_conn *conn)
{
	struct ispt_cmd *cmd = conn->rx_cmd;

	conn->rx_cmd = NULL;
	if (cmd)
		cmd_put(cmd);
}

/*
 * Teardown: commands that never reached the device (still waiting for
 * data or for their task attribute) will never end by themselves.
 */
void ispt_cmds_conn_closing(struct ispt_conn *conn)
{
	struct ispt_cmd *cmd, *tmp;

	list_for_each_entry_safe(cmd, tmp, &conn->cmds, node) {
		if (refcount_read(&cmd->refs) == 1 &&
		    (!cmd->submitted || ispt_sanitize_detach(cmd))) {
			cmd_retire(cmd);
			cmd_account(cmd, true);
			cmd_put(cmd);
		}
	}
	while (!list_empty(&conn->cmds_retained))
		cmd_unretain(list_first_entry(&conn->cmds_retained,
					      struct ispt_cmd, node));
}

/**
 * ispt_cmd_abort - abort a task for task management
 * @cmd: the task, in its owner
 * @tmf: the request that aborts it
 *
 * A task still waiting for data or for its turn ends here and now; one
 * whose bios are under way is marked, ends silently when they do, and
 * then counts down @tmf (from its own owner, which need not be the
 * TMF's: ispt_tmf_task_ended()). A task whose outcome is already decided is
 * left alone: it has ended as far as the initiator can tell. One of
 * another I_T nexus (a reset, PREEMPT AND ABORT) ends with TASK ABORTED
 * status, as the control mode page's TAS=1 says (SAM-5 5.6); the TMF's
 * own nexus learns from the TMF response, so its tasks end silently.
 *
 * Return: true if @cmd was aborted (now or when its bios end).
 */
bool ispt_cmd_abort(struct ispt_cmd *cmd, struct ispt_tmf *tmf)
{
	if (cmd->completed || cmd->aborted)
		return false;
	cmd->aborted = true;
	cmd->task_aborted = cmd->conn->sess != tmf->conn->sess;
	/* A sanitize goes on without the command that started it. */
	if (cmd->submitted && !ispt_sanitize_detach(cmd)) {
		cmd->abort_tmf = tmf;
		/* Never from 0: the caller's own pass still holds @tmf. */
		refcount_inc(&tmf->pending);
		return true;
	}
	if (cmd->task_aborted) {
		ispt_cmd_complete(cmd);
		return true;
	}
	cmd->completed = true;
	cmd_retire(cmd);
	cmd_account(cmd, true);
	cmd_put(cmd);
	return true;
}

/* A Data-Out has been taken: end its sequence if it was the last. */
static int cmd_data_out_seq_step(struct ispt_cmd *cmd)
{
	struct ispt_pdu_dataout_seq *seq = cmd->rx_seq;

	if (!cmd->rx_seq_last)
		return 0;
	if (seq == &cmd->unsol_seq) {
		cmd->unsol_open = false;
	} else {
		if (seq->recovery)
			cmd->recovery_open = false;
		else if (ispt_pdu_r2t_plan_complete(&cmd->plan))
			return -EPROTO;
		seq->ttt = ISCSI_RESERVED_TAG;
	}
	if (cmd_data_all_in(cmd)) {
		cmd_data_ready(cmd);
		return 0;
	}
	return cmd_send_r2ts(cmd);
}

/*
 * A Data-Out is in. Without a command it was for a write we already
 * answered (RFC 7143 lets a target end a command early): dropped.
 */
int ispt_cmd_data_out(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_cmd *cmd = conn->rx_cmd;

	conn->rx_cmd = NULL;
	if (!cmd) {
		net_dbg_ratelimited("%pISpc: Data-Out for finished task 0x%x discarded\n",
				    &conn->peer, be32_to_cpu((__force __be32)s->itt));
		return 0;
	}
	cmd->received += cmd->rx_len;
	return cmd_data_out_seq_step(cmd);
}

/**
 * ispt_cmd_data_out_lost - a Data-Out failed its data digest (ERL 1)
 * @conn: its connection, whose Reject for it is queued
 *
 * The PDU's header was good and its sequence moved on over it; its
 * bytes, now in the pages, are not to be trusted: a hole, which a
 * recovery R2T asks for again (RFC 7143 7.8). A write that keeps losing
 * data ends with a CRC error instead, as at ERL 0 for a DataSN gap.
 *
 * Return: 0, or -errno to close the connection.
 */
int ispt_cmd_data_out_lost(struct ispt_conn *conn)
{
	struct ispt_cmd *cmd = conn->rx_cmd;
	u32 start, end;

	conn->rx_cmd = NULL;
	if (!cmd || !cmd->rx_len)
		return 0;	/* for a finished task: nothing to recover */
	start = conn->rx.bvec_skip;
	end = start + cmd->rx_len;
	if (cmd->recoveries >= CMD_RECOVERIES_MAX) {
		net_warn_ratelimited("%pISpc: task 0x%x lost Data-Out to digest errors %u times, ended\n",
				     &conn->peer,
				     be32_to_cpu((__force __be32)cmd->itt),
				     cmd->recoveries);
		ispt_cmd_fail(cmd, ispt_sense_aborted_crc());
		return 0;
	}
	if (cmd->hole_end <= cmd->hole_start) {
		cmd->hole_start = start;
		cmd->hole_end = end;
	} else {
		cmd->hole_start = min(cmd->hole_start, start);
		cmd->hole_end = max(cmd->hole_end, end);
	}
	return cmd_data_out_seq_step(cmd);
}

/**
 * ispt_cmd_find_task - the task @itt still under way on @conn
 * @conn: the connection, in its owner
 * @itt: the task's tag
 *
 * Return: the task, or NULL if none (a retained read has ended).
 */
struct ispt_cmd *ispt_cmd_find_task(struct ispt_conn *conn, itt_t itt)
{
	struct ispt_cmd *cmd;

	list_for_each_entry(cmd, &conn->cmds, node)
		if (cmd->itt == itt && !cmd->completed && !cmd->aborted)
			return cmd;
	return NULL;
}

/* The latest read @itt retained after its status, or NULL. */
static struct ispt_cmd *cmd_find_retained(struct ispt_conn *conn, itt_t itt)
{
	struct ispt_cmd *cmd;

	list_for_each_entry_reverse(cmd, &conn->cmds_retained, node)
		if (cmd->itt == itt)
			return cmd;
	return NULL;
}

/*
 * R2T SNACK: the R2Ts numbered [@beg, @end) of a write still waiting for
 * them, sent again as they were (RFC 7143 11.16); their sequences start
 * over, since the initiator never saw them. One already answered in
 * full, or never sent, is a protocol error.
 */
static int cmd_snack_r2t(struct ispt_cmd *cmd, u32 begrun, u32 runlength)
{
	struct ispt_pdu_dataout_seq *seq;
	u32 beg, end, found = 0;
	unsigned int i;
	int ret;

	if (!ispt_pdu_snack_run(begrun, runlength, 0, cmd->plan.next_r2tsn,
				&beg, &end))
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	for (i = 0; i < ARRAY_SIZE(cmd->seqs); i++) {
		seq = &cmd->seqs[i];
		if (seq->ttt == ISCSI_RESERVED_TAG ||
		    seq->r2tsn - beg >= end - beg)
			continue;
		seq->received = 0;
		seq->next_datasn = 0;
		ret = cmd_queue_r2t(cmd, seq);
		if (ret)
			return ret;
		found++;
	}
	return found == end - beg ? 0 : ISPT_PDU_REJECT_PROTOCOL_ERROR;
}

/* Data SNACK: a read's Data-In, cut as they first were. */
static int cmd_snack_data_in(struct ispt_cmd *cmd, u32 begrun,
			     u32 runlength)
{
	u32 beg, end;
	int ret;

	if (!ispt_pdu_snack_run(begrun, runlength, cmd->data_acked,
				cmd->datain_pdus, &beg, &end))
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	ret = cmd_queue_data_in(cmd, cmd->datain_mrdsl, beg, end, false);
	return ret < 0 ? ret : 0;
}

/*
 * R-Data SNACK: the whole read again, cut for today's
 * MaxRecvDataSegmentLength (we never ask for a DataACK, so all of it),
 * then its SCSI Response again, same StatSN, carrying the SNACK Tag and
 * the new Data-In count (RFC 7143 11.16.3). The copy a Status SNACK
 * replays becomes this one (snack.c).
 */
static int cmd_snack_rdata(struct ispt_cmd *cmd, const struct ispt_pdu_summary *s)
{
	struct ispt_conn *conn = cmd->conn;
	struct ispt_pdu_scsi_rsp_args a = {
		.itt = cmd->itt,
		.response = ISCSI_STATUS_CMD_COMPLETED,
		.status = SAM_STAT_GOOD,
		.residual = ispt_pdu_residual(cmd->edtl, cmd->xfer_len),
	};
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	int count;

	/* Nothing acknowledged: what is kept acked is let go (DataACK). */
	if (s->snack.begrun || s->snack.runlength || cmd->data_acked)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	pdu = ispt_tx_pdu_alloc(0, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	count = cmd_queue_data_in(cmd, conn->max_send_dsl, 0, U32_MAX, false);
	if (count < 0) {
		ispt_tx_pdu_free(pdu);
		return count;
	}
	cmd->datain_mrdsl = conn->max_send_dsl;
	cmd->datain_pdus = count;
	a.exp_datasn = count;
	sn = ispt_session_sn(conn, false);
	sn.statsn = cmd->statsn;
	ispt_pdu_build_scsi_rsp(&pdu->bhs, &a, &sn);
	((struct iscsi_scsi_rsp *)&pdu->bhs)->rsvd1 = cpu_to_be32(s->snack.ttt);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

/**
 * ispt_cmd_snack - a Data/R2T or R-Data SNACK for task @s->itt (ERL 1)
 * @conn: its connection, in the owner
 * @s: the SNACK
 *
 * A write still receiving data has its R2Ts sent again; a read whose
 * status has gone out, its Data-In. Anything else names PDUs we never
 * sent or that are acknowledged.
 *
 * Return: 0, a Reject reason (> 0), or -errno.
 */
int ispt_cmd_snack(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_cmd *cmd;

	if (s->snack.type == ISCSI_FLAG_SNACK_TYPE_DATA) {
		cmd = ispt_cmd_find_task(conn, s->itt);
		if (cmd)
			return cmd->scsi.dir == ISPT_SCSI_DIR_OUT ?
			       cmd_snack_r2t(cmd, s->snack.begrun,
					     s->snack.runlength) :
			       ISPT_PDU_REJECT_PROTOCOL_ERROR;
	}
	cmd = cmd_find_retained(conn, s->itt);
	if (!cmd) {
		net_dbg_ratelimited("%pISpc: SNACK for task 0x%x, which has nothing to resend\n",
				    &conn->peer,
				    be32_to_cpu((__force __be32)s->itt));
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	}
	if (s->snack.type == ISCSI_FLAG_SNACK_TYPE_RDATA)
		return cmd_snack_rdata(cmd, s);
	return cmd_snack_data_in(cmd, s->snack.begrun, s->snack.runlength);
}

/**
 * ispt_cmd_data_ack - a DataACK SNACK (ERL 1)
 * @conn: its connection, in the owner
 * @s: the SNACK: our TTT from the A bit, BegRun the first DataSN not
 *     acknowledged
 *
 * The read's Data-In below BegRun are no longer asked for again; once
 * all are, the read is let go without waiting for ExpStatSN (its
 * status has a copy of its own, snack.c).
 *
 * Return: 0, or a Reject reason (> 0) for a TTT we did not give out or a
 * run it cannot have.
 */
int ispt_cmd_data_ack(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_cmd *cmd;

	list_for_each_entry(cmd, &conn->cmds_retained, node) {
		if (cmd->datain_ttt != s->snack.ttt)
			continue;
		if (s->snack.runlength || s->snack.begrun < cmd->data_acked ||
		    s->snack.begrun > cmd->datain_pdus)
			return ISPT_PDU_REJECT_PROTOCOL_ERROR;
		cmd->data_acked = s->snack.begrun;
		if (cmd->data_acked == cmd->datain_pdus)
			cmd_unretain(cmd);
		return 0;
	}
	net_dbg_ratelimited("%pISpc: DataACK for TTT 0x%x, which we did not ask for\n",
			    &conn->peer, s->snack.ttt);
	return ISPT_PDU_REJECT_PROTOCOL_ERROR;
}
