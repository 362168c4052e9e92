// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the login's security stage: a target's policy (auth
 * group, require_chap, mutual_chap) against whole exchanges of Login
 * requests, each checked for the keys it answers with, whether the T bit
 * is granted, and the login status when it fails; and the auth group
 * model configfs drives.
 *
 * Responses are computed here with a one-shot digest of id || secret ||
 * challenge, independently of chap.c.
 */
#include <kunit/test.h>
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/string.h>
#include <scsi/iscsi_proto.h>

#include "auth.h"
#include "chap.h"
#include "login.h"

#define SEC	ISCSI_SECURITY_NEGOTIATION_STAGE
#define OP	ISCSI_OP_PARMS_NEGOTIATION_STAGE

#define ALICE		"alice"
#define ALICE_SECRET	"alice-secret-0001"
#define TGT_USER	"iqn.2026-11.org.iscsi-spt:target"
#define TGT_SECRET	"target-secret-0001"
#define BOB		"bob"
#define BOB_SECRET	"bob-secret-000001"
#define CAROL		"carol"		/* mutual user without a secret */
#define CAROL_SECRET	"carol-secret-0001"
#define PEER_C		"0x00112233445566778899aabbccddeeff"

/* Login status as the wire has it: class << 8 | detail. */
#define ST_OK		0
#define ST_INIT		0x0200
#define ST_AUTH		0x0201
#define ST_MISSING	0x0207
#define ST_TARGET	0x0300

enum auth_resp {
	R_NONE,		/* no CHAP_R */
	R_GOOD,		/* the right answer for the user's secret */
	R_WRONG,	/* computed with another secret */
	R_SHORT,	/* one byte */
};

struct auth_req {
	u8		csg;
	bool		transit;
	const char	*offer;		/* AuthMethod, or NULL */
	const char	*a;		/* CHAP_A, or NULL */
	const char	*n;		/* CHAP_N, or NULL */
	enum auth_resp	r;
	bool		mutual;		/* CHAP_I and CHAP_C */
	bool		reflect;	/* ...with our own challenge as CHAP_C */
	const char	*extra;		/* one more "key=value" */
	/* what must come back */
	u16		status;
	bool		granted;	/* T bit, when asked */
	const char	*rsp;		/* keys in the response, '|'-separated */
};

struct auth_case {
	const char	*name;
	bool		group;		/* an auth group is linked */
	bool		require, mutual;
	const char	*algs;		/* the group's chap_algs; NULL: default */
	struct auth_req	req[4];
};

/* The request every CHAP case begins with: AuthMethod=CHAP, asking for T. */
#define OFFER_CHAP(r) \
	{ SEC, true, "CHAP,None", .status = ST_OK, .granted = false, .rsp = r }
#define CHAP_A(v, r) \
	{ SEC, false, NULL, v, .status = ST_OK, .rsp = r }
#define GOOD(user) \
	{ SEC, true, NULL, NULL, user, R_GOOD, .status = ST_OK, .granted = true, \
	  .rsp = "" }
#define FAILS(st) .status = (st)

static const struct auth_case auth_cases[] = {
	/* Admitted. */
	{ "no group: None", false, false, false, NULL, {
		{ SEC, true, "None", .granted = true, .rsp = "AuthMethod=None" } } },
	{ "no group: CHAP,None gets None", false, false, false, NULL, {
		{ SEC, true, "CHAP,None", .granted = true,
		  .rsp = "AuthMethod=None" } } },
	{ "no group: starts in operational", false, false, false, NULL, {
		{ OP, true, .granted = true, .rsp = "" } } },
	{ "no group: no AuthMethod, T", false, false, false, NULL, {
		{ SEC, true, .granted = true, .rsp = "" } } },
	{ "optional: None first", true, false, false, NULL, {
		{ SEC, true, "None,CHAP", .granted = true,
		  .rsp = "AuthMethod=None" } } },
	{ "optional: CHAP first", true, false, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"),
		CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		GOOD(ALICE) } },
	{ "required: MD5", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("5", "CHAP_A=5|CHAP_I|CHAP_C"),
		GOOD(ALICE) } },
	{ "required: SHA-1", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("6", "CHAP_A=6|CHAP_I|CHAP_C"),
		GOOD(BOB) } },
	{ "required: SHA-256", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		GOOD(ALICE) } },
	{ "required: SHA3-256", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("8", "CHAP_A=8|CHAP_I|CHAP_C"),
		GOOD(ALICE) } },
	{ "initiator's order wins", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"),
		CHAP_A("5,8,7", "CHAP_A=5|CHAP_I|CHAP_C"), GOOD(ALICE) } },
	{ "unknown algorithms skipped", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"),
		CHAP_A("9,0x7", "CHAP_A=7|CHAP_I|CHAP_C"), GOOD(ALICE) } },
	{ "group allows MD5 only", true, true, false, "5", {
		OFFER_CHAP("AuthMethod=CHAP"),
		CHAP_A("8,7,6,5", "CHAP_A=5|CHAP_I|CHAP_C"), GOOD(ALICE) } },
	{ "mutual", true, false, true, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, ALICE, R_GOOD, true, .granted = true,
		  .rsp = "CHAP_N=" TGT_USER "|CHAP_R" } } },
	{ "mutual asked, not required", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("8", "CHAP_A=8|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, ALICE, R_GOOD, true, .granted = true,
		  .rsp = "CHAP_N=" TGT_USER "|CHAP_R" } } },
	{ "T only once authenticated", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"),
		{ SEC, true, NULL, "7", .granted = false,
		  .rsp = "CHAP_A=7|CHAP_I|CHAP_C" },
		{ SEC, false, NULL, NULL, ALICE, R_GOOD, .rsp = "" },
		{ SEC, true, .granted = true, .rsp = "" } } },
	{ "AuthMethod with CHAP_A", true, true, false, NULL, {
		{ SEC, false, "CHAP", "7",
		  .rsp = "AuthMethod=CHAP|CHAP_A=7|CHAP_I|CHAP_C" },
		GOOD(ALICE) } },

	/* Refused. */
	{ "required: None offered", true, true, false, NULL, {
		{ SEC, true, "None", FAILS(ST_AUTH) } } },
	{ "mutual: None offered", true, false, true, NULL, {
		{ SEC, true, "None", FAILS(ST_AUTH) } } },
	{ "required without a group", false, true, false, NULL, {
		{ SEC, true, "CHAP,None", FAILS(ST_AUTH) } } },
	{ "no group: CHAP only", false, false, false, NULL, {
		{ SEC, true, "CHAP", FAILS(ST_AUTH) } } },
	{ "unknown methods only", true, false, false, NULL, {
		{ SEC, true, "KRB5,SRP", FAILS(ST_AUTH) } } },
	{ "required: starts in operational", true, true, false, NULL, {
		{ OP, true, FAILS(ST_AUTH) } } },
	{ "required: no AuthMethod, T", true, true, false, NULL, {
		{ SEC, true, FAILS(ST_AUTH) } } },
	{ "required: operational mid-exchange", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ OP, true, FAILS(ST_AUTH) } } },
	{ "wrong secret", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, ALICE, R_WRONG, FAILS(ST_AUTH) } } },
	{ "another user's secret", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, BOB, R_WRONG, FAILS(ST_AUTH) } } },
	{ "unknown user", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, "mallory", R_GOOD, FAILS(ST_AUTH) } } },
	{ "short response", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, ALICE, R_SHORT, FAILS(ST_AUTH) } } },
	{ "mutual required, one-way sent", true, false, true, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, ALICE, R_GOOD, FAILS(ST_AUTH) } } },
	{ "mutual asked, user has none", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, BOB, R_GOOD, true, FAILS(ST_AUTH) } } },
	{ "mutual: our challenge reflected", true, false, true, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, ALICE, R_GOOD, true, true,
		  FAILS(ST_AUTH) } } },
	{ "half-configured mutual user", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, CAROL, R_GOOD, FAILS(ST_TARGET) } } },
	{ "no acceptable CHAP_A", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), { SEC, false, NULL, "9,4",
		FAILS(ST_AUTH) } } },
	{ "CHAP_A outside the group's", true, true, false, "5", {
		OFFER_CHAP("AuthMethod=CHAP"), { SEC, false, NULL, "8,7",
		FAILS(ST_AUTH) } } },
	{ "malformed CHAP_A", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), { SEC, false, NULL, "7,,5",
		FAILS(ST_AUTH) } } },
	{ "CHAP keys with None", true, false, false, NULL, {
		{ SEC, false, "None", .rsp = "AuthMethod=None" },
		{ SEC, false, NULL, "7", FAILS(ST_INIT) } } },
	{ "CHAP_A before AuthMethod", true, true, false, NULL, {
		{ SEC, false, NULL, "7", FAILS(ST_INIT) } } },
	{ "CHAP_N before CHAP_A", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"),
		{ SEC, true, NULL, NULL, ALICE, R_NONE, .extra = "CHAP_R=0x0011",
		  FAILS(ST_INIT) } } },
	{ "CHAP_I without CHAP_C", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, ALICE, R_GOOD, .extra = "CHAP_I=1",
		  FAILS(ST_MISSING) } } },
	{ "CHAP_R without CHAP_N", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, NULL, R_GOOD, FAILS(ST_MISSING) } } },
	{ "CHAP_N repeated", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, true, NULL, NULL, ALICE, R_GOOD, .extra = "CHAP_N=" BOB,
		  FAILS(ST_INIT) } } },
	{ "CHAP keys after success", true, true, false, NULL, {
		OFFER_CHAP("AuthMethod=CHAP"), CHAP_A("7", "CHAP_A=7|CHAP_I|CHAP_C"),
		{ SEC, false, NULL, NULL, ALICE, R_GOOD, .rsp = "" },
		{ SEC, true, NULL, "7", FAILS(ST_INIT) } } },
	{ "AuthMethod in operational", false, false, false, NULL, {
		{ OP, false, "None", FAILS(ST_INIT) } } },
};

static void auth_case_desc(const struct auth_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(auth, auth_cases, auth_case_desc);

struct auth_fx {
	struct ispt_auth_policy	policy;
	struct ispt_auth_group	*group;
	struct ispt_auth_secret	*secrets[3];
	struct ispt_login	login;
	char			buf[1024];
	/* from the last response */
	u8			alg, id;
	u8			c[ISPT_CHAP_DIGEST_MAX];
	unsigned int		clen;
};

static const char *auth_test_driver(u8 alg)
{
	switch (alg) {
	case 5: return "md5";
	case 6: return "sha1";
	case 7: return "sha256";
	case 8: return "sha3-256";
	}
	return NULL;
}

static void test_hash(struct kunit *test, u8 alg, u8 id, const char *secret,
		      const u8 *chal, size_t clen, u8 *out, unsigned int *olen)
{
	size_t slen = strlen(secret);
	struct crypto_shash *tfm;
	u8 *buf;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, auth_test_driver(alg));
	buf = kunit_kmalloc(test, 1 + slen + clen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	buf[0] = id;
	memcpy(buf + 1, secret, slen);
	memcpy(buf + 1 + slen, chal, clen);
	tfm = crypto_alloc_shash(auth_test_driver(alg), 0, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(tfm));
	*olen = crypto_shash_digestsize(tfm);
	ret = crypto_shash_tfm_digest(tfm, buf, 1 + slen + clen, out);
	crypto_free_shash(tfm);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

static char *hex_value(struct kunit *test, const u8 *bin, size_t len)
{
	char *s = kunit_kzalloc(test, 2 * len + 3, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	memcpy(s, "0x", 2);
	bin2hex(s + 2, bin, len);
	return s;
}

static void fx_secret(struct kunit *test, struct auth_fx *fx, int i,
		      const char *user, const char *secret,
		      const char *mutual_user, const char *mutual_secret)
{
	const char *reason;

	fx->secrets[i] = ispt_auth_secret_add(fx->group, user, &reason);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fx->secrets[i]));
	KUNIT_ASSERT_EQ(test, ispt_auth_secret_set(fx->secrets[i],
						   ISPT_AUTH_SECRET, secret,
						   strlen(secret), &reason), 0);
	if (mutual_user)
		KUNIT_ASSERT_EQ(test, ispt_auth_secret_set(fx->secrets[i],
							   ISPT_AUTH_MUTUAL_USER,
							   mutual_user,
							   strlen(mutual_user),
							   &reason), 0);
	if (mutual_secret)
		KUNIT_ASSERT_EQ(test, ispt_auth_secret_set(fx->secrets[i],
							   ISPT_AUTH_MUTUAL_SECRET,
							   mutual_secret,
							   strlen(mutual_secret),
							   &reason), 0);
}

static int auth_test_init(struct kunit *test)
{
	struct auth_fx *fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);

	if (!fx)
		return -ENOMEM;
	fx->group = ispt_auth_group_create(1);
	if (IS_ERR(fx->group))
		return PTR_ERR(fx->group);
	strscpy(fx->login.initiator, "iqn.2026-11.org.iscsi-spt:ini",
		sizeof(fx->login.initiator));
	strscpy(fx->login.target_name, "iqn.2026-11.org.iscsi-spt:tgt",
		sizeof(fx->login.target_name));
	test->priv = fx;
	return 0;
}

static void auth_test_exit(struct kunit *test)
{
	struct auth_fx *fx = test->priv;
	int i;

	ispt_login_auth_end(&fx->login);
	ispt_auth_policy_clear(&fx->policy);
	for (i = 0; i < ARRAY_SIZE(fx->secrets); i++)
		if (!IS_ERR_OR_NULL(fx->secrets[i]))
			ispt_auth_secret_remove(fx->secrets[i]);
	ispt_auth_group_put(fx->group);
}

/* The value of @key in @len bytes of response; NULL if absent. */
static const char *rsp_get(const char *buf, u32 len, const char *key)
{
	size_t klen = strlen(key);
	u32 off = 0;

	while (off < len) {
		const char *pair = buf + off;
		size_t n = strnlen(pair, len - off);

		if (n > klen && !memcmp(pair, key, klen) && pair[klen] == '=')
			return pair + klen + 1;
		off += n + 1;
	}
	return NULL;
}

static int rsp_count(const char *buf, u32 len)
{
	int n = 0;
	u32 i;

	for (i = 0; i < len; i++)
		n += !buf[i];
	return n;
}

/* Every "key" or "key=value" of @want is in the response, and no more. */
static void expect_rsp(struct kunit *test, const struct auth_fx *fx, u32 len,
		       const char *want)
{
	char item[128];
	int n = 0;

	while (*want) {
		size_t ilen = strcspn(want, "|");
		const char *eq, *got;

		KUNIT_ASSERT_LT(test, ilen, sizeof(item));
		memcpy(item, want, ilen);
		item[ilen] = '\0';
		eq = strchr(item, '=');
		if (eq)
			item[eq - item] = '\0';
		got = rsp_get(fx->buf, len, item);
		KUNIT_EXPECT_NOT_NULL_MSG(test, got, "no %s in the response", item);
		if (got && eq)
			KUNIT_EXPECT_STREQ(test, got, eq + 1);
		n++;
		want += ilen;
		if (*want == '|')
			want++;
	}
	KUNIT_EXPECT_EQ(test, rsp_count(fx->buf, len), n);
}

/* Remembers CHAP_A, CHAP_I and CHAP_C of a response that has them. */
static void take_challenge(struct kunit *test, struct auth_fx *fx, u32 len)
{
	const char *a = rsp_get(fx->buf, len, "CHAP_A");
	const char *i = rsp_get(fx->buf, len, "CHAP_I");
	const char *c = rsp_get(fx->buf, len, "CHAP_C");

	if (!a || !i || !c)
		return;
	KUNIT_ASSERT_EQ(test, kstrtou8(a, 10, &fx->alg), 0);
	KUNIT_ASSERT_EQ(test, kstrtou8(i, 10, &fx->id), 0);
	KUNIT_ASSERT_EQ(test, strncmp(c, "0x", 2), 0);
	fx->clen = strlen(c + 2) / 2;
	/* RFC 7143 12.1.3 and the issue: at least 16 random bytes. */
	KUNIT_EXPECT_GE(test, fx->clen, 16U);
	KUNIT_ASSERT_LE(test, fx->clen, sizeof(fx->c));
	KUNIT_ASSERT_EQ(test, hex2bin(fx->c, c + 2, fx->clen), 0);
}

static const char *user_secret(const char *user)
{
	if (!strcmp(user, BOB))
		return BOB_SECRET;
	if (!strcmp(user, CAROL))
		return CAROL_SECRET;
	return ALICE_SECRET;
}

/* The CHAP keys of @r, with a response computed for the last challenge. */
static void fill_keys(struct kunit *test, struct auth_fx *fx,
		      const struct auth_req *r)
{
	struct ispt_chap_keys *keys = &fx->login.chap_keys;
	u8 out[ISPT_CHAP_DIGEST_MAX];
	unsigned int olen;

	memset(keys, 0, sizeof(*keys));
	if (r->a)
		ispt_chap_key_set(keys, "CHAP_A", r->a);
	if (r->n)
		ispt_chap_key_set(keys, "CHAP_N", r->n);
	if (r->r != R_NONE) {
		KUNIT_ASSERT_NE(test, fx->clen, 0U);
		test_hash(test, fx->alg, fx->id,
			  r->r == R_WRONG ? "not-the-secret-42" :
			  user_secret(r->n ? r->n : ALICE),
			  fx->c, fx->clen, out, &olen);
		ispt_chap_key_set(keys, "CHAP_R",
				  hex_value(test, out, r->r == R_SHORT ? 1 : olen));
	}
	if (r->mutual) {
		ispt_chap_key_set(keys, "CHAP_I", "77");
		ispt_chap_key_set(keys, "CHAP_C", r->reflect ?
				  hex_value(test, fx->c, fx->clen) : PEER_C);
	}
	if (r->extra) {
		char *kv = kunit_kzalloc(test, strlen(r->extra) + 1, GFP_KERNEL);
		char *eq;

		KUNIT_ASSERT_NOT_NULL(test, kv);
		strcpy(kv, r->extra);
		eq = strchr(kv, '=');
		KUNIT_ASSERT_NOT_NULL(test, eq);
		*eq = '\0';
		ispt_chap_key_set(keys, kv, eq + 1);
	}
}

/* Mutual CHAP: the target's CHAP_R answers our challenge with its secret. */
static void expect_mutual_answer(struct kunit *test, struct auth_fx *fx,
				 u32 len)
{
	const char *got = rsp_get(fx->buf, len, "CHAP_R");
	u8 want[ISPT_CHAP_DIGEST_MAX], peer_c[16];
	unsigned int olen;

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_EQ(test, hex2bin(peer_c, PEER_C + 2, sizeof(peer_c)), 0);
	test_hash(test, fx->alg, 77, TGT_SECRET, peer_c, sizeof(peer_c), want,
		  &olen);
	KUNIT_EXPECT_STREQ(test, got, hex_value(test, want, olen));
}

static void auth_exchange_test(struct kunit *test)
{
	const struct auth_case *c = test->param_value;
	struct auth_fx *fx = test->priv;
	const char *reason;
	int i;

	fx_secret(test, fx, 0, ALICE, ALICE_SECRET, TGT_USER, TGT_SECRET);
	fx_secret(test, fx, 1, BOB, BOB_SECRET, NULL, NULL);
	fx_secret(test, fx, 2, CAROL, CAROL_SECRET, TGT_USER, NULL);
	if (c->algs)
		KUNIT_ASSERT_EQ(test, ispt_auth_group_set_algs(fx->group, c->algs,
							       &reason), 0);
	if (c->group)
		KUNIT_ASSERT_EQ(test, ispt_auth_policy_link(&fx->policy,
							    fx->group), 0);
	ispt_auth_policy_set_flag(&fx->policy, ISPT_AUTH_REQUIRE_CHAP,
				  c->require);
	ispt_auth_policy_set_flag(&fx->policy, ISPT_AUTH_MUTUAL_CHAP, c->mutual);
	ispt_login_auth_begin(&fx->login, &fx->policy);

	for (i = 0; i < ARRAY_SIZE(c->req) && (c->req[i].offer || c->req[i].rsp ||
					       c->req[i].status); i++) {
		const struct auth_req *r = &c->req[i];
		struct ispt_login_status st;
		bool transit = r->transit;
		u32 len = 0;

		fx->login.auth_offer = r->offer;
		fill_keys(test, fx, r);
		fx->login.fail_reason = NULL;
		st = ispt_login_auth_step(&fx->login, r->csg, &transit, fx->buf,
					  sizeof(fx->buf), &len);
		KUNIT_EXPECT_EQ_MSG(test, st.cls << 8 | st.detail, r->status,
				    "request %d: %s", i + 1,
				    fx->login.fail_reason ?: "");
		/* Consumed: nothing of this request leaks into the next. */
		KUNIT_EXPECT_NULL(test, fx->login.auth_offer);
		KUNIT_EXPECT_FALSE(test, fx->login.chap_keys.repeated);
		if (r->status) {
			KUNIT_EXPECT_NOT_NULL(test, fx->login.fail_reason);
			/* A failed login never counts as authenticated. */
			KUNIT_EXPECT_FALSE(test, fx->login.auth.authenticated);
			return;
		}
		if (r->transit)
			KUNIT_EXPECT_EQ_MSG(test, transit, r->granted,
					    "request %d", i + 1);
		expect_rsp(test, fx, len, r->rsp);
		take_challenge(test, fx, len);
		if (r->mutual)
			expect_mutual_answer(test, fx, len);
	}
	/* Every admitted CHAP exchange ends authenticated. */
	if (fx->login.auth.method == ISPT_AUTH_CHAP)
		KUNIT_EXPECT_TRUE(test, fx->login.auth.authenticated);
}

/* Two logins never get the same challenge (kernel CSPRNG, 16+ bytes). */
static void auth_challenge_fresh_test(struct kunit *test)
{
	struct auth_fx *fx = test->priv;
	u8 first[ISPT_CHAP_DIGEST_MAX];
	static const char *const algs[] = { "5", "8" };
	struct ispt_login_status st;
	unsigned int n = 0;
	int i, k;

	fx_secret(test, fx, 0, ALICE, ALICE_SECRET, NULL, NULL);
	KUNIT_ASSERT_EQ(test, ispt_auth_policy_link(&fx->policy, fx->group), 0);
	for (k = 0; k < ARRAY_SIZE(algs); k++) {
		for (i = 0; i < 2; i++) {
			bool transit = false;
			u32 len = 0;

			ispt_login_auth_end(&fx->login);
			ispt_login_auth_begin(&fx->login, &fx->policy);
			fx->login.auth_offer = "CHAP";
			st = ispt_login_auth_step(&fx->login, SEC, &transit,
						  fx->buf, sizeof(fx->buf), &len);
			KUNIT_ASSERT_EQ(test, st.cls, 0);
			len = 0;
			memset(&fx->login.chap_keys, 0,
			       sizeof(fx->login.chap_keys));
			ispt_chap_key_set(&fx->login.chap_keys, "CHAP_A",
					  algs[k]);
			st = ispt_login_auth_step(&fx->login, SEC, &transit,
						  fx->buf, sizeof(fx->buf), &len);
			KUNIT_ASSERT_EQ(test, st.cls, 0);
			fx->clen = 0;
			take_challenge(test, fx, len);
			KUNIT_ASSERT_GE(test, fx->clen, 16U);
			if (!i) {
				memcpy(first, fx->c, fx->clen);
				n = fx->clen;
			} else {
				KUNIT_EXPECT_EQ(test, fx->clen, n);
				KUNIT_EXPECT_NE(test, memcmp(first, fx->c, n), 0);
			}
		}
	}
}

/* The group model: each entry's checks, as configfs writes them. */
struct auth_secret_case {
	const char		*desc;
	enum ispt_auth_field	field;
	const char		*value;		/* NULL: @fill bytes of 'x' */
	const char		*reason;	/* NULL: accepted */
	unsigned int		fill;
};

static const struct auth_secret_case auth_secret_cases[] = {
	{ "secret", ISPT_AUTH_SECRET, "another-secret-01" },
	{ "secret of 12 bytes", ISPT_AUTH_SECRET, "abcdefghijkl" },
	{ "secret of 11 bytes", ISPT_AUTH_SECRET, "abcdefghijk", "shorter" },
	{ "secret of 255 bytes", ISPT_AUTH_SECRET, NULL, NULL, 255 },
	{ "secret of 256 bytes", ISPT_AUTH_SECRET, NULL, "longer", 256 },
	{ "secret equal to the mutual one", ISPT_AUTH_SECRET, TGT_SECRET,
	  "differ" },
	{ "cleared secret", ISPT_AUTH_SECRET, "" },
	{ "mutual user", ISPT_AUTH_MUTUAL_USER, "iqn.2026-11.x:y" },
	{ "mutual user cleared", ISPT_AUTH_MUTUAL_USER, "" },
	{ "mutual secret", ISPT_AUTH_MUTUAL_SECRET, "new-mutual-secret" },
	{ "mutual secret short", ISPT_AUTH_MUTUAL_SECRET, "short", "shorter" },
	{ "mutual secret equal to the secret", ISPT_AUTH_MUTUAL_SECRET,
	  ALICE_SECRET, "differ" },
};

static void auth_secret_desc(const struct auth_secret_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(auth_secret, auth_secret_cases, auth_secret_desc);

static void auth_secret_test(struct kunit *test)
{
	const struct auth_secret_case *c = test->param_value;
	struct auth_fx *fx = test->priv;
	struct ispt_chap_config *cfg;
	const char *reason = NULL;
	const char *value = c->value;
	char *filled;
	int ret;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	if (!value) {
		filled = kunit_kzalloc(test, c->fill + 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, filled);
		memset(filled, 'x', c->fill);
		value = filled;
	}
	fx_secret(test, fx, 0, ALICE, ALICE_SECRET, TGT_USER, TGT_SECRET);
	ret = ispt_auth_secret_set(fx->secrets[0], c->field, value,
				   strlen(value), &reason);
	KUNIT_ASSERT_TRUE(test, ispt_auth_group_find(fx->group, ALICE, cfg));
	if (c->reason) {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		KUNIT_ASSERT_NOT_NULL(test, reason);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, c->reason),
					  "reason: %s", reason);
		/* Refused: nothing changed. */
		KUNIT_EXPECT_EQ(test, cfg->initiator.secret_len,
				strlen(ALICE_SECRET));
		KUNIT_EXPECT_EQ(test, cfg->mutual.secret_len,
				strlen(TGT_SECRET));
		KUNIT_EXPECT_STREQ(test, cfg->mutual.user, TGT_USER);
		return;
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	switch (c->field) {
	case ISPT_AUTH_SECRET:
		KUNIT_EXPECT_EQ(test, cfg->initiator.secret_len,
				strlen(value));
		KUNIT_EXPECT_EQ(test, memcmp(cfg->initiator.secret, value,
					     strlen(value)), 0);
		break;
	case ISPT_AUTH_MUTUAL_USER:
		KUNIT_EXPECT_STREQ(test, cfg->mutual.user, value);
		break;
	case ISPT_AUTH_MUTUAL_SECRET:
		KUNIT_EXPECT_EQ(test, cfg->mutual.secret_len, strlen(value));
		break;
	}
}

/* Users are looked up by exact name; removal takes effect at once. */
static void auth_group_find_test(struct kunit *test)
{
	struct auth_fx *fx = test->priv;
	struct ispt_chap_config *cfg;
	const char *reason;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	fx_secret(test, fx, 0, ALICE, ALICE_SECRET, NULL, NULL);
	fx_secret(test, fx, 1, BOB, BOB_SECRET, NULL, NULL);
	KUNIT_EXPECT_TRUE(test, ispt_auth_group_find(fx->group, BOB, cfg));
	KUNIT_EXPECT_STREQ(test, cfg->initiator.user, BOB);
	KUNIT_EXPECT_FALSE(test, ispt_auth_group_find(fx->group, "Bob", cfg));
	KUNIT_EXPECT_FALSE(test, ispt_auth_group_find(fx->group, "bo", cfg));
	KUNIT_EXPECT_FALSE(test, ispt_auth_group_find(fx->group, "", cfg));
	ispt_auth_secret_remove(fx->secrets[1]);
	fx->secrets[1] = NULL;
	KUNIT_EXPECT_FALSE(test, ispt_auth_group_find(fx->group, BOB, cfg));
	KUNIT_EXPECT_TRUE(test, ispt_auth_group_find(fx->group, ALICE, cfg));
	/* Names a CHAP_N cannot carry are refused at creation. */
	KUNIT_EXPECT_TRUE(test, IS_ERR(ispt_auth_secret_add(fx->group, "",
							    &reason)));
}

/* One group per policy; the policy holds it until unlinked. */
static void auth_policy_link_test(struct kunit *test)
{
	struct auth_fx *fx = test->priv;
	struct ispt_auth_group *other = ispt_auth_group_create(2);
	const char *reason;

	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	KUNIT_EXPECT_EQ(test, ispt_auth_policy_link(&fx->policy, fx->group), 0);
	KUNIT_EXPECT_EQ(test, ispt_auth_policy_link(&fx->policy, other),
			-EEXIST);
	/* Unlinking a group that is not the linked one changes nothing. */
	ispt_auth_policy_unlink(&fx->policy, other);
	KUNIT_EXPECT_PTR_EQ(test, fx->policy.group, fx->group);
	ispt_auth_policy_unlink(&fx->policy, fx->group);
	KUNIT_EXPECT_NULL(test, fx->policy.group);
	KUNIT_EXPECT_EQ(test, ispt_auth_policy_link(&fx->policy, other), 0);
	ispt_auth_group_put(other);	/* the policy's reference remains */
	KUNIT_EXPECT_EQ(test, ispt_auth_group_set_algs(other, "8,5", &reason),
			0);
	KUNIT_EXPECT_EQ(test, ispt_auth_group_set_algs(other, "8,8", &reason),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ispt_auth_group_set_algs(other, "", &reason),
			-EINVAL);
	ispt_auth_policy_unlink(&fx->policy, other);
}

static struct kunit_case auth_test_cases[] = {
	KUNIT_CASE_PARAM(auth_exchange_test, auth_gen_params),
	KUNIT_CASE(auth_challenge_fresh_test),
	KUNIT_CASE_PARAM(auth_secret_test, auth_secret_gen_params),
	KUNIT_CASE(auth_group_find_test),
	KUNIT_CASE(auth_policy_link_test),
	{}
};

static struct kunit_suite auth_test_suite = {
	.name = "iscsi_spt_auth",
	.init = auth_test_init,
	.exit = auth_test_exit,
	.test_cases = auth_test_cases,
};

kunit_test_suite(auth_test_suite);
