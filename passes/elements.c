/* passes/elements.c — which elements of a container the tasklets of a map
 * touch, as far as dfc can state them: the element-level independence
 * that horizontal-map-fusion, outer-map-fusion and map-peeling use where
 * two maps (or two parts of one) touch one container.
 *
 * Each index of each tasklet memlet is an affine expression in the
 * parameters of the maps around the tasklet; over every value of those
 * parameters it takes the values of an arithmetic progression
 *
 *   lo, lo + stride, ... <= hi    (every value = lo modulo stride)
 *
 * (pass_range_last gives the last value of a parameter's range). Two
 * accesses touch different elements when, in one dimension, their
 * progressions share no value: different residues modulo the gcd of the
 * strides (2*j against 2*j + 1: a parity argument), or one ending before
 * the other begins (2*j, j < W, against 2*W - 1). Anything else (a
 * non-affine index, a range that depends on another parameter, a
 * library node, a WCR write, an access node inside the scope) is
 * "may overlap": the callers refuse.
 */
#include "passes.h"

typedef struct Ap {
	Sym *lo, *hi;
	int64_t stride;         /* 0: lo alone */
} Ap;

typedef VEC(const char *) Names;
typedef VEC(const SymRange *) Ranges;

static bool
name_in(const Names *v, const char *x)
{
	for (int i = 0; i < v->len; i++)
		if (pass_streq(v->data[i], x))
			return true;
	return false;
}

static int64_t
gcd64(int64_t x, int64_t y)
{
	x = x < 0 ? -x : x;
	y = y < 0 ? -y : y;
	while (y) {
		int64_t t = x % y;
		x = y;
		y = t;
	}
	return x;
}

/* Widens *ap over parameter p running over r; false when the index is
 * not affine in p (or lo and hi move differently) or r's step is not a
 * positive constant. */
static bool
ap_over(Arena *a, Ap *ap, const char *p, const SymRange *r)
{
	int64_t cl, ch, step;
	if (!sym_coef_of(ap->lo, p, &cl) || !sym_coef_of(ap->hi, p, &ch) || cl != ch)
		return false;
	if (cl == 0)
		return true;
	if (!sym_is_const(r->step, &step) || step < 1)
		return false;
	Sym *last = pass_range_last(a, r);
	ap->lo = sym_subst(a, ap->lo, p, cl > 0 ? r->begin : last);
	ap->hi = sym_subst(a, ap->hi, p, cl > 0 ? last : r->begin);
	ap->stride = gcd64(ap->stride, cl * step);
	return true;
}

/* The parameters of the maps around node n of s, innermost first (a
 * shadowed outer name left out), the range of v's map replaced by
 * v->rest when v is set; false when a range mentions one of those
 * parameters (a triangular nest: the residue argument would not hold). */
static bool
scope_params(Arena *a, const IrState *s, int n, const PassView *v, Names *names,
	     Ranges *ranges)
{
	for (int e = ir_state_scope_of(s, n); e >= 0; e = ir_state_scope_of(s, e)) {
		const IrNode *m = &s->nodes.data[e];
		for (int k = 0; k < m->map.nparams; k++)
			if (!name_in(names, m->map.params[k])) {
				vec_push(a, names, m->map.params[k]);
				vec_push(a, ranges, v && v->entry == e ? v->rest : &m->map.ranges[k]);
			}
	}
	for (int i = 0; i < ranges->len; i++)
		for (int j = 0; j < names->len; j++)
			if (sym_depends_on(ranges->data[i]->begin, names->data[j]) ||
			    sym_depends_on(ranges->data[i]->end, names->data[j]))
				return false;
	return true;
}

/* The values of dimension r of a subset that tasklet t of s accesses
 * (with v->param at v->at when v->at is set); false when they are not a
 * progression dfc can state. */
static bool
dim_ap(Arena *a, const IrState *s, int t, SymRange r, const PassView *v, Ap *out)
{
	int64_t step;
	if (v && v->at) {
		r.begin = sym_subst(a, r.begin, v->param, v->at);
		r.end = sym_subst(a, r.end, v->param, v->at);
	}
	if (!sym_is_const(r.step, &step) || step < 1)
		return false;
	bool one = sym_equal(r.end, sym_addc(a, r.begin, 1));
	*out = (Ap){ r.begin, one ? r.begin : pass_range_last(a, &r), one ? 0 : step };
	Names names = { 0 };
	Ranges ranges = { 0 };
	if (!scope_params(a, s, t, v && !v->at ? v : NULL, &names, &ranges))
		return false;
	for (int i = 0; i < names.len; i++)
		if (!ap_over(a, out, names.data[i], ranges.data[i]))
			return false;
	for (int i = 0; i < names.len; i++)
		if (sym_depends_on(out->lo, names.data[i]) || sym_depends_on(out->hi, names.data[i]))
			return false;
	return true;
}

/* Do x and y share no value? */
static bool
ap_disjoint(Arena *a, const Ap *x, const Ap *y)
{
	int64_t d, g = gcd64(x->stride, y->stride);
	if (sym_is_const(sym_sub(a, x->lo, y->lo), &d) && (g == 0 ? d != 0 : d % g != 0))
		return true;
	return sym_lt(x->hi, y->lo) == T_TRUE || sym_lt(y->hi, x->lo) == T_TRUE;
}

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
 * elements: one dimension whose values do not meet? */
static bool
elems_disjoint(Arena *a, const Elem *x, const PassView *vx, const Elem *y, const PassView *vy)
{
	if (x->sub->ndim != y->sub->ndim)
		return false;
	for (int d = 0; d < x->sub->ndim; d++) {
		Ap p, q;
		if (dim_ap(a, x->s, x->tasklet, x->sub->r[d], vx, &p) &&
		    dim_ap(a, y->s, y->tasklet, y->sub->r[d], vy, &q) && ap_disjoint(a, &p, &q))
			return true;
	}
	return false;
}

/* Every pair of accesses of ex and ey, one a write, disjoint? */
static bool
all_disjoint(Arena *a, const Elems *ex, const PassView *vx, const Elems *ey, const PassView *vy)
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
	PassView last = { m->entry, en->map.params[0], sym_addc(a, r->end, -1), NULL };
	PassView others = { m->entry, en->map.params[0], NULL, &rest };
	Elems e = { 0 };
	return map_elems(a, m, c, &e) && all_disjoint(a, &e, &last, &e, &others);
}
