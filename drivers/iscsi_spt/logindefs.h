/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_LOGINDEFS_H
#define ISPT_LOGINDEFS_H

/*
 * The login keys the target offers (its side of each negotiation),
 * settable as global configfs attributes named after the keys. A login
 * takes one snapshot of them when it starts, so a change applies to
 * logins from then on and never to a session already negotiated, and a
 * login never sees half of a change.
 */
#include <linux/types.h>

/* RFC 7143 13.12, 13.13: the lengths these keys may take. */
#define ISPT_KEY_LEN_MIN		512
#define ISPT_KEY_LEN_MAX		16777215
/*
 * Each connection receives into one buffer of MaxRecvDataSegmentLength
 * bytes (one kmalloc); 256 KiB keeps it within what the page allocator
 * gives reliably, for thousands of connections.
 */
#define ISPT_KEY_MAX_RECV_DSL_MAX	262144
#define ISPT_KEY_TIME_MAX		3600

/* Which digests the target accepts; the initiator's order picks among them. */
enum ispt_digest_offer {
	ISPT_DIGEST_ANY,	/* CRC32C,None */
	ISPT_DIGEST_CRC32C,	/* CRC32C only: a login without it fails */
	ISPT_DIGEST_NONE,	/* None only */
};

struct ispt_login_defaults {
	u32	max_recv_dsl;
	u32	max_burst;
	u32	first_burst;
	u32	max_r2t;
	u32	time2wait;
	u32	time2retain;
	bool	initial_r2t;
	bool	immediate_data;
	u8	header_digest;	/* enum ispt_digest_offer */
	u8	data_digest;
};

enum ispt_defkey {
	ISPT_DEFKEY_HEADER_DIGEST,
	ISPT_DEFKEY_DATA_DIGEST,
	ISPT_DEFKEY_MAX_RECV_DSL,
	ISPT_DEFKEY_MAX_BURST,
	ISPT_DEFKEY_FIRST_BURST,
	ISPT_DEFKEY_MAX_R2T,
	ISPT_DEFKEY_TIME2WAIT,
	ISPT_DEFKEY_TIME2RETAIN,
	ISPT_DEFKEY_INITIAL_R2T,
	ISPT_DEFKEY_IMMEDIATE_DATA,
	ISPT_DEFKEY_NR,
};

/* logindefs.c APIs: */
extern const struct ispt_login_defaults ispt_login_defaults_builtin;
const char *ispt_defkey_name(enum ispt_defkey key);
void ispt_login_defaults_get(struct ispt_login_defaults *d);
int ispt_login_defaults_set(const struct ispt_login_defaults *d,
			    const char **why);
int ispt_login_defaults_check(const struct ispt_login_defaults *d,
			      const char **why);
int ispt_defkey_parse(struct ispt_login_defaults *d, enum ispt_defkey key,
		      const char *text, size_t len, const char **why);
int ispt_defkey_format(const struct ispt_login_defaults *d,
		       enum ispt_defkey key, char *buf, size_t size);
int ispt_defkey_store(enum ispt_defkey key, const char *text, size_t len,
		      const char **why);

#endif /* ISPT_LOGINDEFS_H */
