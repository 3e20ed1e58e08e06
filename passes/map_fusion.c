/* passes/map_fusion.c — vertical map fusion: a producer map writes a
 * temporary T one element per iteration, a consumer map reads it at that
 * same element; the producer's computation moves into the consumer's
 * tasklet and T disappears (`t = a * b; c = t + 1` becomes `c = a * b + 1`).
 *
 *   a -> map_P [i] { t[i] = f(a[g(i)]) } -> t -> map_C [i] { c[i] = h(t[i]) } -> c
 *   ==>
 *   a -> map_C [i] { c[i] = h(f(a[g(i)])) } -> c
 *
 * Sites: [producer, consumer] map labels. Legality (check), every rule
 * exact or conservative:
 *   - placement: both maps at the top level of their state, the consumer in
 *     the producer's state or in the state of the block right after it;
 *   - each map holds exactly one tasklet (nothing else in its scope);
 *   - the producer writes one container T, a transient, through one memlet
 *     without WCR, at an index whose every dimension is c*p + r (c != 0, r
 *     free of the map's params) with each param in exactly one dimension:
 *     every iteration writes an element of its own;
 *   - the maps have the same number of params and equal ranges; the
 *     consumer's params are renamed to the producer's by position;
 *   - the consumer reads T on one entry connector, only into its tasklet,
 *     and every such read is, after renaming, the producer's write index
 *     (a stencil T[i + 1] would need recomputation: refused);
 *   - T is used nowhere else: its only access nodes are the producer's
 *     output and the consumer's input (one node when they share a state),
 *     no other memlet names or touches them, and no condition reads T;
 *   - every input of the producer comes from an access node A, and its
 *     container is written neither by the consumer nor between the maps:
 *     not at another access node of the producer's state (writes into A
 *     itself precede the producer), and, when the consumer is in the next
 *     state, nowhere in that state.
 * Apply: the producer's expression (its inputs renamed to fresh connectors,
 * its params to the consumer's, with the conversions the store to T and
 * the load from it made) replaces every read of T in the consumer's
 * expression; the producer's input memlets are re-expressed in the
 * consumer's params and enter the consumer's entry (reusing an entry
 * connector that already brings the same subset from the same node);
 * the producer, T's access nodes, producer input nodes left without
 * memlets, an emptied producer state and T itself are removed. A consumer
 * that reads T several times evaluates the expression each time (same
 * inputs, same value).
 *
 * reduction-fusion (reduction_fusion.c) runs the same analysis and apply
 * with `reduce` set: the consumer's tasklet must write its one result
 * with WCR (a reduction into a smaller container), and the consumer may
 * stand in any later state of the producer's block list, every block
 * between being a state (the fill of the accumulator usually is one);
 * the producer's inputs must then be written in none of those states.
 *
 * reduction-into-producer (reduction_fusion.c) runs the analysis of
 * reduction-fusion without the rules about T's other uses and the
 * producer's inputs (pass_fusion_analyse_kept: T stays, and the fused map
 * runs where the producer runs), adding its own rules and apply.
 *
 * The steps over the shared site types FuseProducer and FuseReader
 * (passes.h: the producer's write, its inputs, routing them into a
 * reader, recomputing its expression there, removing it) serve
 * otf-map-fusion (otf_fusion.c) too, which fills one FuseReader per map
 * reading T.
 */
#include <string.h>

#include "passes.h"

typedef struct Fuse {
	FuseProducer pr;
	FuseReader rd;          /* the consumer */
	bool same;              /* one state holds both maps */
	bool reduce;            /* reduction-fusion (file comment) */
	bool keep;              /* reduction-into-producer: T stays (file comment) */
} Fuse;

/* ---- renaming ---- */

/* Simultaneous renaming of names from[i] -> to[i]. */
typedef struct Renames {
	int n;
	const char **from, **to;
} Renames;

static const char *
renamed(const Renames *r, const char *name)
{
	for (int i = 0; r && i < r->n; i++)
		if (strcmp(r->from[i], name) == 0)
			return r->to[i];
	return name;
}

/* s with the params of map entry e replaced by val[k], all at once
 * (through "#k", which no name spells). */
static Sym *
sym_at(Arena *a, Sym *s, const IrNode *e, Sym **val)
{
	for (int k = 0; k < e->map.nparams; k++)
		s = sym_subst(a, s, e->map.params[k], sym_var(a, arena_printf(a, "#%d", k)));
	for (int k = 0; k < e->map.nparams; k++)
		s = sym_subst(a, s, arena_printf(a, "#%d", k), val[k]);
	return s;
}

/* passes.h */
Subset
pass_fusion_subset_at(Arena *a, const Subset *s, const IrNode *e, Sym **val)
{
	Subset o = { s->ndim, arena_alloc(a, sizeof(SymRange) * (size_t)(s->ndim + 1)) };
	for (int d = 0; d < s->ndim; d++) {
		o.r[d].begin = sym_at(a, s->r[d].begin, e, val);
		o.r[d].end = sym_at(a, s->r[d].end, e, val);
		o.r[d].step = sym_at(a, s->r[d].step, e, val);
	}
	return o;
}

/* Replacements of input connectors by expressions. */
typedef struct Repl {
	int n;
	const char **conn;
	IrExpr **with;
} Repl;

/* Copy of e with input connectors renamed by ins and symbols by syms, in
 * one pass, and every read of a connector of repl (may be NULL) replaced
 * by a copy of its expression (the result is a tree: no node is shared). */
static IrExpr *
expr_rewrite(Arena *a, const IrExpr *e, const Renames *ins, const Renames *syms,
	     const Repl *repl)
{
	for (int i = 0; e->kind == EX_IN && repl && i < repl->n; i++)
		if (pass_streq(e->name, repl->conn[i]))
			return expr_rewrite(a, repl->with[i], NULL, NULL, NULL);
	IrExpr *o = arena_alloc(a, sizeof(IrExpr));
	*o = *e;
	if (e->kind == EX_IN)
		o->name = renamed(ins, e->name);
	else if (e->kind == EX_SYM && !(o->name = renamed(syms, e->name)))
		ICE("'%s' has no name to become", e->name);
	if (e->n > 0) {
		o->args = arena_alloc(a, sizeof(IrExpr *) * (size_t)e->n);
		for (int i = 0; i < e->n; i++)
			o->args[i] = expr_rewrite(a, e->args[i], ins, syms, repl);
	}
	return o;
}

static IrExpr *
convert(Arena *a, IrExpr *e, DType t)
{
	return e->dtype == t ? e : ir_expr_cast(a, t, e);
}

/* The params of map entry e as variables: the iteration itself, in the
 * params' names (those of another map with as many, by position). */
static Sym **
param_vars(Arena *a, const IrNode *e)
{
	Sym **v = arena_alloc(a, sizeof(Sym *) * (size_t)(e->map.nparams + 1));
	for (int k = 0; k < e->map.nparams; k++)
		v[k] = sym_var(a, e->map.params[k]);
	return v;
}

/* ---- legality ---- */

static const char *
locate(Ctx *ctx, const XSite *site, Fuse *F)
{
	Arena *a = ctx->arena;
	for (int k = 0; k < 2; k++)
		if (!pass_find_map(site->p, site->names[k], k ? &F->rd.C : &F->pr.P))
			return arena_printf(a, "'%s' is not a map", site->names[k]);
	if (F->pr.P.state == F->rd.C.state && F->pr.P.entry == F->rd.C.entry)
		return "a map cannot be fused with itself";
	F->pr.p = site->p;
	F->same = F->pr.P.state == F->rd.C.state;
	IrBlockList *cl;
	int ci;
	if (!pass_find_block(F->pr.p, F->pr.P.block->name, &F->pr.list, &F->pr.pindex) ||
	    !pass_find_block(F->pr.p, F->rd.C.block->name, &cl, &ci))
		ICE("map in a state without a block");
	F->rd.cindex = F->same ? F->pr.pindex : ci;
	if (F->same || (cl == F->pr.list && ci == F->pr.pindex + 1))
		return NULL;
	if (!F->reduce)
		return arena_printf(a, "'%s' is neither in the state of '%s' nor in the state "
				    "right after it", pass_map_label(&F->rd.C), pass_map_label(&F->pr.P));
	if (cl != F->pr.list || ci < F->pr.pindex)
		return arena_printf(a, "'%s' is not in a state after '%s' in the same block",
				    pass_map_label(&F->rd.C), pass_map_label(&F->pr.P));
	for (int k = F->pr.pindex + 1; k < ci; k++)
		if (F->pr.list->data[k]->kind != CF_STATE)
			return arena_printf(a, "a %s stands between '%s' and '%s'",
					    F->pr.list->data[k]->kind == CF_IF ? "branch" :
					    F->pr.list->data[k]->kind == CF_FOR ||
					    F->pr.list->data[k]->kind == CF_WHILE ? "loop" :
					    F->pr.list->data[k]->kind == CF_ASSIGN ? "symbol assignment" :
					    "jump", pass_map_label(&F->pr.P), pass_map_label(&F->rd.C));
	return NULL;
}

/* Sets *task to the single tasklet in the scope of map m, which must be a
 * top-level map holding nothing else; else the reason. */
const char *
pass_fusion_sole_tasklet(Ctx *ctx, const MapRef *m, const char *role, int *task)
{
	const IrState *s = m->state;
	if (ir_state_scope_of(s, m->entry) >= 0)
		return arena_printf(ctx->arena, "the %s '%s' is nested in another map", role,
				    pass_map_label(m));
	bool *members = ir_state_scope_members(ctx->arena, s, m->entry);
	int n = 0;
	*task = -1;
	for (int i = 0; i < s->nodes.len; i++)
		if (members[i]) {
			n++;
			*task = i;
		}
	if (n != 1 || s->nodes.data[*task].kind != IRN_TASKLET)
		return arena_printf(ctx->arena, "the %s '%s' does not hold exactly one tasklet",
				    role, pass_map_label(m));
	if (ir_tasklet_is_indirect(&s->nodes.data[*task]))
		return arena_printf(ctx->arena, "the tasklet of the %s '%s' reads or writes "
				    "at data-dependent indices", role, pass_map_label(m));
	return NULL;
}

/* Does index subset s give every iteration of map entry e its own element
 * (file comment)? */
static bool
one_to_one(Arena *a, const Subset *s, const IrNode *e)
{
	int np = e->map.nparams;
	int *used = arena_alloc(a, sizeof(int) * (size_t)(np + 1));
	for (int d = 0; d < s->ndim; d++) {
		const SymRange *r = &s->r[d];
		if (!sym_equal(r->end, sym_addc(a, r->begin, 1)))
			return false;
		int which = -1;
		for (int k = 0; k < np; k++) {
			if (!sym_depends_on(r->begin, e->map.params[k]))
				continue;
			if (which >= 0)
				return false;
			which = k;
		}
		int64_t c;
		if (which >= 0 && (!sym_coef_of(r->begin, e->map.params[which], &c) || c == 0))
			return false;
		if (which >= 0)
			used[which]++;
	}
	for (int k = 0; k < np; k++)
		if (used[k] != 1)
			return false;
	return true;
}

/* The single memlet leaving node id of s, or -1 when there are none or several. */
int
pass_only_out(const IrState *s, int id)
{
	int found = -1;
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].src == id) {
			if (found >= 0)
				return -1;
			found = i;
		}
	return found;
}

/* passes.h */
const char *
pass_fusion_producer_write(Ctx *ctx, FuseProducer *pr, const char *wcr_note)
{
	Arena *a = ctx->arena;
	const IrState *s = pr->P.state;
	const IrNode *e = pass_map_entry(&pr->P);
	pr->pwrite = pass_only_out(s, pr->ptask);
	const IrMemlet *m = pr->pwrite >= 0 ? &s->memlets.data[pr->pwrite] : NULL;
	if (!m || !m->data || m->dst != e->map.exit)
		return arena_printf(a, "the tasklet of '%s' must write one element through "
				    "the map's exit", pass_map_label(&pr->P));
	pr->t = m->data;
	if (m->wcr != WCR_NONE)
		return arena_printf(a, "'%s' writes '%s' with write-conflict resolution '%s'%s",
				    pass_map_label(&pr->P), pr->t, ir_wcr_name(m->wcr), wcr_note);
	pr->pout = pass_only_out(s, e->map.exit);
	const IrMemlet *o = pr->pout >= 0 ? &s->memlets.data[pr->pout] : NULL;
	if (!o || !pass_streq(o->data, pr->t) || o->wcr != WCR_NONE ||
	    s->nodes.data[o->dst].kind != IRN_ACCESS ||
	    !pass_streq(s->nodes.data[o->dst].access.data, pr->t))
		return arena_printf(a, "'%s' must write only '%s', into one access node",
				    pass_map_label(&pr->P), pr->t);
	pr->w = o->dst;
	return NULL;
}

/* passes.h */
const char *
pass_fusion_transient(Ctx *ctx, const FuseProducer *pr)
{
	const IrContainer *c = ir_program_find_container(pr->p, pr->t);
	if (!c || c->role != ROLE_TRANSIENT)
		return arena_printf(ctx->arena, "'%s' is not a transient: its values are needed "
				    "after the maps", pr->t);
	return NULL;
}

static const char *
producer_output(Ctx *ctx, Fuse *F)
{
	const char *why;
	const Subset *w;
	if ((why = pass_fusion_producer_write(ctx, &F->pr, "")))
		return why;
	w = &F->pr.P.state->memlets.data[F->pr.pwrite].subset;
	if (!one_to_one(ctx->arena, w, pass_map_entry(&F->pr.P)))
		return arena_printf(ctx->arena, "'%s' writes %s%s, which does not give every "
				    "iteration an element of its own", pass_map_label(&F->pr.P), F->pr.t,
				    subset_print(ctx->arena, w));
	return F->keep ? NULL : pass_fusion_transient(ctx, &F->pr);
}

/* Is subset s of T, read by the consumer, after renaming its params the
 * element the producer writes in the same iteration? */
static bool
same_element(Ctx *ctx, const Fuse *F, const Subset *s)
{
	Subset c = pass_fusion_subset_at(ctx->arena, s, pass_map_entry(&F->rd.C),
					 param_vars(ctx->arena, pass_map_entry(&F->pr.P)));
	const Subset *w = &F->pr.P.state->memlets.data[F->pr.pwrite].subset;
	if (c.ndim != w->ndim)
		return false;
	for (int d = 0; d < c.ndim; d++)
		if (!sym_equal(c.r[d].begin, w->r[d].begin) || !sym_equal(c.r[d].end, w->r[d].end))
			return false;
	return true;
}

static const char *
consumer_reads(Ctx *ctx, const Fuse *F, const char *x)
{
	Arena *a = ctx->arena;
	const IrState *s = F->rd.C.state;
	const Subset *w = &F->pr.P.state->memlets.data[F->pr.pwrite].subset;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		bool on_x = pass_streq(pass_conn_suffix(m->src_conn, "OUT_"), x);
		if (m->src != F->rd.C.entry || !(pass_streq(m->data, F->pr.t) || on_x))
			continue;
		if (m->dst != F->rd.ctask || !on_x)
			return arena_printf(a, "'%s' is used elsewhere in '%s'", F->pr.t,
					    pass_map_label(&F->rd.C));
		if (!same_element(ctx, F, &m->subset))
			return arena_printf(a, "'%s' reads %s%s where '%s' writes %s%s: fusing would "
					    "need each iteration to recompute its neighbours' "
					    "elements", pass_map_label(&F->rd.C), F->pr.t,
					    subset_print(a, &m->subset), pass_map_label(&F->pr.P), F->pr.t,
					    subset_print(a, w));
	}
	return NULL;
}

static const char *
consumer_input(Ctx *ctx, Fuse *F)
{
	Arena *a = ctx->arena;
	const IrState *s = F->rd.C.state;
	int k = 0;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst == F->rd.C.entry && pass_streq(m->data, F->pr.t)) {
			k++;
			F->rd.cin = i;
		}
	}
	if (k != 1)
		return arena_printf(a, "'%s' reads '%s' on %d connectors, expected 1",
				    pass_map_label(&F->rd.C), F->pr.t, k);
	const IrMemlet *m = &s->memlets.data[F->rd.cin];
	const char *x = pass_conn_suffix(m->dst_conn, "IN_");
	F->rd.r = m->src;
	const IrNode *rn = &s->nodes.data[F->rd.r];
	if (!x || rn->kind != IRN_ACCESS || !pass_streq(rn->access.data, F->pr.t) ||
	    (F->same && F->rd.r != F->pr.w))
		return arena_printf(a, "'%s' does not read '%s' straight from the access node "
				    "'%s' writes", pass_map_label(&F->rd.C), F->pr.t, pass_map_label(&F->pr.P));
	F->rd.tconn = arena_printf(a, "OUT_%s", x);
	return consumer_reads(ctx, F, x);
}

static const char *
nparams_match(Ctx *ctx, const Fuse *F)
{
	int np = pass_map_entry(&F->pr.P)->map.nparams, nc = pass_map_entry(&F->rd.C)->map.nparams;
	if (np == nc)
		return NULL;
	return arena_printf(ctx->arena, "'%s' has %d parameter%s and '%s' %d",
			    pass_map_label(&F->pr.P), np, np == 1 ? "" : "s",
			    pass_map_label(&F->rd.C), nc);
}

static const char *
ranges_match(Ctx *ctx, const Fuse *F)
{
	const IrNode *pe = pass_map_entry(&F->pr.P), *ce = pass_map_entry(&F->rd.C);
	for (int k = 0; k < pe->map.nparams; k++) {
		const SymRange *x = &pe->map.ranges[k], *y = &ce->map.ranges[k];
		if (sym_equal(x->begin, y->begin) && sym_equal(x->end, y->end) &&
		    sym_equal(x->step, y->step))
			continue;
		Subset sp = { pe->map.nparams, pe->map.ranges };
		Subset sc = { ce->map.nparams, ce->map.ranges };
		return arena_printf(ctx->arena, "the ranges of '%s' %s and '%s' %s differ",
				    pass_map_label(&F->pr.P), subset_print(ctx->arena, &sp), pass_map_label(&F->rd.C),
				    subset_print(ctx->arena, &sc));
	}
	return NULL;
}

typedef struct TScan {
	const Fuse *F;
	const char *where;      /* first state using T otherwise; NULL if none */
} TScan;

/* Is memlet i of s one of the two maps' own uses of T? */
static bool
own_memlet(const Fuse *F, const IrState *s, int i)
{
	if (s == F->pr.P.state && (i == F->pr.pwrite || i == F->pr.pout))
		return true;
	return s == F->rd.C.state && pass_fusion_reads_t(&F->rd, i);
}

static void
scan_t(IrState *s, IrBlock *b, void *ud)
{
	TScan *ts = ud;
	const Fuse *F = ts->F;
	bool ok = true;
	for (int i = 0; ok && i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_ACCESS && pass_streq(n->access.data, F->pr.t))
			ok = (s == F->pr.P.state && i == F->pr.w) ||
			     (s == F->rd.C.state && i == F->rd.r);
	}
	for (int i = 0; ok && i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		bool touches = pass_streq(m->data, F->pr.t) ||
			(s == F->pr.P.state && (m->src == F->pr.w || m->dst == F->pr.w)) ||
			(s == F->rd.C.state && (m->src == F->rd.r || m->dst == F->rd.r));
		ok = !touches || own_memlet(F, s, i);
	}
	if (!ok && !ts->where)
		ts->where = s->name;
}

static const char *
t_unshared(Ctx *ctx, const Fuse *F)
{
	TScan ts = { F, NULL };
	pass_foreach_state(F->pr.p, scan_t, &ts);
	if (ts.where)
		return arena_printf(ctx->arena, "'%s' is also used outside the two maps (in '%s')",
				    F->pr.t, ts.where);
	if (pass_cond_reads(F->pr.p, F->pr.t))
		return arena_printf(ctx->arena, "'%s' is read by a loop or branch condition",
				    F->pr.t);
	return NULL;
}

/* Is node id of the producer p's state the source of a memlet entering
 * its entry? */
static bool
producer_source(const MapRef *p, int id)
{
	const IrState *s = p->state;
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].dst == p->entry && s->memlets.data[i].src == id)
			return true;
	return false;
}

/* passes.h */
const char *
pass_fusion_written_between(const IrBlockList *list, int from, int to, const MapRef *p,
			    const char *x)
{
	for (int k = from; k <= to; k++) {
		const IrState *s = list->data[k]->state;
		for (int i = 0; i < s->memlets.len; i++) {
			const IrNode *d = &s->nodes.data[s->memlets.data[i].dst];
			if (d->kind == IRN_ACCESS && pass_streq(d->access.data, x) &&
			    (k > from || !producer_source(p, d->id)))
				return s->name;
		}
	}
	return NULL;
}

/* The reader of rd[0..n) that writes x through its exit, or NULL. */
static const FuseReader *
reader_writing(const FuseReader *rd, int n, const char *x)
{
	for (int k = 0; k < n; k++) {
		const IrState *s = rd[k].C.state;
		int exit = pass_map_entry(&rd[k].C)->map.exit;
		for (int i = 0; i < s->memlets.len; i++)
			if (s->memlets.data[i].src == exit && pass_streq(s->memlets.data[i].data, x))
				return &rd[k];
	}
	return NULL;
}

/* passes.h */
const char *
pass_fusion_producer_inputs(Ctx *ctx, const FuseProducer *pr, const FuseReader *rd, int n,
			    int last, const char *tail)
{
	Arena *a = ctx->arena;
	const IrState *s = pr->P.state;
	const char *P = pass_map_label(&pr->P), *where;
	const FuseReader *R;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst != pr->P.entry)
			continue;
		const IrNode *src = &s->nodes.data[m->src];
		if (!m->data || src->kind != IRN_ACCESS || !pass_streq(src->access.data, m->data))
			return arena_printf(a, "'%s' has an input that does not come from an "
					    "access node", P);
		if ((R = reader_writing(rd, n, m->data)))
			return arena_printf(a, "'%s' writes '%s', which '%s' reads: the fused map "
					    "would read and write it in one parallel loop",
					    pass_map_label(&R->C), m->data, P);
		if ((where = pass_fusion_written_between(pr->list, pr->pindex, last, &pr->P,
							 m->data)))
			return arena_printf(a, "'%s', which '%s' reads, is also written in '%s', "
					    "%s", m->data, P, where, tail);
	}
	return NULL;
}

/* reduction-fusion: the consumer's tasklet writes one result, with WCR,
 * through the consumer's exit. */
static const char *
consumer_reduces(Ctx *ctx, const Fuse *F)
{
	if (!F->reduce)
		return NULL;
	const IrState *s = F->rd.C.state;
	int w = pass_only_out(s, F->rd.ctask);
	const IrMemlet *m = w >= 0 ? &s->memlets.data[w] : NULL;
	if (!m || !m->data || m->dst != pass_map_entry(&F->rd.C)->map.exit)
		return arena_printf(ctx->arena, "the tasklet of '%s' must write one result "
				    "through the map's exit", pass_map_label(&F->rd.C));
	if (m->wcr == WCR_NONE)
		return arena_printf(ctx->arena, "'%s' is no reduction: it writes '%s' without "
				    "write-conflict resolution (map-fusion fuses such maps)",
				    pass_map_label(&F->rd.C), m->data);
	return NULL;
}

/* The whole legality check; fills F for apply. */
static const char *
analyse(Ctx *ctx, const XSite *site, bool reduce, bool keep, Fuse *F)
{
	const char *why;
	*F = (Fuse){ .reduce = reduce, .keep = keep };
	if ((why = locate(ctx, site, F)) ||
	    (why = pass_fusion_sole_tasklet(ctx, &F->pr.P, "producer", &F->pr.ptask)) ||
	    (why = pass_fusion_sole_tasklet(ctx, &F->rd.C, "consumer", &F->rd.ctask)) ||
	    (why = consumer_reduces(ctx, F)) ||
	    (why = producer_output(ctx, F)) ||
	    (why = nparams_match(ctx, F)) ||
	    (why = consumer_input(ctx, F)) ||
	    (why = ranges_match(ctx, F)) ||
	    (why = F->keep ? NULL : t_unshared(ctx, F)))
		return why;
	if (F->keep)
		return NULL;
	return pass_fusion_producer_inputs(ctx, &F->pr, &F->rd, 1, F->rd.cindex,
					   "maybe between the two maps");
}

/* passes.h */
const char *
pass_fusion_analyse_kept(Ctx *ctx, const XSite *site, FuseProducer *pr, FuseReader *rd)
{
	Fuse F;
	const char *why = analyse(ctx, site, true, true, &F);
	*pr = F.pr;
	*rd = F.rd;
	return why;
}

const char *
pass_fusion_check(Ctx *ctx, const XSite *site, bool reduce)
{
	Fuse F;
	return analyse(ctx, site, reduce, false, &F);
}

static const char *
mf_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	return pass_fusion_check(ctx, site, false);
}

/* ---- apply ---- */

/* Is conn a name of node id's connectors or memlet connectors? */
bool
pass_conn_taken(const IrState *s, int id, const char *conn)
{
	const IrNode *n = &s->nodes.data[id];
	if (n->kind == IRN_TASKLET) {
		for (int i = 0; i < n->tasklet.nin; i++)
			if (pass_streq(n->tasklet.in[i].name, conn))
				return true;
		if (pass_streq(n->tasklet.out.name, conn))
			return true;
	}
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if ((m->src == id && pass_streq(m->src_conn, conn)) ||
		    (m->dst == id && pass_streq(m->dst_conn, conn)))
			return true;
	}
	return false;
}

/* passes.h */
int
pass_fusion_reader_access(Ctx *ctx, const MapRef *c, const char *x, SrcLoc loc)
{
	IrState *s = c->state;
	int best = -1;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind != IRN_ACCESS || !pass_streq(n->access.data, x) ||
		    ir_state_scope_of(s, i) >= 0)
			continue;
		bool written = false, feeds = false;
		for (int k = 0; k < s->memlets.len; k++) {
			written |= s->memlets.data[k].dst == i;
			feeds |= s->memlets.data[k].src == i && s->memlets.data[k].dst == c->entry;
		}
		if (!written && (best < 0 || feeds))
			best = i;
	}
	return best >= 0 ? best : ir_state_add_access(ctx, s, x, loc);
}

/* The suffix x of the consumer entry's connector pair IN_x/OUT_x that
 * brings outer memlet `outer` (of the producer) in from node `node`:
 * an existing one moving the same subset from node, or a new one. */
const char *
pass_fusion_entry_conn(Ctx *ctx, const MapRef *c, int node, const IrMemlet *outer)
{
	IrState *s = c->state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const char *x = pass_conn_suffix(m->dst_conn, "IN_");
		if (m->src == node && m->dst == c->entry && x && pass_streq(m->data, outer->data) &&
		    m->wcr == WCR_NONE && subset_equal(&m->subset, &outer->subset))
			return x;
	}
	const char *x = outer->data;
	for (int k = 2; pass_conn_taken(s, c->entry, arena_printf(ctx->arena, "IN_%s", x)) ||
			pass_conn_taken(s, c->entry, arena_printf(ctx->arena, "OUT_%s", x)); k++)
		x = arena_printf(ctx->arena, "%s_%d", outer->data, k);
	ir_state_add_memlet(ctx, s, node, NULL, c->entry, arena_printf(ctx->arena, "IN_%s", x),
			    outer->data, outer->subset, WCR_NONE, outer->loc);
	return x;
}

/* The memlet entering node `dst` of s on connector conn. */
const IrMemlet *
pass_memlet_into(const IrState *s, int dst, const char *conn)
{
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].dst == dst && pass_streq(s->memlets.data[i].dst_conn, conn))
			return &s->memlets.data[i];
	ICE("no memlet enters node %d on '%s'", dst, conn ? conn : "(null)");
}

static bool
conn_in(const IrConn *c, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (pass_streq(c[i].name, name))
			return true;
	return false;
}

/* passes.h */
bool
pass_fusion_reads_t(const FuseReader *R, int i)
{
	const IrMemlet *m = &R->C.state->memlets.data[i];
	return i == R->cin || (m->src == R->C.entry && pass_streq(m->src_conn, R->tconn));
}

/* passes.h */
FuseConns
pass_fusion_conns_kept(Ctx *ctx, const FuseReader *R, int extra, bool per_read)
{
	const IrState *s = R->C.state;
	const IrNode *ct = &s->nodes.data[R->ctask];
	int cn = ct->tasklet.nin;
	FuseConns k = { arena_alloc(ctx->arena, sizeof(IrConn) * (size_t)(cn + extra + 1)),
			0, 0, 0, per_read };
	for (int i = 0; i < cn; i++) {
		const IrMemlet *m = pass_memlet_into(s, R->ctask, ct->tasklet.in[i].name);
		if (m->src != R->C.entry || !pass_streq(m->src_conn, R->tconn))
			k.in[k.n++] = ct->tasklet.in[i];
	}
	k.kept = k.n;
	return k;
}

/* A fresh input connector name "in<j>" for R's tasklet (FuseConns says
 * which names it avoids). */
static const char *
fresh_conn(Ctx *ctx, const FuseReader *R, FuseConns *k)
{
	const IrNode *ct = &R->C.state->nodes.data[R->ctask];
	for (;;) {
		const char *c = arena_printf(ctx->arena, "in%d", k->next++);
		if (!conn_in(k->in, k->n, c) && !pass_streq(c, ct->tasklet.out.name) &&
		    !(k->per_read && pass_conn_taken(R->C.state, R->ctask, c)))
			return c;
	}
}

/* The connector of R's tasklet, among those of k it may reuse, that reads
 * `sub` of x through the entry's OUT_<ex> with dtype t; NULL if none. */
static const char *
existing_read(const FuseReader *R, const FuseConns *k, const char *ex, const char *x,
	      const Subset *sub, DType t)
{
	const IrState *s = R->C.state;
	int n = k->per_read ? k->n : k->kept;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->src != R->C.entry || m->dst != R->ctask ||
		    !pass_streq(pass_conn_suffix(m->src_conn, "OUT_"), ex) || !pass_streq(m->data, x) ||
		    !subset_equal(&m->subset, sub))
			continue;
		for (int j = 0; j < n; j++)
			if (pass_streq(k->in[j].name, m->dst_conn) && k->in[j].dtype == t)
				return m->dst_conn;
	}
	return NULL;
}

/* Routes the producer's input connector c, at the iteration val, into R
 * and returns the tasklet connector that carries it: one of k that
 * already reads the same element from the same node, or a fresh one
 * (added to k) with new memlets. */
static const char *
route_input(Ctx *ctx, const FuseProducer *pr, const FuseReader *R, const IrConn *c,
	    Sym **val, FuseConns *k)
{
	const IrState *ps = pr->P.state;
	IrMemlet inner = *pass_memlet_into(ps, pr->ptask, c->name);
	const char *px = pass_conn_suffix(inner.src_conn, "OUT_");
	if (inner.src != pr->P.entry || !px)
		ICE("producer input '%s' does not come through its entry", c->name);
	IrMemlet outer = *pass_memlet_into(ps, pr->P.entry, arena_printf(ctx->arena, "IN_%s", px));
	int node = R->C.state == ps ? outer.src
				    : pass_fusion_reader_access(ctx, &R->C, outer.data, outer.loc);
	const char *x = pass_fusion_entry_conn(ctx, &R->C, node, &outer);
	Subset sub = pass_fusion_subset_at(ctx->arena, &inner.subset, pass_map_entry(&pr->P), val);
	const char *old = existing_read(R, k, x, inner.data, &sub, c->dtype);
	if (old)
		return old;
	const char *cname = fresh_conn(ctx, R, k);
	ir_state_add_memlet(ctx, R->C.state, R->C.entry, arena_printf(ctx->arena, "OUT_%s", x),
			    R->ctask, cname, inner.data, sub, WCR_NONE, inner.loc);
	k->in[k->n++] = (IrConn){ cname, c->dtype };
	return cname;
}

/* passes.h */
IrExpr *
pass_fusion_recompute(Ctx *ctx, const FuseProducer *pr, const FuseReader *R, Sym **val,
		      FuseConns *k)
{
	Arena *a = ctx->arena;
	const IrNode *pe = pass_map_entry(&pr->P);
	int pn = pr->P.state->nodes.data[pr->ptask].tasklet.nin, np = pe->map.nparams;
	Renames ins = { pn, arena_alloc(a, sizeof(char *) * (size_t)(pn + 1)),
			arena_alloc(a, sizeof(char *) * (size_t)(pn + 1)) };
	Renames syms = { np, pe->map.params, arena_alloc(a, sizeof(char *) * (size_t)(np + 1)) };
	for (int i = 0; i < pn; i++) {
		const IrConn *c = &pr->P.state->nodes.data[pr->ptask].tasklet.in[i];
		ins.from[i] = c->name;
		ins.to[i] = route_input(ctx, pr, R, c, val, k);
	}
	for (int j = 0; j < np; j++)
		syms.to[j] = val[j]->kind == SYM_VAR ? val[j]->name : NULL;
	const IrNode *pt = &pr->P.state->nodes.data[pr->ptask];
	IrExpr *e = expr_rewrite(a, pt->tasklet.expr, &ins, &syms, NULL);
	e = convert(a, e, pt->tasklet.out.dtype);
	return convert(a, e, ir_program_find_container(pr->p, pr->t)->dtype);
}

/* passes.h */
void
pass_fusion_replace_reads(Ctx *ctx, const FuseReader *R, const FuseConns *k, IrExpr **with)
{
	Arena *a = ctx->arena;
	IrNode *t = &R->C.state->nodes.data[R->ctask];
	int cn = t->tasklet.nin;
	Repl r = { 0, arena_alloc(a, sizeof(char *) * (size_t)(cn + 1)),
		   arena_alloc(a, sizeof(IrExpr *) * (size_t)(cn + 1)) };
	for (int i = 0; i < cn; i++) {
		if (!with[i])
			continue;
		r.conn[r.n] = t->tasklet.in[i].name;
		r.with[r.n++] = convert(a, with[i], t->tasklet.in[i].dtype);
	}
	t->tasklet.expr = expr_rewrite(a, t->tasklet.expr, NULL, NULL, &r);
	t->tasklet.nin = k->n;
	t->tasklet.in = k->in;
}

/* Moves the producer's computation into the consumer's tasklet: it reads
 * T at the element the producer writes in the same iteration, so one
 * copy of the producer's expression, in the consumer's params, replaces
 * every read of T. */
static void
rewrite_tasklet(Ctx *ctx, const Fuse *F)
{
	Arena *a = ctx->arena;
	const FuseReader *R = &F->rd;
	int pn = F->pr.P.state->nodes.data[F->pr.ptask].tasklet.nin;
	int cn = R->C.state->nodes.data[R->ctask].tasklet.nin;
	FuseConns k = pass_fusion_conns_kept(ctx, R, pn, false);
	IrExpr *pe = pass_fusion_recompute(ctx, &F->pr, R, param_vars(a, pass_map_entry(&R->C)), &k);
	IrExpr **with = arena_alloc(a, sizeof(IrExpr *) * (size_t)(cn + 1));
	const IrConn *in = R->C.state->nodes.data[R->ctask].tasklet.in;
	for (int i = 0; i < cn; i++)
		with[i] = conn_in(k.in, k.kept, in[i].name) ? NULL : pe;
	pass_fusion_replace_reads(ctx, R, &k, with);
}

/* passes.h */
void
pass_fusion_keep_in_scope(Ctx *ctx, const FuseReader *R)
{
	IrState *s = R->C.state;
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].src == R->C.entry && s->memlets.data[i].dst == R->ctask &&
		    !pass_fusion_reads_t(R, i))
			return;
	ir_state_add_memlet(ctx, s, R->C.entry, NULL, R->ctask, NULL, NULL, (Subset){ 0 },
			    WCR_NONE, s->nodes.data[R->ctask].loc);
}

/* passes.h */
void
pass_fusion_mark_orphans(const IrState *s, int entry, bool *dead_node, const bool *dead_memlet)
{
	for (int i = 0; i < s->memlets.len; i++) {
		int n = s->memlets.data[i].src;
		if (s->memlets.data[i].dst != entry || dead_node[n])
			continue;
		bool keeps = false;
		for (int k = 0; k < s->memlets.len && !keeps; k++) {
			const IrMemlet *m = &s->memlets.data[k];
			keeps = (m->src == n || m->dst == n) && !dead_memlet[k] &&
				!dead_node[m->src] && !dead_node[m->dst];
		}
		dead_node[n] = !keeps;
	}
}

/* Removes from s the reads of T of rd[0..n) there, their access nodes of
 * T and, in the producer's state, the producer and its orphaned inputs. */
static void
clean_state(Ctx *ctx, const FuseProducer *pr, const FuseReader *rd, int n, IrState *s)
{
	Arena *a = ctx->arena;
	bool *dnode = arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1));
	bool *dmemlet = arena_alloc(a, sizeof(bool) * (size_t)(s->memlets.len + 1));
	for (int k = 0; k < n; k++) {
		if (rd[k].C.state != s)
			continue;
		dnode[rd[k].r] = true;
		for (int i = 0; i < s->memlets.len; i++)
			dmemlet[i] |= pass_fusion_reads_t(&rd[k], i);
	}
	if (s == pr->P.state) {
		dnode[pr->P.entry] = dnode[pass_map_entry(&pr->P)->map.exit] = true;
		dnode[pr->ptask] = dnode[pr->w] = true;
		pass_fusion_mark_orphans(s, pr->P.entry, dnode, dmemlet);
	}
	pass_state_remove(ctx, s, dnode, dmemlet);
}

/* passes.h */
void
pass_fusion_remove(Ctx *ctx, const FuseProducer *pr, const FuseReader *rd, int n)
{
	for (int k = 0; k < n; k++) {
		bool seen = rd[k].C.state == pr->P.state;
		for (int j = 0; j < k && !seen; j++)
			seen = rd[j].C.state == rd[k].C.state;
		if (!seen)
			clean_state(ctx, pr, rd, n, rd[k].C.state);
	}
	clean_state(ctx, pr, rd, n, pr->P.state);
	if (pr->P.state->nodes.len == 0)
		pass_block_remove(pr->list, pr->pindex);
	pass_container_remove(pr->p, pr->t);
}

void
pass_fusion_apply(Ctx *ctx, const XSite *site, bool reduce)
{
	Fuse F;
	if (analyse(ctx, site, reduce, false, &F))
		ICE("%s applied where it does not apply", reduce ? "reduction-fusion" : "map-fusion");
	rewrite_tasklet(ctx, &F);
	pass_fusion_keep_in_scope(ctx, &F.rd);
	pass_fusion_remove(ctx, &F.pr, &F.rd, 1);
}

static void
mf_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	pass_fusion_apply(ctx, site, false);
}

/* ---- matching ---- */

typedef struct Maps {
	Ctx *ctx;
	VEC(MapRef) v;          /* every top-level labelled map */
} Maps;

static void
collect_maps(IrState *s, IrBlock *b, void *ud)
{
	Maps *M = ud;
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_MAP_ENTRY && s->nodes.data[i].label &&
		    ir_state_scope_of(s, i) < 0)
			vec_push(M->ctx->arena, &M->v, ((MapRef){ s, i, b }));
}

/* Does C read a container that P writes? Every fusion needs it: a cheap
 * test first, so that matching stays fast on programs of many maps (the
 * full check locates both maps by name). */
static bool
feeds(const MapRef *P, const MapRef *C)
{
	int exit = pass_map_entry(P)->map.exit;
	const IrState *ps = P->state, *cs = C->state;
	for (int i = 0; i < ps->memlets.len; i++) {
		const IrMemlet *w = &ps->memlets.data[i];
		if (w->src != exit || !w->data)
			continue;
		for (int k = 0; k < cs->memlets.len; k++) {
			const IrMemlet *r = &cs->memlets.data[k];
			if (r->dst == C->entry && r->data && strcmp(r->data, w->data) == 0)
				return true;
		}
	}
	return false;
}

/* Every pair [producer, consumer] of labelled maps of p, the consumer
 * reading what the producer writes, where x's check passes (x NULL: that
 * of map-fusion, or with reduce of reduction-fusion). */
static void
match_pairs(Ctx *ctx, IrProgram *p, const Xform *x, bool reduce, XSiteList *out)
{
	Maps M = { ctx, { 0 } };
	XParams none = { 0 };
	pass_foreach_state(p, collect_maps, &M);
	for (int i = 0; i < M.v.len; i++)
		for (int k = 0; k < M.v.len; k++) {
			if (i == k || !feeds(&M.v.data[i], &M.v.data[k]))
				continue;
			XSite site = { .p = p, .n = 2, .names = { pass_map_entry(&M.v.data[i])->label,
								  pass_map_entry(&M.v.data[k])->label } };
			if (!(x ? x->check(ctx, &site, &none) : pass_fusion_check(ctx, &site, reduce)))
				vec_push(ctx->arena, out, site);
		}
}

void
pass_fusion_match(Ctx *ctx, IrProgram *p, bool reduce, XSiteList *out)
{
	match_pairs(ctx, p, NULL, reduce, out);
}

/* passes.h */
void
pass_fusion_match_with(Ctx *ctx, IrProgram *p, const Xform *x, XSiteList *out)
{
	match_pairs(ctx, p, x, false, out);
}

static void
mf_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_fusion_match(ctx, p, false, out);
}

const Xform xform_map_fusion = {
	.name = "map-fusion",
	.desc = "fuses a producer map into the map that reads its temporary element by "
		"element, removing the temporary",
	.nsites = 2,
	.params = NULL,
	.match = mf_match,
	.check = mf_check,
	.apply = mf_apply,
};
