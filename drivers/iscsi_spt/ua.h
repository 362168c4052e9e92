/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_UA_H
#define ISPT_UA_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "scsi.h"

/*
 * Unit attention conditions of one I_T nexus (SAM-5 5.14): a short queue
 * of (LUN, ASC/ASCQ) pairs, oldest first. Any CPU may add (a reset, a
 * MODE SELECT or a PERSISTENT RESERVE OUT on another session); the
 * session's own worker takes them, one per command, for the LUN the
 * command addresses. ISPT_UA_ALL_LUNS marks a condition reported once,
 * on whichever LUN is addressed first (REPORTED LUNS DATA HAS CHANGED).
 */
#define ISPT_UA_MAX		16
#define ISPT_UA_ALL_LUNS	0xffff

struct ispt_ua {
	u16	lun;
	u16	asc_ascq;
};

struct ispt_ua_queue {
	spinlock_t	lock;		/* guards ua[] and nr */
	unsigned int	nr;		/* read without the lock as a hint */
	struct ispt_ua	ua[ISPT_UA_MAX];
};

/* What a command meets when it arrives (ispt_ua_check()). */
enum ispt_ua_verdict {
	ISPT_UA_RUN,		/* nothing for it: run the command */
	ISPT_UA_REPORT,		/* CHECK CONDITION with the unit attention */
	ISPT_UA_SENSE_DATA,	/* REQUEST SENSE: the unit attention is its data */
};

/* ua.c APIs: */
void ispt_ua_init(struct ispt_ua_queue *q);
void ispt_ua_add(struct ispt_ua_queue *q, u16 lun, u16 asc_ascq);
bool ispt_ua_take(struct ispt_ua_queue *q, u16 lun, struct ispt_sense *sense);
void ispt_ua_clear(struct ispt_ua_queue *q, u16 lun, u16 asc_ascq);
void ispt_ua_forget_lun(struct ispt_ua_queue *q, u16 lun);
unsigned int ispt_ua_count(struct ispt_ua_queue *q, u16 lun);
enum ispt_ua_verdict ispt_ua_check(struct ispt_ua_queue *q, u16 lun,
				   u8 opcode, bool cdb_valid,
				   struct ispt_sense *sense);

/* Cheap test before taking the lock on every command */
static inline bool ispt_ua_maybe_pending(const struct ispt_ua_queue *q)
{
	return READ_ONCE(q->nr);
}

#endif /* ISPT_UA_H */
