/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_TARGET_H
#define ISPT_TARGET_H

/*
 * The configuration model the connection engine reads: portal groups,
 * initiator groups, target nodes and their portal-group-to-initiator-
 * group maps (the SPDK model), as configured through configfs.
 *
 * The login path reads it from per-CPU workers without sleeping: lookups
 * walk RCU lists, and a found target is pinned by a reference.
 */
#include <linux/cpumask.h>
#include <linux/socket.h>
#include <linux/types.h>

struct ispt_scsi_nexus;
struct ispt_ig;
struct ispt_map;
struct ispt_portal_group;
struct ispt_pg_portal;
struct ispt_target;

/* RFC 7143 section 13.6: TargetAlias is at most 255 bytes. */
#define ISPT_ALIAS_MAX		255

enum ispt_access {
	ISPT_ACCESS_ALLOWED,
	ISPT_ACCESS_NO_MAP,	/* target not mapped to this portal group */
	ISPT_ACCESS_DENIED,	/* name or address not in a mapped group */
};

/* target.c APIs for the login path (never sleep): */
struct ispt_target *ispt_target_find(const char *name);
void ispt_target_put(struct ispt_target *target);
const char *ispt_target_name(const struct ispt_target *target);
struct ispt_auth_policy *ispt_target_auth(struct ispt_target *target);
size_t ispt_target_alias(const struct ispt_target *target, char *buf,
			 size_t size);
enum ispt_access ispt_target_access(struct ispt_target *target, u16 pg_tag,
				    const char *initiator,
				    const struct sockaddr_storage *peer);
int ispt_send_targets(const char *which, u16 pg_tag, const char *initiator,
		      const struct sockaddr_storage *peer,
		      const struct sockaddr_storage *local,
		      char *buf, size_t len);

/* target.c APIs that edit the model, for configfs.c and KUnit (may sleep): */
struct ispt_portal_group *ispt_pg_create(u16 tag);
void ispt_pg_destroy(struct ispt_portal_group *pg);
void ispt_pg_cpus(struct ispt_portal_group *pg, struct cpumask *cpus);
void ispt_pg_set_cpus(struct ispt_portal_group *pg,
		      const struct cpumask *cpus);
struct ispt_pg_portal *ispt_pg_portal_add(struct ispt_portal_group *pg,
					  const struct sockaddr_storage *addr,
					  bool listen);
void ispt_pg_portal_remove(struct ispt_pg_portal *portal);
void ispt_pg_portal_set_advertise(struct ispt_pg_portal *portal,
				  const struct sockaddr_storage *addr);
bool ispt_pg_portal_advertised(struct ispt_pg_portal *portal,
			       struct sockaddr_storage *addr);

struct ispt_target *ispt_target_create(const char *name);
void ispt_target_destroy(struct ispt_target *target);
int ispt_target_set_alias(struct ispt_target *target, const char *alias,
			  size_t len);

struct ispt_map *ispt_map_create(struct ispt_target *target, u16 pg_tag);
void ispt_map_destroy(struct ispt_map *map);
int ispt_map_link(struct ispt_map *map, struct ispt_ig *ig);
void ispt_map_unlink(struct ispt_map *map, struct ispt_ig *ig);

bool ispt_target_address(struct sockaddr_storage *addr,
			 const struct sockaddr_storage *portal,
			 const struct sockaddr_storage *local);

struct ispt_lun;
int ispt_target_lun_add(struct ispt_target *target, struct ispt_lun *lun);
struct ispt_lun *ispt_target_lun_remove(struct ispt_target *target, u64 id);
struct ispt_lun *ispt_target_lun_get(struct ispt_target *target, u64 wire_lun);
int ispt_target_lun_ids(struct ispt_target *target, u64 *ids, int max);
struct ispt_lun *ispt_target_lun_by_naa(struct ispt_target *target, u64 naa);
struct ispt_session;
void ispt_target_pr_reset(struct ispt_target *target);
void ispt_target_pr_nexus_lost(struct ispt_target *target,
			       const struct ispt_scsi_nexus *n);
void ispt_target_post_ua(struct ispt_target *target, u16 asc_ascq,
			 const struct ispt_session *except);

#endif /* ISPT_TARGET_H */
