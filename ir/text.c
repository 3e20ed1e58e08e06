/* ir/text.c — the compact, indented text form of the IR (docs/ir.md).
 *
 * Made for reading and for golden tests, not for loading back (YAML is
 * the complete form). One line per program header, container, block and
 * node; control flow and map scopes nest by two-space indentation. Inside
 * a state, nodes print in topological order (ties by id), each node of a
 * map scope under its entry, the exit back at the entry's level; every
 * memlet prints on its own line under its source node:
 *
 *     %1 map map_L8 [i = 1:N - 1, j = 1:N - 1] cpu_parallel
 *       OUT_A -> %3.a: A[i, j + 1]
 *       %3 tasklet (a: float64) -> o: float64 = mul(in:a, float64:2)
 *         o -> %2.IN_B: B[i, j]
 *     %2 map_exit %1
 *
 * Locations are not printed. The printer tolerates IR that fails
 * ir_verify (dangling ids, cycles): such states print flat, by id.
 */
#include "ir.h"

#include <string.h>

typedef struct Text {
	Ctx *ctx;
	StrBuf sb;
} Text;

/* Per-state printing context. */
typedef struct StateText {
	Text *T;
	const IrState *s;
	int *order;        /* node ids in print order */
	int *scope;        /* innermost map entry of each node, or -1 */
	bool *done;        /* node already printed */
} StateText;

static const char *
nz(const char *s)
{
	return s ? s : "-";
}

static void
indent(Text *T, int depth)
{
	for (int i = 0; i < depth; i++)
		sb_puts(&T->sb, "  ");
}

static const char *
sym_text(Text *T, const Sym *s)
{
	return s ? sym_print(T->ctx->arena, s) : "?";
}

static void
put_sym_list(Text *T, int n, Sym *const *v)
{
	sb_putc(&T->sb, '[');
	for (int i = 0; i < n; i++)
		sb_printf(&T->sb, "%s%s", i ? ", " : "", sym_text(T, v ? v[i] : NULL));
	sb_putc(&T->sb, ']');
}

static bool
row_major(Text *T, const IrContainer *c)
{
	if (c->ndim == 0)
		return true;
	if (!c->strides || !c->shape)
		return false;
	Sym **rm = ir_strides_row_major(T->ctx->arena, c->ndim, c->shape);
	for (int i = 0; i < c->ndim; i++)
		if (!c->strides[i] || !rm[i] || !sym_equal(c->strides[i], rm[i]))
			return false;
	return true;
}

/* "float64[N, M]", then " strides [..]" when not row-major, the
 * storage when not host and the lifetime when not call. */
static void
put_type(Text *T, const IrContainer *c)
{
	sb_puts(&T->sb, dtype_name(c->dtype));
	if (c->ndim > 0)
		put_sym_list(T, c->ndim, c->shape);
	if (!row_major(T, c)) {
		sb_puts(&T->sb, " strides ");
		put_sym_list(T, c->ndim, c->strides);
	}
	if (c->storage != STORAGE_HOST)
		sb_printf(&T->sb, " %s", ir_storage_name(c->storage));
	if (c->lifetime != LIFETIME_CALL)
		sb_printf(&T->sb, " %s", ir_lifetime_name(c->lifetime));
}

static const char *
range_text(Text *T, SymRange r)
{
	int64_t st;
	Arena *a = T->ctx->arena;
	if (r.step && sym_is_const(r.step, &st) && st == 1)
		return arena_printf(a, "%s:%s", sym_text(T, r.begin), sym_text(T, r.end));
	return arena_printf(a, "%s:%s:%s", sym_text(T, r.begin), sym_text(T, r.end),
			    sym_text(T, r.step));
}

static const char *
expr_text(Text *T, const IrExpr *e)
{
	return e ? ir_expr_print(T->ctx->arena, e) : "?";
}

/* ---- states ---- */

static void
put_memlet(Text *T, const IrMemlet *m, int depth)
{
	indent(T, depth);
	if (m->src_conn)
		sb_printf(&T->sb, "%s ", m->src_conn);
	sb_printf(&T->sb, "-> %%%d", m->dst);
	if (m->dst_conn)
		sb_printf(&T->sb, ".%s", m->dst_conn);
	if (m->data)
		sb_printf(&T->sb, ": %s%s", m->data, subset_print(T->ctx->arena, &m->subset));
	else
		sb_puts(&T->sb, " (empty)");
	if (m->wcr != WCR_NONE)
		sb_printf(&T->sb, " (%s)", ir_wcr_name(m->wcr));
	sb_putc(&T->sb, '\n');
}

static void
put_tasklet(Text *T, const IrNode *n)
{
	sb_puts(&T->sb, "tasklet (");
	for (int i = 0; i < n->tasklet.nin; i++)
		sb_printf(&T->sb, "%s%s: %s", i ? ", " : "", nz(n->tasklet.in[i].name),
			  dtype_name(n->tasklet.in[i].dtype));
	sb_printf(&T->sb, ") -> %s", nz(n->tasklet.out.name));
	for (int i = 0; i < n->tasklet.nout_index && n->tasklet.out_index; i++)
		sb_printf(&T->sb, "%s%s", i ? ", " : "[", expr_text(T, n->tasklet.out_index[i]));
	sb_printf(&T->sb, "%s: %s = %s", n->tasklet.nout_index > 0 ? "]" : "",
		  dtype_name(n->tasklet.out.dtype), expr_text(T, n->tasklet.expr));
}

static void
put_map_entry(Text *T, const IrNode *n)
{
	sb_puts(&T->sb, "map ");
	if (n->label)
		sb_printf(&T->sb, "%s ", n->label);
	sb_putc(&T->sb, '[');
	for (int i = 0; i < n->map.nparams; i++)
		sb_printf(&T->sb, "%s%s = %s", i ? ", " : "", nz(n->map.params[i]),
			  range_text(T, n->map.ranges[i]));
	sb_printf(&T->sb, "] %s", ir_schedule_name(n->map.schedule));
	if (n->map.simd == 1)
		sb_puts(&T->sb, " simd");
	else if (n->map.simd > 1)
		sb_printf(&T->sb, " simd(%d)", n->map.simd);
	if (n->map.unroll > 1)
		sb_printf(&T->sb, " unroll(%d)", n->map.unroll);
}

/* The node line, then its outgoing memlets one level deeper. */
static void
put_node_line(StateText *S, int id, int depth)
{
	Text *T = S->T;
	const IrNode *n = &S->s->nodes.data[id];
	indent(T, depth);
	sb_printf(&T->sb, "%%%d ", id);
	switch (n->kind) {
	case IRN_ACCESS:
		sb_printf(&T->sb, "access %s", nz(n->access.data));
		break;
	case IRN_TASKLET:
		put_tasklet(T, n);
		break;
	case IRN_MAP_ENTRY:
		put_map_entry(T, n);
		break;
	case IRN_MAP_EXIT:
		sb_printf(&T->sb, "map_exit %%%d", n->mapexit.entry);
		break;
	case IRN_LIBRARY:
		sb_printf(&T->sb, "library %s", ir_libop_name(n->lib.op));
		if (n->lib.impl)
			sb_printf(&T->sb, " (%s)", n->lib.impl);
		if (n->lib.trans[0] || n->lib.trans[1])
			sb_printf(&T->sb, " transpose%s%s", n->lib.trans[0] ? " _a" : "",
				  n->lib.trans[1] ? " _b" : "");
		if (n->lib.op == LIB_SCAN || n->lib.axis || n->lib.combine != WCR_NONE)
			sb_printf(&T->sb, " %s axis %d", ir_wcr_name(n->lib.combine), n->lib.axis);
		break;
	default:
		sb_printf(&T->sb, "<bad node kind %d>", (int)n->kind);
	}
	if (n->label && n->kind != IRN_MAP_ENTRY)
		sb_printf(&T->sb, " label=%s", n->label);
	sb_putc(&T->sb, '\n');
	for (int i = 0; i < S->s->memlets.len; i++)
		if (S->s->memlets.data[i].src == id)
			put_memlet(T, &S->s->memlets.data[i], depth + 1);
}

/* Is node x the exit that map entry `entry` names, and it names back? */
static bool
paired_exit(const IrState *s, int x)
{
	const IrNode *n = &s->nodes.data[x];
	if (n->kind != IRN_MAP_EXIT)
		return false;
	int e = n->mapexit.entry;
	return e >= 0 && e < s->nodes.len && s->nodes.data[e].kind == IRN_MAP_ENTRY &&
	       s->nodes.data[e].map.exit == x;
}

static void put_scope(StateText *S, int entry, int depth);

static void
put_node(StateText *S, int id, int depth)
{
	const IrNode *n = &S->s->nodes.data[id];
	S->done[id] = true;
	put_node_line(S, id, depth);
	if (n->kind != IRN_MAP_ENTRY)
		return;
	put_scope(S, id, depth + 1);
	int x = n->map.exit;
	if (x >= 0 && x < S->s->nodes.len && !S->done[x] && paired_exit(S->s, x)) {
		S->done[x] = true;
		put_node_line(S, x, depth);
	}
}

/* Prints the nodes directly in the scope of `entry` (-1: top level);
 * paired exits print with their entries. */
static void
put_scope(StateText *S, int entry, int depth)
{
	for (int i = 0; i < S->s->nodes.len; i++) {
		int u = S->order[i];
		if (S->done[u] || S->scope[u] != entry || paired_exit(S->s, u))
			continue;
		put_node(S, u, depth);
	}
}

static void
put_state(Text *T, const IrState *s, int depth)
{
	Arena *a = T->ctx->arena;
	int n = s->nodes.len;
	StateText S = {T, s, NULL, NULL, arena_alloc(a, sizeof(bool) * (size_t)(n + 1))};
	indent(T, depth);
	sb_printf(&T->sb, "state %s:\n", nz(s->name));
	if (ir_state_is_acyclic(s)) {
		S.order = ir_state_topo_order(a, s);
		S.scope = ir_state_scopes(a, s);
		put_scope(&S, -1, depth + 1);
	} else {
		S.order = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
		S.scope = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
		for (int i = 0; i < n; i++) {
			S.order[i] = i;
			S.scope[i] = -1;
		}
	}
	for (int i = 0; i < n; i++)
		if (!S.done[S.order[i]])
			put_node(&S, S.order[i], depth + 1);
	if (n == 0 && s->memlets.len == 0) {
		indent(T, depth + 1);
		sb_puts(&T->sb, "pass\n");
	}
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->src < 0 || m->src >= n) {
			indent(T, depth + 1);
			sb_printf(&T->sb, "%%%d (missing node)\n", m->src);
			put_memlet(T, m, depth + 2);
		}
	}
}

/* ---- control flow ---- */

static void put_blocks(Text *T, const IrBlockList *l, int depth);

static void
put_head(Text *T, int depth, const char *kw, const char *name)
{
	indent(T, depth);
	sb_puts(&T->sb, kw);
	if (name)
		sb_printf(&T->sb, " %s", name);
}

static void
put_if(Text *T, const IrBlock *b, int depth)
{
	for (int i = 0; i < b->branch.n; i++) {
		put_head(T, depth, i ? "elif" : "if", i ? NULL : b->name);
		sb_printf(&T->sb, " %s:\n", expr_text(T, b->branch.conds[i]));
		put_blocks(T, &b->branch.bodies[i], depth + 1);
	}
	if (b->branch.n == 0) {
		put_head(T, depth, "if", b->name);
		sb_puts(&T->sb, " (no branches)\n");
	}
	if (b->branch.orelse.len > 0) {
		indent(T, depth);
		sb_puts(&T->sb, "else:\n");
		put_blocks(T, &b->branch.orelse, depth + 1);
	}
}

static void
put_block(Text *T, const IrBlock *b, int depth)
{
	switch (b->kind) {
	case CF_STATE:
		if (b->state)
			put_state(T, b->state, depth);
		break;
	case CF_FOR:
		put_head(T, depth, "for", b->name);
		sb_printf(&T->sb, " %s in range(%s, %s, %s)%s:\n", nz(b->loop.var),
			  sym_text(T, b->loop.start), sym_text(T, b->loop.stop),
			  sym_text(T, b->loop.step), !b->loop.parallel ? "" :
			  b->loop.even ? " parallel even" : " parallel");
		put_blocks(T, &b->loop.body, depth + 1);
		break;
	case CF_WHILE:
		put_head(T, depth, "while", b->name);
		sb_printf(&T->sb, " %s:\n", expr_text(T, b->wloop.cond));
		put_blocks(T, &b->wloop.body, depth + 1);
		break;
	case CF_IF:
		put_if(T, b, depth);
		break;
	case CF_BREAK:
	case CF_CONTINUE:
	case CF_RETURN:
		indent(T, depth);
		sb_printf(&T->sb, "%s\n", b->kind == CF_BREAK ? "break"
					 : b->kind == CF_CONTINUE ? "continue" : "return");
		break;
	case CF_ASSIGN:
		indent(T, depth);
		sb_printf(&T->sb, "assign %s = %s\n", nz(b->assign.sym),
			  ir_assign_value_text(T->ctx->arena, b));
		break;
	default:
		indent(T, depth);
		sb_printf(&T->sb, "<bad block kind %d>\n", (int)b->kind);
	}
}

static void
put_blocks(Text *T, const IrBlockList *l, int depth)
{
	if (l->len == 0) {
		indent(T, depth);
		sb_puts(&T->sb, "pass\n");
	}
	for (int i = 0; i < l->len; i++)
		put_block(T, l->data[i], depth);
}

/* ---- programs ---- */

static bool
is_arg(const IrProgram *p, const char *name)
{
	for (int i = 0; i < p->args.len; i++)
		if (p->args.data[i].kind == ARG_DATA && name && p->args.data[i].name &&
		    strcmp(p->args.data[i].name, name) == 0)
			return true;
	return false;
}

static void
put_signature(Text *T, const IrProgram *p)
{
	sb_printf(&T->sb, "program %s(", nz(p->name));
	for (int i = 0; i < p->args.len; i++) {
		const IrArg *g = &p->args.data[i];
		sb_printf(&T->sb, "%s%s: ", i ? ", " : "", nz(g->name));
		const IrContainer *c = g->name ? ir_program_find_container(p, g->name) : NULL;
		if (g->kind == ARG_SYMBOL)
			sb_puts(&T->sb, "symbol");
		else if (c)
			put_type(T, c);
		else
			sb_puts(&T->sb, "?");
	}
	sb_putc(&T->sb, ')');
	if (p->returns.len == 1)
		sb_printf(&T->sb, " -> %s", nz(p->returns.data[0]));
	for (int i = 0; p->returns.len > 1 && i < p->returns.len; i++)
		sb_printf(&T->sb, "%s%s", i ? ", " : " -> (", nz(p->returns.data[i]));
	sb_puts(&T->sb, p->returns.len > 1 ? ")\n" : "\n");
}

static void
put_program(Text *T, const IrProgram *p)
{
	put_signature(T, p);
	if (p->symbols.len > 0) {
		sb_puts(&T->sb, "  symbols ");
		for (int i = 0; i < p->symbols.len; i++)
			sb_printf(&T->sb, "%s%s", i ? ", " : "", nz(p->symbols.data[i]));
		sb_putc(&T->sb, '\n');
	}
	for (int i = 0; i < p->assumes.len; i++)
		sb_printf(&T->sb, "  assume %s >= 0\n", p->assumes.data[i].expr
			  ? sym_print(T->ctx->arena, p->assumes.data[i].expr) : "?");
	for (int i = 0; i < p->containers.len; i++) {
		const IrContainer *c = &p->containers.data[i];
		if (c->role == ROLE_ARGUMENT && is_arg(p, c->name))
			continue;
		sb_printf(&T->sb, "  %s %s: ", ir_role_name(c->role), nz(c->name));
		put_type(T, c);
		sb_putc(&T->sb, '\n');
	}
	put_blocks(T, &p->body, 1);
	for (int i = 0; i < p->history.len; i++) {
		const IrHistory *h = &p->history.data[i];
		sb_printf(&T->sb, "  applied %s at %s", nz(h->transformation), nz(h->site));
		if (h->params && *h->params)
			sb_printf(&T->sb, " %s", h->params);
		sb_putc(&T->sb, '\n');
	}
}

char *
ir_dump_text(Ctx *ctx, const IrModule *m)
{
	Text T = {ctx, {0}};
	sb_init(&T.sb, ctx->arena);
	sb_printf(&T.sb, "module %s", nz(m->name));
	if (m->source && *m->source)
		sb_printf(&T.sb, " from %s", m->source);
	sb_putc(&T.sb, '\n');
	for (int i = 0; i < m->programs.len; i++) {
		sb_putc(&T.sb, '\n');
		put_program(&T, m->programs.data[i]);
	}
	return (char *)sb_str(&T.sb);
}
