/* passes/otf_fusion.c — on-the-fly map fusion (DaCe's OTFMapFusion): a
 * producer map writes a transient T one element per iteration, and every
 * map that reads T, at any affine offsets of its own parameters, gets the
 * producer's computation evaluated at the substituted indices instead; T
 * and the producer disappear, and one pass over memory remains.
 *
 *   img -> map_P [i, j] { rows[i, j] = f(img[i, j], img[i, j + 1]) } -> rows
 *   rows -> map_C [i, j] { out[i, j] = g(rows[i, j], rows[i + 1, j]) } -> out
 *   ==>
 *   img -> map_C [i, j] { out[i, j] = g(f(img[i, j], img[i, j + 1]),
 *                                       f(img[i + 1, j], img[i + 1, j + 1])) } -> out
 *
 * The site is the producer's label alone; its readers are every map that
 * reads T, all of which are fused (a reader that cannot be is a refusal,
 * so T never stays half-used). Legality (check), exact or conservative:
 *   - the producer is a top-level map holding one tasklet (no library
 *     node, no nested map), without data-dependent indices; its tasklet
 *     writes only T, a transient, without WCR, at T[p_0 + r_0, ...]: one
 *     parameter of coefficient 1 per dimension, each parameter once, so
 *     that an element's index gives back the iteration that wrote it; its
 *     ranges have step 1 and bounds free of its parameters; its expression
 *     does not use a parameter as a value;
 *   - T is used only by the producer's output node and by access nodes
 *     feeding readers: top-level maps of one tasklet that read T only
 *     into that tasklet, one element at a time, at indices affine in their
 *     parameters; no condition reads T;
 *   - every reader is in the producer's state or in a later state of its
 *     block list, and only states stand between the producer and the last
 *     reader (no loop, branch or symbol assignment);
 *   - each reader reads T only where the producer wrote it: over the
 *     reader's whole range, every read index maps back into the
 *     producer's range (sym_le proves both bounds, or it refuses);
 *   - the producer's inputs come from access nodes and keep their values
 *     until the last reader: no reader writes them, no state after the
 *     producer's up to the last reader's writes them, and in the
 *     producer's state only the nodes the producer reads from are written;
 *   - cost: per reader, (reads of T in its expression) x (the producer's
 *     work per element) <= OTF_MAX_COST (work_of says how work counts).
 * Apply: in each reader, every input connector of T is replaced by the
 * producer's expression with its parameters substituted by the read's
 * indices (the conversions that the store into T and the load from it made
 * kept as casts, so the values are bit for bit those of the unfused
 * program: the same tree, evaluated in the same order); the producer's
 * inputs enter the reader's entry (an entry connector bringing the same
 * subset from the same node is reused, and so is a tasklet connector
 * already reading the same element); then T's access nodes, the producer,
 * its input nodes left without memlets, an emptied producer state and T
 * itself are removed. The steps shared with map-fusion (the producer's
 * write and inputs, routing, recomputing, removing) are map_fusion.c's,
 * over the FuseProducer and one FuseReader per reader (passes.h).
 */
#include <string.h>

#include "passes.h"

/* The largest (reads of T per reader iteration) x (producer work per
 * element) fused, and the work of a math function other than sqrt, abs
 * and the roundings (work_of). box_blur's 3 reads x (3 loads + 2 adds +
 * 1 division) = 18 passes, and so does a 3-point stencil of exp(a)
 * (3 x (1 + 8) = 27); a 9-point stencil of exp(a) (81), or a 6-point one
 * of box_blur's rows (36), keeps its temporary. */
enum { OTF_MAX_COST = 32, OTF_FN_COST = 8 };

typedef struct Otf {
	FuseProducer pr;
	int *dimof;             /* producer param k -> dimension of T it indexes */
	Sym **off;              /* dimension d of the write index: p + off[d] */
	int last;               /* block index of the last reader */
	VEC(FuseReader) rd;     /* every map reading T */
	const char *why;        /* first refusal found while scanning T's uses */
} Otf;

/* ---- legality: the producer ---- */

/* Fills O->dimof and O->off from the write index w of T: every dimension
 * p_k + r with r free of the params, every param in one dimension. */
static bool
invertible(Arena *a, Otf *O, const Subset *w)
{
	const IrNode *e = pass_map_entry(&O->pr.P);
	int np = e->map.nparams;
	if (w->ndim != np)
		return false;
	O->dimof = arena_alloc(a, sizeof(int) * (size_t)(np + 1));
	O->off = arena_alloc(a, sizeof(Sym *) * (size_t)(np + 1));
	for (int k = 0; k < np; k++)
		O->dimof[k] = -1;
	for (int d = 0; d < w->ndim; d++) {
		const SymRange *r = &w->r[d];
		int which = -1;
		int64_t c;
		if (!sym_equal(r->end, sym_addc(a, r->begin, 1)))
			return false;
		for (int k = 0; k < np; k++)
			if (sym_depends_on(r->begin, e->map.params[k]))
				which = which == -1 ? k : -2;
		if (which < 0 || O->dimof[which] >= 0 ||
		    !sym_coef_of(r->begin, e->map.params[which], &c) || c != 1)
			return false;
		O->dimof[which] = d;
		O->off[d] = sym_sub(a, r->begin, sym_var(a, e->map.params[which]));
	}
	return true;
}

/* Does range list rs of a map depend on any of its params, or step by
 * something other than 1 (when unit)? */
static bool
ranges_plain(const IrNode *e, bool unit)
{
	for (int k = 0; k < e->map.nparams; k++) {
		const SymRange *r = &e->map.ranges[k];
		int64_t st;
		if (unit && (!sym_is_const(r->step, &st) || st != 1))
			return false;
		for (int j = 0; j < e->map.nparams; j++)
			if (sym_depends_on(r->begin, e->map.params[j]) ||
			    sym_depends_on(r->end, e->map.params[j]) ||
			    sym_depends_on(r->step, e->map.params[j]))
				return false;
	}
	return true;
}

static bool
uses_param(const IrExpr *x, const IrNode *e)
{
	if (x->kind == EX_SYM)
		for (int k = 0; k < e->map.nparams; k++)
			if (pass_streq(x->name, e->map.params[k]))
				return true;
	for (int i = 0; i < x->n; i++)
		if (uses_param(x->args[i], e))
			return true;
	return false;
}

static const char *
producer_output(Ctx *ctx, Otf *O)
{
	Arena *a = ctx->arena;
	const IrState *s = O->pr.P.state;
	const IrNode *e = pass_map_entry(&O->pr.P);
	const char *P = pass_map_label(&O->pr.P);
	const char *why;
	if ((why = pass_fusion_producer_write(ctx, &O->pr, ": its elements are not computed "
					      "one by one")) ||
	    (why = pass_fusion_transient(ctx, &O->pr)))
		return why;
	const IrMemlet *m = &s->memlets.data[O->pr.pwrite];
	if (!invertible(a, O, &m->subset))
		return arena_printf(a, "'%s' writes %s%s: recomputing an element needs an index "
				    "p + c per dimension, each parameter of the map in one",
				    P, O->pr.t, subset_print(a, &m->subset));
	if (!ranges_plain(e, true))
		return arena_printf(a, "the ranges of '%s' must have step 1 and bounds free of "
				    "its parameters", P);
	if (uses_param(s->nodes.data[O->pr.ptask].tasklet.expr, e))
		return arena_printf(a, "the tasklet of '%s' uses a map parameter as a value", P);
	return NULL;
}

/* ---- legality: T's uses and the readers ---- */

/* Is s the state of block k of O->pr.list, for some k >= O->pr.pindex? Sets *k. */
static bool
in_list_after(const Otf *O, const IrState *s, int *k)
{
	for (*k = O->pr.pindex; *k < O->pr.list->len; (*k)++)
		if (O->pr.list->data[*k]->kind == CF_STATE && O->pr.list->data[*k]->state == s)
			return true;
	return false;
}

/* Records the top-level map entered by memlet i of s (reading T from an
 * access node) as a reader, once per entry; else sets O->why. */
static void
add_reader(Ctx *ctx, Otf *O, IrState *s, IrBlock *b, int k, int i)
{
	const IrMemlet *m = &s->memlets.data[i];
	const IrNode *dst = &s->nodes.data[m->dst];
	if (dst->kind != IRN_MAP_ENTRY || !dst->label || !pass_conn_suffix(m->dst_conn, "IN_") ||
	    ir_state_scope_of(s, m->dst) >= 0) {
		O->why = arena_printf(ctx->arena, "'%s' is also read in '%s' by something other "
				      "than a top-level map, which otf-map-fusion does not fuse",
				      O->pr.t, s->name);
		return;
	}
	for (int j = 0; j < O->rd.len; j++)
		if (O->rd.data[j].C.state == s && O->rd.data[j].C.entry == m->dst) {
			O->why = arena_printf(ctx->arena, "'%s' reads '%s' on several connectors",
					      dst->label, O->pr.t);
			return;
		}
	FuseReader R = { .C = { s, m->dst, b }, .cindex = k, .cin = i, .r = m->src };
	R.tconn = arena_printf(ctx->arena, "OUT_%s", pass_conn_suffix(m->dst_conn, "IN_"));
	vec_push(ctx->arena, &O->rd, R);
	if (k > O->last)
		O->last = k;
}

typedef struct Scan {
	Ctx *ctx;
	Otf *O;
} Scan;

/* Finds the readers of T in s; a use that is not the producer's write or
 * a read by a map sets O->why. */
static void
scan_state(IrState *s, IrBlock *b, void *ud)
{
	Scan *S = ud;
	Otf *O = S->O;
	int k;
	bool after = in_list_after(O, s, &k);
	for (int i = 0; i < s->nodes.len && !O->why; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind != IRN_ACCESS || !pass_streq(n->access.data, O->pr.t))
			continue;
		bool used = false;
		for (int j = 0; j < s->memlets.len && !O->why; j++) {
			const IrMemlet *m = &s->memlets.data[j];
			if (m->dst == i && s == O->pr.P.state && j == O->pr.pout) {
				used = true;
			} else if (m->dst == i) {
				O->why = arena_printf(S->ctx->arena, "'%s' is also written in '%s'",
						      O->pr.t, s->name);
			} else if (m->src == i && !pass_streq(m->data, O->pr.t)) {
				O->why = arena_printf(S->ctx->arena, "'%s' is copied in '%s', which "
						      "otf-map-fusion does not fuse", O->pr.t,
						      s->name);
			} else if (m->src == i) {
				used = true;
				if (!after)
					O->why = arena_printf(S->ctx->arena, "'%s' is also read in "
							      "'%s', which is not after '%s' "
							      "in its block list", O->pr.t,
							      s->name, pass_map_label(&O->pr.P));
				else
					add_reader(S->ctx, O, s, b, k, j);
			}
		}
		if (!used && !O->why)
			O->why = arena_printf(S->ctx->arena, "'%s' has an access node in '%s' that "
					      "neither the producer nor a reader uses", O->pr.t,
					      s->name);
	}
}

/* Every memlet naming T must start or end at a T access node (a memlet
 * into or inside another scope would be a use scan_state cannot fuse). */
static void
scan_memlets(IrState *s, IrBlock *b, void *ud)
{
	Scan *S = ud;
	Otf *O = S->O;
	for (int j = 0; j < s->memlets.len && !O->why; j++) {
		const IrMemlet *m = &s->memlets.data[j];
		if (!pass_streq(m->data, O->pr.t))
			continue;
		bool ok = (s == O->pr.P.state && (j == O->pr.pwrite || j == O->pr.pout));
		for (int i = 0; i < O->rd.len && !ok; i++)
			ok = s == O->rd.data[i].C.state && pass_fusion_reads_t(&O->rd.data[i], j);
		if (!ok)
			O->why = arena_printf(S->ctx->arena, "'%s' is used in '%s' in a way "
					      "otf-map-fusion does not fuse", O->pr.t, s->name);
	}
}

static const char *
find_readers(Ctx *ctx, Otf *O)
{
	Scan S = { ctx, O };
	O->last = O->pr.pindex;
	pass_foreach_state(O->pr.p, scan_state, &S);
	if (!O->why)
		pass_foreach_state(O->pr.p, scan_memlets, &S);
	if (O->why)
		return O->why;
	if (O->rd.len == 0)
		return arena_printf(ctx->arena, "no map reads '%s'", O->pr.t);
	if (pass_cond_reads(O->pr.p, O->pr.t))
		return arena_printf(ctx->arena, "'%s' is read by a loop or branch condition",
				    O->pr.t);
	for (int k = O->pr.pindex + 1; k < O->last; k++)
		if (O->pr.list->data[k]->kind != CF_STATE)
			return arena_printf(ctx->arena, "a block other than a state ('%s') stands "
					    "between '%s' and a map that reads '%s'",
					    O->pr.list->data[k]->name ? O->pr.list->data[k]->name : "?",
					    pass_map_label(&O->pr.P), O->pr.t);
	return NULL;
}

/* The bound of affine index x over the box of map entry e: its least
 * value (hi false) or an upper bound of its greatest (hi true); NULL when
 * x is not affine in the params. */
static Sym *
index_bound(Arena *a, Sym *x, const IrNode *e, bool hi)
{
	Sym *v = x;
	for (int k = 0; k < e->map.nparams; k++) {
		int64_t c;
		if (!sym_coef_of(x, e->map.params[k], &c))
			return NULL;
		const SymRange *r = &e->map.ranges[k];
		Sym *at = (c > 0) == hi ? sym_addc(a, r->end, -1) : r->begin;
		v = sym_subst(a, v, e->map.params[k], at);
	}
	return v;
}

/* "[1:N]": the elements of T the producer writes. */
static const char *
written(Arena *a, const Otf *O)
{
	const IrNode *pe = pass_map_entry(&O->pr.P);
	int np = pe->map.nparams;
	Subset w = { np, arena_alloc(a, sizeof(SymRange) * (size_t)(np + 1)) };
	for (int k = 0; k < np; k++) {
		int d = O->dimof[k];
		w.r[d].begin = sym_add(a, pe->map.ranges[k].begin, O->off[d]);
		w.r[d].end = sym_add(a, pe->map.ranges[k].end, O->off[d]);
		w.r[d].step = sym_const(a, 1);
	}
	return subset_print(a, &w);
}

/* Does the index s (one element) name a different element in every
 * iteration of map entry e: every param in exactly one dimension, with a
 * nonzero coefficient, and no dimension with two? */
static bool
injective(Arena *a, const Subset *s, const IrNode *e)
{
	int np = e->map.nparams;
	int *used = arena_alloc(a, sizeof(int) * (size_t)(np + 1));
	for (int d = 0; d < s->ndim; d++) {
		int n = 0;
		for (int k = 0; k < np; k++) {
			int64_t c;
			if (!sym_depends_on(s->r[d].begin, e->map.params[k]))
				continue;
			if (!sym_coef_of(s->r[d].begin, e->map.params[k], &c) || c == 0)
				return false;
			used[k]++;
			n++;
		}
		if (n > 1)
			return false;
	}
	for (int k = 0; k < np; k++)
		if (used[k] != 1)
			return false;
	return true;
}

/* Is the read subset s of T (by reader R) one element, a different one
 * in each iteration, inside what the producer wrote, over R's whole
 * range? */
static const char *
read_inside(Ctx *ctx, const Otf *O, const FuseReader *R, const Subset *s)
{
	Arena *a = ctx->arena;
	const IrNode *pe = pass_map_entry(&O->pr.P), *ce = pass_map_entry(&R->C);
	const char *C = pass_map_label(&R->C);
	for (int d = 0; d < s->ndim; d++)
		if (!sym_equal(s->r[d].end, sym_addc(a, s->r[d].begin, 1)))
			return arena_printf(a, "'%s' reads %s%s, not one element", C, O->pr.t,
					    subset_print(a, s));
	if (!injective(a, s, ce))
		return arena_printf(a, "'%s' reads %s%s in several of its iterations (the "
				    "index does not use each of its parameters once): "
				    "recomputing would repeat the work of '%s' for each", C,
				    O->pr.t, subset_print(a, s), pass_map_label(&O->pr.P));
	for (int k = 0; k < pe->map.nparams; k++) {
		int d = O->dimof[k];
		Sym *ix = sym_sub(a, s->r[d].begin, O->off[d]);
		Sym *lo = index_bound(a, ix, ce, false), *hi = index_bound(a, ix, ce, true);
		if (!lo || !hi)
			return arena_printf(a, "'%s' reads %s%s at an index that is not affine in "
					    "its parameters", C, O->pr.t, subset_print(a, s));
		const SymRange *pr = &pe->map.ranges[k];
		if (sym_le(pr->begin, lo) != T_TRUE || sym_le(hi, sym_addc(a, pr->end, -1)) != T_TRUE)
			return arena_printf(a, "'%s' reads %s%s, which may lie outside the "
					    "elements %s%s that '%s' writes", C, O->pr.t,
					    subset_print(a, s), O->pr.t, written(a, O),
					    pass_map_label(&O->pr.P));
	}
	return NULL;
}

/* Checks reader R: one tasklet, plain ranges, T read only into the
 * tasklet, each read one element inside what the producer wrote. */
static const char *
reader_ok(Ctx *ctx, const Otf *O, FuseReader *R)
{
	const char *why;
	if ((why = pass_fusion_sole_tasklet(ctx, &R->C, "reader", &R->ctask)))
		return why;
	if (!ranges_plain(pass_map_entry(&R->C), false))
		return arena_printf(ctx->arena, "the ranges of '%s' depend on its parameters",
				    pass_map_label(&R->C));
	const IrState *s = R->C.state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->src != R->C.entry || !pass_streq(m->src_conn, R->tconn))
			continue;
		if (m->dst != R->ctask || !pass_streq(m->data, O->pr.t))
			return arena_printf(ctx->arena, "'%s' is used elsewhere in '%s'", O->pr.t,
					    pass_map_label(&R->C));
		if ((why = read_inside(ctx, O, R, &m->subset)))
			return why;
	}
	return NULL;
}

int
pass_op_work(const IrExpr *e)
{
	if (e->kind != EX_OP)
		return e->kind == EX_IN ? 1 : 0;
	bool cheap = e->op == OP_DIV || e->op == OP_SQRT || e->op == OP_FLOOR ||
		e->op == OP_CEIL || e->op == OP_TRUNC || e->op == OP_RINT;
	bool fn = ir_op_class(e->op) == OPC_FN || e->op == OP_POW;
	return fn && !cheap ? OTF_FN_COST : 1;
}

/* The work of one evaluation of e (pass_op_work summed over its nodes). */
static int
work_of(const IrExpr *e)
{
	int w = pass_op_work(e);
	for (int i = 0; i < e->n; i++)
		w += work_of(e->args[i]);
	return w;
}

/* Is input connector `conn` of R's tasklet one of its reads of T? */
static bool
reads_t_conn(const FuseReader *R, const char *conn)
{
	const IrState *s = R->C.state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst == R->ctask && pass_streq(m->dst_conn, conn))
			return m->src == R->C.entry && pass_streq(m->src_conn, R->tconn);
	}
	return false;
}

/* How many times R's expression reads T (each read is one evaluation of
 * the producer's expression once fused). */
static int
t_reads(const FuseReader *R, const IrExpr *e)
{
	int n = e->kind == EX_IN && reads_t_conn(R, e->name) ? 1 : 0;
	for (int i = 0; i < e->n; i++)
		n += t_reads(R, e->args[i]);
	return n;
}

static const char *
cost_ok(Ctx *ctx, const Otf *O)
{
	int work = work_of(O->pr.P.state->nodes.data[O->pr.ptask].tasklet.expr);
	for (int k = 0; k < O->rd.len; k++) {
		const FuseReader *R = &O->rd.data[k];
		int n = t_reads(R, R->C.state->nodes.data[R->ctask].tasklet.expr);
		if (n * work > OTF_MAX_COST)
			return arena_printf(ctx->arena, "recomputing '%s' in '%s' costs %d reads x "
					    "%d work per element = %d, more than %d: the temporary "
					    "is cheaper", O->pr.t, pass_map_label(&R->C), n, work,
					    n * work, OTF_MAX_COST);
	}
	return NULL;
}

/* The whole legality check; fills O for apply. */
static const char *
analyse(Ctx *ctx, const XSite *site, Otf *O)
{
	const char *why;
	*O = (Otf){ .pr.p = site->p };
	if (!pass_find_map(site->p, site->names[0], &O->pr.P))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	if (!pass_find_block(O->pr.p, O->pr.P.block->name, &O->pr.list, &O->pr.pindex))
		ICE("map in a state without a block");
	if ((why = pass_fusion_sole_tasklet(ctx, &O->pr.P, "producer", &O->pr.ptask)) ||
	    (why = producer_output(ctx, O)) || (why = find_readers(ctx, O)))
		return why;
	for (int k = 0; k < O->rd.len; k++)
		if ((why = reader_ok(ctx, O, &O->rd.data[k])))
			return why;
	if ((why = pass_fusion_producer_inputs(ctx, &O->pr, O->rd.data, O->rd.len, O->last,
					       arena_printf(ctx->arena, "maybe before a map "
							    "that reads '%s'", O->pr.t))))
		return why;
	return cost_ok(ctx, O);
}

static const char *
otf_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Otf O;
	return analyse(ctx, site, &O);
}

/* ---- apply ---- */

/* The producer's params (in the reader's) of the iteration that wrote the
 * element T`s` the reader reads. */
static Sym **
read_params(Arena *a, const Otf *O, const Subset *s)
{
	int np = pass_map_entry(&O->pr.P)->map.nparams;
	Sym **val = arena_alloc(a, sizeof(Sym *) * (size_t)(np + 1));
	for (int k = 0; k < np; k++)
		val[k] = sym_sub(a, s->r[O->dimof[k]].begin, O->off[O->dimof[k]]);
	return val;
}

/* Replaces every read of T in R's tasklet by the producer's expression at
 * the element read. */
static void
rewrite_reader(Ctx *ctx, const Otf *O, const FuseReader *R)
{
	Arena *a = ctx->arena;
	IrState *cs = R->C.state;
	IrNode ct = cs->nodes.data[R->ctask];
	int cn = ct.tasklet.nin, pn = O->pr.P.state->nodes.data[O->pr.ptask].tasklet.nin;
	FuseConns k = pass_fusion_conns_kept(ctx, R, cn * pn, true);
	IrExpr **with = arena_alloc(a, sizeof(IrExpr *) * (size_t)(cn + 1));
	for (int i = 0; i < cn; i++) {
		if (!reads_t_conn(R, ct.tasklet.in[i].name))
			continue;
		Subset s = pass_memlet_into(cs, R->ctask, ct.tasklet.in[i].name)->subset;
		with[i] = pass_fusion_recompute(ctx, &O->pr, R, read_params(a, O, &s), &k);
	}
	pass_fusion_replace_reads(ctx, R, &k, with);
}

static void
otf_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Otf O;
	if (analyse(ctx, site, &O))
		ICE("otf-map-fusion applied where it does not apply");
	for (int k = 0; k < O.rd.len; k++) {
		rewrite_reader(ctx, &O, &O.rd.data[k]);
		pass_fusion_keep_in_scope(ctx, &O.rd.data[k]);
	}
	pass_fusion_remove(ctx, &O.pr, O.rd.data, O.rd.len);
}

static void
otf_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_otf_fusion, out);
}

const Xform xform_otf_fusion = {
	.name = "otf-map-fusion",
	.desc = "fuses a producer map into every map that reads its temporary, at any "
		"offsets, recomputing each element read; removes the temporary",
	.nsites = 1,
	.params = NULL,
	.match = otf_match,
	.check = otf_check,
	.apply = otf_apply,
};
