/* passes/unroll_jam.c — unroll-and-jam: a map of two or more parameters
 * whose tasklet, evaluated at consecutive values of the first parameter,
 * computes the same subexpressions again gets the hint map.unroll = U;
 * the OpenMP backend then steps the first parameter's loop by U, and its
 * body holds the U iterations with every load and every subexpression
 * they share computed once (codegen/openmp/state.c, emit_unrolled), the
 * last (fewer than U) iterations in a loop of their own.
 *
 *   map map_L5 [_i0 = 0:N - 2, _i1 = 0:M - 2] cpu_parallel simd
 *     out[_i0, _i1] = (r(_i0) + r(_i0 + 1) + r(_i0 + 2)) / 3.0,
 *     r(i) = (img[i, _i1] + img[i, _i1 + 1] + img[i, _i1 + 2]) / 3.0
 *   ==>
 *   map map_L5 [...] cpu_parallel simd unroll(8)
 *
 *   for (_i0 = 0; _i0 < N - 2 - 7; _i0 += 8)      (omp for nowait)
 *       for (_i1 ...)                               (omp simd)
 *           r(_i0), ..., r(_i0 + 9) once each; the 8 outputs from them
 *   for (_i0 = 8 * ((N - 2) / 8); _i0 < N - 2; _i0++) ... the rest
 *                                                   (omp for, same region)
 *
 * That is what otf-map-fusion's recomputation costs back in a stencil
 * over rows: box_blur's fused body divides 4 times per element, the
 * unrolled one 2.25 times. The values, and the order in which each is
 * evaluated, are those of the plain loop: a shared subexpression is the
 * same tree over the same elements.
 *
 * Sites: one map. Parameter `factor: U` (2 to 16, default 8: box_blur at
 * 3584x3072 on two threads, 12.0 ms plain, 9.4 ms with U = 2, 7.6 with
 * 4, 6.9 with 8). Legality: any map's iterations are independent, and
 * the backend takes the hint only for the form below, so the check is
 * the form and the gain:
 *   - a top-level map of two or more parameters, the first of unit step
 *     and, when constant, of U values or more, not yet unrolled, holding
 *     one tasklet that writes one element per output without WCR, none
 *     of a container it also reads (the unrolled body loads every input
 *     of its U iterations first), and reads no range (no EX_LOAD, no
 *     output index);
 *   - the U copies share work: of the operators the U copies evaluate
 *     that read an element or a map parameter (math functions weighted
 *     as otf-map-fusion weighs them; the rest is the same everywhere,
 *     and the C compiler hoists it), a quarter or more are common
 *     subexpressions of two copies or more (loads alone do not count:
 *     they come from the cache).
 * The matcher lists every map where the check passes with the default
 * factor; -O3 applies it last but one, after the maps have their final
 * bodies and vectorization hints.
 */
#include <string.h>

#include "passes.h"

enum { UNROLL_DEFAULT = 8, UNROLL_MAX = 16 };

static const char *const params[] = { "factor", NULL };

/* The factor asked for in ps, or the default; NULL and *why set when it
 * is not an integer in [2, UNROLL_MAX]. */
static bool
factor_of(Ctx *ctx, const XParams *ps, int *u, const char **why)
{
	*u = UNROLL_DEFAULT;
	for (int i = 0; ps && i < ps->n; i++) {
		const XParam *x = &ps->p[i];
		if (!pass_streq(x->key, "factor"))
			continue;
		if (x->nint != 1 || x->ints[0] < 2 || x->ints[0] > UNROLL_MAX) {
			*why = arena_printf(ctx->arena, "'factor' must be one integer from 2 to %d",
					    UNROLL_MAX);
			return false;
		}
		*u = (int)x->ints[0];
	}
	return true;
}

/* The subtrees of the copies, by their text with every input connector
 * replaced by the element it reads in that copy. */
typedef struct Copies {
	Ctx *ctx;
	const IrState *s;
	int task;
	const IrNode *e;         /* the map entry */
	const char *p;           /* the unrolled param */
	VEC(const char *) keys;
	int total, distinct;     /* operator work: all copies, and counted once */
} Copies;

/* The element that connector conn reads, in the copy at p + u. */
static const char *
element_of(Copies *C, const char *conn, int u)
{
	Arena *a = C->ctx->arena;
	const IrMemlet *m = pass_memlet_into(C->s, C->task, conn);
	Subset sub = subset_subst(a, &m->subset, C->p, sym_addc(a, sym_var(a, C->p), u));
	return arena_printf(a, "%s%s", m->data, subset_print(a, &sub));
}

/* e with its connectors named by the elements they read in copy u. */
static IrExpr *
rename_copy(Copies *C, const IrExpr *e, int u)
{
	Arena *a = C->ctx->arena;
	IrExpr *c = arena_alloc(a, sizeof *c);
	*c = *e;
	if (e->kind == EX_IN)
		c->name = element_of(C, e->name, u);
	if (e->n > 0) {
		c->args = arena_alloc(a, sizeof(IrExpr *) * (size_t)e->n);
		for (int i = 0; i < e->n; i++)
			c->args[i] = rename_copy(C, e->args[i], u);
	}
	return c;
}

/* Does subset s name one of the map's params? */
static bool
names_param(const Copies *C, const Subset *s)
{
	for (int d = 0; d < s->ndim; d++)
		for (int k = 0; k < C->e->map.nparams; k++)
			if (sym_depends_on(s->r[d].begin, C->e->map.params[k]) ||
			    sym_depends_on(s->r[d].end, C->e->map.params[k]))
				return true;
	return false;
}

/* Does e (of the tasklet, before renaming) read an element that depends
 * on the map's params, or use a param as a value? Anything else is the
 * same in every iteration (a scalar, b[0]), and the C compiler hoists it
 * out of the loops by itself. */
static bool
varies(const Copies *C, const IrExpr *e)
{
	if (e->kind == EX_IN)
		return names_param(C, &pass_memlet_into(C->s, C->task, e->name)->subset);
	if (e->kind == EX_SYM) {
		for (int k = 0; k < C->e->map.nparams; k++)
			if (pass_streq(e->name, C->e->map.params[k]))
				return true;
		return false;
	}
	for (int i = 0; i < e->n; i++)
		if (varies(C, e->args[i]))
			return true;
	return false;
}

/* Adds the operator work of e in copy u to C's counts. */
static void
count_work(Copies *C, const IrExpr *e, int u)
{
	for (int i = 0; i < e->n; i++)
		count_work(C, e->args[i], u);
	if (e->kind != EX_OP || !varies(C, e))
		return;
	int w = pass_op_work(e);
	C->total += w;
	if (!dtype_is_float(e->dtype) && !dtype_is_int(e->dtype)) {
		C->distinct += w;       /* the backend shares no bool or complex subtree */
		return;
	}
	const char *k = ir_expr_print(C->ctx->arena, rename_copy(C, e, u));
	for (int i = 0; i < C->keys.len; i++)
		if (strcmp(C->keys.data[i], k) == 0)
			return;
	vec_push(C->ctx->arena, &C->keys, k);
	C->distinct += w;
}

/* The form the backend unrolls (file comment); *task gets the tasklet. */
static const char *
form_reason(Ctx *ctx, const MapRef *r, int *task)
{
	const IrNode *e = pass_map_entry(r);
	const char *why;
	int64_t step;
	if (e->map.unroll > 1)
		return arena_printf(ctx->arena, "'%s' is already unrolled", e->label);
	if (e->map.nparams < 2)
		return arena_printf(ctx->arena, "'%s' has one parameter: unroll-and-jam unrolls the "
				    "first of two or more, the loops inside taking the copies", e->label);
	if (!sym_is_const(e->map.ranges[0].step, &step) || step != 1)
		return arena_printf(ctx->arena, "the first parameter of '%s' does not have unit step",
				    e->label);
	if ((why = pass_fusion_sole_tasklet(ctx, r, "map", task)))
		return why;
	const IrNode *t = &r->state->nodes.data[*task];
	if (ir_expr_uses_sym(t->tasklet.expr, e->map.params[0]))
		return arena_printf(ctx->arena, "the tasklet of '%s' uses %s as a value", e->label,
				    e->map.params[0]);
	for (int i = 0; i < t->tasklet.nin; i++)
		if (ir_expr_loads(t->tasklet.expr, t->tasklet.in[i].name))
			return arena_printf(ctx->arena, "the tasklet of '%s' reads a range of '%s' "
					    "by index", e->label, t->tasklet.in[i].name);
	for (int i = 0; i < r->state->memlets.len; i++) {
		const IrMemlet *m = &r->state->memlets.data[i];
		if (m->src != *task || !m->data)
			continue;
		if (m->wcr != WCR_NONE)
			return arena_printf(ctx->arena, "the tasklet of '%s' accumulates into '%s' "
					    "(WCR %s)", e->label, m->data, ir_wcr_name(m->wcr));
		for (int k = 0; k < r->state->memlets.len; k++) {
			const IrMemlet *x = &r->state->memlets.data[k];
			if (x->dst == *task && pass_streq(x->data, m->data) &&
			    !subset_equal(&x->subset, &m->subset))
				return arena_printf(ctx->arena, "'%s' writes %s%s and reads %s%s: the "
						    "unrolled body reads the elements of all its "
						    "iterations before it writes any", e->label,
						    m->data, subset_print(ctx->arena, &m->subset),
						    x->data, subset_print(ctx->arena, &x->subset));
		}
	}
	return NULL;
}

static const char *
uj_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	MapRef r;
	const char *why = NULL;
	int u, task;
	if (!pass_find_map(site->p, site->names[0], &r))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	if (!factor_of(ctx, ps, &u, &why))
		return why;
	if ((why = form_reason(ctx, &r, &task)))
		return why;
	const IrNode *e = pass_map_entry(&r);
	int64_t trips;
	if (sym_is_const(range_extent(ctx->arena, &e->map.ranges[0]), &trips) && trips < u)
		return arena_printf(ctx->arena, "the first parameter of '%s' takes %lld values, "
				    "fewer than the %d iterations unrolled", e->label,
				    (long long)trips, u);
	Copies C = { .ctx = ctx, .s = r.state, .task = task, .e = e, .p = e->map.params[0] };
	for (int k = 0; k < u; k++)
		count_work(&C, r.state->nodes.data[task].tasklet.expr, k);
	if (C.total == 0 || 4 * (C.total - C.distinct) < C.total)
		return arena_printf(ctx->arena, "%d iterations of '%s' over %s share too little: "
				    "%d of their %d operations repeat one of another iteration, "
				    "less than the quarter worth unrolling for", u, e->label,
				    e->map.params[0], C.total - C.distinct, C.total);
	return NULL;
}

static void
uj_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	MapRef r;
	const char *why = NULL;
	int u;
	if (!pass_find_map(site->p, site->names[0], &r) || !factor_of(ctx, ps, &u, &why))
		ICE("unroll-and-jam applied where it does not apply");
	pass_map_entry(&r)->map.unroll = u;
}

static void
uj_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_unroll_jam, out);
}

const Xform xform_unroll_jam = {
	.name = "unroll-and-jam",
	.desc = "steps a map's first loop by U (factor: U, default 8), its body computing "
		"the U iterations' common subexpressions once",
	.nsites = 1,
	.params = params,
	.match = uj_match,
	.check = uj_check,
	.apply = uj_apply,
};
