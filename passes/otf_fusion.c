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
 * itself are removed.
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

typedef struct Reader {
	MapRef C;
	int cindex;             /* its state's block in the producer's list */
	int ctask;              /* its single tasklet */
	int cin;                /* memlet: T's access node -> its entry */
	int r;                  /* that access node */
	const char *tconn;      /* "OUT_x": the entry's connector of T */
} Reader;

typedef struct Otf {
	IrProgram *p;
	MapRef P;
	IrBlockList *list;      /* block list holding the producer's state */
	int pindex;             /* the producer's block in it */
	int ptask, pwrite, pout, w;
	const char *t;          /* the transient T */
	int *dimof;             /* producer param k -> dimension of T it indexes */
	Sym **off;              /* dimension d of the write index: p + off[d] */
	int last;               /* block index of the last reader */
	VEC(Reader) rd;
	const char *why;        /* first refusal found while scanning T's uses */
} Otf;

static bool
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static const char *
suffix(const char *conn, const char *prefix)
{
	size_t k = strlen(prefix);
	return conn && strncmp(conn, prefix, k) == 0 ? conn + k : NULL;
}

static IrNode *
entry_of(const MapRef *m)
{
	return &m->state->nodes.data[m->entry];
}

static const char *
label(const MapRef *m)
{
	return entry_of(m)->label;
}

/* ---- legality: the producer ---- */

/* Fills O->dimof and O->off from the write index w of T: every dimension
 * p_k + r with r free of the params, every param in one dimension. */
static bool
invertible(Arena *a, Otf *O, const Subset *w)
{
	const IrNode *e = entry_of(&O->P);
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
			if (streq(x->name, e->map.params[k]))
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
	const IrState *s = O->P.state;
	const IrNode *e = entry_of(&O->P);
	const char *P = label(&O->P);
	O->pwrite = pass_only_out(s, O->ptask);
	const IrMemlet *m = O->pwrite >= 0 ? &s->memlets.data[O->pwrite] : NULL;
	if (!m || !m->data || m->dst != e->map.exit)
		return arena_printf(a, "the tasklet of '%s' must write one element through "
				    "the map's exit", P);
	O->t = m->data;
	if (m->wcr != WCR_NONE)
		return arena_printf(a, "'%s' writes '%s' with write-conflict resolution '%s': "
				    "its elements are not computed one by one", P, O->t,
				    ir_wcr_name(m->wcr));
	O->pout = pass_only_out(s, e->map.exit);
	const IrMemlet *o = O->pout >= 0 ? &s->memlets.data[O->pout] : NULL;
	if (!o || !streq(o->data, O->t) || o->wcr != WCR_NONE ||
	    s->nodes.data[o->dst].kind != IRN_ACCESS ||
	    !streq(s->nodes.data[o->dst].access.data, O->t))
		return arena_printf(a, "'%s' must write only '%s', into one access node", P, O->t);
	O->w = o->dst;
	const IrContainer *c = ir_program_find_container(O->p, O->t);
	if (!c || c->role != ROLE_TRANSIENT)
		return arena_printf(a, "'%s' is not a transient: its values are needed after "
				    "the maps", O->t);
	if (!invertible(a, O, &m->subset))
		return arena_printf(a, "'%s' writes %s%s: recomputing an element needs an index "
				    "p + c per dimension, each parameter of the map in one",
				    P, O->t, subset_print(a, &m->subset));
	if (!ranges_plain(e, true))
		return arena_printf(a, "the ranges of '%s' must have step 1 and bounds free of "
				    "its parameters", P);
	if (uses_param(s->nodes.data[O->ptask].tasklet.expr, e))
		return arena_printf(a, "the tasklet of '%s' uses a map parameter as a value", P);
	return NULL;
}

/* ---- legality: T's uses and the readers ---- */

/* Is s the state of block k of O->list, for some k >= O->pindex? Sets *k. */
static bool
in_list_after(const Otf *O, const IrState *s, int *k)
{
	for (*k = O->pindex; *k < O->list->len; (*k)++)
		if (O->list->data[*k]->kind == CF_STATE && O->list->data[*k]->state == s)
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
	if (dst->kind != IRN_MAP_ENTRY || !dst->label || !suffix(m->dst_conn, "IN_") ||
	    ir_state_scope_of(s, m->dst) >= 0) {
		O->why = arena_printf(ctx->arena, "'%s' is also read in '%s' by something other "
				      "than a top-level map, which otf-map-fusion does not fuse",
				      O->t, s->name);
		return;
	}
	for (int j = 0; j < O->rd.len; j++)
		if (O->rd.data[j].C.state == s && O->rd.data[j].C.entry == m->dst) {
			O->why = arena_printf(ctx->arena, "'%s' reads '%s' on several connectors",
					      dst->label, O->t);
			return;
		}
	Reader R = { .C = { s, m->dst, b }, .cindex = k, .cin = i, .r = m->src };
	R.tconn = arena_printf(ctx->arena, "OUT_%s", suffix(m->dst_conn, "IN_"));
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
		if (n->kind != IRN_ACCESS || !streq(n->access.data, O->t))
			continue;
		bool used = false;
		for (int j = 0; j < s->memlets.len && !O->why; j++) {
			const IrMemlet *m = &s->memlets.data[j];
			if (m->dst == i && s == O->P.state && j == O->pout) {
				used = true;
			} else if (m->dst == i) {
				O->why = arena_printf(S->ctx->arena, "'%s' is also written in '%s'",
						      O->t, s->name);
			} else if (m->src == i && !streq(m->data, O->t)) {
				O->why = arena_printf(S->ctx->arena, "'%s' is copied in '%s', which "
						      "otf-map-fusion does not fuse", O->t, s->name);
			} else if (m->src == i) {
				used = true;
				if (!after)
					O->why = arena_printf(S->ctx->arena, "'%s' is also read in "
							      "'%s', which is not after '%s' "
							      "in its block list", O->t,
							      s->name, label(&O->P));
				else
					add_reader(S->ctx, O, s, b, k, j);
			}
		}
		if (!used && !O->why)
			O->why = arena_printf(S->ctx->arena, "'%s' has an access node in '%s' that "
					      "neither the producer nor a reader uses", O->t, s->name);
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
		if (!streq(m->data, O->t))
			continue;
		bool ok = (s == O->P.state && (j == O->pwrite || j == O->pout));
		for (int i = 0; i < O->rd.len && !ok; i++) {
			const Reader *R = &O->rd.data[i];
			ok = s == R->C.state && (j == R->cin || (m->src == R->C.entry &&
								  streq(m->src_conn, R->tconn)));
		}
		if (!ok)
			O->why = arena_printf(S->ctx->arena, "'%s' is used in '%s' in a way "
					      "otf-map-fusion does not fuse", O->t, s->name);
	}
}

static const char *
find_readers(Ctx *ctx, Otf *O)
{
	Scan S = { ctx, O };
	O->last = O->pindex;
	pass_foreach_state(O->p, scan_state, &S);
	if (!O->why)
		pass_foreach_state(O->p, scan_memlets, &S);
	if (O->why)
		return O->why;
	if (O->rd.len == 0)
		return arena_printf(ctx->arena, "no map reads '%s'", O->t);
	if (pass_cond_reads(O->p, O->t))
		return arena_printf(ctx->arena, "'%s' is read by a loop or branch condition", O->t);
	for (int k = O->pindex + 1; k < O->last; k++)
		if (O->list->data[k]->kind != CF_STATE)
			return arena_printf(ctx->arena, "a block other than a state ('%s') stands "
					    "between '%s' and a map that reads '%s'",
					    O->list->data[k]->name ? O->list->data[k]->name : "?",
					    label(&O->P), O->t);
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
	const IrNode *pe = entry_of(&O->P);
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
read_inside(Ctx *ctx, const Otf *O, const Reader *R, const Subset *s)
{
	Arena *a = ctx->arena;
	const IrNode *pe = entry_of(&O->P), *ce = entry_of(&R->C);
	const char *C = label(&R->C);
	for (int d = 0; d < s->ndim; d++)
		if (!sym_equal(s->r[d].end, sym_addc(a, s->r[d].begin, 1)))
			return arena_printf(a, "'%s' reads %s%s, not one element", C, O->t,
					    subset_print(a, s));
	if (!injective(a, s, ce))
		return arena_printf(a, "'%s' reads %s%s in several of its iterations (the "
				    "index does not use each of its parameters once): "
				    "recomputing would repeat the work of '%s' for each", C,
				    O->t, subset_print(a, s), label(&O->P));
	for (int k = 0; k < pe->map.nparams; k++) {
		int d = O->dimof[k];
		Sym *ix = sym_sub(a, s->r[d].begin, O->off[d]);
		Sym *lo = index_bound(a, ix, ce, false), *hi = index_bound(a, ix, ce, true);
		if (!lo || !hi)
			return arena_printf(a, "'%s' reads %s%s at an index that is not affine in "
					    "its parameters", C, O->t, subset_print(a, s));
		const SymRange *pr = &pe->map.ranges[k];
		if (sym_le(pr->begin, lo) != T_TRUE || sym_le(hi, sym_addc(a, pr->end, -1)) != T_TRUE)
			return arena_printf(a, "'%s' reads %s%s, which may lie outside the "
					    "elements %s%s that '%s' writes", C, O->t,
					    subset_print(a, s), O->t, written(a, O),
					    label(&O->P));
	}
	return NULL;
}

/* Checks reader R: one tasklet, plain ranges, T read only into the
 * tasklet, each read one element inside what the producer wrote. */
static const char *
reader_ok(Ctx *ctx, const Otf *O, Reader *R)
{
	const char *why;
	if ((why = pass_fusion_sole_tasklet(ctx, &R->C, "reader", &R->ctask)))
		return why;
	if (!ranges_plain(entry_of(&R->C), false))
		return arena_printf(ctx->arena, "the ranges of '%s' depend on its parameters",
				    label(&R->C));
	const IrState *s = R->C.state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->src != R->C.entry || !streq(m->src_conn, R->tconn))
			continue;
		if (m->dst != R->ctask || !streq(m->data, O->t))
			return arena_printf(ctx->arena, "'%s' is used elsewhere in '%s'", O->t,
					    label(&R->C));
		if ((why = read_inside(ctx, O, R, &m->subset)))
			return why;
	}
	return NULL;
}

/* The reader that writes x through its exit, or NULL. */
static const Reader *
reader_writing(const Otf *O, const char *x)
{
	for (int k = 0; k < O->rd.len; k++) {
		const Reader *R = &O->rd.data[k];
		const IrState *s = R->C.state;
		int exit = entry_of(&R->C)->map.exit;
		for (int i = 0; i < s->memlets.len; i++)
			if (s->memlets.data[i].src == exit && streq(s->memlets.data[i].data, x))
				return R;
	}
	return NULL;
}

static const char *
producer_inputs(Ctx *ctx, const Otf *O)
{
	Arena *a = ctx->arena;
	const IrState *s = O->P.state;
	const char *P = label(&O->P), *where;
	const Reader *R;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst != O->P.entry)
			continue;
		const IrNode *src = &s->nodes.data[m->src];
		if (!m->data || src->kind != IRN_ACCESS || !streq(src->access.data, m->data))
			return arena_printf(a, "'%s' has an input that does not come from an "
					    "access node", P);
		if ((R = reader_writing(O, m->data)))
			return arena_printf(a, "'%s' writes '%s', which '%s' reads: the fused map "
					    "would read and write it in one parallel loop",
					    label(&R->C), m->data, P);
		if ((where = pass_fusion_written_between(O->list, O->pindex, O->last, &O->P,
							 m->data)))
			return arena_printf(a, "'%s', which '%s' reads, is also written in '%s', "
					    "maybe before a map that reads '%s'", m->data, P,
					    where, O->t);
	}
	return NULL;
}

/* The work of one evaluation of e: a load or an operator 1, a math
 * function other than sqrt, abs and the roundings (and pow) OTF_FN_COST,
 * constants, symbols and conversions 0. */
static int
work_of(const IrExpr *e)
{
	int w = e->kind == EX_IN ? 1 : 0;
	if (e->kind == EX_OP) {
		bool cheap = e->op == OP_DIV || e->op == OP_SQRT || e->op == OP_FLOOR ||
			e->op == OP_CEIL || e->op == OP_TRUNC || e->op == OP_RINT;
		bool fn = ir_op_class(e->op) == OPC_FN || e->op == OP_POW;
		w = fn && !cheap ? OTF_FN_COST : 1;
	}
	for (int i = 0; i < e->n; i++)
		w += work_of(e->args[i]);
	return w;
}

/* Is input connector `conn` of R's tasklet one of its reads of T? */
static bool
reads_t_conn(const Reader *R, const char *conn)
{
	const IrState *s = R->C.state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst == R->ctask && streq(m->dst_conn, conn))
			return m->src == R->C.entry && streq(m->src_conn, R->tconn);
	}
	return false;
}

/* How many times R's expression reads T (each read is one evaluation of
 * the producer's expression once fused). */
static int
t_reads(const Reader *R, const IrExpr *e)
{
	int n = e->kind == EX_IN && reads_t_conn(R, e->name) ? 1 : 0;
	for (int i = 0; i < e->n; i++)
		n += t_reads(R, e->args[i]);
	return n;
}

static const char *
cost_ok(Ctx *ctx, const Otf *O)
{
	int work = work_of(O->P.state->nodes.data[O->ptask].tasklet.expr);
	for (int k = 0; k < O->rd.len; k++) {
		const Reader *R = &O->rd.data[k];
		int n = t_reads(R, R->C.state->nodes.data[R->ctask].tasklet.expr);
		if (n * work > OTF_MAX_COST)
			return arena_printf(ctx->arena, "recomputing '%s' in '%s' costs %d reads x "
					    "%d work per element = %d, more than %d: the temporary "
					    "is cheaper", O->t, label(&R->C), n, work, n * work,
					    OTF_MAX_COST);
	}
	return NULL;
}

/* The whole legality check; fills O for apply. */
static const char *
analyse(Ctx *ctx, const XSite *site, Otf *O)
{
	const char *why;
	*O = (Otf){ .p = site->p };
	if (!pass_find_map(site->p, site->names[0], &O->P))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	if (!pass_find_block(O->p, O->P.block->name, &O->list, &O->pindex))
		ICE("map in a state without a block");
	if ((why = pass_fusion_sole_tasklet(ctx, &O->P, "producer", &O->ptask)) ||
	    (why = producer_output(ctx, O)) || (why = find_readers(ctx, O)))
		return why;
	for (int k = 0; k < O->rd.len; k++)
		if ((why = reader_ok(ctx, O, &O->rd.data[k])))
			return why;
	if ((why = producer_inputs(ctx, O)))
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

/* s with the producer's params replaced by val[k], all at once. */
static Sym *
sym_params(Arena *a, Sym *s, const IrNode *pe, Sym **val)
{
	for (int k = 0; k < pe->map.nparams; k++)
		s = sym_subst(a, s, pe->map.params[k], sym_var(a, arena_printf(a, "#%d", k)));
	for (int k = 0; k < pe->map.nparams; k++)
		s = sym_subst(a, s, arena_printf(a, "#%d", k), val[k]);
	return s;
}

static Subset
subset_params(Arena *a, const Subset *s, const IrNode *pe, Sym **val)
{
	Subset o = { s->ndim, arena_alloc(a, sizeof(SymRange) * (size_t)(s->ndim + 1)) };
	for (int d = 0; d < s->ndim; d++) {
		o.r[d].begin = sym_params(a, s->r[d].begin, pe, val);
		o.r[d].end = sym_params(a, s->r[d].end, pe, val);
		o.r[d].step = sym_params(a, s->r[d].step, pe, val);
	}
	return o;
}

/* The producer's params (in the reader's) of the iteration that wrote the
 * element T`s` the reader reads. */
static Sym **
read_params(Arena *a, const Otf *O, const Subset *s)
{
	int np = entry_of(&O->P)->map.nparams;
	Sym **val = arena_alloc(a, sizeof(Sym *) * (size_t)(np + 1));
	for (int k = 0; k < np; k++)
		val[k] = sym_sub(a, s->r[O->dimof[k]].begin, O->off[O->dimof[k]]);
	return val;
}

/* Input connector renames and replacements by expressions. */
typedef struct Rewrite {
	int n;
	const char **from;
	const char **to;        /* a new name, or NULL when with[i] replaces it */
	IrExpr **with;
} Rewrite;

/* Copy of e (a tree: nothing shared) with the inputs of rw renamed or
 * replaced by copies of their expressions. */
static IrExpr *
expr_rewrite(Arena *a, const IrExpr *e, const Rewrite *rw)
{
	for (int i = 0; e->kind == EX_IN && rw && i < rw->n; i++)
		if (streq(e->name, rw->from[i]) && !rw->to[i])
			return expr_rewrite(a, rw->with[i], NULL);
	IrExpr *o = arena_alloc(a, sizeof(IrExpr));
	*o = *e;
	for (int i = 0; e->kind == EX_IN && rw && i < rw->n; i++)
		if (streq(e->name, rw->from[i]))
			o->name = rw->to[i];
	if (e->n > 0) {
		o->args = arena_alloc(a, sizeof(IrExpr *) * (size_t)e->n);
		for (int i = 0; i < e->n; i++)
			o->args[i] = expr_rewrite(a, e->args[i], rw);
	}
	return o;
}

static IrExpr *
convert(Arena *a, IrExpr *e, DType t)
{
	return e->dtype == t ? e : ir_expr_cast(a, t, e);
}

/* The connector of R's tasklet, among in[0..n), that reads `sub` of x
 * through the entry's OUT_<ex> with dtype t; NULL if none. */
static const char *
existing_read(const Reader *R, const IrConn *in, int n, const char *ex, const char *x,
	      const Subset *sub, DType t)
{
	const IrState *s = R->C.state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->src != R->C.entry || m->dst != R->ctask ||
		    !streq(suffix(m->src_conn, "OUT_"), ex) || !streq(m->data, x) ||
		    !subset_equal(&m->subset, sub))
			continue;
		for (int k = 0; k < n; k++)
			if (streq(in[k].name, m->dst_conn) && in[k].dtype == t)
				return m->dst_conn;
	}
	return NULL;
}

/* A fresh input connector "in<k>" for R's tasklet: none of its original
 * connectors' names (in[0..n) holds the ones added so far). */
static const char *
fresh_conn(Ctx *ctx, const Reader *R, const IrConn *in, int n, int *next)
{
	for (;;) {
		const char *c = arena_printf(ctx->arena, "in%d", (*next)++);
		bool used = pass_conn_taken(R->C.state, R->ctask, c);
		for (int k = 0; k < n && !used; k++)
			used = streq(in[k].name, c);
		if (!used)
			return c;
	}
}

/* Routes producer input connector c, at the iteration val, into R and
 * returns the tasklet connector carrying it: one of in[0..n) that already
 * reads the same element, or `cname` with a new memlet. */
static const char *
route_input(Ctx *ctx, const Otf *O, const Reader *R, const IrConn *c, Sym **val,
	    const IrConn *in, int n, const char *cname)
{
	const IrState *ps = O->P.state;
	IrMemlet inner = *pass_memlet_into(ps, O->ptask, c->name);
	const char *px = suffix(inner.src_conn, "OUT_");
	if (inner.src != O->P.entry || !px)
		ICE("producer input '%s' does not come through its entry", c->name);
	IrMemlet outer = *pass_memlet_into(ps, O->P.entry, arena_printf(ctx->arena, "IN_%s", px));
	int node = R->C.state == ps ? outer.src
				      : pass_fusion_reader_access(ctx, &R->C, outer.data, outer.loc);
	const char *x = pass_fusion_entry_conn(ctx, &R->C, node, &outer);
	Subset sub = subset_params(ctx->arena, &inner.subset, entry_of(&O->P), val);
	const char *old = existing_read(R, in, n, x, inner.data, &sub, c->dtype);
	if (old)
		return old;
	ir_state_add_memlet(ctx, R->C.state, R->C.entry, arena_printf(ctx->arena, "OUT_%s", x),
			    R->ctask, cname, inner.data, sub, WCR_NONE, inner.loc);
	return cname;
}

/* The producer's expression at iteration val, over connectors of R's
 * tasklet (added to in[], *n), converted as the store into T and the load
 * into a connector of dtype t converted it. */
static IrExpr *
recompute(Ctx *ctx, const Otf *O, const Reader *R, Sym **val, IrConn *in, int *n, int *next,
	  DType t)
{
	Arena *a = ctx->arena;
	const IrNode *pt = &O->P.state->nodes.data[O->ptask];
	int pn = pt->tasklet.nin;
	Rewrite rw = { pn, arena_alloc(a, sizeof(char *) * (size_t)(pn + 1)),
		       arena_alloc(a, sizeof(char *) * (size_t)(pn + 1)), NULL };
	for (int k = 0; k < pn; k++) {
		const IrConn *c = &pt->tasklet.in[k];
		int save = *next;
		const char *cname = fresh_conn(ctx, R, in, *n, next);
		rw.from[k] = c->name;
		rw.to[k] = route_input(ctx, O, R, c, val, in, *n, cname);
		if (rw.to[k] == cname)
			in[(*n)++] = (IrConn){ cname, c->dtype };
		else
			*next = save;
	}
	IrExpr *e = expr_rewrite(a, pt->tasklet.expr, &rw);
	e = convert(a, e, pt->tasklet.out.dtype);
	e = convert(a, e, ir_program_find_container(O->p, O->t)->dtype);
	return convert(a, e, t);
}

/* Replaces every read of T in R's tasklet by the producer's expression at
 * the element read. */
static void
rewrite_reader(Ctx *ctx, const Otf *O, const Reader *R)
{
	Arena *a = ctx->arena;
	IrState *cs = R->C.state;
	IrNode ct = cs->nodes.data[R->ctask];
	int cn = ct.tasklet.nin, pn = O->P.state->nodes.data[O->ptask].tasklet.nin;
	int nin = 0, next = 0;
	IrConn *in = arena_alloc(a, sizeof(IrConn) * (size_t)(cn * (pn + 1) + 1));
	Rewrite rw = { 0, arena_alloc(a, sizeof(char *) * (size_t)(cn + 1)),
		       arena_alloc(a, sizeof(char *) * (size_t)(cn + 1)),
		       arena_alloc(a, sizeof(IrExpr *) * (size_t)(cn + 1)) };
	for (int i = 0; i < cn; i++)
		if (!reads_t_conn(R, ct.tasklet.in[i].name))
			in[nin++] = ct.tasklet.in[i];
	for (int i = 0; i < cn; i++) {
		IrConn c = ct.tasklet.in[i];
		if (!reads_t_conn(R, c.name))
			continue;
		Subset s = pass_memlet_into(cs, R->ctask, c.name)->subset;
		Sym **val = read_params(a, O, &s);
		rw.from[rw.n] = c.name;
		rw.to[rw.n] = NULL;
		rw.with[rw.n++] = recompute(ctx, O, R, val, in, &nin, &next, c.dtype);
	}
	IrNode *t = &cs->nodes.data[R->ctask];
	t->tasklet.expr = expr_rewrite(a, t->tasklet.expr, &rw);
	t->tasklet.nin = nin;
	t->tasklet.in = in;
}

/* Adds an empty memlet entry -> tasklet when R's tasklet would otherwise
 * lose its last one (a producer without inputs). */
static void
keep_in_scope(Ctx *ctx, const Reader *R)
{
	IrState *s = R->C.state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->src == R->C.entry && m->dst == R->ctask && !streq(m->src_conn, R->tconn))
			return;
	}
	ir_state_add_memlet(ctx, s, R->C.entry, NULL, R->ctask, NULL, NULL, (Subset){ 0 },
			    WCR_NONE, s->nodes.data[R->ctask].loc);
}

typedef struct Dead {
	bool *node, *memlet;
} Dead;

/* Removes from s the readers' reads of T, T's access nodes and, in the
 * producer's state, the producer and its orphaned inputs. */
static void
clean_state(Ctx *ctx, const Otf *O, IrState *s)
{
	Arena *a = ctx->arena;
	Dead d = { arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1)),
		   arena_alloc(a, sizeof(bool) * (size_t)(s->memlets.len + 1)) };
	for (int k = 0; k < O->rd.len; k++) {
		const Reader *R = &O->rd.data[k];
		if (R->C.state != s)
			continue;
		d.node[R->r] = true;
		for (int i = 0; i < s->memlets.len; i++)
			d.memlet[i] |= i == R->cin || (s->memlets.data[i].src == R->C.entry &&
						       streq(s->memlets.data[i].src_conn, R->tconn));
	}
	if (s == O->P.state) {
		const IrNode *e = entry_of(&O->P);
		d.node[O->P.entry] = d.node[e->map.exit] = d.node[O->ptask] = d.node[O->w] = true;
		pass_fusion_mark_orphans(O->P.state, O->P.entry, d.node, d.memlet);
	}
	pass_state_remove(ctx, s, d.node, d.memlet);
}

static void
otf_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Otf O;
	if (analyse(ctx, site, &O))
		ICE("otf-map-fusion applied where it does not apply");
	for (int k = 0; k < O.rd.len; k++) {
		rewrite_reader(ctx, &O, &O.rd.data[k]);
		keep_in_scope(ctx, &O.rd.data[k]);
	}
	for (int k = 0; k < O.rd.len; k++) {
		bool seen = O.rd.data[k].C.state == O.P.state;
		for (int j = 0; j < k && !seen; j++)
			seen = O.rd.data[j].C.state == O.rd.data[k].C.state;
		if (!seen)
			clean_state(ctx, &O, O.rd.data[k].C.state);
	}
	clean_state(ctx, &O, O.P.state);
	if (O.P.state->nodes.len == 0)
		pass_block_remove(O.list, O.pindex);
	pass_container_remove(O.p, O.t);
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
