// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for Full Feature Phase text answers: which keys get which
 * answer, MaxRecvDataSegmentLength declarations, malformed requests and
 * answers that do not fit.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "text.h"

struct text_case {
	const char	*name;
	const char	*request;	/* pairs separated by '|' */
	int		ret;
	const char	*answer;	/* expected, pairs separated by '|' */
	u32		their_mrdsl;	/* after the answer */
};

#define TARGET_RECORD	"TargetName=iqn.x:t|TargetAddress=127.0.0.1:3260,1"

static const struct text_case text_cases[] = {
	{ "send targets all", "SendTargets=All", 0, TARGET_RECORD, 4096 },
	{ "send targets empty", "SendTargets=", 0, TARGET_RECORD, 4096 },
	{ "send targets other", "SendTargets=iqn.x:other", 0, "", 4096 },
	{ "mrdsl declared", "MaxRecvDataSegmentLength=16384", 0,
	  "MaxRecvDataSegmentLength=65536", 16384 },
	{ "mrdsl hex", "MaxRecvDataSegmentLength=0x2000", 0,
	  "MaxRecvDataSegmentLength=65536", 8192 },
	{ "mrdsl too small", "MaxRecvDataSegmentLength=511", 0,
	  "MaxRecvDataSegmentLength=Reject", 4096 },
	{ "mrdsl too big", "MaxRecvDataSegmentLength=16777216", 0,
	  "MaxRecvDataSegmentLength=Reject", 4096 },
	{ "mrdsl octal", "MaxRecvDataSegmentLength=010000", 0,
	  "MaxRecvDataSegmentLength=Reject", 4096 },
	{ "mrdsl junk", "MaxRecvDataSegmentLength=4k", 0,
	  "MaxRecvDataSegmentLength=Reject", 4096 },
	{ "login only key", "MaxBurstLength=4096", 0, "MaxBurstLength=Reject", 4096 },
	{ "login only digest", "HeaderDigest=CRC32C", 0, "HeaderDigest=Reject", 4096 },
	{ "unknown key", "X-com.example.Thing=1", 0,
	  "X-com.example.Thing=NotUnderstood", 4096 },
	{ "several", "X-a=1|MaxRecvDataSegmentLength=8192|SendTargets=", 0,
	  "X-a=NotUnderstood|MaxRecvDataSegmentLength=65536|" TARGET_RECORD, 8192 },
	{ "overlong key",
	  "Xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1",
	  0, "X-TooLong=NotUnderstood", 4096 },
	{ "no equals", "SendTargets", -EINVAL, NULL, 4096 },
	{ "empty key", "=All", -EINVAL, NULL, 4096 },
	{ "empty request", "", 0, "", 4096 },
};

static void text_case_desc(const struct text_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(text, text_cases, text_case_desc);

static int fake_send_targets(struct ispt_text_ctx *ctx, const char *which,
			     char *buf, u32 cap)
{
	static const char rec[] = "TargetName=iqn.x:t\0TargetAddress=127.0.0.1:3260,1";

	if (strcmp(which, "All") && strcmp(which, "") && strcmp(which, "iqn.x:t"))
		return 0;
	if (cap < sizeof(rec))
		return -ENOSPC;
	memcpy(buf, rec, sizeof(rec));
	return sizeof(rec);
}

/* "a|b" into "a\0b\0"; returns the length. */
static u32 to_pairs(const char *s, char *out)
{
	u32 n = strlen(s), i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		out[i] = s[i] == '|' ? '\0' : s[i];
	out[n] = '\0';
	return n + 1;
}

static void ispt_text_answers(struct kunit *test)
{
	const struct text_case *c = test->param_value;
	struct ispt_text_ctx ctx = {
		.send_targets = fake_send_targets,
		.our_max_recv_dsl = 65536,
		.their_max_recv_dsl = 4096,
	};
	char req[256], want[256], buf[512];
	u32 req_len = to_pairs(c->request, req), want_len, len;
	int ret;

	ret = ispt_text_answer(req, req_len, &ctx, buf, sizeof(buf), &len);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	KUNIT_EXPECT_EQ(test, ctx.their_max_recv_dsl, c->their_mrdsl);
	if (ret)
		return;
	want_len = to_pairs(c->answer, want);
	KUNIT_ASSERT_EQ(test, len, want_len);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, len), 0);
}

/* An unterminated last pair is malformed, not silently cut. */
static void ispt_text_unterminated(struct kunit *test)
{
	static const char req[] = { 'X', '-', 'a', '=', '1' };
	struct ispt_text_ctx ctx = { .send_targets = fake_send_targets };
	char buf[64];
	u32 len;

	KUNIT_EXPECT_EQ(test, ispt_text_answer(req, sizeof(req), &ctx, buf,
					       sizeof(buf), &len), -EINVAL);
}

/* An answer that does not fit says so, for the caller to grow or refuse. */
static void ispt_text_no_room(struct kunit *test)
{
	static const char req[] = "SendTargets=All\0X-b=2";
	struct ispt_text_ctx ctx = { .send_targets = fake_send_targets };
	char buf[40];
	u32 len;

	KUNIT_EXPECT_EQ(test, ispt_text_answer(req, sizeof(req), &ctx, buf,
					       sizeof(buf), &len), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ispt_text_answer(req + 16, sizeof(req) - 16, &ctx,
					       buf, 8, &len), -ENOSPC);
}

static struct kunit_case ispt_text_cases[] = {
	KUNIT_CASE_PARAM(ispt_text_answers, text_gen_params),
	KUNIT_CASE(ispt_text_unterminated),
	KUNIT_CASE(ispt_text_no_room),
	{}
};

static struct kunit_suite ispt_text_suite = {
	.name = "iscsi_spt_text",
	.test_cases = ispt_text_cases,
};

kunit_test_suite(ispt_text_suite);
