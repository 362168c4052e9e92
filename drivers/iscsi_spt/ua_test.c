// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the unit attention queue of an I_T nexus (and what a
 * command meets there), the LU's capacity update, and the LBA range lock.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <scsi/scsi_proto.h>

#include "lbalock.h"
#include "lun.h"
#include "ua.h"

static void expect_ua(struct kunit *test, struct ispt_ua_queue *q, u16 lun,
		      u16 asc_ascq)
{
	struct ispt_sense s = { };

	KUNIT_ASSERT_TRUE_MSG(test, ispt_ua_take(q, lun, &s), "lun %u", lun);
	KUNIT_EXPECT_EQ(test, s.key, UNIT_ATTENTION);
	KUNIT_EXPECT_EQ(test, s.asc, asc_ascq >> 8);
	KUNIT_EXPECT_EQ(test, s.ascq, asc_ascq & 0xff);
	KUNIT_EXPECT_EQ(test, s.flags, 0);
}

static void expect_none(struct kunit *test, struct ispt_ua_queue *q, u16 lun)
{
	struct ispt_sense s = { .key = 0x0f };

	KUNIT_EXPECT_FALSE_MSG(test, ispt_ua_take(q, lun, &s), "lun %u", lun);
	KUNIT_EXPECT_EQ(test, s.key, 0x0f);	/* untouched */
}

/* Oldest first, per LUN, each reported once */
static void ispt_ua_order_test(struct kunit *test)
{
	struct ispt_ua_queue q;

	ispt_ua_init(&q);
	KUNIT_EXPECT_FALSE(test, ispt_ua_maybe_pending(&q));
	expect_none(test, &q, 0);

	ispt_ua_add(&q, 0, ISPT_ASC_DEVICE_RESET);
	ispt_ua_add(&q, 1, ISPT_ASC_MODE_CHANGED);
	ispt_ua_add(&q, 0, ISPT_ASC_RES_PREEMPTED);
	KUNIT_EXPECT_TRUE(test, ispt_ua_maybe_pending(&q));
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 0), 2U);
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 1), 1U);
	expect_none(test, &q, 2);

	expect_ua(test, &q, 0, ISPT_ASC_DEVICE_RESET);
	expect_ua(test, &q, 1, ISPT_ASC_MODE_CHANGED);
	expect_ua(test, &q, 0, ISPT_ASC_RES_PREEMPTED);
	expect_none(test, &q, 0);
	expect_none(test, &q, 1);
	KUNIT_EXPECT_FALSE(test, ispt_ua_maybe_pending(&q));
}

/* The same condition for the same LUN is queued once. */
static void ispt_ua_dedup_test(struct kunit *test)
{
	struct ispt_ua_queue q;

	ispt_ua_init(&q);
	ispt_ua_add(&q, 3, ISPT_ASC_DEVICE_RESET);
	ispt_ua_add(&q, 3, ISPT_ASC_DEVICE_RESET);
	ispt_ua_add(&q, 4, ISPT_ASC_DEVICE_RESET);
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 3), 1U);
	expect_ua(test, &q, 3, ISPT_ASC_DEVICE_RESET);
	expect_none(test, &q, 3);
	expect_ua(test, &q, 4, ISPT_ASC_DEVICE_RESET);
}

/* An all-LUN condition goes to the first LUN addressed, once. */
static void ispt_ua_all_luns_test(struct kunit *test)
{
	struct ispt_ua_queue q;

	ispt_ua_init(&q);
	ispt_ua_add(&q, ISPT_UA_ALL_LUNS, ISPT_ASC_LUNS_CHANGED);
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 7), 1U);
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 0), 1U);
	expect_ua(test, &q, 7, ISPT_ASC_LUNS_CHANGED);
	expect_none(test, &q, 0);

	/* REPORT LUNS clears it without reporting it */
	ispt_ua_add(&q, ISPT_UA_ALL_LUNS, ISPT_ASC_LUNS_CHANGED);
	ispt_ua_add(&q, 2, ISPT_ASC_MODE_CHANGED);
	ispt_ua_clear(&q, 2, ISPT_ASC_LUNS_CHANGED);
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 2), 1U);
	expect_ua(test, &q, 2, ISPT_ASC_MODE_CHANGED);
	expect_none(test, &q, 2);
}

/*
 * A full queue collapses the LUN's conditions into POWER ON, RESET, OR
 * BUS DEVICE RESET OCCURRED; when the others fill it, the oldest goes.
 */
static void ispt_ua_overflow_test(struct kunit *test)
{
	struct ispt_ua_queue q;
	unsigned int i;

	ispt_ua_init(&q);
	for (i = 0; i < ISPT_UA_MAX - 2; i++)
		ispt_ua_add(&q, 1, 0x2a00 + i);
	ispt_ua_add(&q, 0, ISPT_ASC_MODE_CHANGED);
	ispt_ua_add(&q, 0, ISPT_ASC_RES_RELEASED);
	KUNIT_EXPECT_EQ(test, q.nr, (unsigned int)ISPT_UA_MAX);
	ispt_ua_add(&q, 0, ISPT_ASC_REG_PREEMPTED);
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 0), 1U);
	expect_ua(test, &q, 0, ISPT_ASC_POWER_ON_RESET);
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 1), ISPT_UA_MAX - 2U);

	/* Full of other LUNs' conditions: the oldest of them makes room */
	ispt_ua_init(&q);
	for (i = 0; i < ISPT_UA_MAX; i++)
		ispt_ua_add(&q, 10 + i, ISPT_ASC_MODE_CHANGED);
	ispt_ua_add(&q, 5, ISPT_ASC_RES_RELEASED);
	KUNIT_EXPECT_EQ(test, q.nr, (unsigned int)ISPT_UA_MAX);
	expect_none(test, &q, 10);
	expect_ua(test, &q, 5, ISPT_ASC_POWER_ON_RESET);
	expect_ua(test, &q, 11, ISPT_ASC_MODE_CHANGED);
}

/* A queue full of other LUNs' news keeps an all-LUN condition's code. */
static void ispt_ua_overflow_all_luns_test(struct kunit *test)
{
	struct ispt_ua_queue q;
	unsigned int i;

	ispt_ua_init(&q);
	for (i = 0; i < ISPT_UA_MAX; i++)
		ispt_ua_add(&q, i, ISPT_ASC_DEVICE_RESET);
	ispt_ua_add(&q, ISPT_UA_ALL_LUNS, ISPT_ASC_LUNS_CHANGED);
	KUNIT_EXPECT_EQ(test, q.nr, (unsigned int)ISPT_UA_MAX);
	/* LUN 0's reset made room; the rest is as it was */
	expect_ua(test, &q, 0, ISPT_ASC_LUNS_CHANGED);
	expect_none(test, &q, 0);
	expect_ua(test, &q, 1, ISPT_ASC_DEVICE_RESET);
	expect_ua(test, &q, ISPT_UA_MAX - 1, ISPT_ASC_DEVICE_RESET);
	KUNIT_EXPECT_EQ(test, q.nr, ISPT_UA_MAX - 3U);

	/* Adding to a full queue, again and again, never grows it */
	for (i = 0; i < 4 * ISPT_UA_MAX; i++)
		ispt_ua_add(&q, i % 5, 0x2a00 + i);
	KUNIT_EXPECT_EQ(test, q.nr, (unsigned int)ISPT_UA_MAX);
}

/* A LUN removed takes its conditions along, not the all-LUN ones. */
static void ispt_ua_forget_lun_test(struct kunit *test)
{
	struct ispt_ua_queue q;

	ispt_ua_init(&q);
	ispt_ua_forget_lun(&q, 1);	/* empty: nothing to do */
	ispt_ua_add(&q, 1, ISPT_ASC_DEVICE_RESET);
	ispt_ua_add(&q, 2, ISPT_ASC_DEVICE_RESET);
	ispt_ua_add(&q, 1, ISPT_ASC_CAPACITY_CHANGED);
	ispt_ua_add(&q, ISPT_UA_ALL_LUNS, ISPT_ASC_LUNS_CHANGED);
	ispt_ua_forget_lun(&q, 1);
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 1), 1U);
	expect_ua(test, &q, 1, ISPT_ASC_LUNS_CHANGED);
	expect_none(test, &q, 1);
	expect_ua(test, &q, 2, ISPT_ASC_DEVICE_RESET);
	KUNIT_EXPECT_FALSE(test, ispt_ua_maybe_pending(&q));
}

/*
 * ispt_ua_check(): one case per (opcode, CDB valid) with a device reset
 * and REPORTED LUNS DATA HAS CHANGED pending on LUN 3, in that order.
 */
struct ua_check_case {
	const char		*name;
	u8			opcode;
	bool			cdb_valid;
	enum ispt_ua_verdict	verdict;
	u16			reported;	/* with REPORT or SENSE_DATA */
	unsigned int		left;		/* conditions still pending */
};

static const struct ua_check_case ua_check_cases[] = {
	{ "tur", TEST_UNIT_READY, true, ISPT_UA_REPORT,
	  ISPT_ASC_DEVICE_RESET, 1 },
	{ "read", READ_10, true, ISPT_UA_REPORT, ISPT_ASC_DEVICE_RESET, 1 },
	{ "write", WRITE_16, true, ISPT_UA_REPORT, ISPT_ASC_DEVICE_RESET, 1 },
	/* The unit attention comes before the CDB's own error */
	{ "invalid-cdb", READ_CAPACITY, false, ISPT_UA_REPORT,
	  ISPT_ASC_DEVICE_RESET, 1 },
	{ "unknown-opcode", 0xff, false, ISPT_UA_REPORT,
	  ISPT_ASC_DEVICE_RESET, 1 },
	/* Exempt: runs, reports nothing, consumes nothing */
	{ "inquiry", INQUIRY, true, ISPT_UA_RUN, 0, 2 },
	{ "inquiry-invalid", INQUIRY, false, ISPT_UA_RUN, 0, 2 },
	/* Runs and clears the news it answers, nothing else */
	{ "report-luns", REPORT_LUNS, true, ISPT_UA_RUN, 0, 1 },
	{ "report-luns-invalid", REPORT_LUNS, false, ISPT_UA_RUN, 0, 2 },
	/* The oldest condition becomes its data */
	{ "request-sense", REQUEST_SENSE, true, ISPT_UA_SENSE_DATA,
	  ISPT_ASC_DEVICE_RESET, 1 },
	{ "request-sense-invalid", REQUEST_SENSE, false, ISPT_UA_RUN, 0, 2 },
};

static void ua_check_desc(const struct ua_check_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ua_check, ua_check_cases, ua_check_desc);

static void ispt_ua_check_test(struct kunit *test)
{
	const struct ua_check_case *c = test->param_value;
	struct ispt_sense s = { .key = 0x0f };
	struct ispt_ua_queue q;

	ispt_ua_init(&q);
	ispt_ua_add(&q, 3, ISPT_ASC_DEVICE_RESET);
	ispt_ua_add(&q, ISPT_UA_ALL_LUNS, ISPT_ASC_LUNS_CHANGED);
	KUNIT_EXPECT_EQ(test, ispt_ua_check(&q, 3, c->opcode, c->cdb_valid, &s),
			c->verdict);
	if (c->verdict == ISPT_UA_RUN) {
		KUNIT_EXPECT_EQ(test, s.key, 0x0f);	/* untouched */
	} else {
		KUNIT_EXPECT_EQ(test, s.key, UNIT_ATTENTION);
		KUNIT_EXPECT_EQ(test, s.asc, c->reported >> 8);
		KUNIT_EXPECT_EQ(test, s.ascq, c->reported & 0xff);
	}
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 3), c->left);
}

/* Nothing pending: every command runs, whatever its opcode. */
static void ispt_ua_check_empty_test(struct kunit *test)
{
	static const u8 ops[] = { TEST_UNIT_READY, INQUIRY, REPORT_LUNS,
				  REQUEST_SENSE, READ_16, 0xff };
	struct ispt_sense s = { .key = 0x0f };
	struct ispt_ua_queue q;
	unsigned int i;

	ispt_ua_init(&q);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		KUNIT_EXPECT_EQ(test, ispt_ua_check(&q, 0, ops[i], true, &s),
				ISPT_UA_RUN);
		KUNIT_EXPECT_EQ(test, ispt_ua_check(&q, 0, ops[i], false, &s),
				ISPT_UA_RUN);
	}
	KUNIT_EXPECT_EQ(test, s.key, 0x0f);
	/* Another LUN's condition is not this one's */
	ispt_ua_add(&q, 1, ISPT_ASC_DEVICE_RESET);
	KUNIT_EXPECT_EQ(test, ispt_ua_check(&q, 0, READ_10, true, &s),
			ISPT_UA_RUN);
	KUNIT_EXPECT_EQ(test, ispt_ua_count(&q, 1), 1U);
}

/*
 * What an initiator sees command after command: each condition once,
 * oldest first, then GOOD; INQUIRY in between consumes none; REQUEST
 * SENSE takes one as its data.
 */
static void ispt_ua_check_sequence_test(struct kunit *test)
{
	static const struct {
		u8			opcode;
		enum ispt_ua_verdict	verdict;
		u16			asc_ascq;
	} seq[] = {
		{ INQUIRY, ISPT_UA_RUN, 0 },
		{ TEST_UNIT_READY, ISPT_UA_REPORT, ISPT_ASC_DEVICE_RESET },
		{ INQUIRY, ISPT_UA_RUN, 0 },
		{ REQUEST_SENSE, ISPT_UA_SENSE_DATA, ISPT_ASC_CAPACITY_CHANGED },
		{ READ_10, ISPT_UA_REPORT, ISPT_ASC_LUNS_CHANGED },
		{ READ_10, ISPT_UA_RUN, 0 },
		{ REQUEST_SENSE, ISPT_UA_RUN, 0 },
	};
	struct ispt_ua_queue q;
	struct ispt_sense s;
	unsigned int i;

	ispt_ua_init(&q);
	ispt_ua_add(&q, 0, ISPT_ASC_DEVICE_RESET);
	ispt_ua_add(&q, 0, ISPT_ASC_CAPACITY_CHANGED);
	ispt_ua_add(&q, ISPT_UA_ALL_LUNS, ISPT_ASC_LUNS_CHANGED);
	for (i = 0; i < ARRAY_SIZE(seq); i++) {
		s = (struct ispt_sense){ };
		KUNIT_EXPECT_EQ_MSG(test,
				    ispt_ua_check(&q, 0, seq[i].opcode, true, &s),
				    seq[i].verdict, "step %u", i);
		if (seq[i].verdict != ISPT_UA_RUN) {
			KUNIT_EXPECT_EQ_MSG(test, s.asc, seq[i].asc_ascq >> 8,
					    "step %u", i);
			KUNIT_EXPECT_EQ_MSG(test, s.ascq, seq[i].asc_ascq & 0xff,
					    "step %u", i);
		}
	}
	KUNIT_EXPECT_FALSE(test, ispt_ua_maybe_pending(&q));
}

/* ---- capacity of an LU ----------------------------------------------- */

static void ispt_lun_set_capacity_test(struct kunit *test)
{
	struct ispt_lun *lun = kunit_kzalloc(test, sizeof(*lun), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, lun);
	spin_lock_init(&lun->resize_lock);
	lun->desc.block_size = 4096;
	lun->desc.nr_blocks = 256;		/* 1 MiB */
	lun->nr_sectors = 2048;

	spin_lock(&lun->resize_lock);
	/* Same size: nothing to tell */
	KUNIT_EXPECT_FALSE(test, ispt_lun_set_capacity(lun, 2048));
	/* Grown */
	KUNIT_EXPECT_TRUE(test, ispt_lun_set_capacity(lun, 4096));
	KUNIT_EXPECT_EQ(test, lun->desc.nr_blocks, 512ULL);
	KUNIT_EXPECT_EQ(test, lun->nr_sectors, (sector_t)4096);
	/* Another command noticing the same change finds it done */
	KUNIT_EXPECT_FALSE(test, ispt_lun_set_capacity(lun, 4096));
	/* Less than a block more: the capacity in blocks is the same */
	KUNIT_EXPECT_FALSE(test, ispt_lun_set_capacity(lun, 4100));
	KUNIT_EXPECT_EQ(test, lun->desc.nr_blocks, 512ULL);
	KUNIT_EXPECT_EQ(test, lun->nr_sectors, (sector_t)4100);
	/* Shrunk */
	KUNIT_EXPECT_TRUE(test, ispt_lun_set_capacity(lun, 1024));
	KUNIT_EXPECT_EQ(test, lun->desc.nr_blocks, 128ULL);
	/* Under a block (a device going away) keeps the last capacity */
	KUNIT_EXPECT_FALSE(test, ispt_lun_set_capacity(lun, 7));
	KUNIT_EXPECT_EQ(test, lun->desc.nr_blocks, 128ULL);
	KUNIT_EXPECT_FALSE(test, ispt_lun_set_capacity(lun, 0));
	KUNIT_EXPECT_EQ(test, lun->desc.nr_blocks, 128ULL);
	/* And back: told again */
	KUNIT_EXPECT_TRUE(test, ispt_lun_set_capacity(lun, 2048));
	KUNIT_EXPECT_EQ(test, lun->desc.nr_blocks, 256ULL);
	spin_unlock(&lun->resize_lock);
}

/* ---- LBA range lock -------------------------------------------------- */

struct waiter {
	struct ispt_lba_range	r;
	unsigned int		resumed;
};

static void waiter_resume(struct ispt_lba_range *r)
{
	container_of(r, struct waiter, r)->resumed++;
}

static void wait_init(struct waiter *w, u64 lba, u64 nr, bool excl)
{
	ispt_lba_range_init(&w->r, lba, nr, excl, waiter_resume);
	w->resumed = 0;
}

static void ispt_lba_lock_test(struct kunit *test)
{
	struct waiter a, b, c, d;
	struct ispt_lba_lock l;

	ispt_lba_lock_init(&l);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_idle(&l));

	/* Shared ranges share; an exclusive one waits for them */
	wait_init(&a, 0, 8, false);
	wait_init(&b, 4, 8, false);
	wait_init(&c, 7, 1, true);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_acquire(&l, &a.r));
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_acquire(&l, &b.r));
	KUNIT_EXPECT_FALSE(test, ispt_lba_lock_acquire(&l, &c.r));
	KUNIT_EXPECT_FALSE(test, c.r.held);

	/* A shared one behind the waiting exclusive one waits too */
	wait_init(&d, 7, 2, false);
	KUNIT_EXPECT_FALSE(test, ispt_lba_lock_acquire(&l, &d.r));

	ispt_lba_lock_release(&l, &a.r);
	KUNIT_EXPECT_EQ(test, c.resumed, 0U);	/* b still holds 7 */
	ispt_lba_lock_release(&l, &b.r);
	KUNIT_EXPECT_EQ(test, c.resumed, 1U);
	KUNIT_EXPECT_TRUE(test, c.r.held);
	KUNIT_EXPECT_EQ(test, d.resumed, 0U);
	ispt_lba_lock_release(&l, &c.r);
	KUNIT_EXPECT_EQ(test, d.resumed, 1U);
	ispt_lba_lock_release(&l, &d.r);
	KUNIT_EXPECT_EQ(test, c.resumed, 1U);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_idle(&l));
	KUNIT_EXPECT_EQ(test, l.nr_exclusive, 0U);

	/*
	 * Shared ranges taken while no exclusive one exists (the fast
	 * path) are still seen by an exclusive one that comes later.
	 */
	wait_init(&a, 100, 1, false);
	wait_init(&b, 100, 1, true);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_acquire(&l, &a.r));
	KUNIT_EXPECT_FALSE(test, ispt_lba_lock_acquire(&l, &b.r));
	KUNIT_EXPECT_EQ(test, l.nr_exclusive, 1U);
	ispt_lba_lock_release(&l, &a.r);
	KUNIT_EXPECT_EQ(test, b.resumed, 1U);
	ispt_lba_lock_release(&l, &b.r);
	KUNIT_EXPECT_EQ(test, l.nr_exclusive, 0U);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_idle(&l));
}

static void ispt_lba_lock_edges_test(struct kunit *test)
{
	struct waiter a, b, c;
	struct ispt_lba_lock l;

	ispt_lba_lock_init(&l);
	/* Adjacent exclusive ranges do not conflict; overlapping ones do */
	wait_init(&a, 0, 10, true);
	wait_init(&b, 10, 5, true);
	wait_init(&c, 9, 1, true);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_acquire(&l, &a.r));
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_acquire(&l, &b.r));
	KUNIT_EXPECT_FALSE(test, ispt_lba_lock_acquire(&l, &c.r));
	/* A waiter may be withdrawn (its command ended first) */
	ispt_lba_lock_release(&l, &c.r);
	ispt_lba_lock_release(&l, &a.r);
	KUNIT_EXPECT_EQ(test, c.resumed, 0U);
	ispt_lba_lock_release(&l, &b.r);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_idle(&l));

	/* Near the top of the LBA space nothing wraps */
	wait_init(&a, U64_MAX - 4, 4, true);
	wait_init(&b, 0, U64_MAX - 4, true);
	wait_init(&c, U64_MAX - 1, 1, true);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_acquire(&l, &a.r));
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_acquire(&l, &b.r));
	KUNIT_EXPECT_FALSE(test, ispt_lba_lock_acquire(&l, &c.r));
	ispt_lba_lock_release(&l, &a.r);
	KUNIT_EXPECT_EQ(test, c.resumed, 1U);
	ispt_lba_lock_release(&l, &b.r);
	ispt_lba_lock_release(&l, &c.r);

	/* An empty range locks nothing */
	wait_init(&a, 0, 100, true);
	wait_init(&b, 50, 0, true);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_acquire(&l, &a.r));
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_acquire(&l, &b.r));
	ispt_lba_lock_release(&l, &b.r);
	ispt_lba_lock_release(&l, &a.r);
	KUNIT_EXPECT_TRUE(test, ispt_lba_lock_idle(&l));
}

static struct kunit_case ispt_ua_cases[] = {
	KUNIT_CASE(ispt_ua_order_test),
	KUNIT_CASE(ispt_ua_dedup_test),
	KUNIT_CASE(ispt_ua_all_luns_test),
	KUNIT_CASE(ispt_ua_overflow_test),
	KUNIT_CASE(ispt_ua_overflow_all_luns_test),
	KUNIT_CASE(ispt_ua_forget_lun_test),
	KUNIT_CASE_PARAM(ispt_ua_check_test, ua_check_gen_params),
	KUNIT_CASE(ispt_ua_check_empty_test),
	KUNIT_CASE(ispt_ua_check_sequence_test),
	KUNIT_CASE(ispt_lun_set_capacity_test),
	KUNIT_CASE(ispt_lba_lock_test),
	KUNIT_CASE(ispt_lba_lock_edges_test),
	{}
};

static struct kunit_suite ispt_ua_suite = {
	.name = "iscsi_spt_ua",
	.test_cases = ispt_ua_cases,
};

kunit_test_suite(ispt_ua_suite);
