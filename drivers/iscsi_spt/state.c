// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime state for administrators: the "sessions" and "stats" files at
 * the configfs root, and the counters behind "stats".
 *
 * Both files are configfs binary attributes: a text attribute is cut at
 * PAGE_SIZE, which a few dozen connections fill. configfs asks for the
 * size first (read with a NULL buffer), allocates that much, then asks
 * for the contents, and the file is exactly that size whatever the
 * second call returns. Connections and LUNs may come and go in between,
 * so the size asked for has some slack, lines are only ever written
 * whole, and the file always ends with a trailer line, "# end" when
 * every line fit or "# truncated", padded with spaces to the size.
 *
 * A connection's identity and negotiated keys are copied into it once,
 * by its owner, when it enters Full Feature Phase: readers then need no
 * access to the session, which the owner may free at any time, only to
 * the connection, which stays on the global list (under its lock) until
 * it is torn down.
 */
#include <linux/configfs.h>
#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cmd.h"
#include "conn.h"
#include "lun.h"
#include "session.h"
#include "state.h"
#include "target.h"

/* Largest file: about 8,000 connections with long names. */
#define STATE_MAX_SIZE		(8 << 20)
/* One line: two names of 223 bytes, addresses, keys or counters. */
#define STATE_LINE_MAX		2048
#define STATE_TRAILER_MAX	(sizeof("# truncated\n") - 1)

static atomic64_t ispt_conn_ids = ATOMIC64_INIT(0);
static DEFINE_PER_CPU(struct ispt_io_stats, ispt_cpu_stats);
DEFINE_PER_CPU(struct ispt_obj_counts, ispt_obj_counts);
static LIST_HEAD(ispt_lun_stats_list);
static DEFINE_MUTEX(ispt_lun_stats_lock);	/* protects the list */

/* In the owner, before the connection can be seen. */
void ispt_state_conn_init(struct ispt_conn *conn)
{
	conn->info.id = atomic64_inc_return(&ispt_conn_ids);
	u64_stats_init(&conn->stats.syncp);
}

/* In the owner, once the session and the connection's keys are final. */
void ispt_state_conn_publish(struct ispt_conn *conn)
{
	const struct ispt_session *sess = conn->sess;
	const struct ispt_session_keys *k = &sess->keys;
	struct ispt_conn_info *info = &conn->info;

	info->discovery = sess->discovery;
	memcpy(info->isid, sess->isid, sizeof(info->isid));
	info->tsih = sess->tsih;
	info->cid = conn->cid;
	strscpy(info->initiator, sess->initiator, sizeof(info->initiator));
	if (sess->target)
		strscpy(info->target, ispt_target_name(sess->target),
			sizeof(info->target));
	info->header_digest = conn->header_digest;
	info->data_digest = conn->data_digest;
	info->max_recv_dsl = conn->max_recv_dsl;
	info->max_send_dsl = conn->max_send_dsl;
	info->max_burst = k->max_burst;
	info->first_burst = k->first_burst;
	info->max_r2t = k->max_outstanding_r2t;
	info->time2wait = k->time2wait;
	info->time2retain = k->time2retain;
	info->erl = k->erl;
	info->initial_r2t = k->initial_r2t;
	info->immediate_data = k->immediate_data;
	info->data_pdu_in_order = k->data_pdu_in_order;
	info->data_seq_in_order = k->data_sequence_in_order;
	/* Pairs with smp_load_acquire() in conn_published(). */
	smp_store_release(&info->published, true);
}

static bool conn_published(const struct ispt_conn *conn)
{
	/* Pairs with smp_store_release() in ispt_state_conn_publish(). */
	return smp_load_acquire(&conn->info.published);
}

/**
 * ispt_state_lun_create - counters for a LUN being enabled
 * @target: the target's name
 * @id: the LUN
 *
 * Return: the counters, listed in "stats" until destroyed; NULL without
 * memory.
 */
struct ispt_lun_stats *ispt_state_lun_create(const char *target, u64 id)
{
	struct ispt_lun_stats *stats;
	int cpu;

	stats = kzalloc(sizeof(*stats), GFP_KERNEL);
	if (!stats)
		return NULL;
	stats->pcpu = alloc_percpu(struct ispt_io_stats);
	if (!stats->pcpu) {
		kfree(stats);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats->pcpu, cpu)->syncp);
	stats->id = id;
	strscpy(stats->target, target, sizeof(stats->target));
	mutex_lock(&ispt_lun_stats_lock);
	list_add_tail(&stats->node, &ispt_lun_stats_list);
	mutex_unlock(&ispt_lun_stats_lock);
	return stats;
}

/* After the LUN's last command: nothing counts into @stats any more. */
void ispt_state_lun_destroy(struct ispt_lun_stats *stats)
{
	if (!stats)
		return;
	mutex_lock(&ispt_lun_stats_lock);
	list_del(&stats->node);
	mutex_unlock(&ispt_lun_stats_lock);
	free_percpu(stats->pcpu);
	kfree(stats);
}

static unsigned int lat_bucket(u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);

	if (us < 2)
		return 0;
	return min_t(unsigned int, ilog2(us), ISPT_STATS_LAT_BUCKETS - 1);
}

static void io_stats_add(struct ispt_io_stats *st, enum ispt_stats_dir dir,
			 u32 bytes, bool error, bool busy, u64 ns,
			 unsigned int bucket)
{
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->cmds);
	if (dir == ISPT_STATS_READ) {
		u64_stats_inc(&st->reads);
		u64_stats_add(&st->read_bytes, bytes);
	} else if (dir == ISPT_STATS_WRITE) {
		u64_stats_inc(&st->writes);
		u64_stats_add(&st->write_bytes, bytes);
	}
	if (error)
		u64_stats_inc(&st->errors);
	if (busy)
		u64_stats_inc(&st->busy);
	u64_stats_add(&st->lat_sum_ns, ns);
	u64_stats_inc(&st->lat[bucket]);
	u64_stats_update_end(&st->syncp);
}

/**
 * ispt_state_cmd_done - count a finished SCSI command
 * @conn: its connection; in the connection's owner
 * @lun: the LU it addressed, or NULL if there was none
 * @start_ns: ktime_get_ns() when it arrived
 * @dir: whether it read or wrote the medium
 * @bytes: data read or written
 * @error: it ended with a status other than GOOD, or without one
 * @busy: it ended with TASK SET FULL (one of the errors): back-pressure
 */
void ispt_state_cmd_done(struct ispt_conn *conn, struct ispt_lun *lun,
			 u64 start_ns, enum ispt_stats_dir dir, u32 bytes,
			 bool error, bool busy)
{
	u64 ns = ktime_get_ns() - start_ns;
	unsigned int bucket = lat_bucket(ns);

	io_stats_add(&conn->stats, dir, bytes, error, busy, ns, bucket);
	/* Preemption off: another worker may run on this CPU later. */
	io_stats_add(get_cpu_ptr(&ispt_cpu_stats), dir, bytes, error, busy,
		     ns, bucket);
	if (lun && lun->stats)
		io_stats_add(this_cpu_ptr(lun->stats->pcpu), dir, bytes, error,
			     busy, ns, bucket);
	put_cpu_ptr(&ispt_cpu_stats);
}

/* Sums of counters, as read. */
struct io_totals {
	u64	cmds;
	u64	reads;
	u64	writes;
	u64	read_bytes;
	u64	write_bytes;
	u64	errors;
	u64	busy;
	u64	lat_sum_ns;
	u64	lat[ISPT_STATS_LAT_BUCKETS];
};

static void io_stats_sum(const struct ispt_io_stats *st, struct io_totals *t)
{
	struct io_totals one;
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&st->syncp);
		one.cmds = u64_stats_read(&st->cmds);
		one.reads = u64_stats_read(&st->reads);
		one.writes = u64_stats_read(&st->writes);
		one.read_bytes = u64_stats_read(&st->read_bytes);
		one.write_bytes = u64_stats_read(&st->write_bytes);
		one.errors = u64_stats_read(&st->errors);
		one.busy = u64_stats_read(&st->busy);
		one.lat_sum_ns = u64_stats_read(&st->lat_sum_ns);
		for (i = 0; i < ISPT_STATS_LAT_BUCKETS; i++)
			one.lat[i] = u64_stats_read(&st->lat[i]);
	} while (u64_stats_fetch_retry(&st->syncp, start));

	t->cmds += one.cmds;
	t->reads += one.reads;
	t->writes += one.writes;
	t->read_bytes += one.read_bytes;
	t->write_bytes += one.write_bytes;
	t->errors += one.errors;
	t->busy += one.busy;
	t->lat_sum_ns += one.lat_sum_ns;
	for (i = 0; i < ISPT_STATS_LAT_BUCKETS; i++)
		t->lat[i] += one.lat[i];
}

/*
 * The text of a file being generated: with @buf NULL only its length is
 * counted. Each line is built in @line and copied whole, or not at all.
 */
struct state_out {
	char		*buf;
	size_t		size;
	size_t		len;
	char		*line;
	size_t		line_len;
	bool		truncated;
};

static __printf(2, 3) void out_add(struct state_out *o, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	o->line_len += vscnprintf(o->line + o->line_len,
				  STATE_LINE_MAX - o->line_len, fmt, args);
	va_end(args);
}

static void out_end_line(struct state_out *o)
{
	out_add(o, "\n");
	if (o->buf) {
		if (o->truncated ||
		    o->len + o->line_len + STATE_TRAILER_MAX > o->size)
			o->truncated = true;
		else
			memcpy(o->buf + o->len, o->line, o->line_len);
	}
	if (!o->truncated)
		o->len += o->line_len;
	o->line_len = 0;
}

static int out_start(struct state_out *o, void *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
	o->line_len = 0;
	o->truncated = false;
	o->line = kmalloc(STATE_LINE_MAX, GFP_KERNEL);
	return o->line ? 0 : -ENOMEM;
}

/*
 * The size to ask for (with slack for what may appear before the second
 * call), or the trailer, padded to fill the file.
 */
static ssize_t out_finish(struct state_out *o)
{
	const char *trailer = o->truncated ? "# truncated" : "# end";
	size_t n = strlen(trailer);

	kfree(o->line);
	if (!o->buf)
		return min_t(size_t, o->len + STATE_TRAILER_MAX + o->len / 8 +
				     1024, STATE_MAX_SIZE);
	memcpy(o->buf + o->len, trailer, n);
	memset(o->buf + o->len + n, ' ', o->size - o->len - n - 1);
	o->buf[o->size - 1] = '\n';
	return o->size;
}

static const char *conn_state_name(enum ispt_conn_state state)
{
	switch (state) {
	case ISPT_CONN_LOGIN:
		return "login";
	case ISPT_CONN_FULL_FEATURE:
		return "full_feature";
	case ISPT_CONN_LOGGED_OUT:
		return "logged_out";
	case ISPT_CONN_CLOSING:
		break;
	}
	return "closing";
}

static const char *yes_no(bool b)
{
	return b ? "Yes" : "No";
}

static const char *digest_name(bool crc)
{
	return crc ? "CRC32C" : "None";
}

/* The fields every line about a connection starts with. */
static void out_conn_ident(struct state_out *o, const struct ispt_conn *conn)
{
	const struct ispt_conn_info *in = &conn->info;

	out_add(o, "conn id=%llu", in->id);
	if (conn_published(conn)) {
		out_add(o, " type=%s", in->discovery ? "discovery" : "normal");
		if (!in->discovery)
			out_add(o, " target=%s", in->target);
		out_add(o, " initiator=%s isid=%6phN tsih=%u cid=%u",
			in->initiator, in->isid, in->tsih, in->cid);
	}
	out_add(o, " tpgt=%u peer=%pISpc local=%pISpc cpu=%d", conn->tpgt,
		&conn->peer, &conn->local, READ_ONCE(conn->work.cpu));
}

/* Called under the connection list's lock: must not sleep. */
static void sessions_conn(struct ispt_conn *conn, void *arg)
{
	const struct ispt_conn_info *in = &conn->info;
	struct state_out *o = arg;

	out_conn_ident(o, conn);
	out_add(o, " state=%s active_cmds=%u",
		conn_state_name(READ_ONCE(conn->state)),
		READ_ONCE(conn->nr_cmds));
	if (conn_published(conn)) {
		/* The keys by their RFC 7143 names, one field each. */
		out_add(o, " HeaderDigest=%s DataDigest=%s",
			digest_name(in->header_digest),
			digest_name(in->data_digest));
		out_add(o, " MaxRecvDataSegmentLength=%u", in->max_recv_dsl);
		out_add(o, " MaxXmitDataSegmentLength=%u", in->max_send_dsl);
	}
	if (conn_published(conn) && !in->discovery) {
		out_add(o, " MaxBurstLength=%u FirstBurstLength=%u",
			in->max_burst, in->first_burst);
		out_add(o, " InitialR2T=%s ImmediateData=%s",
			yes_no(in->initial_r2t), yes_no(in->immediate_data));
		out_add(o, " MaxOutstandingR2T=%u", in->max_r2t);
		out_add(o, " DataPDUInOrder=%s DataSequenceInOrder=%s",
			yes_no(in->data_pdu_in_order),
			yes_no(in->data_seq_in_order));
		out_add(o, " DefaultTime2Wait=%u DefaultTime2Retain=%u",
			in->time2wait, in->time2retain);
		out_add(o, " ErrorRecoveryLevel=%u", in->erl);
	}
	out_end_line(o);
}

static ssize_t ispt_state_sessions_read(struct config_item *item, void *buf,
					size_t size)
{
	struct state_out o;
	int ret;

	ret = out_start(&o, buf, size);
	if (ret)
		return ret;
	ispt_conns_for_each(sessions_conn, &o);
	return out_finish(&o);
}

static void out_totals(struct state_out *o, const struct io_totals *t)
{
	unsigned int i;

	out_add(o, " cmds=%llu reads=%llu writes=%llu", t->cmds, t->reads,
		t->writes);
	out_add(o, " read_bytes=%llu write_bytes=%llu", t->read_bytes,
		t->write_bytes);
	out_add(o, " errors=%llu busy=%llu lat_sum_ns=%llu lat_hist=",
		t->errors, t->busy, t->lat_sum_ns);
	for (i = 0; i < ISPT_STATS_LAT_BUCKETS; i++)
		out_add(o, i ? ",%llu" : "%llu", t->lat[i]);
	out_end_line(o);
}

static void stats_conn(struct ispt_conn *conn, void *arg)
{
	struct io_totals t = {};

	if (!conn_published(conn))
		return;
	out_conn_ident(arg, conn);
	io_stats_sum(&conn->stats, &t);
	out_totals(arg, &t);
}

/* The module's live objects: all zero once nothing is connected. */
static void stats_objects(struct state_out *o)
{
	long cmds = 0, tx_pdus = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct ispt_obj_counts *c = per_cpu_ptr(&ispt_obj_counts, cpu);

		cmds += READ_ONCE(c->cmds);
		tx_pdus += READ_ONCE(c->tx_pdus);
	}
	out_add(o, "objects conns=%u sessions=%u cmds=%ld tx_pdus=%ld pinned_pages=%ld",
		ispt_conns_count(), ispt_sessions_count(), cmds, tx_pdus,
		ispt_cmd_pages_pinned());
	out_end_line(o);
}

static ssize_t ispt_state_stats_read(struct config_item *item, void *buf,
				     size_t size)
{
	struct ispt_lun_stats *ls;
	struct state_out o;
	struct io_totals t;
	int cpu, ret;

	ret = out_start(&o, buf, size);
	if (ret)
		return ret;
	stats_objects(&o);
	for_each_possible_cpu(cpu) {
		memset(&t, 0, sizeof(t));
		io_stats_sum(per_cpu_ptr(&ispt_cpu_stats, cpu), &t);
		out_add(&o, "cpu id=%d", cpu);
		out_totals(&o, &t);
	}
	mutex_lock(&ispt_lun_stats_lock);
	list_for_each_entry(ls, &ispt_lun_stats_list, node) {
		memset(&t, 0, sizeof(t));
		for_each_possible_cpu(cpu)
			io_stats_sum(per_cpu_ptr(ls->pcpu, cpu), &t);
		out_add(&o, "lun target=%s lun=%llu", ls->target, ls->id);
		out_totals(&o, &t);
	}
	mutex_unlock(&ispt_lun_stats_lock);
	ispt_conns_for_each(stats_conn, &o);
	return out_finish(&o);
}

/*
 * Read-only binary attributes (CONFIGFS_BIN_ATTR_RO would make them
 * static), for root only: each open file holds a snapshot of up to
 * STATE_MAX_SIZE, which is not for any user to multiply.
 */
struct configfs_bin_attribute ispt_state_attr_sessions = {
	.cb_attr = {
		.ca_name	= "sessions",
		.ca_mode	= 0400,
		.ca_owner	= THIS_MODULE,
	},
	.cb_max_size	= STATE_MAX_SIZE,
	.read		= ispt_state_sessions_read,
};

struct configfs_bin_attribute ispt_state_attr_stats = {
	.cb_attr = {
		.ca_name	= "stats",
		.ca_mode	= 0400,
		.ca_owner	= THIS_MODULE,
	},
	.cb_max_size	= STATE_MAX_SIZE,
	.read		= ispt_state_stats_read,
};
