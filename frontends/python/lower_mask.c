/* frontends/python/lower_mask.c — boolean-mask selections.
 *
 * x[m] with a boolean mask m has a data-dependent number of elements. It
 * is first a lazy V_MASKED value (lower.h) holding the view with the
 * mask's dimensions as full slices (items[0]), the mask (items[1]) and the
 * first masked dimension (ival). What can consume one without knowing its
 * size is lowered here: elementwise operations with values that broadcast
 * over it (the result is selected by the same mask), assignment through it
 * (a[m] = v is a = np.where(m, v, a)) and reductions (the unselected
 * elements replaced by the reduction's identity; a mean divides by the
 * number of selected elements). Everything else (binding it to a name,
 * indexing it, other operands, other functions) uses lw_masked_keep's copy,
 * an array whose selected extent is a symbol assigned at run time from the
 * count of the mask, as NumPy's x[m] is a copy.
 */
#include <math.h>
#include <string.h>

#include "lower.h"

/* The selection by m's mask of `values` (over m's base shape). */
Value *
lw_masked_like(Lower *L, const Value *m, Value *values)
{
	Value *r = lw_value_new(L, V_MASKED, m->loc);
	*r = *m;
	r->items = arena_alloc(L->a, sizeof(Value *) * 2);
	r->items[0] = values;
	r->items[1] = m->items[1];
	r->dtype = values->dtype;
	return r;
}

/* Can v be combined with the selection sel elementwise? A selection by
 * the same mask at the same place, or a value that broadcasts over the
 * dimensions after the selected one (a scalar, a row v of X[m] - v), or
 * over all of them with extent 1 at the selected one when the mask is
 * 1-D (t[:, None] in X[:, m] + t[:, None]). */
static bool
masked_compatible(Lower *L, const Value *sel, const Value *v)
{
	if (v->kind == V_MASKED)
		return lw_same_mask(L->a, v->items[1], sel->items[1]) && v->ival == sel->ival &&
		       v->ndim == sel->ndim;
	int after = sel->ndim - (int)sel->ival - 1;
	if (!lw_is_numeric(v) || v->ndim > sel->ndim)
		return false;
	return v->ndim <= after ||
	       (sel->items[1]->ndim == 1 && lw_is_one(v->shape[v->ndim - after - 1]));
}

/* x op y where one is a selection x[m]: the other must be compatible
 * with it (masked_compatible); the result is selected by that mask. */
Value *
lw_masked_binary(Lower *L, IrOp op, Value *x, Value *y, SrcLoc loc, const char *opname)
{
	bool mx = x->kind == V_MASKED, my = y->kind == V_MASKED;
	if (mx && my && !masked_compatible(L, x, y))
		diag_fatal(L->ctx, loc, "'%s' of two boolean-mask selections with different masks: "
			   "their sizes are data-dependent and may differ", opname);
	if (!masked_compatible(L, mx ? x : y, mx ? y : x))   /* x[m] + v of another shape */
		return lw_binary(L, op, mx ? lw_masked_keep(L, x, loc) : x,
				 my ? lw_masked_keep(L, y, loc) : y, loc, opname);
	Value *r = lw_binary(L, op, mx ? x->items[0] : x, my ? y->items[0] : y, loc, opname);
	return lw_masked_like(L, mx ? x : y, r);
}

/* The mask of the selection sel over the shape of its values (items[0]):
 * its dimensions placed where it indexes. */
static Value *
mask_over_values(Lower *L, const Value *sel)
{
	Value *m = lw_to_expr(L, sel->items[1]), *x = sel->items[0];
	Sym **to = arena_alloc(L->a, sizeof(Sym *) * (size_t)(m->ndim + 1));
	for (int j = 0; j < m->ndim; j++)
		to[j] = lw_iter_sym(L, (int)sel->ival + j);
	Value *r = lw_remap_iters(L, m, m->ndim, to);
	r->ndim = x->ndim;
	r->shape = x->shape;
	return r;
}

/* a[m] = v: a = np.where(m, v, a) for a v compatible with the selection
 * (a scalar, a row of a[m] = row, a value computed from a selection by the
 * same mask: a[m] += 1, a[m] = b[m] * 2). */
void
lw_store_masked(Lower *L, Value *dst, Value *v, Wcr wcr, SrcLoc loc)
{
	Value *base = dst->items[0], *val = v;
	if (v->kind == V_MASKED && !masked_compatible(L, dst, v))
		diag_fatal(L->ctx, loc, "assigning a boolean-mask selection to one by another mask: "
			   "their sizes are data-dependent and may differ");
	if (v->kind == V_MASKED)
		val = v->items[0];
	else if (!masked_compatible(L, dst, v))
		diag_fatal(L->ctx, loc, "only a scalar, a value that broadcasts over the dimensions "
			   "after the mask's, or a value computed from a selection by the same mask "
			   "(a[m] = b[m] + 1) can be assigned to a boolean-mask selection: the number "
			   "of selected elements is data-dependent");
	Value *m = mask_over_values(L, dst);
	lw_store(L, base, lw_where(L, m, lw_cast(L, val, base->dtype), base, loc), wcr, loc);
}

/* ---- keeping a selection ---- */

/* Opens `if c:` for the 0-d bool value c and makes its body current. */
static void
open_if(Lower *L, Value *c, SrcLoc loc)
{
	IrExpr *e = lw_cond_expr(L, c);
	if (!e)
		e = ir_expr_in(L->a, DT_BOOL, lw_materialize(L, c, "cond")->data);
	IrBlock *blk = ir_block_new(L->ctx, CF_IF, lw_stable_name(L, 'i', loc), loc);
	blk->branch.n = 1;
	blk->branch.conds = arena_alloc(L->a, sizeof(IrExpr *));
	blk->branch.bodies = arena_alloc(L->a, sizeof(IrBlockList));
	blk->branch.conds[0] = e;
	lw_append(L, blk);
	L->blocks = &blk->branch.bodies[0];
}

/* The selection sel (x[m]) as a new array, as NumPy's x[m] is a copy: n =
 * np.count_nonzero(m) assigned to a symbol (CF_ASSIGN), an array of
 * sel's shape with n at the selected dimension, filled in C order by a
 * sequential loop nest over m's dimensions with a running position:
 *
 *   pos = 0
 *   for _s0 in range(M0): for _s1 in range(M1): ...
 *     if m[_s0, _s1, ...]:
 *       out[..., pos, ...] = x[..., _s0, _s1, ..., ...]; pos += 1
 *
 * x and m are materialised first when they are lazy values. */
Value *
lw_masked_keep(Lower *L, Value *sel, SrcLoc loc)
{
	Arena *a = L->a;
	Value *x = sel->items[0], *m = sel->items[1];
	int p = (int)sel->ival, mk = m->ndim;
	if (x->kind != V_ARRAY)
		x = lw_materialize(L, x, "selected");
	if (m->kind != V_ARRAY)
		m = lw_materialize(L, lw_cast(L, m, DT_BOOL), "mask");
	Value *cnt = lw_materialize(L, lw_reduce(L, WCR_SUM, lw_cast(L, m, DT_INT64), NULL, false,
						 loc), "count");
	Sym **shape = arena_alloc(a, sizeof(Sym *) * (size_t)(sel->ndim + 1));
	memcpy(shape, sel->shape, sizeof(Sym *) * (size_t)sel->ndim);
	shape[p] = lw_as_size(L, cnt, loc, "selection size");
	Value *out = lw_new_array(L, "selection", x->dtype, sel->ndim, shape, loc);
	Value *pos = lw_array_value(L, lw_new_transient(L, "pos", DT_INT64, 0, NULL, loc), loc);
	lw_store(L, pos, lw_const_int(L, 0, loc), WCR_NONE, loc);
	IrBlockList *saved = L->blocks;
	int nloops = L->loops.len, nrt = L->rtsyms.len;
	for (int d = 0; d < mk; d++) {
		Sym *k = lw_open_loop(L, "_s", m->shape[0], loc);
		m = lw_fix_dim(L, m, 0, k, loc);
		x = lw_fix_dim(L, x, p, k, loc);
	}
	open_if(L, m, loc);
	Sym *at = lw_as_size(L, pos, loc, "position");
	lw_store(L, lw_fix_dim(L, out, p, at, loc), x, WCR_NONE, loc);
	lw_store(L, pos, lw_const_int(L, 1, loc), WCR_SUM, loc);
	L->blocks = saved;
	L->loops.len = nloops;
	L->rtsyms.len = nrt;
	return out;
}

/* ---- reductions of boolean-mask selections ---- */

/* The identity of op on dtype t, as a 0-d value of dtype t. */
static Value *
masked_identity(Lower *L, Wcr op, DType t, SrcLoc loc)
{
	if (op == WCR_SUM || op == WCR_PROD)
		return lw_cast(L, lw_const_int(L, op == WCR_PROD, loc), t);
	if (dtype_is_float(t))
		return lw_cast(L, lw_const_float(L, op == WCR_MAX ? -INFINITY : INFINITY, loc), t);
	if (t == DT_BOOL)
		return lw_cast(L, lw_const_int(L, op == WCR_MIN, loc), t);
	int64_t lo, hi;
	dtype_int_range(t, &lo, &hi);
	if (t == DT_UINT64)
		hi = -1;   /* wraps to uint64's max */
	return lw_cast(L, lw_const_int(L, op == WCR_MAX ? lo : hi, loc), t);
}

/* The dimensions of the selection's values (items[0]) that an `axis`
 * argument reduces (red): all for None, the mask's for the selected
 * dimension. Other dimensions would leave a data-dependent shape. */
static void
masked_axes(Lower *L, const Value *x, PyExpr *axis, bool *red)
{
	int p = (int)x->ival, mk = x->items[1]->ndim, nv = x->items[0]->ndim;
	Value *v = axis ? lw_eval(L, axis) : NULL;
	for (int d = 0; d < nv; d++)
		red[d] = !v || v->kind == V_NONE;
	if (!v || v->kind == V_NONE)
		return;
	bool sel[MAX_DIMS + 1] = { false };
	int n = v->kind == V_TUPLE ? v->n : 1;
	for (int i = 0; i < n; i++) {
		Value *it = v->kind == V_TUPLE ? v->items[i] : v;
		int64_t k;
		if (!sym_is_const(lw_as_sym(L, it, axis->loc, "axis"), &k))
			diag_fatal(L->ctx, axis->loc, "axis must be an integer constant");
		if (k < -x->ndim || k >= x->ndim)
			diag_fatal(L->ctx, axis->loc, "axis %lld is out of bounds for an array of "
				   "dimension %d", (long long)k, x->ndim);
		sel[k < 0 ? k + x->ndim : k] = true;
	}
	if (!sel[p])
		diag_fatal(L->ctx, axis->loc, "reducing a boolean-mask selection along other axes "
			   "than the selected one (axis %d) leaves a data-dependent shape", p);
	for (int d = 0; d < nv; d++)
		red[d] = d < p ? sel[d] : d < p + mk ? true : sel[d - mk + 1];
}

Value *
lw_masked_reduce(Lower *L, Wcr op, bool mean, bool boolean, Value *x, PyExpr *axis,
		 bool keepdims, SrcLoc loc)
{
	bool red[MAX_DIMS + 1], all = true;
	if (x->items[0]->ndim > MAX_DIMS)
		lw_unsupported(L, loc, "arrays of more than 16 dimensions");
	masked_axes(L, x, axis, red);
	if (keepdims && x->items[1]->ndim > 1)
		lw_unsupported(L, loc, "keepdims=True on a selection by a mask of several dimensions");
	Value *v = x->items[0], *m = mask_over_values(L, x);
	for (int d = 0; d < v->ndim; d++)
		all = all && red[d];
	if (boolean)
		v = lw_cast(L, v, DT_BOOL);
	if (!mean)
		return lw_reduce_dims(L, op, lw_where(L, m, v, masked_identity(L, op, v->dtype, loc),
						      loc), red, keepdims, loc);
	DType t = dtype_is_float(v->dtype) || dtype_is_complex(v->dtype) ? v->dtype : DT_FLOAT64;
	Value *s = lw_reduce_dims(L, WCR_SUM, lw_where(L, m, lw_cast(L, v, t),
						       masked_identity(L, WCR_SUM, t, loc), loc),
				  red, keepdims, loc);
	/* the elements each result sums: those of the mask, or all selected */
	Value *n = lw_reduce(L, WCR_SUM, lw_cast(L, all ? m : x->items[1], DT_INT64), NULL,
			     false, loc);
	return lw_binary(L, OP_DIV, s, lw_cast(L, n, t), loc, "mean");
}
