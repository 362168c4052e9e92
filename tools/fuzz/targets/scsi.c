// SPDX-License-Identifier: GPL-2.0
/*
 * scsi.c and spc.c from the wire: an input is a logical unit description
 * (32 bytes, made valid or dropped for "no LU"), a CDB (first byte gives
 * its length, up to 32), an allocation size for the answer, then a
 * parameter list (UNMAP). Decoded commands run through the builder that
 * would answer them, into buffers sized exactly, so that ASan sees any
 * write past what the caller gave.
 */
#include "mode.h"
#include "scsi.h"
#include "spc.h"

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

struct cursor {
	const u8 *p;
	size_t left;
};

static u32 take(struct cursor *c, unsigned int n)
{
	u32 v = 0;

	while (n--) {
		v <<= 8;
		if (c->left) {
			v |= *c->p++;
			c->left--;
		}
	}
	return v;
}

static bool make_lun(struct cursor *c, struct ispt_scsi_lun_desc *lun)
{
	u32 flags = take(c, 4);

	memset(lun, 0, sizeof(*lun));
	lun->nr_blocks = (u64)take(c, 4) << (flags & 31) | take(c, 2);
	lun->block_size = 512u << (flags >> 5 & 3);
	lun->max_xfer_blocks = take(c, 4) >> (flags >> 7 & 31);
	lun->opt_xfer_blocks = take(c, 2);
	lun->max_unmap_blocks = take(c, 4) >> (flags >> 12 & 31);
	lun->unmap_granularity = take(c, 2);
	lun->unmap_alignment = take(c, 2);
	lun->max_write_zeroes_blocks = take(c, 4) >> (flags >> 17 & 31);
	lun->lun = take(c, 2) & 0x7fff;
	lun->lowest_aligned_lba = take(c, 2) & 0x7fff;
	lun->phys_block_exp = flags >> 22 & 15;
	lun->write_cache = flags >> 26 & 1;
	lun->fua = flags >> 27 & 1;
	lun->read_only = flags >> 28 & 1;
	lun->rotational = flags >> 29 & 1;
	lun->unmap_zeroes = flags >> 30 & 1;
	lun->mode.d_sense = flags >> 31;
	lun->mode.wce = lun->write_cache;
	lun->naa_id = 0x123456789abcdefULL;
	strcpy(lun->vendor, "LINUX");
	strcpy(lun->product, "iscsi_spt");
	strcpy(lun->revision, "0.1");
	strcpy(lun->serial, "fuzz");
	return ispt_scsi_lun_desc_valid(lun);
}

/* @len bytes on the heap, nothing more: an overrun is ASan's to see. */
static u8 *exact(u32 len)
{
	return malloc(len ? len : 1);
}

static void answer(const struct ispt_scsi_cmd *cmd,
		   const struct ispt_scsi_lun_desc *lun, u32 len,
		   const u8 *params, u32 plen)
{
	static const struct ispt_scsi_port port = { 1, 1 };
	static const u64 luns[] = { 0, 1, 7, 255, 256, 16383 };
	struct ispt_scsi_cmd tmp = *cmd;
	u8 *buf = exact(len);
	struct ispt_scsi_unmap_plan plan;
	u32 n = 0;

	switch (cmd->handler) {
	case ISPT_SCSI_DO_INQUIRY:
		n = ispt_spc_inquiry(cmd, lun, &port, buf, len);
		break;
	case ISPT_SCSI_DO_READ_CAPACITY_10:
	case ISPT_SCSI_DO_READ_CAPACITY_16:
		if (lun)
			n = ispt_spc_read_capacity(cmd, lun, buf, len);
		break;
	case ISPT_SCSI_DO_MODE_SENSE:
		if (lun)
			n = ispt_mode_sense(cmd, lun, buf, len);
		break;
	case ISPT_SCSI_DO_REPORT_LUNS:
		n = ispt_spc_report_luns(cmd, luns, len % (ARRAY_SIZE(luns) + 1),
					 buf, len);
		break;
	case ISPT_SCSI_DO_REQUEST_SENSE: {
		struct ispt_sense pending = ispt_sense_lun_not_supported();

		n = ispt_spc_request_sense(cmd, len & 1 ? &pending : NULL, buf,
					   len);
		break;
	}
	case ISPT_SCSI_DO_REPORT_OPCODES:
		n = ispt_scsi_report_opcodes(cmd, lun, buf, len);
		break;
	case ISPT_SCSI_DO_REPORT_TMFS:
		n = ispt_spc_report_tmfs(cmd, 0xffff, buf, len);
		break;
	case ISPT_SCSI_DO_UNMAP:
		if (lun && ispt_scsi_unmap_check(&tmp, lun, params, plen,
						 &plan) == SAM_STAT_GOOD) {
			u64 lba;
			u32 i, blocks;

			CHECK(plan.nr_descs <= ISPT_SCSI_MAX_UNMAP_DESCS);
			CHECK(plan.nr_blocks <= lun->nr_blocks &&
			      plan.lba <= lun->nr_blocks - plan.nr_blocks);
			for (i = 0; i < plan.nr_descs; i++) {
				ispt_scsi_unmap_desc(params, i, &lba, &blocks);
				/*
				 * Inside the LU; one of no blocks may name the
				 * LBA just past the end, as sbc_decode.c allows.
				 */
				CHECK(lba <= lun->nr_blocks &&
				      blocks <= lun->nr_blocks - lba);
				/* and inside the range the executor holds */
				CHECK(!blocks || (lba >= plan.lba &&
					lba + blocks <= plan.lba + plan.nr_blocks));
			}
		}
		break;
	case ISPT_SCSI_DO_READ:
	case ISPT_SCSI_DO_WRITE:
		/* The decoder promises a range inside the LU and a length. */
		CHECK(lun);
		CHECK(cmd->lba < lun->nr_blocks || !cmd->nr_blocks);
		CHECK(cmd->nr_blocks <= lun->nr_blocks - min(cmd->lba, lun->nr_blocks));
		CHECK((u64)cmd->nr_blocks * lun->block_size == cmd->data_len);
		CHECK(!lun->max_xfer_blocks || cmd->nr_blocks <= lun->max_xfer_blocks);
		break;
	default:
		break;
	}
	(void)n;
	free(buf);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct cursor c = { data, size };
	struct ispt_scsi_lun_desc lun_desc;
	const struct ispt_scsi_lun_desc *lun;
	struct ispt_scsi_cmd cmd;
	enum sam_status st;
	u32 cdb_len, alloc;
	u8 *cdb, sense[ISPT_SENSE_MAX_LEN];

	lun = make_lun(&c, &lun_desc) ? &lun_desc : NULL;
	cdb_len = take(&c, 1) % 33;
	if (c.left < cdb_len)
		return 0;
	cdb = exact(cdb_len);
	memcpy(cdb, c.p, cdb_len);
	c.p += cdb_len;
	c.left -= cdb_len;
	alloc = take(&c, 2);

	memset(&cmd, 0xa5, sizeof(cmd));
	st = ispt_scsi_decode(&cmd, cdb, cdb_len, lun);
	ispt_scsi_ua_exempt(cdb, cdb_len);
	if (st == SAM_STAT_GOOD) {
		answer(&cmd, lun, alloc, c.p, c.left);
	} else {
		u32 n;

		CHECK(st == SAM_STAT_CHECK_CONDITION);
		n = ispt_sense_build(&cmd.sense, false, sense, alloc % sizeof(sense));
		CHECK(n <= ISPT_SENSE_MAX_LEN);
		n = ispt_sense_build(&cmd.sense, true, sense, sizeof(sense));
		CHECK(n <= ISPT_SENSE_MAX_LEN);
		CHECK(ispt_sense_build(&cmd.sense, true, NULL, 0) == n);
	}
	free(cdb);
	{
		struct scsi_lun raw;
		u64 id, back;

		memcpy(&raw, data, min(size, sizeof(raw)));
		if (size >= sizeof(raw) && ispt_scsi_lun_decode(&raw, &id)) {
			CHECK(id <= 0xffff);
			if (ispt_scsi_lun_encode(id, &raw))
				CHECK(ispt_scsi_lun_decode(&raw, &back) && back == id);
		}
	}
	return 0;
}
