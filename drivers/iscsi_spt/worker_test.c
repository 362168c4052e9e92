// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the per-CPU workers: items run on their owner, queueing
 * coalesces, a budget-limited item gets more turns, and new items go to
 * the least-loaded CPU.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/smp.h>

#include "worker.h"

struct counted_work {
	struct ispt_work	work;
	atomic_t		runs;
	int			turns_wanted;	/* returns true until reached */
	int			ran_on_cpu;
	struct completion	done;
};

static bool counted_work_fn(struct ispt_work *work)
{
	struct counted_work *cw = container_of(work, struct counted_work, work);
	int runs = atomic_inc_return(&cw->runs);

	cw->ran_on_cpu = raw_smp_processor_id();
	if (runs < cw->turns_wanted)
		return true;
	complete(&cw->done);
	return false;
}

static struct counted_work *counted_work_new(struct kunit *test, int turns)
{
	struct counted_work *cw = kunit_kzalloc(test, sizeof(*cw), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cw);
	ispt_work_init(&cw->work, counted_work_fn);
	atomic_set(&cw->runs, 0);
	cw->turns_wanted = turns;
	cw->ran_on_cpu = -1;
	init_completion(&cw->done);
	return cw;
}

static void ispt_worker_runs_on_owner_cpu(struct kunit *test)
{
	struct counted_work *cw = counted_work_new(test, 1);
	int cpu;

	cpu = ispt_work_attach(&cw->work, cpu_online_mask);
	KUNIT_ASSERT_GE(test, cpu, 0);
	ispt_work_queue(&cw->work);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&cw->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, cw->ran_on_cpu, cpu);
	KUNIT_EXPECT_EQ(test, atomic_read(&cw->runs), 1);
	ispt_work_detach(&cw->work);
}

static void ispt_worker_queue_coalesces(struct kunit *test)
{
	struct counted_work *cw = counted_work_new(test, 1);
	int cpu, i;

	/* Own it on this CPU so the worker cannot run until we let it. */
	preempt_disable();
	cpu = ispt_work_attach(&cw->work, cpumask_of(smp_processor_id()));
	for (i = 0; i < 3; i++)
		ispt_work_queue(&cw->work);
	preempt_enable();

	KUNIT_ASSERT_GE(test, cpu, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&cw->done, 5 * HZ));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&cw->runs), 1);
	ispt_work_detach(&cw->work);
}

static void ispt_worker_budget_requeues(struct kunit *test)
{
	struct counted_work *cw = counted_work_new(test, 5);

	KUNIT_ASSERT_GE(test, ispt_work_attach(&cw->work, cpu_online_mask), 0);
	ispt_work_queue(&cw->work);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&cw->done, 5 * HZ));
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&cw->runs), 5);
	ispt_work_detach(&cw->work);
}

static void ispt_worker_attach_balances(struct kunit *test)
{
	enum { NR_ITEMS = 8 };
	struct counted_work *cw[NR_ITEMS];
	unsigned int *before, min = UINT_MAX, max = 0;
	int cpu, i;

	before = kunit_kcalloc(test, nr_cpu_ids, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	cpus_read_lock();
	for_each_online_cpu(cpu)
		before[cpu] = ispt_worker_nr_owned(cpu);

	for (i = 0; i < NR_ITEMS; i++) {
		cw[i] = counted_work_new(test, 1);
		KUNIT_ASSERT_GE(test, ispt_work_attach(&cw[i]->work,
						       cpu_online_mask), 0);
	}
	/* Each CPU got its share, give or take one, of what we added. */
	for_each_online_cpu(cpu) {
		unsigned int added = ispt_worker_nr_owned(cpu) - before[cpu];

		min = min(min, added);
		max = max(max, added);
	}
	KUNIT_EXPECT_LE(test, max - min, 1U);

	for (i = 0; i < NR_ITEMS; i++)
		ispt_work_detach(&cw[i]->work);
	for_each_online_cpu(cpu)
		KUNIT_EXPECT_EQ(test, ispt_worker_nr_owned(cpu), before[cpu]);
	cpus_read_unlock();
}

static void ispt_worker_empty_mask_falls_back(struct kunit *test)
{
	struct counted_work *cw = counted_work_new(test, 1);
	cpumask_var_t none;
	int cpu;

	KUNIT_ASSERT_TRUE(test, zalloc_cpumask_var(&none, GFP_KERNEL));
	cpu = ispt_work_attach(&cw->work, none);
	free_cpumask_var(none);

	KUNIT_ASSERT_GE(test, cpu, 0);
	KUNIT_EXPECT_TRUE(test, cpu_online(cpu));
	ispt_work_detach(&cw->work);
}

struct counted_post {
	struct ispt_post	post;
	int			ran_on_cpu;
	struct completion	done;
};

static void counted_post_fn(struct ispt_post *post)
{
	struct counted_post *cp = container_of(post, struct counted_post, post);

	cp->ran_on_cpu = raw_smp_processor_id();
	complete(&cp->done);
}

/* A post runs once, in the worker of the item it is addressed to. */
static void ispt_worker_post_runs_on_owner(struct kunit *test)
{
	struct counted_work *cw = counted_work_new(test, 1);
	struct counted_post *cp = kunit_kzalloc(test, sizeof(*cp), GFP_KERNEL);
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, cp);
	init_completion(&cp->done);
	cp->ran_on_cpu = -1;
	cp->post.fn = counted_post_fn;
	cpu = ispt_work_attach(&cw->work, cpu_online_mask);
	KUNIT_ASSERT_GE(test, cpu, 0);

	ispt_work_post(&cw->work, &cp->post);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&cp->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, cp->ran_on_cpu, cpu);
	KUNIT_EXPECT_PTR_EQ(test, cp->post.owner, &cw->work);
	/* The post is not the item: the item itself did not run. */
	KUNIT_EXPECT_EQ(test, atomic_read(&cw->runs), 0);
	ispt_work_detach(&cw->work);
}

static struct kunit_case ispt_worker_cases[] = {
	KUNIT_CASE(ispt_worker_post_runs_on_owner),
	KUNIT_CASE(ispt_worker_runs_on_owner_cpu),
	KUNIT_CASE(ispt_worker_queue_coalesces),
	KUNIT_CASE(ispt_worker_budget_requeues),
	KUNIT_CASE(ispt_worker_attach_balances),
	KUNIT_CASE(ispt_worker_empty_mask_falls_back),
	{}
};

static struct kunit_suite ispt_worker_suite = {
	.name = "iscsi_spt_worker",
	.test_cases = ispt_worker_cases,
};

kunit_test_suite(ispt_worker_suite);
