/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_PR_H
#define ISPT_PR_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "scsi.h"

/*
 * Reservations of one logical unit: SPC-4 persistent reservations
 * (registrations per I_T nexus, the six reservation types, PERSISTENT
 * RESERVE IN and OUT with every service action, PTPL) and the SPC-2
 * RESERVE/RELEASE kind, which CRH=1 makes yield to persistent ones.
 *
 * Any CPU's worker may run a command on the LU, so the state sits under
 * a spinlock; the per-command conflict check looks at one word first and
 * takes the lock only when a reservation exists. Nothing here sleeps:
 * registrations are allocated with GFP_ATOMIC and bounded in number.
 */

/* PERSISTENT RESERVE IN service actions */
#define ISPT_PR_IN_READ_KEYS		0x00
#define ISPT_PR_IN_READ_RESERVATION	0x01
#define ISPT_PR_IN_REPORT_CAPABILITIES	0x02
#define ISPT_PR_IN_READ_FULL_STATUS	0x03

/* PERSISTENT RESERVE OUT service actions */
#define ISPT_PR_OUT_REGISTER		0x00
#define ISPT_PR_OUT_RESERVE		0x01
#define ISPT_PR_OUT_RELEASE		0x02
#define ISPT_PR_OUT_CLEAR		0x03
#define ISPT_PR_OUT_PREEMPT		0x04
#define ISPT_PR_OUT_PREEMPT_ABORT	0x05
#define ISPT_PR_OUT_REGISTER_IGNORE	0x06
#define ISPT_PR_OUT_REGISTER_MOVE	0x07

/* Persistent reservation types */
#define ISPT_PR_TYPE_NONE		0x0
#define ISPT_PR_TYPE_WE			0x1	/* write exclusive */
#define ISPT_PR_TYPE_EA			0x3	/* exclusive access */
#define ISPT_PR_TYPE_WE_RO		0x5	/* ... registrants only */
#define ISPT_PR_TYPE_EA_RO		0x6
#define ISPT_PR_TYPE_WE_AR		0x7	/* ... all registrants */
#define ISPT_PR_TYPE_EA_AR		0x8

#define ISPT_PR_MAX_REGS		128
#define ISPT_PR_PARAM_LEN		24
/* The longest list taken: REGISTER AND MOVE with an iSCSI TransportID */
#define ISPT_PR_OUT_MAX_LEN		(24 + 4 + 264)

/* One registered I_T nexus (or, with all_tg_pt, initiator port) */
struct ispt_pr_reg {
	struct list_head	node;
	u64			key;
	u8			isid[6];
	u16			rel_port_id;
	bool			all_tg_pt;
	char			initiator[];
};

struct ispt_pr {
	spinlock_t		lock;		/* guards everything below */
	struct list_head	regs;
	unsigned int		nr_regs;
	u32			generation;
	/* the reservation: its holder, or for the AR types its creator */
	struct ispt_pr_reg	*holder;
	u8			type;		/* ISPT_PR_TYPE_*, 0: none */
	bool			aptpl;		/* persist through power loss */
	/* RESERVE(6/10): the holding nexus, or NULL */
	struct ispt_pr_reg	*spc2;
	/* set when a conflict check needs the lock (a reservation exists) */
	bool			busy;
};

/*
 * Unit attentions a service action establishes for other I_T nexuses
 * (RESERVATIONS PREEMPTED, RELEASED, REGISTRATIONS PREEMPTED), delivered
 * by the caller to the sessions that match @reg. Called with the PR lock
 * held: it must not sleep or come back into the PR state.
 */
struct ispt_pr_notify {
	void	(*ua)(void *ctx, const struct ispt_pr_reg *reg, u16 asc_ascq);
	void	*ctx;
};

/* pr.c APIs: */
void ispt_pr_init(struct ispt_pr *pr);
void ispt_pr_destroy(struct ispt_pr *pr);
bool ispt_pr_nexus_matches(const struct ispt_pr_reg *reg,
			   const struct ispt_scsi_nexus *n);
bool ispt_pr_conflict(struct ispt_pr *pr, const struct ispt_scsi_nexus *n,
		      const struct ispt_scsi_cmd *cmd);
u32 ispt_pr_in(struct ispt_pr *pr, const struct ispt_scsi_cmd *cmd,
	       u8 *buf, u32 len);
enum sam_status ispt_pr_out(struct ispt_pr *pr, struct ispt_scsi_cmd *cmd,
			    const struct ispt_scsi_nexus *n,
			    const u8 *data, u32 len,
			    const struct ispt_pr_notify *notify);
enum sam_status ispt_pr_reserve(struct ispt_pr *pr,
				const struct ispt_scsi_nexus *n);
enum sam_status ispt_pr_release(struct ispt_pr *pr,
				const struct ispt_scsi_nexus *n);
void ispt_pr_nexus_lost(struct ispt_pr *pr, const struct ispt_scsi_nexus *n);
void ispt_pr_reset(struct ispt_pr *pr);
ssize_t ispt_pr_state_show(struct ispt_pr *pr, char *buf, size_t size);
int ispt_pr_state_store(struct ispt_pr *pr, const char *buf, size_t len);

#endif /* ISPT_PR_H */
