// SPDX-License-Identifier: GPL-2.0
/*
 * The configfs tree under /sys/kernel/config/iscsi_spt:
 *
 *   portal_groups/<tag>/{cpus, portals/<addr>}
 *   initiator_groups/<tag>/{initiators, netmasks}
 *   targets/<iqn>/{alias, maps/<pg tag>/<link to an initiator group>}
 *   targets/<iqn>/auth/{require_chap, mutual_chap, <link to an auth group>}
 *   auth_groups/<tag>/{chap_algs, secrets/<user>/{secret, mutual_user,
 *                      mutual_secret}}
 *   discovery_auth/{require_chap, mutual_chap, <link to an auth group>}
 *   HeaderDigest, MaxBurstLength, ...: the login keys offered (logindefs.c)
 *
 * Each directory wraps an object of the model (target.c, acl.c): mkdir
 * creates it, the parent's drop_item removes it from the model, and the
 * item's release frees the wrapper. Relations are kept live by configfs
 * itself, so no object can go while something uses it:
 *   - an initiator group linked from a map cannot be removed: configfs
 *     refuses rmdir of a symlink target with -EBUSY;
 *   - a portal group named by a map cannot be removed: the map holds a
 *     configfs_depend_item() on it, so rmdir fails with -EBUSY;
 *   - a map with links and a target with maps are not empty, so their
 *     rmdir fails with -ENOTEMPTY;
 *   - an auth group linked from a target or discovery cannot be removed
 *     (-EBUSY, as above), nor one with secrets (-ENOTEMPTY).
 * Documentation/configfs.rst describes the tree for administrators.
 */
#include <linux/configfs.h>
#include <linux/cpu.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <uapi/linux/iscsi_spt.h>

#include "acl.h"
#include "auth.h"
#include "configfs.h"
#include "conn.h"
#include "logindefs.h"
#include "lun.h"
#include "portal.h"
#include "state.h"
#include "session.h"
#include "target.h"
#include "worker.h"

struct ispt_cfs_pg {
	struct config_group		group;
	struct config_group		portals_group;
	struct ispt_portal_group	*pg;
	u16				tag;
};

struct ispt_cfs_portal {
	struct config_item		item;
	struct ispt_pg_portal		*portal;
};

struct ispt_cfs_ig {
	struct config_group		group;
	struct ispt_ig			*ig;
};

/* targets/<iqn>/auth and discovery_auth: a policy's settings. */
struct ispt_cfs_auth {
	struct config_group		group;
	struct ispt_auth_policy		*policy;
};

struct ispt_cfs_target {
	struct config_group		group;
	struct config_group		maps_group;
	struct config_group		luns_group;
	struct ispt_cfs_auth		auth;
	struct ispt_target		*target;
};

/* targets/<iqn>/luns/<id>: a block device and whether it is served. */
struct ispt_cfs_lun {
	struct config_group		group;
	struct ispt_cfs_target		*ctarget;
	u64				id;
	struct mutex			lock;	/* protects path and lun */
	char				path[ISPT_LUN_PATH_MAX];
	struct ispt_lun			*lun;	/* while enabled */
	char				*pr_saved;	/* pr_state while disabled */
};

struct ispt_cfs_map {
	struct config_group		group;
	struct ispt_map			*map;
	struct config_item		*pg_item;	/* depended on */
};

static const struct config_item_type ispt_ig_type;
static const struct config_item_type ispt_root_type;
static struct configfs_subsystem ispt_subsys;
static struct config_group ispt_pgs_group;

static struct ispt_cfs_pg *to_pg(struct config_item *item)
{
	return container_of(to_config_group(item), struct ispt_cfs_pg, group);
}

static struct ispt_cfs_portal *to_portal(struct config_item *item)
{
	return container_of(item, struct ispt_cfs_portal, item);
}

static struct ispt_cfs_ig *to_ig(struct config_item *item)
{
	return container_of(to_config_group(item), struct ispt_cfs_ig, group);
}

static struct ispt_cfs_target *to_target(struct config_item *item)
{
	return container_of(to_config_group(item), struct ispt_cfs_target,
			    group);
}

static struct ispt_cfs_map *to_map(struct config_item *item)
{
	return container_of(to_config_group(item), struct ispt_cfs_map, group);
}

/* Length of a written value without the newline echo adds. */
static size_t value_len(const char *page, size_t count)
{
	if (count && page[count - 1] == '\n')
		count--;
	return count;
}

/*
 * Tags are canonical decimals from 1 to 65535 ("01" and "+1" are not),
 * so that one tag has one directory name and maps can find it by name.
 */
static int parse_tag(const char *name, u16 *tag)
{
	const char *p;

	if (name[0] < '1' || name[0] > '9')
		return -EINVAL;
	for (p = name; *p; p++)
		if (!isdigit(*p))
			return -EINVAL;
	return kstrtou16(name, 10, tag);
}

/* portal_groups/<tag>/cpus */

static ssize_t ispt_pg_cpus_show(struct config_item *item, char *page)
{
	cpumask_var_t cpus;
	ssize_t len;

	if (!alloc_cpumask_var(&cpus, GFP_KERNEL))
		return -ENOMEM;
	ispt_pg_cpus(to_pg(item)->pg, cpus);
	len = sysfs_emit(page, "%*pbl\n", cpumask_pr_args(cpus));
	free_cpumask_var(cpus);
	return len;
}

static ssize_t ispt_pg_cpus_store(struct config_item *item, const char *page,
				  size_t count)
{
	struct ispt_cfs_pg *cpg = to_pg(item);
	cpumask_var_t cpus;
	int ret;

	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL))
		return -ENOMEM;
	ret = cpulist_parse(page, cpus);
	if (ret || cpumask_empty(cpus) ||
	    !cpumask_subset(cpus, cpu_possible_mask)) {
		pr_err("portal_groups/%u: cpus: \"%.*s\" is not a list of possible CPUs (%*pbl)\n",
		       cpg->tag, (int)min_t(size_t, value_len(page, count), 64),
		       page, cpumask_pr_args(cpu_possible_mask));
		ret = -EINVAL;
	} else {
		ispt_pg_set_cpus(cpg->pg, cpus);
	}
	free_cpumask_var(cpus);
	return ret ? ret : count;
}

CONFIGFS_ATTR(ispt_pg_, cpus);

static struct configfs_attribute *ispt_pg_attrs[] = {
	&ispt_pg_attr_cpus,
	NULL,
};

/* portal_groups/<tag>/portals/<addr> */

static void ispt_portal_release(struct config_item *item)
{
	kfree(to_portal(item));
}

/* portal_groups/<tag>/portals/<addr>/advertise: empty, or ADDR[:PORT] */

static ssize_t ispt_portal_advertise_show(struct config_item *item,
					  char *page)
{
	struct sockaddr_storage addr;

	if (!ispt_pg_portal_advertised(to_portal(item)->portal, &addr))
		return sysfs_emit(page, "\n");
	return sysfs_emit(page, "%pISpc\n", &addr);
}

static ssize_t ispt_portal_advertise_store(struct config_item *item,
					   const char *page, size_t count)
{
	size_t len = value_len(page, count);
	struct sockaddr_storage addr;
	char buf[64];

	if (!len) {
		ispt_pg_portal_set_advertise(to_portal(item)->portal, NULL);
		return count;
	}
	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, page, len);
	buf[len] = '\0';
	/* Initiators must be able to connect to it: no wildcard. */
	if (ispt_portal_parse_addr(buf, &addr) ||
	    !ispt_target_address(&addr, &addr, NULL))
		goto bad;
	ispt_pg_portal_set_advertise(to_portal(item)->portal, &addr);
	return count;
bad:
	pr_err("portals/%s: advertise: \"%.*s\" is not ADDR[:PORT] with a specific IPv4 or bracketed IPv6 address\n",
	       config_item_name(item), (int)min_t(size_t, len, 64), page);
	return -EINVAL;
}

CONFIGFS_ATTR(ispt_portal_, advertise);

static struct configfs_attribute *ispt_portal_attrs[] = {
	&ispt_portal_attr_advertise,
	NULL,
};

static struct configfs_item_operations ispt_portal_item_ops = {
	.release	= ispt_portal_release,
};

static const struct config_item_type ispt_portal_type = {
	.ct_item_ops	= &ispt_portal_item_ops,
	.ct_attrs	= ispt_portal_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_item *ispt_portals_make_item(struct config_group *group,
						  const char *name)
{
	struct ispt_cfs_pg *cpg = container_of(group, struct ispt_cfs_pg,
					       portals_group);
	struct ispt_cfs_portal *cportal;
	struct sockaddr_storage addr;
	struct ispt_pg_portal *portal;

	if (ispt_portal_parse_addr(name, &addr)) {
		pr_err("portal_groups/%u/portals/%s: not ADDR[:PORT] with an IPv4 or a bracketed IPv6 address\n",
		       cpg->tag, name);
		return ERR_PTR(-EINVAL);
	}
	cportal = kzalloc(sizeof(*cportal), GFP_KERNEL);
	if (!cportal)
		return ERR_PTR(-ENOMEM);
	portal = ispt_pg_portal_add(cpg->pg, &addr, true);
	if (IS_ERR(portal)) {
		pr_err("portal_groups/%u/portals/%s: cannot listen: %pe\n",
		       cpg->tag, name, portal);
		kfree(cportal);
		return ERR_CAST(portal);
	}
	cportal->portal = portal;
	config_item_init_type_name(&cportal->item, name, &ispt_portal_type);
	return &cportal->item;
}

static void ispt_portals_drop_item(struct config_group *group,
				   struct config_item *item)
{
	ispt_pg_portal_remove(to_portal(item)->portal);
	config_item_put(item);
}

static struct configfs_group_operations ispt_portals_group_ops = {
	.make_item	= ispt_portals_make_item,
	.drop_item	= ispt_portals_drop_item,
};

static const struct config_item_type ispt_portals_type = {
	.ct_group_ops	= &ispt_portals_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* portal_groups/<tag> */

static void ispt_pg_release(struct config_item *item)
{
	kfree(to_pg(item));
}

static struct configfs_item_operations ispt_pg_item_ops = {
	.release	= ispt_pg_release,
};

static const struct config_item_type ispt_pg_type = {
	.ct_item_ops	= &ispt_pg_item_ops,
	.ct_attrs	= ispt_pg_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *ispt_pgs_make_group(struct config_group *group,
						const char *name)
{
	struct ispt_cfs_pg *cpg;
	struct ispt_portal_group *pg;
	u16 tag;

	if (parse_tag(name, &tag)) {
		pr_err("portal_groups/%s: the tag must be a decimal number from 1 to 65535\n",
		       name);
		return ERR_PTR(-EINVAL);
	}
	cpg = kzalloc(sizeof(*cpg), GFP_KERNEL);
	if (!cpg)
		return ERR_PTR(-ENOMEM);
	pg = ispt_pg_create(tag);
	if (IS_ERR(pg)) {
		kfree(cpg);
		return ERR_CAST(pg);
	}
	cpg->pg = pg;
	cpg->tag = tag;
	config_group_init_type_name(&cpg->group, name, &ispt_pg_type);
	config_group_init_type_name(&cpg->portals_group, "portals",
				    &ispt_portals_type);
	configfs_add_default_group(&cpg->portals_group, &cpg->group);
	return &cpg->group;
}

static void ispt_pgs_drop_item(struct config_group *group,
			       struct config_item *item)
{
	ispt_pg_destroy(to_pg(item)->pg);
	config_item_put(item);
}

static struct configfs_group_operations ispt_pgs_group_ops = {
	.make_group	= ispt_pgs_make_group,
	.drop_item	= ispt_pgs_drop_item,
};

static const struct config_item_type ispt_pgs_type = {
	.ct_group_ops	= &ispt_pgs_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* initiator_groups/<tag>/{initiators,netmasks} */

static void log_acl_err(struct config_item *item, const char *attr,
			const struct ispt_acl_err *err)
{
	pr_err("initiator_groups/%s: %s: \"%.*s\": %s\n",
	       config_item_name(item), attr, err->toklen, err->tok, err->why);
}

static ssize_t ispt_ig_initiators_show(struct config_item *item, char *page)
{
	return ispt_ig_show_names(to_ig(item)->ig, page);
}

static ssize_t ispt_ig_initiators_store(struct config_item *item,
					const char *page, size_t count)
{
	struct ispt_acl_names *names;
	struct ispt_acl_err err;

	names = ispt_acl_names_parse(page, count, &err);
	if (IS_ERR(names)) {
		if (PTR_ERR(names) == -EINVAL)
			log_acl_err(item, "initiators", &err);
		return PTR_ERR(names);
	}
	ispt_ig_set_names(to_ig(item)->ig, names);
	ispt_conns_recheck_access();
	return count;
}

static ssize_t ispt_ig_netmasks_show(struct config_item *item, char *page)
{
	return ispt_ig_show_netmasks(to_ig(item)->ig, page);
}

static ssize_t ispt_ig_netmasks_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct ispt_acl_netmasks *masks;
	struct ispt_acl_err err;

	masks = ispt_acl_netmasks_parse(page, count, &err);
	if (IS_ERR(masks)) {
		if (PTR_ERR(masks) == -EINVAL)
			log_acl_err(item, "netmasks", &err);
		return PTR_ERR(masks);
	}
	ispt_ig_set_netmasks(to_ig(item)->ig, masks);
	ispt_conns_recheck_access();
	return count;
}

CONFIGFS_ATTR(ispt_ig_, initiators);
CONFIGFS_ATTR(ispt_ig_, netmasks);

static struct configfs_attribute *ispt_ig_attrs[] = {
	&ispt_ig_attr_initiators,
	&ispt_ig_attr_netmasks,
	NULL,
};

static void ispt_ig_release(struct config_item *item)
{
	kfree(to_ig(item));
}

static struct configfs_item_operations ispt_ig_item_ops = {
	.release	= ispt_ig_release,
};

static const struct config_item_type ispt_ig_type = {
	.ct_item_ops	= &ispt_ig_item_ops,
	.ct_attrs	= ispt_ig_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *ispt_igs_make_group(struct config_group *group,
						const char *name)
{
	struct ispt_cfs_ig *cig;
	struct ispt_ig *ig;
	u16 tag;

	if (parse_tag(name, &tag)) {
		pr_err("initiator_groups/%s: the tag must be a decimal number from 1 to 65535\n",
		       name);
		return ERR_PTR(-EINVAL);
	}
	cig = kzalloc(sizeof(*cig), GFP_KERNEL);
	if (!cig)
		return ERR_PTR(-ENOMEM);
	ig = ispt_ig_create(tag);
	if (IS_ERR(ig)) {
		kfree(cig);
		return ERR_CAST(ig);
	}
	cig->ig = ig;
	config_group_init_type_name(&cig->group, name, &ispt_ig_type);
	return &cig->group;
}

/* Maps that linked the group hold their own references to it. */
static void ispt_igs_drop_item(struct config_group *group,
			       struct config_item *item)
{
	ispt_ig_put(to_ig(item)->ig);
	config_item_put(item);
}

static struct configfs_group_operations ispt_igs_group_ops = {
	.make_group	= ispt_igs_make_group,
	.drop_item	= ispt_igs_drop_item,
};

static const struct config_item_type ispt_igs_type = {
	.ct_group_ops	= &ispt_igs_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* auth_groups/<tag>/{chap_algs, secrets/<user>/...} */

struct ispt_cfs_auth_group {
	struct config_group		group;
	struct config_group		secrets_group;
	struct ispt_auth_group		*ag;
};

struct ispt_cfs_secret {
	struct config_item		item;
	struct ispt_auth_secret		*secret;
};

static struct ispt_cfs_auth_group *to_auth_group(struct config_item *item)
{
	return container_of(to_config_group(item), struct ispt_cfs_auth_group,
			    group);
}

static struct ispt_cfs_secret *to_secret(struct config_item *item)
{
	return container_of(item, struct ispt_cfs_secret, item);
}

static ssize_t ispt_auth_group_chap_algs_show(struct config_item *item,
					      char *page)
{
	return ispt_auth_group_show_algs(to_auth_group(item)->ag, page);
}

static ssize_t ispt_auth_group_chap_algs_store(struct config_item *item,
					       const char *page, size_t count)
{
	size_t len = value_len(page, count);
	const char *reason;
	char text[64];
	int ret;

	if (len >= sizeof(text)) {
		pr_err("auth_groups/%s: chap_algs: too long\n",
		       config_item_name(item));
		return -EINVAL;
	}
	memcpy(text, page, len);
	text[len] = '\0';
	ret = ispt_auth_group_set_algs(to_auth_group(item)->ag, text, &reason);
	if (ret == -EINVAL)
		pr_err("auth_groups/%s: chap_algs: \"%s\": %s\n",
		       config_item_name(item), text, reason);
	return ret ? ret : count;
}

CONFIGFS_ATTR(ispt_auth_group_, chap_algs);

static struct configfs_attribute *ispt_auth_group_attrs[] = {
	&ispt_auth_group_attr_chap_algs,
	NULL,
};

/* The <tag> of auth_groups/<tag>/secrets/<user>, for log lines. */
static const char *secret_group_name(struct config_item *item)
{
	return config_item_name(item->ci_parent->ci_parent);
}

/* Never logs the value: only which attribute and why. */
static ssize_t secret_store(struct config_item *item,
			    enum ispt_auth_field field, const char *attr,
			    const char *page, size_t count)
{
	const char *reason;
	int ret;

	ret = ispt_auth_secret_set(to_secret(item)->secret, field, page,
				   value_len(page, count), &reason);
	if (ret == -EINVAL)
		pr_err("auth_groups/%s/secrets/%s: %s: %s\n",
		       secret_group_name(item), config_item_name(item), attr,
		       reason);
	return ret ? ret : count;
}

static ssize_t ispt_secret_secret_store(struct config_item *item,
					const char *page, size_t count)
{
	return secret_store(item, ISPT_AUTH_SECRET, "secret", page, count);
}

static ssize_t ispt_secret_mutual_user_show(struct config_item *item,
					    char *page)
{
	return ispt_auth_secret_show_mutual_user(to_secret(item)->secret, page);
}

static ssize_t ispt_secret_mutual_user_store(struct config_item *item,
					     const char *page, size_t count)
{
	return secret_store(item, ISPT_AUTH_MUTUAL_USER, "mutual_user", page,
			    count);
}

static ssize_t ispt_secret_mutual_secret_store(struct config_item *item,
					       const char *page, size_t count)
{
	return secret_store(item, ISPT_AUTH_MUTUAL_SECRET, "mutual_secret",
			    page, count);
}

/* Secrets are write-only: configfs refuses to open them for reading. */
CONFIGFS_ATTR_WO(ispt_secret_, secret);
CONFIGFS_ATTR(ispt_secret_, mutual_user);
CONFIGFS_ATTR_WO(ispt_secret_, mutual_secret);

static struct configfs_attribute *ispt_secret_attrs[] = {
	&ispt_secret_attr_secret,
	&ispt_secret_attr_mutual_user,
	&ispt_secret_attr_mutual_secret,
	NULL,
};

static void ispt_secret_release(struct config_item *item)
{
	kfree(to_secret(item));
}

static struct configfs_item_operations ispt_secret_item_ops = {
	.release	= ispt_secret_release,
};

static const struct config_item_type ispt_secret_type = {
	.ct_item_ops	= &ispt_secret_item_ops,
	.ct_attrs	= ispt_secret_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_item *ispt_secrets_make_item(struct config_group *group,
						  const char *name)
{
	struct ispt_cfs_auth_group *cag = container_of(group,
						       struct ispt_cfs_auth_group,
						       secrets_group);
	struct ispt_auth_secret *secret;
	struct ispt_cfs_secret *csecret;
	const char *reason;

	csecret = kzalloc(sizeof(*csecret), GFP_KERNEL);
	if (!csecret)
		return ERR_PTR(-ENOMEM);
	secret = ispt_auth_secret_add(cag->ag, name, &reason);
	if (IS_ERR(secret)) {
		if (PTR_ERR(secret) == -EINVAL)
			pr_err("auth_groups/%s/secrets/%s: %s\n",
			       config_item_name(&cag->group.cg_item), name,
			       reason);
		kfree(csecret);
		return ERR_CAST(secret);
	}
	csecret->secret = secret;
	config_item_init_type_name(&csecret->item, name, &ispt_secret_type);
	return &csecret->item;
}

/* Logins already past their lookup keep their copy; new ones fail. */
static void ispt_secrets_drop_item(struct config_group *group,
				   struct config_item *item)
{
	ispt_auth_secret_remove(to_secret(item)->secret);
	config_item_put(item);
}

static struct configfs_group_operations ispt_secrets_group_ops = {
	.make_item	= ispt_secrets_make_item,
	.drop_item	= ispt_secrets_drop_item,
};

static const struct config_item_type ispt_secrets_type = {
	.ct_group_ops	= &ispt_secrets_group_ops,
	.ct_owner	= THIS_MODULE,
};

static void ispt_auth_group_release(struct config_item *item)
{
	kfree(to_auth_group(item));
}

static struct configfs_item_operations ispt_auth_group_item_ops = {
	.release	= ispt_auth_group_release,
};

static const struct config_item_type ispt_auth_group_type = {
	.ct_item_ops	= &ispt_auth_group_item_ops,
	.ct_attrs	= ispt_auth_group_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *ispt_auth_groups_make_group(struct config_group *group,
							const char *name)
{
	struct ispt_cfs_auth_group *cag;
	struct ispt_auth_group *ag;
	u16 tag;

	if (parse_tag(name, &tag)) {
		pr_err("auth_groups/%s: the tag must be a decimal number from 1 to 65535\n",
		       name);
		return ERR_PTR(-EINVAL);
	}
	cag = kzalloc(sizeof(*cag), GFP_KERNEL);
	if (!cag)
		return ERR_PTR(-ENOMEM);
	ag = ispt_auth_group_create(tag);
	if (IS_ERR(ag)) {
		kfree(cag);
		return ERR_CAST(ag);
	}
	cag->ag = ag;
	config_group_init_type_name(&cag->group, name, &ispt_auth_group_type);
	config_group_init_type_name(&cag->secrets_group, "secrets",
				    &ispt_secrets_type);
	configfs_add_default_group(&cag->secrets_group, &cag->group);
	return &cag->group;
}

/* Policies that linked the group hold their own references to it. */
static void ispt_auth_groups_drop_item(struct config_group *group,
				       struct config_item *item)
{
	ispt_auth_group_put(to_auth_group(item)->ag);
	config_item_put(item);
}

static struct configfs_group_operations ispt_auth_groups_group_ops = {
	.make_group	= ispt_auth_groups_make_group,
	.drop_item	= ispt_auth_groups_drop_item,
};

static const struct config_item_type ispt_auth_groups_type = {
	.ct_group_ops	= &ispt_auth_groups_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* targets/<iqn>/auth and discovery_auth */

static struct ispt_cfs_auth *to_auth(struct config_item *item)
{
	return container_of(to_config_group(item), struct ispt_cfs_auth,
			    group);
}

/* "targets/<iqn>/auth" or "discovery_auth", for log lines. */
static void auth_log_name(struct config_item *item, char *buf, size_t size)
{
	struct config_item *parent = item->ci_parent;

	if (parent && parent->ci_type != &ispt_root_type)
		snprintf(buf, size, "targets/%s/auth", config_item_name(parent));
	else
		snprintf(buf, size, "%s", config_item_name(item));
}

static ssize_t auth_flag_store(struct config_item *item,
			       enum ispt_auth_flag flag, const char *attr,
			       const char *page, size_t count)
{
	char name[ISCSI_NAME_LEN + 16];
	bool on;

	if (kstrtobool(page, &on)) {
		auth_log_name(item, name, sizeof(name));
		pr_err("%s: %s takes 0 or 1\n", name, attr);
		return -EINVAL;
	}
	ispt_auth_policy_set_flag(to_auth(item)->policy, flag, on);
	return count;
}

static ssize_t ispt_auth_require_chap_show(struct config_item *item,
					   char *page)
{
	return sysfs_emit(page, "%d\n",
			  ispt_auth_policy_flag(to_auth(item)->policy,
						ISPT_AUTH_REQUIRE_CHAP));
}

static ssize_t ispt_auth_require_chap_store(struct config_item *item,
					    const char *page, size_t count)
{
	return auth_flag_store(item, ISPT_AUTH_REQUIRE_CHAP, "require_chap",
			       page, count);
}

static ssize_t ispt_auth_mutual_chap_show(struct config_item *item,
					  char *page)
{
	return sysfs_emit(page, "%d\n",
			  ispt_auth_policy_flag(to_auth(item)->policy,
						ISPT_AUTH_MUTUAL_CHAP));
}

static ssize_t ispt_auth_mutual_chap_store(struct config_item *item,
					   const char *page, size_t count)
{
	return auth_flag_store(item, ISPT_AUTH_MUTUAL_CHAP, "mutual_chap",
			       page, count);
}

CONFIGFS_ATTR(ispt_auth_, require_chap);
CONFIGFS_ATTR(ispt_auth_, mutual_chap);

static struct configfs_attribute *ispt_auth_attrs[] = {
	&ispt_auth_attr_require_chap,
	&ispt_auth_attr_mutual_chap,
	NULL,
};

static int ispt_auth_allow_link(struct config_item *item,
				struct config_item *target)
{
	char name[ISCSI_NAME_LEN + 16];
	int ret;

	auth_log_name(item, name, sizeof(name));
	if (target->ci_type != &ispt_auth_group_type) {
		pr_err("%s: %s is not an auth group; link auth_groups/<tag> here\n",
		       name, config_item_name(target));
		return -EINVAL;
	}
	ret = ispt_auth_policy_link(to_auth(item)->policy,
				    to_auth_group(target)->ag);
	if (ret == -EEXIST)
		pr_err("%s: an auth group is linked already; remove that link first\n",
		       name);
	return ret;
}

static void ispt_auth_drop_link(struct config_item *item,
				struct config_item *target)
{
	ispt_auth_policy_unlink(to_auth(item)->policy,
				to_auth_group(target)->ag);
}

static struct configfs_item_operations ispt_auth_item_ops = {
	.allow_link	= ispt_auth_allow_link,
	.drop_link	= ispt_auth_drop_link,
};

static const struct config_item_type ispt_auth_type = {
	.ct_item_ops	= &ispt_auth_item_ops,
	.ct_attrs	= ispt_auth_attrs,
	.ct_owner	= THIS_MODULE,
};

/* targets/<iqn>/maps/<pg tag>/<link> */

/* The <iqn> of targets/<iqn>/maps/<tag>, for log lines. */
static const char *map_target_name(struct config_item *map_item)
{
	return config_item_name(map_item->ci_parent->ci_parent);
}

static int ispt_map_allow_link(struct config_item *item,
			       struct config_item *target)
{
	struct ispt_cfs_map *cmap = to_map(item);
	int ret;

	if (target->ci_type != &ispt_ig_type) {
		pr_err("targets/%s/maps/%s: %s/%s is not an initiator group; link initiator_groups/<tag> here\n",
		       map_target_name(item), config_item_name(item),
		       target->ci_parent ? config_item_name(target->ci_parent) : "",
		       config_item_name(target));
		return -EINVAL;
	}
	ret = ispt_map_link(cmap->map, to_ig(target)->ig);
	if (ret == -EEXIST)
		pr_err("targets/%s/maps/%s: initiator group %s is linked already\n",
		       map_target_name(item), config_item_name(item),
		       config_item_name(target));
	return ret;
}

static void ispt_map_drop_link(struct config_item *item,
			       struct config_item *target)
{
	ispt_map_unlink(to_map(item)->map, to_ig(target)->ig);
	/* Sessions the map admitted and nothing else does end now. */
	ispt_conns_recheck_access();
}

static void ispt_map_release(struct config_item *item)
{
	kfree(to_map(item));
}

static struct configfs_item_operations ispt_map_item_ops = {
	.allow_link	= ispt_map_allow_link,
	.drop_link	= ispt_map_drop_link,
	.release	= ispt_map_release,
};

static const struct config_item_type ispt_map_type = {
	.ct_item_ops	= &ispt_map_item_ops,
	.ct_owner	= THIS_MODULE,
};

/*
 * configfs holds su_mutex around make_group, which is what
 * config_group_find_item() and configfs_depend_item_unlocked() need.
 * The dependency makes rmdir of the portal group fail with -EBUSY until
 * the map goes; if that rmdir is already under way, it fails here.
 */
static struct config_group *ispt_maps_make_group(struct config_group *group,
						 const char *name)
{
	struct ispt_cfs_target *ctarget = container_of(group,
						       struct ispt_cfs_target,
						       maps_group);
	const char *iqn = config_item_name(&ctarget->group.cg_item);
	struct config_item *pg_item;
	struct ispt_cfs_map *cmap;
	struct ispt_map *map;
	u16 tag;
	int ret;

	if (parse_tag(name, &tag)) {
		pr_err("targets/%s/maps/%s: name a portal group by its tag, a decimal number from 1 to 65535\n",
		       iqn, name);
		return ERR_PTR(-EINVAL);
	}
	pg_item = config_group_find_item(&ispt_pgs_group, name);
	if (!pg_item) {
		pr_err("targets/%s/maps/%s: there is no portal_groups/%s\n",
		       iqn, name, name);
		return ERR_PTR(-ENOENT);
	}
	ret = configfs_depend_item_unlocked(&ispt_subsys, pg_item);
	if (ret) {
		pr_err("targets/%s/maps/%s: portal_groups/%s is being created or removed\n",
		       iqn, name, name);
		goto err_put;
	}
	cmap = kzalloc(sizeof(*cmap), GFP_KERNEL);
	if (!cmap) {
		ret = -ENOMEM;
		goto err_undepend;
	}
	map = ispt_map_create(ctarget->target, tag);
	if (IS_ERR(map)) {
		ret = PTR_ERR(map);
		kfree(cmap);
		goto err_undepend;
	}
	cmap->map = map;
	cmap->pg_item = pg_item;
	config_group_init_type_name(&cmap->group, name, &ispt_map_type);
	return &cmap->group;

err_undepend:
	configfs_undepend_item_unlocked(pg_item);
err_put:
	config_item_put(pg_item);
	return ERR_PTR(ret);
}

static void ispt_maps_drop_item(struct config_group *group,
				struct config_item *item)
{
	struct ispt_cfs_map *cmap = to_map(item);

	ispt_map_destroy(cmap->map);
	configfs_undepend_item_unlocked(cmap->pg_item);
	config_item_put(cmap->pg_item);
	config_item_put(item);
}

static struct configfs_group_operations ispt_maps_group_ops = {
	.make_group	= ispt_maps_make_group,
	.drop_item	= ispt_maps_drop_item,
};

static const struct config_item_type ispt_maps_type = {
	.ct_group_ops	= &ispt_maps_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* targets/<iqn>/alias */

static ssize_t ispt_target_alias_show(struct config_item *item, char *page)
{
	char alias[ISPT_ALIAS_MAX + 1];

	if (!ispt_target_alias(to_target(item)->target, alias, sizeof(alias)))
		return 0;
	return sysfs_emit(page, "%s\n", alias);
}

static ssize_t ispt_target_alias_store(struct config_item *item,
				       const char *page, size_t count)
{
	size_t len = value_len(page, count);
	int ret;

	ret = ispt_target_set_alias(to_target(item)->target, page, len);
	if (ret == -EINVAL)
		pr_err("targets/%s: alias: must be at most %u printable ASCII characters\n",
		       config_item_name(item), ISPT_ALIAS_MAX);
	return ret ? ret : count;
}

CONFIGFS_ATTR(ispt_target_, alias);

static struct configfs_attribute *ispt_target_attrs[] = {
	&ispt_target_attr_alias,
	NULL,
};

/* targets/<iqn> */

static void ispt_target_release(struct config_item *item)
{
	kfree(to_target(item));
}

static struct configfs_item_operations ispt_target_item_ops = {
	.release	= ispt_target_release,
};

static const struct config_item_type ispt_target_type = {
	.ct_item_ops	= &ispt_target_item_ops,
	.ct_attrs	= ispt_target_attrs,
	.ct_owner	= THIS_MODULE,
};

/* targets/<iqn>/luns/<id> */

static struct ispt_cfs_lun *to_lun(struct config_item *item)
{
	return container_of(to_config_group(item), struct ispt_cfs_lun, group);
}

static ssize_t ispt_lun_device_path_show(struct config_item *item, char *page)
{
	struct ispt_cfs_lun *clun = to_lun(item);
	ssize_t ret;

	mutex_lock(&clun->lock);
	ret = sysfs_emit(page, "%s\n", clun->path);
	mutex_unlock(&clun->lock);
	return ret;
}

static ssize_t ispt_lun_device_path_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct ispt_cfs_lun *clun = to_lun(item);
	size_t len = strcspn(page, "\n");
	ssize_t ret = count;

	if (!len || page[0] != '/' || len >= sizeof(clun->path)) {
		pr_err("LUN %llu: device_path must be an absolute path shorter than %zu bytes\n",
		       clun->id, sizeof(clun->path));
		return -EINVAL;
	}
	mutex_lock(&clun->lock);
	if (clun->lun) {
		pr_err("LUN %llu: disable it before changing device_path\n",
		       clun->id);
		ret = -EBUSY;
	} else {
		memcpy(clun->path, page, len);
		clun->path[len] = '\0';
	}
	mutex_unlock(&clun->lock);
	return ret;
}

static ssize_t ispt_lun_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", !!READ_ONCE(to_lun(item)->lun));
}

static int lun_enable_locked(struct ispt_cfs_lun *clun)
{
	struct ispt_target *target = clun->ctarget->target;
	struct ispt_lun *lun;
	int ret;

	if (!clun->path[0]) {
		pr_err("LUN %llu: set device_path first\n", clun->id);
		return -EINVAL;
	}
	lun = ispt_lun_open(clun->path, clun->id, ispt_target_name(target));
	if (IS_ERR(lun)) {
		pr_err("LUN %llu: cannot open %s: %ld\n", clun->id, clun->path,
		       PTR_ERR(lun));
		return PTR_ERR(lun);
	}
	/* Checked when it was written: only memory can fail here. */
	if (clun->pr_saved) {
		ret = ispt_pr_state_store(&lun->pr, clun->pr_saved,
					  strlen(clun->pr_saved));
		if (ret) {
			ispt_lun_close(lun);
			return ret;
		}
	}
	ret = ispt_target_lun_add(target, lun);
	if (ret) {
		ispt_lun_close(lun);
		return ret;
	}
	WRITE_ONCE(clun->lun, lun);
	pr_info("%s: LUN %llu is %s (%llu blocks of %u bytes)\n",
		ispt_target_name(target), clun->id, clun->path,
		lun->desc.nr_blocks, lun->desc.block_size);
	return 0;
}

/*
 * Disabling is our power loss: what APTPL keeps (pr_state) is kept for
 * the next enable. Commands still draining could change it after this
 * copy; none is started any more, and an initiator cannot expect one
 * that has not completed to have taken effect.
 */
static void lun_save_pr(struct ispt_cfs_lun *clun, struct ispt_lun *lun)
{
	char *text = kmalloc(PAGE_SIZE, GFP_KERNEL);
	ssize_t len;

	kfree(clun->pr_saved);
	clun->pr_saved = NULL;
	if (!text)
		return;
	len = ispt_pr_state_show(&lun->pr, text, PAGE_SIZE);
	if (len < 0) {
		pr_warn("LUN %llu: the persistent reservations do not fit pr_state, lost\n",
			clun->id);
		kfree(text);
		return;
	}
	clun->pr_saved = text;
}

/* Waits for the commands using the LU, then closes the device. */
static void lun_disable_locked(struct ispt_cfs_lun *clun)
{
	struct ispt_lun *lun = clun->lun;

	if (!lun)
		return;
	ispt_target_lun_remove(clun->ctarget->target, clun->id);
	WRITE_ONCE(clun->lun, NULL);
	lun_save_pr(clun, lun);
	ispt_lun_close(lun);
}

static ssize_t ispt_lun_enable_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct ispt_cfs_lun *clun = to_lun(item);
	bool enable;
	int ret = 0;

	if (kstrtobool(page, &enable)) {
		pr_err("LUN %llu: enable takes 0 or 1\n", clun->id);
		return -EINVAL;
	}
	mutex_lock(&clun->lock);
	if (enable && !clun->lun)
		ret = lun_enable_locked(clun);
	else if (!enable)
		lun_disable_locked(clun);
	mutex_unlock(&clun->lock);
	return ret ? ret : count;
}

/*
 * pr_state: the persistent reservations that survive a power loss
 * (APTPL=1), as text (pr.c); "aptpl 0" when there are none to keep.
 * Shown live while enabled, else what the last disable (or write) left.
 * Written, it replaces them: at once if enabled, else at the next enable.
 */
static ssize_t ispt_lun_pr_state_show(struct config_item *item, char *page)
{
	struct ispt_cfs_lun *clun = to_lun(item);
	ssize_t ret;

	mutex_lock(&clun->lock);
	if (clun->lun)
		ret = ispt_pr_state_show(&clun->lun->pr, page, PAGE_SIZE);
	else
		ret = sysfs_emit(page, "%s",
				 clun->pr_saved ? clun->pr_saved : "");
	mutex_unlock(&clun->lock);
	return ret;
}

static ssize_t ispt_lun_pr_state_store(struct config_item *item,
				       const char *page, size_t count)
{
	struct ispt_cfs_lun *clun = to_lun(item);
	struct ispt_pr check;
	char *text;
	int ret;

	mutex_lock(&clun->lock);
	if (clun->lun) {
		ret = ispt_pr_state_store(&clun->lun->pr, page, count);
		goto out;
	}
	/* Checked now, so that a bad text fails its write, not the enable. */
	ispt_pr_init(&check);
	ret = ispt_pr_state_store(&check, page, count);
	ispt_pr_destroy(&check);
	if (ret)
		goto out;
	text = kmemdup_nul(page, count, GFP_KERNEL);
	if (!text) {
		ret = -ENOMEM;
		goto out;
	}
	kfree(clun->pr_saved);
	clun->pr_saved = text;
out:
	mutex_unlock(&clun->lock);
	if (ret == -EINVAL)
		pr_err("LUN %llu: pr_state takes what it shows (aptpl, generation, reservation, reg lines)\n",
		       clun->id);
	return ret ? ret : count;
}

CONFIGFS_ATTR(ispt_lun_, device_path);
CONFIGFS_ATTR(ispt_lun_, enable);
CONFIGFS_ATTR(ispt_lun_, pr_state);

static struct configfs_attribute *ispt_lun_attrs[] = {
	&ispt_lun_attr_device_path,
	&ispt_lun_attr_enable,
	&ispt_lun_attr_pr_state,
	NULL,
};

static void ispt_lun_release(struct config_item *item)
{
	struct ispt_cfs_lun *clun = to_lun(item);

	kfree(clun->pr_saved);
	kfree(clun);
}

static struct configfs_item_operations ispt_lun_item_ops = {
	.release	= ispt_lun_release,
};

static const struct config_item_type ispt_lun_type = {
	.ct_item_ops	= &ispt_lun_item_ops,
	.ct_attrs	= ispt_lun_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *ispt_luns_make_group(struct config_group *group,
						 const char *name)
{
	struct ispt_cfs_lun *clun;
	u64 id;

	if (kstrtou64(name, 10, &id) || id > ISPT_SCSI_MAX_LUN) {
		pr_err("luns/%s: a LUN is a decimal number 0..%u\n", name,
		       ISPT_SCSI_MAX_LUN);
		return ERR_PTR(-EINVAL);
	}
	clun = kzalloc(sizeof(*clun), GFP_KERNEL);
	if (!clun)
		return ERR_PTR(-ENOMEM);
	clun->ctarget = container_of(group, struct ispt_cfs_target, luns_group);
	clun->id = id;
	mutex_init(&clun->lock);
	config_group_init_type_name(&clun->group, name, &ispt_lun_type);
	return &clun->group;
}

/* rmdir of an enabled LU disables it: its commands finish first. */
static void ispt_luns_drop_item(struct config_group *group,
				struct config_item *item)
{
	struct ispt_cfs_lun *clun = to_lun(item);

	mutex_lock(&clun->lock);
	lun_disable_locked(clun);
	mutex_unlock(&clun->lock);
	config_item_put(item);
}

static struct configfs_group_operations ispt_luns_group_ops = {
	.make_group	= ispt_luns_make_group,
	.drop_item	= ispt_luns_drop_item,
};

static const struct config_item_type ispt_luns_type = {
	.ct_group_ops	= &ispt_luns_group_ops,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *ispt_targets_make_group(struct config_group *group,
						    const char *name)
{
	struct ispt_cfs_target *ctarget;
	struct ispt_target *target;
	const char *why;

	if (!ispt_iscsi_name_valid(name, strlen(name), &why)) {
		pr_err("targets/%s: not a valid iSCSI name: %s\n", name, why);
		return ERR_PTR(-EINVAL);
	}
	ctarget = kzalloc(sizeof(*ctarget), GFP_KERNEL);
	if (!ctarget)
		return ERR_PTR(-ENOMEM);
	target = ispt_target_create(name);
	if (IS_ERR(target)) {
		kfree(ctarget);
		return ERR_CAST(target);
	}
	ctarget->target = target;
	config_group_init_type_name(&ctarget->group, name, &ispt_target_type);
	config_group_init_type_name(&ctarget->maps_group, "maps",
				    &ispt_maps_type);
	configfs_add_default_group(&ctarget->maps_group, &ctarget->group);
	config_group_init_type_name(&ctarget->luns_group, "luns",
				    &ispt_luns_type);
	configfs_add_default_group(&ctarget->luns_group, &ctarget->group);
	ctarget->auth.policy = ispt_target_auth(target);
	config_group_init_type_name(&ctarget->auth.group, "auth",
				    &ispt_auth_type);
	configfs_add_default_group(&ctarget->auth.group, &ctarget->group);
	return &ctarget->group;
}

/* Logins holding the target keep it until they put it. */
static void ispt_targets_drop_item(struct config_group *group,
				   struct config_item *item)
{
	ispt_target_destroy(to_target(item)->target);
	config_item_put(item);
}

static struct configfs_group_operations ispt_targets_group_ops = {
	.make_group	= ispt_targets_make_group,
	.drop_item	= ispt_targets_drop_item,
};

static const struct config_item_type ispt_targets_type = {
	.ct_group_ops	= &ispt_targets_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* The root: version, workers, and the three directories above. */

static ssize_t ispt_root_version_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", ISCSI_SPT_VERSION);
}

/* One line per present CPU: is its worker serving, how many items it owns. */
static ssize_t ispt_root_workers_show(struct config_item *item, char *page)
{
	ssize_t len = 0;
	int cpu;

	cpus_read_lock();
	for_each_present_cpu(cpu)
		len += sysfs_emit_at(page, len, "cpu %d online %d owned %u\n",
				     cpu, ispt_worker_online(cpu),
				     ispt_worker_nr_owned(cpu));
	cpus_read_unlock();
	return len;
}

/* Keepalive seconds, 0..ISPT_NOPIN_MAX; effective on each connection's next turn. */
static ssize_t nopin_store(unsigned int *value, const char *name,
			   const char *page, size_t count, unsigned int min)
{
	unsigned int v;

	if (kstrtouint(page, 0, &v) || v < min || v > ISPT_NOPIN_MAX) {
		pr_err("%s: seconds from %u to %u\n", name, min, ISPT_NOPIN_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(*value, v);
	return count;
}

static ssize_t ispt_root_nopin_interval_show(struct config_item *item,
					     char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(ispt_nopin_interval));
}

/* 0 turns the keepalive off. */
static ssize_t ispt_root_nopin_interval_store(struct config_item *item,
					      const char *page, size_t count)
{
	return nopin_store(&ispt_nopin_interval, "nopin_interval", page,
			   count, 0);
}

static ssize_t ispt_root_nopin_timeout_show(struct config_item *item,
					    char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(ispt_nopin_timeout));
}

static ssize_t ispt_root_nopin_timeout_store(struct config_item *item,
					     const char *page, size_t count)
{
	return nopin_store(&ispt_nopin_timeout, "nopin_timeout", page, count,
			   1);
}

unsigned int ispt_max_sessions = ISCSI_SPT_DEFAULT_MAX_SESSIONS;
unsigned int ispt_max_conns_per_session = ISCSI_SPT_DEFAULT_MAX_CONNS;

/*
 * The node base name: what the CLI prefixes to a short target name
 * ("disk1" becomes "<node_base>:disk1"), as SPDK's node_base does.
 */
static DEFINE_MUTEX(ispt_node_base_lock);	/* protects the name */
static char ispt_node_base_name[ISPT_NAME_MAX + 1] = ISCSI_SPT_DEFAULT_NODE_BASE;

/* Copy the node base name into @buf; returns its length. */
size_t ispt_node_base(char *buf, size_t size)
{
	size_t len;

	mutex_lock(&ispt_node_base_lock);
	len = strscpy(buf, ispt_node_base_name, size);
	mutex_unlock(&ispt_node_base_lock);
	return len;
}

static ssize_t ispt_root_node_base_show(struct config_item *item, char *page)
{
	char name[ISPT_NAME_MAX + 1];

	ispt_node_base(name, sizeof(name));
	return sysfs_emit(page, "%s\n", name);
}

/* Room is left for ":" and at least one character of a target's name. */
static ssize_t ispt_root_node_base_store(struct config_item *item,
					 const char *page, size_t count)
{
	size_t len = value_len(page, count);
	const char *why = "longer than 221 bytes (the base, ':' and a name fit in 223)";

	if (len > ISPT_NAME_MAX - 2 ||
	    !ispt_iscsi_name_valid(page, len, &why)) {
		pr_err("node_base: \"%.*s\": %s\n", (int)min_t(size_t, len, 64),
		       page, why);
		return -EINVAL;
	}
	mutex_lock(&ispt_node_base_lock);
	memcpy(ispt_node_base_name, page, len);
	ispt_node_base_name[len] = '\0';
	mutex_unlock(&ispt_node_base_lock);
	return count;
}

static ssize_t limit_store(unsigned int *value, const char *name,
			   const char *page, size_t count, unsigned int max)
{
	unsigned int v;

	if (kstrtouint(page, 10, &v) || !v || v > max) {
		pr_err("%s: a number from 1 to %u\n", name, max);
		return -EINVAL;
	}
	WRITE_ONCE(*value, v);
	return count;
}

static ssize_t ispt_root_max_sessions_show(struct config_item *item,
					   char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(ispt_max_sessions));
}

/* Applies to logins from now on; sessions already running stay. */
static ssize_t ispt_root_max_sessions_store(struct config_item *item,
					    const char *page, size_t count)
{
	return limit_store(&ispt_max_sessions, "max_sessions", page, count,
			   ISCSI_SPT_MAX_SESSIONS);
}

static ssize_t
ispt_root_max_connections_per_session_show(struct config_item *item,
					   char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(ispt_max_conns_per_session));
}

static ssize_t
ispt_root_max_connections_per_session_store(struct config_item *item,
					    const char *page, size_t count)
{
	return limit_store(&ispt_max_conns_per_session,
			   "max_connections_per_session", page, count,
			   ISCSI_SPT_MAX_CONNS);
}

/*
 * The login keys the target offers (logindefs.c): one attribute per key,
 * named as RFC 7143 names it, read by logins that start afterwards.
 */
static ssize_t defkey_show(enum ispt_defkey key, char *page)
{
	struct ispt_login_defaults d;
	char buf[32];

	ispt_login_defaults_get(&d);
	ispt_defkey_format(&d, key, buf, sizeof(buf));
	return sysfs_emit(page, "%s\n", buf);
}

static ssize_t defkey_store(enum ispt_defkey key, const char *page,
			    size_t count)
{
	size_t len = value_len(page, count);
	const char *why;
	int ret;

	ret = ispt_defkey_store(key, page, len, &why);
	if (ret == -EINVAL)
		pr_warn("%s: \"%.*s\": %s\n", ispt_defkey_name(key),
			(int)min_t(size_t, len, 64), page, why);
	return ret ? ret : count;
}

/* configfs passes no attribute to show/store: one pair per key. */
#define DEFKEY_ATTR(_id, _name)						\
static ssize_t defkey_##_id##_show(struct config_item *item, char *page)	\
{									\
	return defkey_show(ISPT_DEFKEY_##_id, page);			\
}									\
static ssize_t defkey_##_id##_store(struct config_item *item,		\
				    const char *page, size_t count)	\
{									\
	return defkey_store(ISPT_DEFKEY_##_id, page, count);		\
}									\
static struct configfs_attribute defkey_attr_##_id = {			\
	.ca_owner	= THIS_MODULE,					\
	.ca_name	= _name,					\
	.ca_mode	= 0644,						\
	.show		= defkey_##_id##_show,				\
	.store		= defkey_##_id##_store,				\
}

DEFKEY_ATTR(HEADER_DIGEST, "HeaderDigest");
DEFKEY_ATTR(DATA_DIGEST, "DataDigest");
DEFKEY_ATTR(MAX_RECV_DSL, "MaxRecvDataSegmentLength");
DEFKEY_ATTR(MAX_BURST, "MaxBurstLength");
DEFKEY_ATTR(FIRST_BURST, "FirstBurstLength");
DEFKEY_ATTR(MAX_R2T, "MaxOutstandingR2T");
DEFKEY_ATTR(TIME2WAIT, "DefaultTime2Wait");
DEFKEY_ATTR(TIME2RETAIN, "DefaultTime2Retain");
DEFKEY_ATTR(INITIAL_R2T, "InitialR2T");
DEFKEY_ATTR(IMMEDIATE_DATA, "ImmediateData");

CONFIGFS_ATTR_RO(ispt_root_, version);
CONFIGFS_ATTR_RO(ispt_root_, workers);
CONFIGFS_ATTR(ispt_root_, nopin_interval);
CONFIGFS_ATTR(ispt_root_, nopin_timeout);
CONFIGFS_ATTR(ispt_root_, node_base);
CONFIGFS_ATTR(ispt_root_, max_sessions);
CONFIGFS_ATTR(ispt_root_, max_connections_per_session);

static struct configfs_attribute *ispt_root_attrs[] = {
	&ispt_root_attr_version,
	&ispt_root_attr_workers,
	&ispt_root_attr_nopin_interval,
	&ispt_root_attr_nopin_timeout,
	&ispt_root_attr_node_base,
	&ispt_root_attr_max_sessions,
	&ispt_root_attr_max_connections_per_session,
	&defkey_attr_HEADER_DIGEST,
	&defkey_attr_DATA_DIGEST,
	&defkey_attr_MAX_RECV_DSL,
	&defkey_attr_MAX_BURST,
	&defkey_attr_FIRST_BURST,
	&defkey_attr_MAX_R2T,
	&defkey_attr_TIME2WAIT,
	&defkey_attr_TIME2RETAIN,
	&defkey_attr_INITIAL_R2T,
	&defkey_attr_IMMEDIATE_DATA,
	NULL,
};

/* Runtime state, sized past PAGE_SIZE (state.c). */
static struct configfs_bin_attribute *ispt_root_bin_attrs[] = {
	&ispt_state_attr_sessions,
	&ispt_state_attr_stats,
	NULL,
};

static const struct config_item_type ispt_root_type = {
	.ct_attrs	= ispt_root_attrs,
	.ct_bin_attrs	= ispt_root_bin_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct configfs_subsystem ispt_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= ISCSI_SPT_CONFIGFS_ROOT,
			.ci_type	= &ispt_root_type,
		},
	},
};

static struct config_group ispt_igs_group;
static struct config_group ispt_targets_group;
static struct config_group ispt_auth_groups_group;
static struct ispt_cfs_auth ispt_discovery_auth_group = {
	.policy = &ispt_discovery_auth,
};

int ispt_configfs_init(void)
{
	struct config_group *root = &ispt_subsys.su_group;
	int ret;

	config_group_init(root);
	mutex_init(&ispt_subsys.su_mutex);
	config_group_init_type_name(&ispt_pgs_group, "portal_groups",
				    &ispt_pgs_type);
	configfs_add_default_group(&ispt_pgs_group, root);
	config_group_init_type_name(&ispt_igs_group, "initiator_groups",
				    &ispt_igs_type);
	configfs_add_default_group(&ispt_igs_group, root);
	config_group_init_type_name(&ispt_targets_group, "targets",
				    &ispt_targets_type);
	configfs_add_default_group(&ispt_targets_group, root);
	config_group_init_type_name(&ispt_auth_groups_group, "auth_groups",
				    &ispt_auth_groups_type);
	configfs_add_default_group(&ispt_auth_groups_group, root);
	config_group_init_type_name(&ispt_discovery_auth_group.group,
				    "discovery_auth", &ispt_auth_type);
	configfs_add_default_group(&ispt_discovery_auth_group.group, root);

	ret = configfs_register_subsystem(&ispt_subsys);
	if (ret)
		pr_err("cannot register configfs subsystem: %d\n", ret);
	return ret;
}

void ispt_configfs_exit(void)
{
	configfs_unregister_subsystem(&ispt_subsys);
}
