/* passes/sweep_blocking.c — sweep-blocking: a run of sweeps, block by block.
 *
 * A run of consecutive states of one block list (site [first, last]) whose
 * top-level maps all range over one shared range b:e (the blocked range)
 * is wrapped in a loop over blocks
 *
 *     for _blk in range(b, e, W):   # W: the block width, below
 *
 * and each map's parameter over b:e (its blocked parameter) is restricted
 * to [_blk, min(_blk + W, e)). Column standardisation (mean over rows,
 * X - mu, mean of squares, division) is such a run along the columns:
 * per block, the first sweep brings X's block into the cache and the later
 * ones find it (and the blocks of the transients) there, so X is read from
 * memory once instead of once per sweep. Each map keeps its other
 * parameters, its schedule and its hints: a parallel map still forks once
 * per block (a fork per map per block).
 *
 * Legality. The new order runs state i's block c before state j's block b
 * (i < j, b < c), which the old order ran after it. It is legal when no
 * two such instances touch one element with at least one of them writing:
 *  - every container written in the run is accessed, by every memlet of
 *    every map of the run, "pointwise" along the blocked parameter p: one
 *    dimension of the subset is exactly the index p (not p + 1, not 2*p,
 *    not a range), always the same dimension of that container, and no
 *    other dimension mentions p. A block then touches only its own slice
 *    of it. Refused otherwise: an offset read (a stencil, d[i, j + 1]), a
 *    reduction over p (its WCR write has no dimension indexed by p), a
 *    write at another element, a transposed access;
 *  - containers only read in the run are accessed however they are (their
 *    values do not change during the run);
 *  - every top-level node is an access node or a map (no library node, no
 *    tasklet outside a map, no copy between access nodes), no map is nested
 *    in another, and every map has a parameter over the blocked range,
 *    which its other ranges do not mention, over size symbols only (so a
 *    run already blocked is not blocked again).
 * Each element's operations and their order are unchanged: a map's other
 * parameters keep their ranges and schedule, so a column reduction still
 * splits the same rows between the same threads (but a map whose block is
 * under the fork threshold of the OpenMP backend runs on one thread, which
 * then adds all rows: NumPy-level rounding, like any thread count).
 *
 * Transients whose every access is in the run, pointwise, in states not
 * inside a loop (no value is carried from one run to the next), are
 * shrunk to one block along their blocked dimension: extent min(old, W),
 * subsets shifted by -_blk. The block of d in X - mu is then rewritten in
 * place for every block and stays in the cache.
 *
 * The block width W. A block of an array holds rows * W elements, where
 * rows is the largest product of the extents of a sweep's other
 * parameters; W = 8 * max(1, 32768 // rows), a multiple of 8 elements (64
 * bytes of float64: whole cache lines when the blocked dimension is the
 * contiguous one) with a block of about BLOCK_ELEMS elements (2 MiB of
 * float64) per array, the L2 of a core of the bench machine (the run's
 * blocks, X, d and ret: 6 MiB for standardize, also stay in its 480 MiB
 * last-level cache with room to spare). W is symbolic when rows is (evaluated at run
 * time); `size: W` fixes it. `shrink: false` keeps every transient whole,
 * so that the blocks touch disjoint elements of everything they write (a
 * parallel loop over the blocks needs that).
 *
 * Not in the -O3 pipeline: on the bench machine it slowed every kernel it
 * matched at two threads (a fork per map per block) and column blocks of
 * row-major arrays even on one thread (short strided runs);
 * docs/transformations.md has the numbers.
 *
 * Thresholds. A run must hold at least 2 sweeps (maps of two or more
 * parameters, the ones that stream an array); the blocked range, when its
 * extent is a constant, must have at least EXTENT_MIN (16) elements and
 * more than one block of a constant W.
 */
#include <string.h>

#include "passes.h"

enum {
	WIDTH_MIN = 8,          /* W is a multiple of this many elements */
	BLOCK_ELEMS = 1 << 18,  /* elements of one array in one block (2 MiB of float64) */
	EXTENT_MIN = 16,        /* a constant blocked extent below this is refused */
	RUN_MAX = 32,           /* states a matched run may span */
	SWEEPS_MIN = 2,
};

/* One top-level map of the run and its blocked parameter. */
typedef struct BMap {
	IrState *s;
	int entry;
	int k;                  /* index of the blocked parameter */
} BMap;

/* An access of a container by a map of the run. */
typedef struct Access {
	const IrMemlet *m;      /* NULL when there is none */
	const char *map;        /* the map's label */
} Access;

/* How the run touches one container. */
typedef struct BUse {
	const char *name;
	int dim;                /* the dimension indexed by the blocked parameter; -1 if none seen */
	Access point;           /* the first pointwise access (at dim) */
	Access write;           /* the first write */
	Access wcr_odd;         /* the first WCR write that is not pointwise */
	Access write_odd;       /* the first other write that is not pointwise */
	Access offset;          /* the first access mentioning p, not pointwise */
	Access free;            /* the first access not mentioning p */
	Access transposed;      /* the first pointwise access at another dim */
	int tdim;               /* that dim */
	bool shrink;            /* shrunk to one block (apply) */
} BUse;

typedef struct Plan {
	IrProgram *p;
	IrBlockList *list;
	int first, last;        /* the run: list->data[first..last] */
	bool in_loop;           /* the list is nested in a loop */
	SymRange r;             /* the blocked range */
	bool from_end;          /* a map's blocked parameter: its last param over r (else first) */
	VEC(BMap) maps;
	VEC(BUse) uses;
	int sweeps;
	Sym *rows;              /* elements of a sweep per index of the blocked range */
	Sym *width;             /* W */
} Plan;

typedef enum Kind { K_POINT, K_FREE, K_OFFSET } Kind;

/* ---- the run ---- */

/* Finds the block named name in l (nested lists too): *list, *index, and
 * whether it sits in a loop body. */
static bool
locate(IrBlockList *l, const char *name, bool in_loop, Plan *out, int *index)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		if (pass_streq(b->name, name)) {
			out->list = l;
			out->in_loop = in_loop;
			*index = i;
			return true;
		}
		bool hit = false;
		if (b->kind == CF_FOR)
			hit = locate(&b->loop.body, name, true, out, index);
		else if (b->kind == CF_WHILE)
			hit = locate(&b->wloop.body, name, true, out, index);
		else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n && !hit; k++)
				hit = locate(&b->branch.bodies[k], name, in_loop, out, index);
			hit = hit || locate(&b->branch.orelse, name, in_loop, out, index);
		}
		if (hit)
			return true;
	}
	return false;
}

/* Resolves the site [first, last] to a run of states of one block list. */
static const char *
find_run(Ctx *ctx, const XSite *site, Plan *P)
{
	const char *why = pass_find_run(ctx, site, &P->list, &P->first, &P->last);
	if (!why) {
		int index;
		locate(&site->p->body, site->names[0], false, P, &index);
	}
	return why;
}

/* ---- classifying memlets ---- */

/* A variable of r that is not a size symbol of p, or NULL. */
static const char *
range_non_symbol(const IrProgram *p, const SymRange *r)
{
	const char *v = pass_sym_foreign(p, r->begin, NULL, 0);
	v = v ? v : pass_sym_foreign(p, r->end, NULL, 0);
	return v ? v : pass_sym_foreign(p, r->step, NULL, 0);
}

/* How subset x is indexed by parameter v: K_POINT (*dim set) when one
 * dimension is exactly the index v and no other mentions v, K_FREE when
 * none mentions it, K_OFFSET otherwise. */
static Kind
classify(Arena *a, const Subset *x, const char *v, int *dim)
{
	int hits = 0, at = -1;
	for (int d = 0; d < x->ndim; d++)
		if (range_depends_on(&x->r[d], v)) {
			hits++;
			at = d;
		}
	if (hits == 0)
		return K_FREE;
	if (hits > 1)
		return K_OFFSET;
	const SymRange *r = &x->r[at];
	Sym *p = sym_var(a, v);
	int64_t step;
	if (!sym_equal(r->begin, p) || !sym_equal(r->end, sym_addc(a, p, 1)) ||
	    !sym_is_const(r->step, &step) || step != 1)
		return K_OFFSET;
	*dim = at;
	return K_POINT;
}

static BUse *
use_of(Ctx *ctx, Plan *P, const char *name)
{
	for (int i = 0; i < P->uses.len; i++)
		if (pass_streq(P->uses.data[i].name, name))
			return &P->uses.data[i];
	vec_push(ctx->arena, &P->uses, ((BUse){ .name = name, .dim = -1 }));
	return &P->uses.data[P->uses.len - 1];
}

static void
note(Access *x, const IrMemlet *m, const char *map)
{
	if (!x->m)
		*x = (Access){ m, map };
}

/* Records memlet m of map `map` (a write when `write`) with blocked
 * parameter v. */
static void
record(Ctx *ctx, Plan *P, const IrMemlet *m, const char *map, const char *v, bool write)
{
	BUse *u = use_of(ctx, P, m->data);
	int dim = -1;
	Kind k = classify(ctx->arena, &m->subset, v, &dim);
	if (write)
		note(&u->write, m, map);
	if (write && k != K_POINT)
		note(m->wcr != WCR_NONE ? &u->wcr_odd : &u->write_odd, m, map);
	if (k == K_OFFSET)
		note(&u->offset, m, map);
	else if (k == K_FREE)
		note(&u->free, m, map);
	else if (u->dim < 0) {
		u->dim = dim;
		note(&u->point, m, map);
	} else if (u->dim != dim && !u->transposed.m) {
		note(&u->transposed, m, map);
		u->tdim = dim;
	}
}

/* ---- maps and states ---- */

static bool
same_range(const SymRange *x, const SymRange *y)
{
	return sym_equal(x->begin, y->begin) && sym_equal(x->end, y->end) &&
	       sym_equal(x->step, y->step);
}

/* The blocked parameter of map entry e (-1 if it has none): its last
 * (P->from_end) or first parameter over the blocked range. */
static int
blocked_param(const Plan *P, const IrNode *e)
{
	int k = -1;
	for (int i = 0; i < e->map.nparams; i++)
		if (same_range(&e->map.ranges[i], &P->r) && (k < 0 || P->from_end))
			k = i;
	return k;
}

/* Rows of map e: the product of the extents of its other parameters. */
static Sym *
map_rows(Arena *a, const IrNode *e, int k)
{
	Sym *rows = sym_const(a, 1);
	for (int i = 0; i < e->map.nparams; i++)
		if (i != k)
			rows = sym_mul(a, rows, sym_sub(a, e->map.ranges[i].end,
							e->map.ranges[i].begin));
	return rows;
}

/* Records the memlets of the map at `entry` of s (blocked parameter k). */
static const char *
plan_map(Ctx *ctx, Plan *P, IrState *s, int entry)
{
	Arena *a = ctx->arena;
	const IrNode *e = &s->nodes.data[entry];
	int k = blocked_param(P, e);
	if (k < 0)
		return arena_printf(a, "%s (line %d) has no parameter over %s:%s", e->label,
				    e->loc.line, sym_print(a, P->r.begin), sym_print(a, P->r.end));
	const char *v = e->map.params[k];
	for (int i = 0; i < e->map.nparams; i++) {
		const char *other = range_non_symbol(P->p, &e->map.ranges[i]);
		if (other)
			return arena_printf(a, "the range of %s in %s mentions %s, which is not a "
					    "size symbol (a run blocked already is not blocked "
					    "again)", e->map.params[i], e->label, other);
	}
	bool *members = ir_state_scope_members(a, s, entry);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		bool inner = m->src == entry || m->dst == e->map.exit ||
			     (members[m->src] && members[m->dst]);
		if (!inner || !m->data)
			continue;
		const IrNode *dst = &s->nodes.data[m->dst];
		record(ctx, P, m, e->label, v, m->dst == e->map.exit || dst->kind == IRN_ACCESS);
	}
	vec_push(a, &P->maps, ((BMap){ s, entry, k }));
	if (e->map.nparams >= 2) {
		P->sweeps++;
		P->rows = P->rows ? sym_max(a, P->rows, map_rows(a, e, k)) : map_rows(a, e, k);
	}
	return NULL;
}

/* NULL if node i of s (scopes: ir_state_scopes) is one a blocking can
 * restrict: an access node, a top-level map or exit, a tasklet in a map. */
static const char *
node_ok(Ctx *ctx, const IrState *s, const int *scopes, int i)
{
	const IrNode *n = &s->nodes.data[i];
	switch (n->kind) {
	case IRN_ACCESS:
	case IRN_MAP_EXIT:
		return NULL;
	case IRN_TASKLET:
		if (scopes[i] >= 0)
			return NULL;
		return arena_printf(ctx->arena, "'%s' holds a tasklet outside any map (line %d), "
				    "which cannot be restricted to a block", s->name, n->loc.line);
	case IRN_MAP_ENTRY:
		if (scopes[i] < 0)
			return NULL;
		return arena_printf(ctx->arena, "'%s' holds a nested map (%s); only top-level "
				    "maps are restricted to a block", s->name, n->label);
	case IRN_LIBRARY:
		return arena_printf(ctx->arena, "'%s' holds a library node (%s, line %d), which "
				    "cannot be restricted to a block", s->name,
				    ir_libop_name(n->lib.op), n->loc.line);
	default:
		return arena_printf(ctx->arena, "'%s' holds a %s node (line %d), which "
				    "cannot be restricted to a block", s->name,
				    ir_node_kind_name(n->kind), n->loc.line);
	}
}

const char *
pass_flat_state_check(Ctx *ctx, const IrState *s)
{
	int *scopes = ir_state_scopes(ctx->arena, s);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const IrNode *src = &s->nodes.data[m->src], *dst = &s->nodes.data[m->dst];
		if (!m->data || scopes[m->src] >= 0 || scopes[m->dst] >= 0)
			continue;
		if (src->kind == IRN_ACCESS && dst->kind == IRN_ACCESS)
			return arena_printf(ctx->arena, "'%s' copies '%s' between access nodes "
					    "(line %d), which cannot be restricted to a block",
					    s->name, m->data, m->loc.line);
	}
	for (int i = 0; i < s->nodes.len; i++) {
		const char *why = node_ok(ctx, s, scopes, i);
		if (why)
			return why;
	}
	return NULL;
}

/* Is state s only access nodes, top-level maps and their bodies, with
 * at least one map? (The matcher's quick filter; plan_state says why.) */
static bool
state_blockable(Ctx *ctx, const IrState *s)
{
	if (pass_flat_state_check(ctx, s))
		return false;
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_MAP_ENTRY)
			return true;
	return false;
}

static const char *
plan_state(Ctx *ctx, Plan *P, IrState *s)
{
	const char *why = pass_flat_state_check(ctx, s);
	for (int i = 0; i < s->nodes.len && !why; i++)
		if (s->nodes.data[i].kind == IRN_MAP_ENTRY)
			why = plan_map(ctx, P, s, i);
	return why;
}

/* ---- legality of the containers ---- */

static const char *
at_line(Ctx *ctx, const Access *x)
{
	return arena_printf(ctx->arena, "%s%s (line %d)", x->m->data,
			    subset_print(ctx->arena, &x->m->subset), x->m->loc.line);
}

static const char *
at(Ctx *ctx, const Access *x)
{
	return arena_printf(ctx->arena, "%s%s (%s, line %d)", x->m->data,
			    subset_print(ctx->arena, &x->m->subset), x->map, x->m->loc.line);
}

/* NULL if the accesses of u keep each block to its own slice of it. */
static const char *
use_check(Ctx *ctx, const BUse *u)
{
	Arena *a = ctx->arena;
	if (!u->write.m)
		return NULL;
	if (u->wcr_odd.m)
		return arena_printf(a, "%s reduces over the blocked parameter: it accumulates "
				    "into %s, which no block has to itself", u->wcr_odd.map,
				    at_line(ctx, &u->wcr_odd));
	if (u->write_odd.m)
		return arena_printf(a, "%s writes %s, not the element the blocked parameter "
				    "indexes", u->write_odd.map, at_line(ctx, &u->write_odd));
	if (u->offset.m)
		return arena_printf(a, "'%s' is written in the run (%s) and read at %s, an "
				    "offset along the blocked dimension (a stencil): another "
				    "block computes that element", u->name, u->write.map,
				    at(ctx, &u->offset));
	if (u->free.m)
		return arena_printf(a, "'%s' is written in the run (%s) and read at %s, whose "
				    "index does not follow the blocked parameter: that element "
				    "belongs to other blocks", u->name, u->write.map, at(ctx, &u->free));
	if (u->transposed.m)
		return arena_printf(a, "'%s' is indexed by the blocked parameter in dimension "
				    "%d at %s and in dimension %d at %s", u->name, u->dim,
				    at(ctx, &u->point), u->tdim, at(ctx, &u->transposed));
	return NULL;
}

typedef struct Outside {
	const Plan *P;
	const char *name;
	bool used;
} Outside;

static void
outside_in(IrState *s, IrBlock *b, void *ud)
{
	Outside *o = ud;
	(void)b;
	for (int i = o->P->first; i <= o->P->last; i++)
		if (o->P->list->data[i]->state == s)
			return;
	for (int i = 0; i < s->nodes.len && !o->used; i++)
		o->used = s->nodes.data[i].kind == IRN_ACCESS &&
			  pass_streq(s->nodes.data[i].access.data, o->name);
	for (int i = 0; i < s->memlets.len && !o->used; i++)
		o->used = pass_streq(s->memlets.data[i].data, o->name);
}

/* Can u (legal) shrink to one block? A host transient written in the run,
 * used by no state outside it, in a run that no loop repeats. */
static bool
use_shrinks(const Plan *P, const BUse *u)
{
	const IrContainer *c = ir_program_find_container(P->p, u->name);
	if (P->in_loop || !c || c->role != ROLE_TRANSIENT || c->storage != STORAGE_HOST ||
	    !u->write.m || u->dim < 0 || c->ndim == 0)
		return false;
	Outside o = { P, u->name, false };
	pass_foreach_state(P->p, outside_in, &o);
	return !o.used && !pass_cond_reads(P->p, u->name);
}

/* ---- the plan ---- */

/* NULL if the blocked range r is b:e with step 1 over size symbols. */
static const char *
range_check(Ctx *ctx, const Plan *P)
{
	Arena *a = ctx->arena;
	int64_t step, ext;
	const char *other = range_non_symbol(P->p, &P->r);
	if (other)
		return arena_printf(a, "the range %s:%s mentions %s, which is not a size symbol "
				    "(a run blocked already is not blocked again)",
				    sym_print(a, P->r.begin), sym_print(a, P->r.end), other);
	if (!sym_is_const(P->r.step, &step) || step != 1)
		return "the blocked range has a step other than 1";
	if (sym_is_const(sym_sub(a, P->r.end, P->r.begin), &ext) && ext < EXTENT_MIN)
		return arena_printf(a, "the blocked range %s:%s has %lld elements, fewer than "
				    "the %d that make blocking worth a loop",
				    sym_print(a, P->r.begin), sym_print(a, P->r.end),
				    (long long)ext, EXTENT_MIN);
	return NULL;
}

/* NULL if `size`, when given, is one positive integer, and `shrink` a
 * boolean. */
static const char *
size_check(Ctx *ctx, const XParams *params)
{
	const XParam *q = pass_param(params, "size");
	bool on;
	if (q && (q->nint != 1 || (q->str && q->str[0] == '[')))
		return "size must be one positive integer, the block width";
	if (q && q->ints[0] <= 0)
		return arena_printf(ctx->arena, "size %lld is not positive", (long long)q->ints[0]);
	return pass_bool_param(ctx, params, "shrink", true, &on);
}

/* The block width: `size: W`, or 8 * max(1, 32768 // max(1, rows)). */
static const char *
plan_width(Ctx *ctx, Plan *P, const XParams *params)
{
	Arena *a = ctx->arena;
	const XParam *q = pass_param(params, "size");
	int64_t w, ext;
	if (q)
		P->width = sym_const(a, q->ints[0]);
	else {
		Sym *per = sym_floordiv(a, sym_const(a, BLOCK_ELEMS / WIDTH_MIN),
					sym_max(a, sym_const(a, 1), P->rows));
		P->width = sym_mul(a, sym_const(a, WIDTH_MIN), sym_max(a, sym_const(a, 1), per));
	}
	if (sym_is_const(P->width, &w) && sym_is_const(sym_sub(a, P->r.end, P->r.begin), &ext) &&
	    ext <= w)
		return arena_printf(a, "one block of %lld covers the whole blocked range %s:%s",
				    (long long)w, sym_print(a, P->r.begin), sym_print(a, P->r.end));
	return NULL;
}

/* Plans blocking the run along range r (P->r, P->from_end set). */
static const char *
plan_range(Ctx *ctx, Plan *P, const XParams *params)
{
	const char *why = range_check(ctx, P);
	for (int i = P->first; i <= P->last && !why; i++)
		why = plan_state(ctx, P, P->list->data[i]->state);
	for (int i = 0; i < P->uses.len && !why; i++)
		why = use_check(ctx, &P->uses.data[i]);
	if (why)
		return why;
	if (P->sweeps < SWEEPS_MIN)
		return arena_printf(ctx->arena, "the run holds %d sweep%s (maps of two or more "
				    "parameters); blocking pays off from %d", P->sweeps,
				    P->sweeps == 1 ? "" : "s", SWEEPS_MIN);
	if ((why = plan_width(ctx, P, params)))
		return why;
	bool on;
	pass_bool_param(ctx, params, "shrink", true, &on);
	for (int i = 0; i < P->uses.len; i++)
		P->uses.data[i].shrink = on && use_shrinks(P, &P->uses.data[i]);
	return NULL;
}

/* The first map of two or more parameters in the run, or NULL. */
static const IrNode *
first_sweep(const Plan *P)
{
	for (int i = P->first; i <= P->last; i++) {
		const IrState *s = P->list->data[i]->state;
		for (int k = 0; k < s->nodes.len; k++)
			if (s->nodes.data[k].kind == IRN_MAP_ENTRY &&
			    s->nodes.data[k].map.nparams >= 2)
				return &s->nodes.data[k];
	}
	return NULL;
}

/* Plans the site: the candidates are the parameters of the run's first
 * sweep, innermost first; the first that passes is taken. The refusal
 * gives every candidate's reason. */
static const char *
plan_site(Ctx *ctx, const XSite *site, const XParams *params, Plan *out)
{
	Arena *a = ctx->arena;
	Plan base = { .p = site->p };
	const char *why = find_run(ctx, site, &base);
	if (why || (why = size_check(ctx, params)))
		return why;
	const IrNode *e = first_sweep(&base);
	if (!e)
		return "the run holds no sweep (a map of two or more parameters)";
	StrBuf sb;
	sb_init(&sb, a);
	for (int k = e->map.nparams - 1; k >= 0; k--) {
		Plan P = base;
		P.r = e->map.ranges[k];
		P.from_end = true;
		for (int j = k + 1; j < e->map.nparams; j++)
			P.from_end = P.from_end && !same_range(&e->map.ranges[j], &P.r);
		if (!(why = plan_range(ctx, &P, params))) {
			*out = P;
			return NULL;
		}
		sb_printf(&sb, "%salong %s (%s:%s): %s", sb.len ? "; " : "", e->map.params[k],
			  sym_print(a, P.r.begin), sym_print(a, P.r.end), why);
	}
	return sb_str(&sb);
}

/* ---- apply ---- */

/* Subtracts v from dimension dim of every memlet of u's container in s. */
static void
shift_memlets(Arena *a, IrState *s, const BUse *u, Sym *v)
{
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (!pass_streq(m->data, u->name))
			continue;
		m->subset = subset_copy(a, &m->subset);
		SymRange *r = &m->subset.r[u->dim];
		r->begin = sym_sub(a, r->begin, v);
		r->end = sym_sub(a, r->end, v);
	}
}

/* Shrinks u's container to extent min(old, W) along its blocked dim. */
static void
shrink(Arena *a, Plan *P, const BUse *u)
{
	IrContainer *c = ir_program_find_container(P->p, u->name);
	Sym **shape = arena_alloc(a, sizeof(Sym *) * (size_t)c->ndim);
	memcpy(shape, c->shape, sizeof(Sym *) * (size_t)c->ndim);
	shape[u->dim] = sym_min(a, shape[u->dim], P->width);
	c->shape = shape;
	c->strides = ir_strides_row_major(a, c->ndim, shape);
}

static void
sweep_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Arena *a = ctx->arena;
	Plan P;
	if (plan_site(ctx, site, params, &P))
		ICE("sweep-blocking applied where its check fails");
	IrBlock *head = P.list->data[P.first];
	const char *v = pass_fresh_name(ctx, P.p, "_blk");
	Sym *bv = sym_var(a, v);
	SymRange br = { bv, sym_min(a, sym_add(a, bv, P.width), P.r.end), sym_const(a, 1) };
	for (int i = 0; i < P.uses.len; i++)
		for (int k = P.first; P.uses.data[i].shrink && k <= P.last; k++)
			shift_memlets(a, P.list->data[k]->state, &P.uses.data[i], bv);
	for (int i = 0; i < P.maps.len; i++) {
		BMap *m = &P.maps.data[i];
		m->s->nodes.data[m->entry].map.ranges[m->k] = br;
		pass_map_cover_memlets(ctx, P.p, m->s, m->entry);
	}
	for (int i = 0; i < P.uses.len; i++)
		if (P.uses.data[i].shrink)
			shrink(a, &P, &P.uses.data[i]);
	const char *label = pass_fresh_name(ctx, P.p,
					    arena_printf(a, "sweep_L%d", head->loc.line));
	IrBlock *loop = ir_block_new(ctx, CF_FOR, label, head->loc);
	loop->loop.var = v;
	loop->loop.start = P.r.begin;
	loop->loop.stop = P.r.end;
	loop->loop.step = P.width;
	for (int i = P.first; i <= P.last; i++)
		vec_push(a, &loop->loop.body, P.list->data[i]);
	P.list->data[P.first] = loop;
	for (int i = P.first + 1; i <= P.last; i++)
		pass_block_remove(P.list, P.first + 1);
}

static const char *
sweep_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Plan P;
	return plan_site(ctx, site, params, &P);
}

/* ---- matcher ---- */

static void
sweep_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_runs(ctx, p, &xform_sweep_blocking,
			&(RunMatch){ .max = RUN_MAX, .in_parallel = true, .state_ok = state_blockable },
			out);
}

static const char *const sweep_params[] = { "size", "shrink", NULL };

const Xform xform_sweep_blocking = {
	.name = "sweep-blocking",
	.desc = "runs a sequence of states whose maps all sweep one range pointwise block "
		"by block along it (a loop over blocks), so each block stays in cache",
	.nsites = 2,
	.params = sweep_params,
	.match = sweep_match,
	.check = sweep_check,
	.apply = sweep_apply,
};
