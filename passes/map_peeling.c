/* passes/map_peeling.c — map-peeling: the last iteration of a map nested
 * in another comes out of it, as copies of the body's tasklets at that
 * iteration, beside it in the enclosing scope.
 *
 *   map P [i = 0:H] { map M [j = 0:W] { t: a[i, 2*j] = x[i, j] } }
 *   ==>
 *   map P [i = 0:H] { map M [j = 0:W - 1] { t } ;
 *                     t': a[i, 2*(W - 1)] = x[i, W - 1] }
 *
 * Sites: one map label. Legality (check):
 *   - M is nested in a map at the top of its state (the copies read
 *     through that map's entry and write through new connectors of its
 *     exit, each to a new access node), has one parameter, of step 1, and
 *     provably runs at least once (e - b - 1 >= 0 from the sizes being
 *     >= 0 or from an assumption of the program): else the copies would
 *     run where the map did not;
 *   - M's scope holds only tasklets, each fed by M's entry and feeding its
 *     exit, none with a data-dependent index, none naming the parameter in
 *     its expression (only memlets are rewritten), no WCR write;
 *   - for every container the tasklets write, the last iteration touches
 *     no element the others touch, and the reverse (pass_last_iteration_
 *     apart): the copies may then run before or after the map.
 * Apply: M's range ends at e - 1; each tasklet is copied, its memlets
 * copied with the parameter at e - 1 and joined to what feeds M's entry
 * and what M's exit feeds; the covers of M's memlets are recomputed.
 * Match: only a map whose peeling makes its range that of a one-parameter
 * sibling in the same scope ([b, e - 1)) with which horizontal-map-fusion
 * would then fuse it (pass_hfuse_check_but_ranges): the -O3 pipeline
 * peels to fuse, never for its own sake.
 */
#include <string.h>

#include "passes.h"

/* Can dfc prove x >= 0, from the sizes being >= 0 or an assumption? */
static bool
nonneg(const IrProgram *p, Sym *x)
{
	Arena *a = arena_new();
	bool ok = sym_le(sym_const(a, 0), x) == T_TRUE;
	for (int i = 0; !ok && i < p->assumes.len; i++)
		ok = sym_le(p->assumes.data[i].expr, x) == T_TRUE;
	arena_free(a);
	return ok;
}

/* The scope of m: tasklets only, each memlet joining m's entry to one or
 * one to m's exit, no tasklet naming the parameter or indirect. */
static const char *
plain_body(Ctx *ctx, const MapRef *m)
{
	const IrState *s = m->state;
	const IrNode *en = pass_map_entry(m);
	bool *in = ir_state_scope_members(ctx->arena, s, m->entry);
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (!in[i])
			continue;
		if (n->kind != IRN_TASKLET || ir_tasklet_is_indirect(n))
			return arena_printf(ctx->arena, "the scope of '%s' holds more than "
					    "tasklets at direct indices", en->label);
		if (ir_expr_uses_sym(n->tasklet.expr, en->map.params[0]))
			return arena_printf(ctx->arena, "a tasklet of '%s' uses its parameter "
					    "'%s' as a value", en->label, en->map.params[0]);
	}
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *e = &s->memlets.data[i];
		if ((in[e->src] || in[e->dst]) && e->src != m->entry && e->dst != en->map.exit)
			return arena_printf(ctx->arena, "the tasklets of '%s' feed one another",
					    en->label);
	}
	return NULL;
}

/* Every container written in m's scope: its last iteration apart. */
static const char *
last_apart(Ctx *ctx, const MapRef *m)
{
	const IrState *s = m->state;
	const IrNode *en = pass_map_entry(m);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *e = &s->memlets.data[i];
		if (e->dst != en->map.exit || !e->data)
			continue;
		if (!pass_last_iteration_apart(ctx, m, e->data))
			return arena_printf(ctx->arena, "the last iteration of '%s' may touch "
					    "elements of '%s' that its other iterations touch (or "
					    "accumulates into it)", en->label, e->data);
	}
	return NULL;
}

static const char *
peel_legal(Ctx *ctx, IrProgram *p, const MapRef *m)
{
	Arena *a = ctx->arena;
	const IrNode *en = pass_map_entry(m);
	int64_t step;
	if (ir_state_scope_of(m->state, m->entry) < 0)
		return arena_printf(a, "'%s' is not nested in a map: its peeled iteration would "
				    "need access nodes of its own", en->label);
	if (ir_state_scope_of(m->state, ir_state_scope_of(m->state, m->entry)) >= 0)
		return arena_printf(a, "the map around '%s' is itself nested: its exit's "
				    "connectors do not lead to access nodes", en->label);
	if (en->map.nparams != 1)
		return arena_printf(a, "'%s' has %d parameters; map-peeling peels a "
				    "one-parameter map", en->label, en->map.nparams);
	const SymRange *r = &en->map.ranges[0];
	if (!sym_is_const(r->step, &step) || step != 1)
		return arena_printf(a, "the step of '%s' is %s, not 1", en->label,
				    sym_print(a, r->step));
	if (!nonneg(p, sym_addc(a, sym_sub(a, r->end, r->begin), -1)))
		return arena_printf(a, "dfc cannot prove that '%s' [%s:%s] runs at least once: "
				    "the peeled iteration would run where the map does not",
				    en->label, sym_print(a, r->begin), sym_print(a, r->end));
	const char *why = plain_body(ctx, m);
	return why ? why : last_apart(ctx, m);
}

static const char *
peel_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	MapRef m;
	if (!pass_find_map(site->p, site->names[0], &m))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	return peel_legal(ctx, site->p, &m);
}

/* ---- apply ---- */

static Subset
subset_at(Arena *a, const Subset *x, const char *p, Sym *v)
{
	Subset o = { x->ndim, arena_alloc(a, sizeof(SymRange) * (size_t)(x->ndim + 1)) };
	for (int d = 0; d < x->ndim; d++)
		o.r[d] = (SymRange){ sym_subst(a, x->r[d].begin, p, v),
				     sym_subst(a, x->r[d].end, p, v),
				     sym_subst(a, x->r[d].step, p, v) };
	return o;
}

/* The memlet on the far side of m's entry (exit) for the connector of
 * the inner memlet e, or NULL (an empty memlet). */
static const IrMemlet *
outside(Ctx *ctx, const IrState *s, const MapRef *m, const IrMemlet *e, bool entry)
{
	int x = pass_map_entry(m)->map.exit;
	const char *c = entry ? pass_conn_suffix(e->src_conn, "OUT_") :
		pass_conn_suffix(e->dst_conn, "IN_");
	if (!c)
		return NULL;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *q = &s->memlets.data[i];
		if (entry && q->dst == m->entry && pass_streq(q->dst_conn,
							     arena_printf(ctx->arena, "IN_%s", c)))
			return q;
		if (!entry && q->src == x && pass_streq(q->src_conn,
							arena_printf(ctx->arena, "OUT_%s", c)))
			return q;
	}
	ICE("connector %s of map '%s' has no outer memlet", c, pass_map_entry(m)->label);
}

/* Joins the copy t2 of a tasklet writing through inner memlet e (whose
 * outer memlet is q, into the enclosing map's exit) to a connector pair
 * of its own on that exit, and that to a new access node of the data
 * (an exit connector takes one memlet). */
static void
write_out(Ctx *ctx, IrState *s, const IrMemlet *q, int t2, const IrMemlet *e, Subset sub)
{
	Arena *a = ctx->arena;
	int x = q->dst;
	const char *c = pass_conn_suffix(q->dst_conn, "IN_"), *y = c;
	for (int k = 2; pass_conn_taken(s, x, arena_printf(a, "IN_%s", y)) ||
			pass_conn_taken(s, x, arena_printf(a, "OUT_%s", y)); k++)
		y = arena_printf(a, "%s_%d", c, k);
	const IrMemlet *o = NULL;
	for (int i = 0; i < s->memlets.len && !o; i++)
		if (s->memlets.data[i].src == x &&
		    pass_streq(s->memlets.data[i].src_conn, arena_printf(a, "OUT_%s", c)))
			o = &s->memlets.data[i];
	if (!o)
		ICE("connector OUT_%s of a map exit feeds nothing", c);
	IrMemlet out = *o;
	int acc = ir_state_add_access(ctx, s, out.data, out.loc);
	ir_state_add_memlet(ctx, s, t2, e->src_conn, x, arena_printf(a, "IN_%s", y), e->data, sub,
			    e->wcr, e->loc);
	ir_state_add_memlet(ctx, s, x, arena_printf(a, "OUT_%s", y), acc, NULL, out.data,
			    out.subset, out.wcr, out.loc);
}

/* Copies memlet i (of tasklet t, whose copy is t2) at parameter p = v. */
static void
copy_memlet(Ctx *ctx, IrState *s, const MapRef *m, int i, int t2, const char *p, Sym *v)
{
	IrMemlet e = s->memlets.data[i];
	bool in = e.src == m->entry;
	const IrMemlet *q = outside(ctx, s, m, &e, in);
	Subset sub = subset_at(ctx->arena, &e.subset, p, v);
	int parent = ir_state_scope_of(s, m->entry);
	if (in && !q)
		ir_state_add_memlet(ctx, s, parent, NULL, t2, e.dst_conn, NULL, (Subset){ 0 },
				    WCR_NONE, e.loc);
	else if (in)
		ir_state_add_memlet(ctx, s, q->src, q->src_conn, t2, e.dst_conn, e.data, sub,
				    WCR_NONE, e.loc);
	else if (q)
		write_out(ctx, s, q, t2, &e, sub);
	else
		ICE("tasklet of '%s' writes through an empty memlet", pass_map_entry(m)->label);
}

static void
peel_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Arena *a = ctx->arena;
	MapRef m;
	if (!pass_find_map(site->p, site->names[0], &m) || peel_legal(ctx, site->p, &m))
		ICE("map-peeling applied where it does not apply");
	IrState *s = m.state;
	IrNode *en = pass_map_entry(&m);
	const char *p = en->map.params[0];
	Sym *last = sym_addc(a, en->map.ranges[0].end, -1);
	bool *in = ir_state_scope_members(a, s, m.entry);
	int nn = s->nodes.len, nm = s->memlets.len;
	for (int t = 0; t < nn; t++) {
		if (!in[t])
			continue;
		IrNode copy = s->nodes.data[t];
		copy.id = s->nodes.len;
		vec_push(a, &s->nodes, copy);
		for (int i = 0; i < nm; i++)
			if (s->memlets.data[i].src == t || s->memlets.data[i].dst == t)
				copy_memlet(ctx, s, &m, i, s->nodes.len - 1, p, last);
	}
	en = pass_map_entry(&m);
	SymRange *r = arena_alloc(a, sizeof(SymRange));
	*r = (SymRange){ en->map.ranges[0].begin, last, en->map.ranges[0].step };
	en->map.ranges = r;
	pass_map_cover_memlets(ctx, site->p, s, m.entry);
}

/* ---- match ---- */

/* Does sibling n run over [b, e - 1) where m runs over [b, e)? */
static bool
one_short(Arena *a, const IrNode *m, const IrNode *n)
{
	if (m->map.nparams != 1 || n->map.nparams != 1)
		return false;
	const SymRange *x = &m->map.ranges[0], *y = &n->map.ranges[0];
	return sym_equal(x->begin, y->begin) && sym_equal(x->step, y->step) &&
	       sym_equal(sym_addc(a, x->end, -1), y->end);
}

typedef struct PeelMatch {
	Ctx *ctx;
	IrProgram *p;
	XSiteList *out;
} PeelMatch;

static void
match_state(IrState *s, IrBlock *b, void *ud)
{
	PeelMatch *M = ud;
	Ctx *ctx = M->ctx;
	IrProgram *p = M->p;
	XSiteList *out = M->out;
	int *scope = ir_state_scopes(ctx->arena, s);
	for (int x = 0; x < s->nodes.len; x++) {
		const IrNode *m = &s->nodes.data[x];
		if (m->kind != IRN_MAP_ENTRY || !m->label || scope[x] < 0)
			continue;
		MapRef mx = { s, x, b };
		for (int y = 0; y < s->nodes.len; y++) {
			const IrNode *n = &s->nodes.data[y];
			MapRef my = { s, y, b };
			if (y == x || n->kind != IRN_MAP_ENTRY || scope[y] != scope[x] ||
			    !one_short(ctx->arena, m, n) || peel_legal(ctx, p, &mx) ||
			    pass_hfuse_check_but_ranges(ctx, p, &my, &mx))
				continue;
			XSite site = { .p = p, .n = 1, .names = { m->label } };
			vec_push(ctx->arena, out, site);
			break;
		}
	}
}

static void
peel_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	PeelMatch M = { ctx, p, out };
	pass_foreach_state(p, match_state, &M);
}

const Xform xform_map_peeling = {
	.name = "map-peeling",
	.desc = "takes the last iteration of a nested one-parameter map out of it, beside it",
	.nsites = 1,
	.params = NULL,
	.match = peel_match,
	.check = peel_check,
	.apply = peel_apply,
};
