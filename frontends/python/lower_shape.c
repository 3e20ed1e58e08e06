/* frontends/python/lower_shape.c — NumPy shape functions, argmin/argmax
 * and ufunc methods.
 *
 * Views whose elements map one to one onto the source's dimensions stay
 * views (V_ARRAY): expand_dims, squeeze, broadcast_to (read-only) and
 * reshapes that only add or remove dimensions of extent 1. Other reshapes
 * (np.reshape, .ravel) are lazy reads of the source through floordiv/mod
 * index arithmetic on the Sym engine, so reading `A.reshape(N * M)` costs
 * no copy. NumPy returns such reshapes as views of the source:
 * lower_view.c refuses the uses where dfc's copy would differ from them
 * and writes through reshapes subscripted by an assignment's target.
 *
 * Creation (eye, identity, triu/tril) builds lazy values over the
 * iteration symbols _i<d>; concatenate and stack write each part into a
 * slice of a fresh array; argmin/argmax are two reductions along the
 * axis (the extreme, then the least index holding it); ufunc.accumulate
 * is a sequential loop over the axis whose steps are parallel maps over
 * the other dimensions, as np.cumsum is.
 */
#include <string.h>

#include "lower.h"

/* ---- arguments ---- */

/* Positional argument i, or keyword kw; NULL when absent. */
static PyExpr *
arg_expr(PyExpr *call, int i, const char *kw)
{
	if (i >= 0 && i < call->items.len)
		return call->items.data[i];
	return kw ? lw_kwarg(call, kw) : NULL;
}

static Value *
array_arg(Lower *L, PyExpr *e, SrcLoc loc)
{
	if (!e)
		diag_fatal(L->ctx, loc, "expected an array argument");
	Value *v = lw_eval(L, e);
	if (!lw_is_numeric(v))
		diag_fatal(L->ctx, e->loc, "expected a number or an array");
	return v;
}

static int64_t
int_const(Lower *L, PyExpr *e, const char *what)
{
	int64_t k;
	if (!sym_is_const(lw_as_sym(L, lw_eval(L, e), e->loc, what), &k))
		diag_fatal(L->ctx, e->loc, "%s must be an integer constant", what);
	return k;
}

/* An axis of an n-D array: a constant in [-n, n). */
static int
axis_arg(Lower *L, PyExpr *e, int n)
{
	int64_t k = int_const(L, e, "axis");
	if (k < -n || k >= n)
		diag_fatal(L->ctx, e->loc, "axis %lld is out of bounds for an array of dimension %d",
			   (long long)k, n);
	return (int)(k < 0 ? k + n : k);
}

static bool
dtype_kw(Lower *L, PyExpr *call, DType *t)
{
	return lw_dtype_of(L, lw_kwarg(call, "dtype"), t);
}

static bool
bool_kw(Lower *L, PyExpr *call, const char *name)
{
	PyExpr *e = lw_kwarg(call, name);
	if (!e)
		return false;
	Value *v = lw_eval(L, e);
	if (v->kind != V_CONST || v->dtype != DT_BOOL)
		diag_fatal(L->ctx, e->loc, "%s must be True or False", name);
	return v->ival != 0;
}

/* The values of a sequence argument: a tuple or list written in place, or
 * a name bound to a tuple. */
static Value **
seq_items(Lower *L, PyExpr *e, int *n, const char *fname)
{
	if (e->kind == PE_LIST || e->kind == PE_TUPLE) {
		*n = e->items.len;
		Value **v = arena_alloc(L->a, sizeof(Value *) * (size_t)(*n + 1));
		for (int i = 0; i < *n; i++)
			v[i] = lw_eval(L, e->items.data[i]);
		return v;
	}
	Value *t = lw_eval(L, e);
	if (t->kind != V_TUPLE)
		lw_unsupported(L, e->loc, arena_printf(L->a, "np.%s of anything but a tuple or a "
						       "list of arrays", fname));
	*n = t->n;
	return t->items;
}

static Value **
one_value(Lower *L, Value *v)
{
	Value **r = arena_alloc(L->a, sizeof(Value *));
	r[0] = v;
	return r;
}

Sym **
lw_syms(Lower *L, int n)
{
	return arena_alloc(L->a, sizeof(Sym *) * (size_t)(n + 1));
}

static Sym *
product(Lower *L, int n, Sym **s)
{
	Sym *p = sym_const(L->a, 1);
	for (int d = 0; d < n; d++)
		p = sym_mul(L->a, p, s[d]);
	return p;
}

bool
lw_is_const(const Sym *s, int64_t c)
{
	int64_t v;
	return sym_is_const(s, &v) && v == c;
}

/* Records `e >= 0` as a precondition of the call when it is not provable;
 * refused when e depends on loop variables (no call-time check exists). */
static void
require(Lower *L, Sym *e, SrcLoc loc, const char *what)
{
	if (lw_provable_le(L, sym_const(L->a, 0), e))
		return;
	Sym *u = lw_upper_bound(L, e);
	if (!u || !sym_equal(u, e))
		lw_unsupported(L, loc, arena_printf(L->a, "%s whose sizes change inside a loop", what));
	ir_program_assume(L->ctx, L->p, e, loc);
}

/* ---- lazy values over renamed iteration symbols ---- */

/* The lazy value of shape (m, shape) whose element is x's element at
 * index to[0..x->ndim) (in the new iteration symbols). */
static Value *
relabel(Lower *L, Value *x, Sym **to, int m, Sym **shape)
{
	Value *e = lw_to_expr(L, x);
	Value *r = lw_remap_iters(L, e, e->ndim, to);
	r->ndim = m;
	r->shape = shape;
	return r;
}

/* x[..., k, ...] with k at dimension d, as a lazy value. */
static Value *
take(Lower *L, Value *x, int d, Sym *k)
{
	int n = x->ndim;
	Sym **to = lw_syms(L, n), **shape = lw_syms(L, n);
	for (int j = 0, o = 0; j < n; j++) {
		to[j] = j == d ? k : lw_iter_sym(L, o);
		if (j != d)
			shape[o++] = x->shape[j];
	}
	return relabel(L, x, to, n - 1, shape);
}

/* ---- views ---- */

static Value *
as_view(Lower *L, Value *x)
{
	return x->kind == V_ARRAY ? x : lw_materialize(L, x, "tmp");
}

/* The view of x restricted to [off, off + len) along view dimension d. */
Value *
lw_narrow(Lower *L, Value *x, int d, Sym *off, Sym *len)
{
	Value *v = lw_value_new(L, V_ARRAY, x->loc);
	*v = *x;
	v->fresh = false;
	v->shape = lw_syms(L, x->ndim);
	memcpy(v->shape, x->shape, sizeof(Sym *) * (size_t)x->ndim);
	v->shape[d] = len;
	v->map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(x->cdim + 1));
	for (int c = 0; c < x->cdim; c++) {
		v->map[c] = x->map[c];
		if (x->map[c].vdim == d)
			v->map[c].start = sym_add(L->a, x->map[c].start, sym_mul(L->a, x->map[c].step, off));
	}
	return v;
}

/* The view of x of shape (m, shape) whose dimension j is x's dimension
 * from[j], or a new dimension (from[j] < 0: extent 1, or a broadcast one).
 * Dimensions of x that no j takes must have extent 1: they are fixed at 0. */
static Value *
regrid(Lower *L, Value *x, int m, Sym **shape, const int *from, SrcLoc loc)
{
	x = as_view(L, x);
	int *to = arena_alloc(L->a, sizeof(int) * (size_t)(x->ndim + 1));
	for (int d = 0; d < x->ndim; d++)
		to[d] = -1;
	for (int j = 0; j < m; j++)
		if (from[j] >= 0)
			to[from[j]] = j;
	Value *v = lw_value_new(L, V_ARRAY, loc);
	*v = *x;
	v->loc = loc;
	v->fresh = false;
	v->ndim = m;
	v->shape = shape;
	v->map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(x->cdim + 1));
	for (int c = 0; c < x->cdim; c++) {
		DimMap dm = x->map[c];
		if (dm.vdim >= 0 && to[dm.vdim] < 0)
			dm.vdim = -1;   /* a dropped extent-1 dimension: index start */
		else if (dm.vdim >= 0)
			dm.vdim = to[dm.vdim];
		v->map[c] = dm;
	}
	return v;
}

/* Does the shape change from (n, o) to (m, w) only add or remove
 * dimensions of constant extent 1? Then from[j] (m entries) tells which
 * dimension of the source each new one is (-1 for added ones). */
static bool
unit_change(int n, Sym **o, int m, Sym **w, int *from)
{
	int d = 0;
	for (int j = 0; j < m; j++) {
		while (d < n && lw_is_const(o[d], 1) && !lw_is_const(w[j], 1))
			d++;
		if (lw_is_const(w[j], 1) && !(d < n && lw_is_const(o[d], 1))) {
			from[j] = -1;
			continue;
		}
		if (d >= n || !sym_equal(o[d], w[j]))
			return false;
		from[j] = d++;
	}
	for (; d < n; d++)
		if (!lw_is_const(o[d], 1))
			return false;
	return true;
}

/* ---- reshape ---- */

/* The index into old dimensions [a0, a1) of shape o that a C-order
 * position g of the group reaches. */
static void
split_flat(Lower *L, Sym *g, int a0, int a1, Sym **o, Sym **to)
{
	Sym *div = sym_const(L->a, 1);
	for (int k = a1 - 1; k >= a0; k--) {
		Sym *q = sym_floordiv(L->a, g, div);
		to[k] = k == a0 ? q : sym_mod(L->a, q, o[k]);
		div = sym_mul(L->a, div, o[k]);
	}
}

/* The source indices of a reshape from (n, o) to (m, w). Dimensions are
 * grouped where the leading products of both shapes agree, so that each
 * group's index arithmetic stays small ((N, M, K) -> (N, M * K) keeps _i0
 * for N); the last group takes the rest (the totals are equal). */
static Sym **
reshape_indices(Lower *L, int n, Sym **o, int m, Sym **w)
{
	Sym **to = lw_syms(L, n), **pw = lw_syms(L, m + 1);
	pw[0] = sym_const(L->a, 1);
	for (int j = 0; j < m; j++)
		pw[j + 1] = sym_mul(L->a, pw[j], w[j]);
	Sym *po = sym_const(L->a, 1);
	int a0 = 0, b0 = 0;
	for (int a = 1; a <= n; a++) {
		po = sym_mul(L->a, po, o[a - 1]);
		int b = b0 + 1;
		while (b <= m && !sym_equal(pw[b], po))
			b++;
		if (a == n)
			b = m;
		else if (b > m)
			continue;
		Sym *g = sym_const(L->a, 0);
		for (int j = b0; j < b; j++)
			g = sym_add(L->a, sym_mul(L->a, g, w[j]), lw_iter_sym(L, j));
		split_flat(L, g, a0, a, o, to);
		a0 = a;
		b0 = b;
	}
	return to;
}

/* The product of the extents xs[0..n) left when each known extent w[j]
 * (j != unknown) is matched with an equal one of them, or NULL when one
 * has no match: x.reshape(x.shape[0], -1) keeps the readable product of
 * x's other extents instead of a floordiv. */
static Sym *
exact_quotient(Lower *L, int n, Sym **xs, int m, Sym **w, int unknown)
{
	bool *used = arena_alloc(L->a, sizeof(bool) * (size_t)(n + 1));
	for (int j = 0; j < m; j++) {
		int d = 0;
		while (j != unknown && d < n && (used[d] || !sym_equal(xs[d], w[j])))
			d++;
		if (j != unknown && d == n)
			return NULL;
		if (j != unknown)
			used[d] = true;
	}
	Sym *q = sym_const(L->a, 1);
	for (int d = 0; d < n; d++)
		if (!used[d])
			q = sym_mul(L->a, q, xs[d]);
	return q;
}

/* The shape a reshape of an array of shape (n, xs) asks for, with a -1
 * resolved against the total size. */
static Sym **
new_shape(Lower *L, int m, Value **dims, int n, Sym **xs, SrcLoc loc)
{
	Sym *total = product(L, n, xs);
	Sym **w = lw_syms(L, m), *known = sym_const(L->a, 1);
	int unknown = -1;
	for (int j = 0; j < m; j++) {
		w[j] = lw_as_sym(L, dims[j], loc, "dimension");
		int64_t c;
		if (sym_is_const(w[j], &c) && c < 0) {
			if (c != -1 || unknown >= 0)
				diag_fatal(L->ctx, loc, c == -1 ? "can only specify one unknown dimension"
					   : "negative dimensions are not allowed");
			unknown = j;
			continue;
		}
		known = sym_mul(L->a, known, w[j]);
	}
	int64_t ct, ck;
	if (unknown >= 0 && sym_is_const(total, &ct) && sym_is_const(known, &ck) &&
	    (ck <= 0 || ct % ck != 0)) {
		w[unknown] = sym_const(L->a, -1);
		diag_fatal(L->ctx, loc, "cannot reshape an array of size %lld into shape %s",
			   (long long)ct, lw_shape_str(L, m, w));
	}
	if (unknown >= 0) {
		require(L, sym_addc(L->a, known, -1), loc, "reshapes");
		w[unknown] = exact_quotient(L, n, xs, m, w, unknown);
		if (!w[unknown]) {
			require(L, sym_neg(L->a, sym_mod(L->a, total, known)), loc, "reshapes");
			w[unknown] = sym_floordiv(L->a, total, known);
		}
	}
	return w;
}

/* x reshaped to (m, w): a view when only extent-1 dimensions change, else
 * a lazy read of x. The sizes must agree: when dfc cannot prove it, the
 * call checks it (a precondition). */
static Value *
reshape_to(Lower *L, Value *x, int m, Sym **w, SrcLoc loc)
{
	int n = x->ndim;
	Sym *to = product(L, n, x->shape), *tw = product(L, m, w);
	int64_t c1, c2;
	if (sym_is_const(to, &c1) && sym_is_const(tw, &c2) && c1 != c2)
		diag_fatal(L->ctx, loc, "cannot reshape an array of size %lld into shape %s",
			   (long long)c1, lw_shape_str(L, m, w));
	if (!sym_equal(to, tw)) {
		require(L, sym_sub(L->a, to, tw), loc, "reshapes");
		require(L, sym_sub(L->a, tw, to), loc, "reshapes");
	}
	int *from = arena_alloc(L->a, sizeof(int) * (size_t)(m + 1));
	if (x->kind == V_ARRAY && unit_change(n, x->shape, m, w, from))
		return regrid(L, x, m, w, from, loc);
	return relabel(L, x, reshape_indices(L, n, x->shape, m, w), m, w);
}

/* np.reshape(a, shape) and a.reshape(shape) / a.reshape(d0, d1, ...). */
static Value *
call_reshape(Lower *L, Value *x, PyExpr *call, int first)
{
	static const char *const kws[] = { "newshape", "order", NULL };
	lw_check_args(L, call, "reshape", first, first + MAX_DIMS, kws);
	PyExpr *order = lw_kwarg(call, "order");
	if (order && (order->kind != PE_STR || strcmp(order->str, "C") != 0))
		lw_unsupported(L, order->loc, "reshape orders other than 'C'");
	int na = call->items.len - first;
	PyExpr *one = na == 1 ? call->items.data[first] : na == 0 ? lw_kwarg(call, "newshape") : NULL;
	if (!one && na == 0)
		diag_fatal(L->ctx, call->loc, "reshape() needs a shape");
	int m = na;
	Value **dims;
	if (one && (one->kind == PE_LIST || one->kind == PE_TUPLE)) {
		dims = seq_items(L, one, &m, "reshape");
	} else if (one) {
		Value *v = lw_eval(L, one);
		m = v->kind == V_TUPLE ? v->n : 1;
		dims = v->kind == V_TUPLE ? v->items : one_value(L, v);
	} else {
		dims = arena_alloc(L->a, sizeof(Value *) * (size_t)m);
		for (int j = 0; j < m; j++)
			dims[j] = lw_eval(L, call->items.data[first + j]);
	}
	if (m > MAX_DIMS)
		lw_unsupported(L, call->loc, "arrays of more than 16 dimensions");
	Sym **w = new_shape(L, m, dims, x->ndim, x->shape, call->loc);
	return lw_reshaped(L, x, reshape_to(L, x, m, w, call->loc), call, "reshape");
}

/* x as a 1-D value in C order. */
static Value *
flat(Lower *L, Value *x)
{
	Sym **w = lw_syms(L, 1);
	w[0] = product(L, x->ndim, x->shape);
	return reshape_to(L, x, 1, w, x->loc);
}

/* a.ravel(), np.ravel(a), a.flatten() (always a copy). */
static Value *
call_ravel(Lower *L, Value *x, PyExpr *call, bool flatten)
{
	Value *r = flat(L, x);
	if (flatten)
		return lw_materialize(L, r, "flat");
	return lw_reshaped(L, x, r, call, "ravel");
}

/* np.expand_dims(a, axis): axis an integer or a tuple of them. */
static Value *
call_expand_dims(Lower *L, Value *x, PyExpr *axis)
{
	Value *av = lw_eval(L, axis);
	int na = av->kind == V_TUPLE ? av->n : 1, m = x->ndim + na;
	if (m > MAX_DIMS)
		lw_unsupported(L, axis->loc, "arrays of more than 16 dimensions");
	bool added[MAX_DIMS + 1] = { false };
	for (int i = 0; i < na; i++) {
		Value *it = av->kind == V_TUPLE ? av->items[i] : av;
		int64_t k;
		if (!sym_is_const(lw_as_sym(L, it, axis->loc, "axis"), &k) || k < -m || k >= m)
			diag_fatal(L->ctx, axis->loc, "axis must be an integer constant in [-%d, %d)", m, m);
		if (added[k < 0 ? k + m : k])
			diag_fatal(L->ctx, axis->loc, "repeated axis");
		added[k < 0 ? k + m : k] = true;
	}
	Sym **w = lw_syms(L, m);
	int *from = arena_alloc(L->a, sizeof(int) * (size_t)(m + 1));
	for (int j = 0, d = 0; j < m; j++) {
		from[j] = added[j] ? -1 : d;
		w[j] = added[j] ? sym_const(L->a, 1) : x->shape[d++];
	}
	return regrid(L, x, m, w, from, axis->loc);
}

/* np.squeeze(a[, axis]). Without an axis, dimensions of constant extent 1
 * go, and every other dimension must be >= 2 at the call (NumPy would
 * drop it when it is 1, changing the rank). */
static Value *
call_squeeze(Lower *L, Value *x, PyExpr *axis, SrcLoc loc)
{
	int n = x->ndim, m = 0;
	bool drop[MAX_DIMS + 1] = { false };
	Value *av = axis ? lw_eval(L, axis) : NULL;
	if (av && av->kind != V_NONE) {
		int na = av->kind == V_TUPLE ? av->n : 1;
		for (int i = 0; i < na; i++) {
			Value *it = av->kind == V_TUPLE ? av->items[i] : av;
			int64_t k;
			if (!sym_is_const(lw_as_sym(L, it, axis->loc, "axis"), &k) || k < -n || k >= n)
				diag_fatal(L->ctx, axis->loc, "axis must be an integer constant in [-%d, %d)", n, n);
			int d = (int)(k < 0 ? k + n : k);
			if (!lw_is_const(x->shape[d], 1))
				diag_fatal(L->ctx, axis->loc, "cannot select an axis to squeeze out which "
					   "has size not equal to one (axis %d has size %s)", d,
					   sym_print(L->a, x->shape[d]));
			drop[d] = true;
		}
	} else {
		for (int d = 0; d < n; d++) {
			drop[d] = lw_is_const(x->shape[d], 1);
			if (!drop[d] && !sym_is_const(x->shape[d], NULL))
				require(L, sym_addc(L->a, x->shape[d], -2), loc, "np.squeeze of arrays");
		}
	}
	Sym **w = lw_syms(L, n);
	int *from = arena_alloc(L->a, sizeof(int) * (size_t)(n + 1));
	for (int d = 0; d < n; d++)
		if (!drop[d]) {
			from[m] = d;
			w[m++] = x->shape[d];
		}
	return regrid(L, x, m, w, from, loc);
}

/* np.broadcast_to(a, shape): a read-only view; broadcast dimensions index
 * the source at 0. */
static Value *
call_broadcast_to(Lower *L, Value *x, PyExpr *shape_e, SrcLoc loc)
{
	int m;
	Value **dims;
	if (shape_e->kind == PE_LIST || shape_e->kind == PE_TUPLE) {
		dims = seq_items(L, shape_e, &m, "broadcast_to");
	} else {
		Value *v = lw_eval(L, shape_e);
		m = v->kind == V_TUPLE ? v->n : 1;
		dims = v->kind == V_TUPLE ? v->items : one_value(L, v);
	}
	if (m > MAX_DIMS)
		lw_unsupported(L, loc, "arrays of more than 16 dimensions");
	Sym **w = lw_syms(L, m);
	int *from = arena_alloc(L->a, sizeof(int) * (size_t)(m + 1));
	for (int j = 0; j < m; j++) {
		w[j] = lw_as_sym(L, dims[j], shape_e->loc, "dimension");
		if (sym_lt(w[j], sym_const(L->a, 0)) == T_TRUE)
			diag_fatal(L->ctx, shape_e->loc, "negative dimensions are not allowed");
	}
	bool ok = x->ndim <= m;
	for (int j = 0; j < m; j++) {
		int d = j - (m - x->ndim);
		from[j] = d < 0 || (lw_is_const(x->shape[d], 1) && !lw_is_const(w[j], 1)) ? -1 : d;
		ok = ok && (d < 0 || from[j] < 0 || sym_equal(x->shape[d], w[j]));
	}
	if (!ok)
		diag_fatal(L->ctx, loc, "cannot broadcast an array of shape %s to shape %s",
			   lw_shape_str(L, x->ndim, x->shape), lw_shape_str(L, m, w));
	Value *v = regrid(L, x, m, w, from, loc);
	v->readonly = true;
	return v;
}

/* ---- joining ---- */

/* np.concatenate of n arrays along `axis` (dtypes promoted). */
Value *
lw_concat(Lower *L, int n, Value **xs, int axis, SrcLoc loc)
{
	if (n == 0)
		diag_fatal(L->ctx, loc, "need at least one array to concatenate");
	int nd = xs[0]->ndim;
	DType t = xs[0]->dtype;
	Sym *len = sym_const(L->a, 0);
	for (int i = 0; i < n; i++) {
		if (xs[i]->ndim == 0)
			diag_fatal(L->ctx, loc, "zero-dimensional arrays cannot be concatenated");
		if (xs[i]->ndim != nd)
			diag_fatal(L->ctx, loc, "all the input arrays must have the same number "
				   "of dimensions (%d and %d here)", nd, xs[i]->ndim);
		for (int d = 0; d < nd; d++)
			if (d != axis && !sym_equal(xs[i]->shape[d], xs[0]->shape[d]))
				diag_fatal(L->ctx, loc, "all the input array dimensions except for "
					   "the concatenation axis must match exactly (%s and %s)",
					   lw_shape_str(L, nd, xs[0]->shape), lw_shape_str(L, nd, xs[i]->shape));
		t = i ? dtype_promote(t, xs[i]->dtype) : t;
		len = sym_add(L->a, len, xs[i]->shape[axis]);
	}
	Sym **shape = lw_syms(L, nd);
	memcpy(shape, xs[0]->shape, sizeof(Sym *) * (size_t)nd);
	shape[axis] = len;
	Value *r = lw_new_array(L, "cat", t, nd, shape, loc);
	Sym *off = sym_const(L->a, 0);
	for (int i = 0; i < n; i++) {
		lw_store(L, lw_narrow(L, r, axis, off, xs[i]->shape[axis]), xs[i], WCR_NONE, loc);
		off = sym_add(L->a, off, xs[i]->shape[axis]);
	}
	return r;
}

/* x with its shape padded to at least `rank` dimensions: new ones in front
 * (atleast_2d), or a 1-D x as a column (column_stack). */
static Value *
pad_rank(Lower *L, Value *x, int rank, bool column)
{
	if (x->ndim >= rank)
		return x;
	Sym **w = lw_syms(L, rank);
	int k = rank - x->ndim;
	for (int j = 0; j < rank; j++) {
		int d = column ? j : j - k;
		w[j] = d >= 0 && d < x->ndim ? x->shape[d] : sym_const(L->a, 1);
	}
	return reshape_to(L, x, rank, w, x->loc);
}

/* np.concatenate, np.stack, np.hstack, np.vstack, np.column_stack. */
static Value *
call_join(Lower *L, const char *fn, PyExpr *call)
{
	static const char *const kws[] = { "axis", NULL };
	bool axis_ok = strcmp(fn, "concatenate") == 0 || strcmp(fn, "stack") == 0;
	lw_check_args(L, call, fn, 1, axis_ok ? 2 : 1, axis_ok ? kws : NULL);
	int n;
	Value **xs = seq_items(L, call->items.data[0], &n, fn);
	for (int i = 0; i < n; i++)
		if (!lw_is_numeric(xs[i]))
			diag_fatal(L->ctx, xs[i]->loc, "expected an array");
	PyExpr *ax = arg_expr(call, 1, "axis");
	if (n == 0)
		diag_fatal(L->ctx, call->loc, "need at least one array to %s",
			   fn[0] == 'c' && fn[1] == 'o' && fn[2] == 'n' ? "concatenate" : "stack");
	if (strcmp(fn, "stack") == 0) {
		int nd = xs[0]->ndim;
		int axis = ax ? axis_arg(L, ax, nd + 1) : 0;
		for (int i = 0; i < n; i++)
			if (xs[i]->ndim != nd)
				diag_fatal(L->ctx, call->loc, "all input arrays must have the same shape");
		Value **ys = arena_alloc(L->a, sizeof(Value *) * (size_t)n);
		for (int i = 0; i < n; i++) {
			Sym **w = lw_syms(L, nd + 1);
			for (int j = 0, d = 0; j <= nd; j++)
				w[j] = j == axis ? sym_const(L->a, 1) : xs[i]->shape[d++];
			ys[i] = reshape_to(L, xs[i], nd + 1, w, xs[i]->loc);
		}
		return lw_concat(L, n, ys, axis, call->loc);
	}
	if (strcmp(fn, "concatenate") == 0) {
		Value *av = ax ? lw_eval(L, ax) : NULL;
		if (av && av->kind == V_NONE) {
			for (int i = 0; i < n; i++)
				xs[i] = flat(L, xs[i]);
			return lw_concat(L, n, xs, 0, call->loc);
		}
		if (xs[0]->ndim == 0)
			diag_fatal(L->ctx, call->loc, "zero-dimensional arrays cannot be concatenated");
		return lw_concat(L, n, xs, ax ? axis_arg(L, ax, xs[0]->ndim) : 0, call->loc);
	}
	bool col = fn[0] == 'c';
	int rank = fn[0] == 'h' ? 1 : 2;
	for (int i = 0; i < n; i++)
		xs[i] = pad_rank(L, xs[i], rank, col && xs[i]->ndim == 1);
	return lw_concat(L, n, xs, fn[0] == 'v' || xs[0]->ndim == 1 ? 0 : 1, call->loc);
}

/* ---- creation ---- */

/* The lazy int64 value _i<d> over (ndim, shape). */
static Value *
index_value(Lower *L, int d, int ndim, Sym **shape, SrcLoc loc)
{
	Value *v = lw_value_new(L, V_EXPR, loc);
	v->dtype = DT_INT64;
	v->ndim = ndim;
	v->shape = shape;
	v->expr = ir_expr_sym(L->a, arena_printf(L->a, "_i%d", d));
	return v;
}

/* _i1 - _i0 compared with k over (n, m): the diagonals of a matrix. */
static Value *
diagonal_test(Lower *L, IrOp op, Sym *n, Sym *m, Value *k, SrcLoc loc)
{
	Sym **shape = lw_syms(L, 2);
	shape[0] = n;
	shape[1] = m;
	Value *d = lw_binary(L, OP_SUB, index_value(L, 1, 2, shape, loc),
			     index_value(L, 0, 2, shape, loc), loc, "-");
	return lw_binary(L, op, d, k, loc, "diagonal");
}

/* np.triu(m, k=0) / np.tril(m, k=0) over the last two dimensions. */
static Value *
call_tri(Lower *L, const char *fn, PyExpr *call)
{
	static const char *const kws[] = { "k", NULL };
	lw_check_args(L, call, fn, 1, 2, kws);
	Value *x = array_arg(L, call->items.data[0], call->loc);
	PyExpr *ke = arg_expr(call, 1, "k");
	Value *k = ke ? lw_eval(L, ke) : lw_const_int(L, 0, call->loc);
	lw_as_sym(L, k, ke ? ke->loc : call->loc, "diagonal offset");
	if (x->ndim < 2)
		lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s of arrays with fewer than 2 "
							  "dimensions", fn));
	int n = x->ndim;
	Value *keep = diagonal_test(L, fn[3] == 'u' ? OP_GE : OP_LE, x->shape[n - 2], x->shape[n - 1],
				    k, call->loc);
	Value *zero = lw_cast(L, lw_const_int(L, 0, call->loc), x->dtype);
	return lw_where(L, keep, x, zero, call->loc);
}

/* np.eye(N, M=None, k=0, dtype=float), np.identity(n, dtype=float). */
static Value *
call_eye(Lower *L, const char *fn, PyExpr *call)
{
	static const char *const eye_kws[] = { "M", "k", "dtype", NULL };
	static const char *const id_kws[] = { "dtype", NULL };
	bool eye = fn[0] == 'e';
	lw_check_args(L, call, fn, 1, eye ? 3 : 1, eye ? eye_kws : id_kws);
	Sym *n = lw_as_sym(L, lw_eval(L, call->items.data[0]), call->loc, "size");
	PyExpr *me = eye ? arg_expr(call, 1, "M") : NULL, *ke = eye ? arg_expr(call, 2, "k") : NULL;
	Value *mv = me ? lw_eval(L, me) : NULL;
	Sym *m = mv && mv->kind != V_NONE ? lw_as_sym(L, mv, me->loc, "size") : n;
	if (sym_lt(n, sym_const(L->a, 0)) == T_TRUE || sym_lt(m, sym_const(L->a, 0)) == T_TRUE)
		diag_fatal(L->ctx, call->loc, "negative dimensions are not allowed");
	Value *k = ke ? lw_eval(L, ke) : lw_const_int(L, 0, call->loc);
	lw_as_sym(L, k, ke ? ke->loc : call->loc, "diagonal offset");
	DType t = DT_FLOAT64;
	dtype_kw(L, call, &t);
	return lw_cast(L, diagonal_test(L, OP_EQ, n, m, k, call->loc), t);
}

/* The dtype np.array gives a Python scalar or a kernel value. */
static DType
element_dtype(const Value *v)
{
	if (v->kind == V_SYM)
		return DT_INT64;
	return v->dtype;
}

/* The n values xs stacked along a new first axis, as dtype t (NumPy's
 * promotion of theirs unless given). */
static Value *
stack_values(Lower *L, int n, Value **xs, DType t, bool given, SrcLoc loc)
{
	for (int i = 0; i < n; i++) {
		if (!lw_is_numeric(xs[i]))
			lw_unsupported(L, xs[i]->loc, "np.array of nested sequences that are not "
				       "written in the call (use np.stack)");
		if (!given)
			t = i ? dtype_promote(t, element_dtype(xs[i])) : element_dtype(xs[i]);
	}
	Value **ys = arena_alloc(L->a, sizeof(Value *) * (size_t)n);
	int nd = xs[0]->ndim;
	for (int i = 0; i < n; i++) {
		bool same = xs[i]->ndim == nd;
		for (int d = 0; same && d < nd; d++)
			same = sym_equal(xs[i]->shape[d], xs[0]->shape[d]);
		if (!same)
			diag_fatal(L->ctx, xs[i]->loc, "np.array of arrays of different shapes");
		Sym **w = lw_syms(L, nd + 1);
		w[0] = sym_const(L->a, 1);
		if (nd > 0)   /* a 0-d shape may be NULL */
			memcpy(w + 1, xs[i]->shape, sizeof(Sym *) * (size_t)nd);
		ys[i] = reshape_to(L, lw_cast(L, xs[i], t), nd + 1, w, xs[i]->loc);
	}
	return lw_concat(L, n, ys, 0, loc);
}

/* np.array of the list or tuple e written in the call; nested lists and
 * tuples are arrays of one more dimension, stacked in turn. Promoting the
 * inner dtypes first gives NumPy's dtype of all the elements together. */
static Value *
array_of_seq(Lower *L, PyExpr *e, DType t, bool given)
{
	int n = e->items.len;
	if (n == 0)
		lw_unsupported(L, e->loc, "empty arrays from np.array");
	Value **xs = arena_alloc(L->a, sizeof(Value *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		PyExpr *it = e->items.data[i];
		Value *x = it->kind == PE_LIST || it->kind == PE_TUPLE ? array_of_seq(L, it, t, given)
								      : lw_eval(L, it);
		xs[i] = lw_value_new(L, x->kind, it->loc);
		*xs[i] = *x;
		xs[i]->loc = it->loc;   /* diagnostics point at the item */
	}
	return stack_values(L, n, xs, t, given, e->loc);
}

/* np.array(seq) of scalars, of equally shaped arrays (stacked) or of
 * nested lists and tuples of them written in the call; of a name bound to
 * a tuple; of one array (a copy). */
static Value *
call_array(Lower *L, PyExpr *call)
{
	static const char *const kws[] = { "dtype", "copy", NULL };
	lw_check_args(L, call, "array", 1, 1, kws);
	PyExpr *e = call->items.data[0];
	if (lw_kwarg(call, "copy") && !bool_kw(L, call, "copy"))
		lw_unsupported(L, lw_kwarg(call, "copy")->loc, "np.array(..., copy=False)");
	DType t = DT_FLOAT64;
	bool given = dtype_kw(L, call, &t);
	if (e->kind == PE_LIST || e->kind == PE_TUPLE)
		return array_of_seq(L, e, t, given);
	Value *x = lw_eval(L, e);
	if (x->kind == V_TUPLE && x->n == 0)
		lw_unsupported(L, e->loc, "empty arrays from np.array");
	if (x->kind == V_TUPLE)
		return stack_values(L, x->n, x->items, t, given, e->loc);
	if (!lw_is_numeric(x))
		diag_fatal(L->ctx, e->loc, "expected a number or an array");
	return lw_materialize(L, given ? lw_cast(L, x, t) : x, "arr");
}

/* np.fmin / np.fmax: like minimum/maximum, but a NaN operand gives the
 * other one (NaN only when both are). */
static Value *
call_fminmax(Lower *L, const char *fn, PyExpr *call)
{
	lw_check_args(L, call, fn, 2, 2, NULL);
	Value *x = array_arg(L, call->items.data[0], call->loc);
	Value *y = array_arg(L, call->items.data[1], call->loc);
	SrcLoc loc = call->loc;
	DType t = lw_result_dtype(x, y);
	if (t == DT_BOOL || dtype_is_complex(t))
		lw_unsupported(L, loc, arena_printf(L->a, "np.%s of %s values", fn, dtype_name(t)));
	x = lw_cast(L, x, t);
	y = lw_cast(L, y, t);
	Value *m = lw_binary(L, fn[2] == 'i' ? OP_MIN : OP_MAX, x, y, loc, fn);
	if (!dtype_is_float(t))
		return m;
	Value *xnan = lw_binary(L, OP_NE, x, x, loc, "!="), *ynan = lw_binary(L, OP_NE, y, y, loc, "!=");
	return lw_where(L, xnan, y, lw_where(L, ynan, x, m, loc), loc);
}

/* ---- sequential scans along an axis ---- */

/* Opens `for var in range(start, stop)` (appending to the current blocks)
 * and returns its variable; scan_end closes it. */
static Sym *
scan_begin(Lower *L, Sym *start, Sym *stop, IrBlockList **saved, SrcLoc loc)
{
	Arena *a = L->a;
	const char *var = ir_program_fresh_name(L->ctx, L->p, arena_printf(a, "_k%d", L->loops.len));
	IrBlock *blk = ir_block_new(L->ctx, CF_FOR, lw_stable_name(L, 'l', loc), loc);
	blk->loop.var = var;
	blk->loop.start = start;
	blk->loop.stop = stop;
	blk->loop.step = sym_const(a, 1);
	lw_append(L, blk);
	*saved = L->blocks;
	L->blocks = &blk->loop.body;
	vec_push(a, &L->loops, ((LoopFact){ var, start, stop, 1 }));
	return sym_var(a, var);
}

static void
scan_end(Lower *L, IrBlockList *saved)
{
	L->loops.len--;
	L->blocks = saved;
}

/* An axis argument that may be None (then *none is set). */
static int
optional_axis(Lower *L, PyExpr *e, int n, bool *none)
{
	*none = true;
	if (!e)
		return 0;
	Value *v = lw_eval(L, e);
	if (v->kind == V_NONE)
		return 0;
	*none = false;
	return axis_arg(L, e, n);
}

/* The index along axis d of x's first extreme (max or min), or first NaN:
 * the int64 array of x's shape without d. */
static Value *
best_index(Lower *L, Value *x, int d, bool max, SrcLoc loc)
{
	bool red[MAX_DIMS + 1] = { false };
	red[d] = true;
	Value *m = lw_reduce_dims(L, max ? WCR_MAX : WCR_MIN, x, red, true, loc);
	Value *hit = lw_binary(L, OP_EQ, x, m, loc, "==");
	if (dtype_is_float(x->dtype))
		hit = lw_binary(L, OP_OR, hit, lw_binary(L, OP_NE, x, x, loc, "!="), loc, "or");
	Value *k = index_value(L, d, x->ndim, x->shape, loc);
	Value *cand = lw_where(L, hit, k, lw_sym_value(L, x->shape[d], loc), loc);
	return lw_reduce_dims(L, WCR_MIN, cand, red, false, loc);
}

/* np.argmin / np.argmax (flat, or along axis=; keepdims=) as two
 * reductions over the axis, each a map over the kept dimensions whose body
 * scans the axis (vectorized): m = the extreme along the axis (NaN when
 * the lane holds one, as np.max), then the least index k with x[k] == m or
 * x[k] NaN. That is NumPy's rule: the first occurrence of the extreme, or
 * the first NaN. A column loop of element-wise steps would read the array
 * across its rows once per column. x is materialised first unless it is a
 * view, so both reductions compare the very same values. */
static Value *
call_arg_best(Lower *L, Value *x, PyExpr *call, int first, bool max)
{
	static const char *const kws[] = { "axis", "keepdims", NULL };
	const char *fn = max ? "argmax" : "argmin";
	lw_check_args(L, call, fn, first, first + 1, kws);
	SrcLoc loc = call->loc;
	if (dtype_is_complex(x->dtype))
		lw_unsupported(L, loc, arena_printf(L->a, "np.%s of complex values", fn));
	bool none, keep = bool_kw(L, call, "keepdims");
	int d = optional_axis(L, arg_expr(call, first, "axis"), x->ndim, &none);
	int n0 = x->ndim;
	if (!none && x->ndim == 0)
		diag_fatal(L->ctx, loc, "axis %d is out of bounds for an array of dimension 0", d);
	if (x->kind != V_ARRAY)
		x = lw_materialize(L, x, "arg");
	if (none)
		x = flat(L, x);
	Sym *n = x->shape[d];
	require(L, sym_addc(L->a, n, -1), loc, arena_printf(L->a, "np.%s of empty arrays", fn));
	Value *idx = best_index(L, x, d, max, loc);
	if (!keep)
		return idx;
	Sym **w = lw_syms(L, n0);
	for (int j = 0; j < n0; j++)
		w[j] = none || j == d ? sym_const(L->a, 1) : idx->shape[j < d ? j : j - 1];
	return reshape_to(L, idx, n0, w, loc);
}

/* ufunc.accumulate along axis d: out[k] = op(out[k - 1], x[k]), in dtype t. */
static Value *
accumulate(Lower *L, IrOp op, Value *x, int d, DType t, SrcLoc loc)
{
	Arena *a = L->a;
	Value *out = lw_new_array(L, "acc", t, x->ndim, x->shape, loc);
	IrBlockList *saved;
	Sym *k = scan_begin(L, sym_const(a, 0), x->shape[d], &saved, loc);
	Value *xk = lw_cast(L, take(L, x, d, k), t);
	/* k == 0 reads out[max(k - 1, 0)] but takes x[0] alone. */
	Value *prev = take(L, out, d, sym_max(a, sym_addc(a, k, -1), sym_const(a, 0)));
	Value *is0 = lw_binary(L, OP_EQ, lw_sym_value(L, k, loc), lw_const_int(L, 0, loc), loc, "==");
	Value *step = lw_cast(L, lw_binary(L, op, prev, xk, loc, ir_op_name(op)), t);
	lw_store(L, lw_fix_dim(L, out, d, k, loc), lw_where(L, is0, xk, step, loc), WCR_NONE, loc);
	scan_end(L, saved);
	return out;
}

/* ---- ufunc methods ---- */

static DType
upcast_dtype(IrOp op, DType t)
{
	if (op != OP_ADD && op != OP_MUL)
		return t;
	if (t == DT_BOOL || (dtype_is_int(t) && !dtype_is_unsigned(t)))
		return DT_INT64;
	return dtype_is_unsigned(t) ? DT_UINT64 : t;
}

/* The axis argument of reduce/accumulate: default 0 (not None). */
static PyExpr *
axis_or_zero(Lower *L, PyExpr *call, int i)
{
	PyExpr *e = arg_expr(call, i, "axis");
	if (e)
		return e;
	PyExpr *z = arena_alloc(L->a, sizeof(*z));
	z->kind = PE_INT;
	z->loc = call->loc;
	z->height = 1;
	return z;
}

static Value *
ufunc_reduce(Lower *L, IrOp op, const char *uf, PyExpr *call)
{
	static const char *const kws[] = { "axis", "keepdims", NULL };
	lw_check_args(L, call, "reduce", 1, 2, kws);
	Value *x = array_arg(L, call->items.data[0], call->loc);
	Wcr w = op == OP_ADD ? WCR_SUM : op == OP_MUL ? WCR_PROD : op == OP_MAX ? WCR_MAX
	      : op == OP_MIN ? WCR_MIN : op == OP_AND ? WCR_MIN : op == OP_OR ? WCR_MAX : WCR_NONE;
	if (w == WCR_NONE)
		lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s.reduce", uf));
	if (op == OP_AND || op == OP_OR)
		x = lw_cast(L, x, DT_BOOL);
	return lw_reduce(L, w, x, axis_or_zero(L, call, 1), bool_kw(L, call, "keepdims"), call->loc);
}

static Value *
ufunc_accumulate(Lower *L, IrOp op, const char *uf, PyExpr *call)
{
	static const char *const kws[] = { "axis", NULL };
	lw_check_args(L, call, "accumulate", 1, 2, kws);
	Value *x = array_arg(L, call->items.data[0], call->loc);
	if (op != OP_ADD && op != OP_MUL && op != OP_MAX && op != OP_MIN)
		lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s.accumulate", uf));
	if (x->ndim == 0)
		diag_fatal(L->ctx, call->loc, "cannot accumulate a 0-d array");
	PyExpr *ax = axis_or_zero(L, call, 1);
	bool none;
	int d = optional_axis(L, ax, x->ndim, &none);
	if (none)
		lw_unsupported(L, ax->loc, "accumulate with axis=None");
	return accumulate(L, op, x, d, upcast_dtype(op, x->dtype), call->loc);
}

/* np.<ufunc>.outer(a, b): op(a[..., None, ...], b) of shape a.shape + b.shape. */
static Value *
ufunc_outer(Lower *L, IrOp op, int nargs, const char *uf, PyExpr *call)
{
	lw_check_args(L, call, "outer", 2, 2, NULL);
	if (nargs != 2)
		diag_fatal(L->ctx, call->loc, "outer product only supported for binary functions "
			   "(np.%s takes one argument)", uf);
	Value *x = array_arg(L, call->items.data[0], call->loc);
	Value *y = array_arg(L, call->items.data[1], call->loc);
	int m = x->ndim + y->ndim;
	if (m > MAX_DIMS)
		lw_unsupported(L, call->loc, "arrays of more than 16 dimensions");
	Sym **w = lw_syms(L, m);
	for (int j = 0; j < m; j++)
		w[j] = j < x->ndim ? x->shape[j] : sym_const(L->a, 1);
	return lw_binary(L, op, reshape_to(L, x, m, w, call->loc), y, call->loc, uf);
}

/* The subscript a[idx] of np.<uf>.at(a, idx, b): idx is one index or a
 * tuple of them, one per dimension. */
static Value *
at_target(Lower *L, const char *uf, PyExpr *call)
{
	PyExpr *ae = call->items.data[0], *ie = call->items.data[1];
	Value *a = lw_eval(L, ae);
	if (a->kind != V_ARRAY || a->ndim == 0)
		diag_fatal(L->ctx, ae->loc, "np.%s.at updates an array in place: its first argument "
			   "must be an array", uf);
	if (a->readonly)
		diag_fatal(L->ctx, ae->loc, "assignment destination is read-only (as np.diagonal's "
			   "result is in NumPy)");
	if (a->dtype == DT_BOOL)
		lw_unsupported(L, ae->loc, arena_printf(L->a, "np.%s.at on a bool array", uf));
	PyExpr *sub = arena_alloc(L->a, sizeof(*sub));
	*sub = (PyExpr){ .kind = PE_SUBSCRIPT, .loc = ie->loc, .lhs = ae, .height = ie->height + 1 };
	if (ie->kind == PE_TUPLE)
		sub->items = ie->items;
	else
		vec_push(L->a, &sub->items, ie);
	return lw_subscript(L, a, sub);
}

/* np.<uf>.at(a, idx, b) for add, subtract, multiply, maximum, minimum:
 * a[idx] op= b unbuffered (an index listed k times applies op k times),
 * as the scatter of b into a's elements at the data-dependent indices
 * with the write-conflict resolution of op, in a sequential map. */
static Value *
ufunc_at(Lower *L, IrOp op, const char *uf, PyExpr *call)
{
	lw_check_args(L, call, "at", 3, 3, NULL);
	Wcr w = op == OP_ADD || op == OP_SUB ? WCR_SUM : op == OP_MUL ? WCR_PROD
	      : op == OP_MAX ? WCR_MAX : op == OP_MIN ? WCR_MIN : WCR_NONE;
	if (w == WCR_NONE)
		lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s.at (only add, subtract, "
				   "multiply, maximum and minimum)", uf));
	Value *dst = at_target(L, uf, call);
	Value *b = array_arg(L, call->items.data[2], call->loc);
	DType t = lw_result_dtype(dst, b);
	if (!dtype_same_kind(t, dst->dtype))
		diag_fatal(L->ctx, call->loc, "cannot cast the result of np.%s.at from %s to %s "
			   "(NumPy's same_kind rule)", uf, dtype_name(t), dtype_name(dst->dtype));
	if ((w == WCR_MAX || w == WCR_MIN) && dtype_is_complex(dst->dtype))
		lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s.at on complex arrays", uf));
	if (dst->kind == V_MASKED)   /* a mask selects each element once */
		lw_store(L, dst, lw_binary(L, op, dst, b, call->loc, uf), WCR_NONE, call->loc);
	else
		lw_store(L, dst, op == OP_SUB ? lw_unary(L, OP_NEG, b, call->loc) : b, w, call->loc);
	return lw_value_new(L, V_NONE, call->loc);
}

/* ---- dispatch ---- */

Value *
lw_ufunc_method(Lower *L, IrOp op, int nargs, const char *uf, const char *m, PyExpr *call)
{
	if (strcmp(m, "outer") == 0)
		return ufunc_outer(L, op, nargs, uf, call);
	if (nargs == 2 && strcmp(m, "reduce") == 0)
		return ufunc_reduce(L, op, uf, call);
	if (nargs == 2 && strcmp(m, "accumulate") == 0)
		return ufunc_accumulate(L, op, uf, call);
	if (nargs == 2 && strcmp(m, "at") == 0)
		return ufunc_at(L, op, uf, call);
	lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s.%s", uf, m));
}

static Value *
call_squeeze_like(Lower *L, const char *fn, Value *x, PyExpr *call, int first)
{
	static const char *const kws[] = { "axis", NULL };
	bool expand = fn[0] == 'e';
	lw_check_args(L, call, fn, first, first + 1, kws);
	PyExpr *ax = arg_expr(call, first, "axis");
	if (expand && !ax)
		diag_fatal(L->ctx, call->loc, "expand_dims() needs an axis");
	if (expand)
		return call_expand_dims(L, x, ax);
	return call_squeeze(L, x, ax, call->loc);
}

/* np.roll(a, shift, axis): out[..., i, ...] = a[..., (i - shift) mod n,
 * ...], read lazily (no copy until assigned); shift an integer known at
 * compile time or a size/loop symbol, NumPy's modulo semantics for any
 * sign. Without axis, a must be 1-D (NumPy rolls the flattened array). */
static Value *
call_roll(Lower *L, PyExpr *call)
{
	static const char *const kws[] = { "shift", "axis", NULL };
	lw_check_args(L, call, "roll", 1, 3, kws);
	Value *x = array_arg(L, call->items.data[0], call->loc);
	PyExpr *se = arg_expr(call, 1, "shift"), *ae = arg_expr(call, 2, "axis");
	if (!se)
		diag_fatal(L->ctx, call->loc, "roll() needs a shift");
	Value *av = ae ? lw_eval(L, ae) : NULL;
	if ((!av || av->kind == V_NONE) && x->ndim != 1)
		lw_unsupported(L, call->loc, "np.roll without axis of an array of more than one "
			       "dimension");
	int axis = av && av->kind != V_NONE ? axis_arg(L, ae, x->ndim) : 0;
	Sym *k = lw_as_sym(L, lw_eval(L, se), se->loc, "roll() shift");
	Sym **to = lw_syms(L, x->ndim);
	for (int d = 0; d < x->ndim; d++)
		to[d] = lw_iter_sym(L, d);
	Sym *n = x->shape[axis];
	to[axis] = sym_mod(L->a, sym_sub(L->a, lw_iter_sym(L, axis), k), n);
	return relabel(L, x, to, x->ndim, x->shape);
}

Value *
lw_shape_function(Lower *L, const char *fn, PyExpr *call)
{
	static const char *const joins[] = { "concatenate", "stack", "hstack", "vstack",
		"column_stack", NULL };
	for (const char *const *j = joins; *j; j++)
		if (strcmp(*j, fn) == 0)
			return call_join(L, fn, call);
	if (strcmp(fn, "triu") == 0 || strcmp(fn, "tril") == 0)
		return call_tri(L, fn, call);
	if (strcmp(fn, "eye") == 0 || strcmp(fn, "identity") == 0)
		return call_eye(L, fn, call);
	if (strcmp(fn, "array") == 0)
		return call_array(L, call);
	if (strcmp(fn, "fmin") == 0 || strcmp(fn, "fmax") == 0)
		return call_fminmax(L, fn, call);
	if (strcmp(fn, "roll") == 0)
		return call_roll(L, call);
	bool self_fn = strcmp(fn, "reshape") == 0 || strcmp(fn, "ravel") == 0 ||
		       strcmp(fn, "squeeze") == 0 || strcmp(fn, "expand_dims") == 0 ||
		       strcmp(fn, "argmin") == 0 || strcmp(fn, "argmax") == 0 ||
		       strcmp(fn, "broadcast_to") == 0;
	if (!self_fn)
		return NULL;
	if (call->items.len < 1)
		diag_fatal(L->ctx, call->loc, "%s() needs an array argument", fn);
	Value *x = array_arg(L, call->items.data[0], call->loc);
	if (strcmp(fn, "broadcast_to") == 0) {
		static const char *const kws[] = { "shape", NULL };
		lw_check_args(L, call, fn, 1, 2, kws);
		PyExpr *sh = arg_expr(call, 1, "shape");
		if (!sh)
			diag_fatal(L->ctx, call->loc, "broadcast_to() needs a shape");
		return call_broadcast_to(L, x, sh, call->loc);
	}
	return lw_shape_method(L, x, fn, call);
}

/* Methods, and the functions that take the array first (first == 1). */
static Value *
shape_method(Lower *L, Value *x, const char *m, PyExpr *call, int first)
{
	if (strcmp(m, "reshape") == 0)
		return call_reshape(L, x, call, first);
	if (strcmp(m, "ravel") == 0 || strcmp(m, "flatten") == 0) {
		static const char *const kws[] = { "order", NULL };
		lw_check_args(L, call, m, first, first, kws);
		PyExpr *order = lw_kwarg(call, "order");
		if (order && (order->kind != PE_STR || strcmp(order->str, "C") != 0))
			lw_unsupported(L, order->loc, "orders other than 'C'");
		return call_ravel(L, x, call, m[0] == 'f');
	}
	if (strcmp(m, "squeeze") == 0 || strcmp(m, "expand_dims") == 0)
		return call_squeeze_like(L, m, x, call, first);
	if (strcmp(m, "argmin") == 0 || strcmp(m, "argmax") == 0)
		return call_arg_best(L, x, call, first, m[4] == 'a');
	return NULL;
}

Value *
lw_shape_method(Lower *L, Value *x, const char *m, PyExpr *call)
{
	if (!lw_is_numeric(x))
		diag_fatal(L->ctx, call->loc, "expected a number or an array");
	bool fn = call->lhs->kind == PE_ATTR && lw_is_np_name(L, call->lhs->lhs);
	if (!fn && strcmp(m, "expand_dims") == 0)
		return NULL;   /* a function only */
	return shape_method(L, x, m, call, fn ? 1 : 0);
}
