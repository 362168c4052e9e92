// SPDX-License-Identifier: GPL-2.0
/*
 * SANITIZE OVERWRITE and EXIT FAILURE MODE (SBC-4 4.11).
 *
 * The operation writes every block of the LU, as many passes as asked,
 * so it is not a step of the data path: it runs in a work item on
 * system_unbound_wq, one bio of BIO_MAX_VECS pages at a time, and may
 * sleep. It first takes the whole LU exclusive in the LU's range lock
 * (lbalock.c), which waits for the writes already under way and holds
 * back any that slip in after; commands that arrive meanwhile are refused
 * with NOT READY, SANITIZE IN PROGRESS and a progress indication, except
 * the few SBC-4 lets run (INQUIRY, REPORT LUNS, REQUEST SENSE, REPORT
 * SUPPORTED OPERATION CODES and TASK MANAGEMENT FUNCTIONS).
 *
 * Neither task management nor the loss of the I_T nexus stops it: an
 * aborted IMMED=0 command is only detached from it. Removing the LU does:
 * the work sees the LU's reference dying between bios, and
 * ispt_lun_close() waits for it. A failure (a write error, the LU going
 * away) leaves the LU in failure mode, where media access gets MEDIUM
 * ERROR, SANITIZE COMMAND FAILED until a sanitize succeeds or, if the
 * failed one had AUSE=1, EXIT FAILURE MODE.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "cmd.h"
#include "conn.h"
#include "lun.h"
#include "sanitize.h"
#include "sbc_decode.h"
#include "scsi.h"

/* Pages of pattern one write bio carries: 1 MiB with 4 KiB pages */
#define SANITIZE_BIO_PAGES	BIO_MAX_VECS

static void sanitize_work(struct work_struct *work);

void ispt_sanitize_init(struct ispt_sanitize *s)
{
	spin_lock_init(&s->lock);
	s->state = ISPT_SANITIZE_IDLE;
	INIT_WORK(&s->work, sanitize_work);
}

/* ispt_lun_close(), once no reference is left: the work has returned. */
void ispt_sanitize_destroy(struct ispt_sanitize *s)
{
	flush_work(&s->work);
	kfree(s->block);
	s->block = NULL;
}

static struct ispt_sense sanitize_progress_locked(struct ispt_sanitize *s)
{
	u64 progress = 0;

	if (s->total)
		progress = min_t(u64, mul_u64_u64_div_u64(s->done, 65536,
							  s->total), 65535);
	return ispt_sense_sanitize_in_progress(progress);
}

/**
 * ispt_sanitize_progress() - the sense data of a sanitize under way
 * @s: the LU's sanitize state
 * @sense: set to NOT READY, SANITIZE IN PROGRESS with how far it is
 *
 * For REQUEST SENSE, and for the commands refused meanwhile.
 *
 * Return: true if a sanitize is running (@sense is set).
 */
bool ispt_sanitize_progress(struct ispt_sanitize *s, struct ispt_sense *sense)
{
	bool running;

	spin_lock(&s->lock);
	running = s->state == ISPT_SANITIZE_RUNNING;
	if (running)
		*sense = sanitize_progress_locked(s);
	spin_unlock(&s->lock);
	return running;
}

/**
 * ispt_sanitize_refuse() - end a command the LU's sanitize state forbids
 * @cmd: a decoded command about to run, in its owner
 *
 * Called only while ispt_sanitize_active() says there is a state to
 * check: a sanitize running, or the failure mode after one.
 *
 * Return: true if @cmd was ended here.
 */
bool ispt_sanitize_refuse(struct ispt_cmd *cmd)
{
	struct ispt_sanitize *s = &cmd->lun->sanitize;
	struct ispt_sense sense;

	switch (READ_ONCE(s->state)) {
	case ISPT_SANITIZE_RUNNING:
		if (cmd->scsi.flags & ISPT_SCSI_F_IN_SANITIZE ||
		    !ispt_sanitize_progress(s, &sense))
			return false;
		ispt_cmd_fail(cmd, sense);
		return true;
	case ISPT_SANITIZE_FAILED:
		/* SANITIZE itself is how the LU leaves the failure mode */
		if (!(cmd->scsi.flags & ISPT_SCSI_F_MEDIUM) ||
		    cmd->scsi.handler == ISPT_SCSI_DO_SANITIZE)
			return false;
		ispt_cmd_fail(cmd, ispt_sense_sanitize_failed());
		return true;
	default:
		return false;
	}
}

/*
 * Why a new SANITIZE may not go ahead now: one is running, or the failed
 * one had AUSE=0, which only a sanitize with AUSE=0 may recover from.
 */
static bool sanitize_refused_locked(struct ispt_sanitize *s, bool ause,
				    struct ispt_sense *sense)
{
	if (s->state == ISPT_SANITIZE_RUNNING) {
		*sense = sanitize_progress_locked(s);
		return true;
	}
	if (s->state == ISPT_SANITIZE_FAILED && !s->failed_ause && ause) {
		*sense = ispt_sense_invalid_cdb_field(1, 5);
		return true;
	}
	return false;
}

static void sanitize_exit_failure_mode(struct ispt_cmd *cmd)
{
	struct ispt_sanitize *s = &cmd->lun->sanitize;
	struct ispt_sense sense;
	bool refused;

	spin_lock(&s->lock);
	refused = sanitize_refused_locked(s, true, &sense);
	if (!refused && s->state == ISPT_SANITIZE_FAILED)
		WRITE_ONCE(s->state, ISPT_SANITIZE_IDLE);
	spin_unlock(&s->lock);
	if (refused)
		ispt_cmd_fail(cmd, sense);
	else
		ispt_cmd_complete(cmd);
}

/* Write @nr blocks of pattern from @pages at @lba, and wait for it. */
static int sanitize_write(struct ispt_lun *lun, struct page **pages, u64 lba,
			  u64 nr)
{
	u32 bytes = nr * lun->desc.block_size;
	struct bio *bio;
	unsigned int i;
	int ret;

	bio = bio_alloc(lun->bdev, DIV_ROUND_UP(bytes, PAGE_SIZE),
			REQ_OP_WRITE, GFP_KERNEL);
	bio->bi_iter.bi_sector = lba * (lun->desc.block_size >> SECTOR_SHIFT);
	for (i = 0; bytes; i++) {
		u32 len = min_t(u32, bytes, PAGE_SIZE);

		__bio_add_page(bio, pages[i], len, 0);
		bytes -= len;
	}
	ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret;
}

static void sanitize_fill(struct page **pages, const u8 *block, u32 bs)
{
	unsigned int i;
	u8 *p;

	for (i = 0; i < SANITIZE_BIO_PAGES; i++) {
		p = kmap_local_page(pages[i]);
		ispt_sbc_repeat(p, PAGE_SIZE, i * PAGE_SIZE, block, bs);
		kunmap_local(p);
	}
}

static int sanitize_overwrite(struct ispt_lun *lun, struct ispt_sanitize *s,
			      u64 nr_blocks)
{
	u32 bs = lun->desc.block_size;
	u64 per_bio = SANITIZE_BIO_PAGES * PAGE_SIZE / bs, lba, n;
	struct page **pages;
	unsigned int i, pass;
	int ret = 0;

	pages = kcalloc(SANITIZE_BIO_PAGES, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < SANITIZE_BIO_PAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (pass = 0; pass < s->ow.passes && !ret; pass++) {
		/* INVERT: every other pass writes the pattern inverted */
		if (pass && s->ow.invert)
			for (i = 0; i < bs; i++)
				s->block[i] = ~s->block[i];
		sanitize_fill(pages, s->block, bs);
		for (lba = 0; lba < nr_blocks; lba += n) {
			if (percpu_ref_is_dying(&lun->ref)) {
				ret = -ENODEV;	/* the LU is being removed */
				break;
			}
			n = min(per_bio, nr_blocks - lba);
			ret = sanitize_write(lun, pages, lba, n);
			if (ret)
				break;
			WRITE_ONCE(s->done, s->done + n);
			cond_resched();
		}
	}
	/* Done means on the medium, not in a volatile cache */
	if (!ret)
		ret = blkdev_issue_flush(lun->bdev);
out:
	for (i = 0; i < SANITIZE_BIO_PAGES && pages[i]; i++)
		__free_page(pages[i]);
	kfree(pages);
	return ret;
}

static void sanitize_work(struct work_struct *work)
{
	struct ispt_sanitize *s = container_of(work, struct ispt_sanitize,
					       work);
	struct ispt_lun *lun = container_of(s, struct ispt_lun, sanitize);
	struct ispt_cmd *waiter;
	bool ause;
	int ret;

	ret = sanitize_overwrite(lun, s, s->range.nr);
	ispt_lba_lock_release(&lun->lba_lock, &s->range);

	spin_lock(&s->lock);
	WRITE_ONCE(s->state, ret ? ISPT_SANITIZE_FAILED : ISPT_SANITIZE_IDLE);
	s->failed_ause = s->ause;
	ause = s->ause;
	kfree(s->block);
	s->block = NULL;
	waiter = s->waiter;
	s->waiter = NULL;
	if (waiter)
		waiter->status = ret ? BLK_STS_IOERR : BLK_STS_OK;
	spin_unlock(&s->lock);

	if (ret)
		pr_err_ratelimited("LUN %llu (%s): sanitize failed (%d); media access refused until a sanitize succeeds%s\n",
				   lun->id, lun->path, ret,
				   ause ? " or EXIT FAILURE MODE" : "");
	else
		pr_info_ratelimited("LUN %llu (%s): sanitize done\n",
				    lun->id, lun->path);
	/* The waiter ends in its owner, like a command whose bios ended */
	if (waiter)
		ispt_work_post(&waiter->conn->work, &waiter->post);
	percpu_ref_put(&lun->ref);
}

/* Any context: every LBA is ours now. */
static void sanitize_range_granted(struct ispt_lba_range *r)
{
	struct ispt_sanitize *s = container_of(r, struct ispt_sanitize, range);

	queue_work(system_unbound_wq, &s->work);
}

/* In the owner: the sanitize an IMMED=0 command waited for has ended. */
static void sanitize_waited(struct ispt_cmd *cmd)
{
	cmd->io_done = NULL;
	if (!cmd->aborted && cmd->status != BLK_STS_OK)
		ispt_cmd_fail(cmd, ispt_sense_sanitize_failed());
	else
		ispt_cmd_complete(cmd);	/* silently, if aborted */
}

/**
 * ispt_sanitize_detach() - let a command stop waiting for its sanitize
 * @cmd: a command in its owner, being aborted or torn down
 *
 * The sanitize goes on without it (SBC-4: task management does not stop
 * one); the caller ends @cmd at once instead of waiting for the whole LU
 * to be written.
 *
 * Return: true if @cmd was the waiter of its LU's sanitize and no longer is.
 */
bool ispt_sanitize_detach(struct ispt_cmd *cmd)
{
	struct ispt_sanitize *s;
	bool detached;

	if (cmd->scsi.handler != ISPT_SCSI_DO_SANITIZE || !cmd->lun)
		return false;
	s = &cmd->lun->sanitize;
	spin_lock(&s->lock);
	detached = s->waiter == cmd;
	if (detached)
		s->waiter = NULL;
	spin_unlock(&s->lock);
	if (detached) {
		cmd->io_done = NULL;
		cmd->submitted = false;
	}
	return detached;
}

/* The block the pattern fills, from a parameter list that checks out */
static u8 *sanitize_pattern_block(struct ispt_cmd *cmd,
				  struct ispt_sanitize_overwrite *ow)
{
	u32 bs = cmd->lun->desc.block_size;
	u32 len = min(cmd->io_len, cmd->scsi.data_len);
	u8 *list, *block = NULL;

	list = kmalloc(bs + ISPT_SANITIZE_OW_HDR_LEN, GFP_NOWAIT | __GFP_NOWARN);
	if (!list)
		goto busy;
	ispt_cmd_copy_from_pages(cmd, 0, list, len);
	if (ispt_sbc_sanitize_overwrite_check(&cmd->scsi, &cmd->lun->desc,
					      list, len, ow) != SAM_STAT_GOOD) {
		kfree(list);
		ispt_cmd_fail(cmd, cmd->scsi.sense);
		return NULL;
	}
	block = kmalloc(bs, GFP_NOWAIT | __GFP_NOWARN);
	if (!block) {
		kfree(list);
		goto busy;
	}
	ispt_sbc_repeat(block, bs, 0, list + ISPT_SANITIZE_OW_HDR_LEN,
			ow->pattern_len);
	kfree(list);
	return block;
busy:
	cmd->sam_status = SAM_STAT_TASK_SET_FULL;
	ispt_cmd_complete(cmd);
	return NULL;
}

/**
 * ispt_sanitize_execute() - run a decoded SANITIZE
 * @cmd: the command, in its owner, its parameter list received
 *
 * EXIT FAILURE MODE ends here. OVERWRITE starts the operation and, with
 * IMMED=1, is answered at once; with IMMED=0 it waits (counted as
 * submitted, like a command with bios in flight) until the operation
 * posts it back to its owner.
 */
void ispt_sanitize_execute(struct ispt_cmd *cmd)
{
	struct ispt_lun *lun = cmd->lun;
	struct ispt_sanitize *s = &lun->sanitize;
	bool ause = cmd->scsi.flags & ISPT_SCSI_F_AUSE;
	bool immed = cmd->scsi.flags & ISPT_SCSI_F_IMMED;
	struct ispt_sanitize_overwrite ow;
	struct ispt_sense sense;
	u64 nr_blocks;
	bool refused;
	u8 *block;

	if (cmd->scsi.service_action == ISPT_SANITIZE_EXIT_FAILURE_MODE) {
		sanitize_exit_failure_mode(cmd);
		return;
	}
	block = sanitize_pattern_block(cmd, &ow);
	if (!block)
		return;

	nr_blocks = lun->desc.nr_blocks;
	spin_lock(&s->lock);
	refused = sanitize_refused_locked(s, ause, &sense);
	if (!refused) {
		WRITE_ONCE(s->state, ISPT_SANITIZE_RUNNING);
		s->ause = ause;
		s->ow = ow;
		s->block = block;
		s->done = 0;
		s->total = nr_blocks * ow.passes;
		if (!immed) {
			s->waiter = cmd;
			cmd->io_done = sanitize_waited;
			cmd->submitted = true;
		}
	}
	spin_unlock(&s->lock);
	if (refused) {
		kfree(block);
		ispt_cmd_fail(cmd, sense);
		return;
	}

	pr_info_ratelimited("LUN %llu (%s): sanitize (overwrite, %u pass%s) from %pISc\n",
			    lun->id, lun->path, ow.passes,
			    ow.passes == 1 ? "" : "es", &cmd->conn->peer);
	/* Dropped by the work when it ends; the command's may go first */
	percpu_ref_get(&lun->ref);
	ispt_lba_range_init(&s->range, 0, nr_blocks, true,
			    sanitize_range_granted);
	if (ispt_lba_lock_acquire(&lun->lba_lock, &s->range))
		queue_work(system_unbound_wq, &s->work);
	if (immed)
		ispt_cmd_complete(cmd);
}
