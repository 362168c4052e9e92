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

/* The last PDU of the exchange went through: enter Full Feature Phase. */
static struct ispt_login_status
login_complete(struct ispt_conn *conn, struct ispt_login *login)
{
	struct ispt_session *sess;

	if (login->tsih)
		return ISPT_LOGIN_FAIL(INITIATOR_ERR, NO_SESSION);
	sess = ispt_session_create(conn, login->isid, login->initiator,
				   login->target, login->cmdsn);
	if (IS_ERR(sess))
		return ISPT_LOGIN_FAIL(TARGET_ERR, NO_RESOURCES);
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
			return login_fail(conn, login, st, "cannot create the session");
		}
		login_send_rsp(conn, login, pdu, true, s.login.nsg, ISPT_LOGIN_OK);
		return ispt_login_enter_ffp(conn, login);
	}
	login_send_rsp(conn, login, pdu, transit, s.login.nsg, ISPT_LOGIN_OK);
	if (transit)
		login->stage = s.login.nsg;
	return 0;
}
