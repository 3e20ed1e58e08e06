/* ir/elements.c — which elements of a container one access of a tasklet
 * touches, as far as dfc can state them: the element-level independence
 * that horizontal-map-fusion, outer-map-fusion and map-peeling use where
 * two maps (or two parts of one) touch one container (passes/elements.c),
 * and the OpenMP emitter where it streams a result whose other elements
 * the kernel reads (codegen/openmp/state.c, stream_ok).
 *
 * Each index of a tasklet memlet is an affine expression in the
 * parameters of the maps around the tasklet; over every value of those
 * parameters it takes the values of an arithmetic progression
 *
 *   lo, lo + stride, ... <= hi    (every value = lo modulo stride)
 *
 * (ir_range_last gives the last value of a parameter's range). Two
 * accesses touch different elements when, in one dimension, their
 * progressions share no value: different residues modulo the gcd of the
 * strides (2*j against 2*j + 1: a parity argument), or one ending before
 * the other begins (2*j, j < W, against 2*W - 1). Anything else (a
 * non-affine index, a range that depends on another parameter) is "may
 * overlap". ir_access_fixed says whether an access names the same
 * elements each time its state runs (no loop variable in it).
 */
#include <string.h>

#include "ir.h"

/* ir.h */
Sym *
ir_range_last(Arena *a, const SymRange *r)
{
	int64_t step;
	if (sym_is_const(r->step, &step) && step == 1)
		return sym_addc(a, r->end, -1);
	Sym *span = sym_sub(a, sym_addc(a, r->end, -1), r->begin);
	return sym_add(a, r->begin, sym_mul(a, sym_floordiv(a, span, r->step), r->step));
}

typedef struct Ap {
	Sym *lo, *hi;
	int64_t stride;         /* 0: lo alone */
} Ap;

typedef VEC(const SymRange *) Ranges;

static bool
name_in(const SymNames *v, const char *x)
{
	for (int i = 0; i < v->len; i++)
		if (strcmp(v->data[i], x) == 0)
			return true;
	return false;
}

/* gcd(|x|, |y|); 0 when both are 0. */
static int64_t
gcd64(int64_t x, int64_t y)
{
	return (int64_t)sym_gcd(x < 0 ? 0 - (uint64_t)x : (uint64_t)x,
				y < 0 ? 0 - (uint64_t)y : (uint64_t)y);
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
	Sym *last = ir_range_last(a, r);
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
scope_params(Arena *a, const IrState *s, int n, const IrView *v, SymNames *names,
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
dim_ap(Arena *a, const IrState *s, int t, SymRange r, const IrView *v, Ap *out)
{
	int64_t step;
	if (v && v->at) {
		r.begin = sym_subst(a, r.begin, v->param, v->at);
		r.end = sym_subst(a, r.end, v->param, v->at);
	}
	if (!sym_is_const(r.step, &step) || step < 1)
		return false;
	bool one = sym_equal(r.end, sym_addc(a, r.begin, 1));
	*out = (Ap){ r.begin, one ? r.begin : ir_range_last(a, &r), one ? 0 : step };
	SymNames names = { 0 };
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

/* ir.h */
bool
ir_accesses_disjoint(Arena *a, const IrState *sx, int tx, const Subset *x, const IrView *vx,
		     const IrState *sy, int ty, const Subset *y, const IrView *vy)
{
	if (x->ndim != y->ndim)
		return false;
	for (int d = 0; d < x->ndim; d++) {
		Ap p, q;
		if (dim_ap(a, sx, tx, x->r[d], vx, &p) && dim_ap(a, sy, ty, y->r[d], vy, &q) &&
		    ap_disjoint(a, &p, &q))
			return true;
	}
	return false;
}

/* ir.h */
bool
ir_access_fixed(Arena *a, const IrProgram *p, const IrState *s, int t, const Subset *sub)
{
	SymNames names = { 0 }, params = { 0 };
	for (int d = 0; d < sub->ndim; d++) {
		sym_vars(a, sub->r[d].begin, &names);
		sym_vars(a, sub->r[d].end, &names);
		sym_vars(a, sub->r[d].step, &names);
	}
	for (int e = ir_state_scope_of(s, t); e >= 0; e = ir_state_scope_of(s, e))
		for (int k = 0; k < s->nodes.data[e].map.nparams; k++)
			vec_push(a, &params, s->nodes.data[e].map.params[k]);
	for (int i = 0; i < names.len; i++)
		if (!ir_program_has_symbol(p, names.data[i]) && !name_in(&params, names.data[i]))
			return false;
	return true;
}
