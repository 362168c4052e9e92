/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_CONN_H
#define ISPT_CONN_H

#include <linux/cpumask.h>
#include <linux/list.h>
#include <linux/socket.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <scsi/iscsi_proto.h>

#include "state.h"
#include "worker.h"

struct bio_vec;
struct ispt_conn;
struct ispt_login;
struct ispt_pdu_summary;
struct ispt_session;

#define ISPT_BHS_LEN		48
#define ISPT_DIGEST_LEN		4
/* TotalAHSLength is one byte of 4-byte words. */
#define ISPT_MAX_AHS_LEN	(255 * 4)
/* RFC 7143 13.12: data segments during login are at most 8 KiB. */
#define ISPT_LOGIN_MAX_DSL	8192

enum ispt_conn_state {
	ISPT_CONN_LOGIN,	/* only Login PDUs until Full Feature Phase */
	ISPT_CONN_FULL_FEATURE,
	ISPT_CONN_LOGGED_OUT,	/* close once the logout response is sent */
	ISPT_CONN_CLOSING,	/* teardown under way */
};

enum ispt_rx_state {
	ISPT_RX_BHS,
	ISPT_RX_AHS,
	ISPT_RX_HDIGEST,
	ISPT_RX_DATA,
	ISPT_RX_PAD,
	ISPT_RX_DDIGEST,
};

/* A PDU the target sends: header, optional data, digests. */
struct ispt_tx_pdu {
	struct list_head	node;
	struct iscsi_hdr	bhs;
	__le32			hdigest;
	bool			has_hdigest;	/* as the connection was at queueing */
	u32			data_len;	/* DataSegmentLength */
	void			*data;		/* kernel buffer, copied */
	struct bio_vec		*bvec;		/* or pages, sent zero-copy */
	unsigned int		nr_bvec;
	u32			bvec_skip;	/* bytes of bvec before the data */
	void			*owner;		/* e.g. the command, for release */
	u8			trailer[8];	/* padding, then data digest */
	unsigned int		trailer_len;
	unsigned int		sent;		/* bytes of the PDU on the wire */
	/* Called once the PDU has been sent, or dropped on teardown. */
	void			(*release)(struct ispt_tx_pdu *pdu);
};

/* The PDU being received, and where its parts go. */
struct ispt_rx_pdu {
	struct iscsi_hdr	bhs;
	u8			ahs[ISPT_MAX_AHS_LEN];
	u32			ahs_len;
	u32			data_len;	/* DataSegmentLength */
	u8			*data;		/* conn's buffer, data_cap bytes */
	u32			data_cap;
	__le32			digest;
	u8			pad[4];
	/* Set at header time to receive the data into pages instead. */
	const struct bio_vec	*bvec;
	unsigned int		nr_bvec;
	u32			bvec_skip;
};

/* A Full Feature Phase text exchange in progress (text.c). */
struct ispt_text_state {
	itt_t			itt;
	u32			ttt;		/* ours, to continue with */
	char			*req;		/* request text gathered so far */
	u32			req_len;
	char			*rsp;		/* answer still being sent */
	u32			rsp_len;
	u32			rsp_off;
};

struct ispt_conn {
	struct ispt_work	work;		/* owned by one CPU's worker */
	struct socket		*sock;
	struct sockaddr_storage	peer;
	struct sockaddr_storage	local;
	u16			tpgt;
	cpumask_var_t		cpus;		/* its portal group's, at accept */
	u16			cid;
	enum ispt_conn_state	state;
	unsigned long		events;		/* set from any context */
	bool			dead;		/* teardown done, free pending */
	/*
	 * Task management in flight that will post to this connection (a
	 * request from another connection's TMF, or the response to its
	 * own): it is not freed before they have run. Raised from any CPU
	 * (ispt_conn_hold()), dropped in the owner.
	 */
	atomic_t		holds;
	struct list_head	node;		/* on ispt_conns */

	/* receive */
	enum ispt_rx_state	rx_state;
	struct ispt_rx_pdu	rx;
	struct iov_iter		rx_iter;
	struct kvec		rx_kvec;
	u32			rx_left;	/* of the current part */
	u32			max_recv_dsl;	/* what we accept now */

	/* send */
	struct list_head	tx_queue;
	unsigned long		tx_bytes;	/* queued, headers and data */
	u32			max_send_dsl;	/* the initiator's MRDSL */

	bool			header_digest;
	bool			data_digest;

	u32			statsn;		/* next StatSN we send */
	u32			exp_statsn;	/* the initiator's ExpStatSN */
	unsigned long		last_rx;	/* jiffies of the last PDU in */
	unsigned long		nop_sent;	/* jiffies of our unanswered ping */
	bool			nop_pending;

	unsigned long		login_deadline;	/* jiffies */
	unsigned long		logout_deadline; /* asked to log out; 0: not */
	bool			logout_asked;	/* the Async Message went out */
	struct timer_list	timer;

	struct ispt_text_state	text;
	struct ispt_login	*login;
	struct ispt_session	*sess;
	/* Under sess->lock: */
	struct list_head	sess_node;	/* on sess->conns */
	bool			parked;		/* rx PDU waits for its CmdSN */
	u32			parked_cmdsn;
	/* Owner only: a CmdSN this connection rejected (data digest). */
	bool			retry_due;
	u32			retry_cmdsn;
	bool			leaves_alone;	/* its end leaves the session be */
	struct list_head	cmds;		/* commands alive */
	unsigned int		nr_cmds;	/* with the retained ones */
	/* ERL 1: reads kept for Data SNACK, in StatSN order (cmd.c)... */
	struct list_head	cmds_retained;
	unsigned int		nr_retained;
	/* ...and a copy of each numbered response, for Status SNACK. */
	struct list_head	status_copies;
	unsigned int		nr_status_copies;
	/* Task attributes (cmd.c: cmd_admit()); under sess->lock: */
	struct list_head	cmds_ready;	/* admitted, for the owner to run */
	bool			cmds_unblocking; /* owner: running them */
	unsigned int		cmd_pages;	/* their buffers; see cmd.c */
	u32			next_ttt;
	void			*rx_cmd;	/* the command the rx PDU is for */

	void			(*saved_data_ready)(struct sock *sk);
	void			(*saved_write_space)(struct sock *sk);
	void			(*saved_state_change)(struct sock *sk);

	struct ispt_conn_info	info;		/* for "sessions" (state.c) */
	struct ispt_io_stats	stats;		/* written by the owner only */
};

/* Keepalive, seconds: ping after this much silence (0: never)... */
extern unsigned int ispt_nopin_interval;
/* ...and drop the connection if the ping is not answered in this. */
extern unsigned int ispt_nopin_timeout;
#define ISPT_NOPIN_MAX		3600

/* conn.c APIs: */
int ispt_conn_accept(struct socket *sock, u16 tpgt, const struct cpumask *cpus);
void ispt_conn_close(struct ispt_conn *conn, const char *why);
void ispt_conn_request_close(struct ispt_conn *conn);
void ispt_conn_request_logout(struct ispt_conn *conn, bool drop);
void ispt_conns_shutdown(void);
void ispt_conn_cmd_gone(struct ispt_conn *conn, bool retained);
void ispt_conn_hold(struct ispt_conn *conn);
void ispt_conn_unhold(struct ispt_conn *conn);
unsigned int ispt_conns_count(void);
void ispt_conns_for_each(void (*fn)(struct ispt_conn *conn, void *arg),
			 void *arg);
void ispt_conns_recheck_access(void);

/* rx.c APIs: */
int ispt_conn_recv(struct ispt_conn *conn, int budget);
void ispt_conn_rx_reset(struct ispt_conn *conn);

/* tx.c APIs: */
u32 ispt_crc_bvec(u32 crc, const struct bio_vec *bvec, unsigned int nr,
		  u32 skip, u32 len);
/*
 * PDUs the data path answers with: they may dip into the atomic reserves
 * (sending them frees a command's memory), and a failure, which closes
 * the connection, is logged by the caller, not by the page allocator.
 */
#define ISPT_GFP_ANSWER	(GFP_ATOMIC | __GFP_NOWARN)

struct ispt_tx_pdu *ispt_tx_pdu_alloc(u32 data_len, gfp_t gfp);
void ispt_tx_pdu_free(struct ispt_tx_pdu *pdu);
void ispt_conn_queue_pdu(struct ispt_conn *conn, struct ispt_tx_pdu *pdu);
int ispt_conn_send(struct ispt_conn *conn, int budget);
void ispt_conn_tx_drop_all(struct ispt_conn *conn);

/* snack.c APIs: ErrorRecoveryLevel 1 */
bool ispt_conn_erl1(const struct ispt_conn *conn);
void ispt_status_copy_note(struct ispt_conn *conn,
			   const struct ispt_tx_pdu *pdu);
void ispt_snack_acked(struct ispt_conn *conn, u32 exp_statsn);
void ispt_status_drop_all(struct ispt_conn *conn);
int ispt_snack_handle(struct ispt_conn *conn, const struct ispt_pdu_summary *s);

/*
 * The opcode handlers (login.c, session.c) get each complete PDU here;
 * ISPT_PDU_PARKED keeps it in the rx buffer, to be handled again when
 * the connection is next queued (session.c, MC/S CmdSN order).
 */
#define ISPT_PDU_PARKED		1
int ispt_conn_handle_pdu(struct ispt_conn *conn);
/* ...and each header before its data, to say where the data goes. */
int ispt_conn_handle_header(struct ispt_conn *conn);

#endif /* ISPT_CONN_H */
