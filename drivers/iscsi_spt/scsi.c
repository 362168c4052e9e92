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
#include <asm/unaligned.h>

#include "scsi.h"
#include "spc.h"

/* Byte 0 of fixed and descriptor format sense data */
#define SENSE_FIXED_CURRENT	0x70
#define SENSE_DESC_CURRENT	0x72
#define SENSE_FIXED_VALID	0x80	/* INFORMATION is valid */

/* Sense data descriptor types (SPC-4, descriptor format sense data) */
#define SENSE_DESC_INFO		0x00
#define SENSE_DESC_SKS		0x02
#define SENSE_DESC_INFO_LEN	12
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

#define READ_WRITE_PROTECT	0xe0	/* RDPROTECT, WRPROTECT: byte 1 */
#define READ_WRITE_DPO		0x10
#define READ_WRITE_FUA		0x08
#define SYNC_CACHE_IMMED	0x02
#define INQUIRY_EVPD		0x01
#define INQUIRY_CMDDT		0x02
#define MODE_SENSE_DBD		0x08
#define MODE_SENSE_LLBAA	0x10
#define READ_CAPACITY_PMI	0x01
#define REQUEST_SENSE_DESC	0x01
#define RSOC_RCTD		0x80
#define RSOC_OPTIONS		0x07
#define RSTMF_REPD		0x80
#define UNMAP_ANCHOR		0x01
#define WRITE_SAME_ANCHOR	0x10
#define WRITE_SAME_UNMAP	0x08
#define WRITE_SAME_PBDATA_LBDATA 0x06
#define WRITE_SAME_NDOB		0x01	/* WRITE SAME(16) only */
#define SA_MASK			0x1f	/* service action in byte 1 */

#define REPORT_LUNS_MIN_ALLOC	16	/* SPC-4 REPORT LUNS */

/* UNMAP parameter list: an 8-byte header, then 16-byte block descriptors */
#define UNMAP_HDR_LEN		8
#define UNMAP_DESC_LEN		16

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

static enum sam_status fail(struct ispt_scsi_cmd *cmd, struct ispt_sense s)
{
	cmd->sense = s;
	return SAM_STAT_CHECK_CONDITION;
}

/* A data-in command whose length is the initiator's allocation length */
static void set_alloc_len(struct ispt_scsi_cmd *cmd, u32 alloc_len)
{
	cmd->alloc_len = alloc_len;
	cmd->data_len = alloc_len;
}

/*
 * Every LBA in [lba, lba + nr) must exist. A zero-length range still
 * names lba, which must exist too: READ(10) of no blocks past the end is
 * an error, not a no-op. Written so that lba + nr is never computed and
 * cannot wrap.
 */
static bool lba_range_ok(const struct ispt_scsi_lun_desc *lun, u64 lba,
			 u32 nr)
{
	return lba < lun->nr_blocks && nr <= lun->nr_blocks - lba;
}

/*
 * Checks common to READ and WRITE once the CDB fields are out. The range
 * is checked before the length limit because LBA OUT OF RANGE says more
 * than INVALID FIELD IN CDB when both apply.
 */
static enum sam_status decode_rw(struct ispt_scsi_cmd *cmd,
				 const struct ispt_scsi_lun_desc *lun,
				 u64 lba, u32 nr, u8 len_byte)
{
	u64 bytes = (u64)nr * lun->block_size;

	if (!lba_range_ok(lun, lba, nr))
		return fail(cmd, ispt_sense_lba_out_of_range());
	/* iSCSI carries at most U32_MAX bytes per command (EDTL). */
	if ((lun->max_xfer_blocks && nr > lun->max_xfer_blocks) ||
	    bytes > U32_MAX)
		return fail(cmd, ispt_sense_invalid_cdb_field(len_byte, -1));
	if (cmd->handler == ISPT_SCSI_DO_WRITE && lun->read_only)
		return fail(cmd, ispt_sense_write_protected());

	cmd->lba = lba;
	cmd->nr_blocks = nr;
	cmd->data_len = bytes;
	return SAM_STAT_GOOD;
}

/*
 * RDPROTECT/WRPROTECT, DPO and FUA share byte 1 in every READ and WRITE
 * but the 6-byte ones. We report no protection information (PROTECT=0 in
 * INQUIRY), so SBC-3 5.x wants a non-zero PROTECT field refused.
 */
static enum sam_status decode_rw_byte1(struct ispt_scsi_cmd *cmd, u8 byte1)
{
	if (byte1 & READ_WRITE_PROTECT)
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 7));
	if (byte1 & READ_WRITE_DPO)
		cmd->flags |= ISPT_SCSI_F_DPO;
	if (byte1 & READ_WRITE_FUA)
		cmd->flags |= ISPT_SCSI_F_FUA;
	return SAM_STAT_GOOD;
}

static enum sam_status decode_rw6(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				  const struct ispt_scsi_lun_desc *lun)
{
	u32 lba = get_unaligned_be24(&cdb[1]) & 0x1fffff;

	/* Only the 6-byte CDBs read a zero length as 256 blocks (SBC-3). */
	return decode_rw(cmd, lun, lba, cdb[4] ? cdb[4] : 256, 4);
}

static enum sam_status decode_rw10(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				   const struct ispt_scsi_lun_desc *lun)
{
	if (decode_rw_byte1(cmd, cdb[1]) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	return decode_rw(cmd, lun, get_unaligned_be32(&cdb[2]),
			 get_unaligned_be16(&cdb[7]), 7);
}

static enum sam_status decode_rw12(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				   const struct ispt_scsi_lun_desc *lun)
{
	if (decode_rw_byte1(cmd, cdb[1]) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	return decode_rw(cmd, lun, get_unaligned_be32(&cdb[2]),
			 get_unaligned_be32(&cdb[6]), 6);
}

static enum sam_status decode_rw16(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				   const struct ispt_scsi_lun_desc *lun)
{
	if (decode_rw_byte1(cmd, cdb[1]) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	return decode_rw(cmd, lun, get_unaligned_be64(&cdb[2]),
			 get_unaligned_be32(&cdb[10]), 10);
}

/* nr == 0 asks for everything from lba to the end; lba must still exist. */
static enum sam_status decode_sync(struct ispt_scsi_cmd *cmd, u8 byte1,
				   const struct ispt_scsi_lun_desc *lun,
				   u64 lba, u32 nr)
{
	if (!lba_range_ok(lun, lba, nr))
		return fail(cmd, ispt_sense_lba_out_of_range());
	if (byte1 & SYNC_CACHE_IMMED)
		cmd->flags |= ISPT_SCSI_F_IMMED;
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	return SAM_STAT_GOOD;
}

static enum sam_status decode_sync10(struct ispt_scsi_cmd *cmd,
				     const u8 *cdb,
				     const struct ispt_scsi_lun_desc *lun)
{
	return decode_sync(cmd, cdb[1], lun, get_unaligned_be32(&cdb[2]),
			   get_unaligned_be16(&cdb[7]));
}

static enum sam_status decode_sync16(struct ispt_scsi_cmd *cmd,
				     const u8 *cdb,
				     const struct ispt_scsi_lun_desc *lun)
{
	return decode_sync(cmd, cdb[1], lun, get_unaligned_be64(&cdb[2]),
			   get_unaligned_be32(&cdb[10]));
}

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
 * SBC-3 READ CAPACITY: with PMI zero the LBA field must be zero.
 * PMI one asks for the last LBA before a delay; we have no such delay,
 * so it gets the same answer.
 */
static enum sam_status decode_read_capacity10(struct ispt_scsi_cmd *cmd,
					      const u8 *cdb,
					      const struct ispt_scsi_lun_desc *lun)
{
	if (!(cdb[8] & READ_CAPACITY_PMI) && get_unaligned_be32(&cdb[2]))
		return fail(cmd, ispt_sense_invalid_cdb_field(2, -1));
	set_alloc_len(cmd, 8);	/* no allocation length: always 8 bytes */
	return SAM_STAT_GOOD;
}

static enum sam_status decode_read_capacity16(struct ispt_scsi_cmd *cmd,
					      const u8 *cdb,
					      const struct ispt_scsi_lun_desc *lun)
{
	if (!(cdb[14] & READ_CAPACITY_PMI) && get_unaligned_be64(&cdb[2]))
		return fail(cmd, ispt_sense_invalid_cdb_field(2, -1));
	set_alloc_len(cmd, get_unaligned_be32(&cdb[10]));
	return SAM_STAT_GOOD;
}

/*
 * SELECT REPORT 0 (all LUNs), 1 (well-known LUNs: we have none, so an
 * empty list) and 2 (all, including well-known) are ours; 0x10-0x12 are
 * about administrative and subsidiary LUs we do not have.
 */
static enum sam_status decode_report_luns(struct ispt_scsi_cmd *cmd,
					  const u8 *cdb,
					  const struct ispt_scsi_lun_desc *lun)
{
	u32 alloc_len = get_unaligned_be32(&cdb[6]);

	if (cdb[2] > 2)
		return fail(cmd, ispt_sense_invalid_cdb_field(2, -1));
	if (alloc_len < REPORT_LUNS_MIN_ALLOC)
		return fail(cmd, ispt_sense_invalid_cdb_field(6, -1));
	cmd->report_luns.select = cdb[2];
	set_alloc_len(cmd, alloc_len);
	return SAM_STAT_GOOD;
}

/*
 * Nothing is saved across power cycles, so saved values are refused as
 * SPC-4 MODE SENSE requires of a device that implements none.
 */
static enum sam_status decode_mode_sense(struct ispt_scsi_cmd *cmd,
					 const u8 *cdb,
					 const struct ispt_scsi_lun_desc *lun)
{
	u8 pc = cdb[2] >> 6, page = cdb[2] & 0x3f, subpage = cdb[3];

	if (pc == ISPT_SCSI_PC_SAVED)
		return fail(cmd, ispt_sense_saving_unsupported(2, 7));
	if (!ispt_spc_mode_page_supported(page, subpage)) {
		/* Point at the subpage when only the subpage is wrong. */
		if (ispt_spc_mode_page_supported(page, 0))
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

/*
 * UNMAP carries its block descriptors as data-out; they are checked by
 * ispt_scsi_unmap_check() once received. Anchored unmapping is not
 * supported (ANC_SUP=0 in VPD page 0xb2).
 */
static enum sam_status decode_unmap(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				    const struct ispt_scsi_lun_desc *lun)
{
	u16 len = get_unaligned_be16(&cdb[7]);

	if (cdb[1] & UNMAP_ANCHOR)
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 0));
	/* SBC-3: 1 to 7 bytes cannot even hold the header. */
	if (len && len < UNMAP_HDR_LEN)
		return fail(cmd, ispt_sense_param_list_length());
	if (lun->read_only)
		return fail(cmd, ispt_sense_write_protected());
	cmd->data_len = len;
	return SAM_STAT_GOOD;
}

/*
 * We set WSNZ in VPD page 0xb0, so a zero NUMBER OF LOGICAL BLOCKS (which
 * would mean "to the end of the medium") is refused, as are the features
 * we do not offer: protection information, anchoring, and the PBDATA and
 * LBDATA bits of SBC-3.
 */
static enum sam_status decode_write_same(struct ispt_scsi_cmd *cmd,
					 const struct ispt_scsi_lun_desc *lun,
					 u8 byte1, u64 lba, u32 nr, u8 len_byte)
{
	if (byte1 & READ_WRITE_PROTECT)
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 7));
	if (byte1 & WRITE_SAME_ANCHOR)
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 4));
	if (byte1 & WRITE_SAME_PBDATA_LBDATA)
		return fail(cmd, ispt_sense_invalid_cdb_field(1, 2));
	if (!nr)
		return fail(cmd, ispt_sense_invalid_cdb_field(len_byte, -1));
	if (!lba_range_ok(lun, lba, nr))
		return fail(cmd, ispt_sense_lba_out_of_range());
	if (nr > lun->max_write_zeroes_blocks)
		return fail(cmd, ispt_sense_invalid_cdb_field(len_byte, -1));
	if (lun->read_only)
		return fail(cmd, ispt_sense_write_protected());

	if (byte1 & WRITE_SAME_UNMAP)
		cmd->flags |= ISPT_SCSI_F_UNMAP;
	if (cmd->opcode == WRITE_SAME_16 && (byte1 & WRITE_SAME_NDOB))
		cmd->flags |= ISPT_SCSI_F_NDOB;
	else
		cmd->data_len = lun->block_size;
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	return SAM_STAT_GOOD;
}

static enum sam_status decode_write_same10(struct ispt_scsi_cmd *cmd,
					   const u8 *cdb,
					   const struct ispt_scsi_lun_desc *lun)
{
	return decode_write_same(cmd, lun, cdb[1], get_unaligned_be32(&cdb[2]),
				 get_unaligned_be16(&cdb[7]), 7);
}

static enum sam_status decode_write_same16(struct ispt_scsi_cmd *cmd,
					   const u8 *cdb,
					   const struct ispt_scsi_lun_desc *lun)
{
	return decode_write_same(cmd, lun, cdb[1], get_unaligned_be64(&cdb[2]),
				 get_unaligned_be32(&cdb[10]), 10);
}

/* Commands that only some logical units offer */
static bool lun_can_unmap(const struct ispt_scsi_lun_desc *lun)
{
	return lun->max_unmap_blocks;
}

static bool lun_can_write_same(const struct ispt_scsi_lun_desc *lun)
{
	return lun->max_write_zeroes_blocks;
}

/* Byte 1 of READ(10/12/16) and WRITE(10/12/16) */
#define RW_BYTE1	(READ_WRITE_PROTECT | READ_WRITE_DPO | READ_WRITE_FUA)

static const struct scsi_op scsi_sai16_ops[] = {
	{
		.sa = SAI_READ_CAPACITY_16, .cdb_len = 16,
		.decode = decode_read_capacity16,
		.handler = ISPT_SCSI_DO_READ_CAPACITY_16,
		.dir = ISPT_SCSI_DIR_IN,
		.usage = { SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, READ_CAPACITY_PMI, CTL },
	},
};

static const struct scsi_op scsi_maint_in_ops[] = {
	{
		.sa = MI_REPORT_SUPPORTED_OPERATION_CODES, .cdb_len = 12,
		.decode = decode_report_opcodes,
		.handler = ISPT_SCSI_DO_REPORT_OPCODES,
		.dir = ISPT_SCSI_DIR_IN,
		.usage = { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES,
			   RSOC_RCTD | RSOC_OPTIONS, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	{
		.sa = MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS,
		.cdb_len = 12,
		.decode = decode_report_tmfs,
		.handler = ISPT_SCSI_DO_REPORT_TMFS,
		.dir = ISPT_SCSI_DIR_IN,
		.usage = { MAINTENANCE_IN,
			   MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS,
			   RSTMF_REPD, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
};

/*
 * Indexed by opcode, as ksmbd indexes its SMB2 commands. An entry with
 * neither decode nor sa_ops is an opcode we do not support.
 */
static const struct scsi_op scsi_ops[256] = {
	[TEST_UNIT_READY] = {
		.decode = decode_tur, .handler = ISPT_SCSI_DO_TUR,
		.cdb_len = 6,
		.usage = { TEST_UNIT_READY, 0, 0, 0, 0, CTL },
	},
	[REQUEST_SENSE] = {
		.decode = decode_request_sense,
		.handler = ISPT_SCSI_DO_REQUEST_SENSE,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 6,
		.flags = OP_ANY_LUN | OP_NO_UA,
		.usage = { REQUEST_SENSE, REQUEST_SENSE_DESC, 0, 0, 0xff, CTL },
	},
	[READ_6] = {
		.decode = decode_rw6, .handler = ISPT_SCSI_DO_READ,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 6,
		.usage = { READ_6, 0x1f, 0xff, 0xff, 0xff, CTL },
	},
	[WRITE_6] = {
		.decode = decode_rw6, .handler = ISPT_SCSI_DO_WRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 6,
		.usage = { WRITE_6, 0x1f, 0xff, 0xff, 0xff, CTL },
	},
	[INQUIRY] = {
		.decode = decode_inquiry, .handler = ISPT_SCSI_DO_INQUIRY,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 6,
		.flags = OP_ANY_LUN | OP_NO_UA,
		.usage = { INQUIRY, INQUIRY_CMDDT | INQUIRY_EVPD, 0xff,
			   0xff, 0xff, CTL },
	},
	[MODE_SENSE] = {
		.decode = decode_mode_sense, .handler = ISPT_SCSI_DO_MODE_SENSE,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 6,
		.usage = { MODE_SENSE, MODE_SENSE_DBD, 0xff, 0xff, 0xff, CTL },
	},
	[READ_CAPACITY] = {
		.decode = decode_read_capacity10,
		.handler = ISPT_SCSI_DO_READ_CAPACITY_10,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 10,
		.usage = { READ_CAPACITY, 0, 0xff, 0xff, 0xff, 0xff, 0, 0,
			   READ_CAPACITY_PMI, CTL },
	},
	[READ_10] = {
		.decode = decode_rw10, .handler = ISPT_SCSI_DO_READ,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 10,
		.usage = { READ_10, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0,
			   0xff, 0xff, CTL },
	},
	[WRITE_10] = {
		.decode = decode_rw10, .handler = ISPT_SCSI_DO_WRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 10,
		.usage = { WRITE_10, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0,
			   0xff, 0xff, CTL },
	},
	[SYNCHRONIZE_CACHE] = {
		.decode = decode_sync10, .handler = ISPT_SCSI_DO_FLUSH,
		.cdb_len = 10,
		.usage = { SYNCHRONIZE_CACHE, SYNC_CACHE_IMMED, 0xff, 0xff,
			   0xff, 0xff, 0, 0xff, 0xff, CTL },
	},
	[WRITE_SAME] = {
		.decode = decode_write_same10,
		.supported = lun_can_write_same,
		.handler = ISPT_SCSI_DO_WRITE_SAME,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 10,
		.usage = { WRITE_SAME, READ_WRITE_PROTECT | WRITE_SAME_ANCHOR |
			   WRITE_SAME_UNMAP | WRITE_SAME_PBDATA_LBDATA,
			   0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, CTL },
	},
	[UNMAP] = {
		.decode = decode_unmap, .supported = lun_can_unmap,
		.handler = ISPT_SCSI_DO_UNMAP,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 10,
		.usage = { UNMAP, UNMAP_ANCHOR, 0, 0, 0, 0, 0, 0xff, 0xff, CTL },
	},
	[MODE_SENSE_10] = {
		.decode = decode_mode_sense, .handler = ISPT_SCSI_DO_MODE_SENSE,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 10,
		.usage = { MODE_SENSE_10, MODE_SENSE_LLBAA | MODE_SENSE_DBD,
			   0xff, 0xff, 0, 0, 0, 0xff, 0xff, CTL },
	},
	[READ_16] = {
		.decode = decode_rw16, .handler = ISPT_SCSI_DO_READ,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 16,
		.usage = { READ_16, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	[WRITE_16] = {
		.decode = decode_rw16, .handler = ISPT_SCSI_DO_WRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 16,
		.usage = { WRITE_16, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	[SYNCHRONIZE_CACHE_16] = {
		.decode = decode_sync16, .handler = ISPT_SCSI_DO_FLUSH,
		.cdb_len = 16,
		.usage = { SYNCHRONIZE_CACHE_16, SYNC_CACHE_IMMED, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0, CTL },
	},
	[WRITE_SAME_16] = {
		.decode = decode_write_same16,
		.supported = lun_can_write_same,
		.handler = ISPT_SCSI_DO_WRITE_SAME,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 16,
		.usage = { WRITE_SAME_16, READ_WRITE_PROTECT |
			   WRITE_SAME_ANCHOR | WRITE_SAME_UNMAP |
			   WRITE_SAME_PBDATA_LBDATA | WRITE_SAME_NDOB,
			   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0xff, 0, CTL },
	},
	[SERVICE_ACTION_IN_16] = {
		.sa_ops = scsi_sai16_ops, .nr_sa = ARRAY_SIZE(scsi_sai16_ops),
		.cdb_len = 16,
	},
	[REPORT_LUNS] = {
		.decode = decode_report_luns,
		.handler = ISPT_SCSI_DO_REPORT_LUNS,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 12,
		.flags = OP_ANY_LUN | OP_NO_UA,
		.usage = { REPORT_LUNS, 0, 0xff, 0, 0, 0, 0xff, 0xff, 0xff,
			   0xff, 0, CTL },
	},
	[MAINTENANCE_IN] = {
		.sa_ops = scsi_maint_in_ops,
		.nr_sa = ARRAY_SIZE(scsi_maint_in_ops),
		.cdb_len = 12,
	},
	[READ_12] = {
		.decode = decode_rw12, .handler = ISPT_SCSI_DO_READ,
		.dir = ISPT_SCSI_DIR_IN, .cdb_len = 12,
		.usage = { READ_12, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0, CTL },
	},
	[WRITE_12] = {
		.decode = decode_rw12, .handler = ISPT_SCSI_DO_WRITE,
		.dir = ISPT_SCSI_DIR_OUT, .cdb_len = 12,
		.usage = { WRITE_12, RW_BYTE1, 0xff, 0xff, 0xff, 0xff, 0xff,
			   0xff, 0xff, 0xff, 0, CTL },
	},
};

/* Is op something this logical unit executes? */
static bool op_supported(const struct scsi_op *op,
			 const struct ispt_scsi_lun_desc *lun)
{
	return op && op->decode && (!op->supported || op->supported(lun));
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
 * ispt_scsi_decode() accepts for @lun: UNMAP and WRITE SAME only appear
 * when the device can discard and write zeroes.
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

/**
 * ispt_scsi_unmap_check() - validate a received UNMAP parameter list
 * @cmd: the decoded UNMAP; @cmd->sense is set on failure
 * @lun: the logical unit
 * @data: the parameter list
 * @len: bytes received, at most the CDB's PARAMETER LIST LENGTH
 * @nr_descs: how many block descriptors to execute, on success
 *
 * Every descriptor is range-checked here, and their sum against the
 * MAXIMUM UNMAP LBA COUNT we report, so that execution cannot fail on a
 * bad descriptor half way through. A truncated last descriptor is ignored,
 * as SBC-3 allows.
 *
 * Return: SAM_STAT_GOOD, or SAM_STAT_CHECK_CONDITION with @cmd->sense set.
 */
enum sam_status ispt_scsi_unmap_check(struct ispt_scsi_cmd *cmd,
				      const struct ispt_scsi_lun_desc *lun,
				      const u8 *data, u32 len, u32 *nr_descs)
{
	u64 total = 0;
	u32 bd_len, n, i;

	*nr_descs = 0;
	if (!len)
		return SAM_STAT_GOOD;
	if (len < UNMAP_HDR_LEN)
		return fail(cmd, ispt_sense_param_list_length());
	/* The descriptors the header announces must all have been sent. */
	bd_len = get_unaligned_be16(&data[2]);
	if (bd_len > len - UNMAP_HDR_LEN)
		return fail(cmd, ispt_sense_param_list_length());
	n = bd_len / UNMAP_DESC_LEN;
	if (n > ISPT_SCSI_MAX_UNMAP_DESCS)
		return fail(cmd, ispt_sense_invalid_param_field(2, -1));

	for (i = 0; i < n; i++) {
		u32 off = UNMAP_HDR_LEN + i * UNMAP_DESC_LEN;
		u32 nr = get_unaligned_be32(&data[off + 8]);

		if (!lba_range_ok(lun, get_unaligned_be64(&data[off]), nr))
			return fail(cmd, ispt_sense_lba_out_of_range());
		total += nr;
		if (total > lun->max_unmap_blocks)
			return fail(cmd,
				    ispt_sense_invalid_param_field(off + 8, -1));
	}
	*nr_descs = n;
	return SAM_STAT_GOOD;
}

/**
 * ispt_scsi_unmap_desc() - one block descriptor of a checked UNMAP list
 * @data: the parameter list that ispt_scsi_unmap_check() accepted
 * @index: which descriptor, below the count it returned
 * @lba: first LBA to unmap
 * @nr: how many blocks; may be zero
 */
void ispt_scsi_unmap_desc(const u8 *data, u32 index, u64 *lba, u32 *nr)
{
	const u8 *d = &data[UNMAP_HDR_LEN + index * UNMAP_DESC_LEN];

	*lba = get_unaligned_be64(d);
	*nr = get_unaligned_be32(&d[8]);
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
