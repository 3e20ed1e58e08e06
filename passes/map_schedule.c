/* passes/map_schedule.c — map-schedule: set how a map runs, as a plain
 * loop nest ("sequential") or as an OpenMP parallel loop ("cpu_parallel").
 *
 * The site is a map (its stable name); the `schedule` parameter is
 * "sequential" or "cpu_parallel" (default cpu_parallel). A map's
 * iterations are independent by construction (conflicting writes carry a
 * WCR), so running them in any order or at once computes the same
 * result; what this transformation must guard is the shape of the
 * parallel regions:
 *   - sequential is always legal;
 *   - cpu_parallel is legal for a map that is not nested inside another
 *     parallel map (no nested parallel regions), and whose scope holds no
 *     library node expanded with BLAS (BLAS is called only outside
 *     parallel regions). Maps nested in it keep their schedule; the
 *     backend runs them as plain loops inside the region.
 * GPU and MPI schedules are refused: this target has neither.
 *
 * The matcher lists the sequential maps that could become cpu_parallel,
 * so that applying it everywhere it matches reaches a fixpoint.
 */
#include <string.h>

#include "passes.h"

static const char *const params[] = { "schedule", NULL };

/* The schedule parameter: cpu_parallel when absent; false with *why set
 * on a bad value. */
static bool
schedule_of(Ctx *ctx, const XParams *ps, Schedule *out, const char **why)
{
	const XParam *q = pass_param(ps, "schedule");
	*out = SCHED_CPU_PARALLEL;
	if (!q)
		return true;
	Schedule s;
	if (q->nint >= 0 || !q->str || !ir_schedule_from_name(q->str, &s)) {
		*why = arena_printf(ctx->arena, "schedule must be 'sequential' or 'cpu_parallel', "
				    "not '%s'", q->str ? q->str : "");
		return false;
	}
	if (s != SCHED_SEQUENTIAL && s != SCHED_CPU_PARALLEL) {
		*why = arena_printf(ctx->arena, "schedule '%s' is not available on this target "
				    "(sequential or cpu_parallel)", q->str);
		return false;
	}
	*out = s;
	return true;
}

/* The label of the innermost parallel map around entry, or NULL. */
static const char *
enclosing_parallel(Arena *a, const IrState *st, int entry)
{
	int *scopes = ir_state_scopes(a, st);
	for (int e = scopes[entry]; e >= 0; e = scopes[e])
		if (st->nodes.data[e].map.schedule != SCHED_SEQUENTIAL)
			return st->nodes.data[e].label ? st->nodes.data[e].label : "(unnamed)";
	return NULL;
}

/* A library node expanded with BLAS in the scope of entry, or -1. */
static int
blas_inside(Arena *a, const IrState *st, int entry)
{
	bool *in = ir_state_scope_members(a, st, entry);
	for (int i = 0; i < st->nodes.len; i++) {
		const IrNode *n = &st->nodes.data[i];
		if (in[i] && n->kind == IRN_LIBRARY && n->lib.impl &&
		    strcmp(n->lib.impl, "blas") == 0)
			return i;
	}
	return -1;
}

/* Why the map at r cannot become cpu_parallel, or NULL. */
static const char *
parallel_reason(Ctx *ctx, const MapRef *r)
{
	const char *label = r->state->nodes.data[r->entry].label;
	const char *outer = enclosing_parallel(ctx->arena, r->state, r->entry);
	if (outer)
		return arena_printf(ctx->arena, "%s is nested inside the parallel map %s; "
				    "parallel regions do not nest", label, outer);
	if (blas_inside(ctx->arena, r->state, r->entry) >= 0)
		return arena_printf(ctx->arena, "%s holds a matmul expanded with BLAS, which is "
				    "called only outside parallel regions", label);
	return NULL;
}

static const char *
map_schedule_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	Schedule s;
	const char *why = NULL;
	if (!schedule_of(ctx, ps, &s, &why))
		return why;
	MapRef r;
	if (!pass_find_map(site->p, site->names[0], &r))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	return s == SCHED_CPU_PARALLEL ? parallel_reason(ctx, &r) : NULL;
}

static void
map_schedule_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	Schedule s;
	const char *why = NULL;
	MapRef r;
	if (!schedule_of(ctx, ps, &s, &why) || !pass_find_map(site->p, site->names[0], &r))
		ICE("map-schedule applied where check refuses");
	r.state->nodes.data[r.entry].map.schedule = s;
}

typedef struct Match {
	Ctx *ctx;
	IrProgram *p;
	XSiteList *out;
} Match;

static void
match_state(IrState *st, IrBlock *b, void *ud)
{
	Match *M = ud;
	for (int i = 0; i < st->nodes.len; i++) {
		const IrNode *n = &st->nodes.data[i];
		if (n->kind != IRN_MAP_ENTRY || !n->label || n->map.schedule != SCHED_SEQUENTIAL)
			continue;
		MapRef r = { st, i, b };
		MapRef found;
		/* the site is the first map of that name, as pass_find_map resolves it */
		if (!pass_find_map(M->p, n->label, &found) || found.state != st || found.entry != i)
			continue;
		if (!parallel_reason(M->ctx, &r))
			vec_push(M->ctx->arena, M->out,
				 ((XSite){ .p = M->p, .n = 1, .names = { n->label } }));
	}
}

static void
map_schedule_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, out };
	pass_foreach_state(p, match_state, &M);
}

const Xform xform_map_schedule = {
	.name = "map-schedule",
	.desc = "runs a map as a sequential loop nest or an OpenMP parallel loop "
		"(schedule: sequential|cpu_parallel)",
	.nsites = 1,
	.params = params,
	.match = map_schedule_match,
	.check = map_schedule_check,
	.apply = map_schedule_apply,
};
