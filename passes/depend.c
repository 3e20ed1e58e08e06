/* passes/depend.c — the loop-carried dependence test (see depend.h).
 *
 * For a write w and an access x of the same container, the problem is the
 * integer set
 *
 *   [p0, p1] -> { [d, i0, i1, m0_0, m1_0, e0_1, e1_1] :
 *                 d = i1 - i0 and <bounds> and <subscripts> }
 *
 * i0 and i1 are the loop variable in the iterations of w and x, mK_J the
 * J-th map parameter around access K, eK_D an element of dimension D of a
 * box subset, and the pJ stand for the size symbols (>= 0), the variables
 * of enclosing loops, and any term that is not affine but fixed during
 * the loop (N*M) — the same term is the same parameter on both sides. Any
 * other part with no isl form (a product involving i) is left out of the
 * set: the set only grows, so "empty" stays a proof. isl decides emptiness
 * of such a parametric set for every value of the parameters, exactly.
 * Projected on d, the set gives the distances between the two iterations,
 * which name the dependence: a later iteration reading what an earlier
 * one wrote is flow, the converse anti, two writes output.
 *
 * A problem is built in three steps: prob_build turns the Syms of the
 * bounds and subscripts into Terms (constants, dimensions, parameters,
 * sums, Python's // and % by a constant, isl's mod, min and max) and
 * lists the constraints between them; prob_print writes them in isl's
 * text form, which is the memo's key and what dep_problem_text shows;
 * prob_set builds the set through isl's C API: the linear constraints as
 * one basic set made from their matrix of coefficients, those with a
 * floor division as comparisons of isl_aff, those with a min or max as
 * comparisons of isl_pw_aff. Reading the text with isl_set_read_from_str
 * gives the same set (dep_problem_check, asked by the unit tests on
 * every problem of their table) but cost several times what solving it
 * does.
 *
 * Each pair is first asked relaxed: a min or max fixed during the loop
 * becomes a parameter bounded by its arguments, which isl handles without
 * splitting the set into cases; only a pair that problem cannot prove
 * independent is asked exactly. Answers are remembered for the whole
 * compilation (ctx->dep_memo): the passes' matchers ask the same
 * problems round after round.
 */
#include <string.h>

#include <isl/aff.h>
#include <isl/ctx.h>
#include <isl/local_space.h>
#include <isl/mat.h>
#include <isl/options.h>
#include <isl/point.h>
#include <isl/set.h>
#include <isl/space.h>
#include <isl/val.h>

#include "depend.h"

/* ---- collecting accesses ---- */

/* Fills the map parameters around node id into a, outermost first. */
static void
around(Arena *ar, const IrState *s, const int *scope, int id, DepAccess *a)
{
	int chain[64], depth = 0, np = 0;
	for (int e = scope[id]; e >= 0 && depth < 64; e = scope[e]) {
		chain[depth++] = e;
		np += s->nodes.data[e].map.nparams;
	}
	a->nparams = np;
	a->params = arena_alloc(ar, sizeof(char *) * (size_t)(np + 1));
	a->ranges = arena_alloc(ar, sizeof(SymRange) * (size_t)(np + 1));
	int k = 0;
	for (int j = depth - 1; j >= 0; j--) {
		const IrNode *en = &s->nodes.data[chain[j]];
		for (int q = 0; q < en->map.nparams; q++, k++) {
			a->params[k] = en->map.params[q];
			a->ranges[k] = en->map.ranges[q];
		}
	}
}

void
dep_collect_state(Ctx *ctx, const IrState *s, DepAccessList *out)
{
	int *scope = ir_state_scopes(ctx->arena, s);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!m->data)
			continue;
		for (int side = 0; side < 2; side++) {
			int node = side == 0 ? m->src : m->dst;
			if (!pass_node_computes(&s->nodes.data[node]))
				continue;
			DepAccess a = { .data = m->data, .subset = m->subset, .write = side == 0,
					.wcr = side == 0 ? m->wcr : WCR_NONE, .loc = m->loc,
					.node = node };
			around(ctx->arena, s, scope, node, &a);
			vec_push(ctx->arena, out, a);
		}
	}
}

/* ---- names of terms that are not affine ---- */

/* The "#text" naming each such term, by Sym: Syms are immutable and live
 * as long as the compilation, and printing them took a tenth of the time
 * of a problem answered from the memo. Kept in the memo (DepMemo). */
typedef struct NameCache {
	const Sym **keys;
	const char **names;
	int n, cap;                 /* cap: a power of two, at least twice n, or 0 */
} NameCache;

static int
name_slot(const NameCache *C, const Sym *s)
{
	size_t mask = (size_t)C->cap - 1;
	size_t i = (size_t)(((uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15u) >> 20) & mask;
	while (C->keys[i] && C->keys[i] != s)
		i = (i + 1) & mask;
	return (int)i;
}

static void
names_grow(Arena *a, NameCache *C)
{
	NameCache old = *C;
	C->cap = old.cap ? 2 * old.cap : 64;
	C->keys = arena_alloc(a, sizeof(Sym *) * (size_t)C->cap);
	C->names = arena_alloc(a, sizeof(char *) * (size_t)C->cap);
	for (int i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		int j = name_slot(C, old.keys[i]);
		C->keys[j] = old.keys[i];
		C->names[j] = old.names[i];
	}
}

/* "#" and the text of s. */
static const char *
opaque_name(Arena *a, NameCache *C, const Sym *s)
{
	if (2 * (C->n + 1) > C->cap)
		names_grow(a, C);
	int i = name_slot(C, s);
	if (!C->keys[i]) {
		C->keys[i] = s;
		C->names[i] = arena_printf(a, "#%s", sym_print(a, s));
		C->n++;
	}
	return C->names[i];
}

static NameCache *memo_names(Ctx *ctx);

/* ---- the problem as terms ---- */

/* An expression of the problem, seen from one access, in isl's terms. */
typedef enum TermKind {
	TM_CONST,                   /* c */
	TM_DIM,                     /* set dimension pos */
	TM_PARAM,                   /* parameter pos */
	TM_SUM,                     /* c + coefs[0]*args[0] + ... (n terms) */
	TM_DIV,                     /* floor(args[0] / c), c != 0: Python's // */
	TM_MOD,                     /* args[0] % c, c != 0: Python's % */
	TM_STRIDE,                  /* (args[0] - args[1]) mod |c|, c != 0: isl's mod */
	TM_MIN,                     /* min(args[0], args[1]) */
	TM_MAX,                     /* max(args[0], args[1]) */
} TermKind;

typedef struct Term Term;
struct Term {
	TermKind kind;
	bool pw;                    /* a min or max inside: piecewise in isl */
	bool lin;                   /* a sum of constants, dimensions, parameters */
	int pos;                    /* TM_DIM, TM_PARAM */
	int n;                      /* TM_SUM */
	int64_t c;
	const int64_t *coefs;       /* TM_SUM */
	Term **args;
};

typedef enum CmpOp { CMP_EQ, CMP_LE, CMP_LT, CMP_GE } CmpOp;

typedef struct Cons {
	const Term *x, *y;
	CmpOp op;                   /* x op y */
} Cons;

/* Set dimension "d", "i0", "i1", "mK_J" or "eK_D": its letter and K, J. */
typedef struct DimName {
	char letter;
	int k, j;
} DimName;

typedef struct Prob {
	Arena *a;
	const DepLoop *L;
	const DepAccess *acc[2];
	VEC(const char *) what;     /* parameter J stands for: a name, or "#term" */
	VEC(DimName) dims;          /* the set dimensions */
	VEC(Cons) cons;             /* the constraints, all of which hold */
	NameCache *names;           /* of terms that are not affine */
	bool exact;                 /* nothing was left out */
	bool relax;                 /* fixed min/max terms are bounded parameters */
} Prob;

static uint64_t
mag(int64_t x)
{
	return x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
}

static Term *
term_new(Prob *P, TermKind kind, int64_t c, int nargs)
{
	Term *t = arena_alloc(P->a, sizeof(Term));
	*t = (Term){ .kind = kind, .c = c, .lin = kind <= TM_SUM };
	if (nargs)
		t->args = arena_alloc(P->a, sizeof(Term *) * (size_t)nargs);
	return t;
}

static Term *
term_leaf(Prob *P, TermKind kind, int pos)
{
	Term *t = term_new(P, kind, 0, 0);
	t->pos = pos;
	return t;
}

/* A term over args a (and b, for two-argument kinds). */
static Term *
term_op(Prob *P, TermKind kind, int64_t c, Term *a, Term *b)
{
	Term *t = term_new(P, kind, c, 2);
	t->args[0] = a;
	t->args[1] = b;
	t->pw = kind == TM_MIN || kind == TM_MAX || a->pw || (b && b->pw);
	return t;
}

static Term *
param_term(Prob *P, const char *what)
{
	for (int j = 0; j < P->what.len; j++)
		if (strcmp(P->what.data[j], what) == 0)
			return term_leaf(P, TM_PARAM, j);
	vec_push(P->a, &P->what, what);
	return term_leaf(P, TM_PARAM, P->what.len - 1);
}

/* Dimensions d, i0, i1, then the map parameters of access 0 and of
 * access 1 (mK_J), then box elements (eK_D) as subscripts need them. */
enum { DIM_D, DIM_I0, DIM_I1, DIM_MAPS };

/* Variable `name` at access k: one of its map parameters (the innermost
 * of that name), its iteration's loop variable, or a parameter. */
static Term *
var_term(Prob *P, int k, const char *name)
{
	const DepAccess *x = P->acc[k];
	for (int j = x->nparams - 1; j >= 0; j--)
		if (strcmp(x->params[j], name) == 0)
			return term_leaf(P, TM_DIM, DIM_MAPS + (k ? P->acc[0]->nparams : 0) + j);
	if (strcmp(name, P->L->var) == 0)
		return term_leaf(P, TM_DIM, k ? DIM_I1 : DIM_I0);
	return param_term(P, name);
}

/* Does s change from one iteration (or map point) to another at access k? */
static bool
varies(const Prob *P, int k, const Sym *s)
{
	const DepAccess *x = P->acc[k];
	if (sym_depends_on(s, P->L->var))
		return true;
	for (int j = 0; j < x->nparams; j++)
		if (sym_depends_on(s, x->params[j]))
			return true;
	return false;
}

static Term *tm(Prob *P, int k, const Sym *s);
static void cons(Prob *P, const Term *x, CmpOp op, const Term *y);

/* A term isl cannot express: a parameter when it is fixed during the loop. */
static Term *
tm_opaque(Prob *P, int k, const Sym *s)
{
	if (varies(P, k, s))
		return NULL;
	return param_term(P, opaque_name(P->a, P->names, s));
}

static Term *
tm_sum(Prob *P, int k, const Sym *s)
{
	Term *t = term_new(P, TM_SUM, s->c, s->n);
	t->n = s->n;
	t->coefs = s->coefs;
	for (int j = 0; j < s->n; j++) {
		if (!(t->args[j] = tm(P, k, s->args[j])))
			return NULL;
		t->pw |= t->args[j]->pw;
		t->lin &= t->args[j]->lin;
	}
	return t;
}

/* min(a, min(b, c)): isl's min and max take two arguments. */
static Term *
tm_minmax(Prob *P, int k, const Sym *s, int from)
{
	Term *a = tm(P, k, s->args[from]);
	if (!a || from == s->n - 1)
		return a;
	Term *b = tm_minmax(P, k, s, from + 1);
	return b ? term_op(P, s->kind == SYM_MIN ? TM_MIN : TM_MAX, 0, a, b) : NULL;
}

/* A min or max fixed during the loop, in a relaxed problem: a parameter
 * bounded by the arguments (below each of min's, above each of max's)
 * rather than isl's piecewise min and max, which split the set into a
 * piece per case: nested ones (bounds of slices of slices) made single
 * problems take seconds. The true value is one such parameter, so the
 * set only grows and "empty" stays a proof. */
static Term *
tm_bounded(Prob *P, int k, const Sym *s)
{
	int known = P->what.len;
	Term *p = param_term(P, opaque_name(P->a, P->names, s));
	if (P->what.len == known)
		return p;
	for (int j = 0; j < s->n; j++)
		cons(P, p, s->kind == SYM_MIN ? CMP_LE : CMP_GE, tm(P, k, s->args[j]));
	return p;
}

/* s seen from access k, or NULL when it has no isl form. */
static Term *
tm(Prob *P, int k, const Sym *s)
{
	int64_t c;
	Term *x;
	if (!s)
		return NULL;
	switch (s->kind) {
	case SYM_CONST:
		return term_new(P, TM_CONST, s->c, 0);
	case SYM_VAR:
		return var_term(P, k, s->name);
	case SYM_ADD:
		return tm_sum(P, k, s);
	case SYM_FLOORDIV:
	case SYM_MOD:
		if (!sym_is_const(s->args[1], &c) || c == 0)
			return tm_opaque(P, k, s);
		x = tm(P, k, s->args[0]);
		return x ? term_op(P, s->kind == SYM_MOD ? TM_MOD : TM_DIV, c, x, NULL) : NULL;
	case SYM_MIN:
	case SYM_MAX:
		if (P->relax && s->n > 0 && !varies(P, k, s))
			return tm_bounded(P, k, s);
		return s->n > 0 ? tm_minmax(P, k, s, 0) : NULL;
	case SYM_MUL:
	default:
		return tm_opaque(P, k, s);
	}
}

/* Adds "x op y"; leaves it out (and the answer inexact) when a side has no
 * isl form. */
static void
cons(Prob *P, const Term *x, CmpOp op, const Term *y)
{
	if (!x || !y) {
		P->exact = false;
		return;
	}
	vec_push(P->a, &P->cons, ((Cons){ x, y, op }));
}

/* "(a - b) mod |c| = 0" when a and b have an isl form. */
static void
cons_stride(Prob *P, Term *a, Term *b, int64_t c)
{
	cons(P, a && b ? term_op(P, TM_STRIDE, c, a, b) : NULL, CMP_EQ,
	     term_new(P, TM_CONST, 0, 0));
}

/* v runs over r (seen from access k): b <= v < e, on the stride of r. */
static void
cons_range(Prob *P, int k, Term *v, const SymRange *r)
{
	Term *b = tm(P, k, r->begin);
	int64_t step;
	cons(P, b, CMP_LE, v);
	cons(P, v, CMP_LT, tm(P, k, r->end));
	if (!sym_is_const(r->step, &step) || step < 1)
		P->exact = false;
	else if (step > 1)
		cons_stride(P, v, b, step);
}

/* The loop variable of access k's iteration runs over the loop's range. */
static void
cons_loop(Prob *P, int k)
{
	const DepLoop *L = P->L;
	Term *v = term_leaf(P, TM_DIM, k ? DIM_I1 : DIM_I0);
	Term *start = tm(P, k, L->start), *stop = tm(P, k, L->stop);
	if (L->step > 0) {
		cons(P, start, CMP_LE, v);
		cons(P, v, CMP_LT, stop);
	} else {
		cons(P, stop, CMP_LT, v);
		cons(P, v, CMP_LE, start);
	}
	if (L->step != 1 && L->step != -1)
		cons_stride(P, L->step > 0 ? v : start, L->step > 0 ? start : v, L->step);
}

/* The term of dimension d of access k's subset: the index, or a new
 * element variable bounded by the box. */
static Term *
subscript(Prob *P, int k, int d)
{
	const SymRange *r = &P->acc[k]->subset.r[d];
	if (sym_equal(r->end, sym_addc(P->a, r->begin, 1)))
		return tm(P, k, r->begin);
	Term *e = term_leaf(P, TM_DIM, P->dims.len);
	vec_push(P->a, &P->dims, ((DimName){ 'e', k, d }));
	cons_range(P, k, e, r);
	return e;
}

static bool
is_symbol(const IrProgram *p, const char *name)
{
	return p && ir_program_has_symbol(p, name);
}

/* Size symbols are >= 0 and the program's preconditions hold. */
static void
cons_symbols(Prob *P)
{
	const IrProgram *p = P->L->p;
	Term *zero = term_new(P, TM_CONST, 0, 0);
	for (int j = 0; p && j < p->assumes.len; j++) {
		const Sym *e = p->assumes.data[j].expr;
		if (!varies(P, 0, e) && !varies(P, 1, e))
			cons(P, tm(P, 0, e), CMP_GE, zero);
	}
	for (int j = 0; j < P->what.len; j++)
		if (is_symbol(p, P->what.data[j]))
			cons(P, term_leaf(P, TM_PARAM, j), CMP_GE, zero);
}

/* d = i1 - i0 */
static void
cons_distance(Prob *P)
{
	static const int64_t coefs[] = { 1, -1 };
	Term *t = term_new(P, TM_SUM, 0, 2);
	t->n = 2;
	t->coefs = coefs;
	t->args[0] = term_leaf(P, TM_DIM, DIM_I1);
	t->args[1] = term_leaf(P, TM_DIM, DIM_I0);
	cons(P, term_leaf(P, TM_DIM, DIM_D), CMP_EQ, t);
}

static void
prob_build(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x, bool relax,
	   Prob *P)
{
	*P = (Prob){ .a = ctx->arena, .L = L, .acc = { w, x }, .exact = true, .relax = relax,
		     .names = memo_names(ctx) };
	const DimName fixed[] = { { 'd', 0, 0 }, { 'i', 0, 0 }, { 'i', 1, 0 } };
	for (int j = 0; j < 3; j++)
		vec_push(P->a, &P->dims, fixed[j]);
	for (int k = 0; k < 2; k++)
		for (int j = 0; j < P->acc[k]->nparams; j++)
			vec_push(P->a, &P->dims, ((DimName){ 'm', k, j }));
	cons_distance(P);
	for (int k = 0; k < 2; k++) {
		cons_loop(P, k);
		for (int j = 0; j < P->acc[k]->nparams; j++)
			cons_range(P, k, term_leaf(P, TM_DIM, DIM_MAPS + (k ? w->nparams : 0) + j),
				   &P->acc[k]->ranges[j]);
	}
	int nd = w->subset.ndim < x->subset.ndim ? w->subset.ndim : x->subset.ndim;
	if (w->subset.ndim != x->subset.ndim)
		P->exact = false;
	for (int d = 0; d < nd; d++) {
		const Term *a = subscript(P, 0, d), *b = subscript(P, 1, d);
		cons(P, a, CMP_EQ, b);
	}
	cons_symbols(P);
}

/* ---- the problem in isl's text form (the memo's key) ---- */

static void
put_int(StrBuf *sb, const char *sign, uint64_t v)
{
	char buf[24], *p = buf + sizeof buf;
	*--p = 0;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	sb_puts(sb, sign);
	sb_puts(sb, p);
}

static void term_print(const Prob *P, const Term *t, StrBuf *sb);

static void
dim_print(const DimName *n, StrBuf *sb)
{
	char letter[2] = { n->letter, 0 };
	if (n->letter == 'd')
		sb_putc(sb, 'd');
	else
		put_int(sb, letter, (uint64_t)n->k);
	if (n->letter == 'm' || n->letter == 'e')
		put_int(sb, "_", (uint64_t)n->j);
}

/* floor((x)/c), or floor((-(x))/|c|) when c < 0. */
static void
div_print(const Prob *P, const Term *t, StrBuf *sb)
{
	sb_puts(sb, t->c < 0 ? "floor((-(" : "floor((");
	term_print(P, t->args[0], sb);
	sb_puts(sb, t->c < 0 ? "))/" : ")/");
	put_int(sb, "", mag(t->c));
	sb_putc(sb, ')');
}

/* (c + a*(x) - b*(y)) */
static void
sum_print(const Prob *P, const Term *t, StrBuf *sb)
{
	sb_putc(sb, '(');
	put_int(sb, t->c < 0 ? "-" : "", mag(t->c));
	for (int j = 0; j < t->n; j++) {
		put_int(sb, t->coefs[j] < 0 ? " - " : " + ", mag(t->coefs[j]));
		sb_puts(sb, "*(");
		term_print(P, t->args[j], sb);
		sb_putc(sb, ')');
	}
	sb_putc(sb, ')');
}

/* (a - b) mod |c|, min(a, b), max(a, b) */
static void
pair_print(const Prob *P, const Term *t, StrBuf *sb)
{
	sb_puts(sb, t->kind == TM_STRIDE ? "(" : t->kind == TM_MIN ? "min(" : "max(");
	term_print(P, t->args[0], sb);
	sb_puts(sb, t->kind == TM_STRIDE ? " - " : ", ");
	term_print(P, t->args[1], sb);
	if (t->kind == TM_STRIDE)
		put_int(sb, ") mod ", mag(t->c));
	else
		sb_putc(sb, ')');
}

static void
term_print(const Prob *P, const Term *t, StrBuf *sb)
{
	switch (t->kind) {
	case TM_CONST:
		if (t->c < 0)
			sb_putc(sb, '(');
		put_int(sb, t->c < 0 ? "-" : "", mag(t->c));
		if (t->c < 0)
			sb_putc(sb, ')');
		return;
	case TM_DIM:
		dim_print(&P->dims.data[t->pos], sb);
		return;
	case TM_PARAM:
		put_int(sb, "p", (uint64_t)t->pos);
		return;
	case TM_SUM:
		sum_print(P, t, sb);
		return;
	case TM_DIV:
		div_print(P, t, sb);
		return;
	case TM_MOD:   /* x - c*(x // c) */
		sb_puts(sb, "((");
		term_print(P, t->args[0], sb);
		put_int(sb, t->c < 0 ? ") + " : ") - ", mag(t->c));
		sb_putc(sb, '*');
		div_print(P, t, sb);
		sb_putc(sb, ')');
		return;
	case TM_STRIDE:
	case TM_MIN:
	case TM_MAX:
		pair_print(P, t, sb);
		return;
	}
	UNREACHABLE();
}

static const char *const op_text[] = { " = ", " <= ", " < ", " >= " };

static void
prob_print(const Prob *P, StrBuf *sb)
{
	sb_putc(sb, '[');
	for (int j = 0; j < P->what.len; j++)
		put_int(sb, j ? ", p" : "p", (uint64_t)j);
	sb_puts(sb, "] -> { [");
	for (int j = 0; j < P->dims.len; j++) {
		if (j)
			sb_puts(sb, ", ");
		dim_print(&P->dims.data[j], sb);
	}
	sb_puts(sb, "] : ");
	for (int j = 0; j < P->cons.len; j++) {
		const Cons *c = &P->cons.data[j];
		if (j)
			sb_puts(sb, " and ");
		term_print(P, c->x, sb);
		sb_puts(sb, op_text[c->op]);
		term_print(P, c->y, sb);
	}
	sb_puts(sb, " }");
}

static const char *
prob_text(const Prob *P)
{
	StrBuf sb;
	sb_init(&sb, P->a);
	prob_print(P, &sb);
	return sb_str(&sb);
}

const char *
dep_problem_text(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x)
{
	Prob P;
	prob_build(ctx, L, w, x, false, &P);
	return prob_text(&P);
}

/* ---- the problem through isl's C API ---- */

/* Terms become isl_aff, quasi-affine expressions (floor divisions are
 * local variables), and those with a min or max inside isl_pw_aff, one
 * piece per case; a constraint between two isl_aff is a basic set,
 * others are sets. All share the space of the problem. */
typedef struct Build {
	isl_ctx *ic;
	isl_local_space *ls;        /* [p0, ...] -> { [d, i0, i1, ...] } */
} Build;

static isl_val *
val_si(Build *B, int64_t c)
{
	return isl_val_int_from_si(B->ic, c);
}

static isl_val *
val_mag(Build *B, int64_t c)
{
	return isl_val_int_from_ui(B->ic, mag(c));
}

static isl_aff *aff_of(Build *B, const Term *t);

/* x // c: floor(x / c), or floor(-x / |c|) when c < 0. */
static isl_aff *
aff_div(Build *B, isl_aff *x, int64_t c)
{
	if (c < 0)
		x = isl_aff_neg(x);
	return isl_aff_floor(isl_aff_scale_down_val(x, val_mag(B, c)));
}

static isl_aff *
aff_sum(Build *B, const Term *t)
{
	isl_aff *a = isl_aff_val_on_domain(isl_local_space_copy(B->ls), val_si(B, t->c));
	for (int j = 0; j < t->n; j++)
		a = isl_aff_add(a, isl_aff_scale_val(aff_of(B, t->args[j]), val_si(B, t->coefs[j])));
	return a;
}

/* t, which has no min or max inside. */
static isl_aff *
aff_of(Build *B, const Term *t)
{
	isl_aff *x, *d;
	switch (t->kind) {
	case TM_CONST:
		return isl_aff_val_on_domain(isl_local_space_copy(B->ls), val_si(B, t->c));
	case TM_DIM:
	case TM_PARAM:
		return isl_aff_var_on_domain(isl_local_space_copy(B->ls),
					     t->kind == TM_DIM ? isl_dim_set : isl_dim_param,
					     (unsigned)t->pos);
	case TM_SUM:
		return aff_sum(B, t);
	case TM_DIV:
		return aff_div(B, aff_of(B, t->args[0]), t->c);
	case TM_MOD:   /* x - c*(x // c) */
		x = aff_of(B, t->args[0]);
		d = aff_div(B, isl_aff_copy(x), t->c);
		return isl_aff_add(x, isl_aff_scale_val(d, isl_val_neg(val_si(B, t->c))));
	case TM_STRIDE:
		return isl_aff_mod_val(isl_aff_sub(aff_of(B, t->args[0]), aff_of(B, t->args[1])),
				       val_mag(B, t->c));
	case TM_MIN:
	case TM_MAX:
		break;
	}
	ICE("depend: a min or max as an isl_aff");
}

static isl_pw_aff *pw_of(Build *B, const Term *t);

static isl_pw_aff *
pw_div(Build *B, isl_pw_aff *x, int64_t c)
{
	if (c < 0)
		x = isl_pw_aff_neg(x);
	return isl_pw_aff_floor(isl_pw_aff_scale_down_val(x, val_mag(B, c)));
}

static isl_pw_aff *
pw_sum(Build *B, const Term *t)
{
	isl_pw_aff *a = isl_pw_aff_from_aff(
		isl_aff_val_on_domain(isl_local_space_copy(B->ls), val_si(B, t->c)));
	for (int j = 0; j < t->n; j++)
		a = isl_pw_aff_add(a, isl_pw_aff_scale_val(pw_of(B, t->args[j]),
							   val_si(B, t->coefs[j])));
	return a;
}

/* t as a piecewise expression: the same operations as aff_of's, on
 * pieces, where a min or max is inside. */
static isl_pw_aff *
pw_of(Build *B, const Term *t)
{
	isl_pw_aff *x, *d;
	if (!t->pw)
		return isl_pw_aff_from_aff(aff_of(B, t));
	switch (t->kind) {
	case TM_SUM:
		return pw_sum(B, t);
	case TM_DIV:
		return pw_div(B, pw_of(B, t->args[0]), t->c);
	case TM_MOD:
		x = pw_of(B, t->args[0]);
		d = pw_div(B, isl_pw_aff_copy(x), t->c);
		return isl_pw_aff_add(x, isl_pw_aff_scale_val(d, isl_val_neg(val_si(B, t->c))));
	case TM_STRIDE:
		return isl_pw_aff_mod_val(isl_pw_aff_sub(pw_of(B, t->args[0]),
							 pw_of(B, t->args[1])), val_mag(B, t->c));
	case TM_MIN:
		return isl_pw_aff_min(pw_of(B, t->args[0]), pw_of(B, t->args[1]));
	case TM_MAX:
		return isl_pw_aff_max(pw_of(B, t->args[0]), pw_of(B, t->args[1]));
	default:
		break;
	}
	ICE("depend: a leaf term with a min or max inside");
}

static isl_basic_set *
aff_cmp(isl_aff *x, CmpOp op, isl_aff *y)
{
	switch (op) {
	case CMP_EQ: return isl_aff_eq_basic_set(x, y);
	case CMP_LE: return isl_aff_le_basic_set(x, y);
	case CMP_LT: return isl_aff_lt_basic_set(x, y);
	case CMP_GE: return isl_aff_ge_basic_set(x, y);
	}
	UNREACHABLE();
}

static isl_set *
pw_cmp(isl_pw_aff *x, CmpOp op, isl_pw_aff *y)
{
	switch (op) {
	case CMP_EQ: return isl_pw_aff_eq_set(x, y);
	case CMP_LE: return isl_pw_aff_le_set(x, y);
	case CMP_LT: return isl_pw_aff_lt_set(x, y);
	case CMP_GE: return isl_pw_aff_ge_set(x, y);
	}
	UNREACHABLE();
}

/* ---- linear constraints as rows of coefficients ---- */

/* A row is the constant and the coefficients of the parameters, then of
 * the dimensions: row[0] + row[1..] . (p, dims) >= 0, or = 0. */
typedef struct Rows {
	int ncols;                  /* 1 + parameters + dimensions */
	VEC(int64_t *) eq, ineq;
} Rows;

/* row += f * t, for a linear term t; false when a coefficient overflows. */
static bool
lin_add(const Prob *P, const Term *t, int64_t f, int64_t *row)
{
	int64_t v;
	switch (t->kind) {
	case TM_CONST:
		return !__builtin_mul_overflow(f, t->c, &v) && !__builtin_add_overflow(row[0], v, &row[0]);
	case TM_DIM:
	case TM_PARAM: {
		int col = 1 + t->pos + (t->kind == TM_DIM ? P->what.len : 0);
		return !__builtin_add_overflow(row[col], f, &row[col]);
	}
	case TM_SUM:
		if (__builtin_mul_overflow(f, t->c, &v) || __builtin_add_overflow(row[0], v, &row[0]))
			return false;
		for (int j = 0; j < t->n; j++)
			if (__builtin_mul_overflow(f, t->coefs[j], &v) || !lin_add(P, t->args[j], v, row))
				return false;
		return true;
	default:
		return false;
	}
}

/* Adds constraint c to R as a row when both sides are linear and no
 * coefficient overflows: x = y is x - y = 0, x <= y is y - x >= 0, x < y
 * is y - x - 1 >= 0, x >= y is x - y >= 0. */
static bool
rows_add(const Prob *P, const Cons *c, Rows *R)
{
	if (!c->x->lin || !c->y->lin)
		return false;
	int64_t *row = arena_alloc(P->a, sizeof(int64_t) * (size_t)R->ncols);
	memset(row, 0, sizeof(int64_t) * (size_t)R->ncols);
	int64_t sx = c->op == CMP_EQ || c->op == CMP_GE ? 1 : -1;
	if (!lin_add(P, c->x, sx, row) || !lin_add(P, c->y, -sx, row) ||
	    (c->op == CMP_LT && __builtin_sub_overflow(row[0], 1, &row[0])))
		return false;
	if (c->op == CMP_EQ)
		vec_push(P->a, &R->eq, row);
	else
		vec_push(P->a, &R->ineq, row);
	return true;
}

static isl_mat *
rows_mat(isl_ctx *ic, int ncols, int64_t **rows, int n)
{
	isl_mat *m = isl_mat_alloc(ic, (unsigned)n, (unsigned)ncols);
	for (int r = 0; r < n; r++)
		for (int c = 0; c < ncols; c++) {
			int64_t v = rows[r][c];
			m = v == (int)v ? isl_mat_set_element_si(m, r, c, (int)v) :
				isl_mat_set_element_val(m, r, c, isl_val_int_from_si(ic, v));
		}
	return m;
}

/* The basic set of R's rows. */
static isl_basic_set *
rows_set(isl_ctx *ic, isl_space *sp, const Rows *R)
{
	return isl_basic_set_from_constraint_matrices(
		sp, rows_mat(ic, R->ncols, R->eq.data, R->eq.len),
		rows_mat(ic, R->ncols, R->ineq.data, R->ineq.len), isl_dim_cst, isl_dim_param,
		isl_dim_set, isl_dim_div);
}

/* The set of P, or NULL on an isl error: the linear constraints as one
 * basic set made of their rows of coefficients, intersected with the
 * other constraints without a min or max (isl_aff comparisons: floor
 * divisions become local variables), then with each of the others. */
static isl_set *
prob_set(isl_ctx *ic, const Prob *P)
{
	isl_space *sp = isl_space_set_alloc(ic, (unsigned)P->what.len, (unsigned)P->dims.len);
	Build B = { ic, isl_local_space_from_space(isl_space_copy(sp)) };
	Rows R = { .ncols = 1 + P->what.len + P->dims.len };
	isl_basic_set *quasi = isl_basic_set_universe(isl_space_copy(sp));
	isl_set *s = isl_set_universe(isl_space_copy(sp));
	for (int j = 0; j < P->cons.len; j++) {
		const Cons *c = &P->cons.data[j];
		if (rows_add(P, c, &R))
			continue;
		if (!c->x->pw && !c->y->pw)
			quasi = isl_basic_set_intersect(quasi, aff_cmp(aff_of(&B, c->x), c->op,
								       aff_of(&B, c->y)));
		else
			s = isl_set_intersect(s, pw_cmp(pw_of(&B, c->x), c->op, pw_of(&B, c->y)));
	}
	isl_local_space_free(B.ls);
	isl_basic_set *conj = isl_basic_set_intersect(rows_set(ic, sp, &R), quasi);
	return isl_set_intersect(isl_set_from_basic_set(conj), s);
}

/* isl_ctx_alloc, set up to report errors by return values. */
static isl_ctx *
isl_new(void)
{
	isl_ctx *ic = isl_ctx_alloc();
	if (!ic)
		ICE("isl_ctx_alloc failed");
	isl_options_set_on_error(ic, ISL_ON_ERROR_CONTINUE);
	return ic;
}

int
dep_problem_check(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x,
		  bool relax)
{
	Prob P;
	prob_build(ctx, L, w, x, relax, &P);
	isl_ctx *ic = isl_new();
	isl_set *built = prob_set(ic, &P), *read = isl_set_read_from_str(ic, prob_text(&P));
	for (int j = 0; j < P.what.len; j++)   /* the text names them */
		built = isl_set_set_dim_name(built, isl_dim_param, (unsigned)j,
					     arena_printf(ctx->arena, "p%d", j));
	isl_bool eq = built && read ? isl_set_is_equal(built, read) : isl_bool_error;
	isl_set_free(built);
	isl_set_free(read);
	isl_ctx_free(ic);
	return eq == isl_bool_error ? -1 : eq == isl_bool_true;
}

/* ---- asking isl ---- */

/* Is D (a set over [d]) empty where d < c (side < 0), or where d > c? */
static bool
empty_beside(isl_set *D, isl_val *c, int side)
{
	isl_set *s = isl_set_copy(D);
	if (side < 0)
		s = isl_set_upper_bound_val(s, isl_dim_set, 0, isl_val_sub_ui(isl_val_copy(c), 1));
	else
		s = isl_set_lower_bound_val(s, isl_dim_set, 0, isl_val_add_ui(isl_val_copy(c), 1));
	isl_bool e = s ? isl_set_is_empty(s) : isl_bool_error;
	isl_set_free(s);
	return e == isl_bool_true;
}

/* The distances of D (a set over [d]) when they are one constant: a
 * sample's, when no other is on either side of it. */
static bool
fixed_distance(isl_set *D, int64_t *out)
{
	isl_point *pt = isl_set_sample_point(isl_set_copy(D));
	if (!pt || isl_point_is_void(pt) != isl_bool_false) {
		isl_point_free(pt);
		return false;
	}
	isl_val *v = isl_point_get_coordinate_val(pt, isl_dim_set, 0);
	isl_point_free(pt);
	if (!v || isl_val_is_int(v) != isl_bool_true) {
		isl_val_free(v);
		return false;
	}
	*out = isl_val_get_num_si(v);
	bool one = empty_beside(D, v, -1) && empty_beside(D, v, 1);
	isl_val_free(v);
	return one;
}

/* The part of D (over [d]) with sign(d) == sign. */
static isl_set *
with_sign(isl_set *D, int sign)
{
	isl_set *s = isl_set_copy(D);
	return sign > 0 ? isl_set_lower_bound_si(s, isl_dim_set, 0, 1) :
		isl_set_upper_bound_si(s, isl_dim_set, 0, -1);
}

typedef enum Answer { ANS_NONE, ANS_SOME, ANS_UNKNOWN } Answer;

/* A bound on the work of one question: past it isl gives up, and the
 * answer is "unknown" (a dependence is assumed), never a hang. */
enum { ISL_MAX_OPERATIONS = 2000000 };

/* Is there a later iteration (execution order dir) in D? With its distance
 * unless fixed is NULL. */
static Answer
later(isl_set *D, int dir, bool *fixed, int64_t *dist)
{
	isl_set *h = with_sign(D, dir);
	if (!h)
		return ANS_UNKNOWN;
	isl_bool e = isl_set_is_empty(h);
	Answer r = e == isl_bool_true ? ANS_NONE : e == isl_bool_false ? ANS_SOME : ANS_UNKNOWN;
	if (fixed)
		*fixed = r == ANS_SOME && fixed_distance(h, dist);
	isl_set_free(h);
	return r;
}

/* Solves P for pair (w, x) into *out; returns the kind. The set leaves
 * out i0 != i1 (a disjunction, which doubled isl's work on every
 * problem): the distances d > 0 and d < 0 are asked apart (later), on
 * the set projected on d. An empty set has none either way: asking
 * whether the whole set is empty first cost more than it saved. */
static DepKind
solve(isl_ctx *ic, const Prob *P, Dep *out)
{
	const DepAccess *w = P->acc[0], *x = P->acc[1];
	int dir = P->L->step > 0 ? 1 : -1;
	*out = (Dep){ .kind = x->write ? DEP_OUTPUT : DEP_FLOW, .first = w, .second = x };
	isl_set *s = prob_set(ic, P);
	if (!s)
		return out->kind;
	isl_set *D = isl_set_project_out(s, isl_dim_set, 1, (unsigned)P->dims.len - 1);
	Answer fw = later(D, dir, &out->fixed, &out->distance), bw = ANS_UNKNOWN;
	if (fw == ANS_SOME) {
		out->exact = P->exact;
		out->both = later(D, -dir, NULL, NULL) != ANS_NONE;
	} else if (fw == ANS_NONE &&
		   (bw = later(D, -dir, &out->fixed, &out->distance)) == ANS_SOME) {
		out->kind = x->write ? DEP_OUTPUT : DEP_ANTI;
		out->first = x;
		out->second = w;
		out->distance = -out->distance;
		out->exact = P->exact;
	} else {
		out->fixed = false;
	}
	isl_set_free(D);
	/* only d = 0: the two accesses meet in one iteration alone */
	return fw == ANS_NONE && bw == ANS_NONE ? DEP_NONE : out->kind;
}

/* ---- remembered answers ---- */

/* A compilation asks the same problems many times (each round of each
 * pass's matcher, at -O2 and again at -O3): the answers are kept in the
 * Ctx, keyed by the problem's text and what the text does not say (the
 * loop's direction, whether x writes, whether the problem is exact). The
 * text names parameters p0, p1, ... by position, so one text is one
 * problem whatever symbols they stand for. */
typedef struct MemoEntry {
	const char *key;
	DepKind kind;
	bool swapped;               /* first is x, second w */
	bool fixed, exact, both;
	int64_t distance;
} MemoEntry;

typedef struct DepMemo {
	VEC(MemoEntry) ents;
	int *slots;                 /* entry index + 1, 0 when free */
	int nslots;                 /* a power of two, at least twice the entries */
	NameCache names;
} DepMemo;

static size_t
hash_key(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return (size_t)h;
}

/* The slot of key in M: its entry's, or the free one where it goes. */
static int *
memo_slot(DepMemo *M, const char *key)
{
	size_t mask = (size_t)M->nslots - 1, i = hash_key(key) & mask;
	while (M->slots[i] && strcmp(M->ents.data[M->slots[i] - 1].key, key) != 0)
		i = (i + 1) & mask;
	return &M->slots[i];
}

static void
memo_grow(Arena *a, DepMemo *M)
{
	int n = M->nslots ? 2 * M->nslots : 256;
	M->slots = arena_alloc(a, sizeof(int) * (size_t)n);
	M->nslots = n;
	for (int e = 0; e < M->ents.len; e++)
		*memo_slot(M, M->ents.data[e].key) = e + 1;
}

static DepMemo *
memo_of(Ctx *ctx)
{
	if (!ctx->dep_memo) {
		ctx->dep_memo = arena_alloc(ctx->arena, sizeof(DepMemo));
		memo_grow(ctx->arena, ctx->dep_memo);
	}
	return ctx->dep_memo;
}

static NameCache *
memo_names(Ctx *ctx)
{
	return &memo_of(ctx)->names;
}

static void
memo_put(Ctx *ctx, const char *key, DepKind k, const Dep *d, const DepAccess *w)
{
	DepMemo *M = memo_of(ctx);
	if (2 * (M->ents.len + 1) > M->nslots)
		memo_grow(ctx->arena, M);
	MemoEntry e = { .key = key, .kind = k };
	if (k != DEP_NONE)
		e = (MemoEntry){ .key = key, .kind = k, .swapped = d->first != w, .fixed = d->fixed,
				 .exact = d->exact, .both = d->both, .distance = d->distance };
	int *slot = memo_slot(M, key);
	vec_push(ctx->arena, &M->ents, e);
	*slot = M->ents.len;
}

/* Solves the problem of (w, x), relaxed or exact, in isl context *ic
 * (made here when NULL; freeing one per problem cost a tenth of the
 * problem), with a fresh bound on its work, or answers it from the memo. */
static DepKind
solve_pair(Ctx *ctx, isl_ctx **ic, const DepLoop *L, const DepAccess *w, const DepAccess *x,
	   bool relax, Dep *out)
{
	Prob P;
	prob_build(ctx, L, w, x, relax, &P);
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_putc(&sb, L->step > 0 ? '1' : '0');
	sb_putc(&sb, x->write ? '1' : '0');
	sb_puts(&sb, P.exact ? "1 " : "0 ");
	prob_print(&P, &sb);
	const char *key = sb_str(&sb);
	int slot = *memo_slot(memo_of(ctx), key);
	if (slot) {
		const MemoEntry *e = &ctx->dep_memo->ents.data[slot - 1];
		*out = (Dep){ .kind = e->kind, .first = e->swapped ? x : w,
			      .second = e->swapped ? w : x, .fixed = e->fixed,
			      .distance = e->distance, .exact = e->exact, .both = e->both };
		return e->kind;
	}
	if (!*ic) {
		*ic = isl_new();
		isl_ctx_set_max_operations(*ic, ISL_MAX_OPERATIONS);
	}
	isl_ctx_reset_operations(*ic);
	DepKind k = solve(*ic, &P, out);
	memo_put(ctx, key, k, out, w);
	return k;
}

/* The relaxed problem first: when it is empty, so is the exact one. A
 * dependence it finds is confirmed (and named) by the exact problem. */
static DepKind
test_pair(Ctx *ctx, isl_ctx **ic, const DepLoop *L, const DepAccess *w, const DepAccess *x,
	  Dep *out)
{
	Dep d;
	if (solve_pair(ctx, ic, L, w, x, true, &d) == DEP_NONE)
		return DEP_NONE;
	DepKind k = solve_pair(ctx, ic, L, w, x, false, &d);
	if (k != DEP_NONE && out)
		*out = d;
	return k;
}

DepKind
dep_test_pair(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x, Dep *out)
{
	isl_ctx *ic = NULL;
	DepKind k = test_pair(ctx, &ic, L, w, x, out);
	if (ic)
		isl_ctx_free(ic);
	return k;
}

/* ---- the loop ---- */

/* Must the pair (write w, access x) be tested? Not when x is another
 * container, and not when both accumulate with one operator: such
 * updates commute (reads and plain writes of the container are still
 * tested against each of them). A pair of writes is tested once. */
static bool
to_test(const DepAccess *acc, int i, int j)
{
	const DepAccess *w = &acc[i], *x = &acc[j];
	if (strcmp(w->data, x->data) != 0 || (x->write && j < i))
		return false;
	return !(x->write && w->wcr != WCR_NONE && w->wcr == x->wcr);
}

/* Sort key of a dependence for reporting: lower is reported first. */
static int
rank(const Dep *d)
{
	int scalar = d->first->subset.ndim == 0;
	int kind = d->kind == DEP_FLOW ? 0 : d->kind == DEP_ANTI ? 1 : 2;
	return scalar * 8 + !d->exact * 4 + kind;
}

static const char *
kind_name(DepKind k)
{
	return k == DEP_FLOW ? "flow" : k == DEP_ANTI ? "anti" : "output";
}

/* What access a does, conjugated for "iteration i ..." or after "may". */
static const char *
verb(const DepAccess *a, bool base)
{
	if (!a->write)
		return base ? "read" : "reads";
	if (a->wcr != WCR_NONE)
		return base ? "accumulate into" : "accumulates into";
	return base ? "write" : "writes";
}

/* "iteration i writes x[i] and iteration i + 1 reads it (a loop-carried
 * flow dependence on x)"; when inexact, "... and another iteration may
 * read it (...)". */
static const char *
array_reason(Ctx *ctx, const DepLoop *L, const Dep *d)
{
	Arena *a = ctx->arena;
	const DepAccess *f = d->first, *s = d->second;
	const char *first = arena_printf(a, "iteration %s %s %s%s", L->var, verb(f, false), f->data,
					 subset_print(a, &f->subset));
	if (!d->exact)
		return arena_printf(a, "%s and another iteration may %s it (subscripts or bounds "
				    "that are not affine leave a loop-carried %s dependence on %s "
				    "possible)", first, verb(s, true), kind_name(d->kind), f->data);
	const char *when = !d->fixed ? "a later iteration" :
		arena_printf(a, "iteration %s", sym_print(a, sym_addc(a, sym_var(a, L->var),
								      d->distance)));
	const char *what = f->write && f->wcr == WCR_NONE && s->write && s->wcr == WCR_NONE ?
		"writes it again" :
		arena_printf(a, "%s it", verb(s, false));
	return arena_printf(a, "%s and %s %s (a loop-carried %s dependence on %s)", first, when,
			    what, kind_name(d->kind), f->data);
}

/* "every iteration writes the scalar s and reads it (loop-carried flow,
 * anti and output dependences on s)": kinds has bit k for DepKind k. */
static const char *
scalar_reason(Ctx *ctx, const DepAccess *acc, int n, const char *data, unsigned kinds)
{
	bool read = false, plain = false;
	for (int i = 0; i < n; i++) {
		if (strcmp(acc[i].data, data) != 0)
			continue;
		read |= !acc[i].write;
		plain |= acc[i].write && acc[i].wcr == WCR_NONE;
	}
	const char *names[3];
	int nk = 0;
	for (int k = DEP_FLOW; k <= DEP_OUTPUT; k++)
		if (kinds & (1u << k))
			names[nk++] = kind_name((DepKind)k);
	const char *list = nk == 1 ? names[0] : nk == 2 ?
		arena_printf(ctx->arena, "%s and %s", names[0], names[1]) :
		arena_printf(ctx->arena, "%s, %s and %s", names[0], names[1], names[2]);
	return arena_printf(ctx->arena, "every iteration %s the scalar %s%s (%s %s dependence%s on %s)",
			    plain ? "writes" : "accumulates into", data, read ? " and reads it" : "",
			    nk == 1 ? "a loop-carried" : "loop-carried", list, nk == 1 ? "" : "s",
			    data);
}

typedef VEC(Dep) DepList;

/* The dependences of the pairs to test among acc[0..n), solved in one
 * isl context. The first one of rank 0 (an exact flow dependence on an
 * array) ends the search: no later one can be reported before it, and
 * the pairs left (a large loop body's, for a refusal) need not be
 * solved. */
static DepList
carried(Ctx *ctx, const DepLoop *L, const DepAccess *acc, int n)
{
	DepList deps = { 0 };
	isl_ctx *ic = NULL;
	for (int i = 0; i < n; i++) {
		if (!acc[i].write)
			continue;
		for (int j = 0; j < n; j++) {
			Dep d;
			if (!to_test(acc, i, j) || test_pair(ctx, &ic, L, &acc[i], &acc[j], &d) == DEP_NONE)
				continue;
			vec_push(ctx->arena, &deps, d);
			if (rank(&d) == 0)
				goto done;
		}
	}
done:
	if (ic)
		isl_ctx_free(ic);
	return deps;
}

const char *
dep_loop_carried(Ctx *ctx, const DepLoop *L, const DepAccess *acc, int n)
{
	DepList deps = carried(ctx, L, acc, n);
	if (deps.len == 0)
		return NULL;
	const Dep *best = &deps.data[0];
	for (int i = 1; i < deps.len; i++)
		if (rank(&deps.data[i]) < rank(best))
			best = &deps.data[i];
	if (best->first->subset.ndim > 0)
		return array_reason(ctx, L, best);
	unsigned kinds = 0;
	for (int i = 0; i < deps.len; i++) {
		const Dep *d = &deps.data[i];
		if (strcmp(d->first->data, best->first->data) != 0)
			continue;
		kinds |= 1u << d->kind;
		if (d->both && d->kind == DEP_FLOW)
			kinds |= 1u << DEP_ANTI;
	}
	return scalar_reason(ctx, acc, n, best->first->data, kinds);
}
