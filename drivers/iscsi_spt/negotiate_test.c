// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for login key negotiation: each rule of the key table, the
 * special answers, and every way a request's text fails the login.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "configfs.h"
#include "conn.h"
#include "login.h"
#include "logindefs.h"
#include "pdu.h"

struct negotiate_case {
	const char	*name;
	const char	*request;	/* pairs separated by '|' */
	bool		discovery;
	bool		ok;
	const char	*response;	/* expected, pairs separated by '|' */
};

static const struct negotiate_case negotiate_cases[] = {
	/* lists */
	{ "hd crc first", "HeaderDigest=CRC32C,None", false, true, "HeaderDigest=CRC32C" },
	{ "hd none first", "HeaderDigest=None,CRC32C", false, true, "HeaderDigest=None" },
	{ "hd unknown skipped", "HeaderDigest=MD5,None", false, true, "HeaderDigest=None" },
	{ "hd nothing usable", "HeaderDigest=MD5", false, true, "HeaderDigest=Reject" },
	{ "dd crc", "DataDigest=CRC32C", false, true, "DataDigest=CRC32C" },
	/* AuthMethod and CHAP_* wait for the target's policy: no answer here. */
	{ "auth offered", "AuthMethod=CHAP,None", false, true, "" },
	{ "auth chap only", "AuthMethod=CHAP", false, true, "" },
	{ "chap keys", "CHAP_A=7,5|CHAP_N=u", false, true, "" },
	{ "chap key repeated", "CHAP_A=7|CHAP_A=5", false, true, "" },
	{ "chap lower case", "chap_a=5", false, true, "chap_a=NotUnderstood" },
	{ "auth twice", "AuthMethod=None|AuthMethod=CHAP", false, false, "" },
	/* booleans */
	{ "immediate and no", "ImmediateData=No", false, true, "ImmediateData=No" },
	{ "immediate and yes", "ImmediateData=Yes", false, true, "ImmediateData=Yes" },
	{ "r2t or no", "InitialR2T=No", false, true, "InitialR2T=No" },
	{ "r2t or yes", "InitialR2T=Yes", false, true, "InitialR2T=Yes" },
	{ "bool bad", "ImmediateData=Maybe", false, true, "ImmediateData=Reject" },
	{ "bool case", "ImmediateData=yes", false, true, "ImmediateData=Reject" },
	/* numbers */
	{ "burst min ours", "MaxBurstLength=1048576", false, true, "MaxBurstLength=262144" },
	{ "burst min theirs", "MaxBurstLength=4096", false, true, "MaxBurstLength=4096" },
	{ "burst hex", "MaxBurstLength=0x1000", false, true, "MaxBurstLength=4096" },
	{ "burst too small", "MaxBurstLength=511", false, true, "MaxBurstLength=Reject" },
	{ "burst too big", "MaxBurstLength=16777216", false, true, "MaxBurstLength=Reject" },
	{ "burst octal", "MaxBurstLength=0100", false, true, "MaxBurstLength=Reject" },
	{ "burst empty", "MaxBurstLength=", false, true, "MaxBurstLength=Reject" },
	{ "burst junk", "MaxBurstLength=12ab", false, true, "MaxBurstLength=Reject" },
	{ "wait max ours", "DefaultTime2Wait=0", false, true, "DefaultTime2Wait=2" },
	{ "wait max theirs", "DefaultTime2Wait=10", false, true, "DefaultTime2Wait=10" },
	{ "retain min", "DefaultTime2Retain=20", false, true, "DefaultTime2Retain=0" },
	{ "erl min", "ErrorRecoveryLevel=2", false, true, "ErrorRecoveryLevel=1" },
	{ "erl 1", "ErrorRecoveryLevel=1", false, true, "ErrorRecoveryLevel=1" },
	{ "erl range", "ErrorRecoveryLevel=3", false, true, "ErrorRecoveryLevel=Reject" },
	{ "conns min", "MaxConnections=8", false, true, "MaxConnections=1" },
	{ "r2t min ours", "MaxOutstandingR2T=8", false, true, "MaxOutstandingR2T=4" },
	{ "r2t min theirs", "MaxOutstandingR2T=2", false, true, "MaxOutstandingR2T=2" },
	/* declarations */
	{ "mrdsl declared", "MaxRecvDataSegmentLength=8192", false, true, "" },
	{ "mrdsl too small", "MaxRecvDataSegmentLength=100", false, true,
	  "MaxRecvDataSegmentLength=Reject" },
	{ "names", "InitiatorName=iqn.2026-11.test:a|TargetName=iqn.2026-11.test:t",
	  false, true, "" },
	{ "alias", "InitiatorAlias=host a", false, true, "" },
	{ "empty name", "InitiatorName=", false, false, "" },
	{ "session normal", "SessionType=Normal", false, true, "" },
	{ "session bogus", "SessionType=Bogus", false, false, "" },
	/* special answers */
	{ "unknown key", "FooBar=1", false, true, "FooBar=NotUnderstood" },
	{ "vendor key", "X-com.example.k=v", false, true, "X-com.example.k=NotUnderstood" },
	{ "marker", "IFMarker=Yes", false, true, "IFMarker=No" },
	{ "marker int", "OFMarkInt=2048~8192", false, true, "OFMarkInt=Irrelevant" },
	{ "sendtargets in login", "SendTargets=All", false, true, "SendTargets=Irrelevant" },
	{ "discovery burst", "MaxBurstLength=4096", true, true, "MaxBurstLength=Irrelevant" },
	{ "discovery digest", "HeaderDigest=CRC32C", true, true, "HeaderDigest=CRC32C" },
	{ "task reporting", "TaskReporting=ResponseFence,RFC3720", false, true,
	  "TaskReporting=RFC3720" },
	/* failures */
	{ "target only key", "TargetAlias=x", false, false, "" },
	{ "tpgt from initiator", "TargetPortalGroupTag=1", false, false, "" },
	{ "repeated key", "HeaderDigest=None|HeaderDigest=None", false, false,
	  "HeaderDigest=None" },
	{ "no equals", "HeaderDigest", false, false, "" },
	{ "empty key", "=None", false, false, "" },
	{ "key 64 bytes",
	  "K234567890123456789012345678901234567890123456789012345678901234=1",
	  false, false, "" },
};

static void negotiate_case_desc(const struct negotiate_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(negotiate, negotiate_cases, negotiate_case_desc);

/* "a|b" -> "a\0b\0", the wire form; returns its length. */
static u32 wire_text(const char *s, char *out)
{
	u32 n = strlen(s), i;

	for (i = 0; i < n; i++)
		out[i] = s[i] == '|' ? '\0' : s[i];
	out[n] = '\0';
	return n ? n + 1 : 0;
}

static void ispt_negotiate_rules(struct kunit *test)
{
	const struct negotiate_case *c = test->param_value;
	struct ispt_login *login;
	char *want, *got;
	u32 want_len, len = 0;
	bool ok;

	login = kunit_kzalloc(test, sizeof(*login), GFP_KERNEL);
	want = kunit_kzalloc(test, 512, GFP_KERNEL);
	got = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, login);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	login->text = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, login->text);

	ispt_login_keys_init(login);
	login->discovery = c->discovery;
	login->text_len = wire_text(c->request, (char *)login->text);
	want_len = wire_text(c->response, want);

	ok = ispt_login_negotiate_text(login, got, 512, &len);
	KUNIT_EXPECT_EQ(test, ok, c->ok);
	if (!ok)
		KUNIT_EXPECT_NOT_NULL(test, login->fail_reason);
	KUNIT_EXPECT_EQ(test, len, want_len);
	KUNIT_EXPECT_EQ(test, memcmp(got, want, min(len, want_len)), 0);
}

/* A fresh login whose request text is the first @len bytes of @req. */
static struct ispt_login *login_with_text(struct kunit *test, const char *req,
					  u32 len)
{
	struct ispt_login *login = kunit_kzalloc(test, sizeof(*login), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, login);
	login->text = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, login->text);
	memcpy(login->text, req, len);
	login->text_len = len;
	ispt_login_keys_init(login);
	return login;
}

/* What a negotiation stores is what the response says. */
static void ispt_negotiate_stores_values(struct kunit *test)
{
	static const char req[] = "HeaderDigest=CRC32C\0DataDigest=None\0"
		"MaxRecvDataSegmentLength=16384\0MaxBurstLength=8192\0"
		"FirstBurstLength=65536\0ImmediateData=No\0"
		"InitiatorName=iqn.2026-11.test:i\0SessionType=Discovery";
	struct ispt_login *login;
	char buf[512];
	u32 len = 0;

	login = login_with_text(test, req, sizeof(req));

	KUNIT_ASSERT_TRUE(test, ispt_login_negotiate_text(login, buf, sizeof(buf), &len));
	KUNIT_EXPECT_TRUE(test, login->keys.header_digest);
	KUNIT_EXPECT_FALSE(test, login->keys.data_digest);
	KUNIT_EXPECT_EQ(test, login->keys.their_max_recv_dsl, 16384U);
	KUNIT_EXPECT_STREQ(test, login->initiator, "iqn.2026-11.test:i");
	KUNIT_EXPECT_TRUE(test, login->discovery);
	/* Discovery: the session keys stay at their defaults. */
	KUNIT_EXPECT_EQ(test, login->keys.max_burst, 262144U);
	KUNIT_EXPECT_TRUE(test, login->keys.immediate_data);
}

/*
 * A connection joining a session (TSIH != 0): its own keys are
 * negotiated, the leading-only ones are Irrelevant and keep the defaults.
 */
static void ispt_negotiate_non_leading(struct kunit *test)
{
	static const char req[] = "HeaderDigest=CRC32C\0"
		"MaxRecvDataSegmentLength=16384\0MaxConnections=4\0"
		"MaxBurstLength=8192\0ImmediateData=No\0InitialR2T=No\0"
		"ErrorRecoveryLevel=0\0DefaultTime2Wait=5";
	static const char want[] = "HeaderDigest=CRC32C\0"
		"MaxConnections=Irrelevant\0MaxBurstLength=Irrelevant\0"
		"ImmediateData=Irrelevant\0InitialR2T=Irrelevant\0"
		"ErrorRecoveryLevel=Irrelevant\0DefaultTime2Wait=Irrelevant";
	unsigned int saved = ispt_max_conns_per_session;
	struct ispt_login *login;
	char buf[512];
	u32 len = 0;

	ispt_max_conns_per_session = 4;
	login = login_with_text(test, req, sizeof(req));
	login->tsih = 3;
	KUNIT_EXPECT_TRUE(test, ispt_login_negotiate_text(login, buf, sizeof(buf), &len));
	ispt_max_conns_per_session = saved;
	KUNIT_EXPECT_EQ(test, len, (u32)sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, min_t(u32, len, sizeof(want))), 0);
	KUNIT_EXPECT_TRUE(test, login->keys.header_digest);
	KUNIT_EXPECT_EQ(test, login->keys.their_max_recv_dsl, 16384U);
	KUNIT_EXPECT_EQ(test, login->keys.max_conns, 1U);
	KUNIT_EXPECT_EQ(test, login->keys.max_burst, 262144U);
	KUNIT_EXPECT_TRUE(test, login->keys.immediate_data);
}

/* MaxConnections: the smaller of the initiator's and the global limit. */
static void ispt_negotiate_max_connections(struct kunit *test)
{
	static const char req[] = "MaxConnections=8";
	static const char want[] = "MaxConnections=4";
	unsigned int saved = ispt_max_conns_per_session;
	struct ispt_login *login;
	char buf[64];
	u32 len = 0;

	ispt_max_conns_per_session = 4;
	login = login_with_text(test, req, sizeof(req));
	KUNIT_EXPECT_TRUE(test, ispt_login_negotiate_text(login, buf, sizeof(buf), &len));
	ispt_max_conns_per_session = saved;
	KUNIT_EXPECT_EQ(test, len, (u32)sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, min_t(u32, len, sizeof(want))), 0);
	KUNIT_EXPECT_EQ(test, login->keys.max_conns, 4U);
}

/* The security stage gets AuthMethod's value and the CHAP keys as sent. */
static void ispt_negotiate_auth_keys(struct kunit *test)
{
	static const char req[] = "AuthMethod=CHAP,None\0CHAP_A=7\0"
		"CHAP_I=3\0CHAP_A=5\0HeaderDigest=None";
	struct ispt_login *login;
	char buf[64];
	u32 len = 0;

	login = login_with_text(test, req, sizeof(req));

	KUNIT_ASSERT_TRUE(test, ispt_login_negotiate_text(login, buf, sizeof(buf), &len));
	KUNIT_EXPECT_STREQ(test, login->auth_offer, "CHAP,None");
	KUNIT_EXPECT_STREQ(test, login->chap_keys.val[ISPT_CHAP_KEY_A], "7");
	KUNIT_EXPECT_STREQ(test, login->chap_keys.val[ISPT_CHAP_KEY_I], "3");
	KUNIT_EXPECT_NULL(test, login->chap_keys.val[ISPT_CHAP_KEY_N]);
	KUNIT_EXPECT_TRUE(test, login->chap_keys.repeated);
	KUNIT_EXPECT_EQ(test, len, (u32)sizeof("HeaderDigest=None"));
}

/* A response that does not fit fails the login rather than truncating. */
static void ispt_negotiate_response_overflow(struct kunit *test)
{
	static const char req[] = "HeaderDigest=None\0DataDigest=None";
	struct ispt_login *login;
	char buf[24];
	u32 len = 0;

	login = login_with_text(test, req, sizeof(req));

	KUNIT_EXPECT_FALSE(test, ispt_login_negotiate_text(login, buf, sizeof(buf), &len));
	KUNIT_EXPECT_LE(test, len, (u32)sizeof(buf));
	KUNIT_EXPECT_STREQ(test, login->fail_reason, "response text too long");
}

/* The last pair must end in NUL: no reading past the data segment. */
static void ispt_negotiate_unterminated(struct kunit *test)
{
	struct ispt_login *login;
	char buf[64];
	u32 len = 0;

	login = login_with_text(test, "HeaderDigest=None", 16);	/* no NUL */

	KUNIT_EXPECT_FALSE(test, ispt_login_negotiate_text(login, buf, sizeof(buf), &len));
	KUNIT_EXPECT_EQ(test, len, 0U);
}

/* Configure the offer as configfs would, one key at a time. */
static void set_offer(struct kunit *test, const char *const *pairs)
{
	const char *why;
	int key;

	for (; *pairs; pairs += 2) {
		for (key = 0; key < ISPT_DEFKEY_NR; key++)
			if (!strcmp(ispt_defkey_name(key), pairs[0]))
				break;
		KUNIT_ASSERT_LT(test, key, ISPT_DEFKEY_NR);
		KUNIT_ASSERT_EQ(test, ispt_defkey_store(key, pairs[1],
							strlen(pairs[1]), &why), 0);
	}
}

/* A new login negotiates with the configured offer, not the built-in one. */
static void ispt_negotiate_configured_offer(struct kunit *test)
{
	static const char *const offer[] = {
		"FirstBurstLength", "16384", "MaxBurstLength", "65536",
		"MaxOutstandingR2T", "2", "DefaultTime2Wait", "5",
		"DefaultTime2Retain", "20", "InitialR2T", "Yes",
		"ImmediateData", "No", "HeaderDigest", "None",
		"DataDigest", "CRC32C", "MaxRecvDataSegmentLength", "16384",
		NULL,
	};
	static const char req[] = "HeaderDigest=CRC32C,None\0"
		"DataDigest=None,CRC32C\0MaxBurstLength=1048576\0"
		"FirstBurstLength=262144\0MaxOutstandingR2T=8\0"
		"DefaultTime2Wait=0\0DefaultTime2Retain=30\0InitialR2T=No\0"
		"ImmediateData=Yes";
	static const char want[] = "HeaderDigest=None\0DataDigest=CRC32C\0"
		"MaxBurstLength=65536\0FirstBurstLength=16384\0"
		"MaxOutstandingR2T=2\0DefaultTime2Wait=5\0"
		"DefaultTime2Retain=20\0InitialR2T=Yes\0ImmediateData=No";
	struct ispt_login *login;
	char buf[512];
	u32 len = 0;

	set_offer(test, offer);
	login = login_with_text(test, req, sizeof(req));
	KUNIT_EXPECT_EQ(test, login->defaults.max_recv_dsl, 16384U);

	KUNIT_ASSERT_TRUE(test, ispt_login_negotiate_text(login, buf, sizeof(buf), &len));
	KUNIT_EXPECT_EQ(test, len, (u32)sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, min_t(u32, len, sizeof(want))), 0);
	KUNIT_EXPECT_FALSE(test, login->keys.header_digest);
	KUNIT_EXPECT_TRUE(test, login->keys.data_digest);
	KUNIT_EXPECT_EQ(test, login->keys.max_burst, 65536U);
	KUNIT_EXPECT_EQ(test, login->keys.first_burst, 16384U);
	KUNIT_EXPECT_EQ(test, login->keys.max_r2t, 2U);
	KUNIT_EXPECT_EQ(test, login->keys.time2wait, 5U);
	KUNIT_EXPECT_EQ(test, login->keys.time2retain, 20U);
	KUNIT_EXPECT_TRUE(test, login->keys.initial_r2t);
	KUNIT_EXPECT_FALSE(test, login->keys.immediate_data);
}

/* A login keeps the offer it started with; the next one takes the new. */
static void ispt_negotiate_offer_snapshot(struct kunit *test)
{
	static const char *const lower[] = { "FirstBurstLength", "4096",
					     "MaxBurstLength", "8192", NULL };
	static const char req[] = "MaxBurstLength=1048576";
	struct ispt_login *before, *after;
	char buf[64];
	u32 len = 0;

	before = login_with_text(test, req, sizeof(req));
	set_offer(test, lower);
	after = login_with_text(test, req, sizeof(req));

	KUNIT_ASSERT_TRUE(test, ispt_login_negotiate_text(before, buf, sizeof(buf), &len));
	KUNIT_EXPECT_EQ(test, before->keys.max_burst, 262144U);
	len = 0;
	KUNIT_ASSERT_TRUE(test, ispt_login_negotiate_text(after, buf, sizeof(buf), &len));
	KUNIT_EXPECT_EQ(test, after->keys.max_burst, 8192U);
	KUNIT_EXPECT_STREQ(test, buf, "MaxBurstLength=8192");
}

/* Run one final operational request of a discovery login to Full Feature. */
static struct ispt_login_status negotiate_to_ffp(struct kunit *test,
						 const char *req, u32 req_len,
						 struct ispt_login **out)
{
	struct ispt_pdu_summary s = { .kind = ISPT_PDU_LOGIN };
	struct ispt_login_status st;
	struct ispt_login *login;
	struct ispt_conn *conn;
	char *buf;
	bool transit;
	u32 len = 512;

	conn = kunit_kzalloc(test, sizeof(*conn), GFP_KERNEL);
	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, conn);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	login = kunit_kzalloc(test, sizeof(*login), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, login);
	login->text = kunit_kzalloc(test, req_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, login->text);
	memcpy(login->text, req, req_len);
	login->text_len = req_len;
	s.login.csg = ISCSI_OP_PARMS_NEGOTIATION_STAGE;
	s.login.nsg = ISCSI_FULL_FEATURE_PHASE;
	s.login.transit = true;
	st = ispt_login_negotiate(conn, login, &s, buf, &len, &transit);
	ispt_login_auth_end(login);
	*out = login;
	return st;
}

/* A required digest: offering only None, or nothing, fails the login. */
static void ispt_negotiate_digest_required(struct kunit *test)
{
	static const char *const offer[] = { "HeaderDigest", "CRC32C", NULL };
	static const char none[] = "InitiatorName=iqn.2026-11.test:i\0"
		"SessionType=Discovery\0HeaderDigest=None";
	static const char silent[] = "InitiatorName=iqn.2026-11.test:i\0"
		"SessionType=Discovery";
	static const char crc[] = "InitiatorName=iqn.2026-11.test:i\0"
		"SessionType=Discovery\0HeaderDigest=None,CRC32C";
	struct ispt_login_status st;
	struct ispt_login *login;

	st = negotiate_to_ffp(test, crc, sizeof(crc), &login);
	KUNIT_EXPECT_EQ(test, st.cls, ISCSI_STATUS_CLS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, login->keys.header_digest);	/* None first */

	set_offer(test, offer);
	st = negotiate_to_ffp(test, crc, sizeof(crc), &login);
	KUNIT_EXPECT_EQ(test, st.cls, ISCSI_STATUS_CLS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, login->keys.header_digest);
	st = negotiate_to_ffp(test, none, sizeof(none), &login);
	KUNIT_EXPECT_EQ(test, st.cls, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_STREQ(test, login->fail_reason,
			   "HeaderDigest=CRC32C is required");
	st = negotiate_to_ffp(test, silent, sizeof(silent), &login);
	KUNIT_EXPECT_EQ(test, st.cls, ISCSI_STATUS_CLS_INITIATOR_ERR);
}

/* Tests that configure the offer put the built-in one back. */
static void negotiate_exit(struct kunit *test)
{
	const char *why;

	ispt_login_defaults_set(&ispt_login_defaults_builtin, &why);
}

static struct kunit_case ispt_negotiate_cases[] = {
	KUNIT_CASE_PARAM(ispt_negotiate_rules, negotiate_gen_params),
	KUNIT_CASE(ispt_negotiate_stores_values),
	KUNIT_CASE(ispt_negotiate_non_leading),
	KUNIT_CASE(ispt_negotiate_max_connections),
	KUNIT_CASE(ispt_negotiate_auth_keys),
	KUNIT_CASE(ispt_negotiate_response_overflow),
	KUNIT_CASE(ispt_negotiate_unterminated),
	KUNIT_CASE(ispt_negotiate_configured_offer),
	KUNIT_CASE(ispt_negotiate_offer_snapshot),
	KUNIT_CASE(ispt_negotiate_digest_required),
	{}
};

static struct kunit_suite ispt_negotiate_suite = {
	.name = "iscsi_spt_negotiate",
	.exit = negotiate_exit,
	.test_cases = ispt_negotiate_cases,
};

kunit_test_suite(ispt_negotiate_suite);
