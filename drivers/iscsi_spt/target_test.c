// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the configuration model: target lookup, access checks
 * through portal-group-to-initiator-group maps, and SendTargets text.
 *
 * The suite builds one model without configfs and without sockets
 * (portals are added without listening):
 *
 *   pg 101: 192.0.2.1:3260, [2001:db8::1]:3261
 *   pg 102: 0.0.0.0:3262, [::]:3263
 *   pg 103: 198.51.100.1:3260
 *   ig 1 "alpha": iqn.1994-05.com.redhat:alpha from 192.0.2.0/24, 2001:db8::/32
 *   ig 2 "anyone": ANY from ANY
 *   ig 3 "gamma": iqn.1994-05.com.redhat:gamma from ANY
 *   t1: pg 101 -> ig 1, pg 102 -> ig 2
 *   t2: pg 103 -> ig 3
 *   t3: pg 101 -> nothing
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "acl.h"
#include "target.h"

#define T1	"iqn.2026-11.org.iscsi-spt:t1"
#define T2	"iqn.2026-11.org.iscsi-spt:t2"
#define T3	"iqn.2026-11.org.iscsi-spt:t3"
#define ALPHA	"iqn.1994-05.com.redhat:alpha"
#define BETA	"iqn.1994-05.com.redhat:beta"
#define GAMMA	"iqn.1994-05.com.redhat:gamma"

static const struct {
	u16		tag;
	const char	*addr[2];
} model_pgs[] = {
	{ 101, { "192.0.2.1:3260", "[2001:db8::1]:3261" } },
	{ 102, { "0.0.0.0:3262", "[::]:3263" } },
	{ 103, { "198.51.100.1:3260" } },
};

static const struct {
	const char	*names;
	const char	*netmasks;
} model_igs[] = {
	{ ALPHA, "192.0.2.0/24 2001:db8::/32" },
	{ "ANY", "ANY" },
	{ GAMMA, "ANY" },
};

static const struct {
	const char	*target;
	u16		pg_tag;
	int		ig;		/* index in model_igs, -1: none */
} model_maps[] = {
	{ T1, 101, 0 },
	{ T1, 102, 1 },
	{ T2, 103, 2 },
	{ T3, 101, -1 },
};

static const char * const model_targets[] = { T1, T2, T3 };

static struct model {
	struct ispt_portal_group	*pg[ARRAY_SIZE(model_pgs)];
	struct ispt_pg_portal		*portal[ARRAY_SIZE(model_pgs)][2];
	struct ispt_ig			*ig[ARRAY_SIZE(model_igs)];
	struct ispt_target		*target[ARRAY_SIZE(model_targets)];
	struct ispt_map			*map[ARRAY_SIZE(model_maps)];
} model;

/* Test addresses: "a.b.c.d[:port]" or "[v6][:port]", as portals take them. */
static int parse_sockaddr(const char *str, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	const char *end, *port = NULL;
	u16 portnum = 3260;

	memset(ss, 0, sizeof(*ss));
	if (str[0] == '[') {
		sin6->sin6_family = AF_INET6;
		if (!in6_pton(str + 1, -1, sin6->sin6_addr.s6_addr, ']', &end))
			return -EINVAL;
		if (end[1] == ':')
			port = end + 2;
	} else {
		sin->sin_family = AF_INET;
		if (!in4_pton(str, -1, (u8 *)&sin->sin_addr, ':', &end))
			return -EINVAL;
		if (*end == ':')
			port = end + 1;
	}
	if (port && kstrtou16(port, 10, &portnum))
		return -EINVAL;
	if (sin->sin_family == AF_INET)
		sin->sin_port = htons(portnum);
	else
		sin6->sin6_port = htons(portnum);
	return 0;
}

static struct ispt_target *model_target(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(model_targets); i++)
		if (!strcmp(model_targets[i], name))
			return model.target[i];
	return NULL;
}

static void model_destroy(void)
{
	int i, j;

	for (i = 0; i < ARRAY_SIZE(model_maps); i++) {
		if (!model.map[i])
			continue;
		if (model_maps[i].ig >= 0 && model.ig[model_maps[i].ig])
			ispt_map_unlink(model.map[i],
					model.ig[model_maps[i].ig]);
		ispt_map_destroy(model.map[i]);
	}
	for (i = 0; i < ARRAY_SIZE(model_targets); i++)
		if (model.target[i])
			ispt_target_destroy(model.target[i]);
	for (i = 0; i < ARRAY_SIZE(model_igs); i++)
		if (model.ig[i])
			ispt_ig_put(model.ig[i]);
	for (i = 0; i < ARRAY_SIZE(model_pgs); i++) {
		for (j = 0; j < 2; j++)
			if (model.portal[i][j])
				ispt_pg_portal_remove(model.portal[i][j]);
		if (model.pg[i])
			ispt_pg_destroy(model.pg[i]);
	}
	memset(&model, 0, sizeof(model));
}

static int model_build_pgs(void)
{
	struct sockaddr_storage addr;
	const char *str;
	int i, j;

	for (i = 0; i < ARRAY_SIZE(model_pgs); i++) {
		model.pg[i] = ispt_pg_create(model_pgs[i].tag);
		if (IS_ERR(model.pg[i]))
			return PTR_ERR(model.pg[i]);
		for (j = 0; j < 2 && model_pgs[i].addr[j]; j++) {
			str = model_pgs[i].addr[j];
			if (parse_sockaddr(str, &addr))
				return -EINVAL;
			model.portal[i][j] = ispt_pg_portal_add(model.pg[i],
								&addr, false);
			if (IS_ERR(model.portal[i][j]))
				return PTR_ERR(model.portal[i][j]);
		}
	}
	return 0;
}

static int model_build_igs(void)
{
	struct ispt_acl_netmasks *masks;
	struct ispt_acl_names *names;
	struct ispt_acl_err err;
	const char *text;
	int i;

	for (i = 0; i < ARRAY_SIZE(model_igs); i++) {
		model.ig[i] = ispt_ig_create(i + 1);
		if (IS_ERR(model.ig[i]))
			return PTR_ERR(model.ig[i]);
		text = model_igs[i].names;
		names = ispt_acl_names_parse(text, strlen(text), &err);
		if (IS_ERR(names))
			return PTR_ERR(names);
		ispt_ig_set_names(model.ig[i], names);
		text = model_igs[i].netmasks;
		masks = ispt_acl_netmasks_parse(text, strlen(text), &err);
		if (IS_ERR(masks))
			return PTR_ERR(masks);
		ispt_ig_set_netmasks(model.ig[i], masks);
	}
	return 0;
}

static int model_build(void)
{
	int i, ret;

	ret = model_build_pgs();
	if (ret)
		return ret;
	ret = model_build_igs();
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(model_targets); i++) {
		model.target[i] = ispt_target_create(model_targets[i]);
		if (IS_ERR(model.target[i]))
			return PTR_ERR(model.target[i]);
	}
	for (i = 0; i < ARRAY_SIZE(model_maps); i++) {
		model.map[i] = ispt_map_create(model_target(model_maps[i].target),
					       model_maps[i].pg_tag);
		if (IS_ERR(model.map[i]))
			return PTR_ERR(model.map[i]);
		if (model_maps[i].ig < 0)
			continue;
		ret = ispt_map_link(model.map[i], model.ig[model_maps[i].ig]);
		if (ret)
			return ret;
	}
	return 0;
}

static int ispt_target_suite_init(struct kunit_suite *suite)
{
	int ret = model_build();

	/* Leave nothing half-built for the next suite. */
	if (ret) {
		model_destroy();
		return ret;
	}
	return 0;
}

static void ispt_target_suite_exit(struct kunit_suite *suite)
{
	model_destroy();
}

/* Lookup */

static void ispt_target_find_test(struct kunit *test)
{
	struct ispt_target *target;

	target = ispt_target_find(T1);
	KUNIT_ASSERT_NOT_NULL(test, target);
	KUNIT_EXPECT_PTR_EQ(test, target, model.target[0]);
	KUNIT_EXPECT_STREQ(test, ispt_target_name(target), T1);
	ispt_target_put(target);

	KUNIT_EXPECT_NULL(test, ispt_target_find("iqn.2026-11.org.iscsi-spt:t4"));
	KUNIT_EXPECT_NULL(test, ispt_target_find("IQN.2026-11.ORG.ISCSI-SPT:T1"));
	KUNIT_EXPECT_NULL(test, ispt_target_find("iqn.2026-11.org.iscsi-spt:t"));
	KUNIT_EXPECT_NULL(test, ispt_target_find(""));
}

/* A login holding a target keeps it readable after it is removed. */
static void ispt_target_removed_while_held_test(struct kunit *test)
{
	static const char name[] = "iqn.2026-11.org.iscsi-spt:gone";
	struct sockaddr_storage peer;
	struct ispt_target *target, *held;
	struct ispt_map *map;

	KUNIT_ASSERT_EQ(test, parse_sockaddr("192.0.2.9", &peer), 0);
	target = ispt_target_create(name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(target));
	map = ispt_map_create(target, 102);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	KUNIT_ASSERT_EQ(test, ispt_map_link(map, model.ig[1]), 0);

	held = ispt_target_find(name);
	KUNIT_ASSERT_PTR_EQ(test, held, target);
	KUNIT_EXPECT_EQ(test, ispt_target_access(held, 102, BETA, &peer),
			ISPT_ACCESS_ALLOWED);

	ispt_map_unlink(map, model.ig[1]);
	ispt_map_destroy(map);
	ispt_target_destroy(target);

	KUNIT_EXPECT_NULL(test, ispt_target_find(name));
	KUNIT_EXPECT_STREQ(test, ispt_target_name(held), name);
	KUNIT_EXPECT_EQ(test, ispt_target_access(held, 102, BETA, &peer),
			ISPT_ACCESS_NO_MAP);
	ispt_target_put(held);
}

static void ispt_target_alias_test(struct kunit *test)
{
	struct ispt_target *target = model.target[2];
	char long_alias[ISPT_ALIAS_MAX + 2];
	char buf[ISPT_ALIAS_MAX + 1];

	KUNIT_EXPECT_EQ(test, ispt_target_alias(target, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "");

	KUNIT_ASSERT_EQ(test, ispt_target_set_alias(target, "Disk 3", 6), 0);
	KUNIT_EXPECT_EQ(test, ispt_target_alias(target, buf, sizeof(buf)), 6);
	KUNIT_EXPECT_STREQ(test, buf, "Disk 3");
	KUNIT_EXPECT_EQ(test, ispt_target_alias(target, buf, 5), 4);
	KUNIT_EXPECT_STREQ(test, buf, "Disk");

	memset(long_alias, 'x', sizeof(long_alias));
	KUNIT_EXPECT_EQ(test, ispt_target_set_alias(target, long_alias,
						    ISPT_ALIAS_MAX + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ispt_target_set_alias(target, "a\tb", 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, ispt_target_set_alias(target, "a\nb", 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, ispt_target_set_alias(target, "caf\xc3\xa9", 5),
			-EINVAL);
	/* Failed writes leave the alias as it was. */
	KUNIT_EXPECT_EQ(test, ispt_target_alias(target, buf, sizeof(buf)), 6);

	KUNIT_ASSERT_EQ(test, ispt_target_set_alias(target, long_alias,
						    ISPT_ALIAS_MAX), 0);
	KUNIT_EXPECT_EQ(test, ispt_target_alias(target, buf, sizeof(buf)),
			ISPT_ALIAS_MAX);

	KUNIT_ASSERT_EQ(test, ispt_target_set_alias(target, "", 0), 0);
	KUNIT_EXPECT_EQ(test, ispt_target_alias(target, buf, sizeof(buf)), 0);
}

/* Edits the model refuses, and leaves as it was. */
static void ispt_target_model_errors_test(struct kunit *test)
{
	struct sockaddr_storage addr;
	struct ispt_pg_portal *portal;

	KUNIT_EXPECT_EQ(test, PTR_ERR(ispt_pg_create(101)), -EEXIST);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ispt_target_create(T1)), -EEXIST);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ispt_target_create("iqn.2026-11.Org")),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ispt_map_create(model.target[0], 101)),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ispt_map_create(model.target[0], 999)),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ispt_map_link(model.map[0], model.ig[0]), -EEXIST);

	/* The same address in another group, or in the same one. */
	KUNIT_ASSERT_EQ(test, parse_sockaddr("192.0.2.1:3260", &addr), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ispt_pg_portal_add(model.pg[2], &addr,
							 false)), -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ispt_pg_portal_add(model.pg[0], &addr,
							 false)), -EADDRINUSE);
	/* Another port on the same address is another portal. */
	KUNIT_ASSERT_EQ(test, parse_sockaddr("192.0.2.1:3270", &addr), 0);
	portal = ispt_pg_portal_add(model.pg[2], &addr, false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(portal));
	ispt_pg_portal_remove(portal);
}

/* Access */

struct access_case {
	const char		*target;
	u16			pg_tag;
	const char		*initiator;
	const char		*peer;
	enum ispt_access	access;
};

static const struct access_case access_cases[] = {
	{ T1, 101, ALPHA, "192.0.2.10", ISPT_ACCESS_ALLOWED },
	{ T1, 101, ALPHA, "[::ffff:192.0.2.10]", ISPT_ACCESS_ALLOWED },
	{ T1, 101, ALPHA, "[2001:db8::5]", ISPT_ACCESS_ALLOWED },
	{ T1, 102, ALPHA, "203.0.113.1", ISPT_ACCESS_ALLOWED },
	{ T1, 102, BETA, "[2001:db8:ffff::1]", ISPT_ACCESS_ALLOWED },
	{ T2, 103, GAMMA, "198.51.100.77", ISPT_ACCESS_ALLOWED },

	{ T1, 101, ALPHA, "198.51.100.1", ISPT_ACCESS_DENIED },
	{ T1, 101, ALPHA, "[2001:db9::5]", ISPT_ACCESS_DENIED },
	{ T1, 101, BETA, "192.0.2.10", ISPT_ACCESS_DENIED },
	{ T1, 101, "IQN.1994-05.COM.REDHAT:ALPHA", "192.0.2.10",
	  ISPT_ACCESS_DENIED },
	{ T2, 103, ALPHA, "198.51.100.77", ISPT_ACCESS_DENIED },
	{ T3, 101, ALPHA, "192.0.2.10", ISPT_ACCESS_DENIED },
	{ T1, 103, ALPHA, "192.0.2.10", ISPT_ACCESS_NO_MAP },
	{ T1, 999, ALPHA, "192.0.2.10", ISPT_ACCESS_NO_MAP },
	{ T2, 101, GAMMA, "192.0.2.10", ISPT_ACCESS_NO_MAP },
	{ T3, 102, ALPHA, "192.0.2.10", ISPT_ACCESS_NO_MAP },
};

static void access_case_desc(const struct access_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s pg %u %s from %s",
		 c->target + strlen("iqn.2026-11.org.iscsi-spt:"), c->pg_tag,
		 c->initiator + strlen("iqn.1994-05.com.redhat:"), c->peer);
}

KUNIT_ARRAY_PARAM(access, access_cases, access_case_desc);

static void ispt_target_access_test(struct kunit *test)
{
	const struct access_case *c = test->param_value;
	struct sockaddr_storage peer;
	struct ispt_target *target;

	KUNIT_ASSERT_EQ(test, parse_sockaddr(c->peer, &peer), 0);
	target = ispt_target_find(c->target);
	KUNIT_ASSERT_NOT_NULL(test, target);
	KUNIT_EXPECT_EQ(test, ispt_target_access(target, c->pg_tag,
						 c->initiator, &peer),
			c->access);
	ispt_target_put(target);
}

/* Wildcard substitution */

struct address_case {
	const char	*portal;
	const char	*local;		/* NULL: none given */
	const char	*expect;	/* NULL: cannot be advertised */
};

static const struct address_case address_cases[] = {
	{ "192.0.2.1:3260", "10.0.2.15:40000", "192.0.2.1:3260" },
	{ "192.0.2.1:3260", NULL, "192.0.2.1:3260" },
	{ "[2001:db8::1]:3261", "10.0.2.15", "[2001:db8::1]:3261" },
	{ "0.0.0.0:3262", "10.0.2.15:40000", "10.0.2.15:3262" },
	{ "0.0.0.0:3262", "[::ffff:10.0.2.15]:40000", "10.0.2.15:3262" },
	{ "[::]:3263", "[2001:db8::7]:40000", "[2001:db8::7]:3263" },
	{ "[::]:3263", "[::ffff:10.0.2.15]", "[::ffff:10.0.2.15]:3263" },

	{ "0.0.0.0:3262", "[2001:db8::7]:40000", NULL },
	{ "[::]:3263", "10.0.2.15:40000", NULL },
	{ "0.0.0.0:3262", NULL, NULL },
	{ "[::]:3263", NULL, NULL },
};

static void address_case_desc(const struct address_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s asked at %s", c->portal,
		 c->local ? c->local : "nowhere");
}

KUNIT_ARRAY_PARAM(address, address_cases, address_case_desc);

static void ispt_target_address_test(struct kunit *test)
{
	const struct address_case *c = test->param_value;
	struct sockaddr_storage portal, local, addr;
	char out[64];
	bool ok;

	KUNIT_ASSERT_EQ(test, parse_sockaddr(c->portal, &portal), 0);
	if (c->local)
		KUNIT_ASSERT_EQ(test, parse_sockaddr(c->local, &local), 0);
	ok = ispt_target_address(&addr, &portal, c->local ? &local : NULL);
	KUNIT_ASSERT_EQ(test, ok, !!c->expect);
	if (!ok)
		return;
	snprintf(out, sizeof(out), "%pISpc", &addr);
	KUNIT_EXPECT_STREQ(test, out, c->expect);
}

/* SendTargets */

struct send_targets_case {
	const char	*desc;
	const char	*which;
	u16		pg_tag;
	const char	*initiator;
	const char	*peer;
	const char	*local;
	bool		fit;		/* size the buffer to what is needed */
	int		short_by;	/* ... less this; -1: no buffer at all */
	const char	*expect;	/* NUL-separated pairs */
	int		expect_len;	/* or -errno */
};

#define TEXT(s)		.expect = s, .expect_len = sizeof(s) - 1
#define T1_NAME		"TargetName=" T1 "\0"
#define T2_NAME		"TargetName=" T2 "\0"
#define PG101		"TargetAddress=192.0.2.1:3260,101\0" \
			"TargetAddress=[2001:db8::1]:3261,101\0"

static const struct send_targets_case send_targets_cases[] = {
	{ "alpha through pg 101", "All", 101, ALPHA, "192.0.2.10",
	  "192.0.2.1:3260", false, 0,
	  TEXT(T1_NAME PG101 "TargetAddress=192.0.2.1:3262,102\0") },
	{ "alpha through pg 102: its group first", "All", 102, ALPHA,
	  "192.0.2.10", "10.0.2.15:3262", false, 0,
	  TEXT(T1_NAME "TargetAddress=10.0.2.15:3262,102\0" PG101) },
	{ "beta over IPv6: [::] is substituted, 0.0.0.0 is not", "All", 102,
	  BETA, "[2001:db8:ffff::1]", "[2001:db8::7]:3263", false, 0,
	  TEXT(T1_NAME "TargetAddress=[2001:db8::7]:3263,102\0") },
	{ "v4-mapped local address", "All", 102, BETA, "[::ffff:203.0.113.5]",
	  "[::ffff:10.0.2.15]:3262", false, 0,
	  TEXT(T1_NAME "TargetAddress=10.0.2.15:3262,102\0"
	       "TargetAddress=[::ffff:10.0.2.15]:3263,102\0") },
	{ "gamma sees two targets", "All", 103, GAMMA, "203.0.113.5",
	  "198.51.100.1:3260", false, 0,
	  TEXT(T1_NAME "TargetAddress=198.51.100.1:3262,102\0"
	       T2_NAME "TargetAddress=198.51.100.1:3260,103\0") },
	{ "gamma asks for t2 only", T2, 103, GAMMA, "203.0.113.5",
	  "198.51.100.1:3260", false, 0,
	  TEXT(T2_NAME "TargetAddress=198.51.100.1:3260,103\0") },
	{ "gamma asks for t1 only", T1, 103, GAMMA, "203.0.113.5",
	  "198.51.100.1:3260", false, 0,
	  TEXT(T1_NAME "TargetAddress=198.51.100.1:3262,102\0") },
	{ "exact fit", T2, 103, GAMMA, "203.0.113.5", "198.51.100.1:3260",
	  true, 0, TEXT(T2_NAME "TargetAddress=198.51.100.1:3260,103\0") },

	{ "one byte short", T2, 103, GAMMA, "203.0.113.5", "198.51.100.1:3260",
	  true, 1, .expect_len = -ENOSPC },
	{ "short by the last pair", "All", 101, ALPHA, "192.0.2.10",
	  "192.0.2.1:3260", true, 20, .expect_len = -ENOSPC },
	{ "no room at all", "All", 101, ALPHA, "192.0.2.10", "192.0.2.1:3260",
	  true, -1, .expect_len = -ENOSPC },
	{ "unknown target", "iqn.2026-11.org.iscsi-spt:t9", 101, ALPHA,
	  "192.0.2.10", "192.0.2.1:3260", false, 0, TEXT("") },
	{ "target nobody may reach", T3, 101, ALPHA, "192.0.2.10",
	  "192.0.2.1:3260", false, 0, TEXT("") },
	{ "alpha from outside its netmasks: only the ANY group", "All", 101,
	  ALPHA, "198.51.100.9", "192.0.2.1:3260", false, 0,
	  TEXT(T1_NAME "TargetAddress=192.0.2.1:3262,102\0") },
	{ "\"all\" is not \"All\"", "all", 101, ALPHA, "192.0.2.10",
	  "192.0.2.1:3260", false, 0, TEXT("") },
	{ "empty value", "", 101, ALPHA, "192.0.2.10", "192.0.2.1:3260",
	  false, 0, .expect_len = -EINVAL },
};

static void send_targets_case_desc(const struct send_targets_case *c,
				   char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(send_targets, send_targets_cases, send_targets_case_desc);

/* The pairs with their NULs shown as '|', for a readable failure. */
static const char *printable(struct kunit *test, const char *text, int len)
{
	char *s = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < len; i++)
		s[i] = text[i] ? text[i] : '|';
	return s;
}

static void ispt_target_send_targets_test(struct kunit *test)
{
	const struct send_targets_case *c = test->param_value;
	struct sockaddr_storage peer, local;
	size_t size = 512;
	char *buf;
	int ret;

	KUNIT_ASSERT_EQ(test, parse_sockaddr(c->peer, &peer), 0);
	KUNIT_ASSERT_EQ(test, parse_sockaddr(c->local, &local), 0);
	/* Size the buffer from what a roomy one gets. */
	if (c->fit) {
		buf = kunit_kzalloc(test, size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, buf);
		ret = ispt_send_targets(c->which, c->pg_tag, c->initiator,
					&peer, &local, buf, size);
		KUNIT_ASSERT_GT(test, ret, 0);
		size = c->short_by < 0 ? 0 : ret - c->short_by;
	}
	buf = kunit_kzalloc(test, size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	ret = ispt_send_targets(c->which, c->pg_tag, c->initiator, &peer,
				&local, buf, size);
	KUNIT_ASSERT_EQ(test, ret, c->expect_len);
	if (ret > 0)
		KUNIT_EXPECT_STREQ(test, printable(test, buf, ret),
				   printable(test, c->expect, ret));
}

static struct kunit_case ispt_target_cases[] = {
	KUNIT_CASE(ispt_target_find_test),
	KUNIT_CASE(ispt_target_removed_while_held_test),
	KUNIT_CASE(ispt_target_alias_test),
	KUNIT_CASE(ispt_target_model_errors_test),
	KUNIT_CASE_PARAM(ispt_target_access_test, access_gen_params),
	KUNIT_CASE_PARAM(ispt_target_address_test, address_gen_params),
	KUNIT_CASE_PARAM(ispt_target_send_targets_test,
			 send_targets_gen_params),
	{}
};

static struct kunit_suite ispt_target_suite = {
	.name = "iscsi_spt_target",
	.suite_init = ispt_target_suite_init,
	.suite_exit = ispt_target_suite_exit,
	.test_cases = ispt_target_cases,
};

kunit_test_suite(ispt_target_suite);
