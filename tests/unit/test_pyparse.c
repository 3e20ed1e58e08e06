/* tests/unit/test_pyparse.c — the Python lexer, parser and signatures.
 *
 * Sources are parsed and their AST printed as s-expressions by a small
 * printer below, e.g. "a + b * 2" -> "(+ a (* b 2))": names print bare,
 * literals as written (strings quoted), operators as the node's head.
 * Malformed inputs must fail with the expected located message (captured
 * through ctx->err and ctx->bail), and nothing may crash, hang or overflow
 * the stack: deep nesting, long chains and every prefix of a kernel are
 * fed too.
 */
#include <setjmp.h>
#include <stdlib.h>

#include "../../frontends/python/py.h"
#include "test.h"

static Ctx *ctx;

/* ---- the AST printer ---- */

static void pr_expr(StrBuf *sb, PyExpr *e);
static void pr_stmts(StrBuf *sb, PyStmtList *l);

static void
pr_list(StrBuf *sb, PyExprList *l)
{
	for (int i = 0; i < l->len; i++) {
		sb_putc(sb, ' ');
		pr_expr(sb, l->data[i]);
	}
}

static void
pr_opt(StrBuf *sb, PyExpr *e)
{
	sb_putc(sb, ' ');
	if (e)
		pr_expr(sb, e);
	else
		sb_putc(sb, '_');
}

static void
pr_call(StrBuf *sb, PyExpr *e)
{
	sb_puts(sb, "(call ");
	pr_expr(sb, e->lhs);
	pr_list(sb, &e->items);
	for (int i = 0; i < e->kwnames.len; i++) {
		sb_printf(sb, " (kw %s ", e->kwnames.data[i]);
		pr_expr(sb, e->kwvalues.data[i]);
		sb_putc(sb, ')');
	}
	sb_putc(sb, ')');
}

static void
pr_expr(StrBuf *sb, PyExpr *e)
{
	switch (e->kind) {
	case PE_NAME: sb_puts(sb, e->id); return;
	case PE_INT: sb_printf(sb, "%lld", (long long)e->ival); return;
	case PE_FLOAT: sb_printf(sb, "%gf", e->fval); return;
	case PE_IMAG: sb_printf(sb, "%gj", e->fval); return;
	case PE_STR: sb_printf(sb, "%s\"%s\"", e->op ? e->op : "", e->str); return;
	case PE_BOOL: sb_puts(sb, e->ival ? "True" : "False"); return;
	case PE_NONE: sb_puts(sb, "None"); return;
	case PE_ELLIPSIS: sb_puts(sb, "..."); return;
	case PE_BINOP: case PE_BOOLOP:
		sb_printf(sb, "(%s ", e->op);
		pr_expr(sb, e->lhs);
		pr_opt(sb, e->rhs);
		break;
	case PE_UNARY:
		sb_printf(sb, "(%s ", strcmp(e->op, "not") == 0 ? "not" : e->op[0] == '-' ? "neg"
			  : e->op[0] == '+' ? "pos" : "inv");
		pr_expr(sb, e->lhs);
		break;
	case PE_COMPARE:
		sb_puts(sb, "(cmp ");
		pr_expr(sb, e->lhs);
		for (int i = 0; i < e->items.len; i++) {
			sb_printf(sb, " %s ", e->ops.data[i]);
			pr_expr(sb, e->items.data[i]);
		}
		break;
	case PE_CALL: pr_call(sb, e); return;
	case PE_ATTR:
		sb_puts(sb, "(. ");
		pr_expr(sb, e->lhs);
		sb_printf(sb, " %s", e->id);
		break;
	case PE_SUBSCRIPT:
		sb_puts(sb, "(sub ");
		pr_expr(sb, e->lhs);
		pr_list(sb, &e->items);
		break;
	case PE_SLICE:
		sb_puts(sb, "(slice");
		pr_opt(sb, e->lo);
		pr_opt(sb, e->hi);
		pr_opt(sb, e->step);
		break;
	case PE_TUPLE: sb_puts(sb, "(tuple"); pr_list(sb, &e->items); break;
	case PE_LIST: sb_puts(sb, "(list"); pr_list(sb, &e->items); break;
	case PE_IFEXP:
		sb_puts(sb, "(ifexp ");
		pr_expr(sb, e->lhs);
		pr_opt(sb, e->cond);
		pr_opt(sb, e->rhs);
		break;
	case PE_LAMBDA:
		sb_puts(sb, "(lambda");
		pr_list(sb, &e->items);
		for (int i = 0; i < e->kwvalues.len; i++)
			pr_opt(sb, e->kwvalues.data[i]);
		pr_opt(sb, e->lhs);
		break;
	case PE_COMP:
		sb_printf(sb, "(%s ", e->op);
		pr_expr(sb, e->lhs);
		if (e->rhs)
			pr_opt(sb, e->rhs);
		pr_list(sb, &e->items);
		sb_puts(sb, " if");
		pr_list(sb, &e->kwvalues);
		break;
	case PE_DICT:
		sb_printf(sb, "(%s", e->op);
		for (int i = 0; i < e->items.len; i++) {
			pr_opt(sb, e->items.data[i]);
			if (strcmp(e->op, "dict") == 0)
				pr_opt(sb, e->kwvalues.data[i]);
		}
		break;
	case PE_STARRED:
		sb_printf(sb, "(%s ", e->op);
		pr_expr(sb, e->lhs);
		break;
	}
	sb_putc(sb, ')');
}

static void
pr_def(StrBuf *sb, PyStmt *s)
{
	sb_printf(sb, "(def %s (", s->name);
	for (int i = 0; i < s->params.len; i++) {
		PyParam *p = &s->params.data[i];
		sb_printf(sb, "%s%s%s", i ? " " : "", p->star == 1 ? "*" : p->star == 2 ? "**" : "",
			  p->name);
		if (p->annotation) {
			sb_puts(sb, ":");
			pr_expr(sb, p->annotation);
		}
		if (p->defval) {
			sb_puts(sb, "=");
			pr_expr(sb, p->defval);
		}
	}
	sb_putc(sb, ')');
	if (s->returns) {
		sb_puts(sb, " ->");
		pr_opt(sb, s->returns);
	}
	for (int i = 0; i < s->decorators.len; i++) {
		sb_puts(sb, " @");
		pr_expr(sb, s->decorators.data[i]);
	}
	if (s->docstring)
		sb_printf(sb, " doc=\"%s\"", s->docstring);
	pr_stmts(sb, &s->body);
	sb_putc(sb, ')');
}

static void
pr_import(StrBuf *sb, PyStmt *s)
{
	if (s->names.len == 0) {
		sb_printf(sb, "(import %s", s->module);
		if (s->asnames.data[0])
			sb_printf(sb, " as %s", s->asnames.data[0]);
	} else {
		sb_printf(sb, "(from %s", s->module);
		for (int i = 0; i < s->names.len; i++) {
			sb_printf(sb, " %s", s->names.data[i]);
			if (s->asnames.data[i])
				sb_printf(sb, " as %s", s->asnames.data[i]);
		}
	}
	sb_putc(sb, ')');
}

static void
pr_stmt(StrBuf *sb, PyStmt *s)
{
	switch (s->kind) {
	case PS_EXPR: pr_expr(sb, s->value); return;
	case PS_ASSIGN:
		sb_puts(sb, "(=");
		pr_list(sb, &s->targets);
		pr_opt(sb, s->value);
		break;
	case PS_AUGASSIGN:
		sb_printf(sb, "(%s=", s->op);
		pr_list(sb, &s->targets);
		pr_opt(sb, s->value);
		break;
	case PS_ANNASSIGN:
		sb_puts(sb, "(ann");
		pr_list(sb, &s->targets);
		pr_opt(sb, s->annotation);
		pr_opt(sb, s->value);
		break;
	case PS_FOR:
		sb_puts(sb, "(for");
		pr_opt(sb, s->target);
		pr_opt(sb, s->iter);
		pr_stmts(sb, &s->body);
		if (s->orelse.len) {
			sb_puts(sb, " else");
			pr_stmts(sb, &s->orelse);
		}
		break;
	case PS_WHILE: case PS_IF:
		sb_puts(sb, s->kind == PS_WHILE ? "(while" : s->is_elif ? "(elif" : "(if");
		pr_opt(sb, s->test);
		pr_stmts(sb, &s->body);
		if (s->orelse.len) {
			sb_puts(sb, " else");
			pr_stmts(sb, &s->orelse);
		}
		break;
	case PS_RETURN:
		sb_puts(sb, "(return");
		if (s->value)
			pr_opt(sb, s->value);
		break;
	case PS_BREAK: sb_puts(sb, "(break"); break;
	case PS_CONTINUE: sb_puts(sb, "(continue"); break;
	case PS_PASS: sb_puts(sb, "(pass"); break;
	case PS_DEF: pr_def(sb, s); return;
	case PS_IMPORT: pr_import(sb, s); return;
	case PS_GLOBAL:
		sb_printf(sb, "(%s", s->kw);
		for (int i = 0; i < s->names.len; i++)
			sb_printf(sb, " %s", s->names.data[i]);
		break;
	case PS_OTHER:
		sb_printf(sb, "(%s", s->kw);
		if (s->name)
			sb_printf(sb, " %s", s->name);
		pr_list(sb, &s->targets);
		if (s->test)
			pr_opt(sb, s->test);
		if (s->value)
			pr_opt(sb, s->value);
		pr_stmts(sb, &s->body);
		pr_stmts(sb, &s->orelse);
		break;
	}
	sb_putc(sb, ')');
}

static void
pr_stmts(StrBuf *sb, PyStmtList *l)
{
	for (int i = 0; i < l->len; i++) {
		sb_putc(sb, ' ');
		pr_stmt(sb, l->data[i]);
	}
}

/* ---- running the parser ---- */

static PyModule *
parse(const char *src)
{
	return py_parse(ctx, "t.py", src, strlen(src));
}

/* The statements of src, printed and separated by spaces. */
static const char *
stmts(const char *src)
{
	PyModule *m = parse(src);
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	pr_stmts(&sb, &m->body);
	return sb_str(&sb) + (sb.len > 0);
}

/* The expression statement src (one line), printed. */
static const char *
expr(const char *src)
{
	return stmts(arena_printf(ctx->arena, "%s\n", src));
}

/* The first line of the diagnostic that parsing src (len bytes) reports,
 * or "no error". */
static const char *
error_n(const char *src, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	jmp_buf jb;
	ctx->err = f;
	ctx->bail = &jb;
	const char *res = "no error";
	if (setjmp(jb) == 0)
		py_parse(ctx, "t.py", src, len);
	fclose(f);
	if (n) {
		char *nl = strchr(buf, '\n');
		res = arena_strndup(ctx->arena, buf, nl ? (size_t)(nl - buf) : n);
	}
	free(buf);
	ctx->bail = NULL;
	ctx->err = stderr;
	return res;
}

static const char *
error(const char *src)
{
	return error_n(src, strlen(src));
}

/* The whole diagnostic (all lines) for src. */
static const char *
full_error(const char *src)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	jmp_buf jb;
	ctx->err = f;
	ctx->bail = &jb;
	if (setjmp(jb) == 0)
		py_parse(ctx, "t.py", src, strlen(src));
	fclose(f);
	const char *res = arena_strndup(ctx->arena, buf, n);
	free(buf);
	ctx->bail = NULL;
	ctx->err = stderr;
	return res;
}

/* ---- tests ---- */

static void
test_precedence(void)
{
	CHECK_STR(expr("a + b * 2"), "(+ a (* b 2))");
	CHECK_STR(expr("a * b + 2"), "(+ (* a b) 2)");
	CHECK_STR(expr("a - b - c"), "(- (- a b) c)");
	CHECK_STR(expr("a / b // c % d @ e"), "(@ (% (// (/ a b) c) d) e)");
	CHECK_STR(expr("a | b ^ c & d << e + f * g"),
		  "(| a (^ b (& c (<< d (+ e (* f g))))))");
	CHECK_STR(expr("a * b + c << d & e ^ f | g"),
		  "(| (^ (& (<< (+ (* a b) c) d) e) f) g)");
	CHECK_STR(expr("a >> b << c"), "(<< (>> a b) c)");
	CHECK_STR(expr("a | b < c | d"), "(cmp (| a b) < (| c d))");
	CHECK_STR(expr("not a == b"), "(not (cmp a == b))");
	CHECK_STR(expr("not a or b and c"), "(or (not a) (and b c))");
	CHECK_STR(expr("a or b or c"), "(or (or a b) c)");
	CHECK_STR(expr("a and not b"), "(and a (not b))");
	CHECK_STR(expr("a if b or c else d"), "(ifexp a (or b c) d)");
	CHECK_STR(expr("a if b else c if d else e"), "(ifexp a b (ifexp c d e))");
	CHECK_STR(expr("lambda: a if b else c"), "(lambda (ifexp a b c))");
	CHECK_STR(expr("x.T @ y"), "(@ (. x T) y)");
}

static void
test_unary_power(void)
{
	CHECK_STR(expr("-2**2"), "(neg (** 2 2))");
	CHECK_STR(expr("2**-1"), "(** 2 (neg 1))");
	CHECK_STR(expr("a**b**c"), "(** a (** b c))");
	CHECK_STR(expr("-a*b"), "(* (neg a) b)");
	CHECK_STR(expr("~a + +b"), "(+ (inv a) (pos b))");
	CHECK_STR(expr("- -a"), "(neg (neg a))");
	CHECK_STR(expr("a**-b**c"), "(** a (neg (** b c)))");
	CHECK_STR(expr("x[i]**2"), "(** (sub x i) 2)");
	CHECK_STR(expr("-f(x)**2"), "(neg (** (call f x) 2))");
}

static void
test_compare(void)
{
	CHECK_STR(expr("a < b <= c != d"), "(cmp a < b <= c != d)");
	CHECK_STR(expr("a > b >= c == d"), "(cmp a > b >= c == d)");
	CHECK_STR(expr("a is not b"), "(cmp a is not b)");
	CHECK_STR(expr("a is b"), "(cmp a is b)");
	CHECK_STR(expr("a not in b in c"), "(cmp a not in b in c)");
	CHECK_STR(expr("a < b + 1"), "(cmp a < (+ b 1))");
}

static void
test_atoms(void)
{
	CHECK_STR(expr("0x1f + 0o17 + 0b101 + 1_000 + 0"), "(+ (+ (+ (+ 31 15) 5) 1000) 0)");
	CHECK_STR(expr("0X_FF + 0_0"), "(+ 255 0)");
	CHECK_STR(expr("9223372036854775807"), "9223372036854775807");
	CHECK_STR(expr("(1.5, 1., .5, 1e-3, 1_000.0, 2E2)"),
		  "(tuple 1.5f 1f 0.5f 0.001f 1000f 200f)");
	CHECK_STR(expr("(2j, 1.5j, 1e1J)"), "(tuple 2j 1.5j 10j)");
	CHECK_STR(expr("'a' \"b\" '''c''' \"\"\"d\"\"\""), "\"abcd\"");
	CHECK_STR(expr("'\\t\\x41\\101\\u00e9\\'\\q'"), "\"\t\x41\x41\xc3\xa9'\\q\"");
	CHECK_STR(expr("r'\\n\\'' R\"\\d\""), "\"\\n\\'\\d\"");
	CHECK_STR(expr("b'x\\x00y'[0]"), "(sub b\"x\" 0)");
	CHECK_STR(expr("f'{x}' 'y'"), "f\"{x}y\"");
	CHECK_STR(expr("'''a\nb'''"), "\"a\nb\"");
	CHECK_STR(expr("'ab\\\ncd'"), "\"abcd\"");
	CHECK_STR(expr("True, False, None, ..."), "(tuple True False None ...)");
	CHECK_STR(expr("()"), "(tuple)");
	CHECK_STR(expr("(a,)"), "(tuple a)");
	CHECK_STR(expr("(a)"), "a");
	CHECK_STR(expr("[1, 2,]"), "(list 1 2)");
	CHECK_STR(expr("[]"), "(list)");
	CHECK_STR(expr("{a: 1, **b}"), "(dict a 1 (** b) _)");
	CHECK_STR(expr("{a, *b}"), "(set a (* b))");
	CHECK_STR(expr("{}"), "(dict)");
	CHECK_STR(expr("[x * 2 for x in y if x > 0 for z in w]"),
		  "(list comprehension (* x 2) x y z w if (cmp x > 0))");
	CHECK_STR(expr("sum(x for x in y)"), "(call sum (generator expression x x y if))");
	CHECK_STR(expr("{k: v for k, v in d}"),
		  "(dict comprehension k v (tuple k v) d if)");
	CHECK_STR(expr("{x for x in y}"), "(set comprehension x x y if)");
	CHECK_STR(expr("lambda x, y=1, *a, **k: x + y"), "(lambda x y a k _ 1 _ _ (+ x y))");
	CHECK_STR(expr("αβ + x_1"), "(+ αβ x_1)");
	PyModule *m = parse("x = (a)\ny = (a, b)\nz = a, b\n");
	CHECK(m->body.data[0]->value->parenthesized);
	CHECK(m->body.data[1]->value->parenthesized);
	CHECK(!m->body.data[2]->value->parenthesized);
}

static void
test_trailers(void)
{
	CHECK_STR(expr("a[1:-1, ::2, None, ...]"),
		  "(sub a (slice 1 (neg 1) _) (slice _ _ 2) None ...)");
	CHECK_STR(expr("a[i]"), "(sub a i)");
	CHECK_STR(expr("a[:, i]"), "(sub a (slice _ _ _) i)");
	CHECK_STR(expr("a[i:j, k:]"), "(sub a (slice i j _) (slice k _ _))");
	CHECK_STR(expr("a[::]"), "(sub a (slice _ _ _))");
	CHECK_STR(expr("a[(i, j)]"), "(sub a (tuple i j))");
	CHECK_STR(expr("a[i,]"), "(sub a i)");
	CHECK_STR(expr("f(a, *b, k=1, **d)"), "(call f a (* b) (** d) (kw k 1))");
	CHECK_STR(expr("np.sum(A, axis=0)"), "(call (. np sum) A (kw axis 0))");
	CHECK_STR(expr("a.b.c(d)[e](f,)"), "(call (sub (call (. (. a b) c) d) e) f)");
	CHECK_STR(expr("f()()"), "(call (call f))");
	CHECK_STR(expr("np.zeros((N, M), dtype=np.float64)"),
		  "(call (. np zeros) (tuple N M) (kw dtype (. np float64)))");
}

static void
test_statements(void)
{
	CHECK_STR(stmts("a = b = 1\n"), "(= a b 1)");
	CHECK_STR(stmts("a, b = b, a\n"), "(= (tuple a b) (tuple b a))");
	CHECK_STR(stmts("(a, b) = [c, *d] = e\n"), "(= (tuple a b) (list c (* d)) e)");
	CHECK_STR(stmts("a, *b = c\n"), "(= (tuple a (* b)) c)");
	CHECK_STR(stmts("x[i, j], y.z = 1, 2\n"), "(= (tuple (sub x i j) (. y z)) (tuple 1 2))");
	CHECK_STR(stmts("x: float\ny: int = 5\nA[0]: int = 1\n"),
		  "(ann x float _) (ann y int 5) (ann (sub A 0) int 1)");
	static const char *const ops[] = {
		"+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", ">>", "<<",
	};
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		const char *src = arena_printf(ctx->arena, "x[i] %s= y + 1\n", ops[i]);
		CHECK_STR(stmts(src), arena_printf(ctx->arena, "(%s= (sub x i) (+ y 1))", ops[i]));
	}
	CHECK_STR(stmts("x = 1; y = 2;\n"), "(= x 1) (= y 2)");
	CHECK_STR(stmts("import numpy as np, math\nimport numpy\nimport os.path\n"),
		  "(import numpy as np) (import math) (import numpy) (import os.path)");
	CHECK_STR(stmts("from numpy import x as y, z\nfrom . import (a,)\nfrom ..m import *\n"),
		  "(from numpy x as y z) (from . a) (from ..m *)");
	CHECK_STR(stmts("for i, j in zip(a, b):\n    x = i\nelse:\n    pass\n"),
		  "(for (tuple i j) (call zip a b) (= x i) else (pass))");
	CHECK_STR(stmts("for i in a, b: pass\n"), "(for i (tuple a b) (pass))");
	CHECK_STR(stmts("while x > 0:\n    x -= 1\n    if x: break\n    continue\nelse:\n    y = 1\n"),
		  "(while (cmp x > 0) (-= x 1) (if x (break)) (continue) else (= y 1))");
	CHECK_STR(stmts("if a:\n    x\nelif b:\n    y\nelif c:\n    z\nelse:\n    w\n"),
		  "(if a x else (elif b y else (elif c z else w)))");
	CHECK_STR(stmts("if a: x\nelse: y\n"), "(if a x else y)");
	CHECK_STR(stmts("def f(a, b: float = 1.0, *c, d, **e) -> int:\n    return a, b\n"),
		  "(def f (a b:float=1f *c d **e) -> int (return (tuple a b)))");
	CHECK_STR(stmts("@dec\n@np.vectorize(x)\ndef f():\n    \"\"\"Doc.\"\"\"\n    return\n"),
		  "(def f () @dec @(call (. np vectorize) x) doc=\"Doc.\" (return))");
	CHECK_STR(stmts("def f(A: \"float64[N]\", /, b):\n    '''only'''\n"),
		  "(def f (A:\"float64[N]\" b) doc=\"only\")");
	CHECK_STR(stmts("def f(*, a):\n    global g, h\n    del a, b[0]\n    assert a, 'm'\n    raise E from c\n"),
		  "(def f (a) (global g h) (del a (sub b 0)) (assert a \"m\") (raise c E))");
	CHECK_STR(stmts("with open(f) as g, h:\n    pass\nwith (a as b, c):\n    pass\n"),
		  "(with (call open f) h (pass)) (with a c (pass))");
	CHECK_STR(stmts("try:\n    a\nexcept E as e:\n    b\nexcept:\n    c\nelse:\n    d\nfinally:\n    e\n"),
		  "(try a (except e E b) (except c) (else d) (finally e))");
	CHECK_STR(stmts("class A(B, metaclass=M):\n    def f(self):\n        yield x\n"),
		  "(class A B M (def f (self) (yield x)))");
	CHECK_STR(stmts("def f():\n    nonlocal x\n    return *a, b\n"),
		  "(def f () (nonlocal x) (return (tuple (* a) b)))");
}

static void
test_lexing(void)
{
	CHECK_STR(stmts("x = 1 + \\\n    2\n"), "(= x (+ 1 2))");
	CHECK_STR(stmts("x = f(1,  # one\n      2)  # two\n"), "(= x (call f 1 2))");
	CHECK_STR(stmts("if a:\n\tif b:\n\t\tx = 1\n\ty = 2\n"), "(if a (if b (= x 1)) (= y 2))");
	CHECK_STR(stmts("if a:\n  \tx = 1\n  \ty = 2\n"), "(if a (= x 1) (= y 2))");
	CHECK_STR(stmts("\n\n# c\n   \n  # d\nx = 1\n\n"), "(= x 1)");
	CHECK_STR(stmts("x = 1\r\nif x:\r\n    y = 2\r\n"), "(= x 1) (if x (= y 2))");
	CHECK_STR(stmts("x = 1"), "(= x 1)");
	CHECK_STR(stmts(""), "");
	CHECK_STR(stmts("\xEF\xBB\xBFx = [\n1,\n\n2]\n"), "(= x (list 1 2))");
	CHECK_STR(stmts("def f():\n    if a:\n        return 1\n\n# end\n"),
		  "(def f () (if a (return 1)))");
	PyModule *m = parse("import numpy as np\n\n# dfc: kern(a: float64)\ndef kern(a):  #   trailing\n    pass  #\n");
	PyTokens *t = m->tokens;
	CHECK(t->comments.len == 3);
	CHECK_STR(t->comments.data[0].text, "dfc: kern(a: float64)");
	CHECK(t->comments.data[0].loc.line == 3 && t->comments.data[0].loc.col == 3);
	CHECK_STR(t->comments.data[1].text, "trailing");
	CHECK(t->comments.data[1].loc.line == 4 && t->comments.data[1].loc.col == 19);
	CHECK_STR(t->comments.data[2].text, "");
	PyStmt *def = m->body.data[1];
	CHECK(def->loc.line == 4 && def->loc.col == 1);
	CHECK(def->params.data[0].loc.line == 4 && def->params.data[0].loc.col == 10);
	m = parse("x = a + b[i]\n");
	PyExpr *v = m->body.data[0]->value;
	CHECK(v->loc.col == 5 && v->rhs->loc.col == 9 && v->rhs->items.data[0]->loc.col == 11);
	CHECK(v->height == 3);
	t = py_lex(ctx, "t.py", "if x:\n  y\n", 10);
	static const PyTokKind kinds[] = {
		PT_NAME, PT_NAME, PT_OP, PT_NEWLINE, PT_INDENT, PT_NAME, PT_NEWLINE, PT_DEDENT, PT_EOF,
	};
	CHECK(t->toks.len == 9);
	for (int i = 0; i < t->toks.len && i < 9; i++)
		CHECK(t->toks.data[i].kind == kinds[i]);
	CHECK(t->toks.data[2].loc.col == 5 && t->toks.data[2].end.col == 6);
}

/* Error messages, with their locations. */
static void
test_errors(void)
{
	CHECK_STR(error("for i in range(N)\n    pass\n"), "t.py:1:18: error: expected ':'");
	CHECK_STR(error("if x:\npass\n"),
		  "t.py:2:1: error: expected an indented block after 'if' statement on line 1");
	CHECK_STR(error("def f():\n    for i in x:\n    y = 1\n"),
		  "t.py:3:5: error: expected an indented block after 'for' statement on line 2");
	CHECK_STR(error("def f():\n"),
		  "t.py:2:1: error: expected an indented block after function definition on line 1");
	CHECK_STR(error("  x = 1\n"), "t.py:1:3: error: unexpected indent");
	CHECK_STR(error("x = 1\n    y = 2\n"), "t.py:2:5: error: unexpected indent");
	CHECK_STR(error("if x:\n    a\n  b\n"),
		  "t.py:3:3: error: unindent does not match any outer indentation level");
	CHECK_STR(error("if x:\n        a\n\tb\n"),
		  "t.py:3:2: error: inconsistent use of tabs and spaces in indentation");
	CHECK_STR(error("if x:\n    \ta\n\tb\n"),
		  "t.py:3:2: error: inconsistent use of tabs and spaces in indentation");
	CHECK_STR(error("if x:\n\ta\n        b\n"),
		  "t.py:3:9: error: inconsistent use of tabs and spaces in indentation");
	CHECK_STR(error("if x:\n  \ta\n\t  b\n"),
		  "t.py:3:4: error: inconsistent use of tabs and spaces in indentation");
	CHECK_STR(error("x = 'abc\n"),
		  "t.py:1:5: error: unterminated string literal (detected at line 1)");
	CHECK_STR(error("x = 1\ny = '''abc\n\n"),
		  "t.py:2:5: error: unterminated triple-quoted string literal (detected at line 4)");
	CHECK_STR(error_n("x = 1\ny = 2\0\n", 13), "t.py:2:6: error: NUL byte in source");
	CHECK_STR(error("x = $\n"), "t.py:1:5: error: invalid character '$' (U+0024)");
	CHECK_STR(error("x = a ? b\n"), "t.py:1:7: error: invalid character '?' (U+003F)");
	CHECK_STR(error("x = \xe2\x80\xa6\n"), "t.py:1:5: error: invalid character '\xe2\x80\xa6' (U+2026)");
	CHECK_STR(error("x = \xff\n"), "t.py:1:5: error: invalid UTF-8 in source");
	CHECK_STR(error("x = 'a\xc0\x80'\n"), "t.py:1:7: error: invalid UTF-8 in string literal");
	CHECK_STR(error("# \xff comment\nx = 1\n"), "no error");
	CHECK_STR(error("x = \x01\n"), "t.py:1:5: error: invalid non-printable character U+0001");
	CHECK_STR(error("x = f(a,\n      b\n"), "t.py:1:6: error: '(' was never closed");
	CHECK_STR(error("x = [1, {2}\n"), "t.py:1:5: error: '[' was never closed");
	CHECK_STR(error("x = 1)\n"), "t.py:1:6: error: unmatched ')'");
	CHECK_STR(error("x = (1]\n"),
		  "t.py:1:7: error: closing parenthesis ']' does not match opening parenthesis '('");
	CHECK_STR(error("x = (1,\n]\n"),
		  "t.py:2:1: error: closing parenthesis ']' does not match opening parenthesis '(' on line 1");
	CHECK_STR(error("f() = 1\n"), "t.py:1:1: error: cannot assign to function call");
	CHECK_STR(error("x, 1 = a\n"), "t.py:1:4: error: cannot assign to literal");
	CHECK_STR(error("a + b = c\n"), "t.py:1:1: error: cannot assign to expression");
	CHECK_STR(error("None = 1\n"), "t.py:1:1: error: cannot assign to None");
	CHECK_STR(error("a < b = 1\n"), "t.py:1:1: error: cannot assign to comparison");
	CHECK_STR(error("for f() in x: pass\n"), "t.py:1:5: error: cannot assign to function call");
	CHECK_STR(error("del f()\n"), "t.py:1:5: error: cannot delete function call");
	CHECK_STR(error("*a, *b = c\n"), "t.py:1:5: error: multiple starred expressions in assignment");
	CHECK_STR(error("*a = c\n"), "t.py:1:1: error: starred assignment target must be in a list or tuple");
	CHECK_STR(error("x = *a\n"), "t.py:1:5: error: can't use starred expression here");
	CHECK_STR(error("a, b += 1\n"),
		  "t.py:1:1: error: 'tuple' is an illegal expression for augmented assignment");
	CHECK_STR(error("a, b: int\n"), "t.py:1:1: error: only single target (not tuple) can be annotated");
	CHECK_STR(error("f(): int\n"), "t.py:1:1: error: illegal target for annotation");
	CHECK_STR(error("x = \n"), "t.py:1:4: error: expected expression");
	CHECK_STR(error("x = 1 +\n"), "t.py:1:8: error: expected expression");
	CHECK_STR(error("x = [1, , 2]\n"), "t.py:1:9: error: expected expression");
	CHECK_STR(error("x y\n"), "t.py:1:3: error: invalid syntax");
	CHECK_STR(error("x = if\n"), "t.py:1:5: error: invalid syntax");
	CHECK_STR(error("else:\n    pass\n"), "t.py:1:1: error: invalid syntax");
	CHECK_STR(error("f(a b)\n"), "t.py:1:5: error: invalid syntax. Perhaps you forgot a comma?");
	CHECK_STR(error("if x = 1:\n    pass\n"),
		  "t.py:1:6: error: invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
	CHECK_STR(error("for x range(3):\n    pass\n"), "t.py:1:7: error: expected 'in'");
	CHECK_STR(error("def (x):\n    pass\n"), "t.py:1:5: error: expected a function name after 'def'");
	CHECK_STR(error("def f x:\n    pass\n"), "t.py:1:7: error: expected '('");
	CHECK_STR(error("x = a if b\n"), "t.py:1:11: error: expected 'else' after 'if' expression");
	CHECK_STR(error("x = a.1\n"), "t.py:1:6: error: invalid syntax");
	CHECK_STR(error("x = a.if\n"), "t.py:1:7: error: expected an attribute name after '.'");
	CHECK_STR(error("x = 99999999999999999999\n"),
		  "t.py:1:5: error: integer literal '99999999999999999999' is too large for int64");
	CHECK_STR(error("x = 0x8000000000000000\n"),
		  "t.py:1:5: error: integer literal '0x8000000000000000' is too large for int64");
	CHECK_STR(error("x = 0777\n"),
		  "t.py:1:5: error: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
	CHECK_STR(error("x = 1__0\n"), "t.py:1:5: error: invalid decimal literal");
	CHECK_STR(error("x = 1_\n"), "t.py:1:5: error: invalid decimal literal");
	CHECK_STR(error("x = 1e\n"), "t.py:1:5: error: invalid decimal literal");
	CHECK_STR(error("x = 12abc\n"), "t.py:1:5: error: invalid decimal literal");
	CHECK_STR(error("x = 0b102\n"), "t.py:1:5: error: invalid binary literal");
	CHECK_STR(error("x = 0x\n"), "t.py:1:5: error: invalid hexadecimal literal");
	CHECK_STR(error("x = '\\x4'\n"), "t.py:1:6: error: truncated \\x escape");
	CHECK_STR(error("x = b'\xc3\xa9'\n"), "t.py:1:7: error: bytes can only contain ASCII literal characters");
	CHECK_STR(error("x = b'a' 'b'\n"), "t.py:1:10: error: cannot mix bytes and nonbytes literals");
	CHECK_STR(error("x = 1 + \\ 2\n"),
		  "t.py:1:10: error: unexpected character after line continuation character");
	CHECK_STR(error("x = 1 + \\"), "t.py:1:9: error: unexpected end of file after line continuation character");
	CHECK_STR(error("break\n"), "t.py:1:1: error: 'break' outside loop");
	CHECK_STR(error("for i in x:\n    def f():\n        continue\n"),
		  "t.py:3:9: error: 'continue' not properly in loop");
	CHECK_STR(error("while x:\n    pass\nelse:\n    break\n"), "t.py:4:5: error: 'break' outside loop");
	CHECK_STR(error("return 1\n"), "t.py:1:1: error: 'return' outside function");
	CHECK_STR(error("class A:\n    return\n"), "t.py:2:5: error: 'return' outside function");
	CHECK_STR(error("def f(a=1, b): pass\n"),
		  "t.py:1:12: error: parameter without a default follows parameter with a default");
	CHECK_STR(error("def f(a, a): pass\n"),
		  "t.py:1:10: error: duplicate argument 'a' in function definition");
	CHECK_STR(error("def f(**k, a): pass\n"), "t.py:1:12: error: arguments cannot follow var-keyword argument");
	CHECK_STR(error("def f(*): pass\n"), "t.py:1:7: error: named arguments must follow bare *");
	CHECK_STR(error("f(a=1, b)\n"), "t.py:1:8: error: positional argument follows keyword argument");
	CHECK_STR(error("f(a=1, a=2)\n"), "t.py:1:8: error: keyword argument repeated: a");
	CHECK_STR(error("f(x for x in y, 1)\n"), "t.py:1:3: error: generator expression must be parenthesized");
	CHECK_STR(error("f(a+1=2)\n"),
		  "t.py:1:3: error: expression cannot contain assignment, perhaps you meant \"==\"?");
	CHECK_STR(error("async def f(): pass\n"), "t.py:1:1: error: 'async' is not supported in dfc kernels");
	CHECK_STR(error("def f():\n    x = yield 1\n"),
		  "t.py:2:9: error: 'yield' expressions are not supported in dfc kernels");
	CHECK_STR(error("def f():\n    await x\n"), "t.py:2:5: error: 'await' is not supported in dfc kernels");
	CHECK_STR(error("if (n := 10) > 5: pass\n"),
		  "t.py:1:7: error: assignment expressions (':=') are not supported in dfc kernels");
	CHECK_STR(error("match x:\n    case 1: pass\n"),
		  "t.py:1:1: error: 'match' statements are not supported in dfc kernels");
	CHECK_STR(stmts("match = 1\nmatch(x)\nmatch[1]: int\n"),
		  "(= match 1) (call match x) (ann (sub match 1) int _)");
	CHECK_STR(error("try:\n    pass\nx = 1\n"), "t.py:3:1: error: expected 'except' or 'finally' block");
	CHECK_STR(error("@dec\nx = 1\n"), "t.py:2:1: error: expected 'def' or 'class' after a decorator");
	CHECK_STR(error("from numpy import\n"),
		  "t.py:1:18: error: expected one or more names after 'import'");
	CHECK_STR(error("from numpy import a,\n"),
		  "t.py:1:21: error: trailing comma not allowed without surrounding parentheses");
	CHECK_STR(error("import\n"), "t.py:1:7: error: expected a module name");
	CHECK_STR(error("x = (yield)\n"), "t.py:1:6: error: 'yield' expressions are not supported in dfc kernels");
	CHECK_STR(error("x = '\\N{DASH}'\n"), "t.py:1:6: error: \\N{...} escapes are not supported");
}

/* The full diagnostic: the source line is quoted and the caret placed. */
static void
test_diagnostic_format(void)
{
	CHECK_STR(full_error("import numpy as np\n\ndef k(N):\n    for i in range(N)\n        pass\n"),
		  "t.py:4:22: error: expected ':'\n"
		  "        for i in range(N)\n"
		  "                         ^\n");
	CHECK_STR(full_error("if x:\n\ty = (1 +\n\t\t$)\n"),
		  "t.py:3:3: error: invalid character '$' (U+0024)\n"
		  "    \t\t$)\n"
		  "    \t\t^\n");
}

/* Checks the error of src in a fresh compilation (the inputs are big). */
static void
check_deep(const char *what, const char *src, const char *want)
{
	Ctx *outer = ctx;
	ctx = ctx_new();
	const char *got = error(src);
	CHECK(strstr(got, want) != NULL);
	if (!strstr(got, want))
		fprintf(stderr, "  %s: got \"%.200s\"\n", what, got);
	ctx_free(ctx);
	ctx = outer;
}

/* Nesting and length that could exhaust the stack give errors. */
static void
test_deep(void)
{
	enum { N = 100000 };
	char *s = malloc(4 * N + 100);
	memset(s, '(', N);
	strcpy(s + N, "x");
	memset(s + N + 1, ')', N);
	strcpy(s + 2 * N + 1, "\n");
	check_deep("parens", s, "t.py:1:201: error: expression nested too deeply");
	memset(s, '[', N);
	strcpy(s + N, "\n");
	check_deep("unclosed", s, "error: '[' was never closed");
	memset(s, '-', N);
	strcpy(s + N, "x\n");
	check_deep("unary", s, "expression nested too deeply");
	s[0] = '\0';
	for (int i = 0; i < N / 4; i++)
		memcpy(s + 4 * i, "not ", 4);
	strcpy(s + N, "x\n");
	check_deep("not", s, "expression nested too deeply");
	s[0] = '2';
	for (int i = 0; i < N; i++)
		memcpy(s + 1 + 3 * i, "**2", 3);
	strcpy(s + 1 + 3 * N, "\n");
	check_deep("power", s, "expression nested too deeply");
	s[0] = 'a';
	for (int i = 0; i < N; i++)
		memcpy(s + 1 + 2 * i, "+a", 2);
	strcpy(s + 1 + 2 * N, "\n");
	check_deep("chain", s, "expression too complex (more than 1000 levels)");
	s[0] = 'f';
	for (int i = 0; i < N; i++)
		memcpy(s + 1 + 2 * i, "()", 2);
	strcpy(s + 1 + 2 * N, "\n");
	check_deep("calls", s, "expression too complex");
	strcpy(s, "x = ");
	for (int i = 0; i < N / 20; i++)
		memcpy(s + 4 + 12 * i, "a if b else ", 12);
	strcpy(s + 4 + 12 * (N / 20), "c\n");
	check_deep("ifexp", s, "expression nested too deeply");
	strcpy(s, "x = ");
	for (int i = 0; i < N / 20; i++)
		memcpy(s + 4 + 8 * i, "lambda: ", 8);
	strcpy(s + 4 + 8 * (N / 20), "1\n");
	check_deep("lambda", s, "expression nested too deeply");
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	for (int i = 0; i < 150; i++) {
		for (int j = 0; j < i; j++)
			sb_putc(&sb, ' ');
		sb_puts(&sb, "if x:\n");
	}
	check_deep("indent", sb_str(&sb), "error: too many levels of indentation");
	sb_init(&sb, ctx->arena);
	sb_puts(&sb, "if a:\n    pass\n");
	for (int i = 0; i < 2000; i++)
		sb_puts(&sb, "elif a:\n    pass\n");
	check_deep("elif", sb_str(&sb), "error: too many 'elif' branches (more than 1000)");
	sb_init(&sb, ctx->arena);
	sb_puts(&sb, "x = a");
	for (int i = 0; i < 900; i++)
		sb_puts(&sb, " + a");
	sb_puts(&sb, "\n");
	check_deep("long chain ok", sb_str(&sb), "no error");
	free(s);
}

/* Whether parsing src[0..len) fails, in a fresh compilation (so that the
 * thousands of runs below do not pile up in one arena). */
static bool
fails_alone(const char *src, size_t len)
{
	Ctx *outer = ctx;
	ctx = ctx_new();
	bool failed = strcmp(error_n(src, len), "no error") != 0;
	ctx_free(ctx);
	ctx = outer;
	return failed;
}

/* Every prefix of a kernel, and random corruptions of it, either parse or
 * give a located error; none may crash (run under ASan/UBSan). */
static void
test_robust(void)
{
	static const char kernel[] =
		"import numpy as np\n"
		"\n"
		"# dfc: jacobi(A: float64[N, N], B: float64[N, N], T: int64)\n"
		"def jacobi(A, B, T):\n"
		"    \"\"\"Jacobi 2-D.\"\"\"\n"
		"    for t in range(1, T):\n"
		"        B[1:-1, 1:-1] = 0.2 * (A[1:-1, 1:-1] + A[1:-1, :-2] +\n"
		"                               A[1:-1, 2:] + A[2:, 1:-1] + A[:-2, 1:-1])\n"
		"        A[1:-1, 1:-1] = 0.2 * (B[1:-1, 1:-1] + B[1:-1, :-2] +\n"
		"\t\t\t\t\t\t\t\t\t\t\t   B[1:-1, 2:] + B[2:, 1:-1] + B[:-2, 1:-1])\n"
		"        if t % 2 == 0 and not (x is None):\n"
		"            s = 'a\\'b' f\"{c}\" r'\\d'  # comment\n"
		"        elif t > 1e-3j: x, *y = -2**2, ~1\n"
		"        else:\n"
		"            pass\n"
		"    return A @ B.T, [i for i in {1: 2}]\n";
	size_t n = sizeof kernel - 1;
	CHECK_STR(error(kernel), "no error");
	char *buf = malloc(n + 1);
	int errors = 0;
	for (size_t len = 0; len <= n; len++) {
		memcpy(buf, kernel, len);
		errors += fails_alone(buf, len);
	}
	CHECK(errors > 0);
	static const char subst[] = "()[]{}:'\"\\\n\t #=.,*-0123456789eEjJxXaz_\x80\xff\0@!";
	uint32_t seed = 12345;
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(buf, kernel, n);
		for (int k = 0; k < 1 + iter % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			buf[pos] = subst[(seed >> 8) % (sizeof subst - 1)];
		}
		fails_alone(buf, n);
	}
	free(buf);
}

static const char *
sig_str(const char *text, SrcLoc loc)
{
	PySig *s = py_sig_parse(ctx, text, loc);
	if (!s)
		return "NULL";
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_printf(&sb, "%s(", s->func);
	for (int i = 0; i < s->nparams; i++) {
		PySigParam *p = &s->params[i];
		sb_printf(&sb, "%s%s:%s@%d", i ? " " : "", p->name, dtype_name(p->dtype), p->loc.col);
		for (int j = 0; j < p->ndim; j++)
			sb_printf(&sb, "%s%s", j ? "," : "[", p->dims[j]);
		if (p->ndim)
			sb_putc(&sb, ']');
	}
	sb_putc(&sb, ')');
	return sb_str(&sb);
}

/* The first diagnostic line of parsing a signature (or a type). */
static const char *
sig_error(const char *text, bool type)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	ctx->err = f;
	SrcLoc loc = { "k.py", 3, 8 };
	PySigParam p;
	bool ok = type ? py_sig_parse_type(ctx, text, loc, &p) : py_sig_parse(ctx, text, loc) != NULL;
	fclose(f);
	ctx->err = stderr;
	char *nl = n ? strchr(buf, '\n') : NULL;
	const char *res = ok ? "no error" : arena_strndup(ctx->arena, buf, nl ? (size_t)(nl - buf) : n);
	free(buf);
	return res;
}

static void
test_sig(void)
{
	SrcLoc loc = { "k.py", 3, 8 };
	CHECK_STR(sig_str("kern(alpha: float64, A: float64[N, M], x: float64[M])", loc),
		  "kern(alpha:float64@13 A:float64@29[N,M] x:float64@47[M])");
	CHECK_STR(sig_str("  f ( a:int64 , b : bool[ 3 ,N ,] , ) ", loc),
		  "f(a:int64@14 b:bool@24[3,N])");
	CHECK_STR(sig_str("g()", loc), "g()");
	CHECK_STR(sig_str("h(z: complex128[007, 0])", loc), "h(z:complex128@10[7,0])");
	PySigParam p;
	CHECK(py_sig_parse_type(ctx, "float64[N, M]", loc, &p));
	CHECK(p.dtype == DT_FLOAT64 && p.ndim == 2 && strcmp(p.dims[1], "M") == 0);
	CHECK(py_sig_parse_type(ctx, " int64 ", loc, &p) && p.dtype == DT_INT64 && p.ndim == 0);
	CHECK(py_sig_parse_type(ctx, "uint8[K]", loc, &p) && p.dtype == DT_UINT8 && p.ndim == 1);
	CHECK_STR(sig_error("kern(A: float65[N])", false), "k.py:3:16: error: unknown dtype 'float65'");
	CHECK_STR(sig_error("kern(A: float64[N, M)", false), "k.py:3:28: error: expected ']'");
	CHECK_STR(sig_error("kern(A: float64[N M])", false), "k.py:3:26: error: expected ']'");
	CHECK_STR(sig_error("kern(A: float64[N, -1])", false),
		  "k.py:3:27: error: expected a size symbol or integer in shape");
	CHECK_STR(sig_error("kern(A: float64[])", false),
		  "k.py:3:24: error: expected a size symbol or integer in shape");
	CHECK_STR(sig_error("kern(A: float64[2x])", false),
		  "k.py:3:24: error: expected a size symbol or integer in shape");
	CHECK_STR(sig_error("kern(A: float64, B: int64, A: bool)", false),
		  "k.py:3:35: error: duplicate parameter 'A'");
	CHECK_STR(sig_error("kern A", false), "k.py:3:13: error: expected '(' after 'kern'");
	CHECK_STR(sig_error("(A: int64)", false), "k.py:3:8: error: expected a function name");
	CHECK_STR(sig_error("kern(A float64)", false), "k.py:3:15: error: expected ':' and a type after 'A'");
	CHECK_STR(sig_error("kern(A: )", false), "k.py:3:16: error: expected a dtype (float64, int64, ...)");
	CHECK_STR(sig_error("kern(A: int64 B: int64)", false), "k.py:3:22: error: expected ',' or ')'");
	CHECK_STR(sig_error("kern(A: int64", false), "k.py:3:21: error: expected ',' or ')'");
	CHECK_STR(sig_error("kern(1: int64)", false), "k.py:3:13: error: expected a parameter name");
	CHECK_STR(sig_error("kern(A: int64) -> int64", false),
		  "k.py:3:23: error: unexpected text after the signature");
	CHECK_STR(sig_error("float64[N", true), "k.py:3:17: error: expected ']'");
	CHECK_STR(sig_error("float64[N] x", true), "k.py:3:19: error: unexpected text after the type");
	CHECK_STR(sig_error("float64[99999999999999999999]", true),
		  "k.py:3:16: error: extent '99999999999999999999' is too large");
}

int
main(int argc, char **argv)
{
	ctx = ctx_new();
	test_precedence();
	test_unary_power();
	test_compare();
	test_atoms();
	test_trailers();
	test_statements();
	test_lexing();
	test_errors();
	test_diagnostic_format();
	test_deep();
	test_robust();
	test_sig();
	ctx_free(ctx);
	return test_done(argv[0]);
}
