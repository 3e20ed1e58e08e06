/* frontends/python/lower_index.c — subscripts.
 *
 * x[...] with slices, integers, None and '...' is a view (V_ARRAY): one
 * DimMap per container dimension, composed with the base view's. Slice
 * bounds and negative indices are wrapped and clamped as NumPy does:
 * statically when provable (lower_sym.c), else with min/max and modulo in
 * the Sym engine, or as preconditions of the call. Data-dependent items
 * (integers computed at run time, integer arrays) make a lazy gather that
 * remembers where it reads (Value.ind), so that it can be assigned to; a
 * boolean mask makes a V_MASKED selection (lower_mask.c).
 */
#include <string.h>

#include "lower.h"

/* ---- subscripts ---- */

/* One index of a subscript: a fixed position or a slice of a view dim. */
typedef struct Idx {
	bool is_slice;
	Sym *start, *len, *step;   /* fixed: start only */
} Idx;

/* An integer index into a dimension of extent n, wrapped as NumPy wraps
 * negative indices: constants statically, indices that may be negative at
 * run time (i - 1 for a loop variable i) with a modulo, which is exact for
 * every valid index in [-n, n), unless i >= 0 is a natural precondition. */
static Sym *
wrap_index(Lower *L, Sym *i, Sym *n, SrcLoc loc)
{
	int64_t c;
	if (sym_is_const(i, &c))
		return c < 0 ? sym_add(L->a, n, i) : i;
	if (lw_provable_le(L, sym_const(L->a, 0), i))
		return i;
	if (lw_provable_le(L, i, sym_const(L->a, -1)))
		return sym_add(L->a, n, i);
	if (lw_assume_natural(L, i, loc))
		return i;
	return sym_mod(L->a, i, n);
}

/* A slice bound as NumPy reads it: negative bounds count from the end.
 * Bounds that may be negative at run time are first clamped to [-n, n],
 * then shifted by n when negative: x - n * (x // (n + 1)). */
static Sym *
wrap_bound(Lower *L, Sym *x, Sym *n, SrcLoc loc)
{
	Arena *a = L->a;
	int64_t c;
	if (sym_is_const(x, &c))
		return c < 0 ? sym_add(a, n, x) : x;
	if (lw_provable_le(L, sym_const(a, 0), x))
		return x;
	if (lw_provable_le(L, x, sym_const(a, -1)))
		return sym_add(a, n, x);
	if (lw_assume_natural(L, x, loc))
		return x;
	/* x[:-k] for a size k >= 0 means "all but the last k", which needs
	 * k >= 1 (x[:-0] is empty): assumed like the sizes above. */
	if (lw_provable_le(L, x, sym_const(a, 0)) && lw_assume_natural(L, sym_addc(a, sym_neg(a, x), -1), loc))
		return sym_add(a, n, x);
	x = sym_max(a, sym_min(a, x, n), sym_neg(a, n));
	return sym_sub(a, x, sym_mul(a, n, sym_floordiv(a, x, sym_addc(a, n, 1))));
}

/* x, known to be >= lo: proven; assumed when it involves only size symbols
 * (a precondition of the call, checked by the callers); else max(x, lo),
 * as NumPy clamps slice bounds. */
static Sym *
at_least(Lower *L, Sym *x, Sym *lo, SrcLoc loc)
{
	if (lw_provable_le(L, lo, x))
		return x;
	Sym *d = sym_sub(L->a, x, lo);
	if (!lw_provable_le(L, x, sym_addc(L->a, lo, -1)) && lw_assume_natural(L, d, loc))
		return x;
	return sym_max(L->a, x, lo);
}

static Sym *
at_most(Lower *L, Sym *x, Sym *hi, SrcLoc loc)
{
	if (lw_provable_le(L, x, hi))
		return x;
	Sym *d = sym_sub(L->a, hi, x);
	if (!lw_provable_le(L, sym_addc(L->a, hi, 1), x) && lw_assume_natural(L, d, loc))
		return x;
	return sym_min(L->a, x, hi);
}

/* Slice bounds into [lo, hi]. */
static Sym *
clamp(Lower *L, Sym *x, Sym *lo, Sym *hi, SrcLoc loc)
{
	return at_most(L, at_least(L, x, lo, loc), hi, loc);
}

static Sym *
slice_bound(Lower *L, PyExpr *e, Sym *n, const char *what)
{
	Value *v = lw_eval(L, e);
	if (v->kind == V_NONE)
		return NULL;
	Sym *x = lw_as_sym(L, v, e->loc, what);
	return n ? wrap_bound(L, x, n, e->loc) : x;
}

/* The step of a slice, NULL when it is None. A symbolic step must be
 * positive: provably (a loop variable from 1 up), or by a precondition
 * of the call when it is over integer parameters (x[::R]: the wrapper
 * raises ValueError for R == 0, as NumPy does). Integers computed at run
 * time are refused: their sign decides the slice's direction. */
static Sym *
symbolic_step(Lower *L, PyExpr *e)
{
	Value *v = lw_eval(L, e);
	if (v->kind == V_NONE)
		return NULL;
	if (lw_is_runtime_int(v))
		lw_unsupported(L, e->loc, "a slice step computed at run time (its sign decides "
			       "the slice's direction; a loop variable or an integer parameter "
			       "can be a step)");
	Sym *s = lw_as_sym(L, v, e->loc, "slice step");
	int64_t c;
	if (sym_is_const(s, &c) || lw_provable_le(L, sym_const(L->a, 1), s))
		return s;
	if (!lw_non_program_var(L, s) && !lw_provable_le(L, s, sym_const(L->a, 0)) &&
	    lw_assume_natural(L, sym_addc(L->a, s, -1), e->loc))
		return s;
	lw_unsupported(L, e->loc, arena_printf(L->a, "a symbolic slice step that may be zero "
			   "or negative (%s; symbolic steps must be known to be positive)",
			   sym_print(L->a, s)));
}

static Idx
slice_index(Lower *L, PyExpr *e, Sym *n)
{
	Arena *a = L->a;
	Idx ix = { true, NULL, NULL, NULL };
	int64_t st = 1;
	Sym *sst = e->step ? symbolic_step(L, e->step) : NULL;
	if (sst && sym_is_const(sst, &st) && st == 0)
		diag_fatal(L->ctx, e->step->loc, "slice step cannot be zero");
	Sym *lo = e->lo ? slice_bound(L, e->lo, n, "slice start") : NULL;
	Sym *hi = e->hi ? slice_bound(L, e->hi, n, "slice stop") : NULL;
	ix.step = sst ? sst : sym_const(a, 1);
	if (st > 0) {
		lo = lo ? clamp(L, lo, sym_const(a, 0), n, e->loc) : sym_const(a, 0);
		hi = hi ? clamp(L, hi, sym_const(a, 0), n, e->loc) : n;
		hi = at_least(L, hi, lo, e->loc);
		Sym *span = sym_add(a, sym_sub(a, hi, lo), sym_addc(a, ix.step, -1));
		ix.len = sym_floordiv(a, span, ix.step);
	} else {
		lo = lo ? clamp(L, lo, sym_const(a, -1), sym_addc(a, n, -1), e->loc) : sym_addc(a, n, -1);
		hi = hi ? clamp(L, hi, sym_const(a, -1), sym_addc(a, n, -1), e->loc) : sym_const(a, -1);
		hi = at_most(L, hi, lo, e->loc);
		Sym *span = sym_addc(a, sym_sub(a, lo, hi), -st - 1);
		ix.len = sym_floordiv(a, span, sym_const(a, -st));
	}
	ix.start = lo;
	return ix;
}

/* Is e np.newaxis? */
static bool
is_newaxis(Lower *L, PyExpr *e)
{
	if (e->kind != PE_ATTR || strcmp(e->id, "newaxis") != 0 || e->lhs->kind != PE_NAME)
		return false;
	Binding *b = lw_lookup(L, e->lhs->id);
	return b && b->val && b->val->kind == V_MODULE;
}

/* ---- data-dependent indices ---- */

/* How one item of a subscript indexes: a slice, a new axis, '...', an
 * integer known at compile time, an integer computed at run time (a 0-d
 * array element or variable), an integer array, a boolean mask. */
typedef enum IxKind {
	IX_SLICE, IX_NEW, IX_ELLIPSIS, IX_STATIC, IX_SCALAR, IX_ARRAY, IX_MASK,
} IxKind;

static const char index_types[] = "only integers, slices (`:`), ellipsis (`...`), "
	"numpy.newaxis (`None`) and integer or boolean arrays are valid indices";

/* Evaluates item `it` once (*out, NULL for slices, None and '...'). */
static IxKind
index_kind(Lower *L, PyExpr *it, Value **out)
{
	*out = NULL;
	if (it->kind == PE_SLICE)
		return IX_SLICE;
	if (it->kind == PE_ELLIPSIS)
		return IX_ELLIPSIS;
	if (it->kind == PE_NONE || is_newaxis(L, it))
		return IX_NEW;
	Value *v = *out = lw_eval(L, it);
	if (v->kind == V_MASKED)
		v = *out = lw_masked_keep(L, v, v->loc);
	if (v->kind == V_CONST && !dtype_is_int(v->dtype) && v->dtype != DT_BOOL)
		diag_fatal(L->ctx, it->loc, "%s (this index is %s)", index_types, dtype_name(v->dtype));
	if (v->kind != V_ARRAY && v->kind != V_EXPR)
		return IX_STATIC;
	if (v->ndim > 0 && v->dtype == DT_BOOL)
		return IX_MASK;
	if (!dtype_is_int(v->dtype) && v->ndim > 0)
		diag_fatal(L->ctx, it->loc, "arrays used as indices must be of integer (or boolean) "
			   "type, not %s", dtype_name(v->dtype));
	if (!dtype_is_int(v->dtype))
		diag_fatal(L->ctx, it->loc, "%s (this index is %s)", index_types, dtype_name(v->dtype));
	return v->ndim > 0 ? IX_ARRAY : IX_SCALAR;
}

/* The view base[e] with the mask's item (item mi, of rank mk) replaced by
 * mk full slices. */
static Value *
unmasked_view(Lower *L, Value *base, PyExpr *e, int mi, int mk)
{
	PyExpr *sub = arena_alloc(L->a, sizeof(*sub));
	*sub = *e;
	memset(&sub->items, 0, sizeof sub->items);
	for (int i = 0; i < e->items.len; i++) {
		if (i != mi) {
			vec_push(L->a, &sub->items, e->items.data[i]);
			continue;
		}
		for (int d = 0; d < mk; d++) {
			PyExpr *full = arena_alloc(L->a, sizeof(*full));
			*full = (PyExpr){ .kind = PE_SLICE, .loc = e->items.data[i]->loc, .height = 1 };
			vec_push(L->a, &sub->items, full);
		}
	}
	return lw_subscript(L, base, sub);
}

/* x[..., m, ...] for a boolean mask m among slices, integers and '...':
 * a V_MASKED selection (see Value) of the view with m's dimensions as
 * full slices, m covering the dimensions its item takes. */
static Value *
mask_select(Lower *L, Value *base, PyExpr *e, const IxKind *kinds, Value **vals)
{
	int ni = e->items.len, mi = -1, nreal = 0, p = 0;
	for (int i = 0; i < ni; i++) {
		SrcLoc at = e->items.data[i]->loc;
		if (kinds[i] == IX_MASK && mi >= 0)
			lw_unsupported(L, at, "two boolean masks in one index");
		if (kinds[i] != IX_MASK && kinds[i] != IX_SLICE && kinds[i] != IX_STATIC &&
		    kinds[i] != IX_ELLIPSIS)
			lw_unsupported(L, at, "a boolean mask together with integer arrays, integers "
				       "computed at run time or new axes");
		mi = kinds[i] == IX_MASK ? i : mi;
		nreal += kinds[i] == IX_MASK ? vals[i]->ndim : kinds[i] != IX_ELLIPSIS;
	}
	Value *m = vals[mi];
	for (int i = 0; i < mi; i++)
		p += kinds[i] == IX_SLICE ? 1 : kinds[i] == IX_ELLIPSIS ? base->ndim - nreal : 0;
	Value *x = unmasked_view(L, base, e, mi, m->ndim);
	for (int d = 0; d < m->ndim; d++)
		if (!sym_equal(m->shape[d], x->shape[p + d]))
			diag_fatal(L->ctx, e->items.data[mi]->loc, "the boolean mask of shape %s does not "
				   "match the indexed array along dimension %d: the array's extent is "
				   "%s, the mask's %s", lw_shape_str(L, m->ndim, m->shape), p + d,
				   sym_print(L->a, x->shape[p + d]), sym_print(L->a, m->shape[d]));
	Value *r = lw_value_new(L, V_MASKED, e->loc);
	r->dtype = x->dtype;
	r->ival = p;
	r->ndim = x->ndim - m->ndim + 1;
	r->shape = arena_alloc(L->a, sizeof(Sym *) * (size_t)(r->ndim + 1));
	r->shape[p] = sym_const(L->a, 1);
	for (int d = 0; d < x->ndim; d++) {
		if (d >= p && d < p + m->ndim)
			r->shape[p] = sym_mul(L->a, r->shape[p], x->shape[d]);
		else
			r->shape[d < p ? d : d - m->ndim + 1] = x->shape[d];
	}
	r->n = 2;
	r->items = arena_alloc(L->a, sizeof(Value *) * 2);
	r->items[0] = x;
	r->items[1] = m;
	return r;
}

/* A lazy int64 value with expression x and the reads of v. */
static Value *
index_value(Lower *L, const Value *v, IrExpr *x)
{
	Value *r = lw_value_new(L, V_EXPR, v->loc);
	*r = *v;
	r->ind = NULL;
	r->expr = x;
	r->dtype = x->dtype;
	return r;
}

/* The data-dependent index v into a dimension of extent n, as a lazy
 * int64 value over the result shape (nb dims of the broadcast index shape
 * bshape placed from result dimension pos): NumPy's negative indices wrap
 * once (-1 is the last element). */
static Value *
dyn_index(Lower *L, Value *v, Sym *n, int nb, Sym **bshape, int pos, SrcLoc loc)
{
	Arena *a = L->a;
	Value *e = lw_broadcast_to(L, lw_to_expr(L, v), nb, bshape, loc);
	if (pos > 0 && nb > 0) {
		Sym **to = arena_alloc(a, sizeof(Sym *) * (size_t)nb);
		for (int k = 0; k < nb; k++)
			to[k] = lw_iter_sym(L, pos + k);
		e = lw_remap_iters(L, e, nb, to);
	}
	IrExpr *x = e->expr->dtype == DT_INT64 ? e->expr : ir_expr_cast(a, DT_INT64, e->expr);
	if (!dtype_is_unsigned(v->dtype)) {
		IrExpr *neg = ir_expr_op2(a, OP_LT, x, ir_expr_const_int(a, DT_INT64, 0));
		IrExpr *args[3] = { neg, ir_expr_op2(a, OP_ADD, x, lw_expr_from_sym(L, n)), x };
		x = ir_expr_op(a, OP_WHERE, 3, args);
	}
	return index_value(L, e, x);
}

/* One entry per dimension of the base view: its item (or a full slice). */
typedef struct Entry {
	IxKind kind;
	PyExpr *it;          /* NULL: a full slice */
	Value *v;
	int rpos;            /* IX_SLICE: its dimension in the result */
	Idx ix;
} Entry;

/* Spreads the items over the base view's dimensions ('...' and the end
 * fill with full slices). */
static Entry *
spread_items(Lower *L, Value *base, PyExpr *e, const IxKind *kinds, Value **vals)
{
	int ni = e->items.len, nreal = 0, d = 0;
	for (int i = 0; i < ni; i++) {
		if (kinds[i] == IX_NEW)
			lw_unsupported(L, e->items.data[i]->loc, "a new axis (None) together with "
				       "data-dependent indices");
		nreal += kinds[i] != IX_ELLIPSIS;
	}
	if (nreal > base->ndim)
		diag_fatal(L->ctx, e->loc, "too many indices: the array has %d dimension%s but %d "
			   "were given", base->ndim, base->ndim == 1 ? "" : "s", nreal);
	Entry *en = arena_alloc(L->a, sizeof(Entry) * (size_t)(base->ndim + 1));
	for (int i = 0; i <= ni; i++) {
		int fill = i == ni ? base->ndim - d : kinds[i] == IX_ELLIPSIS ? base->ndim - nreal : 0;
		for (int f = 0; f < fill; f++)
			en[d++] = (Entry){ IX_SLICE, NULL, NULL, 0, { 0 } };
		if (i < ni && kinds[i] != IX_ELLIPSIS)
			en[d++] = (Entry){ kinds[i], e->items.data[i], vals[i], 0, { 0 } };
	}
	return en;
}

/* The broadcast shape of the integer-array indices (NumPy's rule). */
static int
index_shape(Lower *L, const Entry *en, int nd, SrcLoc loc, Sym ***shape)
{
	int nb = 0;
	Sym **bs = NULL;
	for (int d = 0; d < nd; d++) {
		if (en[d].kind != IX_ARRAY)
			continue;
		if (!lw_broadcast2(L, nb, bs, en[d].v->ndim, en[d].v->shape, &nb, &bs))
			diag_fatal(L->ctx, loc, "shape mismatch: indexing arrays could not be "
				   "broadcast together with shapes %s and %s", lw_shape_str(L, nb, bs),
				   lw_shape_str(L, en[d].v->ndim, en[d].v->shape));
	}
	*shape = bs;
	return nb;
}

/* Where the broadcast index dimensions go in the result: in place of
 * the advanced indices when those are adjacent, else first (NumPy). With
 * integer arrays, integers count as advanced indices too. */
static int
advanced_pos(const Entry *en, int nd, bool arrays)
{
	int first = -1, last = -1, slices_before = 0;
	for (int d = 0; d < nd; d++) {
		bool adv = en[d].kind == IX_ARRAY || en[d].kind == IX_SCALAR ||
			   (arrays && en[d].kind == IX_STATIC);
		if (adv && first < 0)
			first = d;
		if (adv)
			last = d;
	}
	for (int d = first; d >= 0 && d <= last; d++)
		if (en[d].kind == IX_SLICE)
			return 0;
	for (int d = 0; d < first; d++)
		slices_before += en[d].kind == IX_SLICE;
	return slices_before;
}

/* The result shape: the slices' extents around the nb index dimensions
 * placed at pos; sets each slice's result dimension. */
static int
result_shape(Lower *L, Value *base, Entry *en, int nb, Sym **bs, int pos, Sym ***shape)
{
	int nd = base->ndim, r = 0;
	Sym **sh = arena_alloc(L->a, sizeof(Sym *) * (size_t)(nd + nb + 1));
	int ns = 0;
	bool placed = false;
	for (int d = 0; d <= nd; d++) {
		for (int k = 0; !placed && ns == pos && k < nb; k++)
			sh[r++] = bs[k];
		placed = placed || ns == pos;
		if (d == nd)
			break;
		if (en[d].kind != IX_SLICE)
			continue;
		PyExpr full = { .kind = PE_SLICE, .loc = base->loc };
		en[d].ix = slice_index(L, en[d].it ? en[d].it : &full, base->shape[d]);
		en[d].rpos = r;
		sh[r++] = en[d].ix.len;
		ns++;
	}
	*shape = sh;
	return r;
}

/* Container dim c of the base view reached by entry d: a static index
 * (*idx) or a data-dependent one (returned). */
static Value *
container_index(Lower *L, Value *base, int c, Entry *en, int nb, Sym **bs, int pos, Sym **idx)
{
	Arena *a = L->a;
	DimMap m = base->map[c];
	if (m.vdim < 0) {
		*idx = m.start;
		return NULL;
	}
	Entry *x = &en[m.vdim];
	Sym *n = base->shape[m.vdim];
	SrcLoc loc = x->it ? x->it->loc : base->loc;
	if (x->kind == IX_SLICE) {
		Sym *i = sym_add(a, x->ix.start, sym_mul(a, x->ix.step, lw_iter_sym(L, x->rpos)));
		*idx = sym_add(a, m.start, sym_mul(a, m.step, i));
		return NULL;
	}
	if (x->kind == IX_STATIC) {
		Sym *k = wrap_index(L, lw_as_sym(L, x->v, loc, "index"), n, loc);
		*idx = sym_add(a, m.start, sym_mul(a, m.step, k));
		return NULL;
	}
	*idx = sym_const(a, 0);
	Value *v = dyn_index(L, x->v, n, x->kind == IX_ARRAY ? nb : 0, bs, pos, loc);
	int64_t st, sp;
	if (sym_is_const(m.start, &st) && st == 0 && sym_is_const(m.step, &sp) && sp == 1)
		return v;
	IrExpr *e = ir_expr_op2(a, OP_ADD, lw_expr_from_sym(L, m.start),
				ir_expr_op2(a, OP_MUL, lw_expr_from_sym(L, m.step), v->expr));
	return index_value(L, v, e);
}

/* A read of the elements of `ind` through one EX_LOAD: the value of
 * x[...] with data-dependent indices, over (ndim, shape). */
Value *
lw_gather_value(Lower *L, Indirect *ind, DType t, int ndim, Sym **shape, SrcLoc loc)
{
	Arena *a = L->a;
	Read *r = arena_alloc(a, sizeof(*r));
	r->conn = arena_printf(a, "_r%p", (void *)r);
	r->data = ind->data;
	r->ndim = ind->cdim;
	r->idx = ind->idx;
	r->range = arena_alloc(a, sizeof(bool) * (size_t)(ind->cdim + 1));
	IrExpr **args = arena_alloc(a, sizeof(IrExpr *) * (size_t)(ind->cdim + 1));
	Value *v = lw_value_new(L, V_EXPR, loc);
	v->dtype = t;
	v->ndim = ndim;
	v->shape = shape;
	v->ind = ind;
	v->nreads = 1;
	for (int c = 0; c < ind->cdim; c++)
		v->nreads += ind->dyn[c] ? ind->dyn[c]->nreads : 0;
	v->reads = arena_alloc(a, sizeof(Read) * (size_t)(v->nreads + 1));
	v->reads[0] = *r;
	int k = 1;
	for (int c = 0; c < ind->cdim; c++) {
		r->range[c] = ind->dyn[c] != NULL;
		args[c] = ind->dyn[c] ? ind->dyn[c]->expr : ir_expr_const_int(a, DT_INT64, 0);
		for (int j = 0; ind->dyn[c] && j < ind->dyn[c]->nreads; j++)
			v->reads[k++] = ind->dyn[c]->reads[j];
	}
	v->reads[0].range = r->range;
	v->expr = ir_expr_load(a, t, r->conn, ind->cdim, args);
	return v;
}

/* base[items] where some item is an integer computed at run time, an
 * integer array or a boolean mask (NumPy's advanced indexing): a lazy
 * gather that remembers where it reads (Value.ind), so that it can be
 * assigned to; masks make a V_MASKED selection. */
static Value *
indirect_subscript(Lower *L, Value *base, PyExpr *e, const IxKind *kinds, Value **vals)
{
	for (int i = 0; i < e->items.len; i++)
		if (kinds[i] == IX_MASK)
			return mask_select(L, base, e, kinds, vals);
	int nd = base->ndim;
	Entry *en = spread_items(L, base, e, kinds, vals);
	bool arrays = false;
	for (int d = 0; d < nd; d++)
		arrays = arrays || en[d].kind == IX_ARRAY;
	Sym **bs, **shape;
	int nb = index_shape(L, en, nd, e->loc, &bs);
	int pos = advanced_pos(en, nd, arrays);
	int ndim = result_shape(L, base, en, nb, bs, pos, &shape);
	Indirect *ind = arena_alloc(L->a, sizeof(*ind));
	ind->data = base->data;
	ind->cdim = base->cdim;
	ind->idx = arena_alloc(L->a, sizeof(Sym *) * (size_t)(base->cdim + 1));
	ind->dyn = arena_alloc(L->a, sizeof(Value *) * (size_t)(base->cdim + 1));
	for (int c = 0; c < base->cdim; c++)
		ind->dyn[c] = container_index(L, base, c, en, nb, bs, pos, &ind->idx[c]);
	return lw_gather_value(L, ind, base->dtype, ndim, shape, e->loc);
}

/* base[e...] for a view `base`: slices make a view, integers fix a dim,
 * None / np.newaxis add a dimension of extent 1, '...' fills in slices. */
Value *
lw_subscript(Lower *L, Value *base, PyExpr *e)
{
	if (base->kind == V_TUPLE) {
		if (e->items.len != 1)
			diag_fatal(L->ctx, e->loc, "a tuple takes one index");
		Value *iv = lw_eval(L, e->items.data[0]);
		int64_t k;
		if (!sym_is_const(lw_as_sym(L, iv, iv->loc, "index"), &k) || k < -base->n || k >= base->n)
			diag_fatal(L->ctx, iv->loc, "tuple index out of range (the tuple has %d items)", base->n);
		return base->items[k < 0 ? k + base->n : k];
	}
	if (base->kind == V_MASKED)   /* x[m][i]: NumPy indexes the copy x[m] */
		base = lw_masked_keep(L, base, base->loc);
	/* (a + b)[:, None]: the value of an expression, in a temporary as in
	 * NumPy */
	if (base->kind == V_EXPR && base->ndim > 0)
		base = lw_materialize(L, base, "tmp");
	if (base->kind != V_ARRAY)
		diag_fatal(L->ctx, e->loc, "only arrays can be indexed here");
	IxKind *kinds = arena_alloc(L->a, sizeof(IxKind) * (size_t)(e->items.len + 1));
	Value **vals = arena_alloc(L->a, sizeof(Value *) * (size_t)(e->items.len + 1));
	bool indirect = false;
	for (int i = 0; i < e->items.len; i++) {
		kinds[i] = index_kind(L, e->items.data[i], &vals[i]);
		indirect = indirect || kinds[i] >= IX_SCALAR;
	}
	if (indirect)
		return indirect_subscript(L, base, e, kinds, vals);
	/* Each subscript item becomes an entry: a slice or an index of the
	 * next base dimension, or a new axis (None); '...' stands for as many
	 * full slices as the other items leave. */
	int ni = e->items.len, nreal = 0, nell = 0;
	for (int i = 0; i < ni; i++) {
		PyExprKind k = e->items.data[i]->kind;
		nreal += k != PE_NONE && k != PE_ELLIPSIS && !is_newaxis(L, e->items.data[i]);
		nell += k == PE_ELLIPSIS;
	}
	if (nell > 1)
		diag_fatal(L->ctx, e->loc, "an index can only have a single ellipsis ('...')");
	if (nreal > base->ndim)
		diag_fatal(L->ctx, e->loc, "too many indices: the array has %d dimension%s but %d "
			   "were given", base->ndim, base->ndim == 1 ? "" : "s", nreal);
	int cap = ni + base->ndim + 1, nent = 0, d = 0;
	Idx *ix = arena_alloc(L->a, sizeof(Idx) * (size_t)cap);
	int *of = arena_alloc(L->a, sizeof(int) * (size_t)cap);   /* base dim, or -1: new axis */
	PyExpr full = { .kind = PE_SLICE, .loc = e->loc };
	for (int i = 0; i <= ni; i++) {
		PyExpr *it = i < ni ? e->items.data[i] : NULL;
		int fill = !it ? base->ndim - d : it->kind == PE_ELLIPSIS ? base->ndim - nreal : 0;
		for (int f = 0; f < fill; f++, d++, nent++) {
			of[nent] = d;
			ix[nent] = slice_index(L, &full, base->shape[d]);
		}
		if (!it || it->kind == PE_ELLIPSIS)
			continue;
		if (it->kind == PE_NONE || is_newaxis(L, it)) {
			of[nent] = -1;
			ix[nent++] = (Idx){ true, sym_const(L->a, 0), sym_const(L->a, 1), sym_const(L->a, 1) };
			continue;
		}
		of[nent] = d;
		if (it->kind == PE_SLICE) {
			ix[nent++] = slice_index(L, it, base->shape[d++]);
			continue;
		}
		Value *iv = vals[i];
		ix[nent++] = (Idx){ false, wrap_index(L, lw_as_sym(L, iv, it->loc, "index"),
						      base->shape[d], it->loc), NULL, NULL };
		d++;
	}
	/* Compose with the base view. */
	Value *v = lw_value_new(L, V_ARRAY, e->loc);
	*v = *base;
	v->loc = e->loc;
	v->fresh = false;
	v->map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(base->cdim + 1));
	int *newdim = arena_alloc(L->a, sizeof(int) * (size_t)(base->ndim + 1));
	int *entry = arena_alloc(L->a, sizeof(int) * (size_t)(base->ndim + 1));
	v->ndim = 0;
	v->shape = arena_alloc(L->a, sizeof(Sym *) * (size_t)cap);
	for (int n = 0; n < nent; n++) {
		if (of[n] >= 0) {
			newdim[of[n]] = ix[n].is_slice ? v->ndim : -1;
			entry[of[n]] = n;
		}
		if (ix[n].is_slice)
			v->shape[v->ndim++] = ix[n].len;
	}
	for (int c = 0; c < base->cdim; c++) {
		DimMap m = base->map[c];
		if (m.vdim < 0) {
			v->map[c] = m;
			continue;
		}
		Idx x = ix[entry[m.vdim]];
		Sym *start = sym_add(L->a, m.start, sym_mul(L->a, m.step, x.start));
		v->map[c] = x.is_slice ? (DimMap){ newdim[m.vdim], start, sym_mul(L->a, m.step, x.step) }
				       : (DimMap){ -1, start, m.step };
	}
	return v;
}

/* A view as a memlet subset (no transposes); false if it is not one. */
bool
lw_view_subset(Lower *L, const Value *v, Subset *out)
{
	out->ndim = v->cdim;
	out->r = arena_alloc(L->a, sizeof(SymRange) * (size_t)(v->cdim + 1));
	int last = -1, mapped = 0;
	for (int c = 0; c < v->cdim; c++)
		mapped += v->map[c].vdim >= 0;
	if (mapped != v->ndim)
		return false;   /* new axes */
	for (int c = 0; c < v->cdim; c++) {
		DimMap m = v->map[c];
		if (m.vdim < 0) {
			out->r[c] = (SymRange){ m.start, sym_addc(L->a, m.start, 1), sym_const(L->a, 1) };
			continue;
		}
		int64_t st;
		if (m.vdim < last || !sym_is_const(m.step, &st) || st <= 0)
			return false;
		last = m.vdim;
		Sym *n = v->shape[m.vdim];
		Sym *end = sym_addc(L->a, sym_add(L->a, m.start, sym_mul(L->a, m.step, sym_addc(L->a, n, -1))), 1);
		out->r[c] = (SymRange){ m.start, end, m.step };
	}
	return true;
}
