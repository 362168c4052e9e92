// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration as JSON (json-c), for save, restore and --json:
 *
 * { "version": 1,
 *   "params": { "node_base": "iqn...", "max_sessions": 4096, ... },
 *   "portal_groups": [ { "tag": 1, "cpus": "0-1",
 *                        "portals": [ "0.0.0.0:3260",
 *                                     { "address": "[::]:3260",
 *                                       "advertise": "[2001:db8::1]:3260" } ] } ],
 *   "initiator_groups": [ { "tag": 1, "initiators": [ "ANY" ],
 *                           "netmasks": [ "192.0.2.0/24" ] } ],
 *   "targets": [ { "name": "iqn...", "alias": "",
 *                  "luns": [ { "id": 0, "device_path": "/dev/sdb",
 *                              "enabled": true } ],
 *                  "maps": [ { "pg_tag": 1, "ig_tags": [ 1 ] } ],
 *                  "auth": { "require_chap": true, "mutual_chap": false,
 *                            "auth_group": 1 } } ],
 *   "auth_groups": [ { "tag": 1, "chap_algs": "8,7,6,5",
 *                      "secrets": [ { "user": "host1", "secret": "...",
 *                                     "mutual_user": "tgt",
 *                                     "mutual_secret": "..." } ] } ],
 *   "discovery_auth": { "require_chap": false, "mutual_chap": false } }
 *
 * A target's "auth" is left out when it asks for nothing (no CHAP, no
 * group). Secrets are only what the file was given: configfs never shows
 * them, so a secret is absent where save could not learn it.
 *
 * Any object may carry "attributes": { "name": "value" } for attributes
 * the tool does not know. Reading is strict: unknown keys and wrong types
 * are errors naming their place in the file, so a typo cannot silently
 * drop part of a configuration.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi-spt.h"

static struct json_object *str_array(const struct strlist *l)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_object_array_add(a, json_object_new_string(l->v[i]));
	return a;
}

static void add_extra(struct json_object *o, const struct kvlist *extra)
{
	struct json_object *attrs;
	size_t i;

	if (!extra->n)
		return;
	attrs = json_object_new_object();
	for (i = 0; i < extra->n; i++)
		json_object_object_add(attrs, extra->v[i].key,
				       json_object_new_string(extra->v[i].value));
	json_object_object_add(o, "attributes", attrs);
}

/* A portal is its address, or an object when it has settings. */
static struct json_object *portal_to_json(const struct portal *p)
{
	struct json_object *o;

	if (!p->advertise && !p->extra.n)
		return json_object_new_string(p->addr);
	o = json_object_new_object();
	json_object_object_add(o, "address", json_object_new_string(p->addr));
	if (p->advertise)
		json_object_object_add(o, "advertise",
				       json_object_new_string(p->advertise));
	add_extra(o, &p->extra);
	return o;
}

struct json_object *pg_to_json(const struct portal_group *pg)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	size_t i;

	json_object_object_add(o, "tag", json_object_new_int(pg->tag));
	if (pg->cpus)
		json_object_object_add(o, "cpus",
				       json_object_new_string(pg->cpus));
	for (i = 0; i < pg->nr_portals; i++)
		json_object_array_add(a, portal_to_json(&pg->portals[i]));
	json_object_object_add(o, "portals", a);
	add_extra(o, &pg->extra);
	return o;
}

struct json_object *ig_to_json(const struct initiator_group *ig)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "tag", json_object_new_int(ig->tag));
	json_object_object_add(o, "initiators", str_array(&ig->initiators));
	json_object_object_add(o, "netmasks", str_array(&ig->netmasks));
	add_extra(o, &ig->extra);
	return o;
}

struct json_object *policy_to_json(const struct auth_policy *p)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "require_chap",
			       json_object_new_boolean(p->require_chap));
	json_object_object_add(o, "mutual_chap",
			       json_object_new_boolean(p->mutual_chap));
	if (p->group)
		json_object_object_add(o, "auth_group",
				       json_object_new_int(p->group));
	return o;
}

static void add_str(struct json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

/* With @with_secrets false (listings), secrets are never printed. */
struct json_object *auth_group_to_json(const struct auth_group *ag,
				       bool with_secrets)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	size_t i;

	json_object_object_add(o, "tag", json_object_new_int(ag->tag));
	add_str(o, "chap_algs", ag->chap_algs);
	for (i = 0; i < ag->nr_secrets; i++) {
		const struct auth_secret *sec = &ag->secrets[i];
		struct json_object *so = json_object_new_object();

		add_str(so, "user", sec->user);
		if (with_secrets)
			add_str(so, "secret", sec->secret);
		add_str(so, "mutual_user", sec->mutual_user);
		if (with_secrets)
			add_str(so, "mutual_secret", sec->mutual_secret);
		json_object_array_add(a, so);
	}
	json_object_object_add(o, "secrets", a);
	add_extra(o, &ag->extra);
	return o;
}

struct json_object *target_to_json(const struct target *t)
{
	struct json_object *o = json_object_new_object();
	struct json_object *luns = json_object_new_array();
	struct json_object *maps = json_object_new_array();
	size_t i, j;

	json_object_object_add(o, "name", json_object_new_string(t->name));
	json_object_object_add(o, "alias",
			       json_object_new_string(t->alias ? t->alias : ""));
	for (i = 0; i < t->nr_luns; i++) {
		const struct lun *lun = &t->luns[i];
		struct json_object *l = json_object_new_object();

		json_object_object_add(l, "id", json_object_new_int(lun->id));
		json_object_object_add(l, "device_path",
				       json_object_new_string(lun->device_path ?
							      lun->device_path : ""));
		json_object_object_add(l, "enabled",
				       json_object_new_boolean(lun->enabled));
		add_extra(l, &lun->extra);
		json_object_array_add(luns, l);
	}
	json_object_object_add(o, "luns", luns);
	for (i = 0; i < t->nr_maps; i++) {
		const struct map *map = &t->maps[i];
		struct json_object *mo = json_object_new_object();
		struct json_object *igs = json_object_new_array();

		json_object_object_add(mo, "pg_tag",
				       json_object_new_int(map->pg_tag));
		for (j = 0; j < map->nr_igs; j++)
			json_object_array_add(igs,
					      json_object_new_int(map->ig_tags[j]));
		json_object_object_add(mo, "ig_tags", igs);
		json_object_array_add(maps, mo);
	}
	json_object_object_add(o, "maps", maps);
	if (!auth_policy_default(&t->auth))
		json_object_object_add(o, "auth", policy_to_json(&t->auth));
	add_extra(o, &t->extra);
	return o;
}

struct json_object *model_to_json(const struct model *m)
{
	struct json_object *root = json_object_new_object();
	struct json_object *params = json_object_new_object();
	struct json_object *a;
	unsigned long long v;
	size_t i;

	json_object_object_add(root, "version",
			       json_object_new_int(CLI_CONFIG_VERSION));
	for (i = 0; i < m->params.n; i++) {
		const struct param_desc *d = param_find(m->params.v[i].key);
		const char *val = m->params.v[i].value;

		if (d && d->numeric && valid_uint(val, 0, ~0ULL >> 4, &v))
			json_object_object_add(params, m->params.v[i].key,
					       json_object_new_int64(v));
		else
			json_object_object_add(params, m->params.v[i].key,
					       json_object_new_string(val));
	}
	json_object_object_add(root, "params", params);
	a = json_object_new_array();
	for (i = 0; i < m->nr_pgs; i++)
		json_object_array_add(a, pg_to_json(&m->pgs[i]));
	json_object_object_add(root, "portal_groups", a);
	a = json_object_new_array();
	for (i = 0; i < m->nr_igs; i++)
		json_object_array_add(a, ig_to_json(&m->igs[i]));
	json_object_object_add(root, "initiator_groups", a);
	a = json_object_new_array();
	for (i = 0; i < m->nr_targets; i++)
		json_object_array_add(a, target_to_json(&m->targets[i]));
	json_object_object_add(root, "targets", a);
	a = json_object_new_array();
	for (i = 0; i < m->nr_auth_groups; i++)
		json_object_array_add(a, auth_group_to_json(&m->auth_groups[i],
							    true));
	json_object_object_add(root, "auth_groups", a);
	a = policy_to_json(&m->discovery_auth);
	add_extra(a, &m->discovery_extra);
	json_object_object_add(root, "discovery_auth", a);
	return root;
}

char *model_to_text(const struct model *m)
{
	struct json_object *o = model_to_json(m);
	char *s = xasprintf("%s\n", json_object_to_json_string_ext(o,
			    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			    JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

/* Reading: each helper names the place in the file on error. */

static int bad(struct err *e, const char *where, const char *what)
{
	return err_set(e, EXIT_CONFIG, "%s: %s", where, what);
}

/* Only keys from @known (NULL-terminated) may appear in @o. */
static int check_keys(struct json_object *o, const char *where,
		      const char *const *known, struct err *e)
{
	json_object_object_foreach(o, key, val) {
		const char *const *k;
		char *list, *p;
		size_t n = 1;

		(void)val;
		for (k = known; *k; k++)
			if (!strcmp(*k, key))
				break;
		if (*k)
			continue;
		for (k = known; *k; k++)
			n += strlen(*k) + 2;
		list = xmalloc(n);
		p = list;
		*p = '\0';
		for (k = known; *k; k++)
			p += sprintf(p, "%s%s", k == known ? "" : ", ", *k);
		err_set(e, EXIT_CONFIG, "%s: unknown key \"%s\" (known: %s)",
			where, key, list);
		free(list);
		return -1;
	}
	return 0;
}

static int want_type(struct json_object *o, enum json_type type,
		     const char *where, struct err *e)
{
	static const char *const names[] = {
		[json_type_null] = "null", [json_type_boolean] = "true or false",
		[json_type_double] = "a number", [json_type_int] = "an integer",
		[json_type_object] = "an object", [json_type_array] = "an array",
		[json_type_string] = "a string",
	};

	if (json_object_get_type(o) == type)
		return 0;
	return err_set(e, EXIT_CONFIG, "%s: must be %s", where, names[type]);
}

static int get_uint(struct json_object *o, const char *where,
		    unsigned int min, unsigned int max, unsigned int *out,
		    struct err *e)
{
	int64_t v;

	if (want_type(o, json_type_int, where, e))
		return -1;
	v = json_object_get_int64(o);
	if (v < min || v > max)
		return err_set(e, EXIT_CONFIG, "%s: %lld is not from %u to %u",
			       where, (long long)v, min, max);
	*out = v;
	return 0;
}

static int get_str(struct json_object *o, const char *where, char **out,
		   struct err *e)
{
	if (want_type(o, json_type_string, where, e))
		return -1;
	*out = xstrdup(json_object_get_string(o));
	return 0;
}

static int get_str_array(struct json_object *o, const char *where,
			 struct strlist *out, struct err *e)
{
	size_t i, n;

	if (want_type(o, json_type_array, where, e))
		return -1;
	n = json_object_array_length(o);
	for (i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(o, i);
		char *w = xasprintf("%s[%zu]", where, i);
		int ret = want_type(s, json_type_string, w, e);

		free(w);
		if (ret)
			return -1;
		strlist_add(out, json_object_get_string(s));
	}
	return 0;
}

static int get_extra(struct json_object *o, const char *where,
		     struct kvlist *out, struct err *e)
{
	struct json_object *attrs;
	char *w;

	if (!json_object_object_get_ex(o, "attributes", &attrs))
		return 0;
	w = xasprintf("%s.attributes", where);
	if (want_type(attrs, json_type_object, w, e)) {
		free(w);
		return -1;
	}
	json_object_object_foreach(attrs, key, val) {
		char *kw = xasprintf("%s.%s", w, key);
		int ret = want_type(val, json_type_string, kw, e);

		free(kw);
		if (ret) {
			free(w);
			return -1;
		}
		kvlist_add(out, key, json_object_get_string(val));
	}
	free(w);
	return 0;
}

/* A required member of @o. */
static struct json_object *member(struct json_object *o, const char *key,
				  const char *where, struct err *e)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v))
		return v;
	err_set(e, EXIT_CONFIG, "%s: \"%s\" is missing", where, key);
	return NULL;
}

static int parse_params(struct json_object *o, struct model *m, struct err *e)
{
	if (want_type(o, json_type_object, "params", e))
		return -1;
	json_object_object_foreach(o, key, val) {
		char *w = xasprintf("params.%s", key);

		if (json_object_get_type(val) == json_type_int &&
		    json_object_get_int64(val) >= 0) {
			char *s = xasprintf("%lld",
					    (long long)json_object_get_int64(val));

			kvlist_add(&m->params, key, s);
			free(s);
		} else if (json_object_get_type(val) == json_type_string) {
			kvlist_add(&m->params, key, json_object_get_string(val));
		} else {
			bad(e, w, "must be a string or a number");
			free(w);
			return -1;
		}
		free(w);
	}
	return 0;
}

static int each(struct json_object *o, const char *key, const char *where,
		int (*fn)(struct json_object *el, const char *where,
			  void *ctx, struct err *e),
		void *ctx, struct err *e);

/* "ADDR", or { "address": "ADDR", "advertise": "ADDR", "attributes": {} } */
static int each_portal(struct json_object *el, const char *where, void *ctx,
		       struct err *e)
{
	static const char *const known[] = { "address", "advertise",
					     "attributes", NULL };
	struct json_object *v;
	struct portal *p;
	char *w, *addr;
	int ret;

	if (json_object_get_type(el) == json_type_string) {
		pg_add_portal(ctx, json_object_get_string(el));
		return 0;
	}
	if (json_object_get_type(el) != json_type_object)
		return bad(e, where, "must be a string or an object");
	if (check_keys(el, where, known, e))
		return -1;
	v = member(el, "address", where, e);
	w = xasprintf("%s.address", where);
	ret = !v || get_str(v, w, &addr, e);
	free(w);
	if (ret)
		return -1;
	p = pg_add_portal(ctx, addr);
	free(addr);
	if (json_object_object_get_ex(el, "advertise", &v)) {
		w = xasprintf("%s.advertise", where);
		ret = get_str(v, w, &p->advertise, e);
		free(w);
		if (ret)
			return -1;
	}
	return get_extra(el, where, &p->extra, e);
}

static int parse_pg(struct json_object *o, const char *where, struct model *m,
		    struct err *e)
{
	static const char *const known[] = { "tag", "cpus", "portals",
					     "attributes", NULL };
	struct json_object *v;
	struct portal_group *pg;
	unsigned int tag;
	char *w;
	int ret;

	if (want_type(o, json_type_object, where, e) ||
	    check_keys(o, where, known, e))
		return -1;
	v = member(o, "tag", where, e);
	w = xasprintf("%s.tag", where);
	ret = !v || get_uint(v, w, 1, 65535, &tag, e);
	free(w);
	if (ret)
		return -1;
	pg = model_add_pg(m, tag);
	if (json_object_object_get_ex(o, "cpus", &v)) {
		w = xasprintf("%s.cpus", where);
		ret = get_str(v, w, &pg->cpus, e);
		free(w);
		if (ret)
			return -1;
	}
	if (each(o, "portals", where, each_portal, pg, e))
		return -1;
	return get_extra(o, where, &pg->extra, e);
}

static int parse_ig(struct json_object *o, const char *where, struct model *m,
		    struct err *e)
{
	static const char *const known[] = { "tag", "initiators", "netmasks",
					     "attributes", NULL };
	struct initiator_group *ig;
	struct json_object *v;
	unsigned int tag;
	char *w;
	int ret;

	if (want_type(o, json_type_object, where, e) ||
	    check_keys(o, where, known, e))
		return -1;
	v = member(o, "tag", where, e);
	w = xasprintf("%s.tag", where);
	ret = !v || get_uint(v, w, 1, 65535, &tag, e);
	free(w);
	if (ret)
		return -1;
	ig = model_add_ig(m, tag);
	if (json_object_object_get_ex(o, "initiators", &v)) {
		w = xasprintf("%s.initiators", where);
		ret = get_str_array(v, w, &ig->initiators, e);
		free(w);
		if (ret)
			return -1;
	}
	if (json_object_object_get_ex(o, "netmasks", &v)) {
		w = xasprintf("%s.netmasks", where);
		ret = get_str_array(v, w, &ig->netmasks, e);
		free(w);
		if (ret)
			return -1;
	}
	return get_extra(o, where, &ig->extra, e);
}

static int parse_lun(struct json_object *o, const char *where,
		     struct target *t, struct err *e)
{
	static const char *const known[] = { "id", "device_path", "enabled",
					     "attributes", NULL };
	struct json_object *v;
	struct lun *lun;
	unsigned int id;
	char *w;
	int ret;

	if (want_type(o, json_type_object, where, e) ||
	    check_keys(o, where, known, e))
		return -1;
	v = member(o, "id", where, e);
	w = xasprintf("%s.id", where);
	ret = !v || get_uint(v, w, 0, LUN_ID_MAX, &id, e);
	free(w);
	if (ret)
		return -1;
	lun = target_add_lun(t, id);
	v = member(o, "device_path", where, e);
	w = xasprintf("%s.device_path", where);
	ret = !v || get_str(v, w, &lun->device_path, e);
	free(w);
	if (ret)
		return -1;
	if (json_object_object_get_ex(o, "enabled", &v)) {
		w = xasprintf("%s.enabled", where);
		ret = want_type(v, json_type_boolean, w, e);
		free(w);
		if (ret)
			return -1;
		lun->enabled = json_object_get_boolean(v);
	}
	return get_extra(o, where, &lun->extra, e);
}

static int parse_map(struct json_object *o, const char *where,
		     struct target *t, struct err *e)
{
	static const char *const known[] = { "pg_tag", "ig_tags", NULL };
	struct json_object *v;
	struct map *map;
	unsigned int tag;
	size_t i, n;
	char *w;
	int ret;

	if (want_type(o, json_type_object, where, e) ||
	    check_keys(o, where, known, e))
		return -1;
	v = member(o, "pg_tag", where, e);
	w = xasprintf("%s.pg_tag", where);
	ret = !v || get_uint(v, w, 1, 65535, &tag, e);
	free(w);
	if (ret)
		return -1;
	map = target_add_map(t, tag);
	if (!json_object_object_get_ex(o, "ig_tags", &v))
		return 0;
	w = xasprintf("%s.ig_tags", where);
	ret = want_type(v, json_type_array, w, e);
	n = ret ? 0 : json_object_array_length(v);
	for (i = 0; !ret && i < n; i++) {
		char *iw = xasprintf("%s[%zu]", w, i);

		ret = get_uint(json_object_array_get_idx(v, i), iw, 1, 65535,
			       &tag, e);
		free(iw);
		if (!ret)
			map_add_ig(map, tag);
	}
	free(w);
	return ret ? -1 : 0;
}

static int get_bool(struct json_object *o, const char *key, const char *where,
		    bool *out, struct err *e)
{
	struct json_object *v;
	char *w;
	int ret;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	w = xasprintf("%s.%s", where, key);
	ret = want_type(v, json_type_boolean, w, e);
	free(w);
	if (!ret)
		*out = json_object_get_boolean(v);
	return ret ? -1 : 0;
}

/* An optional string member @key of @o into *@out. */
static int get_opt_str(struct json_object *o, const char *key,
		       const char *where, char **out, struct err *e)
{
	struct json_object *v;
	char *w;
	int ret;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	w = xasprintf("%s.%s", where, key);
	ret = get_str(v, w, out, e);
	free(w);
	return ret;
}

/* { "require_chap": bool, "mutual_chap": bool, "auth_group": tag } */
static int parse_policy(struct json_object *o, const char *where,
			struct auth_policy *p, struct kvlist *extra,
			struct err *e)
{
	static const char *const known[] = { "require_chap", "mutual_chap",
					     "auth_group", "attributes", NULL };
	static const char *const known_noextra[] = { "require_chap",
						     "mutual_chap",
						     "auth_group", NULL };
	struct json_object *v;
	char *w;
	int ret;

	if (want_type(o, json_type_object, where, e) ||
	    check_keys(o, where, extra ? known : known_noextra, e) ||
	    get_bool(o, "require_chap", where, &p->require_chap, e) ||
	    get_bool(o, "mutual_chap", where, &p->mutual_chap, e))
		return -1;
	if (json_object_object_get_ex(o, "auth_group", &v)) {
		w = xasprintf("%s.auth_group", where);
		ret = get_uint(v, w, 1, 65535, &p->group, e);
		free(w);
		if (ret)
			return -1;
	}
	return extra ? get_extra(o, where, extra, e) : 0;
}

static int each_secret(struct json_object *el, const char *where, void *ctx,
		       struct err *e)
{
	static const char *const known[] = { "user", "secret", "mutual_user",
					     "mutual_secret", NULL };
	struct auth_secret *sec;
	struct json_object *v;
	char *w, *user;
	int ret;

	if (want_type(el, json_type_object, where, e) ||
	    check_keys(el, where, known, e))
		return -1;
	v = member(el, "user", where, e);
	w = xasprintf("%s.user", where);
	ret = !v || get_str(v, w, &user, e);
	free(w);
	if (ret)
		return -1;
	sec = auth_group_add_secret(ctx, user);
	free(user);
	if (get_opt_str(el, "secret", where, &sec->secret, e) ||
	    get_opt_str(el, "mutual_user", where, &sec->mutual_user, e) ||
	    get_opt_str(el, "mutual_secret", where, &sec->mutual_secret, e))
		return -1;
	return 0;
}

/* Calls @fn on each element of the optional array @key of @o. */
static int each(struct json_object *o, const char *key, const char *where,
		int (*fn)(struct json_object *el, const char *where,
			  void *ctx, struct err *e),
		void *ctx, struct err *e)
{
	struct json_object *a;
	size_t i, n;
	char *w;
	int ret = 0;

	if (!json_object_object_get_ex(o, key, &a))
		return 0;
	w = where ? xasprintf("%s.%s", where, key) : xstrdup(key);
	if (want_type(a, json_type_array, w, e)) {
		free(w);
		return -1;
	}
	n = json_object_array_length(a);
	for (i = 0; !ret && i < n; i++) {
		char *ew = xasprintf("%s[%zu]", w, i);

		ret = fn(json_object_array_get_idx(a, i), ew, ctx, e);
		free(ew);
	}
	free(w);
	return ret;
}

static int each_auth_group(struct json_object *el, const char *where,
			   void *ctx, struct err *e)
{
	static const char *const known[] = { "tag", "chap_algs", "secrets",
					     "attributes", NULL };
	struct auth_group *ag;
	struct json_object *v;
	unsigned int tag;
	char *w;
	int ret;

	if (want_type(el, json_type_object, where, e) ||
	    check_keys(el, where, known, e))
		return -1;
	v = member(el, "tag", where, e);
	w = xasprintf("%s.tag", where);
	ret = !v || get_uint(v, w, 1, 65535, &tag, e);
	free(w);
	if (ret)
		return -1;
	ag = model_add_auth_group(ctx, tag);
	if (get_opt_str(el, "chap_algs", where, &ag->chap_algs, e) ||
	    each(el, "secrets", where, each_secret, ag, e))
		return -1;
	return get_extra(el, where, &ag->extra, e);
}

/*
 * Files saved before the tool knew auth policies carry a target's flags
 * as attributes "auth/require_chap" and "auth/mutual_chap": take them.
 */
static void take_legacy_auth(struct target *t)
{
	struct kvlist kept = {};
	size_t i;

	for (i = 0; i < t->extra.n; i++) {
		const struct kv *kv = &t->extra.v[i];

		if (!strcmp(kv->key, "auth/require_chap"))
			t->auth.require_chap |= !strcmp(kv->value, "1");
		else if (!strcmp(kv->key, "auth/mutual_chap"))
			t->auth.mutual_chap |= !strcmp(kv->value, "1");
		else
			kvlist_add(&kept, kv->key, kv->value);
	}
	kvlist_free(&t->extra);
	t->extra = kept;
}

static int each_pg(struct json_object *el, const char *where, void *ctx,
		   struct err *e)
{
	return parse_pg(el, where, ctx, e);
}

static int each_ig(struct json_object *el, const char *where, void *ctx,
		   struct err *e)
{
	return parse_ig(el, where, ctx, e);
}

static int each_lun(struct json_object *el, const char *where, void *ctx,
		    struct err *e)
{
	return parse_lun(el, where, ctx, e);
}

static int each_map(struct json_object *el, const char *where, void *ctx,
		    struct err *e)
{
	return parse_map(el, where, ctx, e);
}

static int each_target(struct json_object *el, const char *where, void *ctx,
		       struct err *e)
{
	static const char *const known[] = { "name", "alias", "luns", "maps",
					     "auth", "attributes", NULL };
	struct json_object *v;
	struct target *t;
	char *w, *name;
	int ret;

	if (want_type(el, json_type_object, where, e) ||
	    check_keys(el, where, known, e))
		return -1;
	v = member(el, "name", where, e);
	w = xasprintf("%s.name", where);
	ret = !v || get_str(v, w, &name, e);
	free(w);
	if (ret)
		return -1;
	t = model_add_target(ctx, name);
	free(name);
	if (json_object_object_get_ex(el, "alias", &v)) {
		free(t->alias);
		t->alias = NULL;
		w = xasprintf("%s.alias", where);
		ret = get_str(v, w, &t->alias, e);
		free(w);
		if (ret) {
			t->alias = xstrdup("");
			return -1;
		}
	}
	if (each(el, "luns", where, each_lun, t, e) ||
	    each(el, "maps", where, each_map, t, e))
		return -1;
	if (json_object_object_get_ex(el, "auth", &v)) {
		w = xasprintf("%s.auth", where);
		ret = parse_policy(v, w, &t->auth, NULL, e);
		free(w);
		if (ret)
			return -1;
	}
	if (get_extra(el, where, &t->extra, e))
		return -1;
	take_legacy_auth(t);
	return 0;
}

int model_from_json(struct json_object *root, struct model *m, struct err *e)
{
	static const char *const known[] = { "version", "params",
					     "portal_groups",
					     "initiator_groups", "targets",
					     "auth_groups", "discovery_auth",
					     NULL };
	struct json_object *v;
	unsigned int version;

	memset(m, 0, sizeof(*m));
	if (want_type(root, json_type_object, "the file", e) ||
	    check_keys(root, "the file", known, e))
		return -1;
	if (json_object_object_get_ex(root, "version", &v)) {
		if (get_uint(v, "version", 0, ~0U, &version, e))
			return -1;
		if (version != CLI_CONFIG_VERSION)
			return err_set(e, EXIT_CONFIG,
				       "version %u: this tool reads version %d",
				       version, CLI_CONFIG_VERSION);
	}
	if ((json_object_object_get_ex(root, "params", &v) &&
	     parse_params(v, m, e)) ||
	    each(root, "portal_groups", NULL, each_pg, m, e) ||
	    each(root, "initiator_groups", NULL, each_ig, m, e) ||
	    each(root, "targets", NULL, each_target, m, e) ||
	    each(root, "auth_groups", NULL, each_auth_group, m, e) ||
	    (json_object_object_get_ex(root, "discovery_auth", &v) &&
	     parse_policy(v, "discovery_auth", &m->discovery_auth,
			  &m->discovery_extra, e))) {
		model_free(m);
		return -1;
	}
	model_sort(m);
	return 0;
}

/* Parse a whole file's text; errors give the line and column. */
int model_parse_text(const char *text, struct model *m, struct err *e)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;
	size_t len = strlen(text);
	int ret;

	/* Strict: no trailing commas or other leniencies in a config file. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, len);
	if (!root || (size_t)json_tokener_get_parse_end(tok) < len) {
		size_t off = json_tokener_get_parse_end(tok), i;
		unsigned int line = 1, col = 1;
		enum json_tokener_error jerr = json_tokener_get_error(tok);

		for (i = 0; i < off && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		if (root && jerr == json_tokener_success) {
			/* Only whitespace may follow the document. */
			for (i = off; i < len; i++)
				if (!strchr(" \t\r\n", text[i]))
					break;
			if (i == len)
				goto parsed;
			err_set(e, EXIT_CONFIG,
				"line %u, column %u: text after the end of the JSON document",
				line, col);
		} else {
			err_set(e, EXIT_CONFIG, "line %u, column %u: %s",
				line, col,
				jerr == json_tokener_continue ?
				"the JSON document ends early" :
				json_tokener_error_desc(jerr));
		}
		json_object_put(root);
		json_tokener_free(tok);
		return -1;
	}
parsed:
	json_tokener_free(tok);
	ret = model_from_json(root, m, e);
	json_object_put(root);
	return ret;
}
