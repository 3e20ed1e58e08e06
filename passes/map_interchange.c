/* passes/map_interchange.c — map-interchange: reorders the loops of a map;
 * and stride-interchange (at the end), the -O3 step that chooses the
 * order by the strides of the map's accesses.
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

/* ---- stride-interchange ---- */

/* How the element a memlet accesses moves when parameter p steps by one,
 * in the layout of its container: 0 not at all, 1 to a neighbour (unit
 * stride, up or down), 2 farther or unknown (a symbolic stride, a
 * non-affine index, a range that moves). */
static int
stride_class(Ctx *ctx, const IrProgram *p, const IrMemlet *m, const char *param)
{
	const IrContainer *c = m->data ? ir_program_find_container(p, m->data) : NULL;
	bool moves = false;
	for (int d = 0; d < m->subset.ndim; d++) {
		const SymRange *r = &m->subset.r[d];
		moves = moves || sym_depends_on(r->begin, param) || sym_depends_on(r->end, param);
	}
	if (!moves)
		return 0;
	if (!c || c->ndim != m->subset.ndim)
		return 2;
	Sym *step = sym_const(ctx->arena, 0);
	for (int d = 0; d < c->ndim; d++) {
		const SymRange *r = &m->subset.r[d];
		int64_t coef, extent;
		if (!sym_coef_of(r->begin, param, &coef) ||
		    !sym_is_const(sym_sub(ctx->arena, r->end, r->begin), &extent) || extent != 1)
			return 2;
		step = sym_add(ctx->arena, step, sym_mul(ctx->arena, sym_const(ctx->arena, coef),
							 c->strides[d]));
	}
	int64_t v;
	return sym_is_const(step, &v) && (v == 1 || v == -1) ? 1 : 2;
}

/* Does a range take at most one value? */
static bool
single_value(const SymRange *r)
{
	int64_t b, e;
	return sym_is_const(r->begin, &b) && sym_is_const(r->end, &e) && e - b <= 1;
}

typedef struct Strides {
	int unit, far;          /* memlets of stride class 1, 2; writes count twice */
} Strides;

/* What stride-interchange does at a map: permute its parameters (order),
 * or swap them with those of the map perfectly nested in it (inner). */
typedef struct StridePlan {
	IrState *s;
	int entry, inner;       /* inner: -1 for one map */
	int *order;
} StridePlan;

/* The stride classes of every memlet of the tasklets in the innermost
 * scope `body` of the map, for each of the n parameters (outer first);
 * NULL with *why set when the scope holds more than tasklets. */
static Strides *
count_strides(Ctx *ctx, const IrProgram *p, const IrState *s, int body, const char **params,
	      int n, const char **why)
{
	const IrNode *e = &s->nodes.data[body];
	Strides *st = arena_alloc(ctx->arena, sizeof(Strides) * (size_t)n);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const IrNode *src = &s->nodes.data[m->src], *dst = &s->nodes.data[m->dst];
		if (m->src != body && m->dst != e->map.exit)
			continue;
		if ((m->src == body && dst->kind != IRN_TASKLET) ||
		    (m->dst == e->map.exit && src->kind != IRN_TASKLET)) {
			*why = "the map's body holds more than tasklets (or a map nested in one)";
			return NULL;
		}
		int weight = m->dst == e->map.exit ? 2 : 1;
		for (int k = 0; k < n; k++) {
			int c = stride_class(ctx, p, m, params[k]);
			/* an accumulation into an element the inner loop does not
			 * move runs in a register: as good as a unit stride */
			if (m->wcr != WCR_NONE && c == 0)
				c = 1;
			st[k].unit += c == 1 ? weight : 0;
			st[k].far += c == 2 ? weight : 0;
		}
	}
	return st;
}

/* Fills P for the site (docs/transformations.md, stride-interchange):
 * the reason when it does not apply.
 * One map: its parameter with the most unit-stride accesses moves
 * innermost, the others keep their order. A map whose scope is a
 * perfectly nested map: the two parameter lists swap when the outer
 * list's last parameter is the better one. Either way the new inner
 * parameter must give the inner loop more unit-stride accesses than the
 * old one and no more of the others, and the outer loop, which the
 * threads share, must not become one of a single value. */
static const char *
stride_plan(Ctx *ctx, IrProgram *p, const XSite *site, StridePlan *P)
{
	MapRef ref;
	if (!pass_find_map(p, site->names[0], &ref))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	*P = (StridePlan){ ref.state, ref.entry, -1, NULL };
	const IrState *s = ref.state;
	const IrNode *e = &s->nodes.data[ref.entry];
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst == ref.entry && s->nodes.data[m->src].kind != IRN_ACCESS)
			return "the map is nested in another map";
	}
	const char *why;
	int body = ref.entry;
	if (holds_map(ctx, s, ref.entry)) {
		if ((P->inner = pass_map_nested_inner(ctx, s, ref.entry, &why)) < 0)
			return why;
		body = P->inner;
	}
	const IrNode *b = &s->nodes.data[body];
	if ((why = check_order(ctx, e)) || (why = check_order(ctx, b)))
		return why;
	if (e->map.unroll > 1 || b->map.unroll > 1)
		return "the map is unrolled by its first parameter (unroll-and-jam)";
	if (e->map.schedule == SCHED_SEQUENTIAL || b->map.schedule == SCHED_SEQUENTIAL)
		return "the map is sequential (its iterations run in an order that may matter, "
		       "as in a shift in place)";
	int no = P->inner < 0 ? 0 : e->map.nparams, n = no + b->map.nparams;
	const char **params = arena_alloc(ctx->arena, sizeof(char *) * (size_t)n);
	const SymRange **ranges = arena_alloc(ctx->arena, sizeof(SymRange *) * (size_t)n);
	for (int k = 0; k < n; k++) {
		const IrNode *m = k < no ? e : b;
		params[k] = m->map.params[k < no ? k : k - no];
		ranges[k] = &m->map.ranges[k < no ? k : k - no];
	}
	if (n < 2)
		return "the map has a single parameter: there is nothing to reorder";
	Strides *st = count_strides(ctx, p, s, body, params, n, &why);
	if (!st || (why = order_dependence(ctx, s, ref.entry)))
		return why;
	int best = n - 1;
	for (int k = P->inner < 0 ? n - 2 : no - 1; k >= 0; k--) {
		if (st[k].unit > st[best].unit && st[k].far <= st[n - 1].far &&
		    !single_value(ranges[k]))
			best = k;
		if (P->inner >= 0)
			break;
	}
	if (best == n - 1)
		return arena_printf(ctx->arena, "no %s would give the inner loop more unit-stride "
				    "accesses than %s (%d, writes counting twice) without more "
				    "strided ones", P->inner < 0 ? "parameter" : "swap with the nested "
				    "map", params[n - 1], st[n - 1].unit);
	int outer = P->inner >= 0 ? no : best == 0 ? 1 : 0;
	if (single_value(ranges[outer]) && !single_value(ranges[0]))
		return arena_printf(ctx->arena, "%s would become the outer loop, which the map's "
				    "threads share, and it takes one value", params[outer]);
	if (P->inner < 0) {
		P->order = arena_alloc(ctx->arena, sizeof(int) * (size_t)n);
		for (int k = 0, j = 0; k < n; k++)
			if (k != best)
				P->order[j++] = k;
		P->order[n - 1] = best;
	}
	return NULL;
}

static const char *
stride_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	StridePlan P;
	return stride_plan(ctx, site->p, site, &P);
}

/* The permuted maps lose their simd hints, which were checked for the old
 * inner parameter; the -O3 pipeline's vectorize that follows checks the
 * new one. */
static void
stride_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	StridePlan P;
	const char *why = stride_plan(ctx, site->p, site, &P);
	if (why)
		ICE("stride-interchange applied where its check refuses: %s", why);
	IrNode *en = &P.s->nodes.data[P.entry];
	en->map.simd = 0;
	if (P.inner < 0) {
		permute(ctx, en, P.order);
		return;
	}
	P.s->nodes.data[P.inner].map.simd = 0;
	swap_params(en, &P.s->nodes.data[P.inner]);
	pass_map_cover_memlets(ctx, site->p, P.s, P.inner);
}

static void
stride_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_stride_interchange, out);
}

const Xform xform_stride_interchange = {
	.name = "stride-interchange",
	.desc = "moves the parameter of a map that walks its arrays at unit stride innermost",
	.nsites = 1,
	.params = NULL,
	.match = stride_match,
	.check = stride_check,
	.apply = stride_apply,
};
