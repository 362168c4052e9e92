// SPDX-License-Identifier: GPL-2.0
/*
 * The receive state machine: BHS, AHS, header digest, data segment,
 * padding, data digest. Each part is read without blocking and may arrive
 * a byte at a time; the state and the remaining length say where to
 * resume. Lengths come from the peer, so each is checked against what we
 * negotiated before a byte of that part is read.
 */
#include <linux/crc32c.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/socket.h>

#include "cmd.h"
#include "conn.h"
#include "pdu.h"
#include "session.h"

/* rx_advance(): the PDU is in but its data digest failed. */
#define RX_DATA_DIGEST_ERROR	2

static void rx_expect(struct ispt_conn *conn, enum ispt_rx_state state,
		      void *buf, u32 len)
{
	conn->rx_state = state;
	conn->rx_kvec.iov_base = buf;
	conn->rx_kvec.iov_len = len;
	iov_iter_kvec(&conn->rx_iter, ITER_DEST, &conn->rx_kvec, 1, len);
	conn->rx_left = len;
}

/* The data segment goes straight into pages (a write's buffer). */
static void rx_expect_pages(struct ispt_conn *conn)
{
	struct ispt_rx_pdu *rx = &conn->rx;

	conn->rx_state = ISPT_RX_DATA;
	iov_iter_bvec(&conn->rx_iter, ITER_DEST, rx->bvec, rx->nr_bvec,
		      rx->bvec_skip + rx->data_len);
	iov_iter_advance(&conn->rx_iter, rx->bvec_skip);
	conn->rx_left = rx->data_len;
}

void ispt_conn_rx_reset(struct ispt_conn *conn)
{
	conn->rx.bvec = NULL;
	conn->rx_cmd = NULL;
	rx_expect(conn, ISPT_RX_BHS, &conn->rx.bhs, ISPT_BHS_LEN);
}

/* Read the rest of the current part: 0 when complete, else -errno. */
static int rx_read(struct ispt_conn *conn)
{
	while (conn->rx_left) {
		struct msghdr msg = {
			.msg_flags = MSG_DONTWAIT,
			.msg_iter = conn->rx_iter,
		};
		int ret;

		ret = sock_recvmsg(conn->sock, &msg, MSG_DONTWAIT);
		if (ret == 0)
			return -ECONNRESET;
		if (ret < 0)
			return ret;
		conn->rx_iter = msg.msg_iter;
		conn->rx_left -= ret;
	}
	return 0;
}

static u32 digest_of(const void *a, u32 alen, const void *b, u32 blen)
{
	u32 crc = crc32c(~0U, a, alen);

	if (blen)
		crc = crc32c(crc, b, blen);
	return ~crc;
}

/* The peer's data digest or header digest must match ours. */
static bool digest_ok(__le32 got, u32 want)
{
	return le32_to_cpu(got) == want;
}

static int rx_after_bhs(struct ispt_conn *conn)
{
	struct ispt_rx_pdu *rx = &conn->rx;

	rx->ahs_len = rx->bhs.hlength * 4;
	rx->data_len = ntoh24(rx->bhs.dlength);
	if (rx->data_len > conn->max_recv_dsl) {
		net_warn_ratelimited("%pISpc: data segment of %u bytes exceeds the %u negotiated\n",
				     &conn->peer, rx->data_len,
				     conn->max_recv_dsl);
		return -EPROTO;
	}
	if (rx->ahs_len) {
		rx_expect(conn, ISPT_RX_AHS, rx->ahs, rx->ahs_len);
		return 0;
	}
	return 1;
}

/* Next part after the header (BHS and AHS); 1 when the PDU is complete. */
static int rx_next_after_header(struct ispt_conn *conn)
{
	struct ispt_rx_pdu *rx = &conn->rx;
	int ret;

	if (conn->rx_state != ISPT_RX_HDIGEST && conn->header_digest) {
		rx_expect(conn, ISPT_RX_HDIGEST, &rx->digest, ISPT_DIGEST_LEN);
		return 0;
	}
	if (!rx->data_len)
		return 1;
	/* The header is trusted now: let its handler place the data. */
	ret = ispt_conn_handle_header(conn);
	if (ret)
		return ret;
	if (rx->bvec)
		rx_expect_pages(conn);
	else
		rx_expect(conn, ISPT_RX_DATA, rx->data, rx->data_len);
	return 0;
}

static u32 rx_data_crc(struct ispt_rx_pdu *rx)
{
	u32 crc;

	if (rx->bvec)
		crc = ispt_crc_bvec(~0U, rx->bvec, rx->nr_bvec, rx->bvec_skip,
				    rx->data_len);
	else
		crc = crc32c(~0U, rx->data, rx->data_len);
	return ~crc32c(crc, rx->pad, ispt_pdu_pad(rx->data_len));
}

/* Advance to the next part; 1 when the whole PDU is in. */
static int rx_advance(struct ispt_conn *conn)
{
	struct ispt_rx_pdu *rx = &conn->rx;
	u32 pad;
	int ret;

	switch (conn->rx_state) {
	case ISPT_RX_BHS:
		ret = rx_after_bhs(conn);
		if (ret <= 0)
			return ret;
		return rx_next_after_header(conn);
	case ISPT_RX_AHS:
		return rx_next_after_header(conn);
	case ISPT_RX_HDIGEST:
		if (!digest_ok(rx->digest,
			       digest_of(&rx->bhs, ISPT_BHS_LEN, rx->ahs,
					 rx->ahs_len))) {
			/* The lengths cannot be trusted: no way to resync. */
			net_warn_ratelimited("%pISpc: header digest error\n",
					     &conn->peer);
			return -EBADMSG;
		}
		return rx_next_after_header(conn);
	case ISPT_RX_DATA:
		pad = ispt_pdu_pad(rx->data_len);
		if (pad) {
			rx_expect(conn, ISPT_RX_PAD, rx->pad, pad);
			return 0;
		}
		fallthrough;
	case ISPT_RX_PAD:
		if (conn->data_digest) {
			rx_expect(conn, ISPT_RX_DDIGEST, &rx->digest,
				  ISPT_DIGEST_LEN);
			return 0;
		}
		return 1;
	case ISPT_RX_DDIGEST:
		if (!digest_ok(rx->digest, rx_data_crc(rx))) {
			net_warn_ratelimited("%pISpc: data digest error\n",
					     &conn->peer);
			return RX_DATA_DIGEST_ERROR;
		}
		return 1;
	}
	return -EINVAL;
}

/*
 * RFC 7143 7.8: a PDU whose data digest failed is answered with Reject
 * (Data-Digest-Error) and discarded; a command's CmdSN is then not taken,
 * so the initiator retries it. A Data-Out has already moved its command's
 * sequence on and put its bytes in the write's pages: at ERL 1 a recovery
 * R2T asks for them again; at ERL 0 there is none, and the Reject goes
 * out, then the connection closes.
 */
static int rx_data_digest_error(struct ispt_conn *conn)
{
	bool data_out = (conn->rx.bhs.opcode & ISCSI_OPCODE_MASK) ==
			ISCSI_OP_SCSI_DATA_OUT;

	bool recover = data_out && ispt_conn_erl1(conn);
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;

	if (data_out && !recover)
		conn->rx_cmd = NULL;	/* not ours: the command list holds it */
	else if (!data_out)
		ispt_cmd_rx_abandon(conn);
	if (!data_out && conn->state == ISPT_CONN_FULL_FEATURE)
		ispt_session_rejected_cmdsn(conn);
	pdu = ispt_tx_pdu_alloc(ISPT_BHS_LEN, GFP_ATOMIC);
	if (!pdu)
		return -ENOMEM;
	memcpy(pdu->data, &conn->rx.bhs, ISPT_BHS_LEN);
	sn = ispt_session_sn(conn, true);
	ispt_pdu_build_reject(&pdu->bhs, ISPT_PDU_REJECT_DATA_DIGEST, 0, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	/* ERL 1: a recovery R2T asks for the data again (cmd.c). */
	if (recover)
		return ispt_cmd_data_out_lost(conn);
	if (data_out)
		conn->state = ISPT_CONN_LOGGED_OUT;
	return 0;
}

/**
 * ispt_conn_recv - receive and handle up to @budget PDUs
 * @conn: the connection, in its owner's context
 * @budget: most PDUs to handle in this call
 *
 * Return: PDUs handled (0 when the socket had nothing), or -errno when
 * the connection must be closed.
 */
int ispt_conn_recv(struct ispt_conn *conn, int budget)
{
	int done = 0, ret;

	/* A PDU parked for its CmdSN: its turn may have come. */
	if (conn->parked) {
		ret = ispt_conn_handle_pdu(conn);
		if (ret == ISPT_PDU_PARKED)
			return 0;
		ispt_conn_rx_reset(conn);
		if (ret)
			return ret;
		done++;
	}
	while (done < budget) {
		ret = rx_read(conn);
		if (ret == -EAGAIN)
			break;
		if (ret)
			return ret;
		ret = rx_advance(conn);
		if (ret < 0)
			return ret;
		if (!ret)
			continue;

		/* Any PDU shows the initiator is alive. */
		conn->last_rx = jiffies;
		conn->nop_pending = false;
		if (ret == RX_DATA_DIGEST_ERROR)
			ret = rx_data_digest_error(conn);
		else
			ret = ispt_conn_handle_pdu(conn);
		if (ret == ISPT_PDU_PARKED)
			return done;
		ispt_conn_rx_reset(conn);
		if (ret)
			return ret;
		done++;
		if (conn->state == ISPT_CONN_LOGGED_OUT ||
		    conn->state == ISPT_CONN_CLOSING)
			break;
	}
	return done;
}
