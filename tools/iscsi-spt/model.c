// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration as objects: portal groups, initiator groups, auth
 * groups, targets with their LUNs, maps and auth policy, discovery's
 * auth policy, and the global parameters. It is loaded from
 * configfs (list, save), checked as a whole (restore validates before it
 * writes anything), applied with an undo log, and cleared.
 *
 * Attributes this tool does not know (added to the module later) are
 * carried along as "extra" name/value pairs, so save and restore keep
 * them too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi-spt.h"

void model_free(struct model *m)
{
	size_t i, j;

	kvlist_free(&m->params);
	for (i = 0; i < m->nr_pgs; i++) {
		free(m->pgs[i].cpus);
		for (j = 0; j < m->pgs[i].nr_portals; j++) {
			free(m->pgs[i].portals[j].addr);
			free(m->pgs[i].portals[j].advertise);
			kvlist_free(&m->pgs[i].portals[j].extra);
		}
		free(m->pgs[i].portals);
		kvlist_free(&m->pgs[i].extra);
	}
	free(m->pgs);
	for (i = 0; i < m->nr_igs; i++) {
		strlist_free(&m->igs[i].initiators);
		strlist_free(&m->igs[i].netmasks);
		kvlist_free(&m->igs[i].extra);
	}
	free(m->igs);
	for (i = 0; i < m->nr_targets; i++) {
		struct target *t = &m->targets[i];

		free(t->name);
		free(t->alias);
		for (j = 0; j < t->nr_luns; j++) {
			free(t->luns[j].device_path);
			kvlist_free(&t->luns[j].extra);
		}
		free(t->luns);
		for (j = 0; j < t->nr_maps; j++)
			free(t->maps[j].ig_tags);
		free(t->maps);
		kvlist_free(&t->extra);
	}
	free(m->targets);
	for (i = 0; i < m->nr_auth_groups; i++) {
		struct auth_group *ag = &m->auth_groups[i];

		free(ag->chap_algs);
		for (j = 0; j < ag->nr_secrets; j++) {
			struct auth_secret *sec = &ag->secrets[j];

			free(sec->user);
			free(sec->mutual_user);
			/* Not left in freed memory. */
			if (sec->secret)
				explicit_bzero(sec->secret, strlen(sec->secret));
			if (sec->mutual_secret)
				explicit_bzero(sec->mutual_secret,
					       strlen(sec->mutual_secret));
			free(sec->secret);
			free(sec->mutual_secret);
		}
		free(ag->secrets);
		kvlist_free(&ag->extra);
	}
	free(m->auth_groups);
	kvlist_free(&m->discovery_extra);
	memset(m, 0, sizeof(*m));
}

/* No objects (parameters aside). */
bool model_empty(const struct model *m)
{
	return !m->nr_pgs && !m->nr_igs && !m->nr_targets &&
	       !m->nr_auth_groups;
}

struct auth_group *model_auth_group(const struct model *m, unsigned int tag)
{
	size_t i;

	for (i = 0; i < m->nr_auth_groups; i++)
		if (m->auth_groups[i].tag == tag)
			return &m->auth_groups[i];
	return NULL;
}

struct auth_group *model_add_auth_group(struct model *m, unsigned int tag)
{
	struct auth_group *ag;

	m->auth_groups = xrealloc(m->auth_groups, (m->nr_auth_groups + 1) *
				  sizeof(*m->auth_groups));
	ag = &m->auth_groups[m->nr_auth_groups++];
	memset(ag, 0, sizeof(*ag));
	ag->tag = tag;
	return ag;
}

struct auth_secret *auth_group_secret(const struct auth_group *ag,
				      const char *user)
{
	size_t i;

	for (i = 0; i < ag->nr_secrets; i++)
		if (!strcmp(ag->secrets[i].user, user))
			return &ag->secrets[i];
	return NULL;
}

struct auth_secret *auth_group_add_secret(struct auth_group *ag,
					  const char *user)
{
	struct auth_secret *sec;

	ag->secrets = xrealloc(ag->secrets,
			       (ag->nr_secrets + 1) * sizeof(*ag->secrets));
	sec = &ag->secrets[ag->nr_secrets++];
	memset(sec, 0, sizeof(*sec));
	sec->user = xstrdup(user);
	return sec;
}

/* What a new target, or discovery, starts with: no CHAP. */
bool auth_policy_default(const struct auth_policy *p)
{
	return !p->require_chap && !p->mutual_chap && !p->group;
}

/*
 * configfs never shows a secret, so a configuration loaded from it has
 * none. Take each one from @old (the file being replaced) where it has
 * the same auth group and user, and for the mutual secret the same
 * mutual user. Returns how many secrets are still unknown.
 */
int model_keep_secrets(struct model *m, const struct model *old)
{
	int missing = 0;
	size_t i, j;

	for (i = 0; i < m->nr_auth_groups; i++) {
		struct auth_group *ag = &m->auth_groups[i];
		const struct auth_group *oag = old ? model_auth_group(old, ag->tag) : NULL;

		for (j = 0; j < ag->nr_secrets; j++) {
			struct auth_secret *sec = &ag->secrets[j];
			const struct auth_secret *o = oag ?
				auth_group_secret(oag, sec->user) : NULL;

			if (!sec->secret && o && o->secret)
				sec->secret = xstrdup(o->secret);
			if (!sec->mutual_secret && sec->mutual_user && o &&
			    o->mutual_user && o->mutual_secret &&
			    !strcmp(o->mutual_user, sec->mutual_user))
				sec->mutual_secret = xstrdup(o->mutual_secret);
			missing += !sec->secret;
			missing += sec->mutual_user && !sec->mutual_secret;
		}
	}
	return missing;
}

struct portal_group *model_pg(const struct model *m, unsigned int tag)
{
	size_t i;

	for (i = 0; i < m->nr_pgs; i++)
		if (m->pgs[i].tag == tag)
			return &m->pgs[i];
	return NULL;
}

struct initiator_group *model_ig(const struct model *m, unsigned int tag)
{
	size_t i;

	for (i = 0; i < m->nr_igs; i++)
		if (m->igs[i].tag == tag)
			return &m->igs[i];
	return NULL;
}

struct target *model_target(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nr_targets; i++)
		if (!strcmp(m->targets[i].name, name))
			return &m->targets[i];
	return NULL;
}

struct portal_group *model_add_pg(struct model *m, unsigned int tag)
{
	struct portal_group *pg;

	m->pgs = xrealloc(m->pgs, (m->nr_pgs + 1) * sizeof(*m->pgs));
	pg = &m->pgs[m->nr_pgs++];
	memset(pg, 0, sizeof(*pg));
	pg->tag = tag;
	return pg;
}

struct portal *pg_add_portal(struct portal_group *pg, const char *addr)
{
	struct portal *p;

	pg->portals = xrealloc(pg->portals,
			       (pg->nr_portals + 1) * sizeof(*pg->portals));
	p = &pg->portals[pg->nr_portals++];
	memset(p, 0, sizeof(*p));
	p->addr = xstrdup(addr);
	return p;
}

struct initiator_group *model_add_ig(struct model *m, unsigned int tag)
{
	struct initiator_group *ig;

	m->igs = xrealloc(m->igs, (m->nr_igs + 1) * sizeof(*m->igs));
	ig = &m->igs[m->nr_igs++];
	memset(ig, 0, sizeof(*ig));
	ig->tag = tag;
	return ig;
}

struct target *model_add_target(struct model *m, const char *name)
{
	struct target *t;

	m->targets = xrealloc(m->targets,
			      (m->nr_targets + 1) * sizeof(*m->targets));
	t = &m->targets[m->nr_targets++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->alias = xstrdup("");
	return t;
}

struct lun *target_add_lun(struct target *t, unsigned int id)
{
	struct lun *lun;

	t->luns = xrealloc(t->luns, (t->nr_luns + 1) * sizeof(*t->luns));
	lun = &t->luns[t->nr_luns++];
	memset(lun, 0, sizeof(*lun));
	lun->id = id;
	lun->enabled = true;
	return lun;
}

struct map *target_map(const struct target *t, unsigned int pg_tag)
{
	size_t i;

	for (i = 0; i < t->nr_maps; i++)
		if (t->maps[i].pg_tag == pg_tag)
			return &t->maps[i];
	return NULL;
}

struct map *target_add_map(struct target *t, unsigned int pg_tag)
{
	struct map *map;

	t->maps = xrealloc(t->maps, (t->nr_maps + 1) * sizeof(*t->maps));
	map = &t->maps[t->nr_maps++];
	memset(map, 0, sizeof(*map));
	map->pg_tag = pg_tag;
	return map;
}

void map_add_ig(struct map *map, unsigned int ig_tag)
{
	map->ig_tags = xrealloc(map->ig_tags,
				(map->nr_igs + 1) * sizeof(*map->ig_tags));
	map->ig_tags[map->nr_igs++] = ig_tag;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

static int cmp_pg(const void *a, const void *b)
{
	return cmp_uint(&((const struct portal_group *)a)->tag,
			&((const struct portal_group *)b)->tag);
}

static int cmp_portal(const void *a, const void *b)
{
	return strcmp(((const struct portal *)a)->addr,
		      ((const struct portal *)b)->addr);
}

static int cmp_ig(const void *a, const void *b)
{
	return cmp_uint(&((const struct initiator_group *)a)->tag,
			&((const struct initiator_group *)b)->tag);
}

static int cmp_target(const void *a, const void *b)
{
	return strcmp(((const struct target *)a)->name,
		      ((const struct target *)b)->name);
}

static int cmp_lun(const void *a, const void *b)
{
	return cmp_uint(&((const struct lun *)a)->id,
			&((const struct lun *)b)->id);
}

static int cmp_map(const void *a, const void *b)
{
	return cmp_uint(&((const struct map *)a)->pg_tag,
			&((const struct map *)b)->pg_tag);
}

static int cmp_auth_group(const void *a, const void *b)
{
	return cmp_uint(&((const struct auth_group *)a)->tag,
			&((const struct auth_group *)b)->tag);
}

static int cmp_secret(const void *a, const void *b)
{
	return strcmp(((const struct auth_secret *)a)->user,
		      ((const struct auth_secret *)b)->user);
}

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
}

static void kvlist_sort(struct kvlist *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_kv);
}

/* One order for everything, so that equal configurations print equal. */
void model_sort(struct model *m)
{
	size_t i, j;

	kvlist_sort(&m->params);
	if (m->nr_pgs)
		qsort(m->pgs, m->nr_pgs, sizeof(*m->pgs), cmp_pg);
	for (i = 0; i < m->nr_pgs; i++) {
		if (m->pgs[i].nr_portals)
			qsort(m->pgs[i].portals, m->pgs[i].nr_portals,
			      sizeof(*m->pgs[i].portals), cmp_portal);
		for (j = 0; j < m->pgs[i].nr_portals; j++)
			kvlist_sort(&m->pgs[i].portals[j].extra);
		kvlist_sort(&m->pgs[i].extra);
	}
	if (m->nr_igs)
		qsort(m->igs, m->nr_igs, sizeof(*m->igs), cmp_ig);
	for (i = 0; i < m->nr_igs; i++)
		kvlist_sort(&m->igs[i].extra);
	if (m->nr_targets)
		qsort(m->targets, m->nr_targets, sizeof(*m->targets),
		      cmp_target);
	for (i = 0; i < m->nr_targets; i++) {
		struct target *t = &m->targets[i];

		if (t->nr_luns)
			qsort(t->luns, t->nr_luns, sizeof(*t->luns), cmp_lun);
		for (j = 0; j < t->nr_luns; j++)
			kvlist_sort(&t->luns[j].extra);
		if (t->nr_maps)
			qsort(t->maps, t->nr_maps, sizeof(*t->maps), cmp_map);
		for (j = 0; j < t->nr_maps; j++)
			if (t->maps[j].nr_igs)
				qsort(t->maps[j].ig_tags, t->maps[j].nr_igs,
				      sizeof(unsigned int), cmp_uint);
		kvlist_sort(&t->extra);
	}
	if (m->nr_auth_groups)
		qsort(m->auth_groups, m->nr_auth_groups,
		      sizeof(*m->auth_groups), cmp_auth_group);
	for (i = 0; i < m->nr_auth_groups; i++) {
		struct auth_group *ag = &m->auth_groups[i];

		if (ag->nr_secrets)
			qsort(ag->secrets, ag->nr_secrets, sizeof(*ag->secrets),
			      cmp_secret);
		kvlist_sort(&ag->extra);
	}
	kvlist_sort(&m->discovery_extra);
}

/* Checking */

static int check_acl_list(const struct strlist *l, bool names,
			  unsigned int ig, struct err *e)
{
	const char *what = names ? "initiators" : "netmasks", *why;
	size_t i, j;

	if (l->n > ACL_MAX_ENTRIES)
		return err_set(e, EXIT_USAGE,
			       "initiator group %u: %s: %zu entries; at most %d",
			       ig, what, l->n, ACL_MAX_ENTRIES);
	for (i = 0; i < l->n; i++) {
		const char *s = l->v[i];

		if (!strcmp(s, "ANY")) {
			if (l->n > 1)
				return err_set(e, EXIT_USAGE,
					       "initiator group %u: %s: ANY must be the only entry",
					       ig, what);
			continue;
		}
		if (names ? !valid_iscsi_name(s, &why) :
			    !valid_netmask(s, &why))
			return err_set(e, EXIT_USAGE,
				       "initiator group %u: %s: \"%s\": %s",
				       ig, what, s, why);
		for (j = 0; j < i; j++)
			if (!strcmp(l->v[j], s))
				return err_set(e, EXIT_USAGE,
					       "initiator group %u: %s: \"%s\" is listed twice",
					       ig, what, s);
	}
	return 0;
}

static int check_pgs(const struct model *m, struct err *e)
{
	size_t i, j, k, l;
	const char *why;

	for (i = 0; i < m->nr_pgs; i++) {
		const struct portal_group *pg = &m->pgs[i];

		if (!pg->tag || pg->tag > 65535)
			return err_set(e, EXIT_USAGE,
				       "portal group %u: the tag must be 1 to 65535",
				       pg->tag);
		for (j = 0; j < i; j++)
			if (m->pgs[j].tag == pg->tag)
				return err_set(e, EXIT_USAGE,
					       "portal group %u is defined twice",
					       pg->tag);
		if (pg->cpus && !valid_cpulist(pg->cpus, &why))
			return err_set(e, EXIT_USAGE,
				       "portal group %u: cpus \"%s\": %s",
				       pg->tag, pg->cpus, why);
		for (j = 0; j < pg->nr_portals; j++) {
			const char *p = pg->portals[j].addr;
			const char *adv = pg->portals[j].advertise;

			if (!valid_portal(p, &why))
				return err_set(e, EXIT_USAGE,
					       "portal group %u: portal \"%s\": %s",
					       pg->tag, p, why);
			if (adv && !valid_advertise(adv, &why))
				return err_set(e, EXIT_USAGE,
					       "portal group %u: portal %s: advertise \"%s\": %s",
					       pg->tag, p, adv, why);
			/* Earlier portals of every group, this one's too. */
			for (k = 0; k <= i; k++) {
				const struct portal_group *o = &m->pgs[k];
				size_t end = k == i ? j : o->nr_portals;

				for (l = 0; l < end; l++)
					if (portal_same(o->portals[l].addr, p))
						return err_set(e, EXIT_USAGE,
							       "portal group %u: portal %s: the same address as portal %s of portal group %u",
							       pg->tag, p,
							       o->portals[l].addr,
							       o->tag);
			}
		}
	}
	return 0;
}

static int check_igs(const struct model *m, struct err *e)
{
	size_t i, j;

	for (i = 0; i < m->nr_igs; i++) {
		const struct initiator_group *ig = &m->igs[i];

		if (!ig->tag || ig->tag > 65535)
			return err_set(e, EXIT_USAGE,
				       "initiator group %u: the tag must be 1 to 65535",
				       ig->tag);
		for (j = 0; j < i; j++)
			if (m->igs[j].tag == ig->tag)
				return err_set(e, EXIT_USAGE,
					       "initiator group %u is defined twice",
					       ig->tag);
		if (check_acl_list(&ig->initiators, true, ig->tag, e) ||
		    check_acl_list(&ig->netmasks, false, ig->tag, e))
			return -1;
	}
	return 0;
}

/* An enabled LUN elsewhere with the same device, to name in the error. */
static bool device_taken(const struct model *m, const char *path,
			 const struct lun *self, const char **target,
			 unsigned int *id)
{
	size_t i, j;

	for (i = 0; i < m->nr_targets; i++)
		for (j = 0; j < m->targets[i].nr_luns; j++) {
			const struct lun *o = &m->targets[i].luns[j];

			if (o == self)
				return false;
			if (o->enabled && !strcmp(o->device_path, path)) {
				*target = m->targets[i].name;
				*id = o->id;
				return true;
			}
		}
	return false;
}

static int check_luns(const struct model *m, const struct target *t,
		      bool check_devices, struct err *e)
{
	const char *why, *other;
	unsigned int other_id;
	size_t j, k;

	for (j = 0; j < t->nr_luns; j++) {
		const struct lun *lun = &t->luns[j];

		if (lun->id > LUN_ID_MAX)
			return err_set(e, EXIT_USAGE,
				       "target %s: LUN %u: a LUN is 0 to %d",
				       t->name, lun->id, LUN_ID_MAX);
		for (k = 0; k < j; k++)
			if (t->luns[k].id == lun->id)
				return err_set(e, EXIT_USAGE,
					       "target %s: LUN %u is defined twice",
					       t->name, lun->id);
		if (!lun->device_path || !lun->device_path[0]) {
			if (lun->enabled)
				return err_set(e, EXIT_USAGE,
					       "target %s: LUN %u: no device_path",
					       t->name, lun->id);
			continue;
		}
		if (lun->device_path[0] != '/')
			return err_set(e, EXIT_USAGE,
				       "target %s: LUN %u: %s: must be an absolute path",
				       t->name, lun->id, lun->device_path);
		if (check_devices && lun->enabled &&
		    !valid_device(lun->device_path, &why))
			return err_set(e, EXIT_USAGE,
				       "target %s: LUN %u: %s: %s",
				       t->name, lun->id, lun->device_path, why);
		if (lun->enabled &&
		    device_taken(m, lun->device_path, lun, &other, &other_id))
			return err_set(e, EXIT_USAGE,
				       "target %s: LUN %u: %s is already LUN %u of target %s (a device serves one LUN)",
				       t->name, lun->id, lun->device_path,
				       other_id, other);
	}
	return 0;
}

static int check_maps(const struct model *m, const struct target *t,
		      struct err *e)
{
	size_t j, k, l;

	for (j = 0; j < t->nr_maps; j++) {
		const struct map *map = &t->maps[j];

		if (!model_pg(m, map->pg_tag))
			return err_set(e, EXIT_USAGE,
				       "target %s: map to portal group %u: there is no portal group %u",
				       t->name, map->pg_tag, map->pg_tag);
		for (k = 0; k < j; k++)
			if (t->maps[k].pg_tag == map->pg_tag)
				return err_set(e, EXIT_USAGE,
					       "target %s: portal group %u is mapped twice",
					       t->name, map->pg_tag);
		for (k = 0; k < map->nr_igs; k++) {
			if (!model_ig(m, map->ig_tags[k]))
				return err_set(e, EXIT_USAGE,
					       "target %s: map %u:%u: there is no initiator group %u",
					       t->name, map->pg_tag,
					       map->ig_tags[k], map->ig_tags[k]);
			for (l = 0; l < k; l++)
				if (map->ig_tags[l] == map->ig_tags[k])
					return err_set(e, EXIT_USAGE,
						       "target %s: map %u:%u is listed twice",
						       t->name, map->pg_tag,
						       map->ig_tags[k]);
		}
	}
	return 0;
}

static int check_auth_groups(const struct model *m, struct err *e)
{
	const char *why;
	size_t i, j, k;

	for (i = 0; i < m->nr_auth_groups; i++) {
		const struct auth_group *ag = &m->auth_groups[i];

		if (!ag->tag || ag->tag > 65535)
			return err_set(e, EXIT_USAGE,
				       "auth group %u: the tag must be 1 to 65535",
				       ag->tag);
		for (j = 0; j < i; j++)
			if (m->auth_groups[j].tag == ag->tag)
				return err_set(e, EXIT_USAGE,
					       "auth group %u is defined twice",
					       ag->tag);
		if (ag->chap_algs && !valid_chap_algs(ag->chap_algs, &why))
			return err_set(e, EXIT_USAGE,
				       "auth group %u: chap_algs \"%s\": %s",
				       ag->tag, ag->chap_algs, why);
		for (j = 0; j < ag->nr_secrets; j++) {
			const struct auth_secret *sec = &ag->secrets[j];

			if (!valid_chap_user(sec->user, &why))
				return err_set(e, EXIT_USAGE,
					       "auth group %u: user \"%s\": %s",
					       ag->tag, sec->user, why);
			for (k = 0; k < j; k++)
				if (!strcmp(ag->secrets[k].user, sec->user))
					return err_set(e, EXIT_USAGE,
						       "auth group %u: user %s is defined twice",
						       ag->tag, sec->user);
			if (sec->secret && !valid_chap_secret(sec->secret, &why))
				return err_set(e, EXIT_USAGE,
					       "auth group %u: user %s: secret: %s",
					       ag->tag, sec->user, why);
			if (sec->mutual_user &&
			    !valid_chap_user(sec->mutual_user, &why))
				return err_set(e, EXIT_USAGE,
					       "auth group %u: user %s: mutual_user \"%s\": %s",
					       ag->tag, sec->user,
					       sec->mutual_user, why);
			if (sec->mutual_secret && !sec->mutual_user)
				return err_set(e, EXIT_USAGE,
					       "auth group %u: user %s: a mutual_secret needs a mutual_user",
					       ag->tag, sec->user);
			if (sec->mutual_secret &&
			    !valid_chap_secret(sec->mutual_secret, &why))
				return err_set(e, EXIT_USAGE,
					       "auth group %u: user %s: mutual_secret: %s",
					       ag->tag, sec->user, why);
			if (sec->secret && sec->mutual_secret &&
			    !strcmp(sec->secret, sec->mutual_secret))
				return err_set(e, EXIT_USAGE,
					       "auth group %u: user %s: the mutual secret must differ from the secret (RFC 7143 9.2.1)",
					       ag->tag, sec->user);
		}
	}
	return 0;
}

static int check_policy(const struct model *m, const struct auth_policy *p,
			const char *object, struct err *e)
{
	if (p->group && !model_auth_group(m, p->group))
		return err_set(e, EXIT_USAGE,
			       "%s: auth group %u: there is no auth group %u",
			       object, p->group, p->group);
	return 0;
}

static int check_targets(const struct model *m, bool check_devices,
			 struct err *e)
{
	const char *why;
	size_t i, j;

	for (i = 0; i < m->nr_targets; i++) {
		const struct target *t = &m->targets[i];

		if (!valid_iscsi_name(t->name, &why))
			return err_set(e, EXIT_USAGE,
				       "target %s: not a valid iSCSI name: %s",
				       t->name, why);
		for (j = 0; j < i; j++)
			if (!strcmp(m->targets[j].name, t->name))
				return err_set(e, EXIT_USAGE,
					       "target %s is defined twice",
					       t->name);
		if (!valid_alias(t->alias, &why))
			return err_set(e, EXIT_USAGE, "target %s: alias: %s",
				       t->name, why);
		if (check_luns(m, t, check_devices, e) || check_maps(m, t, e))
			return -1;
		if (t->auth.group && !model_auth_group(m, t->auth.group))
			return err_set(e, EXIT_USAGE,
				       "target %s: auth group %u: there is no auth group %u",
				       t->name, t->auth.group, t->auth.group);
	}
	return 0;
}

/**
 * model_validate - check a configuration as a whole before applying it
 * @m: the configuration
 * @check_devices: also check that each enabled LUN's device is a block
 *	device here (off for files checked on another machine)
 * @e: the first problem found, naming the object
 */
int model_validate(const struct model *m, bool check_devices, struct err *e)
{
	const char *why;
	size_t i;

	for (i = 0; i < m->params.n; i++)
		if (!valid_param(m->params.v[i].key, m->params.v[i].value, &why))
			return err_set(e, EXIT_USAGE, "parameter %s \"%s\": %s",
				       m->params.v[i].key,
				       m->params.v[i].value, why);
	if (!valid_params(&m->params, NULL, &why))
		return err_set(e, EXIT_USAGE, "parameters: %s", why);
	if (check_pgs(m, e) || check_igs(m, e) || check_auth_groups(m, e) ||
	    check_policy(m, &m->discovery_auth, "discovery auth", e) ||
	    check_targets(m, check_devices, e))
		return -1;
	return 0;
}

/* Loading from configfs */

/*
 * Attributes of @dir that are both readable and writable and not in
 * @known, with @prefix before their names (for default subgroups).
 */
static int load_extra(const char *dir, const char *prefix,
		      const char *const *known, struct kvlist *out,
		      struct err *e)
{
	struct strlist files = {};
	size_t i;
	int ret;

	ret = cfs_list(dir, 'f', &files, e);
	for (i = 0; !ret && i < files.n; i++) {
		const char *const *k;
		char *rel, *val, *key;
		bool skip = false;

		for (k = known; k && *k; k++)
			if (!strcmp(*k, files.v[i]))
				skip = true;
		rel = cfs_path("%s/%s", dir, files.v[i]);
		/* An empty value is nothing set: restore has nothing to write. */
		if (!skip && cfs_setting_attr(rel) &&
		    !cfs_read(rel, &val, e)) {
			key = xasprintf("%s%s", prefix, files.v[i]);
			if (*strip_newline(val))
				kvlist_add(out, key, val);
			free(key);
			free(val);
		}
		free(rel);
	}
	strlist_free(&files);
	return ret;
}

static int read_attr(const char *rel, char **out, struct err *e)
{
	int ret = cfs_read(rel, out, e);

	if (!ret)
		strip_newline(*out);
	return ret;
}

static int load_params(struct model *m, struct err *e)
{
	return load_extra("", "", NULL, &m->params, e);
}

/* portals/<addr>: its advertised address and other settings. */
static int load_portals(struct portal_group *pg, const char *dir,
			struct err *e)
{
	static const char *const known[] = { "advertise", NULL };
	char *pdir = cfs_path("%s/portals", dir), *rel, *val;
	struct strlist names = {};
	size_t i;
	int ret;

	ret = cfs_list(pdir, 'd', &names, e);
	for (i = 0; !ret && i < names.n; i++) {
		struct portal *p = pg_add_portal(pg, names.v[i]);
		char *adir = cfs_path("%s/%s", pdir, names.v[i]);

		rel = cfs_path("%s/advertise", adir);
		if (cfs_setting_attr(rel) && !read_attr(rel, &val, e)) {
			if (val[0])
				p->advertise = val;
			else
				free(val);
		}
		free(rel);
		ret = load_extra(adir, "", known, &p->extra, e);
		free(adir);
	}
	strlist_free(&names);
	free(pdir);
	return ret;
}

static int load_pgs(struct model *m, struct err *e)
{
	static const char *const known[] = { "cpus", NULL };
	struct strlist tags = {};
	size_t i;
	int ret;

	ret = cfs_list("portal_groups", 'd', &tags, e);
	for (i = 0; !ret && i < tags.n; i++) {
		struct portal_group *pg;
		unsigned int tag;
		char *dir, *rel;

		if (!valid_tag(tags.v[i], &tag))
			continue;
		pg = model_add_pg(m, tag);
		dir = cfs_path("portal_groups/%s", tags.v[i]);
		rel = cfs_path("%s/cpus", dir);
		ret = read_attr(rel, &pg->cpus, e);
		free(rel);
		if (!ret)
			ret = load_portals(pg, dir, e);
		if (!ret)
			ret = load_extra(dir, "", known, &pg->extra, e);
		free(dir);
	}
	strlist_free(&tags);
	return ret;
}

static int load_igs(struct model *m, struct err *e)
{
	static const char *const known[] = { "initiators", "netmasks", NULL };
	struct strlist tags = {};
	size_t i;
	int ret;

	ret = cfs_list("initiator_groups", 'd', &tags, e);
	for (i = 0; !ret && i < tags.n; i++) {
		struct initiator_group *ig;
		unsigned int tag;
		char *dir, *rel, *val;

		if (!valid_tag(tags.v[i], &tag))
			continue;
		ig = model_add_ig(m, tag);
		dir = cfs_path("initiator_groups/%s", tags.v[i]);
		rel = cfs_path("%s/initiators", dir);
		ret = read_attr(rel, &val, e);
		free(rel);
		if (!ret) {
			strlist_split(&ig->initiators, val, " \t\n");
			free(val);
			rel = cfs_path("%s/netmasks", dir);
			ret = read_attr(rel, &val, e);
			free(rel);
		}
		if (!ret) {
			strlist_split(&ig->netmasks, val, " \t\n");
			free(val);
			ret = load_extra(dir, "", known, &ig->extra, e);
		}
		free(dir);
	}
	strlist_free(&tags);
	return ret;
}

static int load_luns(struct target *t, const char *tdir, struct err *e)
{
	static const char *const known[] = { "device_path", "enable", NULL };
	struct strlist ids = {};
	char *luns = cfs_path("%s/luns", tdir);
	size_t i;
	int ret;

	ret = cfs_list(luns, 'd', &ids, e);
	for (i = 0; !ret && i < ids.n; i++) {
		struct lun *lun;
		unsigned int id;
		char *dir, *rel, *val;

		if (!valid_lun_id(ids.v[i], &id))
			continue;
		lun = target_add_lun(t, id);
		dir = cfs_path("%s/%s", luns, ids.v[i]);
		rel = cfs_path("%s/device_path", dir);
		ret = read_attr(rel, &lun->device_path, e);
		free(rel);
		rel = cfs_path("%s/enable", dir);
		if (!ret && !read_attr(rel, &val, e)) {
			lun->enabled = !strcmp(val, "1");
			free(val);
		}
		free(rel);
		if (!ret)
			ret = load_extra(dir, "", known, &lun->extra, e);
		free(dir);
	}
	strlist_free(&ids);
	free(luns);
	return ret;
}

static int load_maps(struct target *t, const char *tdir, struct err *e)
{
	struct strlist pgs = {}, links = {};
	char *maps = cfs_path("%s/maps", tdir);
	size_t i, j;
	int ret;

	ret = cfs_list(maps, 'd', &pgs, e);
	for (i = 0; !ret && i < pgs.n; i++) {
		struct map *map;
		unsigned int tag;
		char *dir;

		if (!valid_tag(pgs.v[i], &tag))
			continue;
		map = target_add_map(t, tag);
		dir = cfs_path("%s/%s", maps, pgs.v[i]);
		strlist_free(&links);
		ret = cfs_list(dir, 'l', &links, e);
		for (j = 0; !ret && j < links.n; j++) {
			char *rel = cfs_path("%s/%s", dir, links.v[j]), *to;
			unsigned int ig;

			if (!cfs_readlink_base(rel, &to)) {
				if (!strncmp(to, "initiator_groups/", 17) &&
				    valid_tag(to + 17, &ig))
					map_add_ig(map, ig);
				free(to);
			}
			free(rel);
		}
		free(dir);
	}
	strlist_free(&links);
	strlist_free(&pgs);
	free(maps);
	return ret;
}

/*
 * An auth policy directory (targets/<iqn>/auth, discovery_auth): its
 * flags, the auth group it links, and other settings into @extra with
 * @prefix before their names.
 */
static int load_policy(const char *dir, const char *prefix,
		       struct auth_policy *p, struct kvlist *extra,
		       struct err *e)
{
	static const char *const known[] = { "require_chap", "mutual_chap",
					     NULL };
	struct strlist links = {};
	char *rel, *val;
	size_t i;
	int ret;

	rel = cfs_path("%s/require_chap", dir);
	ret = read_attr(rel, &val, e);
	free(rel);
	if (ret)
		return ret;
	p->require_chap = !strcmp(val, "1");
	free(val);
	rel = cfs_path("%s/mutual_chap", dir);
	ret = read_attr(rel, &val, e);
	free(rel);
	if (ret)
		return ret;
	p->mutual_chap = !strcmp(val, "1");
	free(val);
	ret = cfs_list(dir, 'l', &links, e);
	for (i = 0; !ret && i < links.n; i++) {
		char *to;

		rel = cfs_path("%s/%s", dir, links.v[i]);
		if (!cfs_readlink_base(rel, &to)) {
			if (!strncmp(to, "auth_groups/", 12))
				valid_tag(to + 12, &p->group);
			free(to);
		}
		free(rel);
	}
	strlist_free(&links);
	if (!ret && extra)
		ret = load_extra(dir, prefix, known, extra, e);
	return ret;
}

/*
 * Subdirectories of a target other than maps, luns and auth are default
 * groups the tool does not know: their settings go into extra.
 */
static int load_target_extra(struct target *t, const char *tdir,
			     struct err *e)
{
	static const char *const known[] = { "alias", NULL };
	struct strlist subs = {};
	size_t i;
	int ret;

	ret = load_extra(tdir, "", known, &t->extra, e);
	if (!ret)
		ret = cfs_list(tdir, 'd', &subs, e);
	for (i = 0; !ret && i < subs.n; i++) {
		char *dir, *prefix;

		if (!strcmp(subs.v[i], "maps") || !strcmp(subs.v[i], "luns"))
			continue;
		dir = cfs_path("%s/%s", tdir, subs.v[i]);
		prefix = xasprintf("%s/", subs.v[i]);
		if (!strcmp(subs.v[i], "auth"))
			ret = load_policy(dir, prefix, &t->auth, &t->extra, e);
		else
			ret = load_extra(dir, prefix, NULL, &t->extra, e);
		free(prefix);
		free(dir);
	}
	strlist_free(&subs);
	return ret;
}

/* auth_groups/<tag>/{chap_algs, secrets/<user>/mutual_user}: no secrets. */
static int load_auth_groups(struct model *m, struct err *e)
{
	static const char *const known[] = { "chap_algs", NULL };
	struct strlist tags = {}, users = {};
	size_t i, j;
	int ret;

	if (!cfs_exists("auth_groups"))
		return 0;	/* a module from before auth groups */
	ret = cfs_list("auth_groups", 'd', &tags, e);
	for (i = 0; !ret && i < tags.n; i++) {
		struct auth_group *ag;
		unsigned int tag;
		char *dir, *rel, *sdir;

		if (!valid_tag(tags.v[i], &tag))
			continue;
		ag = model_add_auth_group(m, tag);
		dir = cfs_path("auth_groups/%s", tags.v[i]);
		rel = cfs_path("%s/chap_algs", dir);
		ret = read_attr(rel, &ag->chap_algs, e);
		free(rel);
		sdir = cfs_path("%s/secrets", dir);
		strlist_free(&users);
		if (!ret)
			ret = cfs_list(sdir, 'd', &users, e);
		for (j = 0; !ret && j < users.n; j++) {
			struct auth_secret *sec = auth_group_add_secret(ag, users.v[j]);
			char *val;

			rel = cfs_path("%s/%s/mutual_user", sdir, users.v[j]);
			ret = read_attr(rel, &val, e);
			free(rel);
			if (!ret && val[0])
				sec->mutual_user = val;
			else if (!ret)
				free(val);
		}
		free(sdir);
		if (!ret)
			ret = load_extra(dir, "", known, &ag->extra, e);
		free(dir);
	}
	strlist_free(&users);
	strlist_free(&tags);
	return ret;
}

static int load_discovery_auth(struct model *m, struct err *e)
{
	if (!cfs_exists("discovery_auth"))
		return 0;
	return load_policy("discovery_auth", "", &m->discovery_auth,
			   &m->discovery_extra, e);
}

static int load_targets(struct model *m, struct err *e)
{
	struct strlist names = {};
	size_t i;
	int ret;

	ret = cfs_list("targets", 'd', &names, e);
	for (i = 0; !ret && i < names.n; i++) {
		struct target *t = model_add_target(m, names.v[i]);
		char *dir = cfs_path("targets/%s", names.v[i]);
		char *rel = cfs_path("%s/alias", dir);

		free(t->alias);
		t->alias = NULL;
		ret = read_attr(rel, &t->alias, e);
		free(rel);
		if (!ret)
			ret = load_luns(t, dir, e);
		if (!ret)
			ret = load_maps(t, dir, e);
		if (!ret)
			ret = load_target_extra(t, dir, e);
		free(dir);
	}
	strlist_free(&names);
	return ret;
}

/* Read the whole live configuration. */
int model_load(struct model *m, struct err *e)
{
	memset(m, 0, sizeof(*m));
	if (cfs_check_root(e) || load_params(m, e) || load_pgs(m, e) ||
	    load_igs(m, e) || load_auth_groups(m, e) ||
	    load_discovery_auth(m, e) || load_targets(m, e)) {
		model_free(m);
		return -1;
	}
	model_sort(m);
	return 0;
}

/* Applying */

/* Turn a refusal into a message naming the object and a likely reason. */
static int refused(struct err *e, int ret, const char *object,
		   const char *action, const char *hint)
{
	if (e->code == EXIT_USAGE)
		return err_set(e, EXIT_USAGE, "%s: %s", object, e->msg);
	if (!hint) {
		switch (-ret) {
		case EEXIST:
			hint = "it already exists";
			break;
		case EINVAL:
			hint = "the module refused the value (dmesg says why)";
			break;
		case ENOENT:
			hint = "it does not exist";
			break;
		case EBUSY:
			hint = "it is in use";
			break;
		case ENOTEMPTY:
			hint = "it is not empty";
			break;
		default:
			hint = errno_text(ret);
			break;
		}
	}
	return err_set(e, EXIT_FAIL, "%s: cannot %s: %s", object, action, hint);
}

static int write_extra(const char *dir, const struct kvlist *extra,
		       const char *object, struct err *e)
{
	size_t i;
	int ret;

	for (i = 0; i < extra->n; i++) {
		char *rel = cfs_path("%s/%s", dir, extra->v[i].key), *what;

		ret = cfs_write(rel, extra->v[i].value, e);
		free(rel);
		if (ret) {
			what = xasprintf("set %s", extra->v[i].key);
			refused(e, ret, object, what, NULL);
			free(what);
			return -1;
		}
	}
	return 0;
}

int pg_apply(const struct portal_group *pg, struct undo *u, struct err *e)
{
	char *dir = cfs_path("portal_groups/%u", pg->tag), *rel, *obj;
	size_t i;
	int ret;

	obj = xasprintf("portal group %u", pg->tag);
	ret = u_mkdir(u, dir, e);
	if (ret) {
		refused(e, ret, obj, "create it",
			ret == -EEXIST ? "a portal group with this tag exists" : NULL);
		goto out;
	}
	if (pg->cpus) {
		rel = cfs_path("%s/cpus", dir);
		ret = cfs_write(rel, pg->cpus, e);
		free(rel);
		if (ret) {
			refused(e, ret, obj, "set cpus",
				ret == -EINVAL ? "not a list of CPUs this machine can have" : NULL);
			goto out;
		}
	}
	ret = write_extra(dir, &pg->extra, obj, e);
	for (i = 0; !ret && i < pg->nr_portals; i++) {
		const struct portal *p = &pg->portals[i];
		char *pdir = cfs_path("%s/portals/%s", dir, p->addr);
		const char *hint = NULL;

		free(obj);
		obj = xasprintf("portal group %u: portal %s", pg->tag, p->addr);
		ret = u_mkdir(u, pdir, e);
		if (ret == -EADDRINUSE)
			hint = "another portal or socket already uses this address";
		else if (ret == -EADDRNOTAVAIL)
			hint = "not an address of this host";
		if (ret)
			refused(e, ret, obj, "listen", hint);
		if (!ret && p->advertise) {
			rel = cfs_path("%s/advertise", pdir);
			ret = cfs_write(rel, p->advertise, e);
			free(rel);
			if (ret)
				refused(e, ret, obj, "set advertise", NULL);
		}
		if (!ret)
			ret = write_extra(pdir, &p->extra, obj, e);
		free(pdir);
	}
out:
	free(obj);
	free(dir);
	return ret ? -1 : 0;
}

static int write_acl(const char *dir, const char *attr,
		     const struct strlist *l, const char *obj, struct err *e)
{
	char *rel = cfs_path("%s/%s", dir, attr), *val = strlist_join(l, " ");
	char *what;
	int ret;

	ret = cfs_write(rel, val, e);
	free(rel);
	free(val);
	if (ret) {
		what = xasprintf("set %s", attr);
		refused(e, ret, obj, what, NULL);
		free(what);
	}
	return ret ? -1 : 0;
}

int ig_apply(const struct initiator_group *ig, struct undo *u, struct err *e)
{
	char *dir = cfs_path("initiator_groups/%u", ig->tag);
	char *obj = xasprintf("initiator group %u", ig->tag);
	int ret;

	ret = u_mkdir(u, dir, e);
	if (ret)
		refused(e, ret, obj, "create it",
			ret == -EEXIST ? "an initiator group with this tag exists" : NULL);
	if (!ret && ig->initiators.n)
		ret = write_acl(dir, "initiators", &ig->initiators, obj, e);
	if (!ret && ig->netmasks.n)
		ret = write_acl(dir, "netmasks", &ig->netmasks, obj, e);
	if (!ret)
		ret = write_extra(dir, &ig->extra, obj, e);
	free(obj);
	free(dir);
	return ret ? -1 : 0;
}

int lun_apply(const char *target, const struct lun *lun, struct undo *u,
	      struct err *e)
{
	char *dir = cfs_path("targets/%s/luns/%u", target, lun->id), *rel;
	char *obj = xasprintf("target %s: LUN %u", target, lun->id);
	int ret;

	ret = u_mkdir(u, dir, e);
	if (ret) {
		refused(e, ret, obj, "create it",
			ret == -EEXIST ? "the target has this LUN already" :
			ret == -ENOENT ? "there is no such target" : NULL);
		goto out;
	}
	if (lun->device_path && lun->device_path[0]) {
		rel = cfs_path("%s/device_path", dir);
		ret = cfs_write(rel, lun->device_path, e);
		free(rel);
		if (ret) {
			refused(e, ret, obj, "set device_path", NULL);
			goto out;
		}
	}
	ret = write_extra(dir, &lun->extra, obj, e);
	if (!ret && lun->enabled) {
		const char *hint = NULL;

		rel = cfs_path("%s/enable", dir);
		ret = cfs_write(rel, "1", e);
		free(rel);
		if (ret == -EBUSY)
			hint = "the device is in use (mounted, held by another program, or another LUN's)";
		else if (ret == -ENOENT || ret == -ENXIO || ret == -ENODEV)
			hint = "no such device";
		else if (ret == -ENOTBLK)
			hint = "not a block device";
		if (ret) {
			char *what = xasprintf("open %s", lun->device_path);

			refused(e, ret, obj, what, hint);
			free(what);
		}
	}
out:
	free(obj);
	free(dir);
	return ret ? -1 : 0;
}

char *map_link_name(unsigned int ig_tag)
{
	return xasprintf("ig%u", ig_tag);
}

/* Create the map if needed, then link each initiator group into it. */
int map_apply(const char *target, const struct map *map, struct undo *u,
	      struct err *e)
{
	char *dir = cfs_path("targets/%s/maps/%u", target, map->pg_tag);
	size_t i;
	int ret = 0;

	if (!cfs_exists(dir)) {
		ret = u_mkdir(u, dir, e);
		if (ret) {
			char *obj = xasprintf("target %s: map to portal group %u",
					      target, map->pg_tag);

			refused(e, ret, obj, "create it",
				ret == -ENOENT ? "there is no such portal group" : NULL);
			free(obj);
		}
	}
	for (i = 0; !ret && i < map->nr_igs; i++) {
		char *name = map_link_name(map->ig_tags[i]);
		char *link = cfs_path("%s/%s", dir, name);
		char *to = cfs_path("initiator_groups/%u", map->ig_tags[i]);

		ret = u_symlink(u, to, link, e);
		if (ret) {
			char *obj = xasprintf("target %s: map %u:%u", target,
					      map->pg_tag, map->ig_tags[i]);

			refused(e, ret, obj, "link the initiator group",
				ret == -EEXIST ? "it is mapped already" :
				ret == -ENOENT ? "there is no such initiator group" : NULL);
			free(obj);
		}
		free(to);
		free(link);
		free(name);
	}
	free(dir);
	return ret ? -1 : 0;
}

int target_apply(const struct target *t, struct undo *u, struct err *e)
{
	char *dir = cfs_path("targets/%s", t->name), *rel;
	char *obj = xasprintf("target %s", t->name);
	size_t i;
	int ret;

	ret = u_mkdir(u, dir, e);
	if (ret) {
		refused(e, ret, obj, "create it",
			ret == -EEXIST ? "a target with this name exists" : NULL);
		goto out;
	}
	if (t->alias && t->alias[0]) {
		rel = cfs_path("%s/alias", dir);
		ret = cfs_write(rel, t->alias, e);
		free(rel);
		if (ret) {
			refused(e, ret, obj, "set alias", NULL);
			goto out;
		}
	}
	ret = write_extra(dir, &t->extra, obj, e);
	if (!ret && !auth_policy_default(&t->auth)) {
		rel = cfs_path("%s/auth", dir);
		ret = policy_apply(rel, obj, &t->auth, u, e);
		free(rel);
	}
	for (i = 0; !ret && i < t->nr_luns; i++)
		ret = lun_apply(t->name, &t->luns[i], u, e);
	for (i = 0; !ret && i < t->nr_maps; i++)
		ret = map_apply(t->name, &t->maps[i], u, e);
out:
	free(obj);
	free(dir);
	return ret ? -1 : 0;
}

/* Create an auth group's user and write what is known of it. */
int auth_secret_apply(unsigned int tag, const struct auth_secret *sec,
		      struct undo *u, struct err *e)
{
	char *dir = cfs_path("auth_groups/%u/secrets/%s", tag, sec->user);
	char *obj = xasprintf("auth group %u: user %s", tag, sec->user);
	const struct { const char *attr, *value; } fields[] = {
		{ "secret", sec->secret },
		{ "mutual_user", sec->mutual_user },
		{ "mutual_secret", sec->mutual_secret },
	};
	size_t i;
	int ret;

	ret = u_mkdir(u, dir, e);
	if (ret)
		refused(e, ret, obj, "create it",
			ret == -EEXIST ? "the auth group has this user already" :
			ret == -ENOENT ? "there is no such auth group" : NULL);
	for (i = 0; !ret && i < sizeof(fields) / sizeof(fields[0]); i++) {
		char *rel, *what;

		if (!fields[i].value)
			continue;
		rel = cfs_path("%s/%s", dir, fields[i].attr);
		ret = cfs_write(rel, fields[i].value, e);
		free(rel);
		if (ret) {
			/* Never the value: e->msg names the file only. */
			what = xasprintf("set %s", fields[i].attr);
			refused(e, ret, obj, what, NULL);
			free(what);
		}
	}
	free(obj);
	free(dir);
	return ret ? -1 : 0;
}

int auth_group_apply(const struct auth_group *ag, struct undo *u,
		     struct err *e)
{
	char *dir = cfs_path("auth_groups/%u", ag->tag), *rel;
	char *obj = xasprintf("auth group %u", ag->tag);
	size_t i;
	int ret;

	ret = u_mkdir(u, dir, e);
	if (ret) {
		refused(e, ret, obj, "create it",
			ret == -EEXIST ? "an auth group with this tag exists" :
			ret == -ENOENT ? "the module has no auth groups" : NULL);
		goto out;
	}
	if (ag->chap_algs) {
		rel = cfs_path("%s/chap_algs", dir);
		ret = cfs_write(rel, ag->chap_algs, e);
		free(rel);
		if (ret) {
			refused(e, ret, obj, "set chap_algs", NULL);
			goto out;
		}
	}
	ret = write_extra(dir, &ag->extra, obj, e);
	for (i = 0; !ret && i < ag->nr_secrets; i++)
		ret = auth_secret_apply(ag->tag, &ag->secrets[i], u, e);
out:
	free(obj);
	free(dir);
	return ret ? -1 : 0;
}

/* Remove the links of a policy directory (its auth group), with undo. */
int policy_unlink(const char *dir, struct undo *u, struct err *e)
{
	struct strlist links = {};
	size_t i;
	int ret;

	ret = cfs_list(dir, 'l', &links, e);
	for (i = 0; !ret && i < links.n; i++) {
		char *rel = cfs_path("%s/%s", dir, links.v[i]), *to = NULL;

		if (!cfs_readlink_base(rel, &to))
			ret = u_unlink(u, rel, to, e);
		free(to);
		free(rel);
	}
	strlist_free(&links);
	return ret;
}

/*
 * Make the policy in @dir what @p says: its link to the auth group
 * (replacing any other), then the flags, each with undo.
 */
int policy_apply(const char *dir, const char *object,
		 const struct auth_policy *p, struct undo *u, struct err *e)
{
	struct auth_policy live = {};
	char *rel, *to;
	int ret;

	rel = cfs_path("%s/group", dir);
	to = p->group ? cfs_path("auth_groups/%u", p->group) : NULL;
	ret = load_policy(dir, "", &live, NULL, e);
	if (!ret && live.group != p->group) {
		ret = policy_unlink(dir, u, e);
		if (!ret && to)
			ret = u_symlink(u, to, rel, e);
		if (ret)
			refused(e, ret, object, "link the auth group",
				ret == -ENOENT ? "there is no such auth group" : NULL);
	}
	free(to);
	free(rel);
	if (!ret) {
		rel = cfs_path("%s/require_chap", dir);
		ret = u_write(u, rel, p->require_chap ? "1" : "0", e);
		free(rel);
		if (ret)
			refused(e, ret, object, "set require_chap", NULL);
	}
	if (!ret) {
		rel = cfs_path("%s/mutual_chap", dir);
		ret = u_write(u, rel, p->mutual_chap ? "1" : "0", e);
		free(rel);
		if (ret)
			refused(e, ret, object, "set mutual_chap", NULL);
	}
	return ret ? -1 : 0;
}

/*
 * The live value of each parameter in @set, and of the parameters the
 * checks between them need (valid_params(), params_order()).
 */
void params_live(const struct kvlist *set, struct kvlist *live)
{
	static const char *const related[] = { "FirstBurstLength",
					       "MaxBurstLength", NULL };
	const char *const *r;
	struct err e;
	size_t i;
	char *v;

	for (i = 0; i < set->n; i++)
		if (!cfs_read(set->v[i].key, &v, &e)) {
			kvlist_add(live, set->v[i].key, strip_newline(v));
			free(v);
		}
	for (r = related; *r; r++)
		if (!kvlist_get(live, *r) && !cfs_read(*r, &v, &e)) {
			kvlist_add(live, *r, strip_newline(v));
			free(v);
		}
}

static int params_apply(const struct model *m, struct undo *u, struct err *e)
{
	struct kvlist set = {}, live = {};
	const char *why;
	size_t i;
	int ret = 0;

	for (i = 0; i < m->params.n; i++)
		kvlist_add(&set, m->params.v[i].key, m->params.v[i].value);
	params_live(&set, &live);
	if (!valid_params(&set, &live, &why)) {
		ret = err_set(e, EXIT_USAGE, "parameters: %s", why);
		goto out;
	}
	params_order(&set, &live);
	for (i = 0; i < set.n; i++) {
		char *obj;

		if (!cfs_writable_attr(set.v[i].key)) {
			ret = err_set(e, EXIT_FAIL,
				      "parameter %s: the module has no such parameter",
				      set.v[i].key);
			goto out;
		}
		ret = u_write(u, set.v[i].key, set.v[i].value, e);
		if (ret) {
			obj = xasprintf("parameter %s", set.v[i].key);
			refused(e, ret, obj, "set it", NULL);
			free(obj);
			ret = -1;
			goto out;
		}
	}
out:
	kvlist_free(&set);
	kvlist_free(&live);
	return ret;
}

/**
 * model_apply - create everything @m describes
 * @m: a validated configuration
 * @u: records each change, for undo_run() if this fails
 * @e: what failed
 *
 * Order follows what needs what: parameters, portal groups, initiator
 * groups, auth groups, discovery's auth policy, then targets with their
 * auth policy, LUNs and maps.
 */
int model_apply(const struct model *m, struct undo *u, struct err *e)
{
	size_t i;

	if (params_apply(m, u, e))
		return -1;
	for (i = 0; i < m->nr_pgs; i++)
		if (pg_apply(&m->pgs[i], u, e))
			return -1;
	for (i = 0; i < m->nr_igs; i++)
		if (ig_apply(&m->igs[i], u, e))
			return -1;
	for (i = 0; i < m->nr_auth_groups; i++)
		if (auth_group_apply(&m->auth_groups[i], u, e))
			return -1;
	if (cfs_exists("discovery_auth") &&
	    (policy_apply("discovery_auth", "discovery auth",
			  &m->discovery_auth, u, e) ||
	     write_extra("discovery_auth", &m->discovery_extra,
			 "discovery auth", e)))
		return -1;
	for (i = 0; i < m->nr_targets; i++)
		if (target_apply(&m->targets[i], u, e))
			return -1;
	return 0;
}

/* Removing */

/*
 * Links in a target's other default groups (an auth policy's link to an
 * auth group, say) would keep its rmdir from succeeding: remove them.
 */
static int unlink_default_groups(const char *dir, struct err *e)
{
	struct strlist subs = {}, links = {};
	size_t i, j;
	int ret;

	ret = cfs_list(dir, 'd', &subs, e);
	for (i = 0; !ret && i < subs.n; i++) {
		char *sub;

		if (!strcmp(subs.v[i], "maps") || !strcmp(subs.v[i], "luns"))
			continue;
		sub = cfs_path("%s/%s", dir, subs.v[i]);
		strlist_free(&links);
		ret = cfs_list(sub, 'l', &links, e);
		for (j = 0; !ret && j < links.n; j++) {
			char *rel = cfs_path("%s/%s", sub, links.v[j]);

			ret = cfs_unlink(rel, e);
			free(rel);
		}
		free(sub);
	}
	strlist_free(&links);
	strlist_free(&subs);
	return ret;
}

/* Links, maps, LUNs (rmdir disables them), then the target itself. */
int target_remove(const struct target *t, struct err *e)
{
	char *dir = cfs_path("targets/%s", t->name);
	char *obj = xasprintf("target %s", t->name);
	struct strlist links = {};
	size_t i, j;
	int ret;

	ret = unlink_default_groups(dir, e);
	for (i = 0; !ret && i < t->nr_maps; i++) {
		char *mdir = cfs_path("%s/maps/%u", dir, t->maps[i].pg_tag);

		strlist_free(&links);
		ret = cfs_list(mdir, 'l', &links, e);
		for (j = 0; !ret && j < links.n; j++) {
			char *rel = cfs_path("%s/%s", mdir, links.v[j]);

			ret = cfs_unlink(rel, e);
			free(rel);
		}
		if (!ret)
			ret = cfs_rmdir(mdir, e);
		free(mdir);
	}
	for (i = 0; !ret && i < t->nr_luns; i++) {
		char *rel = cfs_path("%s/luns/%u", dir, t->luns[i].id);

		ret = cfs_rmdir(rel, e);
		free(rel);
	}
	if (!ret)
		ret = cfs_rmdir(dir, e);
	if (ret)
		refused(e, ret, obj, "remove it", NULL);
	strlist_free(&links);
	free(obj);
	free(dir);
	return ret ? -1 : 0;
}

static int pg_remove(const struct portal_group *pg, struct err *e)
{
	char *dir = cfs_path("portal_groups/%u", pg->tag);
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < pg->nr_portals; i++) {
		char *rel = cfs_path("%s/portals/%s", dir, pg->portals[i].addr);

		ret = cfs_rmdir(rel, e);
		free(rel);
	}
	if (!ret)
		ret = cfs_rmdir(dir, e);
	free(dir);
	return ret;
}

/* Remove every object @m holds (as loaded), in the order nothing refuses. */
int model_clear(const struct model *m, struct err *e)
{
	size_t i;
	int ret;

	for (i = 0; i < m->nr_targets; i++)
		if (target_remove(&m->targets[i], e))
			return -1;
	for (i = 0; i < m->nr_igs; i++) {
		char *rel = cfs_path("initiator_groups/%u", m->igs[i].tag);

		ret = cfs_rmdir(rel, e);
		free(rel);
		if (ret)
			return -1;
	}
	for (i = 0; i < m->nr_pgs; i++)
		if (pg_remove(&m->pgs[i], e))
			return -1;
	/* Discovery's policy goes back to no CHAP: it links auth groups. */
	if (cfs_exists("discovery_auth")) {
		struct auth_policy none = {};

		if (policy_apply("discovery_auth", "discovery auth", &none,
				 NULL, e))
			return -1;
	}
	for (i = 0; i < m->nr_auth_groups; i++)
		if (auth_group_remove(&m->auth_groups[i], e))
			return -1;
	return 0;
}

/* Its users, then the group; refused while a target or discovery links it. */
int auth_group_remove(const struct auth_group *ag, struct err *e)
{
	char *dir = cfs_path("auth_groups/%u", ag->tag);
	char *obj = xasprintf("auth group %u", ag->tag);
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < ag->nr_secrets; i++) {
		char *rel = cfs_path("%s/secrets/%s", dir, ag->secrets[i].user);

		ret = cfs_rmdir(rel, e);
		free(rel);
	}
	if (!ret)
		ret = cfs_rmdir(dir, e);
	if (ret)
		refused(e, ret, obj, "remove it",
			ret == -EBUSY ? "a target or discovery links it" : NULL);
	free(obj);
	free(dir);
	return ret ? -1 : 0;
}
