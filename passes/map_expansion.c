/* passes/map_expansion.c — map-expansion: one map over n >= 2 parameters
 * becomes an outer map over the first K parameters whose scope holds an
 * inner map over the remaining n - K.
 *
 *   before: A -IN_A-> map [i, j] -OUT_A-> tasklet
 *   after:  A -IN_A-> map [i] -OUT_A-> -IN_A-> map_inner [j] -OUT_A-> tasklet
 *
 * The outer map keeps the node, label and schedule of the original; the
 * inner one is new, sequential, and labelled "<label>_inner" (made unique).
 * The memlets of the original scope move to the inner map unchanged (their
 * subsets are written in the parameters, which are all still in scope);
 * the memlets joining the two entries (and the two exits) carry, per
 * connector, the box covering the inner memlets' subsets over every value
 * of the inner parameters (pass_map_cover_memlets). The iteration order is
 * the original's, so the transformation is always legal for n >= 2.
 *
 * This file also holds the subset covering shared by the map
 * transformations (map_interchange.c uses it when it swaps nested maps).
 */
#include <string.h>

#include "passes.h"

static const char *const expansion_params[] = { "split", NULL };

/* ---- covering subsets ---- */

/* The least (low) or greatest value of s while parameter p runs over r;
 * NULL when s is not affine in p. */
static Sym *
extreme(Arena *a, Sym *s, const char *p, const SymRange *r, bool low)
{
	int64_t c;
	if (!sym_coef_of(s, p, &c))
		return NULL;
	if (c == 0)
		return s;
	return sym_subst(a, s, p, (c > 0) == low ? r->begin : ir_range_last(a, r));
}

/* The range of one dimension covering `in` for every value of the map's
 * parameters; false when it is not affine in them (or its step varies). */
static bool
dim_cover(Arena *a, const IrNode *map, const SymRange *in, SymRange *out)
{
	Sym *b = in->begin, *e = in->end;
	bool moved = false;
	for (int k = 0; k < map->map.nparams; k++) {
		const char *p = map->map.params[k];
		const SymRange *r = &map->map.ranges[k];
		if (sym_depends_on(in->step, p))
			return false;
		moved |= sym_depends_on(b, p);
		b = extreme(a, b, p, r, true);
		e = extreme(a, e, p, r, false);
		if (!b || !e)
			return false;
	}
	/* A strided range whose begin moves covers elements off the stride. */
	*out = (SymRange){ b, e, moved ? sym_const(a, 1) : in->step };
	return true;
}

static SymRange
full_dim(Arena *a, const IrContainer *c, int d)
{
	return (SymRange){ sym_const(a, 0), c->shape[d], sym_const(a, 1) };
}

/* Joins range y into the covering range x: the lesser begin, the greater
 * end; the container's full extent when they cannot be ordered. */
static void
dim_join(Arena *a, const IrContainer *c, int d, SymRange *x, const SymRange *y)
{
	bool same_start = sym_equal(x->begin, y->begin) && sym_equal(x->step, y->step);
	if (sym_le(x->begin, y->begin) != T_TRUE) {
		if (sym_le(y->begin, x->begin) != T_TRUE) {
			*x = full_dim(a, c, d);
			return;
		}
		x->begin = y->begin;
	}
	if (sym_le(y->end, x->end) != T_TRUE) {
		if (sym_le(x->end, y->end) != T_TRUE) {
			*x = full_dim(a, c, d);
			return;
		}
		x->end = y->end;
	}
	if (!same_start)
		x->step = sym_const(a, 1);
}

/* The box of container c covering every subset subs[0..n) for every value
 * of the parameters of map entry `map`. Exact for affine subsets with unit
 * steps; a dimension that is not affine in the parameters, or whose
 * pieces cannot be ordered, gets the container's full extent. */
static Subset
cover(Arena *a, const IrContainer *c, const IrNode *map, const Subset *const *subs, int n)
{
	Subset out = { c->ndim, arena_alloc(a, sizeof(SymRange) * (size_t)(c->ndim + 1)) };
	for (int d = 0; d < c->ndim; d++) {
		for (int i = 0; i < n; i++) {
			SymRange r;
			if (subs[i]->ndim != c->ndim || !dim_cover(a, map, &subs[i]->r[d], &r))
				r = full_dim(a, c, d);
			if (i == 0)
				out.r[d] = r;
			else
				dim_join(a, c, d, &out.r[d], &r);
		}
		if (n == 0)
			out.r[d] = full_dim(a, c, d);
	}
	return out;
}

/* Subsets of the non-empty memlets leaving node `node` on `conn` (dir 1)
 * or entering it on `conn` (dir 0). */
static int
conn_subsets(Arena *a, const IrState *s, int node, int dir, const char *conn,
	     const Subset ***out)
{
	const Subset **subs = arena_alloc(a, sizeof(Subset *) * (size_t)(s->memlets.len + 1));
	int n = 0;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!m->data)
			continue;
		bool hit = dir == 1 ? m->src == node && m->src_conn && strcmp(m->src_conn, conn) == 0 :
			m->dst == node && m->dst_conn && strcmp(m->dst_conn, conn) == 0;
		if (hit)
			subs[n++] = &m->subset;
	}
	*out = subs;
	return n;
}

void
pass_map_cover_memlets(Ctx *ctx, IrProgram *p, IrState *s, int entry)
{
	Arena *a = ctx->arena;
	const IrNode *en = &s->nodes.data[entry];
	int x = en->map.exit;
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		const IrContainer *c = m->data ? ir_program_find_container(p, m->data) : NULL;
		const char *y = NULL;
		const Subset **subs;
		int n = 0;
		if (c && m->dst == entry && (y = pass_conn_suffix(m->dst_conn, "IN_")))
			n = conn_subsets(a, s, entry, 1, arena_printf(a, "OUT_%s", y), &subs);
		else if (c && m->src == x && (y = pass_conn_suffix(m->src_conn, "OUT_")))
			n = conn_subsets(a, s, x, 0, arena_printf(a, "IN_%s", y), &subs);
		if (y)
			m->subset = cover(a, c, en, subs, n);
	}
}

/* ---- the transformation ---- */

typedef struct Found {
	IrState *s;
	int entry;
	const char *why;
} Found;

static Found
find(Ctx *ctx, const XSite *site)
{
	MapRef ref;
	if (!pass_find_map(site->p, site->names[0], &ref))
		return (Found){ .why = arena_printf(ctx->arena, "'%s' is not a map",
						    site->names[0]) };
	return (Found){ ref.state, ref.entry, NULL };
}

/* The split K, or -1 with *why set when the parameter is malformed. */
static int
split_of(Ctx *ctx, const XParams *params, const IrNode *en, const char **why)
{
	const XParam *q = pass_param(params, "split");
	int n = en->map.nparams;
	*why = NULL;
	if (n < 2) {
		*why = arena_printf(ctx->arena, "the map has %s; expansion needs at least two",
				    n == 1 ? "a single parameter" : "no parameters");
		return -1;
	}
	if (!q)
		return 1;
	if (q->nint != 1 || q->str[0] == '[') {
		*why = "split must be one integer, the number of outer parameters";
		return -1;
	}
	if (q->ints[0] < 1 || q->ints[0] >= n) {
		*why = arena_printf(ctx->arena, "split %lld is out of range: the map has %d "
				    "parameters, so split must be between 1 and %d",
				    (long long)q->ints[0], n, n - 1);
		return -1;
	}
	return (int)q->ints[0];
}

static const char *
expansion_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Found f = find(ctx, site);
	if (f.why)
		return f.why;
	const char *why;
	split_of(ctx, params, &f.s->nodes.data[f.entry], &why);
	return why;
}

/* "<label>_inner", or "<label>_inner_2"... when a map of p has that name. */
static const char *
inner_label(Ctx *ctx, IrProgram *p, const char *label)
{
	const char *base = arena_printf(ctx->arena, "%s_inner", label);
	const char *name = base;
	MapRef ref;
	for (int k = 2; pass_find_map(p, name, &ref); k++)
		name = arena_printf(ctx->arena, "%s_%d", base, k);
	return name;
}

/* Does one of the first n memlets of s leave (or enter) node on conn? */
static bool
seen_conn(const IrState *s, int n, int node, bool leaving, const char *conn)
{
	for (int i = 0; i < n; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const char *c = leaving ? m->src_conn : m->dst_conn;
		if ((leaving ? m->src : m->dst) == node && m->data && strcmp(c, conn) == 0)
			return true;
	}
	return false;
}

/* Joins outer node `outer` to the new inner node `inner` (entry side:
 * OUT_x -> IN_x for every connector the inner memlets leave `inner` on;
 * exit side: OUT_x -> IN_x for every connector they enter it on), or by
 * one empty memlet when no data flows. Subsets are filled in later. */
static void
join_scopes(Ctx *ctx, IrState *s, int outer, int inner, bool entry_side)
{
	int nm = s->memlets.len, added = 0;
	for (int i = 0; i < nm; i++) {
		IrMemlet m = s->memlets.data[i];
		const char *conn = entry_side ? m.src_conn : m.dst_conn;
		if ((entry_side ? m.src : m.dst) != inner || !m.data ||
		    seen_conn(s, i, inner, entry_side, conn))
			continue;
		const char *x = conn + (entry_side ? 4 : 3);
		const char *out = arena_printf(ctx->arena, "OUT_%s", x);
		const char *in = arena_printf(ctx->arena, "IN_%s", x);
		Subset none = { 0, NULL };
		if (entry_side)
			ir_state_add_memlet(ctx, s, outer, out, inner, in, m.data, none, WCR_NONE, m.loc);
		else
			ir_state_add_memlet(ctx, s, inner, out, outer, in, m.data, none, m.wcr, m.loc);
		added++;
	}
	if (added == 0 && entry_side)
		ir_state_add_memlet(ctx, s, outer, NULL, inner, NULL, NULL, (Subset){ 0 }, WCR_NONE,
				    s->nodes.data[outer].loc);
	else if (added == 0)
		ir_state_add_memlet(ctx, s, inner, NULL, outer, NULL, NULL, (Subset){ 0 }, WCR_NONE,
				    s->nodes.data[outer].loc);
}

static void
expansion_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Found f = find(ctx, site);
	IrState *s = f.s;
	int e = f.entry;
	const char *why;
	IrNode en = s->nodes.data[e];
	int k = split_of(ctx, params, &en, &why), x = en.map.exit;
	if (k < 0)
		ICE("map-expansion applied where its check refuses: %s", why);
	int i = ir_state_add_map(ctx, s, inner_label(ctx, site->p, en.label),
				 en.map.nparams - k, en.map.params + k, en.map.ranges + k,
				 SCHED_SEQUENTIAL, en.loc);
	int xi = s->nodes.data[i].map.exit;
	s->nodes.data[e].map.nparams = k;
	for (int j = 0; j < s->memlets.len; j++) {
		IrMemlet *m = &s->memlets.data[j];
		if (m->src == e)
			m->src = i;
		if (m->dst == x)
			m->dst = xi;
	}
	join_scopes(ctx, s, e, i, true);
	join_scopes(ctx, s, x, xi, false);
	pass_map_cover_memlets(ctx, site->p, s, i);
}

static void
expansion_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_map_expansion, out);
}

const Xform xform_map_expansion = {
	.name = "map-expansion",
	.desc = "splits a map into an outer map over its first parameters and an inner map over the rest",
	.nsites = 1,
	.params = expansion_params,
	.match = expansion_match,
	.check = expansion_check,
	.apply = expansion_apply,
};
