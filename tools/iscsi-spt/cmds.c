// SPDX-License-Identifier: GPL-2.0
/*
 * The object subcommands: portal groups, initiator groups, targets, LUNs,
 * maps and global parameters. Each one loads the live configuration,
 * checks the change against it (so that errors name the object and the
 * reason before anything is written), then applies it with an undo log:
 * a command that fails part-way leaves nothing behind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi-spt.h"
#include "cmds.h"

/* getopt_long over a command's arguments, with our own error messages. */
int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *err)
{
	char spec[64];
	int opt;

	snprintf(spec, sizeof(spec), ":%s", shortopts);
	opterr = 0;
	opt = getopt_long(argc, argv, spec, longopts, NULL);
	if (opt == '?') {
		*err = usage_error("unknown option %s", argv[optind - 1]);
		return -2;
	}
	if (opt == ':') {
		*err = usage_error("option %s needs a value", argv[optind - 1]);
		return -2;
	}
	return opt;
}

/* Exactly @min..@max positional arguments after the options. */
int cmd_args(int argc, int min, int max)
{
	int n = argc - optind;

	if (n < min)
		return usage_error("missing arguments");
	if (max >= 0 && n > max)
		return usage_error("too many arguments");
	return 0;
}

/* Load the live configuration, or report why not. */
int load_live(struct model *m)
{
	struct err e;

	if (model_load(m, &e))
		return report(&e);
	return 0;
}

char *live_node_base(void)
{
	struct err e;
	char *v;

	if (cfs_read("node_base", &v, &e))
		return NULL;
	return strip_newline(v);
}

/* A target named on the command line: full name, or node base + name. */
char *arg_target(const char *arg)
{
	char *base = live_node_base(), *name;

	name = target_full_name(arg, base);
	free(base);
	return name;
}

/* Run the undo log after a failure and report both. */
int fail_undo(struct undo *u, struct err *e)
{
	int code = report(e);

	if (u->n && undo_run(u))
		warnx_("some changes could not be undone (see above)");
	return code;
}

static int tag_arg(const char *s, const char *what, unsigned int *tag)
{
	if (!valid_tag(s, tag))
		return usage_error("%s \"%s\": a tag is a number from 1 to 65535",
				   what, s);
	return 0;
}

/* portal-group */

int cmd_pg_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpus", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct model m;
	struct portal_group *pg;
	struct undo u = {};
	char *cpus = NULL;
	unsigned int tag;
	struct err e;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "c:", opts, &ret)) != -1) {
		if (opt == -2)
			return ret;
		cpus = optarg;
	}
	if ((ret = cmd_args(argc, 1, -1)) ||
	    (ret = tag_arg(argv[optind], "portal group", &tag)))
		return ret;
	if ((ret = load_live(&m)))
		return ret;
	if (model_pg(&m, tag)) {
		model_free(&m);
		warnx_("portal group %u already exists", tag);
		return EXIT_FAIL;
	}
	pg = model_add_pg(&m, tag);
	pg->cpus = cpus ? xstrdup(cpus) : NULL;
	for (optind++; optind < argc; optind++)
		pg_add_portal(pg, argv[optind]);
	if (model_validate(&m, false, &e)) {
		model_free(&m);
		return report(&e);
	}
	ret = pg_apply(model_pg(&m, tag), &u, &e) ? fail_undo(&u, &e) : 0;
	undo_forget(&u);
	model_free(&m);
	return ret;
}

/* Targets that map portal group @tag, as "a, b", or NULL. */
static char *pg_users(const struct model *m, unsigned int tag)
{
	struct strlist users = {};
	char *s = NULL;
	size_t i;

	for (i = 0; i < m->nr_targets; i++)
		if (target_map(&m->targets[i], tag))
			strlist_add(&users, m->targets[i].name);
	if (users.n)
		s = strlist_join(&users, ", ");
	strlist_free(&users);
	return s;
}

int cmd_pg_delete(int argc, char **argv)
{
	struct portal_group *pg;
	struct model m;
	unsigned int tag;
	struct err e;
	char *users, *rel;
	size_t i;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 1, 1)) ||
	    (ret = tag_arg(argv[optind], "portal group", &tag)) ||
	    (ret = load_live(&m)))
		return ret;
	pg = model_pg(&m, tag);
	if (!pg) {
		model_free(&m);
		warnx_("portal group %u does not exist", tag);
		return EXIT_FAIL;
	}
	users = pg_users(&m, tag);
	if (users) {
		warnx_("portal group %u is in use: mapped by target %s; delete those maps first (" CLI_NAME " map delete TARGET %u)",
		       tag, users, tag);
		free(users);
		model_free(&m);
		return EXIT_FAIL;
	}
	ret = 0;
	for (i = 0; !ret && i < pg->nr_portals; i++) {
		rel = cfs_path("portal_groups/%u/portals/%s", tag,
			       pg->portals[i].addr);
		ret = cfs_rmdir(rel, &e);
		free(rel);
	}
	if (!ret) {
		rel = cfs_path("portal_groups/%u", tag);
		ret = cfs_rmdir(rel, &e);
		free(rel);
		if (ret == -EBUSY)
			err_set(&e, EXIT_FAIL,
				"portal group %u is in use: a target mapped it meanwhile",
				tag);
	}
	model_free(&m);
	return ret ? report(&e) : 0;
}

/* Print @o as the JSON answer of a list command. */
void print_json(struct json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o,
	       JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* The common "[--json]" option of list commands; -1 on usage error. */
static int list_opts(int argc, char **argv, bool *json, int *ret)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*json = false;
	while ((opt = cmd_getopt(argc, argv, "j", opts, ret)) != -1) {
		if (opt == -2)
			return -1;
		*json = true;
	}
	*ret = cmd_args(argc, 0, 0);
	return *ret ? -1 : 0;
}

int cmd_pg_list(int argc, char **argv)
{
	struct json_object *a;
	struct model m;
	bool json;
	size_t i;
	int ret;

	if (list_opts(argc, argv, &json, &ret) || (ret = load_live(&m)))
		return ret;
	if (json) {
		a = json_object_new_array();
		for (i = 0; i < m.nr_pgs; i++)
			json_object_array_add(a, pg_to_json(&m.pgs[i]));
		print_json(a);
	} else {
		printf("%-6s %-12s %s\n", "TAG", "CPUS", "PORTALS");
		for (i = 0; i < m.nr_pgs; i++) {
			const struct portal_group *pg = &m.pgs[i];
			size_t j;

			printf("%-6u %-12s", pg->tag, pg->cpus ? pg->cpus : "-");
			for (j = 0; j < pg->nr_portals; j++)
				printf(" %s%s%s%s", pg->portals[j].addr,
				       pg->portals[j].advertise ? " (advertised as " : "",
				       pg->portals[j].advertise ? pg->portals[j].advertise : "",
				       pg->portals[j].advertise ? ")" : "");
			printf("%s\n", pg->nr_portals ? "" : " -");
		}
	}
	model_free(&m);
	return EXIT_OK;
}

/* initiator-group */

int cmd_ig_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "initiators", required_argument, NULL, 'i' },
		{ "netmasks", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct strlist names = {}, masks = {};
	struct initiator_group *ig;
	struct undo u = {};
	struct model m;
	unsigned int tag;
	struct err e;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "i:n:", opts, &ret)) != -1) {
		if (opt == -2)
			goto out_lists;
		strlist_split(opt == 'i' ? &names : &masks, optarg, ", \t\n");
	}
	if ((ret = cmd_args(argc, 1, 1)) ||
	    (ret = tag_arg(argv[optind], "initiator group", &tag)) ||
	    (ret = load_live(&m)))
		goto out_lists;
	if (model_ig(&m, tag)) {
		warnx_("initiator group %u already exists", tag);
		ret = EXIT_FAIL;
		goto out;
	}
	ig = model_add_ig(&m, tag);
	ig->initiators = names;
	ig->netmasks = masks;
	memset(&names, 0, sizeof(names));
	memset(&masks, 0, sizeof(masks));
	if (model_validate(&m, false, &e)) {
		ret = report(&e);
		goto out;
	}
	ret = ig_apply(model_ig(&m, tag), &u, &e) ? fail_undo(&u, &e) : 0;
	undo_forget(&u);
out:
	model_free(&m);
out_lists:
	strlist_free(&names);
	strlist_free(&masks);
	return ret;
}

/* Targets whose maps link initiator group @tag, as "t (pg 1), ...". */
static char *ig_users(const struct model *m, unsigned int tag)
{
	struct strlist users = {};
	char *s = NULL, *u;
	size_t i, j, k;

	for (i = 0; i < m->nr_targets; i++)
		for (j = 0; j < m->targets[i].nr_maps; j++) {
			const struct map *map = &m->targets[i].maps[j];

			for (k = 0; k < map->nr_igs; k++) {
				if (map->ig_tags[k] != tag)
					continue;
				u = xasprintf("%s (portal group %u)",
					      m->targets[i].name, map->pg_tag);
				strlist_add(&users, u);
				free(u);
			}
		}
	if (users.n)
		s = strlist_join(&users, ", ");
	strlist_free(&users);
	return s;
}

int cmd_ig_delete(int argc, char **argv)
{
	struct model m;
	unsigned int tag;
	struct err e;
	char *users, *rel;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 1, 1)) ||
	    (ret = tag_arg(argv[optind], "initiator group", &tag)) ||
	    (ret = load_live(&m)))
		return ret;
	if (!model_ig(&m, tag)) {
		model_free(&m);
		warnx_("initiator group %u does not exist", tag);
		return EXIT_FAIL;
	}
	users = ig_users(&m, tag);
	model_free(&m);
	if (users) {
		warnx_("initiator group %u is in use: mapped by target %s; delete those maps first",
		       tag, users);
		free(users);
		return EXIT_FAIL;
	}
	rel = cfs_path("initiator_groups/%u", tag);
	ret = cfs_rmdir(rel, &e);
	free(rel);
	if (ret == -EBUSY)
		err_set(&e, EXIT_FAIL,
			"initiator group %u is in use: a map linked it meanwhile",
			tag);
	return ret ? report(&e) : 0;
}

int cmd_ig_list(int argc, char **argv)
{
	struct json_object *a;
	struct model m;
	bool json;
	size_t i;
	int ret;

	if (list_opts(argc, argv, &json, &ret) || (ret = load_live(&m)))
		return ret;
	if (json) {
		a = json_object_new_array();
		for (i = 0; i < m.nr_igs; i++)
			json_object_array_add(a, ig_to_json(&m.igs[i]));
		print_json(a);
	} else {
		printf("%-6s %-40s %s\n", "TAG", "INITIATORS", "NETMASKS");
		for (i = 0; i < m.nr_igs; i++) {
			char *n = strlist_join(&m.igs[i].initiators, ",");
			char *k = strlist_join(&m.igs[i].netmasks, ",");

			printf("%-6u %-40s %s\n", m.igs[i].tag, n[0] ? n : "-",
			       k[0] ? k : "-");
			free(n);
			free(k);
		}
	}
	model_free(&m);
	return EXIT_OK;
}

/* target */

/* Check LUN devices of @t only: others are open already. */
static int check_new_luns(const struct target *t, const struct lun *only,
			  struct err *e)
{
	const char *why;
	size_t i;

	for (i = 0; i < t->nr_luns; i++) {
		const struct lun *lun = &t->luns[i];

		if (only && lun != only)
			continue;
		if (lun->enabled && !valid_device(lun->device_path, &why))
			return err_set(e, EXIT_USAGE,
				       "target %s: LUN %u: %s: %s", t->name,
				       lun->id, lun->device_path, why);
	}
	return 0;
}

int cmd_target_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "alias", required_argument, NULL, 'a' },
		{ "lun", required_argument, NULL, 'l' },
		{ "map", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct strlist luns = {}, maps = {};
	struct undo u = {};
	struct target *t;
	const char *alias = "", *why;
	struct model m;
	char *name = NULL, *dev;
	unsigned int a, b;
	struct err e;
	size_t i;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "a:l:m:", opts, &ret)) != -1) {
		if (opt == -2)
			goto out_lists;
		if (opt == 'a')
			alias = optarg;
		else
			strlist_add(opt == 'l' ? &luns : &maps, optarg);
	}
	if ((ret = cmd_args(argc, 1, 1)))
		goto out_lists;
	for (i = 0; i < luns.n; i++) {
		if (parse_lun_spec(luns.v[i], &a, &dev)) {
			ret = usage_error("--lun \"%s\": write ID:DEVICE, ID from 0 to %d",
					  luns.v[i], LUN_ID_MAX);
			goto out_lists;
		}
		free(dev);
	}
	for (i = 0; i < maps.n; i++)
		if (parse_pair(maps.v[i], &a, &b)) {
			ret = usage_error("--map \"%s\": write PG:IG, two tags from 1 to 65535",
					  maps.v[i]);
			goto out_lists;
		}
	if ((ret = load_live(&m)))
		goto out_lists;
	name = arg_target(argv[optind]);
	if (!valid_iscsi_name(name, &why)) {
		warnx_("target %s: not a valid iSCSI name: %s", name, why);
		ret = EXIT_USAGE;
		goto out;
	}
	if (model_target(&m, name)) {
		warnx_("target %s already exists", name);
		ret = EXIT_FAIL;
		goto out;
	}
	t = model_add_target(&m, name);
	free(t->alias);
	t->alias = xstrdup(alias);
	for (i = 0; i < luns.n; i++) {
		struct lun *lun;

		parse_lun_spec(luns.v[i], &a, &dev);
		lun = target_add_lun(t, a);
		lun->device_path = dev;
	}
	for (i = 0; i < maps.n; i++) {
		struct map *map;

		parse_pair(maps.v[i], &a, &b);
		map = target_map(t, a);
		if (!map)
			map = target_add_map(t, a);
		map_add_ig(map, b);
	}
	t = model_target(&m, name);
	if (model_validate(&m, false, &e) || check_new_luns(t, NULL, &e)) {
		ret = report(&e);
		goto out;
	}
	ret = target_apply(t, &u, &e) ? fail_undo(&u, &e) : 0;
	undo_forget(&u);
out:
	free(name);
	model_free(&m);
out_lists:
	strlist_free(&luns);
	strlist_free(&maps);
	return ret;
}

/* The live target named on the command line, or an error. */
static struct target *find_target(struct model *m, const char *arg)
{
	char *name = arg_target(arg);
	struct target *t = model_target(m, name);

	if (!t)
		warnx_("target %s does not exist", name);
	free(name);
	return t;
}

int cmd_target_delete(int argc, char **argv)
{
	struct target *t;
	struct model m;
	struct err e;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 1, 1)) || (ret = load_live(&m)))
		return ret;
	t = find_target(&m, argv[optind]);
	ret = !t ? EXIT_FAIL : target_remove(t, &e) ? report(&e) : 0;
	model_free(&m);
	return ret;
}

int cmd_target_list(int argc, char **argv)
{
	struct json_object *a;
	struct model m;
	bool json;
	size_t i, j, k;
	int ret;

	if (list_opts(argc, argv, &json, &ret) || (ret = load_live(&m)))
		return ret;
	if (json) {
		a = json_object_new_array();
		for (i = 0; i < m.nr_targets; i++)
			json_object_array_add(a, target_to_json(&m.targets[i]));
		print_json(a);
		model_free(&m);
		return EXIT_OK;
	}
	for (i = 0; i < m.nr_targets; i++) {
		const struct target *t = &m.targets[i];

		printf("%s%s%s%s\n", t->name, t->alias[0] ? " (" : "",
		       t->alias, t->alias[0] ? ")" : "");
		for (j = 0; j < t->nr_luns; j++)
			printf("  lun %-5u %s%s\n", t->luns[j].id,
			       t->luns[j].device_path,
			       t->luns[j].enabled ? "" : " (disabled)");
		for (j = 0; j < t->nr_maps; j++) {
			printf("  map pg %-5u ig", t->maps[j].pg_tag);
			for (k = 0; k < t->maps[j].nr_igs; k++)
				printf(" %u", t->maps[j].ig_tags[k]);
			printf("%s\n", t->maps[j].nr_igs ? "" : " (none)");
		}
		if (!auth_policy_default(&t->auth))
			print_policy("  auth", &t->auth);
	}
	model_free(&m);
	return EXIT_OK;
}

/* lun */

int cmd_lun_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "disabled", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct undo u = {};
	struct target *t;
	struct lun *lun;
	struct model m;
	bool enable = true;
	unsigned int id;
	struct err e;
	size_t i;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "d", opts, &ret)) != -1) {
		if (opt == -2)
			return ret;
		enable = false;
	}
	if ((ret = cmd_args(argc, 3, 3)))
		return ret;
	if (!valid_lun_id(argv[optind + 1], &id))
		return usage_error("LUN \"%s\": a number from 0 to %d",
				   argv[optind + 1], LUN_ID_MAX);
	if ((ret = load_live(&m)))
		return ret;
	t = find_target(&m, argv[optind]);
	if (!t) {
		model_free(&m);
		return EXIT_FAIL;
	}
	for (i = 0; i < t->nr_luns; i++)
		if (t->luns[i].id == id) {
			warnx_("target %s: LUN %u already exists (%s)", t->name,
			       id, t->luns[i].device_path);
			model_free(&m);
			return EXIT_FAIL;
		}
	lun = target_add_lun(t, id);
	lun->device_path = xstrdup(argv[optind + 2]);
	lun->enabled = enable;
	if (model_validate(&m, false, &e) || check_new_luns(t, lun, &e)) {
		model_free(&m);
		return report(&e);
	}
	ret = lun_apply(t->name, lun, &u, &e) ? fail_undo(&u, &e) : 0;
	undo_forget(&u);
	model_free(&m);
	return ret;
}

int cmd_lun_remove(int argc, char **argv)
{
	struct target *t;
	struct model m;
	unsigned int id;
	struct err e;
	char *rel;
	size_t i;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 2, 2)))
		return ret;
	if (!valid_lun_id(argv[optind + 1], &id))
		return usage_error("LUN \"%s\": a number from 0 to %d",
				   argv[optind + 1], LUN_ID_MAX);
	if ((ret = load_live(&m)))
		return ret;
	t = find_target(&m, argv[optind]);
	ret = EXIT_FAIL;
	for (i = 0; t && i < t->nr_luns; i++)
		if (t->luns[i].id == id)
			break;
	if (t && i == t->nr_luns)
		warnx_("target %s has no LUN %u", t->name, id);
	if (t && i < t->nr_luns) {
		rel = cfs_path("targets/%s/luns/%u", t->name, id);
		ret = cfs_rmdir(rel, &e) ? report(&e) : 0;
		free(rel);
	}
	model_free(&m);
	return ret;
}

/* map */

/* Parse every PG:IG argument first (nothing is changed on a bad one). */
static int map_args(int argc, char **argv, bool ig_optional,
		    unsigned int *pgs, unsigned int *igs)
{
	unsigned int i;

	for (i = 0; (int)(optind + 1 + i) < argc; i++) {
		const char *s = argv[optind + 1 + i];

		if (ig_optional && valid_tag(s, &pgs[i])) {
			igs[i] = 0;
			continue;
		}
		if (parse_pair(s, &pgs[i], &igs[i]))
			return usage_error("\"%s\": write PG:IG%s, tags from 1 to 65535",
					   s, ig_optional ? " or PG" : "");
	}
	return 0;
}

int cmd_map_add(int argc, char **argv)
{
	unsigned int *pgs, *igs, n, i;
	struct undo u = {};
	struct target *t;
	struct model m;
	struct err e;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 2, -1)))
		return ret;
	n = argc - optind - 1;
	pgs = xcalloc(n, sizeof(*pgs));
	igs = xcalloc(n, sizeof(*igs));
	if ((ret = map_args(argc, argv, false, pgs, igs)) ||
	    (ret = load_live(&m)))
		goto out_args;
	t = find_target(&m, argv[optind]);
	ret = EXIT_FAIL;
	for (i = 0; t && i < n; i++) {
		struct map *map = target_map(t, pgs[i]);
		size_t k;

		for (k = 0; map && k < map->nr_igs; k++)
			if (map->ig_tags[k] == igs[i]) {
				warnx_("target %s: initiator group %u is mapped through portal group %u already",
				       t->name, igs[i], pgs[i]);
				goto out;
			}
		if (!map)
			map = target_add_map(t, pgs[i]);
		map_add_ig(map, igs[i]);
	}
	if (!t)
		goto out;
	if (model_validate(&m, false, &e)) {
		ret = report(&e);
		goto out;
	}
	ret = 0;
	for (i = 0; !ret && i < n; i++) {
		struct map one = { .pg_tag = pgs[i], .ig_tags = &igs[i],
				   .nr_igs = 1 };

		ret = map_apply(t->name, &one, &u, &e) ? fail_undo(&u, &e) : 0;
	}
	undo_forget(&u);
out:
	model_free(&m);
out_args:
	free(pgs);
	free(igs);
	return ret;
}

/* Remove the links to initiator group @ig (all if 0), then an empty map. */
static int map_remove(const char *target, unsigned int pg, unsigned int ig,
		      struct err *e)
{
	char *dir = cfs_path("targets/%s/maps/%u", target, pg);
	struct strlist links = {};
	size_t i, removed = 0;
	int ret;

	ret = cfs_list(dir, 'l', &links, e);
	for (i = 0; !ret && i < links.n; i++) {
		char *rel = cfs_path("%s/%s", dir, links.v[i]), *to;
		unsigned int tag;

		if (!cfs_readlink_base(rel, &to)) {
			if (!ig || (!strncmp(to, "initiator_groups/", 17) &&
				    valid_tag(to + 17, &tag) && tag == ig)) {
				ret = cfs_unlink(rel, e);
				removed++;
			}
			free(to);
		}
		free(rel);
	}
	if (!ret && ig && !removed)
		ret = err_set(e, EXIT_FAIL,
			      "target %s: initiator group %u is not mapped through portal group %u",
			      target, ig, pg);
	if (!ret && removed == links.n)
		ret = cfs_rmdir(dir, e);
	strlist_free(&links);
	free(dir);
	return ret ? -1 : 0;
}

int cmd_map_delete(int argc, char **argv)
{
	unsigned int *pgs, *igs, n, i;
	struct target *t;
	struct model m;
	struct err e;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 2, -1)))
		return ret;
	n = argc - optind - 1;
	pgs = xcalloc(n, sizeof(*pgs));
	igs = xcalloc(n, sizeof(*igs));
	if ((ret = map_args(argc, argv, true, pgs, igs)) ||
	    (ret = load_live(&m)))
		goto out_args;
	t = find_target(&m, argv[optind]);
	ret = t ? 0 : EXIT_FAIL;
	for (i = 0; !ret && i < n; i++)
		if (!target_map(t, pgs[i])) {
			warnx_("target %s has no map for portal group %u",
			       t->name, pgs[i]);
			ret = EXIT_FAIL;
		}
	for (i = 0; !ret && i < n; i++)
		if (map_remove(t->name, pgs[i], igs[i], &e))
			ret = report(&e);
	model_free(&m);
out_args:
	free(pgs);
	free(igs);
	return ret;
}

/* params */

int cmd_params_get(int argc, char **argv)
{
	struct json_object *o;
	struct model m;
	bool json = false;
	size_t i;
	int opt, ret, a;
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = cmd_getopt(argc, argv, "j", opts, &ret)) != -1) {
		if (opt == -2)
			return ret;
		json = true;
	}
	if ((ret = load_live(&m)))
		return ret;
	for (a = optind; a < argc; a++)
		if (!kvlist_get(&m.params, argv[a])) {
			warnx_("no parameter \"%s\" (" CLI_NAME " params get lists them)",
			       argv[a]);
			model_free(&m);
			return EXIT_USAGE;
		}
	o = json_object_new_object();
	for (i = 0; i < m.params.n; i++) {
		const struct kv *p = &m.params.v[i];
		const struct param_desc *d = param_find(p->key);
		unsigned long long v;
		bool wanted = optind == argc;

		for (a = optind; a < argc; a++)
			wanted |= !strcmp(argv[a], p->key);
		if (!wanted)
			continue;
		if (!json)
			printf("%-30s %s\n", p->key, p->value);
		else if (d && d->numeric && valid_uint(p->value, 0, ~0ULL >> 4, &v))
			json_object_object_add(o, p->key,
					       json_object_new_int64(v));
		else
			json_object_object_add(o, p->key,
					       json_object_new_string(p->value));
	}
	if (json)
		print_json(o);
	else
		json_object_put(o);
	model_free(&m);
	return EXIT_OK;
}

int cmd_params_set(int argc, char **argv)
{
	struct kvlist set = {}, live = {};
	struct undo u = {};
	const char *why;
	struct err e;
	size_t i;
	int ret, a;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 1, -1)))
		return ret;
	for (a = optind; a < argc; a++) {
		char *eq = strchr(argv[a], '='), *key;

		if (!eq || eq == argv[a]) {
			kvlist_free(&set);
			return usage_error("\"%s\": write NAME=VALUE", argv[a]);
		}
		key = xstrndup(argv[a], eq - argv[a]);
		kvlist_add(&set, key, eq + 1);
		free(key);
	}
	if ((ret = cfs_check_root(&e) ? report(&e) : 0))
		goto out;
	for (i = 0; i < set.n; i++) {
		if (!strchr(set.v[i].key, '/') && cfs_writable_attr(set.v[i].key))
			continue;
		warnx_("no parameter \"%s\" (" CLI_NAME " params get lists them)",
		       set.v[i].key);
		ret = EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < set.n; i++)
		if (!valid_param(set.v[i].key, set.v[i].value, &why)) {
			warnx_("parameter %s \"%s\": %s", set.v[i].key,
			       set.v[i].value, why);
			ret = EXIT_USAGE;
			goto out;
		}
	/* Between parameters (FirstBurstLength <= MaxBurstLength), over the live values. */
	params_live(&set, &live);
	if (!valid_params(&set, &live, &why)) {
		warnx_("parameters: %s", why);
		ret = EXIT_USAGE;
		goto out;
	}
	params_order(&set, &live);
	for (i = 0; !ret && i < set.n; i++)
		if (u_write(&u, set.v[i].key, set.v[i].value, &e)) {
			char *msg = xstrdup(e.msg);

			err_set(&e, EXIT_FAIL, "parameter %s: %s", set.v[i].key,
				msg);
			free(msg);
			ret = fail_undo(&u, &e);
		}
	undo_forget(&u);
out:
	kvlist_free(&live);
	kvlist_free(&set);
	return ret;
}
