// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU worker threads.
 *
 * One thread per CPU, bound to it, runs every connection that CPU owns.
 * Work is handed over lock-free: any context marks an item ready with
 * ispt_work_queue(), which pushes it on the owner's llist and wakes the
 * thread. The smpboot facility (the one ksoftirqd uses) creates, parks
 * and unparks the threads as CPUs come and go; when a CPU goes down its
 * items move to the least-loaded CPU still online.
 */
#include <linux/bitops.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/smpboot.h>
#include <linux/spinlock.h>

#include "worker.h"

enum {
	ISPT_WORK_QUEUED,	/* on a ready list, or about to be */
};

struct ispt_worker {
	struct llist_head	ready;
	struct llist_head	posts;		/* ispt_post for owned items */
	struct list_head	owned;		/* under ispt_owner_lock */
	unsigned int		nr_owned;	/* under ispt_owner_lock */
	bool			online;		/* under ispt_owner_lock */
};

static DEFINE_PER_CPU(struct ispt_worker, ispt_workers);
static DEFINE_PER_CPU(struct task_struct *, ispt_worker_tasks);

/*
 * Taken only when an item is attached, detached or migrated (connection
 * setup and teardown, CPU hotplug), never per PDU or per I/O.
 */
static DEFINE_SPINLOCK(ispt_owner_lock);

static struct ispt_worker *worker_of(int cpu)
{
	return per_cpu_ptr(&ispt_workers, cpu);
}

/* The online CPU in @allowed (all online CPUs if none) owning the fewest. */
static int pick_least_loaded(const struct cpumask *allowed, int exclude)
{
	unsigned int best_load = UINT_MAX;
	int cpu, best = -1;
	int pass;

	lockdep_assert_held(&ispt_owner_lock);

	for (pass = 0; pass < 2 && best < 0; pass++) {
		const struct cpumask *mask = pass ? cpu_online_mask : allowed;

		for_each_cpu_and(cpu, mask, cpu_online_mask) {
			struct ispt_worker *w = worker_of(cpu);

			if (cpu == exclude || !w->online)
				continue;
			if (w->nr_owned < best_load) {
				best_load = w->nr_owned;
				best = cpu;
			}
		}
	}
	return best;
}

void ispt_work_init(struct ispt_work *work, ispt_work_fn fn)
{
	INIT_LIST_HEAD(&work->owned_node);
	work->flags = 0;
	work->cpu = -1;
	work->move_cpu = -1;
	work->counted = true;
	work->fn = fn;
}

/*
 * A service item (a portal's accept loop) runs like any other but does not
 * count as load when connections are placed.
 */
void ispt_work_init_service(struct ispt_work *work, ispt_work_fn fn)
{
	ispt_work_init(work, fn);
	work->counted = false;
}

/**
 * ispt_work_attach - give @work to the least-loaded CPU in @allowed
 * @work: an initialised, unattached item
 * @allowed: CPUs the item may run on; an empty or offline set means any
 *
 * Return: the owning CPU, or -ENODEV if no worker is online.
 */
int ispt_work_attach(struct ispt_work *work, const struct cpumask *allowed)
{
	int cpu;

	spin_lock_bh(&ispt_owner_lock);
	cpu = pick_least_loaded(allowed, -1);
	if (cpu >= 0) {
		struct ispt_worker *w = worker_of(cpu);

		WRITE_ONCE(work->cpu, cpu);
		list_add_tail(&work->owned_node, &w->owned);
		w->nr_owned += work->counted;
	}
	spin_unlock_bh(&ispt_owner_lock);
	return cpu >= 0 ? cpu : -ENODEV;
}

/*
 * The caller guarantees @work is no longer queued and nothing will queue
 * it again (its socket callbacks and I/O are gone).
 */
void ispt_work_detach(struct ispt_work *work)
{
	spin_lock_bh(&ispt_owner_lock);
	if (!list_empty(&work->owned_node)) {
		list_del_init(&work->owned_node);
		worker_of(work->cpu)->nr_owned -= work->counted;
	}
	spin_unlock_bh(&ispt_owner_lock);
}

/**
 * ispt_work_queue - mark @work ready and wake its owner
 * @work: an attached item
 *
 * Safe from any context, including hard and soft interrupts. Queueing an
 * item that is already queued does nothing: it runs once.
 */
void ispt_work_queue(struct ispt_work *work)
{
	int cpu;

	if (test_and_set_bit(ISPT_WORK_QUEUED, &work->flags))
		return;

	/* Pairs with synchronize_rcu() in ispt_worker_park(). */
	rcu_read_lock();
	cpu = READ_ONCE(work->cpu);
	if (llist_add(&work->ready_node, &worker_of(cpu)->ready))
		wake_up_process(per_cpu(ispt_worker_tasks, cpu));
	rcu_read_unlock();
}

/**
 * ispt_work_post - run @post->fn in the worker that owns @owner
 * @owner: the item the message is for
 * @post: the message; its fn and owner set by this call's caller
 *
 * Safe from any context, including bio completion in hard interrupts.
 * Unlike queueing @owner itself, the worker never touches @owner after the
 * caller has published @post, so @owner may be freed by @post->fn.
 */
void ispt_work_post(struct ispt_work *owner, struct ispt_post *post)
{
	int cpu;

	post->owner = owner;
	/* Pairs with synchronize_rcu() in ispt_worker_park(). */
	rcu_read_lock();
	cpu = READ_ONCE(owner->cpu);
	if (llist_add(&post->node, &worker_of(cpu)->posts))
		wake_up_process(per_cpu(ispt_worker_tasks, cpu));
	rcu_read_unlock();
}

/* Whether @work sits on a ready list; meaningful in its owner only. */
bool ispt_work_pending(const struct ispt_work *work)
{
	return test_bit(ISPT_WORK_QUEUED, &work->flags);
}

/**
 * ispt_work_spread - move @work off the CPUs in @avoid, if it can
 * @work: an attached item, from its own fn
 * @allowed: the CPUs it may run on
 * @avoid: the CPUs it should rather not share (for a connection, those
 *	   of its session's other connections)
 *
 * Picks the least-loaded online CPU of @allowed outside @avoid, if @work
 * is on one of @avoid. The move itself is made by the worker once fn has
 * returned, so fn never runs on two CPUs at once.
 *
 * Return: whether a move is pending; fn must then return true.
 */
bool ispt_work_spread(struct ispt_work *work, const struct cpumask *allowed,
		      const struct cpumask *avoid)
{
	unsigned int best_load = UINT_MAX;
	int cpu, best = -1;

	spin_lock_bh(&ispt_owner_lock);
	if (cpumask_test_cpu(work->cpu, avoid)) {
		for_each_cpu_and(cpu, allowed, cpu_online_mask) {
			struct ispt_worker *w = worker_of(cpu);

			if (cpumask_test_cpu(cpu, avoid) || !w->online)
				continue;
			if (w->nr_owned < best_load) {
				best_load = w->nr_owned;
				best = cpu;
			}
		}
	}
	spin_unlock_bh(&ispt_owner_lock);
	work->move_cpu = best;
	return best >= 0;
}

/* In @work's old owner, fn not running: the move ispt_work_spread() chose. */
static void work_move(struct ispt_work *work)
{
	int dest = work->move_cpu;

	work->move_cpu = -1;
	spin_lock_bh(&ispt_owner_lock);
	if (worker_of(dest)->online && dest != work->cpu &&
	    !list_empty(&work->owned_node)) {
		list_move_tail(&work->owned_node, &worker_of(dest)->owned);
		worker_of(work->cpu)->nr_owned -= work->counted;
		worker_of(dest)->nr_owned += work->counted;
		WRITE_ONCE(work->cpu, dest);
	}
	spin_unlock_bh(&ispt_owner_lock);
}

static int ispt_worker_should_run(unsigned int cpu)
{
	struct ispt_worker *w = worker_of(cpu);

	return !llist_empty(&w->ready) || !llist_empty(&w->posts);
}

/* Deliver posts to their owners; an owner that moved gets it forwarded. */
static void ispt_worker_run_posts(unsigned int cpu)
{
	struct llist_node *batch = llist_del_all(&worker_of(cpu)->posts);
	struct ispt_post *post, *next;

	batch = llist_reverse_order(batch);
	llist_for_each_entry_safe(post, next, batch, node) {
		if (READ_ONCE(post->owner->cpu) == cpu)
			post->fn(post);
		else
			ispt_work_post(post->owner, post);
	}
}

static void ispt_worker_run(unsigned int cpu)
{
	struct llist_node *batch;
	struct ispt_work *work, *next;

	/* Completions first: they free resources and produce responses. */
	ispt_worker_run_posts(cpu);
	batch = llist_del_all(&worker_of(cpu)->ready);
	/* llist hands items back newest first; run them in arrival order. */
	batch = llist_reverse_order(batch);
	llist_for_each_entry_safe(work, next, batch, ready_node) {
		/*
		 * Clear before running so that an event arriving while fn
		 * runs queues the item again instead of being lost.
		 */
		clear_bit(ISPT_WORK_QUEUED, &work->flags);
		/* Pairs with test_and_set_bit() in ispt_work_queue(). */
		smp_mb__after_atomic();
		/*
		 * Queued here by someone who read the owner before a move:
		 * the new owner runs it.
		 */
		if (READ_ONCE(work->cpu) != cpu) {
			ispt_work_queue(work);
			continue;
		}
		if (work->fn(work)) {
			if (work->move_cpu >= 0)
				work_move(work);
			ispt_work_queue(work);
		}
	}
	cond_resched();
}

static void ispt_worker_create(unsigned int cpu)
{
	struct ispt_worker *w = worker_of(cpu);

	spin_lock_bh(&ispt_owner_lock);
	w->online = true;
	spin_unlock_bh(&ispt_owner_lock);
}

/* Called in the worker thread, on its CPU, as that CPU goes down. */
static void ispt_worker_park(unsigned int cpu)
{
	struct ispt_worker *w = worker_of(cpu);
	struct ispt_post *post, *next_post;
	struct ispt_work *work, *tmp;
	struct llist_node *batch;

	spin_lock_bh(&ispt_owner_lock);
	w->online = false;
	list_for_each_entry_safe(work, tmp, &w->owned, owned_node) {
		int dest = pick_least_loaded(cpu_online_mask, cpu);

		if (dest < 0)
			break;	/* the last CPU never goes down */
		list_move_tail(&work->owned_node, &worker_of(dest)->owned);
		w->nr_owned -= work->counted;
		worker_of(dest)->nr_owned += work->counted;
		WRITE_ONCE(work->cpu, dest);
	}
	spin_unlock_bh(&ispt_owner_lock);

	/*
	 * Whoever read the old owner in ispt_work_queue() has finished its
	 * llist_add() after this; hand those items to their new owners.
	 */
	synchronize_rcu();
	batch = llist_del_all(&w->ready);
	llist_for_each_entry_safe(work, tmp, batch, ready_node) {
		clear_bit(ISPT_WORK_QUEUED, &work->flags);
		ispt_work_queue(work);
	}
	batch = llist_del_all(&w->posts);
	llist_for_each_entry_safe(post, next_post, batch, node)
		ispt_work_post(post->owner, post);
}

static struct smp_hotplug_thread ispt_worker_threads = {
	.store			= &ispt_worker_tasks,
	.thread_should_run	= ispt_worker_should_run,
	.thread_fn		= ispt_worker_run,
	.create			= ispt_worker_create,
	.park			= ispt_worker_park,
	.unpark			= ispt_worker_create,
	.thread_comm		= "ispt/%u",
};

unsigned int ispt_worker_nr_owned(int cpu)
{
	return READ_ONCE(worker_of(cpu)->nr_owned);
}

bool ispt_worker_online(int cpu)
{
	return READ_ONCE(worker_of(cpu)->online);
}

int ispt_workers_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ispt_worker *w = worker_of(cpu);

		init_llist_head(&w->ready);
		init_llist_head(&w->posts);
		INIT_LIST_HEAD(&w->owned);
		w->nr_owned = 0;
		w->online = false;
	}
	return smpboot_register_percpu_thread(&ispt_worker_threads);
}

void ispt_workers_exit(void)
{
	int cpu;

	smpboot_unregister_percpu_thread(&ispt_worker_threads);
	for_each_possible_cpu(cpu)
		WARN_ON_ONCE(!list_empty(&worker_of(cpu)->owned));
}
