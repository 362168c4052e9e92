// SPDX-License-Identifier: GPL-2.0
/*
 * CDB decoding and sense data.
 *
 * Decoding only parses: ispt_scsi_decode() checks a CDB against the opcode
 * table and the logical unit and fills struct ispt_scsi_cmd, and whatever
 * executes it (bios in bdev.c, response data in spc.c) runs later on a
 * command that is known to be valid. One table, indexed by opcode, holds
 * each command's CDB length, its decoder and its CDB usage data, so that
 * REPORT SUPPORTED OPERATION CODES is generated from the very entries
 * that decode commands and cannot drift from them.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/string.h>

#include "compat.h"
#include "mode.h"
#include "pr.h"
#include "sbc_decode.h"
#include "scsi.h"
#include "spc.h"
#include "xcopy.h"

/* Byte 0 of fixed and descriptor format sense data */
#define SENSE_FIXED_CURRENT	0x70
#define SENSE_DESC_CURRENT	0x72
#define SENSE_FIXED_VALID	0x80	/* INFORMATION is valid */

/* Sense data descriptor types (SPC-4, descriptor format sense data) */
#define SENSE_DESC_INFO		0x00
#define SENSE_DESC_CSI		0x01
#define SENSE_DESC_SKS		0x02
#define SENSE_DESC_INFO_LEN	12
#define SENSE_DESC_CSI_LEN	12
#define SENSE_DESC_SKS_LEN	8

/* Sense-key specific byte 0 */
#define SKS_SKSV		0x80
#define SKS_CD			0x40
#define SKS_BPV			0x08

/* Control byte, the last byte of every CDB we decode (SAM-5) */
#define CONTROL_NACA		0x04
#define CONTROL_LINK		0x01

/*
 * Evaluated bits of the control byte, for the CDB usage data: we look at
 * NACA and LINK (and refuse both); the vendor bits and the obsolete FLAG
 * bit are ignored.
 */
#define CTL	(CONTROL_NACA | CONTROL_LINK)

#define INQUIRY_EVPD		0x01
#define INQUIRY_CMDDT		0x02
#define MODE_SENSE_DBD		0x08
#define MODE_SENSE_LLBAA	0x10
#define MODE_SELECT_PF		0x10
#define MODE_SELECT_RTD		0x02
#define MODE_SELECT_SP		0x01
#define REQUEST_SENSE_DESC	0x01
#define READ_CAPACITY_PMI	0x01
#define RSOC_RCTD		0x80
#define RSOC_OPTIONS		0x07
#define RSTMF_REPD		0x80
#define RESERVE_3RDPTY		0x10
#define RESERVE_LONGID		0x02
#define RESERVE6_OBSOLETE	0x1f	/* 3RDPTY, third party ID, EXTENT */
#define SA_MASK			0x1f	/* service action in byte 1 */

/* Byte 1 of commands that carry PROTECT, DPO and FUA */
#define RW_BYTE1		0xf8
#define RW_DPO			0x10
#define BYTCHK			0x06

#define REPORT_LUNS_MIN_ALLOC	16	/* SPC-4 REPORT LUNS */

/* SELECT REPORT values of REPORT LUNS (SPC-5) */
#define RL_ALL			0x00
#define RL_WELL_KNOWN		0x01
#define RL_ALL_AND_WELL_KNOWN	0x02
#define RL_ADMIN		0x10
#define RL_ADMIN_AND_ALL	0x11
#define RL_SUBSIDIARY		0x12

/* Longest parameter lists we take, so a CDB cannot size our allocation */
#define XCOPY_MAX_PARAM_LEN	4096
/*
 * A MODE SELECT list: a header, one long block descriptor and each of
 * our pages (56 bytes) fit in 80; this leaves room for pages repeated.
 */
#define MODE_SELECT_MAX_PARAM_LEN 512

/* REPORT SUPPORTED OPERATION CODES parameter data */
#define RSOC_CTDP		0x02	/* all_commands descriptor byte 5 */
#define RSOC_SERVACTV		0x01
#define RSOC_ONE_CTDP		0x80	/* one_command byte 1 */
#define RSOC_NOT_SUPPORTED	0x01
#define RSOC_SUPPORTED		0x03
#define RSOC_TIMEOUTS_LEN	12

/**
 * ispt_scsi_lun_desc_valid() - can SCSI describe this logical unit?
 * @lun: as the block backend filled it
 *
 * Checked once when the LU is enabled, so that decoding and the builders
 * never meet a zero capacity, a block size SBC hosts do not expect, or a
 * value too wide for the field that reports it.
 *
 * Return: true if every field is in range.
 */
bool ispt_scsi_lun_desc_valid(const struct ispt_scsi_lun_desc *lun)
{
	return lun->nr_blocks &&
	       is_power_of_2(lun->block_size) &&
	       lun->block_size >= 512 && lun->block_size <= 4096 &&
	       lun->lun <= ISPT_SCSI_MAX_LUN &&
	       lun->phys_block_exp <= 15 &&		/* 4 bits in RC16 */
	       lun->lowest_aligned_lba <= 0x3fff &&	/* 14 bits in RC16 */
	       lun->unmap_alignment <= 0x7fffffff;	/* 31 bits in 0xb0 */
}

/* Sense-key specific bytes: the field pointer of ILLEGAL REQUEST */
static void sense_key_specific(const struct ispt_sense *sense, u8 *sks)
{
	sks[0] = SKS_SKSV;
	if (sense->flags & ISPT_SENSE_CD)
		sks[0] |= SKS_CD;
	if (sense->flags & ISPT_SENSE_BPV)
		sks[0] |= SKS_BPV | (sense->bit & 7);
	put_unaligned_be16(sense->field, &sks[1]);
}

/*
 * A 64-bit INFORMATION value does not fit fixed format, which then
 * reports it as not valid (SPC-4, fixed format sense data); descriptor
 * format carries it.
 */
static u32 sense_fixed(const struct ispt_sense *sense, u8 *p)
{
	p[0] = SENSE_FIXED_CURRENT;
	if ((sense->flags & ISPT_SENSE_INFO) && sense->info <= U32_MAX) {
		p[0] |= SENSE_FIXED_VALID;
		put_unaligned_be32(sense->info, &p[3]);
	}
	p[2] = sense->key & 0x0f;
	p[7] = ISPT_SENSE_FIXED_LEN - 8;	/* ADDITIONAL SENSE LENGTH */
	if (sense->flags & ISPT_SENSE_CSI)
		put_unaligned_be32(sense->csi, &p[8]);
	p[12] = sense->asc;
	p[13] = sense->ascq;
	if (sense->flags & ISPT_SENSE_SKSV)
		sense_key_specific(sense, &p[15]);
	return ISPT_SENSE_FIXED_LEN;
}

static u32 sense_desc(const struct ispt_sense *sense, u8 *p)
{
	u32 n = 8;

	p[0] = SENSE_DESC_CURRENT;
	p[1] = sense->key & 0x0f;
	p[2] = sense->asc;
	p[3] = sense->ascq;
	if (sense->flags & ISPT_SENSE_INFO) {
		p[n] = SENSE_DESC_INFO;
		p[n + 1] = SENSE_DESC_INFO_LEN - 2;
		p[n + 2] = 0x80;			/* VALID */
		put_unaligned_be64(sense->info, &p[n + 4]);
		n += SENSE_DESC_INFO_LEN;
	}
	if (sense->flags & ISPT_SENSE_CSI) {
		p[n] = SENSE_DESC_CSI;
		p[n + 1] = SENSE_DESC_CSI_LEN - 2;
		put_unaligned_be64(sense->csi, &p[n + 4]);
		n += SENSE_DESC_CSI_LEN;
	}
	if (sense->flags & ISPT_SENSE_SKSV) {
		p[n] = SENSE_DESC_SKS;
		p[n + 1] = SENSE_DESC_SKS_LEN - 2;
		sense_key_specific(sense, &p[n + 4]);
		n += SENSE_DESC_SKS_LEN;
	}
	p[7] = n - 8;				/* ADDITIONAL SENSE LENGTH */
	return n;
}

/**
 * ispt_sense_build() - encode sense data into a caller buffer
 * @sense: what went wrong
 * @desc: descriptor format (0x72) rather than fixed format (0x70), as the
 *	control mode page D_SENSE bit asks
 * @buf: where to write; may be NULL to measure only
 * @len: bytes @buf can take; the data is cut there
 *
 * Return: the full length of the sense data, at most ISPT_SENSE_MAX_LEN.
 */
u32 ispt_sense_build(const struct ispt_sense *sense, bool desc,
		     u8 *buf, u32 len)
{
	u8 p[ISPT_SENSE_MAX_LEN] = { };
	u32 n = desc ? sense_desc(sense, p) : sense_fixed(sense, p);

	if (buf)
		memcpy(buf, p, min(n, len));
	return n;
}

/*
 * One entry of the opcode table. An opcode with service actions has no
 * decoder of its own, only a list of entries, one per service action.
 */
struct scsi_op {
	enum sam_status (*decode)(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				  const struct ispt_scsi_lun_desc *lun);
	/* NULL if every LU has it; else whether this one does */
	bool (*supported)(const struct ispt_scsi_lun_desc *lun);
	const struct scsi_op	*sa_ops;
	u8			nr_sa;
	u8			sa;
	u8			cdb_len;
	u8			flags;
	enum ispt_scsi_handler	handler;
	enum ispt_scsi_dir	dir;
	enum ispt_scsi_pr_class	pr;
	/*
	 * CDB usage data for REPORT SUPPORTED OPERATION CODES: the opcode,
	 * the service action in its own field, then a one for every bit the
	 * decoder evaluates (SPC-4, one_command parameter data). A KUnit
	 * test flips every zero bit and checks that decoding ignores it.
	 */
	u8			usage[16];
};

#define OP_ANY_LUN	BIT(0)	/* valid for a LUN with no logical unit */
#define OP_NO_UA	BIT(1)	/* does not report a unit attention */
#define OP_SPC2_OK	BIT(2)	/* runs under another nexus's RESERVE */
#define OP_MEDIUM	BIT(3)	/* NOT READY while the LU is stopped */
#define OP_IN_SANITIZE	BIT(4)	/* runs while a sanitize does (SBC-4) */

#define fail ispt_scsi_fail
#define set_alloc_len ispt_scsi_set_alloc_len

static enum sam_status decode_tur(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				  const struct ispt_scsi_lun_desc *lun)
{
	return SAM_STAT_GOOD;
}

/*
 * With no logical unit behind the LUN, INQUIRY still answers (peripheral
 * qualifier 011b), for VPD pages too, so lun may be NULL here.
 */
static enum sam_status decode_inquiry(struct ispt_scsi_cmd *cmd,
				      const u8 *cdb,
				      const struct ispt_scsi_lun_desc *lun)
{
	/* CmdDt went obsolete in SPC-3; SPC-2 devices without it refuse it. */
	if (cdb[1] & INQUIRY_CMDDT)
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 1));
	if (cdb[1] & INQUIRY_EVPD) {
		if (!ispt_spc_vpd_page_supported(cdb[2]))
			return fail(cmd, ispt_sense_invalid_cdb_field(2, -1));
		cmd->flags |= ISPT_SCSI_F_EVPD;
		cmd->inquiry.page = cdb[2];
	} else if (cdb[2]) {
		/* A page code without EVPD is meaningless (SPC-4 INQUIRY). */
		return fail(cmd, ispt_sense_invalid_cdb_field(2, -1));
	}
	set_alloc_len(cmd, get_unaligned_be16(&cdb[3]));
	return SAM_STAT_GOOD;
}

/*
 * SELECT REPORT (SPC-5): all LUNs (0), well-known LUs (1: we have none),
 * both (2), administrative LUs (0x10: none), those and all others (0x11:
 * the same as 0), subsidiary LUs of the addressed administrative LU
 * (0x12: ours is none, so none). The rest are reserved or vendor's.
 */
static enum sam_status decode_report_luns(struct ispt_scsi_cmd *cmd,
					  const u8 *cdb,
					  const struct ispt_scsi_lun_desc *lun)
{
	u32 alloc_len = get_unaligned_be32(&cdb[6]);

	switch (cdb[2]) {
	case RL_ALL:
	case RL_WELL_KNOWN:
	case RL_ALL_AND_WELL_KNOWN:
	case RL_ADMIN:
	case RL_ADMIN_AND_ALL:
	case RL_SUBSIDIARY:
		break;
	default:
		return fail(cmd, ispt_sense_invalid_cdb_field(2, -1));
	}
	if (alloc_len < REPORT_LUNS_MIN_ALLOC)
		return fail(cmd, ispt_sense_invalid_cdb_field(6, -1));
	cmd->report_luns.select = cdb[2];
	set_alloc_len(cmd, alloc_len);
	return SAM_STAT_GOOD;
}

static enum sam_status decode_mode_sense(struct ispt_scsi_cmd *cmd,
					 const u8 *cdb,
					 const struct ispt_scsi_lun_desc *lun)
{
	u8 pc = cdb[2] >> 6, page = cdb[2] & 0x3f, subpage = cdb[3];

	/* No page is saveable: SPC-4 6.13 wants this for saved values. */
	if (pc == ISPT_SCSI_PC_SAVED)
		return fail(cmd, ispt_sense_saving_unsupported(2, 7));
	if (!ispt_mode_page_supported(page, subpage)) {
		/* Point at the subpage when only the subpage is wrong. */
		if (ispt_mode_page_supported(page, 0))
			return fail(cmd, ispt_sense_invalid_cdb_field(3, -1));
		return fail(cmd, ispt_sense_invalid_cdb_field(2, 5));
	}
	if (cdb[1] & MODE_SENSE_DBD)
		cmd->flags |= ISPT_SCSI_F_DBD;
	cmd->mode.pc = pc;
	cmd->mode.page = page;
	cmd->mode.subpage = subpage;
	if (cmd->opcode == MODE_SENSE_10) {
		cmd->flags |= ISPT_SCSI_F_MODE10;
		if (cdb[1] & MODE_SENSE_LLBAA)
			cmd->flags |= ISPT_SCSI_F_LLBAA;
		set_alloc_len(cmd, get_unaligned_be16(&cdb[7]));
	} else {
		set_alloc_len(cmd, cdb[4]);
	}
	return SAM_STAT_GOOD;
}

/*
 * MODE SELECT(6/10): the pages follow as data-out and are checked by
 * ispt_mode_select() once received. Only the page format (PF=1) is
 * understood; reverting to defaults (RTD) is not offered, since a MODE
 * SELECT of the default values does the same. No page is saveable
 * (mode.h), so SP=1 is an invalid field in the CDB (SPC-4 6.11).
 */
static enum sam_status decode_mode_select(struct ispt_scsi_cmd *cmd,
					  const u8 *cdb,
					  const struct ispt_scsi_lun_desc *lun)
{
	u32 len;

	if (cmd->opcode == MODE_SELECT_10) {
		cmd->flags |= ISPT_SCSI_F_MODE10;
		len = get_unaligned_be16(&cdb[7]);
	} else {
		len = cdb[4];
	}
	if (cdb[1] & MODE_SELECT_RTD)
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 1));
	if (len && !(cdb[1] & MODE_SELECT_PF))
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 4));
	if (cdb[1] & MODE_SELECT_SP)
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 0));
	if (len > MODE_SELECT_MAX_PARAM_LEN)
		return fail(cmd, ispt_sense_param_list_length());
	cmd->data_len = len;
	if (!len)
		cmd->dir = ISPT_SCSI_DIR_NONE;
	return SAM_STAT_GOOD;
}

static enum sam_status decode_request_sense(struct ispt_scsi_cmd *cmd,
					    const u8 *cdb,
					    const struct ispt_scsi_lun_desc *lun)
{
	if (cdb[1] & REQUEST_SENSE_DESC)
		cmd->flags |= ISPT_SCSI_F_DESC;
	set_alloc_len(cmd, cdb[4]);
	return SAM_STAT_GOOD;
}

static const struct scsi_op scsi_ops[256];

/*
 * SPC-4 REPORT SUPPORTED OPERATION CODES: options 1 and 2 must match
 * whether that opcode has service actions; a mismatch is the initiator's
 * error, not an unsupported command.
 */
static enum sam_status decode_report_opcodes(struct ispt_scsi_cmd *cmd,
					     const u8 *cdb,
					     const struct ispt_scsi_lun_desc *lun)
{
	u8 options = cdb[2] & RSOC_OPTIONS;
	bool has_sa = scsi_ops[cdb[3]].sa_ops;

	if (options > ISPT_SCSI_RSOC_OPCODE_ANY ||
	    (options == ISPT_SCSI_RSOC_OPCODE && has_sa) ||
	    (options == ISPT_SCSI_RSOC_OPCODE_SA && !has_sa))
		return fail(cmd, ispt_sense_invalid_cdb_field(2, 2));
	if (cdb[2] & RSOC_RCTD)
		cmd->flags |= ISPT_SCSI_F_RCTD;
	cmd->rsoc.options = options;
	cmd->rsoc.opcode = cdb[3];
	cmd->rsoc.sa = get_unaligned_be16(&cdb[4]);
	set_alloc_len(cmd, get_unaligned_be32(&cdb[6]));
	return SAM_STAT_GOOD;
}

static enum sam_status decode_report_tmfs(struct ispt_scsi_cmd *cmd,
					  const u8 *cdb,
					  const struct ispt_scsi_lun_desc *lun)
{
	if (cdb[2] & RSTMF_REPD)
		cmd->flags |= ISPT_SCSI_F_REPD;
	set_alloc_len(cmd, get_unaligned_be32(&cdb[6]));
	return SAM_STAT_GOOD;
}

static enum sam_status decode_pr_in(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				    const struct ispt_scsi_lun_desc *lun)
{
	set_alloc_len(cmd, get_unaligned_be16(&cdb[7]));
	return SAM_STAT_GOOD;
}

/*
 * PERSISTENT RESERVE OUT: SCOPE and TYPE are checked by the service
 * action that uses them (pr.c), with the parameter list. The list is 24
 * bytes, plus a TransportID for REGISTER AND MOVE; anything longer cannot
 * be one we accept, so it is refused before we allocate for it.
 */
static enum sam_status decode_pr_out(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				     const struct ispt_scsi_lun_desc *lun)
{
	u32 len = get_unaligned_be32(&cdb[5]);

	if (len > ISPT_PR_OUT_MAX_LEN)
		return fail(cmd, ispt_sense_param_list_length());
	cmd->pr.scope = cdb[2] >> 4;
	cmd->pr.type = cdb[2] & 0x0f;
	cmd->data_len = len;
	if (!len)
		cmd->dir = ISPT_SCSI_DIR_NONE;
	return SAM_STAT_GOOD;
}

/*
 * RESERVE and RELEASE (SPC-2, 6 and 10): only whole-LU reservations for
 * the sending nexus. Third-party reservations and the obsolete extents
 * are refused; the RESERVE(10) parameter list only serves third-party
 * reservations, so it is not read.
 */
static enum sam_status decode_reserve(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				      const struct ispt_scsi_lun_desc *lun)
{
	if (cdb[0] == RESERVE || cdb[0] == RELEASE) {
		if (cdb[1] & RESERVE6_OBSOLETE)
			return fail(cmd, ispt_sense_invalid_cdb_field(1, 4));
	} else if (cdb[1] & RESERVE_3RDPTY) {
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 4));
	}
	return SAM_STAT_GOOD;
}

static enum sam_status decode_xcopy(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				    const struct ispt_scsi_lun_desc *lun)
{
	u32 len = get_unaligned_be32(&cdb[10]);

	/*
	 * The copy manager is this LU; the LUs it writes are checked when
	 * the descriptors are, so write protection is not judged here.
	 */
	if (len > XCOPY_MAX_PARAM_LEN)
		return fail(cmd, ispt_sense_param_list_length());
	cmd->data_len = len;
	if (!len)
		cmd->dir = ISPT_SCSI_DIR_NONE;
	return SAM_STAT_GOOD;
}

static enum sam_status decode_receive_copy(struct ispt_scsi_cmd *cmd,
					   const u8 *cdb,
					   const struct ispt_scsi_lun_desc *lun)
{
	if (cmd->service_action != ISPT_RCR_OPERATING_PARAMS)
		cmd->copy.list_id = cdb[2];
	set_alloc_len(cmd, get_unaligned_be32(&cdb[10]));
	return SAM_STAT_GOOD;
}

/* Commands that only some logical units offer */
static bool lun_can_write_same(const struct ispt_scsi_lun_desc *lun)
{
	return lun->max_write_same_blocks;
}

static bool lun_can_compare(const struct ispt_scsi_lun_desc *lun)
{
	return lun->max_compare_blocks;
}

static bool lun_can_atomic(const struct ispt_scsi_lun_desc *lun)
{
	return lun->max_atomic_blocks;
}

/* Byte 1 with PROTECT, DPO and FUA; and with PROTECT, DPO and BYTCHK */
#define VERIFY_BYTE1	(PROTECT_BITS | RW_DPO | BYTCHK)
#define PROTECT_BITS	0xe0

static const struct scsi_op scsi_sai16_ops[] = {
	{
		.sa = SAI_READ_CAPACITY_16, .cdb_len = 16,
		.decode = ispt_sbc_decode_read_capacity16,
		.handler = ISPT_SCSI_DO_READ_CAPACITY_16,
		.dir = ISPT_SCSI_DIR_IN, .pr = ISPT_PR_ALLOWED,
		.usage = { SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, READ_CAPACITY_PMI, CTL },
	},
	{
		.sa = SAI_GET_LBA_STATUS, .cdb_len = 16,
		.decode = ispt_sbc_decode_get_lba_status,
		.handler = ISPT_SCSI_DO_GET_LBA_STATUS,
		.dir = ISPT_SCSI_DIR_IN, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0, CTL },
	},
};

static const struct scsi_op scsi_maint_in_ops[] = {
	{
		.sa = MI_REPORT_SUPPORTED_OPERATION_CODES, .cdb_len = 12,
		.decode = decode_report_opcodes,
		.handler = ISPT_SCSI_DO_REPORT_OPCODES,
		.dir = ISPT_SCSI_DIR_IN, .flags = OP_IN_SANITIZE,
		.pr = ISPT_PR_READ,
		.usage = { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES,
			   RSOC_RCTD | RSOC_OPTIONS, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0, CTL },
	},
	{
		.sa = MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS,
		.cdb_len = 12,
		.decode = decode_report_tmfs,
		.handler = ISPT_SCSI_DO_REPORT_TMFS,
		.dir = ISPT_SCSI_DIR_IN, .flags = OP_IN_SANITIZE,
		.pr = ISPT_PR_READ,
		.usage = { MAINTENANCE_IN,
			   MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS,
			   RSTMF_REPD, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0,
			   CTL },
	},
};

static const struct scsi_op scsi_pr_in_ops[] = {
	{
		.sa = ISPT_PR_IN_READ_KEYS, .cdb_len = 10,
		.decode = decode_pr_in, .handler = ISPT_SCSI_DO_PR_IN,
		.dir = ISPT_SCSI_DIR_IN, .flags = OP_SPC2_OK,
		.pr = ISPT_PR_ALLOWED,
		.usage = { PERSISTENT_RESERVE_IN, ISPT_PR_IN_READ_KEYS, 0, 0, 0, 0, 0,
			   0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_IN_READ_RESERVATION, .cdb_len = 10,
		.decode = decode_pr_in, .handler = ISPT_SCSI_DO_PR_IN,
		.dir = ISPT_SCSI_DIR_IN, .flags = OP_SPC2_OK,
		.pr = ISPT_PR_ALLOWED,
		.usage = { PERSISTENT_RESERVE_IN, ISPT_PR_IN_READ_RESERVATION, 0, 0, 0, 0, 0,
			   0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_IN_REPORT_CAPABILITIES, .cdb_len = 10,
		.decode = decode_pr_in, .handler = ISPT_SCSI_DO_PR_IN,
		.dir = ISPT_SCSI_DIR_IN, .flags = OP_SPC2_OK,
		.pr = ISPT_PR_ALLOWED,
		.usage = { PERSISTENT_RESERVE_IN,
			   ISPT_PR_IN_REPORT_CAPABILITIES, 0, 0, 0, 0, 0,
			   0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_IN_READ_FULL_STATUS, .cdb_len = 10,
		.decode = decode_pr_in, .handler = ISPT_SCSI_DO_PR_IN,
		.dir = ISPT_SCSI_DIR_IN, .flags = OP_SPC2_OK,
		.pr = ISPT_PR_ALLOWED,
		.usage = { PERSISTENT_RESERVE_IN, ISPT_PR_IN_READ_FULL_STATUS, 0, 0, 0, 0, 0,
			   0xff, 0xff, CTL },
	},
};

static const struct scsi_op scsi_pr_out_ops[] = {
	{
		.sa = ISPT_PR_OUT_REGISTER, .cdb_len = 10,
		.decode = decode_pr_out, .handler = ISPT_SCSI_DO_PR_OUT,
		.dir = ISPT_SCSI_DIR_OUT, .pr = ISPT_PR_OUT,
		.usage = { PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_REGISTER,
			   0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_OUT_RESERVE, .cdb_len = 10,
		.decode = decode_pr_out, .handler = ISPT_SCSI_DO_PR_OUT,
		.dir = ISPT_SCSI_DIR_OUT, .pr = ISPT_PR_OUT,
		.usage = { PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_RESERVE,
			   0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_OUT_RELEASE, .cdb_len = 10,
		.decode = decode_pr_out, .handler = ISPT_SCSI_DO_PR_OUT,
		.dir = ISPT_SCSI_DIR_OUT, .pr = ISPT_PR_OUT,
		.usage = { PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_RELEASE,
			   0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_OUT_CLEAR, .cdb_len = 10,
		.decode = decode_pr_out, .handler = ISPT_SCSI_DO_PR_OUT,
		.dir = ISPT_SCSI_DIR_OUT, .pr = ISPT_PR_OUT,
		.usage = { PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_CLEAR,
			   0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_OUT_PREEMPT, .cdb_len = 10,
		.decode = decode_pr_out, .handler = ISPT_SCSI_DO_PR_OUT,
		.dir = ISPT_SCSI_DIR_OUT, .pr = ISPT_PR_OUT,
		.usage = { PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_PREEMPT,
			   0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_OUT_PREEMPT_ABORT, .cdb_len = 10,
		.decode = decode_pr_out, .handler = ISPT_SCSI_DO_PR_OUT,
		.dir = ISPT_SCSI_DIR_OUT, .pr = ISPT_PR_OUT,
		.usage = { PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_PREEMPT_ABORT,
			   0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_OUT_REGISTER_IGNORE, .cdb_len = 10,
		.decode = decode_pr_out, .handler = ISPT_SCSI_DO_PR_OUT,
		.dir = ISPT_SCSI_DIR_OUT, .pr = ISPT_PR_OUT,
		.usage = { PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_REGISTER_IGNORE,
			   0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_PR_OUT_REGISTER_MOVE, .cdb_len = 10,
		.decode = decode_pr_out, .handler = ISPT_SCSI_DO_PR_OUT,
		.dir = ISPT_SCSI_DIR_OUT, .pr = ISPT_PR_OUT,
		.usage = { PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_REGISTER_MOVE,
			   0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, CTL },
	},
};

static const struct scsi_op scsi_xcopy_ops[] = {
	{
		.sa = ISPT_XCOPY_SA_LID1, .cdb_len = 16,
		.decode = decode_xcopy, .handler = ISPT_SCSI_DO_XCOPY,
		.dir = ISPT_SCSI_DIR_OUT, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { EXTENDED_COPY, ISPT_XCOPY_SA_LID1, 0, 0, 0, 0, 0, 0,
			   0, 0, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
};

static const struct scsi_op scsi_rcr_ops[] = {
	{
		.sa = ISPT_RCR_COPY_STATUS, .cdb_len = 16,
		.decode = decode_receive_copy,
		.handler = ISPT_SCSI_DO_RECEIVE_COPY,
		.dir = ISPT_SCSI_DIR_IN, .pr = ISPT_PR_READ,
		.usage = { RECEIVE_COPY_RESULTS, ISPT_RCR_COPY_STATUS, 0xff, 0,
			   0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	{
		.sa = ISPT_RCR_RECEIVE_DATA, .cdb_len = 16,
		.decode = decode_receive_copy,
		.handler = ISPT_SCSI_DO_RECEIVE_COPY,
		.dir = ISPT_SCSI_DIR_IN, .pr = ISPT_PR_READ,
		.usage = { RECEIVE_COPY_RESULTS, ISPT_RCR_RECEIVE_DATA, 0xff, 0,
			   0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	{
		.sa = ISPT_RCR_OPERATING_PARAMS, .cdb_len = 16,
		.decode = decode_receive_copy,
		.handler = ISPT_SCSI_DO_RECEIVE_COPY,
		.dir = ISPT_SCSI_DIR_IN, .pr = ISPT_PR_READ,
		.usage = { RECEIVE_COPY_RESULTS, ISPT_RCR_OPERATING_PARAMS, 0,
			   0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0,
			   CTL },
	},
	{
		.sa = ISPT_RCR_FAILED_SEGMENTS, .cdb_len = 16,
		.decode = decode_receive_copy,
		.handler = ISPT_SCSI_DO_RECEIVE_COPY,
		.dir = ISPT_SCSI_DIR_IN, .pr = ISPT_PR_READ,
		.usage = { RECEIVE_COPY_RESULTS, ISPT_RCR_FAILED_SEGMENTS, 0xff,
			   0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0,
			   CTL },
	},
};

/*
 * Indexed by opcode, as ksmbd indexes its SMB2 commands. An entry with
 * neither decode nor sa_ops is an opcode we do not support.
 */
/*
 * SANITIZE: OVERWRITE and EXIT FAILURE MODE. BLOCK ERASE would need GET LBA
 * STATUS to report the blocks deallocated, which a block device cannot
 * tell us; CRYPTO ERASE needs an encrypting device.
 */
static const struct scsi_op scsi_sanitize_ops[] = {
	{
		.sa = ISPT_SANITIZE_OVERWRITE, .cdb_len = 10,
		.decode = ispt_sbc_decode_sanitize,
		.handler = ISPT_SCSI_DO_SANITIZE,
		.dir = ISPT_SCSI_DIR_OUT, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { ISPT_OP_SANITIZE, 0xe0 | ISPT_SANITIZE_OVERWRITE,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, CTL },
	},
	{
		.sa = ISPT_SANITIZE_EXIT_FAILURE_MODE, .cdb_len = 10,
		.decode = ispt_sbc_decode_sanitize,
		.handler = ISPT_SCSI_DO_SANITIZE,
		.pr = ISPT_PR_WRITE,
		.usage = { ISPT_OP_SANITIZE,
			   0xe0 | ISPT_SANITIZE_EXIT_FAILURE_MODE, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, CTL },
	},
};

static const struct scsi_op scsi_ops[256] = {
	[TEST_UNIT_READY] = {
		.decode = decode_tur, .handler = ISPT_SCSI_DO_TUR,
		.cdb_len = 6, .flags = OP_MEDIUM, .pr = ISPT_PR_ALLOWED,
		.usage = { TEST_UNIT_READY, 0, 0, 0, 0, CTL },
	},
	[REQUEST_SENSE] = {
		.decode = decode_request_sense,
		.handler = ISPT_SCSI_DO_REQUEST_SENSE,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 6,
		.flags = OP_ANY_LUN | OP_NO_UA | OP_SPC2_OK |
			 OP_IN_SANITIZE,
		.pr = ISPT_PR_ALLOWED,
		.usage = { REQUEST_SENSE, REQUEST_SENSE_DESC, 0, 0, 0xff, CTL },
	},
	[READ_6] = {
		.decode = ispt_sbc_decode_rw6,
		.handler = ISPT_SCSI_DO_READ,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 6, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { READ_6, 0x1f, 0xff, 0xff, 0xff, CTL },
	},
	[WRITE_6] = {
		.decode = ispt_sbc_decode_rw6,
		.handler = ISPT_SCSI_DO_WRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 6, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { WRITE_6, 0x1f, 0xff, 0xff, 0xff, CTL },
	},
	[INQUIRY] = {
		.decode = decode_inquiry, .handler = ISPT_SCSI_DO_INQUIRY,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 6,
		.flags = OP_ANY_LUN | OP_NO_UA | OP_SPC2_OK |
			 OP_IN_SANITIZE,
		.pr = ISPT_PR_ALLOWED,
		.usage = { INQUIRY, INQUIRY_CMDDT | INQUIRY_EVPD, 0xff,
			   0xff, 0xff, CTL },
	},
	[MODE_SELECT] = {
		.decode = decode_mode_select,
		.handler = ISPT_SCSI_DO_MODE_SELECT,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 6, .pr = ISPT_PR_WRITE,
		.usage = { MODE_SELECT, MODE_SELECT_PF | MODE_SELECT_RTD |
			   MODE_SELECT_SP, 0, 0, 0xff, CTL },
	},
	[RESERVE] = {
		.decode = decode_reserve, .handler = ISPT_SCSI_DO_RESERVE,
		.cdb_len = 6, .pr = ISPT_PR_ALLOWED,
		.usage = { RESERVE, RESERVE6_OBSOLETE, 0, 0, 0, CTL },
	},
	[RELEASE] = {
		.decode = decode_reserve, .handler = ISPT_SCSI_DO_RELEASE,
		.cdb_len = 6, .flags = OP_SPC2_OK, .pr = ISPT_PR_ALLOWED,
		.usage = { RELEASE, RESERVE6_OBSOLETE, 0, 0, 0, CTL },
	},
	[MODE_SENSE] = {
		.decode = decode_mode_sense, .handler = ISPT_SCSI_DO_MODE_SENSE,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 6, .pr = ISPT_PR_READ,
		.usage = { MODE_SENSE, MODE_SENSE_DBD, 0xff, 0xff, 0xff, CTL },
	},
	[START_STOP] = {
		.decode = ispt_sbc_decode_start_stop,
		.handler = ISPT_SCSI_DO_START_STOP, .cdb_len = 6,
		.pr = ISPT_PR_WRITE,
		.usage = { START_STOP, 0x01, 0, 0, 0xf3, CTL },
	},
	[ALLOW_MEDIUM_REMOVAL] = {
		.decode = ispt_sbc_decode_prevent_allow,
		.handler = ISPT_SCSI_DO_PREVENT_ALLOW, .cdb_len = 6,
		.pr = ISPT_PR_WRITE,
		.usage = { ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 0x03, CTL },
	},
	[READ_CAPACITY] = {
		.decode = ispt_sbc_decode_read_capacity10,
		.handler = ISPT_SCSI_DO_READ_CAPACITY_10,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 10, .pr = ISPT_PR_ALLOWED,
		.usage = { READ_CAPACITY, 0, 0xff, 0xff, 0xff, 0xff, 0, 0,
			   READ_CAPACITY_PMI, CTL },
	},
	[READ_10] = {
		.decode = ispt_sbc_decode_rw10,
		.handler = ISPT_SCSI_DO_READ,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 10, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { READ_10, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0, 0xff,
			   0xff, CTL },
	},
	[WRITE_10] = {
		.decode = ispt_sbc_decode_rw10,
		.handler = ISPT_SCSI_DO_WRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 10, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { WRITE_10, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0, 0xff,
			   0xff, CTL },
	},
	[WRITE_VERIFY] = {
		.decode = ispt_sbc_decode_write_verify,
		.handler = ISPT_SCSI_DO_WRITE_VERIFY,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 10, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { WRITE_VERIFY, VERIFY_BYTE1, 0xff, 0xff, 0xff, 0xff,
			   0, 0xff, 0xff, CTL },
	},
	[VERIFY] = {
		.decode = ispt_sbc_decode_verify,
		.handler = ISPT_SCSI_DO_VERIFY,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 10, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { VERIFY, VERIFY_BYTE1, 0xff, 0xff, 0xff, 0xff, 0,
			   0xff, 0xff, CTL },
	},
	[PRE_FETCH] = {
		.decode = ispt_sbc_decode_prefetch,
		.handler = ISPT_SCSI_DO_PREFETCH,
		.dir = ISPT_SCSI_DIR_NONE, .cdb_len = 10, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { PRE_FETCH, 0x02, 0xff, 0xff, 0xff, 0xff, 0, 0xff,
			   0xff, CTL },
	},
	[SYNCHRONIZE_CACHE] = {
		.decode = ispt_sbc_decode_sync10,
		.handler = ISPT_SCSI_DO_FLUSH,
		.dir = ISPT_SCSI_DIR_NONE, .cdb_len = 10, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { SYNCHRONIZE_CACHE, 0x02, 0xff, 0xff, 0xff, 0xff, 0,
			   0xff, 0xff, CTL },
	},
	[READ_DEFECT_DATA] = {
		.decode = ispt_sbc_decode_read_defect,
		.handler = ISPT_SCSI_DO_READ_DEFECT,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 10, .pr = ISPT_PR_READ,
		.usage = { READ_DEFECT_DATA, 0, 0x1f, 0, 0, 0, 0, 0xff, 0xff,
			   CTL },
	},
	[WRITE_SAME] = {
		.decode = ispt_sbc_decode_write_same,
		.supported = lun_can_write_same,
		.handler = ISPT_SCSI_DO_WRITE_SAME,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 10, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { WRITE_SAME, 0xfe, 0xff, 0xff, 0xff, 0xff, 0, 0xff,
			   0xff, CTL },
	},
	[UNMAP] = {
		.decode = ispt_sbc_decode_unmap, .supported = ispt_sbc_lun_thin,
		.handler = ISPT_SCSI_DO_UNMAP,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 10, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { UNMAP, 0x01, 0, 0, 0, 0, 0, 0xff, 0xff, CTL },
	},
	[MODE_SELECT_10] = {
		.decode = decode_mode_select,
		.handler = ISPT_SCSI_DO_MODE_SELECT,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 10, .pr = ISPT_PR_WRITE,
		.usage = { MODE_SELECT_10, MODE_SELECT_PF | MODE_SELECT_RTD |
			   MODE_SELECT_SP, 0, 0, 0, 0, 0, 0xff, 0xff, CTL },
	},
	[RESERVE_10] = {
		.decode = decode_reserve, .handler = ISPT_SCSI_DO_RESERVE,
		.cdb_len = 10, .pr = ISPT_PR_ALLOWED,
		.usage = { RESERVE_10, RESERVE_3RDPTY, 0, 0, 0, 0, 0, 0, 0,
			   CTL },
	},
	[RELEASE_10] = {
		.decode = decode_reserve, .handler = ISPT_SCSI_DO_RELEASE,
		.cdb_len = 10, .flags = OP_SPC2_OK, .pr = ISPT_PR_ALLOWED,
		.usage = { RELEASE_10, RESERVE_3RDPTY, 0, 0, 0, 0, 0, 0, 0,
			   CTL },
	},
	[MODE_SENSE_10] = {
		.decode = decode_mode_sense, .handler = ISPT_SCSI_DO_MODE_SENSE,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 10, .pr = ISPT_PR_READ,
		.usage = { MODE_SENSE_10, MODE_SENSE_LLBAA | MODE_SENSE_DBD,
			   0xff, 0xff, 0, 0, 0, 0xff, 0xff, CTL },
	},
	[ISPT_OP_SANITIZE] = {
		.sa_ops = scsi_sanitize_ops,
		.nr_sa = ARRAY_SIZE(scsi_sanitize_ops), .cdb_len = 10,
	},
	[PERSISTENT_RESERVE_IN] = {
		.sa_ops = scsi_pr_in_ops, .nr_sa = ARRAY_SIZE(scsi_pr_in_ops),
		.cdb_len = 10,
	},
	[PERSISTENT_RESERVE_OUT] = {
		.sa_ops = scsi_pr_out_ops,
		.nr_sa = ARRAY_SIZE(scsi_pr_out_ops), .cdb_len = 10,
	},
	[EXTENDED_COPY] = {
		.sa_ops = scsi_xcopy_ops, .nr_sa = ARRAY_SIZE(scsi_xcopy_ops),
		.cdb_len = 16,
	},
	[RECEIVE_COPY_RESULTS] = {
		.sa_ops = scsi_rcr_ops, .nr_sa = ARRAY_SIZE(scsi_rcr_ops),
		.cdb_len = 16,
	},
	[READ_16] = {
		.decode = ispt_sbc_decode_rw16,
		.handler = ISPT_SCSI_DO_READ,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { READ_16, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	[COMPARE_AND_WRITE] = {
		.decode = ispt_sbc_decode_compare_write,
		.supported = lun_can_compare,
		.handler = ISPT_SCSI_DO_COMPARE_WRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { COMPARE_AND_WRITE, RW_BYTE1, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0xff, 0, CTL },
	},
	[WRITE_16] = {
		.decode = ispt_sbc_decode_rw16,
		.handler = ISPT_SCSI_DO_WRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { WRITE_16, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	[ISPT_OP_ORWRITE_16] = {
		.decode = ispt_sbc_decode_orwrite,
		.handler = ISPT_SCSI_DO_ORWRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { ISPT_OP_ORWRITE_16, RW_BYTE1, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
			   CTL },
	},
	[WRITE_VERIFY_16] = {
		.decode = ispt_sbc_decode_write_verify,
		.handler = ISPT_SCSI_DO_WRITE_VERIFY,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { WRITE_VERIFY_16, VERIFY_BYTE1, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0, CTL },
	},
	[VERIFY_16] = {
		.decode = ispt_sbc_decode_verify,
		.handler = ISPT_SCSI_DO_VERIFY,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { VERIFY_16, VERIFY_BYTE1, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
			   CTL },
	},
	[ISPT_OP_PRE_FETCH_16] = {
		.decode = ispt_sbc_decode_prefetch,
		.handler = ISPT_SCSI_DO_PREFETCH,
		.dir = ISPT_SCSI_DIR_NONE, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { ISPT_OP_PRE_FETCH_16, 0x02, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
			   CTL },
	},
	[SYNCHRONIZE_CACHE_16] = {
		.decode = ispt_sbc_decode_sync16,
		.handler = ISPT_SCSI_DO_FLUSH,
		.dir = ISPT_SCSI_DIR_NONE, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { SYNCHRONIZE_CACHE_16, 0x02, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
			   CTL },
	},
	[WRITE_SAME_16] = {
		.decode = ispt_sbc_decode_write_same,
		.supported = lun_can_write_same,
		.handler = ISPT_SCSI_DO_WRITE_SAME,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { WRITE_SAME_16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	[ISPT_OP_WRITE_ATOMIC_16] = {
		.decode = ispt_sbc_decode_write_atomic,
		.supported = lun_can_atomic,
		.handler = ISPT_SCSI_DO_WRITE_ATOMIC,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 16, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { ISPT_OP_WRITE_ATOMIC_16, RW_BYTE1, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xff, 0xff, 0,
			   CTL },
	},
	[SERVICE_ACTION_IN_16] = {
		.sa_ops = scsi_sai16_ops, .nr_sa = ARRAY_SIZE(scsi_sai16_ops),
		.cdb_len = 16,
	},
	[REPORT_LUNS] = {
		.decode = decode_report_luns,
		.handler = ISPT_SCSI_DO_REPORT_LUNS,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 12,
		.flags = OP_ANY_LUN | OP_NO_UA | OP_SPC2_OK |
			 OP_IN_SANITIZE,
		.pr = ISPT_PR_ALLOWED,
		.usage = { REPORT_LUNS, 0, 0xff, 0, 0, 0, 0xff, 0xff, 0xff,
			   0xff, 0, CTL },
	},
	[MAINTENANCE_IN] = {
		.sa_ops = scsi_maint_in_ops,
		.nr_sa = ARRAY_SIZE(scsi_maint_in_ops),
		.cdb_len = 12,
	},
	[READ_12] = {
		.decode = ispt_sbc_decode_rw12,
		.handler = ISPT_SCSI_DO_READ,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 12, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { READ_12, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0, CTL },
	},
	[WRITE_12] = {
		.decode = ispt_sbc_decode_rw12,
		.handler = ISPT_SCSI_DO_WRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 12, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { WRITE_12, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0, CTL },
	},
	[WRITE_VERIFY_12] = {
		.decode = ispt_sbc_decode_write_verify,
		.handler = ISPT_SCSI_DO_WRITE_VERIFY,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 12, .flags = OP_MEDIUM,
		.pr = ISPT_PR_WRITE,
		.usage = { WRITE_VERIFY_12, VERIFY_BYTE1, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	[VERIFY_12] = {
		.decode = ispt_sbc_decode_verify,
		.handler = ISPT_SCSI_DO_VERIFY,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 12, .flags = OP_MEDIUM,
		.pr = ISPT_PR_READ,
		.usage = { VERIFY_12, VERIFY_BYTE1, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	[ISPT_OP_READ_DEFECT_DATA_12] = {
		.decode = ispt_sbc_decode_read_defect,
		.handler = ISPT_SCSI_DO_READ_DEFECT,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 12, .pr = ISPT_PR_READ,
		.usage = { ISPT_OP_READ_DEFECT_DATA_12, 0x1f, 0, 0, 0, 0, 0xff,
			   0xff, 0xff, 0xff, 0, CTL },
	},
};

/**
 * ispt_scsi_handler_executed() - does the live path run this handler?
 * @handler: what a decoded command asks for
 *
 * Some commands decode (their CDBs are checked, KUnit covers them) but
 * have no executor yet: cmd.c answers them INVALID COMMAND OPERATION
 * CODE. REPORT SUPPORTED OPERATION CODES lists only the ones that run,
 * so keep this in step with cmd_execute() and ispt_sbc_execute().
 *
 * Return: true if a command with @handler is executed.
 */
bool ispt_scsi_handler_executed(enum ispt_scsi_handler handler)
{
	switch (handler) {
	case ISPT_SCSI_DO_READ:
	case ISPT_SCSI_DO_WRITE:
	case ISPT_SCSI_DO_FLUSH:
	case ISPT_SCSI_DO_TUR:
	case ISPT_SCSI_DO_INQUIRY:
	case ISPT_SCSI_DO_READ_CAPACITY_10:
	case ISPT_SCSI_DO_READ_CAPACITY_16:
	case ISPT_SCSI_DO_REPORT_LUNS:
	case ISPT_SCSI_DO_MODE_SENSE:
	case ISPT_SCSI_DO_MODE_SELECT:
	case ISPT_SCSI_DO_REQUEST_SENSE:
	case ISPT_SCSI_DO_REPORT_OPCODES:
	case ISPT_SCSI_DO_UNMAP:
	case ISPT_SCSI_DO_WRITE_SAME:
	case ISPT_SCSI_DO_VERIFY:
	case ISPT_SCSI_DO_WRITE_VERIFY:
	case ISPT_SCSI_DO_COMPARE_WRITE:
	case ISPT_SCSI_DO_ORWRITE:
	case ISPT_SCSI_DO_PREFETCH:
	case ISPT_SCSI_DO_GET_LBA_STATUS:
	case ISPT_SCSI_DO_START_STOP:
	case ISPT_SCSI_DO_PREVENT_ALLOW:
	case ISPT_SCSI_DO_READ_DEFECT:
	case ISPT_SCSI_DO_PR_IN:
	case ISPT_SCSI_DO_PR_OUT:
	case ISPT_SCSI_DO_RESERVE:
	case ISPT_SCSI_DO_RELEASE:
	case ISPT_SCSI_DO_XCOPY:
	case ISPT_SCSI_DO_RECEIVE_COPY:
	case ISPT_SCSI_DO_SANITIZE:
		return true;
	default:
		return false;
	}
}

/* Is op something this logical unit executes? */
static bool op_supported(const struct scsi_op *op,
			 const struct ispt_scsi_lun_desc *lun)
{
	return op && op->decode && (!op->supported || op->supported(lun)) &&
	       ispt_scsi_handler_executed(op->handler);
}

static const struct scsi_op *find_sa(const struct scsi_op *op, u16 sa)
{
	unsigned int i;

	for (i = 0; i < op->nr_sa; i++)
		if (op->sa_ops[i].sa == sa)
			return &op->sa_ops[i];
	return NULL;
}

/**
 * ispt_scsi_decode() - check a CDB and decode it for execution
 * @cmd: filled in; on CHECK CONDITION only @cmd->sense is meaningful
 * @cdb: the CDB, as received
 * @cdb_len: bytes in @cdb; anything past the opcode's length is ignored
 * @lun: the logical unit, or NULL if the LUN addresses none; then only
 *	INQUIRY, REPORT LUNS and REQUEST SENSE are accepted (SPC-4,
 *	incorrect logical unit selection)
 *
 * Return: SAM_STAT_GOOD, or SAM_STAT_CHECK_CONDITION with @cmd->sense set.
 */
enum sam_status ispt_scsi_decode(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				 unsigned int cdb_len,
				 const struct ispt_scsi_lun_desc *lun)
{
	const struct scsi_op *op;
	u8 control;

	memset(cmd, 0, sizeof(*cmd));
	if (!cdb_len)
		return fail(cmd, ispt_sense_invalid_cdb());
	cmd->opcode = cdb[0];
	op = &scsi_ops[cdb[0]];

	if (!lun && !(op->flags & OP_ANY_LUN))
		return fail(cmd, ispt_sense_lun_not_supported());
	if (!op->decode && !op->sa_ops)
		return fail(cmd, ispt_sense_invalid_opcode());
	if (cdb_len < op->cdb_len)
		return fail(cmd, ispt_sense_invalid_cdb());
	if (op->sa_ops) {
		cmd->service_action = cdb[1] & SA_MASK;
		op = find_sa(op, cmd->service_action);
		if (!op)
			return fail(cmd, ispt_sense_invalid_cdb_field(1, 4));
	}
	if (op->supported && !op->supported(lun))
		return fail(cmd, ispt_sense_invalid_opcode());

	/* NACA needs ACA support (NormACA=0 in INQUIRY); LINK is obsolete. */
	control = cdb[op->cdb_len - 1];
	if (control & CONTROL_NACA)
		return fail(cmd, ispt_sense_invalid_cdb_field(op->cdb_len - 1,
							      2));
	if (control & CONTROL_LINK)
		return fail(cmd, ispt_sense_invalid_cdb_field(op->cdb_len - 1,
							      0));

	cmd->handler = op->handler;
	cmd->dir = op->dir;
	cmd->pr_class = op->pr;
	if (op->flags & OP_SPC2_OK)
		cmd->flags |= ISPT_SCSI_F_SPC2_OK;
	if (op->flags & OP_MEDIUM)
		cmd->flags |= ISPT_SCSI_F_MEDIUM;
	if (op->flags & OP_IN_SANITIZE)
		cmd->flags |= ISPT_SCSI_F_IN_SANITIZE;
	return op->decode(cmd, cdb, lun);
}

/**
 * ispt_scsi_ua_exempt() - may this command run with a unit attention
 *	pending?
 * @cdb: the CDB
 * @cdb_len: bytes in @cdb
 *
 * INQUIRY and REPORT LUNS run as if no unit attention were pending, and
 * REQUEST SENSE returns it as its data (SAM-5 unit attention condition);
 * every other command ends in CHECK CONDITION with the unit attention.
 * Looks at the opcode only, so it can be asked before decoding.
 *
 * Return: true if the command is exempt.
 */
bool ispt_scsi_ua_exempt(const u8 *cdb, unsigned int cdb_len)
{
	return cdb_len && (scsi_ops[cdb[0]].flags & OP_NO_UA);
}

/**
 * ispt_scsi_check_edtl() - does the initiator send what the command needs?
 * @cmd: a decoded command; @cmd->sense is set when the answer is no
 * @edtl: the Expected Data Transfer Length of the iSCSI command
 *
 * Most commands move what both the CDB and the EDTL allow and report the
 * rest as a residual. WRITE SAME and COMPARE AND WRITE cannot: half a
 * pattern block, or compare data without its write data, means nothing,
 * so a length other than the CDB's is refused before any data is taken.
 *
 * Return: true if the command may go ahead.
 */
bool ispt_scsi_check_edtl(struct ispt_scsi_cmd *cmd, u32 edtl)
{
	switch (cmd->handler) {
	case ISPT_SCSI_DO_WRITE_SAME:
	case ISPT_SCSI_DO_COMPARE_WRITE:
		if (edtl == cmd->data_len)
			return true;
		cmd->sense = ispt_sense_invalid_cdb();
		return false;
	default:
		return true;
	}
}

static void put_timeouts(struct ispt_spc_buf *b)
{
	/* Zero nominal and recommended timeouts: not specified */
	ispt_spc_put_be16(b, RSOC_TIMEOUTS_LEN - 2);
	ispt_spc_put_zero(b, RSOC_TIMEOUTS_LEN - 2);
}

static void put_op_descriptor(struct ispt_spc_buf *b, u8 opcode,
			      const struct scsi_op *op, bool sa, bool rctd)
{
	ispt_spc_put_u8(b, opcode);
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_be16(b, sa ? op->sa : 0);
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_u8(b, (rctd ? RSOC_CTDP : 0) | (sa ? RSOC_SERVACTV : 0));
	ispt_spc_put_be16(b, op->cdb_len);
	if (rctd)
		put_timeouts(b);
}

static void report_all_opcodes(struct ispt_spc_buf *b,
			       const struct ispt_scsi_lun_desc *lun, bool rctd)
{
	unsigned int opcode, i;

	ispt_spc_put_be32(b, 0);	/* COMMAND DATA LENGTH, patched */
	for (opcode = 0; opcode < ARRAY_SIZE(scsi_ops); opcode++) {
		const struct scsi_op *op = &scsi_ops[opcode];

		if (op_supported(op, lun))
			put_op_descriptor(b, opcode, op, false, rctd);
		for (i = 0; i < op->nr_sa; i++)
			if (op_supported(&op->sa_ops[i], lun))
				put_op_descriptor(b, opcode, &op->sa_ops[i],
						  true, rctd);
	}
	ispt_spc_patch_be32(b, 0, b->pos - 4);
}

static void report_one_opcode(struct ispt_spc_buf *b,
			      const struct ispt_scsi_cmd *cmd,
			      const struct ispt_scsi_lun_desc *lun, bool rctd)
{
	const struct scsi_op *op = &scsi_ops[cmd->rsoc.opcode];

	/* Decode made sure options 1 and 2 match the opcode's kind. */
	if (op->sa_ops)
		op = find_sa(op, cmd->rsoc.sa);

	ispt_spc_put_u8(b, 0);
	if (!op_supported(op, lun)) {
		ispt_spc_put_u8(b, RSOC_NOT_SUPPORTED);
		ispt_spc_put_be16(b, 0);
		return;
	}
	ispt_spc_put_u8(b, (rctd ? RSOC_ONE_CTDP : 0) | RSOC_SUPPORTED);
	ispt_spc_put_be16(b, op->cdb_len);
	ispt_spc_put(b, op->usage, op->cdb_len);
	if (rctd)
		put_timeouts(b);
}

/**
 * ispt_scsi_report_opcodes() - REPORT SUPPORTED OPERATION CODES data
 * @cmd: the decoded command (ISPT_SCSI_DO_REPORT_OPCODES)
 * @lun: the logical unit
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * Generated from the opcode table, so it lists exactly what
 * ispt_scsi_decode() accepts for @lun and the live path executes
 * (ispt_scsi_handler_executed()): UNMAP only appears when the device
 * can discard.
 *
 * Return: the full length of the parameter data.
 */
u32 ispt_scsi_report_opcodes(const struct ispt_scsi_cmd *cmd,
			     const struct ispt_scsi_lun_desc *lun,
			     u8 *buf, u32 len)
{
	bool rctd = cmd->flags & ISPT_SCSI_F_RCTD;
	struct ispt_spc_buf b;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	if (cmd->rsoc.options == ISPT_SCSI_RSOC_ALL)
		report_all_opcodes(&b, lun, rctd);
	else
		report_one_opcode(&b, cmd, lun, rctd);
	return b.pos;
}

/* SAM-5 LUN addressing: the method is in the top two bits of byte 0 */
#define LUN_PERIPHERAL	0x00
#define LUN_FLAT	0x40
#define LUN_METHOD	0xc0

/**
 * ispt_scsi_lun_encode() - LUN number to the 8-byte SAM LUN structure
 * @lun: the LUN number
 * @out: where to write
 *
 * Peripheral device addressing (bus 0) below 256, as most targets do and
 * initiators expect for small LUNs; flat space addressing above.
 *
 * Return: false if @lun is above ISPT_SCSI_MAX_LUN (@out is zeroed).
 */
bool ispt_scsi_lun_encode(u64 lun, struct scsi_lun *out)
{
	memset(out, 0, sizeof(*out));
	if (lun > ISPT_SCSI_MAX_LUN)
		return false;
	out->scsi_lun[0] = lun < 256 ? LUN_PERIPHERAL : LUN_FLAT | (lun >> 8);
	out->scsi_lun[1] = lun & 0xff;
	return true;
}

/**
 * ispt_scsi_lun_decode() - the 8-byte LUN field of a PDU to a LUN number
 * @in: the LUN field
 * @lun: the LUN number, on success
 *
 * Accepts single-level peripheral (bus 0) and flat space addresses, the
 * two ispt_scsi_lun_encode() produces. Anything else (a second level,
 * another bus, a well-known LU) cannot name one of our LUs.
 *
 * Return: true if @in addresses a LUN number we could have.
 */
bool ispt_scsi_lun_decode(const struct scsi_lun *in, u64 *lun)
{
	const u8 *p = in->scsi_lun;

	if (memchr_inv(&p[2], 0, sizeof(in->scsi_lun) - 2))
		return false;
	switch (p[0] & LUN_METHOD) {
	case LUN_PERIPHERAL:
		if (p[0])	/* bus identifier */
			return false;
		*lun = p[1];
		return true;
	case LUN_FLAT:
		*lun = (p[0] & ~LUN_METHOD) << 8 | p[1];
		return true;
	default:
		return false;
	}
}
