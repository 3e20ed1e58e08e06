/* passes/elements.c — which elements of a container the tasklets of a map
 * touch: the element-level independence that horizontal-map-fusion,
 * outer-map-fusion and map-peeling use where two maps (or two parts of
 * one) touch one container. Each pair of accesses, one a write, must be
 * disjoint by ir_accesses_disjoint (ir/elements.c: per dimension, the
 * arithmetic progressions of the indices share no value). Anything else
 * (a library node, a WCR write, an access node inside the scope, an index
 * ir/elements.c cannot state) is "may overlap": the callers refuse.
 */
#include "passes.h"

/* One access of a container by a tasklet of a map's scope. */
typedef struct Elem {
	const IrState *s;
	int tasklet;
	const Subset *sub;
	bool write;
} Elem;

typedef VEC(Elem) Elems;

/* The accesses of container c in the scope of map m, each by a tasklet,
 * appended to *out; false when the scope touches c otherwise (an access
 * node of c, a library node, a copy) or writes it with a WCR. */
static bool
map_elems(Arena *a, const MapRef *m, const char *c, Elems *out)
{
	const IrState *s = m->state;
	bool *in = ir_state_scope_members(a, s, m->entry);
	for (int i = 0; i < s->nodes.len; i++)
		if (in[i] && pass_is_access_of(s, i, c))
			return false;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *e = &s->memlets.data[i];
		if (!pass_streq(e->data, c) || (!in[e->src] && !in[e->dst]))
			continue;
		IrNodeKind ks = s->nodes.data[e->src].kind, kd = s->nodes.data[e->dst].kind;
		if (ks == IRN_TASKLET && e->wcr == WCR_NONE)
			vec_push(a, out, ((Elem){ s, e->src, &e->subset, true }));
		else if (kd == IRN_TASKLET)
			vec_push(a, out, ((Elem){ s, e->dst, &e->subset, false }));
		else if (!(ks == IRN_MAP_ENTRY && kd == IRN_MAP_ENTRY) &&
			 !(ks == IRN_MAP_EXIT && kd == IRN_MAP_EXIT))
			return false;
	}
	return true;
}

/* Do accesses x (seen through vx) and y (through vy) touch different
 * elements? */
static bool
elems_disjoint(Arena *a, const Elem *x, const IrView *vx, const Elem *y, const IrView *vy)
{
	return ir_accesses_disjoint(a, x->s, x->tasklet, x->sub, vx, y->s, y->tasklet, y->sub, vy);
}

/* Every pair of accesses of ex and ey, one a write, disjoint? */
static bool
all_disjoint(Arena *a, const Elems *ex, const IrView *vx, const Elems *ey, const IrView *vy)
{
	for (int i = 0; i < ex->len; i++)
		for (int j = 0; j < ey->len; j++)
			if ((ex->data[i].write || ey->data[j].write) &&
			    !elems_disjoint(a, &ex->data[i], vx, &ey->data[j], vy))
				return false;
	return true;
}

/* passes.h */
bool
pass_elements_disjoint(Ctx *ctx, const MapRef *x, const MapRef *y, const char *c)
{
	Elems ex = { 0 }, ey = { 0 };
	return map_elems(ctx->arena, x, c, &ex) && map_elems(ctx->arena, y, c, &ey) &&
	       all_disjoint(ctx->arena, &ex, NULL, &ey, NULL);
}

/* passes.h */
bool
pass_last_iteration_apart(Ctx *ctx, const MapRef *m, const char *c)
{
	Arena *a = ctx->arena;
	const IrNode *en = pass_map_entry(m);
	const SymRange *r = &en->map.ranges[0];
	int64_t step;
	if (en->map.nparams != 1 || !sym_is_const(r->step, &step) || step != 1)
		return false;
	SymRange rest = { r->begin, sym_addc(a, r->end, -1), r->step };
	IrView last = { m->entry, en->map.params[0], sym_addc(a, r->end, -1), NULL };
	IrView others = { m->entry, en->map.params[0], NULL, &rest };
	Elems e = { 0 };
	return map_elems(a, m, c, &e) && all_disjoint(a, &e, &last, &e, &others);
}
