// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the configurable login key offer: each key's range and
 * spelling, the check between keys, and that a refused store changes
 * nothing.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "logindefs.h"

struct defkey_case {
	const char	*name;
	enum ispt_defkey key;
	const char	*text;
	bool		ok;
	const char	*shown;		/* what format gives back, if ok */
};

static const struct defkey_case defkey_cases[] = {
	{ "hd any", ISPT_DEFKEY_HEADER_DIGEST, "CRC32C,None", true, "CRC32C,None" },
	{ "hd any reversed", ISPT_DEFKEY_HEADER_DIGEST, "None,CRC32C", true, "CRC32C,None" },
	{ "hd crc only", ISPT_DEFKEY_HEADER_DIGEST, "CRC32C", true, "CRC32C" },
	{ "dd none", ISPT_DEFKEY_DATA_DIGEST, "None", true, "None" },
	{ "dd lower case", ISPT_DEFKEY_DATA_DIGEST, "crc32c", false },
	{ "dd twice", ISPT_DEFKEY_DATA_DIGEST, "CRC32C,CRC32C", false },
	{ "dd empty", ISPT_DEFKEY_DATA_DIGEST, "", false },
	{ "dd unknown", ISPT_DEFKEY_DATA_DIGEST, "MD5", false },
	{ "mrdsl min", ISPT_DEFKEY_MAX_RECV_DSL, "512", true, "512" },
	{ "mrdsl max", ISPT_DEFKEY_MAX_RECV_DSL, "262144", true, "262144" },
	{ "mrdsl too small", ISPT_DEFKEY_MAX_RECV_DSL, "511", false },
	{ "mrdsl past buffer", ISPT_DEFKEY_MAX_RECV_DSL, "262145", false },
	{ "burst max", ISPT_DEFKEY_MAX_BURST, "16777215", true, "16777215" },
	{ "burst too big", ISPT_DEFKEY_MAX_BURST, "16777216", false },
	{ "burst hex", ISPT_DEFKEY_MAX_BURST, "0x1000", false },
	{ "burst leading zero", ISPT_DEFKEY_MAX_BURST, "0512", false },
	{ "burst sign", ISPT_DEFKEY_MAX_BURST, "+4096", false },
	{ "burst junk", ISPT_DEFKEY_MAX_BURST, "4096k", false },
	{ "burst overflow", ISPT_DEFKEY_MAX_BURST, "99999999999", false },
	{ "first burst min", ISPT_DEFKEY_FIRST_BURST, "512", true, "512" },
	{ "first burst small", ISPT_DEFKEY_FIRST_BURST, "100", false },
	{ "r2t 1", ISPT_DEFKEY_MAX_R2T, "1", true, "1" },
	{ "r2t 4", ISPT_DEFKEY_MAX_R2T, "4", true, "4" },
	{ "r2t 0", ISPT_DEFKEY_MAX_R2T, "0", false },
	{ "r2t past slots", ISPT_DEFKEY_MAX_R2T, "5", false },
	{ "wait 0", ISPT_DEFKEY_TIME2WAIT, "0", true, "0" },
	{ "wait 3600", ISPT_DEFKEY_TIME2WAIT, "3600", true, "3600" },
	{ "wait 3601", ISPT_DEFKEY_TIME2WAIT, "3601", false },
	{ "retain 20", ISPT_DEFKEY_TIME2RETAIN, "20", true, "20" },
	{ "retain negative", ISPT_DEFKEY_TIME2RETAIN, "-1", false },
	{ "r2t yes", ISPT_DEFKEY_INITIAL_R2T, "Yes", true, "Yes" },
	{ "r2t lower case", ISPT_DEFKEY_INITIAL_R2T, "yes", false },
	{ "immediate no", ISPT_DEFKEY_IMMEDIATE_DATA, "No", true, "No" },
	{ "immediate 1", ISPT_DEFKEY_IMMEDIATE_DATA, "1", false },
};

static void defkey_case_desc(const struct defkey_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(defkey, defkey_cases, defkey_case_desc);

/* One key's text: accepted and shown back canonically, or refused whole. */
static void ispt_logindefs_parse(struct kunit *test)
{
	const struct defkey_case *c = test->param_value;
	struct ispt_login_defaults d = ispt_login_defaults_builtin;
	struct ispt_login_defaults before = d;
	const char *why = NULL;
	char buf[32];
	int ret;

	ret = ispt_defkey_parse(&d, c->key, c->text, strlen(c->text), &why);
	if (!c->ok) {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		KUNIT_EXPECT_NOT_NULL(test, why);
		KUNIT_EXPECT_EQ(test, memcmp(&d, &before, sizeof(d)), 0);
		return;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_GT(test, ispt_defkey_format(&d, c->key, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, c->shown);
}

/* Every key reads back as what it parses from: save and restore agree. */
static void ispt_logindefs_format_round_trip(struct kunit *test)
{
	struct ispt_login_defaults d = ispt_login_defaults_builtin, e;
	const char *why;
	char buf[32];
	int key;

	e = d;
	for (key = 0; key < ISPT_DEFKEY_NR; key++) {
		KUNIT_ASSERT_GT(test, ispt_defkey_format(&d, key, buf, sizeof(buf)), 0);
		KUNIT_EXPECT_EQ(test, ispt_defkey_parse(&e, key, buf, strlen(buf), &why), 0);
		KUNIT_EXPECT_NOT_NULL(test, ispt_defkey_name(key));
	}
	KUNIT_EXPECT_EQ(test, memcmp(&d, &e, sizeof(d)), 0);
	KUNIT_EXPECT_STREQ(test, ispt_defkey_name(ISPT_DEFKEY_MAX_RECV_DSL),
			   "MaxRecvDataSegmentLength");
	KUNIT_EXPECT_NULL(test, ispt_defkey_name(ISPT_DEFKEY_NR));
}

/* FirstBurstLength <= MaxBurstLength, whichever key is written. */
static void ispt_logindefs_cross_check(struct kunit *test)
{
	struct ispt_login_defaults d = ispt_login_defaults_builtin;
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, ispt_login_defaults_check(&d, &why), 0);
	d.first_burst = d.max_burst;
	KUNIT_EXPECT_EQ(test, ispt_login_defaults_check(&d, &why), 0);
	d.first_burst = d.max_burst + 1;
	KUNIT_EXPECT_EQ(test, ispt_login_defaults_check(&d, &why), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "FirstBurstLength"));
	KUNIT_EXPECT_EQ(test, ispt_login_defaults_set(&d, &why), -EINVAL);
}

/* A refused store leaves every key as it was; an accepted one applies. */
static void ispt_logindefs_store(struct kunit *test)
{
	struct ispt_login_defaults before, after;
	const char *why = NULL;

	ispt_login_defaults_get(&before);
	KUNIT_EXPECT_EQ(test, before.max_burst, 262144U);
	/* Below the FirstBurstLength in force (262144): refused. */
	KUNIT_EXPECT_EQ(test, ispt_defkey_store(ISPT_DEFKEY_MAX_BURST, "65536", 5, &why),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "MaxBurstLength"));
	ispt_login_defaults_get(&after);
	KUNIT_EXPECT_EQ(test, memcmp(&before, &after, sizeof(after)), 0);
	/* Lower FirstBurstLength first, then MaxBurstLength goes. */
	KUNIT_EXPECT_EQ(test, ispt_defkey_store(ISPT_DEFKEY_FIRST_BURST, "65536", 5, &why), 0);
	KUNIT_EXPECT_EQ(test, ispt_defkey_store(ISPT_DEFKEY_MAX_BURST, "65536", 5, &why), 0);
	ispt_login_defaults_get(&after);
	KUNIT_EXPECT_EQ(test, after.first_burst, 65536U);
	KUNIT_EXPECT_EQ(test, after.max_burst, 65536U);
	KUNIT_EXPECT_EQ(test, ispt_defkey_store(ISPT_DEFKEY_IMMEDIATE_DATA, "Maybe", 5, &why),
			-EINVAL);
	ispt_login_defaults_get(&before);
	KUNIT_EXPECT_EQ(test, memcmp(&before, &after, sizeof(after)), 0);
}

static void logindefs_exit(struct kunit *test)
{
	const char *why;

	ispt_login_defaults_set(&ispt_login_defaults_builtin, &why);
}

static struct kunit_case ispt_logindefs_cases[] = {
	KUNIT_CASE_PARAM(ispt_logindefs_parse, defkey_gen_params),
	KUNIT_CASE(ispt_logindefs_format_round_trip),
	KUNIT_CASE(ispt_logindefs_cross_check),
	KUNIT_CASE(ispt_logindefs_store),
	{}
};

static struct kunit_suite ispt_logindefs_suite = {
	.name = "iscsi_spt_logindefs",
	.exit = logindefs_exit,
	.test_cases = ispt_logindefs_cases,
};

kunit_test_suite(ispt_logindefs_suite);
