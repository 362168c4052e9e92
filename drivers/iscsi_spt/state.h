/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ISPT_STATE_H
#define ISPT_STATE_H

/*
 * Runtime state for administrators: what each connection is (published
 * once it enters Full Feature Phase) and I/O counters per connection, per
 * LUN and per CPU, shown by the read-only configfs files "sessions" and
 * "stats" (Documentation/configfs.rst gives their format).
 *
 * Counters are written without shared locks: a connection's by its
 * owning worker only, a LUN's and a CPU's per CPU.
 */
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <scsi/iscsi_proto.h>

struct configfs_bin_attribute;
struct ispt_conn;
struct ispt_lun;

/*
 * Latency histogram: bucket 0 counts commands under 2 us, bucket i
 * (0 < i < last) those in [2^i, 2^(i+1)) us, the last one the rest.
 */
#define ISPT_STATS_LAT_BUCKETS	20

struct ispt_io_stats {
	u64_stats_t		cmds;
	u64_stats_t		reads;
	u64_stats_t		writes;
	u64_stats_t		read_bytes;
	u64_stats_t		write_bytes;
	u64_stats_t		errors;
	u64_stats_t		busy;
	u64_stats_t		lat_sum_ns;
	u64_stats_t		lat[ISPT_STATS_LAT_BUCKETS];
	struct u64_stats_sync	syncp;
};

/*
 * Objects the module has alive, for the "objects" line of "stats": what a
 * leak test compares before and after. Taken and dropped per CPU (a
 * command may be freed on another CPU than it was allocated on, so one
 * CPU's count may go negative; the sum is right), so counting costs the
 * I/O path no shared cache line.
 */
struct ispt_obj_counts {
	long	cmds;		/* struct ispt_cmd */
	long	tx_pdus;	/* struct ispt_tx_pdu */
};
DECLARE_PER_CPU(struct ispt_obj_counts, ispt_obj_counts);

#define ispt_obj_get(field)	this_cpu_inc(ispt_obj_counts.field)
#define ispt_obj_put(field)	this_cpu_dec(ispt_obj_counts.field)

/* What a command did, for the counters. */
enum ispt_stats_dir {
	ISPT_STATS_OTHER,	/* no medium access: INQUIRY, TUR... */
	ISPT_STATS_READ,
	ISPT_STATS_WRITE,
};

/* A connection as the "sessions" file shows it; fixed once published. */
struct ispt_conn_info {
	u64			id;		/* unique while loaded */
	bool			published;	/* release/acquire */
	bool			discovery;
	bool			header_digest;
	bool			data_digest;
	bool			initial_r2t;
	bool			immediate_data;
	bool			data_pdu_in_order;
	bool			data_seq_in_order;
	u8			erl;
	u8			isid[6];
	u16			tsih;
	u16			cid;
	u32			max_recv_dsl;
	u32			max_send_dsl;
	u32			max_burst;
	u32			first_burst;
	u32			max_r2t;
	u32			time2wait;
	u32			time2retain;
	char			initiator[ISCSI_NAME_LEN];
	char			target[ISCSI_NAME_LEN];
};

/* A LUN's counters, kept while the LUN is enabled. */
struct ispt_lun_stats {
	struct list_head	node;		/* on the registry */
	u64			id;
	struct ispt_io_stats __percpu *pcpu;
	char			target[ISCSI_NAME_LEN];
};

/* state.c APIs: */
void ispt_state_conn_init(struct ispt_conn *conn);
void ispt_state_conn_publish(struct ispt_conn *conn);
struct ispt_lun_stats *ispt_state_lun_create(const char *target, u64 id);
void ispt_state_lun_destroy(struct ispt_lun_stats *stats);
void ispt_state_cmd_done(struct ispt_conn *conn, struct ispt_lun *lun,
			 u64 start_ns, enum ispt_stats_dir dir, u32 bytes,
			 bool error, bool busy);

/* The read-only configfs files of the root, for configfs.c. */
extern struct configfs_bin_attribute ispt_state_attr_sessions;
extern struct configfs_bin_attribute ispt_state_attr_stats;

#endif /* ISPT_STATE_H */
