// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI commands and task management in the Full Feature Phase.
 *
 * Targets have no logical units yet (they arrive with the I/O path), so
 * every command is answered at once as SPC-4 requires for a LUN that is
 * not there: INQUIRY reports peripheral qualifier 011b, REPORT LUNS an
 * empty list, REQUEST SENSE the LOGICAL UNIT NOT SUPPORTED sense data,
 * and anything else CHECK CONDITION with that sense.
 * Residuals compare the Expected Data Transfer Length with what moved.
 */
#include <linux/net.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <scsi/scsi_proto.h>

#include "cmd.h"
#include "conn.h"
#include "pdu.h"
#include "scsi.h"
#include "session.h"
#include "spc.h"

/* Enough for any answer about an absent logical unit. */
#define CMD_DATA_BUF		256

static struct ispt_pdu_sn cmd_sn(struct ispt_conn *conn)
{
	struct ispt_pdu_sn sn = {
		.statsn = conn->statsn++,
		.exp_cmdsn = conn->sess->exp_cmdsn,
		.max_cmdsn = conn->sess->max_cmdsn,
	};

	return sn;
}

/* Data-In carrying @len bytes of @buf and GOOD status. */
static int cmd_data_in(struct ispt_conn *conn, const struct ispt_pdu_summary *s,
		       const void *buf, u32 len)
{
	struct ispt_pdu_data_in_args a = {
		.itt = s->itt,
		.lun = s->lun,
		.ttt = ISCSI_RESERVED_TAG,
		.final = true,
		.has_status = true,
		.status = SAM_STAT_GOOD,
	};
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	u32 sent = min3(len, s->cmd.edtl, conn->max_send_dsl);

	pdu = ispt_tx_pdu_alloc(sent, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	memcpy(pdu->data, buf, sent);
	a.data_len = sent;
	a.residual = ispt_pdu_residual(s->cmd.edtl, len);
	sn = cmd_sn(conn);
	ispt_pdu_build_data_in(&pdu->bhs, &a, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

static int cmd_check_condition(struct ispt_conn *conn,
			       const struct ispt_pdu_summary *s,
			       const struct ispt_sense *sense)
{
	struct ispt_pdu_scsi_rsp_args a = {
		.itt = s->itt,
		.response = ISCSI_STATUS_CMD_COMPLETED,
		.status = SAM_STAT_CHECK_CONDITION,
	};
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	u32 len;

	/* The data segment is SenseLength (2 bytes) and the sense data. */
	pdu = ispt_tx_pdu_alloc(2 + ISPT_SENSE_MAX_LEN, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	len = ispt_sense_build(sense, false, pdu->data + 2, ISPT_SENSE_MAX_LEN);
	put_unaligned_be16(len, pdu->data);
	pdu->data_len = 2 + len;
	a.data_len = pdu->data_len;
	a.residual = ispt_pdu_residual(s->cmd.edtl, 0);
	sn = cmd_sn(conn);
	ispt_pdu_build_scsi_rsp(&pdu->bhs, &a, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

int ispt_cmd_handle(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_sense absent = ispt_sense_lun_not_supported();
	const struct ispt_scsi_port port = {
		.rel_port_id = conn->tpgt,
		.tpg_id = conn->tpgt,
	};
	struct ispt_scsi_cmd cmd;
	u8 buf[CMD_DATA_BUF];
	u32 len;

	/* No logical unit: the decoder answers for an absent one. */
	if (ispt_scsi_decode(&cmd, s->cmd.cdb, ISCSI_CDB_SIZE, NULL) != SAM_STAT_GOOD)
		return cmd_check_condition(conn, s, &cmd.sense);

	switch (cmd.handler) {
	case ISPT_SCSI_DO_INQUIRY:
		len = ispt_spc_inquiry(&cmd, NULL, &port, buf, sizeof(buf));
		break;
	case ISPT_SCSI_DO_REPORT_LUNS:
		len = ispt_spc_report_luns(&cmd, NULL, 0, buf, sizeof(buf));
		break;
	case ISPT_SCSI_DO_REQUEST_SENSE:
		len = ispt_spc_request_sense(&cmd, &absent, buf, sizeof(buf));
		break;
	default:
		return cmd_check_condition(conn, s, &absent);
	}
	/* The builders report the full length; what moves is cut to both. */
	return cmd_data_in(conn, s, buf, min3(len, cmd.alloc_len, (u32)sizeof(buf)));
}

/* With every command answered at once, no task is ever in progress. */
int ispt_cmd_tmf(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	struct ispt_tx_pdu *pdu;
	struct ispt_pdu_sn sn;
	u8 response;

	switch (s->tmf.function) {
	case ISCSI_TM_FUNC_ABORT_TASK:
		response = ISCSI_TMF_RSP_NO_TASK;
		break;
	case ISCSI_TM_FUNC_LOGICAL_UNIT_RESET:
	case ISCSI_TM_FUNC_ABORT_TASK_SET:
	case ISCSI_TM_FUNC_CLEAR_TASK_SET:
	case ISCSI_TM_FUNC_CLEAR_ACA:
		response = ISCSI_TMF_RSP_NO_LUN;
		break;
	case ISCSI_TM_FUNC_TARGET_WARM_RESET:
	case ISCSI_TM_FUNC_TARGET_COLD_RESET:
		response = ISCSI_TMF_RSP_COMPLETE;
		break;
	default:
		response = ISCSI_TMF_RSP_NOT_SUPPORTED;
		break;
	}
	pdu = ispt_tx_pdu_alloc(0, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	sn = cmd_sn(conn);
	ispt_pdu_build_tmf_rsp(&pdu->bhs, s->itt, response, &sn);
	ispt_conn_queue_pdu(conn, pdu);
	return 0;
}

/*
 * Unsolicited data for a write we already answered: RFC 7143 lets the
 * target end a command early, and its data is then discarded.
 */
int ispt_cmd_data_out(struct ispt_conn *conn, const struct ispt_pdu_summary *s)
{
	net_dbg_ratelimited("iscsi_spt: %pISpc: Data-Out for finished task 0x%x discarded\n",
			    &conn->peer, be32_to_cpu((__force __be32)s->itt));
	return 0;
}
