/* passes/horizontal_fusion.c — horizontal-map-fusion: two independent maps
 * over the same ranges become one map whose body holds both bodies; and
 * outer-map-fusion: two over equal leading ranges become one map over
 * those, each map's other ranges a nested map (map-expansion of each, then
 * horizontal-map-fusion of the outer maps, in one step).
 *
 *   x ─► map_A [i = 0:N] { a[i] = x[i] + 1 } ─► a
 *   x ─► map_B [j = 0:N] { b[j] = x[j] * 2 } ─► b
 *   ==>
 *   x ─► map_A [i = 0:N] { a[i] = x[i] + 1 ; b[i] = x[i] * 2 } ─► a, b
 *
 * Sites: [first, second] map labels. Legality (check), every rule exact
 * or conservative:
 *   - placement: both maps at the top level of their state (or both nested
 *     side by side in one scope of one state); the second in
 *     the first's state, or in the state of a later block of the same
 *     list, and then that state holds nothing but the second map and the
 *     access nodes feeding it or fed by it;
 *   - the blocks between (if any): plain states only (no loop, branch or
 *     interstate assignment), the two maps read a container in common
 *     (else fusing saves only a fork), and the states between can be
 *     reordered: those the second depends on (they write what it reads
 *     or accumulates into, or what such a state reads: transitively) move
 *     before the first's state, which is legal when each is independent
 *     of that state and of the states between that it moves across; the
 *     others stay after the fused state, legal when the second map is
 *     independent of each;
 *   - the same schedule, the same vectorization hint (the fused map carries
 *     one for both bodies), the same number of params and equal ranges once
 *     the second's params are renamed to the first's by position; the
 *     second's scope mentions no name of the first's params other than
 *     through its own params (no capture), and its nested maps reuse none;
 *   - independence, by container: neither map writes a container the
 *     other reads or writes, unless (no WCR) the two touch it at elements
 *     pass_elements_disjoint proves apart (2*j against 2*j + 1). When the second map comes from
 *     another state, it is independent of everything the first state reads
 *     or writes, so it may run anywhere inside that state;
 *   - in one state, no path of memlets joins one map's exit to the other's
 *     entry (the fused map would depend on itself).
 * Apply: the states between that the second depends on move before the
 * first's state; the second map's nodes move into the first's state (when
 * they were in another state, whose block then leaves its list); its params
 * are renamed in its memlets, tasklets and nested ranges; the memlets on
 * its entry and exit move to the first's entry and exit, each connector
 * pair IN_x/OUT_x keeping its name unless the first map uses it
 * (then IN_x_2/OUT_x_2, ...); its entry and exit are removed. The fused
 * map keeps the first map's label and schedule.
 *
 * outer-map-fusion (sites [first, second] too) shares all of it but the
 * ranges: the same schedule, k >= 1 equal leading ranges (the second's
 * params renamed by position), a nested map in the result (else it is
 * horizontal-map-fusion's pair), no inner param of the second named like
 * an outer one of the first, and what the backend makes of each map at
 * the top of its state kept (keeps_codegen: its collapse, its WCR
 * reductions). Apply: map-expansion at k of each map with
 * more than k params (the inner map keeps the hint, the outer one gets
 * none), then the apply above.
 */
#include <string.h>

#include "passes.h"

typedef struct HFuse {
	IrProgram *p;
	MapRef A, B;            /* first and second map */
	bool same;              /* one state holds both */
	IrBlockList *list;      /* block list of the second's state when not same */
	int aindex, bindex;     /* the first's and the second's state in list */
	bool *hoist;            /* hoist[i - aindex]: the state at list index
				   i, between the two, moves before the
				   first's state */
	bool outer;             /* outer-map-fusion, not horizontal-map-fusion */
	int k;                  /* outer: the leading params fused over */
} HFuse;

/* ---- renaming params ---- */

typedef struct Renames {
	int n;
	const char **from, **to;
} Renames;

static Sym *
sym_rename(Arena *a, Sym *s, const Renames *r)
{
	for (int i = 0; i < r->n; i++)
		s = sym_subst(a, s, r->from[i], sym_var(a, arena_printf(a, "#%d", i)));
	for (int i = 0; i < r->n; i++)
		s = sym_subst(a, s, arena_printf(a, "#%d", i), sym_var(a, r->to[i]));
	return s;
}

static SymRange
range_rename(Arena *a, const SymRange *x, const Renames *r)
{
	return (SymRange){ sym_rename(a, x->begin, r), sym_rename(a, x->end, r),
			   sym_rename(a, x->step, r) };
}

static IrExpr *
expr_rename(Arena *a, const IrExpr *e, const Renames *r)
{
	IrExpr *o = arena_alloc(a, sizeof(IrExpr));
	*o = *e;
	for (int i = 0; e->kind == EX_SYM && i < r->n; i++)
		if (pass_streq(e->name, r->from[i]))
			o->name = r->to[i];
	if (e->n > 0) {
		o->args = arena_alloc(a, sizeof(IrExpr *) * (size_t)e->n);
		for (int i = 0; i < e->n; i++)
			o->args[i] = expr_rename(a, e->args[i], r);
	}
	return o;
}

/* The output index of tasklet n (if any) renamed by r, in a new array. */
static void
rename_out_index(Arena *a, IrNode *n, const Renames *r)
{
	int k = n->tasklet.nout_index;
	if (k == 0)
		return;
	IrExpr **oi = arena_alloc(a, sizeof(IrExpr *) * (size_t)k);
	for (int i = 0; i < k; i++)
		oi[i] = expr_rename(a, n->tasklet.out_index[i], r);
	n->tasklet.out_index = oi;
}

static Renames
second_to_first(const HFuse *F)
{
	const IrNode *a = pass_map_entry(&F->A), *b = pass_map_entry(&F->B);
	return (Renames){ b->map.nparams, b->map.params, a->map.params };
}

/* ---- the nodes of a map ---- */

/* members[id]: node id is the map's entry, exit or in its scope. */
static bool *
map_nodes(Arena *a, const MapRef *m)
{
	bool *in = ir_state_scope_members(a, m->state, m->entry);
	in[m->entry] = in[pass_map_entry(m)->map.exit] = true;
	return in;
}

/* Containers read and written by the memlets of s that touch a node with
 * in[id] (every memlet when in is NULL; with `outside`, those touching
 * none). A memlet writes its data when it
 * enters an access node or a map exit or leaves a tasklet or library
 * node, and reads it otherwise; the access nodes at its ends are read
 * (source) or written (destination). */
typedef struct Touch {
	VEC(const char *) rd, wr;
	VEC(Wcr) wcr;           /* the WCR of each write */
} Touch;

static void
note(Arena *a, Touch *t, const char *x, bool write, Wcr w)
{
	if (!x)
		return;
	if (!write) {
		vec_push(a, &t->rd, x);
		return;
	}
	vec_push(a, &t->wr, x);
	vec_push(a, &t->wcr, w);
}

static Touch
touches_where(Arena *a, const IrState *s, const bool *in, bool outside)
{
	Touch t = { { 0 }, { 0 }, { 0 } };
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (in && (in[m->src] || in[m->dst]) == outside)
			continue;
		const IrNode *src = &s->nodes.data[m->src], *dst = &s->nodes.data[m->dst];
		bool w = dst->kind == IRN_ACCESS || dst->kind == IRN_MAP_EXIT ||
			src->kind == IRN_TASKLET || src->kind == IRN_LIBRARY;
		note(a, &t, m->data, w, m->wcr);
		if (src->kind == IRN_ACCESS)
			note(a, &t, src->access.data, false, WCR_NONE);
		if (dst->kind == IRN_ACCESS)
			note(a, &t, dst->access.data, true, m->wcr);
	}
	return t;
}

static Touch
touches(Arena *a, const IrState *s, const bool *in)
{
	return touches_where(a, s, in, false);
}

/* The touches of the memlets of s with neither end in `in` (the rest of a
 * state around a map whose own touches are checked by element). */
static Touch
touches_outside(Arena *a, const IrState *s, const bool *in)
{
	return touches_where(a, s, in, true);
}

/* The index of x in v, or -1. */
static int
find_name(const char *const *v, int n, const char *x)
{
	for (int i = 0; i < n; i++)
		if (pass_streq(v[i], x))
			return i;
	return -1;
}

/* NULL when side x (named nx) and side y (named ny) are independent: by
 * container, or, when F is set (x and y are its maps), by element for a
 * container both touch without a WCR (pass_elements_disjoint). */
static const char *
independent(Ctx *ctx, const HFuse *F, const Touch *x, const char *nx, const Touch *y,
	    const char *ny)
{
	Arena *a = ctx->arena;
	for (int i = 0; i < x->wr.len; i++) {
		const char *c = x->wr.data[i];
		int k = find_name(y->wr.data, y->wr.len, c);
		bool rd = find_name(y->rd.data, y->rd.len, c) >= 0;
		if (k >= 0 && (x->wcr.data[i] != WCR_NONE || y->wcr.data[k] != WCR_NONE))
			return arena_printf(a, "'%s' and '%s' both write '%s' (write-conflict "
					    "resolution %s and %s): the fused iterations would "
					    "conflict", nx, ny, c, ir_wcr_name(x->wcr.data[i]),
					    ir_wcr_name(y->wcr.data[k]));
		if ((k >= 0 || rd) && F && pass_elements_disjoint(ctx, &F->A, &F->B, c))
			continue;
		if (k >= 0)
			return arena_printf(a, "'%s' and '%s' both write '%s'%s", nx, ny, c,
					    F ? " at elements dfc cannot prove disjoint" : "");
		if (rd)
			return arena_printf(a, "'%s' reads '%s', which '%s' writes", ny, c, nx);
	}
	for (int i = 0; i < y->wr.len; i++)
		if (find_name(x->rd.data, x->rd.len, y->wr.data[i]) >= 0 &&
		    !(F && pass_elements_disjoint(ctx, &F->A, &F->B, y->wr.data[i])))
			return arena_printf(a, "'%s' reads '%s', which '%s' writes", nx,
					    y->wr.data[i], ny);
	return NULL;
}

/* ---- legality ---- */

/* Where the maps F->A and F->B stand; F->list, F->aindex and F->bindex
 * are found unless F->list is already set (by the matcher). */
static const char *
place(Ctx *ctx, HFuse *F)
{
	Arena *a = ctx->arena;
	if (F->A.state == F->B.state && F->A.entry == F->B.entry)
		return "a map cannot be fused with itself";
	int sa = ir_state_scope_of(F->A.state, F->A.entry);
	int sb = ir_state_scope_of(F->B.state, F->B.entry);
	if ((sa >= 0 || sb >= 0) && (F->outer || F->A.state != F->B.state || sa != sb))
		return arena_printf(a, "'%s' is nested in another map%s", pass_map_label(sa >= 0 ?
				    &F->A : &F->B), F->outer ? "" : ", and not beside the other "
				    "in one scope");
	F->same = F->A.state == F->B.state;
	if (F->same || F->list)
		return NULL;
	IrBlockList *al;
	if (!pass_find_block(F->p, F->A.block->name, &al, &F->aindex) ||
	    !pass_find_block(F->p, F->B.block->name, &F->list, &F->bindex))
		ICE("map in a state without a block");
	if (al != F->list || F->bindex <= F->aindex)
		return arena_printf(a, "'%s' is neither in the state of '%s' nor in a later "
				    "state of the same block list", pass_map_label(&F->B),
				    pass_map_label(&F->A));
	return NULL;
}

static const char *
locate(Ctx *ctx, const XSite *site, HFuse *F, bool outer)
{
	*F = (HFuse){ .p = site->p, .outer = outer };
	for (int k = 0; k < 2; k++)
		if (!pass_find_map(site->p, site->names[k], k ? &F->B : &F->A))
			return arena_printf(ctx->arena, "'%s' is not a map", site->names[k]);
	return place(ctx, F);
}

/* The number of leading ranges of the two maps that are equal once the
 * second's params are renamed to the first's by position. */
static int
equal_prefix(Ctx *ctx, const HFuse *F)
{
	const IrNode *ea = pass_map_entry(&F->A), *eb = pass_map_entry(&F->B);
	int n = ea->map.nparams < eb->map.nparams ? ea->map.nparams : eb->map.nparams, k = 0;
	Renames r = { n, eb->map.params, ea->map.params };
	for (; k < n; k++) {
		SymRange x = ea->map.ranges[k], y = range_rename(ctx->arena, &eb->map.ranges[k], &r);
		if (!sym_equal(x.begin, y.begin) || !sym_equal(x.end, y.end) ||
		    !sym_equal(x.step, y.step))
			break;
	}
	return k;
}

static const char *
ranges_differ(Ctx *ctx, const HFuse *F, const char *what)
{
	const IrNode *ea = pass_map_entry(&F->A), *eb = pass_map_entry(&F->B);
	Subset sa = { ea->map.nparams, ea->map.ranges }, sb = { eb->map.nparams, eb->map.ranges };
	return arena_printf(ctx->arena, "the %s of '%s' %s and '%s' %s differ", what,
			    pass_map_label(&F->A), subset_print(ctx->arena, &sa),
			    pass_map_label(&F->B), subset_print(ctx->arena, &sb));
}

static const char *
same_schedule(Ctx *ctx, const HFuse *F)
{
	const IrNode *ea = pass_map_entry(&F->A), *eb = pass_map_entry(&F->B);
	if (ea->map.schedule == eb->map.schedule)
		return NULL;
	return arena_printf(ctx->arena, "'%s' is %s and '%s' %s", pass_map_label(&F->A),
			    ir_schedule_name(ea->map.schedule), pass_map_label(&F->B),
			    ir_schedule_name(eb->map.schedule));
}

static const char *
ranges_match(Ctx *ctx, const HFuse *F)
{
	const IrNode *ea = pass_map_entry(&F->A), *eb = pass_map_entry(&F->B);
	const char *why = same_schedule(ctx, F);
	if (why)
		return why;
	if (ea->map.simd != eb->map.simd)
		return arena_printf(ctx->arena, "'%s' and '%s' carry different vectorization "
				    "hints (simd %d and %d): the fused map would carry one for "
				    "both bodies", pass_map_label(&F->A), pass_map_label(&F->B),
				    ea->map.simd, eb->map.simd);
	if (ea->map.nparams == eb->map.nparams && equal_prefix(ctx, F) == ea->map.nparams)
		return NULL;
	return ranges_differ(ctx, F, "ranges");
}

/* Does the scope of map m hold a map? */
static bool
has_nested(Arena *a, const MapRef *m)
{
	bool *in = ir_state_scope_members(a, m->state, m->entry);
	for (int i = 0; i < m->state->nodes.len; i++)
		if (in[i] && m->state->nodes.data[i].kind == IRN_MAP_ENTRY)
			return true;
	return false;
}

/* outer-map-fusion keeps what the backend makes of a map at the top of
 * its state: the collapse of its leading parameters (so at most one beyond
 * the k fused) and the local accumulator and simd reduction of its WCR
 * writes (so none: nested, they would be plain += loops). */
static const char *
keeps_codegen(Ctx *ctx, const MapRef *m, int k)
{
	const IrNode *en = pass_map_entry(m);
	if (en->map.nparams > k + 1)
		return arena_printf(ctx->arena, "'%s' has %d parameters: its parallel loop "
				    "collapses %d, the fused map's only %d", pass_map_label(m),
				    en->map.nparams, en->map.nparams - 1, k);
	bool *in = map_nodes(ctx->arena, m);
	for (int i = 0; i < m->state->memlets.len; i++) {
		const IrMemlet *e = &m->state->memlets.data[i];
		if ((in[e->src] || in[e->dst]) && e->wcr != WCR_NONE)
			return arena_printf(ctx->arena, "'%s' accumulates into '%s' (write-conflict "
					    "resolution %s): nested, it would lose the reduction "
					    "the backend gives a map at the top of its state",
					    pass_map_label(m), e->data, ir_wcr_name(e->wcr));
	}
	return NULL;
}

/* outer-map-fusion: the same schedule, k >= 1 equal leading ranges, a
 * nested map in the fused map (else it is horizontal-map-fusion's), and
 * no inner parameter of the second named like an outer one of the first
 * (after renaming it would hide that one from the second's body). */
static const char *
outer_ranges(Ctx *ctx, HFuse *F)
{
	const IrNode *ea = pass_map_entry(&F->A), *eb = pass_map_entry(&F->B);
	const char *why = same_schedule(ctx, F);
	if (why)
		return why;
	F->k = equal_prefix(ctx, F);
	if (F->k == 0)
		return ranges_differ(ctx, F, "first ranges");
	if (F->k == ea->map.nparams && F->k == eb->map.nparams &&
	    !has_nested(ctx->arena, &F->A) && !has_nested(ctx->arena, &F->B))
		return arena_printf(ctx->arena, "'%s' and '%s' have equal ranges and no nested "
				    "maps: that is horizontal-map-fusion", pass_map_label(&F->A),
				    pass_map_label(&F->B));
	if ((why = keeps_codegen(ctx, &F->A, F->k)) || (why = keeps_codegen(ctx, &F->B, F->k)))
		return why;
	for (int j = F->k; j < eb->map.nparams; j++)
		if (find_name(ea->map.params, F->k, eb->map.params[j]) >= 0)
			return arena_printf(ctx->arena, "'%s' names its inner parameter '%s' "
					    "like an outer parameter of '%s'", pass_map_label(&F->B),
					    eb->map.params[j], pass_map_label(&F->A));
	return NULL;
}

static bool
subset_names(const Subset *s, const char *x)
{
	for (int d = 0; d < s->ndim; d++)
		if (sym_depends_on(s->r[d].begin, x) || sym_depends_on(s->r[d].end, x) ||
		    sym_depends_on(s->r[d].step, x))
			return true;
	return false;
}

/* Does node n (in the second map's scope) use or define name x? */
static bool
node_names(const IrNode *n, const char *x)
{
	if (n->kind == IRN_TASKLET) {
		for (int i = 0; i < n->tasklet.nout_index; i++)
			if (ir_expr_uses_sym(n->tasklet.out_index[i], x))
				return true;
		return ir_expr_uses_sym(n->tasklet.expr, x);
	}
	if (n->kind != IRN_MAP_ENTRY)
		return false;
	Subset r = { n->map.nparams, n->map.ranges };
	return find_name(n->map.params, n->map.nparams, x) >= 0 || subset_names(&r, x);
}

/* Renaming the second's params must not capture a name of the first's. */
static const char *
no_capture(Ctx *ctx, const HFuse *F)
{
	const IrState *s = F->B.state;
	const IrNode *ea = pass_map_entry(&F->A), *eb = pass_map_entry(&F->B);
	bool *in = ir_state_scope_members(ctx->arena, s, F->B.entry);
	int na = F->outer ? F->k : ea->map.nparams, nb = F->outer ? F->k : eb->map.nparams;
	for (int k = 0; k < na; k++) {
		const char *x = ea->map.params[k];
		if (find_name(eb->map.params, nb, x) >= 0)
			continue;
		bool used = false;
		for (int i = 0; i < s->nodes.len && !used; i++)
			used = in[i] && node_names(&s->nodes.data[i], x);
		for (int i = 0; i < s->memlets.len && !used; i++)
			used = (in[s->memlets.data[i].src] || in[s->memlets.data[i].dst]) &&
				subset_names(&s->memlets.data[i].subset, x);
		if (used)
			return arena_printf(ctx->arena, "'%s' uses the name '%s', a parameter of '%s'",
					    pass_map_label(&F->B), x, pass_map_label(&F->A));
	}
	return NULL;
}

/* Does the second's state hold only the second map and its access nodes? */
static bool
only_map(Ctx *ctx, const HFuse *F)
{
	const IrState *s = F->B.state;
	bool *in = map_nodes(ctx->arena, &F->B);
	int exit = pass_map_entry(&F->B)->map.exit;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!in[m->src] && !in[m->dst])
			return false;
		if ((!in[m->src] && m->dst != F->B.entry) || (!in[m->dst] && m->src != exit))
			return false;
	}
	for (int i = 0; i < s->nodes.len; i++)
		if (!in[i] && s->nodes.data[i].kind != IRN_ACCESS)
			return false;
	return true;
}

/* Is node `to` reachable from node `from` along memlets of s? */
static bool
reaches(Arena *a, const IrState *s, int from, int to)
{
	bool *seen = arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1));
	int *stack = arena_alloc(a, sizeof(int) * (size_t)(s->nodes.len + 1));
	int n = 0;
	stack[n++] = from;
	seen[from] = true;
	while (n > 0) {
		int v = stack[--n];
		if (v == to)
			return true;
		for (int i = 0; i < s->memlets.len; i++) {
			int w = s->memlets.data[i].dst;
			if (s->memlets.data[i].src == v && !seen[w]) {
				seen[w] = true;
				stack[n++] = w;
			}
		}
	}
	return false;
}

static const char *
no_path(Ctx *ctx, const HFuse *F)
{
	const IrState *s = F->A.state;
	int xa = pass_map_entry(&F->A)->map.exit, xb = pass_map_entry(&F->B)->map.exit;
	if (reaches(ctx->arena, s, xa, F->B.entry))
		return arena_printf(ctx->arena, "'%s' depends on '%s' through the dataflow of '%s'",
				    pass_map_label(&F->B), pass_map_label(&F->A), s->name);
	if (reaches(ctx->arena, s, xb, F->A.entry))
		return arena_printf(ctx->arena, "'%s' depends on '%s' through the dataflow of '%s'",
				    pass_map_label(&F->A), pass_map_label(&F->B), s->name);
	return NULL;
}

/* ---- the states between the two ---- */

/* What block b (not a state) is, for a refusal. */
static const char *
block_what(Arena *a, const IrBlock *b)
{
	switch (b->kind) {
	case CF_FOR:
	case CF_WHILE:
		return arena_printf(a, "the loop '%s'", b->name);
	case CF_IF:
		return arena_printf(a, "the branch '%s'", b->name);
	case CF_ASSIGN:
		return arena_printf(a, "the assignment of the symbol '%s'", b->assign.sym);
	case CF_BREAK:
		return "a break";
	case CF_CONTINUE:
		return "a continue";
	case CF_RETURN:
		return "a return";
	case CF_STATE:
		break;
	}
	ICE("block_what of a state");
}

/* Does x write a container that y reads or accumulates into (a WCR write
 * reads what it updates)? */
static bool
feeds(const Touch *x, const Touch *y)
{
	for (int i = 0; i < x->wr.len; i++) {
		const char *c = x->wr.data[i];
		if (find_name(y->rd.data, y->rd.len, c) >= 0)
			return true;
		for (int j = 0; j < y->wr.len; j++)
			if (pass_streq(y->wr.data[j], c) && y->wcr.data[j] != WCR_NONE)
				return true;
	}
	return false;
}

static bool
shares_input(const Touch *x, const Touch *y)
{
	for (int i = 0; i < x->rd.len; i++)
		if (find_name(y->rd.data, y->rd.len, x->rd.data[i]) >= 0)
			return true;
	return false;
}

/* The touches t[i - aindex] of the states between the two (list indices
 * i = aindex+1 .. bindex-1); a refusal when one of those blocks is not a
 * state. */
static const char *
between_touches(Ctx *ctx, const HFuse *F, Touch *t)
{
	IrBlockList *l = F->list;
	for (int i = F->aindex + 1; i < F->bindex; i++) {
		if (l->data[i]->kind != CF_STATE)
			return arena_printf(ctx->arena, "%s lies between '%s' and '%s': only "
					    "states can be reordered around the fused map",
					    block_what(ctx->arena, l->data[i]), F->A.state->name,
					    F->B.state->name);
		t[i - F->aindex] = touches(ctx->arena, l->data[i]->state, NULL);
	}
	return NULL;
}

/* hoist[k]: the state between at list index aindex + k feeds the second
 * map, or feeds a later state between that is hoisted (transitively): it
 * must run before the fused map, so it moves before the first's state. */
static void
plan_hoist(Ctx *ctx, HFuse *F, const Touch *t, const Touch *tb)
{
	int n = F->bindex - F->aindex;
	F->hoist = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(n + 1));
	for (int i = n - 1; i > 0; i--) {
		F->hoist[i] = feeds(&t[i], tb);
		for (int j = i + 1; j < n && !F->hoist[i]; j++)
			F->hoist[i] = F->hoist[j] && feeds(&t[i], &t[j]);
	}
}

/* The new order [hoisted states, fused state, the other states between]
 * computes what the old one did: a hoisted state is independent of the
 * first's state and of every state between that it moves across; the
 * second map is independent of every state that stays after it. */
static const char *
reorder_legal(Ctx *ctx, const HFuse *F, const Touch *t, const Touch *tb)
{
	Arena *a = ctx->arena;
	IrBlockList *l = F->list;
	Touch ts = touches(a, F->A.state, NULL);
	for (int i = 1; i < F->bindex - F->aindex; i++) {
		const char *si = l->data[F->aindex + i]->state->name, *why;
		if (!F->hoist[i]) {
			if ((why = independent(ctx, NULL, tb, pass_map_label(&F->B), &t[i], si)))
				return arena_printf(a, "'%s' stays after the fused map, but %s", si, why);
			continue;
		}
		why = independent(ctx, NULL, &ts, F->A.state->name, &t[i], si);
		for (int j = 1; j < i && !why; j++)
			if (!F->hoist[j])
				why = independent(ctx, NULL, &t[j], l->data[F->aindex + j]->state->name,
						  &t[i], si);
		if (why)
			return arena_printf(a, "'%s' must move before '%s' ('%s' depends on it), "
					    "but %s", si, F->A.state->name, pass_map_label(&F->B),
					    why);
	}
	return NULL;
}

/* The states between a first and a second map that are not in
 * consecutive states: all plain states, the maps share an input (else
 * fusing saves only a fork, and keeps apart the states between and the
 * data they consume), and a legal reordering. */
static const char *
between(Ctx *ctx, HFuse *F, const Touch *ta, const Touch *tb)
{
	if (F->bindex == F->aindex + 1)
		return NULL;
	Touch *t = arena_alloc(ctx->arena, sizeof(Touch) *
			       (size_t)(F->bindex - F->aindex + 1));
	const char *why = between_touches(ctx, F, t);
	if (why)
		return why;
	if (!shares_input(ta, tb))
		return arena_printf(ctx->arena, "'%s' and '%s' read no container in common: "
				    "fusing them across the states between would save only a "
				    "fork", pass_map_label(&F->A), pass_map_label(&F->B));
	plan_hoist(ctx, F, t, tb);
	return reorder_legal(ctx, F, t, tb);
}

static const char *
dependences(Ctx *ctx, HFuse *F)
{
	Arena *a = ctx->arena;
	Touch ta = touches(a, F->A.state, map_nodes(a, &F->A));
	Touch tb = touches(a, F->B.state, map_nodes(a, &F->B));
	const char *why = independent(ctx, F, &ta, pass_map_label(&F->A), &tb,
				      pass_map_label(&F->B));
	if (why)
		return why;
	if (F->same)
		return no_path(ctx, F);
	if (!only_map(ctx, F))
		return arena_printf(a, "'%s' holds more than the map '%s'", F->B.state->name,
				    pass_map_label(&F->B));
	Touch ts = touches_outside(a, F->A.state, map_nodes(a, &F->A));
	if ((why = independent(ctx, NULL, &ts, F->A.state->name, &tb, pass_map_label(&F->B))))
		return why;
	return between(ctx, F, &ta, &tb);
}

/* The check of F once its maps are found. */
static const char *
analyse_maps(Ctx *ctx, HFuse *F)
{
	const char *why;
	if ((why = place(ctx, F)) ||
	    (why = F->outer ? outer_ranges(ctx, F) : ranges_match(ctx, F)) ||
	    (why = no_capture(ctx, F)))
		return why;
	return dependences(ctx, F);
}

static const char *
analyse(Ctx *ctx, const XSite *site, HFuse *F, bool outer)
{
	const char *why = locate(ctx, site, F, outer);
	return why ? why : analyse_maps(ctx, F);
}

/* passes.h: for map-peeling's matcher, which peels a map only where the
 * two would then fuse. */
const char *
pass_hfuse_check_but_ranges(Ctx *ctx, IrProgram *p, const MapRef *a, const MapRef *b)
{
	HFuse F = { .p = p, .A = *a, .B = *b };
	const IrNode *ea = pass_map_entry(a), *eb = pass_map_entry(b);
	const char *why;
	if ((why = place(ctx, &F)) || (why = same_schedule(ctx, &F)))
		return why;
	if (ea->map.simd != eb->map.simd || ea->map.nparams != eb->map.nparams)
		return "different hints or numbers of parameters";
	if ((why = no_capture(ctx, &F)))
		return why;
	return dependences(ctx, &F);
}

static const char *
hf_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	HFuse F;
	return analyse(ctx, site, &F, false);
}

static const char *
of_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	HFuse F;
	return analyse(ctx, site, &F, true);
}

/* ---- apply ---- */

/* Moves the hoisted states between the two before the first's state:
 * [hoisted, first, the others], each group in its old order. */
static void
hoist_states(Ctx *ctx, const HFuse *F)
{
	IrBlockList *l = F->list;
	int lo = F->aindex, hi = F->bindex, n = 0;
	if (!F->hoist)
		return;
	IrBlock **v = arena_alloc(ctx->arena, sizeof(IrBlock *) * (size_t)(hi - lo + 1));
	for (int i = lo + 1; i < hi; i++)
		if (F->hoist[i - lo])
			v[n++] = l->data[i];
	v[n++] = l->data[lo];
	for (int i = lo + 1; i < hi; i++)
		if (!F->hoist[i - lo])
			v[n++] = l->data[i];
	memcpy(&l->data[lo], v, sizeof(IrBlock *) * (size_t)n);
}

/* Appends the nodes and memlets of the second's state to the first's and
 * drops the second's block; F->B then points into the first's state. */
static void
move_state(Ctx *ctx, HFuse *F)
{
	IrState *a = F->A.state;
	int base = pass_state_append(ctx, a, F->B.state);
	for (int i = F->bindex; i + 1 < F->list->len; i++)
		F->list->data[i] = F->list->data[i + 1];
	F->list->len--;
	F->B = (MapRef){ a, F->B.entry + base, F->A.block };
}

/* Renames the second's params to the first's inside its scope. */
static void
rename_params(Ctx *ctx, const HFuse *F)
{
	Arena *a = ctx->arena;
	IrState *s = F->A.state;
	Renames r = second_to_first(F);
	bool *in = map_nodes(a, &F->B);
	int xb = pass_map_entry(&F->B)->map.exit;
	for (int i = 0; i < s->nodes.len; i++) {
		IrNode *n = &s->nodes.data[i];
		if (!in[i] || i == F->B.entry || i == xb)
			continue;
		if (n->kind == IRN_TASKLET) {
			n->tasklet.expr = expr_rename(a, n->tasklet.expr, &r);
			rename_out_index(a, n, &r);
		} else if (n->kind == IRN_MAP_ENTRY) {
			SymRange *rs = arena_alloc(a, sizeof(SymRange) * (size_t)n->map.nparams);
			for (int k = 0; k < n->map.nparams; k++)
				rs[k] = range_rename(a, &n->map.ranges[k], &r);
			n->map.ranges = rs;
		}
	}
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (!in[m->src] && !in[m->dst])
			continue;
		Subset o = { m->subset.ndim, arena_alloc(a, sizeof(SymRange) *
							      (size_t)(m->subset.ndim + 1)) };
		for (int d = 0; d < o.ndim; d++)
			o.r[d] = range_rename(a, &m->subset.r[d], &r);
		m->subset = o;
	}
}

/* Moves the memlets of node `from` (the second's entry or exit) to `to`
 * (the first's), connector pair by pair. `outer` is "IN_" for an entry,
 * "OUT_" for an exit: the side of the outer memlets. */
static void
move_conns(Ctx *ctx, IrState *s, int from, int to, const char *outer)
{
	Arena *a = ctx->arena;
	bool entry = outer[0] == 'I';
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		const char *x = entry ?
			(m->dst == from ? pass_conn_suffix(m->dst_conn, "IN_") : NULL) :
			(m->src == from ? pass_conn_suffix(m->src_conn, "OUT_") : NULL);
		if (!x)
			continue;
		const char *y = x;
		for (int k = 2; pass_conn_taken(s, to, arena_printf(a, "IN_%s", y)) ||
				pass_conn_taken(s, to, arena_printf(a, "OUT_%s", y)); k++)
			y = arena_printf(a, "%s_%d", x, k);
		const char *in0 = arena_printf(a, "IN_%s", x), *out0 = arena_printf(a, "OUT_%s", x);
		for (int j = 0; j < s->memlets.len; j++) {
			IrMemlet *n = &s->memlets.data[j];
			if (n->src == from &&
			    (pass_streq(n->src_conn, in0) || pass_streq(n->src_conn, out0))) {
				n->src_conn = arena_printf(a, "%s%s", n->src_conn[0] == 'I' ? "IN_" :
							   "OUT_", y);
				n->src = to;
			}
			if (n->dst == from &&
			    (pass_streq(n->dst_conn, in0) || pass_streq(n->dst_conn, out0))) {
				n->dst_conn = arena_printf(a, "%s%s", n->dst_conn[0] == 'I' ? "IN_" :
							   "OUT_", y);
				n->dst = to;
			}
		}
	}
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		m->src = m->src == from ? to : m->src;
		m->dst = m->dst == from ? to : m->dst;
	}
}

/* outer-map-fusion: map-expansion of m at its first k params when it has
 * more; the inner map keeps m's vectorization hint, the outer one (the
 * loop of the fused map, which holds nested loops) carries none. */
static void
expand_outer(Ctx *ctx, IrProgram *p, const MapRef *m, int k)
{
	int simd = pass_map_entry(m)->map.simd, inner = m->state->nodes.len;
	if (pass_map_entry(m)->map.nparams > k) {
		XParam split = { .key = "split", .nint = 1, .ints = { k },
				 .str = arena_printf(ctx->arena, "%d", k), .loc = p->loc };
		XSite site = { .p = p, .n = 1, .names = { pass_map_label(m) } };
		xform_map_expansion.apply(ctx, &site, &(XParams){ 1, &split });
		if (m->state->nodes.data[inner].kind != IRN_MAP_ENTRY)
			ICE("map-expansion made no inner map at node %d", inner);
		m->state->nodes.data[inner].map.simd = simd;
	}
	pass_map_entry(m)->map.simd = 0;
}

static void
fuse_apply(Ctx *ctx, const XSite *site, bool outer)
{
	HFuse F;
	if (analyse(ctx, site, &F, outer))
		ICE("%s applied where it does not apply", outer ? "outer-map-fusion" :
		    "horizontal-map-fusion");
	if (outer) {
		expand_outer(ctx, F.p, &F.A, F.k);
		expand_outer(ctx, F.p, &F.B, F.k);
	}
	if (!F.same) {
		hoist_states(ctx, &F);
		move_state(ctx, &F);
	}
	rename_params(ctx, &F);
	IrState *s = F.A.state;
	int xa = pass_map_entry(&F.A)->map.exit, xb = pass_map_entry(&F.B)->map.exit;
	move_conns(ctx, s, F.B.entry, F.A.entry, "IN_");
	move_conns(ctx, s, xb, xa, "OUT_");
	bool *dead = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(s->nodes.len + 1));
	dead[F.B.entry] = dead[xb] = true;
	pass_state_remove(ctx, s, dead, NULL);
}

static void
hf_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	fuse_apply(ctx, site, false);
}

static void
of_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	fuse_apply(ctx, site, true);
}

/* ---- matching ---- */

typedef struct Match {
	Ctx *ctx;
	IrProgram *p;
	XSiteList *out;
	bool outer;             /* outer-map-fusion's sites */
} Match;

/* The states after a map's state that the matcher pairs it with: the
 * check accepts any distance, the matcher bounds the quadratic search. */
enum { MATCH_WINDOW = 32 };

/* The top-level labelled maps of the state of block b, in node order. */
static MapRef *
top_maps(Ctx *ctx, IrBlock *b, int *n)
{
	IrState *s = b->state;
	MapRef *v = arena_alloc(ctx->arena, sizeof(MapRef) * (size_t)(s->nodes.len + 1));
	*n = 0;
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_MAP_ENTRY && s->nodes.data[i].label &&
		    ir_state_scope_of(s, i) < 0)
			v[(*n)++] = (MapRef){ s, i, b };
	return v;
}

/* Proposes [x, y] (x in l[i], y in l[j]) when the cheap part of the
 * check (the number of params and the schedule) agrees and the whole
 * check passes; the maps are not looked up by label. */
static void
try_pair(Match *M, IrBlockList *l, int i, int j, MapRef x, MapRef y)
{
	const IrNode *ex = pass_map_entry(&x), *ey = pass_map_entry(&y);
	if ((!M->outer && ex->map.nparams != ey->map.nparams) ||
	    ex->map.schedule != ey->map.schedule)
		return;
	HFuse F = { .p = M->p, .A = x, .B = y, .list = i == j ? NULL : l,
		    .aindex = i, .bindex = j, .outer = M->outer };
	if (analyse_maps(M->ctx, &F))
		return;
	XSite site = { .p = M->p, .n = 2, .names = { ex->label, ey->label } };
	vec_push(M->ctx->arena, M->out, site);
}

static void match_list(Match *M, IrBlockList *l);

/* The pairs of labelled maps nested side by side in one scope of the
 * state l[i] (horizontal-map-fusion only). */
static void
match_nested(Match *M, IrBlockList *l, int i)
{
	IrState *s = l->data[i]->state;
	int *scope = ir_state_scopes(M->ctx->arena, s);
	for (int x = 0; x < s->nodes.len; x++) {
		if (s->nodes.data[x].kind != IRN_MAP_ENTRY || !s->nodes.data[x].label ||
		    scope[x] < 0)
			continue;
		for (int y = x + 1; y < s->nodes.len; y++)
			if (s->nodes.data[y].kind == IRN_MAP_ENTRY && s->nodes.data[y].label &&
			    scope[y] == scope[x])
				try_pair(M, l, i, i, (MapRef){ s, x, l->data[i] },
					 (MapRef){ s, y, l->data[i] });
	}
}

/* The pairs of maps of the state l[i], and those of a map of l[i] with a
 * map of a later state, up to the first block that is not a state. */
static void
match_state(Match *M, IrBlockList *l, int i)
{
	int n, m;
	MapRef *v = top_maps(M->ctx, l->data[i], &n);
	if (!M->outer)
		match_nested(M, l, i);
	for (int x = 0; x < n; x++)
		for (int y = x + 1; y < n; y++)
			try_pair(M, l, i, i, v[x], v[y]);
	for (int j = i + 1; j < l->len && j <= i + MATCH_WINDOW; j++) {
		if (l->data[j]->kind != CF_STATE)
			return;
		MapRef *w = top_maps(M->ctx, l->data[j], &m);
		for (int x = 0; x < n; x++)
			for (int y = 0; y < m; y++)
				try_pair(M, l, i, j, v[x], w[y]);
	}
}

static void
match_block(Match *M, IrBlockList *l, int i)
{
	IrBlock *b = l->data[i];
	if (b->kind == CF_FOR)
		match_list(M, &b->loop.body);
	else if (b->kind == CF_WHILE)
		match_list(M, &b->wloop.body);
	else if (b->kind == CF_IF) {
		for (int k = 0; k < b->branch.n; k++)
			match_list(M, &b->branch.bodies[k]);
		match_list(M, &b->branch.orelse);
	} else if (b->kind == CF_STATE)
		match_state(M, l, i);
}

static void
match_list(Match *M, IrBlockList *l)
{
	for (int i = 0; i < l->len; i++)
		match_block(M, l, i);
}

static void
hf_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, out, false };
	match_list(&M, &p->body);
}

static void
of_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, out, true };
	match_list(&M, &p->body);
}

const Xform xform_horizontal_fusion = {
	.name = "horizontal-map-fusion",
	.desc = "merges two independent maps with equal ranges into one map whose body holds both",
	.nsites = 2,
	.params = NULL,
	.match = hf_match,
	.check = hf_check,
	.apply = hf_apply,
};

const Xform xform_outer_fusion = {
	.name = "outer-map-fusion",
	.desc = "merges two independent maps over equal leading ranges into one map over those, "
		"the rest of each a nested map",
	.nsites = 2,
	.params = NULL,
	.match = of_match,
	.check = of_check,
	.apply = of_apply,
};
