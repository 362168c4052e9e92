// SPDX-License-Identifier: GPL-2.0
/*
 * Login key negotiation (RFC 7143 sections 6 and 13): each key the
 * initiator sends is looked up in a typed table and answered by its rule
 * (list, boolean AND/OR, numerical min/max, declarative); unknown keys get
 * NotUnderstood, keys a discovery session has no use for Irrelevant, bad
 * values Reject. The results land in typed fields, never in strings.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cmd.h"
#include "configfs.h"
#include "conn.h"
#include "login.h"
#include "logindefs.h"
#include "pdu.h"
#include "session.h"
#include "target.h"

/*
 * What this target offers for the keys that are not settable (logindefs.h
 * holds the ones that are): ERL 1 at most (snack.c; no connection
 * recovery, so not 2); MaxConnections is capped by the global
 * max_connections_per_session (configfs) alone.
 */
#define OUR_MAX_CONNECTIONS	65535
#define OUR_MAX_ERL		1

#define KEY_MAX_LEN		63
#define VALUE_MAX_LEN		255

enum key_id {
	KEY_HEADER_DIGEST,
	KEY_DATA_DIGEST,
	KEY_MAX_CONNECTIONS,
	KEY_SEND_TARGETS,
	KEY_TARGET_NAME,
	KEY_INITIATOR_NAME,
	KEY_TARGET_ALIAS,
	KEY_INITIATOR_ALIAS,
	KEY_TARGET_ADDRESS,
	KEY_TPGT,
	KEY_INITIAL_R2T,
	KEY_IMMEDIATE_DATA,
	KEY_MAX_RECV_DSL,
	KEY_MAX_BURST,
	KEY_FIRST_BURST,
	KEY_TIME2WAIT,
	KEY_TIME2RETAIN,
	KEY_MAX_R2T,
	KEY_DATA_PDU_IN_ORDER,
	KEY_DATA_SEQ_IN_ORDER,
	KEY_ERL,
	KEY_SESSION_TYPE,
	KEY_AUTH_METHOD,
	KEY_OF_MARKER,
	KEY_IF_MARKER,
	KEY_OF_MARK_INT,
	KEY_IF_MARK_INT,
	KEY_TASK_REPORTING,
	KEY_NR,
};

enum key_rule {
	RULE_DIGEST_LIST,	/* list of None, CRC32C */
	RULE_AUTH_LIST,		/* list of auth methods */
	RULE_AND,		/* boolean, result = both */
	RULE_OR,		/* boolean, result = either */
	RULE_MIN,		/* numerical, result = smaller */
	RULE_MAX,		/* numerical, result = larger */
	RULE_DECLARE_NUM,	/* the initiator's number, no answer */
	RULE_DECLARE_TEXT,	/* the initiator's text, no answer */
	RULE_TARGET_ONLY,	/* only a target may send it */
	RULE_IRRELEVANT,	/* answered Irrelevant */
	RULE_MARKER,		/* obsolete markers: always No */
	RULE_TASK_REPORTING,	/* list; we do RFC3720 only */
};

struct key_desc {
	const char	*name;
	enum key_rule	rule;
	u32		min, max;	/* numerical range */
	u32		ours;		/* our value, unless settable (our_value()) */
	bool		normal_only;	/* Irrelevant in discovery */
	bool		leading_only;	/* LO: Irrelevant in a non-leading login */
};

static const struct key_desc keys[KEY_NR] = {
	[KEY_HEADER_DIGEST]	= { "HeaderDigest", RULE_DIGEST_LIST },
	[KEY_DATA_DIGEST]	= { "DataDigest", RULE_DIGEST_LIST },
	[KEY_MAX_CONNECTIONS]	= { "MaxConnections", RULE_MIN, 1, 65535,
				    OUR_MAX_CONNECTIONS, true, true },
	[KEY_SEND_TARGETS]	= { "SendTargets", RULE_IRRELEVANT },
	[KEY_TARGET_NAME]	= { "TargetName", RULE_DECLARE_TEXT },
	[KEY_INITIATOR_NAME]	= { "InitiatorName", RULE_DECLARE_TEXT },
	[KEY_TARGET_ALIAS]	= { "TargetAlias", RULE_TARGET_ONLY },
	[KEY_INITIATOR_ALIAS]	= { "InitiatorAlias", RULE_DECLARE_TEXT },
	[KEY_TARGET_ADDRESS]	= { "TargetAddress", RULE_TARGET_ONLY },
	[KEY_TPGT]		= { "TargetPortalGroupTag", RULE_TARGET_ONLY },
	[KEY_INITIAL_R2T]	= { "InitialR2T", RULE_OR, 0, 1, 0, true, true },
	[KEY_IMMEDIATE_DATA]	= { "ImmediateData", RULE_AND, 0, 1, 0, true,
				    true },
	[KEY_MAX_RECV_DSL]	= { "MaxRecvDataSegmentLength", RULE_DECLARE_NUM,
				    512, 16777215 },
	[KEY_MAX_BURST]		= { "MaxBurstLength", RULE_MIN, 512, 16777215,
				    0, true, true },
	[KEY_FIRST_BURST]	= { "FirstBurstLength", RULE_MIN, 512, 16777215,
				    0, true, true },
	[KEY_TIME2WAIT]		= { "DefaultTime2Wait", RULE_MAX, 0, 3600,
				    0, false, true },
	[KEY_TIME2RETAIN]	= { "DefaultTime2Retain", RULE_MIN, 0, 3600,
				    0, false, true },
	[KEY_MAX_R2T]		= { "MaxOutstandingR2T", RULE_MIN, 1, 65535,
				    0, true, true },
	[KEY_DATA_PDU_IN_ORDER]	= { "DataPDUInOrder", RULE_OR, 0, 1, 1, true,
				    true },
	[KEY_DATA_SEQ_IN_ORDER]	= { "DataSequenceInOrder", RULE_OR, 0, 1, 1,
				    true, true },
	[KEY_ERL]		= { "ErrorRecoveryLevel", RULE_MIN, 0, 2,
				    OUR_MAX_ERL, false, true },
	[KEY_SESSION_TYPE]	= { "SessionType", RULE_DECLARE_TEXT },
	[KEY_AUTH_METHOD]	= { "AuthMethod", RULE_AUTH_LIST },
	[KEY_OF_MARKER]		= { "OFMarker", RULE_MARKER },
	[KEY_IF_MARKER]		= { "IFMarker", RULE_MARKER },
	[KEY_OF_MARK_INT]	= { "OFMarkInt", RULE_IRRELEVANT },
	[KEY_IF_MARK_INT]	= { "IFMarkInt", RULE_IRRELEVANT },
	[KEY_TASK_REPORTING]	= { "TaskReporting", RULE_TASK_REPORTING },
};

/* Writes "key=value\0" into the response; false when it does not fit. */
static bool rsp_add(struct ispt_login *login, char *buf, u32 cap, u32 *len,
		    const char *key, const char *value)
{
	int n = snprintf(buf + *len, cap - *len, "%s=%s", key, value);

	if (n < 0 || *len + n + 1 > cap) {
		login->fail_reason = "response text too long";
		return false;
	}
	*len += n + 1;
	return true;
}

static bool parse_bool(const char *v, u32 *out)
{
	if (!strcmp(v, "Yes"))
		*out = 1;
	else if (!strcmp(v, "No"))
		*out = 0;
	else
		return false;
	return true;
}

/* Decimal or 0x hex, within [min, max] (RFC 7143 6.1 number encodings). */
static bool parse_num(const char *v, u32 min, u32 max, u32 *out)
{
	u64 n;

	if (!*v || kstrtou64(v, 0, &n) || n < min || n > max)
		return false;
	/* Octal is not an iSCSI encoding: a leading 0 must be "0" or "0x". */
	if (v[0] == '0' && v[1] && v[1] != 'x' && v[1] != 'X')
		return false;
	*out = n;
	return true;
}

/* First item of the initiator's comma-separated list we accept. */
static const char *pick_from_list(const char *list, const char *const *ours,
				  char *item, size_t size)
{
	while (*list) {
		size_t n = strcspn(list, ",");
		int i;

		if (n && n < size) {
			memcpy(item, list, n);
			item[n] = '\0';
			for (i = 0; ours[i]; i++)
				if (!strcmp(item, ours[i]))
					return ours[i];
		}
		list += n;
		if (*list == ',')
			list++;
	}
	return NULL;
}

/* A key RFC 7143 defines (or that we do), whatever the phase. */
bool ispt_login_key_known(const char *name)
{
	int i;

	for (i = 0; i < KEY_NR; i++)
		if (!strcmp(keys[i].name, name))
			return true;
	return false;
}

/* The digests the configured offer accepts (enum ispt_digest_offer). */
static const char *const digests[][3] = {
	[ISPT_DIGEST_ANY]	= { "CRC32C", "None", NULL },
	[ISPT_DIGEST_CRC32C]	= { "CRC32C", NULL },
	[ISPT_DIGEST_NONE]	= { "None", NULL },
};

/* Our side of a min/max/and/or key: the login's snapshot, or the table's. */
static u32 our_value(const struct ispt_login *login, enum key_id id)
{
	const struct ispt_login_defaults *d = &login->defaults;

	switch (id) {
	case KEY_INITIAL_R2T:
		return d->initial_r2t;
	case KEY_IMMEDIATE_DATA:
		return d->immediate_data;
	case KEY_MAX_BURST:
		return d->max_burst;
	case KEY_FIRST_BURST:
		return d->first_burst;
	case KEY_TIME2WAIT:
		return d->time2wait;
	case KEY_TIME2RETAIN:
		return d->time2retain;
	case KEY_MAX_R2T:
		return d->max_r2t;
	default:
		return keys[id].ours;
	}
}

static int login_key_lookup(const char *name)
{
	int i;

	for (i = 0; i < KEY_NR; i++)
		if (!strcmp(keys[i].name, name))
			return i;
	return -1;
}

static void store_value(struct ispt_login *login, enum key_id id, u32 value)
{
	struct ispt_login_keys *k = &login->keys;

	switch (id) {
	case KEY_MAX_RECV_DSL:
		k->their_max_recv_dsl = value;
		break;
	case KEY_MAX_BURST:
		k->max_burst = value;
		break;
	case KEY_FIRST_BURST:
		k->first_burst = value;
		break;
	case KEY_TIME2WAIT:
		k->time2wait = value;
		break;
	case KEY_TIME2RETAIN:
		k->time2retain = value;
		break;
	case KEY_MAX_R2T:
		k->max_r2t = value;
		break;
	case KEY_ERL:
		k->erl = value;
		break;
	case KEY_MAX_CONNECTIONS:
		k->max_conns = value;
		break;
	case KEY_INITIAL_R2T:
		k->initial_r2t = value;
		break;
	case KEY_IMMEDIATE_DATA:
		k->immediate_data = value;
		break;
	case KEY_DATA_PDU_IN_ORDER:
		k->data_pdu_in_order = value;
		break;
	case KEY_DATA_SEQ_IN_ORDER:
		k->data_seq_in_order = value;
		break;
	default:
		break;
	}
}

static bool declare_text(struct ispt_login *login, enum key_id id,
			 const char *value)
{
	switch (id) {
	case KEY_INITIATOR_NAME:
		return strscpy(login->initiator, value,
			       sizeof(login->initiator)) > 0;
	case KEY_TARGET_NAME:
		return strscpy(login->target_name, value,
			       sizeof(login->target_name)) > 0;
	case KEY_SESSION_TYPE:
		if (!strcmp(value, "Discovery"))
			login->discovery = true;
		else if (strcmp(value, "Normal"))
			return false;
		return true;
	default:
		return true;	/* InitiatorAlias: nothing to keep */
	}
}

/* Answer one key; false fails the login with login->fail_reason. */
static bool negotiate_key(struct ispt_login *login, enum key_id id,
			  const char *value, char *buf, u32 cap, u32 *len)
{
	const struct key_desc *d = &keys[id];
	char item[32], num[16];
	const char *pick;
	u8 offer;
	u32 v;

	if (d->normal_only && login->discovery)
		return rsp_add(login, buf, cap, len, d->name, "Irrelevant");
	/*
	 * A connection joining a session (TSIH != 0) takes the session's
	 * values of the leading-only keys; answering Irrelevant says so.
	 */
	if (d->leading_only && login->tsih)
		return rsp_add(login, buf, cap, len, d->name, "Irrelevant");

	switch (d->rule) {
	case RULE_DIGEST_LIST:
		offer = id == KEY_HEADER_DIGEST ? login->defaults.header_digest :
						  login->defaults.data_digest;
		pick = pick_from_list(value, digests[offer], item,
				      sizeof(item));
		if (!pick)
			return rsp_add(login, buf, cap, len, d->name, "Reject");
		if (id == KEY_HEADER_DIGEST)
			login->keys.header_digest = !strcmp(pick, "CRC32C");
		else
			login->keys.data_digest = !strcmp(pick, "CRC32C");
		return rsp_add(login, buf, cap, len, d->name, pick);
	case RULE_AUTH_LIST:
		/* Answered by the target's policy: ispt_login_auth_step(). */
		login->auth_offer = value;
		return true;
	case RULE_AND:
	case RULE_OR:
		if (!parse_bool(value, &v))
			return rsp_add(login, buf, cap, len, d->name, "Reject");
		v = d->rule == RULE_AND ? v && our_value(login, id) :
					  v || our_value(login, id);
		store_value(login, id, v);
		return rsp_add(login, buf, cap, len, d->name, v ? "Yes" : "No");
	case RULE_MIN:
	case RULE_MAX:
		if (!parse_num(value, d->min, d->max, &v))
			return rsp_add(login, buf, cap, len, d->name, "Reject");
		v = d->rule == RULE_MIN ? min(v, our_value(login, id)) :
					  max(v, our_value(login, id));
		if (id == KEY_MAX_CONNECTIONS)
			v = min(v, READ_ONCE(ispt_max_conns_per_session));
		store_value(login, id, v);
		snprintf(num, sizeof(num), "%u", v);
		return rsp_add(login, buf, cap, len, d->name, num);
	case RULE_DECLARE_NUM:
		if (!parse_num(value, d->min, d->max, &v))
			return rsp_add(login, buf, cap, len, d->name, "Reject");
		store_value(login, id, v);
		return true;
	case RULE_DECLARE_TEXT:
		if (!declare_text(login, id, value)) {
			login->fail_reason = "bad declarative key value";
			return false;
		}
		return true;
	case RULE_TARGET_ONLY:
		login->fail_reason = "initiator sent a target-only key";
		return false;
	case RULE_MARKER:
		return rsp_add(login, buf, cap, len, d->name, "No");
	case RULE_IRRELEVANT:
		return rsp_add(login, buf, cap, len, d->name, "Irrelevant");
	case RULE_TASK_REPORTING:
		return rsp_add(login, buf, cap, len, d->name, "RFC3720");
	}
	return false;
}

/**
 * ispt_login_keys_init - start a login's negotiation
 * @login: the login
 *
 * Takes the snapshot of the configured offer this login negotiates with,
 * whatever configfs changes meanwhile, and sets every key to its RFC 7143
 * section 13 default: a key the initiator never sends has that value on
 * both sides, whatever this target would have offered. DefaultTime2Retain
 * is the exception: with ERL 0 nothing is retained, so never more than
 * our value is claimed.
 */
void ispt_login_keys_init(struct ispt_login *login)
{
	struct ispt_login_keys *k = &login->keys;

	ispt_login_defaults_get(&login->defaults);
	k->their_max_recv_dsl = 8192;
	k->max_burst = 262144;
	k->first_burst = 65536;
	k->time2wait = 2;
	k->time2retain = min(20U, login->defaults.time2retain);
	k->max_r2t = 1;
	k->erl = 0;
	k->max_conns = 1;
	k->initial_r2t = true;
	k->immediate_data = true;
	k->data_pdu_in_order = true;
	k->data_seq_in_order = true;
	k->header_digest = false;
	k->data_digest = false;
}

/*
 * A digest the offer requires must have been agreed on before Full
 * Feature Phase: an initiator that offers only None is answered Reject,
 * one that does not send the key would otherwise get None by default.
 */
static bool digests_required_met(struct ispt_login *login)
{
	const struct ispt_login_defaults *d = &login->defaults;

	if (d->header_digest == ISPT_DIGEST_CRC32C && !login->keys.header_digest) {
		login->fail_reason = "HeaderDigest=CRC32C is required";
		return false;
	}
	if (d->data_digest == ISPT_DIGEST_CRC32C && !login->keys.data_digest) {
		login->fail_reason = "DataDigest=CRC32C is required";
		return false;
	}
	return true;
}

/**
 * ispt_login_negotiate_text - answer every key of the assembled request
 * @login: the login, with text/text_len set; the text is consumed
 * @buf: response text, "key=value\0" pairs appended at *@len
 * @cap: capacity of @buf
 * @len: bytes of @buf in use
 *
 * Return: false when the login must fail (login->fail_reason says why).
 */
bool ispt_login_negotiate_text(struct ispt_login *login, char *buf, u32 cap,
			       u32 *len)
{
	static const char discovery[] = "SessionType=Discovery";
	char *text = (char *)login->text;
	u32 off = 0;

	/*
	 * Which keys are Irrelevant depends on the session type, wherever
	 * in the request it comes; the pair itself is checked below.
	 */
	while (off < login->text_len) {
		size_t n = strnlen(text + off, login->text_len - off);

		if (n == sizeof(discovery) - 1 &&
		    !memcmp(text + off, discovery, n))
			login->discovery = true;
		off += n + 1;
	}
	off = 0;

	while (off < login->text_len) {
		char *pair = text + off, *eq, *value;
		size_t n = strnlen(pair, login->text_len - off);
		int id, bit;

		if (off + n == login->text_len) {
			login->fail_reason = "key=value pair not NUL-terminated";
			return false;
		}
		off += n + 1;
		if (!n)
			continue;	/* stray NUL padding */
		eq = strchr(pair, '=');
		if (!eq || eq == pair || eq - pair > KEY_MAX_LEN ||
		    strlen(eq + 1) > VALUE_MAX_LEN) {
			login->fail_reason = "malformed key=value pair";
			return false;
		}
		*eq = '\0';
		value = eq + 1;
		/* CHAP_* keys go to the security stage, repeats included. */
		if (!ispt_chap_key_set(&login->chap_keys, pair, value))
			continue;
		id = login_key_lookup(pair);
		if (id < 0) {
			if (!rsp_add(login, buf, cap, len, pair, "NotUnderstood"))
				return false;
			continue;
		}
		bit = BIT(id);
		if (login->keys_seen & bit) {
			login->fail_reason = "key negotiated twice";
			return false;
		}
		login->keys_seen |= bit;
		if (!negotiate_key(login, id, value, buf, cap, len))
			return false;
	}
	return true;
}

/* Keys the first request must carry, and the target it names. */
static struct ispt_login_status check_first(struct ispt_conn *conn,
					    struct ispt_login *login)
{
	struct ispt_target *target;

	if (!login->initiator[0]) {
		login->fail_reason = "no InitiatorName";
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, MISSING_FIELDS);
	}
	if (login->discovery)
		return ISPT_LOGIN_OK;
	if (!login->target_name[0]) {
		login->fail_reason = "no TargetName";
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, MISSING_FIELDS);
	}
	target = ispt_target_find(login->target_name);
	if (!target) {
		login->fail_reason = "no such target";
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, TGT_NOT_FOUND);
	}
	switch (ispt_target_access(target, conn->tpgt, login->initiator,
				   &conn->peer)) {
	case ISPT_ACCESS_ALLOWED:
		login->target = target;
		return ISPT_LOGIN_OK;
	case ISPT_ACCESS_NO_MAP:
		login->fail_reason = "target not exposed through this portal group";
		ispt_target_put(target);
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, TGT_NOT_FOUND);
	default:
		login->fail_reason = "initiator not allowed";
		ispt_target_put(target);
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, TGT_FORBIDDEN);
	}
}

/**
 * ispt_login_negotiate - answer the keys of one complete login request
 * @conn: the connection
 * @login: its login state, with the request text assembled
 * @s: the request's header
 * @buf: response text
 * @len: in: its capacity; out: bytes used
 * @transit: out: whether the target agrees to move to the next stage
 */
struct ispt_login_status ispt_login_negotiate(struct ispt_conn *conn,
					      struct ispt_login *login,
					      const struct ispt_pdu_summary *s,
					      char *buf, u32 *len, bool *transit)
{
	u32 cap = *len;
	char num[16];

	struct ispt_login_status st;

	*len = 0;
	*transit = s->login.transit;
	if (!login->keys_ready) {
		ispt_login_keys_init(login);
		login->keys_ready = true;
	}
	login->auth_offer = NULL;
	memset(&login->chap_keys, 0, sizeof(login->chap_keys));
	if (!ispt_login_negotiate_text(login, buf, cap, len))
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR);

	if (!login->first_checked) {
		st = check_first(conn, login);
		if (st.cls)
			return st;
		login->first_checked = true;
		ispt_login_auth_begin(login, login->discovery ?
				      &ispt_discovery_auth :
				      ispt_target_auth(login->target));
	}
	/* Nothing past the security stage before its requirement is met. */
	st = ispt_login_auth_step(login, s->login.csg, transit, buf, cap, len);
	if (st.cls)
		return st;

	/* Declarations the target owes, once: its tag and receive limit. */
	if (!login->discovery && !login->tpgt_sent) {
		snprintf(num, sizeof(num), "%u", conn->tpgt);
		if (!rsp_add(login, buf, cap, len, "TargetPortalGroupTag", num))
			return ISPT_LOGIN_FAIL(TARGET_ERR, TARGET_ERROR);
		login->tpgt_sent = true;
	}
	if (s->login.csg == ISCSI_OP_PARMS_NEGOTIATION_STAGE &&
	    !login->mrdsl_sent) {
		snprintf(num, sizeof(num), "%u", login->defaults.max_recv_dsl);
		if (!rsp_add(login, buf, cap, len, "MaxRecvDataSegmentLength", num))
			return ISPT_LOGIN_FAIL(TARGET_ERR, TARGET_ERROR);
		login->mrdsl_sent = true;
	}
	/* FirstBurstLength never exceeds MaxBurstLength (RFC 7143 13.14). */
	login->keys.first_burst = min(login->keys.first_burst,
				      login->keys.max_burst);
	if (*transit && s->login.nsg == ISCSI_FULL_FEATURE_PHASE &&
	    !digests_required_met(login))
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR);
	return ISPT_LOGIN_OK;
}

/* The final login response is queued: switch the connection over. */
int ispt_login_enter_ffp(struct ispt_conn *conn, struct ispt_login *login)
{
	const struct ispt_login_keys *k = &login->keys;
	u32 mrdsl = login->defaults.max_recv_dsl;
	u8 *data;

	/* What we declared at login, not what configfs says now. */
	data = kmalloc(mrdsl, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	kfree(conn->rx.data);
	conn->rx.data = data;
	conn->rx.data_cap = mrdsl;
	conn->max_recv_dsl = mrdsl;
	conn->max_send_dsl = k->their_max_recv_dsl;
	/* Digests start with the first PDU after this response. */
	conn->header_digest = k->header_digest;
	conn->data_digest = k->data_digest;
	conn->state = ISPT_CONN_FULL_FEATURE;
	conn->last_rx = jiffies;	/* the keepalive clock starts now */
	/* The session's keys were fixed by its leading login (login.c). */
	ispt_state_conn_publish(conn);

	ispt_login_free(conn);
	return 0;
}

void ispt_login_free(struct ispt_conn *conn)
{
	struct ispt_login *login = conn->login;

	if (!login)
		return;
	conn->login = NULL;
	ispt_login_auth_end(login);
	if (login->target)
		ispt_target_put(login->target);
	kfree(login->text);
	kfree(login);
}
