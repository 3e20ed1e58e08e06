/* ir/sym.c — the symbolic integer engine: canonical affine forms plus
 * products, min/max, floordiv and mod, with comparisons, printing, parsing
 * and evaluation; and the subsets (ranges per dimension) built on them.
 *
 * Canonical form. Every Sym is built by the constructors below and never
 * changed, so equal expressions are equal trees:
 * - a sum is SYM_ADD: constant + coef*term list, terms sorted by sym_cmp
 *   order (below), merged, no zero coefficient; a sum that is a single term
 *   with coefficient 1 and no constant is that term; a sum that is a
 *   constant is SYM_CONST;
 * - a product of non-constants is SYM_MUL with sorted arguments (flattened;
 *   never a constant or a MUL); products distribute over sums, so
 *   (N + 1)*M == N*M + M, except when two sums of many terms meet (more than
 *   PRODUCT_EXPAND_MAX products): then the sums stay unexpanded factors;
 * - min/max are flattened, deduplicated, constants folded into one, and an
 *   argument provably dominated by another one is dropped;
 * - x // k and x % k by a positive constant split off the terms of x whose
 *   coefficients k divides, reduce the constant into [0, k), divide by the
 *   gcd of what remains, and fold when the rest is provably in [0, k);
 *   negative constant divisors are normalised; division by a constant zero
 *   is left unfolded.
 * The order of terms: products, variables (by name, strcmp), floordiv, mod,
 * min, max, sums, constants; among one kind, argument by argument.
 *
 * Facts. Constructors simplify only with facts that hold for every value of
 * the variables; comparisons (sym_le, sym_lt, sym_eq) also assume every
 * variable is >= 0. Both reason by interval bounds plus case splits on
 * min/max terms, so they are exact or answer T_UNKNOWN, never optimistic.
 * Integer arithmetic is int64 and wraps on overflow (as two's complement).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

enum {
	PRODUCT_EXPAND_MAX = 64, /* most term products one expansion makes */
	MINMAX_PRUNE_MAX = 16,   /* min/max with more args skip pruning */
	SPLIT_ARGS_MAX = 8,      /* case splits only on min/max this small */
	SPLIT_DEPTH = 3,         /* nested case splits per proof */
	PARSE_NEST_MAX = 200,    /* parentheses, unary minus, calls */
	PARSE_DEPTH_MAX = 1200,  /* bound on the depth of a parsed tree */
};

/* ---- integer helpers ---- */

static int64_t
addw(int64_t x, int64_t y)
{
	return (int64_t)((uint64_t)x + (uint64_t)y);
}

static int64_t
mulw(int64_t x, int64_t y)
{
	return (int64_t)((uint64_t)x * (uint64_t)y);
}

static uint64_t
mag(int64_t x)
{
	return x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
}

/* ir.h */
uint64_t
sym_gcd(uint64_t x, uint64_t y)
{
	while (y) {
		uint64_t t = x % y;
		x = y;
		y = t;
	}
	return x;
}

/* Python's x // y (rounds toward -infinity); y != 0. */
static int64_t
pyfloordiv(int64_t x, int64_t y)
{
	if (y == -1)
		return mulw(x, -1);
	int64_t q = x / y;
	if (x % y != 0 && ((x < 0) != (y < 0)))
		q--;
	return q;
}

/* Python's x % y (sign of y); y != 0. */
static int64_t
pymod(int64_t x, int64_t y)
{
	if (y == -1)
		return 0;
	int64_t r = x % y;
	if (r != 0 && ((r < 0) != (y < 0)))
		r += y;
	return r;
}

/* ---- nodes and order ---- */

static Sym *
mk(Arena *a, SymKind kind, int n)
{
	Sym *s = arena_alloc(a, sizeof(*s));
	s->kind = kind;
	s->n = n;
	if (n > 0) {
		s->args = arena_alloc(a, sizeof(Sym *) * (size_t)n);
		if (kind == SYM_ADD)
			s->coefs = arena_alloc(a, sizeof(int64_t) * (size_t)n);
	}
	return s;
}

static Sym *
mk2(Arena *a, SymKind kind, Sym *x, Sym *y)
{
	Sym *s = mk(a, kind, 2);
	s->args[0] = x;
	s->args[1] = y;
	return s;
}

static int
rank(SymKind k)
{
	switch (k) {
	case SYM_MUL: return 0;
	case SYM_VAR: return 1;
	case SYM_FLOORDIV: return 2;
	case SYM_MOD: return 3;
	case SYM_MIN: return 4;
	case SYM_MAX: return 5;
	case SYM_ADD: return 6;
	case SYM_CONST: return 7;
	}
	return 8;
}

static int
cmp64(int64_t x, int64_t y)
{
	return (x > y) - (x < y);
}

/* The total order of canonical trees; 0 exactly when they are equal. */
static int
sym_cmp(const Sym *x, const Sym *y)
{
	if (x == y)
		return 0;
	if (x->kind != y->kind)
		return rank(x->kind) - rank(y->kind);
	if (x->kind == SYM_CONST)
		return cmp64(x->c, y->c);
	if (x->kind == SYM_VAR)
		return strcmp(x->name, y->name);
	int n = x->n < y->n ? x->n : y->n;
	for (int i = 0; i < n; i++) {
		int d = sym_cmp(x->args[i], y->args[i]);
		if (d == 0 && x->kind == SYM_ADD)
			d = cmp64(x->coefs[i], y->coefs[i]);
		if (d)
			return d;
	}
	if (x->n != y->n)
		return x->n - y->n;
	return x->kind == SYM_ADD ? cmp64(x->c, y->c) : 0;
}

static int
cmp_symp(const void *x, const void *y)
{
	return sym_cmp(*(Sym *const *)x, *(Sym *const *)y);
}

typedef VEC(Sym *) SymVec;

static void
sort_syms(Sym **v, int n)
{
	if (n > 1)
		qsort(v, (size_t)n, sizeof(*v), cmp_symp);
}

/* ---- linear combinations: the builder of every sum ---- */

typedef struct Term {
	int64_t k;
	Sym *t;
} Term;

typedef struct Lin {
	Arena *a;
	int64_t c;
	VEC(Term) v;
} Lin;

static void
lin_init(Lin *l, Arena *a)
{
	memset(l, 0, sizeof(*l));
	l->a = a;
}

static void
lin_term(Lin *l, int64_t k, Sym *t)
{
	if (k != 0)
		vec_push(l->a, &l->v, ((Term){k, t}));
}

/* Adds k*s. */
static void
lin_add(Lin *l, int64_t k, const Sym *s)
{
	if (s->kind == SYM_CONST) {
		l->c = addw(l->c, mulw(k, s->c));
	} else if (s->kind == SYM_ADD) {
		l->c = addw(l->c, mulw(k, s->c));
		for (int i = 0; i < s->n; i++)
			lin_term(l, mulw(k, s->coefs[i]), s->args[i]);
	} else {
		lin_term(l, k, (Sym *)s);
	}
}

static int
cmp_term(const void *x, const void *y)
{
	return sym_cmp(((const Term *)x)->t, ((const Term *)y)->t);
}

/* Sorts and merges the terms in place; returns how many remain. */
static int
lin_normalize(Lin *l)
{
	if (l->v.len > 1)
		qsort(l->v.data, (size_t)l->v.len, sizeof(Term), cmp_term);
	int m = 0;
	for (int i = 0; i < l->v.len; i++) {
		Term t = l->v.data[i];
		if (m > 0 && sym_cmp(l->v.data[m - 1].t, t.t) == 0)
			l->v.data[m - 1].k = addw(l->v.data[m - 1].k, t.k);
		else
			l->v.data[m++] = t;
		if (l->v.data[m - 1].k == 0)
			m--;
	}
	l->v.len = m;
	return m;
}

static Sym *
lin_build(Lin *l)
{
	int m = lin_normalize(l);
	if (m == 0)
		return sym_const(l->a, l->c);
	if (m == 1 && l->c == 0 && l->v.data[0].k == 1)
		return l->v.data[0].t;
	Sym *s = mk(l->a, SYM_ADD, m);
	s->c = l->c;
	for (int i = 0; i < m; i++) {
		s->args[i] = l->v.data[i].t;
		s->coefs[i] = l->v.data[i].k;
	}
	return s;
}

static Sym *
scaled(Arena *a, int64_t k, const Sym *x, int64_t c)
{
	Lin l;
	lin_init(&l, a);
	lin_add(&l, k, x);
	l.c = addw(l.c, c);
	return lin_build(&l);
}

Sym *
sym_const(Arena *a, int64_t c)
{
	Sym *s = mk(a, SYM_CONST, 0);
	s->c = c;
	return s;
}

Sym *
sym_var(Arena *a, const char *name)
{
	if (!name || !*name)
		ICE("symbol without a name");
	Sym *s = mk(a, SYM_VAR, 0);
	s->name = arena_strdup(a, name);
	return s;
}

Sym *
sym_add(Arena *a, Sym *x, Sym *y)
{
	Lin l;
	lin_init(&l, a);
	lin_add(&l, 1, x);
	lin_add(&l, 1, y);
	return lin_build(&l);
}

Sym *
sym_sub(Arena *a, Sym *x, Sym *y)
{
	Lin l;
	lin_init(&l, a);
	lin_add(&l, 1, x);
	lin_add(&l, -1, y);
	return lin_build(&l);
}

Sym *
sym_neg(Arena *a, Sym *x)
{
	return scaled(a, -1, x, 0);
}

Sym *
sym_addc(Arena *a, Sym *x, int64_t c)
{
	return scaled(a, 1, x, c);
}

/* ---- products ---- */

static int
natoms(const Sym *t)
{
	return t->kind == SYM_MUL ? t->n : 1;
}

/* Product of two monomial terms (NULL stands for 1). */
static Sym *
term_mul(Arena *a, Sym *x, Sym *y)
{
	if (!x)
		return y;
	if (!y)
		return x;
	int nx = natoms(x), ny = natoms(y);
	Sym *s = mk(a, SYM_MUL, nx + ny);
	for (int i = 0; i < nx; i++)
		s->args[i] = x->kind == SYM_MUL ? x->args[i] : x;
	for (int i = 0; i < ny; i++)
		s->args[nx + i] = y->kind == SYM_MUL ? y->args[i] : y;
	sort_syms(s->args, s->n);
	return s;
}

static int
lin_size(const Lin *l)
{
	return l->v.len + (l->c != 0);
}

/* The i-th monomial of l, i == -1 being the constant (term NULL). */
static Term
lin_mono(const Lin *l, int i)
{
	return i < 0 ? (Term){l->c, NULL} : l->v.data[i];
}

static Sym *
expand(Arena *a, const Lin *px, const Lin *py)
{
	Lin out;
	lin_init(&out, a);
	for (int i = -1; i < px->v.len; i++) {
		Term ti = lin_mono(px, i);
		for (int j = -1; j < py->v.len && ti.k; j++) {
			Term tj = lin_mono(py, j);
			int64_t k = mulw(ti.k, tj.k);
			Sym *t = term_mul(a, ti.t, tj.t);
			if (t)
				lin_term(&out, k, t);
			else
				out.c = addw(out.c, k);
		}
	}
	return lin_build(&out);
}

/* s as k*term where a sum of several monomials is one opaque factor. */
static Sym *
as_monomial(Sym *s, int64_t *k)
{
	*k = 1;
	if (s->kind == SYM_ADD && s->n == 1 && s->c == 0) {
		*k = s->coefs[0];
		return s->args[0];
	}
	return s;
}

Sym *
sym_mul(Arena *a, Sym *x, Sym *y)
{
	Lin px, py;
	lin_init(&px, a);
	lin_init(&py, a);
	lin_add(&px, 1, x);
	lin_add(&py, 1, y);
	int nx = lin_size(&px), ny = lin_size(&py);
	if (nx <= 1 || ny <= 1 || (int64_t)nx * ny <= PRODUCT_EXPAND_MAX)
		return expand(a, &px, &py);
	int64_t kx, ky;
	Sym *tx = as_monomial(x, &kx), *ty = as_monomial(y, &ky);
	Lin out;
	lin_init(&out, a);
	lin_term(&out, mulw(kx, ky), term_mul(a, tx, ty));
	return lin_build(&out);
}

/* Product of f[lo..hi), multiplied as a balanced tree. */
static Sym *
product(Arena *a, Sym **f, int lo, int hi)
{
	if (hi - lo == 1)
		return f[lo];
	int mid = lo + (hi - lo) / 2;
	return sym_mul(a, product(a, f, lo, mid), product(a, f, mid, hi));
}

/* ---- interval bounds ---- */

/* An extended integer: inf is -1 for -infinity, +1 for +infinity. */
typedef struct Ext {
	int64_t v;
	int inf;
} Ext;

typedef struct Iv {
	Ext lo, hi;
} Iv;

static const Ext NEG_INF = {0, -1}, POS_INF = {0, 1};
static const Iv IV_ALL = {{0, -1}, {0, 1}};

static Ext
fin(int64_t v)
{
	return (Ext){v, 0};
}

static Iv
iv_const(int64_t c)
{
	return (Iv){fin(c), fin(c)};
}

static int
ext_cmp(Ext x, Ext y)
{
	if (x.inf != y.inf)
		return x.inf - y.inf;
	return x.inf ? 0 : cmp64(x.v, y.v);
}

static bool
ext_add(Ext x, Ext y, Ext *r)
{
	if (x.inf && y.inf && x.inf != y.inf)
		return false;
	if (x.inf || y.inf) {
		*r = x.inf ? x : y;
		return true;
	}
	r->inf = 0;
	return !__builtin_add_overflow(x.v, y.v, &r->v);
}

static int
ext_sign(Ext x)
{
	return x.inf ? x.inf : cmp64(x.v, 0);
}

static bool
ext_mul(Ext x, Ext y, Ext *r)
{
	int sx = ext_sign(x), sy = ext_sign(y);
	if (sx == 0 || sy == 0) {
		*r = fin(0);
		return true;
	}
	if (x.inf || y.inf) {
		*r = sx * sy > 0 ? POS_INF : NEG_INF;
		return true;
	}
	r->inf = 0;
	return !__builtin_mul_overflow(x.v, y.v, &r->v);
}

static Iv
iv_add(Iv x, Iv y)
{
	Iv r;
	if (!ext_add(x.lo, y.lo, &r.lo))
		r.lo = NEG_INF;
	if (!ext_add(x.hi, y.hi, &r.hi))
		r.hi = POS_INF;
	return r;
}

static Iv
iv_mul(Iv x, Iv y)
{
	Ext c[4];
	if (!ext_mul(x.lo, y.lo, &c[0]) || !ext_mul(x.lo, y.hi, &c[1]) ||
	    !ext_mul(x.hi, y.lo, &c[2]) || !ext_mul(x.hi, y.hi, &c[3]))
		return IV_ALL;
	Iv r = {c[0], c[0]};
	for (int i = 1; i < 4; i++) {
		if (ext_cmp(c[i], r.lo) < 0)
			r.lo = c[i];
		if (ext_cmp(c[i], r.hi) > 0)
			r.hi = c[i];
	}
	return r;
}

static Ext
ext_min(Ext x, Ext y)
{
	return ext_cmp(x, y) <= 0 ? x : y;
}

static Ext
ext_max(Ext x, Ext y)
{
	return ext_cmp(x, y) >= 0 ? x : y;
}

static bool
ext_ge(Ext x, int64_t v)
{
	return ext_cmp(x, fin(v)) >= 0;
}

static Iv bounds(const Sym *s, bool nonneg);

static Iv
bounds_floordiv(Iv x, const Sym *y, bool nonneg)
{
	Iv yb = bounds(y, nonneg);
	if (!ext_ge(yb.lo, 1))
		return IV_ALL;
	if (y->kind == SYM_CONST) {
		Iv r = x;
		if (!x.lo.inf)
			r.lo.v = pyfloordiv(x.lo.v, y->c);
		if (!x.hi.inf)
			r.hi.v = pyfloordiv(x.hi.v, y->c);
		return r;
	}
	/* For y >= 1, x // y lies between x and 0. */
	return (Iv){ext_min(x.lo, fin(0)), ext_max(x.hi, fin(0))};
}

static Iv
bounds_mod(Iv x, const Sym *y, bool nonneg)
{
	Iv yb = bounds(y, nonneg);
	if (!ext_ge(yb.lo, 1))
		return IV_ALL;
	Ext hi = yb.hi.inf ? POS_INF : fin(yb.hi.v - 1);
	if (ext_ge(x.lo, 0))
		hi = ext_min(hi, x.hi);
	return (Iv){fin(0), hi};
}

/* Bounds of s over all values of its variables (over values >= 0 when
 * nonneg). Overflow widens a bound to infinity. */
static Iv
bounds(const Sym *s, bool nonneg)
{
	Iv r;
	switch (s->kind) {
	case SYM_CONST:
		return iv_const(s->c);
	case SYM_VAR:
		return nonneg ? (Iv){fin(0), POS_INF} : IV_ALL;
	case SYM_ADD:
		r = iv_const(s->c);
		for (int i = 0; i < s->n; i++)
			r = iv_add(r, iv_mul(bounds(s->args[i], nonneg), iv_const(s->coefs[i])));
		return r;
	case SYM_MUL:
		r = iv_const(1);
		for (int i = 0; i < s->n; i++)
			r = iv_mul(r, bounds(s->args[i], nonneg));
		return r;
	case SYM_FLOORDIV:
		return bounds_floordiv(bounds(s->args[0], nonneg), s->args[1], nonneg);
	case SYM_MOD:
		return bounds_mod(bounds(s->args[0], nonneg), s->args[1], nonneg);
	case SYM_MIN:
	case SYM_MAX:
		r = bounds(s->args[0], nonneg);
		for (int i = 1; i < s->n; i++) {
			Iv b = bounds(s->args[i], nonneg);
			bool mn = s->kind == SYM_MIN;
			r.lo = mn ? ext_min(r.lo, b.lo) : ext_max(r.lo, b.lo);
			r.hi = mn ? ext_min(r.hi, b.hi) : ext_max(r.hi, b.hi);
		}
		return r;
	}
	UNREACHABLE();
}

/* ---- proofs ---- */

/* The first min/max term of d and its coefficient, or NULL. */
static const Sym *
split_term(const Sym *d, int64_t *k)
{
	if (d->kind == SYM_MIN || d->kind == SYM_MAX) {
		*k = 1;
		return d;
	}
	if (d->kind != SYM_ADD)
		return NULL;
	for (int i = 0; i < d->n; i++) {
		if (d->args[i]->kind == SYM_MIN || d->args[i]->kind == SYM_MAX) {
			*k = d->coefs[i];
			return d->args[i];
		}
	}
	return NULL;
}

/* Proves d >= 0: by bounds, else by a case split on a min/max term t with
 * coefficient k. d equals d[t := arg] for the arg t takes, and is >= it for
 * every arg when k*t only grows by the choice (min with k < 0, max with
 * k > 0): so "all args" or "some arg" must prove it. */
static bool
prove_nonneg(Arena *a, const Sym *d, bool nonneg, int budget)
{
	if (ext_ge(bounds(d, nonneg).lo, 0))
		return true;
	int64_t k;
	const Sym *t = split_term(d, &k);
	if (budget == 0 || !t || t->n > SPLIT_ARGS_MAX || k == INT64_MIN)
		return false;
	bool all = (t->kind == SYM_MIN) == (k > 0);
	for (int i = 0; i < t->n; i++) {
		Lin l;
		lin_init(&l, a);
		lin_add(&l, 1, d);
		lin_add(&l, -k, t);
		lin_add(&l, k, t->args[i]);
		bool ok = prove_nonneg(a, lin_build(&l), nonneg, budget - 1);
		if (ok != all)
			return ok;
	}
	return all;
}

static Truth
le_in(Arena *a, const Sym *x, const Sym *y, bool nonneg)
{
	Lin l;
	lin_init(&l, a);
	lin_add(&l, 1, y);
	lin_add(&l, -1, x);
	if (prove_nonneg(a, lin_build(&l), nonneg, SPLIT_DEPTH))
		return T_TRUE;
	lin_init(&l, a);
	lin_add(&l, 1, x);
	lin_add(&l, -1, y);
	l.c = addw(l.c, -1);
	if (prove_nonneg(a, lin_build(&l), nonneg, SPLIT_DEPTH))
		return T_FALSE;
	return T_UNKNOWN;
}

/* 0 <= x < y for every value of the variables. */
static bool
in_range(Arena *a, Sym *x, Sym *y)
{
	return prove_nonneg(a, x, false, SPLIT_DEPTH) &&
	       prove_nonneg(a, scaled(a, 1, sym_sub(a, y, x), -1), false, SPLIT_DEPTH);
}

/* ---- min and max ---- */

/* Drops each argument that another kept one provably dominates. */
static int
prune_dominated(Arena *a, SymKind kind, Sym **v, int n)
{
	bool *gone = arena_alloc(a, sizeof(bool) * (size_t)n);
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n && !gone[i]; j++) {
			if (j == i || gone[j])
				continue;
			Truth t = kind == SYM_MIN ? le_in(a, v[j], v[i], false)
						  : le_in(a, v[i], v[j], false);
			gone[i] = t == T_TRUE;
		}
	}
	int m = 0;
	for (int i = 0; i < n; i++)
		if (!gone[i])
			v[m++] = v[i];
	return m;
}

static void
minmax_push(Arena *a, SymKind kind, Sym *x, SymVec *v, bool *havec, int64_t *c)
{
	int64_t xc;
	if (sym_is_const(x, &xc)) {
		if (!*havec || (kind == SYM_MIN ? xc < *c : xc > *c))
			*c = xc;
		*havec = true;
	} else {
		vec_push(a, v, x);
	}
}

static Sym *
minmax_n(Arena *a, SymKind kind, int n, Sym **args)
{
	SymVec v = {0};
	bool havec = false;
	int64_t c = 0;
	for (int i = 0; i < n; i++) {
		if (args[i]->kind == kind) {
			for (int j = 0; j < args[i]->n; j++)
				minmax_push(a, kind, args[i]->args[j], &v, &havec, &c);
		} else {
			minmax_push(a, kind, args[i], &v, &havec, &c);
		}
	}
	if (havec)
		vec_push(a, &v, sym_const(a, c));
	sort_syms(v.data, v.len);
	int m = 0;
	for (int i = 0; i < v.len; i++)
		if (m == 0 || sym_cmp(v.data[m - 1], v.data[i]) != 0)
			v.data[m++] = v.data[i];
	if (m > 1 && m <= MINMAX_PRUNE_MAX)
		m = prune_dominated(a, kind, v.data, m);
	if (m == 1)
		return v.data[0];
	Sym *s = mk(a, kind, m);
	memcpy(s->args, v.data, sizeof(Sym *) * (size_t)m);
	return s;
}

Sym *
sym_min(Arena *a, Sym *x, Sym *y)
{
	Sym *args[2] = {x, y};
	return minmax_n(a, SYM_MIN, 2, args);
}

Sym *
sym_max(Arena *a, Sym *x, Sym *y)
{
	Sym *args[2] = {x, y};
	return minmax_n(a, SYM_MAX, 2, args);
}

/* ---- floordiv and mod ---- */

/* Splits x into q*k + r where q collects the terms whose coefficients k
 * divides and the constant's quotient, and r the rest (constant in
 * [0, k)); k > 1. */
static void
split_multiples(const Sym *x, int64_t k, Lin *q, Lin *r)
{
	Lin l;
	lin_init(&l, q->a);
	lin_add(&l, 1, x);
	q->c = pyfloordiv(l.c, k);
	r->c = pymod(l.c, k);
	for (int i = 0; i < l.v.len; i++) {
		Term t = l.v.data[i];
		if (t.k % k == 0)
			lin_term(q, t.k / k, t.t);
		else
			lin_term(r, t.k, t.t);
	}
}

/* Divides r and k by the gcd of k and r's coefficients; returns the gcd. */
static int64_t
reduce_gcd(Lin *r, int64_t *k)
{
	uint64_t g = sym_gcd((uint64_t)*k, mag(r->c));
	for (int i = 0; i < r->v.len && g > 1; i++)
		g = sym_gcd(g, mag(r->v.data[i].k));
	int64_t gi = (int64_t)g;
	if (gi > 1) {
		*k /= gi;
		r->c /= gi;
		for (int i = 0; i < r->v.len; i++)
			r->v.data[i].k /= gi;
	}
	return gi;
}

static bool
fits_below(const Sym *r, int64_t k)
{
	Iv b = bounds(r, false);
	return ext_ge(b.lo, 0) && ext_cmp(b.hi, fin(k)) < 0;
}

static Sym *
floordiv_const(Arena *a, Sym *x, int64_t k)
{
	int64_t k2, kk;
	if (x->kind == SYM_FLOORDIV && sym_is_const(x->args[1], &k2) && k2 > 0 &&
	    !__builtin_mul_overflow(k, k2, &kk))
		return sym_floordiv(a, x->args[0], sym_const(a, kk));
	Lin q, r;
	lin_init(&q, a);
	lin_init(&r, a);
	split_multiples(x, k, &q, &r);
	if (lin_normalize(&r) > 0) {
		reduce_gcd(&r, &k);
		Sym *rs = lin_build(&r);
		if (!fits_below(rs, k))
			lin_term(&q, 1, mk2(a, SYM_FLOORDIV, rs, sym_const(a, k)));
	}
	return lin_build(&q);
}

static Sym *
mod_const(Arena *a, Sym *x, int64_t k)
{
	int64_t k2;
	if (x->kind == SYM_MOD && sym_is_const(x->args[1], &k2) && k2 > 0 && k2 % k == 0)
		return mod_const(a, x->args[0], k);
	Lin q, r;
	lin_init(&q, a);
	lin_init(&r, a);
	split_multiples(x, k, &q, &r);
	if (lin_normalize(&r) == 0)
		return sym_const(a, r.c);
	int64_t g = reduce_gcd(&r, &k);
	Sym *rs = lin_build(&r);
	if (!fits_below(rs, k))
		rs = mk2(a, SYM_MOD, rs, sym_const(a, k));
	return scaled(a, g, rs, 0);
}

Sym *
sym_floordiv(Arena *a, Sym *x, Sym *y)
{
	int64_t k, cx;
	if (sym_is_const(y, &k) && k != 0) {
		if (sym_is_const(x, &cx))
			return sym_const(a, pyfloordiv(cx, k));
		if (k == 1)
			return x;
		if (k > 1)
			return floordiv_const(a, x, k);
		if (k != INT64_MIN)
			return floordiv_const(a, sym_neg(a, x), -k);
	} else if (y->kind != SYM_CONST) {
		if (sym_equal(x, y) && prove_nonneg(a, sym_addc(a, y, -1), false, SPLIT_DEPTH))
			return sym_const(a, 1);
		if (in_range(a, x, y))
			return sym_const(a, 0);
	}
	return mk2(a, SYM_FLOORDIV, x, y);
}

Sym *
sym_mod(Arena *a, Sym *x, Sym *y)
{
	int64_t k, cx;
	if (sym_is_const(y, &k) && k != 0) {
		if (sym_is_const(x, &cx))
			return sym_const(a, pymod(cx, k));
		if (k == 1 || k == -1)
			return sym_const(a, 0);
		if (k > 1)
			return mod_const(a, x, k);
		/* x % -k == -((-x) % k) */
		if (k != INT64_MIN)
			return sym_neg(a, mod_const(a, sym_neg(a, x), -k));
	} else if (y->kind != SYM_CONST) {
		if (sym_equal(x, y) && prove_nonneg(a, sym_addc(a, y, -1), false, SPLIT_DEPTH))
			return sym_const(a, 0);
		if (in_range(a, x, y))
			return x;
	}
	return mk2(a, SYM_MOD, x, y);
}

/* ---- queries ---- */

bool
sym_is_const(const Sym *s, int64_t *value)
{
	if (s->kind != SYM_CONST)
		return false;
	if (value)
		*value = s->c;
	return true;
}

bool
sym_equal(const Sym *x, const Sym *y)
{
	return sym_cmp(x, y) == 0;
}

bool
sym_depends_on(const Sym *s, const char *name)
{
	if (s->kind == SYM_VAR)
		return strcmp(s->name, name) == 0;
	for (int i = 0; i < s->n; i++)
		if (sym_depends_on(s->args[i], name))
			return true;
	return false;
}

/* ir.h */
bool
sym_depends_on_any(const Sym *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (sym_depends_on(s, names[i]))
			return true;
	return false;
}

bool
sym_coef_of(const Sym *s, const char *name, int64_t *coef)
{
	*coef = 0;
	if (s->kind == SYM_VAR && strcmp(s->name, name) == 0) {
		*coef = 1;
		return true;
	}
	if (s->kind != SYM_ADD)
		return !sym_depends_on(s, name);
	for (int i = 0; i < s->n; i++) {
		const Sym *t = s->args[i];
		if (t->kind == SYM_VAR && strcmp(t->name, name) == 0)
			*coef = s->coefs[i];
		else if (sym_depends_on(t, name))
			return false;
	}
	return true;
}

Sym *
sym_subst(Arena *a, const Sym *s, const char *name, Sym *value)
{
	if (!sym_depends_on(s, name))
		return (Sym *)s;
	Sym **args = arena_alloc(a, sizeof(Sym *) * (size_t)s->n);
	for (int i = 0; i < s->n; i++)
		args[i] = sym_subst(a, s->args[i], name, value);
	Sym *r;
	Lin l;
	switch (s->kind) {
	case SYM_VAR:
		return value;
	case SYM_ADD:
		lin_init(&l, a);
		l.c = s->c;
		for (int i = 0; i < s->n; i++)
			lin_add(&l, s->coefs[i], args[i]);
		return lin_build(&l);
	case SYM_MUL:
		r = args[0];
		for (int i = 1; i < s->n; i++)
			r = sym_mul(a, r, args[i]);
		return r;
	case SYM_FLOORDIV:
		return sym_floordiv(a, args[0], args[1]);
	case SYM_MOD:
		return sym_mod(a, args[0], args[1]);
	case SYM_MIN:
	case SYM_MAX:
		return minmax_n(a, s->kind, s->n, args);
	case SYM_CONST:
		break;
	}
	UNREACHABLE();
}

/* The smallest variable name in s greater than `after` (any when NULL). */
static void
next_name(const Sym *s, const char *after, const char **best)
{
	if (s->kind == SYM_VAR) {
		if ((!after || strcmp(s->name, after) > 0) &&
		    (!*best || strcmp(s->name, *best) < 0))
			*best = s->name;
		return;
	}
	for (int i = 0; i < s->n; i++)
		next_name(s->args[i], after, best);
}

void
sym_foreach_var(const Sym *s, void (*f)(const char *name, void *ud), void *ud)
{
	const char *last = NULL;
	for (;;) {
		const char *best = NULL;
		next_name(s, last, &best);
		if (!best)
			return;
		f(best, ud);
		last = best;
	}
}

typedef struct VarsTo {
	Arena *a;
	SymNames *out;
} VarsTo;

static void
push_var(const char *name, void *ud)
{
	VarsTo *t = ud;
	vec_push(t->a, t->out, name);
}

void
sym_vars(Arena *a, const Sym *s, SymNames *out)
{
	sym_foreach_var(s, push_var, &(VarsTo){ a, out });
}

/* The public comparisons have no arena: they work in a scratch one. */
Truth
sym_le(const Sym *x, const Sym *y)
{
	Arena *a = arena_new();
	Truth t = le_in(a, x, y, true);
	arena_free(a);
	return t;
}

Truth
sym_lt(const Sym *x, const Sym *y)
{
	Arena *a = arena_new();
	Truth t = le_in(a, scaled(a, 1, x, 1), y, true);
	arena_free(a);
	return t;
}

Truth
sym_eq(const Sym *x, const Sym *y)
{
	if (sym_equal(x, y))
		return T_TRUE;
	Arena *a = arena_new();
	Truth t = T_UNKNOWN;
	Sym *d = sym_sub(a, (Sym *)x, (Sym *)y);
	int64_t c;
	if (sym_is_const(d, &c))
		t = c == 0 ? T_TRUE : T_FALSE;
	else if (prove_nonneg(a, sym_addc(a, d, -1), true, SPLIT_DEPTH) ||
		 prove_nonneg(a, scaled(a, -1, d, -1), true, SPLIT_DEPTH))
		t = T_FALSE;
	arena_free(a);
	return t;
}

/* ---- printing ---- */

enum { P_NONE, P_SUM, P_MUL, P_UNARY, P_ATOM };

static int
prec(const Sym *s)
{
	switch (s->kind) {
	case SYM_CONST:
		return s->c < 0 ? P_UNARY : P_ATOM;
	case SYM_ADD:
		return s->n == 1 && s->c == 0 ? P_MUL : P_SUM;
	case SYM_MUL:
	case SYM_FLOORDIV:
	case SYM_MOD:
		return P_MUL;
	default:
		return P_ATOM;
	}
}

typedef struct Printer {
	StrBuf sb;
	bool c;         /* C syntax (sym_print_c) rather than the text form */
	int nnamed;     /* subexpressions printed as a name (sym_print_c_named) */
	const Sym *const *pats;
	const char *const *names;
} Printer;

static void pr(Printer *p, const Sym *s, int need);

static void
pr_int(Printer *p, int64_t v)
{
	if (!p->c || (v >= INT32_MIN && v <= INT32_MAX))
		sb_printf(&p->sb, "%lld", (long long)v);
	else if (v == INT64_MIN)
		sb_puts(&p->sb, "INT64_MIN");
	else
		sb_printf(&p->sb, "INT64_C(%lld)", (long long)v);
}

static void
pr_mag(Printer *p, uint64_t m)
{
	if (!p->c || m <= INT32_MAX)
		sb_printf(&p->sb, "%llu", (unsigned long long)m);
	else
		sb_printf(&p->sb, "INT64_C(%llu)", (unsigned long long)m);
}

/* One monomial k*t of a sum; `first` when it opens the sum. */
static void
pr_mono(Printer *p, int64_t k, const Sym *t, bool first)
{
	if (p->c && k == INT64_MIN) {
		sb_puts(&p->sb, first ? "INT64_MIN * " : " + INT64_MIN * ");
		pr(p, t, P_UNARY);
		return;
	}
	if (k < 0)
		sb_puts(&p->sb, first ? "-" : " - ");
	else if (!first)
		sb_puts(&p->sb, " + ");
	uint64_t m = mag(k);
	bool mul_ok = t->kind == SYM_MUL;
	if (m == 1) {
		pr(p, t, k < 0 && first && !mul_ok ? P_UNARY : P_MUL);
		return;
	}
	pr_mag(p, m);
	sb_puts(&p->sb, p->c ? " * " : "*");
	pr(p, t, mul_ok ? P_MUL : P_UNARY);
}

/* Positive terms, then negative ones, then the constant; a positive
 * constant goes first when every term is negative ("1 - i"). */
static void
pr_sum(Printer *p, const Sym *s)
{
	bool first = true, anypos = false;
	for (int i = 0; i < s->n; i++)
		anypos |= s->coefs[i] > 0;
	if (!anypos && s->c > 0) {
		pr_int(p, s->c);
		first = false;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < s->n; i++) {
			if ((s->coefs[i] > 0) == (pass == 0)) {
				pr_mono(p, s->coefs[i], s->args[i], first);
				first = false;
			}
		}
	}
	if (s->c == 0 || (!anypos && s->c > 0))
		return;
	if (p->c && s->c == INT64_MIN)
		sb_puts(&p->sb, " + INT64_MIN");
	else {
		sb_puts(&p->sb, s->c < 0 ? " - " : " + ");
		pr_mag(p, mag(s->c));
	}
}

static void
pr_call(Printer *p, const char *fn, Sym **args, int n)
{
	sb_printf(&p->sb, "%s(", fn);
	pr(p, args[0], P_NONE);
	for (int i = 1; i < n; i++) {
		sb_puts(&p->sb, ", ");
		if (p->c && i < n - 1)
			sb_printf(&p->sb, "%s(", fn);
		pr(p, args[i], P_NONE);
	}
	for (int i = 1; i < n && p->c; i++)
		sb_putc(&p->sb, ')');
	if (!p->c)
		sb_putc(&p->sb, ')');
}

static void
pr_binop(Printer *p, const Sym *s, const char *op, const char *fn)
{
	if (p->c) {
		pr_call(p, fn, s->args, 2);
		return;
	}
	pr(p, s->args[0], P_MUL);
	sb_puts(&p->sb, op);
	pr(p, s->args[1], P_ATOM);
}

static void
pr_bare(Printer *p, const Sym *s)
{
	switch (s->kind) {
	case SYM_CONST:
		pr_int(p, s->c);
		break;
	case SYM_VAR:
		sb_puts(&p->sb, s->name);
		break;
	case SYM_ADD:
		pr_sum(p, s);
		break;
	case SYM_MUL:
		for (int i = 0; i < s->n; i++) {
			if (i > 0)
				sb_puts(&p->sb, p->c ? " * " : "*");
			pr(p, s->args[i], P_UNARY);
		}
		break;
	case SYM_FLOORDIV:
		pr_binop(p, s, " // ", "dfc_floordiv");
		break;
	case SYM_MOD:
		pr_binop(p, s, " % ", "dfc_mod");
		break;
	case SYM_MIN:
		pr_call(p, p->c ? "dfc_min" : "min", s->args, s->n);
		break;
	case SYM_MAX:
		pr_call(p, p->c ? "dfc_max" : "max", s->args, s->n);
		break;
	}
}

static void
pr(Printer *p, const Sym *s, int need)
{
	for (int i = 0; i < p->nnamed; i++) {
		if (sym_equal(s, p->pats[i])) {
			sb_puts(&p->sb, p->names[i]);
			return;
		}
	}
	int have = prec(s);
	if (p->c && (s->kind == SYM_FLOORDIV || s->kind == SYM_MOD))
		have = P_ATOM;
	bool paren = have < need;
	if (paren)
		sb_putc(&p->sb, '(');
	pr_bare(p, s);
	if (paren)
		sb_putc(&p->sb, ')');
}

char *
sym_print(Arena *a, const Sym *s)
{
	Printer p = {.c = false};
	sb_init(&p.sb, a);
	pr(&p, s, P_NONE);
	return (char *)sb_str(&p.sb);
}

char *
sym_print_c(Arena *a, const Sym *s)
{
	return sym_print_c_named(a, s, 0, NULL, NULL);
}

char *
sym_print_c_named(Arena *a, const Sym *s, int n, const Sym *const *pats,
		  const char *const *names)
{
	Printer p = {.c = true, .nnamed = n, .pats = pats, .names = names};
	sb_init(&p.sb, a);
	pr(&p, s, P_NONE);
	return (char *)sb_str(&p.sb);
}

/* ---- parsing ----
 * expr    := term (('+' | '-') term)*
 * term    := unary (('*' | '//' | '%') unary)*
 * unary   := ('-' | '+') unary | primary
 * primary := INT | NAME | ('min' | 'max') '(' expr (',' expr)+ ')' | '(' expr ')'
 * Every rule also returns an upper bound of the depth of the tree it built,
 * so that deep inputs are refused before recursion over them could
 * exhaust the stack. */

typedef struct Parser {
	Arena *a;
	const char *s;
	int pos;
	int nest;          /* current nesting of unary/parenthesised rules */
	bool after_minus;  /* the last token was '-' */
	const char *err;
	int errpos;
} Parser;

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static void *
perr(Parser *p, int pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void *
perr(Parser *p, int pos, const char *fmt, ...)
{
	if (!p->err) {
		va_list ap;
		va_start(ap, fmt);
		p->err = arena_vprintf(p->a, fmt, ap);
		va_end(ap);
		p->errpos = pos;
	}
	return NULL;
}

static int
peek(Parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
	       p->s[p->pos] == '\n' || p->s[p->pos] == '\r')
		p->pos++;
	return (unsigned char)p->s[p->pos];
}

static bool
accept(Parser *p, const char *tok)
{
	peek(p);
	size_t n = strlen(tok);
	if (strncmp(p->s + p->pos, tok, n) != 0)
		return false;
	p->pos += (int)n;
	p->after_minus = strcmp(tok, "-") == 0;
	return true;
}

/* What is at the current position, for messages. */
static const char *
found(Parser *p)
{
	int c = peek(p);
	if (c == 0)
		return "end of input";
	if (c >= 0x20 && c < 0x7f)
		return arena_printf(p->a, "'%c'", c);
	return arena_printf(p->a, "byte 0x%02x", (unsigned)c);
}

static Sym *
depth_ok(Parser *p, Sym *s, int est, int pos)
{
	if (s && est > PARSE_DEPTH_MAX)
		return perr(p, pos, "expression too deeply nested");
	return s;
}

static Sym *p_sum(Parser *p, int *est);
static Sym *p_unary(Parser *p, int *est);

static Sym *
p_number(Parser *p, int *est)
{
	int start = p->pos;
	uint64_t v = 0;
	bool big = false;
	while (is_digit(p->s[p->pos])) {
		unsigned d = (unsigned)(p->s[p->pos++] - '0');
		big |= v > (UINT64_MAX - d) / 10;
		v = v * 10 + d;
	}
	if (is_alpha(p->s[p->pos]))
		return perr(p, start, "invalid integer literal");
	/* 2^63 is allowed after '-': it prints as the magnitude of INT64_MIN. */
	if (big || v > (uint64_t)INT64_MAX + (p->after_minus ? 1 : 0))
		return perr(p, start, "integer literal too large");
	p->after_minus = false;
	*est = 1;
	return sym_const(p->a, (int64_t)v);
}

static Sym *
p_call(Parser *p, SymKind kind, const char *fn, int start, int *est)
{
	if (!accept(p, "("))
		return perr(p, p->pos, "expected '(' after '%s', found %s", fn, found(p));
	SymVec args = {0};
	*est = 0;
	do {
		int e;
		Sym *x = p_sum(p, &e);
		if (!x)
			return NULL;
		vec_push(p->a, &args, x);
		*est = e > *est ? e : *est;
	} while (accept(p, ","));
	if (!accept(p, ")"))
		return perr(p, p->pos, "expected ',' or ')', found %s", found(p));
	if (args.len < 2)
		return perr(p, start, "%s() needs at least 2 arguments", fn);
	*est += 1;
	return minmax_n(p->a, kind, args.len, args.data);
}

static Sym *
p_name(Parser *p, int *est)
{
	int start = p->pos;
	while (is_alpha(p->s[p->pos]) || is_digit(p->s[p->pos]))
		p->pos++;
	char *name = arena_strndup(p->a, p->s + start, (size_t)(p->pos - start));
	p->after_minus = false;
	if (strcmp(name, "min") == 0)
		return p_call(p, SYM_MIN, name, start, est);
	if (strcmp(name, "max") == 0)
		return p_call(p, SYM_MAX, name, start, est);
	if (peek(p) == '(')
		return perr(p, start, "unknown function '%s' (only min and max)", name);
	*est = 1;
	return sym_var(p->a, name);
}

static Sym *
p_primary(Parser *p, int *est)
{
	int c = peek(p), start = p->pos;
	if (accept(p, "(")) {
		Sym *s = p_sum(p, est);
		if (s && !accept(p, ")"))
			return perr(p, p->pos, "expected ')', found %s", found(p));
		return s;
	}
	if (is_digit(c))
		return p_number(p, est);
	if (is_alpha(c))
		return p_name(p, est);
	return perr(p, start, "expected an expression, found %s", found(p));
}

static Sym *
p_unary(Parser *p, int *est)
{
	peek(p);
	if (++p->nest > PARSE_NEST_MAX)
		return perr(p, p->pos, "expression nested too deeply");
	Sym *s;
	if (accept(p, "-")) {
		s = p_unary(p, est);
		if (s) {
			s = sym_neg(p->a, s);
			*est += 1;
		}
	} else if (accept(p, "+")) {
		s = p_unary(p, est);
	} else {
		s = p_primary(p, est);
	}
	p->nest--;
	return s;
}

/* Multiplies the factors of a run of '*' (balanced: each level can add
 * two to the depth). */
static Sym *
p_product(Parser *p, Sym **f, int n, int *est)
{
	for (int m = 1; m < n; m *= 2)
		*est += 2;
	return product(p->a, f, 0, n);
}

static Sym *
p_term(Parser *p, int *est)
{
	SymVec run = {0};
	int e;
	Sym *f = p_unary(p, est);
	for (;;) {
		if (!f)
			return NULL;
		vec_push(p->a, &run, f);
		peek(p);
		int oppos = p->pos;
		if (accept(p, "*")) {
			f = p_unary(p, &e);
			*est = e > *est ? e : *est;
			continue;
		}
		bool div = accept(p, "//");
		if (!div && !accept(p, "%")) {
			if (p->s[p->pos] == '/')
				return perr(p, oppos, "'/' is not integer division; use '//'");
			break;
		}
		Sym *lhs = p_product(p, run.data, run.len, est);
		Sym *rhs = p_unary(p, &e);
		int64_t v;
		if (!rhs)
			return NULL;
		if (sym_is_const(rhs, &v) && v == 0)
			return perr(p, oppos, "division by zero");
		f = div ? sym_floordiv(p->a, lhs, rhs) : sym_mod(p->a, lhs, rhs);
		*est = (e > *est ? e : *est) + 3;
		if (!depth_ok(p, f, *est, oppos))
			return NULL;
		run.len = 0;
	}
	return p_product(p, run.data, run.len, est);
}

static Sym *
p_sum(Parser *p, int *est)
{
	Lin l;
	lin_init(&l, p->a);
	int e, start = p->pos;
	Sym *t = p_term(p, est);
	if (!t)
		return NULL;
	lin_add(&l, 1, t);
	for (;;) {
		int sign = 1;
		if (!accept(p, "+")) {
			if (!accept(p, "-"))
				break;
			sign = -1;
		}
		if (!(t = p_term(p, &e)))
			return NULL;
		lin_add(&l, sign, t);
		*est = e > *est ? e : *est;
	}
	*est += 1;
	return depth_ok(p, lin_build(&l), *est, start);
}

Sym *
sym_parse(Arena *a, const char *text, const char **err, int *errpos)
{
	Parser p = {.a = a, .s = text};
	Sym *s = NULL;
	int est;
	if (strlen(text) > INT_MAX / 2)
		perr(&p, 0, "expression too long");
	else if ((s = p_sum(&p, &est)) && peek(&p) != 0)
		s = perr(&p, p.pos, "unexpected %s after the expression", found(&p));
	if (err)
		*err = s ? NULL : p.err;
	if (errpos)
		*errpos = s ? 0 : p.errpos;
	return s;
}

/* ---- evaluation ---- */

typedef struct Env {
	bool (*lookup)(const char *name, int64_t *v, void *ud);
	void *ud;
	bool ok;
} Env;

static int64_t
ev(const Sym *s, Env *env)
{
	int64_t r, y;
	switch (s->kind) {
	case SYM_CONST:
		return s->c;
	case SYM_VAR:
		if (!env->lookup || !env->lookup(s->name, &r, env->ud)) {
			env->ok = false;
			return 0;
		}
		return r;
	case SYM_ADD:
		r = s->c;
		for (int i = 0; i < s->n; i++)
			r = addw(r, mulw(s->coefs[i], ev(s->args[i], env)));
		return r;
	case SYM_MUL:
		r = 1;
		for (int i = 0; i < s->n; i++)
			r = mulw(r, ev(s->args[i], env));
		return r;
	case SYM_FLOORDIV:
	case SYM_MOD:
		r = ev(s->args[0], env);
		if ((y = ev(s->args[1], env)) == 0) {
			env->ok = false;
			return 0;
		}
		return s->kind == SYM_FLOORDIV ? pyfloordiv(r, y) : pymod(r, y);
	case SYM_MIN:
	case SYM_MAX:
		r = ev(s->args[0], env);
		for (int i = 1; i < s->n; i++) {
			y = ev(s->args[i], env);
			r = (s->kind == SYM_MIN) == (y < r) ? y : r;
		}
		return r;
	}
	UNREACHABLE();
}

int64_t
sym_eval(const Sym *s, bool (*lookup)(const char *name, int64_t *v, void *ud),
	 void *ud, bool *ok)
{
	Env env = {lookup, ud, true};
	int64_t r = ev(s, &env);
	if (ok)
		*ok = env.ok;
	return env.ok ? r : 0;
}

/* ---- subsets ---- */

bool
subset_equal(const Subset *x, const Subset *y)
{
	if (x->ndim != y->ndim)
		return false;
	for (int d = 0; d < x->ndim; d++)
		if (!sym_equal(x->r[d].begin, y->r[d].begin) || !sym_equal(x->r[d].end, y->r[d].end) ||
		    !sym_equal(x->r[d].step, y->r[d].step))
			return false;
	return true;
}

bool
range_depends_on(const SymRange *r, const char *name)
{
	return (r->begin && sym_depends_on(r->begin, name)) ||
	       (r->end && sym_depends_on(r->end, name)) || (r->step && sym_depends_on(r->step, name));
}

bool
subset_depends_on(const Subset *s, const char *name)
{
	for (int d = 0; d < s->ndim; d++)
		if (range_depends_on(&s->r[d], name))
			return true;
	return false;
}

Sym *
range_extent(Arena *a, const SymRange *r)
{
	int64_t step;
	Sym *len = sym_sub(a, r->end, r->begin);
	if (sym_is_const(r->step, &step) && step == 1)
		return len;
	return sym_floordiv(a, sym_add(a, len, sym_addc(a, r->step, -1)), r->step);
}

Sym *
subset_volume(Arena *a, const Subset *s)
{
	Sym *v = sym_const(a, 1);
	for (int i = 0; i < s->ndim; i++) {
		SymRange r = s->r[i];
		Sym *len = sym_add(a, sym_sub(a, r.end, r.begin), sym_addc(a, r.step, -1));
		v = sym_mul(a, v, sym_floordiv(a, len, r.step));
	}
	return v;
}

static bool
is_index(Arena *a, SymRange r)
{
	int64_t step, len;
	return sym_is_const(r.step, &step) && step == 1 &&
	       sym_is_const(sym_sub(a, r.end, r.begin), &len) && len == 1;
}

char *
subset_print(Arena *a, const Subset *s)
{
	StrBuf sb;
	sb_init(&sb, a);
	sb_putc(&sb, '[');
	for (int i = 0; i < s->ndim; i++) {
		SymRange r = s->r[i];
		int64_t step;
		if (i > 0)
			sb_puts(&sb, ", ");
		sb_puts(&sb, sym_print(a, r.begin));
		if (is_index(a, r))
			continue;
		sb_printf(&sb, ":%s", sym_print(a, r.end));
		if (!sym_is_const(r.step, &step) || step != 1)
			sb_printf(&sb, ":%s", sym_print(a, r.step));
	}
	sb_putc(&sb, ']');
	return (char *)sb_str(&sb);
}

typedef struct SubsetParser {
	Arena *a;
	const char *text;
	const char *err;
	int errpos;
} SubsetParser;

static bool
sp_err(SubsetParser *sp, int pos, const char *msg)
{
	sp->err = msg;
	sp->errpos = pos;
	return false;
}

static bool
sp_skip_ws(const char *t, int *i)
{
	while (t[*i] == ' ' || t[*i] == '\t' || t[*i] == '\n' || t[*i] == '\r')
		(*i)++;
	return t[*i] != 0;
}

/* Parses text[from, to) as one expression. */
static Sym *
sp_expr(SubsetParser *sp, int from, int to)
{
	const char *e;
	int pos;
	Sym *s = sym_parse(sp->a, arena_strndup(sp->a, sp->text + from, (size_t)(to - from)),
			   &e, &pos);
	if (!s) {
		sp->err = e;
		sp->errpos = from + pos;
	}
	return s;
}

/* One dimension text[from, to): "i", "b:e" or "b:e:s" (colons outside
 * parentheses separate). */
static bool
sp_dim(SubsetParser *sp, int from, int to, SymRange *r)
{
	int cut[4] = {from}, nparts = 1, depth = 0;
	for (int i = from; i < to; i++) {
		char c = sp->text[i];
		depth += (c == '(') - (c == ')' && depth > 0);
		if (c != ':' || depth != 0)
			continue;
		if (nparts == 3)
			return sp_err(sp, i, "too many ':' in a range (begin:end:step)");
		cut[nparts++] = i + 1;
	}
	Sym *part[3];
	for (int k = 0; k < nparts; k++) {
		int end = k + 1 < nparts ? cut[k + 1] - 1 : to;
		if (!(part[k] = sp_expr(sp, cut[k], end)))
			return false;
	}
	r->begin = part[0];
	r->end = nparts > 1 ? part[1] : sym_addc(sp->a, part[0], 1);
	r->step = nparts > 2 ? part[2] : sym_const(sp->a, 1);
	int64_t step;
	if (sym_is_const(r->step, &step) && step <= 0)
		return sp_err(sp, cut[2], "the step of a range must be positive");
	return true;
}

/* Only whitespace may follow the closing ']' at text[i - 1]. */
static bool
sp_end(SubsetParser *sp, int i)
{
	if (sp_skip_ws(sp->text, &i))
		return sp_err(sp, i, "unexpected text after ']'");
	return true;
}

static bool
sp_dims(SubsetParser *sp, int i, Subset *out)
{
	VEC(SymRange) dims = {0};
	int depth = 0, from = i;
	for (;; i++) {
		char c = sp->text[i];
		if (c == 0)
			return sp_err(sp, i, "expected ']' at the end of the subset");
		depth += (c == '(') - (c == ')' && depth > 0);
		if (depth != 0 || (c != ',' && c != ']'))
			continue;
		SymRange r;
		if (!sp_dim(sp, from, i, &r))
			return false;
		vec_push(sp->a, &dims, r);
		from = i + 1;
		if (c == ']')
			break;
	}
	if (!sp_end(sp, i + 1))
		return false;
	out->ndim = dims.len;
	out->r = dims.data;
	return true;
}

bool
subset_parse(Arena *a, const char *text, Subset *out, const char **err, int *errpos)
{
	SubsetParser sp = {a, text, NULL, 0};
	int i = 0;
	bool ok;
	sp_skip_ws(text, &i);
	if (text[i] != '[') {
		ok = sp_err(&sp, i, "expected '[' to open a subset");
	} else {
		int j = i + 1;
		sp_skip_ws(text, &j);
		if (text[j] == ']') {
			*out = (Subset){0, NULL};
			ok = sp_end(&sp, j + 1);
		} else {
			ok = sp_dims(&sp, i + 1, out);
		}
	}
	if (err)
		*err = ok ? NULL : sp.err;
	if (errpos)
		*errpos = ok ? 0 : sp.errpos;
	return ok;
}

Subset
subset_index(Arena *a, int ndim, Sym **idx)
{
	Subset s = {ndim, NULL};
	if (ndim > 0)
		s.r = arena_alloc(a, sizeof(SymRange) * (size_t)ndim);
	for (int i = 0; i < ndim; i++)
		s.r[i] = (SymRange){idx[i], sym_addc(a, idx[i], 1), sym_const(a, 1)};
	return s;
}

Subset
subset_copy(Arena *a, const Subset *s)
{
	Subset t = { s->ndim, NULL };
	if (s->ndim > 0) {
		t.r = arena_alloc(a, sizeof(SymRange) * (size_t)s->ndim);
		memcpy(t.r, s->r, sizeof(SymRange) * (size_t)s->ndim);
	}
	return t;
}

Subset
subset_subst(Arena *a, const Subset *s, const char *name, Sym *value)
{
	Subset t = { .ndim = s->ndim };
	t.r = arena_alloc(a, sizeof(SymRange) * (size_t)(s->ndim + 1));
	for (int d = 0; d < s->ndim; d++) {
		t.r[d].begin = sym_subst(a, s->r[d].begin, name, value);
		t.r[d].end = sym_subst(a, s->r[d].end, name, value);
		t.r[d].step = sym_subst(a, s->r[d].step, name, value);
	}
	return t;
}
