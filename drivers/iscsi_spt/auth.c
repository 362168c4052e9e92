// SPDX-License-Identifier: GPL-2.0
/*
 * Authentication: auth groups of CHAP secrets, the policies of targets and
 * of discovery, and the login's security stage (RFC 7143 6.3, 12.1.3),
 * which negotiates AuthMethod and drives chap.c's exchange.
 *
 * Secrets live in kmalloc'ed entries that are wiped when they go; a login
 * copies the one entry it needs, under the lock, into its own exchange,
 * which chap.c wipes when it ends.
 */
#include <crypto/algapi.h>
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "auth.h"
#include "chap.h"
#include "login.h"

struct ispt_auth_group {
	struct kref		kref;
	struct list_head	secrets;	/* ispt_auth_secret */
	u8			algs[ISPT_CHAP_NR_ALGS];
	u16			tag;
};

struct ispt_auth_secret {
	struct list_head	entry;		/* in group->secrets */
	struct ispt_chap_cred	ini;		/* user fixed at creation */
	struct ispt_chap_cred	mutual;
};

/* Guards every group's list and algs, every entry, every policy. */
static DEFINE_SPINLOCK(ispt_auth_lock);

struct ispt_auth_policy ispt_discovery_auth;

struct ispt_auth_group *ispt_auth_group_create(u16 tag)
{
	struct ispt_auth_group *group = kzalloc(sizeof(*group), GFP_KERNEL);
	struct ispt_chap_config *cfg;

	if (!group)
		return ERR_PTR(-ENOMEM);
	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg) {
		kfree(group);
		return ERR_PTR(-ENOMEM);
	}
	ispt_chap_config_init(cfg);
	memcpy(group->algs, cfg->algs, sizeof(group->algs));
	kfree(cfg);
	kref_init(&group->kref);
	INIT_LIST_HEAD(&group->secrets);
	group->tag = tag;
	return group;
}

static void auth_group_release(struct kref *kref)
{
	struct ispt_auth_group *group = container_of(kref,
						     struct ispt_auth_group,
						     kref);

	/* configfs removes the entries before the group. */
	WARN_ON(!list_empty(&group->secrets));
	kfree(group);
}

void ispt_auth_group_put(struct ispt_auth_group *group)
{
	if (group)
		kref_put(&group->kref, auth_group_release);
}

/* @text as for ispt_chap_algs_parse(): "8,7,6,5", most preferred first. */
int ispt_auth_group_set_algs(struct ispt_auth_group *group, const char *text,
			     const char **reason)
{
	struct ispt_chap_config *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	int ret;

	if (!cfg)
		return -ENOMEM;
	ret = ispt_chap_algs_parse(cfg, text, reason);
	if (!ret) {
		spin_lock(&ispt_auth_lock);
		memcpy(group->algs, cfg->algs, sizeof(group->algs));
		spin_unlock(&ispt_auth_lock);
	}
	kfree(cfg);
	return ret;
}

ssize_t ispt_auth_group_show_algs(struct ispt_auth_group *group, char *page)
{
	u8 algs[ISPT_CHAP_NR_ALGS];
	ssize_t len = 0;
	int i;

	ispt_auth_group_algs(group, algs);
	for (i = 0; i < ISPT_CHAP_NR_ALGS && algs[i]; i++)
		len += sysfs_emit_at(page, len, "%s%u", i ? "," : "", algs[i]);
	len += sysfs_emit_at(page, len, "\n");
	return len;
}

void ispt_auth_group_algs(struct ispt_auth_group *group,
			  u8 algs[ISPT_CHAP_NR_ALGS])
{
	spin_lock(&ispt_auth_lock);
	memcpy(algs, group->algs, ISPT_CHAP_NR_ALGS);
	spin_unlock(&ispt_auth_lock);
}

/* A new entry for CHAP user @user, without secrets yet. */
struct ispt_auth_secret *ispt_auth_secret_add(struct ispt_auth_group *group,
					      const char *user,
					      const char **reason)
{
	struct ispt_auth_secret *secret;
	size_t len = strlen(user);

	if (ispt_chap_user_validate(user, len, reason))
		return ERR_PTR(-EINVAL);
	secret = kzalloc(sizeof(*secret), GFP_KERNEL);
	if (!secret)
		return ERR_PTR(-ENOMEM);
	memcpy(secret->ini.user, user, len);
	spin_lock(&ispt_auth_lock);
	list_add_tail(&secret->entry, &group->secrets);
	spin_unlock(&ispt_auth_lock);
	return secret;
}

void ispt_auth_secret_remove(struct ispt_auth_secret *secret)
{
	spin_lock(&ispt_auth_lock);
	list_del(&secret->entry);
	spin_unlock(&ispt_auth_lock);
	kfree_sensitive(secret);
}

static bool cred_secret_equal(const struct ispt_chap_cred *cred,
			      const char *value, size_t len)
{
	return cred->secret_len == len &&
	       !crypto_memneq(cred->secret, value, len);
}

/*
 * Sets (or, with @len 0, clears) one field of an entry. The checks of
 * ispt_chap_config_validate() that concern one field run here, so that
 * a bad value is refused when it is written; a half-configured mutual
 * pair is only refused at login (chap.c), since it is written in two
 * steps.
 */
int ispt_auth_secret_set(struct ispt_auth_secret *secret,
			 enum ispt_auth_field field, const char *value,
			 size_t len, const char **reason)
{
	struct ispt_chap_cred *cred = field == ISPT_AUTH_SECRET ?
				      &secret->ini : &secret->mutual;
	const struct ispt_chap_cred *other = field == ISPT_AUTH_SECRET ?
					     &secret->mutual : &secret->ini;
	int ret = 0;

	if (len && field == ISPT_AUTH_MUTUAL_USER &&
	    ispt_chap_user_validate(value, len, reason))
		return -EINVAL;
	if (len && field != ISPT_AUTH_MUTUAL_USER &&
	    ispt_chap_secret_validate(value, len, reason))
		return -EINVAL;

	spin_lock(&ispt_auth_lock);
	if (field == ISPT_AUTH_MUTUAL_USER) {
		memset(cred->user, 0, sizeof(cred->user));
		memcpy(cred->user, value, len);
	} else if (len && cred_secret_equal(other, value, len)) {
		/* RFC 7143 9.2.1: one secret per direction. */
		*reason = "the mutual secret must differ from the secret";
		ret = -EINVAL;
	} else {
		memzero_explicit(cred->secret, sizeof(cred->secret));
		memcpy(cred->secret, value, len);
		cred->secret_len = len;
	}
	spin_unlock(&ispt_auth_lock);
	return ret;
}

ssize_t ispt_auth_secret_show_mutual_user(struct ispt_auth_secret *secret,
					  char *page)
{
	char user[ISPT_CHAP_NAME_MAX + 1];
	ssize_t len;

	spin_lock(&ispt_auth_lock);
	memcpy(user, secret->mutual.user, sizeof(user));
	spin_unlock(&ispt_auth_lock);
	len = user[0] ? sysfs_emit(page, "%s\n", user) : 0;
	return len;
}

/*
 * Copies the credentials of CHAP user @user into @cfg (initiator and
 * mutual; the algorithms are left alone). Returns false if the group has
 * no such user.
 */
bool ispt_auth_group_find(struct ispt_auth_group *group, const char *user,
			  struct ispt_chap_config *cfg)
{
	struct ispt_auth_secret *secret;
	bool found = false;

	spin_lock(&ispt_auth_lock);
	list_for_each_entry(secret, &group->secrets, entry) {
		if (!strcmp(secret->ini.user, user)) {
			cfg->initiator = secret->ini;
			cfg->mutual = secret->mutual;
			found = true;
			break;
		}
	}
	spin_unlock(&ispt_auth_lock);
	return found;
}

/* One group per policy: -EEXIST if another is linked already. */
int ispt_auth_policy_link(struct ispt_auth_policy *policy,
			  struct ispt_auth_group *group)
{
	int ret = 0;

	spin_lock(&ispt_auth_lock);
	if (policy->group) {
		ret = -EEXIST;
	} else {
		kref_get(&group->kref);
		policy->group = group;
	}
	spin_unlock(&ispt_auth_lock);
	return ret;
}

void ispt_auth_policy_unlink(struct ispt_auth_policy *policy,
			     struct ispt_auth_group *group)
{
	struct ispt_auth_group *old = NULL;

	spin_lock(&ispt_auth_lock);
	if (policy->group == group) {
		old = group;
		policy->group = NULL;
	}
	spin_unlock(&ispt_auth_lock);
	ispt_auth_group_put(old);
}

void ispt_auth_policy_set_flag(struct ispt_auth_policy *policy,
			       enum ispt_auth_flag flag, bool on)
{
	spin_lock(&ispt_auth_lock);
	if (flag == ISPT_AUTH_REQUIRE_CHAP)
		policy->require_chap = on;
	else
		policy->mutual_chap = on;
	spin_unlock(&ispt_auth_lock);
}

bool ispt_auth_policy_flag(struct ispt_auth_policy *policy,
			   enum ispt_auth_flag flag)
{
	bool on;

	spin_lock(&ispt_auth_lock);
	on = flag == ISPT_AUTH_REQUIRE_CHAP ? policy->require_chap :
					      policy->mutual_chap;
	spin_unlock(&ispt_auth_lock);
	return on;
}

/* Drops the group of a policy that goes away (a target's last put). */
void ispt_auth_policy_clear(struct ispt_auth_policy *policy)
{
	struct ispt_auth_group *old;

	spin_lock(&ispt_auth_lock);
	old = policy->group;
	memset(policy, 0, sizeof(*policy));
	spin_unlock(&ispt_auth_lock);
	ispt_auth_group_put(old);
}

/* A login's copy of @policy; the group stays until ispt_auth_policy_put(). */
void ispt_auth_policy_get(struct ispt_auth_policy *policy,
			  struct ispt_auth_policy *snapshot)
{
	spin_lock(&ispt_auth_lock);
	*snapshot = *policy;
	if (snapshot->group)
		kref_get(&snapshot->group->kref);
	spin_unlock(&ispt_auth_lock);
}

void ispt_auth_policy_put(struct ispt_auth_policy *snapshot)
{
	ispt_auth_group_put(snapshot->group);
	memset(snapshot, 0, sizeof(*snapshot));
}

/*
 * The security stage of a login.
 *
 * Which AuthMethod values we accept follows the policy:
 *   no group linked             None (CHAP has no secrets to check)
 *   group, CHAP not required    CHAP or None, the initiator's first choice
 *   group, require or mutual    CHAP only
 * and a policy that requires CHAP without a group admits no one. The
 * stage cannot be left (no T bit granted, no login that starts in the
 * operational stage) before what the policy requires has happened.
 */

static bool auth_required(const struct ispt_auth_policy *policy)
{
	return policy->require_chap || policy->mutual_chap;
}

static bool auth_satisfied(const struct ispt_login_auth *auth)
{
	if (auth->method == ISPT_AUTH_CHAP)
		return auth->authenticated;
	return !auth_required(&auth->policy);
}

/* Whose policy it is, for log lines. */
static const char *auth_owner(const struct ispt_login *login)
{
	return login->discovery ? "discovery" : login->target_name;
}

/* Takes the policy of the login's target, or of discovery. */
void ispt_login_auth_begin(struct ispt_login *login,
			   struct ispt_auth_policy *policy)
{
	ispt_auth_policy_get(policy, &login->auth.policy);
	login->auth.begun = true;
}

void ispt_login_auth_end(struct ispt_login *login)
{
	struct ispt_login_auth *auth = &login->auth;

	if (auth->chap) {
		ispt_chap_end(auth->chap);
		kfree(auth->chap);
	}
	if (auth->begun)
		ispt_auth_policy_put(&auth->policy);
	memset(auth, 0, sizeof(*auth));
}

static struct ispt_login_status auth_fail(struct ispt_login *login,
					  struct ispt_login_status st,
					  const char *why)
{
	login->fail_reason = why;
	return st;
}

/* Appends "key=value\0" pairs (@n bytes of them) to the response. */
static bool auth_rsp_add(char *buf, u32 cap, u32 *len, const char *pairs,
			 u32 n)
{
	if (*len + n > cap)
		return false;
	memcpy(buf + *len, pairs, n);
	*len += n;
	return true;
}

/* Starts chap.c's exchange with the group's algorithms, no credentials. */
static struct ispt_login_status auth_chap_start(struct ispt_login *login)
{
	struct ispt_login_auth *auth = &login->auth;
	struct ispt_chap_config *cfg;
	int ret;

	auth->chap = kzalloc(sizeof(*auth->chap), GFP_KERNEL);
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!auth->chap || !cfg) {
		kfree(cfg);
		return auth_fail(login, ISPT_LOGIN_FAIL(TARGET_ERR, NO_RESOURCES),
				 "no memory for CHAP");
	}
	ispt_auth_group_algs(auth->policy.group, cfg->algs);
	ret = ispt_chap_start(auth->chap, cfg, login->initiator);
	kfree(cfg);
	if (ret)
		return auth_fail(login,
				 (struct ispt_login_status){
					auth->chap->status_class,
					auth->chap->status_detail },
				 "CHAP cannot start");
	return ISPT_LOGIN_OK;
}

/* RFC 7143 6.2.1: the first value of the initiator's list we accept. */
static struct ispt_login_status auth_pick(struct ispt_login *login,
					  const char *offer, char *buf,
					  u32 cap, u32 *len)
{
	struct ispt_login_auth *auth = &login->auth;
	bool chap_ok = auth->policy.group;
	bool none_ok = !auth_required(&auth->policy);
	const char *item = offer;
	char pair[32];
	int n;

	while (*item) {
		size_t ilen = strcspn(item, ",");

		if (chap_ok && ilen == 4 && !memcmp(item, "CHAP", 4)) {
			auth->method = ISPT_AUTH_CHAP;
			break;
		}
		if (none_ok && ilen == 4 && !memcmp(item, "None", 4)) {
			auth->method = ISPT_AUTH_NONE;
			break;
		}
		item += ilen;
		if (*item == ',')
			item++;
	}
	if (auth->method == ISPT_AUTH_UNSET) {
		if (!chap_ok && !none_ok)
			pr_warn_ratelimited("%s requires CHAP but has no auth group: no one can log in\n",
					    auth_owner(login));
		auth_rsp_add(buf, cap, len, "AuthMethod=Reject",
			     sizeof("AuthMethod=Reject"));
		return auth_fail(login, ISPT_LOGIN_FAIL(INITIATOR_ERR, AUTH_FAILED),
				 "no acceptable AuthMethod");
	}
	n = snprintf(pair, sizeof(pair), "AuthMethod=%s",
		     auth->method == ISPT_AUTH_CHAP ? "CHAP" : "None");
	if (!auth_rsp_add(buf, cap, len, pair, n + 1))
		return auth_fail(login, ISPT_LOGIN_FAIL(TARGET_ERR, TARGET_ERROR),
				 "response text too long");
	if (auth->method == ISPT_AUTH_CHAP)
		return auth_chap_start(login);
	return ISPT_LOGIN_OK;
}

static bool chap_keys_present(const struct ispt_chap_keys *keys)
{
	int k;

	for (k = 0; k < ISPT_CHAP_NR_KEYS; k++)
		if (keys->val[k])
			return true;
	return keys->repeated;
}

/*
 * The credentials of the user CHAP_N names, if the group has one; an
 * unknown name leaves the exchange without any, and chap.c fails it.
 * Not inlined: the copy is a kilobyte of stack.
 */
static noinline int auth_chap_creds(struct ispt_login_auth *auth,
				    const char *user)
{
	struct ispt_chap_config *cfg;
	int ret = 0;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	if (ispt_auth_group_find(auth->policy.group, user, cfg))
		ret = ispt_chap_set_creds(auth->chap, &cfg->initiator,
					  cfg->mutual.user[0] ? &cfg->mutual :
								NULL);
	kfree_sensitive(cfg);
	return ret;
}

static struct ispt_login_status auth_chap_step(struct ispt_login *login,
					       u8 csg, char *buf, u32 cap,
					       u32 *len)
{
	const struct ispt_chap_keys *keys = &login->chap_keys;
	struct ispt_login_auth *auth = &login->auth;
	struct ispt_chap *chap = auth->chap;
	int ret;

	if (auth->method != ISPT_AUTH_CHAP ||
	    csg != ISCSI_SECURITY_NEGOTIATION_STAGE)
		return auth_fail(login, ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR),
				 "CHAP keys without AuthMethod=CHAP");
	if (chap->state == ISPT_CHAP_WAIT_NR) {
		if (auth->policy.mutual_chap && keys->val[ISPT_CHAP_KEY_N] &&
		    !keys->val[ISPT_CHAP_KEY_I]) {
			pr_warn_ratelimited("CHAP failed for initiator %s: %s requires mutual CHAP\n",
					    login->initiator, auth_owner(login));
			return auth_fail(login,
					 ISPT_LOGIN_FAIL(INITIATOR_ERR, AUTH_FAILED),
					 "mutual CHAP required");
		}
		if (keys->val[ISPT_CHAP_KEY_N]) {
			ret = auth_chap_creds(auth, keys->val[ISPT_CHAP_KEY_N]);
			if (ret == -ENOMEM)
				return auth_fail(login,
						 ISPT_LOGIN_FAIL(TARGET_ERR, NO_RESOURCES),
						 "no memory for CHAP");
		}
	}
	ret = ispt_chap_recv(chap, keys);
	if (ret)
		return auth_fail(login,
				 (struct ispt_login_status){
					chap->status_class, chap->status_detail },
				 "CHAP failed");
	if (!auth_rsp_add(buf, cap, len, chap->reply, chap->reply_len))
		return auth_fail(login, ISPT_LOGIN_FAIL(TARGET_ERR, TARGET_ERROR),
				 "response text too long");
	auth->authenticated = ispt_chap_authenticated(chap);
	if (auth->authenticated)
		pr_debug("%s authenticated to %s as %s with CHAP %s%s\n",
			 login->initiator, auth_owner(login),
			 keys->val[ISPT_CHAP_KEY_N], ispt_chap_alg_name(chap->alg),
			 keys->val[ISPT_CHAP_KEY_I] ? ", mutual" : "");
	return ISPT_LOGIN_OK;
}

/**
 * ispt_login_auth_step - the security part of one login request
 * @login: the login, after ispt_login_auth_begin(), with the request's
 *	   AuthMethod value in auth_offer and CHAP keys in chap_keys (both
 *	   consumed here)
 * @csg: the request's current stage
 * @transit: in: the request asks to leave the stage; out: whether we agree
 * @buf: response text, pairs appended at *@len
 * @cap: capacity of @buf
 * @len: bytes of @buf in use
 *
 * Return: ISPT_LOGIN_OK, or the status to fail the login with
 * (login->fail_reason says why).
 */
struct ispt_login_status ispt_login_auth_step(struct ispt_login *login,
					      u8 csg, bool *transit,
					      char *buf, u32 cap, u32 *len)
{
	struct ispt_login_auth *auth = &login->auth;
	const char *offer = login->auth_offer;
	struct ispt_login_status st = ISPT_LOGIN_OK;
	bool keys = chap_keys_present(&login->chap_keys);

	login->auth_offer = NULL;
	if (offer) {
		if (csg != ISCSI_SECURITY_NEGOTIATION_STAGE)
			st = auth_fail(login, ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR),
				       "AuthMethod outside SecurityNegotiation");
		else
			st = auth_pick(login, offer, buf, cap, len);
	}
	if (!st.cls && keys)
		st = auth_chap_step(login, csg, buf, cap, len);
	memset(&login->chap_keys, 0, sizeof(login->chap_keys));
	if (st.cls) {
		/* Whatever came before, this login is over. */
		auth->authenticated = false;
		return st;
	}

	if (auth_satisfied(auth))
		return ISPT_LOGIN_OK;
	/* Mid-exchange: answer without T and let it go on (RFC 7143 6.3). */
	if (csg == ISCSI_SECURITY_NEGOTIATION_STAGE &&
	    auth->method == ISPT_AUTH_CHAP) {
		*transit = false;
		return ISPT_LOGIN_OK;
	}
	/* Not yet asked to leave the stage: the initiator may still offer. */
	if (csg == ISCSI_SECURITY_NEGOTIATION_STAGE && !*transit &&
	    auth->method == ISPT_AUTH_UNSET)
		return ISPT_LOGIN_OK;
	pr_warn_ratelimited("login of %s to %s refused: authentication required\n",
			    login->initiator, auth_owner(login));
	return auth_fail(login, ISPT_LOGIN_FAIL(INITIATOR_ERR, AUTH_FAILED),
			 "authentication required");
}
