// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mode parameters: MODE SENSE with current, changeable
 * and default values, and MODE SELECT lists, good and bad, down to the
 * field pointer of the byte and bit that was wrong, applied whole or not
 * at all.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "mode.h"
#include "scsi.h"

/* A 32 MiB disk with a volatile cache, current values WCE=1 */
static const struct ispt_scsi_lun_desc lu_disk = {
	.nr_blocks = 0x10000, .block_size = 512, .fua = true,
	.write_cache = true, .mode = { .wce = true },
};

/* No cache, 2^33 blocks of 4 KiB, descriptor sense, SWP */
static const struct ispt_scsi_lun_desc lu_big = {
	.nr_blocks = 1ULL << 33, .block_size = 4096, .fua = true,
	.mode = { .d_sense = true, .swp = true },
};

static const struct ispt_scsi_lun_desc lu_ro = {
	.nr_blocks = 0x10000, .block_size = 512, .read_only = true,
};

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

/* ---- MODE SENSE -------------------------------------------------------- */

#define MS6(dbd, pc_page, sub)	{ MODE_SENSE, dbd, pc_page, sub, 0xff, 0 }
#define MS10(byte1, pc_page)	{ MODE_SENSE_10, byte1, pc_page, 0, 0, 0, 0, \
				  0, 0xff, 0 }

/* The four pages, as the bytes after their 2-byte headers vary */
struct pages {
	bool	rw, caching, control, iec;
	u8	caching2;		/* WCE */
	u8	control2, control3, control4;
	u8	iec2;
	u8	control5;		/* TAS */
};

#define CUR_DISK	{ true, true, true, true, 0x04, 0x22, 0x10, 0, 0x08, 0x40 }
#define CHG_DISK	{ true, true, true, true, 0x04, 0x04, 0, 0x08, 0 }
#define CUR_BIG		{ true, true, true, true, 0, 0x26, 0x10, 0x08, 0x08, 0x40 }
#define CTL_ONLY(c2, c3, c4)	{ .control = true, .control2 = c2, \
				  .control3 = c3, .control4 = c4, \
				  .control5 = 0x40 }

struct mode_case {
	const char				*name;
	u8					cdb[16];
	const struct ispt_scsi_lun_desc		*lun;
	u8					hdr[8];	/* 4 for (6) */
	u8					bd[16];
	u8					bd_len;
	struct pages				pages;
};

#define DISK_BD		.bd = { 0, 0x01, 0, 0, 0, 0, 0x02, 0 }, .bd_len = 8

static const struct mode_case mode_sense_cases[] = {
	{ "ms6 all pages", MS6(0, 0x3f, 0), &lu_disk,
	  { 67, 0, 0x10, 8 }, DISK_BD, CUR_DISK },
	{ "ms6 all pages and subpages", MS6(0, 0x3f, 0xff), &lu_disk,
	  { 67, 0, 0x10, 8 }, DISK_BD, CUR_DISK },
	{ "ms6 changeable: WCE, D_SENSE, SWP", MS6(0, 0x7f, 0), &lu_disk,
	  { 67, 0, 0x10, 8 }, DISK_BD, CHG_DISK },
	{ "ms6 changeable, no cache: D_SENSE, SWP", MS6(0x08, 0x7f, 0),
	  &lu_big, { 59, 0, 0x90, 0 },
	  .pages = { true, true, true, true, 0, 0x04, 0, 0x08, 0 } },
	{ "ms6 default", MS6(0x08, 0xbf, 0), &lu_big,
	  { 59, 0, 0x90, 0 },
	  .pages = { true, true, true, true, 0, 0x22, 0x10, 0, 0x08, 0x40 } },
	{ "ms6 current, SWP: write protected", MS6(0x08, 0x0a, 0), &lu_big,
	  { 15, 0, 0x90, 0 }, .pages = CTL_ONLY(0x26, 0x10, 0x08) },
	{ "ms6 read-only, no DPOFUA", MS6(0x08, 0x1c, 0), &lu_ro,
	  { 15, 0, 0x80, 0 }, .pages = { .iec = true, .iec2 = 0x08 } },
	{ "ms6 over 32-bit capacity", MS6(0, 0x01, 0), &lu_big,
	  { 23, 0, 0x90, 8 },
	  .bd = { 0xff, 0xff, 0xff, 0xff, 0, 0, 0x10, 0 }, .bd_len = 8,
	  .pages = { .rw = true } },
	{ "ms10 all pages", MS10(0, 0x3f), &lu_disk,
	  { 0, 70, 0, 0x10, 0, 0, 0, 8 }, DISK_BD, CUR_DISK },
	{ "ms10 long lba", MS10(0x10, 0x3f), &lu_big,
	  { 0, 78, 0, 0x90, 0x01, 0, 0, 16 },
	  .bd = { 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0 },
	  .bd_len = 16, CUR_BIG },
	{ "ms10 long lba, dbd", MS10(0x18, 0x0a), &lu_big,
	  { 0, 18, 0, 0x90, 0, 0, 0, 0 }, .pages = CTL_ONLY(0x26, 0x10, 0x08) },
};

static void mode_case_desc(const struct mode_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mode_sense, mode_sense_cases, mode_case_desc);

static u32 add_page(u8 *p, u8 code, u8 len, u8 b2, u8 b3, u8 b4)
{
	p[0] = code;
	p[1] = len - 2;
	p[2] = b2;
	p[3] = b3;
	p[4] = b4;
	return len;
}

/* The control page, with TAS (byte 5) as current and default values have. */
static u32 add_control(u8 *p, u8 b2, u8 b3, u8 b4, u8 b5)
{
	u32 len = add_page(p, 0x0a, 12, b2, b3, b4);

	p[5] = b5;
	return len;
}

static void ispt_mode_sense_test(struct kunit *test)
{
	const struct mode_case *t = test->param_value;
	struct ispt_scsi_cmd cmd = decode(test, t->cdb, t->lun);
	u32 hdr_len = t->cdb[0] == MODE_SENSE_10 ? 8 : 4, n = 0;
	const struct pages *pg = &t->pages;
	u8 want[128] = { }, buf[160];

	memcpy(want, t->hdr, hdr_len);
	n += hdr_len;
	memcpy(&want[n], t->bd, t->bd_len);
	n += t->bd_len;
	if (pg->rw)
		n += add_page(&want[n], 0x01, 12, 0, 0, 0);
	if (pg->caching)
		n += add_page(&want[n], 0x08, 20, pg->caching2, 0, 0);
	if (pg->control)
		n += add_control(&want[n], pg->control2, pg->control3,
				 pg->control4, pg->control5);
	if (pg->iec)
		n += add_page(&want[n], 0x1c, 12, pg->iec2, 0, 0);

	memset(buf, 0xaa, sizeof(buf));
	KUNIT_ASSERT_EQ(test, ispt_mode_sense(&cmd, t->lun, buf, sizeof(buf)),
			n);
	expect_bytes(test, buf, want, n);
	KUNIT_EXPECT_EQ(test, buf[n], 0xaa);

	/* Cut at the allocation length, still the full length back */
	memset(buf, 0xaa, sizeof(buf));
	cmd.alloc_len = 5;
	KUNIT_EXPECT_EQ(test, ispt_mode_sense(&cmd, t->lun, buf, sizeof(buf)),
			n);
	expect_bytes(test, buf, want, 5);
	KUNIT_EXPECT_EQ(test, buf[5], 0xaa);
}

/* Every page and subpage decode accepts is one we build, and no other. */
static void ispt_mode_pages_match_decode_test(struct kunit *test)
{
	u8 cdb[16] = MS6(0, 0, 0);
	struct ispt_scsi_cmd cmd;
	unsigned int page, sub;

	for (page = 0; page < 0x40; page++) {
		for (sub = 0; sub < 256; sub++) {
			bool ok = (page == 0x01 || page == 0x08 ||
				   page == 0x0a || page == 0x1c ||
				   page == 0x3f) && (sub == 0 || sub == 0xff);

			cdb[2] = page;
			cdb[3] = sub;
			KUNIT_EXPECT_EQ_MSG(test, ispt_scsi_decode(&cmd, cdb, 16,
								   &lu_disk),
					    ok ? SAM_STAT_GOOD :
						 SAM_STAT_CHECK_CONDITION,
					    "page %#x subpage %#x", page, sub);
			KUNIT_EXPECT_EQ(test, ispt_mode_page_supported(page, sub),
					ok);
		}
	}
}

/* ---- MODE SELECT ------------------------------------------------------ */

/*
 * A MODE SELECT(6) list: the header, an optional block descriptor, then
 * the pages as MODE SENSE returns them for @v (what initiators do).
 */
static u32 select6_list(u8 *p, const struct ispt_scsi_lun_desc *lun,
			bool bd, bool caching, bool control,
			const struct ispt_scsi_mode_params *v)
{
	u32 n = 4;

	memset(p, 0, 64);
	if (bd) {
		p[3] = 8;
		put_unaligned_be32(lun->nr_blocks, &p[4]);
		put_unaligned_be24(lun->block_size, &p[9]);
		n += 8;
	}
	if (caching)
		n += add_page(&p[n], 0x08, 20, v->wce ? 0x04 : 0, 0, 0);
	if (control)
		n += add_control(&p[n], 0x22 | (v->d_sense ? 0x04 : 0),
				 0x10, v->swp ? 0x08 : 0, 0x40);
	return n;
}

static enum sam_status select(struct kunit *test,
			      const struct ispt_scsi_lun_desc *lun, bool ten,
			      const u8 *p, u32 len,
			      struct ispt_scsi_mode_params *out,
			      struct ispt_sense *sense)
{
	u8 cdb[16] = { MODE_SELECT, 0x10, 0, 0, len };
	struct ispt_scsi_cmd cmd;
	enum sam_status st;

	if (ten) {
		memset(cdb, 0, sizeof(cdb));
		cdb[0] = MODE_SELECT_10;
		cdb[1] = 0x10;
		put_unaligned_be16(len, &cdb[7]);
	}
	cmd = decode(test, cdb, lun);
	st = ispt_mode_select(&cmd, lun, p, len, out);
	*sense = cmd.sense;
	return st;
}

static void expect_param_field(struct kunit *test, enum sam_status st,
			       const struct ispt_sense *s, int field, int bit)
{
	KUNIT_ASSERT_EQ(test, st, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s->key, ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, s->asc, 0x26);
	KUNIT_EXPECT_EQ(test, s->ascq, 0);
	KUNIT_EXPECT_FALSE(test, s->flags & ISPT_SENSE_CD);
	KUNIT_EXPECT_EQ(test, s->field, field);
	if (bit < 0) {
		KUNIT_EXPECT_FALSE(test, s->flags & ISPT_SENSE_BPV);
	} else {
		KUNIT_EXPECT_TRUE(test, s->flags & ISPT_SENSE_BPV);
		KUNIT_EXPECT_EQ(test, s->bit, bit);
	}
}

static void expect_param_length(struct kunit *test, enum sam_status st,
				const struct ispt_sense *s)
{
	KUNIT_ASSERT_EQ(test, st, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, s->key, ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, s->asc, 0x1a);
}

static void ispt_mode_select_good_test(struct kunit *test)
{
	struct ispt_scsi_mode_params v = { .wce = false, .d_sense = true,
					   .swp = true }, out;
	struct ispt_sense s;
	u8 p[64];
	u32 n;

	/* Both pages, with a block descriptor restating the geometry */
	n = select6_list(p, &lu_disk, true, true, true, &v);
	KUNIT_ASSERT_EQ(test, select(test, &lu_disk, false, p, n, &out, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, out.wce);
	KUNIT_EXPECT_TRUE(test, out.d_sense);
	KUNIT_EXPECT_TRUE(test, out.swp);

	/* A block descriptor with zero blocks means "unchanged" */
	put_unaligned_be32(0, &p[4]);
	KUNIT_EXPECT_EQ(test, select(test, &lu_disk, false, p, n, &out, &s),
			SAM_STAT_GOOD);

	/* One page: the others keep their current values */
	n = select6_list(p, &lu_disk, false, false, true, &v);
	KUNIT_ASSERT_EQ(test, select(test, &lu_disk, false, p, n, &out, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, out.wce);
	KUNIT_EXPECT_TRUE(test, out.swp);

	/* The PS bit is reserved in MODE SELECT: ignored */
	p[4] |= 0x80;
	KUNIT_EXPECT_EQ(test, select(test, &lu_disk, false, p, n, &out, &s),
			SAM_STAT_GOOD);

	/* Nothing at all, or only a header */
	KUNIT_EXPECT_EQ(test, select(test, &lu_disk, false, p, 0, &out, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, out.wce);
	KUNIT_EXPECT_EQ(test, select(test, &lu_disk, false, p, 4, &out, &s),
			SAM_STAT_GOOD);

	/* MODE SELECT(10) with a long LBA descriptor */
	memset(p, 0, sizeof(p));
	p[4] = 0x01;			/* LONGLBA */
	p[7] = 16;
	put_unaligned_be64(lu_big.nr_blocks, &p[8]);
	put_unaligned_be32(lu_big.block_size, &p[20]);
	n = 24 + add_control(&p[24], 0x22, 0x10, 0, 0x40);
	KUNIT_ASSERT_EQ(test, select(test, &lu_big, true, p, n, &out, &s),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, out.d_sense);
	KUNIT_EXPECT_FALSE(test, out.swp);
}

static void ispt_mode_select_bad_test(struct kunit *test)
{
	struct ispt_scsi_mode_params v = lu_disk.mode, out;
	struct ispt_sense s;
	enum sam_status st;
	u8 p[64];
	u32 n;

	/* A bit that cannot change: QAM, byte 3 of the control page */
	n = select6_list(p, &lu_disk, false, false, true, &v);
	p[4 + 3] = 0x00;
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 4 + 3, 4);

	/* TST: one task set for all initiators is not what we keep */
	n = select6_list(p, &lu_disk, false, false, true, &v);
	p[4 + 2] &= ~0xe0;
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 4 + 2, 5);

	/* WCE is not changeable without a cache */
	v = lu_big.mode;
	v.wce = true;
	n = select6_list(p, &lu_big, false, true, false, &v);
	st = select(test, &lu_big, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 4 + 2, 2);

	/* A page of the wrong length */
	v = lu_disk.mode;
	n = select6_list(p, &lu_disk, false, true, false, &v);
	p[5] = 0x10;
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 5, -1);

	/* A page we do not have, and subpage format */
	n = select6_list(p, &lu_disk, false, true, false, &v);
	p[4] = 0x02;
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 4, 5);
	p[4] = 0x48;
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 4, 6);

	/* A page cut short, and a page header cut short */
	n = select6_list(p, &lu_disk, false, true, false, &v);
	st = select(test, &lu_disk, false, p, n - 1, &out, &s);
	expect_param_length(test, st, &s);
	st = select(test, &lu_disk, false, p, 5, &out, &s);
	expect_param_length(test, st, &s);

	/* Shorter than the header */
	st = select(test, &lu_disk, false, p, 3, &out, &s);
	expect_param_length(test, st, &s);

	/* Block descriptors: too long for the list, odd length, geometry */
	n = select6_list(p, &lu_disk, true, false, false, &v);
	st = select(test, &lu_disk, false, p, n - 1, &out, &s);
	expect_param_length(test, st, &s);
	p[3] = 4;
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 3, -1);
	n = select6_list(p, &lu_disk, true, false, false, &v);
	put_unaligned_be24(4096, &p[9]);
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 9, -1);
	n = select6_list(p, &lu_disk, true, false, false, &v);
	put_unaligned_be32(0x20000, &p[4]);
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 4, -1);

	/* MEDIUM TYPE must be zero */
	n = select6_list(p, &lu_disk, false, true, false, &v);
	p[1] = 1;
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 1, -1);

	/* "All pages" is not a page one can select */
	n = select6_list(p, &lu_disk, false, true, false, &v);
	p[4] = 0x3f;
	st = select(test, &lu_disk, false, p, n, &out, &s);
	expect_param_field(test, st, &s, 4, 5);
}

static void ispt_mode_apply_test(struct kunit *test)
{
	struct ispt_scsi_lun_desc lun = lu_disk;
	struct ispt_scsi_mode_params p;
	struct ispt_mode_state ms;

	lun.mode = (struct ispt_scsi_mode_params){ .swp = true };
	ispt_mode_init(&ms, &lun);
	/* Defaults become current: WCE from the device */
	KUNIT_EXPECT_TRUE(test, lun.mode.wce);
	KUNIT_EXPECT_FALSE(test, lun.mode.swp);

	p = lun.mode;
	KUNIT_EXPECT_FALSE(test, ispt_mode_apply(&ms, &lun, &p));
	p.d_sense = true;
	p.swp = true;
	KUNIT_EXPECT_TRUE(test, ispt_mode_apply(&ms, &lun, &p));
	KUNIT_EXPECT_TRUE(test, lun.mode.d_sense);
	KUNIT_EXPECT_TRUE(test, lun.mode.swp);

	/* A reset brings back the defaults; then nothing changes */
	KUNIT_EXPECT_TRUE(test, ispt_mode_reset(&ms, &lun));
	KUNIT_EXPECT_FALSE(test, lun.mode.d_sense);
	KUNIT_EXPECT_FALSE(test, lun.mode.swp);
	KUNIT_EXPECT_TRUE(test, lun.mode.wce);
	KUNIT_EXPECT_FALSE(test, ispt_mode_reset(&ms, &lun));
}

/*
 * The executor's path: check and apply under the lock. A good list
 * changes what it sends and says so, the same list again changes
 * nothing, a bad one (however much of it was good) changes nothing.
 */
static void ispt_mode_select_apply_test(struct kunit *test)
{
	u8 cdb[16] = { MODE_SELECT, 0x10, 0, 0, 64 };
	struct ispt_scsi_lun_desc lun = lu_disk;
	struct ispt_scsi_mode_params v;
	struct ispt_mode_state ms;
	struct ispt_scsi_cmd cmd;
	bool changed = true;
	u8 p[64];
	u32 n;

	ispt_mode_init(&ms, &lun);
	cmd = decode(test, cdb, &lun);

	/* WCE off and D_SENSE on, in one list of two pages */
	v = (struct ispt_scsi_mode_params){ .wce = false, .d_sense = true };
	n = select6_list(p, &lun, false, true, true, &v);
	KUNIT_ASSERT_EQ(test, ispt_mode_select_apply(&ms, &cmd, &lun, p, n,
						     &changed), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, changed);
	KUNIT_EXPECT_FALSE(test, lun.mode.wce);
	KUNIT_EXPECT_TRUE(test, lun.mode.d_sense);
	KUNIT_EXPECT_FALSE(test, lun.mode.swp);

	/* The same again: GOOD, nothing changed (no unit attention) */
	KUNIT_ASSERT_EQ(test, ispt_mode_select_apply(&ms, &cmd, &lun, p, n,
						     &changed), SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, changed);

	/* Only the control page: the caching page keeps WCE=0 */
	v = (struct ispt_scsi_mode_params){ .swp = true };
	n = select6_list(p, &lun, false, false, true, &v);
	KUNIT_ASSERT_EQ(test, ispt_mode_select_apply(&ms, &cmd, &lun, p, n,
						     &changed), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, changed);
	KUNIT_EXPECT_FALSE(test, lun.mode.wce);
	KUNIT_EXPECT_FALSE(test, lun.mode.d_sense);
	KUNIT_EXPECT_TRUE(test, lun.mode.swp);

	/* A good caching page, then a bad control page: nothing applied */
	v = (struct ispt_scsi_mode_params){ .wce = true, .d_sense = true };
	n = select6_list(p, &lun, false, true, true, &v);
	p[4 + 20 + 3] = 0;		/* QAM of the control page */
	KUNIT_EXPECT_EQ(test, ispt_mode_select_apply(&ms, &cmd, &lun, p, n,
						     &changed),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_FALSE(test, changed);
	KUNIT_EXPECT_EQ(test, cmd.sense.asc, 0x26);
	KUNIT_EXPECT_EQ(test, cmd.sense.field, 4 + 20 + 3);
	KUNIT_EXPECT_FALSE(test, lun.mode.wce);
	KUNIT_EXPECT_FALSE(test, lun.mode.d_sense);
	KUNIT_EXPECT_TRUE(test, lun.mode.swp);

	/* Cut short: PARAMETER LIST LENGTH ERROR, nothing applied */
	KUNIT_EXPECT_EQ(test, ispt_mode_select_apply(&ms, &cmd, &lun, p, 10,
						     &changed),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense.asc, 0x1a);
	KUNIT_EXPECT_FALSE(test, changed);
	KUNIT_EXPECT_FALSE(test, lun.mode.wce);
}

/* D_SENSE picks the format: fixed (70h) or descriptor (72h) */
static void ispt_mode_d_sense_format_test(struct kunit *test)
{
	struct ispt_sense s = ispt_sense_invalid_param_field(27, 4);
	u8 buf[ISPT_SENSE_MAX_LEN];
	u32 n;

	n = ispt_sense_build(&s, false, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, n, ISPT_SENSE_FIXED_LEN);
	KUNIT_EXPECT_EQ(test, buf[0], 0x70);
	KUNIT_EXPECT_EQ(test, buf[12], 0x26);
	n = ispt_sense_build(&s, true, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf[0], 0x72);
	KUNIT_EXPECT_EQ(test, buf[1], ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, buf[2], 0x26);
	KUNIT_EXPECT_EQ(test, n, 8 + 8);	/* one SKS descriptor */
	KUNIT_EXPECT_EQ(test, buf[8], 0x02);
	KUNIT_EXPECT_EQ(test, buf[12], 0x80 | 0x08 | 4);	/* SKSV BPV bit */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&buf[13]), 27);
}

static struct kunit_case ispt_mode_cases[] = {
	KUNIT_CASE_PARAM(ispt_mode_sense_test, mode_sense_gen_params),
	KUNIT_CASE(ispt_mode_pages_match_decode_test),
	KUNIT_CASE(ispt_mode_select_good_test),
	KUNIT_CASE(ispt_mode_select_bad_test),
	KUNIT_CASE(ispt_mode_apply_test),
	KUNIT_CASE(ispt_mode_select_apply_test),
	KUNIT_CASE(ispt_mode_d_sense_format_test),
	{}
};

static struct kunit_suite ispt_mode_suite = {
	.name = "iscsi_spt_mode",
	.test_cases = ispt_mode_cases,
};

kunit_test_suite(ispt_mode_suite);
