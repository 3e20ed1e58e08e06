/* passes/depend.c — the loop-carried dependence test (see depend.h).
 *
 * For a write w and an access x of the same container, the problem is
 * written in isl's text form and read with isl_set_read_from_str:
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
 * Each pair is first asked relaxed: a min or max fixed during the loop
 * becomes a parameter bounded by its arguments, which isl handles without
 * splitting the set into cases; only a pair that problem cannot prove
 * independent is asked exactly. Answers are remembered for the whole
 * compilation (ctx->dep_memo): the passes' matchers ask the same
 * problems round after round.
 */
#include <string.h>

#include <isl/ctx.h>
#include <isl/options.h>
#include <isl/point.h>
#include <isl/set.h>
#include <isl/val.h>

#include "depend.h"

/* ---- collecting accesses ---- */

static bool
computes(const IrNode *n)
{
	return n->kind == IRN_TASKLET || n->kind == IRN_LIBRARY;
}

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
			if (!computes(&s->nodes.data[node]))
				continue;
			DepAccess a = { .data = m->data, .subset = m->subset, .write = side == 0,
					.wcr = side == 0 ? m->wcr : WCR_NONE, .loc = m->loc,
					.node = node };
			around(ctx->arena, s, scope, node, &a);
			vec_push(ctx->arena, out, a);
		}
	}
}

/* ---- the problem in isl's text form ---- */

typedef struct Prob {
	Arena *a;
	const DepLoop *L;
	const DepAccess *acc[2];
	VEC(const char *) what;     /* parameter J stands for: a name, or "#term" */
	VEC(const char *) dims;     /* the set dimensions */
	StrBuf cons;                /* the constraints, joined by " and " */
	bool exact;                 /* nothing was left out */
	bool relax;                 /* fixed min/max terms are bounded parameters */
} Prob;

static uint64_t
mag(int64_t x)
{
	return x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
}

static const char *
param_name(Prob *P, const char *what)
{
	for (int j = 0; j < P->what.len; j++)
		if (strcmp(P->what.data[j], what) == 0)
			return arena_printf(P->a, "p%d", j);
	vec_push(P->a, &P->what, what);
	return arena_printf(P->a, "p%d", P->what.len - 1);
}

/* The isl name of variable `name` at access k: one of its map parameters
 * (the innermost of that name), its iteration's loop variable, or a
 * parameter. */
static const char *
var_name(Prob *P, int k, const char *name)
{
	const DepAccess *x = P->acc[k];
	for (int j = x->nparams - 1; j >= 0; j--)
		if (strcmp(x->params[j], name) == 0)
			return arena_printf(P->a, "m%d_%d", k, j);
	if (strcmp(name, P->L->var) == 0)
		return k ? "i1" : "i0";
	return param_name(P, name);
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

static bool pr(Prob *P, int k, const Sym *s, StrBuf *sb);
static const char *tx(Prob *P, int k, const Sym *s);
static void cons(Prob *P, const char *x, const char *op, const char *y);

/* A term isl cannot express: a parameter when it is fixed during the loop. */
static bool
pr_opaque(Prob *P, int k, const Sym *s, StrBuf *sb)
{
	if (varies(P, k, s))
		return false;
	sb_puts(sb, param_name(P, arena_printf(P->a, "#%s", sym_print(P->a, s))));
	return true;
}

/* floor(x / c), Python's x // c, for a constant c != 0. */
static bool
pr_div(Prob *P, int k, const Sym *x, int64_t c, StrBuf *sb)
{
	sb_puts(sb, c < 0 ? "floor((-(" : "floor((");
	if (!pr(P, k, x, sb))
		return false;
	sb_printf(sb, "%s)/%llu)", c < 0 ? ")" : "", (unsigned long long)mag(c));
	return true;
}

/* Python's x % c = x - c * (x // c). */
static bool
pr_mod(Prob *P, int k, const Sym *x, int64_t c, StrBuf *sb)
{
	sb_puts(sb, "((");
	if (!pr(P, k, x, sb))
		return false;
	sb_printf(sb, ") %s %llu*", c < 0 ? "+" : "-", (unsigned long long)mag(c));
	if (!pr_div(P, k, x, c, sb))
		return false;
	sb_putc(sb, ')');
	return true;
}

static bool
pr_sum(Prob *P, int k, const Sym *s, StrBuf *sb)
{
	sb_printf(sb, "(%lld", (long long)s->c);
	for (int j = 0; j < s->n; j++) {
		sb_printf(sb, " %s %llu*(", s->coefs[j] < 0 ? "-" : "+",
			  (unsigned long long)mag(s->coefs[j]));
		if (!pr(P, k, s->args[j], sb))
			return false;
		sb_putc(sb, ')');
	}
	sb_putc(sb, ')');
	return true;
}

/* min(a, min(b, c)): isl's min and max take two arguments. */
static bool
pr_minmax(Prob *P, int k, const Sym *s, int from, StrBuf *sb)
{
	if (from == s->n - 1)
		return pr(P, k, s->args[from], sb);
	sb_puts(sb, s->kind == SYM_MIN ? "min(" : "max(");
	if (!pr(P, k, s->args[from], sb))
		return false;
	sb_puts(sb, ", ");
	if (!pr_minmax(P, k, s, from + 1, sb))
		return false;
	sb_putc(sb, ')');
	return true;
}

/* A min or max fixed during the loop, in a relaxed problem: a parameter
 * bounded by the arguments (below each of min's, above each of max's)
 * rather than isl's piecewise min and max, which split the set into a
 * piece per case: nested ones (bounds of slices of slices) made single
 * problems take seconds. The true value is one such parameter, so the
 * set only grows and "empty" stays a proof. */
static bool
pr_bounded(Prob *P, int k, const Sym *s, StrBuf *sb)
{
	int known = P->what.len;
	const char *p = param_name(P, arena_printf(P->a, "#%s", sym_print(P->a, s)));
	sb_puts(sb, p);
	if (P->what.len == known)
		return true;
	for (int j = 0; j < s->n; j++)
		cons(P, p, s->kind == SYM_MIN ? "<=" : ">=", tx(P, k, s->args[j]));
	return true;
}

/* Prints s, seen from access k, in isl's syntax; false when it has no
 * isl form (then sb holds garbage). */
static bool
pr(Prob *P, int k, const Sym *s, StrBuf *sb)
{
	int64_t c;
	switch (s->kind) {
	case SYM_CONST:
		sb_printf(sb, s->c < 0 ? "(%lld)" : "%lld", (long long)s->c);
		return true;
	case SYM_VAR:
		sb_puts(sb, var_name(P, k, s->name));
		return true;
	case SYM_ADD:
		return pr_sum(P, k, s, sb);
	case SYM_FLOORDIV:
		if (sym_is_const(s->args[1], &c) && c != 0)
			return pr_div(P, k, s->args[0], c, sb);
		return pr_opaque(P, k, s, sb);
	case SYM_MOD:
		if (sym_is_const(s->args[1], &c) && c != 0)
			return pr_mod(P, k, s->args[0], c, sb);
		return pr_opaque(P, k, s, sb);
	case SYM_MIN:
	case SYM_MAX:
		if (P->relax && s->n > 0 && !varies(P, k, s))
			return pr_bounded(P, k, s, sb);
		return s->n > 0 && pr_minmax(P, k, s, 0, sb);
	case SYM_MUL:
	default:
		return pr_opaque(P, k, s, sb);
	}
}

/* s at access k in isl's syntax, or NULL. */
static const char *
tx(Prob *P, int k, const Sym *s)
{
	StrBuf sb;
	sb_init(&sb, P->a);
	return s && pr(P, k, s, &sb) ? sb_str(&sb) : NULL;
}

/* Adds "x op y"; leaves it out (and the answer inexact) when a side has no
 * isl form. */
static void
cons(Prob *P, const char *x, const char *op, const char *y)
{
	if (!x || !y) {
		P->exact = false;
		return;
	}
	sb_printf(&P->cons, "%s%s %s %s", P->cons.len ? " and " : "", x, op, y);
}

/* v runs over r (seen from access k): b <= v < e, on the stride of r. */
static void
cons_range(Prob *P, int k, const char *v, const SymRange *r)
{
	const char *b = tx(P, k, r->begin);
	int64_t step;
	cons(P, b, "<=", v);
	cons(P, v, "<", tx(P, k, r->end));
	if (!sym_is_const(r->step, &step) || step < 1)
		P->exact = false;
	else if (step > 1)
		cons(P, b ? arena_printf(P->a, "(%s - %s) mod %lld", v, b, (long long)step) : NULL,
		     "=", "0");
}

/* The loop variable of access k's iteration runs over the loop's range. */
static void
cons_loop(Prob *P, int k)
{
	const DepLoop *L = P->L;
	const char *v = k ? "i1" : "i0";
	const char *start = tx(P, k, L->start), *stop = tx(P, k, L->stop);
	if (L->step > 0) {
		cons(P, start, "<=", v);
		cons(P, v, "<", stop);
	} else {
		cons(P, stop, "<", v);
		cons(P, v, "<=", start);
	}
	if (L->step != 1 && L->step != -1)
		cons(P, start ? arena_printf(P->a, "(%s - %s) mod %llu", L->step > 0 ? v : start,
					     L->step > 0 ? start : v,
					     (unsigned long long)mag(L->step)) : NULL, "=", "0");
}

/* The isl expression of dimension d of access k's subset: the index, or a
 * new element variable bounded by the box. */
static const char *
subscript(Prob *P, int k, int d)
{
	const SymRange *r = &P->acc[k]->subset.r[d];
	if (sym_equal(r->end, sym_addc(P->a, r->begin, 1)))
		return tx(P, k, r->begin);
	const char *e = arena_printf(P->a, "e%d_%d", k, d);
	vec_push(P->a, &P->dims, e);
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
	for (int j = 0; p && j < p->assumes.len; j++) {
		const Sym *e = p->assumes.data[j].expr;
		if (!varies(P, 0, e) && !varies(P, 1, e))
			cons(P, tx(P, 0, e), ">=", "0");
	}
	for (int j = 0; j < P->what.len; j++)
		if (is_symbol(p, P->what.data[j]))
			cons(P, arena_printf(P->a, "p%d", j), ">=", "0");
}

static void
prob_build(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x, bool relax,
	   Prob *P)
{
	*P = (Prob){ .a = ctx->arena, .L = L, .acc = { w, x }, .exact = true, .relax = relax };
	sb_init(&P->cons, ctx->arena);
	const char *fixed[] = { "d", "i0", "i1" };
	for (int j = 0; j < 3; j++)
		vec_push(P->a, &P->dims, fixed[j]);
	cons(P, "d", "=", "i1 - i0");
	for (int k = 0; k < 2; k++) {
		cons_loop(P, k);
		for (int j = 0; j < P->acc[k]->nparams; j++) {
			const char *m = arena_printf(P->a, "m%d_%d", k, j);
			vec_push(P->a, &P->dims, m);
			cons_range(P, k, m, &P->acc[k]->ranges[j]);
		}
	}
	int nd = w->subset.ndim < x->subset.ndim ? w->subset.ndim : x->subset.ndim;
	if (w->subset.ndim != x->subset.ndim)
		P->exact = false;
	for (int d = 0; d < nd; d++) {
		const char *a = subscript(P, 0, d), *b = subscript(P, 1, d);
		cons(P, a, "=", b);
	}
	cons_symbols(P);
}

/* "[p0, p1] -> " */
static const char *
prob_params(Prob *P)
{
	StrBuf sb;
	sb_init(&sb, P->a);
	sb_putc(&sb, '[');
	for (int j = 0; j < P->what.len; j++)
		sb_printf(&sb, "%sp%d", j ? ", " : "", j);
	sb_puts(&sb, "] -> ");
	return sb_str(&sb);
}

static const char *
prob_text(Prob *P)
{
	StrBuf sb;
	sb_init(&sb, P->a);
	sb_printf(&sb, "%s{ [", prob_params(P));
	for (int j = 0; j < P->dims.len; j++)
		sb_printf(&sb, "%s%s", j ? ", " : "", P->dims.data[j]);
	sb_printf(&sb, "] : %s }", sb_str(&P->cons));
	return sb_str(&sb);
}

const char *
dep_problem_text(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x)
{
	Prob P;
	prob_build(ctx, L, w, x, false, &P);
	return prob_text(&P);
}

/* ---- asking isl ---- */

/* isl_set_read_from_str of params + body, or NULL. */
static isl_set *
read_set(isl_ctx *ic, Arena *a, const char *params, const char *body)
{
	return isl_set_read_from_str(ic, arena_printf(a, "%s%s", params, body));
}

/* The distances of D (a set over [d]) when they are one constant. */
static bool
fixed_distance(isl_ctx *ic, Arena *a, const char *params, isl_set *D, int64_t *out)
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
	long c = isl_val_get_num_si(v);
	isl_val_free(v);
	isl_set *one = read_set(ic, a, params, arena_printf(a, "{ [d] : d = %ld }", c));
	isl_bool sub = one ? isl_set_is_subset(D, one) : isl_bool_error;
	isl_set_free(one);
	*out = c;
	return sub == isl_bool_true;
}

/* The part of D (over [d]) with sign(d) == sign, or NULL on an isl error. */
static isl_set *
with_sign(isl_ctx *ic, Arena *a, const char *params, isl_set *D, int sign)
{
	isl_set *half = read_set(ic, a, params, sign > 0 ? "{ [d] : d > 0 }" : "{ [d] : d < 0 }");
	return half ? isl_set_intersect(isl_set_copy(D), half) : NULL;
}

typedef enum Answer { ANS_NONE, ANS_SOME, ANS_UNKNOWN } Answer;

/* A bound on the work of one question: past it isl gives up, and the
 * answer is "unknown" (a dependence is assumed), never a hang. */
enum { ISL_MAX_OPERATIONS = 2000000 };

/* Is there a later iteration (execution order dir) in D? With its distance. */
static Answer
later(isl_ctx *ic, Arena *a, const char *params, isl_set *D, int dir, bool *fixed,
      int64_t *dist)
{
	isl_set *h = with_sign(ic, a, params, D, dir);
	if (!h)
		return ANS_UNKNOWN;
	isl_bool e = isl_set_is_empty(h);
	Answer r = e == isl_bool_true ? ANS_NONE : e == isl_bool_false ? ANS_SOME : ANS_UNKNOWN;
	*fixed = r == ANS_SOME && fixed_distance(ic, a, params, h, dist);
	isl_set_free(h);
	return r;
}

/* Solves P for pair (w, x) into *out; returns the kind. The set leaves
 * out i0 != i1 (a disjunction, which doubled isl's work on every
 * problem): the distances d > 0 and d < 0 are asked apart (later). */
static DepKind
solve(isl_ctx *ic, Prob *P, Dep *out)
{
	const DepAccess *w = P->acc[0], *x = P->acc[1];
	int dir = P->L->step > 0 ? 1 : -1;
	*out = (Dep){ .kind = x->write ? DEP_OUTPUT : DEP_FLOW, .first = w, .second = x };
	isl_set *s = isl_set_read_from_str(ic, prob_text(P));
	isl_bool e = s ? isl_set_is_empty(s) : isl_bool_error;
	if (e != isl_bool_false) {
		isl_set_free(s);
		return e == isl_bool_true ? DEP_NONE : out->kind;
	}
	const char *params = prob_params(P);
	isl_set *D = isl_set_project_out(s, isl_dim_set, 1, (unsigned)P->dims.len - 1);
	Answer fw = later(ic, P->a, params, D, dir, &out->fixed, &out->distance), bw = ANS_UNKNOWN;
	if (fw == ANS_SOME) {
		bool fixed;
		int64_t dist;
		out->exact = P->exact;
		out->both = later(ic, P->a, params, D, -dir, &fixed, &dist) != ANS_NONE;
	} else if (fw == ANS_NONE &&
		   (bw = later(ic, P->a, params, D, -dir, &out->fixed, &out->distance)) == ANS_SOME) {
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

/* Solves the problem of (w, x), relaxed or exact, in a fresh isl context,
 * or answers it from the memo. */
static DepKind
solve_pair(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x, bool relax,
	   Dep *out)
{
	Prob P;
	prob_build(ctx, L, w, x, relax, &P);
	const char *key = arena_printf(ctx->arena, "%d%d%d %s", L->step > 0, x->write, P.exact,
				       prob_text(&P));
	int slot = *memo_slot(memo_of(ctx), key);
	if (slot) {
		const MemoEntry *e = &ctx->dep_memo->ents.data[slot - 1];
		*out = (Dep){ .kind = e->kind, .first = e->swapped ? x : w,
			      .second = e->swapped ? w : x, .fixed = e->fixed,
			      .distance = e->distance, .exact = e->exact, .both = e->both };
		return e->kind;
	}
	isl_ctx *ic = isl_ctx_alloc();
	if (!ic)
		ICE("isl_ctx_alloc failed");
	isl_options_set_on_error(ic, ISL_ON_ERROR_CONTINUE);
	isl_ctx_set_max_operations(ic, ISL_MAX_OPERATIONS);
	DepKind k = solve(ic, &P, out);
	isl_ctx_free(ic);
	memo_put(ctx, key, k, out, w);
	return k;
}

/* The relaxed problem first: when it is empty, so is the exact one. A
 * dependence it finds is confirmed (and named) by the exact problem. */
DepKind
dep_test_pair(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x, Dep *out)
{
	Dep d;
	if (solve_pair(ctx, L, w, x, true, &d) == DEP_NONE)
		return DEP_NONE;
	DepKind k = solve_pair(ctx, L, w, x, false, &d);
	if (k != DEP_NONE && out)
		*out = d;
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

const char *
dep_loop_carried(Ctx *ctx, const DepLoop *L, const DepAccess *acc, int n)
{
	VEC(Dep) deps = { 0 };
	for (int i = 0; i < n; i++) {
		if (!acc[i].write)
			continue;
		for (int j = 0; j < n; j++) {
			Dep d;
			if (!to_test(acc, i, j))
				continue;
			if (dep_test_pair(ctx, L, &acc[i], &acc[j], &d) != DEP_NONE)
				vec_push(ctx->arena, &deps, d);
		}
	}
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
