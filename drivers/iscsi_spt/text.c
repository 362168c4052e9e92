// SPDX-License-Identifier: GPL-2.0
/*
 * Text negotiation in the Full Feature Phase (RFC 7143 6.2, 11.10):
 * SendTargets, MaxRecvDataSegmentLength and answers for every other key,
 * with requests and responses of any length carried over several PDUs
 * (the C bit and a Target Transfer Tag to continue with).
 *
 * ispt_text_answer() is pure text logic for KUnit; the rest keeps one
 * exchange per connection, which is all RFC 7143 allows at a time.
 */
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "conn.h"
#include "login.h"
#include "pdu.h"
#include "session.h"
#include "target.h"
#include "text.h"

/* A request longer than this is refused (RFC 7143 leaves it to us). */
#define TEXT_MAX_REQUEST	(64 * 1024)
/* Nor does any answer grow past this: 1 MiB lists thousands of targets. */
#define TEXT_MAX_RESPONSE	(1024 * 1024)

static bool text_add(char *buf, u32 cap, u32 *len, const char *key,
		     const char *value)
{
	int n = snprintf(buf + *len, cap - *len, "%s=%s", key, value);

	if (n < 0 || *len + n + 1 > cap)
		return false;
	*len += n + 1;
	return true;
}

/**
 * ispt_text_answer - answer the keys of a Full Feature Phase text request
 * @req: the request's key=value pairs, each NUL-terminated
 * @req_len: their length
 * @ctx: what the answer depends on, and what it changes
 * @buf: where the answer's pairs go
 * @cap: size of @buf
 * @len: bytes written to @buf
 *
 * SendTargets is answered by @ctx->send_targets into @buf's remaining
 * space; MaxRecvDataSegmentLength, the one operational key the Full
 * Feature Phase may change, updates @ctx->their_max_recv_dsl and is
 * answered with ours; other keys of RFC 7143 are answered Reject (they
 * belong to the login) and unknown ones NotUnderstood.
 *
 * Return: 0, -ENOSPC if the answer does not fit in @cap, -EINVAL for a
 * request that is not key=value pairs (which gets a Reject PDU).
 */
int ispt_text_answer(const char *req, u32 req_len, struct ispt_text_ctx *ctx,
		     char *buf, u32 cap, u32 *len)
{
	u32 off = 0;
	char num[12];

	*len = 0;
	while (off < req_len) {
		const char *pair = req + off;
		u32 n = strnlen(pair, req_len - off);
		const char *eq = memchr(pair, '=', n);
		char key[64];
		u32 klen;
		u64 v;

		/* Padding NULs after the last pair are allowed. */
		if (!n) {
			off++;
			continue;
		}
		if (off + n == req_len || !eq || eq == pair)
			return -EINVAL;	/* unterminated, or not key=value */
		klen = eq - pair;
		off += n + 1;
		if (klen >= sizeof(key)) {
			if (!text_add(buf, cap, len, "X-TooLong", "NotUnderstood"))
				return -ENOSPC;
			continue;
		}
		memcpy(key, pair, klen);
		key[klen] = '\0';

		if (!strcmp(key, "SendTargets")) {
			int ret = ctx->send_targets(ctx, eq + 1, buf + *len,
						    cap - *len);

			if (ret < 0)
				return ret;
			*len += ret;
		} else if (!strcmp(key, "MaxRecvDataSegmentLength")) {
			if (kstrtou64(eq + 1, 0, &v) || v < 512 || v > 16777215 ||
			    (eq[1] == '0' && eq[2] && eq[2] != 'x')) {
				if (!text_add(buf, cap, len, key, "Reject"))
					return -ENOSPC;
				continue;
			}
			ctx->their_max_recv_dsl = v;
			snprintf(num, sizeof(num), "%u", ctx->our_max_recv_dsl);
			if (!text_add(buf, cap, len, key, num))
				return -ENOSPC;
		} else if (ispt_login_key_known(key)) {
			if (!text_add(buf, cap, len, key, "Reject"))
				return -ENOSPC;
		} else if (!text_add(buf, cap, len, key, "NotUnderstood")) {
			return -ENOSPC;
		}
	}
	return 0;
}

static int text_send_targets(struct ispt_text_ctx *ctx, const char *which,
			     char *buf, u32 cap)
{
	struct ispt_conn *conn = ctx->conn;
	struct ispt_session *sess = conn->sess;
	int ret;

	/* An empty value names the session's own target (RFC 7143 C.1). */
	if (!*which) {
		if (!sess->target)
			return 0;
		which = ispt_target_name(sess->target);
	}
	ret = ispt_send_targets(which, conn->tpgt, sess->initiator, &conn->peer,
				&conn->local, buf, cap);
	return ret == -EINVAL ? 0 : ret;
}

void ispt_text_reset(struct ispt_conn *conn)
{
	kvfree(conn->text.req);
	kvfree(conn->text.rsp);
	memset(&conn->text, 0, sizeof(conn->text));
	conn->text.ttt = ISCSI_RESERVED_TAG;
}

static u32 text_new_ttt(struct ispt_conn *conn)
{
	if (++conn->next_ttt == ISCSI_RESERVED_TAG)
		conn->next_ttt = 1;
	return conn->next_ttt;
}

/* Send the next piece of the pending answer, as much as the initiator takes. */
static int text_send_next(struct ispt_conn *conn, itt_t itt)
{
	struct ispt_text_state *t = &conn->text;
	u32 n = min(t->rsp_len - t->rsp_off, conn->max_send_dsl);
	bool more = t->rsp_off + n < t->rsp_len;
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;

	pdu = ispt_tx_pdu_alloc(n, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	memcpy(pdu->data, t->rsp + t->rsp_off, n);
	t->rsp_off += n;
	t->ttt = more ? text_new_ttt(conn) : ISCSI_RESERVED_TAG;
	sn = ispt_session_sn(conn, true);
	ispt_pdu_build_text_rsp(&pdu->bhs, itt, t->ttt, !more, more, n, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	if (!more)
		ispt_text_reset(conn);
	return 0;
}

/* The request is whole: build the answer, growing the buffer as needed. */
static int text_answer_request(struct ispt_conn *conn, itt_t itt)
{
	struct ispt_text_state *t = &conn->text;
	struct ispt_text_ctx ctx = {
		.conn = conn,
		.send_targets = text_send_targets,
		.our_max_recv_dsl = conn->max_recv_dsl,
		.their_max_recv_dsl = conn->max_send_dsl,
	};
	u32 cap, len;
	int ret = -ENOSPC;

	for (cap = 8192; ret == -ENOSPC && cap <= TEXT_MAX_RESPONSE; cap *= 4) {
		kvfree(t->rsp);
		t->rsp = kvmalloc(cap, GFP_KERNEL);
		if (!t->rsp)
			return -ENOMEM;
		ret = ispt_text_answer(t->req, t->req_len, &ctx, t->rsp, cap,
				       &len);
	}
	if (ret)
		return ret;
	conn->max_send_dsl = ctx.their_max_recv_dsl;
	t->rsp_len = len;
	t->rsp_off = 0;
	kvfree(t->req);
	t->req = NULL;
	t->req_len = 0;
	return text_send_next(conn, itt);
}

static int text_append(struct ispt_conn *conn, const void *data, u32 len)
{
	struct ispt_text_state *t = &conn->text;
	char *req;

	if (t->req_len + len > TEXT_MAX_REQUEST)
		return -E2BIG;
	req = kvmalloc(t->req_len + len, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	if (t->req_len)
		memcpy(req, t->req, t->req_len);
	memcpy(req + t->req_len, data, len);
	kvfree(t->req);
	t->req = req;
	t->req_len += len;
	return 0;
}

/**
 * ispt_text_request - handle a Text Request in the Full Feature Phase
 * @conn: the connection, in its owner
 * @s: the decoded request; its data is in conn->rx
 *
 * Return: 0, an ispt_pdu_reject reason (> 0) for the caller to send, or
 * -errno to drop the connection.
 */
int ispt_text_request(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_text_state *t = &conn->text;
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	int ret;

	if (s->text.ttt != ISCSI_RESERVED_TAG) {
		/* Continuing our exchange: the tag and task must be ours. */
		if (s->text.ttt != t->ttt || s->itt != t->itt)
			return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	} else {
		/* A new exchange ends any earlier one (RFC 7143 11.10.4). */
		ispt_text_reset(conn);
		t->itt = s->itt;
	}
	if (s->text.cont && s->final)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;

	if (t->rsp) {
		/* Asking for the rest of our answer: the request is empty. */
		if (s->data_len)
			return ISPT_PDU_REJECT_PROTOCOL_ERROR;
		return text_send_next(conn, s->itt);
	}
	ret = text_append(conn, conn->rx.data, s->data_len);
	if (ret == -E2BIG) {
		net_info_ratelimited("%pISpc: text request over %u bytes refused\n",
				     &conn->peer, TEXT_MAX_REQUEST);
		ispt_text_reset(conn);
		return ISPT_PDU_REJECT_OUT_OF_RESOURCES;
	}
	if (ret)
		return ret;
	if (!s->text.cont) {
		ret = text_answer_request(conn, s->itt);
		if (ret == -EINVAL || ret == -ENOSPC) {
			ispt_text_reset(conn);
			return ret == -EINVAL ? ISPT_PDU_REJECT_PROTOCOL_ERROR :
						ISPT_PDU_REJECT_OUT_OF_RESOURCES;
		}
		return ret;
	}
	/* More request text to come: an empty answer with a tag to send it. */
	pdu = ispt_tx_pdu_alloc(0, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	t->ttt = text_new_ttt(conn);
	sn = ispt_session_sn(conn, true);
	ispt_pdu_build_text_rsp(&pdu->bhs, s->itt, t->ttt, false, false, 0, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}
