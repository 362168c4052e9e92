// SPDX-License-Identifier: GPL-2.0
/*
 * SBC block commands: CDB decoding and parameter data (their execution,
 * with bios, is sbc.c's).
 *
 * The decoders here are entries of the opcode table in scsi.c; each
 * checks every field of its CDB against the logical unit (range, transfer
 * limits, protection, write protection) so that execution never meets a
 * command it cannot carry out. The parameter data of UNMAP, GET LBA
 * STATUS and READ DEFECT DATA is parsed or built here too.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "sbc_decode.h"
#include "scsi.h"
#include "spc.h"

#define PROTECT_MASK		0xe0	/* RD/WR/VR/ORPROTECT, byte 1 */
#define RW_DPO			0x10
#define RW_FUA			0x08
#define BYTCHK_SHIFT		1	/* VERIFY, WRITE AND VERIFY: bits 2:1 */
#define SYNC_CACHE_IMMED	0x02
#define PREFETCH_IMMED		0x02
#define READ_CAPACITY_PMI	0x01
#define WRITE_SAME_ANCHOR	0x10
#define WRITE_SAME_UNMAP	0x08
#define WRITE_SAME_PBDATA_LBDATA 0x06
#define WRITE_SAME_NDOB		0x01	/* WRITE SAME(16) only */
#define UNMAP_ANCHOR		0x01
#define START_STOP_IMMED	0x01
#define START_STOP_LOEJ		0x02
#define START_STOP_START	0x01
#define PREVENT_MASK		0x03
#define DEFECT_FLAGS		0x1f	/* REQ_PLIST, REQ_GLIST, format */

/* START STOP UNIT POWER CONDITION values a disk without power states takes */
#define PC_START_VALID		0x0
#define PC_ACTIVE		0x1
#define PC_IDLE			0x2
#define PC_STANDBY		0x3
#define PC_LU_CONTROL		0x7
#define PC_FORCE_IDLE_0		0xa
#define PC_FORCE_STANDBY_0	0xb

/* UNMAP parameter list: an 8-byte header, then 16-byte block descriptors */
#define UNMAP_HDR_LEN		8
#define UNMAP_DESC_LEN		16

/* GET LBA STATUS: provisioning status 0 is "mapped or unknown" (SBC-4) */
#define LBA_STATUS_MAPPED_OR_UNKNOWN	0x0

/* READ DEFECT DATA header */
#define DEFECT10_HDR_LEN	4
#define DEFECT12_HDR_LEN	8

/**
 * ispt_sbc_lun_thin() - is the LU thin provisioned (LBPME)?
 * @lun: the logical unit
 *
 * Only a device that can deallocate, by discard or by a write zeroes that
 * may unmap, is; UNMAP and WRITE SAME with UNMAP exist only then.
 *
 * Return: true if the LU reports logical block provisioning management.
 */
bool ispt_sbc_lun_thin(const struct ispt_scsi_lun_desc *lun)
{
	return lun->max_unmap_blocks;
}

/* Medium writes stop here on a read-only device or under SWP. */
static enum sam_status check_writable(struct ispt_scsi_cmd *cmd,
				      const struct ispt_scsi_lun_desc *lun)
{
	if (lun->read_only)
		return ispt_scsi_fail(cmd, ispt_sense_write_protected());
	if (READ_ONCE(lun->mode.swp))
		return ispt_scsi_fail(cmd, ispt_sense_software_wp());
	return SAM_STAT_GOOD;
}

/*
 * We report no protection information (PROTECT=0 in INQUIRY), so SBC-3
 * wants a non-zero RDPROTECT/WRPROTECT/VRPROTECT/ORPROTECT refused. DPO
 * and FUA are honoured (DPOFUA=1 in MODE SENSE).
 */
static enum sam_status decode_byte1(struct ispt_scsi_cmd *cmd, u8 byte1)
{
	if (byte1 & PROTECT_MASK)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 7));
	if (byte1 & RW_DPO)
		cmd->flags |= ISPT_SCSI_F_DPO;
	if (byte1 & RW_FUA)
		cmd->flags |= ISPT_SCSI_F_FUA;
	return SAM_STAT_GOOD;
}

/*
 * The range and the transfer limit of a command that moves nr blocks.
 * The range is checked first because LBA OUT OF RANGE says more than
 * INVALID FIELD IN CDB when both apply.
 */
static enum sam_status decode_extent(struct ispt_scsi_cmd *cmd,
				     const struct ispt_scsi_lun_desc *lun,
				     u64 lba, u32 nr, u8 len_byte)
{
	u64 bytes = (u64)nr * lun->block_size;

	if (!ispt_scsi_range_ok(lun, lba, nr))
		return ispt_scsi_fail(cmd, ispt_sense_lba_out_of_range());
	/* iSCSI carries at most U32_MAX bytes per command (EDTL). */
	if ((lun->max_xfer_blocks && nr > lun->max_xfer_blocks) ||
	    bytes > U32_MAX)
		return ispt_scsi_fail(cmd,
				      ispt_sense_invalid_cdb_field(len_byte, -1));
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	return SAM_STAT_GOOD;
}

/* READ and WRITE: the data is exactly the blocks. */
static enum sam_status decode_rw(struct ispt_scsi_cmd *cmd,
				 const struct ispt_scsi_lun_desc *lun,
				 u64 lba, u32 nr, u8 len_byte)
{
	if (decode_extent(cmd, lun, lba, nr, len_byte) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	if (cmd->handler == ISPT_SCSI_DO_WRITE &&
	    check_writable(cmd, lun) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	cmd->data_len = nr * lun->block_size;
	return SAM_STAT_GOOD;
}

enum sam_status ispt_sbc_decode_rw6(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				    const struct ispt_scsi_lun_desc *lun)
{
	u32 lba = get_unaligned_be24(&cdb[1]) & 0x1fffff;

	/* Only the 6-byte CDBs read a zero length as 256 blocks (SBC-3). */
	return decode_rw(cmd, lun, lba, cdb[4] ? cdb[4] : 256, 4);
}

enum sam_status ispt_sbc_decode_rw10(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				     const struct ispt_scsi_lun_desc *lun)
{
	if (decode_byte1(cmd, cdb[1]) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	return decode_rw(cmd, lun, get_unaligned_be32(&cdb[2]),
			 get_unaligned_be16(&cdb[7]), 7);
}

enum sam_status ispt_sbc_decode_rw12(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				     const struct ispt_scsi_lun_desc *lun)
{
	if (decode_byte1(cmd, cdb[1]) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	return decode_rw(cmd, lun, get_unaligned_be32(&cdb[2]),
			 get_unaligned_be32(&cdb[6]), 6);
}

enum sam_status ispt_sbc_decode_rw16(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				     const struct ispt_scsi_lun_desc *lun)
{
	if (decode_byte1(cmd, cdb[1]) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	return decode_rw(cmd, lun, get_unaligned_be64(&cdb[2]),
			 get_unaligned_be32(&cdb[10]), 10);
}

/* nr == 0 asks for everything from lba to the end; lba must still exist. */
static enum sam_status decode_sync(struct ispt_scsi_cmd *cmd, u8 byte1,
				   const struct ispt_scsi_lun_desc *lun,
				   u64 lba, u32 nr)
{
	if (!ispt_scsi_range_ok(lun, lba, nr))
		return ispt_scsi_fail(cmd, ispt_sense_lba_out_of_range());
	if (byte1 & SYNC_CACHE_IMMED)
		cmd->flags |= ISPT_SCSI_F_IMMED;
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	return SAM_STAT_GOOD;
}

enum sam_status ispt_sbc_decode_sync10(struct ispt_scsi_cmd *cmd,
				       const u8 *cdb,
				       const struct ispt_scsi_lun_desc *lun)
{
	return decode_sync(cmd, cdb[1], lun, get_unaligned_be32(&cdb[2]),
			   get_unaligned_be16(&cdb[7]));
}

enum sam_status ispt_sbc_decode_sync16(struct ispt_scsi_cmd *cmd,
				       const u8 *cdb,
				       const struct ispt_scsi_lun_desc *lun)
{
	return decode_sync(cmd, cdb[1], lun, get_unaligned_be64(&cdb[2]),
			   get_unaligned_be32(&cdb[10]));
}

/* LBA and length of the 10, 12 and 16-byte forms, and the length's byte */
static void cdb_extent(const u8 *cdb, u64 *lba, u32 *nr, u8 *len_byte)
{
	switch (cdb[0]) {
	case VERIFY:
	case WRITE_VERIFY:
		*lba = get_unaligned_be32(&cdb[2]);
		*nr = get_unaligned_be16(&cdb[7]);
		*len_byte = 7;
		break;
	case VERIFY_12:
	case WRITE_VERIFY_12:
		*lba = get_unaligned_be32(&cdb[2]);
		*nr = get_unaligned_be32(&cdb[6]);
		*len_byte = 6;
		break;
	default:	/* the 16-byte forms */
		*lba = get_unaligned_be64(&cdb[2]);
		*nr = get_unaligned_be32(&cdb[10]);
		*len_byte = 10;
		break;
	}
}

/*
 * VERIFY(10/12/16): BYTCHK 0 reads the blocks back (medium verification),
 * 1 compares them with as many sent, 3 with one block sent for all of
 * them; 2 is reserved.
 */
enum sam_status ispt_sbc_decode_verify(struct ispt_scsi_cmd *cmd,
				       const u8 *cdb,
				       const struct ispt_scsi_lun_desc *lun)
{
	u8 bytchk = (cdb[1] >> BYTCHK_SHIFT) & 3;
	u8 len_byte;
	u64 lba;
	u32 nr;

	if (cdb[1] & PROTECT_MASK)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 7));
	if (bytchk == 2)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 2));
	if (cdb[1] & RW_DPO)
		cmd->flags |= ISPT_SCSI_F_DPO;
	cdb_extent(cdb, &lba, &nr, &len_byte);
	if (decode_extent(cmd, lun, lba, nr, len_byte) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	cmd->verify.bytchk = bytchk;
	if (bytchk == ISPT_SCSI_BYTCHK_ALL)
		cmd->data_len = nr * lun->block_size;
	else if (bytchk == ISPT_SCSI_BYTCHK_ONE && nr)
		cmd->data_len = lun->block_size;
	if (!cmd->data_len)
		cmd->dir = ISPT_SCSI_DIR_NONE;
	return SAM_STAT_GOOD;
}

/*
 * WRITE AND VERIFY(10/12/16): a write, then the blocks are read back and
 * compared with what was written (BYTCHK 1) or only read (BYTCHK 0).
 * SBC-4 left BYTCHK 2 and 3 reserved here.
 */
enum sam_status ispt_sbc_decode_write_verify(struct ispt_scsi_cmd *cmd,
					     const u8 *cdb,
					     const struct ispt_scsi_lun_desc *lun)
{
	u8 bytchk = (cdb[1] >> BYTCHK_SHIFT) & 3;
	u8 len_byte;
	u64 lba;
	u32 nr;

	if (cdb[1] & PROTECT_MASK)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 7));
	if (bytchk > ISPT_SCSI_BYTCHK_ALL)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 2));
	if (cdb[1] & RW_DPO)
		cmd->flags |= ISPT_SCSI_F_DPO;
	cdb_extent(cdb, &lba, &nr, &len_byte);
	if (decode_extent(cmd, lun, lba, nr, len_byte) != SAM_STAT_GOOD ||
	    check_writable(cmd, lun) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	cmd->verify.bytchk = bytchk;
	cmd->data_len = nr * lun->block_size;
	return SAM_STAT_GOOD;
}

/*
 * COMPARE AND WRITE: NUMBER OF LOGICAL BLOCKS is one byte, bounded by the
 * MAXIMUM COMPARE AND WRITE LENGTH of VPD page 0xb0; the data is the
 * blocks to compare, then as many to write.
 */
enum sam_status ispt_sbc_decode_compare_write(struct ispt_scsi_cmd *cmd,
					      const u8 *cdb,
					      const struct ispt_scsi_lun_desc *lun)
{
	u64 lba = get_unaligned_be64(&cdb[2]);
	u32 nr = cdb[13];

	if (decode_byte1(cmd, cdb[1]) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	if (nr > lun->max_compare_blocks)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(13, -1));
	if (!ispt_scsi_range_ok(lun, lba, nr))
		return ispt_scsi_fail(cmd, ispt_sense_lba_out_of_range());
	if (check_writable(cmd, lun) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	cmd->data_len = 2 * nr * lun->block_size;
	if (!nr)
		cmd->dir = ISPT_SCSI_DIR_NONE;
	return SAM_STAT_GOOD;
}

/* ORWRITE(16): the blocks sent are ORed into the blocks on the medium. */
enum sam_status ispt_sbc_decode_orwrite(struct ispt_scsi_cmd *cmd,
					const u8 *cdb,
					const struct ispt_scsi_lun_desc *lun)
{
	if (decode_byte1(cmd, cdb[1]) != SAM_STAT_GOOD ||
	    decode_extent(cmd, lun, get_unaligned_be64(&cdb[2]),
			  get_unaligned_be32(&cdb[10]), 10) != SAM_STAT_GOOD ||
	    check_writable(cmd, lun) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	cmd->data_len = cmd->nr_blocks * lun->block_size;
	return SAM_STAT_GOOD;
}

/*
 * WRITE ATOMIC(16) (SBC-4): a 16-bit TRANSFER LENGTH at byte 12, at most
 * the MAXIMUM ATOMIC TRANSFER LENGTH of VPD page 0xb0. We report an
 * alignment and granularity of one block, so nothing else is checked.
 */
enum sam_status ispt_sbc_decode_write_atomic(struct ispt_scsi_cmd *cmd,
					     const u8 *cdb,
					     const struct ispt_scsi_lun_desc *lun)
{
	u64 lba = get_unaligned_be64(&cdb[2]);
	u32 nr = get_unaligned_be16(&cdb[12]);

	if (decode_byte1(cmd, cdb[1]) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	if (!ispt_scsi_range_ok(lun, lba, nr))
		return ispt_scsi_fail(cmd, ispt_sense_lba_out_of_range());
	if (nr > lun->max_atomic_blocks)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(12, -1));
	if (check_writable(cmd, lun) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	cmd->data_len = nr * lun->block_size;
	return SAM_STAT_GOOD;
}

/*
 * WRITE SAME(10/16). WSNZ is zero in VPD page 0xb0: a NUMBER OF LOGICAL
 * BLOCKS of zero writes from lba to the last LBA, if that is within the
 * MAXIMUM WRITE SAME LENGTH. UNMAP needs thin provisioning (LBPWS and
 * LBPWS10 are set exactly then); anchoring, PBDATA and LBDATA are not
 * offered. NDOB (16 only) writes zeroes and carries no data.
 */
enum sam_status ispt_sbc_decode_write_same(struct ispt_scsi_cmd *cmd,
					   const u8 *cdb,
					   const struct ispt_scsi_lun_desc *lun)
{
	bool sixteen = cdb[0] == WRITE_SAME_16;
	u8 byte1 = cdb[1], len_byte = sixteen ? 10 : 7;
	u64 lba, nr;

	if (byte1 & PROTECT_MASK)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 7));
	if (byte1 & WRITE_SAME_ANCHOR)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 4));
	if ((byte1 & WRITE_SAME_UNMAP) && !ispt_sbc_lun_thin(lun))
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 3));
	if (byte1 & WRITE_SAME_PBDATA_LBDATA)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 2));
	if (sixteen) {
		lba = get_unaligned_be64(&cdb[2]);
		nr = get_unaligned_be32(&cdb[10]);
	} else {
		lba = get_unaligned_be32(&cdb[2]);
		nr = get_unaligned_be16(&cdb[7]);
	}
	if (lba >= lun->nr_blocks)
		return ispt_scsi_fail(cmd, ispt_sense_lba_out_of_range());
	if (!nr)
		nr = lun->nr_blocks - lba;
	else if (nr > lun->nr_blocks - lba)
		return ispt_scsi_fail(cmd, ispt_sense_lba_out_of_range());
	if (nr > lun->max_write_same_blocks)
		return ispt_scsi_fail(cmd,
				      ispt_sense_invalid_cdb_field(len_byte, -1));
	if (check_writable(cmd, lun) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;

	if (byte1 & WRITE_SAME_UNMAP)
		cmd->flags |= ISPT_SCSI_F_UNMAP;
	if (sixteen && (byte1 & WRITE_SAME_NDOB)) {
		cmd->flags |= ISPT_SCSI_F_NDOB;
		cmd->dir = ISPT_SCSI_DIR_NONE;
	} else {
		cmd->data_len = lun->block_size;
	}
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	return SAM_STAT_GOOD;
}

/*
 * UNMAP carries its block descriptors as data-out; they are checked by
 * ispt_scsi_unmap_check() once received. Anchored unmapping is not
 * supported (ANC_SUP=0 in VPD page 0xb2).
 */
enum sam_status ispt_sbc_decode_unmap(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				      const struct ispt_scsi_lun_desc *lun)
{
	u16 len = get_unaligned_be16(&cdb[7]);

	if (cdb[1] & UNMAP_ANCHOR)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 0));
	/* SBC-3: 1 to 7 bytes cannot even hold the header. */
	if (len && len < UNMAP_HDR_LEN)
		return ispt_scsi_fail(cmd, ispt_sense_param_list_length());
	if (check_writable(cmd, lun) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	cmd->data_len = len;
	if (!len)
		cmd->dir = ISPT_SCSI_DIR_NONE;
	return SAM_STAT_GOOD;
}

/*
 * PRE-FETCH(10/16). We keep no cache of our own, so there is nothing to
 * load: SBC-3 then wants GOOD ("not enough room") rather than CONDITION
 * MET. The range is still checked.
 */
enum sam_status ispt_sbc_decode_prefetch(struct ispt_scsi_cmd *cmd,
					 const u8 *cdb,
					 const struct ispt_scsi_lun_desc *lun)
{
	u64 lba;
	u32 nr;

	if (cdb[0] == PRE_FETCH) {
		lba = get_unaligned_be32(&cdb[2]);
		nr = get_unaligned_be16(&cdb[7]);
	} else {
		lba = get_unaligned_be64(&cdb[2]);
		nr = get_unaligned_be32(&cdb[10]);
	}
	if (!ispt_scsi_range_ok(lun, lba, nr))
		return ispt_scsi_fail(cmd, ispt_sense_lba_out_of_range());
	if (cdb[1] & PREFETCH_IMMED)
		cmd->flags |= ISPT_SCSI_F_IMMED;
	cmd->lba = lba;
	cmd->nr_blocks = nr;
	return SAM_STAT_GOOD;
}

enum sam_status ispt_sbc_decode_get_lba_status(struct ispt_scsi_cmd *cmd,
					       const u8 *cdb,
					       const struct ispt_scsi_lun_desc *lun)
{
	u64 lba = get_unaligned_be64(&cdb[2]);

	if (lba >= lun->nr_blocks)
		return ispt_scsi_fail(cmd, ispt_sense_lba_out_of_range());
	cmd->lba = lba;
	ispt_scsi_set_alloc_len(cmd, get_unaligned_be32(&cdb[10]));
	return SAM_STAT_GOOD;
}

/*
 * START STOP UNIT. Our LUs have no power states and no removable medium:
 * the power conditions SBC-3 defines for a disk are accepted and change
 * nothing, LOEJ has no medium to load or eject, and START/stop moves the
 * LU between ready and stopped (media access then gets NOT READY). Only
 * a plain start (POWER CONDITION 0, START 1) runs under another nexus's
 * persistent reservation (SBC-3 table 13).
 */
enum sam_status ispt_sbc_decode_start_stop(struct ispt_scsi_cmd *cmd,
					   const u8 *cdb,
					   const struct ispt_scsi_lun_desc *lun)
{
	u8 pc = cdb[4] >> 4;

	switch (pc) {
	case PC_START_VALID:
	case PC_ACTIVE:
	case PC_IDLE:
	case PC_STANDBY:
	case PC_LU_CONTROL:
	case PC_FORCE_IDLE_0:
	case PC_FORCE_STANDBY_0:
		break;
	default:
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(4, 7));
	}
	if (cdb[1] & START_STOP_IMMED)
		cmd->flags |= ISPT_SCSI_F_IMMED;
	if (cdb[4] & START_STOP_LOEJ)
		cmd->flags |= ISPT_SCSI_F_LOEJ;
	if (cdb[4] & START_STOP_START)
		cmd->flags |= ISPT_SCSI_F_START;
	cmd->start_stop.power_condition = pc;
	if (pc == PC_START_VALID && (cdb[4] & START_STOP_START))
		cmd->pr_class = ISPT_PR_ALLOWED;
	return SAM_STAT_GOOD;
}

/*
 * PREVENT ALLOW MEDIUM REMOVAL: 0 allows, 1 prevents; 2 and 3 are
 * obsolete. With no removable medium (RMB=0) there is nothing to lock,
 * but the field is still checked; allowing runs under any reservation.
 */
enum sam_status ispt_sbc_decode_prevent_allow(struct ispt_scsi_cmd *cmd,
					      const u8 *cdb,
					      const struct ispt_scsi_lun_desc *lun)
{
	u8 prevent = cdb[4] & PREVENT_MASK;

	if (prevent > 1)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(4, 1));
	cmd->prevent.prevent = prevent;
	if (!prevent)
		cmd->pr_class = ISPT_PR_ALLOWED;
	return SAM_STAT_GOOD;
}

/* READ DEFECT DATA(10) and (12): we know of no defects, in any format. */
enum sam_status ispt_sbc_decode_read_defect(struct ispt_scsi_cmd *cmd,
					    const u8 *cdb,
					    const struct ispt_scsi_lun_desc *lun)
{
	if (cdb[0] == READ_DEFECT_DATA) {
		cmd->defect.format = cdb[2] & DEFECT_FLAGS;
		ispt_scsi_set_alloc_len(cmd, get_unaligned_be16(&cdb[7]));
	} else {
		cmd->defect.format = cdb[1] & DEFECT_FLAGS;
		ispt_scsi_set_alloc_len(cmd, get_unaligned_be32(&cdb[6]));
	}
	return SAM_STAT_GOOD;
}

/*
 * SBC-3 READ CAPACITY: with PMI zero the LBA field must be zero.
 * PMI one asks for the last LBA before a delay; we have no such delay,
 * so it gets the same answer.
 */
enum sam_status ispt_sbc_decode_read_capacity10(struct ispt_scsi_cmd *cmd,
						const u8 *cdb,
						const struct ispt_scsi_lun_desc *lun)
{
	if (!(cdb[8] & READ_CAPACITY_PMI) && get_unaligned_be32(&cdb[2]))
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(2, -1));
	ispt_scsi_set_alloc_len(cmd, 8);	/* always 8 bytes */
	return SAM_STAT_GOOD;
}

enum sam_status ispt_sbc_decode_read_capacity16(struct ispt_scsi_cmd *cmd,
						const u8 *cdb,
						const struct ispt_scsi_lun_desc *lun)
{
	if (!(cdb[14] & READ_CAPACITY_PMI) && get_unaligned_be64(&cdb[2]))
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(2, -1));
	ispt_scsi_set_alloc_len(cmd, get_unaligned_be32(&cdb[10]));
	return SAM_STAT_GOOD;
}

/**
 * ispt_scsi_unmap_check() - validate a received UNMAP parameter list
 * @cmd: the decoded UNMAP; @cmd->sense is set on failure
 * @lun: the logical unit
 * @data: the parameter list
 * @len: bytes received, at most the CDB's PARAMETER LIST LENGTH
 * @plan: on success, how many block descriptors to execute and the
 *	range that covers them
 *
 * Every descriptor is range-checked here, and their sum against the
 * MAXIMUM UNMAP LBA COUNT we report, so that execution cannot fail on a
 * bad descriptor half way through. A descriptor of no blocks may name the
 * LBA just past the end (it unmaps nothing); a truncated last descriptor
 * is ignored, as SBC-3 allows.
 *
 * Return: SAM_STAT_GOOD, or SAM_STAT_CHECK_CONDITION with @cmd->sense set.
 */
enum sam_status ispt_scsi_unmap_check(struct ispt_scsi_cmd *cmd,
				      const struct ispt_scsi_lun_desc *lun,
				      const u8 *data, u32 len,
				      struct ispt_scsi_unmap_plan *plan)
{
	u64 total = 0, first = U64_MAX, end = 0;
	u32 bd_len, n, i;

	memset(plan, 0, sizeof(*plan));
	if (!len)
		return SAM_STAT_GOOD;
	if (len < UNMAP_HDR_LEN)
		return ispt_scsi_fail(cmd, ispt_sense_param_list_length());
	/* The descriptors the header announces must all have been sent. */
	bd_len = get_unaligned_be16(&data[2]);
	if (bd_len > len - UNMAP_HDR_LEN)
		return ispt_scsi_fail(cmd, ispt_sense_param_list_length());
	n = bd_len / UNMAP_DESC_LEN;
	if (n > ISPT_SCSI_MAX_UNMAP_DESCS)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_param_field(2, -1));

	for (i = 0; i < n; i++) {
		u32 off = UNMAP_HDR_LEN + i * UNMAP_DESC_LEN;
		u64 lba = get_unaligned_be64(&data[off]);
		u32 nr = get_unaligned_be32(&data[off + 8]);

		if (lba > lun->nr_blocks || nr > lun->nr_blocks - lba)
			return ispt_scsi_fail(cmd,
					      ispt_sense_lba_out_of_range());
		total += nr;
		if (total > lun->max_unmap_blocks)
			return ispt_scsi_fail(cmd,
				ispt_sense_invalid_param_field(off + 8, -1));
		if (nr) {
			first = min(first, lba);
			end = max(end, lba + nr);
		}
	}
	plan->nr_descs = n;
	if (end) {
		plan->lba = first;
		plan->nr_blocks = end - first;
	}
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

/* SANITIZE byte 1: IMMED, a reserved bit, AUSE, then the service action */
#define SANITIZE_IMMED		0x80
#define SANITIZE_RESERVED	0x40
#define SANITIZE_AUSE		0x20

/* SANITIZE OVERWRITE parameter list byte 0 */
#define SANITIZE_OW_INVERT	0x80
#define SANITIZE_OW_TEST	0x60
#define SANITIZE_OW_COUNT	0x1f

/*
 * SANITIZE (SBC-4): OVERWRITE carries its pattern in a parameter list of
 * 5 to block size + 4 bytes, EXIT FAILURE MODE none. Unlike most CDBs, the
 * reserved bit and bytes are refused rather than ignored: a SANITIZE that
 * means something we do not know must not destroy the data anyway.
 */
enum sam_status ispt_sbc_decode_sanitize(struct ispt_scsi_cmd *cmd,
					 const u8 *cdb,
					 const struct ispt_scsi_lun_desc *lun)
{
	u16 len = get_unaligned_be16(&cdb[7]);
	unsigned int i;

	if (cdb[1] & SANITIZE_RESERVED)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(1, 6));
	for (i = 2; i <= 6; i++)
		if (cdb[i])
			return ispt_scsi_fail(cmd,
					      ispt_sense_invalid_cdb_field(i, -1));
	if (cdb[1] & SANITIZE_IMMED)
		cmd->flags |= ISPT_SCSI_F_IMMED;
	if (cdb[1] & SANITIZE_AUSE)
		cmd->flags |= ISPT_SCSI_F_AUSE;
	if (cmd->service_action == ISPT_SANITIZE_EXIT_FAILURE_MODE) {
		if (len)
			return ispt_scsi_fail(cmd,
					      ispt_sense_invalid_cdb_field(7, -1));
		return SAM_STAT_GOOD;
	}
	if (len <= ISPT_SANITIZE_OW_HDR_LEN ||
	    len > lun->block_size + ISPT_SANITIZE_OW_HDR_LEN)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_cdb_field(7, -1));
	if (check_writable(cmd, lun) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;
	cmd->data_len = len;
	return SAM_STAT_GOOD;
}

/**
 * ispt_sbc_get_lba_status() - GET LBA STATUS parameter data
 * @cmd: the decoded command
 * @lun: the logical unit
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * A block device does not tell which of its blocks are allocated, so the
 * whole extent from the requested LBA is reported with provisioning
 * status 0, which SBC-4 defines as "mapped or unknown": true of every
 * block, and what an initiator must assume anyway. One descriptor covers
 * at most U32_MAX blocks; the next one covers the rest.
 *
 * Return: the full length of the data.
 */
u32 ispt_sbc_get_lba_status(const struct ispt_scsi_cmd *cmd,
			    const struct ispt_scsi_lun_desc *lun,
			    u8 *buf, u32 len)
{
	u64 lba = cmd->lba, left = lun->nr_blocks - cmd->lba;
	struct ispt_spc_buf b;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	ispt_spc_put_be32(&b, 0);	/* PARAMETER DATA LENGTH, patched */
	ispt_spc_put_be32(&b, 0);
	while (left) {
		u32 n = min_t(u64, left, U32_MAX);

		ispt_spc_put_be64(&b, lba);
		ispt_spc_put_be32(&b, n);
		ispt_spc_put_u8(&b, LBA_STATUS_MAPPED_OR_UNKNOWN);
		ispt_spc_put_zero(&b, 3);
		lba += n;
		left -= n;
	}
	ispt_spc_patch_be32(&b, 0, b.pos - 4);
	return b.pos;
}

/**
 * ispt_sbc_read_defect() - READ DEFECT DATA parameter data
 * @cmd: the decoded READ DEFECT DATA(10) or (12)
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * The backing device hides its defects from us, so the lists asked for
 * are returned valid and empty, in the format asked for.
 *
 * Return: the full length of the data.
 */
u32 ispt_sbc_read_defect(const struct ispt_scsi_cmd *cmd, u8 *buf, u32 len)
{
	struct ispt_spc_buf b;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	ispt_spc_put_u8(&b, 0);
	/* PLISTV and GLISTV echo REQ_PLIST and REQ_GLIST, then the format */
	ispt_spc_put_u8(&b, cmd->defect.format);
	if (cmd->opcode == READ_DEFECT_DATA) {
		ispt_spc_put_be16(&b, 0);	/* DEFECT LIST LENGTH */
	} else {
		ispt_spc_put_be16(&b, 0);	/* GENERATION CODE */
		ispt_spc_put_be32(&b, 0);	/* DEFECT LIST LENGTH */
	}
	return b.pos;
}

/**
 * ispt_sbc_compare() - find the first differing byte
 * @a: one buffer
 * @b: the other
 * @len: bytes to compare
 * @offset: the offset of the first difference, if any
 *
 * Return: true if the buffers are equal.
 */
bool ispt_sbc_compare(const u8 *a, const u8 *b, u32 len, u32 *offset)
{
	u32 i;

	if (!memcmp(a, b, len))
		return true;
	for (i = 0; i < len && a[i] == b[i]; i++)
		;
	*offset = i;
	return false;
}

/* Is this all zeroes (WRITE SAME data an unmap may stand for)? */
bool ispt_sbc_all_zero(const u8 *p, u32 len)
{
	return !memchr_inv(p, 0, len);
}

/* ORWRITE: @dst |= @src, byte by byte (SBC-3 5.8, no BMOP in the 16) */
void ispt_sbc_or(u8 *dst, const u8 *src, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		dst[i] |= src[i];
}

/**
 * ispt_sbc_sanitize_overwrite_check() - check a SANITIZE OVERWRITE list
 * @cmd: the decoded command; @cmd->sense is set when the answer is no
 * @lun: the logical unit
 * @list: the parameter list as received
 * @len: bytes of it received (less than the CDB's length if the
 *	initiator sent less)
 * @ow: filled in with what the list asks for
 *
 * The pattern (@list + ISPT_SANITIZE_OW_HDR_LEN) fills each block, repeated
 * if it is shorter than a block. The TEST field is refused: it asks for a
 * vendor-specific test mode we do not have.
 *
 * Return: SAM_STAT_GOOD, or SAM_STAT_CHECK_CONDITION with @cmd->sense set.
 */
enum sam_status
ispt_sbc_sanitize_overwrite_check(struct ispt_scsi_cmd *cmd,
				  const struct ispt_scsi_lun_desc *lun,
				  const u8 *list, u32 len,
				  struct ispt_sanitize_overwrite *ow)
{
	u16 pattern_len;

	if (len < cmd->data_len || len <= ISPT_SANITIZE_OW_HDR_LEN)
		return ispt_scsi_fail(cmd, ispt_sense_param_list_length());
	if (list[0] & SANITIZE_OW_TEST)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_param_field(0, 6));
	if (!(list[0] & SANITIZE_OW_COUNT))
		return ispt_scsi_fail(cmd, ispt_sense_invalid_param_field(0, 4));
	if (list[1])
		return ispt_scsi_fail(cmd, ispt_sense_invalid_param_field(1, -1));
	pattern_len = get_unaligned_be16(&list[2]);
	if (!pattern_len || pattern_len > lun->block_size ||
	    pattern_len + ISPT_SANITIZE_OW_HDR_LEN != cmd->data_len)
		return ispt_scsi_fail(cmd, ispt_sense_invalid_param_field(2, -1));
	ow->passes = list[0] & SANITIZE_OW_COUNT;
	ow->invert = list[0] & SANITIZE_OW_INVERT;
	ow->pattern_len = pattern_len;
	return SAM_STAT_GOOD;
}

/**
 * ispt_sbc_repeat() - fill a buffer with a repeated unit
 * @buf: where to write
 * @len: bytes to write
 * @offset: where in the repeated stream @buf starts
 * @unit: the bytes that repeat
 * @unit_len: their length, not 0
 *
 * Builds a SANITIZE pattern block from a shorter pattern, and the pages
 * of blocks the overwrite writes from that block.
 */
void ispt_sbc_repeat(u8 *buf, u32 len, u32 offset, const u8 *unit,
		     u32 unit_len)
{
	u32 at = offset % unit_len, n;

	while (len) {
		n = min(len, unit_len - at);
		memcpy(buf, unit + at, n);
		buf += n;
		len -= n;
		at = 0;
	}
}
