// SPDX-License-Identifier: GPL-2.0
/*
 * LBA range lock: see lbalock.h. The lists are short (the commands in
 * flight on one LU that write), so a linear scan under a spinlock costs
 * less than a tree would.
 */
#include <linux/kernel.h>

#include "lbalock.h"

void ispt_lba_lock_init(struct ispt_lba_lock *l)
{
	spin_lock_init(&l->lock);
	INIT_LIST_HEAD(&l->held);
	INIT_LIST_HEAD(&l->waiting);
	l->nr_exclusive = 0;
}

void ispt_lba_range_init(struct ispt_lba_range *r, u64 lba, u64 nr,
			 bool exclusive,
			 void (*resume)(struct ispt_lba_range *r))
{
	INIT_LIST_HEAD(&r->node);
	INIT_LIST_HEAD(&r->grant);
	r->lba = lba;
	r->nr = nr;
	r->exclusive = exclusive;
	r->held = false;
	r->resume = resume;
}

/* Overlap, written so that lba + nr cannot wrap. */
static bool ranges_conflict(const struct ispt_lba_range *a,
			    const struct ispt_lba_range *b)
{
	if (!a->exclusive && !b->exclusive)
		return false;
	if (!a->nr || !b->nr)
		return false;
	if (a->lba <= b->lba)
		return b->lba - a->lba < a->nr;
	return a->lba - b->lba < b->nr;
}

static bool conflicts_with(const struct list_head *list,
			   const struct ispt_lba_range *r,
			   const struct ispt_lba_range *stop)
{
	const struct ispt_lba_range *o;

	list_for_each_entry(o, list, node) {
		if (o == stop)
			break;
		if (ranges_conflict(o, r))
			return true;
	}
	return false;
}

/**
 * ispt_lba_lock_acquire() - take a range, or queue for it
 * @l: the LU's lock
 * @r: the request, set up by ispt_lba_range_init()
 *
 * Return: true if @r holds its range now; false if it waits, and
 * @r->resume will be called when it holds it.
 */
bool ispt_lba_lock_acquire(struct ispt_lba_lock *l, struct ispt_lba_range *r)
{
	bool ok;

	spin_lock(&l->lock);
	ok = (!r->exclusive && !l->nr_exclusive) ||
	     (!conflicts_with(&l->held, r, NULL) &&
	      !conflicts_with(&l->waiting, r, NULL));
	if (r->exclusive)
		l->nr_exclusive++;
	r->held = ok;
	list_add_tail(&r->node, ok ? &l->held : &l->waiting);
	spin_unlock(&l->lock);
	return ok;
}

/**
 * ispt_lba_lock_release() - give a range back
 * @l: the LU's lock
 * @r: a request that holds its range (or waits: it is then withdrawn)
 *
 * Every waiter that now conflicts with nothing held and with no earlier
 * waiter gets its range, and its resume callback is called after the
 * lock is dropped.
 */
void ispt_lba_lock_release(struct ispt_lba_lock *l, struct ispt_lba_range *r)
{
	struct ispt_lba_range *w, *tmp;
	LIST_HEAD(granted);

	spin_lock(&l->lock);
	list_del_init(&r->node);
	r->held = false;
	if (r->exclusive)
		l->nr_exclusive--;
	list_for_each_entry_safe(w, tmp, &l->waiting, node) {
		if (conflicts_with(&l->held, w, NULL) ||
		    conflicts_with(&l->waiting, w, w))
			continue;
		list_move_tail(&w->node, &l->held);
		w->held = true;
		list_add_tail(&w->grant, &granted);
	}
	spin_unlock(&l->lock);

	list_for_each_entry_safe(w, tmp, &granted, grant) {
		list_del_init(&w->grant);
		w->resume(w);
	}
}

/* Nothing held, nothing waiting: for teardown checks and tests */
bool ispt_lba_lock_idle(struct ispt_lba_lock *l)
{
	bool idle;

	spin_lock(&l->lock);
	idle = list_empty(&l->held) && list_empty(&l->waiting);
	spin_unlock(&l->lock);
	return idle;
}
