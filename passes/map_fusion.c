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
 */
#include <string.h>

#include "passes.h"

typedef struct Fuse {
	IrProgram *p;
	MapRef P, C;            /* producer, consumer */
	IrBlockList *list;      /* block list holding the producer's state */
	int pindex;             /* the producer's block in it */
	bool same;              /* one state holds both maps */
	int ptask, ctask;       /* the single tasklet of each map */
	int pwrite;             /* memlet: producer tasklet -> producer exit */
	int pout;               /* memlet: producer exit -> w */
	int w;                  /* T's access node in the producer's state */
	int cin;                /* memlet: r -> consumer entry */
	int r;                  /* T's access node the consumer reads (== w if same) */
	const char *t;          /* the temporary T */
	const char *tconn;      /* "OUT_x": the consumer entry's connector of T */
	bool reduce;            /* reduction-fusion (file comment) */
	int cindex;             /* the consumer's block in list (== pindex if same) */
} Fuse;

static const char *
suffix(const char *conn, const char *prefix)
{
	size_t k = strlen(prefix);
	return conn && strncmp(conn, prefix, k) == 0 ? conn + k : NULL;
}

static bool
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
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

static Sym *
sym_rename(Arena *a, Sym *s, const Renames *r)
{
	for (int i = 0; i < r->n; i++)
		s = sym_subst(a, s, r->from[i], sym_var(a, arena_printf(a, "#%d", i)));
	for (int i = 0; i < r->n; i++)
		s = sym_subst(a, s, arena_printf(a, "#%d", i), sym_var(a, r->to[i]));
	return s;
}

static Subset
subset_rename(Arena *a, const Subset *s, const Renames *r)
{
	Subset o = { s->ndim, arena_alloc(a, sizeof(SymRange) * (size_t)(s->ndim + 1)) };
	for (int d = 0; d < s->ndim; d++) {
		o.r[d].begin = sym_rename(a, s->r[d].begin, r);
		o.r[d].end = sym_rename(a, s->r[d].end, r);
		o.r[d].step = sym_rename(a, s->r[d].step, r);
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
		if (streq(e->name, repl->conn[i]))
			return expr_rewrite(a, repl->with[i], NULL, NULL, NULL);
	IrExpr *o = arena_alloc(a, sizeof(IrExpr));
	*o = *e;
	if (e->kind == EX_IN)
		o->name = renamed(ins, e->name);
	else if (e->kind == EX_SYM)
		o->name = renamed(syms, e->name);
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

/* The consumer's params by position, renamed to the producer's (to
 * compare) or back (to move the producer's subsets into the consumer). */
static Renames
param_renames(const Fuse *F, bool to_producer)
{
	const IrNode *pe = entry_of(&F->P), *ce = entry_of(&F->C);
	Renames r = { pe->map.nparams, NULL, NULL };
	r.from = to_producer ? ce->map.params : pe->map.params;
	r.to = to_producer ? pe->map.params : ce->map.params;
	return r;
}

/* ---- legality ---- */

static const char *
locate(Ctx *ctx, const XSite *site, Fuse *F)
{
	Arena *a = ctx->arena;
	for (int k = 0; k < 2; k++)
		if (!pass_find_map(site->p, site->names[k], k ? &F->C : &F->P))
			return arena_printf(a, "'%s' is not a map", site->names[k]);
	if (F->P.state == F->C.state && F->P.entry == F->C.entry)
		return "a map cannot be fused with itself";
	F->p = site->p;
	F->same = F->P.state == F->C.state;
	IrBlockList *cl;
	int ci;
	if (!pass_find_block(F->p, F->P.block->name, &F->list, &F->pindex) ||
	    !pass_find_block(F->p, F->C.block->name, &cl, &ci))
		ICE("map in a state without a block");
	F->cindex = F->same ? F->pindex : ci;
	if (F->same || (cl == F->list && ci == F->pindex + 1))
		return NULL;
	if (!F->reduce)
		return arena_printf(a, "'%s' is neither in the state of '%s' nor in the state "
				    "right after it", label(&F->C), label(&F->P));
	if (cl != F->list || ci < F->pindex)
		return arena_printf(a, "'%s' is not in a state after '%s' in the same block",
				    label(&F->C), label(&F->P));
	for (int k = F->pindex + 1; k < ci; k++)
		if (F->list->data[k]->kind != CF_STATE)
			return arena_printf(a, "a %s stands between '%s' and '%s'",
					    F->list->data[k]->kind == CF_IF ? "branch" :
					    F->list->data[k]->kind == CF_FOR ||
					    F->list->data[k]->kind == CF_WHILE ? "loop" :
					    F->list->data[k]->kind == CF_ASSIGN ? "symbol assignment" :
					    "jump", label(&F->P), label(&F->C));
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
				    label(m));
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
				    role, label(m));
	if (ir_tasklet_is_indirect(&s->nodes.data[*task]))
		return arena_printf(ctx->arena, "the tasklet of the %s '%s' reads or writes "
				    "at data-dependent indices", role, label(m));
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

static const char *
producer_output(Ctx *ctx, Fuse *F)
{
	Arena *a = ctx->arena;
	const IrState *s = F->P.state;
	const IrNode *e = entry_of(&F->P);
	F->pwrite = pass_only_out(s, F->ptask);
	const IrMemlet *m = F->pwrite >= 0 ? &s->memlets.data[F->pwrite] : NULL;
	if (!m || !m->data || m->dst != e->map.exit)
		return arena_printf(a, "the tasklet of '%s' must write one element through "
				    "the map's exit", label(&F->P));
	F->t = m->data;
	if (m->wcr != WCR_NONE)
		return arena_printf(a, "'%s' writes '%s' with write-conflict resolution '%s'",
				    label(&F->P), F->t, ir_wcr_name(m->wcr));
	F->pout = pass_only_out(s, e->map.exit);
	const IrMemlet *o = F->pout >= 0 ? &s->memlets.data[F->pout] : NULL;
	if (!o || !streq(o->data, F->t) || o->wcr != WCR_NONE ||
	    s->nodes.data[o->dst].kind != IRN_ACCESS ||
	    !streq(s->nodes.data[o->dst].access.data, F->t))
		return arena_printf(a, "'%s' must write only '%s', into one access node",
				    label(&F->P), F->t);
	F->w = o->dst;
	if (!one_to_one(a, &m->subset, e))
		return arena_printf(a, "'%s' writes %s%s, which does not give every iteration "
				    "an element of its own", label(&F->P), F->t,
				    subset_print(a, &m->subset));
	const IrContainer *c = ir_program_find_container(F->p, F->t);
	if (!c || c->role != ROLE_TRANSIENT)
		return arena_printf(a, "'%s' is not a transient: its values are needed after "
				    "the maps", F->t);
	return NULL;
}

/* Is subset s of T, read by the consumer, after renaming its params the
 * element the producer writes in the same iteration? */
static bool
same_element(Ctx *ctx, const Fuse *F, const Subset *s)
{
	Renames r = param_renames(F, true);
	Subset c = subset_rename(ctx->arena, s, &r);
	const Subset *w = &F->P.state->memlets.data[F->pwrite].subset;
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
	const IrState *s = F->C.state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		bool on_x = streq(suffix(m->src_conn, "OUT_"), x);
		if (m->src != F->C.entry || !(streq(m->data, F->t) || on_x))
			continue;
		if (m->dst != F->ctask || !on_x)
			return arena_printf(a, "'%s' is used elsewhere in '%s'", F->t, label(&F->C));
		if (!same_element(ctx, F, &m->subset))
			return arena_printf(a, "'%s' reads %s%s where '%s' writes %s%s: fusing would "
					    "need each iteration to recompute its neighbours' "
					    "elements", label(&F->C), F->t,
					    subset_print(a, &m->subset), label(&F->P), F->t,
					    subset_print(a, &F->P.state->memlets.data[F->pwrite].subset));
	}
	return NULL;
}

static const char *
consumer_input(Ctx *ctx, Fuse *F)
{
	Arena *a = ctx->arena;
	const IrState *s = F->C.state;
	int k = 0;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst == F->C.entry && streq(m->data, F->t)) {
			k++;
			F->cin = i;
		}
	}
	if (k != 1)
		return arena_printf(a, "'%s' reads '%s' on %d connectors, expected 1",
				    label(&F->C), F->t, k);
	const IrMemlet *m = &s->memlets.data[F->cin];
	const char *x = suffix(m->dst_conn, "IN_");
	F->r = m->src;
	const IrNode *rn = &s->nodes.data[F->r];
	if (!x || rn->kind != IRN_ACCESS || !streq(rn->access.data, F->t) ||
	    (F->same && F->r != F->w))
		return arena_printf(a, "'%s' does not read '%s' straight from the access node "
				    "'%s' writes", label(&F->C), F->t, label(&F->P));
	F->tconn = arena_printf(a, "OUT_%s", x);
	return consumer_reads(ctx, F, x);
}

static const char *
nparams_match(Ctx *ctx, const Fuse *F)
{
	int np = entry_of(&F->P)->map.nparams, nc = entry_of(&F->C)->map.nparams;
	if (np == nc)
		return NULL;
	return arena_printf(ctx->arena, "'%s' has %d parameter%s and '%s' %d", label(&F->P), np,
			    np == 1 ? "" : "s", label(&F->C), nc);
}

static const char *
ranges_match(Ctx *ctx, const Fuse *F)
{
	const IrNode *pe = entry_of(&F->P), *ce = entry_of(&F->C);
	for (int k = 0; k < pe->map.nparams; k++) {
		const SymRange *x = &pe->map.ranges[k], *y = &ce->map.ranges[k];
		if (sym_equal(x->begin, y->begin) && sym_equal(x->end, y->end) &&
		    sym_equal(x->step, y->step))
			continue;
		Subset sp = { pe->map.nparams, pe->map.ranges };
		Subset sc = { ce->map.nparams, ce->map.ranges };
		return arena_printf(ctx->arena, "the ranges of '%s' %s and '%s' %s differ",
				    label(&F->P), subset_print(ctx->arena, &sp), label(&F->C),
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
	const IrMemlet *m = &s->memlets.data[i];
	if (s == F->P.state && (i == F->pwrite || i == F->pout))
		return true;
	return s == F->C.state && (i == F->cin || (m->src == F->C.entry && m->dst == F->ctask &&
						   streq(m->src_conn, F->tconn)));
}

static void
scan_t(IrState *s, IrBlock *b, void *ud)
{
	TScan *ts = ud;
	const Fuse *F = ts->F;
	bool ok = true;
	for (int i = 0; ok && i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_ACCESS && streq(n->access.data, F->t))
			ok = (s == F->P.state && i == F->w) || (s == F->C.state && i == F->r);
	}
	for (int i = 0; ok && i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		bool touches = streq(m->data, F->t) ||
			(s == F->P.state && (m->src == F->w || m->dst == F->w)) ||
			(s == F->C.state && (m->src == F->r || m->dst == F->r));
		ok = !touches || own_memlet(F, s, i);
	}
	if (!ok && !ts->where)
		ts->where = s->name;
}

static const char *
t_unshared(Ctx *ctx, const Fuse *F)
{
	TScan ts = { F, NULL };
	pass_foreach_state(F->p, scan_t, &ts);
	if (ts.where)
		return arena_printf(ctx->arena, "'%s' is also used outside the two maps (in '%s')",
				    F->t, ts.where);
	if (pass_cond_reads(F->p, F->t))
		return arena_printf(ctx->arena, "'%s' is read by a loop or branch condition", F->t);
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
			if (d->kind == IRN_ACCESS && streq(d->access.data, x) &&
			    (k > from || !producer_source(p, d->id)))
				return s->name;
		}
	}
	return NULL;
}

static bool
consumer_writes(const Fuse *F, const char *x)
{
	const IrState *s = F->C.state;
	int exit = entry_of(&F->C)->map.exit;
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].src == exit && streq(s->memlets.data[i].data, x))
			return true;
	return false;
}

static const char *
producer_inputs(Ctx *ctx, const Fuse *F)
{
	Arena *a = ctx->arena;
	const IrState *s = F->P.state;
	const char *P = label(&F->P), *where;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst != F->P.entry)
			continue;
		const IrNode *src = &s->nodes.data[m->src];
		if (!m->data || src->kind != IRN_ACCESS || !streq(src->access.data, m->data))
			return arena_printf(a, "'%s' has an input that does not come from an "
					    "access node", P);
		if (consumer_writes(F, m->data))
			return arena_printf(a, "'%s' writes '%s', which '%s' reads: the fused map "
					    "would read and write it in one parallel loop",
					    label(&F->C), m->data, P);
		if ((where = pass_fusion_written_between(F->list, F->pindex, F->cindex, &F->P,
							 m->data)))
			return arena_printf(a, "'%s', which '%s' reads, is also written in '%s', "
					    "maybe between the two maps", m->data, P, where);
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
	const IrState *s = F->C.state;
	int w = pass_only_out(s, F->ctask);
	const IrMemlet *m = w >= 0 ? &s->memlets.data[w] : NULL;
	if (!m || !m->data || m->dst != entry_of(&F->C)->map.exit)
		return arena_printf(ctx->arena, "the tasklet of '%s' must write one result "
				    "through the map's exit", label(&F->C));
	if (m->wcr == WCR_NONE)
		return arena_printf(ctx->arena, "'%s' is no reduction: it writes '%s' without "
				    "write-conflict resolution (map-fusion fuses such maps)",
				    label(&F->C), m->data);
	return NULL;
}

/* The whole legality check; fills F for apply. */
static const char *
analyse(Ctx *ctx, const XSite *site, bool reduce, Fuse *F)
{
	const char *why;
	*F = (Fuse){ .reduce = reduce };
	if ((why = locate(ctx, site, F)) ||
	    (why = pass_fusion_sole_tasklet(ctx, &F->P, "producer", &F->ptask)) ||
	    (why = pass_fusion_sole_tasklet(ctx, &F->C, "consumer", &F->ctask)) ||
	    (why = consumer_reduces(ctx, F)) ||
	    (why = producer_output(ctx, F)) ||
	    (why = nparams_match(ctx, F)) ||
	    (why = consumer_input(ctx, F)) ||
	    (why = ranges_match(ctx, F)) ||
	    (why = t_unshared(ctx, F)))
		return why;
	return producer_inputs(ctx, F);
}

const char *
pass_fusion_check(Ctx *ctx, const XSite *site, bool reduce)
{
	Fuse F;
	return analyse(ctx, site, reduce, &F);
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
			if (streq(n->tasklet.in[i].name, conn))
				return true;
		if (streq(n->tasklet.out.name, conn))
			return true;
	}
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if ((m->src == id && streq(m->src_conn, conn)) ||
		    (m->dst == id && streq(m->dst_conn, conn)))
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
		if (n->kind != IRN_ACCESS || !streq(n->access.data, x) ||
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
		const char *x = suffix(m->dst_conn, "IN_");
		if (m->src == node && m->dst == c->entry && x && streq(m->data, outer->data) &&
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
		if (s->memlets.data[i].dst == dst && streq(s->memlets.data[i].dst_conn, conn))
			return &s->memlets.data[i];
	ICE("no memlet enters node %d on '%s'", dst, conn ? conn : "(null)");
}

static bool
conn_in(const IrConn *c, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (streq(c[i].name, name))
			return true;
	return false;
}

/* A fresh input connector name "in<k>" for the consumer tasklet, whose
 * connectors are so far in[0..n) and output `out`. */
static const char *
fresh_conn(Ctx *ctx, const IrConn *in, int n, const char *out, int *next)
{
	const char *c;
	while (c = arena_printf(ctx->arena, "in%d", (*next)++), conn_in(in, n, c) || streq(c, out))
		;
	return c;
}

/* Is memlet i of the consumer's state one of its reads of T? */
static bool
reads_t(const Fuse *F, int i)
{
	const IrMemlet *m = &F->C.state->memlets.data[i];
	return i == F->cin || (m->src == F->C.entry && streq(m->src_conn, F->tconn));
}

/* The producer's expression, over fresh consumer connectors to[] and the
 * consumer's params, converted as the store to T converted it. */
static IrExpr *
producer_expr(Ctx *ctx, const Fuse *F, const IrNode *pt, const char **to)
{
	size_t n = (size_t)pt->tasklet.nin + 1;
	const char **from = arena_alloc(ctx->arena, sizeof(char *) * n);
	for (int k = 0; k < pt->tasklet.nin; k++)
		from[k] = pt->tasklet.in[k].name;
	Renames ins = { pt->tasklet.nin, from, to };
	Renames syms = param_renames(F, false);
	IrExpr *e = expr_rewrite(ctx->arena, pt->tasklet.expr, &ins, &syms, NULL);
	e = convert(ctx->arena, e, pt->tasklet.out.dtype);
	return convert(ctx->arena, e, ir_program_find_container(F->p, F->t)->dtype);
}

/* The input connector of the consumer tasklet that reads `sub` of x
 * through its entry's connector OUT_<ex>, with dtype t; NULL if none. */
static const char *
existing_read(const Fuse *F, const char *ex, const char *x, const Subset *sub, DType t)
{
	const IrState *s = F->C.state;
	const IrNode *ct = &s->nodes.data[F->ctask];
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->src != F->C.entry || m->dst != F->ctask ||
		    !streq(suffix(m->src_conn, "OUT_"), ex) || !streq(m->data, x) ||
		    !subset_equal(&m->subset, sub))
			continue;
		for (int k = 0; k < ct->tasklet.nin; k++)
			if (streq(ct->tasklet.in[k].name, m->dst_conn) && ct->tasklet.in[k].dtype == t)
				return m->dst_conn;
	}
	return NULL;
}

/* Routes the producer's input connector c into the consumer and returns
 * the consumer tasklet's connector that carries it: one that already reads
 * the same element from the same node, or `cname` with new memlets. */
static const char *
route_input(Ctx *ctx, const Fuse *F, const IrConn *c, const char *cname)
{
	const IrState *ps = F->P.state;
	IrMemlet inner = *pass_memlet_into(ps, F->ptask, c->name);
	const char *px = suffix(inner.src_conn, "OUT_");
	if (inner.src != F->P.entry || !px)
		ICE("producer input '%s' does not come through its entry", c->name);
	IrMemlet outer = *pass_memlet_into(ps, F->P.entry, arena_printf(ctx->arena, "IN_%s", px));
	int node = F->same ? outer.src
			   : pass_fusion_reader_access(ctx, &F->C, outer.data, outer.loc);
	const char *x = pass_fusion_entry_conn(ctx, &F->C, node, &outer);
	Renames r = param_renames(F, false);
	Subset sub = subset_rename(ctx->arena, &inner.subset, &r);
	const char *old = existing_read(F, x, inner.data, &sub, c->dtype);
	if (old)
		return old;
	ir_state_add_memlet(ctx, F->C.state, F->C.entry, arena_printf(ctx->arena, "OUT_%s", x),
			    F->ctask, cname, inner.data, sub, WCR_NONE, inner.loc);
	return cname;
}

/* Moves the producer's computation into the consumer's tasklet: its
 * reads of T go, the producer's inputs come in on connectors of their own
 * or on ones that already read the same elements. */
static void
rewrite_tasklet(Ctx *ctx, const Fuse *F)
{
	Arena *a = ctx->arena;
	IrNode pt = F->P.state->nodes.data[F->ptask];
	IrState *cs = F->C.state;
	const IrNode *ct = &cs->nodes.data[F->ctask];
	int pn = pt.tasklet.nin, cn = ct->tasklet.nin, nin = 0, next = 0;
	IrConn *in = arena_alloc(a, sizeof(IrConn) * (size_t)(cn + pn + 1));
	for (int i = 0; i < cn; i++) {
		const IrMemlet *m = pass_memlet_into(cs, F->ctask, ct->tasklet.in[i].name);
		if (m->src != F->C.entry || !streq(m->src_conn, F->tconn))
			in[nin++] = ct->tasklet.in[i];
	}
	int kept = nin;
	const char **to = arena_alloc(a, sizeof(char *) * (size_t)(pn + 1));
	for (int k = 0; k < pn; k++) {
		int save = next;
		const char *cname = fresh_conn(ctx, in, nin, ct->tasklet.out.name, &next);
		to[k] = route_input(ctx, F, &pt.tasklet.in[k], cname);
		if (to[k] == cname)
			in[nin++] = (IrConn){ cname, pt.tasklet.in[k].dtype };
		else
			next = save;
	}
	IrExpr *pe = producer_expr(ctx, F, &pt, to);
	ct = &cs->nodes.data[F->ctask];
	Repl r = { 0, arena_alloc(a, sizeof(char *) * (size_t)(cn + 1)),
		   arena_alloc(a, sizeof(IrExpr *) * (size_t)(cn + 1)) };
	for (int i = 0; i < cn; i++) {
		IrConn c = ct->tasklet.in[i];
		if (conn_in(in, kept, c.name))
			continue;
		r.conn[r.n] = c.name;
		r.with[r.n++] = convert(a, pe, c.dtype);
	}
	IrNode *t = &cs->nodes.data[F->ctask];
	t->tasklet.expr = expr_rewrite(a, t->tasklet.expr, NULL, NULL, &r);
	t->tasklet.nin = nin;
	t->tasklet.in = in;
}

/* Adds an empty memlet entry -> tasklet when no other keeps the consumer's
 * tasklet in the map's scope. */
static void
keep_in_scope(Ctx *ctx, const Fuse *F)
{
	IrState *s = F->C.state;
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].src == F->C.entry && s->memlets.data[i].dst == F->ctask &&
		    !reads_t(F, i))
			return;
	ir_state_add_memlet(ctx, s, F->C.entry, NULL, F->ctask, NULL, NULL, (Subset){ 0 },
			    WCR_NONE, s->nodes.data[F->ctask].loc);
}

typedef struct Dead {
	bool *node, *memlet;
} Dead;

static Dead
dead_new(Arena *a, const IrState *s)
{
	return (Dead){ arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1)),
		       arena_alloc(a, sizeof(bool) * (size_t)(s->memlets.len + 1)) };
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

static void
remove_producer(Ctx *ctx, const Fuse *F)
{
	Arena *a = ctx->arena;
	IrState *ps = F->P.state, *cs = F->C.state;
	Dead dc = dead_new(a, cs), dp = F->same ? dc : dead_new(a, ps);
	for (int i = 0; i < cs->memlets.len; i++)
		dc.memlet[i] = reads_t(F, i);
	dc.node[F->r] = true;
	dp.node[F->P.entry] = dp.node[entry_of(&F->P)->map.exit] = true;
	dp.node[F->ptask] = dp.node[F->w] = true;
	pass_fusion_mark_orphans(F->P.state, F->P.entry, dp.node, dp.memlet);
	pass_state_remove(ctx, cs, dc.node, dc.memlet);
	if (F->same)
		return;
	pass_state_remove(ctx, ps, dp.node, dp.memlet);
	if (ps->nodes.len > 0)
		return;
	for (int i = F->pindex; i + 1 < F->list->len; i++)
		F->list->data[i] = F->list->data[i + 1];
	F->list->len--;
}

void
pass_fusion_apply(Ctx *ctx, const XSite *site, bool reduce)
{
	Fuse F;
	if (analyse(ctx, site, reduce, &F))
		ICE("%s applied where it does not apply", reduce ? "reduction-fusion" : "map-fusion");
	rewrite_tasklet(ctx, &F);
	keep_in_scope(ctx, &F);
	remove_producer(ctx, &F);
	pass_container_remove(F.p, F.t);
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
	int exit = entry_of(P)->map.exit;
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

void
pass_fusion_match(Ctx *ctx, IrProgram *p, bool reduce, XSiteList *out)
{
	Maps M = { ctx, { 0 } };
	pass_foreach_state(p, collect_maps, &M);
	for (int i = 0; i < M.v.len; i++)
		for (int k = 0; k < M.v.len; k++) {
			if (i == k || !feeds(&M.v.data[i], &M.v.data[k]))
				continue;
			XSite site = { .p = p, .n = 2, .names = { entry_of(&M.v.data[i])->label,
								  entry_of(&M.v.data[k])->label } };
			if (!pass_fusion_check(ctx, &site, reduce))
				vec_push(ctx->arena, out, site);
		}
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
