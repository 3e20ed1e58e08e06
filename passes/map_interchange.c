/* passes/map_interchange.c — map-interchange: reorders the loops of a map.
 *
 * The OpenMP emitter makes a map's first parameter the outermost loop and
 * its last the innermost (the simd loop), so the order of the parameters
 * decides the traversal of memory: this is the locality knob.
 *
 * Two forms, at one site (a map):
 * - one map: `order: [1, 0]` permutes its parameters and their ranges
 *   (parameter k of the result is parameter order[k] of the map). Without
 *   parameters a map over n >= 2 parameters is reversed (for two: swapped).
 * - perfectly nested maps (pass_map_nested_inner): `nested: true`, or no
 *   parameter at a map with a single parameter, swaps the parameter lists
 *   of the outer and the inner map; each node keeps its schedule and label,
 *   and the memlets between the two entries (and the two exits) are
 *   recomputed to cover the inner map's accesses over its new parameters.
 *
 * Memlet subsets are written in the parameter names, so the scope's
 * memlets are unchanged. A map's iterations are independent by the IR's
 * semantics, with one exception the emitter honours: a container that is
 * accumulated (WCR) in the scope and also read or plainly written there, or
 * accumulated with several operators, sees the order of the updates, so
 * such a map is refused. The other refusals: a range that depends on a
 * parameter being moved outside it (the space would change), parameter
 * names shared between nested maps, and bad parameters.
 */
#include <string.h>

#include "passes.h"

static const char *const interchange_params[] = { "order", "nested", NULL };

/* ---- order-dependent accumulations ---- */

typedef struct Acc {
	const char *data;
	Wcr wcr;                /* WCR_COUNT when several operators */
	bool read, plain;
} Acc;

typedef VEC(Acc) AccList;

static Acc *
acc_of(Ctx *ctx, AccList *v, const char *data)
{
	for (int i = 0; i < v->len; i++)
		if (strcmp(v->data[i].data, data) == 0)
			return &v->data[i];
	vec_push(ctx->arena, v, ((Acc){ data, WCR_NONE, false, false }));
	return &v->data[v->len - 1];
}

/* NULL unless some container accumulated in the scope of `entry` also
 * sees the order of the iterations (see the file comment). */
static const char *
order_dependence(Ctx *ctx, const IrState *s, int entry)
{
	bool *in = ir_state_scope_members(ctx->arena, s, entry);
	AccList accs = { 0 };
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!m->data)
			continue;
		if (in[m->dst] && pass_node_computes(&s->nodes.data[m->dst]))
			acc_of(ctx, &accs, m->data)->read = true;
		if (!in[m->src] || !pass_node_computes(&s->nodes.data[m->src]))
			continue;
		Acc *a = acc_of(ctx, &accs, m->data);
		if (m->wcr == WCR_NONE)
			a->plain = true;
		else
			a->wcr = a->wcr == WCR_NONE || a->wcr == m->wcr ? m->wcr : WCR_COUNT;
	}
	for (int i = 0; i < accs.len; i++) {
		const Acc *a = &accs.data[i];
		if (a->wcr == WCR_NONE || (a->wcr != WCR_COUNT && !a->read && !a->plain))
			continue;
		return arena_printf(ctx->arena, "'%s' is accumulated in the map and %s there, "
				    "so the result depends on the order of the iterations", a->data,
				    a->wcr == WCR_COUNT ? "with several operators" :
				    a->read ? "also read" : "also overwritten");
	}
	return NULL;
}

/* ---- parameters ---- */

typedef struct Plan {
	IrState *s;
	int entry;
	int inner;              /* nested form: the inner entry; -1 for one map */
	int *order;             /* one-map form: the permutation */
} Plan;

/* Reads `nested`: 1 true, 0 false or absent, -1 malformed. */
static int
nested_flag(const XParams *params)
{
	const XParam *q = pass_param(params, "nested");
	if (!q)
		return 0;
	if (q->nint == 1 && q->str[0] != '[' && (q->ints[0] == 0 || q->ints[0] == 1))
		return (int)q->ints[0];
	if (q->nint < 0 && (strcmp(q->str, "true") == 0 || strcmp(q->str, "false") == 0))
		return q->str[0] == 't';
	return -1;
}

/* The permutation `order` names for a map over n parameters (the reversal
 * when absent); NULL with *why set when it is not one. */
static int *
order_of(Ctx *ctx, const XParams *params, int n, const char **why)
{
	const XParam *q = pass_param(params, "order");
	int *order = arena_alloc(ctx->arena, sizeof(int) * (size_t)(n + 1));
	bool *used = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(n + 1));
	for (int k = 0; k < n; k++)
		order[k] = n - 1 - k;
	if (!q)
		return order;
	if (q->nint != n) {
		*why = arena_printf(ctx->arena, "order must list %d parameter positions, one per "
				    "parameter of the map", n);
		return NULL;
	}
	for (int k = 0; k < n; k++) {
		int64_t v = q->ints[k];
		if (v < 0 || v >= n || used[v]) {
			*why = arena_printf(ctx->arena, "order names position %lld %s; it must be a "
					    "permutation of 0..%d", (long long)v,
					    v < 0 || v >= n ? "that the map does not have" : "twice",
					    n - 1);
			return NULL;
		}
		used[v] = true;
		order[k] = (int)v;
	}
	return order;
}

/* One map: its ranges must not name its parameters (valid IR never
 * does: they are not in scope there), else reordering would change the
 * iteration space. */
static const char *
check_order(Ctx *ctx, const IrNode *en)
{
	for (int k = 0; k < en->map.nparams; k++) {
		const SymRange *r = &en->map.ranges[k];
		for (int j = 0; j < en->map.nparams; j++) {
			const char *p = en->map.params[j];
			if (sym_depends_on(r->begin, p) || sym_depends_on(r->end, p) ||
			    sym_depends_on(r->step, p))
				return arena_printf(ctx->arena, "the range of '%s' depends on '%s'; "
						    "reordering them would change the iteration space",
						    en->map.params[k], p);
		}
	}
	return NULL;
}

/* Does a map entry lie directly in the scope of `entry`? */
static bool
holds_map(Ctx *ctx, const IrState *s, int entry)
{
	int *scope = ir_state_scopes(ctx->arena, s);
	for (int i = 0; i < s->nodes.len; i++)
		if (scope[i] == entry && s->nodes.data[i].kind == IRN_MAP_ENTRY)
			return true;
	return false;
}

static const char *
plan_nested(Ctx *ctx, Plan *P)
{
	const char *why;
	P->inner = pass_map_nested_inner(ctx, P->s, P->entry, &why);
	return P->inner < 0 ? why : NULL;
}

/* Fills P for site and params; the reason when the interchange is not
 * legal there. */
static const char *
plan(Ctx *ctx, const XSite *site, const XParams *params, Plan *P)
{
	MapRef ref;
	if (!pass_find_map(site->p, site->names[0], &ref))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	*P = (Plan){ ref.state, ref.entry, -1, NULL };
	const IrNode *en = &ref.state->nodes.data[ref.entry];
	int nested = nested_flag(params);
	const char *why = NULL;
	if (nested < 0)
		return "nested must be true or false";
	if (nested && pass_param(params, "order"))
		return "order permutes one map's parameters; it cannot be combined with nested";
	if (!nested && en->map.nparams == 1 && !pass_param(params, "order") &&
	    !holds_map(ctx, ref.state, ref.entry)) {
		why = "the map has a single parameter and its scope holds no inner map to swap with";
	} else if (nested || (en->map.nparams == 1 && !pass_param(params, "order"))) {
		why = plan_nested(ctx, P);
	} else if (en->map.nparams < 2) {
		why = "the map has a single parameter: there is nothing to reorder";
	} else if ((P->order = order_of(ctx, params, en->map.nparams, &why))) {
		why = check_order(ctx, en);
	}
	return why ? why : order_dependence(ctx, P->s, P->entry);
}

static const char *
interchange_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Plan P;
	return plan(ctx, site, params, &P);
}

/* ---- apply ---- */

static void
permute(Ctx *ctx, IrNode *en, const int *order)
{
	int n = en->map.nparams;
	const char **params = arena_alloc(ctx->arena, sizeof(char *) * (size_t)n);
	SymRange *ranges = arena_alloc(ctx->arena, sizeof(SymRange) * (size_t)n);
	for (int k = 0; k < n; k++) {
		params[k] = en->map.params[order[k]];
		ranges[k] = en->map.ranges[order[k]];
	}
	en->map.params = params;
	en->map.ranges = ranges;
}

static void
swap_params(IrNode *a, IrNode *b)
{
	int n = a->map.nparams;
	const char **params = a->map.params;
	SymRange *ranges = a->map.ranges;
	a->map.nparams = b->map.nparams;
	a->map.params = b->map.params;
	a->map.ranges = b->map.ranges;
	b->map.nparams = n;
	b->map.params = params;
	b->map.ranges = ranges;
}

static void
interchange_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Plan P;
	const char *why = plan(ctx, site, params, &P);
	if (why)
		ICE("map-interchange applied where its check refuses: %s", why);
	if (P.inner < 0) {
		permute(ctx, &P.s->nodes.data[P.entry], P.order);
		return;
	}
	swap_params(&P.s->nodes.data[P.entry], &P.s->nodes.data[P.inner]);
	pass_map_cover_memlets(ctx, site->p, P.s, P.inner);
}

static void
interchange_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_map_interchange, out);
}

const Xform xform_map_interchange = {
	.name = "map-interchange",
	.desc = "reorders a map's parameters, or swaps the parameters of two perfectly nested maps",
	.nsites = 1,
	.params = interchange_params,
	.match = interchange_match,
	.check = interchange_check,
	.apply = interchange_apply,
};
