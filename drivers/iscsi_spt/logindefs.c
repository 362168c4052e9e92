// SPDX-License-Identifier: GPL-2.0
/*
 * The login keys the target offers, as set through configfs (one
 * attribute per key, named as RFC 7143 names the key). Values are
 * checked one by one (RFC ranges, and what this target can do) and as a
 * whole (FirstBurstLength <= MaxBurstLength); a refused write changes
 * nothing. negotiate.c takes a snapshot for each login.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "cmd.h"
#include "logindefs.h"

/* What the target offered before these were settable. */
#define BUILTIN_DEFAULTS {						\
	.max_recv_dsl	= 65536,					\
	.max_burst	= 262144,					\
	/* Unsolicited data per write: a 256 KiB write needs no R2T. */	\
	.first_burst	= 262144,					\
	.max_r2t	= ISPT_MAX_OUTSTANDING_R2T,			\
	.time2wait	= 2,						\
	/* ERL 0: nothing is kept to retain. */				\
	.time2retain	= 0,						\
	/* We take unsolicited Data-Out: the initiator decides. */	\
	.initial_r2t	= false,					\
	.immediate_data	= true,						\
	.header_digest	= ISPT_DIGEST_ANY,				\
	.data_digest	= ISPT_DIGEST_ANY,				\
}

const struct ispt_login_defaults ispt_login_defaults_builtin = BUILTIN_DEFAULTS;
static struct ispt_login_defaults defaults = BUILTIN_DEFAULTS;

/* Logins copy the values under the spinlock (they never sleep there). */
static DEFINE_SPINLOCK(defaults_lock);
/* A store reads, changes and writes back: one store at a time. */
static DEFINE_MUTEX(defaults_store_lock);

static const char *const defkey_names[ISPT_DEFKEY_NR] = {
	[ISPT_DEFKEY_HEADER_DIGEST]	= "HeaderDigest",
	[ISPT_DEFKEY_DATA_DIGEST]	= "DataDigest",
	[ISPT_DEFKEY_MAX_RECV_DSL]	= "MaxRecvDataSegmentLength",
	[ISPT_DEFKEY_MAX_BURST]		= "MaxBurstLength",
	[ISPT_DEFKEY_FIRST_BURST]	= "FirstBurstLength",
	[ISPT_DEFKEY_MAX_R2T]		= "MaxOutstandingR2T",
	[ISPT_DEFKEY_TIME2WAIT]		= "DefaultTime2Wait",
	[ISPT_DEFKEY_TIME2RETAIN]	= "DefaultTime2Retain",
	[ISPT_DEFKEY_INITIAL_R2T]	= "InitialR2T",
	[ISPT_DEFKEY_IMMEDIATE_DATA]	= "ImmediateData",
};

static const char *const digest_offers[] = {
	[ISPT_DIGEST_ANY]	= "CRC32C,None",
	[ISPT_DIGEST_CRC32C]	= "CRC32C",
	[ISPT_DIGEST_NONE]	= "None",
};

const char *ispt_defkey_name(enum ispt_defkey key)
{
	return key < ISPT_DEFKEY_NR ? defkey_names[key] : NULL;
}

void ispt_login_defaults_get(struct ispt_login_defaults *d)
{
	spin_lock(&defaults_lock);
	*d = defaults;
	spin_unlock(&defaults_lock);
}

/* The checks between keys, on a whole set of values. */
int ispt_login_defaults_check(const struct ispt_login_defaults *d,
			      const char **why)
{
	if (d->first_burst > d->max_burst) {
		*why = "FirstBurstLength would exceed MaxBurstLength (RFC 7143 13.14)";
		return -EINVAL;
	}
	return 0;
}

/* Replace every value at once, after checking the whole set. */
int ispt_login_defaults_set(const struct ispt_login_defaults *d,
			    const char **why)
{
	int ret = ispt_login_defaults_check(d, why);

	if (ret)
		return ret;
	spin_lock(&defaults_lock);
	defaults = *d;
	spin_unlock(&defaults_lock);
	return 0;
}

/* Decimal only: a configuration file has one spelling for a number. */
static int parse_u32(const char *text, size_t len, u32 min, u32 max, u32 *out)
{
	char buf[12];
	size_t i;
	u32 v;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	/* kstrtou32() would take a leading '+'. */
	for (i = 0; i < len; i++)
		if (!isdigit(text[i]))
			return -EINVAL;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if ((buf[0] == '0' && len > 1) || kstrtou32(buf, 10, &v) ||
	    v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static bool text_is(const char *text, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(text, word, len);
}

/* CRC32C and None, each at most once, in either order. */
static int parse_digest(const char *text, size_t len, u8 *out)
{
	if (text_is(text, len, "CRC32C,None") ||
	    text_is(text, len, "None,CRC32C"))
		*out = ISPT_DIGEST_ANY;
	else if (text_is(text, len, "CRC32C"))
		*out = ISPT_DIGEST_CRC32C;
	else if (text_is(text, len, "None"))
		*out = ISPT_DIGEST_NONE;
	else
		return -EINVAL;
	return 0;
}

static int parse_bool(const char *text, size_t len, bool *out)
{
	if (text_is(text, len, "Yes"))
		*out = true;
	else if (text_is(text, len, "No"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

/**
 * ispt_defkey_parse - set one key of @d from its text
 * @d: the values to change (a copy; nothing global)
 * @key: which key
 * @text: the value, as the key's RFC 7143 encoding ("Yes", "CRC32C,None",
 *	decimal numbers), without a newline
 * @len: bytes of @text
 * @why: out: why @text is refused
 *
 * Only the key's own range is checked: ispt_login_defaults_check() checks
 * the keys against each other.
 */
int ispt_defkey_parse(struct ispt_login_defaults *d, enum ispt_defkey key,
		      const char *text, size_t len, const char **why)
{
	int ret = -EINVAL;

	switch (key) {
	case ISPT_DEFKEY_HEADER_DIGEST:
	case ISPT_DEFKEY_DATA_DIGEST:
		ret = parse_digest(text, len, key == ISPT_DEFKEY_HEADER_DIGEST ?
				   &d->header_digest : &d->data_digest);
		*why = "must be CRC32C,None, CRC32C (required) or None";
		break;
	case ISPT_DEFKEY_MAX_RECV_DSL:
		ret = parse_u32(text, len, ISPT_KEY_LEN_MIN,
				ISPT_KEY_MAX_RECV_DSL_MAX, &d->max_recv_dsl);
		/* The top is this target's receive buffer limit. */
		*why = "must be a decimal number from 512 to 262144";
		break;
	case ISPT_DEFKEY_MAX_BURST:
		ret = parse_u32(text, len, ISPT_KEY_LEN_MIN, ISPT_KEY_LEN_MAX,
				&d->max_burst);
		*why = "must be a decimal number from 512 to 16777215";
		break;
	case ISPT_DEFKEY_FIRST_BURST:
		ret = parse_u32(text, len, ISPT_KEY_LEN_MIN, ISPT_KEY_LEN_MAX,
				&d->first_burst);
		*why = "must be a decimal number from 512 to 16777215";
		break;
	case ISPT_DEFKEY_MAX_R2T:
		/* Each command has room for this many R2T sequences (cmd.h). */
		ret = parse_u32(text, len, 1, ISPT_MAX_OUTSTANDING_R2T,
				&d->max_r2t);
		*why = "must be a decimal number from 1 to 4";
		break;
	case ISPT_DEFKEY_TIME2WAIT:
		ret = parse_u32(text, len, 0, ISPT_KEY_TIME_MAX, &d->time2wait);
		*why = "must be a decimal number of seconds from 0 to 3600";
		break;
	case ISPT_DEFKEY_TIME2RETAIN:
		ret = parse_u32(text, len, 0, ISPT_KEY_TIME_MAX,
				&d->time2retain);
		*why = "must be a decimal number of seconds from 0 to 3600";
		break;
	case ISPT_DEFKEY_INITIAL_R2T:
		ret = parse_bool(text, len, &d->initial_r2t);
		*why = "must be Yes or No";
		break;
	case ISPT_DEFKEY_IMMEDIATE_DATA:
		ret = parse_bool(text, len, &d->immediate_data);
		*why = "must be Yes or No";
		break;
	default:
		*why = "no such key";
		break;
	}
	return ret;
}

/* @key's value as ispt_defkey_parse() reads it back, without a newline. */
int ispt_defkey_format(const struct ispt_login_defaults *d,
		       enum ispt_defkey key, char *buf, size_t size)
{
	switch (key) {
	case ISPT_DEFKEY_HEADER_DIGEST:
		return snprintf(buf, size, "%s", digest_offers[d->header_digest]);
	case ISPT_DEFKEY_DATA_DIGEST:
		return snprintf(buf, size, "%s", digest_offers[d->data_digest]);
	case ISPT_DEFKEY_MAX_RECV_DSL:
		return snprintf(buf, size, "%u", d->max_recv_dsl);
	case ISPT_DEFKEY_MAX_BURST:
		return snprintf(buf, size, "%u", d->max_burst);
	case ISPT_DEFKEY_FIRST_BURST:
		return snprintf(buf, size, "%u", d->first_burst);
	case ISPT_DEFKEY_MAX_R2T:
		return snprintf(buf, size, "%u", d->max_r2t);
	case ISPT_DEFKEY_TIME2WAIT:
		return snprintf(buf, size, "%u", d->time2wait);
	case ISPT_DEFKEY_TIME2RETAIN:
		return snprintf(buf, size, "%u", d->time2retain);
	case ISPT_DEFKEY_INITIAL_R2T:
		return snprintf(buf, size, "%s", d->initial_r2t ? "Yes" : "No");
	case ISPT_DEFKEY_IMMEDIATE_DATA:
		return snprintf(buf, size, "%s", d->immediate_data ? "Yes" : "No");
	default:
		return -EINVAL;
	}
}

/**
 * ispt_defkey_store - set one key for logins from now on
 * @key: which key
 * @text: its new value (see ispt_defkey_parse())
 * @len: bytes of @text
 * @why: out: why it is refused
 *
 * The new set of values is checked whole before it replaces the old one:
 * a refused value leaves every key as it was.
 */
int ispt_defkey_store(enum ispt_defkey key, const char *text, size_t len,
		      const char **why)
{
	struct ispt_login_defaults d;
	int ret;

	mutex_lock(&defaults_store_lock);
	ispt_login_defaults_get(&d);
	ret = ispt_defkey_parse(&d, key, text, len, why);
	if (!ret)
		ret = ispt_login_defaults_set(&d, why);
	mutex_unlock(&defaults_store_lock);
	return ret;
}
