// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for iscsi-spt: the value checks, the JSON round trip and
 * its errors, whole-configuration checks, auth groups and policies (and
 * how save keeps write-only secrets), the login-key parameters and their
 * write order, the runtime state parser and the counters, loading a tree
 * from a directory, and the undo log.
 * Prints TAP, then "cli: N passed, N failed"; exits 1 on any failure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iscsi-spt.h"

static unsigned int passed, failed;

static __attribute__((format(printf, 2, 3)))
bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %u - ", ok ? "ok" : "not ok", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
	return ok;
}

static bool contains(const char *s, const char *sub)
{
	return s && strstr(s, sub);
}

/* Value checks */

static void test_names(void)
{
	static const struct { const char *name, *why; } cases[] = {
		{ "iqn.2026-11.org.example:disk1", NULL },
		{ "iqn.1994-05.com.redhat:a-b.c", NULL },
		{ "iqn.2026-11.org.example", NULL },
		{ "eui.02004567a425678d", NULL },
		{ "naa.62004567ba64678d0123456789abcdef", NULL },
		{ "naa.62004567ba64678d", NULL },
		{ "", "empty" },
		{ "iqn.2026-11.org.Example:disk", "lowercase" },
		{ "iqn.2026-13.org.example", "month" },
		{ "iqn.2026-00.org.example", "month" },
		{ "iqn.26-11.org.example", "date" },
		{ "iqn.2026-11.", "naming authority" },
		{ "iqn.2026-11.org..example", "empty label" },
		{ "iqn.2026-11.org.example:", "nothing after" },
		{ "iqn.2026-11.org.ex_ample", "only a-z" },
		{ "iqn.2026-11.org.ex ample", "only a-z" },
		{ "eui.02004567a425678", "16 hex" },
		{ "eui.02004567A425678D", "lowercase" },
		{ "naa.1234", "16 or 32" },
		{ "disk1", "must start with" },
		{ "iqn.2026-11.org.\xc3\xa9xample", "non-ASCII" },
	};
	char long_name[300];
	const char *why;
	size_t i;
	bool ok;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		ok = valid_iscsi_name(cases[i].name, &why);
		if (!cases[i].why)
			check(ok, "name \"%s\" is valid", cases[i].name);
		else
			check(!ok && contains(why, cases[i].why),
			      "name \"%s\" is refused: %s (got: %s)",
			      cases[i].name, cases[i].why, why ? why : "valid");
	}
	memset(long_name, 'a', sizeof(long_name));
	memcpy(long_name, "iqn.2026-11.org.example:", 24);
	long_name[223] = '\0';
	check(valid_iscsi_name(long_name, NULL), "a 223-byte name is valid");
	long_name[223] = 'a';
	long_name[224] = '\0';
	check(!valid_iscsi_name(long_name, &why) && contains(why, "223"),
	      "a 224-byte name is refused");
}

static void test_tags_and_ids(void)
{
	static const struct { const char *s; bool tag, lun; } cases[] = {
		{ "1", true, true }, { "65535", true, false },
		{ "0", false, true }, { "65536", false, false },
		{ "16383", true, true }, { "16384", true, false },
		{ "01", false, false }, { "+1", false, false },
		{ "-1", false, false }, { "1x", false, false },
		{ "", false, false }, { "99999999999999999999", false, false },
	};
	unsigned int v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check(valid_tag(cases[i].s, &v) == cases[i].tag,
		      "tag \"%s\" %s", cases[i].s,
		      cases[i].tag ? "accepted" : "refused");
		check(valid_lun_id(cases[i].s, &v) == cases[i].lun,
		      "LUN \"%s\" %s", cases[i].s,
		      cases[i].lun ? "accepted" : "refused");
	}
	check(valid_tag("4242", &v) && v == 4242, "tag value parsed");
}

static void test_portals(void)
{
	static const struct { const char *s; bool ok; } cases[] = {
		{ "0.0.0.0:3260", true }, { "192.0.2.1", true },
		{ "[::]:3260", true }, { "[2001:db8::1]", true },
		{ "[::1]:65535", true }, { "[fe80::1%eth0]:3260", true },
		{ "foo", false },
		{ "300.1.1.1:3260", false }, { "1.2.3.4:0", false },
		{ "1.2.3.4:65536", false }, { "1.2.3.4:port", false },
		{ "[::1", false }, { "[::1]3260", false }, { "::1", false },
		{ "1.2.3.4:3260:1", false }, { "", false }, { "1.2.3", false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(valid_portal(cases[i].s, NULL) == cases[i].ok,
		      "portal \"%s\" %s", cases[i].s,
		      cases[i].ok ? "accepted" : "refused");
	check(portal_same("0.0.0.0", "0.0.0.0:3260"),
	      "portal 0.0.0.0 is 0.0.0.0:3260");
	check(!portal_same("0.0.0.0:3260", "[::]:3260"),
	      "portals 0.0.0.0 and [::] differ");
	check(portal_same("[::0]:3261", "[::]:3261"),
	      "portal [::0] is [::]");
	check(!portal_same("127.0.0.1:3260", "127.0.0.1:3261"),
	      "portals on two ports differ");
}

static void test_netmasks(void)
{
	static const struct { const char *s, *why; } cases[] = {
		{ "192.0.2.0/24", NULL }, { "192.0.2.1", NULL },
		{ "0.0.0.0/0", NULL }, { "2001:db8::/32", NULL },
		{ "::1", NULL }, { "::/0", NULL },
		{ "192.0.2.1/24", "host bits" }, { "2001:db8::1/32", "host bits" },
		{ "192.0.2.0/33", "0 to 32" }, { "2001:db8::/129", "0 to 128" },
		{ "192.0.2.0/", "0 to 32" }, { "192.0.2.0/024", "0 to 32" },
		{ "host.example", "IPv4" }, { "", "not an" },
	};
	const char *why;
	size_t i;
	bool ok;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		ok = valid_netmask(cases[i].s, &why);
		if (!cases[i].why)
			check(ok, "netmask \"%s\" is valid", cases[i].s);
		else
			check(!ok && contains(why, cases[i].why),
			      "netmask \"%s\" is refused: %s (got: %s)",
			      cases[i].s, cases[i].why, why ? why : "valid");
	}
}

static void test_small_values(void)
{
	static const struct { const char *s; bool ok; } cpus[] = {
		{ "0", true }, { "0-3", true }, { "0,2,4-7", true },
		{ "", false }, { "abc", false }, { "0-", false },
		{ "1-0", false }, { "0;1", false }, { "0,", true },
	};
	char alias[300];
	unsigned int a, b;
	const char *why;
	char *dev = NULL, *name;
	size_t i;

	for (i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++)
		check(valid_cpulist(cpus[i].s, NULL) == cpus[i].ok,
		      "cpus \"%s\" %s", cpus[i].s,
		      cpus[i].ok ? "accepted" : "refused");
	check(valid_alias("Example disk 1", NULL), "alias with spaces");
	check(!valid_alias("tab\there", &why) && contains(why, "printable"),
	      "alias with a tab is refused");
	memset(alias, 'x', 256);
	alias[256] = '\0';
	check(!valid_alias(alias, &why) && contains(why, "255"),
	      "a 256-character alias is refused");
	check(!parse_pair("1:2", &a, &b) && a == 1 && b == 2, "pair 1:2");
	check(parse_pair("1", &a, &b), "pair without ':' refused");
	check(parse_pair("0:1", &a, &b), "pair with tag 0 refused");
	check(parse_pair("1:x", &a, &b), "pair with a word refused");
	check(!parse_lun_spec("3:/dev/ram0", &a, &dev) && a == 3 &&
	      dev && !strcmp(dev, "/dev/ram0"), "LUN spec 3:/dev/ram0");
	free(dev);
	check(parse_lun_spec("16384:/dev/x", &a, &dev), "LUN 16384 refused");
	check(parse_lun_spec("1:", &a, &dev), "LUN spec without device refused");
	name = target_full_name("disk1", "iqn.2026-11.org.example");
	check(!strcmp(name, "iqn.2026-11.org.example:disk1"),
	      "short target name gets the node base");
	free(name);
	name = target_full_name("iqn.2000-01.com.x:y", "iqn.2026-11.org.example");
	check(!strcmp(name, "iqn.2000-01.com.x:y"), "full target name kept");
	free(name);
	check(valid_param("max_sessions", "64", NULL), "max_sessions 64");
	check(!valid_param("max_sessions", "0", &why) &&
	      contains(why, "1 to 65535"), "max_sessions 0 refused");
	check(!valid_param("nopin_timeout", "0", NULL), "nopin_timeout 0 refused");
	check(valid_param("nopin_interval", "0", NULL), "nopin_interval 0");
	check(!valid_param("node_base", "Example", &why) &&
	      contains(why, "lowercase"), "node_base uppercase refused");
	check(valid_param("some_future_param", "x", NULL),
	      "unknown parameters are left to the module");
}

/* JSON */

static void build_model(struct model *m)
{
	struct portal_group *pg;
	struct initiator_group *ig;
	struct target *t;
	struct lun *lun;
	struct map *map;

	memset(m, 0, sizeof(*m));
	kvlist_add(&m->params, "node_base", "iqn.2026-11.org.example");
	kvlist_add(&m->params, "max_sessions", "128");
	kvlist_add(&m->params, "nopin_interval", "5");
	pg = model_add_pg(m, 2);
	pg->cpus = xstrdup("0-1");
	pg_add_portal(pg, "[::]:3260")->advertise = xstrdup("[2001:db8::1]:3260");
	pg_add_portal(pg, "0.0.0.0:3260");
	pg = model_add_pg(m, 1);
	pg->cpus = xstrdup("0");
	kvlist_add(&pg_add_portal(pg, "127.0.0.1:3261")->extra, "future", "1");
	ig = model_add_ig(m, 7);
	strlist_add(&ig->initiators, "iqn.1994-05.com.redhat:b");
	strlist_add(&ig->initiators, "iqn.1994-05.com.redhat:a");
	strlist_add(&ig->netmasks, "192.0.2.0/24");
	kvlist_add(&ig->extra, "future_attr", "x y");
	ig = model_add_ig(m, 1);
	strlist_add(&ig->initiators, "ANY");
	strlist_add(&ig->netmasks, "ANY");
	t = model_add_target(m, "iqn.2026-11.org.example:b");
	free(t->alias);
	t->alias = xstrdup("Disk \"B\" / with slash");
	lun = target_add_lun(t, 1);
	lun->device_path = xstrdup("/dev/ram1");
	lun = target_add_lun(t, 0);
	lun->device_path = xstrdup("/dev/ram0");
	lun->enabled = false;
	map = target_add_map(t, 2);
	map_add_ig(map, 7);
	map_add_ig(map, 1);
	target_add_map(t, 1);
	kvlist_add(&t->extra, "auth/userid", "user");
	t = model_add_target(m, "iqn.2026-11.org.example:a");
	map = target_add_map(t, 1);
	map_add_ig(map, 1);
	model_sort(m);
}

static void test_json_round_trip(void)
{
	struct model m, back;
	char *text, *text2;
	struct err e = { 0 };

	build_model(&m);
	check(!model_validate(&m, false, &e), "the built model is valid (%s)",
	      e.msg);
	text = model_to_text(&m);
	check(!model_parse_text(text, &back, &e), "saved text parses back (%s)",
	      e.msg);
	text2 = model_to_text(&back);
	check(!strcmp(text, text2), "save -> parse -> save gives the same text");
	check(back.nr_pgs == 2 && back.pgs[0].tag == 1 &&
	      back.pgs[1].nr_portals == 2, "portal groups sorted by tag");
	check(!strcmp(back.pgs[1].portals[0].addr, "0.0.0.0:3260") &&
	      !back.pgs[1].portals[0].advertise &&
	      !strcmp(back.pgs[1].portals[1].advertise, "[2001:db8::1]:3260") &&
	      !strcmp(kvlist_get(&back.pgs[0].portals[0].extra, "future"), "1"),
	      "portals keep their advertised address and attributes");
	check(contains(text, "\"0.0.0.0:3260\"") &&
	      contains(text, "\"address\": \"[::]:3260\""),
	      "a portal without settings is a plain string");
	check(back.nr_targets == 2 &&
	      !strcmp(back.targets[0].name, "iqn.2026-11.org.example:a"),
	      "targets sorted by name");
	check(back.targets[1].nr_luns == 2 && !back.targets[1].luns[0].enabled &&
	      back.targets[1].luns[1].enabled, "LUNs keep enabled");
	check(back.targets[1].nr_maps == 2 &&
	      back.targets[1].maps[0].nr_igs == 0 &&
	      back.targets[1].maps[1].nr_igs == 2 &&
	      back.targets[1].maps[1].ig_tags[0] == 1,
	      "maps keep their (sorted) groups, empty maps stay");
	check(!strcmp(kvlist_get(&back.igs[1].extra, "future_attr"), "x y"),
	      "unknown attributes are carried");
	check(!strcmp(back.igs[1].initiators.v[0], "iqn.1994-05.com.redhat:b"),
	      "initiator order is kept");
	check(!strcmp(back.targets[1].alias, "Disk \"B\" / with slash"),
	      "aliases with quotes and slashes survive");
	check(contains(text, "\"max_sessions\": 128") &&
	      contains(text, "\"/dev/ram0\""),
	      "numeric parameters are numbers, paths are unescaped");
	free(text);
	free(text2);
	model_free(&back);
	model_free(&m);
}

static void test_json_minimal(void)
{
	struct model m;
	struct err e = { 0 };

	check(!model_parse_text("{}", &m, &e) && model_empty(&m),
	      "an empty object is an empty configuration");
	model_free(&m);
	check(!model_parse_text(
		"{\"targets\":[{\"name\":\"iqn.2026-11.org.example:t\","
		"\"luns\":[{\"id\":0,\"device_path\":\"/dev/ram0\"}]}]}\n\n",
		&m, &e) && m.nr_targets == 1 && m.targets[0].luns[0].enabled &&
	      !strcmp(m.targets[0].alias, ""),
	      "optional keys default (enabled, alias, maps)");
	model_free(&m);
}

static void test_json_errors(void)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "", "ends early" },
		{ "{", "ends early" },
		{ "{\"targets\": [}", "line 1" },
		{ "{\n\"targets\": [\n  {\"name\": \"x\",}\n]}", "line 3" },
		{ "{} x", "line 1, column 4" },
		{ "[]", "the file: must be an object" },
		{ "{\"version\": 2}", "version 2" },
		{ "{\"portal\": []}", "unknown key \"portal\"" },
		{ "{\"portal_groups\": {}}", "portal_groups: must be an array" },
		{ "{\"portal_groups\": [{}]}", "portal_groups[0]: \"tag\" is missing" },
		{ "{\"portal_groups\": [{\"tag\": \"1\"}]}", "portal_groups[0].tag: must be an integer" },
		{ "{\"portal_groups\": [{\"tag\": 0}]}", "portal_groups[0].tag: 0 is not from 1 to 65535" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"portals\": [3260]}]}", "portal_groups[0].portals[0]: must be a string or an object" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"cpu\": \"0\"}]}", "unknown key \"cpu\"" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"portals\": [{\"advertise\": \"1.2.3.4\"}]}]}", "portals[0]: \"address\" is missing" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"portals\": [{\"address\": \"1.2.3.4\", \"adv\": \"\"}]}]}", "unknown key \"adv\"" },
		{ "{\"initiator_groups\": [{\"tag\": 1, \"initiators\": \"ANY\"}]}", "initiators: must be an array" },
		{ "{\"targets\": [{\"alias\": \"x\"}]}", "targets[0]: \"name\" is missing" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"luns\": [{\"id\": 16384, \"device_path\": \"/d\"}]}]}", "luns[0].id: 16384" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"luns\": [{\"id\": 1}]}]}", "\"device_path\" is missing" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"luns\": [{\"id\": 1, \"device_path\": \"/d\", \"enabled\": 1}]}]}", "enabled: must be true or false" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"maps\": [{\"pg_tag\": 1, \"ig_tags\": [\"1\"]}]}]}", "maps[0].ig_tags[0]: must be an integer" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"attributes\": {\"x\": 1}}]}", "attributes.x: must be a string" },
		{ "{\"params\": {\"max_sessions\": true}}", "params.max_sessions: must be a string or a number" },
	};
	struct model m;
	struct err e = { 0 };
	size_t i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e.msg[0] = '\0';
		ret = model_parse_text(cases[i].text, &m, &e);
		if (!ret)
			model_free(&m);
		check(ret && e.code == EXIT_CONFIG && contains(e.msg, cases[i].msg),
		      "bad file refused: %s (got: %s)", cases[i].msg,
		      ret ? e.msg : "accepted");
	}
}

/* Whole-configuration checks */

static void test_validate(void)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "{\"portal_groups\": [{\"tag\": 1}, {\"tag\": 1}]}", "portal group 1 is defined twice" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"portals\": [\"0.0.0.0\"]}, {\"tag\": 2, \"portals\": [\"0.0.0.0:3260\"]}]}", "the same address as portal 0.0.0.0 of portal group 1" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"portals\": [\"1.2.3.4:0\"]}]}", "portal \"1.2.3.4:0\"" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"cpus\": \"3-1\"}]}", "cpus \"3-1\"" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"portals\": [{\"address\": \"0.0.0.0\", \"advertise\": \"0.0.0.0:3260\"}]}]}", "advertise \"0.0.0.0:3260\": a wildcard address cannot be advertised" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"portals\": [{\"address\": \"[::]\", \"advertise\": \"[::]\"}]}]}", "a wildcard address cannot be advertised" },
		{ "{\"portal_groups\": [{\"tag\": 1, \"portals\": [{\"address\": \"[::]\", \"advertise\": \"host\"}]}]}", "advertise \"host\": not an IPv4" },
		{ "{\"initiator_groups\": [{\"tag\": 1, \"netmasks\": [\"10.0.0.1/8\"]}]}", "host bits" },
		{ "{\"initiator_groups\": [{\"tag\": 1, \"initiators\": [\"ANY\", \"iqn.2026-11.a.b\"]}]}", "ANY must be the only entry" },
		{ "{\"initiator_groups\": [{\"tag\": 1, \"initiators\": [\"iqn.2026-11.a.b\", \"iqn.2026-11.a.b\"]}]}", "listed twice" },
		{ "{\"initiator_groups\": [{\"tag\": 1, \"initiators\": [\"IQN.2026-11.a.b\"]}]}", "lowercase" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.B\"}]}", "target iqn.2026-11.a.B: not a valid iSCSI name" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\"}, {\"name\": \"iqn.2026-11.a.b\"}]}", "defined twice" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"maps\": [{\"pg_tag\": 3}]}]}", "there is no portal group 3" },
		{ "{\"portal_groups\": [{\"tag\": 1}], \"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"maps\": [{\"pg_tag\": 1, \"ig_tags\": [4]}]}]}", "there is no initiator group 4" },
		{ "{\"portal_groups\": [{\"tag\": 1}], \"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"maps\": [{\"pg_tag\": 1}, {\"pg_tag\": 1}]}]}", "mapped twice" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"luns\": [{\"id\": 1, \"device_path\": \"/dev/ram0\"}, {\"id\": 1, \"device_path\": \"/dev/ram1\"}]}]}", "LUN 1 is defined twice" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"luns\": [{\"id\": 1, \"device_path\": \"/dev/ram0\"}]}, {\"name\": \"iqn.2026-11.a.c\", \"luns\": [{\"id\": 0, \"device_path\": \"/dev/ram0\"}]}]}", "is already LUN 1 of target iqn.2026-11.a.b" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"luns\": [{\"id\": 1, \"device_path\": \"ram0\"}]}]}", "must be an absolute path" },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"alias\": \"a\\tb\"}]}", "alias: only printable" },
		{ "{\"params\": {\"nopin_timeout\": 0}}", "parameter nopin_timeout \"0\"" },
	};
	struct model m;
	struct err e = { 0 };
	size_t i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e.msg[0] = '\0';
		ret = model_parse_text(cases[i].text, &m, &e);
		if (!check(!ret, "parses: %.60s (%s)", cases[i].text,
			   ret ? e.msg : "ok"))
			continue;
		ret = model_validate(&m, false, &e);
		check(ret && e.code == EXIT_USAGE && contains(e.msg, cases[i].msg),
		      "configuration refused: %s (got: %s)", cases[i].msg,
		      ret ? e.msg : "valid");
		model_free(&m);
	}
	/* Two LUNs may name one device when only one of them is enabled. */
	ret = model_parse_text("{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"luns\": [{\"id\": 1, \"device_path\": \"/dev/ram0\"}, {\"id\": 2, \"device_path\": \"/dev/ram0\", \"enabled\": false}]}]}",
			       &m, &e);
	check(!ret && !model_validate(&m, false, &e),
	      "a disabled LUN may share a device path");
	if (!ret)
		model_free(&m);
	/* Devices are checked when asked to. */
	ret = model_parse_text("{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"luns\": [{\"id\": 1, \"device_path\": \"/dev/null\"}]}]}",
			       &m, &e);
	check(!ret && model_validate(&m, true, &e) &&
	      contains(e.msg, "/dev/null: not a block device"),
	      "a character device is refused (%s)", e.msg);
	if (!ret)
		model_free(&m);
	ret = model_parse_text("{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"luns\": [{\"id\": 1, \"device_path\": \"/dev/iscsi-spt-missing\"}]}]}",
			       &m, &e);
	check(!ret && model_validate(&m, true, &e) &&
	      contains(e.msg, "LUN 1: /dev/iscsi-spt-missing: no such device"),
	      "a missing device is refused (%s)", e.msg);
	if (!ret)
		model_free(&m);
}


/* Auth groups, policies and secrets */

static const char auth_text[] =
	"{\"auth_groups\": [{\"tag\": 2, \"chap_algs\": \"5\", \"secrets\": ["
	"{\"user\": \"host1\", \"secret\": \"0123456789abcdef\","
	" \"mutual_user\": \"tgt\", \"mutual_secret\": \"fedcba9876543210\"},"
	"{\"user\": \"host0\"}]}, {\"tag\": 1}],"
	" \"discovery_auth\": {\"require_chap\": true, \"mutual_chap\": false,"
	" \"auth_group\": 1},"
	" \"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"auth\": {\"require_chap\":"
	" true, \"mutual_chap\": true, \"auth_group\": 2}},"
	" {\"name\": \"iqn.2026-11.a.c\"}]}";

static void test_auth_json(void)
{
	struct model m, back;
	struct err e = { 0 };
	char *text, *text2;
	const struct auth_group *ag;
	struct json_object *o;

	if (!check(!model_parse_text(auth_text, &m, &e), "auth file parses (%s)",
		   e.msg))
		return;
	check(!model_validate(&m, false, &e), "auth file is valid (%s)", e.msg);
	ag = model_auth_group(&m, 2);
	check(m.nr_auth_groups == 2 && m.auth_groups[0].tag == 1 && ag &&
	      !strcmp(ag->chap_algs, "5") && ag->nr_secrets == 2 &&
	      !strcmp(ag->secrets[0].user, "host0") && !ag->secrets[0].secret &&
	      !strcmp(ag->secrets[1].secret, "0123456789abcdef") &&
	      !strcmp(ag->secrets[1].mutual_secret, "fedcba9876543210"),
	      "auth groups and users sorted, secrets as the file gave them");
	check(m.discovery_auth.require_chap && m.discovery_auth.group == 1 &&
	      m.targets[0].auth.mutual_chap && m.targets[0].auth.group == 2 &&
	      auth_policy_default(&m.targets[1].auth),
	      "policies parsed, a missing one is no CHAP");
	text = model_to_text(&m);
	check(!model_parse_text(text, &back, &e), "saved auth text parses (%s)",
	      e.msg);
	text2 = model_to_text(&back);
	check(!strcmp(text, text2), "auth: save -> parse -> save gives the same text");
	check(contains(text, "\"auth_group\": 2") &&
	      contains(text, "\"mutual_secret\": \"fedcba9876543210\""),
	      "the saved file has policies and the secrets it knows");
	/* A target asking nothing has no "auth": files stay as they were written. */
	o = target_to_json(&back.targets[1]);
	check(!json_object_object_get_ex(o, "auth", NULL),
	      "no \"auth\" for a target without CHAP");
	json_object_put(o);
	o = auth_group_to_json(ag, false);
	check(!contains(json_object_to_json_string(o), "0123456789abcdef") &&
	      !contains(json_object_to_json_string(o), "fedcba9876543210") &&
	      contains(json_object_to_json_string(o), "\"mutual_user\""),
	      "listings never print secrets");
	json_object_put(o);
	free(text);
	free(text2);
	model_free(&back);
	model_free(&m);

	/* Files from before the tool knew policies: flags as attributes. */
	check(!model_parse_text("{\"targets\": [{\"name\": \"iqn.2026-11.a.b\","
				" \"attributes\": {\"auth/require_chap\": \"1\","
				" \"auth/mutual_chap\": \"0\", \"auth/x\": \"y\"}}]}",
				&m, &e) &&
	      m.targets[0].auth.require_chap && !m.targets[0].auth.mutual_chap &&
	      m.targets[0].extra.n == 1 &&
	      !strcmp(kvlist_get(&m.targets[0].extra, "auth/x"), "y"),
	      "legacy auth attributes become the policy (%s)", e.msg);
	model_free(&m);
}

static void test_auth_errors(void)
{
	static const struct { const char *text, *msg; bool parse_fails; } cases[] = {
		{ "{\"auth_groups\": [{}]}", "auth_groups[0]: \"tag\" is missing", true },
		{ "{\"auth_groups\": [{\"tag\": 1, \"secret\": []}]}", "unknown key \"secret\"", true },
		{ "{\"auth_groups\": [{\"tag\": 1, \"secrets\": [{\"secret\": \"x\"}]}]}", "secrets[0]: \"user\" is missing", true },
		{ "{\"auth_groups\": [{\"tag\": 1, \"secrets\": [{\"user\": \"u\", \"password\": \"x\"}]}]}", "unknown key \"password\"", true },
		{ "{\"auth_groups\": [{\"tag\": 1, \"secrets\": [{\"user\": 1}]}]}", "user: must be a string", true },
		{ "{\"discovery_auth\": {\"require_chap\": 1}}", "discovery_auth.require_chap: must be true or false", true },
		{ "{\"discovery_auth\": {\"auth_group\": 0}}", "discovery_auth.auth_group: 0 is not from 1", true },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"auth\": {\"group\": 1}}]}", "unknown key \"group\"", true },
		{ "{\"auth_groups\": [{\"tag\": 1}, {\"tag\": 1}]}", "auth group 1 is defined twice", false },
		{ "{\"auth_groups\": [{\"tag\": 1, \"chap_algs\": \"5,9\"}]}", "chap_algs \"5,9\"", false },
		{ "{\"auth_groups\": [{\"tag\": 1, \"chap_algs\": \"5,5\"}]}", "listed twice", false },
		{ "{\"auth_groups\": [{\"tag\": 1, \"secrets\": [{\"user\": \"u\"}, {\"user\": \"u\"}]}]}", "user u is defined twice", false },
		{ "{\"auth_groups\": [{\"tag\": 1, \"secrets\": [{\"user\": \"a/b\"}]}]}", "user \"a/b\": must not contain '/'", false },
		{ "{\"auth_groups\": [{\"tag\": 1, \"secrets\": [{\"user\": \"u\", \"secret\": \"short\"}]}]}", "user u: secret: shorter than 12 bytes", false },
		{ "{\"auth_groups\": [{\"tag\": 1, \"secrets\": [{\"user\": \"u\", \"mutual_secret\": \"0123456789abcdef\"}]}]}", "a mutual_secret needs a mutual_user", false },
		{ "{\"auth_groups\": [{\"tag\": 1, \"secrets\": [{\"user\": \"u\", \"secret\": \"0123456789abcdef\", \"mutual_user\": \"t\", \"mutual_secret\": \"0123456789abcdef\"}]}]}", "must differ from the secret", false },
		{ "{\"discovery_auth\": {\"auth_group\": 3}}", "discovery auth: auth group 3: there is no auth group 3", false },
		{ "{\"targets\": [{\"name\": \"iqn.2026-11.a.b\", \"auth\": {\"auth_group\": 4}}]}", "target iqn.2026-11.a.b: auth group 4: there is no auth group 4", false },
	};
	struct model m;
	struct err e = { 0 };
	size_t i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e.msg[0] = '\0';
		ret = model_parse_text(cases[i].text, &m, &e);
		if (!ret) {
			ret = model_validate(&m, false, &e) ? 2 : 0;
			model_free(&m);
		}
		check(ret == (cases[i].parse_fails ? -1 : 2) &&
		      contains(e.msg, cases[i].msg),
		      "auth refused: %s (got: %s)", cases[i].msg,
		      ret ? e.msg : "accepted");
	}
}

/* save keeps the secrets of the file it replaces, where they still apply. */
static void test_keep_secrets(void)
{
	struct model live = {}, old;
	struct auth_group *ag;
	struct auth_secret *sec;
	struct err e = { 0 };

	if (!check(!model_parse_text(auth_text, &old, &e), "old file parses"))
		return;
	ag = model_add_auth_group(&live, 2);
	sec = auth_group_add_secret(ag, "host1");
	sec->mutual_user = xstrdup("tgt");
	auth_group_add_secret(ag, "host0");
	sec = auth_group_add_secret(ag, "host9");
	ag = model_add_auth_group(&live, 1);
	sec = auth_group_add_secret(ag, "host1");
	model_sort(&live);
	/* host0 (no secret in the file), host9 (not in it), 1/host1 (not in it). */
	check(model_keep_secrets(&live, &old) == 3, "three secrets stay unknown");
	ag = model_auth_group(&live, 2);
	sec = auth_group_secret(ag, "host1");
	check(sec && sec->secret && !strcmp(sec->secret, "0123456789abcdef") &&
	      sec->mutual_secret && !strcmp(sec->mutual_secret, "fedcba9876543210"),
	      "same group and user: both secrets kept");
	check(!auth_group_secret(model_auth_group(&live, 1), "host1")->secret,
	      "another group's user of the same name gets nothing");
	/* A changed mutual user means the old mutual secret is not its. */
	free(sec->mutual_user);
	sec->mutual_user = xstrdup("other");
	free(sec->mutual_secret);
	sec->mutual_secret = NULL;
	check(model_keep_secrets(&live, &old) == 4 && !sec->mutual_secret,
	      "a mutual secret is kept only for the same mutual user");
	check(model_keep_secrets(&live, NULL) == 4, "no old file: nothing more known");
	model_free(&old);
	model_free(&live);
}

/* Login keys as parameters */

static void test_login_key_params(void)
{
	static const struct { const char *name, *value; bool ok; } cases[] = {
		{ "HeaderDigest", "CRC32C,None", true },
		{ "HeaderDigest", "None,CRC32C", true },
		{ "DataDigest", "CRC32C", true },
		{ "DataDigest", "crc32c", false },
		{ "DataDigest", "CRC32C,", false },
		{ "MaxRecvDataSegmentLength", "262144", true },
		{ "MaxRecvDataSegmentLength", "262145", false },
		{ "MaxRecvDataSegmentLength", "511", false },
		{ "MaxBurstLength", "16777215", true },
		{ "MaxBurstLength", "16777216", false },
		{ "FirstBurstLength", "0512", false },
		{ "MaxOutstandingR2T", "4", true },
		{ "MaxOutstandingR2T", "5", false },
		{ "DefaultTime2Wait", "0", true },
		{ "DefaultTime2Retain", "3601", false },
		{ "InitialR2T", "Yes", true },
		{ "ImmediateData", "yes", false },
		{ "ImmediateData", "No", true },
	};
	struct kvlist set = {}, live = {};
	const char *why = NULL;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(valid_param(cases[i].name, cases[i].value, &why) == cases[i].ok,
		      "%s=%s %s", cases[i].name, cases[i].value,
		      cases[i].ok ? "accepted" : "refused");
	check(!valid_param("ImmediateData", "1", &why) && contains(why, "Yes No"),
	      "a word parameter names its values (%s)", why);

	/* The check between keys sees the live value of the other key. */
	kvlist_add(&live, "FirstBurstLength", "262144");
	kvlist_add(&live, "MaxBurstLength", "262144");
	kvlist_add(&set, "MaxBurstLength", "65536");
	check(!valid_params(&set, &live, &why) && contains(why, "FirstBurstLength"),
	      "MaxBurstLength below the live FirstBurstLength is refused");
	check(valid_params(&set, NULL, &why), "a file alone is checked within itself");
	kvlist_add(&set, "FirstBurstLength", "65536");
	check(valid_params(&set, &live, &why), "both lowered together is fine");
	params_order(&set, &live);
	check(!strcmp(set.v[0].key, "FirstBurstLength"),
	      "lowering both: FirstBurstLength is written first");
	kvlist_free(&set);
	kvlist_add(&set, "FirstBurstLength", "1048576");
	kvlist_add(&set, "MaxBurstLength", "1048576");
	params_order(&set, &live);
	check(!strcmp(set.v[0].key, "MaxBurstLength"),
	      "raising both: MaxBurstLength is written first");
	kvlist_free(&set);
	kvlist_add(&set, "FirstBurstLength", "4096");
	kvlist_add(&set, "MaxBurstLength", "2048");
	check(!valid_params(&set, NULL, &why), "a file with FirstBurstLength > MaxBurstLength is refused");
	kvlist_free(&set);
	kvlist_free(&live);
}

/* Runtime state */

static const char sessions_text[] =
	"conn id=2 type=normal target=iqn.2026-11.org.example:t initiator=iqn.1994-05.com.redhat:h isid=00023d000001 tsih=1 cid=0 tpgt=1 peer=127.0.0.1:43308 local=127.0.0.1:3260 cpu=0 state=full_feature active_cmds=0 HeaderDigest=None\n"
	"conn id=3 tpgt=1 peer=[::1]:5000 local=[::1]:3260 cpu=1 state=login active_cmds=0\n"
	"# end                                  \n";

static void test_records(void)
{
	struct records r;
	struct err e = { 0 };
	char *id;

	check(!records_parse(sessions_text, &r, &e) && r.n == 2 && r.complete,
	      "sessions: two records and the end trailer");
	check(!strcmp(r.v[0].kind, "conn") &&
	      !strcmp(record_get(&r.v[0], "target"), "iqn.2026-11.org.example:t") &&
	      record_u64(&r.v[0], "tsih") == 1 &&
	      !strcmp(record_get(&r.v[1], "peer"), "[::1]:5000") &&
	      !record_get(&r.v[1], "target"),
	      "sessions: fields by key");
	id = record_id(&r.v[1]);
	check(!strcmp(id, "conn 3"), "record identity");
	free(id);
	records_free(&r);
	check(!records_parse("cpu id=0 cmds=1\n# truncated   \n", &r, &e) &&
	      r.n == 1 && !r.complete, "a truncated file is noticed");
	records_free(&r);
	check(!records_parse("cpu id=0 cmds=1\n", &r, &e) && !r.complete,
	      "a file without a trailer is not complete");
	records_free(&r);
	check(records_parse("conn id=1 broken\n# end\n", &r, &e) &&
	      contains(e.msg, "line 1"), "a field without '=' is an error");
}

static void test_counters(void)
{
	struct records r;
	struct counters a, b, d;
	struct err e = { 0 };
	bool ok;

	ok = !records_parse(
		"lun target=iqn.2026-11.a.b lun=3 cmds=100 reads=60 writes=40 read_bytes=6000 write_bytes=4000 errors=1 lat_sum_ns=1000000 lat_hist=0,0,0,0,0,0,0,90,9,1,0,0,0,0,0,0,0,0,0,0\n"
		"lun target=iqn.2026-11.a.b lun=3 cmds=300 reads=160 writes=140 read_bytes=16000 write_bytes=14000 errors=1 lat_sum_ns=5000000 lat_hist=0,0,0,0,0,0,0,90,109,101,0,0,0,0,0,0,0,0,0,0\n"
		"cpu id=0\n# end\n", &r, &e);
	check(ok && r.n == 3, "stats parse");
	if (!ok)
		return;
	check(!counters_parse(&r.v[0], &a) && a.cmds == 100 && a.lat[7] == 90 &&
	      a.lat[9] == 1 && a.errors == 1, "counters and histogram");
	check(counters_parse(&r.v[2], &b), "a record without counters");
	counters_parse(&r.v[1], &b);
	counters_delta(&b, &a, &d);
	check(d.cmds == 200 && d.read_bytes == 10000 && d.lat_sum_ns == 4000000 &&
	      d.lat[8] == 100 && d.lat[9] == 100 && d.errors == 0,
	      "delta between two reads");
	check(counters_percentile_us(&d, 50.0) == 511 &&
	      counters_percentile_us(&d, 99.0) == 1023,
	      "percentiles are bucket tops (p50 <= 511 us, p99 <= 1023 us)");
	counters_delta(&a, &b, &d);
	check(d.cmds == 100, "a counter that went back restarted (reload)");
	memset(&d, 0, sizeof(d));
	check(counters_percentile_us(&d, 99.0) == 0, "no commands, no latency");
	d.lat[LAT_BUCKETS - 1] = 1;
	check(counters_percentile_us(&d, 99.0) == 1ULL << (LAT_BUCKETS - 1),
	      "the open-ended bucket reports its floor");
	records_free(&r);
}

/* Loading a tree, and undo, on a directory standing in for configfs. */

static void put(const char *dir, const char *rel, const char *value, int mode)
{
	char *p = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(p, "w");

	if (f) {
		fputs(value, f);
		fclose(f);
	}
	chmod(p, mode);
	free(p);
}

static void mk(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);

	mkdir(p, 0755);
	free(p);
}

static void test_load_tree(void)
{
	static const char *const dirs[] = {
		"portal_groups", "portal_groups/1", "portal_groups/1/portals",
		"portal_groups/1/portals/0.0.0.0:3260",
		"portal_groups/1/portals/[::]:3260", "initiator_groups",
		"initiator_groups/3", "targets",
		"targets/iqn.2026-11.org.example:t",
		"targets/iqn.2026-11.org.example:t/maps",
		"targets/iqn.2026-11.org.example:t/maps/1",
		"targets/iqn.2026-11.org.example:t/luns",
		"targets/iqn.2026-11.org.example:t/luns/0",
		"targets/iqn.2026-11.org.example:t/auth", "auth_groups",
		"auth_groups/2", "auth_groups/2/secrets",
		"auth_groups/2/secrets/host1", "auth_groups/2/secrets/host2",
		"discovery_auth", NULL,
	};
	char tmpl[] = "/tmp/iscsi-spt-unit.XXXXXX";
	const char *const *d;
	struct model m;
	struct undo u = {};
	struct err e = { 0 };
	char *root, *link, *text, *v;

	root = mkdtemp(tmpl);
	if (!check(root != NULL, "temporary tree"))
		return;
	for (d = dirs; *d; d++)
		mk(root, *d);
	put(root, "version", "0.1\n", 0444);
	put(root, "sessions", "# end\n", 0444);
	put(root, "max_sessions", "4096\n", 0644);
	put(root, "node_base", "iqn.2026-11.org.example\n", 0644);
	put(root, "portal_groups/1/cpus", "0-1\n", 0644);
	put(root, "portal_groups/1/portals/0.0.0.0:3260/advertise", "192.0.2.1:3260\n", 0644);
	put(root, "portal_groups/1/portals/[::]:3260/advertise", "\n", 0644);
	put(root, "initiator_groups/3/initiators", "iqn.1994-05.com.redhat:a\niqn.1994-05.com.redhat:b\n", 0644);
	put(root, "initiator_groups/3/netmasks", "192.0.2.0/24\n", 0644);
	put(root, "targets/iqn.2026-11.org.example:t/alias", "\n", 0644);
	put(root, "targets/iqn.2026-11.org.example:t/auth/userid", "joe\n", 0644);
	put(root, "targets/iqn.2026-11.org.example:t/auth/secret", "s\n", 0200);
	put(root, "targets/iqn.2026-11.org.example:t/auth/require_chap", "1\n", 0644);
	put(root, "targets/iqn.2026-11.org.example:t/auth/mutual_chap", "0\n", 0644);
	put(root, "discovery_auth/require_chap", "0\n", 0644);
	put(root, "discovery_auth/mutual_chap", "1\n", 0644);
	put(root, "MaxBurstLength", "65536\n", 0644);
	put(root, "auth_groups/2/chap_algs", "7,5\n", 0644);
	put(root, "auth_groups/2/secrets/host1/secret", "never-shown-1\n", 0200);
	put(root, "auth_groups/2/secrets/host1/mutual_user", "tgt\n", 0644);
	put(root, "auth_groups/2/secrets/host1/mutual_secret", "never-shown-2\n", 0200);
	put(root, "auth_groups/2/secrets/host2/secret", "never-shown-3\n", 0200);
	put(root, "auth_groups/2/secrets/host2/mutual_user", "\n", 0644);
	link = xasprintf("%s/targets/iqn.2026-11.org.example:t/auth/group", root);
	v = xasprintf("%s/auth_groups/2", root);
	check(!symlink(v, link), "auth link made");
	free(link);
	link = xasprintf("%s/discovery_auth/group", root);
	check(!symlink(v, link), "discovery auth link made");
	free(v);
	free(link);
	put(root, "targets/iqn.2026-11.org.example:t/luns/0/device_path", "/dev/ram0\n", 0644);
	put(root, "targets/iqn.2026-11.org.example:t/luns/0/enable", "1\n", 0644);
	link = xasprintf("%s/targets/iqn.2026-11.org.example:t/maps/1/hosts", root);
	v = xasprintf("%s/initiator_groups/3", root);
	check(!symlink(v, link), "map link made");
	free(v);
	free(link);

	cli_root = root;
	check(!model_load(&m, &e), "a tree loads (%s)", e.msg);
	text = model_to_text(&m);
	check(m.params.n == 3 && !kvlist_get(&m.params, "version") &&
	      !strcmp(kvlist_get(&m.params, "MaxBurstLength"), "65536") &&
	      !kvlist_get(&m.params, "sessions"),
	      "parameters are the writable root attributes");
	check(m.nr_pgs == 1 && m.pgs[0].nr_portals == 2 &&
	      !strcmp(m.pgs[0].cpus, "0-1") &&
	      !strcmp(m.pgs[0].portals[0].advertise, "192.0.2.1:3260") &&
	      !m.pgs[0].portals[1].advertise && !m.pgs[0].portals[1].extra.n,
	      "portal group loaded, an empty advertise is none");
	check(m.nr_igs == 1 && m.igs[0].initiators.n == 2 &&
	      m.igs[0].netmasks.n == 1, "initiator group loaded");
	check(m.nr_targets == 1 && m.targets[0].nr_luns == 1 &&
	      m.targets[0].luns[0].enabled && m.targets[0].nr_maps == 1 &&
	      m.targets[0].maps[0].nr_igs == 1 &&
	      m.targets[0].maps[0].ig_tags[0] == 3,
	      "target with a LUN and a map (link name aside) loaded");
	check(!strcmp(kvlist_get(&m.targets[0].extra, "auth/userid"), "joe") &&
	      !kvlist_get(&m.targets[0].extra, "auth/secret") &&
	      !kvlist_get(&m.targets[0].extra, "auth/require_chap"),
	      "default-group attributes kept, write-only and known ones skipped");
	check(m.targets[0].auth.require_chap && !m.targets[0].auth.mutual_chap &&
	      m.targets[0].auth.group == 2, "target auth policy loaded");
	check(!m.discovery_auth.require_chap && m.discovery_auth.mutual_chap &&
	      m.discovery_auth.group == 2 && !m.discovery_extra.n,
	      "discovery auth policy loaded");
	check(m.nr_auth_groups == 1 && m.auth_groups[0].tag == 2 &&
	      !strcmp(m.auth_groups[0].chap_algs, "7,5") &&
	      m.auth_groups[0].nr_secrets == 2 &&
	      !strcmp(m.auth_groups[0].secrets[0].user, "host1") &&
	      !strcmp(m.auth_groups[0].secrets[0].mutual_user, "tgt") &&
	      !m.auth_groups[0].secrets[1].mutual_user,
	      "auth group with its users loaded");
	check(!m.auth_groups[0].secrets[0].secret &&
	      !m.auth_groups[0].secrets[0].mutual_secret &&
	      !contains(text, "never-shown"),
	      "write-only secrets are never read");
	check(contains(text, "\"pg_tag\": 1") &&
	      contains(text, "\"device_path\": \"/dev/ram0\"") &&
	      contains(text, "\"auth/userid\": \"joe\""),
	      "JSON of a loaded tree");
	free(text);

	/* Undo: a write and a mkdir come back. */
	check(!u_write(&u, "max_sessions", "8", &e) &&
	      !u_mkdir(&u, "portal_groups/2", &e), "changes recorded");
	check(!undo_run(&u), "undo ran");
	check(!cfs_read("max_sessions", &v, &e) && !strcmp(v, "4096\n") &&
	      !cfs_exists("portal_groups/2"), "undo restored the tree");
	free(v);
	model_free(&m);
	cli_root = CLI_DEFAULT_ROOT;
	text = xasprintf("rm -rf '%s'", root);
	if (system(text))
		fprintf(stderr, "# could not remove %s\n", root);
	free(text);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	test_names();
	test_tags_and_ids();
	test_portals();
	test_netmasks();
	test_small_values();
	test_json_round_trip();
	test_json_minimal();
	test_json_errors();
	test_validate();
	test_auth_json();
	test_auth_errors();
	test_keep_secrets();
	test_login_key_params();
	test_records();
	test_counters();
	test_load_tree();
	printf("1..%u\n", passed + failed);
	printf("cli: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
