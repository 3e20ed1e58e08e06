/* passes/copy_removal.c — redundant-copy-removal: a map that only copies
 * one container into another disappears, and one of the two containers
 * takes the other's place.
 *
 * The frontend emits pure copies: `return C` copies a fresh transient C
 * into the return container, `t = x.copy()` copies x into a transient t.
 * The site is the copy's map label. It must be a plain copy: its state
 * holds an access node of S, the map, one tasklet `out = in0` (no
 * conversion: the connectors, S and D have one dtype) and an access node
 * of D, nothing else; the map's ranges are 0:extent:1 over every
 * dimension of D, in order; the tasklet reads S[p0, ..., pn-1] and writes
 * D[p0, ..., pn-1] without WCR. S and D then must have the same shape,
 * strides and storage, so that renaming one into the other touches the
 * same elements.
 *
 * Program order is the preorder of the control-flow tree. A state s can
 * run after state c when it comes later in that order or lies in a loop
 * around c (a loop runs its whole body again); it can run before c when
 * it comes earlier or lies in a loop around c. Branches count as if both
 * arms ran, which only adds orderings.
 *
 * Case (a), S disappears into D. S is a transient; every state using S
 * lies under a block that comes earlier in the copy's block list (so the
 * copy runs after each of them: S is used in no branch the copy is not
 * in, in no loop around the copy, and nowhere after it); no condition
 * reads S. From the first block of that list using S up to the copy, no
 * state uses D and no return (or break/continue out of that stretch) can
 * skip the copy. Then every access of S is renamed to D: D receives the
 * values the copy would have given it, at a time when nothing looks at D.
 *
 * Case (b), D disappears into S. D is a transient that only the copy
 * writes and that no state reads unless it can run after the copy; no
 * condition reads D. S is not written in a state that can run after the
 * copy and before a state reading D, nor in a state reading D (inside a
 * loop around the copy this means: S is written nowhere in that loop).
 * Then every read of D is renamed to S, which still holds the copied
 * values there.
 *
 * Case (c), S is computed in D's place (an in-place update, `x[r, :] -=
 * c * x[i, :]`, which the frontend buffers in S since the right side
 * reads x). Here the copy may write any part of D, D[g(p)], as long as
 * its map reads S[p]; S and D share a dtype. S is a transient used only
 * by the copy and by the state right before it in the same block list,
 * the producer, whose one top-level map holds one tasklet, which writes
 * S[q] (without WCR) and is the only thing in that state writing
 * anything. Both maps run over the whole of S (0:extent:1), or over the
 * same ranges (a buffer of the largest extent, of which each iteration
 * of a loop fills and copies a part: same_ranges).
 * Written as D[g(q)] instead, no iteration may touch an element of D
 * that another iteration writes: the exact dependence test of
 * loop-to-map (depend.h) finds no dependence on D carried by any of the
 * map's parameters (the others free for each access). Each iteration
 * then still reads old values of D, its own element before writing it.
 * Failing that, a map of one parameter (step 1) may run sequentially in
 * ascending or descending order of it when that order leaves only anti
 * dependences on D (each element is read before a later iteration
 * overwrites it, `x[1:] = x[:-1]`, as memmove): the map becomes
 * sequential, and for the descending order its state's subsets read the
 * parameter p of range b:e as b + e - 1 - p (refused when the tasklet
 * uses p itself).
 *
 * Case (d), the copy forwards: the state right before the copy, in the
 * same block list, is itself a plain copy (as for (a) and (b)) of some
 * container R into S (`A[:] = t; return A`). Then S equals R when the
 * copy runs, and the copy reads R instead of S. Nothing disappears yet,
 * but the copy R -> D may then fall under (a) or (b) (`t` computed
 * straight into the return container, which A is then copied from).
 *
 * Case (a) is tried first, then (b), (c) and (d). Apply renames (access
 * nodes, memlet data, and the map connectors IN_<old>/OUT_<old> where the
 * new name is free) -- for (c) it redirects the producer's writes from
 * S[q] to D[g(q)] -- deletes the copy's state from its block list and
 * drops the container that disappeared; for (d) it renames S to R in the
 * copy's state alone.
 */
#include <string.h>

#include "depend.h"

typedef struct Pos {
	IrBlock *b;
	int end;                /* index of the last block of its subtree */
	int loop;               /* index of the innermost loop around it; -1 */
} Pos;

typedef VEC(Pos) Order;

typedef struct Copy {
	IrProgram *p;
	MapRef m;
	const char *s, *d;      /* source and destination container */
	const IrContainer *S, *D;
	IrBlockList *list;      /* block list holding the copy's state */
	int index;              /* of that state in list */
	Order order;            /* every block of p in program order */
	int c;                  /* the copy's state in order */
	const IrMemlet *ch[4];  /* the copy's chain (copy_chain) */
	MapRef P;               /* case (c): the producer's map */
	bool producer;          /* case (c): all holds but maybe legality */
	int dir;                /* case (c): 0 parallel; 1 or -1 sequential,
				   parameter ascending or descending */
	const char *r;          /* case (d): the source of the copy before */
	char kase;              /* 'a', 'b' or 'c' once check passed */
} Copy;

/* ---- program order ---- */

static void
order_list(Ctx *ctx, Order *o, IrBlockList *l, int loop)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		int k = o->len;
		vec_push(ctx->arena, o, ((Pos){ b, k, loop }));
		if (b->kind == CF_FOR)
			order_list(ctx, o, &b->loop.body, k);
		else if (b->kind == CF_WHILE)
			order_list(ctx, o, &b->wloop.body, k);
		else if (b->kind == CF_IF) {
			for (int j = 0; j < b->branch.n; j++)
				order_list(ctx, o, &b->branch.bodies[j], loop);
			order_list(ctx, o, &b->branch.orelse, loop);
		}
		o->data[k].end = o->len - 1;
	}
}

static int
order_index(const Order *o, const IrBlock *b)
{
	for (int i = 0; i < o->len; i++)
		if (o->data[i].b == b)
			return i;
	ICE("block '%s' is not in program order", b->name ? b->name : "?");
}

/* Does a loop around block c also hold block s? */
static bool
shares_loop(const Order *o, int c, int s)
{
	for (int l = o->data[c].loop; l >= 0; l = o->data[l].loop)
		if (l < s && s <= o->data[l].end)
			return true;
	return false;
}

/* Can block s run after block c (file comment)? */
static bool
runs_after(const Order *o, int c, int s)
{
	return s > c || shares_loop(o, c, s);
}

static bool
runs_before(const Order *o, int c, int s)
{
	return s < c || shares_loop(o, c, s);
}

/* ---- uses of a container in a state ---- */

typedef struct Use {
	bool any;               /* an access node or a memlet names it */
	bool read;              /* a memlet leaves one of its access nodes */
	bool write;             /* a memlet enters one of its access nodes */
} Use;

static bool
is_access(const IrState *s, int id, const char *x)
{
	const IrNode *n = &s->nodes.data[id];
	return n->kind == IRN_ACCESS && pass_streq(n->access.data, x);
}

static Use
state_use(const IrState *s, const char *x)
{
	Use u = { false, false, false };
	for (int i = 0; i < s->nodes.len; i++)
		u.any |= is_access(s, i, x);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		u.any |= pass_streq(m->data, x);
		u.read |= is_access(s, m->src, x);
		u.write |= is_access(s, m->dst, x);
	}
	return u;
}

/* The use of x by block k of the order: nothing unless it is a state. */
static Use
block_use(const Copy *C, int k, const char *x)
{
	const IrBlock *b = C->order.data[k].b;
	if (b->kind != CF_STATE)
		return (Use){ false, false, false };
	return state_use(b->state, x);
}

/* ---- the copy itself ---- */

static const char *
label(const Copy *C)
{
	return pass_map_label(&C->m);
}

/* The memlets of the copy's state by their ends, or false when the state
 * is not exactly: access -> entry -> tasklet -> exit -> access. */
static bool
copy_chain(const IrState *s, int entry, const IrMemlet **chain)
{
	int exit = s->nodes.data[entry].map.exit;
	if (s->nodes.len != 5 || s->memlets.len != 4)
		return false;
	for (int k = 0; k < 4; k++)
		chain[k] = NULL;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		int k = m->dst == entry ? 0 : m->src == entry ? 1 : m->dst == exit ? 2 :
			m->src == exit ? 3 : -1;
		if (k < 0 || chain[k] || !m->data)
			return false;
		chain[k] = m;
	}
	return s->nodes.data[chain[0]->src].kind == IRN_ACCESS &&
		s->nodes.data[chain[1]->dst].kind == IRN_TASKLET &&
		chain[2]->src == chain[1]->dst &&
		s->nodes.data[chain[3]->dst].kind == IRN_ACCESS;
}

/* Is subset x exactly [params[0], ..., params[n-1]]? */
static bool
identity_index(Arena *a, const Subset *x, const IrNode *e)
{
	if (x->ndim != e->map.nparams)
		return false;
	for (int k = 0; k < x->ndim; k++) {
		Sym *p = sym_var(a, e->map.params[k]);
		if (!sym_equal(x->r[k].begin, p) || !sym_equal(x->r[k].end, sym_addc(a, p, 1)) ||
		    !sym_equal(x->r[k].step, sym_const(a, 1)))
			return false;
	}
	return true;
}

/* Do the map's ranges run over the whole of container d, 0:extent:1? */
static bool
whole_extent(Arena *a, const IrNode *e, const IrContainer *d)
{
	if (e->map.nparams != d->ndim)
		return false;
	for (int k = 0; k < d->ndim; k++) {
		const SymRange *r = &e->map.ranges[k];
		if (!sym_equal(r->begin, sym_const(a, 0)) || !sym_equal(r->end, d->shape[k]) ||
		    !sym_equal(r->step, sym_const(a, 1)))
			return false;
	}
	return true;
}

/* Do maps e and f run over the same ranges? (A producer that fills
 * tmp[0:i] of a tmp[N - 1], the frontend's buffer of `C[i, 1:i + 1] =
 * C[i - 1, 1:i + 1] + C[i - 1, :i]`, and the copy of tmp[0:i] out of it:
 * every element the copy reads is one the producer wrote, and no other.) */
static bool
same_ranges(const IrNode *e, const IrNode *f)
{
	if (e->map.nparams != f->map.nparams)
		return false;
	for (int k = 0; k < e->map.nparams; k++) {
		const SymRange *x = &e->map.ranges[k], *y = &f->map.ranges[k];
		if (!sym_equal(x->begin, y->begin) || !sym_equal(x->end, y->end) ||
		    !sym_equal(x->step, y->step))
			return false;
	}
	return true;
}

/* The scope of the map holds one tasklet (*t), whose expression is its
 * single input, maybe converted. */
static const char *
copy_tasklet(Ctx *ctx, const Copy *C, int *t)
{
	Arena *a = ctx->arena;
	const IrState *s = C->m.state;
	bool *in = ir_state_scope_members(a, s, C->m.entry);
	int n = 0;
	for (int i = 0; i < s->nodes.len; i++)
		if (in[i]) {
			n++;
			*t = i;
		}
	if (n != 1 || s->nodes.data[*t].kind != IRN_TASKLET)
		return arena_printf(a, "'%s' does not hold exactly one tasklet", label(C));
	const IrNode *tn = &s->nodes.data[*t];
	const IrExpr *e = tn->tasklet.expr;
	while (e->kind == EX_CAST)
		e = e->args[0];
	if (tn->tasklet.nout_index > 0)
		return arena_printf(a, "the tasklet of '%s' writes at data-dependent indices",
				    label(C));
	if (tn->tasklet.nin != 1 || e->kind != EX_IN ||
	    !pass_streq(e->name, tn->tasklet.in[0].name))
		return arena_printf(a, "the tasklet of '%s' computes %s instead of copying its "
				    "input", label(C), ir_expr_print(a, tn->tasklet.expr));
	return NULL;
}

/* No conversion: no cast, and S, D and the connectors have one dtype. */
static const char *
no_conversion(Ctx *ctx, const Copy *C, const IrNode *t)
{
	DType ts[4] = { C->S->dtype, t->tasklet.in[0].dtype, t->tasklet.out.dtype, C->D->dtype };
	bool ok = t->tasklet.expr->kind == EX_IN;
	for (int k = 1; k < 4; k++)
		ok = ok && ts[k] == ts[0];
	if (ok)
		return NULL;
	return arena_printf(ctx->arena, "'%s' converts %s '%s' to %s '%s': removing it would "
			    "change the values", label(C), dtype_name(C->S->dtype), C->s,
			    dtype_name(C->D->dtype), C->d);
}

static const char *
same_layout(Ctx *ctx, const Copy *C)
{
	Arena *a = ctx->arena;
	const IrContainer *S = C->S, *D = C->D;
	bool ok = S->ndim == D->ndim && S->storage == D->storage;
	for (int k = 0; ok && k < S->ndim; k++)
		ok = sym_equal(S->shape[k], D->shape[k]) && sym_equal(S->strides[k], D->strides[k]);
	if (ok)
		return NULL;
	return arena_printf(a, "'%s' and '%s' differ in shape, strides or storage: one cannot "
			    "take the other's place", C->s, C->d);
}

/* Is the map a plain copy of one container into another, without
 * conversion? Fills C. */
static const char *
copy_form(Ctx *ctx, Copy *C)
{
	Arena *a = ctx->arena;
	const IrState *s = C->m.state;
	const IrMemlet **ch = C->ch;
	if (ir_state_scope_of(s, C->m.entry) >= 0)
		return arena_printf(a, "'%s' is nested in another map", label(C));
	int t = -1;
	const char *why = copy_tasklet(ctx, C, &t);
	if (why)
		return why;
	if (!copy_chain(s, C->m.entry, ch) || ch[1]->dst != t)
		return arena_printf(a, "'%s' holds more than the single copy '%s'", s->name, label(C));
	C->s = ch[0]->data;
	C->d = ch[3]->data;
	C->S = ir_program_find_container(C->p, C->s);
	C->D = ir_program_find_container(C->p, C->d);
	if (!C->S || !C->D || !is_access(s, ch[0]->src, C->s) || !pass_streq(ch[1]->data, C->s) ||
	    !is_access(s, ch[3]->dst, C->d) || !pass_streq(ch[2]->data, C->d) ||
	    ch[2]->wcr != WCR_NONE || ch[3]->wcr != WCR_NONE)
		return arena_printf(a, "'%s' does not copy one container into another", label(C));
	if (pass_streq(C->s, C->d))
		return arena_printf(a, "'%s' copies '%s' onto itself", label(C), C->s);
	return no_conversion(ctx, C, &s->nodes.data[t]);
}

/* Is the copy, besides, whole and elementwise between two containers of
 * one layout (cases (a) and (b))? */
static const char *
plain_copy(Ctx *ctx, Copy *C)
{
	Arena *a = ctx->arena;
	const IrNode *e = &C->m.state->nodes.data[C->m.entry];
	const IrMemlet **ch = C->ch;
	if (!whole_extent(a, e, C->D))
		return arena_printf(a, "'%s' does not run over the whole of '%s'", label(C), C->d);
	if (!identity_index(a, &ch[1]->subset, e) || !identity_index(a, &ch[2]->subset, e))
		return arena_printf(a, "'%s' moves %s%s to %s%s, not element for element",
				    label(C), C->s, subset_print(a, &ch[1]->subset), C->d,
				    subset_print(a, &ch[2]->subset));
	return same_layout(ctx, C);
}

/* ---- case (a): S becomes D ---- */

/* The first block of the copy's list, at an index before the copy, whose
 * subtree holds order index k; -1 when k is not under one. */
static int
list_item_of(const Copy *C, int k)
{
	for (int i = 0; i < C->index; i++) {
		int at = order_index(&C->order, C->list->data[i]);
		if (at <= k && k <= C->order.data[at].end)
			return i;
	}
	return -1;
}

/* Blocks [from, to) of the order hold no use of D and no early exit that
 * could skip the copy. */
static const char *
zone_clear(Ctx *ctx, const Copy *C, int from, int to)
{
	Arena *a = ctx->arena;
	for (int k = from; k < to; k++) {
		const IrBlock *b = C->order.data[k].b;
		int l = C->order.data[k].loop;
		if (block_use(C, k, C->d).any)
			return arena_printf(a, "'%s' uses '%s' while '%s' holds the values the copy "
					    "gives it", b->name, C->d, C->s);
		if (b->kind == CF_RETURN || ((b->kind == CF_BREAK || b->kind == CF_CONTINUE) &&
					     (l < 0 || l < from)))
			return arena_printf(a, "the %s at line %d may skip the copy",
					    b->kind == CF_RETURN ? "return" : b->kind == CF_BREAK ?
					    "break" : "continue", b->loc.line);
	}
	return NULL;
}

static const char *
source_case(Ctx *ctx, const Copy *C)
{
	Arena *a = ctx->arena;
	int first = -1;
	for (int k = 0; k < C->order.len; k++) {
		if (k == C->c || !block_use(C, k, C->s).any)
			continue;
		const char *where = C->order.data[k].b->name;
		if (runs_after(&C->order, C->c, k))
			return arena_printf(a, "'%s' is used after the copy, in '%s'", C->s, where);
		int item = list_item_of(C, k);
		if (item < 0)
			return arena_printf(a, "the copy may not run after '%s', which uses '%s' "
					    "outside the branch or loop holding the copy", where, C->s);
		if (first < 0)
			first = item;
	}
	if (first < 0)
		return arena_printf(a, "'%s' is never computed before the copy", C->s);
	if (pass_cond_reads(C->p, C->s))
		return arena_printf(a, "'%s' is read by a loop or branch condition", C->s);
	return zone_clear(ctx, C, order_index(&C->order, C->list->data[first]), C->c);
}

/* ---- case (b): D becomes S ---- */

/* Is S written in a block that can run after the copy and before block r
 * (a reader of D), or in r itself? The writer's name, or NULL. */
static const char *
written_while_read(const Copy *C, int r)
{
	for (int k = 0; k < C->order.len; k++) {
		if (k == C->c || !block_use(C, k, C->s).write)
			continue;
		if (k == r || (runs_after(&C->order, C->c, k) && runs_before(&C->order, r, k)))
			return C->order.data[k].b->name;
	}
	return NULL;
}

static const char *
dest_case(Ctx *ctx, const Copy *C)
{
	Arena *a = ctx->arena;
	for (int k = 0; k < C->order.len; k++) {
		if (k == C->c)
			continue;
		Use u = block_use(C, k, C->d);
		const char *where = C->order.data[k].b->name, *w;
		if (u.write)
			return arena_printf(a, "'%s' is written again, in '%s'", C->d, where);
		if (!u.any)
			continue;
		if (!runs_after(&C->order, C->c, k))
			return arena_printf(a, "'%s' reads '%s' before the copy writes it", where, C->d);
		if ((w = written_while_read(C, k)))
			return arena_printf(a, "'%s' writes '%s' while '%s' still holds the copied "
					    "values (read in '%s')", w, C->s, C->d, where);
	}
	if (pass_cond_reads(C->p, C->d))
		return arena_printf(a, "'%s' is read by a loop or branch condition", C->d);
	return NULL;
}

/* ---- case (c): S is computed in D's place ---- */

/* The producer's state: the block right before the copy in its list. */
static IrState *
producer_state(const Copy *C)
{
	if (C->index == 0 || C->list->data[C->index - 1]->kind != CF_STATE)
		return NULL;
	return C->list->data[C->index - 1]->state;
}

/* The one top-level map of s, holding one tasklet (*t) and nothing else;
 * -1 otherwise. */
static int
lone_map(Ctx *ctx, const IrState *s, int *t)
{
	int entry = -1;
	for (int i = 0; i < s->nodes.len; i++) {
		IrNodeKind k = s->nodes.data[i].kind;
		if (k == IRN_MAP_ENTRY && entry >= 0)
			return -1;
		if (k == IRN_MAP_ENTRY)
			entry = i;
		else if (k != IRN_ACCESS && k != IRN_MAP_EXIT && k != IRN_TASKLET)
			return -1;
	}
	if (entry < 0)
		return -1;
	bool *in = ir_state_scope_members(ctx->arena, s, entry);
	int n = 0, outside = 0;
	for (int i = 0; i < s->nodes.len; i++) {
		if (in[i]) {
			n++;
			*t = i;
		} else if (s->nodes.data[i].kind == IRN_TASKLET) {
			outside++;
		}
	}
	return n == 1 && outside == 0 && s->nodes.data[*t].kind == IRN_TASKLET ? entry : -1;
}

/* Do the memlets of the producer write S only, as S[q] from its tasklet
 * and the whole of S from the map's exit, and nothing else? */
static bool
writes_only_s(Ctx *ctx, const Copy *C, int t)
{
	const IrState *s = C->P.state;
	const IrNode *e = &s->nodes.data[C->P.entry];
	int exit = e->map.exit, nw = 0;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		bool w = m->src == t || m->src == exit;
		if (!w && !is_access(s, m->src, C->s))
			continue;
		if (!w || !pass_streq(m->data, C->s) || m->wcr != WCR_NONE)
			return false;
		if (m->src == t && !identity_index(ctx->arena, &m->subset, e))
			return false;
		nw++;
	}
	return nw == 2 && s->nodes.data[t].tasklet.nout_index == 0;
}

/* S is used by the copy and the producer only, and by no condition. */
static const char *
s_confined(Ctx *ctx, const Copy *C)
{
	int prod = C->c - 1;
	for (int k = 0; k < C->order.len; k++)
		if (k != C->c && k != prod && block_use(C, k, C->s).any)
			return arena_printf(ctx->arena, "'%s' is also used in '%s'", C->s,
					    C->order.data[k].b->name);
	if (pass_cond_reads(C->p, C->s))
		return arena_printf(ctx->arena, "'%s' is read by a loop or branch condition", C->s);
	return NULL;
}

/* The copy's write index D[g(p)] in the producer's params: g(q). */
static Subset
target_index(Ctx *ctx, const Copy *C)
{
	Arena *a = ctx->arena;
	const IrNode *ce = &C->m.state->nodes.data[C->m.entry];
	const IrNode *pe = &C->P.state->nodes.data[C->P.entry];
	Subset g = C->ch[2]->subset;
	g.r = arena_alloc(a, sizeof(SymRange) * (size_t)(g.ndim + 1));
	for (int d = 0; d < g.ndim; d++) {
		SymRange r = C->ch[2]->subset.r[d];
		for (int pass = 0; pass < 2; pass++)
			for (int k = 0; k < ce->map.nparams; k++) {
				const char *tmp = arena_printf(a, "dfc#cr%d", k);
				const char *from = pass ? tmp : ce->map.params[k];
				Sym *to = sym_var(a, pass ? pe->map.params[k] : tmp);
				r.begin = sym_subst(a, r.begin, from, to);
				r.end = sym_subst(a, r.end, from, to);
				r.step = sym_subst(a, r.step, from, to);
			}
		g.r[d] = r;
	}
	return g;
}

/* The accesses of D in the producer once it writes D[g(q)] instead of
 * S[q], each without param k (the loop variable of the test). */
static DepAccessList
d_accesses(Ctx *ctx, const Copy *C, const DepAccessList *all, int k, const Subset *g)
{
	const IrNode *pe = &C->P.state->nodes.data[C->P.entry];
	const char *var = pe->map.params[k];
	DepAccessList out = { 0 };
	for (int i = 0; i < all->len; i++) {
		DepAccess x = all->data[i];
		if (x.write && pass_streq(x.data, C->s)) {
			x.data = C->d;
			x.subset = *g;
		}
		if (!pass_streq(x.data, C->d))
			continue;
		const char **ps = arena_alloc(ctx->arena, sizeof(char *) * (size_t)(x.nparams + 1));
		SymRange *rs = arena_alloc(ctx->arena, sizeof(SymRange) * (size_t)(x.nparams + 1));
		int n = 0;
		for (int j = 0; j < x.nparams; j++)
			if (strcmp(x.params[j], var) != 0) {
				ps[n] = x.params[j];
				rs[n++] = x.ranges[j];
			}
		x.params = ps;
		x.ranges = rs;
		x.nparams = n;
		vec_push(ctx->arena, &out, x);
	}
	return out;
}

/* Run in the order of L, do the accesses acc[0..n) on D carry only
 * dependences where an iteration reads an element that a later one
 * writes (anti), never one where a later iteration reads or writes what
 * an earlier one wrote? Then each iteration still reads old values. */
static bool
anti_only(Ctx *ctx, const DepLoop *L, const DepAccess *acc, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; acc[i].write && j < n; j++) {
			Dep d;
			DepKind k = dep_test_pair(ctx, L, &acc[i], &acc[j], &d);
			if (k != DEP_NONE && (k != DEP_ANTI || d.both))
				return false;
		}
	return true;
}

/* A one-parameter producer whose iterations depend on one another may
 * still run in place sequentially, in ascending or descending order of
 * its parameter, when that order leaves only anti dependences on D (an
 * overlapping shift, `x[1:] = x[:-1]`, like memmove): sets C->dir. The
 * descending order rewrites the subsets, so a tasklet using the
 * parameter's value keeps the ascending one only. */
static bool
ordered_legal(Ctx *ctx, Copy *C, const DepAccessList *acc)
{
	const IrNode *pe = &C->P.state->nodes.data[C->P.entry];
	const SymRange *r = &pe->map.ranges[0];
	int64_t step;
	if (pe->map.nparams != 1 || !sym_is_const(r->step, &step) || step != 1)
		return false;
	DepLoop up = { pe->map.params[0], r->begin, r->end, 1, C->p };
	if (anti_only(ctx, &up, acc->data, acc->len)) {
		C->dir = 1;
		return true;
	}
	int t = -1;
	lone_map(ctx, C->P.state, &t);
	if (ir_expr_uses_sym(C->P.state->nodes.data[t].tasklet.expr, pe->map.params[0]))
		return false;
	DepLoop down = { pe->map.params[0], sym_addc(ctx->arena, r->end, -1),
			 sym_addc(ctx->arena, r->begin, -1), -1, C->p };
	if (!anti_only(ctx, &down, acc->data, acc->len))
		return false;
	C->dir = -1;
	return true;
}

/* No parameter of the producer's map carries a dependence on D, or the
 * map can run in an order that leaves only anti dependences on D
 * (ordered_legal). */
static const char *
in_place_legal(Ctx *ctx, Copy *C)
{
	const IrNode *pe = &C->P.state->nodes.data[C->P.entry];
	Subset g = target_index(ctx, C);
	DepAccessList all = { 0 };
	dep_collect_state(ctx, C->P.state, &all);
	for (int k = 0; k < pe->map.nparams; k++) {
		const SymRange *r = &pe->map.ranges[k];
		int64_t step;
		if (!sym_is_const(r->step, &step))
			return arena_printf(ctx->arena, "the step of %s is not a constant",
					    pe->map.params[k]);
		DepAccessList acc = d_accesses(ctx, C, &all, k, &g);
		DepLoop L = { pe->map.params[k], r->begin, r->end, step, C->p };
		const char *why = dep_loop_carried(ctx, &L, acc.data, acc.len);
		if (why && ordered_legal(ctx, C, &acc))
			return NULL;
		if (why)
			return arena_printf(ctx->arena, "written in place, %s%s%s%s", why,
					    pe->map.nparams == 1 ? ", and no sequential order of " : "",
					    pe->map.nparams == 1 ? pe->map.params[k] : "",
					    pe->map.nparams == 1 ? " reads only old values" : "");
	}
	return NULL;
}

static const char *
in_place_case(Ctx *ctx, Copy *C)
{
	Arena *a = ctx->arena;
	const IrNode *e = &C->m.state->nodes.data[C->m.entry];
	if (C->S->role != ROLE_TRANSIENT)
		return arena_printf(a, "'%s' is not a transient", C->s);
	if (!identity_index(a, &C->ch[1]->subset, e))
		return arena_printf(a, "'%s' does not read '%s' element for element", label(C),
				    C->s);
	IrState *ps = producer_state(C);
	int t = -1;
	int entry = ps ? lone_map(ctx, ps, &t) : -1;
	if (entry < 0)
		return arena_printf(a, "'%s' is not computed by one map with one tasklet in the "
				    "state right before the copy", C->s);
	C->P = (MapRef){ ps, entry, C->list->data[C->index - 1] };
	const IrNode *pe = &ps->nodes.data[entry];
	if (!(whole_extent(a, e, C->S) && whole_extent(a, pe, C->S)) && !same_ranges(e, pe))
		return arena_printf(a, "'%s' and the map of '%s' run neither over the whole of "
				    "'%s' nor over the same ranges", label(C), ps->name, C->s);
	if (!writes_only_s(ctx, C, t))
		return arena_printf(a, "the map of '%s' does not write '%s' element for element, "
				    "and nothing else", ps->name, C->s);
	const char *why = s_confined(ctx, C);
	if (why)
		return why;
	C->producer = true;
	return in_place_legal(ctx, C);
}

/* ---- case (d): the source was copied just before ---- */

/* The copy right before this one, if plain and into S, copies R into S:
 * sets C->r. */
static const char *
forward_case(Ctx *ctx, Copy *C)
{
	IrState *ps = producer_state(C);
	Copy P = { .p = C->p, .m = { ps, -1, NULL } };
	for (int i = 0; ps && i < ps->nodes.len; i++)
		if (ps->nodes.data[i].kind == IRN_MAP_ENTRY)
			P.m.entry = i;
	if (P.m.entry < 0 || copy_form(ctx, &P) || plain_copy(ctx, &P) ||
	    !pass_streq(P.d, C->s) || pass_streq(P.s, C->d))
		return arena_printf(ctx->arena, "the state before '%s' is no plain copy into '%s'",
				    label(C), C->s);
	C->r = P.s;
	return NULL;
}

/* ---- the whole check ---- */

static const char *
locate(Ctx *ctx, const XSite *site, Copy *C)
{
	*C = (Copy){ .p = site->p };
	if (!pass_find_map(site->p, site->names[0], &C->m))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	if (!pass_find_block(site->p, C->m.block->name, &C->list, &C->index) ||
	    C->list->data[C->index] != C->m.block)
		ICE("the state of map '%s' has no block of its own", site->names[0]);
	order_list(ctx, &C->order, &site->p->body, -1);
	C->c = order_index(&C->order, C->m.block);
	return NULL;
}

/* Cases (a) and (b); NULL when one applies (C->kase set). */
static const char *
renaming_cases(Ctx *ctx, Copy *C)
{
	Arena *a = ctx->arena;
	const char *why, *wa = NULL, *wb = NULL;
	if ((why = plain_copy(ctx, C)))
		return why;
	bool st = C->S->role == ROLE_TRANSIENT, dt = C->D->role == ROLE_TRANSIENT;
	if (!st && !dt)
		return arena_printf(a, "neither '%s' nor '%s' is a transient: the caller sees both",
				    C->s, C->d);
	if (st && !(wa = source_case(ctx, C))) {
		C->kase = 'a';
		return NULL;
	}
	if (dt && !(wb = dest_case(ctx, C))) {
		C->kase = 'b';
		return NULL;
	}
	const char *ra = wa ? arena_printf(a, "'%s' cannot replace '%s': %s", C->d, C->s, wa) : NULL;
	const char *rb = wb ? arena_printf(a, "'%s' cannot replace '%s': %s", C->s, C->d, wb) : NULL;
	if (ra && rb)
		return arena_printf(a, "%s; %s", ra, rb);
	return ra ? ra : rb;
}

/* Case (a), (b), (c), then (d); the reasons of (a) and (b), and that of
 * (c) when only its dependence test failed. */
static const char *
analyse(Ctx *ctx, const XSite *site, Copy *C)
{
	const char *why, *wc;
	if ((why = locate(ctx, site, C)) || (why = copy_form(ctx, C)))
		return why;
	if (!(why = renaming_cases(ctx, C)))
		return NULL;
	if (!(wc = in_place_case(ctx, C))) {
		C->kase = 'c';
		return NULL;
	}
	if (!plain_copy(ctx, C) && !forward_case(ctx, C)) {
		C->kase = 'd';
		return NULL;
	}
	if (!C->producer)
		return why;
	return arena_printf(ctx->arena, "%s; '%s' cannot be computed in '%s': %s", why, C->s,
			    C->d, wc);
}

static const char *
rc_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Copy C;
	return analyse(ctx, site, &C);
}

/* ---- apply ---- */

/* Renames the connectors IN_from/OUT_from of map node id to IN_to/OUT_to
 * when neither new name is taken there. */
static void
rename_conns(Ctx *ctx, IrState *s, int id, const char *from, const char *to)
{
	Arena *a = ctx->arena;
	const char *in0 = arena_printf(a, "IN_%s", from), *out0 = arena_printf(a, "OUT_%s", from);
	const char *in1 = arena_printf(a, "IN_%s", to), *out1 = arena_printf(a, "OUT_%s", to);
	if (pass_conn_taken(s, id, in1) || pass_conn_taken(s, id, out1))
		return;
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (m->src == id)
			m->src_conn = pass_streq(m->src_conn, in0) ? in1 :
				pass_streq(m->src_conn, out0) ? out1 : m->src_conn;
		if (m->dst == id)
			m->dst_conn = pass_streq(m->dst_conn, in0) ? in1 :
				pass_streq(m->dst_conn, out0) ? out1 : m->dst_conn;
	}
}

static void
rename_in_state(Ctx *ctx, IrState *s, const char *from, const char *to)
{
	for (int i = 0; i < s->nodes.len; i++) {
		IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_ACCESS && pass_streq(n->access.data, from))
			n->access.data = to;
		else if (n->kind == IRN_MAP_ENTRY || n->kind == IRN_MAP_EXIT)
			rename_conns(ctx, s, i, from, to);
	}
	for (int i = 0; i < s->memlets.len; i++)
		if (pass_streq(s->memlets.data[i].data, from))
			s->memlets.data[i].data = to;
}

/* Map entry of s runs its one parameter p, of range b:e:1, backwards:
 * every subset in the state reads p as b + e - 1 - p. */
static void
reverse_param(Ctx *ctx, IrState *s, int entry)
{
	Arena *a = ctx->arena;
	const IrNode *n = &s->nodes.data[entry];
	const char *p = n->map.params[0];
	Sym *to = sym_sub(a, sym_addc(a, sym_add(a, n->map.ranges[0].begin, n->map.ranges[0].end),
				      -1), sym_var(a, p));
	for (int i = 0; i < s->memlets.len; i++)
		s->memlets.data[i].subset = subset_subst(a, &s->memlets.data[i].subset, p, to);
}

/* Case (c): the producer writes D[g(q)] where it wrote S[q]; a map that
 * must run in order becomes sequential (C->dir). */
static void
write_in_place(Ctx *ctx, Copy *C)
{
	IrState *s = C->P.state;
	int exit = s->nodes.data[C->P.entry].map.exit;
	Subset g = target_index(ctx, C);
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (!pass_streq(m->data, C->s))
			continue;
		m->subset = m->src == exit ? C->ch[3]->subset : g;
		m->data = C->d;
	}
	for (int i = 0; i < s->nodes.len; i++)
		if (is_access(s, i, C->s))
			s->nodes.data[i].access.data = C->d;
	rename_conns(ctx, s, exit, C->s, C->d);
	if (C->dir != 0)
		s->nodes.data[C->P.entry].map.schedule = SCHED_SEQUENTIAL;
	if (C->dir < 0)
		reverse_param(ctx, s, C->P.entry);
}

static void
rc_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Copy C;
	if (analyse(ctx, site, &C))
		ICE("redundant-copy-removal applied where it does not apply");
	if (C.kase == 'd') {
		rename_in_state(ctx, C.m.state, C.s, C.r);
		return;
	}
	if (C.kase == 'c')
		write_in_place(ctx, &C);
	const char *from = C.kase == 'b' ? C.d : C.s, *to = C.kase == 'b' ? C.s : C.d;
	for (int k = 0; C.kase != 'c' && k < C.order.len; k++) {
		IrBlock *b = C.order.data[k].b;
		if (k != C.c && b->kind == CF_STATE && state_use(b->state, from).any)
			rename_in_state(ctx, b->state, from, to);
	}
	for (int i = C.index; i + 1 < C.list->len; i++)
		C.list->data[i] = C.list->data[i + 1];
	C.list->len--;
	pass_container_remove(C.p, from);
}

/* ---- matching ---- */

typedef struct Match {
	Ctx *ctx;
	IrProgram *p;
	VEC(const char *) labels;
} Match;

static void
collect(IrState *s, IrBlock *b, void *ud)
{
	Match *M = ud;
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_MAP_ENTRY && s->nodes.data[i].label)
			vec_push(M->ctx->arena, &M->labels, s->nodes.data[i].label);
}

static void
rc_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, { 0 } };
	pass_foreach_state(p, collect, &M);
	for (int i = 0; i < M.labels.len; i++) {
		XSite site = { .p = p, .n = 1, .names = { M.labels.data[i] } };
		if (!rc_check(ctx, &site, NULL))
			vec_push(ctx->arena, out, site);
	}
}

const Xform xform_copy_removal = {
	.name = "redundant-copy-removal",
	.desc = "removes a map that only copies one container into another; one of the two "
		"takes the other's place",
	.nsites = 1,
	.params = NULL,
	.match = rc_match,
	.check = rc_check,
	.apply = rc_apply,
};
