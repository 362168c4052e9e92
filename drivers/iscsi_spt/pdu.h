/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iSCSI PDU protocol logic (RFC 7143 section 11): framing, decoding of
 * initiator PDUs, builders for target PDUs, CmdSN window, Data-In
 * segmentation, R2T planning, Data-Out acceptance and residuals.
 *
 * Nothing here touches a socket, sleeps or allocates: the per-CPU workers
 * call it on buffers they own, and KUnit calls it directly.
 */
#ifndef ISPT_PDU_H
#define ISPT_PDU_H

#include <linux/types.h>
#include <scsi/iscsi_proto.h>

#define ISPT_PDU_BHS_LEN	ISCSI_HDR_LEN		/* 48 */
#define ISPT_PDU_DIGEST_LEN	ISCSI_CRC_LEN		/* CRC32C */
#define ISPT_PDU_PAD_LEN	ISCSI_PAD_LEN		/* segments end on 4 */
/* TotalAHSLength is one byte counting 4-byte words. */
#define ISPT_PDU_MAX_AHS_LEN	(255 * 4)
/* DataSegmentLength is 24 bits wide. */
#define ISPT_PDU_MAX_DSL	0xffffff
/* Bytes of CDB an Extended CDB AHS may add to the 16 in the BHS. */
#define ISPT_PDU_MAX_ECDB_LEN	(SCSI_MAX_VARLEN_CDB_SIZE - ISCSI_CDB_SIZE)

/*
 * Reject reasons (RFC 7143 11.17.1), the wire status of a PDU we refuse.
 * Its own type so that it never mixes with -errno. iscsi_proto.h names
 * 0x08-0x0a after an RFC 3720 draft (INVALID_SNACK, BOOKMARK_*), so the
 * codes it lacks or misnames are spelled out from the RFC here.
 */
enum ispt_pdu_reject {
	ISPT_PDU_REJECT_NONE		= 0,	/* not rejected */
	ISPT_PDU_REJECT_DATA_DIGEST	= ISCSI_REASON_DATA_DIGEST_ERROR,
	ISPT_PDU_REJECT_SNACK		= ISCSI_REASON_DATA_SNACK_REJECT,
	ISPT_PDU_REJECT_PROTOCOL_ERROR	= ISCSI_REASON_PROTOCOL_ERROR,
	ISPT_PDU_REJECT_CMD_NOT_SUPPORTED = ISCSI_REASON_CMD_NOT_SUPPORTED,
	ISPT_PDU_REJECT_IMM_CMD		= ISCSI_REASON_IMM_CMD_REJECT,
	ISPT_PDU_REJECT_TASK_IN_PROGRESS = ISCSI_REASON_TASK_IN_PROGRESS,
	ISPT_PDU_REJECT_INVALID_DATA_ACK = 0x08,
	ISPT_PDU_REJECT_INVALID_PDU_FIELD = 0x09,
	ISPT_PDU_REJECT_OUT_OF_RESOURCES = 0x0a,
	ISPT_PDU_REJECT_WAITING_FOR_LOGOUT = 0x0c,
};

/* The initiator PDUs we accept, dense so that they can index a table. */
enum ispt_pdu_kind {
	ISPT_PDU_NOP_OUT,
	ISPT_PDU_SCSI_CMD,
	ISPT_PDU_TMF,
	ISPT_PDU_LOGIN,
	ISPT_PDU_TEXT,
	ISPT_PDU_DATA_OUT,
	ISPT_PDU_LOGOUT,
	ISPT_PDU_SNACK,
	ISPT_PDU_NR_KINDS,
};

/*
 * A decoded initiator BHS, in CPU byte order. Only the union member of
 * @kind is meaningful; fields the RFC reserves for a given opcode or
 * combination of bits are left 0 rather than passed on.
 */
struct ispt_pdu_summary {
	enum ispt_pdu_kind kind;
	u8	opcode;		/* ISCSI_OP_*, without the I bit */
	bool	immediate;	/* I bit; false where the format has none */
	bool	final;		/* F bit; false for Login, which has T there */
	u32	ahs_len;	/* TotalAHSLength, in bytes */
	u32	data_len;	/* DataSegmentLength */
	itt_t	itt;		/* opaque to us: echoed back as it came */
	u64	lun;		/* the 8 LUN bytes as one big-endian number */
	u32	cmdsn;		/* not in Data-Out and SNACK */
	u32	exp_statsn;
	union {
		struct {
			u32	ttt;	/* ours when answering our NOP-In */
		} nop;
		struct {
			u32	edtl;	/* Expected Data Transfer Length */
			bool	read;
			bool	write;
			bool	bidi;	/* R and W: the caller may not do it */
			u8	attr;	/* ISCSI_ATTR_*, 5-7 passed through */
			u8	cdb[ISCSI_CDB_SIZE];
		} cmd;
		struct {
			u8	function;	/* ISCSI_TM_FUNC_*, unchecked */
			itt_t	rtt;		/* Referenced Task Tag */
			u32	refcmdsn;
			u32	exp_datasn;
		} tmf;
		struct {
			bool	transit;	/* T */
			bool	cont;		/* C */
			u8	csg;
			u8	nsg;		/* 0 unless T */
			u8	version_max;
			u8	version_min;
			u8	isid[6];
			u16	tsih;
			u16	cid;
		} login;
		struct {
			bool	cont;	/* C */
			u32	ttt;
		} text;
		struct {
			u32	ttt;	/* ISCSI_RESERVED_TAG if unsolicited */
			u32	datasn;
			u32	offset;	/* BufferOffset */
		} data;
		struct {
			u8	reason;	/* ISCSI_LOGOUT_REASON_* */
			u16	cid;	/* 0 when closing the session */
		} logout;
		struct {
			u8	type;	/* ISCSI_FLAG_SNACK_TYPE_* */
			u32	ttt;	/* or SNACK Tag */
			u32	begrun;
			u32	runlength;
		} snack;
	};
};

/* What the AHSs of a SCSI Command carry (RFC 7143 11.2.2). */
struct ispt_pdu_ahs {
	const u8	*ecdb;		/* CDB bytes after the first 16 */
	u16		ecdb_len;
	bool		has_bidi_read_len;
	u32		bidi_read_len;	/* Bidirectional Read EDTL */
};

/* StatSN, ExpCmdSN and MaxCmdSN, which every target PDU carries. */
struct ispt_pdu_sn {
	u32	statsn;
	u32	exp_cmdsn;
	u32	max_cmdsn;
};

/* Residual of a transfer (RFC 7143 11.4.5): at most one flag is set. */
struct ispt_pdu_residual {
	u32	count;
	bool	overflow;	/* O: the command wanted more than EDTL */
	bool	underflow;	/* U: it moved less than EDTL */
};

struct ispt_pdu_scsi_rsp_args {
	itt_t	itt;
	u8	response;	/* ISCSI_STATUS_CMD_COMPLETED, ... */
	u8	status;		/* SAM status */
	u32	exp_datasn;	/* Data-In and R2T PDUs sent for the task */
	u32	data_len;	/* sense data segment */
	struct ispt_pdu_residual residual;
	struct ispt_pdu_residual bidi_residual;
};

struct ispt_pdu_data_in_args {
	itt_t	itt;
	u64	lun;
	u32	ttt;		/* ISCSI_RESERVED_TAG unless @ack */
	u32	datasn;
	u32	offset;
	u32	data_len;
	bool	final;		/* F: last PDU of a sequence */
	bool	ack;		/* A: ask for a DataACK SNACK */
	bool	has_status;	/* S: status rides here (implies F) */
	u8	status;		/* with S only */
	struct ispt_pdu_residual residual;	/* with S only */
};

struct ispt_pdu_login_rsp_args {
	itt_t	itt;
	u8	isid[6];
	u16	tsih;
	bool	transit;
	bool	cont;
	u8	csg;
	u8	nsg;		/* ignored unless @transit */
	u8	version_max;
	u8	version_active;
	u8	status_class;	/* ISCSI_STATUS_CLS_* */
	u8	status_detail;	/* ISCSI_LOGIN_STATUS_* */
	u32	data_len;
};

struct ispt_pdu_async_args {
	u64	lun;
	u8	event;		/* ISCSI_ASYNC_MSG_* */
	u8	vcode;
	u16	param1;
	u16	param2;
	u16	param3;
	u32	data_len;
};

/* Where a command's CmdSN falls against the window [ExpCmdSN, MaxCmdSN]. */
enum ispt_pdu_cmdsn_verdict {
	ISPT_PDU_CMDSN_EXPECTED,	/* == ExpCmdSN: run it now */
	ISPT_PDU_CMDSN_QUEUE,		/* ahead but in the window: hold it */
	ISPT_PDU_CMDSN_DROP,		/* old, duplicate or past MaxCmdSN */
};

/* One Data-In PDU of a read, from ispt_pdu_datain_next(). */
struct ispt_pdu_datain_seg {
	u32	offset;		/* BufferOffset */
	u32	len;
	u32	datasn;
	bool	final;		/* F: ends a sequence (MaxBurstLength) */
	bool	last;		/* ends the read: status may ride on it */
};

/* Cuts a read into Data-In PDUs; see ispt_pdu_datain_init(). */
struct ispt_pdu_datain_iter {
	u32	total;
	u32	mrdsl;		/* initiator's MaxRecvDataSegmentLength */
	u32	max_burst;
	u32	offset;		/* next BufferOffset */
	u32	burst_left;	/* bytes left in the current sequence */
	u32	datasn;		/* runs across the whole command */
};

/* One R2T to send. */
struct ispt_pdu_r2t {
	u32	r2tsn;
	u32	offset;		/* BufferOffset */
	u32	length;		/* Desired Data Transfer Length */
};

/* Session keys and command facts that shape a write's R2Ts. */
struct ispt_pdu_r2t_params {
	u32	edtl;		/* Expected Data Transfer Length */
	u32	immediate_len;	/* data that came with the command */
	u32	first_burst;	/* FirstBurstLength */
	u32	max_burst;	/* MaxBurstLength */
	u32	max_outstanding; /* MaxOutstandingR2T */
	bool	unsolicited;	/* InitialR2T=No and the command had F=0 */
};

/* R2Ts still to send for one write; see ispt_pdu_r2t_plan_init(). */
struct ispt_pdu_r2t_plan {
	u32	edtl;
	u32	unsol_end;	/* unsolicited data covers [0, unsol_end) */
	u32	next_offset;	/* first byte not yet solicited */
	u32	max_burst;
	u32	max_outstanding;
	u32	outstanding;	/* R2Ts sent whose sequence is not done */
	u32	next_r2tsn;
};

/* One Data-Out sequence: the unsolicited burst, or the answer to an R2T. */
struct ispt_pdu_dataout_seq {
	u32	ttt;		/* ISCSI_RESERVED_TAG when unsolicited */
	u32	next_datasn;	/* restarts at 0 in every sequence */
	u32	offset;		/* BufferOffset of its first byte */
	u32	length;		/* bytes it must carry */
	u32	received;	/* bytes accepted so far */
	u32	buf_len;	/* the command's buffer: never beyond it */
	u32	r2tsn;		/* the R2T's, for an R2T SNACK */
	bool	recovery;	/* a recovery R2T's, outside the plan */
};

enum ispt_pdu_dataout_verdict {
	ISPT_PDU_DATAOUT_ACCEPT,	/* take the data, more to come */
	ISPT_PDU_DATAOUT_ACCEPT_LAST,	/* take it, the sequence is done */
	ISPT_PDU_DATAOUT_BAD_TTT,	/* not this sequence's TTT */
	ISPT_PDU_DATAOUT_BAD_DATASN,	/* lost, repeated or reordered */
	ISPT_PDU_DATAOUT_BAD_OFFSET,	/* gap or overlap in the sequence */
	ISPT_PDU_DATAOUT_SEQ_OVERRUN,	/* runs past the sequence's end */
	ISPT_PDU_DATAOUT_BUF_OVERRUN,	/* runs outside the command buffer */
	ISPT_PDU_DATAOUT_F_MISSING,	/* ends the sequence without F */
	ISPT_PDU_DATAOUT_F_EARLY,	/* F before the sequence is full */
};

/* Padding after a segment of @len bytes: 0 to 3. */
static inline u32 ispt_pdu_pad(u32 len)
{
	return -len & (ISPT_PDU_PAD_LEN - 1);
}

/* pdu.c APIs: */
u64 ispt_pdu_wire_len(u32 ahs_len, u32 data_len, bool hdr_digest,
		      bool data_digest);

enum ispt_pdu_reject ispt_pdu_decode(const struct iscsi_hdr *bhs,
				     struct ispt_pdu_summary *s);
enum ispt_pdu_reject
ispt_pdu_check_lengths(const struct ispt_pdu_summary *s, u32 max_recv_dsl,
		       u32 max_ahs);
enum ispt_pdu_reject
ispt_pdu_check_unsolicited(const struct ispt_pdu_summary *s,
			   bool immediate_data, bool initial_r2t,
			   u32 first_burst);
enum ispt_pdu_reject ispt_pdu_parse_ahs(const void *ahs, u32 len,
					struct ispt_pdu_ahs *out);

void ispt_pdu_build_scsi_rsp(struct iscsi_hdr *bhs,
			     const struct ispt_pdu_scsi_rsp_args *a,
			     const struct ispt_pdu_sn *sn);
void ispt_pdu_build_data_in(struct iscsi_hdr *bhs,
			    const struct ispt_pdu_data_in_args *a,
			    const struct ispt_pdu_sn *sn);
void ispt_pdu_build_r2t(struct iscsi_hdr *bhs, itt_t itt, u64 lun, u32 ttt,
			const struct ispt_pdu_r2t *r2t,
			const struct ispt_pdu_sn *sn);
void ispt_pdu_build_nop_in(struct iscsi_hdr *bhs, itt_t itt, u32 ttt,
			   u64 lun, u32 data_len,
			   const struct ispt_pdu_sn *sn);
void ispt_pdu_build_login_rsp(struct iscsi_hdr *bhs,
			      const struct ispt_pdu_login_rsp_args *a,
			      const struct ispt_pdu_sn *sn);
void ispt_pdu_build_text_rsp(struct iscsi_hdr *bhs, itt_t itt, u32 ttt,
			     bool final, bool cont, u32 data_len,
			     const struct ispt_pdu_sn *sn);
void ispt_pdu_build_logout_rsp(struct iscsi_hdr *bhs, itt_t itt,
			       u8 response, u16 time2wait, u16 time2retain,
			       const struct ispt_pdu_sn *sn);
void ispt_pdu_build_reject(struct iscsi_hdr *bhs, enum ispt_pdu_reject reason,
			   u32 datasn, const struct ispt_pdu_sn *sn);
void ispt_pdu_build_async(struct iscsi_hdr *bhs,
			  const struct ispt_pdu_async_args *a,
			  const struct ispt_pdu_sn *sn);
void ispt_pdu_refresh_sn(struct iscsi_hdr *bhs, const struct ispt_pdu_sn *sn);
void ispt_pdu_build_tmf_rsp(struct iscsi_hdr *bhs, itt_t itt, u8 response,
			    const struct ispt_pdu_sn *sn);

enum ispt_pdu_cmdsn_verdict ispt_pdu_cmdsn_check(u32 cmdsn, u32 exp_cmdsn,
						 u32 max_cmdsn);
u32 ispt_pdu_cmdsn_advance(u32 exp_cmdsn);
u32 ispt_pdu_cmdsn_max(u32 exp_cmdsn, u32 depth, u32 prev_max_cmdsn);

int ispt_pdu_datain_init(struct ispt_pdu_datain_iter *it, u32 total,
			 u32 mrdsl, u32 max_burst);
bool ispt_pdu_datain_next(struct ispt_pdu_datain_iter *it,
			  struct ispt_pdu_datain_seg *seg);

int ispt_pdu_r2t_plan_init(struct ispt_pdu_r2t_plan *plan,
			   const struct ispt_pdu_r2t_params *p);
u32 ispt_pdu_r2t_plan_can_issue(const struct ispt_pdu_r2t_plan *plan);
bool ispt_pdu_r2t_plan_next(struct ispt_pdu_r2t_plan *plan,
			    struct ispt_pdu_r2t *r2t);
int ispt_pdu_r2t_plan_complete(struct ispt_pdu_r2t_plan *plan);
bool ispt_pdu_r2t_plan_done(const struct ispt_pdu_r2t_plan *plan);

int ispt_pdu_dataout_seq_init(struct ispt_pdu_dataout_seq *seq, u32 ttt,
			      u32 offset, u32 length, u32 buf_len);
enum ispt_pdu_dataout_verdict
ispt_pdu_dataout_accept(struct ispt_pdu_dataout_seq *seq,
			const struct ispt_pdu_summary *s);
enum ispt_pdu_reject
ispt_pdu_dataout_reject(enum ispt_pdu_dataout_verdict verdict);

bool ispt_pdu_snack_run(u32 begrun, u32 runlength, u32 first, u32 next,
			u32 *beg, u32 *end);
struct ispt_pdu_residual ispt_pdu_residual(u32 edtl, u64 xfer_len);

#endif /* ISPT_PDU_H */
