/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_LBALOCK_H
#define ISPT_LBALOCK_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * A per-LU lock on ranges of LBAs that never sleeps. Writes take their
 * range shared (an UNMAP one range over all its descriptors); COMPARE
 * AND WRITE and ORWRITE take theirs exclusive, so that no other write
 * lands between their read and their write, whichever CPU's session
 * sent it. A request that conflicts waits
 * in a FIFO list, and its resume callback runs (in the releasing
 * context) once it holds the range: the command is then posted back to
 * its own worker. Nothing blocks a CPU.
 *
 * A request also waits behind an earlier waiting request it conflicts
 * with, so a stream of shared writes cannot starve an exclusive one.
 */
struct ispt_lba_range {
	struct list_head	node;		/* on held or waiting */
	struct list_head	grant;		/* release's local list */
	u64			lba;
	u64			nr;		/* 0 locks nothing */
	bool			exclusive;
	bool			held;
	/* Called without the lock, once a waiting request holds its range */
	void			(*resume)(struct ispt_lba_range *r);
};

struct ispt_lba_lock {
	spinlock_t		lock;		/* guards the lists */
	struct list_head	held;
	struct list_head	waiting;
	/*
	 * Exclusive requests held or waiting. While there are none, shared
	 * requests (every plain write) conflict with nothing and nothing
	 * waits, so acquire skips its scans (release finds no waiter).
	 */
	unsigned int		nr_exclusive;
};

/* lbalock.c APIs: */
void ispt_lba_lock_init(struct ispt_lba_lock *l);
void ispt_lba_range_init(struct ispt_lba_range *r, u64 lba, u64 nr,
			 bool exclusive,
			 void (*resume)(struct ispt_lba_range *r));
bool ispt_lba_lock_acquire(struct ispt_lba_lock *l, struct ispt_lba_range *r);
void ispt_lba_lock_release(struct ispt_lba_lock *l, struct ispt_lba_range *r);
bool ispt_lba_lock_idle(struct ispt_lba_lock *l);

#endif /* ISPT_LBALOCK_H */
