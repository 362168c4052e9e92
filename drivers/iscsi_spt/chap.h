/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_CHAP_H
#define ISPT_CHAP_H

#include <linux/types.h>

struct crypto_shash;

/*
 * CHAP (RFC 1994) as iSCSI uses it in the SecurityNegotiation stage
 * (RFC 7143 section 12.1.3), target side: we challenge the initiator and,
 * when it asks for mutual CHAP, answer its challenge. Nothing here touches
 * a socket or a PDU; the login code hands over the CHAP_* keys of each
 * Login request and sends what we leave in struct ispt_chap.
 *
 * How the login code drives one exchange:
 *
 * 1. Once AuthMethod=CHAP is agreed, call ispt_chap_start() on a zeroed
 *    (or ended) struct ispt_chap, with the target's (or discovery's)
 *    config and the InitiatorName. It copies the credentials, so hold the
 *    config lock across the call and none afterwards.
 *
 * 2. For each Login request of the stage: zero a struct ispt_chap_keys,
 *    offer it every key=value pair with ispt_chap_key_set() (-ENOENT means
 *    "not a CHAP key": negotiate it as usual), then call ispt_chap_recv().
 *      - Request 1 must carry CHAP_A only. Reply: CHAP_A, CHAP_I, CHAP_C.
 *      - Request 2 must carry CHAP_N and CHAP_R, plus CHAP_I and CHAP_C
 *        when the initiator wants mutual CHAP. Reply: nothing (one-way) or
 *        CHAP_N and CHAP_R (mutual); ispt_chap_authenticated() is now true.
 *    On 0, append chap->reply (chap->reply_len bytes of "key=value\0"
 *    pairs) to the Login response; leave the stage (honour the T bit) only
 *    once ispt_chap_authenticated() is true.
 *    On -errno, reject the login with chap->status_class and
 *    chap->status_detail, sending chap->reply with it if not empty (it then
 *    holds CHAP_A=Reject). The errno is for the kernel side and logs; never
 *    derive the wire status from it.
 *
 *    Credentials may also follow CHAP_N (an auth group holding a secret
 *    per user): start with a config that has algorithms but no
 *    credentials, and once request 2 is in, look its CHAP_N up and call
 *    ispt_chap_set_creds() before ispt_chap_recv(). A name found nowhere
 *    leaves the credentials empty, and the step fails as "unknown CHAP_N"
 *    after the same hashing a known name gets.
 *
 * 3. Call ispt_chap_end() when the login finishes or the connection dies,
 *    whatever happened before. It frees the hash and wipes the state.
 *
 * ispt_chap_start() and ispt_chap_recv() may sleep (the hash transform is
 * allocated once the algorithm is known), so call them in process context,
 * which the connection's worker thread is. An exchange belongs to one
 * connection: no locking inside.
 *
 * Login status on failure (class ISCSI_STATUS_CLS_INITIATOR_ERR unless said):
 *   AUTH_FAILED     CHAP_A has no algorithm we allow (reply CHAP_A=Reject)
 *                   or is malformed; a CHAP value that does not parse or is
 *                   over its limit; unknown CHAP_N; wrong CHAP_R; the
 *                   initiator's CHAP_C equals ours; mutual CHAP asked for
 *                   but not configured. RFC 7143 12.1.3 makes every failed
 *                   authentication an "Authentication failure".
 *   MISSING_FIELDS  a step lacks a key it needs (CHAP_A; CHAP_N or CHAP_R;
 *                   CHAP_I without CHAP_C or the reverse).
 *   INIT_ERR        keys out of order: a key from another step, a key
 *                   repeated in one request, CHAP keys after the end.
 *   class ISCSI_STATUS_CLS_TARGET_ERR: TARGET_ERROR for an unusable
 *                   config or a hash failure, NO_RESOURCES for -ENOMEM.
 *
 * Equal secrets: RFC 7143 section 9.2.1 forbids using one CHAP secret in
 * both directions. ispt_chap_config_validate() refuses a mutual secret
 * equal to the initiator's, configfs calls it before accepting a change,
 * and ispt_chap_start() calls it again on its copy, so an exchange never
 * runs with equal secrets. That also covers the RFC's other check (a
 * response equal to the one we would have computed): with different
 * secrets it could only happen through a hash collision.
 */

/* CHAP_A values: PPP authentication algorithms as IANA numbers them. */
#define ISPT_CHAP_ALG_MD5	5
#define ISPT_CHAP_ALG_SHA1	6
#define ISPT_CHAP_ALG_SHA256	7
#define ISPT_CHAP_ALG_SHA3_256	8
#define ISPT_CHAP_NR_ALGS	4

/* Largest digest of the algorithms above (SHA-256, SHA3-256). */
#define ISPT_CHAP_DIGEST_MAX	32
/* RFC 7143 12.1.3: C and R decode to at most 1024 bytes. */
#define ISPT_CHAP_BINARY_MAX	1024
/* RFC 7143 6.1: a text value is at most 255 bytes. */
#define ISPT_CHAP_TEXT_MAX	255
#define ISPT_CHAP_NAME_MAX	ISPT_CHAP_TEXT_MAX
/*
 * 12 bytes (96 bits) is the least for a random-looking secret; the most
 * is what a text value can carry, since initiators configure secrets as
 * text.
 */
#define ISPT_CHAP_SECRET_MIN	12
#define ISPT_CHAP_SECRET_MAX	ISPT_CHAP_TEXT_MAX
/* RFC 7143 4.2.7: iSCSI names are at most 223 bytes. */
#define ISPT_CHAP_INITIATOR_MAX	223
/* CHAP_N with the longest name plus CHAP_R with the longest digest fit. */
#define ISPT_CHAP_REPLY_MAX	512

/* A CHAP user name and the secret that goes with it. */
struct ispt_chap_cred {
	char		user[ISPT_CHAP_NAME_MAX + 1];	/* "" if unset */
	u8		secret[ISPT_CHAP_SECRET_MAX];
	unsigned int	secret_len;			/* 0 if unset */
};

/* One target's (or discovery's) CHAP settings. */
struct ispt_chap_config {
	/* What the initiator must send as CHAP_N and know as the secret. */
	struct ispt_chap_cred	initiator;
	/* Mutual CHAP: what we answer with. Unset: we refuse mutual CHAP. */
	struct ispt_chap_cred	mutual;
	/*
	 * Allowed CHAP_A values in our order of preference, ended by 0 when
	 * shorter than the array. RFC 7143 6.2.1 has the answer follow the
	 * initiator's order, so ours only says what is allowed.
	 */
	u8			algs[ISPT_CHAP_NR_ALGS];
};

enum ispt_chap_key {
	ISPT_CHAP_KEY_A,
	ISPT_CHAP_KEY_I,
	ISPT_CHAP_KEY_C,
	ISPT_CHAP_KEY_N,
	ISPT_CHAP_KEY_R,
	ISPT_CHAP_NR_KEYS,
};

/* The CHAP keys of one Login request, filled by ispt_chap_key_set(). */
struct ispt_chap_keys {
	/* NUL-terminated values inside the request; NULL when absent. */
	const char	*val[ISPT_CHAP_NR_KEYS];
	bool		repeated;	/* some key came twice */
};

enum ispt_chap_state {
	ISPT_CHAP_IDLE,		/* zeroed or ended */
	ISPT_CHAP_WAIT_A,	/* started; CHAP_A comes next */
	ISPT_CHAP_WAIT_NR,	/* challenge sent; CHAP_N and CHAP_R come next */
	ISPT_CHAP_DONE,		/* initiator authenticated */
	ISPT_CHAP_FAILED,	/* see status_class and status_detail */
};

/* One connection's exchange. Fixed size: nothing is allocated per key. */
struct ispt_chap {
	enum ispt_chap_state	state;
	u8			status_class;	/* ISCSI_STATUS_CLS_* */
	u8			status_detail;	/* ISCSI_LOGIN_STATUS_* */
	u8			alg;		/* agreed CHAP_A */
	u8			digest_len;
	u8			id;		/* our CHAP_I */
	u8			challenge_len;
	u8			challenge[ISPT_CHAP_DIGEST_MAX];
	struct crypto_shash	*tfm;
	/* Copied at start so configfs can change the original meanwhile. */
	struct ispt_chap_config	cfg;
	/* Keys for the Login response, "key=value\0" each. */
	unsigned int		reply_len;
	char			reply[ISPT_CHAP_REPLY_MAX];
	char			initiator[ISPT_CHAP_INITIATOR_MAX + 1];
	/* Decoded CHAP_C of a mutual request. */
	u8			peer_challenge[ISPT_CHAP_BINARY_MAX];
#if IS_ENABLED(CONFIG_ISCSI_SPT_KUNIT_TEST)
	/* Responses checked with crypto_memneq(), so tests can see it. */
	unsigned int		nr_ct_compares;
#endif
};

/* chap.c APIs: */
void ispt_chap_config_init(struct ispt_chap_config *cfg);
int ispt_chap_algs_parse(struct ispt_chap_config *cfg, const char *text,
			 const char **reason);
int ispt_chap_user_validate(const char *user, size_t len,
			    const char **reason);
int ispt_chap_secret_validate(const u8 *secret, size_t len,
			      const char **reason);
int ispt_chap_config_validate(const struct ispt_chap_config *cfg,
			      const char **reason);
void ispt_chap_config_wipe(struct ispt_chap_config *cfg);
const char *ispt_chap_alg_name(unsigned int alg);

int ispt_chap_decode(const char *text, u8 *dst, size_t size);
int ispt_chap_key_set(struct ispt_chap_keys *keys, const char *key,
		      const char *value);

int ispt_chap_start(struct ispt_chap *chap,
		    const struct ispt_chap_config *cfg, const char *initiator);
int ispt_chap_set_creds(struct ispt_chap *chap,
			const struct ispt_chap_cred *initiator,
			const struct ispt_chap_cred *mutual);
int ispt_chap_recv(struct ispt_chap *chap, const struct ispt_chap_keys *keys);
bool ispt_chap_authenticated(const struct ispt_chap *chap);
void ispt_chap_end(struct ispt_chap *chap);

#endif /* ISPT_CHAP_H */
