/* ir/dot.c — Graphviz DOT pictures of the IR (docs/ir.md).
 *
 * One digraph per module. Every program, control-flow block and state is a
 * cluster, nested as the control flow nests; loops and branches are
 * labelled with their header ("for loop_L7: t in range(0, T, 1)"), states
 * with their name. Dataflow nodes are shaped by kind: access = ellipse
 * (container name), tasklet = octagon (its expression), map entry/exit =
 * trapezium/invtrapezium (label, parameters and ranges, schedule),
 * library = box. Memlets are edges labelled "A[i, j]" (" (sum)" for a
 * WCR write); empty memlets are dashed. Consecutive blocks of a body are
 * joined by grey dashed edges between their clusters (compound=true).
 *
 * Graphviz names: clusters "cluster_<k>", dataflow nodes "s<k>_n<id>" for
 * the k-th state printed, anchors of otherwise empty clusters "a<k>". All
 * labels are quoted with '"' and '\' escaped and newlines as "\n".
 */
#include "ir.h"

#include <string.h>

typedef struct Dot {
	Ctx *ctx;
	StrBuf sb;
	int nclusters;      /* clusters (and anchors) named so far */
	int nstates;        /* states drawn so far */
} Dot;

static void
indent(Dot *D, int depth)
{
	for (int i = 0; i < depth; i++)
		sb_puts(&D->sb, "  ");
}

/* s as a DOT quoted string. */
static void
put_quoted(Dot *D, const char *s)
{
	sb_putc(&D->sb, '"');
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_putc(&D->sb, '\\');
		if (*p == '\n')
			sb_puts(&D->sb, "\\n");
		else if (*p != '\r')
			sb_putc(&D->sb, *p);
	}
	sb_putc(&D->sb, '"');
}

static const char *
sym_text(Dot *D, const Sym *s)
{
	return s ? sym_print(D->ctx->arena, s) : "?";
}

static const char *
nz(const char *s)
{
	return s ? s : "-";
}

/* ---- dataflow ---- */

static const char *
map_label(Dot *D, const IrNode *n)
{
	StrBuf sb;
	int64_t st;
	sb_init(&sb, D->ctx->arena);
	if (n->label)
		sb_printf(&sb, "%s\n", n->label);
	sb_putc(&sb, '[');
	for (int i = 0; i < n->map.nparams; i++) {
		SymRange r = n->map.ranges[i];
		sb_printf(&sb, "%s%s = %s:%s", i ? ", " : "", nz(n->map.params[i]),
			  sym_text(D, r.begin), sym_text(D, r.end));
		if (!r.step || !sym_is_const(r.step, &st) || st != 1)
			sb_printf(&sb, ":%s", sym_text(D, r.step));
	}
	sb_printf(&sb, "]\n%s", ir_schedule_name(n->map.schedule));
	return sb_str(&sb);
}

static const char *
exit_label(Dot *D, const IrState *s, const IrNode *n)
{
	int e = n->mapexit.entry;
	if (e >= 0 && e < s->nodes.len && s->nodes.data[e].label)
		return arena_printf(D->ctx->arena, "end %s", s->nodes.data[e].label);
	return "end map";
}

/* "[in:k]" for a tasklet writing at an output index, else "". */
static const char *
out_index_text(Arena *a, const IrNode *n)
{
	if (n->tasklet.nout_index <= 0 || !n->tasklet.out_index)
		return "";
	StrBuf sb;
	sb_init(&sb, a);
	for (int i = 0; i < n->tasklet.nout_index; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "[", ir_expr_print(a, n->tasklet.out_index[i]));
	sb_putc(&sb, ']');
	return sb_str(&sb);
}

static void
put_node(Dot *D, int k, const IrState *s, int id, int depth)
{
	Arena *a = D->ctx->arena;
	const IrNode *n = &s->nodes.data[id];
	const char *shape = "box", *label = "?";
	switch (n->kind) {
	case IRN_ACCESS:
		shape = "ellipse", label = nz(n->access.data);
		break;
	case IRN_TASKLET:
		shape = "octagon";
		label = arena_printf(a, "%s%s = %s", nz(n->tasklet.out.name),
				     out_index_text(a, n),
				     n->tasklet.expr ? ir_expr_print(a, n->tasklet.expr) : "?");
		break;
	case IRN_MAP_ENTRY:
		shape = "trapezium", label = map_label(D, n);
		break;
	case IRN_MAP_EXIT:
		shape = "invtrapezium", label = exit_label(D, s, n);
		break;
	case IRN_LIBRARY:
		label = arena_printf(a, "%s%s\n(%s)", ir_libop_name(n->lib.op),
				     n->lib.trans[0] ? (n->lib.trans[1] ? " a^T b^T" : " a^T")
						     : n->lib.trans[1] ? " b^T" : "",
				     n->lib.impl ? n->lib.impl : "naive");
		if (n->lib.op == LIB_SCAN)
			label = arena_printf(a, "scan %s axis %d\n(%s)", ir_wcr_name(n->lib.combine),
					     n->lib.axis, n->lib.impl ? n->lib.impl : "naive");
		break;
	default:
		break;
	}
	indent(D, depth);
	sb_printf(&D->sb, "s%d_n%d [shape=%s, label=", k, id, shape);
	put_quoted(D, label);
	sb_puts(&D->sb, "];\n");
}

static void
put_memlet(Dot *D, int k, const IrState *s, const IrMemlet *m, int depth)
{
	if (m->src < 0 || m->src >= s->nodes.len || m->dst < 0 || m->dst >= s->nodes.len)
		return;
	indent(D, depth);
	sb_printf(&D->sb, "s%d_n%d -> s%d_n%d", k, m->src, k, m->dst);
	if (!m->data) {
		sb_puts(&D->sb, " [style=dashed];\n");
		return;
	}
	const char *label = arena_printf(D->ctx->arena, "%s%s%s%s%s", m->data,
	    subset_print(D->ctx->arena, &m->subset), m->wcr != WCR_NONE ? " (" : "",
	    m->wcr != WCR_NONE ? ir_wcr_name(m->wcr) : "", m->wcr != WCR_NONE ? ")" : "");
	sb_puts(&D->sb, " [label=");
	put_quoted(D, label);
	sb_puts(&D->sb, "];\n");
}

/* ---- clusters ---- */

/* Opens a cluster; returns its number. */
static int
open_cluster(Dot *D, const char *label, const char *style, int depth)
{
	int c = D->nclusters++;
	indent(D, depth);
	sb_printf(&D->sb, "subgraph cluster_%d {\n", c);
	indent(D, depth + 1);
	sb_puts(&D->sb, "label=");
	put_quoted(D, label);
	sb_printf(&D->sb, "; style=%s;\n", style);
	return c;
}

static void
close_cluster(Dot *D, int depth)
{
	indent(D, depth);
	sb_puts(&D->sb, "}\n");
}

/* An invisible node standing for an empty cluster in sequence edges. */
static const char *
put_anchor(Dot *D, int depth)
{
	const char *name = arena_printf(D->ctx->arena, "a%d", D->nclusters++);
	indent(D, depth);
	sb_printf(&D->sb, "%s [shape=point, style=invis, label=\"\"];\n", name);
	return name;
}

/* A drawn block: the cluster it is (-1 for a plain node) and the nodes
 * inside it that sequence edges leave from (last) and enter (first). */
typedef struct Drawn {
	int cluster;
	const char *first, *last;
} Drawn;

static Drawn
put_state(Dot *D, const IrState *s, int depth)
{
	int k = D->nstates++, n = s->nodes.len;
	Drawn d = {open_cluster(D, nz(s->name), "rounded", depth), NULL, NULL};
	for (int i = 0; i < n; i++)
		put_node(D, k, s, i, depth + 1);
	for (int i = 0; i < s->memlets.len; i++)
		put_memlet(D, k, s, &s->memlets.data[i], depth + 1);
	if (n == 0) {
		d.first = d.last = put_anchor(D, depth + 1);
	} else {
		int first = 0, last = n - 1;
		if (ir_state_is_acyclic(s)) {
			int *order = ir_state_topo_order(D->ctx->arena, s);
			first = order[0], last = order[n - 1];
		}
		d.first = arena_printf(D->ctx->arena, "s%d_n%d", k, first);
		d.last = arena_printf(D->ctx->arena, "s%d_n%d", k, last);
	}
	close_cluster(D, depth);
	return d;
}

static Drawn put_blocks(Dot *D, const IrBlockList *l, int depth, int c);

/* A cluster labelled `label` around the blocks of l. */
static Drawn
put_body(Dot *D, const char *label, const char *style, const IrBlockList *l, int depth)
{
	int c = open_cluster(D, label, style, depth);
	Drawn d = put_blocks(D, l, depth + 1, c);
	if (!d.first)
		d.first = d.last = put_anchor(D, depth + 1);
	close_cluster(D, depth);
	return d;
}

static Drawn
put_if(Dot *D, const IrBlock *b, int depth)
{
	Arena *a = D->ctx->arena;
	Drawn d = {open_cluster(D, b->name ? b->name : "if", "dashed", depth), NULL, NULL};
	for (int i = 0; i < b->branch.n; i++) {
		const IrExpr *c = b->branch.conds[i];
		const char *label = arena_printf(a, "%s %s", i ? "elif" : "if",
						 c ? ir_expr_print(a, c) : "?");
		Drawn x = put_body(D, label, "solid", &b->branch.bodies[i], depth + 1);
		if (!d.first)
			d.first = x.first, d.last = x.last;
	}
	if (b->branch.orelse.len > 0) {
		Drawn x = put_body(D, "else", "solid", &b->branch.orelse, depth + 1);
		if (!d.first)
			d.first = x.first, d.last = x.last;
	}
	if (!d.first)
		d.first = d.last = put_anchor(D, depth + 1);
	close_cluster(D, depth);
	return d;
}

static Drawn
put_jump(Dot *D, const char *word, int depth)
{
	const char *name = arena_printf(D->ctx->arena, "a%d", D->nclusters++);
	Drawn d = {-1, name, name};
	indent(D, depth);
	sb_printf(&D->sb, "%s [shape=plaintext, label=\"%s\"];\n", name, word);
	return d;
}

static Drawn
put_block(Dot *D, const IrBlock *b, int depth)
{
	Arena *a = D->ctx->arena;
	const char *name = b->name ? arena_printf(a, " %s:", b->name) : "";
	switch (b->kind) {
	case CF_STATE:
		if (b->state)
			return put_state(D, b->state, depth);
		return put_jump(D, "(no state)", depth);
	case CF_FOR:
		return put_body(D, arena_printf(a, "for%s %s in range(%s, %s, %s)%s", name,
			nz(b->loop.var), sym_text(D, b->loop.start), sym_text(D, b->loop.stop),
			sym_text(D, b->loop.step), !b->loop.parallel ? "" :
			b->loop.even ? " parallel even" : " parallel"), "bold",
			&b->loop.body, depth);
	case CF_WHILE:
		return put_body(D, arena_printf(a, "while%s %s", name,
			b->wloop.cond ? ir_expr_print(a, b->wloop.cond) : "?"), "bold",
			&b->wloop.body, depth);
	case CF_IF:
		return put_if(D, b, depth);
	case CF_BREAK:
		return put_jump(D, "break", depth);
	case CF_CONTINUE:
		return put_jump(D, "continue", depth);
	case CF_RETURN:
		return put_jump(D, "return", depth);
	case CF_ASSIGN:
		return put_jump(D, arena_printf(a, "%s = %s", nz(b->assign.sym),
						ir_assign_value_text(a, b)), depth);
	default:
		return put_jump(D, "(bad block)", depth);
	}
}

static void
put_sequence_edge(Dot *D, Drawn x, Drawn y, int depth)
{
	indent(D, depth);
	sb_printf(&D->sb, "%s -> %s [style=dashed, color=gray", x.last, y.first);
	if (x.cluster >= 0)
		sb_printf(&D->sb, ", ltail=cluster_%d", x.cluster);
	if (y.cluster >= 0)
		sb_printf(&D->sb, ", lhead=cluster_%d", y.cluster);
	sb_puts(&D->sb, "];\n");
}

/* Draws the blocks of l in order, joined by sequence edges; returns
 * cluster `c` entered at the first block and left at the last one
 * (first and last NULL when l is empty). */
static Drawn
put_blocks(Dot *D, const IrBlockList *l, int depth, int c)
{
	Drawn all = {c, NULL, NULL}, prev = {-1, NULL, NULL};
	for (int i = 0; i < l->len; i++) {
		Drawn d = put_block(D, l->data[i], depth);
		if (i == 0)
			all.first = d.first;
		else
			put_sequence_edge(D, prev, d, depth);
		all.last = d.last;
		prev = d;
	}
	return all;
}

char *
ir_dump_dot(Ctx *ctx, const IrModule *m)
{
	Dot D = {ctx, {0}, 0, 0};
	sb_init(&D.sb, ctx->arena);
	sb_puts(&D.sb, "digraph ");
	put_quoted(&D, m->name ? m->name : "module");
	sb_puts(&D.sb, " {\n  compound=true;\n"
		       "  node [fontname=\"Helvetica\", fontsize=10];\n"
		       "  edge [fontname=\"Helvetica\", fontsize=9];\n");
	for (int i = 0; i < m->programs.len; i++) {
		const IrProgram *p = m->programs.data[i];
		put_body(&D, arena_printf(ctx->arena, "program %s", nz(p->name)), "solid",
			 &p->body, 1);
	}
	sb_puts(&D.sb, "}\n");
	return (char *)sb_str(&D.sb);
}
