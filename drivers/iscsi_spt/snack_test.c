// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for ErrorRecoveryLevel 1's numbered responses (snack.c):
 * which queued PDUs are kept, what a Status SNACK replays and refuses,
 * what ExpStatSN lets go, and the bound. A connection and session of
 * the fields snack.c and the send queue use, without a socket.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "conn.h"
#include "pdu.h"
#include "session.h"

struct snack_env {
	struct ispt_conn	*conn;
	struct ispt_session	*sess;
};

static void snack_env_exit(struct kunit_resource *res)
{
	struct snack_env *env = res->data;

	ispt_conn_tx_drop_all(env->conn);
	ispt_status_drop_all(env->conn);
}

static struct ispt_conn *snack_conn(struct kunit *test, u8 erl)
{
	struct snack_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->conn = kunit_kzalloc(test, sizeof(*env->conn), GFP_KERNEL);
	env->sess = kunit_kzalloc(test, sizeof(*env->sess), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->conn);
	KUNIT_ASSERT_NOT_NULL(test, env->sess);
	spin_lock_init(&env->sess->lock);
	env->sess->cmd_window = 64;
	env->sess->exp_cmdsn = 100;
	env->sess->max_cmdsn = 163;
	env->sess->keys.erl = erl;
	INIT_LIST_HEAD(&env->conn->tx_queue);
	INIT_LIST_HEAD(&env->conn->cmds);
	INIT_LIST_HEAD(&env->conn->cmds_retained);
	INIT_LIST_HEAD(&env->conn->status_copies);
	env->conn->state = ISPT_CONN_FULL_FEATURE;
	env->conn->sess = env->sess;
	env->conn->statsn = 10;
	env->conn->exp_statsn = 10;
	kunit_alloc_resource(test, NULL, snack_env_exit, GFP_KERNEL, env);
	return env->conn;
}

/* A NOP-In answering ping @itt with @len bytes: a numbered response. */
static void queue_nop_in(struct kunit *test, struct ispt_conn *conn, u32 itt,
			 u32 len)
{
	struct ispt_tx_pdu *pdu = ispt_tx_pdu_alloc(len, GFP_KERNEL);
	struct ispt_pdu_sn sn;

	KUNIT_ASSERT_NOT_NULL(test, pdu);
	memset(pdu->data, itt & 0xff, len);
	sn = ispt_session_sn(conn, itt != ISCSI_RESERVED_TAG);
	ispt_pdu_build_nop_in(&pdu->bhs, (__force itt_t)cpu_to_be32(itt),
			      ISCSI_RESERVED_TAG, 0, len, &sn);
	ispt_conn_queue_pdu(conn, pdu);
}

static void queue_r2t(struct kunit *test, struct ispt_conn *conn)
{
	struct ispt_tx_pdu *pdu = ispt_tx_pdu_alloc(0, GFP_KERNEL);
	const struct ispt_pdu_r2t r2t = { .length = 4096 };
	struct ispt_pdu_sn sn;

	KUNIT_ASSERT_NOT_NULL(test, pdu);
	sn = ispt_session_sn(conn, false);
	ispt_pdu_build_r2t(&pdu->bhs, (__force itt_t)cpu_to_be32(1), 0, 5,
			   &r2t, &sn);
	ispt_conn_queue_pdu(conn, pdu);
}

static int status_snack(struct ispt_conn *conn, u32 exp_statsn, u32 begrun,
			u32 runlength)
{
	struct ispt_pdu_summary s = {
		.kind = ISPT_PDU_SNACK,
		.opcode = ISCSI_OP_SNACK,
		.itt = RESERVED_ITT,
		.exp_statsn = exp_statsn,
		.snack = { .type = ISCSI_FLAG_SNACK_TYPE_STATUS,
			   .ttt = ISCSI_RESERVED_TAG, .begrun = begrun,
			   .runlength = runlength },
	};

	ispt_conn_tx_drop_all(conn);
	return ispt_snack_handle(conn, &s);
}

/* The StatSNs on the send queue, in order, and their data checked. */
static unsigned int queued(struct kunit *test, struct ispt_conn *conn,
			   u32 *statsn, unsigned int max)
{
	struct ispt_tx_pdu *pdu;
	unsigned int n = 0;

	list_for_each_entry(pdu, &conn->tx_queue, node) {
		const struct iscsi_nopin *h = (const void *)&pdu->bhs;
		u32 itt = be32_to_cpu((__force __be32)h->itt);

		KUNIT_EXPECT_EQ(test, h->opcode & ISCSI_OPCODE_MASK,
				ISCSI_OP_NOOP_IN);
		/* The window as it is now, not as it was first sent. */
		KUNIT_EXPECT_EQ(test, be32_to_cpu(h->exp_cmdsn),
				conn->sess->exp_cmdsn);
		if (pdu->data_len)
			KUNIT_EXPECT_EQ(test, ((u8 *)pdu->data)[0], itt & 0xff);
		if (n < max)
			statsn[n] = be32_to_cpu(h->statsn);
		n++;
	}
	return n;
}

static void ispt_snack_status_test(struct kunit *test)
{
	struct ispt_conn *conn = snack_conn(test, 1);
	u32 got[8];
	u32 i;

	/* StatSN 10..14; an R2T and a ping of ours take none. */
	for (i = 0; i < 5; i++) {
		queue_nop_in(test, conn, 0x100 + i, 16);
		if (i == 2) {
			queue_r2t(test, conn);
			queue_nop_in(test, conn, ISCSI_RESERVED_TAG, 0);
		}
	}
	KUNIT_EXPECT_EQ(test, conn->statsn, 15U);
	KUNIT_EXPECT_EQ(test, conn->nr_status_copies, 5U);

	conn->sess->exp_cmdsn = 120;	/* moved on since */
	KUNIT_EXPECT_EQ(test, status_snack(conn, 10, 11, 2), 0);
	KUNIT_ASSERT_EQ(test, queued(test, conn, got, 8), 2U);
	KUNIT_EXPECT_EQ(test, got[0], 11U);
	KUNIT_EXPECT_EQ(test, got[1], 12U);
	/* Replays take no StatSN and keep no second copy. */
	KUNIT_EXPECT_EQ(test, conn->statsn, 15U);
	KUNIT_EXPECT_EQ(test, conn->nr_status_copies, 5U);

	/* RunLength 0: from BegRun to the last sent. */
	KUNIT_EXPECT_EQ(test, status_snack(conn, 10, 13, 0), 0);
	KUNIT_ASSERT_EQ(test, queued(test, conn, got, 8), 2U);
	KUNIT_EXPECT_EQ(test, got[0], 13U);
	KUNIT_EXPECT_EQ(test, got[1], 14U);

	/* Never sent, or running past the last sent. */
	KUNIT_EXPECT_EQ(test, status_snack(conn, 10, 15, 1),
			ISPT_PDU_REJECT_PROTOCOL_ERROR);
	KUNIT_EXPECT_EQ(test, status_snack(conn, 10, 14, 2),
			ISPT_PDU_REJECT_PROTOCOL_ERROR);
	KUNIT_EXPECT_EQ(test, queued(test, conn, got, 8), 0U);

	/* The SNACK's own ExpStatSN acknowledges 10..12. */
	KUNIT_EXPECT_EQ(test, status_snack(conn, 13, 12, 1),
			ISPT_PDU_REJECT_PROTOCOL_ERROR);
	KUNIT_EXPECT_EQ(test, conn->nr_status_copies, 2U);
	KUNIT_EXPECT_EQ(test, status_snack(conn, 13, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, queued(test, conn, got, 8), 2U);
	KUNIT_EXPECT_EQ(test, got[0], 13U);
	KUNIT_EXPECT_EQ(test, got[1], 14U);

	/* Any other PDU's ExpStatSN does the same. */
	ispt_snack_acked(conn, 15);
	KUNIT_EXPECT_EQ(test, conn->nr_status_copies, 0U);
	KUNIT_EXPECT_EQ(test, status_snack(conn, 15, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, queued(test, conn, got, 8), 0U);
}

/* Past the bound the oldest go; a SNACK for one of them is refused. */
static void ispt_snack_bound_test(struct kunit *test)
{
	struct ispt_conn *conn = snack_conn(test, 1);
	u32 got[2];
	u32 i;

	for (i = 0; i < 600; i++)
		queue_nop_in(test, conn, 0x1000 + i, 4);
	ispt_conn_tx_drop_all(conn);
	KUNIT_EXPECT_EQ(test, conn->nr_status_copies, 512U);
	KUNIT_EXPECT_EQ(test, status_snack(conn, 10, 10 + 87, 1),
			ISPT_PDU_REJECT_PROTOCOL_ERROR);
	KUNIT_EXPECT_EQ(test, status_snack(conn, 10, 10 + 88, 1), 0);
	KUNIT_ASSERT_EQ(test, queued(test, conn, got, 2), 1U);
	KUNIT_EXPECT_EQ(test, got[0], 98U);
	/* A response whose data is too large to keep is not kept. */
	queue_nop_in(test, conn, 0x77, 8193);
	KUNIT_EXPECT_EQ(test, conn->nr_status_copies, 512U);
	KUNIT_EXPECT_EQ(test, status_snack(conn, 10, conn->statsn - 1, 1),
			ISPT_PDU_REJECT_PROTOCOL_ERROR);
}

/* ERL 0 keeps nothing and refuses SNACK as a command it lacks. */
static void ispt_snack_erl0_test(struct kunit *test)
{
	struct ispt_conn *conn = snack_conn(test, 0);

	queue_nop_in(test, conn, 0x100, 16);
	KUNIT_EXPECT_EQ(test, conn->nr_status_copies, 0U);
	KUNIT_EXPECT_EQ(test, status_snack(conn, 10, 10, 1),
			ISPT_PDU_REJECT_CMD_NOT_SUPPORTED);
}

static struct kunit_case ispt_snack_test_cases[] = {
	KUNIT_CASE(ispt_snack_status_test),
	KUNIT_CASE(ispt_snack_bound_test),
	KUNIT_CASE(ispt_snack_erl0_test),
	{}
};

static struct kunit_suite ispt_snack_test_suite = {
	.name = "iscsi_spt_snack",
	.test_cases = ispt_snack_test_cases,
};

kunit_test_suite(ispt_snack_test_suite);
