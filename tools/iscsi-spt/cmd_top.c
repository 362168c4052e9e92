// SPDX-License-Identifier: GPL-2.0
/*
 * connections and top: the module's runtime state files.
 *
 * top reads "stats" every interval and shows, per connection, LUN and
 * CPU, the commands per second, read and write bandwidth and latency
 * (the mean, and the 99th percentile's log2 bucket) over that interval.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"

static int read_records(const char *file, struct records *r, struct err *e)
{
	char *text;

	if (cfs_check_root(e) || cfs_read(file, &text, e))
		return -1;
	if (records_parse(text, r, e)) {
		free(text);
		return err_set(e, EXIT_FAIL, "%s: %s", file, e->msg);
	}
	free(text);
	if (!r->complete)
		warnx_("%s was cut short: more lines than the module's file holds",
		       file);
	return 0;
}

/* Fields shown as JSON numbers; the rest (isid included) stay strings. */
static bool numeric_field(const char *key)
{
	static const char *const names[] = {
		"id", "tsih", "cid", "tpgt", "cpu", "active_cmds", "lun",
		"MaxRecvDataSegmentLength", "MaxXmitDataSegmentLength",
		"MaxBurstLength", "FirstBurstLength", "MaxOutstandingR2T",
		"DefaultTime2Wait", "DefaultTime2Retain", "ErrorRecoveryLevel",
		NULL,
	};
	const char *const *n;

	for (n = names; *n; n++)
		if (!strcmp(*n, key))
			return true;
	return false;
}

static struct json_object *record_json(const struct record *r)
{
	struct json_object *o = json_object_new_object();
	unsigned long long v;
	size_t i;

	for (i = 0; i < r->fields.n; i++) {
		const struct kv *f = &r->fields.v[i];

		if (numeric_field(f->key) && valid_uint(f->value, 0, ~0ULL >> 4, &v))
			json_object_object_add(o, f->key,
					       json_object_new_int64(v));
		else
			json_object_object_add(o, f->key,
					       json_object_new_string(f->value));
	}
	return o;
}

static const char *field(const struct record *r, const char *key)
{
	const char *v = record_get(r, key);

	return v ? v : "-";
}

int cmd_connections(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "long", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const shown[] = {
		"id", "state", "cpu", "tsih", "cid", "isid", "peer", "local",
		"initiator", "target", "type", "tpgt", "active_cmds", NULL,
	};
	bool json = false, lng = false;
	struct json_object *a;
	struct records r;
	struct err e;
	size_t i, j;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "jl", opts, &ret)) != -1) {
		if (opt == -2)
			return ret;
		if (opt == 'j')
			json = true;
		else
			lng = true;
	}
	if ((ret = cmd_args(argc, 0, 0)))
		return ret;
	if (read_records("sessions", &r, &e))
		return report(&e);
	if (json) {
		a = json_object_new_array();
		for (i = 0; i < r.n; i++)
			if (!strcmp(r.v[i].kind, "conn"))
				json_object_array_add(a, record_json(&r.v[i]));
		print_json(a);
		records_free(&r);
		return EXIT_OK;
	}
	printf("%-6s %-12s %-4s %-5s %-5s %-12s %-22s %-22s %-4s %s -> %s\n",
	       "ID", "STATE", "CPU", "TSIH", "CID", "ISID", "PEER", "LOCAL",
	       "TPGT", "INITIATOR", "TARGET");
	for (i = 0; i < r.n; i++) {
		const struct record *c = &r.v[i];
		const char *type = record_get(c, "type");

		if (strcmp(c->kind, "conn"))
			continue;
		printf("%-6s %-12s %-4s %-5s %-5s %-12s %-22s %-22s %-4s %s -> %s\n",
		       field(c, "id"), field(c, "state"), field(c, "cpu"),
		       field(c, "tsih"), field(c, "cid"), field(c, "isid"),
		       field(c, "peer"), field(c, "local"), field(c, "tpgt"),
		       field(c, "initiator"),
		       type && !strcmp(type, "discovery") ? "(discovery)" :
		       field(c, "target"));
		if (!lng)
			continue;
		for (j = 0; j < c->fields.n; j++) {
			const char *const *s;
			bool skip = false;

			for (s = shown; *s; s++)
				skip |= !strcmp(*s, c->fields.v[j].key);
			if (!skip)
				printf("       %s=%s\n", c->fields.v[j].key,
				       c->fields.v[j].value);
		}
	}
	records_free(&r);
	return EXIT_OK;
}

/* top */

struct sample {
	struct records	r;
	double		t;	/* seconds, monotonic */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One row of the view: a record and its rates over the interval. */
struct row {
	const struct record	*r;
	double			iops, rmbs, wmbs, errs, avg_us;
	unsigned long long	p99_us;
};

static const struct record *find_record(const struct records *rs,
					const char *id)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		char *rid = record_id(&rs->v[i]);
		bool same = !strcmp(rid, id);

		free(rid);
		if (same)
			return &rs->v[i];
	}
	return NULL;
}

static void rates(const struct record *now, const struct records *before,
		  double dt, struct row *row)
{
	struct counters cn, cb = {}, d;
	const struct record *b;
	char *id = record_id(now);

	memset(row, 0, sizeof(*row));
	row->r = now;
	b = find_record(before, id);
	free(id);
	if (counters_parse(now, &cn))
		return;
	if (b)
		counters_parse(b, &cb);
	counters_delta(&cn, &cb, &d);
	row->iops = d.cmds / dt;
	row->rmbs = d.read_bytes / dt / 1e6;
	row->wmbs = d.write_bytes / dt / 1e6;
	row->errs = d.errors / dt;
	row->avg_us = d.cmds ? d.lat_sum_ns / 1e3 / d.cmds : 0;
	row->p99_us = counters_percentile_us(&d, 99.0);
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return (y->iops > x->iops) - (y->iops < x->iops);
}

static void print_rates(const struct row *row)
{
	printf(" %10.0f %9.2f %9.2f %9.0f %9llu %7.0f", row->iops, row->rmbs,
	       row->wmbs, row->avg_us, row->p99_us, row->errs);
}

/*
 * One section: a few short columns, the rates, then the names (long
 * and of varying length) last.
 */
static void print_section(const char *kind, const struct records *now,
			  const struct records *before, double dt,
			  size_t max_rows)
{
	struct row *rows = xcalloc(now->n, sizeof(*rows));
	bool conn = !strcmp(kind, "conn"), lun = !strcmp(kind, "lun");
	size_t i, n = 0;

	for (i = 0; i < now->n; i++)
		if (!strcmp(now->v[i].kind, kind))
			rates(&now->v[i], before, dt, &rows[n++]);
	if (!n) {
		free(rows);
		return;
	}
	qsort(rows, n, sizeof(*rows), cmp_rows);
	putchar('\n');
	printf("%-6s %-4s %10s %9s %9s %9s %9s %7s%s\n",
	       conn ? "CONN" : lun ? "LUN" : "CPU", conn ? "CPU" : "",
	       "IOPS", "READ MB/s", "WRITE MB/s", "AVG us", "P99<= us",
	       "ERR/s", conn ? " INITIATOR -> TARGET" : lun ? " TARGET" : "");
	for (i = 0; i < n && i < max_rows; i++) {
		const struct record *r = rows[i].r;

		printf("%-6s %-4s", field(r, lun ? "lun" : "id"),
		       conn ? field(r, "cpu") : "");
		print_rates(&rows[i]);
		if (conn)
			printf(" %s -> %s", field(r, "initiator"),
			       field(r, "target"));
		else if (lun)
			printf(" %s", field(r, "target"));
		putchar('\n');
	}
	if (n > max_rows)
		printf("... %zu more\n", n - max_rows);
	free(rows);
}

static void print_frame(const struct sample *now, const struct sample *before,
			bool redraw)
{
	double dt = now->t - before->t;
	struct row total = {};
	struct counters sum = {}, c;
	size_t i, conns = 0, luns = 0, rows = (size_t)-1;
	struct winsize ws;
	time_t t = time(NULL);
	char when[32];

	if (dt <= 0)
		dt = 1e-3;
	for (i = 0; i < now->r.n; i++) {
		const struct record *r = &now->r.v[i];
		const struct record *b;
		struct counters cb = {}, d;
		char *id;

		conns += !strcmp(r->kind, "conn");
		luns += !strcmp(r->kind, "lun");
		if (strcmp(r->kind, "cpu") || counters_parse(r, &c))
			continue;
		id = record_id(r);
		b = find_record(&before->r, id);
		free(id);
		if (b)
			counters_parse(b, &cb);
		counters_delta(&c, &cb, &d);
		sum.cmds += d.cmds;
		sum.read_bytes += d.read_bytes;
		sum.write_bytes += d.write_bytes;
		sum.errors += d.errors;
		sum.lat_sum_ns += d.lat_sum_ns;
	}
	total.iops = sum.cmds / dt;
	total.rmbs = sum.read_bytes / dt / 1e6;
	total.wmbs = sum.write_bytes / dt / 1e6;
	total.avg_us = sum.cmds ? sum.lat_sum_ns / 1e3 / sum.cmds : 0;
	if (redraw) {
		fputs("\033[H\033[2J", stdout);
		/* Fit the screen: the CPUs, then half each for the rest. */
		if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 20)
			rows = (ws.ws_row - 16) / 2;
		else
			rows = 5;
	}
	strftime(when, sizeof(when), "%H:%M:%S", localtime(&t));
	printf(CLI_NAME " top - %s - %zu connections, %zu LUNs - %.1fs: %.0f IOPS, read %.2f MB/s, write %.2f MB/s, avg %.0f us\n",
	       when, conns, luns, dt, total.iops, total.rmbs, total.wmbs,
	       total.avg_us);
	print_section("conn", &now->r, &before->r, dt, rows);
	print_section("lun", &now->r, &before->r, dt, rows);
	print_section("cpu", &now->r, &before->r, dt, (size_t)-1);
	fflush(stdout);
}

int cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "batch", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long iterations = 0, n;
	struct sample a = {}, b = {}, *now = &a, *before = &b, *tmp;
	double interval = 1.0;
	bool batch = false;
	struct timespec ts;
	struct err e;
	char *end;
	int opt, ret;

	while ((opt = cmd_getopt(argc, argv, "d:n:b", opts, &ret)) != -1) {
		if (opt == -2)
			return ret;
		if (opt == 'd') {
			errno = 0;
			interval = strtod(optarg, &end);
			if (errno || *end || !isfinite(interval) ||
			    interval < 0.1 || interval > 3600)
				return usage_error("--interval \"%s\": seconds from 0.1 to 3600",
						   optarg);
		} else if (opt == 'n') {
			if (!valid_uint(optarg, 1, 1000000000, &iterations))
				return usage_error("--iterations \"%s\": a number from 1",
						   optarg);
		} else {
			batch = true;
		}
	}
	if ((ret = cmd_args(argc, 0, 0)))
		return ret;
	if (!batch && !isatty(STDOUT_FILENO))
		batch = true;
	before->t = now_s();
	if (read_records("stats", &before->r, &e))
		return report(&e);
	for (n = 0; !iterations || n < iterations; n++) {
		ts.tv_sec = (time_t)interval;
		ts.tv_nsec = (long)((interval - ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		now->t = now_s();
		if (read_records("stats", &now->r, &e)) {
			records_free(&before->r);
			return report(&e);
		}
		if (batch && n)
			putchar('\n');
		print_frame(now, before, !batch);
		records_free(&before->r);
		tmp = before;
		before = now;
		now = tmp;
	}
	records_free(&before->r);
	return EXIT_OK;
}
