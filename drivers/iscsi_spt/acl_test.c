// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for initiator groups: iSCSI name validation, netmask
 * parsing and matching, and the name and netmask lists.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "acl.h"

/* iSCSI names */

struct name_case {
	const char	*name;
	size_t		pad_to;		/* pad with 'a' to this length */
	bool		valid;
};

static const struct name_case name_cases[] = {
	{ "iqn.2001-04.com.example", 0, true },
	{ "iqn.2001-04.com.example:storage", 0, true },
	{ "iqn.2001-04.com.example:storage:diskarrays-sn-a8675309", 0, true },
	{ "iqn.2001-04.com.example:storage.disk2.sys1.xyz", 0, true },
	{ "iqn.1994-05.com.redhat:5e1c8f2e3d", 0, true },
	{ "iqn.2026-11.org.iscsi-spt:test", 0, true },
	{ "iqn.2001-12.a", 0, true },
	{ "iqn.2001-01.com.example.sub-domain", 0, true },
	{ "iqn.2001-04.com.example:", ISPT_NAME_MAX, true },
	{ "eui.02004567a425678d", 0, true },
	{ "naa.52004567ba64678d", 0, true },
	{ "naa.62004567ba64678d0123456789abcdef", 0, true },

	{ "", 0, false },
	{ "iqn.2001-04.com.example:", ISPT_NAME_MAX + 1, false },
	{ "IQN.2001-04.com.example", 0, false },
	{ "iqn.2001-04.com.Example", 0, false },
	{ "iqn.2001-04.com.example:Disk", 0, false },
	{ "eui.02004567A425678D", 0, false },
	{ "eui.02004567a425678", 0, false },
	{ "eui.02004567a425678d0", 0, false },
	{ "eui.02004567a425678g", 0, false },
	{ "eui.", 0, false },
	{ "naa.52004567ba64678", 0, false },
	{ "naa.52004567ba64678d0", 0, false },
	{ "naa.62004567ba64678d0123456789abcde", 0, false },
	{ "naa.62004567ba64678d0123456789abcdef0", 0, false },
	{ "iqn.01-04.com.example", 0, false },
	{ "iqn.2001-4.com.example", 0, false },
	{ "iqn.2001-13.com.example", 0, false },
	{ "iqn.2001-00.com.example", 0, false },
	{ "iqn.2001-04", 0, false },
	{ "iqn.2001-04.", 0, false },
	{ "iqn.2001-04.:storage", 0, false },
	{ "iqn.2001-04.com..example", 0, false },
	{ "iqn.2001-04.com.example.", 0, false },
	{ "iqn.2001-04.com.example:", 0, false },
	{ "iqn.2001-04.com.example:foo bar", 0, false },
	{ "iqn.2001-04.com.example:foo_bar", 0, false },
	{ "iqn.2001-04.com.example:foo/bar", 0, false },
	{ "iqn.2001-04.com.example:caf\xc3\xa9", 0, false },
	{ "iqn 2001-04.com.example", 0, false },
	{ "iqn.", 0, false },
	{ "iqn2001-04.com.example", 0, false },
	{ "foo.2001-04.com.example", 0, false },
	{ "2001-04.com.example", 0, false },
	{ "ANY", 0, false },
};

static void name_case_desc(const struct name_case *c, char *desc)
{
	if (c->pad_to)
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s padded to %zu bytes",
			 c->name, c->pad_to);
	else
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->name);
}

KUNIT_ARRAY_PARAM(name, name_cases, name_case_desc);

static void ispt_acl_name_valid_test(struct kunit *test)
{
	const struct name_case *c = test->param_value;
	size_t len = strlen(c->name);
	const char *why = NULL;
	char *name;

	name = kunit_kzalloc(test, max(len, c->pad_to) + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, name);
	memcpy(name, c->name, len);
	if (c->pad_to > len) {
		memset(name + len, 'a', c->pad_to - len);
		len = c->pad_to;
	}
	KUNIT_EXPECT_EQ(test, ispt_iscsi_name_valid(name, len, &why), c->valid);
	if (!c->valid)
		KUNIT_EXPECT_NOT_NULL(test, why);
}

/* Only the first len bytes count: a valid prefix with a NUL after. */
static void ispt_acl_name_len_test(struct kunit *test)
{
	static const char name[] = "iqn.2001-04.com.example:a\0b";

	KUNIT_EXPECT_TRUE(test, ispt_iscsi_name_valid(name, 25, NULL));
	KUNIT_EXPECT_FALSE(test, ispt_iscsi_name_valid(name, 27, NULL));
	KUNIT_EXPECT_FALSE(test, ispt_iscsi_name_valid(name, 24, NULL));
}

/* Netmask parsing: the canonical form printed back, or NULL if invalid. */

struct netmask_case {
	const char	*str;
	const char	*canonical;
};

static const struct netmask_case netmask_cases[] = {
	{ "192.0.2.0/24", "192.0.2.0/24" },
	{ "192.0.2.1", "192.0.2.1/32" },
	{ "192.0.2.1/32", "192.0.2.1/32" },
	{ "0.0.0.0/0", "0.0.0.0/0" },
	{ "10.0.0.0/8", "10.0.0.0/8" },
	{ "192.0.2.0/23", "192.0.2.0/23" },
	{ "198.51.100.128/25", "198.51.100.128/25" },
	{ "2001:db8::/32", "2001:db8::/32" },
	{ "2001:db8::1", "2001:db8::1/128" },
	{ "2001:db8:0:0:0:0:0:1/128", "2001:db8::1/128" },
	{ "::/0", "::/0" },
	{ "2001:db8::80/121", "2001:db8::80/121" },
	{ "::ffff:192.0.2.0/120", "::ffff:192.0.2.0/120" },
	{ "fe80::/10", "fe80::/10" },

	{ "", NULL },
	{ "/24", NULL },
	{ "192.0.2.0/", NULL },
	{ "192.0.2.0/33", NULL },
	{ "2001:db8::/129", NULL },
	{ "192.0.2.1/24", NULL },
	{ "192.0.2.0/22", NULL },
	{ "2001:db8::1/64", NULL },
	{ "2001:db8::c0/121", NULL },
	{ "::1/0", NULL },
	{ "192.0.2.0/+4", NULL },
	{ "192.0.2.0/-4", NULL },
	{ "192.0.2.0/0024", NULL },
	{ "192.0.2.0/24/1", NULL },
	{ "192.0.2.0/abc", NULL },
	{ "192.0.2/24", NULL },
	{ "256.0.0.0/8", NULL },
	{ "192.0.2.0.1/32", NULL },
	{ "192.0.2.0 /24", NULL },
	{ "2001:db8:::/32", NULL },
	{ "2001:db8::g/128", NULL },
	{ "fe80::1%eth0/128", NULL },
	{ "[2001:db8::1]", NULL },
	{ "example.com/24", NULL },
	{ "ANY", NULL },
	{ "1234/8", NULL },
};

static void netmask_case_desc(const struct netmask_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->str);
}

KUNIT_ARRAY_PARAM(netmask, netmask_cases, netmask_case_desc);

static void ispt_acl_netmask_parse_test(struct kunit *test)
{
	const struct netmask_case *c = test->param_value;
	struct ispt_netmask mask;
	const char *why = NULL;
	char out[64];
	int ret;

	ret = ispt_netmask_parse(c->str, strlen(c->str), &mask, &why);
	if (!c->canonical) {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		KUNIT_EXPECT_NOT_NULL(test, why);
		return;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	if (mask.family == AF_INET)
		snprintf(out, sizeof(out), "%pI4/%u", &mask.addr.v4, mask.prefix);
	else
		snprintf(out, sizeof(out), "%pI6c/%u", &mask.addr.v6, mask.prefix);
	KUNIT_EXPECT_STREQ(test, out, c->canonical);
}

/* Netmask matching */

/* "a.b.c.d" as AF_INET, anything with a ':' as AF_INET6. */
static void make_addr(struct kunit *test, const char *str,
		      struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(str, ':')) {
		sin6->sin6_family = AF_INET6;
		KUNIT_ASSERT_EQ(test, in6_pton(str, -1, sin6->sin6_addr.s6_addr,
					       -1, NULL), 1);
	} else {
		sin->sin_family = AF_INET;
		KUNIT_ASSERT_EQ(test, in4_pton(str, -1, (u8 *)&sin->sin_addr,
					       -1, NULL), 1);
	}
}

struct match_case {
	const char	*mask;
	const char	*peer;
	bool		match;
};

static const struct match_case match_cases[] = {
	{ "192.0.2.0/24", "192.0.2.77", true },
	{ "192.0.2.0/24", "192.0.2.0", true },
	{ "192.0.2.0/24", "192.0.2.255", true },
	{ "192.0.2.0/23", "192.0.3.255", true },
	{ "0.0.0.0/0", "203.0.113.9", true },
	{ "0.0.0.0/0", "::ffff:203.0.113.9", true },
	{ "192.0.2.1", "192.0.2.1", true },
	{ "192.0.2.0/24", "::ffff:192.0.2.5", true },
	{ "198.51.100.128/25", "198.51.100.200", true },
	{ "2001:db8::/32", "2001:db8:1::1", true },
	{ "::/0", "2001:db8::1", true },
	{ "::/0", "::ffff:192.0.2.1", true },
	{ "2001:db8::1", "2001:db8::1", true },
	{ "2001:db8::80/121", "2001:db8::ff", true },
	{ "::ffff:192.0.2.0/120", "::ffff:192.0.2.9", true },

	{ "192.0.2.0/24", "192.0.3.1", false },
	{ "192.0.2.0/23", "192.0.4.0", false },
	{ "192.0.2.0/23", "192.0.1.255", false },
	{ "0.0.0.0/0", "2001:db8::1", false },
	{ "192.0.2.1", "192.0.2.2", false },
	{ "192.0.2.0/24", "::ffff:192.0.3.5", false },
	{ "192.0.2.0/24", "::192.0.2.1", false },
	{ "198.51.100.128/25", "198.51.100.127", false },
	{ "2001:db8::/32", "2001:db9::1", false },
	{ "2001:db8::/32", "192.0.2.1", false },
	{ "::/0", "192.0.2.1", false },
	{ "2001:db8::1", "2001:db8::2", false },
	{ "2001:db8::80/121", "2001:db8::7f", false },
	{ "::ffff:192.0.2.0/120", "192.0.2.9", false },
};

static void match_case_desc(const struct match_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s %s", c->peer,
		 c->match ? "in" : "not in", c->mask);
}

KUNIT_ARRAY_PARAM(match, match_cases, match_case_desc);

static void ispt_acl_netmask_match_test(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct sockaddr_storage peer;
	struct ispt_netmask mask;

	KUNIT_ASSERT_EQ(test, ispt_netmask_parse(c->mask, strlen(c->mask),
						 &mask, NULL), 0);
	make_addr(test, c->peer, &peer);
	KUNIT_EXPECT_EQ(test, ispt_netmask_match(&mask, &peer), c->match);
}

/* Lists: what parses, into how many entries. */

struct list_case {
	const char	*text;
	bool		netmasks;
	int		nr;		/* -1: invalid */
	bool		any;
	const char	*bad_tok;	/* the token an error names */
};

#define IQN_A	"iqn.2001-04.com.example:a"
#define IQN_B	"iqn.2001-04.com.example:b"

static const struct list_case list_cases[] = {
	{ "", false, 0, false },
	{ "\n", false, 0, false },
	{ "ANY", false, 0, true },
	{ "ANY\n", false, 0, true },
	{ IQN_A "\n", false, 1, false },
	{ IQN_A " " IQN_B "\n", false, 2, false },
	{ "  " IQN_A "\n\n" IQN_B "\t", false, 2, false },
	{ "eui.02004567a425678d\nnaa.52004567ba64678d\n", false, 2, false },
	{ "", true, 0, false },
	{ "ANY\n", true, 0, true },
	{ "192.0.2.0/24 2001:db8::/32\n", true, 2, false },
	{ "192.0.2.1\n10.0.0.0/8\n::/0\n", true, 3, false },

	{ "ANY " IQN_A, false, -1, false, "ANY" },
	{ IQN_A " ANY", false, -1, false, "ANY" },
	{ "ANY ANY", false, -1, false, "ANY" },
	{ "any", false, -1, false, "any" },
	{ IQN_A " " IQN_A, false, -1, false, IQN_A },
	{ IQN_A " iqn.2001-04.com.example:A", false, -1, false,
	  "iqn.2001-04.com.example:A" },
	{ IQN_A ", " IQN_B, false, -1, false, IQN_A "," },
	{ "ANY 192.0.2.0/24", true, -1, false, "ANY" },
	{ "192.0.2.0/24 192.0.2.0/24", true, -1, false, "192.0.2.0/24" },
	{ "192.0.2.0/24 192.0.2.1/24", true, -1, false, "192.0.2.1/24" },
	{ "any", true, -1, false, "any" },
	{ IQN_A, true, -1, false, IQN_A },
};

static void list_case_desc(const struct list_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s \"%s\"",
		 c->netmasks ? "netmasks" : "names", c->text);
}

KUNIT_ARRAY_PARAM(list, list_cases, list_case_desc);

static void ispt_acl_list_parse_test(struct kunit *test)
{
	const struct list_case *c = test->param_value;
	struct ispt_acl_netmasks *masks = NULL;
	struct ispt_acl_names *names = NULL;
	struct ispt_acl_err err = {};
	unsigned int nr = 0;
	bool any = false;
	void *ret;

	if (c->netmasks) {
		masks = ispt_acl_netmasks_parse(c->text, strlen(c->text), &err);
		ret = masks;
		if (!IS_ERR(masks)) {
			nr = masks->nr;
			any = masks->any;
		}
	} else {
		names = ispt_acl_names_parse(c->text, strlen(c->text), &err);
		ret = names;
		if (!IS_ERR(names)) {
			nr = names->nr;
			any = names->any;
		}
	}
	if (c->nr < 0) {
		KUNIT_ASSERT_EQ(test, PTR_ERR(ret), -EINVAL);
		KUNIT_EXPECT_NOT_NULL(test, err.why);
		KUNIT_EXPECT_EQ(test, err.toklen, (int)strlen(c->bad_tok));
		KUNIT_EXPECT_EQ(test, strncmp(err.tok, c->bad_tok, err.toklen), 0);
		return;
	}
	KUNIT_ASSERT_FALSE(test, IS_ERR(ret));
	KUNIT_EXPECT_EQ(test, nr, (unsigned int)c->nr);
	KUNIT_EXPECT_EQ(test, any, c->any);
	kfree(ret);
}

/* More than ISPT_ACL_MAX entries are refused, exactly that many are not. */
static void ispt_acl_list_limit_test(struct kunit *test)
{
	static const char entry[] = "iqn.2001-04.com.example:n0000 ";
	size_t elen = sizeof(entry) - 1, len = (ISPT_ACL_MAX + 1) * elen;
	struct ispt_acl_names *names;
	struct ispt_acl_err err;
	char *text;
	int i;

	text = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	for (i = 0; i <= ISPT_ACL_MAX; i++) {
		memcpy(text + i * elen, entry, elen);
		snprintf(text + i * elen + elen - 5, 5, "%04d", i);
		text[i * elen + elen - 1] = ' ';
	}
	names = ispt_acl_names_parse(text, len, &err);
	KUNIT_EXPECT_EQ(test, PTR_ERR(names), -EINVAL);

	names = ispt_acl_names_parse(text, len - elen, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(names));
	KUNIT_EXPECT_EQ(test, names->nr, ISPT_ACL_MAX);
	KUNIT_EXPECT_STREQ(test, names->name[ISPT_ACL_MAX - 1],
			   "iqn.2001-04.com.example:n0255");
	kfree(names);
}

/* Name matching is exact, and "ANY" admits every name. */

struct names_match_case {
	const char	*list;
	const char	*initiator;
	bool		match;
};

static const struct names_match_case names_match_cases[] = {
	{ IQN_A " " IQN_B, IQN_A, true },
	{ IQN_A " " IQN_B, IQN_B, true },
	{ "ANY", IQN_A, true },
	{ "ANY", "eui.02004567a425678d", true },

	{ IQN_A " " IQN_B, "iqn.2001-04.com.example:c", false },
	{ IQN_A, "iqn.2001-04.com.example:", false },
	{ IQN_A, IQN_A "a", false },
	{ IQN_A, "IQN.2001-04.COM.EXAMPLE:A", false },
	{ IQN_A, "", false },
	{ "", IQN_A, false },
};

static void names_match_case_desc(const struct names_match_case *c,
				  char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\" %s \"%s\"", c->initiator,
		 c->match ? "in" : "not in", c->list);
}

KUNIT_ARRAY_PARAM(names_match, names_match_cases, names_match_case_desc);

static void ispt_acl_names_match_test(struct kunit *test)
{
	const struct names_match_case *c = test->param_value;
	struct ispt_acl_names *names;
	struct ispt_acl_err err;

	names = ispt_acl_names_parse(c->list, strlen(c->list), &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(names));
	KUNIT_EXPECT_EQ(test, ispt_acl_names_match(names, c->initiator),
			c->match);
	kfree(names);
}

/* A group needs both its name and its address lists to admit anyone. */
static void ispt_acl_group_test(struct kunit *test)
{
	struct sockaddr_storage in, out;
	struct ispt_acl_err err;
	struct ispt_ig *ig;

	make_addr(test, "192.0.2.9", &in);
	make_addr(test, "198.51.100.9", &out);
	ig = ispt_ig_create(7);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ig));
	KUNIT_EXPECT_EQ(test, ispt_ig_tag(ig), 7);

	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, ispt_ig_allows(ig, IQN_A, &in));
	rcu_read_unlock();

	ispt_ig_set_names(ig, ispt_acl_names_parse(IQN_A, strlen(IQN_A), &err));
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, ispt_ig_allows(ig, IQN_A, &in));
	rcu_read_unlock();

	ispt_ig_set_netmasks(ig, ispt_acl_netmasks_parse("192.0.2.0/24", 12,
							 &err));
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, ispt_ig_allows(ig, IQN_A, &in));
	KUNIT_EXPECT_FALSE(test, ispt_ig_allows(ig, IQN_A, &out));
	KUNIT_EXPECT_FALSE(test, ispt_ig_allows(ig, IQN_B, &in));
	rcu_read_unlock();

	/* A write replaces the list: IQN_A is gone. */
	ispt_ig_set_names(ig, ispt_acl_names_parse(IQN_B, strlen(IQN_B), &err));
	ispt_ig_set_netmasks(ig, ispt_acl_netmasks_parse("ANY", 3, &err));
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, ispt_ig_allows(ig, IQN_A, &in));
	KUNIT_EXPECT_TRUE(test, ispt_ig_allows(ig, IQN_B, &out));
	rcu_read_unlock();
	ispt_ig_put(ig);
}

static struct kunit_case ispt_acl_cases[] = {
	KUNIT_CASE_PARAM(ispt_acl_name_valid_test, name_gen_params),
	KUNIT_CASE(ispt_acl_name_len_test),
	KUNIT_CASE_PARAM(ispt_acl_netmask_parse_test, netmask_gen_params),
	KUNIT_CASE_PARAM(ispt_acl_netmask_match_test, match_gen_params),
	KUNIT_CASE_PARAM(ispt_acl_list_parse_test, list_gen_params),
	KUNIT_CASE(ispt_acl_list_limit_test),
	KUNIT_CASE_PARAM(ispt_acl_names_match_test, names_match_gen_params),
	KUNIT_CASE(ispt_acl_group_test),
	{}
};

static struct kunit_suite ispt_acl_suite = {
	.name = "iscsi_spt_acl",
	.test_cases = ispt_acl_cases,
};

kunit_test_suite(ispt_acl_suite);
