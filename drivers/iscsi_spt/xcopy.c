// SPDX-License-Identifier: GPL-2.0
/*
 * EXTENDED COPY (LID1) parameter lists and RECEIVE COPY RESULTS data.
 *
 * The list is hostile input of up to a few KiB: every length is checked
 * against what was received and against the limits we report in the
 * operating parameters, in the order SPC-4 gives its errors, and only
 * the descriptors we can carry out are accepted: identification target
 * descriptors (E4h) naming an LU by its NAA designator, and block to
 * block segments (02h). Executing the copy is xcopy_exec.c's.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "sbc_decode.h"
#include "spc.h"
#include "xcopy.h"

#define LIST_ID_USAGE(b)	(((b) >> 3) & 3)
#define USAGE_HOLD		0	/* list id unique, status held */
#define USAGE_RESERVED		1
#define USAGE_NO_HOLD		2
#define USAGE_NO_LIST_ID	3	/* list id must be zero */
#define HDR_STR			0x20	/* sequential striped: no meaning */

#define TGT_DESC_LEN		32
#define TGT_IDENT		ISPT_XCOPY_DESC_IDENT
#define TGT_LU_ID_TYPE(b)	((b) >> 6)
#define TGT_NUL			0x20
#define TGT_PDT(b)		((b) & 0x1f)
#define SEG_B2B			ISPT_XCOPY_DESC_B2B
#define SEG_B2B_LEN		28
#define SEG_DC			0x02
#define SEG_CAT			0x01

/* Designation descriptor inside the target descriptor (bytes 4-23) */
#define DESIG_CODE_BINARY	0x1
#define DESIG_ASSOC_LU		0x0
#define DESIG_NAA		0x3

/* Operating parameters */
#define OP_PARAMS_LEN		46
#define FAILED_SEG_HDR_LEN	60	/* FAILED SEGMENT DETAILS before sense */

static enum sam_status param_fail(struct ispt_scsi_cmd *cmd,
				  struct ispt_sense s)
{
	cmd->sense = s;
	return SAM_STAT_CHECK_CONDITION;
}

/* SPC-4 6.4.5: one target descriptor, 32 bytes at @p (offset @off) */
static enum sam_status parse_target(struct ispt_scsi_cmd *cmd, const u8 *p,
				    u32 off, struct ispt_xcopy_target *t)
{
	const u8 *d = &p[4];

	if (p[0] != TGT_IDENT)
		return param_fail(cmd, ispt_sense_field(ISPT_ASC_UNSUPP_TARGET_DESC,
							false, off, -1));
	/* SPC-4 made NUL obsolete; a NUL target cannot be copied to */
	if (p[1] & TGT_NUL)
		return param_fail(cmd, ispt_sense_invalid_param_field(off + 1,
								      5));
	if (TGT_PDT(p[1]) != TYPE_DISK)
		return param_fail(cmd, ispt_sense_invalid_param_field(off + 1,
								      4));
	/* LU ID TYPE is ignored: SPC-4 names the LU by the designator. */
	memset(t, 0, sizeof(*t));
	if ((d[0] & 0x0f) == DESIG_CODE_BINARY &&
	    ((d[1] >> 4) & 3) == DESIG_ASSOC_LU &&
	    (d[1] & 0x0f) == DESIG_NAA && d[3] == 8)
		t->naa = get_unaligned_be64(&d[4]);
	/* else t->naa stays 0, which names no LU: the copy is aborted */
	t->block_size = get_unaligned_be24(&p[29]);
	return SAM_STAT_GOOD;
}

static enum sam_status parse_segment(struct ispt_scsi_cmd *cmd, const u8 *p,
				     u32 off, u32 left,
				     struct ispt_xcopy_segment *s)
{
	u32 desc_len;

	if (left < 4)
		return param_fail(cmd, ispt_sense_param_list_length());
	if (p[0] != SEG_B2B)
		return param_fail(cmd,
				  ispt_sense_field(ISPT_ASC_UNSUPP_SEGMENT_DESC,
						   false, off, -1));
	desc_len = get_unaligned_be16(&p[2]) + 4;
	if (desc_len != SEG_B2B_LEN)
		return param_fail(cmd, ispt_sense_invalid_param_field(off + 2,
								      -1));
	if (left < SEG_B2B_LEN)
		return param_fail(cmd, ispt_sense_param_list_length());
	/* CAT (keep residue) means nothing for block to block copies */
	s->dc = p[1] & SEG_DC;
	s->src = get_unaligned_be16(&p[4]);
	s->dst = get_unaligned_be16(&p[6]);
	s->nr_blocks = get_unaligned_be16(&p[10]);
	s->src_lba = get_unaligned_be64(&p[12]);
	s->dst_lba = get_unaligned_be64(&p[20]);
	s->offset = off;
	return SAM_STAT_GOOD;
}

/**
 * ispt_xcopy_parse() - check an EXTENDED COPY (LID1) parameter list
 * @cmd: the decoded command; @cmd->sense is set on failure
 * @data: the parameter list
 * @len: bytes received (the PARAMETER LIST LENGTH, or less if the
 *	initiator sent less)
 * @list: the descriptors, on success
 *
 * An empty list copies nothing and succeeds. Target descriptor indexes
 * and LBAs are not checked here: they need the LUs, and SPC-4 reports
 * them as COPY ABORTED for the segment that names them.
 *
 * Return: SAM_STAT_GOOD, or SAM_STAT_CHECK_CONDITION with @cmd->sense set.
 */
enum sam_status ispt_xcopy_parse(struct ispt_scsi_cmd *cmd, const u8 *data,
				 u32 len, struct ispt_xcopy_list *list)
{
	u32 tdl, sdl, inline_len, off, end, n;
	u8 usage;

	memset(list, 0, sizeof(*list));
	if (!len)
		return SAM_STAT_GOOD;
	if (len < ISPT_XCOPY_HDR_LEN)
		return param_fail(cmd, ispt_sense_param_list_length());
	tdl = get_unaligned_be16(&data[2]);
	sdl = get_unaligned_be32(&data[8]);
	inline_len = get_unaligned_be32(&data[12]);
	/* Lengths in u64: three u32 fields from the wire could wrap. */
	if ((u64)ISPT_XCOPY_HDR_LEN + tdl + sdl + inline_len > len)
		return param_fail(cmd, ispt_sense_param_list_length());
	if ((u64)tdl + sdl > ISPT_XCOPY_MAX_DESC_LIST_LEN)
		return param_fail(cmd, ispt_sense_param_list_length());
	if (inline_len)
		return param_fail(cmd, ispt_sense_invalid_param_field(12, -1));
	if (tdl % TGT_DESC_LEN)
		return param_fail(cmd, ispt_sense_invalid_param_field(2, -1));
	if (tdl / TGT_DESC_LEN > ISPT_XCOPY_MAX_TARGETS)
		return param_fail(cmd, ispt_sense_make(ILLEGAL_REQUEST,
					ISPT_ASC_TOO_MANY_TARGET_DESCS));

	usage = LIST_ID_USAGE(data[1]);
	if (usage == USAGE_RESERVED)
		return param_fail(cmd, ispt_sense_invalid_param_field(1, 4));
	if (usage == USAGE_NO_LIST_ID && data[0])
		return param_fail(cmd, ispt_sense_invalid_param_field(0, -1));
	list->list_id = data[0];
	list->hold = usage == USAGE_HOLD;
	list->unique = usage == USAGE_HOLD || usage == USAGE_NO_HOLD;

	/* Count the segments first: too many is reported before their type */
	end = ISPT_XCOPY_HDR_LEN + tdl + sdl;
	for (off = ISPT_XCOPY_HDR_LEN + tdl, n = 0; off < end; n++) {
		if (end - off < 4)
			return param_fail(cmd, ispt_sense_param_list_length());
		off += get_unaligned_be16(&data[off + 2]) + 4;
	}
	if (n > ISPT_XCOPY_MAX_SEGMENTS)
		return param_fail(cmd, ispt_sense_make(ILLEGAL_REQUEST,
					ISPT_ASC_TOO_MANY_SEGMENT_DESCS));

	for (off = ISPT_XCOPY_HDR_LEN; off < ISPT_XCOPY_HDR_LEN + tdl;
	     off += TGT_DESC_LEN)
		if (parse_target(cmd, &data[off], off,
				 &list->tgt[list->nr_targets++]) !=
		    SAM_STAT_GOOD)
			return SAM_STAT_CHECK_CONDITION;
	for (; off < end; off += SEG_B2B_LEN)
		if (parse_segment(cmd, &data[off], off, end - off,
				  &list->seg[list->nr_segments++]) !=
		    SAM_STAT_GOOD)
			return SAM_STAT_CHECK_CONDITION;
	return SAM_STAT_GOOD;
}

/**
 * ispt_xcopy_sense() - COPY ABORTED for a segment that failed
 * @list: the parsed list
 * @seg: index of the segment being processed
 * @asc_ascq: why (COPY TARGET DEVICE NOT REACHABLE, LBA OUT OF RANGE...)
 *
 * SPC-4 (errors detected processing segment descriptors): the
 * COMMAND-SPECIFIC INFORMATION is the number of the
 * segment, and the field pointer names its descriptor in the list.
 *
 * Return: the sense data.
 */
struct ispt_sense ispt_xcopy_sense(const struct ispt_xcopy_list *list,
				   unsigned int seg, u16 asc_ascq)
{
	struct ispt_sense s = ispt_sense_copy_aborted(asc_ascq);

	s.flags |= ISPT_SENSE_CSI | ISPT_SENSE_SKSV;
	s.csi = seg;
	if (seg < list->nr_segments)
		s.field = list->seg[seg].offset;
	return s;
}

/**
 * ispt_xcopy_check_targets() - the resolved target descriptors, before a copy
 * @cmd: the decoded command; @cmd->sense is set on failure
 * @list: the parsed list
 * @tgt: for each target descriptor, the LU it names, or NULL if none
 *
 * A DISK BLOCK LENGTH that is not the LU's would have us cut blocks the
 * initiator did not mean: the descriptor is refused, as a field of the
 * parameter list (before any segment is processed). Unknown LUs are not
 * an error here: only a segment that uses one is aborted.
 *
 * Return: SAM_STAT_GOOD, or CHECK CONDITION with @cmd->sense set.
 */
enum sam_status
ispt_xcopy_check_targets(struct ispt_scsi_cmd *cmd,
			 const struct ispt_xcopy_list *list,
			 const struct ispt_scsi_lun_desc *const *tgt)
{
	unsigned int i;
	u32 at;

	for (i = 0; i < list->nr_targets; i++) {
		at = ISPT_XCOPY_HDR_LEN + i * TGT_DESC_LEN + 29;
		if (tgt[i] && list->tgt[i].block_size &&
		    list->tgt[i].block_size != tgt[i]->block_size)
			return param_fail(cmd,
					  ispt_sense_invalid_param_field(at, -1));
	}
	return SAM_STAT_GOOD;
}

/* COPY ABORTED for segment @i, pointing at byte @at of its descriptor */
static enum sam_status seg_abort(struct ispt_scsi_cmd *cmd,
				 const struct ispt_xcopy_list *list,
				 unsigned int i, u16 asc_ascq, u32 at)
{
	struct ispt_sense s = ispt_xcopy_sense(list, i, asc_ascq);

	s.field += at;
	return param_fail(cmd, s);
}

/* Are blocks [@lba, @lba + @nr) on @lun? */
static bool seg_in_range(const struct ispt_scsi_lun_desc *lun, u64 lba,
			 u64 nr)
{
	return lba <= lun->nr_blocks && nr <= lun->nr_blocks - lba;
}

/**
 * ispt_xcopy_check_segment() - can segment @i be carried out, and how
 * @cmd: the decoded command; @cmd->sense is set on failure
 * @list: the parsed list
 * @i: the segment
 * @tgt: for each target descriptor, the LU it names, or NULL if none
 * @plan: what to copy, on success
 *
 * Errors in a segment are COPY ABORTED (SPC-4 errors detected during
 * processing of segment descriptors) with the segment number as
 * COMMAND-SPECIFIC INFORMATION and a pointer to the field:
 *
 * - a target descriptor index past the list, or naming no LU of this
 *   target: COPY TARGET DEVICE NOT REACHABLE (0D/02);
 * - blocks past the end of either LU: the copy target would refuse them
 *   (ILLEGAL REQUEST, LBA OUT OF RANGE, which it does not report to the
 *   initiator): COPY ABORTED with NO ADDITIONAL SENSE INFORMATION (00/00)
 *   and the field pointer on the LBA. libiscsi's ValidSegDescr accepts
 *   only 00/00, 08/04 or 0D/02 there, and 0D/02 would claim the device
 *   cannot be reached when it can.
 *
 * A NUMBER OF BLOCKS that is not whole blocks of the other LU (DC picks
 * whose blocks it counts) would need pad or residue handling (PAD, CAT)
 * we do not offer: INVALID FIELD IN PARAMETER LIST on it.
 *
 * Return: SAM_STAT_GOOD, or CHECK CONDITION with @cmd->sense set.
 */
enum sam_status
ispt_xcopy_check_segment(struct ispt_scsi_cmd *cmd,
			 const struct ispt_xcopy_list *list, unsigned int i,
			 const struct ispt_scsi_lun_desc *const *tgt,
			 struct ispt_xcopy_plan *plan)
{
	const struct ispt_xcopy_segment *s = &list->seg[i];
	const struct ispt_scsi_lun_desc *src, *dst;
	u32 src_bs, dst_bs;

	if (s->src >= list->nr_targets || !tgt[s->src])
		return seg_abort(cmd, list, i, ISPT_ASC_COPY_TARGET_UNREACHABLE,
				 4);
	if (s->dst >= list->nr_targets || !tgt[s->dst])
		return seg_abort(cmd, list, i, ISPT_ASC_COPY_TARGET_UNREACHABLE,
				 6);
	src = tgt[s->src];
	dst = tgt[s->dst];
	src_bs = src->block_size;
	dst_bs = dst->block_size;
	plan->bytes = (u64)s->nr_blocks * (s->dc ? dst_bs : src_bs);
	if (plan->bytes % src_bs || plan->bytes % dst_bs ||
	    plan->bytes > ISPT_XCOPY_MAX_SEGMENT_BYTES)
		return param_fail(cmd,
				  ispt_sense_invalid_param_field(s->offset + 10,
								 -1));
	if (!seg_in_range(src, s->src_lba, plan->bytes / src_bs))
		return seg_abort(cmd, list, i, ISPT_ASC_NONE, 12);
	if (!seg_in_range(dst, s->dst_lba, plan->bytes / dst_bs))
		return seg_abort(cmd, list, i, ISPT_ASC_NONE, 20);
	plan->src_lba = s->src_lba;
	plan->dst_lba = s->dst_lba;
	/* Like memmove: a forward copy would read blocks it has written. */
	plan->backward = src == dst && s->dst_lba > s->src_lba &&
			 s->dst_lba < s->src_lba + plan->bytes / src_bs;
	return SAM_STAT_GOOD;
}

/**
 * ispt_xcopy_claim() - take a copy's list identifier while it runs
 * @res: the I_T nexus's copies
 * @list: the parsed list
 *
 * SPC-4: with LIST ID USAGE 00b or 10b the list identifier names one
 * copy of the nexus in progress; another copy with the same one ends in
 * OPERATION IN PROGRESS. Usage 11b has no list identifier to take.
 *
 * Return: false if a running copy of the nexus holds it.
 */
bool ispt_xcopy_claim(struct ispt_xcopy_results *res,
		      const struct ispt_xcopy_list *list)
{
	u64 bit = 1ULL << (list->list_id % 64);

	if (!list->unique)
		return true;
	if (res->running[list->list_id / 64] & bit)
		return false;
	res->running[list->list_id / 64] |= bit;
	return true;
}

/* The copy ended: its list identifier may be used again. */
void ispt_xcopy_unclaim(struct ispt_xcopy_results *res,
			const struct ispt_xcopy_list *list)
{
	if (list->unique)
		res->running[list->list_id / 64] &= ~(1ULL << (list->list_id % 64));
}

/**
 * ispt_xcopy_check_writable() - may the copy write its destinations?
 * @cmd: the decoded command; @cmd->sense is set on failure
 * @list: the parsed list, its segments checked
 * @tgt: for each target descriptor, the LU it names, or NULL if none
 *
 * The checks a WRITE to each destination LU would meet at decode: a
 * read-only device (DATA PROTECT, WRITE PROTECTED) or software write
 * protection (MODE SELECT SWP: WRITE PROTECTED BY SOFTWARE). Made
 * before a block moves, so a refused copy writes nothing.
 *
 * Return: SAM_STAT_GOOD, or CHECK CONDITION with @cmd->sense set.
 */
enum sam_status
ispt_xcopy_check_writable(struct ispt_scsi_cmd *cmd,
			  const struct ispt_xcopy_list *list,
			  const struct ispt_scsi_lun_desc *const *tgt)
{
	const struct ispt_scsi_lun_desc *dst;
	unsigned int i;

	for (i = 0; i < list->nr_segments; i++) {
		dst = tgt[list->seg[i].dst];
		if (dst->read_only)
			return param_fail(cmd, ispt_sense_write_protected());
		if (READ_ONCE(dst->mode.swp))
			return param_fail(cmd, ispt_sense_software_wp());
	}
	return SAM_STAT_GOOD;
}

/**
 * ispt_xcopy_chunk() - the next chunk of a segment
 * @plan: the segment, checked
 * @done: bytes of it copied so far
 * @pos: the chunk's offset in the segment
 * @len: its length: at most ISPT_XCOPY_CHUNK, whole blocks of both LUs
 *	(ISPT_XCOPY_CHUNK is a multiple of every block size we serve)
 *
 * A backward segment (its destination overlaps its source further on, on
 * one LU) is copied from its end, like memmove.
 */
void ispt_xcopy_chunk(const struct ispt_xcopy_plan *plan, u64 done,
		      u64 *pos, u32 *len)
{
	*len = min_t(u64, plan->bytes - done, ISPT_XCOPY_CHUNK);
	*pos = plan->backward ? plan->bytes - done - *len : done;
}

/**
 * ispt_xcopy_part_begin() - start reading, or writing, a chunk
 * @p: the part state; @p->size is kept from chunk to chunk, @p->gran set
 *	for the segment (a power of two)
 * @chunk: bytes of the chunk, a multiple of @p->gran
 */
void ispt_xcopy_part_begin(struct ispt_xcopy_part *p, u32 chunk)
{
	/* Cut for a segment of smaller blocks, parts must be whole again */
	p->size = max(round_down(p->size, p->gran), p->gran);
	p->chunk = chunk;
	p->off = 0;
	p->len = min(p->size, chunk);
}

/**
 * ispt_xcopy_part_end() - the bios of a part have ended: what next
 * @p: the part state, moved on to the next part or cut for a retry
 * @io: how they ended
 *
 * A shortage never ends the copy. TASK SET FULL would have the initiator
 * send the whole copy again, and a copy that has already written blocks
 * does not give the same result twice when its destination overlaps its
 * source. Halving the part also lets a device whose queue is shallower
 * than a chunk's bios make progress (down to one block at a time).
 *
 * Return: what the executor does next.
 */
enum ispt_xcopy_next ispt_xcopy_part_end(struct ispt_xcopy_part *p,
					 enum ispt_xcopy_io io)
{
	switch (io) {
	case ISPT_XCOPY_IO_OK:
		p->retries = 0;
		p->off += p->len;
		if (p->size < ISPT_XCOPY_CHUNK)
			p->size *= 2;
		if (p->off == p->chunk)
			return ISPT_XCOPY_STEP_DONE;
		p->len = min(p->size, p->chunk - p->off);
		return ISPT_XCOPY_NEXT_PART;
	case ISPT_XCOPY_IO_SHORT:
		p->retries++;
		p->size = max(round_down(p->len / 2, p->gran), p->gran);
		p->len = min(p->size, p->chunk - p->off);
		return ISPT_XCOPY_RETRY;
	default:
		return ISPT_XCOPY_FAIL;
	}
}

/**
 * ispt_xcopy_retry_ms() - how long a part that fell short waits
 * @p: the part state, after ispt_xcopy_part_end() said RETRY
 *
 * Doubling from 1 ms to ISPT_XCOPY_RETRY_MAX_MS: a full device queue
 * drains in about an I/O's time, memory may take longer, and retrying
 * at once would only spin the worker.
 *
 * Return: milliseconds.
 */
unsigned int ispt_xcopy_retry_ms(const struct ispt_xcopy_part *p)
{
	unsigned int shift = p->retries ? p->retries - 1 : 0;

	return min_t(unsigned int, 1U << min(shift, 6U),
		     ISPT_XCOPY_RETRY_MAX_MS);
}

/**
 * ispt_xcopy_hold() - remember a copy's status for RECEIVE COPY RESULTS
 * @res: the I_T nexus's held statuses
 * @list: the copy (its list identifier and usage)
 * @status: ISPT_XCOPY_DONE or ISPT_XCOPY_DONE_WITH_ERRORS
 * @segments: segments processed
 * @bytes: bytes written
 *
 * A list identifier used again replaces its status; otherwise the
 * oldest of the held statuses goes.
 */
void ispt_xcopy_hold(struct ispt_xcopy_results *res,
		     const struct ispt_xcopy_list *list, u8 status,
		     u16 segments, u64 bytes)
{
	unsigned int i, slot;

	if (!list->hold)
		return;
	slot = res->next;
	for (i = 0; i < ISPT_XCOPY_MAX_RESULTS; i++)
		if (res->r[i].valid && res->r[i].list_id == list->list_id)
			slot = i;
	if (slot == res->next)
		res->next = (res->next + 1) % ISPT_XCOPY_MAX_RESULTS;
	res->r[slot].valid = true;
	res->r[slot].list_id = list->list_id;
	res->r[slot].status = status;
	res->r[slot].segments = segments;
	res->r[slot].bytes = bytes;
	res->r[slot].failed = false;
}

/**
 * ispt_xcopy_hold_sense() - the sense a held copy ended with
 * @res: the I_T nexus's held statuses
 * @list: the copy, already held by ispt_xcopy_hold()
 * @sense: its CHECK CONDITION, for FAILED SEGMENT DETAILS
 */
void ispt_xcopy_hold_sense(struct ispt_xcopy_results *res,
			   const struct ispt_xcopy_list *list,
			   const struct ispt_sense *sense)
{
	unsigned int i;

	if (!list->hold)
		return;
	for (i = 0; i < ISPT_XCOPY_MAX_RESULTS; i++) {
		if (res->r[i].valid && res->r[i].list_id == list->list_id) {
			res->r[i].failed = true;
			res->r[i].sense = *sense;
		}
	}
}

static void op_params(struct ispt_spc_buf *b)
{
	ispt_spc_put_be32(b, OP_PARAMS_LEN - 4);	/* AVAILABLE DATA */
	ispt_spc_put_u8(b, 0x01);	/* SNLID: LIST ID USAGE 11b works */
	ispt_spc_put_zero(b, 3);
	ispt_spc_put_be16(b, ISPT_XCOPY_MAX_TARGETS);
	ispt_spc_put_be16(b, ISPT_XCOPY_MAX_SEGMENTS);
	ispt_spc_put_be32(b, ISPT_XCOPY_MAX_DESC_LIST_LEN);
	ispt_spc_put_be32(b, ISPT_XCOPY_MAX_SEGMENT_BYTES);
	ispt_spc_put_be32(b, 0);	/* MAXIMUM INLINE DATA LENGTH */
	ispt_spc_put_be32(b, 0);	/* HELD DATA LIMIT: only statuses */
	ispt_spc_put_be32(b, 0);	/* MAXIMUM STREAM DEVICE TRANSFER */
	ispt_spc_put_be16(b, 0);
	ispt_spc_put_be16(b, 1);	/* TOTAL CONCURRENT COPIES */
	ispt_spc_put_u8(b, 1);		/* MAXIMUM CONCURRENT COPIES */
	ispt_spc_put_u8(b, 9);		/* DATA SEGMENT GRANULARITY: 512 */
	ispt_spc_put_u8(b, 0);		/* INLINE DATA GRANULARITY */
	ispt_spc_put_u8(b, 0);		/* HELD DATA GRANULARITY */
	ispt_spc_put_zero(b, 3);
	ispt_spc_put_u8(b, 2);		/* IMPLEMENTED DESCRIPTOR LIST LENGTH */
	ispt_spc_put_u8(b, SEG_B2B);
	ispt_spc_put_u8(b, TGT_IDENT);
}

/*
 * TRANSFER COUNT is 32 bits with a unit exponent: bytes while they fit,
 * then KiB, MiB...
 */
static void copy_status(struct ispt_spc_buf *b, u8 status, u16 segments,
			u64 bytes)
{
	u8 units = 0;

	while (bytes > U32_MAX) {
		bytes >>= 10;
		units++;
	}
	ispt_spc_put_be32(b, 8);		/* AVAILABLE DATA */
	ispt_spc_put_u8(b, status);		/* HDD=0 */
	ispt_spc_put_be16(b, segments);
	ispt_spc_put_u8(b, units);
	ispt_spc_put_be32(b, bytes);
}

/*
 * FAILED SEGMENT DETAILS (SPC-4): the copy's status and sense data, in
 * fixed format; a copy that did not fail has none (AVAILABLE DATA 0).
 */
static void failed_segment(struct ispt_spc_buf *b,
			   const struct ispt_sense *sense, bool failed)
{
	u8 sd[ISPT_SENSE_MAX_LEN];
	u32 n, i;

	if (!failed) {
		ispt_spc_put_be32(b, 0);
		return;
	}
	n = ispt_sense_build(sense, false, sd, sizeof(sd));
	ispt_spc_put_be32(b, FAILED_SEG_HDR_LEN - 4 + n); /* AVAILABLE DATA */
	ispt_spc_put_zero(b, 52);
	ispt_spc_put_u8(b, SAM_STAT_CHECK_CONDITION);	/* COPY COMMAND STATUS */
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_be16(b, n);			/* SENSE DATA LENGTH */
	for (i = 0; i < n; i++)
		ispt_spc_put_u8(b, sd[i]);
}

/**
 * ispt_xcopy_results() - RECEIVE COPY RESULTS data
 * @cmd: the decoded command; @cmd->sense is set on failure
 * @res: the I_T nexus's held statuses
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 * @out_len: the full length of the data, on success
 *
 * COPY STATUS, RECEIVE DATA (we hold no data: AVAILABLE DATA 0) and
 * FAILED SEGMENT DETAILS name a copy by its list identifier.
 *
 * Return: SAM_STAT_GOOD, or CHECK CONDITION (INVALID FIELD IN CDB) when
 * they ask for a list identifier we hold nothing for.
 */
enum sam_status ispt_xcopy_results(struct ispt_scsi_cmd *cmd,
				   const struct ispt_xcopy_results *res,
				   u8 *buf, u32 len, u32 *out_len)
{
	struct ispt_spc_buf b;
	unsigned int i;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	if (cmd->service_action == ISPT_RCR_OPERATING_PARAMS) {
		op_params(&b);
		*out_len = b.pos;
		return SAM_STAT_GOOD;
	}
	for (i = 0; i < ISPT_XCOPY_MAX_RESULTS; i++) {
		if (!res->r[i].valid || res->r[i].list_id != cmd->copy.list_id)
			continue;
		if (cmd->service_action == ISPT_RCR_RECEIVE_DATA)
			ispt_spc_put_be32(&b, 0);	/* no data is held */
		else if (cmd->service_action == ISPT_RCR_FAILED_SEGMENTS)
			failed_segment(&b, &res->r[i].sense, res->r[i].failed);
		else
			copy_status(&b, res->r[i].status, res->r[i].segments,
				    res->r[i].bytes);
		*out_len = b.pos;
		return SAM_STAT_GOOD;
	}
	cmd->sense = ispt_sense_invalid_cdb_field(2, -1);
	return SAM_STAT_CHECK_CONDITION;
}
