/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_TEXT_H
#define ISPT_TEXT_H

#include <linux/types.h>

struct ispt_conn;
struct ispt_pdu_summary;

/* What answering a text request needs, and what it may change. */
struct ispt_text_ctx {
	struct ispt_conn *conn;
	/* Writes SendTargets' answer; bytes written or -ENOSPC. */
	int (*send_targets)(struct ispt_text_ctx *ctx, const char *which,
			    char *buf, u32 cap);
	u32 our_max_recv_dsl;
	u32 their_max_recv_dsl;	/* updated when the initiator declares it */
};

/* text.c APIs: */
int ispt_text_answer(const char *req, u32 req_len, struct ispt_text_ctx *ctx,
		     char *buf, u32 cap, u32 *len);
int ispt_text_request(struct ispt_conn *conn, const struct ispt_pdu_summary *s);
void ispt_text_reset(struct ispt_conn *conn);

#endif /* ISPT_TEXT_H */
