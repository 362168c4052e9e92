// SPDX-License-Identifier: GPL-2.0
/*
 * Task management functions (RFC 7143 11.5, 11.6; RFC 7144 for the
 * QUERY and I_T NEXUS RESET functions SAM-4 added).
 *
 * Tasks belong to the connection's owner, so everything here runs there
 * without locks. A task whose bios are under way cannot be recalled: it
 * is marked aborted, ends without a response, and the TMF response goes
 * out when the last such task has ended, as SAM requires (no response to
 * an aborted task may follow the TMF response).
 *
 * The task set is the session's, which with one connection per session
 * is the connection's: tasks of other sessions on the same LU are not
 * touched by LOGICAL UNIT RESET or the target resets. A session of more
 * than one connection (MC/S) has tasks on other CPUs' workers, which
 * this one cannot reach yet: a function that would have to see them is
 * answered Function Rejected (255, RFC 7143 11.6.1) rather than done for
 * this connection's tasks alone and claimed complete.
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

/* Other connections hold tasks of this session: see the top of the file. */
static bool tmf_partial(struct ispt_conn *conn)
{
	return READ_ONCE(conn->sess->nr_conns) > 1;
}

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

/* The last task a TMF aborted has ended: its response may go now. */
void ispt_tmf_task_ended(struct ispt_conn *conn, struct ispt_tmf *tmf)
{
	if (--tmf->waiting)
		return;
	if (conn->state != ISPT_CONN_CLOSING) {
		if (tmf_send(conn, tmf->itt, tmf->response))
			ispt_conn_close(conn, "no memory for a TMF response");
		else if (tmf->close_after)
			conn->state = ISPT_CONN_LOGGED_OUT;
		ispt_work_queue(&conn->work);
	}
	kfree(tmf);
}

static struct ispt_cmd *tmf_find_task(struct ispt_conn *conn, itt_t itt)
{
	struct ispt_cmd *cmd;

	list_for_each_entry(cmd, &conn->cmds, node)
		if (cmd->itt == itt && !cmd->completed && !cmd->aborted)
			return cmd;
	return NULL;
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

/* Abort @conn's tasks on @lun (all LUNs if !@one_lun) for @tmf. */
static void tmf_abort_set(struct ispt_conn *conn, struct ispt_tmf *tmf,
			  bool one_lun, u64 lun)
{
	struct ispt_cmd *cmd, *tmp;

	list_for_each_entry_safe(cmd, tmp, &conn->cmds, node)
		if (!one_lun || cmd->lun_id == lun)
			ispt_cmd_abort(cmd, tmf);
}

/* Does the task set of @lun hold a task that has not ended? */
static bool tmf_set_busy(struct ispt_conn *conn, u64 lun)
{
	struct ispt_cmd *cmd;

	list_for_each_entry(cmd, &conn->cmds, node)
		if (cmd->lun_id == lun && !cmd->completed && !cmd->aborted)
			return true;
	return false;
}

/*
 * ABORT TASK of a task we do not have (RFC 7143 11.5.1): if its CmdSN is
 * in the window, it has not arrived yet and now never will count (the
 * function is complete); otherwise it is long gone.
 */
static u8 tmf_abort_task(struct ispt_conn *conn,
			 const struct ispt_pdu_summary *s, struct ispt_tmf *tmf)
{
	struct ispt_cmd *cmd = tmf_find_task(conn, s->tmf.rtt);
	u32 exp, max;

	if (cmd) {
		ispt_cmd_abort(cmd, tmf);
		return ISCSI_TMF_RSP_COMPLETE;
	}
	if (tmf_partial(conn))
		return ISCSI_TMF_RSP_REJECTED;	/* it may be on another */
	ispt_session_cmdsn(conn->sess, &exp, &max);
	if (ispt_pdu_cmdsn_check(s->tmf.refcmdsn, exp, max) !=
	    ISPT_PDU_CMDSN_DROP)
		return ISCSI_TMF_RSP_COMPLETE;
	return ISCSI_TMF_RSP_NO_TASK;
}

int ispt_cmd_tmf(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_session *sess = conn->sess;
	struct ispt_scsi_nexus nexus;
	struct ispt_tmf *tmf;
	u8 response;
	u16 id;

	/* Holds the response until every task it aborts has ended. */
	tmf = kzalloc(sizeof(*tmf), GFP_ATOMIC);
	if (!tmf)
		return -ENOMEM;
	tmf->itt = s->itt;
	tmf->waiting = 1;	/* ours, dropped below */

	switch (s->tmf.function) {
	case ISCSI_TM_FUNC_ABORT_TASK:
		response = tmf_abort_task(conn, s, tmf);
		break;
	case ISCSI_TM_FUNC_ABORT_TASK_SET:
	case ISCSI_TM_FUNC_CLEAR_TASK_SET:
	case ISCSI_TM_FUNC_LOGICAL_UNIT_RESET:
		if (!tmf_lun_id(conn, s->lun, &id)) {
			response = ISCSI_TMF_RSP_NO_LUN;
			break;
		}
		if (tmf_partial(conn)) {
			response = ISCSI_TMF_RSP_REJECTED;
			break;
		}
		tmf_abort_set(conn, tmf, true, s->lun);
		/*
		 * A reset is a unit attention for every nexus of the LU, the
		 * one that asked too (as libiscsi's MultipathIO.Reset checks
		 * on each path): its tasks ended, and so did its RESERVE(6/10)
		 * reservation (persistent ones stay). The other nexuses' tasks
		 * are not touched (see above).
		 */
		if (s->tmf.function == ISCSI_TM_FUNC_LOGICAL_UNIT_RESET) {
			tmf_lun_reset_state(conn, s->lun);
			ispt_sessions_post_ua(sess->target, id,
					      ISPT_ASC_DEVICE_RESET, NULL);
		}
		response = ISCSI_TMF_RSP_COMPLETE;
		break;
	case ISCSI_TM_FUNC_CLEAR_ACA:
		/* NACA is never accepted, so there is never an ACA to clear. */
		response = tmf_lun_exists(conn, s->lun) ? ISCSI_TMF_RSP_COMPLETE :
							  ISCSI_TMF_RSP_NO_LUN;
		break;
	case ISCSI_TM_FUNC_TARGET_COLD_RESET:
		if (tmf_partial(conn)) {
			response = ISCSI_TMF_RSP_REJECTED;
			break;
		}
		/*
		 * Cold: like a power cycle (29/00), and the connection goes
		 * too, once the response is out.
		 */
		tmf->close_after = true;
		ispt_target_pr_reset(sess->target);
		ispt_target_post_ua(sess->target, ISPT_ASC_POWER_ON_RESET, sess);
		tmf_abort_set(conn, tmf, false, 0);
		response = ISCSI_TMF_RSP_COMPLETE;
		break;
	case ISCSI_TM_FUNC_TARGET_WARM_RESET:
		if (tmf_partial(conn)) {
			response = ISCSI_TMF_RSP_REJECTED;
			break;
		}
		/* Every LU of the target was reset, for every nexus. */
		ispt_target_pr_reset(sess->target);
		ispt_target_post_ua(sess->target, ISPT_ASC_DEVICE_RESET, NULL);
		tmf_abort_set(conn, tmf, false, 0);
		response = ISCSI_TMF_RSP_COMPLETE;
		break;
	case TMF_I_T_NEXUS_RESET:
		if (tmf_partial(conn)) {
			response = ISCSI_TMF_RSP_REJECTED;
			break;
		}
		/* As an I_T nexus loss: our RESERVE(6/10) ends. */
		ispt_session_nexus(sess, &nexus);
		ispt_target_pr_nexus_lost(sess->target, &nexus);
		tmf_abort_set(conn, tmf, false, 0);
		response = ISCSI_TMF_RSP_COMPLETE;
		break;
	case ISCSI_TM_FUNC_TASK_REASSIGN:
		/* Reassigning allegiance needs ErrorRecoveryLevel 2. */
		response = ISCSI_TMF_RSP_NO_FAILOVER;
		break;
	case TMF_QUERY_TASK:
		if (tmf_find_task(conn, s->tmf.rtt))
			response = TMF_RSP_SUCCEEDED;
		else
			response = tmf_partial(conn) ? ISCSI_TMF_RSP_REJECTED :
						       ISCSI_TMF_RSP_COMPLETE;
		break;
	case TMF_QUERY_TASK_SET:
		if (!tmf_lun_exists(conn, s->lun))
			response = ISCSI_TMF_RSP_NO_LUN;
		else if (tmf_set_busy(conn, s->lun))
			response = TMF_RSP_SUCCEEDED;
		else
			response = tmf_partial(conn) ? ISCSI_TMF_RSP_REJECTED :
						       ISCSI_TMF_RSP_COMPLETE;
		break;
	case TMF_QUERY_ASYNC_EVENT:
		/* SAM-5 7.6: succeeded if a unit attention is pending there. */
		if (!tmf_lun_id(conn, s->lun, &id))
			response = ISCSI_TMF_RSP_NO_LUN;
		else
			response = ispt_ua_count(&sess->ua, id) ?
				   TMF_RSP_SUCCEEDED : ISCSI_TMF_RSP_COMPLETE;
		break;
	default:
		response = ISCSI_TMF_RSP_NOT_SUPPORTED;
		break;
	}
	net_dbg_ratelimited("%pISpc: TMF %u: response %u, %u tasks to wait for\n",
			    &conn->peer, s->tmf.function, response,
			    tmf->waiting - 1);
	tmf->response = response;
	ispt_tmf_task_ended(conn, tmf);
	return 0;
}
