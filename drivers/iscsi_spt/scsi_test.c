// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for CDB decoding, sense data, REPORT SUPPORTED OPERATION
 * CODES, LUN addressing and UNMAP parameter lists. Bad input gets as many
 * cases as good input: a CDB is whatever a remote initiator sends.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "pr.h"
#include "sbc_decode.h"
#include "scsi.h"
#include "spc.h"
#include "xcopy.h"

enum { LU_SMALL, LU_BIG, LU_THIN, LU_RO, LU_SWP, NO_LU };

/*
 * LU_SMALL: 64Ki 512-byte blocks, 1 MiB transfers, no discard; WRITE
 *	SAME of 2048 blocks, COMPARE AND WRITE of 16, WRITE ATOMIC of 256.
 * LU_BIG: 2^33 4 KiB blocks (32 TiB) with no transfer limit, for 32-bit
 *	and 64-bit LBA edges, and none of the optional commands.
 * LU_THIN: like LU_SMALL, but discards and writes zeroes.
 * LU_RO: LU_SMALL, read-only.
 * LU_SWP: LU_SMALL under software write protection (MODE SELECT).
 */
#define SMALL_LU	.nr_blocks = 0x10000, .block_size = 512, \
			.max_xfer_blocks = 2048, \
			.max_write_same_blocks = 0x800, \
			.max_compare_blocks = 16, .max_atomic_blocks = 256

static const struct ispt_scsi_lun_desc test_luns[] = {
	[LU_SMALL] = { SMALL_LU },
	[LU_BIG] = {
		.nr_blocks = 1ULL << 33, .block_size = 4096,
	},
	[LU_THIN] = {
		SMALL_LU, .max_unmap_blocks = 0x1000,
		.max_write_zeroes_blocks = 0x800,
	},
	[LU_RO] = { SMALL_LU, .read_only = true },
	[LU_SWP] = { SMALL_LU, .mode.swp = true },
};

static const struct ispt_scsi_lun_desc *test_lun(unsigned int which)
{
	return which == NO_LU ? NULL : &test_luns[which];
}

/* Compare byte by byte so a failure names the offset. */
static void expect_bytes(struct kunit *test, const u8 *got, const u8 *want,
			 unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "byte %u", i);
}

/* ---- CDB decoding ---------------------------------------------------- */

struct decode_case {
	const char	*name;
	u8		cdb[16];
	u8		cdb_len;	/* 0: the 16 bytes of the iSCSI field */
	u8		lun;
	u8		status;
	/* SAM_STAT_GOOD */
	u8		handler;
	u8		dir;
	u8		sa;
	u16		flags;
	u64		lba;
	u32		nr;
	u32		data_len;
	u32		alloc_len;
	u8		page, subpage, pc, select, options, req_op;
	u16		req_sa;
	u8		bytchk;		/* VERIFY, WRITE AND VERIFY */
	/* SAM_STAT_CHECK_CONDITION */
	u8		key;
	u16		asc;
	int		field;		/* -1: no field pointer */
	int		bit;		/* -1: no bit pointer */
};

#define GOOD_RD		.status = SAM_STAT_GOOD, \
			.handler = ISPT_SCSI_DO_READ, .dir = ISPT_SCSI_DIR_IN
#define GOOD_WR		.status = SAM_STAT_GOOD, \
			.handler = ISPT_SCSI_DO_WRITE, .dir = ISPT_SCSI_DIR_OUT
#define GOOD_IN(h)	.status = SAM_STAT_GOOD, \
			.handler = ISPT_SCSI_DO_##h, .dir = ISPT_SCSI_DIR_IN
#define GOOD_OUT(h)	.status = SAM_STAT_GOOD, \
			.handler = ISPT_SCSI_DO_##h, .dir = ISPT_SCSI_DIR_OUT
#define GOOD_NONE(h)	.status = SAM_STAT_GOOD, \
			.handler = ISPT_SCSI_DO_##h, .dir = ISPT_SCSI_DIR_NONE
#define SENSE(k, a)	.status = SAM_STAT_CHECK_CONDITION, .key = (k), \
			.asc = (a), .field = -1, .bit = -1
#define BAD_FIELD(f, b)	.status = SAM_STAT_CHECK_CONDITION, \
			.key = ILLEGAL_REQUEST, \
			.asc = ISPT_ASC_INVALID_FIELD_CDB, .field = (f), .bit = (b)

#define OOB		SENSE(ILLEGAL_REQUEST, ISPT_ASC_LBA_OUT_OF_RANGE)
#define BAD_OPCODE	SENSE(ILLEGAL_REQUEST, ISPT_ASC_INVALID_OPCODE)
#define SHORT_CDB	SENSE(ILLEGAL_REQUEST, ISPT_ASC_INVALID_FIELD_CDB)
#define NO_LUN		SENSE(ILLEGAL_REQUEST, ISPT_ASC_LUN_NOT_SUPPORTED)
#define PROTECTED	SENSE(DATA_PROTECT, ISPT_ASC_WRITE_PROTECTED)
#define SW_PROTECTED	SENSE(DATA_PROTECT, ISPT_ASC_SOFTWARE_WP)
#define PARAM_LEN	SENSE(ILLEGAL_REQUEST, ISPT_ASC_PARAM_LIST_LENGTH)

static const struct decode_case decode_cases[] = {
	/* READ(6) and WRITE(6) */
	{ "read6", { READ_6, 0x00, 0x12, 0x34, 8, 0 }, .lun = LU_SMALL,
	  GOOD_RD, .lba = 0x1234, .nr = 8, .data_len = 4096 },
	{ "read6 length 0 is 256 blocks", { READ_6, 0, 0, 0, 0, 0 },
	  .lun = LU_SMALL, GOOD_RD, .nr = 256, .data_len = 256 * 512 },
	{ "read6 21-bit lba, top bits of byte 1 ignored",
	  { READ_6, 0xff, 0xff, 0xff, 1, 0 }, .lun = LU_BIG, GOOD_RD,
	  .lba = 0x1fffff, .nr = 1, .data_len = 4096 },
	{ "read6 last block", { READ_6, 0, 0xff, 0xff, 1, 0 },
	  .lun = LU_SMALL, GOOD_RD, .lba = 0xffff, .nr = 1,
	  .data_len = 512 },
	{ "read6 at capacity", { READ_6, 0x01, 0, 0, 1, 0 },
	  .lun = LU_SMALL, OOB },
	{ "read6 256 blocks crossing the end", { READ_6, 0, 0xff, 0x01, 0, 0 },
	  .lun = LU_SMALL, OOB },
	{ "read6 NACA", { READ_6, 0, 0, 0, 1, 0x04 }, .lun = LU_SMALL,
	  BAD_FIELD(5, 2) },
	{ "read6 cdb of 5 bytes", { READ_6, 0, 0, 0, 1, 0 }, .cdb_len = 5,
	  .lun = LU_SMALL, SHORT_CDB },
	{ "write6", { WRITE_6, 0x00, 0x00, 0x10, 2, 0 }, .lun = LU_SMALL,
	  GOOD_WR, .lba = 0x10, .nr = 2, .data_len = 1024 },
	{ "write6 read-only", { WRITE_6, 0, 0, 0x10, 2, 0 }, .lun = LU_RO,
	  PROTECTED },
	{ "read6 read-only is fine", { READ_6, 0, 0, 0x10, 2, 0 },
	  .lun = LU_RO, GOOD_RD, .lba = 0x10, .nr = 2, .data_len = 1024 },

	/* READ(10) and WRITE(10) */
	{ "read10 fua dpo", { READ_10, 0x18, 0, 0, 0x12, 0x34, 0, 0, 8, 0 },
	  .lun = LU_SMALL, GOOD_RD, .lba = 0x1234, .nr = 8,
	  .data_len = 4096, .flags = ISPT_SCSI_F_FUA | ISPT_SCSI_F_DPO },
	{ "read10 ignores rarc, fua_nv, group",
	  { READ_10, 0x07, 0, 0, 0, 1, 0x1f, 0, 1, 0 }, .lun = LU_SMALL,
	  GOOD_RD, .lba = 1, .nr = 1, .data_len = 512 },
	{ "read10 zero blocks", { READ_10, 0, 0, 0, 0, 5, 0, 0, 0, 0 },
	  .lun = LU_SMALL, GOOD_RD, .lba = 5 },
	{ "read10 zero blocks at capacity",
	  { READ_10, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, .lun = LU_SMALL, OOB },
	{ "read10 zero blocks at capacity + 1",
	  { READ_10, 0, 0, 1, 0, 1, 0, 0, 0, 0 }, .lun = LU_SMALL, OOB },
	{ "read10 last block", { READ_10, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0 },
	  .lun = LU_SMALL, GOOD_RD, .lba = 0xffff, .nr = 1,
	  .data_len = 512 },
	{ "read10 at capacity", { READ_10, 0, 0, 1, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_SMALL, OOB },
	{ "read10 at capacity + 1", { READ_10, 0, 0, 1, 0, 1, 0, 0, 1, 0 },
	  .lun = LU_SMALL, OOB },
	{ "read10 two blocks over the end",
	  { READ_10, 0, 0, 0, 0xff, 0xff, 0, 0, 2, 0 }, .lun = LU_SMALL, OOB },
	{ "read10 lba 0xffffffff", { READ_10, 0, 0xff, 0xff, 0xff, 0xff, 0,
				     0, 1, 0 }, .lun = LU_BIG, GOOD_RD,
	  .lba = 0xffffffff, .nr = 1, .data_len = 4096 },
	{ "read10 rdprotect 1", { READ_10, 0x20, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 7) },
	{ "read10 rdprotect 7", { READ_10, 0xe0, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 7) },
	{ "read10 at max transfer", { READ_10, 0, 0, 0, 0, 0, 0, 0x08, 0, 0 },
	  .lun = LU_SMALL, GOOD_RD, .nr = 2048, .data_len = 2048 * 512 },
	{ "read10 over max transfer",
	  { READ_10, 0, 0, 0, 0, 0, 0, 0x08, 0x01, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(7, -1) },
	{ "read10 link", { READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0x01 },
	  .lun = LU_SMALL, BAD_FIELD(9, 0) },
	{ "read10 naca", { READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0x04 },
	  .lun = LU_SMALL, BAD_FIELD(9, 2) },
	{ "read10 vendor bits of control ignored",
	  { READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0xc2 }, .lun = LU_SMALL,
	  GOOD_RD, .nr = 1, .data_len = 512 },
	{ "read10 cdb of 9 bytes", { READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .cdb_len = 9, .lun = LU_SMALL, SHORT_CDB },
	{ "read10 cdb of exactly 10 bytes",
	  { READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, .cdb_len = 10,
	  .lun = LU_SMALL, GOOD_RD, .nr = 1, .data_len = 512 },
	{ "read10 no logical unit", { READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = NO_LU, NO_LUN },
	{ "write10 fua", { WRITE_10, 0x08, 0, 0, 0, 0x20, 0, 0, 4, 0 },
	  .lun = LU_SMALL, GOOD_WR, .lba = 0x20, .nr = 4,
	  .data_len = 2048, .flags = ISPT_SCSI_F_FUA },
	{ "write10 wrprotect", { WRITE_10, 0x40, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 7) },
	{ "write10 read-only", { WRITE_10, 0, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_RO, PROTECTED },
	{ "write10 read-only out of range: range first",
	  { WRITE_10, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, .lun = LU_RO, OOB },

	/* READ(12) and WRITE(12) */
	{ "read12", { READ_12, 0, 0, 0, 0x01, 0x00, 0, 0, 0, 0x10, 0, 0 },
	  .lun = LU_SMALL, GOOD_RD, .lba = 0x100, .nr = 0x10,
	  .data_len = 0x10 * 512 },
	{ "read12 in range but over max transfer",
	  { READ_12, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(6, -1) },
	{ "read12 rdprotect", { READ_12, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 7) },
	{ "write12 dpo", { WRITE_12, 0x10, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0 },
	  .lun = LU_SMALL, GOOD_WR, .lba = 7, .nr = 1, .data_len = 512,
	  .flags = ISPT_SCSI_F_DPO },
	{ "write12 naca", { WRITE_12, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0x04 },
	  .lun = LU_SMALL, BAD_FIELD(11, 2) },

	/* READ(16) and WRITE(16) */
	{ "read16 lba 2^32", { READ_16, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 8 },
	  .lun = LU_BIG, GOOD_RD, .lba = 1ULL << 32, .nr = 8,
	  .data_len = 8 * 4096 },
	{ "read16 last block of 2^33",
	  { READ_16, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1 },
	  .lun = LU_BIG, GOOD_RD, .lba = (1ULL << 33) - 1, .nr = 1,
	  .data_len = 4096 },
	{ "read16 at capacity 2^33",
	  { READ_16, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1 },
	  .lun = LU_BIG, OOB },
	{ "read16 lba+len wraps 64 bits",
	  { READ_16, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0, 0, 0, 2 }, .lun = LU_BIG, OOB },
	{ "read16 zero blocks at lba 2^64-1",
	  { READ_16, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	  .lun = LU_BIG, OOB },
	{ "read16 just under 4 GiB",
	  { READ_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0xff, 0xff },
	  .lun = LU_BIG, GOOD_RD, .nr = 0xfffff, .data_len = 0xfffff000 },
	{ "read16 4 GiB does not fit iSCSI",
	  { READ_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0 },
	  .lun = LU_BIG, BAD_FIELD(10, -1) },
	{ "read16 naca", { READ_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
			   0, 0x04 }, .lun = LU_SMALL, BAD_FIELD(15, 2) },
	{ "read16 cdb of 12 bytes", { READ_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				      0, 0, 1 }, .cdb_len = 12,
	  .lun = LU_SMALL, SHORT_CDB },
	{ "write16", { WRITE_16, 0x18, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 3 },
	  .lun = LU_SMALL, GOOD_WR, .lba = 9, .nr = 3, .data_len = 1536,
	  .flags = ISPT_SCSI_F_FUA | ISPT_SCSI_F_DPO },
	{ "write16 wrprotect", { WRITE_16, 0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				 0, 1 }, .lun = LU_SMALL, BAD_FIELD(1, 7) },

	/* SYNCHRONIZE CACHE */
	{ "sync10 immed, whole medium", { SYNCHRONIZE_CACHE, 0x02 },
	  .lun = LU_SMALL, GOOD_NONE(FLUSH), .flags = ISPT_SCSI_F_IMMED },
	{ "sync10 range", { SYNCHRONIZE_CACHE, 0, 0, 0, 0xff, 0x00, 0, 0,
			    0xff, 0 }, .lun = LU_SMALL,
	  GOOD_NONE(FLUSH), .lba = 0xff00, .nr = 0xff },
	{ "sync10 range past the end", { SYNCHRONIZE_CACHE, 0, 0, 0, 0xff,
					 0x00, 0, 1, 1, 0 },
	  .lun = LU_SMALL, OOB },
	{ "sync10 to the end from capacity",
	  { SYNCHRONIZE_CACHE, 0, 0, 1, 0, 0 }, .lun = LU_SMALL, OOB },
	{ "sync10 naca", { SYNCHRONIZE_CACHE, 0, 0, 0, 0, 0, 0, 0, 0, 0x04 },
	  .lun = LU_SMALL, BAD_FIELD(9, 2) },
	{ "sync16 to the end", { SYNCHRONIZE_CACHE_16, 0, 0, 0, 0, 1, 0, 0,
				 0, 5 }, .lun = LU_BIG,
	  GOOD_NONE(FLUSH), .lba = (1ULL << 32) + 5 },
	{ "sync16 at capacity 2^33", { SYNCHRONIZE_CACHE_16, 0, 0, 0, 0, 2 },
	  .lun = LU_BIG, OOB },

	/* TEST UNIT READY */
	{ "tur", { TEST_UNIT_READY }, .lun = LU_SMALL, GOOD_NONE(TUR) },
	{ "tur read-only", { TEST_UNIT_READY }, .lun = LU_RO,
	  GOOD_NONE(TUR) },
	{ "tur no logical unit", { TEST_UNIT_READY }, .lun = NO_LU, NO_LUN },
	{ "tur naca", { TEST_UNIT_READY, 0, 0, 0, 0, 0x04 }, .lun = LU_SMALL,
	  BAD_FIELD(5, 2) },

	/* INQUIRY */
	{ "inquiry standard", { INQUIRY, 0, 0, 0, 96, 0 }, .lun = LU_SMALL,
	  GOOD_IN(INQUIRY), .alloc_len = 96, .data_len = 96 },
	{ "inquiry 16-bit allocation length", { INQUIRY, 0, 0, 0x12, 0x34 },
	  .lun = LU_SMALL, GOOD_IN(INQUIRY), .alloc_len = 0x1234,
	  .data_len = 0x1234 },
	{ "inquiry vpd 0x83", { INQUIRY, 1, 0x83, 0, 255, 0 },
	  .lun = LU_SMALL, GOOD_IN(INQUIRY), .flags = ISPT_SCSI_F_EVPD,
	  .page = 0x83, .alloc_len = 255, .data_len = 255 },
	{ "inquiry vpd 0x00", { INQUIRY, 1, 0x00, 0, 255, 0 },
	  .lun = LU_SMALL, GOOD_IN(INQUIRY), .flags = ISPT_SCSI_F_EVPD,
	  .alloc_len = 255, .data_len = 255 },
	{ "inquiry page without evpd", { INQUIRY, 0, 0x80, 0, 255, 0 },
	  .lun = LU_SMALL, BAD_FIELD(2, -1) },
	{ "inquiry vpd 0x86", { INQUIRY, 1, 0x86, 0, 255, 0 },
	  .lun = LU_SMALL, GOOD_IN(INQUIRY), .flags = ISPT_SCSI_F_EVPD,
	  .page = 0x86, .alloc_len = 255, .data_len = 255 },
	{ "inquiry vpd 0x8f", { INQUIRY, 1, 0x8f, 0, 255, 0 },
	  .lun = LU_SMALL, GOOD_IN(INQUIRY), .flags = ISPT_SCSI_F_EVPD,
	  .page = 0x8f, .alloc_len = 255, .data_len = 255 },
	{ "inquiry unsupported vpd page", { INQUIRY, 1, 0x8e, 0, 255, 0 },
	  .lun = LU_SMALL, BAD_FIELD(2, -1) },
	{ "inquiry cmddt", { INQUIRY, 2, 0, 0, 255, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(1, 1) },
	{ "inquiry naca", { INQUIRY, 0, 0, 0, 96, 0x04 }, .lun = LU_SMALL,
	  BAD_FIELD(5, 2) },
	{ "inquiry no logical unit", { INQUIRY, 0, 0, 0, 96, 0 },
	  .lun = NO_LU, GOOD_IN(INQUIRY), .alloc_len = 96,
	  .data_len = 96 },
	{ "inquiry vpd no logical unit", { INQUIRY, 1, 0x80, 0, 96, 0 },
	  .lun = NO_LU, GOOD_IN(INQUIRY), .flags = ISPT_SCSI_F_EVPD,
	  .page = 0x80, .alloc_len = 96, .data_len = 96 },
	{ "inquiry cdb of 5 bytes", { INQUIRY, 0, 0, 0, 96, 0 }, .cdb_len = 5,
	  .lun = LU_SMALL, SHORT_CDB },

	/* READ CAPACITY */
	{ "read capacity 10", { READ_CAPACITY }, .lun = LU_SMALL,
	  GOOD_IN(READ_CAPACITY_10), .alloc_len = 8, .data_len = 8 },
	{ "read capacity 10 lba without pmi",
	  { READ_CAPACITY, 0, 0, 0, 0, 1, 0, 0, 0, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(2, -1) },
	{ "read capacity 10 lba with pmi",
	  { READ_CAPACITY, 0, 0, 0, 0, 1, 0, 0, 1, 0 }, .lun = LU_SMALL,
	  GOOD_IN(READ_CAPACITY_10), .alloc_len = 8, .data_len = 8 },
	{ "read capacity 16", { SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0,
				0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32 },
	  .lun = LU_BIG, GOOD_IN(READ_CAPACITY_16),
	  .sa = SAI_READ_CAPACITY_16, .alloc_len = 32, .data_len = 32 },
	{ "read capacity 16 lba without pmi",
	  { SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 0, 0, 0, 0, 0, 0,
	    1, 0, 0, 0, 32 }, .lun = LU_BIG, BAD_FIELD(2, -1) },
	{ "read capacity 16 naca",
	  { SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 32, 0, 0x04 }, .lun = LU_BIG, BAD_FIELD(15, 2) },
	{ "service action in 16: report referrals unsupported",
	  { SERVICE_ACTION_IN_16, SAI_REPORT_REFERRALS, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 32 }, .lun = LU_BIG, BAD_FIELD(1, 4) },
	{ "read capacity 16 no logical unit",
	  { SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16 }, .lun = NO_LU,
	  NO_LUN },

	/* REPORT LUNS */
	{ "report luns", { REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0, 16 },
	  .lun = LU_SMALL, GOOD_IN(REPORT_LUNS), .alloc_len = 16,
	  .data_len = 16 },
	{ "report luns select 2", { REPORT_LUNS, 0, 2, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_SMALL, GOOD_IN(REPORT_LUNS), .select = 2,
	  .alloc_len = 256, .data_len = 256 },
	{ "report luns allocation length 15",
	  { REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0, 15 }, .lun = LU_SMALL,
	  BAD_FIELD(6, -1) },
	{ "report luns select 0x10", { REPORT_LUNS, 0, 0x10, 0, 0, 0, 0, 0, 1,
				       0 }, .lun = LU_SMALL,
	  GOOD_IN(REPORT_LUNS), .select = 0x10, .alloc_len = 256,
	  .data_len = 256 },
	{ "report luns select 0x12", { REPORT_LUNS, 0, 0x12, 0, 0, 0, 0, 0, 1,
				       0 }, .lun = LU_SMALL,
	  GOOD_IN(REPORT_LUNS), .select = 0x12, .alloc_len = 256,
	  .data_len = 256 },
	{ "report luns select 3", { REPORT_LUNS, 0, 3, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_SMALL, BAD_FIELD(2, -1) },
	{ "report luns select 0x13", { REPORT_LUNS, 0, 0x13, 0, 0, 0, 0, 0, 1,
				       0 }, .lun = LU_SMALL,
	  BAD_FIELD(2, -1) },
	{ "report luns vendor select 0xf8",
	  { REPORT_LUNS, 0, 0xf8, 0, 0, 0, 0, 0, 1, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(2, -1) },
	{ "report luns no logical unit",
	  { REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0, 16 }, .lun = NO_LU,
	  GOOD_IN(REPORT_LUNS), .alloc_len = 16, .data_len = 16 },

	/* MODE SENSE */
	{ "mode sense 6 all pages", { MODE_SENSE, 0, 0x3f, 0, 0xff, 0 },
	  .lun = LU_SMALL, GOOD_IN(MODE_SENSE), .page = 0x3f,
	  .alloc_len = 255, .data_len = 255 },
	{ "mode sense 6 dbd caching", { MODE_SENSE, 0x08, 0x08, 0, 0x40, 0 },
	  .lun = LU_SMALL, GOOD_IN(MODE_SENSE), .page = 0x08,
	  .flags = ISPT_SCSI_F_DBD, .alloc_len = 0x40, .data_len = 0x40 },
	{ "mode sense 6 changeable", { MODE_SENSE, 0, 0x48, 0, 0x40, 0 },
	  .lun = LU_SMALL, GOOD_IN(MODE_SENSE), .page = 0x08,
	  .pc = ISPT_SCSI_PC_CHANGEABLE, .alloc_len = 0x40,
	  .data_len = 0x40 },
	{ "mode sense 6 all subpages", { MODE_SENSE, 0, 0x3f, 0xff, 0x40, 0 },
	  .lun = LU_SMALL, GOOD_IN(MODE_SENSE), .page = 0x3f,
	  .subpage = 0xff, .alloc_len = 0x40, .data_len = 0x40 },
	/* No page is saveable: saved values are not supported (SPC-4 6.13) */
	{ "mode sense 6 saved", { MODE_SENSE, 0, 0xc8, 0, 0x40, 0 },
	  .lun = LU_SMALL, .status = SAM_STAT_CHECK_CONDITION,
	  .key = ILLEGAL_REQUEST, .asc = ISPT_ASC_SAVING_UNSUPPORTED,
	  .field = 2, .bit = 7 },
	{ "mode sense 10 saved", { MODE_SENSE_10, 0, 0xff, 0, 0, 0, 0, 0, 0x40,
				   0 }, .lun = LU_SMALL,
	  .status = SAM_STAT_CHECK_CONDITION, .key = ILLEGAL_REQUEST,
	  .asc = ISPT_ASC_SAVING_UNSUPPORTED, .field = 2, .bit = 7 },
	{ "mode sense 6 informational exceptions",
	  { MODE_SENSE, 0, 0x1c, 0, 0x40 }, .lun = LU_SMALL,
	  GOOD_IN(MODE_SENSE), .page = 0x1c, .alloc_len = 0x40,
	  .data_len = 0x40 },
	{ "mode sense 6 unsupported page", { MODE_SENSE, 0, 0x1a, 0, 0x40 },
	  .lun = LU_SMALL, BAD_FIELD(2, 5) },
	{ "mode sense 6 unsupported subpage",
	  { MODE_SENSE, 0, 0x08, 0x01, 0x40 }, .lun = LU_SMALL,
	  BAD_FIELD(3, -1) },
	{ "mode sense 10 llbaa default control",
	  { MODE_SENSE_10, 0x10, 0x8a, 0, 0, 0, 0, 0x01, 0x00, 0 },
	  .lun = LU_BIG, GOOD_IN(MODE_SENSE), .page = 0x0a,
	  .pc = ISPT_SCSI_PC_DEFAULT,
	  .flags = ISPT_SCSI_F_MODE10 | ISPT_SCSI_F_LLBAA,
	  .alloc_len = 256, .data_len = 256 },
	{ "mode sense 10 naca", { MODE_SENSE_10, 0, 0x3f, 0, 0, 0, 0, 0, 0xff,
				  0x04 }, .lun = LU_SMALL, BAD_FIELD(9, 2) },
	{ "mode sense 6 no logical unit", { MODE_SENSE, 0, 0x3f, 0, 0xff },
	  .lun = NO_LU, NO_LUN },

	/* REQUEST SENSE */
	{ "request sense desc", { REQUEST_SENSE, 1, 0, 0, 252, 0 },
	  .lun = LU_SMALL, GOOD_IN(REQUEST_SENSE),
	  .flags = ISPT_SCSI_F_DESC, .alloc_len = 252, .data_len = 252 },
	{ "request sense no logical unit", { REQUEST_SENSE, 0, 0, 0, 18, 0 },
	  .lun = NO_LU, GOOD_IN(REQUEST_SENSE), .alloc_len = 18,
	  .data_len = 18 },

	/* MAINTENANCE IN */
	{ "rsoc all", { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES,
			0, 0, 0, 0, 0, 0, 0x10, 0 }, .lun = LU_SMALL,
	  GOOD_IN(REPORT_OPCODES),
	  .sa = MI_REPORT_SUPPORTED_OPERATION_CODES, .alloc_len = 0x1000,
	  .data_len = 0x1000 },
	{ "rsoc one opcode, rctd",
	  { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0x81,
	    READ_10, 0, 0, 0, 0, 0, 64 }, .lun = LU_SMALL,
	  GOOD_IN(REPORT_OPCODES),
	  .sa = MI_REPORT_SUPPORTED_OPERATION_CODES,
	  .flags = ISPT_SCSI_F_RCTD, .options = 1, .req_op = READ_10,
	  .alloc_len = 64, .data_len = 64 },
	{ "rsoc option 1 for an opcode with service actions",
	  { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 1,
	    SERVICE_ACTION_IN_16, 0, 0x10, 0, 0, 0, 64 }, .lun = LU_SMALL,
	  BAD_FIELD(2, 2) },
	{ "rsoc option 2 for an opcode without service actions",
	  { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 2,
	    READ_10, 0, 0, 0, 0, 0, 64 }, .lun = LU_SMALL, BAD_FIELD(2, 2) },
	{ "rsoc option 2 read capacity 16",
	  { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 2,
	    SERVICE_ACTION_IN_16, 0, 0x10, 0, 0, 0, 64 }, .lun = LU_SMALL,
	  GOOD_IN(REPORT_OPCODES),
	  .sa = MI_REPORT_SUPPORTED_OPERATION_CODES, .options = 2,
	  .req_op = SERVICE_ACTION_IN_16, .req_sa = 0x10, .alloc_len = 64,
	  .data_len = 64 },
	{ "rsoc option 4", { MAINTENANCE_IN,
			     MI_REPORT_SUPPORTED_OPERATION_CODES, 4, 0, 0, 0,
			     0, 0, 0, 64 }, .lun = LU_SMALL, BAD_FIELD(2, 2) },
	{ "rsoc no logical unit",
	  { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0, 0, 0, 0,
	    0, 0, 0, 64 }, .lun = NO_LU, NO_LUN },
	{ "rstmf repd", { MAINTENANCE_IN,
			  MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS, 0x80,
			  0, 0, 0, 0, 0, 0, 16 }, .lun = LU_SMALL,
	  GOOD_IN(REPORT_TMFS),
	  .sa = MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS,
	  .flags = ISPT_SCSI_F_REPD, .alloc_len = 16, .data_len = 16 },
	{ "maintenance in: report target port groups unsupported",
	  { MAINTENANCE_IN, MI_REPORT_TARGET_PGS, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 4) },
	{ "maintenance in cdb of 11 bytes",
	  { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES },
	  .cdb_len = 11, .lun = LU_SMALL, SHORT_CDB },

	/* UNMAP */
	{ "unmap", { UNMAP, 0, 0, 0, 0, 0, 0, 0, 24, 0 }, .lun = LU_THIN,
	  GOOD_OUT(UNMAP), .data_len = 24 },
	{ "unmap empty parameter list", { UNMAP }, .lun = LU_THIN,
	  GOOD_NONE(UNMAP) },
	{ "unmap read-only, not thin", { UNMAP, 0, 0, 0, 0, 0, 0, 0, 24, 0 },
	  .lun = LU_RO, BAD_OPCODE },
	{ "unmap without discard", { UNMAP, 0, 0, 0, 0, 0, 0, 0, 24, 0 },
	  .lun = LU_SMALL, BAD_OPCODE },
	{ "unmap anchor", { UNMAP, 1, 0, 0, 0, 0, 0, 0, 24, 0 },
	  .lun = LU_THIN, BAD_FIELD(1, 0) },
	{ "unmap parameter list of 7 bytes",
	  { UNMAP, 0, 0, 0, 0, 0, 0, 0, 7, 0 }, .lun = LU_THIN,
	  SENSE(ILLEGAL_REQUEST, ISPT_ASC_PARAM_LIST_LENGTH) },

	/* WRITE SAME */
	{ "write same 10", { WRITE_SAME, 0, 0, 0, 0, 8, 0, 0, 8, 0 },
	  .lun = LU_THIN, GOOD_OUT(WRITE_SAME),
	  .lba = 8, .nr = 8, .data_len = 512 },
	{ "write same 10 unmap", { WRITE_SAME, 0x08, 0, 0, 0, 8, 0, 0, 8, 0 },
	  .lun = LU_THIN, GOOD_OUT(WRITE_SAME),
	  .flags = ISPT_SCSI_F_UNMAP, .lba = 8, .nr = 8, .data_len = 512 },
	{ "write same 10 zero blocks: to the end",
	  { WRITE_SAME, 0, 0, 0, 0xf8, 0x01, 0, 0, 0, 0 }, .lun = LU_THIN,
	  GOOD_OUT(WRITE_SAME), .lba = 0xf801, .nr = 0x7ff,
	  .data_len = 512 },
	{ "write same 10 zero blocks: to the end is over max",
	  { WRITE_SAME, 0, 0, 0, 0, 8 }, .lun = LU_THIN, BAD_FIELD(7, -1) },
	{ "write same 10 zero blocks at capacity",
	  { WRITE_SAME, 0, 0, 1, 0, 0 }, .lun = LU_THIN, OOB },
	{ "write same 10 over max", { WRITE_SAME, 0, 0, 0, 0, 0, 0, 0x08, 0x01,
				      0 }, .lun = LU_THIN, BAD_FIELD(7, -1) },
	{ "write same 10 pbdata", { WRITE_SAME, 0x04, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_THIN, BAD_FIELD(1, 2) },
	{ "write same 10 without thin provisioning",
	  { WRITE_SAME, 0, 0, 0, 0, 8, 0, 0, 8, 0 }, .lun = LU_SMALL,
	  GOOD_OUT(WRITE_SAME), .lba = 8, .nr = 8, .data_len = 512 },
	{ "write same 10 unmap without thin provisioning",
	  { WRITE_SAME, 0x08, 0, 0, 0, 8, 0, 0, 8, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(1, 3) },
	{ "write same 10 on a LU without it",
	  { WRITE_SAME, 0, 0, 0, 0, 8, 0, 0, 8, 0 }, .lun = LU_BIG,
	  BAD_OPCODE },
	{ "write same 10 read-only", { WRITE_SAME, 0, 0, 0, 0, 8, 0, 0, 8, 0 },
	  .lun = LU_RO, PROTECTED },
	{ "write same 10 software write protect",
	  { WRITE_SAME, 0, 0, 0, 0, 8, 0, 0, 8, 0 }, .lun = LU_SWP,
	  SW_PROTECTED },
	{ "write same 16 ndob", { WRITE_SAME_16, 0x09, 0, 0, 0, 0, 0, 0, 0, 0,
				  0, 0, 0, 0x10 }, .lun = LU_THIN,
	  GOOD_NONE(WRITE_SAME),
	  .flags = ISPT_SCSI_F_UNMAP | ISPT_SCSI_F_NDOB, .nr = 0x10 },
	{ "write same 16 anchor", { WRITE_SAME_16, 0x10, 0, 0, 0, 0, 0, 0, 0,
				    0, 0, 0, 0, 1 }, .lun = LU_THIN,
	  BAD_FIELD(1, 4) },
	{ "write same 16 wrprotect", { WRITE_SAME_16, 0x20, 0, 0, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 1 }, .lun = LU_THIN,
	  BAD_FIELD(1, 7) },
	{ "write same 16 past the end", { WRITE_SAME_16, 0, 0, 0, 0, 0, 0, 0,
					  0xff, 0xff, 0, 0, 0, 2 },
	  .lun = LU_THIN, OOB },
	{ "write same 16 lba 2^64-1", { WRITE_SAME_16, 0, 0xff, 0xff, 0xff,
					0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0,
					1 }, .lun = LU_THIN, OOB },

	/* VERIFY */
	{ "verify10 bytchk 0: no data",
	  { VERIFY, 0, 0, 0, 0, 0x10, 0, 0, 4, 0 }, .lun = LU_SMALL,
	  GOOD_NONE(VERIFY), .lba = 0x10, .nr = 4 },
	{ "verify10 bytchk 1 dpo", { VERIFY, 0x12, 0, 0, 0, 0x10, 0, 0, 4, 0 },
	  .lun = LU_SMALL, GOOD_OUT(VERIFY), .flags = ISPT_SCSI_F_DPO,
	  .lba = 0x10, .nr = 4, .data_len = 2048, .bytchk = 1 },
	{ "verify10 bytchk 3: one block", { VERIFY, 0x06, 0, 0, 0, 0, 0, 0, 4,
					     0 }, .lun = LU_SMALL,
	  GOOD_OUT(VERIFY), .nr = 4, .data_len = 512, .bytchk = 3 },
	{ "verify10 bytchk 3, zero blocks: no data",
	  { VERIFY, 0x06, 0, 0, 0, 1, 0, 0, 0, 0 }, .lun = LU_SMALL,
	  GOOD_NONE(VERIFY), .lba = 1, .bytchk = 3 },
	{ "verify10 bytchk 2", { VERIFY, 0x04, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 2) },
	{ "verify10 vrprotect", { VERIFY, 0x20, 0, 0, 0, 0, 0, 0, 1, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 7) },
	{ "verify10 zero blocks past the end",
	  { VERIFY, 0, 0, 1, 0, 1, 0, 0, 0, 0 }, .lun = LU_SMALL, OOB },
	{ "verify10 over max transfer",
	  { VERIFY, 0x02, 0, 0, 0, 0, 0, 0x08, 0x01, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(7, -1) },
	{ "verify12", { VERIFY_12, 0x02, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0 },
	  .lun = LU_SMALL, GOOD_OUT(VERIFY), .lba = 2, .nr = 3,
	  .data_len = 1536, .bytchk = 1 },
	{ "verify16 lba 2^32", { VERIFY_16, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
				 1 }, .lun = LU_BIG, GOOD_NONE(VERIFY),
	  .lba = 1ULL << 32, .nr = 1 },
	{ "verify16 read-only is fine",
	  { VERIFY_16, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  .lun = LU_RO, GOOD_OUT(VERIFY), .nr = 1, .data_len = 512,
	  .bytchk = 1 },

	/* WRITE AND VERIFY */
	{ "write and verify 10 bytchk 1",
	  { WRITE_VERIFY, 0x12, 0, 0, 0, 5, 0, 0, 2, 0 }, .lun = LU_SMALL,
	  GOOD_OUT(WRITE_VERIFY), .flags = ISPT_SCSI_F_DPO, .lba = 5,
	  .nr = 2, .data_len = 1024, .bytchk = 1 },
	{ "write and verify 10 bytchk 0",
	  { WRITE_VERIFY, 0, 0, 0, 0, 5, 0, 0, 2, 0 }, .lun = LU_SMALL,
	  GOOD_OUT(WRITE_VERIFY), .lba = 5, .nr = 2, .data_len = 1024 },
	{ "write and verify 10 zero blocks", { WRITE_VERIFY, 0x02 },
	  .lun = LU_SMALL, GOOD_OUT(WRITE_VERIFY), .bytchk = 1 },
	{ "write and verify 10 bytchk 3",
	  { WRITE_VERIFY, 0x06, 0, 0, 0, 5, 0, 0, 2, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(1, 2) },
	{ "write and verify 12 wrprotect",
	  { WRITE_VERIFY_12, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 7) },
	{ "write and verify 16 read-only",
	  { WRITE_VERIFY_16, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  .lun = LU_RO, PROTECTED },
	{ "write and verify 16 beyond the end",
	  { WRITE_VERIFY_16, 0x02, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 2 },
	  .lun = LU_SMALL, OOB },

	/* COMPARE AND WRITE, ORWRITE, WRITE ATOMIC */
	{ "compare and write", { COMPARE_AND_WRITE, 0x18, 0, 0, 0, 0, 0, 0, 0,
				 9, 0, 0, 0, 2 }, .lun = LU_SMALL,
	  GOOD_OUT(COMPARE_WRITE),
	  .flags = ISPT_SCSI_F_DPO | ISPT_SCSI_F_FUA, .lba = 9, .nr = 2,
	  .data_len = 2048 },
	{ "compare and write zero blocks",
	  { COMPARE_AND_WRITE, 0, 0, 0, 0, 0, 0, 0, 0, 9 }, .lun = LU_SMALL,
	  GOOD_NONE(COMPARE_WRITE), .lba = 9 },
	{ "compare and write over the maximum",
	  { COMPARE_AND_WRITE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17 },
	  .lun = LU_SMALL, BAD_FIELD(13, -1) },
	{ "compare and write past the end",
	  { COMPARE_AND_WRITE, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 2 },
	  .lun = LU_SMALL, OOB },
	{ "compare and write wrprotect",
	  { COMPARE_AND_WRITE, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  .lun = LU_SMALL, BAD_FIELD(1, 7) },
	{ "compare and write read-only",
	  { COMPARE_AND_WRITE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  .lun = LU_RO, PROTECTED },
	{ "compare and write on a LU without it",
	  { COMPARE_AND_WRITE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  .lun = LU_BIG, BAD_OPCODE },
	{ "orwrite", { ISPT_OP_ORWRITE_16, 0x08, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0,
		       0, 4 }, .lun = LU_SMALL, GOOD_OUT(ORWRITE),
	  .flags = ISPT_SCSI_F_FUA, .lba = 3, .nr = 4, .data_len = 2048 },
	{ "orwrite orprotect", { ISPT_OP_ORWRITE_16, 0xe0, 0, 0, 0, 0, 0, 0,
				 0, 0, 0, 0, 0, 1 }, .lun = LU_SMALL,
	  BAD_FIELD(1, 7) },
	{ "orwrite software write protect",
	  { ISPT_OP_ORWRITE_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  .lun = LU_SWP, SW_PROTECTED },
	{ "write atomic", { ISPT_OP_WRITE_ATOMIC_16, 0x10, 0, 0, 0, 0, 0, 0,
			    0, 7, 0, 0, 0x01, 0x00 }, .lun = LU_SMALL,
	  GOOD_OUT(WRITE_ATOMIC), .flags = ISPT_SCSI_F_DPO, .lba = 7,
	  .nr = 256, .data_len = 256 * 512 },
	{ "write atomic over the maximum",
	  { ISPT_OP_WRITE_ATOMIC_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	    0x01 }, .lun = LU_SMALL, BAD_FIELD(12, -1) },
	{ "write atomic past the end",
	  { ISPT_OP_WRITE_ATOMIC_16, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0,
	    2 }, .lun = LU_SMALL, OOB },
	{ "write atomic on a LU without it",
	  { ISPT_OP_WRITE_ATOMIC_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  .lun = LU_BIG, BAD_OPCODE },

	/* PRE-FETCH, GET LBA STATUS, START STOP UNIT, PREVENT ALLOW */
	{ "prefetch10 immed", { PRE_FETCH, 0x02, 0, 0, 0, 1, 0, 0, 8, 0 },
	  .lun = LU_SMALL, GOOD_NONE(PREFETCH), .flags = ISPT_SCSI_F_IMMED,
	  .lba = 1, .nr = 8 },
	{ "prefetch10 past the end", { PRE_FETCH, 0, 0, 0, 0xff, 0xff, 0, 0,
				       2, 0 }, .lun = LU_SMALL, OOB },
	{ "prefetch16 zero blocks at capacity",
	  { ISPT_OP_PRE_FETCH_16, 0, 0, 0, 0, 0, 0, 1, 0, 0 },
	  .lun = LU_SMALL, OOB },
	{ "get lba status", { SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0, 0,
			      0, 0, 0, 0, 0, 0x10, 0, 0, 0, 24 },
	  .lun = LU_SMALL, GOOD_IN(GET_LBA_STATUS), .sa = SAI_GET_LBA_STATUS,
	  .lba = 0x10, .alloc_len = 24, .data_len = 24 },
	{ "get lba status at capacity",
	  { SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0, 0, 0, 0, 0, 1, 0, 0,
	    0, 0, 0, 24 }, .lun = LU_SMALL, OOB },
	{ "start stop unit: stop", { START_STOP, 1, 0, 0, 0, 0 },
	  .lun = LU_SMALL, GOOD_NONE(START_STOP),
	  .flags = ISPT_SCSI_F_IMMED },
	{ "start stop unit: start, load", { START_STOP, 0, 0, 0, 0x03, 0 },
	  .lun = LU_SMALL, GOOD_NONE(START_STOP),
	  .flags = ISPT_SCSI_F_START | ISPT_SCSI_F_LOEJ },
	{ "start stop unit: standby", { START_STOP, 0, 0, 0, 0x30, 0 },
	  .lun = LU_SMALL, GOOD_NONE(START_STOP) },
	{ "start stop unit: power condition 4",
	  { START_STOP, 0, 0, 0, 0x40, 0 }, .lun = LU_SMALL, BAD_FIELD(4, 7) },
	{ "prevent", { ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 1, 0 }, .lun = LU_SMALL,
	  GOOD_NONE(PREVENT_ALLOW) },
	{ "prevent 2 is obsolete", { ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 2, 0 },
	  .lun = LU_SMALL, BAD_FIELD(4, 1) },
	{ "read defect data 10", { READ_DEFECT_DATA, 0, 0x1d, 0, 0, 0, 0, 0,
				   32, 0 }, .lun = LU_SMALL,
	  GOOD_IN(READ_DEFECT), .alloc_len = 32, .data_len = 32 },
	{ "read defect data 12", { ISPT_OP_READ_DEFECT_DATA_12, 0x08, 0, 0, 0,
				   0, 0, 0, 0, 64, 0, 0 }, .lun = LU_SMALL,
	  GOOD_IN(READ_DEFECT), .alloc_len = 64, .data_len = 64 },

	/* MODE SELECT */
	{ "mode select 6", { MODE_SELECT, 0x10, 0, 0, 24, 0 }, .lun = LU_SMALL,
	  GOOD_OUT(MODE_SELECT), .data_len = 24 },
	/* No page is saveable, so SP=1 is an invalid field (SPC-4 6.11) */
	{ "mode select 6 sp", { MODE_SELECT, 0x11, 0, 0, 24, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 0) },
	{ "mode select 6 sp, no list", { MODE_SELECT, 0x01, 0, 0, 0, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 0) },
	{ "mode select 10 sp", { MODE_SELECT_10, 0x11, 0, 0, 0, 0, 0, 0, 28, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 0) },
	{ "mode select 10 longest list", { MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0,
					   0x02, 0x00, 0 },
	  .lun = LU_SMALL, GOOD_OUT(MODE_SELECT),
	  .flags = ISPT_SCSI_F_MODE10, .data_len = 512 },
	{ "mode select 10 list too long", { MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0,
					    0x02, 0x01, 0 },
	  .lun = LU_SMALL, SENSE(ILLEGAL_REQUEST, ISPT_ASC_PARAM_LIST_LENGTH) },
	{ "mode select 10", { MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0, 0, 28, 0 },
	  .lun = LU_SMALL, GOOD_OUT(MODE_SELECT),
	  .flags = ISPT_SCSI_F_MODE10, .data_len = 28 },
	{ "mode select 6 empty", { MODE_SELECT }, .lun = LU_SMALL,
	  GOOD_NONE(MODE_SELECT) },
	{ "mode select 6 without pf", { MODE_SELECT, 0, 0, 0, 24, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 4) },
	{ "mode select 6 rtd", { MODE_SELECT, 0x12, 0, 0, 0, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 1) },

	/* Reservations */
	{ "pr in read keys", { PERSISTENT_RESERVE_IN, 0, 0, 0, 0, 0, 0, 0x10,
			       0, 0 }, .lun = LU_SMALL, GOOD_IN(PR_IN),
	  .alloc_len = 0x1000, .data_len = 0x1000 },
	{ "pr in read full status", { PERSISTENT_RESERVE_IN, 3, 0, 0, 0, 0, 0,
				      0, 0xff, 0 }, .lun = LU_SMALL,
	  GOOD_IN(PR_IN), .sa = 3, .alloc_len = 0xff, .data_len = 0xff },
	{ "pr in service action 4", { PERSISTENT_RESERVE_IN, 4, 0, 0, 0, 0, 0,
				      0, 0xff, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(1, 4) },
	{ "pr out register", { PERSISTENT_RESERVE_OUT, 0, 0, 0, 0, 0, 0, 0,
			       24, 0 }, .lun = LU_SMALL, GOOD_OUT(PR_OUT),
	  .data_len = 24 },
	{ "pr out register and move", { PERSISTENT_RESERVE_OUT, 7, 0x01, 0, 0,
					0, 0, 0, 88, 0 }, .lun = LU_SMALL,
	  GOOD_OUT(PR_OUT), .sa = 7, .data_len = 88 },
	{ "pr out parameter list too long",
	  { PERSISTENT_RESERVE_OUT, 1, 0, 0, 0, 0, 0, 0x01, 0x25, 0 },
	  .lun = LU_SMALL, PARAM_LEN },
	{ "pr out service action 8", { PERSISTENT_RESERVE_OUT, 8, 0, 0, 0, 0,
				       0, 0, 24, 0 }, .lun = LU_SMALL,
	  BAD_FIELD(1, 4) },
	{ "reserve 6", { RESERVE }, .lun = LU_SMALL, GOOD_NONE(RESERVE) },
	{ "reserve 6 extent", { RESERVE, 0x01 }, .lun = LU_SMALL,
	  BAD_FIELD(1, 4) },
	{ "release 10 third party", { RELEASE_10, 0x10 }, .lun = LU_SMALL,
	  BAD_FIELD(1, 4) },
	{ "release 10 longid is ignored", { RELEASE_10, 0x02 },
	  .lun = LU_SMALL, GOOD_NONE(RELEASE) },

	/* EXTENDED COPY, RECEIVE COPY RESULTS */
	{ "extended copy", { EXTENDED_COPY, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			     0, 76 }, .lun = LU_SMALL, GOOD_OUT(XCOPY),
	  .data_len = 76 },
	{ "extended copy without a list", { EXTENDED_COPY }, .lun = LU_SMALL,
	  GOOD_NONE(XCOPY) },
	{ "extended copy lid4", { EXTENDED_COPY, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				  0, 0, 76 }, .lun = LU_SMALL,
	  BAD_FIELD(1, 4) },
	{ "extended copy list too long",
	  { EXTENDED_COPY, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 1 },
	  .lun = LU_SMALL, PARAM_LEN },
	{ "receive copy results status", { RECEIVE_COPY_RESULTS, 0, 7, 0, 0,
					   0, 0, 0, 0, 0, 0, 0, 4, 0 },
	  .lun = LU_SMALL, GOOD_IN(RECEIVE_COPY), .alloc_len = 1024,
	  .data_len = 1024 },
	{ "receive copy results operating parameters",
	  { RECEIVE_COPY_RESULTS, 3, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0 },
	  .lun = LU_SMALL, GOOD_IN(RECEIVE_COPY), .sa = 3, .alloc_len = 1024,
	  .data_len = 1024 },
	{ "receive copy results receive data",
	  { RECEIVE_COPY_RESULTS, 1, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0 },
	  .lun = LU_SMALL, GOOD_IN(RECEIVE_COPY), .sa = 1, .alloc_len = 1024,
	  .data_len = 1024 },
	{ "receive copy results failed segment details",
	  { RECEIVE_COPY_RESULTS, 4, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0 },
	  .lun = LU_SMALL, GOOD_IN(RECEIVE_COPY), .sa = 4, .alloc_len = 1024,
	  .data_len = 1024 },
	{ "receive copy results reserved service action",
	  { RECEIVE_COPY_RESULTS, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 4) },
	{ "receive copy results lid4 service action",
	  { RECEIVE_COPY_RESULTS, 5, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 4) },

	/* SANITIZE */
	{ "sanitize overwrite, one block of pattern",
	  { ISPT_OP_SANITIZE, 0x01, 0, 0, 0, 0, 0, 0x02, 0x04, 0 },
	  .lun = LU_SMALL, GOOD_OUT(SANITIZE), .sa = 1, .data_len = 516 },
	{ "sanitize overwrite immed ause, 1 byte of pattern",
	  { ISPT_OP_SANITIZE, 0xa1, 0, 0, 0, 0, 0, 0, 5, 0 },
	  .lun = LU_SMALL, GOOD_OUT(SANITIZE), .sa = 1, .data_len = 5,
	  .flags = ISPT_SCSI_F_IMMED | ISPT_SCSI_F_AUSE },
	{ "sanitize overwrite list of 4 bytes holds no pattern",
	  { ISPT_OP_SANITIZE, 0x01, 0, 0, 0, 0, 0, 0, 4, 0 },
	  .lun = LU_SMALL, BAD_FIELD(7, -1) },
	{ "sanitize overwrite no list",
	  { ISPT_OP_SANITIZE, 0x01 }, .lun = LU_SMALL, BAD_FIELD(7, -1) },
	{ "sanitize overwrite pattern longer than a block",
	  { ISPT_OP_SANITIZE, 0x01, 0, 0, 0, 0, 0, 0x02, 0x05, 0 },
	  .lun = LU_SMALL, BAD_FIELD(7, -1) },
	{ "sanitize overwrite 4K block",
	  { ISPT_OP_SANITIZE, 0x01, 0, 0, 0, 0, 0, 0x10, 0x04, 0 },
	  .lun = LU_BIG, GOOD_OUT(SANITIZE), .sa = 1, .data_len = 4100 },
	{ "sanitize overwrite reserved bit",
	  { ISPT_OP_SANITIZE, 0x41, 0, 0, 0, 0, 0, 0x02, 0x04, 0 },
	  .lun = LU_SMALL, BAD_FIELD(1, 6) },
	{ "sanitize overwrite reserved byte 2",
	  { ISPT_OP_SANITIZE, 0x01, 2, 0, 0, 0, 0, 0x02, 0x04, 0 },
	  .lun = LU_SMALL, BAD_FIELD(2, -1) },
	{ "sanitize overwrite reserved byte 6",
	  { ISPT_OP_SANITIZE, 0x01, 0, 0, 0, 0, 6, 0x02, 0x04, 0 },
	  .lun = LU_SMALL, BAD_FIELD(6, -1) },
	{ "sanitize overwrite read-only",
	  { ISPT_OP_SANITIZE, 0x01, 0, 0, 0, 0, 0, 0x02, 0x04, 0 },
	  .lun = LU_RO, PROTECTED },
	{ "sanitize overwrite software write protect",
	  { ISPT_OP_SANITIZE, 0x01, 0, 0, 0, 0, 0, 0x02, 0x04, 0 },
	  .lun = LU_SWP, SW_PROTECTED },
	{ "sanitize overwrite naca",
	  { ISPT_OP_SANITIZE, 0x01, 0, 0, 0, 0, 0, 0x02, 0x04, 0x04 },
	  .lun = LU_SMALL, BAD_FIELD(9, 2) },
	{ "sanitize exit failure mode",
	  { ISPT_OP_SANITIZE, 0x3f }, .lun = LU_SMALL,
	  GOOD_NONE(SANITIZE), .sa = 0x1f, .flags = ISPT_SCSI_F_AUSE },
	{ "sanitize exit failure mode on a read-only LU",
	  { ISPT_OP_SANITIZE, 0x1f }, .lun = LU_RO,
	  GOOD_NONE(SANITIZE), .sa = 0x1f },
	{ "sanitize exit failure mode with a list",
	  { ISPT_OP_SANITIZE, 0x1f, 0, 0, 0, 0, 0, 0, 8, 0 },
	  .lun = LU_SMALL, BAD_FIELD(7, -1) },
	{ "sanitize exit failure mode reserved byte 3",
	  { ISPT_OP_SANITIZE, 0x1f, 0, 3 }, .lun = LU_SMALL,
	  BAD_FIELD(3, -1) },

	/* Write protection by MODE SELECT */
	{ "write10 software write protect",
	  { WRITE_10, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, .lun = LU_SWP,
	  SW_PROTECTED },
	{ "read10 software write protect is fine",
	  { READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, .lun = LU_SWP, GOOD_RD,
	  .nr = 1, .data_len = 512 },

	/* Unsupported and malformed */
	{ "format unit", { FORMAT_UNIT }, .lun = LU_SMALL, BAD_OPCODE },
	{ "sanitize block erase not offered", { ISPT_OP_SANITIZE, 0x02 },
	  .lun = LU_THIN, BAD_FIELD(1, 4) },
	{ "sanitize crypto erase not offered", { ISPT_OP_SANITIZE, 0x03 },
	  .lun = LU_SMALL, BAD_FIELD(1, 4) },
	{ "sanitize service action 0", { ISPT_OP_SANITIZE },
	  .lun = LU_SMALL, BAD_FIELD(1, 4) },
	{ "variable length cdb", { VARIABLE_LENGTH_CMD }, .lun = LU_SMALL,
	  BAD_OPCODE },
	{ "vendor specific opcode", { 0xff }, .lun = LU_SMALL, BAD_OPCODE },
	{ "unsupported opcode, no logical unit", { FORMAT_UNIT },
	  .lun = NO_LU, NO_LUN },
	{ "empty cdb", { READ_10 }, .cdb_len = 0xff, .lun = LU_SMALL,
	  SHORT_CDB },
};

static void decode_case_desc(const struct decode_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(decode, decode_cases, decode_case_desc);

static void expect_good(struct kunit *test, const struct decode_case *t,
			const struct ispt_scsi_cmd *cmd)
{
	KUNIT_EXPECT_EQ(test, cmd->opcode, t->cdb[0]);
	KUNIT_EXPECT_EQ(test, cmd->handler, t->handler);
	KUNIT_EXPECT_EQ(test, cmd->dir, t->dir);
	KUNIT_EXPECT_EQ(test, cmd->service_action, t->sa);
	/* The flags decode copies from the opcode table are not ours here */
	KUNIT_EXPECT_EQ(test, cmd->flags & ~(ISPT_SCSI_F_SPC2_OK |
					     ISPT_SCSI_F_MEDIUM |
					     ISPT_SCSI_F_IN_SANITIZE), t->flags);
	KUNIT_EXPECT_EQ(test, cmd->lba, t->lba);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, t->nr);
	KUNIT_EXPECT_EQ(test, cmd->data_len, t->data_len);
	KUNIT_EXPECT_EQ(test, cmd->alloc_len, t->alloc_len);
	KUNIT_EXPECT_FALSE(test, ispt_sense_is_error(&cmd->sense));

	switch (cmd->handler) {
	case ISPT_SCSI_DO_INQUIRY:
		KUNIT_EXPECT_EQ(test, cmd->inquiry.page, t->page);
		break;
	case ISPT_SCSI_DO_MODE_SENSE:
		KUNIT_EXPECT_EQ(test, cmd->mode.page, t->page);
		KUNIT_EXPECT_EQ(test, cmd->mode.subpage, t->subpage);
		KUNIT_EXPECT_EQ(test, cmd->mode.pc, t->pc);
		break;
	case ISPT_SCSI_DO_REPORT_LUNS:
		KUNIT_EXPECT_EQ(test, cmd->report_luns.select, t->select);
		break;
	case ISPT_SCSI_DO_REPORT_OPCODES:
		KUNIT_EXPECT_EQ(test, cmd->rsoc.options, t->options);
		KUNIT_EXPECT_EQ(test, cmd->rsoc.opcode, t->req_op);
		KUNIT_EXPECT_EQ(test, cmd->rsoc.sa, t->req_sa);
		break;
	case ISPT_SCSI_DO_VERIFY:
	case ISPT_SCSI_DO_WRITE_VERIFY:
		KUNIT_EXPECT_EQ(test, cmd->verify.bytchk, t->bytchk);
		break;
	default:
		break;
	}
}

static void expect_sense(struct kunit *test, const struct decode_case *t,
			 const struct ispt_sense *s)
{
	KUNIT_EXPECT_EQ(test, s->key, t->key);
	KUNIT_EXPECT_EQ(test, s->asc, t->asc >> 8);
	KUNIT_EXPECT_EQ(test, s->ascq, t->asc & 0xff);
	KUNIT_EXPECT_FALSE(test, s->flags & ISPT_SENSE_INFO);
	if (t->field < 0) {
		KUNIT_EXPECT_FALSE(test, s->flags & ISPT_SENSE_SKSV);
		return;
	}
	KUNIT_EXPECT_TRUE(test, s->flags & ISPT_SENSE_SKSV);
	KUNIT_EXPECT_TRUE(test, s->flags & ISPT_SENSE_CD);
	KUNIT_EXPECT_EQ(test, s->field, t->field);
	if (t->bit < 0) {
		KUNIT_EXPECT_FALSE(test, s->flags & ISPT_SENSE_BPV);
	} else {
		KUNIT_EXPECT_TRUE(test, s->flags & ISPT_SENSE_BPV);
		KUNIT_EXPECT_EQ(test, s->bit, t->bit);
	}
}

static void ispt_scsi_decode_test(struct kunit *test)
{
	const struct decode_case *t = test->param_value;
	unsigned int len = t->cdb_len == 0xff ? 0 :
			   t->cdb_len ? t->cdb_len : sizeof(t->cdb);
	struct ispt_scsi_cmd cmd;
	enum sam_status status;

	/* Garbage first: decode must not depend on what cmd held before. */
	memset(&cmd, 0xa5, sizeof(cmd));
	status = ispt_scsi_decode(&cmd, t->cdb, len, test_lun(t->lun));
	KUNIT_ASSERT_EQ(test, status, t->status);
	if (status == SAM_STAT_GOOD)
		expect_good(test, t, &cmd);
	else
		expect_sense(test, t, &cmd.sense);
}

/* ---- Sense data ------------------------------------------------------ */

struct sense_case {
	const char		*name;
	struct ispt_sense	sense;
	bool			desc;
	u8			len;
	u8			want[ISPT_SENSE_MAX_LEN];
};

static const struct sense_case sense_cases[] = {
	{ "fixed invalid opcode", { .key = ILLEGAL_REQUEST, .asc = 0x20 },
	  false, 18,
	  { 0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0 } },
	{ "fixed invalid field in cdb, byte 7",
	  { .key = ILLEGAL_REQUEST, .asc = 0x24, .field = 7,
	    .flags = ISPT_SENSE_SKSV | ISPT_SENSE_CD }, false, 18,
	  { 0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0, 0,
	    0xc0, 0x00, 0x07 } },
	{ "fixed invalid field in cdb, byte 1 bit 7",
	  { .key = ILLEGAL_REQUEST, .asc = 0x24, .field = 1, .bit = 7,
	    .flags = ISPT_SENSE_SKSV | ISPT_SENSE_CD | ISPT_SENSE_BPV },
	  false, 18,
	  { 0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0, 0,
	    0xcf, 0x00, 0x01 } },
	{ "fixed invalid field in parameter list, byte 0x1234 bit 3",
	  { .key = ILLEGAL_REQUEST, .asc = 0x26, .field = 0x1234, .bit = 3,
	    .flags = ISPT_SENSE_SKSV | ISPT_SENSE_BPV }, false, 18,
	  { 0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x26, 0, 0,
	    0x8b, 0x12, 0x34 } },
	{ "fixed read error with lba",
	  { .key = MEDIUM_ERROR, .asc = 0x11, .info = 0x12345678,
	    .flags = ISPT_SENSE_INFO }, false, 18,
	  { 0xf0, 0, 0x03, 0x12, 0x34, 0x56, 0x78, 10, 0, 0, 0, 0, 0x11, 0,
	    0, 0, 0, 0 } },
	{ "fixed 64-bit lba is not valid",
	  { .key = MEDIUM_ERROR, .asc = 0x0c, .info = 0x100000000ULL,
	    .flags = ISPT_SENSE_INFO }, false, 18,
	  { 0x70, 0, 0x03, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x0c, 0, 0, 0, 0, 0 } },
	{ "fixed capacity data changed",
	  { .key = UNIT_ATTENTION, .asc = 0x2a, .ascq = 0x09 }, false, 18,
	  { 0x70, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x2a, 0x09, 0, 0, 0,
	    0 } },
	{ "desc invalid opcode", { .key = ILLEGAL_REQUEST, .asc = 0x20 },
	  true, 8, { 0x72, 0x05, 0x20, 0, 0, 0, 0, 0 } },
	{ "desc luns changed",
	  { .key = UNIT_ATTENTION, .asc = 0x3f, .ascq = 0x0e }, true, 8,
	  { 0x72, 0x06, 0x3f, 0x0e, 0, 0, 0, 0 } },
	{ "desc invalid field in cdb, byte 1 bit 7",
	  { .key = ILLEGAL_REQUEST, .asc = 0x24, .field = 1, .bit = 7,
	    .flags = ISPT_SENSE_SKSV | ISPT_SENSE_CD | ISPT_SENSE_BPV },
	  true, 16,
	  { 0x72, 0x05, 0x24, 0, 0, 0, 0, 8,
	    0x02, 0x06, 0, 0, 0xcf, 0x00, 0x01, 0 } },
	{ "desc read error with 64-bit lba",
	  { .key = MEDIUM_ERROR, .asc = 0x11, .info = 0x123456789aULL,
	    .flags = ISPT_SENSE_INFO }, true, 20,
	  { 0x72, 0x03, 0x11, 0, 0, 0, 0, 12,
	    0x00, 0x0a, 0x80, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9a } },
	{ "desc information and field pointer",
	  { .key = ILLEGAL_REQUEST, .asc = 0x26, .info = 5, .field = 0x20,
	    .flags = ISPT_SENSE_INFO | ISPT_SENSE_SKSV }, true, 28,
	  { 0x72, 0x05, 0x26, 0, 0, 0, 0, 20,
	    0x00, 0x0a, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 5,
	    0x02, 0x06, 0, 0, 0x80, 0x00, 0x20, 0 } },
};

static void sense_case_desc(const struct sense_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sense, sense_cases, sense_case_desc);

static void ispt_sense_build_test(struct kunit *test)
{
	const struct sense_case *t = test->param_value;
	u8 buf[ISPT_SENSE_MAX_LEN + 4];
	u32 n;

	memset(buf, 0xaa, sizeof(buf));
	n = ispt_sense_build(&t->sense, t->desc, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, n, (u32)t->len);
	expect_bytes(test, buf, t->want, t->len);
	KUNIT_EXPECT_EQ(test, buf[t->len], 0xaa);

	/* Cut short: the same prefix, the same full length, nothing more. */
	memset(buf, 0xaa, sizeof(buf));
	n = ispt_sense_build(&t->sense, t->desc, buf, 7);
	KUNIT_EXPECT_EQ(test, n, (u32)t->len);
	expect_bytes(test, buf, t->want, 7);
	KUNIT_EXPECT_EQ(test, buf[7], 0xaa);

	KUNIT_EXPECT_EQ(test, ispt_sense_build(&t->sense, t->desc, NULL, 0),
			(u32)t->len);
}

/* The named constructors carry the codes SPC-4 gives them. */
static void ispt_sense_constructors_test(struct kunit *test)
{
	const struct {
		struct ispt_sense s;
		u8 key, asc, ascq;
	} c[] = {
		{ ispt_sense_invalid_opcode(), ILLEGAL_REQUEST, 0x20, 0x00 },
		{ ispt_sense_invalid_cdb(), ILLEGAL_REQUEST, 0x24, 0x00 },
		{ ispt_sense_lba_out_of_range(), ILLEGAL_REQUEST, 0x21, 0x00 },
		{ ispt_sense_param_list_length(), ILLEGAL_REQUEST, 0x1a, 0x00 },
		{ ispt_sense_lun_not_supported(), ILLEGAL_REQUEST, 0x25, 0x00 },
		{ ispt_sense_write_protected(), DATA_PROTECT, 0x27, 0x00 },
		{ ispt_sense_not_ready(), NOT_READY, 0x04, 0x00 },
		{ ispt_sense_ua_reset(), UNIT_ATTENTION, 0x29, 0x00 },
		{ ispt_sense_ua_capacity_changed(), UNIT_ATTENTION, 0x2a, 0x09 },
		{ ispt_sense_ua_luns_changed(), UNIT_ATTENTION, 0x3f, 0x0e },
		{ ispt_sense_internal_failure(), HARDWARE_ERROR, 0x44, 0x00 },
		{ ispt_sense_aborted(), ABORTED_COMMAND, 0x00, 0x00 },
		{ ispt_sense_aborted_crc(), ABORTED_COMMAND, 0x47, 0x05 },
		{ ispt_sense_none(), NO_SENSE, 0x00, 0x00 },
	};
	struct ispt_sense s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		KUNIT_EXPECT_EQ_MSG(test, c[i].s.key, c[i].key, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, c[i].s.asc, c[i].asc, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, c[i].s.ascq, c[i].ascq, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, c[i].s.flags, 0, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ispt_sense_is_error(&c[i].s),
				    c[i].key != NO_SENSE, "case %u", i);
	}

	s = ispt_sense_read_error(0xabc);
	KUNIT_EXPECT_EQ(test, s.key, MEDIUM_ERROR);
	KUNIT_EXPECT_EQ(test, s.asc, 0x11);
	KUNIT_EXPECT_EQ(test, s.flags, ISPT_SENSE_INFO);
	KUNIT_EXPECT_EQ(test, s.info, 0xabcULL);
	s = ispt_sense_write_error(0xdef);
	KUNIT_EXPECT_EQ(test, s.key, MEDIUM_ERROR);
	KUNIT_EXPECT_EQ(test, s.asc, 0x0c);
	KUNIT_EXPECT_EQ(test, s.info, 0xdefULL);

	s = ispt_sense_invalid_param_field(9, 6);
	KUNIT_EXPECT_EQ(test, s.asc, 0x26);
	KUNIT_EXPECT_EQ(test, s.flags, ISPT_SENSE_SKSV | ISPT_SENSE_BPV);
	KUNIT_EXPECT_EQ(test, s.field, 9);
	KUNIT_EXPECT_EQ(test, s.bit, 6);
	s = ispt_sense_invalid_cdb_field(300, -1);
	KUNIT_EXPECT_EQ(test, s.flags, ISPT_SENSE_SKSV | ISPT_SENSE_CD);
	KUNIT_EXPECT_EQ(test, s.field, 300);
}

/* ---- LU description ------------------------------------------------- */

static void ispt_scsi_lun_desc_valid_test(struct kunit *test)
{
	struct ispt_scsi_lun_desc d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(test_luns); i++)
		KUNIT_EXPECT_TRUE(test, ispt_scsi_lun_desc_valid(&test_luns[i]));

#define EXPECT_INVALID(field, value) do {				\
		d = test_luns[LU_SMALL];				\
		d.field = (value);					\
		KUNIT_EXPECT_FALSE_MSG(test, ispt_scsi_lun_desc_valid(&d), \
				       #field " = " #value);		\
	} while (0)

	EXPECT_INVALID(nr_blocks, 0);
	EXPECT_INVALID(block_size, 0);
	EXPECT_INVALID(block_size, 256);
	EXPECT_INVALID(block_size, 520);
	EXPECT_INVALID(block_size, 8192);
	EXPECT_INVALID(lun, ISPT_SCSI_MAX_LUN + 1);
	EXPECT_INVALID(phys_block_exp, 16);
	EXPECT_INVALID(lowest_aligned_lba, 0x4000);
	EXPECT_INVALID(unmap_alignment, 0x80000000);
#undef EXPECT_INVALID

	d = test_luns[LU_SMALL];
	d.block_size = 4096;
	d.lun = ISPT_SCSI_MAX_LUN;
	d.phys_block_exp = 15;
	d.lowest_aligned_lba = 0x3fff;
	KUNIT_EXPECT_TRUE(test, ispt_scsi_lun_desc_valid(&d));
}

/* ---- Unit attention exemption ---------------------------------------- */

static void ispt_scsi_ua_exempt_test(struct kunit *test)
{
	static const u8 exempt[] = { INQUIRY, REPORT_LUNS, REQUEST_SENSE };
	static const u8 not_exempt[] = {
		TEST_UNIT_READY, READ_10, WRITE_16, MODE_SENSE, READ_CAPACITY,
		SERVICE_ACTION_IN_16, MAINTENANCE_IN, FORMAT_UNIT,
		PERSISTENT_RESERVE_IN, MODE_SELECT, START_STOP,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(exempt); i++)
		KUNIT_EXPECT_TRUE(test, ispt_scsi_ua_exempt(&exempt[i], 1));
	for (i = 0; i < ARRAY_SIZE(not_exempt); i++)
		KUNIT_EXPECT_FALSE(test,
				   ispt_scsi_ua_exempt(&not_exempt[i], 1));
	KUNIT_EXPECT_FALSE(test, ispt_scsi_ua_exempt(exempt, 0));
}

/* ---- REPORT SUPPORTED OPERATION CODES --------------------------------- */

/*
 * A valid CDB for every command the opcode table has. The consistency
 * test below needs one per command, and checks that there is one.
 */
static const u8 valid_cdbs[][16] = {
	{ TEST_UNIT_READY },
	{ REQUEST_SENSE, 0, 0, 0, 18 },
	{ READ_6, 0, 0, 1, 1 },
	{ WRITE_6, 0, 0, 1, 1 },
	{ INQUIRY, 0, 0, 0, 96 },
	{ MODE_SELECT, 0x10, 0, 0, 24 },
	{ RESERVE },
	{ RELEASE },
	{ MODE_SENSE, 0, 0x3f, 0, 0xff },
	{ START_STOP, 0, 0, 0, 1 },
	{ ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 1 },
	{ READ_CAPACITY },
	{ READ_10, 0, 0, 0, 0, 1, 0, 0, 1 },
	{ WRITE_10, 0, 0, 0, 0, 1, 0, 0, 1 },
	{ WRITE_VERIFY, 0x02, 0, 0, 0, 1, 0, 0, 1 },
	{ VERIFY, 0x02, 0, 0, 0, 1, 0, 0, 1 },
	{ PRE_FETCH, 0, 0, 0, 0, 1, 0, 0, 1 },
	{ SYNCHRONIZE_CACHE, 0, 0, 0, 0, 1, 0, 0, 1 },
	{ READ_DEFECT_DATA, 0, 0x18, 0, 0, 0, 0, 0, 32 },
	{ WRITE_SAME, 0, 0, 0, 0, 1, 0, 0, 1 },
	{ UNMAP, 0, 0, 0, 0, 0, 0, 0, 24 },
	{ MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0, 0, 28 },
	{ RESERVE_10 },
	{ RELEASE_10 },
	{ MODE_SENSE_10, 0, 0x3f, 0, 0, 0, 0, 0, 0xff },
	{ PERSISTENT_RESERVE_IN, ISPT_PR_IN_READ_KEYS, 0, 0, 0, 0, 0, 0, 64 },
	{ PERSISTENT_RESERVE_IN, ISPT_PR_IN_READ_RESERVATION, 0, 0, 0, 0, 0,
	  0, 64 },
	{ PERSISTENT_RESERVE_IN, ISPT_PR_IN_REPORT_CAPABILITIES, 0, 0, 0, 0,
	  0, 0, 64 },
	{ PERSISTENT_RESERVE_IN, ISPT_PR_IN_READ_FULL_STATUS, 0, 0, 0, 0, 0,
	  0, 64 },
	{ PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_REGISTER, 0, 0, 0, 0, 0, 0, 24 },
	{ PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_RESERVE, 1, 0, 0, 0, 0, 0, 24 },
	{ PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_RELEASE, 1, 0, 0, 0, 0, 0, 24 },
	{ PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_CLEAR, 0, 0, 0, 0, 0, 0, 24 },
	{ PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_PREEMPT, 1, 0, 0, 0, 0, 0, 24 },
	{ PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_PREEMPT_ABORT, 1, 0, 0, 0, 0, 0,
	  24 },
	{ PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_REGISTER_IGNORE, 0, 0, 0, 0, 0,
	  0, 24 },
	{ PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_REGISTER_MOVE, 1, 0, 0, 0, 0, 0,
	  64 },
	{ ISPT_OP_SANITIZE, ISPT_SANITIZE_OVERWRITE, 0, 0, 0, 0, 0, 0, 5 },
	{ ISPT_OP_SANITIZE, ISPT_SANITIZE_EXIT_FAILURE_MODE },
	{ EXTENDED_COPY, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 76 },
	{ RECEIVE_COPY_RESULTS, ISPT_RCR_COPY_STATUS, 1, 0, 0, 0, 0, 0, 0, 0,
	  0, 0, 4, 0 },
	{ RECEIVE_COPY_RESULTS, ISPT_RCR_OPERATING_PARAMS, 0, 0, 0, 0, 0, 0,
	  0, 0, 0, 0, 4, 0 },
	{ RECEIVE_COPY_RESULTS, ISPT_RCR_RECEIVE_DATA, 1, 0, 0, 0, 0, 0, 0, 0,
	  0, 0, 4, 0 },
	{ RECEIVE_COPY_RESULTS, ISPT_RCR_FAILED_SEGMENTS, 1, 0, 0, 0, 0, 0, 0,
	  0, 0, 0, 4, 0 },
	{ READ_16, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ COMPARE_AND_WRITE, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ WRITE_16, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ ISPT_OP_ORWRITE_16, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ WRITE_VERIFY_16, 0x02, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ VERIFY_16, 0x02, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ ISPT_OP_PRE_FETCH_16, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ SYNCHRONIZE_CACHE_16, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ WRITE_SAME_16, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ ISPT_OP_WRITE_ATOMIC_16, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 0, 0, 0, 0, 0, 0, 0,
	  0, 0, 0, 32 },
	{ SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0, 0, 0, 0, 0, 0, 0, 0,
	  0, 0, 0, 24 },
	{ REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 1, 0 },
	{ MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0, 0, 0, 0,
	  0, 0, 1, 0 },
	{ MAINTENANCE_IN, MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS, 0,
	  0, 0, 0, 0, 0, 0, 16 },
	{ READ_12, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ WRITE_12, 0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ WRITE_VERIFY_12, 0x02, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ VERIFY_12, 0x02, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ ISPT_OP_READ_DEFECT_DATA_12, 0x18, 0, 0, 0, 0, 0, 0, 0, 32 },
};

static u32 decode_and_report(struct kunit *test, const u8 *cdb, u8 *buf,
			     u32 len, const struct ispt_scsi_lun_desc *lun)
{
	struct ispt_scsi_cmd cmd;

	KUNIT_ASSERT_EQ(test, ispt_scsi_decode(&cmd, cdb, 12, lun),
			SAM_STAT_GOOD);
	KUNIT_ASSERT_EQ(test, cmd.handler, ISPT_SCSI_DO_REPORT_OPCODES);
	return ispt_scsi_report_opcodes(&cmd, lun, buf, len);
}

static bool has_sa(u8 opcode)
{
	return opcode == SERVICE_ACTION_IN_16 || opcode == MAINTENANCE_IN ||
	       opcode == PERSISTENT_RESERVE_IN ||
	       opcode == PERSISTENT_RESERVE_OUT || opcode == EXTENDED_COPY ||
	       opcode == RECEIVE_COPY_RESULTS || opcode == ISPT_OP_SANITIZE;
}

/* valid_cdbs that the live path executes, decoded against @lun */
static u32 nr_executed(struct kunit *test, const struct ispt_scsi_lun_desc *lun)
{
	struct ispt_scsi_cmd cmd;
	u32 i, n = 0;

	for (i = 0; i < ARRAY_SIZE(valid_cdbs); i++)
		if (ispt_scsi_decode(&cmd, valid_cdbs[i], 16, lun) ==
		    SAM_STAT_GOOD && ispt_scsi_handler_executed(cmd.handler))
			n++;
	return n;
}

static bool has_opcode(const u8 *data, u32 n, u8 opcode, u16 sa)
{
	u32 off;

	for (off = 4; off + 8 <= n; off += 8)
		if (data[off] == opcode &&
		    get_unaligned_be16(&data[off + 2]) == sa)
			return true;
	return false;
}

static void ispt_scsi_rsoc_all_test(struct kunit *test)
{
	static const u8 cdb[12] = {
		MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0, 0, 0, 0,
		0, 0, 0x10, 0,
	};
	u8 *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	u32 n, off, count = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = decode_and_report(test, cdb, buf, 4096, &test_luns[LU_THIN]);
	KUNIT_ASSERT_LE(test, n, 4096U);
	KUNIT_ASSERT_EQ(test, (n - 4) % 8, 0U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf), n - 4);

	/* Every descriptor names a command that decodes, as a whole CDB. */
	for (off = 4; off < n; off += 8, count++) {
		u8 opcode = buf[off];
		bool servactv = buf[off + 5] & 0x01;
		u16 len = get_unaligned_be16(&buf[off + 6]);

		KUNIT_EXPECT_EQ(test, buf[off + 1], 0);
		KUNIT_EXPECT_EQ(test, buf[off + 5] & 0x02, 0);	/* no CTDP */
		KUNIT_EXPECT_EQ(test, len, opcode < 0x20 ? 6 :
				      opcode < 0x60 ? 10 :
				      opcode >= 0xa0 ? 12 : 16);
		KUNIT_EXPECT_EQ(test, servactv, has_sa(opcode));
	}
	KUNIT_EXPECT_EQ(test, count, nr_executed(test, &test_luns[LU_THIN]));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, READ_10, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, UNMAP, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, SERVICE_ACTION_IN_16,
					   SAI_READ_CAPACITY_16));
	KUNIT_EXPECT_FALSE(test, has_opcode(buf, n, FORMAT_UNIT, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, MODE_SELECT, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, MODE_SELECT_10, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, ISPT_OP_ORWRITE_16, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, COMPARE_AND_WRITE, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, VERIFY_16, 0));
	/* Reservations run (prcmd.c) */
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, PERSISTENT_RESERVE_IN,
					   ISPT_PR_IN_READ_FULL_STATUS));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, PERSISTENT_RESERVE_OUT,
					   ISPT_PR_OUT_REGISTER_MOVE));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, RESERVE_10, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, RELEASE, 0));

	/* Without discard or write zeroes, UNMAP goes; WRITE SAME stays. */
	n = decode_and_report(test, cdb, buf, 4096, &test_luns[LU_SMALL]);
	KUNIT_EXPECT_EQ(test, n,
			4 + 8 * (nr_executed(test, &test_luns[LU_THIN]) - 1));
	KUNIT_EXPECT_FALSE(test, has_opcode(buf, n, UNMAP, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, WRITE_SAME, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, WRITE_SAME_16, 0));
	KUNIT_EXPECT_TRUE(test, has_opcode(buf, n, WRITE_10, 0));

	/* LU_BIG lacks WRITE SAME and COMPARE AND WRITE too */
	n = decode_and_report(test, cdb, buf, 4096, &test_luns[LU_BIG]);
	KUNIT_EXPECT_EQ(test, n,
			4 + 8 * (nr_executed(test, &test_luns[LU_THIN]) - 4));
	KUNIT_EXPECT_FALSE(test, has_opcode(buf, n, COMPARE_AND_WRITE, 0));
	KUNIT_EXPECT_FALSE(test, has_opcode(buf, n, ISPT_OP_WRITE_ATOMIC_16,
					    0));
}

static void ispt_scsi_rsoc_all_rctd_test(struct kunit *test)
{
	static const u8 cdb[12] = {
		MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0x80, 0, 0,
		0, 0, 0, 0x10, 0,
	};
	u8 *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct ispt_scsi_cmd cmd = { };
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = decode_and_report(test, cdb, buf, 4096, &test_luns[LU_THIN]);
	/* 8-byte descriptor plus 12-byte timeouts descriptor each */
	KUNIT_EXPECT_EQ(test, n,
			4 + 20 * nr_executed(test, &test_luns[LU_THIN]));
	KUNIT_EXPECT_EQ(test, buf[4 + 5] & 0x02, 0x02);		/* CTDP */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&buf[4 + 8]), 0x0a);
	KUNIT_EXPECT_EQ(test, buf[24 + 5] & 0x02, 0x02);

	/* Cut at 10 bytes: the full length still comes back. */
	memset(buf, 0xaa, 16);
	cmd.alloc_len = 10;
	cmd.flags = ISPT_SCSI_F_RCTD;
	KUNIT_EXPECT_EQ(test, ispt_scsi_report_opcodes(&cmd, &test_luns[LU_THIN],
						       buf, 4096), n);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf), n - 4);
	KUNIT_EXPECT_EQ(test, buf[10], 0xaa);
}

/*
 * Every command listed in the all_commands form answers the one_command
 * form with SUPPORT 011b, its CDB length, and usage data that starts with
 * its opcode and service action, as libiscsi checks.
 */
static void ispt_scsi_rsoc_one_test(struct kunit *test)
{
	static const u8 all[12] = {
		MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0, 0, 0, 0,
		0, 0, 0x10, 0,
	};
	const struct ispt_scsi_lun_desc *lun = &test_luns[LU_THIN];
	u8 *list = kunit_kzalloc(test, 4096, GFP_KERNEL);
	u8 one[64], cdb[12];
	u32 n, off;

	KUNIT_ASSERT_NOT_NULL(test, list);
	n = decode_and_report(test, all, list, 4096, lun);
	for (off = 4; off < n; off += 8) {
		bool servactv = list[off + 5] & 0x01;
		u16 len = get_unaligned_be16(&list[off + 6]);
		u32 m;

		memcpy(cdb, all, sizeof(cdb));
		cdb[2] = servactv ? ISPT_SCSI_RSOC_OPCODE_SA :
				    ISPT_SCSI_RSOC_OPCODE;
		cdb[3] = list[off];
		memcpy(&cdb[4], &list[off + 2], 2);
		m = decode_and_report(test, cdb, one, sizeof(one), lun);
		KUNIT_EXPECT_EQ(test, m, 4U + len);
		KUNIT_EXPECT_EQ(test, one[1], 0x03);
		KUNIT_EXPECT_EQ(test, get_unaligned_be16(&one[2]), len);
		KUNIT_EXPECT_EQ(test, one[4], list[off]);
		/* Byte 1's low bits are the SA; SANITIZE uses the others */
		if (servactv)
			KUNIT_EXPECT_EQ(test, one[5] & 0x1f, list[off + 3]);
		/* The control byte: NACA and LINK are evaluated */
		KUNIT_EXPECT_EQ(test, one[4 + len - 1], 0x05);
	}
}

static void ispt_scsi_rsoc_one_unsupported_test(struct kunit *test)
{
	u8 cdb[12] = {
		MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 1,
		FORMAT_UNIT, 0, 0, 0, 0, 0, 64,
	};
	u8 one[64];

	memset(one, 0xaa, sizeof(one));
	KUNIT_EXPECT_EQ(test, decode_and_report(test, cdb, one, sizeof(one),
						&test_luns[LU_SMALL]), 4U);
	KUNIT_EXPECT_EQ(test, one[0], 0);
	KUNIT_EXPECT_EQ(test, one[1], 0x01);		/* not supported */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&one[2]), 0);
	KUNIT_EXPECT_EQ(test, one[4], 0xaa);

	/* UNMAP depends on the LU */
	cdb[3] = UNMAP;
	decode_and_report(test, cdb, one, sizeof(one), &test_luns[LU_SMALL]);
	KUNIT_EXPECT_EQ(test, one[1], 0x01);
	decode_and_report(test, cdb, one, sizeof(one), &test_luns[LU_THIN]);
	KUNIT_EXPECT_EQ(test, one[1], 0x03);

	/* An unknown service action of a known opcode */
	cdb[2] = ISPT_SCSI_RSOC_OPCODE_SA;
	cdb[3] = SERVICE_ACTION_IN_16;
	cdb[5] = SAI_REPORT_REFERRALS;
	decode_and_report(test, cdb, one, sizeof(one), &test_luns[LU_SMALL]);
	KUNIT_EXPECT_EQ(test, one[1], 0x01);

	/* Option 3 accepts either kind */
	cdb[2] = ISPT_SCSI_RSOC_OPCODE_ANY;
	cdb[5] = SAI_READ_CAPACITY_16;
	KUNIT_EXPECT_EQ(test, decode_and_report(test, cdb, one, sizeof(one),
						&test_luns[LU_SMALL]), 20U);
	KUNIT_EXPECT_EQ(test, one[5], SAI_READ_CAPACITY_16);
	cdb[3] = READ_6;
	KUNIT_EXPECT_EQ(test, decode_and_report(test, cdb, one, sizeof(one),
						&test_luns[LU_SMALL]), 10U);
	KUNIT_EXPECT_EQ(test, one[5], 0x1f);
}

/*
 * The usage data promises that every zero bit is ignored: flipping one in
 * a valid CDB must not change the decoded command. Run for each command
 * against the LU where all of them are supported.
 */
static void ispt_scsi_rsoc_usage_matches_decode_test(struct kunit *test)
{
	static const u8 rsoc[12] = {
		MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES,
		ISPT_SCSI_RSOC_OPCODE_ANY, 0, 0, 0, 0, 0, 0, 64,
	};
	const struct ispt_scsi_lun_desc *lun = &test_luns[LU_THIN];
	struct ispt_scsi_cmd base, flipped;
	unsigned int i, byte, bit;
	u8 cdb[16], q[12], one[64];

	for (i = 0; i < ARRAY_SIZE(valid_cdbs); i++) {
		const u8 *v = valid_cdbs[i];
		u16 len;

		/* Listed (and so checked) only if the live path runs it */
		if (ispt_scsi_decode(&base, v, 16, lun) == SAM_STAT_GOOD &&
		    !ispt_scsi_handler_executed(base.handler))
			continue;
		memcpy(q, rsoc, sizeof(q));
		q[3] = v[0];
		q[5] = v[1] & 0x1f;
		decode_and_report(test, q, one, sizeof(one), lun);
		KUNIT_ASSERT_EQ_MSG(test, one[1], 0x03, "opcode %#x", v[0]);
		len = get_unaligned_be16(&one[2]);

		KUNIT_ASSERT_EQ_MSG(test, ispt_scsi_decode(&base, v, 16, lun),
				    SAM_STAT_GOOD, "opcode %#x", v[0]);
		for (byte = 1; byte < len; byte++) {
			for (bit = 0; bit < 8; bit++) {
				if (one[4 + byte] & BIT(bit))
					continue;
				/* There the usage data is the SA, not a mask */
				if (byte == 1 && bit < 5 && has_sa(v[0]))
					continue;
				memcpy(cdb, v, sizeof(cdb));
				cdb[byte] ^= BIT(bit);
				KUNIT_EXPECT_EQ_MSG(test,
						    ispt_scsi_decode(&flipped,
								     cdb, 16,
								     lun),
						    SAM_STAT_GOOD,
						    "opcode %#x byte %u bit %u",
						    v[0], byte, bit);
				KUNIT_EXPECT_TRUE_MSG(test,
						      !memcmp(&base, &flipped,
							      sizeof(base)),
						      "opcode %#x byte %u bit %u",
						      v[0], byte, bit);
			}
		}
	}
}

/* ---- LUN addressing --------------------------------------------------- */

struct lun_case {
	u64	lun;
	bool	ok;
	u8	want[8];
};

static const struct lun_case lun_cases[] = {
	{ 0, true, { 0x00, 0x00 } },
	{ 5, true, { 0x00, 0x05 } },
	{ 255, true, { 0x00, 0xff } },
	{ 256, true, { 0x41, 0x00 } },
	{ 0x1234, true, { 0x52, 0x34 } },
	{ ISPT_SCSI_MAX_LUN, true, { 0x7f, 0xff } },
	{ ISPT_SCSI_MAX_LUN + 1, false, { } },
	{ U64_MAX, false, { } },
};

static void lun_case_desc(const struct lun_case *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "lun %llu", t->lun);
}

KUNIT_ARRAY_PARAM(lun, lun_cases, lun_case_desc);

static void ispt_scsi_lun_encode_test(struct kunit *test)
{
	const struct lun_case *t = test->param_value;
	struct scsi_lun l;
	u64 back = ~0ULL;

	memset(&l, 0xaa, sizeof(l));
	KUNIT_ASSERT_EQ(test, ispt_scsi_lun_encode(t->lun, &l), t->ok);
	expect_bytes(test, l.scsi_lun, t->want, sizeof(l.scsi_lun));
	if (t->ok) {
		KUNIT_EXPECT_TRUE(test, ispt_scsi_lun_decode(&l, &back));
		KUNIT_EXPECT_EQ(test, back, t->lun);
	}
}

static void ispt_scsi_lun_decode_test(struct kunit *test)
{
	static const struct {
		u8 in[8];
		bool ok;
		u64 lun;
	} c[] = {
		{ { 0x00, 0x07 }, true, 7 },
		{ { 0x40, 0x07 }, true, 7 },	/* flat space for a small LUN */
		{ { 0x7f, 0xff }, true, 16383 },
		{ { 0x01, 0x07 }, false },	/* bus 1 */
		{ { 0x00, 0x07, 0x00, 0x01 }, false },	/* second level */
		{ { 0x00, 0x07, 0, 0, 0, 0, 0, 1 }, false },
		{ { 0x80, 0x07 }, false },	/* logical unit addressing */
		{ { 0xc1, 0x01 }, false },	/* REPORT LUNS well-known LU */
		{ { 0xd2, 0x00, 0x12, 0x34 }, false },	/* extended flat */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		u64 lun = 0xdead;

		KUNIT_EXPECT_EQ_MSG(test,
				    ispt_scsi_lun_decode((const void *)c[i].in,
							 &lun),
				    c[i].ok, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, lun, c[i].ok ? c[i].lun : 0xdead,
				    "case %u", i);
	}
}

/* ---- UNMAP parameter list -------------------------------------------- */

static u8 *unmap_list(struct kunit *test, u32 nr, u16 bd_len)
{
	u8 *p = kunit_kzalloc(test, 8 + nr * 16, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	put_unaligned_be16(6 + bd_len, &p[0]);
	put_unaligned_be16(bd_len, &p[2]);
	return p;
}

static void unmap_set(u8 *p, u32 i, u64 lba, u32 nr)
{
	put_unaligned_be64(lba, &p[8 + i * 16]);
	put_unaligned_be32(nr, &p[8 + i * 16 + 8]);
}

static struct ispt_scsi_unmap_plan last_plan;

/* @n: the descriptors to execute; the whole plan is in last_plan. */
static enum sam_status unmap_check(struct kunit *test, const u8 *p,
				   u32 len, u32 *n, struct ispt_sense *s)
{
	static const u8 cdb[10] = { UNMAP, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	struct ispt_scsi_cmd cmd;
	enum sam_status status;

	KUNIT_EXPECT_EQ(test, ispt_scsi_decode(&cmd, cdb, 10,
					       &test_luns[LU_THIN]),
			SAM_STAT_GOOD);
	memset(&last_plan, 0xa5, sizeof(last_plan));
	status = ispt_scsi_unmap_check(&cmd, &test_luns[LU_THIN], p, len,
				       &last_plan);
	*n = last_plan.nr_descs;
	*s = cmd.sense;
	return status;
}

static void ispt_scsi_unmap_good_test(struct kunit *test)
{
	u8 *p = unmap_list(test, 3, 3 * 16);
	struct ispt_sense s;
	u32 n, nr;
	u64 lba;

	unmap_set(p, 0, 0x10, 8);
	unmap_set(p, 1, 0xffff, 1);		/* the last block */
	unmap_set(p, 2, 0x100, 0);		/* nothing, but a real LBA */
	KUNIT_ASSERT_EQ(test, unmap_check(test, p, 8 + 48, &n, &s),
			SAM_STAT_GOOD);
	KUNIT_ASSERT_EQ(test, n, 3U);
	/* The range held: from the first block to past the last, the
	 * descriptor of no blocks left out.
	 */
	KUNIT_EXPECT_EQ(test, last_plan.lba, 0x10ULL);
	KUNIT_EXPECT_EQ(test, last_plan.nr_blocks, 0xffffULL + 1 - 0x10);
	ispt_scsi_unmap_desc(p, 0, &lba, &nr);
	KUNIT_EXPECT_EQ(test, lba, 0x10ULL);
	KUNIT_EXPECT_EQ(test, nr, 8U);
	ispt_scsi_unmap_desc(p, 1, &lba, &nr);
	KUNIT_EXPECT_EQ(test, lba, 0xffffULL);
	KUNIT_EXPECT_EQ(test, nr, 1U);

	/* Exactly MAXIMUM UNMAP LBA COUNT in two descriptors */
	unmap_set(p, 0, 0, 0x800);
	unmap_set(p, 1, 0x1000, 0x800);
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 8 + 48, &n, &s),
			SAM_STAT_GOOD);

	KUNIT_EXPECT_EQ(test, last_plan.lba, 0ULL);
	KUNIT_EXPECT_EQ(test, last_plan.nr_blocks, 0x1800ULL);

	/* A truncated last descriptor is ignored */
	put_unaligned_be16(16 + 8, &p[2]);
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 8 + 48, &n, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, n, 1U);
	KUNIT_EXPECT_EQ(test, last_plan.nr_blocks, 0x800ULL);

	/* Descriptors of no blocks only: nothing to hold */
	unmap_set(p, 0, 0x20, 0);
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 8 + 48, &n, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, n, 1U);
	KUNIT_EXPECT_EQ(test, last_plan.nr_blocks, 0ULL);

	/* No parameter list, or only a header: nothing to do */
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 0, &n, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, n, 0U);
	put_unaligned_be16(0, &p[2]);
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 8, &n, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, n, 0U);
}

static void ispt_scsi_unmap_bad_test(struct kunit *test)
{
	u8 *p = unmap_list(test, ISPT_SCSI_MAX_UNMAP_DESCS + 1,
			   (ISPT_SCSI_MAX_UNMAP_DESCS + 1) * 16);
	u32 big = 8 + (ISPT_SCSI_MAX_UNMAP_DESCS + 1) * 16;
	struct ispt_sense s;
	u32 n;

	/* More descriptors than VPD page 0xb0 allows */
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, big, &n, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.asc, 0x26);
	KUNIT_EXPECT_FALSE(test, s.flags & ISPT_SENSE_CD);
	KUNIT_EXPECT_EQ(test, s.field, 2);
	KUNIT_EXPECT_EQ(test, n, 0U);

	/* Shorter than the header */
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 7, &n, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.asc, 0x1a);

	/* The header announces more than was sent */
	put_unaligned_be16(32, &p[2]);
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 8 + 16, &n, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.asc, 0x1a);

	/* Second descriptor at capacity */
	unmap_set(p, 0, 0, 1);
	unmap_set(p, 1, 0x10000, 1);
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 8 + 32, &n, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.key, ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, s.asc, 0x21);

	/* Wrapping 64-bit LBA */
	unmap_set(p, 1, U64_MAX, 2);
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 8 + 32, &n, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.asc, 0x21);

	/* One block over MAXIMUM UNMAP LBA COUNT, pointing at descriptor 1 */
	unmap_set(p, 0, 0, 0x800);
	unmap_set(p, 1, 0x1000, 0x801);
	KUNIT_EXPECT_EQ(test, unmap_check(test, p, 8 + 32, &n, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.asc, 0x26);
	KUNIT_EXPECT_EQ(test, s.field, 8 + 16 + 8);
	KUNIT_EXPECT_EQ(test, n, 0U);
}

/* Decode a SANITIZE OVERWRITE CDB for @len bytes of list, then check it */
static enum sam_status sanitize_check(struct kunit *test, const u8 *list,
				      u16 len, u32 sent,
				      struct ispt_sanitize_overwrite *ow,
				      struct ispt_sense *sense)
{
	const struct ispt_scsi_lun_desc *lun = &test_luns[LU_SMALL];
	u8 cdb[10] = { ISPT_OP_SANITIZE, ISPT_SANITIZE_OVERWRITE };
	struct ispt_scsi_cmd cmd;
	enum sam_status st;

	put_unaligned_be16(len, &cdb[7]);
	KUNIT_ASSERT_EQ(test, ispt_scsi_decode(&cmd, cdb, sizeof(cdb), lun),
			SAM_STAT_GOOD);
	st = ispt_sbc_sanitize_overwrite_check(&cmd, lun, list, sent, ow);
	*sense = cmd.sense;
	return st;
}

static void ispt_sbc_sanitize_overwrite_test(struct kunit *test)
{
	struct ispt_sanitize_overwrite ow = { };
	struct ispt_sense s;
	u8 p[4 + 512] = { 0x83, 0, 0x02, 0x00 };

	/* Three passes, inverted between them, a whole block of pattern */
	KUNIT_EXPECT_EQ(test, sanitize_check(test, p, 516, 516, &ow, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ow.passes, 3);
	KUNIT_EXPECT_TRUE(test, ow.invert);
	KUNIT_EXPECT_EQ(test, ow.pattern_len, 512);

	/* Four bytes of pattern, 31 passes, not inverted */
	p[0] = 0x1f;
	put_unaligned_be16(4, &p[2]);
	KUNIT_EXPECT_EQ(test, sanitize_check(test, p, 8, 8, &ow, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ow.passes, 31);
	KUNIT_EXPECT_FALSE(test, ow.invert);
	KUNIT_EXPECT_EQ(test, ow.pattern_len, 4);

	/* The pattern length disagrees with the CDB's list length */
	KUNIT_EXPECT_EQ(test, sanitize_check(test, p, 9, 9, &ow, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.asc, 0x26);
	KUNIT_EXPECT_EQ(test, s.field, 2);
	KUNIT_EXPECT_FALSE(test, s.flags & ISPT_SENSE_CD);

	/* No pattern at all, or more than a block (libiscsi Overwrite) */
	put_unaligned_be16(0, &p[2]);
	KUNIT_EXPECT_EQ(test, sanitize_check(test, p, 8, 8, &ow, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.asc, 0x26);
	put_unaligned_be16(516, &p[2]);
	KUNIT_EXPECT_EQ(test, sanitize_check(test, p, 516, 516, &ow, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.field, 2);

	/* OVERWRITE COUNT 0 */
	put_unaligned_be16(4, &p[2]);
	p[0] = 0x80;
	KUNIT_EXPECT_EQ(test, sanitize_check(test, p, 8, 8, &ow, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.field, 0);
	KUNIT_EXPECT_EQ(test, s.bit, 4);

	/* A TEST mode, and the reserved byte */
	p[0] = 0x21;
	KUNIT_EXPECT_EQ(test, sanitize_check(test, p, 8, 8, &ow, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.bit, 6);
	p[0] = 0x01;
	p[1] = 0x01;
	KUNIT_EXPECT_EQ(test, sanitize_check(test, p, 8, 8, &ow, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.field, 1);

	/* The initiator sent less than the CDB announced */
	p[1] = 0;
	KUNIT_EXPECT_EQ(test, sanitize_check(test, p, 8, 6, &ow, &s),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s.asc, 0x1a);
}

static void ispt_sbc_repeat_test(struct kunit *test)
{
	static const u8 unit[3] = { 1, 2, 3 };
	u8 buf[8];

	ispt_sbc_repeat(buf, 8, 0, unit, 3);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "\1\2\3\1\2\3\1\2", 8), 0);
	/* Picking up the stream part-way, as each page of a bio does */
	ispt_sbc_repeat(buf, 5, 4, unit, 3);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "\2\3\1\2\3", 5), 0);
	ispt_sbc_repeat(buf, 2, 6, unit, 3);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "\1\2", 2), 0);
	ispt_sbc_repeat(buf, 4, 1, unit, 1);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "\1\1\1\1", 4), 0);
}

static struct kunit_case ispt_scsi_cases[] = {
	KUNIT_CASE_PARAM(ispt_scsi_decode_test, decode_gen_params),
	KUNIT_CASE_PARAM(ispt_sense_build_test, sense_gen_params),
	KUNIT_CASE(ispt_sense_constructors_test),
	KUNIT_CASE(ispt_scsi_lun_desc_valid_test),
	KUNIT_CASE(ispt_scsi_ua_exempt_test),
	KUNIT_CASE(ispt_scsi_rsoc_all_test),
	KUNIT_CASE(ispt_scsi_rsoc_all_rctd_test),
	KUNIT_CASE(ispt_scsi_rsoc_one_test),
	KUNIT_CASE(ispt_scsi_rsoc_one_unsupported_test),
	KUNIT_CASE(ispt_scsi_rsoc_usage_matches_decode_test),
	KUNIT_CASE_PARAM(ispt_scsi_lun_encode_test, lun_gen_params),
	KUNIT_CASE(ispt_scsi_lun_decode_test),
	KUNIT_CASE(ispt_scsi_unmap_good_test),
	KUNIT_CASE(ispt_scsi_unmap_bad_test),
	KUNIT_CASE(ispt_sbc_sanitize_overwrite_test),
	KUNIT_CASE(ispt_sbc_repeat_test),
	{}
};

static struct kunit_suite ispt_scsi_suite = {
	.name = "iscsi_spt_scsi",
	.test_cases = ispt_scsi_cases,
};

kunit_test_suite(ispt_scsi_suite);
