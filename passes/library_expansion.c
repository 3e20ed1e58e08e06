/* passes/library_expansion.c — library-expansion: choose how the library
 * nodes of a state are expanded, naive loops or BLAS.
 *
 * The site is a state (its stable name, e.g. "state_L10"); every library
 * node of that state gets IrNode.lib.impl = the `impl` parameter ("naive"
 * or "blas", default "blas"). The OpenMP backend emits the naive loop nest
 * for "naive" and CBLAS calls (gemm, gemv, dot) for "blas".
 *
 * Legality. "naive" is always legal. "blas" is legal for a matmul when
 *   - both operands and the output have one dtype, float32 or float64
 *     (cblas_s* / cblas_d*);
 *   - the output overwrites (WCR none: beta = 0), accumulates (WCR sum:
 *     beta = 1) or is scaled by a _beta input, and is not one of the
 *     operands (an _alpha input scales the product: BLAS's alpha);
 *   - every operand and the output is a row-major container (so a row
 *     stride is at least a row's length and can be BLAS's leading
 *     dimension), and every 2-D view has unit stride along its rows (a
 *     subset step of 1 in the dimension it runs along, which has stride 1),
 *     or, for an operand, unit stride down its columns (a matmul that reads
 *     it transposed, lib.trans: CblasTrans); 1-D views may have any stride
 *     (BLAS's incx);
 *   - the node is not inside a parallel map or a parallel loop
 *     (loop-parallelize; BLAS calls are made from outside OpenMP parallel
 *     regions only).
 * Operand ranks and views come from ir_matmul_operands (ir/matmul.c), the
 * analysis the backend emits from, so check accepts exactly what the
 * backend can call BLAS for.
 *
 * The matcher (and so the -O3 pipeline) proposes BLAS only where it wins:
 * for products with a matrix operand; dots stay naive (blas_wins). A
 * recipe may still ask for impl: blas on any legal state.
 */
#include <string.h>

#include "passes.h"

/* An operand or the output of a matmul, as ir/matmul.c sees it (the
 * backend emits from the same analysis). */
typedef IrMatOperand Operand;

static const char *const params[] = { "impl", NULL };

/* The parallel for loop (loop-parallelize) of l, or of a block list
 * nested in it, whose body holds state st, or NULL. */
static const IrBlock *
parallel_loop(const IrBlockList *l, const IrState *st, const IrBlock *around)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i], *r = NULL;
		if (b->kind == CF_STATE && b->state == st)
			return around;
		if (b->kind == CF_FOR)
			r = parallel_loop(&b->loop.body, st, around ? around :
					  b->loop.parallel ? b : NULL);
		else if (b->kind == CF_WHILE)
			r = parallel_loop(&b->wloop.body, st, around);
		for (int k = 0; b->kind == CF_IF && k < b->branch.n && !r; k++)
			r = parallel_loop(&b->branch.bodies[k], st, around);
		if (b->kind == CF_IF && !r)
			r = parallel_loop(&b->branch.orelse, st, around);
		if (r)
			return r;
	}
	return NULL;
}

/* The first map around node id (scopes outward) whose schedule is not
 * sequential, or -1. */
static int
parallel_scope(Arena *a, const IrState *st, int id)
{
	int *scopes = ir_state_scopes(a, st);
	for (int e = scopes[id]; e >= 0; e = scopes[e])
		if (st->nodes.data[e].map.schedule != SCHED_SEQUENTIAL)
			return e;
	return -1;
}

static const char *
dtype_reason(Arena *a, const Operand *v)
{
	DType t = v[2].c->dtype;
	if ((t == DT_FLOAT32 || t == DT_FLOAT64) && v[0].c->dtype == t && v[1].c->dtype == t)
		return NULL;
	return arena_printf(a, "BLAS has no matmul of %s @ %s -> %s ('%s' @ '%s' -> '%s'): it "
			    "needs float32 or float64 operands and output, all of one dtype",
			    dtype_name(v[0].c->dtype), dtype_name(v[1].c->dtype),
			    dtype_name(t), v[0].c->name, v[1].c->name, v[2].c->name);
}

/* Why operand v cannot be handed to BLAS, or NULL. An operand (not the
 * output) whose 2-D view runs down the columns of its container (a matmul
 * that reads it transposed) is fine too: BLAS reads it with Trans. */
static const char *
layout_reason(Arena *a, const Operand *v, const char *role, bool output)
{
	if (!pass_container_row_major(a, v->c))
		return arena_printf(a, "%s '%s' is not laid out row-major; BLAS needs row-major "
				    "arrays", role, v->c->name);
	if (v->rank == 2 && !output && pass_sym_is_one(v->str[0]))
		return NULL;
	if (v->rank == 2 && !pass_sym_is_one(v->str[1]))
		return arena_printf(a, "%s %s%s has stride %s along its rows; BLAS needs "
				    "rows of unit stride", role, v->c->name,
				    subset_print(a, &v->m->subset), sym_print(a, v->str[1]));
	return NULL;
}

/* Why the library node `id` of st cannot be expanded with BLAS, or NULL. */
static const char *
blas_reason(Arena *a, const IrProgram *p, const IrState *st, int id)
{
	const IrNode *n = &st->nodes.data[id];
	if (n->lib.op != LIB_MATMUL)
		return arena_printf(a, "BLAS has no expansion of library node '%s'",
				    ir_libop_name(n->lib.op));
	Operand v[3];
	int pat = ir_matmul_operands(a, p, st, id, v);
	if (pat < 0)
		return "the matmul lacks an operand or output memlet";
	const char *why = dtype_reason(a, v);
	if (why)
		return why;
	if (v[2].m->wcr != WCR_NONE && v[2].m->wcr != WCR_SUM)
		return arena_printf(a, "the output '%s' is combined with WCR %s; BLAS can only "
				    "overwrite or add", v[2].c->name, ir_wcr_name(v[2].m->wcr));
	if (strcmp(v[2].c->name, v[0].c->name) == 0 || strcmp(v[2].c->name, v[1].c->name) == 0)
		return arena_printf(a, "the output '%s' is also an operand", v[2].c->name);
	if (pat == IR_MATMUL_NPATS)
		return "the operand shapes match no 2-D/1-D pattern of matmul";
	static const char *const roles[3] = { "operand", "operand", "output" };
	for (int i = 0; i < 3 && !why; i++)
		why = layout_reason(a, &v[i], roles[i], i == 2);
	if (why)
		return why;
	int e = parallel_scope(a, st, id);
	if (e >= 0)
		return arena_printf(a, "the matmul is inside the parallel map %s; BLAS is "
				    "called only outside parallel regions", st->nodes.data[e].label);
	const IrBlock *loop = parallel_loop(&p->body, st, NULL);
	if (loop)
		return arena_printf(a, "the matmul is inside the parallel loop %s; BLAS is "
				    "called only outside parallel regions",
				    loop->name ? loop->name : loop->loop.var);
	return NULL;
}

/* The impl parameter: "blas" when absent; NULL with *why on a bad value. */
static const char *
impl_of(Ctx *ctx, const XParams *params, const char **why)
{
	const XParam *q = pass_param(params, "impl");
	if (!q)
		return "blas";
	if (q->nint < 0 && q->str && (strcmp(q->str, "naive") == 0 || strcmp(q->str, "blas") == 0))
		return q->str;
	*why = arena_printf(ctx->arena, "impl must be 'naive' or 'blas', not '%s'",
			    q->str ? q->str : "");
	return NULL;
}

static bool
has_library(const IrState *st)
{
	for (int i = 0; i < st->nodes.len; i++)
		if (st->nodes.data[i].kind == IRN_LIBRARY)
			return true;
	return false;
}

static const char *
library_expansion_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	const char *why = NULL, *impl = impl_of(ctx, params, &why);
	if (!impl)
		return why;
	IrState *st = pass_site_state(site);
	if (!st)
		return arena_printf(ctx->arena, "'%s' is not a state: name the state that holds "
				    "the library node", site->names[0]);
	if (!has_library(st))
		return arena_printf(ctx->arena, "state %s has no library node", st->name);
	if (strcmp(impl, "naive") == 0)
		return NULL;
	for (int i = 0; i < st->nodes.len && !why; i++)
		if (st->nodes.data[i].kind == IRN_LIBRARY)
			why = blas_reason(ctx->arena, site->p, st, i);
	return why;
}

static void
library_expansion_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	const char *why = NULL, *impl = impl_of(ctx, params, &why);
	IrState *st = pass_site_state(site);
	if (!impl || !st)
		ICE("library-expansion applied where check refuses");
	for (int i = 0; i < st->nodes.len; i++)
		if (st->nodes.data[i].kind == IRN_LIBRARY)
			st->nodes.data[i].lib.impl = arena_strdup(ctx->arena, impl);
}

typedef struct Match {
	Ctx *ctx;
	IrProgram *p;
	XSiteList *out;
} Match;

/* The measured rule (docs/transformations.md, library-expansion): BLAS
 * wins for a product with a matrix operand (gemm, gemv, x @ B), not for a
 * dot. A dot is as long as the vectors around it, so it stays naive and
 * runs on OpenMP's threads exactly when the elementwise maps next to it
 * do (their `if` clauses share one threshold), never switching between
 * OpenBLAS's thread pool and OpenMP's, which fight for the cores after
 * every switch. A matrix product does O(N^2) work beside maps of O(N):
 * those stay on the calling thread, and only OpenBLAS's threads run. */
static bool
blas_wins(Arena *a, const IrProgram *p, const IrState *st, int id)
{
	IrMatOperand v[3];
	int pat = ir_matmul_operands(a, p, st, id, v);
	return pat >= 0 && pat < 3;
}

/* A state is listed when some library node is not BLAS yet, all of them
 * can be and BLAS wins for all of them (blas_wins): then applying (with
 * the default impl) changes something, and the -O3 pipeline, which
 * applies it wherever it matches, calls BLAS only where it wins. */
static void
match_state(IrState *st, IrBlock *b, void *ud)
{
	Match *M = ud;
	bool change = false;
	for (int i = 0; i < st->nodes.len; i++) {
		const IrNode *n = &st->nodes.data[i];
		if (n->kind != IRN_LIBRARY)
			continue;
		if (blas_reason(M->ctx->arena, M->p, st, i) ||
		    !blas_wins(M->ctx->arena, M->p, st, i))
			return;
		change |= !n->lib.impl || strcmp(n->lib.impl, "blas") != 0;
	}
	if (change && b->name)
		vec_push(M->ctx->arena, M->out, ((XSite){ .p = M->p, .n = 1, .names = { b->name } }));
}

static void
library_expansion_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, out };
	pass_foreach_state(p, match_state, &M);
}

const Xform xform_library_expansion = {
	.name = "library-expansion",
	.desc = "expands the library nodes of a state as naive loops or BLAS calls "
		"(impl: naive|blas)",
	.nsites = 1,
	.params = params,
	.match = library_expansion_match,
	.check = library_expansion_check,
	.apply = library_expansion_apply,
};
