/* ir/expr.c — tasklet expression trees: the operator table, dtype rules,
 * constructors, and the prefix text form.
 *
 * The text form (used by the YAML and text dumps) is
 *   expr  := const | "in:" NAME | "sym:" NAME
 *          | "cast<" DTYPE ">(" expr ")" | OPNAME "(" expr {"," expr} ")"
 *          | "load<" DTYPE ">(in:" NAME "," expr {"," expr} ")"
 *   const := DTYPE ":" number        e.g. "float64:2.5", "int64:-3", "bool:1"
 *          | CDTYPE ":(" number ("+"|"-") number "j)"   e.g. "complex128:(1.0-2.0j)"
 * with optional blanks between tokens. Floats print in the shortest %.Ng
 * (N <= 17) form that reads back exactly, always with a '.', an exponent, or as
 * "inf", "-inf", "nan", so they look like floats. Integer constants are
 * kept wrapped to their dtype (uint64 as its bit pattern in ival) so that
 * every constant prints in range and parses back. A complex constant whose
 * imaginary part is +0.0 prints as its real part ("complex128:2.5").
 *
 * The parser reads user files (YAML dumps): it must survive any bytes, so
 * it never recurses deeper than MAX_DEPTH and reports the first error with
 * its byte offset.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

enum { MAX_DEPTH = 200, MAX_LOAD_DIMS = 32 };

static const struct {
	const char *name;
	int arity;
	OpClass cls;
} optab[] = {
#define X(e, name, arity, cls) { name, arity, OPC_##cls },
#include "ops.def"
#undef X
};

const char *
ir_op_name(IrOp op)
{
	if ((unsigned)op >= OP_COUNT)
		ICE("bad operator %d", (int)op);
	return optab[op].name;
}

bool
ir_op_from_name(const char *s, IrOp *out)
{
	for (int i = 0; i < OP_COUNT; i++) {
		if (strcmp(optab[i].name, s) == 0) {
			*out = (IrOp)i;
			return true;
		}
	}
	return false;
}

int
ir_op_arity(IrOp op)
{
	if ((unsigned)op >= OP_COUNT)
		ICE("bad operator %d", (int)op);
	return optab[op].arity;
}

OpClass
ir_op_class(IrOp op)
{
	if ((unsigned)op >= OP_COUNT)
		ICE("bad operator %d", (int)op);
	return optab[op].cls;
}

/* ---- dtype rules ---- */

/* NumPy's result dtype of a float math function of one argument. */
static DType
fn_dtype(DType t)
{
	if (t == DT_FLOAT32 || t == DT_FLOAT64 || dtype_is_complex(t))
		return t;
	return DT_FLOAT64;
}

/* The dtype of the real and imaginary parts of t (t itself if real). */
static DType
real_dtype(DType t)
{
	return t == DT_COMPLEX64 ? DT_FLOAT32 : t == DT_COMPLEX128 ? DT_FLOAT64 : t;
}

/* Result dtype of op over operands of dtypes argt[0..n); n must be the
 * op's arity and every argt valid. */
DType
ir_op_result_dtype(IrOp op, int n, const DType *argt)
{
	if (n != ir_op_arity(op))
		ICE("'%s' takes %d operands, got %d", ir_op_name(op), ir_op_arity(op), n);
	switch (ir_op_class(op)) {
	case OPC_CMP:
	case OPC_LOGIC:
	case OPC_PRED:
		return DT_BOOL;
	case OPC_FN:
		if (op == OP_COMPLEX)   /* float32 parts give complex64 */
			return real_dtype(fn_dtype(dtype_promote(argt[0], argt[1]))) == DT_FLOAT32
			       ? DT_COMPLEX64 : DT_COMPLEX128;
		if (n == 2)
			return fn_dtype(dtype_promote(argt[0], argt[1]));
		return op == OP_ANGLE ? real_dtype(fn_dtype(argt[0])) : fn_dtype(argt[0]);
	case OPC_SAME:
		if (op == OP_ABS || op == OP_REAL || op == OP_IMAG)
			return real_dtype(argt[0]);
		return argt[0];
	case OPC_ARITH:
		break;
	}
	int first = op == OP_WHERE ? 1 : 0;
	DType t = argt[first];
	for (int i = first + 1; i < n; i++)
		t = dtype_promote(t, argt[i]);
	return t;
}

/* ---- constructors ---- */

static IrExpr *
expr_new(Arena *a, ExprKind kind, DType t)
{
	IrExpr *e = arena_alloc(a, sizeof(*e));
	e->kind = kind;
	e->dtype = t;
	return e;
}

static bool
is_floating(DType t)
{
	return dtype_is_float(t) || dtype_is_complex(t);
}

IrExpr *
ir_expr_const_int(Arena *a, DType t, int64_t v)
{
	if ((unsigned)t >= DT_COUNT)
		ICE("bad dtype %d", (int)t);
	IrExpr *e = expr_new(a, EX_CONST, t);
	if (is_floating(t))
		e->fval = (double)v;
	else
		e->ival = dtype_wrap_int(t, v);
	return e;
}

/* A float constant; an integer dtype takes the value if it is integral
 * and in range (anything else is a caller bug). */
IrExpr *
ir_expr_const_float(Arena *a, DType t, double v)
{
	if ((unsigned)t >= DT_COUNT)
		ICE("bad dtype %d", (int)t);
	if (is_floating(t)) {
		IrExpr *e = expr_new(a, EX_CONST, t);
		e->fval = v;
		return e;
	}
	if (!(v >= -9.2e18 && v <= 9.2e18) || v != floor(v))
		ICE("float constant %g given integer dtype %s", v, dtype_name(t));
	return ir_expr_const_int(a, t, (int64_t)v);
}

IrExpr *
ir_expr_const_complex(Arena *a, DType t, double re, double im)
{
	IrExpr *e = ir_expr_const_float(a, t, re);
	if (dtype_is_complex(t))
		e->fimag = im;
	return e;
}

IrExpr *
ir_expr_in(Arena *a, DType t, const char *name)
{
	IrExpr *e = expr_new(a, EX_IN, t);
	e->name = arena_strdup(a, name);
	return e;
}

IrExpr *
ir_expr_sym(Arena *a, const char *name)
{
	IrExpr *e = expr_new(a, EX_SYM, DT_INT64);
	e->name = arena_strdup(a, name);
	return e;
}

IrExpr *
ir_expr_op(Arena *a, IrOp op, int n, IrExpr **args)
{
	if (n != ir_op_arity(op) || n > 3)
		ICE("'%s' takes %d operands, got %d", ir_op_name(op), ir_op_arity(op), n);
	DType argt[3];
	IrExpr *e = expr_new(a, EX_OP, DT_BOOL);
	e->op = op;
	e->n = n;
	e->args = arena_alloc(a, sizeof(IrExpr *) * (size_t)n);
	for (int i = 0; i < n; i++) {
		e->args[i] = args[i];
		argt[i] = args[i]->dtype;
	}
	e->dtype = ir_op_result_dtype(op, n, argt);
	return e;
}

IrExpr *
ir_expr_op2(Arena *a, IrOp op, IrExpr *x, IrExpr *y)
{
	IrExpr *args[2] = { x, y };
	return ir_expr_op(a, op, 2, args);
}

IrExpr *
ir_expr_op1(Arena *a, IrOp op, IrExpr *x)
{
	return ir_expr_op(a, op, 1, &x);
}

IrExpr *
ir_expr_cast(Arena *a, DType t, IrExpr *x)
{
	IrExpr *e = expr_new(a, EX_CAST, t);
	e->n = 1;
	e->args = arena_alloc(a, sizeof(IrExpr *));
	e->args[0] = x;
	return e;
}

IrExpr *
ir_expr_load(Arena *a, DType t, const char *name, int n, IrExpr **idx)
{
	if (n < 1)
		ICE("a load needs at least one index");
	IrExpr *e = expr_new(a, EX_LOAD, t);
	e->name = arena_strdup(a, name);
	e->n = n;
	e->args = arena_alloc(a, sizeof(IrExpr *) * (size_t)n);
	for (int i = 0; i < n; i++)
		e->args[i] = idx[i];
	return e;
}

/* ---- printing ---- */

/* The shortest %.Ng (N <= 17) that reads back as v, made to look like a
 * float ("2.0", not "2"). */
static void
put_double(StrBuf *sb, double v)
{
	if (isnan(v)) {
		sb_puts(sb, "nan");
		return;
	}
	if (isinf(v)) {
		sb_puts(sb, v < 0 ? "-inf" : "inf");
		return;
	}
	char buf[64];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sb_puts(sb, buf);
	if (!strpbrk(buf, ".e"))
		sb_puts(sb, ".0");
}

static void
put_const(StrBuf *sb, const IrExpr *e)
{
	if ((unsigned)e->dtype >= DT_COUNT) {
		sb_puts(sb, "<bad dtype>");
		return;
	}
	sb_printf(sb, "%s:", dtype_name(e->dtype));
	if (dtype_is_complex(e->dtype) && (e->fimag != 0 || signbit(e->fimag))) {
		sb_putc(sb, '(');
		put_double(sb, e->fval);
		bool neg = !isnan(e->fimag) && signbit(e->fimag);
		sb_putc(sb, neg ? '-' : '+');
		put_double(sb, neg ? -e->fimag : e->fimag);
		sb_puts(sb, "j)");
	} else if (is_floating(e->dtype))
		put_double(sb, e->fval);
	else if (dtype_is_unsigned(e->dtype))
		sb_printf(sb, "%" PRIu64, (uint64_t)e->ival);
	else
		sb_printf(sb, "%" PRId64, e->ival);
}

static void
put_expr(StrBuf *sb, const IrExpr *e)
{
	if (!e) {
		sb_puts(sb, "<null>");
		return;
	}
	switch (e->kind) {
	case EX_CONST:
		put_const(sb, e);
		return;
	case EX_IN:
		sb_printf(sb, "in:%s", e->name ? e->name : "<null>");
		return;
	case EX_SYM:
		sb_printf(sb, "sym:%s", e->name ? e->name : "<null>");
		return;
	case EX_OP:
		sb_puts(sb, (unsigned)e->op < OP_COUNT ? optab[e->op].name : "<bad op>");
		break;
	case EX_CAST:
		sb_printf(sb, "cast<%s>", (unsigned)e->dtype < DT_COUNT ?
			  dtype_name(e->dtype) : "<bad dtype>");
		break;
	case EX_LOAD:
		sb_printf(sb, "load<%s>(in:%s", (unsigned)e->dtype < DT_COUNT ?
			  dtype_name(e->dtype) : "<bad dtype>", e->name ? e->name : "<null>");
		for (int i = 0; i < e->n && e->args; i++) {
			sb_puts(sb, ", ");
			put_expr(sb, e->args[i]);
		}
		sb_putc(sb, ')');
		return;
	default:
		sb_puts(sb, "<bad expr>");
		return;
	}
	sb_putc(sb, '(');
	for (int i = 0; i < e->n && e->args; i++) {
		if (i)
			sb_puts(sb, ", ");
		put_expr(sb, e->args[i]);
	}
	sb_putc(sb, ')');
}

/* Prints any tree, even a malformed one (placeholders in <>), so that
 * verification messages can quote it. */
char *
ir_expr_print(Arena *a, const IrExpr *e)
{
	StrBuf sb;
	sb_init(&sb, a);
	put_expr(&sb, e);
	return arena_strdup(a, sb_str(&sb));
}

/* Equal as constants: the same bits up to NaN payloads. */
static bool
same_double(double x, double y)
{
	if (isnan(x) || isnan(y))
		return isnan(x) && isnan(y);
	return x == y && signbit(x) == signbit(y);
}

bool
ir_expr_equal(const IrExpr *x, const IrExpr *y)
{
	if (!x || !y)
		return x == y;
	if (x->kind != y->kind || x->dtype != y->dtype)
		return false;
	switch (x->kind) {
	case EX_CONST:
		if (!is_floating(x->dtype))
			return x->ival == y->ival;
		return same_double(x->fval, y->fval) && same_double(x->fimag, y->fimag);
	case EX_IN:
	case EX_SYM:
		return x->name && y->name ? strcmp(x->name, y->name) == 0 : x->name == y->name;
	case EX_OP:
	case EX_CAST:
	case EX_LOAD:
		if ((x->kind == EX_OP && x->op != y->op) || x->n != y->n)
			return false;
		if (x->kind == EX_LOAD && (!x->name || !y->name || strcmp(x->name, y->name) != 0))
			return false;
		for (int i = 0; i < x->n; i++)
			if (!ir_expr_equal(x->args[i], y->args[i]))
				return false;
		return true;
	}
	return false;
}

/* ---- parsing ---- */

typedef struct Parser {
	Arena *a;
	const char *s;
	int pos;
	int depth;
	const char *err;        /* first error, NULL while none */
	int errpos;
	bool (*in_dtype)(const char *name, DType *t, void *ud);
	void *ud;
} Parser;

static IrExpr *
perr(Parser *p, int pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first error (at byte offset pos); always returns NULL. */
static IrExpr *
perr(Parser *p, int pos, const char *fmt, ...)
{
	if (p->err)
		return NULL;
	va_list ap;
	va_start(ap, fmt);
	p->err = arena_vprintf(p->a, fmt, ap);
	va_end(ap);
	p->errpos = pos;
	return NULL;
}

static bool
is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_ident(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static void
skip_blanks(Parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	       p->s[p->pos] == '\r')
		p->pos++;
}

/* Reads an identifier at the current position; NULL (no error set) if
 * there is none. */
static const char *
read_ident(Parser *p)
{
	int start = p->pos;
	if (!is_ident_start((unsigned char)p->s[p->pos]))
		return NULL;
	while (is_ident((unsigned char)p->s[p->pos]))
		p->pos++;
	return arena_strndup(p->a, p->s + start, (size_t)(p->pos - start));
}

/* A printable rendering of the byte at pos, for error messages. */
static const char *
byte_desc(Parser *p, int pos)
{
	unsigned char c = (unsigned char)p->s[pos];
	if (c == 0)
		return "end of text";
	if (c < 0x20 || c >= 0x7f)
		return arena_printf(p->a, "byte 0x%02x", c);
	return arena_printf(p->a, "'%c'", c);
}

static bool
expect(Parser *p, char c)
{
	skip_blanks(p);
	if (p->s[p->pos] != c) {
		perr(p, p->pos, "expected '%c', found %s", c, byte_desc(p, p->pos));
		return false;
	}
	p->pos++;
	return true;
}

/* Span of characters that can make up a number literal. */
static int
number_span(Parser *p)
{
	int n = 0;
	const char *s = p->s + p->pos;
	while (s[n] && strchr("0123456789+-.eE", s[n]))
		n++;
	return n;
}

/* int-like constant of dtype t: optional '-', decimal digits, in range. */
static IrExpr *
parse_int_const(Parser *p, DType t)
{
	const char *s = p->s + p->pos;
	bool neg = *s == '-';
	int i = neg ? 1 : 0;
	uint64_t mag = 0;
	if (s[i] < '0' || s[i] > '9')
		return perr(p, p->pos, "expected an integer after '%s:'", dtype_name(t));
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (mag > (UINT64_MAX - d) / 10)
			return perr(p, p->pos, "integer constant out of range for %s", dtype_name(t));
		mag = mag * 10 + d;
	}
	uint64_t umax = t == DT_BOOL ? 1 : dtype_is_unsigned(t) ?
		(dtype_size(t) == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * dtype_size(t))) - 1) :
		(UINT64_C(1) << (8 * dtype_size(t) - 1)) - 1;
	bool ok = neg ? !dtype_is_unsigned(t) && t != DT_BOOL && mag <= umax + 1 :
		mag <= umax;
	if (!ok)
		return perr(p, p->pos, "integer constant out of range for %s", dtype_name(t));
	p->pos += i;
	int64_t v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return ir_expr_const_int(p->a, t, v);
}

static IrExpr *
parse_float_const(Parser *p, DType t)
{
	const char *s = p->s + p->pos;
	static const struct { const char *text; double v; } words[] = {
		{ "-inf", -INFINITY }, { "inf", INFINITY }, { "nan", NAN },
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t n = strlen(words[i].text);
		if (strncmp(s, words[i].text, n) == 0 && !is_ident((unsigned char)s[n])) {
			p->pos += (int)n;
			return ir_expr_const_float(p->a, t, words[i].v);
		}
	}
	int n = number_span(p);
	char *text = arena_strndup(p->a, s, (size_t)n);
	char *end;
	double v = n > 0 ? strtod(text, &end) : 0;
	if (n == 0 || *end != '\0' || (text[0] != '-' && !(text[0] >= '0' && text[0] <= '9') &&
					text[0] != '.'))
		return perr(p, p->pos, "bad number after '%s:'", dtype_name(t));
	p->pos += n;
	return ir_expr_const_float(p->a, t, v);
}

/* A float in the complex form: "inf", "nan" or a decimal number without
 * a sign (the caller reads signs). */
static bool
read_unsigned(Parser *p, double *v)
{
	const char *s = p->s + p->pos;
	if ((strncmp(s, "inf", 3) == 0 || strncmp(s, "nan", 3) == 0) &&
	    (!is_ident((unsigned char)s[3]) || s[3] == 'j')) {
		*v = s[0] == 'i' ? INFINITY : NAN;
		p->pos += 3;
		return true;
	}
	int n = 0, digits = 0;
	while ((s[n] >= '0' && s[n] <= '9') || s[n] == '.' || s[n] == 'e' || s[n] == 'E' ||
	       ((s[n] == '+' || s[n] == '-') && n > 0 && (s[n - 1] == 'e' || s[n - 1] == 'E'))) {
		digits += s[n] >= '0' && s[n] <= '9';
		n++;
	}
	char *text = arena_strndup(p->a, s, (size_t)n), *end;
	if (digits == 0 || s[0] == 'e' || s[0] == 'E')
		return false;
	*v = strtod(text, &end);
	p->pos += n;
	return *end == '\0';
}

/* "(RE+IMj)" or "(RE-IMj)" after "complexNN:", e.g. "(1.0-2.5j)",
 * "(-inf+nanj)". */
static IrExpr *
parse_complex_const(Parser *p, DType t)
{
	int start = p->pos;
	double re, im;
	bool neg_re, neg_im;
	p->pos++;
	neg_re = p->s[p->pos] == '-';
	p->pos += neg_re;
	if (!read_unsigned(p, &re) || (p->s[p->pos] != '+' && p->s[p->pos] != '-'))
		return perr(p, start, "bad complex number after '%s:' (expected (RE+IMj))",
			    dtype_name(t));
	neg_im = p->s[p->pos++] == '-';
	if (!read_unsigned(p, &im) || p->s[p->pos] != 'j' || p->s[p->pos + 1] != ')')
		return perr(p, start, "bad complex number after '%s:' (expected (RE+IMj))",
			    dtype_name(t));
	p->pos += 2;
	return ir_expr_const_complex(p->a, t, neg_re ? -re : re, neg_im ? -im : im);
}

static IrExpr *
parse_const(Parser *p, const char *word, int start)
{
	DType t;
	if (!dtype_from_name(word, &t))
		return perr(p, start, "unknown dtype '%s'", word);
	if (dtype_is_complex(t) && p->s[p->pos] == '(')
		return parse_complex_const(p, t);
	if (is_floating(t))
		return parse_float_const(p, t);
	return parse_int_const(p, t);
}

static IrExpr *parse_expr(Parser *p);

/* "in:NAME" or "sym:NAME", after the ':' */
static IrExpr *
parse_name_ref(Parser *p, bool is_in, int start)
{
	int namepos = p->pos;
	const char *name = read_ident(p);
	if (!name)
		return perr(p, p->pos, "expected a name after '%s:'", is_in ? "in" : "sym");
	if (!is_in)
		return ir_expr_sym(p->a, name);
	DType t;
	if (!p->in_dtype || !p->in_dtype(name, &t, p->ud))
		return perr(p, namepos, "unknown input '%s'", name);
	if ((unsigned)t >= DT_COUNT)
		return perr(p, namepos, "input '%s' has an invalid dtype", name);
	return ir_expr_in(p->a, t, name);
}

/* "cast<DTYPE>(expr)", after "cast" */
static IrExpr *
parse_cast(Parser *p)
{
	p->pos++;
	skip_blanks(p);
	int tpos = p->pos;
	const char *tname = read_ident(p);
	DType t;
	if (!tname)
		return perr(p, tpos, "expected a dtype after 'cast<'");
	if (!dtype_from_name(tname, &t))
		return perr(p, tpos, "unknown dtype '%s'", tname);
	if (!expect(p, '>') || !expect(p, '('))
		return NULL;
	IrExpr *x = parse_expr(p);
	if (!x || !expect(p, ')'))
		return NULL;
	return ir_expr_cast(p->a, t, x);
}

/* "load<DTYPE>(in:NAME, expr {, expr})", after "load": the dtype must be
 * the connector's. */
static IrExpr *
parse_load(Parser *p)
{
	p->pos++;
	skip_blanks(p);
	int tpos = p->pos;
	const char *tname = read_ident(p);
	DType t, ct;
	if (!tname)
		return perr(p, tpos, "expected a dtype after 'load<'");
	if (!dtype_from_name(tname, &t))
		return perr(p, tpos, "unknown dtype '%s'", tname);
	if (!expect(p, '>') || !expect(p, '('))
		return NULL;
	skip_blanks(p);
	if (strncmp(p->s + p->pos, "in:", 3) != 0)
		return perr(p, p->pos, "expected 'in:' and a connector name after 'load<%s>('", tname);
	p->pos += 3;
	int namepos = p->pos;
	const char *name = read_ident(p);
	if (!name)
		return perr(p, p->pos, "expected a name after 'in:'");
	if (!p->in_dtype || !p->in_dtype(name, &ct, p->ud))
		return perr(p, namepos, "unknown input '%s'", name);
	if (ct != t)
		return perr(p, tpos, "load<%s> of input '%s', which is %s", tname, name,
			    (unsigned)ct < DT_COUNT ? dtype_name(ct) : "of an invalid dtype");
	IrExpr *args[MAX_LOAD_DIMS];
	int n = 0;
	while (skip_blanks(p), p->s[p->pos] == ',') {
		p->pos++;
		if (n == MAX_LOAD_DIMS)
			return perr(p, p->pos, "a load takes at most %d indices", MAX_LOAD_DIMS);
		if (!(args[n++] = parse_expr(p)))
			return NULL;
	}
	if (!expect(p, ')'))
		return NULL;
	if (n == 0)
		return perr(p, namepos, "a load needs at least one index");
	return ir_expr_load(p->a, t, name, n, args);
}

/* OPNAME "(" expr {"," expr} ")", after OPNAME */
static IrExpr *
parse_op(Parser *p, const char *word, int start)
{
	IrOp op;
	if (!ir_op_from_name(word, &op))
		return perr(p, start, "unknown operator '%s'", word);
	p->pos++;
	IrExpr *args[4];
	int n = 0;
	skip_blanks(p);
	if (p->s[p->pos] != ')') {
		for (;;) {
			if (!(args[n++] = parse_expr(p)))
				return NULL;
			skip_blanks(p);
			if (p->s[p->pos] != ',')
				break;
			if (n == ir_op_arity(op))
				return perr(p, p->pos, "too many operands for '%s' (takes %d)",
					    word, ir_op_arity(op));
			p->pos++;
		}
	}
	if (!expect(p, ')'))
		return NULL;
	if (n != ir_op_arity(op))
		return perr(p, start, "'%s' takes %d operands, got %d", word,
			    ir_op_arity(op), n);
	return ir_expr_op(p->a, op, n, args);
}

static IrExpr *
parse_expr(Parser *p)
{
	if (++p->depth > MAX_DEPTH)
		return perr(p, p->pos, "expression nested too deeply (more than %d levels)",
			    MAX_DEPTH);
	skip_blanks(p);
	int start = p->pos;
	const char *word = read_ident(p);
	if (!word)
		return perr(p, start, "expected an expression, found %s", byte_desc(p, start));
	IrExpr *e;
	int after = p->pos;
	skip_blanks(p);
	if (p->s[p->pos] != '(')
		p->pos = after;
	char c = p->s[p->pos];
	if (c == ':' && (strcmp(word, "in") == 0 || strcmp(word, "sym") == 0)) {
		p->pos++;
		e = parse_name_ref(p, word[0] == 'i', start);
	} else if (c == ':') {
		p->pos++;
		e = parse_const(p, word, start);
	} else if (c == '<' && strcmp(word, "cast") == 0) {
		e = parse_cast(p);
	} else if (c == '<' && strcmp(word, "load") == 0) {
		e = parse_load(p);
	} else if (c == '(') {
		e = parse_op(p, word, start);
	} else {
		e = perr(p, p->pos, "expected ':' or '(' after '%s', found %s", word,
			 byte_desc(p, p->pos));
	}
	p->depth--;
	return e;
}

IrExpr *
ir_expr_parse(Arena *a, const char *text,
	      bool (*in_dtype)(const char *name, DType *t, void *ud), void *ud,
	      const char **err, int *errpos)
{
	Parser p = { .a = a, .s = text ? text : "", .in_dtype = in_dtype, .ud = ud };
	IrExpr *e = parse_expr(&p);
	if (e) {
		skip_blanks(&p);
		if (p.s[p.pos] != '\0')
			e = perr(&p, p.pos, "unexpected %s after the expression",
				 byte_desc(&p, p.pos));
	}
	if (!e) {
		if (err)
			*err = p.err;
		if (errpos)
			*errpos = p.errpos;
	}
	return e;
}

bool
ir_expr_reads(const IrExpr *e, const char *name)
{
	if (!e)
		return false;
	if ((e->kind == EX_IN || e->kind == EX_LOAD) && strcmp(e->name, name) == 0)
		return true;
	for (int i = 0; i < e->n; i++)
		if (ir_expr_reads(e->args[i], name))
			return true;
	return false;
}

bool
ir_expr_has_load(const IrExpr *e)
{
	if (!e)
		return false;
	if (e->kind == EX_LOAD)
		return true;
	for (int i = 0; i < e->n; i++)
		if (ir_expr_has_load(e->args[i]))
			return true;
	return false;
}

bool
ir_expr_loads(const IrExpr *e, const char *name)
{
	if (!e)
		return false;
	if (e->kind == EX_LOAD && e->name && strcmp(e->name, name) == 0)
		return true;
	for (int i = 0; i < e->n; i++)
		if (ir_expr_loads(e->args[i], name))
			return true;
	return false;
}

bool
ir_expr_uses_sym(const IrExpr *e, const char *name)
{
	if (!e)
		return false;
	if (e->kind == EX_SYM && e->name && strcmp(e->name, name) == 0)
		return true;
	for (int i = 0; i < e->n; i++)
		if (ir_expr_uses_sym(e->args[i], name))
			return true;
	return false;
}

bool
ir_expr_has_op(const IrExpr *e, IrOp op)
{
	if (!e)
		return false;
	if (e->kind == EX_OP && e->op == op)
		return true;
	for (int i = 0; i < e->n; i++)
		if (ir_expr_has_op(e->args[i], op))
			return true;
	return false;
}

static bool
list_uses_op(const IrBlockList *l, IrOp op)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		switch (b->kind) {
		case CF_STATE:
			for (int k = 0; k < b->state->nodes.len; k++) {
				const IrNode *n = &b->state->nodes.data[k];
				if (n->kind == IRN_TASKLET && ir_expr_has_op(n->tasklet.expr, op))
					return true;
			}
			break;
		case CF_FOR:
			if (list_uses_op(&b->loop.body, op))
				return true;
			break;
		case CF_WHILE:
			if (ir_expr_has_op(b->wloop.cond, op) || list_uses_op(&b->wloop.body, op))
				return true;
			break;
		case CF_IF:
			for (int k = 0; k < b->branch.n; k++)
				if (ir_expr_has_op(b->branch.conds[k], op) ||
				    list_uses_op(&b->branch.bodies[k], op))
					return true;
			if (list_uses_op(&b->branch.orelse, op))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

bool
ir_program_uses_op(const IrProgram *p, IrOp op)
{
	return list_uses_op(&p->body, op);
}

bool
ir_module_uses_op(const IrModule *m, IrOp op)
{
	for (int i = 0; i < m->programs.len; i++)
		if (ir_program_uses_op(m->programs.data[i], op))
			return true;
	return false;
}

char *
ir_expr_vn_key(Arena *a, const IrExpr *e, const int *ids)
{
	StrBuf sb;
	sb_init(&sb, a);
	sb_printf(&sb, "%s<%s>(", e->kind == EX_OP ? ir_op_name(e->op) : "cast",
		  dtype_name(e->dtype));
	for (int i = 0; i < e->n; i++)
		sb_printf(&sb, "%s%d", i ? "," : "", ids[i]);
	sb_putc(&sb, ')');
	return (char *)sb_str(&sb);
}
