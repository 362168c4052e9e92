/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_ACL_H
#define ISPT_ACL_H

/*
 * Initiator groups: who may reach a target through a portal group. A
 * group holds a list of iSCSI names and a list of netmasks; an initiator
 * is in the group when its name is on the first list and its address
 * is in one of the netmasks of the second. Either list may be "ANY".
 */
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/socket.h>
#include <linux/types.h>

/* RFC 7143 section 6.1: an iSCSI name is at most 223 bytes. */
#define ISPT_NAME_MAX		223
/* The most names or netmasks one initiator group holds. */
#define ISPT_ACL_MAX		256

struct ispt_ig;

struct ispt_netmask {
	sa_family_t		family;		/* AF_INET or AF_INET6 */
	u8			prefix;		/* 0..32 or 0..128 */
	union {
		__be32		v4;
		struct in6_addr	v6;
	} addr;
};

struct ispt_acl_names {
	struct rcu_head		rcu;
	bool			any;
	unsigned int		nr;
	const char		*name[];	/* point into the text after */
};

struct ispt_acl_netmasks {
	struct rcu_head		rcu;
	bool			any;
	unsigned int		nr;
	struct ispt_netmask	mask[];
};

/* Why a parse failed, and the token it failed on, for the log line. */
struct ispt_acl_err {
	const char		*why;
	const char		*tok;
	int			toklen;
};

/* acl.c APIs: */
bool ispt_iscsi_name_valid(const char *name, size_t len, const char **why);

int ispt_netmask_parse(const char *str, size_t len, struct ispt_netmask *mask,
		       const char **why);
bool ispt_netmask_match(const struct ispt_netmask *mask,
			const struct sockaddr_storage *peer);

struct ispt_acl_names *ispt_acl_names_parse(const char *text, size_t len,
					    struct ispt_acl_err *err);
bool ispt_acl_names_match(const struct ispt_acl_names *names,
			  const char *initiator);
struct ispt_acl_netmasks *ispt_acl_netmasks_parse(const char *text, size_t len,
						  struct ispt_acl_err *err);
bool ispt_acl_netmasks_match(const struct ispt_acl_netmasks *masks,
			     const struct sockaddr_storage *peer);

struct ispt_ig *ispt_ig_create(u16 tag);
void ispt_ig_get(struct ispt_ig *ig);
void ispt_ig_put(struct ispt_ig *ig);
u16 ispt_ig_tag(const struct ispt_ig *ig);
void ispt_ig_set_names(struct ispt_ig *ig, struct ispt_acl_names *names);
void ispt_ig_set_netmasks(struct ispt_ig *ig,
			  struct ispt_acl_netmasks *masks);
ssize_t ispt_ig_show_names(struct ispt_ig *ig, char *page);
ssize_t ispt_ig_show_netmasks(struct ispt_ig *ig, char *page);
bool ispt_ig_allows(struct ispt_ig *ig, const char *initiator,
		    const struct sockaddr_storage *peer);

#endif /* ISPT_ACL_H */
