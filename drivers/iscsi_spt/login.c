// SPDX-License-Identifier: GPL-2.0
/*
 * The login phase (RFC 7143 sections 6.3 and 11.12-11.13): stages,
 * transitions, multi-PDU text, status codes. Key negotiation itself is
 * params.c's; authentication is chap.c's.
 *
 * Stages run SecurityNegotiation (0) -> LoginOperationalNegotiation (1)
 * -> FullFeaturePhase (3); an initiator may start in stage 1 when the
 * target asks for no authentication. A failed login gets one Login
 * Response with the status, then the connection closes.
 */
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "conn.h"
#include "login.h"
#include "pdu.h"
#include "session.h"
#include "target.h"

/* How much login text one exchange may accumulate across C-bit PDUs. */
#define LOGIN_MAX_TEXT		(64 * 1024)

static bool login_failed(struct ispt_login_status st)
{
	return st.cls != ISCSI_STATUS_CLS_SUCCESS;
}

static bool stage_valid(u8 stage)
{
	return stage == ISCSI_SECURITY_NEGOTIATION_STAGE ||
	       stage == ISCSI_OP_PARMS_NEGOTIATION_STAGE ||
	       stage == ISCSI_FULL_FEATURE_PHASE;
}

/* Structural checks of one Login Request against the exchange so far. */
struct ispt_login_status
ispt_login_check_pdu(const struct ispt_login *login,
		     const struct ispt_pdu_summary *s)
{
	if (s->login.transit && s->login.cont)
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR);
	if (!login->started) {
		if (s->login.version_min > ISCSI_DRAFT20_VERSION)
			return ISPT_LOGIN_FAIL(INITIATOR_ERR, NO_VERSION);
		if (s->login.csg != ISCSI_SECURITY_NEGOTIATION_STAGE &&
		    s->login.csg != ISCSI_OP_PARMS_NEGOTIATION_STAGE)
			return ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR);
		return ISPT_LOGIN_OK;
	}
	if (memcmp(s->login.isid, login->isid, sizeof(login->isid)) ||
	    s->login.tsih != login->tsih || s->login.cid != login->cid)
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR);
	if (s->login.csg != login->stage)
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR);
	return ISPT_LOGIN_OK;
}

/* A requested transition must go forward to a stage that exists. */
struct ispt_login_status
ispt_login_check_transit(const struct ispt_pdu_summary *s)
{
	if (!s->login.transit)
		return ISPT_LOGIN_OK;
	if (!stage_valid(s->login.nsg) || s->login.nsg <= s->login.csg)
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR);
	return ISPT_LOGIN_OK;
}

/**
 * ispt_login_join_verdict - may a non-leading login join the session?
 * @j: what the session lookup found
 * @st: out: the login status
 *
 * RFC 7143 6.3.1: a session is named by its TSIH, with the initiator
 * and ISID it was made for; an unknown one is 0x020a (session does not
 * exist), one of another target or portal group or a discovery session
 * 0x0208 (cannot include in session), one at its MaxConnections 0x0206
 * (too many connections). A CID already in use is connection
 * reinstatement (6.3.4), which adds nothing to the count.
 */
enum ispt_login_join_action
ispt_login_join_verdict(const struct ispt_login_join *j,
			struct ispt_login_status *st)
{
	*st = ISPT_LOGIN_OK;
	if (!j->found || !j->same_initiator || j->ending) {
		*st = ISPT_LOGIN_FAIL(INITIATOR_ERR, NO_SESSION);
		return ISPT_LOGIN_JOIN_REFUSE;
	}
	if (!j->same_target || j->discovery) {
		*st = ISPT_LOGIN_FAIL(INITIATOR_ERR, CONN_ADD_FAILED);
		return ISPT_LOGIN_JOIN_REFUSE;
	}
	if (j->cid_in_use)
		return ISPT_LOGIN_JOIN_REPLACE;
	if (j->nr_conns >= j->max_conns) {
		/* The header's name is RFC 3720's for the same code. */
		*st = ISPT_LOGIN_FAIL(INITIATOR_ERR, ISID_ERROR);
		return ISPT_LOGIN_JOIN_REFUSE;
	}
	return ISPT_LOGIN_JOIN_ADD;
}

static void login_send_rsp(struct ispt_conn *conn, struct ispt_login *login,
			   struct ispt_tx_pdu *pdu, bool transit, u8 nsg,
			   struct ispt_login_status st)
{
	struct ispt_pdu_login_rsp_args a = {
		.itt = login->itt,
		.tsih = login->tsih,
		.transit = transit,
		.csg = login->stage,
		.nsg = nsg,
		.version_max = ISCSI_DRAFT20_VERSION,
		.version_active = ISCSI_DRAFT20_VERSION,
		.status_class = st.cls,
		.status_detail = st.detail,
		.data_len = pdu->data_len,
	};
	struct ispt_pdu_sn sn = {
		.statsn = conn->statsn++,
		.exp_cmdsn = login->cmdsn,
		.max_cmdsn = login->cmdsn + ISPT_SESSION_CMD_WINDOW - 1,
	};

	/* A connection that joined a session answers with its window. */
	if (conn->sess)
		ispt_session_cmdsn(conn->sess, &sn.exp_cmdsn, &sn.max_cmdsn);
	memcpy(a.isid, login->isid, sizeof(a.isid));
	ispt_pdu_build_login_rsp(&pdu->bhs, &a, &sn);
	ispt_conn_queue_pdu(conn, pdu);
}

/* Answer with @st and no data, then close once it is sent. */
static int login_fail(struct ispt_conn *conn, struct ispt_login *login,
		      struct ispt_login_status st, const char *why)
{
	struct ispt_tx_pdu *pdu;

	net_info_ratelimited("%pISpc: login failed (%02x%02x): %s\n",
			     &conn->peer, st.cls, st.detail, why);
	pdu = ispt_tx_pdu_alloc(0, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	login_send_rsp(conn, login, pdu, false, 0, st);
	conn->state = ISPT_CONN_LOGGED_OUT;
	return 0;
}

static int login_append_text(struct ispt_login *login, const u8 *data,
			     u32 len)
{
	u8 *text;

	if (login->text_len + len > LOGIN_MAX_TEXT)
		return -E2BIG;
	text = krealloc(login->text, login->text_len + len, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	memcpy(text + login->text_len, data, len);
	login->text = text;
	login->text_len += len;
	return 0;
}

static void login_remember_first(struct ispt_conn *conn,
				 struct ispt_login *login,
				 const struct ispt_pdu_summary *s)
{
	login->started = true;
	memcpy(login->isid, s->login.isid, sizeof(login->isid));
	login->tsih = s->login.tsih;
	login->cid = s->login.cid;
	login->cmdsn = s->cmdsn;
	login->stage = s->login.csg;
	conn->cid = s->login.cid;
}

/* The session-wide keys a leading login settled. */
static void login_session_keys(const struct ispt_login_keys *k,
			       struct ispt_session_keys *sk)
{
	sk->max_burst = k->max_burst;
	sk->first_burst = k->first_burst;
	sk->max_outstanding_r2t = k->max_r2t;
	sk->time2wait = k->time2wait;
	sk->time2retain = k->time2retain;
	sk->max_connections = k->max_conns;
	sk->erl = k->erl;
	sk->initial_r2t = k->initial_r2t;
	sk->immediate_data = k->immediate_data;
	sk->data_pdu_in_order = k->data_pdu_in_order;
	sk->data_sequence_in_order = k->data_seq_in_order;
}

/* The last PDU of the exchange went through: enter Full Feature Phase. */
static struct ispt_login_status
login_complete(struct ispt_conn *conn, struct ispt_login *login)
{
	struct ispt_session_keys keys;
	struct ispt_session *sess;

	/* A non-leading login: the session's keys hold, ours are ignored. */
	if (login->tsih) {
		struct ispt_login_status st = ispt_session_join(conn, login);

		if (login_failed(st))
			login->fail_reason = "cannot join the session";
		else
			ispt_session_spread(conn);
		return st;
	}
	login_session_keys(&login->keys, &keys);
	sess = ispt_session_create(conn, login->isid, login->initiator,
				   login->target, login->cmdsn, &keys);
	if (IS_ERR(sess)) {
		login->fail_reason = "cannot create the session";
		return ISPT_LOGIN_FAIL(TARGET_ERR, NO_RESOURCES);
	}
	login->target = NULL;	/* the session holds the reference now */
	login->tsih = sess->tsih;
	conn->sess = sess;
	return ISPT_LOGIN_OK;
}

/**
 * ispt_login_handle - handle one PDU of the login phase
 * @conn: the connection, in its owner's context
 *
 * Return: 0, or -errno to drop the connection without an answer (a PDU
 * that is not a Login Request, or no memory for one).
 */
int ispt_login_handle(struct ispt_conn *conn)
{
	struct ispt_login *login = conn->login;
	enum ispt_pdu_reject reject;
	struct ispt_pdu_summary s;
	struct ispt_login_status st;
	struct ispt_tx_pdu *pdu;
	bool transit;
	int ret;

	reject = ispt_pdu_decode(&conn->rx.bhs, &s);
	if (s.opcode != ISCSI_OP_LOGIN) {
		net_info_ratelimited("%pISpc: opcode 0x%02x during login\n",
				     &conn->peer, conn->rx.bhs.opcode);
		return -EPROTO;
	}
	login->itt = s.itt;
	st = ispt_login_check_pdu(login, &s);
	if (!login->started)
		login_remember_first(conn, login, &s);
	if (login_failed(st))
		return login_fail(conn, login, st, "bad login request");
	/* No Reject during login: a malformed request fails the login. */
	if (reject != ISPT_PDU_REJECT_NONE)
		return login_fail(conn, login,
				  ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR),
				  "malformed login request");
	st = ispt_login_check_transit(&s);
	if (login_failed(st))
		return login_fail(conn, login, st, "bad stage transition");

	ret = login_append_text(login, conn->rx.data, conn->rx.data_len);
	if (ret == -E2BIG)
		return login_fail(conn, login, ISPT_LOGIN_FAIL(INITIATOR_ERR, INIT_ERR),
				  "login text too long");
	if (ret)
		return ret;

	/* RFC 7143 6.2: answer a continued request with an empty response. */
	if (s.login.cont) {
		pdu = ispt_tx_pdu_alloc(0, GFP_KERNEL);
		if (!pdu)
			return -ENOMEM;
		login_send_rsp(conn, login, pdu, false, 0, ISPT_LOGIN_OK);
		return 0;
	}

	pdu = ispt_tx_pdu_alloc(conn->max_send_dsl, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	st = ispt_login_negotiate(conn, login, &s, pdu->data, &pdu->data_len,
				  &transit);
	kfree(login->text);
	login->text = NULL;
	login->text_len = 0;
	if (login_failed(st)) {
		ispt_tx_pdu_free(pdu);
		return login_fail(conn, login, st, login->fail_reason);
	}

	if (transit && s.login.nsg == ISCSI_FULL_FEATURE_PHASE) {
		st = login_complete(conn, login);
		if (login_failed(st)) {
			ispt_tx_pdu_free(pdu);
			return login_fail(conn, login, st, login->fail_reason);
		}
		login_send_rsp(conn, login, pdu, true, s.login.nsg, ISPT_LOGIN_OK);
		return ispt_login_enter_ffp(conn, login);
	}
	login_send_rsp(conn, login, pdu, transit, s.login.nsg, ISPT_LOGIN_OK);
	if (transit)
		login->stage = s.login.nsg;
	return 0;
}
