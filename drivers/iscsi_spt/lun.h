/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_LUN_H
#define ISPT_LUN_H

#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/percpu-refcount.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "compat.h"
#include "lbalock.h"
#include "mode.h"
#include "pr.h"
#include "sanitize.h"
#include "scsi.h"

struct ispt_lun_stats;
struct ispt_target;

/* Most data one command moves: its pages are allocated whole. */
#define ISPT_LUN_MAX_XFER_BYTES	(8 << 20)

/* Most blocks one COMPARE AND WRITE takes (VPD page 0xb0) */
#define ISPT_LUN_MAX_COMPARE_BLOCKS	64

/* Longest device_path an admin may give. */
#define ISPT_LUN_PATH_MAX	256

/*
 * A logical unit: a block device opened exclusively. Commands hold a
 * percpu reference from lookup to completion; disabling the LU kills the
 * reference and waits for the last command before closing the device.
 */
struct ispt_lun {
	struct percpu_ref	ref;
	struct completion	drained;
	struct block_device	*bdev;		/* open.bdev, for the I/O path */
	struct ispt_bdev_open	open;
	struct ispt_lun_stats	*stats;		/* state.c */
	struct ispt_scsi_lun_desc desc;
	struct ispt_mode_state	mode;		/* saved mode pages */
	struct ispt_pr		pr;		/* reservations */
	struct ispt_lba_lock	lba_lock;	/* COMPARE AND WRITE et al. */
	struct ispt_sanitize	sanitize;	/* sanitize.c */
	bool			stopped;	/* START STOP UNIT, START=0 */
	/*
	 * The device's size when desc.nr_blocks was last set from it: a
	 * command that finds the device at another size updates the
	 * capacity, under @resize_lock, which also makes the unit attention
	 * for it go out once.
	 */
	sector_t		nr_sectors;
	spinlock_t		resize_lock;	/* guards the capacity update */
	/*
	 * The device itself went away (an NVMe disk unplugged: its disk
	 * deleted, size 0): LOGICAL UNIT NOT SUPPORTED until the LUN is
	 * removed. Set once, under @resize_lock.
	 */
	bool			gone;
	u64			id;
	struct rcu_head		rcu;
	char			path[];
};

/* lun.c APIs: */
struct ispt_lun *ispt_lun_open(const char *path, u64 id, const char *target);
void ispt_lun_close(struct ispt_lun *lun);
void ispt_lun_refresh(struct ispt_lun *lun);
bool ispt_lun_set_capacity(struct ispt_lun *lun, sector_t nr_sectors);
void ispt_lun_resized(struct ispt_lun *lun, const struct ispt_target *target);

/*
 * On every command: 6.1 tells no one when a device changes size (dm
 * reload, losetup -c, a rescanned disk), so compare its size, one load,
 * with the one the capacity was computed from. A size of 0 is a device
 * being torn down (NVMe zeroes it before it deletes the disk): looked at
 * again each time, until it has gone.
 */
static inline void ispt_lun_check_capacity(struct ispt_lun *lun,
					   const struct ispt_target *target)
{
	sector_t known = READ_ONCE(lun->nr_sectors);

	if (unlikely(bdev_nr_sectors(lun->bdev) != known ||
		     (!known && !READ_ONCE(lun->gone))))
		ispt_lun_resized(lun, target);
}

static inline bool ispt_lun_gone(const struct ispt_lun *lun)
{
	return READ_ONCE(lun->gone);
}

static inline bool ispt_lun_tryget(struct ispt_lun *lun)
{
	return percpu_ref_tryget_live(&lun->ref);
}

static inline void ispt_lun_put(struct ispt_lun *lun)
{
	percpu_ref_put(&lun->ref);
}

#endif /* ISPT_LUN_H */
