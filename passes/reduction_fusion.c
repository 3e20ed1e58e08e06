/* passes/reduction_fusion.c — fusing a map into the reduction that alone
 * consumes its temporary: `t = a * b` then `s = np.sum(t)` (or
 * `r = t.sum(axis=1)`) accumulates every product straight into s, and t
 * disappears.
 *
 *   a -> map_P [i] { t[i] = f(a[i]) } -> t
 *   s = 0
 *   t -> map_R [i] { s[] += t[i] (sum) } -> s
 *   ==>
 *   s = 0
 *   a -> map_R [i] { s[] += f(a[i]) (sum) } -> s
 *
 * Sites: [producer, reduction] map labels. The analysis and the apply are
 * map-fusion's (map_fusion.c, with `reduce` set), so every rule of
 * map-fusion holds: one tasklet per map, equal ranges, the producer
 * writing a transient T one element per iteration, the reduction reading
 * T only at the element the producer writes in the same iteration, T used
 * nowhere else, the producer's inputs written neither by the reduction
 * nor between the two maps. In addition the reduction's tasklet must
 * write its one result with write-conflict resolution, and the reduction
 * may stand further down than the next state: in any later state of the
 * producer's block list, with only states between (typically the one
 * that fills the accumulator), none of which writes a producer input.
 * The fused computation then runs where the reduction ran, which is
 * sound because the producer writes nothing but T.
 *
 * reduction-into-producer is the other way round, for a T that must stay
 * (an argument, a return value, or a transient that later states read):
 * the reduction moves into the producer, whose tasklet writes T and,
 * through a second memlet, accumulates the same value.
 *
 *   a -> map_P [i] { t[i] = f(a[i]) } -> t      (t returned)
 *   s = 0
 *   t -> map_R [i] { s[] += t[i] (sum) } -> s
 *   ==>
 *   s = 0
 *   a -> map_P [i] { t[i] = f(a[i]); s[] += t[i] (sum) } -> t, s
 *
 * Sites: [producer, reduction]. Legality: reduction-fusion's rules on
 * the two maps (pass_fusion_analyse_kept: one tasklet each, equal ranges,
 * T written one element per iteration and read by the reduction only at
 * that element, the reduction's one WCR write, the states between), and:
 *   - the reduction's tasklet reads T alone, and its value is T's element
 *     converted without loss (`in:x`, `cast<int64>(in:x)` of a bool): a
 *     tasklet has one value, which both memlets carry, and the store into
 *     the accumulator converts it as the reduction did;
 *   - the accumulator A (the reduction's output) is not T and is not read
 *     by the producer;
 *   - between the two maps (the rest of the producer's state, the states
 *     between, the rest of the reduction's state) nothing writes T, and
 *     nothing touches A except one state between that only initialises
 *     it (writes A, with no WCR, and nothing else) and reads nothing the
 *     producer's state or the states before it write: that state moves
 *     before the producer's; in the reduction's state A may be read after
 *     the reduction, from the node it writes. Reads of T between are
 *     harmless: T holds the same values whichever map computes the sum.
 * The fused map keeps the producer's schedule: its WCR write into A is
 * the reduction's, re-expressed in the producer's params, so it is as
 * race-free as the reduction was (the OpenMP backend privatizes it or
 * runs it per row as it did). The reduction and its state, when emptied,
 * go; T stays.
 */
#include <string.h>

#include "passes.h"

static const char *
rf_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	return pass_fusion_check(ctx, site, true);
}

static void
rf_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	pass_fusion_apply(ctx, site, true);
}

static void
rf_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_fusion_match(ctx, p, true, out);
}

const Xform xform_reduction_fusion = {
	.name = "reduction-fusion",
	.desc = "fuses a producer map into the reduction that alone reads its temporary, "
		"accumulating each element directly and removing the temporary",
	.nsites = 2,
	.params = NULL,
	.match = rf_match,
	.check = rf_check,
	.apply = rf_apply,
};

/* ---- reduction-into-producer ---- */

typedef struct Keep {
	FuseProducer pr;
	FuseReader rd;
	int cw;                 /* memlet: the reduction's tasklet -> its exit */
	int co;                 /* memlet: its exit -> acc_node */
	int acc_node;           /* A's access node in the reduction's state */
	const char *acc;        /* the accumulator A */
	int init;               /* block of the list initialising A between; -1 */
} Keep;

/* Does every value of dtype f convert to t exactly? */
static bool
lossless(DType f, DType t)
{
	if (f == t || f == DT_BOOL)
		return true;
	if (dtype_is_int(f) && dtype_is_int(t)) {
		if (dtype_is_unsigned(f) == dtype_is_unsigned(t))
			return dtype_size(t) >= dtype_size(f);
		return dtype_is_unsigned(f) && dtype_size(t) > dtype_size(f);
	}
	if (dtype_is_int(f)) {
		int bits = 8 * dtype_size(f) - (dtype_is_unsigned(f) ? 0 : 1);
		int mant = t == DT_FLOAT32 || t == DT_COMPLEX64 ? 24 :
			   t == DT_FLOAT64 || t == DT_COMPLEX128 ? 53 : 0;
		return bits <= mant;
	}
	if (f == DT_FLOAT32)
		return t == DT_FLOAT64 || dtype_is_complex(t);
	return (f == DT_FLOAT64 || f == DT_COMPLEX64) && t == DT_COMPLEX128;
}

/* Is e the read of connector conn (of dtype from) through casts that
 * lose nothing? */
static bool
plain_read(const IrExpr *e, const char *conn, DType from)
{
	if (e->kind == EX_IN)
		return pass_streq(e->name, conn) && lossless(from, e->dtype);
	if (e->kind != EX_CAST || !plain_read(e->args[0], conn, from))
		return false;
	return lossless(e->args[0]->dtype, e->dtype);
}

/* The reduction's tasklet reads T alone and its value is T's element,
 * converted without loss; fills cw, co, acc_node and acc. */
static const char *
reduction_value(Ctx *ctx, Keep *K)
{
	const IrState *s = K->rd.C.state;
	const IrNode *t = &s->nodes.data[K->rd.ctask];
	const char *R = pass_map_entry(&K->rd.C)->label;
	DType tt = ir_program_find_container(K->pr.p, K->pr.t)->dtype;
	K->cw = pass_only_out(s, K->rd.ctask);
	K->co = pass_only_out(s, pass_map_entry(&K->rd.C)->map.exit);
	const IrMemlet *o = K->co >= 0 ? &s->memlets.data[K->co] : NULL;
	if (!o || s->nodes.data[o->dst].kind != IRN_ACCESS || !pass_streq(o->data,
	    s->memlets.data[K->cw].data) || !pass_streq(s->nodes.data[o->dst].access.data, o->data))
		return arena_printf(ctx->arena, "'%s' must write only its result, into one "
				    "access node", R);
	K->acc_node = o->dst;
	K->acc = o->data;
	if (t->tasklet.nin != 1 || !plain_read(t->tasklet.expr, t->tasklet.in[0].name, tt) ||
	    !lossless(t->tasklet.expr->dtype, t->tasklet.out.dtype))
		return arena_printf(ctx->arena, "the tasklet of '%s' computes more than its "
				    "element of '%s': the producer's tasklet, which would carry "
				    "both, has one value", R, K->pr.t);
	if (pass_streq(K->acc, K->pr.t))
		return arena_printf(ctx->arena, "'%s' accumulates into '%s', which it reads", R,
				    K->acc);
	return NULL;
}

static bool
is_access(const IrState *s, int id, const char *x)
{
	return s->nodes.data[id].kind == IRN_ACCESS && pass_streq(s->nodes.data[id].access.data, x);
}

/* What in state s, other than the two maps' own memlets and the reads of
 * A after the reduction, writes T or touches A (reason); NULL if nothing. */
static const char *
state_clean(Ctx *ctx, const Keep *K, const IrState *s)
{
	const IrState *ps = K->pr.P.state, *cs = K->rd.C.state;
	for (int i = 0; i < s->nodes.len; i++)
		if (is_access(s, i, K->acc) && !(s == cs && i == K->acc_node))
			return arena_printf(ctx->arena, "'%s' is also used in '%s', between the two "
					    "maps", K->acc, s->name);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if ((s == ps && (i == K->pr.pwrite || i == K->pr.pout)) ||
		    (s == cs && (i == K->cw || i == K->co)))
			continue;
		if (is_access(s, m->dst, K->pr.t))
			return arena_printf(ctx->arena, "'%s' is also written in '%s', between the "
					    "two maps", K->pr.t, s->name);
		if (pass_streq(m->data, K->acc) && !(s == cs && m->src == K->acc_node))
			return arena_printf(ctx->arena, "'%s' is also used in '%s', between the two "
					    "maps", K->acc, s->name);
	}
	return NULL;
}

static bool
touches(const IrState *s, const char *x)
{
	for (int i = 0; i < s->nodes.len; i++)
		if (is_access(s, i, x))
			return true;
	for (int i = 0; i < s->memlets.len; i++)
		if (pass_streq(s->memlets.data[i].data, x))
			return true;
	return false;
}

/* The name of a state of list[from..to] writing x; NULL if none. */
static const char *
written_in(const IrBlockList *list, int from, int to, const char *x)
{
	for (int k = from; k <= to; k++) {
		const IrState *s = list->data[k]->state;
		for (int i = 0; i < s->memlets.len; i++)
			if (is_access(s, s->memlets.data[i].dst, x))
				return s->name;
	}
	return NULL;
}

/* State k of the producer's list, between the maps, initialises A: it
 * writes A (without WCR) and nothing else, does not read A, and reads
 * nothing that the producer's state or a state before k writes, so it
 * can move before the producer's state. */
static const char *
init_movable(Ctx *ctx, const Keep *K, int k)
{
	const IrState *s = K->pr.list->data[k]->state;
	const char *where;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const IrNode *src = &s->nodes.data[m->src];
		if (s->nodes.data[m->dst].kind == IRN_ACCESS &&
		    (!is_access(s, m->dst, K->acc) || m->wcr != WCR_NONE))
			return arena_printf(ctx->arena, "'%s', between the two maps, does more than "
					    "set '%s'", s->name, K->acc);
		if (src->kind != IRN_ACCESS)
			continue;
		if (pass_streq(src->access.data, K->acc))
			return arena_printf(ctx->arena, "'%s', between the two maps, reads '%s'",
					    s->name, K->acc);
		if ((where = written_in(K->pr.list, K->pr.pindex, k - 1, src->access.data)))
			return arena_printf(ctx->arena, "'%s', which sets '%s', reads '%s', written in "
					    "'%s': it cannot move before '%s'", s->name, K->acc,
					    src->access.data, where, pass_map_entry(&K->pr.P)->label);
	}
	return NULL;
}

/* The rules between the two maps (file comment); sets K->init. */
static const char *
between(Ctx *ctx, Keep *K)
{
	const char *why;
	K->init = -1;
	if ((why = state_clean(ctx, K, K->pr.P.state)))
		return why;
	for (int k = K->pr.pindex + 1; k < K->rd.cindex; k++) {
		const IrState *s = K->pr.list->data[k]->state;
		if (touches(s, K->acc) && K->init < 0) {
			if ((why = init_movable(ctx, K, k)))
				return why;
			K->init = k;
		} else if ((why = state_clean(ctx, K, s))) {
			return why;
		}
	}
	if (K->rd.C.state != K->pr.P.state)
		return state_clean(ctx, K, K->rd.C.state);
	return NULL;
}

static const char *
producer_reads_acc(Ctx *ctx, const Keep *K)
{
	const IrState *s = K->pr.P.state;
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].dst == K->pr.P.entry && pass_streq(s->memlets.data[i].data, K->acc))
			return arena_printf(ctx->arena, "'%s' reads '%s', which '%s' accumulates",
					    pass_map_entry(&K->pr.P)->label, K->acc,
					    pass_map_entry(&K->rd.C)->label);
	return NULL;
}

static const char *
rip_analyse(Ctx *ctx, const XSite *site, Keep *K)
{
	const char *why;
	*K = (Keep){ .init = -1 };
	if ((why = pass_fusion_analyse_kept(ctx, site, &K->pr, &K->rd)) ||
	    (why = reduction_value(ctx, K)) ||
	    (why = producer_reads_acc(ctx, K)))
		return why;
	return between(ctx, K);
}

static const char *
rip_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Keep K;
	return rip_analyse(ctx, site, &K);
}

/* Moves the state initialising A (if between) before the producer's. */
static void
move_init(Keep *K)
{
	if (K->init < 0)
		return;
	IrBlockList *l = K->pr.list;
	IrBlock *b = l->data[K->init];
	for (int i = K->init; i > K->pr.pindex; i--)
		l->data[i] = l->data[i - 1];
	l->data[K->pr.pindex++] = b;
}

/* The producer's tasklet, storing its value as T's dtype, also writes it
 * into A as the reduction did, in the producer's params, through a new
 * exit connector pair into an access node of A (the reduction's when
 * both maps share a state). */
static void
add_acc_write(Ctx *ctx, Keep *K)
{
	Arena *a = ctx->arena;
	IrState *ps = K->pr.P.state, *cs = K->rd.C.state;
	IrMemlet cw = cs->memlets.data[K->cw], co = cs->memlets.data[K->co];
	const IrNode *pe = pass_map_entry(&K->pr.P);
	int exit = pe->map.exit, np = pe->map.nparams;
	Sym **val = arena_alloc(a, sizeof(Sym *) * (size_t)(np + 1));
	for (int k = 0; k < np; k++)
		val[k] = sym_var(a, pe->map.params[k]);
	Subset inner = pass_fusion_subset_at(a, &cw.subset, pass_map_entry(&K->rd.C), val);
	IrNode *t = &ps->nodes.data[K->pr.ptask];
	DType tt = ir_program_find_container(K->pr.p, K->pr.t)->dtype;
	if (t->tasklet.out.dtype != tt) {
		t->tasklet.expr = ir_expr_cast(a, tt, t->tasklet.expr);
		t->tasklet.out.dtype = tt;
	}
	const char *x = K->acc;
	for (int k = 2; pass_conn_taken(ps, exit, arena_printf(a, "IN_%s", x)) ||
			pass_conn_taken(ps, exit, arena_printf(a, "OUT_%s", x)); k++)
		x = arena_printf(a, "%s_%d", K->acc, k);
	const char *src_conn = ps->memlets.data[K->pr.pwrite].src_conn;
	ir_state_add_memlet(ctx, ps, K->pr.ptask, src_conn, exit, arena_printf(a, "IN_%s", x),
			    K->acc, inner, cw.wcr, cw.loc);
	int node = ps == cs ? K->acc_node : ir_state_add_access(ctx, ps, K->acc, co.loc);
	ir_state_add_memlet(ctx, ps, exit, arena_printf(a, "OUT_%s", x), node, NULL, K->acc,
			    co.subset, co.wcr, co.loc);
}

/* Is every memlet touching node id of s dead, or joined to a dead node? */
static bool
orphan(const IrState *s, int id, const bool *dnode)
{
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if ((m->src == id || m->dst == id) && !dnode[m->src] && !dnode[m->dst])
			return false;
	}
	return true;
}

/* Removes the reduction, T's and A's access nodes it leaves without
 * memlets, and its state when emptied. */
static void
remove_reduction(Ctx *ctx, const Keep *K)
{
	IrState *cs = K->rd.C.state;
	bool *dnode = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(cs->nodes.len + 1));
	bool *dmemlet = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(cs->memlets.len + 1));
	dnode[K->rd.C.entry] = dnode[pass_map_entry(&K->rd.C)->map.exit] = true;
	dnode[K->rd.ctask] = true;
	pass_fusion_mark_orphans(cs, K->rd.C.entry, dnode, dmemlet);
	dnode[K->acc_node] = orphan(cs, K->acc_node, dnode);
	pass_state_remove(ctx, cs, dnode, NULL);
	if (cs->nodes.len == 0)
		pass_block_remove(K->pr.list, K->rd.cindex);
}

static void
rip_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Keep K;
	if (rip_analyse(ctx, site, &K))
		ICE("reduction-into-producer applied where it does not apply");
	move_init(&K);
	add_acc_write(ctx, &K);
	remove_reduction(ctx, &K);
}

static void
rip_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_fusion_match_with(ctx, p, &xform_reduction_into_producer, out);
}

const Xform xform_reduction_into_producer = {
	.name = "reduction-into-producer",
	.desc = "fuses a reduction into the map producing what it reduces, which still writes "
		"its output (a returned or reused array) and accumulates each element as it goes",
	.nsites = 2,
	.params = NULL,
	.match = rip_match,
	.check = rip_check,
	.apply = rip_apply,
};
