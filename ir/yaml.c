/* ir/yaml.c — the complete YAML form of the IR (schema: docs/ir.md).
 *
 * Dumping drives a libyaml emitter with events: block style for the
 * skeleton (module, programs, control-flow blocks, states) and one flow
 * mapping per line for leaf records (containers, args, nodes, memlets,
 * history). Strings a YAML reader could take for something else (empty,
 * numbers, booleans, null, anything holding ':' or '#' or a control
 * character) are double-quoted; the emitter picks the style of the rest.
 * A NULL string is written as a plain `null`; optional fields that are
 * NULL (labels, connectors, the data of an empty memlet) are left out.
 *
 * Loading first reads the document into a small tree (YNode) with the
 * event API, rejecting anchors, aliases, tags, several documents and
 * nesting deeper than MAX_DEPTH; then it walks the tree against the
 * schema. The first error is reported at the offending YAML node and the
 * walk stops with a longjmp back to ir_load_yaml (what was allocated stays
 * in the arena). References between objects (node ids, container names,
 * connectors) are stored as written: ir_verify checks them afterwards.
 */
#include "ir.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

enum { IR_YAML_VERSION = 1, MAX_DEPTH = 256 };

static const char *const role_names[] = {
	[ROLE_TRANSIENT] = "transient",
	[ROLE_ARGUMENT] = "argument",
	[ROLE_RETURN] = "return",
};

const char *
ir_role_name(ContainerRole r)
{
	if ((unsigned)r >= sizeof role_names / sizeof *role_names)
		return "?";
	return role_names[r];
}

bool
ir_role_from_name(const char *s, ContainerRole *out)
{
	for (size_t i = 0; i < sizeof role_names / sizeof *role_names; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (ContainerRole)i;
			return true;
		}
	}
	return false;
}

/* ================================================================
 * Dumping
 * ================================================================ */

typedef struct Emit {
	Ctx *ctx;
	yaml_emitter_t em;
	StrBuf out;
} Emit;

static int
write_out(void *data, unsigned char *buf, size_t size)
{
	sb_printf(data, "%.*s", (int)size, (const char *)buf);
	return 1;
}

static void
emit(Emit *E, yaml_event_t *ev)
{
	if (!yaml_emitter_emit(&E->em, ev))
		ICE("YAML emitter: %s", E->em.problem ? E->em.problem : "failed");
}

/* Length of the valid UTF-8 sequence at s, or 0 (overlong forms,
 * surrogates and code points above U+10FFFF are invalid). */
static int
utf8_len(const unsigned char *s)
{
	int n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
	      : s[0] >= 0xE0 && s[0] < 0xF0 ? 3 : s[0] >= 0xF0 && s[0] < 0xF5 ? 4 : 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0;
	if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;
	return n;
}

/* s itself if it is valid UTF-8 (what libyaml accepts), else an arena
 * copy with each invalid byte replaced by '?'. */
static const char *
utf8_clean(Arena *a, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p && utf8_len(p))
		p += utf8_len(p);
	if (!*p)
		return s;
	char *c = arena_strdup(a, s);
	for (unsigned char *q = (unsigned char *)c; *q;) {
		int n = utf8_len(q);
		if (n)
			q += n;
		else
			*q++ = '?';
	}
	return c;
}

/* Could a YAML reader (YAML 1.2 core schema, or PyYAML's YAML 1.1
 * resolver) take plain s for a number, boolean, null, timestamp, merge
 * key or anything but a string? Then it must be quoted. Every such plain
 * scalar starts with a character other than a letter or '_', holds a ':',
 * or is one of the words below in some capitalisation. */
static bool
misreadable(const char *s)
{
	static const char *const words[] = {
		"null", "true", "false", "yes", "no", "on", "off",
	};
	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return true;
	for (const char *p = s; *p; p++)
		if (*p == ':' || *p == '#' || (unsigned char)*p < 0x20 || *p == 0x7f)
			return true;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

static void
put_scalar(Emit *E, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
					  (int)strlen(s), 1, 1, style))
		ICE("YAML emitter: cannot make a scalar");
	emit(E, &ev);
}

static void
put_str(Emit *E, const char *s)
{
	if (!s) {
		put_scalar(E, "null", YAML_PLAIN_SCALAR_STYLE);
		return;
	}
	s = utf8_clean(E->ctx->arena, s);
	put_scalar(E, s, misreadable(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
					: YAML_ANY_SCALAR_STYLE);
}

static void
put_int(Emit *E, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	put_scalar(E, buf, YAML_PLAIN_SCALAR_STYLE);
}

static void
put_sym(Emit *E, const Sym *s)
{
	int64_t c;
	if (!s)
		ICE("YAML dump: missing symbolic expression");
	if (sym_is_const(s, &c))
		put_int(E, c);
	else
		put_str(E, sym_print(E->ctx->arena, s));
}

static void
put_key(Emit *E, const char *k)
{
	put_scalar(E, k, YAML_PLAIN_SCALAR_STYLE);
}

static void
kv_str(Emit *E, const char *k, const char *v)
{
	put_key(E, k);
	put_str(E, v);
}

static void
kv_int(Emit *E, const char *k, int64_t v)
{
	put_key(E, k);
	put_int(E, v);
}

static void
map_begin(Emit *E, bool flow)
{
	yaml_event_t ev;
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
	emit(E, &ev);
}

static void
seq_begin(Emit *E, bool flow)
{
	yaml_event_t ev;
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
	emit(E, &ev);
}

static void
map_end(Emit *E)
{
	yaml_event_t ev;
	yaml_mapping_end_event_initialize(&ev);
	emit(E, &ev);
}

static void
seq_end(Emit *E)
{
	yaml_event_t ev;
	yaml_sequence_end_event_initialize(&ev);
	emit(E, &ev);
}

static const char *
loc_text(Arena *a, SrcLoc loc)
{
	return arena_printf(a, "%s:%d:%d", loc.file ? loc.file : "", loc.line, loc.col);
}

/* `loc: "file:line:col"`, left out for the unknown location {NULL, 0, 0}. */
static void
put_loc(Emit *E, const char *key, SrcLoc loc)
{
	if ((!loc.file || !*loc.file) && !loc.line && !loc.col)
		return;
	kv_str(E, key, loc_text(E->ctx->arena, loc));
}

static bool
loc_same(SrcLoc x, SrcLoc y)
{
	bool fx = x.file && *x.file, fy = y.file && *y.file;
	return x.line == y.line && x.col == y.col && fx == fy &&
	       (!fx || strcmp(x.file, y.file) == 0);
}

static bool
str_same(const char *x, const char *y)
{
	return x == y || (x && y && strcmp(x, y) == 0);
}

static void
put_names(Emit *E, const char *key, int n, const char *const *names)
{
	put_key(E, key);
	seq_begin(E, true);
	for (int i = 0; i < n; i++)
		put_str(E, names[i]);
	seq_end(E);
}

static void
put_syms(Emit *E, const char *key, int n, Sym *const *syms)
{
	put_key(E, key);
	seq_begin(E, true);
	for (int i = 0; i < n; i++)
		put_sym(E, syms[i]);
	seq_end(E);
}

/* A map range as "begin:end" (step 1) or "begin:end:step". */
static const char *
range_text(Arena *a, SymRange r)
{
	int64_t st;
	if (!r.begin || !r.end || !r.step)
		ICE("YAML dump: incomplete range");
	char *b = sym_print(a, r.begin), *e = sym_print(a, r.end);
	if (sym_is_const(r.step, &st) && st == 1)
		return arena_printf(a, "%s:%s", b, e);
	return arena_printf(a, "%s:%s:%s", b, e, sym_print(a, r.step));
}

static const char *
expr_text(Arena *a, const IrExpr *e)
{
	if (!e)
		ICE("YAML dump: missing expression");
	return ir_expr_print(a, e);
}

static void
put_conn(Emit *E, IrConn c)
{
	map_begin(E, true);
	kv_str(E, "name", c.name);
	kv_str(E, "dtype", dtype_name(c.dtype));
	map_end(E);
}

static void
put_node_payload(Emit *E, const IrNode *n)
{
	Arena *a = E->ctx->arena;
	switch (n->kind) {
	case IRN_ACCESS:
		kv_str(E, "data", n->access.data);
		break;
	case IRN_TASKLET:
		put_key(E, "in");
		seq_begin(E, true);
		for (int i = 0; i < n->tasklet.nin; i++)
			put_conn(E, n->tasklet.in[i]);
		seq_end(E);
		put_key(E, "out");
		put_conn(E, n->tasklet.out);
		kv_str(E, "expr", expr_text(a, n->tasklet.expr));
		if (n->tasklet.nout_index > 0) {
			put_key(E, "out_index");
			seq_begin(E, true);
			for (int i = 0; i < n->tasklet.nout_index; i++)
				put_str(E, expr_text(a, n->tasklet.out_index[i]));
			seq_end(E);
		}
		break;
	case IRN_MAP_ENTRY:
		put_names(E, "params", n->map.nparams, n->map.params);
		put_key(E, "ranges");
		seq_begin(E, true);
		for (int i = 0; i < n->map.nparams; i++)
			put_str(E, range_text(a, n->map.ranges[i]));
		seq_end(E);
		kv_str(E, "schedule", ir_schedule_name(n->map.schedule));
		if (n->map.simd)
			kv_int(E, "simd", n->map.simd);
		if (n->map.unroll)
			kv_int(E, "unroll", n->map.unroll);
		kv_int(E, "exit", n->map.exit);
		break;
	case IRN_MAP_EXIT:
		kv_int(E, "entry", n->mapexit.entry);
		break;
	case IRN_LIBRARY:
		kv_str(E, "op", ir_libop_name(n->lib.op));
		if (n->lib.impl)
			kv_str(E, "impl", n->lib.impl);
		if (n->lib.trans[0] || n->lib.trans[1]) {
			static const char *const ops[2] = { "_a", "_b" };
			const char *names[2];
			int k = 0;
			for (int i = 0; i < 2; i++)
				if (n->lib.trans[i])
					names[k++] = ops[i];
			put_names(E, "transpose", k, names);
		}
		if (n->lib.op == LIB_SCAN || n->lib.axis || n->lib.combine != WCR_NONE) {
			kv_int(E, "axis", n->lib.axis);
			kv_str(E, "combine", ir_wcr_name(n->lib.combine));
		}
		break;
	default:
		ICE("YAML dump: bad node kind %d", (int)n->kind);
	}
}

static void
put_node(Emit *E, const IrNode *n, int index)
{
	map_begin(E, true);
	kv_int(E, "id", index);
	kv_str(E, "kind", ir_node_kind_name(n->kind));
	if (n->label)
		kv_str(E, "label", n->label);
	put_node_payload(E, n);
	put_loc(E, "loc", n->loc);
	map_end(E);
}

static void
put_memlet(Emit *E, const IrMemlet *m, int index)
{
	map_begin(E, true);
	kv_int(E, "id", index);
	kv_int(E, "src", m->src);
	if (m->src_conn)
		kv_str(E, "src_conn", m->src_conn);
	kv_int(E, "dst", m->dst);
	if (m->dst_conn)
		kv_str(E, "dst_conn", m->dst_conn);
	if (m->data)
		kv_str(E, "data", m->data);
	kv_str(E, "subset", subset_print(E->ctx->arena, &m->subset));
	kv_str(E, "wcr", ir_wcr_name(m->wcr));
	put_loc(E, "loc", m->loc);
	map_end(E);
}

static void
put_state(Emit *E, const IrBlock *b)
{
	const IrState *s = b->state;
	if (!s)
		ICE("YAML dump: state block without a state");
	kv_str(E, "state", s->name);
	if (!str_same(b->name, s->name))
		kv_str(E, "block", b->name);
	put_loc(E, "loc", s->loc);
	if (!loc_same(b->loc, s->loc))
		kv_str(E, "block_loc", loc_text(E->ctx->arena, b->loc));
	put_key(E, "nodes");
	seq_begin(E, false);
	for (int i = 0; i < s->nodes.len; i++)
		put_node(E, &s->nodes.data[i], i);
	seq_end(E);
	put_key(E, "memlets");
	seq_begin(E, false);
	for (int i = 0; i < s->memlets.len; i++)
		put_memlet(E, &s->memlets.data[i], i);
	seq_end(E);
}

static void put_blocks(Emit *E, const char *key, const IrBlockList *l);

static void
put_if(Emit *E, const IrBlock *b)
{
	Arena *a = E->ctx->arena;
	kv_str(E, "if", b->name);
	put_loc(E, "loc", b->loc);
	put_key(E, "branches");
	seq_begin(E, false);
	for (int i = 0; i < b->branch.n; i++) {
		map_begin(E, false);
		kv_str(E, "cond", expr_text(a, b->branch.conds[i]));
		put_blocks(E, "body", &b->branch.bodies[i]);
		map_end(E);
	}
	seq_end(E);
	put_blocks(E, "else", &b->branch.orelse);
}

static void
put_block(Emit *E, const IrBlock *b)
{
	Arena *a = E->ctx->arena;
	map_begin(E, false);
	switch (b->kind) {
	case CF_STATE:
		put_state(E, b);
		break;
	case CF_FOR:
		kv_str(E, "for", b->name);
		kv_str(E, "var", b->loop.var);
		put_key(E, "range");
		seq_begin(E, true);
		put_sym(E, b->loop.start);
		put_sym(E, b->loop.stop);
		put_sym(E, b->loop.step);
		seq_end(E);
		if (b->loop.parallel)
			kv_str(E, "schedule", b->loop.even ? "parallel_even" : "parallel");
		put_loc(E, "loc", b->loc);
		put_blocks(E, "body", &b->loop.body);
		break;
	case CF_WHILE:
		kv_str(E, "while", b->name);
		kv_str(E, "cond", expr_text(a, b->wloop.cond));
		put_loc(E, "loc", b->loc);
		put_blocks(E, "body", &b->wloop.body);
		break;
	case CF_IF:
		put_if(E, b);
		break;
	case CF_BREAK:
	case CF_CONTINUE:
	case CF_RETURN:
		kv_str(E, b->kind == CF_BREAK ? "break" : b->kind == CF_CONTINUE ? "continue" : "return",
		       b->name);
		put_loc(E, "loc", b->loc);
		break;
	case CF_ASSIGN:
		kv_str(E, "assign", b->assign.sym);
		if (b->assign.data) {
			kv_str(E, "from", arena_printf(a, "%s%s", b->assign.negate ? "-" : "",
						       b->assign.data));
		} else {
			put_key(E, "value");
			put_sym(E, b->assign.value);
		}
		put_loc(E, "loc", b->loc);
		break;
	default:
		ICE("YAML dump: bad block kind %d", (int)b->kind);
	}
	map_end(E);
}

static void
put_blocks(Emit *E, const char *key, const IrBlockList *l)
{
	put_key(E, key);
	seq_begin(E, false);
	for (int i = 0; i < l->len; i++)
		put_block(E, l->data[i]);
	seq_end(E);
}

static void
put_container(Emit *E, const IrContainer *c)
{
	map_begin(E, true);
	kv_str(E, "name", c->name);
	kv_str(E, "dtype", dtype_name(c->dtype));
	put_syms(E, "shape", c->ndim, c->shape);
	put_syms(E, "strides", c->ndim, c->strides);
	kv_str(E, "storage", ir_storage_name(c->storage));
	kv_str(E, "role", ir_role_name(c->role));
	if (c->lifetime != LIFETIME_CALL)
		kv_str(E, "lifetime", ir_lifetime_name(c->lifetime));
	put_loc(E, "loc", c->loc);
	map_end(E);
}

static void
put_program_lists(Emit *E, const IrProgram *p)
{
	put_names(E, "symbols", p->symbols.len, p->symbols.data);
	put_key(E, "args");
	seq_begin(E, true);
	for (int i = 0; i < p->args.len; i++) {
		map_begin(E, true);
		kv_str(E, p->args.data[i].kind == ARG_SYMBOL ? "symbol" : "data",
		       p->args.data[i].name);
		map_end(E);
	}
	seq_end(E);
	put_names(E, "returns", p->returns.len, p->returns.data);
	put_key(E, "assumes");
	seq_begin(E, false);
	for (int i = 0; i < p->assumes.len; i++) {
		map_begin(E, true);
		put_key(E, "expr");
		put_sym(E, p->assumes.data[i].expr);
		put_loc(E, "loc", p->assumes.data[i].loc);
		map_end(E);
	}
	seq_end(E);
	put_key(E, "containers");
	seq_begin(E, false);
	for (int i = 0; i < p->containers.len; i++)
		put_container(E, &p->containers.data[i]);
	seq_end(E);
}

static void
put_program(Emit *E, const IrProgram *p)
{
	map_begin(E, false);
	kv_str(E, "name", p->name);
	put_loc(E, "loc", p->loc);
	put_program_lists(E, p);
	put_blocks(E, "body", &p->body);
	put_key(E, "history");
	seq_begin(E, false);
	for (int i = 0; i < p->history.len; i++) {
		const IrHistory *h = &p->history.data[i];
		map_begin(E, true);
		kv_str(E, "transformation", h->transformation);
		kv_str(E, "site", h->site);
		kv_str(E, "params", h->params);
		map_end(E);
	}
	seq_end(E);
	map_end(E);
}

static void
put_module(Emit *E, const IrModule *m)
{
	yaml_event_t ev;
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(E, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(E, &ev);
	map_begin(E, false);
	kv_int(E, "dfc_ir", IR_YAML_VERSION);
	kv_str(E, "module", m->name);
	kv_str(E, "source", m->source);
	put_key(E, "programs");
	seq_begin(E, false);
	for (int i = 0; i < m->programs.len; i++)
		put_program(E, m->programs.data[i]);
	seq_end(E);
	map_end(E);
	yaml_document_end_event_initialize(&ev, 1);
	emit(E, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(E, &ev);
}

char *
ir_dump_yaml(Ctx *ctx, const IrModule *m)
{
	Emit E = {.ctx = ctx};
	sb_init(&E.out, ctx->arena);
	if (!yaml_emitter_initialize(&E.em))
		ICE("YAML emitter: out of memory");
	yaml_emitter_set_output(&E.em, write_out, &E.out);
	yaml_emitter_set_unicode(&E.em, 1);
	yaml_emitter_set_indent(&E.em, 2);
	yaml_emitter_set_width(&E.em, -1);
	yaml_emitter_set_break(&E.em, YAML_LN_BREAK);
	put_module(&E, m);
	if (!yaml_emitter_flush(&E.em))
		ICE("YAML emitter: flush failed");
	yaml_emitter_delete(&E.em);
	return (char *)sb_str(&E.out);
}

/* ================================================================
 * Loading, step 1: the document tree
 * ================================================================ */

enum { YN_SCALAR, YN_SEQ, YN_MAP };

typedef struct YNode YNode;
struct YNode {
	int type;           /* YN_SCALAR, YN_SEQ, YN_MAP */
	SrcLoc loc;         /* where the node starts */
	const char *str;    /* YN_SCALAR: the text (NUL-free) */
	bool plain;         /* YN_SCALAR: written without quotes */
	int skip;           /* YN_SCALAR: columns before the text (1 if quoted);
			       -1 when text offsets do not map to columns */
	int n;              /* YN_SEQ: items; YN_MAP: key/value pairs */
	YNode **kids;       /* items, or key0, value0, key1, value1, ... */
};

typedef struct Loader {
	Ctx *ctx;
	const char *file;
	const char *text;
	size_t len;
	yaml_parser_t parser;
	jmp_buf jb;
} Loader;

static SrcLoc
mark_loc(Loader *L, yaml_mark_t m)
{
	return (SrcLoc){L->file, (int)m.line + 1, (int)m.column + 1};
}

static void
parser_error(Loader *L)
{
	yaml_parser_t *p = &L->parser;
	const char *problem = p->problem ? p->problem : "malformed input";
	if (p->error == YAML_READER_ERROR) {
		diag_error(L->ctx, diag_loc_at_offset(L->file, L->text, L->len, p->problem_offset),
			   "invalid YAML: %s", problem);
	} else if (p->context) {
		diag_error(L->ctx, mark_loc(L, p->problem_mark),
			   "invalid YAML: %s (%s at line %d)", problem, p->context,
			   (int)p->context_mark.line + 1);
	} else {
		diag_error(L->ctx, mark_loc(L, p->problem_mark), "invalid YAML: %s", problem);
	}
}

static bool
next_event(Loader *L, yaml_event_t *ev)
{
	if (yaml_parser_parse(&L->parser, ev))
		return true;
	parser_error(L);
	return false;
}

/* Rejects the YAML features the IR form does not use. */
static bool
check_props(Loader *L, const yaml_event_t *ev, const yaml_char_t *anchor,
	    const yaml_char_t *tag)
{
	if (anchor) {
		diag_error(L->ctx, mark_loc(L, ev->start_mark),
			   "anchors (&%s) are not allowed in IR files", (const char *)anchor);
		return false;
	}
	if (tag) {
		diag_error(L->ctx, mark_loc(L, ev->start_mark),
			   "tags (%s) are not allowed in IR files", (const char *)tag);
		return false;
	}
	return true;
}

static YNode *
read_scalar(Loader *L, yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (!check_props(L, ev, ev->data.scalar.anchor, ev->data.scalar.tag))
		return NULL;
	if (memchr(v, '\0', n)) {
		diag_error(L->ctx, mark_loc(L, ev->start_mark),
			   "NUL character in a string");
		return NULL;
	}
	YNode *y = arena_alloc(L->ctx->arena, sizeof *y);
	y->type = YN_SCALAR;
	y->loc = mark_loc(L, ev->start_mark);
	y->str = arena_strndup(L->ctx->arena, v, n);
	y->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	size_t span = ev->end_mark.index - ev->start_mark.index;
	y->skip = y->plain && span == n ? 0 : !y->plain && span == n + 2 ? 1 : -1;
	return y;
}

static YNode *read_node(Loader *L, yaml_event_t *ev, int depth);

/* Reads the items of a collection up to its end event; for a mapping
 * the items alternate key, value. */
static bool
read_items(Loader *L, YNode *y, yaml_event_type_t end, int depth)
{
	VEC(YNode *) kids = {0};
	for (;;) {
		yaml_event_t ev;
		if (!next_event(L, &ev))
			return false;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			break;
		}
		YNode *k = read_node(L, &ev, depth + 1);
		if (!k)
			return false;
		/* every lookup compares keys as strings: keys are scalars */
		if (y->type == YN_MAP && kids.len % 2 == 0 && k->type != YN_SCALAR) {
			diag_error(L->ctx, k->loc, "mapping keys must be plain names, not %s",
				   k->type == YN_SEQ ? "sequences" : "mappings");
			return false;
		}
		vec_push(L->ctx->arena, &kids, k);
	}
	y->kids = kids.data;
	y->n = y->type == YN_MAP ? kids.len / 2 : kids.len;
	return true;
}

/* Reads the node that starts with *ev (which it deletes). Reports the
 * first problem and returns NULL. */
static YNode *
read_node(Loader *L, yaml_event_t *ev, int depth)
{
	YNode *y = NULL;
	bool ok = true;
	if (depth > MAX_DEPTH) {
		diag_error(L->ctx, mark_loc(L, ev->start_mark),
			   "nesting deeper than %d levels", MAX_DEPTH);
		ok = false;
	} else if (ev->type == YAML_SCALAR_EVENT) {
		y = read_scalar(L, ev);
		ok = y != NULL;
	} else if (ev->type == YAML_ALIAS_EVENT) {
		diag_error(L->ctx, mark_loc(L, ev->start_mark),
			   "aliases (*%s) are not allowed in IR files",
			   (const char *)ev->data.alias.anchor);
		ok = false;
	} else {
		bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
		ok = seq ? check_props(L, ev, ev->data.sequence_start.anchor,
				       ev->data.sequence_start.tag)
			 : check_props(L, ev, ev->data.mapping_start.anchor,
				       ev->data.mapping_start.tag);
		if (ok) {
			y = arena_alloc(L->ctx->arena, sizeof *y);
			y->type = seq ? YN_SEQ : YN_MAP;
			y->loc = mark_loc(L, ev->start_mark);
		}
	}
	yaml_event_delete(ev);
	if (ok && y->type != YN_SCALAR)
		ok = read_items(L, y, y->type == YN_SEQ ? YAML_SEQUENCE_END_EVENT
							: YAML_MAPPING_END_EVENT, depth);
	return ok ? y : NULL;
}

/* Expects the event type t; reports `what` otherwise. */
static bool
expect_event(Loader *L, yaml_event_type_t t, const char *what)
{
	yaml_event_t ev;
	if (!next_event(L, &ev))
		return false;
	bool ok = ev.type == t;
	if (!ok)
		diag_error(L->ctx, mark_loc(L, ev.start_mark), "%s", what);
	yaml_event_delete(&ev);
	return ok;
}

/* The root node of the single document of the stream, or NULL. */
static YNode *
read_document(Loader *L)
{
	yaml_event_t ev;
	if (!expect_event(L, YAML_STREAM_START_EVENT, "expected a YAML stream"))
		return NULL;
	if (!next_event(L, &ev))
		return NULL;
	if (ev.type != YAML_DOCUMENT_START_EVENT) {
		diag_error(L->ctx, mark_loc(L, ev.start_mark), "empty IR file");
		yaml_event_delete(&ev);
		return NULL;
	}
	yaml_event_delete(&ev);
	if (!next_event(L, &ev))
		return NULL;
	YNode *root = read_node(L, &ev, 0);
	if (!root || !expect_event(L, YAML_DOCUMENT_END_EVENT, "expected the end of the document"))
		return NULL;
	if (!expect_event(L, YAML_STREAM_END_EVENT,
			  "an IR file holds a single YAML document"))
		return NULL;
	return root;
}

static YNode *
read_tree(Loader *L)
{
	if (!yaml_parser_initialize(&L->parser))
		ICE("YAML parser: out of memory");
	yaml_parser_set_input_string(&L->parser, (const unsigned char *)L->text, L->len);
	YNode *root = read_document(L);
	yaml_parser_delete(&L->parser);
	return root;
}

/* ================================================================
 * Loading, step 2: the schema
 * ================================================================ */

static _Noreturn void
fail_at(Loader *L, const YNode *at, int offset, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Reports an error at node `at` (offset bytes into its text when the text
 * maps to columns) and abandons the load. */
static _Noreturn void
fail_at(Loader *L, const YNode *at, int offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(L->ctx->arena, fmt, ap);
	va_end(ap);
	SrcLoc loc = at->loc;
	if (at->type == YN_SCALAR && at->skip >= 0 && offset > 0)
		loc.col += at->skip + offset;
	diag_error(L->ctx, loc, "%s", msg);
	longjmp(L->jb, 1);
}

#define fail(L, at, ...) fail_at((L), (at), 0, __VA_ARGS__)

static const char *const type_names[] = {"a scalar", "a sequence", "a mapping"};

static void
expect_type(Loader *L, const YNode *y, int type, const char *what)
{
	if (y->type != type)
		fail(L, y, "expected %s for %s, found %s", type_names[type], what,
		     type_names[y->type]);
}

/* Checks that y is a mapping whose keys are among `allowed` (NULL
 * terminated, at most 32 names), each at most once. After this, lookups
 * in y are bounded by the length of `allowed`. */
static void
check_map(Loader *L, const YNode *y, const char *what, const char *const *allowed)
{
	uint32_t seen = 0;
	expect_type(L, y, YN_MAP, what);
	for (int i = 0; i < y->n; i++) {
		const YNode *k = y->kids[2 * i];
		int j = 0;
		while (allowed[j] && strcmp(allowed[j], k->str) != 0)
			j++;
		if (!allowed[j])
			fail(L, k, "unknown key '%s' in %s", k->str, what);
		if (seen & (1u << j))
			fail(L, k, "duplicate key '%s' in %s", k->str, what);
		seen |= 1u << j;
	}
}

static const YNode *
get(const YNode *map, const char *key)
{
	for (int i = 0; i < map->n; i++)
		if (strcmp(map->kids[2 * i]->str, key) == 0)
			return map->kids[2 * i + 1];
	return NULL;
}

static const YNode *
need(Loader *L, const YNode *map, const char *key, const char *what)
{
	const YNode *v = get(map, key);
	if (!v)
		fail(L, map, "missing key '%s' in %s", key, what);
	return v;
}

static bool
is_null(const YNode *y)
{
	return y->type == YN_SCALAR && y->plain &&
	       (!*y->str || strcmp(y->str, "~") == 0 || strcmp(y->str, "null") == 0 ||
		strcmp(y->str, "Null") == 0 || strcmp(y->str, "NULL") == 0);
}

/* A non-null string. */
static const char *
str_of(Loader *L, const YNode *y, const char *what)
{
	expect_type(L, y, YN_SCALAR, what);
	if (is_null(y))
		fail(L, y, "expected a string for %s, found null", what);
	return y->str;
}

/* A string, or NULL for an absent key or a null. */
static const char *
opt_str(Loader *L, const YNode *y, const char *what)
{
	if (!y || is_null(y))
		return NULL;
	return str_of(L, y, what);
}

static int64_t
int_of(Loader *L, const YNode *y, const char *what, int64_t lo, int64_t hi)
{
	const char *s = str_of(L, y, what);
	char *end = NULL;
	long long v = 0;
	errno = 0;
	if (s[0] == '-' || isdigit((unsigned char)s[0]))
		v = strtoll(s, &end, 10);
	if (!end || *end || errno || v < lo || v > hi)
		fail(L, y, "expected an integer from %lld to %lld for %s, found '%s'",
		     (long long)lo, (long long)hi, what, s);
	return v;
}

static SrcLoc
loc_of(Loader *L, const YNode *y)
{
	SrcLoc loc = {0};
	if (!y)
		return loc;
	const char *s = str_of(L, y, "a location");
	const char *c2 = strrchr(s, ':'), *c1 = c2;
	while (c1 && c1 > s && c1[-1] != ':')
		c1--;
	char *e1, *e2;
	if (!c2 || c1 == s)
		fail(L, y, "expected a location 'file:line:col', found '%s'", s);
	long line = strtol(c1, &e1, 10), col = strtol(c2 + 1, &e2, 10);
	if (e1 != c2 || *e2 || e1 == c1 || e2 == c2 + 1 || line < INT_MIN || line > INT_MAX ||
	    col < INT_MIN || col > INT_MAX)
		fail(L, y, "expected a location 'file:line:col', found '%s'", s);
	loc.line = (int)line;
	loc.col = (int)col;
	if (c1 - 1 > s)
		loc.file = arena_strndup(L->ctx->arena, s, (size_t)(c1 - 1 - s));
	return loc;
}

static DType
dtype_of(Loader *L, const YNode *y)
{
	DType t;
	const char *s = str_of(L, y, "a dtype");
	if (!dtype_from_name(s, &t))
		fail(L, y, "unknown dtype '%s'", s);
	return t;
}

static Sym *
sym_of(Loader *L, const YNode *y, const char *what)
{
	const char *s = y->type == YN_SCALAR ? y->str : "";
	const char *err = NULL;
	int pos = 0;
	expect_type(L, y, YN_SCALAR, what);
	Sym *r = sym_parse(L->ctx->arena, s, &err, &pos);
	if (!r)
		fail_at(L, y, pos, "bad symbolic expression '%s' in %s: %s", s, what,
			err ? err : "syntax error");
	return r;
}

/* Parses a slice of y's text ([off, off+n)) as a symbolic expression. */
static Sym *
sym_part(Loader *L, const YNode *y, size_t off, size_t n)
{
	const char *err = NULL;
	int pos = 0;
	char *s = arena_strndup(L->ctx->arena, y->str + off, n);
	Sym *r = sym_parse(L->ctx->arena, s, &err, &pos);
	if (!r)
		fail_at(L, y, (int)off + pos, "bad symbolic expression '%s' in range '%s': %s",
			s, y->str, err ? err : "syntax error");
	return r;
}

/* "begin:end" or "begin:end:step". */
static SymRange
range_of(Loader *L, const YNode *y)
{
	const char *s = str_of(L, y, "a map range");
	const char *c1 = strchr(s, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || (c2 && strchr(c2 + 1, ':')))
		fail(L, y, "expected a range 'begin:end' or 'begin:end:step', found '%s'", s);
	size_t e = c2 ? (size_t)(c2 - s) : strlen(s);
	SymRange r;
	r.begin = sym_part(L, y, 0, (size_t)(c1 - s));
	r.end = sym_part(L, y, (size_t)(c1 + 1 - s), e - (size_t)(c1 + 1 - s));
	r.step = c2 ? sym_part(L, y, e + 1, strlen(c2 + 1)) : sym_const(L->ctx->arena, 1);
	return r;
}

static bool
conn_dtype(const char *name, DType *t, void *ud)
{
	const IrNode *n = ud;
	for (int i = 0; i < n->tasklet.nin; i++) {
		if (n->tasklet.in[i].name && strcmp(n->tasklet.in[i].name, name) == 0) {
			*t = n->tasklet.in[i].dtype;
			return true;
		}
	}
	return false;
}

static bool
container_dtype(const char *name, DType *t, void *ud)
{
	const IrProgram *p = ud;
	for (int i = 0; i < p->containers.len; i++) {
		if (p->containers.data[i].name && strcmp(p->containers.data[i].name, name) == 0) {
			*t = p->containers.data[i].dtype;
			return true;
		}
	}
	return false;
}

static IrExpr *
expr_of(Loader *L, const YNode *y, bool (*in_dtype)(const char *, DType *, void *), void *ud)
{
	const char *s = str_of(L, y, "an expression");
	const char *err = NULL;
	int pos = 0;
	IrExpr *e = ir_expr_parse(L->ctx->arena, s, in_dtype, ud, &err, &pos);
	if (!e)
		fail_at(L, y, pos, "bad expression '%s': %s", s, err ? err : "syntax error");
	return e;
}

/* Each name spelt by name_fn(0..count) is a possible value. */
static int
enum_of(Loader *L, const YNode *y, const char *what, int count, const char *(*name_fn)(int))
{
	const char *s = str_of(L, y, what);
	for (int i = 0; i < count; i++)
		if (strcmp(s, name_fn(i)) == 0)
			return i;
	fail(L, y, "unknown %s '%s'", what, s);
}

static const char *sched_name(int i) { return ir_schedule_name((Schedule)i); }
static const char *wcr_name(int i) { return ir_wcr_name((Wcr)i); }
static const char *libop_name(int i) { return ir_libop_name((LibOp)i); }
static const char *storage_name(int i) { return ir_storage_name((Storage)i); }
static const char *role_name(int i) { return ir_role_name((ContainerRole)i); }
static const char *lifetime_name(int i) { return ir_lifetime_name((Lifetime)i); }
static const char *kind_name(int i) { return ir_node_kind_name((IrNodeKind)i); }

/* ---- nodes and memlets ---- */

static IrConn
conn_of(Loader *L, const YNode *y)
{
	static const char *const keys[] = {"name", "dtype", NULL};
	check_map(L, y, "a connector", keys);
	return (IrConn){str_of(L, need(L, y, "name", "a connector"), "a connector name"),
			dtype_of(L, need(L, y, "dtype", "a connector"))};
}

static void
load_tasklet(Loader *L, const YNode *y, IrNode *n)
{
	const YNode *in = get(y, "in");
	if (in) {
		expect_type(L, in, YN_SEQ, "'in'");
		n->tasklet.nin = in->n;
		n->tasklet.in = arena_alloc(L->ctx->arena, sizeof(IrConn) * (size_t)in->n);
		for (int i = 0; i < in->n; i++)
			n->tasklet.in[i] = conn_of(L, in->kids[i]);
	}
	n->tasklet.out = conn_of(L, need(L, y, "out", "a tasklet"));
	n->tasklet.expr = expr_of(L, need(L, y, "expr", "a tasklet"), conn_dtype, n);
	const YNode *oi = get(y, "out_index");
	if (!oi)
		return;
	expect_type(L, oi, YN_SEQ, "'out_index'");
	if (oi->n == 0)
		fail(L, oi, "'out_index' needs at least one index (omit it for one element)");
	n->tasklet.nout_index = oi->n;
	n->tasklet.out_index = arena_alloc(L->ctx->arena, sizeof(IrExpr *) * (size_t)oi->n);
	for (int i = 0; i < oi->n; i++)
		n->tasklet.out_index[i] = expr_of(L, oi->kids[i], conn_dtype, n);
}

static void
load_map_entry(Loader *L, const YNode *y, IrNode *n)
{
	Arena *a = L->ctx->arena;
	const YNode *params = need(L, y, "params", "a map entry");
	const YNode *ranges = need(L, y, "ranges", "a map entry");
	expect_type(L, params, YN_SEQ, "'params'");
	expect_type(L, ranges, YN_SEQ, "'ranges'");
	if (ranges->n != params->n)
		fail(L, ranges, "%d ranges for %d map parameters", ranges->n, params->n);
	n->map.nparams = params->n;
	n->map.params = arena_alloc(a, sizeof(char *) * (size_t)params->n);
	n->map.ranges = arena_alloc(a, sizeof(SymRange) * (size_t)params->n);
	for (int i = 0; i < params->n; i++) {
		n->map.params[i] = str_of(L, params->kids[i], "a map parameter");
		n->map.ranges[i] = range_of(L, ranges->kids[i]);
	}
	const YNode *sched = get(y, "schedule");
	n->map.schedule = sched ? (Schedule)enum_of(L, sched, "schedule", SCHED_COUNT, sched_name)
				: SCHED_SEQUENTIAL;
	const YNode *simd = get(y, "simd");
	n->map.simd = simd ? (int)int_of(L, simd, "'simd'", 0, 64) : 0;
	const YNode *unroll = get(y, "unroll");
	n->map.unroll = unroll ? (int)int_of(L, unroll, "'unroll'", 0, 64) : 0;
	n->map.exit = (int)int_of(L, need(L, y, "exit", "a map entry"), "'exit'", -1, INT_MAX);
}

/* A library node's `transpose: [_a, _b]`: the operands it reads transposed. */
static void
load_lib_transpose(Loader *L, const YNode *y, IrNode *n)
{
	if (!y)
		return;
	expect_type(L, y, YN_SEQ, "'transpose'");
	for (int i = 0; i < y->n; i++) {
		const char *c = str_of(L, y->kids[i], "a transposed operand");
		int k = strcmp(c, "_a") == 0 ? 0 : strcmp(c, "_b") == 0 ? 1 : -1;
		if (k < 0 || n->lib.trans[k])
			fail(L, y->kids[i], "'transpose' lists the operands _a and _b, each once, "
			     "not '%s'", c);
		n->lib.trans[k] = true;
	}
}

static void
load_node_payload(Loader *L, const YNode *y, IrNode *n)
{
	static const char *const access[] = {"id", "kind", "label", "loc", "data", NULL};
	static const char *const tasklet[] = {"id", "kind", "label", "loc", "in", "out", "expr",
					      "out_index", NULL};
	static const char *const entry[] = {"id", "kind", "label", "loc", "params", "ranges",
					    "schedule", "simd", "unroll", "exit", NULL};
	static const char *const exit[] = {"id", "kind", "label", "loc", "entry", NULL};
	static const char *const lib[] = {"id", "kind", "label", "loc", "op", "impl", "transpose",
					  "axis", "combine", NULL};
	static const char *const *const keys[IRN_COUNT] = {
		[IRN_ACCESS] = access, [IRN_TASKLET] = tasklet, [IRN_MAP_ENTRY] = entry,
		[IRN_MAP_EXIT] = exit, [IRN_LIBRARY] = lib,
	};
	const char *what = arena_printf(L->ctx->arena, "a %s node", ir_node_kind_name(n->kind));
	check_map(L, y, what, keys[n->kind]);
	switch (n->kind) {
	case IRN_ACCESS:
		n->access.data = str_of(L, need(L, y, "data", what), "'data'");
		break;
	case IRN_TASKLET:
		load_tasklet(L, y, n);
		break;
	case IRN_MAP_ENTRY:
		load_map_entry(L, y, n);
		break;
	case IRN_MAP_EXIT:
		n->mapexit.entry = (int)int_of(L, need(L, y, "entry", what), "'entry'", -1, INT_MAX);
		break;
	case IRN_LIBRARY:
		n->lib.op = (LibOp)enum_of(L, need(L, y, "op", what), "library operation",
					   LIB_COUNT, libop_name);
		n->lib.impl = opt_str(L, get(y, "impl"), "'impl'");
		load_lib_transpose(L, get(y, "transpose"), n);
		if (get(y, "axis"))
			n->lib.axis = (int)int_of(L, get(y, "axis"), "'axis'", 0, INT_MAX);
		if (get(y, "combine"))
			n->lib.combine = (Wcr)enum_of(L, get(y, "combine"), "combining operation",
						      WCR_COUNT, wcr_name);
		break;
	default:
		UNREACHABLE();
	}
}

static IrNode
node_of(Loader *L, const YNode *y, int index)
{
	IrNode n = {0};
	expect_type(L, y, YN_MAP, "a node");
	const YNode *id = need(L, y, "id", "a node");
	if (int_of(L, id, "a node id", 0, INT_MAX) != index)
		fail(L, id, "node id %s out of order: expected %d", id->str, index);
	n.id = index;
	n.kind = (IrNodeKind)enum_of(L, need(L, y, "kind", "a node"), "node kind",
				     IRN_COUNT, kind_name);
	load_node_payload(L, y, &n);
	n.label = opt_str(L, get(y, "label"), "'label'");
	n.loc = loc_of(L, get(y, "loc"));
	return n;
}

static IrMemlet
memlet_of(Loader *L, const YNode *y, int index)
{
	static const char *const keys[] = {"id", "src", "src_conn", "dst", "dst_conn", "data",
					   "subset", "wcr", "loc", NULL};
	IrMemlet m = {0};
	check_map(L, y, "a memlet", keys);
	const YNode *id = need(L, y, "id", "a memlet");
	if (int_of(L, id, "a memlet id", 0, INT_MAX) != index)
		fail(L, id, "memlet id %s out of order: expected %d", id->str, index);
	m.id = index;
	m.src = (int)int_of(L, need(L, y, "src", "a memlet"), "'src'", -1, INT_MAX);
	m.dst = (int)int_of(L, need(L, y, "dst", "a memlet"), "'dst'", -1, INT_MAX);
	m.src_conn = opt_str(L, get(y, "src_conn"), "'src_conn'");
	m.dst_conn = opt_str(L, get(y, "dst_conn"), "'dst_conn'");
	m.data = opt_str(L, get(y, "data"), "'data'");
	const YNode *sub = get(y, "subset");
	if (sub) {
		const char *err = NULL;
		int pos = 0;
		const char *s = str_of(L, sub, "a subset");
		if (!subset_parse(L->ctx->arena, s, &m.subset, &err, &pos))
			fail_at(L, sub, pos, "bad subset '%s': %s", s, err ? err : "syntax error");
	}
	const YNode *wcr = get(y, "wcr");
	m.wcr = wcr ? (Wcr)enum_of(L, wcr, "wcr", WCR_COUNT, wcr_name) : WCR_NONE;
	m.loc = loc_of(L, get(y, "loc"));
	return m;
}

/* ---- control flow ---- */

static void load_blocks(Loader *L, const YNode *y, IrProgram *p, IrBlockList *out);

static IrBlock *
block_new(Loader *L, IrBlockKind kind, const char *name, SrcLoc loc)
{
	IrBlock *b = arena_alloc(L->ctx->arena, sizeof *b);
	b->kind = kind;
	b->name = name;
	b->loc = loc;
	return b;
}

static IrBlock *
load_state(Loader *L, const YNode *y)
{
	static const char *const keys[] = {"state", "block", "loc", "block_loc", "nodes",
					   "memlets", NULL};
	check_map(L, y, "a state", keys);
	IrState *s = arena_alloc(L->ctx->arena, sizeof *s);
	s->name = str_of(L, get(y, "state"), "a state name");
	s->loc = loc_of(L, get(y, "loc"));
	const YNode *nodes = get(y, "nodes"), *memlets = get(y, "memlets");
	if (nodes) {
		expect_type(L, nodes, YN_SEQ, "'nodes'");
		for (int i = 0; i < nodes->n; i++)
			vec_push(L->ctx->arena, &s->nodes, node_of(L, nodes->kids[i], i));
	}
	if (memlets) {
		expect_type(L, memlets, YN_SEQ, "'memlets'");
		for (int i = 0; i < memlets->n; i++)
			vec_push(L->ctx->arena, &s->memlets, memlet_of(L, memlets->kids[i], i));
	}
	const YNode *bname = get(y, "block"), *bloc = get(y, "block_loc");
	IrBlock *b = block_new(L, CF_STATE, bname ? opt_str(L, bname, "'block'") : s->name,
			       bloc ? loc_of(L, bloc) : s->loc);
	b->state = s;
	return b;
}

static IrBlock *
load_for(Loader *L, const YNode *y, IrProgram *p)
{
	static const char *const keys[] = {"for", "var", "range", "schedule", "loc", "body", NULL};
	check_map(L, y, "a for loop", keys);
	IrBlock *b = block_new(L, CF_FOR, opt_str(L, get(y, "for"), "a loop name"),
			       loc_of(L, get(y, "loc")));
	b->loop.var = str_of(L, need(L, y, "var", "a for loop"), "a loop variable");
	const YNode *r = need(L, y, "range", "a for loop");
	expect_type(L, r, YN_SEQ, "'range'");
	if (r->n != 3)
		fail(L, r, "expected [start, stop, step] for a loop range");
	b->loop.start = sym_of(L, r->kids[0], "a loop start");
	b->loop.stop = sym_of(L, r->kids[1], "a loop stop");
	b->loop.step = sym_of(L, r->kids[2], "a loop step");
	const YNode *sched = get(y, "schedule");
	const char *sn = sched ? str_of(L, sched, "a loop schedule") : "sequential";
	if (strcmp(sn, "parallel") != 0 && strcmp(sn, "parallel_even") != 0 &&
	    strcmp(sn, "sequential") != 0)
		fail(L, sched, "unknown loop schedule '%s' (expected sequential, parallel or "
		     "parallel_even)", sn);
	b->loop.even = strcmp(sn, "parallel_even") == 0;
	b->loop.parallel = b->loop.even || strcmp(sn, "parallel") == 0;
	load_blocks(L, get(y, "body"), p, &b->loop.body);
	return b;
}

static IrBlock *
load_while(Loader *L, const YNode *y, IrProgram *p)
{
	static const char *const keys[] = {"while", "cond", "loc", "body", NULL};
	check_map(L, y, "a while loop", keys);
	IrBlock *b = block_new(L, CF_WHILE, opt_str(L, get(y, "while"), "a loop name"),
			       loc_of(L, get(y, "loc")));
	b->wloop.cond = expr_of(L, need(L, y, "cond", "a while loop"), container_dtype, p);
	load_blocks(L, get(y, "body"), p, &b->wloop.body);
	return b;
}

static IrBlock *
load_if(Loader *L, const YNode *y, IrProgram *p)
{
	static const char *const keys[] = {"if", "loc", "branches", "else", NULL};
	static const char *const bkeys[] = {"cond", "body", NULL};
	check_map(L, y, "an if", keys);
	IrBlock *b = block_new(L, CF_IF, opt_str(L, get(y, "if"), "a branch name"),
			       loc_of(L, get(y, "loc")));
	const YNode *br = need(L, y, "branches", "an if");
	expect_type(L, br, YN_SEQ, "'branches'");
	b->branch.n = br->n;
	b->branch.conds = arena_alloc(L->ctx->arena, sizeof(IrExpr *) * (size_t)br->n);
	b->branch.bodies = arena_alloc(L->ctx->arena, sizeof(IrBlockList) * (size_t)br->n);
	for (int i = 0; i < br->n; i++) {
		check_map(L, br->kids[i], "a branch", bkeys);
		b->branch.conds[i] = expr_of(L, need(L, br->kids[i], "cond", "a branch"),
					     container_dtype, p);
		load_blocks(L, get(br->kids[i], "body"), p, &b->branch.bodies[i]);
	}
	load_blocks(L, get(y, "else"), p, &b->branch.orelse);
	return b;
}

static IrBlock *
load_jump(Loader *L, const YNode *y, IrBlockKind kind, const char *key)
{
	const char *keys[] = {key, "loc", NULL};
	check_map(L, y, arena_printf(L->ctx->arena, "a %s", key), keys);
	return block_new(L, kind, opt_str(L, get(y, key), "a block name"),
			 loc_of(L, get(y, "loc")));
}

/* {assign: n, value: "N - 2", loc: ...}: a symbol assignment; or
 * {assign: n, from: x} (from: -x) from a 0-d integer container. */
static IrBlock *
load_assign(Loader *L, const YNode *y)
{
	static const char *const keys[] = {"assign", "value", "from", "loc", NULL};
	check_map(L, y, "an assignment", keys);
	IrBlock *b = block_new(L, CF_ASSIGN, NULL, loc_of(L, get(y, "loc")));
	b->assign.sym = str_of(L, get(y, "assign"), "an assigned symbol");
	const YNode *from = get(y, "from");
	if (from && get(y, "value"))
		fail(L, y, "an assignment takes either 'value' or 'from', not both");
	if (!from) {
		b->assign.value = sym_of(L, need(L, y, "value", "an assignment"), "an assigned value");
		return b;
	}
	const char *d = str_of(L, from, "a container name");
	b->assign.negate = d[0] == '-';
	b->assign.data = b->assign.negate ? d + 1 : d;
	return b;
}

static IrBlock *
load_block(Loader *L, const YNode *y, IrProgram *p)
{
	static const char *const kinds[] = {"state", "for", "while", "if", "break", "continue",
					    "return", "assign"};
	expect_type(L, y, YN_MAP, "a block");
	for (int i = 0; i < y->n; i++) {
		const YNode *k = y->kids[2 * i];
		for (int j = 0; k->type == YN_SCALAR && j < 8; j++) {
			if (strcmp(k->str, kinds[j]) != 0)
				continue;
			switch (j) {
			case 0: return load_state(L, y);
			case 1: return load_for(L, y, p);
			case 2: return load_while(L, y, p);
			case 3: return load_if(L, y, p);
			case 4: return load_jump(L, y, CF_BREAK, "break");
			case 5: return load_jump(L, y, CF_CONTINUE, "continue");
			case 6: return load_jump(L, y, CF_RETURN, "return");
			default: return load_assign(L, y);
			}
		}
	}
	fail(L, y, "a block needs one of the keys state, for, while, if, break, continue, return, "
	     "assign");
}

/* A list of blocks; an absent key is an empty list. */
static void
load_blocks(Loader *L, const YNode *y, IrProgram *p, IrBlockList *out)
{
	if (!y)
		return;
	expect_type(L, y, YN_SEQ, "a block list");
	for (int i = 0; i < y->n; i++)
		vec_push(L->ctx->arena, out, load_block(L, y->kids[i], p));
}

/* ---- programs and the module ---- */

static Sym **
syms_of(Loader *L, const YNode *y, const char *what)
{
	expect_type(L, y, YN_SEQ, what);
	Sym **v = arena_alloc(L->ctx->arena, sizeof(Sym *) * (size_t)(y->n ? y->n : 1));
	for (int i = 0; i < y->n; i++)
		v[i] = sym_of(L, y->kids[i], what);
	return v;
}

static IrContainer
container_of(Loader *L, const YNode *y)
{
	static const char *const keys[] = {"name", "dtype", "shape", "strides", "storage",
					   "role", "lifetime", "loc", NULL};
	IrContainer c = {0};
	check_map(L, y, "a container", keys);
	c.name = str_of(L, need(L, y, "name", "a container"), "a container name");
	c.dtype = dtype_of(L, need(L, y, "dtype", "a container"));
	const YNode *shape = get(y, "shape"), *strides = get(y, "strides");
	if (shape) {
		c.shape = syms_of(L, shape, "a shape");
		c.ndim = shape->n;
	}
	if (strides) {
		c.strides = syms_of(L, strides, "strides");
		if (strides->n != c.ndim)
			fail(L, strides, "%d strides for %d dimensions", strides->n, c.ndim);
	} else {
		c.strides = ir_strides_row_major(L->ctx->arena, c.ndim, c.shape);
	}
	const YNode *st = get(y, "storage"), *role = get(y, "role");
	c.storage = st ? (Storage)enum_of(L, st, "storage", STORAGE_COUNT, storage_name)
		       : STORAGE_HOST;
	c.role = role ? (ContainerRole)enum_of(L, role, "role", ROLE_RETURN + 1, role_name)
		      : ROLE_TRANSIENT;
	const YNode *lt = get(y, "lifetime");
	c.lifetime = lt ? (Lifetime)enum_of(L, lt, "lifetime", LIFETIME_COUNT, lifetime_name)
			: LIFETIME_CALL;
	c.loc = loc_of(L, get(y, "loc"));
	return c;
}

static IrArg
arg_of(Loader *L, const YNode *y)
{
	static const char *const keys[] = {"data", "symbol", NULL};
	check_map(L, y, "an argument", keys);
	if (y->n != 1)
		fail(L, y, "an argument is {data: NAME} or {symbol: NAME}");
	bool sym = strcmp(y->kids[0]->str, "symbol") == 0;
	return (IrArg){sym ? ARG_SYMBOL : ARG_DATA, str_of(L, y->kids[1], "an argument name")};
}

static IrAssume
assume_of(Loader *L, const YNode *y)
{
	static const char *const keys[] = {"expr", "loc", NULL};
	check_map(L, y, "an assumption", keys);
	return (IrAssume){ sym_of(L, need(L, y, "expr", "an assumption"), "an assumption"),
			   loc_of(L, get(y, "loc")) };
}

static IrHistory
history_of(Loader *L, const YNode *y)
{
	static const char *const keys[] = {"transformation", "site", "params", NULL};
	check_map(L, y, "a history entry", keys);
	return (IrHistory){
		str_of(L, need(L, y, "transformation", "a history entry"), "'transformation'"),
		opt_str(L, get(y, "site"), "'site'"),
		opt_str(L, get(y, "params"), "'params'"),
	};
}

/* The sequence under key, or NULL when the key is absent. */
static const YNode *
opt_seq(Loader *L, const YNode *map, const char *key)
{
	const YNode *y = get(map, key);
	if (y)
		expect_type(L, y, YN_SEQ, arena_printf(L->ctx->arena, "'%s'", key));
	return y;
}

static void
load_program_lists(Loader *L, const YNode *y, IrProgram *p)
{
	Arena *a = L->ctx->arena;
	const YNode *l;
	if ((l = opt_seq(L, y, "symbols")))
		for (int i = 0; i < l->n; i++)
			vec_push(a, &p->symbols, str_of(L, l->kids[i], "a symbol"));
	if ((l = opt_seq(L, y, "containers")))
		for (int i = 0; i < l->n; i++)
			vec_push(a, &p->containers, container_of(L, l->kids[i]));
	if ((l = opt_seq(L, y, "args")))
		for (int i = 0; i < l->n; i++)
			vec_push(a, &p->args, arg_of(L, l->kids[i]));
	if ((l = opt_seq(L, y, "returns")))
		for (int i = 0; i < l->n; i++)
			vec_push(a, &p->returns, str_of(L, l->kids[i], "a return container"));
	if ((l = opt_seq(L, y, "history")))
		for (int i = 0; i < l->n; i++)
			vec_push(a, &p->history, history_of(L, l->kids[i]));
	if ((l = opt_seq(L, y, "assumes")))
		for (int i = 0; i < l->n; i++)
			vec_push(a, &p->assumes, assume_of(L, l->kids[i]));
}

static IrProgram *
program_of(Loader *L, const YNode *y)
{
	static const char *const keys[] = {"name", "loc", "symbols", "args", "returns",
					   "assumes", "containers", "body", "history", NULL};
	check_map(L, y, "a program", keys);
	IrProgram *p = arena_alloc(L->ctx->arena, sizeof *p);
	p->name = str_of(L, need(L, y, "name", "a program"), "a program name");
	p->loc = loc_of(L, get(y, "loc"));
	load_program_lists(L, y, p);
	load_blocks(L, get(y, "body"), p, &p->body);
	return p;
}

static IrModule *
module_of(Loader *L, const YNode *y)
{
	static const char *const keys[] = {"dfc_ir", "module", "source", "programs", NULL};
	check_map(L, y, "an IR module", keys);
	const YNode *v = need(L, y, "dfc_ir", "an IR module");
	if (v->type != YN_SCALAR || strcmp(v->str, "1") != 0)
		fail(L, v, "unsupported IR version (this dfc reads dfc_ir: %d)", IR_YAML_VERSION);
	IrModule *m = arena_alloc(L->ctx->arena, sizeof *m);
	m->name = str_of(L, need(L, y, "module", "an IR module"), "a module name");
	const YNode *src = get(y, "source");
	m->source = src ? opt_str(L, src, "a source path") : "";
	const YNode *progs = opt_seq(L, y, "programs");
	for (int i = 0; progs && i < progs->n; i++)
		vec_push(L->ctx->arena, &m->programs, program_of(L, progs->kids[i]));
	return m;
}

IrModule *
ir_load_yaml(Ctx *ctx, const char *filename, const char *text, size_t len)
{
	Loader L = {.ctx = ctx, .len = len};
	L.file = arena_strdup(ctx->arena, filename ? filename : "<input>");
	L.text = arena_strndup(ctx->arena, text, len);
	ctx_add_source(ctx, L.file, L.text, len);
	YNode *root = read_tree(&L);
	if (!root)
		return NULL;
	if (setjmp(L.jb))
		return NULL;
	return module_of(&L, root);
}
