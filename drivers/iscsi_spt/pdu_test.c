// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the PDU logic. Headers are written here byte by byte as
 * RFC 7143 section 11 draws them, not through iscsi_proto.h, so that a
 * wrong struct overlay in pdu.c cannot agree with itself.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "pdu.h"

/* A BHS as the RFC draws it: bytes 0-3, byte 4, bytes 5-7, then words. */
struct raw_bhs {
	u8	b[4];
	u8	ahs_words;
	u32	dsl;
	u32	w[10];		/* w[i] holds bytes 8 + 4 * i */
	u8	sn;		/* RAW_SN_*: fill in test_sn's words */
};

/* Where a target PDU carries the StatSN/ExpCmdSN/MaxCmdSN of test_sn. */
enum {
	RAW_SN_NONE,
	RAW_SN_ALL,		/* bytes 24, 28, 32 */
	RAW_SN_WINDOW,		/* 28, 32 only: StatSN reserved */
};

static const struct ispt_pdu_sn test_sn = {
	.statsn = 0x01020304, .exp_cmdsn = 0x11121314, .max_cmdsn = 0x21222324,
};

/* Index of the word at byte offset @byte (8, 12, ... 44). */
#define AT(byte)	(((byte) - 8) / 4)
/* ITTs are opaque wire bytes: @v as the initiator would have sent it. */
#define ITT(v)		((__force itt_t)cpu_to_be32(v))
#define ITT_VAL(itt)	be32_to_cpu((__force __be32)(itt))
#define NO_TAG		ISCSI_RESERVED_TAG

static void raw_to_bhs(const struct raw_bhs *r, struct iscsi_hdr *bhs)
{
	u8 *p = (u8 *)bhs;
	int i;

	memcpy(p, r->b, sizeof(r->b));
	p[4] = r->ahs_words;
	p[5] = r->dsl >> 16;
	p[6] = r->dsl >> 8;
	p[7] = r->dsl;
	for (i = 0; i < ARRAY_SIZE(r->w); i++)
		put_unaligned_be32(r->w[i], p + 8 + 4 * i);
	if (r->sn == RAW_SN_ALL)
		put_unaligned_be32(0x01020304, p + 24);
	if (r->sn != RAW_SN_NONE) {
		put_unaligned_be32(0x11121314, p + 28);
		put_unaligned_be32(0x21222324, p + 32);
	}
}

/* ---- framing ---- */

struct wire_len_case {
	u32	ahs_len;
	u32	data_len;
	bool	hdr_digest;
	bool	data_digest;
	u64	want;
};

static const struct wire_len_case wire_len_cases[] = {
	{ 0, 0, false, false, 48 },
	/* No data, so no data digest even when negotiated. */
	{ 0, 0, true, true, 52 },
	{ 0, 1, false, false, 52 },
	{ 0, 1, true, true, 60 },
	{ 0, 4, false, true, 56 },
	{ 0, 5, false, false, 56 },
	{ 8, 512, true, false, 48 + 8 + 4 + 512 },
	{ ISPT_PDU_MAX_AHS_LEN, ISPT_PDU_MAX_DSL, true, true,
	  48 + 1020 + 4 + 0x1000000 + 4 },
	/* Unchecked 32-bit inputs must not wrap the sum. */
	{ U32_MAX, U32_MAX, true, true,
	  48ULL + U32_MAX + 4 + U32_MAX + 1 + 4 },
};

static void wire_len_desc(const struct wire_len_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "ahs %u data %u hd %d dd %d",
		 c->ahs_len, c->data_len, c->hdr_digest, c->data_digest);
}

KUNIT_ARRAY_PARAM(wire_len, wire_len_cases, wire_len_desc);

static void ispt_pdu_wire_len_test(struct kunit *test)
{
	const struct wire_len_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ispt_pdu_wire_len(c->ahs_len, c->data_len,
						c->hdr_digest, c->data_digest),
			c->want);
}

static void ispt_pdu_pad_test(struct kunit *test)
{
	static const u32 lens[] = { 0, 1, 2, 3, 4, 5, 47, 48, 0xffffff,
				    U32_MAX };
	static const u32 pads[] = { 0, 3, 2, 1, 0, 3, 1, 0, 1, 1 };
	int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		KUNIT_EXPECT_EQ_MSG(test, ispt_pdu_pad(lens[i]), pads[i],
				    "len %u", lens[i]);
		KUNIT_EXPECT_EQ(test,
				((u64)lens[i] + ispt_pdu_pad(lens[i])) % 4,
				0ULL);
	}
}

/* ---- decode: accepted PDUs ---- */

struct decode_ok_case {
	const char			*name;
	struct raw_bhs			raw;
	struct ispt_pdu_summary		want;
};

static const struct decode_ok_case decode_ok_cases[] = {
	{
		.name = "NOP-Out ping",
		.raw = { .b = { 0x40, 0x80 }, .dsl = 16,
			 .w = { [AT(8)] = 0x00010000, [AT(16)] = 0x11,
				[AT(20)] = NO_TAG, [AT(24)] = 100,
				[AT(28)] = 200 } },
		.want = { .kind = ISPT_PDU_NOP_OUT, .opcode = 0x00,
			  .immediate = true, .final = true, .data_len = 16,
			  .itt = ITT(0x11), .lun = 0x0001000000000000ULL,
			  .cmdsn = 100, .exp_statsn = 200,
			  .nop.ttt = NO_TAG },
	},
	{
		.name = "NOP-Out answering our NOP-In",
		.raw = { .b = { 0x40, 0x80 },
			 .w = { [AT(8)] = 0x00010000, [AT(16)] = NO_TAG,
				[AT(20)] = 0x1234, [AT(24)] = 101,
				[AT(28)] = 201 } },
		.want = { .kind = ISPT_PDU_NOP_OUT, .immediate = true,
			  .final = true, .itt = ITT(NO_TAG),
			  .lun = 0x0001000000000000ULL, .cmdsn = 101,
			  .exp_statsn = 201, .nop.ttt = 0x1234 },
	},
	{
		.name = "NOP-Out ping, not immediate",
		.raw = { .b = { 0x00, 0x80 },
			 .w = { [AT(16)] = 5, [AT(20)] = NO_TAG,
				[AT(24)] = 3, [AT(28)] = 4 } },
		.want = { .kind = ISPT_PDU_NOP_OUT, .final = true,
			  .itt = ITT(5), .cmdsn = 3, .exp_statsn = 4,
			  .nop.ttt = NO_TAG },
	},
	{
		.name = "SCSI Command READ(10)",
		.raw = { .b = { 0x01, 0xc1 },
			 .w = { [AT(8)] = 0x00020000, [AT(16)] = 0x100,
				[AT(20)] = 4096, [AT(24)] = 7, [AT(28)] = 9,
				[AT(32)] = 0x28000000, [AT(36)] = 0x10000000,
				[AT(40)] = 0x08000000 } },
		.want = { .kind = ISPT_PDU_SCSI_CMD, .opcode = 0x01,
			  .final = true, .itt = ITT(0x100),
			  .lun = 0x0002000000000000ULL, .cmdsn = 7,
			  .exp_statsn = 9,
			  .cmd = { .edtl = 4096, .read = true,
				   .attr = ISCSI_ATTR_SIMPLE,
				   .cdb = { 0x28, 0, 0, 0, 0x10, 0, 0, 0,
					    0x08 } } },
	},
	{
		.name = "SCSI Command WRITE with immediate data",
		.raw = { .b = { 0x01, 0xa1 }, .dsl = 512,
			 .w = { [AT(16)] = 0x101, [AT(20)] = 4096,
				[AT(24)] = 8, [AT(32)] = 0x2a000000 } },
		.want = { .kind = ISPT_PDU_SCSI_CMD, .opcode = 0x01,
			  .final = true, .data_len = 512, .itt = ITT(0x101),
			  .cmdsn = 8,
			  .cmd = { .edtl = 4096, .write = true,
				   .attr = ISCSI_ATTR_SIMPLE,
				   .cdb = { 0x2a } } },
	},
	{
		.name = "SCSI Command WRITE, unsolicited Data-Out follows",
		.raw = { .b = { 0x01, 0x21 }, .dsl = 512,
			 .w = { [AT(16)] = 0x102, [AT(20)] = 8192 } },
		.want = { .kind = ISPT_PDU_SCSI_CMD, .opcode = 0x01,
			  .data_len = 512, .itt = ITT(0x102),
			  .cmd = { .edtl = 8192, .write = true,
				   .attr = ISCSI_ATTR_SIMPLE } },
	},
	{
		.name = "SCSI Command bidirectional with AHS",
		.raw = { .b = { 0x01, 0xe1 }, .ahs_words = 2,
			 .w = { [AT(16)] = 0x103, [AT(20)] = 512 } },
		.want = { .kind = ISPT_PDU_SCSI_CMD, .opcode = 0x01,
			  .final = true, .ahs_len = 8, .itt = ITT(0x103),
			  .cmd = { .edtl = 512, .read = true, .write = true,
				   .bidi = true,
				   .attr = ISCSI_ATTR_SIMPLE } },
	},
	{
		.name = "SCSI Command no data, immediate, ordered",
		.raw = { .b = { 0x41, 0x82 },
			 .w = { [AT(16)] = 0x104, [AT(24)] = 0xffffffff } },
		.want = { .kind = ISPT_PDU_SCSI_CMD, .opcode = 0x01,
			  .immediate = true, .final = true, .itt = ITT(0x104),
			  .cmdsn = 0xffffffff,
			  .cmd = { .attr = ISCSI_ATTR_ORDERED } },
	},
	{
		.name = "SCSI Command reserved bits ignored",
		.raw = { .b = { 0x81, 0xdf, 0xff, 0xff },
			 .w = { [AT(16)] = 0x105, [AT(20)] = 64 } },
		.want = { .kind = ISPT_PDU_SCSI_CMD, .opcode = 0x01,
			  .final = true, .itt = ITT(0x105),
			  .cmd = { .edtl = 64, .read = true, .attr = 7 } },
	},
	{
		.name = "TMF ABORT TASK",
		.raw = { .b = { 0x42, 0x81 },
			 .w = { [AT(8)] = 0x00010000, [AT(16)] = 0x200,
				[AT(20)] = 0x100, [AT(24)] = 8, [AT(28)] = 10,
				[AT(32)] = 7, [AT(36)] = 3 } },
		.want = { .kind = ISPT_PDU_TMF, .opcode = 0x02,
			  .immediate = true, .final = true, .itt = ITT(0x200),
			  .lun = 0x0001000000000000ULL, .cmdsn = 8,
			  .exp_statsn = 10,
			  .tmf = { .function = ISCSI_TM_FUNC_ABORT_TASK,
				   .rtt = ITT(0x100), .refcmdsn = 7,
				   .exp_datasn = 3 } },
	},
	{
		.name = "TMF LOGICAL UNIT RESET",
		.raw = { .b = { 0x02, 0x85 },
			 .w = { [AT(16)] = 0x201, [AT(20)] = NO_TAG,
				[AT(24)] = 9 } },
		.want = { .kind = ISPT_PDU_TMF, .opcode = 0x02,
			  .final = true, .itt = ITT(0x201), .cmdsn = 9,
			  .tmf = { .function =
					ISCSI_TM_FUNC_LOGICAL_UNIT_RESET,
				   .rtt = ITT(NO_TAG) } },
	},
	{
		.name = "TMF unknown function left to the caller",
		.raw = { .b = { 0x42, 0xff },
			 .w = { [AT(16)] = 0x202, [AT(20)] = NO_TAG } },
		.want = { .kind = ISPT_PDU_TMF, .opcode = 0x02,
			  .immediate = true, .final = true, .itt = ITT(0x202),
			  .tmf = { .function = 0x7f, .rtt = ITT(NO_TAG) } },
	},
	{
		.name = "Login operational to full feature",
		.raw = { .b = { 0x43, 0x87, 0x00, 0x00 }, .dsl = 300,
			 .w = { [AT(8)] = 0x80123456, [AT(12)] = 0x789a0000,
				[AT(16)] = 1, [AT(20)] = 0x0001ffff,
				[AT(24)] = 1, [AT(28)] = 0 } },
		.want = { .kind = ISPT_PDU_LOGIN, .opcode = 0x03,
			  .immediate = true, .data_len = 300, .itt = ITT(1),
			  .cmdsn = 1,
			  .login = { .transit = true, .csg = 1, .nsg = 3,
				     .isid = { 0x80, 0x12, 0x34, 0x56, 0x78,
					       0x9a },
				     .cid = 1 } },
	},
	{
		.name = "Login security, continued, NSG ignored without T",
		.raw = { .b = { 0x43, 0x43, 0x01, 0x00 }, .dsl = 8192,
			 .w = { [AT(8)] = 0x00023d00, [AT(12)] = 0x00011234,
				[AT(16)] = 2, [AT(20)] = 0x00020000,
				[AT(24)] = 5, [AT(28)] = 6 } },
		.want = { .kind = ISPT_PDU_LOGIN, .opcode = 0x03,
			  .immediate = true, .data_len = 8192, .itt = ITT(2),
			  .cmdsn = 5, .exp_statsn = 6,
			  .login = { .cont = true, .csg = 0, .nsg = 0,
				     .version_max = 1,
				     .isid = { 0x00, 0x02, 0x3d, 0x00, 0x00,
					       0x01 },
				     .tsih = 0x1234, .cid = 2 } },
	},
	{
		.name = "Login security to operational",
		.raw = { .b = { 0x43, 0x81 }, .w = { [AT(16)] = 3 } },
		.want = { .kind = ISPT_PDU_LOGIN, .opcode = 0x03,
			  .immediate = true, .itt = ITT(3),
			  .login = { .transit = true, .csg = 0, .nsg = 1 } },
	},
	{
		.name = "Login security to full feature",
		.raw = { .b = { 0x43, 0x83 }, .w = { [AT(16)] = 4 } },
		.want = { .kind = ISPT_PDU_LOGIN, .opcode = 0x03,
			  .immediate = true, .itt = ITT(4),
			  .login = { .transit = true, .csg = 0, .nsg = 3 } },
	},
	{
		.name = "Text Request final with a LUN",
		.raw = { .b = { 0x44, 0x80 }, .dsl = 20,
			 .w = { [AT(8)] = 0xdeadbeef, [AT(16)] = 0x300,
				[AT(20)] = NO_TAG, [AT(24)] = 12,
				[AT(28)] = 13 } },
		.want = { .kind = ISPT_PDU_TEXT, .opcode = 0x04,
			  .immediate = true, .final = true, .data_len = 20,
			  .itt = ITT(0x300), .lun = 0xdeadbeef00000000ULL,
			  .cmdsn = 12, .exp_statsn = 13,
			  .text = { .ttt = NO_TAG } },
	},
	{
		.name = "Text Request continued",
		.raw = { .b = { 0x04, 0x40 }, .dsl = 8192,
			 .w = { [AT(16)] = 0x301, [AT(20)] = 0x77 } },
		.want = { .kind = ISPT_PDU_TEXT, .opcode = 0x04,
			  .data_len = 8192, .itt = ITT(0x301),
			  .text = { .cont = true, .ttt = 0x77 } },
	},
	{
		.name = "Data-Out, reserved I bit and CmdSN slot ignored",
		.raw = { .b = { 0x45, 0x80 }, .dsl = 8192,
			 .w = { [AT(8)] = 0x00010000, [AT(16)] = 0x400,
				[AT(20)] = 0x77, [AT(24)] = 0xdeadbeef,
				[AT(28)] = 12, [AT(36)] = 3,
				[AT(40)] = 24576 } },
		.want = { .kind = ISPT_PDU_DATA_OUT, .opcode = 0x05,
			  .final = true, .data_len = 8192, .itt = ITT(0x400),
			  .lun = 0x0001000000000000ULL, .exp_statsn = 12,
			  .data = { .ttt = 0x77, .datasn = 3,
				    .offset = 24576 } },
	},
	{
		.name = "Data-Out unsolicited, not final",
		.raw = { .b = { 0x05, 0x00 }, .dsl = 4096,
			 .w = { [AT(16)] = 0x401, [AT(20)] = NO_TAG,
				[AT(40)] = 512 } },
		.want = { .kind = ISPT_PDU_DATA_OUT, .opcode = 0x05,
			  .data_len = 4096, .itt = ITT(0x401),
			  .data = { .ttt = NO_TAG, .offset = 512 } },
	},
	{
		.name = "Logout close session, CID ignored",
		.raw = { .b = { 0x46, 0x80 },
			 .w = { [AT(16)] = 0x500, [AT(20)] = 0x00070000,
				[AT(24)] = 11, [AT(28)] = 13 } },
		.want = { .kind = ISPT_PDU_LOGOUT, .opcode = 0x06,
			  .immediate = true, .final = true, .itt = ITT(0x500),
			  .cmdsn = 11, .exp_statsn = 13,
			  .logout = { .reason = 0, .cid = 0 } },
	},
	{
		.name = "Logout close connection",
		.raw = { .b = { 0x06, 0x81 },
			 .w = { [AT(16)] = 0x501, [AT(20)] = 0x00070000 } },
		.want = { .kind = ISPT_PDU_LOGOUT, .opcode = 0x06,
			  .final = true, .itt = ITT(0x501),
			  .logout = { .reason = 1, .cid = 7 } },
	},
	{
		.name = "Logout remove connection for recovery",
		.raw = { .b = { 0x46, 0x82 },
			 .w = { [AT(16)] = 0x502, [AT(20)] = 0x00030000 } },
		.want = { .kind = ISPT_PDU_LOGOUT, .opcode = 0x06,
			  .immediate = true, .final = true, .itt = ITT(0x502),
			  .logout = { .reason = 2, .cid = 3 } },
	},
	{
		.name = "SNACK Status",
		.raw = { .b = { 0x10, 0x81 },
			 .w = { [AT(16)] = NO_TAG, [AT(24)] = 0xdeadbeef,
				[AT(28)] = 20, [AT(40)] = 5, [AT(44)] = 2 } },
		.want = { .kind = ISPT_PDU_SNACK, .opcode = 0x10,
			  .final = true, .itt = ITT(NO_TAG), .exp_statsn = 20,
			  .snack = { .type = ISCSI_FLAG_SNACK_TYPE_STATUS,
				     .begrun = 5, .runlength = 2 } },
	},
	{
		.name = "SNACK Data, reserved I bit ignored",
		.raw = { .b = { 0x50, 0x80 },
			 .w = { [AT(8)] = 0x00010000, [AT(16)] = 0x600,
				[AT(20)] = NO_TAG, [AT(40)] = 1,
				[AT(44)] = 0 } },
		.want = { .kind = ISPT_PDU_SNACK, .opcode = 0x10,
			  .final = true, .itt = ITT(0x600),
			  .lun = 0x0001000000000000ULL,
			  .snack = { .type = ISCSI_FLAG_SNACK_TYPE_DATA,
				     .ttt = NO_TAG, .begrun = 1 } },
	},
	{
		.name = "SNACK DataACK",
		.raw = { .b = { 0x10, 0x82 },
			 .w = { [AT(16)] = NO_TAG, [AT(20)] = 0x99,
				[AT(40)] = 4 } },
		.want = { .kind = ISPT_PDU_SNACK, .opcode = 0x10,
			  .final = true, .itt = ITT(NO_TAG),
			  .snack = { .type = ISCSI_FLAG_SNACK_TYPE_DATA_ACK,
				     .ttt = 0x99, .begrun = 4 } },
	},
	{
		.name = "SNACK R-Data",
		.raw = { .b = { 0x10, 0x83 },
			 .w = { [AT(16)] = 0x700, [AT(20)] = 0x88 } },
		.want = { .kind = ISPT_PDU_SNACK, .opcode = 0x10,
			  .final = true, .itt = ITT(0x700),
			  .snack = { .type = ISCSI_FLAG_SNACK_TYPE_RDATA,
				     .ttt = 0x88 } },
	},
};

static void decode_ok_desc(const struct decode_ok_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(decode_ok, decode_ok_cases, decode_ok_desc);

static void expect_kind_fields(struct kunit *test,
			       const struct ispt_pdu_summary *got,
			       const struct ispt_pdu_summary *want)
{
	switch (want->kind) {
	case ISPT_PDU_NOP_OUT:
		KUNIT_EXPECT_EQ(test, got->nop.ttt, want->nop.ttt);
		break;
	case ISPT_PDU_SCSI_CMD:
		KUNIT_EXPECT_EQ(test, got->cmd.edtl, want->cmd.edtl);
		KUNIT_EXPECT_EQ(test, got->cmd.read, want->cmd.read);
		KUNIT_EXPECT_EQ(test, got->cmd.write, want->cmd.write);
		KUNIT_EXPECT_EQ(test, got->cmd.bidi, want->cmd.bidi);
		KUNIT_EXPECT_EQ(test, got->cmd.attr, want->cmd.attr);
		KUNIT_EXPECT_EQ(test, memcmp(got->cmd.cdb, want->cmd.cdb,
					     ISCSI_CDB_SIZE), 0);
		break;
	case ISPT_PDU_TMF:
		KUNIT_EXPECT_EQ(test, got->tmf.function, want->tmf.function);
		KUNIT_EXPECT_EQ(test, ITT_VAL(got->tmf.rtt),
				ITT_VAL(want->tmf.rtt));
		KUNIT_EXPECT_EQ(test, got->tmf.refcmdsn, want->tmf.refcmdsn);
		KUNIT_EXPECT_EQ(test, got->tmf.exp_datasn,
				want->tmf.exp_datasn);
		break;
	case ISPT_PDU_LOGIN:
		KUNIT_EXPECT_EQ(test, got->login.transit, want->login.transit);
		KUNIT_EXPECT_EQ(test, got->login.cont, want->login.cont);
		KUNIT_EXPECT_EQ(test, got->login.csg, want->login.csg);
		KUNIT_EXPECT_EQ(test, got->login.nsg, want->login.nsg);
		KUNIT_EXPECT_EQ(test, got->login.version_max,
				want->login.version_max);
		KUNIT_EXPECT_EQ(test, got->login.version_min,
				want->login.version_min);
		KUNIT_EXPECT_EQ(test, memcmp(got->login.isid, want->login.isid,
					     sizeof(got->login.isid)), 0);
		KUNIT_EXPECT_EQ(test, got->login.tsih, want->login.tsih);
		KUNIT_EXPECT_EQ(test, got->login.cid, want->login.cid);
		break;
	case ISPT_PDU_TEXT:
		KUNIT_EXPECT_EQ(test, got->text.cont, want->text.cont);
		KUNIT_EXPECT_EQ(test, got->text.ttt, want->text.ttt);
		break;
	case ISPT_PDU_DATA_OUT:
		KUNIT_EXPECT_EQ(test, got->data.ttt, want->data.ttt);
		KUNIT_EXPECT_EQ(test, got->data.datasn, want->data.datasn);
		KUNIT_EXPECT_EQ(test, got->data.offset, want->data.offset);
		break;
	case ISPT_PDU_LOGOUT:
		KUNIT_EXPECT_EQ(test, got->logout.reason, want->logout.reason);
		KUNIT_EXPECT_EQ(test, got->logout.cid, want->logout.cid);
		break;
	case ISPT_PDU_SNACK:
		KUNIT_EXPECT_EQ(test, got->snack.type, want->snack.type);
		KUNIT_EXPECT_EQ(test, got->snack.ttt, want->snack.ttt);
		KUNIT_EXPECT_EQ(test, got->snack.begrun, want->snack.begrun);
		KUNIT_EXPECT_EQ(test, got->snack.runlength,
				want->snack.runlength);
		break;
	case ISPT_PDU_NR_KINDS:
		KUNIT_FAIL(test, "bad kind in the table");
		break;
	}
}

static void ispt_pdu_decode_ok_test(struct kunit *test)
{
	const struct decode_ok_case *c = test->param_value;
	const struct ispt_pdu_summary *want = &c->want;
	struct ispt_pdu_summary got;
	struct iscsi_hdr bhs;

	raw_to_bhs(&c->raw, &bhs);
	memset(&got, 0xa5, sizeof(got));
	KUNIT_ASSERT_EQ(test, ispt_pdu_decode(&bhs, &got),
			ISPT_PDU_REJECT_NONE);
	KUNIT_EXPECT_EQ(test, got.kind, want->kind);
	KUNIT_EXPECT_EQ(test, got.opcode, want->opcode);
	KUNIT_EXPECT_EQ(test, got.immediate, want->immediate);
	KUNIT_EXPECT_EQ(test, got.final, want->final);
	KUNIT_EXPECT_EQ(test, got.ahs_len, want->ahs_len);
	KUNIT_EXPECT_EQ(test, got.data_len, want->data_len);
	KUNIT_EXPECT_EQ(test, ITT_VAL(got.itt), ITT_VAL(want->itt));
	KUNIT_EXPECT_EQ(test, got.lun, want->lun);
	KUNIT_EXPECT_EQ(test, got.cmdsn, want->cmdsn);
	KUNIT_EXPECT_EQ(test, got.exp_statsn, want->exp_statsn);
	expect_kind_fields(test, &got, want);
}

/* ---- decode: rejected PDUs ---- */

struct decode_bad_case {
	const char		*name;
	struct raw_bhs		raw;
	enum ispt_pdu_reject	want;
};

#define PROTO	ISPT_PDU_REJECT_PROTOCOL_ERROR
#define FIELD	ISPT_PDU_REJECT_INVALID_PDU_FIELD

static const struct decode_bad_case decode_bad_cases[] = {
	{ "NOP-Out wanting no reply but not immediate",
	  { .b = { 0x00, 0x80 }, .w = { [AT(16)] = NO_TAG } }, PROTO },
	{ "SCSI Command with the reserved ITT",
	  { .b = { 0x01, 0xc1 },
	    .w = { [AT(16)] = NO_TAG, [AT(20)] = 512 } }, FIELD },
	{ "SCSI Command with W=0 and F=0",
	  { .b = { 0x01, 0x41 }, .w = { [AT(20)] = 512 } }, PROTO },
	{ "SCSI Command expecting data without R or W",
	  { .b = { 0x01, 0x81 }, .w = { [AT(20)] = 512 } }, FIELD },
	{ "SCSI Command read carrying immediate data",
	  { .b = { 0x01, 0xc1 }, .dsl = 512, .w = { [AT(20)] = 512 } },
	  FIELD },
	{ "SCSI Command without data carrying a data segment",
	  { .b = { 0x01, 0x81 }, .dsl = 4 }, FIELD },
	{ "SCSI Command immediate data beyond EDTL",
	  { .b = { 0x01, 0xa1 }, .dsl = 1024, .w = { [AT(20)] = 512 } },
	  FIELD },
	{ "SCSI Command F=0 with all its data immediate",
	  { .b = { 0x01, 0x21 }, .dsl = 512, .w = { [AT(20)] = 512 } },
	  PROTO },
	{ "SCSI Command write of 0 bytes with F=0",
	  { .b = { 0x01, 0x21 } }, PROTO },
	{ "TMF with the reserved ITT",
	  { .b = { 0x42, 0x81 }, .w = { [AT(16)] = NO_TAG } }, FIELD },
	{ "Login with T and C",
	  { .b = { 0x43, 0xc7 } }, PROTO },
	{ "Login in reserved stage 2",
	  { .b = { 0x43, 0x08 } }, FIELD },
	{ "Login in full feature stage",
	  { .b = { 0x43, 0x0c } }, FIELD },
	{ "Login to reserved stage 2",
	  { .b = { 0x43, 0x86 } }, FIELD },
	{ "Login from operational back to security",
	  { .b = { 0x43, 0x84 } }, FIELD },
	{ "Login from operational to operational",
	  { .b = { 0x43, 0x85 } }, FIELD },
	{ "Login from security to security",
	  { .b = { 0x43, 0x80 } }, FIELD },
	{ "Login with the reserved ITT",
	  { .b = { 0x43, 0x87 }, .w = { [AT(16)] = NO_TAG } }, FIELD },
	{ "Text with C and F",
	  { .b = { 0x44, 0xc0 } }, PROTO },
	{ "Text with the reserved ITT",
	  { .b = { 0x44, 0x80 }, .w = { [AT(16)] = NO_TAG } }, FIELD },
	{ "Data-Out with the reserved ITT",
	  { .b = { 0x05, 0x80 }, .dsl = 512, .w = { [AT(16)] = NO_TAG } },
	  FIELD },
	{ "Logout reason 3",
	  { .b = { 0x46, 0x83 } }, FIELD },
	{ "Logout reason 127",
	  { .b = { 0x46, 0xff } }, FIELD },
	{ "Logout with the reserved ITT",
	  { .b = { 0x46, 0x80 }, .w = { [AT(16)] = NO_TAG } }, FIELD },
	{ "SNACK type 4",
	  { .b = { 0x10, 0x84 } }, FIELD },
	{ "SNACK type 15",
	  { .b = { 0x10, 0x8f } }, FIELD },
	{ "Data SNACK with the reserved ITT",
	  { .b = { 0x10, 0x80 }, .w = { [AT(16)] = NO_TAG } }, FIELD },
	{ "R-Data SNACK with the reserved ITT",
	  { .b = { 0x10, 0x83 }, .w = { [AT(16)] = NO_TAG } }, FIELD },
};

static void decode_bad_desc(const struct decode_bad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(decode_bad, decode_bad_cases, decode_bad_desc);

static void ispt_pdu_decode_bad_test(struct kunit *test)
{
	const struct decode_bad_case *c = test->param_value;
	struct ispt_pdu_summary s;
	struct iscsi_hdr bhs;

	raw_to_bhs(&c->raw, &bhs);
	KUNIT_EXPECT_EQ(test, ispt_pdu_decode(&bhs, &s), c->want);
	/* What a Reject or Login Response needs is still decoded. */
	KUNIT_EXPECT_EQ(test, s.opcode, c->raw.b[0] & ISCSI_OPCODE_MASK);
	KUNIT_EXPECT_EQ(test, ITT_VAL(s.itt), c->raw.w[AT(16)]);
	KUNIT_EXPECT_EQ(test, s.data_len, c->raw.dsl);
}

/* ---- decode: opcodes that are not ours to receive ---- */

struct opcode_case {
	u8			byte0;
	enum ispt_pdu_reject	want;
};

#define NOT_SUPP	ISPT_PDU_REJECT_CMD_NOT_SUPPORTED

static const struct opcode_case opcode_cases[] = {
	/* Target opcodes, as an initiator must never send them. */
	{ ISCSI_OP_NOOP_IN, PROTO },
	{ ISCSI_OP_SCSI_CMD_RSP, PROTO },
	{ ISCSI_OP_SCSI_TMFUNC_RSP, PROTO },
	{ ISCSI_OP_LOGIN_RSP, PROTO },
	{ ISCSI_OP_TEXT_RSP, PROTO },
	{ ISCSI_OP_SCSI_DATA_IN, PROTO },
	{ ISCSI_OP_LOGOUT_RSP, PROTO },
	{ ISCSI_OP_R2T, PROTO },
	{ ISCSI_OP_ASYNC_EVENT, PROTO },
	{ ISCSI_OP_REJECT, PROTO },
	{ ISCSI_OP_IMMEDIATE | ISCSI_OP_SCSI_CMD_RSP, PROTO },
	{ 0x3c, PROTO },	/* target vendor-specific */
	{ 0x3e, PROTO },
	{ 0x27, PROTO },	/* undefined, target range */
	{ 0x30, PROTO },
	/* Initiator range: vendor-specific and undefined. */
	{ ISCSI_OP_VENDOR1_CMD, NOT_SUPP },
	{ ISCSI_OP_VENDOR2_CMD, NOT_SUPP },
	{ ISCSI_OP_VENDOR3_CMD, NOT_SUPP },
	{ ISCSI_OP_IMMEDIATE | ISCSI_OP_VENDOR1_CMD, NOT_SUPP },
	{ 0x80 | ISCSI_OP_VENDOR2_CMD, NOT_SUPP },
	{ 0x07, NOT_SUPP },
	{ 0x0f, NOT_SUPP },
	{ 0x11, NOT_SUPP },
	{ 0x1f, NOT_SUPP },
};

static void opcode_desc(const struct opcode_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "byte 0 = 0x%02x", c->byte0);
}

KUNIT_ARRAY_PARAM(opcode, opcode_cases, opcode_desc);

static void ispt_pdu_decode_opcode_test(struct kunit *test)
{
	const struct opcode_case *c = test->param_value;
	struct raw_bhs raw = { .b = { c->byte0, 0x80 }, .dsl = 48,
			       .w = { [AT(16)] = 9 } };
	struct ispt_pdu_summary s;
	struct iscsi_hdr bhs;

	raw_to_bhs(&raw, &bhs);
	KUNIT_EXPECT_EQ(test, ispt_pdu_decode(&bhs, &s), c->want);
	KUNIT_EXPECT_EQ(test, s.opcode, c->byte0 & ISCSI_OPCODE_MASK);
	KUNIT_EXPECT_EQ(test, s.data_len, 48U);
}

/* Every value of byte 0: exactly the 8 initiator opcodes decode. */
static void ispt_pdu_decode_all_opcodes_test(struct kunit *test)
{
	static const struct {
		u8			op;
		enum ispt_pdu_kind	kind;
		bool			has_i_bit;
	} initiator[] = {
		{ ISCSI_OP_NOOP_OUT, ISPT_PDU_NOP_OUT, true },
		{ ISCSI_OP_SCSI_CMD, ISPT_PDU_SCSI_CMD, true },
		{ ISCSI_OP_SCSI_TMFUNC, ISPT_PDU_TMF, true },
		{ ISCSI_OP_LOGIN, ISPT_PDU_LOGIN, true },
		{ ISCSI_OP_TEXT, ISPT_PDU_TEXT, true },
		{ ISCSI_OP_SCSI_DATA_OUT, ISPT_PDU_DATA_OUT, false },
		{ ISCSI_OP_LOGOUT, ISPT_PDU_LOGOUT, true },
		{ ISCSI_OP_SNACK, ISPT_PDU_SNACK, false },
	};
	int accepted = 0;
	int byte0, i;

	for (byte0 = 0; byte0 < 256; byte0++) {
		u8 op = byte0 & ISCSI_OPCODE_MASK;
		/* Login's 0x80 would be T to stage 0: keep it in stage 0. */
		struct raw_bhs raw = {
			.b = { byte0, op == ISCSI_OP_LOGIN ? 0x00 : 0x81 },
			.w = { [AT(16)] = 1 },
		};
		enum ispt_pdu_reject want = op & 0x20 ? PROTO : NOT_SUPP;
		struct ispt_pdu_summary s;
		struct iscsi_hdr bhs;
		enum ispt_pdu_reject got;

		raw_to_bhs(&raw, &bhs);
		got = ispt_pdu_decode(&bhs, &s);
		for (i = 0; i < ARRAY_SIZE(initiator); i++) {
			if (initiator[i].op != op)
				continue;
			want = ISPT_PDU_REJECT_NONE;
			KUNIT_EXPECT_EQ(test, s.kind, initiator[i].kind);
			KUNIT_EXPECT_EQ_MSG(test, s.immediate,
					    initiator[i].has_i_bit &&
					    (byte0 & ISCSI_OP_IMMEDIATE),
					    "byte 0 = 0x%02x", byte0);
		}
		KUNIT_EXPECT_EQ_MSG(test, got, want, "byte 0 = 0x%02x", byte0);
		if (got == ISPT_PDU_REJECT_NONE)
			accepted++;
	}
	/* 8 opcodes, each with any value of the I bit and reserved bit 7. */
	KUNIT_EXPECT_EQ(test, accepted, 8 * 4);
}

/* ---- lengths against the caller's limits ---- */

struct lengths_case {
	const char		*name;
	u8			ahs_words;
	u32			dsl;
	u32			max_dsl;
	u32			max_ahs;
	enum ispt_pdu_reject	want;
};

static const struct lengths_case lengths_cases[] = {
	{ "nothing", 0, 0, 8192, 0, ISPT_PDU_REJECT_NONE },
	{ "data at the limit", 0, 8192, 8192, 0, ISPT_PDU_REJECT_NONE },
	{ "data one past the limit", 0, 8193, 8192, 0, PROTO },
	{ "largest data against 256 KiB", 0, ISPT_PDU_MAX_DSL, 262144, 0,
	  PROTO },
	{ "largest data against largest limit", 0, ISPT_PDU_MAX_DSL,
	  ISPT_PDU_MAX_DSL, 0, ISPT_PDU_REJECT_NONE },
	{ "largest AHS allowed", 255, 0, 8192, ISPT_PDU_MAX_AHS_LEN,
	  ISPT_PDU_REJECT_NONE },
	{ "largest AHS against 16 bytes", 255, 0, 8192, 16, PROTO },
	{ "one AHS word when none allowed", 1, 0, 8192, 0, PROTO },
	{ "AHS at the limit", 4, 0, 8192, 16, ISPT_PDU_REJECT_NONE },
	{ "both too large", 255, ISPT_PDU_MAX_DSL, 8192, 0, PROTO },
};

static void lengths_desc(const struct lengths_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lengths, lengths_cases, lengths_desc);

static void ispt_pdu_check_lengths_test(struct kunit *test)
{
	const struct lengths_case *c = test->param_value;
	/* A write expecting 4 GiB - 1, so any data segment is legal. */
	struct raw_bhs raw = { .b = { 0x01, 0xa1 }, .ahs_words = c->ahs_words,
			       .dsl = c->dsl,
			       .w = { [AT(16)] = 1, [AT(20)] = U32_MAX } };
	struct ispt_pdu_summary s;
	struct iscsi_hdr bhs;

	raw_to_bhs(&raw, &bhs);
	KUNIT_ASSERT_EQ(test, ispt_pdu_decode(&bhs, &s), ISPT_PDU_REJECT_NONE);
	KUNIT_EXPECT_EQ(test, s.ahs_len, c->ahs_words * 4U);
	KUNIT_EXPECT_EQ(test, s.data_len, c->dsl);
	KUNIT_EXPECT_EQ(test, ispt_pdu_check_lengths(&s, c->max_dsl,
						     c->max_ahs), c->want);
}

/* ---- unsolicited data against the session keys ---- */

struct unsol_case {
	const char		*name;
	bool			final;
	u32			edtl;
	u32			dsl;
	bool			immediate_data;
	bool			initial_r2t;
	u32			first_burst;
	enum ispt_pdu_reject	want;
};

static const struct unsol_case unsol_cases[] = {
	{ "immediate data allowed", true, 4096, 512, true, true, 65536,
	  ISPT_PDU_REJECT_NONE },
	{ "immediate data when ImmediateData=No", true, 4096, 512, false,
	  true, 65536, PROTO },
	{ "no immediate data when ImmediateData=No", true, 4096, 0, false,
	  true, 65536, ISPT_PDU_REJECT_NONE },
	{ "immediate data at FirstBurstLength", true, 131072, 65536, true,
	  true, 65536, ISPT_PDU_REJECT_NONE },
	{ "immediate data past FirstBurstLength", true, 131072, 65537, true,
	  true, 65536, PROTO },
	{ "F=0 when InitialR2T=Yes", false, 131072, 512, true, true, 65536,
	  PROTO },
	{ "F=0 when InitialR2T=No", false, 131072, 512, true, false, 65536,
	  ISPT_PDU_REJECT_NONE },
	{ "F=0 with the first burst already full", false, 131072, 65536,
	  true, false, 65536, PROTO },
	{ "F=0 with EDTL below FirstBurstLength already sent", false, 1024,
	  1024, true, false, 65536, PROTO },
};

static void unsol_desc(const struct unsol_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(unsol, unsol_cases, unsol_desc);

static void ispt_pdu_check_unsolicited_test(struct kunit *test)
{
	const struct unsol_case *c = test->param_value;
	struct ispt_pdu_summary s = {
		.kind = ISPT_PDU_SCSI_CMD, .opcode = ISCSI_OP_SCSI_CMD,
		.final = c->final, .data_len = c->dsl,
		.cmd = { .edtl = c->edtl, .write = true },
	};

	KUNIT_EXPECT_EQ(test, ispt_pdu_check_unsolicited(&s, c->immediate_data,
							 c->initial_r2t,
							 c->first_burst),
			c->want);
	/* Reads and other PDUs have no unsolicited data to judge. */
	s.cmd.write = false;
	KUNIT_EXPECT_EQ(test, ispt_pdu_check_unsolicited(&s, false, true, 0),
			ISPT_PDU_REJECT_NONE);
	s.kind = ISPT_PDU_NOP_OUT;
	KUNIT_EXPECT_EQ(test, ispt_pdu_check_unsolicited(&s, false, true, 0),
			ISPT_PDU_REJECT_NONE);
}

/* ---- AHS ---- */

struct ahs_case {
	const char		*name;
	u8			bytes[256];
	u32			len;
	enum ispt_pdu_reject	want;
	u16			ecdb_len;	/* 0: no Extended CDB */
	bool			has_bidi;
	u32			bidi_read_len;
};

static const struct ahs_case ahs_cases[] = {
	{ .name = "none", .len = 0, .want = ISPT_PDU_REJECT_NONE },
	{ .name = "bidi read length",
	  .bytes = { 0x00, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00 },
	  .len = 8, .want = ISPT_PDU_REJECT_NONE,
	  .has_bidi = true, .bidi_read_len = 65536 },
	{ .name = "bidi read length, reserved type bits ignored",
	  .bytes = { 0x00, 0x05, 0xc2, 0x00, 0x12, 0x34, 0x56, 0x78 },
	  .len = 8, .want = ISPT_PDU_REJECT_NONE,
	  .has_bidi = true, .bidi_read_len = 0x12345678 },
	{ .name = "32-byte CDB",
	  .bytes = { 0x00, 0x11, 0x01, 0x00, [4 ... 19] = 0xcd },
	  .len = 20, .want = ISPT_PDU_REJECT_NONE, .ecdb_len = 16 },
	{ .name = "17-byte CDB padded",
	  .bytes = { 0x00, 0x02, 0x01, 0x00, 0xcd },
	  .len = 8, .want = ISPT_PDU_REJECT_NONE, .ecdb_len = 1 },
	{ .name = "Extended CDB and bidi read length",
	  .bytes = { 0x00, 0x11, 0x01, 0x00, [4 ... 19] = 0xcd,
		     [20] = 0x00, 0x05, 0x02, 0x00, 0x00, 0x00, 0x10, 0x00 },
	  .len = 28, .want = ISPT_PDU_REJECT_NONE, .ecdb_len = 16,
	  .has_bidi = true, .bidi_read_len = 4096 },
	{ .name = "largest Extended CDB",
	  .bytes = { 0x00, 245, 0x01, 0x00 },
	  .len = 248, .want = ISPT_PDU_REJECT_NONE, .ecdb_len = 244 },
	{ .name = "Extended CDB past 260 bytes",
	  .bytes = { 0x00, 246, 0x01, 0x00 },
	  .len = 252, .want = FIELD },
	{ .name = "Extended CDB without CDB bytes",
	  .bytes = { 0x00, 0x01, 0x01, 0x00 },
	  .len = 4, .want = FIELD },
	{ .name = "AHS running past the end",
	  .bytes = { 0x00, 0x20, 0x01, 0x00 },
	  .len = 8, .want = PROTO },
	{ .name = "AHSLength 0xffff",
	  .bytes = { 0xff, 0xff, 0x01, 0x00 },
	  .len = 8, .want = PROTO },
	{ .name = "length not in words",
	  .bytes = { 0x00, 0x05, 0x02, 0x00, 0x00, 0x00 },
	  .len = 6, .want = PROTO },
	{ .name = "reserved type 0",
	  .bytes = { 0x00, 0x01, 0x00, 0x00 },
	  .len = 4, .want = FIELD },
	{ .name = "unknown type 3",
	  .bytes = { 0x00, 0x01, 0x03, 0x00 },
	  .len = 4, .want = FIELD },
	{ .name = "bidi read length twice",
	  .bytes = { 0x00, 0x05, 0x02, 0x00, 0x00, 0x00, 0x10, 0x00,
		     0x00, 0x05, 0x02, 0x00, 0x00, 0x00, 0x20, 0x00 },
	  .len = 16, .want = FIELD },
	{ .name = "bidi read length of the wrong size",
	  .bytes = { 0x00, 0x04, 0x02, 0x00, 0x00, 0x00, 0x10, 0x00 },
	  .len = 8, .want = FIELD },
	{ .name = "Extended CDB twice",
	  .bytes = { 0x00, 0x02, 0x01, 0x00, 0xcd, 0, 0, 0,
		     0x00, 0x02, 0x01, 0x00, 0xcd, 0, 0, 0 },
	  .len = 16, .want = FIELD },
};

static void ahs_desc(const struct ahs_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ahs, ahs_cases, ahs_desc);

static void ispt_pdu_parse_ahs_test(struct kunit *test)
{
	const struct ahs_case *c = test->param_value;
	struct ispt_pdu_ahs out;

	KUNIT_ASSERT_EQ(test, ispt_pdu_parse_ahs(c->bytes, c->len, &out),
			c->want);
	if (c->want != ISPT_PDU_REJECT_NONE)
		return;
	KUNIT_EXPECT_EQ(test, out.ecdb_len, c->ecdb_len);
	if (c->ecdb_len)
		KUNIT_EXPECT_PTR_EQ(test, out.ecdb, &c->bytes[4]);
	else
		KUNIT_EXPECT_NULL(test, out.ecdb);
	KUNIT_EXPECT_EQ(test, out.has_bidi_read_len, c->has_bidi);
	KUNIT_EXPECT_EQ(test, out.bidi_read_len, c->bidi_read_len);
}

/* ---- builders ---- */

/* A BHS pre-filled with junk that every builder must overwrite. */
static void junk_bhs(struct iscsi_hdr *bhs)
{
	memset(bhs, 0xa5, sizeof(*bhs));
}

/*
 * Compare a built BHS with the RFC drawing, byte for byte, and check the
 * decoder refuses it: target PDUs must never be taken as requests.
 */
static void expect_bhs(struct kunit *test, const struct iscsi_hdr *got,
		       const struct raw_bhs *want)
{
	struct ispt_pdu_summary s;
	struct iscsi_hdr w;
	const u8 *g = (const u8 *)got, *e = (const u8 *)&w;
	int i;

	raw_to_bhs(want, &w);
	KUNIT_EXPECT_EQ(test, memcmp(g, e, ISPT_PDU_BHS_LEN), 0);
	for (i = 0; i < ISPT_PDU_BHS_LEN; i++)
		if (g[i] != e[i])
			KUNIT_FAIL(test, "byte %d: got 0x%02x, want 0x%02x",
				   i, g[i], e[i]);
	KUNIT_EXPECT_EQ(test, ispt_pdu_decode(got, &s), PROTO);
}

struct scsi_rsp_case {
	const char			*name;
	struct ispt_pdu_scsi_rsp_args	args;
	struct raw_bhs			want;
};

static const struct scsi_rsp_case scsi_rsp_cases[] = {
	{ "good",
	  { .itt = ITT(0xabc), .exp_datasn = 3 },
	  { .b = { 0x21, 0x80, 0x00, 0x00 },
	    .w = { [AT(16)] = 0xabc, [AT(36)] = 3 }, .sn = RAW_SN_ALL } },
	{ "check condition with sense and underflow",
	  { .itt = ITT(0xabd), .status = 0x02, .data_len = 20,
	    .residual = { .count = 3584, .underflow = true } },
	  { .b = { 0x21, 0x82, 0x00, 0x02 }, .dsl = 20,
	    .w = { [AT(16)] = 0xabd, [AT(44)] = 3584 }, .sn = RAW_SN_ALL } },
	{ "overflow and bidi underflow",
	  { .itt = ITT(0xabe), .exp_datasn = 9,
	    .residual = { .count = 100, .overflow = true },
	    .bidi_residual = { .count = 200, .underflow = true } },
	  { .b = { 0x21, 0x8c, 0x00, 0x00 },
	    .w = { [AT(16)] = 0xabe, [AT(36)] = 9,
		   [AT(40)] = 200, [AT(44)] = 100 }, .sn = RAW_SN_ALL } },
	{ "bidi overflow",
	  { .itt = ITT(0xabf),
	    .bidi_residual = { .count = 5, .overflow = true } },
	  { .b = { 0x21, 0x90 },
	    .w = { [AT(16)] = 0xabf, [AT(40)] = 5 }, .sn = RAW_SN_ALL } },
	{ "target failure",
	  { .itt = ITT(0xac0), .response = ISCSI_STATUS_TARGET_FAILURE },
	  { .b = { 0x21, 0x80, 0x01, 0x00 },
	    .w = { [AT(16)] = 0xac0 }, .sn = RAW_SN_ALL } },
	{ "count without O or U is not sent",
	  { .itt = ITT(0xac1), .residual = { .count = 99 },
	    .bidi_residual = { .count = 98 } },
	  { .b = { 0x21, 0x80 }, .w = { [AT(16)] = 0xac1 },
	    .sn = RAW_SN_ALL } },
};

static void scsi_rsp_desc(const struct scsi_rsp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(scsi_rsp, scsi_rsp_cases, scsi_rsp_desc);

static void ispt_pdu_build_scsi_rsp_test(struct kunit *test)
{
	const struct scsi_rsp_case *c = test->param_value;
	struct iscsi_hdr bhs;
	const struct iscsi_scsi_rsp *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_scsi_rsp(&bhs, &c->args, &test_sn);
	expect_bhs(test, &bhs, &c->want);
	/* Read back through iscsi_proto.h, as an initiator would. */
	KUNIT_EXPECT_EQ(test, h->opcode, ISCSI_OP_SCSI_CMD_RSP);
	KUNIT_EXPECT_EQ(test, ITT_VAL(h->itt), ITT_VAL(c->args.itt));
	KUNIT_EXPECT_EQ(test, h->cmd_status, c->args.status);
	KUNIT_EXPECT_EQ(test, ntoh24(h->dlength), c->args.data_len);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->statsn), test_sn.statsn);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->exp_cmdsn), test_sn.exp_cmdsn);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->max_cmdsn), test_sn.max_cmdsn);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->exp_datasn), c->args.exp_datasn);
}

struct data_in_case {
	const char			*name;
	struct ispt_pdu_data_in_args	args;
	struct raw_bhs			want;
};

static const struct data_in_case data_in_cases[] = {
	{ "middle of a burst",
	  { .itt = ITT(0x10), .lun = 0x0001000000000000ULL, .ttt = NO_TAG,
	    .datasn = 2, .offset = 16384, .data_len = 8192 },
	  { .b = { 0x25, 0x00 }, .dsl = 8192,
	    .w = { [AT(8)] = 0x00010000, [AT(16)] = 0x10,
		   [AT(20)] = NO_TAG, [AT(36)] = 2,
		   [AT(40)] = 16384 }, .sn = RAW_SN_WINDOW } },
	{ "end of a burst",
	  { .itt = ITT(0x11), .ttt = NO_TAG, .datasn = 7, .offset = 262144,
	    .data_len = 512, .final = true },
	  { .b = { 0x25, 0x80 }, .dsl = 512,
	    .w = { [AT(16)] = 0x11, [AT(20)] = NO_TAG,
		   [AT(36)] = 7, [AT(40)] = 262144 }, .sn = RAW_SN_WINDOW } },
	{ "status with underflow forces F",
	  { .itt = ITT(0x12), .ttt = NO_TAG, .datasn = 8, .data_len = 100,
	    .has_status = true, .status = 0x00,
	    .residual = { .count = 412, .underflow = true } },
	  { .b = { 0x25, 0x83, 0x00, 0x00 }, .dsl = 100,
	    .w = { [AT(16)] = 0x12, [AT(20)] = NO_TAG,
		   [AT(36)] = 8, [AT(44)] = 412 }, .sn = RAW_SN_ALL } },
	{ "status with overflow",
	  { .itt = ITT(0x13), .ttt = NO_TAG, .data_len = 4096,
	    .final = true, .has_status = true, .status = 0x02,
	    .residual = { .count = 4096, .overflow = true } },
	  { .b = { 0x25, 0x85, 0x00, 0x02 }, .dsl = 4096,
	    .w = { [AT(16)] = 0x13, [AT(20)] = NO_TAG,
		   [AT(44)] = 4096 }, .sn = RAW_SN_ALL } },
	{ "A bit with a TTT",
	  { .itt = ITT(0x14), .lun = 0x0002000000000000ULL, .ttt = 0x42,
	    .datasn = 1, .offset = 8192, .data_len = 8192, .final = true,
	    .ack = true },
	  { .b = { 0x25, 0xc0 }, .dsl = 8192,
	    .w = { [AT(8)] = 0x00020000, [AT(16)] = 0x14, [AT(20)] = 0x42,
		   [AT(36)] = 1, [AT(40)] = 8192 },
	    .sn = RAW_SN_WINDOW } },
	{ "status fields not sent without S",
	  { .itt = ITT(0x15), .ttt = NO_TAG, .data_len = 1, .status = 0x02,
	    .residual = { .count = 512, .underflow = true } },
	  { .b = { 0x25, 0x00 }, .dsl = 1,
	    .w = { [AT(16)] = 0x15, [AT(20)] = NO_TAG },
	    .sn = RAW_SN_WINDOW } },
};

static void data_in_desc(const struct data_in_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(data_in, data_in_cases, data_in_desc);

static void ispt_pdu_build_data_in_test(struct kunit *test)
{
	const struct data_in_case *c = test->param_value;
	struct iscsi_hdr bhs;
	const struct iscsi_data_rsp *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_data_in(&bhs, &c->args, &test_sn);
	expect_bhs(test, &bhs, &c->want);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->datasn), c->args.datasn);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->offset), c->args.offset);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->ttt), c->args.ttt);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&h->lun), c->args.lun);
	KUNIT_EXPECT_EQ(test, !!(h->flags & ISCSI_FLAG_DATA_STATUS),
			c->args.has_status);
}

static void ispt_pdu_build_r2t_test(struct kunit *test)
{
	static const struct ispt_pdu_r2t r2t = {
		.r2tsn = 4, .offset = 262144, .length = 65536,
	};
	static const struct raw_bhs want = {
		.b = { 0x31, 0x80 },
		.w = { [AT(8)] = 0x00030000, [AT(12)] = 0x00000001,
		       [AT(16)] = 0x20, [AT(20)] = 0x1001,
		       [AT(36)] = 4, [AT(40)] = 262144, [AT(44)] = 65536 },
		.sn = RAW_SN_ALL,
	};
	struct iscsi_hdr bhs;
	const struct iscsi_r2t_rsp *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_r2t(&bhs, ITT(0x20), 0x0003000000000001ULL, 0x1001,
			   &r2t, &test_sn);
	expect_bhs(test, &bhs, &want);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->r2tsn), r2t.r2tsn);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->data_offset), r2t.offset);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->data_length), r2t.length);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->ttt), 0x1001U);
}

static void ispt_pdu_build_nop_in_test(struct kunit *test)
{
	static const struct raw_bhs reply = {
		.b = { 0x20, 0x80 }, .dsl = 16,
		.w = { [AT(16)] = 0x30, [AT(20)] = NO_TAG },
		.sn = RAW_SN_ALL,
	};
	static const struct raw_bhs ping = {
		.b = { 0x20, 0x80 },
		.w = { [AT(8)] = 0x00010000, [AT(16)] = NO_TAG,
		       [AT(20)] = 0x5 },
		.sn = RAW_SN_ALL,
	};
	struct iscsi_hdr bhs;
	const struct iscsi_nopin *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_nop_in(&bhs, ITT(0x30), NO_TAG, 0, 16, &test_sn);
	expect_bhs(test, &bhs, &reply);
	KUNIT_EXPECT_EQ(test, ntoh24(h->dlength), 16);

	junk_bhs(&bhs);
	ispt_pdu_build_nop_in(&bhs, RESERVED_ITT, 0x5, 0x0001000000000000ULL,
			      0, &test_sn);
	expect_bhs(test, &bhs, &ping);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->ttt), 0x5U);
}

struct login_rsp_case {
	const char			*name;
	struct ispt_pdu_login_rsp_args	args;
	struct raw_bhs			want;
};

static const struct login_rsp_case login_rsp_cases[] = {
	{ "to full feature phase",
	  { .itt = ITT(1), .isid = { 0x80, 0x12, 0x34, 0x56, 0x78, 0x9a },
	    .tsih = 0x0102, .transit = true, .csg = 1, .nsg = 3,
	    .data_len = 200 },
	  { .b = { 0x23, 0x87, 0x00, 0x00 }, .dsl = 200,
	    .w = { [AT(8)] = 0x80123456, [AT(12)] = 0x789a0102,
		   [AT(16)] = 1 }, .sn = RAW_SN_ALL } },
	{ "authentication failure, NSG dropped without T",
	  { .itt = ITT(2), .isid = { 0x00, 0x02, 0x3d, 0x00, 0x00, 0x01 },
	    .csg = 0, .nsg = 3,
	    .status_class = ISCSI_STATUS_CLS_INITIATOR_ERR,
	    .status_detail = ISCSI_LOGIN_STATUS_AUTH_FAILED },
	  { .b = { 0x23, 0x00 },
	    .w = { [AT(8)] = 0x00023d00, [AT(12)] = 0x00010000,
		   [AT(16)] = 2, [AT(36)] = 0x02010000 }, .sn = RAW_SN_ALL } },
	{ "continued text in security stage",
	  { .itt = ITT(3), .cont = true, .version_max = 1,
	    .version_active = 0, .data_len = 8192 },
	  { .b = { 0x23, 0x40, 0x01, 0x00 }, .dsl = 8192,
	    .w = { [AT(16)] = 3 }, .sn = RAW_SN_ALL } },
	{ "target moved, security to operational",
	  { .itt = ITT(4), .transit = true, .csg = 0, .nsg = 1,
	    .status_class = ISCSI_STATUS_CLS_REDIRECT,
	    .status_detail = ISCSI_LOGIN_STATUS_TGT_MOVED_TEMP },
	  { .b = { 0x23, 0x81 },
	    .w = { [AT(16)] = 4, [AT(36)] = 0x01010000 }, .sn = RAW_SN_ALL } },
};

static void login_rsp_desc(const struct login_rsp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(login_rsp, login_rsp_cases, login_rsp_desc);

static void ispt_pdu_build_login_rsp_test(struct kunit *test)
{
	const struct login_rsp_case *c = test->param_value;
	struct iscsi_hdr bhs;
	const struct iscsi_login_rsp *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_login_rsp(&bhs, &c->args, &test_sn);
	expect_bhs(test, &bhs, &c->want);
	KUNIT_EXPECT_EQ(test, be16_to_cpu(h->tsih), c->args.tsih);
	KUNIT_EXPECT_EQ(test, memcmp(h->isid, c->args.isid, 6), 0);
	KUNIT_EXPECT_EQ(test, h->status_class, c->args.status_class);
	KUNIT_EXPECT_EQ(test, h->status_detail, c->args.status_detail);
	KUNIT_EXPECT_EQ(test, ISCSI_LOGIN_CURRENT_STAGE(h->flags),
			(int)c->args.csg);
}

static void ispt_pdu_build_text_rsp_test(struct kunit *test)
{
	static const struct raw_bhs more = {
		.b = { 0x24, 0x40 }, .dsl = 8192,
		.w = { [AT(16)] = 0x40, [AT(20)] = 0x2000 },
		.sn = RAW_SN_ALL,
	};
	static const struct raw_bhs last = {
		.b = { 0x24, 0x80 }, .dsl = 10,
		.w = { [AT(16)] = 0x41, [AT(20)] = NO_TAG },
		.sn = RAW_SN_ALL,
	};
	struct iscsi_hdr bhs;
	const struct iscsi_text_rsp *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_text_rsp(&bhs, ITT(0x40), 0x2000, false, true, 8192,
				&test_sn);
	expect_bhs(test, &bhs, &more);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->ttt), 0x2000U);

	junk_bhs(&bhs);
	ispt_pdu_build_text_rsp(&bhs, ITT(0x41), NO_TAG, true, false, 10,
				&test_sn);
	expect_bhs(test, &bhs, &last);
	KUNIT_EXPECT_EQ(test, ntoh24(h->dlength), 10);
}

static void ispt_pdu_build_logout_rsp_test(struct kunit *test)
{
	static const struct raw_bhs want = {
		.b = { 0x26, 0x80, 0x00, 0x00 },
		.w = { [AT(16)] = 0x50, [AT(40)] = 0x00020014 },
		.sn = RAW_SN_ALL,
	};
	static const struct raw_bhs not_found = {
		.b = { 0x26, 0x80, 0x01, 0x00 },
		.w = { [AT(16)] = 0x51 },
		.sn = RAW_SN_ALL,
	};
	struct iscsi_hdr bhs;
	const struct iscsi_logout_rsp *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_logout_rsp(&bhs, ITT(0x50), ISCSI_LOGOUT_SUCCESS, 2, 20,
				  &test_sn);
	expect_bhs(test, &bhs, &want);
	KUNIT_EXPECT_EQ(test, be16_to_cpu(h->t2wait), 2);
	KUNIT_EXPECT_EQ(test, be16_to_cpu(h->t2retain), 20);

	junk_bhs(&bhs);
	ispt_pdu_build_logout_rsp(&bhs, ITT(0x51), ISCSI_LOGOUT_CID_NOT_FOUND,
				  0, 0, &test_sn);
	expect_bhs(test, &bhs, &not_found);
}

static void ispt_pdu_build_reject_test(struct kunit *test)
{
	static const struct raw_bhs field = {
		.b = { 0x3f, 0x80, 0x09, 0x00 }, .dsl = 48,
		.w = { [AT(16)] = NO_TAG },
		.sn = RAW_SN_ALL,
	};
	static const struct raw_bhs snack = {
		.b = { 0x3f, 0x80, 0x03, 0x00 }, .dsl = 48,
		.w = { [AT(16)] = NO_TAG, [AT(36)] = 7 },
		.sn = RAW_SN_ALL,
	};
	struct iscsi_hdr bhs;
	const struct iscsi_reject *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_reject(&bhs, ISPT_PDU_REJECT_INVALID_PDU_FIELD, 0,
			      &test_sn);
	expect_bhs(test, &bhs, &field);
	KUNIT_EXPECT_EQ(test, h->reason, 0x09);
	KUNIT_EXPECT_EQ(test, ntoh24(h->dlength), ISPT_PDU_BHS_LEN);

	junk_bhs(&bhs);
	ispt_pdu_build_reject(&bhs, ISPT_PDU_REJECT_SNACK, 7, &test_sn);
	expect_bhs(test, &bhs, &snack);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->datasn), 7U);
}

static void ispt_pdu_build_async_test(struct kunit *test)
{
	static const struct ispt_pdu_async_args args = {
		.lun = 0x0001000000000000ULL,
		.event = ISCSI_ASYNC_MSG_REQUEST_LOGOUT, .vcode = 0x7e,
		.param1 = 0x1111, .param2 = 0x2222, .param3 = 0x3333,
		.data_len = 18,
	};
	static const struct raw_bhs want = {
		.b = { 0x32, 0x80 }, .dsl = 18,
		.w = { [AT(8)] = 0x00010000, [AT(16)] = NO_TAG,
		       [AT(36)] = 0x017e1111, [AT(40)] = 0x22223333 },
		.sn = RAW_SN_ALL,
	};
	struct iscsi_hdr bhs;
	const struct iscsi_async *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_async(&bhs, &args, &test_sn);
	expect_bhs(test, &bhs, &want);
	KUNIT_EXPECT_EQ(test, h->async_event, args.event);
	KUNIT_EXPECT_EQ(test, be16_to_cpu(h->param1), args.param1);
	KUNIT_EXPECT_EQ(test, be16_to_cpu(h->param2), args.param2);
	KUNIT_EXPECT_EQ(test, be16_to_cpu(h->param3), args.param3);
}

static void ispt_pdu_build_tmf_rsp_test(struct kunit *test)
{
	static const struct raw_bhs want = {
		.b = { 0x22, 0x80, 0x05, 0x00 },
		.w = { [AT(16)] = 0x60 },
		.sn = RAW_SN_ALL,
	};
	struct iscsi_hdr bhs;
	const struct iscsi_tm_rsp *h = (const void *)&bhs;

	junk_bhs(&bhs);
	ispt_pdu_build_tmf_rsp(&bhs, ITT(0x60), ISCSI_TMF_RSP_NOT_SUPPORTED,
			       &test_sn);
	expect_bhs(test, &bhs, &want);
	KUNIT_EXPECT_EQ(test, h->response, ISCSI_TMF_RSP_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, ITT_VAL(h->itt), 0x60U);
}

/* ---- CmdSN window ---- */

struct cmdsn_case {
	u32				cmdsn;
	u32				exp;
	u32				max;
	enum ispt_pdu_cmdsn_verdict	want;
};

#define EXPECTED	ISPT_PDU_CMDSN_EXPECTED
#define QUEUE		ISPT_PDU_CMDSN_QUEUE
#define DROP		ISPT_PDU_CMDSN_DROP

static const struct cmdsn_case cmdsn_cases[] = {
	{ 5, 5, 10, EXPECTED },
	{ 6, 5, 10, QUEUE },
	{ 10, 5, 10, QUEUE },
	{ 11, 5, 10, DROP },
	{ 4, 5, 10, DROP },
	/* A window crossing 2^32. */
	{ 0xfffffffe, 0xfffffffe, 0x00000003, EXPECTED },
	{ 0xffffffff, 0xfffffffe, 0x00000003, QUEUE },
	{ 0x00000000, 0xfffffffe, 0x00000003, QUEUE },
	{ 0x00000003, 0xfffffffe, 0x00000003, QUEUE },
	{ 0x00000004, 0xfffffffe, 0x00000003, DROP },
	{ 0xfffffffd, 0xfffffffe, 0x00000003, DROP },
	/* ExpCmdSN itself just past the wrap. */
	{ 0x00000000, 0x00000000, 0x00000010, EXPECTED },
	{ 0xffffffff, 0x00000000, 0x00000010, DROP },
	/* Closed windows: MaxCmdSN = ExpCmdSN - 1. */
	{ 5, 5, 4, DROP },
	{ 6, 5, 4, DROP },
	{ 4, 5, 4, DROP },
	{ 0x00000000, 0x00000000, 0xffffffff, DROP },
	/* A window of one at the top of the space. */
	{ 0xffffffff, 0xffffffff, 0xffffffff, EXPECTED },
	{ 0x00000000, 0xffffffff, 0xffffffff, DROP },
	/* Half the space away is never in a window. */
	{ 0x80000005, 5, 0x80000005, DROP },
};

static void cmdsn_desc(const struct cmdsn_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "CmdSN %#x in [%#x, %#x]",
		 c->cmdsn, c->exp, c->max);
}

KUNIT_ARRAY_PARAM(cmdsn, cmdsn_cases, cmdsn_desc);

static void ispt_pdu_cmdsn_check_test(struct kunit *test)
{
	const struct cmdsn_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_check(c->cmdsn, c->exp, c->max),
			c->want);
}

static void ispt_pdu_cmdsn_advance_test(struct kunit *test)
{
	u32 exp = 0xfffffffe, max = 0x00000001;

	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_advance(5), 6U);
	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_advance(0xffffffff), 0U);

	/* Take commands in order across the wrap until the window closes. */
	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_check(0xfffffffe, exp, max),
			EXPECTED);
	exp = ispt_pdu_cmdsn_advance(exp);
	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_check(0xffffffff, exp, max),
			EXPECTED);
	exp = ispt_pdu_cmdsn_advance(exp);
	KUNIT_EXPECT_EQ(test, exp, 0U);
	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_check(0, exp, max), EXPECTED);
	exp = ispt_pdu_cmdsn_advance(exp);
	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_check(1, exp, max), EXPECTED);
	exp = ispt_pdu_cmdsn_advance(exp);
	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_check(2, exp, max), DROP);
	/* Retransmitted old command after the wrap. */
	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_check(0xffffffff, exp, max),
			DROP);
}

struct cmdsn_max_case {
	u32	exp;
	u32	depth;
	u32	prev;
	u32	want;
};

static const struct cmdsn_max_case cmdsn_max_cases[] = {
	{ 10, 8, 9, 17 },
	{ 10, 1, 9, 10 },
	{ 10, 0, 9, 9 },		/* closed */
	{ 10, 2, 20, 20 },		/* never backwards */
	{ 0xfffffffe, 4, 0xfffffffd, 1 },
	{ 0xfffffff0, 0x20, 0xfffffff8, 0x0f },
	{ 0, 0, 0xffffffff, 0xffffffff },	/* closed at the wrap */
	{ 5, 1, 0xfffffff0, 5 },	/* prev far behind, serially */
};

static void cmdsn_max_desc(const struct cmdsn_max_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "exp %#x depth %u prev %#x",
		 c->exp, c->depth, c->prev);
}

KUNIT_ARRAY_PARAM(cmdsn_max, cmdsn_max_cases, cmdsn_max_desc);

static void ispt_pdu_cmdsn_max_test(struct kunit *test)
{
	const struct cmdsn_max_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ispt_pdu_cmdsn_max(c->exp, c->depth, c->prev),
			c->want);
}

/* ---- Data-In segmentation ---- */

struct datain_want {
	u32	offset;
	u32	len;
	bool	final;
};

struct datain_case {
	const char		*name;
	u32			total;
	u32			mrdsl;
	u32			max_burst;
	u32			npdus;
	u32			nfinal;
	struct datain_want	want[6];	/* the first PDUs */
};

static const struct datain_case datain_cases[] = {
	{ "0 bytes", 0, 8192, 262144, 0, 0 },
	{ "1 byte", 1, 8192, 262144, 1, 1, { { 0, 1, true } } },
	{ "M-1", 8191, 8192, 262144, 1, 1, { { 0, 8191, true } } },
	{ "M", 8192, 8192, 262144, 1, 1, { { 0, 8192, true } } },
	{ "M+1", 8193, 8192, 262144, 2, 1,
	  { { 0, 8192, false }, { 8192, 1, true } } },
	{ "B = 4M exactly", 32768, 8192, 32768, 4, 1,
	  { { 0, 8192, false }, { 8192, 8192, false },
	    { 16384, 8192, false }, { 24576, 8192, true } } },
	{ "2B", 65536, 8192, 32768, 8, 2,
	  { { 0, 8192, false }, { 8192, 8192, false },
	    { 16384, 8192, false }, { 24576, 8192, true },
	    { 32768, 8192, false }, { 40960, 8192, false } } },
	{ "B+1", 32769, 8192, 32768, 5, 2,
	  { { 0, 8192, false }, { 8192, 8192, false },
	    { 16384, 8192, false }, { 24576, 8192, true },
	    { 32768, 1, true } } },
	{ "B not a multiple of M", 40000, 8192, 20000, 6, 2,
	  { { 0, 8192, false }, { 8192, 8192, false },
	    { 16384, 3616, true }, { 20000, 8192, false },
	    { 28192, 8192, false }, { 36384, 3616, true } } },
	{ "B below M", 10000, 8192, 4096, 3, 3,
	  { { 0, 4096, true }, { 4096, 4096, true },
	    { 8192, 1808, true } } },
	{ "M = B = 512", 1536, 512, 512, 3, 3,
	  { { 0, 512, true }, { 512, 512, true }, { 1024, 512, true } } },
	{ "4 GiB - 1 at the largest sizes", U32_MAX, ISPT_PDU_MAX_DSL,
	  ISPT_PDU_MAX_DSL, 257, 257,
	  { { 0, ISPT_PDU_MAX_DSL, true },
	    { ISPT_PDU_MAX_DSL, ISPT_PDU_MAX_DSL, true } } },
};

static void datain_desc(const struct datain_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: N %u M %u B %u", c->name,
		 c->total, c->mrdsl, c->max_burst);
}

KUNIT_ARRAY_PARAM(datain, datain_cases, datain_desc);

static void ispt_pdu_datain_test(struct kunit *test)
{
	const struct datain_case *c = test->param_value;
	struct ispt_pdu_datain_iter it;
	struct ispt_pdu_datain_seg seg;
	u64 next_offset = 0;
	u32 n = 0, nfinal = 0, in_burst = 0;

	KUNIT_ASSERT_EQ(test, ispt_pdu_datain_init(&it, c->total, c->mrdsl,
						   c->max_burst), 0);
	while (ispt_pdu_datain_next(&it, &seg)) {
		KUNIT_ASSERT_LT(test, n, c->npdus);
		/* Contiguous, never empty, never above either limit. */
		KUNIT_EXPECT_EQ(test, (u64)seg.offset, next_offset);
		KUNIT_EXPECT_GT(test, seg.len, 0U);
		KUNIT_EXPECT_LE(test, seg.len, c->mrdsl);
		KUNIT_EXPECT_EQ(test, seg.datasn, n);
		in_burst += seg.len;
		KUNIT_EXPECT_LE(test, in_burst, c->max_burst);
		next_offset += seg.len;
		/* F exactly where a burst fills up or the read ends. */
		KUNIT_EXPECT_EQ(test, seg.final,
				in_burst == c->max_burst ||
				next_offset == c->total);
		KUNIT_EXPECT_EQ(test, seg.last, next_offset == c->total);
		if (n < ARRAY_SIZE(c->want) && c->want[n].len) {
			KUNIT_EXPECT_EQ(test, seg.offset, c->want[n].offset);
			KUNIT_EXPECT_EQ(test, seg.len, c->want[n].len);
			KUNIT_EXPECT_EQ(test, seg.final, c->want[n].final);
		}
		if (seg.final) {
			nfinal++;
			in_burst = 0;
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, c->npdus);
	KUNIT_EXPECT_EQ(test, nfinal, c->nfinal);
	KUNIT_EXPECT_EQ(test, next_offset, (u64)c->total);
	/* Once done it stays done. */
	KUNIT_EXPECT_FALSE(test, ispt_pdu_datain_next(&it, &seg));
}

static void ispt_pdu_datain_init_test(struct kunit *test)
{
	struct ispt_pdu_datain_iter it;

	KUNIT_EXPECT_EQ(test, ispt_pdu_datain_init(&it, 4096, 0, 262144),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ispt_pdu_datain_init(&it, 4096, 8192, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ispt_pdu_datain_init(&it, 0, 8192, 262144), 0);
}

/* ---- R2T planning ---- */

struct r2t_case {
	const char			*name;
	struct ispt_pdu_r2t_params	p;
	u32				unsol_end;
	u32				can_issue;	/* at the start */
	u32				nr2t;
	struct ispt_pdu_r2t		want[5];	/* the first R2Ts */
};

#define KIB	1024U
#define MIB	(1024U * 1024U)

static const struct r2t_case r2t_cases[] = {
	{ "InitialR2T=Yes, no immediate data, one outstanding",
	  { .edtl = MIB, .first_burst = 64 * KIB, .max_burst = 256 * KIB,
	    .max_outstanding = 1 },
	  0, 1, 4,
	  { { 0, 0, 256 * KIB }, { 1, 256 * KIB, 256 * KIB },
	    { 2, 512 * KIB, 256 * KIB }, { 3, 768 * KIB, 256 * KIB } } },
	{ "InitialR2T=Yes after immediate data",
	  { .edtl = 64 * KIB, .immediate_len = 8 * KIB,
	    .first_burst = 64 * KIB, .max_burst = 256 * KIB,
	    .max_outstanding = 1 },
	  8 * KIB, 1, 1, { { 0, 8 * KIB, 56 * KIB } } },
	{ "InitialR2T=No, four outstanding",
	  { .edtl = MIB, .first_burst = 64 * KIB, .max_burst = 256 * KIB,
	    .max_outstanding = 4, .unsolicited = true },
	  64 * KIB, 4, 4,
	  { { 0, 64 * KIB, 256 * KIB }, { 1, 320 * KIB, 256 * KIB },
	    { 2, 576 * KIB, 256 * KIB }, { 3, 832 * KIB, 192 * KIB } } },
	{ "InitialR2T=No with immediate data",
	  { .edtl = 128 * KIB, .immediate_len = 8 * KIB,
	    .first_burst = 64 * KIB, .max_burst = 256 * KIB,
	    .max_outstanding = 1, .unsolicited = true },
	  64 * KIB, 1, 1, { { 0, 64 * KIB, 64 * KIB } } },
	{ "FirstBurstLength beyond the transfer",
	  { .edtl = 4 * KIB, .first_burst = 64 * KIB,
	    .max_burst = 256 * KIB, .max_outstanding = 1,
	    .unsolicited = true },
	  4 * KIB, 0, 0 },
	{ "all data immediate",
	  { .edtl = 512, .immediate_len = 512, .first_burst = 64 * KIB,
	    .max_burst = 256 * KIB, .max_outstanding = 1 },
	  512, 0, 0 },
	{ "no data",
	  { .first_burst = 64 * KIB, .max_burst = 256 * KIB,
	    .max_outstanding = 1 },
	  0, 0, 0 },
	{ "two outstanding of five",
	  { .edtl = 5 * 8 * KIB, .first_burst = 64 * KIB,
	    .max_burst = 8 * KIB, .max_outstanding = 2 },
	  0, 2, 5,
	  { { 0, 0, 8 * KIB }, { 1, 8 * KIB, 8 * KIB },
	    { 2, 16 * KIB, 8 * KIB }, { 3, 24 * KIB, 8 * KIB },
	    { 4, 32 * KIB, 8 * KIB } } },
	{ "EDTL one past a burst multiple",
	  { .edtl = 300001, .first_burst = 65536, .max_burst = 100000,
	    .max_outstanding = 8 },
	  0, 4, 4,
	  { { 0, 0, 100000 }, { 1, 100000, 100000 },
	    { 2, 200000, 100000 }, { 3, 300000, 1 } } },
	{ "4 GiB - 1 at the largest burst",
	  { .edtl = U32_MAX, .first_burst = ISPT_PDU_MAX_DSL,
	    .max_burst = ISPT_PDU_MAX_DSL, .max_outstanding = 65535,
	    .unsolicited = true },
	  ISPT_PDU_MAX_DSL, 256, 256,
	  { { 0, ISPT_PDU_MAX_DSL, ISPT_PDU_MAX_DSL } } },
};

static void r2t_desc(const struct r2t_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(r2t, r2t_cases, r2t_desc);

static void ispt_pdu_r2t_plan_test(struct kunit *test)
{
	const struct r2t_case *c = test->param_value;
	struct ispt_pdu_r2t_plan plan;
	struct ispt_pdu_r2t r2t;
	u64 next_offset = c->unsol_end;
	u32 n = 0;

	KUNIT_ASSERT_EQ(test, ispt_pdu_r2t_plan_init(&plan, &c->p), 0);
	KUNIT_EXPECT_EQ(test, plan.unsol_end, c->unsol_end);
	KUNIT_EXPECT_EQ(test, ispt_pdu_r2t_plan_can_issue(&plan), c->can_issue);
	/* Send all we may, then finish one sequence, until done. */
	while (!ispt_pdu_r2t_plan_done(&plan)) {
		u32 room = ispt_pdu_r2t_plan_can_issue(&plan);
		u32 sent = 0;

		while (ispt_pdu_r2t_plan_next(&plan, &r2t)) {
			KUNIT_ASSERT_LT(test, n, c->nr2t);
			KUNIT_EXPECT_EQ(test, r2t.r2tsn, n);
			KUNIT_EXPECT_EQ(test, (u64)r2t.offset, next_offset);
			KUNIT_EXPECT_GT(test, r2t.length, 0U);
			KUNIT_EXPECT_LE(test, r2t.length, c->p.max_burst);
			if (n < ARRAY_SIZE(c->want) && c->want[n].length) {
				KUNIT_EXPECT_EQ(test, r2t.offset,
						c->want[n].offset);
				KUNIT_EXPECT_EQ(test, r2t.length,
						c->want[n].length);
			}
			next_offset += r2t.length;
			sent++;
			n++;
		}
		KUNIT_EXPECT_EQ(test, sent, room);
		KUNIT_EXPECT_LE(test, plan.outstanding, c->p.max_outstanding);
		KUNIT_EXPECT_EQ(test, ispt_pdu_r2t_plan_can_issue(&plan), 0U);
		KUNIT_ASSERT_EQ(test, ispt_pdu_r2t_plan_complete(&plan), 0);
	}
	KUNIT_EXPECT_EQ(test, n, c->nr2t);
	/* Unsolicited data and R2Ts together cover the transfer exactly. */
	KUNIT_EXPECT_EQ(test, next_offset, (u64)c->p.edtl);
	KUNIT_EXPECT_FALSE(test, ispt_pdu_r2t_plan_next(&plan, &r2t));
}

static void ispt_pdu_r2t_plan_init_test(struct kunit *test)
{
	struct ispt_pdu_r2t_params p = {
		.edtl = 4096, .immediate_len = 512, .first_burst = 1024,
		.max_burst = 8192, .max_outstanding = 1,
	};
	struct ispt_pdu_r2t_plan plan;

	KUNIT_EXPECT_EQ(test, ispt_pdu_r2t_plan_init(&plan, &p), 0);
	/* No R2T outstanding yet, so none can complete. */
	KUNIT_EXPECT_EQ(test, ispt_pdu_r2t_plan_complete(&plan), -EINVAL);
	p.immediate_len = 4097;
	KUNIT_EXPECT_EQ(test, ispt_pdu_r2t_plan_init(&plan, &p), -EINVAL);
	p.immediate_len = 2048;
	KUNIT_EXPECT_EQ(test, ispt_pdu_r2t_plan_init(&plan, &p), -EINVAL);
	p.immediate_len = 0;
	p.max_burst = 0;
	KUNIT_EXPECT_EQ(test, ispt_pdu_r2t_plan_init(&plan, &p), -EINVAL);
	p.max_burst = 8192;
	p.max_outstanding = 0;
	KUNIT_EXPECT_EQ(test, ispt_pdu_r2t_plan_init(&plan, &p), -EINVAL);
}

/* ---- Data-Out acceptance ---- */

struct dataout_case {
	const char			*name;
	struct ispt_pdu_dataout_seq	seq;
	u32				ttt;
	u32				datasn;
	u32				offset;
	u32				len;
	bool				final;
	enum ispt_pdu_dataout_verdict	want;
};

#define BUF	MIB
/* An R2T for 256 KiB at 64 KiB, 16 KiB of it already in, DataSN 2 next. */
#define MID_SEQ	{ .ttt = 7, .next_datasn = 2, .offset = 64 * KIB, \
		  .length = 256 * KIB, .received = 16 * KIB, .buf_len = BUF }
#define MID_AT	(80 * KIB)

static const struct dataout_case dataout_cases[] = {
	{ "next PDU", MID_SEQ, 7, 2, MID_AT, 8 * KIB, false,
	  ISPT_PDU_DATAOUT_ACCEPT },
	{ "empty PDU inside the sequence", MID_SEQ, 7, 2, MID_AT, 0, false,
	  ISPT_PDU_DATAOUT_ACCEPT },
	{ "last PDU with F", MID_SEQ, 7, 2, MID_AT, 240 * KIB, true,
	  ISPT_PDU_DATAOUT_ACCEPT_LAST },
	{ "single-PDU sequence",
	  { .ttt = 8, .offset = 0, .length = 8 * KIB, .buf_len = BUF },
	  8, 0, 0, 8 * KIB, true, ISPT_PDU_DATAOUT_ACCEPT_LAST },
	{ "unsolicited after immediate data",
	  { .ttt = NO_TAG, .offset = 512, .length = 64 * KIB - 512,
	    .buf_len = BUF },
	  NO_TAG, 0, 512, 8 * KIB, false, ISPT_PDU_DATAOUT_ACCEPT },
	{ "wrong TTT", MID_SEQ, 8, 2, MID_AT, 8 * KIB, false,
	  ISPT_PDU_DATAOUT_BAD_TTT },
	{ "unsolicited TTT in a solicited sequence", MID_SEQ, NO_TAG, 2,
	  MID_AT, 8 * KIB, false, ISPT_PDU_DATAOUT_BAD_TTT },
	{ "DataSN repeated", MID_SEQ, 7, 1, MID_AT, 8 * KIB, false,
	  ISPT_PDU_DATAOUT_BAD_DATASN },
	{ "DataSN skipped", MID_SEQ, 7, 3, MID_AT, 8 * KIB, false,
	  ISPT_PDU_DATAOUT_BAD_DATASN },
	{ "gap before the PDU", MID_SEQ, 7, 2, MID_AT + 512, 8 * KIB, false,
	  ISPT_PDU_DATAOUT_BAD_OFFSET },
	{ "overlap with received data", MID_SEQ, 7, 2, MID_AT - 512,
	  8 * KIB, false, ISPT_PDU_DATAOUT_BAD_OFFSET },
	{ "offset before the sequence", MID_SEQ, 7, 2, 0, 8 * KIB, false,
	  ISPT_PDU_DATAOUT_BAD_OFFSET },
	{ "past the sequence end", MID_SEQ, 7, 2, MID_AT, 240 * KIB + 1,
	  true, ISPT_PDU_DATAOUT_SEQ_OVERRUN },
	{ "after the sequence is complete",
	  { .ttt = 7, .next_datasn = 4, .offset = 0, .length = 32 * KIB,
	    .received = 32 * KIB, .buf_len = BUF },
	  7, 4, 32 * KIB, 0, true, ISPT_PDU_DATAOUT_SEQ_OVERRUN },
	{ "offset past the buffer", MID_SEQ, 7, 2, BUF + 1, 0, false,
	  ISPT_PDU_DATAOUT_BUF_OVERRUN },
	{ "offset and length wrapping 2^32", MID_SEQ, 7, 2, 0xfffff000,
	  0x2000, false, ISPT_PDU_DATAOUT_BUF_OVERRUN },
	{ "longer than the buffer's tail",
	  { .ttt = 9, .offset = BUF - 8 * KIB, .length = 8 * KIB,
	    .buf_len = BUF },
	  9, 0, BUF - 8 * KIB, 16 * KIB, true,
	  ISPT_PDU_DATAOUT_BUF_OVERRUN },
	{ "sequence end without F", MID_SEQ, 7, 2, MID_AT, 240 * KIB, false,
	  ISPT_PDU_DATAOUT_F_MISSING },
	{ "F before the sequence end", MID_SEQ, 7, 2, MID_AT, 8 * KIB, true,
	  ISPT_PDU_DATAOUT_F_EARLY },
	{ "unsolicited burst ended early",
	  { .ttt = NO_TAG, .offset = 0, .length = 64 * KIB,
	    .buf_len = BUF },
	  NO_TAG, 0, 0, 8 * KIB, true, ISPT_PDU_DATAOUT_F_EARLY },
};

static void dataout_desc(const struct dataout_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dataout, dataout_cases, dataout_desc);

static void ispt_pdu_dataout_accept_test(struct kunit *test)
{
	const struct dataout_case *c = test->param_value;
	struct ispt_pdu_summary s = {
		.kind = ISPT_PDU_DATA_OUT, .opcode = ISCSI_OP_SCSI_DATA_OUT,
		.final = c->final, .data_len = c->len, .itt = ITT(1),
		.data = { .ttt = c->ttt, .datasn = c->datasn,
			  .offset = c->offset },
	};
	struct ispt_pdu_dataout_seq seq = c->seq;
	enum ispt_pdu_dataout_verdict got;
	bool accepted;

	got = ispt_pdu_dataout_accept(&seq, &s);
	KUNIT_EXPECT_EQ(test, got, c->want);
	accepted = got == ISPT_PDU_DATAOUT_ACCEPT ||
		   got == ISPT_PDU_DATAOUT_ACCEPT_LAST;
	KUNIT_EXPECT_EQ(test, ispt_pdu_dataout_reject(got) ==
			ISPT_PDU_REJECT_NONE, accepted);
	if (!accepted) {
		/* A refused PDU leaves the sequence as it was. */
		KUNIT_EXPECT_EQ(test, memcmp(&seq, &c->seq, sizeof(seq)), 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, seq.received, c->seq.received + c->len);
	KUNIT_EXPECT_EQ(test, seq.next_datasn, c->seq.next_datasn + 1);
	KUNIT_EXPECT_EQ(test, seq.received == seq.length,
			got == ISPT_PDU_DATAOUT_ACCEPT_LAST);
	KUNIT_EXPECT_LE(test, (u64)c->offset + c->len, (u64)seq.buf_len);
}

/* A whole sequence, PDU by PDU, as an R2T asked for it. */
static void ispt_pdu_dataout_sequence_test(struct kunit *test)
{
	struct ispt_pdu_summary s = {
		.kind = ISPT_PDU_DATA_OUT, .opcode = ISCSI_OP_SCSI_DATA_OUT,
		.itt = ITT(1), .data = { .ttt = 0x77 },
	};
	struct ispt_pdu_dataout_seq seq;
	u32 i;

	KUNIT_ASSERT_EQ(test, ispt_pdu_dataout_seq_init(&seq, 0x77, 8192,
							20000, 65536), 0);
	for (i = 0; i < 3; i++) {
		s.data.datasn = i;
		s.data.offset = 8192 + i * 8192;
		s.data_len = i < 2 ? 8192 : 20000 - 2 * 8192;
		s.final = i == 2;
		KUNIT_EXPECT_EQ(test, ispt_pdu_dataout_accept(&seq, &s),
				i == 2 ? ISPT_PDU_DATAOUT_ACCEPT_LAST :
				ISPT_PDU_DATAOUT_ACCEPT);
	}
	KUNIT_EXPECT_EQ(test, seq.received, 20000U);
	/* Replaying the last PDU is now refused. */
	KUNIT_EXPECT_EQ(test, ispt_pdu_dataout_accept(&seq, &s),
			ISPT_PDU_DATAOUT_BAD_DATASN);

	/* Sequences that do not fit the buffer are refused up front. */
	KUNIT_EXPECT_EQ(test, ispt_pdu_dataout_seq_init(&seq, 1, 65537, 0,
							65536), -EINVAL);
	KUNIT_EXPECT_EQ(test, ispt_pdu_dataout_seq_init(&seq, 1, 65536 - 10,
							11, 65536), -EINVAL);
	KUNIT_EXPECT_EQ(test, ispt_pdu_dataout_seq_init(&seq, 1, 1,
							U32_MAX, 65536),
			-EINVAL);
}

static void ispt_pdu_dataout_reject_test(struct kunit *test)
{
	static const struct {
		enum ispt_pdu_dataout_verdict	verdict;
		enum ispt_pdu_reject		reason;
	} map[] = {
		{ ISPT_PDU_DATAOUT_ACCEPT, ISPT_PDU_REJECT_NONE },
		{ ISPT_PDU_DATAOUT_ACCEPT_LAST, ISPT_PDU_REJECT_NONE },
		{ ISPT_PDU_DATAOUT_BAD_TTT, FIELD },
		{ ISPT_PDU_DATAOUT_BAD_OFFSET, FIELD },
		{ ISPT_PDU_DATAOUT_SEQ_OVERRUN, FIELD },
		{ ISPT_PDU_DATAOUT_BUF_OVERRUN, FIELD },
		{ ISPT_PDU_DATAOUT_BAD_DATASN, PROTO },
		{ ISPT_PDU_DATAOUT_F_MISSING, PROTO },
		{ ISPT_PDU_DATAOUT_F_EARLY, PROTO },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    ispt_pdu_dataout_reject(map[i].verdict),
				    map[i].reason, "verdict %d",
				    map[i].verdict);
}

/* ---- residuals ---- */

struct residual_case {
	u32	edtl;
	u64	xfer;
	bool	overflow;
	bool	underflow;
	u32	count;
};

static const struct residual_case residual_cases[] = {
	{ 4096, 4096, false, false, 0 },
	{ 4096, 512, false, true, 3584 },
	{ 512, 4096, true, false, 3584 },
	{ 0, 512, true, false, 512 },
	{ 4096, 0, false, true, 4096 },
	{ 0, 0, false, false, 0 },
	{ U32_MAX, 0, false, true, U32_MAX },
	{ U32_MAX, 1ULL << 32, true, false, 1 },
	/* A CDB asking for a TiB: the count saturates. */
	{ 0, 1ULL << 40, true, false, U32_MAX },
};

static void residual_desc(const struct residual_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "EDTL %u, command %llu",
		 c->edtl, c->xfer);
}

KUNIT_ARRAY_PARAM(residual, residual_cases, residual_desc);

static void ispt_pdu_residual_test(struct kunit *test)
{
	const struct residual_case *c = test->param_value;
	struct ispt_pdu_residual r = ispt_pdu_residual(c->edtl, c->xfer);
	struct ispt_pdu_scsi_rsp_args args = { .residual = r };
	struct iscsi_hdr bhs;
	const struct iscsi_scsi_rsp *h = (const void *)&bhs;

	KUNIT_EXPECT_EQ(test, r.overflow, c->overflow);
	KUNIT_EXPECT_EQ(test, r.underflow, c->underflow);
	KUNIT_EXPECT_EQ(test, r.count, c->count);
	/* And as a SCSI Response carries it. */
	ispt_pdu_build_scsi_rsp(&bhs, &args, &test_sn);
	KUNIT_EXPECT_EQ(test, !!(h->flags & ISCSI_FLAG_CMD_OVERFLOW),
			c->overflow);
	KUNIT_EXPECT_EQ(test, !!(h->flags & ISCSI_FLAG_CMD_UNDERFLOW),
			c->underflow);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->residual_count), c->count);
}

struct snack_run_case {
	const char	*name;
	u32		begrun;
	u32		runlength;
	u32		first;
	u32		next;
	bool		ok;
	u32		beg;
	u32		end;
};

static const struct snack_run_case snack_run_cases[] = {
	{ "one in the middle", 5, 1, 3, 8, true, 5, 6 },
	{ "from BegRun to the end", 5, 0, 3, 8, true, 5, 8 },
	{ "all unacknowledged", 0, 0, 3, 8, true, 3, 8 },
	{ "nothing unacknowledged", 0, 0, 8, 8, true, 8, 8 },
	{ "the whole window", 3, 5, 3, 8, true, 3, 8 },
	{ "DataSN 0 of a read", 0, 1, 0, 8, true, 0, 1 },
	{ "acknowledged", 2, 1, 3, 8, false },
	{ "not yet sent", 8, 1, 3, 8, false },
	{ "runs past the last sent", 7, 2, 3, 8, false },
	{ "BegRun past the end, RunLength 0", 9, 0, 3, 8, false },
	{ "BegRun at the end, RunLength 0", 8, 0, 3, 8, false },
	{ "RunLength that wraps", 5, U32_MAX, 3, 8, false },
	{ "RunLength of half the space", 5, 1U << 31, 3, 8, false },
	{ "across the StatSN wrap", U32_MAX, 2, U32_MAX - 1, 3, true,
	  U32_MAX, 1 },
	{ "nothing sent yet", 0, 1, 0, 0, false },
};

static void snack_run_desc(const struct snack_run_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(snack_run, snack_run_cases, snack_run_desc);

static void ispt_pdu_snack_run_test(struct kunit *test)
{
	const struct snack_run_case *c = test->param_value;
	u32 beg = 0xdead, end = 0xbeef;
	bool ok;

	ok = ispt_pdu_snack_run(c->begrun, c->runlength, c->first, c->next,
				&beg, &end);
	KUNIT_ASSERT_EQ(test, ok, c->ok);
	if (!ok) {
		/* Left alone: a caller that ignores the verdict sends nothing. */
		KUNIT_EXPECT_EQ(test, beg, 0xdeadU);
		KUNIT_EXPECT_EQ(test, end, 0xbeefU);
		return;
	}
	KUNIT_EXPECT_EQ(test, beg, c->beg);
	KUNIT_EXPECT_EQ(test, end, c->end);
}

/* An R2T SNACK replays the R2T as it was, with the current window. */
static void ispt_pdu_refresh_sn_test(struct kunit *test)
{
	const struct ispt_pdu_r2t r2t = { .r2tsn = 2, .offset = 8192,
					  .length = 4096 };
	const struct ispt_pdu_sn later = { .statsn = 99, .exp_cmdsn = 50,
					   .max_cmdsn = 80 };
	struct iscsi_hdr first, again;
	const struct iscsi_r2t_rsp *h = (const void *)&again;

	ispt_pdu_build_r2t(&first, ITT(7), 0, 0x1234,
			   &r2t, &test_sn);
	again = first;
	ispt_pdu_refresh_sn(&again, &later);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->exp_cmdsn), 50U);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(h->max_cmdsn), 80U);
	/* Everything else, StatSN included, as first sent. */
	KUNIT_EXPECT_EQ(test, memcmp(&first, &again, 28), 0);
	KUNIT_EXPECT_EQ(test, memcmp((u8 *)&first + 36, (u8 *)&again + 36, 12),
			0);
}

static struct kunit_case ispt_pdu_test_cases[] = {
	KUNIT_CASE_PARAM(ispt_pdu_wire_len_test, wire_len_gen_params),
	KUNIT_CASE(ispt_pdu_pad_test),
	KUNIT_CASE_PARAM(ispt_pdu_decode_ok_test, decode_ok_gen_params),
	KUNIT_CASE_PARAM(ispt_pdu_decode_bad_test, decode_bad_gen_params),
	KUNIT_CASE_PARAM(ispt_pdu_decode_opcode_test, opcode_gen_params),
	KUNIT_CASE(ispt_pdu_decode_all_opcodes_test),
	KUNIT_CASE_PARAM(ispt_pdu_check_lengths_test, lengths_gen_params),
	KUNIT_CASE_PARAM(ispt_pdu_check_unsolicited_test, unsol_gen_params),
	KUNIT_CASE_PARAM(ispt_pdu_parse_ahs_test, ahs_gen_params),
	KUNIT_CASE_PARAM(ispt_pdu_build_scsi_rsp_test, scsi_rsp_gen_params),
	KUNIT_CASE_PARAM(ispt_pdu_build_data_in_test, data_in_gen_params),
	KUNIT_CASE(ispt_pdu_build_r2t_test),
	KUNIT_CASE(ispt_pdu_build_nop_in_test),
	KUNIT_CASE_PARAM(ispt_pdu_build_login_rsp_test, login_rsp_gen_params),
	KUNIT_CASE(ispt_pdu_build_text_rsp_test),
	KUNIT_CASE(ispt_pdu_build_logout_rsp_test),
	KUNIT_CASE(ispt_pdu_build_reject_test),
	KUNIT_CASE(ispt_pdu_build_async_test),
	KUNIT_CASE(ispt_pdu_build_tmf_rsp_test),
	KUNIT_CASE_PARAM(ispt_pdu_cmdsn_check_test, cmdsn_gen_params),
	KUNIT_CASE(ispt_pdu_cmdsn_advance_test),
	KUNIT_CASE_PARAM(ispt_pdu_cmdsn_max_test, cmdsn_max_gen_params),
	KUNIT_CASE_PARAM(ispt_pdu_datain_test, datain_gen_params),
	KUNIT_CASE(ispt_pdu_datain_init_test),
	KUNIT_CASE_PARAM(ispt_pdu_r2t_plan_test, r2t_gen_params),
	KUNIT_CASE(ispt_pdu_r2t_plan_init_test),
	KUNIT_CASE_PARAM(ispt_pdu_dataout_accept_test, dataout_gen_params),
	KUNIT_CASE(ispt_pdu_dataout_sequence_test),
	KUNIT_CASE(ispt_pdu_dataout_reject_test),
	KUNIT_CASE_PARAM(ispt_pdu_residual_test, residual_gen_params),
	KUNIT_CASE_PARAM(ispt_pdu_snack_run_test, snack_run_gen_params),
	KUNIT_CASE(ispt_pdu_refresh_sn_test),
	{}
};

static struct kunit_suite ispt_pdu_test_suite = {
	.name = "iscsi_spt_pdu",
	.test_cases = ispt_pdu_test_cases,
};

kunit_test_suite(ispt_pdu_test_suite);
