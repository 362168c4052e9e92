// SPDX-License-Identifier: GPL-2.0
/*
 * save, restore and clear: the whole configuration at once.
 *
 * restore is all or nothing. The file is parsed and checked as a whole
 * (names, tags, addresses, duplicates, references between objects, that
 * each device is a block device) before anything is written; then it is
 * applied with an undo log, and if the module refuses a step (a portal
 * whose address is taken, a device someone else opened meanwhile) what
 * was applied is undone, newest first.
 *
 * CHAP secrets are write-only in configfs, so save cannot read them back:
 * it keeps each secret the file it replaces holds for the same auth group
 * and user, and says which ones it could not write.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"

static int read_file(const char *path, char **out, struct err *e)
{
	FILE *f = fopen(path, "re");
	size_t len = 0, cap = 0, n;
	char *buf = NULL;

	if (!f)
		return err_set(e, EXIT_CONFIG, "cannot read %s: %s", path,
			       strerror(errno));
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		err_set(e, EXIT_CONFIG, "cannot read %s: %s", path,
			strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		return err_set(e, EXIT_CONFIG, "%s: not a text file (NUL byte)",
			       path);
	}
	*out = buf;
	return 0;
}

/* mkdir -p of @path's directory. */
static int make_parent(const char *path, struct err *e)
{
	char *copy = xstrdup(path), *dir = dirname(copy), *p;
	int ret = 0;

	for (p = dir + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			ret = err_set(e, EXIT_FAIL, "cannot create %s: %s", dir,
				      strerror(errno));
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	free(copy);
	return ret;
}

/*
 * Replace @path with @text atomically: a temporary file in the same
 * directory, synced, then renamed over it. Mode 0600: configurations
 * will hold CHAP secrets.
 */
static int write_file(const char *path, const char *text, struct err *e)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	size_t len = strlen(text), off = 0;
	ssize_t n;
	int fd;

	if (make_parent(path, e)) {
		free(tmp);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		err_set(e, EXIT_FAIL, "cannot write %s: %s", path,
			strerror(errno));
		free(tmp);
		return -1;
	}
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		off += n;
	}
	if (off < len || fchmod(fd, 0600) || fsync(fd) || close(fd) ||
	    rename(tmp, path)) {
		err_set(e, EXIT_FAIL, "cannot write %s: %s", path,
			strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* Name each secret @m still lacks: "<lead> no secret<tail>". */
static void warn_missing_secrets(const struct model *m, const char *lead,
				 const char *tail)
{
	size_t i, j;

	for (i = 0; i < m->nr_auth_groups; i++)
		for (j = 0; j < m->auth_groups[i].nr_secrets; j++) {
			const struct auth_secret *sec = &m->auth_groups[i].secrets[j];

			if (!sec->secret)
				warnx_("auth group %u: user %s: %s no secret%s",
				       m->auth_groups[i].tag, sec->user, lead,
				       tail);
			if (sec->mutual_user && !sec->mutual_secret)
				warnx_("auth group %u: user %s: %s no mutual_secret%s",
				       m->auth_groups[i].tag, sec->user, lead,
				       tail);
		}
}

/*
 * The file save replaces, for the secrets it holds; NULL when there is
 * none or it cannot be read (then save says so and keeps no secret).
 */
static bool load_old_file(const char *path, struct model *old)
{
	struct err e;
	char *text;
	int ret;

	if (access(path, F_OK))
		return false;
	if (read_file(path, &text, &e))
		goto bad;
	ret = model_parse_text(text, old, &e);
	explicit_bzero(text, strlen(text));
	free(text);
	if (!ret)
		return true;
bad:
	warnx_("%s: cannot take secrets from it: %s", path, e.msg);
	return false;
}

int cmd_save(int argc, char **argv)
{
	const char *path = CLI_DEFAULT_CONFIG;
	struct model m, old;
	bool have_old = false;
	struct err e;
	char *text;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 0, 1)))
		return ret;
	if (optind < argc)
		path = argv[optind];
	if ((ret = load_live(&m)))
		return ret;
	if (strcmp(path, "-"))
		have_old = load_old_file(path, &old);
	if (model_keep_secrets(&m, have_old ? &old : NULL))
		warn_missing_secrets(&m, "saved with",
				     " (configfs never shows one): add it to the file");
	if (have_old)
		model_free(&old);
	text = model_to_text(&m);
	if (!strcmp(path, "-")) {
		fputs(text, stdout);
		ret = fflush(stdout) ? EXIT_FAIL : 0;
	} else {
		ret = write_file(path, text, &e) ? report(&e) : 0;
		if (!ret && !cli_quiet)
			printf("saved %zu portal groups, %zu initiator groups, %zu targets to %s\n",
			       m.nr_pgs, m.nr_igs, m.nr_targets, path);
	}
	explicit_bzero(text, strlen(text));
	free(text);
	model_free(&m);
	return ret;
}

static size_t count_luns(const struct model *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->nr_targets; i++)
		n += m->targets[i].nr_luns;
	return n;
}

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "missing-ok", no_argument, NULL, 'M' },
		{ "check", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CLI_DEFAULT_CONFIG;
	bool missing_ok = false, check = false;
	struct model want, live;
	struct undo u = {};
	char *text = NULL, *msg;
	struct err e;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "", opts, &ret)) != -1) {
		if (opt == -2)
			return ret;
		if (opt == 'C')
			check = true;
		else
			missing_ok = true;
	}
	if ((ret = cmd_args(argc, 0, 1)))
		return ret;
	if (optind < argc)
		path = argv[optind];
	if (missing_ok && access(path, F_OK) && errno == ENOENT) {
		if (!cli_quiet)
			printf("%s does not exist: nothing to restore\n", path);
		return EXIT_OK;
	}
	if (read_file(path, &text, &e))
		return report(&e);
	ret = model_parse_text(text, &want, &e);
	explicit_bzero(text, strlen(text));
	free(text);
	if (ret || model_validate(&want, true, &e)) {
		msg = xstrdup(e.msg);
		err_set(&e, EXIT_CONFIG, "%s: %s; nothing was changed", path,
			msg);
		free(msg);
		if (!ret)
			model_free(&want);
		return report(&e);
	}
	if (model_keep_secrets(&want, NULL))
		warn_missing_secrets(&want, "the file has",
				     "; its CHAP logins fail until one is set");
	if (check) {
		if (!cli_quiet)
			printf("%s is valid: %zu portal groups, %zu initiator groups, %zu targets with %zu LUNs\n",
			       path, want.nr_pgs, want.nr_igs, want.nr_targets,
			       count_luns(&want));
		model_free(&want);
		return EXIT_OK;
	}
	if ((ret = load_live(&live))) {
		model_free(&want);
		return ret;
	}
	if (!model_empty(&live)) {
		warnx_("the target is configured already (%zu portal groups, %zu initiator groups, %zu targets, %zu auth groups): run '" CLI_NAME " clear' first",
		       live.nr_pgs, live.nr_igs, live.nr_targets,
		       live.nr_auth_groups);
		ret = EXIT_FAIL;
	} else if (model_apply(&want, &u, &e)) {
		msg = xstrdup(e.msg);
		err_set(&e, e.code, "restore %s: %s", path, msg);
		free(msg);
		ret = report(&e);
		if (undo_run(&u))
			warnx_("some changes could not be undone (see above)");
		else
			warnx_("everything restore had applied was undone");
	} else if (!cli_quiet) {
		printf("restored %zu portal groups, %zu initiator groups, %zu targets with %zu LUNs from %s\n",
		       want.nr_pgs, want.nr_igs, want.nr_targets,
		       count_luns(&want), path);
		if (want.nr_auth_groups)
			printf("restored %zu auth groups\n", want.nr_auth_groups);
	}
	undo_forget(&u);
	model_free(&live);
	model_free(&want);
	return ret;
}

int cmd_clear(int argc, char **argv)
{
	struct model m;
	struct err e;
	int ret;

	if (cmd_getopt(argc, argv, "", NULL, &ret) == -2)
		return ret;
	if ((ret = cmd_args(argc, 0, 0)) || (ret = load_live(&m)))
		return ret;
	ret = model_clear(&m, &e) ? report(&e) : 0;
	model_free(&m);
	return ret;
}
