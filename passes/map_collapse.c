/* passes/map_collapse.c — map-collapse: two perfectly nested maps become
 * one map over the parameters of both, the outer ones first.
 *
 *   before: A -IN_A-> map [i] -OUT_A-> -IN_A-> map [j] -OUT_A-> tasklet
 *   after:  A -IN_A-> map [i, j] -OUT_A-> tasklet
 *
 * The site is the outer map; it keeps its node, label and schedule. The
 * inner entry and exit disappear with the memlets between the two entries
 * and the two exits; the inner scope's memlets are rewired to the outer
 * entry and exit, on the outer connector that fed (or drained) the inner
 * one. The iteration order is unchanged (the outer parameters stay the
 * leading ones), so the collapse is legal whenever the result is a map:
 * perfect nesting, inner ranges that do not depend on the outer
 * parameters (otherwise the space is not a rectangle), distinct parameter
 * names, and no inner exit connector that drains into two outer ones.
 *
 * This file also holds pass_map_nested_inner, the perfect-nesting test
 * that map_interchange.c shares.
 */
#include <string.h>

#include "passes.h"

/* "access node 3 ('A')", "tasklet 4", "map 'map_L7'" for a reason. */
static const char *
node_text(Arena *a, const IrNode *n)
{
	switch (n->kind) {
	case IRN_ACCESS:
		return arena_printf(a, "access node %d ('%s')", n->id, n->access.data);
	case IRN_MAP_ENTRY:
		return n->label ? arena_printf(a, "map '%s'", n->label) :
			arena_printf(a, "map %d", n->id);
	case IRN_TASKLET:
		return arena_printf(a, "tasklet %d", n->id);
	default:
		return arena_printf(a, "%s node %d", ir_node_kind_name(n->kind), n->id);
	}
}

/* NULL when no range of inner map entry `in` mentions a parameter of
 * `out` and the two parameter lists are disjoint; else the reason. */
static const char *
independent_ranges(Ctx *ctx, const IrNode *out, const IrNode *in)
{
	for (int k = 0; k < in->map.nparams; k++) {
		const SymRange *r = &in->map.ranges[k];
		for (int j = 0; j < out->map.nparams; j++) {
			const char *p = out->map.params[j];
			if (strcmp(p, in->map.params[k]) == 0)
				return arena_printf(ctx->arena, "the inner map's parameter '%s' "
						    "shadows the outer map's", p);
			if (sym_depends_on(r->begin, p) || sym_depends_on(r->end, p) ||
			    sym_depends_on(r->step, p))
				return arena_printf(ctx->arena, "the range of the inner parameter "
						    "'%s' depends on the outer parameter '%s' (the iteration "
						    "space is not a rectangle)", in->map.params[k], p);
		}
	}
	return NULL;
}

int
pass_map_nested_inner(Ctx *ctx, const IrState *s, int entry, const char **why)
{
	Arena *a = ctx->arena;
	int *scope = ir_state_scopes(a, s);
	const char *label = s->nodes.data[entry].label;
	int inner = -1, x = s->nodes.data[entry].map.exit;
	for (int i = 0; i < s->nodes.len && inner < 0; i++)
		if (scope[i] == entry && s->nodes.data[i].kind == IRN_MAP_ENTRY)
			inner = i;
	if (inner < 0) {
		*why = arena_printf(a, "the scope of '%s' holds no inner map", label);
		return -1;
	}
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (scope[i] != entry || i == inner || i == s->nodes.data[inner].map.exit)
			continue;
		*why = arena_printf(a, "the maps are not perfectly nested: the scope of '%s' "
				    "holds %s besides %s", label, node_text(a, n),
				    node_text(a, &s->nodes.data[inner]));
		return -1;
	}
	int xi = s->nodes.data[inner].map.exit;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if ((m->src == entry && m->dst != inner) || (m->dst == x && m->src != xi)) {
			*why = arena_printf(a, "the maps are not perfectly nested: memlet %d joins "
					    "'%s' to a node other than the inner map", i,
					    s->nodes.data[entry].label);
			return -1;
		}
	}
	*why = independent_ranges(ctx, &s->nodes.data[entry], &s->nodes.data[inner]);
	return *why ? -1 : inner;
}

/* ---- legality ---- */

typedef struct Nest {
	IrState *s;
	int outer, inner;
} Nest;

static const char *
find_nest(Ctx *ctx, const XSite *site, Nest *out)
{
	MapRef ref;
	const char *why;
	if (!pass_find_map(site->p, site->names[0], &ref))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	int inner = pass_map_nested_inner(ctx, ref.state, ref.entry, &why);
	if (inner < 0)
		return why;
	*out = (Nest){ ref.state, ref.entry, inner };
	return NULL;
}

/* Number of non-empty memlets leaving node `node` on connector conn. */
static int
count_leaving(const IrState *s, int node, const char *conn)
{
	int k = 0;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		k += m->src == node && m->data && strcmp(m->src_conn, conn) == 0;
	}
	return k;
}

static const char *
collapse_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Nest n;
	const char *why = find_nest(ctx, site, &n);
	if (why)
		return why;
	int xi = n.s->nodes.data[n.inner].map.exit;
	for (int i = 0; i < n.s->memlets.len; i++) {
		const IrMemlet *m = &n.s->memlets.data[i];
		if (m->src == xi && m->data && count_leaving(n.s, xi, m->src_conn) > 1)
			return arena_printf(ctx->arena, "connector '%s' of the inner map's exit "
					    "feeds several connectors of the outer exit",
					    m->src_conn);
	}
	return NULL;
}

/* ---- apply ---- */

/* Removes nodes drop_a and drop_b and every memlet with gone[i] set,
 * renumbering the ids of the rest (and the entry/exit references). */
static void
compact(Ctx *ctx, IrState *s, int drop_a, int drop_b, const bool *gone)
{
	int *to = arena_alloc(ctx->arena, sizeof(int) * (size_t)(s->nodes.len + 1));
	int n = 0;
	for (int i = 0; i < s->nodes.len; i++) {
		to[i] = i == drop_a || i == drop_b ? -1 : n;
		if (to[i] >= 0)
			s->nodes.data[n++] = s->nodes.data[i];
	}
	s->nodes.len = n;
	for (int i = 0; i < n; i++) {
		IrNode *nd = &s->nodes.data[i];
		nd->id = i;
		if (nd->kind == IRN_MAP_ENTRY)
			nd->map.exit = to[nd->map.exit];
		else if (nd->kind == IRN_MAP_EXIT)
			nd->mapexit.entry = to[nd->mapexit.entry];
	}
	int k = 0;
	for (int i = 0; i < s->memlets.len; i++) {
		if (gone[i])
			continue;
		IrMemlet m = s->memlets.data[i];
		m.id = k;
		m.src = to[m.src];
		m.dst = to[m.dst];
		s->memlets.data[k++] = m;
	}
	s->memlets.len = k;
}

/* The outer connector that joins the inner map on `conn`: for an inner
 * entry's "OUT_y", the src_conn of the memlet into its "IN_y"; for an
 * inner exit's "IN_y", the dst_conn of the memlet from its "OUT_y". */
static const char *
outer_conn(Ctx *ctx, const IrState *s, int node, const char *conn, bool entry_side)
{
	const char *y = conn + (entry_side ? 4 : 3);
	const char *want = arena_printf(ctx->arena, entry_side ? "IN_%s" : "OUT_%s", y);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!m->data)
			continue;
		if (entry_side && m->dst == node && strcmp(m->dst_conn, want) == 0)
			return m->src_conn;
		if (!entry_side && m->src == node && strcmp(m->src_conn, want) == 0)
			return m->dst_conn;
	}
	ICE("map-collapse: connector '%s' of the inner map has no outer partner", conn);
}

/* The parameters (and ranges) of the outer map followed by the inner's. */
static void
merge_params(Ctx *ctx, IrNode *out, const IrNode *in)
{
	int no = out->map.nparams, n = no + in->map.nparams;
	const char **params = arena_alloc(ctx->arena, sizeof(char *) * (size_t)n);
	SymRange *ranges = arena_alloc(ctx->arena, sizeof(SymRange) * (size_t)n);
	for (int k = 0; k < n; k++) {
		const IrNode *from = k < no ? out : in;
		params[k] = from->map.params[k < no ? k : k - no];
		ranges[k] = from->map.ranges[k < no ? k : k - no];
	}
	out->map.nparams = n;
	out->map.params = params;
	out->map.ranges = ranges;
}

static void
collapse_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Nest n;
	if (find_nest(ctx, site, &n))
		ICE("map-collapse applied where its check refuses");
	IrState *s = n.s;
	int e = n.outer, i = n.inner;
	int x = s->nodes.data[e].map.exit, xi = s->nodes.data[i].map.exit;
	int nm = s->memlets.len;
	bool *gone = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(nm + 1));
	const char **conn = arena_alloc(ctx->arena, sizeof(char *) * (size_t)(nm + 1));
	for (int j = 0; j < nm; j++) {
		const IrMemlet *m = &s->memlets.data[j];
		gone[j] = (m->src == e && m->dst == i) || (m->src == xi && m->dst == x);
		if (m->data && m->src == i)
			conn[j] = outer_conn(ctx, s, i, m->src_conn, true);
		else if (m->data && m->dst == xi)
			conn[j] = outer_conn(ctx, s, xi, m->dst_conn, false);
	}
	for (int j = 0; j < nm; j++) {
		IrMemlet *m = &s->memlets.data[j];
		if (m->src == i) {
			m->src = e;
			m->src_conn = m->data ? conn[j] : m->src_conn;
		}
		if (m->dst == xi) {
			m->dst = x;
			m->dst_conn = m->data ? conn[j] : m->dst_conn;
		}
	}
	merge_params(ctx, &s->nodes.data[e], &s->nodes.data[i]);
	compact(ctx, s, i, xi, gone);
}

static void
collapse_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_map_collapse, out);
}

const Xform xform_map_collapse = {
	.name = "map-collapse",
	.desc = "merges two perfectly nested maps into one map over the parameters of both",
	.nsites = 1,
	.params = NULL,
	.match = collapse_match,
	.check = collapse_check,
	.apply = collapse_apply,
};
