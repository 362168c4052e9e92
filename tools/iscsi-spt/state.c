// SPDX-License-Identifier: GPL-2.0
/*
 * The module's runtime state files, "sessions" and "stats": one record
 * per line, a kind then key=value fields, ending with a trailer line
 * "# end" (or "# truncated" when the file could not hold every line),
 * padded with spaces. Documentation/configfs.rst describes them.
 */
#include <stdlib.h>
#include <string.h>

#include "iscsi-spt.h"

void records_free(struct records *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].kind);
		kvlist_free(&r->v[i].fields);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int parse_line(char *line, struct records *out, unsigned int lineno,
		      struct err *e)
{
	struct record *r;
	char *tok, *save = NULL, *eq;

	tok = strtok_r(line, " \t", &save);
	if (!tok)
		return 0;
	out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
	r = &out->v[out->n++];
	memset(r, 0, sizeof(*r));
	r->kind = xstrdup(tok);
	while ((tok = strtok_r(NULL, " \t", &save))) {
		eq = strchr(tok, '=');
		if (!eq || eq == tok)
			return err_set(e, EXIT_FAIL,
				       "line %u: \"%s\" is not key=value",
				       lineno, tok);
		*eq = '\0';
		kvlist_add(&r->fields, tok, eq + 1);
	}
	return 0;
}

/* Parse @text; blank lines and "#" lines other than the trailer are skipped. */
int records_parse(const char *text, struct records *out, struct err *e)
{
	char *copy = xstrdup(text), *line, *save = NULL;
	unsigned int lineno = 0;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	for (line = strtok_r(copy, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (line[0] == '#') {
			if (!strncmp(line, "# end", 5) &&
			    (!line[5] || line[5] == ' '))
				out->complete = true;
			continue;
		}
		ret = parse_line(line, out, lineno, e);
	}
	free(copy);
	if (ret)
		records_free(out);
	return ret;
}

const char *record_get(const struct record *r, const char *key)
{
	return kvlist_get(&r->fields, key);
}

unsigned long long record_u64(const struct record *r, const char *key)
{
	const char *v = record_get(r, key);

	return v ? strtoull(v, NULL, 10) : 0;
}

/* The counters of a stats record; -1 if it has none. */
int counters_parse(const struct record *r, struct counters *c)
{
	const char *hist = record_get(r, "lat_hist");
	unsigned int i;
	char *end;

	memset(c, 0, sizeof(*c));
	if (!record_get(r, "cmds"))
		return -1;
	c->cmds = record_u64(r, "cmds");
	c->reads = record_u64(r, "reads");
	c->writes = record_u64(r, "writes");
	c->read_bytes = record_u64(r, "read_bytes");
	c->write_bytes = record_u64(r, "write_bytes");
	c->errors = record_u64(r, "errors");
	c->lat_sum_ns = record_u64(r, "lat_sum_ns");
	for (i = 0; hist && *hist && i < LAT_BUCKETS; i++) {
		c->lat[i] = strtoull(hist, &end, 10);
		if (end == hist)
			return -1;
		hist = *end == ',' ? end + 1 : end;
	}
	return 0;
}

/* now - then, field by field; a counter that went back restarted. */
void counters_delta(const struct counters *now, const struct counters *then,
		    struct counters *d)
{
	const unsigned long long *a = &now->cmds, *b = &then->cmds;
	unsigned long long *out = &d->cmds;
	size_t i, n = sizeof(*d) / sizeof(*out);

	if (now->cmds < then->cmds) {
		*d = *now;
		return;
	}
	for (i = 0; i < n; i++)
		out[i] = a[i] >= b[i] ? a[i] - b[i] : a[i];
}

/*
 * An upper bound of the @pct percentile latency, in microseconds, from
 * the log2 histogram: the top of the bucket it falls in (bucket i holds
 * [2^i, 2^(i+1)) us, bucket 0 everything under 2 us). 0 without commands.
 */
unsigned long long counters_percentile_us(const struct counters *c,
					  double pct)
{
	unsigned long long total = 0, seen = 0, want;
	unsigned int i;

	for (i = 0; i < LAT_BUCKETS; i++)
		total += c->lat[i];
	if (!total)
		return 0;
	want = (unsigned long long)(total * pct / 100.0);
	if (want < 1)
		want = 1;
	for (i = 0; i < LAT_BUCKETS; i++) {
		seen += c->lat[i];
		if (seen >= want)
			break;
	}
	if (i >= LAT_BUCKETS - 1)
		return 1ULL << (LAT_BUCKETS - 1);	/* open-ended: a floor */
	return (1ULL << (i + 1)) - 1;
}

/* A stable identity for a record across reads: "conn 12", "lun T 3"... */
char *record_id(const struct record *r)
{
	if (!strcmp(r->kind, "lun"))
		return xasprintf("lun %s %s", record_get(r, "target") ?: "?",
				 record_get(r, "lun") ?: "?");
	return xasprintf("%s %s", r->kind, record_get(r, "id") ?: "?");
}
