// SPDX-License-Identifier: GPL-2.0
/*
 * Task management functions (RFC 7143 11.5, 11.6; RFC 7144 for the
 * QUERY and I_T NEXUS RESET functions SAM-4 added).
 *
 * Tasks belong to their connection's owner and are touched there alone,
 * without locks. A task whose bios are under way cannot be recalled: it
 * is marked aborted, ends without a response, and the TMF response goes
 * out when the last such task has ended, as SAM requires (no response to
 * an aborted task may follow the TMF response).
 *
 * The task set is the session's. With one connection that is the
 * connection's, and everything is done in place. A session of several
 * connections (MC/S) has tasks on other CPUs' workers: the TMF is posted
 * to each other connection's owner, which does the abort or the query on
 * its own tasks and reports back; struct ispt_tmf counts the connections
 * and the aborted tasks still to come, and the last of them has the
 * response sent on the TMF's own connection, by its owner.
 *
 * LOGICAL UNIT RESET and the target resets reach every I_T nexus (SAM-5
 * 7.7, 7.10): they are posted the same way to every connection of every
 * session of the target, whose tasks on the LU (or all of them) end
 * without a response (TAS=0 in the control mode page), and whose next
 * command gets the unit attention of the reset. A TARGET COLD RESET then
 * closes those connections too (RFC 7143 11.5.1). The other task
 * management functions reach only the session's own task set (TST=001b).
 */
#include <linux/net.h>
#include <linux/slab.h>

#include "cmd.h"
#include "conn.h"
#include "lun.h"
#include "pdu.h"
#include "session.h"
#include "target.h"
#include "ua.h"

/* Functions RFC 7144 added to RFC 3720's, and its extra response. */
#define TMF_QUERY_TASK		9
#define TMF_QUERY_TASK_SET	10
#define TMF_I_T_NEXUS_RESET	11
#define TMF_QUERY_ASYNC_EVENT	12
#define TMF_RSP_SUCCEEDED	7	/* FUNCTION SUCCEEDED: the task exists */

/**
 * ispt_tmf_waits_for_earlier - whether a TMF must see the commands before it
 * @function: its function
 *
 * RFC 7143 11.5.1: a TMF acts on all the session's commands of lower
 * CmdSN, and an immediate one may wait until they have all come (with
 * MC/S they may be on another connection). Not ABORT TASK and QUERY
 * TASK, which name their task and settle one that never came by its
 * RefCmdSN; nor those that reach no task.
 */
bool ispt_tmf_waits_for_earlier(u8 function)
{
	switch (function) {
	case ISCSI_TM_FUNC_ABORT_TASK_SET:
	case ISCSI_TM_FUNC_CLEAR_TASK_SET:
	case ISCSI_TM_FUNC_LOGICAL_UNIT_RESET:
	case ISCSI_TM_FUNC_TARGET_WARM_RESET:
	case ISCSI_TM_FUNC_TARGET_COLD_RESET:
	case TMF_QUERY_TASK_SET:
	case TMF_I_T_NEXUS_RESET:
		return true;
	default:
		return false;
	}
}

/*
 * One other connection's part of a TMF: posted to its owner, which does
 * the TMF's work on its own tasks and reports back through @tmf.
 */
struct ispt_tmf_remote {
	struct ispt_post	post;
	struct ispt_tmf		*tmf;
	struct ispt_conn	*conn;		/* held until the post has run */
	struct ispt_tmf_remote	*next;		/* while they are gathered */
};

static int tmf_send(struct ispt_conn *conn, itt_t itt, u8 response)
{
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;

	pdu = ispt_tx_pdu_alloc(0, GFP_ATOMIC);
	if (!pdu)
		return -ENOMEM;
	sn = ispt_session_sn(conn, true);
	ispt_pdu_build_tmf_rsp(&pdu->bhs, itt, response, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

/*
 * The response, once every connection has reported: a task found on any
 * of them decides ABORT TASK and the QUERY functions. ABORT TASK of a
 * task none has (RFC 7143 11.5.1) is complete if its RefCmdSN was in the
 * window, as it then has not arrived and never will count (if it was
 * before the TMF, its CmdSN is taken: tmf_finish()); otherwise it is long
 * gone.
 */
u8 ispt_tmf_outcome(const struct ispt_tmf *tmf)
{
	bool found = READ_ONCE(tmf->found);

	switch (tmf->function) {
	case ISCSI_TM_FUNC_ABORT_TASK:
		return found || tmf->ref_in_window ? ISCSI_TMF_RSP_COMPLETE :
						     ISCSI_TMF_RSP_NO_TASK;
	case TMF_QUERY_TASK:
		return found ? TMF_RSP_SUCCEEDED : ISCSI_TMF_RSP_COMPLETE;
	case TMF_QUERY_TASK_SET:
		if (tmf->response == ISCSI_TMF_RSP_COMPLETE && found)
			return TMF_RSP_SUCCEEDED;
		return tmf->response;
	default:
		return tmf->response;
	}
}

/*
 * One thing @tmf waited for is done. True for the last: @pending's
 * final decrement orders every report (@found) before the response.
 */
bool ispt_tmf_put(struct ispt_tmf *tmf)
{
	return refcount_dec_and_test(&tmf->pending);
}

/* In the TMF's connection's owner: answer it, if the connection is up. */
static void tmf_finish(struct ispt_tmf *tmf)
{
	struct ispt_conn *conn = tmf->conn;

	if (tmf->cmd) {
		/* PREEMPT AND ABORT: its command ends now, in this owner */
		ispt_work_post(&conn->work, &tmf->cmd->post);
		goto out;
	}
	if (conn->state != ISPT_CONN_CLOSING) {
		/* Before the response, which carries the ExpCmdSN. */
		if (tmf->function == ISCSI_TM_FUNC_ABORT_TASK &&
		    tmf->ref_before && !READ_ONCE(tmf->found))
			ispt_session_skip_cmdsn(conn->sess, tmf->refcmdsn);
		if (tmf_send(conn, tmf->itt, ispt_tmf_outcome(tmf)))
			ispt_conn_close(conn, "no memory for a TMF response");
		else if (tmf->close_after)
			conn->state = ISPT_CONN_LOGGED_OUT;
		ispt_work_queue(&conn->work);
	}
out:
	kfree(tmf);
	ispt_conn_unhold(conn);
}

static void tmf_finish_posted(struct ispt_post *post)
{
	tmf_finish(container_of(post, struct ispt_tmf, post));
}

/*
 * A connection's part of @tmf is done, or a task it aborted has ended:
 * in the owner of @conn, which need not be the TMF's. The last one
 * answers, in the TMF's connection's owner.
 */
void ispt_tmf_task_ended(struct ispt_conn *conn, struct ispt_tmf *tmf)
{
	if (!ispt_tmf_put(tmf))
		return;
	if (conn == tmf->conn) {
		tmf_finish(tmf);
		return;
	}
	tmf->post.fn = tmf_finish_posted;
	ispt_work_post(&tmf->conn->work, &tmf->post);
}

/* Is there an LU at @wire_lun? Its LUN number in @id if so. */
static bool tmf_lun_id(struct ispt_conn *conn, u64 wire_lun, u16 *id)
{
	struct ispt_lun *lun = ispt_target_lun_get(conn->sess->target, wire_lun);

	if (!lun)
		return false;
	*id = lun->id;
	ispt_lun_put(lun);
	return true;
}

/*
 * LOGICAL UNIT RESET: the LU's SPC-2 reservation ends (SPC-4 5.13.3) and
 * the mode parameters' defaults come back (SAM-5 6.3.3; none are ever
 * saved); every nexus hears of the reset itself.
 */
static void tmf_lun_reset_state(struct ispt_conn *conn, u64 wire_lun)
{
	struct ispt_lun *lun = ispt_target_lun_get(conn->sess->target, wire_lun);

	if (!lun)
		return;
	ispt_pr_reset(&lun->pr);
	ispt_mode_reset(&lun->mode, &lun->desc);
	ispt_lun_put(lun);
}

static bool tmf_lun_exists(struct ispt_conn *conn, u64 wire_lun)
{
	u16 id;

	return tmf_lun_id(conn, wire_lun, &id);
}

/*
 * Whether @tmf may abort @cmd now. A connection being torn down has
 * already ended the tasks that never reached the device; those whose
 * bios run end silently with it, but a reset still waits for them, so
 * that no write lands after its response.
 */
static bool tmf_abortable(struct ispt_conn *conn, struct ispt_cmd *cmd)
{
	if (cmd->completed || cmd->aborted)
		return false;
	return conn->state != ISPT_CONN_CLOSING || cmd->submitted;
}

static bool tmf_reaches(const struct ispt_tmf *tmf, const struct ispt_cmd *cmd)
{
	if (tmf->reach == ISPT_TMF_REACH_ALL)
		return true;
	/* Another nexus may address the LU by another LUN encoding */
	return tmf->lu ? cmd->lun == tmf->lu : cmd->lun_id == tmf->lun;
}

/* In @conn's owner: @tmf's work on @conn's tasks (the owner's alone). */
static void tmf_apply(struct ispt_conn *conn, struct ispt_tmf *tmf)
{
	struct ispt_cmd *cmd;

	if (tmf->reach == ISPT_TMF_REACH_TASK) {
		cmd = ispt_cmd_find_task(conn, tmf->rtt);
		if (!cmd)
			return;
		WRITE_ONCE(tmf->found, true);
		if (tmf->abort && tmf_abortable(conn, cmd))
			ispt_cmd_abort(cmd, tmf);
		return;
	}
	if (tmf->reach == ISPT_TMF_REACH_NONE)
		return;
	if (!tmf->abort) {
		list_for_each_entry(cmd, &conn->cmds, node)
			if (tmf_reaches(tmf, cmd) && !cmd->completed &&
			    !cmd->aborted)
				WRITE_ONCE(tmf->found, true);
		return;
	}
	/*
	 * Aborting a task that waits for its data lets the tasks its
	 * attribute held back run, and one may end, and be freed, at once:
	 * no cursor into the list survives an abort, so the walk starts
	 * over (the aborted ones are skipped; at most a window's worth).
	 */
again:
	list_for_each_entry(cmd, &conn->cmds, node) {
		if (tmf_reaches(tmf, cmd) && tmf_abortable(conn, cmd)) {
			ispt_cmd_abort(cmd, tmf);
			goto again;
		}
	}
}

static void tmf_remote_posted(struct ispt_post *post)
{
	struct ispt_tmf_remote *r = container_of(post, struct ispt_tmf_remote,
						 post);
	struct ispt_conn *conn = r->conn;
	struct ispt_tmf *tmf = r->tmf;

	kfree(r);
	tmf_apply(conn, tmf);
	/* RFC 7143 11.5.1: a cold reset ends every session, not just its own */
	if (tmf->close_after && conn->sess != tmf->conn->sess)
		ispt_conn_close(conn, "TARGET COLD RESET on another session");
	/* @tmf may be answered and freed by this. */
	ispt_tmf_task_ended(conn, tmf);
	ispt_conn_unhold(conn);
}

/**
 * ispt_tmf_gather_conn - one more connection for a TMF to reach
 * @c: the connection, under its session's lock
 * @arg: the TMF
 *
 * Held and noted, not posted yet: the TMF reaches all its connections
 * or none (ispt_tmf_cmd_run(), tmf_reach_others()). Never sleeps.
 *
 * Return: false once memory ran short, to stop the walk.
 */
bool ispt_tmf_gather_conn(struct ispt_conn *c, void *arg)
{
	struct ispt_tmf *tmf = arg;
	struct ispt_tmf_remote *r;

	if (c == tmf->conn)
		return true;
	r = kzalloc(sizeof(*r), GFP_ATOMIC);
	if (!r) {
		tmf->no_memory = true;
		return false;
	}
	r->tmf = tmf;
	r->conn = c;
	r->post.fn = tmf_remote_posted;
	ispt_conn_hold(c);
	r->next = tmf->gathered;
	tmf->gathered = r;
	return true;
}

/* Post what was gathered, or (@go false, or short of memory) drop it. */
static int tmf_post_gathered(struct ispt_tmf *tmf, bool go)
{
	struct ispt_tmf_remote *r;

	go = go && !tmf->no_memory;
	while ((r = tmf->gathered)) {
		tmf->gathered = r->next;
		if (!go) {
			ispt_conn_unhold(r->conn);
			kfree(r);
			continue;
		}
		refcount_inc(&tmf->pending);
		ispt_work_post(&r->conn->work, &r->post);
	}
	return tmf->no_memory ? -ENOMEM : 0;
}

/*
 * Post @tmf to the owner of each other connection it reaches: the
 * session's (MC/S), or every session's of the target for a reset; all
 * or none. A connection that comes later has no task the TMF is about;
 * one that leaves meanwhile still gets its post (held).
 */
static int tmf_reach_others(struct ispt_conn *conn, struct ispt_tmf *tmf)
{
	if (tmf->all_nexuses)
		ispt_sessions_walk_conns(conn->sess->target, NULL,
					 ispt_tmf_gather_conn, tmf);
	else
		ispt_session_walk_conns(conn->sess, ispt_tmf_gather_conn, tmf);
	return tmf_post_gathered(tmf, true);
}

/*
 * What @tmf reaches and its answer as far as the request alone tells;
 * nothing is changed yet.
 */
static void tmf_decide(struct ispt_conn *conn, const struct ispt_pdu_summary *s,
		       struct ispt_tmf *tmf)
{
	u32 exp, max;

	tmf->response = ISCSI_TMF_RSP_COMPLETE;
	tmf->abort = true;
	switch (s->tmf.function) {
	case ISCSI_TM_FUNC_ABORT_TASK:
		tmf->reach = ISPT_TMF_REACH_TASK;
		ispt_session_cmdsn(conn->sess, &exp, &max);
		tmf->refcmdsn = s->tmf.refcmdsn;
		tmf->ref_in_window = ispt_pdu_cmdsn_check(s->tmf.refcmdsn, exp,
							  max) !=
				     ISPT_PDU_CMDSN_DROP;
		/* Its CmdSN is that of the next command if it is immediate. */
		tmf->ref_before = tmf->ref_in_window &&
				  iscsi_sna_lt(s->tmf.refcmdsn, s->cmdsn);
		break;
	case ISCSI_TM_FUNC_LOGICAL_UNIT_RESET:
		tmf->all_nexuses = true;
		fallthrough;
	case ISCSI_TM_FUNC_ABORT_TASK_SET:
	case ISCSI_TM_FUNC_CLEAR_TASK_SET:
		if (tmf_lun_exists(conn, s->lun))
			tmf->reach = ISPT_TMF_REACH_LUN;
		else
			tmf->response = ISCSI_TMF_RSP_NO_LUN;
		break;
	case ISCSI_TM_FUNC_CLEAR_ACA:
		/* NACA is never accepted, so there is never an ACA to clear. */
		if (!tmf_lun_exists(conn, s->lun))
			tmf->response = ISCSI_TMF_RSP_NO_LUN;
		break;
	case ISCSI_TM_FUNC_TARGET_COLD_RESET:
		/* The connection goes too, once the response is out. */
		tmf->close_after = true;
		fallthrough;
	case ISCSI_TM_FUNC_TARGET_WARM_RESET:
		tmf->all_nexuses = true;
		fallthrough;
	case TMF_I_T_NEXUS_RESET:
		tmf->reach = ISPT_TMF_REACH_ALL;
		break;
	case ISCSI_TM_FUNC_TASK_REASSIGN:
		/* Reassigning allegiance needs ErrorRecoveryLevel 2. */
		tmf->response = ISCSI_TMF_RSP_NO_FAILOVER;
		break;
	case TMF_QUERY_TASK:
		tmf->reach = ISPT_TMF_REACH_TASK;
		tmf->abort = false;
		break;
	case TMF_QUERY_TASK_SET:
		tmf->abort = false;
		if (tmf_lun_exists(conn, s->lun))
			tmf->reach = ISPT_TMF_REACH_LUN;
		else
			tmf->response = ISCSI_TMF_RSP_NO_LUN;
		break;
	case TMF_QUERY_ASYNC_EVENT:
		break;
	default:
		tmf->response = ISCSI_TMF_RSP_NOT_SUPPORTED;
		break;
	}
}

/*
 * What a function does beyond the tasks. A reset is a unit attention
 * for every nexus of the LU, the one that asked too (as libiscsi's
 * MultipathIO.Reset checks on each path): its tasks ended, and so did
 * its RESERVE(6/10) reservation (persistent ones stay).
 */
static void tmf_side_effects(struct ispt_conn *conn,
			     const struct ispt_pdu_summary *s,
			     struct ispt_tmf *tmf)
{
	struct ispt_session *sess = conn->sess;
	struct ispt_scsi_nexus nexus;
	u16 id;

	switch (s->tmf.function) {
	case ISCSI_TM_FUNC_LOGICAL_UNIT_RESET:
		if (!tmf_lun_id(conn, s->lun, &id))
			break;
		tmf_lun_reset_state(conn, s->lun);
		ispt_sessions_post_ua(sess->target, id, ISPT_ASC_DEVICE_RESET,
				      NULL);
		break;
	case ISCSI_TM_FUNC_TARGET_COLD_RESET:
		/* Like a power cycle (29/00). */
		ispt_target_pr_reset(sess->target);
		ispt_target_post_ua(sess->target, ISPT_ASC_POWER_ON_RESET, sess);
		break;
	case ISCSI_TM_FUNC_TARGET_WARM_RESET:
		/* Every LU of the target was reset, for every nexus. */
		ispt_target_pr_reset(sess->target);
		ispt_target_post_ua(sess->target, ISPT_ASC_DEVICE_RESET, NULL);
		break;
	case TMF_I_T_NEXUS_RESET:
		/* As an I_T nexus loss: our RESERVE(6/10) ends. */
		ispt_session_nexus(sess, &nexus);
		ispt_target_pr_nexus_lost(sess->target, &nexus);
		break;
	case TMF_QUERY_ASYNC_EVENT:
		/* SAM-5 7.6: succeeded if a unit attention is pending there. */
		if (!tmf_lun_id(conn, s->lun, &id))
			tmf->response = ISCSI_TMF_RSP_NO_LUN;
		else if (ispt_ua_count(&sess->ua, id))
			tmf->response = TMF_RSP_SUCCEEDED;
		break;
	default:
		break;
	}
}

int ispt_cmd_tmf(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_tmf *tmf;

	/* Holds the response until every task it aborts has ended. */
	tmf = kzalloc(sizeof(*tmf), GFP_ATOMIC);
	if (!tmf)
		return -ENOMEM;
	tmf->conn = conn;
	tmf->itt = s->itt;
	tmf->rtt = s->tmf.rtt;
	tmf->lun = s->lun;
	tmf->function = s->tmf.function;
	refcount_set(&tmf->pending, 1);	/* our own pass, dropped below */
	tmf_decide(conn, s, tmf);

	/* One connection (the common case) posts nothing but for resets. */
	if (tmf->reach != ISPT_TMF_REACH_NONE &&
	    (tmf->all_nexuses || READ_ONCE(conn->sess->nr_conns) > 1) &&
	    tmf_reach_others(conn, tmf)) {
		kfree(tmf);
		return -ENOMEM;
	}
	ispt_conn_hold(conn);
	tmf_side_effects(conn, s, tmf);
	tmf_apply(conn, tmf);
	net_dbg_ratelimited("%pISpc: TMF %u: response %u, %u connections and tasks to wait for\n",
			    &conn->peer, s->tmf.function, tmf->response,
			    refcount_read(&tmf->pending) - 1);
	ispt_tmf_task_ended(conn, tmf);
	return 0;
}

/**
 * ispt_tmf_for_cmd - task management on behalf of a command
 * @cmd: a PERSISTENT RESERVE OUT with PREEMPT AND ABORT, in its owner
 *
 * SPC-4 5.13.11.4: the tasks of the nexuses it preempts on its LU are
 * aborted, as a LOGICAL UNIT RESET would abort them there, and @cmd ends
 * only once they have. The caller gathers their connections
 * (ispt_tmf_gather_conn()) while it preempts, then calls
 * ispt_tmf_cmd_run().
 *
 * Return: the TMF, or NULL if memory is short.
 */
struct ispt_tmf *ispt_tmf_for_cmd(struct ispt_cmd *cmd)
{
	struct ispt_tmf *tmf = kzalloc(sizeof(*tmf), GFP_NOWAIT | __GFP_NOWARN);

	if (!tmf)
		return NULL;
	tmf->conn = cmd->conn;
	tmf->cmd = cmd;
	tmf->lu = cmd->lun;
	tmf->lun = cmd->lun_id;
	tmf->reach = ISPT_TMF_REACH_LUN;
	tmf->abort = true;
	refcount_set(&tmf->pending, 1);
	return tmf;
}

/**
 * ispt_tmf_cmd_run - abort what was gathered, then end the command
 * @tmf: from ispt_tmf_for_cmd()
 * @go: the command succeeded; if not, nothing is aborted and the caller
 *	ends the command itself
 *
 * The command waits as if its bios were under way (aborted meanwhile, it
 * ends silently) until every aborted task has ended, then goes on in its
 * owner through its @io_done. Short of memory to reach every connection,
 * it reaches none, and the command ends as PREEMPT would.
 */
void ispt_tmf_cmd_run(struct ispt_tmf *tmf, bool go)
{
	struct ispt_cmd *cmd = tmf->cmd;

	if (!go) {
		tmf_post_gathered(tmf, false);
		kfree(tmf);
		return;
	}
	/* Before any post: teardown must not free it meanwhile */
	cmd->submitted = true;
	if (tmf_post_gathered(tmf, true)) {
		net_warn_ratelimited("%pISpc: no memory to abort the preempted nexuses' tasks\n",
				     &cmd->conn->peer);
		kfree(tmf);
		ispt_work_post(&cmd->conn->work, &cmd->post);
		return;
	}
	ispt_conn_hold(tmf->conn);
	ispt_tmf_task_ended(tmf->conn, tmf);
}
