// SPDX-License-Identifier: GPL-2.0
/*
 * The rules the module applies to names, tags, addresses and values,
 * checked before anything is written, so that a bad value is reported
 * with its reason and a multi-step command (restore above all) is refused
 * before it starts rather than undone half-way. The module checks again:
 * it is the authority (Documentation/configfs.rst).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "iscsi-spt.h"

static bool invalid(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return false;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || isdigit((unsigned char)c) ||
	       c == '-' || c == '.' || c == ':';
}

static bool lower_hex(const char *s, size_t n)
{
	for (; n; n--, s++)
		if (!isdigit((unsigned char)*s) && !(*s >= 'a' && *s <= 'f'))
			return false;
	return true;
}

/* "yyyy-mm.reversed.domain[:anything]" after "iqn." */
static bool iqn_valid(const char *p, const char **why)
{
	size_t len = strlen(p), auth, i;
	const char *colon;
	int month;

	if (len < 8 || !isdigit((unsigned char)p[0]) ||
	    !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]) ||
	    !isdigit((unsigned char)p[3]) || p[4] != '-' ||
	    !isdigit((unsigned char)p[5]) || !isdigit((unsigned char)p[6]) ||
	    p[7] != '.')
		return invalid(why, "iqn. must be followed by a date yyyy-mm and a dot");
	month = (p[5] - '0') * 10 + p[6] - '0';
	if (month < 1 || month > 12)
		return invalid(why, "the month of the date must be 01 to 12");
	p += 8;
	len -= 8;
	colon = strchr(p, ':');
	auth = colon ? (size_t)(colon - p) : len;
	if (!auth)
		return invalid(why, "no naming authority (reversed domain name) after the date");
	for (i = 0; i < auth; i++)
		if (p[i] == '.' && (i == 0 || i == auth - 1 || p[i - 1] == '.'))
			return invalid(why, "empty label in the naming authority");
	if (colon && !colon[1])
		return invalid(why, "nothing after the ':'");
	return true;
}

/* RFC 7143 4.2.7 and RFC 3722 normal form, as the module checks it. */
bool valid_iscsi_name(const char *name, const char **why)
{
	size_t len = strlen(name), i;

	if (!len)
		return invalid(why, "empty name");
	if (len > NAME_MAX_LEN)
		return invalid(why, "longer than 223 bytes");
	for (i = 0; i < len; i++) {
		if (name[i] & 0x80)
			return invalid(why, "non-ASCII names are not supported");
		if (isupper((unsigned char)name[i]))
			return invalid(why, "must be lowercase (RFC 3722)");
		if (!is_name_char(name[i]))
			return invalid(why, "only a-z, 0-9, '-', '.' and ':' are allowed");
	}
	if (!strncmp(name, "iqn.", 4))
		return iqn_valid(name + 4, why);
	if (!strncmp(name, "eui.", 4)) {
		if (len != 4 + 16 || !lower_hex(name + 4, 16))
			return invalid(why, "eui. must be followed by 16 hex digits");
		return true;
	}
	if (!strncmp(name, "naa.", 4)) {
		if ((len != 4 + 16 && len != 4 + 32) ||
		    !lower_hex(name + 4, len - 4))
			return invalid(why, "naa. must be followed by 16 or 32 hex digits");
		return true;
	}
	return invalid(why, "must start with iqn., eui. or naa.");
}

/*
 * A canonical decimal (no sign, no leading zero) within [min, max]; @max
 * is small enough that v * 10 cannot overflow before v > max is seen.
 */
static bool canonical_uint(const char *s, unsigned long long min,
			   unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p;

	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return false;
		v = v * 10 + (*p - '0');
		if (v > max)
			return false;
	}
	if (v < min)
		return false;
	if (out)
		*out = v;
	return true;
}

bool valid_uint(const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out)
{
	return canonical_uint(s, min, max, out);
}

/* Portal group and initiator group tags: 1..65535, as the module names them. */
bool valid_tag(const char *s, unsigned int *tag)
{
	unsigned long long v;

	if (!canonical_uint(s, 1, 65535, &v))
		return false;
	if (tag)
		*tag = v;
	return true;
}

bool valid_lun_id(const char *s, unsigned int *id)
{
	unsigned long long v;

	if (!canonical_uint(s, 0, LUN_ID_MAX, &v))
		return false;
	if (id)
		*id = v;
	return true;
}

struct portal_addr {
	int		family;
	unsigned char	addr[16];
	unsigned int	port;
};

static bool parse_portal(const char *s, struct portal_addr *pa,
			 const char **why)
{
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	const char *port = NULL, *end;
	unsigned long long v;
	size_t hostlen;

	memset(pa, 0, sizeof(*pa));
	if (s[0] == '[') {
		end = strchr(s, ']');
		if (!end)
			return invalid(why, "an IPv6 address needs its closing ']'");
		pa->family = AF_INET6;
		hostlen = end - s - 1;
		s++;
		end++;
		if (*end == ':')
			port = end + 1;
		else if (*end)
			return invalid(why, "only ':PORT' may follow ']'");
	} else {
		pa->family = AF_INET;
		end = strchr(s, ':');
		hostlen = end ? (size_t)(end - s) : strlen(s);
		if (end)
			port = end + 1;
	}
	if (!hostlen || hostlen >= sizeof(host))
		return invalid(why, "not ADDR[:PORT] with an IPv4 or a bracketed IPv6 address");
	memcpy(host, s, hostlen);
	host[hostlen] = '\0';
	/* The module takes a scope on IPv6 ([fe80::1%eth0]); so do we. */
	if (pa->family == AF_INET6 && strchr(host, '%'))
		*strchr(host, '%') = '\0';
	if (inet_pton(pa->family, host, pa->addr) != 1)
		return invalid(why, pa->family == AF_INET ?
			       "not an IPv4 address (IPv6 goes in brackets: [::1]:3260)" :
			       "not an IPv6 address");
	pa->port = ISCSI_SPT_DEFAULT_PORT;
	if (port) {
		if (!canonical_uint(port, 1, 65535, &v))
			return invalid(why, "the port must be a number from 1 to 65535");
		pa->port = v;
	}
	return true;
}

/* "IPv4[:PORT]" or "[IPv6][:PORT]", as portal directories are named. */
bool valid_portal(const char *s, const char **why)
{
	struct portal_addr pa;

	return parse_portal(s, &pa, why);
}

/* What discovery gives for a portal: a specific address initiators reach. */
bool valid_advertise(const char *s, const char **why)
{
	static const unsigned char any[16];
	struct portal_addr pa;

	if (!parse_portal(s, &pa, why))
		return false;
	if (!memcmp(pa.addr, any, pa.family == AF_INET ? 4 : 16))
		return invalid(why, "a wildcard address cannot be advertised");
	return true;
}

/* Do two portal names listen on the same address ("1.2.3.4" and ":3260")? */
bool portal_same(const char *a, const char *b)
{
	struct portal_addr pa, pb;

	if (!parse_portal(a, &pa, NULL) || !parse_portal(b, &pb, NULL))
		return !strcmp(a, b);
	return pa.family == pb.family && pa.port == pb.port &&
	       !memcmp(pa.addr, pb.addr, pa.family == AF_INET ? 4 : 16);
}

/* "ADDR[/PREFIX]", IPv4 or IPv6, no host bits beyond the prefix. */
bool valid_netmask(const char *s, const char **why)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned char addr[16];
	char host[INET6_ADDRSTRLEN + 1];
	unsigned long long prefix;
	unsigned int max, i;
	int family;

	if (!alen || alen >= sizeof(host))
		return invalid(why, "not an IPv4 or IPv6 address");
	memcpy(host, s, alen);
	host[alen] = '\0';
	family = strchr(host, ':') ? AF_INET6 : AF_INET;
	max = family == AF_INET6 ? 128 : 32;
	if (inet_pton(family, host, addr) != 1)
		return invalid(why, family == AF_INET6 ? "not an IPv6 address" :
						      "not an IPv4 address");
	prefix = max;
	if (slash && !canonical_uint(slash + 1, 0, max, &prefix))
		return invalid(why, family == AF_INET6 ?
			       "the prefix length must be 0 to 128" :
			       "the prefix length must be 0 to 32");
	for (i = prefix; i < max; i++)
		if (addr[i / 8] & (0x80 >> (i % 8)))
			return invalid(why, "host bits are set beyond the prefix length");
	return true;
}

/* A CPU list as the kernel's cpulist_parse() takes it: "0-3,6". */
bool valid_cpulist(const char *s, const char **why)
{
	const char *p = s;

	if (!*s)
		return invalid(why, "empty CPU list");
	while (*p) {
		char *end;
		unsigned long a, b;

		if (!isdigit((unsigned char)*p))
			return invalid(why, "not a CPU list such as 0-3,6");
		errno = 0;
		a = strtoul(p, &end, 10);
		b = a;
		p = end;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				return invalid(why, "not a CPU list such as 0-3,6");
			b = strtoul(p, &end, 10);
			p = end;
		}
		if (errno || b < a)
			return invalid(why, "a range must go upwards, such as 0-3");
		if (*p == ',')
			p++;
		else if (*p)
			return invalid(why, "not a CPU list such as 0-3,6");
	}
	return true;
}

bool valid_alias(const char *s, const char **why)
{
	size_t n = strlen(s), i;

	if (n > ALIAS_MAX_LEN)
		return invalid(why, "longer than 255 characters");
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return invalid(why, "only printable ASCII characters are allowed");
	return true;
}

/* A block device node, as the module will open it exclusively. */
bool valid_device(const char *path, const char **why)
{
	struct stat st;

	if (path[0] != '/')
		return invalid(why, "must be an absolute path");
	if (strlen(path) >= LUN_PATH_MAX)
		return invalid(why, "longer than 255 bytes");
	if (stat(path, &st))
		return invalid(why, errno == ENOENT ? "no such device" :
			       "cannot be examined");
	if (!S_ISBLK(st.st_mode))
		return invalid(why, "not a block device");
	return true;
}

/* "PG:IG" (a map) into two tags; -1 if malformed. */
int parse_pair(const char *s, unsigned int *a, unsigned int *b)
{
	const char *colon = strchr(s, ':');
	char *first;
	bool ok;

	if (!colon)
		return -1;
	first = xstrndup(s, colon - s);
	ok = valid_tag(first, a) && valid_tag(colon + 1, b);
	free(first);
	return ok ? 0 : -1;
}

/* "ID:DEVICE" (a LUN); -1 if malformed. */
int parse_lun_spec(const char *s, unsigned int *id, char **device)
{
	const char *colon = strchr(s, ':');
	char *first;
	bool ok;

	if (!colon || !colon[1])
		return -1;
	first = xstrndup(s, colon - s);
	ok = valid_lun_id(first, id);
	free(first);
	if (!ok)
		return -1;
	*device = xstrdup(colon + 1);
	return 0;
}

/*
 * A target given by its full name, or a short name the node base is put
 * in front of, as SPDK does: "disk1" is "<node_base>:disk1".
 */
char *target_full_name(const char *name, const char *node_base)
{
	if (!strncmp(name, "iqn.", 4) || !strncmp(name, "eui.", 4) ||
	    !strncmp(name, "naa.", 4) || !node_base)
		return xstrdup(name);
	return xasprintf("%s:%s", node_base, name);
}

/* CHAP user names: what the module takes (1-255 bytes), and a directory name. */
bool valid_chap_user(const char *s, const char **why)
{
	size_t len = strlen(s);

	if (!len)
		return invalid(why, "empty");
	if (len > 255)
		return invalid(why, "longer than 255 bytes");
	if (strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
		return invalid(why, "must not contain '/' or be . or ..");
	if (strchr(s, '\n'))
		return invalid(why, "must not contain a newline");
	return true;
}

/* RFC 7143 9.2.1: at least 96 bits; the module takes up to 255 bytes. */
bool valid_chap_secret(const char *s, const char **why)
{
	size_t len = strlen(s);

	if (len < 12)
		return invalid(why, "shorter than 12 bytes (RFC 7143 9.2.1); use 16 or more random bytes");
	if (len > 255)
		return invalid(why, "longer than 255 bytes");
	if (strchr(s, '\n'))
		return invalid(why, "must not contain a newline");
	return true;
}

/* CHAP_A numbers, comma-separated, each once: 5 MD5, 6 SHA-1, 7 SHA-256, 8 SHA3-256. */
bool valid_chap_algs(const char *s, const char **why)
{
	bool seen[9] = { false };
	const char *p = s;

	while (*p) {
		if (*p < '5' || *p > '8' || (p[1] && p[1] != ','))
			return invalid(why, "must be CHAP_A numbers from 5 to 8, comma-separated (8,7,6,5)");
		if (seen[*p - '0'])
			return invalid(why, "an algorithm is listed twice");
		seen[*p - '0'] = true;
		p++;
		if (*p == ',') {
			p++;
			if (!*p)
				return invalid(why, "ends with a comma");
		}
	}
	return true;
}

bool valid_yes_no(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "1") || !strcmp(s, "on"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "0") || !strcmp(s, "off"))
		*out = false;
	else
		return false;
	return true;
}

#define DIGESTS "CRC32C,None|None,CRC32C|CRC32C|None"

const struct param_desc param_descs[] = {
	{ "node_base", false, 0, 0,
	  "prefix for short target names: NAME becomes <node_base>:NAME", NULL },
	{ "max_sessions", true, 1, ISCSI_SPT_MAX_SESSIONS,
	  "most sessions the target runs at once", NULL },
	{ "max_connections_per_session", true, 1, ISCSI_SPT_MAX_CONNS,
	  "most connections in one session", NULL },
	{ "nopin_interval", true, 0, 3600,
	  "seconds of silence before a NOP-In ping (0: never)", NULL },
	{ "nopin_timeout", true, 1, 3600,
	  "seconds a ping may go unanswered before the connection drops", NULL },
	/* Login keys offered to new logins (the module's ranges). */
	{ "HeaderDigest", false, 0, 0,
	  "header digests accepted: CRC32C,None, CRC32C (required) or None", DIGESTS },
	{ "DataDigest", false, 0, 0,
	  "data digests accepted: CRC32C,None, CRC32C (required) or None", DIGESTS },
	{ "MaxRecvDataSegmentLength", true, 512, 262144,
	  "most data bytes in one PDU the target receives", NULL },
	{ "MaxBurstLength", true, 512, 16777215,
	  "most data bytes in one sequence (R2T or Data-In burst)", NULL },
	{ "FirstBurstLength", true, 512, 16777215,
	  "most unsolicited data bytes per write; at most MaxBurstLength", NULL },
	{ "MaxOutstandingR2T", true, 1, 4,
	  "R2Ts outstanding per command", NULL },
	{ "DefaultTime2Wait", true, 0, 3600,
	  "seconds an initiator waits before reconnecting", NULL },
	{ "DefaultTime2Retain", true, 0, 3600,
	  "seconds tasks are kept for reconnecting (ERL 0 keeps none)", NULL },
	{ "InitialR2T", false, 0, 0,
	  "Yes: writes wait for an R2T (no unsolicited Data-Out)", "Yes|No" },
	{ "ImmediateData", false, 0, 0,
	  "Yes: a write command may carry data", "Yes|No" },
	{ NULL, false, 0, 0, NULL, NULL },
};

const struct param_desc *param_find(const char *name)
{
	const struct param_desc *d;

	for (d = param_descs; d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

static bool one_of(const char *value, const char *words)
{
	size_t n = strlen(value);

	while (*words) {
		size_t w = strcspn(words, "|");

		if (w == n && !strncmp(words, value, n))
			return true;
		words += w;
		if (*words == '|')
			words++;
	}
	return false;
}

/* Known parameters are checked; others are left to the module. */
bool valid_param(const char *name, const char *value, const char **why)
{
	const struct param_desc *d = param_find(name);
	static char range[160];

	if (!d)
		return true;
	if (!strcmp(name, "node_base")) {
		if (strlen(value) > NAME_MAX_LEN - 2)
			return invalid(why, "longer than 221 bytes (the base, ':' and a name fit in 223)");
		return valid_iscsi_name(value, why);
	}
	if (d->numeric && !canonical_uint(value, d->min, d->max, NULL)) {
		snprintf(range, sizeof(range), "must be a number from %llu to %llu",
			 d->min, d->max);
		return invalid(why, range);
	}
	if (d->words && !one_of(value, d->words)) {
		snprintf(range, sizeof(range), "must be one of %s", d->words);
		for (char *p = range; *p; p++)
			if (*p == '|')
				*p = ' ';
		return invalid(why, range);
	}
	return true;
}

/* @key's value in @set, else in @live (either may be NULL). */
static const char *param_value(const struct kvlist *set,
			       const struct kvlist *live, const char *key)
{
	const char *v = set ? kvlist_get(set, key) : NULL;

	return v ? v : live ? kvlist_get(live, key) : NULL;
}

/*
 * The checks between parameters, on @set applied over @live (NULL for a
 * file on its own): FirstBurstLength <= MaxBurstLength, as the module
 * requires (RFC 7143 13.14).
 */
bool valid_params(const struct kvlist *set, const struct kvlist *live,
		  const char **why)
{
	const char *fb = param_value(set, live, "FirstBurstLength");
	const char *mb = param_value(set, live, "MaxBurstLength");
	unsigned long long f, m;

	if (fb && mb && valid_uint(fb, 0, ~0ULL, &f) &&
	    valid_uint(mb, 0, ~0ULL, &m) && f > m)
		return invalid(why, "FirstBurstLength must not exceed MaxBurstLength");
	return true;
}

static size_t kv_index(const struct kvlist *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			break;
	return i;
}

/*
 * Order @set so that no write in between leaves FirstBurstLength above
 * MaxBurstLength, which the module refuses: lowering MaxBurstLength
 * below the FirstBurstLength in force goes after FirstBurstLength,
 * otherwise MaxBurstLength goes first.
 */
void params_order(struct kvlist *set, const struct kvlist *live)
{
	size_t fb = kv_index(set, "FirstBurstLength");
	size_t mb = kv_index(set, "MaxBurstLength");
	const char *live_fb = live ? kvlist_get(live, "FirstBurstLength") : NULL;
	unsigned long long new_mb, cur_fb;
	bool fb_first;
	struct kv tmp;

	if (fb == set->n || mb == set->n)
		return;
	fb_first = live_fb && valid_uint(set->v[mb].value, 0, ~0ULL, &new_mb) &&
		   valid_uint(live_fb, 0, ~0ULL, &cur_fb) && new_mb < cur_fb;
	if (fb_first != (fb < mb)) {
		tmp = set->v[fb];
		set->v[fb] = set->v[mb];
		set->v[mb] = tmp;
	}
}
