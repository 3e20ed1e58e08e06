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

/* The value numbers of the copies' subtrees: a subtree's number stands
 * for its operator, dtype and its operands' numbers, a connector's for
 * the element it reads in that copy, so equal numbers are equal values. */
typedef struct Copies {
	Ctx *ctx;
	const IrState *s;
	const IrNode *t;         /* the tasklet */
	int task;
	const IrNode *e;         /* the map entry */
	const char *p;           /* the unrolled param */
	StrIds ids;
	const char **elem;       /* elem[u * nin + i]: connector i's element in copy u */
	bool *var;               /* var[i]: connector i's element varies with the params */
	int total, distinct;     /* operator work: all copies, and counted once */
} Copies;

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

/* Fills C->elem and C->var for u copies. */
static void
copies_init(Copies *C, int u)
{
	Arena *a = C->ctx->arena;
	int nin = C->t->tasklet.nin;
	C->elem = arena_alloc(a, sizeof(char *) * (size_t)(u * nin + 1));
	C->var = arena_alloc(a, sizeof(bool) * (size_t)(nin + 1));
	for (int i = 0; i < nin; i++) {
		if (!ir_expr_reads(C->t->tasklet.expr, C->t->tasklet.in[i].name))
			continue;
		const IrMemlet *m = pass_memlet_into(C->s, C->task, C->t->tasklet.in[i].name);
		C->var[i] = names_param(C, &m->subset);
		for (int k = 0; k < u; k++) {
			Subset sub = subset_subst(a, &m->subset, C->p,
						  sym_addc(a, sym_var(a, C->p), k));
			C->elem[k * nin + i] = arena_printf(a, "%s%s", m->data, subset_print(a, &sub));
		}
	}
}

/* The value number of e in copy u; *var tells whether e reads an element
 * whose index depends on the map's params or uses a param (anything else
 * is the same in every iteration, a scalar or b[0], and the C compiler
 * hoists it out of the loops by itself). Adds the work of e's varying
 * operators to C's counts, to distinct only where the number is new. */
static int
number(Copies *C, const IrExpr *e, int u, bool *var)
{
	Arena *a = C->ctx->arena;
	int nin = C->t->tasklet.nin;
	*var = false;
	if (e->kind == EX_IN) {
		for (int i = 0; i < nin; i++)
			if (pass_streq(C->t->tasklet.in[i].name, e->name)) {
				*var = C->var[i];
				return strids_get(a, &C->ids, arena_printf(a, "in:%s",
						  C->elem[u * nin + i]), NULL);
			}
		ICE("tasklet input '%s' is not a connector", e->name);
	}
	if (e->n == 0) {
		for (int k = 0; e->kind == EX_SYM && k < C->e->map.nparams; k++)
			*var = *var || pass_streq(e->name, C->e->map.params[k]);
		return strids_get(a, &C->ids, ir_expr_print(a, e), NULL);
	}
	int *ids = arena_alloc(a, sizeof(int) * (size_t)e->n);
	for (int i = 0; i < e->n; i++) {
		bool v;
		ids[i] = number(C, e->args[i], u, &v);
		*var = *var || v;
	}
	bool fresh;
	int id = strids_get(a, &C->ids, ir_expr_vn_key(a, e, ids), &fresh);
	if (*var && e->kind == EX_OP) {
		int w = pass_op_work(e);
		C->total += w;
		/* the backend shares no bool or complex subtree */
		if (fresh || (!dtype_is_float(e->dtype) && !dtype_is_int(e->dtype)))
			C->distinct += w;
	}
	return id;
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

/* Can two of the u copies compute a common value at all: does the
 * expression use another param as a value, or some input read an element
 * that varies with the other params only (every copy computes with them
 * alike), or do two inputs read one container at elements p + k apart
 * (0 < k < u)? Most maps answer no, quickly, before the copies are
 * numbered. */
static bool
may_share(Copies *C, int u)
{
	Arena *a = C->ctx->arena;
	const IrNode *t = C->t;
	for (int k = 1; k < C->e->map.nparams; k++)
		if (ir_expr_uses_sym(t->tasklet.expr, C->e->map.params[k]))
			return true;
	for (int i = 0; i < t->tasklet.nin; i++) {
		if (!ir_expr_reads(t->tasklet.expr, t->tasklet.in[i].name))
			continue;
		const IrMemlet *m = pass_memlet_into(C->s, C->task, t->tasklet.in[i].name);
		bool on_p = false;
		for (int d = 0; d < m->subset.ndim; d++)
			on_p = on_p || sym_depends_on(m->subset.r[d].begin, C->p);
		if (!on_p && names_param(C, &m->subset))
			return true;
		for (int j = 0; on_p && j < t->tasklet.nin; j++) {
			if (j == i || !ir_expr_reads(t->tasklet.expr, t->tasklet.in[j].name))
				continue;
			const IrMemlet *x = pass_memlet_into(C->s, C->task, t->tasklet.in[j].name);
			if (!pass_streq(x->data, m->data))
				continue;
			for (int k = 1; k < u; k++) {
				Subset sh = subset_subst(a, &m->subset, C->p,
							 sym_addc(a, sym_var(a, C->p), k));
				if (subset_equal(&sh, &x->subset))
					return true;
			}
		}
	}
	return false;
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
	Copies C = { .ctx = ctx, .s = r.state, .t = &r.state->nodes.data[task], .task = task,
		     .e = e, .p = e->map.params[0] };
	if (!may_share(&C, u))
		return arena_printf(ctx->arena, "no two of %d iterations of '%s' over %s read a "
				    "common element, nor does any read one that the others read too: "
				    "they share no work", u, e->label, e->map.params[0]);
	copies_init(&C, u);
	for (int k = 0; k < u; k++) {
		bool v;
		number(&C, C.t->tasklet.expr, k, &v);
	}
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
