/* passes/map_tiling.c — map tiling and strip-mining.
 *
 * Both split parameters of one map. A split parameter p over [b:e:s] with
 * tile size T becomes a parameter p_tile of an outer map over the tile
 * origins [b:e:T*s], and p itself stays a parameter of an inner map over
 * the points of its tile [p_tile : min(p_tile + T*s, e) : s]. map-tiling
 * splits every parameter; strip-mining splits one, and the others stay
 * whole in the inner map. The outer map keeps the label (the stable name
 * of the nest), the schedule and the node ids of the original map; the
 * inner map is new, sequential, and labelled "<label>_inner".
 *
 * Because the inner parameters keep their names, the body is untouched:
 * tasklet expressions (sym:p) and memlet subsets stay valid. Memlets are
 * routed through both scopes: the original outer memlets still enter the
 * outer entry, the original inner memlets now leave the inner entry, and
 * between the two entries (and the two exits) a new memlet per connector
 * carries what one tile touches: each inner subset with the parameters
 * replaced by the extremes of their span in the tile (exact for affine
 * indices, the container's whole extent for a dimension that is not
 * affine in the parameters).
 *
 * Legality. A map is a parallel scope: its iterations are independent
 * except for WCR writes, which combine in any order. Tiling runs every
 * iteration exactly once, so it is legal whenever the pieces can be
 * placed: the map's ranges must not depend on its own parameters (the
 * tile origins live outside the inner map), and sizes must be positive
 * with tiles of at most 2^40 elements (T*s), so no index arithmetic of
 * the loops overflows.
 *
 * map-tiling's `local: true` then copies, per tile, what the body reads
 * of each array into a buffer local to the tile (see "local storage").
 */
#include <string.h>

#include "passes.h"

enum { TILE_DEFAULT = 32, STRIP_DEFAULT = 64 };
#define SIZE_MAX_WIDTH ((int64_t)1 << 40)

/* ---- names ---- */

/* Is name a map label (labels true) or a map parameter of state s? */
static bool
used_in_state(const IrState *s, const char *name, bool labels)
{
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind != IRN_MAP_ENTRY)
			continue;
		if (labels && pass_streq(n->label, name))
			return true;
		for (int k = 0; !labels && k < n->map.nparams; k++)
			if (pass_streq(n->map.params[k], name))
				return true;
	}
	return false;
}

/* Is name a stable name (labels true: of a block or a map) or a loop
 * variable (labels false) somewhere in l? */
static bool
used_in_blocks(const IrBlockList *l, const char *name, bool labels)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		if (labels && pass_streq(b->name, name))
			return true;
		switch (b->kind) {
		case CF_STATE:
			if (labels && used_in_state(b->state, name, true))
				return true;
			break;
		case CF_FOR:
			if ((!labels && pass_streq(b->loop.var, name)) ||
			    used_in_blocks(&b->loop.body, name, labels))
				return true;
			break;
		case CF_WHILE:
			if (used_in_blocks(&b->wloop.body, name, labels))
				return true;
			break;
		case CF_IF:
			for (int k = 0; k < b->branch.n; k++)
				if (used_in_blocks(&b->branch.bodies[k], name, labels))
					return true;
			if (used_in_blocks(&b->branch.orelse, name, labels))
				return true;
			break;
		case CF_ASSIGN:
			if (!labels && pass_streq(b->assign.sym, name))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

/* Could a new parameter of a map in state s be called name? Not if it
 * names a symbol, container, loop variable, a map parameter of s, or one
 * of also[]. */
static bool
param_taken(const IrProgram *p, const IrState *s, const char *name, const char **also,
	    int nalso)
{
	for (int i = 0; i < nalso; i++)
		if (pass_streq(also[i], name))
			return true;
	return ir_is_c_keyword(name) || ir_program_has_symbol(p, name) ||
	       ir_program_find_container(p, name) || used_in_blocks(&p->body, name, false) ||
	       used_in_state(s, name, false);
}

/* base, or base_2, base_3...: a parameter name free in s. */
static const char *
fresh_param(Ctx *ctx, const IrProgram *p, const IrState *s, const char *base,
	    const char **also, int nalso)
{
	const char *n = base;
	for (int i = 2; param_taken(p, s, n, also, nalso); i++)
		n = arena_printf(ctx->arena, "%s_%d", base, i);
	return n;
}

/* base, or base_2, base_3...: a stable name no block or map of p has. */
static const char *
fresh_label(Ctx *ctx, const IrProgram *p, const char *base)
{
	const char *n = base;
	for (int i = 2; used_in_blocks(&p->body, n, true); i++)
		n = arena_printf(ctx->arena, "%s_%d", base, i);
	return n;
}

/* ---- legality ---- */

static const char *
find_map(Ctx *ctx, const XSite *site, MapRef *ref)
{
	if (site->n != 1)
		return "expected one map";
	if (!pass_find_map(site->p, site->names[0], ref))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	return NULL;
}

static const char *
param_list(Ctx *ctx, const IrNode *e)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	for (int k = 0; k < e->map.nparams; k++)
		sb_printf(&sb, "%s%s", k ? ", " : "", e->map.params[k]);
	return sb_str(&sb);
}

static bool
range_uses(const SymRange *r, const char *name)
{
	return sym_depends_on(r->begin, name) || sym_depends_on(r->end, name) ||
	       sym_depends_on(r->step, name);
}

/* NULL if no range of the map mentions one of its own parameters. */
static const char *
dependent_range(Ctx *ctx, const IrNode *e)
{
	for (int k = 0; k < e->map.nparams; k++)
		for (int j = 0; j < e->map.nparams; j++)
			if (range_uses(&e->map.ranges[k], e->map.params[j]))
				return arena_printf(ctx->arena, "the range of %s depends on the "
						    "map parameter %s, so its tiles cannot be "
						    "enumerated outside the map",
						    e->map.params[k], e->map.params[j]);
	return NULL;
}

/* NULL if the tile width size*step of param k is at most SIZE_MAX_WIDTH
 * (for a constant step; size itself otherwise), so that stepping a tile
 * origin past the end of any realistic range cannot overflow int64. */
static const char *
size_too_large(Ctx *ctx, const IrNode *e, int k, int64_t size)
{
	int64_t step, width = size;
	if (sym_is_const(e->map.ranges[k].step, &step) &&
	    __builtin_mul_overflow(size, step, &width))
		width = INT64_MAX;
	if (size > SIZE_MAX_WIDTH || width > SIZE_MAX_WIDTH)
		return arena_printf(ctx->arena, "tile size %lld for %s is too large (a tile "
				    "may span at most 2^40 elements)", (long long)size,
				    e->map.params[k]);
	return NULL;
}

/* An integer parameter given as one number, not a list. */
static bool
scalar_int(const XParam *q)
{
	return q->nint == 1 && !(q->str && q->str[0] == '[');
}

/* The tile sizes of map-tiling: `tile: [T0, T1, ...]`, or `tile: T` for
 * every parameter, or 32 for every parameter. */
static const char *
tile_sizes(Ctx *ctx, const IrNode *e, const XParams *params, int64_t *size)
{
	int n = e->map.nparams;
	const XParam *q = pass_param(params, "tile");
	for (int k = 0; k < n; k++)
		size[k] = TILE_DEFAULT;
	if (!q)
		return NULL;
	if (q->nint < 0)
		return arena_printf(ctx->arena, "tile must be a list of positive integers, "
				    "one per map parameter, not '%s'", q->str ? q->str : "");
	if (!scalar_int(q) && q->nint != n)
		return arena_printf(ctx->arena, "the map has %d parameter%s (%s) but tile "
				    "gives %d size%s", n, n == 1 ? "" : "s", param_list(ctx, e),
				    q->nint, q->nint == 1 ? "" : "s");
	for (int k = 0; k < n; k++) {
		size[k] = scalar_int(q) ? q->ints[0] : q->ints[k];
		if (size[k] <= 0)
			return arena_printf(ctx->arena, "tile size %lld for %s is not positive",
					    (long long)size[k], e->map.params[k]);
	}
	return NULL;
}

/* The split parameter of strip-mining: `dim: K` (an index, or the
 * parameter's name), 0 by default. */
static const char *
strip_dim(Ctx *ctx, const IrNode *e, const XParams *params, int *dim)
{
	const XParam *q = pass_param(params, "dim");
	int n = e->map.nparams;
	*dim = 0;
	if (!q)
		return NULL;
	if (q->nint < 0) {
		for (int k = 0; k < n; k++)
			if (pass_streq(e->map.params[k], q->str)) {
				*dim = k;
				return NULL;
			}
		return arena_printf(ctx->arena, "dim '%s' is neither a parameter of the map "
				    "(%s) nor an index", q->str ? q->str : "", param_list(ctx, e));
	}
	if (!scalar_int(q) || q->ints[0] < 0 || q->ints[0] >= n)
		return arena_printf(ctx->arena, "dim must be one index in 0..%d (the map's "
				    "parameters are %s)", n - 1, param_list(ctx, e));
	*dim = (int)q->ints[0];
	return NULL;
}

static const char *
strip_sizes(Ctx *ctx, const IrNode *e, const XParams *params, int64_t *size)
{
	int dim;
	const char *why = strip_dim(ctx, e, params, &dim);
	if (why)
		return why;
	const XParam *q = pass_param(params, "size");
	for (int k = 0; k < e->map.nparams; k++)
		size[k] = 0;
	size[dim] = STRIP_DEFAULT;
	if (!q)
		return NULL;
	if (!scalar_int(q))
		return "size must be one positive integer";
	if (q->ints[0] <= 0)
		return arena_printf(ctx->arena, "size %lld is not positive", (long long)q->ints[0]);
	size[dim] = q->ints[0];
	return NULL;
}

typedef const char *(*SizesFn)(Ctx *, const IrNode *, const XParams *, int64_t *);

/* The common check: the site is a map, the sizes are valid (size[k] > 0
 * for a split parameter, 0 for one that stays whole), nothing depends on
 * the map's own parameters. *out_size is arena memory when not NULL. */
static const char *
split_check(Ctx *ctx, const XSite *site, const XParams *params, SizesFn sizes,
	    MapRef *ref, int64_t **out_size)
{
	const char *why = find_map(ctx, site, ref);
	if (why)
		return why;
	const IrNode *e = &ref->state->nodes.data[ref->entry];
	int64_t *size = arena_alloc(ctx->arena, sizeof(int64_t) * (size_t)e->map.nparams);
	if ((why = sizes(ctx, e, params, size)))
		return why;
	for (int k = 0; k < e->map.nparams; k++)
		if (size[k] > 0 && (why = size_too_large(ctx, e, k, size[k])))
			return why;
	if ((why = dependent_range(ctx, e)))
		return why;
	if (out_size)
		*out_size = size;
	return NULL;
}

/* ---- spans and covers ---- */

/* The values a parameter takes inside one tile: lo, lo + step, ..., last. */
typedef struct Span {
	const char *param;
	Sym *lo, *last, *step;
} Span;

/* The end of the tile starting at t: min(t + T*s, e), or t + T*s when the
 * tiles divide the range exactly, or e when one tile covers it. */
static Sym *
tile_end(Arena *a, const SymRange *r, Sym *t, Sym *width)
{
	int64_t ext, w;
	Sym *next = sym_add(a, t, width);
	if (sym_is_const(sym_sub(a, r->end, r->begin), &ext) && sym_is_const(width, &w)) {
		if (ext <= w)
			return r->end;
		if (ext % w == 0)
			return next;
	}
	return sym_min(a, next, r->end);
}

/* The span of a split parameter in the tile starting at t, whose points
 * range over inner = [t : tile_end : s]. */
static Span
tile_span(Arena *a, const char *param, const SymRange *r, const SymRange *inner,
	  int64_t size)
{
	int64_t s;
	Span sp = { param, inner->begin, NULL, r->step };
	if (sym_is_const(r->step, &s) && s == 1)
		sp.last = sym_addc(a, inner->end, -1);
	else
		sp.last = sym_min(a, sym_add(a, inner->begin,
					     sym_mul(a, sym_const(a, size - 1), r->step)),
				  ir_range_last(a, r));
	return sp;
}

/* f with each parameter replaced by the end of its span that makes f
 * smallest (hi false) or largest (hi true); NULL when f is not affine in
 * some parameter. */
static Sym *
extreme(Arena *a, const Span *sp, int n, Sym *f, bool hi)
{
	Sym *g = f;
	for (int k = 0; k < n; k++) {
		int64_t c;
		if (!sym_coef_of(f, sp[k].param, &c))
			return NULL;
		if (c != 0)
			g = sym_subst(a, g, sp[k].param, (c > 0) == hi ? sp[k].last : sp[k].lo);
	}
	return g;
}

/* The parameter an index varies with when it is the only one, else -1;
 * *coef gets its coefficient. */
static int
sole_param(const Span *sp, int n, const Sym *f, int64_t *coef)
{
	int found = -1;
	for (int k = 0; k < n; k++) {
		int64_t c;
		if (!sym_coef_of(f, sp[k].param, &c))
			return -1;
		if (c == 0)
			continue;
		if (found >= 0)
			return -1;
		found = k;
		*coef = c;
	}
	return found;
}

static bool
varies(const Sym *s, const Span *sp, int n)
{
	for (int k = 0; k < n; k++)
		if (sym_depends_on(s, sp[k].param))
			return true;
	return false;
}

/* What the range r of one dimension of an inner memlet covers over the
 * spans: r itself when it does not vary; the exact strided range for an
 * index c*p + q (p the one parameter it varies with); else the bounding
 * range [min begin : max end]; the whole extent when not affine. */
static SymRange
cover_range(Arena *a, const Span *sp, int n, const SymRange *r, Sym *extent)
{
	SymRange full = { sym_const(a, 0), extent, sym_const(a, 1) };
	if (!varies(r->begin, sp, n) && !varies(r->end, sp, n) && !varies(r->step, sp, n))
		return *r;
	if (varies(r->step, sp, n))
		return full;
	bool index = pass_range_is_index(a, r);
	Sym *b = extreme(a, sp, n, r->begin, false);
	Sym *e = extreme(a, sp, n, index ? r->begin : r->end, true);
	if (!b || !e)
		return full;
	SymRange out = { b, index ? sym_addc(a, e, 1) : e, sym_const(a, 1) };
	int64_t coef = 0;
	int k = index ? sole_param(sp, n, r->begin, &coef) : -1;
	if (k >= 0)
		out.step = sym_mul(a, sym_const(a, coef < 0 ? -coef : coef), sp[k].step);
	return out;
}

static bool
range_equal(const SymRange *x, const SymRange *y)
{
	return sym_equal(x->begin, y->begin) && sym_equal(x->end, y->end) &&
	       sym_equal(x->step, y->step);
}

/* Merges cover c into acc: equal ranges stay, different ones become their
 * bounding range with step 1. */
static void
cover_union(Arena *a, Subset *acc, const Subset *c)
{
	for (int d = 0; d < acc->ndim; d++) {
		SymRange *x = &acc->r[d];
		if (range_equal(x, &c->r[d]))
			continue;
		*x = (SymRange){ sym_min(a, x->begin, c->r[d].begin),
				 sym_max(a, x->end, c->r[d].end), sym_const(a, 1) };
	}
}

static Subset
cover_subset(Arena *a, const IrProgram *p, const Span *sp, int n, const IrMemlet *m)
{
	const IrContainer *c = ir_program_find_container(p, m->data);
	Subset out = { m->subset.ndim, arena_alloc(a, sizeof(SymRange) *
						   (size_t)(m->subset.ndim + 1)) };
	for (int d = 0; d < out.ndim; d++)
		out.r[d] = cover_range(a, sp, n, &m->subset.r[d], c->shape[d]);
	return out;
}

/* ---- apply ---- */

/* The pieces of a split map. */
typedef struct Split {
	int n;                 /* parameters of the original map */
	int nout;              /* split ones: the parameters of the outer map */
	const char **outer;    /* nout tile-origin names "p_tile" */
	SymRange *oranges;     /* nout outer ranges [b:e:T*s] */
	SymRange *iranges;     /* n inner ranges */
	Span *spans;           /* n: the values of each parameter in one tile */
} Split;

static Split
split_plan(Ctx *ctx, const IrProgram *p, const IrState *s, const IrNode *e,
	   const int64_t *size)
{
	Arena *a = ctx->arena;
	int n = e->map.nparams;
	Split sp = { .n = n };
	sp.outer = arena_alloc(a, sizeof(char *) * (size_t)n);
	sp.oranges = arena_alloc(a, sizeof(SymRange) * (size_t)n);
	sp.iranges = arena_alloc(a, sizeof(SymRange) * (size_t)n);
	sp.spans = arena_alloc(a, sizeof(Span) * (size_t)n);
	for (int k = 0; k < n; k++) {
		const SymRange *r = &e->map.ranges[k];
		const char *name = e->map.params[k];
		if (size[k] == 0) {
			sp.iranges[k] = *r;
			sp.spans[k] = (Span){ name, r->begin, ir_range_last(a, r), r->step };
			continue;
		}
		const char *t = fresh_param(ctx, p, s, arena_printf(a, "%s_tile", name), sp.outer,
					    sp.nout);
		Sym *tv = sym_var(a, t), *width = sym_mul(a, sym_const(a, size[k]), r->step);
		sp.outer[sp.nout] = t;
		sp.oranges[sp.nout++] = (SymRange){ r->begin, r->end, width };
		sp.iranges[k] = (SymRange){ tv, tile_end(a, r, tv, width), r->step };
		sp.spans[k] = tile_span(a, name, r, &sp.iranges[k], size[k]);
	}
	return sp;
}

/* The memlets of the inner scope side: leaving the inner entry (entry
 * true) or entering the inner exit, and their connector there. */
static bool
at_side(const IrMemlet *m, int node, bool entry)
{
	return entry ? m->src == node : m->dst == node;
}

static const char *
side_conn(const IrMemlet *m, bool entry)
{
	return entry ? m->src_conn : m->dst_conn;
}

/* The connector's name without its "OUT_" (entry) or "IN_" (exit) prefix. */
static const char *
conn_base(const IrMemlet *m, bool entry)
{
	const char *c = side_conn(m, entry), *pre = entry ? "OUT_" : "IN_";
	if (!c || strncmp(c, pre, strlen(pre)) != 0)
		ICE("memlet %d on a map scope without an %s connector", m->id, pre);
	return c + strlen(pre);
}

/* Memlet i of the inner side is the first [0, i) with its connector? */
static bool
first_of_conn(const IrState *s, int i, int node, bool entry)
{
	const IrMemlet *m = &s->memlets.data[i];
	for (int j = 0; j < i; j++) {
		const IrMemlet *o = &s->memlets.data[j];
		if (o->data && at_side(o, node, entry) &&
		    pass_streq(side_conn(o, entry), side_conn(m, entry)))
			return false;
	}
	return true;
}

/* The union of the covers over spans sp[0..n) of memlets [i, nm) on
 * memlet i's connector. */
static Subset
conn_cover(Arena *a, const IrProgram *p, const IrState *s, const Span *sp, int n, int i,
	   int nm, int node, bool entry)
{
	const IrMemlet *m = &s->memlets.data[i];
	Subset acc = cover_subset(a, p, sp, n, m);
	for (int j = i + 1; j < nm; j++) {
		const IrMemlet *o = &s->memlets.data[j];
		if (o->data && at_side(o, node, entry) &&
		    pass_streq(side_conn(o, entry), side_conn(m, entry))) {
			Subset c = cover_subset(a, p, sp, n, o);
			cover_union(a, &acc, &c);
		}
	}
	return acc;
}

/* The WCR of what leaves the outer exit on connector conn (that of the
 * inner memlet m when there is none). */
static Wcr
exit_wcr(const IrState *s, int outer, const char *conn, const IrMemlet *m)
{
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *o = &s->memlets.data[i];
		if (o->src == outer && pass_streq(o->src_conn, conn))
			return o->wcr;
	}
	return m->wcr;
}

/* Joins the outer entry to the inner one (entry true), or the inner exit
 * to the outer one: a memlet per connector used by the inner memlets
 * among [0, nm), carrying the union of their covers, and one empty memlet
 * when some inner memlet there is empty. */
static void
route(Ctx *ctx, const IrProgram *p, IrState *s, const Split *sp, int outer, int inner,
      int nm, bool entry)
{
	Arena *a = ctx->arena;
	int empty = -1;
	for (int i = 0; i < nm; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!at_side(m, inner, entry))
			continue;
		if (!m->data) {
			empty = empty < 0 ? i : empty;
			continue;
		}
		if (!first_of_conn(s, i, inner, entry))
			continue;
		const char *x = conn_base(m, entry), *data = m->data;
		const char *oc = arena_printf(a, "OUT_%s", x), *ic = arena_printf(a, "IN_%s", x);
		Subset cov = conn_cover(a, p, s, sp->spans, sp->n, i, nm, inner, entry);
		SrcLoc loc = m->loc;
		if (entry)
			ir_state_add_memlet(ctx, s, outer, oc, inner, ic, data, cov, WCR_NONE, loc);
		else
			ir_state_add_memlet(ctx, s, inner, oc, outer, ic, data, cov,
					    exit_wcr(s, outer, oc, m), loc);
	}
	if (empty >= 0) {
		SrcLoc loc = s->memlets.data[empty].loc;
		int from = entry ? outer : inner, to = entry ? inner : outer;
		ir_state_add_memlet(ctx, s, from, NULL, to, NULL, NULL, (Subset){ 0, NULL },
				    WCR_NONE, loc);
	}
}

/* Splits the map at site by size[] (check passed): the original entry and
 * exit become the outer map, a new sequential map inside them takes the
 * original parameters, and the memlets are routed through both. Returns
 * the inner entry's id; *out (may be NULL) gets the split's pieces. */
static int
split_apply(Ctx *ctx, const XSite *site, const int64_t *size, Split *out)
{
	MapRef ref;
	if (!pass_find_map(site->p, site->names[0], &ref))
		ICE("map '%s' vanished between check and apply", site->names[0]);
	IrState *s = ref.state;
	int E = ref.entry, X = s->nodes.data[E].map.exit, nm = s->memlets.len;
	const IrNode *en = &s->nodes.data[E];
	Split sp = split_plan(ctx, site->p, s, en, size);
	const char *label = fresh_label(ctx, site->p, arena_printf(ctx->arena, "%s_inner",
								   en->label));
	int IE = ir_state_add_map(ctx, s, label, sp.n, en->map.params, sp.iranges,
				  SCHED_SEQUENTIAL, en->loc);
	int IX = s->nodes.data[IE].map.exit;
	IrNode *outer = &s->nodes.data[E];
	outer->map.nparams = sp.nout;
	outer->map.params = sp.outer;
	outer->map.ranges = sp.oranges;
	for (int i = 0; i < nm; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (m->src == E)
			m->src = IE;
		if (m->dst == X)
			m->dst = IX;
	}
	route(ctx, site->p, s, &sp, E, IE, nm, true);
	route(ctx, site->p, s, &sp, X, IX, nm, false);
	if (out)
		*out = sp;
	return IE;
}

/* ---- local storage: map-tiling with `local: true` ----
 *
 * After the split, every array the body reads (each connector between the
 * outer and the inner entry that carries an array) is copied, once per
 * tile, into a transient buffer of constant size, and the body reads the
 * buffer instead:
 *
 *   outer map [i_tile, ...]
 *     OUT_x -> copy map <label>_copy_A [_c0 = box0, ...] sequential
 *                OUT_x -> tasklet (in) -> out = in:in -> A_local[_c0 - o0, ...]
 *     copy exit -> access A_local -> inner map IN_A_local
 *     inner map: OUT_A_local -> tasklet.in: A_local[f0 - o0, ...]
 *
 * box is the cover of the connector's inner memlets over the spans of the
 * actual tile (clamped at the end of the range) and o its begin: in each
 * dimension, it runs between elements the tile reads, so the copy stays
 * inside the array, also at edge tiles. The buffer's extents are those of the cover of a
 * full tile, which must be constants; a clamped tile reads a sub-box of
 * the full one, so every box fits. The buffer has storage "stack" and
 * all its uses lie in the outer map's scope, which makes it local to each
 * tile (one per thread in a parallel map; docs/ir.md).
 */

enum { LOCAL_MAX = 64 * 1024 };  /* bytes of the buffers of one tile */

/* One array the body reads, as the buffer that will hold it. */
typedef struct Buffer {
	int mi;                  /* first inner memlet on its connector */
	const IrContainer *c;    /* the array */
	Subset box;              /* what one tile reads of it */
	Sym **ext;               /* constant extents of the buffer */
	int64_t bytes;
} Buffer;

typedef VEC(Buffer) Buffers;

/* The `local` parameter: true or false (1 or 0), false when absent. */
static const char *
local_param(const XParams *params, bool *on)
{
	const XParam *q = pass_param(params, "local");
	*on = false;
	if (!q || (q->nint < 0 && pass_streq(q->str, "false")) ||
	    (scalar_int(q) && q->ints[0] == 0))
		return NULL;
	if (!(q->nint < 0 && pass_streq(q->str, "true")) && !(scalar_int(q) && q->ints[0] == 1))
		return "local must be true or false";
	*on = true;
	return NULL;
}

/* The spans of a full tile: the split parameters run over size[k] values. */
static Span *
full_spans(Arena *a, const Split *sp, const int64_t *size)
{
	Span *f = arena_alloc(a, sizeof(Span) * (size_t)(sp->n + 1));
	for (int k = 0; k < sp->n; k++) {
		f[k] = sp->spans[k];
		if (size[k] > 0)
			f[k].last = sym_add(a, f[k].lo, sym_mul(a, sym_const(a, size[k] - 1),
								f[k].step));
	}
	return f;
}

/* NULL if the body (the scope members) holds only tasklets and access
 * nodes, and no tasklet loads at data-dependent indices. */
static const char *
local_body(Ctx *ctx, const IrState *s, const bool *members)
{
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (!members[i] || n->kind == IRN_ACCESS)
			continue;
		if (n->kind != IRN_TASKLET)
			return arena_printf(ctx->arena, "the body of the map holds a %s (line %d): "
					    "local storage buffers the inputs of tasklets only",
					    n->kind == IRN_LIBRARY ? "library node" : "nested map",
					    n->loc.line);
		for (int k = 0; k < n->tasklet.nin; k++) {
			const IrMemlet *m = pass_data_memlet_into(s, i, n->tasklet.in[k].name);
			if (m && ir_expr_loads(n->tasklet.expr, n->tasklet.in[k].name))
				return arena_printf(ctx->arena, "'%s' is read at data-dependent "
						    "indices (line %d), so the part of it a tile "
						    "reads is not a box of the memlet subsets",
						    m->data, n->loc.line);
		}
	}
	return NULL;
}

static bool
subset_is_elem(Arena *a, const Subset *x)
{
	for (int d = 0; d < x->ndim; d++)
		if (!pass_range_is_index(a, &x->r[d]))
			return false;
	return true;
}

/* NULL if the element x of c is a different one for every point of the
 * map: each parameter is alone in some index c*p + q, c != 0. */
static const char *
one_point(Ctx *ctx, const IrContainer *c, const Subset *x, const Span *sp, int n)
{
	for (int k = 0; k < n; k++) {
		bool alone = false;
		for (int d = 0; d < x->ndim && !alone; d++) {
			int64_t coef;
			alone = sole_param(sp, n, x->r[d].begin, &coef) == k;
		}
		if (!alone)
			return arena_printf(ctx->arena, "'%s' is read and written at %s, which does "
					    "not single out %s: several points of a tile would "
					    "read and write one element", c->name,
					    subset_print(ctx->arena, x), sp[k].param);
	}
	return NULL;
}

/* NULL unless the body writes c other than at the one element that each
 * of its reads of c (memlets leaving entry) names. A buffer filled at the
 * start of a tile holds c as it was before the tile; a point that reads an
 * element another point of the tile writes would see the stale value
 * (map iterations are independent, but a tile runs them in order and a
 * parallel map may still write elements it reads elsewhere, as
 * A[i, 1] = A[i, 0]: refused too, conservatively). */
static const char *
local_inplace(Ctx *ctx, const IrState *s, const bool *members, int entry, const IrContainer *c,
	      const Span *sp, int n)
{
	Arena *a = ctx->arena;
	const IrMemlet *w = NULL, *r = NULL, *bad = NULL;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!pass_streq(m->data, c->name))
			continue;
		const IrNode *src = &s->nodes.data[m->src];
		bool write = members[m->src] && src->kind == IRN_TASKLET;
		if (!write && m->src != entry)
			continue;
		if (write && !w)
			w = m;
		if (!write && !r)
			r = m;
		if (!bad && (!subset_is_elem(a, &m->subset) || (write && m->wcr != WCR_NONE) ||
			     (write && src->tasklet.nout_index > 0)))
			bad = m;
		if (write && m->wcr != WCR_NONE)
			w = m;
	}
	if (!w || !r)
		return NULL;
	if (w->wcr != WCR_NONE)
		return arena_printf(a, "'%s' is both read and accumulated (WCR %s) by the map; "
				    "local storage does not buffer such an array", c->name,
				    ir_wcr_name(w->wcr));
	if (bad)
		return arena_printf(a, "'%s' is both read and written by the map, not one element "
				    "at a time (%s); local storage buffers such an array only when "
				    "every point reads just the element it writes", c->name,
				    subset_print(a, &bad->subset));
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (pass_streq(m->data, c->name) && (m->src == entry || members[m->src]) &&
		    !subset_equal(&m->subset, &w->subset))
			return arena_printf(a, "'%s' is also written by the map (at %s) and read at "
					    "another element (%s); local storage buffers such an "
					    "array only when every point reads just the element it "
					    "writes", c->name, subset_print(a, &w->subset),
					    subset_print(a, &m->subset));
	}
	return one_point(ctx, c, &w->subset, sp, n);
}

/* The buffer of the connector of inner memlet mi (leaving entry): its box
 * over the tile's spans and its constant extents over a full tile's. */
static const char *
local_buffer(Ctx *ctx, const IrProgram *p, const IrState *s, const Split *sp,
	     const Span *full, int entry, int mi, Buffer *b)
{
	Arena *a = ctx->arena;
	int nm = s->memlets.len;
	b->mi = mi;
	b->c = ir_program_find_container(p, s->memlets.data[mi].data);
	b->box = conn_cover(a, p, s, sp->spans, sp->n, mi, nm, entry, true);
	Subset f = conn_cover(a, p, s, full, sp->n, mi, nm, entry, true);
	b->ext = arena_alloc(a, sizeof(Sym *) * (size_t)(f.ndim + 1));
	int64_t elems = 1;
	for (int d = 0; d < f.ndim; d++) {
		Sym *len = sym_sub(a, f.r[d].end, f.r[d].begin);
		int64_t e;
		if (!sym_is_const(len, &e) || e < 1)
			return arena_printf(a, "the part of '%s' a tile reads has no constant size "
					    "(dimension %d spans %s elements), so it cannot be "
					    "buffered", b->c->name, d, sym_print(a, len));
		if (__builtin_mul_overflow(elems, e, &elems))
			elems = INT64_MAX;
		b->ext[d] = sym_const(a, e);
	}
	if (__builtin_mul_overflow(elems, (int64_t)dtype_size(b->c->dtype), &b->bytes))
		b->bytes = INT64_MAX;
	return NULL;
}

/* NULL if every inner memlet on m's connector ends at a tasklet. */
static const char *
read_by_tasklets(Ctx *ctx, const IrState *s, int entry, const IrMemlet *m)
{
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *o = &s->memlets.data[i];
		if (o->src == entry && pass_streq(o->src_conn, m->src_conn) &&
		    s->nodes.data[o->dst].kind != IRN_TASKLET)
			return arena_printf(ctx->arena, "'%s' enters the body through an access "
					    "node: local storage buffers arrays that tasklets read "
					    "directly", o->data ? o->data : m->data);
	}
	return NULL;
}

/* "'A' 34x34 float64, ...": the buffers, for a refusal. */
static const char *
buffer_list(Ctx *ctx, const Buffers *bufs)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	for (int i = 0; i < bufs->len; i++) {
		const Buffer *b = &bufs->data[i];
		sb_printf(&sb, "%s'%s' ", i ? ", " : "", b->c->name);
		for (int d = 0; d < b->c->ndim; d++)
			sb_printf(&sb, "%s%s", d ? "x" : "", sym_print(ctx->arena, b->ext[d]));
		sb_printf(&sb, " %s", dtype_name(b->c->dtype));
	}
	return sb_str(&sb);
}

/* NULL and *out filled when every array read by the body of the map at
 * `entry` (the map before the split, or the inner map after it) can be
 * buffered per tile of the split sp; else why not. */
static const char *
local_plan(Ctx *ctx, const IrProgram *p, const IrState *s, int entry, const Split *sp,
	   const int64_t *size, Buffers *out)
{
	Arena *a = ctx->arena;
	bool *members = ir_state_scope_members(a, s, entry);
	const char *why = local_body(ctx, s, members);
	Span *full = full_spans(a, sp, size);
	int64_t total = 0;
	for (int i = 0; i < s->memlets.len && !why; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!m->data || m->src != entry || !first_of_conn(s, i, entry, true))
			continue;
		const IrContainer *c = ir_program_find_container(p, m->data);
		if (c->ndim == 0)
			continue;
		if ((why = read_by_tasklets(ctx, s, entry, m)))
			break;
		Buffer b;
		if ((why = local_inplace(ctx, s, members, entry, c, sp->spans, sp->n)) ||
		    (why = local_buffer(ctx, p, s, sp, full, entry, i, &b)))
			break;
		if (__builtin_add_overflow(total, b.bytes, &total))
			total = INT64_MAX;
		vec_push(a, out, b);
	}
	if (why)
		return why;
	if (out->len == 0)
		return "the map reads no array, so local: true has nothing to buffer";
	if (total > LOCAL_MAX)
		return arena_printf(a, "the local buffers of one tile (%s) would take %s bytes, "
				    "more than the %d (64 KiB) one thread may keep on its stack; "
				    "use smaller tiles", buffer_list(ctx, out),
				    total == INT64_MAX ? "over 2^63" :
				    arena_printf(a, "%lld", (long long)total), LOCAL_MAX);
	return NULL;
}

/* A container name for the buffer of data: "<data>_local" (leading
 * underscores dropped), free as a container, symbol, parameter or loop
 * variable, and as a connector of the inner entry ie. */
static const char *
buffer_name(Ctx *ctx, const IrProgram *p, const IrState *s, int ie, const char *data)
{
	while (*data == '_')
		data++;
	const char *base = arena_printf(ctx->arena, "%s_local", *data ? data : "buf");
	for (int i = 2;; i++) {
		const char *n = ir_program_fresh_name(ctx, p, base);
		const char *in = arena_printf(ctx->arena, "IN_%s", n);
		if (!param_taken(p, s, n, NULL, 0) && !pass_data_memlet_into(s, ie, in))
			return n;
		base = arena_printf(ctx->arena, "%s_local_%d", *data ? data : "buf", i);
	}
}

/* s shifted by -origin in every dimension. */
static Subset
shifted(Arena *a, const Subset *s, Sym *const *origin)
{
	Subset out = { s->ndim, arena_alloc(a, sizeof(SymRange) * (size_t)(s->ndim + 1)) };
	for (int d = 0; d < s->ndim; d++)
		out.r[d] = (SymRange){ sym_sub(a, s->r[d].begin, origin[d]),
				       sym_sub(a, s->r[d].end, origin[d]), s->r[d].step };
	return out;
}

/* The copy map of buffer b into container buf, inside the outer map:
 * [_c0 = box0, ...] around `out = in`, from data[_c] to buf[_c - o].
 * Returns its entry; its exit leads to a new access node of buf, whose id
 * goes to *acc. */
static int
copy_map(Ctx *ctx, IrProgram *p, IrState *s, const char *label, const Buffer *b,
	 const char *x, const char *buf, Sym *const *origin, int *acc)
{
	Arena *a = ctx->arena;
	int nd = b->c->ndim;
	SrcLoc loc = s->memlets.data[b->mi].loc;
	const char **params = arena_alloc(a, sizeof(char *) * (size_t)nd);
	Sym **idx = arena_alloc(a, sizeof(Sym *) * (size_t)nd);
	for (int d = 0; d < nd; d++) {
		params[d] = fresh_param(ctx, p, s, arena_printf(a, "_c%d", d), params, d);
		idx[d] = sym_var(a, params[d]);
	}
	const char *cl = fresh_label(ctx, p, arena_printf(a, "%s_copy_%s", label, b->c->name));
	int ce = ir_state_add_map(ctx, s, cl, nd, params, b->box.r, SCHED_SEQUENTIAL, loc);
	int cx = s->nodes.data[ce].map.exit;
	IrConn in = { "in", b->c->dtype }, out = { "out", b->c->dtype };
	int t = ir_state_add_tasklet(ctx, s, 1, &in, out, ir_expr_in(a, b->c->dtype, "in"), loc);
	const char *ic = arena_printf(a, "IN_%s", buf), *oc = arena_printf(a, "OUT_%s", buf);
	Subset at = subset_index(a, nd, idx);
	Subset whole = shifted(a, &b->box, origin);
	*acc = ir_state_add_access(ctx, s, buf, loc);
	ir_state_add_memlet(ctx, s, ce, arena_printf(a, "OUT_%s", x), t, "in", b->c->name, at,
			    WCR_NONE, loc);
	ir_state_add_memlet(ctx, s, t, "out", cx, ic, buf, shifted(a, &at, origin), WCR_NONE, loc);
	ir_state_add_memlet(ctx, s, cx, oc, *acc, NULL, buf, whole, WCR_NONE, loc);
	return ce;
}

/* Buffers b: a stack transient, filled by a copy map in the outer map
 * (entry oe) that the memlet from oe to the inner entry ie on b's
 * connector now enters; the inner memlets read the buffer, shifted. */
static void
buffer_apply(Ctx *ctx, IrProgram *p, IrState *s, int oe, int ie, const Buffer *b)
{
	Arena *a = ctx->arena;
	const IrMemlet m0 = s->memlets.data[b->mi];
	const char *x = conn_base(&m0, true), *buf = buffer_name(ctx, p, s, ie, b->c->name);
	int ci = ir_program_add_container(ctx, p, buf, b->c->dtype, b->c->ndim, b->ext,
					  ROLE_TRANSIENT, m0.loc);
	p->containers.data[ci].storage = STORAGE_STACK;
	Sym **origin = arena_alloc(a, sizeof(Sym *) * (size_t)(b->c->ndim + 1));
	for (int d = 0; d < b->c->ndim; d++)
		origin[d] = b->box.r[d].begin;
	int acc, ce = copy_map(ctx, p, s, s->nodes.data[oe].label, b, x, buf, origin, &acc);
	const char *ic = arena_printf(a, "IN_%s", x), *bc = arena_printf(a, "OUT_%s", buf);
	Subset whole = shifted(a, &b->box, origin);
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (m->src == oe && m->dst == ie && pass_streq(m->dst_conn, ic)) {
			m->dst = ce;
			m->subset = b->box;
		} else if (m->src == ie && pass_streq(m->src_conn, m0.src_conn)) {
			m->src_conn = bc;
			m->data = buf;
			m->subset = shifted(a, &m->subset, origin);
		}
	}
	ir_state_add_memlet(ctx, s, acc, NULL, ie, arena_printf(a, "IN_%s", buf), buf, whole,
			    WCR_NONE, m0.loc);
}

/* local: true after the split of the map at oe (inner entry ie). */
static void
local_apply(Ctx *ctx, IrProgram *p, IrState *s, int oe, int ie, const Split *sp,
	    const int64_t *size)
{
	Buffers bufs = { 0 };
	if (local_plan(ctx, p, s, ie, sp, size, &bufs))
		ICE("map-tiling local: the check passed before the split but not after it");
	for (int i = 0; i < bufs.len; i++)
		buffer_apply(ctx, p, s, oe, ie, &bufs.data[i]);
}

/* ---- map-tiling ---- */

static const char *
tiling_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	MapRef ref;
	int64_t *size;
	bool local;
	const char *why = split_check(ctx, site, params, tile_sizes, &ref, &size);
	if (why || (why = local_param(params, &local)) || !local)
		return why;
	const IrNode *e = &ref.state->nodes.data[ref.entry];
	Split sp = split_plan(ctx, site->p, ref.state, e, size);
	Buffers bufs = { 0 };
	return local_plan(ctx, site->p, ref.state, ref.entry, &sp, size, &bufs);
}

static void
tiling_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	MapRef ref;
	int64_t *size;
	bool local;
	if (split_check(ctx, site, params, tile_sizes, &ref, &size) ||
	    local_param(params, &local))
		ICE("map-tiling applied where its check fails");
	Split sp;
	int ie = split_apply(ctx, site, size, &sp);
	if (local)
		local_apply(ctx, site->p, ref.state, ref.entry, ie, &sp, size);
}

static void
tiling_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_map_tiling, out);
}

static const char *const tiling_params[] = { "tile", "local", NULL };

const Xform xform_map_tiling = {
	.name = "map-tiling",
	.desc = "splits every parameter of a map into tiles: an outer map over tile "
		"origins around a sequential map over each tile's points",
	.nsites = 1,
	.params = tiling_params,
	.match = tiling_match,
	.check = tiling_check,
	.apply = tiling_apply,
};

/* ---- transpose-tiling ---- */

/* How a memlet's subset walks its container with the map's parameters
 * outer (p0) and inner (p1): 1 along a row (its last dimension moves with
 * p1), -1 across the rows (p1 moves an earlier dimension only, while the
 * last one moves with p0: a transposed read or write), 0 otherwise. */
static int
walk(const IrProgram *p, const IrMemlet *m, const char *p0, const char *p1)
{
	const IrContainer *c = m->data ? ir_program_find_container(p, m->data) : NULL;
	int64_t unit;
	if (!c || c->ndim < 2 || m->subset.ndim != c->ndim ||
	    !sym_is_const(c->strides[c->ndim - 1], &unit) || unit != 1)
		return 0;
	const Sym *last = m->subset.r[c->ndim - 1].begin;
	if (sym_depends_on(last, p1))
		return 1;
	if (!sym_depends_on(last, p0))
		return 0;
	for (int d = 0; d < c->ndim - 1; d++)
		if (sym_depends_on(m->subset.r[d].begin, p1))
			return -1;
	return 0;
}

/* The cost rule and shape of transpose-tiling: a top-level map of two
 * parameters, not sequential, whose body is tasklets only, writing
 * without WCR (a reduction by tiles would add in another order: the
 * results stay bit-identical only without), with one memlet that walks a
 * container across its rows (walk -1) and one that walks one along them
 * (walk 1), and no constant extent under two tiles. */
static const char *
transpose_shape(Ctx *ctx, const IrProgram *p, const IrState *s, int entry, const int64_t *size)
{
	const IrNode *e = &s->nodes.data[entry];
	if (e->map.nparams != 2)
		return arena_printf(ctx->arena, "the map has %d parameters, not 2", e->map.nparams);
	if (e->map.schedule == SCHED_SEQUENTIAL)
		return "the map is sequential (its iterations run in order)";
	int across = 0, along = 0;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const IrNode *src = &s->nodes.data[m->src], *dst = &s->nodes.data[m->dst];
		if (m->dst == entry && src->kind != IRN_ACCESS)
			return "the map is nested in another map";
		bool inner = (m->src == entry) || (m->dst == e->map.exit);
		if (!inner)
			continue;
		if ((m->src == entry && dst->kind != IRN_TASKLET) ||
		    (m->dst == e->map.exit && src->kind != IRN_TASKLET))
			return "the map's body holds more than tasklets";
		if (m->wcr != WCR_NONE)
			return arena_printf(ctx->arena, "the map accumulates into %s (WCR %s): by "
					    "tiles, the sums would run in another order",
					    m->data ? m->data : "?", ir_wcr_name(m->wcr));
		int w = walk(p, m, e->map.params[0], e->map.params[1]);
		across += w < 0;
		along += w > 0;
	}
	if (!across || !along)
		return arena_printf(ctx->arena, "no memlet of the map walks a 2-D container across "
				    "its rows with %s while another walks one along them: the "
				    "map transposes nothing", e->map.params[1]);
	for (int k = 0; k < 2; k++) {
		int64_t b, en;
		const SymRange *r = &e->map.ranges[k];
		if (sym_is_const(r->begin, &b) && sym_is_const(r->end, &en) && en - b < 2 * size[k])
			return arena_printf(ctx->arena, "%s has %lld values, fewer than two tiles "
					    "of %lld", e->map.params[k], (long long)(en - b),
					    (long long)size[k]);
	}
	return NULL;
}

static const char *
transpose_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	MapRef ref;
	int64_t *size;
	const char *why = split_check(ctx, site, params, tile_sizes, &ref, &size);
	return why ? why : transpose_shape(ctx, site->p, ref.state, ref.entry, size);
}

static void
transpose_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	if (transpose_check(ctx, site, params))
		ICE("transpose-tiling applied where its check fails");
	MapRef ref;
	int64_t *size;
	split_check(ctx, site, params, tile_sizes, &ref, &size);
	split_apply(ctx, site, size, NULL);
}

static void
transpose_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_transpose_tiling, out);
}

static const char *const transpose_params[] = { "tile", NULL };

const Xform xform_transpose_tiling = {
	.name = "transpose-tiling",
	.desc = "map-tiling of a 2-D map that walks one container across its rows and "
		"another along them (a transposed copy), so that both move by tiles",
	.nsites = 1,
	.params = transpose_params,
	.match = transpose_match,
	.check = transpose_check,
	.apply = transpose_apply,
};

/* ---- strip-mining ---- */

static const char *
strip_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	MapRef ref;
	return split_check(ctx, site, params, strip_sizes, &ref, NULL);
}

static void
strip_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	MapRef ref;
	int64_t *size;
	if (split_check(ctx, site, params, strip_sizes, &ref, &size))
		ICE("strip-mining applied where its check fails");
	split_apply(ctx, site, size, NULL);
}

static void
strip_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_strip_mining, out);
}

static const char *const strip_params[] = { "dim", "size", NULL };

const Xform xform_strip_mining = {
	.name = "strip-mining",
	.desc = "splits one parameter of a map into strips: an outer map over strip "
		"origins around a sequential map over each strip",
	.nsites = 1,
	.params = strip_params,
	.match = strip_match,
	.check = strip_check,
	.apply = strip_apply,
};
