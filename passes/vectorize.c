/* passes/vectorize.c — vectorize: asks for `#pragma omp simd` on the loop
 * of a map's last parameter (its innermost, contiguous dimension in the
 * row-major layout the frontend makes), by setting the map entry's simd
 * hint; the OpenMP backend honours it (codegen/openmp/state.c).
 *
 *   map map_L7 [_i0 = 0:N, _i1 = 0:M] cpu_parallel
 *   ==>
 *   map map_L7 [_i0 = 0:N, _i1 = 0:M] cpu_parallel simd      (width: 8 -> simd(8))
 *
 *   #pragma omp parallel for schedule(static)
 *   for (_i0 ...)
 *       #pragma omp simd            (simdlen(8))
 *       for (_i1 ...)
 *
 * A one-parameter parallel map becomes `parallel for simd`. Sites: one
 * map. Parameter `width: N` (a power of two from 2 to 64) adds
 * simdlen(N). Legality: simd lets the iterations of the loop run in
 * lockstep lanes, so every value an iteration uses must be its own:
 *   - the map carries no hint yet, has parameters, and is innermost: its
 *     scope holds only tasklets (at least one) and access nodes;
 *   - no tasklet writes at an indirect index (a scatter) or reads one (a
 *     gather), and none computes // or %, a math function of complex
 *     or integer operands, or one without a vector form (sqrt and the
 *     roundings are instructions, exp, log, tanh... have glibc libmvec
 *     variants that the backend declares): these do not vectorize
 *     without -ffast-math (the hint would only slow the loop down);
 *   - no loop-carried dependence over the last parameter: a 0-d
 *     container plainly written in the scope is read only by tasklets
 *     that the writing tasklet reaches through the scope's memlets (each
 *     iteration reads what it wrote itself; the backend makes it
 *     lastprivate); every other access goes through the exact dependence
 *     test of loop-to-map (depend.h), the last parameter as the loop
 *     variable (its step a constant), the other parameters free for each
 *     access (conservative);
 *   - a WCR write is an accumulation across iterations; it is accepted
 *     only where the backend gives the simd loop a reduction clause: a
 *     cpu_parallel map at the top level of its state (one parameter: its
 *     loop is `parallel for simd`; more: the inner loop accumulates in a
 *     local, codegen/openmp/state.c) or a map nested in another (its
 *     inner loop accumulates in a local: xcorr's sum per lag), every WCR
 *     write at an element that does not depend on the last parameter, to
 *     a container, not complex, that the scope neither reads nor plainly
 *     writes, with one operator (a float32 sum's lanes regroup its
 *     additions as NumPy's pairwise sum does); or, under the same
 *     conditions in a top-level map, at an element that does depend
 *     on the last parameter when every WCR write of the container goes to
 *     that one element, an index of which is c*p + r (c != 0, r free of
 *     the map's params): the lanes update distinct elements and need no
 *     clause (a column sum; the backend gives each thread a private row).
 * The backend writes the logic on bools of a hinted map's tasklets as
 * byte arithmetic, which vectorizes where C's && and || branch
 * (codegen/openmp/state.c); the rules above make that safe.
 * The matcher lists every map where the check passes with no parameters;
 * the -O2 pipeline applies it there (and -O3 again after library
 * expansion), which is where the backend used to place `omp simd` by
 * itself, plus reductions into one element per run of the inner loop.
 */
#include <string.h>

#include "depend.h"

static const char *const params[] = { "width", NULL };

/* The simd hint the parameters ask for (1, or the width); 0 with *why set
 * on a bad width. */
static int
hint_of(Ctx *ctx, const XParams *ps, const char **why)
{
	const XParam *q = pass_param(ps, "width");
	if (!q)
		return 1;
	int64_t w = q->nint == 1 ? q->ints[0] : 0;
	if (q->nint != 1 || w < 2 || w > 64 || (w & (w - 1)) != 0) {
		*why = arena_printf(ctx->arena, "width must be a power of two from 2 to 64, not %s",
				    q->str ? q->str : "a list");
		return 0;
	}
	return (int)w;
}

/* Does math function op have a vector form: an instruction (sqrt, the
 * roundings) or a variant in glibc's libmvec, which the OpenMP backend
 * declares with the simd attribute (codegen/openmp/expr.c, vmath_fns;
 * pow of floats with a constant integer exponent is dfc_powi, plain
 * multiplications)? */
static bool
vector_fn(IrOp op)
{
	switch (op) {
	case OP_SQRT: case OP_FLOOR: case OP_CEIL: case OP_TRUNC: case OP_RINT:
	case OP_EXP: case OP_LOG: case OP_SIN: case OP_COS: case OP_POW:
	case OP_TAN: case OP_TANH: case OP_ASIN: case OP_ACOS: case OP_ATAN:
	case OP_SINH: case OP_COSH: case OP_ASINH: case OP_ACOSH: case OP_ATANH:
	case OP_EXP2: case OP_EXPM1: case OP_LOG2: case OP_LOG10: case OP_LOG1P:
	case OP_CBRT: case OP_HYPOT: case OP_ATAN2:
		return true;
	default:
		return false;
	}
}

/* Is call e of a math function one with a vector form: the function has
 * one, e is a real float (an integer pow is a loop of multiplications)
 * and no operand is complex (libm's c* functions have none)? */
static bool
vector_call(const IrExpr *e)
{
	if (!vector_fn(e->op) || !dtype_is_float(e->dtype))
		return false;
	for (int i = 0; i < e->n; i++)
		if (dtype_is_complex(e->args[i]->dtype))
			return false;
	return true;
}

/* The first operator of e that does not vectorize without -ffast-math
 * (a math function with no vector form, //, %) or at all (fits, which
 * records a failure), or NULL. */
static const char *
costly_op(const IrExpr *e)
{
	if (e->kind == EX_OP) {
		OpClass c = ir_op_class(e->op);
		if ((((c == OPC_FN && e->op != OP_DIV && e->op != OP_COMPLEX) || e->op == OP_POW) &&
		     !vector_call(e)) || e->op == OP_FLOORDIV || e->op == OP_MOD ||
		    e->op == OP_FITS)
			return ir_op_name(e->op);
	}
	for (int i = 0; i < e->n; i++) {
		const char *op = costly_op(e->args[i]);
		if (op)
			return op;
	}
	return NULL;
}

/* The body rules: innermost, only vectorizable tasklets. */
static const char *
body_reason(Ctx *ctx, const MapRef *r, const bool *in)
{
	const IrState *s = r->state;
	const char *label = s->nodes.data[r->entry].label;
	int ntasklets = 0;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (!in[i] || n->kind == IRN_ACCESS)
			continue;
		if (n->kind == IRN_MAP_ENTRY)
			return arena_printf(ctx->arena, "'%s' is not innermost: it holds the map '%s'",
					    label, n->label ? n->label : "(unnamed)");
		if (n->kind != IRN_TASKLET)
			return arena_printf(ctx->arena, "'%s' holds a %s node", label,
					    ir_node_kind_name(n->kind));
		const char *op = costly_op(n->tasklet.expr);
		if (op)
			return arena_printf(ctx->arena, "the body of '%s' calls '%s', which does not "
					    "vectorize without -ffast-math", label, op);
		if (n->tasklet.nout_index > 0 || ir_expr_has_load(n->tasklet.expr))
			return arena_printf(ctx->arena, "the body of '%s' %s at an indirect index",
					    label, n->tasklet.nout_index > 0 ? "writes" : "reads");
		ntasklets++;
	}
	if (ntasklets == 0)
		return arena_printf(ctx->arena, "'%s' holds no tasklet", label);
	return NULL;
}

/* Is memlet m inside the scope (both ends in it, or its entry/exit)? */
static bool
inner(const MapRef *r, const bool *in, const IrMemlet *m)
{
	int exit = r->state->nodes.data[r->entry].map.exit;
	return (in[m->src] || m->src == r->entry) && (in[m->dst] || m->dst == exit);
}

static bool
is_tasklet(const IrState *s, int id)
{
	return s->nodes.data[id].kind == IRN_TASKLET;
}

/* The loop-carried dependence through the 0-d container written by
 * memlet w inside the scope: a read that the writer does not reach. */
static const char *
carried_scalar(Ctx *ctx, const MapRef *r, const bool *in, const IrMemlet *w)
{
	const IrState *s = r->state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!pass_streq(m->data, w->data) || !inner(r, in, m) || !is_tasklet(s, m->dst))
			continue;
		/* reached through memlets inside the scope: an iteration runs
		 * the read after the write */
		if (!ir_state_reaches(ctx->arena, s, in, w->src, m->dst))
			return arena_printf(ctx->arena, "'%s' is read before it is written in an "
					    "iteration: it carries a value from one iteration to the "
					    "next", w->data);
	}
	return NULL;
}

/* Is container x plainly written in the scope as a 0-d container? */
static bool
scalar_written(const MapRef *r, const bool *in, const char *x)
{
	const IrState *s = r->state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (pass_streq(m->data, x) && in[m->src] && is_tasklet(s, m->src) &&
		    m->wcr == WCR_NONE && m->subset.ndim == 0)
			return true;
	}
	return false;
}

/* The accesses of the scope, but those of 0-d containers written in it,
 * with the last parameter taken out of their params (it is the loop
 * variable of the dependence test); then the test. */
static const char *
carried_arrays(Ctx *ctx, const IrProgram *p, const MapRef *r, const bool *in)
{
	const IrNode *e = &r->state->nodes.data[r->entry];
	const char *var = e->map.params[e->map.nparams - 1];
	const SymRange *vr = &e->map.ranges[e->map.nparams - 1];
	int64_t step;
	if (!sym_is_const(vr->step, &step))
		return arena_printf(ctx->arena, "the step of %s is not a constant, which the "
				    "dependence test needs", var);
	DepAccessList all = { 0 }, acc = { 0 };
	dep_collect_state(ctx, r->state, &all);
	for (int i = 0; i < all.len; i++) {
		DepAccess x = all.data[i];
		if (!in[x.node] || scalar_written(r, in, x.data))
			continue;
		size_t n = (size_t)x.nparams + 1;
		const char **ps = arena_alloc(ctx->arena, sizeof(char *) * n);
		SymRange *rs = arena_alloc(ctx->arena, sizeof(SymRange) * n);
		int k = 0;
		for (int j = 0; j < x.nparams; j++)
			if (strcmp(x.params[j], var) != 0) {
				ps[k] = x.params[j];
				rs[k++] = x.ranges[j];
			}
		x.params = ps;
		x.ranges = rs;
		x.nparams = k;
		vec_push(ctx->arena, &acc, x);
	}
	DepLoop L = { var, vr->begin, vr->end, step, p };
	return dep_loop_carried(ctx, &L, acc.data, acc.len);
}

/* Does the subset depend on parameter p? */
static bool
varies_on(const Subset *sub, const char *p)
{
	for (int d = 0; d < sub->ndim; d++)
		if (sym_depends_on(sub->r[d].begin, p) || sym_depends_on(sub->r[d].end, p))
			return true;
	return false;
}

static bool
same_subset(const Subset *x, const Subset *y)
{
	if (x->ndim != y->ndim)
		return false;
	for (int d = 0; d < x->ndim; d++)
		if (!sym_equal(x->r[d].begin, y->r[d].begin) || !sym_equal(x->r[d].end, y->r[d].end))
			return false;
	return true;
}

/* Is index sym x c*p + r with c != 0 and r free of every param of e? */
static bool
lane_index(Arena *a, const IrNode *e, const Sym *x, const char *p)
{
	int64_t coef;
	if (!sym_coef_of(x, p, &coef) || coef == 0)
		return false;
	Sym *rest = sym_sub(a, (Sym *)x, sym_mul(a, sym_const(a, coef), sym_var(a, p)));
	for (int k = 0; k < e->map.nparams; k++)
		if (sym_depends_on(rest, e->map.params[k]))
			return false;
	return true;
}

/* Does every WCR write of w's container in the scope go to w's element,
 * a single one with an index c*p + r (c != 0, r free of the map's
 * params)? Then the lanes of the loop over p update distinct elements
 * (a column sum: out[j] += A[i, j] over j), and no clause is needed. */
static bool
lane_elements(Arena *a, const MapRef *r, const bool *in, const IrMemlet *w, const char *p)
{
	const IrState *s = r->state;
	const IrNode *e = &s->nodes.data[r->entry];
	bool lane = false;
	for (int d = 0; d < w->subset.ndim; d++) {
		const SymRange *x = &w->subset.r[d];
		if (!sym_equal(x->end, sym_addc(a, x->begin, 1)))
			return false;
		lane = lane || lane_index(a, e, x->begin, p);
	}
	for (int i = 0; i < s->memlets.len && lane; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (pass_streq(m->data, w->data) && in[m->src] && is_tasklet(s, m->src) &&
		    !same_subset(&m->subset, &w->subset))
			return false;
	}
	return lane;
}

/* Can the backend vectorize the loop over WCR write w: a reduction
 * clause for an element fixed in the loop, none for one per lane? */
static const char *
reduction_reason(Ctx *ctx, const XSite *site, const MapRef *r, const bool *in,
		 const IrMemlet *w)
{
	Arena *a = ctx->arena;
	const IrState *s = r->state;
	const IrNode *e = &s->nodes.data[r->entry];
	const char *p = e->map.params[e->map.nparams - 1];
	const IrContainer *c = ir_program_find_container(site->p, w->data);
	bool varies = varies_on(&w->subset, p);
	bool nested = ir_state_scope_of(s, r->entry) >= 0;
	if ((!nested && e->map.schedule != SCHED_CPU_PARALLEL) ||
	    (varies && (nested || !lane_elements(a, r, in, w, p))) ||
	    (c && dtype_is_complex(c->dtype)))
		return arena_printf(a, "the loop over %s accumulates into %s%s (%s), and the "
				    "backend gives its simd loop no reduction clause there (only "
				    "one reducing into one element per run of that loop, or, in a "
				    "parallel map at the top level, into one element per iteration "
				    "of it; not complex)", p, w->data,
				    subset_print(a, &w->subset), ir_wcr_name(w->wcr));
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!pass_streq(m->data, w->data) || !inner(r, in, m))
			continue;
		if (is_tasklet(s, m->dst) || (is_tasklet(s, m->src) && m->wcr != w->wcr))
			return arena_printf(a, "'%s' is reduced and also %s in '%s'", w->data,
					    is_tasklet(s, m->dst) ? "read" :
					    m->wcr == WCR_NONE ? "overwritten" : "reduced with another operator",
					    e->label);
	}
	return NULL;
}

static const char *
vec_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	MapRef r;
	const char *why = NULL;
	if (!pass_find_map(site->p, site->names[0], &r))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	if (!hint_of(ctx, ps, &why))
		return why;
	const IrState *s = r.state;
	const IrNode *e = &s->nodes.data[r.entry];
	if (e->map.simd)
		return arena_printf(ctx->arena, "'%s' already carries a vectorization hint", e->label);
	if (e->map.nparams == 0)
		return arena_printf(ctx->arena, "'%s' has no parameters", e->label);
	bool *in = ir_state_scope_members(ctx->arena, s, r.entry);
	if ((why = body_reason(ctx, &r, in)))
		return why;
	for (int i = 0; i < s->memlets.len && !why; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!m->data || !in[m->src] || !is_tasklet(s, m->src))
			continue;
		if (m->wcr != WCR_NONE)
			why = reduction_reason(ctx, site, &r, in, m);
		else if (m->subset.ndim == 0)
			why = carried_scalar(ctx, &r, in, m);
	}
	return why ? why : carried_arrays(ctx, site->p, &r, in);
}

static void
vec_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	MapRef r;
	const char *why = NULL;
	if (!pass_find_map(site->p, site->names[0], &r))
		ICE("vectorize applied where it does not apply");
	r.state->nodes.data[r.entry].map.simd = hint_of(ctx, ps, &why);
}

static void
vec_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_vectorize, out);
}

const Xform xform_vectorize = {
	.name = "vectorize",
	.desc = "asks for omp simd on the loop of a map's last parameter "
		"(width: N adds simdlen(N))",
	.nsites = 1,
	.params = params,
	.match = vec_match,
	.check = vec_check,
	.apply = vec_apply,
};
