/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_LOGIN_H
#define ISPT_LOGIN_H

#include <linux/types.h>
#include <scsi/iscsi_proto.h>

#include "auth.h"
#include "chap.h"
#include "logindefs.h"

struct ispt_conn;
struct ispt_pdu_summary;
struct ispt_target;

/* CmdSN window offered to every session. */
#define ISPT_SESSION_CMD_WINDOW	128

/* A login's outcome on the wire: status class and detail. */
struct ispt_login_status {
	u8	cls;
	u8	detail;
};

#define ISPT_LOGIN_OK	((struct ispt_login_status){ 0, 0 })
#define ISPT_LOGIN_FAIL(c, d) \
	((struct ispt_login_status){ ISCSI_STATUS_CLS_##c, ISCSI_LOGIN_STATUS_##d })

/* Values negotiated so far, typed. */
struct ispt_login_keys {
	u32	their_max_recv_dsl;
	u32	max_burst;
	u32	first_burst;
	u32	time2wait;
	u32	time2retain;
	u32	max_r2t;
	u32	erl;
	u32	max_conns;
	bool	initial_r2t;
	bool	immediate_data;
	bool	data_pdu_in_order;
	bool	data_seq_in_order;
	bool	header_digest;
	bool	data_digest;
};

/* State of one connection's login exchange; freed on Full Feature Phase. */
struct ispt_login {
	bool			started;
	u8			stage;		/* CSG we are in */
	u8			isid[6];
	u16			tsih;
	u16			cid;
	itt_t			itt;
	u32			cmdsn;
	u8			*text;		/* request text across C PDUs */
	u32			text_len;
	bool			discovery;
	bool			keys_ready;
	bool			first_checked;	/* names and access checked */
	bool			tpgt_sent;
	bool			mrdsl_sent;
	u32			keys_seen;	/* bit per key: no repeats */
	struct ispt_login_keys	keys;
	struct ispt_login_defaults defaults;	/* our offer, at login start */
	char			initiator[ISCSI_NAME_LEN];
	char			target_name[ISCSI_NAME_LEN];
	struct ispt_target	*target;
	const char		*fail_reason;
	/* The security stage; the request's keys for it point into text. */
	const char		*auth_offer;	/* AuthMethod value */
	struct ispt_chap_keys	chap_keys;
	struct ispt_login_auth	auth;
};

/* What a non-leading login (TSIH != 0) found of the session it names. */
struct ispt_login_join {
	bool		found;		/* a session has that TSIH */
	bool		same_initiator;	/* its initiator name and ISID */
	bool		same_target;	/* its target and portal group */
	bool		discovery;	/* the session or the login is one */
	bool		ending;		/* the session is being torn down */
	bool		cid_in_use;	/* one of its connections has the CID */
	unsigned int	nr_conns;
	unsigned int	max_conns;	/* MaxConnections of the leading login */
};

enum ispt_login_join_action {
	ISPT_LOGIN_JOIN_REFUSE,
	ISPT_LOGIN_JOIN_ADD,		/* one more connection */
	ISPT_LOGIN_JOIN_REPLACE,	/* connection reinstatement */
};

/* login.c APIs: */
enum ispt_login_join_action
ispt_login_join_verdict(const struct ispt_login_join *j,
			struct ispt_login_status *st);
struct ispt_login_status
ispt_login_check_pdu(const struct ispt_login *login,
		     const struct ispt_pdu_summary *s);
struct ispt_login_status
ispt_login_check_transit(const struct ispt_pdu_summary *s);

/* negotiate.c APIs: */
struct ispt_login_status ispt_login_negotiate(struct ispt_conn *conn,
					      struct ispt_login *login,
					      const struct ispt_pdu_summary *s,
					      char *buf, u32 *len, bool *transit);
int ispt_login_enter_ffp(struct ispt_conn *conn, struct ispt_login *login);
void ispt_login_keys_init(struct ispt_login *login);
bool ispt_login_key_known(const char *name);
bool ispt_login_negotiate_text(struct ispt_login *login, char *buf, u32 cap,
			       u32 *len);

/* auth.c APIs for the security stage: */
void ispt_login_auth_begin(struct ispt_login *login,
			   struct ispt_auth_policy *policy);
struct ispt_login_status ispt_login_auth_step(struct ispt_login *login,
					      u8 csg, bool *transit,
					      char *buf, u32 cap, u32 *len);
void ispt_login_auth_end(struct ispt_login *login);

#endif /* ISPT_LOGIN_H */
