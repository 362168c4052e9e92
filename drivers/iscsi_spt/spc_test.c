// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the SPC/SBC response data builders: INQUIRY and its VPD
 * pages, READ CAPACITY, MODE SENSE, REPORT LUNS, REQUEST SENSE and REPORT
 * SUPPORTED TASK MANAGEMENT FUNCTIONS. Commands come from real CDBs run
 * through ispt_scsi_decode(), and the data is checked byte by byte.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "mode.h"
#include "sbc_decode.h"
#include "scsi.h"
#include "spc.h"

/* A 32 MiB SSD: 512-byte logical blocks on 4 KiB physical ones. */
static const struct ispt_scsi_lun_desc lu_disk = {
	.nr_blocks = 0x10000, .block_size = 512,
	.max_xfer_blocks = 2048, .opt_xfer_blocks = 256,
	/* The top nibble must be replaced by NAA 3. */
	.naa_id = 0xf123456789abcdefULL,
	.phys_block_exp = 3,
	.max_write_same_blocks = 0x800, .max_compare_blocks = 16,
	.max_atomic_blocks = 256,
	.write_cache = true, .fua = true, .mode.wce = true,
	.vendor = "ISPT", .product = "iscsi_spt disk", .revision = "0.1",
	.serial = "SN0001",
};

/* A 32 TiB thin, read-only, rotating LU that prefers descriptor sense */
static const struct ispt_scsi_lun_desc lu_thin = {
	.nr_blocks = 1ULL << 33, .block_size = 4096,
	.max_unmap_blocks = 0x10000, .unmap_granularity = 8,
	.unmap_alignment = 3, .max_write_zeroes_blocks = 0x20000,
	.max_write_same_blocks = 0x20000,
	.unmap_zeroes = true, .lowest_aligned_lba = 1,
	.rotational = true, .read_only = true, .mode.d_sense = true,
	.vendor = "ISPT", .product = "thin", .revision = "1",
	.serial = "T",
};

/* Discards, but no write zeroes and no zeroes after unmapping */
static const struct ispt_scsi_lun_desc lu_discard = {
	.nr_blocks = 0x10000, .block_size = 512,
	.max_unmap_blocks = 0x800,
};

/* Last LBA 0xffffffff, and one block fewer */
static const struct ispt_scsi_lun_desc lu_4g = {
	.nr_blocks = 1ULL << 32, .block_size = 512,
};

static const struct ispt_scsi_lun_desc lu_4g_less_1 = {
	.nr_blocks = (1ULL << 32) - 1, .block_size = 512,
};

static const struct ispt_scsi_port test_port = {
	.rel_port_id = 2, .tpg_id = 7,
};

static const u64 test_lun_list[] = { 0, 1, 255, 256, 16383, 16384 };

#define TEST_TMFS	(ISPT_SPC_TMF_ABORT_TASK | ISPT_SPC_TMF_ABORT_TASK_SET | \
			 ISPT_SPC_TMF_CLEAR_TASK_SET | ISPT_SPC_TMF_LUN_RESET | \
			 ISPT_SPC_TMF_TARGET_RESET | ISPT_SPC_TMF_QUERY_TASK | \
			 ISPT_SPC_TMF_IT_NEXUS_RESET)

static void expect_bytes(struct kunit *test, const u8 *got, const u8 *want,
			 unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "byte %u", i);
}

static struct ispt_scsi_cmd decode(struct kunit *test, const u8 *cdb,
				   const struct ispt_scsi_lun_desc *lun)
{
	struct ispt_scsi_cmd cmd;

	KUNIT_ASSERT_EQ_MSG(test, ispt_scsi_decode(&cmd, cdb, 16, lun),
			    SAM_STAT_GOOD, "opcode %#x", cdb[0]);
	return cmd;
}

/* Run whichever builder the decoded command asks for. */
static u32 build(const struct ispt_scsi_cmd *cmd,
		 const struct ispt_scsi_lun_desc *lun, u8 *buf, u32 len)
{
	struct ispt_sense ua = ispt_sense_ua_reset();

	switch (cmd->handler) {
	case ISPT_SCSI_DO_MODE_SENSE:
		return ispt_mode_sense(cmd, lun, buf, len);
	case ISPT_SCSI_DO_GET_LBA_STATUS:
		return ispt_sbc_get_lba_status(cmd, lun, buf, len);
	case ISPT_SCSI_DO_READ_DEFECT:
		return ispt_sbc_read_defect(cmd, buf, len);
	case ISPT_SCSI_DO_INQUIRY:
		return ispt_spc_inquiry(cmd, lun, &test_port, buf, len);
	case ISPT_SCSI_DO_READ_CAPACITY_10:
	case ISPT_SCSI_DO_READ_CAPACITY_16:
		return ispt_spc_read_capacity(cmd, lun, buf, len);
	case ISPT_SCSI_DO_REPORT_LUNS:
		return ispt_spc_report_luns(cmd, test_lun_list,
					    ARRAY_SIZE(test_lun_list), buf,
					    len);
	case ISPT_SCSI_DO_REQUEST_SENSE:
		return ispt_spc_request_sense(cmd, &ua, buf, len);
	case ISPT_SCSI_DO_REPORT_TMFS:
		return ispt_spc_report_tmfs(cmd, TEST_TMFS, buf, len);
	case ISPT_SCSI_DO_REPORT_OPCODES:
		return ispt_scsi_report_opcodes(cmd, lun, buf, len);
	default:
		return 0;
	}
}

/*
 * One data-in CDB, the LU it goes to, and the exact data it must return
 * with a generous allocation length.
 */
struct data_case {
	const char				*name;
	u8					cdb[16];
	const struct ispt_scsi_lun_desc		*lun;
	u32					len;
	u8					want[96];
};

static void data_case_desc(const struct data_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

static void run_data_case(struct kunit *test, const struct data_case *t)
{
	struct ispt_scsi_cmd cmd = decode(test, t->cdb, t->lun);
	u8 buf[256];
	u32 n;

	memset(buf, 0xaa, sizeof(buf));
	n = build(&cmd, t->lun, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, n, t->len);
	expect_bytes(test, buf, t->want, t->len);
	KUNIT_EXPECT_EQ(test, buf[t->len], 0xaa);
}

/* ---- INQUIRY ---------------------------------------------------------- */

#define INQ_CDB(evpd, page)	{ INQUIRY, evpd, page, 0, 0xff, 0 }

static void ispt_spc_inquiry_std_test(struct kunit *test)
{
	static const u8 cdb[16] = INQ_CDB(0, 0);
	struct ispt_scsi_cmd cmd = decode(test, cdb, &lu_disk);
	u8 want[96] = {
		0x00,		/* direct access block device */
		0x00,		/* RMB=0 */
		0x06,		/* SPC-4 */
		0x12,		/* HiSup, response data format 2 */
		91,		/* additional length */
		0x08,		/* TPGS=0, 3PC (EXTENDED COPY), PROTECT=0 */
		0x00,
		0x02,		/* CmdQue */
	};
	u8 buf[128];

	memcpy(&want[8], "ISPT    ", 8);
	memcpy(&want[16], "iscsi_spt disk  ", 16);
	memcpy(&want[32], "0.1 ", 4);
	/* Version descriptors: SAM-5, iSCSI, SPC-4, SBC-3 */
	memcpy(&want[58], "\x00\xa0\x09\x60\x04\x60\x04\xc0", 8);

	memset(buf, 0xaa, sizeof(buf));
	KUNIT_ASSERT_EQ(test, ispt_spc_inquiry(&cmd, &lu_disk, &test_port,
					       buf, sizeof(buf)), 96U);
	expect_bytes(test, buf, want, sizeof(want));
	KUNIT_EXPECT_EQ(test, buf[96], 0xaa);

	/* No LU: qualifier 011b and type 1Fh, no identification */
	memset(buf, 0xaa, sizeof(buf));
	cmd = decode(test, cdb, NULL);
	KUNIT_ASSERT_EQ(test, ispt_spc_inquiry(&cmd, NULL, &test_port, buf,
					       sizeof(buf)), 96U);
	KUNIT_EXPECT_EQ(test, buf[0], 0x7f);
	KUNIT_EXPECT_EQ(test, buf[4], 91);
	KUNIT_EXPECT_EQ(test, buf[5], 0);	/* no copy manager either */
	memset(&want[8], ' ', 28);
	expect_bytes(test, &buf[8], &want[8], 28);
}

/* Bytes that are not printable ASCII never reach the wire. */
static void ispt_spc_inquiry_ascii_test(struct kunit *test)
{
	static const u8 cdb[16] = INQ_CDB(0, 0);
	struct ispt_scsi_lun_desc lun = lu_disk;
	struct ispt_scsi_cmd cmd = decode(test, cdb, &lun);
	u8 buf[96];

	memcpy(lun.vendor, "A\tB\x80", 5);
	strscpy(lun.product, "0123456789abcdef", sizeof(lun.product));
	ispt_spc_inquiry(&cmd, &lun, &test_port, buf, sizeof(buf));
	expect_bytes(test, &buf[8], "A B     0123456789abcdef", 24);
}

static const struct data_case vpd_cases[] = {
	{ "supported pages", INQ_CDB(1, 0x00), &lu_disk, 12,
	  { 0, 0x00, 0, 8, 0x00, 0x80, 0x83, 0x86, 0x8f, 0xb0, 0xb1, 0xb2 } },
	{ "unit serial number", INQ_CDB(1, 0x80), &lu_disk, 10,
	  { 0, 0x80, 0, 6, 'S', 'N', '0', '0', '0', '1' } },
	{ "device identification", INQ_CDB(1, 0x83), &lu_disk, 66,
	  { 0, 0x83, 0, 62,
	    /* NAA 3, binary, LU */
	    0x01, 0x03, 0, 8,
	    0x31, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	    /* T10 vendor ID, ASCII, LU: vendor, product, serial */
	    0x02, 0x01, 0, 30,
	    'I', 'S', 'P', 'T', ' ', ' ', ' ', ' ',
	    'i', 's', 'c', 's', 'i', '_', 's', 'p', 't', ' ', 'd', 'i', 's',
	    'k', ' ', ' ',
	    'S', 'N', '0', '0', '0', '1',
	    /* iSCSI, PIV, target port: relative target port 2 */
	    0x51, 0x94, 0, 4, 0, 0, 0, 2,
	    /* iSCSI, PIV, target port: target port group 7 */
	    0x51, 0x95, 0, 4, 0, 0, 0, 7 } },
	{ "block limits", INQ_CDB(1, 0xb0), &lu_disk, 64,
	  { 0, 0xb0, 0, 0x3c,
	    0, 16,			/* WSNZ=0, COMPARE AND WRITE 16 */
	    0, 8,			/* granularity: 8 logical per physical */
	    0, 0, 0x08, 0,		/* maximum transfer 2048 */
	    0, 0, 0x01, 0,		/* optimal transfer 256 */
	    0, 0, 0, 0,			/* maximum prefetch */
	    0, 0, 0, 0,			/* no UNMAP */
	    0, 0, 0, 0,
	    0, 0, 0, 0,
	    0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0x08, 0,	/* WRITE SAME 2048 */
	    0, 0, 0x01, 0,		/* WRITE ATOMIC 256 */
	    0, 0, 0, 0, 0, 0, 0, 0 } },	/* any alignment, granularity */
	{ "block limits thin", INQ_CDB(1, 0xb0), &lu_thin, 64,
	  { 0, 0xb0, 0, 0x3c,
	    0, 0,
	    0, 1,			/* logical block = physical block */
	    0, 0, 0, 0,			/* no maximum transfer */
	    0, 0, 0, 0,
	    0, 0, 0, 0,
	    0, 0x01, 0, 0,		/* maximum unmap LBA count */
	    0, 0, 0x01, 0,		/* maximum unmap descriptors: 256 */
	    0, 0, 0, 8,			/* optimal unmap granularity */
	    0x80, 0, 0, 3,		/* UGAVALID, alignment 3 */
	    0, 0, 0, 0, 0, 0x02, 0, 0 } },	/* maximum write same */
	{ "block device characteristics ssd", INQ_CDB(1, 0xb1), &lu_disk, 64,
	  { 0, 0xb1, 0, 0x3c, 0, 1 } },
	{ "block device characteristics hdd", INQ_CDB(1, 0xb1), &lu_thin, 64,
	  { 0, 0xb1, 0, 0x3c, 0, 0 } },
	{ "provisioning full", INQ_CDB(1, 0xb2), &lu_disk, 8,
	  { 0, 0xb2, 0, 4, 0, 0x00, 0x00, 0 } },
	{ "provisioning thin", INQ_CDB(1, 0xb2), &lu_thin, 8,
	  { 0, 0xb2, 0, 4, 0, 0xe4, 0x02, 0 } },	/* LBPU LBPWS(10) LBPRZ */
	{ "provisioning thin, discard only", INQ_CDB(1, 0xb2), &lu_discard, 8,
	  { 0, 0xb2, 0, 4, 0, 0xe0, 0x02, 0 } },	/* no LBPRZ */
	{ "device identification, no lu", INQ_CDB(1, 0x83), NULL, 4,
	  { 0x7f, 0x83, 0, 0 } },
	{ "supported pages, no lu", INQ_CDB(1, 0x00), NULL, 12,
	  { 0x7f, 0x00, 0, 8, 0x00, 0x80, 0x83, 0x86, 0x8f, 0xb0, 0xb1,
	    0xb2 } },
	{ "extended inquiry, volatile cache", INQ_CDB(1, 0x86), &lu_disk, 64,
	  { 0, 0x86, 0, 0x3c,
	    0, 0x01,			/* SIMPSUP */
	    0x01,			/* V_SUP */
	    0x01,			/* LUICLR */
	    0, 0, 0, 0, 0,
	    40 } },			/* maximum sense data length */
	{ "extended inquiry, no cache", INQ_CDB(1, 0x86), &lu_thin, 64,
	  { 0, 0x86, 0, 0x3c, 0, 0x01, 0x00, 0x01, 0, 0, 0, 0, 0, 40 } },
};

KUNIT_ARRAY_PARAM(vpd, vpd_cases, data_case_desc);

static void ispt_spc_vpd_test(struct kunit *test)
{
	run_data_case(test, test->param_value);
}

/* Third-party Copy (SPC-4 7.8.17): what EXTENDED COPY (LID1) carries out */
static void ispt_spc_vpd_tpc_test(struct kunit *test)
{
	static const u8 cdb[16] = INQ_CDB(1, 0x8f);
	static const u8 want[104] = {
		0, 0x8f, 0, 100,
		/* Supported commands: 83h/00h, 84h/00h 01h 03h 04h */
		0x00, 0x01, 0, 12, 9, 0x83, 1, 0x00, 0x84, 4, 0x00, 0x01,
		0x03, 0x04, 0, 0,
		/* Parameter data: 4 CSCD, 16 segment descriptors, 1024 bytes */
		0x00, 0x04, 0, 28, 0, 0, 0, 0, 0, 4, 0, 16, 0, 0, 0x04, 0x00,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* Supported descriptors: block to block, identification */
		0x00, 0x08, 0, 4, 2, 0x02, 0xe4, 0,
		/* Supported CSCD descriptor IDs: none */
		0x00, 0x0c, 0, 4, 0, 0, 0, 0,
		/* General copy operations: 1 and 1 copies, 0xffff * 4 KiB */
		0x80, 0x01, 0, 32, 0, 0, 0, 1, 0, 0, 0, 1, 0x0f, 0xff, 0xf0,
		0x00, 9, 0,
	};
	struct ispt_scsi_cmd cmd = decode(test, cdb, &lu_disk);
	u8 buf[128];
	u32 i, off;

	memset(buf, 0xaa, sizeof(buf));
	KUNIT_ASSERT_EQ(test, ispt_spc_inquiry(&cmd, &lu_disk, &test_port,
					       buf, sizeof(buf)), 104U);
	expect_bytes(test, buf, want, sizeof(want));
	KUNIT_EXPECT_EQ(test, buf[104], 0xaa);
	/* Each descriptor's length leads to the next, and to the end */
	for (off = 4, i = 0; off < 104; i++)
		off += 4 + get_unaligned_be16(&buf[off + 2]);
	KUNIT_EXPECT_EQ(test, off, 104U);
	KUNIT_EXPECT_EQ(test, i, 5U);
}

/* Every page that page 0x00 lists is one decode accepts, and no other. */
static void ispt_spc_vpd_list_matches_decode_test(struct kunit *test)
{
	u8 cdb[16] = INQ_CDB(1, 0);
	struct ispt_scsi_cmd cmd = decode(test, cdb, &lu_disk);
	bool listed[256] = { };
	unsigned int page, i;
	u8 buf[64];
	u32 n;

	n = ispt_spc_inquiry(&cmd, &lu_disk, &test_port, buf, sizeof(buf));
	KUNIT_ASSERT_LE(test, n, (u32)sizeof(buf));
	for (i = 4; i < n; i++)
		listed[buf[i]] = true;
	for (page = 0; page < 256; page++) {
		cdb[2] = page;
		KUNIT_EXPECT_EQ_MSG(test,
				    ispt_scsi_decode(&cmd, cdb, 16, &lu_disk),
				    listed[page] ? SAM_STAT_GOOD :
						   SAM_STAT_CHECK_CONDITION,
				    "page %#x", page);
	}
}

/* ---- READ CAPACITY ---------------------------------------------------- */

#define RC10_CDB	{ READ_CAPACITY }
#define RC16_CDB	{ SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 0, 0, \
			  0, 0, 0, 0, 0, 0, 0, 0, 32 }

static const struct data_case read_capacity_cases[] = {
	{ "rc10", RC10_CDB, &lu_disk, 8,
	  { 0, 0, 0xff, 0xff, 0, 0, 0x02, 0 } },
	{ "rc10 last lba 0xfffffffe", RC10_CDB, &lu_4g_less_1, 8,
	  { 0xff, 0xff, 0xff, 0xfe, 0, 0, 0x02, 0 } },
	{ "rc10 last lba 0xffffffff", RC10_CDB, &lu_4g, 8,
	  { 0xff, 0xff, 0xff, 0xff, 0, 0, 0x02, 0 } },
	{ "rc10 beyond 32 bits", RC10_CDB, &lu_thin, 8,
	  { 0xff, 0xff, 0xff, 0xff, 0, 0, 0x10, 0 } },
	{ "rc16", RC16_CDB, &lu_disk, 32,
	  { 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0x02, 0,
	    0, 3,			/* 8 logical blocks per physical */
	    0, 0 } },
	{ "rc16 beyond 32 bits, thin", RC16_CDB, &lu_thin, 32,
	  { 0, 0, 0, 0x01, 0xff, 0xff, 0xff, 0xff, 0, 0, 0x10, 0,
	    0, 0,
	    0xc0, 0x01 } },		/* LBPME, LBPRZ, lowest aligned 1 */
	{ "rc16 discard only", RC16_CDB, &lu_discard, 32,
	  { 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0x02, 0, 0, 0, 0x80, 0 } },
	{ "rc16 last lba 0xffffffff", RC16_CDB, &lu_4g, 32,
	  { 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0x02, 0 } },
};

KUNIT_ARRAY_PARAM(read_capacity, read_capacity_cases, data_case_desc);

static void ispt_spc_read_capacity_test(struct kunit *test)
{
	run_data_case(test, test->param_value);
}

/* ---- REPORT LUNS ------------------------------------------------------ */

#define REPORT_LUNS_CDB(sel)	{ REPORT_LUNS, 0, sel, 0, 0, 0, 0, 0, 1, 0 }

static const struct data_case report_luns_cases[] = {
	{ "all", REPORT_LUNS_CDB(0), &lu_disk, 48,
	  { 0, 0, 0, 40, 0, 0, 0, 0,
	    0x00, 0x00, 0, 0, 0, 0, 0, 0,
	    0x00, 0x01, 0, 0, 0, 0, 0, 0,
	    0x00, 0xff, 0, 0, 0, 0, 0, 0,
	    0x41, 0x00, 0, 0, 0, 0, 0, 0,		/* flat space */
	    0x7f, 0xff, 0, 0, 0, 0, 0, 0 } },	/* 16384 left out */
	{ "well-known only", REPORT_LUNS_CDB(1), &lu_disk, 8, { } },
	{ "administrative only", REPORT_LUNS_CDB(0x10), &lu_disk, 8, { } },
	{ "subsidiary of an administrative LU", REPORT_LUNS_CDB(0x12),
	  &lu_disk, 8, { } },
	{ "administrative and all", REPORT_LUNS_CDB(0x11), &lu_disk, 48,
	  { 0, 0, 0, 40, 0, 0, 0, 0,
	    0x00, 0x00, 0, 0, 0, 0, 0, 0,
	    0x00, 0x01, 0, 0, 0, 0, 0, 0,
	    0x00, 0xff, 0, 0, 0, 0, 0, 0,
	    0x41, 0x00, 0, 0, 0, 0, 0, 0,
	    0x7f, 0xff, 0, 0, 0, 0, 0, 0 } },
	{ "all with well-known", REPORT_LUNS_CDB(2), NULL, 48,
	  { 0, 0, 0, 40, 0, 0, 0, 0,
	    0x00, 0x00, 0, 0, 0, 0, 0, 0,
	    0x00, 0x01, 0, 0, 0, 0, 0, 0,
	    0x00, 0xff, 0, 0, 0, 0, 0, 0,
	    0x41, 0x00, 0, 0, 0, 0, 0, 0,
	    0x7f, 0xff, 0, 0, 0, 0, 0, 0 } },
};

KUNIT_ARRAY_PARAM(report_luns, report_luns_cases, data_case_desc);

static void ispt_spc_report_luns_test(struct kunit *test)
{
	run_data_case(test, test->param_value);
}

static void ispt_spc_report_luns_empty_test(struct kunit *test)
{
	static const u8 cdb[16] = REPORT_LUNS_CDB(0);
	static const u8 empty_list[8];
	struct ispt_scsi_cmd cmd = decode(test, cdb, NULL);
	u8 buf[16];

	memset(buf, 0xaa, sizeof(buf));
	KUNIT_EXPECT_EQ(test, ispt_spc_report_luns(&cmd, NULL, 0, buf,
						   sizeof(buf)), 8U);
	expect_bytes(test, buf, empty_list, sizeof(empty_list));
	KUNIT_EXPECT_EQ(test, buf[8], 0xaa);
}

/* ---- GET LBA STATUS, READ DEFECT DATA --------------------------------- */

#define GLS_CDB(lba_hi, lba_lo)	{ SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, \
				  0, 0, 0, lba_hi, 0, 0, 0, lba_lo, 0, 0, \
				  0, 0xff }

static const struct data_case lba_status_cases[] = {
	{ "from lba 5 to the end", GLS_CDB(0, 5), &lu_disk, 24,
	  { 0, 0, 0, 20, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 5,  0, 0, 0xff, 0xfb,  0, 0, 0, 0 } },
	{ "last block", GLS_CDB(0, 0xff), &lu_4g_less_1, 24,
	  { 0, 0, 0, 20, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0xff,  0xff, 0xff, 0xff, 0x00,  0, 0, 0,
	    0 } },
	/* 2^33 blocks from LBA 0 need three descriptors of 32-bit counts */
	{ "more than 2^32 blocks", GLS_CDB(0, 0), &lu_thin, 56,
	  { 0, 0, 0, 52, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0,  0xff, 0xff, 0xff, 0xff,  0, 0, 0, 0,
	    0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,  0xff, 0xff, 0xff, 0xff,
	    0, 0, 0, 0,
	    0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe,  0, 0, 0, 2,  0, 0, 0, 0 } },
	{ "defects 10: none, in the format asked",
	  { READ_DEFECT_DATA, 0, 0x1d, 0, 0, 0, 0, 0, 0xff, 0 }, &lu_disk, 4,
	  { 0, 0x1d, 0, 0 } },
	{ "defects 12: none",
	  { ISPT_OP_READ_DEFECT_DATA_12, 0x08, 0, 0, 0, 0, 0, 0, 0, 0xff },
	  &lu_disk, 8, { 0, 0x08, 0, 0, 0, 0, 0, 0 } },
};

KUNIT_ARRAY_PARAM(lba_status, lba_status_cases, data_case_desc);

static void ispt_sbc_data_test(struct kunit *test)
{
	run_data_case(test, test->param_value);
}

/* ---- REQUEST SENSE, REPORT SUPPORTED TMFS ----------------------------- */

static void ispt_spc_request_sense_test(struct kunit *test)
{
	static const u8 fixed[16] = { REQUEST_SENSE, 0, 0, 0, 252 };
	static const u8 desc[16] = { REQUEST_SENSE, 1, 0, 0, 252 };
	static const u8 no_sense[18] = { 0x70, 0, 0, 0, 0, 0, 0, 10 };
	struct ispt_sense ua = ispt_sense_ua_luns_changed();
	struct ispt_scsi_cmd cmd = decode(test, fixed, &lu_disk);
	u8 buf[32];

	memset(buf, 0xaa, sizeof(buf));
	KUNIT_EXPECT_EQ(test, ispt_spc_request_sense(&cmd, NULL, buf,
						     sizeof(buf)), 18U);
	expect_bytes(test, buf, no_sense, sizeof(no_sense));
	KUNIT_EXPECT_EQ(test, buf[18], 0xaa);

	cmd = decode(test, desc, &lu_disk);
	memset(buf, 0xaa, sizeof(buf));
	KUNIT_EXPECT_EQ(test, ispt_spc_request_sense(&cmd, &ua, buf,
						     sizeof(buf)), 8U);
	expect_bytes(test, buf, "\x72\x06\x3f\x0e\0\0\0\0", 8);
	KUNIT_EXPECT_EQ(test, buf[8], 0xaa);
}

static void ispt_spc_report_tmfs_test(struct kunit *test)
{
	static const u8 basic[16] = {
		MAINTENANCE_IN, MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS,
		0, 0, 0, 0, 0, 0, 0, 0xff,
	};
	static const u8 repd[16] = {
		MAINTENANCE_IN, MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS,
		0x80, 0, 0, 0, 0, 0, 0, 0xff,
	};
	struct ispt_scsi_cmd cmd = decode(test, basic, &lu_disk);
	u8 buf[32], want[16] = { 0xde, 0x01, 0, 0 };

	memset(buf, 0xaa, sizeof(buf));
	KUNIT_EXPECT_EQ(test, ispt_spc_report_tmfs(&cmd, TEST_TMFS, buf,
						   sizeof(buf)), 4U);
	expect_bytes(test, buf, want, 4);
	KUNIT_EXPECT_EQ(test, buf[4], 0xaa);

	cmd = decode(test, repd, &lu_disk);
	want[3] = 0x0c;
	KUNIT_EXPECT_EQ(test, ispt_spc_report_tmfs(&cmd, TEST_TMFS, buf,
						   sizeof(buf)), 16U);
	expect_bytes(test, buf, want, 16);
	KUNIT_EXPECT_EQ(test, buf[16], 0xaa);
}

/* ---- Truncation at the allocation length ------------------------------ */

static const u8 truncation_cdbs[][16] = {
	INQ_CDB(0, 0), INQ_CDB(1, 0x00), INQ_CDB(1, 0x80), INQ_CDB(1, 0x83),
	INQ_CDB(1, 0x86), INQ_CDB(1, 0x8f), INQ_CDB(1, 0xb0), INQ_CDB(1, 0xb1),
	INQ_CDB(1, 0xb2), RC10_CDB, RC16_CDB,
	{ MODE_SENSE, 0, 0x3f, 0, 0xff }, { MODE_SENSE, 0x08, 0x0a, 0, 0xff },
	{ MODE_SENSE_10, 0x10, 0x3f, 0, 0, 0, 0, 0, 0xff },
	{ SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0, 0, 0, 0, 0, 0, 0, 5,
	  0, 0, 0, 0xff },
	{ ISPT_OP_READ_DEFECT_DATA_12, 0x1d, 0, 0, 0, 0, 0, 0, 0, 0xff },
	REPORT_LUNS_CDB(0),
	{ REQUEST_SENSE, 0, 0, 0, 0xff }, { REQUEST_SENSE, 1, 0, 0, 0xff },
	{ MAINTENANCE_IN, MI_REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS, 0x80,
	  0, 0, 0, 0, 0, 0, 0xff },
	{ MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0, 0, 0, 0,
	  0, 0, 0x10, 0 },
	{ MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0x81, READ_16,
	  0, 0, 0, 0, 0x10, 0 },
};

/*
 * Whether the allocation length or the caller's buffer is the smaller,
 * every builder writes exactly the prefix of its full data, nothing past
 * it, and still returns the full length.
 */
static void ispt_spc_truncation_test(struct kunit *test)
{
	u8 *full = kunit_kzalloc(test, 1024, GFP_KERNEL);
	u8 *cut = kunit_kzalloc(test, 1024, GFP_KERNEL);
	unsigned int i, j;

	KUNIT_ASSERT_NOT_NULL(test, full);
	KUNIT_ASSERT_NOT_NULL(test, cut);
	for (i = 0; i < ARRAY_SIZE(truncation_cdbs); i++) {
		struct ispt_scsi_cmd cmd = decode(test, truncation_cdbs[i],
						  &lu_disk);
		u32 n = build(&cmd, &lu_disk, full, 1024);
		u32 limits[] = { 0, 1, 3, 5, n / 2, n - 1 };

		KUNIT_ASSERT_GT_MSG(test, n, 4U, "cdb %u", i);
		KUNIT_ASSERT_LT_MSG(test, n, 1024U, "cdb %u", i);
		for (j = 0; j < ARRAY_SIZE(limits); j++) {
			u32 lim = limits[j];
			struct ispt_scsi_cmd short_alloc = cmd;

			/* Cut by the buffer */
			memset(cut, 0xaa, 1024);
			KUNIT_EXPECT_EQ(test, build(&cmd, &lu_disk, cut, lim), n);
			KUNIT_EXPECT_TRUE_MSG(test, !memcmp(cut, full, lim),
					      "cdb %u limit %u", i, lim);
			KUNIT_EXPECT_EQ_MSG(test, cut[lim], 0xaa,
					    "cdb %u limit %u", i, lim);

			/* Cut by the allocation length */
			memset(cut, 0xaa, 1024);
			short_alloc.alloc_len = lim;
			KUNIT_EXPECT_EQ(test, build(&short_alloc, &lu_disk, cut,
						    1024), n);
			KUNIT_EXPECT_TRUE_MSG(test, !memcmp(cut, full, lim),
					      "cdb %u alloc %u", i, lim);
			KUNIT_EXPECT_EQ_MSG(test, cut[lim], 0xaa,
					    "cdb %u alloc %u", i, lim);
		}
	}
}

/* The bounded writer itself: partial values at the edge, patching. */
static void ispt_spc_buf_test(struct kunit *test)
{
	struct ispt_spc_buf b;
	u8 buf[8];

	memset(buf, 0xaa, sizeof(buf));
	ispt_spc_buf_init(&b, buf, 3);
	ispt_spc_put_u8(&b, 0x11);
	ispt_spc_put_be32(&b, 0x22334455);	/* only 0x22 0x33 fit */
	ispt_spc_put_be64(&b, 0);
	ispt_spc_put_zero(&b, 100);
	KUNIT_EXPECT_EQ(test, b.pos, 113U);
	expect_bytes(test, buf, "\x11\x22\x33\xaa", 4);

	ispt_spc_patch_be16(&b, 2, 0x6677);	/* only 0x66 fits */
	ispt_spc_patch_be32(&b, 3, 0);		/* nothing fits */
	expect_bytes(test, buf, "\x11\x22\x66\xaa", 4);

	/* A NULL buffer measures only */
	ispt_spc_buf_init(&b, NULL, 100);
	ispt_spc_put_be64(&b, 1);
	KUNIT_EXPECT_EQ(test, b.pos, 8U);
	KUNIT_EXPECT_EQ(test, b.cap, 0U);
}

/* The byte helpers of the compares and ORWRITE */
static void ispt_sbc_bytes_test(struct kunit *test)
{
	u8 a[8] = { 0x00, 0x0f, 0xf0, 0x55, 0, 0, 0, 0x80 };
	u8 b[8] = { 0x01, 0xf0, 0xf0, 0xaa, 0, 0, 0, 0x01 };
	u32 off = 99;

	ispt_sbc_or(a, b, 7);
	expect_bytes(test, a, "\x01\xff\xf0\xff\x00\x00\x00\x80", 8);

	KUNIT_EXPECT_TRUE(test, ispt_sbc_compare(a, a, sizeof(a), &off));
	KUNIT_EXPECT_EQ(test, off, 99U);
	KUNIT_EXPECT_FALSE(test, ispt_sbc_compare(a, b, sizeof(a), &off));
	KUNIT_EXPECT_EQ(test, off, 1U);		/* a[0] == b[0] now */
	KUNIT_EXPECT_FALSE(test, ispt_sbc_compare(b + 4, a + 4, 4, &off));
	KUNIT_EXPECT_EQ(test, off, 3U);

	KUNIT_EXPECT_TRUE(test, ispt_sbc_all_zero(a + 4, 3));
	KUNIT_EXPECT_FALSE(test, ispt_sbc_all_zero(a + 4, 4));
}

static struct kunit_case ispt_spc_cases[] = {
	KUNIT_CASE(ispt_spc_inquiry_std_test),
	KUNIT_CASE(ispt_spc_inquiry_ascii_test),
	KUNIT_CASE_PARAM(ispt_spc_vpd_test, vpd_gen_params),
	KUNIT_CASE(ispt_spc_vpd_list_matches_decode_test),
	KUNIT_CASE(ispt_spc_vpd_tpc_test),
	KUNIT_CASE_PARAM(ispt_spc_read_capacity_test, read_capacity_gen_params),
	KUNIT_CASE_PARAM(ispt_spc_report_luns_test, report_luns_gen_params),
	KUNIT_CASE(ispt_spc_report_luns_empty_test),
	KUNIT_CASE_PARAM(ispt_sbc_data_test, lba_status_gen_params),
	KUNIT_CASE(ispt_spc_request_sense_test),
	KUNIT_CASE(ispt_spc_report_tmfs_test),
	KUNIT_CASE(ispt_spc_truncation_test),
	KUNIT_CASE(ispt_spc_buf_test),
	KUNIT_CASE(ispt_sbc_bytes_test),
	{}
};

static struct kunit_suite ispt_spc_suite = {
	.name = "iscsi_spt_spc",
	.test_cases = ispt_spc_cases,
};

kunit_test_suite(ispt_spc_suite);
