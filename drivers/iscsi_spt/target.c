// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration model: portal groups and their portals, target nodes
 * and their portal-group-to-initiator-group maps, and the lookups the
 * login path makes in it.
 *
 * configfs.c edits the model under ispt_model_lock, a mutex that may be
 * held across slow work such as opening a listening socket. The login
 * path never takes it: every list below is an RCU list, every object is
 * freed after a grace period, and a target handed out by
 * ispt_target_find() is pinned by a kref.
 */
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <net/ipv6.h>
#include <scsi/scsi_proto.h>

#include "acl.h"
#include "auth.h"
#include "compat.h"
#include "lun.h"
#include "portal.h"
#include "scsi.h"
#include "conn.h"
#include "session.h"
#include "target.h"

struct ispt_portal_group {
	struct list_head	entry;		/* in ispt_pgs */
	struct list_head	portals;	/* ispt_pg_portal */
	cpumask_var_t		cpus;		/* for its portals' connections */
	unsigned int		nr_maps;	/* maps naming this tag */
	struct rcu_head		rcu;
	u16			tag;
};

/* The address SendTargets names for a portal, e.g. behind NAT. */
struct ispt_advertised {
	struct rcu_head		rcu;
	struct sockaddr_storage	addr;
};

struct ispt_pg_portal {
	struct list_head	entry;		/* in pg->portals */
	struct ispt_portal_group *pg;
	struct ispt_portal	*listener;	/* NULL: built without a socket */
	struct sockaddr_storage	addr;
	struct ispt_advertised __rcu *advertise;	/* NULL: @addr */
	struct rcu_head		rcu;
};

struct ispt_alias {
	struct rcu_head		rcu;
	char			str[];
};

struct ispt_target {
	struct kref		kref;		/* one held while published */
	struct list_head	entry;		/* in ispt_targets */
	struct list_head	maps;		/* ispt_map */
	struct ispt_alias __rcu	*alias;
	struct xarray		luns;		/* ispt_lun by LUN, RCU lookups */
	struct ispt_auth_policy	auth;		/* under auth.c's lock */
	struct rcu_head		rcu;
	char			name[];
};

struct ispt_map {
	struct list_head	entry;		/* in target->maps */
	struct list_head	links;		/* ispt_map_link */
	struct rcu_head		rcu;
	u16			pg_tag;
};

struct ispt_map_link {
	struct list_head	entry;		/* in map->links */
	struct ispt_ig		*ig;		/* holds a reference */
	struct rcu_head		rcu;
};

static DEFINE_MUTEX(ispt_model_lock);
static LIST_HEAD(ispt_pgs);
static LIST_HEAD(ispt_targets);

/* Under ispt_model_lock or rcu_read_lock(). */
static struct ispt_portal_group *pg_find(u16 tag)
{
	struct ispt_portal_group *pg;

	list_for_each_entry_rcu(pg, &ispt_pgs, entry,
				lockdep_is_held(&ispt_model_lock))
		if (pg->tag == tag)
			return pg;
	return NULL;
}

/**
 * ispt_pg_create - add a portal group
 * @tag: its Target Portal Group Tag, 1..65535
 *
 * Its connections may run on every possible CPU until told otherwise.
 *
 * Return: the group, ERR_PTR(-EEXIST) if the tag is taken, or
 * ERR_PTR(-ENOMEM).
 */
struct ispt_portal_group *ispt_pg_create(u16 tag)
{
	struct ispt_portal_group *pg;
	int ret;

	pg = kzalloc(sizeof(*pg), GFP_KERNEL);
	if (!pg)
		return ERR_PTR(-ENOMEM);
	if (!zalloc_cpumask_var(&pg->cpus, GFP_KERNEL)) {
		kfree(pg);
		return ERR_PTR(-ENOMEM);
	}
	cpumask_copy(pg->cpus, cpu_possible_mask);
	INIT_LIST_HEAD(&pg->portals);
	pg->tag = tag;

	mutex_lock(&ispt_model_lock);
	ret = pg_find(tag) ? -EEXIST : 0;
	if (!ret)
		list_add_tail_rcu(&pg->entry, &ispt_pgs);
	mutex_unlock(&ispt_model_lock);
	if (ret) {
		free_cpumask_var(pg->cpus);
		kfree(pg);
		return ERR_PTR(ret);
	}
	return pg;
}

/* The caller has removed its portals and the maps that name it. */
void ispt_pg_destroy(struct ispt_portal_group *pg)
{
	mutex_lock(&ispt_model_lock);
	WARN_ON(!list_empty(&pg->portals) || pg->nr_maps);
	list_del_rcu(&pg->entry);
	mutex_unlock(&ispt_model_lock);
	/* Readers look at the tag and the portals, never at the CPUs. */
	free_cpumask_var(pg->cpus);
	kfree_rcu(pg, rcu);
}

void ispt_pg_cpus(struct ispt_portal_group *pg, struct cpumask *cpus)
{
	mutex_lock(&ispt_model_lock);
	cpumask_copy(cpus, pg->cpus);
	mutex_unlock(&ispt_model_lock);
}

/* Applies to the group's portals at once, for connections they accept. */
void ispt_pg_set_cpus(struct ispt_portal_group *pg,
		      const struct cpumask *cpus)
{
	struct ispt_pg_portal *portal;

	mutex_lock(&ispt_model_lock);
	cpumask_copy(pg->cpus, cpus);
	list_for_each_entry(portal, &pg->portals, entry)
		if (portal->listener)
			ispt_portal_set_cpus(portal->listener, cpus);
	mutex_unlock(&ispt_model_lock);
}

static bool addr_equal(const struct sockaddr_storage *a,
		       const struct sockaddr_storage *b)
{
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)a;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)b;
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)a;
	const struct sockaddr_in *b4 = (const struct sockaddr_in *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port &&
		       a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a6->sin6_port == b6->sin6_port &&
	       ipv6_addr_equal(&a6->sin6_addr, &b6->sin6_addr);
}

static bool addr_configured(const struct sockaddr_storage *addr)
{
	struct ispt_portal_group *pg;
	struct ispt_pg_portal *portal;

	lockdep_assert_held(&ispt_model_lock);
	list_for_each_entry(pg, &ispt_pgs, entry)
		list_for_each_entry(portal, &pg->portals, entry)
			if (addr_equal(&portal->addr, addr))
				return true;
	return false;
}

/**
 * ispt_pg_portal_add - add a portal to a portal group
 * @pg: the group
 * @addr: address and port
 * @listen: open a listening socket (false only for KUnit)
 *
 * The lock is held while the socket opens, so a concurrent change of
 * the group's CPUs cannot miss the new portal.
 *
 * Return: the portal, ERR_PTR(-EADDRINUSE) if another portal already
 * has this address, or the error of ispt_portal_listen().
 */
struct ispt_pg_portal *ispt_pg_portal_add(struct ispt_portal_group *pg,
					  const struct sockaddr_storage *addr,
					  bool listen)
{
	struct ispt_pg_portal *portal;
	struct ispt_portal *listener;
	int ret = 0;

	portal = kzalloc(sizeof(*portal), GFP_KERNEL);
	if (!portal)
		return ERR_PTR(-ENOMEM);
	portal->pg = pg;
	portal->addr = *addr;

	mutex_lock(&ispt_model_lock);
	if (addr_configured(addr)) {
		ret = -EADDRINUSE;
		goto out_unlock;
	}
	if (listen) {
		listener = ispt_portal_listen(addr, pg->tag, pg->cpus);
		if (IS_ERR(listener)) {
			ret = PTR_ERR(listener);
			goto out_unlock;
		}
		portal->listener = listener;
	}
	list_add_tail_rcu(&portal->entry, &pg->portals);
out_unlock:
	mutex_unlock(&ispt_model_lock);
	if (ret) {
		kfree(portal);
		return ERR_PTR(ret);
	}
	return portal;
}

/* Stops accepting at once; connections already accepted stay. */
static bool addr_is_wildcard(const struct sockaddr_storage *addr);

/* A connection that came in through @arg, a portal being removed. */
static void portal_ask_logout(struct ispt_conn *conn, void *arg)
{
	struct ispt_pg_portal *portal = arg;
	const struct sockaddr_in *p4 = (const struct sockaddr_in *)&portal->addr;
	const struct sockaddr_in *l4 = (const struct sockaddr_in *)&conn->local;

	/* sin_port and sin6_port are at the same offset. */
	if (conn->tpgt != portal->pg->tag ||
	    conn->local.ss_family != portal->addr.ss_family ||
	    l4->sin_port != p4->sin_port)
		return;
	if (addr_is_wildcard(&portal->addr) ||
	    addr_equal(&portal->addr, &conn->local))
		ispt_conn_request_logout(conn, false);
}

void ispt_pg_portal_remove(struct ispt_pg_portal *portal)
{
	mutex_lock(&ispt_model_lock);
	list_del_rcu(&portal->entry);
	mutex_unlock(&ispt_model_lock);
	/* Sleeps until the socket is closed: not under the lock. */
	if (portal->listener)
		ispt_portal_stop(portal->listener);
	/*
	 * Its sessions stay, but are asked to log out (and log in again
	 * through a portal that remains); one that does not is left alone.
	 */
	ispt_conns_for_each(portal_ask_logout, portal);
	ispt_pg_portal_set_advertise(portal, NULL);
	kfree_rcu(portal, rcu);
}

/**
 * ispt_pg_portal_set_advertise - the address SendTargets gives for a portal
 * @portal: the portal
 * @addr: a specific address and port, or NULL to give the portal's own
 *
 * For a target reached through NAT or a port forward, where the address
 * it listens on is not the one initiators can connect to.
 */
void ispt_pg_portal_set_advertise(struct ispt_pg_portal *portal,
				  const struct sockaddr_storage *addr)
{
	struct ispt_advertised *adv = NULL, *old;

	if (addr) {
		adv = kmalloc(sizeof(*adv), GFP_KERNEL | __GFP_NOFAIL);
		adv->addr = *addr;
	}
	mutex_lock(&ispt_model_lock);
	old = rcu_replace_pointer(portal->advertise, adv,
				  lockdep_is_held(&ispt_model_lock));
	mutex_unlock(&ispt_model_lock);
	if (old)
		kfree_rcu(old, rcu);
}

/* The advertised address of @portal into @addr; false if it has none. */
bool ispt_pg_portal_advertised(struct ispt_pg_portal *portal,
			       struct sockaddr_storage *addr)
{
	struct ispt_advertised *adv;

	rcu_read_lock();
	adv = rcu_dereference(portal->advertise);
	if (adv)
		*addr = adv->addr;
	rcu_read_unlock();
	return adv;
}

static struct ispt_target *target_find_locked(const char *name)
{
	struct ispt_target *target;

	list_for_each_entry(target, &ispt_targets, entry)
		if (!strcmp(target->name, name))
			return target;
	return NULL;
}

/**
 * ispt_target_create - add a target node
 * @name: its iSCSI name
 *
 * Return: the target, ERR_PTR(-EINVAL) for an invalid name,
 * ERR_PTR(-EEXIST), or ERR_PTR(-ENOMEM).
 */
struct ispt_target *ispt_target_create(const char *name)
{
	size_t len = strlen(name);
	struct ispt_target *target;
	int ret = 0;

	if (!ispt_iscsi_name_valid(name, len, NULL))
		return ERR_PTR(-EINVAL);
	target = kzalloc(struct_size(target, name, len + 1), GFP_KERNEL);
	if (!target)
		return ERR_PTR(-ENOMEM);
	kref_init(&target->kref);
	INIT_LIST_HEAD(&target->maps);
	xa_init(&target->luns);
	memcpy(target->name, name, len + 1);

	mutex_lock(&ispt_model_lock);
	if (target_find_locked(name))
		ret = -EEXIST;
	else
		list_add_tail_rcu(&target->entry, &ispt_targets);
	mutex_unlock(&ispt_model_lock);
	if (ret) {
		kfree(target);
		return ERR_PTR(ret);
	}
	return target;
}

static void target_release(struct kref *kref)
{
	struct ispt_target *target = container_of(kref, struct ispt_target,
						  kref);

	ispt_auth_policy_clear(&target->auth);
	kfree_rcu(rcu_dereference_protected(target->alias, true), rcu);
	/* ispt_target_find() may be looking at it under RCU. */
	kfree_rcu(target, rcu);
}

/*
 * Unpublishes the target: no new lookup finds it. Logins that hold a
 * reference keep the memory, and see no maps (the caller removed them).
 */
void ispt_target_destroy(struct ispt_target *target)
{
	mutex_lock(&ispt_model_lock);
	WARN_ON(!list_empty(&target->maps));
	WARN_ON(!xa_empty(&target->luns));
	list_del_rcu(&target->entry);
	mutex_unlock(&ispt_model_lock);
	/* Sessions still open on it are asked to go. */
	ispt_sessions_request_logout(target, -1);
	ispt_target_put(target);
}

/**
 * ispt_target_set_alias - set or clear the TargetAlias
 * @target: the target
 * @alias: printable ASCII, not NUL-terminated
 * @len: its length, at most ISPT_ALIAS_MAX; 0 clears the alias
 *
 * Return: 0, -EINVAL, or -ENOMEM.
 */
int ispt_target_set_alias(struct ispt_target *target, const char *alias,
			  size_t len)
{
	struct ispt_alias *new = NULL, *old;
	size_t i;

	if (len > ISPT_ALIAS_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (alias[i] < 0x20 || alias[i] > 0x7e)
			return -EINVAL;
	if (len) {
		new = kmalloc(struct_size(new, str, len + 1), GFP_KERNEL);
		if (!new)
			return -ENOMEM;
		memcpy(new->str, alias, len);
		new->str[len] = '\0';
	}
	mutex_lock(&ispt_model_lock);
	old = rcu_replace_pointer(target->alias, new,
				  lockdep_is_held(&ispt_model_lock));
	mutex_unlock(&ispt_model_lock);
	kfree_rcu(old, rcu);
	return 0;
}

/**
 * ispt_target_find - look up a target by name and pin it
 * @name: the TargetName an initiator asked for
 *
 * Does not sleep. Release the target with ispt_target_put().
 *
 * Return: the target, or NULL if there is none of that name.
 */
struct ispt_target *ispt_target_find(const char *name)
{
	struct ispt_target *target, *found = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(target, &ispt_targets, entry) {
		if (!strcmp(target->name, name)) {
			if (kref_get_unless_zero(&target->kref))
				found = target;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

void ispt_target_put(struct ispt_target *target)
{
	kref_put(&target->kref, target_release);
}

const char *ispt_target_name(const struct ispt_target *target)
{
	return target->name;
}

/* Its CHAP settings, for configfs and for the login's snapshot. */
struct ispt_auth_policy *ispt_target_auth(struct ispt_target *target)
{
	return &target->auth;
}

/**
 * ispt_target_alias - copy the TargetAlias
 * @target: the target
 * @buf: where to copy it, NUL-terminated
 * @size: size of @buf; ISPT_ALIAS_MAX + 1 always holds it all
 *
 * Return: the length copied; 0 if the target has no alias.
 */
size_t ispt_target_alias(const struct ispt_target *target, char *buf,
			 size_t size)
{
	const struct ispt_alias *alias;
	ssize_t len = 0;

	if (!size)
		return 0;
	rcu_read_lock();
	alias = rcu_dereference(target->alias);
	if (alias)
		len = strscpy(buf, alias->str, size);
	else
		buf[0] = '\0';
	rcu_read_unlock();
	return len < 0 ? size - 1 : len;
}

/**
 * ispt_map_create - map a target to a portal group
 * @target: the target
 * @pg_tag: tag of an existing portal group
 *
 * Return: the map (empty: it admits no one until linked to an initiator
 * group), ERR_PTR(-ENOENT) if there is no such portal group,
 * ERR_PTR(-EEXIST) if the target is mapped to it already, or
 * ERR_PTR(-ENOMEM).
 */
struct ispt_map *ispt_map_create(struct ispt_target *target, u16 pg_tag)
{
	struct ispt_portal_group *pg;
	struct ispt_map *map, *m;
	int ret = 0;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&map->links);
	map->pg_tag = pg_tag;

	mutex_lock(&ispt_model_lock);
	pg = pg_find(pg_tag);
	if (!pg) {
		ret = -ENOENT;
		goto out_unlock;
	}
	list_for_each_entry(m, &target->maps, entry) {
		if (m->pg_tag == pg_tag) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	pg->nr_maps++;
	list_add_tail_rcu(&map->entry, &target->maps);
out_unlock:
	mutex_unlock(&ispt_model_lock);
	if (ret) {
		kfree(map);
		return ERR_PTR(ret);
	}
	return map;
}

static void map_link_free(struct ispt_map_link *link)
{
	/* The group itself is freed after a grace period too. */
	ispt_ig_put(link->ig);
	kfree_rcu(link, rcu);
}

void ispt_map_destroy(struct ispt_map *map)
{
	struct ispt_map_link *link, *tmp;
	struct ispt_portal_group *pg;
	LIST_HEAD(links);

	mutex_lock(&ispt_model_lock);
	list_del_rcu(&map->entry);
	/* configfs removes the links first; do not leak if not. */
	WARN_ON(!list_empty(&map->links));
	list_for_each_entry_safe(link, tmp, &map->links, entry) {
		list_del_rcu(&link->entry);
		map_link_free(link);
	}
	pg = pg_find(map->pg_tag);
	if (!WARN_ON(!pg))
		pg->nr_maps--;
	mutex_unlock(&ispt_model_lock);
	kfree_rcu(map, rcu);
}

/**
 * ispt_map_link - admit an initiator group through a map
 * @map: the map
 * @ig: the group; the map holds a reference to it
 *
 * Return: 0, -EEXIST if it is linked already, or -ENOMEM.
 */
int ispt_map_link(struct ispt_map *map, struct ispt_ig *ig)
{
	struct ispt_map_link *link, *l;
	int ret = 0;

	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	link->ig = ig;

	mutex_lock(&ispt_model_lock);
	list_for_each_entry(l, &map->links, entry) {
		if (l->ig == ig) {
			ret = -EEXIST;
			break;
		}
	}
	if (!ret) {
		ispt_ig_get(ig);
		list_add_tail_rcu(&link->entry, &map->links);
	}
	mutex_unlock(&ispt_model_lock);
	if (ret)
		kfree(link);
	return ret;
}

void ispt_map_unlink(struct ispt_map *map, struct ispt_ig *ig)
{
	struct ispt_map_link *link, *found = NULL;

	mutex_lock(&ispt_model_lock);
	list_for_each_entry(link, &map->links, entry) {
		if (link->ig == ig) {
			found = link;
			list_del_rcu(&link->entry);
			break;
		}
	}
	mutex_unlock(&ispt_model_lock);
	if (found)
		map_link_free(found);
}

/* Under rcu_read_lock(). */
static bool map_allows(const struct ispt_map *map, const char *initiator,
		       const struct sockaddr_storage *peer)
{
	struct ispt_map_link *link;

	list_for_each_entry_rcu(link, &map->links, entry)
		if (ispt_ig_allows(link->ig, initiator, peer))
			return true;
	return false;
}

/**
 * ispt_target_access - may this initiator log in to this target here?
 * @target: the target
 * @pg_tag: the portal group the connection came in through
 * @initiator: the InitiatorName
 * @peer: the initiator's address
 *
 * Does not sleep.
 *
 * Return: ISPT_ACCESS_ALLOWED if an initiator group linked in the
 * target's map for @pg_tag holds both the name and the address,
 * ISPT_ACCESS_NO_MAP if the target has no map for @pg_tag, else
 * ISPT_ACCESS_DENIED.
 */
enum ispt_access ispt_target_access(struct ispt_target *target, u16 pg_tag,
				    const char *initiator,
				    const struct sockaddr_storage *peer)
{
	enum ispt_access ret = ISPT_ACCESS_NO_MAP;
	struct ispt_map *map;

	rcu_read_lock();
	list_for_each_entry_rcu(map, &target->maps, entry) {
		if (map->pg_tag != pg_tag)
			continue;
		ret = map_allows(map, initiator, peer) ? ISPT_ACCESS_ALLOWED :
							 ISPT_ACCESS_DENIED;
		break;
	}
	rcu_read_unlock();
	return ret;
}

static bool addr_is_wildcard(const struct sockaddr_storage *addr)
{
	if (addr->ss_family == AF_INET)
		return ((const struct sockaddr_in *)addr)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return ipv6_addr_any(&((const struct sockaddr_in6 *)addr)->sin6_addr);
}

/**
 * ispt_target_address - the address to advertise for a portal
 * @addr: result
 * @portal: the portal's address and port
 * @local: local address of the connection asking, or NULL
 *
 * A wildcard portal (0.0.0.0 or ::) is no address an initiator can
 * connect to, so it is replaced by the address the initiator already
 * reached us at, keeping the portal's port. That is only possible in
 * the family of @local: a [::] portal cannot be advertised to an IPv4
 * connection, as we do not know which of our IPv6 addresses it can use.
 * An IPv4-mapped @local counts as IPv4.
 *
 * Return: false if the portal cannot be advertised to this connection.
 */
bool ispt_target_address(struct sockaddr_storage *addr,
			 const struct sockaddr_storage *portal,
			 const struct sockaddr_storage *local)
{
	const struct sockaddr_in6 *l6 = (const struct sockaddr_in6 *)local;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
	struct sockaddr_in *a4 = (struct sockaddr_in *)addr;

	*addr = *portal;
	if (!addr_is_wildcard(portal))
		return true;
	if (!local)
		return false;
	if (portal->ss_family == AF_INET) {
		if (local->ss_family == AF_INET)
			a4->sin_addr = ((const struct sockaddr_in *)local)->sin_addr;
		else if (local->ss_family == AF_INET6 &&
			 ipv6_addr_v4mapped(&l6->sin6_addr))
			a4->sin_addr.s_addr = l6->sin6_addr.s6_addr32[3];
		else
			return false;
		return true;
	}
	if (local->ss_family != AF_INET6)
		return false;
	a6->sin6_addr = l6->sin6_addr;
	a6->sin6_scope_id = l6->sin6_scope_id;
	return true;
}

/* A text response being built: key=value pairs, each NUL-terminated. */
struct st_text {
	char	*buf;
	size_t	size;
	size_t	len;
	bool	full;
};

static __printf(2, 3) void st_add(struct st_text *t, const char *fmt, ...)
{
	size_t room = t->size - t->len;
	va_list args;
	int n;

	if (t->full)
		return;
	va_start(args, fmt);
	n = vsnprintf(t->buf + t->len, room, fmt, args);
	va_end(args);
	/* The NUL is part of the pair. */
	if (n + 1 > room)
		t->full = true;
	else
		t->len += n + 1;
}

/* Under rcu_read_lock(). */
static void st_add_pg(struct st_text *t, u16 pg_tag,
		      const struct sockaddr_storage *local)
{
	struct ispt_portal_group *pg = pg_find(pg_tag);
	struct ispt_pg_portal *portal;
	struct sockaddr_storage addr;

	if (!pg)
		return;
	list_for_each_entry_rcu(portal, &pg->portals, entry) {
		struct ispt_advertised *adv = rcu_dereference(portal->advertise);

		if (adv)
			st_add(t, "TargetAddress=%pISpc,%u", &adv->addr, pg_tag);
		else if (ispt_target_address(&addr, &portal->addr, local))
			st_add(t, "TargetAddress=%pISpc,%u", &addr, pg_tag);
	}
}

/*
 * One target record. The portal group asked through comes first, so an
 * initiator that tries the addresses in order stays on the path it
 * already uses; the other groups follow in the order they were mapped.
 */
static void st_add_target(struct st_text *t, const struct ispt_target *target,
			  u16 pg_tag, const char *initiator,
			  const struct sockaddr_storage *peer,
			  const struct sockaddr_storage *local)
{
	struct ispt_map *map;
	bool named = false;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		list_for_each_entry_rcu(map, &target->maps, entry) {
			if (pass == 0 ? map->pg_tag != pg_tag :
					map->pg_tag == pg_tag)
				continue;
			if (!map_allows(map, initiator, peer))
				continue;
			if (!named) {
				st_add(t, "TargetName=%s", target->name);
				named = true;
			}
			st_add_pg(t, map->pg_tag, local);
		}
	}
}

/**
 * ispt_send_targets - build the response to a SendTargets text request
 * @which: "All", or the name of one target (for an operational session,
 *	   which asks with an empty value, pass the session's target)
 * @pg_tag: the portal group the request came in through
 * @initiator: the InitiatorName of the session
 * @peer: the initiator's address
 * @local: our address on the connection, for wildcard portals
 * @buf: where to write the key=value pairs, each NUL-terminated
 * @len: size of @buf
 *
 * Lists each target that @initiator at @peer may log in to through some
 * portal group (RFC 7143 Appendix C), as a TargetName followed by one
 * TargetAddress per portal of each portal group that admits it. Does
 * not sleep.
 *
 * Return: the number of bytes written (0 when no target qualifies),
 * -ENOSPC if they do not fit in @len, or -EINVAL.
 */
int ispt_send_targets(const char *which, u16 pg_tag, const char *initiator,
		      const struct sockaddr_storage *peer,
		      const struct sockaddr_storage *local,
		      char *buf, size_t len)
{
	struct st_text t = { .buf = buf, .size = len };
	struct ispt_target *target;
	bool all;

	if (!which || !*which || len > INT_MAX)
		return -EINVAL;
	all = !strcmp(which, "All");
	rcu_read_lock();
	list_for_each_entry_rcu(target, &ispt_targets, entry)
		if (all || !strcmp(target->name, which))
			st_add_target(&t, target, pg_tag, initiator, peer,
				      local);
	rcu_read_unlock();
	return t.full ? -ENOSPC : t.len;
}

/**
 * ispt_target_lun_add - publish a logical unit
 * @target: the target it belongs to
 * @lun: the LU, published as LUN @lun->id
 *
 * Return: 0, or -EEXIST if that LUN is taken, -ENOMEM.
 */
int ispt_target_lun_add(struct ispt_target *target, struct ispt_lun *lun)
{
	int ret = xa_insert(&target->luns, lun->id, lun, GFP_KERNEL);

	/* Sessions logged in learn that REPORT LUNS has news (SPC-4 6.33). */
	if (!ret)
		ispt_sessions_post_ua(target, ISPT_UA_ALL_LUNS,
				      ISPT_ASC_LUNS_CHANGED, NULL);
	return ret;
}

/* Unpublish LUN @id; the caller closes what is returned (or NULL). */
struct ispt_lun *ispt_target_lun_remove(struct ispt_target *target, u64 id)
{
	struct ispt_lun *lun = xa_erase(&target->luns, id);

	if (lun) {
		ispt_sessions_forget_lun(target, id);
		ispt_sessions_post_ua(target, ISPT_UA_ALL_LUNS,
				      ISPT_ASC_LUNS_CHANGED, NULL);
	}
	return lun;
}

/**
 * ispt_target_lun_get - the logical unit a command addresses
 * @target: the session's target
 * @wire_lun: the 8 LUN bytes of the PDU, as one big-endian number
 *
 * Never sleeps. Return: the LU with a reference for the command, or NULL
 * if there is none (or it is being disabled).
 */
struct ispt_lun *ispt_target_lun_get(struct ispt_target *target, u64 wire_lun)
{
	struct scsi_lun raw;
	struct ispt_lun *lun;
	u64 id;

	put_unaligned_be64(wire_lun, raw.scsi_lun);
	if (!target || !ispt_scsi_lun_decode(&raw, &id))
		return NULL;
	rcu_read_lock();
	lun = xa_load(&target->luns, id);
	if (lun && !ispt_lun_tryget(lun))
		lun = NULL;
	rcu_read_unlock();
	return lun;
}

/*
 * Up to @max enabled LUNs of @target in ascending order, not those whose
 * device has gone (ispt_lun_resized()); returns how many.
 */
int ispt_target_lun_ids(struct ispt_target *target, u64 *ids, int max)
{
	struct ispt_lun *lun;
	unsigned long index;
	int n = 0;

	if (!target)
		return 0;
	rcu_read_lock();
	xa_for_each(&target->luns, index, lun) {
		if (n == max)
			break;
		if (!ispt_lun_gone(lun))
			ids[n++] = index;
	}
	rcu_read_unlock();
	return n;
}

/* Each enabled LU's reservations, one at a time; from any context. */
static void target_pr_each(struct ispt_target *target,
			   void (*fn)(struct ispt_pr *pr,
				      const struct ispt_scsi_nexus *n),
			   const struct ispt_scsi_nexus *n)
{
	struct ispt_lun *lun;
	unsigned long index;

	rcu_read_lock();
	xa_for_each(&target->luns, index, lun) {
		if (!ispt_lun_tryget(lun))
			continue;
		fn(&lun->pr, n);
		ispt_lun_put(lun);
	}
	rcu_read_unlock();
}

static void pr_reset_one(struct ispt_pr *pr, const struct ispt_scsi_nexus *n)
{
	ispt_pr_reset(pr);
}

/* A target reset: SPC-2 reservations end, persistent ones stay. */
void ispt_target_pr_reset(struct ispt_target *target)
{
	target_pr_each(target, pr_reset_one, NULL);
}

/* @n is gone (logout, dropped connection): its SPC-2 reservations end. */
void ispt_target_pr_nexus_lost(struct ispt_target *target,
			       const struct ispt_scsi_nexus *n)
{
	target_pr_each(target, ispt_pr_nexus_lost, n);
}

/**
 * ispt_target_lun_by_naa - the LU whose NAA designator (VPD page 0x83) is @naa
 * @target: the session's target
 * @naa: the 8-byte designator, NAA nibble included
 *
 * For EXTENDED COPY, whose target descriptors name LUs this way. A walk
 * of the target's LUs, never sleeping; a copy asks once per target
 * descriptor (at most ISPT_XCOPY_MAX_TARGETS).
 *
 * Return: the LU with a reference, or NULL.
 */
struct ispt_lun *ispt_target_lun_by_naa(struct ispt_target *target, u64 naa)
{
	struct ispt_lun *lun, *found = NULL;
	unsigned long index;

	if (!target)
		return NULL;
	rcu_read_lock();
	xa_for_each(&target->luns, index, lun) {
		if (ispt_scsi_naa(&lun->desc) == naa) {
			if (ispt_lun_tryget(lun))
				found = lun;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * ispt_target_post_ua - a unit attention on every LUN of a target
 * @target: the target
 * @asc_ascq: the condition
 * @except: the session not to tell (it caused it), or NULL
 *
 * For a target reset: each LU reports it on each nexus. A queue
 * holds ISPT_UA_MAX conditions, so only the lowest ISPT_UA_MAX LUNs get
 * one (LUN 0, which initiators address first, among them); the cost stays
 * bounded however many LUNs the target has. Never sleeps.
 */
void ispt_target_post_ua(struct ispt_target *target, u16 asc_ascq,
			 const struct ispt_session *except)
{
	u64 ids[ISPT_UA_MAX];
	int n;

	n = ispt_target_lun_ids(target, ids, ARRAY_SIZE(ids));
	if (n > 0)
		ispt_sessions_post_ua_luns(target, ids, n, asc_ascq, except);
}
