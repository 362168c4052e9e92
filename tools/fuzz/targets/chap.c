// SPDX-License-Identifier: GPL-2.0
/*
 * chap.c from the wire: an input is a control byte, then "key=value\0"
 * pairs; an empty pair ends a Login request. The pairs go through
 * ispt_chap_key_set() and ispt_chap_recv() as the login would hand them
 * over, and every value also through the stand-alone decoders.
 *
 * Control bit 0 makes the harness answer the challenge itself, with the
 * right CHAP_N and CHAP_R (shim.c's stand-in hash is the target's too),
 * so the fuzzer reaches what follows a valid response: mutual CHAP (bit
 * 1 configures it) and the checks of the initiator's own challenge.
 */
#include <scsi/iscsi_proto.h>

#include "chap.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static const char user[] = "fuzz-user";
static const u8 secret[] = "0123456789abcdef";
static const char mutual_user[] = "fuzz-target";
static const u8 mutual_secret[] = "fedcba9876543210";

static void check_reply(const struct ispt_chap *chap)
{
	u32 off = 0;

	CHECK(chap->reply_len <= sizeof(chap->reply));
	while (off < chap->reply_len) {
		size_t n = strnlen(chap->reply + off, chap->reply_len - off);

		CHECK(off + n < chap->reply_len);
		CHECK(!strncmp(chap->reply + off, "CHAP_", 5));
		off += n + 1;
	}
}

/* The value decoders, on every value the fuzzer writes. */
static void decode_value(const char *value, u8 ctl)
{
	struct ispt_chap_config cfg;
	const char *reason;
	size_t size = ctl & 0x80 ? ISPT_CHAP_BINARY_MAX : (ctl & 0x7c) >> 2;
	u8 *dst = malloc(size ? size : 1);
	int n = ispt_chap_decode(value, dst, size);

	CHECK(n < 0 || (size_t)n <= size);
	free(dst);
	ispt_chap_config_init(&cfg);
	if (!ispt_chap_algs_parse(&cfg, value, &reason))
		CHECK(cfg.algs[0]);
	ispt_chap_user_validate(value, strlen(value), &reason);
	ispt_chap_secret_validate((const u8 *)value, strlen(value), &reason);
}

/* The right answer to our challenge: H(id || secret || challenge). */
static void answer(struct ispt_chap *chap, char *out, size_t size)
{
	struct crypto_shash *tfm = crypto_alloc_shash(
		chap->alg == ISPT_CHAP_ALG_MD5 ? "md5" :
		chap->alg == ISPT_CHAP_ALG_SHA1 ? "sha1" :
		chap->alg == ISPT_CHAP_ALG_SHA256 ? "sha256" : "sha3-256", 0, 0);
	SHASH_DESC_ON_STACK(desc, tfm);
	u8 digest[ISPT_CHAP_DIGEST_MAX];
	size_t n, i;

	crypto_shash_init(desc);
	crypto_shash_update(desc, &chap->id, 1);
	crypto_shash_update(desc, secret, sizeof(secret) - 1);
	crypto_shash_finup(desc, chap->challenge, chap->challenge_len, digest);
	/* "CHAP_N=user\0CHAP_R=0x...\0", then an empty pair to end it. */
	n = snprintf(out, size, "CHAP_N=%s", user) + 1;
	n += snprintf(out + n, size - n, "CHAP_R=0x");
	for (i = 0; i < tfm->digestsize; i++)
		n += snprintf(out + n, size - n, "%02x", digest[i]);
	out[n + 1] = '\0';
	crypto_free_shash(tfm);
}

/* One request: returns how many input bytes it used. */
static size_t request(struct ispt_chap *chap, const char *text, size_t len,
		      u8 ctl, const char *extra)
{
	struct ispt_chap_keys keys = {};
	size_t off = 0;
	int ret;

	while (extra && *extra) {
		char *eq = strchr(extra, '=');

		*eq = '\0';
		ispt_chap_key_set(&keys, extra, eq + 1);
		extra = eq + 1 + strlen(eq + 1) + 1;
	}
	while (off < len) {
		char *pair = (char *)text + off;
		size_t n = strnlen(pair, len - off);
		char *eq;

		if (off + n == len)
			break;		/* not NUL-terminated: the login refuses it */
		off += n + 1;
		if (!n)
			break;		/* end of this request */
		eq = memchr(pair, '=', n);
		if (!eq)
			continue;
		*eq = '\0';
		decode_value(eq + 1, ctl);
		ret = ispt_chap_key_set(&keys, pair, eq + 1);
		CHECK(!ret || ret == -ENOENT);
	}
	ret = ispt_chap_recv(chap, &keys);
	if (ret) {
		CHECK(chap->state == ISPT_CHAP_FAILED);
		CHECK(chap->status_class == ISCSI_STATUS_CLS_INITIATOR_ERR ||
		      chap->status_class == ISCSI_STATUS_CLS_TARGET_ERR);
		CHECK(!chap->tfm);	/* wiped on failure */
	}
	check_reply(chap);
	return off;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ispt_chap_config cfg;
	struct ispt_chap *chap;
	char *text, extra[256];
	size_t off = 0;
	int i;
	u8 ctl;

	if (size < 1)
		return 0;
	ctl = data[0];
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	size--;

	ispt_chap_config_init(&cfg);
	strcpy(cfg.initiator.user, user);
	memcpy(cfg.initiator.secret, secret, sizeof(secret) - 1);
	cfg.initiator.secret_len = sizeof(secret) - 1;
	if (ctl & 2) {
		strcpy(cfg.mutual.user, mutual_user);
		memcpy(cfg.mutual.secret, mutual_secret, sizeof(mutual_secret) - 1);
		cfg.mutual.secret_len = sizeof(mutual_secret) - 1;
	}
	chap = calloc(1, sizeof(*chap));
	CHECK(!ispt_chap_start(chap, &cfg, "iqn.2026-11.org.fuzz:initiator"));
	for (i = 0; i < 4 && chap->state != ISPT_CHAP_FAILED; i++) {
		bool ours = (ctl & 1) && chap->state == ISPT_CHAP_WAIT_NR;

		if (ours)
			answer(chap, extra, sizeof(extra));
		off += request(chap, text + off, size - off, ctl,
			       ours ? extra : NULL);
		if (ours && chap->state != ISPT_CHAP_FAILED)
			CHECK(ispt_chap_authenticated(chap));
		if (off >= size && !(ctl & 1))
			break;
	}
	ispt_chap_end(chap);
	CHECK(!chap->tfm);
	free(chap);
	free(text);
	return 0;
}
