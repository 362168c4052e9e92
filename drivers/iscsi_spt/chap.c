// SPDX-License-Identifier: GPL-2.0
/*
 * CHAP for the iSCSI login, target side (RFC 1994, RFC 7143 12.1.3).
 * chap.h explains how the login code drives an exchange.
 *
 * Every CHAP value comes from an unauthenticated peer: lengths are checked
 * before anything is copied, decoders are strict, and responses are
 * compared in constant time.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/md5.h>
#include <crypto/sha1.h>
#include <crypto/sha2.h>
#include <crypto/sha3.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/string.h>
#include <scsi/iscsi_proto.h>

#include "chap.h"

struct chap_alg {
	u8		num;		/* CHAP_A value */
	u8		digest_len;
	const char	*name;		/* for people */
	const char	*driver;	/* for crypto_alloc_shash() */
};

static const struct chap_alg chap_algs[] = {
	{ ISPT_CHAP_ALG_MD5, MD5_DIGEST_SIZE, "MD5", "md5" },
	{ ISPT_CHAP_ALG_SHA1, SHA1_DIGEST_SIZE, "SHA-1", "sha1" },
	{ ISPT_CHAP_ALG_SHA256, SHA256_DIGEST_SIZE, "SHA-256", "sha256" },
	{ ISPT_CHAP_ALG_SHA3_256, SHA3_256_DIGEST_SIZE, "SHA3-256", "sha3-256" },
};

static const char *const chap_key_names[ISPT_CHAP_NR_KEYS] = {
	[ISPT_CHAP_KEY_A] = "CHAP_A",
	[ISPT_CHAP_KEY_I] = "CHAP_I",
	[ISPT_CHAP_KEY_C] = "CHAP_C",
	[ISPT_CHAP_KEY_N] = "CHAP_N",
	[ISPT_CHAP_KEY_R] = "CHAP_R",
};

static const struct chap_alg *chap_alg_find(u32 num)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(chap_algs); i++)
		if (chap_algs[i].num == num)
			return &chap_algs[i];
	return NULL;
}

const char *ispt_chap_alg_name(unsigned int alg)
{
	const struct chap_alg *a = chap_alg_find(alg);

	return a ? a->name : NULL;
}

/*
 * An RFC 7143 6.1 numerical value: a decimal-constant (no leading zero)
 * or a hex-constant. @s need not be NUL-terminated; @len bounds it.
 */
static int chap_parse_number(const char *s, size_t len, u32 *val)
{
	u64 v = 0;
	size_t i;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < len; i++) {
			int d = hex_to_bin(s[i]);

			if (d < 0)
				return -EINVAL;
			v = v << 4 | d;
			if (v > U32_MAX)
				return -ERANGE;
		}
	} else {
		if (!len || (s[0] == '0' && len > 1))
			return -EINVAL;
		for (i = 0; i < len; i++) {
			if (!isdigit(s[i]))
				return -EINVAL;
			v = v * 10 + (s[i] - '0');
			if (v > U32_MAX)
				return -ERANGE;
		}
	}
	*val = v;
	return 0;
}

/*
 * Steps through a comma-separated list. Every comma ends an item, so "5,"
 * yields an empty last item, which chap_parse_number() then refuses.
 */
static bool chap_list_next(const char **pos, const char *end,
			   const char **item, size_t *len)
{
	const char *comma;

	if (!*pos)
		return false;
	comma = memchr(*pos, ',', end - *pos);
	*item = *pos;
	*len = (comma ? comma : end) - *pos;
	*pos = comma ? comma + 1 : NULL;
	return true;
}

/* The whole list must be well formed before we act on any of it. */
static int chap_alg_list_check(const char *list, size_t len)
{
	const char *pos = list, *item;
	size_t item_len;
	u32 num;

	while (chap_list_next(&pos, list + len, &item, &item_len))
		if (chap_parse_number(item, item_len, &num))
			return -EINVAL;
	return 0;
}

static bool chap_alg_allowed(const struct ispt_chap_config *cfg, u32 num)
{
	int i;

	for (i = 0; i < ISPT_CHAP_NR_ALGS && cfg->algs[i]; i++)
		if (cfg->algs[i] == num)
			return true;
	return false;
}

/* Empty credentials; every algorithm allowed, strongest first. */
void ispt_chap_config_init(struct ispt_chap_config *cfg)
{
	static const u8 defaults[ISPT_CHAP_NR_ALGS] = {
		ISPT_CHAP_ALG_SHA3_256, ISPT_CHAP_ALG_SHA256,
		ISPT_CHAP_ALG_SHA1, ISPT_CHAP_ALG_MD5,
	};

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->algs, defaults, sizeof(cfg->algs));
}

static int chap_algs_check(const u8 *algs, const char **reason)
{
	int i, j;

	if (!algs[0]) {
		*reason = "no CHAP algorithm allowed";
		return -EINVAL;
	}
	for (i = 0; i < ISPT_CHAP_NR_ALGS && algs[i]; i++) {
		if (!chap_alg_find(algs[i])) {
			*reason = "unknown CHAP algorithm";
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (algs[j] == algs[i]) {
				*reason = "CHAP algorithm listed twice";
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Sets cfg->algs from a list such as "8,7,5" (configfs input). On error
 * cfg is left alone and *reason says why.
 */
int ispt_chap_algs_parse(struct ispt_chap_config *cfg, const char *text,
			 const char **reason)
{
	size_t len = strnlen(text, ISPT_CHAP_TEXT_MAX + 1);
	u8 algs[ISPT_CHAP_NR_ALGS] = {};
	const char *pos = text, *item;
	size_t item_len;
	u32 num;
	int n = 0;

	BUILD_BUG_ON(ARRAY_SIZE(chap_algs) != ISPT_CHAP_NR_ALGS);
	if (len > ISPT_CHAP_TEXT_MAX) {
		*reason = "CHAP algorithm list too long";
		return -EINVAL;
	}
	while (chap_list_next(&pos, text + len, &item, &item_len)) {
		if (chap_parse_number(item, item_len, &num)) {
			*reason = "CHAP algorithm list is not numbers and commas";
			return -EINVAL;
		}
		if (!chap_alg_find(num)) {
			*reason = "unknown CHAP algorithm";
			return -EINVAL;
		}
		/* Only four are known, so a fifth entry ends up here. */
		if (memchr(algs, num, n)) {
			*reason = "CHAP algorithm listed twice";
			return -EINVAL;
		}
		algs[n++] = num;
	}
	memcpy(cfg->algs, algs, sizeof(cfg->algs));
	return 0;
}

/*
 * Checks one configfs attribute as stored (without its newline). Return 0,
 * or -EINVAL with *reason set to a sentence for the administrator.
 */
int ispt_chap_user_validate(const char *user, size_t len,
			    const char **reason)
{
	if (!len) {
		*reason = "CHAP user name is empty";
		return -EINVAL;
	}
	if (len > ISPT_CHAP_NAME_MAX) {
		*reason = "CHAP user name is longer than 255 bytes";
		return -EINVAL;
	}
	/* CHAP_N is a text value: UTF-8 without NUL (RFC 7143 6.1). */
	if (memchr(user, '\0', len)) {
		*reason = "CHAP user name contains a NUL byte";
		return -EINVAL;
	}
	return 0;
}

int ispt_chap_secret_validate(const u8 *secret, size_t len,
			      const char **reason)
{
	if (len < ISPT_CHAP_SECRET_MIN) {
		*reason = "CHAP secret is shorter than 12 bytes";
		return -EINVAL;
	}
	if (len > ISPT_CHAP_SECRET_MAX) {
		*reason = "CHAP secret is longer than 255 bytes";
		return -EINVAL;
	}
	return 0;
}

static int chap_cred_check(const struct ispt_chap_cred *cred,
			   const char **reason)
{
	size_t len = strnlen(cred->user, sizeof(cred->user));

	return ispt_chap_user_validate(cred->user, len, reason) ?:
	       ispt_chap_secret_validate(cred->secret, cred->secret_len,
					 reason);
}

/*
 * Checks a whole config before use: configfs before it accepts a change,
 * ispt_chap_start() on its copy. Returns 0 or -EINVAL with *reason set.
 */
int ispt_chap_config_validate(const struct ispt_chap_config *cfg,
			      const char **reason)
{
	const struct ispt_chap_cred *ini = &cfg->initiator, *mut = &cfg->mutual;
	int ret;

	ret = chap_cred_check(ini, reason);
	if (ret)
		return ret;
	ret = chap_algs_check(cfg->algs, reason);
	if (ret)
		return ret;
	if (!mut->user[0] && !mut->secret_len)
		return 0;
	if (!mut->user[0] || !mut->secret_len) {
		*reason = "mutual CHAP needs both a user name and a secret";
		return -EINVAL;
	}
	ret = chap_cred_check(mut, reason);
	if (ret)
		return ret;
	/* RFC 7143 9.2.1: a secret authenticates one direction only. */
	if (mut->secret_len == ini->secret_len &&
	    !crypto_memneq(mut->secret, ini->secret, ini->secret_len)) {
		*reason = "mutual CHAP secret must differ from the initiator's";
		return -EINVAL;
	}
	return 0;
}

/* For configfs to call before it frees a config. */
void ispt_chap_config_wipe(struct ispt_chap_config *cfg)
{
	memzero_explicit(cfg, sizeof(*cfg));
}

/*
 * "0x" + hex digits. RFC 7143 6.1: the byte length counts four bits per
 * digit, leading zeros included, and an odd count has an implied leading
 * zero digit.
 */
static int chap_decode_hex(const char *s, size_t n, u8 *dst, size_t size)
{
	size_t bytes = DIV_ROUND_UP(n, 2);
	int hi;

	if (!n)
		return -EINVAL;
	if (bytes > size)
		return -EMSGSIZE;
	if (n & 1) {
		hi = hex_to_bin(*s++);
		if (hi < 0)
			return -EINVAL;
		*dst++ = hi;
	}
	if (hex2bin(dst, s, n / 2))
		return -EINVAL;
	return bytes;
}

static int chap_base64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * "0b" + RFC 4648 base64. lib/base64.c takes '=' anywhere and ignores
 * leftover bits after padding, so this is a strict one of our own:
 * RFC 7143 6.1 makes padding optional, but when present it must end the
 * last 4-digit group; a 4k+1 digit count cannot encode whole bytes; and
 * the unused low bits must be zero, so each value has one encoding.
 */
static int chap_decode_base64(const char *s, size_t n, u8 *dst, size_t size)
{
	size_t pad = 0, digits, bytes, i;
	unsigned int bits = 0;
	u32 acc = 0;

	while (pad < 2 && pad < n && s[n - 1 - pad] == '=')
		pad++;
	digits = n - pad;
	if (!digits || digits % 4 == 1 || (pad && n % 4))
		return -EINVAL;
	bytes = digits * 3 / 4;
	if (bytes > size)
		return -EMSGSIZE;

	for (i = 0; i < digits; i++) {
		int d = chap_base64_digit(s[i]);

		if (d < 0)
			return -EINVAL;
		acc = (acc << 6 | d) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*dst++ = acc >> bits;
		}
	}
	if (acc & ((1U << bits) - 1))
		return -EINVAL;
	return bytes;
}

/*
 * Decodes an RFC 7143 binary value ("0x" hex or "0b" base64, either case)
 * into @dst. Returns the byte length, -EINVAL if it is malformed, or
 * -EMSGSIZE if it would exceed @size or ISPT_CHAP_BINARY_MAX bytes.
 */
int ispt_chap_decode(const char *text, u8 *dst, size_t size)
{
	size_t len;

	size = min_t(size_t, size, ISPT_CHAP_BINARY_MAX);
	/* Hex is the longest encoding; stop reading one byte past it. */
	len = strnlen(text, 2 + 2 * size + 1);
	if (len > 2 + 2 * size)
		return -EMSGSIZE;
	if (len < 2 || text[0] != '0')
		return -EINVAL;
	switch (text[1]) {
	case 'x':
	case 'X':
		return chap_decode_hex(text + 2, len - 2, dst, size);
	case 'b':
	case 'B':
		return chap_decode_base64(text + 2, len - 2, dst, size);
	}
	return -EINVAL;
}

/*
 * Files one key of a Login request. -ENOENT if it is not a CHAP key; a
 * repeated key is remembered and fails the step in ispt_chap_recv().
 */
int ispt_chap_key_set(struct ispt_chap_keys *keys, const char *key,
		      const char *value)
{
	int k = match_string(chap_key_names, ARRAY_SIZE(chap_key_names), key);

	if (k < 0)
		return -ENOENT;
	/* Keep the first; RFC 7143 section 6 allows a key once per request. */
	if (keys->val[k])
		keys->repeated = true;
	else
		keys->val[k] = value;
	return 0;
}

static void chap_wipe(struct ispt_chap *chap)
{
	if (chap->tfm) {
		crypto_free_shash(chap->tfm);
		chap->tfm = NULL;
	}
	memzero_explicit(&chap->cfg, sizeof(chap->cfg));
	memzero_explicit(chap->peer_challenge, sizeof(chap->peer_challenge));
}

/*
 * Ends the exchange with a login status. The log names the initiator and
 * the reason; a peer can trigger it at will, hence the ratelimit, and
 * nothing secret goes in it.
 */
static int chap_fail(struct ispt_chap *chap, int err, u8 cls, u8 detail,
		     const char *why)
{
	pr_warn_ratelimited("CHAP failed for initiator %*pE: %s\n",
			    (int)strlen(chap->initiator), chap->initiator, why);
	chap->state = ISPT_CHAP_FAILED;
	chap->status_class = cls;
	chap->status_detail = detail;
	chap_wipe(chap);
	return err;
}

static int chap_fail_auth(struct ispt_chap *chap, const char *why)
{
	return chap_fail(chap, -EACCES, ISCSI_STATUS_CLS_INITIATOR_ERR,
			 ISCSI_LOGIN_STATUS_AUTH_FAILED, why);
}

static int chap_fail_order(struct ispt_chap *chap, const char *why)
{
	return chap_fail(chap, -EPROTO, ISCSI_STATUS_CLS_INITIATOR_ERR,
			 ISCSI_LOGIN_STATUS_INIT_ERR, why);
}

static int chap_fail_missing(struct ispt_chap *chap, const char *why)
{
	return chap_fail(chap, -EPROTO, ISCSI_STATUS_CLS_INITIATOR_ERR,
			 ISCSI_LOGIN_STATUS_MISSING_FIELDS, why);
}

static int chap_fail_target(struct ispt_chap *chap, int err, const char *why)
{
	return chap_fail(chap, err, ISCSI_STATUS_CLS_TARGET_ERR,
			 err == -ENOMEM ? ISCSI_LOGIN_STATUS_NO_RESOURCES :
					  ISCSI_LOGIN_STATUS_TARGET_ERROR, why);
}

static __printf(2, 3)
int chap_reply_add(struct ispt_chap *chap, const char *fmt, ...)
{
	size_t room = sizeof(chap->reply) - chap->reply_len;
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(chap->reply + chap->reply_len, room, fmt, args);
	va_end(args);
	/* Keep the NUL: it separates the pairs in the data segment. */
	if (n < 0 || (size_t)n >= room)
		return -ENOSPC;
	chap->reply_len += n + 1;
	return 0;
}

/* H(id || secret || challenge), RFC 1994 section 4.1. */
static int chap_hash(struct ispt_chap *chap, u8 id,
		     const struct ispt_chap_cred *cred,
		     const u8 *challenge, size_t len, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, chap->tfm);
	int ret;

	desc->tfm = chap->tfm;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, &id, 1);
	if (!ret)
		ret = crypto_shash_update(desc, cred->secret, cred->secret_len);
	if (!ret)
		ret = crypto_shash_finup(desc, challenge, len, out);
	/* The hash state has seen the secret. */
	shash_desc_zero(desc);
	return ret;
}

/*
 * The only place a response is compared. crypto_memneq() takes the same
 * time wherever the first difference is, so an attacker cannot find the
 * expected response a byte at a time. The length is public (it follows
 * from the algorithm), so a mismatch there may return early.
 */
static bool chap_response_ok(struct ispt_chap *chap, const u8 *got,
			     int got_len, const u8 *want)
{
	if (got_len != chap->digest_len)
		return false;
#if IS_ENABLED(CONFIG_ISCSI_SPT_KUNIT_TEST)
	chap->nr_ct_compares++;
#endif
	return !crypto_memneq(got, want, chap->digest_len);
}

/* -ENOENT: the kernel cannot do it here; try the initiator's next one. */
static int chap_use_alg(struct ispt_chap *chap, const struct chap_alg *alg)
{
	struct crypto_shash *tfm = crypto_alloc_shash(alg->driver, 0, 0);

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	/* Our buffers are sized by the table; never trust a driver beyond. */
	if (crypto_shash_digestsize(tfm) != alg->digest_len) {
		crypto_free_shash(tfm);
		return -ENOENT;
	}
	chap->tfm = tfm;
	chap->alg = alg->num;
	chap->digest_len = alg->digest_len;
	return 0;
}

/*
 * RFC 7143 6.2.1: answer with the first value of the initiator's list we
 * allow. Returns -EINVAL for a malformed list, -ENOENT if nothing fits.
 */
static int chap_pick_alg(struct ispt_chap *chap, const char *list)
{
	size_t len = strnlen(list, ISPT_CHAP_TEXT_MAX + 1);
	const char *pos = list, *item;
	const struct chap_alg *alg;
	size_t item_len;
	u32 num = 0;
	int ret;

	if (len > ISPT_CHAP_TEXT_MAX || chap_alg_list_check(list, len))
		return -EINVAL;
	while (chap_list_next(&pos, list + len, &item, &item_len)) {
		chap_parse_number(item, item_len, &num);
		alg = chap_alg_find(num);
		if (!alg || !chap_alg_allowed(&chap->cfg, num))
			continue;
		ret = chap_use_alg(chap, alg);
		if (ret != -ENOENT)
			return ret;
	}
	return -ENOENT;
}

static bool chap_keys_other_than(const struct ispt_chap_keys *keys,
				 unsigned long allowed)
{
	int k;

	for (k = 0; k < ISPT_CHAP_NR_KEYS; k++)
		if (keys->val[k] && !(allowed & BIT(k)))
			return true;
	return false;
}

/* Request 1: CHAP_A. Reply CHAP_A, CHAP_I, CHAP_C. */
static int chap_recv_a(struct ispt_chap *chap,
		       const struct ispt_chap_keys *keys)
{
	int ret;

	if (keys->repeated)
		return chap_fail_order(chap, "CHAP key repeated");
	if (chap_keys_other_than(keys, BIT(ISPT_CHAP_KEY_A)))
		return chap_fail_order(chap, "CHAP key sent before CHAP_A");
	if (!keys->val[ISPT_CHAP_KEY_A])
		return chap_fail_missing(chap, "CHAP_A missing");

	ret = chap_pick_alg(chap, keys->val[ISPT_CHAP_KEY_A]);
	if (ret == -EINVAL || ret == -ENOENT) {
		/* Cannot fail: the reply is still empty. */
		chap_reply_add(chap, "CHAP_A=Reject");
		return chap_fail_auth(chap, ret == -EINVAL ?
				      "malformed CHAP_A" :
				      "no acceptable algorithm in CHAP_A");
	}
	if (ret)
		return chap_fail_target(chap, ret, "cannot set up the hash");

	/* RFC 1994 section 2.3: a fresh, unpredictable challenge. */
	BUILD_BUG_ON(MD5_DIGEST_SIZE < 16);
	chap->challenge_len = chap->digest_len;
	get_random_bytes(&chap->id, sizeof(chap->id));
	get_random_bytes(chap->challenge, chap->challenge_len);

	ret = chap_reply_add(chap, "CHAP_A=%u", chap->alg);
	if (!ret)
		ret = chap_reply_add(chap, "CHAP_I=%u", chap->id);
	if (!ret)
		ret = chap_reply_add(chap, "CHAP_C=0x%*phN",
				     chap->challenge_len, chap->challenge);
	if (ret)
		return chap_fail_target(chap, ret, "reply does not fit");
	chap->state = ISPT_CHAP_WAIT_NR;
	return 0;
}

/* What request 2 carried, decoded. */
struct chap_answer {
	u8	resp[ISPT_CHAP_DIGEST_MAX];
	int	resp_len;
	size_t	name_len;
	bool	mutual;
	u8	peer_id;
	int	peer_len;	/* bytes in chap->peer_challenge */
};

/* Decodes request 2's values; returns a reason on failure. */
static const char *chap_parse_answer(struct ispt_chap *chap,
				     const struct ispt_chap_keys *keys,
				     struct chap_answer *ans)
{
	const char *const *v = keys->val;
	u32 id;

	ans->name_len = strnlen(v[ISPT_CHAP_KEY_N], ISPT_CHAP_NAME_MAX + 1);
	if (!ans->name_len || ans->name_len > ISPT_CHAP_NAME_MAX)
		return "CHAP_N empty or too long";
	ans->resp_len = ispt_chap_decode(v[ISPT_CHAP_KEY_R], ans->resp,
					 sizeof(ans->resp));
	if (ans->resp_len < 0)
		return "CHAP_R malformed or too long";

	ans->mutual = !!v[ISPT_CHAP_KEY_I];
	if (!ans->mutual)
		return NULL;
	if (chap_parse_number(v[ISPT_CHAP_KEY_I],
			      strnlen(v[ISPT_CHAP_KEY_I], ISPT_CHAP_TEXT_MAX + 1),
			      &id) || id > U8_MAX)
		return "CHAP_I malformed or over 255";
	ans->peer_id = id;
	ans->peer_len = ispt_chap_decode(v[ISPT_CHAP_KEY_C],
					 chap->peer_challenge,
					 sizeof(chap->peer_challenge));
	if (ans->peer_len < 0)
		return "CHAP_C malformed or over 1024 bytes";
	if (!chap->cfg.mutual.user[0])
		return chap->cfg.initiator.user[0] ?
		       "mutual CHAP asked for but not configured" :
		       "unknown CHAP_N";
	/* Reflection: answering it would hand out our own response. */
	if (ans->peer_len == chap->challenge_len &&
	    !memcmp(chap->peer_challenge, chap->challenge, ans->peer_len))
		return "initiator sent our own challenge back";
	return NULL;
}

/* Mutual CHAP: prove we know the target secret. */
static int chap_reply_mutual(struct ispt_chap *chap,
			     const struct chap_answer *ans)
{
	u8 resp[ISPT_CHAP_DIGEST_MAX];
	int ret;

	ret = chap_hash(chap, ans->peer_id, &chap->cfg.mutual,
			chap->peer_challenge, ans->peer_len, resp);
	if (!ret)
		ret = chap_reply_add(chap, "CHAP_N=%s", chap->cfg.mutual.user);
	if (!ret)
		ret = chap_reply_add(chap, "CHAP_R=0x%*phN",
				     chap->digest_len, resp);
	return ret;
}

/* Request 2: CHAP_N, CHAP_R [, CHAP_I, CHAP_C]. */
static int chap_recv_nr(struct ispt_chap *chap,
			const struct ispt_chap_keys *keys)
{
	const struct ispt_chap_cred *ini = &chap->cfg.initiator;
	const char *const *v = keys->val;
	u8 want[ISPT_CHAP_DIGEST_MAX];
	struct chap_answer ans = {};
	bool name_ok, resp_ok;
	const char *why;
	int ret;

	if (keys->repeated)
		return chap_fail_order(chap, "CHAP key repeated");
	if (v[ISPT_CHAP_KEY_A])
		return chap_fail_order(chap, "CHAP_A sent twice");
	if (!v[ISPT_CHAP_KEY_N] || !v[ISPT_CHAP_KEY_R])
		return chap_fail_missing(chap, "CHAP_N or CHAP_R missing");
	if (!v[ISPT_CHAP_KEY_I] != !v[ISPT_CHAP_KEY_C])
		return chap_fail_missing(chap, "CHAP_I or CHAP_C missing");

	why = chap_parse_answer(chap, keys, &ans);
	if (why)
		return chap_fail_auth(chap, why);

	ret = chap_hash(chap, chap->id, ini, chap->challenge,
			chap->challenge_len, want);
	if (ret)
		return chap_fail_target(chap, ret, "hash failed");
	/* Check both, so the time taken does not tell which one was wrong. */
	name_ok = ans.name_len == strlen(ini->user) &&
		  !memcmp(v[ISPT_CHAP_KEY_N], ini->user, ans.name_len);
	resp_ok = chap_response_ok(chap, ans.resp, ans.resp_len, want);
	memzero_explicit(want, sizeof(want));
	if (!name_ok)
		return chap_fail_auth(chap, "unknown CHAP_N");
	if (!resp_ok)
		return chap_fail_auth(chap, "wrong CHAP_R");

	/* Only an authenticated initiator gets an answer to its challenge. */
	if (ans.mutual) {
		ret = chap_reply_mutual(chap, &ans);
		if (ret)
			return chap_fail_target(chap, ret, "mutual reply failed");
	}
	chap->state = ISPT_CHAP_DONE;
	chap_wipe(chap);
	return 0;
}

/* No credentials at all: they come with CHAP_N, see ispt_chap_set_creds(). */
static bool chap_creds_deferred(const struct ispt_chap_config *cfg)
{
	return !cfg->initiator.user[0] && !cfg->initiator.secret_len &&
	       !cfg->mutual.user[0] && !cfg->mutual.secret_len;
}

/*
 * Begins an exchange on a zeroed or ended @chap, on a copy of @cfg. An
 * unusable config fails it at once (-EINVAL, target error status). A
 * config with algorithms but no credentials defers them to
 * ispt_chap_set_creds().
 */
int ispt_chap_start(struct ispt_chap *chap,
		    const struct ispt_chap_config *cfg, const char *initiator)
{
	const char *reason;
	int ret;

	ispt_chap_end(chap);
	strscpy(chap->initiator, initiator ? initiator : "",
		sizeof(chap->initiator));
	/* Checked here as well as in configfs: see "Equal secrets" in chap.h. */
	if (chap_creds_deferred(cfg))
		ret = chap_algs_check(cfg->algs, &reason);
	else
		ret = ispt_chap_config_validate(cfg, &reason);
	if (ret)
		return chap_fail_target(chap, ret, reason);
	chap->cfg = *cfg;
	chap->state = ISPT_CHAP_WAIT_A;
	return 0;
}

/*
 * Hands over the credentials of the user a request 2 names in CHAP_N,
 * for an exchange started without any. @mutual may be NULL. Call it
 * before that request's ispt_chap_recv(); if it is never called, the
 * exchange fails there as "unknown CHAP_N". Returns 0, or -errno with
 * the exchange failed (target error: the credentials are unusable).
 */
int ispt_chap_set_creds(struct ispt_chap *chap,
			const struct ispt_chap_cred *initiator,
			const struct ispt_chap_cred *mutual)
{
	const char *reason;

	if (chap->state != ISPT_CHAP_WAIT_NR || !chap_creds_deferred(&chap->cfg))
		return chap_fail_target(chap, -EINVAL,
					"CHAP credentials set out of order");
	chap->cfg.initiator = *initiator;
	if (mutual)
		chap->cfg.mutual = *mutual;
	/* The failure path wipes them again. */
	if (ispt_chap_config_validate(&chap->cfg, &reason))
		return chap_fail_target(chap, -EINVAL, reason);
	return 0;
}

/*
 * Runs the step for one Login request's CHAP keys. 0: send chap->reply and
 * check ispt_chap_authenticated(). -errno: reject the login with
 * chap->status_class and chap->status_detail (see chap.h).
 */
int ispt_chap_recv(struct ispt_chap *chap, const struct ispt_chap_keys *keys)
{
	chap->reply_len = 0;
	switch (chap->state) {
	case ISPT_CHAP_WAIT_A:
		return chap_recv_a(chap, keys);
	case ISPT_CHAP_WAIT_NR:
		return chap_recv_nr(chap, keys);
	case ISPT_CHAP_DONE:
		/* Later requests of the stage may come; CHAP keys may not. */
		if (!keys->repeated && !chap_keys_other_than(keys, 0))
			return 0;
		return chap_fail_order(chap, "CHAP key after authentication");
	case ISPT_CHAP_FAILED:
		/* Already failed: keep the first status. */
		return -EPROTO;
	case ISPT_CHAP_IDLE:
		break;
	}
	return chap_fail_target(chap, -EINVAL, "CHAP exchange not started");
}

bool ispt_chap_authenticated(const struct ispt_chap *chap)
{
	return chap->state == ISPT_CHAP_DONE;
}

/* Frees the hash and wipes everything; safe to call more than once. */
void ispt_chap_end(struct ispt_chap *chap)
{
	if (chap->tfm)
		crypto_free_shash(chap->tfm);
	memzero_explicit(chap, sizeof(*chap));
}
