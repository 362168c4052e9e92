/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iscsi-spt: the command-line tool for the iscsi_spt target. It reads
 * and writes the module's configfs tree, and keeps the configuration in
 * a JSON file (save/restore).
 */
#ifndef ISCSI_SPT_CLI_H
#define ISCSI_SPT_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <linux/iscsi_spt.h>

#define CLI_NAME		"iscsi-spt"
#define CLI_DEFAULT_ROOT	"/sys/kernel/config/" ISCSI_SPT_CONFIGFS_ROOT
#define CLI_DEFAULT_CONFIG	"/etc/iscsi_spt/config.json"
#define CLI_CONFIG_VERSION	1

/* Exit codes (also in the man page). */
enum {
	EXIT_OK		= 0,
	EXIT_FAIL	= 1,	/* the target refused, or an object is missing or in use */
	EXIT_USAGE	= 2,	/* bad command line or invalid value: nothing changed */
	EXIT_NOMODULE	= 3,	/* the module is not loaded (no configfs tree) */
	EXIT_CONFIG	= 4,	/* the configuration file cannot be read or is invalid */
};

/* Limits the module applies, checked before anything is written. */
#define NAME_MAX_LEN		223
#define ALIAS_MAX_LEN		255
#define LUN_ID_MAX		16383
#define LUN_PATH_MAX		256
#define ACL_MAX_ENTRIES		256
/* configfs takes a text attribute in one write of less than a page. */
#define ATTR_WRITE_MAX		4095

/* A message naming what failed and why, and the exit code it maps to. */
struct err {
	int	code;
	char	msg[1024];
};

/* util.c */
extern const char *cli_root;
extern bool cli_quiet;
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *strip_newline(char *s);

struct strlist {
	char	**v;
	size_t	n;
};

void strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);
bool strlist_has(const struct strlist *l, const char *s);
void strlist_split(struct strlist *l, const char *text, const char *seps);
char *strlist_join(const struct strlist *l, const char *sep);
void strlist_sort(struct strlist *l);

/* An attribute's name and value, for attributes the tool does not know. */
struct kv {
	char	*key;
	char	*value;
};

struct kvlist {
	struct kv	*v;
	size_t		n;
};

void kvlist_add(struct kvlist *l, const char *key, const char *value);
void kvlist_free(struct kvlist *l);
const char *kvlist_get(const struct kvlist *l, const char *key);

/* cfs.c: the configfs tree, paths relative to cli_root */
char *cfs_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cfs_check_root(struct err *e);
bool cfs_exists(const char *rel);
int cfs_read(const char *rel, char **out, struct err *e);
int cfs_write(const char *rel, const char *value, struct err *e);
int cfs_mkdir(const char *rel, struct err *e);
int cfs_rmdir(const char *rel, struct err *e);
int cfs_symlink(const char *target_rel, const char *link_rel, struct err *e);
int cfs_unlink(const char *rel, struct err *e);
int cfs_list(const char *rel, char type, struct strlist *out, struct err *e);
int cfs_readlink_base(const char *rel, char **out);
bool cfs_writable_attr(const char *rel);
bool cfs_setting_attr(const char *rel);
const char *errno_text(int err);

/* Changes made so far, to undo on a later failure (newest last). */
enum undo_kind { UNDO_RMDIR, UNDO_UNLINK, UNDO_WRITE, UNDO_LINK };

struct undo_step {
	enum undo_kind	kind;
	char		*path;
	char		*old;	/* UNDO_WRITE: the value; UNDO_LINK: the link's target */
};

struct undo {
	struct undo_step	*v;
	size_t			n;
};

int u_mkdir(struct undo *u, const char *rel, struct err *e);
int u_symlink(struct undo *u, const char *target_rel, const char *link_rel,
	      struct err *e);
int u_write(struct undo *u, const char *rel, const char *value, struct err *e);
int u_unlink(struct undo *u, const char *rel, const char *target_rel,
	     struct err *e);
int undo_run(struct undo *u);
void undo_forget(struct undo *u);

/* validate.c: the rules the module applies, as pure functions */
bool valid_iscsi_name(const char *name, const char **why);
bool valid_tag(const char *s, unsigned int *tag);
bool valid_lun_id(const char *s, unsigned int *id);
bool valid_portal(const char *s, const char **why);
bool valid_advertise(const char *s, const char **why);
bool portal_same(const char *a, const char *b);
bool valid_netmask(const char *s, const char **why);
bool valid_cpulist(const char *s, const char **why);
bool valid_alias(const char *s, const char **why);
bool valid_uint(const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out);
bool valid_device(const char *path, const char **why);
bool valid_chap_user(const char *s, const char **why);
bool valid_chap_secret(const char *s, const char **why);
bool valid_chap_algs(const char *s, const char **why);
bool valid_yes_no(const char *s, bool *out);
int parse_pair(const char *s, unsigned int *a, unsigned int *b);
int parse_lun_spec(const char *s, unsigned int *id, char **device);
char *target_full_name(const char *name, const char *node_base);

/*
 * Global parameters the tool knows: ranges, and whether numeric; @words
 * lists the values a non-numeric one takes ('|' between them).
 */
struct param_desc {
	const char		*name;
	bool			numeric;
	unsigned long long	min, max;
	const char		*help;
	const char		*words;
};

extern const struct param_desc param_descs[];
const struct param_desc *param_find(const char *name);
bool valid_param(const char *name, const char *value, const char **why);
bool valid_params(const struct kvlist *set, const struct kvlist *live,
		  const char **why);
void params_order(struct kvlist *set, const struct kvlist *live);

/* model.c: the configuration as objects */
struct portal {
	char		*addr;		/* its directory's name */
	char		*advertise;	/* NULL: none */
	struct kvlist	extra;
};

struct portal_group {
	unsigned int	tag;
	char		*cpus;		/* NULL: leave the default */
	struct portal	*portals;
	size_t		nr_portals;
	struct kvlist	extra;
};

struct initiator_group {
	unsigned int	tag;
	struct strlist	initiators;
	struct strlist	netmasks;
	struct kvlist	extra;
};

struct lun {
	unsigned int	id;
	char		*device_path;
	bool		enabled;
	struct kvlist	extra;
};

struct map {
	unsigned int	pg_tag;
	unsigned int	*ig_tags;
	size_t		nr_igs;
};

/* CHAP: what a target, or discovery, asks (targets/<iqn>/auth, discovery_auth). */
struct auth_policy {
	bool		require_chap;
	bool		mutual_chap;
	unsigned int	group;		/* the linked auth group; 0: none */
};

/*
 * One CHAP user of an auth group. configfs never shows a secret: loaded
 * from the live tree, secret and mutual_secret are NULL (unknown); from
 * a file, they are what the file holds.
 */
struct auth_secret {
	char		*user;
	char		*secret;
	char		*mutual_user;	/* NULL: none */
	char		*mutual_secret;
};

struct auth_group {
	unsigned int		tag;
	char			*chap_algs;	/* NULL: the module's default */
	struct auth_secret	*secrets;
	size_t			nr_secrets;
	struct kvlist		extra;
};

struct target {
	char		*name;
	char		*alias;
	struct auth_policy auth;
	struct lun	*luns;
	size_t		nr_luns;
	struct map	*maps;
	size_t		nr_maps;
	struct kvlist	extra;
};

struct model {
	struct kvlist		params;
	struct portal_group	*pgs;
	size_t			nr_pgs;
	struct initiator_group	*igs;
	size_t			nr_igs;
	struct target		*targets;
	size_t			nr_targets;
	struct auth_group	*auth_groups;
	size_t			nr_auth_groups;
	struct auth_policy	discovery_auth;
	struct kvlist		discovery_extra;
};

void model_free(struct model *m);
bool model_empty(const struct model *m);
struct portal_group *model_pg(const struct model *m, unsigned int tag);
struct initiator_group *model_ig(const struct model *m, unsigned int tag);
struct target *model_target(const struct model *m, const char *name);
struct portal_group *model_add_pg(struct model *m, unsigned int tag);
struct portal *pg_add_portal(struct portal_group *pg, const char *addr);
struct initiator_group *model_add_ig(struct model *m, unsigned int tag);
struct target *model_add_target(struct model *m, const char *name);
struct lun *target_add_lun(struct target *t, unsigned int id);
struct map *target_map(const struct target *t, unsigned int pg_tag);
struct map *target_add_map(struct target *t, unsigned int pg_tag);
void map_add_ig(struct map *map, unsigned int ig_tag);
struct auth_group *model_auth_group(const struct model *m, unsigned int tag);
struct auth_group *model_add_auth_group(struct model *m, unsigned int tag);
struct auth_secret *auth_group_secret(const struct auth_group *ag,
				      const char *user);
struct auth_secret *auth_group_add_secret(struct auth_group *ag,
					  const char *user);
bool auth_policy_default(const struct auth_policy *p);
int model_keep_secrets(struct model *m, const struct model *old);
void model_sort(struct model *m);

int model_validate(const struct model *m, bool check_devices, struct err *e);
int model_load(struct model *m, struct err *e);
int model_apply(const struct model *m, struct undo *u, struct err *e);
void params_live(const struct kvlist *set, struct kvlist *live);
int model_clear(const struct model *m, struct err *e);

int pg_apply(const struct portal_group *pg, struct undo *u, struct err *e);
int ig_apply(const struct initiator_group *ig, struct undo *u, struct err *e);
int target_apply(const struct target *t, struct undo *u, struct err *e);
int lun_apply(const char *target, const struct lun *lun, struct undo *u,
	      struct err *e);
int map_apply(const char *target, const struct map *map, struct undo *u,
	      struct err *e);
int target_remove(const struct target *t, struct err *e);
int auth_group_apply(const struct auth_group *ag, struct undo *u,
		     struct err *e);
int auth_secret_apply(unsigned int tag, const struct auth_secret *s,
		      struct undo *u, struct err *e);
int policy_apply(const char *dir, const char *object,
		 const struct auth_policy *p, struct undo *u, struct err *e);
int policy_unlink(const char *dir, struct undo *u, struct err *e);
int auth_group_remove(const struct auth_group *ag, struct err *e);
char *map_link_name(unsigned int ig_tag);

/* json.c */
struct json_object *model_to_json(const struct model *m);
int model_from_json(struct json_object *root, struct model *m, struct err *e);
int model_parse_text(const char *text, struct model *m, struct err *e);
char *model_to_text(const struct model *m);
struct json_object *pg_to_json(const struct portal_group *pg);
struct json_object *ig_to_json(const struct initiator_group *ig);
struct json_object *target_to_json(const struct target *t);
struct json_object *auth_group_to_json(const struct auth_group *ag,
				       bool with_secrets);
struct json_object *policy_to_json(const struct auth_policy *p);

/* state.c: the "sessions" and "stats" files */
struct record {
	char		*kind;		/* "conn", "lun", "cpu" */
	struct kvlist	fields;
};

struct records {
	struct record	*v;
	size_t		n;
	bool		complete;	/* ended with "# end" */
};

int records_parse(const char *text, struct records *out, struct err *e);
void records_free(struct records *r);
const char *record_get(const struct record *r, const char *key);
unsigned long long record_u64(const struct record *r, const char *key);

#define LAT_BUCKETS	20

struct counters {
	unsigned long long	cmds, reads, writes;
	unsigned long long	read_bytes, write_bytes, errors;
	unsigned long long	lat_sum_ns;
	unsigned long long	lat[LAT_BUCKETS];
};

int counters_parse(const struct record *r, struct counters *c);
void counters_delta(const struct counters *now, const struct counters *then,
		    struct counters *d);
unsigned long long counters_percentile_us(const struct counters *c,
					  double pct);
char *record_id(const struct record *r);

/* Subcommands (cmds.c, cmd_config.c, cmd_top.c). */
struct command {
	const char	*group;		/* "portal-group", or NULL */
	const char	*name;
	const char	*synopsis;
	const char	*help;
	int		(*fn)(int argc, char **argv);
};

extern const struct command commands[];
void command_usage(const struct command *c, FILE *f);
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_pg_add(int argc, char **argv);
int cmd_pg_delete(int argc, char **argv);
int cmd_pg_list(int argc, char **argv);
int cmd_ig_add(int argc, char **argv);
int cmd_ig_delete(int argc, char **argv);
int cmd_ig_list(int argc, char **argv);
int cmd_target_create(int argc, char **argv);
int cmd_target_delete(int argc, char **argv);
int cmd_target_list(int argc, char **argv);
int cmd_lun_add(int argc, char **argv);
int cmd_lun_remove(int argc, char **argv);
int cmd_map_add(int argc, char **argv);
int cmd_map_delete(int argc, char **argv);
int cmd_ag_create(int argc, char **argv);
int cmd_ag_delete(int argc, char **argv);
int cmd_ag_list(int argc, char **argv);
int cmd_ag_add_secret(int argc, char **argv);
int cmd_ag_remove_secret(int argc, char **argv);
int cmd_target_auth(int argc, char **argv);
int cmd_discovery_auth(int argc, char **argv);
int cmd_params_get(int argc, char **argv);
int cmd_params_set(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_clear(int argc, char **argv);
int cmd_connections(int argc, char **argv);
int cmd_top(int argc, char **argv);

int report(const struct err *e);

#endif /* ISCSI_SPT_CLI_H */
