/* passes/transposed_copy.c — transposed-copy: a 2-D container that a loop
 * nest reads down its columns, in the innermost map parameter, is copied
 * once, transposed, before the nest, and those reads read the copy along
 * its rows.
 *
 * The site is a map and the parameter `array: X`. The reads it redirects
 * are the *column reads* of X: memlets that leave a map entry at the top
 * level of its state for a tasklet, one element X[r, c] each, where r is
 * the entry's last parameter p (the innermost loop, the one `vectorize`
 * marks) plus terms free of p, and c does not mention p. Row-major X puts
 * consecutive p a whole row apart; X_T[c, r] of the copy X_T[j, i] =
 * X[i, j] puts them next to each other, so the innermost loop reads
 * contiguous memory and vectorizes. Every tasklet computes what it
 * computed before, from the same values, in the same order: results are
 * bit-identical. The column vectors x[r0:r1, c] that dots read
 * (projection's `A[:, j] @ r`, two per column) are redirected to
 * the rows x_T[c, r0:r1] as well; a dot's loop then vectorizes over
 * contiguous elements, and its sum may be grouped into lanes otherwise
 * than the strided loop's was (rounding at NumPy's level).
 *
 * Where the copy goes: before the outermost for loop L around the map
 * that writes X nowhere in its body (so every value the redirected reads
 * see is the one the copy took), in L's block list; one state of one map
 * [_t0 = 0:M, _t1 = 0:N] (X of shape N x M) writing X_T[_t0, _t1] =
 * X[_t1, _t0], parallel: the OpenMP emitter's `if` forks it only above
 * DFCRT_PAR_MIN_WORK elements, so syrk's and syr2k's copies at the bench
 * sizes (9152 and 2288 elements) run on the calling thread, and
 * projection's (2.3M elements, strided reads, 60% of the kernel when it
 * was sequential) forks: 11.3 -> 7.6 ms. The copy covers all of X, hence every
 * element any read reads. It refuses when the only such place is inside a parallel loop
 * (threads would share the copy while filling it). Every column read of
 * X in L's body (any top-level map of any state) is redirected, not just
 * the site's: the copy is paid once.
 *
 * Cost rule: the copy moves the N*M elements of X once; it pays when the
 * column reads of the site's map, and the elements of the column vectors
 * that the dots in the states of its block list read, over
 * every iteration of L and the loops inside it, are at least PAY_FACTOR
 * times as many. The count is an
 * estimate: every size symbol is taken to be NOMINAL, and a range whose
 * bounds depend on an outer loop variable or map parameter is evaluated
 * at that variable's middle value (exact for the triangular loops of
 * syrk; while loops count one iteration). A transposed read that each
 * element meets once (B = A.T as a loop) gives a ratio of 1 and is
 * refused; syrk's ratio is about 32, projection's (two dots and an update
 * per column) 3, and its copy pays: each strided read is a new page.
 */
#include <string.h>

#include "passes.h"

enum {
	NOMINAL = 64,     /* the value of a size symbol in the cost estimate */
	PAY_FACTOR = 3,   /* column reads per copied element for the copy to pay */
};

/* ---- the nest around the site ---- */

/* Where a block stands: list->data[index]. */
typedef struct Frame {
	IrBlockList *list;
	int index;
} Frame;

typedef VEC(Frame) Chain;

/* The frames from p's body down to the block of state s; false if s is
 * not in l. */
static bool
chain_find(Arena *a, IrBlockList *l, const IrState *s, Chain *c)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		vec_push(a, c, ((Frame){ l, i }));
		bool found = b->kind == CF_STATE && b->state == s;
		if (b->kind == CF_FOR)
			found = chain_find(a, &b->loop.body, s, c);
		else if (b->kind == CF_WHILE)
			found = chain_find(a, &b->wloop.body, s, c);
		else if (b->kind == CF_IF) {
			for (int k = 0; !found && k < b->branch.n; k++)
				found = chain_find(a, &b->branch.bodies[k], s, c);
			if (!found)
				found = chain_find(a, &b->branch.orelse, s, c);
		}
		if (found)
			return true;
		c->len--;
	}
	return false;
}

static IrBlock *
frame_block(const Chain *c, int k)
{
	return c->data[k].list->data[c->data[k].index];
}

/* Does state s write container x (a memlet into an access node of x)? */
static bool
state_writes(const IrState *s, const char *x)
{
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const IrNode *d = &s->nodes.data[m->dst];
		if (m->data && d->kind == IRN_ACCESS && pass_streq(d->access.data, x))
			return true;
	}
	return false;
}

/* The state of l (nested blocks included) that writes x, or NULL. */
static const IrState *
list_writer(const IrBlockList *l, const char *x)
{
	const IrState *w = NULL;
	for (int i = 0; !w && i < l->len; i++) {
		const IrBlock *b = l->data[i];
		if (b->kind == CF_STATE && state_writes(b->state, x))
			w = b->state;
		else if (b->kind == CF_FOR)
			w = list_writer(&b->loop.body, x);
		else if (b->kind == CF_WHILE)
			w = list_writer(&b->wloop.body, x);
		else if (b->kind == CF_IF) {
			for (int k = 0; !w && k < b->branch.n; k++)
				w = list_writer(&b->branch.bodies[k], x);
			if (!w)
				w = list_writer(&b->branch.orelse, x);
		}
	}
	return w;
}

/* ---- column reads ---- */

/* Is memlet m of s a column read of x: from the top-level map entry e to
 * a tasklet, one element x[r, c], r with coefficient 1 in e's last
 * parameter and c free of it? */
static bool
column_read(Arena *a, const IrState *s, const IrMemlet *m, int e, const char *x)
{
	const IrNode *en = &s->nodes.data[e];
	if (m->src != e || !pass_streq(m->data, x) || m->subset.ndim != 2 || m->wcr != WCR_NONE ||
	    s->nodes.data[m->dst].kind != IRN_TASKLET)
		return false;
	const char *p = en->map.params[en->map.nparams - 1];
	const SymRange *r = m->subset.r;
	int64_t coef;
	return pass_range_is_index(a, &r[0]) && pass_range_is_index(a, &r[1]) &&
	       sym_coef_of(r[0].begin, p, &coef) && coef == 1 && !sym_depends_on(r[1].begin, p);
}

/* Is memlet m of s a column vector of x that a dot reads: from an access
 * node of x into a matmul node of two 1-D operands, x[r0:r1, c] with c
 * one index (projection's `A[:, j] @ r`)? Only a dot: an operand of a
 * product of matrices could be the N x 1 matrix x[r0:r1, c:c + 1], which
 * the row x_T[c:c + 1, r0:r1] would turn into a 1 x N one. */
static bool
column_vector(Arena *a, const IrProgram *p, const IrState *s, const IrMemlet *m,
	      const char *x)
{
	const IrNode *src = &s->nodes.data[m->src], *dst = &s->nodes.data[m->dst];
	IrMatOperand v[3];
	return pass_streq(m->data, x) && m->subset.ndim == 2 && m->wcr == WCR_NONE &&
	       src->kind == IRN_ACCESS && dst->kind == IRN_LIBRARY &&
	       dst->lib.op == LIB_MATMUL && pass_range_is_index(a, &m->subset.r[1]) &&
	       !pass_range_is_index(a, &m->subset.r[0]) && pass_sym_is_one(m->subset.r[0].step) &&
	       ir_matmul_operands(a, p, s, m->dst, v) == 3;   /* 1@1->0 */
}

static int
count_column_reads(Arena *a, const IrState *s, int e, const char *x)
{
	int n = 0;
	for (int i = 0; i < s->memlets.len; i++)
		n += column_read(a, s, &s->memlets.data[i], e, x);
	return n;
}

/* ---- the cost estimate ---- */

/* Values of the loop variables and map parameters met so far (their
 * middle values); every other name is NOMINAL. */
typedef struct Env {
	VEC(const char *) names;
	VEC(int64_t) vals;
} Env;

static bool
env_lookup(const char *name, int64_t *v, void *ud)
{
	const Env *env = ud;
	for (int i = env->names.len - 1; i >= 0; i--)
		if (strcmp(env->names.data[i], name) == 0) {
			*v = env->vals.data[i];
			return true;
		}
	*v = NOMINAL;
	return true;
}

static int64_t
env_eval(Env *env, const Sym *s, bool *ok)
{
	return sym_eval(s, env_lookup, env, ok);
}

/* The trip count of range(start, stop, step) under env (1 when it cannot
 * be evaluated); var, when given, gets its middle value in env. */
static double
env_trips(Arena *a, Env *env, const char *var, Sym *start, Sym *stop, Sym *step)
{
	bool ok = true;
	int64_t b = env_eval(env, start, &ok), e = env_eval(env, stop, &ok);
	int64_t st = env_eval(env, step, &ok), n = 1;
	if (ok && st > 0)
		n = e > b ? (e - b + st - 1) / st : 0;
	else if (ok && st < 0)
		n = b > e ? (b - e - st - 1) / -st : 0;
	if (var) {
		vec_push(a, &env->names, var);
		vec_push(a, &env->vals, ok && n > 0 ? b + st * ((n - 1) / 2) : b);
	}
	return (double)n;
}

/* The elements of x that the matrix products of the states of l read as
 * column vectors, under env. */
static double
vector_reads(Arena *a, const IrProgram *p, Env *env, const IrBlockList *l, const char *x)
{
	double n = 0;
	for (int i = 0; i < l->len; i++) {
		const IrState *s = l->data[i]->kind == CF_STATE ? l->data[i]->state : NULL;
		for (int k = 0; s && k < s->memlets.len; k++) {
			const IrMemlet *m = &s->memlets.data[k];
			if (column_vector(a, p, s, m, x))
				n += env_trips(a, env, NULL, m->subset.r[0].begin, m->subset.r[0].end,
					       m->subset.r[0].step);
		}
	}
	return n;
}

/* NULL when the column reads of x in map e of s, and the column vectors
 * of x that the matrix products beside it read (a dot per column), over
 * the loops of chain c from frame `at` inward, are at least PAY_FACTOR
 * times the elements of x; else why not. */
static const char *
cost_check(Ctx *ctx, const IrProgram *p, const Chain *c, int at, const IrState *s, int e,
	   const IrContainer *x)
{
	Arena *a = ctx->arena;
	Env env = { 0 };
	double loops = 1;
	for (int k = 0; k < c->len; k++) {
		IrBlock *b = frame_block(c, k);
		if (b->kind != CF_FOR)
			continue;
		double n = env_trips(a, &env, b->loop.var, b->loop.start, b->loop.stop, b->loop.step);
		if (k >= at)
			loops *= n;
	}
	double vectors = vector_reads(a, p, &env, c->data[c->len - 1].list, x->name);
	double reads = count_column_reads(a, s, e, x->name);
	const IrNode *en = &s->nodes.data[e];
	for (int d = 0; d < en->map.nparams; d++) {
		const SymRange *r = &en->map.ranges[d];
		reads *= env_trips(a, &env, en->map.params[d], r->begin, r->end, r->step);
	}
	reads = (reads + vectors) * loops;
	Sym *one = sym_const(a, 0), *step = sym_const(a, 1);
	double elems = env_trips(a, &env, NULL, one, x->shape[0], step) *
		       env_trips(a, &env, NULL, one, x->shape[1], step);
	if (reads >= PAY_FACTOR * elems && reads > 0)
		return NULL;
	return arena_printf(a, "the copy would not pay: with every size %d, the column reads of "
			    "'%s' in %s are %.0f, fewer than %d times the %.0f elements copied",
			    NOMINAL, x->name, frame_block(c, at)->name, reads, PAY_FACTOR, elems);
}

/* ---- legality ---- */

typedef struct Site {
	MapRef map;
	const IrContainer *x;
	Chain chain;       /* from p's body to the map's state */
	int at;            /* the frame of the loop the copy goes before */
} Site;

static const char *
site_container(Ctx *ctx, const XSite *site, const XParams *ps, Site *S)
{
	if (site->n != 1)
		return "expected one map";
	if (!pass_find_map(site->p, site->names[0], &S->map))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	const XParam *q = pass_param(ps, "array");
	if (!q)
		return "the 'array' parameter is required: the container the map reads down its "
		       "columns";
	S->x = q->nint < 0 ? ir_program_find_container(site->p, q->str) : NULL;
	if (!S->x)
		return arena_printf(ctx->arena, "'array' must name a container of %s",
				    site->p->name);
	const IrContainer *x = S->x;
	int64_t s1;
	if (x->ndim != 2)
		return arena_printf(ctx->arena, "'%s' has %d dimensions; only 2-D arrays are "
				    "transposed", x->name, x->ndim);
	if (!sym_is_const(x->strides[1], &s1) || s1 != 1 || !sym_equal(x->strides[0], x->shape[1]))
		return arena_printf(ctx->arena, "'%s' is not laid out row-major", x->name);
	return NULL;
}

/* The loop the copy goes before: the outermost for loop of the chain
 * whose body does not write x, not inside a parallel loop. */
static const char *
placement(Ctx *ctx, Site *S)
{
	const char *x = S->x->name;
	for (int k = 0; k + 1 < S->chain.len; k++) {
		IrBlock *b = frame_block(&S->chain, k);
		if (b->kind != CF_FOR)
			continue;
		const IrState *w = list_writer(&b->loop.body, x);
		if (!w) {
			S->at = k;
			return NULL;
		}
		if (b->loop.parallel || k + 2 == S->chain.len)
			return arena_printf(ctx->arena, "'%s' is written in %s, inside %s%s: the "
					    "copy would not see that write", x, w->name, b->name,
					    b->loop.parallel ? " (a parallel loop: no copy can go "
					    "inside it either)" : "");
	}
	return arena_printf(ctx->arena, "%s is in no for loop whose body leaves '%s' unwritten: "
			    "each element would be read once per copy", S->map.state->name, x);
}

static const char *
tc_analyse(Ctx *ctx, const XSite *site, const XParams *ps, Site *S)
{
	*S = (Site){ 0 };
	const char *why = site_container(ctx, site, ps, S);
	if (why)
		return why;
	const IrState *s = S->map.state;
	const char *label = site->names[0], *x = S->x->name;
	if (ir_state_scope_of(s, S->map.entry) >= 0)
		return arena_printf(ctx->arena, "%s is nested in another map", label);
	const IrNode *en = &s->nodes.data[S->map.entry];
	if (count_column_reads(ctx->arena, s, S->map.entry, x) == 0)
		return arena_printf(ctx->arena, "%s reads no %s[r, c] with r walking its "
				    "innermost parameter %s and c independent of it", label, x,
				    en->map.params[en->map.nparams - 1]);
	if (!chain_find(ctx->arena, &site->p->body, s, &S->chain))
		ICE("state %s not found in %s", s->name, site->p->name);
	if ((why = placement(ctx, S)))
		return why;
	return cost_check(ctx, site->p, &S->chain, S->at, s, S->map.entry, S->x);
}

static const char *
tc_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Site S;
	return tc_analyse(ctx, site, params, &S);
}

/* ---- apply ---- */

static Subset
whole(Arena *a, Sym *n0, Sym *n1)
{
	Subset s = { 2, arena_alloc(a, sizeof(SymRange) * 2) };
	s.r[0] = (SymRange){ sym_const(a, 0), n0, sym_const(a, 1) };
	s.r[1] = (SymRange){ sym_const(a, 0), n1, sym_const(a, 1) };
	return s;
}

static Subset
swapped(Arena *a, const Subset *s)
{
	Subset t = { 2, arena_alloc(a, sizeof(SymRange) * 2) };
	t.r[0] = s->r[1];
	t.r[1] = s->r[0];
	return t;
}

/* The state that copies x, transposed, into xt: one parallel map
 * [_t0 = 0:M, _t1 = 0:N] of xt[_t0, _t1] = x[_t1, _t0]. */
static IrState *
copy_state(Ctx *ctx, IrProgram *p, const IrContainer *x, const char *xt, const IrBlock *loop)
{
	Arena *a = ctx->arena;
	SrcLoc loc = loop->loc;
	int line = loc.line;
	const char *sname = pass_fresh_name(ctx, p, arena_printf(a, "state_L%d_%s", line, xt));
	IrState *s = ir_state_new(ctx, sname, loc);
	const char *label = pass_fresh_name(ctx, p, arena_printf(a, "map_L%d_%s", line, xt));
	const char **params = arena_alloc(a, sizeof(char *) * 2);
	params[0] = pass_fresh_name(ctx, p, "_t0");
	params[1] = pass_fresh_name(ctx, p, "_t1");
	Subset src = whole(a, x->shape[0], x->shape[1]), dst = swapped(a, &src);
	int e = ir_state_add_map(ctx, s, label, 2, params, dst.r, SCHED_CPU_PARALLEL, loc);
	int ex = s->nodes.data[e].map.exit;
	IrConn in = { "in", x->dtype }, out = { "out", x->dtype };
	int t = ir_state_add_tasklet(ctx, s, 1, &in, out, ir_expr_in(a, x->dtype, "in"), loc);
	int ax = ir_state_add_access(ctx, s, x->name, loc);
	int at = ir_state_add_access(ctx, s, xt, loc);
	Sym *ij[2] = { sym_var(a, params[1]), sym_var(a, params[0]) };
	Subset el = subset_index(a, 2, ij);
	const char *ic = arena_printf(a, "IN_%s", x->name), *oc = arena_printf(a, "OUT_%s", xt);
	ir_state_add_memlet(ctx, s, ax, NULL, e, ic, x->name, src, WCR_NONE, loc);
	ir_state_add_memlet(ctx, s, e, arena_printf(a, "OUT_%s", x->name), t, "in", x->name, el,
			    WCR_NONE, loc);
	ir_state_add_memlet(ctx, s, t, "out", ex, arena_printf(a, "IN_%s", xt), xt,
			    swapped(a, &el), WCR_NONE, loc);
	ir_state_add_memlet(ctx, s, ex, oc, at, NULL, xt, dst, WCR_NONE, loc);
	return s;
}

/* Removes the memlets of x into map entry e whose IN_ connector no
 * memlet leaves on OUT_ any more, and the access nodes left without
 * memlets by that. */
static void
drop_unused_input(Ctx *ctx, IrState *s, int e, const char *x)
{
	Arena *a = ctx->arena;
	bool *dm = arena_alloc(a, sizeof(bool) * (size_t)(s->memlets.len + 1));
	bool *dn = arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1));
	int *live = arena_alloc(a, sizeof(int) * (size_t)(s->nodes.len + 1));
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst == e && pass_streq(m->data, x) && strncmp(m->dst_conn, "IN_", 3) == 0)
			dm[i] = !ir_state_conn_memlet(s, e, arena_printf(a, "OUT_%s",
									 m->dst_conn + 3), true);
	}
	for (int i = 0; i < s->memlets.len; i++)
		if (!dm[i]) {
			live[s->memlets.data[i].src]++;
			live[s->memlets.data[i].dst]++;
		}
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (dm[i] && s->nodes.data[m->src].kind == IRN_ACCESS && !live[m->src])
			dn[m->src] = true;
	}
	pass_state_remove(ctx, s, dn, dm);
}

/* Redirects the column reads of x (shape n0 x n1) in the top-level map e
 * of s to xt[c, r] on OUT_xt, which a new access node of xt feeds whole. */
static void
redirect_map(Ctx *ctx, IrState *s, int e, const char *x, Sym *n0, Sym *n1, const char *xt)
{
	Arena *a = ctx->arena;
	const char *oc = arena_printf(a, "OUT_%s", xt);
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (!column_read(a, s, m, e, x))
			continue;
		m->data = xt;
		m->src_conn = oc;
		m->subset = swapped(a, &m->subset);
	}
	SrcLoc loc = s->nodes.data[e].loc;
	int acc = ir_state_add_access(ctx, s, xt, loc);
	ir_state_add_memlet(ctx, s, acc, NULL, e, arena_printf(a, "IN_%s", xt), xt,
			    whole(a, n1, n0), WCR_NONE, loc);
	drop_unused_input(ctx, s, e, x);
}

/* Redirects the column vectors of x that the matrix products of s read
 * to the rows xt[c, r0:r1], each from an access node of its own; the
 * access nodes of x left without memlets go. */
static void
redirect_vectors(Ctx *ctx, const IrProgram *p, IrState *s, const char *x, const char *xt)
{
	Arena *a = ctx->arena;
	bool any = false;
	for (int i = 0; i < s->memlets.len; i++) {
		if (!column_vector(a, p, s, &s->memlets.data[i], x))
			continue;
		int acc = ir_state_add_access(ctx, s, xt, s->memlets.data[i].loc);
		IrMemlet *m = &s->memlets.data[i];
		m->src = acc;
		m->data = xt;
		m->subset = swapped(a, &m->subset);
		any = true;
	}
	if (!any)
		return;
	bool *dm = arena_alloc(a, sizeof(bool) * (size_t)(s->memlets.len + 1));
	bool *dn = arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1));
	for (int i = 0; i < s->nodes.len; i++)
		dn[i] = pass_is_access_of(s, i, x);
	for (int i = 0; i < s->memlets.len; i++) {
		dn[s->memlets.data[i].src] = false;
		dn[s->memlets.data[i].dst] = false;
	}
	pass_state_remove(ctx, s, dn, dm);
}

/* A top-level map entry of s with column reads of x, or -1. */
static int
reading_map(Arena *a, const IrState *s, const char *x)
{
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_MAP_ENTRY && ir_state_scope_of(s, i) < 0 &&
		    count_column_reads(a, s, i, x) > 0)
			return i;
	return -1;
}

/* Redirects every column read of x in the states of l to xt. */
static void
redirect_list(Ctx *ctx, const IrProgram *p, IrBlockList *l, const IrContainer *x,
	      const char *xt)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		if (b->kind == CF_STATE) {
			for (int e; (e = reading_map(ctx->arena, b->state, x->name)) >= 0;)
				redirect_map(ctx, b->state, e, x->name, x->shape[0], x->shape[1], xt);
			redirect_vectors(ctx, p, b->state, x->name, xt);
		} else if (b->kind == CF_FOR)
			redirect_list(ctx, p, &b->loop.body, x, xt);
		else if (b->kind == CF_WHILE)
			redirect_list(ctx, p, &b->wloop.body, x, xt);
		else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n; k++)
				redirect_list(ctx, p, &b->branch.bodies[k], x, xt);
			redirect_list(ctx, p, &b->branch.orelse, x, xt);
		}
	}
}

/* Inserts block b at position i of l. */
static void
block_insert(Arena *a, IrBlockList *l, int i, IrBlock *b)
{
	vec_push(a, l, b);
	memmove(&l->data[i + 1], &l->data[i], sizeof(IrBlock *) * (size_t)(l->len - 1 - i));
	l->data[i] = b;
}

static void
tc_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Site S;
	if (tc_analyse(ctx, site, params, &S))
		ICE("transposed-copy applied where its check refuses");
	IrProgram *p = site->p;
	IrContainer x = *S.x;
	const char *base = x.name;
	while (*base == '_')
		base++;
	const char *xt = pass_fresh_name(ctx, p,
					 arena_printf(ctx->arena, "%s_T", *base ? base : "x"));
	Sym *shape[2] = { x.shape[1], x.shape[0] };
	ir_program_add_container(ctx, p, xt, x.dtype, 2, shape, ROLE_TRANSIENT, x.loc);
	Frame f = S.chain.data[S.at];
	IrBlock *loop = f.list->data[f.index];
	redirect_list(ctx, p, &loop->loop.body, &x, xt);
	IrState *cs = copy_state(ctx, p, &x, xt, loop);
	block_insert(ctx->arena, f.list, f.index, ir_block_state(ctx, cs));
}

/* ---- matcher ---- */

typedef struct Match {
	Ctx *ctx;
	IrProgram *p;
	XSiteList *out;
} Match;

/* Has memlet i of s a container that an earlier memlet of the same
 * column-read kind in map e already named? */
static bool
seen_before(Arena *a, const IrState *s, int e, int i)
{
	for (int j = 0; j < i; j++)
		if (pass_streq(s->memlets.data[j].data, s->memlets.data[i].data) &&
		    column_read(a, s, &s->memlets.data[j], e, s->memlets.data[j].data))
			return true;
	return false;
}

static void
match_state(IrState *s, IrBlock *b, void *ud)
{
	(void)b;
	Match *M = ud;
	Arena *a = M->ctx->arena;
	for (int e = 0; e < s->nodes.len; e++) {
		const IrNode *n = &s->nodes.data[e];
		if (n->kind != IRN_MAP_ENTRY || !n->label || ir_state_scope_of(s, e) >= 0)
			continue;
		for (int i = 0; i < s->memlets.len; i++) {
			const IrMemlet *m = &s->memlets.data[i];
			if (!m->data || !column_read(a, s, m, e, m->data) || seen_before(a, s, e, i))
				continue;
			XParam *q = arena_alloc(a, sizeof(XParam));
			*q = (XParam){ .key = "array", .nint = -1, .str = m->data, .loc = m->loc };
			XSite site = { M->p, 1, { n->label }, { 1, q } };
			if (!tc_check(M->ctx, &site, &site.params))
				vec_push(a, M->out, site);
		}
	}
}

static void
tc_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, out };
	pass_foreach_state(p, match_state, &M);
}

static const char *const tc_params[] = { "array", NULL };

const Xform xform_transposed_copy = {
	.name = "transposed-copy",
	.desc = "copies a 2-D array that a loop nest reads down its columns, in the innermost "
		"map parameter, once, transposed, before the nest; those reads then walk rows",
	.nsites = 1,
	.params = tc_params,
	.match = tc_match,
	.check = tc_check,
	.apply = tc_apply,
};
