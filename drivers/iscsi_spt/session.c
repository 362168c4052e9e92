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
 * The session ends: no connection may join it any more, and each one's
 * owner is asked to close it (their commands end there). A connection
 * stays on the list until its own teardown takes it off.
 */
static void session_end_locked(struct ispt_session *sess)
{
	struct ispt_conn *conn;

	lockdep_assert_held(&sess->lock);
	sess->ending = true;
	list_for_each_entry(conn, &sess->conns, sess_node)
		ispt_conn_request_close(conn);
}

/*
 * RFC 7143 6.3.5: a new session (TSIH 0) for an I_T nexus that already
 * has one (same initiator, ISID, target and portal group) replaces it.
 * Called under ispt_sessions_lock.
 */
static void session_reinstate(struct ispt_session *new)
{
	struct ispt_session *old;

	list_for_each_entry(old, &ispt_sessions, node) {
		if (old->target != new->target || old->tpgt != new->tpgt ||
		    memcmp(old->isid, new->isid, sizeof(old->isid)) ||
		    strcasecmp(old->initiator, new->initiator))
			continue;
		spin_lock(&old->lock);
		if (old->nr_conns) {
			pr_info("%s: session 0x%04x reinstated by a new login (TSIH 0x%04x)\n",
				old->initiator, old->tsih, new->tsih);
			session_end_locked(old);
		}
		spin_unlock(&old->lock);
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
	struct ispt_conn *conn;

	spin_lock(&ispt_sessions_lock);
	list_for_each_entry(sess, &ispt_sessions, node) {
		if (sess->target != target ||
		    (pg_tag >= 0 && sess->tpgt != pg_tag))
			continue;
		spin_lock(&sess->lock);
		list_for_each_entry(conn, &sess->conns, sess_node)
			ispt_conn_request_logout(conn, true);
		spin_unlock(&sess->lock);
	}
	spin_unlock(&ispt_sessions_lock);
}

/**
 * ispt_session_walk_conns - visit the connections of a session
 * @sess: the session
 * @fn: called for each, under @sess->lock (so it must not sleep); a
 *	false return stops the walk
 * @arg: for @fn
 */
void ispt_session_walk_conns(struct ispt_session *sess,
			     bool (*fn)(struct ispt_conn *conn, void *arg),
			     void *arg)
{
	struct ispt_conn *conn;

	spin_lock(&sess->lock);
	list_for_each_entry(conn, &sess->conns, sess_node)
		if (!fn(conn, arg))
			break;
	spin_unlock(&sess->lock);
}

/**
 * ispt_sessions_walk_conns - visit the connections of a target's sessions
 * @target: the target
 * @reg: only the sessions of this registration's I_T nexuses, or NULL
 * @fn: called for each, under the session locks (so it must not sleep);
 *	a false return stops the walk
 * @arg: for @fn
 *
 * For what reaches every I_T nexus of the target (task management that
 * resets a logical unit or the target) or the preempted ones (PREEMPT
 * AND ABORT, under the LU's PR lock like ispt_sessions_post_ua_pr()).
 */
void ispt_sessions_walk_conns(const struct ispt_target *target,
			      const struct ispt_pr_reg *reg,
			      bool (*fn)(struct ispt_conn *conn, void *arg),
			      void *arg)
{
	struct ispt_scsi_nexus n;
	struct ispt_session *sess;
	struct ispt_conn *conn;

	spin_lock(&ispt_sessions_lock);
	list_for_each_entry(sess, &ispt_sessions, node) {
		if (sess->target != target)
			continue;
		if (reg) {
			ispt_session_nexus(sess, &n);
			if (!ispt_pr_nexus_matches(reg, &n))
				continue;
		}
		spin_lock(&sess->lock);
		list_for_each_entry(conn, &sess->conns, sess_node) {
			if (!fn(conn, arg)) {
				spin_unlock(&sess->lock);
				goto out;
			}
		}
		spin_unlock(&sess->lock);
	}
out:
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
 * connections have all gone are ending and skipped. One walk of the sessions
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
		if (sess->target != target || sess == except ||
		    !READ_ONCE(sess->nr_conns))
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
		if (sess->target != target || !READ_ONCE(sess->nr_conns))
			continue;
		ispt_session_nexus(sess, &n);
		if (ispt_pr_nexus_matches(reg, &n))
			ispt_ua_add(&sess->ua, lun, asc_ascq);
	}
	spin_unlock(&ispt_sessions_lock);
}

/**
 * ispt_session_create - a new session, for a leading login (TSIH 0)
 * @conn: its first connection
 * @isid: the initiator's session ID
 * @initiator: the initiator's name
 * @target: the target, whose reference the session takes; NULL: discovery
 * @cmdsn: the login's CmdSN, the first ExpCmdSN
 * @keys: the session-wide keys negotiated, fixed from now on
 *
 * Return: the session, with @conn on it, or ERR_PTR.
 */
struct ispt_session *ispt_session_create(struct ispt_conn *conn,
					 const u8 *isid, const char *initiator,
					 struct ispt_target *target, u32 cmdsn,
					 const struct ispt_session_keys *keys)
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
	spin_lock_init(&sess->lock);
	INIT_LIST_HEAD(&sess->conns);
	INIT_LIST_HEAD(&sess->cmds_blocked);
	list_add_tail(&conn->sess_node, &sess->conns);
	sess->nr_conns = 1;
	atomic_set(&sess->nr_cmds, 0);
	/* Before the session is on the list, where other logins find it. */
	sess->keys = *keys;
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

/* ispt_session_join()'s decision and its effect, under @sess->lock. */
static struct ispt_login_status session_join_locked(struct ispt_session *sess,
						    struct ispt_conn *conn,
						    const struct ispt_login *login)
{
	struct ispt_login_join j = { .found = true };
	enum ispt_login_join_action act;
	struct ispt_conn *c, *old = NULL;
	struct ispt_login_status st;

	lockdep_assert_held(&sess->lock);
	j.same_initiator = !memcmp(sess->isid, login->isid, sizeof(sess->isid)) &&
			   !strcasecmp(sess->initiator, login->initiator);
	j.same_target = sess->target == login->target &&
			sess->tpgt == conn->tpgt;
	j.discovery = sess->discovery || login->discovery;
	j.ending = sess->ending || !sess->nr_conns;
	list_for_each_entry(c, &sess->conns, sess_node)
		if (c->cid == login->cid)
			old = c;
	j.cid_in_use = old;
	j.nr_conns = sess->nr_conns;
	j.max_conns = sess->keys.max_connections;

	act = ispt_login_join_verdict(&j, &st);
	if (act == ISPT_LOGIN_JOIN_REFUSE)
		return st;
	kref_get(&sess->kref);
	if (act == ISPT_LOGIN_JOIN_REPLACE) {
		/* Its end must not end the session it leaves. */
		old->leaves_alone = true;
		list_del_init(&old->sess_node);
		sess->nr_conns--;
		ispt_conn_request_close(old);
		pr_info("%s: connection %u of session 0x%04x reinstated\n",
			sess->initiator, login->cid, sess->tsih);
	}
	list_add_tail(&conn->sess_node, &sess->conns);
	WRITE_ONCE(sess->nr_conns, sess->nr_conns + 1);
	conn->sess = sess;
	return st;
}

/**
 * ispt_session_join - add a connection to a session (TSIH != 0)
 * @conn: the new connection, at the end of its login
 * @login: the login, past its access checks: names, TSIH, CID, target
 *
 * RFC 7143 6.3.1 and 6.3.4: the login names the session by its TSIH; a
 * CID already in use reinstates that connection (the old one is closed
 * and its tasks end there, ERL 0), else the connection is added as far
 * as MaxConnections allows.
 *
 * Return: the login status; on success @conn->sess is set and holds a
 * reference.
 */
struct ispt_login_status ispt_session_join(struct ispt_conn *conn,
					   const struct ispt_login *login)
{
	struct ispt_login_join none = { };
	struct ispt_session *sess;
	struct ispt_login_status st;

	spin_lock(&ispt_sessions_lock);
	list_for_each_entry(sess, &ispt_sessions, node) {
		if (sess->tsih == login->tsih) {
			spin_lock(&sess->lock);
			st = session_join_locked(sess, conn, login);
			spin_unlock(&sess->lock);
			spin_unlock(&ispt_sessions_lock);
			return st;
		}
	}
	spin_unlock(&ispt_sessions_lock);
	ispt_login_join_verdict(&none, &st);
	return st;
}

/*
 * A connection that just joined its session moves, between two of its
 * turns, to an allowed CPU none of the session's other connections is
 * on, if there is one: connections get their CPU at accept, before
 * anyone knows which session they are for, and the point of MC/S is
 * more than one CPU's worth of I/O. The connection has no command yet.
 */
void ispt_session_spread(struct ispt_conn *conn)
{
	struct ispt_session *sess = conn->sess;
	struct ispt_conn *c;
	cpumask_var_t used;

	if (!zalloc_cpumask_var(&used, GFP_KERNEL))
		return;		/* it stays where it is */
	spin_lock(&sess->lock);
	list_for_each_entry(c, &sess->conns, sess_node)
		if (c != conn)
			cpumask_set_cpu(READ_ONCE(c->work.cpu), used);
	spin_unlock(&sess->lock);
	ispt_work_spread(&conn->work, conn->cpus, used);
	free_cpumask_var(used);
}

/*
 * I_T nexus loss: its RESERVE(6/10) reservations end (SPC-2 5.5.1). At a
 * Logout that closes the session this is done before the answer, so that
 * an initiator that logs in again at once (libiscsi's tests do) finds
 * them gone, and not later, when the old connection's teardown could
 * undo a reservation the new session has taken.
 */
static void session_nexus_lost(struct ispt_session *sess)
{
	struct ispt_scsi_nexus n;

	/* Once: its last connection's teardown may come on another CPU. */
	if (!sess->target || test_and_set_bit(0, &sess->nexus_lost))
		return;
	ispt_session_nexus(sess, &n);
	ispt_target_pr_nexus_lost(sess->target, &n);
}

/*
 * The connection is being torn down. At ErrorRecoveryLevel 0 a
 * connection that fails ends its session (RFC 7143 section 7: session
 * recovery is the only recovery there), unless it logged out alone or
 * was replaced by connection reinstatement.
 */
void ispt_session_conn_gone(struct ispt_conn *conn)
{
	struct ispt_session *sess = conn->sess;
	bool last;

	if (!sess)
		return;
	conn->sess = NULL;
	spin_lock(&sess->lock);
	if (conn->parked) {
		conn->parked = false;
		sess->nr_parked--;
	}
	ispt_cmds_leave_task_set_locked(sess, conn);
	if (!list_empty(&conn->sess_node)) {
		list_del_init(&conn->sess_node);
		WRITE_ONCE(sess->nr_conns, sess->nr_conns - 1);
	}
	if (!conn->leaves_alone)
		session_end_locked(sess);
	last = !sess->nr_conns;
	spin_unlock(&sess->lock);
	/* Its commands still alive end unseen by the window. */
	atomic_sub(conn->nr_cmds, &sess->nr_cmds);
	if (last)
		session_nexus_lost(sess);
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
	u32 busy = atomic_read(&sess->nr_cmds);
	struct ispt_pdu_sn sn;
	u32 depth;

	busy -= advance && busy;
	depth = sess->cmd_window - min(busy, sess->cmd_window);
	sn.statsn = advance ? conn->statsn++ : conn->statsn;
	spin_lock(&sess->lock);
	sess->max_cmdsn = ispt_pdu_cmdsn_max(sess->exp_cmdsn, depth,
					     sess->max_cmdsn);
	sn.exp_cmdsn = sess->exp_cmdsn;
	sn.max_cmdsn = sess->max_cmdsn;
	spin_unlock(&sess->lock);
	return sn;
}

/* The window as it stands, for a login response or a TMF's check. */
void ispt_session_cmdsn(struct ispt_session *sess, u32 *exp, u32 *max)
{
	spin_lock(&sess->lock);
	*exp = sess->exp_cmdsn;
	*max = sess->max_cmdsn;
	spin_unlock(&sess->lock);
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
	u32 exp, max;

	if (!sess || conn->state != ISPT_CONN_FULL_FEATURE ||
	    atomic_read(&sess->nr_cmds))
		return;
	ispt_session_cmdsn(sess, &exp, &max);
	if (!iscsi_sna_lt(max, exp))
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

/*
 * Logout (RFC 7143 11.14): closing the session ends every connection of
 * it; closing a connection (this one, or another named by its CID, as an
 * initiator does for one that failed) leaves the others working.
 */
static u8 session_logout_apply(struct ispt_conn *conn,
			       const struct ispt_pdu_summary *s)
{
	struct ispt_session *sess = conn->sess;
	struct ispt_conn *c, *victim = NULL;

	if (s->logout.reason == ISCSI_LOGOUT_REASON_RECOVERY)
		return ISCSI_LOGOUT_RECOVERY_UNSUPPORTED;	/* ERL < 2 */
	spin_lock(&sess->lock);
	if (s->logout.reason == ISCSI_LOGOUT_REASON_CLOSE_SESSION) {
		/* This one closes once its answer is out. */
		list_for_each_entry(c, &sess->conns, sess_node)
			if (c != conn)
				ispt_conn_request_close(c);
		sess->ending = true;
		spin_unlock(&sess->lock);
		conn->state = ISPT_CONN_LOGGED_OUT;
		session_nexus_lost(sess);
		return ISCSI_LOGOUT_SUCCESS;
	}
	list_for_each_entry(c, &sess->conns, sess_node)
		if (c->cid == s->logout.cid)
			victim = c;
	if (victim)
		victim->leaves_alone = true;
	spin_unlock(&sess->lock);
	if (!victim)
		return ISCSI_LOGOUT_CID_NOT_FOUND;
	if (victim == conn)
		conn->state = ISPT_CONN_LOGGED_OUT;
	else
		ispt_conn_request_close(victim);
	return ISCSI_LOGOUT_SUCCESS;
}

static int session_logout(struct ispt_conn *conn,
			  const struct ispt_pdu_summary *s)
{
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	u8 response;

	pdu = ispt_tx_pdu_alloc(0, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	response = session_logout_apply(conn, s);
	sn = ispt_session_sn(conn, true);
	/* Time2Wait/Time2Retain only mean something at ERL 2. */
	ispt_pdu_build_logout_rsp(&pdu->bhs, s->itt, response, 0, 0, &sn);
	ispt_conn_queue_pdu(conn, pdu);
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
	int ret;

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
		ret = ispt_snack_handle(conn, s);
		return ret > 0 ? session_reject(conn, ret) : ret;
	default:
		return session_reject(conn, ISPT_PDU_REJECT_CMD_NOT_SUPPORTED);
	}
}

enum session_cmdsn_verdict {
	SESSION_CMDSN_TAKEN,
	SESSION_CMDSN_PARKED,
	SESSION_CMDSN_DROP,
};

static void session_unpark_locked(struct ispt_session *sess,
				  struct ispt_conn *conn)
{
	if (conn->parked) {
		conn->parked = false;
		sess->nr_parked--;
	}
}

/* @conn's rx PDU waits until ExpCmdSN reaches @cmdsn. */
static void session_park_locked(struct ispt_session *sess,
				struct ispt_conn *conn, u32 cmdsn)
{
	if (!conn->parked) {
		conn->parked = true;
		sess->nr_parked++;
	}
	conn->parked_cmdsn = cmdsn;
}

/* ExpCmdSN was taken: the parked connections whose CmdSN came go on. */
static void session_advance_locked(struct ispt_session *sess)
{
	struct ispt_conn *c;

	lockdep_assert_held(&sess->lock);
	/* MaxCmdSN moves with the next response. */
	sess->exp_cmdsn = ispt_pdu_cmdsn_advance(sess->exp_cmdsn);
	if (sess->nr_parked)
		list_for_each_entry(c, &sess->conns, sess_node)
			if (c->parked &&
			    !iscsi_sna_gt(c->parked_cmdsn, sess->exp_cmdsn))
				ispt_work_queue(&c->work);
}

/**
 * ispt_session_skip_cmdsn - count a command that never came as received
 * @sess: the session
 * @cmdsn: its CmdSN
 *
 * ABORT TASK of a task no connection has, whose RefCmdSN is in the
 * window and before the TMF (RFC 7143 11.5.1 b): the target considers it
 * received, so it never runs should it still arrive (a duplicate then),
 * and the commands after it need not wait for it. Only a CmdSN that is
 * ExpCmdSN is taken: one further on would need a record of the holes.
 *
 * Return: whether @cmdsn was taken.
 */
bool ispt_session_skip_cmdsn(struct ispt_session *sess, u32 cmdsn)
{
	bool taken;

	spin_lock(&sess->lock);
	taken = cmdsn == sess->exp_cmdsn;
	if (taken)
		session_advance_locked(sess);
	spin_unlock(&sess->lock);
	return taken;
}

/**
 * ispt_session_rejected_cmdsn - note the CmdSN of a PDU just rejected
 * @conn: its connection, whose rx header is the PDU's
 *
 * A PDU refused for its data digest does not take its CmdSN (RFC 7143
 * 7.8), and the initiator sends it again on this same connection. A later
 * PDU of this connection must then not be parked behind that gap: the
 * retry would come behind it, on a connection that reads no further.
 */
void ispt_session_rejected_cmdsn(struct ispt_conn *conn)
{
	struct ispt_pdu_summary s;

	if (ispt_pdu_decode(&conn->rx.bhs, &s) != ISPT_PDU_REJECT_NONE ||
	    s.immediate || s.kind == ISPT_PDU_DATA_OUT ||
	    s.kind == ISPT_PDU_SNACK)
		return;
	conn->retry_due = true;
	conn->retry_cmdsn = s.cmdsn;
}

/* Whether the gap before @cmdsn holds a CmdSN @conn itself must retry. */
static bool session_gap_is_own_locked(struct ispt_conn *conn, u32 cmdsn)
{
	struct ispt_session *sess = conn->sess;

	if (!conn->retry_due)
		return false;
	if (iscsi_sna_lt(conn->retry_cmdsn, sess->exp_cmdsn)) {
		conn->retry_due = false;	/* taken since */
		return false;
	}
	return iscsi_sna_lt(conn->retry_cmdsn, cmdsn);
}

/*
 * Take @cmdsn for a non-immediate PDU of @conn. On one connection PDUs
 * come in order, so a gap means the initiator skipped a number and RFC
 * 7143 3.2.2.1 has it dropped. With MC/S the missing command may still
 * be on its way on another connection (another CPU): the PDU is parked
 * (ISPT_PDU_PARKED) and its connection reads nothing more until whoever
 * takes the missing number queues it again; one never sent ends the
 * session through the keepalive, which the parked connection cannot
 * answer. The rx buffer is the parking space, so a session holds at most
 * one early PDU per connection and nothing waits on a list.
 */
static enum session_cmdsn_verdict session_take_cmdsn(struct ispt_conn *conn,
						     const struct ispt_pdu_summary *s)
{
	struct ispt_session *sess = conn->sess;
	enum session_cmdsn_verdict v = SESSION_CMDSN_DROP;
	u32 cmdsn = s->cmdsn;

	spin_lock(&sess->lock);
	switch (ispt_pdu_cmdsn_check(cmdsn, sess->exp_cmdsn, sess->max_cmdsn)) {
	case ISPT_PDU_CMDSN_EXPECTED:
		session_unpark_locked(sess, conn);
		session_advance_locked(sess);
		/* Its place in the task set is its place in CmdSN order. */
		if (s->kind == ISPT_PDU_SCSI_CMD)
			ispt_cmd_rx_admit_locked(conn);
		v = SESSION_CMDSN_TAKEN;
		break;
	case ISPT_PDU_CMDSN_QUEUE:
		if (sess->keys.max_connections > 1 &&
		    !session_gap_is_own_locked(conn, cmdsn)) {
			session_park_locked(sess, conn, cmdsn);
			v = SESSION_CMDSN_PARKED;
			break;
		}
		fallthrough;
	case ISPT_PDU_CMDSN_DROP:
		session_unpark_locked(sess, conn);
		break;
	}
	spin_unlock(&sess->lock);
	return v;
}

/*
 * An immediate TMF that acts on the commands before it (RFC 7143 11.5.1)
 * and whose CmdSN is ahead of ExpCmdSN: with MC/S the missing commands
 * may still be on their way on other connections. It is parked like a
 * command past a gap until they have all come (ExpCmdSN reaches its
 * CmdSN), so that it reaches them too. One connection delivers in order,
 * so a single-connection session never has such a gap.
 */
static bool session_tmf_waits(struct ispt_conn *conn,
			      const struct ispt_pdu_summary *s)
{
	struct ispt_session *sess = conn->sess;
	bool wait;

	if (sess->keys.max_connections < 2 ||
	    !ispt_tmf_waits_for_earlier(s->tmf.function))
		return false;
	spin_lock(&sess->lock);
	wait = ispt_pdu_cmdsn_check(s->cmdsn, sess->exp_cmdsn,
				    sess->max_cmdsn) == ISPT_PDU_CMDSN_QUEUE &&
	       !session_gap_is_own_locked(conn, s->cmdsn);
	if (wait)
		session_park_locked(sess, conn, s->cmdsn);
	else
		session_unpark_locked(sess, conn);
	spin_unlock(&sess->lock);
	return wait;
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

	if (s.kind == ISPT_PDU_SCSI_CMD && !sess->discovery)
		ispt_cmd_rx_prepare(conn, &s);
	if (s.kind != ISPT_PDU_DATA_OUT && s.kind != ISPT_PDU_SNACK) {
		conn->exp_statsn = s.exp_statsn;
		ispt_snack_acked(conn, s.exp_statsn);
		if (s.kind == ISPT_PDU_TMF && s.immediate && !sess->discovery &&
		    session_tmf_waits(conn, &s))
			return ISPT_PDU_PARKED;
		switch (s.immediate ? SESSION_CMDSN_TAKEN :
			session_take_cmdsn(conn, &s)) {
		case SESSION_CMDSN_TAKEN:
			break;
		case SESSION_CMDSN_PARKED:
			return ISPT_PDU_PARKED;
		case SESSION_CMDSN_DROP:
			net_dbg_ratelimited("%pISpc: CmdSN %u outside the window or skipped, dropped\n",
					    &conn->peer, s.cmdsn);
			ispt_cmd_rx_abandon(conn);
			return 0;
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
