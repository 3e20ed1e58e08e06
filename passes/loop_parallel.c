/* passes/loop_parallel.c — loop-parallelize: a for loop whose iterations
 * are independent, and whose body holds control flow (nested loops,
 * branches) that loop-to-map cannot put in a map, runs its iterations in
 * parallel.
 *
 *   for loop_L53 i in range(0, N, 1):          for loop_L53 i in range(0, N, 1) parallel:
 *     state state_L54: C[i, :i+1] *= beta  ==>   (the same body)
 *     for loop_L55 k in range(0, M, 1):
 *       state state_L56: C[i, :i+1] += ...
 *
 * The site is a CF_FOR block (loop_L<line>); apply sets its `parallel`
 * flag, and its `even` flag when every iteration does the same work
 * (uniform_work), and changes nothing else. The OpenMP emitter makes it
 * `#pragma omp parallel for schedule(static)` when even, else
 * `schedule(dynamic, C)` (codegen/openmp/emit.c, parallel_pragma), with
 * the 0-d transients the body writes private, and emits everything in
 * the body without a parallel region of its own (maps keep their `omp
 * simd`).
 *
 * Legality (check):
 *   - the loop is not parallel yet, its step is a nonzero constant, and
 *     its body has no break or continue of the loop and no return;
 *   - not a loop of fewer than MIN_TRIP iterations known at compile time
 *     (its maps' own parallelism serves better: a cost rule);
 *   - no library node in the body (BLAS may start threads of its own)
 *     but naive dots (naive_dot: autocorrelation's `d[:n - k] @ d[k:]`
 *     per lag);
 *   - no array transient accessed in the body has a shape that depends on
 *     a variable the body defines (the loop's or a nested loop's
 *     variable, a symbol assigned in the body): it would be allocated in
 *     every iteration, into one shared pointer;
 *   - no subscript or map range in the body depends on a symbol assigned
 *     in the body (its value differs between iterations, and the test
 *     below takes symbols to be the same in both); every nested for loop
 *     has a constant step;
 *   - no two different iterations touch one element where one of the
 *     touches is a write (passes/depend.c, exact on affine subscripts,
 *     conservative otherwise). The variables of nested for loops are
 *     quantified like map parameters, with their ranges; accesses under
 *     an if or in a while loop are taken to happen. WCR writes count as
 *     plain writes: the iterations of an omp loop do not combine them;
 *   - every 0-d container the body writes is private to an iteration: a
 *     transient used nowhere outside the loop (no condition or symbol
 *     assignment there reads it either), and written plainly, outside
 *     every map, in the first block of the body that touches it, before
 *     anything else there touches it (written_first: that block may be a
 *     nested for loop whose body does so, when nothing after it touches
 *     the scalar; or a state all of whose accesses to it lie in one map,
 *     each iteration of which writes it first, when nothing after it
 *     touches the scalar: pass_state_map_writes_first). Those are left
 *     out of the test; the emitter makes them private.
 */
#include <string.h>

#include "depend.h"

/* What the body of the candidate loop holds, gathered by one walk. */
typedef struct Body {
	Ctx *ctx;
	const IrProgram *p;
	DepAccessList acc;             /* every access, nested loop vars as params */
	VEC(const char *) defs;        /* variables the body defines */
	VEC(const char *) vars;        /* nested loop variables around the walk */
	VEC(SymRange) ranges;          /* their ranges, increasing */
	VEC(const IrState *) states;   /* every state of the body */
	const char *why;               /* the first refusal met */
} Body;

/* ---- the walk ---- */

static void walk_list(Body *B, const IrBlockList *l);

/* Is library node id of s a dot (a matmul of two 1-D operands) expanded
 * naively? Inside a parallel loop its loop runs on the iteration's thread
 * (a simd reduction); library-expansion then refuses BLAS for it, and
 * the -O3 pipeline keeps dots naive anyway (library_expansion.c). */
static bool
naive_dot(const Body *B, const IrState *s, int id)
{
	const IrNode *n = &s->nodes.data[id];
	IrMatOperand v[3];
	return n->lib.op == LIB_MATMUL && (!n->lib.impl || strcmp(n->lib.impl, "naive") == 0) &&
	       ir_matmul_operands(B->ctx->arena, B->p, s, id, v) == 3;  /* 1@1->0 */
}

/* Appends the accesses of s with the nested loop variables prepended to
 * their map parameters. */
static void
add_state(Body *B, const IrState *s)
{
	Arena *a = B->ctx->arena;
	DepAccessList here = { 0 };
	dep_collect_state(B->ctx, s, &here);
	int nv = B->vars.len;
	for (int i = 0; i < here.len; i++) {
		DepAccess x = here.data[i];
		int np = nv + x.nparams;
		const char **params = arena_alloc(a, sizeof(char *) * (size_t)(np + 1));
		SymRange *ranges = arena_alloc(a, sizeof(SymRange) * (size_t)(np + 1));
		for (int k = 0; k < np; k++) {
			params[k] = k < nv ? B->vars.data[k] : x.params[k - nv];
			ranges[k] = k < nv ? B->ranges.data[k] : x.ranges[k - nv];
		}
		x.params = params;
		x.ranges = ranges;
		x.nparams = np;
		x.wcr = WCR_NONE;
		vec_push(a, &B->acc, x);
	}
	vec_push(a, &B->states, s);
	for (int i = 0; i < s->nodes.len && !B->why; i++)
		if (s->nodes.data[i].kind == IRN_LIBRARY && !naive_dot(B, s, i))
			B->why = arena_printf(a, "%s has a %s library node, which may start "
					      "threads of its own", s->name,
					      ir_libop_name(s->nodes.data[i].lib.op));
}

static void
walk_for(Body *B, const IrBlock *b)
{
	int64_t step;
	if (!sym_is_const(b->loop.step, &step) || step == 0) {
		B->why = arena_printf(B->ctx->arena, "the nested loop %s has a step that is not "
				      "a nonzero constant", b->name ? b->name : b->loop.var);
		return;
	}
	vec_push(B->ctx->arena, &B->defs, b->loop.var);
	vec_push(B->ctx->arena, &B->vars, b->loop.var);
	vec_push(B->ctx->arena, &B->ranges,
		 pass_loop_range_increasing(B->ctx->arena, b, step));
	walk_list(B, &b->loop.body);
	B->vars.len--;
	B->ranges.len--;
}

static void
walk_list(Body *B, const IrBlockList *l)
{
	for (int i = 0; i < l->len && !B->why; i++) {
		const IrBlock *b = l->data[i];
		switch (b->kind) {
		case CF_STATE:
			add_state(B, b->state);
			break;
		case CF_FOR:
			walk_for(B, b);
			break;
		case CF_WHILE:
			walk_list(B, &b->wloop.body);
			break;
		case CF_IF:
			for (int k = 0; k < b->branch.n; k++)
				walk_list(B, &b->branch.bodies[k]);
			walk_list(B, &b->branch.orelse);
			break;
		case CF_ASSIGN:
			vec_push(B->ctx->arena, &B->defs, b->assign.sym);
			break;
		default:
			break;
		}
	}
}

/* ---- variables the body defines ---- */

typedef struct Uses {
	const Body *B;
	const DepAccess *x;     /* names its params bind are not hits; may be NULL */
	const char *hit;
} Uses;

static void
note_def(const char *name, void *ud)
{
	Uses *u = ud;
	for (int k = 0; u->x && k < u->x->nparams; k++)
		if (strcmp(u->x->params[k], name) == 0)
			return;
	if (!u->hit && pass_in_names(u->B->defs.data, u->B->defs.len, name))
		u->hit = name;
}

static void
note_sym(Uses *u, const Sym *s)
{
	if (s)
		sym_foreach_var(s, note_def, u);
}

/* A symbol assigned in the body (or a loop variable no param binds) in a
 * subscript or a map range of an access. */
static const char *
check_subscripts(const Body *B)
{
	for (int i = 0; i < B->acc.len; i++) {
		const DepAccess *x = &B->acc.data[i];
		Uses u = { B, x, NULL };
		for (int d = 0; d < x->subset.ndim; d++) {
			note_sym(&u, x->subset.r[d].begin);
			note_sym(&u, x->subset.r[d].end);
			note_sym(&u, x->subset.r[d].step);
		}
		for (int k = 0; k < x->nparams; k++) {
			note_sym(&u, x->ranges[k].begin);
			note_sym(&u, x->ranges[k].end);
			note_sym(&u, x->ranges[k].step);
		}
		if (u.hit)
			return arena_printf(B->ctx->arena, "an access to '%s' depends on '%s', "
					    "which the loop body assigns", x->data, u.hit);
	}
	return NULL;
}

/* An array transient of the body whose shape uses a variable the body
 * or the loop defines. */
static const char *
check_shapes(const Body *B, const char *var)
{
	for (int i = 0; i < B->acc.len; i++) {
		const IrContainer *c = ir_program_find_container(B->p, B->acc.data[i].data);
		if (!c || c->role != ROLE_TRANSIENT || c->ndim == 0)
			continue;
		Uses u = { B, NULL, NULL };
		for (int d = 0; d < c->ndim; d++) {
			note_sym(&u, c->shape[d]);
			note_sym(&u, c->strides[d]);
			if (!u.hit && (sym_depends_on(c->shape[d], var) ||
				       sym_depends_on(c->strides[d], var)))
				u.hit = var;
		}
		if (u.hit)
			return arena_printf(B->ctx->arena, "transient '%s' has a shape that "
					    "depends on '%s': each iteration would allocate it",
					    c->name, u.hit);
	}
	return NULL;
}

/* ---- scalars private to an iteration ---- */

static bool
list_touches(const IrBlockList *l, const char *x)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		bool t = b->kind == CF_STATE && pass_state_touches(b->state, x);
		t = t || (b->kind == CF_FOR && list_touches(&b->loop.body, x));
		t = t || (b->kind == CF_WHILE && list_touches(&b->wloop.body, x));
		for (int k = 0; b->kind == CF_IF && k < b->branch.n && !t; k++)
			t = list_touches(&b->branch.bodies[k], x);
		t = t || (b->kind == CF_IF && list_touches(&b->branch.orelse, x));
		if (t)
			return true;
	}
	return false;
}

/* Does every iteration write x before anything touches it? No condition
 * or symbol assignment before the first block of the body that touches x
 * reads it, and that block is a state that writes it first, or a for
 * loop whose body does (recursively) and after which nothing touches x
 * (the loop may run no iteration). */
static bool
written_first(Ctx *ctx, const IrProgram *p, const IrBlockList *body, const char *x)
{
	for (int k = 0; k < body->len; k++) {
		const IrBlock *b = body->data[k];
		IrBlockList one = { .data = (IrBlock **)&body->data[k], .len = 1 };
		if (!list_touches(&one, x))
			continue;
		IrProgram before = *p;
		before.body = (IrBlockList){ .data = body->data, .len = k };
		if (pass_cond_reads(&before, x))
			return false;
		IrBlockList rest = { .data = body->data + k + 1, .len = body->len - k - 1 };
		if (b->kind == CF_FOR)
			return !list_touches(&rest, x) && written_first(ctx, p, &b->loop.body, x);
		if (b->kind != CF_STATE)
			return false;
		if (pass_state_writes_first(ctx, b->state, x))
			return true;
		/* or every access is in one map, each iteration of which writes x
		 * first, and no later block touches x (the map may run no
		 * iteration): the thread's copy serves the map's iterations in
		 * turn, as the loop runs them on one thread */
		return !list_touches(&rest, x) && pass_state_map_writes_first(ctx, b->state, x);
	}
	return false;
}

/* Does a condition or symbol assignment outside the loop read x? (The
 * loop's body is set aside while pass_cond_reads looks.) */
static bool
read_outside(const IrProgram *p, IrBlock *loop, const char *x)
{
	IrBlockList body = loop->loop.body;
	loop->loop.body.len = 0;
	bool r = pass_cond_reads(p, x);
	loop->loop.body = body;
	return r;
}

/* Is s one of the states of body ud (a Body), nested ones included? */
static bool
in_body(const IrState *s, const void *ud)
{
	const Body *B = ud;
	for (int i = 0; i < B->states.len; i++)
		if (B->states.data[i] == s)
			return true;
	return false;
}

/* NULL when every iteration can have its own copy of the 0-d container
 * x that the body writes; otherwise why not. */
static const char *
not_private_why(const Body *B, IrBlock *loop, const char *x)
{
	const IrContainer *c = ir_program_find_container(B->p, x);
	if (!c || c->role != ROLE_TRANSIENT)
		return c && c->role == ROLE_ARGUMENT ? "it is an argument" :
		       c && c->role == ROLE_RETURN ? "it is returned" : "it is not a local scalar";
	if (read_outside(B->p, loop, x))
		return "a condition or a symbol assignment outside the loop reads it";
	if (pass_touched_outside(B->p, x, in_body, B))
		return "it is also used outside the loop";
	if (!written_first(B->ctx, B->p, &loop->loop.body, x))
		return "an iteration may read it before writing it";
	return NULL;
}

/* Is x a 0-d container that some access of the body writes? */
static bool
written_scalar(const Body *B, const char *x)
{
	const IrContainer *c = ir_program_find_container(B->p, x);
	if (!c || c->ndim != 0)
		return false;
	for (int i = 0; i < B->acc.len; i++)
		if (B->acc.data[i].write && strcmp(B->acc.data[i].data, x) == 0)
			return true;
	return false;
}

/* NULL when no iteration depends on another: the written scalars are
 * private, and the test finds no dependence on the rest. */
static const char *
check_dependences(const Body *B, IrBlock *loop, int64_t step)
{
	Ctx *ctx = B->ctx;
	DepAccessList acc = { 0 };
	for (int i = 0; i < B->acc.len; i++) {
		const DepAccess *a = &B->acc.data[i];
		if (!written_scalar(B, a->data)) {
			vec_push(ctx->arena, &acc, *a);
			continue;
		}
		const char *why = not_private_why(B, loop, a->data);
		if (why)
			return arena_printf(ctx->arena, "the scalar %s is written in the loop body "
					    "but is not private to an iteration (%s)", a->data, why);
	}
	DepLoop L = { loop->loop.var, loop->loop.start, loop->loop.stop, step, B->p };
	return dep_loop_carried(ctx, &L, acc.data, acc.len);
}

/* ---- the site ---- */

static const char *
find_loop(Ctx *ctx, const XSite *site, IrBlock **out)
{
	IrBlock *b = pass_find_block(site->p, site->names[0], NULL, NULL);
	if (!b) {
		MapRef ref;
		return pass_find_map(site->p, site->names[0], &ref) ?
			"it is a map, not a for loop" : "it is not a for loop";
	}
	if (b->kind != CF_FOR)
		return arena_printf(ctx->arena, "'%s' is not a for loop", site->names[0]);
	*out = b;
	return NULL;
}

/* A loop of fewer iterations than this, known when dfc compiles it (a loop
 * over 3 colour channels), stays sequential: on more threads than
 * iterations most would idle, and even 3 on 2 threads take two rounds. */
enum { MIN_TRIP = 16 };

/* The loop itself: not parallel yet, a constant step, no jump out, not
 * too few iterations. */
static const char *
check_loop(Ctx *ctx, const IrBlock *b, int64_t *step)
{
	if (b->loop.parallel)
		return "the loop is parallel already";
	if (!sym_is_const(b->loop.step, step) || *step == 0)
		return arena_printf(ctx->arena, "the loop's step %s is not a nonzero constant",
				    sym_print(ctx->arena, b->loop.step));
	const IrBlock *j = ir_loop_jump(&b->loop.body, false);
	if (j)
		return arena_printf(ctx->arena, "the loop body has a %s (line %d)",
				    j->kind == CF_RETURN ? "return" :
				    j->kind == CF_BREAK ? "break" : "continue", j->loc.line);
	if (b->loop.body.len == 0)
		return "the loop body is empty";
	int64_t start, stop;
	if (sym_is_const(b->loop.start, &start) && sym_is_const(b->loop.stop, &stop)) {
		int64_t trip = *step > 0 ? (stop - start + *step - 1) / *step
					 : (start - stop - *step - 1) / -*step;
		if (trip < MIN_TRIP)
			return arena_printf(ctx->arena, "the loop has %lld iterations, fewer than %d: "
					    "too few to share between threads, while the maps in "
					    "its body can use them all", (long long)(trip > 0 ? trip : 0),
					    MIN_TRIP);
	}
	return NULL;
}

static const char *
lp_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	IrBlock *loop = NULL;
	int64_t step = 0;
	const char *why = find_loop(ctx, site, &loop);
	if (!why)
		why = check_loop(ctx, loop, &step);
	if (why)
		return why;
	Body B = { .ctx = ctx, .p = site->p };
	walk_list(&B, &loop->loop.body);
	why = B.why;
	if (!why)
		why = check_subscripts(&B);
	if (!why)
		why = check_shapes(&B, loop->loop.var);
	if (!why)
		why = check_dependences(&B, loop, step);
	return why;
}

/* Does extent hi - lo leave out var? */
static bool
extent_free(Arena *a, Sym *lo, Sym *hi, const char *var)
{
	return !sym_depends_on(sym_sub(a, hi, lo), var);
}

/* Does every iteration of the loop over var do the same work, l being
 * its body (or a block list in it)? Only states and for loops, no branch
 * or while loop (whose work depends on the data); no trip count of a
 * nested loop, no map range and no extent of what a library node (a dot)
 * reads or writes depends on var. Where var only moves them (syrk's
 * triangle moves nothing, symm's columns C[:i, j] move with j), the
 * iterations cost alike. */
static bool
uniform_work(Arena *a, const IrBlockList *l, const char *var)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		if (b->kind == CF_FOR) {
			if (!extent_free(a, b->loop.start, b->loop.stop, var) ||
			    !uniform_work(a, &b->loop.body, var))
				return false;
			continue;
		}
		if (b->kind != CF_STATE)
			return false;
		const IrState *s = b->state;
		for (int n = 0; n < s->nodes.len; n++) {
			const IrNode *nd = &s->nodes.data[n];
			for (int r = 0; nd->kind == IRN_MAP_ENTRY && r < nd->map.nparams; r++)
				if (!extent_free(a, nd->map.ranges[r].begin, nd->map.ranges[r].end, var))
					return false;
		}
		for (int m = 0; m < s->memlets.len; m++) {
			const IrMemlet *me = &s->memlets.data[m];
			if (s->nodes.data[me->src].kind != IRN_LIBRARY &&
			    s->nodes.data[me->dst].kind != IRN_LIBRARY)
				continue;
			for (int d = 0; d < me->subset.ndim; d++)
				if (!extent_free(a, me->subset.r[d].begin, me->subset.r[d].end, var))
					return false;
		}
	}
	return true;
}

static void
lp_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	IrBlock *loop = NULL;
	if (find_loop(ctx, site, &loop))
		ICE("loop-parallelize applied where its check refuses");
	loop->loop.parallel = true;
	loop->loop.even = uniform_work(ctx->arena, &loop->loop.body, loop->loop.var);
}

static void
lp_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_loops(ctx, p, &xform_loop_parallel, NULL, out);
}

const Xform xform_loop_parallel = {
	.name = "loop-parallelize",
	.desc = "runs the iterations of a for loop in parallel when they are independent "
		"(exact dependence test), whatever control flow its body holds",
	.nsites = 1,
	.params = NULL,
	.match = lp_match,
	.check = lp_check,
	.apply = lp_apply,
};
