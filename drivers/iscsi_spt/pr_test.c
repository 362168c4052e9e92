// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for reservations: every PERSISTENT RESERVE OUT service
 * action, the conflict table for every reservation type against a
 * holder, a registrant and a stranger, the unit attentions each action
 * owes other nexuses, PERSISTENT RESERVE IN data, RESERVE/RELEASE, and
 * the PTPL state text.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "pr.h"
#include "scsi.h"

static const struct ispt_scsi_lun_desc lu = {
	.nr_blocks = 0x10000, .block_size = 512, .max_xfer_blocks = 2048,
};

/* Nexuses: A, A through another target port, B, and C */
static const struct ispt_scsi_nexus nx_a = {
	.initiator = "iqn.2026-01.test:a", .isid = { 0x80, 0, 0, 0, 0, 1 },
	.rel_port_id = 1,
};

static const struct ispt_scsi_nexus nx_a2 = {
	.initiator = "iqn.2026-01.test:a", .isid = { 0x80, 0, 0, 0, 0, 1 },
	.rel_port_id = 2,
};

static const struct ispt_scsi_nexus nx_b = {
	.initiator = "iqn.2026-01.test:b", .isid = { 0x80, 0, 0, 0, 0, 2 },
	.rel_port_id = 1,
};

static const struct ispt_scsi_nexus nx_c = {
	.initiator = "iqn.2026-01.test:c", .isid = { 0x80, 0, 0, 0, 0, 3 },
	.rel_port_id = 1,
};

#define KEY_A	0xaaaa000000000001ULL
#define KEY_B	0xbbbb000000000002ULL
#define KEY_C	0xcccc000000000003ULL

/* The unit attentions a service action asked for */
struct ua_log {
	unsigned int	n;
	struct {
		char	initiator[32];
		u16	asc;
	} e[16];
};

static void log_ua(void *ctx, const struct ispt_pr_reg *reg, u16 asc)
{
	struct ua_log *log = ctx;

	if (log->n < ARRAY_SIZE(log->e)) {
		strscpy(log->e[log->n].initiator, reg->initiator,
			sizeof(log->e[0].initiator));
		log->e[log->n].asc = asc;
	}
	log->n++;
}

static bool logged(const struct ua_log *log, const struct ispt_scsi_nexus *n,
		   u16 asc)
{
	unsigned int i;

	for (i = 0; i < min_t(unsigned int, log->n, ARRAY_SIZE(log->e)); i++)
		if (!strcmp(log->e[i].initiator, n->initiator) &&
		    log->e[i].asc == asc)
			return true;
	return false;
}

struct pr_fix {
	struct ispt_pr	pr;
	struct ua_log	log;
	struct ispt_pr_notify notify;
	struct ispt_sense sense;
};

static struct pr_fix *fixture(struct kunit *test)
{
	struct pr_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	ispt_pr_init(&f->pr);
	f->notify.ua = log_ua;
	f->notify.ctx = &f->log;
	return f;
}

static void fixture_done(struct pr_fix *f)
{
	ispt_pr_destroy(&f->pr);
}

#define SPEC_I_PT	0x08
#define ALL_TG_PT	0x04
#define APTPL		0x01

/* One PERSISTENT RESERVE OUT with a 24-byte list; the log is reset. */
static enum sam_status prout(struct kunit *test, struct pr_fix *f,
			     const struct ispt_scsi_nexus *n, u8 sa, u8 type,
			     u64 key, u64 sa_key, u8 flags)
{
	u8 cdb[16] = { PERSISTENT_RESERVE_OUT, sa, type, 0, 0, 0, 0, 0, 24 };
	struct ispt_scsi_cmd cmd;
	enum sam_status st;
	u8 list[24] = { };

	KUNIT_EXPECT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
			SAM_STAT_GOOD);
	put_unaligned_be64(key, &list[0]);
	put_unaligned_be64(sa_key, &list[8]);
	list[20] = flags;
	f->log.n = 0;
	st = ispt_pr_out(&f->pr, &cmd, n, list, sizeof(list), &f->notify);
	f->sense = cmd.sense;
	return st;
}

static void expect_sense(struct kunit *test, const struct pr_fix *f,
			 u16 asc_ascq, int field, bool cdb)
{
	KUNIT_EXPECT_EQ(test, f->sense.key, ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, f->sense.asc, asc_ascq >> 8);
	KUNIT_EXPECT_EQ(test, f->sense.ascq, asc_ascq & 0xff);
	if (field >= 0) {
		KUNIT_EXPECT_TRUE(test, f->sense.flags & ISPT_SENSE_SKSV);
		KUNIT_EXPECT_EQ(test, f->sense.field, field);
		KUNIT_EXPECT_EQ(test, !!(f->sense.flags & ISPT_SENSE_CD), cdb);
	}
}

/* PERSISTENT RESERVE IN into @buf; returns the full length */
static u32 prin(struct kunit *test, struct pr_fix *f, u8 sa, u8 *buf,
		u16 alloc)
{
	u8 cdb[16] = { PERSISTENT_RESERVE_IN, sa, 0, 0, 0, 0, 0 };
	struct ispt_scsi_cmd cmd;

	put_unaligned_be16(alloc, &cdb[7]);
	KUNIT_EXPECT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
			SAM_STAT_GOOD);
	memset(buf, 0xaa, alloc + 1);
	return ispt_pr_in(&f->pr, &cmd, buf, alloc);
}

static u32 generation(struct kunit *test, struct pr_fix *f)
{
	u8 buf[16];

	prin(test, f, ISPT_PR_IN_READ_KEYS, buf, 8);
	return get_unaligned_be32(buf);
}

static unsigned int nr_keys(struct kunit *test, struct pr_fix *f)
{
	u8 buf[16];

	prin(test, f, ISPT_PR_IN_READ_KEYS, buf, 8);
	return get_unaligned_be32(&buf[4]) / 8;
}

/* The type READ RESERVATION reports, 0 for none */
static u8 res_type(struct kunit *test, struct pr_fix *f, u64 *key)
{
	u8 buf[32];

	prin(test, f, ISPT_PR_IN_READ_RESERVATION, buf, 24);
	if (!get_unaligned_be32(&buf[4]))
		return 0;
	if (key)
		*key = get_unaligned_be64(&buf[8]);
	return buf[21] & 0x0f;
}

/* ---- REGISTER ---------------------------------------------------------- */

static void ispt_pr_register_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);
	u8 buf[64];

	/* Unregistered with a non-zero key: conflict; with no new key: nothing */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0,
				    KEY_B, KEY_A, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0,
				    0, 0, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, generation(test, f), 0U);

	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0,
				    0, KEY_A, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, generation(test, f), 1U);
	KUNIT_EXPECT_EQ(test, prin(test, f, ISPT_PR_IN_READ_KEYS, buf, 64),
			16U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&buf[8]), KEY_A);

	/* Registered: the reservation key must match to change the key */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0,
				    0, KEY_C, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0,
				    KEY_A, KEY_C, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a,
				    ISPT_PR_OUT_REGISTER_IGNORE, 0, 0, KEY_A,
				    0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, generation(test, f), 3U);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 1U);

	/* Another port of A is another I_T nexus */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a2, ISPT_PR_OUT_REGISTER, 0,
				    0, KEY_B, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 2U);

	/* Unregister both */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0,
				    KEY_A, 0, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a2,
				    ISPT_PR_OUT_REGISTER_IGNORE, 0, 0, 0, 0),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 0U);
	KUNIT_EXPECT_EQ(test, generation(test, f), 6U);

	/* ALL_TG_PT: one registration for every port of A */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0,
				    0, KEY_A, ALL_TG_PT), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a2, ISPT_PR_OUT_REGISTER, 0,
				    KEY_A, KEY_C, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 1U);

	/* SPEC_I_PT is not offered (SIP_C=0) */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0,
				    0, KEY_B, SPEC_I_PT),
			SAM_STAT_CHECK_CONDITION);
	expect_sense(test, f, ISPT_ASC_INVALID_FIELD_PARAM, 20, false);
	KUNIT_EXPECT_EQ(test, f->sense.bit, 3);
	fixture_done(f);
}

static void ispt_pr_register_limit_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);
	char name[ISPT_PR_MAX_REGS + 1][24];
	struct ispt_scsi_nexus n = nx_a;
	unsigned int i;

	for (i = 0; i <= ISPT_PR_MAX_REGS; i++) {
		snprintf(name[i], sizeof(name[i]), "iqn.2026-01.test:%u", i);
		n.initiator = name[i];
		KUNIT_EXPECT_EQ(test, prout(test, f, &n, ISPT_PR_OUT_REGISTER,
					    0, 0, i + 1, 0),
				i < ISPT_PR_MAX_REGS ? SAM_STAT_GOOD :
						       SAM_STAT_CHECK_CONDITION);
	}
	expect_sense(test, f, ISPT_ASC_INSUFFICIENT_REG, -1, false);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), (unsigned int)ISPT_PR_MAX_REGS);
	fixture_done(f);
}

/* The parameter list must be exactly 24 bytes, and all of it sent. */
static void ispt_pr_param_length_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);
	u8 cdb[16] = { PERSISTENT_RESERVE_OUT, 0, 0, 0, 0, 0, 0, 0, 23 };
	struct ispt_scsi_cmd cmd;
	u8 list[40] = { };

	put_unaligned_be64(KEY_A, &list[8]);
	KUNIT_ASSERT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ispt_pr_out(&f->pr, &cmd, &nx_a, list, 23, NULL),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense.asc, 0x1a);

	cdb[8] = 25;
	KUNIT_ASSERT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ispt_pr_out(&f->pr, &cmd, &nx_a, list, 25, NULL),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense.asc, 0x1a);

	/* A longer list with SPEC_I_PT: that is the field refused */
	list[20] = SPEC_I_PT;
	KUNIT_EXPECT_EQ(test, ispt_pr_out(&f->pr, &cmd, &nx_a, list, 25, NULL),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense.asc, 0x26);

	/* 24 announced, fewer sent (EDTL) */
	cdb[8] = 24;
	list[20] = 0;
	KUNIT_ASSERT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ispt_pr_out(&f->pr, &cmd, &nx_a, list, 20, NULL),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense.asc, 0x1a);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 0U);
	fixture_done(f);
}

/* ---- RESERVE, RELEASE, and what conflicts ------------------------------ */

static struct ispt_scsi_cmd cmd_of(struct kunit *test, u8 opcode)
{
	u8 cdb[16] = { opcode };
	struct ispt_scsi_cmd cmd;

	switch (opcode) {
	case READ_10:
	case WRITE_10:
		cdb[8] = 1;
		break;
	case INQUIRY:
		cdb[4] = 96;
		break;
	case MODE_SENSE:
		cdb[2] = 0x3f;
		cdb[4] = 0xff;
		break;
	}
	KUNIT_EXPECT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
			SAM_STAT_GOOD);
	return cmd;
}

/*
 * SPC-4 5.13.1 for a reservation held by A, B registered, C not:
 * [type][reader][0: READ, 1: MODE SENSE (read class), 2: WRITE] and
 * the holder, and INQUIRY, never conflict.
 */
struct conflict_row {
	u8	type;
	bool	b[3];
	bool	c[3];
};

static const struct conflict_row conflict_table[] = {
	{ ISPT_PR_TYPE_WE,	{ 0, 0, 1 }, { 0, 0, 1 } },
	{ ISPT_PR_TYPE_EA,	{ 1, 1, 1 }, { 1, 1, 1 } },
	{ ISPT_PR_TYPE_WE_RO,	{ 0, 0, 0 }, { 0, 0, 1 } },
	{ ISPT_PR_TYPE_EA_RO,	{ 0, 0, 0 }, { 1, 1, 1 } },
	{ ISPT_PR_TYPE_WE_AR,	{ 0, 0, 0 }, { 0, 0, 1 } },
	{ ISPT_PR_TYPE_EA_AR,	{ 0, 0, 0 }, { 1, 1, 1 } },
};

static void ispt_pr_conflict_test(struct kunit *test)
{
	static const u8 ops[3] = { READ_10, MODE_SENSE, WRITE_10 };
	struct ispt_scsi_cmd inq = cmd_of(test, INQUIRY);
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(conflict_table); i++) {
		const struct conflict_row *r = &conflict_table[i];
		struct pr_fix *f = fixture(test);

		prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
		prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, 0, KEY_B, 0);
		/* Nothing conflicts before the reservation */
		for (j = 0; j < 3; j++) {
			struct ispt_scsi_cmd c = cmd_of(test, ops[j]);

			KUNIT_EXPECT_FALSE(test,
					   ispt_pr_conflict(&f->pr, &nx_c, &c));
		}
		KUNIT_ASSERT_EQ(test, prout(test, f, &nx_a,
					    ISPT_PR_OUT_RESERVE, r->type,
					    KEY_A, 0, 0), SAM_STAT_GOOD);
		KUNIT_EXPECT_EQ(test, res_type(test, f, NULL), r->type);
		for (j = 0; j < 3; j++) {
			struct ispt_scsi_cmd c = cmd_of(test, ops[j]);
			bool a = ispt_pr_conflict(&f->pr, &nx_a, &c);
			bool b = ispt_pr_conflict(&f->pr, &nx_b, &c);
			bool s = ispt_pr_conflict(&f->pr, &nx_c, &c);

			KUNIT_EXPECT_FALSE_MSG(test, a, "type %u holder op %#x",
					       r->type, ops[j]);
			KUNIT_EXPECT_EQ_MSG(test, b, r->b[j],
					    "type %u registrant op %#x",
					    r->type, ops[j]);
			KUNIT_EXPECT_EQ_MSG(test, s, r->c[j],
					    "type %u stranger op %#x",
					    r->type, ops[j]);
		}
		KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&f->pr, &nx_c, &inq));
		fixture_done(f);
	}
}

static void ispt_pr_reserve_release_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);
	u64 key = 0;

	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
	prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, 0, KEY_B, 0);

	/* Not registered, or the wrong key: conflict */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_c, ISPT_PR_OUT_RESERVE,
				    ISPT_PR_TYPE_WE, 0, 0, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE,
				    ISPT_PR_TYPE_WE, KEY_B, 0, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	/* Scope must be the LU; type 2 does not exist */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE,
				    0x10 | ISPT_PR_TYPE_WE, KEY_A, 0, 0),
			SAM_STAT_CHECK_CONDITION);
	expect_sense(test, f, ISPT_ASC_INVALID_FIELD_CDB, 2, true);
	KUNIT_EXPECT_EQ(test, f->sense.bit, 7);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, 2,
				    KEY_A, 0, 0), SAM_STAT_CHECK_CONDITION);
	expect_sense(test, f, ISPT_ASC_INVALID_FIELD_CDB, 2, true);
	KUNIT_EXPECT_EQ(test, f->sense.bit, 3);

	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE,
				    ISPT_PR_TYPE_WE_RO, KEY_A, 0, 0),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, &key), ISPT_PR_TYPE_WE_RO);
	KUNIT_EXPECT_EQ(test, key, KEY_A);
	/* RESERVE does not change the generation */
	KUNIT_EXPECT_EQ(test, generation(test, f), 2U);
	/* The holder again, same type: fine; another type or nexus: not */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE,
				    ISPT_PR_TYPE_WE_RO, KEY_A, 0, 0),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE,
				    ISPT_PR_TYPE_EA, KEY_A, 0, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_RESERVE,
				    ISPT_PR_TYPE_WE_RO, KEY_B, 0, 0),
			SAM_STAT_RESERVATION_CONFLICT);

	/* RELEASE by a registrant that does not hold it: no effect */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_RELEASE,
				    ISPT_PR_TYPE_WE_RO, KEY_B, 0, 0),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, NULL), ISPT_PR_TYPE_WE_RO);
	/* By the holder with another type: INVALID RELEASE */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_RELEASE,
				    ISPT_PR_TYPE_WE, KEY_A, 0, 0),
			SAM_STAT_CHECK_CONDITION);
	expect_sense(test, f, ISPT_ASC_INVALID_RELEASE, -1, false);
	/* Released; B hears of it (registrants only), A does not */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_RELEASE,
				    ISPT_PR_TYPE_WE_RO, KEY_A, 0, 0),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, NULL), 0);
	KUNIT_EXPECT_EQ(test, f->log.n, 1U);
	KUNIT_EXPECT_TRUE(test, logged(&f->log, &nx_b, ISPT_ASC_RES_RELEASED));
	/* Releasing nothing is fine too */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_RELEASE,
				    ISPT_PR_TYPE_WE_RO, KEY_A, 0, 0),
			SAM_STAT_GOOD);

	/* A plain WE release tells nobody */
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_WE, KEY_A, 0,
	      0);
	prout(test, f, &nx_a, ISPT_PR_OUT_RELEASE, ISPT_PR_TYPE_WE, KEY_A, 0,
	      0);
	KUNIT_EXPECT_EQ(test, f->log.n, 0U);
	fixture_done(f);
}

/* Unregistering: the holder's reservation goes, all-registrants' stays. */
static void ispt_pr_unregister_holder_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);

	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
	prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, 0, KEY_B, 0);
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_EA_RO, KEY_A,
	      0, 0);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0,
				    KEY_A, 0, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, NULL), 0);
	KUNIT_EXPECT_TRUE(test, logged(&f->log, &nx_b, ISPT_ASC_RES_RELEASED));

	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_WE_AR, KEY_A,
	      0, 0);
	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, KEY_A, 0, 0);
	KUNIT_EXPECT_EQ(test, res_type(test, f, NULL), ISPT_PR_TYPE_WE_AR);
	prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, KEY_B, 0, 0);
	KUNIT_EXPECT_EQ(test, res_type(test, f, NULL), 0);
	fixture_done(f);
}

static void ispt_pr_clear_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);
	u32 gen;

	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
	prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, 0, KEY_B, 0);
	prout(test, f, &nx_c, ISPT_PR_OUT_REGISTER, 0, 0, KEY_C, 0);
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_EA, KEY_A, 0,
	      0);
	gen = generation(test, f);
	/* A stranger with the wrong key cannot */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_CLEAR, 0,
				    KEY_A, 0, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_CLEAR, 0,
				    KEY_B, 0, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 0U);
	KUNIT_EXPECT_EQ(test, res_type(test, f, NULL), 0);
	KUNIT_EXPECT_EQ(test, generation(test, f), gen + 1);
	KUNIT_EXPECT_EQ(test, f->log.n, 2U);
	KUNIT_EXPECT_TRUE(test, logged(&f->log, &nx_a, ISPT_ASC_RES_PREEMPTED));
	KUNIT_EXPECT_TRUE(test, logged(&f->log, &nx_c, ISPT_ASC_RES_PREEMPTED));
	fixture_done(f);
}

static void ispt_pr_preempt_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);
	u64 key = 0;
	u32 gen;

	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
	prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, 0, KEY_B, 0);
	prout(test, f, &nx_c, ISPT_PR_OUT_REGISTER, 0, 0, KEY_C, 0);

	/* No reservation: registrations with the key go (libiscsi's case) */
	gen = generation(test, f);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_PREEMPT, 0,
				    KEY_B, KEY_C, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 2U);
	KUNIT_EXPECT_EQ(test, generation(test, f), gen + 1);
	KUNIT_EXPECT_EQ(test, f->log.n, 1U);
	KUNIT_EXPECT_TRUE(test, logged(&f->log, &nx_c, ISPT_ASC_REG_PREEMPTED));
	/* A key nobody has: conflict; key zero: invalid */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_PREEMPT, 0,
				    KEY_B, KEY_C, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_PREEMPT, 0,
				    KEY_B, 0, 0), SAM_STAT_CHECK_CONDITION);
	expect_sense(test, f, ISPT_ASC_INVALID_FIELD_PARAM, 8, false);

	/* Preempting the holder: B takes the reservation with its type */
	prout(test, f, &nx_c, ISPT_PR_OUT_REGISTER, 0, 0, KEY_C, 0);
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_WE, KEY_A, 0,
	      0);
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b,
				    ISPT_PR_OUT_PREEMPT_ABORT,
				    ISPT_PR_TYPE_EA_RO, KEY_B, KEY_A, 0),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, &key), ISPT_PR_TYPE_EA_RO);
	KUNIT_EXPECT_EQ(test, key, KEY_B);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 2U);
	KUNIT_EXPECT_TRUE(test, logged(&f->log, &nx_a, ISPT_ASC_REG_PREEMPTED));
	/* The type changed: C, still registered, is told */
	KUNIT_EXPECT_TRUE(test, logged(&f->log, &nx_c, ISPT_ASC_RES_RELEASED));

	/* A non-holder key: only the registration goes */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_PREEMPT,
				    ISPT_PR_TYPE_EA_RO, KEY_B, KEY_C, 0),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, NULL), ISPT_PR_TYPE_EA_RO);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 1U);
	/* A stranger cannot preempt */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_c, ISPT_PR_OUT_PREEMPT,
				    ISPT_PR_TYPE_EA, KEY_C, KEY_B, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	fixture_done(f);
}

/* All registrants: preempting key zero takes everything */
static void ispt_pr_preempt_all_registrants_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);
	u64 key = 1;

	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
	prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, 0, KEY_B, 0);
	prout(test, f, &nx_c, ISPT_PR_OUT_REGISTER, 0, 0, KEY_C, 0);
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_EA_AR, KEY_A,
	      0, 0);
	KUNIT_EXPECT_EQ(test, res_type(test, f, &key), ISPT_PR_TYPE_EA_AR);
	KUNIT_EXPECT_EQ(test, key, 0ULL);	/* no one key */

	/* A key: that registration goes, the reservation stays */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_PREEMPT,
				    ISPT_PR_TYPE_WE, KEY_B, KEY_C, 0),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, NULL), ISPT_PR_TYPE_EA_AR);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 2U);

	/* Zero: everyone else goes, B holds a WE reservation */
	KUNIT_EXPECT_EQ(test, prout(test, f, &nx_b, ISPT_PR_OUT_PREEMPT,
				    ISPT_PR_TYPE_WE, KEY_B, 0, 0),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, &key), ISPT_PR_TYPE_WE);
	KUNIT_EXPECT_EQ(test, key, KEY_B);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 1U);
	KUNIT_EXPECT_TRUE(test, logged(&f->log, &nx_a, ISPT_ASC_REG_PREEMPTED));
	fixture_done(f);
}

/* REGISTER AND MOVE with an iSCSI TransportID */
static u32 move_list(u8 *p, u64 key, u64 sa_key, u8 flags, u16 port,
		     const char *tid)
{
	u32 n = strlen(tid) + 1, padded = ALIGN(n, 4);

	memset(p, 0, 24 + 4 + padded);
	put_unaligned_be64(key, &p[0]);
	put_unaligned_be64(sa_key, &p[8]);
	p[17] = flags;
	put_unaligned_be16(port, &p[18]);
	put_unaligned_be32(4 + padded, &p[20]);
	p[24] = 0x45;
	put_unaligned_be16(padded, &p[26]);
	memcpy(&p[28], tid, n);
	return 24 + 4 + padded;
}

static enum sam_status move(struct kunit *test, struct pr_fix *f,
			    const struct ispt_scsi_nexus *n, u8 type,
			    const u8 *p, u32 len)
{
	u8 cdb[16] = { PERSISTENT_RESERVE_OUT, ISPT_PR_OUT_REGISTER_MOVE,
		       type };
	struct ispt_scsi_cmd cmd;
	enum sam_status st;

	put_unaligned_be32(len, &cdb[5]);
	KUNIT_EXPECT_EQ(test, ispt_scsi_decode(&cmd, cdb, 16, &lu),
			SAM_STAT_GOOD);
	st = ispt_pr_out(&f->pr, &cmd, n, p, len, &f->notify);
	f->sense = cmd.sense;
	return st;
}

static void ispt_pr_register_move_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);
	struct ispt_scsi_cmd w = cmd_of(test, WRITE_10);
	u8 p[128];
	u64 key;
	u32 n;

	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
	n = move_list(p, KEY_A, KEY_B, 0, 1,
		      "iqn.2026-01.test:b,i,0x800000000002");
	/* Not the holder: no reservation yet */
	KUNIT_EXPECT_EQ(test, move(test, f, &nx_a, ISPT_PR_TYPE_WE, p, n),
			SAM_STAT_RESERVATION_CONFLICT);
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_WE, KEY_A, 0,
	      0);
	KUNIT_EXPECT_EQ(test, move(test, f, &nx_a, ISPT_PR_TYPE_EA, p, n),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, &key), ISPT_PR_TYPE_EA);
	KUNIT_EXPECT_EQ(test, key, KEY_B);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 2U);
	KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&f->pr, &nx_a, &w));
	KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&f->pr, &nx_b, &w));

	/* Back to A, and B unregisters while moving (UNREG) */
	n = move_list(p, KEY_B, KEY_C, 0x02, 1,
		      "iqn.2026-01.test:a,i,0x800000000001");
	KUNIT_EXPECT_EQ(test, move(test, f, &nx_b, ISPT_PR_TYPE_WE, p, n),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, res_type(test, f, &key), ISPT_PR_TYPE_WE);
	KUNIT_EXPECT_EQ(test, key, KEY_C);
	KUNIT_EXPECT_EQ(test, nr_keys(test, f), 1U);

	/* To itself, to a name without an ISID, or malformed: refused */
	n = move_list(p, KEY_C, KEY_B, 0, 1,
		      "iqn.2026-01.test:a,i,0x800000000001");
	KUNIT_EXPECT_EQ(test, move(test, f, &nx_a, ISPT_PR_TYPE_WE, p, n),
			SAM_STAT_CHECK_CONDITION);
	expect_sense(test, f, ISPT_ASC_INVALID_FIELD_PARAM, 24, false);
	n = move_list(p, KEY_C, KEY_B, 0, 1, "iqn.2026-01.test:b");
	KUNIT_EXPECT_EQ(test, move(test, f, &nx_a, ISPT_PR_TYPE_WE, p, n),
			SAM_STAT_CHECK_CONDITION);
	n = move_list(p, KEY_C, KEY_B, 0, 1, "iqn.x,i,0x80000000000z");
	KUNIT_EXPECT_EQ(test, move(test, f, &nx_a, ISPT_PR_TYPE_WE, p, n),
			SAM_STAT_CHECK_CONDITION);
	n = move_list(p, KEY_C, KEY_B, 0, 1,
		      "iqn.2026-01.test:b,i,0x800000000002");
	p[27] = 0x80;		/* ADDITIONAL LENGTH beyond the list */
	KUNIT_EXPECT_EQ(test, move(test, f, &nx_a, ISPT_PR_TYPE_WE, p, n),
			SAM_STAT_CHECK_CONDITION);
	/* No new key */
	n = move_list(p, KEY_C, 0, 0, 1,
		      "iqn.2026-01.test:b,i,0x800000000002");
	KUNIT_EXPECT_EQ(test, move(test, f, &nx_a, ISPT_PR_TYPE_WE, p, n),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, res_type(test, f, &key), ISPT_PR_TYPE_WE);
	KUNIT_EXPECT_EQ(test, key, KEY_C);
	fixture_done(f);
}

/* ---- PERSISTENT RESERVE IN data --------------------------------------- */

static void ispt_pr_in_data_test(struct kunit *test)
{
	static const char tid[] = "iqn.2026-01.test:b,i,0x800000000002";
	struct pr_fix *f = fixture(test);
	u8 buf[256];
	u32 n, desc;

	/* REPORT CAPABILITIES: CRH, ATP_C, PTPL_C, TMV, the six types */
	KUNIT_EXPECT_EQ(test, prin(test, f, ISPT_PR_IN_REPORT_CAPABILITIES,
				   buf, 255), 8U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(buf), 8);
	KUNIT_EXPECT_EQ(test, buf[2], 0x15);
	KUNIT_EXPECT_EQ(test, buf[3], 0x80);
	KUNIT_EXPECT_EQ(test, buf[4], 0xea);
	KUNIT_EXPECT_EQ(test, buf[5], 0x01);
	KUNIT_EXPECT_EQ(test, buf[8], 0xaa);

	/* The last REGISTER's APTPL decides */
	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, APTPL);
	prin(test, f, ISPT_PR_IN_REPORT_CAPABILITIES, buf, 255);
	KUNIT_EXPECT_EQ(test, buf[3], 0x81);	/* PTPL_A */
	prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, 0, KEY_B, 0);
	prin(test, f, ISPT_PR_IN_REPORT_CAPABILITIES, buf, 255);
	KUNIT_EXPECT_EQ(test, buf[3], 0x80);
	prout(test, f, &nx_b, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_WE_RO, KEY_B,
	      0, 0);

	/* READ KEYS cut at 8: the length says 16 anyway */
	KUNIT_EXPECT_EQ(test, prin(test, f, ISPT_PR_IN_READ_KEYS, buf, 8),
			24U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&buf[4]), 16U);
	KUNIT_EXPECT_EQ(test, buf[8], 0xaa);

	/* READ RESERVATION */
	KUNIT_EXPECT_EQ(test, prin(test, f, ISPT_PR_IN_READ_RESERVATION, buf,
				   255), 24U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&buf[4]), 16U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&buf[8]), KEY_B);
	KUNIT_EXPECT_EQ(test, buf[21], ISPT_PR_TYPE_WE_RO);

	/* READ FULL STATUS: A, then B the holder, with TransportIDs */
	n = prin(test, f, ISPT_PR_IN_READ_FULL_STATUS, buf, 255);
	desc = 24 + 4 + ALIGN(sizeof(tid), 4);
	KUNIT_ASSERT_EQ(test, n, 8 + 2 * desc);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&buf[4]), 2 * desc);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&buf[8]), KEY_A);
	KUNIT_EXPECT_EQ(test, buf[8 + 12], 0);		/* not the holder */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&buf[8 + 18]), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&buf[8 + 20]), desc - 24);
	KUNIT_EXPECT_EQ(test, buf[8 + 24], 0x45);	/* port, iSCSI */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&buf[8 + 26]),
			ALIGN(sizeof(tid), 4));
	KUNIT_EXPECT_STREQ(test, (char *)&buf[8 + 28],
			   "iqn.2026-01.test:a,i,0x800000000001");
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&buf[8 + desc]), KEY_B);
	KUNIT_EXPECT_EQ(test, buf[8 + desc + 12], 0x01);	/* R_HOLDER */
	KUNIT_EXPECT_EQ(test, buf[8 + desc + 13], ISPT_PR_TYPE_WE_RO);
	KUNIT_EXPECT_STREQ(test, (char *)&buf[8 + desc + 28], tid);
	fixture_done(f);
}

/* ---- RESERVE(6/10), RELEASE, resets and nexus loss -------------------- */

static void ispt_pr_spc2_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test);
	struct ispt_scsi_cmd w = cmd_of(test, WRITE_10);
	struct ispt_scsi_cmd inq = cmd_of(test, INQUIRY);
	struct ispt_scsi_cmd rel = cmd_of(test, RELEASE);
	struct ispt_scsi_cmd tur = cmd_of(test, TEST_UNIT_READY);

	KUNIT_EXPECT_EQ(test, ispt_pr_reserve(&f->pr, &nx_a), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ispt_pr_reserve(&f->pr, &nx_a), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ispt_pr_reserve(&f->pr, &nx_b),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&f->pr, &nx_a, &w));
	KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&f->pr, &nx_b, &w));
	KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&f->pr, &nx_b, &tur));
	KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&f->pr, &nx_b, &inq));
	KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&f->pr, &nx_b, &rel));
	/* Another port of A is another nexus */
	KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&f->pr, &nx_a2, &w));

	/* RELEASE from B: no effect; from A: released */
	KUNIT_EXPECT_EQ(test, ispt_pr_release(&f->pr, &nx_b), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&f->pr, &nx_b, &w));
	KUNIT_EXPECT_EQ(test, ispt_pr_release(&f->pr, &nx_a), SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&f->pr, &nx_b, &w));

	/* Nexus loss and resets release it */
	KUNIT_EXPECT_EQ(test, ispt_pr_reserve(&f->pr, &nx_b), SAM_STAT_GOOD);
	ispt_pr_nexus_lost(&f->pr, &nx_a);
	KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&f->pr, &nx_a, &w));
	ispt_pr_nexus_lost(&f->pr, &nx_b);
	KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&f->pr, &nx_a, &w));
	KUNIT_EXPECT_EQ(test, ispt_pr_reserve(&f->pr, &nx_b), SAM_STAT_GOOD);
	ispt_pr_reset(&f->pr);
	KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&f->pr, &nx_a, &w));

	/* Under a persistent reservation (CRH=1): only its holder may */
	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_WE, KEY_A, 0,
	      0);
	KUNIT_EXPECT_EQ(test, ispt_pr_reserve(&f->pr, &nx_b),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, ispt_pr_reserve(&f->pr, &nx_a), SAM_STAT_GOOD);
	/* RELEASE: no effect from the holder, a conflict from a stranger */
	KUNIT_EXPECT_EQ(test, ispt_pr_release(&f->pr, &nx_a), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&f->pr, &nx_b, &w));
	KUNIT_EXPECT_EQ(test, ispt_pr_release(&f->pr, &nx_b),
			SAM_STAT_RESERVATION_CONFLICT);
	/* ... and it did not create an SPC-2 reservation */
	prout(test, f, &nx_a, ISPT_PR_OUT_RELEASE, ISPT_PR_TYPE_WE, KEY_A, 0,
	      0);
	KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&f->pr, &nx_b, &w));
	/* A registrant's RELEASE under a registrants-only type: no effect */
	prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, 0, KEY_B, 0);
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_WE_RO, KEY_A,
	      0, 0);
	KUNIT_EXPECT_EQ(test, ispt_pr_release(&f->pr, &nx_b), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, ispt_pr_release(&f->pr, &nx_c),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&f->pr, &nx_c, &w));
	prout(test, f, &nx_a, ISPT_PR_OUT_RELEASE, ISPT_PR_TYPE_WE_RO, KEY_A, 0,
	      0);
	/* PRs survive resets and nexus loss */
	prout(test, f, &nx_a, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_WE, KEY_A, 0,
	      0);
	ispt_pr_reset(&f->pr);
	ispt_pr_nexus_lost(&f->pr, &nx_a);
	KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&f->pr, &nx_b, &w));
	fixture_done(f);
}

/* ---- PTPL state text --------------------------------------------------- */

static int store(struct pr_fix *f, const char *text)
{
	return ispt_pr_state_store(&f->pr, text, strlen(text));
}

static void ispt_pr_state_test(struct kunit *test)
{
	struct pr_fix *f = fixture(test), *g = fixture(test);
	char *text = kunit_kzalloc(test, 4096, GFP_KERNEL);
	u8 a[256], b[256];
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, text);
	/* Without APTPL there is nothing to keep */
	prout(test, f, &nx_a, ISPT_PR_OUT_REGISTER, 0, 0, KEY_A, 0);
	n = ispt_pr_state_show(&f->pr, text, 4096);
	KUNIT_EXPECT_EQ(test, n, 0);

	prout(test, f, &nx_b, ISPT_PR_OUT_REGISTER, 0, 0, KEY_B, APTPL);
	prout(test, f, &nx_c, ISPT_PR_OUT_REGISTER, 0, 0, KEY_C,
	      APTPL | ALL_TG_PT);
	prout(test, f, &nx_b, ISPT_PR_OUT_RESERVE, ISPT_PR_TYPE_EA, KEY_B, 0,
	      0);
	n = ispt_pr_state_show(&f->pr, text, 4096);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_EQ(test, ispt_pr_state_store(&g->pr, text, n), 0);
	KUNIT_EXPECT_EQ(test, prin(test, f, ISPT_PR_IN_READ_FULL_STATUS, a,
				   255),
			prin(test, g, ISPT_PR_IN_READ_FULL_STATUS, b, 255));
	KUNIT_EXPECT_TRUE(test, !memcmp(a, b, 255));
	prin(test, g, ISPT_PR_IN_REPORT_CAPABILITIES, b, 255);
	KUNIT_EXPECT_EQ(test, b[3], 0x81);
	/* The restored reservation is enforced */
	{
		struct ispt_scsi_cmd r = cmd_of(test, READ_10);

		KUNIT_EXPECT_TRUE(test, ispt_pr_conflict(&g->pr, &nx_a, &r));
		KUNIT_EXPECT_FALSE(test, ispt_pr_conflict(&g->pr, &nx_b, &r));
	}

	/* Too small a buffer */
	KUNIT_EXPECT_EQ(test, ispt_pr_state_show(&f->pr, text, 20), -EFBIG);

	/* Bad text changes nothing */
	KUNIT_EXPECT_EQ(test, store(g, "aptpl 1\nfoo 1\n"), -EINVAL);
	KUNIT_EXPECT_EQ(test, store(g, "aptpl 1\nreg 0x1 1 0 80000000000 iqn.x\n"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, store(g, "aptpl 1\nreg 0 1 0 800000000001 iqn.x\n"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, store(g, "aptpl 1\nreservation 3 1\n"
				       "reg 0x1 1 0 800000000001 iqn.x\n"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, store(g, "aptpl 1\nreg 0x1 1 0 800000000001 iqn x\n"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, store(g, "aptpl 1\nreservation 2 0\n"
				       "reg 0x1 1 0 800000000001 iqn.x\n"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, store(g, "aptpl maybe\n"), -EINVAL);
	KUNIT_EXPECT_EQ(test, nr_keys(test, g), 3U);

	/* A hand-written state, with a blank line */
	KUNIT_EXPECT_EQ(test, store(g, "aptpl 1\n\ngeneration 9\n"
				       "reservation 1 0\n"
				       "reg 0x5 1 0 800000000002 iqn.2026-01.test:b\n"),
			0);
	KUNIT_EXPECT_EQ(test, nr_keys(test, g), 1U);
	KUNIT_EXPECT_EQ(test, generation(test, g), 9U);
	KUNIT_EXPECT_EQ(test, res_type(test, g, NULL), ISPT_PR_TYPE_WE);

	/* "aptpl 0" clears */
	KUNIT_EXPECT_EQ(test, store(g, "aptpl 0\n"), 0);
	KUNIT_EXPECT_EQ(test, nr_keys(test, g), 0U);
	KUNIT_EXPECT_EQ(test, res_type(test, g, NULL), 0);
	fixture_done(f);
	fixture_done(g);
}

static struct kunit_case ispt_pr_cases[] = {
	KUNIT_CASE(ispt_pr_register_test),
	KUNIT_CASE(ispt_pr_register_limit_test),
	KUNIT_CASE(ispt_pr_param_length_test),
	KUNIT_CASE(ispt_pr_conflict_test),
	KUNIT_CASE(ispt_pr_reserve_release_test),
	KUNIT_CASE(ispt_pr_unregister_holder_test),
	KUNIT_CASE(ispt_pr_clear_test),
	KUNIT_CASE(ispt_pr_preempt_test),
	KUNIT_CASE(ispt_pr_preempt_all_registrants_test),
	KUNIT_CASE(ispt_pr_register_move_test),
	KUNIT_CASE(ispt_pr_in_data_test),
	KUNIT_CASE(ispt_pr_spc2_test),
	KUNIT_CASE(ispt_pr_state_test),
	{}
};

static struct kunit_suite ispt_pr_suite = {
	.name = "iscsi_spt_pr",
	.test_cases = ispt_pr_cases,
};

kunit_test_suite(ispt_pr_suite);
