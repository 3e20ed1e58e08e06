/* codegen/openmp/state.c — dataflow states as C: tasklets and maps.
 *
 * A state's top-level nodes are emitted in topological order; a map entry
 * emits its loop nest and then the nodes of its scope (nested entries
 * recurse); access nodes and map exits emit nothing. Tasklets read their
 * inputs from the memlets arriving on their connectors and write their
 * output through every memlet leaving them, with the memlet's WCR.
 *
 * Schedules. A cpu_parallel (or gpu/mpi) map that is not inside an emitted
 * parallel region becomes `#pragma omp parallel for schedule(static)` over
 * its leading params (collapse(k) while the ranges of inner params do not
 * depend on outer ones), with an `if(parallel: WORK > DFCRT_PAR_MIN_WORK)`
 * clause when its work (the iterations of the map and of the maps nested
 * in it) can be counted, so that small maps do not fork (if_clause);
 * everything else is a plain loop. With `parallel`
 * false no pragma is emitted at all. The innermost loop of a map that
 * carries the vectorize hint (map.simd, set by passes/vectorize.c) and
 * whose body is only tasklets gets `#pragma omp simd` (simdlen(N) for a
 * hint N > 1; then the parallel loop covers the params before it). With
 * WCR writes the hint is honoured on a one-parameter map emitted as an
 * omp loop without private copies (`parallel for simd` with its
 * reduction clauses), and on a parallel map of more params whose WCR
 * writes each go to one element per run of the innermost loop (a row
 * sum): a local accumulator (dfcrow_*) starts from that element (or its
 * private copy) before the loop, takes the writes under the simd loop's
 * reduction clause, and is stored back after it; or, when its WCR writes
 * to a container each go to one element per iteration of the innermost
 * loop, claiming its param (a column sum, lane_use), the writes stay in
 * the simd loop as they are: the omp loop covers the params before it, so
 * each thread adds whole rows into its private copy (dfcpriv_*, below)
 * or its own elements. Elsewhere it is dropped.
 *
 * Race freedom of WCR writes in a parallel map. The WCR writes to a
 * container *claim* a parallel param p when one index is, in all of them,
 * the same single element c*p + r with c != 0 and r free of every variable
 * that varies inside the parallel region (params of the map and of maps
 * nested in it): then iterations with different p update different
 * elements. The parallel loop covers the longest prefix of params that
 * the WCR writes to every container claim. When even the first param is
 * not claimed, the conflicting containers are privatized: a 0-d one, or
 * an array updated at one element that is the same in every iteration,
 * into an accumulator with an OpenMP reduction clause (NaN-propagating
 * `declare reduction`s for float min/max); any other array into a
 * per-thread copy filled with the identity (dfcrt_alloc'ed, so never on a
 * thread's stack) and combined under `omp critical`. A container that is
 * also read or plainly written in the map cannot be privatized: the map
 * then runs sequentially, with a comment saying why; except a 0-d one
 * that every iteration writes afresh before it reads or accumulates into
 * it (fresh_scalar): it is private to the iteration, and its WCR writes
 * conflict with no other iteration's.
 * 0-d locals written inside a parallel or simd loop are lastprivate. A
 * nested (or sequential) map with the vectorize hint accumulates its WCR
 * writes in row accumulators too, one parameter or more.
 *
 * --instrument: a state becomes a block timed as a whole, and each map at
 * its top is timed around its parallel region, from the calling thread.
 */
#include <string.h>

#include "emit.h"

/* ---- tasklets ---- */

static bool
in_names(const OmpNames *v, const char *s)
{
	for (int i = 0; i < v->len; i++)
		if (strcmp(v->data[i], s) == 0)
			return true;
	return false;
}

/* "dfc_<conn>" made a C identifier and distinct from the names in taken.
 * Tasklet locals are the only generated names that start with "dfc_" next
 * to user code (accumulators are dfcacc_*, private copies dfcpriv_*), so
 * they never shadow anything a tasklet needs. */
static const char *
local_name(OmpEmit *E, const char *conn, OmpNames *taken)
{
	char *s = arena_printf(E->a, "dfc_%s", conn);
	for (char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			*p = '_';
	while (in_names(taken, s))
		s = arena_printf(E->a, "%s_", s);
	vec_push(E->a, taken, s);
	return s;
}

static const IrMemlet *
input_memlet(const IrState *st, int node, const char *conn)
{
	for (int i = 0; i < st->memlets.len; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		if (m->dst == node && m->data && m->dst_conn && strcmp(m->dst_conn, conn) == 0)
			return m;
	}
	return NULL;
}

static const OmpRedirect *
redirect_of(OmpEmit *E, const char *data)
{
	for (int i = E->redirects.len - 1; i >= 0; i--)
		if (strcmp(E->redirects.data[i].data, data) == 0)
			return &E->redirects.data[i];
	return NULL;
}

static const char **range_extents(OmpEmit *E, const Subset *s);

/* The C lvalue of the first element of subset sub of c that a WCR write
 * updates, through the innermost redirect of c; off (NULL if none) is
 * added to the index. NULL when c is not redirected. */
static const char *
wcr_lvalue(OmpEmit *E, const IrContainer *c, const Subset *sub, const char *off)
{
	const OmpRedirect *r = redirect_of(E, c->name);
	if (r && r->scalar)
		return r->var;
	if (r)
		return arena_printf(E->a, "%s[%s%s%s]", r->var,
				    cg_omp_sym(E, cg_omp_linear(E, c, sub)), off ? " + " : "",
				    off ? off : "");
	return NULL;
}

/* Stores val (of dtype t) through memlet m: into the first element of
 * its subset, or at the tasklet's output index (t->nout_index > 0). */
static void
write_memlet(OmpEmit *E, const IrNode *t, const IrMemlet *m, const OmpInputs *in, const char *val)
{
	const IrContainer *c = cg_omp_container(E, m->data);
	const char *lhs = NULL;
	char *off = NULL;
	if (t->tasklet.nout_index > 0)
		off = cg_omp_offset(E, t->tasklet.nout_index, t->tasklet.out_index,
				    cg_omp_strides(E, c, &m->subset), in);
	if (m->wcr != WCR_NONE)
		lhs = wcr_lvalue(E, c, &m->subset, off);
	for (int i = 0; i < E->streams.len && !lhs; i++)
		if (E->streams.data[i].m == m)
			lhs = arena_printf(E->a, "%s[%s - dfcnt_b]", E->streams.data[i].buf,
					   E->stream_var);
	if (!lhs && off)
		lhs = arena_printf(E->a, "%s[%s + %s]", cg_omp_cname(E, c->name),
				   cg_omp_sym(E, cg_omp_linear(E, c, &m->subset)), off);
	else if (!lhs)
		lhs = cg_omp_ref(E, c, &m->subset);
	if (m->wcr != WCR_NONE)
		cg_omp_mark_read(E, c->name);
	else
		cg_omp_mark_used(E, c->name);
	val = cg_omp_strip(E, cg_omp_convert(E, val, t->tasklet.out.dtype, c->dtype));
	if (off && E->ctx->opt.boundscheck)
		cg_omp_line(E, "if (%s)", cg_omp_index_guard(E, t->tasklet.nout_index,
				t->tasklet.out_index, range_extents(E, &m->subset), in));
	cg_omp_line(E, "%s%s", off && E->ctx->opt.boundscheck ? "\t" : "",
		    cg_omp_update(E, lhs, m->wcr, c->dtype, val));
}

/* The C text of the number of elements of each dimension of s. */
static const char **
range_extents(OmpEmit *E, const Subset *s)
{
	const char **ext = arena_alloc(E->a, sizeof(char *) * (size_t)(s->ndim + 1));
	for (int d = 0; d < s->ndim; d++) {
		const SymRange *r = &s->r[d];
		Sym *span = sym_add(E->a, sym_sub(E->a, r->end, r->begin), sym_addc(E->a, r->step, -1));
		ext[d] = cg_omp_sym(E, sym_floordiv(E->a, span, r->step));
	}
	return ext;
}

/* The local that hoist_open loaded element subset of data into, or NULL. */
static const char *
hoisted(const OmpEmit *E, const char *data, const Subset *subset)
{
	for (int i = E->hoists.len - 1; i >= 0; i--)
		if (strcmp(E->hoists.data[i].data, data) == 0 &&
		    subset_equal(E->hoists.data[i].subset, subset))
			return E->hoists.data[i].var;
	return NULL;
}

/* Declares the local of input connector cn (memlet m): its value, or for
 * a range (read by EX_LOADs) a pointer to its first element. */
static void
declare_input(OmpEmit *E, const IrNode *n, const IrConn *cn, const IrMemlet *m,
	      OmpInputs *in, OmpNames *taken)
{
	const IrContainer *c = cg_omp_container(E, m->data);
	cg_omp_mark_read(E, c->name);
	in->conn[in->n] = cn->name;
	in->text[in->n] = local_name(E, cn->name, taken);
	in->stride[in->n] = NULL;
	if (ir_expr_loads(n->tasklet.expr, cn->name)) {
		in->stride[in->n] = cg_omp_strides(E, c, &m->subset);
		in->extent[in->n] = range_extents(E, &m->subset);
		cg_omp_line(E, "const %s *%s = &%s;", dtype_ctype(c->dtype), in->text[in->n],
			    cg_omp_ref(E, c, &m->subset));
	} else {
		const char *ref = hoisted(E, c->name, &m->subset);
		const char *v = cg_omp_convert(E, ref ? ref : cg_omp_ref(E, c, &m->subset),
					       c->dtype, cn->dtype);
		cg_omp_line(E, "const %s %s = %s;", dtype_ctype(cn->dtype), in->text[in->n],
			    cg_omp_strip(E, v));
	}
	in->n++;
}

/* Does the tasklet read connector conn (in its expression or its output
 * index)? */
static bool
tasklet_reads(const IrNode *n, const char *conn)
{
	if (ir_expr_reads(n->tasklet.expr, conn))
		return true;
	for (int i = 0; i < n->tasklet.nout_index; i++)
		if (ir_expr_reads(n->tasklet.out_index[i], conn))
			return true;
	return false;
}

/* ---- logic on bools in vectorized maps ----
 *
 * In the tasklets of a map carrying the vectorize hint, and/or (and &, |)
 * of bools are computed on bytes: or(in:a, and(in:b, in:c)) is printed as
 * cast<bool>(bitor(cast<uint8>(in:a), bitand(cast<uint8>(in:b),
 * cast<uint8>(in:c)))), the same 0/1 values. C's && and || branch, which
 * keeps the loop scalar (gcc 12 leaves `a || (b && c)` over bool loads
 * unvectorized), whereas & and | on bytes vectorize. Both operands are
 * evaluated, which is safe there: passes/vectorize.c's rules leave no
 * indirect loads, calls or anything that traps in such a body.
 */

/* Is e an and/or of two bools (logical or bitwise)? */
static bool
bool_logic(const IrExpr *e)
{
	return e->kind == EX_OP && e->dtype == DT_BOOL && e->n == 2 &&
	       (e->op == OP_AND || e->op == OP_OR || e->op == OP_BITAND || e->op == OP_BITOR) &&
	       e->args[0]->dtype == DT_BOOL && e->args[1]->dtype == DT_BOOL;
}

static IrExpr *bytes_logic(Arena *a, IrExpr *e);

/* The uint8 (0 or 1) expression equal to bool e, a chain of and/or kept
 * in bytes. */
static IrExpr *
as_byte(Arena *a, IrExpr *e)
{
	if (!bool_logic(e))
		return ir_expr_cast(a, DT_UINT8, bytes_logic(a, e));
	IrOp op = e->op == OP_AND || e->op == OP_BITAND ? OP_BITAND : OP_BITOR;
	return ir_expr_op2(a, op, as_byte(a, e->args[0]), as_byte(a, e->args[1]));
}

/* e with every and/or of bools computed on bytes (a new tree; e is
 * left as it is, since trees may be shared). */
static IrExpr *
bytes_logic(Arena *a, IrExpr *e)
{
	if (bool_logic(e))
		return ir_expr_cast(a, DT_BOOL, as_byte(a, e));
	if (e->n == 0)
		return e;
	IrExpr **args = arena_alloc(a, sizeof *args * (size_t)e->n);
	bool same = true;
	for (int i = 0; i < e->n; i++) {
		args[i] = bytes_logic(a, e->args[i]);
		same = same && args[i] == e->args[i];
	}
	if (same)
		return e;
	IrExpr *c = arena_alloc(a, sizeof *c);
	*c = *e;
	c->args = args;
	return c;
}

/* The expression of tasklet id as it is printed: with bytes_logic in
 * the scope of a map carrying the vectorize hint. */
static const IrExpr *
tasklet_expr(OmpEmit *E, int id)
{
	IrExpr *e = E->st->nodes.data[id].tasklet.expr;
	int m = E->scope[id];
	if (m < 0 || E->st->nodes.data[m].map.simd == 0)
		return e;
	return bytes_logic(E->a, e);
}

static void
emit_tasklet(OmpEmit *E, int id)
{
	const IrNode *n = &E->st->nodes.data[id];
	const IrState *st = E->st;
	int nout = 0;
	for (int i = 0; i < st->memlets.len; i++)
		nout += st->memlets.data[i].src == id && st->memlets.data[i].data;
	if (nout == 0)
		return;
	OmpNames taken = {0};
	OmpInputs in = { 0 };
	in.conn = arena_alloc(E->a, sizeof(char *) * (size_t)(n->tasklet.nin + 1));
	in.text = arena_alloc(E->a, sizeof(char *) * (size_t)(n->tasklet.nin + 1));
	bool braces = !E->bare;
	E->bare = false;
	if (braces) {
		cg_omp_line(E, "{");
		E->indent++;
	}
	in.stride = arena_alloc(E->a, sizeof(char **) * (size_t)(n->tasklet.nin + 1));
	in.extent = arena_alloc(E->a, sizeof(char **) * (size_t)(n->tasklet.nin + 1));
	E->loc = n->loc;
	for (int i = 0; i < n->tasklet.nin; i++) {
		const IrConn *cn = &n->tasklet.in[i];
		if (!tasklet_reads(n, cn->name))
			continue;
		const IrMemlet *m = input_memlet(st, id, cn->name);
		if (!m)
			ICE("tasklet input '%s' has no memlet (verify first)", cn->name);
		declare_input(E, n, cn, m, &in, &taken);
	}
	const IrConn *out = &n->tasklet.out;
	const char *o = local_name(E, out->name ? out->name : "out", &taken);
	char *val = cg_omp_convert(E, cg_omp_expr(E, tasklet_expr(E, id), &in),
				   n->tasklet.expr->dtype, out->dtype);
	cg_omp_line(E, "const %s %s = %s;", dtype_ctype(out->dtype), o, cg_omp_strip(E, val));
	for (int i = 0; i < st->memlets.len; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		if (m->src == id && m->data)
			write_memlet(E, n, m, &in, o);
	}
	if (braces) {
		E->indent--;
		cg_omp_line(E, "}");
	}
}

/* ---- unroll-and-jam (map.unroll) ---- */

/* The tasklet of an unrolled map's body as emit_unrolled takes it: plain
 * stores of one element, no indexed loads, the unrolled (first) param
 * of its map in indices only. */
static bool
unrollable_tasklet(OmpEmit *E, int id)
{
	const IrNode *n = &E->st->nodes.data[id];
	const IrNode *map = &E->st->nodes.data[E->scope[id]];
	if (n->tasklet.nout_index > 0 || ir_expr_uses_sym(n->tasklet.expr, map->map.params[0]))
		return false;
	for (int i = 0; i < n->tasklet.nin; i++)
		if (ir_expr_loads(n->tasklet.expr, n->tasklet.in[i].name))
			return false;
	for (int i = 0; i < E->st->memlets.len; i++) {
		const IrMemlet *m = &E->st->memlets.data[i];
		if (m->src == id && m->data && m->wcr != WCR_NONE)
			return false;
	}
	return true;
}

/* The common subexpressions of U copies of one tasklet, by value number:
 * a subtree's number stands for its operator (or conversion), dtype and
 * operands' numbers, an input's for the local its element was loaded
 * into, so equal numbers are equal values. */
typedef struct Unroll {
	StrIds ids;
	VEC(int) count;        /* per number: shareable subtrees of all copies */
	VEC(const char *) var; /* per number: the local holding it, once declared */
	OmpInputs in;          /* the copy's inputs, then every shared local */
	OmpNames *taken;
	int nshared;           /* locals declared for shared subtrees */
} Unroll;

/* May subtree e be shared between copies? Arithmetic of real numbers only:
 * bool subtrees change form inside simd loops (bytes_logic) and complex
 * ones go through helpers. */
static bool
shareable(const IrExpr *e)
{
	return e->kind == EX_OP && (dtype_is_float(e->dtype) || dtype_is_int(e->dtype));
}

static int
expr_nodes(const IrExpr *e)
{
	int k = 1;
	for (int i = 0; i < e->n; i++)
		k += expr_nodes(e->args[i]);
	return k;
}

/* The local (C text) of input connector conn in the current copy. */
static const char *
unroll_input(const Unroll *U, const char *conn)
{
	for (int i = 0; i < U->in.n; i++)
		if (strcmp(U->in.conn[i], conn) == 0)
			return U->in.text[i];
	ICE("tasklet input '%s' has no local", conn);
}

/* Numbers e in the current copy (U->in); with share, returns e with
 * every subtree whose number more than one shareable subtree of the
 * copies has replaced by the local that holds it (declared here, at its
 * first use), else counts e's shareable subtrees and returns e. *id gets
 * e's number. */
static const IrExpr *
unroll_visit(OmpEmit *E, Unroll *U, const IrExpr *e, bool share, int *id)
{
	if (e->n == 0) {
		const char *k = e->kind == EX_IN ? arena_printf(E->a, "v:%s", unroll_input(U, e->name))
						 : ir_expr_print(E->a, e);
		*id = strids_get(E->a, &U->ids, k, NULL);
		return e;
	}
	IrExpr *c = arena_alloc(E->a, sizeof *c);
	*c = *e;
	c->args = arena_alloc(E->a, sizeof(IrExpr *) * (size_t)e->n);
	int *ids = arena_alloc(E->a, sizeof(int) * (size_t)e->n);
	for (int i = 0; i < e->n; i++)
		c->args[i] = (IrExpr *)unroll_visit(E, U, e->args[i], share, &ids[i]);
	*id = strids_get(E->a, &U->ids, ir_expr_vn_key(E->a, e, ids), NULL);
	while (U->count.len <= *id) {
		vec_push(E->a, &U->count, 0);
		vec_push(E->a, &U->var, NULL);
	}
	if (!shareable(e))
		return c;
	if (!share) {
		U->count.data[*id]++;
		return e;
	}
	if (U->count.data[*id] < 2)
		return c;
	if (!U->var.data[*id]) {
		const char *v = local_name(E, arena_printf(E->a, "s%d", U->nshared++), U->taken);
		cg_omp_line(E, "const %s %s = %s;", dtype_ctype(e->dtype), v,
			    cg_omp_strip(E, cg_omp_expr(E, c, &U->in)));
		U->var.data[*id] = v;
		U->in.conn[U->in.n] = v;
		U->in.text[U->in.n] = v;
		U->in.stride[U->in.n] = NULL;
		U->in.n++;
	}
	return ir_expr_in(E->a, e->dtype, U->var.data[*id]);
}

/* Copy u's inputs: the connectors of tasklet n at p + u, each element
 * loaded once over all copies (the C text of each converted element and
 * its local kept in lkey and lvar). The shared locals declared so far
 * follow them in U->in. */
static void
unroll_inputs(OmpEmit *E, Unroll *U, int id, const char *p, int u, StrIds *lkey,
	      OmpNames *lvar)
{
	const IrNode *n = &E->st->nodes.data[id];
	Sym *at = sym_addc(E->a, sym_var(E->a, p), u);
	U->in.n = 0;
	for (int i = 0; i < n->tasklet.nin; i++) {
		const IrConn *cn = &n->tasklet.in[i];
		if (!tasklet_reads(n, cn->name))
			continue;
		const IrMemlet *m = input_memlet(E->st, id, cn->name);
		if (!m)
			ICE("tasklet input '%s' has no memlet (verify first)", cn->name);
		const IrContainer *c = cg_omp_container(E, m->data);
		Subset sub = subset_subst(E->a, &m->subset, p, at);
		cg_omp_mark_read(E, c->name);
		const char *v = cg_omp_strip(E, cg_omp_convert(E, cg_omp_ref(E, c, &sub), c->dtype,
						cn->dtype));
		bool fresh;
		int j = strids_get(E->a, lkey, arena_printf(E->a, "%s %s", dtype_ctype(cn->dtype), v),
				   &fresh);
		if (fresh) {
			const char *name = local_name(E, arena_printf(E->a, "%s_%d", cn->name, u),
						      U->taken);
			cg_omp_line(E, "const %s %s = %s;", dtype_ctype(cn->dtype), name, v);
			vec_push(E->a, lvar, name);
		}
		U->in.conn[U->in.n] = cn->name;
		U->in.text[U->in.n] = lvar->data[j];
		U->in.stride[U->in.n] = NULL;
		U->in.n++;
	}
	for (int k = 0; k < U->var.len; k++)
		if (U->var.data[k]) {
			U->in.conn[U->in.n] = U->var.data[k];
			U->in.text[U->in.n] = U->var.data[k];
			U->in.stride[U->in.n] = NULL;
			U->in.n++;
		}
}

/* The body of an unrolled map: tasklet id for p, p + 1, ..., p + nu - 1
 * (p the map's first param), each element read once and each subtree
 * that two copies share computed once: a stencil over rows p + k that
 * otf-map-fusion recomputes in every iteration computes each row's value
 * once per nu rows. The values and their order of evaluation are those
 * of the copies emitted apart. */
static void
emit_unrolled(OmpEmit *E, int id, const char *p, int nu)
{
	const IrNode *n = &E->st->nodes.data[id];
	const IrState *st = E->st;
	OmpNames taken = {0}, lvar = {0};
	StrIds lkey = {0};
	Unroll U = { .taken = &taken };
	int cap = n->tasklet.nin + nu * (expr_nodes(n->tasklet.expr) + 1) + 1;
	U.in.conn = arena_alloc(E->a, sizeof(char *) * (size_t)cap);
	U.in.text = arena_alloc(E->a, sizeof(char *) * (size_t)cap);
	U.in.stride = arena_alloc(E->a, sizeof(char **) * (size_t)cap);
	U.in.extent = arena_alloc(E->a, sizeof(char **) * (size_t)cap);
	const IrExpr *expr = tasklet_expr(E, id);
	int root;
	E->loc = n->loc;
	/* counting: every copy's inputs first, so their loads come first */
	for (int u = 0; u < nu; u++) {
		unroll_inputs(E, &U, id, p, u, &lkey, &lvar);
		unroll_visit(E, &U, expr, false, &root);
	}
	for (int u = 0; u < nu; u++) {
		unroll_inputs(E, &U, id, p, u, &lkey, &lvar);
		const IrExpr *e = unroll_visit(E, &U, expr, true, &root);
		const char *o = local_name(E, arena_printf(E->a, "%s_%d", n->tasklet.out.name ?
						     n->tasklet.out.name : "out", u), &taken);
		char *val = cg_omp_convert(E, cg_omp_expr(E, e, &U.in), expr->dtype,
					   n->tasklet.out.dtype);
		cg_omp_line(E, "const %s %s = %s;", dtype_ctype(n->tasklet.out.dtype), o,
			    cg_omp_strip(E, val));
		Sym *at = sym_addc(E->a, sym_var(E->a, p), u);
		for (int i = 0; i < st->memlets.len; i++) {
			IrMemlet m = st->memlets.data[i];
			if (m.src != id || !m.data)
				continue;
			m.subset = subset_subst(E->a, &m.subset, p, at);
			write_memlet(E, n, &m, &U.in, o);
		}
	}
}

/* ---- map planning ---- */

/* How the scope of a parallel map uses one container. */
typedef struct Use {
	const IrContainer *c;
	bool read, plain_write, lib_wcr;
	Wcr wcr;              /* op of its WCR writes; WCR_COUNT when mixed */
	const Subset *elem;   /* the subset of its first WCR write */
	bool one_elem;        /* every WCR write has that subset */
	bool priv;            /* privatized */
	bool scalar;          /* ... into an accumulator for *elem, else into an
				 array copy */
	const char *var;      /* accumulator or private copy */
} Use;

typedef struct MapPlan {
	const IrNode *n;
	int entry;
	bool *members;        /* transitive scope */
	OmpNames inner;       /* params of this map and of maps nested in it */
	VEC(Use) uses;
	VEC(const IrMemlet *) wcrs;   /* WCR writes of tasklets in the scope */
	int rect;             /* leading params with mutually independent ranges */
	bool simd;            /* simd on the innermost loop */
	bool par;             /* emitted as an omp loop */
	int collapse;         /* params covered by the omp loop */
	const char *why;      /* why a parallel map runs sequentially */
	bool indexed;         /* some tasklet of the scope writes at an output index */
	int nscalar, narray;  /* privatized containers */
	int unroll;           /* map.unroll where emit_unrolled_map emits it */
	int part;             /* 0: a plain nest; 1: U iterations of the first
				 param per step; 2: the iterations after those */
	OmpStreams streams;   /* outputs it may stream (stream_ok) */
	bool stream;          /* the nest being emitted streams them */
} MapPlan;

static Use *
use_of(OmpEmit *E, MapPlan *P, const char *data)
{
	for (int i = 0; i < P->uses.len; i++)
		if (strcmp(P->uses.data[i].c->name, data) == 0)
			return &P->uses.data[i];
	Use u = { .c = cg_omp_container(E, data), .wcr = WCR_NONE };
	vec_push(E->a, &P->uses, u);
	return &P->uses.data[P->uses.len - 1];
}

static void
note_write(OmpEmit *E, MapPlan *P, const IrMemlet *m, const IrNode *src)
{
	bool lib = src->kind == IRN_LIBRARY;
	bool indexed = src->kind == IRN_TASKLET && src->tasklet.nout_index > 0;
	Use *u = use_of(E, P, m->data);
	if (m->wcr == WCR_NONE) {
		u->plain_write = true;
		if (indexed && !P->why)
			P->why = arena_printf(E->a, "'%s' is written at data-dependent indices, "
					      "which may repeat", u->c->name);
		return;
	}
	P->indexed = P->indexed || indexed;
	if (lib)
		u->lib_wcr = true;
	else
		vec_push(E->a, &P->wcrs, m);
	if (!u->elem) {
		u->elem = &m->subset;
		u->one_elem = true;
	} else {
		u->one_elem = u->one_elem && subset_equal(u->elem, &m->subset);
	}
	u->one_elem = u->one_elem && !indexed;
	u->wcr = u->wcr == WCR_NONE || u->wcr == m->wcr ? m->wcr : WCR_COUNT;
}

/* Fills inner, uses and wcrs from the nodes of the scope. */
static void
plan_collect(OmpEmit *E, MapPlan *P)
{
	const IrState *st = E->st;
	for (int k = 0; k < P->n->map.nparams; k++)
		vec_push(E->a, &P->inner, P->n->map.params[k]);
	for (int i = 0; i < st->nodes.len; i++) {
		const IrNode *x = &st->nodes.data[i];
		if (P->members[i] && x->kind == IRN_MAP_ENTRY)
			for (int k = 0; k < x->map.nparams; k++)
				vec_push(E->a, &P->inner, x->map.params[k]);
	}
	for (int i = 0; i < st->memlets.len; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		if (!m->data)
			continue;
		const IrNode *src = &st->nodes.data[m->src], *dst = &st->nodes.data[m->dst];
		bool src_in = P->members[m->src], dst_in = P->members[m->dst];
		if (dst_in && (dst->kind == IRN_TASKLET || dst->kind == IRN_LIBRARY))
			use_of(E, P, m->data)->read = true;
		if (src_in && (src->kind == IRN_TASKLET || src->kind == IRN_LIBRARY))
			note_write(E, P, m, src);
	}
}

/* Does s mention one of the names? */
bool
cg_omp_depends_on_any(const Sym *s, const OmpNames *names)
{
	return sym_depends_on_any(s, names->data, names->len);
}

/* Is u updated at one element only, the same in every iteration? Then an
 * accumulator privatizes it (a reduction clause) instead of a copy. */
static bool
invariant_elem(OmpEmit *E, const MapPlan *P, const Use *u)
{
	if (!u->one_elem)
		return false;
	for (int d = 0; d < u->elem->ndim; d++) {
		const SymRange *r = &u->elem->r[d];
		if (!sym_equal(r->end, sym_addc(E->a, r->begin, 1)) ||
		    cg_omp_depends_on_any(r->begin, &P->inner))
			return false;
	}
	return true;
}

/* Is index d of every WCR write to u one and the same single element
 * c*p + r, with c != 0 and r free of the scope's inner variables? */
static bool
dim_claims(OmpEmit *E, const MapPlan *P, const Use *u, int d, const char *p)
{
	const Sym *idx = NULL;
	for (int i = 0; i < P->wcrs.len; i++) {
		const IrMemlet *m = P->wcrs.data[i];
		if (strcmp(m->data, u->c->name) != 0)
			continue;
		const SymRange *r = &m->subset.r[d];
		if (!sym_equal(r->end, sym_addc(E->a, r->begin, 1)) ||
		    (idx && !sym_equal(idx, r->begin)))
			return false;
		idx = r->begin;
	}
	int64_t coef;
	if (!idx || !sym_coef_of(idx, p, &coef) || coef == 0)
		return false;
	Sym *rest = sym_sub(E->a, (Sym *)idx,
			    sym_mul(E->a, sym_const(E->a, coef), sym_var(E->a, p)));
	return !cg_omp_depends_on_any(rest, &P->inner);
}

/* Do the WCR writes to u claim each of the first c params? Then
 * iterations that differ in those params update different elements. */
static bool
use_claims(OmpEmit *E, const MapPlan *P, const Use *u, int c)
{
	if (u->lib_wcr)
		return false;
	for (int k = 0; k < c; k++) {
		bool claimed = false;
		for (int d = 0; d < u->c->ndim && !claimed; d++)
			claimed = dim_claims(E, P, u, d, P->n->map.params[k]);
		if (!claimed)
			return false;
	}
	return true;
}

/* Leading params whose ranges do not depend on earlier params (>= 1). */
static int
rect_prefix(const IrNode *n)
{
	int c = 1;
	for (; c < n->map.nparams; c++) {
		const SymRange *r = &n->map.ranges[c];
		for (int k = 0; k < c; k++) {
			const char *p = n->map.params[k];
			if (sym_depends_on(r->begin, p) || sym_depends_on(r->end, p) ||
			    sym_depends_on(r->step, p))
				return c;
		}
	}
	return c;
}

/* The map's body is only tasklets (and access nodes) that neither gather
 * (EX_LOAD) nor write at computed indices. */
static bool
plain_body(OmpEmit *E, const MapPlan *P)
{
	const IrState *st = E->st;
	int ntasklets = 0;
	for (int i = 0; i < st->nodes.len; i++) {
		if (!P->members[i])
			continue;
		const IrNode *x = &st->nodes.data[i];
		if (x->kind != IRN_ACCESS && x->kind != IRN_TASKLET)
			return false;
		if (x->kind == IRN_TASKLET && (ir_expr_has_load(x->tasklet.expr) ||
					       x->tasklet.nout_index > 0))
			return false;
		ntasklets += x->kind == IRN_TASKLET;
	}
	return ntasklets > 0;
}

/* Is u, reduced into in a map of k >= 2 params, updated at one element
 * per iteration of the innermost loop (a column sum: out[j] += A[i, j]
 * over j), each index of it c*last + r with c != 0 claiming the last
 * param? Then the simd lanes update distinct elements and the writes
 * stay in the loop, with no accumulator and no clause. */
static bool
lane_use(OmpEmit *E, const MapPlan *P, const Use *u)
{
	int k = P->n->map.nparams;
	if (k < 2 || u->wcr == WCR_NONE || !u->one_elem)
		return false;
	for (int d = 0; d < u->c->ndim; d++)
		if (dim_claims(E, P, u, d, P->n->map.params[k - 1]))
			return true;
	return false;
}

/* Can each container that the scope of a map reduces into be
 * accumulated in a local across the innermost loop (in a map of k >= 2
 * params, or in one of any k whose nest is plain loops: a nested map; a row
 * accumulator: one element, one operator, not complex, neither read nor
 * overwritten in the scope, at an index free of the last param; a float32
 * sum's lanes regroup its additions as NumPy's pairwise sum does), or be
 * updated at one element per lane (lane_use)? */
static bool
row_accs_ok(OmpEmit *E, const MapPlan *P)
{
	int k = P->n->map.nparams;
	const char *last = k >= 1 ? P->n->map.params[k - 1] : NULL;
	for (int i = 0; last && i < P->uses.len; i++) {
		const Use *u = &P->uses.data[i];
		if (u->wcr == WCR_NONE)
			continue;
		if (u->wcr == WCR_COUNT || u->lib_wcr || u->read || u->plain_write ||
		    !u->one_elem || dtype_is_complex(u->c->dtype))
			return false;
		if (lane_use(E, P, u))
			continue;
		for (int d = 0; d < u->elem->ndim; d++)
			if (sym_depends_on(u->elem->r[d].begin, last) ||
			    sym_depends_on(u->elem->r[d].end, last))
				return false;
	}
	return last != NULL;
}

/* The map carries the vectorize hint and its body is plain; WCR writes
 * only in a one-parameter map or into row accumulators (plan_map checks
 * the rest). */
static bool
simd_ok(OmpEmit *E, const MapPlan *P)
{
	return P->n->map.simd > 0 && P->n->map.nparams > 0 && plain_body(E, P) &&
	       (P->wcrs.len == 0 || P->n->map.nparams == 1 || row_accs_ok(E, P));
}

/* A parallel map of k >= 2 params over a plain body, all of them in the
 * omp loop, without reductions, 0-d locals, or a vectorize hint: when its
 * leading k-1 params (of step 1) have iterations enough for the threads,
 * the omp loop covers only those and leaves the innermost loop whole to
 * the vectorizer (collapse(k) linearizes it, which no compiler vectorizes);
 * otherwise it stays collapse(k) (emit_map decides at run time). */
static char *lastprivate_clause(OmpEmit *E, const MapPlan *P);

static bool
split_ok(OmpEmit *E, const MapPlan *P)
{
	int k = P->n->map.nparams;
	if (!P->par || P->simd || k < 2 || P->collapse != k || P->wcrs.len > 0 ||
	    P->nscalar > 0 || P->narray > 0 || *lastprivate_clause(E, P) || !plain_body(E, P))
		return false;
	for (int d = 0; d < k - 1; d++) {
		int64_t step;
		if (!sym_is_const(P->n->map.ranges[d].step, &step) || step != 1)
			return false;
	}
	return true;
}

/* Is a tasklet the only node of the map's own scope (access nodes aside)? */
static bool
lone_tasklet(OmpEmit *E, int entry)
{
	int n = 0, tasklets = 0;
	for (int i = 0; i < E->st->nodes.len; i++) {
		if (E->scope[i] != entry || E->st->nodes.data[i].kind == IRN_ACCESS ||
		    E->st->nodes.data[i].kind == IRN_MAP_EXIT)
			continue;
		n++;
		tasklets += E->st->nodes.data[i].kind == IRN_TASKLET;
	}
	return n == 1 && tasklets == 1;
}

/* Does every iteration of the map write u afresh before it uses it: u is
 * 0-d, a tasklet at the map's own level writes it plainly without
 * reading it, and every node of the scope that reads it or accumulates
 * into it (or writes it in a nested map, which may run no iteration)
 * runs after such a write? Then u is private to the iteration
 * (lastprivate_clause), and WCR writes to it in maps nested in this one
 * (a sum that each iteration starts from zero: xcorr's `out[lag] =
 * np.sum(...)`) accumulate within their iteration, conflicting with no
 * other. */
static bool
fresh_scalar(OmpEmit *E, const MapPlan *P, const Use *u)
{
	if (u->c->ndim != 0 || u->c->role == ROLE_RETURN || !u->plain_write)
		return false;
	const IrState *st = E->st;
	int n = st->nodes.len;
	bool *writer = arena_alloc(E->a, sizeof(bool) * (size_t)n);
	bool *user = arena_alloc(E->a, sizeof(bool) * (size_t)n);
	for (int i = 0; i < n; i++)
		writer[i] = user[i] = false;
	for (int i = 0; i < st->memlets.len; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		if (!m->data || strcmp(m->data, u->c->name) != 0)
			continue;
		if (P->members[m->dst] && st->nodes.data[m->dst].kind != IRN_ACCESS &&
		    st->nodes.data[m->dst].kind != IRN_MAP_ENTRY)
			user[m->dst] = true;
		if (!P->members[m->src] || (st->nodes.data[m->src].kind != IRN_TASKLET &&
					     st->nodes.data[m->src].kind != IRN_LIBRARY))
			continue;
		if (m->wcr == WCR_NONE && E->scope[m->src] == P->entry &&
		    st->nodes.data[m->src].kind == IRN_TASKLET)
			writer[m->src] = true;
		else
			user[m->src] = true;
	}
	bool any = false;
	for (int i = 0; i < n; i++) {
		if (writer[i] && user[i])
			writer[i] = false;  /* it reads the value before it writes it */
		any = any || writer[i];
	}
	if (!any)
		return false;
	for (int t = 0; t < n; t++) {
		if (!user[t])
			continue;
		bool reached = false;
		for (int w = 0; w < n && !reached; w++)
			reached = writer[w] && ir_state_reaches(E->a, st, P->members, w, t);
		if (!reached)
			return false;
	}
	return true;
}

/* Privatizes every container some WCR write of which conflicts over the
 * first P->collapse params; false (P->why set) when one cannot be. A
 * 0-d container each iteration writes afresh needs no reduction: it is
 * private to the iteration (fresh_scalar). */
static bool
plan_privatize(OmpEmit *E, MapPlan *P)
{
	for (int i = 0; i < P->uses.len; i++) {
		Use *u = &P->uses.data[i];
		u->priv = u->wcr != WCR_NONE && !use_claims(E, P, u, P->collapse) &&
			  !fresh_scalar(E, P, u);
		if (!u->priv)
			continue;
		if (u->read || u->plain_write || u->lib_wcr || u->wcr == WCR_COUNT) {
			P->why = arena_printf(E->a, "the writes to '%s' conflict and it is %s here",
					      u->c->name, u->wcr == WCR_COUNT ? "reduced with several operators" :
					      u->lib_wcr ? "accumulated by a library node" :
					      u->read ? "also read" : "also overwritten");
			return false;
		}
		const char *cn = cg_omp_cname(E, u->c->name);
		if (u->c->ndim == 0 || invariant_elem(E, P, u)) {
			u->scalar = true;
			u->var = arena_printf(E->a, "dfcacc_%s", cn);
			P->nscalar++;
		} else {
			u->var = arena_printf(E->a, "dfcpriv_%s", cn);
			P->narray++;
		}
	}
	return true;
}

static void
plan_map(OmpEmit *E, int entry, MapPlan *P)
{
	const IrNode *n = &E->st->nodes.data[entry];
	*P = (MapPlan){ .n = n, .entry = entry };
	P->members = ir_state_scope_members(E->a, E->st, entry);
	plan_collect(E, P);
	P->rect = rect_prefix(n);
	P->simd = E->parallel && simd_ok(E, P);
	if (!E->parallel || E->in_parallel || n->map.schedule == SCHED_SEQUENTIAL ||
	    n->map.nparams == 0 || P->why) {
		/* a plain loop nest: its inner loop's reductions in locals */
		P->simd = P->simd && (P->wcrs.len == 0 || (!P->why && row_accs_ok(E, P)));
		return;
	}
	int k = n->map.nparams, cmax = P->rect;
	if (P->simd && k >= 2 && cmax > k - 1)
		cmax = k - 1;
	int cfree = 0;
	while (cfree < cmax) {
		bool ok = true;
		for (int i = 0; i < P->uses.len && ok; i++)
			ok = P->uses.data[i].wcr == WCR_NONE ||
			     use_claims(E, P, &P->uses.data[i], cfree + 1);
		if (!ok)
			break;
		cfree++;
	}
	P->collapse = cfree > 0 ? cfree : cmax;
	P->par = cfree > 0 || plan_privatize(E, P);
	if (P->wcrs.len > 0 && (!P->par || (P->narray > 0 && k == 1)))
		P->simd = false;
}

/* Before the innermost simd loop of a map of k >= 2 params with WCR
 * writes: one local accumulator per reduced container, starting from
 * the element's value (or its private copy's), which the loop's
 * reduction clause (appended to *clauses) combines; its WCR writes go
 * to the local. row_accs_close stores them back. */
static void
row_accs_open(OmpEmit *E, const MapPlan *P, StrBuf *clauses)
{
	for (int i = 0; i < P->uses.len; i++) {
		const Use *u = &P->uses.data[i];
		if (u->wcr == WCR_NONE || lane_use(E, P, u))
			continue;
		const char *lv = wcr_lvalue(E, u->c, u->elem, NULL);
		const char *var = arena_printf(E->a, "dfcrow_%s", cg_omp_cname(E, u->c->name));
		cg_omp_line(E, "%s %s = %s;", cg_omp_acc_ctype(u->c->dtype), var,
			    lv ? lv : cg_omp_ref(E, u->c, u->elem));
		sb_printf(clauses, " reduction(%s:%s)", cg_omp_red_op(E, u->wcr, u->c->dtype), var);
		vec_push(E->a, &E->redirects, ((OmpRedirect){ u->c->name, var, true }));
	}
}

static void
row_accs_close(OmpEmit *E, const MapPlan *P, int nredirects)
{
	E->redirects.len = nredirects;
	for (int i = 0; i < P->uses.len; i++) {
		const Use *u = &P->uses.data[i];
		if (u->wcr == WCR_NONE || lane_use(E, P, u))
			continue;
		const char *lv = wcr_lvalue(E, u->c, u->elem, NULL);
		cg_omp_line(E, "%s = dfcrow_%s;", lv ? lv : cg_omp_ref(E, u->c, u->elem),
			    cg_omp_cname(E, u->c->name));
	}
}

/* " simd" or " simd simdlen(N)": the words of the vectorize hint. */
static const char *
simd_words(OmpEmit *E, const MapPlan *P)
{
	if (P->n->map.simd > 1)
		return arena_printf(E->a, " simd simdlen(%d)", P->n->map.simd);
	return " simd";
}

/* ---- transients local to the iterations of a map ----
 *
 * A transient array of constant size whose every use lies in the scope of
 * one map (its access nodes directly in that scope, every memlet naming it
 * inside it, one state of the program, each access node that is read also
 * written there) holds values of one iteration only: iterations are
 * independent. It is declared as a local array at the top of the map's
 * loop body, so each iteration, and so each thread of a parallel map, has
 * its own (passes/map_tiling.c makes such buffers for `local: true`),
 * whatever its storage; emit.c neither allocates nor frees it.
 */

enum { LOCAL_STACK_MAX = 64 * 1024 };  /* bytes of one iteration-local array */

static bool
state_uses(const IrState *s, const char *data)
{
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_ACCESS &&
		    strcmp(s->nodes.data[i].access.data, data) == 0)
			return true;
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].data && strcmp(s->memlets.data[i].data, data) == 0)
			return true;
	return false;
}

/* The states that use a container: how many (up to 2), the last of them. */
typedef struct Using {
	const char *data;
	const IrState *st;
	int n;
} Using;

static void
note_using(IrState *s, IrBlock *b, void *ud)
{
	Using *u = ud;
	if (u->n < 2 && state_uses(s, u->data)) {
		u->st = s;
		u->n++;
	}
}

/* The map entry of st that c's access nodes lie directly in (one for
 * all), when every memlet naming c lies inside its scope and each access
 * node of c that is read is also written; else -1. */
static int
local_entry(Arena *a, const IrState *st, const char *data)
{
	int *scope = ir_state_scopes(a, st), entry = -1;
	bool *in = NULL, *written = arena_alloc(a, sizeof(bool) * (size_t)(st->nodes.len + 1));
	for (int i = 0; i < st->memlets.len; i++)
		if (st->memlets.data[i].data)
			written[st->memlets.data[i].dst] = true;
	for (int i = 0; i < st->nodes.len; i++) {
		const IrNode *n = &st->nodes.data[i];
		if (n->kind != IRN_ACCESS || strcmp(n->access.data, data) != 0)
			continue;
		if (scope[i] < 0 || (entry >= 0 && scope[i] != entry))
			return -1;
		entry = scope[i];
	}
	if (entry >= 0)
		in = ir_state_scope_members(a, st, entry);
	for (int i = 0; i < st->memlets.len && entry >= 0; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		if (!m->data || strcmp(m->data, data) != 0)
			continue;
		bool read_acc = st->nodes.data[m->src].kind == IRN_ACCESS;
		if (!in[m->src] || !in[m->dst] || (read_acc && !written[m->src]))
			return -1;
	}
	return entry;
}

int
cg_omp_local_scope(OmpEmit *E, const IrContainer *c, const IrState **st)
{
	int64_t span;
	Using u = { c->name, NULL, 0 };
	if (c->role != ROLE_TRANSIENT || c->ndim == 0 || c->storage == STORAGE_DEVICE ||
	    !sym_is_const(cg_omp_span(E, c), &span))
		return -1;
	ir_foreach_state(&E->p->body, note_using, &u);
	if (u.n != 1)
		return -1;
	if (st)
		*st = u.st;
	return local_entry(E->a, u.st, c->name);
}

/* Declares, at the top of the body of the map at entry, the transients
 * local to its iterations. */
static void
declare_locals(OmpEmit *E, int entry)
{
	const IrState *st = E->st;
	for (int i = 0; i < st->nodes.len; i++) {
		const IrNode *n = &st->nodes.data[i];
		if (n->kind != IRN_ACCESS || E->scope[i] != entry)
			continue;
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = st->nodes.data[j].kind == IRN_ACCESS && E->scope[j] == entry &&
			       strcmp(st->nodes.data[j].access.data, n->access.data) == 0;
		const IrContainer *c = cg_omp_container(E, n->access.data);
		const IrState *at;
		if (seen || cg_omp_local_scope(E, c, &at) != entry || at != st)
			continue;
		int64_t len = 0;
		sym_is_const(cg_omp_span(E, c), &len);
		if (len > LOCAL_STACK_MAX / dtype_size(c->dtype)) {
			cg_omp_fail(E, c->loc, "transient '%s' is local to the iterations of map "
				    "'%s' but takes more than %d bytes", c->name,
				    st->nodes.data[entry].label ? st->nodes.data[entry].label : "",
				    LOCAL_STACK_MAX);
			continue;
		}
		cg_omp_line(E, "_Alignas(DFCRT_ALIGN) %s %s[%lld];", dtype_ctype(c->dtype),
			    cg_omp_cname(E, c->name), (long long)(len > 1 ? len : 1));
	}
}

/* ---- map emission ---- */

/* " lastprivate(a, b)" for the 0-d locals plainly written in the scope. */
static char *
lastprivate_clause(OmpEmit *E, const MapPlan *P)
{
	StrBuf sb;
	sb_init(&sb, E->a);
	for (int i = 0; i < P->uses.len; i++) {
		const Use *u = &P->uses.data[i];
		if (u->c->ndim == 0 && u->c->role != ROLE_RETURN && u->plain_write && !u->priv)
			sb_printf(&sb, "%s%s", sb.len ? ", " : " lastprivate(",
				  cg_omp_cname(E, u->c->name));
	}
	if (sb.len)
		sb_putc(&sb, ')');
	return (char *)sb_str(&sb);
}

static char *
loop_clauses(OmpEmit *E, const MapPlan *P)
{
	StrBuf sb;
	sb_init(&sb, E->a);
	sb_puts(&sb, " schedule(static)");
	if (P->collapse > 1)
		sb_printf(&sb, " collapse(%d)", P->collapse);
	for (int i = 0; i < P->uses.len; i++) {
		const Use *u = &P->uses.data[i];
		if (u->priv && u->scalar)
			sb_printf(&sb, " reduction(%s:%s)", cg_omp_red_op(E, u->wcr, u->c->dtype),
				  u->var);
	}
	sb_puts(&sb, lastprivate_clause(E, P));
	return (char *)sb_str(&sb);
}

/* The iterations of a range (its step is positive). */
static Sym *
range_trips(Arena *a, const SymRange *r)
{
	Sym *len = sym_sub(a, r->end, r->begin);
	int64_t step;
	if (!sym_is_const(r->step, &step) || step != 1)
		len = sym_floordiv(a, sym_add(a, len, sym_addc(a, r->step, -1)), r->step);
	return sym_max(a, sym_const(a, 0), len);
}

/* A bound of the trips of range r that depends on the params of the
 * region: a tile's [t : min(e, t + T)] (map-tiling, transpose-tiling)
 * makes at most T, whatever t; NULL for any other range. */
static Sym *
tile_trips(Arena *a, const SymRange *r)
{
	int64_t c, step;
	if (r->end->kind != SYM_MIN || !sym_is_const(r->step, &step) || step <= 0)
		return NULL;
	for (int i = 0; i < r->end->n; i++)
		if (sym_is_const(sym_sub(a, r->end->args[i], r->begin), &c))
			return sym_const(a, c > 0 ? (c + step - 1) / step : 0);
	return NULL;
}

/* The middle value of the region's parameter `name`, begin + (trips - 1)
 * // 2 * step of its range, or with `up` begin + trips // 2 * step (the
 * upper middle of an even count); NULL if no map of the region has it. */
static Sym *
param_middle(OmpEmit *E, const MapPlan *P, const char *name, bool up)
{
	for (int i = 0; i < E->st->nodes.len; i++) {
		const IrNode *x = &E->st->nodes.data[i];
		if ((!P->members[i] && i != P->entry) || x->kind != IRN_MAP_ENTRY)
			continue;
		for (int d = 0; d < x->map.nparams; d++) {
			if (strcmp(x->map.params[d], name) != 0)
				continue;
			const SymRange *r = &x->map.ranges[d];
			Sym *half = sym_floordiv(E->a, sym_max(E->a, sym_const(E->a, 0),
							       sym_addc(E->a, range_trips(E->a, r), up ? 0 : -1)),
						 sym_const(E->a, 2));
			return sym_add(E->a, r->begin, sym_mul(E->a, half, r->step));
		}
	}
	return NULL;
}

/* The trips of range r, whose bounds depend on params of the region, at
 * the middle of their ranges (param_middle, repeated while a middle
 * depends on another param): the mean trips of a range affine in them,
 * such as a triangle's inner row (N // 2 + 1 for 0 : i + 1 under i in
 * 0 : N). Of an even count of values the middle taken is the one with
 * more trips (the upper one when the trips grow with the param), so that
 * a nest that runs at least one iteration counts at least one (0 : i at
 * N = 2), which -DDFCRT_PAR_MIN_WORK=0 then forks. NULL when a step
 * depends on them or the params nest too deep. */
static Sym *
mean_trips(OmpEmit *E, const MapPlan *P, const SymRange *r)
{
	if (cg_omp_depends_on_any(r->step, &P->inner))
		return NULL;
	Sym *b = r->begin, *e = r->end;
	for (int round = 0; round < 8; round++) {
		if (!cg_omp_depends_on_any(b, &P->inner) && !cg_omp_depends_on_any(e, &P->inner))
			return range_trips(E->a, &(SymRange){ .begin = b, .end = e, .step = r->step });
		for (int i = 0; i < P->inner.len; i++) {
			const char *name = P->inner.data[i];
			if (!sym_depends_on(b, name) && !sym_depends_on(e, name))
				continue;
			int64_t grows = 0;
			(void)sym_coef_of(sym_sub(E->a, e, b), name, &grows);
			Sym *mid = param_middle(E, P, name, grows > 0);
			if (!mid)
				return NULL;
			b = sym_subst(E->a, b, name, mid);
			e = sym_subst(E->a, e, name, mid);
		}
	}
	return NULL;
}

/* The trips of the scope of map entry `entry` times the work of its body:
 * the sum of the work of the maps directly in it, plus one for its
 * tasklets beside them (one when it holds no map). A range that depends
 * on the params of the region counts, for a tile's, its size (an
 * overestimate for the last, partial tile); with `mean`, any other such
 * range its trips at their middle (mean_trips: exact for a triangular
 * nest). NULL when unknown: a range that depends on them otherwise, or a
 * library node in the scope. */
static Sym *
scope_work(OmpEmit *E, const MapPlan *P, int entry, bool mean)
{
	const IrNode *x = &E->st->nodes.data[entry];
	Sym *w = sym_const(E->a, 1);
	for (int d = 0; d < x->map.nparams; d++) {
		const SymRange *r = &x->map.ranges[d];
		Sym *trips = range_trips(E->a, r);
		if (cg_omp_depends_on_any(r->begin, &P->inner) || cg_omp_depends_on_any(r->end, &P->inner) ||
		    cg_omp_depends_on_any(r->step, &P->inner)) {
			trips = cg_omp_depends_on_any(r->step, &P->inner) ? NULL : tile_trips(E->a, r);
			if (!trips && mean)
				trips = mean_trips(E, P, r);
		}
		if (!trips)
			return NULL;
		w = sym_mul(E->a, w, trips);
	}
	Sym *body = NULL;
	bool tasklets = false;
	for (int i = 0; i < E->st->nodes.len; i++) {
		if (E->scope[i] != entry)
			continue;
		const IrNode *y = &E->st->nodes.data[i];
		if (y->kind == IRN_LIBRARY)
			return NULL;
		if (y->kind == IRN_TASKLET)
			tasklets = true;
		if (y->kind != IRN_MAP_ENTRY)
			continue;
		Sym *c = scope_work(E, P, i, mean);
		if (!c)
			return NULL;
		body = body ? sym_add(E->a, body, c) : c;
	}
	if (!body)
		return w;
	return sym_mul(E->a, w, tasklets ? sym_addc(E->a, body, 1) : body);
}

/* The work of the map in units of one tasklet (scope_work): the
 * iterations of the map and of the maps nested in it, multiplied down the
 * nest and added up over sibling maps. */
static Sym *
map_work(OmpEmit *E, const MapPlan *P, bool mean)
{
	return scope_work(E, P, P->entry, mean);
}

/* " if(parallel: WORK > DFCRT_PAR_MIN_WORK)" (runtime/dfcrt.h: the
 * threshold, measured, overridable when the C is compiled), so that a
 * small map runs on the calling thread without paying for a fork; "" when
 * the work is unknown. The parallel: modifier keeps a combined simd loop
 * vectorized either way (a bare if would apply to simd too, OpenMP 5.0). */
static const char *
if_clause(OmpEmit *E, const MapPlan *P)
{
	Sym *w = map_work(E, P, true);
	if (!w)
		return "";
	return arena_printf(E->a, " if(parallel: %s > DFCRT_PAR_MIN_WORK)", cg_omp_sym(E, w));
}

static void
open_parallel(OmpEmit *E, const MapPlan *P)
{
	if (P->nscalar > 0) {
		cg_omp_line(E, "{");
		E->indent++;
	}
	for (int i = 0; i < P->uses.len; i++) {
		const Use *u = &P->uses.data[i];
		if (!u->priv || !u->scalar)
			continue;
		cg_omp_mark_read(E, u->c->name);
		cg_omp_line(E, "%s %s = %s;", cg_omp_acc_ctype(u->c->dtype), u->var,
			    cg_omp_ref(E, u->c, u->elem));
	}
	bool fused = P->simd && P->collapse == P->n->map.nparams;
	if (P->narray == 0) {
		cg_omp_line(E, "#pragma omp parallel for%s%s%s", fused ? simd_words(E, P) : "",
			    loop_clauses(E, P), if_clause(E, P));
		return;
	}
	cg_omp_line(E, "#pragma omp parallel%s", if_clause(E, P));
	cg_omp_line(E, "{");
	E->indent++;
	for (int i = 0; i < P->uses.len; i++) {
		const Use *u = &P->uses.data[i];
		if (!u->priv || u->scalar)
			continue;
		cg_omp_line(E, "%s *restrict %s = %s;", dtype_ctype(u->c->dtype), u->var,
			    cg_omp_alloc(E, u->c));
		cg_omp_line(E, "for (int64_t dfck = 0; dfck < %s; dfck++)",
			    cg_omp_sym(E, cg_omp_span(E, u->c)));
		cg_omp_line(E, "\t%s[dfck] = %s;", u->var, cg_omp_identity(u->wcr, u->c->dtype));
	}
	cg_omp_line(E, "#pragma omp for%s nowait", loop_clauses(E, P));
}

static void
close_parallel(OmpEmit *E, const MapPlan *P)
{
	if (P->narray > 0) {
		cg_omp_line(E, "#pragma omp critical");
		cg_omp_line(E, "{");
		E->indent++;
		for (int i = 0; i < P->uses.len; i++) {
			const Use *u = &P->uses.data[i];
			if (!u->priv || u->scalar)
				continue;
			cg_omp_mark_read(E, u->c->name);
			const char *dst = arena_printf(E->a, "%s[dfck]", cg_omp_cname(E, u->c->name));
			cg_omp_line(E, "for (int64_t dfck = 0; dfck < %s; dfck++)",
				    cg_omp_sym(E, cg_omp_span(E, u->c)));
			cg_omp_line(E, "\t%s", cg_omp_update(E, dst, u->wcr, u->c->dtype,
				    arena_printf(E->a, "%s[dfck]", u->var)));
		}
		E->indent--;
		cg_omp_line(E, "}");
		for (int i = 0; i < P->uses.len; i++)
			if (P->uses.data[i].priv && !P->uses.data[i].scalar)
				cg_omp_line(E, "dfcrt_free(%s);", P->uses.data[i].var);
		E->indent--;
		cg_omp_line(E, "}");
	}
	for (int i = 0; i < P->uses.len; i++) {
		const Use *u = &P->uses.data[i];
		if (u->priv && u->scalar)
			cg_omp_line(E, "%s = %s;", cg_omp_ref(E, u->c, u->elem), u->var);
	}
	if (P->nscalar > 0) {
		E->indent--;
		cg_omp_line(E, "}");
	}
}

/* The loop of one param; for the first param of an unrolled map, part 1
 * or 2 of its iterations (emit_unrolled_map). */
static void
loop_header(OmpEmit *E, const char *param, const SymRange *r, int unroll, int part)
{
	const char *v = cg_omp_cname(E, param);
	int64_t step;
	char *b = cg_omp_sym(E, r->begin), *e = cg_omp_sym(E, r->end);
	if (part == 1) {
		/* U iterations at a time while all U are in the range */
		cg_omp_line(E, "for (int64_t %s = %s; %s < %s; %s += %d) {", v, b, v,
			    cg_omp_sym(E, sym_addc(E->a, r->end, 1 - unroll)), v, unroll);
		return;
	}
	if (part == 2) {
		/* the iterations part 1 left, fewer than U */
		Sym *len = sym_max(E->a, sym_const(E->a, 0), sym_sub(E->a, r->end, r->begin));
		Sym *done = sym_mul(E->a, sym_floordiv(E->a, len, sym_const(E->a, unroll)),
				    sym_const(E->a, unroll));
		b = cg_omp_sym(E, sym_add(E->a, r->begin, done));
	}
	if (sym_is_const(r->step, &step) && step == 1)
		cg_omp_line(E, "for (int64_t %s = %s; %s < %s; %s++) {", v, b, v, e, v);
	else
		cg_omp_line(E, "for (int64_t %s = %s; %s < %s; %s += %s) {", v, b, v, e, v,
			    cg_omp_sym(E, r->step));
}

/* Before the innermost loop (param v over r) of the map of P: loads each
 * element that the tasklets directly in its scope read, at a subset that
 * mentions no param of the loop or of maps nested in it, of a container
 * the map does not write, into a local (dfcinv_*) that those reads take
 * instead (declare_input). Loop-invariant computations on it (layer
 * normalisation's sqrt(var[i] + eps)) can then leave the loop: the
 * compiler cannot move them itself when a store in the loop may alias the
 * element (the outlined body of an omp region loses restrict). The load
 * happens only when the loop runs at least once, as in the loop. */
static void
hoist_open(OmpEmit *E, const MapPlan *P, const char *v, const SymRange *r)
{
	const IrState *st = E->st;
	int64_t step;
	if (!sym_is_const(r->step, &step) || step != 1 || E->ctx->opt.boundscheck)
		return;
	for (int i = 0; i < st->memlets.len; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		const IrNode *dst = &st->nodes.data[m->dst];
		if (!m->data || dst->kind != IRN_TASKLET || E->scope[m->dst] != P->entry ||
		    ir_expr_loads(dst->tasklet.expr, m->dst_conn))
			continue;
		const IrContainer *c = cg_omp_container(E, m->data);
		bool moves = c->ndim == 0;
		for (int d = 0; d < m->subset.ndim && !moves; d++)
			moves = sym_depends_on(m->subset.r[d].begin, v) ||
				sym_depends_on(m->subset.r[d].end, v);
		const Use *u = NULL;
		for (int k = 0; k < P->uses.len && !u; k++)
			if (strcmp(P->uses.data[k].c->name, c->name) == 0)
				u = &P->uses.data[k];
		if (moves || !u || u->plain_write || u->wcr != WCR_NONE || u->lib_wcr ||
		    redirect_of(E, c->name))
			continue;
		if (hoisted(E, c->name, &m->subset))
			continue;
		const char *var = arena_printf(E->a, "dfcinv%d_%s", E->hoists.len,
					       cg_omp_cname(E, c->name));
		cg_omp_mark_read(E, c->name);
		cg_omp_line(E, "const %s %s = %s < %s ? %s : 0;", dtype_ctype(c->dtype), var,
			    cg_omp_sym(E, r->begin), cg_omp_sym(E, r->end),
			    cg_omp_ref(E, c, &m->subset));
		vec_push(E->a, &E->hoists, ((OmpHoist){ c->name, &m->subset, var }));
	}
}

/* ---- streamed outputs ----
 * A map that writes an array nothing in the kernel reads again (a
 * result) can store it around the caches (expr.c, nt_stores): the
 * innermost loop runs in chunks of STREAM_CHUNK iterations, its tasklets
 * write the chunk of each such output into a local buffer, and
 * dfc_nt_store copies the buffer out after the chunk. Chunks start on
 * lines of the first output (dfc_nt_skew), so that only the partial
 * lines at the ends of a row are plain stores. emit_streamed emits the
 * streamed nest when the map writes DFCRT_NT_MIN_BYTES or more of them
 * (runtime/dfcrt.h), else the plain one. */

enum { STREAM_CHUNK = 512 };

/* Does some state read container `data` at an element that the write of
 * tasklet `tasklet` of state `st` (at subset `sub`) may touch: a tasklet's
 * input or WCR output whose elements ir_accesses_disjoint cannot tell
 * apart from the write's (or whose elements, or the write's, move with a
 * loop's variable), or any other read of it (a library node's
 * input or output with a WCR, a copy between access nodes, a WCR
 * written from outside a tasklet)? The reads of a map's inputs are those
 * of the tasklets inside: the memlets into and between map entries are
 * not reads of their own. */
typedef struct Reads {
	const IrProgram *p;
	Arena *a;
	const IrState *st;
	int tasklet;
	const Subset *sub;
	bool fixed;             /* ir_access_fixed of the write */
	const char *data;
	bool read;
} Reads;

static void
note_reads(IrState *s, IrBlock *b, void *ud)
{
	Reads *r = ud;
	for (int j = 0; j < s->memlets.len && !r->read; j++) {
		const IrMemlet *m = &s->memlets.data[j];
		if (!m->data || strcmp(m->data, r->data) != 0)
			continue;
		IrNodeKind ks = s->nodes.data[m->src].kind, kd = s->nodes.data[m->dst].kind;
		int t = kd == IRN_TASKLET ? m->dst : m->src;
		if (kd == IRN_TASKLET || (ks == IRN_TASKLET && m->wcr != WCR_NONE))
			r->read = !r->fixed || !ir_access_fixed(r->a, r->p, s, t, &m->subset) ||
				  !ir_accesses_disjoint(r->a, r->st, r->tasklet, r->sub, NULL, s, t,
							&m->subset, NULL);
		else
			r->read = kd == IRN_LIBRARY || (ks == IRN_ACCESS && kd == IRN_ACCESS) ||
				  (m->wcr != WCR_NONE && ks != IRN_TASKLET);
	}
}

/* Fills P->streams with the outputs the map may stream: an array on the
 * heap that the program never reads at the elements the map writes
 * (note_reads: upsample2x's odd rows, whose even rows it reads), written
 * by one tasklet of the map's
 * own scope at an element that moves by one with the innermost param (of
 * step 1), in a simd map with no reductions, private copies or last
 * values, whose work is known (not under --boundscheck, whose checks
 * index the output itself), and that is not inside a parallel region
 * (a map nested in another, or in a parallel loop's block, writes a
 * slice per iteration: a second nest for it would only grow the code). */
static bool
stream_ok(OmpEmit *E, MapPlan *P)
{
	const IrNode *n = P->n;
	const IrState *st = E->st;
	int k = n->map.nparams;
	int64_t step, one;
	if (!P->simd || k < 1 || E->in_parallel || P->wcrs.len > 0 || P->nscalar > 0 ||
	    P->narray > 0 || (P->par && k >= 2 && P->collapse >= k) || E->ctx->opt.boundscheck ||
	    *lastprivate_clause(E, P) || !sym_is_const(n->map.ranges[k - 1].step, &step) ||
	    step != 1 || !map_work(E, P, false))
		return false;
	const char *v = n->map.params[k - 1];
	for (int i = 0; i < st->memlets.len; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		if (!m->data || m->wcr != WCR_NONE || E->scope[m->src] != P->entry ||
		    st->nodes.data[m->src].kind != IRN_TASKLET)
			continue;
		const IrContainer *c = cg_omp_container(E, m->data);
		if (c->ndim == 0 || c->storage != STORAGE_HOST)
			continue;
		int writers = 0;
		for (int j = 0; j < st->memlets.len; j++) {
			const IrMemlet *w = &st->memlets.data[j];
			writers += w->data && P->members[w->src] &&
				   st->nodes.data[w->src].kind == IRN_TASKLET &&
				   strcmp(w->data, c->name) == 0;
		}
		Sym *lin = cg_omp_linear(E, c, &m->subset);
		Sym *next = sym_subst(E->a, lin, v, sym_addc(E->a, sym_var(E->a, v), 1));
		Reads r = { E->p, E->a, st, m->src, &m->subset,
			    ir_access_fixed(E->a, E->p, st, m->src, &m->subset), c->name, false };
		if (writers != 1 || !sym_is_const(sym_sub(E->a, next, lin), &one) || one != 1)
			continue;
		ir_foreach_state(&E->p->body, note_reads, &r);
		if (r.read)
			continue;
		const char *buf = arena_printf(E->a, "dfcnt_%s", cg_omp_cname(E, c->name));
		vec_push(E->a, &P->streams, ((OmpStream){ c->name, m, buf }));
	}
	return P->streams.len > 0;
}

/* In a block (under cond, "" or "if (...) ") where the innermost param
 * is the C value at: with skew, dfcnt_a, the start of the chunks, at or
 * before at on a line of the first streamed output; else, for each
 * streamed output, the copy of its buffer's chunk to its elements from
 * at. */
static void
stream_at(OmpEmit *E, const MapPlan *P, const char *cond, const char *at, bool skew)
{
	const char *v = cg_omp_cname(E, P->n->map.params[P->n->map.nparams - 1]);
	cg_omp_line(E, "%s{", cond);
	E->indent++;
	cg_omp_line(E, "const int64_t %s = %s;", v, at);
	for (int i = 0; i < (skew ? 1 : P->streams.len); i++) {
		const OmpStream *s = &P->streams.data[i];
		const IrContainer *c = cg_omp_container(E, s->data);
		const char *ref = cg_omp_ref(E, c, &s->m->subset), *t = dtype_ctype(c->dtype);
		if (skew)
			cg_omp_line(E, "dfcnt_a = %s - dfc_nt_skew(&%s, (int64_t)sizeof(%s));", v,
				    ref, t);
		else
			cg_omp_line(E, "dfc_nt_store(&%s, %s, (dfcnt_e - dfcnt_b) * "
				    "(int64_t)sizeof(%s));", ref, s->buf, t);
	}
	E->indent--;
	cg_omp_line(E, "}");
}

/* dfcnt_a: where the chunks of the innermost loop start, at or before its
 * first iteration (its end when it has none). */
static void
stream_base(OmpEmit *E, const MapPlan *P)
{
	const SymRange *r = &P->n->map.ranges[P->n->map.nparams - 1];
	const char *b = cg_omp_sym(E, r->begin), *e = cg_omp_sym(E, r->end);
	cg_omp_line(E, "int64_t dfcnt_a = %s;", e);
	stream_at(E, P, arena_printf(E->a, "if (%s < %s) ", b, e), b, true);
}

/* The parallel region of a streamed map: its omp loop's threads each
 * fence their streamed stores before the region's barrier. */
static void
stream_region_open(OmpEmit *E, const MapPlan *P)
{
	cg_omp_line(E, "#pragma omp parallel%s", if_clause(E, P));
	cg_omp_line(E, "{");
	E->indent++;
	if (P->n->map.nparams == 1)
		stream_base(E, P);  /* the omp loop is the chunks' */
	cg_omp_line(E, "#pragma omp for%s nowait", loop_clauses(E, P));
}

/* The loop over chunks, the chunk's bounds [dfcnt_b, dfcnt_e) and
 * buffers, and the innermost loop over the chunk. */
static void
stream_open(OmpEmit *E, const MapPlan *P)
{
	int k = P->n->map.nparams;
	const SymRange *r = &P->n->map.ranges[k - 1];
	const char *b = cg_omp_sym(E, r->begin), *e = cg_omp_sym(E, r->end);
	const char *v = cg_omp_cname(E, P->n->map.params[k - 1]);
	cg_omp_line(E, "for (int64_t dfcnt_c = dfcnt_a; dfcnt_c < %s; dfcnt_c += %d) {", e,
		    STREAM_CHUNK);
	E->indent++;
	cg_omp_line(E, "const int64_t dfcnt_b = dfcnt_c > %s ? dfcnt_c : %s;", b, b);
	cg_omp_line(E, "const int64_t dfcnt_e = dfcnt_c + %d < %s ? dfcnt_c + %d : %s;",
		    STREAM_CHUNK, e, STREAM_CHUNK, e);
	for (int i = 0; i < P->streams.len; i++)
		cg_omp_line(E, "_Alignas(64) %s %s[%d];",
			    dtype_ctype(cg_omp_container(E, P->streams.data[i].data)->dtype),
			    P->streams.data[i].buf, STREAM_CHUNK);
	cg_omp_line(E, "#pragma omp%s", simd_words(E, P));
	cg_omp_line(E, "for (int64_t %s = dfcnt_b; %s < dfcnt_e; %s++) {", v, v, v);
	E->streams = P->streams;
	E->stream_var = v;
}

/* After the innermost loop: the chunk's buffers copied out, the loop over
 * chunks closed. */
static void
stream_close(OmpEmit *E, const MapPlan *P)
{
	E->streams.len = 0;
	stream_at(E, P, "", "dfcnt_b", false);
	E->indent--;
	cg_omp_line(E, "}");
}

/* The map's loop nest, its omp pragmas and its body. */
static void
emit_nest(OmpEmit *E, MapPlan *P)
{
	const IrNode *n = P->n;
	int k = n->map.nparams, entry = P->entry;
	bool was_parallel = E->in_parallel;
	int nredirects = E->redirects.len;
	if (P->par && P->part) {
		/* inside emit_unrolled_map's region: part 1's blocks, then
		 * part 2's rows, shared out among its threads */
		cg_omp_line(E, "#pragma omp for%s%s", loop_clauses(E, P), P->part == 1 ? " nowait" : "");
		E->in_parallel = true;
	} else if (P->par) {
		if (P->stream)
			stream_region_open(E, P);
		else
			open_parallel(E, P);
		E->in_parallel = true;
		for (int i = 0; i < P->uses.len; i++)
			if (P->uses.data[i].priv)
				vec_push(E->a, &E->redirects, ((OmpRedirect){ P->uses.data[i].c->name,
					 P->uses.data[i].var, P->uses.data[i].scalar }));
	}
	bool rows = false;
	int nrow = 0, nhoist = E->hoists.len;
	for (int d = 0; d < k; d++) {
		bool in_omp_loop = P->par && d < P->collapse;
		if (d == k - 1 && P->stream) {
			if (k >= 2)
				hoist_open(E, P, n->map.params[d], &n->map.ranges[d]);
			if (k >= 2 || !P->par)
				stream_base(E, P);
			stream_open(E, P);
			E->indent++;
			continue;
		}
		if (d == k - 1 && P->simd && !in_omp_loop) {
			StrBuf red;
			sb_init(&red, E->a);
			rows = P->wcrs.len > 0;
			nrow = E->redirects.len;
			if (rows && d == 0) {
				/* the locals' own block: a sibling map may declare them too */
				cg_omp_line(E, "{");
				E->indent++;
			}
			if (rows)
				row_accs_open(E, P, &red);
			if (k >= 2 && !P->unroll && !P->part)
				hoist_open(E, P, n->map.params[d], &n->map.ranges[d]);
			cg_omp_line(E, "#pragma omp%s%s%s", simd_words(E, P), sb_str(&red),
				    lastprivate_clause(E, P));
		}
		loop_header(E, n->map.params[d], &n->map.ranges[d], P->unroll, d == 0 ? P->part : 0);
		E->indent++;
	}
	if (k == 0) {
		cg_omp_line(E, "{");
		E->indent++;
	}
	declare_locals(E, entry);
	E->bare = lone_tasklet(E, entry);
	bool was_simd = E->in_simd;
	E->in_simd = P->simd || P->stream;
	for (int i = 0; i < E->st->nodes.len; i++) {
		int id = E->topo[i];
		if (E->scope[id] != entry)
			continue;
		if (P->part == 1 && E->st->nodes.data[id].kind == IRN_TASKLET)
			emit_unrolled(E, id, n->map.params[0], P->unroll);
		else
			cg_omp_emit_node(E, id);
	}
	E->in_simd = was_simd;
	E->bare = false;
	for (int d = 0; d < (k > 0 ? k : 1); d++) {
		E->indent--;
		cg_omp_line(E, "}");
		if (d == 0 && P->stream)
			stream_close(E, P);
		if (d == 0)
			E->hoists.len = nhoist;
		if (d == 0 && rows)
			row_accs_close(E, P, nrow);
		if (d == 0 && rows && k == 1) {
			E->indent--;
			cg_omp_line(E, "}");
		}
	}
	if (P->stream)
		cg_omp_line(E, "dfc_nt_fence();");
	if (P->par) {
		E->redirects.len = nredirects;
		E->in_parallel = was_parallel;
		if (P->stream) {
			E->indent--;
			cg_omp_line(E, "}");
		} else if (!P->part) {
			close_parallel(E, P);
		}
	}
}

/* The iterations of the leading k-1 params of a split map (steps 1). */
static char *
outer_count(OmpEmit *E, const MapPlan *P)
{
	Sym *c = sym_const(E->a, 1);
	for (int d = 0; d < P->n->map.nparams - 1; d++) {
		const SymRange *r = &P->n->map.ranges[d];
		c = sym_mul(E->a, c, sym_max(E->a, sym_const(E->a, 0),
					      sym_sub(E->a, r->end, r->begin)));
	}
	return cg_omp_sym(E, c);
}

/* A split map: the omp loop over the leading k-1 params when they have at
 * least 4 iterations per thread (static schedules then stay within 25% of
 * balance), else over all k (split_ok). The nest is emitted twice. */
static void
emit_split(OmpEmit *E, MapPlan *P)
{
	int k = P->n->map.nparams;
	cg_omp_line(E, "if (%s >= 4 * %s) {", outer_count(E, P), cg_omp_nthreads(E));
	E->indent++;
	P->collapse = k - 1;
	emit_nest(E, P);
	E->indent--;
	cg_omp_line(E, "} else {");
	E->indent++;
	P->collapse = k;
	emit_nest(E, P);
	E->indent--;
	cg_omp_line(E, "}");
}

/* Does the map carry the unroll-and-jam hint in a form emit_unrolled
 * takes: one tasklet (unrollable_tasklet), nothing reduced or privatized,
 * the first param of unit step? Its omp loop then covers that param only. */
static bool
unroll_ok(OmpEmit *E, MapPlan *P)
{
	const IrNode *n = P->n;
	int64_t step;
	if (n->map.unroll < 2 || n->map.nparams < 2 || !lone_tasklet(E, P->entry) ||
	    P->wcrs.len > 0 || P->nscalar > 0 || P->narray > 0 || *lastprivate_clause(E, P) ||
	    !sym_is_const(n->map.ranges[0].step, &step) || step != 1)
		return false;
	for (int i = 0; i < E->st->nodes.len; i++)
		if (E->scope[i] == P->entry && E->st->nodes.data[i].kind == IRN_TASKLET &&
		    !unrollable_tasklet(E, i))
			return false;
	return true;
}

/* An unrolled map: the loop nest over U iterations of the first param at
 * a time, then over the last (fewer than U) ones; a parallel map runs
 * both in one region (one fork), the second loop's rows shared out too,
 * so that a map of fewer rows than U still runs on every thread. */
static void
emit_unrolled_map(OmpEmit *E, MapPlan *P)
{
	P->unroll = P->n->map.unroll;
	if (P->par) {
		P->collapse = 1;
		cg_omp_line(E, "#pragma omp parallel%s", if_clause(E, P));
		cg_omp_line(E, "{");
		E->indent++;
	}
	P->part = 1;
	emit_nest(E, P);
	P->part = 2;
	emit_nest(E, P);
	if (P->par) {
		E->indent--;
		cg_omp_line(E, "}");
	}
}

/* A map with outputs to stream (stream_ok): the streamed nest when it
 * writes DFCRT_NT_MIN_BYTES or more of them, else the plain nest. */
static void
emit_streamed(OmpEmit *E, MapPlan *P)
{
	int bytes = 0;
	for (int i = 0; i < P->streams.len; i++)
		bytes += dtype_size(cg_omp_container(E, P->streams.data[i].data)->dtype);
	cg_omp_need_nt(E);
	cg_omp_line(E, "if (%s >= DFCRT_NT_MIN_BYTES) {",
		    cg_omp_sym(E, sym_mul(E->a, map_work(E, P, false), sym_const(E->a, bytes))));
	E->indent++;
	P->stream = true;
	emit_nest(E, P);
	P->stream = false;
	E->indent--;
	cg_omp_line(E, "} else {");
	E->indent++;
	emit_nest(E, P);
	E->indent--;
	cg_omp_line(E, "}");
}

static void
emit_map(OmpEmit *E, int entry)
{
	MapPlan P;
	plan_map(E, entry, &P);
	cg_omp_comment(E, "map", P.n->label, P.n->loc);
	if (P.why)
		cg_omp_line(E, "/* sequential: %s */", P.why);
	if (unroll_ok(E, &P))
		emit_unrolled_map(E, &P);
	else if (split_ok(E, &P))
		emit_split(E, &P);
	else if (stream_ok(E, &P))
		emit_streamed(E, &P);
	else
		emit_nest(E, &P);
}

/* ---- states ---- */

void
cg_omp_emit_node(OmpEmit *E, int id)
{
	const IrNode *n = &E->st->nodes.data[id];
	E->loc = n->loc;
	switch (n->kind) {
	case IRN_TASKLET:
		emit_tasklet(E, id);
		break;
	case IRN_MAP_ENTRY:
		emit_map(E, id);
		break;
	case IRN_LIBRARY:
		cg_omp_emit_library(E, id);
		break;
	case IRN_ACCESS:
	case IRN_MAP_EXIT:
	default:
		break;
	}
}

/* A memlet between access nodes of different containers is a copy, which
 * the IR expresses with maps and tasklets; it has no other meaning here. */
static bool
check_copies(OmpEmit *E, const IrState *st)
{
	for (int i = 0; i < st->memlets.len; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		const IrNode *s = &st->nodes.data[m->src], *d = &st->nodes.data[m->dst];
		if (!m->data || s->kind != IRN_ACCESS || d->kind != IRN_ACCESS ||
		    strcmp(s->access.data, d->access.data) == 0)
			continue;
		cg_omp_fail(E, m->loc, "the OpenMP backend does not support a direct copy "
			    "between access nodes ('%s' to '%s')", s->access.data, d->access.data);
		return false;
	}
	return true;
}

/* A node at the top of a state; with --instrument a map is timed, from
 * the calling thread, around its parallel region. */
static void
emit_top_node(OmpEmit *E, int id, bool timed)
{
	const IrNode *n = &E->st->nodes.data[id];
	if (!timed || n->kind != IRN_MAP_ENTRY) {
		cg_omp_emit_node(E, id);
		return;
	}
	const char *var = arena_printf(E->a, "map%d", id);
	cg_omp_trace_begin(E, var, n->label ? n->label : "map", "map", n->loc);
	cg_omp_emit_node(E, id);
	cg_omp_trace_end(E, var);
}

void
cg_omp_emit_state(OmpEmit *E, const IrState *st)
{
	E->st = st;
	E->loc = st->loc;
	cg_omp_comment(E, "state", st->name, st->loc);
	if (!check_copies(E, st))
		return;
	E->scope = ir_state_scopes(E->a, st);
	E->topo = ir_state_topo_order(E->a, st);
	bool timed = E->ctx->opt.instrument;
	if (timed) {
		cg_omp_line(E, "{");
		E->indent++;
		cg_omp_trace_begin(E, "state", st->name ? st->name : "state", "state", st->loc);
	}
	for (int i = 0; i < st->nodes.len && !E->failed; i++) {
		int id = E->topo[i];
		if (E->scope[id] < 0)
			emit_top_node(E, id, timed);
	}
	if (timed) {
		cg_omp_trace_end(E, "state");
		E->indent--;
		cg_omp_line(E, "}");
	}
}
