// SPDX-License-Identifier: GPL-2.0
/*
 * Block commands beyond READ, WRITE and SYNCHRONIZE CACHE (which cmd.c
 * runs itself): each gets the decoded CDB and, for data-out commands,
 * its parameter data in the command's pages; see cmd.h for the API.
 *
 * Like READ and WRITE, nothing here sleeps: pages and bios are
 * GFP_NOWAIT, bios carry REQ_NOWAIT where the device allows it, and
 * discard and write zeroes bios are cut here to the queue's limits
 * because the block layer's split of them may sleep. Commands that move
 * more than one batch of bios (WRITE SAME, UNMAP) go in steps: each
 * step's last bio ends in the owner, which starts the next one, so a
 * command never has more than a bounded number of bios in flight and a
 * device queue of ordinary depth does not turn it into TASK SET FULL.
 *
 * Compares (VERIFY with BYTCHK, WRITE AND VERIFY, COMPARE AND WRITE) read
 * the medium into pages of their own next to the data-out and compare in
 * the worker; nothing read is sent back to the initiator.
 *
 * COMPARE AND WRITE and ORWRITE hold their LBA range exclusive
 * (lbalock.c) from before their read to the end of their write; WRITE,
 * WRITE SAME, WRITE AND VERIFY and UNMAP hold theirs shared, so no write
 * of any session lands between the read and the write.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include "cmd.h"
#include "conn.h"
#include "lun.h"
#include "mode.h"
#include "sbc_decode.h"
#include "scsi.h"
#include "session.h"

/* Discard or write zeroes bios one step of a command may have in flight */
#define SBC_STEP_BIOS		32
/* Bytes of WRITE SAME pattern writes per step, and the pattern's pages */
#define SBC_STEP_BYTES		SZ_8M
#define SBC_PATTERN_BYTES	SZ_1M

/* How a WRITE SAME writes (ispt_sbc_state.mode) */
enum {
	SBC_WS_PATTERN,		/* the block replicated into write bios */
	SBC_WS_ZEROES,		/* REQ_OP_WRITE_ZEROES, kept mapped */
	SBC_WS_ZEROES_UNMAP,	/* REQ_OP_WRITE_ZEROES, may deallocate */
	SBC_WS_DISCARD,		/* REQ_OP_DISCARD */
};

/* UNMAP parameter list: an 8-byte header, then 16-byte descriptors */
#define UNMAP_HDR_LEN		8
#define UNMAP_DESC_LEN		16

static u32 lu_bs(const struct ispt_cmd *cmd)
{
	return cmd->lun->desc.block_size;
}

/* Back-pressure, as cmd.c gives it: the initiator retries. */
static void sbc_busy(struct ispt_cmd *cmd)
{
	cmd->sam_status = SAM_STAT_TASK_SET_FULL;
	cmd->data_in_len = 0;
	ispt_cmd_complete(cmd);
}

/*
 * After a step's bios: end @cmd if they failed (or it was aborted
 * meanwhile, which ends it silently) and say so. @write picks the sense
 * of a medium error.
 */
static bool sbc_step_failed(struct ispt_cmd *cmd, bool write)
{
	switch (cmd->status) {
	case BLK_STS_OK:
		if (!cmd->aborted)
			return false;
		ispt_cmd_complete(cmd);
		return true;
	case BLK_STS_AGAIN:
	case BLK_STS_RESOURCE:
	case BLK_STS_DEV_RESOURCE:
		sbc_busy(cmd);
		return true;
	case BLK_STS_NOTSUPP:
		ispt_cmd_fail(cmd, ispt_sense_invalid_opcode());
		return true;
	default:
		ispt_cmd_fail(cmd, write ? ispt_sense_write_error(cmd->scsi.lba) :
				     ispt_sense_read_error(cmd->scsi.lba));
		return true;
	}
}

/* In the owner: the range asked for in ispt_sbc_lock() is now held. */
static void sbc_lock_granted(struct ispt_cmd *cmd)
{
	cmd->io_done = NULL;
	if (cmd->aborted) {
		ispt_cmd_complete(cmd);
		return;
	}
	cmd->sbc.then(cmd);
}

/* Any context: a waiting range was granted; run on in the owner. */
static void sbc_lock_resume(struct ispt_lba_range *r)
{
	struct ispt_cmd *cmd = container_of(r, struct ispt_cmd, sbc.range);

	ispt_work_post(&cmd->conn->work, &cmd->post);
}

/**
 * ispt_sbc_lock - hold blocks [@lba, @lba + @nr) against other writes
 * @cmd: the command, in its owner
 * @lba: first block
 * @nr: blocks
 * @exclusive: against every other write (COMPARE AND WRITE), or only
 *	against the exclusive ones (plain writes)
 * @then: where @cmd goes on, in the owner, if it has to wait
 *
 * A command holds one range, until it is freed. Asking again while it
 * holds it (as @then does when it runs) succeeds at once. While it
 * waits the command counts as submitted: teardown and task management
 * wait for it as they wait for bios.
 *
 * Return: true if @cmd holds the range now; false if @then will run.
 */
bool ispt_sbc_lock(struct ispt_cmd *cmd, u64 lba, u64 nr, bool exclusive,
		   void (*then)(struct ispt_cmd *cmd))
{
	struct ispt_sbc_state *st = &cmd->sbc;

	if (st->range_used)
		return true;
	ispt_lba_range_init(&st->range, lba, nr, exclusive, sbc_lock_resume);
	st->range_used = true;
	st->then = then;
	/* Set before: once queued, the grant may come on any CPU. */
	cmd->io_done = sbc_lock_granted;
	cmd->submitted = true;
	if (!ispt_lba_lock_acquire(&cmd->lun->lba_lock, &st->range))
		return false;
	cmd->io_done = NULL;
	return true;
}

/* cmd.c, when @cmd is freed: give its range back (or stop waiting). */
void ispt_sbc_release(struct ispt_cmd *cmd)
{
	if (!cmd->sbc.range_used)
		return;
	ispt_lba_lock_release(&cmd->lun->lba_lock, &cmd->sbc.range);
	cmd->sbc.range_used = false;
}

/*
 * Walk @len bytes of @cmd's pages at byte offsets @a and @b in pieces
 * that lie within one page on both sides, handing each to @piece until
 * it returns false (with @off, where in the piece it stopped). Both
 * regions are whole pages but their last, so an offset names its page.
 *
 * Return: true if every piece was taken; false with @where, the offset
 * from @a at which @piece stopped.
 */
static bool sbc_pages_walk(struct ispt_cmd *cmd, u32 a, u32 b, u32 len,
			   bool (*piece)(u8 *pa, u8 *pb, u32 n, u32 *off),
			   u32 *where)
{
	u32 done = 0;

	while (done < len) {
		u32 oa = (a + done) % PAGE_SIZE, ob = (b + done) % PAGE_SIZE;
		u32 n = min3(len - done, (u32)PAGE_SIZE - oa,
			     (u32)PAGE_SIZE - ob);
		u8 *pa = kmap_local_page(cmd->bvec[(a + done) / PAGE_SIZE].bv_page);
		u8 *pb = kmap_local_page(cmd->bvec[(b + done) / PAGE_SIZE].bv_page);
		bool go_on;
		u32 off = 0;

		go_on = piece(pa + oa, pb + ob, n, &off);
		kunmap_local(pb);
		kunmap_local(pa);
		if (!go_on) {
			*where = done + off;
			return false;
		}
		done += n;
	}
	return true;
}

static bool sbc_piece_equal(u8 *pa, u8 *pb, u32 n, u32 *off)
{
	return ispt_sbc_compare(pa, pb, n, off);
}

/* Compare @len bytes at @a and @b; on a difference @where is from @a. */
static bool sbc_pages_equal(struct ispt_cmd *cmd, u32 a, u32 b, u32 len,
			    u32 *where)
{
	return sbc_pages_walk(cmd, a, b, len, sbc_piece_equal, where);
}

static bool sbc_piece_or(u8 *pa, u8 *pb, u32 n, u32 *off)
{
	ispt_sbc_or(pa, pb, n);
	return true;
}

/* Pages for @len bytes after the data-out: the region starts at aux. */
static int sbc_alloc_aux(struct ispt_cmd *cmd, u32 len)
{
	cmd->sbc.aux = cmd->nr_pages * PAGE_SIZE;
	cmd->sbc.aux_len = len;
	return ispt_cmd_alloc_pages(cmd, len);
}

/* Read @nr blocks from @lba into the aux region; @done runs after. */
static void sbc_read_aux(struct ispt_cmd *cmd, u64 lba, u32 nr,
			 void (*done)(struct ispt_cmd *cmd))
{
	if (sbc_alloc_aux(cmd, nr * lu_bs(cmd))) {
		sbc_busy(cmd);
		return;
	}
	cmd->io_done = done;
	ispt_cmd_io_begin(cmd);
	ispt_cmd_io_pages(cmd, REQ_OP_READ, ispt_cmd_lba_to_sector(cmd, lba),
			  cmd->sbc.aux, cmd->sbc.aux_len);
	ispt_cmd_io_end(cmd);
}

/*
 * The most sectors one discard or write zeroes bio may take from @sector
 * without the block layer splitting it (blk-merge.c's rules for these
 * operations): a split allocates with GFP_NOIO and may sleep.
 */
static u64 sbc_cut(struct block_device *bdev, bool zeroes, sector_t sector,
		   u64 left)
{
	const struct queue_limits *lim = &bdev_get_queue(bdev)->limits;
	u64 max = round_down(UINT_MAX, lim->logical_block_size) >> SECTOR_SHIFT;
	u32 gran, tmp;

	if (zeroes)
		return min3(left, max, (u64)lim->max_write_zeroes_sectors);

	gran = max(lim->discard_granularity >> SECTOR_SHIFT, 1U);
	max = min_t(u64, max, lim->max_discard_sectors);
	if (max >= gran)
		max -= max % gran;
	if (left <= max)
		return left;
	/* End on a granule, where the next bio starts aligned. */
	tmp = (sector + max - ((lim->discard_alignment >> SECTOR_SHIFT) %
			       gran)) % gran;
	if (max > tmp)
		max -= tmp;
	return max;
}

/*
 * Bios of @opf (discard, or write zeroes if @zeroes) over blocks [lba, lba + left) of
 * the state, at most @budget of them; the state moves past what they
 * cover. Returns how many bios it used.
 */
static unsigned int sbc_submit_nodata(struct ispt_cmd *cmd, bool zeroes,
				      blk_opf_t opf, unsigned int budget)
{
	struct ispt_sbc_state *st = &cmd->sbc;
	u32 spb = lu_bs(cmd) >> SECTOR_SHIFT;
	unsigned int used = 0;

	while (st->left && used < budget) {
		sector_t sector = ispt_cmd_lba_to_sector(cmd, st->lba);
		u64 n = sbc_cut(cmd->lun->bdev, zeroes, sector,
				st->left * spb);
		struct bio *bio;

		n -= n % spb;
		if (!n) {
			/* Limits below one block: the device cannot do it. */
			cmpxchg(&cmd->status, BLK_STS_OK, BLK_STS_NOTSUPP);
			return used;
		}
		bio = ispt_cmd_bio_alloc(cmd, opf, sector, 0);
		if (!bio)
			return used;
		bio->bi_iter.bi_size = n << SECTOR_SHIFT;
		submit_bio(bio);
		used++;
		st->lba += n / spb;
		st->left -= n / spb;
	}
	return used;
}

/* UNMAP: one step of discard bios over the descriptors still to do. */
static void sbc_unmap_step(struct ispt_cmd *cmd);

static void sbc_unmap_next(struct ispt_cmd *cmd)
{
	if (sbc_step_failed(cmd, true))
		return;
	if (cmd->sbc.left || cmd->sbc.desc < cmd->sbc.nr_descs)
		sbc_unmap_step(cmd);
	else
		ispt_cmd_complete(cmd);
}

static void sbc_unmap_step(struct ispt_cmd *cmd)
{
	struct ispt_sbc_state *st = &cmd->sbc;
	unsigned int used = 0;
	u8 d[UNMAP_DESC_LEN];

	cmd->io_done = sbc_unmap_next;
	ispt_cmd_io_begin(cmd);
	while (used < SBC_STEP_BIOS && cmd->status == BLK_STS_OK) {
		if (!st->left) {
			if (st->desc == st->nr_descs)
				break;
			ispt_cmd_copy_from_pages(cmd, UNMAP_HDR_LEN +
						 st->desc * UNMAP_DESC_LEN,
						 d, sizeof(d));
			st->lba = get_unaligned_be64(d);
			st->left = get_unaligned_be32(&d[8]);
			st->desc++;
			continue;
		}
		used += sbc_submit_nodata(cmd, false, REQ_OP_DISCARD,
					  SBC_STEP_BIOS - used);
	}
	ispt_cmd_io_end(cmd);
}

/* UNMAP, its blocks held: the discards, descriptor after descriptor. */
static void sbc_unmap_begin(struct ispt_cmd *cmd)
{
	cmd->sbc.desc = 0;
	cmd->sbc.left = 0;
	sbc_unmap_step(cmd);
}

/*
 * UNMAP: the parameter list is checked whole first (every descriptor in
 * range, their sum within the MAXIMUM UNMAP LBA COUNT of VPD page 0xb0,
 * at most ISPT_SCSI_MAX_UNMAP_DESCS of them), so that a bad descriptor
 * never stops it half way. A list shorter than the CDB says (a short
 * EDTL) is judged as it arrived.
 */
static void sbc_unmap(struct ispt_cmd *cmd)
{
	/*
	 * ispt_scsi_unmap_check() reads no further than the descriptors
	 * the header announces, once it has seen that they were all sent
	 * and are few enough: this much of the list, never more.
	 */
	u32 len = min_t(u32, cmd->io_len, UNMAP_HDR_LEN +
			ISPT_SCSI_MAX_UNMAP_DESCS * UNMAP_DESC_LEN);
	struct ispt_scsi_unmap_plan plan;
	enum sam_status ok;
	u8 *list;

	if (!cmd->io_len) {
		ispt_cmd_complete(cmd);		/* no parameter list */
		return;
	}
	list = kmalloc(len, GFP_NOWAIT | __GFP_NOWARN);
	if (!list) {
		sbc_busy(cmd);
		return;
	}
	ispt_cmd_copy_from_pages(cmd, 0, list, len);
	ok = ispt_scsi_unmap_check(&cmd->scsi, &cmd->lun->desc, list,
				   cmd->io_len, &plan);
	kfree(list);
	if (ok != SAM_STAT_GOOD) {
		ispt_cmd_fail(cmd, cmd->scsi.sense);
		return;
	}
	if (!plan.nr_blocks) {
		ispt_cmd_complete(cmd);		/* nothing to discard */
		return;
	}
	cmd->sbc.nr_descs = plan.nr_descs;
	/*
	 * One range covers every descriptor, held shared: an UNMAP is a
	 * write, and a COMPARE AND WRITE or ORWRITE of those blocks must not
	 * see it land between its read and its write.
	 */
	if (ispt_sbc_lock(cmd, plan.lba, plan.nr_blocks, false,
			  sbc_unmap_begin))
		sbc_unmap_begin(cmd);
}

/* WRITE SAME: one step of bios; the next from sbc_ws_next(). */
static void sbc_ws_step(struct ispt_cmd *cmd);

static void sbc_ws_next(struct ispt_cmd *cmd)
{
	if (sbc_step_failed(cmd, true))
		return;
	if (cmd->sbc.left)
		sbc_ws_step(cmd);
	else
		ispt_cmd_complete(cmd);
}

static void sbc_ws_step(struct ispt_cmd *cmd)
{
	struct ispt_sbc_state *st = &cmd->sbc;
	u32 bs = lu_bs(cmd), bytes = 0;

	cmd->io_done = sbc_ws_next;
	ispt_cmd_io_begin(cmd);
	switch (st->mode) {
	case SBC_WS_DISCARD:
		sbc_submit_nodata(cmd, false, REQ_OP_DISCARD, SBC_STEP_BIOS);
		break;
	case SBC_WS_ZEROES:
		sbc_submit_nodata(cmd, true, REQ_OP_WRITE_ZEROES | REQ_NOUNMAP,
				  SBC_STEP_BIOS);
		break;
	case SBC_WS_ZEROES_UNMAP:
		sbc_submit_nodata(cmd, true, REQ_OP_WRITE_ZEROES, SBC_STEP_BIOS);
		break;
	default:
		/* The same pattern pages under every bio: writes only read. */
		while (st->left && bytes < SBC_STEP_BYTES) {
			u32 n = min_t(u64, st->left, st->aux_len / bs);

			if (ispt_cmd_io_pages(cmd, REQ_OP_WRITE,
					      ispt_cmd_lba_to_sector(cmd, st->lba),
					      st->aux, n * bs))
				break;
			st->lba += n;
			st->left -= n;
			bytes += n * bs;
		}
		break;
	}
	ispt_cmd_io_end(cmd);
}

/* Fill the aux pages with copies of the block at the start of the data. */
static void sbc_fill_pattern(struct ispt_cmd *cmd, bool zero)
{
	u32 bs = lu_bs(cmd), off;
	u8 *src = NULL;

	if (!zero)
		src = kmap_local_page(cmd->bvec[0].bv_page);
	for (off = 0; off < cmd->sbc.aux_len; off += bs) {
		u32 at = cmd->sbc.aux + off;
		u8 *dst = kmap_local_page(cmd->bvec[at / PAGE_SIZE].bv_page);

		if (zero)
			memset(dst + at % PAGE_SIZE, 0, bs);
		else
			memcpy(dst + at % PAGE_SIZE, src, bs);
		kunmap_local(dst);
	}
	if (src)
		kunmap_local(src);
}

/*
 * WRITE SAME(10/16), its range held shared. Zeroes (all-zero data, or
 * NDOB) with UNMAP are discarded, which VPD page 0xb2 promises (LBPWS);
 * zeroes without UNMAP become a write zeroes that keeps the blocks
 * mapped where the device has one. Anything else, and zeroes on a
 * device without write zeroes, is the block replicated into pattern
 * pages and written. Data with UNMAP that is not zero is written: SBC-3
 * lets the device server write instead of unmapping, and our unmapped
 * blocks (LBPRZ=0) could not be promised to read back as that data.
 */
static void sbc_write_same(struct ispt_cmd *cmd)
{
	struct block_device *bdev = cmd->lun->bdev;
	u32 bs = lu_bs(cmd), pattern;
	bool zero, unmap = cmd->scsi.flags & ISPT_SCSI_F_UNMAP;
	u8 *p;

	if (!ispt_sbc_lock(cmd, cmd->scsi.lba, cmd->scsi.nr_blocks, false,
			   sbc_write_same))
		return;
	if (cmd->scsi.flags & ISPT_SCSI_F_NDOB) {
		zero = true;
	} else {
		/* Checked at arrival: EDTL was exactly one block (bs <= page) */
		p = kmap_local_page(cmd->bvec[0].bv_page);
		zero = ispt_sbc_all_zero(p, bs);
		kunmap_local(p);
	}
	cmd->sbc.lba = cmd->scsi.lba;
	cmd->sbc.left = cmd->scsi.nr_blocks;
	if (zero && unmap && bdev_max_discard_sectors(bdev))
		cmd->sbc.mode = SBC_WS_DISCARD;
	else if (zero && bdev_write_zeroes_sectors(bdev))
		cmd->sbc.mode = unmap ? SBC_WS_ZEROES_UNMAP : SBC_WS_ZEROES;
	else
		cmd->sbc.mode = SBC_WS_PATTERN;
	if (cmd->sbc.mode == SBC_WS_PATTERN) {
		pattern = min_t(u64, (u64)cmd->scsi.nr_blocks * bs,
				SBC_PATTERN_BYTES);
		if (sbc_alloc_aux(cmd, pattern)) {
			sbc_busy(cmd);
			return;
		}
		sbc_fill_pattern(cmd, cmd->scsi.flags & ISPT_SCSI_F_NDOB);
	}
	sbc_ws_step(cmd);
}

/* The data-out (@nr blocks at 0) against the medium read into aux */
static bool sbc_compare_aux(struct ispt_cmd *cmd, u32 nr)
{
	u32 bs = lu_bs(cmd), where, i;

	if (cmd->scsi.verify.bytchk == ISPT_SCSI_BYTCHK_ONE) {
		/* One block sent, compared with every block read */
		for (i = 0; i < nr; i++) {
			if (!sbc_pages_equal(cmd, 0, cmd->sbc.aux + i * bs, bs,
					     &where)) {
				ispt_cmd_fail(cmd, ispt_sense_miscompare(where));
				return false;
			}
		}
		return true;
	}
	if (!sbc_pages_equal(cmd, 0, cmd->sbc.aux, nr * bs, &where)) {
		ispt_cmd_fail(cmd, ispt_sense_miscompare(where));
		return false;
	}
	return true;
}

static void sbc_verify_read(struct ispt_cmd *cmd)
{
	if (sbc_step_failed(cmd, false))
		return;
	if (cmd->scsi.verify.bytchk == ISPT_SCSI_BYTCHK_NONE ||
	    sbc_compare_aux(cmd, cmd->sbc.aux_len / lu_bs(cmd)))
		ispt_cmd_complete(cmd);
}

/*
 * VERIFY(10/12/16): BYTCHK 0 reads the blocks to see that they can be
 * read; 1 compares them with the blocks sent, 3 each of them with the
 * one block sent. A miscompare is MISCOMPARE / MISCOMPARE DURING VERIFY
 * OPERATION with the offset of the first differing byte in the
 * Data-Out Buffer as INFORMATION. With a short EDTL only the blocks
 * sent are compared (and the residual says so).
 */
static void sbc_verify(struct ispt_cmd *cmd)
{
	u32 bs = lu_bs(cmd), nr = cmd->scsi.nr_blocks;

	if (cmd->scsi.verify.bytchk == ISPT_SCSI_BYTCHK_ALL)
		nr = cmd->io_len / bs;
	else if (cmd->scsi.verify.bytchk == ISPT_SCSI_BYTCHK_ONE &&
		 cmd->io_len < bs)
		nr = 0;
	if (!nr) {
		ispt_cmd_complete(cmd);
		return;
	}
	sbc_read_aux(cmd, cmd->scsi.lba, nr, sbc_verify_read);
}

/* WRITE AND VERIFY: the write has ended; read the blocks back. */
static void sbc_wv_written(struct ispt_cmd *cmd)
{
	if (sbc_step_failed(cmd, true))
		return;
	sbc_read_aux(cmd, cmd->scsi.lba, cmd->io_len / lu_bs(cmd),
		     sbc_verify_read);
}

/*
 * WRITE AND VERIFY(10/12/16), its range held shared: the blocks are
 * written with FUA, so that what is read back is the medium's, then read
 * and compared with what was sent (BYTCHK 1) or only read (BYTCHK 0).
 */
static void sbc_write_verify(struct ispt_cmd *cmd)
{
	u32 nr = cmd->io_len / lu_bs(cmd);

	if (!nr) {
		ispt_cmd_complete(cmd);
		return;
	}
	if (!ispt_sbc_lock(cmd, cmd->scsi.lba, nr, false, sbc_write_verify))
		return;
	cmd->io_done = sbc_wv_written;
	ispt_cmd_io_begin(cmd);
	ispt_cmd_io_pages(cmd, REQ_OP_WRITE | REQ_FUA,
			  ispt_cmd_lba_to_sector(cmd, cmd->scsi.lba), 0,
			  nr * lu_bs(cmd));
	ispt_cmd_io_end(cmd);
}

/* COMPARE AND WRITE: the blocks are read; compare, then write. */
static void sbc_caw_read(struct ispt_cmd *cmd)
{
	u32 len = cmd->scsi.nr_blocks * lu_bs(cmd), where;
	blk_opf_t opf = REQ_OP_WRITE;

	if (sbc_step_failed(cmd, false))
		return;
	if (!sbc_pages_equal(cmd, 0, cmd->sbc.aux, len, &where)) {
		ispt_cmd_fail(cmd, ispt_sense_miscompare(where));
		return;
	}
	if (cmd->scsi.flags & ISPT_SCSI_F_FUA)
		opf |= REQ_FUA;
	cmd->io_done = NULL;	/* the default end of a write */
	ispt_cmd_io_begin(cmd);
	ispt_cmd_io_pages(cmd, opf, ispt_cmd_lba_to_sector(cmd, cmd->scsi.lba),
			  len, len);
	ispt_cmd_io_end(cmd);
}

/*
 * COMPARE AND WRITE: its range is held exclusive from before the read
 * until the command is freed, so no other write (of any session, on any
 * CPU) can land between the compare and the write. The Data-Out Buffer
 * is the blocks to compare, then the blocks to write; arrival checked
 * that EDTL is exactly both.
 */
static void sbc_compare_write(struct ispt_cmd *cmd)
{
	if (!cmd->scsi.nr_blocks) {
		ispt_cmd_complete(cmd);
		return;
	}
	if (!ispt_sbc_lock(cmd, cmd->scsi.lba, cmd->scsi.nr_blocks, true,
			   sbc_compare_write))
		return;
	sbc_read_aux(cmd, cmd->scsi.lba, cmd->scsi.nr_blocks, sbc_caw_read);
}

/* ORWRITE: the blocks are read; OR them into the data-out and write. */
static void sbc_orwrite_read(struct ispt_cmd *cmd)
{
	u32 len = cmd->sbc.aux_len, unused;
	blk_opf_t opf = REQ_OP_WRITE;

	if (sbc_step_failed(cmd, false))
		return;
	/* OR the blocks read (aux) into the data-out, at 0. */
	sbc_pages_walk(cmd, 0, cmd->sbc.aux, len, sbc_piece_or, &unused);
	if (cmd->scsi.flags & ISPT_SCSI_F_FUA)
		opf |= REQ_FUA;
	cmd->io_done = NULL;	/* the default end of a write */
	ispt_cmd_io_begin(cmd);
	ispt_cmd_io_pages(cmd, opf, ispt_cmd_lba_to_sector(cmd, cmd->scsi.lba),
			  0, len);
	ispt_cmd_io_end(cmd);
}

/*
 * ORWRITE(16): read, OR the data-out in, write back, with the range held
 * exclusive from before the read to the end of the write, as COMPARE AND
 * WRITE holds it, so that no other write lands in between and is lost.
 * With a short EDTL only the whole blocks sent are ORed in (the residual
 * says the rest was not).
 */
static void sbc_orwrite(struct ispt_cmd *cmd)
{
	u32 nr = cmd->io_len / lu_bs(cmd);

	if (!nr) {
		ispt_cmd_complete(cmd);
		return;
	}
	if (!ispt_sbc_lock(cmd, cmd->scsi.lba, nr, true, sbc_orwrite))
		return;
	sbc_read_aux(cmd, cmd->scsi.lba, nr, sbc_orwrite_read);
}

/* GET LBA STATUS and READ DEFECT DATA: parameter data built here. */
static void sbc_answer(struct ispt_cmd *cmd)
{
	u8 buf[64] = { };
	u32 len;

	if (cmd->scsi.handler == ISPT_SCSI_DO_GET_LBA_STATUS)
		len = ispt_sbc_get_lba_status(&cmd->scsi, &cmd->lun->desc, buf,
					      sizeof(buf));
	else
		len = ispt_sbc_read_defect(&cmd->scsi, buf, sizeof(buf));
	/* Beyond the buffer (a LU of more than 2^33 blocks) is cut off. */
	len = min3(len, cmd->scsi.alloc_len, (u32)sizeof(buf));
	if (ispt_cmd_set_data_in(cmd, buf, len))
		sbc_busy(cmd);
	else
		ispt_cmd_complete(cmd);
}

/*
 * START STOP UNIT: with POWER CONDITION 0, START moves the LU between
 * ready and stopped (where media access gets NOT READY, INITIALIZING
 * COMMAND REQUIRED); the other power conditions name states we do not
 * have and change nothing. There is no medium to load or eject (RMB=0),
 * so LOEJ does nothing. The change is immediate, so IMMED makes no
 * difference.
 */
static void sbc_start_stop(struct ispt_cmd *cmd)
{
	if (!cmd->scsi.start_stop.power_condition)
		WRITE_ONCE(cmd->lun->stopped,
			   !(cmd->scsi.flags & ISPT_SCSI_F_START));
	ispt_cmd_complete(cmd);
}

/*
 * MODE SELECT(6/10): the parameter list (at most 512 bytes, decoding
 * bounds it) is checked whole and applied under the LU's mode lock
 * (mode.c). A list shorter than the CDB says (a short EDTL) is judged as
 * it arrived. When a current value changed, every other I_T nexus of the
 * target is told MODE PARAMETERS CHANGED (SPC-4 6.11); the one that sent
 * it knows.
 */
static void sbc_mode_select(struct ispt_cmd *cmd)
{
	struct ispt_session *sess = cmd->conn->sess;
	enum sam_status st;
	bool changed;
	u8 *list;

	list = kmalloc(max_t(u32, cmd->io_len, 1), GFP_NOWAIT | __GFP_NOWARN);
	if (!list) {
		sbc_busy(cmd);
		return;
	}
	ispt_cmd_copy_from_pages(cmd, 0, list, cmd->io_len);
	st = ispt_mode_select_apply(&cmd->lun->mode, &cmd->scsi,
				    &cmd->lun->desc, list, cmd->io_len,
				    &changed);
	kfree(list);
	if (st != SAM_STAT_GOOD) {
		ispt_cmd_fail(cmd, cmd->scsi.sense);
		return;
	}
	if (changed)
		ispt_sessions_post_ua(sess->target, cmd->lun->id,
				      ISPT_ASC_MODE_CHANGED, sess);
	ispt_cmd_complete(cmd);
}

/**
 * ispt_sbc_execute - run a decoded command cmd.c does not run itself
 * @cmd: the command, in its owner, its data-out already received
 *
 * Return: 0 when the command has ended or its bios are under way, or
 * -EOPNOTSUPP for a command with no executor (the caller answers
 * INVALID COMMAND OPERATION CODE).
 */
int ispt_sbc_execute(struct ispt_cmd *cmd)
{
	switch (cmd->scsi.handler) {
	case ISPT_SCSI_DO_UNMAP:
		sbc_unmap(cmd);
		return 0;
	case ISPT_SCSI_DO_WRITE_SAME:
		sbc_write_same(cmd);
		return 0;
	case ISPT_SCSI_DO_VERIFY:
		sbc_verify(cmd);
		return 0;
	case ISPT_SCSI_DO_WRITE_VERIFY:
		sbc_write_verify(cmd);
		return 0;
	case ISPT_SCSI_DO_COMPARE_WRITE:
		sbc_compare_write(cmd);
		return 0;
	case ISPT_SCSI_DO_ORWRITE:
		sbc_orwrite(cmd);
		return 0;
	case ISPT_SCSI_DO_GET_LBA_STATUS:
	case ISPT_SCSI_DO_READ_DEFECT:
		sbc_answer(cmd);
		return 0;
	case ISPT_SCSI_DO_START_STOP:
		sbc_start_stop(cmd);
		return 0;
	case ISPT_SCSI_DO_MODE_SELECT:
		sbc_mode_select(cmd);
		return 0;
	case ISPT_SCSI_DO_XCOPY:
		ispt_xcopy_execute(cmd);
		return 0;
	case ISPT_SCSI_DO_RECEIVE_COPY:
		ispt_xcopy_receive(cmd);
		return 0;
	case ISPT_SCSI_DO_SANITIZE:
		ispt_sanitize_execute(cmd);
		return 0;
	case ISPT_SCSI_DO_PREFETCH:
		/*
		 * We keep no cache to load: SBC-3 then wants GOOD, not
		 * CONDITION MET. The range was checked by decode.
		 */
	case ISPT_SCSI_DO_PREVENT_ALLOW:
		/* No removable medium (RMB=0): nothing to lock in. */
		ispt_cmd_complete(cmd);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}
