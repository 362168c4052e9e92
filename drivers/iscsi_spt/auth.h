/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_AUTH_H
#define ISPT_AUTH_H

/*
 * Who an initiator must prove to be. Auth groups hold CHAP secrets, one
 * entry per CHAP user name (the CHAP_N an initiator sends), each with an
 * optional mutual name and secret we answer with. A target, and discovery,
 * carry a policy: which group, whether CHAP is required, whether it must
 * be mutual. The login's security stage (login.h, auth.c) reads a
 * snapshot of the policy taken when the login names its target.
 *
 * One spinlock guards every group, entry and policy: configfs writes are
 * rare, and a login only copies an entry out under it, so it never waits
 * long and never sleeps holding it.
 */
#include <linux/types.h>

#include "chap.h"

struct ispt_auth_group;
struct ispt_auth_secret;
struct ispt_chap;

/* What a target, or discovery, asks of initiators. */
struct ispt_auth_policy {
	struct ispt_auth_group	*group;		/* NULL: CHAP impossible */
	bool			require_chap;	/* no login without CHAP */
	bool			mutual_chap;	/* ...mutual CHAP; implies it */
};

enum ispt_auth_method {
	ISPT_AUTH_UNSET,	/* not negotiated: None (RFC 7143 13.1) */
	ISPT_AUTH_NONE,
	ISPT_AUTH_CHAP,
};

/* The security stage of one login. */
struct ispt_login_auth {
	struct ispt_auth_policy	policy;		/* snapshot, holds a group ref */
	bool			begun;		/* policy taken */
	enum ispt_auth_method	method;
	bool			authenticated;	/* CHAP succeeded */
	struct ispt_chap	*chap;		/* from AuthMethod=CHAP on */
};

enum ispt_auth_field {
	ISPT_AUTH_SECRET,
	ISPT_AUTH_MUTUAL_USER,
	ISPT_AUTH_MUTUAL_SECRET,
};

enum ispt_auth_flag {
	ISPT_AUTH_REQUIRE_CHAP,
	ISPT_AUTH_MUTUAL_CHAP,
};

/* Discovery sessions' policy (configfs: discovery_auth/). */
extern struct ispt_auth_policy ispt_discovery_auth;

/* auth.c APIs for configfs.c and KUnit (may sleep): */
struct ispt_auth_group *ispt_auth_group_create(u16 tag);
void ispt_auth_group_put(struct ispt_auth_group *group);
int ispt_auth_group_set_algs(struct ispt_auth_group *group, const char *text,
			     const char **reason);
ssize_t ispt_auth_group_show_algs(struct ispt_auth_group *group, char *page);

struct ispt_auth_secret *ispt_auth_secret_add(struct ispt_auth_group *group,
					      const char *user,
					      const char **reason);
void ispt_auth_secret_remove(struct ispt_auth_secret *secret);
int ispt_auth_secret_set(struct ispt_auth_secret *secret,
			 enum ispt_auth_field field, const char *value,
			 size_t len, const char **reason);
ssize_t ispt_auth_secret_show_mutual_user(struct ispt_auth_secret *secret,
					  char *page);

int ispt_auth_policy_link(struct ispt_auth_policy *policy,
			  struct ispt_auth_group *group);
void ispt_auth_policy_unlink(struct ispt_auth_policy *policy,
			     struct ispt_auth_group *group);
void ispt_auth_policy_set_flag(struct ispt_auth_policy *policy,
			       enum ispt_auth_flag flag, bool on);
bool ispt_auth_policy_flag(struct ispt_auth_policy *policy,
			   enum ispt_auth_flag flag);
void ispt_auth_policy_clear(struct ispt_auth_policy *policy);

/* ...and for the login path (never sleeps): */
void ispt_auth_group_algs(struct ispt_auth_group *group,
			  u8 algs[ISPT_CHAP_NR_ALGS]);
bool ispt_auth_group_find(struct ispt_auth_group *group, const char *user,
			  struct ispt_chap_config *cfg);
void ispt_auth_policy_get(struct ispt_auth_policy *policy,
			  struct ispt_auth_policy *snapshot);
void ispt_auth_policy_put(struct ispt_auth_policy *snapshot);

#endif /* ISPT_AUTH_H */
