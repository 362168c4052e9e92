// SPDX-License-Identifier: GPL-2.0
/*
 * xcopy.c from the wire: an input is a control byte, then an EXTENDED
 * COPY (LID1) parameter list. A list that parses is checked against
 * three LUs (two of them known by their NAA, block sizes from the control
 * byte), its segments planned and walked in chunks and parts with the
 * I/O results taken from the list's own bytes, its list identifier taken
 * and given back, and its status held and read back through each
 * RECEIVE COPY RESULTS service action, into buffers sized exactly.
 */
#include "scsi.h"
#include "xcopy.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

static struct ispt_scsi_lun_desc lus[3];

/* @p lives from segment to segment, as in xcopy_exec.c */
static void walk(struct ispt_xcopy_part *part,
		 const struct ispt_xcopy_plan *plan, u32 gran, const u8 *io,
		 size_t n)
{
	struct ispt_xcopy_part p = *part;
	u64 done, pos, steps = 0;
	u32 len;

	p.gran = gran;

	for (done = 0; done < plan->bytes; done += len) {
		ispt_xcopy_chunk(plan, done, &pos, &len);
		CHECK(len && len <= ISPT_XCOPY_CHUNK && len % gran == 0);
		CHECK(pos + len <= plan->bytes);
		ispt_xcopy_part_begin(&p, len);
		for (;;) {
			enum ispt_xcopy_io r = n ? io[steps % n] % 3 : 0;
			enum ispt_xcopy_next next;

			CHECK(p.len && p.off + p.len <= len && p.len % gran == 0);
			/* A shortage forever would never end: stop trying */
			if (++steps > 4096)
				r = ISPT_XCOPY_IO_OK;
			next = ispt_xcopy_part_end(&p, r);
			CHECK(ispt_xcopy_retry_ms(&p) >= 1);
			CHECK(ispt_xcopy_retry_ms(&p) <= ISPT_XCOPY_RETRY_MAX_MS);
			if (next == ISPT_XCOPY_FAIL) {
				*part = p;
				return;
			}
			if (next == ISPT_XCOPY_STEP_DONE)
				break;
		}
		CHECK(p.off == len);
	}
	*part = p;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const struct ispt_scsi_lun_desc *tgt[ISPT_XCOPY_MAX_TARGETS] = { };
	static struct ispt_xcopy_results res;
	struct ispt_xcopy_list list;
	struct ispt_xcopy_part part = { .size = ISPT_XCOPY_CHUNK };
	struct ispt_xcopy_plan plan;
	struct ispt_scsi_cmd cmd;
	u8 cdb[16] = { EXTENDED_COPY }, *copy;
	unsigned int i, j;
	u8 ctl, out[128];
	u32 n;

	if (size < 1)
		return 0;
	ctl = data[0];
	data++;
	size--;
	for (i = 0; i < 3; i++) {
		lus[i] = (struct ispt_scsi_lun_desc){
			.nr_blocks = 0x20000 >> (ctl >> (2 * i) & 3),
			.block_size = 512u << (ctl >> (2 * i) & 3),
			.naa_id = 0x3000000000000001ULL + i,
			.read_only = ctl >> 6 & 1,
		};
		lus[i].mode.swp = ctl >> 7;
	}
	put_unaligned_be32(size, &cdb[10]);
	if (ispt_scsi_decode(&cmd, cdb, 16, &lus[0]) != SAM_STAT_GOOD)
		return 0;
	/* Exactly sized: a read past the list is ASan's to see */
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	if (ispt_xcopy_parse(&cmd, copy, size, &list) != SAM_STAT_GOOD)
		goto out;
	CHECK(list.nr_targets <= ISPT_XCOPY_MAX_TARGETS);
	CHECK(list.nr_segments <= ISPT_XCOPY_MAX_SEGMENTS);
	for (i = 0; i < list.nr_targets; i++)
		for (j = 0; j < 2; j++)
			if (list.tgt[i].naa == lus[j].naa_id)
				tgt[i] = &lus[j];
	if (ispt_xcopy_claim(&res, &list)) {
		CHECK(!list.unique || !ispt_xcopy_claim(&res, &list));
		ispt_xcopy_unclaim(&res, &list);
	}
	if (ispt_xcopy_check_targets(&cmd, &list, tgt) != SAM_STAT_GOOD)
		goto out;
	for (i = 0; i < list.nr_segments; i++) {
		if (ispt_xcopy_check_segment(&cmd, &list, i, tgt, &plan) !=
		    SAM_STAT_GOOD) {
			struct ispt_sense s = ispt_xcopy_sense(&list, i, 0x0d02);

			ispt_xcopy_hold(&res, &list, ISPT_XCOPY_DONE_WITH_ERRORS,
					i, 0);
			ispt_xcopy_hold_sense(&res, &list, &s);
			break;
		}
		CHECK(plan.bytes <= ISPT_XCOPY_MAX_SEGMENT_BYTES);
		walk(&part, &plan, max(tgt[list.seg[i].src]->block_size,
				tgt[list.seg[i].dst]->block_size),
		     copy, min_t(size_t, size, 64));
	}
	if (i == list.nr_segments) {
		ispt_xcopy_check_writable(&cmd, &list, tgt);
		ispt_xcopy_hold(&res, &list, ISPT_XCOPY_DONE, i, 0);
	}
	/* Each service action, for this list, into a buffer cut short */
	for (i = 0; i <= ISPT_RCR_FAILED_SEGMENTS; i++) {
		u8 rcr[16] = { RECEIVE_COPY_RESULTS, i, list.list_id };
		struct ispt_scsi_cmd r;
		u32 cut = ctl % sizeof(out);
		u8 *buf = malloc(cut ? cut : 1);

		put_unaligned_be32(sizeof(out), &rcr[10]);
		if (ispt_scsi_decode(&r, rcr, 16, &lus[0]) == SAM_STAT_GOOD &&
		    ispt_xcopy_results(&r, &res, buf, cut, &n) == SAM_STAT_GOOD)
			CHECK(n <= sizeof(out));
		free(buf);
	}
out:
	free(copy);
	return 0;
}
