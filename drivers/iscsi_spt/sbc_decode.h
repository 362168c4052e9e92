/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_SBC_DECODE_H
#define ISPT_SBC_DECODE_H

#include <linux/types.h>

#include "scsi.h"

/*
 * SBC-3/SBC-4 block commands: their CDB decoders (which the opcode table
 * in scsi.c points at) and the parameter data they carry or return. Like
 * scsi.c, nothing here touches a socket or a bio.
 */

/* Opcodes the kernel's scsi_proto.h does not name */
#define ISPT_OP_SANITIZE		0x48
#define ISPT_OP_ORWRITE_16		0x8b
#define ISPT_OP_PRE_FETCH_16		0x90
#define ISPT_OP_WRITE_ATOMIC_16		0x9c
#define ISPT_OP_READ_DEFECT_DATA_12	0xb7

/* SANITIZE service actions (SBC-4); BLOCK ERASE and CRYPTO ERASE are not offered */
#define ISPT_SANITIZE_OVERWRITE		0x01
#define ISPT_SANITIZE_EXIT_FAILURE_MODE	0x1f

/* SANITIZE OVERWRITE parameter list: a 4-byte header, then the pattern */
#define ISPT_SANITIZE_OW_HDR_LEN	4
#define ISPT_SANITIZE_MAX_PASSES	31

/* What an OVERWRITE parameter list asks for */
struct ispt_sanitize_overwrite {
	u8	passes;		/* OVERWRITE COUNT, 1..31 */
	bool	invert;		/* the pattern inverted between passes */
	u16	pattern_len;	/* bytes of pattern after the header */
};

/* GET LBA STATUS: an 8-byte header, then 16-byte descriptors */
#define ISPT_SBC_LBA_STATUS_LEN		24

/* Shared by the decoders of scsi.c and sbc_decode.c */
static inline enum sam_status ispt_scsi_fail(struct ispt_scsi_cmd *cmd,
					     struct ispt_sense s)
{
	cmd->sense = s;
	return SAM_STAT_CHECK_CONDITION;
}

/* A data-in command whose length is the initiator's allocation length */
static inline void ispt_scsi_set_alloc_len(struct ispt_scsi_cmd *cmd,
					   u32 alloc_len)
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
static inline bool ispt_scsi_range_ok(const struct ispt_scsi_lun_desc *lun,
				      u64 lba, u32 nr)
{
	return lba < lun->nr_blocks && nr <= lun->nr_blocks - lba;
}

/* sbc_decode.c APIs: CDB decoders for the opcode table */
enum sam_status ispt_sbc_decode_rw6(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				    const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_rw10(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				     const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_rw12(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				     const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_rw16(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				     const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_sync10(struct ispt_scsi_cmd *cmd,
				       const u8 *cdb,
				       const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_sync16(struct ispt_scsi_cmd *cmd,
				       const u8 *cdb,
				       const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_verify(struct ispt_scsi_cmd *cmd,
				       const u8 *cdb,
				       const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_write_verify(struct ispt_scsi_cmd *cmd,
					     const u8 *cdb,
					     const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_compare_write(struct ispt_scsi_cmd *cmd,
					      const u8 *cdb,
					      const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_orwrite(struct ispt_scsi_cmd *cmd,
					const u8 *cdb,
					const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_write_atomic(struct ispt_scsi_cmd *cmd,
					     const u8 *cdb,
					     const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_write_same(struct ispt_scsi_cmd *cmd,
					   const u8 *cdb,
					   const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_unmap(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				      const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_prefetch(struct ispt_scsi_cmd *cmd,
					 const u8 *cdb,
					 const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_get_lba_status(struct ispt_scsi_cmd *cmd,
					       const u8 *cdb,
					       const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_start_stop(struct ispt_scsi_cmd *cmd,
					   const u8 *cdb,
					   const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_prevent_allow(struct ispt_scsi_cmd *cmd,
					      const u8 *cdb,
					      const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_read_defect(struct ispt_scsi_cmd *cmd,
					    const u8 *cdb,
					    const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_read_capacity10(struct ispt_scsi_cmd *cmd,
						const u8 *cdb,
						const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_read_capacity16(struct ispt_scsi_cmd *cmd,
						const u8 *cdb,
						const struct ispt_scsi_lun_desc *lun);
enum sam_status ispt_sbc_decode_sanitize(struct ispt_scsi_cmd *cmd,
					 const u8 *cdb,
					 const struct ispt_scsi_lun_desc *lun);
bool ispt_sbc_lun_thin(const struct ispt_scsi_lun_desc *lun);

/* sbc_decode.c APIs: parameter data */
u32 ispt_sbc_get_lba_status(const struct ispt_scsi_cmd *cmd,
			    const struct ispt_scsi_lun_desc *lun,
			    u8 *buf, u32 len);
u32 ispt_sbc_read_defect(const struct ispt_scsi_cmd *cmd, u8 *buf, u32 len);
bool ispt_sbc_compare(const u8 *a, const u8 *b, u32 len, u32 *offset);
bool ispt_sbc_all_zero(const u8 *p, u32 len);
void ispt_sbc_or(u8 *dst, const u8 *src, u32 len);
enum sam_status
ispt_sbc_sanitize_overwrite_check(struct ispt_scsi_cmd *cmd,
				  const struct ispt_scsi_lun_desc *lun,
				  const u8 *list, u32 len,
				  struct ispt_sanitize_overwrite *ow);
void ispt_sbc_repeat(u8 *buf, u32 len, u32 offset, const u8 *unit,
		     u32 unit_len);

#endif /* ISPT_SBC_DECODE_H */
