// SPDX-License-Identifier: GPL-2.0
/*
 * CHAP: auth groups and their users' secrets, and the auth policy of a
 * target or of discovery (which group, whether CHAP is required, whether
 * it must be mutual). Like the other object commands, each one checks
 * the change against the live configuration before writing, and undoes
 * what it wrote if the module refuses a step.
 *
 * Secrets never appear in messages or listings: configfs does not show
 * them, and the tool does not print what it was given.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi-spt.h"
#include "cmds.h"

static int ag_tag_arg(const char *s, unsigned int *tag)
{
	if (!valid_tag(s, tag))
		return usage_error("auth group \"%s\": a tag is a number from 1 to 65535",
				   s);
	return 0;
}

void print_policy(const char *prefix, const struct auth_policy *p)
{
	char group[16] = "none";

	if (p->group)
		snprintf(group, sizeof(group), "%u", p->group);
	printf("%s require_chap %s mutual_chap %s auth_group %s\n", prefix,
	       p->require_chap ? "yes" : "no", p->mutual_chap ? "yes" : "no",
	       group);
}

/* Targets and discovery linking auth group @tag, as "target x, discovery". */
static char *ag_users(const struct model *m, unsigned int tag)
{
	struct strlist users = {};
	char *s = NULL, *u;
	size_t i;

	for (i = 0; i < m->nr_targets; i++)
		if (m->targets[i].auth.group == tag) {
			u = xasprintf("target %s", m->targets[i].name);
			strlist_add(&users, u);
			free(u);
		}
	if (m->discovery_auth.group == tag)
		strlist_add(&users, "discovery");
	if (users.n)
		s = strlist_join(&users, ", ");
	strlist_free(&users);
	return s;
}

int cmd_ag_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "chap-algs", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct auth_group ag = {};
	struct undo u = {};
	struct model m;
	const char *why;
	struct err e;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "a:", opts, &ret)) != -1) {
		if (opt == -2)
			return ret;
		ag.chap_algs = optarg;
	}
	if ((ret = cmd_args(argc, 1, 1)) ||
	    (ret = ag_tag_arg(argv[optind], &ag.tag)))
		return ret;
	if (ag.chap_algs && !valid_chap_algs(ag.chap_algs, &why))
		return usage_error("--chap-algs \"%s\": %s", ag.chap_algs, why);
	if ((ret = load_live(&m)))
		return ret;
	if (model_auth_group(&m, ag.tag)) {
		model_free(&m);
		warnx_("auth group %u already exists", ag.tag);
		return EXIT_FAIL;
	}
	model_free(&m);
	if (auth_group_apply(&ag, &u, &e))
		return fail_undo(&u, &e);
	undo_forget(&u);
	return EXIT_OK;
}

int cmd_ag_delete(int argc, char **argv)
{
	struct auth_group *ag;
	struct model m;
	unsigned int tag;
	struct err e;
	char *users;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 1, 1)) ||
	    (ret = ag_tag_arg(argv[optind], &tag)) || (ret = load_live(&m)))
		return ret;
	ag = model_auth_group(&m, tag);
	if (!ag) {
		model_free(&m);
		warnx_("auth group %u does not exist", tag);
		return EXIT_FAIL;
	}
	users = ag_users(&m, tag);
	if (users) {
		warnx_("auth group %u is in use: linked by %s; change their auth policy first",
		       tag, users);
		free(users);
		model_free(&m);
		return EXIT_FAIL;
	}
	/* Its users go with it, as SPDK's iscsi_delete_auth_group does. */
	ret = auth_group_remove(ag, &e) ? report(&e) : EXIT_OK;
	model_free(&m);
	return ret;
}

int cmd_ag_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *a;
	bool json = false;
	struct model m;
	size_t i, j;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "j", opts, &ret)) != -1) {
		if (opt == -2)
			return ret;
		json = true;
	}
	if ((ret = cmd_args(argc, 0, 0)) || (ret = load_live(&m)))
		return ret;
	if (json) {
		a = json_object_new_array();
		for (i = 0; i < m.nr_auth_groups; i++)
			json_object_array_add(a, auth_group_to_json(&m.auth_groups[i],
								    false));
		print_json(a);
		model_free(&m);
		return EXIT_OK;
	}
	printf("%-6s %-10s %s\n", "TAG", "CHAP_ALGS", "USERS (-> MUTUAL USER)");
	for (i = 0; i < m.nr_auth_groups; i++) {
		const struct auth_group *ag = &m.auth_groups[i];
		char *users;

		printf("%-6u %-10s", ag->tag, ag->chap_algs && ag->chap_algs[0] ?
		       ag->chap_algs : "-");
		for (j = 0; j < ag->nr_secrets; j++) {
			const struct auth_secret *sec = &ag->secrets[j];

			printf(" %s%s%s", sec->user, sec->mutual_user ? " -> " : "",
			       sec->mutual_user ? sec->mutual_user : "");
		}
		printf("%s\n", ag->nr_secrets ? "" : " -");
		users = ag_users(&m, ag->tag);
		if (users)
			printf("       linked by %s\n", users);
		free(users);
	}
	model_free(&m);
	return EXIT_OK;
}

/* A secret given as "-" is the next line of standard input. */
static int secret_value(const char *opt, const char *arg, char **out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (strcmp(arg, "-")) {
		*out = xstrdup(arg);
		return 0;
	}
	n = getline(&line, &cap, stdin);
	if (n <= 0) {
		free(line);
		return usage_error("%s -: no line on standard input", opt);
	}
	if (line[n - 1] == '\n')
		line[n - 1] = '\0';
	*out = line;
	return 0;
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

int cmd_ag_add_secret(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "secret", required_argument, NULL, 's' },
		{ "mutual-user", required_argument, NULL, 'u' },
		{ "mutual-secret", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *secret_arg = NULL, *msecret_arg = NULL, *why;
	struct auth_secret sec = {};
	struct auth_group *ag;
	struct undo u = {};
	unsigned int tag;
	struct model m;
	struct err e;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "s:u:m:", opts, &ret)) != -1) {
		if (opt == -2)
			return ret;
		if (opt == 's')
			secret_arg = optarg;
		else if (opt == 'u')
			sec.mutual_user = optarg;
		else
			msecret_arg = optarg;
	}
	if ((ret = cmd_args(argc, 2, 2)) ||
	    (ret = ag_tag_arg(argv[optind], &tag)))
		return ret;
	sec.user = argv[optind + 1];
	if (!valid_chap_user(sec.user, &why))
		return usage_error("user \"%s\": %s", sec.user, why);
	if (!secret_arg)
		return usage_error("user %s: --secret is required", sec.user);
	if (!sec.mutual_user != !msecret_arg)
		return usage_error("user %s: --mutual-user and --mutual-secret go together",
				   sec.user);
	if (sec.mutual_user && !valid_chap_user(sec.mutual_user, &why))
		return usage_error("--mutual-user \"%s\": %s", sec.mutual_user,
				   why);
	if ((ret = secret_value("--secret", secret_arg, &sec.secret)))
		return ret;
	if (msecret_arg &&
	    (ret = secret_value("--mutual-secret", msecret_arg,
				&sec.mutual_secret)))
		goto out;
	ret = EXIT_USAGE;
	if (!valid_chap_secret(sec.secret, &why)) {
		usage_error("user %s: secret: %s", sec.user, why);
		goto out;
	}
	if (sec.mutual_secret && !valid_chap_secret(sec.mutual_secret, &why)) {
		usage_error("user %s: mutual secret: %s", sec.user, why);
		goto out;
	}
	if (sec.mutual_secret && !strcmp(sec.secret, sec.mutual_secret)) {
		usage_error("user %s: the mutual secret must differ from the secret (RFC 7143 9.2.1)",
			    sec.user);
		goto out;
	}
	if ((ret = load_live(&m)))
		goto out;
	ag = model_auth_group(&m, tag);
	ret = EXIT_FAIL;
	if (!ag)
		warnx_("auth group %u does not exist", tag);
	else if (auth_group_secret(ag, sec.user))
		warnx_("auth group %u: user %s already exists (remove-secret it first to change its secret)",
		       tag, sec.user);
	else if (auth_secret_apply(tag, &sec, &u, &e))
		ret = fail_undo(&u, &e);
	else
		ret = EXIT_OK;
	undo_forget(&u);
	model_free(&m);
out:
	free_secret(sec.secret);
	free_secret(sec.mutual_secret);
	return ret;
}

int cmd_ag_remove_secret(int argc, char **argv)
{
	struct auth_group *ag;
	struct model m;
	unsigned int tag;
	const char *user;
	struct err e;
	char *rel;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 2, 2)) ||
	    (ret = ag_tag_arg(argv[optind], &tag)) || (ret = load_live(&m)))
		return ret;
	user = argv[optind + 1];
	ag = model_auth_group(&m, tag);
	ret = EXIT_FAIL;
	if (!ag) {
		warnx_("auth group %u does not exist", tag);
	} else if (!auth_group_secret(ag, user)) {
		warnx_("auth group %u has no user %s", tag, user);
	} else {
		rel = cfs_path("auth_groups/%u/secrets/%s", tag, user);
		ret = cfs_rmdir(rel, &e) ? report(&e) : EXIT_OK;
		free(rel);
	}
	model_free(&m);
	return ret;
}

/*
 * The options of "target auth" and "discovery-auth": each changes one
 * field of @p; returns -1 with *@ret set on a bad value, 1 if any was
 * given, 0 if none.
 */
static int policy_opts(int argc, char **argv, struct auth_policy *p,
		       bool *json, int *ret)
{
	static const struct option opts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "require-chap", required_argument, NULL, 'r' },
		{ "mutual-chap", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, changed = 0;

	while ((opt = cmd_getopt(argc, argv, json ? "g:r:m:j" : "g:r:m:", opts,
				 ret)) != -1) {
		if (opt == -2)
			return -1;
		if (opt == 'j' && json) {
			*json = true;
			continue;
		}
		if (opt == 'j') {
			*ret = usage_error("unknown option --json");
			return -1;
		}
		changed = 1;
		if (opt == 'g' && !strcmp(optarg, "none")) {
			p->group = 0;
		} else if (opt == 'g' && !valid_tag(optarg, &p->group)) {
			*ret = usage_error("--group \"%s\": an auth group tag from 1 to 65535, or none",
					   optarg);
			return -1;
		} else if (opt != 'g' &&
			   !valid_yes_no(optarg, opt == 'r' ? &p->require_chap :
							      &p->mutual_chap)) {
			*ret = usage_error("--%s \"%s\": yes or no",
					   opt == 'r' ? "require-chap" : "mutual-chap",
					   optarg);
			return -1;
		}
	}
	return changed;
}

/* Check @p against the live configuration, then write it to @dir. */
static int policy_set(const struct model *m, const char *dir,
		      const char *object, const struct auth_policy *p)
{
	struct undo u = {};
	struct err e;

	if (p->group && !model_auth_group(m, p->group)) {
		warnx_("%s: there is no auth group %u", object, p->group);
		return EXIT_FAIL;
	}
	if ((p->require_chap || p->mutual_chap) && !p->group)
		return usage_error("%s: CHAP required but no auth group: every login would fail; add --group TAG",
				   object);
	if (policy_apply(dir, object, p, &u, &e))
		return fail_undo(&u, &e);
	undo_forget(&u);
	return EXIT_OK;
}

int cmd_target_auth(int argc, char **argv)
{
	struct auth_policy p;
	struct target *t;
	struct model m;
	char *name, *dir, *obj;
	int ret, changed;

	/* Options first, on a scratch policy, to find NAME (getopt permutes). */
	memset(&p, 0, sizeof(p));
	changed = policy_opts(argc, argv, &p, NULL, &ret);
	if (changed < 0)
		return ret;
	if ((ret = cmd_args(argc, 1, 1)))
		return ret;
	name = arg_target(argv[optind]);
	if ((ret = load_live(&m))) {
		free(name);
		return ret;
	}
	t = model_target(&m, name);
	if (!t) {
		warnx_("target %s does not exist", name);
		ret = EXIT_FAIL;
	} else if (!changed) {
		print_policy(t->name, &t->auth);
	} else {
		/* Again over the live policy: only what was given changes. */
		p = t->auth;
		optind = 0;
		policy_opts(argc, argv, &p, NULL, &ret);
		dir = cfs_path("targets/%s/auth", t->name);
		obj = xasprintf("target %s", t->name);
		ret = policy_set(&m, dir, obj, &p);
		free(obj);
		free(dir);
	}
	model_free(&m);
	free(name);
	return ret;
}

int cmd_discovery_auth(int argc, char **argv)
{
	struct auth_policy p;
	bool json = false;
	struct model m;
	int ret, changed;

	if ((ret = load_live(&m)))
		return ret;
	p = m.discovery_auth;
	changed = policy_opts(argc, argv, &p, &json, &ret);
	if (changed >= 0 && (ret = cmd_args(argc, 0, 0)))
		changed = -1;
	if (changed < 0) {
		model_free(&m);
		return ret;
	}
	if (!cfs_exists("discovery_auth")) {
		warnx_("the module has no discovery_auth (too old)");
		ret = EXIT_FAIL;
	} else if (changed) {
		ret = policy_set(&m, "discovery_auth", "discovery auth", &p);
	} else if (json) {
		print_json(policy_to_json(&p));
	} else {
		print_policy("discovery", &p);
	}
	model_free(&m);
	return ret;
}
