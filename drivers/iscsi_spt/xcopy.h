/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_XCOPY_H
#define ISPT_XCOPY_H

#include <linux/types.h>

#include "scsi.h"

/*
 * EXTENDED COPY (LID1) and RECEIVE COPY RESULTS (SPC-4 6.4, 6.18): the
 * parameter list parsed and checked in full before a block moves, the
 * operating parameters we report, and the copy status kept per I_T nexus.
 * The copy manager is the LU the command addresses; it copies between
 * block LUs of the same target, named by their NAA designator.
 */
#define ISPT_XCOPY_SA_LID1		0x00
#define ISPT_RCR_COPY_STATUS		0x00
#define ISPT_RCR_RECEIVE_DATA		0x01
#define ISPT_RCR_OPERATING_PARAMS	0x03
#define ISPT_RCR_FAILED_SEGMENTS	0x04

/* The descriptors we carry out: identification target, block to block */
#define ISPT_XCOPY_DESC_IDENT		0xe4
#define ISPT_XCOPY_DESC_B2B		0x02

#define ISPT_XCOPY_MAX_TARGETS		4
#define ISPT_XCOPY_MAX_SEGMENTS		16
#define ISPT_XCOPY_MAX_DESC_LIST_LEN	1024
#define ISPT_XCOPY_HDR_LEN		16
#define ISPT_XCOPY_MAX_RESULTS		4	/* held copy statuses */
#define ISPT_XCOPY_MAX_SEGMENT_BYTES	(0xffffU * 4096U)
#define ISPT_XCOPY_CHUNK		(1024U * 1024)	/* read, then written */
#define ISPT_XCOPY_RETRY_MAX_MS		64

/* Copy manager status of RECEIVE COPY RESULTS, COPY STATUS */
#define ISPT_XCOPY_DONE			0x01
#define ISPT_XCOPY_DONE_WITH_ERRORS	0x02

/* A copy target: an LU named by the 8-byte NAA designator of page 0x83 */
struct ispt_xcopy_target {
	u64	naa;
	u32	block_size;		/* DISK BLOCK LENGTH, 0: not given */
};

/* A block device to block device segment (descriptor type 02h) */
struct ispt_xcopy_segment {
	u16	src;			/* target descriptor indexes */
	u16	dst;
	u16	nr_blocks;
	bool	dc;			/* nr_blocks counts destination blocks */
	u64	src_lba;
	u64	dst_lba;
	u32	offset;			/* of the descriptor, for sense data */
};

/* A checked segment, as the executor carries it out */
struct ispt_xcopy_plan {
	u64	src_lba;
	u64	dst_lba;
	u64	bytes;			/* whole blocks of both LUs */
	bool	backward;		/* overlap on one LU: copy from the end */
};

/*
 * Where the I/O of a chunk stands. The chunk sits in the copy's pages;
 * bios move one part of it at a time, a part being the whole chunk until
 * a shortage (a full device queue, no memory for a bio) halves it, and
 * success doubles it back. A part that fell short is moved again from
 * the pages: reading a source or writing a destination block twice gives
 * the same blocks, so the copy never has to start over.
 */
struct ispt_xcopy_part {
	u32		chunk;		/* bytes of the chunk */
	u32		off;		/* of the part in the chunk */
	u32		len;		/* of the part */
	u32		size;		/* parts are this long now */
	u32		gran;		/* whole blocks of both LUs */
	unsigned int	retries;	/* shortages in a row */
};

/* How the bios of a part ended */
enum ispt_xcopy_io {
	ISPT_XCOPY_IO_OK,
	ISPT_XCOPY_IO_SHORT,		/* a shortage: nothing is wrong */
	ISPT_XCOPY_IO_ERROR,		/* the medium or the device failed */
};

/* What the executor does next */
enum ispt_xcopy_next {
	ISPT_XCOPY_NEXT_PART,		/* the next part of the chunk */
	ISPT_XCOPY_STEP_DONE,		/* the chunk is read (or written) */
	ISPT_XCOPY_RETRY,		/* the same part, smaller, later */
	ISPT_XCOPY_FAIL,		/* COPY ABORTED */
};

struct ispt_xcopy_list {
	u8				list_id;
	bool				hold;	/* keep the status for RCR */
	bool				unique;	/* list_id names a copy in use */
	u16				nr_targets;
	u16				nr_segments;
	struct ispt_xcopy_target	tgt[ISPT_XCOPY_MAX_TARGETS];
	struct ispt_xcopy_segment	seg[ISPT_XCOPY_MAX_SEGMENTS];
};

/*
 * Copy statuses held for an I_T nexus, and the list identifiers of its
 * copies under way; its own worker is the only user.
 */
struct ispt_xcopy_results {
	u64		running[4];	/* a bit per list identifier */
	unsigned int	next;
	struct {
		bool	valid;
		u8	list_id;
		u8	status;
		u16	segments;
		u64	bytes;
		bool	failed;		/* @sense: why it stopped */
		struct ispt_sense sense;
	} r[ISPT_XCOPY_MAX_RESULTS];
};

/* xcopy.c APIs: */
enum sam_status ispt_xcopy_parse(struct ispt_scsi_cmd *cmd, const u8 *data,
				 u32 len, struct ispt_xcopy_list *list);
struct ispt_sense ispt_xcopy_sense(const struct ispt_xcopy_list *list,
				   unsigned int seg, u16 asc_ascq);
enum sam_status
ispt_xcopy_check_targets(struct ispt_scsi_cmd *cmd,
			 const struct ispt_xcopy_list *list,
			 const struct ispt_scsi_lun_desc *const *tgt);
enum sam_status
ispt_xcopy_check_segment(struct ispt_scsi_cmd *cmd,
			 const struct ispt_xcopy_list *list, unsigned int i,
			 const struct ispt_scsi_lun_desc *const *tgt,
			 struct ispt_xcopy_plan *plan);
bool ispt_xcopy_claim(struct ispt_xcopy_results *res,
		      const struct ispt_xcopy_list *list);
void ispt_xcopy_unclaim(struct ispt_xcopy_results *res,
			const struct ispt_xcopy_list *list);
enum sam_status
ispt_xcopy_check_writable(struct ispt_scsi_cmd *cmd,
			  const struct ispt_xcopy_list *list,
			  const struct ispt_scsi_lun_desc *const *tgt);
void ispt_xcopy_chunk(const struct ispt_xcopy_plan *plan, u64 done,
		      u64 *pos, u32 *len);
void ispt_xcopy_part_begin(struct ispt_xcopy_part *p, u32 chunk);
enum ispt_xcopy_next ispt_xcopy_part_end(struct ispt_xcopy_part *p,
					 enum ispt_xcopy_io io);
unsigned int ispt_xcopy_retry_ms(const struct ispt_xcopy_part *p);
void ispt_xcopy_hold(struct ispt_xcopy_results *res,
		     const struct ispt_xcopy_list *list, u8 status,
		     u16 segments, u64 bytes);
void ispt_xcopy_hold_sense(struct ispt_xcopy_results *res,
			   const struct ispt_xcopy_list *list,
			   const struct ispt_sense *sense);
enum sam_status ispt_xcopy_results(struct ispt_scsi_cmd *cmd,
				   const struct ispt_xcopy_results *res,
				   u8 *buf, u32 len, u32 *out_len);

#endif /* ISPT_XCOPY_H */
