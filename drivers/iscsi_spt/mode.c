// SPDX-License-Identifier: GPL-2.0
/*
 * Mode parameters: MODE SENSE(6/10) with current, changeable and default
 * values, and MODE SELECT(6/10).
 *
 * Each page is produced by one function from a set of parameter values,
 * and its changeable mask by another, so that MODE SENSE of any kind and
 * the check of a MODE SELECT page (every bit outside the mask must equal
 * the current value, SPC-4 6.11) are built from the same definition.
 */
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/string.h>

#include "compat.h"
#include "mode.h"
#include "scsi.h"
#include "spc.h"

/* Mode parameter header, device-specific parameter (SBC-3) */
#define DEV_WP			0x80
#define DEV_DPOFUA		0x10
#define HDR6_LEN		4
#define HDR10_LEN		8
#define HDR10_LONGLBA		0x01
#define BD_SHORT_LEN		8
#define BD_LONG_LEN		16
#define PAGE_PS			0x80
#define PAGE_SPF		0x40
#define PAGE_CODE		0x3f

/* Page lengths, header included, and the bits we set in them */
#define RW_RECOVERY_LEN		12
#define CACHING_LEN		20
#define CACHING_WCE		0x04
#define CONTROL_LEN		12
#define CONTROL_D_SENSE		0x04
#define CONTROL_TST_PER_NEXUS	0x20	/* a task set per I_T nexus */
#define CONTROL_GLTSD		0x02	/* no log parameters to save */
#define CONTROL_QAM_UNRESTRICTED 0x10
#define CONTROL_SWP		0x08
#define CONTROL_TAS		0x40	/* TASK ABORTED to other nexuses */
#define IEC_LEN			12
#define IEC_DEXCPT		0x08	/* no informational exceptions */
#define MAX_PAGE_LEN		CACHING_LEN

/* Pages in the order "all pages" returns them: ascending page code */
static const u8 mode_pages[] = {
	ISPT_MODE_PAGE_RW_RECOVERY, ISPT_MODE_PAGE_CACHING,
	ISPT_MODE_PAGE_CONTROL, ISPT_MODE_PAGE_IEC,
};

/**
 * ispt_mode_page_supported() - do we have this mode page?
 * @page: PAGE CODE, 0x3f for all pages
 * @subpage: SUBPAGE CODE, 0xff for all subpages
 *
 * Our pages have no subpages, so only subpage 0 and "all" match.
 *
 * Return: true if MODE SENSE can return it.
 */
bool ispt_mode_page_supported(u8 page, u8 subpage)
{
	if (subpage && subpage != ISPT_MODE_ALL_SUBPAGES)
		return false;
	return page == ISPT_MODE_ALL_PAGES ||
	       memchr(mode_pages, page, sizeof(mode_pages));
}

static u32 page_len(u8 page)
{
	switch (page) {
	case ISPT_MODE_PAGE_RW_RECOVERY:
		return RW_RECOVERY_LEN;
	case ISPT_MODE_PAGE_CACHING:
		return CACHING_LEN;
	case ISPT_MODE_PAGE_CONTROL:
		return CONTROL_LEN;
	case ISPT_MODE_PAGE_IEC:
		return IEC_LEN;
	default:
		return 0;
	}
}

/*
 * One page with the values @v. TST=001b (a task set per I_T nexus: cmd.c
 * orders each session's tasks, TMFs reach the session's), QErr=0 (other
 * commands go on after a CHECK CONDITION) and TAS=1 (a task another
 * nexus's reset or PREEMPT AND ABORT aborts ends TASK ABORTED, tmf.c) are
 * what we do; commands run as concurrent bios, so the queue algorithm
 * modifier says unrestricted reordering. RCD=0: the read cache is on.
 */
static u32 page_fill(u8 *p, u8 page, const struct ispt_scsi_mode_params *v)
{
	u32 len = page_len(page);

	memset(p, 0, len);
	p[0] = page;
	p[1] = len - 2;
	switch (page) {
	case ISPT_MODE_PAGE_CACHING:
		if (v->wce)
			p[2] |= CACHING_WCE;
		break;
	case ISPT_MODE_PAGE_CONTROL:
		p[2] = CONTROL_TST_PER_NEXUS | CONTROL_GLTSD |
		       (v->d_sense ? CONTROL_D_SENSE : 0);
		p[3] = CONTROL_QAM_UNRESTRICTED;
		if (v->swp)
			p[4] |= CONTROL_SWP;
		p[5] = CONTROL_TAS;
		break;
	case ISPT_MODE_PAGE_IEC:
		p[2] = IEC_DEXCPT;
		break;
	}
	return len;
}

/* The changeable mask of a page: a one for each bit MODE SELECT sets. */
static u32 page_mask(u8 *p, u8 page, const struct ispt_scsi_lun_desc *lun)
{
	u32 len = page_len(page);

	memset(p, 0, len);
	p[0] = page;
	p[1] = len - 2;
	switch (page) {
	case ISPT_MODE_PAGE_CACHING:
		/* WCE=0 is emulated with FUA, which needs a cache to matter */
		if (lun->write_cache)
			p[2] = CACHING_WCE;
		break;
	case ISPT_MODE_PAGE_CONTROL:
		p[2] = CONTROL_D_SENSE;
		p[4] = CONTROL_SWP;
		break;
	}
	return len;
}

/**
 * ispt_mode_defaults() - the default values of the changeable parameters
 * @lun: the logical unit
 *
 * Return: WCE as the device's cache is, fixed format sense, no software
 * write protection.
 */
struct ispt_scsi_mode_params
ispt_mode_defaults(const struct ispt_scsi_lun_desc *lun)
{
	return (struct ispt_scsi_mode_params){ .wce = lun->write_cache };
}

/**
 * ispt_mode_init() - default values as current values
 * @ms: the LU's mode state
 * @lun: the LU's description, whose @mode becomes the defaults
 */
void ispt_mode_init(struct ispt_mode_state *ms, struct ispt_scsi_lun_desc *lun)
{
	spin_lock_init(&ms->lock);
	lun->mode = ispt_mode_defaults(lun);
}

static struct ispt_scsi_mode_params
mode_current(const struct ispt_scsi_lun_desc *lun)
{
	return (struct ispt_scsi_mode_params){
		.wce = READ_ONCE(lun->mode.wce),
		.d_sense = READ_ONCE(lun->mode.d_sense),
		.swp = READ_ONCE(lun->mode.swp),
	};
}

static void put_block_descriptor(struct ispt_spc_buf *b,
				 const struct ispt_scsi_lun_desc *lun,
				 bool long_lba)
{
	if (long_lba) {
		ispt_spc_put_be64(b, lun->nr_blocks);
		ispt_spc_put_be32(b, 0);
		ispt_spc_put_be32(b, lun->block_size);
		return;
	}
	/* Too many blocks for 32 bits: FFFFFFFFh, as SBC-3 asks */
	ispt_spc_put_be32(b, min_t(u64, lun->nr_blocks, U32_MAX));
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_be16(b, lun->block_size);
}

static void mode_put_page(struct ispt_spc_buf *b, u8 page, u8 pc,
			  const struct ispt_scsi_lun_desc *lun,
			  const struct ispt_scsi_mode_params *v)
{
	u8 p[MAX_PAGE_LEN];
	u32 len;

	if (pc == ISPT_SCSI_PC_CHANGEABLE)
		len = page_mask(p, page, lun);
	else
		len = page_fill(p, page, v);
	ispt_spc_put(b, p, len);
}

/**
 * ispt_mode_sense() - MODE SENSE(6) or (10) data
 * @cmd: the decoded MODE SENSE; decoding already refused unknown pages
 *	and saved values
 * @lun: the logical unit
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * The header, a block descriptor unless DBD (a long one if LLBAA asks),
 * then the page asked for or all of them. Only the pages depend on the
 * page control: the header and the block descriptor are the current
 * ones in every case (SPC-4 6.11).
 *
 * Return: the full length of the data.
 */
u32 ispt_mode_sense(const struct ispt_scsi_cmd *cmd,
		    const struct ispt_scsi_lun_desc *lun, u8 *buf, u32 len)
{
	bool ten = cmd->flags & ISPT_SCSI_F_MODE10;
	bool dbd = cmd->flags & ISPT_SCSI_F_DBD;
	/* LONGLBA describes the descriptors, so none means not long. */
	bool long_lba = ten && !dbd && (cmd->flags & ISPT_SCSI_F_LLBAA);
	struct ispt_scsi_mode_params cur = mode_current(lun), v = cur;
	u8 page = cmd->mode.page, pc = cmd->mode.pc;
	struct ispt_spc_buf b;
	u16 bd_len = 0;
	unsigned int i;
	u8 dev = 0;

	if (pc == ISPT_SCSI_PC_DEFAULT)
		v = ispt_mode_defaults(lun);
	if (!dbd)
		bd_len = long_lba ? BD_LONG_LEN : BD_SHORT_LEN;
	if (lun->read_only || cur.swp)
		dev |= DEV_WP;
	if (lun->fua)
		dev |= DEV_DPOFUA;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	if (ten) {
		ispt_spc_put_be16(&b, 0);	/* MODE DATA LENGTH, patched */
		ispt_spc_put_u8(&b, 0);		/* MEDIUM TYPE */
		ispt_spc_put_u8(&b, dev);
		ispt_spc_put_u8(&b, long_lba ? HDR10_LONGLBA : 0);
		ispt_spc_put_u8(&b, 0);
		ispt_spc_put_be16(&b, bd_len);
	} else {
		ispt_spc_put_u8(&b, 0);
		ispt_spc_put_u8(&b, 0);
		ispt_spc_put_u8(&b, dev);
		ispt_spc_put_u8(&b, bd_len);
	}
	if (bd_len)
		put_block_descriptor(&b, lun, long_lba);

	for (i = 0; i < ARRAY_SIZE(mode_pages); i++)
		if (page == ISPT_MODE_ALL_PAGES || page == mode_pages[i])
			mode_put_page(&b, mode_pages[i], pc, lun, &v);

	/* MODE DATA LENGTH excludes itself; our pages fit in the 6 format. */
	if (ten) {
		ispt_spc_patch_be16(&b, 0, b.pos - 2);
	} else {
		u8 mdl = b.pos - 1;

		ispt_spc_buf_write(&b, 0, &mdl, 1);
	}
	return b.pos;
}

static enum sam_status bad_param(struct ispt_scsi_cmd *cmd, u32 byte, int bit)
{
	cmd->sense = ispt_sense_invalid_param_field(byte, bit);
	return SAM_STAT_CHECK_CONDITION;
}

static enum sam_status bad_length(struct ispt_scsi_cmd *cmd)
{
	cmd->sense = ispt_sense_param_list_length();
	return SAM_STAT_CHECK_CONDITION;
}

/*
 * A block descriptor may restate the geometry, not change it: a block
 * length other than ours, or a capacity other than ours (zero means
 * "unchanged"), would need a FORMAT UNIT we do not have.
 */
static enum sam_status check_block_descriptor(struct ispt_scsi_cmd *cmd,
					      const struct ispt_scsi_lun_desc *lun,
					      const u8 *bd, u32 off, bool long_lba)
{
	u64 blocks, have = lun->nr_blocks;
	u32 block_len;

	if (long_lba) {
		blocks = get_unaligned_be64(bd);
		block_len = get_unaligned_be32(&bd[12]);
	} else {
		blocks = get_unaligned_be32(bd);
		block_len = get_unaligned_be24(&bd[5]);
		have = min_t(u64, have, U32_MAX);
	}
	if (blocks && blocks != have)
		return bad_param(cmd, off, -1);
	if (block_len != lun->block_size)
		return bad_param(cmd, off + (long_lba ? 12 : 5), -1);
	return SAM_STAT_GOOD;
}

/* Check one page against the current values and take its changes. */
static enum sam_status select_page(struct ispt_scsi_cmd *cmd,
				   const struct ispt_scsi_lun_desc *lun,
				   const u8 *p, u32 off,
				   struct ispt_scsi_mode_params *v)
{
	u8 cur[MAX_PAGE_LEN], mask[MAX_PAGE_LEN];
	u8 page = p[0] & PAGE_CODE;
	u32 len, i;

	len = page_fill(cur, page, v);
	page_mask(mask, page, lun);
	for (i = 2; i < len; i++) {
		u8 diff = (p[i] ^ cur[i]) & ~mask[i];

		if (diff)
			return bad_param(cmd, off + i, fls(diff) - 1);
	}
	switch (page) {
	case ISPT_MODE_PAGE_CACHING:
		v->wce = p[2] & CACHING_WCE;
		break;
	case ISPT_MODE_PAGE_CONTROL:
		v->d_sense = p[2] & CONTROL_D_SENSE;
		v->swp = p[4] & CONTROL_SWP;
		break;
	}
	return SAM_STAT_GOOD;
}

/**
 * ispt_mode_select() - check a MODE SELECT parameter list
 * @cmd: the decoded MODE SELECT; @cmd->sense is set on failure
 * @lun: the logical unit
 * @data: the parameter list
 * @len: bytes received, at most the PARAMETER LIST LENGTH
 * @out: the values the list asks for, on success
 *
 * Nothing is applied here: a list is taken whole or not at all, so
 * @out is applied (ispt_mode_select_apply()) only once every page has
 * passed. A page must be one we have, of its exact length, and change
 * only changeable bits. The PS bit is reserved in MODE SELECT and
 * ignored, since initiators echo what MODE SENSE returned.
 *
 * Return: SAM_STAT_GOOD, or SAM_STAT_CHECK_CONDITION with @cmd->sense set.
 */
enum sam_status ispt_mode_select(struct ispt_scsi_cmd *cmd,
				 const struct ispt_scsi_lun_desc *lun,
				 const u8 *data, u32 len,
				 struct ispt_scsi_mode_params *out)
{
	bool ten = cmd->flags & ISPT_SCSI_F_MODE10;
	u32 hdr = ten ? HDR10_LEN : HDR6_LEN, off, bd_len, bd_size;
	bool long_lba = false;

	*out = mode_current(lun);
	if (!len)
		return SAM_STAT_GOOD;
	if (len < hdr)
		return bad_length(cmd);
	if (ten) {
		if (data[2])			/* MEDIUM TYPE */
			return bad_param(cmd, 2, -1);
		long_lba = data[4] & HDR10_LONGLBA;
		bd_len = get_unaligned_be16(&data[6]);
	} else {
		if (data[1])
			return bad_param(cmd, 1, -1);
		bd_len = data[3];
	}
	bd_size = long_lba ? BD_LONG_LEN : BD_SHORT_LEN;
	if (bd_len > len - hdr)
		return bad_length(cmd);
	if (bd_len && bd_len != bd_size)
		return bad_param(cmd, ten ? 6 : 3, -1);
	if (bd_len && check_block_descriptor(cmd, lun, &data[hdr], hdr,
					     long_lba) != SAM_STAT_GOOD)
		return SAM_STAT_CHECK_CONDITION;

	for (off = hdr + bd_len; off < len; off += page_len(data[off] &
							     PAGE_CODE)) {
		u8 page = data[off] & PAGE_CODE;

		if (data[off] & PAGE_SPF)	/* we have no subpages */
			return bad_param(cmd, off, 6);
		if (page == ISPT_MODE_ALL_PAGES || !page_len(page))
			return bad_param(cmd, off, 5);
		if (len - off < 2)
			return bad_length(cmd);
		if (data[off + 1] != page_len(page) - 2)
			return bad_param(cmd, off + 1, -1);
		if (len - off < page_len(page))
			return bad_length(cmd);
		if (select_page(cmd, lun, &data[off], off, out) !=
		    SAM_STAT_GOOD)
			return SAM_STAT_CHECK_CONDITION;
	}
	return SAM_STAT_GOOD;
}

/* Make @p current; the caller holds the lock that orders changes. */
static bool mode_store(struct ispt_mode_state *ms,
		       struct ispt_scsi_lun_desc *lun,
		       const struct ispt_scsi_mode_params *p)
{
	bool changed;

	lockdep_assert_held(&ms->lock);
	changed = lun->mode.wce != p->wce || lun->mode.d_sense != p->d_sense ||
		  lun->mode.swp != p->swp;
	/* Pairs with the READ_ONCE()s of commands on other CPUs. */
	WRITE_ONCE(lun->mode.wce, p->wce);
	WRITE_ONCE(lun->mode.d_sense, p->d_sense);
	WRITE_ONCE(lun->mode.swp, p->swp);
	return changed;
}

/**
 * ispt_mode_apply() - make checked values current
 * @ms: the LU's mode state
 * @lun: the LU's description
 * @p: values from ispt_mode_select()
 *
 * Return: true if a current value changed (other I_T nexuses are then
 * told MODE PARAMETERS CHANGED).
 */
bool ispt_mode_apply(struct ispt_mode_state *ms,
		     struct ispt_scsi_lun_desc *lun,
		     const struct ispt_scsi_mode_params *p)
{
	bool changed;

	spin_lock(&ms->lock);
	changed = mode_store(ms, lun, p);
	spin_unlock(&ms->lock);
	return changed;
}

/**
 * ispt_mode_select_apply() - check a MODE SELECT list and apply it
 * @ms: the LU's mode state
 * @cmd: the decoded MODE SELECT; @cmd->sense is set on failure
 * @lun: the LU's description
 * @data: the parameter list
 * @len: bytes received
 * @changed: set when a current value changed
 *
 * ispt_mode_select() and ispt_mode_apply() under one hold of the lock:
 * a list carries every field of the pages it sends, so two MODE SELECTs
 * on two CPUs, each sending a different page, must not both start from
 * the same current values, or the second would undo the first's page.
 * Never sleeps; the lists are short (decoding bounds them).
 *
 * Return: SAM_STAT_GOOD, or SAM_STAT_CHECK_CONDITION with @cmd->sense set
 * and nothing changed.
 */
enum sam_status ispt_mode_select_apply(struct ispt_mode_state *ms,
				       struct ispt_scsi_cmd *cmd,
				       struct ispt_scsi_lun_desc *lun,
				       const u8 *data, u32 len, bool *changed)
{
	struct ispt_scsi_mode_params p;
	enum sam_status st;

	*changed = false;
	spin_lock(&ms->lock);
	st = ispt_mode_select(cmd, lun, data, len, &p);
	if (st == SAM_STAT_GOOD)
		*changed = mode_store(ms, lun, &p);
	spin_unlock(&ms->lock);
	return st;
}

/**
 * ispt_mode_reset() - a logical unit reset: the defaults become current
 * @ms: the LU's mode state
 * @lun: the LU's description
 *
 * Nothing is ever saved, so SAM-5's "saved values, or the defaults where
 * none were saved" is the defaults.
 *
 * Return: true if a current value changed.
 */
bool ispt_mode_reset(struct ispt_mode_state *ms,
		     struct ispt_scsi_lun_desc *lun)
{
	struct ispt_scsi_mode_params def = ispt_mode_defaults(lun);

	return ispt_mode_apply(ms, lun, &def);
}
