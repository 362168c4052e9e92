// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the login phase's structural checks: which requests
 * and stage transitions pass, and the status class/detail of each that
 * does not.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "login.h"
#include "pdu.h"

#define SEC	ISCSI_SECURITY_NEGOTIATION_STAGE
#define OP	ISCSI_OP_PARMS_NEGOTIATION_STAGE
#define FFP	ISCSI_FULL_FEATURE_PHASE

struct login_case {
	const char	*name;
	bool		started;	/* not the first request */
	u8		stage;		/* the exchange's current stage */
	bool		transit, cont;
	u8		csg, nsg, version_min;
	bool		other_isid, other_tsih, other_cid;
	bool		ok;		/* else initiator error with detail: */
	u8		detail;
};

enum {
	E_INIT = ISCSI_LOGIN_STATUS_INIT_ERR,
	E_VERSION = ISCSI_LOGIN_STATUS_NO_VERSION,
};

static const struct login_case login_cases[] = {
	{ "first in security", false, 0, false, false, SEC, 0, 0, 0, 0, 0, true, 0 },
	{ "first in operational", false, 0, false, false, OP, 0, 0, 0, 0, 0, true, 0 },
	{ "first to ffp", false, 0, true, false, OP, FFP, 0, 0, 0, 0, true, 0 },
	{ "security to operational", false, 0, true, false, SEC, OP, 0, 0, 0, 0, true, 0 },
	{ "security to ffp", false, 0, true, false, SEC, FFP, 0, 0, 0, 0, true, 0 },
	{ "continued", false, 0, false, true, SEC, 0, 0, 0, 0, 0, true, 0 },
	{ "later same stage", true, OP, false, false, OP, 0, 0, 0, 0, 0, true, 0 },
	{ "first in ffp", false, 0, false, false, FFP, 0, 0, 0, 0, 0, false, E_INIT },
	{ "first in stage 2", false, 0, false, false, 2, 0, 0, 0, 0, 0, false, E_INIT },
	{ "version too new", false, 0, false, false, SEC, 0, 1, 0, 0, 0, false, E_VERSION },
	{ "transit and continue", false, 0, true, true, SEC, OP, 0, 0, 0, 0, false, E_INIT },
	{ "isid changed", true, SEC, false, false, SEC, 0, 0, 1, 0, 0, false, E_INIT },
	{ "tsih changed", true, SEC, false, false, SEC, 0, 0, 0, 1, 0, false, E_INIT },
	{ "cid changed", true, SEC, false, false, SEC, 0, 0, 0, 0, 1, false, E_INIT },
	{ "wrong current stage", true, OP, false, false, SEC, 0, 0, 0, 0, 0, false, E_INIT },
	{ "transit backwards", false, 0, true, false, OP, SEC, 0, 0, 0, 0, false, E_INIT },
	{ "transit to itself", false, 0, true, false, OP, OP, 0, 0, 0, 0, false, E_INIT },
	{ "transit to stage 2", false, 0, true, false, SEC, 2, 0, 0, 0, 0, false, E_INIT },
};

static void login_case_desc(const struct login_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(login, login_cases, login_case_desc);

static void ispt_login_checks(struct kunit *test)
{
	static const u8 isid[6] = { 0x80, 0, 0, 1, 2, 3 };
	const struct login_case *c = test->param_value;
	struct ispt_login_status st;
	struct ispt_pdu_summary s = { .kind = ISPT_PDU_LOGIN };
	struct ispt_login login = { };

	login.started = c->started;
	login.stage = c->stage;
	memcpy(login.isid, isid, sizeof(isid));
	login.tsih = 7;
	login.cid = 1;

	s.login.transit = c->transit;
	s.login.cont = c->cont;
	s.login.csg = c->csg;
	s.login.nsg = c->nsg;
	s.login.version_min = c->version_min;
	memcpy(s.login.isid, isid, sizeof(isid));
	s.login.isid[5] ^= c->other_isid;
	s.login.tsih = 7 + c->other_tsih;
	s.login.cid = 1 + c->other_cid;

	st = ispt_login_check_pdu(&login, &s);
	if (!st.cls)
		st = ispt_login_check_transit(&s);
	if (c->ok) {
		KUNIT_EXPECT_EQ(test, st.cls, ISCSI_STATUS_CLS_SUCCESS);
		KUNIT_EXPECT_EQ(test, st.detail, 0);
	} else {
		KUNIT_EXPECT_EQ(test, st.cls, ISCSI_STATUS_CLS_INITIATOR_ERR);
		KUNIT_EXPECT_EQ(test, st.detail, c->detail);
	}
}

/* A non-leading login against what its TSIH's lookup found. */
struct join_case {
	const char			*name;
	struct ispt_login_join		j;
	enum ispt_login_join_action	act;
	u8				cls, detail;
};

#define J_OK	{ .found = true, .same_initiator = true, .same_target = true, \
		  .nr_conns = 1, .max_conns = 2 }

static const struct join_case join_cases[] = {
	{ "room for one more", J_OK, ISPT_LOGIN_JOIN_ADD, 0, 0 },
	{ "unknown tsih", { .same_initiator = true, .same_target = true,
			    .nr_conns = 1, .max_conns = 2 },
	  ISPT_LOGIN_JOIN_REFUSE, ISCSI_STATUS_CLS_INITIATOR_ERR,
	  ISCSI_LOGIN_STATUS_NO_SESSION },
	{ "other initiator or isid", { .found = true, .same_target = true,
				       .nr_conns = 1, .max_conns = 2 },
	  ISPT_LOGIN_JOIN_REFUSE, ISCSI_STATUS_CLS_INITIATOR_ERR,
	  ISCSI_LOGIN_STATUS_NO_SESSION },
	{ "session ending", { .found = true, .same_initiator = true,
			      .same_target = true, .ending = true,
			      .nr_conns = 1, .max_conns = 2 },
	  ISPT_LOGIN_JOIN_REFUSE, ISCSI_STATUS_CLS_INITIATOR_ERR,
	  ISCSI_LOGIN_STATUS_NO_SESSION },
	{ "other target or portal group", { .found = true, .same_initiator = true,
					    .nr_conns = 1, .max_conns = 2 },
	  ISPT_LOGIN_JOIN_REFUSE, ISCSI_STATUS_CLS_INITIATOR_ERR,
	  ISCSI_LOGIN_STATUS_CONN_ADD_FAILED },
	{ "discovery", { .found = true, .same_initiator = true,
			 .same_target = true, .discovery = true,
			 .nr_conns = 1, .max_conns = 2 },
	  ISPT_LOGIN_JOIN_REFUSE, ISCSI_STATUS_CLS_INITIATOR_ERR,
	  ISCSI_LOGIN_STATUS_CONN_ADD_FAILED },
	{ "at MaxConnections", { .found = true, .same_initiator = true,
				 .same_target = true, .nr_conns = 2,
				 .max_conns = 2 },
	  ISPT_LOGIN_JOIN_REFUSE, ISCSI_STATUS_CLS_INITIATOR_ERR,
	  ISCSI_LOGIN_STATUS_ISID_ERROR },
	{ "MaxConnections 1", { .found = true, .same_initiator = true,
				.same_target = true, .nr_conns = 1,
				.max_conns = 1 },
	  ISPT_LOGIN_JOIN_REFUSE, ISCSI_STATUS_CLS_INITIATOR_ERR,
	  ISCSI_LOGIN_STATUS_ISID_ERROR },
	{ "cid in use at MaxConnections", { .found = true, .same_initiator = true,
					    .same_target = true,
					    .cid_in_use = true, .nr_conns = 2,
					    .max_conns = 2 },
	  ISPT_LOGIN_JOIN_REPLACE, 0, 0 },
	{ "cid in use, other target", { .found = true, .same_initiator = true,
					.cid_in_use = true, .nr_conns = 1,
					.max_conns = 2 },
	  ISPT_LOGIN_JOIN_REFUSE, ISCSI_STATUS_CLS_INITIATOR_ERR,
	  ISCSI_LOGIN_STATUS_CONN_ADD_FAILED },
	{ "cid in use, session ending", { .found = true, .same_initiator = true,
					  .same_target = true, .ending = true,
					  .cid_in_use = true, .nr_conns = 1,
					  .max_conns = 2 },
	  ISPT_LOGIN_JOIN_REFUSE, ISCSI_STATUS_CLS_INITIATOR_ERR,
	  ISCSI_LOGIN_STATUS_NO_SESSION },
};

static void join_case_desc(const struct join_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(join, join_cases, join_case_desc);

static void ispt_login_join(struct kunit *test)
{
	const struct join_case *c = test->param_value;
	struct ispt_login_status st = { 0xff, 0xff };

	KUNIT_EXPECT_EQ(test, ispt_login_join_verdict(&c->j, &st), c->act);
	KUNIT_EXPECT_EQ(test, st.cls, c->cls);
	KUNIT_EXPECT_EQ(test, st.detail, c->detail);
}

static struct kunit_case ispt_login_cases[] = {
	KUNIT_CASE_PARAM(ispt_login_checks, login_gen_params),
	KUNIT_CASE_PARAM(ispt_login_join, join_gen_params),
	{}
};

static struct kunit_suite ispt_login_suite = {
	.name = "iscsi_spt_login",
	.test_cases = ispt_login_cases,
};

kunit_test_suite(ispt_login_suite);
