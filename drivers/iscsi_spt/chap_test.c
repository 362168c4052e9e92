// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for CHAP: known answers for each algorithm (vectors made
 * with Python's hashlib, not with this code), whole exchanges that succeed
 * or fail with the right login status, the hex and base64 decoder, the
 * choice of algorithm, and the config checks configfs relies on.
 *
 * Responses in the exchange tests are computed here with a one-shot
 * digest over id || secret || challenge, independently of chap.c's
 * incremental hashing.
 */
#include <kunit/test.h>
#include <crypto/hash.h>
#include <linux/base64.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <scsi/iscsi_proto.h>

#include "chap.h"

#define INI_USER	"iqn.1994-05.com.example:client"
#define INI_SECRET	"initiator-secret-01"
#define TGT_USER	"iqn.2024-01.org.example:target"
#define TGT_SECRET	"target-mutual-secret-2"
#define INITIATOR_NAME	"iqn.1994-05.com.example:host1"

/* Our own view of the algorithms, so a wrong table in chap.c shows. */
static const struct test_alg {
	u8		num;
	const char	*driver;
	unsigned int	len;
} test_algs[] = {
	{ 5, "md5", 16 },
	{ 6, "sha1", 20 },
	{ 7, "sha256", 32 },
	{ 8, "sha3-256", 32 },
};

static const struct test_alg *test_alg(u8 num)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(test_algs); i++)
		if (test_algs[i].num == num)
			return &test_algs[i];
	return NULL;
}

struct chap_fx {
	struct ispt_chap	chap;
	struct ispt_chap_config	cfg;
};

static void fx_cred(struct ispt_chap_cred *cred, const char *user,
		    const char *secret)
{
	if (user)
		strscpy(cred->user, user, sizeof(cred->user));
	if (secret) {
		cred->secret_len = strlen(secret);
		memcpy(cred->secret, secret, cred->secret_len);
	}
}

/* A target with one-way (or mutual) CHAP; alg 0 allows every algorithm. */
static struct chap_fx *fx_new(struct kunit *test, bool mutual, u8 alg)
{
	struct chap_fx *fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fx);
	ispt_chap_config_init(&fx->cfg);
	fx_cred(&fx->cfg.initiator, INI_USER, INI_SECRET);
	if (mutual)
		fx_cred(&fx->cfg.mutual, TGT_USER, TGT_SECRET);
	if (alg) {
		memset(fx->cfg.algs, 0, sizeof(fx->cfg.algs));
		fx->cfg.algs[0] = alg;
	}
	test->priv = fx;
	return fx;
}

static int chap_test_init(struct kunit *test)
{
	test->priv = NULL;
	return 0;
}

/* Frees the hash even when an assertion ended the case early. */
static void chap_test_exit(struct kunit *test)
{
	struct chap_fx *fx = test->priv;

	if (fx)
		ispt_chap_end(&fx->chap);
}

/* Offers each key=value of a NULL-terminated list, then runs the step. */
static int chap_send(struct kunit *test, struct ispt_chap *chap,
		     const char *const *kv)
{
	struct ispt_chap_keys keys = {};

	for (; kv[0]; kv += 2)
		KUNIT_EXPECT_EQ(test, ispt_chap_key_set(&keys, kv[0], kv[1]), 0);
	return ispt_chap_recv(chap, &keys);
}

#define SEND(test, chap, ...) \
	(chap_send(test, chap, (const char *const []){ __VA_ARGS__, NULL }))

/* The value of @key in the reply; every pair must be NUL-terminated. */
static const char *reply_get(struct kunit *test, const struct ispt_chap *chap,
			     const char *key)
{
	const char *p = chap->reply, *end = chap->reply + chap->reply_len;
	size_t klen = strlen(key);
	const char *found = NULL;

	KUNIT_ASSERT_LE(test, chap->reply_len, sizeof(chap->reply));
	while (p < end) {
		size_t len = strnlen(p, end - p);

		KUNIT_ASSERT_LT(test, len, (size_t)(end - p));
		if (len > klen && !memcmp(p, key, klen) && p[klen] == '=') {
			KUNIT_EXPECT_NULL_MSG(test, found, "%s twice", key);
			found = p + klen + 1;
		}
		p += len + 1;
	}
	return found;
}

static int reply_count(const struct ispt_chap *chap)
{
	int i, n = 0;

	for (i = 0; i < chap->reply_len; i++)
		n += !chap->reply[i];
	return n;
}

/* H(id || secret || challenge) in one go, with the crypto API directly. */
static void test_hash(struct kunit *test, u8 alg, u8 id, const char *secret,
		      const u8 *chal, size_t clen, u8 *out)
{
	const struct test_alg *a = test_alg(alg);
	size_t slen = strlen(secret);
	struct crypto_shash *tfm;
	u8 *buf;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, a);
	buf = kunit_kmalloc(test, 1 + slen + clen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	buf[0] = id;
	memcpy(buf + 1, secret, slen);
	memcpy(buf + 1 + slen, chal, clen);
	tfm = crypto_alloc_shash(a->driver, 0, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(tfm));
	ret = crypto_shash_tfm_digest(tfm, buf, 1 + slen + clen, out);
	crypto_free_shash(tfm);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/* "0x" and lower-case hex, made with bin2hex() rather than printk. */
static char *hex_value(struct kunit *test, const u8 *bin, size_t len)
{
	char *s = kunit_kzalloc(test, 2 * len + 3, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	memcpy(s, "0x", 2);
	bin2hex(s + 2, bin, len);
	return s;
}

static char *base64_value(struct kunit *test, const u8 *bin, size_t len)
{
	char *s = kunit_kzalloc(test, BASE64_CHARS(len) + 8, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	memcpy(s, "0b", 2);
	base64_encode(bin, len, s + 2);
	return s;
}

struct chap_challenge {
	u8		id;
	u8		c[ISPT_CHAP_DIGEST_MAX];
	unsigned int	len;
};

/* Starts an exchange, sends CHAP_A and reads CHAP_I and CHAP_C back. */
static void chap_begin(struct kunit *test, struct chap_fx *fx,
		       const char *offer, struct chap_challenge *ch)
{
	const char *i, *c;
	size_t digits;

	KUNIT_ASSERT_EQ(test, ispt_chap_start(&fx->chap, &fx->cfg,
					      INITIATOR_NAME), 0);
	KUNIT_ASSERT_EQ(test, SEND(test, &fx->chap, "CHAP_A", offer), 0);
	i = reply_get(test, &fx->chap, "CHAP_I");
	c = reply_get(test, &fx->chap, "CHAP_C");
	KUNIT_ASSERT_NOT_NULL(test, i);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_EQ(test, kstrtou8(i, 10, &ch->id), 0);
	KUNIT_ASSERT_EQ(test, strncmp(c, "0x", 2), 0);
	digits = strlen(c + 2);
	KUNIT_ASSERT_EQ(test, digits % 2, 0);
	ch->len = digits / 2;
	KUNIT_ASSERT_LE(test, ch->len, sizeof(ch->c));
	KUNIT_ASSERT_EQ(test, hex2bin(ch->c, c + 2, ch->len), 0);
}

/* Known answers, one per algorithm. */

#define KAT_ID		0x2f
#define KAT_PEER_ID	"165"
#define KAT_PEER_C	"0xf0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeab"

/*
 * Made with Python's hashlib, for id 0x2f, INI_SECRET and the challenge
 * 0x10, 0x11, ... (digest length bytes); and, for the mutual answer, id
 * 165, TGT_SECRET and KAT_PEER_C:
 *   hashlib.new(alg, bytes([id]) + secret + challenge).hexdigest()
 */
static const struct chap_kat {
	u8		alg;
	const char	*name;
	const char	*resp;
	const char	*mutual_resp;
} chap_kats[] = {
	{ 5, "MD5",
	  "0x6ce327fa5e52d36b5105b537b52bf37d",
	  "0x5c44cc45c00b9d9160dff5480956cfa3" },
	{ 6, "SHA-1",
	  "0xfedb239b42752ae212c1d101a52f16bb1cee5d36",
	  "0x88168be1b603eeac308fa73d4690c9f38b4c4fff" },
	{ 7, "SHA-256",
	  "0x208e2ca2fdef631128dd8c4ce21eb9129d3cb0f6f2266861f02a5ed619924807",
	  "0x83a92d7067073117837ee62bd7e0d184c2889bb463ec3edfbd97692f3270b9bb" },
	{ 8, "SHA3-256",
	  "0xd8c32b8cfa8cd9df23a6cabccee5650878462e0b9c29450d7f768b2ea9e4eacf",
	  "0x484d01ad7a5f775a8fe97ed41cdaaa043979c6a0d0d5893191d996d482bd8235" },
};

static void chap_kat_desc(const struct chap_kat *k, char *desc)
{
	strscpy(desc, k->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chap_kat, chap_kats, chap_kat_desc);

static void chap_kat_test(struct kunit *test)
{
	const struct chap_kat *k = test->param_value;
	struct chap_fx *fx = fx_new(test, true, k->alg);
	struct ispt_chap *chap = &fx->chap;
	const char *r;
	char offer[4];
	int i;

	snprintf(offer, sizeof(offer), "%u", k->alg);
	KUNIT_ASSERT_EQ(test, ispt_chap_start(chap, &fx->cfg, INITIATOR_NAME),
			0);
	KUNIT_ASSERT_EQ(test, SEND(test, chap, "CHAP_A", offer), 0);
	KUNIT_ASSERT_EQ(test, chap->alg, k->alg);
	KUNIT_ASSERT_EQ(test, chap->challenge_len, test_alg(k->alg)->len);
	KUNIT_EXPECT_STREQ(test, ispt_chap_alg_name(k->alg), k->name);

	/* Pin the random values so the right response is a constant. */
	chap->id = KAT_ID;
	for (i = 0; i < chap->challenge_len; i++)
		chap->challenge[i] = 0x10 + i;

	KUNIT_ASSERT_EQ(test, SEND(test, chap, "CHAP_N", INI_USER,
				   "CHAP_R", k->resp, "CHAP_I", KAT_PEER_ID,
				   "CHAP_C", KAT_PEER_C), 0);
	KUNIT_EXPECT_TRUE(test, ispt_chap_authenticated(chap));
	KUNIT_EXPECT_STREQ(test, reply_get(test, chap, "CHAP_N"), TGT_USER);
	r = reply_get(test, chap, "CHAP_R");
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, r, k->mutual_resp);
	KUNIT_EXPECT_EQ(test, reply_count(chap), 2);
}

/* The challenge: fresh, as long as the digest, and what the reply says. */
static void chap_challenge_test(struct kunit *test)
{
	const struct chap_kat *k = test->param_value;
	const struct test_alg *a = test_alg(k->alg);
	struct chap_fx *fx = fx_new(test, false, k->alg);
	struct chap_challenge first, second;
	char alg[4];

	snprintf(alg, sizeof(alg), "%u", k->alg);
	chap_begin(test, fx, alg, &first);
	KUNIT_EXPECT_EQ(test, reply_count(&fx->chap), 3);
	KUNIT_EXPECT_STREQ(test, reply_get(test, &fx->chap, "CHAP_A"), alg);
	KUNIT_EXPECT_EQ(test, first.len, a->len);
	KUNIT_EXPECT_GE(test, first.len, 16);
	KUNIT_EXPECT_EQ(test, first.id, fx->chap.id);
	KUNIT_EXPECT_EQ(test, memcmp(first.c, fx->chap.challenge, first.len),
			0);
	KUNIT_EXPECT_EQ(test, fx->chap.state, ISPT_CHAP_WAIT_NR);

	/* A second exchange must not repeat it (odds 2^-128 at worst). */
	chap_begin(test, fx, alg, &second);
	KUNIT_EXPECT_NE(test, memcmp(first.c, second.c, first.len), 0);
}

/* Whole exchanges: what request 2 carries, and what must come of it. */

enum resp_kind {
	R_GOOD, R_GOOD_UPPER, R_GOOD_B64, R_WRONG_SECRET, R_TGT_SECRET,
	R_WRONG_ID, R_FLIP_LAST, R_SHORT, R_LONG, R_NOT_HEX, R_NO_PREFIX,
	R_NONE,
};

enum peer_kind {
	P_NONE, P_HEX, P_B64, P_MAX, P_ONLY_I, P_ONLY_C, P_REFLECT,
	P_ID_256, P_ID_BAD, P_C_BAD, P_C_HUGE,
};

struct chap_flow_case {
	const char	*desc;
	bool		mutual_cfg;
	const char	*name;		/* CHAP_N; NULL: not sent */
	enum resp_kind	resp;
	enum peer_kind	peer;
	bool		again_a;	/* CHAP_A sent again */
	int		ret;
	u8		detail;		/* class 2 detail when ret != 0 */
};

#define AUTH	ISCSI_LOGIN_STATUS_AUTH_FAILED
#define MISSING	ISCSI_LOGIN_STATUS_MISSING_FIELDS
#define ORDER	ISCSI_LOGIN_STATUS_INIT_ERR

static const struct chap_flow_case chap_flow_cases[] = {
	{ "one-way, hex", false, INI_USER, R_GOOD, P_NONE },
	{ "one-way, upper-case 0X hex", false, INI_USER, R_GOOD_UPPER },
	{ "one-way, base64", false, INI_USER, R_GOOD_B64 },
	{ "one-way on a target set up for mutual", true, INI_USER, R_GOOD },
	{ "mutual, hex challenge", true, INI_USER, R_GOOD, P_HEX },
	{ "mutual, base64 challenge, hex CHAP_I", true, INI_USER, R_GOOD,
	  P_B64 },
	{ "mutual, 1024-byte challenge", true, INI_USER, R_GOOD, P_MAX },
	{ "wrong secret", false, INI_USER, R_WRONG_SECRET, P_NONE, false,
	  -EACCES, AUTH },
	{ "response made with the target secret", true, INI_USER,
	  R_TGT_SECRET, P_NONE, false, -EACCES, AUTH },
	{ "response for another CHAP_I", false, INI_USER, R_WRONG_ID, P_NONE,
	  false, -EACCES, AUTH },
	{ "last response byte flipped", false, INI_USER, R_FLIP_LAST, P_NONE,
	  false, -EACCES, AUTH },
	{ "response a byte short", false, INI_USER, R_SHORT, P_NONE, false,
	  -EACCES, AUTH },
	{ "response a byte long", false, INI_USER, R_LONG, P_NONE, false,
	  -EACCES, AUTH },
	{ "response with a non-hex digit", false, INI_USER, R_NOT_HEX, P_NONE,
	  false, -EACCES, AUTH },
	{ "response without 0x", false, INI_USER, R_NO_PREFIX, P_NONE, false,
	  -EACCES, AUTH },
	{ "unknown user name", false, "intruder", R_GOOD, P_NONE, false,
	  -EACCES, AUTH },
	{ "user name a byte short", false, "iqn.1994-05.com.example:clien",
	  R_GOOD, P_NONE, false, -EACCES, AUTH },
	{ "user name a byte long", false, INI_USER "x", R_GOOD, P_NONE, false,
	  -EACCES, AUTH },
	{ "mutual with a wrong secret gets no answer", true, INI_USER,
	  R_WRONG_SECRET, P_HEX, false, -EACCES, AUTH },
	{ "mutual asked, not configured", false, INI_USER, R_GOOD, P_HEX,
	  false, -EACCES, AUTH },
	{ "our challenge reflected", true, INI_USER, R_GOOD, P_REFLECT, false,
	  -EACCES, AUTH },
	{ "CHAP_I over 255", true, INI_USER, R_GOOD, P_ID_256, false, -EACCES,
	  AUTH },
	{ "CHAP_I malformed", true, INI_USER, R_GOOD, P_ID_BAD, false,
	  -EACCES, AUTH },
	{ "CHAP_C malformed", true, INI_USER, R_GOOD, P_C_BAD, false, -EACCES,
	  AUTH },
	{ "CHAP_C over 1024 bytes", true, INI_USER, R_GOOD, P_C_HUGE, false,
	  -EACCES, AUTH },
	{ "CHAP_R missing", false, INI_USER, R_NONE, P_NONE, false, -EPROTO,
	  MISSING },
	{ "CHAP_N missing", false, NULL, R_GOOD, P_NONE, false, -EPROTO,
	  MISSING },
	{ "CHAP_I without CHAP_C", true, INI_USER, R_GOOD, P_ONLY_I, false,
	  -EPROTO, MISSING },
	{ "CHAP_C without CHAP_I", true, INI_USER, R_GOOD, P_ONLY_C, false,
	  -EPROTO, MISSING },
	{ "CHAP_A again with the response", false, INI_USER, R_GOOD, P_NONE,
	  true, -EPROTO, ORDER },
};

static void chap_flow_desc(const struct chap_flow_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chap_flow, chap_flow_cases, chap_flow_desc);

static const char *flow_response(struct kunit *test, enum resp_kind kind,
				 const struct chap_challenge *ch)
{
	const char *secret = kind == R_WRONG_SECRET ? "initiator-secret-02" :
			     kind == R_TGT_SECRET ? TGT_SECRET : INI_SECRET;
	u8 id = kind == R_WRONG_ID ? ch->id + 1 : ch->id;
	u8 r[ISPT_CHAP_DIGEST_MAX + 1] = {};
	unsigned int len = ch->len;	/* SHA-256: digest == challenge */
	char *s;
	int i;

	test_hash(test, ISPT_CHAP_ALG_SHA256, id, secret, ch->c, ch->len, r);
	switch (kind) {
	case R_NONE:
		return NULL;
	case R_GOOD_B64:
		return base64_value(test, r, len);
	case R_FLIP_LAST:
		r[len - 1] ^= 1;
		break;
	case R_SHORT:
		len--;
		break;
	case R_LONG:
		len++;
		break;
	default:
		break;
	}
	s = hex_value(test, r, len);
	if (kind == R_GOOD_UPPER)
		for (i = 1; s[i]; i++)
			s[i] = toupper(s[i]);
	if (kind == R_NOT_HEX)
		s[5] = 'g';
	if (kind == R_NO_PREFIX)
		s += 2;
	return s;
}

/* The initiator's own challenge for mutual CHAP. */
static const char *flow_peer_challenge(struct kunit *test,
				       enum peer_kind kind,
				       const struct chap_challenge *ch,
				       u8 *bin, size_t *len)
{
	size_t i;

	*len = kind == P_MAX ? 1024 : kind == P_C_HUGE ? 1025 : 24;
	for (i = 0; i < *len; i++)
		bin[i] = 0xf0 - 3 * i;
	switch (kind) {
	case P_B64:
		return base64_value(test, bin, *len);
	case P_REFLECT:
		*len = ch->len;
		memcpy(bin, ch->c, ch->len);
		break;
	case P_C_BAD:
		return "0bA=B=";
	default:
		break;
	}
	return hex_value(test, bin, *len);
}

static void chap_flow_test(struct kunit *test)
{
	const struct chap_flow_case *fc = test->param_value;
	struct chap_fx *fx = fx_new(test, fc->mutual_cfg, ISPT_CHAP_ALG_SHA256);
	struct ispt_chap *chap = &fx->chap;
	const char *peer_i = NULL, *peer_c = NULL, *resp;
	u8 want[ISPT_CHAP_DIGEST_MAX], *bin;
	struct ispt_chap_keys keys = {};
	struct chap_challenge ch;
	size_t bin_len = 0;

	bin = kunit_kzalloc(test, 1100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bin);
	chap_begin(test, fx, "7", &ch);
	resp = flow_response(test, fc->resp, &ch);

	if (fc->peer != P_NONE) {
		peer_c = flow_peer_challenge(test, fc->peer, &ch, bin, &bin_len);
		peer_i = fc->peer == P_B64 ? "0xa5" : fc->peer == P_ID_256 ?
			 "256" : fc->peer == P_ID_BAD ? "0x" : "165";
	}
	if (fc->peer == P_ONLY_I)
		peer_c = NULL;
	if (fc->peer == P_ONLY_C)
		peer_i = NULL;

	if (fc->name)
		ispt_chap_key_set(&keys, "CHAP_N", fc->name);
	if (resp)
		ispt_chap_key_set(&keys, "CHAP_R", resp);
	if (peer_i)
		ispt_chap_key_set(&keys, "CHAP_I", peer_i);
	if (peer_c)
		ispt_chap_key_set(&keys, "CHAP_C", peer_c);
	if (fc->again_a)
		ispt_chap_key_set(&keys, "CHAP_A", "7");

	KUNIT_EXPECT_EQ(test, ispt_chap_recv(chap, &keys), fc->ret);
	if (fc->ret) {
		KUNIT_EXPECT_FALSE(test, ispt_chap_authenticated(chap));
		KUNIT_EXPECT_EQ(test, chap->status_class,
				ISCSI_STATUS_CLS_INITIATOR_ERR);
		KUNIT_EXPECT_EQ(test, chap->status_detail, fc->detail);
		/* Nothing goes back, least of all a mutual response. */
		KUNIT_EXPECT_EQ(test, chap->reply_len, 0);
		return;
	}
	KUNIT_EXPECT_TRUE(test, ispt_chap_authenticated(chap));
	KUNIT_EXPECT_EQ(test, chap->status_class, ISCSI_STATUS_CLS_SUCCESS);
	KUNIT_EXPECT_EQ(test, chap->status_detail, 0);
	if (fc->peer == P_NONE) {
		KUNIT_EXPECT_EQ(test, chap->reply_len, 0);
		return;
	}
	test_hash(test, ISPT_CHAP_ALG_SHA256, 0xa5, TGT_SECRET, bin, bin_len,
		  want);
	KUNIT_EXPECT_EQ(test, reply_count(chap), 2);
	KUNIT_EXPECT_STREQ(test, reply_get(test, chap, "CHAP_N"), TGT_USER);
	KUNIT_EXPECT_STREQ(test, reply_get(test, chap, "CHAP_R"),
			   hex_value(test, want, test_alg(7)->len));
}

/* Request 1: which algorithm, or which failure. */

struct chap_a_case {
	const char	*desc;
	u8		allowed[ISPT_CHAP_NR_ALGS];	/* all 0: defaults */
	const char	*offer;		/* CHAP_A; NULL: not sent */
	const char	*extra;		/* another key sent with it */
	unsigned int	long_len;	/* offer "0x0...05" this long instead */
	int		ret;
	u8		detail;
	u8		alg;		/* chosen, when ret == 0 */
};

static const struct chap_a_case chap_a_cases[] = {
	{ "MD5 only", { 5 }, "5", .alg = 5 },
	{ "initiator's order wins", { 5, 7 }, "7,5", .alg = 7 },
	{ "initiator's order wins, reversed", { 7, 5 }, "5,7", .alg = 5 },
	{ "skips what we do not allow", { 6 }, "5,6", .alg = 6 },
	{ "skips unknown numbers", {}, "9,300,8", .alg = 8 },
	{ "hex number", {}, "0x7", .alg = 7 },
	{ "every algorithm offered", {}, "5,6,7,8", .alg = 5 },
	{ "255-byte list", { 5 }, .long_len = 255, .alg = 5 },
	{ "none we allow", { 7 }, "5,6", .ret = -EACCES, .detail = AUTH },
	{ "only unknown numbers", {}, "1,2,3,4", .ret = -EACCES,
	  .detail = AUTH },
	{ "256-byte list", { 5 }, .long_len = 256, .ret = -EACCES,
	  .detail = AUTH },
	{ "empty value", {}, "", .ret = -EACCES, .detail = AUTH },
	{ "trailing comma", {}, "5,", .ret = -EACCES, .detail = AUTH },
	{ "empty item", {}, "5,,7", .ret = -EACCES, .detail = AUTH },
	{ "leading zero", {}, "05", .ret = -EACCES, .detail = AUTH },
	{ "algorithm by name", {}, "MD5", .ret = -EACCES, .detail = AUTH },
	{ "number over 32 bits", {}, "4294967301", .ret = -EACCES,
	  .detail = AUTH },
	{ "space after comma", {}, "5, 7", .ret = -EACCES, .detail = AUTH },
	{ "CHAP_A missing", {}, NULL, .ret = -EPROTO, .detail = MISSING },
	{ "CHAP_N before the challenge", {}, "5", "CHAP_N", .ret = -EPROTO,
	  .detail = ORDER },
	{ "CHAP_R before the challenge", {}, "5", "CHAP_R", .ret = -EPROTO,
	  .detail = ORDER },
	{ "CHAP_C before the challenge", {}, "5", "CHAP_C", .ret = -EPROTO,
	  .detail = ORDER },
};

static void chap_a_desc(const struct chap_a_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chap_a, chap_a_cases, chap_a_desc);

static void chap_a_test(struct kunit *test)
{
	const struct chap_a_case *ac = test->param_value;
	struct chap_fx *fx = fx_new(test, false, 0);
	struct ispt_chap *chap = &fx->chap;
	struct ispt_chap_keys keys = {};
	const char *offer = ac->offer;
	char alg[4], *s;

	if (ac->long_len) {
		/* The number 5 with leading zeros: valid, and this long. */
		s = kunit_kzalloc(test, ac->long_len + 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, s);
		memset(s, '0', ac->long_len);
		s[1] = 'x';
		s[ac->long_len - 1] = '5';
		offer = s;
	}
	if (ac->allowed[0])
		memcpy(fx->cfg.algs, ac->allowed, sizeof(fx->cfg.algs));
	KUNIT_ASSERT_EQ(test, ispt_chap_start(chap, &fx->cfg, INITIATOR_NAME),
			0);
	if (offer)
		KUNIT_ASSERT_EQ(test, ispt_chap_key_set(&keys, "CHAP_A", offer),
				0);
	if (ac->extra)
		KUNIT_ASSERT_EQ(test, ispt_chap_key_set(&keys, ac->extra, "1"),
				0);

	KUNIT_EXPECT_EQ(test, ispt_chap_recv(chap, &keys), ac->ret);
	if (!ac->ret) {
		snprintf(alg, sizeof(alg), "%u", ac->alg);
		KUNIT_EXPECT_EQ(test, chap->alg, ac->alg);
		KUNIT_EXPECT_STREQ(test, reply_get(test, chap, "CHAP_A"), alg);
		KUNIT_EXPECT_EQ(test, chap->state, ISPT_CHAP_WAIT_NR);
		return;
	}
	KUNIT_EXPECT_EQ(test, chap->state, ISPT_CHAP_FAILED);
	KUNIT_EXPECT_EQ(test, chap->status_class,
			ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, chap->status_detail, ac->detail);
	KUNIT_EXPECT_NULL(test, chap->tfm);
	if (ac->ret == -EACCES) {
		/* RFC 7143: answer CHAP_A=Reject along with the failure. */
		KUNIT_EXPECT_EQ(test, reply_count(chap), 1);
		KUNIT_EXPECT_STREQ(test, reply_get(test, chap, "CHAP_A"),
				   "Reject");
	} else {
		KUNIT_EXPECT_EQ(test, chap->reply_len, 0);
	}
}

/* The RFC 7143 binary-value decoder. */

struct chap_decode_case {
	const char	*desc;
	const char	*in;		/* NULL: generated, see gen */
	char		gen;		/* 'x' or 'b': encode gen_len bytes */
	bool		gen_odd;	/* one more hex digit in front */
	unsigned int	gen_len;
	size_t		size;		/* room; 0: ISPT_CHAP_BINARY_MAX */
	int		ret;
	const char	*out;		/* expected bytes */
};

static const struct chap_decode_case chap_decode_cases[] = {
	{ "hex", "0x0aff", .ret = 2, .out = "\x0a\xff" },
	{ "hex, upper case and 0X", "0X0AFF", .ret = 2, .out = "\x0a\xff" },
	{ "hex, mixed case", "0xAbCd", .ret = 2, .out = "\xab\xcd" },
	{ "hex, odd digit count", "0xabc", .ret = 2, .out = "\x0a\xbc" },
	{ "hex, one digit", "0x7", .ret = 1, .out = "\x07" },
	{ "hex, leading zeros count", "0x0001", .ret = 2, .out = "\x00\x01" },
	{ "hex, no digits", "0x", .ret = -EINVAL },
	{ "hex, bad digit", "0x12g4", .ret = -EINVAL },
	{ "hex, bad odd first digit", "0xg12", .ret = -EINVAL },
	{ "hex, inner space", "0x12 34", .ret = -EINVAL },
	{ "hex, trailing newline", "0x1234\n", .ret = -EINVAL },
	{ "hex, sign", "0x-1", .ret = -EINVAL },
	{ "no prefix", "1234", .ret = -EINVAL },
	{ "unknown prefix", "0d12", .ret = -EINVAL },
	{ "just 0", "0", .ret = -EINVAL },
	{ "empty", "", .ret = -EINVAL },
	{ "base64", "0bAQID", .ret = 3, .out = "\x01\x02\x03" },
	{ "base64, one pad", "0bAQI=", .ret = 2, .out = "\x01\x02" },
	{ "base64, two pads", "0bAQ==", .ret = 1, .out = "\x01" },
	{ "base64, 3 digits no pad", "0bAQI", .ret = 2, .out = "\x01\x02" },
	{ "base64, 2 digits no pad", "0bAQ", .ret = 1, .out = "\x01" },
	{ "base64, 0B", "0BAQID", .ret = 3, .out = "\x01\x02\x03" },
	{ "base64, + and /", "0b+/+/", .ret = 3, .out = "\xfb\xff\xbf" },
	{ "base64, 4k+1 digits", "0bAQIDB", .ret = -EINVAL },
	{ "base64, pad in the middle", "0bAQ==AQ==", .ret = -EINVAL },
	{ "base64, three pads", "0bA===", .ret = -EINVAL },
	{ "base64, pad on a short group", "0bAQI==", .ret = -EINVAL },
	{ "base64, only pads", "0b==", .ret = -EINVAL },
	{ "base64, no digits", "0b", .ret = -EINVAL },
	{ "base64, spare bits set, 1 byte", "0bAR==", .ret = -EINVAL },
	{ "base64, spare bits set, 2 bytes", "0bAQJ=", .ret = -EINVAL },
	{ "base64url alphabet", "0b-_-_", .ret = -EINVAL },
	{ "base64, inner newline", "0bAQ\nID", .ret = -EINVAL },
	{ "hex, exactly the room", "0x010203", .size = 3, .ret = 3,
	  .out = "\x01\x02\x03" },
	{ "hex, a byte over the room", "0x010203", .size = 2,
	  .ret = -EMSGSIZE },
	{ "base64, a byte over the room", "0bAQID", .size = 2,
	  .ret = -EMSGSIZE },
	{ "hex, 1024 bytes", NULL, 'x', false, 1024, .ret = 1024 },
	{ "hex, 1025 bytes", NULL, 'x', false, 1025, .ret = -EMSGSIZE },
	{ "hex, 2047 digits", NULL, 'x', true, 1023, .ret = 1024 },
	{ "hex, 2049 digits", NULL, 'x', true, 1024, .ret = -EMSGSIZE },
	{ "base64, 1024 bytes", NULL, 'b', false, 1024, .ret = 1024 },
	{ "base64, 1025 bytes", NULL, 'b', false, 1025, .ret = -EMSGSIZE },
	{ "1025 bytes with room for more", NULL, 'x', false, 1025, 4096,
	  -EMSGSIZE },
};

static void chap_decode_desc(const struct chap_decode_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chap_decode, chap_decode_cases, chap_decode_desc);

/* A pattern in the kernel's hex or base64, not made by the code under test. */
static const char *decode_input(struct kunit *test,
				const struct chap_decode_case *dc, u8 *want)
{
	unsigned int i;
	char *s;

	/* An odd digit count: a leading "1" digit decodes to 0x01. */
	want[0] = 0x01;
	for (i = 0; i < dc->gen_len; i++)
		want[dc->gen_odd + i] = i * 7 + 1;
	if (dc->gen == 'b')
		return base64_value(test, want, dc->gen_len);
	s = kunit_kzalloc(test, 2 * dc->gen_len + 4, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	strcpy(s, dc->gen_odd ? "0x1" : "0x");
	bin2hex(s + strlen(s), want + dc->gen_odd, dc->gen_len);
	return s;
}

static void chap_decode_test(struct kunit *test)
{
	const struct chap_decode_case *dc = test->param_value;
	size_t size = dc->size ? dc->size : ISPT_CHAP_BINARY_MAX;
	const u8 *want = (const u8 *)dc->out;
	const size_t guard = 16;
	const char *in = dc->in;
	unsigned int i;
	u8 *dst;
	int ret;

	dst = kunit_kmalloc(test, size + guard, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	memset(dst, 0xa5, size + guard);
	if (!in) {
		u8 *gen = kunit_kmalloc(test, dc->gen_len + 1, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, gen);
		in = decode_input(test, dc, gen);
		want = gen;
	}

	ret = ispt_chap_decode(in, dst, size);
	KUNIT_EXPECT_EQ(test, ret, dc->ret);
	if (ret > 0 && ret == dc->ret)
		KUNIT_EXPECT_EQ(test, memcmp(dst, want, ret), 0);
	/* Never a byte past the room given, whatever the input. */
	for (i = 0; i < guard; i++)
		KUNIT_EXPECT_EQ(test, dst[size + i], 0xa5);
}

/* Config checks, as configfs and ispt_chap_start() run them. */

#define ALL_ALGS	{ 8, 7, 6, 5 }

struct chap_config_case {
	const char	*desc;
	const char	*user;
	const char	*secret;
	const char	*mutual_user;	/* NULL: unset */
	const char	*mutual_secret;	/* NULL: unset */
	u8		algs[ISPT_CHAP_NR_ALGS];
	const char	*reason;	/* part of the reason; NULL: valid */
};

static const struct chap_config_case chap_config_cases[] = {
	{ "one-way", INI_USER, INI_SECRET, NULL, NULL, ALL_ALGS },
	{ "mutual", INI_USER, INI_SECRET, TGT_USER, TGT_SECRET, ALL_ALGS },
	{ "12-byte secret", INI_USER, "abcdefghijkl", NULL, NULL, ALL_ALGS },
	{ "11-byte secret", INI_USER, "abcdefghijk", NULL, NULL, ALL_ALGS,
	  "shorter than 12" },
	{ "no user name", "", INI_SECRET, NULL, NULL, ALL_ALGS, "empty" },
	{ "no secret", INI_USER, NULL, NULL, NULL, ALL_ALGS,
	  "shorter than 12" },
	{ "mutual user without secret", INI_USER, INI_SECRET, TGT_USER, NULL,
	  ALL_ALGS, "both" },
	{ "mutual secret without user", INI_USER, INI_SECRET, NULL,
	  TGT_SECRET, ALL_ALGS, "both" },
	{ "mutual secret too short", INI_USER, INI_SECRET, TGT_USER,
	  "too-short", ALL_ALGS, "shorter than 12" },
	{ "mutual secret equals the initiator's", INI_USER, INI_SECRET,
	  TGT_USER, INI_SECRET, ALL_ALGS, "differ" },
	{ "mutual secret is the initiator's plus a byte", INI_USER, INI_SECRET,
	  TGT_USER, INI_SECRET "x", ALL_ALGS },
	{ "one algorithm", INI_USER, INI_SECRET, NULL, NULL, { 5 } },
	{ "no algorithm", INI_USER, INI_SECRET, NULL, NULL, {},
	  "no CHAP algorithm" },
	{ "unknown algorithm", INI_USER, INI_SECRET, NULL, NULL, { 5, 9 },
	  "unknown" },
	{ "algorithm twice", INI_USER, INI_SECRET, NULL, NULL, { 7, 5, 7 },
	  "twice" },
};

static void chap_config_desc(const struct chap_config_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chap_config, chap_config_cases, chap_config_desc);

static void chap_config_test(struct kunit *test)
{
	const struct chap_config_case *cc = test->param_value;
	struct chap_fx *fx = fx_new(test, false, 0);
	const char *reason = NULL;
	int ret;

	memset(&fx->cfg, 0, sizeof(fx->cfg));
	fx_cred(&fx->cfg.initiator, cc->user, cc->secret);
	fx_cred(&fx->cfg.mutual, cc->mutual_user, cc->mutual_secret);
	memcpy(fx->cfg.algs, cc->algs, sizeof(fx->cfg.algs));

	ret = ispt_chap_config_validate(&fx->cfg, &reason);
	if (!cc->reason) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, ispt_chap_start(&fx->chap, &fx->cfg,
						      INITIATOR_NAME), 0);
		KUNIT_EXPECT_EQ(test, fx->chap.state, ISPT_CHAP_WAIT_A);
		return;
	}
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, cc->reason),
				  "reason: %s", reason);
	/* The exchange refuses it too, as a target-side error. */
	KUNIT_EXPECT_EQ(test, ispt_chap_start(&fx->chap, &fx->cfg,
					      INITIATOR_NAME), -EINVAL);
	KUNIT_EXPECT_EQ(test, fx->chap.state, ISPT_CHAP_FAILED);
	KUNIT_EXPECT_EQ(test, fx->chap.status_class,
			ISCSI_STATUS_CLS_TARGET_ERR);
	KUNIT_EXPECT_EQ(test, fx->chap.status_detail,
			ISCSI_LOGIN_STATUS_TARGET_ERROR);
	KUNIT_EXPECT_NULL(test, memchr_inv(&fx->chap.cfg, 0,
					   sizeof(fx->chap.cfg)));
}

/* The per-attribute checks configfs runs on each store. */

struct chap_field_case {
	const char	*desc;
	bool		secret;		/* else a user name */
	unsigned int	len;
	bool		nul;		/* a NUL byte in the middle */
	int		ret;
};

static const struct chap_field_case chap_field_cases[] = {
	{ "user, empty", false, 0, false, -EINVAL },
	{ "user, 1 byte", false, 1, false, 0 },
	{ "user, 255 bytes", false, 255, false, 0 },
	{ "user, 256 bytes", false, 256, false, -EINVAL },
	{ "user with a NUL", false, 8, true, -EINVAL },
	{ "secret, 11 bytes", true, 11, false, -EINVAL },
	{ "secret, 12 bytes", true, 12, false, 0 },
	{ "secret, 255 bytes", true, 255, false, 0 },
	{ "secret, 256 bytes", true, 256, false, -EINVAL },
	{ "secret, binary", true, 16, true, 0 },
};

static void chap_field_desc(const struct chap_field_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chap_field, chap_field_cases, chap_field_desc);

static void chap_field_test(struct kunit *test)
{
	const struct chap_field_case *fc = test->param_value;
	const char *reason = NULL;
	char *buf;
	int ret;

	buf = kunit_kmalloc(test, fc->len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 'a', fc->len);
	buf[fc->len] = '\0';
	if (fc->nul)
		buf[fc->len / 2] = '\0';
	if (fc->secret)
		ret = ispt_chap_secret_validate((const u8 *)buf, fc->len,
						&reason);
	else
		ret = ispt_chap_user_validate(buf, fc->len, &reason);
	KUNIT_EXPECT_EQ(test, ret, fc->ret);
	if (fc->ret)
		KUNIT_EXPECT_NOT_NULL(test, reason);
}

/* The allowed-algorithm list as configfs would write it. */

struct chap_algs_case {
	const char	*text;
	int		ret;
	u8		algs[ISPT_CHAP_NR_ALGS];
};

static const struct chap_algs_case chap_algs_cases[] = {
	{ "8,7,6,5", 0, { 8, 7, 6, 5 } },
	{ "5", 0, { 5 } },
	{ "0x7,5", 0, { 7, 5 } },
	{ "", -EINVAL },
	{ "9", -EINVAL },
	{ "5,5", -EINVAL },
	{ "5,6,7,8,5", -EINVAL },
	{ "md5", -EINVAL },
	{ "5,", -EINVAL },
};

static void chap_algs_desc(const struct chap_algs_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->text);
}

KUNIT_ARRAY_PARAM(chap_algs, chap_algs_cases, chap_algs_desc);

static void chap_algs_test(struct kunit *test)
{
	const struct chap_algs_case *ac = test->param_value;
	struct chap_fx *fx = fx_new(test, false, 0);
	const u8 before[ISPT_CHAP_NR_ALGS] = ALL_ALGS;
	const char *reason = NULL;

	KUNIT_ASSERT_EQ(test, memcmp(fx->cfg.algs, before, sizeof(before)), 0);
	KUNIT_EXPECT_EQ(test, ispt_chap_algs_parse(&fx->cfg, ac->text,
						   &reason), ac->ret);
	if (ac->ret) {
		KUNIT_EXPECT_NOT_NULL(test, reason);
		/* A refused list leaves the old one alone. */
		KUNIT_EXPECT_EQ(test, memcmp(fx->cfg.algs, before,
					     sizeof(before)), 0);
	} else {
		KUNIT_EXPECT_EQ(test, memcmp(fx->cfg.algs, ac->algs,
					     sizeof(ac->algs)), 0);
	}
}

/* One-off cases. */

/* Runs a good one-way (or mutual) exchange with SHA-256. */
static void chap_succeed(struct kunit *test, struct chap_fx *fx, bool mutual)
{
	struct chap_challenge ch;
	u8 r[ISPT_CHAP_DIGEST_MAX];
	const char *resp;

	chap_begin(test, fx, "7", &ch);
	test_hash(test, 7, ch.id, INI_SECRET, ch.c, ch.len, r);
	resp = hex_value(test, r, ch.len);
	if (mutual)
		KUNIT_ASSERT_EQ(test, SEND(test, &fx->chap, "CHAP_N", INI_USER,
					   "CHAP_R", resp, "CHAP_I", "1",
					   "CHAP_C", KAT_PEER_C), 0);
	else
		KUNIT_ASSERT_EQ(test, SEND(test, &fx->chap, "CHAP_N", INI_USER,
					   "CHAP_R", resp), 0);
	KUNIT_ASSERT_TRUE(test, ispt_chap_authenticated(&fx->chap));
}

static void chap_key_set_test(struct kunit *test)
{
	static const char *const names[] = {
		"CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R",
	};
	static const char v[] = "v";
	struct ispt_chap_keys keys = {};
	int k;

	for (k = 0; k < ARRAY_SIZE(names); k++)
		KUNIT_EXPECT_EQ(test, ispt_chap_key_set(&keys, names[k], v), 0);
	/* Stored by reference: the values stay in the request buffer. */
	KUNIT_EXPECT_PTR_EQ(test, keys.val[ISPT_CHAP_KEY_A], &v[0]);
	KUNIT_EXPECT_FALSE(test, keys.repeated);
	/* Key names are case-sensitive (RFC 7143 6.1) and exact. */
	KUNIT_EXPECT_EQ(test, ispt_chap_key_set(&keys, "chap_a", "v"), -ENOENT);
	KUNIT_EXPECT_EQ(test, ispt_chap_key_set(&keys, "CHAP_X", "v"), -ENOENT);
	KUNIT_EXPECT_EQ(test, ispt_chap_key_set(&keys, "CHAP_", "v"), -ENOENT);
	KUNIT_EXPECT_EQ(test, ispt_chap_key_set(&keys, "AuthMethod", "CHAP"),
			-ENOENT);
	KUNIT_EXPECT_FALSE(test, keys.repeated);
	/* A repeat keeps the first value and is remembered. */
	KUNIT_EXPECT_EQ(test, ispt_chap_key_set(&keys, "CHAP_R", "w"), 0);
	KUNIT_EXPECT_TRUE(test, keys.repeated);
	KUNIT_EXPECT_STREQ(test, keys.val[ISPT_CHAP_KEY_R], "v");
}

static void chap_repeated_key_test(struct kunit *test)
{
	struct chap_fx *fx = fx_new(test, false, 0);
	struct chap_challenge ch;

	KUNIT_ASSERT_EQ(test, ispt_chap_start(&fx->chap, &fx->cfg,
					      INITIATOR_NAME), 0);
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_A", "5",
				   "CHAP_A", "7"), -EPROTO);
	KUNIT_EXPECT_EQ(test, fx->chap.status_detail, ORDER);

	chap_begin(test, fx, "7", &ch);
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_N", INI_USER,
				   "CHAP_N", INI_USER, "CHAP_R", "0x00"),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, fx->chap.status_class,
			ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, fx->chap.status_detail, ORDER);
}

static void chap_after_done_test(struct kunit *test)
{
	struct chap_fx *fx = fx_new(test, true, 0);

	chap_succeed(test, fx, true);
	/* Later requests of the stage without CHAP keys are fine... */
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, NULL), 0);
	KUNIT_EXPECT_EQ(test, fx->chap.reply_len, 0);
	KUNIT_EXPECT_TRUE(test, ispt_chap_authenticated(&fx->chap));
	/* ...but the exchange cannot be run again on top. */
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_A", "7"), -EPROTO);
	KUNIT_EXPECT_FALSE(test, ispt_chap_authenticated(&fx->chap));
	KUNIT_EXPECT_EQ(test, fx->chap.status_class,
			ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, fx->chap.status_detail, ORDER);
}

static void chap_after_failure_test(struct kunit *test)
{
	struct chap_fx *fx = fx_new(test, false, 0);
	struct chap_challenge ch;
	u8 r[ISPT_CHAP_DIGEST_MAX];

	chap_begin(test, fx, "7", &ch);
	test_hash(test, 7, ch.id, INI_SECRET, ch.c, ch.len, r);
	KUNIT_ASSERT_EQ(test, SEND(test, &fx->chap, "CHAP_N", "intruder",
				   "CHAP_R", hex_value(test, r, ch.len)),
			-EACCES);
	/* A right answer afterwards changes nothing, status included. */
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_N", INI_USER,
				   "CHAP_R", hex_value(test, r, ch.len)),
			-EPROTO);
	KUNIT_EXPECT_FALSE(test, ispt_chap_authenticated(&fx->chap));
	KUNIT_EXPECT_EQ(test, fx->chap.status_detail, AUTH);
}

static void chap_not_started_test(struct kunit *test)
{
	struct chap_fx *fx = fx_new(test, false, 0);

	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_A", "5"), -EINVAL);
	KUNIT_EXPECT_EQ(test, fx->chap.status_class,
			ISCSI_STATUS_CLS_TARGET_ERR);
	KUNIT_EXPECT_FALSE(test, ispt_chap_authenticated(&fx->chap));
}

/* The exchange runs on its copy: configfs may change the original. */
static void chap_config_copied_test(struct kunit *test)
{
	struct chap_fx *fx = fx_new(test, false, 0);
	struct chap_challenge ch;
	u8 r[ISPT_CHAP_DIGEST_MAX];

	chap_begin(test, fx, "7", &ch);
	fx_cred(&fx->cfg.initiator, INI_USER, "changed-secret-99");
	test_hash(test, 7, ch.id, INI_SECRET, ch.c, ch.len, r);
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_N", INI_USER,
				   "CHAP_R", hex_value(test, r, ch.len)), 0);
}

static bool all_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

static void chap_wipe_test(struct kunit *test)
{
	struct chap_fx *fx = fx_new(test, true, 0);
	struct chap_challenge ch;

	chap_succeed(test, fx, true);
	KUNIT_EXPECT_TRUE(test, all_zero(&fx->chap.cfg, sizeof(fx->chap.cfg)));
	KUNIT_EXPECT_TRUE(test, all_zero(fx->chap.peer_challenge,
					 sizeof(fx->chap.peer_challenge)));
	KUNIT_EXPECT_NULL(test, fx->chap.tfm);

	chap_begin(test, fx, "7", &ch);
	KUNIT_EXPECT_FALSE(test, all_zero(&fx->chap.cfg, sizeof(fx->chap.cfg)));
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_N", INI_USER,
				   "CHAP_R", "0x00"), -EACCES);
	KUNIT_EXPECT_TRUE(test, all_zero(&fx->chap.cfg, sizeof(fx->chap.cfg)));
	KUNIT_EXPECT_NULL(test, fx->chap.tfm);

	chap_begin(test, fx, "7", &ch);
	ispt_chap_end(&fx->chap);
	KUNIT_EXPECT_TRUE(test, all_zero(&fx->chap, sizeof(fx->chap)));

	ispt_chap_config_wipe(&fx->cfg);
	KUNIT_EXPECT_TRUE(test, all_zero(&fx->cfg, sizeof(fx->cfg)));
}

/* Responses of the right length go through crypto_memneq(), and only once. */
static void chap_ct_compare_test(struct kunit *test)
{
	struct chap_fx *fx = fx_new(test, false, 0);
	struct chap_challenge ch;
	u8 r[ISPT_CHAP_DIGEST_MAX];

	chap_begin(test, fx, "7", &ch);
	test_hash(test, 7, ch.id, INI_SECRET, ch.c, ch.len, r);
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_N", INI_USER,
				   "CHAP_R", hex_value(test, r, ch.len)), 0);
	KUNIT_EXPECT_EQ(test, fx->chap.nr_ct_compares, 1);

	/* Wrong only in its last byte: still the constant-time path. */
	chap_begin(test, fx, "7", &ch);
	test_hash(test, 7, ch.id, INI_SECRET, ch.c, ch.len, r);
	r[ch.len - 1] ^= 0x80;
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_N", INI_USER,
				   "CHAP_R", hex_value(test, r, ch.len)),
			-EACCES);
	KUNIT_EXPECT_EQ(test, fx->chap.nr_ct_compares, 1);

	/* A wrong name does not skip the response check. */
	chap_begin(test, fx, "7", &ch);
	test_hash(test, 7, ch.id, INI_SECRET, ch.c, ch.len, r);
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_N", "intruder",
				   "CHAP_R", hex_value(test, r, ch.len)),
			-EACCES);
	KUNIT_EXPECT_EQ(test, fx->chap.nr_ct_compares, 1);

	/* The length is public: a short response needs no compare. */
	chap_begin(test, fx, "7", &ch);
	KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_N", INI_USER,
				   "CHAP_R", "0x0102"), -EACCES);
	KUNIT_EXPECT_EQ(test, fx->chap.nr_ct_compares, 0);
}

/* Credentials looked up by CHAP_N: set between the two steps. */
enum chap_deferred_step {
	DEFER_NONE,		/* never set: the name is unknown */
	DEFER_ONE_WAY,
	DEFER_MUTUAL,
	DEFER_EQUAL_SECRETS,	/* mutual secret equals the initiator's */
	DEFER_NO_SECRET,	/* a user without a secret */
	DEFER_EARLY,		/* set before CHAP_A */
	DEFER_TWICE,
};

struct chap_deferred_case {
	const char		*desc;
	enum chap_deferred_step	step;
	bool			mutual_asked;	/* send CHAP_I and CHAP_C */
	int			ret;		/* of the second step */
	u8			cls, detail;
};

static const struct chap_deferred_case chap_deferred_cases[] = {
	{ "one-way", DEFER_ONE_WAY, false, 0, 0, 0 },
	{ "mutual", DEFER_MUTUAL, true, 0, 0, 0 },
	{ "mutual creds, one-way asked", DEFER_MUTUAL, false, 0, 0, 0 },
	{ "unknown name", DEFER_NONE, false, -EACCES,
	  ISCSI_STATUS_CLS_INITIATOR_ERR, AUTH },
	{ "mutual asked, none configured", DEFER_ONE_WAY, true, -EACCES,
	  ISCSI_STATUS_CLS_INITIATOR_ERR, AUTH },
	{ "equal secrets", DEFER_EQUAL_SECRETS, false, -EINVAL,
	  ISCSI_STATUS_CLS_TARGET_ERR, ISCSI_LOGIN_STATUS_TARGET_ERROR },
	{ "user without secret", DEFER_NO_SECRET, false, -EINVAL,
	  ISCSI_STATUS_CLS_TARGET_ERR, ISCSI_LOGIN_STATUS_TARGET_ERROR },
	{ "set before CHAP_A", DEFER_EARLY, false, -EINVAL,
	  ISCSI_STATUS_CLS_TARGET_ERR, ISCSI_LOGIN_STATUS_TARGET_ERROR },
	{ "set twice", DEFER_TWICE, false, -EINVAL,
	  ISCSI_STATUS_CLS_TARGET_ERR, ISCSI_LOGIN_STATUS_TARGET_ERROR },
};

static void chap_deferred_desc(const struct chap_deferred_case *c,
			       char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chap_deferred, chap_deferred_cases, chap_deferred_desc);

static int chap_deferred_set(struct chap_fx *fx,
			     const struct chap_deferred_case *dc)
{
	struct ispt_chap_cred ini = {}, mut = {};

	fx_cred(&ini, INI_USER, dc->step == DEFER_NO_SECRET ? NULL : INI_SECRET);
	fx_cred(&mut, TGT_USER,
		dc->step == DEFER_EQUAL_SECRETS ? INI_SECRET : TGT_SECRET);
	switch (dc->step) {
	case DEFER_NONE:
		return 0;
	case DEFER_ONE_WAY:
	case DEFER_NO_SECRET:
		return ispt_chap_set_creds(&fx->chap, &ini, NULL);
	case DEFER_TWICE:
		if (ispt_chap_set_creds(&fx->chap, &ini, NULL))
			return -EIO;
		return ispt_chap_set_creds(&fx->chap, &ini, NULL);
	default:
		return ispt_chap_set_creds(&fx->chap, &ini, &mut);
	}
}

static void chap_deferred_test(struct kunit *test)
{
	const struct chap_deferred_case *dc = test->param_value;
	struct chap_fx *fx = fx_new(test, false, 0);
	struct chap_challenge ch;
	u8 r[ISPT_CHAP_DIGEST_MAX];
	const char *resp;
	int ret;

	/* Algorithms only: every credential waits for CHAP_N. */
	memset(&fx->cfg.initiator, 0, sizeof(fx->cfg.initiator));
	if (dc->step == DEFER_EARLY) {
		KUNIT_ASSERT_EQ(test, ispt_chap_start(&fx->chap, &fx->cfg,
						      INITIATOR_NAME), 0);
		KUNIT_EXPECT_EQ(test, chap_deferred_set(fx, dc), -EINVAL);
		KUNIT_EXPECT_EQ(test, fx->chap.status_class, dc->cls);
		KUNIT_EXPECT_EQ(test, fx->chap.status_detail, dc->detail);
		KUNIT_EXPECT_EQ(test, SEND(test, &fx->chap, "CHAP_A", "7"),
				-EPROTO);
		return;
	}
	chap_begin(test, fx, "7", &ch);
	ret = chap_deferred_set(fx, dc);
	if (ret) {
		KUNIT_EXPECT_EQ(test, ret, dc->ret);
		KUNIT_EXPECT_EQ(test, fx->chap.status_class, dc->cls);
		KUNIT_EXPECT_EQ(test, fx->chap.status_detail, dc->detail);
		/* The refused credentials are gone with the exchange. */
		KUNIT_EXPECT_TRUE(test, all_zero(&fx->chap.cfg,
						 sizeof(fx->chap.cfg)));
		KUNIT_EXPECT_FALSE(test, ispt_chap_authenticated(&fx->chap));
		return;
	}
	test_hash(test, 7, ch.id, INI_SECRET, ch.c, ch.len, r);
	resp = hex_value(test, r, ch.len);
	if (dc->mutual_asked)
		ret = SEND(test, &fx->chap, "CHAP_N", INI_USER, "CHAP_R", resp,
			   "CHAP_I", "1", "CHAP_C", KAT_PEER_C);
	else
		ret = SEND(test, &fx->chap, "CHAP_N", INI_USER, "CHAP_R", resp);
	KUNIT_EXPECT_EQ(test, ret, dc->ret);
	KUNIT_EXPECT_EQ(test, ispt_chap_authenticated(&fx->chap), !dc->ret);
	/* The response was checked, in constant time, whatever the name. */
	KUNIT_EXPECT_EQ(test, fx->chap.nr_ct_compares,
			dc->mutual_asked && dc->ret ? 0 : 1);
	if (dc->ret) {
		KUNIT_EXPECT_EQ(test, fx->chap.status_class, dc->cls);
		KUNIT_EXPECT_EQ(test, fx->chap.status_detail, dc->detail);
		return;
	}
	KUNIT_EXPECT_EQ(test, !!reply_get(test, &fx->chap, "CHAP_R"),
			dc->mutual_asked);
}

static void chap_alg_name_test(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, ispt_chap_alg_name(5), "MD5");
	KUNIT_EXPECT_STREQ(test, ispt_chap_alg_name(6), "SHA-1");
	KUNIT_EXPECT_STREQ(test, ispt_chap_alg_name(7), "SHA-256");
	KUNIT_EXPECT_STREQ(test, ispt_chap_alg_name(8), "SHA3-256");
	KUNIT_EXPECT_NULL(test, ispt_chap_alg_name(4));
	KUNIT_EXPECT_NULL(test, ispt_chap_alg_name(9));
	KUNIT_EXPECT_NULL(test, ispt_chap_alg_name(5 + 256));
}

static struct kunit_case chap_test_cases[] = {
	KUNIT_CASE_PARAM(chap_kat_test, chap_kat_gen_params),
	KUNIT_CASE_PARAM(chap_challenge_test, chap_kat_gen_params),
	KUNIT_CASE_PARAM(chap_flow_test, chap_flow_gen_params),
	KUNIT_CASE_PARAM(chap_a_test, chap_a_gen_params),
	KUNIT_CASE_PARAM(chap_decode_test, chap_decode_gen_params),
	KUNIT_CASE_PARAM(chap_config_test, chap_config_gen_params),
	KUNIT_CASE_PARAM(chap_field_test, chap_field_gen_params),
	KUNIT_CASE_PARAM(chap_algs_test, chap_algs_gen_params),
	KUNIT_CASE_PARAM(chap_deferred_test, chap_deferred_gen_params),
	KUNIT_CASE(chap_key_set_test),
	KUNIT_CASE(chap_repeated_key_test),
	KUNIT_CASE(chap_after_done_test),
	KUNIT_CASE(chap_after_failure_test),
	KUNIT_CASE(chap_not_started_test),
	KUNIT_CASE(chap_config_copied_test),
	KUNIT_CASE(chap_wipe_test),
	KUNIT_CASE(chap_ct_compare_test),
	KUNIT_CASE(chap_alg_name_test),
	{}
};

static struct kunit_suite chap_test_suite = {
	.name = "iscsi_spt_chap",
	.init = chap_test_init,
	.exit = chap_test_exit,
	.test_cases = chap_test_cases,
};

kunit_test_suite(chap_test_suite);
