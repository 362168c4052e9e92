// SPDX-License-Identifier: GPL-2.0
/*
 * Logical units backed by block devices: open by path (exclusively, so
 * nothing else writes underneath), describe the device to the SCSI layer,
 * and close once the last command has let go.
 */
#include <linux/blkdev.h>
#include <linux/crc32c.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/iscsi_spt.h>

#include "compat.h"
#include "lun.h"
#include "session.h"
#include "state.h"
#include "ua.h"

static void lun_release_ref(struct percpu_ref *ref)
{
	struct ispt_lun *lun = container_of(ref, struct ispt_lun, ref);

	complete(&lun->drained);
}

/* Read the device's geometry and abilities into the SCSI description. */
void ispt_lun_refresh(struct ispt_lun *lun)
{
	struct block_device *bdev = lun->bdev;
	struct ispt_scsi_lun_desc *d = &lun->desc;
	u32 bs = bdev_logical_block_size(bdev);
	u32 pbs = bdev_physical_block_size(bdev);
	u32 spb = bs >> SECTOR_SHIFT;

	d->block_size = bs;
	lun->nr_sectors = bdev_nr_sectors(bdev);
	d->nr_blocks = (lun->nr_sectors << SECTOR_SHIFT) / bs;
	d->phys_block_exp = pbs > bs ? ilog2(pbs / bs) : 0;
	/*
	 * Bios are split to the queue's limits by the block layer; what
	 * bounds a command is the memory we give its data.
	 */
	d->max_xfer_blocks = ISPT_LUN_MAX_XFER_BYTES / bs;
	d->opt_xfer_blocks = bdev_io_opt(bdev) / bs;
	d->write_cache = bdev_write_cache(bdev);
	/* The block layer turns REQ_FUA into a flush where the device lacks it. */
	d->fua = true;
	d->read_only = bdev_read_only(bdev);
	d->rotational = !bdev_nonrot(bdev);
	/*
	 * Thin provisioning only where the device can discard: the most one
	 * UNMAP takes is what one discard bio can (the executor cuts and
	 * steps anyway), in the device's granularity and alignment.
	 */
	d->max_unmap_blocks = min_t(u64, U32_MAX,
				    bdev_max_discard_sectors(bdev) / spb);
	d->unmap_granularity = max(bdev_discard_granularity(bdev) / bs, 1U);
	d->unmap_alignment = bdev_discard_alignment(bdev) / bs;
	d->max_write_zeroes_blocks = bdev_write_zeroes_sectors(bdev) / spb;
	/*
	 * WRITE SAME runs in steps of bounded size, so it may cover the
	 * whole LU (its block count is 32 bits); COMPARE AND WRITE holds its
	 * range exclusive and its blocks three times in pages, so it is kept
	 * short.
	 */
	d->max_write_same_blocks = min_t(u64, U32_MAX, d->nr_blocks);
	d->max_compare_blocks = ISPT_LUN_MAX_COMPARE_BLOCKS;
	/*
	 * LBPRZ is a promise that unmapped blocks read back as zeroes,
	 * which a discard does not make (6.1 lost discard_zeroes_data).
	 */
	d->unmap_zeroes = false;
}

/**
 * ispt_lun_set_capacity - take in the device's new size
 * @lun: the LU, with its resize_lock held
 * @nr_sectors: the size the device has now
 *
 * Commands decoding on other CPUs read desc.nr_blocks without the lock:
 * they see the old capacity or the new one, either of which a command
 * racing with the resize may get. A device that shrank to less than a
 * block (being torn down) keeps the last capacity: SCSI cannot describe
 * an empty LU.
 *
 * Return: true if the capacity in blocks changed, which initiators must
 * be told about.
 */
bool ispt_lun_set_capacity(struct ispt_lun *lun, sector_t nr_sectors)
{
	struct ispt_scsi_lun_desc *d = &lun->desc;
	u64 blocks = ((u64)nr_sectors << SECTOR_SHIFT) / d->block_size;

	lockdep_assert_held(&lun->resize_lock);
	if (nr_sectors == lun->nr_sectors)
		return false;	/* another command took it in first */
	WRITE_ONCE(lun->nr_sectors, nr_sectors);
	if (!blocks || blocks == d->nr_blocks)
		return false;
	WRITE_ONCE(d->nr_blocks, blocks);
	return true;
}

/**
 * ispt_lun_resized - a command found the device at another size
 * @lun: the LU the command addresses
 * @target: its target: every session of it can reach @lun
 *
 * Commands on several CPUs may notice at once; the first to take the lock
 * updates the capacity and posts CAPACITY DATA HAS CHANGED to every
 * nexus, the others find nothing left to do. The posting is under the
 * lock too, so no command runs with the new capacity on a nexus that has
 * not yet been told. A device whose disk was deleted (unplugged) is gone
 * instead: the LU drops out of REPORT LUNS, which every nexus is told of
 * (REPORTED LUNS DATA HAS CHANGED), and commands to it get LOGICAL UNIT
 * NOT SUPPORTED (cmd.c) until an admin removes the LUN. Never sleeps.
 */
void ispt_lun_resized(struct ispt_lun *lun, const struct ispt_target *target)
{
	sector_t now = bdev_nr_sectors(lun->bdev);

	spin_lock(&lun->resize_lock);
	if (!lun->gone && !disk_live(lun->bdev->bd_disk)) {
		WRITE_ONCE(lun->gone, true);
		pr_warn("LUN %llu: %s has gone away; LOGICAL UNIT NOT SUPPORTED until the LUN is removed\n",
			lun->id, lun->path);
		ispt_sessions_post_ua(target, ISPT_UA_ALL_LUNS,
				      ISPT_ASC_LUNS_CHANGED, NULL);
	}
	if (ispt_lun_set_capacity(lun, now) && !lun->gone) {
		pr_info("LUN %llu: %s now has %llu blocks\n", lun->id,
			lun->path, lun->desc.nr_blocks);
		ispt_sessions_post_ua(target, lun->id, ISPT_ASC_CAPACITY_CHANGED,
				      NULL);
	}
	spin_unlock(&lun->resize_lock);
}

/**
 * ispt_lun_open - open @path as logical unit @id of @target
 * @path: a block device node
 * @id: the LUN
 * @target: the target's name, which with @id makes the stable identifiers
 *
 * Return: the LU, or an ERR_PTR (-ENOENT, -EBUSY if opened elsewhere...).
 */
struct ispt_lun *ispt_lun_open(const char *path, u64 id, const char *target)
{
	struct ispt_scsi_lun_desc *d;
	struct ispt_lun *lun;
	u32 name_crc;
	int ret;

	lun = kzalloc(struct_size(lun, path, strlen(path) + 1), GFP_KERNEL);
	if (!lun)
		return ERR_PTR(-ENOMEM);
	strcpy(lun->path, path);
	lun->id = id;
	init_completion(&lun->drained);
	spin_lock_init(&lun->resize_lock);
	ret = percpu_ref_init(&lun->ref, lun_release_ref, 0, GFP_KERNEL);
	if (ret)
		goto err_free;

	ret = ispt_bdev_open(&lun->open, path, lun);
	if (ret)
		goto err_ref;
	lun->bdev = lun->open.bdev;

	d = &lun->desc;
	d->lun = id;
	ispt_lun_refresh(lun);
	/* Stable across reloads: derived from the target name and the LUN. */
	name_crc = crc32c(~0U, target, strlen(target));
	d->naa_id = ((u64)name_crc << 24 | (id & 0xffffff)) & GENMASK_ULL(59, 0);
	snprintf(d->serial, sizeof(d->serial), "%08x%04llx", name_crc, id);
	strscpy(d->vendor, "LINUX", sizeof(d->vendor));
	strscpy(d->product, "iscsi_spt", sizeof(d->product));
	strscpy(d->revision, ISCSI_SPT_VERSION, sizeof(d->revision));
	ispt_mode_init(&lun->mode, d);
	ispt_pr_init(&lun->pr);
	ispt_lba_lock_init(&lun->lba_lock);
	ispt_sanitize_init(&lun->sanitize);
	if (!ispt_scsi_lun_desc_valid(d)) {
		pr_err("LUN %llu: %s has a geometry SCSI cannot describe (block size %u)\n",
		       id, path, d->block_size);
		ret = -EINVAL;
		goto err_close;
	}
	lun->stats = ispt_state_lun_create(target, id);
	if (!lun->stats) {
		ret = -ENOMEM;
		goto err_close;
	}
	return lun;

err_close:
	ispt_bdev_close(&lun->open);
err_ref:
	percpu_ref_exit(&lun->ref);
err_free:
	kfree(lun);
	return ERR_PTR(ret);
}

/*
 * The caller has unpublished @lun (no new lookups find it). Wait for the
 * commands that still hold it, then close the device.
 */
void ispt_lun_close(struct ispt_lun *lun)
{
	percpu_ref_kill(&lun->ref);
	wait_for_completion(&lun->drained);
	ispt_sanitize_destroy(&lun->sanitize);
	ispt_state_lun_destroy(lun->stats);
	ispt_bdev_close(&lun->open);
	percpu_ref_exit(&lun->ref);
	ispt_pr_destroy(&lun->pr);
	kfree_rcu(lun, rcu);
}
