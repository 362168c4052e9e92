// SPDX-License-Identifier: GPL-2.0
/*
 * Response data for the commands that never touch the medium.
 *
 * Each builder writes through struct ispt_spc_buf, which drops what falls
 * past the allocation length but keeps counting, so the data is produced
 * once, cut where the initiator asked, and its full length is known for
 * the residual. Every byte up to the cut is written, reserved ones as
 * zero: the caller's buffer may hold another command's data.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "sbc_decode.h"
#include "scsi.h"
#include "spc.h"
#include "xcopy.h"

/* Standard INQUIRY data (SPC-4) */
#define INQ_STD_LEN		96	/* through the version descriptors */
#define INQ_VERSION_SPC4	0x06
#define INQ_HISUP		0x10	/* hierarchical LUNs (SAM-5) */
#define INQ_RDF			0x02	/* response data format */
#define INQ_CMDQUE		0x02	/* full task management model */
#define INQ_3PC			0x08	/* third-party copy: EXTENDED COPY */
#define INQ_NR_VERSIONS		8

/* VPD pages we return, in the ascending order page 0x00 lists them */
#define VPD_SUPPORTED_PAGES	0x00
#define VPD_UNIT_SERIAL		0x80
#define VPD_DEVICE_ID		0x83
#define VPD_EXTENDED_INQUIRY	0x86
#define VPD_THIRD_PARTY_COPY	0x8f
#define VPD_BLOCK_LIMITS	0xb0
#define VPD_BLOCK_DEV_CHAR	0xb1
#define VPD_LB_PROVISIONING	0xb2

static const u8 vpd_pages[] = {
	VPD_SUPPORTED_PAGES, VPD_UNIT_SERIAL, VPD_DEVICE_ID,
	VPD_EXTENDED_INQUIRY, VPD_THIRD_PARTY_COPY, VPD_BLOCK_LIMITS,
	VPD_BLOCK_DEV_CHAR,
	VPD_LB_PROVISIONING,
};

/* Designation descriptors of VPD page 0x83 (SPC-4 device identification) */
#define DESIG_CODE_BINARY	0x1
#define DESIG_CODE_ASCII	0x2
#define DESIG_PIV		0x80	/* protocol identifier is valid */
#define DESIG_ASSOC_LU		0x00
#define DESIG_ASSOC_PORT	0x10
#define DESIG_T10_VENDOR	0x1
#define DESIG_NAA		0x3
#define DESIG_REL_PORT		0x4
#define DESIG_TPG		0x5

/* Fixed-size VPD pages (SBC-3) */
#define VPD_BLOCK_LIMITS_LEN	64
#define VPD_BDC_LEN		64
#define VPD_LBP_LEN		8
#define VPD_EXT_INQ_LEN		64
#define BL_UGAVALID		0x80000000
#define EXT_SIMPSUP		0x01	/* SIMPLE task attribute */
#define EXT_V_SUP		0x01	/* volatile cache, FUA honoured */
#define EXT_LUICLR		0x01	/* see ua.c: per I_T_L nexus */
#define BDC_NON_ROTATING	0x0001
#define LBP_LBPU		0x80
#define LBP_LBPWS		0x40
#define LBP_LBPWS10		0x20
#define LBP_LBPRZ		0x04
#define LBP_TYPE_FULL		0x0
#define LBP_TYPE_THIN		0x2

/* READ CAPACITY(16) byte 14 */
#define RC16_LBPME		0x80
#define RC16_LBPRZ		0x40
#define RC16_LEN		32

/* REPORT LUNS SELECT REPORT values that list no LU of ours */
#define REPORT_LUNS_WELL_KNOWN	0x01
#define REPORT_LUNS_ADMIN	0x10
#define REPORT_LUNS_SUBSIDIARY	0x12
#define RSTMF_EXTENDED_LEN	0x0c

/**
 * ispt_spc_vpd_page_supported() - do we return this VPD page?
 * @page: the INQUIRY PAGE CODE with EVPD set
 *
 * Decoding asks this, so that an INQUIRY for a page we lack fails with
 * INVALID FIELD IN CDB before any data is built.
 *
 * Return: true for the pages page 0x00 lists.
 */
bool ispt_spc_vpd_page_supported(u8 page)
{
	return memchr(vpd_pages, page, sizeof(vpd_pages));
}

/* Left-aligned ASCII padded with spaces, as SPC-4 wants in INQUIRY data */
static void put_ascii(struct ispt_spc_buf *b, const char *s, u32 width)
{
	u32 i;

	for (i = 0; i < width; i++) {
		char c = s && *s ? *s++ : ' ';

		/* Only printable ASCII is allowed; configfs should see to it. */
		ispt_spc_put_u8(b, c >= 0x20 && c <= 0x7e ? c : ' ');
	}
}

static u8 peripheral(const struct ispt_scsi_lun_desc *lun)
{
	/* Qualifier 011b, type 1Fh: no logical unit behind this LUN */
	return lun ? TYPE_DISK : TYPE_NO_LUN;
}

/*
 * TPGS stays 0: we do not implement ALUA (REPORT TARGET PORT GROUPS), so
 * the target port group designator in page 0x83 is informational only.
 */
static void inquiry_std(struct ispt_spc_buf *b,
			const struct ispt_scsi_lun_desc *lun)
{
	static const u16 versions[] = {
		SCSI_VERSION_DESCRIPTOR_SAM5,
		SCSI_VERSION_DESCRIPTOR_ISCSI,
		SCSI_VERSION_DESCRIPTOR_SPC4,
		SCSI_VERSION_DESCRIPTOR_SBC3,
	};
	bool copy_manager;
	unsigned int i;

	ispt_spc_put_u8(b, peripheral(lun));
	ispt_spc_put_u8(b, 0);			/* RMB=0: not removable */
	ispt_spc_put_u8(b, INQ_VERSION_SPC4);
	ispt_spc_put_u8(b, INQ_HISUP | INQ_RDF);
	ispt_spc_put_u8(b, INQ_STD_LEN - 5);	/* ADDITIONAL LENGTH */
	/*
	 * TPGS=0, PROTECT=0. 3PC only once EXTENDED COPY runs: initiators
	 * (Linux, ESXi) send it whenever the bit is set.
	 */
	copy_manager = lun && ispt_scsi_handler_executed(ISPT_SCSI_DO_XCOPY);
	ispt_spc_put_u8(b, copy_manager ? INQ_3PC : 0);
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_u8(b, INQ_CMDQUE);
	put_ascii(b, lun ? lun->vendor : NULL, ISPT_SCSI_VENDOR_LEN);
	put_ascii(b, lun ? lun->product : NULL, ISPT_SCSI_PRODUCT_LEN);
	put_ascii(b, lun ? lun->revision : NULL, ISPT_SCSI_REVISION_LEN);
	/* Vendor specific bytes 36-55, no clocking/QAS/IUS, reserved 57 */
	ispt_spc_put_zero(b, 22);
	for (i = 0; i < ARRAY_SIZE(versions); i++)
		ispt_spc_put_be16(b, versions[i]);
	ispt_spc_put_zero(b, (INQ_NR_VERSIONS - ARRAY_SIZE(versions)) * 2);
	ispt_spc_put_zero(b, INQ_STD_LEN - b->pos);
}

static void vpd_header(struct ispt_spc_buf *b,
		       const struct ispt_scsi_lun_desc *lun, u8 page, u16 len)
{
	ispt_spc_put_u8(b, peripheral(lun));
	ispt_spc_put_u8(b, page);
	ispt_spc_put_be16(b, len);
}

static void vpd_supported_pages(struct ispt_spc_buf *b,
				const struct ispt_scsi_lun_desc *lun)
{
	vpd_header(b, lun, VPD_SUPPORTED_PAGES, sizeof(vpd_pages));
	ispt_spc_put(b, vpd_pages, sizeof(vpd_pages));
}

static void vpd_unit_serial(struct ispt_spc_buf *b,
			    const struct ispt_scsi_lun_desc *lun)
{
	u32 n = strnlen(lun->serial, ISPT_SCSI_SERIAL_LEN);

	vpd_header(b, lun, VPD_UNIT_SERIAL, n);
	put_ascii(b, lun->serial, n);
}

static void designator(struct ispt_spc_buf *b, u8 code_set, u8 type,
		       u8 len)
{
	/* A target port designator names iSCSI as its protocol (PIV). */
	bool port = type == DESIG_REL_PORT || type == DESIG_TPG;

	ispt_spc_put_u8(b, (port ? SCSI_PROTOCOL_ISCSI << 4 : 0) | code_set);
	ispt_spc_put_u8(b, (port ? DESIG_PIV | DESIG_ASSOC_PORT :
				   DESIG_ASSOC_LU) | type);
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_u8(b, len);
}

/*
 * The NAA designator is what initiators build their persistent device
 * names from (udev's wwn-0x3..., multipath WWIDs). The T10 vendor ID
 * designator follows SPC-4's suggestion of vendor, product and serial.
 */
static void vpd_device_id(struct ispt_spc_buf *b,
			  const struct ispt_scsi_lun_desc *lun,
			  const struct ispt_scsi_port *port)
{
	u32 serial_len = strnlen(lun->serial, ISPT_SCSI_SERIAL_LEN);
	u32 t10_len = ISPT_SCSI_VENDOR_LEN + ISPT_SCSI_PRODUCT_LEN + serial_len;
	u32 start;

	vpd_header(b, lun, VPD_DEVICE_ID, 0);	/* length patched below */
	start = b->pos;

	designator(b, DESIG_CODE_BINARY, DESIG_NAA, 8);
	ispt_spc_put_be64(b, ispt_scsi_naa(lun));

	designator(b, DESIG_CODE_ASCII, DESIG_T10_VENDOR, t10_len);
	put_ascii(b, lun->vendor, ISPT_SCSI_VENDOR_LEN);
	put_ascii(b, lun->product, ISPT_SCSI_PRODUCT_LEN);
	put_ascii(b, lun->serial, serial_len);

	designator(b, DESIG_CODE_BINARY, DESIG_REL_PORT, 4);
	ispt_spc_put_be16(b, 0);
	ispt_spc_put_be16(b, port->rel_port_id);

	designator(b, DESIG_CODE_BINARY, DESIG_TPG, 4);
	ispt_spc_put_be16(b, 0);
	ispt_spc_put_be16(b, port->tpg_id);

	ispt_spc_patch_be16(b, 2, b->pos - start);
}

/*
 * The limits decode enforces, reported so initiators never hit them:
 * MAXIMUM TRANSFER LENGTH, COMPARE AND WRITE, the UNMAP counts, WRITE
 * SAME and WRITE ATOMIC. WSNZ is zero: WRITE SAME of no blocks writes to
 * the end. Zero means "no limit reported", and for the unmap and atomic
 * fields that the command is not supported at all.
 */
static void vpd_block_limits(struct ispt_spc_buf *b,
			     const struct ispt_scsi_lun_desc *lun)
{
	bool thin = ispt_sbc_lun_thin(lun);

	vpd_header(b, lun, VPD_BLOCK_LIMITS, VPD_BLOCK_LIMITS_LEN - 4);
	ispt_spc_put_u8(b, 0);		/* WSNZ=0 */
	ispt_spc_put_u8(b, lun->max_compare_blocks);
	/* OPTIMAL TRANSFER LENGTH GRANULARITY: one physical block */
	ispt_spc_put_be16(b, 1U << (lun->phys_block_exp & 0x0f));
	ispt_spc_put_be32(b, lun->max_xfer_blocks);
	ispt_spc_put_be32(b, lun->opt_xfer_blocks);
	ispt_spc_put_be32(b, 0);	/* MAXIMUM PREFETCH LENGTH */
	ispt_spc_put_be32(b, lun->max_unmap_blocks);
	ispt_spc_put_be32(b, thin ? ISPT_SCSI_MAX_UNMAP_DESCS : 0);
	ispt_spc_put_be32(b, thin ? lun->unmap_granularity : 0);
	ispt_spc_put_be32(b, thin && lun->unmap_granularity ?
			     BL_UGAVALID | (lun->unmap_alignment &
					    ~BL_UGAVALID) : 0);
	ispt_spc_put_be64(b, lun->max_write_same_blocks);
	ispt_spc_put_be32(b, lun->max_atomic_blocks);
	ispt_spc_put_be32(b, 0);	/* ATOMIC ALIGNMENT: any */
	ispt_spc_put_be32(b, 0);	/* ATOMIC TRANSFER LENGTH GRANULARITY */
	ispt_spc_put_zero(b, VPD_BLOCK_LIMITS_LEN - b->pos);
}

static void vpd_block_dev_char(struct ispt_spc_buf *b,
			       const struct ispt_scsi_lun_desc *lun)
{
	vpd_header(b, lun, VPD_BLOCK_DEV_CHAR, VPD_BDC_LEN - 4);
	/* 0 means "rate not reported", the honest answer for a disk. */
	ispt_spc_put_be16(b, lun->rotational ? 0 : BDC_NON_ROTATING);
	ispt_spc_put_zero(b, VPD_BDC_LEN - b->pos);
}

/*
 * Thin provisioning is advertised only when UNMAP is decoded for this LU
 * (it can discard or write zeroes), and WRITE SAME with UNMAP with it.
 * LBPRZ is a promise about reads after unmapping, which only the backend
 * can make.
 */
static void vpd_lb_provisioning(struct ispt_spc_buf *b,
				const struct ispt_scsi_lun_desc *lun)
{
	bool thin = ispt_sbc_lun_thin(lun);
	u8 flags = 0;

	if (thin) {
		flags |= LBP_LBPU | LBP_LBPWS | LBP_LBPWS10;
		if (lun->unmap_zeroes)
			flags |= LBP_LBPRZ;
	}
	vpd_header(b, lun, VPD_LB_PROVISIONING, VPD_LBP_LEN - 4);
	ispt_spc_put_u8(b, 0);		/* THRESHOLD EXPONENT */
	ispt_spc_put_u8(b, flags);	/* ANC_SUP=0, DP=0 */
	ispt_spc_put_u8(b, thin ? LBP_TYPE_THIN : LBP_TYPE_FULL);
	ispt_spc_put_u8(b, 0);
}

/*
 * Extended INQUIRY Data (SPC-4 7.8.8): no protection information, the
 * SIMPLE task attribute, a volatile cache when the device has one, and
 * unit attentions kept per I_T_L nexus (LUICLR).
 */
static void vpd_extended_inquiry(struct ispt_spc_buf *b,
				 const struct ispt_scsi_lun_desc *lun)
{
	vpd_header(b, lun, VPD_EXTENDED_INQUIRY, VPD_EXT_INQ_LEN - 4);
	ispt_spc_put_u8(b, 0);
	ispt_spc_put_u8(b, EXT_SIMPSUP);
	ispt_spc_put_u8(b, lun->write_cache ? EXT_V_SUP : 0);
	ispt_spc_put_u8(b, EXT_LUICLR);
	ispt_spc_put_zero(b, 5);
	ispt_spc_put_u8(b, ISPT_SENSE_MAX_LEN);
	ispt_spc_put_zero(b, VPD_EXT_INQ_LEN - b->pos);
}

/* Third-party copy descriptors of VPD page 0x8F (SPC-4 7.8.17) */
#define TPC_SUPPORTED_CMDS	0x0001
#define TPC_PARAMETER_DATA	0x0004
#define TPC_SUPPORTED_DESCS	0x0008
#define TPC_SUPPORTED_CSCD_IDS	0x000c
#define TPC_GENERAL_COPY_OPS	0x8001
#define VPD_TPC_LEN		104

static void tpc_desc(struct ispt_spc_buf *b, u16 type, u16 len)
{
	ispt_spc_put_be16(b, type);
	ispt_spc_put_be16(b, len);	/* bytes after these four */
}

/*
 * What EXTENDED COPY (LID1) carries out (xcopy.c): the commands and
 * service actions, the limits RECEIVE COPY RESULTS' OPERATING PARAMETERS
 * reports, the two descriptor types; no CSCD descriptor IDs, no ROD
 * tokens, no held data (so neither of their descriptors).
 */
static void vpd_third_party_copy(struct ispt_spc_buf *b,
				 const struct ispt_scsi_lun_desc *lun)
{
	static const u8 cmds[] = {
		EXTENDED_COPY, 1, ISPT_XCOPY_SA_LID1,
		RECEIVE_COPY_RESULTS, 4, ISPT_RCR_COPY_STATUS,
		ISPT_RCR_RECEIVE_DATA, ISPT_RCR_OPERATING_PARAMS,
		ISPT_RCR_FAILED_SEGMENTS,
	};

	vpd_header(b, lun, VPD_THIRD_PARTY_COPY, VPD_TPC_LEN - 4);
	/* Each descriptor is padded to a multiple of four bytes */
	tpc_desc(b, TPC_SUPPORTED_CMDS, 12);
	ispt_spc_put_u8(b, sizeof(cmds));
	ispt_spc_put(b, cmds, sizeof(cmds));
	ispt_spc_put_zero(b, 2);

	tpc_desc(b, TPC_PARAMETER_DATA, 28);
	ispt_spc_put_zero(b, 4);
	ispt_spc_put_be16(b, ISPT_XCOPY_MAX_TARGETS);
	ispt_spc_put_be16(b, ISPT_XCOPY_MAX_SEGMENTS);
	ispt_spc_put_be32(b, ISPT_XCOPY_MAX_DESC_LIST_LEN);
	ispt_spc_put_be32(b, 0);	/* MAXIMUM INLINE DATA LENGTH */
	ispt_spc_put_zero(b, 12);

	tpc_desc(b, TPC_SUPPORTED_DESCS, 4);
	ispt_spc_put_u8(b, 2);
	ispt_spc_put_u8(b, ISPT_XCOPY_DESC_B2B);
	ispt_spc_put_u8(b, ISPT_XCOPY_DESC_IDENT);
	ispt_spc_put_zero(b, 1);

	tpc_desc(b, TPC_SUPPORTED_CSCD_IDS, 4);
	ispt_spc_put_be16(b, 0);	/* none */
	ispt_spc_put_zero(b, 2);

	tpc_desc(b, TPC_GENERAL_COPY_OPS, 32);
	ispt_spc_put_be32(b, 1);	/* TOTAL CONCURRENT COPIES */
	ispt_spc_put_be32(b, 1);	/* MAXIMUM IDENTIFIED CONCURRENT COPIES */
	ispt_spc_put_be32(b, ISPT_XCOPY_MAX_SEGMENT_BYTES);
	ispt_spc_put_u8(b, 9);		/* DATA SEGMENT GRANULARITY: 512 */
	ispt_spc_put_u8(b, 0);		/* INLINE DATA GRANULARITY */
	ispt_spc_put_zero(b, 18);
}

static void inquiry_vpd(struct ispt_spc_buf *b, u8 page,
			const struct ispt_scsi_lun_desc *lun,
			const struct ispt_scsi_port *port)
{
	/* No LU: the header still tells the initiator so, in its first byte */
	if (!lun && page != VPD_SUPPORTED_PAGES) {
		vpd_header(b, lun, page, 0);
		return;
	}

	switch (page) {
	case VPD_SUPPORTED_PAGES:
		vpd_supported_pages(b, lun);
		break;
	case VPD_UNIT_SERIAL:
		vpd_unit_serial(b, lun);
		break;
	case VPD_DEVICE_ID:
		vpd_device_id(b, lun, port);
		break;
	case VPD_EXTENDED_INQUIRY:
		vpd_extended_inquiry(b, lun);
		break;
	case VPD_THIRD_PARTY_COPY:
		vpd_third_party_copy(b, lun);
		break;
	case VPD_BLOCK_LIMITS:
		vpd_block_limits(b, lun);
		break;
	case VPD_BLOCK_DEV_CHAR:
		vpd_block_dev_char(b, lun);
		break;
	case VPD_LB_PROVISIONING:
		vpd_lb_provisioning(b, lun);
		break;
	}
}

/**
 * ispt_spc_inquiry() - INQUIRY data: standard, or the VPD page asked for
 * @cmd: the decoded INQUIRY
 * @lun: the logical unit, or NULL if the LUN has none; the data then
 *	says so with peripheral qualifier 011b
 * @port: the target port the command came through (VPD page 0x83)
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * Return: the full length of the data.
 */
u32 ispt_spc_inquiry(const struct ispt_scsi_cmd *cmd,
		     const struct ispt_scsi_lun_desc *lun,
		     const struct ispt_scsi_port *port, u8 *buf, u32 len)
{
	struct ispt_spc_buf b;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	if (cmd->flags & ISPT_SCSI_F_EVPD)
		inquiry_vpd(&b, cmd->inquiry.page, lun, port);
	else
		inquiry_std(&b, lun);
	return b.pos;
}

/**
 * ispt_spc_read_capacity() - READ CAPACITY(10) or (16) data
 * @cmd: the decoded READ CAPACITY; its handler says which
 * @lun: the logical unit
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * READ CAPACITY(10) reports FFFFFFFFh when the last LBA does not fit in
 * 32 bits, which sends the initiator to READ CAPACITY(16).
 *
 * Return: the full length of the data, 8 or 32.
 */
u32 ispt_spc_read_capacity(const struct ispt_scsi_cmd *cmd,
			   const struct ispt_scsi_lun_desc *lun,
			   u8 *buf, u32 len)
{
	u64 last = lun->nr_blocks - 1;
	struct ispt_spc_buf b;
	u16 byte14 = lun->lowest_aligned_lba & 0x3fff;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	if (cmd->handler == ISPT_SCSI_DO_READ_CAPACITY_10) {
		ispt_spc_put_be32(&b, min_t(u64, last, U32_MAX));
		ispt_spc_put_be32(&b, lun->block_size);
		return b.pos;
	}

	if (ispt_sbc_lun_thin(lun)) {
		byte14 |= RC16_LBPME << 8;
		if (lun->unmap_zeroes)
			byte14 |= RC16_LBPRZ << 8;
	}
	ispt_spc_put_be64(&b, last);
	ispt_spc_put_be32(&b, lun->block_size);
	ispt_spc_put_u8(&b, 0);			/* no protection information */
	ispt_spc_put_u8(&b, lun->phys_block_exp & 0x0f);
	ispt_spc_put_be16(&b, byte14);
	ispt_spc_put_zero(&b, RC16_LEN - b.pos);
	return b.pos;
}

/**
 * ispt_spc_report_luns() - REPORT LUNS data
 * @cmd: the decoded REPORT LUNS
 * @luns: the LUN numbers the initiator may see
 * @nr_luns: how many
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * We have no well-known, administrative or subsidiary LUs, so SELECT
 * REPORT 01h, 10h and 12h get an empty list; 02h and 11h are all LUNs.
 * A LUN number ispt_scsi_lun_encode() cannot express is left out.
 *
 * Return: the full length of the data.
 */
u32 ispt_spc_report_luns(const struct ispt_scsi_cmd *cmd, const u64 *luns,
			 unsigned int nr_luns, u8 *buf, u32 len)
{
	struct ispt_spc_buf b;
	struct scsi_lun l;
	unsigned int i;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	ispt_spc_put_be32(&b, 0);	/* LUN LIST LENGTH, patched */
	ispt_spc_put_be32(&b, 0);
	if (cmd->report_luns.select == REPORT_LUNS_WELL_KNOWN ||
	    cmd->report_luns.select == REPORT_LUNS_ADMIN ||
	    cmd->report_luns.select == REPORT_LUNS_SUBSIDIARY)
		nr_luns = 0;
	/* Distinct valid LUNs are no more than this; keeps pos from wrapping */
	nr_luns = min(nr_luns, ISPT_SCSI_MAX_LUN + 1U);
	for (i = 0; i < nr_luns; i++)
		if (ispt_scsi_lun_encode(luns[i], &l))
			ispt_spc_put(&b, l.scsi_lun, sizeof(l.scsi_lun));
	ispt_spc_patch_be32(&b, 0, b.pos - 8);
	return b.pos;
}

/**
 * ispt_spc_request_sense() - REQUEST SENSE data
 * @cmd: the decoded REQUEST SENSE; its DESC bit picks the format
 * @pending: the sense to report (a unit attention, or LOGICAL UNIT NOT
 *	SUPPORTED for a LUN with no LU), or NULL for NO SENSE
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * Return: the full length of the sense data.
 */
u32 ispt_spc_request_sense(const struct ispt_scsi_cmd *cmd,
			   const struct ispt_sense *pending, u8 *buf, u32 len)
{
	struct ispt_sense none = ispt_sense_none();

	return ispt_sense_build(pending ? pending : &none,
				cmd->flags & ISPT_SCSI_F_DESC, buf,
				min(len, cmd->alloc_len));
}

/**
 * ispt_spc_report_tmfs() - REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS data
 * @cmd: the decoded command; REPD asks for the extended format
 * @tmfs: ISPT_SPC_TMF_* bits for the functions the session layer handles
 * @buf: where to write
 * @len: bytes @buf can take; the data is also cut at @cmd->alloc_len
 *
 * Task management lives in the iSCSI layer, so it says what it supports.
 * The extended format reports no timeouts.
 *
 * Return: the full length of the data, 4 or 16.
 */
u32 ispt_spc_report_tmfs(const struct ispt_scsi_cmd *cmd, u16 tmfs,
			 u8 *buf, u32 len)
{
	bool repd = cmd->flags & ISPT_SCSI_F_REPD;
	struct ispt_spc_buf b;

	ispt_spc_buf_init(&b, buf, min(len, cmd->alloc_len));
	ispt_spc_put_u8(&b, tmfs & 0xff);
	ispt_spc_put_u8(&b, (tmfs >> 8) & 0x07);
	ispt_spc_put_u8(&b, 0);
	ispt_spc_put_u8(&b, repd ? RSTMF_EXTENDED_LEN : 0);
	if (repd)
		ispt_spc_put_zero(&b, RSTMF_EXTENDED_LEN);
	return b.pos;
}
