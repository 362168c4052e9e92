/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_MODE_H
#define ISPT_MODE_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <scsi/scsi_proto.h>

#include "scsi.h"

/*
 * Mode pages (SPC-4 7.5, SBC-3 6.4): MODE SENSE with current, changeable
 * and default values, and MODE SELECT. The current values live in the
 * LU's description (struct ispt_scsi_mode_params, read lock-free by every
 * command); this holds the lock that orders changes. Default values come
 * from the device.
 *
 * Pages: Read-Write Error Recovery (01h), Caching (08h: WCE changeable
 * when the device has a volatile cache), Control (0Ah: D_SENSE and SWP
 * changeable) and Informational Exceptions Control (1Ch). None has
 * subpages.
 *
 * No page is saveable (PS=0): saved values belong in non-volatile storage
 * and we have none that outlives the LU, so MODE SELECT with SP=1 and
 * MODE SENSE of saved values are refused (SPC-4 6.11, 6.13). A logical
 * unit reset brings back the defaults, as SAM-5 asks when nothing was
 * saved; disabling the LU forgets every change too.
 */
struct ispt_mode_state {
	spinlock_t	lock;		/* orders MODE SELECTs and resets */
};

#define ISPT_MODE_PAGE_RW_RECOVERY	0x01
#define ISPT_MODE_PAGE_CACHING		0x08
#define ISPT_MODE_PAGE_CONTROL		0x0a
#define ISPT_MODE_PAGE_IEC		0x1c
#define ISPT_MODE_ALL_PAGES		0x3f
#define ISPT_MODE_ALL_SUBPAGES		0xff

/* mode.c APIs: */
bool ispt_mode_page_supported(u8 page, u8 subpage);
struct ispt_scsi_mode_params
ispt_mode_defaults(const struct ispt_scsi_lun_desc *lun);
void ispt_mode_init(struct ispt_mode_state *ms, struct ispt_scsi_lun_desc *lun);
u32 ispt_mode_sense(const struct ispt_scsi_cmd *cmd,
		    const struct ispt_scsi_lun_desc *lun, u8 *buf, u32 len);
enum sam_status ispt_mode_select(struct ispt_scsi_cmd *cmd,
				 const struct ispt_scsi_lun_desc *lun,
				 const u8 *data, u32 len,
				 struct ispt_scsi_mode_params *out);
bool ispt_mode_apply(struct ispt_mode_state *ms,
		     struct ispt_scsi_lun_desc *lun,
		     const struct ispt_scsi_mode_params *p);
enum sam_status ispt_mode_select_apply(struct ispt_mode_state *ms,
				       struct ispt_scsi_cmd *cmd,
				       struct ispt_scsi_lun_desc *lun,
				       const u8 *data, u32 len, bool *changed);
bool ispt_mode_reset(struct ispt_mode_state *ms,
		     struct ispt_scsi_lun_desc *lun);

#endif /* ISPT_MODE_H */
