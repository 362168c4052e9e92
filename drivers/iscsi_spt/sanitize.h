/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_SANITIZE_H
#define ISPT_SANITIZE_H

#include <linux/compiler.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "lbalock.h"
#include "sbc_decode.h"

struct ispt_cmd;
struct ispt_lun;
struct ispt_sense;

/* Where a logical unit stands with SANITIZE (SBC-4 4.11) */
enum ispt_sanitize_state {
	ISPT_SANITIZE_IDLE,
	ISPT_SANITIZE_RUNNING,	/* commands but a few get NOT READY */
	ISPT_SANITIZE_FAILED,	/* media access gets MEDIUM ERROR */
};

/*
 * A logical unit's sanitize operation: one at a time, run by a work item
 * on system_unbound_wq (it writes the whole LU and may sleep, which the
 * per-CPU workers must not), holding every LBA exclusive in the LU's
 * range lock so that no write of any session lands in the middle. It
 * outlives the SANITIZE command: an IMMED=1 command is answered once the
 * operation has started, and an aborted IMMED=0 one only stops waiting.
 */
struct ispt_sanitize {
	spinlock_t		lock;		/* guards the fields below */
	u8			state;		/* read locklessly per command */
	bool			ause;		/* of the one running */
	bool			failed_ause;	/* the failed one had AUSE=1 */
	struct ispt_sanitize_overwrite ow;
	u8			*block;		/* one block of the pattern */
	u64			done;		/* blocks written, all passes */
	u64			total;
	struct ispt_cmd		*waiter;	/* IMMED=0, answered at the end */
	struct ispt_lba_range	range;		/* the whole LU, exclusive */
	struct work_struct	work;
};

/* sanitize.c APIs: */
void ispt_sanitize_init(struct ispt_sanitize *s);
void ispt_sanitize_destroy(struct ispt_sanitize *s);
void ispt_sanitize_execute(struct ispt_cmd *cmd);
bool ispt_sanitize_refuse(struct ispt_cmd *cmd);
bool ispt_sanitize_detach(struct ispt_cmd *cmd);
bool ispt_sanitize_progress(struct ispt_sanitize *s, struct ispt_sense *sense);

/* On every command, one load: is any sanitize state to be checked? */
static inline bool ispt_sanitize_active(const struct ispt_sanitize *s)
{
	return READ_ONCE(s->state) != ISPT_SANITIZE_IDLE;
}

#endif /* ISPT_SANITIZE_H */
