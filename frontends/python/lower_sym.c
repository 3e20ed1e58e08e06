/* frontends/python/lower_sym.c — symbolic integers: what holds of them
 * over the enclosing loops, and integers computed at run time.
 *
 * Sizes, bounds, indices and steps are Syms over the program's size
 * symbols, integer parameters and loop variables. lw_provable_le and
 * lw_upper_bound reason over the enclosing loops' ranges (each variable
 * replaced by the end of its range that makes the difference smallest);
 * what is not provable but is a natural precondition of the call ("the
 * sizes are large enough") is recorded with ir_program_assume, for the
 * wrapper to check. An integer computed at run time (a 0-d integer array
 * or scalar) used as a bound, a size or a step is materialised and
 * assigned to fresh symbols (CF_ASSIGN), in scope for the rest of its
 * block list.
 */
#include <string.h>

#include "lower.h"

/* ---- integers computed at run time ---- */

bool
lw_is_runtime_int(const Value *v)
{
	return (v->kind == V_ARRAY || v->kind == V_EXPR) && v->ndim == 0 &&
	       (dtype_is_int(v->dtype) || v->dtype == DT_BOOL);
}

bool
lw_is_runtime_sym(Lower *L, const char *name)
{
	for (int i = 0; i < L->rtsyms.len; i++)
		if (strcmp(L->rtsyms.data[i], name) == 0)
			return true;
	return false;
}

/* A fresh symbol assigned from container data (negated when neg). */
static Sym *
assign_runtime(Lower *L, const char *data, bool neg, SrcLoc loc)
{
	const char *base = arena_printf(L->a, "%s_%s", data, neg ? "neg" : "pos");
	const char *n = ir_program_fresh_name(L->ctx, L->p, base);
	for (int k = 1; ; k++) {
		bool used = false;
		for (int i = 0; i < L->rtall.len && !used; i++)
			used = strcmp(L->rtall.data[i], n) == 0;
		for (int i = 0; i < L->loops.len && !used; i++)
			used = strcmp(L->loops.data[i].var, n) == 0;
		if (!used)
			break;
		n = ir_program_fresh_name(L->ctx, L->p, arena_printf(L->a, "%s_%d", base, k));
	}
	lw_append(L, ir_block_assign_from(L->ctx, n, data, neg, loc));
	vec_push(L->a, &L->rtsyms, n);
	vec_push(L->a, &L->rtall, n);
	return sym_var(L->a, n);
}

/* The integer computed at run time v as symbols (see lw_as_sym). A 0-d
 * container is read as it is when the symbols are assigned, so later
 * writes to it do not change them. */
static Sym *
runtime_sym(Lower *L, Value *v, SrcLoc loc)
{
	if (v->kind != V_ARRAY || v->cdim != 0)
		v = lw_materialize(L, v, "rt");
	Sym *pos = assign_runtime(L, v->data, false, loc);
	if (dtype_is_unsigned(v->dtype) || v->dtype == DT_BOOL)
		return pos;
	return sym_sub(L->a, pos, assign_runtime(L, v->data, true, loc));
}

Sym *
lw_as_size(Lower *L, Value *v, SrcLoc loc, const char *what)
{
	if (!lw_is_runtime_int(v))
		return lw_as_sym(L, v, loc, what);
	if (v->kind != V_ARRAY || v->cdim != 0)
		v = lw_materialize(L, v, "rt");
	return assign_runtime(L, v->data, false, loc);
}

/* v as a symbolic integer: int constants, symbols, and integers computed
 * at run time (assigned to symbols here). */
Sym *
lw_as_sym(Lower *L, Value *v, SrcLoc loc, const char *what)
{
	if (v->kind == V_SYM)
		return v->sym;
	if (v->kind == V_CONST && (dtype_is_int(v->dtype) || v->dtype == DT_BOOL))
		return sym_const(L->a, v->ival);
	if (lw_is_runtime_int(v))
		return runtime_sym(L, v, loc);
	diag_fatal(L->ctx, loc, "expected an integer %s", what);
}

/* ---- what holds over the enclosing loops ---- */

static void
note_var(const char *name, void *ud)
{
	void **u = ud;
	Lower *L = u[0];
	if (!ir_program_has_symbol(L->p, name) && !u[1])
		u[1] = (void *)name;
}

/* The first variable of s that is not a size symbol of the program. */
const char *
lw_non_program_var(Lower *L, Sym *s)
{
	void *ud[2] = { L, NULL };
	sym_foreach_var(s, note_var, ud);
	return ud[1];
}

static void
note_unfixed(const char *name, void *ud)
{
	void **u = ud;
	Lower *L = u[0];
	if (!ir_program_has_symbol(L->p, name) && !lw_is_runtime_sym(L, name) && !u[1])
		u[1] = (void *)name;
}

/* The first variable of s that changes inside the current block list
 * (no size symbol, no symbol assigned from a run-time integer in scope:
 * loop variables). */
const char *
lw_unfixed_var(Lower *L, Sym *s)
{
	void *ud[2] = { L, NULL };
	sym_foreach_var(s, note_unfixed, ud);
	return ud[1];
}

/* May d >= 0 be assumed of a call rather than enforced? Only for "the
 * sizes are large enough" (N - 2 >= 0 for A[1:-1], N - k >= 0 for
 * x[:N - k]): d is over size symbols and integer parameters only, has a
 * term with a positive coefficient, no modulo, and a constant term >= -16.
 * Anything else (a[2:100], a[-1:1]) is clamped as NumPy does. */
static bool
natural_assumption(Lower *L, Sym *d)
{
	if (lw_non_program_var(L, d))
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

static Sym *loop_extreme(Lower *L, Sym *s, bool want_min);

/* Assumes x >= 0 of the call when that is a natural precondition for every
 * value of the enclosing loop variables: x at its smallest over their
 * ranges (x[d:d + N - 2] for d in range(3) needs N - 2 >= 0). */
bool
lw_assume_natural(Lower *L, Sym *x, SrcLoc loc)
{
	Sym *m = loop_extreme(L, x, true);
	if (!m || !natural_assumption(L, m))
		return false;
	ir_program_assume(L->ctx, L->p, m, loc);
	return true;
}

static bool loop_bounds(Lower *L, const Sym *s, Sym **lo, Sym **hi);

/* lower.h */
bool
lw_assume_between(Lower *L, Sym *x, int64_t lo, int64_t hi, SrcLoc loc)
{
	/* a bound of int64 (uint64's top is clamped to it) holds of every
	 * value: no condition, whose constant would overflow */
	bool has_lo = lo != INT64_MIN, has_hi = hi != INT64_MAX;
	Sym *zero = sym_const(L->a, 0);
	Sym *below = has_lo ? loop_extreme(L, sym_addc(L->a, x, -lo), true) : zero;
	Sym *above = has_hi ? loop_extreme(L, sym_addc(L->a, sym_neg(L->a, x), hi), true) : zero;
	Sym *min, *max;
	if ((!below || !above) && loop_bounds(L, x, &min, &max)) {
		/* not affine in a loop variable (i * i, i * j): bounds of it */
		below = has_lo ? sym_addc(L->a, min, -lo) : zero;
		above = has_hi ? sym_addc(L->a, sym_neg(L->a, max), hi) : zero;
	}
	if (!below || !above || lw_non_program_var(L, below) || lw_non_program_var(L, above))
		return false;
	if (!lw_provable_le(L, zero, below))
		ir_program_assume(L->ctx, L->p, below, loc);
	if (!lw_provable_le(L, zero, above))
		ir_program_assume(L->ctx, L->p, above, loc);
	return true;
}

/* The values loop f's variable takes inside the loop: [*lo, *hi]. */
static void
loop_range(Arena *a, const LoopFact *f, Sym **lo, Sym **hi)
{
	if (f->step > 0) {
		*lo = f->start;
		*hi = sym_addc(a, f->stop, -1);
	} else if (f->step == 0) {   /* either direction */
		*lo = sym_min(a, f->start, sym_addc(a, f->stop, 1));
		*hi = sym_max(a, f->start, sym_addc(a, f->stop, -1));
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

/* The loop f of variable name, or NULL. */
static const LoopFact *
loop_of(Lower *L, const char *name)
{
	for (int i = L->loops.len - 1; i >= 0; i--)
		if (strcmp(L->loops.data[i].var, name) == 0)
			return &L->loops.data[i];
	return NULL;
}

/* [*lo, *hi] holds every value of s over the ranges of the enclosing loop
 * variables (interval arithmetic: exact for an affine s, a superset for
 * i * i); false for a floordiv or mod by anything but a positive constant. */
static bool
loop_bounds(Lower *L, const Sym *s, Sym **lo, Sym **hi)
{
	Arena *a = L->a;
	Sym *l, *h, *l2, *h2;
	int64_t c;
	const LoopFact *f;
	switch (s->kind) {
	case SYM_CONST:
		*lo = *hi = (Sym *)s;
		return true;
	case SYM_VAR:
		if (!(f = loop_of(L, s->name))) {
			*lo = *hi = (Sym *)s;
			return true;
		}
		loop_range(a, f, &l, &h);
		return loop_bounds(L, l, lo, &l2) && loop_bounds(L, h, &h2, hi);
	case SYM_ADD:
		*lo = *hi = sym_const(a, s->c);
		for (int i = 0; i < s->n; i++) {
			if (!loop_bounds(L, s->args[i], &l, &h))
				return false;
			Sym *k = sym_const(a, s->coefs[i]);
			*lo = sym_add(a, *lo, sym_mul(a, k, s->coefs[i] > 0 ? l : h));
			*hi = sym_add(a, *hi, sym_mul(a, k, s->coefs[i] > 0 ? h : l));
		}
		return true;
	case SYM_MUL:
		if (!loop_bounds(L, s->args[0], lo, hi))
			return false;
		for (int i = 1; i < s->n; i++) {
			if (!loop_bounds(L, s->args[i], &l, &h))
				return false;
			Sym *p[4] = { sym_mul(a, *lo, l), sym_mul(a, *lo, h), sym_mul(a, *hi, l),
				      sym_mul(a, *hi, h) };
			*lo = sym_min(a, sym_min(a, p[0], p[1]), sym_min(a, p[2], p[3]));
			*hi = sym_max(a, sym_max(a, p[0], p[1]), sym_max(a, p[2], p[3]));
		}
		return true;
	case SYM_FLOORDIV:
	case SYM_MOD:
		if (!sym_is_const(s->args[1], &c) || c <= 0 || !loop_bounds(L, s->args[0], &l, &h))
			return false;
		if (s->kind == SYM_MOD) {
			*lo = sym_const(a, 0);
			*hi = sym_const(a, c - 1);
		} else {
			*lo = sym_floordiv(a, l, s->args[1]);
			*hi = sym_floordiv(a, h, s->args[1]);
		}
		return true;
	case SYM_MIN:
	case SYM_MAX:
		for (int i = 0; i < s->n; i++) {
			if (!loop_bounds(L, s->args[i], &l, &h))
				return false;
			bool mn = s->kind == SYM_MIN;
			*lo = i == 0 ? l : mn ? sym_min(a, *lo, l) : sym_max(a, *lo, l);
			*hi = i == 0 ? h : mn ? sym_min(a, *hi, h) : sym_max(a, *hi, h);
		}
		return true;
	}
	return false;
}

bool
lw_provable_le(Lower *L, Sym *x, Sym *y)
{
	Sym *d = loop_extreme(L, sym_sub(L->a, y, x), true);
	return d && !lw_unfixed_var(L, d) && sym_le(sym_const(L->a, 0), d) == T_TRUE;
}

bool
lw_require_equal(Lower *L, Sym *x, Sym *y, SrcLoc loc)
{
	if (sym_equal(x, y))
		return true;
	Sym *d = sym_sub(L->a, x, y);
	int64_t c;
	if (sym_is_const(d, &c) || (x->kind == SYM_VAR && y->kind == SYM_VAR) ||
	    lw_non_program_var(L, x) || lw_non_program_var(L, y))
		return false;
	ir_program_assume(L->ctx, L->p, d, loc);
	ir_program_assume(L->ctx, L->p, sym_neg(L->a, d), loc);
	return true;
}

Sym *
lw_upper_bound(Lower *L, Sym *s)
{
	Sym *u = loop_extreme(L, s, false);
	return u && !lw_unfixed_var(L, u) ? u : NULL;
}

/* The direction of a loop over range(start, stop, s): 1 or -1, 0 when
 * it is known only at run time (the emitted loop tests the sign). A
 * constant 0 is an error, as range() raises ValueError. A step over
 * integer parameters whose sign is not provable must be nonzero, a
 * precondition of the call (s - 1 >= 0 when s >= 0 is provable, -s - 1 >= 0
 * when s <= 0 is, else max(s, -s) - 1 >= 0): the wrapper raises ValueError
 * for 0 as range() does. Other steps (loop variables, integers computed
 * at run time) that are 0 when the loop starts make it run no iteration. */
int
lw_range_step_sign(Lower *L, Sym *s, SrcLoc loc)
{
	Arena *a = L->a;
	int64_t c;
	Sym *zero = sym_const(a, 0);
	if (sym_is_const(s, &c)) {
		if (c == 0)
			diag_fatal(L->ctx, loc, "range() step cannot be zero");
		return c > 0 ? 1 : -1;
	}
	if (lw_provable_le(L, sym_const(a, 1), s))
		return 1;
	if (lw_provable_le(L, s, sym_const(a, -1)))
		return -1;
	if (lw_non_program_var(L, s))
		return 0;
	if (lw_provable_le(L, zero, s)) {
		ir_program_assume(L->ctx, L->p, sym_addc(a, s, -1), loc);
		return 1;
	}
	if (lw_provable_le(L, s, zero)) {
		ir_program_assume(L->ctx, L->p, sym_addc(a, sym_neg(a, s), -1), loc);
		return -1;
	}
	ir_program_assume(L->ctx, L->p, sym_addc(a, sym_max(a, s, sym_neg(a, s)), -1), loc);
	return 0;
}
