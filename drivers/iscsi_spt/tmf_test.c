// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for task management's shared state: the response decided
 * from what the connections of a session reported, and the count that
 * lets exactly the last of them (connection or aborted task, in any
 * order, on any CPU) send it.
 */
#include <kunit/test.h>

#include "cmd.h"
#include "session.h"

/* RFC 7144's function codes and FUNCTION SUCCEEDED, as tmf.c has them. */
#define QUERY_TASK		9
#define QUERY_TASK_SET		10
#define SUCCEEDED		7

struct tmf_outcome_case {
	const char	*name;
	u8		function;
	u8		response;	/* as the TMF's own connection decided */
	bool		found;		/* some connection had a task */
	bool		ref_in_window;
	u8		want;
};

static const struct tmf_outcome_case tmf_outcome_cases[] = {
	{ "abort found", ISCSI_TM_FUNC_ABORT_TASK, ISCSI_TMF_RSP_COMPLETE,
	  true, false, ISCSI_TMF_RSP_COMPLETE },
	{ "abort found, refcmdsn in window", ISCSI_TM_FUNC_ABORT_TASK,
	  ISCSI_TMF_RSP_COMPLETE, true, true, ISCSI_TMF_RSP_COMPLETE },
	{ "abort none, refcmdsn in window", ISCSI_TM_FUNC_ABORT_TASK,
	  ISCSI_TMF_RSP_COMPLETE, false, true, ISCSI_TMF_RSP_COMPLETE },
	{ "abort none, refcmdsn gone", ISCSI_TM_FUNC_ABORT_TASK,
	  ISCSI_TMF_RSP_COMPLETE, false, false, ISCSI_TMF_RSP_NO_TASK },
	{ "query task found", QUERY_TASK, ISCSI_TMF_RSP_COMPLETE, true, false,
	  SUCCEEDED },
	{ "query task none", QUERY_TASK, ISCSI_TMF_RSP_COMPLETE, false, false,
	  ISCSI_TMF_RSP_COMPLETE },
	{ "query set found", QUERY_TASK_SET, ISCSI_TMF_RSP_COMPLETE, true, false,
	  SUCCEEDED },
	{ "query set none", QUERY_TASK_SET, ISCSI_TMF_RSP_COMPLETE, false,
	  false, ISCSI_TMF_RSP_COMPLETE },
	{ "query set no lun", QUERY_TASK_SET, ISCSI_TMF_RSP_NO_LUN, false,
	  false, ISCSI_TMF_RSP_NO_LUN },
	{ "lu reset found", ISCSI_TM_FUNC_LOGICAL_UNIT_RESET,
	  ISCSI_TMF_RSP_COMPLETE, true, false, ISCSI_TMF_RSP_COMPLETE },
	{ "lu reset no lun", ISCSI_TM_FUNC_LOGICAL_UNIT_RESET,
	  ISCSI_TMF_RSP_NO_LUN, false, false, ISCSI_TMF_RSP_NO_LUN },
	{ "abort set no lun", ISCSI_TM_FUNC_ABORT_TASK_SET,
	  ISCSI_TMF_RSP_NO_LUN, false, false, ISCSI_TMF_RSP_NO_LUN },
	{ "reassign", ISCSI_TM_FUNC_TASK_REASSIGN, ISCSI_TMF_RSP_NO_FAILOVER,
	  false, false, ISCSI_TMF_RSP_NO_FAILOVER },
};

static void tmf_outcome_desc(const struct tmf_outcome_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tmf_outcome, tmf_outcome_cases, tmf_outcome_desc);

static void ispt_tmf_outcome_test(struct kunit *test)
{
	const struct tmf_outcome_case *c = test->param_value;
	struct ispt_tmf tmf = {
		.function = c->function,
		.response = c->response,
		.found = c->found,
		.ref_in_window = c->ref_in_window,
	};

	KUNIT_EXPECT_EQ(test, ispt_tmf_outcome(&tmf), c->want);
}

/*
 * A TMF on a session of three connections: its own pass holds one, each
 * of the two other connections one until it reports, and each task
 * aborted anywhere one (+) until it ends. A connection counts its tasks
 * before it reports (-), so only the very last drop answers, whatever
 * order the connections and tasks end in.
 */
static void ispt_tmf_put_last_answers(struct kunit *test)
{
	static const char * const orders[] = {
		"---",			/* nothing aborted anywhere */
		"+-+----",		/* own pass aborts two, they end last */
		"-+-+--+--",		/* remotes abort, interleaved ends */
		"++++-------",
	};
	struct ispt_tmf tmf = { };
	unsigned int k, i;

	for (k = 0; k < ARRAY_SIZE(orders); k++) {
		const char *o = orders[k];

		refcount_set(&tmf.pending, 3);	/* own pass, two connections */
		for (i = 0; o[i]; i++) {
			if (o[i] == '+') {
				refcount_inc(&tmf.pending);
				continue;
			}
			KUNIT_EXPECT_EQ_MSG(test, ispt_tmf_put(&tmf), !o[i + 1],
					    "order %s, step %u", o, i);
		}
	}
}

/* One connection: no post, the own pass is the only holder. */
static void ispt_tmf_put_single(struct kunit *test)
{
	struct ispt_tmf tmf = { };

	refcount_set(&tmf.pending, 1);
	KUNIT_EXPECT_TRUE(test, ispt_tmf_put(&tmf));
	refcount_set(&tmf.pending, 1);
	refcount_inc(&tmf.pending);		/* a task whose bios run */
	KUNIT_EXPECT_FALSE(test, ispt_tmf_put(&tmf));
	KUNIT_EXPECT_TRUE(test, ispt_tmf_put(&tmf));
}

/*
 * ABORT TASK of a task that never came: its RefCmdSN is taken as
 * received only when it is ExpCmdSN (wrapping at 2^32), and only once.
 */
static void ispt_tmf_skip_cmdsn(struct kunit *test)
{
	struct ispt_session *sess = kunit_kzalloc(test, sizeof(*sess),
						  GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sess);
	spin_lock_init(&sess->lock);
	INIT_LIST_HEAD(&sess->conns);
	sess->exp_cmdsn = 0xffffffff;
	sess->max_cmdsn = 100;
	KUNIT_EXPECT_FALSE(test, ispt_session_skip_cmdsn(sess, 0));
	KUNIT_EXPECT_EQ(test, sess->exp_cmdsn, 0xffffffffU);
	KUNIT_EXPECT_TRUE(test, ispt_session_skip_cmdsn(sess, 0xffffffff));
	KUNIT_EXPECT_EQ(test, sess->exp_cmdsn, 0U);
	KUNIT_EXPECT_FALSE(test, ispt_session_skip_cmdsn(sess, 0xffffffff));
	KUNIT_EXPECT_TRUE(test, ispt_session_skip_cmdsn(sess, 0));
	KUNIT_EXPECT_EQ(test, sess->exp_cmdsn, 1U);
}

static struct kunit_case ispt_tmf_cases[] = {
	KUNIT_CASE_PARAM(ispt_tmf_outcome_test, tmf_outcome_gen_params),
	KUNIT_CASE(ispt_tmf_put_last_answers),
	KUNIT_CASE(ispt_tmf_put_single),
	KUNIT_CASE(ispt_tmf_skip_cmdsn),
	{}
};

static struct kunit_suite ispt_tmf_suite = {
	.name = "iscsi_spt_tmf",
	.test_cases = ispt_tmf_cases,
};

kunit_test_suite(ispt_tmf_suite);
