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
 * integer < float < complex) is not higher (value-based casting).
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

static Sym *
iter_sym(Lower *L, int d)
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
			 : sym_add(L->a, m.start, sym_mul(L->a, m.step, iter_sym(L, m.vdim)));
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

static bool
is_one(const Sym *s)
{
	int64_t c;
	return sym_is_const(s, &c) && c == 1;
}

/* NumPy's broadcasting of two shapes; false if they do not broadcast. */
static bool
broadcast2(Lower *L, int nx, Sym **sx, int ny, Sym **sy, int *n, Sym ***out)
{
	int m = nx > ny ? nx : ny;
	Sym **s = arena_alloc(L->a, sizeof(Sym *) * (size_t)(m + 1));
	for (int d = 0; d < m; d++) {
		Sym *a = d - (m - nx) >= 0 ? sx[d - (m - nx)] : NULL;
		Sym *b = d - (m - ny) >= 0 ? sy[d - (m - ny)] : NULL;
		if (!a || is_one(a))
			s[d] = b ? b : a;
		else if (!b || is_one(b) || sym_equal(a, b))
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
	return broadcast2(L, x->ndim, x->shape, y->ndim, y->shape, ndim, shape);
}

/* v (any numeric value) as a lazy expression over the shape (ndim, shape),
 * which v must broadcast to. */
Value *
lw_broadcast_to(Lower *L, Value *v, int ndim, Sym **shape, SrcLoc loc)
{
	Value *e = lw_to_expr(L, v);
	int n;
	Sym **s;
	if (e->ndim > ndim || !broadcast2(L, e->ndim, e->shape, ndim, shape, &n, &s) || n != ndim)
		goto fail;
	for (int d = 0; d < ndim; d++)
		if (!sym_equal(s[d], shape[d]))
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
		to[j] = is_one(e->shape[j]) && !is_one(shape[t]) ? sym_const(L->a, 0)
								 : iter_sym(L, t);
	}
	Value *r = remap_iters(L, e, e->ndim, to);
	r->ndim = ndim;
	r->shape = shape;
	return r;
fail:
	diag_fatal(L->ctx, loc, "could not broadcast a value of shape %s to shape %s",
		   lw_shape_str(L, e->ndim, e->shape), lw_shape_str(L, ndim, shape));
}

static int
kind_rank(DType t)
{
	return t == DT_BOOL ? 0 : dtype_is_int(t) ? 1 : dtype_is_float(t) ? 2 : 3;
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

/* The dtype an array of dtype `arr` takes in an operation with the scalar
 * s of the same kind (NumPy 1.24 value-based casting): the array's, unless
 * a Python literal does not fit it (int8 array * 300 is int16). */
static DType
value_based(DType arr, const Value *s)
{
	if (s->kind != V_CONST || s->dtype == DT_BOOL)
		return arr;
	if (dtype_is_int(arr) && dtype_is_int(s->dtype))
		return dtype_promote(arr, min_int_dtype(s->ival, dtype_is_unsigned(arr)));
	if (arr == DT_FLOAT32 && s->dtype == DT_FLOAT64 && isfinite(s->fval) &&
	    fabs(s->fval) >= 3.4e38)   /* NumPy's min_scalar_type bound */
		return DT_FLOAT64;
	return arr;
}

/* NumPy 1.24 result dtype of a binary operation on x and y. */
DType
lw_result_dtype(const Value *x, const Value *y)
{
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

Value *
lw_binary(Lower *L, IrOp op, Value *x, Value *y, SrcLoc loc, const char *opname)
{
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
	DType t = operand_dtype(op, lw_result_dtype(x, y), loc, L, opname);
	if (op == OP_POW && y->kind == V_CONST && dtype_is_int(y->dtype) && y->ival == 2 &&
	    !dtype_is_int(t))
		return lw_binary(L, OP_MUL, lw_cast(L, x, t), lw_cast(L, x, t), loc, opname);
	Value *ex = lw_broadcast_to(L, lw_cast(L, x, t), ndim, shape, loc);
	Value *ey = lw_broadcast_to(L, lw_cast(L, y, t), ndim, shape, loc);
	Value *r = combine(L, ex, ey, ndim, shape);
	r->expr = ir_expr_op2(L->a, op, ex->expr, ey->expr);
	r->dtype = r->expr->dtype;
	return r;
}

Value *
lw_unary(Lower *L, IrOp op, Value *x, SrcLoc loc)
{
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
	    !broadcast2(L, c->ndim, c->shape, n1, s1, &n2, &s2))
		diag_fatal(L->ctx, loc, "operands of 'where' do not broadcast together");
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

/* v as a symbolic integer: int constants, symbols, and int scalars of
 * integer parameters. */
Sym *
lw_as_sym(Lower *L, Value *v, SrcLoc loc, const char *what)
{
	if (v->kind == V_SYM)
		return v->sym;
	if (v->kind == V_CONST && (dtype_is_int(v->dtype) || v->dtype == DT_BOOL))
		return sym_const(L->a, v->ival);
	if ((v->kind == V_ARRAY || v->kind == V_EXPR) && v->ndim == 0 &&
	    (dtype_is_int(v->dtype) || v->dtype == DT_BOOL))
		diag_fatal(L->ctx, loc, "this %s is an integer computed at run time; only "
			   "integers known from sizes, loop variables and integer "
			   "parameters are supported here yet", what);
	diag_fatal(L->ctx, loc, "expected an integer %s", what);
}

/* ---- subscripts ---- */

/* One index of a subscript: a fixed position or a slice of a view dim. */
typedef struct Idx {
	bool is_slice;
	Sym *start, *len, *step;   /* fixed: start only */
} Idx;

static void
note_var(const char *name, void *ud)
{
	void **u = ud;
	Lower *L = u[0];
	if (!ir_program_has_symbol(L->p, name) && !u[1])
		u[1] = (void *)name;
}

/* The first variable of s that is not a size symbol of the program. */
static const char *
non_program_var(Lower *L, Sym *s)
{
	void *ud[2] = { L, NULL };
	sym_foreach_var(s, note_var, ud);
	return ud[1];
}

/* x, known to be >= lo: proven; assumed when it involves only size symbols
 * (a precondition of the call, checked by the callers); else max(x, lo),
 * as NumPy clamps slice bounds. */
/* May d >= 0 be assumed of a call rather than enforced? Only for "the
 * sizes are large enough" (N - 2 >= 0 for A[1:-1], N - k >= 0 for
 * x[:N - k]): d is over size symbols and integer parameters only, has a
 * term with a positive coefficient, no modulo, and a constant term >= -16.
 * Anything else (a[2:100], a[-1:1]) is clamped as NumPy does. */
static bool
natural_assumption(Lower *L, Sym *d)
{
	if (non_program_var(L, d))
		return false;
	if (d->kind == SYM_VAR || d->kind == SYM_MUL || d->kind == SYM_FLOORDIV)
		return true;
	if (d->kind != SYM_ADD || d->c < -16)
		return false;
	bool grows = false;
	for (int i = 0; i < d->n; i++) {
		if (d->args[i]->kind == SYM_MOD)
			return false;
		grows = grows || d->coefs[i] > 0;
	}
	return grows;
}

/* The values loop f's variable takes inside the loop: [*lo, *hi]. */
static void
loop_range(Arena *a, const LoopFact *f, Sym **lo, Sym **hi)
{
	if (f->step > 0) {
		*lo = f->start;
		*hi = sym_addc(a, f->stop, -1);
	} else {
		*lo = sym_addc(a, f->stop, 1);
		*hi = f->start;
	}
}

/* s with each enclosing loop variable, innermost first, replaced by the end
 * of its range where s is smallest (want_min) or largest; NULL when s is
 * not affine in one of them. */
static Sym *
loop_extreme(Lower *L, Sym *s, bool want_min)
{
	for (int i = L->loops.len - 1; i >= 0; i--) {
		const LoopFact *f = &L->loops.data[i];
		int64_t c;
		if (!sym_depends_on(s, f->var))
			continue;
		if (!sym_coef_of(s, f->var, &c))
			return NULL;
		Sym *lo, *hi;
		loop_range(L->a, f, &lo, &hi);
		s = sym_subst(L->a, s, f->var, (c > 0) == want_min ? lo : hi);
	}
	return s;
}

bool
lw_provable_le(Lower *L, Sym *x, Sym *y)
{
	Sym *d = loop_extreme(L, sym_sub(L->a, y, x), true);
	return d && !non_program_var(L, d) && sym_le(sym_const(L->a, 0), d) == T_TRUE;
}

Sym *
lw_upper_bound(Lower *L, Sym *s)
{
	Sym *u = loop_extreme(L, s, false);
	return u && !non_program_var(L, u) ? u : NULL;
}

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
	if (natural_assumption(L, i)) {
		ir_program_assume(L->ctx, L->p, i, loc);
		return i;
	}
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
	if (natural_assumption(L, x)) {
		ir_program_assume(L->ctx, L->p, x, loc);
		return x;
	}
	x = sym_max(a, sym_min(a, x, n), sym_neg(a, n));
	return sym_sub(a, x, sym_mul(a, n, sym_floordiv(a, x, sym_addc(a, n, 1))));
}

static Sym *
at_least(Lower *L, Sym *x, Sym *lo, SrcLoc loc)
{
	if (lw_provable_le(L, lo, x))
		return x;
	Sym *d = sym_sub(L->a, x, lo);
	if (!lw_provable_le(L, x, sym_addc(L->a, lo, -1)) && natural_assumption(L, d)) {
		ir_program_assume(L->ctx, L->p, d, loc);
		return x;
	}
	return sym_max(L->a, x, lo);
}

static Sym *
at_most(Lower *L, Sym *x, Sym *hi, SrcLoc loc)
{
	if (lw_provable_le(L, x, hi))
		return x;
	Sym *d = sym_sub(L->a, hi, x);
	if (!lw_provable_le(L, sym_addc(L->a, hi, 1), x) && natural_assumption(L, d)) {
		ir_program_assume(L->ctx, L->p, d, loc);
		return x;
	}
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

static Idx
slice_index(Lower *L, PyExpr *e, Sym *n)
{
	Arena *a = L->a;
	Idx ix = { true, NULL, NULL, NULL };
	int64_t st = 1;
	if (e->step) {
		Sym *s = slice_bound(L, e->step, NULL, "slice step");
		if (s && (!sym_is_const(s, &st) || st == 0))
			diag_fatal(L->ctx, e->step->loc, "slice steps must be nonzero integer constants");
		if (!s)
			st = 1;
	}
	Sym *lo = e->lo ? slice_bound(L, e->lo, n, "slice start") : NULL;
	Sym *hi = e->hi ? slice_bound(L, e->hi, n, "slice stop") : NULL;
	ix.step = sym_const(a, st);
	if (st > 0) {
		lo = lo ? clamp(L, lo, sym_const(a, 0), n, e->loc) : sym_const(a, 0);
		hi = hi ? clamp(L, hi, sym_const(a, 0), n, e->loc) : n;
		hi = at_least(L, hi, lo, e->loc);
		Sym *span = sym_addc(a, sym_sub(a, hi, lo), st - 1);
		ix.len = sym_floordiv(a, span, sym_const(a, st));
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
	if (base->kind != V_ARRAY)
		diag_fatal(L->ctx, e->loc, "only arrays can be indexed here");
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
		Value *iv = lw_eval(L, it);
		if (iv->kind == V_ARRAY && iv->ndim > 0)
			lw_unsupported(L, it->loc, "indexing with an integer or boolean array");
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

/* ---- materialisation ---- */

const char *
lw_new_transient(Lower *L, const char *base, DType t, int ndim, Sym **shape, SrcLoc loc)
{
	for (int d = 0; d < ndim; d++) {
		const char *bad = non_program_var(L, shape[d]);
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
		alloc[d] = non_program_var(L, shape[d]) ? lw_upper_bound(L, shape[d]) : shape[d];
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

/* Emits one state computing e (over e's shape) into data[idx] with `wcr`. */
static void
emit_compute(Lower *L, const char *data, Sym **idx, Value *e, Wcr wcr, SrcLoc loc)
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
					 SCHED_CPU_PARALLEL, loc);
		exitn = s->nodes.data[entry].map.exit;
	}
	/* Distinct reads become connectors in0, in1, ...; equal reads share one. */
	int nr = e->nreads, nconn = 0;
	IrConn *conns = arena_alloc(a, sizeof(IrConn) * (size_t)(nr + 1));
	int *of = arena_alloc(a, sizeof(int) * (size_t)(nr + 1));
	IrExpr *expr = e->expr;
	for (int k = 0; k < nr; k++) {
		Read *r = &e->reads[k];
		int j = 0;
		for (; j < k; j++)
			if (strcmp(e->reads[j].data, r->data) == 0 && r->ndim == e->reads[j].ndim &&
			    same_idx(r->ndim, r->idx, e->reads[j].idx))
				break;
		of[k] = j < k ? of[j] : nconn++;
		const char *cn = arena_printf(a, "in%d", of[k]);
		if (j == k)
			conns[of[k]] = (IrConn){ cn, ir_program_find_container(L->p, r->data)->dtype };
		expr = rename_in(a, expr, r->conn, cn);
	}
	int t = ir_state_add_tasklet(ctx, s, nconn, conns, (IrConn){ "out", dc->dtype }, expr, loc);
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
		Subset sub = subset_index(a, r->ndim, r->idx);
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
		if (strcmp(e->reads[k].data, data) == 0 && !same_idx(n, e->reads[k].idx, idx))
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
		if (strcmp(rd->data, data) != 0 || same_idx(rd->ndim, rd->idx, idx) ||
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
		r->reads[k] = (Read){ rd->conn, t->data, 0, NULL };
	}
	return r ? r : e;
}

void
lw_store(Lower *L, Value *dst, Value *v, Wcr wcr, SrcLoc loc)
{
	if (dst->kind != V_ARRAY)
		ICE("store into a non-array");
	if (dst->readonly)
		diag_fatal(L->ctx, loc, "assignment destination is read-only (as np.diagonal's "
			   "result is in NumPy)");
	if (!lw_is_numeric(v))
		diag_fatal(L->ctx, v->loc, "expected a number or an array to assign");
	Value *e = lw_broadcast_to(L, lw_cast(L, v, dst->dtype), dst->ndim, dst->shape, loc);
	Sym **idx = view_indices(L, dst);
	e = snapshot_elements(L, e, dst->data, dst->cdim, idx, loc);
	if (reads_elsewhere(e, dst->data, dst->cdim, idx)) {
		Value *tmp = lw_new_array(L, "tmp", e->dtype, e->ndim, e->shape, loc);
		lw_store(L, tmp, e, WCR_NONE, loc);
		e = lw_to_expr(L, tmp);
	}
	emit_compute(L, dst->data, idx, e, wcr, loc);
}

void
lw_emit_reduction(Lower *L, const char *data, Sym **idx, Value *e, Wcr wcr, SrcLoc loc)
{
	emit_compute(L, data, idx, e, wcr, loc);
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
