/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_SESSION_H
#define ISPT_SESSION_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <scsi/iscsi_proto.h>

#include "pdu.h"
#include "ua.h"
#include "xcopy.h"

struct ispt_conn;
struct ispt_login;
struct ispt_login_status;
struct ispt_pr_reg;
struct ispt_scsi_nexus;
struct ispt_target;

/* The negotiated values the Full Feature Phase works with. */
struct ispt_session_keys {
	u32	max_burst;
	u32	first_burst;
	u32	max_outstanding_r2t;
	u32	time2wait;
	u32	time2retain;
	u16	max_connections;
	u8	erl;
	bool	initial_r2t;
	bool	immediate_data;
	bool	data_pdu_in_order;
	bool	data_sequence_in_order;
};

struct ispt_session {
	struct kref		kref;
	struct list_head	node;		/* on ispt_sessions */
	u16			tsih;
	u16			tpgt;
	u8			isid[6];
	bool			discovery;
	char			initiator[ISCSI_NAME_LEN];
	struct ispt_target	*target;	/* NULL for discovery */
	/*
	 * The connections may run on different CPUs: lock guards the CmdSN
	 * window and the connection list, and nests inside
	 * ispt_sessions_lock. Fixed once on the list: the fields above and
	 * keys.
	 */
	spinlock_t		lock;
	struct list_head	conns;		/* ispt_conn.sess_node */
	unsigned int		nr_conns;	/* on conns; READ_ONCE unlocked */
	bool			ending;		/* no new connection may join */
	unsigned long		nexus_lost;	/* bit 0: its nexus loss is done */
	unsigned int		nr_parked;	/* conns holding a PDU (session.c) */
	u32			exp_cmdsn;
	u32			max_cmdsn;
	u32			cmd_window;
	atomic_t		nr_cmds;	/* commands alive, all connections */
	/*
	 * The task set of this I_T nexus, whatever connection its tasks
	 * came on (cmd.c: cmd_admit()); under lock.
	 */
	struct list_head	cmds_blocked;	/* held back, in CmdSN order */
	unsigned int		cmds_active;	/* admitted, not yet ended */
	bool			ordered_active;	/* an ORDERED one is admitted */
	struct ispt_session_keys keys;
	struct ispt_ua_queue	ua;		/* this I_T nexus's conditions */
	struct ispt_xcopy_results xcopy;	/* held copy statuses */
};

/*
 * Limits: a login that would exceed max_sessions fails with 0x0302 (out
 * of resources); MaxConnections is offered no higher than
 * max_connections_per_session.
 */

/* session.c APIs: */
struct ispt_session *ispt_session_create(struct ispt_conn *conn,
					 const u8 *isid, const char *initiator,
					 struct ispt_target *target, u32 cmdsn,
					 const struct ispt_session_keys *keys);
struct ispt_login_status ispt_session_join(struct ispt_conn *conn,
					   const struct ispt_login *login);
void ispt_session_cmdsn(struct ispt_session *sess, u32 *exp, u32 *max);
bool ispt_session_skip_cmdsn(struct ispt_session *sess, u32 cmdsn);
void ispt_session_rejected_cmdsn(struct ispt_conn *conn);
void ispt_session_spread(struct ispt_conn *conn);
void ispt_session_put(struct ispt_session *sess);
unsigned int ispt_sessions_count(void);
void ispt_sessions_request_logout(const struct ispt_target *target, int pg_tag);
void ispt_session_conn_gone(struct ispt_conn *conn);
struct ispt_pdu_sn ispt_session_sn(struct ispt_conn *conn, bool advance);
int ispt_session_ping(struct ispt_conn *conn);
void ispt_session_cmd_gone(struct ispt_conn *conn);
void ispt_sessions_post_ua_luns(const struct ispt_target *target,
				const u64 *luns, unsigned int n, u16 asc_ascq,
				const struct ispt_session *except);
void ispt_sessions_post_ua(const struct ispt_target *target, u16 lun,
			   u16 asc_ascq, const struct ispt_session *except);
void ispt_sessions_forget_lun(const struct ispt_target *target, u16 lun);
void ispt_session_walk_conns(struct ispt_session *sess,
			     bool (*fn)(struct ispt_conn *conn, void *arg),
			     void *arg);
void ispt_sessions_walk_conns(const struct ispt_target *target,
			      const struct ispt_pr_reg *reg,
			      bool (*fn)(struct ispt_conn *conn, void *arg),
			      void *arg);
void ispt_session_nexus(const struct ispt_session *sess,
			struct ispt_scsi_nexus *n);
void ispt_sessions_post_ua_pr(const struct ispt_target *target, u16 lun,
			      const struct ispt_pr_reg *reg, u16 asc_ascq);

/* login.c APIs: */
int ispt_login_handle(struct ispt_conn *conn);
void ispt_login_free(struct ispt_conn *conn);

#endif /* ISPT_SESSION_H */
