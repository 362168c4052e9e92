/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_CMD_H
#define ISPT_CMD_H

#include <linux/blk_types.h>
#include <linux/bvec.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <scsi/iscsi_proto.h>

#include "lbalock.h"
#include "pdu.h"
#include "scsi.h"
#include "worker.h"

struct ispt_cmd;
struct ispt_conn;
struct ispt_lun;
struct ispt_session;
struct ispt_tmf_remote;
struct ispt_xcopy_exec;

/* MaxOutstandingR2T we offer: R2T sequences of one write in flight. */
#define ISPT_MAX_OUTSTANDING_R2T	4

/*
 * The progress of an executor that runs in steps (sbc.c): the LBA range
 * it holds against other writes, and where its next step starts.
 */
struct ispt_sbc_state {
	struct ispt_lba_range	range;		/* valid while range_used */
	bool			range_used;
	void			(*then)(struct ispt_cmd *cmd);	/* range held */
	u64			lba;		/* next block */
	u64			left;		/* blocks still to do */
	u32			desc;		/* UNMAP: next descriptor */
	u32			nr_descs;
	u32			aux;		/* offset of pages sbc.c added */
	u32			aux_len;
	u8			mode;		/* WRITE SAME: how it writes */
};

/*
 * Where a task stands in its session's task set (cmd.c: cmd_admit()).
 * Only the owner sets ACTIVE and DONE; another connection's worker may
 * move a task of this one from BLOCKED to READY, under sess->lock.
 */
enum ispt_ta_state {
	ISPT_TA_NONE,		/* not in the task set yet */
	ISPT_TA_BLOCKED,	/* its attribute holds it back */
	ISPT_TA_READY,		/* admitted, for the owner to run */
	ISPT_TA_ACTIVE,		/* admitted, the owner knows */
	ISPT_TA_DONE,		/* out of the task set */
};

/*
 * A SCSI task from its command PDU to its last PDU on the wire, owned by
 * the connection's worker for all of that time. Bios complete on any CPU
 * and post the command back to the owner (ispt_work_post); nothing else
 * touches it from another CPU.
 *
 * Its data lives in pages (bvec, nr_pages): a write's data is received
 * straight into them and a read's bios fill them, then they are sent as
 * Data-In by reference. Small answers are copied into them.
 */
struct ispt_cmd {
	struct ispt_post	post;		/* bio completion, to the owner */
	struct list_head	node;		/* on conn->cmds */
	/* Under sess->lock: on sess->cmds_blocked or conn->cmds_ready. */
	struct list_head	wait_node;
	struct ispt_conn	*conn;
	struct ispt_lun		*lun;		/* holds a reference, or NULL */
	struct ispt_scsi_cmd	scsi;
	itt_t			itt;
	u64			lun_id;
	u32			edtl;		/* Expected Data Transfer Length */
	u8			attr;		/* ISCSI_ATTR_* */
	u8			ta_state;	/* enum ispt_ta_state */
	refcount_t		refs;		/* owner + queued Data-In PDUs */
	u64			start_ns;	/* arrival, for the counters */

	/* Block I/O: bios under way, then @io_done in the owner. */
	atomic_t		bios_pending;
	blk_status_t		status;		/* first bio error */
	bool			submitted;	/* bios under way or done */
	void			(*io_done)(struct ispt_cmd *cmd);
	struct ispt_sbc_state	sbc;		/* sbc.c's executors */
	struct ispt_xcopy_exec	*xcopy;		/* EXTENDED COPY, or NULL */

	/* The outcome ispt_cmd_complete() sends. */
	u8			sam_status;
	struct ispt_sense	sense;		/* with CHECK CONDITION */
	bool			ua_data;	/* REQUEST SENSE: @sense is its data */
	u32			xfer_len;	/* what the CDB moves, for residuals */
	u32			data_in_len;	/* bytes of the pages to send */

	struct bio_vec		*bvec;
	unsigned int		nr_pages;
	unsigned int		charged;	/* pages counted against the limits */
	u32			buf_len;	/* bytes the pages hold */
	u32			io_len;		/* bytes a write takes from them */

	/* Task management (tmf.c) */
	bool			completed;	/* its outcome is decided */
	bool			aborted;	/* ends without a response... */
	bool			task_aborted;	/* ...or with TASK ABORTED */
	struct ispt_tmf		*abort_tmf;	/* answered once this ends */

	/* Data-Out arriving into the pages. */
	u32			received;	/* bytes accepted */
	u32			rx_len;		/* of the Data-Out being read */
	bool			rx_seq_last;	/* it ends its sequence */
	bool			unsol_open;	/* the first burst is still due */
	struct ispt_pdu_r2t_plan plan;
	struct ispt_pdu_dataout_seq *rx_seq;	/* the Data-Out's sequence */
	/* Answering our R2Ts; a free one has the reserved TTT. */
	struct ispt_pdu_dataout_seq seqs[ISPT_MAX_OUTSTANDING_R2T];
	struct ispt_pdu_dataout_seq unsol_seq;	/* the first burst */

	/*
	 * ErrorRecoveryLevel 1 (snack.c). Data-Out lost to a digest error
	 * leaves a hole, asked for again by a recovery R2T once no sequence
	 * is open; a read is retained after its status, on
	 * conn->cmds_retained, until ExpStatSN acknowledges @statsn or a
	 * DataACK for @datain_ttt all its data, for Data SNACKs that replay
	 * its Data-In as first cut (@datain_mrdsl); below @data_acked they
	 * are acknowledged.
	 */
	u32			hole_start;
	u32			hole_end;	/* > hole_start: a hole */
	u8			recoveries;	/* recovery R2Ts sent */
	bool			recovery_open;
	bool			retained;
	u32			statsn;
	u32			datain_mrdsl;
	u32			datain_pdus;
	u32			datain_ttt;	/* with the A bit on the last */
	u32			data_acked;
};

/* What a TMF does on each connection of its session (tmf.c). */
enum ispt_tmf_reach {
	ISPT_TMF_REACH_NONE,	/* nothing: answered from the request alone */
	ISPT_TMF_REACH_TASK,	/* the task @rtt */
	ISPT_TMF_REACH_LUN,	/* the tasks on @lun */
	ISPT_TMF_REACH_ALL,	/* every task of the session */
};

/*
 * A task management request whose response waits for the tasks it
 * aborted to end: their bios cannot be recalled, only waited for. With
 * MC/S, or for a reset that reaches every I_T nexus, its work is done on
 * every connection it reaches, each by its own CPU's worker, so what
 * they share is CPU-safe: @pending counts the
 * connections still to report and the aborted tasks still running (plus
 * one for the TMF's connection's own pass), and @found is only ever set.
 * The response goes out on @conn, in its owner, once @pending drops to
 * zero; @conn is held (ispt_conn_hold()) until then.
 */
struct ispt_tmf {
	struct ispt_post	post;		/* the response, to @conn's owner */
	struct ispt_conn	*conn;		/* the TMF came on it */
	itt_t			itt;
	itt_t			rtt;		/* Referenced Task Tag */
	u64			lun;
	u8			function;
	u8			response;	/* as far as @conn could tell */
	enum ispt_tmf_reach	reach;
	bool			abort;		/* abort what it reaches, or query */
	bool			close_after;	/* TARGET COLD RESET */
	bool			all_nexuses;	/* other sessions' tasks too */
	bool			no_memory;	/* while gathering connections */
	struct ispt_tmf_remote	*gathered;	/* ...the connections so far */
	/* PREEMPT AND ABORT: its command, answered instead, and its LU */
	struct ispt_cmd		*cmd;
	struct ispt_lun		*lu;
	u32			refcmdsn;	/* ABORT TASK: */
	bool			ref_in_window;	/* RefCmdSN in the window */
	bool			ref_before;	/* ...and before the TMF's CmdSN */
	bool			found;		/* some connection had a task */
	refcount_t		pending;	/* connections and tasks to wait for */
};

/* cmd.c APIs, iSCSI side: */
int ispt_cmd_handle(struct ispt_conn *conn, const struct ispt_pdu_summary *s);
int ispt_cmd_tmf(struct ispt_conn *conn, const struct ispt_pdu_summary *s);
int ispt_cmd_data_out(struct ispt_conn *conn, const struct ispt_pdu_summary *s);
int ispt_cmd_rx_immediate(struct ispt_conn *conn,
			  const struct ispt_pdu_summary *s);
int ispt_cmd_rx_data_out(struct ispt_conn *conn,
			 const struct ispt_pdu_summary *s);
void ispt_cmd_rx_prepare(struct ispt_conn *conn,
			 const struct ispt_pdu_summary *s);
void ispt_cmd_rx_admit_locked(struct ispt_conn *conn);
void ispt_cmd_rx_abandon(struct ispt_conn *conn);
void ispt_cmds_run_ready(struct ispt_conn *conn);
void ispt_cmds_conn_closing(struct ispt_conn *conn);
void ispt_cmds_leave_task_set_locked(struct ispt_session *sess,
				     struct ispt_conn *conn);
bool ispt_cmd_abort(struct ispt_cmd *cmd, struct ispt_tmf *tmf);
int ispt_cmd_data_out_lost(struct ispt_conn *conn);
struct ispt_cmd *ispt_cmd_find_task(struct ispt_conn *conn, itt_t itt);
int ispt_cmd_snack(struct ispt_conn *conn, const struct ispt_pdu_summary *s);
int ispt_cmd_data_ack(struct ispt_conn *conn, const struct ispt_pdu_summary *s);
void ispt_cmds_acked(struct ispt_conn *conn, u32 exp_statsn);

/* tmf.c APIs: */
bool ispt_tmf_waits_for_earlier(u8 function);
struct ispt_tmf *ispt_tmf_for_cmd(struct ispt_cmd *cmd);
bool ispt_tmf_gather_conn(struct ispt_conn *conn, void *tmf);
void ispt_tmf_cmd_run(struct ispt_tmf *tmf, bool go);
void ispt_tmf_task_ended(struct ispt_conn *conn, struct ispt_tmf *tmf);
u8 ispt_tmf_outcome(const struct ispt_tmf *tmf);
bool ispt_tmf_put(struct ispt_tmf *tmf);

/*
 * For the executors of commands (sbc.c): they run in the owner, with the
 * command's data-out already in its pages (io_len bytes). They either
 * finish with ispt_cmd_complete() or start bios between
 * ispt_cmd_io_begin() and ispt_cmd_io_end() (submit_bio() in between)
 * and set @io_done, which runs
 * in the owner when the last bio has ended (cmd->status says how).
 */
void ispt_cmd_complete(struct ispt_cmd *cmd);
void ispt_cmd_fail(struct ispt_cmd *cmd, struct ispt_sense sense);
int ispt_cmd_alloc_pages(struct ispt_cmd *cmd, u32 len);
void ispt_cmd_copy_from_pages(struct ispt_cmd *cmd, u32 off, void *to,
			      u32 len);
long ispt_cmd_pages_pinned(void);
int ispt_cmd_set_data_in(struct ispt_cmd *cmd, const void *buf, u32 len);
void ispt_cmd_io_begin(struct ispt_cmd *cmd);
struct bio *ispt_cmd_bio_alloc(struct ispt_cmd *cmd, blk_opf_t opf,
			       sector_t sector, unsigned short nr_vecs);
int ispt_cmd_io_pages(struct ispt_cmd *cmd, blk_opf_t opf, sector_t sector,
		      u32 offset, u32 len);
struct bio *ispt_cmd_bio_alloc_on(struct ispt_cmd *cmd, struct ispt_lun *lun,
				  blk_opf_t opf, sector_t sector,
				  unsigned short nr_vecs);
int ispt_cmd_io_pages_on(struct ispt_cmd *cmd, struct ispt_lun *lun,
			 blk_opf_t opf, sector_t sector, u32 offset, u32 len);
void ispt_cmd_io_end(struct ispt_cmd *cmd);
sector_t ispt_cmd_lba_to_sector(const struct ispt_cmd *cmd, u64 lba);

/* sbc.c: commands beyond READ/WRITE/FLUSH and the built answers. */
int ispt_sbc_execute(struct ispt_cmd *cmd);
bool ispt_sbc_lock(struct ispt_cmd *cmd, u64 lba, u64 nr, bool exclusive,
		   void (*then)(struct ispt_cmd *cmd));
void ispt_sbc_release(struct ispt_cmd *cmd);

/* prcmd.c: reservations, and the RESERVATION CONFLICT check. */
bool ispt_pr_cmd_conflict(struct ispt_cmd *cmd);
bool ispt_pr_lun_conflict(struct ispt_cmd *cmd, struct ispt_lun *lun,
			  bool write);
int ispt_pr_execute(struct ispt_cmd *cmd);

/* xcopy_exec.c: EXTENDED COPY and RECEIVE COPY RESULTS. */
void ispt_xcopy_execute(struct ispt_cmd *cmd);
void ispt_xcopy_receive(struct ispt_cmd *cmd);
void ispt_xcopy_release(struct ispt_cmd *cmd);

#endif /* ISPT_CMD_H */
