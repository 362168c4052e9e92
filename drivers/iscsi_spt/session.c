// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions and the Full Feature Phase dispatch: CmdSN ordering, NOP,
 * Logout, Text (SendTargets) and Reject. SCSI commands go to cmd.c.
 */
#include <linux/net.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "cmd.h"
#include "configfs.h"
#include "conn.h"
#include "login.h"
#include "pdu.h"
#include "pr.h"
#include "session.h"
#include "target.h"
#include "text.h"

static LIST_HEAD(ispt_sessions);
static DEFINE_SPINLOCK(ispt_sessions_lock);	/* protects ispt_sessions */
static unsigned int ispt_nr_sessions;		/* under ispt_sessions_lock */
static DEFINE_IDA(ispt_tsih_ida);

/* Limits, set through configfs (max_sessions, ...) at any time. */

/* TSIH 0 means "new session" on the wire, so handles start at 1. */
#define TSIH_MIN	1
#define TSIH_MAX	0xffff

/*
 * RFC 7143 6.3.5: a new session (TSIH 0) for an I_T nexus that already
 * has one (same initiator, ISID, target and portal group) replaces it.
 * The old session's connection is closed by its owner; its commands end
 * there. Called under ispt_sessions_lock, which keeps sess->conn valid.
 */
static void session_reinstate(struct ispt_session *new)
{
	struct ispt_session *old;

	list_for_each_entry(old, &ispt_sessions, node) {
		if (old->target != new->target || old->tpgt != new->tpgt ||
		    memcmp(old->isid, new->isid, sizeof(old->isid)) ||
		    strcasecmp(old->initiator, new->initiator) || !old->conn)
			continue;
		pr_info("%s: session 0x%04x reinstated by a new login (TSIH 0x%04x)\n",
			old->initiator, old->tsih, new->tsih);
		ispt_conn_request_close(old->conn);
	}
}

/**
 * ispt_sessions_request_logout - ask a target's initiators to log out
 * @target: the target
 * @pg_tag: only sessions through this portal group, or -1 for all
 *
 * Each session's connection sends an Async Message asking for a logout
 * and is dropped if none comes in time; for configuration changes that
 * take access away. From any context.
 */
void ispt_sessions_request_logout(const struct ispt_target *target, int pg_tag)
{
	struct ispt_session *sess;

	spin_lock(&ispt_sessions_lock);
	list_for_each_entry(sess, &ispt_sessions, node)
		if (sess->target == target && sess->conn &&
		    (pg_tag < 0 || sess->tpgt == pg_tag))
			ispt_conn_request_logout(sess->conn, true);
	spin_unlock(&ispt_sessions_lock);
}

/**
 * ispt_sessions_post_ua_luns - establish unit attentions on a target's nexuses
 * @target: the target whose LUs (or LUN inventory) changed
 * @luns: the LUNs, or one ISPT_UA_ALL_LUNS
 * @n: how many, at most ISPT_UA_MAX (a queue holds no more)
 * @asc_ascq: the condition
 * @except: the session that caused it and must not see it, or NULL
 *
 * Every session of @target can reach all of its LUNs. Sessions whose
 * connection has gone are ending and skipped. One walk of the sessions
 * whatever @n: the time under the lock is bounded by the session count
 * times ISPT_UA_MAX, however many LUNs a target reset concerns. From any
 * context but interrupts; never sleeps.
 */
void ispt_sessions_post_ua_luns(const struct ispt_target *target,
				const u64 *luns, unsigned int n, u16 asc_ascq,
				const struct ispt_session *except)
{
	struct ispt_session *sess;
	unsigned int i;

	n = min_t(unsigned int, n, ISPT_UA_MAX);
	spin_lock(&ispt_sessions_lock);
	list_for_each_entry(sess, &ispt_sessions, node) {
		if (sess->target != target || sess == except || !sess->conn)
			continue;
		for (i = 0; i < n; i++)
			ispt_ua_add(&sess->ua, luns[i], asc_ascq);
	}
	spin_unlock(&ispt_sessions_lock);
}

/* One condition for one LUN (or ISPT_UA_ALL_LUNS) of @target. */
void ispt_sessions_post_ua(const struct ispt_target *target, u16 lun,
			   u16 asc_ascq, const struct ispt_session *except)
{
	u64 id = lun;

	ispt_sessions_post_ua_luns(target, &id, 1, asc_ascq, except);
}

/* LUN @lun left @target: its pending conditions are about an LU gone. */
void ispt_sessions_forget_lun(const struct ispt_target *target, u16 lun)
{
	struct ispt_session *sess;

	spin_lock(&ispt_sessions_lock);
	list_for_each_entry(sess, &ispt_sessions, node)
		if (sess->target == target)
			ispt_ua_forget_lun(&sess->ua, lun);
	spin_unlock(&ispt_sessions_lock);
}

/* The I_T nexus of @sess: its initiator port, through its portal group. */
void ispt_session_nexus(const struct ispt_session *sess,
			struct ispt_scsi_nexus *n)
{
	n->initiator = sess->initiator;
	memcpy(n->isid, sess->isid, sizeof(n->isid));
	n->rel_port_id = sess->tpgt;
}

/**
 * ispt_sessions_post_ua_pr - a reservation's unit attention for a registrant
 * @target: the LU's target
 * @lun: the LU
 * @reg: the registration whose I_T nexuses are told
 * @asc_ascq: the condition (RESERVATIONS PREEMPTED, ...)
 *
 * Called under the LU's PR lock (pr.c's notify callback), so the sessions
 * lock nests inside it; nothing takes them the other way round. Never
 * sleeps.
 */
void ispt_sessions_post_ua_pr(const struct ispt_target *target, u16 lun,
			      const struct ispt_pr_reg *reg, u16 asc_ascq)
{
	struct ispt_scsi_nexus n;
	struct ispt_session *sess;

	spin_lock(&ispt_sessions_lock);
	list_for_each_entry(sess, &ispt_sessions, node) {
		if (sess->target != target || !sess->conn)
			continue;
		ispt_session_nexus(sess, &n);
		if (ispt_pr_nexus_matches(reg, &n))
			ispt_ua_add(&sess->ua, lun, asc_ascq);
	}
	spin_unlock(&ispt_sessions_lock);
}

struct ispt_session *ispt_session_create(struct ispt_conn *conn,
					 const u8 *isid, const char *initiator,
					 struct ispt_target *target,
					 u32 cmdsn)
{
	struct ispt_session *sess;
	int tsih;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return ERR_PTR(-ENOMEM);
	tsih = ida_alloc_range(&ispt_tsih_ida, TSIH_MIN, TSIH_MAX, GFP_KERNEL);
	if (tsih < 0) {
		kfree(sess);
		return ERR_PTR(tsih);
	}
	kref_init(&sess->kref);
	sess->tsih = tsih;
	sess->tpgt = conn->tpgt;
	memcpy(sess->isid, isid, sizeof(sess->isid));
	strscpy(sess->initiator, initiator, sizeof(sess->initiator));
	sess->target = target;
	sess->discovery = !target;
	sess->conn = conn;
	sess->cmd_window = ISPT_SESSION_CMD_WINDOW;
	sess->exp_cmdsn = cmdsn;
	sess->max_cmdsn = cmdsn + sess->cmd_window - 1;
	/*
	 * No power-on condition at login: many libiscsi tests take the
	 * first answer of a new session to be the command's own.
	 */
	ispt_ua_init(&sess->ua);

	/* Discovery sessions count too: each holds a connection. */
	spin_lock(&ispt_sessions_lock);
	if (ispt_nr_sessions >= READ_ONCE(ispt_max_sessions)) {
		spin_unlock(&ispt_sessions_lock);
		pr_warn_ratelimited("%s: %u sessions already (max_sessions), login refused\n",
				    initiator, ispt_nr_sessions);
		ida_free(&ispt_tsih_ida, tsih);
		kfree(sess);
		return ERR_PTR(-EUSERS);
	}
	ispt_nr_sessions++;
	if (target)
		session_reinstate(sess);
	list_add_tail(&sess->node, &ispt_sessions);
	spin_unlock(&ispt_sessions_lock);
	return sess;
}

static void session_release(struct kref *kref)
{
	struct ispt_session *sess = container_of(kref, struct ispt_session, kref);

	spin_lock(&ispt_sessions_lock);
	list_del(&sess->node);
	ispt_nr_sessions--;
	spin_unlock(&ispt_sessions_lock);
	if (sess->target)
		ispt_target_put(sess->target);
	ida_free(&ispt_tsih_ida, sess->tsih);
	kfree(sess);
}

/* Sessions alive, discovery ones too (the "objects" line of "stats") */
unsigned int ispt_sessions_count(void)
{
	unsigned int n;

	spin_lock(&ispt_sessions_lock);
	n = ispt_nr_sessions;
	spin_unlock(&ispt_sessions_lock);
	return n;
}

void ispt_session_put(struct ispt_session *sess)
{
	kref_put(&sess->kref, session_release);
}

/* The connection is being torn down; with one per session, so is it. */
void ispt_session_conn_gone(struct ispt_conn *conn)
{
	struct ispt_session *sess = conn->sess;

	if (!sess)
		return;
	conn->sess = NULL;
	/* Under the lock: session_reinstate() may be looking at it. */
	spin_lock(&ispt_sessions_lock);
	sess->conn = NULL;
	spin_unlock(&ispt_sessions_lock);
	/* I_T nexus loss: its RESERVE(6/10) reservations end (SPC-2 5.5.1). */
	if (sess->target) {
		struct ispt_scsi_nexus n;

		ispt_session_nexus(sess, &n);
		ispt_target_pr_nexus_lost(sess->target, &n);
	}
	ispt_session_put(sess);
}

/*
 * StatSN (advanced when the PDU carries status), ExpCmdSN and MaxCmdSN.
 * The window opens only as far as commands have ended, which bounds the
 * commands a session has alive by cmd_window (the limit on outstanding
 * commands; immediate commands, outside the window, aside). A response
 * with status counts its own command as ended, since it is; if the window
 * still ends up closed with nothing left to answer, ispt_session_cmd_gone()
 * reopens it.
 */
struct ispt_pdu_sn ispt_session_sn(struct ispt_conn *conn, bool advance)
{
	struct ispt_session *sess = conn->sess;
	u32 busy = conn->nr_cmds - (advance && conn->nr_cmds);
	u32 depth = sess->cmd_window - min(busy, sess->cmd_window);
	struct ispt_pdu_sn sn;

	sess->max_cmdsn = ispt_pdu_cmdsn_max(sess->exp_cmdsn, depth,
					     sess->max_cmdsn);
	sn.statsn = advance ? conn->statsn++ : conn->statsn;
	sn.exp_cmdsn = sess->exp_cmdsn;
	sn.max_cmdsn = sess->max_cmdsn;
	return sn;
}

/* Reject @reason: the offending header goes back as data. */
static int session_reject(struct ispt_conn *conn, enum ispt_pdu_reject reason)
{
	struct ispt_pdu_sn sn = ispt_session_sn(conn, true);
	struct ispt_tx_pdu *pdu;

	net_dbg_ratelimited("%pISpc: reject opcode 0x%02x reason 0x%02x\n",
			    &conn->peer, conn->rx.bhs.opcode, reason);
	pdu = ispt_tx_pdu_alloc(ISPT_BHS_LEN, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	memcpy(pdu->data, &conn->rx.bhs, ISPT_BHS_LEN);
	ispt_pdu_build_reject(&pdu->bhs, reason, 0, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

static int session_nop_out(struct ispt_conn *conn,
			   const struct ispt_pdu_summary *s)
{
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	u32 len;

	/* An answer to our own NOP-In: receiving it was the point. */
	if (s->itt == RESERVED_ITT)
		return 0;
	len = min(s->data_len, conn->max_send_dsl);
	pdu = ispt_tx_pdu_alloc(len, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	memcpy(pdu->data, conn->rx.data, len);
	sn = ispt_session_sn(conn, true);
	ispt_pdu_build_nop_in(&pdu->bhs, s->itt, ISCSI_RESERVED_TAG, s->lun,
			      len, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

/*
 * The last command of a closed window has gone: tell the initiator with a
 * NOP-In that wants no answer (RFC 7143 11.19), or it would wait for the
 * keepalive to learn it may send again.
 */
void ispt_session_cmd_gone(struct ispt_conn *conn)
{
	struct ispt_session *sess = conn->sess;
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;

	if (conn->nr_cmds || !sess || conn->state != ISPT_CONN_FULL_FEATURE ||
	    !iscsi_sna_lt(sess->max_cmdsn, sess->exp_cmdsn))
		return;
	pdu = ispt_tx_pdu_alloc(0, GFP_ATOMIC);
	if (!pdu)
		return;		/* the keepalive will carry it */
	sn = ispt_session_sn(conn, false);
	ispt_pdu_build_nop_in(&pdu->bhs, RESERVED_ITT, ISCSI_RESERVED_TAG, 0, 0,
			      &sn);
	ispt_conn_queue_pdu(conn, pdu);
}

/* A keepalive ping: NOP-In with a TTT, which the initiator must answer. */
int ispt_session_ping(struct ispt_conn *conn)
{
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;

	pdu = ispt_tx_pdu_alloc(0, GFP_ATOMIC);
	if (!pdu)
		return -ENOMEM;
	if (++conn->next_ttt == ISCSI_RESERVED_TAG)
		conn->next_ttt = 1;
	sn = ispt_session_sn(conn, false);
	ispt_pdu_build_nop_in(&pdu->bhs, RESERVED_ITT, conn->next_ttt, 0, 0, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

static int session_logout(struct ispt_conn *conn,
			  const struct ispt_pdu_summary *s)
{
	u8 response = ISCSI_LOGOUT_SUCCESS;
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;

	if (s->logout.reason == ISCSI_LOGOUT_REASON_RECOVERY)
		response = ISCSI_LOGOUT_RECOVERY_UNSUPPORTED;	/* ERL < 2 */
	else if (s->logout.reason != ISCSI_LOGOUT_REASON_CLOSE_SESSION &&
		 s->logout.cid != conn->cid)
		response = ISCSI_LOGOUT_CID_NOT_FOUND;
	pdu = ispt_tx_pdu_alloc(0, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	sn = ispt_session_sn(conn, true);
	/* Time2Wait/Time2Retain only mean something at ERL 2. */
	ispt_pdu_build_logout_rsp(&pdu->bhs, s->itt, response, 0, 0, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	if (response == ISCSI_LOGOUT_SUCCESS)
		conn->state = ISPT_CONN_LOGGED_OUT;
	return 0;
}

/* Text: SendTargets and the keys the Full Feature Phase may change. */
static int session_text(struct ispt_conn *conn,
			const struct ispt_pdu_summary *s)
{
	int ret = ispt_text_request(conn, s);

	return ret > 0 ? session_reject(conn, ret) : ret;
}

static int session_dispatch(struct ispt_conn *conn,
			    const struct ispt_pdu_summary *s)
{
	struct ispt_session *sess = conn->sess;
	enum ispt_pdu_reject reject;

	switch (s->kind) {
	case ISPT_PDU_NOP_OUT:
		return session_nop_out(conn, s);
	case ISPT_PDU_LOGOUT:
		return session_logout(conn, s);
	case ISPT_PDU_TEXT:
		return session_text(conn, s);
	case ISPT_PDU_SCSI_CMD:
		if (sess->discovery)
			return session_reject(conn, ISPT_PDU_REJECT_PROTOCOL_ERROR);
		/* Data the session's keys did not allow (RFC 7143 13.10, 13.11) */
		reject = ispt_pdu_check_unsolicited(s, sess->keys.immediate_data,
						    sess->keys.initial_r2t,
						    sess->keys.first_burst);
		if (reject != ISPT_PDU_REJECT_NONE) {
			ispt_cmd_rx_abandon(conn);
			return session_reject(conn, reject);
		}
		return ispt_cmd_handle(conn, s);
	case ISPT_PDU_TMF:
		if (sess->discovery)
			return session_reject(conn, ISPT_PDU_REJECT_PROTOCOL_ERROR);
		return ispt_cmd_tmf(conn, s);
	case ISPT_PDU_DATA_OUT:
		return ispt_cmd_data_out(conn, s);
	case ISPT_PDU_LOGIN:
		return session_reject(conn, ISPT_PDU_REJECT_PROTOCOL_ERROR);
	case ISPT_PDU_SNACK:
	default:
		return session_reject(conn, ISPT_PDU_REJECT_CMD_NOT_SUPPORTED);
	}
}

/* Full Feature Phase: check the header, order by CmdSN, dispatch. */
static int session_handle_pdu(struct ispt_conn *conn)
{
	struct ispt_session *sess = conn->sess;
	enum ispt_pdu_reject reject;
	struct ispt_pdu_summary s;

	reject = ispt_pdu_decode(&conn->rx.bhs, &s);
	/*
	 * Data the session's keys forbid is refused here, before its CmdSN
	 * is taken: a rejected command counts as not received (RFC 7143
	 * 7.3), and the initiator plugs the gap by sending it again.
	 */
	if (reject == ISPT_PDU_REJECT_NONE)
		reject = ispt_pdu_check_unsolicited(&s, sess->keys.immediate_data,
						    sess->keys.initial_r2t,
						    sess->keys.first_burst);
	if (reject != ISPT_PDU_REJECT_NONE) {
		ispt_cmd_rx_abandon(conn);
		return session_reject(conn, reject);
	}

	if (s.kind != ISPT_PDU_DATA_OUT && s.kind != ISPT_PDU_SNACK) {
		conn->exp_statsn = s.exp_statsn;
		if (!s.immediate) {
			switch (ispt_pdu_cmdsn_check(s.cmdsn, sess->exp_cmdsn,
						     sess->max_cmdsn)) {
			case ISPT_PDU_CMDSN_EXPECTED:
				/* MaxCmdSN moves with the next response. */
				sess->exp_cmdsn = ispt_pdu_cmdsn_advance(sess->exp_cmdsn);
				break;
			case ISPT_PDU_CMDSN_QUEUE:
			case ISPT_PDU_CMDSN_DROP:
				/*
				 * One connection delivers in order, so a gap
				 * means the initiator skipped a number; RFC
				 * 7143 3.2.2.1 says drop what is outside.
				 */
				net_dbg_ratelimited("%pISpc: CmdSN %u outside [%u, %u], dropped\n",
						    &conn->peer, s.cmdsn,
						    sess->exp_cmdsn,
						    sess->max_cmdsn);
				ispt_cmd_rx_abandon(conn);
				return 0;
			}
		}
	}
	return session_dispatch(conn, &s);
}

/*
 * A header is in and its data is next: writes take their data straight
 * into the pages the bios will use. Malformed headers are left to the
 * complete PDU's Reject.
 */
int ispt_conn_handle_header(struct ispt_conn *conn)
{
	struct ispt_pdu_summary s;

	if (conn->state != ISPT_CONN_FULL_FEATURE || conn->sess->discovery ||
	    ispt_pdu_decode(&conn->rx.bhs, &s) != ISPT_PDU_REJECT_NONE)
		return 0;
	if (s.kind == ISPT_PDU_SCSI_CMD && s.cmd.write)
		return ispt_cmd_rx_immediate(conn, &s);
	if (s.kind == ISPT_PDU_DATA_OUT)
		return ispt_cmd_rx_data_out(conn, &s);
	return 0;
}

int ispt_conn_handle_pdu(struct ispt_conn *conn)
{
	if (conn->state == ISPT_CONN_LOGIN)
		return ispt_login_handle(conn);
	return session_handle_pdu(conn);
}
