/* passes/scalar_uses.c — who writes and who reads a 0-d transient: the
 * analysis shared by the transformations that replace a scalar written
 * once by the value it holds (constant-propagation, scalar-to-symbol).
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
	Scan sc = { .data = data, .block = block, .list = list, .index = index };
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
