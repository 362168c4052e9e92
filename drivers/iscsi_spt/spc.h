/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_SPC_H
#define ISPT_SPC_H

#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/types.h>

#include "compat.h"
#include "scsi.h"

/*
 * Response data for the commands that never touch the medium: INQUIRY
 * and its VPD pages, READ CAPACITY, MODE SENSE, REPORT LUNS, REQUEST
 * SENSE and REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS.
 *
 * Every builder writes at most len bytes (the caller's buffer, already
 * cut to what it can send) and at most the command's allocation length,
 * and returns the full length the data would have, so the caller can
 * report the residual. Bytes past what was written are left untouched.
 */

/*
 * struct ispt_spc_buf - a bounded writer, shared by scsi.c and spc.c
 *
 * Writes that fall past cap are dropped but still counted in pos, so one
 * pass both fills the truncated buffer and measures the whole response.
 */
struct ispt_spc_buf {
	u8	*data;
	u32	cap;
	u32	pos;
};

static inline void ispt_spc_buf_init(struct ispt_spc_buf *b, u8 *data,
				     u32 cap)
{
	b->data = data;
	b->cap = data ? cap : 0;
	b->pos = 0;
}

/* Write n bytes at off, keeping only those below cap. */
static inline void ispt_spc_buf_write(struct ispt_spc_buf *b, u32 off,
				      const void *src, u32 n)
{
	if (off < b->cap)
		memcpy(b->data + off, src, min(n, b->cap - off));
}

static inline void ispt_spc_put(struct ispt_spc_buf *b, const void *src,
				u32 n)
{
	ispt_spc_buf_write(b, b->pos, src, n);
	b->pos += n;
}

static inline void ispt_spc_put_zero(struct ispt_spc_buf *b, u32 n)
{
	if (b->pos < b->cap)
		memset(b->data + b->pos, 0, min(n, b->cap - b->pos));
	b->pos += n;
}

static inline void ispt_spc_put_u8(struct ispt_spc_buf *b, u8 v)
{
	ispt_spc_put(b, &v, 1);
}

static inline void ispt_spc_put_be16(struct ispt_spc_buf *b, u16 v)
{
	u8 tmp[2];

	put_unaligned_be16(v, tmp);
	ispt_spc_put(b, tmp, sizeof(tmp));
}

static inline void ispt_spc_put_be32(struct ispt_spc_buf *b, u32 v)
{
	u8 tmp[4];

	put_unaligned_be32(v, tmp);
	ispt_spc_put(b, tmp, sizeof(tmp));
}

static inline void ispt_spc_put_be64(struct ispt_spc_buf *b, u64 v)
{
	u8 tmp[8];

	put_unaligned_be64(v, tmp);
	ispt_spc_put(b, tmp, sizeof(tmp));
}

/* Length fields are known only at the end: patch them in place. */
static inline void ispt_spc_patch_be16(struct ispt_spc_buf *b, u32 off, u16 v)
{
	u8 tmp[2];

	put_unaligned_be16(v, tmp);
	ispt_spc_buf_write(b, off, tmp, sizeof(tmp));
}

static inline void ispt_spc_patch_be32(struct ispt_spc_buf *b, u32 off, u32 v)
{
	u8 tmp[4];

	put_unaligned_be32(v, tmp);
	ispt_spc_buf_write(b, off, tmp, sizeof(tmp));
}

/* REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS bits, byte 0 then byte 1 */
#define ISPT_SPC_TMF_ABORT_TASK		BIT(7)	/* ATS */
#define ISPT_SPC_TMF_ABORT_TASK_SET	BIT(6)	/* ATSS */
#define ISPT_SPC_TMF_CLEAR_ACA		BIT(5)	/* CACAS */
#define ISPT_SPC_TMF_CLEAR_TASK_SET	BIT(4)	/* CTSS */
#define ISPT_SPC_TMF_LUN_RESET		BIT(3)	/* LURS */
#define ISPT_SPC_TMF_QUERY_TASK		BIT(2)	/* QTS */
#define ISPT_SPC_TMF_TARGET_RESET	BIT(1)	/* TRS */
#define ISPT_SPC_TMF_WAKEUP		BIT(0)	/* WAKES */
#define ISPT_SPC_TMF_QUERY_ASYNC_EVENT	BIT(10)	/* QUAS */
#define ISPT_SPC_TMF_QUERY_TASK_SET	BIT(9)	/* QTSS */
#define ISPT_SPC_TMF_IT_NEXUS_RESET	BIT(8)	/* ITNRS */

/* spc.c APIs: */
bool ispt_spc_vpd_page_supported(u8 page);

u32 ispt_spc_inquiry(const struct ispt_scsi_cmd *cmd,
		     const struct ispt_scsi_lun_desc *lun,
		     const struct ispt_scsi_port *port, u8 *buf, u32 len);
u32 ispt_spc_read_capacity(const struct ispt_scsi_cmd *cmd,
			   const struct ispt_scsi_lun_desc *lun,
			   u8 *buf, u32 len);
u32 ispt_spc_report_luns(const struct ispt_scsi_cmd *cmd, const u64 *luns,
			 unsigned int nr_luns, u8 *buf, u32 len);
u32 ispt_spc_request_sense(const struct ispt_scsi_cmd *cmd,
			   const struct ispt_sense *pending, u8 *buf, u32 len);
u32 ispt_spc_report_tmfs(const struct ispt_scsi_cmd *cmd, u16 tmfs,
			 u8 *buf, u32 len);

#endif /* ISPT_SPC_H */
