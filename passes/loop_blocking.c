/* passes/loop_blocking.c — loop-blocking: a loop of pointwise sweeps runs
 * block by block, the whole loop inside each block.
 *
 * A for loop whose body's maps all sweep the same arrays pointwise (an
 * FIR filter's taps, `y[k:] += h[k] * x[:n - k]`; Horner's `p = p * x +
 * c[k]`) passes over those arrays once per iteration. loop-blocking cuts
 * the range of their first dimension into blocks of W and runs the loop
 * once per block
 *
 *   for loop_L18 k in range(0, T, 1):
 *     map [_i0 = 0:N - k]: ret[_i0 + k] += h[k] * x[_i0]
 *   ==>
 *   for block_L18 _blk in range(0, (N + W - 1) // W) parallel:
 *     for loop_L18 k in range(0, T, 1):
 *       map [_i0 = max(W*_blk - k, 0):min(N - k, W*_blk + W - k)]:
 *         ret[_i0 + k] += h[k] * x[_i0]
 *
 * (_blk numbers the blocks), so a block of the arrays stays in the cache
 * for the whole loop, and the blocks, which touch disjoint elements of everything
 * the loop writes, run in parallel: one fork per call instead of one per
 * map and iteration, or none at all when every map is under the fork
 * threshold (fir at N = 13824: 3584 maps of 13824 elements, each too
 * small to fork, so the loop ran on one thread).
 *
 * Legality. The new order runs iteration k's instances in block c before
 * iteration j's in block b (j < k, b < c), which the old order ran after
 * them; it is legal when no two such instances touch one element with at
 * least one of them writing. Every container the loop writes is touched
 * only at the element its "coordinate" names: dimension 0 of every memlet
 * of it, in every map, is exactly `p + off`, where p is one parameter of
 * the map (its blocked parameter) and off an offset that no parameter of
 * the map mentions (loop variables and size symbols may appear), the
 * same for every memlet of the map; no other dimension mentions p. The
 * coordinate p + off of an instance decides its block, so two instances
 * touching one element of a written container lie in one block, where
 * their order is the old one (the loops', then the states', then the
 * map's),
 * and instances in different blocks touch disjoint elements of what is
 * written: the blocks may run in any order, and at once. Containers the
 * loop only reads are read however they are. Each element's operations
 * and their order are unchanged: the results are bit-identical.
 *   - The body holds states, ifs and for loops (not parallel ones),
 *     recursively: no while loop (its trip count could differ between
 *     blocks), no break, continue, return or symbol assignment. A
 *     condition reads symbols and 0-d containers, which the loop does not
 *     write (below), so it takes the same value in every block.
 *   - Every state holds only access nodes and top-level maps with their
 *     tasklets (pass_flat_state_check): no library node, no tasklet
 *     outside a map, no nested map, no copy between access nodes.
 *   - Every written container has a dimension 0 (no scalar: every block
 *     would write it), all of the same extent E (the blocked range is
 *     0:E), and, when a transient, a shape that no variable of the loop
 *     or of the loops in it changes.
 *   - Map ranges and offsets mention only size symbols and the variables
 *     of the loop and of the loops in it (so a loop inside a loop over
 *     blocks, whose ranges mention _blk, is not blocked again); the
 *     blocked parameter's step is 1 and no other range of its map
 *     mentions it.
 * Cost rules (the check's, so -O3 applies only where it pays): the loop
 * runs at least MIN_TRIP times when its trip count is a constant, and a
 * constant E exceeds a constant W (one block is no blocking).
 *
 * The block width W: `size: W`, or elems // rows, or min(elems // rows,
 * max(ceil(E / BLOCK_SPLIT), ceil(BLOCK_MIN_ELEMS / rows))) (at least 1),
 * rows being the product of the other dimensions of the first container
 * the loop writes: blocks of about elems elements of each array, which with the
 * blocks of the arrays read beside them stay in a core's L1, and at least
 * BLOCK_SPLIT blocks when each still holds BLOCK_MIN_ELEMS elements, so
 * that the threads share them (maxpool's 24 images of 16 channels were
 * one block of 32 rows, run by one thread), when E * rows times the
 * iterations of the loop and of the loops nested in it (loop_trips)
 * passes SPLIT_WORK: below it the split would fork for little work (a
 * lower bound of the work: a map's own loops over other dimensions, a
 * convolution's window, are not counted; 32768 kept lenet_features, 15300
 * by this count, on one block and 25% slower).
 * elems is
 * BLOCK_ELEMS, or, when the trip counts of the loop and of the loops in
 * it are constants so small that a block would hold under BLOCK_WORK map
 * iterations, BLOCK_WORK // trips: each block costs the loop over blocks
 * a hand-out (a 3x3 window's loops: 9 iterations).
 * `parallel: false` keeps the loop over blocks sequential (the default
 * marks it parallel, as loop-parallelize would: the OpenMP emitter makes
 * it `omp parallel for schedule(dynamic, C)`, forking only when there are
 * two blocks or more).
 */
/*
 * run-blocking (xform_run_blocking, below) applies the same plan to a run
 * of consecutive states [first, last] instead of a loop's body (a loop of
 * one iteration): a row softmax's max, exponentials, sums and quotients
 * run block by block of rows in one parallel loop, so a block of X is
 * read from memory once and the run forks once. Its legality is the rule
 * above; its cost rules (run_cost) and width (run_width) are its own. The
 * loop over blocks is marked even: the blocks are of one size, and a
 * static split keeps each thread on the rows it had in the parallel maps
 * around the run.
 */
#include <string.h>

#include "passes.h"

enum {
	BLOCK_ELEMS = 512,      /* elements of an array in one block (4 KiB of float64) */
	BLOCK_WORK = 32768,     /* at least this many map iterations per block, when known */
	BLOCK_SPLIT = 4,        /* at least this many blocks, when the range has the rows */
	BLOCK_MIN_ELEMS = 8,    /* ... of at least this many elements of an array (a line) */
	SPLIT_WORK = 4096,      /* ... when the loop's work passes this (in rows * trips) */
	MIN_TRIP = 2,           /* a loop of fewer iterations (a constant) is left alone */
	RUN_ELEMS = 65536,      /* elements of an array in one block of a run (512 KiB of float64) */
	RUN_SPLIT = 16,         /* a run's blocks: at least this many, when large enough */
	RUN_PAR_WORK = 32768,   /* a run of no more elements is one block (DFCRT_PAR_MIN_WORK_IDLE) */
	RUN_MAX = 32,           /* states a matched run may span */
};

/* One top-level map of the body, its blocked parameter and offset. */
typedef struct LMap {
	IrState *s;
	int entry;
	int k;                  /* index of the blocked parameter */
	Sym *off;               /* coordinate = param k + off */
} LMap;

typedef struct Plan {
	IrProgram *p;
	bool run;               /* run-blocking: a run of states, not a loop */
	IrBlockList *list;      /* the loop's block list (the run's) */
	int index;              /* its index there (the run's first state's) */
	int last;               /* the run's last state's index */
	IrBlock *loop;          /* NULL for a run */
	VEC(IrState *) states;  /* the states of the body (of its ifs and loops too) */
	VEC(const char *) vars; /* the loop's variable and those of the loops in it */
	int64_t trips;          /* iterations of the innermost body, -1 unless constant */
	VEC(const char *) written;
	VEC(LMap) maps;
	Sym *extent;            /* E: the written containers' extent along dimension 0 */
	Sym *width;             /* W */
	bool parallel;
} Plan;

/* "loop" or "run": what the messages call the site. */
static const char *
what(const Plan *P)
{
	return P->run ? "run" : "loop";
}

/* What a symbol of a range or offset must be. */
static const char *
allowed(const Plan *P)
{
	return P->run ? "not a size symbol" :
	       "neither a size symbol nor a variable of the loop or of a loop in it";
}

/* ---- the loop and its body ---- */

static const char *
find_loop(Ctx *ctx, const XSite *site, Plan *P)
{
	Arena *a = ctx->arena;
	int64_t step;
	if (site->n != 1)
		return "expected one loop";
	P->p = site->p;
	P->loop = pass_find_block(site->p, site->names[0], &P->list, &P->index);
	if (!P->loop || P->loop->kind != CF_FOR)
		return arena_printf(a, "'%s' is not a for loop", site->names[0]);
	if (P->loop->loop.parallel)
		return arena_printf(a, "'%s' runs its iterations in parallel already",
				    site->names[0]);
	if (!sym_is_const(P->loop->loop.step, &step) || step == 0)
		return arena_printf(a, "'%s' has a step that is not a nonzero constant",
				    site->names[0]);
	return NULL;
}

/* The trip count of for loop b when it is a constant, else -1. */
static int64_t
const_trip(const IrBlock *b)
{
	int64_t start, stop, step;
	if (!sym_is_const(b->loop.start, &start) || !sym_is_const(b->loop.stop, &stop) ||
	    !sym_is_const(b->loop.step, &step) || step == 0)
		return -1;
	int64_t n = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
	return n > 0 ? n : 0;
}

/* Collects the states of l (and of its ifs and loops) into P, and the
 * variables of its loops; the reason when l holds another kind of block. */
static const char *
walk_body(Ctx *ctx, Plan *P, const IrBlockList *l)
{
	Arena *a = ctx->arena;
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		const char *why = NULL;
		switch (b->kind) {
		case CF_STATE:
			vec_push(a, &P->states, b->state);
			break;
		case CF_IF:
			for (int k = 0; k < b->branch.n && !why; k++)
				why = walk_body(ctx, P, &b->branch.bodies[k]);
			why = why ? why : walk_body(ctx, P, &b->branch.orelse);
			break;
		case CF_FOR: {
			if (b->loop.parallel) {
				why = arena_printf(a, "the body holds the parallel loop '%s' (line "
						   "%d)", b->name, b->loc.line);
				break;
			}
			vec_push(a, &P->vars, b->loop.var);
			int64_t n = const_trip(b);   /* saturates past BLOCK_WORK: no overflow */
			P->trips = P->trips < 0 || n < 0 ? -1 :
				   n > 0 && P->trips > BLOCK_WORK / n ? BLOCK_WORK + 1 :
				   P->trips * n;
			why = walk_body(ctx, P, &b->loop.body);
			break;
		}
		case CF_WHILE:
			why = arena_printf(a, "the body holds the while loop '%s' (line %d), whose "
					   "trip count may differ between blocks", b->name,
					   b->loc.line);
			break;
		case CF_ASSIGN:
			why = arena_printf(a, "the body assigns the symbol '%s' (line %d)",
					   b->assign.sym, b->loc.line);
			break;
		default:
			why = arena_printf(a, "the body holds a %s (line %d), which leaves "
					   "the loop in one block and not in the others",
					   b->kind == CF_BREAK ? "break" :
					   b->kind == CF_CONTINUE ? "continue" : "return",
					   b->loc.line);
			break;
		}
		if (why)
			return why;
	}
	return NULL;
}

/* Gathers the containers the body writes: those of access nodes that a
 * memlet enters. */
static void
gather_written(Ctx *ctx, Plan *P)
{
	for (int i = 0; i < P->states.len; i++) {
		const IrState *s = P->states.data[i];
		for (int k = 0; k < s->memlets.len; k++) {
			const IrMemlet *m = &s->memlets.data[k];
			const IrNode *d = &s->nodes.data[m->dst];
			if (d->kind == IRN_ACCESS &&
			    !pass_in_names(P->written.data, P->written.len, d->access.data))
				vec_push(ctx->arena, &P->written, d->access.data);
		}
	}
}

/* NULL if the written containers are arrays of one extent E along
 * dimension 0 (P->extent), transients not shaped by the loop's variable. */
static const char *
check_written(Ctx *ctx, Plan *P)
{
	Arena *a = ctx->arena;
	const IrContainer *first = NULL;
	for (int i = 0; i < P->written.len; i++) {
		const IrContainer *c = ir_program_find_container(P->p, P->written.data[i]);
		if (!c)
			ICE("loop-blocking: no container '%s'", P->written.data[i]);
		if (c->ndim == 0)
			return arena_printf(a, "the %s writes the scalar '%s', which every block "
					    "would write", what(P), c->name);
		for (int d = 0; d < c->ndim; d++)
			for (int k = 0; k < P->vars.len; k++)
				if (c->role == ROLE_TRANSIENT &&
				    sym_depends_on(c->shape[d], P->vars.data[k]))
					return arena_printf(a, "the shape of '%s' depends on the "
							    "loop variable %s", c->name,
							    P->vars.data[k]);
		if (!first) {
			first = c;
			P->extent = c->shape[0];
		} else if (!sym_equal(c->shape[0], P->extent))
			return arena_printf(a, "the %s writes '%s', %s long along dimension 0, "
					    "and '%s', %s long: one range of blocks cannot cover "
					    "both", what(P), first->name, sym_print(a, first->shape[0]),
					    c->name, sym_print(a, c->shape[0]));
	}
	if (!first)
		return arena_printf(a, "the %s writes nothing", what(P));
	return NULL;
}

/* ---- the maps ---- */

/* off when dimension 0 of x is exactly `param + off` (one index, step 1)
 * with no parameter of map e in off; NULL otherwise. */
static Sym *
offset_of(Arena *a, const Subset *x, const IrNode *e, int k)
{
	const SymRange *r = &x->r[0];
	Sym *off = sym_sub(a, r->begin, sym_var(a, e->map.params[k]));
	for (int i = 0; i < e->map.nparams; i++)
		if (sym_depends_on(off, e->map.params[i]))
			return NULL;
	if (!pass_range_is_index(a, r))
		return NULL;
	return off;
}

static const char *
at_line(Ctx *ctx, const IrMemlet *m)
{
	return arena_printf(ctx->arena, "%s%s (line %d)", m->data,
			    subset_print(ctx->arena, &m->subset), m->loc.line);
}

/* NULL if memlet m of map e (blocked parameter k, offset off, taken from
 * its memlet m0) touches its written container at coordinate param + off
 * only. */
static const char *
check_memlet(Ctx *ctx, const Plan *P, const IrNode *e, int k, Sym *off, const IrMemlet *m0,
	     const IrMemlet *m)
{
	Arena *a = ctx->arena;
	const char *v = e->map.params[k];
	Sym *got = m->subset.ndim > 0 ? offset_of(a, &m->subset, e, k) : NULL;
	if (!got || !sym_equal(got, off))
		return arena_printf(a, "%s touches %s and %s, which the %s writes, at "
				    "different elements along dimension 0: they may lie in "
				    "different blocks", e->label, at_line(ctx, m0),
				    at_line(ctx, m), what(P));
	for (int d = 1; d < m->subset.ndim; d++) {
		const SymRange *r = &m->subset.r[d];
		if (sym_depends_on(r->begin, v) || sym_depends_on(r->end, v))
			return arena_printf(a, "%s touches %s, whose dimension %d follows the "
					    "blocked parameter %s too", e->label, at_line(ctx, m),
					    d, v);
	}
	return NULL;
}

typedef VEC(const IrMemlet *) MemletRefs;

/* The memlets inside the map at `entry` of s: those of written containers
 * only, or all of them. */
static MemletRefs
map_memlets(Ctx *ctx, const Plan *P, const IrState *s, int entry, bool written_only)
{
	MemletRefs out = { 0 };
	const IrNode *e = &s->nodes.data[entry];
	bool *members = ir_state_scope_members(ctx->arena, s, entry);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		bool inner = m->src == entry || m->dst == e->map.exit ||
			     (members[m->src] && members[m->dst]);
		if (inner && m->data && (!written_only ||
		    pass_in_names(P->written.data, P->written.len, m->data)))
			vec_push(ctx->arena, &out, m);
	}
	return out;
}

/* Plans the map at `entry` of s: its blocked parameter is the one whose
 * index, plus an offset, is dimension 0 of its first memlet of a written
 * container. */
static const char *
plan_map(Ctx *ctx, Plan *P, IrState *s, int entry)
{
	Arena *a = ctx->arena;
	const IrNode *e = &s->nodes.data[entry];
	const char *const *lv = P->vars.data;
	for (int i = 0; i < e->map.nparams; i++) {
		const SymRange *r = &e->map.ranges[i];
		const char *x = pass_sym_foreign(P->p, r->begin, lv, P->vars.len);
		x = x ? x : pass_sym_foreign(P->p, r->end, lv, P->vars.len);
		x = x ? x : pass_sym_foreign(P->p, r->step, lv, P->vars.len);
		if (x)
			return arena_printf(a, "the range of %s in %s mentions %s, which is %s",
					    e->map.params[i], e->label, x, allowed(P));
	}
	MemletRefs ms = map_memlets(ctx, P, s, entry, true);
	if (!ms.len)
		return arena_printf(a, "%s (line %d) touches nothing the %s writes", e->label,
				    e->loc.line, what(P));
	const IrMemlet *m0 = ms.data[0];
	int k = -1;
	Sym *off = NULL;
	for (int i = 0; i < e->map.nparams && k < 0; i++)
		if (m0->subset.ndim > 0 && (off = offset_of(a, &m0->subset, e, i)))
			k = i;
	if (k < 0)
		return arena_printf(a, "%s touches %s, which the %s writes, at no parameter "
				    "of the map along dimension 0", e->label, at_line(ctx, m0),
				    what(P));
	const char *x = pass_sym_foreign(P->p, off, lv, P->vars.len);
	if (x)
		return arena_printf(a, "%s touches %s at an offset that mentions %s, which is %s",
				    e->label, at_line(ctx, m0), x, allowed(P));
	const SymRange *r = &e->map.ranges[k];
	if (!pass_sym_is_one(r->step))
		return arena_printf(a, "the blocked parameter %s of %s has a step other than 1",
				    e->map.params[k], e->label);
	for (int i = 0; i < e->map.nparams; i++) {
		const SymRange *o = &e->map.ranges[i];
		if (i != k && (sym_depends_on(o->begin, e->map.params[k]) ||
			       sym_depends_on(o->end, e->map.params[k])))
			return arena_printf(a, "the range of %s in %s mentions the blocked "
					    "parameter %s", e->map.params[i], e->label,
					    e->map.params[k]);
	}
	for (int i = 0; i < ms.len; i++) {
		const char *why = check_memlet(ctx, P, e, k, off, m0, ms.data[i]);
		if (why)
			return why;
	}
	vec_push(a, &P->maps, ((LMap){ s, entry, k, off }));
	return NULL;
}

/* ---- parameters ---- */

/* `size: W` into P->width (left NULL when absent); the reason when it is
 * not one positive integer. */
static const char *
size_param(Ctx *ctx, Plan *P, const XParams *params)
{
	const XParam *q = pass_param(params, "size");
	if (q && (q->nint != 1 || (q->str && q->str[0] == '[')))
		return "size must be one positive integer, the block width";
	if (q && q->ints[0] <= 0)
		return arena_printf(ctx->arena, "size %lld is not positive",
				    (long long)q->ints[0]);
	P->width = q ? sym_const(ctx->arena, q->ints[0]) : NULL;
	return NULL;
}

/* NULL unless one block of a constant W covers a constant extent. */
static const char *
one_block(Ctx *ctx, const Plan *P)
{
	int64_t w, ext;
	if (sym_is_const(P->width, &w) && sym_is_const(P->extent, &ext) && ext <= w)
		return arena_printf(ctx->arena, "one block of %lld covers the whole blocked "
				    "range 0:%lld", (long long)w, (long long)ext);
	return NULL;
}

static Sym *list_trips(Arena *a, const Plan *P, const IrBlockList *l);

/* The iterations of loop b (the blocked loop of P, or one in it), times
 * the most of the loops in its body: what multiplies the work of a map in
 * it, at least. A step that is not a constant counts 1, and so does a
 * loop in it whose bounds mention the variables of those loops (a
 * triangle's `range(k)`): the count is evaluated before the loop over
 * blocks, where they do not exist. */
static Sym *
loop_trips(Arena *a, const Plan *P, const IrBlock *b)
{
	int64_t step;
	Sym *n = sym_const(a, 1);
	if (sym_is_const(b->loop.step, &step) && step != 0 &&
	    (b == P->loop || (!sym_depends_on_any(b->loop.start, P->vars.data, P->vars.len) &&
			      !sym_depends_on_any(b->loop.stop, P->vars.data, P->vars.len)))) {
		Sym *len = step > 0 ? sym_sub(a, b->loop.stop, b->loop.start)
				    : sym_sub(a, b->loop.start, b->loop.stop);
		int64_t s = step > 0 ? step : -step;
		n = sym_max(a, sym_const(a, 0),
			    sym_floordiv(a, sym_addc(a, len, s - 1), sym_const(a, s)));
	}
	return sym_mul(a, n, list_trips(a, P, &b->loop.body));
}

/* The most iterations of the for loops of l (1 when none). */
static Sym *
list_trips(Arena *a, const Plan *P, const IrBlockList *l)
{
	Sym *n = sym_const(a, 1);
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		if (b->kind == CF_FOR)
			n = sym_max(a, n, loop_trips(a, P, b));
		if (b->kind != CF_IF)
			continue;
		for (int k = 0; k < b->branch.n; k++)
			n = sym_max(a, n, list_trips(a, P, &b->branch.bodies[k]));
		n = sym_max(a, n, list_trips(a, P, &b->branch.orelse));
	}
	return n;
}

/* The block width: `size: W`, or min(elems // rows, max(ceil(E /
 * BLOCK_SPLIT), ceil(BLOCK_MIN_ELEMS / rows))) (at least 1) when E * rows
 * times the loops' trips passes SPLIT_WORK (else elems // rows: the
 * split would fork for little work), where elems is BLOCK_ELEMS, or more
 * when
 * the body's iterations are a constant so few that a block would hold
 * under BLOCK_WORK map iterations (each block costs the loop over blocks
 * a hand-out: morphology's 3x3 window loop). */
static const char *
plan_width(Ctx *ctx, Plan *P, const XParams *params)
{
	Arena *a = ctx->arena;
	const char *why = size_param(ctx, P, params);
	if (why)
		return why;
	if (!P->width) {
		const IrContainer *c = ir_program_find_container(P->p, P->written.data[0]);
		int64_t elems = BLOCK_ELEMS;
		if (P->trips > 0 && BLOCK_WORK / P->trips > elems)
			elems = (BLOCK_WORK / P->trips + 7) / 8 * 8;
		Sym *rows = sym_const(a, 1);
		for (int d = 1; d < c->ndim; d++)
			rows = sym_mul(a, rows, c->shape[d]);
		rows = sym_max(a, sym_const(a, 1), rows);
		Sym *w = sym_floordiv(a, sym_const(a, elems), rows);
		Sym *share = sym_floordiv(a, sym_addc(a, P->extent, BLOCK_SPLIT - 1),
					  sym_const(a, BLOCK_SPLIT));
		Sym *least = sym_floordiv(a, sym_addc(a, rows, BLOCK_MIN_ELEMS - 1), rows);
		Sym *whole = sym_max(a, sym_const(a, 1), w);
		Sym *split = sym_max(a, sym_const(a, 1), sym_min(a, w, sym_max(a, share, least)));
		/* 1 when E * rows * the loops' trips > SPLIT_WORK, else 0 */
		Sym *big = sym_min(a, sym_const(a, 1),
				   sym_floordiv(a, sym_mul(a, sym_mul(a, P->extent, rows),
							   loop_trips(a, P, P->loop)),
						sym_const(a, SPLIT_WORK + 1)));
		int64_t sv, ev;
		if (sym_is_const(split, &sv) && sym_is_const(P->extent, &ev) && ev <= sv)
			P->width = whole;   /* one block either way: one_block says so */
		else
			P->width = sym_sub(a, whole, sym_mul(a, big, sym_sub(a, whole, split)));
	}
	return one_block(ctx, P);
}

/* NULL unless the loop's trip count is a constant under MIN_TRIP. */
static const char *
trip_check(Ctx *ctx, const Plan *P)
{
	int64_t n = const_trip(P->loop);
	if (n >= 0 && n < MIN_TRIP)
		return arena_printf(ctx->arena, "the loop runs %lld time%s; blocking pays off "
				    "from %d", (long long)n, n == 1 ? "" : "s", MIN_TRIP);
	return NULL;
}

/* Plans the maps of P->states, after checking what they write and that
 * each state is flat; the first reason against it, or NULL. */
static const char *
plan_states(Ctx *ctx, Plan *P)
{
	gather_written(ctx, P);
	const char *why = check_written(ctx, P);
	for (int i = 0; i < P->states.len && !why; i++)
		why = pass_flat_state_check(ctx, P->states.data[i]);
	for (int i = 0; i < P->states.len && !why; i++) {
		IrState *s = P->states.data[i];
		for (int k = 0; k < s->nodes.len && !why; k++)
			if (s->nodes.data[k].kind == IRN_MAP_ENTRY)
				why = plan_map(ctx, P, s, k);
	}
	return why;
}

/* ---- runs (run-blocking) ---- */

/* Does memlet m of a map sweep its container along the map's blocked
 * parameter v: dimension 0 follows v and every other dimension another
 * parameter of the map (whole rows, not one column of them)? */
static bool
sweeps(const IrNode *e, const char *v, const IrMemlet *m)
{
	if (m->subset.ndim < 1 || !sym_depends_on(m->subset.r[0].begin, v))
		return false;
	for (int d = 1; d < m->subset.ndim; d++) {
		bool moves = false;
		for (int i = 0; i < e->map.nparams && !moves; i++)
			moves = !pass_streq(e->map.params[i], v) &&
				sym_depends_on(m->subset.r[d].begin, e->map.params[i]);
		if (!moves)
			return false;
	}
	return true;
}

static void
blas_state(IrState *st, IrBlock *b, void *ud)
{
	(void)b;
	const char **found = ud;
	for (int i = 0; i < st->nodes.len && !*found; i++) {
		const IrNode *n = &st->nodes.data[i];
		if (n->kind == IRN_LIBRARY && n->lib.impl && strcmp(n->lib.impl, "blas") == 0)
			*found = st->name;
	}
}

/* Cost rules of a run, which has no loop to repeat its sweeps: blocking
 * pays when a block of what the maps share stays in the cache from one
 * map to the next, so
 *   - every map's blocked parameter is its first (outermost) one: a block
 *     is then a range of the map's outer loop (blocking an inner
 *     parameter would run the outer ones, a reduction over rows say, on
 *     one thread per block);
 *   - every memlet of a map, read or written, has the map's blocked
 *     parameter in dimension 0 only, if at all: a block is then a run of
 *     whole rows, contiguous in row-major order (a block of columns is
 *     short runs at a stride, slower than the whole sweeps it replaces:
 *     sweep-blocking's measurements, docs/transformations.md);
 *   - some container is swept (sweeps()) by maps of two states of the
 *     run: a block of it is then read from the cache the second time;
 *   - the program calls no BLAS: the loop over blocks forks on every
 *     call, also while OpenBLAS's threads still spin after a call, where
 *     the maps' own fork threshold keeps them on one thread (dfcrt.h).
 * Sets *rows to the largest product of the other dimensions of the
 * containers whose dimension 0 the blocked parameters index. */
static const char *
run_cost(Ctx *ctx, Plan *P, Sym **rows)
{
	Arena *a = ctx->arena;
	VEC(const char *) seen = { 0 };   /* containers swept by earlier states */
	VEC(const char *) state = { 0 };  /* those of the current state */
	const IrState *cur = NULL;
	const char *shared = NULL, *blas = NULL;
	*rows = sym_const(a, 1);
	for (int i = 0; i < P->maps.len; i++) {
		const LMap *lm = &P->maps.data[i];
		const IrNode *e = &lm->s->nodes.data[lm->entry];
		const char *v = e->map.params[lm->k];
		if (lm->k != 0)
			return arena_printf(a, "the blocked parameter %s of %s is not its first: a "
					    "block would run %s's outer loop on one thread", v,
					    e->label, e->label);
		if (lm->s != cur) {
			for (int k = 0; k < state.len; k++)
				if (!pass_in_names(seen.data, seen.len, state.data[k]))
					vec_push(a, &seen, state.data[k]);
			state.len = 0;
			cur = lm->s;
		}
		MemletRefs ms = map_memlets(ctx, P, lm->s, lm->entry, false);
		for (int k = 0; k < ms.len; k++) {
			const IrMemlet *m = ms.data[k];
			for (int d = 1; d < m->subset.ndim; d++)
				if (sym_depends_on(m->subset.r[d].begin, v) ||
				    sym_depends_on(m->subset.r[d].end, v))
					return arena_printf(a, "%s reads %s with the blocked parameter %s "
							    "in dimension %d: a block of it would be "
							    "short runs at a stride", e->label,
							    at_line(ctx, m), v, d);
			if (!sweeps(e, v, m))
				continue;
			if (!shared && pass_in_names(seen.data, seen.len, m->data))
				shared = m->data;
			if (!pass_in_names(state.data, state.len, m->data))
				vec_push(a, &state, m->data);
			const IrContainer *c = ir_program_find_container(P->p, m->data);
			Sym *r = sym_const(a, 1);
			for (int d = 1; c && d < c->ndim; d++)
				r = sym_mul(a, r, c->shape[d]);
			*rows = sym_max(a, *rows, r);
		}
	}
	if (!shared)
		return "no container is swept by the maps of two states of the run: no block "
		       "would be found in the cache";
	pass_foreach_state(P->p, blas_state, &blas);
	if (blas)
		return arena_printf(a, "the kernel calls BLAS (in %s): the loop over blocks "
				    "would fork while OpenBLAS's threads spin", blas);
	return NULL;
}

/* The width of a run's blocks: `size: W`, or E when the run sweeps no
 * more than RUN_PAR_WORK elements (E * rows: one block, no fork, as the
 * maps' fork threshold had it), else
 *   min(RUN_ELEMS // rows, ceil(E / RUN_SPLIT))
 * (at least 1): blocks of about RUN_ELEMS elements of each array, and at
 * least RUN_SPLIT of them, split evenly between the threads (the loop
 * is marked even). */
static const char *
run_width(Ctx *ctx, Plan *P, const XParams *params, Sym *rows)
{
	Arena *a = ctx->arena;
	const char *why = size_param(ctx, P, params);
	if (why)
		return why;
	if (!P->width) {
		Sym *r = sym_max(a, sym_const(a, 1), rows);
		Sym *cache = sym_floordiv(a, sym_const(a, RUN_ELEMS), r);
		Sym *split = sym_floordiv(a, sym_addc(a, P->extent, RUN_SPLIT - 1),
					  sym_const(a, RUN_SPLIT));
		Sym *w = sym_max(a, sym_const(a, 1), sym_min(a, cache, split));
		/* 1 when E * rows > RUN_PAR_WORK, else 0 (E and rows are >= 0) */
		Sym *big = sym_min(a, sym_const(a, 1),
				   sym_floordiv(a, sym_mul(a, P->extent, r),
						sym_const(a, RUN_PAR_WORK + 1)));
		P->width = sym_max(a, w, sym_sub(a, P->extent, sym_mul(a, P->extent, big)));
	}
	return one_block(ctx, P);
}

static const char *
plan_run(Ctx *ctx, const XSite *site, const XParams *params, Plan *P)
{
	*P = (Plan){ .p = site->p, .run = true, .trips = -1 };
	const char *why = pass_find_run(ctx, site, &P->list, &P->index, &P->last);
	if (why || (why = pass_bool_param(ctx, params, "parallel", true, &P->parallel)))
		return why;
	for (int i = P->index; i <= P->last; i++)
		vec_push(ctx->arena, &P->states, P->list->data[i]->state);
	Sym *rows;
	if ((why = plan_states(ctx, P)) || (why = run_cost(ctx, P, &rows)))
		return why;
	return run_width(ctx, P, params, rows);
}

/* ---- the plan ---- */

static const char *
plan_site(Ctx *ctx, const XSite *site, const XParams *params, Plan *P)
{
	*P = (Plan){ 0 };
	const char *why = find_loop(ctx, site, P);
	if (why || (why = pass_bool_param(ctx, params, "parallel", true, &P->parallel)) || (why = trip_check(ctx, P)))
		return why;
	vec_push(ctx->arena, &P->vars, P->loop->loop.var);
	P->trips = const_trip(P->loop);
	if ((why = walk_body(ctx, P, &P->loop->loop.body)))
		return why;
	return (why = plan_states(ctx, P)) ? why : plan_width(ctx, P, params);
}

static const char *
lb_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Plan P;
	return plan_site(ctx, site, params, &P);
}

/* Restricts every map of the plan to block _blk (variable v) and returns
 * the loop over the blocks, labelled block_L<line>, with an empty body. */
static IrBlock *
blocked_loop(Ctx *ctx, Plan *P, SrcLoc loc)
{
	Arena *a = ctx->arena;
	const char *v = pass_fresh_name(ctx, P->p, "_blk");
	Sym *first = sym_mul(a, sym_var(a, v), P->width);
	for (int i = 0; i < P->maps.len; i++) {
		LMap *m = &P->maps.data[i];
		IrNode *e = &m->s->nodes.data[m->entry];
		SymRange *r = &e->map.ranges[m->k];
		Sym *lo = sym_sub(a, first, m->off);
		*r = (SymRange){ sym_max(a, r->begin, lo),
				 sym_min(a, r->end, sym_add(a, lo, P->width)), sym_const(a, 1) };
		pass_map_cover_memlets(ctx, P->p, m->s, m->entry);
	}
	const char *label = pass_fresh_name(ctx, P->p, arena_printf(a, "block_L%d", loc.line));
	IrBlock *blocks = ir_block_new(ctx, CF_FOR, label, loc);
	blocks->loop.var = v;
	blocks->loop.start = sym_const(a, 0);
	blocks->loop.stop = sym_floordiv(a, sym_add(a, P->extent, sym_addc(a, P->width, -1)),
					 P->width);
	blocks->loop.step = sym_const(a, 1);
	blocks->loop.parallel = P->parallel;
	blocks->loop.even = P->parallel && P->run;
	return blocks;
}

static void
lb_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Plan P;
	if (plan_site(ctx, site, params, &P))
		ICE("loop-blocking applied where its check fails");
	IrBlock *blocks = blocked_loop(ctx, &P, P.loop->loc);
	vec_push(ctx->arena, &blocks->loop.body, P.loop);
	P.list->data[P.index] = blocks;
}

static void
lb_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_loops(ctx, p, &xform_loop_blocking, NULL, out);
}

static const char *const lb_params[] = { "size", "parallel", NULL };

const Xform xform_loop_blocking = {
	.name = "loop-blocking",
	.desc = "runs a loop whose maps sweep arrays pointwise block by block: a parallel "
		"loop over blocks of their first dimension, the whole loop inside each",
	.nsites = 1,
	.params = lb_params,
	.match = lb_match,
	.check = lb_check,
	.apply = lb_apply,
};

/* ---- run-blocking ---- */

static const char *
rb_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Plan P;
	return plan_run(ctx, site, params, &P);
}

static void
rb_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Plan P;
	if (plan_run(ctx, site, params, &P))
		ICE("run-blocking applied where its check fails");
	IrBlock *blocks = blocked_loop(ctx, &P, P.list->data[P.index]->loc);
	for (int i = P.index; i <= P.last; i++)
		vec_push(ctx->arena, &blocks->loop.body, P.list->data[i]);
	P.list->data[P.index] = blocks;
	for (int i = P.index + 1; i <= P.last; i++)
		pass_block_remove(P.list, P.index + 1);
}

/* The runs of p outside parallel loops (whose iterations run at once
 * already): from each state, the longest run of at most RUN_MAX states
 * that the check accepts. */
static void
rb_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_runs(ctx, p, &xform_run_blocking,
			&(RunMatch){ .max = RUN_MAX, .in_parallel = false }, out);
}

const Xform xform_run_blocking = {
	.name = "run-blocking",
	.desc = "runs a sequence of states whose maps sweep the arrays they write pointwise "
		"along their first dimension block by block: a parallel loop over blocks of "
		"rows, the whole sequence inside each",
	.nsites = 2,
	.params = lb_params,
	.match = rb_match,
	.check = rb_check,
	.apply = rb_apply,
};
