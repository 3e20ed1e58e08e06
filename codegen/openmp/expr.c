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
 *                                  reductions of floats;
 *   dfc_powi_<t>                   a float to a constant integer power,
 *                                  |n| <= 16, by multiplications (NumPy's
 *                                  square and reciprocal exactly for 2
 *                                  and -1, within |n|/2 ulp of pow());
 *   dfc_powhalf_<t>                pow(x, 0.5) as sqrt with pow's values
 *                                  at -0.0 and -inf;
 *   dfc_nthreads_i64               the thread count of a parallel region.
 * Calls of math functions that glibc's libmvec vectorizes get simd
 * declarations (see vmath_fns below).
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
	"cpack", "floordiv", "mod", "power", "minimum", "maximum", "absolute", "shl", "shr",
	"redmin", "redmax", "cmul", "cdiv", "cpow", "less", "less_equal",
	"redsum", "redprod", "index_ok", "powi", "powhalf", "nthreads", "nt",
	"vminimum", "vmaximum", "gemm", "fits",
};

/* Marks helper h for dtype t as needed, with the helpers its definition
 * calls. */
static void
need(OmpEmit *E, OmpHelper h, DType t)
{
	E->need[h][t] = true;
	switch (h) {
	case OH_REDMIN:  need(E, OH_MIN, t); break;
	case OH_REDMAX:  need(E, OH_MAX, t); break;
	case OH_CMUL:    need(E, OH_CPACK, t); break;
	case OH_CDIV:    need(E, OH_CPACK, t); break;
	case OH_CPOW:    need(E, OH_CMUL, t); need(E, OH_CDIV, t); break;
	case OH_REDPROD: need(E, OH_CMUL, t); break;
	case OH_MIN:     /* a complex min/max identity is a dfc_cpack */
	case OH_MAX:     if (dtype_is_complex(t)) need(E, OH_CPACK, t); break;
	case OH_GEMM:    need(E, OH_NTHREADS, DT_INT64); break;   /* <omp.h> */
	default:         break;
	}
}

/* Name of helper h for dtype t, and a note that the file needs it. */
static const char *
helper(OmpEmit *E, OmpHelper h, DType t)
{
	need(E, h, t);
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

/* The real dtype of the parts of complex dtype t. */
static DType
part_dtype(DType t)
{
	return t == DT_COMPLEX64 ? DT_FLOAT32 : DT_FLOAT64;
}

/* Suffix of the <complex.h> functions of dtype t: "f" for complex64. */
static const char *
cf(DType t)
{
	return t == DT_COMPLEX64 ? "f" : "";
}

/* A complex constant: a conversion of its real part when the imaginary
 * part is +0.0, else dfc_cpack (re + im*I would turn inf into NaN). */
static char *
complex_const(OmpEmit *E, const IrExpr *e)
{
	DType pt = part_dtype(e->dtype);
	char *re = float_const(E, pt, e->fval);
	if (e->fimag == 0 && !signbit(e->fimag))
		return arena_printf(E->a, "((%s)%s)", ctype(e->dtype), re);
	return arena_printf(E->a, "%s(%s, %s)", helper(E, OH_CPACK, e->dtype), re,
			    float_const(E, pt, e->fimag));
}

static char *
const_text(OmpEmit *E, const IrExpr *e)
{
	if (dtype_is_float(e->dtype))
		return float_const(E, e->dtype, e->fval);
	if (dtype_is_complex(e->dtype))
		return complex_const(E, e);
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

/* ---- vector math ----
 * glibc's libmvec has vector variants (_ZGV*) of these functions, float
 * and double, for every x86-64 vector ISA; `glibc` is the minor release of
 * glibc 2.x that added them. Under -fno-math-errno (toolchain.c), gcc
 * vectorizes loops calling a function declared with the simd attribute,
 * which <math.h> only does under -ffast-math: the generated file declares
 * the functions it calls so (cg_omp_helpers_emit), and nothing else of
 * -ffast-math applies. Their error is at most 4 ulp and they keep NaN,
 * infinities and signed zeros as the scalar functions do
 * (tests/diff/vector_math.py checks them against NumPy). */
static const struct {
	IrOp op;
	int glibc;
} vmath_fns[] = {
	{ OP_EXP, 22 }, { OP_LOG, 22 }, { OP_SIN, 22 }, { OP_COS, 22 }, { OP_POW, 22 },
	{ OP_TAN, 35 }, { OP_TANH, 35 }, { OP_ASIN, 35 }, { OP_ACOS, 35 }, { OP_ATAN, 35 },
	{ OP_SINH, 35 }, { OP_COSH, 35 }, { OP_ASINH, 35 }, { OP_ACOSH, 35 },
	{ OP_ATANH, 35 }, { OP_EXP2, 35 }, { OP_EXPM1, 35 }, { OP_LOG2, 35 },
	{ OP_LOG10, 35 }, { OP_LOG1P, 35 }, { OP_CBRT, 35 }, { OP_HYPOT, 35 },
	{ OP_ATAN2, 35 },
};

/* Notes that the file calls math function op on real dtype t. */
static void
note_vmath(OmpEmit *E, IrOp op, DType t)
{
	if (t == DT_FLOAT32 || t == DT_FLOAT64)
		E->vmath[op][t == DT_FLOAT64] = true;
}

/* Does the file call a libmvec function of glibc 2.rel (any rel: 0)? */
static bool
vmath_used(const OmpEmit *E, int rel)
{
	for (size_t i = 0; i < sizeof vmath_fns / sizeof *vmath_fns; i++)
		if ((rel == 0 || vmath_fns[i].glibc == rel) &&
		    (E->vmath[vmath_fns[i].op][0] || E->vmath[vmath_fns[i].op][1]))
			return true;
	return false;
}

/* The simd declarations of the libmvec functions the file calls, in a
 * block for gcc on x86-64 with glibc (clang has no simd attribute). */
static void
vmath_emit(OmpEmit *E, StrBuf *sb)
{
	if (!vmath_used(E, 0))
		return;
	sb_puts(sb, "\n/* glibc's vector math (libmvec, <= 4 ulp): gcc vectorizes loops\n"
		" * calling these functions. */\n"
		"#if defined(__GNUC__) && __GNUC__ >= 6 && !defined(__clang__) && "
		"defined(__x86_64__) && defined(__GLIBC_PREREQ)\n");
	for (int rel = 22; rel <= 35; rel += 13) {
		if (!vmath_used(E, rel))
			continue;
		sb_printf(sb, "#if __GLIBC_PREREQ(2, %d)\n", rel);
		for (size_t i = 0; i < sizeof vmath_fns / sizeof *vmath_fns; i++) {
			IrOp op = vmath_fns[i].op;
			bool two = op == OP_POW || op == OP_HYPOT || op == OP_ATAN2;
			const char *name = op == OP_POW ? "pow" : fn_name(op);
			for (int d = 0; d < 2 && vmath_fns[i].glibc == rel; d++) {
				const char *ct = d ? "double" : "float";
				if (E->vmath[op][d])
					sb_printf(sb, "__attribute__((__simd__(\"notinbranch\")%s)) "
						  "%s %s%s(%s%s%s);\n",
						  op == OP_SIN || op == OP_COS ? ", __const__" : "",
						  ct, name, d ? "" : "f", ct, two ? ", " : "", two ? ct : "");
			}
		}
		sb_puts(sb, "#endif\n");
	}
	sb_puts(sb, "#endif\n");
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

/* Is e an np.minimum or np.maximum? */
static bool
is_minmax(const IrExpr *e)
{
	return e->kind == EX_OP && (e->op == OP_MIN || e->op == OP_MAX);
}

/* vform: the min/max helpers spelled for a simd loop (OH_VMIN, OH_VMAX),
 * for a min or max of a min or max there (np.clip): gcc 12 vectorizes
 * neither spelling of such a chain alike (below, minimum_float). */
static char *
arith_float(OmpEmit *E, IrOp op, DType t, const char *x, const char *y, bool vform)
{
	const char *f = t == DT_FLOAT32 ? "f" : "";
	switch (op) {
	case OP_ADD:      return arena_printf(E->a, "(%s + %s)", x, y);
	case OP_SUB:      return arena_printf(E->a, "(%s - %s)", x, y);
	case OP_MUL:      return arena_printf(E->a, "(%s * %s)", x, y);
	case OP_FLOORDIV: return call2(E, OH_FLOORDIV, t, x, y);
	case OP_MOD:      return call2(E, OH_MOD, t, x, y);
	case OP_POW:      note_vmath(E, OP_POW, t);
			  return arena_printf(E->a, "pow%s(%s, %s)", f, cg_omp_strip(E, x),
					      cg_omp_strip(E, y));
	case OP_MIN:      return call2(E, vform ? OH_VMIN : OH_MIN, t, x, y);
	case OP_MAX:      return call2(E, vform ? OH_VMAX : OH_MAX, t, x, y);
	default:          return bad_op(op, t);
	}
}

static char *
unary(OmpEmit *E, IrOp op, DType t, const char *x, bool konst)
{
	if (op == OP_REAL || op == OP_CONJ)
		return arena_strdup(E->a, x);
	if (op == OP_IMAG)
		return arena_printf(E->a, "((void)%s, (%s)0)", x, ctype(t));
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

/* ---- complex operands ----
 * C99 _Complex with NumPy's semantics where C's differ: products,
 * quotients and powers are NumPy's formulas (dfc_cmul, dfc_cdiv,
 * dfc_cpow), orderings and minimum/maximum are lexicographic, and
 * isnan/isinf/isfinite look at both parts. */

static char *
complex_refuse(OmpEmit *E, IrOp op)
{
	cg_omp_fail(E, E->loc, "operator '%s' is not supported for complex operands",
		    ir_op_name(op));
	return "0";
}

/* x op y for complex x, y of dtype p (converted). */
static char *
complex_cmp(OmpEmit *E, IrOp op, DType p, const char *x, const char *y)
{
	switch (op) {
	case OP_EQ: return arena_printf(E->a, "(%s == %s)", x, y);
	case OP_NE: return arena_printf(E->a, "(%s != %s)", x, y);
	case OP_LT: return call2(E, OH_CLT, p, x, y);
	case OP_LE: return call2(E, OH_CLE, p, x, y);
	case OP_GT: return call2(E, OH_CLT, p, y, x);
	case OP_GE: return call2(E, OH_CLE, p, y, x);
	default:    return complex_refuse(E, op);
	}
}

/* isnan/isinf/isfinite of complex x (of dtype t). */
static char *
complex_pred(OmpEmit *E, IrOp op, DType t, const char *x)
{
	const char *f = cf(t), *fn = op == OP_ISNAN ? "isnan" : op == OP_ISINF ? "isinf"
				      : "isfinite";
	x = cg_omp_strip(E, x);
	return arena_printf(E->a, "(%s(creal%s(%s)) %s %s(cimag%s(%s)))", fn, f, x,
			    op == OP_ISFINITE ? "&&" : "||", fn, f, x);
}

/* The one-operand ops of class SAME on complex x of dtype t. */
static char *
complex_same(OmpEmit *E, IrOp op, DType t, const char *x)
{
	const char *f = cf(t);
	x = cg_omp_strip(E, x);
	switch (op) {
	case OP_NEG:  return arena_printf(E->a, "(-%s)", cg_omp_paren(E, x));
	case OP_ABS:   /* glibc's cabs, as NumPy's: hypot, which libmvec vectorizes */
		note_vmath(E, OP_HYPOT, part_dtype(t));
		return arena_printf(E->a, "hypot%s(creal%s(%s), cimag%s(%s))", f, f, x, f, x);
	case OP_REAL: return arena_printf(E->a, "creal%s(%s)", f, x);
	case OP_IMAG: return arena_printf(E->a, "cimag%s(%s)", f, x);
	case OP_CONJ: return arena_printf(E->a, "conj%s(%s)", f, x);
	default:      return complex_refuse(E, op);
	}
}

/* Math functions (class FN) with a complex result r or operand, and
 * complex(re, im). */
static char *
complex_fn(OmpEmit *E, const IrExpr *e, char **a, const DType *t)
{
	DType r = e->dtype;
	if (e->op == OP_COMPLEX)   /* stores the parts: inf and nan survive */
		return call2(E, OH_CPACK, r, cg_omp_convert(E, a[0], t[0], part_dtype(r)),
			     cg_omp_convert(E, a[1], t[1], part_dtype(r)));
	if (e->op == OP_ANGLE) {   /* glibc's carg: atan2, which libmvec vectorizes */
		const char *f = cf(t[0]), *x = cg_omp_strip(E, a[0]);
		note_vmath(E, OP_ATAN2, part_dtype(t[0]));
		return arena_printf(E->a, "atan2%s(cimag%s(%s), creal%s(%s))", f, f, x, f, x);
	}
	if (e->op == OP_DIV)
		return call2(E, OH_CDIV, r, cg_omp_convert(E, a[0], t[0], r),
			     cg_omp_convert(E, a[1], t[1], r));
	switch (e->op) {
	case OP_SQRT: case OP_EXP: case OP_LOG: case OP_SIN: case OP_COS: case OP_TAN:
	case OP_TANH: case OP_SINH: case OP_COSH: case OP_ASIN: case OP_ACOS: case OP_ATAN:
	case OP_ASINH: case OP_ACOSH: case OP_ATANH:
		return arena_printf(E->a, "c%s%s(%s)", fn_name(e->op), cf(r),
				    cg_omp_strip(E, cg_omp_convert(E, a[0], t[0], r)));
	default:
		return complex_refuse(E, e->op);
	}
}

static char *
complex_arith(OmpEmit *E, IrOp op, DType r, const char *x, const char *y)
{
	switch (op) {
	case OP_ADD: return arena_printf(E->a, "(%s + %s)", x, y);
	case OP_SUB: return arena_printf(E->a, "(%s - %s)", x, y);
	case OP_MUL: return call2(E, OH_CMUL, r, x, y);
	case OP_POW: return call2(E, OH_CPOW, r, x, y);
	case OP_MIN: return call2(E, OH_MIN, r, x, y);
	case OP_MAX: return call2(E, OH_MAX, r, x, y);
	default:     return complex_refuse(E, op);
	}
}

/* The C text of e when it has a complex operand or result (a: operand
 * texts, t: their dtypes); NULL when the generic code applies (logic
 * ops, where, real operands). */
static char *
complex_text(OmpEmit *E, const IrExpr *e, char **a, const DType *t)
{
	DType r = e->dtype;
	bool cx = dtype_is_complex(r);
	for (int i = 0; i < e->n; i++)
		cx = cx || dtype_is_complex(t[i]);
	if (!cx || e->op == OP_WHERE)
		return NULL;
	switch (ir_op_class(e->op)) {
	case OPC_CMP: {
		DType p = dtype_promote(t[0], t[1]);
		return complex_cmp(E, e->op, p, cg_omp_convert(E, a[0], t[0], p),
				   cg_omp_convert(E, a[1], t[1], p));
	}
	case OPC_PRED:  return complex_pred(E, e->op, t[0], a[0]);
	case OPC_SAME:  return complex_same(E, e->op, t[0], a[0]);
	case OPC_FN:    return complex_fn(E, e, a, t);
	case OPC_ARITH: return complex_arith(E, e->op, r, cg_omp_convert(E, a[0], t[0], r),
					     cg_omp_convert(E, a[1], t[1], r));
	case OPC_LOGIC: return NULL;
	}
	return NULL;
}

/* The value of constant e, through casts. */
static double
const_value(const IrExpr *e)
{
	while (e->kind == EX_CAST)
		e = e->args[0];
	if (dtype_is_float(e->dtype))
		return e->fval;
	return e->dtype == DT_UINT64 ? (double)(uint64_t)e->ival : (double)e->ival;
}

/* Is e a real constant (through casts)? */
static bool
const_exponent(const IrExpr *e)
{
	while (e->kind == EX_CAST)
		e = e->args[0];
	return e->kind == EX_CONST && !dtype_is_complex(e->dtype);
}

/* Is e a real constant with an integer value in [-16, 16]? Such a power
 * of a float is multiplications (dfc_powi): x ** 2 and x ** -1 are exactly
 * NumPy's square and reciprocal, as pow() is; other exponents differ from
 * pow() by a few ulp (at most |n| / 2 roundings). */
static bool
small_int_exponent(const IrExpr *e)
{
	if (!const_exponent(e))
		return false;
	double v = const_value(e);
	return v >= -16 && v <= 16 && v == (double)(int)v;
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
	char *cx = complex_text(E, e, a, t);
	if (cx)
		return cx;
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
		note_vmath(E, e->op == OP_ANGLE ? OP_ATAN2 : e->op, r);
		if (e->op == OP_ANGLE)   /* of a real x: arctan2(0, x), as NumPy */
			return arena_printf(E->a, "atan2%s(%s, %s)", r == DT_FLOAT32 ? "f" : "",
					    r == DT_FLOAT32 ? "0.0f" : "0.0",
					    cg_omp_strip(E, cg_omp_convert(E, a[0], t[0], r)));
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
		if (e->op == OP_FITS)
			return cg_omp_convert(E, arena_printf(E->a, "%s(%s, %s, %s, %d, %d)",
							      helper(E, OH_FITS, DT_INT64),
							      cg_omp_strip(E, cg_omp_convert(E, a[0], t[0], DT_INT64)),
							      cg_omp_strip(E, a[1]), cg_omp_strip(E, a[2]),
							      E->loc.line, E->loc.col), DT_INT64, r);
		return unary(E, e->op, r, cg_omp_convert(E, a[0], t[0], r), const_tree(e));
	case OPC_ARITH:
		break;
	}
	if (e->op == OP_WHERE)
		return arena_printf(E->a, "(%s ? %s : %s)", cg_omp_convert(E, a[0], t[0], DT_BOOL),
				    cg_omp_convert(E, a[1], t[1], r), cg_omp_convert(E, a[2], t[2], r));
	char *x = cg_omp_convert(E, a[0], t[0], r), *y = cg_omp_convert(E, a[1], t[1], r);
	if (e->op == OP_POW && dtype_is_float(r) && small_int_exponent(e->args[1]))
		return arena_printf(E->a, "%s(%s, %d)", helper(E, OH_POWI, r), cg_omp_strip(E, x),
				    (int)const_value(e->args[1]));
	if (e->op == OP_POW && dtype_is_float(r) && const_exponent(e->args[1]) &&
	    const_value(e->args[1]) == 0.5)
		return arena_printf(E->a, "%s(%s)", helper(E, OH_POWHALF, r), cg_omp_strip(E, x));
	if (r == DT_BOOL)
		return arith_bool(E, e->op, x, y);
	if (dtype_is_int(r))
		return arith_int(E, e->op, r, x, y, const_tree(e));
	if (dtype_is_float(r))
		return arith_float(E, e->op, r, x, y,
				   E->in_simd && (is_minmax(e->args[0]) || is_minmax(e->args[1])));
	return bad_op(e->op, r);
}

char *
cg_omp_offset(OmpEmit *E, int n, IrExpr *const *idx, const char *const *str,
	      const OmpInputs *in)
{
	StrBuf sb;
	sb_init(&sb, E->a);
	for (int d = 0; d < n; d++) {
		char *i = cg_omp_convert(E, cg_omp_expr(E, idx[d], in), idx[d]->dtype, DT_INT64);
		sb_printf(&sb, "%s%s", d ? " + " : "", cg_omp_paren(E, i));
		if (strcmp(str[d], "1") != 0)
			sb_printf(&sb, " * %s", cg_omp_paren(E, str[d]));
	}
	return (char *)sb_str(&sb);
}

const char **
cg_omp_strides(OmpEmit *E, const IrContainer *c, const Subset *s)
{
	const char **str = arena_alloc(E->a, sizeof(char *) * (size_t)(s->ndim + 1));
	for (int d = 0; d < s->ndim; d++)
		str[d] = cg_omp_sym(E, sym_mul(E->a, c->strides[d], s->r[d].step));
	return str;
}

/* The index before the wrap of negative indices, where(lt(a, 0), add(a,
 * n), a), that the frontend puts around data-dependent indices: a; else x. */
static const IrExpr *
unwrapped_index(const IrExpr *x)
{
	if (x->kind != EX_OP || x->op != OP_WHERE)
		return x;
	const IrExpr *c = x->args[0], *a = x->args[2];
	if (c->kind != EX_OP || c->op != OP_LT || !ir_expr_equal(c->args[0], a) ||
	    x->args[1]->kind != EX_OP || x->args[1]->op != OP_ADD ||
	    !ir_expr_equal(x->args[1]->args[0], a))
		return x;
	return a;
}

char *
cg_omp_index_guard(OmpEmit *E, int n, IrExpr *const *idx, const char *const *ext,
		   const OmpInputs *in)
{
	StrBuf sb;
	sb_init(&sb, E->a);
	const char *f = helper(E, OH_INDEX, DT_INT64);
	for (int d = 0; d < n; d++) {
		char *i = cg_omp_convert(E, cg_omp_expr(E, idx[d], in), idx[d]->dtype, DT_INT64);
		const IrExpr *u = unwrapped_index(idx[d]);
		char *shown = u == idx[d] ? i : cg_omp_convert(E, cg_omp_expr(E, (IrExpr *)u, in),
								u->dtype, DT_INT64);
		sb_printf(&sb, "%s%s(%s, %s, %s, %d, %d, %d)", d ? " && " : "", f,
			  cg_omp_strip(E, i), cg_omp_strip(E, shown), ext[d], d, E->loc.line,
			  E->loc.col);
	}
	return (char *)sb_str(&sb);
}

/* An element of a range connector: "dfc_x[(i)*s]"; with --boundscheck
 * "(in bounds ? dfc_x[...] : 0)". */
static char *
load_text(OmpEmit *E, const IrExpr *e, const OmpInputs *in)
{
	for (int i = 0; in && i < in->n; i++) {
		if (strcmp(in->conn[i], e->name) != 0 || !in->stride || !in->stride[i])
			continue;
		char *x = arena_printf(E->a, "%s[%s]", in->text[i],
				       cg_omp_offset(E, e->n, e->args, in->stride[i], in));
		if (!E->ctx->opt.boundscheck)
			return x;
		return arena_printf(E->a, "(%s ? %s : (%s)0)",
				    cg_omp_index_guard(E, e->n, e->args, in->extent[i], in), x,
				    ctype(e->dtype));
	}
	ICE("load of '%s', which is not a range input (verify first)", e->name);
}

/* C text of e (in e's own dtype). in gives the connector values of a
 * tasklet; NULL means a control-flow condition, where EX_IN names a 0-d
 * container. */
char *
cg_omp_expr(OmpEmit *E, const IrExpr *e, const OmpInputs *in)
{
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
	case EX_LOAD:
		return load_text(E, e, in);
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

/* The statement storing val (of dtype t) into lhs under wcr. Bools
 * combine with | and & (or, and; val has no side effects), which
 * vectorize where || and && branch; an element of an array combines in
 * its byte (it holds 0 or 1), as gcc 12 vectorizes no read-modify-write
 * of a _Bool beside a comparison of wider operands. */
char *
cg_omp_update(OmpEmit *E, const char *lhs, Wcr wcr, DType t, const char *val)
{
	bool b = t == DT_BOOL;
	size_t n = strlen(lhs);
	if (b && wcr != WCR_NONE && n && lhs[n - 1] == ']')
		return arena_printf(E->a, "*(uint8_t *)&%s %s= (uint8_t)%s;", lhs,
				    wcr == WCR_SUM || wcr == WCR_MAX ? "|" : "&", val);
	switch (wcr) {
	case WCR_NONE:
		return arena_printf(E->a, "%s = %s;", lhs, val);
	case WCR_SUM:
		return b ? arena_printf(E->a, "%s = %s | %s;", lhs, lhs, val)
			 : arena_printf(E->a, "%s += %s;", lhs, val);
	case WCR_PROD:
		if (dtype_is_complex(t))
			return arena_printf(E->a, "%s = %s(%s, %s);", lhs, helper(E, OH_CMUL, t),
					    lhs, cg_omp_strip(E, val));
		return b ? arena_printf(E->a, "%s = %s & %s;", lhs, lhs, val)
			 : arena_printf(E->a, "%s *= %s;", lhs, val);
	case WCR_MIN:
		return b ? arena_printf(E->a, "%s = %s & %s;", lhs, lhs, val)
			 : arena_printf(E->a, "%s = %s(%s, %s);", lhs, helper(E, OH_MIN, t), lhs, val);
	case WCR_MAX:
		return b ? arena_printf(E->a, "%s = %s | %s;", lhs, lhs, val)
			 : arena_printf(E->a, "%s = %s(%s, %s);", lhs, helper(E, OH_MAX, t), lhs, val);
	default:
		ICE("bad wcr %d", (int)wcr);
	}
}

/* The C type of a local accumulator of dtype t: a bool accumulates in a
 * byte (0 or 1), with | or &, which gcc 12 vectorizes where it leaves a
 * _Bool accumulator scalar. */
const char *
cg_omp_acc_ctype(DType t)
{
	return t == DT_BOOL ? "uint8_t" : dtype_ctype(t);
}

/* The reduction-identifier of an OpenMP reduction clause for wcr on an
 * accumulator of dtype t (cg_omp_acc_ctype). */
const char *
cg_omp_red_op(OmpEmit *E, Wcr wcr, DType t)
{
	bool b = t == DT_BOOL, f = dtype_is_float(t) || dtype_is_complex(t);
	if (dtype_is_complex(t) && (wcr == WCR_SUM || wcr == WCR_PROD))   /* clang's own
		complex reductions need libatomic */
		return helper(E, wcr == WCR_SUM ? OH_REDSUM : OH_REDPROD, t);
	switch (wcr) {
	case WCR_SUM:  return b ? "|" : "+";
	case WCR_PROD: return b ? "&" : "*";
	case WCR_MIN:  return b ? "&" : f ? helper(E, OH_REDMIN, t) : "min";
	case WCR_MAX:  return b ? "|" : f ? helper(E, OH_REDMAX, t) : "max";
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

/* The identity of wcr on complex t: -0.0 for sums, and for the
 * lexicographic min/max the pair of infinities that every number (NaN
 * parts aside) is below/above, a dfc_cpack call (which helper OH_MIN/OH_MAX
 * of t brings along). */
static const char *
complex_identity(Wcr wcr, DType t)
{
	static const char *const ident[2][4] = {
		{ "(-0.0f)", "1", "dfc_cpack_c64(INFINITY, INFINITY)",
		  "dfc_cpack_c64((-INFINITY), (-INFINITY))" },
		{ "(-0.0)", "1", "dfc_cpack_c128((double)INFINITY, (double)INFINITY)",
		  "dfc_cpack_c128((-(double)INFINITY), (-(double)INFINITY))" },
	};
	int k = wcr == WCR_SUM ? 0 : wcr == WCR_PROD ? 1 : wcr == WCR_MIN ? 2 : wcr == WCR_MAX ? 3 : -1;
	if (k < 0)
		ICE("no identity for wcr %d", (int)wcr);
	return ident[t == DT_COMPLEX64 ? 0 : 1][k];
}

/* The identity element of wcr on t, as C text. -0.0 is the identity of
 * float addition (x + -0.0 == x for every x, -0.0 included). */
const char *
cg_omp_identity(Wcr wcr, DType t)
{
	bool f = dtype_is_float(t), f32 = t == DT_FLOAT32;
	if (dtype_is_complex(t))
		return complex_identity(wcr, t);
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

/* The helper source below uses T (the C type), R (the C type of a
 * complex's parts), Q (floordiv_narrow's quotient type: float for
 * integers of 8 and 16 bits, else double), W (bits), S (suffix), F (the
 * math functions' suffix: of R, or of Q for an integer),
 * Z, H, O (0, 0.5, 1 of the real type) and I, J (the identities of min
 * and max), substituted per dtype. */
static void
put_template(StrBuf *sb, const char *tmpl, DType t)
{
	bool f32 = t == DT_FLOAT32 || t == DT_COMPLEX64;
	bool q32 = dtype_is_int(t) && dtype_size(t) <= 2;
	const char *f = f32 || q32 ? "f" : "";
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
		case 'R': sb_puts(sb, f32 ? "float" : "double"); break;
		case 'Q': sb_puts(sb, q32 ? "float" : "double"); break;
		case 'F': sb_puts(sb, f); break;
		case 'Z': sb_puts(sb, f32 ? "0.0f" : "0.0"); break;
		case 'H': sb_puts(sb, f32 ? "0.5f" : "0.5"); break;
		case 'O': sb_puts(sb, f32 ? "1.0f" : "1.0"); break;
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
/* Integers of up to 32 bits divide in floating point, float for 8 and 16
 * bits, double for 32: the quotient is correctly rounded, within |a / b|
 * 2^-24 (2^-53) of the true one, which is under 2^-8 / |b| (2^-22 / |b|),
 * less than the 1 / |b| that separates a quotient that is not an integer
 * from the integers around it; so its floor is the integer quotient's
 * (checked against integer division for every 8-bit pair and 1.2e9
 * 16-bit ones), and the loop vectorizes, where an integer division does
 * not: int16 //= a divisor known at run time took 4.2 ms, not 108, over
 * 150 sweeps of 300 x 300 (docs/transformations.md). A zero divisor gives 0, as NumPy's does;
 * MIN // -1 wraps through int64, as NumPy's does. */
static const char floordiv_narrow[] =
	"static inline @T\ndfc_floordiv_@S(@T a, @T b)\n{\n"
	"\t@Q q = floor@F((@Q)a / (@Q)(b == 0 ? 1 : b));\n"
	"\treturn b == 0 ? 0 : (@T)(int64_t)q;\n}\n\n";
static const char mod_narrow[] =
	"static inline @T\ndfc_mod_@S(@T a, @T b)\n{\n"
	"\t@Q q = floor@F((@Q)a / (@Q)(b == 0 ? 1 : b));\n"
	"\treturn b == 0 ? 0 : (@T)((int64_t)a - (int64_t)q * (int64_t)b);\n}\n\n";
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
/* NaN if either is NaN (np.minimum, np.maximum), else the smaller (the
 * larger), b when they are equal. Two spellings of the same values. In
 * a simd loop gcc 12 vectorizes a min or max of the isnan spelling, but
 * not a min of a max of it (np.clip: unsharp_mask's clip stayed a scalar
 * loop with branches, 20 -> 8 ms as the v spelling); a chain vectorizes
 * when its outer call is the isunordered one (arith_float's vform). The
 * isnan spelling stays everywhere else: it ran a lone max in a simd loop
 * (local_contrast's variance) 8-11% faster, and a scalar recurrence
 * (kadane's running max) 2.6 times faster. */
static const char minimum_float[] =
	"static inline @T\ndfc_minimum_@S(@T a, @T b)\n{\n"
	"\treturn (isnan(a) || a < b) ? a : b;\n}\n\n";
static const char maximum_float[] =
	"static inline @T\ndfc_maximum_@S(@T a, @T b)\n{\n"
	"\treturn (isnan(a) || a > b) ? a : b;\n}\n\n";
static const char vminimum_float[] =
	"static inline @T\ndfc_vminimum_@S(@T a, @T b)\n{\n"
	"\treturn isunordered(a, b) ? a + b : (a < b ? a : b);\n}\n\n";
static const char vmaximum_float[] =
	"static inline @T\ndfc_vmaximum_@S(@T a, @T b)\n{\n"
	"\treturn isunordered(a, b) ? a + b : (a > b ? a : b);\n}\n\n";
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

/* Complex helpers: NumPy 1.24's formulas (umath loops and npy_cpow). The
 * parts of a and b are ar, ai, br, bi. */
#define CPARTS "\t@R ar = creal@F(a), ai = cimag@F(a), br = creal@F(b), bi = cimag@F(b);\n"
static const char cpack_complex[] =
	"static inline @T\ndfc_cpack_@S(@R re, @R im)\n{\n"
	"\tunion { @T z; @R p[2]; } u = { .p = { re, im } };\n"
	"\treturn u.z;\n}\n\n";
static const char cmul_complex[] =
	"static inline @T\ndfc_cmul_@S(@T a, @T b)\n{\n" CPARTS
	"\treturn dfc_cpack_@S(ar * br - ai * bi, ar * bi + ai * br);\n}\n\n";
static const char cdiv_complex[] =
	"static inline @T\ndfc_cdiv_@S(@T a, @T b)\n{\n" CPARTS
	"\t@R abr = fabs@F(br), abi = fabs@F(bi);\n"
	"\tif (abr >= abi) {\n"
	"\t\tif (abr == @Z && abi == @Z)\n\t\t\treturn dfc_cpack_@S(ar / abr, ai / abi);\n"
	"\t\t@R rat = bi / br, scl = @O / (br + bi * rat);\n"
	"\t\treturn dfc_cpack_@S((ar + ai * rat) * scl, (ai - ar * rat) * scl);\n\t}\n"
	"\t@R rat = br / bi, scl = @O / (bi + br * rat);\n"
	"\treturn dfc_cpack_@S((ar * rat + ai) * scl, (ai * rat - ar) * scl);\n}\n\n";
static const char cpow_complex[] =
	"static inline @T\ndfc_cpow_@S(@T a, @T b)\n{\n" CPARTS
	"\tif (br == @Z && bi == @Z)\n\t\treturn dfc_cpack_@S(@O, @Z);\n"
	"\tif (ar == @Z && ai == @Z)\n"
	"\t\treturn br > @Z && bi == @Z ? dfc_cpack_@S(@Z, @Z) : dfc_cpack_@S(NAN, NAN);\n"
	"\tif (bi == @Z && br > -100 && br < 100 && (int)br == br) {\n"
	"\t\tint n = (int)br;\n"
	"\t\tif (n == 1)\n\t\t\treturn a;\n"
	"\t\tif (n == 2)\n\t\t\treturn dfc_cmul_@S(a, a);\n"
	"\t\tif (n == 3)\n\t\t\treturn dfc_cmul_@S(a, dfc_cmul_@S(a, a));\n"
	"\t\t@T r = dfc_cpack_@S(@O, @Z), p = a;\n"
	"\t\tfor (int m = n < 0 ? -n : n, bit = 1; ; bit <<= 1) {\n"
	"\t\t\tif (m & bit)\n\t\t\t\tr = dfc_cmul_@S(r, p);\n"
	"\t\t\tif (m < (bit << 1))\n\t\t\t\tbreak;\n"
	"\t\t\tp = dfc_cmul_@S(p, p);\n\t\t}\n"
	"\t\treturn n < 0 ? dfc_cdiv_@S(dfc_cpack_@S(@O, @Z), r) : r;\n\t}\n"
	"\treturn cpow@F(a, b);\n}\n\n";
static const char less_complex[] =
	"static inline bool\ndfc_less_@S(@T a, @T b)\n{\n" CPARTS
	"\treturn (ar < br && !isnan(ai) && !isnan(bi)) || (ar == br && ai < bi);\n}\n\n";
static const char less_equal_complex[] =
	"static inline bool\ndfc_less_equal_@S(@T a, @T b)\n{\n" CPARTS
	"\treturn (ar < br && !isnan(ai) && !isnan(bi)) || (ar == br && ai <= bi);\n}\n\n";
static const char minimum_complex[] =
	"static inline @T\ndfc_minimum_@S(@T a, @T b)\n{\n" CPARTS
	"\tif (isnan(ar) || isnan(ai) || (ar < br && !isnan(ai) && !isnan(bi)) ||\n"
	"\t    (ar == br && ai <= bi))\n\t\treturn a;\n"
	"\treturn b;\n}\n\n";
static const char maximum_complex[] =
	"static inline @T\ndfc_maximum_@S(@T a, @T b)\n{\n" CPARTS
	"\tif (isnan(ar) || isnan(ai) || (ar > br && !isnan(ai) && !isnan(bi)) ||\n"
	"\t    (ar == br && ai >= bi))\n\t\treturn a;\n"
	"\treturn b;\n}\n\n";
#undef CPARTS
static const char redsum_complex[] =
	"#pragma omp declare reduction(dfc_redsum_@S : @T : omp_out += omp_in) "
	"initializer(omp_priv = -@Z)\n\n";
static const char redprod_complex[] =
	"#pragma omp declare reduction(dfc_redprod_@S : @T : omp_out = dfc_cmul_@S(omp_out, omp_in)) "
	"initializer(omp_priv = 1)\n\n";

static const char *
complex_template(OmpHelper h)
{
	switch (h) {
	case OH_MIN:     return minimum_complex;
	case OH_MAX:     return maximum_complex;
	case OH_REDMIN:  return redmin_float;
	case OH_REDMAX:  return redmax_float;
	case OH_CPACK:   return cpack_complex;
	case OH_CMUL:    return cmul_complex;
	case OH_CDIV:    return cdiv_complex;
	case OH_CPOW:    return cpow_complex;
	case OH_CLT:     return less_complex;
	case OH_CLE:     return less_equal_complex;
	case OH_REDSUM:  return redsum_complex;
	case OH_REDPROD: return redprod_complex;
	default:         ICE("no complex helper %d", (int)h);
	}
}

/* --boundscheck: the first data-dependent index out of bounds, kept for
 * <module>_index_error (emit.c) to report; the access is skipped. i is the
 * index after NumPy's wrap of negative indices, shown the one the program
 * computed (what NumPy's IndexError names). */
static const char index_ok[] =
	"static int64_t dfc_index_fail[5];   /* line, column, index, axis, size */\n\n"
	"static inline bool\ndfc_index_ok_i64(int64_t i, int64_t shown, int64_t n, int64_t axis, "
	"int64_t line, int64_t col)\n{\n"
	"\tif (i >= 0 && i < n)\n\t\treturn true;\n"
	"\t#pragma omp critical(dfc_index)\n"
	"\tif (dfc_index_fail[0] == 0) {\n"
	"\t\tdfc_index_fail[0] = line;\n\t\tdfc_index_fail[1] = col;\n"
	"\t\tdfc_index_fail[2] = shown;\n\t\tdfc_index_fail[3] = axis;\n"
	"\t\tdfc_index_fail[4] = n;\n\t}\n"
	"\treturn false;\n}\n\n";

/* FITS(v, lo, hi): v; the first value out of [lo, hi] since the last
 * call is kept for <module>_value_error (emit.c) to report. The first
 * failing thread claims the record (threads may fail at once). */
static const char fits_check[] =
	"static int64_t dfc_value_fail[5];   /* line, column, value, lo, hi */\n\n"
	"static inline int64_t\ndfc_fits_i64(int64_t v, int64_t lo, int64_t hi, int64_t line, "
	"int64_t col)\n{\n"
	"\tint64_t none = 0;\n"
	"\tif ((v < lo || v > hi) && __atomic_compare_exchange_n(&dfc_value_fail[0], &none, "
	"line, false,\n\t\t\t\t\t\t\t   __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {\n"
	"\t\tdfc_value_fail[1] = col;\n\t\tdfc_value_fail[2] = v;\n"
	"\t\tdfc_value_fail[3] = lo;\n\t\tdfc_value_fail[4] = hi;\n\t}\n"
	"\treturn v;\n}\n\n";

/* x ** n for a constant n, |n| <= 16: binary powering over a fixed
 * count of bits, which compilers unroll and vectorize once n is known. */
static const char powi_float[] =
	"static inline @T\ndfc_powi_@S(@T x, int n)\n{\n"
	"\t@T r = @O;\n\tint m = n < 0 ? -n : n;\n"
	"\tfor (int b = 0; b < 5; b++) {\n"
	"\t\tif ((m >> b) & 1)\n\t\t\tr *= x;\n\t\tx *= x;\n\t}\n"
	"\treturn n < 0 ? @O / r : r;\n}\n\n";

/* pow(x, 0.5) of np.power and of 0-d values: sqrt but at -0.0 (+0.0)
 * and -inf (+inf). Written out, since under -fno-math-errno gcc's
 * vectorizer turns pow(x, 0.5) into a plain sqrt. */
static const char powhalf_float[] =
	"static inline @T\ndfc_powhalf_@S(@T x)\n{\n"
	"\treturn x == -(@T)INFINITY ? (@T)INFINITY : sqrt@F(x) + @Z;\n}\n\n";

static const char nthreads[] =
	"#ifdef _OPENMP\n#include <omp.h>\n#endif\n\n"
	"static inline int64_t\ndfc_nthreads_i64(void)\n{\n"
	"#ifdef _OPENMP\n\treturn omp_get_max_threads();\n#else\n\treturn 1;\n#endif\n}\n\n";

const char *
cg_omp_nthreads(OmpEmit *E)
{
	return arena_printf(E->a, "%s()", helper(E, OH_NTHREADS, DT_INT64));
}

/* Non-temporal stores, for a map's output that nothing in the kernel
 * reads again (state.c, stream_ok): the map computes a chunk into a
 * buffer in L1, and dfc_nt_store copies it out with stores that bypass
 * the caches, so a line of the output is not first read from memory (the
 * write-allocate traffic, a third more on a triad) nor evicts the inputs.
 * Whole aligned lines go out in one 64-byte store each: narrower
 * streaming stores measured no faster than plain ones. The partial lines
 * at either end are plain copies. The line store is gcc's or clang's
 * builtin where the 64-byte store exists (AVX-512) or clang picks it,
 * else <immintrin.h>'s (which costs 0.17 s of gcc's time to include).
 * dfc_nt_skew: the elements of size
 * `size` from the start of p's line to p, so that chunks can start on
 * lines. dfc_nt_fence: the streamed stores are weakly ordered; each
 * thread fences them before the barrier that publishes them. Without
 * SSE2 (not x86-64), plain copies. */
static const char nt_stores[] =
	"#if defined(__SSE2__) && (defined(__clang__) || defined(__AVX512F__))\n"
	"typedef long long dfc_nt_line __attribute__((vector_size(64)));\n\n"
	"static inline void\ndfc_nt_line_store(char *d, const char *s)\n{\n"
	"\tdfc_nt_line v;\n\t__builtin_memcpy(&v, s, 64);\n"
	"#if defined(__clang__)\n\t__builtin_nontemporal_store(v, (dfc_nt_line *)d);\n"
	"#else\n\t__builtin_ia32_movntdq512((dfc_nt_line *)d, v);\n#endif\n}\n"
	"#elif defined(__SSE2__)\n#include <immintrin.h>\n\n"
	"static inline void\ndfc_nt_line_store(char *d, const char *s)\n{\n"
	"#if defined(__AVX__)\n"
	"\tfor (int q = 0; q < 64; q += 32)\n"
	"\t\t_mm256_stream_si256((__m256i *)(d + q), _mm256_loadu_si256((const __m256i *)(s + q)));\n"
	"#else\n"
	"\tfor (int q = 0; q < 64; q += 16)\n"
	"\t\t_mm_stream_si128((__m128i *)(d + q), _mm_loadu_si128((const __m128i *)(s + q)));\n"
	"#endif\n}\n#endif\n\n"
	"static inline void\ndfc_nt_store(void *restrict dst, const void *restrict src, int64_t n)\n{\n"
	"\tchar *d = dst;\n\tconst char *s = src;\n"
	"#if defined(__SSE2__)\n"
	"\tint64_t head = (int64_t)(-(uintptr_t)d % 64);\n"
	"\tif (head > n)\n\t\thead = n;\n"
	"\t__builtin_memcpy(d, s, (size_t)head);\n"
	"\td += head;\n\ts += head;\n\tn -= head;\n"
	"\tfor (; n >= 64; n -= 64, d += 64, s += 64)\n"
	"\t\tdfc_nt_line_store(d, s);\n"
	"#endif\n"
	"\t__builtin_memcpy(d, s, (size_t)n);\n}\n\n"
	"static inline int64_t\ndfc_nt_skew(const void *p, int64_t size)\n{\n"
	"\treturn (int64_t)((uintptr_t)p % 64) / size;\n}\n\n"
	"static inline void\ndfc_nt_fence(void)\n{\n"
	"#if defined(__SSE2__)\n\t__builtin_ia32_sfence();\n#endif\n}\n\n";

void
cg_omp_need_nt(OmpEmit *E)
{
	need(E, OH_NT, DT_UINT8);
}

const char *
cg_omp_gemm_helper(OmpEmit *E, DType t)
{
	return helper(E, OH_GEMM, t);
}

/* The template of helper h for dtype t. */
static const char *
helper_template(OmpHelper h, DType t)
{
	bool f = dtype_is_float(t), u = dtype_is_unsigned(t) || t == DT_BOOL;
	bool narrow = dtype_is_int(t) && dtype_size(t) <= 4;
	if (dtype_is_complex(t))
		return complex_template(h);
	switch (h) {
	case OH_FLOORDIV: return f ? floordiv_float : narrow ? floordiv_narrow
			       : u ? floordiv_unsigned : floordiv_signed;
	case OH_MOD:      return f ? mod_float : narrow ? mod_narrow : u ? mod_unsigned : mod_signed;
	case OH_POW:      return u ? power_unsigned : power_signed;
	case OH_MIN:      return f ? minimum_float : minimum_int;
	case OH_MAX:      return f ? maximum_float : maximum_int;
	case OH_ABS:      return absolute_signed;
	case OH_SHL:      return u ? shl_unsigned : shl_signed;
	case OH_SHR:      return u ? shr_unsigned : shr_signed;
	case OH_REDMIN:   return redmin_float;
	case OH_REDMAX:   return redmax_float;
	case OH_INDEX:    return index_ok;
	case OH_POWI:     return powi_float;
	case OH_POWHALF:  return powhalf_float;
	case OH_NTHREADS: return nthreads;
	case OH_NT:       return nt_stores;
	case OH_VMIN:     return vminimum_float;
	case OH_VMAX:     return vmaximum_float;
	case OH_GEMM:     return cg_omp_gemm_template;
	case OH_FITS:     return fits_check;
	default:          ICE("bad helper %d", (int)h);
	}
}

/* Definitions of every helper the emitted programs used, in a fixed
 * order (helpers first, then the reductions that call them). */
void
cg_omp_helpers_emit(OmpEmit *E, StrBuf *sb)
{
	bool any = false;
	vmath_emit(E, sb);
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
