// SPDX-License-Identifier: GPL-2.0
/*
 * The module's configfs tree: read and write attributes, make and remove
 * directories and links, and remember what was done so that a command
 * that fails half-way can undo it.
 *
 * Paths are relative to cli_root. Functions return 0 or -errno, with a
 * message in the struct err that names the path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iscsi-spt.h"

char *cfs_path(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, CLI_NAME ": out of memory\n");
		exit(EXIT_FAIL);
	}
	return s;
}

static char *abs_path(const char *rel)
{
	return rel[0] ? xasprintf("%s/%s", cli_root, rel) : xstrdup(cli_root);
}

const char *errno_text(int err)
{
	return strerror(err < 0 ? -err : err);
}

static int fail_errno(struct err *e, const char *what, const char *rel)
{
	int ret = -errno;

	err_set(e, EXIT_FAIL, "%s %s: %s", what, rel, strerror(errno));
	return ret;
}

int cfs_check_root(struct err *e)
{
	struct stat st;

	if (stat(cli_root, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return err_set(e, EXIT_NOMODULE,
		       "%s does not exist: load the module (modprobe iscsi_spt) and mount configfs (mount -t configfs none /sys/kernel/config)",
		       cli_root);
}

bool cfs_exists(const char *rel)
{
	char *p = abs_path(rel);
	struct stat st;
	bool ret = lstat(p, &st) == 0;

	free(p);
	return ret;
}

int cfs_read(const char *rel, char **out, struct err *e)
{
	char *p = abs_path(rel), *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd, ret = 0;

	fd = open(p, O_RDONLY | O_CLOEXEC);
	free(p);
	if (fd < 0)
		return fail_errno(e, "cannot read", rel);
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = fail_errno(e, "cannot read", rel);
			free(buf);
			buf = NULL;
			break;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	*out = buf;
	return ret;
}

/* One write(2): configfs takes each write as the whole new value. */
int cfs_write(const char *rel, const char *value, struct err *e)
{
	size_t len = strlen(value);
	char *p, *buf;
	ssize_t n;
	int fd, ret = 0;

	if (len + 1 > ATTR_WRITE_MAX) {
		err_set(e, EXIT_USAGE,
			"%s: the value is %zu bytes; an attribute takes at most %d",
			rel, len + 1, ATTR_WRITE_MAX);
		return -EINVAL;
	}
	p = abs_path(rel);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	free(p);
	if (fd < 0)
		return fail_errno(e, "cannot write", rel);
	buf = xasprintf("%s\n", value);
	n = write(fd, buf, len + 1);
	if (n < 0)
		ret = fail_errno(e, "cannot write", rel);
	else if ((size_t)n != len + 1)
		ret = -EIO;
	if (ret == -EIO)
		err_set(e, EXIT_FAIL, "cannot write %s: short write", rel);
	free(buf);
	if (close(fd) && !ret)
		ret = fail_errno(e, "cannot write", rel);
	return ret;
}

int cfs_mkdir(const char *rel, struct err *e)
{
	char *p = abs_path(rel);
	int ret = mkdir(p, 0755);

	free(p);
	return ret ? fail_errno(e, "cannot create", rel) : 0;
}

int cfs_rmdir(const char *rel, struct err *e)
{
	char *p = abs_path(rel);
	int ret = rmdir(p);

	free(p);
	return ret ? fail_errno(e, "cannot remove", rel) : 0;
}

int cfs_symlink(const char *target_rel, const char *link_rel, struct err *e)
{
	char *t = abs_path(target_rel), *l = abs_path(link_rel);
	int ret = symlink(t, l);

	free(t);
	free(l);
	return ret ? fail_errno(e, "cannot link", link_rel) : 0;
}

int cfs_unlink(const char *rel, struct err *e)
{
	char *p = abs_path(rel);
	int ret = unlink(p);

	free(p);
	return ret ? fail_errno(e, "cannot remove", rel) : 0;
}

/* Entries of a directory of one type: 'd'irectories, 'f'iles, 'l'inks. */
int cfs_list(const char *rel, char type, struct strlist *out, struct err *e)
{
	char *p = abs_path(rel);
	struct dirent *de;
	struct stat st;
	DIR *d;

	d = opendir(p);
	if (!d) {
		free(p);
		return fail_errno(e, "cannot list", rel);
	}
	while ((de = readdir(d))) {
		char *full;
		bool match;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		full = xasprintf("%s/%s", p, de->d_name);
		if (lstat(full, &st)) {
			free(full);
			continue;	/* removed meanwhile */
		}
		free(full);
		match = (type == 'd' && S_ISDIR(st.st_mode)) ||
			(type == 'f' && S_ISREG(st.st_mode)) ||
			(type == 'l' && S_ISLNK(st.st_mode));
		if (match)
			strlist_add(out, de->d_name);
	}
	closedir(d);
	free(p);
	strlist_sort(out);
	return 0;
}

/* The link's target as "<parent dir>/<name>", e.g. "initiator_groups/1". */
int cfs_readlink_base(const char *rel, char **out)
{
	char *p = abs_path(rel), buf[PATH_MAX];
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);
	char *slash, *parent;

	free(p);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash) {
		*out = xstrdup(buf);
		return 0;
	}
	*slash = '\0';
	parent = strrchr(buf, '/');
	*out = xasprintf("%s/%s", parent ? parent + 1 : buf, slash + 1);
	return 0;
}

/* A regular file its owner may write (and, with @readable, also read). */
static bool attr_mode(const char *rel, bool readable)
{
	char *p = abs_path(rel);
	struct stat st;
	bool ret = !lstat(p, &st) && S_ISREG(st.st_mode) &&
		   (st.st_mode & S_IWUSR) &&
		   (!readable || (st.st_mode & S_IRUSR));

	free(p);
	return ret;
}

bool cfs_writable_attr(const char *rel)
{
	return attr_mode(rel, false);
}

/* Settable and shown: what a saved configuration keeps. */
bool cfs_setting_attr(const char *rel)
{
	return attr_mode(rel, true);
}

static void undo_push(struct undo *u, enum undo_kind kind, const char *path,
		      const char *old)
{
	struct undo_step *s;

	if (!u)
		return;
	u->v = xrealloc(u->v, (u->n + 1) * sizeof(*u->v));
	s = &u->v[u->n++];
	s->kind = kind;
	s->path = xstrdup(path);
	s->old = old ? xstrdup(old) : NULL;
}

int u_mkdir(struct undo *u, const char *rel, struct err *e)
{
	int ret = cfs_mkdir(rel, e);

	if (!ret)
		undo_push(u, UNDO_RMDIR, rel, NULL);
	return ret;
}

int u_symlink(struct undo *u, const char *target_rel, const char *link_rel,
	      struct err *e)
{
	int ret = cfs_symlink(target_rel, link_rel, e);

	if (!ret)
		undo_push(u, UNDO_UNLINK, link_rel, NULL);
	return ret;
}

/* Write an attribute of an object that existed before: undo restores it. */
int u_write(struct undo *u, const char *rel, const char *value, struct err *e)
{
	char *old = NULL;
	int ret;

	ret = cfs_read(rel, &old, e);
	if (ret)
		return ret;
	strip_newline(old);
	ret = cfs_write(rel, value, e);
	if (!ret && strcmp(old, value))
		undo_push(u, UNDO_WRITE, rel, old);
	free(old);
	return ret;
}

/* Remove a link to @target_rel: undo makes it again. */
int u_unlink(struct undo *u, const char *rel, const char *target_rel,
	     struct err *e)
{
	int ret = cfs_unlink(rel, e);

	if (!ret)
		undo_push(u, UNDO_LINK, rel, target_rel);
	return ret;
}

/* Undo newest first; returns the number of steps that failed (warned). */
int undo_run(struct undo *u)
{
	struct err e;
	int failed = 0, ret;

	while (u->n) {
		struct undo_step *s = &u->v[--u->n];

		switch (s->kind) {
		case UNDO_RMDIR:
			ret = cfs_rmdir(s->path, &e);
			break;
		case UNDO_UNLINK:
			ret = cfs_unlink(s->path, &e);
			break;
		case UNDO_LINK:
			ret = cfs_symlink(s->old, s->path, &e);
			break;
		default:
			ret = cfs_write(s->path, s->old, &e);
			break;
		}
		if (ret) {
			warnx_("undo: %s", e.msg);
			failed++;
		}
		free(s->path);
		free(s->old);
	}
	free(u->v);
	u->v = NULL;
	return failed;
}

void undo_forget(struct undo *u)
{
	size_t i;

	for (i = 0; i < u->n; i++) {
		free(u->v[i].path);
		free(u->v[i].old);
	}
	free(u->v);
	u->v = NULL;
	u->n = 0;
}
