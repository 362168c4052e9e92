// SPDX-License-Identifier: GPL-2.0
/*
 * iSCSI PDU protocol logic (RFC 7143 section 11).
 *
 * Everything that arrives from an initiator is hostile: the decoder reads
 * exactly the 48 bytes of a BHS, lengths come back as numbers for the
 * caller to bound (ispt_pdu_check_lengths()) before it reads any further,
 * and the AHS walker never steps past the length it is given. Reserved
 * fields are ignored as the RFC asks of a receiver; only values that make
 * a PDU impossible to act on are rejected.
 *
 * Decoders fill the summary before they judge it, so that a caller
 * building a Reject or a Login Response still has the ITT, CmdSN and
 * opcode of what it refuses.
 */
#include <linux/build_bug.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "compat.h"
#include "pdu.h"

/* Byte 1 bit 7 is F in every PDU but Login, where it is T. */
#define PDU_F_BIT	ISCSI_FLAG_CMD_FINAL

/* The high two bits of AHSType are reserved (RFC 7143 11.2.2.2). */
#define AHS_TYPE_MASK	0x3f

/*
 * Opcodes with bit 5 set are the target's (RFC 7143 11.2.1.2), including
 * its vendor range 0x3c-0x3e. An initiator sending one breaks the rule
 * that initiators MUST NOT use target opcodes.
 */
#define TARGET_OPCODE_BIT	0x20

#define PIN_BHS(type)	BUILD_BUG_ON(sizeof(type) != ISPT_PDU_BHS_LEN)

/* Initiator PDUs carrying a CmdSN all keep it, and ExpStatSN, here. */
#define PIN_INITIATOR_SN(type)						\
	do {								\
		BUILD_BUG_ON(offsetof(type, cmdsn) != 24);		\
		BUILD_BUG_ON(offsetof(type, exp_statsn) != 28);		\
	} while (0)

/* Every target PDU has StatSN, ExpCmdSN and MaxCmdSN here: see put_sn(). */
#define PIN_TARGET_SN(type)						\
	do {								\
		BUILD_BUG_ON(offsetof(type, statsn) != 24);		\
		BUILD_BUG_ON(offsetof(type, exp_cmdsn) != 28);		\
		BUILD_BUG_ON(offsetof(type, max_cmdsn) != 32);		\
	} while (0)

/*
 * The decoders and builders overlay iscsi_proto.h structs on a 48-byte
 * BHS and read the sequence numbers through one of them; a layout that
 * drifted would corrupt the wire silently, so pin it at build time.
 */
static void pdu_pin_layouts(void)
{
	PIN_BHS(struct iscsi_hdr);
	PIN_BHS(struct iscsi_nopout);
	PIN_BHS(struct iscsi_scsi_req);
	PIN_BHS(struct iscsi_tm);
	PIN_BHS(struct iscsi_login_req);
	PIN_BHS(struct iscsi_text);
	PIN_BHS(struct iscsi_data);
	PIN_BHS(struct iscsi_logout);
	PIN_BHS(struct iscsi_snack);
	PIN_BHS(struct iscsi_nopin);
	PIN_BHS(struct iscsi_scsi_rsp);
	PIN_BHS(struct iscsi_tm_rsp);
	PIN_BHS(struct iscsi_login_rsp);
	PIN_BHS(struct iscsi_text_rsp);
	PIN_BHS(struct iscsi_data_rsp);
	PIN_BHS(struct iscsi_logout_rsp);
	PIN_BHS(struct iscsi_r2t_rsp);
	PIN_BHS(struct iscsi_async);
	PIN_BHS(struct iscsi_reject);

	PIN_INITIATOR_SN(struct iscsi_nopout);
	PIN_INITIATOR_SN(struct iscsi_scsi_req);
	PIN_INITIATOR_SN(struct iscsi_tm);
	PIN_INITIATOR_SN(struct iscsi_login_req);
	PIN_INITIATOR_SN(struct iscsi_text);
	PIN_INITIATOR_SN(struct iscsi_logout);
	BUILD_BUG_ON(offsetof(struct iscsi_data, exp_statsn) != 28);
	BUILD_BUG_ON(offsetof(struct iscsi_snack, exp_statsn) != 28);
	BUILD_BUG_ON(offsetof(struct iscsi_snack, lun) != 8);

	PIN_TARGET_SN(struct iscsi_nopin);
	PIN_TARGET_SN(struct iscsi_scsi_rsp);
	PIN_TARGET_SN(struct iscsi_tm_rsp);
	PIN_TARGET_SN(struct iscsi_login_rsp);
	PIN_TARGET_SN(struct iscsi_text_rsp);
	PIN_TARGET_SN(struct iscsi_data_rsp);
	PIN_TARGET_SN(struct iscsi_logout_rsp);
	PIN_TARGET_SN(struct iscsi_r2t_rsp);
	PIN_TARGET_SN(struct iscsi_async);
	PIN_TARGET_SN(struct iscsi_reject);
	/* The Asynchronous Message ITT slot is written through iscsi_hdr. */
	BUILD_BUG_ON(offsetof(struct iscsi_async, rsvd4) !=
		     offsetof(struct iscsi_hdr, itt));
}

/**
 * ispt_pdu_wire_len() - Bytes a PDU takes on the wire.
 * @ahs_len: TotalAHSLength in bytes.
 * @data_len: DataSegmentLength.
 * @hdr_digest: HeaderDigest=CRC32C on this connection.
 * @data_digest: DataDigest=CRC32C on this connection.
 *
 * The data segment is padded to 4 bytes, and its digest is present only
 * when there is a data segment. 64 bits wide so that no pair of 32-bit
 * inputs can wrap it.
 */
u64 ispt_pdu_wire_len(u32 ahs_len, u32 data_len, bool hdr_digest,
		      bool data_digest)
{
	u64 len = ISPT_PDU_BHS_LEN + (u64)ahs_len;

	if (hdr_digest)
		len += ISPT_PDU_DIGEST_LEN;
	if (data_len) {
		len += (u64)data_len + ispt_pdu_pad(data_len);
		if (data_digest)
			len += ISPT_PDU_DIGEST_LEN;
	}
	return len;
}

static enum ispt_pdu_reject decode_nop_out(const struct iscsi_hdr *bhs,
					   struct ispt_pdu_summary *s)
{
	const struct iscsi_nopout *h = (const void *)bhs;

	s->nop.ttt = be32_to_cpu(h->ttt);
	/*
	 * A NOP-Out that asks for no NOP-In takes no CmdSN, so it must be
	 * immediate (RFC 7143 11.18.1); otherwise its CmdSN would open a
	 * hole in the command window that nothing ever fills.
	 */
	if (s->itt == RESERVED_ITT && !s->immediate)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	return ISPT_PDU_REJECT_NONE;
}

static enum ispt_pdu_reject decode_scsi_cmd(const struct iscsi_hdr *bhs,
					    struct ispt_pdu_summary *s)
{
	const struct iscsi_scsi_req *h = (const void *)bhs;
	u32 edtl = be32_to_cpu(h->data_length);
	bool read = h->flags & ISCSI_FLAG_CMD_READ;
	bool write = h->flags & ISCSI_FLAG_CMD_WRITE;

	s->cmd.edtl = edtl;
	s->cmd.read = read;
	s->cmd.write = write;
	s->cmd.bidi = read && write;
	/* Values 5-7 are reserved: left to the SCSI layer to refuse. */
	s->cmd.attr = h->flags & ISCSI_FLAG_CMD_ATTR_MASK;
	memcpy(s->cmd.cdb, h->cdb, sizeof(s->cmd.cdb));

	if (s->itt == RESERVED_ITT)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	/* "Setting both the W and the F bit to 0 is an error." (11.3.1) */
	if (!write && !s->final)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	/* Data expected but no direction given for it. */
	if (!read && !write && edtl)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	/*
	 * Immediate data is output data: a command that will not write
	 * cannot carry any, and a write cannot carry more than it declared.
	 */
	if (s->data_len && !write)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	if (s->data_len > edtl)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	/*
	 * F=0 promises unsolicited Data-Out. With every byte already in
	 * the command none could legally follow, and we would wait for the
	 * end of a sequence that never comes.
	 */
	if (write && !s->final && s->data_len == edtl)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	return ISPT_PDU_REJECT_NONE;
}

static enum ispt_pdu_reject decode_tmf(const struct iscsi_hdr *bhs,
				       struct ispt_pdu_summary *s)
{
	const struct iscsi_tm *h = (const void *)bhs;

	/*
	 * An unknown function is not a malformed PDU: RFC 7143 11.6.1 has
	 * the target answer "Task management function not supported", so
	 * the function goes to the caller unchecked.
	 */
	s->tmf.function = h->flags & ISCSI_FLAG_TM_FUNC_MASK;
	s->tmf.rtt = h->rtt;
	s->tmf.refcmdsn = be32_to_cpu(h->refcmdsn);
	s->tmf.exp_datasn = be32_to_cpu(h->exp_datasn);

	if (s->itt == RESERVED_ITT)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	return ISPT_PDU_REJECT_NONE;
}

static bool login_stage_valid(u8 stage)
{
	return stage == ISCSI_SECURITY_NEGOTIATION_STAGE ||
	       stage == ISCSI_OP_PARMS_NEGOTIATION_STAGE;
}

static enum ispt_pdu_reject decode_login(const struct iscsi_hdr *bhs,
					 struct ispt_pdu_summary *s)
{
	const struct iscsi_login_req *h = (const void *)bhs;
	u8 flags = h->flags;

	/* Bit 7 of byte 1 is T here, not F. */
	s->final = false;
	s->login.transit = flags & ISCSI_FLAG_LOGIN_TRANSIT;
	s->login.cont = flags & ISCSI_FLAG_LOGIN_CONTINUE;
	s->login.csg = ISCSI_LOGIN_CURRENT_STAGE(flags);
	/* NSG is reserved unless T is set (11.12.3). */
	if (s->login.transit)
		s->login.nsg = ISCSI_LOGIN_NEXT_STAGE(flags);
	s->login.version_max = h->max_version;
	s->login.version_min = h->min_version;
	memcpy(s->login.isid, h->isid, sizeof(s->login.isid));
	s->login.tsih = be16_to_cpu(h->tsih);
	s->login.cid = be16_to_cpu(h->cid);

	if (s->itt == RESERVED_ITT)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	/* Text still to come (C) and leaving the stage (T) contradict. */
	if (s->login.transit && s->login.cont)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	/* Stage 2 is reserved, and the login is never in stage 3 yet. */
	if (!login_stage_valid(s->login.csg))
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	/* A transition only goes forward, to stage 1 or to 3. */
	if (s->login.transit &&
	    ((s->login.nsg != ISCSI_OP_PARMS_NEGOTIATION_STAGE &&
	      s->login.nsg != ISCSI_FULL_FEATURE_PHASE) ||
	     s->login.nsg <= s->login.csg))
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	return ISPT_PDU_REJECT_NONE;
}

static enum ispt_pdu_reject decode_text(const struct iscsi_hdr *bhs,
					struct ispt_pdu_summary *s)
{
	const struct iscsi_text *h = (const void *)bhs;

	s->text.cont = h->flags & ISCSI_FLAG_TEXT_CONTINUE;
	s->text.ttt = be32_to_cpu(h->ttt);

	if (s->itt == RESERVED_ITT)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	/* "continued" and "final" together are an error (11.10.2). */
	if (s->text.cont && s->final)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	return ISPT_PDU_REJECT_NONE;
}

static enum ispt_pdu_reject decode_data_out(const struct iscsi_hdr *bhs,
					    struct ispt_pdu_summary *s)
{
	const struct iscsi_data *h = (const void *)bhs;

	s->data.ttt = be32_to_cpu(h->ttt);
	s->data.datasn = be32_to_cpu(h->datasn);
	s->data.offset = be32_to_cpu(h->offset);

	/* It must name the command whose data it carries. */
	if (s->itt == RESERVED_ITT)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	return ISPT_PDU_REJECT_NONE;
}

static enum ispt_pdu_reject decode_logout(const struct iscsi_hdr *bhs,
					  struct ispt_pdu_summary *s)
{
	const struct iscsi_logout *h = (const void *)bhs;

	s->logout.reason = h->flags & ISCSI_FLAG_LOGOUT_REASON_MASK;
	/* The CID is reserved when the whole session goes (11.14.2). */
	if (s->logout.reason != ISCSI_LOGOUT_REASON_CLOSE_SESSION)
		s->logout.cid = be16_to_cpu(h->cid);

	if (s->itt == RESERVED_ITT)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	/* RFC 7143 defines reasons 0-2 only; we cannot act on others. */
	if (s->logout.reason > ISCSI_LOGOUT_REASON_RECOVERY)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	return ISPT_PDU_REJECT_NONE;
}

static enum ispt_pdu_reject decode_snack(const struct iscsi_hdr *bhs,
					 struct ispt_pdu_summary *s)
{
	const struct iscsi_snack *h = (const void *)bhs;
	u8 type = h->flags & ISCSI_FLAG_SNACK_TYPE_MASK;

	s->snack.type = type;
	s->snack.ttt = be32_to_cpu(h->ttt);
	s->snack.begrun = be32_to_cpu(h->begrun);
	s->snack.runlength = be32_to_cpu(h->runlength);

	if (type > ISCSI_FLAG_SNACK_TYPE_RDATA)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	/*
	 * Data/R2T and R-Data SNACKs name the task to resend for; Status
	 * SNACK and DataACK carry 0xffffffff, which we need not check.
	 */
	if ((type == ISCSI_FLAG_SNACK_TYPE_DATA ||
	     type == ISCSI_FLAG_SNACK_TYPE_RDATA) && s->itt == RESERVED_ITT)
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	return ISPT_PDU_REJECT_NONE;
}

typedef enum ispt_pdu_reject (*decode_fn)(const struct iscsi_hdr *bhs,
					  struct ispt_pdu_summary *s);

struct opcode_desc {
	decode_fn		decode;
	enum ispt_pdu_kind	kind;
	bool			has_i_bit;	/* else bit 6 is reserved */
	bool			has_lun;	/* bytes 8-15 are a LUN */
	bool			has_cmdsn;	/* bytes 24-27 are CmdSN */
};

/*
 * Initiator opcodes (RFC 7143 11.2.1.2). Data-Out and SNACK have no I bit
 * and no CmdSN; Login and Logout have no LUN. Text carries "LUN or
 * Reserved", decoded as a LUN for the caller to use or ignore.
 */
static const struct opcode_desc opcode_table[ISCSI_OPCODE_MASK + 1] = {
	[ISCSI_OP_NOOP_OUT]	= { decode_nop_out, ISPT_PDU_NOP_OUT,
				    true, true, true },
	[ISCSI_OP_SCSI_CMD]	= { decode_scsi_cmd, ISPT_PDU_SCSI_CMD,
				    true, true, true },
	[ISCSI_OP_SCSI_TMFUNC]	= { decode_tmf, ISPT_PDU_TMF,
				    true, true, true },
	[ISCSI_OP_LOGIN]	= { decode_login, ISPT_PDU_LOGIN,
				    true, false, true },
	[ISCSI_OP_TEXT]		= { decode_text, ISPT_PDU_TEXT,
				    true, true, true },
	[ISCSI_OP_SCSI_DATA_OUT] = { decode_data_out, ISPT_PDU_DATA_OUT,
				    false, true, false },
	[ISCSI_OP_LOGOUT]	= { decode_logout, ISPT_PDU_LOGOUT,
				    true, false, true },
	[ISCSI_OP_SNACK]	= { decode_snack, ISPT_PDU_SNACK,
				    false, true, false },
};

/**
 * ispt_pdu_decode() - Decode and sanity-check an initiator's BHS.
 * @bhs: the 48-byte Basic Header Segment, 4-byte aligned.
 * @s: filled with what was decoded, even when the PDU is rejected.
 *
 * Reads exactly ISPT_PDU_BHS_LEN bytes. Lengths are only reported: bound
 * them with ispt_pdu_check_lengths() before reading AHS or data.
 *
 * Return: ISPT_PDU_REJECT_NONE, or the reason to put in a Reject PDU.
 * Target opcodes are a protocol error; vendor-specific and undefined
 * initiator opcodes are "Command not supported".
 */
enum ispt_pdu_reject ispt_pdu_decode(const struct iscsi_hdr *bhs,
				     struct ispt_pdu_summary *s)
{
	/* Byte 0 bit 7 is reserved (the drafts' retry bit): masked off. */
	u8 op = bhs->opcode & ISCSI_OPCODE_MASK;
	const struct opcode_desc *d = &opcode_table[op];
	/* Every initiator PDU keeps CmdSN and ExpStatSN where NOP-Out does. */
	const struct iscsi_nopout *sn = (const void *)bhs;

	pdu_pin_layouts();
	memset(s, 0, sizeof(*s));
	s->opcode = op;
	s->itt = bhs->itt;
	s->ahs_len = bhs->hlength * 4;
	s->data_len = ntoh24(bhs->dlength);
	s->exp_statsn = be32_to_cpu(sn->exp_statsn);
	if (!d->decode)
		return op & TARGET_OPCODE_BIT ? ISPT_PDU_REJECT_PROTOCOL_ERROR :
			ISPT_PDU_REJECT_CMD_NOT_SUPPORTED;

	s->kind = d->kind;
	s->immediate = d->has_i_bit && (bhs->opcode & ISCSI_OP_IMMEDIATE);
	s->final = bhs->flags & PDU_F_BIT;
	if (d->has_lun)
		s->lun = get_unaligned_be64(&bhs->lun);
	if (d->has_cmdsn)
		s->cmdsn = be32_to_cpu(sn->cmdsn);
	return d->decode(bhs, s);
}

/**
 * ispt_pdu_check_lengths() - Bound a decoded PDU's AHS and data segment.
 * @s: a summary from ispt_pdu_decode().
 * @max_recv_dsl: our MaxRecvDataSegmentLength on this connection (8192
 *	during login).
 * @max_ahs: the most AHS bytes the caller will read for this PDU: 0 for
 *	any but a SCSI Command, the only PDU with AHS types defined.
 *
 * Call before reading past the BHS: a header that announces more than we
 * declared we would receive is a protocol error, not something to size a
 * read by.
 */
enum ispt_pdu_reject
ispt_pdu_check_lengths(const struct ispt_pdu_summary *s, u32 max_recv_dsl,
		       u32 max_ahs)
{
	if (s->ahs_len > max_ahs)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	if (s->data_len > max_recv_dsl)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	return ISPT_PDU_REJECT_NONE;
}

/**
 * ispt_pdu_check_unsolicited() - Check a write's unsolicited data against
 *	the session's keys.
 * @s: a decoded SCSI Command; other PDUs pass.
 * @immediate_data: ImmediateData=Yes was negotiated.
 * @initial_r2t: InitialR2T=Yes was negotiated.
 * @first_burst: FirstBurstLength.
 *
 * Immediate data and unsolicited Data-Out together may not pass
 * FirstBurstLength (RFC 7143 13.14), and F=0 announces Data-Out that
 * InitialR2T=Yes forbids.
 */
enum ispt_pdu_reject
ispt_pdu_check_unsolicited(const struct ispt_pdu_summary *s,
			   bool immediate_data, bool initial_r2t,
			   u32 first_burst)
{
	if (s->kind != ISPT_PDU_SCSI_CMD || !s->cmd.write)
		return ISPT_PDU_REJECT_NONE;
	if (s->data_len && !immediate_data)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	if (s->data_len > first_burst)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	if (!s->final) {
		if (initial_r2t)
			return ISPT_PDU_REJECT_PROTOCOL_ERROR;
		/* The first burst is already full: nothing may follow. */
		if (s->data_len >= min(first_burst, s->cmd.edtl))
			return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	}
	return ISPT_PDU_REJECT_NONE;
}

/**
 * ispt_pdu_parse_ahs() - Walk the AHSs of a SCSI Command.
 * @ahs: the TotalAHSLength bytes that follow the BHS.
 * @len: their count, as ispt_pdu_check_lengths() let through.
 * @out: what they carry; @out->ecdb points into @ahs.
 *
 * Each AHS is a 16-bit length of its specific bytes, a type, then those
 * bytes padded to 4 (RFC 7143 11.2.2). One that runs past @len is a
 * protocol error; unknown types, repeats and impossible lengths are
 * invalid fields, since acting on a CDB we only half understood would be
 * worse than refusing it.
 */
enum ispt_pdu_reject ispt_pdu_parse_ahs(const void *ahs, u32 len,
					struct ispt_pdu_ahs *out)
{
	const u8 *p = ahs;

	memset(out, 0, sizeof(*out));
	if (len % 4)
		return ISPT_PDU_REJECT_PROTOCOL_ERROR;
	while (len) {
		u16 spec_len = get_unaligned_be16(p);
		u32 total = round_up(3 + (u32)spec_len, 4);

		if (total > len)
			return ISPT_PDU_REJECT_PROTOCOL_ERROR;
		switch (p[2] & AHS_TYPE_MASK) {
		case ISCSI_AHSTYPE_CDB:
			/* A reserved byte, then CDB bytes 16 and up. */
			if (out->ecdb || spec_len < 2 ||
			    spec_len - 1 > ISPT_PDU_MAX_ECDB_LEN)
				return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
			out->ecdb = p + 4;
			out->ecdb_len = spec_len - 1;
			break;
		case ISCSI_AHSTYPE_RLENGTH:
			/* A reserved byte, then the 32-bit length. */
			if (out->has_bidi_read_len || spec_len != 5)
				return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
			out->has_bidi_read_len = true;
			out->bidi_read_len = get_unaligned_be32(p + 4);
			break;
		default:
			return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
		}
		p += total;
		len -= total;
	}
	return ISPT_PDU_REJECT_NONE;
}

/* Clear the BHS and set what every target PDU has. */
static void start_bhs(struct iscsi_hdr *bhs, u8 opcode, u8 flags,
		      u32 data_len)
{
	memset(bhs, 0, ISPT_PDU_BHS_LEN);
	bhs->opcode = opcode;
	bhs->flags = flags;
	/* Callers size segments by negotiated limits, all below 2^24. */
	WARN_ON_ONCE(data_len > ISPT_PDU_MAX_DSL);
	hton24(bhs->dlength, data_len);
}

/*
 * StatSN is only carried where it means something: Data-In without S
 * reserves the field (RFC 7143 11.7.4).
 */
static void put_sn(struct iscsi_hdr *bhs, const struct ispt_pdu_sn *sn,
		   bool with_statsn)
{
	struct iscsi_nopin *h = (void *)bhs;

	if (with_statsn)
		h->statsn = cpu_to_be32(sn->statsn);
	h->exp_cmdsn = cpu_to_be32(sn->exp_cmdsn);
	h->max_cmdsn = cpu_to_be32(sn->max_cmdsn);
}

/**
 * ispt_pdu_refresh_sn() - Current ExpCmdSN and MaxCmdSN in a sent header.
 * @bhs: a target PDU's header, as first sent.
 * @sn: sequence numbers; the StatSN in @bhs is kept.
 *
 * What a PDU resent for a SNACK must carry (RFC 7143 11.16).
 */
void ispt_pdu_refresh_sn(struct iscsi_hdr *bhs, const struct ispt_pdu_sn *sn)
{
	put_sn(bhs, sn, false);
}

static u8 residual_bits(const struct ispt_pdu_residual *r, u8 o_bit,
			u8 u_bit)
{
	if (r->overflow)
		return o_bit;
	if (r->underflow)
		return u_bit;
	return 0;
}

/* The count is only valid beside an O or U bit (11.4.5); 0 otherwise. */
static __be32 residual_count(const struct ispt_pdu_residual *r)
{
	return cpu_to_be32(r->overflow || r->underflow ? r->count : 0);
}

/**
 * ispt_pdu_build_scsi_rsp() - Fill a SCSI Response BHS.
 * @bhs: the 48 bytes to fill.
 * @a: response, status, residuals and sense length.
 * @sn: the connection's StatSN and the session's window.
 */
void ispt_pdu_build_scsi_rsp(struct iscsi_hdr *bhs,
			     const struct ispt_pdu_scsi_rsp_args *a,
			     const struct ispt_pdu_sn *sn)
{
	struct iscsi_scsi_rsp *h = (void *)bhs;
	u8 flags = PDU_F_BIT;

	flags |= residual_bits(&a->residual, ISCSI_FLAG_CMD_OVERFLOW,
			       ISCSI_FLAG_CMD_UNDERFLOW);
	flags |= residual_bits(&a->bidi_residual, ISCSI_FLAG_CMD_BIDI_OVERFLOW,
			       ISCSI_FLAG_CMD_BIDI_UNDERFLOW);
	start_bhs(bhs, ISCSI_OP_SCSI_CMD_RSP, flags, a->data_len);
	h->response = a->response;
	h->cmd_status = a->status;
	h->itt = a->itt;
	put_sn(bhs, sn, true);
	h->exp_datasn = cpu_to_be32(a->exp_datasn);
	h->bi_residual_count = residual_count(&a->bidi_residual);
	h->residual_count = residual_count(&a->residual);
}

/**
 * ispt_pdu_build_data_in() - Fill a SCSI Data-In BHS.
 * @bhs: the 48 bytes to fill.
 * @a: where the segment lies and, with S, the phase-collapsed status.
 * @sn: StatSN is only written with S, as the field is reserved without.
 *
 * S forces F: status can only ride on the last PDU of a sequence.
 */
void ispt_pdu_build_data_in(struct iscsi_hdr *bhs,
			    const struct ispt_pdu_data_in_args *a,
			    const struct ispt_pdu_sn *sn)
{
	struct iscsi_data_rsp *h = (void *)bhs;
	u8 flags = 0;

	if (a->final || a->has_status)
		flags |= PDU_F_BIT;
	if (a->ack)
		flags |= ISCSI_FLAG_DATA_ACK;
	if (a->has_status)
		flags |= ISCSI_FLAG_DATA_STATUS |
			 residual_bits(&a->residual, ISCSI_FLAG_DATA_OVERFLOW,
				       ISCSI_FLAG_DATA_UNDERFLOW);
	start_bhs(bhs, ISCSI_OP_SCSI_DATA_IN, flags, a->data_len);
	if (a->has_status) {
		h->cmd_status = a->status;
		h->residual_count = residual_count(&a->residual);
	}
	put_unaligned_be64(a->lun, &h->lun);
	h->itt = a->itt;
	h->ttt = cpu_to_be32(a->ttt);
	put_sn(bhs, sn, a->has_status);
	h->datasn = cpu_to_be32(a->datasn);
	h->offset = cpu_to_be32(a->offset);
}

/**
 * ispt_pdu_build_r2t() - Fill an R2T BHS.
 * @bhs: the 48 bytes to fill.
 * @itt: the write's ITT.
 * @lun: the write's LUN.
 * @ttt: the tag its Data-Out will carry.
 * @r2t: R2TSN, offset and length, from ispt_pdu_r2t_plan_next().
 * @sn: StatSN is carried but not advanced by an R2T.
 */
void ispt_pdu_build_r2t(struct iscsi_hdr *bhs, itt_t itt, u64 lun, u32 ttt,
			const struct ispt_pdu_r2t *r2t,
			const struct ispt_pdu_sn *sn)
{
	struct iscsi_r2t_rsp *h = (void *)bhs;

	start_bhs(bhs, ISCSI_OP_R2T, PDU_F_BIT, 0);
	put_unaligned_be64(lun, &h->lun);
	h->itt = itt;
	h->ttt = cpu_to_be32(ttt);
	put_sn(bhs, sn, true);
	h->r2tsn = cpu_to_be32(r2t->r2tsn);
	h->data_offset = cpu_to_be32(r2t->offset);
	h->data_length = cpu_to_be32(r2t->length);
}

/**
 * ispt_pdu_build_nop_in() - Fill a NOP-In BHS.
 * @bhs: the 48 bytes to fill.
 * @itt: the NOP-Out's ITT, or RESERVED_ITT for our own ping.
 * @ttt: our ping's tag, or ISCSI_RESERVED_TAG when answering.
 * @lun: copied from the NOP-Out, or ours with a valid @ttt.
 * @data_len: ping data echoed back.
 * @sn: sequence numbers.
 */
void ispt_pdu_build_nop_in(struct iscsi_hdr *bhs, itt_t itt, u32 ttt,
			   u64 lun, u32 data_len,
			   const struct ispt_pdu_sn *sn)
{
	struct iscsi_nopin *h = (void *)bhs;

	start_bhs(bhs, ISCSI_OP_NOOP_IN, PDU_F_BIT, data_len);
	put_unaligned_be64(lun, &h->lun);
	h->itt = itt;
	h->ttt = cpu_to_be32(ttt);
	put_sn(bhs, sn, true);
}

/**
 * ispt_pdu_build_login_rsp() - Fill a Login Response BHS.
 * @bhs: the 48 bytes to fill.
 * @a: stages, versions, session identity and login status.
 * @sn: sequence numbers.
 */
void ispt_pdu_build_login_rsp(struct iscsi_hdr *bhs,
			      const struct ispt_pdu_login_rsp_args *a,
			      const struct ispt_pdu_sn *sn)
{
	struct iscsi_login_rsp *h = (void *)bhs;
	u8 flags = (a->csg << 2) & ISCSI_FLAG_LOGIN_CURRENT_STAGE_MASK;

	if (a->transit)
		flags |= ISCSI_FLAG_LOGIN_TRANSIT |
			 (a->nsg & ISCSI_FLAG_LOGIN_NEXT_STAGE_MASK);
	if (a->cont)
		flags |= ISCSI_FLAG_LOGIN_CONTINUE;
	start_bhs(bhs, ISCSI_OP_LOGIN_RSP, flags, a->data_len);
	h->max_version = a->version_max;
	h->active_version = a->version_active;
	memcpy(h->isid, a->isid, sizeof(h->isid));
	h->tsih = cpu_to_be16(a->tsih);
	h->itt = a->itt;
	put_sn(bhs, sn, true);
	h->status_class = a->status_class;
	h->status_detail = a->status_detail;
}

/**
 * ispt_pdu_build_text_rsp() - Fill a Text Response BHS.
 * @bhs: the 48 bytes to fill.
 * @itt: the Text Request's ITT.
 * @ttt: ours while more text is to come, else ISCSI_RESERVED_TAG.
 * @final: F, the last response of the exchange.
 * @cont: C, this text continues in the next response.
 * @data_len: key=value bytes.
 * @sn: sequence numbers.
 */
void ispt_pdu_build_text_rsp(struct iscsi_hdr *bhs, itt_t itt, u32 ttt,
			     bool final, bool cont, u32 data_len,
			     const struct ispt_pdu_sn *sn)
{
	struct iscsi_text_rsp *h = (void *)bhs;
	u8 flags = 0;

	if (final)
		flags |= PDU_F_BIT;
	if (cont)
		flags |= ISCSI_FLAG_TEXT_CONTINUE;
	start_bhs(bhs, ISCSI_OP_TEXT_RSP, flags, data_len);
	h->itt = itt;
	h->ttt = cpu_to_be32(ttt);
	put_sn(bhs, sn, true);
}

/**
 * ispt_pdu_build_logout_rsp() - Fill a Logout Response BHS.
 * @bhs: the 48 bytes to fill.
 * @itt: the Logout Request's ITT.
 * @response: ISCSI_LOGOUT_SUCCESS, ...
 * @time2wait: seconds before reconnecting to recover.
 * @time2retain: seconds we keep the tasks for recovery.
 * @sn: sequence numbers.
 */
void ispt_pdu_build_logout_rsp(struct iscsi_hdr *bhs, itt_t itt,
			       u8 response, u16 time2wait, u16 time2retain,
			       const struct ispt_pdu_sn *sn)
{
	struct iscsi_logout_rsp *h = (void *)bhs;

	start_bhs(bhs, ISCSI_OP_LOGOUT_RSP, PDU_F_BIT, 0);
	h->response = response;
	h->itt = itt;
	put_sn(bhs, sn, true);
	h->t2wait = cpu_to_be16(time2wait);
	h->t2retain = cpu_to_be16(time2retain);
}

/**
 * ispt_pdu_build_reject() - Fill a Reject BHS.
 * @bhs: the 48 bytes to fill.
 * @reason: why.
 * @datasn: the DataSN/R2TSN to resume at for a rejected Data SNACK, else 0.
 * @sn: sequence numbers.
 *
 * The data segment is the rejected PDU's BHS, which the caller sends right
 * after this one; DataSegmentLength says so.
 */
void ispt_pdu_build_reject(struct iscsi_hdr *bhs, enum ispt_pdu_reject reason,
			   u32 datasn, const struct ispt_pdu_sn *sn)
{
	struct iscsi_reject *h = (void *)bhs;

	start_bhs(bhs, ISCSI_OP_REJECT, PDU_F_BIT, ISPT_PDU_BHS_LEN);
	h->reason = reason;
	h->ffffffff = cpu_to_be32(ISCSI_RESERVED_TAG);
	put_sn(bhs, sn, true);
	h->datasn = cpu_to_be32(datasn);
}

/**
 * ispt_pdu_build_async() - Fill an Asynchronous Message BHS.
 * @bhs: the 48 bytes to fill.
 * @a: event, its parameters and the sense data length for SCSI events.
 * @sn: sequence numbers.
 */
void ispt_pdu_build_async(struct iscsi_hdr *bhs,
			  const struct ispt_pdu_async_args *a,
			  const struct ispt_pdu_sn *sn)
{
	struct iscsi_async *h = (void *)bhs;

	start_bhs(bhs, ISCSI_OP_ASYNC_EVENT, PDU_F_BIT, a->data_len);
	put_unaligned_be64(a->lun, &h->lun);
	/* Bytes 16-19 are 0xffffffff; iscsi_async calls them reserved. */
	bhs->itt = RESERVED_ITT;
	put_sn(bhs, sn, true);
	h->async_event = a->event;
	h->async_vcode = a->vcode;
	h->param1 = cpu_to_be16(a->param1);
	h->param2 = cpu_to_be16(a->param2);
	h->param3 = cpu_to_be16(a->param3);
}

/**
 * ispt_pdu_build_tmf_rsp() - Fill a Task Management Function Response BHS.
 * @bhs: the 48 bytes to fill.
 * @itt: the TMF Request's ITT.
 * @response: ISCSI_TMF_RSP_*.
 * @sn: sequence numbers.
 */
void ispt_pdu_build_tmf_rsp(struct iscsi_hdr *bhs, itt_t itt, u8 response,
			    const struct ispt_pdu_sn *sn)
{
	struct iscsi_tm_rsp *h = (void *)bhs;

	start_bhs(bhs, ISCSI_OP_SCSI_TMFUNC_RSP, PDU_F_BIT, 0);
	h->response = response;
	h->itt = itt;
	put_sn(bhs, sn, true);
}

/**
 * ispt_pdu_cmdsn_check() - Place a non-immediate CmdSN in the window.
 * @cmdsn: the command's CmdSN.
 * @exp_cmdsn: the session's ExpCmdSN.
 * @max_cmdsn: the session's MaxCmdSN.
 *
 * Serial arithmetic (RFC 1982) handles the wrap at 2^32. MaxCmdSN =
 * ExpCmdSN - 1 is a closed window, where even ExpCmdSN is dropped.
 * Immediate commands bypass the window and must not be checked here.
 */
enum ispt_pdu_cmdsn_verdict ispt_pdu_cmdsn_check(u32 cmdsn, u32 exp_cmdsn,
						 u32 max_cmdsn)
{
	if (!iscsi_sna_lte(cmdsn, max_cmdsn))
		return ISPT_PDU_CMDSN_DROP;
	if (cmdsn == exp_cmdsn)
		return ISPT_PDU_CMDSN_EXPECTED;
	if (iscsi_sna_gt(cmdsn, exp_cmdsn))
		return ISPT_PDU_CMDSN_QUEUE;
	return ISPT_PDU_CMDSN_DROP;
}

/**
 * ispt_pdu_cmdsn_advance() - ExpCmdSN after the expected command is taken.
 * @exp_cmdsn: the current ExpCmdSN.
 *
 * Wraps from 0xffffffff to 0: serial numbers have no end.
 */
u32 ispt_pdu_cmdsn_advance(u32 exp_cmdsn)
{
	return exp_cmdsn + 1;
}

/**
 * ispt_pdu_cmdsn_max() - MaxCmdSN to advertise.
 * @exp_cmdsn: the current ExpCmdSN.
 * @depth: commands we can take now; 0 closes the window.
 * @prev_max_cmdsn: the MaxCmdSN advertised last.
 *
 * Never moves back: an initiator ignores a MaxCmdSN older than its own
 * (RFC 7143 4.2.2.1), so commands up to the last one advertised may
 * already be on their way and must stay acceptable.
 */
u32 ispt_pdu_cmdsn_max(u32 exp_cmdsn, u32 depth, u32 prev_max_cmdsn)
{
	u32 max_cmdsn = exp_cmdsn + depth - 1;

	if (iscsi_sna_lt(max_cmdsn, prev_max_cmdsn))
		return prev_max_cmdsn;
	return max_cmdsn;
}

/**
 * ispt_pdu_datain_init() - Start cutting a read into Data-In PDUs.
 * @it: the iterator.
 * @total: bytes to send; 0 yields no PDU (status goes in a SCSI Response).
 * @mrdsl: the initiator's MaxRecvDataSegmentLength.
 * @max_burst: MaxBurstLength, the most one sequence may carry.
 *
 * Return: 0, or -EINVAL if a limit is 0 (which would never make progress).
 */
int ispt_pdu_datain_init(struct ispt_pdu_datain_iter *it, u32 total,
			 u32 mrdsl, u32 max_burst)
{
	if (!mrdsl || !max_burst)
		return -EINVAL;
	it->total = total;
	it->mrdsl = mrdsl;
	it->max_burst = max_burst;
	it->offset = 0;
	it->burst_left = max_burst;
	it->datasn = 0;
	return 0;
}

/**
 * ispt_pdu_datain_next() - The next Data-In PDU of a read.
 * @it: the iterator.
 * @seg: filled when there is one.
 *
 * Each PDU carries at most MaxRecvDataSegmentLength and never crosses a
 * MaxBurstLength boundary; F ends each burst and the read. DataSN counts
 * across the whole command, not per burst.
 *
 * Return: false when the read is fully described.
 */
bool ispt_pdu_datain_next(struct ispt_pdu_datain_iter *it,
			  struct ispt_pdu_datain_seg *seg)
{
	u32 len;

	if (it->offset >= it->total)
		return false;
	len = min3(it->mrdsl, it->burst_left, it->total - it->offset);
	seg->offset = it->offset;
	seg->len = len;
	seg->datasn = it->datasn++;
	it->offset += len;
	it->burst_left -= len;
	seg->last = it->offset == it->total;
	seg->final = seg->last || !it->burst_left;
	if (!it->burst_left)
		it->burst_left = it->max_burst;
	return true;
}

/**
 * ispt_pdu_r2t_plan_init() - Plan the R2Ts of a write.
 * @plan: the plan.
 * @p: the write and the session keys that shape it.
 *
 * Unsolicited data is the immediate data plus, with @p->unsolicited, a
 * first burst that behaves as if we had sent an R2T for
 * [immediate_len, min(FirstBurstLength, EDTL)) (RFC 7143 13.10). The R2Ts
 * solicit the rest, MaxBurstLength at a time.
 *
 * Return: 0, or -EINVAL for limits of 0 or immediate data that passes the
 * transfer length or FirstBurstLength (which ispt_pdu_decode() and
 * ispt_pdu_check_unsolicited() reject first).
 */
int ispt_pdu_r2t_plan_init(struct ispt_pdu_r2t_plan *plan,
			   const struct ispt_pdu_r2t_params *p)
{
	if (!p->max_burst || !p->max_outstanding)
		return -EINVAL;
	if (p->immediate_len > p->edtl || p->immediate_len > p->first_burst)
		return -EINVAL;

	plan->edtl = p->edtl;
	plan->unsol_end = p->immediate_len;
	if (p->unsolicited)
		plan->unsol_end = min(p->first_burst, p->edtl);
	plan->next_offset = plan->unsol_end;
	plan->max_burst = p->max_burst;
	plan->max_outstanding = p->max_outstanding;
	plan->outstanding = 0;
	plan->next_r2tsn = 0;
	return 0;
}

/**
 * ispt_pdu_r2t_plan_can_issue() - How many R2Ts may be sent right now.
 * @plan: the plan.
 *
 * The lesser of the R2Ts left to send and the room MaxOutstandingR2T
 * leaves beside those already outstanding.
 */
u32 ispt_pdu_r2t_plan_can_issue(const struct ispt_pdu_r2t_plan *plan)
{
	u32 left = plan->edtl - plan->next_offset;
	u32 n;

	if (!left || plan->outstanding >= plan->max_outstanding)
		return 0;
	n = left / plan->max_burst + !!(left % plan->max_burst);
	return min(n, plan->max_outstanding - plan->outstanding);
}

/**
 * ispt_pdu_r2t_plan_next() - Take the next R2T to send.
 * @plan: the plan.
 * @r2t: filled when one may be sent.
 *
 * It counts as outstanding until ispt_pdu_r2t_plan_complete().
 *
 * Return: false when none may be sent now.
 */
bool ispt_pdu_r2t_plan_next(struct ispt_pdu_r2t_plan *plan,
			    struct ispt_pdu_r2t *r2t)
{
	if (!ispt_pdu_r2t_plan_can_issue(plan))
		return false;
	r2t->r2tsn = plan->next_r2tsn++;
	r2t->offset = plan->next_offset;
	r2t->length = min(plan->max_burst, plan->edtl - plan->next_offset);
	plan->next_offset += r2t->length;
	plan->outstanding++;
	return true;
}

/**
 * ispt_pdu_r2t_plan_complete() - The sequence answering an R2T is done.
 * @plan: the plan.
 *
 * Return: 0, or -EINVAL if no R2T was outstanding.
 */
int ispt_pdu_r2t_plan_complete(struct ispt_pdu_r2t_plan *plan)
{
	if (!plan->outstanding)
		return -EINVAL;
	plan->outstanding--;
	return 0;
}

/**
 * ispt_pdu_r2t_plan_done() - Every byte solicited and every R2T answered.
 * @plan: the plan.
 */
bool ispt_pdu_r2t_plan_done(const struct ispt_pdu_r2t_plan *plan)
{
	return plan->next_offset == plan->edtl && !plan->outstanding;
}

/**
 * ispt_pdu_dataout_seq_init() - Expect one Data-Out sequence.
 * @seq: the sequence.
 * @ttt: the R2T's TTT, or ISCSI_RESERVED_TAG for the unsolicited burst.
 * @offset: its first byte in the command buffer.
 * @length: bytes it must bring.
 * @buf_len: the command buffer's size (its EDTL).
 *
 * Return: 0, or -EINVAL if the sequence does not fit in the buffer.
 */
int ispt_pdu_dataout_seq_init(struct ispt_pdu_dataout_seq *seq, u32 ttt,
			      u32 offset, u32 length, u32 buf_len)
{
	if (offset > buf_len || length > buf_len - offset)
		return -EINVAL;
	seq->ttt = ttt;
	seq->next_datasn = 0;
	seq->offset = offset;
	seq->length = length;
	seq->received = 0;
	seq->buf_len = buf_len;
	seq->r2tsn = 0;
	seq->recovery = false;
	return 0;
}

/**
 * ispt_pdu_dataout_accept() - Judge a Data-Out against its sequence.
 * @seq: the sequence its TTT or ITT led the caller to.
 * @s: the decoded Data-Out.
 *
 * We negotiate DataPDUInOrder=Yes, so data must arrive at increasing
 * offsets without gaps, and DataSN counts 0, 1, ... within the sequence.
 * Only an accepted PDU advances @seq; the buffer bound is checked on its
 * own so that no verdict can let data land outside the command buffer.
 */
enum ispt_pdu_dataout_verdict
ispt_pdu_dataout_accept(struct ispt_pdu_dataout_seq *seq,
			const struct ispt_pdu_summary *s)
{
	u32 off = s->data.offset;
	u32 len = s->data_len;
	bool end;

	if (s->data.ttt != seq->ttt)
		return ISPT_PDU_DATAOUT_BAD_TTT;
	if (s->data.datasn != seq->next_datasn)
		return ISPT_PDU_DATAOUT_BAD_DATASN;
	if (off > seq->buf_len || len > seq->buf_len - off)
		return ISPT_PDU_DATAOUT_BUF_OVERRUN;
	if (off != seq->offset + seq->received)
		return ISPT_PDU_DATAOUT_BAD_OFFSET;
	if (seq->received == seq->length || len > seq->length - seq->received)
		return ISPT_PDU_DATAOUT_SEQ_OVERRUN;
	end = seq->received + len == seq->length;
	if (end && !s->final)
		return ISPT_PDU_DATAOUT_F_MISSING;
	if (!end && s->final)
		return ISPT_PDU_DATAOUT_F_EARLY;

	seq->received += len;
	seq->next_datasn++;
	return end ? ISPT_PDU_DATAOUT_ACCEPT_LAST : ISPT_PDU_DATAOUT_ACCEPT;
}

/**
 * ispt_pdu_dataout_reject() - The Reject reason for a refused Data-Out.
 * @verdict: from ispt_pdu_dataout_accept().
 *
 * Wrong tags and offsets are invalid fields (RFC 7143 11.17.1 names them);
 * sequencing faults are protocol errors. With ErrorRecoveryLevel > 0 a
 * DataSN gap should rather be answered with a recovery R2T.
 */
enum ispt_pdu_reject
ispt_pdu_dataout_reject(enum ispt_pdu_dataout_verdict verdict)
{
	switch (verdict) {
	case ISPT_PDU_DATAOUT_ACCEPT:
	case ISPT_PDU_DATAOUT_ACCEPT_LAST:
		return ISPT_PDU_REJECT_NONE;
	case ISPT_PDU_DATAOUT_BAD_TTT:
	case ISPT_PDU_DATAOUT_BAD_OFFSET:
	case ISPT_PDU_DATAOUT_SEQ_OVERRUN:
	case ISPT_PDU_DATAOUT_BUF_OVERRUN:
		return ISPT_PDU_REJECT_INVALID_PDU_FIELD;
	case ISPT_PDU_DATAOUT_BAD_DATASN:
	case ISPT_PDU_DATAOUT_F_MISSING:
	case ISPT_PDU_DATAOUT_F_EARLY:
		break;
	}
	return ISPT_PDU_REJECT_PROTOCOL_ERROR;
}

/**
 * ispt_pdu_snack_run() - The numbers a SNACK asks for again.
 * @begrun: its BegRun.
 * @runlength: its RunLength; 0 means all from @begrun on.
 * @first: the oldest number the initiator has not acknowledged.
 * @next: the next number not yet sent.
 * @beg: set to the first number asked for...
 * @end: ...and to the one after the last.
 *
 * StatSN, DataSN and R2TSN runs alike (RFC 7143 11.16.6, 11.16.7), in
 * serial number arithmetic: BegRun and RunLength both 0 ask for all that
 * is not acknowledged, which may be nothing. Anything else must name at
 * least one number, all in [@first, @next): one acknowledged or never
 * sent makes the SNACK a protocol error.
 *
 * Return: true with [@beg, @end) set, or false for a protocol error.
 */
bool ispt_pdu_snack_run(u32 begrun, u32 runlength, u32 first, u32 next,
			u32 *beg, u32 *end)
{
	u32 b = begrun, e;

	if (!begrun && !runlength)
		b = first;
	e = runlength ? begrun + runlength : next;
	if (iscsi_sna_lt(b, first) || iscsi_sna_gt(e, next) ||
	    iscsi_sna_gt(b, e) || (b == e && (begrun || runlength)))
		return false;
	*beg = b;
	*end = e;
	return true;
}

/**
 * ispt_pdu_residual() - O/U flag and residual count of a transfer.
 * @edtl: the initiator's Expected Data Transfer Length.
 * @xfer_len: bytes the SCSI command transfers (or would, for overflow).
 *
 * RFC 7143 11.4.5: underflow counts the bytes of EDTL not transferred,
 * overflow the bytes the command wanted beyond EDTL. @xfer_len is 64 bits
 * because a CDB can ask for more than 4 GiB; such a count saturates.
 */
struct ispt_pdu_residual ispt_pdu_residual(u32 edtl, u64 xfer_len)
{
	struct ispt_pdu_residual r = {};

	if (xfer_len > edtl) {
		r.overflow = true;
		r.count = min_t(u64, xfer_len - edtl, U32_MAX);
	} else if (xfer_len < edtl) {
		r.underflow = true;
		r.count = edtl - (u32)xfer_len;
	}
	return r;
}
