// SPDX-License-Identifier: GPL-2.0
/*
 * Reservations on the live path: the executors of PERSISTENT RESERVE
 * IN/OUT and RESERVE/RELEASE(6/10), and the RESERVATION CONFLICT check
 * every command on a LU passes before it runs. The rules are pr.c's;
 * this file finds the I_T nexus of a command, moves the parameter data
 * and delivers the unit attentions pr.c asks for.
 *
 * All of it runs in the command's owner (a per-CPU worker) and never
 * sleeps: the LU's PR state is under its spinlock, shared by the CPUs.
 */
#include <linux/highmem.h>
#include <linux/slab.h>

#include "cmd.h"
#include "conn.h"
#include "lun.h"
#include "pr.h"
#include "session.h"

/* A PERSISTENT RESERVE IN answer: every registration of READ FULL STATUS */
#define PR_IN_MAX_LEN	(64 * 1024)

static void cmd_nexus(const struct ispt_cmd *cmd, struct ispt_scsi_nexus *n)
{
	ispt_session_nexus(cmd->conn->sess, n);
}

/**
 * ispt_pr_cmd_conflict() - does a reservation forbid this command?
 * @cmd: a decoded command for a LU, about to run
 *
 * One load when the LU has no reservation; otherwise pr.c decides under
 * the PR lock. Never sleeps.
 *
 * Return: true if @cmd must end in RESERVATION CONFLICT.
 */
bool ispt_pr_cmd_conflict(struct ispt_cmd *cmd)
{
	struct ispt_scsi_nexus n;

	if (!cmd->lun || likely(!READ_ONCE(cmd->lun->pr.busy)))
		return false;
	cmd_nexus(cmd, &n);
	return ispt_pr_conflict(&cmd->lun->pr, &n, &cmd->scsi);
}

/**
 * ispt_pr_lun_conflict() - would a reservation forbid @cmd's nexus @lun?
 * @cmd: a command of the nexus, about to read or write @lun for itself
 * @lun: a LU of the same target, which the caller holds a reference on
 * @write: a write (else a read) of its medium
 *
 * EXTENDED COPY reads and writes LUs other than the one it addresses,
 * for the nexus that sent it: each is judged as a READ or a WRITE from
 * that nexus would be.
 *
 * Return: true if the access must end in RESERVATION CONFLICT.
 */
bool ispt_pr_lun_conflict(struct ispt_cmd *cmd, struct ispt_lun *lun,
			  bool write)
{
	struct ispt_scsi_cmd probe = {
		.pr_class = write ? ISPT_PR_WRITE : ISPT_PR_READ,
	};
	struct ispt_scsi_nexus n;

	if (likely(!READ_ONCE(lun->pr.busy)))
		return false;
	cmd_nexus(cmd, &n);
	return ispt_pr_conflict(&lun->pr, &n, &probe);
}

struct pr_ua_ctx {
	const struct ispt_target	*target;
	u16				lun;
	struct ispt_tmf			*abort;	/* PREEMPT AND ABORT */
};

/* Under the PR lock: the sessions lock and the UA queues nest inside it. */
static void pr_ua(void *ctx, const struct ispt_pr_reg *reg, u16 asc_ascq)
{
	const struct pr_ua_ctx *c = ctx;

	ispt_sessions_post_ua_pr(c->target, c->lun, reg, asc_ascq);
	/* The nexuses told they were preempted are those whose tasks go */
	if (c->abort && asc_ascq == ISPT_ASC_REG_PREEMPTED)
		ispt_sessions_walk_conns(c->target, reg, ispt_tmf_gather_conn,
					 c->abort);
}

/* In the owner: the preempted nexuses' tasks have ended. */
static void pr_preempt_aborted(struct ispt_cmd *cmd)
{
	cmd->io_done = NULL;
	ispt_cmd_complete(cmd);		/* GOOD, or silently if aborted */
}

static void pr_status(struct ispt_cmd *cmd, enum sam_status status)
{
	if (status == SAM_STAT_CHECK_CONDITION) {
		ispt_cmd_fail(cmd, cmd->scsi.sense);
		return;
	}
	cmd->sam_status = status;
	ispt_cmd_complete(cmd);
}

static void pr_in(struct ispt_cmd *cmd)
{
	u32 max = min_t(u32, cmd->scsi.alloc_len, PR_IN_MAX_LEN);
	u32 len;
	u8 *buf;

	if (!max) {
		ispt_cmd_complete(cmd);
		return;
	}
	buf = kzalloc(max, GFP_NOWAIT | __GFP_NOWARN);
	if (!buf) {
		pr_status(cmd, SAM_STAT_BUSY);
		return;
	}
	len = ispt_pr_in(&cmd->lun->pr, &cmd->scsi, buf, max);
	if (ispt_cmd_set_data_in(cmd, buf, min(len, max)))
		pr_status(cmd, SAM_STAT_BUSY);
	else
		ispt_cmd_complete(cmd);
	kfree(buf);
}

/* The parameter list, from the pages it was received into. */
static u32 pr_copy_param(struct ispt_cmd *cmd, u8 *to, u32 size)
{
	u32 len = min(cmd->io_len, size);

	ispt_cmd_copy_from_pages(cmd, 0, to, len);
	return len;
}

static void pr_out(struct ispt_cmd *cmd)
{
	struct pr_ua_ctx ctx = {
		.target = cmd->conn->sess->target,
		.lun = cmd->lun->id,
	};
	const struct ispt_pr_notify notify = { .ua = pr_ua, .ctx = &ctx };
	u8 param[ISPT_PR_OUT_MAX_LEN];
	struct ispt_scsi_nexus n;
	enum sam_status status;
	u32 len = 0;

	if (cmd->scsi.service_action == ISPT_PR_OUT_PREEMPT_ABORT) {
		ctx.abort = ispt_tmf_for_cmd(cmd);
		if (!ctx.abort) {
			pr_status(cmd, SAM_STAT_BUSY);
			return;
		}
	}
	if (cmd->bvec)
		len = pr_copy_param(cmd, param, sizeof(param));
	cmd_nexus(cmd, &n);
	status = ispt_pr_out(&cmd->lun->pr, &cmd->scsi, &n, param, len,
			     &notify);
	if (!ctx.abort || status != SAM_STAT_GOOD) {
		if (ctx.abort)
			ispt_tmf_cmd_run(ctx.abort, false);
		pr_status(cmd, status);
		return;
	}
	cmd->io_done = pr_preempt_aborted;
	ispt_tmf_cmd_run(ctx.abort, true);
}

/**
 * ispt_pr_execute() - run a reservation command
 * @cmd: the command, in its owner, for a LU, its data-out received
 *
 * PREEMPT AND ABORT also aborts the preempted nexuses' tasks on the LU,
 * through tmf.c as a LOGICAL UNIT RESET reaches other sessions' tasks,
 * and ends once they have.
 *
 * Return: 0 when the command has ended, -EOPNOTSUPP if it is not one.
 */
int ispt_pr_execute(struct ispt_cmd *cmd)
{
	struct ispt_scsi_nexus n;

	switch (cmd->scsi.handler) {
	case ISPT_SCSI_DO_PR_IN:
		pr_in(cmd);
		return 0;
	case ISPT_SCSI_DO_PR_OUT:
		pr_out(cmd);
		return 0;
	case ISPT_SCSI_DO_RESERVE:
		cmd_nexus(cmd, &n);
		pr_status(cmd, ispt_pr_reserve(&cmd->lun->pr, &n));
		return 0;
	case ISPT_SCSI_DO_RELEASE:
		cmd_nexus(cmd, &n);
		pr_status(cmd, ispt_pr_release(&cmd->lun->pr, &n));
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}
