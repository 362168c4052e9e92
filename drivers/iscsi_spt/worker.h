/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_WORKER_H
#define ISPT_WORKER_H

#include <linux/cpumask.h>
#include <linux/llist.h>
#include <linux/list.h>
#include <linux/types.h>

struct ispt_work;

/*
 * Runs in the owning CPU's worker thread. Returns true when it stopped
 * because its budget ran out and wants another turn.
 */
typedef bool (*ispt_work_fn)(struct ispt_work *work);

/*
 * Something a per-CPU worker owns for its whole life, typically a
 * connection. It is queued from any context (socket callbacks, bio
 * completions) and always runs on the CPU that owns it.
 */
struct ispt_work {
	struct llist_node	ready_node;	/* on the owner's ready list */
	struct list_head	owned_node;	/* on the owner's owned list */
	unsigned long		flags;
	int			cpu;		/* owner: hotplug, ispt_work_spread() */
	int			move_cpu;	/* a move to make after fn, or -1 */
	bool			counted;	/* a connection, for placement */
	ispt_work_fn		fn;
};

/*
 * A message for an item's owner, e.g. a finished bio for its connection:
 * fn runs in the owner's worker, as the item's own fn does. The sender
 * guarantees the owner lives until fn has run.
 */
struct ispt_post {
	struct llist_node	node;
	struct ispt_work	*owner;
	void			(*fn)(struct ispt_post *post);
};

/* worker.c APIs: */
int ispt_workers_init(void);
void ispt_workers_exit(void);

void ispt_work_init(struct ispt_work *work, ispt_work_fn fn);
void ispt_work_init_service(struct ispt_work *work, ispt_work_fn fn);
int ispt_work_attach(struct ispt_work *work, const struct cpumask *allowed);
void ispt_work_detach(struct ispt_work *work);
void ispt_work_queue(struct ispt_work *work);
bool ispt_work_pending(const struct ispt_work *work);
bool ispt_work_spread(struct ispt_work *work, const struct cpumask *allowed,
		      const struct cpumask *avoid);
void ispt_work_post(struct ispt_work *owner, struct ispt_post *post);

unsigned int ispt_worker_nr_owned(int cpu);
bool ispt_worker_online(int cpu);

#endif /* ISPT_WORKER_H */
