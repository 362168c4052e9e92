// SPDX-License-Identifier: GPL-2.0
/*
 * Initiator groups: iSCSI name validation, netmask parsing and matching,
 * and the name and netmask lists of a group.
 *
 * The lists are immutable once parsed. A write to a group builds a whole
 * new list and swaps the pointer, so the login path reads them under RCU
 * with no lock and always sees either the old list or the new one.
 */
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/inet.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <net/ipv6.h>

#include "acl.h"

struct ispt_ig {
	struct kref			kref;
	struct mutex			lock;	/* serialises list swaps */
	struct ispt_acl_names __rcu	*names;
	struct ispt_acl_netmasks __rcu	*netmasks;
	struct rcu_head			rcu;
	u16				tag;
};

static bool invalid(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return false;
}

/* After RFC 3722 stringprep, the ASCII a name may hold. */
static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || isdigit(c) ||
	       c == '-' || c == '.' || c == ':';
}

static bool all_lower_xdigits(const char *s, size_t n)
{
	while (n--) {
		if (!isdigit(*s) && !(*s >= 'a' && *s <= 'f'))
			return false;
		s++;
	}
	return true;
}

/* "yyyy-mm.reversed.domain[:anything]", after the "iqn." */
static bool iqn_valid(const char *p, size_t len, const char **why)
{
	const char *colon;
	size_t auth, i;
	int month;

	if (len < 8 || !isdigit(p[0]) || !isdigit(p[1]) || !isdigit(p[2]) ||
	    !isdigit(p[3]) || p[4] != '-' || !isdigit(p[5]) ||
	    !isdigit(p[6]) || p[7] != '.')
		return invalid(why, "iqn. must be followed by a date yyyy-mm and a dot");
	month = (p[5] - '0') * 10 + p[6] - '0';
	if (month < 1 || month > 12)
		return invalid(why, "the month of the date must be 01 to 12");
	p += 8;
	len -= 8;

	colon = memchr(p, ':', len);
	auth = colon ? colon - p : len;
	if (!auth)
		return invalid(why, "no naming authority (reversed domain name) after the date");
	for (i = 0; i < auth; i++)
		if (p[i] == '.' && (i == 0 || i == auth - 1 || p[i - 1] == '.'))
			return invalid(why, "empty label in the naming authority");
	if (colon && colon == p + len - 1)
		return invalid(why, "nothing after the ':'");
	return true;
}

/**
 * ispt_iscsi_name_valid - is this a valid iSCSI name in normal form?
 * @name: the name, not necessarily NUL-terminated
 * @len: its length in bytes
 * @why: where to point at the reason when it is not; may be NULL
 *
 * Accepts iqn., eui. and naa. names (RFC 7143 section 4.2.7, RFC 3980)
 * as RFC 3722 stringprep leaves them: lowercase, at most 223 bytes.
 * Names are compared bytewise, so an unnormalised name (uppercase) is
 * refused rather than silently never matching. Non-ASCII names are
 * refused too: without a full stringprep we cannot tell whether a UTF-8
 * name is in normal form.
 */
bool ispt_iscsi_name_valid(const char *name, size_t len, const char **why)
{
	size_t i;

	if (!len)
		return invalid(why, "empty name");
	if (len > ISPT_NAME_MAX)
		return invalid(why, "longer than 223 bytes");
	for (i = 0; i < len; i++) {
		if (name[i] & 0x80)
			return invalid(why, "non-ASCII names are not supported");
		if (isupper(name[i]))
			return invalid(why, "must be lowercase (RFC 3722)");
		if (!is_name_char(name[i]))
			return invalid(why, "only a-z, 0-9, '-', '.' and ':' are allowed");
	}
	if (len >= 4 && !memcmp(name, "iqn.", 4))
		return iqn_valid(name + 4, len - 4, why);
	if (len >= 4 && !memcmp(name, "eui.", 4)) {
		if (len != 4 + 16 || !all_lower_xdigits(name + 4, 16))
			return invalid(why, "eui. must be followed by 16 hex digits");
		return true;
	}
	if (len >= 4 && !memcmp(name, "naa.", 4)) {
		if ((len != 4 + 16 && len != 4 + 32) ||
		    !all_lower_xdigits(name + 4, len - 4))
			return invalid(why, "naa. must be followed by 16 or 32 hex digits");
		return true;
	}
	return invalid(why, "must start with iqn., eui. or naa.");
}

static __be32 v4_mask(unsigned int prefix)
{
	return prefix ? htonl(~0U << (32 - prefix)) : 0;
}

static int parse_prefix(const char *s, size_t len, unsigned int max,
			unsigned int *prefix, const char **why)
{
	unsigned int val = 0;
	size_t i;

	if (!len || len > 3) {
		invalid(why, "the prefix length must be a decimal number");
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isdigit(s[i])) {
			invalid(why, "the prefix length must be a decimal number");
			return -EINVAL;
		}
		val = val * 10 + s[i] - '0';
	}
	if (val > max) {
		invalid(why, "the prefix length is longer than the address");
		return -EINVAL;
	}
	*prefix = val;
	return 0;
}

/**
 * ispt_netmask_parse - parse "ADDR[/PREFIX]"
 * @str: an IPv4 or IPv6 address, optionally with a prefix length
 * @len: length of @str
 * @mask: result
 * @why: where to point at the reason on failure; may be NULL
 *
 * A bare address is a host (/32 or /128). Host bits set beyond the
 * prefix are refused, as "ip route" does: "192.0.2.1/24" is more likely
 * a typo than a way to write 192.0.2.0/24.
 *
 * Return: 0 or -EINVAL.
 */
int ispt_netmask_parse(const char *str, size_t len, struct ispt_netmask *mask,
		       const char **why)
{
	const char *slash = memchr(str, '/', len);
	size_t alen = slash ? slash - str : len;
	unsigned int max, prefix;
	const char *end;

	memset(mask, 0, sizeof(*mask));
	if (!alen || alen > INET6_ADDRSTRLEN) {
		invalid(why, "not an IPv4 or IPv6 address");
		return -EINVAL;
	}
	if (memchr(str, ':', alen)) {
		if (!in6_pton(str, alen, mask->addr.v6.s6_addr, -1, &end) ||
		    end != str + alen) {
			invalid(why, "not an IPv6 address");
			return -EINVAL;
		}
		mask->family = AF_INET6;
		max = 128;
	} else {
		if (!in4_pton(str, alen, (u8 *)&mask->addr.v4, -1, &end) ||
		    end != str + alen) {
			invalid(why, "not an IPv4 address");
			return -EINVAL;
		}
		mask->family = AF_INET;
		max = 32;
	}
	prefix = max;
	if (slash && parse_prefix(slash + 1, str + len - slash - 1, max,
				  &prefix, why))
		return -EINVAL;
	mask->prefix = prefix;

	if (mask->family == AF_INET) {
		if (mask->addr.v4 & ~v4_mask(prefix)) {
			invalid(why, "host bits are set beyond the prefix length");
			return -EINVAL;
		}
	} else {
		struct in6_addr net;

		ipv6_addr_prefix(&net, &mask->addr.v6, prefix);
		if (!ipv6_addr_equal(&net, &mask->addr.v6)) {
			invalid(why, "host bits are set beyond the prefix length");
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * ispt_netmask_match - is @peer inside @mask?
 * @mask: a parsed netmask
 * @peer: an AF_INET or AF_INET6 address
 *
 * An IPv4-mapped IPv6 peer (::ffff:a.b.c.d) is matched as the IPv4
 * address it carries, so IPv4 netmasks cover initiators that reach a
 * dual-stack socket. IPv6 netmasks see it as the IPv6 address it is.
 */
bool ispt_netmask_match(const struct ispt_netmask *mask,
			const struct sockaddr_storage *peer)
{
	const struct sockaddr_in6 *sin6;
	__be32 v4;

	switch (peer->ss_family) {
	case AF_INET:
		v4 = ((const struct sockaddr_in *)peer)->sin_addr.s_addr;
		break;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)peer;
		if (mask->family == AF_INET6)
			return ipv6_prefix_equal(&sin6->sin6_addr,
						 &mask->addr.v6, mask->prefix);
		if (!ipv6_addr_v4mapped(&sin6->sin6_addr))
			return false;
		v4 = sin6->sin6_addr.s6_addr32[3];
		break;
	default:
		return false;
	}
	if (mask->family != AF_INET)
		return false;
	return !((v4 ^ mask->addr.v4) & v4_mask(mask->prefix));
}

/* Next whitespace-separated token of [*pos, end), or false at the end. */
static bool next_token(const char **pos, const char *end,
		       const char **tok, size_t *toklen)
{
	const char *p = *pos;

	while (p < end && isspace(*p))
		p++;
	if (p == end)
		return false;
	*tok = p;
	while (p < end && !isspace(*p))
		p++;
	*toklen = p - *tok;
	*pos = p;
	return true;
}

static bool is_any(const char *tok, size_t toklen)
{
	return toklen == 3 && !memcmp(tok, "ANY", 3);
}

static void *acl_err(struct ispt_acl_err *err, const char *why,
		     const char *tok, size_t toklen)
{
	err->why = why;
	err->tok = tok;
	err->toklen = min_t(size_t, toklen, 64);
	return ERR_PTR(-EINVAL);
}

/*
 * Checks the tokens of @text (names when @names, else netmasks) and
 * counts them, so the list can be allocated at its final size.
 */
static int acl_count(const char *text, size_t len, bool names, bool *any,
		     struct ispt_acl_err *err)
{
	const char *pos = text, *end = text + len, *tok, *why;
	struct ispt_netmask mask;
	size_t toklen;
	int nr = 0;

	*any = false;
	while (next_token(&pos, end, &tok, &toklen)) {
		if (++nr > ISPT_ACL_MAX) {
			acl_err(err, "too many entries", tok, toklen);
			return -EINVAL;
		}
		if (is_any(tok, toklen)) {
			*any = true;
			continue;
		}
		if (names ? !ispt_iscsi_name_valid(tok, toklen, &why) :
			    ispt_netmask_parse(tok, toklen, &mask, &why)) {
			acl_err(err, why, tok, toklen);
			return -EINVAL;
		}
	}
	if (*any && nr > 1) {
		acl_err(err, "ANY must be the only entry", "ANY", 3);
		return -EINVAL;
	}
	return nr;
}

/**
 * ispt_acl_names_parse - parse a whitespace-separated list of iSCSI names
 * @text: the list, or "ANY"; empty means no initiator
 * @len: length of @text
 * @err: on -EINVAL, why and on which token
 *
 * Return: the list, ERR_PTR(-EINVAL) if any name is invalid or repeated,
 * or ERR_PTR(-ENOMEM). Free it with kfree() or ispt_ig_set_names().
 */
struct ispt_acl_names *ispt_acl_names_parse(const char *text, size_t len,
					    struct ispt_acl_err *err)
{
	const char *pos = text, *end = text + len, *tok;
	struct ispt_acl_names *names;
	unsigned int i, j;
	size_t toklen;
	bool any;
	char *copy;
	int nr;

	nr = acl_count(text, len, true, &any, err);
	if (nr < 0)
		return ERR_PTR(nr);
	if (any)
		nr = 0;
	/* Tokens and their NULs fit in len + 1: separators become NULs. */
	names = kzalloc(struct_size(names, name, nr) + len + 1, GFP_KERNEL);
	if (!names)
		return ERR_PTR(-ENOMEM);
	names->any = any;
	names->nr = nr;
	copy = (char *)&names->name[nr];
	for (i = 0; i < nr && next_token(&pos, end, &tok, &toklen); i++) {
		memcpy(copy, tok, toklen);
		copy[toklen] = '\0';
		names->name[i] = copy;
		copy += toklen + 1;
		for (j = 0; j < i; j++) {
			if (!strcmp(names->name[j], names->name[i])) {
				kfree(names);
				return acl_err(err, "listed twice", tok, toklen);
			}
		}
	}
	return names;
}

bool ispt_acl_names_match(const struct ispt_acl_names *names,
			  const char *initiator)
{
	unsigned int i;

	if (!names)
		return false;
	if (names->any)
		return true;
	for (i = 0; i < names->nr; i++)
		if (!strcmp(names->name[i], initiator))
			return true;
	return false;
}

/**
 * ispt_acl_netmasks_parse - parse a whitespace-separated list of netmasks
 * @text: the list ("192.0.2.0/24 2001:db8::/32 ..."), or "ANY"; empty
 *	  means no address
 * @len: length of @text
 * @err: on -EINVAL, why and on which token
 *
 * Return: the list, ERR_PTR(-EINVAL) if any netmask is invalid or
 * repeated, or ERR_PTR(-ENOMEM).
 */
struct ispt_acl_netmasks *ispt_acl_netmasks_parse(const char *text, size_t len,
						  struct ispt_acl_err *err)
{
	const char *pos = text, *end = text + len, *tok;
	struct ispt_acl_netmasks *masks;
	unsigned int i, j;
	size_t toklen;
	bool any;
	int nr;

	nr = acl_count(text, len, false, &any, err);
	if (nr < 0)
		return ERR_PTR(nr);
	if (any)
		nr = 0;
	masks = kzalloc(struct_size(masks, mask, nr), GFP_KERNEL);
	if (!masks)
		return ERR_PTR(-ENOMEM);
	masks->any = any;
	masks->nr = nr;
	for (i = 0; i < nr && next_token(&pos, end, &tok, &toklen); i++) {
		/* Checked by acl_count(); parse_netmask() zeroes padding. */
		ispt_netmask_parse(tok, toklen, &masks->mask[i], NULL);
		for (j = 0; j < i; j++) {
			if (!memcmp(&masks->mask[j], &masks->mask[i],
				    sizeof(masks->mask[i]))) {
				kfree(masks);
				return acl_err(err, "listed twice", tok, toklen);
			}
		}
	}
	return masks;
}

bool ispt_acl_netmasks_match(const struct ispt_acl_netmasks *masks,
			     const struct sockaddr_storage *peer)
{
	unsigned int i;

	if (!masks)
		return false;
	if (masks->any)
		return true;
	for (i = 0; i < masks->nr; i++)
		if (ispt_netmask_match(&masks->mask[i], peer))
			return true;
	return false;
}

/*
 * A new group has neither list, so it admits no one until both the
 * names and the netmasks are written.
 */
struct ispt_ig *ispt_ig_create(u16 tag)
{
	struct ispt_ig *ig;

	ig = kzalloc(sizeof(*ig), GFP_KERNEL);
	if (!ig)
		return ERR_PTR(-ENOMEM);
	kref_init(&ig->kref);
	mutex_init(&ig->lock);
	ig->tag = tag;
	return ig;
}

void ispt_ig_get(struct ispt_ig *ig)
{
	kref_get(&ig->kref);
}

static void ig_release(struct kref *kref)
{
	struct ispt_ig *ig = container_of(kref, struct ispt_ig, kref);

	mutex_destroy(&ig->lock);
	/* A reader may still hold a link to this group: wait for it. */
	kfree_rcu(rcu_dereference_protected(ig->names, true), rcu);
	kfree_rcu(rcu_dereference_protected(ig->netmasks, true), rcu);
	kfree_rcu(ig, rcu);
}

void ispt_ig_put(struct ispt_ig *ig)
{
	kref_put(&ig->kref, ig_release);
}

u16 ispt_ig_tag(const struct ispt_ig *ig)
{
	return ig->tag;
}

/* Takes ownership of @names; the old list is freed after readers. */
void ispt_ig_set_names(struct ispt_ig *ig, struct ispt_acl_names *names)
{
	struct ispt_acl_names *old;

	mutex_lock(&ig->lock);
	old = rcu_replace_pointer(ig->names, names, lockdep_is_held(&ig->lock));
	mutex_unlock(&ig->lock);
	kfree_rcu(old, rcu);
}

void ispt_ig_set_netmasks(struct ispt_ig *ig, struct ispt_acl_netmasks *masks)
{
	struct ispt_acl_netmasks *old;

	mutex_lock(&ig->lock);
	old = rcu_replace_pointer(ig->netmasks, masks,
				  lockdep_is_held(&ig->lock));
	mutex_unlock(&ig->lock);
	kfree_rcu(old, rcu);
}

/* One name per line, or "ANY"; nothing for an empty list. */
ssize_t ispt_ig_show_names(struct ispt_ig *ig, char *page)
{
	const struct ispt_acl_names *names;
	unsigned int i;
	ssize_t len = 0;

	rcu_read_lock();
	names = rcu_dereference(ig->names);
	if (names && names->any)
		len = sysfs_emit(page, "ANY\n");
	for (i = 0; names && i < names->nr; i++)
		len += sysfs_emit_at(page, len, "%s\n", names->name[i]);
	rcu_read_unlock();
	return len;
}

ssize_t ispt_ig_show_netmasks(struct ispt_ig *ig, char *page)
{
	const struct ispt_acl_netmasks *masks;
	const struct ispt_netmask *m;
	unsigned int i;
	ssize_t len = 0;

	rcu_read_lock();
	masks = rcu_dereference(ig->netmasks);
	if (masks && masks->any)
		len = sysfs_emit(page, "ANY\n");
	for (i = 0; masks && i < masks->nr; i++) {
		m = &masks->mask[i];
		if (m->family == AF_INET)
			len += sysfs_emit_at(page, len, "%pI4/%u\n",
					     &m->addr.v4, m->prefix);
		else
			len += sysfs_emit_at(page, len, "%pI6c/%u\n",
					     &m->addr.v6, m->prefix);
	}
	rcu_read_unlock();
	return len;
}

/**
 * ispt_ig_allows - is this initiator, at this address, in the group?
 * @ig: the group
 * @initiator: the InitiatorName the initiator logged in with
 * @peer: its address
 *
 * Call under rcu_read_lock().
 */
bool ispt_ig_allows(struct ispt_ig *ig, const char *initiator,
		    const struct sockaddr_storage *peer)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "initiator group read outside RCU");
	return ispt_acl_names_match(rcu_dereference(ig->names), initiator) &&
	       ispt_acl_netmasks_match(rcu_dereference(ig->netmasks), peer);
}
