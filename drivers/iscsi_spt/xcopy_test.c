// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for EXTENDED COPY (LID1) parameter lists and RECEIVE COPY
 * RESULTS: every length and count check in the order SPC-4 reports them,
 * unsupported descriptors, the COPY ABORTED sense, and held statuses.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "scsi.h"
#include "xcopy.h"

static const struct ispt_scsi_lun_desc lu = {
	.nr_blocks = 0x10000, .block_size = 512, .max_xfer_blocks = 2048,
};

#define NAA_A	0x3123456789abcdefULL
#define NAA_B	0x3000000000000042ULL

/* A target descriptor E4h naming @naa, or with @type instead */
static u32 put_target(u8 *p, u8 type, u64 naa)
{
	memset(p, 0, 32);
	p[0] = type;
	p[4] = 0x01;		/* binary */
	p[5] = 0x03;		/* LU, NAA */
	p[7] = 8;
	put_unaligned_be64(naa, &p[8]);
	put_unaligned_be24(512, &p[29]);
	return 32;
}

static u32 put_segment(u8 *p, u16 src, u16 dst, u16 nr, u64 src_lba,
		       u64 dst_lba)
{
	memset(p, 0, 28);
	p[0] = 0x02;
	put_unaligned_be16(24, &p[2]);
	put_unaligned_be16(src, &p[4]);
	put_unaligned_be16(dst, &p[6]);
	put_unaligned_be16(nr, &p[10]);
	put_unaligned_be64(src_lba, &p[12]);
	put_unaligned_be64(dst_lba, &p[20]);
	return 28;
}

/* A list of @nt targets (A, B, A...) and @ns segments; returns its length */
static u32 build(u8 *p, u8 list_id, u8 usage, unsigned int nt,
		 unsigned int ns)
{
	u32 off = 16, tdl, i;

	memset(p, 0, 16);
	p[0] = list_id;
	p[1] = usage << 3;
	for (i = 0; i < nt; i++)
		off += put_target(&p[off], 0xe4, i & 1 ? NAA_B : NAA_A);
	tdl = off - 16;
	for (i = 0; i < ns; i++)
		off += put_segment(&p[off], 0, 1, 8 + i, i * 16, 0x1000 + i);
	put_unaligned_be16(tdl, &p[2]);
	put_unaligned_be32(off - 16 - tdl, &p[8]);
	return off;
}

static enum sam_status parse(struct kunit *test, const u8 *p, u32 len,
			     struct ispt_xcopy_list *list,
			     struct ispt_sense *sense)
{
	u8 cdb[16] = { EXTENDED_COPY };
	struct ispt_scsi_cmd cmd;
	enum sam_status st;

	put_unaligned_be32(len, &cdb[10]);
	KUNIT_EXPECT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
			SAM_STAT_GOOD);
	st = ispt_xcopy_parse(&cmd, p, len, list);
	*sense = cmd.sense;
	return st;
}

static void expect_err(struct kunit *test, enum sam_status st,
		       const struct ispt_sense *s, u16 asc_ascq, int field)
{
	KUNIT_ASSERT_EQ(test, st, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s->key, ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, s->asc, asc_ascq >> 8);
	KUNIT_EXPECT_EQ(test, s->ascq, asc_ascq & 0xff);
	if (field >= 0) {
		KUNIT_EXPECT_TRUE(test, s->flags & ISPT_SENSE_SKSV);
		KUNIT_EXPECT_FALSE(test, s->flags & ISPT_SENSE_CD);
		KUNIT_EXPECT_EQ(test, s->field, field);
	}
}

static void ispt_xcopy_parse_good_test(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct ispt_xcopy_list *list = kunit_kzalloc(test, sizeof(*list),
						     GFP_KERNEL);
	struct ispt_sense s;
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, list);
	/* Nothing to copy is no error */
	KUNIT_EXPECT_EQ(test, parse(test, p, 0, list, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, list->nr_segments, 0);

	n = build(p, 7, 0, 2, 2);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, list->list_id, 7);
	KUNIT_EXPECT_TRUE(test, list->hold);
	KUNIT_EXPECT_EQ(test, list->nr_targets, 2);
	KUNIT_EXPECT_EQ(test, list->tgt[0].naa, NAA_A);
	KUNIT_EXPECT_EQ(test, list->tgt[1].naa, NAA_B);
	KUNIT_EXPECT_EQ(test, list->tgt[1].block_size, 512U);
	KUNIT_EXPECT_EQ(test, list->nr_segments, 2);
	KUNIT_EXPECT_EQ(test, list->seg[1].src, 0);
	KUNIT_EXPECT_EQ(test, list->seg[1].dst, 1);
	KUNIT_EXPECT_EQ(test, list->seg[1].nr_blocks, 9);
	KUNIT_EXPECT_EQ(test, list->seg[1].src_lba, 16ULL);
	KUNIT_EXPECT_EQ(test, list->seg[1].dst_lba, 0x1001ULL);
	KUNIT_EXPECT_EQ(test, list->seg[1].offset, 16U + 64 + 28);
	KUNIT_EXPECT_FALSE(test, list->seg[1].dc);

	/* Discard (10b) and no list identifier (11b): nothing held */
	n = build(p, 7, 2, 1, 1);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, list->hold);
	n = build(p, 0, 3, 1, 1);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, list->hold);

	/* LU ID TYPE is ignored (SPC-4); another designator names no LU */
	n = build(p, 1, 0, 1, 1);
	p[17] = 0xc0;
	p[21] = 0x02;			/* EUI-64 */
	KUNIT_ASSERT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, list->tgt[0].naa, 0ULL);

	/* The most we report */
	n = build(p, 1, 0, ISPT_XCOPY_MAX_TARGETS, ISPT_XCOPY_MAX_SEGMENTS);
	KUNIT_EXPECT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
}

static void ispt_xcopy_parse_bad_test(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct ispt_xcopy_list *list = kunit_kzalloc(test, sizeof(*list),
						     GFP_KERNEL);
	struct ispt_sense s;
	enum sam_status st;
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, list);
	/* Shorter than the header, or than the descriptors it announces */
	st = parse(test, p, 15, list, &s);
	expect_err(test, st, &s, ISPT_ASC_PARAM_LIST_LENGTH, -1);
	n = build(p, 1, 0, 1, 1);
	st = parse(test, p, n - 1, list, &s);
	expect_err(test, st, &s, ISPT_ASC_PARAM_LIST_LENGTH, -1);
	st = parse(test, p, 16 + 32 - 1, list, &s);
	expect_err(test, st, &s, ISPT_ASC_PARAM_LIST_LENGTH, -1);
	/* Lengths near U32_MAX must not wrap */
	put_unaligned_be32(0xffffffff, &p[8]);
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_PARAM_LIST_LENGTH, -1);

	/* Longer than the MAXIMUM DESCRIPTOR LIST LENGTH, before counts */
	n = build(p, 1, 0, ISPT_XCOPY_MAX_TARGETS + 1, 32);
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_PARAM_LIST_LENGTH, -1);

	/* One target or segment too many */
	n = build(p, 1, 0, ISPT_XCOPY_MAX_TARGETS + 1, 1);
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_TOO_MANY_TARGET_DESCS, -1);
	n = build(p, 1, 0, 1, ISPT_XCOPY_MAX_SEGMENTS + 1);
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_TOO_MANY_SEGMENT_DESCS, -1);

	/* Inline data, a ragged target list, LIST ID USAGE 01b */
	n = build(p, 1, 0, 1, 1);
	put_unaligned_be32(4, &p[12]);
	st = parse(test, p, n + 4, list, &s);
	expect_err(test, st, &s, ISPT_ASC_INVALID_FIELD_PARAM, 12);
	n = build(p, 1, 0, 1, 1);
	put_unaligned_be16(31, &p[2]);
	put_unaligned_be32(29, &p[8]);
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_INVALID_FIELD_PARAM, 2);
	n = build(p, 1, 1, 1, 1);
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_INVALID_FIELD_PARAM, 1);
	n = build(p, 1, 3, 1, 1);
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_INVALID_FIELD_PARAM, 0);

	/* Descriptor types we do not carry out */
	n = build(p, 1, 0, 2, 1);
	p[16 + 32] = 0xe0;
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_UNSUPP_TARGET_DESC, 48);
	n = build(p, 1, 0, 1, 1);
	p[48] = 0x03;			/* stream to stream */
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_UNSUPP_SEGMENT_DESC, 48);
	/* A block to block segment of the wrong length */
	n = build(p, 1, 0, 1, 2);
	put_unaligned_be16(20, &p[48 + 2]);
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_INVALID_FIELD_PARAM, 50);
	/* A NUL target, and a target that is not a block device */
	n = build(p, 1, 0, 1, 1);
	p[17] = 0x20;
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_INVALID_FIELD_PARAM, 17);
	p[17] = 0x01;
	st = parse(test, p, n, list, &s);
	expect_err(test, st, &s, ISPT_ASC_INVALID_FIELD_PARAM, 17);
}

static void ispt_xcopy_sense_test(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct ispt_xcopy_list *list = kunit_kzalloc(test, sizeof(*list),
						     GFP_KERNEL);
	struct ispt_sense s;
	u8 fixed[ISPT_SENSE_MAX_LEN];
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, list);
	n = build(p, 1, 0, 2, 3);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
	s = ispt_xcopy_sense(list, 2, ISPT_ASC_COPY_TARGET_UNREACHABLE);
	KUNIT_EXPECT_EQ(test, s.key, COPY_ABORTED);
	KUNIT_EXPECT_EQ(test, s.asc, 0x0d);
	KUNIT_EXPECT_EQ(test, s.ascq, 0x02);
	KUNIT_EXPECT_EQ(test, s.csi, 2U);
	KUNIT_EXPECT_EQ(test, s.field, 16 + 64 + 2 * 28);
	/* Fixed format: COMMAND-SPECIFIC INFORMATION at bytes 8-11 */
	KUNIT_ASSERT_EQ(test, ispt_sense_build(&s, false, fixed,
					       sizeof(fixed)), 18U);
	KUNIT_EXPECT_EQ(test, fixed[2], COPY_ABORTED);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&fixed[8]), 2U);
	KUNIT_EXPECT_EQ(test, fixed[15], 0x80);		/* SKSV, data */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&fixed[16]), 16 + 64 + 56);
	/* Descriptor format: a command-specific information descriptor */
	KUNIT_ASSERT_EQ(test, ispt_sense_build(&s, true, fixed,
					       sizeof(fixed)), 28U);
	KUNIT_EXPECT_EQ(test, fixed[8], 0x01);
	KUNIT_EXPECT_EQ(test, fixed[9], 0x0a);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&fixed[12]), 2ULL);
	KUNIT_EXPECT_EQ(test, fixed[20], 0x02);
}

/* Segment @i against LUs a (512 B, 0x10000 blocks) and b (4 KiB, 0x100) */
static enum sam_status check(struct kunit *test, const u8 *p, u32 n,
			     unsigned int i, bool b_known,
			     struct ispt_xcopy_plan *plan, struct ispt_sense *s)
{
	static const struct ispt_scsi_lun_desc a = {
		.nr_blocks = 0x10000, .block_size = 512,
	};
	static const struct ispt_scsi_lun_desc b = {
		.nr_blocks = 0x100, .block_size = 4096,
	};
	const struct ispt_scsi_lun_desc *tgt[ISPT_XCOPY_MAX_TARGETS] = {
		&a, b_known ? &b : NULL, &a,
	};
	struct ispt_xcopy_list list;
	struct ispt_scsi_cmd cmd;
	enum sam_status st;

	KUNIT_ASSERT_EQ(test, parse(test, p, n, &list, s), SAM_STAT_GOOD);
	cmd.sense = (struct ispt_sense){ };
	st = ispt_xcopy_check_segment(&cmd, &list, i, tgt, plan);
	*s = cmd.sense;
	return st;
}

static void expect_abort(struct kunit *test, enum sam_status st,
			 const struct ispt_sense *s, u16 asc_ascq, u32 seg,
			 u16 field)
{
	KUNIT_ASSERT_EQ(test, st, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s->key, COPY_ABORTED);
	KUNIT_EXPECT_EQ(test, s->asc, asc_ascq >> 8);
	KUNIT_EXPECT_EQ(test, s->ascq, asc_ascq & 0xff);
	KUNIT_EXPECT_TRUE(test, s->flags & ISPT_SENSE_CSI);
	KUNIT_EXPECT_EQ(test, s->csi, seg);
	KUNIT_EXPECT_TRUE(test, s->flags & ISPT_SENSE_SKSV);
	KUNIT_EXPECT_EQ(test, s->field, field);
}

static void ispt_xcopy_check_segment_test(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct ispt_xcopy_plan plan;
	struct ispt_sense s;
	enum sam_status st;
	u32 n, seg1 = 16 + 64 + 28;

	KUNIT_ASSERT_NOT_NULL(test, p);
	/* Segment 1: 9 blocks of a at 16 to b at 0x1001: not whole b blocks */
	n = build(p, 1, 0, 2, 2);
	st = check(test, p, n, 1, true, &plan, &s);
	expect_err(test, st, &s, ISPT_ASC_INVALID_FIELD_PARAM, seg1 + 10);
	/* 8 blocks of 512 B are one of 4 KiB, but 0x1001 is past b's end */
	put_unaligned_be16(8, &p[seg1 + 10]);
	st = check(test, p, n, 1, true, &plan, &s);
	expect_abort(test, st, &s, ISPT_ASC_NONE, 1, seg1 + 20);
	/* In range */
	put_unaligned_be64(0xff, &p[seg1 + 20]);
	st = check(test, p, n, 1, true, &plan, &s);
	KUNIT_ASSERT_EQ(test, st, SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, plan.bytes, 4096ULL);
	KUNIT_EXPECT_EQ(test, plan.src_lba, 16ULL);
	KUNIT_EXPECT_EQ(test, plan.dst_lba, 0xffULL);
	KUNIT_EXPECT_FALSE(test, plan.backward);
	/* DC: the count is destination blocks */
	p[seg1 + 1] = 0x02;
	put_unaligned_be16(1, &p[seg1 + 10]);
	st = check(test, p, n, 1, true, &plan, &s);
	KUNIT_ASSERT_EQ(test, st, SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, plan.bytes, 4096ULL);
	/* One destination block past the end */
	put_unaligned_be16(2, &p[seg1 + 10]);
	st = check(test, p, n, 1, true, &plan, &s);
	expect_abort(test, st, &s, ISPT_ASC_NONE, 1, seg1 + 20);
	/* 9 source blocks are no whole number of destination blocks */
	p[seg1 + 1] = 0;
	put_unaligned_be16(9, &p[seg1 + 10]);
	put_unaligned_be64(0, &p[seg1 + 20]);
	st = check(test, p, n, 1, true, &plan, &s);
	expect_err(test, st, &s, ISPT_ASC_INVALID_FIELD_PARAM, seg1 + 10);
	/* Source past the end, and an LBA near U64_MAX must not wrap */
	put_unaligned_be16(8, &p[seg1 + 10]);
	put_unaligned_be64(0xfff9, &p[seg1 + 12]);
	st = check(test, p, n, 1, true, &plan, &s);
	expect_abort(test, st, &s, ISPT_ASC_NONE, 1, seg1 + 12);
	put_unaligned_be64(U64_MAX - 2, &p[seg1 + 12]);
	st = check(test, p, n, 1, true, &plan, &s);
	expect_abort(test, st, &s, ISPT_ASC_NONE, 1, seg1 + 12);
	/* Up to the last block is fine */
	put_unaligned_be64(0xfff8, &p[seg1 + 12]);
	KUNIT_EXPECT_EQ(test, check(test, p, n, 1, true, &plan, &s),
			SAM_STAT_GOOD);

	/* An LU the target does not have, an index past the list */
	st = check(test, p, n, 1, false, &plan, &s);
	expect_abort(test, st, &s, ISPT_ASC_COPY_TARGET_UNREACHABLE, 1,
		     seg1 + 6);
	put_unaligned_be16(2, &p[seg1 + 4]);
	st = check(test, p, n, 1, true, &plan, &s);
	expect_abort(test, st, &s, ISPT_ASC_COPY_TARGET_UNREACHABLE, 1,
		     seg1 + 4);

	/* Zero blocks copy nothing */
	n = build(p, 1, 0, 1, 1);
	put_unaligned_be16(0, &p[48 + 6]);
	put_unaligned_be16(0, &p[48 + 10]);
	KUNIT_ASSERT_EQ(test, check(test, p, n, 0, true, &plan, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, plan.bytes, 0ULL);

	/* Overlap on one LU, the destination after the source: backward */
	put_unaligned_be16(100, &p[48 + 10]);
	put_unaligned_be64(10, &p[48 + 12]);
	put_unaligned_be64(50, &p[48 + 20]);
	KUNIT_ASSERT_EQ(test, check(test, p, n, 0, true, &plan, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, plan.backward);
	put_unaligned_be64(110, &p[48 + 20]);
	KUNIT_ASSERT_EQ(test, check(test, p, n, 0, true, &plan, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, plan.backward);
	put_unaligned_be64(5, &p[48 + 20]);
	KUNIT_ASSERT_EQ(test, check(test, p, n, 0, true, &plan, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, plan.backward);
}

static void ispt_xcopy_check_targets_test(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct ispt_xcopy_list *list = kunit_kzalloc(test, sizeof(*list),
						     GFP_KERNEL);
	static const struct ispt_scsi_lun_desc a = { .block_size = 512 };
	static const struct ispt_scsi_lun_desc b = { .block_size = 4096 };
	const struct ispt_scsi_lun_desc *tgt[ISPT_XCOPY_MAX_TARGETS] = {
		&a, &b,
	};
	struct ispt_scsi_cmd cmd = { };
	struct ispt_sense s;
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, list);
	/* Both descriptors say 512: b's is wrong */
	n = build(p, 1, 0, 2, 1);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
	expect_err(test, ispt_xcopy_check_targets(&cmd, list, tgt),
		   &cmd.sense, ISPT_ASC_INVALID_FIELD_PARAM, 16 + 32 + 29);
	/* Unknown LUs and a DISK BLOCK LENGTH of 0 are not checked */
	tgt[1] = NULL;
	KUNIT_EXPECT_EQ(test, ispt_xcopy_check_targets(&cmd, list, tgt),
			SAM_STAT_GOOD);
	tgt[1] = &b;
	put_unaligned_be24(0, &p[16 + 32 + 29]);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ispt_xcopy_check_targets(&cmd, list, tgt),
			SAM_STAT_GOOD);
}

static u32 rcr(struct kunit *test, u8 sa, u8 list_id,
	       const struct ispt_xcopy_results *res, u8 *buf, u32 alloc,
	       enum sam_status *st)
{
	u8 cdb[16] = { RECEIVE_COPY_RESULTS, sa, list_id };
	struct ispt_scsi_cmd cmd;
	u32 n = 0;

	put_unaligned_be32(alloc, &cdb[10]);
	KUNIT_EXPECT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
			SAM_STAT_GOOD);
	memset(buf, 0xaa, 64);
	*st = ispt_xcopy_results(&cmd, res, buf, 64, &n);
	return n;
}

static void ispt_xcopy_results_test(struct kunit *test)
{
	struct ispt_xcopy_results res = { };
	struct ispt_xcopy_list list = { .list_id = 5, .hold = true };
	enum sam_status st;
	unsigned int i;
	u8 buf[64];

	/* Operating parameters: the limits parse enforces */
	KUNIT_EXPECT_EQ(test, rcr(test, 3, 0, &res, buf, 64, &st), 46U);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf), 42U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&buf[8]),
			ISPT_XCOPY_MAX_TARGETS);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&buf[10]),
			ISPT_XCOPY_MAX_SEGMENTS);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&buf[12]),
			ISPT_XCOPY_MAX_DESC_LIST_LEN);
	KUNIT_EXPECT_EQ(test, buf[43], 2);
	KUNIT_EXPECT_EQ(test, buf[44], 0x02);
	KUNIT_EXPECT_EQ(test, buf[45], 0xe4);
	KUNIT_EXPECT_EQ(test, buf[46], 0xaa);
	KUNIT_EXPECT_EQ(test, rcr(test, 3, 0, &res, buf, 10, &st), 46U);
	KUNIT_EXPECT_EQ(test, buf[10], 0xaa);

	/* No status held for list 5 yet */
	rcr(test, 0, 5, &res, buf, 64, &st);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_CHECK_CONDITION);

	ispt_xcopy_hold(&res, &list, ISPT_XCOPY_DONE, 1, 0x100000);
	KUNIT_EXPECT_EQ(test, rcr(test, 0, 5, &res, buf, 64, &st), 12U);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf), 8U);
	KUNIT_EXPECT_EQ(test, buf[4], ISPT_XCOPY_DONE);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&buf[5]), 1);
	KUNIT_EXPECT_EQ(test, buf[7], 0);		/* bytes */
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&buf[8]), 0x100000U);

	/* The same list again replaces it; big counts change unit */
	ispt_xcopy_hold(&res, &list, ISPT_XCOPY_DONE_WITH_ERRORS, 3,
			0x300000000ULL);
	rcr(test, 0, 5, &res, buf, 64, &st);
	KUNIT_EXPECT_EQ(test, buf[4], ISPT_XCOPY_DONE_WITH_ERRORS);
	KUNIT_EXPECT_EQ(test, buf[7], 1);		/* KiB */
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&buf[8]), 0xc00000U);

	/* Not held when the list said so; the oldest goes when full */
	list.list_id = 6;
	list.hold = false;
	ispt_xcopy_hold(&res, &list, ISPT_XCOPY_DONE, 1, 1);
	rcr(test, 0, 6, &res, buf, 64, &st);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_CHECK_CONDITION);
	list.hold = true;
	for (i = 0; i < ISPT_XCOPY_MAX_RESULTS; i++) {
		list.list_id = 10 + i;
		ispt_xcopy_hold(&res, &list, ISPT_XCOPY_DONE, 1, 1);
	}
	rcr(test, 0, 5, &res, buf, 64, &st);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_CHECK_CONDITION);
	rcr(test, 0, 10, &res, buf, 64, &st);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_GOOD);
}

static void ispt_xcopy_results_failed_test(struct kunit *test)
{
	struct ispt_xcopy_results res = { };
	struct ispt_xcopy_list list = { .list_id = 9, .hold = true };
	struct ispt_sense sense;
	enum sam_status st;
	u8 buf[128];

	/* Nothing held for list 9: each service action refuses it */
	rcr(test, 1, 9, &res, buf, 64, &st);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_CHECK_CONDITION);
	rcr(test, 4, 9, &res, buf, 64, &st);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_CHECK_CONDITION);

	/* Done without errors: no held data, no failed segment */
	ispt_xcopy_hold(&res, &list, ISPT_XCOPY_DONE, 1, 512);
	KUNIT_EXPECT_EQ(test, rcr(test, 1, 9, &res, buf, 64, &st), 4U);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf), 0U);
	KUNIT_EXPECT_EQ(test, rcr(test, 4, 9, &res, buf, 64, &st), 4U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf), 0U);

	/* Aborted in segment 2: status and fixed-format sense */
	sense = ispt_xcopy_sense(&list, 2, ISPT_ASC_COPY_TARGET_UNREACHABLE);
	ispt_xcopy_hold(&res, &list, ISPT_XCOPY_DONE_WITH_ERRORS, 2, 0);
	ispt_xcopy_hold_sense(&res, &list, &sense);
	memset(buf, 0xaa, sizeof(buf));
	{
		u8 cdb[16] = { RECEIVE_COPY_RESULTS, 4, 9 };
		struct ispt_scsi_cmd cmd;
		u32 n = 0;

		put_unaligned_be32(sizeof(buf), &cdb[10]);
		KUNIT_ASSERT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
				SAM_STAT_GOOD);
		st = ispt_xcopy_results(&cmd, &res, buf, sizeof(buf), &n);
		KUNIT_ASSERT_EQ(test, st, SAM_STAT_GOOD);
		KUNIT_EXPECT_EQ(test, n, 60U + 18);
	}
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf), 56U + 18);
	KUNIT_EXPECT_EQ(test, buf[4], 0);
	KUNIT_EXPECT_EQ(test, buf[55], 0);
	KUNIT_EXPECT_EQ(test, buf[56], SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&buf[58]), 18);
	KUNIT_EXPECT_EQ(test, buf[60], 0x70);		/* fixed, current */
	KUNIT_EXPECT_EQ(test, buf[62], COPY_ABORTED);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&buf[68]), 2U);	/* CSI */
	KUNIT_EXPECT_EQ(test, buf[72], 0x0d);
	KUNIT_EXPECT_EQ(test, buf[73], 0x02);
	KUNIT_EXPECT_EQ(test, buf[78], 0xaa);

	/* Held again without errors: the old sense is gone */
	ispt_xcopy_hold(&res, &list, ISPT_XCOPY_DONE, 3, 0);
	KUNIT_EXPECT_EQ(test, rcr(test, 4, 9, &res, buf, 64, &st), 4U);
	/* A list that is not held keeps no sense either */
	list.hold = false;
	list.list_id = 11;
	ispt_xcopy_hold_sense(&res, &list, &sense);
	rcr(test, 4, 11, &res, buf, 64, &st);
	KUNIT_EXPECT_EQ(test, st, SAM_STAT_CHECK_CONDITION);
}

static void ispt_xcopy_part_test(struct kunit *test)
{
	struct ispt_xcopy_part p = { .size = ISPT_XCOPY_CHUNK, .gran = 4096 };
	struct ispt_xcopy_plan plan = { .bytes = 3 * ISPT_XCOPY_CHUNK + 8192 };
	u64 pos;
	u32 len;

	/* Chunks forward, then from the end for a backward segment */
	ispt_xcopy_chunk(&plan, 0, &pos, &len);
	KUNIT_EXPECT_EQ(test, pos, 0ULL);
	KUNIT_EXPECT_EQ(test, len, ISPT_XCOPY_CHUNK);
	ispt_xcopy_chunk(&plan, 3 * ISPT_XCOPY_CHUNK, &pos, &len);
	KUNIT_EXPECT_EQ(test, pos, 3ULL * ISPT_XCOPY_CHUNK);
	KUNIT_EXPECT_EQ(test, len, 8192U);
	plan.backward = true;
	ispt_xcopy_chunk(&plan, 0, &pos, &len);
	KUNIT_EXPECT_EQ(test, pos, 2ULL * ISPT_XCOPY_CHUNK + 8192);
	KUNIT_EXPECT_EQ(test, len, ISPT_XCOPY_CHUNK);
	ispt_xcopy_chunk(&plan, 3 * ISPT_XCOPY_CHUNK, &pos, &len);
	KUNIT_EXPECT_EQ(test, pos, 0ULL);
	KUNIT_EXPECT_EQ(test, len, 8192U);

	/* A whole chunk in one part */
	ispt_xcopy_part_begin(&p, ISPT_XCOPY_CHUNK);
	KUNIT_EXPECT_EQ(test, p.off, 0U);
	KUNIT_EXPECT_EQ(test, p.len, ISPT_XCOPY_CHUNK);
	/* A shortage: the same offset, half as long, and a wait */
	KUNIT_EXPECT_EQ(test, ispt_xcopy_part_end(&p, ISPT_XCOPY_IO_SHORT),
			ISPT_XCOPY_RETRY);
	KUNIT_EXPECT_EQ(test, p.off, 0U);
	KUNIT_EXPECT_EQ(test, p.len, ISPT_XCOPY_CHUNK / 2);
	KUNIT_EXPECT_EQ(test, ispt_xcopy_retry_ms(&p), 1U);
	KUNIT_EXPECT_EQ(test, ispt_xcopy_part_end(&p, ISPT_XCOPY_IO_SHORT),
			ISPT_XCOPY_RETRY);
	KUNIT_EXPECT_EQ(test, p.len, ISPT_XCOPY_CHUNK / 4);
	KUNIT_EXPECT_EQ(test, ispt_xcopy_retry_ms(&p), 2U);
	/* Success moves on and doubles the part back */
	KUNIT_EXPECT_EQ(test, ispt_xcopy_part_end(&p, ISPT_XCOPY_IO_OK),
			ISPT_XCOPY_NEXT_PART);
	KUNIT_EXPECT_EQ(test, p.off, ISPT_XCOPY_CHUNK / 4);
	KUNIT_EXPECT_EQ(test, p.len, ISPT_XCOPY_CHUNK / 2);
	KUNIT_EXPECT_EQ(test, p.retries, 0U);
	KUNIT_EXPECT_EQ(test, ispt_xcopy_part_end(&p, ISPT_XCOPY_IO_OK),
			ISPT_XCOPY_NEXT_PART);
	/* Cut at the end of the chunk */
	KUNIT_EXPECT_EQ(test, p.off, 3 * ISPT_XCOPY_CHUNK / 4);
	KUNIT_EXPECT_EQ(test, p.len, ISPT_XCOPY_CHUNK / 4);
	KUNIT_EXPECT_EQ(test, ispt_xcopy_part_end(&p, ISPT_XCOPY_IO_OK),
			ISPT_XCOPY_STEP_DONE);
	KUNIT_EXPECT_EQ(test, p.size, ISPT_XCOPY_CHUNK);

	/* Never below one block of both LUs; the wait stops growing */
	ispt_xcopy_part_begin(&p, 3 * 4096);
	while (p.retries < 20)
		KUNIT_ASSERT_EQ(test,
				ispt_xcopy_part_end(&p, ISPT_XCOPY_IO_SHORT),
				ISPT_XCOPY_RETRY);
	KUNIT_EXPECT_EQ(test, p.len, 4096U);
	KUNIT_EXPECT_EQ(test, ispt_xcopy_retry_ms(&p),
			(unsigned int)ISPT_XCOPY_RETRY_MAX_MS);
	/* A medium error is the end */
	KUNIT_EXPECT_EQ(test, ispt_xcopy_part_end(&p, ISPT_XCOPY_IO_ERROR),
			ISPT_XCOPY_FAIL);

	/* Cut to 3 x 512 in one segment, whole 4 KiB blocks in the next */
	p = (struct ispt_xcopy_part){ .size = ISPT_XCOPY_CHUNK, .gran = 512 };
	ispt_xcopy_part_begin(&p, 6 * 512);
	KUNIT_EXPECT_EQ(test, ispt_xcopy_part_end(&p, ISPT_XCOPY_IO_SHORT),
			ISPT_XCOPY_RETRY);
	KUNIT_EXPECT_EQ(test, p.len, 3 * 512U);
	p.gran = 4096;
	ispt_xcopy_part_begin(&p, 4 * 4096);
	KUNIT_EXPECT_EQ(test, p.len % 4096, 0U);
	KUNIT_EXPECT_EQ(test, p.len, 4096U);
}

/*
 * A backward copy on one LU (blocks 0-5999 to 1000-6999, three chunks),
 * carried out as xcopy_exec.c does with ispt_xcopy_chunk() and the part
 * state, with shortages injected: every third part falls short, a write
 * that falls short having written the first half of its blocks. The
 * blocks must end as memmove leaves them. @restart models what TASK SET
 * FULL used to cause: the copy ends at the first shortage of a write and
 * the initiator sends it again from the start.
 */
#define SIM_BS		512U
#define SIM_BLOCKS	7000U

static void sim_copy(u32 *disk, u32 *buf, bool restart)
{
	struct ispt_xcopy_plan plan = {
		.src_lba = 0, .dst_lba = 1000, .bytes = 6000 * SIM_BS,
		.backward = true,
	};
	struct ispt_xcopy_part p;
	unsigned int n = 0, step;
	u64 done, pos;
	u32 len, i, b;

again:
	p = (struct ispt_xcopy_part){ .size = ISPT_XCOPY_CHUNK,
				      .gran = SIM_BS };
	for (done = 0; done < plan.bytes; done += len) {
		ispt_xcopy_chunk(&plan, done, &pos, &len);
		for (step = 0; step < 2; step++) {
			enum ispt_xcopy_next next;

			ispt_xcopy_part_begin(&p, len);
			do {
				bool short_io = ++n % 3 == 0;
				u32 blocks = p.len / SIM_BS;

				b = (pos + p.off) / SIM_BS;
				if (short_io && step)
					blocks /= 2;
				for (i = 0; i < blocks; i++) {
					u32 at = p.off / SIM_BS + i;

					if (step)
						disk[plan.dst_lba + b + i] = buf[at];
					else
						buf[at] = disk[plan.src_lba + b + i];
				}
				if (short_io && step && restart) {
					restart = false;
					goto again;
				}
				next = ispt_xcopy_part_end(&p, short_io ?
							   ISPT_XCOPY_IO_SHORT :
							   ISPT_XCOPY_IO_OK);
			} while (next != ISPT_XCOPY_STEP_DONE);
		}
	}
}

static void ispt_xcopy_overlap_retry_test(struct kunit *test)
{
	u32 *disk = kunit_kcalloc(test, SIM_BLOCKS, sizeof(u32), GFP_KERNEL);
	u32 *want = kunit_kcalloc(test, SIM_BLOCKS, sizeof(u32), GFP_KERNEL);
	u32 *buf = kunit_kcalloc(test, ISPT_XCOPY_CHUNK / SIM_BS, sizeof(u32),
				 GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, disk);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < SIM_BLOCKS; i++)
		want[i] = i;
	memmove(&want[1000], &want[0], 6000 * sizeof(u32));

	/* The old way: sent again after a half-done write, it is wrong */
	for (i = 0; i < SIM_BLOCKS; i++)
		disk[i] = i;
	sim_copy(disk, buf, true);
	KUNIT_EXPECT_NE(test, memcmp(disk, want, SIM_BLOCKS * sizeof(u32)), 0);

	/* Parts moved again where they fell short: memmove's result */
	for (i = 0; i < SIM_BLOCKS; i++)
		disk[i] = i;
	sim_copy(disk, buf, false);
	KUNIT_EXPECT_EQ(test, memcmp(disk, want, SIM_BLOCKS * sizeof(u32)), 0);
}

static void ispt_xcopy_claim_test(struct kunit *test)
{
	struct ispt_xcopy_results *res = kunit_kzalloc(test, sizeof(*res),
						       GFP_KERNEL);
	struct ispt_xcopy_list *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct ispt_xcopy_list *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	u8 *p = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct ispt_sense s;
	u8 usage;
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* 00b and 10b: a second copy with list id 200 is refused */
	for (usage = 0; usage <= 2; usage += 2) {
		n = build(p, 200, usage, 2, 1);
		KUNIT_ASSERT_EQ(test, parse(test, p, n, a, &s), SAM_STAT_GOOD);
		KUNIT_ASSERT_EQ(test, parse(test, p, n, b, &s), SAM_STAT_GOOD);
		KUNIT_EXPECT_TRUE(test, ispt_xcopy_claim(res, a));
		KUNIT_EXPECT_FALSE(test, ispt_xcopy_claim(res, b));
		ispt_xcopy_unclaim(res, a);
		KUNIT_EXPECT_TRUE(test, ispt_xcopy_claim(res, b));
		ispt_xcopy_unclaim(res, b);
		KUNIT_EXPECT_TRUE(test, !memchr_inv(res->running, 0, sizeof(res->running)));
	}
	/* Another list id runs beside it */
	n = build(p, 7, 0, 2, 1);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, a, &s), SAM_STAT_GOOD);
	n = build(p, 8, 0, 2, 1);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, b, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, ispt_xcopy_claim(res, a));
	KUNIT_EXPECT_TRUE(test, ispt_xcopy_claim(res, b));
	ispt_xcopy_unclaim(res, a);
	ispt_xcopy_unclaim(res, b);
	/* 11b: no list id, any number of them, and nothing taken */
	n = build(p, 0, 3, 2, 1);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, a, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, ispt_xcopy_claim(res, a));
	KUNIT_EXPECT_TRUE(test, ispt_xcopy_claim(res, a));
	KUNIT_EXPECT_TRUE(test, !memchr_inv(res->running, 0, sizeof(res->running)));
	ispt_xcopy_unclaim(res, a);
	/* A usage 11b copy does not free a running list id 0 */
	n = build(p, 0, 0, 2, 1);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, b, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, ispt_xcopy_claim(res, b));
	ispt_xcopy_unclaim(res, a);
	KUNIT_EXPECT_FALSE(test, ispt_xcopy_claim(res, b));
}

static void ispt_xcopy_check_writable_test(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct ispt_xcopy_list *list = kunit_kzalloc(test, sizeof(*list),
						     GFP_KERNEL);
	struct ispt_scsi_lun_desc a = { .nr_blocks = 0x10000, .block_size = 512 };
	struct ispt_scsi_lun_desc b = a;
	const struct ispt_scsi_lun_desc *tgt[ISPT_XCOPY_MAX_TARGETS] = {
		&a, &b,
	};
	struct ispt_scsi_cmd cmd = { };
	struct ispt_sense s;
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, list);
	/* Two segments from target 0 (a) to target 1 (b) */
	n = build(p, 1, 0, 2, 2);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ispt_xcopy_check_writable(&cmd, list, tgt),
			SAM_STAT_GOOD);
	/* The source's protection does not matter */
	a.read_only = true;
	a.mode.swp = true;
	KUNIT_EXPECT_EQ(test, ispt_xcopy_check_writable(&cmd, list, tgt),
			SAM_STAT_GOOD);
	b.mode.swp = true;
	KUNIT_ASSERT_EQ(test, ispt_xcopy_check_writable(&cmd, list, tgt),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense.key, DATA_PROTECT);
	KUNIT_EXPECT_EQ(test, cmd.sense.asc, 0x27);
	KUNIT_EXPECT_EQ(test, cmd.sense.ascq, 0x02);
	b.mode.swp = false;
	b.read_only = true;
	KUNIT_ASSERT_EQ(test, ispt_xcopy_check_writable(&cmd, list, tgt),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense.key, DATA_PROTECT);
	KUNIT_EXPECT_EQ(test, cmd.sense.asc, 0x27);
	KUNIT_EXPECT_EQ(test, cmd.sense.ascq, 0x00);
	/* The second segment's destination counts too */
	b.read_only = false;
	put_unaligned_be16(0, &p[16 + 64 + 28 + 6]);
	KUNIT_ASSERT_EQ(test, parse(test, p, n, list, &s), SAM_STAT_GOOD);
	KUNIT_ASSERT_EQ(test, ispt_xcopy_check_writable(&cmd, list, tgt),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense.key, DATA_PROTECT);
}

static struct kunit_case ispt_xcopy_cases[] = {
	KUNIT_CASE(ispt_xcopy_parse_good_test),
	KUNIT_CASE(ispt_xcopy_parse_bad_test),
	KUNIT_CASE(ispt_xcopy_sense_test),
	KUNIT_CASE(ispt_xcopy_check_segment_test),
	KUNIT_CASE(ispt_xcopy_check_targets_test),
	KUNIT_CASE(ispt_xcopy_results_test),
	KUNIT_CASE(ispt_xcopy_results_failed_test),
	KUNIT_CASE(ispt_xcopy_part_test),
	KUNIT_CASE(ispt_xcopy_overlap_retry_test),
	KUNIT_CASE(ispt_xcopy_claim_test),
	KUNIT_CASE(ispt_xcopy_check_writable_test),
	{}
};

static struct kunit_suite ispt_xcopy_suite = {
	.name = "iscsi_spt_xcopy",
	.test_cases = ispt_xcopy_cases,
};

kunit_test_suite(ispt_xcopy_suite);
