// SPDX-License-Identifier: GPL-2.0
/*
 * negotiate.c from the wire: the key=value text of Login Requests. An
 * input is a control byte (response buffer size, operational or security
 * stage, where to split the text into two requests), then the text. The
 * answer must be well-formed "key=value\0" pairs inside the buffer, and
 * the negotiated values must stay inside the ranges RFC 7143 gives them.
 */
#include "conn.h"
#include "login.h"
#include "pdu.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static void check_pairs(const char *buf, u32 len, u32 cap)
{
	u32 off = 0;

	CHECK(len <= cap);
	while (off < len) {
		size_t n = strnlen(buf + off, len - off);

		CHECK(off + n < len);		/* NUL-terminated */
		CHECK(n && memchr(buf + off, '=', n));
		off += n + 1;
	}
}

static bool request(struct ispt_conn *conn, struct ispt_login *login,
		    const u8 *text, size_t len, u8 ctl, bool last)
{
	struct ispt_pdu_summary s = { .kind = ISPT_PDU_LOGIN };
	struct ispt_login_status st;
	u32 cap = ctl & 1 ? ISPT_LOGIN_MAX_DSL : 64 + ctl;
	char *buf = malloc(cap);
	bool transit;
	u32 used;

	login->text = malloc(len ? len : 1);
	memcpy(login->text, text, len);
	login->text_len = len;
	s.login.csg = ctl & 2 ? ISCSI_OP_PARMS_NEGOTIATION_STAGE :
				ISCSI_SECURITY_NEGOTIATION_STAGE;
	s.login.transit = last && (ctl & 4);
	s.login.nsg = ISCSI_FULL_FEATURE_PHASE;
	used = cap;
	st = ispt_login_negotiate(conn, login, &s, buf, &used, &transit);
	if (st.cls == ISCSI_STATUS_CLS_SUCCESS) {
		const struct ispt_login_keys *k = &login->keys;

		check_pairs(buf, used, cap);
		CHECK(k->first_burst <= k->max_burst);
		CHECK(k->max_burst >= 512 && k->max_burst <= 16777215);
		CHECK(k->their_max_recv_dsl >= 512 &&
		      k->their_max_recv_dsl <= 16777215);
		CHECK(k->max_r2t >= 1 && k->erl <= 2);
		CHECK(k->time2wait <= 3600 && k->time2retain <= 3600);
		CHECK(!login->target);	/* the stub registry has no targets */
	} else {
		CHECK(login->fail_reason);
	}
	free(login->text);
	login->text = NULL;
	login->text_len = 0;
	free(buf);
	return st.cls == ISCSI_STATUS_CLS_SUCCESS;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ispt_conn *conn;
	struct ispt_login *login;
	size_t split;
	u8 ctl;

	if (size < 2)
		return 0;
	ctl = data[0];
	data++;
	size--;
	conn = calloc(1, sizeof(*conn));
	login = calloc(1, sizeof(*login));
	conn->tpgt = 1;
	conn->login = login;
	split = ctl & 8 ? size * (ctl >> 4) / 16 : size;
	if (request(conn, login, data, split, ctl, split == size) && split < size)
		request(conn, login, data + split, size - split, ctl, true);
	conn->login = NULL;
	free(login);
	free(conn);
	return 0;
}
