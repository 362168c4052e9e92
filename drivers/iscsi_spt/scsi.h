/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_SCSI_H
#define ISPT_SCSI_H

#include <linux/bits.h>
#include <linux/types.h>
#include <scsi/scsi_proto.h>

/*
 * SCSI logic with no sockets and no bios: what a logical unit looks like
 * to the initiator, sense data, and CDB decoding. Everything here runs in
 * the per-CPU data path, so nothing sleeps or allocates; callers pass the
 * buffers. A CDB is hostile remote input and is bounds-checked in full
 * before anything trusts it.
 */

#define ISPT_SCSI_VENDOR_LEN	8	/* INQUIRY T10 VENDOR IDENTIFICATION */
#define ISPT_SCSI_PRODUCT_LEN	16	/* INQUIRY PRODUCT IDENTIFICATION */
#define ISPT_SCSI_REVISION_LEN	4	/* INQUIRY PRODUCT REVISION LEVEL */
#define ISPT_SCSI_SERIAL_LEN	32	/* unit serial number, VPD page 0x80 */

/*
 * Single-level LUNs only: peripheral device addressing below 256, flat
 * space addressing up to 16383 (SAM-5 4.7). configfs rejects larger ones.
 */
#define ISPT_SCSI_MAX_LUN	16383

/* The most UNMAP block descriptors one command may carry (VPD page 0xb0). */
#define ISPT_SCSI_MAX_UNMAP_DESCS	256

/*
 * struct ispt_scsi_mode_params - what MODE SELECT may change
 *
 * The current values, one set for the LU (TST=0: every I_T nexus sees
 * the same). Stored under the LU's mode lock and read with READ_ONCE()
 * from any CPU, so a command sees each field either before or after a
 * MODE SELECT, never torn.
 */
struct ispt_scsi_mode_params {
	bool	wce;			/* caching page: write cache enabled */
	bool	d_sense;		/* control page: descriptor sense */
	bool	swp;			/* control page: software write protect */
};

/*
 * struct ispt_scsi_lun_desc - a logical unit as SCSI reports it
 *
 * The block backend fills this from its device when the LU is enabled;
 * it does not change while commands run (a capacity change replaces it
 * and raises CAPACITY DATA HAS CHANGED), except @mode. Counts are in
 * logical blocks, not in 512-byte sectors, because that is what SBC
 * reports.
 *
 * Thin provisioning is reported only for a device that can discard or
 * write zeroes: UNMAP becomes a write zeroes that may deallocate when the
 * device has it (so unmapped blocks read back as zeroes, LBPRZ), else a
 * discard.
 *
 * The device identifier is an NAA Locally Assigned designator (NAA 3,
 * SPC-4 7.8.6.6.3). The IEEE formats (NAA 5, and NAA 6, which is 16 bytes
 * and so not even a 64-bit value) embed a company identifier bought from
 * the IEEE; we own none, and borrowing another vendor's OUI would make our
 * designators collide with theirs. NAA 3 carries 60 bits the
 * administrator assigns, so a stable value (derived from the target name
 * and LUN, or set in configfs) identifies the LU across reboots.
 */
struct ispt_scsi_lun_desc {
	u64	nr_blocks;		/* capacity */
	u64	naa_id;			/* low 60 bits used; NAA 3 is added */
	u32	block_size;		/* bytes: 512, 1024, 2048 or 4096 */
	u32	max_xfer_blocks;	/* longest READ/WRITE; 0 = no limit */
	u32	opt_xfer_blocks;	/* 0 = not reported */
	u32	max_unmap_blocks;	/* per UNMAP command; 0 = no discard */
	u32	unmap_granularity;	/* optimal unmap granularity */
	u32	unmap_alignment;	/* first aligned LBA for unmap */
	u32	max_write_zeroes_blocks;/* 0 = no write zeroes */
	u32	max_write_same_blocks;	/* WRITE SAME; 0 = not supported */
	u32	max_atomic_blocks;	/* WRITE ATOMIC; 0 = not supported */
	u16	lun;			/* 0..ISPT_SCSI_MAX_LUN */
	u16	lowest_aligned_lba;	/* first LBA on a physical block start */
	u8	phys_block_exp;		/* log2(physical / logical block) */
	u8	max_compare_blocks;	/* COMPARE AND WRITE; 0 = none */
	bool	write_cache;		/* the device has a volatile cache */
	bool	fua;			/* device honours FUA natively (DPOFUA) */
	bool	read_only;
	bool	rotational;		/* false for SSD/NVMe */
	bool	unmap_zeroes;		/* unmapped blocks read back as zero */
	struct ispt_scsi_mode_params mode;
	char	vendor[ISPT_SCSI_VENDOR_LEN + 1];
	char	product[ISPT_SCSI_PRODUCT_LEN + 1];
	char	revision[ISPT_SCSI_REVISION_LEN + 1];
	char	serial[ISPT_SCSI_SERIAL_LEN + 1];
};

/* The 8-byte NAA designator of VPD page 0x83 (NAA 3, Locally Assigned) */
static inline u64 ispt_scsi_naa(const struct ispt_scsi_lun_desc *lun)
{
	return 0x3ULL << 60 | (lun->naa_id & GENMASK_ULL(59, 0));
}

/*
 * struct ispt_scsi_port - the target port a command arrived on
 *
 * For iSCSI a target port is the target name plus a portal group tag, so
 * the session layer knows these; VPD page 0x83 reports them.
 */
struct ispt_scsi_port {
	u16	rel_port_id;		/* relative target port, 1..65535 */
	u16	tpg_id;			/* target port group */
};

/*
 * struct ispt_sense - why a command ended in CHECK CONDITION
 *
 * This is the SCSI counterpart of nvmet's u16 status: a wire status kept
 * apart from kernel -errno values, compact enough to live in every command
 * slot, and turned into fixed or descriptor format sense data only when a
 * response is built. key == NO_SENSE with asc == 0 means "no error".
 */
struct ispt_sense {
	u64	info;		/* INFORMATION, if ISPT_SENSE_INFO */
	u32	csi;		/* COMMAND-SPECIFIC INFORMATION, if _CSI */
	u16	field;		/* field pointer, if ISPT_SENSE_SKSV */
	u8	key;		/* sense key, NO_SENSE..MISCOMPARE */
	u8	asc;
	u8	ascq;
	u8	bit;		/* bit pointer 0..7, if ISPT_SENSE_BPV */
	u8	flags;
};

#define ISPT_SENSE_INFO		BIT(0)	/* info is valid */
#define ISPT_SENSE_SKSV		BIT(1)	/* field pointer is valid */
#define ISPT_SENSE_BPV		BIT(2)	/* bit pointer is valid */
#define ISPT_SENSE_CD		BIT(3)	/* field is in the CDB, not in data */
#define ISPT_SENSE_CSI		BIT(4)	/* csi is valid */

/*
 * Fixed format is 18 bytes; descriptor format with INFORMATION, command
 * specific information and SKS descriptors 40.
 */
#define ISPT_SENSE_FIXED_LEN	18
#define ISPT_SENSE_MAX_LEN	40

/* Additional sense codes (ASC << 8 | ASCQ) that we report, from SPC-4 D.2 */
#define ISPT_ASC_NONE			0x0000
#define ISPT_ASC_OP_IN_PROGRESS		0x0016	/* operation in progress */
#define ISPT_ASC_NOT_READY		0x0400	/* cause not reportable */
#define ISPT_ASC_NOT_READY_INIT_REQ	0x0402	/* initializing command required */
#define ISPT_ASC_SANITIZE_IN_PROGRESS	0x041b
#define ISPT_ASC_WRITE_ERROR		0x0c00
#define ISPT_ASC_READ_ERROR		0x1100	/* unrecovered read error */
#define ISPT_ASC_MISCOMPARE		0x1d00	/* during verify operation */
#define ISPT_ASC_PARAM_LIST_LENGTH	0x1a00
#define ISPT_ASC_INVALID_OPCODE		0x2000
#define ISPT_ASC_LBA_OUT_OF_RANGE	0x2100
#define ISPT_ASC_INVALID_FIELD_CDB	0x2400
#define ISPT_ASC_LUN_NOT_SUPPORTED	0x2500
#define ISPT_ASC_INVALID_FIELD_PARAM	0x2600
#define ISPT_ASC_TOO_MANY_TARGET_DESCS	0x2606
#define ISPT_ASC_UNSUPP_TARGET_DESC	0x2607
#define ISPT_ASC_TOO_MANY_SEGMENT_DESCS	0x2608
#define ISPT_ASC_UNSUPP_SEGMENT_DESC	0x2609
#define ISPT_ASC_INVALID_RELEASE	0x2604	/* of persistent reservation */
#define ISPT_ASC_WRITE_PROTECTED	0x2700
#define ISPT_ASC_SOFTWARE_WP		0x2702
#define ISPT_ASC_POWER_ON_RESET		0x2900
#define ISPT_ASC_BUS_RESET		0x2902	/* target reset */
#define ISPT_ASC_DEVICE_RESET		0x2903	/* logical unit reset */
#define ISPT_ASC_NEXUS_LOSS		0x2907
#define ISPT_ASC_MODE_CHANGED		0x2a01
#define ISPT_ASC_RES_PREEMPTED		0x2a03
#define ISPT_ASC_RES_RELEASED		0x2a04
#define ISPT_ASC_REG_PREEMPTED		0x2a05
#define ISPT_ASC_CAPACITY_CHANGED	0x2a09
#define ISPT_ASC_CLEARED_BY_OTHER	0x2f00	/* commands cleared */
#define ISPT_ASC_SAVING_UNSUPPORTED	0x3900
#define ISPT_ASC_MEDIUM_NOT_PRESENT	0x3a00
#define ISPT_ASC_SANITIZE_FAILED	0x3103	/* sanitize command failed */
#define ISPT_ASC_LUNS_CHANGED		0x3f0e
#define ISPT_ASC_INTERNAL_FAILURE	0x4400
#define ISPT_ASC_CRC_ERROR		0x4705	/* protocol service CRC */
#define ISPT_ASC_INSUFFICIENT_REG	0x5504	/* registration resources */
#define ISPT_ASC_COPY_TARGET_UNREACHABLE 0x0d02

static inline struct ispt_sense ispt_sense_make(u8 key, u16 asc_ascq)
{
	return (struct ispt_sense){
		.key = key,
		.asc = asc_ascq >> 8,
		.ascq = asc_ascq & 0xff,
	};
}

/* A field pointer into the CDB (cdb) or the parameter list; bit < 0: none */
static inline struct ispt_sense ispt_sense_field(u16 asc_ascq, bool cdb,
						 u16 field, int bit)
{
	struct ispt_sense s = ispt_sense_make(ILLEGAL_REQUEST, asc_ascq);

	s.flags = ISPT_SENSE_SKSV | (cdb ? ISPT_SENSE_CD : 0);
	s.field = field;
	if (bit >= 0) {
		s.flags |= ISPT_SENSE_BPV;
		s.bit = bit & 7;
	}
	return s;
}

static inline struct ispt_sense ispt_sense_with_info(struct ispt_sense s,
						     u64 info)
{
	s.flags |= ISPT_SENSE_INFO;
	s.info = info;
	return s;
}

static inline bool ispt_sense_is_error(const struct ispt_sense *s)
{
	return s->key != NO_SENSE || s->asc || s->ascq;
}

static inline struct ispt_sense ispt_sense_none(void)
{
	return ispt_sense_make(NO_SENSE, ISPT_ASC_NONE);
}

static inline struct ispt_sense ispt_sense_invalid_opcode(void)
{
	return ispt_sense_make(ILLEGAL_REQUEST, ISPT_ASC_INVALID_OPCODE);
}

/* INVALID FIELD IN CDB without a pointer, e.g. for a truncated CDB */
static inline struct ispt_sense ispt_sense_invalid_cdb(void)
{
	return ispt_sense_make(ILLEGAL_REQUEST, ISPT_ASC_INVALID_FIELD_CDB);
}

/* bit is the field's most significant bit, or < 0 for a whole byte */
static inline struct ispt_sense ispt_sense_invalid_cdb_field(u16 byte, int bit)
{
	return ispt_sense_field(ISPT_ASC_INVALID_FIELD_CDB, true, byte, bit);
}

static inline struct ispt_sense ispt_sense_lba_out_of_range(void)
{
	return ispt_sense_make(ILLEGAL_REQUEST, ISPT_ASC_LBA_OUT_OF_RANGE);
}

static inline struct ispt_sense ispt_sense_param_list_length(void)
{
	return ispt_sense_make(ILLEGAL_REQUEST, ISPT_ASC_PARAM_LIST_LENGTH);
}

static inline struct ispt_sense ispt_sense_invalid_param_field(u16 byte,
							       int bit)
{
	return ispt_sense_field(ISPT_ASC_INVALID_FIELD_PARAM, false, byte, bit);
}

static inline struct ispt_sense ispt_sense_lun_not_supported(void)
{
	return ispt_sense_make(ILLEGAL_REQUEST, ISPT_ASC_LUN_NOT_SUPPORTED);
}

static inline struct ispt_sense ispt_sense_saving_unsupported(u16 byte, int bit)
{
	return ispt_sense_field(ISPT_ASC_SAVING_UNSUPPORTED, true, byte, bit);
}

static inline struct ispt_sense ispt_sense_write_protected(void)
{
	return ispt_sense_make(DATA_PROTECT, ISPT_ASC_WRITE_PROTECTED);
}

/* lba: the first logical block that failed, reported as INFORMATION */
static inline struct ispt_sense ispt_sense_read_error(u64 lba)
{
	return ispt_sense_with_info(ispt_sense_make(MEDIUM_ERROR,
						    ISPT_ASC_READ_ERROR), lba);
}

static inline struct ispt_sense ispt_sense_write_error(u64 lba)
{
	return ispt_sense_with_info(ispt_sense_make(MEDIUM_ERROR,
						    ISPT_ASC_WRITE_ERROR), lba);
}

static inline struct ispt_sense ispt_sense_not_ready(void)
{
	return ispt_sense_make(NOT_READY, ISPT_ASC_NOT_READY);
}

/* Stopped by START STOP UNIT: a START brings it back */
static inline struct ispt_sense ispt_sense_not_ready_init_required(void)
{
	return ispt_sense_make(NOT_READY, ISPT_ASC_NOT_READY_INIT_REQ);
}

/*
 * A sanitize is under way; @progress is how far, in 65536ths, reported
 * in the sense-key specific bytes (SPC-4 progress indication).
 */
static inline struct ispt_sense ispt_sense_sanitize_in_progress(u16 progress)
{
	struct ispt_sense s = ispt_sense_make(NOT_READY,
					      ISPT_ASC_SANITIZE_IN_PROGRESS);

	s.flags = ISPT_SENSE_SKSV;
	s.field = progress;
	return s;
}

/* The last sanitize failed: media access is refused until one succeeds */
static inline struct ispt_sense ispt_sense_sanitize_failed(void)
{
	return ispt_sense_make(MEDIUM_ERROR, ISPT_ASC_SANITIZE_FAILED);
}

static inline struct ispt_sense ispt_sense_ua_reset(void)
{
	return ispt_sense_make(UNIT_ATTENTION, ISPT_ASC_POWER_ON_RESET);
}

static inline struct ispt_sense ispt_sense_ua_capacity_changed(void)
{
	return ispt_sense_make(UNIT_ATTENTION, ISPT_ASC_CAPACITY_CHANGED);
}

static inline struct ispt_sense ispt_sense_ua_luns_changed(void)
{
	return ispt_sense_make(UNIT_ATTENTION, ISPT_ASC_LUNS_CHANGED);
}

/* The first byte of the Data-Out Buffer that differs, as SBC-3 asks */
static inline struct ispt_sense ispt_sense_miscompare(u64 offset)
{
	return ispt_sense_with_info(ispt_sense_make(MISCOMPARE,
						    ISPT_ASC_MISCOMPARE),
				    offset);
}

static inline struct ispt_sense ispt_sense_software_wp(void)
{
	return ispt_sense_make(DATA_PROTECT, ISPT_ASC_SOFTWARE_WP);
}

static inline struct ispt_sense ispt_sense_ua(u16 asc_ascq)
{
	return ispt_sense_make(UNIT_ATTENTION, asc_ascq);
}

/* EXTENDED COPY stopped: SPC-4 sense key COPY ABORTED */
static inline struct ispt_sense ispt_sense_copy_aborted(u16 asc_ascq)
{
	return ispt_sense_make(COPY_ABORTED, asc_ascq);
}

static inline struct ispt_sense ispt_sense_internal_failure(void)
{
	return ispt_sense_make(HARDWARE_ERROR, ISPT_ASC_INTERNAL_FAILURE);
}

static inline struct ispt_sense ispt_sense_aborted(void)
{
	return ispt_sense_make(ABORTED_COMMAND, ISPT_ASC_NONE);
}

/* A data digest error on Data-Out (RFC 7143 7.8) */
static inline struct ispt_sense ispt_sense_aborted_crc(void)
{
	return ispt_sense_make(ABORTED_COMMAND, ISPT_ASC_CRC_ERROR);
}

/* What executes a decoded command. */
enum ispt_scsi_handler {
	ISPT_SCSI_DO_READ,
	ISPT_SCSI_DO_WRITE,
	ISPT_SCSI_DO_FLUSH,
	ISPT_SCSI_DO_TUR,
	ISPT_SCSI_DO_INQUIRY,
	ISPT_SCSI_DO_READ_CAPACITY_10,
	ISPT_SCSI_DO_READ_CAPACITY_16,
	ISPT_SCSI_DO_REPORT_LUNS,
	ISPT_SCSI_DO_MODE_SENSE,
	ISPT_SCSI_DO_REQUEST_SENSE,
	ISPT_SCSI_DO_REPORT_OPCODES,
	ISPT_SCSI_DO_REPORT_TMFS,
	ISPT_SCSI_DO_UNMAP,
	ISPT_SCSI_DO_WRITE_SAME,
	ISPT_SCSI_DO_VERIFY,		/* BYTCHK 0: read; 1 or 3: compare */
	ISPT_SCSI_DO_WRITE_VERIFY,
	ISPT_SCSI_DO_COMPARE_WRITE,
	ISPT_SCSI_DO_ORWRITE,
	ISPT_SCSI_DO_WRITE_ATOMIC,
	ISPT_SCSI_DO_PREFETCH,
	ISPT_SCSI_DO_GET_LBA_STATUS,
	ISPT_SCSI_DO_START_STOP,
	ISPT_SCSI_DO_PREVENT_ALLOW,
	ISPT_SCSI_DO_READ_DEFECT,
	ISPT_SCSI_DO_MODE_SELECT,
	ISPT_SCSI_DO_PR_IN,
	ISPT_SCSI_DO_PR_OUT,
	ISPT_SCSI_DO_RESERVE,		/* RESERVE(6) and (10) */
	ISPT_SCSI_DO_RELEASE,		/* RELEASE(6) and (10) */
	ISPT_SCSI_DO_XCOPY,
	ISPT_SCSI_DO_RECEIVE_COPY,
	ISPT_SCSI_DO_SANITIZE,
};

/* Data direction seen from the initiator, as in the iSCSI R and W bits. */
enum ispt_scsi_dir {
	ISPT_SCSI_DIR_NONE,
	ISPT_SCSI_DIR_IN,		/* Data-In: target to initiator */
	ISPT_SCSI_DIR_OUT,		/* Data-Out: initiator to target */
};

/*
 * How a command fares against a persistent reservation held by another
 * I_T nexus (SPC-4 5.13.1, SBC-3 4.17): allowed, allowed only under the
 * Write Exclusive types (reads and what only reports), never (writes),
 * or judged by the PERSISTENT RESERVE OUT rules themselves.
 */
enum ispt_scsi_pr_class {
	ISPT_PR_ALLOWED,
	ISPT_PR_READ,
	ISPT_PR_WRITE,
	ISPT_PR_OUT,
};

/* ispt_scsi_cmd.flags */
#define ISPT_SCSI_F_FUA		BIT(0)	/* READ/WRITE: force unit access */
#define ISPT_SCSI_F_DPO		BIT(1)	/* READ/WRITE: disable page out */
#define ISPT_SCSI_F_IMMED	BIT(2)	/* status before the work is done */
#define ISPT_SCSI_F_EVPD	BIT(3)	/* INQUIRY: VPD page */
#define ISPT_SCSI_F_DBD		BIT(4)	/* MODE SENSE: no block descriptors */
#define ISPT_SCSI_F_LLBAA	BIT(5)	/* MODE SENSE(10): long LBA desc */
#define ISPT_SCSI_F_MODE10	BIT(6)	/* MODE SENSE/SELECT(10) header */
#define ISPT_SCSI_F_DESC	BIT(7)	/* REQUEST SENSE: descriptor format */
#define ISPT_SCSI_F_RCTD	BIT(8)	/* REPORT OPCODES: timeouts */
#define ISPT_SCSI_F_REPD	BIT(9)	/* REPORT TMFS: extended data */
#define ISPT_SCSI_F_UNMAP	BIT(10)	/* WRITE SAME: may unmap */
#define ISPT_SCSI_F_NDOB	BIT(11)	/* WRITE SAME(16): zeroes, no data */
#define ISPT_SCSI_F_AUSE	BIT(12)	/* SANITIZE: may exit failure mode */
#define ISPT_SCSI_F_START	BIT(13)	/* START STOP UNIT: START */
#define ISPT_SCSI_F_LOEJ	BIT(14)	/* START STOP UNIT: load/eject */
#define ISPT_SCSI_F_NO_DATA	BIT(15)	/* data-out commands: nothing sent */
#define ISPT_SCSI_F_SPC2_OK	BIT(16)	/* runs under a RESERVE(6/10) */
#define ISPT_SCSI_F_MEDIUM	BIT(17)	/* needs the medium (START STOP) */
#define ISPT_SCSI_F_IN_SANITIZE	BIT(18)	/* runs while a sanitize does */

/* VERIFY and WRITE AND VERIFY BYTCHK (SBC-3) */
enum ispt_scsi_bytchk {
	ISPT_SCSI_BYTCHK_NONE,		/* medium verification only */
	ISPT_SCSI_BYTCHK_ALL,		/* compare every block sent */
	ISPT_SCSI_BYTCHK_ONE = 3,	/* one block, against each LBA */
};

/* MODE SENSE page control (PC) */
enum ispt_scsi_mode_pc {
	ISPT_SCSI_PC_CURRENT,
	ISPT_SCSI_PC_CHANGEABLE,
	ISPT_SCSI_PC_DEFAULT,
	ISPT_SCSI_PC_SAVED,
};

/* REPORT SUPPORTED OPERATION CODES reporting options */
enum ispt_scsi_rsoc_options {
	ISPT_SCSI_RSOC_ALL,		/* every command */
	ISPT_SCSI_RSOC_OPCODE,		/* one opcode without service actions */
	ISPT_SCSI_RSOC_OPCODE_SA,	/* one opcode with a service action */
	ISPT_SCSI_RSOC_OPCODE_ANY,	/* one opcode, SA used if it has them */
};

/*
 * struct ispt_scsi_cmd - a CDB after decoding
 *
 * Filled by ispt_scsi_decode(), which has already checked every field,
 * the LBA range and the transfer limit; the handler trusts it as is.
 * For a command that transfers data, data_len is what it moves: exactly
 * nr_blocks * block_size for READ and WRITE, one block for WRITE SAME,
 * the parameter list length for UNMAP, and at most alloc_len for the
 * data-in commands (the builders return how much they produced).
 * nr_blocks == 0 means no blocks, except for SYNCHRONIZE CACHE where it
 * means "from lba to the last LBA".
 */
struct ispt_scsi_cmd {
	enum ispt_scsi_handler	handler;
	enum ispt_scsi_dir	dir;
	enum ispt_scsi_pr_class	pr_class;
	u8			opcode;
	u8			service_action;
	u32			flags;		/* ISPT_SCSI_F_* */
	u64			lba;
	u32			nr_blocks;
	u32			data_len;	/* bytes, in dir */
	u32			alloc_len;	/* data-in commands only */
	union {
		struct {
			u8	page;		/* VPD page, with EVPD */
		} inquiry;
		struct {
			u8	pc;		/* enum ispt_scsi_mode_pc */
			u8	page;
			u8	subpage;
		} mode;
		struct {
			u8	select;		/* SELECT REPORT */
		} report_luns;
		struct {
			u8	options;	/* enum ispt_scsi_rsoc_options */
			u8	opcode;		/* requested operation code */
			u16	sa;		/* requested service action */
		} rsoc;
		struct {
			u8	bytchk;		/* enum ispt_scsi_bytchk */
		} verify;
		struct {
			u8	power_condition;
		} start_stop;
		struct {
			u8	prevent;	/* 0..3 */
		} prevent;
		struct {
			u8	format;		/* REQ_PLIST, REQ_GLIST, format */
		} defect;
		struct {
			u8	scope;		/* PERSISTENT RESERVE OUT */
			u8	type;
		} pr;
		struct {
			u8	list_id;	/* RECEIVE COPY RESULTS */
		} copy;
	};
	struct ispt_sense	sense;		/* why decode failed */
};

/*
 * struct ispt_scsi_nexus - who sent a command: the I_T nexus
 *
 * For iSCSI an initiator port is the initiator name plus the ISID, and a
 * target port the target name plus the portal group tag; the target is
 * the LU's own, so the tag (relative port) is enough here. Persistent
 * reservations and unit attentions are kept per nexus.
 */
struct ispt_scsi_nexus {
	const char	*initiator;	/* iSCSI name, NUL-terminated */
	u8		isid[6];
	u16		rel_port_id;
};

/* scsi.c APIs: */
bool ispt_scsi_lun_desc_valid(const struct ispt_scsi_lun_desc *lun);

u32 ispt_sense_build(const struct ispt_sense *sense, bool desc,
		     u8 *buf, u32 len);

enum sam_status ispt_scsi_decode(struct ispt_scsi_cmd *cmd, const u8 *cdb,
				 unsigned int cdb_len,
				 const struct ispt_scsi_lun_desc *lun);
bool ispt_scsi_ua_exempt(const u8 *cdb, unsigned int cdb_len);
bool ispt_scsi_check_edtl(struct ispt_scsi_cmd *cmd, u32 edtl);
/*
 * A checked UNMAP list: its descriptors to execute, and the one range of
 * blocks that covers every descriptor with blocks (none when @nr_blocks
 * is 0), which the executor holds while it discards.
 */
struct ispt_scsi_unmap_plan {
	u32	nr_descs;
	u64	lba;
	u64	nr_blocks;
};

enum sam_status ispt_scsi_unmap_check(struct ispt_scsi_cmd *cmd,
				      const struct ispt_scsi_lun_desc *lun,
				      const u8 *data, u32 len,
				      struct ispt_scsi_unmap_plan *plan);
void ispt_scsi_unmap_desc(const u8 *data, u32 index, u64 *lba, u32 *nr);
bool ispt_scsi_handler_executed(enum ispt_scsi_handler handler);
u32 ispt_scsi_report_opcodes(const struct ispt_scsi_cmd *cmd,
			     const struct ispt_scsi_lun_desc *lun,
			     u8 *buf, u32 len);

bool ispt_scsi_lun_encode(u64 lun, struct scsi_lun *out);
bool ispt_scsi_lun_decode(const struct scsi_lun *in, u64 *lun);

#endif /* ISPT_SCSI_H */
