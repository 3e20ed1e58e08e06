/* passes/scalar_uses.c — who writes and who reads a 0-d transient, and
 * the replacement of its reads by its value: what the transformations that
 * replace a scalar written once by the value it holds share
 * (constant-propagation, scalar-to-symbol).
 */
#include <string.h>

#include "passes.h"

bool
pass_is_access_of(const IrState *s, int node, const char *data)
{
	const IrNode *n = &s->nodes.data[node];
	return n->kind == IRN_ACCESS && strcmp(n->access.data, data) == 0;
}

void
pass_tasklet_drop_input(IrNode *t, const char *conn)
{
	int k = 0;
	for (int i = 0; i < t->tasklet.nin; i++)
		if (strcmp(t->tasklet.in[i].name, conn) != 0)
			t->tasklet.in[k++] = t->tasklet.in[i];
	t->tasklet.nin = k;
}

typedef struct Scan {
	Arena *a;
	const char *data;          /* the transient */
	const IrBlock *block;      /* the state writing it */
	const IrBlockList *list;   /* list->data[index] == block */
	int index;
	int writes;
	const char *other_writer;  /* a state writing it besides the site */
	const char *bad_reader;    /* a state reading it other than into tasklets */
	const char *early_reader;  /* a block reading it where the write may not have run */
} Scan;

bool
pass_read_reaches_tasklets(const IrState *s, int mi)
{
	const IrMemlet *m = &s->memlets.data[mi];
	const IrNode *d = &s->nodes.data[m->dst];
	if (!m->data || !m->dst_conn)
		return false;
	if (d->kind == IRN_TASKLET)
		return true;
	if (d->kind != IRN_MAP_ENTRY || strncmp(m->dst_conn, "IN_", 3) != 0)
		return false;
	for (int j = 0; j < s->memlets.len; j++) {
		const IrMemlet *o = &s->memlets.data[j];
		if (o->src == m->dst && o->src_conn && strncmp(o->src_conn, "OUT_", 4) == 0 &&
		    strcmp(o->src_conn + 4, m->dst_conn + 3) == 0 &&
		    !pass_read_reaches_tasklets(s, j))
			return false;
	}
	return true;
}

static void
scan_read(Scan *sc, const IrBlock *b, bool after)
{
	if (!after && !sc->early_reader)
		sc->early_reader = b->name;
}

static void
scan_state(Scan *sc, const IrBlock *b, bool after)
{
	const IrState *s = b->state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (pass_is_access_of(s, m->dst, sc->data)) {
			sc->writes++;
			if (b != sc->block && !sc->other_writer)
				sc->other_writer = b->name;
		}
		if (!pass_is_access_of(s, m->src, sc->data))
			continue;
		scan_read(sc, b, after);
		if (!pass_read_reaches_tasklets(s, i) && !sc->bad_reader)
			sc->bad_reader = b->name;
	}
}

static void scan_list(Scan *sc, const IrBlockList *l, bool after);

static void
scan_block(Scan *sc, const IrBlock *b, bool after)
{
	switch (b->kind) {
	case CF_STATE:
		scan_state(sc, b, after);
		break;
	case CF_FOR:
		scan_list(sc, &b->loop.body, after);
		break;
	case CF_WHILE:
		if (ir_expr_reads(b->wloop.cond, sc->data))
			scan_read(sc, b, after);
		scan_list(sc, &b->wloop.body, after);
		break;
	case CF_IF:
		for (int k = 0; k < b->branch.n; k++) {
			if (ir_expr_reads(b->branch.conds[k], sc->data))
				scan_read(sc, b, after);
			scan_list(sc, &b->branch.bodies[k], after);
		}
		scan_list(sc, &b->branch.orelse, after);
		break;
	case CF_ASSIGN:
		/* a symbol assigned from it at run time: left as it is */
		if (b->assign.data && strcmp(b->assign.data, sc->data) == 0 && !sc->bad_reader)
			sc->bad_reader = arena_printf(sc->a, "the assignment of symbol %s",
						      b->assign.sym);
		break;
	default:
		break;
	}
}

/* after: the blocks of l run only after the write has run. */
static void
scan_list(Scan *sc, const IrBlockList *l, bool after)
{
	for (int i = 0; i < l->len; i++)
		scan_block(sc, l->data[i], after || (l == sc->list && i > sc->index));
}

const char *
pass_sole_write_check(Ctx *ctx, const IrProgram *p, const char *data, const IrBlock *block,
		      const IrBlockList *list, int index)
{
	Scan sc = { .a = ctx->arena, .data = data, .block = block, .list = list, .index = index };
	scan_list(&sc, &p->body, false);
	if (sc.writes != 1)
		return arena_printf(ctx->arena, "%s is written more than once (also in %s)",
				    data, sc.other_writer ? sc.other_writer : block->name);
	if (sc.bad_reader)
		return arena_printf(ctx->arena, "%s is read in %s by something other than a "
				    "tasklet input", data, sc.bad_reader);
	if (sc.early_reader)
		return arena_printf(ctx->arena, "%s is read in %s, which may run before %s or "
				    "without it", data, sc.early_reader, block->name);
	return NULL;
}

/* ---- replacing the reads ---- */

/* e with every EX_IN `name` replaced by val; unchanged subtrees are shared. */
IrExpr *
pass_expr_subst(Arena *a, IrExpr *e, const char *name, IrExpr *val)
{
	if (e->kind == EX_IN)
		return strcmp(e->name, name) == 0 ? val : e;
	IrExpr **args = NULL;
	for (int i = 0; i < e->n; i++) {
		IrExpr *x = pass_expr_subst(a, e->args[i], name, val);
		if (x == e->args[i] && !args)
			continue;
		if (!args) {
			args = arena_alloc(a, sizeof(IrExpr *) * (size_t)e->n);
			memcpy(args, e->args, sizeof(IrExpr *) * (size_t)e->n);
		}
		args[i] = x;
	}
	if (!args)
		return e;
	IrExpr *c = arena_alloc(a, sizeof *c);
	*c = *e;
	c->args = args;
	return c;
}

/* Substitutes value along memlet mi (see pass_read_reaches_tasklets) and
 * marks the memlets it leaves dead. */
static void
replace_along(Ctx *ctx, IrState *s, int mi, IrExpr *value, bool *dead)
{
	const IrMemlet *m = &s->memlets.data[mi];
	IrNode *d = &s->nodes.data[m->dst];
	dead[mi] = true;
	if (d->kind == IRN_TASKLET) {
		for (int i = 0; i < d->tasklet.nin; i++) {
			if (strcmp(d->tasklet.in[i].name, m->dst_conn) != 0)
				continue;
			IrExpr *v = value;
			if (v->dtype != d->tasklet.in[i].dtype)
				v = ir_expr_cast(ctx->arena, d->tasklet.in[i].dtype, v);
			d->tasklet.expr = pass_expr_subst(ctx->arena, d->tasklet.expr, m->dst_conn, v);
			for (int k = 0; k < d->tasklet.nout_index; k++)
				d->tasklet.out_index[k] = pass_expr_subst(ctx->arena,
						d->tasklet.out_index[k], m->dst_conn, v);
		}
		pass_tasklet_drop_input(d, m->dst_conn);
		return;
	}
	for (int j = 0; j < s->memlets.len; j++) {
		const IrMemlet *o = &s->memlets.data[j];
		if (o->src == m->dst && o->src_conn && strncmp(o->src_conn, "OUT_", 4) == 0 &&
		    strcmp(o->src_conn + 4, m->dst_conn + 3) == 0)
			replace_along(ctx, s, j, value, dead);
	}
}

/* Replaces the reads of data in s and removes its access nodes (all of s
 * when s is the writing state). */
static void
replace_in_state(Ctx *ctx, IrState *s, const char *data, IrExpr *value, const IrState *writer)
{
	bool *dead = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(s->memlets.len + 1));
	bool *gone = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(s->nodes.len + 1));
	memset(dead, 0, sizeof(bool) * (size_t)(s->memlets.len + 1));
	bool whole = s == writer;
	for (int i = 0; i < s->memlets.len; i++)
		if (pass_is_access_of(s, s->memlets.data[i].src, data))
			replace_along(ctx, s, i, value, dead);
	for (int i = 0; i < s->nodes.len; i++)
		gone[i] = whole || pass_is_access_of(s, i, data);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!dead[i] && !whole && (gone[m->src] || gone[m->dst]))
			ICE("replacing the reads of %s left a use of it", data);
	}
	pass_state_remove(ctx, s, gone, dead);
}

void
pass_scalar_replace_reads(Ctx *ctx, IrBlockList *l, const char *data, IrExpr *value,
			  const IrState *writer)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		if (b->kind == CF_STATE)
			replace_in_state(ctx, b->state, data, value, writer);
		else if (b->kind == CF_FOR)
			pass_scalar_replace_reads(ctx, &b->loop.body, data, value, writer);
		else if (b->kind == CF_WHILE) {
			b->wloop.cond = pass_expr_subst(ctx->arena, b->wloop.cond, data, value);
			pass_scalar_replace_reads(ctx, &b->wloop.body, data, value, writer);
		} else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n; k++) {
				b->branch.conds[k] = pass_expr_subst(ctx->arena, b->branch.conds[k],
								     data, value);
				pass_scalar_replace_reads(ctx, &b->branch.bodies[k], data, value, writer);
			}
			pass_scalar_replace_reads(ctx, &b->branch.orelse, data, value, writer);
		}
	}
}
