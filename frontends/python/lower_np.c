/* frontends/python/lower_np.c — NumPy functions, methods and attributes.
 *
 * Ufuncs (np.sqrt, np.maximum, ...) build lazy elementwise values.
 * Reductions (np.sum, np.max, ... with axis and keepdims) become two states:
 * a fill of the result with the reduction's identity, and a map over the
 * operand whose write carries write-conflict resolution (WCR). np.dot and @
 * become a matmul library node. Creation functions make a fresh transient.
 * Anything else is reported by name at its location.
 */
#include <math.h>
#include <string.h>

#include "lower.h"

typedef struct Args {
	int n;
	PyExpr **pos;
	PyExpr *call;
} Args;

PyExpr *
lw_kwarg(PyExpr *call, const char *name)
{
	for (int i = 0; i < call->kwnames.len; i++)
		if (strcmp(call->kwnames.data[i], name) == 0)
			return call->kwvalues.data[i];
	return NULL;
}

void
lw_check_args(Lower *L, PyExpr *call, const char *fname, int min, int max, const char *const *kws)
{
	int n = call->items.len;
	if (n < min || n > max)
		diag_fatal(L->ctx, call->loc, "%s() takes %s%d positional argument%s but %d %s given",
			   fname, min == max ? "" : min ? "from " : "at most ", min == max ? min : max,
			   (min == max ? min : max) == 1 ? "" : "s", n, n == 1 ? "was" : "were");
	for (int i = 0; i < n; i++)
		if (call->items.data[i]->kind == PE_STARRED)
			lw_unsupported(L, call->items.data[i]->loc, "'*' arguments");
	for (int i = 0; i < call->kwnames.len; i++) {
		bool ok = false;
		for (const char *const *k = kws; k && *k; k++)
			ok = ok || strcmp(*k, call->kwnames.data[i]) == 0;
		if (!ok)
			diag_fatal(L->ctx, call->kwvalues.data[i]->loc,
				   "%s() got an unexpected or unsupported keyword argument '%s'",
				   fname, call->kwnames.data[i]);
	}
}

static Value *
arg(Lower *L, PyExpr *call, int i, const char *kw)
{
	if (i < call->items.len)
		return lw_eval(L, call->items.data[i]);
	PyExpr *k = kw ? lw_kwarg(call, kw) : NULL;
	return k ? lw_eval(L, k) : NULL;
}

static Value *
numeric(Lower *L, Value *v, SrcLoc loc)
{
	if (v && v->kind == V_MASKED)
		return lw_masked_keep(L, v, v->loc);
	if (!v || !lw_is_numeric(v))
		diag_fatal(L->ctx, loc, "expected a number or an array");
	return v;
}

/* ---- ufuncs ---- */

typedef struct Ufunc {
	const char *name;
	IrOp op;
	int nargs;
} Ufunc;

static const Ufunc ufuncs[] = {
	{ "sqrt", OP_SQRT, 1 },  { "exp", OP_EXP, 1 },     { "log", OP_LOG, 1 },
	{ "sin", OP_SIN, 1 },    { "cos", OP_COS, 1 },     { "tan", OP_TAN, 1 },
	{ "tanh", OP_TANH, 1 },  { "abs", OP_ABS, 1 },     { "absolute", OP_ABS, 1 },
	{ "negative", OP_NEG, 1 },
	{ "power", OP_POW, 2 },  { "add", OP_ADD, 2 },     { "subtract", OP_SUB, 2 },
	{ "multiply", OP_MUL, 2 }, { "divide", OP_DIV, 2 }, { "true_divide", OP_DIV, 2 },
	{ "floor_divide", OP_FLOORDIV, 2 }, { "mod", OP_MOD, 2 }, { "remainder", OP_MOD, 2 },
	{ "maximum", OP_MAX, 2 }, { "minimum", OP_MIN, 2 },
	{ "less", OP_LT, 2 }, { "less_equal", OP_LE, 2 }, { "greater", OP_GT, 2 },
	{ "greater_equal", OP_GE, 2 }, { "equal", OP_EQ, 2 }, { "not_equal", OP_NE, 2 },
	{ "logical_and", OP_AND, 2 }, { "logical_or", OP_OR, 2 }, { "logical_not", OP_NOT, 1 },
	{ "floor", OP_FLOOR, 1 }, { "ceil", OP_CEIL, 1 }, { "trunc", OP_TRUNC, 1 },
	{ "rint", OP_RINT, 1 }, { "arcsin", OP_ASIN, 1 }, { "arccos", OP_ACOS, 1 },
	{ "arctan", OP_ATAN, 1 }, { "sinh", OP_SINH, 1 }, { "cosh", OP_COSH, 1 },
	{ "arcsinh", OP_ASINH, 1 }, { "arccosh", OP_ACOSH, 1 }, { "arctanh", OP_ATANH, 1 },
	{ "exp2", OP_EXP2, 1 }, { "expm1", OP_EXPM1, 1 }, { "log2", OP_LOG2, 1 },
	{ "log10", OP_LOG10, 1 }, { "log1p", OP_LOG1P, 1 }, { "cbrt", OP_CBRT, 1 },
	{ "hypot", OP_HYPOT, 2 }, { "arctan2", OP_ATAN2, 2 }, { "sign", OP_SIGN, 1 },
	{ "isnan", OP_ISNAN, 1 }, { "isinf", OP_ISINF, 1 }, { "isfinite", OP_ISFINITE, 1 },
	{ "bitwise_and", OP_BITAND, 2 }, { "bitwise_or", OP_BITOR, 2 },
	{ "bitwise_xor", OP_BITXOR, 2 }, { "invert", OP_BITNOT, 1 },
	{ "left_shift", OP_SHL, 2 }, { "right_shift", OP_SHR, 2 },
	/* math's names for the same functions */
	{ "fabs", OP_ABS, 1 }, { "asin", OP_ASIN, 1 }, { "acos", OP_ACOS, 1 },
	{ "atan", OP_ATAN, 1 }, { "atan2", OP_ATAN2, 2 }, { "asinh", OP_ASINH, 1 },
	{ "acosh", OP_ACOSH, 1 }, { "atanh", OP_ATANH, 1 },
	/* complex parts (np.real, np.imag and np.angle are functions, not ufuncs) */
	{ "real", OP_REAL, 1 }, { "imag", OP_IMAG, 1 }, { "conj", OP_CONJ, 1 },
	{ "conjugate", OP_CONJ, 1 }, { "angle", OP_ANGLE, 1 },
};

/* Does dfc compute op on complex operands? NumPy itself refuses floor,
 * ceil, trunc, //, %, hypot, arctan2, cbrt and the bitwise operators on
 * complex numbers; rint, sign, exp2, expm1, log2, log10 and log1p it has,
 * but dfc does not compile them yet. */
static bool
complex_op_ok(IrOp op)
{
	switch (op) {
	case OP_FLOOR: case OP_CEIL: case OP_TRUNC: case OP_RINT: case OP_FLOORDIV:
	case OP_MOD: case OP_HYPOT: case OP_ATAN2: case OP_CBRT: case OP_SIGN:
	case OP_EXP2: case OP_EXPM1: case OP_LOG2: case OP_LOG10: case OP_LOG1P:
	case OP_BITAND: case OP_BITOR: case OP_BITXOR: case OP_BITNOT: case OP_SHL:
	case OP_SHR:
		return false;
	default:
		return true;
	}
}

/* The float dtype a math function of integers (or booleans) of dtype t
 * computes in: NumPy picks the smallest float that holds every value
 * (float32 for int16/uint16, float64 from 32 bits on); Python's math module
 * always gives float64. NumPy's float16 (for bool, int8, uint8) dfc does
 * not have: a located error. */
static DType
int_math_dtype(Lower *L, PyExpr *call, const char *name, DType t)
{
	PyExpr *f = call->lhs;
	Binding *b = f->kind == PE_ATTR && f->lhs->kind == PE_NAME ? lw_lookup(L, f->lhs->id) : NULL;
	if ((b && b->val && b->val->kind == V_MODULE && b->val->ival == 1) || dtype_size(t) >= 4)
		return DT_FLOAT64;
	if (dtype_size(t) == 2)
		return DT_FLOAT32;
	diag_fatal(L->ctx, call->loc, "np.%s of %s values gives float16 in NumPy, which dfc does "
		   "not support; convert first (e.g. x.astype(np.float32))", name, dtype_name(t));
}

static Value *
call_ufunc(Lower *L, const Ufunc *u, PyExpr *call)
{
	lw_check_args(L, call, u->name, u->nargs, u->nargs, NULL);
	Value *x = numeric(L, arg(L, call, 0, NULL), call->loc);
	Value *y = u->nargs == 2 ? numeric(L, arg(L, call, 1, NULL), call->loc) : NULL;
	if ((dtype_is_complex(x->dtype) || (y && dtype_is_complex(y->dtype))) &&
	    !complex_op_ok(u->op))
		lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s of complex numbers", u->name));
	if (ir_op_class(u->op) == OPC_FN && u->op != OP_DIV) {
		DType t = y ? lw_result_dtype(x, y) : x->dtype;
		if (!dtype_is_float(t) && !dtype_is_complex(t)) {
			t = int_math_dtype(L, call, u->name, t);
			x = lw_cast(L, x, t);
			y = y ? lw_cast(L, y, t) : NULL;
		}
	}
	if (u->nargs == 1)
		return lw_unary(L, u->op, x, call->loc);
	return lw_binary(L, u->op, x, y, call->loc, u->name);
}

/* ---- reductions ---- */

typedef struct Reduction {
	const char *name;
	Wcr wcr;
	bool mean;
} Reduction;

static const Reduction reductions[] = {
	{ "sum", WCR_SUM, false }, { "prod", WCR_PROD, false }, { "max", WCR_MAX, false },
	{ "amax", WCR_MAX, false }, { "min", WCR_MIN, false }, { "amin", WCR_MIN, false },
	{ "mean", WCR_SUM, true },
	{ "any", WCR_MAX, false }, { "all", WCR_MIN, false },
};

/* The axes set by an `axis` argument (NULL: all). */
static void
reduce_axes(Lower *L, PyExpr *axis, int ndim, bool *red)
{
	for (int d = 0; d < ndim; d++)
		red[d] = axis == NULL;
	if (!axis)
		return;
	Value *v = lw_eval(L, axis);
	if (v->kind == V_NONE) {
		for (int d = 0; d < ndim; d++)
			red[d] = true;
		return;
	}
	int n = v->kind == V_TUPLE ? v->n : 1;
	for (int i = 0; i < n; i++) {
		Value *it = v->kind == V_TUPLE ? v->items[i] : v;
		int64_t k;
		if (!sym_is_const(lw_as_sym(L, it, axis->loc, "axis"), &k))
			diag_fatal(L->ctx, axis->loc, "axis must be an integer constant");
		if (k < -ndim || k >= ndim)
			diag_fatal(L->ctx, axis->loc, "axis %lld is out of bounds for an array of "
				   "dimension %d", (long long)k, ndim);
		if (red[k < 0 ? k + ndim : k])
			diag_fatal(L->ctx, axis->loc, "duplicate value in 'axis'");
		red[k < 0 ? k + ndim : k] = true;
	}
}

static DType
reduce_dtype(Wcr op, DType t)
{
	if (op == WCR_SUM || op == WCR_PROD) {
		if (t == DT_BOOL || (dtype_is_int(t) && !dtype_is_unsigned(t)))
			return DT_INT64;
		if (dtype_is_unsigned(t))
			return DT_UINT64;
	}
	return t;
}

static Value *
identity(Lower *L, Wcr op, DType t, SrcLoc loc)
{
	if (op == WCR_SUM)
		return lw_const_int(L, 0, loc);
	if (op == WCR_PROD)
		return lw_const_int(L, 1, loc);
	if (dtype_is_complex(t)) {   /* NumPy orders complex numbers lexicographically */
		double inf = op == WCR_MAX ? -INFINITY : INFINITY;
		return lw_const_complex(L, inf, inf, loc);
	}
	if (dtype_is_float(t))
		return lw_const_float(L, op == WCR_MAX ? -INFINITY : INFINITY, loc);
	if (t == DT_BOOL)
		return lw_const_int(L, op == WCR_MAX ? 0 : 1, loc);
	int64_t lo, hi;
	dtype_int_range(t, &lo, &hi);
	if (t == DT_UINT64)
		hi = -1;   /* wraps to uint64's max */
	return lw_const_int(L, op == WCR_MAX ? lo : hi, loc);
}

Value *
lw_reduce(Lower *L, Wcr op, Value *x, PyExpr *axis, bool keepdims, SrcLoc loc)
{
	bool red[MAX_DIMS + 1];
	x = numeric(L, x, loc);
	if (x->ndim > MAX_DIMS)
		lw_unsupported(L, loc, "arrays of more than 16 dimensions");
	reduce_axes(L, axis, x->ndim, red);
	return lw_reduce_dims(L, op, x, red, keepdims, loc);
}

Value *
lw_reduce_dims(Lower *L, Wcr op, Value *x, const bool *red, bool keepdims, SrcLoc loc)
{
	Arena *a = L->a;
	Value *e = lw_to_expr(L, numeric(L, x, loc));
	int n = e->ndim, rn = 0;
	Sym **shape = arena_alloc(a, sizeof(Sym *) * (size_t)(n + 1));
	Sym **idx = arena_alloc(a, sizeof(Sym *) * (size_t)(n + 1));
	for (int d = 0; d < n; d++) {
		if (red[d] && !keepdims)
			continue;
		shape[rn] = red[d] ? sym_const(a, 1) : e->shape[d];
		idx[rn++] = red[d] ? sym_const(a, 0) : sym_var(a, arena_printf(a, "_i%d", d));
	}
	DType t = reduce_dtype(op, e->dtype);
	Value *rv = lw_new_array(L, op == WCR_SUM ? "sum" : op == WCR_PROD ? "prod"
				 : op == WCR_MAX ? "max" : "min", t, rn, shape, loc);
	lw_store(L, rv, identity(L, op, t, loc), WCR_NONE, loc);
	lw_emit_reduction(L, rv->data, idx, lw_cast(L, e, t), op, loc);
	return rv;
}

static Sym *
reduced_count(Lower *L, Value *x, PyExpr *axis)
{
	bool red[MAX_DIMS + 1];
	reduce_axes(L, axis, x->ndim, red);
	Sym *c = sym_const(L->a, 1);
	for (int d = 0; d < x->ndim; d++)
		if (red[d])
			c = sym_mul(L->a, c, x->shape[d]);
	return c;
}

static Value *
call_reduction(Lower *L, const Reduction *r, Value *self, PyExpr *call)
{
	static const char *const kws[] = { "axis", "keepdims", NULL };
	int base = self ? 0 : 1;
	lw_check_args(L, call, r->name, base, base + 2, kws);
	Value *x = self ? self : arg(L, call, 0, NULL);
	x = x && x->kind == V_MASKED ? x : numeric(L, x, call->loc);
	PyExpr *axis = call->items.len > base ? call->items.data[base] : lw_kwarg(call, "axis");
	PyExpr *kd = call->items.len > base + 1 ? call->items.data[base + 1] : lw_kwarg(call, "keepdims");
	bool keep = false;
	if (kd) {
		Value *k = lw_eval(L, kd);
		if (k->kind != V_CONST || k->dtype != DT_BOOL)
			diag_fatal(L->ctx, kd->loc, "keepdims must be True or False");
		keep = k->ival != 0;
	}
	if (x->kind == V_MASKED)
		return lw_masked_reduce(L, r->wcr, r->mean, r->name[0] == 'a' &&
					(r->name[1] == 'n' || r->name[1] == 'l'), x, axis, keep, call->loc);
	if (r->name[0] == 'a' && (r->name[1] == 'n' || r->name[1] == 'l'))
		x = lw_cast(L, x, DT_BOOL);   /* np.any / np.all */
	if (!r->mean)
		return lw_reduce(L, r->wcr, x, axis, keep, call->loc);
	DType t = dtype_is_float(x->dtype) || dtype_is_complex(x->dtype) ? x->dtype : DT_FLOAT64;
	Value *s = lw_reduce(L, WCR_SUM, lw_cast(L, x, t), axis, keep, call->loc);
	Value *cnt = lw_sym_value(L, reduced_count(L, x, axis), call->loc);
	return lw_binary(L, OP_DIV, s, lw_cast(L, cnt, t), call->loc, "mean");
}

/* ---- matmul ---- */

/* Is v a transposed 2-D view whose transpose is a memlet subset with unit
 * step along its rows (A.T, A[1:, :5].T, np.transpose(A))? Then *s is that
 * subset, which a matmul reads with its transpose flag (BLAS's Trans). */
static bool
transposed_subset(Lower *L, const Value *v, Subset *s)
{
	if (v->kind != V_ARRAY || v->ndim != 2)
		return false;
	Value t = *v;
	t.shape = arena_alloc(L->a, sizeof(Sym *) * 2);
	t.shape[0] = v->shape[1], t.shape[1] = v->shape[0];
	t.map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(v->cdim + 1));
	for (int c = 0; c < v->cdim; c++) {
		t.map[c] = v->map[c];
		if (t.map[c].vdim >= 0)
			t.map[c].vdim = 1 - t.map[c].vdim;
	}
	if (!lw_view_subset(L, &t, s))
		return false;
	int64_t step;
	for (int c = 0; c < v->cdim; c++)
		if (t.map[c].vdim == 1 && !(sym_is_const(t.map[c].step, &step) && step == 1))
			return false;
	return true;
}

/* A matmul operand as the subset its memlet reads: the view itself, its
 * transpose (*trans set), or a materialised copy. */
static Value *
as_subset_view(Lower *L, Value *v, Subset *s, bool *trans, SrcLoc loc)
{
	v = numeric(L, v, loc);
	*trans = false;
	if (v->kind == V_ARRAY && lw_view_subset(L, v, s))
		return v;
	if (transposed_subset(L, v, s)) {
		*trans = true;
		return v;
	}
	v = lw_materialize(L, v, "tmp");
	lw_view_subset(L, v, s);
	return v;
}

Value *
lw_matmul(Lower *L, Value *x, Value *y, SrcLoc loc)
{
	Arena *a = L->a;
	if (x->ndim == 0 || y->ndim == 0)
		return lw_binary(L, OP_MUL, x, y, loc, "dot");
	if (x->ndim > 2 || y->ndim > 2)
		return lw_matmul_batched(L, x, y, loc);
	Sym *kx = x->shape[x->ndim - 1], *ky = y->shape[y->ndim == 2 ? 0 : 0];
	if (!lw_require_equal(L, kx, ky, loc))
		diag_fatal(L->ctx, loc, "shapes %s and %s are not aligned for a matrix product: "
			   "%s != %s", lw_shape_str(L, x->ndim, x->shape),
			   lw_shape_str(L, y->ndim, y->shape), sym_print(a, kx), sym_print(a, ky));
	DType t = dtype_promote(x->dtype, y->dtype);
	Subset sa, sb;
	bool ta, tb;
	x = as_subset_view(L, lw_cast(L, x, t), &sa, &ta, loc);
	y = as_subset_view(L, lw_cast(L, y, t), &sb, &tb, loc);
	Sym *shape[2];
	int n = 0;
	if (x->ndim == 2)
		shape[n++] = x->shape[0];
	if (y->ndim == 2)
		shape[n++] = y->shape[1];
	Sym **sh = arena_alloc(a, sizeof(Sym *) * 2);
	memcpy(sh, shape, sizeof(Sym *) * (size_t)n);
	Value *r = lw_new_array(L, "prod", t, n, sh, loc);
	const char *c = r->data;
	IrState *s = lw_new_state(L, loc);
	int lib = ir_state_add_library(L->ctx, s, LIB_MATMUL, loc);
	s->nodes.data[lib].lib.trans[0] = ta;
	s->nodes.data[lib].lib.trans[1] = tb;
	int ax = ir_state_add_access(L->ctx, s, x->data, loc);
	int ay = y->data == x->data ? ax : ir_state_add_access(L->ctx, s, y->data, loc);
	int ac = ir_state_add_access(L->ctx, s, c, loc);
	ir_state_add_memlet(L->ctx, s, ax, NULL, lib, "_a", x->data, sa, WCR_NONE, loc);
	ir_state_add_memlet(L->ctx, s, ay, NULL, lib, "_b", y->data, sb, WCR_NONE, loc);
	Subset sc;
	lw_view_subset(L, r, &sc);
	ir_state_add_memlet(L->ctx, s, lib, "_c", ac, NULL, c, sc, WCR_NONE, loc);
	return r;
}

/* np.dot: np.matmul where the two agree (b at most 2-D). */
static Value *
dot(Lower *L, Value *x, Value *y, SrcLoc loc)
{
	if (y->ndim > 2)
		diag_fatal(L->ctx, loc, "np.dot with a second operand of more than 2 dimensions "
			   "is not supported (np.matmul and @ are)");
	return lw_matmul(L, x, y, loc);
}

/* ---- creation ---- */

bool
lw_dtype_of(Lower *L, PyExpr *e, DType *t)
{
	if (!e)
		return false;
	Value *v = lw_eval(L, e);
	if (v->kind != V_DTYPE)
		diag_fatal(L->ctx, e->loc, "expected a dtype such as np.float64");
	*t = v->dtype;
	return true;
}

static int
shape_arg(Lower *L, PyExpr *e, Sym ***shape)
{
	Value *v = lw_eval(L, e);
	int n = v->kind == V_TUPLE ? v->n : 1;
	*shape = arena_alloc(L->a, sizeof(Sym *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		Value *it = v->kind == V_TUPLE ? v->items[i] : v;
		(*shape)[i] = lw_as_size(L, it, e->loc, "array size");
		if (sym_lt((*shape)[i], sym_const(L->a, 0)) == T_TRUE)
			diag_fatal(L->ctx, e->loc, "negative dimensions are not allowed");
	}
	return n;
}

static Value *
call_create(Lower *L, const char *fn, PyExpr *call)
{
	static const char *const kws[] = { "dtype", "shape", "fill_value", NULL };
	bool like = strstr(fn, "_like") != NULL, full = strncmp(fn, "full", 4) == 0;
	lw_check_args(L, call, fn, 1, full ? 3 : 2, kws);
	DType t = DT_FLOAT64;
	int n;
	Sym **shape;
	PyExpr *dt = call->items.len > (full ? 2 : 1) ? call->items.data[full ? 2 : 1]
						       : lw_kwarg(call, "dtype");
	Value *fillv = full ? arg(L, call, 1, "fill_value") : NULL;
	if (full && !fillv)
		diag_fatal(L->ctx, call->loc, "%s() needs a fill value", fn);
	if (like) {
		Value *src = numeric(L, arg(L, call, 0, NULL), call->loc);
		t = src->dtype;
		n = src->ndim;
		shape = src->shape;
	} else {
		n = shape_arg(L, call->items.data[0], &shape);
		if (full && !dt)
			t = fillv->dtype == DT_BOOL ? DT_BOOL : dtype_is_int(fillv->dtype) ? DT_INT64 : fillv->dtype;
	}
	lw_dtype_of(L, dt, &t);
	Value *v = lw_new_array(L, "arr", t, n, shape, call->loc);
	if (strncmp(fn, "zeros", 5) == 0)
		lw_store(L, v, lw_const_int(L, 0, call->loc), WCR_NONE, call->loc);
	else if (strncmp(fn, "ones", 4) == 0)
		lw_store(L, v, lw_const_int(L, 1, call->loc), WCR_NONE, call->loc);
	else if (full)
		lw_store(L, v, numeric(L, fillv, call->loc), WCR_NONE, call->loc);
	return v;
}

static bool
dtype_name_of(const char *s, DType *t)
{
	if (strcmp(s, "float_") == 0 || strcmp(s, "double") == 0) {
		*t = DT_FLOAT64;
		return true;
	}
	if (strcmp(s, "bool_") == 0) {
		*t = DT_BOOL;
		return true;
	}
	if (strcmp(s, "complex_") == 0 || strcmp(s, "cdouble") == 0 || strcmp(s, "csingle") == 0) {
		*t = s[1] == 's' ? DT_COMPLEX64 : DT_COMPLEX128;
		return true;
	}
	return dtype_from_name(s, t);
}

/* ---- views ---- */

/* x as a view (materialised first if it is a computed value). */
static Value *
as_view(Lower *L, Value *x)
{
	return x->kind == V_ARRAY ? x : lw_materialize(L, x, "tmp");
}

/* The view of x whose dimension k is dimension perm[k] of x (perm NULL:
 * reversed, as .T). */
static Value *
permute(Lower *L, Value *x, const int *perm, SrcLoc loc)
{
	x = as_view(L, x);
	int n = x->ndim;
	Value *v = lw_value_new(L, V_ARRAY, loc);
	*v = *x;
	v->fresh = false;
	v->shape = arena_alloc(L->a, sizeof(Sym *) * (size_t)(n + 1));
	v->map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(x->cdim + 1));
	int *inv = arena_alloc(L->a, sizeof(int) * (size_t)(n + 1));
	for (int k = 0; k < n; k++) {
		int from = perm ? perm[k] : n - 1 - k;
		v->shape[k] = x->shape[from];
		inv[from] = k;
	}
	for (int c = 0; c < x->cdim; c++) {
		v->map[c] = x->map[c];
		if (x->map[c].vdim >= 0)
			v->map[c].vdim = inv[x->map[c].vdim];
	}
	return v;
}

/* An axis argument as a dimension of an n-D array. */
static int
axis_of(Lower *L, Value *a, int n, SrcLoc loc)
{
	int64_t k;
	if (!sym_is_const(lw_as_sym(L, a, loc, "axis"), &k) || k < -n || k >= n)
		diag_fatal(L->ctx, loc, "axis must be an integer constant in [-%d, %d)", n, n);
	return (int)(k < 0 ? k + n : k);
}

/* np.transpose(a[, axes]), a.transpose(...), np.swapaxes(a, i, j). */
static Value *
call_transpose(Lower *L, Value *x, PyExpr *call, int first, bool swap)
{
	int n = x->ndim, na = call->items.len - first;
	int *perm = arena_alloc(L->a, sizeof(int) * (size_t)(n + 1));
	for (int k = 0; k < n; k++)
		perm[k] = swap ? k : n - 1 - k;
	if (swap) {
		if (na != 2)
			diag_fatal(L->ctx, call->loc, "swapaxes() takes an array and two axes");
		int i = axis_of(L, arg(L, call, first, NULL), n, call->loc);
		int j = axis_of(L, arg(L, call, first + 1, NULL), n, call->loc);
		perm[i] = j;
		perm[j] = i;
		return permute(L, x, perm, call->loc);
	}
	Value *ax = na == 1 ? arg(L, call, first, NULL) : lw_kwarg(call, "axes") ? lw_eval(L, lw_kwarg(call, "axes")) : NULL;
	if (na > 1) {
		ax = lw_value_new(L, V_TUPLE, call->loc);
		ax->n = na;
		ax->items = arena_alloc(L->a, sizeof(Value *) * (size_t)na);
		for (int k = 0; k < na; k++)
			ax->items[k] = arg(L, call, first + k, NULL);
	}
	if (ax && ax->kind != V_NONE) {
		if (ax->kind != V_TUPLE || ax->n != n)
			diag_fatal(L->ctx, call->loc, "axes must be a tuple of %d axes", n);
		bool seen[MAX_DIMS + 1] = { false };
		for (int k = 0; k < n; k++) {
			perm[k] = axis_of(L, ax->items[k], n, call->loc);
			if (seen[perm[k]])
				diag_fatal(L->ctx, call->loc, "repeated axis in transpose");
			seen[perm[k]] = true;
		}
	}
	return permute(L, x, perm, call->loc);
}

/* np.flip(a[, axis]), np.flipud, np.fliplr: views with negative steps. */
static Value *
flip(Lower *L, Value *x, int axis, SrcLoc loc)
{
	x = as_view(L, x);
	Value *v = lw_value_new(L, V_ARRAY, loc);
	*v = *x;
	v->fresh = false;
	v->map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(x->cdim + 1));
	for (int c = 0; c < x->cdim; c++) {
		DimMap m = x->map[c];
		if (m.vdim >= 0 && (axis < 0 || m.vdim == axis)) {
			Sym *last = sym_addc(L->a, x->shape[m.vdim], -1);
			m.start = sym_add(L->a, m.start, sym_mul(L->a, m.step, last));
			m.step = sym_neg(L->a, m.step);
		}
		v->map[c] = m;
	}
	return v;
}

/* np.diff's prepend or append value v for x: a scalar is broadcast to
 * x's shape with one element along axis, as NumPy does; an array is
 * joined as it is (np.concatenate checks its shape). */
static Value *
diff_edge(Lower *L, Value *v, Value *x, int axis, SrcLoc loc)
{
	v = numeric(L, v, loc);
	if (v->ndim != 0)
		return v;
	Sym **shape = lw_syms(L, x->ndim);
	memcpy(shape, x->shape, sizeof(Sym *) * (size_t)x->ndim);
	shape[axis] = sym_const(L->a, 1);
	return lw_broadcast_to(L, v, x->ndim, shape, loc);
}

/* np.diff(a, n=1, axis=-1, prepend, append): a[..., 1:] - a[..., :-1]
 * along axis, n times (!= for bools, as NumPy), of a joined with prepend
 * and append first; an extent of 0 stays 0. */
static Value *
call_diff(Lower *L, PyExpr *call, SrcLoc loc)
{
	static const char *const kws[] = { "n", "axis", "prepend", "append", NULL };
	lw_check_args(L, call, "diff", 1, 5, kws);
	Value *x = numeric(L, arg(L, call, 0, NULL), loc);
	Value *nv = arg(L, call, 1, "n"), *av = arg(L, call, 2, "axis");
	Value *pre = arg(L, call, 3, "prepend"), *app = arg(L, call, 4, "append");
	int64_t n = 1;
	if (nv && nv->kind != V_NONE &&
	    (!sym_is_const(lw_as_sym(L, nv, loc, "n"), &n) || n < 0))
		diag_fatal(L->ctx, loc, "np.diff's n must be an integer constant >= 0");
	if (x->ndim == 0)
		diag_fatal(L->ctx, loc, "np.diff needs an array of at least one dimension (NumPy "
			   "raises ValueError)");
	int axis = av && av->kind != V_NONE ? axis_of(L, av, x->ndim, loc) : x->ndim - 1;
	if (n > 0 && ((pre && pre->kind != V_NONE) || (app && app->kind != V_NONE))) {
		Value *xs[3];
		int k = 0;
		if (pre && pre->kind != V_NONE)
			xs[k++] = diff_edge(L, pre, x, axis, loc);
		xs[k++] = x;
		if (app && app->kind != V_NONE)
			xs[k++] = diff_edge(L, app, x, axis, loc);
		x = lw_concat(L, k, xs, axis, loc);
	}
	for (int64_t k = 0; k < n; k++) {
		Value *v = as_view(L, x);
		Sym *len = sym_max(L->a, sym_addc(L->a, v->shape[axis], -1), sym_const(L->a, 0));
		Value *hi = lw_narrow(L, v, axis, sym_const(L->a, 1), len);
		Value *lo = lw_narrow(L, v, axis, sym_const(L->a, 0), len);
		x = v->dtype == DT_BOOL ? lw_binary(L, OP_NE, hi, lo, loc, "!=")
					: lw_binary(L, OP_SUB, hi, lo, loc, "-");
	}
	return x;
}

/* The main diagonal of a 2-D view: both dimensions walk one view dim.
 * Read-only, as NumPy's (np.diag of a vector writes its own). */
static Value *
diagonal(Lower *L, Value *x, SrcLoc loc)
{
	if (x->ndim != 2)
		lw_unsupported(L, loc, "diagonals of arrays that are not 2-D");
	x = as_view(L, x);
	Value *v = lw_value_new(L, V_ARRAY, loc);
	*v = *x;
	v->fresh = false;
	v->ndim = 1;
	v->shape = arena_alloc(L->a, sizeof(Sym *));
	v->shape[0] = sym_min(L->a, x->shape[0], x->shape[1]);
	v->readonly = true;
	v->map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(x->cdim + 1));
	for (int c = 0; c < x->cdim; c++) {
		v->map[c] = x->map[c];
		if (x->map[c].vdim >= 0)
			v->map[c].vdim = 0;
	}
	return v;
}

/* The view of x with dimension d fixed at index k (x[..., k, ...]). */
Value *
lw_fix_dim(Lower *L, Value *x, int d, Sym *k, SrcLoc loc)
{
	Value *v = lw_value_new(L, V_ARRAY, loc);
	*v = *x;
	v->fresh = false;
	v->ndim = x->ndim - 1;
	v->shape = arena_alloc(L->a, sizeof(Sym *) * (size_t)(x->ndim + 1));
	for (int i = 0, j = 0; i < x->ndim; i++)
		if (i != d)
			v->shape[j++] = x->shape[i];
	v->map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(x->cdim + 1));
	for (int c = 0; c < x->cdim; c++) {
		DimMap m = x->map[c];
		if (m.vdim == d)
			m = (DimMap){ -1, sym_add(L->a, m.start, sym_mul(L->a, m.step, k)), m.step };
		else if (m.vdim > d)
			m.vdim--;
		v->map[c] = m;
	}
	return v;
}

/* np.cumsum / np.cumprod of the N-D x along axis d into a fresh array of
 * dtype t: a scan library node (ir/ir.h), which the backends run in
 * parallel over the dimensions before d. Its input is x's view as a
 * memlet subset of the same rank, or, when x is none (a computed value, a
 * transpose, a negative or symbolic step, an index into a bigger array),
 * a copy of x. */
static Value *
scan(Lower *L, Value *x, int d, DType t, bool prod, SrcLoc loc)
{
	Subset sx, sy;
	if (x->kind != V_ARRAY || x->cdim != x->ndim || !lw_view_subset(L, x, &sx)) {
		x = lw_materialize(L, x, "tmp");
		lw_view_subset(L, x, &sx);
	}
	Value *out = lw_new_array(L, prod ? "cumprod" : "cumsum", t, x->ndim, x->shape, loc);
	lw_view_subset(L, out, &sy);
	IrState *s = lw_new_state(L, loc);
	int lib = ir_state_add_library(L->ctx, s, LIB_SCAN, loc);
	s->nodes.data[lib].lib.axis = d;
	s->nodes.data[lib].lib.combine = prod ? WCR_PROD : WCR_SUM;
	int ax = ir_state_add_access(L->ctx, s, x->data, loc);
	int ay = ir_state_add_access(L->ctx, s, out->data, loc);
	ir_state_add_memlet(L->ctx, s, ax, NULL, lib, "_x", x->data, sx, WCR_NONE, loc);
	ir_state_add_memlet(L->ctx, s, lib, "_y", ay, NULL, out->data, sy, WCR_NONE, loc);
	return out;
}

/* np.cumsum / np.cumprod along an axis. Of an N-D array, along any axis,
 * and of a 1-D array whose view is a memlet subset of its container: a
 * scan node (along the first axis of an N-D array, the backend splits the
 * next dimension into one chunk per thread: one fork, where a loop of maps
 * over rows forked at every row, or, for rows under the fork threshold,
 * never; in 1-D one sequential loop whose running value stays in a
 * register, where a loop of the IR stores and reloads it at every
 * element). Of any other 1-D view (a row A[i, :], a reversed slice),
 * which the scan node would copy first: a sequential loop, out[k] =
 * out[k - 1] OP x[k], reading the view in place. */
static Value *
call_cumulative(Lower *L, Value *x, PyExpr *axis, bool prod, SrcLoc loc)
{
	Arena *a = L->a;
	int d = 0;
	if (axis) {
		Value *av = lw_eval(L, axis);
		if (av->kind != V_NONE)
			d = axis_of(L, av, x->ndim, loc);
		else if (x->ndim != 1)
			lw_unsupported(L, loc, "cumulative sums of a flattened N-D array (give axis=)");
	} else if (x->ndim != 1) {
		lw_unsupported(L, loc, "cumulative sums of a flattened N-D array (give axis=)");
	}
	DType t = x->dtype == DT_BOOL || (dtype_is_int(x->dtype) && !dtype_is_unsigned(x->dtype))
		  ? DT_INT64 : dtype_is_unsigned(x->dtype) ? DT_UINT64 : x->dtype;
	if (d > 0 || x->ndim > 1)
		return scan(L, x, d, t, prod, loc);
	x = as_view(L, x);
	Subset whole;
	if (x->cdim == x->ndim && lw_view_subset(L, x, &whole))
		return scan(L, x, d, t, prod, loc);
	Value *out = lw_new_array(L, prod ? "cumprod" : "cumsum", t, x->ndim, x->shape, loc);
	Sym *n = x->shape[d];
	IrBlockList *saved = L->blocks;
	Sym *k = lw_open_loop(L, "_k", n, loc);
	Value *xk = lw_cast(L, lw_fix_dim(L, x, d, k, loc), t);
	/* k == 0 reads out[max(k - 1, 0)] but takes x[0] alone. */
	Value *prev = lw_fix_dim(L, out, d, sym_max(a, sym_addc(a, k, -1), sym_const(a, 0)), loc);
	Value *first = lw_binary(L, OP_EQ, lw_sym_value(L, k, loc), lw_const_int(L, 0, loc), loc, "==");
	Value *step = lw_binary(L, prod ? OP_MUL : OP_ADD, prev, xk, loc, prod ? "*" : "+");
	lw_store(L, lw_fix_dim(L, out, d, k, loc), lw_where(L, first, xk, step, loc), WCR_NONE, loc);
	L->loops.len--;
	L->blocks = saved;
	return out;
}

/* ---- ranges ---- */

/* An integer (or float) value at compile time: symbols or literals. */
static bool
const_number(Value *v, double *f)
{
	if (v->kind == V_CONST) {
		*f = v->dtype == DT_FLOAT64 ? v->fval : (double)v->ival;
		return true;
	}
	return false;
}

/* np.arange(stop), (start, stop), (start, stop, step): a lazy value whose
 * element _i0 is start + step * _i0. Integer bounds may be sizes or loop
 * variables; float bounds must be literals (the length is then known). */
static Value *
call_arange(Lower *L, PyExpr *call)
{
	static const char *const kws[] = { "dtype", NULL };
	lw_check_args(L, call, "arange", 1, 3, kws);
	int n = call->items.len;
	Value *a0 = numeric(L, arg(L, call, 0, NULL), call->loc);
	Value *start = n > 1 ? a0 : lw_const_int(L, 0, call->loc);
	Value *stop = n > 1 ? numeric(L, arg(L, call, 1, NULL), call->loc) : a0;
	Value *step = n > 2 ? numeric(L, arg(L, call, 2, NULL), call->loc) : lw_const_int(L, 1, call->loc);
	Arena *a = L->a;
	Sym *len;
	DType t = DT_INT64;
	double f0, f1, fs;
	if (dtype_is_float(start->dtype) || dtype_is_float(stop->dtype) || dtype_is_float(step->dtype)) {
		if (!const_number(start, &f0) || !const_number(stop, &f1) || !const_number(step, &fs) || fs == 0)
			lw_unsupported(L, call->loc, "np.arange with float bounds that are not literals");
		double k = ceil((f1 - f0) / fs);
		len = sym_const(a, k > 0 ? (int64_t)k : 0);
		t = DT_FLOAT64;
	} else {
		Sym *b = lw_as_sym(L, start, call->loc, "start"), *e = lw_as_sym(L, stop, call->loc, "stop");
		Sym *st = lw_as_sym(L, step, call->loc, "step");
		int64_t c;
		if (!sym_is_const(st, &c) || c == 0)
			diag_fatal(L->ctx, call->loc, "np.arange's step must be a nonzero integer constant");
		Sym *span = c > 0 ? sym_addc(a, sym_sub(a, e, b), c - 1) : sym_addc(a, sym_sub(a, b, e), -c - 1);
		len = sym_floordiv(a, span, sym_const(a, c > 0 ? c : -c));
		if (!lw_provable_le(L, sym_const(a, 0), len))
			len = sym_max(a, len, sym_const(a, 0));
	}
	PyExpr *dt = lw_kwarg(call, "dtype");
	Value *i = lw_value_new(L, V_EXPR, call->loc);
	i->dtype = DT_INT64;
	i->ndim = 1;
	i->shape = arena_alloc(a, sizeof(Sym *));
	i->shape[0] = len;
	i->expr = ir_expr_sym(a, "_i0");
	Value *r = lw_binary(L, OP_ADD, start, lw_binary(L, OP_MUL, step, i, call->loc, "*"),
			     call->loc, "+");
	r = lw_cast(L, r, t);
	if (lw_dtype_of(L, dt, &t))
		r = lw_cast(L, r, t);
	return r;
}

/* np.linspace(start, stop, num): start + step * i, the last element
 * exactly stop (as NumPy sets it). */
static Value *
call_linspace(Lower *L, PyExpr *call)
{
	static const char *const kws[] = { "num", NULL };
	lw_check_args(L, call, "linspace", 2, 3, kws);
	Value *start = lw_cast(L, numeric(L, arg(L, call, 0, NULL), call->loc), DT_FLOAT64);
	Value *stop = lw_cast(L, numeric(L, arg(L, call, 1, NULL), call->loc), DT_FLOAT64);
	Value *num = arg(L, call, 2, "num");
	Sym *n = num ? lw_as_sym(L, num, call->loc, "num") : sym_const(L->a, 50);
	SrcLoc loc = call->loc;
	Value *i = lw_value_new(L, V_EXPR, loc);
	i->dtype = DT_INT64;
	i->ndim = 1;
	i->shape = arena_alloc(L->a, sizeof(Sym *));
	i->shape[0] = n;
	i->expr = ir_expr_sym(L->a, "_i0");
	Value *div = lw_sym_value(L, sym_max(L->a, sym_addc(L->a, n, -1), sym_const(L->a, 1)), loc);
	Value *step = lw_binary(L, OP_DIV, lw_binary(L, OP_SUB, stop, start, loc, "-"), div, loc, "/");
	Value *y = lw_binary(L, OP_ADD, lw_binary(L, OP_MUL, i, step, loc, "*"), start, loc, "+");
	Value *last = lw_binary(L, OP_EQ, i, lw_sym_value(L, sym_addc(L->a, n, -1), loc), loc, "==");
	return lw_where(L, last, stop, y, loc);
}

/* np.var / np.std: mean(|x - mean(x)|^2) over the axes, as NumPy computes
 * them, with ddof. */
static Value *
call_var(Lower *L, Value *x, PyExpr *call, int first, bool std)
{
	static const char *const kws[] = { "axis", "keepdims", "ddof", NULL };
	lw_check_args(L, call, std ? "std" : "var", first, first + 1, kws);
	PyExpr *axis = call->items.len > first ? call->items.data[first] : lw_kwarg(call, "axis");
	bool keep = false;
	PyExpr *kd = lw_kwarg(call, "keepdims");
	if (kd) {
		Value *k = lw_eval(L, kd);
		if (k->kind != V_CONST || k->dtype != DT_BOOL)
			diag_fatal(L->ctx, kd->loc, "keepdims must be True or False");
		keep = k->ival != 0;
	}
	PyExpr *dd = lw_kwarg(call, "ddof");
	Value *ddof = dd ? lw_eval(L, dd) : lw_const_int(L, 0, call->loc);
	if (dtype_is_complex(x->dtype))
		lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s of complex numbers",
							  std ? "std" : "var"));
	DType t = dtype_is_float(x->dtype) ? x->dtype : DT_FLOAT64;
	x = lw_cast(L, x, t);
	SrcLoc loc = call->loc;
	Value *m = lw_binary(L, OP_DIV, lw_reduce(L, WCR_SUM, x, axis, true, loc),
			     lw_cast(L, lw_sym_value(L, reduced_count(L, x, axis), loc), t), loc, "mean");
	Value *d = lw_binary(L, OP_SUB, x, lw_materialize(L, m, "mean"), loc, "-");
	Value *s = lw_reduce(L, WCR_SUM, lw_binary(L, OP_MUL, d, d, loc, "*"), axis, keep, loc);
	Value *n = lw_binary(L, OP_SUB, lw_sym_value(L, reduced_count(L, x, axis), loc), ddof, loc, "-");
	Value *v = lw_binary(L, OP_DIV, s, lw_cast(L, n, t), loc, "var");
	return std ? lw_unary(L, OP_SQRT, v, loc) : v;
}

/* The diagonal of x @ y for x of shape (n, m) and y of shape (m, n),
 * without the product: d[i] = sum_k x[i, k] y[k, i], n*m work where the
 * matmul does n*n*m. NULL where the shapes are not plainly those, or the
 * product is of bools (a logical one): the caller lowers the matmul. */
static Value *
matmul_diagonal(Lower *L, Value *x, Value *y, SrcLoc loc)
{
	bool arrays = (x->kind == V_ARRAY || x->kind == V_EXPR) &&
		      (y->kind == V_ARRAY || y->kind == V_EXPR);
	if (!arrays || x->ndim != 2 || y->ndim != 2 ||
	    x->dtype == DT_BOOL || y->dtype == DT_BOOL ||
	    !sym_equal(x->shape[0], y->shape[1]) || !sym_equal(x->shape[1], y->shape[0]))
		return NULL;
	int perm[2] = { 1, 0 };
	bool red[2] = { false, true };
	Value *p = lw_binary(L, OP_MUL, x, permute(L, y, perm, loc), loc, "@");
	Value *d = lw_reduce_dims(L, WCR_SUM, p, red, false, loc);
	d->readonly = true;
	return d;
}

/* np.diagonal(e), np.trace(e): a read-only view of e's diagonal, or of
 * e = x @ y the diagonal alone (matmul_diagonal). */
static Value *
diagonal_of(Lower *L, PyExpr *e, SrcLoc loc)
{
	if (e->kind != PE_BINOP || strcmp(e->op, "@") != 0)
		return diagonal(L, numeric(L, lw_eval(L, e), loc), loc);
	Value *x = lw_eval(L, e->lhs), *y = lw_eval(L, e->rhs);
	Value *d = matmul_diagonal(L, x, y, e->loc);
	return d ? d : diagonal(L, numeric(L, lw_matmul(L, x, y, e->loc), loc), loc);
}

/* Functions built from the others: var, std, count_nonzero, transpose,
 * swapaxes, flip, diff, diagonal, trace, diag, outer, vdot. NULL if fn is
 * none. */
static Value *
np_more(Lower *L, const char *fn, PyExpr *call)
{
	SrcLoc loc = call->loc;
	if (strcmp(fn, "var") == 0 || strcmp(fn, "std") == 0)
		return call_var(L, numeric(L, arg(L, call, 0, NULL), loc), call, 1, fn[0] == 's');
	if (strcmp(fn, "cumsum") == 0 || strcmp(fn, "cumprod") == 0) {
		static const char *const kws[] = { "axis", NULL };
		lw_check_args(L, call, fn, 1, 2, kws);
		PyExpr *axis = call->items.len > 1 ? call->items.data[1] : lw_kwarg(call, "axis");
		return call_cumulative(L, numeric(L, arg(L, call, 0, NULL), loc), axis,
				       fn[3] == 'p', loc);
	}
	if (strcmp(fn, "count_nonzero") == 0) {
		static const char *const kws[] = { "axis", "keepdims", NULL };
		lw_check_args(L, call, fn, 1, 2, kws);
		Value *x = numeric(L, arg(L, call, 0, NULL), loc);
		PyExpr *axis = call->items.len > 1 ? call->items.data[1] : lw_kwarg(call, "axis");
		Value *nz = lw_cast(L, lw_cast(L, x, DT_BOOL), DT_INT64);
		return lw_reduce(L, WCR_SUM, nz, axis, false, loc);
	}
	if (strcmp(fn, "transpose") == 0 || strcmp(fn, "swapaxes") == 0) {
		static const char *const kws[] = { "axes", NULL };
		lw_check_args(L, call, fn, 1, 3, kws);
		return call_transpose(L, numeric(L, arg(L, call, 0, NULL), loc), call, 1, fn[0] == 's');
	}
	if (strcmp(fn, "flip") == 0 || strcmp(fn, "flipud") == 0 || strcmp(fn, "fliplr") == 0) {
		static const char *const kws[] = { "axis", NULL };
		lw_check_args(L, call, fn, 1, fn[4] ? 1 : 2, kws);
		Value *x = numeric(L, arg(L, call, 0, NULL), loc);
		Value *ax = fn[4] ? lw_const_int(L, fn[4] == 'u' ? 0 : 1, loc) : arg(L, call, 1, "axis");
		return flip(L, x, ax && ax->kind != V_NONE ? axis_of(L, ax, x->ndim, loc) : -1, loc);
	}
	if (strcmp(fn, "diff") == 0)
		return call_diff(L, call, loc);
	if (strcmp(fn, "diagonal") == 0 || strcmp(fn, "trace") == 0) {
		lw_check_args(L, call, fn, 1, 1, NULL);
		Value *d = diagonal_of(L, call->items.data[0], loc);
		return fn[0] == 't' ? lw_reduce(L, WCR_SUM, d, NULL, false, loc) : d;
	}
	if (strcmp(fn, "diag") == 0) {
		lw_check_args(L, call, fn, 1, 1, NULL);
		Value *x = numeric(L, arg(L, call, 0, NULL), loc);
		if (x->ndim == 2)
			return lw_materialize(L, diagonal(L, x, loc), "diag");
		if (x->ndim != 1)
			diag_fatal(L->ctx, loc, "np.diag takes a 1-D or 2-D array");
		Sym **sh = arena_alloc(L->a, sizeof(Sym *) * 2);
		sh[0] = sh[1] = x->shape[0];
		Value *r = lw_new_array(L, "diag", x->dtype, 2, sh, loc);
		lw_store(L, r, lw_const_int(L, 0, loc), WCR_NONE, loc);
		Value *d = diagonal(L, r, loc);
		d->readonly = false;
		lw_store(L, d, x, WCR_NONE, loc);
		return r;
	}
	if (strcmp(fn, "outer") == 0 || strcmp(fn, "vdot") == 0) {
		lw_check_args(L, call, fn, 2, 2, NULL);
		Value *a = numeric(L, arg(L, call, 0, NULL), loc), *b = numeric(L, arg(L, call, 1, NULL), loc);
		if (a->ndim != 1 || b->ndim != 1)
			lw_unsupported(L, loc, arena_printf(L->a, "np.%s of arrays that are not 1-D", fn));
		if (fn[0] == 'v')   /* np.vdot conjugates its first operand */
			return lw_matmul(L, dtype_is_complex(a->dtype) ? lw_unary(L, OP_CONJ, a, loc)
					 : a, b, loc);
		/* a as a column (its reads already use _i0): a[:, None] * b. */
		Value *col = lw_value_new(L, V_EXPR, loc);
		*col = *lw_to_expr(L, a);
		col->ndim = 2;
		col->shape = arena_alloc(L->a, sizeof(Sym *) * 2);
		col->shape[0] = a->shape[0];
		col->shape[1] = sym_const(L->a, 1);
		return lw_binary(L, OP_MUL, col, b, loc, "outer");
	}
	return NULL;
}

/* ---- dispatch ---- */

static Value *
np_function(Lower *L, const char *fn, PyExpr *call)
{
	for (size_t i = 0; i < sizeof ufuncs / sizeof *ufuncs; i++)
		if (strcmp(ufuncs[i].name, fn) == 0)
			return call_ufunc(L, &ufuncs[i], call);
	for (size_t i = 0; i < sizeof reductions / sizeof *reductions; i++)
		if (strcmp(reductions[i].name, fn) == 0)
			return call_reduction(L, &reductions[i], NULL, call);
	if (strcmp(fn, "dot") == 0 || strcmp(fn, "matmul") == 0) {
		lw_check_args(L, call, fn, 2, 2, NULL);
		Value *x = numeric(L, arg(L, call, 0, NULL), call->loc);
		Value *y = numeric(L, arg(L, call, 1, NULL), call->loc);
		return fn[0] == 'd' ? dot(L, x, y, call->loc) : lw_matmul(L, x, y, call->loc);
	}
	static const char *const creators[] = { "zeros", "ones", "empty", "full", "zeros_like",
		"ones_like", "empty_like", "full_like", NULL };
	for (const char *const *c = creators; *c; c++)
		if (strcmp(*c, fn) == 0)
			return call_create(L, fn, call);
	if (strcmp(fn, "copy") == 0) {
		lw_check_args(L, call, fn, 1, 1, NULL);
		return lw_materialize(L, numeric(L, arg(L, call, 0, NULL), call->loc), "copy");
	}
	if (strcmp(fn, "arange") == 0)
		return call_arange(L, call);
	if (strcmp(fn, "einsum") == 0)
		return lw_einsum(L, call);
	Value *r = np_more(L, fn, call);
	if (r)
		return r;
	if (strcmp(fn, "linspace") == 0)
		return call_linspace(L, call);
	if (strcmp(fn, "where") == 0) {
		if (call->items.len == 1)
			lw_unsupported(L, call->loc, "np.where with one argument (use a mask)");
		lw_check_args(L, call, fn, 3, 3, NULL);
		return lw_where(L, numeric(L, arg(L, call, 0, NULL), call->loc),
				numeric(L, arg(L, call, 1, NULL), call->loc),
				numeric(L, arg(L, call, 2, NULL), call->loc), call->loc);
	}
	if (strcmp(fn, "clip") == 0) {
		lw_check_args(L, call, fn, 3, 3, NULL);
		Value *x = numeric(L, arg(L, call, 0, NULL), call->loc);
		Value *lo = numeric(L, arg(L, call, 1, NULL), call->loc);
		Value *hi = numeric(L, arg(L, call, 2, NULL), call->loc);
		return lw_binary(L, OP_MIN, lw_binary(L, OP_MAX, x, lo, call->loc, "clip"), hi,
				 call->loc, "clip");
	}
	DType t;
	if (dtype_name_of(fn, &t)) {
		lw_check_args(L, call, fn, 1, 1, NULL);
		return lw_cast_at(L, numeric(L, arg(L, call, 0, NULL), call->loc), t, call->loc);
	}
	Value *sh = lw_shape_function(L, fn, call);
	if (sh)
		return sh;
	lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s", fn));
}

static Value *
method(Lower *L, Value *self, const char *m, PyExpr *call)
{
	for (size_t i = 0; i < sizeof reductions / sizeof *reductions; i++)
		if (strcmp(reductions[i].name, m) == 0 && strcmp(m, "amax") != 0 && strcmp(m, "amin") != 0)
			return call_reduction(L, &reductions[i], self->kind == V_MASKED ? self :
					      numeric(L, self, call->loc), call);
	if (strcmp(m, "copy") == 0) {
		lw_check_args(L, call, "copy", 0, 0, NULL);
		return lw_materialize(L, numeric(L, self, call->loc), "copy");
	}
	if (strcmp(m, "transpose") == 0 || strcmp(m, "swapaxes") == 0) {
		static const char *const kws[] = { "axes", NULL };
		lw_check_args(L, call, m, 0, MAX_DIMS, kws);
		return call_transpose(L, numeric(L, self, call->loc), call, 0, m[0] == 's');
	}
	if (strcmp(m, "var") == 0 || strcmp(m, "std") == 0)
		return call_var(L, numeric(L, self, call->loc), call, 0, m[0] == 's');
	if (strcmp(m, "cumsum") == 0 || strcmp(m, "cumprod") == 0) {
		static const char *const kws[] = { "axis", NULL };
		lw_check_args(L, call, m, 0, 1, kws);
		PyExpr *axis = call->items.len ? call->items.data[0] : lw_kwarg(call, "axis");
		return call_cumulative(L, numeric(L, self, call->loc), axis, m[3] == 'p', call->loc);
	}
	if (strcmp(m, "diagonal") == 0 || strcmp(m, "trace") == 0) {
		lw_check_args(L, call, m, 0, 0, NULL);
		Value *d = diagonal(L, numeric(L, self, call->loc), call->loc);
		return m[0] == 't' ? lw_reduce(L, WCR_SUM, d, NULL, false, call->loc) : d;
	}
	if (strcmp(m, "astype") == 0) {
		lw_check_args(L, call, "astype", 1, 1, NULL);
		DType t = DT_FLOAT64;
		lw_dtype_of(L, call->items.data[0], &t);
		return lw_materialize(L, lw_cast_at(L, numeric(L, self, call->loc), t, call->loc), "arr");
	}
	if (strcmp(m, "conj") == 0 || strcmp(m, "conjugate") == 0) {
		lw_check_args(L, call, m, 0, 0, NULL);
		return lw_unary(L, OP_CONJ, numeric(L, self, call->loc), call->loc);
	}
	if (strcmp(m, "dot") == 0) {
		lw_check_args(L, call, "dot", 1, 1, NULL);
		return dot(L, numeric(L, self, call->loc),
			   numeric(L, arg(L, call, 0, NULL), call->loc), call->loc);
	}
	Value *sh = lw_shape_method(L, self, m, call);
	if (sh)
		return sh;
	lw_unsupported(L, call->loc, arena_printf(L->a, "the array method .%s()", m));
}

/* complex(x) and complex(re, im) of real scalars: Python builds the
 * latter from its parts exactly (inf, nan and -0.0 kept), as OP_COMPLEX. */
static Value *
builtin_complex(Lower *L, PyExpr *call)
{
	lw_check_args(L, call, "complex", 1, 2, NULL);
	Value *x = numeric(L, arg(L, call, 0, NULL), call->loc);
	Value *y = call->items.len == 2 ? numeric(L, arg(L, call, 1, NULL), call->loc) : NULL;
	if (!lw_is_scalar(x) || (y && !lw_is_scalar(y)))
		diag_fatal(L->ctx, call->loc, "only scalars can be converted with complex()");
	if (!y)
		return lw_cast(L, x, DT_COMPLEX128);
	if (dtype_is_complex(x->dtype) || dtype_is_complex(y->dtype))
		lw_unsupported(L, call->loc, "complex(re, im) with a complex argument");
	return lw_binary(L, OP_COMPLEX, lw_cast(L, x, DT_FLOAT64), lw_cast(L, y, DT_FLOAT64),
			 call->loc, "complex");
}

static Value *
builtin(Lower *L, const char *fn, PyExpr *call)
{
	if (strcmp(fn, "abs") == 0) {
		lw_check_args(L, call, fn, 1, 1, NULL);
		return lw_unary(L, OP_ABS, numeric(L, arg(L, call, 0, NULL), call->loc), call->loc);
	}
	if (strcmp(fn, "min") == 0 || strcmp(fn, "max") == 0) {
		lw_check_args(L, call, fn, 2, 8, NULL);
		Value *r = numeric(L, arg(L, call, 0, NULL), call->loc);
		for (int i = 1; i < call->items.len; i++) {
			Value *y = numeric(L, arg(L, call, i, NULL), call->loc);
			if (!lw_is_scalar(r) || !lw_is_scalar(y))
				diag_fatal(L->ctx, call->loc, "%s() of arrays is ambiguous; use np.%simum",
					   fn, fn);
			/* Python keeps the first of equal values and takes a
			 * later one only when it compares greater (less): max(nan,
			 * 1.0) is nan, max(1.0, nan) is 1.0, max(-0.0, 0.0) is
			 * -0.0; np.maximum propagates any NaN and takes the
			 * second of equal values. Integers have neither NaN nor
			 * -0, and keep OP_MIN/OP_MAX. */
			if (dtype_is_float(r->dtype) || dtype_is_float(y->dtype))
				r = lw_where(L, lw_binary(L, fn[1] == 'i' ? OP_LT : OP_GT, y, r,
							  call->loc, fn), y, r, call->loc);
			else
				r = lw_binary(L, fn[1] == 'i' ? OP_MIN : OP_MAX, r, y, call->loc, fn);
		}
		return r;
	}
	if (strcmp(fn, "float") == 0 || strcmp(fn, "int") == 0 || strcmp(fn, "bool") == 0) {
		lw_check_args(L, call, fn, 1, 1, NULL);
		Value *x = numeric(L, arg(L, call, 0, NULL), call->loc);
		if (!lw_is_scalar(x))
			diag_fatal(L->ctx, call->loc, "only scalars can be converted with %s()", fn);
		DType t = fn[0] == 'f' ? DT_FLOAT64 : fn[0] == 'i' ? DT_INT64 : DT_BOOL;
		if (dtype_is_complex(x->dtype) && t != DT_BOOL)
			diag_fatal(L->ctx, call->loc, "can't convert complex to %s (Python raises "
				   "TypeError); use .real or abs()", fn);
		if (t == DT_INT64 && (x->kind == V_SYM || x->kind == V_CONST) && dtype_is_int(x->dtype))
			return x;
		return lw_cast(L, x, t);
	}
	if (strcmp(fn, "complex") == 0)
		return builtin_complex(L, call);
	if (strcmp(fn, "len") == 0) {
		lw_check_args(L, call, fn, 1, 1, NULL);
		Value *x = arg(L, call, 0, NULL);
		if (x->kind == V_TUPLE)
			return lw_const_int(L, x->n, call->loc);
		if (x->kind == V_MASKED && x->ival == 0)   /* the number of selected rows */
			return lw_reduce(L, WCR_SUM, lw_cast(L, x->items[1], DT_INT64), NULL, false,
					 call->loc);
		if (!lw_is_numeric(x) || x->ndim == 0)
			diag_fatal(L->ctx, call->loc, "len() of an unsized object");
		return lw_sym_value(L, x->shape[0], call->loc);
	}
	if (strcmp(fn, "range") == 0)
		diag_fatal(L->ctx, call->loc, "range() is only supported as the iterable of a for loop");
	return NULL;
}

PyExpr *
lw_call_updated_arg(const PyExpr *e)
{
	if (!e || e->kind != PE_CALL || e->lhs->kind != PE_ATTR || strcmp(e->lhs->id, "at") != 0 ||
	    e->lhs->lhs->kind != PE_ATTR || e->items.len < 1)
		return NULL;
	return e->items.data[0];
}

Value *
lw_call(Lower *L, PyExpr *call)
{
	PyExpr *f = call->lhs;
	if (f->kind == PE_ATTR && lw_is_np_name(L, f->lhs)) {
		Value *r = np_function(L, f->id, call);
		/* math.floor, math.ceil and math.trunc give integers. */
		bool math = lw_lookup(L, f->lhs->id)->val->ival == 1;
		if (math && (strcmp(f->id, "floor") == 0 || strcmp(f->id, "ceil") == 0 ||
			     strcmp(f->id, "trunc") == 0))
			r = lw_cast(L, r, DT_INT64);
		return r;
	}
	if (f->kind == PE_ATTR && f->lhs->kind == PE_ATTR && lw_is_np_name(L, f->lhs->lhs)) {
		if (strcmp(f->lhs->id, "linalg") == 0 && strcmp(f->id, "norm") == 0) {
			lw_check_args(L, call, "norm", 1, 1, NULL);
			Value *x = numeric(L, arg(L, call, 0, NULL), call->loc);
			if (dtype_is_complex(x->dtype))
				x = lw_unary(L, OP_ABS, x, call->loc);
			x = lw_cast(L, x, dtype_is_float(x->dtype) ? x->dtype : DT_FLOAT64);
			Value *s = lw_reduce(L, WCR_SUM, lw_binary(L, OP_MUL, x, x, call->loc, "*"),
					     NULL, false, call->loc);
			return lw_unary(L, OP_SQRT, s, call->loc);
		}
		for (size_t i = 0; i < sizeof ufuncs / sizeof *ufuncs; i++)
			if (strcmp(ufuncs[i].name, f->lhs->id) == 0)
				return lw_ufunc_method(L, ufuncs[i].op, ufuncs[i].nargs, f->lhs->id,
						       f->id, call);
		lw_unsupported(L, call->loc, arena_printf(L->a, "np.%s.%s", f->lhs->id, f->id));
	}
	if (f->kind == PE_ATTR)
		return method(L, lw_eval(L, f->lhs), f->id, call);
	if (f->kind != PE_NAME)
		lw_unsupported(L, call->loc, "calling this kind of expression");
	Binding *b = lw_lookup(L, f->id);
	if (!b || !b->val) {
		for (int i = 0; i < L->helpers.len; i++)
			if (strcmp(L->helpers.data[i]->name, f->id) == 0)
				return lw_call_helper(L, L->helpers.data[i], call);
		Value *v = builtin(L, f->id, call);
		if (v)
			return v;
	}
	diag_fatal(L->ctx, f->loc, "unknown function '%s'", f->id);
}

/* .shape, .ndim, .size and .dtype of a boolean-mask selection x[m]: the
 * selected extent is the number of true elements of m, computed at run
 * time. NULL for other attributes. */
static Value *
masked_attr(Lower *L, Value *x, PyExpr *e)
{
	if (strcmp(e->id, "ndim") == 0)
		return lw_const_int(L, x->ndim, e->loc);
	if (strcmp(e->id, "dtype") == 0) {
		Value *t = lw_value_new(L, V_DTYPE, e->loc);
		t->dtype = x->dtype;
		return t;
	}
	if (strcmp(e->id, "shape") != 0 && strcmp(e->id, "size") != 0)
		return NULL;
	Value *t = lw_value_new(L, V_TUPLE, e->loc);
	t->n = x->ndim;
	t->items = arena_alloc(L->a, sizeof(Value *) * (size_t)(x->ndim + 1));
	for (int d = 0; d < x->ndim; d++)
		t->items[d] = d != x->ival ? lw_sym_value(L, x->shape[d], e->loc)
			: lw_reduce(L, WCR_SUM, lw_cast(L, x->items[1], DT_INT64), NULL, false, e->loc);
	if (e->id[1] == 'h')
		return t;
	Value *n = t->items[x->ival];
	for (int d = 0; d < x->ndim; d++)
		n = d == x->ival ? n : lw_binary(L, OP_MUL, n, t->items[d], e->loc, "*");
	return n;
}

Value *
lw_attr(Lower *L, PyExpr *e)
{
	if (lw_is_np_name(L, e->lhs)) {
		DType t;
		if (strcmp(e->id, "pi") == 0 || strcmp(e->id, "e") == 0 || strcmp(e->id, "inf") == 0 ||
		    strcmp(e->id, "nan") == 0)
			return lw_const_float(L, e->id[0] == 'p' ? M_PI : e->id[0] == 'e' ? M_E
					      : e->id[0] == 'i' ? INFINITY : NAN, e->loc);
		if (dtype_name_of(e->id, &t)) {
			Value *v = lw_value_new(L, V_DTYPE, e->loc);
			v->dtype = t;
			return v;
		}
		lw_unsupported(L, e->loc, arena_printf(L->a, "np.%s", e->id));
	}
	Value *x = lw_eval(L, e->lhs);
	if (x->kind == V_MASKED) {
		Value *r = masked_attr(L, x, e);
		if (r)
			return r;
		x = lw_masked_keep(L, x, e->loc);   /* x[m].T: of the copy x[m] */
	}
	if (!lw_is_numeric(x))
		diag_fatal(L->ctx, e->loc, "this value has no attribute '%s'", e->id);
	if (strcmp(e->id, "shape") == 0) {
		Value *t = lw_value_new(L, V_TUPLE, e->loc);
		t->n = x->ndim;
		t->items = arena_alloc(L->a, sizeof(Value *) * (size_t)(x->ndim + 1));
		for (int d = 0; d < x->ndim; d++)
			t->items[d] = lw_sym_value(L, x->shape[d], e->loc);
		return t;
	}
	if (strcmp(e->id, "dtype") == 0) {
		Value *t = lw_value_new(L, V_DTYPE, e->loc);
		t->dtype = x->dtype;
		return t;
	}
	if (strcmp(e->id, "ndim") == 0)
		return lw_const_int(L, x->ndim, e->loc);
	if (strcmp(e->id, "size") == 0) {
		Sym *s = sym_const(L->a, 1);
		for (int d = 0; d < x->ndim; d++)
			s = sym_mul(L->a, s, x->shape[d]);
		return lw_sym_value(L, s, e->loc);
	}
	if (strcmp(e->id, "T") == 0)
		return permute(L, x, NULL, e->loc);
	/* Of a real array, .real is the array itself; of a complex one both
	 * parts are views, which dfc reads as values (a copy when kept). */
	if (strcmp(e->id, "real") == 0 && !dtype_is_complex(x->dtype) && x->kind == V_ARRAY)
		return x;
	if (strcmp(e->id, "real") == 0 || strcmp(e->id, "imag") == 0) {
		Value *r = lw_unary(L, e->id[0] == 'r' ? OP_REAL : OP_IMAG, x, e->loc);
		if (!dtype_is_complex(x->dtype) || x->kind != V_ARRAY)
			return r;
		return lw_checked_view(L, x, r, e, e->id[0] == 'r' ? ".real" : ".imag");
	}
	lw_unsupported(L, e->loc, arena_printf(L->a, "the array attribute .%s", e->id));
}

/* ---- writes through complex parts ----
 * z.real and z.imag of a complex array are views of its parts in NumPy, so
 * `z.real[i] = v`, `z.imag[1:] *= 2` and `z.real = x` (the attribute
 * setter: z.real[...] = x) write z. dfc writes the elements of z that the
 * part's subscript selects with complex(v, z.imag) (or complex(z.real, v)):
 * OP_COMPLEX keeps the other part exactly, inf and nan included. v is cast
 * to the part's dtype (float64 for complex128, float32 for complex64). Of
 * a real array, .real is the array itself and .imag is read-only.
 * np.real(z) and np.imag(z) are the same views. */

/* The complex part that e names: z.real, z.imag, np.real(z), np.imag(z).
 * Sets *part and *base (the expression of z); false for anything else. */
static bool
part_expr(Lower *L, PyExpr *e, IrOp *part, PyExpr **base)
{
	const char *id;
	if (e->kind == PE_ATTR) {
		id = e->id;
		*base = e->lhs;
		if (lw_is_np_name(L, e->lhs))
			return false;
	} else if (e->kind == PE_CALL && e->lhs->kind == PE_ATTR && lw_is_np_name(L, e->lhs->lhs) && lw_lookup(L, e->lhs->lhs->id)->val->ival == 0 &&
		   e->items.len == 1 && e->kwnames.len == 0) {
		id = e->lhs->id;
		*base = e->items.data[0];
	} else {
		return false;
	}
	if (strcmp(id, "real") != 0 && strcmp(id, "imag") != 0)
		return false;
	*part = id[0] == 'r' ? OP_REAL : OP_IMAG;
	return true;
}

/* The array whose part pe names (z of z.real), checked to be a view
 * whose part NumPy lets one assign. */
static Value *
part_base(Lower *L, PyExpr *pe, PyExpr *base, IrOp part, bool whole)
{
	const char *name = part == OP_REAL ? "real" : "imag";
	Value *z = lw_eval(L, base);
	if (!lw_is_numeric(z) && z->kind != V_MASKED)
		diag_fatal(L->ctx, pe->loc, "cannot assign to .%s of this value", name);
	if (z->kind != V_ARRAY)
		lw_unsupported(L, pe->loc, arena_printf(L->a, "writing through .%s of a computed "
				   "value (a copy in NumPy, so the write would be lost)", name));
	if (z->ndim == 0)
		diag_fatal(L->ctx, pe->loc, "cannot assign to .%s of a scalar (NumPy scalars are "
			   "immutable; assign the whole complex element instead)", name);
	if (part == OP_IMAG && !dtype_is_complex(z->dtype))
		diag_fatal(L->ctx, pe->loc, whole ? "%s array does not have an imaginary part to set "
			   "(NumPy raises TypeError)" : "assignment destination is read-only (the "
			   ".imag of a %s array is, in NumPy)", dtype_name(z->dtype));
	return z;
}

/* The elements written through t (a part, or subscripts of one). */
static Value *
part_view(Lower *L, PyExpr *t, PartTarget *pt)
{
	PyExpr *base;
	if (t->kind == PE_SUBSCRIPT) {
		Value *x = part_view(L, t->lhs, pt);
		if (x->kind != V_ARRAY)
			lw_unsupported(L, t->loc, "writing through a subscript of a copy (NumPy's "
				       "advanced indexing copies, so the write would be lost)");
		return lw_subscript(L, x, t);
	}
	if (!part_expr(L, t, &pt->part, &base))
		ICE("part_view of a target that is no complex part");
	return part_base(L, t, base, pt->part, pt->whole);
}

bool
lw_is_part_target(Lower *L, PyExpr *t)
{
	PyExpr *base;
	IrOp part;
	while (t->kind == PE_SUBSCRIPT)
		t = t->lhs;
	return part_expr(L, t, &part, &base);
}

bool
lw_part_target(Lower *L, PyExpr *t, PartTarget *pt)
{
	PyExpr *e = t, *base;
	IrOp part;
	while (e->kind == PE_SUBSCRIPT)
		e = e->lhs;
	if (!part_expr(L, e, &part, &base))
		return false;
	pt->whole = t == e;
	pt->view = part_view(L, t, pt);
	return true;
}

/* The real dtype of the parts of complex dtype t. */
static DType
part_dtype(DType t)
{
	return t == DT_COMPLEX64 ? DT_FLOAT32 : DT_FLOAT64;
}

Value *
lw_part_value(Lower *L, const PartTarget *pt, SrcLoc loc)
{
	if (!dtype_is_complex(pt->view->dtype))
		return pt->view;
	return lw_unary(L, pt->part, pt->view, loc);
}

void
lw_store_part(Lower *L, const PartTarget *pt, Value *v, SrcLoc loc)
{
	Value *dst = pt->view;
	if (!lw_is_numeric(v) && v->kind != V_MASKED)
		diag_fatal(L->ctx, v->loc, "expected a number or an array to assign");
	if (v->kind == V_CONST && dtype_is_complex(v->dtype) && !pt->whole)
		diag_fatal(L->ctx, loc, "can't assign a complex number to the %s part of an array "
			   "(NumPy raises TypeError)", pt->part == OP_REAL ? "real" : "imaginary");
	if (!dtype_is_complex(dst->dtype)) {
		lw_store(L, dst, lw_cast_at(L, v, dst->dtype, loc), WCR_NONE, loc);
		return;
	}
	Value *p = lw_cast_at(L, v, part_dtype(dst->dtype), loc);
	Value *other = lw_unary(L, pt->part == OP_REAL ? OP_IMAG : OP_REAL, dst, loc);
	Value *re = pt->part == OP_REAL ? p : other, *im = pt->part == OP_REAL ? other : p;
	lw_store(L, dst, lw_binary(L, OP_COMPLEX, re, im, loc, "complex"), WCR_NONE, loc);
}
