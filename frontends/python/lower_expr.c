/* frontends/python/lower_expr.c — values, broadcasting, and elementwise
 * computations.
 *
 * Every NumPy elementwise operation builds a lazy V_EXPR: an IrExpr tree
 * plus the container reads it needs, indexed by the iteration symbols
 * _i0.._i{n-1} of its shape. Nothing reaches the IR until lw_store writes a
 * lazy value somewhere: then the whole tree becomes one map with one tasklet
 * (one state), which is how `C = alpha * A + B * 2` costs a single pass.
 *
 * Dtypes follow NumPy 1.24: array op array promotes (np.result_type);
 * array op scalar keeps the array's dtype when the scalar's kind (bool <
 * integer < inexact, float and complex being one kind) is not higher
 * (value-based casting: float32 array * 1j is complex64, int16 array * 1j
 * complex128).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "lower.h"

Value *
lw_value_new(Lower *L, ValueKind k, SrcLoc loc)
{
	Value *v = arena_alloc(L->a, sizeof(*v));
	v->kind = k;
	v->loc = loc;
	return v;
}

Value *
lw_const_int(Lower *L, int64_t x, SrcLoc loc)
{
	Value *v = lw_value_new(L, V_CONST, loc);
	v->dtype = DT_INT64;
	v->ival = x;
	return v;
}

Value *
lw_const_float(Lower *L, double x, SrcLoc loc)
{
	Value *v = lw_value_new(L, V_CONST, loc);
	v->dtype = DT_FLOAT64;
	v->fval = x;
	return v;
}

Value *
lw_const_complex(Lower *L, double re, double im, SrcLoc loc)
{
	Value *v = lw_value_new(L, V_CONST, loc);
	v->dtype = DT_COMPLEX128;
	v->fval = re;
	v->fimag = im;
	return v;
}

Value *
lw_sym_value(Lower *L, Sym *s, SrcLoc loc)
{
	int64_t c;
	if (sym_is_const(s, &c))
		return lw_const_int(L, c, loc);
	Value *v = lw_value_new(L, V_SYM, loc);
	v->dtype = DT_INT64;
	v->sym = s;
	return v;
}

/* The whole container `data` as a view. */
Value *
lw_array_value(Lower *L, const char *data, SrcLoc loc)
{
	IrContainer *c = ir_program_find_container(L->p, data);
	if (!c)
		ICE("no container '%s'", data);
	Value *v = lw_value_new(L, V_ARRAY, loc);
	v->dtype = c->dtype;
	v->data = c->name;
	v->ndim = v->cdim = c->ndim;
	v->shape = c->shape;
	v->map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(c->ndim + 1));
	for (int d = 0; d < c->ndim; d++)
		v->map[d] = (DimMap){ d, sym_const(L->a, 0), sym_const(L->a, 1) };
	return v;
}

bool
lw_is_scalar(const Value *v)
{
	return (v->kind == V_ARRAY || v->kind == V_EXPR) ? v->ndim == 0
	       : v->kind == V_SYM || v->kind == V_CONST;
}

bool
lw_is_numeric(const Value *v)
{
	return v->kind == V_ARRAY || v->kind == V_EXPR || v->kind == V_SYM ||
	       v->kind == V_CONST;
}

Sym *
lw_iter_sym(Lower *L, int d)
{
	return sym_var(L->a, arena_printf(L->a, "_i%d", d));
}

/* An IrExpr computing the symbolic integer s (int64). */
IrExpr *
lw_expr_from_sym(Lower *L, Sym *s)
{
	Arena *a = L->a;
	IrExpr *e = NULL;
	switch (s->kind) {
	case SYM_CONST:
		return ir_expr_const_int(a, DT_INT64, s->c);
	case SYM_VAR:
		return ir_expr_sym(a, s->name);
	case SYM_ADD:
		e = ir_expr_const_int(a, DT_INT64, s->c);
		for (int i = 0; i < s->n; i++) {
			IrExpr *t = lw_expr_from_sym(L, s->args[i]);
			if (s->coefs[i] != 1)
				t = ir_expr_op2(a, OP_MUL, ir_expr_const_int(a, DT_INT64, s->coefs[i]), t);
			e = s->c == 0 && i == 0 ? t : ir_expr_op2(a, OP_ADD, e, t);
		}
		return e;
	case SYM_MUL: case SYM_MIN: case SYM_MAX: case SYM_FLOORDIV: case SYM_MOD: {
		IrOp op = s->kind == SYM_MUL ? OP_MUL : s->kind == SYM_MIN ? OP_MIN
			: s->kind == SYM_MAX ? OP_MAX : s->kind == SYM_FLOORDIV ? OP_FLOORDIV : OP_MOD;
		e = lw_expr_from_sym(L, s->args[0]);
		for (int i = 1; i < s->n; i++)
			e = ir_expr_op2(a, op, e, lw_expr_from_sym(L, s->args[i]));
		return e;
	}
	}
	UNREACHABLE();
}

static IrExpr *
const_expr(Lower *L, const Value *v, DType t)
{
	if (dtype_is_complex(v->dtype) && t == DT_BOOL)
		return ir_expr_const_int(L->a, t, v->fval != 0 || v->fimag != 0);
	if (dtype_is_complex(v->dtype) && !dtype_is_float(t) && !dtype_is_complex(t))
		return ir_expr_const_int(L->a, t, (int64_t)v->fval);
	if (dtype_is_complex(v->dtype))
		return ir_expr_const_complex(L->a, t, v->fval, v->fimag);
	if (dtype_is_float(t) || dtype_is_complex(t))
		return ir_expr_const_float(L->a, t, v->dtype == DT_FLOAT64 ? v->fval : (double)v->ival);
	if (v->dtype == DT_FLOAT64)
		return ir_expr_const_int(L->a, t, t == DT_BOOL ? v->fval != 0 : (int64_t)v->fval);
	return ir_expr_const_int(L->a, t, t == DT_BOOL ? v->ival != 0 : v->ival);
}

/* The indices of container dims reached by view v, in iteration symbols. */
static Sym **
view_indices(Lower *L, const Value *v)
{
	Sym **idx = arena_alloc(L->a, sizeof(Sym *) * (size_t)(v->cdim + 1));
	for (int d = 0; d < v->cdim; d++) {
		DimMap m = v->map[d];
		idx[d] = m.vdim < 0 ? m.start
			 : sym_add(L->a, m.start, sym_mul(L->a, m.step, lw_iter_sym(L, m.vdim)));
	}
	return idx;
}

/* Converts any numeric value to a lazy elementwise expression. */
Value *
lw_to_expr(Lower *L, Value *v)
{
	if (v->kind == V_EXPR)
		return v;
	Value *e = lw_value_new(L, V_EXPR, v->loc);
	e->dtype = v->dtype;
	e->ndim = v->ndim;
	e->shape = v->shape;
	switch (v->kind) {
	case V_CONST:
		e->expr = const_expr(L, v, v->dtype);
		return e;
	case V_SYM:
		e->expr = lw_expr_from_sym(L, v->sym);
		return e;
	case V_ARRAY: {
		Read *r = arena_alloc(L->a, sizeof(*r));
		r->conn = arena_printf(L->a, "_r%p", (void *)r);
		r->data = v->data;
		r->ndim = v->cdim;
		r->idx = view_indices(L, v);
		e->nreads = 1;
		e->reads = r;
		e->expr = ir_expr_in(L->a, v->dtype, r->conn);
		return e;
	}
	case V_MASKED:
		return lw_to_expr(L, lw_masked_keep(L, v, v->loc));
	default:
		diag_fatal(L->ctx, v->loc, "expected a number or an array here");
	}
}

/* s with _i<j> replaced by to[j] for j < n, simultaneously. */
static Sym *
remap_sym(Lower *L, Sym *s, int n, Sym **to)
{
	/* Two steps so that renamings cannot capture each other. */
	for (int j = 0; j < n; j++)
		s = sym_subst(L->a, s, arena_printf(L->a, "_i%d", j),
			      sym_var(L->a, arena_printf(L->a, "_t%d", j)));
	for (int j = 0; j < n; j++)
		s = sym_subst(L->a, s, arena_printf(L->a, "_t%d", j), to[j]);
	return s;
}

/* The iteration symbols an expression uses directly (np.arange's values). */
static IrExpr *
remap_expr(Lower *L, IrExpr *e, int n, Sym **to)
{
	if (e->kind == EX_SYM && e->name[0] == '_' && e->name[1] == 'i') {
		IrExpr *r = lw_expr_from_sym(L, remap_sym(L, sym_var(L->a, e->name), n, to));
		return r->dtype == e->dtype ? r : ir_expr_cast(L->a, e->dtype, r);
	}
	if (e->n == 0)
		return e;
	IrExpr *r = arena_alloc(L->a, sizeof(*r));
	*r = *e;
	r->args = arena_alloc(L->a, sizeof(IrExpr *) * (size_t)e->n);
	for (int i = 0; i < e->n; i++)
		r->args[i] = remap_expr(L, e->args[i], n, to);
	return r;
}

/* Renames iteration symbols in reads and in the expression: _i<j> becomes
 * to[j] (another iteration symbol, or 0 for a broadcast dimension). */
static Value *
remap_iters(Lower *L, Value *e, int n, Sym **to)
{
	Value *r = lw_value_new(L, V_EXPR, e->loc);
	*r = *e;
	r->expr = remap_expr(L, e->expr, n, to);
	r->reads = arena_alloc(L->a, sizeof(Read) * (size_t)(e->nreads + 1));
	for (int k = 0; k < e->nreads; k++) {
		Read rd = e->reads[k];
		Sym **idx = arena_alloc(L->a, sizeof(Sym *) * (size_t)(rd.ndim + 1));
		for (int d = 0; d < rd.ndim; d++)
			idx[d] = remap_sym(L, rd.idx[d], n, to);
		rd.idx = idx;
		r->reads[k] = rd;
	}
	return r;
}

Value *
lw_remap_iters(Lower *L, Value *e, int n, Sym **to)
{
	return remap_iters(L, e, n, to);
}

const char *
lw_shape_str(Lower *L, int ndim, Sym **shape)
{
	StrBuf sb;
	sb_init(&sb, L->a);
	sb_putc(&sb, '(');
	for (int d = 0; d < ndim; d++)
		sb_printf(&sb, "%s%s", d ? ", " : "", sym_print(L->a, shape[d]));
	sb_puts(&sb, ndim == 1 ? ",)" : ")");
	return sb_str(&sb);
}

/* lw_shape_str for a diagnostic: an extent whose formula is long (clamped
 * slice bounds, run-time integers) prints as '?' and sets *elided. */
static const char *
short_shape_str(Lower *L, int ndim, Sym **shape, bool *elided)
{
	StrBuf sb;
	sb_init(&sb, L->a);
	sb_putc(&sb, '(');
	for (int d = 0; d < ndim; d++) {
		const char *x = sym_print(L->a, shape[d]);
		if (strlen(x) > 32) {
			x = "?";
			*elided = true;
		}
		sb_printf(&sb, "%s%s", d ? ", " : "", x);
	}
	sb_puts(&sb, ndim == 1 ? ",)" : ")");
	return sb_str(&sb);
}

bool
lw_is_one(const Sym *s)
{
	int64_t c;
	return sym_is_const(s, &c) && c == 1;
}

/* e for an extent max(e, 0) or max(0, e), else s. An extent is never
 * negative when the kernel runs (x[:-1] is N - 1 with the precondition
 * N >= 1, np.arange(N - 1) is max(N - 1, 0)): both are one extent. */
static const Sym *
unclamped(const Sym *s)
{
	int64_t c;
	if (s->kind != SYM_MAX || s->n != 2)
		return s;
	if (sym_is_const(s->args[0], &c) && c == 0)
		return s->args[1];
	if (sym_is_const(s->args[1], &c) && c == 0)
		return s->args[0];
	return s;
}

static bool
same_extent(const Sym *a, const Sym *b)
{
	return sym_equal(unclamped(a), unclamped(b));
}

/* NumPy's broadcasting of two shapes; false if they do not broadcast. */
bool
lw_broadcast2(Lower *L, int nx, Sym **sx, int ny, Sym **sy, int *n, Sym ***out)
{
	int m = nx > ny ? nx : ny;
	Sym **s = arena_alloc(L->a, sizeof(Sym *) * (size_t)(m + 1));
	for (int d = 0; d < m; d++) {
		Sym *a = d - (m - nx) >= 0 ? sx[d - (m - nx)] : NULL;
		Sym *b = d - (m - ny) >= 0 ? sy[d - (m - ny)] : NULL;
		if (!a || lw_is_one(a))
			s[d] = b ? b : a;
		else if (!b || lw_is_one(b) || same_extent(a, b))
			s[d] = a;
		else
			return false;
	}
	*n = m;
	*out = s;
	return true;
}

bool
lw_broadcast_shapes(Lower *L, Value *x, Value *y, int *ndim, Sym ***shape)
{
	return lw_broadcast2(L, x->ndim, x->shape, y->ndim, y->shape, ndim, shape);
}

/* v (any numeric value) as a lazy expression over the shape (ndim, shape),
 * which v must broadcast to. */
Value *
lw_broadcast_to(Lower *L, Value *v, int ndim, Sym **shape, SrcLoc loc)
{
	Value *e = lw_to_expr(L, v);
	int n;
	Sym **s;
	if (e->ndim > ndim || !lw_broadcast2(L, e->ndim, e->shape, ndim, shape, &n, &s) || n != ndim)
		goto fail;
	for (int d = 0; d < ndim; d++)
		if (!same_extent(s[d], shape[d]))
			goto fail;
	if (e->ndim == ndim) {
		bool same = true;
		for (int d = 0; d < ndim; d++)
			same = same && (sym_equal(e->shape[d], shape[d]));
		if (same)
			return e;
	}
	Sym **to = arena_alloc(L->a, sizeof(Sym *) * (size_t)(e->ndim + 1));
	for (int j = 0; j < e->ndim; j++) {
		int t = ndim - e->ndim + j;
		to[j] = lw_is_one(e->shape[j]) && !lw_is_one(shape[t]) ? sym_const(L->a, 0)
								 : lw_iter_sym(L, t);
	}
	Value *r = remap_iters(L, e, e->ndim, to);
	r->ndim = ndim;
	r->shape = shape;
	return r;
fail:;
	bool elided = false;   /* (the ';' above: C11 puts no declaration after a label) */
	const char *from = short_shape_str(L, e->ndim, e->shape, &elided);
	const char *to_shape = short_shape_str(L, ndim, shape, &elided);
	diag_fatal(L->ctx, loc, "could not broadcast a value of shape %s to shape %s%s", from,
		   to_shape, elided ? " ('?': an extent computed from slice bounds)" : "");
}

/* NumPy 1.24's kind order for value-based casting: bool < integer <
 * inexact (float and complex are one kind there). */
static int
kind_rank(DType t)
{
	return t == DT_BOOL ? 0 : dtype_is_int(t) ? 1 : 2;
}

/* The smallest integer dtype holding v: signed, or unsigned when allowed
 * and v >= 0 (NumPy's min_scalar_type, as value-based casting uses it). */
static DType
min_int_dtype(int64_t v, bool allow_unsigned)
{
	static const DType s[] = { DT_INT8, DT_INT16, DT_INT32, DT_INT64 };
	static const DType u[] = { DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64 };
	for (int i = 0; i < 3; i++) {
		int bits = 8 << i;
		if (allow_unsigned && v >= 0 && (uint64_t)v < (UINT64_C(1) << bits))
			return u[i];
		if (!(allow_unsigned && v >= 0) && v >= -(INT64_C(1) << (bits - 1)) &&
		    v < (INT64_C(1) << (bits - 1)))
			return s[i];
	}
	return allow_unsigned && v >= 0 ? DT_UINT64 : DT_INT64;
}

/* Is s anything but a float or complex literal with a finite part that
 * overflows float32 (NumPy's min_scalar_type bound)? */
static bool
fits_float32(const Value *s)
{
	if (s->kind != V_CONST || (s->dtype != DT_FLOAT64 && !dtype_is_complex(s->dtype)))
		return true;
	double im = dtype_is_complex(s->dtype) ? s->fimag : 0;
	return !(isfinite(s->fval) && fabs(s->fval) >= 3.4e38) &&
	       !(isfinite(im) && fabs(im) >= 3.4e38);
}

/* The dtype of a complex scalar s as value-based casting sees it (NumPy
 * 1.24's min_scalar_type): complex64 unless s is a literal whose parts
 * overflow float32. Values computed at run time are assumed to fit, as
 * they do unless they exceed 3.4e38. */
static DType
complex_scalar_dtype(const Value *s)
{
	return fits_float32(s) ? DT_COMPLEX64 : DT_COMPLEX128;
}

/* The dtype an array of dtype `arr` takes in an operation with the scalar
 * s of the same kind (NumPy 1.24 value-based casting): the array's, unless
 * a Python literal does not fit it (int8 array * 300 is int16). */
static DType
value_based(DType arr, const Value *s)
{
	if (dtype_is_complex(s->dtype) && !dtype_is_complex(arr))
		return dtype_promote(arr, complex_scalar_dtype(s));
	if (s->kind != V_CONST || s->dtype == DT_BOOL)
		return arr;
	if (dtype_is_int(arr) && dtype_is_int(s->dtype))
		return dtype_promote(arr, min_int_dtype(s->ival, dtype_is_unsigned(arr)));
	if (arr == DT_FLOAT32 && s->dtype == DT_FLOAT64 && isfinite(s->fval) &&
	    fabs(s->fval) >= 3.4e38)   /* NumPy's min_scalar_type bound */
		return DT_FLOAT64;
	if (arr == DT_COMPLEX64 && !fits_float32(s))
		return DT_COMPLEX128;
	return arr;
}

/* The value of an integer expression made of constants alone (a NumPy
 * scalar of literals: np.int16(-2), np.int32(-7) // 3), computed as NumPy
 * does, each result wrapped to its dtype; false for anything else, or
 * for a division by zero, an overflow of int64 or a uint64 past it. */
static bool
const_int(const IrExpr *e, int64_t *v)
{
	int64_t a, b;
	if (!dtype_is_int(e->dtype))
		return false;
	switch (e->kind) {
	case EX_CONST:
		*v = e->ival;
		break;
	case EX_CAST:
		if (!const_int(e->args[0], &a))
			return false;
		*v = a;
		break;
	case EX_OP:
		if (e->n == 1 && e->op == OP_NEG && const_int(e->args[0], &a) && a != INT64_MIN) {
			*v = -a;
			break;
		}
		if (e->n != 2 || !const_int(e->args[0], &a) || !const_int(e->args[1], &b))
			return false;
		if (e->op == OP_ADD ? __builtin_add_overflow(a, b, v)
		    : e->op == OP_SUB ? __builtin_sub_overflow(a, b, v)
		    : e->op == OP_MUL ? __builtin_mul_overflow(a, b, v)
		    : e->op == OP_FLOORDIV || e->op == OP_MOD ? b == 0 || (a == INT64_MIN && b == -1)
		    : true)
			return false;
		if (e->op == OP_FLOORDIV)
			*v = a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
		else if (e->op == OP_MOD)
			*v = a % b + ((a % b != 0) && ((a < 0) != (b < 0)) ? b : 0);
		break;
	default:
		return false;
	}
	if (e->dtype == DT_UINT64 && *v < 0)
		return false;
	*v = dtype_wrap_int(e->dtype, *v);
	return true;
}

/* s as value-based casting sees it: a NumPy scalar made of literals
 * (np.int16(-2), np.int32(-7) // 3) has its value, as a literal does
 * (uint8_array - np.int16(-2) is int16, with np.int16(5) uint8), and so
 * does a symbol that is a constant; a float or complex one is a constant
 * node already. tmp holds the view. */
static const Value *
typing_view(const Value *s, Value *tmp)
{
	int64_t iv = 0;
	if (s->kind == V_SYM && sym_is_const(s->sym, &iv)) {
		*tmp = *s;
		tmp->kind = V_CONST;
		tmp->ival = iv;
		return tmp;
	}
	if (s->kind != V_EXPR || s->ndim != 0 || s->nreads || !s->expr ||
	    (s->expr->kind != EX_CONST && !const_int(s->expr, &iv)))
		return s;
	*tmp = *s;
	tmp->kind = V_CONST;
	tmp->ival = s->expr->kind == EX_CONST ? s->expr->ival : iv;
	tmp->fval = s->expr->fval;
	tmp->fimag = s->expr->fimag;
	return tmp;
}

/* NumPy 1.24 result dtype of a binary operation on x and y. */
DType
lw_result_dtype(const Value *x, const Value *y)
{
	Value tx, ty;
	x = typing_view(x, &tx);
	y = typing_view(y, &ty);
	bool xs = lw_is_scalar(x), ys = lw_is_scalar(y);
	if (!xs && ys && kind_rank(y->dtype) <= kind_rank(x->dtype))
		return kind_rank(y->dtype) == kind_rank(x->dtype) ? value_based(x->dtype, y) : x->dtype;
	if (xs && !ys && kind_rank(x->dtype) <= kind_rank(y->dtype))
		return kind_rank(y->dtype) == kind_rank(x->dtype) ? value_based(y->dtype, x) : y->dtype;
	return dtype_promote(x->dtype, y->dtype);
}

Value *
lw_cast(Lower *L, Value *v, DType t)
{
	if (v->dtype == t)
		return v;
	if (dtype_is_complex(v->dtype) && !dtype_is_complex(t) && t != DT_BOOL)
		return lw_cast_at(L, v, t, v->loc);
	if (v->kind == V_MASKED)
		return lw_masked_like(L, v, lw_cast(L, v->items[0], t));
	if (v->kind == V_CONST) {
		Value *e = lw_value_new(L, V_EXPR, v->loc);
		e->dtype = t;
		e->expr = const_expr(L, v, t);
		return e;
	}
	Value *e = lw_value_new(L, V_EXPR, v->loc);
	*e = *lw_to_expr(L, v);
	e->expr = ir_expr_cast(L->a, t, e->expr);
	e->dtype = t;
	return e;
}

Value *
lw_cast_at(Lower *L, Value *v, DType t, SrcLoc loc)
{
	if (!dtype_is_complex(v->dtype) || dtype_is_complex(t) || t == DT_BOOL)
		return lw_cast(L, v, t);
	diag_warning(L->ctx, loc, "casting complex values to %s discards the imaginary part "
		     "(NumPy's ComplexWarning)", dtype_name(t));
	return lw_cast(L, lw_unary(L, OP_REAL, v, loc), t);
}

static Value *
combine(Lower *L, Value *x, Value *y, int ndim, Sym **shape)
{
	Value *r = lw_value_new(L, V_EXPR, x->loc);
	r->ndim = ndim;
	r->shape = shape;
	r->nreads = x->nreads + y->nreads;
	r->reads = arena_alloc(L->a, sizeof(Read) * (size_t)(r->nreads + 1));
	if (x->nreads)
		memcpy(r->reads, x->reads, sizeof(Read) * (size_t)x->nreads);
	if (y->nreads)
		memcpy(r->reads + x->nreads, y->reads, sizeof(Read) * (size_t)y->nreads);
	return r;
}

static bool
is_int_valued(const Value *v)
{
	return v->kind == V_SYM || (v->kind == V_CONST && dtype_is_int(v->dtype));
}

/* Integer arithmetic on symbols stays symbolic (shapes, indices, bounds). */
static Value *
sym_binary(Lower *L, IrOp op, Value *x, Value *y, SrcLoc loc)
{
	Sym *a = lw_as_sym(L, x, loc, "operand"), *b = lw_as_sym(L, y, loc, "operand");
	int64_t c;
	switch (op) {
	case OP_ADD: return lw_sym_value(L, sym_add(L->a, a, b), loc);
	case OP_SUB: return lw_sym_value(L, sym_sub(L->a, a, b), loc);
	case OP_MUL: return lw_sym_value(L, sym_mul(L->a, a, b), loc);
	case OP_MIN: return lw_sym_value(L, sym_min(L->a, a, b), loc);
	case OP_MAX: return lw_sym_value(L, sym_max(L->a, a, b), loc);
	case OP_FLOORDIV: case OP_MOD:
		if (sym_is_const(b, &c) && c == 0)
			diag_fatal(L->ctx, loc, "integer division or modulo by zero");
		return lw_sym_value(L, op == OP_MOD ? sym_mod(L->a, a, b)
					: sym_floordiv(L->a, a, b), loc);
	case OP_POW:
		if (sym_is_const(b, &c) && c >= 0 && c <= 64) {
			Sym *r = sym_const(L->a, 1);
			for (int64_t i = 0; i < c; i++)
				r = sym_mul(L->a, r, a);
			return lw_sym_value(L, r, loc);
		}
		return NULL;
	default:
		return NULL;
	}
}

/* The dtype both operands are converted to before `op` is applied. */
static DType
operand_dtype(IrOp op, DType t, SrcLoc loc, Lower *L, const char *opname)
{
	switch (ir_op_class(op)) {
	case OPC_LOGIC:
		return DT_BOOL;
	default:
		break;
	}
	if ((op == OP_BITAND || op == OP_BITOR || op == OP_BITXOR || op == OP_SHL ||
	     op == OP_SHR) && !dtype_is_int(t) && t != DT_BOOL)
		diag_fatal(L->ctx, loc, "operator '%s' is not supported for %s operands",
			   opname, dtype_name(t));
	if ((op == OP_SHL || op == OP_SHR) && t == DT_BOOL)
		return DT_INT64;
	return t;
}

/* a op b as a Sym, for + - * min max, // % by a positive constant or an
 * expression provably >= 1, >> << by a constant (0 to 61: a symbol may
 * be 0 or the shift too wide), and ** by a constant from 0 to 8; NULL for
 * any other operation. */
static Sym *
op_sym(Arena *A, IrOp op, Sym *a, Sym *b)
{
	int64_t c = 0;
	bool k = sym_is_const(b, &c), shift = k && c >= 0 && c < 62;
	/* a divisor provably >= 1 (n // (np.abs(m) + 1)): the wrapper, which
	 * evaluates the assumptions, never divides by 0 */
	bool pos = k ? c > 0 : sym_le(sym_const(A, 1), b) == T_TRUE;
	switch (op) {
	case OP_ADD: return sym_add(A, a, b);
	case OP_SUB: return sym_sub(A, a, b);
	case OP_MUL: return sym_mul(A, a, b);
	case OP_MIN: return sym_min(A, a, b);
	case OP_MAX: return sym_max(A, a, b);
	case OP_FLOORDIV: return pos ? sym_floordiv(A, a, b) : NULL;
	case OP_MOD: return pos ? sym_mod(A, a, b) : NULL;
	case OP_SHR: return shift ? sym_floordiv(A, a, sym_const(A, INT64_C(1) << c)) : NULL;
	case OP_SHL: return shift ? sym_mul(A, a, sym_const(A, INT64_C(1) << c)) : NULL;
	case OP_POW:
		if (!k || c < 0 || c > 8)
			return NULL;
		Sym *p = sym_const(A, 1);
		for (int64_t i = 0; i < c; i++)
			p = sym_mul(A, p, a);
		return p;
	default: return NULL;
	}
}

/* The value of a scalar integer expression over symbols (`-np.int16(n)`)
 * as a Sym: + - * min max abs sign, // % by positive divisors, >> << by
 * constants (np.minimum(m, n) >> 1) and ** by one, each cast to a
 * narrower integer dtype and each operation in one assumed not to wrap
 * (lw_assume_between); NULL for anything else. */
static Sym *
expr_sym(Lower *L, const IrExpr *e, SrcLoc loc)
{
	int64_t lo, hi;
	Sym *a, *b = NULL;
	switch (e->kind) {
	case EX_SYM:
		return sym_var(L->a, e->name);
	case EX_CONST:
		return dtype_is_int(e->dtype) ? sym_const(L->a, e->ival) : NULL;
	case EX_CAST: {
		int64_t slo, shi;
		if (!dtype_is_int(e->dtype) || !dtype_is_int(e->args[0]->dtype) ||
		    !(a = expr_sym(L, e->args[0], loc)))
			return NULL;
		dtype_int_range(e->dtype, &lo, &hi);
		dtype_int_range(e->args[0]->dtype, &slo, &shi);
		/* a widening cast keeps every value */
		return (lo <= slo && shi <= hi) || lw_assume_between(L, a, lo, hi, loc) ? a : NULL;
	}
	case EX_OP: {
		Sym *r = NULL;
		if (!dtype_is_int(e->dtype))
			return NULL;
		if (e->n == 1 && e->op == OP_NEG && (a = expr_sym(L, e->args[0], loc)))
			r = sym_neg(L->a, a);
		else if (e->n == 1 && e->op == OP_ABS && (a = expr_sym(L, e->args[0], loc)))
			r = sym_le(sym_const(L->a, 0), a) == T_TRUE ? a : sym_max(L->a, a, sym_neg(L->a, a));
		else if (e->n == 1 && e->op == OP_SIGN && (a = expr_sym(L, e->args[0], loc)))
			r = sym_max(L->a, sym_min(L->a, a, sym_const(L->a, 1)), sym_const(L->a, -1));
		else if (e->n == 2 && (a = expr_sym(L, e->args[0], loc)) &&
			 (b = expr_sym(L, e->args[1], loc)))
			r = op_sym(L->a, e->op, a, b);
		/* an operation in a narrower dtype is assumed not to wrap, as a
		 * cast to it is */
		if (!r || e->dtype == DT_INT64)
			return r;
		dtype_int_range(e->dtype, &lo, &hi);
		return lw_assume_between(L, r, lo, hi, loc) ? r : NULL;
	}
	default:
		return NULL;
	}
}

/* Is one of x and y an integer scalar known only at run time (*s) that
 * NumPy types by its value against an integer array (*arr) of a narrower
 * dtype than int64? A NumPy scalar whose own dtype the array's holds
 * (int16 with int16) never widens it, whatever its value. */
static bool
value_typed(const Value *x, const Value *y, const Value **s, const Value **arr)
{
	Value tmp;
	*s = lw_is_scalar(y) ? y : x;
	*arr = *s == y ? x : y;
	return lw_is_scalar(*s) && !lw_is_scalar(*arr) && dtype_is_int((*arr)->dtype) &&
	       dtype_is_int((*s)->dtype) && (*arr)->dtype != DT_INT64 &&
	       typing_view(*s, &tmp)->kind != V_CONST &&
	       ((*s)->kind == V_SYM || dtype_promote((*s)->dtype, (*arr)->dtype) != (*arr)->dtype);
}

/* The value of scalar s, tested at run time (OP_FITS) against [lo, hi]
 * and kept in a 0-d temporary, so that the test runs once, before the
 * loops that use it. */
static Value *
checked_scalar(Lower *L, const Value *s, int64_t lo, int64_t hi, SrcLoc loc)
{
	Value *e = lw_to_expr(L, (Value *)s);
	Value *c = lw_value_new(L, V_EXPR, loc);
	*c = *e;
	IrExpr *args[3] = { e->expr, ir_expr_const_int(L->a, DT_INT64, lo),
			    ir_expr_const_int(L->a, DT_INT64, hi) };
	c->expr = ir_expr_op(L->a, OP_FITS, 3, args);
	return lw_materialize(L, c, "fits");
}

/* NumPy 1.24 types `int8_array + n` by the value of the integer n
 * (min_scalar_type): int8 while n fits int8, int16 beyond. dfc types it
 * as if n fits the array's dtype (value_based) and, where n is over the
 * sizes, integer parameters and loop variables, assumes so of the call,
 * so that the wrapper refuses sizes that would change the dtype; an
 * integer computed at run time (from the data: `int(x[0])`, `x.sum()`)
 * is tested where it is computed, and the call raises when it did not
 * fit (*x or *y becomes the tested value; python.md). A constant's value
 * types it instead (typing_view); a comparison needs no assumption
 * (compare_scalar). */
static void
assume_scalar_fits(Lower *L, IrOp op, Value **x, Value **y, SrcLoc loc)
{
	const Value *s, *arr;
	if (L->comparing || !value_typed(*x, *y, &s, &arr))
		return;
	Sym *v = s->kind == V_SYM ? s->sym : s->kind == V_EXPR && !s->nreads && s->expr
		 ? expr_sym(L, s->expr, loc) : NULL;
	int64_t lo, hi;
	dtype_int_range(arr->dtype, &lo, &hi);
	/* In place (`a ^= n`), NumPy computes in the wider dtype and casts
	 * the result back to the array's, which keeps its low bits: for + - *
	 * & | ^ those of the result in the array's dtype with n wrapped to it,
	 * whatever n. Only a negative n with an unsigned array differs: NumPy
	 * refuses to cast its signed result back. */
	if (L->inplace && (op == OP_ADD || op == OP_SUB || op == OP_MUL || op == OP_BITAND ||
			   op == OP_BITOR || op == OP_BITXOR)) {
		if (!dtype_is_unsigned(arr->dtype))
			return;
		hi = INT64_MAX;
	}
	if (v)
		lw_assume_between(L, v, lo, hi, loc);
	else if (s == *x)
		*x = checked_scalar(L, s, lo, hi, loc);
	else
		*y = checked_scalar(L, s, lo, hi, loc);
}

/* x op y, a comparison of an integer array with an integer scalar s
 * known only at run time. NumPy compares in a dtype that holds both
 * (value-based casting), which compares their values: `int8_array >= n`
 * at n = 150 is False everywhere. dfc compares in the array's dtype
 * while s fits it, and otherwise gives the answer of every element:
 *     where(s > hi, A, where(s < lo, B, x op y))
 * ([lo, hi] the array dtype's range), whose conditions do not change
 * inside the loops. */
/* a op b for comparison op. */
static bool
compare_ints(IrOp op, int a, int b)
{
	switch (op) {
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	case OP_EQ: return a == b;
	default:    return a != b;
	}
}

static Value *
compare_scalar(Lower *L, IrOp op, Value *x, Value *y, const Value *s, const Value *arr,
	       SrcLoc loc, const char *opname)
{
	/* x op y when s (x or y) lies above every element (s 1, elements 0),
	 * and when below (s -1) */
	bool left = s == x;
	bool above = compare_ints(op, left ? 1 : 0, left ? 0 : 1);
	bool below = compare_ints(op, left ? -1 : 0, left ? 0 : -1);
	int64_t lo, hi;
	dtype_int_range(arr->dtype, &lo, &hi);
	L->comparing = true;
	Value *r = lw_binary(L, op, x, y, loc, opname);
	L->comparing = false;
	Value *sv = (Value *)s;
	Value *yes = lw_cast(L, lw_const_int(L, 1, loc), DT_BOOL);
	Value *no = lw_cast(L, lw_const_int(L, 0, loc), DT_BOOL);
	/* a bound a size always meets (n >= 0) needs no test */
	Sym *sym = s->kind == V_SYM ? s->sym : NULL;
	if (lo != INT64_MIN && !(sym && sym_le(sym_const(L->a, lo), sym) == T_TRUE))
		r = lw_where(L, lw_binary(L, OP_LT, sv, lw_const_int(L, lo, loc), loc, "<"),
			     below ? yes : no, r, loc);
	if (hi != INT64_MAX && !(sym && sym_le(sym, sym_const(L->a, hi)) == T_TRUE))
		r = lw_where(L, lw_binary(L, OP_GT, sv, lw_const_int(L, hi, loc), loc, ">"),
			     above ? yes : no, r, loc);
	return r;
}

Value *
lw_binary(Lower *L, IrOp op, Value *x, Value *y, SrcLoc loc, const char *opname)
{
	if (x->kind == V_MASKED || y->kind == V_MASKED)
		return lw_masked_binary(L, op, x, y, loc, opname);
	if (!lw_is_numeric(x) || !lw_is_numeric(y))
		diag_fatal(L->ctx, loc, "operator '%s' needs numbers or arrays", opname);
	if (is_int_valued(x) && is_int_valued(y)) {
		Value *s = sym_binary(L, op, x, y, loc);
		if (s)
			return s;
	}
	int ndim;
	Sym **shape;
	if (!lw_broadcast_shapes(L, x, y, &ndim, &shape))
		diag_fatal(L->ctx, loc, "shapes %s and %s do not broadcast in '%s'",
			   lw_shape_str(L, x->ndim, x->shape),
			   lw_shape_str(L, y->ndim, y->shape), opname);
	const Value *s, *arr;
	if (ir_op_class(op) == OPC_CMP && !L->comparing && value_typed(x, y, &s, &arr))
		return compare_scalar(L, op, x, y, s, arr, loc, opname);
	DType t = operand_dtype(op, lw_result_dtype(x, y), loc, L, opname);
	/* NumPy's true division of integers and bools runs in float64,
	 * whatever the dtype value-based casting gives them: `uint8_array /
	 * (m + 1)` divides by m + 1 exactly, 376 too, so the operands go to
	 * float64 directly and the scalar needs to fit nothing. */
	if (op == OP_DIV && (dtype_is_int(t) || t == DT_BOOL))
		t = DT_FLOAT64;
	else
		assume_scalar_fits(L, op, &x, &y, loc);
	if (dtype_is_complex(t) && (op == OP_FLOORDIV || op == OP_MOD))
		diag_fatal(L->ctx, loc, "operator '%s' is not defined for complex numbers (NumPy "
			   "raises TypeError)", opname);
	if (op == OP_POW && y->kind == V_CONST && dtype_is_int(y->dtype) && y->ival == 2 &&
	    !dtype_is_int(t))
		return lw_binary(L, OP_MUL, lw_cast(L, x, t), lw_cast(L, x, t), loc, opname);
	/* NumPy's fast path of `array ** 2` (2 or 2.0, a Python or NumPy
	 * scalar) is np.square, which has no bool loop: a bool array squares
	 * in int8, not in the promoted int64 (float64 for 2.0) of np.power. */
	if (op == OP_POW && strcmp(opname, "**") == 0 && x->ndim > 0 && x->dtype == DT_BOOL &&
	    y->kind == V_CONST && y->ndim == 0 &&
	    (dtype_is_int(y->dtype) ? y->ival == 2 : dtype_is_float(y->dtype) && y->fval == 2.0))
		return lw_binary(L, OP_MUL, lw_cast(L, x, DT_INT8), lw_cast(L, x, DT_INT8), loc, "*");
	/* NumPy's fast path of `array ** 0.5` is np.sqrt (-0.0 and -inf differ
	 * from pow, which np.power and scalars use). */
	if (op == OP_POW && strcmp(opname, "**") == 0 && x->ndim > 0 && y->kind == V_CONST &&
	    dtype_is_float(y->dtype) && y->fval == 0.5 && dtype_is_float(t))
		return lw_unary(L, OP_SQRT, lw_cast(L, x, t), loc);
	Value *ex = lw_broadcast_to(L, lw_cast(L, x, t), ndim, shape, loc);
	Value *ey = lw_broadcast_to(L, lw_cast(L, y, t), ndim, shape, loc);
	Value *r = combine(L, ex, ey, ndim, shape);
	r->loc = loc;           /* the operation's, not its left operand's */
	r->expr = ir_expr_op2(L->a, op, ex->expr, ey->expr);
	r->dtype = r->expr->dtype;
	return r;
}

Value *
lw_unary(Lower *L, IrOp op, Value *x, SrcLoc loc)
{
	if (x->kind == V_MASKED)
		return lw_masked_like(L, x, lw_unary(L, op, x->items[0], loc));
	if (!lw_is_numeric(x))
		diag_fatal(L->ctx, loc, "expected a number or an array");
	if (op == OP_NEG && is_int_valued(x))
		return lw_sym_value(L, sym_neg(L->a, lw_as_sym(L, x, loc, "operand")), loc);
	if (op == OP_NOT)
		x = lw_cast(L, x, DT_BOOL);
	if (op == OP_BITNOT && !dtype_is_int(x->dtype) && x->dtype != DT_BOOL)
		diag_fatal(L->ctx, loc, "operator '~' is not supported for %s operands",
			   dtype_name(x->dtype));
	Value *e = lw_to_expr(L, x);
	Value *r = lw_value_new(L, V_EXPR, loc);
	*r = *e;
	r->loc = loc;
	if (op == OP_BITNOT && x->dtype == DT_BOOL)
		r->expr = ir_expr_op1(L->a, OP_NOT, e->expr);
	else
		r->expr = ir_expr_op1(L->a, op, e->expr);
	r->dtype = r->expr->dtype;
	return r;
}

Value *
lw_where(Lower *L, Value *c, Value *x, Value *y, SrcLoc loc)
{
	int n1, n2;
	Sym **s1, **s2;
	if (!lw_broadcast_shapes(L, x, y, &n1, &s1) ||
	    !lw_broadcast2(L, c->ndim, c->shape, n1, s1, &n2, &s2))
		diag_fatal(L->ctx, loc, "operands of 'where' do not broadcast together");
	assume_scalar_fits(L, OP_COUNT, &x, &y, loc);   /* no operation of its own */
	DType t = lw_result_dtype(x, y);
	Value *ec = lw_broadcast_to(L, lw_cast(L, c, DT_BOOL), n2, s2, loc);
	Value *ex = lw_broadcast_to(L, lw_cast(L, x, t), n2, s2, loc);
	Value *ey = lw_broadcast_to(L, lw_cast(L, y, t), n2, s2, loc);
	Value *r = combine(L, combine(L, ec, ex, n2, s2), ey, n2, s2);
	IrExpr *args[3] = { ec->expr, ex->expr, ey->expr };
	r->expr = ir_expr_op(L->a, OP_WHERE, 3, args);
	r->dtype = r->expr->dtype;
	return r;
}

/* ---- materialisation ---- */

const char *
lw_new_transient(Lower *L, const char *base, DType t, int ndim, Sym **shape, SrcLoc loc)
{
	for (int d = 0; d < ndim; d++) {
		const char *bad = lw_unfixed_var(L, shape[d]);
		if (bad)
			diag_fatal(L->ctx, loc, "the size of this array, %s, depends on '%s', which "
				   "changes at run time: arrays whose size changes inside loops "
				   "are not supported yet", lw_shape_str(L, ndim, shape), bad);
	}
	const char *name = ir_program_fresh_name(L->ctx, L->p, base);
	ir_program_add_container(L->ctx, L->p, name, t, ndim, shape, ROLE_TRANSIENT, loc);
	return name;
}

Value *
lw_new_array(Lower *L, const char *base, DType t, int ndim, Sym **shape, SrcLoc loc)
{
	Sym **alloc = arena_alloc(L->a, sizeof(Sym *) * (size_t)(ndim + 1));
	for (int d = 0; d < ndim; d++) {
		alloc[d] = lw_unfixed_var(L, shape[d]) ? lw_upper_bound(L, shape[d]) : shape[d];
		if (!alloc[d])
			diag_fatal(L->ctx, loc, "the size of this array, %s, changes at run time in "
				   "a way dfc cannot bound: not supported yet",
				   lw_shape_str(L, ndim, shape));
	}
	Value *v = lw_array_value(L, lw_new_transient(L, base, t, ndim, alloc, loc), loc);
	v->shape = shape;
	v->fresh = true;
	return v;
}

static Subset
full_subset(Lower *L, const char *data)
{
	IrContainer *c = ir_program_find_container(L->p, data);
	Subset s = { c->ndim, arena_alloc(L->a, sizeof(SymRange) * (size_t)(c->ndim + 1)) };
	for (int d = 0; d < c->ndim; d++)
		s.r[d] = (SymRange){ sym_const(L->a, 0), c->shape[d], sym_const(L->a, 1) };
	return s;
}

static IrExpr *
rename_in(Arena *a, IrExpr *e, const char *from, const char *to)
{
	if (e->kind == EX_IN)
		return strcmp(e->name, from) == 0 ? ir_expr_in(a, e->dtype, to) : e;
	if (e->n == 0)
		return e;
	IrExpr *r = arena_alloc(a, sizeof(*r));
	*r = *e;
	if (e->kind == EX_LOAD && strcmp(e->name, from) == 0)
		r->name = to;
	r->args = arena_alloc(a, sizeof(IrExpr *) * (size_t)e->n);
	for (int i = 0; i < e->n; i++)
		r->args[i] = rename_in(a, e->args[i], from, to);
	return r;
}

static bool
same_idx(int n, Sym **x, Sym **y)
{
	for (int d = 0; d < n; d++)
		if (!sym_equal(x[d], y[d]))
			return false;
	return true;
}

/* Do two reads move the same elements (so that they can share a
 * connector)? */
static bool
same_read(const Read *x, const Read *y)
{
	if (strcmp(x->data, y->data) != 0 || x->ndim != y->ndim || !x->range != !y->range)
		return false;
	for (int d = 0; d < x->ndim; d++) {
		if (x->range && x->range[d] != y->range[d])
			return false;
		if (!(x->range && x->range[d]) && !sym_equal(x->idx[d], y->idx[d]))
			return false;
	}
	return true;
}

/* The memlet subset of read r: one element, or whole dimensions. */
static Subset
read_subset(Lower *L, const Read *r)
{
	Subset sub = subset_index(L->a, r->ndim, r->idx);
	if (!r->range)
		return sub;
	IrContainer *c = ir_program_find_container(L->p, r->data);
	for (int d = 0; d < r->ndim; d++)
		if (r->range[d])
			sub.r[d] = (SymRange){ sym_const(L->a, 0), c->shape[d], sym_const(L->a, 1) };
	return sub;
}

static int
access_node(Lower *L, IrState *s, const char *data, int *cache, const char **names,
	    int *ncache, SrcLoc loc)
{
	for (int i = 0; i < *ncache; i++)
		if (strcmp(names[i], data) == 0)
			return cache[i];
	names[*ncache] = data;
	cache[*ncache] = ir_state_add_access(L->ctx, s, data, loc);
	return cache[(*ncache)++];
}

/* The output index of a write at data-dependent indices dyn[0..n): the
 * index for those dimensions, 0 (the start of a one-element subset) for
 * the others. */
static IrExpr **
out_index(Lower *L, int n, Value **dyn)
{
	IrExpr **oi = arena_alloc(L->a, sizeof(IrExpr *) * (size_t)(n + 1));
	for (int c = 0; c < n; c++)
		oi[c] = dyn[c] ? dyn[c]->expr : ir_expr_const_int(L->a, DT_INT64, 0);
	return oi;
}

/* Emits one state computing e (over e's shape) into data[idx] with `wcr`.
 * With dyn (NULL otherwise), the dimensions c with dyn[c] are written at
 * the data-dependent index dyn[c] (the tasklet's output index), and the
 * map runs sequentially: NumPy's last write wins on repeated indices. */
static void
emit_compute(Lower *L, const char *data, Sym **idx, Value **dyn, Value *e, Wcr wcr, SrcLoc loc)
{
	Ctx *ctx = L->ctx;
	Arena *a = L->a;
	IrState *s = lw_new_state(L, loc);
	IrContainer *dc = ir_program_find_container(L->p, data);
	int n = e->ndim, entry = -1, exitn = -1;
	if (n > 0) {
		const char **params = arena_alloc(a, sizeof(char *) * (size_t)n);
		SymRange *ranges = arena_alloc(a, sizeof(SymRange) * (size_t)n);
		for (int d = 0; d < n; d++) {
			params[d] = arena_printf(a, "_i%d", d);
			ranges[d] = (SymRange){ sym_const(a, 0), e->shape[d], sym_const(a, 1) };
		}
		entry = ir_state_add_map(ctx, s, lw_stable_name(L, 'm', loc), n, params, ranges,
					 dyn ? SCHED_SEQUENTIAL : SCHED_CPU_PARALLEL, loc);
		exitn = s->nodes.data[entry].map.exit;
	}
	/* Distinct reads become connectors in0, in1, ...; equal reads share one. */
	int nr = e->nreads, nconn = 0;
	IrConn *conns = arena_alloc(a, sizeof(IrConn) * (size_t)(nr + 1));
	int *of = arena_alloc(a, sizeof(int) * (size_t)(nr + 1));
	IrExpr *expr = e->expr;
	IrExpr **oidx = dyn ? out_index(L, dc->ndim, dyn) : NULL;
	for (int k = 0; k < nr; k++) {
		Read *r = &e->reads[k];
		int j = 0;
		for (; j < k; j++)
			if (same_read(r, &e->reads[j]))
				break;
		of[k] = j < k ? of[j] : nconn++;
		const char *cn = arena_printf(a, "in%d", of[k]);
		if (j == k)
			conns[of[k]] = (IrConn){ cn, ir_program_find_container(L->p, r->data)->dtype };
		expr = rename_in(a, expr, r->conn, cn);
		for (int c = 0; oidx && c < dc->ndim; c++)
			oidx[c] = rename_in(a, oidx[c], r->conn, cn);
	}
	int t = ir_state_add_tasklet(ctx, s, nconn, conns, (IrConn){ "out", dc->dtype }, expr, loc);
	if (oidx)
		ir_tasklet_set_out_index(ctx, s, t, dc->ndim, oidx);
	int *cache = arena_alloc(a, sizeof(int) * (size_t)(nr + 2));
	const char **names = arena_alloc(a, sizeof(char *) * (size_t)(nr + 2));
	int ncache = 0;
	bool *entered = arena_alloc(a, sizeof(bool) * (size_t)(nr + 1));
	for (int k = 0; k < nr; k++) {
		Read *r = &e->reads[k];
		bool first = true;
		for (int j = 0; j < k; j++)
			first = first && !(of[j] == of[k]);
		if (!first)
			continue;
		Subset sub = read_subset(L, r);
		int acc = access_node(L, s, r->data, cache, names, &ncache, loc);
		if (entry < 0) {
			ir_state_add_memlet(ctx, s, acc, NULL, t, conns[of[k]].name, r->data, sub, WCR_NONE, loc);
			continue;
		}
		const char *in = arena_printf(a, "IN_%s", r->data), *out = arena_printf(a, "OUT_%s", r->data);
		bool done = false;
		for (int j = 0; j < k; j++)
			done = done || (entered[j] && strcmp(e->reads[j].data, r->data) == 0);
		if (!done)
			ir_state_add_memlet(ctx, s, acc, NULL, entry, in, r->data,
					    full_subset(L, r->data), WCR_NONE, loc);
		entered[k] = true;
		ir_state_add_memlet(ctx, s, entry, out, t, conns[of[k]].name, r->data, sub, WCR_NONE, loc);
	}
	int dst = ir_state_add_access(ctx, s, data, loc);
	Subset dsub = subset_index(a, dc->ndim, idx);
	for (int c = 0; dyn && c < dc->ndim; c++)
		if (dyn[c])
			dsub.r[c] = (SymRange){ sym_const(a, 0), dc->shape[c], sym_const(a, 1) };
	if (entry < 0) {
		ir_state_add_memlet(ctx, s, t, "out", dst, NULL, data, dsub, wcr, loc);
		return;
	}
	if (nr == 0)
		ir_state_add_memlet(ctx, s, entry, NULL, t, NULL, NULL, (Subset){ 0, NULL }, WCR_NONE, loc);
	const char *in = arena_printf(a, "IN_%s", data), *out = arena_printf(a, "OUT_%s", data);
	ir_state_add_memlet(ctx, s, t, "out", exitn, in, data, dsub, wcr, loc);
	ir_state_add_memlet(ctx, s, exitn, out, dst, NULL, data, full_subset(L, data), wcr, loc);
}

/* Does e read `data` anywhere else than at idx? */
static bool
reads_elsewhere(const Value *e, const char *data, int n, Sym **idx)
{
	for (int k = 0; k < e->nreads; k++)
		if (strcmp(e->reads[k].data, data) == 0 &&
		    (e->reads[k].range || !same_idx(n, e->reads[k].idx, idx)))
			return true;
	return false;
}

Value *
lw_materialize(Lower *L, Value *v, const char *base)
{
	Value *dst = lw_new_array(L, base, v->dtype, v->ndim, v->shape, v->loc);
	lw_store(L, dst, v, WCR_NONE, v->loc);
	return dst;
}

static bool
uses_iters(Lower *L, const Read *r, int n)
{
	for (int d = 0; d < r->ndim; d++)
		for (int k = 0; k < n; k++)
			if (sym_depends_on(r->idx[d], arena_printf(L->a, "_i%d", k)))
				return true;
	return false;
}

/* Reads of single elements of `data` (A[k, k] in A[k + 1:, k] /= A[k, k])
 * are copied to scalars first, so that writing `data` cannot change them
 * and no temporary of the whole right-hand side is needed. */
static Value *
snapshot_elements(Lower *L, Value *e, const char *data, int n, Sym **idx, SrcLoc loc)
{
	Value *r = NULL;
	for (int k = 0; k < e->nreads; k++) {
		Read *rd = &e->reads[k];
		if (strcmp(rd->data, data) != 0 || rd->range || same_idx(rd->ndim, rd->idx, idx) ||
		    uses_iters(L, rd, e->ndim))
			continue;
		if (!r) {
			r = lw_value_new(L, V_EXPR, e->loc);
			*r = *e;
			r->reads = arena_alloc(L->a, sizeof(Read) * (size_t)(e->nreads + 1));
			memcpy(r->reads, e->reads, sizeof(Read) * (size_t)e->nreads);
		}
		IrContainer *c = ir_program_find_container(L->p, data);
		Value *elem = lw_value_new(L, V_EXPR, loc);
		elem->dtype = c->dtype;
		elem->nreads = 1;
		elem->reads = rd;
		elem->expr = ir_expr_in(L->a, c->dtype, rd->conn);
		Value *t = lw_materialize(L, elem, "elem");
		r->reads[k] = (Read){ rd->conn, t->data, 0, NULL, NULL };
	}
	return r ? r : e;
}

bool
lw_is_store_target(const Value *v)
{
	return v->kind == V_ARRAY || (v->kind == V_MASKED && v->items[0]->kind == V_ARRAY) ||
	       (v->kind == V_EXPR && v->ind);
}

/* Does e read container data? */
static bool
reads_data(const Value *e, const char *data)
{
	for (int k = 0; k < e->nreads; k++)
		if (strcmp(e->reads[k].data, data) == 0)
			return true;
	return false;
}

/* x[idx] = v: v is evaluated completely (into a temporary when it reads
 * x), and so are indices that read x; then one sequential map writes each
 * element at its data-dependent index, in order. */
static void
store_indirect(Lower *L, Value *dst, Value *v, Wcr wcr, SrcLoc loc)
{
	const Indirect *ind = dst->ind;
	IrContainer *c = ir_program_find_container(L->p, ind->data);
	Value *e = lw_broadcast_to(L, lw_cast(L, v, c->dtype), dst->ndim, dst->shape, loc);
	if (reads_data(e, ind->data))
		e = lw_to_expr(L, lw_materialize(L, e, "tmp"));
	Value **dyn = arena_alloc(L->a, sizeof(Value *) * (size_t)(ind->cdim + 1));
	int nreads = e->nreads;
	for (int k = 0; k < ind->cdim; k++) {
		dyn[k] = ind->dyn[k];
		if (dyn[k] && reads_data(dyn[k], ind->data)) {
			Value *t = lw_materialize(L, lw_broadcast_to(L, dyn[k], dst->ndim, dst->shape,
								     loc), "idx");
			dyn[k] = lw_to_expr(L, t);
		}
		nreads += dyn[k] ? dyn[k]->nreads : 0;
	}
	Value *all = lw_value_new(L, V_EXPR, loc);
	*all = *e;
	all->nreads = nreads;
	all->reads = arena_alloc(L->a, sizeof(Read) * (size_t)(nreads + 1));
	if (e->nreads > 0)   /* reads may be NULL then */
		memcpy(all->reads, e->reads, sizeof(Read) * (size_t)e->nreads);
	for (int k = 0, n = e->nreads; k < ind->cdim; k++)
		for (int j = 0; dyn[k] && j < dyn[k]->nreads; j++)
			all->reads[n++] = dyn[k]->reads[j];
	emit_compute(L, ind->data, ind->idx, dyn, all, wcr, loc);
}

bool
lw_same_mask(Arena *arena, const Value *m1, const Value *m2)
{
	if (m1 == m2)
		return true;
	if (m1->kind == V_EXPR && m2->kind == V_EXPR && m1->nreads == m2->nreads &&
	    m1->ndim == m2->ndim) {
		IrExpr *x = m2->expr;
		for (int k = 0; k < m1->nreads; k++) {
			if (!same_read(&m1->reads[k], &m2->reads[k]))
				return false;
			x = rename_in(arena, x, m2->reads[k].conn, m1->reads[k].conn);
		}
		return ir_expr_equal(m1->expr, x);
	}
	if (m1->kind != V_ARRAY || m2->kind != V_ARRAY || strcmp(m1->data, m2->data) != 0 ||
	    m1->ndim != m2->ndim || m1->cdim != m2->cdim)
		return false;
	for (int c = 0; c < m1->cdim; c++)
		if (m1->map[c].vdim != m2->map[c].vdim || !sym_equal(m1->map[c].start, m2->map[c].start) ||
		    !sym_equal(m1->map[c].step, m2->map[c].step))
			return false;
	return true;
}

/* A constant or a lone size symbol: extents a signature or a literal
 * gives, whose mismatch is reported when the kernel is compiled. */
static bool
plain_extent(Lower *L, const Sym *s)
{
	int64_t c;
	return (s->kind == SYM_VAR && ir_program_has_symbol(L->p, s->name)) || sym_is_const(s, &c);
}

/* Extents over size symbols only are known when the kernel is called:
 * (nv - nt) * (nv - 1) == 0 becomes two preconditions, which the caller
 * checks (ValueError, as NumPy raises). */
static void
require_fit(Lower *L, Sym *nv, Sym *nt, SrcLoc loc)
{
	if (lw_non_program_var(L, nv) || lw_non_program_var(L, nt))
		return;
	Sym *d = sym_mul(L->a, sym_sub(L->a, nv, nt), sym_addc(L->a, nv, -1));
	ir_program_assume(L->ctx, L->p, d, loc);
	ir_program_assume(L->ctx, L->p, sym_neg(L->a, d), loc);
}

/* NumPy checks at run time that each extent of an assigned value equals
 * the target's or is 1 (else ValueError). Where dfc proves neither and an
 * extent is computed (from run-time integers, loop variables, slice
 * bounds), the store
 * covers the target's extent nt when the value's nv is at least 1, none
 * when it is 0, and reads the value at min(i, nv - 1), at 0 when nv is 1:
 * exact whenever NumPy does not raise, and in bounds when it would (the
 * result is then undefined: docs/python.md). *dst becomes the view
 * written; the value is returned in its own iteration symbols. */
static Value *
fit_runtime_extents(Lower *L, Value **dst, Value *e, SrcLoc loc)
{
	Arena *a = L->a;
	int off = (*dst)->ndim - e->ndim;
	Sym **to = NULL;
	for (int j = 0; off >= 0 && j < e->ndim; j++) {
		Sym *nv = e->shape[j], *nt = (*dst)->shape[off + j];
		if (sym_equal(nv, nt) || lw_is_one(nv) || (plain_extent(L, nv) && plain_extent(L, nt)))
			continue;
		require_fit(L, nv, nt, loc);
		if (!to) {
			to = arena_alloc(a, sizeof(Sym *) * (size_t)e->ndim);
			for (int k = 0; k < e->ndim; k++)
				to[k] = lw_iter_sym(L, k);
			Value *d = lw_value_new(L, V_ARRAY, (*dst)->loc);
			*d = **dst;
			d->shape = arena_alloc(a, sizeof(Sym *) * (size_t)d->ndim);
			memcpy(d->shape, (*dst)->shape, sizeof(Sym *) * (size_t)d->ndim);
			*dst = d;
		}
		Sym *last = sym_addc(a, nv, -1), *one = sym_const(a, 1);
		to[j] = sym_mul(a, sym_min(a, lw_iter_sym(L, j), last), sym_min(a, last, one));
		(*dst)->shape[off + j] = sym_min(a, nt, sym_mul(a, nt, sym_min(a, nv, one)));
	}
	if (!to)
		return e;
	Value *r = remap_iters(L, e, e->ndim, to);
	r->shape = arena_alloc(a, sizeof(Sym *) * (size_t)e->ndim);
	for (int j = 0; j < e->ndim; j++)
		r->shape[j] = lw_is_one(e->shape[j]) ? e->shape[j] : (*dst)->shape[off + j];
	return r;
}

void
lw_store(Lower *L, Value *dst, Value *v, Wcr wcr, SrcLoc loc)
{
	if (!lw_is_store_target(dst))
		ICE("store into a non-array");
	if (dst->kind == V_MASKED) {
		lw_store_masked(L, dst, v, wcr, loc);
		return;
	}
	if (v->kind == V_MASKED)
		v = lw_masked_keep(L, v, v->loc);
	if (dst->kind == V_EXPR) {
		if (!lw_is_numeric(v))
			diag_fatal(L->ctx, v->loc, "expected a number or an array to assign");
		store_indirect(L, dst, v, wcr, loc);
		return;
	}
	if (dst->readonly)
		diag_fatal(L->ctx, loc, "assignment destination is read-only (as np.diagonal's "
			   "result is in NumPy)");
	if (!lw_is_numeric(v))
		diag_fatal(L->ctx, v->loc, "expected a number or an array to assign");
	if (v->kind == V_CONST && dtype_is_complex(v->dtype) && !dtype_is_complex(dst->dtype))
		diag_fatal(L->ctx, loc, "can't assign a complex number to an array of %s (NumPy "
			   "raises TypeError)", dtype_name(dst->dtype));
	Value *own = lw_to_expr(L, lw_cast_at(L, v, dst->dtype, loc));
	own = fit_runtime_extents(L, &dst, own, loc);
	Value *e = lw_broadcast_to(L, own, dst->ndim, dst->shape, loc);
	bool broadcast = e != own;
	Sym **idx = view_indices(L, dst);
	e = snapshot_elements(L, e, dst->data, dst->cdim, idx, loc);
	if (reads_elsewhere(e, dst->data, dst->cdim, idx)) {
		/* The copy NumPy makes of an overlapping value is of the value
		 * as it is, before its broadcast to the target's shape. */
		Value *v0 = broadcast ? own : e;
		Value *tmp = lw_new_array(L, "tmp", v0->dtype, v0->ndim, v0->shape, loc);
		lw_store(L, tmp, v0, WCR_NONE, loc);
		e = lw_broadcast_to(L, tmp, dst->ndim, dst->shape, loc);
	}
	emit_compute(L, dst->data, idx, NULL, e, wcr, loc);
}

void
lw_emit_reduction(Lower *L, const char *data, Sym **idx, Value *e, Wcr wcr, SrcLoc loc)
{
	emit_compute(L, data, idx, NULL, e, wcr, loc);
}

IrExpr *
lw_cond_expr(Lower *L, Value *v)
{
	if (v->ndim != 0)
		diag_fatal(L->ctx, v->loc, "the truth value of an array with more than one "
			   "element is ambiguous (use np.any or np.all)");
	Value *e = lw_to_expr(L, v);
	IrExpr *x = e->expr;
	for (int k = 0; k < e->nreads; k++) {
		if (e->reads[k].ndim != 0)
			return NULL;
		x = rename_in(L->a, x, e->reads[k].conn, e->reads[k].data);
	}
	return x;
}
