// SPDX-License-Identifier: GPL-2.0
/*
 * Unit attention queues, one per I_T nexus.
 *
 * SAM-5 lets a logical unit queue several unit attention conditions and
 * report them one at a time; when it has no room it may report a more
 * general condition instead. Ours: a condition already queued for the
 * same LUN is not queued twice, and when the queue is full the LUN's
 * conditions are replaced by POWER ON, RESET, OR BUS DEVICE RESET
 * OCCURRED, after which an initiator rereads everything anyway; if the
 * others fill it, the oldest of theirs makes room.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "ua.h"

void ispt_ua_init(struct ispt_ua_queue *q)
{
	spin_lock_init(&q->lock);
	q->nr = 0;
}

static bool ua_matches(const struct ispt_ua *ua, u16 lun)
{
	return ua->lun == lun || ua->lun == ISPT_UA_ALL_LUNS;
}

static void ua_remove(struct ispt_ua_queue *q, unsigned int i)
{
	memmove(&q->ua[i], &q->ua[i + 1], (q->nr - i - 1) * sizeof(q->ua[0]));
	WRITE_ONCE(q->nr, q->nr - 1);
}

/* Drop every condition of @lun (not the all-LUN ones) */
static void ua_drop_lun(struct ispt_ua_queue *q, u16 lun)
{
	unsigned int i = 0;

	while (i < q->nr) {
		if (q->ua[i].lun == lun)
			ua_remove(q, i);
		else
			i++;
	}
}

/**
 * ispt_ua_add() - establish a unit attention condition
 * @q: the I_T nexus's queue
 * @lun: the LUN it is for, or ISPT_UA_ALL_LUNS
 * @asc_ascq: the additional sense code and qualifier
 *
 * Any context but hard interrupts.
 */
void ispt_ua_add(struct ispt_ua_queue *q, u16 lun, u16 asc_ascq)
{
	unsigned int i;

	spin_lock(&q->lock);
	for (i = 0; i < q->nr; i++)
		if (q->ua[i].lun == lun && q->ua[i].asc_ascq == asc_ascq)
			goto out;
	if (q->nr == ISPT_UA_MAX) {
		/*
		 * An all-LUN condition keeps its code: REPORTED LUNS DATA HAS
		 * CHANGED is what tells an initiator to rescan.
		 */
		if (lun != ISPT_UA_ALL_LUNS) {
			ua_drop_lun(q, lun);
			asc_ascq = ISPT_ASC_POWER_ON_RESET;
		}
		if (q->nr == ISPT_UA_MAX)	/* all for other LUNs */
			ua_remove(q, 0);
	}
	q->ua[q->nr] = (struct ispt_ua){ .lun = lun, .asc_ascq = asc_ascq };
	WRITE_ONCE(q->nr, q->nr + 1);
out:
	spin_unlock(&q->lock);
}

/**
 * ispt_ua_take() - report the oldest condition for a LUN, and clear it
 * @q: the I_T nexus's queue
 * @lun: the LUN the command addresses
 * @sense: UNIT ATTENTION with the condition's code, if there was one
 *
 * Return: true if a condition was pending.
 */
bool ispt_ua_take(struct ispt_ua_queue *q, u16 lun, struct ispt_sense *sense)
{
	bool found = false;
	unsigned int i;

	if (!ispt_ua_maybe_pending(q))
		return false;
	spin_lock(&q->lock);
	for (i = 0; i < q->nr; i++) {
		if (ua_matches(&q->ua[i], lun)) {
			*sense = ispt_sense_ua(q->ua[i].asc_ascq);
			ua_remove(q, i);
			found = true;
			break;
		}
	}
	spin_unlock(&q->lock);
	return found;
}

/**
 * ispt_ua_clear() - clear a condition without reporting it
 * @q: the I_T nexus's queue
 * @lun: the LUN addressed
 * @asc_ascq: which condition
 *
 * REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED (SPC-4): the
 * initiator has just read what changed.
 */
void ispt_ua_clear(struct ispt_ua_queue *q, u16 lun, u16 asc_ascq)
{
	unsigned int i = 0;

	if (!ispt_ua_maybe_pending(q))
		return;
	spin_lock(&q->lock);
	while (i < q->nr) {
		if (ua_matches(&q->ua[i], lun) && q->ua[i].asc_ascq == asc_ascq)
			ua_remove(q, i);
		else
			i++;
	}
	spin_unlock(&q->lock);
}

/**
 * ispt_ua_forget_lun() - drop every condition of a LUN that went away
 * @q: the I_T nexus's queue
 * @lun: the LUN removed from the target
 *
 * A LU later enabled under the same number is a new one: what happened
 * to the old one is no news about it.
 */
void ispt_ua_forget_lun(struct ispt_ua_queue *q, u16 lun)
{
	if (!ispt_ua_maybe_pending(q))
		return;
	spin_lock(&q->lock);
	ua_drop_lun(q, lun);
	spin_unlock(&q->lock);
}

/**
 * ispt_ua_check() - what a command arriving on a LUN meets
 * @q: the I_T nexus's queue
 * @lun: the LUN the command addresses (an LU exists there)
 * @opcode: byte 0 of its CDB
 * @cdb_valid: its CDB decoded without error
 * @sense: the unit attention, for ISPT_UA_REPORT and ISPT_UA_SENSE_DATA
 *
 * SAM-5 5.14 and SPC-4 4.5.2: a pending condition ends any command with
 * CHECK CONDITION, UNIT ATTENTION, oldest first, and is cleared by being
 * reported; even a CDB with an invalid field gets the unit attention
 * first. INQUIRY and REPORT LUNS run and leave it pending (REPORT LUNS
 * clears REPORTED LUNS DATA HAS CHANGED, which it answers), and REQUEST
 * SENSE reports it as its data, which clears it. An exempt command whose
 * CDB is invalid only gets its own error.
 *
 * Return: what to do with the command.
 */
enum ispt_ua_verdict ispt_ua_check(struct ispt_ua_queue *q, u16 lun,
				   u8 opcode, bool cdb_valid,
				   struct ispt_sense *sense)
{
	switch (opcode) {
	case INQUIRY:
		return ISPT_UA_RUN;
	case REPORT_LUNS:
		if (cdb_valid)
			ispt_ua_clear(q, lun, ISPT_ASC_LUNS_CHANGED);
		return ISPT_UA_RUN;
	case REQUEST_SENSE:
		if (cdb_valid && ispt_ua_take(q, lun, sense))
			return ISPT_UA_SENSE_DATA;
		return ISPT_UA_RUN;
	default:
		return ispt_ua_take(q, lun, sense) ? ISPT_UA_REPORT : ISPT_UA_RUN;
	}
}

/* How many conditions @lun would see: for tests and diagnostics */
unsigned int ispt_ua_count(struct ispt_ua_queue *q, u16 lun)
{
	unsigned int i, n = 0;

	spin_lock(&q->lock);
	for (i = 0; i < q->nr; i++)
		n += ua_matches(&q->ua[i], lun);
	spin_unlock(&q->lock);
	return n;
}
