// SPDX-License-Identifier: GPL-2.0
/*
 * ErrorRecoveryLevel 1 (RFC 7143 7.1.4, 11.16): within-connection and
 * within-command recovery. The initiator asks again, with a SNACK, for
 * what it missed: numbered responses (Status SNACK), Data-In or R2Ts
 * (Data/R2T SNACK), a read cut anew for a changed
 * MaxRecvDataSegmentLength (R-Data SNACK). What it has acknowledged
 * with ExpStatSN is let go.
 *
 * Numbered responses are replayed from a copy of each one as it was
 * queued (header and its small data segment), here; the data of reads,
 * from the command itself, which cmd.c retains after its status.
 * Nothing of this is kept at ERL 0. What is kept is bounded per
 * connection: past the bounds the oldest goes, and a SNACK for it is
 * rejected as for one already acknowledged.
 */
#include <linux/list.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/iscsi_proto.h>

#include "cmd.h"
#include "conn.h"
#include "pdu.h"
#include "session.h"

/* Numbered responses kept unacknowledged on one connection. */
#define STATUS_COPIES_MAX	512
/* A response whose data is larger (a long NOP-In echo) is not kept. */
#define STATUS_COPY_MAX_DATA	8192

struct status_copy {
	struct list_head	node;		/* on conn->status_copies */
	u32			statsn;
	struct iscsi_hdr	bhs;
	u32			data_len;
	u8			data[];
};

bool ispt_conn_erl1(const struct ispt_conn *conn)
{
	return conn->sess && conn->state != ISPT_CONN_LOGIN &&
	       conn->sess->keys.erl > 0;
}

static u32 bhs_statsn(const struct iscsi_hdr *bhs)
{
	return be32_to_cpu(((const struct iscsi_nopin *)bhs)->statsn);
}

/* Which PDUs take a StatSN of their own: the numbered responses. */
static bool is_numbered_response(const struct iscsi_hdr *bhs)
{
	switch (bhs->opcode & ISCSI_OPCODE_MASK) {
	case ISCSI_OP_SCSI_DATA_IN:	/* never with status at ERL 1 */
	case ISCSI_OP_R2T:
	case ISCSI_OP_LOGIN_RSP:
		return false;
	case ISCSI_OP_NOOP_IN:
		/* A ping of ours carries the next StatSN, not its own. */
		return bhs->itt != RESERVED_ITT;
	default:
		return true;
	}
}

static void status_copy_free(struct ispt_conn *conn, struct status_copy *c)
{
	list_del(&c->node);
	conn->nr_status_copies--;
	kfree(c);
}

/**
 * ispt_status_copy_note - keep a queued numbered response for Status SNACK
 * @conn: its connection, in the owner
 * @pdu: the PDU just queued
 *
 * A new StatSN is kept at the end; a response sent again (a SNACK, or an
 * R-Data SNACK's new SCSI Response) replaces the copy of its StatSN, so
 * that a later Status SNACK gets its latest content (RFC 7143 11.16.3).
 */
void ispt_status_copy_note(struct ispt_conn *conn,
			   const struct ispt_tx_pdu *pdu)
{
	u32 statsn = bhs_statsn(&pdu->bhs);
	struct status_copy *c, *old = NULL;
	struct list_head *prev;
	u32 len = pdu->data_len;

	if (!ispt_conn_erl1(conn) || !is_numbered_response(&pdu->bhs))
		return;
	list_for_each_entry_reverse(c, &conn->status_copies, node) {
		if (c->statsn == statsn) {
			old = c;
			break;
		}
		if (iscsi_sna_lt(c->statsn, statsn))
			break;
	}
	if (!old && statsn + 1 != conn->statsn)
		return;		/* a replay of one no longer kept */
	/* A replaced copy's place, or the end: StatSNs are queued in order. */
	prev = old ? old->node.prev : conn->status_copies.prev;
	if (old)
		status_copy_free(conn, old);
	if ((len && !pdu->data) || len > STATUS_COPY_MAX_DATA)
		return;
	c = kmalloc(struct_size(c, data, len), GFP_ATOMIC | __GFP_NOWARN);
	if (!c) {
		net_warn_ratelimited("%pISpc: no memory to keep StatSN %u for a SNACK\n",
				     &conn->peer, statsn);
		return;
	}
	c->statsn = statsn;
	c->bhs = pdu->bhs;
	c->data_len = len;
	if (len)
		memcpy(c->data, pdu->data, len);
	list_add(&c->node, prev);
	if (++conn->nr_status_copies > STATUS_COPIES_MAX)
		status_copy_free(conn, list_first_entry(&conn->status_copies,
							struct status_copy,
							node));
}

static void status_acked(struct ispt_conn *conn, u32 exp_statsn)
{
	struct status_copy *c, *tmp;

	list_for_each_entry_safe(c, tmp, &conn->status_copies, node) {
		if (!iscsi_sna_lt(c->statsn, exp_statsn))
			break;
		status_copy_free(conn, c);
	}
}

/**
 * ispt_snack_acked - let go of what ExpStatSN acknowledges
 * @conn: the connection, in the owner
 * @exp_statsn: the initiator's ExpStatSN, from a PDU just in
 */
void ispt_snack_acked(struct ispt_conn *conn, u32 exp_statsn)
{
	if (!list_empty(&conn->status_copies))
		status_acked(conn, exp_statsn);
	if (!list_empty(&conn->cmds_retained))
		ispt_cmds_acked(conn, exp_statsn);
}

/* Teardown: nothing will be asked for again. */
void ispt_status_drop_all(struct ispt_conn *conn)
{
	struct status_copy *c, *tmp;

	list_for_each_entry_safe(c, tmp, &conn->status_copies, node)
		status_copy_free(conn, c);
}

static int status_resend(struct ispt_conn *conn, const struct status_copy *c)
{
	struct ispt_pdu_sn sn = ispt_session_sn(conn, false);
	struct ispt_tx_pdu *pdu;

	pdu = ispt_tx_pdu_alloc(c->data_len, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	pdu->bhs = c->bhs;
	if (c->data_len)
		memcpy(pdu->data, c->data, c->data_len);
	ispt_pdu_refresh_sn(&pdu->bhs, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

/*
 * Status SNACK: resend StatSNs [BegRun, BegRun + RunLength), RunLength 0
 * meaning all from BegRun, and both 0 all not acknowledged. One not sent,
 * or already acknowledged, is a protocol error (RFC 7143 11.16).
 */
static int snack_status(struct ispt_conn *conn,
			const struct ispt_pdu_summary *s)
{
	struct status_copy *c, *tmp;
	u32 beg, end, found = 0;
	int ret;

	if (!ispt_pdu_snack_run(s->snack.begrun, s->snack.runlength,
				conn->exp_statsn, conn->statsn, &beg, &end)) {
		net_dbg_ratelimited("%pISpc: Status SNACK for StatSN %u+%u outside [%u, %u)\n",
				    &conn->peer, s->snack.begrun,
				    s->snack.runlength, conn->exp_statsn,
				    conn->statsn);
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	}
	/* The replays go on the queue: safe, since none is freed here. */
	list_for_each_entry_safe(c, tmp, &conn->status_copies, node) {
		if (iscsi_sna_lt(c->statsn, beg))
			continue;
		if (!iscsi_sna_lt(c->statsn, end))
			break;
		ret = status_resend(conn, c);
		if (ret)
			return ret;
		found++;
	}
	if (found != end - beg) {
		net_dbg_ratelimited("%pISpc: Status SNACK: %u of StatSN %u+%u no longer kept\n",
				    &conn->peer, end - beg - found, beg,
				    end - beg);
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	}
	return 0;
}

/**
 * ispt_snack_handle - a SNACK Request
 * @conn: its connection, in the owner
 * @s: the decoded SNACK
 *
 * Return: 0, a Reject reason (> 0) for the caller to send, or -errno to
 * close the connection.
 */
int ispt_snack_handle(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	if (!ispt_conn_erl1(conn))
		return ISPT_PDU_REJECT_CMD_NOT_SUPPORTED;
	conn->exp_statsn = s->exp_statsn;
	ispt_snack_acked(conn, s->exp_statsn);
	switch (s->snack.type) {
	case ISCSI_FLAG_SNACK_TYPE_STATUS:
		return snack_status(conn, s);
	case ISCSI_FLAG_SNACK_TYPE_DATA:
	case ISCSI_FLAG_SNACK_TYPE_RDATA:
		if (conn->sess->discovery)
			return ISPT_PDU_REJECT_PROTOCOL_ERROR;
		return ispt_cmd_snack(conn, s);
	case ISCSI_FLAG_SNACK_TYPE_DATA_ACK:
		return ispt_cmd_data_ack(conn, s);
	default:
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	}
}
