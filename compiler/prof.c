/* compiler/prof.c — `dfc prof REPORT.json`: the time per kernel, state and
 * map of a trace written by code built with --instrument.
 *
 * The trace is Chrome's trace event format: an object whose "traceEvents"
 * is an array of events (or that array alone). JSON is YAML's flow syntax,
 * so libyaml parses it; this file reads libyaml's event stream, one trace
 * event at a time, so memory grows with the number of distinct regions,
 * not with the size of the trace. Complete events ("ph": "X") are
 * aggregated by (kernel, category, name) in a hash table, where the kernel
 * is args.kernel ("-" when absent: events of other tools count too); the
 * other phases are skipped. Times are microseconds in the file.
 * The table lists, per region: calls, total ms, mean us, share of its
 * kernel's total time, and its source line, sorted by total time.
 * Anything that is not such a trace is a located error: the position is
 * the start of the offending JSON value. YAML beyond JSON (block syntax,
 * aliases) is refused.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "compiler.h"

/* One region of the table: the sum of its complete events. */
typedef struct ProfRow {
	const char *kernel, *cat, *name, *file;
	int line;            /* 0 if unknown */
	long count;
	double total;        /* microseconds */
	double kernel_total; /* of its kernel's "kernel" row; -1 if none */
} ProfRow;

/* A value of an event's field: a scalar's text (NULL when the field is
 * absent), whether it was quoted (a JSON string), where it starts. */
typedef struct ProfValue {
	const char *text;
	bool quoted;
	bool scalar;         /* false: an object or an array */
	yaml_mark_t mark;
} ProfValue;

typedef struct ProfFields {
	ProfValue ph, name, cat, ts, dur, args, kernel, file, line;
} ProfFields;

typedef struct Prof {
	Ctx *ctx;
	const char *path;
	const char *text;
	size_t len;
	yaml_parser_t y;
	yaml_event_t ev;     /* the current event */
	bool have;           /* ev holds an event (to delete) */
	char key[32];        /* the last mapping key read ("" if longer) */
	Arena *tmp;          /* the fields of recent events */
	int nevents;         /* complete events */
	VEC(ProfRow) rows;
	int *slots;          /* hash table: row index + 1, 0 when empty */
	int nslots;          /* a power of two, or 0 */
} Prof;

static SrcLoc
mark_loc(Prof *P, yaml_mark_t m)
{
	return (SrcLoc){ P->path, (int)m.line + 1, (int)m.column + 1 };
}

static void
parse_error(Prof *P)
{
	yaml_parser_t *y = &P->y;
	if (y->error == YAML_MEMORY_ERROR) {
		diag_error(P->ctx, (SrcLoc){ P->path, 0, 0 }, "out of memory reading the trace");
		return;
	}
	SrcLoc loc = y->error == YAML_READER_ERROR
			     ? diag_loc_at_offset(P->path, P->text, P->len, y->problem_offset)
			     : mark_loc(P, y->problem_mark);
	diag_error(P->ctx, loc, "invalid JSON: %s", y->problem ? y->problem : "malformed input");
}

static bool
fail_at(Prof *P, yaml_mark_t m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool
fail_at(Prof *P, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(P->ctx->arena, fmt, ap);
	va_end(ap);
	diag_error(P->ctx, mark_loc(P, m), "%s", msg);
	return false;
}

/* ---- the event stream ---- */

/* Makes the next parser event current; false after an error. */
static bool
next(Prof *P)
{
	if (P->have)
		yaml_event_delete(&P->ev);
	P->have = yaml_parser_parse(&P->y, &P->ev);
	if (!P->have) {
		parse_error(P);
		return false;
	}
	if (P->ev.type == YAML_ALIAS_EVENT)
		return fail_at(P, P->ev.start_mark, "expected JSON, found a YAML alias");
	return true;
}

/* Consumes the value that starts at the current event; its last event
 * (a scalar, or the end of a collection) stays current. */
static bool
skip_value(Prof *P)
{
	int depth = 0;
	do {
		yaml_event_type_t t = P->ev.type;
		depth += t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT;
		depth -= t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT;
		if (depth > 0 && !next(P))
			return false;
	} while (depth > 0);
	return true;
}

/* The next key of the current mapping into P->key, with its value's first
 * event current: 1; 0 at the end of the mapping; -1 after an error. */
static int
next_key(Prof *P)
{
	if (!next(P))
		return -1;
	if (P->ev.type == YAML_MAPPING_END_EVENT)
		return 0;
	if (P->ev.type != YAML_SCALAR_EVENT) {
		fail_at(P, P->ev.start_mark, "expected JSON, found a key that is not a string");
		return -1;
	}
	size_t n = P->ev.data.scalar.length;
	memcpy(P->key, P->ev.data.scalar.value, n < sizeof P->key ? n : 0);
	P->key[n < sizeof P->key ? n : 0] = '\0';
	return next(P) ? 1 : -1;
}

/* Reads the value at the current event into v (text in P->tmp). */
static bool
read_value(Prof *P, ProfValue *v)
{
	v->mark = P->ev.start_mark;
	v->scalar = P->ev.type == YAML_SCALAR_EVENT;
	if (!v->scalar) {
		v->text = "";
		return skip_value(P);
	}
	yaml_scalar_style_t st = P->ev.data.scalar.style;
	v->quoted = st == YAML_DOUBLE_QUOTED_SCALAR_STYLE || st == YAML_SINGLE_QUOTED_SCALAR_STYLE;
	v->text = arena_strndup(P->tmp, (const char *)P->ev.data.scalar.value,
				P->ev.data.scalar.length);
	return true;
}

/* args: {"kernel": K, "file": F, "line": N}, other keys skipped. */
static bool
read_args(Prof *P, ProfFields *f)
{
	f->args = (ProfValue){ .text = "", .mark = P->ev.start_mark };
	if (P->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(P, f->args.mark, "\"args\" of a trace event must be an object");
	int k;
	while ((k = next_key(P)) > 0) {
		ProfValue *v = strcmp(P->key, "kernel") == 0 ? &f->kernel
			     : strcmp(P->key, "file") == 0 ? &f->file
			     : strcmp(P->key, "line") == 0 ? &f->line : NULL;
		if (!(v ? read_value(P, v) : skip_value(P)))
			return false;
	}
	return k == 0;
}

/* The fields of the event object that starts at the current event. */
static bool
read_fields(Prof *P, ProfFields *f)
{
	int k;
	while ((k = next_key(P)) > 0) {
		if (strcmp(P->key, "args") == 0) {
			if (!read_args(P, f))
				return false;
			continue;
		}
		ProfValue *v = strcmp(P->key, "ph") == 0 ? &f->ph
			     : strcmp(P->key, "name") == 0 ? &f->name
			     : strcmp(P->key, "cat") == 0 ? &f->cat
			     : strcmp(P->key, "ts") == 0 ? &f->ts
			     : strcmp(P->key, "dur") == 0 ? &f->dur : NULL;
		if (!(v ? read_value(P, v) : skip_value(P)))
			return false;
	}
	return k == 0;
}

/* ---- checking an event ---- */

/* A JSON number: a plain scalar of digits, sign, '.', exponent; finite. */
static bool
number_value(const ProfValue *v, double *out)
{
	if (!v->text || !v->scalar || v->quoted || !*v->text ||
	    strspn(v->text, "0123456789+-.eE") != strlen(v->text))
		return false;
	char *end;
	*out = strtod(v->text, &end);
	return *end == '\0' && isfinite(*out);
}

/* An optional string: *out stays when absent. */
static bool
opt_string(Prof *P, const ProfValue *v, const char *what, const char *key, const char **out)
{
	if (!v->text)
		return true;
	if (!v->scalar || !v->quoted)
		return fail_at(P, v->mark, "%s \"%s\" must be a string", what, key);
	*out = v->text;
	return true;
}

/* A required number (microseconds) of event index at `at`. */
static bool
req_number(Prof *P, const ProfValue *v, const char *key, int index, yaml_mark_t at,
	   double *out)
{
	if (!v->text)
		return fail_at(P, at, "trace event %d has no \"%s\"", index, key);
	if (!number_value(v, out))
		return fail_at(P, v->mark, "\"%s\" of trace event %d must be a finite number "
			       "(microseconds)", key, index);
	return true;
}

/* The row of a complete event from its fields (strings in P->tmp). */
static bool
check_complete(Prof *P, const ProfFields *f, int index, yaml_mark_t at, ProfRow *r)
{
	*r = (ProfRow){ .kernel = "-", .cat = "", .file = "", .count = 1 };
	if (!f->name.text)
		return fail_at(P, at, "trace event %d has no \"name\"", index);
	if (!f->name.scalar || !f->name.quoted)
		return fail_at(P, f->name.mark, "trace event %d has a \"name\" that is not a "
			       "string", index);
	r->name = f->name.text;
	double ts, line;
	if (!opt_string(P, &f->cat, "event field", "cat", &r->cat) ||
	    !req_number(P, &f->ts, "ts", index, at, &ts) ||
	    !req_number(P, &f->dur, "dur", index, at, &r->total) ||
	    !opt_string(P, &f->kernel, "argument", "kernel", &r->kernel) ||
	    !opt_string(P, &f->file, "argument", "file", &r->file))
		return false;
	if (r->total < 0)
		return fail_at(P, f->dur.mark, "\"dur\" of trace event %d is negative", index);
	if (f->line.text) {
		if (!number_value(&f->line, &line) || line < 0 || line > INT_MAX ||
		    line != floor(line))
			return fail_at(P, f->line.mark, "argument \"line\" must be an integer >= 0");
		r->line = (int)line;
	}
	return true;
}

/* ---- aggregation ---- */

static int
cmp_key(const void *a, const void *b)
{
	const ProfRow *x = a, *y = b;
	int c = strcmp(x->kernel, y->kernel);
	if (c == 0)
		c = strcmp(x->cat, y->cat);
	return c ? c : strcmp(x->name, y->name);
}

static size_t
hash_row(const ProfRow *r)
{
	const char *s[3] = { r->kernel, r->cat, r->name };
	uint64_t h = 1469598103934665603u;
	for (int i = 0; i < 3; i++) {
		for (const unsigned char *p = (const unsigned char *)s[i]; *p; p++)
			h = (h ^ *p) * 1099511628211u;
		h = (h ^ 0x100) * 1099511628211u;
	}
	return (size_t)h;
}

static void
rehash(Prof *P)
{
	int n = P->nslots ? 2 * P->nslots : 64;
	int *slots = arena_alloc(P->ctx->arena, sizeof(int) * (size_t)n);
	for (int r = 0; r < P->rows.len; r++) {
		size_t i = hash_row(&P->rows.data[r]) & (size_t)(n - 1);
		while (slots[i])
			i = (i + 1) & (size_t)(n - 1);
		slots[i] = r + 1;
	}
	P->slots = slots;
	P->nslots = n;
}

/* Adds event r to its row, made (its strings copied) when new. */
static void
add_event(Prof *P, const ProfRow *r)
{
	Arena *a = P->ctx->arena;
	if (2 * (P->rows.len + 1) > P->nslots)
		rehash(P);
	size_t mask = (size_t)P->nslots - 1, i = hash_row(r) & mask;
	for (; P->slots[i]; i = (i + 1) & mask) {
		ProfRow *x = &P->rows.data[P->slots[i] - 1];
		if (cmp_key(x, r) == 0) {
			x->count++;
			x->total += r->total;
			return;
		}
	}
	ProfRow x = *r;
	x.kernel = arena_strdup(a, r->kernel);
	x.cat = arena_strdup(a, r->cat);
	x.name = arena_strdup(a, r->name);
	x.file = arena_strdup(a, r->file);
	vec_push(a, &P->rows, x);
	P->slots[i] = P->rows.len;
}

/* ---- the trace ---- */

/* Event number index, whose first parser event is current. */
static bool
read_event(Prof *P, int index)
{
	yaml_mark_t at = P->ev.start_mark;
	if (P->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(P, at, "trace event %d is not an object", index);
	if (index % 1024 == 0) {
		arena_free(P->tmp);
		P->tmp = arena_new();
	}
	ProfFields f = { 0 };
	if (!read_fields(P, &f))
		return false;
	if (!f.ph.text)
		return fail_at(P, at, "trace event %d has no \"ph\" (phase)", index);
	if (!f.ph.scalar || !f.ph.quoted)
		return fail_at(P, f.ph.mark, "trace event %d has a \"ph\" (phase) that is not a "
			       "string", index);
	if (strcmp(f.ph.text, "X") != 0)
		return true;
	ProfRow r;
	if (!check_complete(P, &f, index, at, &r))
		return false;
	P->nevents++;
	add_event(P, &r);
	return true;
}

/* The events of the array that starts at the current event. */
static bool
read_events(Prof *P)
{
	for (int index = 1;; index++) {
		if (!next(P))
			return false;
		if (P->ev.type == YAML_SEQUENCE_END_EVENT)
			return true;
		if (!read_event(P, index))
			return false;
	}
}

/* The root: {"traceEvents": [...], ...} or [...]. */
static bool
read_root(Prof *P)
{
	yaml_event_t *e = &P->ev;
	yaml_mark_t at = e->start_mark;
	if ((e->type == YAML_MAPPING_START_EVENT &&
	     e->data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE) ||
	    (e->type == YAML_SEQUENCE_START_EVENT &&
	     e->data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE))
		return fail_at(P, at, "expected JSON, found YAML block syntax");
	if (e->type == YAML_SEQUENCE_START_EVENT)
		return read_events(P);
	bool found = false;
	int k = 0;
	if (e->type == YAML_MAPPING_START_EVENT) {
		while ((k = next_key(P)) > 0) {
			bool events = !found && strcmp(P->key, "traceEvents") == 0;
			if (events && P->ev.type != YAML_SEQUENCE_START_EVENT)
				return fail_at(P, P->ev.start_mark, "\"traceEvents\" must be an "
					       "array of events");
			if (!(events ? read_events(P) : skip_value(P)))
				return false;
			found = found || events;
		}
	}
	if (k < 0)
		return false;
	if (!found)
		return fail_at(P, at, "not a Chrome trace: expected an object with "
			       "\"traceEvents\" or an array of events");
	return true;
}

/* stream: one document holding the root; nothing after it. */
static bool
read_stream(Prof *P)
{
	if (!next(P) || !next(P))
		return false;
	if (P->ev.type == YAML_STREAM_END_EVENT) {
		diag_error(P->ctx, (SrcLoc){ P->path, 1, 1 }, "expected a Chrome trace (JSON), "
			   "found an empty file");
		return false;
	}
	if (!next(P) || !read_root(P) || !next(P) || !next(P))
		return false;
	if (P->ev.type != YAML_STREAM_END_EVENT)
		return fail_at(P, P->ev.start_mark, "unexpected text after the JSON value");
	return true;
}

/* Gives each row the total of its kernel's "kernel" row (-1 if none). */
static void
kernel_totals(ProfRow *rows, int n)
{
	if (n > 1)
		qsort(rows, (size_t)n, sizeof *rows, cmp_key);
	for (int g = 0; g < n;) {
		int e = g;
		double kt = -1;
		for (; e < n && strcmp(rows[e].kernel, rows[g].kernel) == 0; e++)
			if (strcmp(rows[e].cat, "kernel") == 0 && strcmp(rows[e].name, rows[e].kernel) == 0)
				kt = rows[e].total;
		for (; g < e; g++)
			rows[g].kernel_total = kt;
	}
}

/* ---- the table ---- */

static int
cmp_total(const void *a, const void *b)
{
	const ProfRow *x = a, *y = b;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return cmp_key(a, b);
}

/* s with control characters as '?', for the terminal. */
static const char *
printable(Arena *a, const char *s)
{
	char *t = arena_strdup(a, s);
	for (char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return t;
}

/* Column widths of kernel, name and kind (at most 40: longer names
 * overflow their column). */
static void
widths(const ProfRow *rows, int n, int w[3])
{
	w[0] = 6, w[1] = 4, w[2] = 4;
	for (int i = 0; i < n; i++) {
		const char *s[3] = { rows[i].kernel, rows[i].name, rows[i].cat };
		for (int k = 0; k < 3; k++) {
			int len = (int)strlen(s[k]);
			w[k] = len > w[k] ? (len > 40 ? 40 : len) : w[k];
		}
	}
}

static void
print_row(Arena *a, FILE *out, const ProfRow *r, int wk, int wn, int wc)
{
	fprintf(out, "%-*s  %-*s  %-*s %7ld %11.3f %11.2f ", wk, printable(a, r->kernel), wn,
		printable(a, r->name), wc, printable(a, r->cat), r->count, r->total / 1000,
		r->total / (double)r->count);
	if (r->kernel_total > 0)
		fprintf(out, "%8.1f", 100 * r->total / r->kernel_total);
	else
		fprintf(out, "%8s", "-");
	if (*r->file && r->line > 0)
		fprintf(out, "  %s:%d\n", printable(a, r->file), r->line);
	else if (r->line > 0)
		fprintf(out, "  line %d\n", r->line);
	else
		fprintf(out, "  %s\n", *r->file ? printable(a, r->file) : "-");
}

static void
print_table(Prof *P, ProfRow *rows, int n, int top, FILE *out)
{
	Arena *a = P->ctx->arena;
	int nevents = P->nevents;
	if (n > 1)
		qsort(rows, (size_t)n, sizeof *rows, cmp_total);
	int w[3];
	widths(rows, n, w);
	int wk = w[0], wn = w[1], wc = w[2];
	fprintf(out, "%s: %d event%s, %d region%s\n", printable(a, P->path), nevents,
		nevents == 1 ? "" : "s", n, n == 1 ? "" : "s");
	if (n == 0)
		return;
	fprintf(out, "%-*s  %-*s  %-*s %7s %11s %11s %8s  %s\n", wk, "kernel", wn, "name", wc,
		"kind", "calls", "total ms", "mean us", "% kernel", "where");
	int shown = top > 0 && top < n ? top : n;
	for (int i = 0; i < shown; i++)
		print_row(a, out, &rows[i], wk, wn, wc);
	if (shown < n)
		fprintf(out, "(%d more row%s)\n", n - shown, n - shown == 1 ? "" : "s");
}

/* Quotes source lines in diagnostics unless a line is too long to show
 * (traces of other tools may be one line). */
static void
add_source(Ctx *ctx, const char *path, const char *text, size_t len)
{
	size_t col = 0;
	for (size_t i = 0; i < len; i++) {
		col = text[i] == '\n' ? 0 : col + 1;
		if (col > 500)
			return;
	}
	ctx_add_source(ctx, path, text, len);
}

bool
prof_trace_print(Ctx *ctx, const char *path, const char *text, size_t len, int top, FILE *out)
{
	Prof P = { .ctx = ctx, .path = path, .text = text, .len = len, .tmp = arena_new() };
	add_source(ctx, path, text, len);
	yaml_parser_initialize(&P.y);
	yaml_parser_set_input_string(&P.y, (const unsigned char *)text, len);
	bool ok = read_stream(&P);
	if (P.have)
		yaml_event_delete(&P.ev);
	yaml_parser_delete(&P.y);
	arena_free(P.tmp);
	if (!ok)
		return false;
	kernel_totals(P.rows.data, P.rows.len);
	print_table(&P, P.rows.data, P.rows.len, top, out);
	return true;
}
