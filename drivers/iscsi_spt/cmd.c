// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI commands: from a decoded CDB to bios and back to Data-In and
 * responses, all in the connection's owning worker.
 *
 * A read gets pages, one bio per run of pages the bio takes, and its
 * completion is posted back to the owner (ispt_work_post), which sends
 * Data-In PDUs whose data are those same pages: the pages go to the
 * socket by reference and are freed when the last PDU using them is
 * released, so read data is never copied. Commands without data or with
 * small answers (INQUIRY, MODE SENSE...) are answered at once from the
 * SCSI layer's builders.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <scsi/scsi_proto.h>

#include "cmd.h"
#include "conn.h"
#include "lun.h"
#include "mode.h"
#include "pdu.h"
#include "scsi.h"
#include "session.h"
#include "spc.h"
#include "target.h"

/* Answers built in place (INQUIRY, MODE SENSE...) fit in this. */
#define CMD_SMALL_BUF		512
/* Most LUNs REPORT LUNS lists (the rest is cut, with the full length). */
#define CMD_MAX_REPORT_LUNS	256

struct ispt_cmd {
	struct ispt_post	post;		/* bio completion, to the owner */
	struct list_head	node;		/* on conn->cmds */
	struct ispt_conn	*conn;
	struct ispt_lun		*lun;		/* holds a reference */
	struct ispt_scsi_cmd	scsi;
	itt_t			itt;
	u64			lun_id;
	u32			edtl;
	refcount_t		refs;		/* owner + queued Data-In PDUs */
	atomic_t		bios_pending;
	blk_status_t		status;
	struct bio_vec		*bvec;
	unsigned int		nr_pages;
	u32			buf_len;
	u32			io_len;		/* bytes of the pages the bios move */
	bool			submitted;	/* bios under way or done */
	/* writes: data arriving into the pages */
	u32			received;
	u32			ttt;		/* of the open R2T sequence */
	u32			rx_len;		/* of the Data-Out being read */
	bool			rx_seq_last;	/* it ends its sequence */
	struct ispt_pdu_r2t_plan plan;
	struct ispt_pdu_dataout_seq seq;
};

static int send_response(struct ispt_conn *conn, itt_t itt, u32 edtl,
			 u8 status, const struct ispt_sense *sense, u64 moved)
{
	struct ispt_pdu_scsi_rsp_args a = {
		.itt = itt,
		.response = ISCSI_STATUS_CMD_COMPLETED,
		.status = status,
		.residual = ispt_pdu_residual(edtl, moved),
	};
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	u32 len;

	pdu = ispt_tx_pdu_alloc(sense ? 2 + ISPT_SENSE_MAX_LEN : 0, GFP_ATOMIC);
	if (!pdu)
		return -ENOMEM;
	if (sense) {
		/* The data segment is SenseLength (2 bytes), then the sense. */
		len = ispt_sense_build(sense, false, pdu->data + 2,
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

static int check_condition(struct ispt_conn *conn,
			   const struct ispt_pdu_summary *s,
			   const struct ispt_sense *sense)
{
	return send_response(conn, s->itt, s->cmd.edtl,
			     SAM_STAT_CHECK_CONDITION, sense, 0);
}

/* One Data-In carrying a small answer built in @buf, with GOOD status. */
static int send_small_data_in(struct ispt_conn *conn,
			      const struct ispt_pdu_summary *s,
			      const void *buf, u32 len)
{
	struct ispt_pdu_data_in_args a = {
		.itt = s->itt,
		.lun = s->lun,
		.ttt = ISCSI_RESERVED_TAG,
		.final = true,
		.has_status = true,
		.status = SAM_STAT_GOOD,
		.residual = ispt_pdu_residual(s->cmd.edtl, len),
	};
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	u32 sent = min3(len, s->cmd.edtl, conn->max_send_dsl);

	if (!sent)
		return send_response(conn, s->itt, s->cmd.edtl, SAM_STAT_GOOD,
				     NULL, len);
	pdu = ispt_tx_pdu_alloc(sent, GFP_ATOMIC);
	if (!pdu)
		return -ENOMEM;
	memcpy(pdu->data, buf, sent);
	a.data_len = sent;
	sn = ispt_session_sn(conn, true);
	ispt_pdu_build_data_in(&pdu->bhs, &a, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

static void cmd_free(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;
	unsigned int i;

	for (i = 0; i < cmd->nr_pages; i++)
		__free_page(cmd->bvec[i].bv_page);
	kfree(cmd->bvec);
	if (cmd->lun)
		ispt_lun_put(cmd->lun);
	list_del(&cmd->node);
	kfree(cmd);
	ispt_conn_cmd_gone(conn);
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

/* Send the read's pages as Data-In PDUs; status rides on the last. */
static int cmd_send_read_data(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;
	u32 total = min(cmd->edtl, cmd->scsi.data_len);
	struct ispt_pdu_datain_iter it;
	struct ispt_pdu_datain_seg seg;
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;

	if (!total || ispt_pdu_datain_init(&it, total, conn->max_send_dsl,
					   conn->sess->keys.max_burst))
		return send_response(conn, cmd->itt, cmd->edtl, SAM_STAT_GOOD,
				     NULL, cmd->scsi.data_len);

	while (ispt_pdu_datain_next(&it, &seg)) {
		struct ispt_pdu_data_in_args a = {
			.itt = cmd->itt,
			.lun = cmd->lun_id,
			.ttt = ISCSI_RESERVED_TAG,
			.datasn = seg.datasn,
			.offset = seg.offset,
			.data_len = seg.len,
			.final = seg.final,
			.has_status = seg.last,
			.status = SAM_STAT_GOOD,
			.residual = ispt_pdu_residual(cmd->edtl, cmd->scsi.data_len),
		};

		pdu = ispt_tx_pdu_alloc(0, GFP_ATOMIC);
		if (!pdu)
			return -ENOMEM;
		pdu->bvec = cmd->bvec;
		pdu->nr_bvec = cmd->nr_pages;
		pdu->bvec_skip = seg.offset;
		pdu->data_len = seg.len;
		pdu->owner = cmd;
		pdu->release = data_in_released;
		refcount_inc(&cmd->refs);
		sn = ispt_session_sn(conn, seg.last);
		ispt_pdu_build_data_in(&pdu->bhs, &a, &sn);
		ispt_conn_queue_pdu(conn, pdu);
	}
	return 0;
}

/* In the owner: the last bio of @cmd has finished. */
static void cmd_io_done(struct ispt_post *post)
{
	struct ispt_cmd *cmd = container_of(post, struct ispt_cmd, post);
	struct ispt_conn *conn = cmd->conn;
	struct ispt_sense sense;
	int ret = 0;

	if (conn->state == ISPT_CONN_CLOSING) {
		cmd_put(cmd);
		return;
	}
	if (cmd->status) {
		sense = cmd->scsi.handler == ISPT_SCSI_DO_READ ?
			ispt_sense_read_error(cmd->scsi.lba) :
			ispt_sense_write_error(cmd->scsi.lba);
		ret = send_response(conn, cmd->itt, cmd->edtl,
				    SAM_STAT_CHECK_CONDITION, &sense, 0);
	} else if (cmd->scsi.handler == ISPT_SCSI_DO_READ) {
		ret = cmd_send_read_data(cmd);
	} else {
		ret = send_response(conn, cmd->itt, cmd->edtl, SAM_STAT_GOOD,
				    NULL, cmd->scsi.data_len);
	}
	if (ret)
		ispt_conn_close(conn, "no memory for a response");
	cmd_put(cmd);
	/* Responses were queued outside the connection's own turn. */
	ispt_work_queue(&conn->work);
}

static void cmd_bio_end_io(struct bio *bio)
{
	struct ispt_cmd *cmd = bio->bi_private;

	if (bio->bi_status)
		WRITE_ONCE(cmd->status, bio->bi_status);
	bio_put(bio);
	if (atomic_dec_and_test(&cmd->bios_pending))
		ispt_work_post(&cmd->conn->work, &cmd->post);
}

static int cmd_alloc_pages(struct ispt_cmd *cmd, u32 len)
{
	unsigned int i, n = DIV_ROUND_UP(len, PAGE_SIZE);

	cmd->bvec = kcalloc(n, sizeof(*cmd->bvec), GFP_NOWAIT | __GFP_NOWARN);
	if (!cmd->bvec)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct page *page = alloc_page(GFP_NOWAIT | __GFP_NOWARN);

		if (!page)
			return -ENOMEM;	/* cmd_free() frees what we got */
		bvec_set_page(&cmd->bvec[i], page,
			      min_t(u32, PAGE_SIZE, len - i * PAGE_SIZE), 0);
		cmd->nr_pages++;
	}
	cmd->buf_len = len;
	cmd->io_len = len;
	return 0;
}

/*
 * Build and submit the bios for @cmd's pages: as many pages per bio as
 * it takes; the block layer splits them further to the queue's limits.
 */
static void cmd_submit(struct ispt_cmd *cmd, blk_opf_t opf)
{
	struct block_device *bdev = cmd->lun->bdev;
	sector_t sector = cmd->scsi.lba * (cmd->lun->desc.block_size >> SECTOR_SHIFT);
	struct blk_plug plug;
	struct bio *bio = NULL;
	unsigned int i = 0;
	u32 done = 0;

	/* A bias of one, so the count cannot reach zero while we submit. */
	cmd->submitted = true;
	atomic_set(&cmd->bios_pending, 1);
	blk_start_plug(&plug);
	if (!cmd->io_len) {
		bio = bio_alloc(bdev, 0, opf, GFP_NOIO);
		atomic_inc(&cmd->bios_pending);
		bio->bi_end_io = cmd_bio_end_io;
		bio->bi_private = cmd;
		submit_bio(bio);
	}
	while (done < cmd->io_len) {
		struct bio_vec *bv = &cmd->bvec[i];
		u32 len = min(bv->bv_len, cmd->io_len - done);

		if (!bio) {
			bio = bio_alloc(bdev, min_t(unsigned int,
						    cmd->nr_pages - i,
						    BIO_MAX_VECS),
					opf, GFP_NOIO);
			bio->bi_iter.bi_sector = sector;
			bio->bi_end_io = cmd_bio_end_io;
			bio->bi_private = cmd;
			atomic_inc(&cmd->bios_pending);
		}
		if (bio_add_page(bio, bv->bv_page, len, 0) != len) {
			submit_bio(bio);
			bio = NULL;
			continue;
		}
		sector += len >> SECTOR_SHIFT;
		done += len;
		i++;
	}
	if (bio && cmd->io_len)
		submit_bio(bio);
	blk_finish_plug(&plug);
	if (atomic_dec_and_test(&cmd->bios_pending))
		ispt_work_post(&cmd->conn->work, &cmd->post);
}

static struct ispt_cmd *cmd_new(struct ispt_conn *conn,
				const struct ispt_pdu_summary *s,
				struct ispt_lun *lun)
{
	struct ispt_cmd *cmd;

	cmd = kzalloc(sizeof(*cmd), GFP_NOWAIT | __GFP_NOWARN);
	if (!cmd)
		return NULL;
	cmd->conn = conn;
	cmd->lun = lun;
	cmd->itt = s->itt;
	cmd->lun_id = s->lun;
	cmd->edtl = s->cmd.edtl;
	cmd->post.fn = cmd_io_done;
	cmd->ttt = ISCSI_RESERVED_TAG;
	refcount_set(&cmd->refs, 1);
	list_add_tail(&cmd->node, &conn->cmds);
	conn->nr_cmds++;
	return cmd;
}

/* READ, or SYNCHRONIZE CACHE: hand the bios to the device. */
static int cmd_start_io(struct ispt_conn *conn, const struct ispt_pdu_summary *s,
			struct ispt_lun *lun, const struct ispt_scsi_cmd *scsi)
{
	struct ispt_cmd *cmd;
	blk_opf_t opf;

	cmd = cmd_new(conn, s, lun);
	if (!cmd) {
		ispt_lun_put(lun);
		return send_response(conn, s->itt, s->cmd.edtl, SAM_STAT_BUSY,
				     NULL, 0);
	}
	cmd->scsi = *scsi;
	if (scsi->handler == ISPT_SCSI_DO_READ) {
		if (cmd_alloc_pages(cmd, scsi->data_len)) {
			cmd_put(cmd);
			return send_response(conn, s->itt, s->cmd.edtl,
					     SAM_STAT_BUSY, NULL, 0);
		}
		opf = REQ_OP_READ;
		if (scsi->flags & ISPT_SCSI_F_FUA)
			opf |= REQ_FUA;
	} else {
		opf = REQ_OP_WRITE | REQ_PREFLUSH;
	}
	cmd_submit(cmd, opf);
	return 0;
}

/* Commands answered from the LU's description, without the device. */
static int cmd_answer(struct ispt_conn *conn, const struct ispt_pdu_summary *s,
		      struct ispt_lun *lun, const struct ispt_scsi_cmd *scsi)
{
	const struct ispt_scsi_lun_desc *desc = lun ? &lun->desc : NULL;
	struct ispt_sense absent = ispt_sense_lun_not_supported();
	struct ispt_session *sess = conn->sess;
	const struct ispt_scsi_port port = {
		.rel_port_id = conn->tpgt,
		.tpg_id = conn->tpgt,
	};
	u64 *ids;
	u8 buf[CMD_SMALL_BUF];
	u32 len;
	int n;

	switch (scsi->handler) {
	case ISPT_SCSI_DO_TUR:
		return send_response(conn, s->itt, s->cmd.edtl, SAM_STAT_GOOD,
				     NULL, 0);
	case ISPT_SCSI_DO_INQUIRY:
		len = ispt_spc_inquiry(scsi, desc, &port, buf, sizeof(buf));
		break;
	case ISPT_SCSI_DO_READ_CAPACITY_10:
	case ISPT_SCSI_DO_READ_CAPACITY_16:
		len = ispt_spc_read_capacity(scsi, desc, buf, sizeof(buf));
		break;
	case ISPT_SCSI_DO_MODE_SENSE:
		len = ispt_mode_sense(scsi, desc, &lun->mode, buf,
				      sizeof(buf));
		break;
	case ISPT_SCSI_DO_REQUEST_SENSE:
		len = ispt_spc_request_sense(scsi, lun ? NULL : &absent, buf,
					     sizeof(buf));
		break;
	case ISPT_SCSI_DO_REPORT_OPCODES:
		len = ispt_scsi_report_opcodes(scsi, desc, buf, sizeof(buf));
		break;
	case ISPT_SCSI_DO_REPORT_LUNS:
		ids = kmalloc_array(CMD_MAX_REPORT_LUNS, sizeof(*ids), GFP_ATOMIC);
		if (!ids)
			return -ENOMEM;
		n = ispt_target_lun_ids(sess->target, ids, CMD_MAX_REPORT_LUNS);
		len = ispt_spc_report_luns(scsi, ids, n, buf, sizeof(buf));
		kfree(ids);
		break;
	default:
		/* Decoded, but not executed yet: refused as unsupported. */
		if (lun) {
			struct ispt_sense sense = ispt_sense_invalid_opcode();

			return check_condition(conn, s, &sense);
		}
		return check_condition(conn, s, &absent);
	}
	return send_small_data_in(conn, s, buf,
				  min3(len, scsi->alloc_len, (u32)sizeof(buf)));
}

/*
 * A WRITE that can go ahead: a LU and a good CDB. It writes what both the
 * CDB and the Expected Data Transfer Length cover (libiscsi's residual
 * tests check exactly that), in whole blocks, and reports the rest as a
 * residual. Its pages also hold any immediate data beyond that, which is
 * received and dropped. NULL when nothing is to be written (answered by
 * the generic path), ERR_PTR(-ENOMEM) when memory is short.
 */
static struct ispt_cmd *cmd_write_prepare(struct ispt_conn *conn,
					  const struct ispt_pdu_summary *s,
					  u32 immediate_len)
{
	struct ispt_scsi_cmd scsi;
	struct ispt_lun *lun;
	struct ispt_cmd *cmd;
	u32 write_len;

	lun = ispt_target_lun_get(conn->sess->target, s->lun);
	if (!lun)
		return NULL;
	if (ispt_scsi_decode(&scsi, s->cmd.cdb, ISCSI_CDB_SIZE, &lun->desc) !=
	    SAM_STAT_GOOD || scsi.handler != ISPT_SCSI_DO_WRITE)
		goto err_put;
	write_len = rounddown(min(scsi.data_len, s->cmd.edtl),
			      lun->desc.block_size);
	if (!write_len)
		goto err_put;
	cmd = cmd_new(conn, s, lun);
	if (!cmd) {
		ispt_lun_put(lun);
		return ERR_PTR(-ENOMEM);
	}
	cmd->scsi = scsi;
	if (cmd_alloc_pages(cmd, max(write_len, immediate_len))) {
		cmd_put(cmd);
		return ERR_PTR(-ENOMEM);
	}
	cmd->io_len = write_len;
	return cmd;

err_put:
	ispt_lun_put(lun);
	return NULL;
}

static void cmd_submit_write(struct ispt_cmd *cmd)
{
	blk_opf_t opf = REQ_OP_WRITE;

	if (cmd->scsi.flags & ISPT_SCSI_F_FUA)
		opf |= REQ_FUA;
	cmd->ttt = ISCSI_RESERVED_TAG;
	cmd_submit(cmd, opf);
}

/* Ask for the next part of the data, as far as MaxOutstandingR2T allows. */
static int cmd_send_r2ts(struct ispt_cmd *cmd)
{
	struct ispt_conn *conn = cmd->conn;
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_r2t r2t;
	struct ispt_pdu_sn sn;

	/* One sequence at a time: we offer MaxOutstandingR2T=1. */
	if (!ispt_pdu_r2t_plan_can_issue(&cmd->plan) ||
	    !ispt_pdu_r2t_plan_next(&cmd->plan, &r2t))
		return 0;
	if (++conn->next_ttt == ISCSI_RESERVED_TAG)
		conn->next_ttt = 1;
	cmd->ttt = conn->next_ttt;
	if (ispt_pdu_dataout_seq_init(&cmd->seq, cmd->ttt, r2t.offset,
				      r2t.length, cmd->buf_len))
		return -EINVAL;
	pdu = ispt_tx_pdu_alloc(0, GFP_ATOMIC);
	if (!pdu)
		return -ENOMEM;
	sn = ispt_session_sn(conn, false);
	ispt_pdu_build_r2t(&pdu->bhs, cmd->itt, cmd->lun_id, cmd->ttt, &r2t, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

/* The command PDU is in (with any immediate data): write or solicit. */
static int cmd_write_start(struct ispt_cmd *cmd)
{
	struct ispt_session_keys *keys = &cmd->conn->sess->keys;
	struct ispt_pdu_r2t_params p = {
		.edtl = cmd->io_len,
		.immediate_len = min(cmd->received, cmd->io_len),
		.first_burst = keys->first_burst,
		.max_burst = keys->max_burst,
		.max_outstanding = 1,
		.unsolicited = false,
	};

	if (cmd->received >= cmd->io_len) {
		cmd_submit_write(cmd);
		return 0;
	}
	if (ispt_pdu_r2t_plan_init(&cmd->plan, &p))
		return -EINVAL;
	return cmd_send_r2ts(cmd);
}

/* Header time: a write's immediate data goes straight into its pages. */
int ispt_cmd_rx_immediate(struct ispt_conn *conn,
			  const struct ispt_pdu_summary *s)
{
	struct ispt_session_keys *keys = &conn->sess->keys;
	struct ispt_cmd *cmd;

	if (ispt_pdu_check_unsolicited(s, keys->immediate_data,
				       keys->initial_r2t, keys->first_burst) !=
	    ISPT_PDU_REJECT_NONE)
		return 0;	/* the complete PDU gets its Reject */
	cmd = cmd_write_prepare(conn, s, s->data_len);
	if (IS_ERR_OR_NULL(cmd))
		return 0;
	conn->rx.bvec = cmd->bvec;
	conn->rx.nr_bvec = cmd->nr_pages;
	conn->rx.bvec_skip = 0;
	cmd->received = s->data_len;
	conn->rx_cmd = cmd;
	return 0;
}

static struct ispt_cmd *cmd_find_ttt(struct ispt_conn *conn, itt_t itt,
				     u32 ttt)
{
	struct ispt_cmd *cmd;

	if (ttt == ISCSI_RESERVED_TAG)
		return NULL;
	list_for_each_entry(cmd, &conn->cmds, node)
		if (cmd->ttt == ttt && cmd->itt == itt)
			return cmd;
	return NULL;
}

/* Header time: check a Data-Out against its R2T and aim it at the pages. */
int ispt_cmd_rx_data_out(struct ispt_conn *conn,
			 const struct ispt_pdu_summary *s)
{
	struct ispt_cmd *cmd = cmd_find_ttt(conn, s->itt, s->data.ttt);
	enum ispt_pdu_dataout_verdict verdict;

	if (!cmd)
		return 0;	/* for a finished command: read and dropped */
	verdict = ispt_pdu_dataout_accept(&cmd->seq, s);
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
	conn->rx_cmd = cmd;
	return 0;
}

/* A command PDU that will not run (CmdSN outside the window). */
void ispt_cmd_rx_abandon(struct ispt_conn *conn)
{
	struct ispt_cmd *cmd = conn->rx_cmd;

	conn->rx_cmd = NULL;
	if (cmd)
		cmd_put(cmd);
}

/* Teardown: commands still waiting for data will never get it. */
void ispt_cmds_conn_closing(struct ispt_conn *conn)
{
	struct ispt_cmd *cmd, *tmp;

	list_for_each_entry_safe(cmd, tmp, &conn->cmds, node)
		if (!cmd->submitted && refcount_read(&cmd->refs) == 1)
			cmd_put(cmd);
}

int ispt_cmd_handle(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_cmd *cmd = conn->rx_cmd;
	struct ispt_lun *lun;
	struct ispt_scsi_cmd scsi;
	int ret;

	if (!cmd && s->cmd.write)
		cmd = cmd_write_prepare(conn, s, 0);
	if (IS_ERR(cmd))
		return send_response(conn, s->itt, s->cmd.edtl, SAM_STAT_BUSY,
				     NULL, 0);
	if (cmd) {
		conn->rx_cmd = NULL;
		ret = cmd_write_start(cmd);
		if (ret)
			cmd_put(cmd);
		return ret;
	}

	lun = ispt_target_lun_get(conn->sess->target, s->lun);
	if (ispt_scsi_decode(&scsi, s->cmd.cdb, ISCSI_CDB_SIZE,
			     lun ? &lun->desc : NULL) != SAM_STAT_GOOD) {
		ret = check_condition(conn, s, &scsi.sense);
		goto out_put;
	}
	if (lun && (scsi.handler == ISPT_SCSI_DO_READ ||
		    scsi.handler == ISPT_SCSI_DO_FLUSH))
		return cmd_start_io(conn, s, lun, &scsi);	/* takes @lun */
	if (lun && scsi.handler == ISPT_SCSI_DO_WRITE) {
		/*
		 * Nothing to write: zero blocks, or an EDTL short of one
		 * block. It succeeds; the residual says what did not move.
		 */
		ret = send_response(conn, s->itt, s->cmd.edtl, SAM_STAT_GOOD,
				    NULL, scsi.data_len);
		goto out_put;
	}
	if (scsi.dir == ISPT_SCSI_DIR_OUT) {
		/* WRITE SAME and UNMAP are decoded but not executed yet. */
		struct ispt_sense sense = ispt_sense_invalid_opcode();

		ret = check_condition(conn, s, &sense);
		goto out_put;
	}
	ret = cmd_answer(conn, s, lun, &scsi);
out_put:
	if (lun)
		ispt_lun_put(lun);
	return ret;
}

/* Task management: no command here is ever abortable yet. */
int ispt_cmd_tmf(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	u8 response;

	switch (s->tmf.function) {
	case ISCSI_TM_FUNC_ABORT_TASK:
		response = ISCSI_TMF_RSP_NO_TASK;
		break;
	case ISCSI_TM_FUNC_LOGICAL_UNIT_RESET:
	case ISCSI_TM_FUNC_ABORT_TASK_SET:
	case ISCSI_TM_FUNC_CLEAR_TASK_SET:
	case ISCSI_TM_FUNC_TARGET_WARM_RESET:
	case ISCSI_TM_FUNC_TARGET_COLD_RESET:
		response = ISCSI_TMF_RSP_COMPLETE;
		break;
	default:
		response = ISCSI_TMF_RSP_NOT_SUPPORTED;
		break;
	}
	pdu = ispt_tx_pdu_alloc(0, GFP_ATOMIC);
	if (!pdu)
		return -ENOMEM;
	sn = ispt_session_sn(conn, true);
	ispt_pdu_build_tmf_rsp(&pdu->bhs, s->itt, response, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
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
	if (!cmd->rx_seq_last)
		return 0;
	if (ispt_pdu_r2t_plan_complete(&cmd->plan))
		return -EPROTO;
	cmd->ttt = ISCSI_RESERVED_TAG;
	if (cmd->received >= cmd->io_len) {
		cmd_submit_write(cmd);
		return 0;
	}
	return cmd_send_r2ts(cmd);
}
