/* codegen/openmp/expr.c — tasklet expressions as C with NumPy semantics.
 *
 * Every operator converts its operands explicitly to the dtype it computes
 * in (the op's result dtype; for comparisons the promoted operand dtype),
 * so C's usual arithmetic conversions never differ from NumPy's. Results
 * of integer arithmetic narrower than int are cast back to their dtype, so
 * int8/int16/uint8/uint16 wrap as in NumPy; int32/int64 wrap because
 * generated code is compiled with -fwrapv. Every emitted expression is a
 * name, a literal, a call, or fully parenthesized.
 *
 * Operators C lacks or gets wrong are static inline helpers, emitted once
 * per dtype at the top of the file (cg_omp_helpers_emit):
 *   dfc_floordiv_<t>, dfc_mod_<t>  Python rounding (toward -inf, result of
 *                                  % has the divisor's sign); integer
 *                                  division by zero gives 0 as in NumPy;
 *                                  floats follow npy_divmod exactly;
 *   dfc_power_<t>                  integer power by squaring, wrapping; a
 *                                  negative exponent (an error in NumPy)
 *                                  gives 0;
 *   dfc_minimum_<t>, dfc_maximum_<t>  np.minimum/np.maximum: NaN wins;
 *   dfc_absolute_<t>               abs of signed integers (wraps at MIN);
 *   dfc_shl_<t>, dfc_shr_<t>       NumPy shifts: counts outside
 *                                  [0, bits) give 0 (or -1 for >> of a
 *                                  negative value), never C's UB;
 *   dfc_redmin_<t>, dfc_redmax_<t> `omp declare reduction`s that keep NaN
 *                                  propagation in parallel min/max
 *                                  reductions of floats.
 * Bool arithmetic is logical (+ is or, * is and), as NumPy's.
 */
#include <inttypes.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* Suffix of helper names: "i32", "f64", "b"... */
static const char *
sfx(DType t)
{
	static const char *const s[DT_COUNT] = {
		[DT_BOOL] = "b", [DT_INT8] = "i8", [DT_INT16] = "i16", [DT_INT32] = "i32",
		[DT_INT64] = "i64", [DT_UINT8] = "u8", [DT_UINT16] = "u16",
		[DT_UINT32] = "u32", [DT_UINT64] = "u64", [DT_FLOAT32] = "f32",
		[DT_FLOAT64] = "f64", [DT_COMPLEX64] = "c64", [DT_COMPLEX128] = "c128",
	};
	return s[t];
}

static const char *const helper_names[OH_COUNT] = {
	"floordiv", "mod", "power", "minimum", "maximum", "absolute", "shl", "shr",
	"redmin", "redmax",
};

/* Name of helper h for dtype t, and a note that the file needs it. */
static const char *
helper(OmpEmit *E, OmpHelper h, DType t)
{
	E->need[h][t] = true;
	if (h == OH_REDMIN)
		E->need[OH_MIN][t] = true;
	if (h == OH_REDMAX)
		E->need[OH_MAX][t] = true;
	return arena_printf(E->a, "dfc_%s_%s", helper_names[h], sfx(t));
}

static bool
narrow(DType t)
{
	return dtype_is_int(t) && dtype_size(t) < 4;
}

static const char *
ctype(DType t)
{
	return dtype_ctype(t);
}

/* ---- constants ---- */

/* Shortest of %.{lo}g..%.{hi}g that reads back as v (as float when f32). */
static char *
float_digits(OmpEmit *E, double v, bool f32)
{
	char buf[64];
	for (int prec = f32 ? 6 : 15; prec <= (f32 ? 9 : 17); prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		double back = strtod(buf, NULL);
		if (f32 ? (float)back == (float)v : back == v)
			break;
	}
	if (!strpbrk(buf, ".e"))
		strcat(buf, ".0");
	return arena_strdup(E->a, buf);
}

static char *
float_const(OmpEmit *E, DType t, double v)
{
	bool f32 = t == DT_FLOAT32;
	if (f32 && isfinite(v) && fabs(v) > FLT_MAX)
		v = copysign(INFINITY, v);   /* as NumPy stores 1e300 in float32 */
	if (isnan(v))
		return f32 ? "NAN" : "((double)NAN)";
	if (isinf(v))
		return f32 ? (v < 0 ? "(-INFINITY)" : "INFINITY")
			   : (v < 0 ? "(-(double)INFINITY)" : "((double)INFINITY)");
	if (f32)
		v = (float)v;
	char *d = float_digits(E, v, f32);
	const char *suffix = f32 ? "f" : "";
	if (d[0] == '-')
		return arena_printf(E->a, "(%s%s)", d, suffix);
	return arena_printf(E->a, "%s%s", d, suffix);
}

static char *
int_const(OmpEmit *E, DType t, int64_t v)
{
	switch (t) {
	case DT_BOOL:
		return v ? "true" : "false";
	case DT_INT64:
		if (v == INT64_MIN)
			return "INT64_MIN";
		return v < 0 ? arena_printf(E->a, "(-INT64_C(%" PRId64 "))", -v)
			     : arena_printf(E->a, "INT64_C(%" PRId64 ")", v);
	case DT_UINT64:
		return arena_printf(E->a, "UINT64_C(%" PRIu64 ")", (uint64_t)v);
	case DT_UINT32:
		return arena_printf(E->a, "%" PRIu32 "u", (uint32_t)v);
	case DT_INT32:
		if ((int32_t)v == INT32_MIN)
			return "INT32_MIN";
		/* fallthrough */
	default:
		return v < 0 ? arena_printf(E->a, "(%" PRId64 ")", v)
			     : arena_printf(E->a, "%" PRId64, v);
	}
}

static char *
const_text(OmpEmit *E, const IrExpr *e)
{
	if (dtype_is_float(e->dtype))
		return float_const(E, e->dtype, e->fval);
	if (dtype_is_complex(e->dtype)) {
		cg_omp_fail(E, E->loc, "complex dtypes are not supported by the OpenMP backend yet");
		return "0";
	}
	return int_const(E, e->dtype, e->ival);
}

/* ---- conversions ---- */

char *
cg_omp_convert(OmpEmit *E, const char *text, DType from, DType to)
{
	if (from == to)
		return (char *)text;
	if (to == DT_BOOL)
		return arena_printf(E->a, "(%s != 0)", text);
	return arena_printf(E->a, "((%s)%s)", ctype(to), text);
}

/* ---- operators ---- */

static const char *
fn_name(IrOp op)
{
	switch (op) {
	case OP_SQRT: return "sqrt";
	case OP_EXP:  return "exp";
	case OP_LOG:  return "log";
	case OP_SIN:  return "sin";
	case OP_COS:  return "cos";
	case OP_TAN:  return "tan";
	case OP_TANH: return "tanh";
	case OP_FLOOR: return "floor";
	case OP_CEIL: return "ceil";
	case OP_TRUNC: return "trunc";
	case OP_RINT: return "rint";
	case OP_ASIN: return "asin";
	case OP_ACOS: return "acos";
	case OP_ATAN: return "atan";
	case OP_SINH: return "sinh";
	case OP_COSH: return "cosh";
	case OP_ASINH: return "asinh";
	case OP_ACOSH: return "acosh";
	case OP_ATANH: return "atanh";
	case OP_EXP2: return "exp2";
	case OP_EXPM1: return "expm1";
	case OP_LOG2: return "log2";
	case OP_LOG10: return "log10";
	case OP_LOG1P: return "log1p";
	case OP_CBRT: return "cbrt";
	case OP_HYPOT: return "hypot";
	case OP_ATAN2: return "atan2";
	default:      return NULL;
	}
}

static const char *
cmp_op(IrOp op)
{
	switch (op) {
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	case OP_GE: return ">=";
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	default:    return NULL;
	}
}

static char *
bad_op(IrOp op, DType t)
{
	ICE("operator '%s' on %s (verify first)", ir_op_name(op), dtype_name(t));
}

/* Binary arithmetic on bools: NumPy's logical meaning. */
static char *
arith_bool(OmpEmit *E, IrOp op, const char *x, const char *y)
{
	switch (op) {
	case OP_ADD: case OP_MAX: case OP_BITOR:
		return arena_printf(E->a, "(%s || %s)", x, y);
	case OP_MUL: case OP_MIN: case OP_BITAND: case OP_FLOORDIV:
		return arena_printf(E->a, "(%s && %s)", x, y);
	case OP_SUB: case OP_BITXOR:
		return arena_printf(E->a, "(%s != %s)", x, y);
	case OP_POW:
		return arena_printf(E->a, "(%s || !%s)", x, y);
	case OP_MOD:
		return arena_strdup(E->a, "false");
	case OP_SHL:
		return arena_strdup(E->a, x);
	case OP_SHR:
		return arena_printf(E->a, "(%s && !%s)", x, y);
	default:
		return bad_op(op, DT_BOOL);
	}
}

static char *
call2(OmpEmit *E, OmpHelper h, DType t, const char *x, const char *y)
{
	return arena_printf(E->a, "%s(%s, %s)", helper(E, h, t), cg_omp_strip(E, x),
			    cg_omp_strip(E, y));
}

/* Does e compute a constant (no inputs, no symbols)? */
static bool
const_tree(const IrExpr *e)
{
	if (e->kind == EX_IN || e->kind == EX_SYM)
		return false;
	for (int i = 0; i < e->n; i++)
		if (!const_tree(e->args[i]))
			return false;
	return true;
}

/* Signed 32/64-bit arithmetic on constants only: compilers warn when it
 * overflows (even under -fwrapv), so it is written in unsigned arithmetic,
 * which wraps the same way without a warning. */
static bool
wrap_unsigned(DType t, bool konst)
{
	return konst && (t == DT_INT32 || t == DT_INT64);
}

static const char *
unsigned_ctype(DType t)
{
	return t == DT_INT32 ? "uint32_t" : "uint64_t";
}

static char *
arith_int(OmpEmit *E, IrOp op, DType t, const char *x, const char *y, bool konst)
{
	const char *o = op == OP_ADD ? "+" : op == OP_SUB ? "-" : op == OP_MUL ? "*" :
			op == OP_BITAND ? "&" : op == OP_BITOR ? "|" : op == OP_BITXOR ? "^" : NULL;
	bool wraps = op == OP_ADD || op == OP_SUB || op == OP_MUL;
	if (o && wraps && wrap_unsigned(t, konst))
		return arena_printf(E->a, "((%s)((%s)%s %s (%s)%s))", ctype(t), unsigned_ctype(t),
				    x, o, unsigned_ctype(t), y);
	if (o && narrow(t) && wraps)
		return arena_printf(E->a, "((%s)(%s %s %s))", ctype(t), x, o, y);
	if (o)
		return arena_printf(E->a, "(%s %s %s)", x, o, y);
	switch (op) {
	case OP_FLOORDIV: return call2(E, OH_FLOORDIV, t, x, y);
	case OP_MOD:      return call2(E, OH_MOD, t, x, y);
	case OP_POW:      return call2(E, OH_POW, t, x, y);
	case OP_MIN:      return call2(E, OH_MIN, t, x, y);
	case OP_MAX:      return call2(E, OH_MAX, t, x, y);
	case OP_SHL:      return call2(E, OH_SHL, t, x, y);
	case OP_SHR:      return call2(E, OH_SHR, t, x, y);
	default:          return bad_op(op, t);
	}
}

static char *
arith_float(OmpEmit *E, IrOp op, DType t, const char *x, const char *y)
{
	const char *f = t == DT_FLOAT32 ? "f" : "";
	switch (op) {
	case OP_ADD:      return arena_printf(E->a, "(%s + %s)", x, y);
	case OP_SUB:      return arena_printf(E->a, "(%s - %s)", x, y);
	case OP_MUL:      return arena_printf(E->a, "(%s * %s)", x, y);
	case OP_FLOORDIV: return call2(E, OH_FLOORDIV, t, x, y);
	case OP_MOD:      return call2(E, OH_MOD, t, x, y);
	case OP_POW:      return arena_printf(E->a, "pow%s(%s, %s)", f, cg_omp_strip(E, x),
					      cg_omp_strip(E, y));
	case OP_MIN:      return call2(E, OH_MIN, t, x, y);
	case OP_MAX:      return call2(E, OH_MAX, t, x, y);
	default:          return bad_op(op, t);
	}
}

static char *
unary(OmpEmit *E, IrOp op, DType t, const char *x, bool konst)
{
	if (t == DT_BOOL)
		return op == OP_BITNOT ? arena_printf(E->a, "(!%s)", x) : arena_strdup(E->a, x);
	if (dtype_is_float(t)) {
		if (op == OP_NEG)
			return arena_printf(E->a, "(-%s)", x);
		if (op == OP_ABS)
			return arena_printf(E->a, "fabs%s(%s)", t == DT_FLOAT32 ? "f" : "",
					    cg_omp_strip(E, x));
		if (op == OP_SIGN)   /* NaN and zeros stay themselves, as in NumPy */
			return arena_printf(E->a, "(%s > 0 ? (%s)1 : %s < 0 ? (%s)-1 : %s)", x,
					    ctype(t), x, ctype(t), x);
		return bad_op(op, t);
	}
	if (op == OP_SIGN)
		return arena_printf(E->a, "((%s)((%s > 0) - (%s < 0)))", ctype(t), x, x);
	const char *o = op == OP_NEG ? "-" : op == OP_BITNOT ? "~" : NULL;
	if (op == OP_NEG && wrap_unsigned(t, konst))
		return arena_printf(E->a, "((%s)(0 - (%s)%s))", ctype(t), unsigned_ctype(t), x);
	if (o && narrow(t))
		return arena_printf(E->a, "((%s)(%s%s))", ctype(t), o, x);
	if (o)
		return arena_printf(E->a, "(%s%s)", o, x);
	if (dtype_is_unsigned(t))
		return arena_strdup(E->a, x);
	return arena_printf(E->a, "%s(%s)", helper(E, OH_ABS, t), cg_omp_strip(E, x));
}

static bool const_tree(const IrExpr *e);

/* ---- comparisons that the operand's range decides ----
 * gcc (-Wtype-limits) and clang warn about `u >= 0` for unsigned u, or
 * `x < 200` for int8 x, even through widening casts. Such comparisons are
 * folded here to their constant value. */

/* An integer as sign and magnitude: exact for every int64 and uint64. */
typedef struct Big {
	bool neg;
	uint64_t mag;
} Big;

static int
big_cmp(Big a, Big b)
{
	if (a.neg != b.neg)
		return a.neg ? -1 : 1;
	if (a.mag == b.mag)
		return 0;
	return (a.mag < b.mag) != a.neg ? -1 : 1;
}

static Big
big_const(const IrExpr *e)
{
	if (e->dtype == DT_UINT64 || e->ival >= 0)
		return (Big){ false, (uint64_t)e->ival };
	return (Big){ true, 0 - (uint64_t)e->ival };
}

/* The range of integer (or bool) dtype t. */
static void
int_range(DType t, Big *lo, Big *hi)
{
	int bits = t == DT_BOOL ? 1 : 8 * dtype_size(t);
	if (t == DT_BOOL || dtype_is_unsigned(t)) {
		*lo = (Big){ false, 0 };
		*hi = (Big){ false, bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1 };
	} else {
		*lo = (Big){ true, (uint64_t)1 << (bits - 1) };
		*hi = (Big){ false, ((uint64_t)1 << (bits - 1)) - 1 };
	}
}

static bool
int_like(DType t)
{
	return t == DT_BOOL || dtype_is_int(t);
}

/* Does every value of integer dtype `from` fit in `to`? */
static bool
widening(DType from, DType to)
{
	Big lf, hf, lt, ht;
	if (!int_like(from) || !int_like(to))
		return false;
	int_range(from, &lf, &hf);
	int_range(to, &lt, &ht);
	return big_cmp(lt, lf) <= 0 && big_cmp(hf, ht) <= 0;
}

/* The dtype whose range the compiler sees for e: e's own, or the source
 * dtype of value-preserving casts. */
static DType
range_dtype(const IrExpr *e)
{
	while (e->kind == EX_CAST && widening(e->args[0]->dtype, e->dtype))
		e = e->args[0];
	return e->dtype;
}

/* 1 or 0 when `x op c` has that value for every x of dtype t, else -1. */
static int
cmp_fixed(IrOp op, DType t, Big c)
{
	Big lo, hi;
	int_range(t, &lo, &hi);
	int below = big_cmp(c, lo), above = big_cmp(c, hi);
	switch (op) {
	case OP_LT: return above > 0 ? 1 : below <= 0 ? 0 : -1;
	case OP_LE: return above >= 0 ? 1 : below < 0 ? 0 : -1;
	case OP_GT: return below < 0 ? 1 : above >= 0 ? 0 : -1;
	case OP_GE: return below <= 0 ? 1 : above > 0 ? 0 : -1;
	case OP_EQ: return below < 0 || above > 0 ? 0 : -1;
	case OP_NE: return below < 0 || above > 0 ? 1 : -1;
	default:    return -1;
	}
}

static IrOp
mirror(IrOp op)
{
	return op == OP_LT ? OP_GT : op == OP_GT ? OP_LT : op == OP_LE ? OP_GE :
	       op == OP_GE ? OP_LE : op;
}

/* The folded text of comparison e when its value is known: an integer
 * compared with itself (compilers warn about self-comparisons), or with a
 * constant that the other operand's range decides; NULL otherwise.
 * a: operand texts. */
static char *
cmp_fold(OmpEmit *E, const IrExpr *e, char **a)
{
	const IrExpr *x = e->args[0], *c = e->args[1];
	IrOp op = e->op;
	int xi = 0;
	if (int_like(dtype_promote(x->dtype, c->dtype)) && x->dtype == c->dtype &&
	    strcmp(a[0], a[1]) == 0 && !const_tree(x)) {
		bool v = op == OP_EQ || op == OP_LE || op == OP_GE;
		return arena_printf(E->a, "((void)%s, %s)", a[0], v ? "true" : "false");
	}
	if (x->kind == EX_CONST && c->kind != EX_CONST) {
		x = e->args[1];
		c = e->args[0];
		op = mirror(op);
		xi = 1;
	}
	if (c->kind != EX_CONST || x->kind == EX_CONST || !int_like(c->dtype) ||
	    !int_like(dtype_promote(x->dtype, c->dtype)) || !int_like(range_dtype(x)))
		return NULL;
	int v = cmp_fixed(op, range_dtype(x), big_const(c));
	if (v < 0)
		return NULL;
	return arena_printf(E->a, "((void)%s, %s)", a[xi], v ? "true" : "false");
}

static char *
op_text(OmpEmit *E, const IrExpr *e, const OmpInputs *in)
{
	char *a[3];
	DType t[3], r = e->dtype;
	if (e->n != ir_op_arity(e->op) || e->n > 3)
		ICE("operator '%s' with %d operands", ir_op_name(e->op), e->n);
	for (int i = 0; i < e->n; i++) {
		a[i] = cg_omp_expr(E, e->args[i], in);
		t[i] = e->args[i]->dtype;
	}
	switch (ir_op_class(e->op)) {
	case OPC_CMP: {
		DType p = dtype_promote(t[0], t[1]);
		char *fold = cmp_fold(E, e, a);
		if (fold)
			return fold;
		return arena_printf(E->a, "(%s %s %s)", cg_omp_convert(E, a[0], t[0], p),
				    cmp_op(e->op), cg_omp_convert(E, a[1], t[1], p));
	}
	case OPC_LOGIC:
		if (e->op == OP_NOT)
			return arena_printf(E->a, "(!%s)", cg_omp_convert(E, a[0], t[0], DT_BOOL));
		return arena_printf(E->a, "(%s %s %s)", cg_omp_convert(E, a[0], t[0], DT_BOOL),
				    e->op == OP_AND ? "&&" : "||",
				    cg_omp_convert(E, a[1], t[1], DT_BOOL));
	case OPC_FN:
		if (!dtype_is_float(r))
			return bad_op(e->op, r);
		if (e->op == OP_DIV)
			return arena_printf(E->a, "(%s / %s)", cg_omp_convert(E, a[0], t[0], r),
					    cg_omp_convert(E, a[1], t[1], r));
		if (e->n == 2)
			return arena_printf(E->a, "%s%s(%s, %s)", fn_name(e->op),
					    r == DT_FLOAT32 ? "f" : "",
					    cg_omp_strip(E, cg_omp_convert(E, a[0], t[0], r)),
					    cg_omp_strip(E, cg_omp_convert(E, a[1], t[1], r)));
		return arena_printf(E->a, "%s%s(%s)", fn_name(e->op), r == DT_FLOAT32 ? "f" : "",
				    cg_omp_strip(E, cg_omp_convert(E, a[0], t[0], r)));
	case OPC_PRED:
		/* Integers and bools are never NaN or infinite. */
		if (!dtype_is_float(t[0]))
			return arena_printf(E->a, "((void)%s, %s)", a[0],
					    e->op == OP_ISFINITE ? "true" : "false");
		return arena_printf(E->a, "(%s(%s) != 0)", e->op == OP_ISNAN ? "isnan"
				    : e->op == OP_ISINF ? "isinf" : "isfinite", cg_omp_strip(E, a[0]));
	case OPC_SAME:
		return unary(E, e->op, r, cg_omp_convert(E, a[0], t[0], r), const_tree(e));
	case OPC_ARITH:
		break;
	}
	if (e->op == OP_WHERE)
		return arena_printf(E->a, "(%s ? %s : %s)", cg_omp_convert(E, a[0], t[0], DT_BOOL),
				    cg_omp_convert(E, a[1], t[1], r), cg_omp_convert(E, a[2], t[2], r));
	char *x = cg_omp_convert(E, a[0], t[0], r), *y = cg_omp_convert(E, a[1], t[1], r);
	if (r == DT_BOOL)
		return arith_bool(E, e->op, x, y);
	if (dtype_is_int(r))
		return arith_int(E, e->op, r, x, y, const_tree(e));
	if (dtype_is_float(r))
		return arith_float(E, e->op, r, x, y);
	return bad_op(e->op, r);
}

/* C text of e (in e's own dtype). in gives the connector values of a
 * tasklet; NULL means a control-flow condition, where EX_IN names a 0-d
 * container. */
char *
cg_omp_expr(OmpEmit *E, const IrExpr *e, const OmpInputs *in)
{
	if (dtype_is_complex(e->dtype)) {
		cg_omp_fail(E, E->loc, "complex dtypes are not supported by the OpenMP backend yet");
		return "0";
	}
	switch (e->kind) {
	case EX_CONST:
		return const_text(E, e);
	case EX_SYM:
		cg_omp_mark_used(E, e->name);
		return (char *)cg_omp_cname(E, e->name);
	case EX_CAST:
		return cg_omp_convert(E, cg_omp_expr(E, e->args[0], in), e->args[0]->dtype, e->dtype);
	case EX_OP:
		return op_text(E, e, in);
	case EX_IN:
		break;
	}
	if (in) {
		for (int i = 0; i < in->n; i++)
			if (strcmp(in->conn[i], e->name) == 0)
				return (char *)in->text[i];
		ICE("tasklet reads unknown connector '%s' (verify first)", e->name);
	}
	const IrContainer *c = cg_omp_container(E, e->name);
	if (c->ndim != 0) {
		cg_omp_fail(E, E->loc, "condition reads '%s', which is not a scalar", c->name);
		return "0";
	}
	cg_omp_mark_read(E, c->name);
	return cg_omp_convert(E, cg_omp_ref(E, c, &(Subset){ 0 }), c->dtype, e->dtype);
}

/* ---- write-conflict resolution ---- */

/* The statement storing val (of dtype t) into lhs under wcr. */
char *
cg_omp_update(OmpEmit *E, const char *lhs, Wcr wcr, DType t, const char *val)
{
	bool b = t == DT_BOOL;
	switch (wcr) {
	case WCR_NONE:
		return arena_printf(E->a, "%s = %s;", lhs, val);
	case WCR_SUM:
		return b ? arena_printf(E->a, "%s = %s || %s;", lhs, lhs, val)
			 : arena_printf(E->a, "%s += %s;", lhs, val);
	case WCR_PROD:
		return b ? arena_printf(E->a, "%s = %s && %s;", lhs, lhs, val)
			 : arena_printf(E->a, "%s *= %s;", lhs, val);
	case WCR_MIN:
		return b ? arena_printf(E->a, "%s = %s && %s;", lhs, lhs, val)
			 : arena_printf(E->a, "%s = %s(%s, %s);", lhs, helper(E, OH_MIN, t), lhs, val);
	case WCR_MAX:
		return b ? arena_printf(E->a, "%s = %s || %s;", lhs, lhs, val)
			 : arena_printf(E->a, "%s = %s(%s, %s);", lhs, helper(E, OH_MAX, t), lhs, val);
	default:
		ICE("bad wcr %d", (int)wcr);
	}
}

/* The reduction-identifier of an OpenMP reduction clause for wcr on t. */
const char *
cg_omp_red_op(OmpEmit *E, Wcr wcr, DType t)
{
	bool b = t == DT_BOOL, f = dtype_is_float(t);
	switch (wcr) {
	case WCR_SUM:  return b ? "||" : "+";
	case WCR_PROD: return b ? "&&" : "*";
	case WCR_MIN:  return b ? "&&" : f ? helper(E, OH_REDMIN, t) : "min";
	case WCR_MAX:  return b ? "||" : f ? helper(E, OH_REDMAX, t) : "max";
	default:       ICE("no reduction for wcr %d", (int)wcr);
	}
}

static const char *
int_limit(DType t, bool max)
{
	static const char *const lim[DT_COUNT][2] = {
		[DT_INT8] = {"INT8_MIN", "INT8_MAX"}, [DT_INT16] = {"INT16_MIN", "INT16_MAX"},
		[DT_INT32] = {"INT32_MIN", "INT32_MAX"}, [DT_INT64] = {"INT64_MIN", "INT64_MAX"},
		[DT_UINT8] = {"0", "UINT8_MAX"}, [DT_UINT16] = {"0", "UINT16_MAX"},
		[DT_UINT32] = {"0", "UINT32_MAX"}, [DT_UINT64] = {"0", "UINT64_MAX"},
	};
	return lim[t][max];
}

/* The identity element of wcr on t, as C text. -0.0 is the identity of
 * float addition (x + -0.0 == x for every x, -0.0 included). */
const char *
cg_omp_identity(Wcr wcr, DType t)
{
	bool f = dtype_is_float(t), f32 = t == DT_FLOAT32;
	if (t == DT_BOOL)
		return wcr == WCR_PROD || wcr == WCR_MIN ? "true" : "false";
	switch (wcr) {
	case WCR_SUM:  return f ? (f32 ? "(-0.0f)" : "(-0.0)") : "0";
	case WCR_PROD: return "1";
	case WCR_MIN:  return f ? (f32 ? "INFINITY" : "((double)INFINITY)") : int_limit(t, true);
	case WCR_MAX:  return f ? (f32 ? "(-INFINITY)" : "(-(double)INFINITY)") : int_limit(t, false);
	default:       ICE("no identity for wcr %d", (int)wcr);
	}
}

/* ---- helper definitions ---- */

/* The helper source below uses T (the C type), U (uint64_t arithmetic),
 * W (bits) and S (suffix), substituted per dtype. */
static void
put_template(StrBuf *sb, const char *tmpl, DType t)
{
	const char *f = t == DT_FLOAT32 ? "f" : "";
	for (const char *s = tmpl; *s; s++) {
		if (*s != '@') {
			sb_putc(sb, *s);
			continue;
		}
		s++;
		switch (*s) {
		case 'T': sb_puts(sb, ctype(t)); break;
		case 'S': sb_puts(sb, sfx(t)); break;
		case 'W': sb_printf(sb, "%d", 8 * dtype_size(t)); break;
		case 'F': sb_puts(sb, f); break;
		case 'Z': sb_puts(sb, t == DT_FLOAT32 ? "0.0f" : "0.0"); break;
		case 'H': sb_puts(sb, t == DT_FLOAT32 ? "0.5f" : "0.5"); break;
		case 'O': sb_puts(sb, t == DT_FLOAT32 ? "1.0f" : "1.0"); break;
		case 'I': sb_puts(sb, cg_omp_identity(WCR_MIN, t)); break;
		case 'J': sb_puts(sb, cg_omp_identity(WCR_MAX, t)); break;
		default: ICE("bad helper template");
		}
	}
}

static const char floordiv_signed[] =
	"static inline @T\ndfc_floordiv_@S(@T a, @T b)\n{\n"
	"\tif (b == 0)\n\t\treturn 0;\n"
	"\tif (b == -1)\n\t\treturn (@T)(0 - (uint64_t)a);\n"
	"\t@T q = (@T)(a / b);\n"
	"\tif (a % b != 0 && ((a < 0) != (b < 0)))\n\t\tq--;\n"
	"\treturn q;\n}\n\n";
static const char floordiv_unsigned[] =
	"static inline @T\ndfc_floordiv_@S(@T a, @T b)\n{\n"
	"\treturn b == 0 ? 0 : (@T)(a / b);\n}\n\n";
static const char floordiv_float[] =
	"static inline @T\ndfc_floordiv_@S(@T a, @T b)\n{\n"
	"\tif (b == @Z)\n\t\treturn a / b;\n"
	"\t@T mod = fmod@F(a, b);\n"
	"\t@T div = (a - mod) / b;\n"
	"\tif (mod != @Z && ((b < @Z) != (mod < @Z)))\n\t\tdiv -= @O;\n"
	"\tif (div == @Z)\n\t\treturn copysign@F(@Z, a / b);\n"
	"\t@T fl = floor@F(div);\n"
	"\tif (div - fl > @H)\n\t\tfl += @O;\n"
	"\treturn fl;\n}\n\n";
static const char mod_signed[] =
	"static inline @T\ndfc_mod_@S(@T a, @T b)\n{\n"
	"\tif (b == 0 || b == -1)\n\t\treturn 0;\n"
	"\t@T r = (@T)(a % b);\n"
	"\tif (r != 0 && ((r < 0) != (b < 0)))\n\t\tr = (@T)(r + b);\n"
	"\treturn r;\n}\n\n";
static const char mod_unsigned[] =
	"static inline @T\ndfc_mod_@S(@T a, @T b)\n{\n"
	"\treturn b == 0 ? 0 : (@T)(a % b);\n}\n\n";
static const char mod_float[] =
	"static inline @T\ndfc_mod_@S(@T a, @T b)\n{\n"
	"\t@T mod = fmod@F(a, b);\n"
	"\tif (b == @Z)\n\t\treturn mod;\n"
	"\tif (mod == @Z)\n\t\treturn copysign@F(@Z, b);\n"
	"\tif ((b < @Z) != (mod < @Z))\n\t\tmod += b;\n"
	"\treturn mod;\n}\n\n";
static const char power_signed[] =
	"static inline @T\ndfc_power_@S(@T a, @T b)\n{\n"
	"\tuint64_t r = 1, x = (uint64_t)a;\n"
	"\tif (b < 0)\n\t\treturn 0;\n"
	"\tfor (; b > 0; b = (@T)(b >> 1)) {\n"
	"\t\tif (b & 1)\n\t\t\tr *= x;\n\t\tx *= x;\n\t}\n"
	"\treturn (@T)r;\n}\n\n";
static const char power_unsigned[] =
	"static inline @T\ndfc_power_@S(@T a, @T b)\n{\n"
	"\tuint64_t r = 1, x = (uint64_t)a;\n"
	"\tfor (; b > 0; b = (@T)(b >> 1)) {\n"
	"\t\tif (b & 1)\n\t\t\tr *= x;\n\t\tx *= x;\n\t}\n"
	"\treturn (@T)r;\n}\n\n";
static const char minimum_int[] =
	"static inline @T\ndfc_minimum_@S(@T a, @T b)\n{\n"
	"\treturn a < b ? a : b;\n}\n\n";
static const char maximum_int[] =
	"static inline @T\ndfc_maximum_@S(@T a, @T b)\n{\n"
	"\treturn a > b ? a : b;\n}\n\n";
static const char minimum_float[] =
	"static inline @T\ndfc_minimum_@S(@T a, @T b)\n{\n"
	"\treturn (isnan(a) || a < b) ? a : b;\n}\n\n";
static const char maximum_float[] =
	"static inline @T\ndfc_maximum_@S(@T a, @T b)\n{\n"
	"\treturn (isnan(a) || a > b) ? a : b;\n}\n\n";
static const char absolute_signed[] =
	"static inline @T\ndfc_absolute_@S(@T a)\n{\n"
	"\treturn a < 0 ? (@T)(0 - (uint64_t)a) : a;\n}\n\n";
static const char shl_signed[] =
	"static inline @T\ndfc_shl_@S(@T a, @T b)\n{\n"
	"\tif (b < 0 || b >= @W)\n\t\treturn 0;\n"
	"\treturn (@T)((uint64_t)a << b);\n}\n\n";
static const char shl_unsigned[] =
	"static inline @T\ndfc_shl_@S(@T a, @T b)\n{\n"
	"\tif (b >= @W)\n\t\treturn 0;\n"
	"\treturn (@T)((uint64_t)a << b);\n}\n\n";
static const char shr_signed[] =
	"static inline @T\ndfc_shr_@S(@T a, @T b)\n{\n"
	"\tif (b < 0 || b >= @W)\n\t\treturn a < 0 ? -1 : 0;\n"
	"\treturn (@T)(a >> b);\n}\n\n";
static const char shr_unsigned[] =
	"static inline @T\ndfc_shr_@S(@T a, @T b)\n{\n"
	"\tif (b >= @W)\n\t\treturn 0;\n"
	"\treturn (@T)(a >> b);\n}\n\n";
static const char redmin_float[] =
	"#pragma omp declare reduction(dfc_redmin_@S : @T : omp_out = dfc_minimum_@S(omp_out, omp_in)) "
	"initializer(omp_priv = @I)\n\n";
static const char redmax_float[] =
	"#pragma omp declare reduction(dfc_redmax_@S : @T : omp_out = dfc_maximum_@S(omp_out, omp_in)) "
	"initializer(omp_priv = @J)\n\n";

/* The template of helper h for dtype t. */
static const char *
helper_template(OmpHelper h, DType t)
{
	bool f = dtype_is_float(t), u = dtype_is_unsigned(t) || t == DT_BOOL;
	switch (h) {
	case OH_FLOORDIV: return f ? floordiv_float : u ? floordiv_unsigned : floordiv_signed;
	case OH_MOD:      return f ? mod_float : u ? mod_unsigned : mod_signed;
	case OH_POW:      return u ? power_unsigned : power_signed;
	case OH_MIN:      return f ? minimum_float : minimum_int;
	case OH_MAX:      return f ? maximum_float : maximum_int;
	case OH_ABS:      return absolute_signed;
	case OH_SHL:      return u ? shl_unsigned : shl_signed;
	case OH_SHR:      return u ? shr_unsigned : shr_signed;
	case OH_REDMIN:   return redmin_float;
	case OH_REDMAX:   return redmax_float;
	default:          ICE("bad helper %d", (int)h);
	}
}

/* Definitions of every helper the emitted programs used, in a fixed
 * order (helpers first, then the reductions that call them). */
void
cg_omp_helpers_emit(OmpEmit *E, StrBuf *sb)
{
	bool any = false;
	for (int h = 0; h < OH_COUNT; h++) {
		for (int t = 0; t < DT_COUNT; t++) {
			if (!E->need[h][t])
				continue;
			if (!any)
				sb_puts(sb, "\n");
			any = true;
			put_template(sb, helper_template((OmpHelper)h, (DType)t), (DType)t);
		}
	}
	if (any)
		sb->len--, sb->buf[sb->len] = '\0';
}
