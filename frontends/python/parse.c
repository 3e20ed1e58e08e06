/* frontends/python/parse.c — recursive descent parser: tokens to the AST.
 *
 * One function per grammar rule, each preceded by its rule (CPython's
 * LL(1) grammar of Python 3.8, plus the few 3.9+ forms kernels use:
 * parenthesised with-items, decorators of any expression). Expressions
 * follow Python's precedence, loosest first: lambda, ifexp, or, and, not,
 * comparisons, |, ^, &, shifts, + -, * / // % @, unary + - ~, **, await,
 * primary. Chains of the same level are built in loops, so only nesting
 * (brackets, unary operators, right operands of **, ifexp branches)
 * recurses, and that is bounded by MAX_DEPTH: deep input gives "expression
 * nested too deeply", never a stack overflow. Statement nesting is bounded
 * by the lexer's 100 levels of indentation.
 *
 * Constructs dfc does not compile (with, try, class, lambda,
 * comprehensions, dicts, ...) are parsed fully into PS_OTHER / PE_LAMBDA /
 * PE_COMP / PE_DICT nodes so that lowering rejects them by name where they
 * are used (a kernel file may use them outside its kernels). Four forms are
 * rejected here, by name: async, await, yield as an expression, and ':='.
 *
 * Errors are fatal and read like CPython's: "expected ':'" (located just
 * after the previous token when the line ended), "invalid syntax", "cannot
 * assign to function call", "expected an indented block after 'for'
 * statement on line 3", "'break' outside loop".
 */
#include <string.h>

#include "py.h"

enum {
	MAX_DEPTH = 200,    /* nesting of brackets, unary operators, ... */
	MAX_HEIGHT = 1000,  /* height of an expression tree; length of elif chains */
};

typedef struct Parser {
	Ctx *ctx;
	PyTok *toks;
	int ntoks, pos;
	int depth;      /* nesting of expressions, at most MAX_DEPTH */
	int loops;      /* loops around the statement, in the current function */
	int funcs;      /* functions around the statement (0 in class bodies) */
} Parser;

static PyExpr *p_test(Parser *P);
static PyExpr *p_namedexpr(Parser *P);
static PyExpr *p_binary(Parser *P, int level);
static PyExpr *p_factor(Parser *P);
static void p_stmt(Parser *P, PyStmtList *out);

/* ---- tokens ---- */

static PyTok *
peek(Parser *P)
{
	return &P->toks[P->pos];
}

static PyTok *
peek_at(Parser *P, int k)
{
	int i = P->pos + k;
	return &P->toks[i < P->ntoks ? i : P->ntoks - 1];
}

static PyTok *
next(Parser *P)
{
	PyTok *t = &P->toks[P->pos];
	if (t->kind != PT_EOF)
		P->pos++;
	return t;
}

static bool
is_op(PyTok *t, const char *op)
{
	return t->kind == PT_OP && strcmp(t->text, op) == 0;
}

static bool
is_kw(PyTok *t, const char *kw)
{
	return t->kind == PT_NAME && strcmp(t->text, kw) == 0;
}

static bool
accept_op(Parser *P, const char *op)
{
	if (!is_op(peek(P), op))
		return false;
	next(P);
	return true;
}

static bool
accept_kw(Parser *P, const char *kw)
{
	if (!is_kw(peek(P), kw))
		return false;
	next(P);
	return true;
}

static bool
is_keyword(const char *s)
{
	static const char *const kws[] = {
		"False", "None", "True", "and", "as", "assert", "async", "await",
		"break", "class", "continue", "def", "del", "elif", "else",
		"except", "finally", "for", "from", "global", "if", "import", "in",
		"is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
		"try", "while", "with", "yield",
	};
	for (size_t i = 0; i < sizeof kws / sizeof *kws; i++)
		if (strcmp(s, kws[i]) == 0)
			return true;
	return false;
}

/* Whether t can start an expression (for trailing commas and "Perhaps you
 * forgot a comma?"). */
static bool
starts_expr(PyTok *t)
{
	switch (t->kind) {
	case PT_INT: case PT_FLOAT: case PT_IMAG: case PT_STRING:
		return true;
	case PT_NAME:
		return !is_keyword(t->text) || is_kw(t, "True") || is_kw(t, "False")
		    || is_kw(t, "None") || is_kw(t, "not") || is_kw(t, "lambda")
		    || is_kw(t, "await");
	case PT_OP:
		return strchr("([{-+~*", t->text[0]) && t->text[1] == '\0'
		    ? true : strcmp(t->text, "...") == 0 || strcmp(t->text, "**") == 0;
	default:
		return false;
	}
}

/* ---- errors ---- */

static _Noreturn void __attribute__((format(printf, 3, 4)))
syntax_error(Parser *P, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(P->ctx->arena, fmt, ap);
	va_end(ap);
	diag_fatal(P->ctx, loc, "%s", msg);
}

/* Where "expected X" points: at the current token, or just after the
 * previous one when the line (or block) ended there. */
static SrcLoc
expect_loc(Parser *P)
{
	PyTok *t = peek(P);
	bool at_end = t->kind == PT_NEWLINE || t->kind == PT_INDENT
		   || t->kind == PT_DEDENT || t->kind == PT_EOF;
	return at_end && P->pos > 0 ? P->toks[P->pos - 1].end : t->loc;
}

/* The generic error at the current token. */
static _Noreturn void
unexpected(Parser *P)
{
	PyTok *t = peek(P);
	if (t->kind == PT_INDENT)
		syntax_error(P, t->loc, "unexpected indent");
	if (t->kind == PT_DEDENT)
		syntax_error(P, t->loc, "unexpected unindent");
	syntax_error(P, expect_loc(P), "invalid syntax");
}

static void
expect_op(Parser *P, const char *op)
{
	if (!accept_op(P, op))
		syntax_error(P, expect_loc(P), "expected '%s'", op);
}

/* The closing bracket of a comma-separated list. */
static void
expect_close(Parser *P, const char *close)
{
	if (accept_op(P, close))
		return;
	if (starts_expr(peek(P)))
		syntax_error(P, peek(P)->loc, "invalid syntax. Perhaps you forgot a comma?");
	syntax_error(P, expect_loc(P), "expected '%s'", close);
}

/* A NAME that is not a keyword. */
static const char *
expect_name(Parser *P, const char *what)
{
	PyTok *t = peek(P);
	if (t->kind != PT_NAME || is_keyword(t->text))
		syntax_error(P, expect_loc(P), "expected %s", what);
	next(P);
	return t->text;
}

static void
enter(Parser *P, SrcLoc loc)
{
	if (++P->depth > MAX_DEPTH)
		syntax_error(P, loc, "expression nested too deeply");
}

/* ---- nodes ---- */

static PyExpr *
new_expr(Parser *P, PyExprKind kind, SrcLoc loc)
{
	PyExpr *e = arena_alloc(P->ctx->arena, sizeof(*e));
	e->kind = kind;
	e->loc = loc;
	e->height = 1;
	return e;
}

static int
max_height(int h, PyExpr *e)
{
	return e && e->height > h ? e->height : h;
}

/* Completes the composite node e: its height is one more than its
 * tallest child's. Long left-deep chains (a+a+...+a, f()()...) are the
 * one way to grow a tree without recursing in the parser; this bounds
 * them, so that every later walk of the AST recurses a bounded depth. */
static PyExpr *
fin(Parser *P, PyExpr *e)
{
	int h = 0;
	h = max_height(h, e->lhs);
	h = max_height(h, e->rhs);
	h = max_height(h, e->cond);
	h = max_height(h, e->lo);
	h = max_height(h, e->hi);
	h = max_height(h, e->step);
	for (int i = 0; i < e->items.len; i++)
		h = max_height(h, e->items.data[i]);
	for (int i = 0; i < e->kwvalues.len; i++)
		h = max_height(h, e->kwvalues.data[i]);
	e->height = h + 1;
	if (e->height > MAX_HEIGHT)
		syntax_error(P, e->loc, "expression too complex (more than %d levels)", MAX_HEIGHT);
	return e;
}

static PyExpr *
new_binary(Parser *P, PyExprKind kind, const char *op, PyExpr *lhs, PyExpr *rhs)
{
	PyExpr *e = new_expr(P, kind, lhs->loc);
	e->op = op;
	e->lhs = lhs;
	e->rhs = rhs;
	return fin(P, e);
}

static PyStmt *
new_stmt(Parser *P, PyStmtKind kind, SrcLoc loc)
{
	PyStmt *s = arena_alloc(P->ctx->arena, sizeof(*s));
	s->kind = kind;
	s->loc = loc;
	return s;
}

static void
push_expr(Parser *P, PyExprList *l, PyExpr *e)
{
	vec_push(P->ctx->arena, l, e);
}

/* ---- targets ---- */

/* How Python names e in "cannot assign to ..." messages. */
static const char *
expr_what(PyExpr *e)
{
	switch (e->kind) {
	case PE_CALL: return "function call";
	case PE_INT: case PE_FLOAT: case PE_IMAG: case PE_STR: return "literal";
	case PE_BOOL: return e->ival ? "True" : "False";
	case PE_NONE: return "None";
	case PE_ELLIPSIS: return "ellipsis";
	case PE_COMPARE: return "comparison";
	case PE_IFEXP: return "conditional expression";
	case PE_LAMBDA: return "lambda";
	case PE_COMP: return e->op;
	case PE_DICT: return strcmp(e->op, "set") == 0 ? "set display" : "dict literal";
	case PE_TUPLE: return "tuple";
	case PE_LIST: return "list";
	case PE_STARRED: return "starred";
	case PE_NAME: return "name";
	case PE_ATTR: return "attribute";
	case PE_SUBSCRIPT: return "subscript";
	case PE_SLICE: return "slice";
	default: return "expression";
	}
}

/* Checks that e can be assigned to (verb "assign to") or deleted (verb
 * "delete"): names, attributes, subscripts, and tuples/lists of them with
 * at most one starred item (assignment only). */
static void
check_target(Parser *P, PyExpr *e, const char *verb)
{
	bool del = strcmp(verb, "delete") == 0;
	switch (e->kind) {
	case PE_NAME: case PE_ATTR: case PE_SUBSCRIPT:
		return;
	case PE_TUPLE: case PE_LIST: {
		int stars = 0;
		for (int i = 0; i < e->items.len; i++) {
			PyExpr *x = e->items.data[i];
			if (x->kind == PE_STARRED && !del) {
				if (++stars > 1)
					syntax_error(P, x->loc, "multiple starred expressions in assignment");
				check_target(P, x->lhs, verb);
			} else {
				check_target(P, x, verb);
			}
		}
		return;
	}
	case PE_STARRED:
		if (!del)
			syntax_error(P, e->loc, "starred assignment target must be in a list or tuple");
		break;
	default:
		break;
	}
	syntax_error(P, e->loc, "cannot %s %s", verb, expr_what(e));
}

/* A starred expression is only allowed inside tuples, lists, sets and
 * calls. */
static PyExpr *
no_bare_star(Parser *P, PyExpr *e)
{
	if (e && e->kind == PE_STARRED && !e->parenthesized)
		syntax_error(P, e->loc, "can't use starred expression here");
	return e;
}

/* ---- expressions ---- */

/* star_expr: '*' bitor */
static PyExpr *
p_star_or(Parser *P, bool bitor_only)
{
	PyTok *t = peek(P);
	if (!accept_op(P, "*"))
		return bitor_only ? p_binary(P, 0) : p_namedexpr(P);
	PyExpr *e = new_expr(P, PE_STARRED, t->loc);
	e->op = "*";
	e->lhs = p_binary(P, 0);
	return fin(P, e);
}

/* testlist_star_expr: (test|star_expr) (',' (test|star_expr))* [',']
 * exprlist:           (expr|star_expr) (',' (expr|star_expr))* [',']
 * Several items (or a trailing comma) make an unparenthesised tuple. */
static PyExpr *
p_list_of(Parser *P, bool bitor_only)
{
	PyExpr *e = p_star_or(P, bitor_only);
	if (!is_op(peek(P), ","))
		return e;
	PyExpr *t = new_expr(P, PE_TUPLE, e->loc);
	push_expr(P, &t->items, e);
	while (accept_op(P, ",") && starts_expr(peek(P)) && !is_op(peek(P), "**"))
		push_expr(P, &t->items, p_star_or(P, bitor_only));
	return fin(P, t);
}

static PyExpr *
p_testlist_star(Parser *P)
{
	return p_list_of(P, false);
}

static PyExpr *
p_exprlist(Parser *P)
{
	return p_list_of(P, true);
}

/* comp_for: 'for' exprlist 'in' or_test [comp_iter]
 * comp_iter: comp_for | 'if' or_test [comp_iter] */
static PyExpr *
p_comp(Parser *P, const char *what, PyExpr *elt, PyExpr *val, SrcLoc loc)
{
	PyExpr *c = new_expr(P, PE_COMP, loc);
	c->op = what;
	c->lhs = elt;
	c->rhs = val;
	while (is_kw(peek(P), "for") || is_kw(peek(P), "async")) {
		if (is_kw(peek(P), "async"))
			syntax_error(P, peek(P)->loc, "'async' is not supported in dfc kernels");
		next(P);
		PyExpr *target = p_exprlist(P);
		check_target(P, target, "assign to");
		if (!accept_kw(P, "in"))
			syntax_error(P, expect_loc(P), "expected 'in'");
		push_expr(P, &c->items, target);
		push_expr(P, &c->items, p_binary(P, -3));
		while (accept_kw(P, "if"))
			push_expr(P, &c->kwvalues, p_binary(P, -3));
	}
	return fin(P, c);
}

/* '(' [yield_expr | testlist_comp] ')'
 * testlist_comp: (namedexpr_test|star_expr) (comp_for | (',' (namedexpr_test|star_expr))* [',']) */
static PyExpr *
p_paren(Parser *P)
{
	PyTok *open = next(P);
	if (accept_op(P, ")")) {
		PyExpr *t = new_expr(P, PE_TUPLE, open->loc);
		t->parenthesized = true;
		return t;
	}
	if (is_kw(peek(P), "yield"))
		syntax_error(P, peek(P)->loc, "'yield' expressions are not supported in dfc kernels");
	PyExpr *e = p_star_or(P, false);
	if (is_kw(peek(P), "for") || is_kw(peek(P), "async")) {
		no_bare_star(P, e);
		e = p_comp(P, "generator expression", e, NULL, open->loc);
	} else if (is_op(peek(P), ",")) {
		PyExpr *t = new_expr(P, PE_TUPLE, open->loc);
		push_expr(P, &t->items, e);
		while (accept_op(P, ",") && !is_op(peek(P), ")"))
			push_expr(P, &t->items, p_star_or(P, false));
		e = fin(P, t);
	} else {
		no_bare_star(P, e);
	}
	expect_close(P, ")");
	e->parenthesized = true;
	return e;
}

/* '[' [testlist_comp] ']' */
static PyExpr *
p_list(Parser *P)
{
	PyTok *open = next(P);
	PyExpr *l = new_expr(P, PE_LIST, open->loc);
	if (accept_op(P, "]"))
		return l;
	PyExpr *e = p_star_or(P, false);
	if (is_kw(peek(P), "for") || is_kw(peek(P), "async")) {
		l = p_comp(P, "list comprehension", no_bare_star(P, e), NULL, open->loc);
		expect_close(P, "]");
		return l;
	}
	push_expr(P, &l->items, e);
	while (accept_op(P, ",") && !is_op(peek(P), "]"))
		push_expr(P, &l->items, p_star_or(P, false));
	expect_close(P, "]");
	return fin(P, l);
}

/* One item of a dict or set display: test ':' test | '**' bitor (dict)
 * or test | star_expr (set). */
static void
p_brace_item(Parser *P, PyExpr *d)
{
	PyTok *t = peek(P);
	bool dict = strcmp(d->op, "dict") == 0;
	if (dict && accept_op(P, "**")) {
		PyExpr *s = new_expr(P, PE_STARRED, t->loc);
		s->op = "**";
		s->lhs = p_binary(P, 0);
		push_expr(P, &d->items, fin(P, s));
		push_expr(P, &d->kwvalues, NULL);
		return;
	}
	push_expr(P, &d->items, dict ? p_test(P) : p_star_or(P, false));
	if (dict) {
		expect_op(P, ":");
		push_expr(P, &d->kwvalues, p_test(P));
	}
}

/* '{' [dictorsetmaker] '}'
 * dictorsetmaker: (test ':' test | '**' expr) (comp_for | (',' (test ':' test | '**' expr))* [','])
 *               | (test | star_expr) (comp_for | (',' (test | star_expr))* [',']) */
static PyExpr *
p_brace(Parser *P)
{
	PyTok *open = next(P);
	PyExpr *d = new_expr(P, PE_DICT, open->loc);
	d->op = "dict";
	if (accept_op(P, "}"))
		return d;
	bool dict = is_op(peek(P), "**");
	if (!dict) {
		PyExpr *first = p_star_or(P, false);
		dict = is_op(peek(P), ":");
		if (!dict && (is_kw(peek(P), "for") || is_kw(peek(P), "async"))) {
			d = p_comp(P, "set comprehension", no_bare_star(P, first), NULL, open->loc);
			expect_close(P, "}");
			return d;
		}
		if (dict && first->kind != PE_STARRED) {
			next(P);
			PyExpr *v = p_test(P);
			if (is_kw(peek(P), "for") || is_kw(peek(P), "async")) {
				d = p_comp(P, "dict comprehension", first, v, open->loc);
				expect_close(P, "}");
				return d;
			}
			push_expr(P, &d->items, first);
			push_expr(P, &d->kwvalues, v);
		} else {
			d->op = "set";
			push_expr(P, &d->items, first);
		}
		if (!accept_op(P, ","))
			goto close;
	}
	while (!is_op(peek(P), "}")) {
		p_brace_item(P, d);
		if (!accept_op(P, ","))
			break;
	}
close:
	expect_close(P, "}");
	return fin(P, d);
}

/* STRING+ : adjacent literals concatenate; bytes cannot mix with str. */
static PyExpr *
p_strings(Parser *P)
{
	PyTok *t = peek(P);
	PyExpr *e = new_expr(P, PE_STR, t->loc);
	StrBuf sb;
	sb_init(&sb, P->ctx->arena);
	bool bytes = strcmp(t->prefix, "b") == 0, fstr = false;
	while (peek(P)->kind == PT_STRING) {
		PyTok *s = next(P);
		if ((strcmp(s->prefix, "b") == 0) != bytes)
			syntax_error(P, s->loc, "cannot mix bytes and nonbytes literals");
		fstr |= strcmp(s->prefix, "f") == 0;
		sb_puts(&sb, s->text);
	}
	e->str = sb_str(&sb);
	e->op = bytes ? "b" : fstr ? "f" : NULL;
	return e;
}

/* atom: '(' ... ')' | '[' ... ']' | '{' ... '}' | NAME | NUMBER | STRING+
 *     | '...' | 'None' | 'True' | 'False' */
static PyExpr *
p_atom(Parser *P)
{
	PyTok *t = peek(P);
	PyExpr *e;
	switch (t->kind) {
	case PT_STRING:
		return p_strings(P);
	case PT_INT:
		e = new_expr(P, PE_INT, t->loc);
		e->ival = t->ival;
		break;
	case PT_FLOAT: case PT_IMAG:
		e = new_expr(P, t->kind == PT_FLOAT ? PE_FLOAT : PE_IMAG, t->loc);
		e->fval = t->fval;
		break;
	case PT_NAME:
		if (is_kw(t, "True") || is_kw(t, "False")) {
			e = new_expr(P, PE_BOOL, t->loc);
			e->ival = is_kw(t, "True");
		} else if (is_kw(t, "None")) {
			e = new_expr(P, PE_NONE, t->loc);
		} else if (is_keyword(t->text)) {
			unexpected(P);
		} else {
			e = new_expr(P, PE_NAME, t->loc);
			e->id = t->text;
		}
		break;
	case PT_OP:
		if (is_op(t, "("))
			return p_paren(P);
		if (is_op(t, "["))
			return p_list(P);
		if (is_op(t, "{"))
			return p_brace(P);
		if (is_op(t, "...")) {
			e = new_expr(P, PE_ELLIPSIS, t->loc);
			break;
		}
		/* fallthrough */
	default:
		if (t->kind == PT_INDENT)
			unexpected(P);
		syntax_error(P, expect_loc(P), "expected expression");
	}
	next(P);
	return e;
}

/* arglist: argument (',' argument)* [',']
 * argument: test [comp_for] | NAME '=' test | '*' test | '**' test */
static void
p_args(Parser *P, PyExpr *call)
{
	bool kw = false, dstar = false;
	while (!is_op(peek(P), ")")) {
		PyTok *t = peek(P);
		if (accept_op(P, "*") || accept_op(P, "**")) {
			bool two = strcmp(t->text, "**") == 0;
			if (!two && dstar)
				syntax_error(P, t->loc, "iterable argument unpacking follows keyword argument unpacking");
			PyExpr *s = new_expr(P, PE_STARRED, t->loc);
			s->op = t->text;
			s->lhs = p_test(P);
			push_expr(P, &call->items, fin(P, s));
			dstar |= two;
		} else if (t->kind == PT_NAME && !is_keyword(t->text) && is_op(peek_at(P, 1), "=")) {
			for (int i = 0; i < call->kwnames.len; i++)
				if (strcmp(call->kwnames.data[i], t->text) == 0)
					syntax_error(P, t->loc, "keyword argument repeated: %s", t->text);
			next(P), next(P);
			vec_push(P->ctx->arena, &call->kwnames, t->text);
			push_expr(P, &call->kwvalues, p_test(P));
			kw = true;
		} else {
			PyExpr *e = p_namedexpr(P);
			if (is_kw(peek(P), "for") || is_kw(peek(P), "async")) {
				e = p_comp(P, "generator expression", e, NULL, e->loc);
				if (call->items.len || call->kwnames.len || !is_op(peek(P), ")"))
					syntax_error(P, e->loc, "generator expression must be parenthesized");
			}
			if (is_op(peek(P), "="))
				syntax_error(P, e->loc, "expression cannot contain assignment, perhaps you meant \"==\"?");
			if (kw || dstar)
				syntax_error(P, e->loc, "positional argument follows keyword argument%s",
					     dstar ? " unpacking" : "");
			push_expr(P, &call->items, e);
		}
		if (!accept_op(P, ","))
			break;
	}
	expect_close(P, ")");
}

/* subscript: test | [test] ':' [test] [':' [test]] | star_expr */
static PyExpr *
p_subscript(Parser *P)
{
	PyTok *t = peek(P);
	if (is_op(t, "*"))
		return p_star_or(P, true);
	PyExpr *lo = NULL;
	if (!is_op(t, ":")) {
		lo = p_namedexpr(P);
		if (!is_op(peek(P), ":"))
			return lo;
	}
	PyExpr *s = new_expr(P, PE_SLICE, t->loc);
	s->lo = lo;
	next(P);
	if (!is_op(peek(P), ":") && !is_op(peek(P), ",") && !is_op(peek(P), "]"))
		s->hi = p_test(P);
	if (accept_op(P, ":") && !is_op(peek(P), ",") && !is_op(peek(P), "]"))
		s->step = p_test(P);
	return fin(P, s);
}

/* trailer: '(' [arglist] ')' | '[' subscriptlist ']' | '.' NAME
 * subscriptlist: subscript (',' subscript)* [','] */
static PyExpr *
p_trailer(Parser *P, PyExpr *e)
{
	PyTok *t = next(P);
	PyExpr *x;
	if (is_op(t, "(")) {
		x = new_expr(P, PE_CALL, e->loc);
		x->lhs = e;
		p_args(P, x);
	} else if (is_op(t, "[")) {
		x = new_expr(P, PE_SUBSCRIPT, e->loc);
		x->lhs = e;
		do {
			if (is_op(peek(P), "]") && x->items.len)
				break;
			push_expr(P, &x->items, p_subscript(P));
		} while (accept_op(P, ","));
		expect_close(P, "]");
	} else {
		x = new_expr(P, PE_ATTR, e->loc);
		x->lhs = e;
		x->id = expect_name(P, "an attribute name after '.'");
	}
	return fin(P, x);
}

/* primary: ['await'] atom trailer* */
static PyExpr *
p_primary(Parser *P)
{
	if (is_kw(peek(P), "await"))
		syntax_error(P, peek(P)->loc, "'await' is not supported in dfc kernels");
	PyExpr *e = p_atom(P);
	while (is_op(peek(P), "(") || is_op(peek(P), "[") || is_op(peek(P), "."))
		e = p_trailer(P, e);
	return e;
}

/* power: primary ['**' factor] */
static PyExpr *
p_power(Parser *P)
{
	PyExpr *e = p_primary(P);
	PyTok *t = peek(P);
	if (!accept_op(P, "**"))
		return e;
	enter(P, t->loc);
	e = new_binary(P, PE_BINOP, "**", e, p_factor(P));
	P->depth--;
	return e;
}

/* factor: ('+'|'-'|'~') factor | power */
static PyExpr *
p_factor(Parser *P)
{
	PyTok *t = peek(P);
	if (!is_op(t, "+") && !is_op(t, "-") && !is_op(t, "~"))
		return p_power(P);
	next(P);
	enter(P, t->loc);
	PyExpr *e = new_expr(P, PE_UNARY, t->loc);
	e->op = t->text;
	e->lhs = p_factor(P);
	P->depth--;
	return fin(P, e);
}

/* The binary operator levels, loosest first (level 0 .. 5):
 *   bitor:  xor ('|' xor)*
 *   xor:    bitand ('^' bitand)*
 *   bitand: shift ('&' shift)*
 *   shift:  arith (('<<'|'>>') arith)*
 *   arith:  term (('+'|'-') term)*
 *   term:   factor (('*'|'@'|'/'|'%'|'//') factor)*
 * and below them (levels -3 .. -1), see p_binary: or, and, not, comparison. */
static const char *const binops[6][6] = {
	{ "|" }, { "^" }, { "&" }, { "<<", ">>" }, { "+", "-" },
	{ "*", "@", "/", "%", "//" },
};

static const char *
binop_at(PyTok *t, int level)
{
	for (int i = 0; i < 6 && binops[level][i]; i++)
		if (is_op(t, binops[level][i]))
			return binops[level][i];
	return NULL;
}

/* comp_op: '<'|'>'|'=='|'>='|'<='|'!='|'in'|'not' 'in'|'is'|'is' 'not'
 * Consumes and returns the operator, or NULL. */
static const char *
p_comp_op(Parser *P)
{
	static const char *const ops[] = { "<", ">", "==", ">=", "<=", "!=" };
	PyTok *t = peek(P);
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (is_op(t, ops[i]))
			return next(P), ops[i];
	if (is_kw(t, "in"))
		return next(P), "in";
	if (is_kw(t, "not") && is_kw(peek_at(P, 1), "in"))
		return next(P), next(P), "not in";
	if (is_kw(t, "is"))
		return next(P), accept_kw(P, "not") ? "is not" : "is";
	return NULL;
}

/* comparison: bitor (comp_op bitor)* */
static PyExpr *
p_comparison(Parser *P)
{
	PyExpr *e = p_binary(P, 0);
	const char *op = p_comp_op(P);
	if (!op)
		return e;
	PyExpr *c = new_expr(P, PE_COMPARE, e->loc);
	c->lhs = e;
	for (; op; op = p_comp_op(P)) {
		vec_push(P->ctx->arena, &c->ops, op);
		push_expr(P, &c->items, p_binary(P, 0));
	}
	return fin(P, c);
}

/* not_test: 'not' not_test | comparison */
static PyExpr *
p_not(Parser *P)
{
	PyTok *t = peek(P);
	if (!accept_kw(P, "not"))
		return p_comparison(P);
	enter(P, t->loc);
	PyExpr *e = new_expr(P, PE_UNARY, t->loc);
	e->op = "not";
	e->lhs = p_not(P);
	P->depth--;
	return fin(P, e);
}

/* or_test:  and_test ('or' and_test)*      (level -3)
 * and_test: not_test ('and' not_test)*     (level -2)
 * not_test                                 (level -1)
 * and the operator levels of the table above (0 .. 5). */
static PyExpr *
p_binary(Parser *P, int level)
{
	if (level == -1)
		return p_not(P);
	if (level == 6)
		return p_factor(P);
	PyExpr *e = p_binary(P, level + 1);
	for (;;) {
		PyTok *t = peek(P);
		const char *op = level == -3 ? (is_kw(t, "or") ? "or" : NULL)
			: level == -2 ? (is_kw(t, "and") ? "and" : NULL)
			: binop_at(t, level);
		if (!op)
			return e;
		next(P);
		e = new_binary(P, level < 0 ? PE_BOOLOP : PE_BINOP, op, e,
			       p_binary(P, level + 1));
	}
}

/* lambdef: 'lambda' [varargslist] ':' test
 * varargslist: vfpdef ['=' test] (',' vfpdef ['=' test])* with '*' [vfpdef],
 *              '**' vfpdef and '/' markers */
static PyExpr *
p_lambda(Parser *P)
{
	PyTok *t = next(P);
	PyExpr *l = new_expr(P, PE_LAMBDA, t->loc);
	while (!is_op(peek(P), ":")) {
		if (accept_op(P, "/") || (is_op(peek(P), "*") && is_op(peek_at(P, 1), ","))) {
			accept_op(P, "*");
		} else {
			PyTok *s = peek(P);
			bool star = accept_op(P, "*") || accept_op(P, "**");
			PyExpr *n = new_expr(P, PE_NAME, s->loc);
			n->id = expect_name(P, "a parameter name");
			push_expr(P, &l->items, n);
			push_expr(P, &l->kwvalues, !star && accept_op(P, "=") ? p_test(P) : NULL);
		}
		if (!accept_op(P, ","))
			break;
	}
	expect_op(P, ":");
	l->lhs = p_test(P);
	return fin(P, l);
}

/* test: or_test ['if' or_test 'else' test] | lambdef */
static PyExpr *
p_test(Parser *P)
{
	PyTok *t = peek(P);
	enter(P, t->loc);
	PyExpr *e;
	if (is_kw(t, "lambda")) {
		e = p_lambda(P);
	} else {
		e = p_binary(P, -3);
		if (accept_kw(P, "if")) {
			PyExpr *c = new_expr(P, PE_IFEXP, e->loc);
			c->lhs = e;
			c->cond = p_binary(P, -3);
			if (!accept_kw(P, "else"))
				syntax_error(P, expect_loc(P), "expected 'else' after 'if' expression");
			c->rhs = p_test(P);
			e = fin(P, c);
		}
	}
	P->depth--;
	return e;
}

/* namedexpr_test: test [':=' test] */
static PyExpr *
p_namedexpr(Parser *P)
{
	PyExpr *e = p_test(P);
	if (is_op(peek(P), ":="))
		syntax_error(P, peek(P)->loc, "assignment expressions (':=') are not supported in dfc kernels");
	return e;
}

/* ---- simple statements ---- */

/* The end of a small statement. */
static bool
at_stmt_end(Parser *P)
{
	PyTok *t = peek(P);
	return t->kind == PT_NEWLINE || t->kind == PT_EOF || is_op(t, ";");
}

/* The right-hand side of an assignment: yield_expr | testlist_star_expr. */
static PyExpr *
p_rhs(Parser *P)
{
	if (is_kw(peek(P), "yield"))
		syntax_error(P, peek(P)->loc, "'yield' expressions are not supported in dfc kernels");
	return no_bare_star(P, p_testlist_star(P));
}

/* annassign: ':' test ['=' (yield_expr|testlist_star_expr)] */
static PyStmt *
p_annassign(Parser *P, PyStmt *s, PyExpr *target)
{
	if (target->kind == PE_TUPLE || target->kind == PE_LIST)
		syntax_error(P, target->loc, "only single target (not %s) can be annotated",
			     expr_what(target));
	if (target->kind != PE_NAME && target->kind != PE_ATTR && target->kind != PE_SUBSCRIPT)
		syntax_error(P, target->loc, "illegal target for annotation");
	s->kind = PS_ANNASSIGN;
	push_expr(P, &s->targets, target);
	s->annotation = p_test(P);
	if (accept_op(P, "="))
		s->value = p_rhs(P);
	return s;
}

/* The augmented assignment operator at t without its '=', or NULL. */
static const char *
augassign_op(Parser *P, PyTok *t)
{
	static const char *const ops[] = {
		"+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=",
		">>=", "<<=",
	};
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (is_op(t, ops[i]))
			return arena_strndup(P->ctx->arena, ops[i], strlen(ops[i]) - 1);
	return NULL;
}

/* expr_stmt: testlist_star_expr (annassign | augassign (yield_expr|testlist)
 *                               | ('=' (yield_expr|testlist_star_expr))*) */
static PyStmt *
p_expr_stmt(Parser *P)
{
	PyTok *first = peek(P);
	PyStmt *s = new_stmt(P, PS_EXPR, first->loc);
	PyExpr *e = p_testlist_star(P);
	if (accept_op(P, ":"))
		return p_annassign(P, s, e);
	const char *aug = augassign_op(P, peek(P));
	if (aug) {
		if (e->kind != PE_NAME && e->kind != PE_ATTR && e->kind != PE_SUBSCRIPT)
			syntax_error(P, e->loc, "'%s' is an illegal expression for augmented assignment",
				     expr_what(e));
		next(P);
		s->kind = PS_AUGASSIGN;
		s->op = aug;
		push_expr(P, &s->targets, e);
		s->value = p_rhs(P);
		return s;
	}
	while (accept_op(P, "=")) {
		check_target(P, e, "assign to");
		s->kind = PS_ASSIGN;
		push_expr(P, &s->targets, e);
		e = p_rhs(P);
	}
	s->value = no_bare_star(P, e);
	return s;
}

/* dotted_name: NAME ('.' NAME)* */
static const char *
p_dotted_name(Parser *P)
{
	StrBuf sb;
	sb_init(&sb, P->ctx->arena);
	sb_puts(&sb, expect_name(P, "a module name"));
	while (accept_op(P, ".")) {
		sb_putc(&sb, '.');
		sb_puts(&sb, expect_name(P, "a module name"));
	}
	return sb_str(&sb);
}

/* import_name: 'import' dotted_as_name (',' dotted_as_name)*
 * dotted_as_name: dotted_name ['as' NAME]
 * One PS_IMPORT per module. */
static void
p_import(Parser *P, PyStmtList *out)
{
	next(P);
	do {
		PyStmt *s = new_stmt(P, PS_IMPORT, peek(P)->loc);
		s->module = p_dotted_name(P);
		const char *as = accept_kw(P, "as") ? expect_name(P, "a name after 'as'") : NULL;
		vec_push(P->ctx->arena, &s->asnames, as);
		vec_push(P->ctx->arena, out, s);
	} while (accept_op(P, ","));
}

/* import_from: 'from' ('.'|'...')* dotted_name 'import' ('*' | '(' import_as_names ')' | import_as_names)
 *            | 'from' ('.'|'...')+ 'import' ...
 * import_as_names: NAME ['as' NAME] (',' NAME ['as' NAME])* [','] */
static PyStmt *
p_from(Parser *P)
{
	PyTok *t = next(P);
	PyStmt *s = new_stmt(P, PS_IMPORT, t->loc);
	StrBuf sb;
	sb_init(&sb, P->ctx->arena);
	while (is_op(peek(P), ".") || is_op(peek(P), "..."))
		sb_puts(&sb, next(P)->text);
	if (!is_kw(peek(P), "import") || sb.len == 0)
		sb_puts(&sb, p_dotted_name(P));
	s->module = sb_str(&sb);
	if (!accept_kw(P, "import"))
		syntax_error(P, expect_loc(P), "expected 'import'");
	if (accept_op(P, "*")) {
		vec_push(P->ctx->arena, &s->names, "*");
		vec_push(P->ctx->arena, &s->asnames, NULL);
		return s;
	}
	bool paren = accept_op(P, "(");
	do {
		if (paren && is_op(peek(P), ")") && s->names.len)
			break;
		if (!paren && s->names.len && at_stmt_end(P))
			syntax_error(P, expect_loc(P), "trailing comma not allowed without surrounding parentheses");
		vec_push(P->ctx->arena, &s->names, expect_name(P, "one or more names after 'import'"));
		const char *as = accept_kw(P, "as") ? expect_name(P, "a name after 'as'") : NULL;
		vec_push(P->ctx->arena, &s->asnames, as);
	} while (accept_op(P, ","));
	if (paren)
		expect_close(P, ")");
	return s;
}

/* global_stmt: ('global'|'nonlocal') NAME (',' NAME)* */
static PyStmt *
p_global(Parser *P)
{
	PyTok *t = next(P);
	PyStmt *s = new_stmt(P, PS_GLOBAL, t->loc);
	s->kw = t->text;
	do
		vec_push(P->ctx->arena, &s->names, expect_name(P, "a name"));
	while (accept_op(P, ","));
	return s;
}

/* Statements that are one keyword and an optional operand:
 * return_stmt: 'return' [testlist_star_expr]
 * raise_stmt: 'raise' [test ['from' test]]
 * assert_stmt: 'assert' test [',' test]
 * del_stmt: 'del' exprlist
 * yield_stmt: 'yield' ['from' test | testlist_star_expr]
 * pass_stmt, break_stmt, continue_stmt */
static PyStmt *
p_keyword_stmt(Parser *P, PyTok *t)
{
	next(P);
	PyStmt *s = new_stmt(P, PS_OTHER, t->loc);
	s->kw = t->text;
	if (is_kw(t, "pass")) {
		s->kind = PS_PASS;
	} else if (is_kw(t, "break") || is_kw(t, "continue")) {
		if (P->loops == 0)
			syntax_error(P, t->loc, is_kw(t, "break") ? "'break' outside loop"
				     : "'continue' not properly in loop");
		s->kind = is_kw(t, "break") ? PS_BREAK : PS_CONTINUE;
	} else if (is_kw(t, "return") || is_kw(t, "yield")) {
		if (P->funcs == 0)
			syntax_error(P, t->loc, "'%s' outside function", t->text);
		s->kind = is_kw(t, "return") ? PS_RETURN : PS_OTHER;
		if (is_kw(t, "yield") && accept_kw(P, "from")) {
			s->kw = "yield from";
			s->value = p_test(P);
		} else if (!at_stmt_end(P)) {
			s->value = no_bare_star(P, p_testlist_star(P));
		}
	} else if (is_kw(t, "raise")) {
		if (!at_stmt_end(P)) {
			s->value = p_test(P);
			if (accept_kw(P, "from"))
				s->test = p_test(P);
		}
	} else if (is_kw(t, "assert")) {
		s->test = p_test(P);
		if (accept_op(P, ","))
			s->value = p_test(P);
	} else {
		PyExpr *e = p_exprlist(P);
		check_target(P, e, "delete");
		if (e->kind == PE_TUPLE && !e->parenthesized)
			s->targets = e->items;
		else
			push_expr(P, &s->targets, e);
	}
	return s;
}

/* small_stmt: expr_stmt | del_stmt | pass_stmt | flow_stmt | import_stmt
 *           | global_stmt | nonlocal_stmt | assert_stmt */
static void
p_small(Parser *P, PyStmtList *out)
{
	static const char *const kws[] = {
		"pass", "break", "continue", "return", "raise", "assert", "del", "yield",
	};
	PyTok *t = peek(P);
	if (is_kw(t, "import")) {
		p_import(P, out);
		return;
	}
	PyStmt *s = NULL;
	if (is_kw(t, "from"))
		s = p_from(P);
	else if (is_kw(t, "global") || is_kw(t, "nonlocal"))
		s = p_global(P);
	for (size_t i = 0; !s && i < sizeof kws / sizeof *kws; i++)
		if (is_kw(t, kws[i]))
			s = p_keyword_stmt(P, t);
	if (!s)
		s = p_expr_stmt(P);
	vec_push(P->ctx->arena, out, s);
}

/* simple_stmt: small_stmt (';' small_stmt)* [';'] NEWLINE */
static void
p_simple(Parser *P, PyStmtList *out)
{
	do
		p_small(P, out);
	while (accept_op(P, ";") && peek(P)->kind != PT_NEWLINE && peek(P)->kind != PT_EOF);
	if (peek(P)->kind == PT_EOF)
		return;
	if (peek(P)->kind != PT_NEWLINE)
		unexpected(P);
	next(P);
}

/* ---- compound statements ---- */

/* suite: ':' (simple_stmt | NEWLINE INDENT stmt+ DEDENT)
 * `what` and `line` name the statement that owns the block in the error. */
static void
p_suite(Parser *P, PyStmtList *out, const char *what, int line)
{
	if (is_op(peek(P), "="))
		syntax_error(P, peek(P)->loc, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
	expect_op(P, ":");
	if (peek(P)->kind != PT_NEWLINE) {
		p_simple(P, out);
		return;
	}
	next(P);
	if (peek(P)->kind != PT_INDENT)
		syntax_error(P, peek(P)->loc, "expected an indented block after %s on line %d",
			     what, line);
	next(P);
	while (peek(P)->kind != PT_DEDENT && peek(P)->kind != PT_EOF)
		p_stmt(P, out);
	next(P);
}

/* A loop body: break and continue are allowed inside. */
static void
p_loop_suite(Parser *P, PyStmtList *out, const char *what, int line)
{
	P->loops++;
	p_suite(P, out, what, line);
	P->loops--;
}

/* ['else' ':' suite] */
static void
p_else(Parser *P, PyStmtList *out)
{
	PyTok *t = peek(P);
	if (accept_kw(P, "else"))
		p_suite(P, out, "'else' statement", t->loc.line);
}

/* if_stmt: 'if' namedexpr_test ':' suite ('elif' namedexpr_test ':' suite)* ['else' ':' suite]
 * Each elif becomes a PS_IF (is_elif) alone in the orelse of the previous
 * one, built in a loop. */
static PyStmt *
p_if(Parser *P)
{
	PyTok *t = next(P);
	PyStmt *s = new_stmt(P, PS_IF, t->loc), *cur = s;
	s->test = p_namedexpr(P);
	p_suite(P, &s->body, "'if' statement", t->loc.line);
	for (int n = 1; is_kw(peek(P), "elif"); n++) {
		PyTok *e = next(P);
		if (n > MAX_HEIGHT)
			syntax_error(P, e->loc, "too many 'elif' branches (more than %d)", MAX_HEIGHT);
		PyStmt *n = new_stmt(P, PS_IF, e->loc);
		n->is_elif = true;
		n->test = p_namedexpr(P);
		p_suite(P, &n->body, "'elif' statement", e->loc.line);
		vec_push(P->ctx->arena, &cur->orelse, n);
		cur = n;
	}
	p_else(P, &cur->orelse);
	return s;
}

/* while_stmt: 'while' namedexpr_test ':' suite ['else' ':' suite] */
static PyStmt *
p_while(Parser *P)
{
	PyTok *t = next(P);
	PyStmt *s = new_stmt(P, PS_WHILE, t->loc);
	s->test = p_namedexpr(P);
	p_loop_suite(P, &s->body, "'while' statement", t->loc.line);
	p_else(P, &s->orelse);
	return s;
}

/* for_stmt: 'for' exprlist 'in' testlist_star_expr ':' suite ['else' ':' suite] */
static PyStmt *
p_for(Parser *P)
{
	PyTok *t = next(P);
	PyStmt *s = new_stmt(P, PS_FOR, t->loc);
	s->target = p_exprlist(P);
	check_target(P, s->target, "assign to");
	if (!accept_kw(P, "in"))
		syntax_error(P, expect_loc(P), "expected 'in'");
	s->iter = no_bare_star(P, p_testlist_star(P));
	p_loop_suite(P, &s->body, "'for' statement", t->loc.line);
	p_else(P, &s->orelse);
	return s;
}

/* Removes a leading string statement from a def body into its docstring. */
static void
take_docstring(PyStmt *def)
{
	if (def->body.len == 0)
		return;
	PyStmt *first = def->body.data[0];
	if (first->kind != PS_EXPR || first->value->kind != PE_STR || first->value->op)
		return;
	def->docstring = first->value->str;
	memmove(def->body.data, def->body.data + 1, sizeof(PyStmt *) * (size_t)(def->body.len - 1));
	def->body.len--;
}

/* tfpdef: NAME [':' test], with ['=' test] when `dflt` allows a default. */
static PyParam
p_param(Parser *P, bool dflt)
{
	PyParam p = { .loc = peek(P)->loc };
	p.name = expect_name(P, "a parameter name");
	if (accept_op(P, ":"))
		p.annotation = p_test(P);
	if (dflt && accept_op(P, "="))
		p.defval = p_test(P);
	return p;
}

/* Checks the order rules of one more parameter `p` (star: 0, 1 '*', 2
 * '**'), given what came before; pushes it. */
static void
add_param(Parser *P, PyStmt *def, PyParam p, bool *seen_default, bool seen_star)
{
	for (int i = 0; i < def->params.len; i++)
		if (strcmp(def->params.data[i].name, p.name) == 0)
			syntax_error(P, p.loc, "duplicate argument '%s' in function definition", p.name);
	if (p.star == 0 && !seen_star) {
		if (p.defval)
			*seen_default = true;
		else if (*seen_default)
			syntax_error(P, p.loc, "parameter without a default follows parameter with a default");
	}
	vec_push(P->ctx->arena, &def->params, p);
}

/* parameters: '(' [typedargslist] ')'
 * typedargslist: param (',' param)* [',']
 * param: tfpdef ['=' test] | '*' [tfpdef] | '**' tfpdef | '/' */
static void
p_params(Parser *P, PyStmt *def)
{
	bool dflt = false, star = false, dstar = false, slash = false;
	while (!is_op(peek(P), ")")) {
		PyTok *t = peek(P);
		if (dstar)
			syntax_error(P, t->loc, "arguments cannot follow var-keyword argument");
		if (accept_op(P, "/")) {
			if (slash || star || def->params.len == 0)
				syntax_error(P, t->loc, "'/' must follow at least one parameter and come once, before '*'");
			slash = true;
		} else if (accept_op(P, "*")) {
			if (star)
				syntax_error(P, t->loc, "* argument may appear only once");
			star = true;
			if (is_op(peek(P), ")") || (is_op(peek(P), ",") && is_op(peek_at(P, 1), ")")))
				syntax_error(P, t->loc, "named arguments must follow bare *");
			if (!is_op(peek(P), ",")) {
				PyParam p = p_param(P, false);
				p.star = 1;
				add_param(P, def, p, &dflt, star);
			}
		} else if (accept_op(P, "**")) {
			PyParam p = p_param(P, false);
			p.star = 2;
			dstar = true;
			add_param(P, def, p, &dflt, star);
		} else {
			add_param(P, def, p_param(P, true), &dflt, star);
		}
		if (!accept_op(P, ","))
			break;
	}
	expect_close(P, ")");
}

/* funcdef: 'def' NAME parameters ['->' test] ':' suite */
static PyStmt *
p_def(Parser *P, PyExprList decorators)
{
	PyTok *t = next(P);
	PyStmt *s = new_stmt(P, PS_DEF, t->loc);
	s->decorators.data = decorators.data;
	s->decorators.len = decorators.len;
	s->decorators.cap = decorators.cap;
	s->name = expect_name(P, "a function name after 'def'");
	expect_op(P, "(");
	p_params(P, s);
	if (accept_op(P, "->"))
		s->returns = p_test(P);
	int loops = P->loops;
	P->loops = 0;
	P->funcs++;
	p_suite(P, &s->body, "function definition", t->loc.line);
	P->funcs--;
	P->loops = loops;
	take_docstring(s);
	return s;
}

/* classdef: 'class' NAME ['(' [arglist] ')'] ':' suite */
static PyStmt *
p_class(Parser *P, PyExprList decorators)
{
	PyTok *t = next(P);
	PyStmt *s = new_stmt(P, PS_OTHER, t->loc);
	s->kw = "class";
	s->decorators.data = decorators.data;
	s->decorators.len = decorators.len;
	s->decorators.cap = decorators.cap;
	s->name = expect_name(P, "a class name after 'class'");
	if (accept_op(P, "(")) {
		PyExpr *bases = new_expr(P, PE_CALL, t->loc);
		p_args(P, bases);
		s->targets = bases->items;
		for (int i = 0; i < bases->kwvalues.len; i++)
			push_expr(P, &s->targets, bases->kwvalues.data[i]);
	}
	int loops = P->loops, funcs = P->funcs;
	P->loops = P->funcs = 0;
	p_suite(P, &s->body, "class definition", t->loc.line);
	P->loops = loops;
	P->funcs = funcs;
	return s;
}

/* decorated: ('@' namedexpr_test NEWLINE)+ (classdef | funcdef) */
static PyStmt *
p_decorated(Parser *P)
{
	PyExprList decorators = { 0 };
	while (accept_op(P, "@")) {
		push_expr(P, &decorators, p_namedexpr(P));
		if (peek(P)->kind != PT_NEWLINE)
			unexpected(P);
		next(P);
	}
	if (is_kw(peek(P), "def"))
		return p_def(P, decorators);
	if (is_kw(peek(P), "class"))
		return p_class(P, decorators);
	if (is_kw(peek(P), "async"))
		syntax_error(P, peek(P)->loc, "'async' is not supported in dfc kernels");
	syntax_error(P, expect_loc(P), "expected 'def' or 'class' after a decorator");
}

/* A clause of a try statement: 'except' ['*'] [test ['as' NAME]] ':' suite,
 * 'else' ':' suite or 'finally' ':' suite, as a PS_OTHER named by kw. */
static PyStmt *
p_try_clause(Parser *P)
{
	PyTok *t = next(P);
	PyStmt *c = new_stmt(P, PS_OTHER, t->loc);
	c->kw = t->text;
	if (is_kw(t, "except") && !is_op(peek(P), ":")) {
		accept_op(P, "*");
		c->value = p_test(P);
		if (accept_kw(P, "as"))
			c->name = expect_name(P, "a name after 'as'");
	}
	p_suite(P, &c->body, arena_printf(P->ctx->arena, "'%s' statement", t->text),
		t->loc.line);
	return c;
}

/* try_stmt: 'try' ':' suite ((except_clause ':' suite)+ ['else' ':' suite]
 *                            ['finally' ':' suite] | 'finally' ':' suite) */
static PyStmt *
p_try(Parser *P)
{
	PyTok *t = next(P);
	PyStmt *s = new_stmt(P, PS_OTHER, t->loc);
	s->kw = "try";
	p_suite(P, &s->body, "'try' statement", t->loc.line);
	bool handlers = false;
	while (is_kw(peek(P), "except")) {
		vec_push(P->ctx->arena, &s->orelse, p_try_clause(P));
		handlers = true;
	}
	if (handlers && is_kw(peek(P), "else"))
		vec_push(P->ctx->arena, &s->orelse, p_try_clause(P));
	if (is_kw(peek(P), "finally"))
		vec_push(P->ctx->arena, &s->orelse, p_try_clause(P));
	else if (!handlers)
		syntax_error(P, expect_loc(P), "expected 'except' or 'finally' block");
	return s;
}

/* Index of the token closing the bracket at token index i. */
static int
matching_close(Parser *P, int i)
{
	int depth = 0;
	for (; i < P->ntoks; i++) {
		PyTok *t = &P->toks[i];
		if (is_op(t, "(") || is_op(t, "[") || is_op(t, "{"))
			depth++;
		else if ((is_op(t, ")") || is_op(t, "]") || is_op(t, "}")) && --depth == 0)
			return i;
	}
	return P->ntoks - 1;
}

/* with_item: test ['as' exprlist-target] */
static void
p_with_item(Parser *P, PyStmt *s)
{
	push_expr(P, &s->targets, p_test(P));
	if (accept_kw(P, "as"))
		check_target(P, p_binary(P, 0), "assign to");
}

/* with_stmt: 'with' with_item (',' with_item)* ':' suite
 *          | 'with' '(' with_item (',' with_item)* [','] ')' ':' suite */
static PyStmt *
p_with(Parser *P)
{
	PyTok *t = next(P);
	PyStmt *s = new_stmt(P, PS_OTHER, t->loc);
	s->kw = "with";
	bool paren = false;
	if (is_op(peek(P), "(")) {
		int close = matching_close(P, P->pos);
		paren = close + 1 < P->ntoks && is_op(&P->toks[close + 1], ":");
	}
	if (paren)
		next(P);
	do {
		if (paren && is_op(peek(P), ")") && s->targets.len)
			break;
		p_with_item(P, s);
	} while (accept_op(P, ","));
	if (paren)
		expect_close(P, ")");
	p_suite(P, &s->body, "'with' statement", t->loc.line);
	return s;
}

/* Whether the logical line at the current token ends with ':' (an
 * expression statement never does, so a line starting with the soft
 * keyword 'match' and ending so is a match statement). */
static bool
line_ends_with_colon(Parser *P)
{
	int i = P->pos;
	while (i + 1 < P->ntoks && P->toks[i + 1].kind != PT_NEWLINE)
		i++;
	return is_op(&P->toks[i], ":");
}

/* stmt: simple_stmt | compound_stmt
 * compound_stmt: if_stmt | while_stmt | for_stmt | try_stmt | with_stmt
 *              | funcdef | classdef | decorated | async_stmt */
static void
p_stmt(Parser *P, PyStmtList *out)
{
	PyTok *t = peek(P);
	PyStmt *s = NULL;
	PyExprList none = { 0 };
	if (t->kind == PT_INDENT || t->kind == PT_DEDENT)
		unexpected(P);
	if (is_op(t, "@"))
		s = p_decorated(P);
	else if (is_kw(t, "if"))
		s = p_if(P);
	else if (is_kw(t, "while"))
		s = p_while(P);
	else if (is_kw(t, "for"))
		s = p_for(P);
	else if (is_kw(t, "try"))
		s = p_try(P);
	else if (is_kw(t, "with"))
		s = p_with(P);
	else if (is_kw(t, "def"))
		s = p_def(P, none);
	else if (is_kw(t, "class"))
		s = p_class(P, none);
	else if (is_kw(t, "async"))
		syntax_error(P, t->loc, "'async' is not supported in dfc kernels");
	else if (is_kw(t, "match") && starts_expr(peek_at(P, 1)) && line_ends_with_colon(P))
		syntax_error(P, t->loc, "'match' statements are not supported in dfc kernels");
	if (s)
		vec_push(P->ctx->arena, out, s);
	else
		p_simple(P, out);
}

/* file_input: (NEWLINE | stmt)* ENDMARKER */
PyModule *
py_parse(Ctx *ctx, const char *file, const char *text, size_t len)
{
	bool known = false;
	for (int i = 0; i < ctx->sources.len; i++)
		known |= ctx->sources.data[i].text == text
			 && strcmp(ctx->sources.data[i].name, file) == 0;
	if (!known)
		ctx_add_source(ctx, file, text, len);
	PyModule *m = arena_alloc(ctx->arena, sizeof(*m));
	m->file = file;
	m->tokens = py_lex(ctx, file, text, len);
	Parser P = { .ctx = ctx, .toks = m->tokens->toks.data,
		     .ntoks = m->tokens->toks.len };
	while (peek(&P)->kind != PT_EOF) {
		if (peek(&P)->kind == PT_NEWLINE)
			next(&P);
		else
			p_stmt(&P, &m->body);
	}
	return m;
}
