/* passes/loop_to_map.c — loop-to-map: a sequential for loop whose
 * iterations are independent becomes a parallel map.
 *
 *   for loop_L6 i in range(0, N, 1):        state state_L7:
 *     state state_L7:                ==>      A -IN_A-> map map_L6 [i = 0:N] cpu_parallel
 *       A -> map_L7 [_i0] -> B                  -OUT_A-> map_L7 [_i0] -> ... -> map_exit -OUT_B-> B
 *
 * The site is a CF_FOR block (loop_L<line>) whose body is states only.
 * Several states are first merged into the first one: the later states'
 * nodes and memlets are appended, and empty memlets from the last
 * computations of each state to the first ones of the next keep their
 * order (merge_states). The new map, labelled map_L<line> of the loop
 * (made unique), has the loop variable as its one parameter, so every
 * subset and tasklet that names it stays valid, over the loop's values:
 * [start:stop:step] for a positive step, and for a negative one the same
 * values in increasing order, [stop + 1 + (start - stop - 1) % -step :
 * start + 1 : -step]. Every node of the state moves into its scope except
 * the access nodes where data enters (only memlets out) or leaves (only
 * memlets in): a memlet from such an access node is routed through the
 * entry (IN_x/OUT_x, one pair per access node), a memlet into one through
 * the exit (one pair per memlet, with its WCR). The memlets around the
 * maps that were outermost in the state, then around the new one, get
 * subsets covering their scope (pass_map_cover_memlets: the parameters'
 * ranges substituted into the inner subsets, the container's full extent
 * where that is not affine). A node of the scope with no input gets an
 * empty memlet from the entry. The CF_FOR block is replaced by the
 * state's block. The schedule is cpu_parallel: the new map is outermost
 * in its state.
 *
 * Legality (check):
 *   - the loop body is states only: no nested loop, if, break, continue
 *     or return; no state holds a library node (the emitter runs none
 *     inside a map), a memlet between two access nodes, an access node
 *     inside a map that nothing reads, or a map reusing the loop
 *     variable's name;
 *   - no two different iterations touch one element where one of the
 *     touches is a write, unless both are writes with the same WCR
 *     (passes/depend.c decides it exactly for affine subscripts with isl,
 *     conservatively otherwise). A 0-d container written in the body is
 *     touched by every iteration, so it is a dependence too, unless it is
 *     private to an iteration: a transient used nowhere outside the loop
 *     and written, in every iteration, before anything reads it
 *     (not_private_why); such scalars are left out of the test;
 *   - every 0-d container the body writes plainly is private in that
 *     sense: inside a map each iteration writes a copy of its own (the
 *     emitter's lastprivate), so a scalar read before it is written, or
 *     used after the loop, would change meaning even in a loop of one
 *     iteration.
 */
#include <string.h>

#include "depend.h"

/* The loop at a site and where it stands. */
typedef struct Loop {
	IrBlock *b;              /* the CF_FOR block */
	IrBlockList *list;       /* list->data[index] == b */
	int index;
} Loop;

static const char *
block_kind(const IrBlock *b)
{
	switch (b->kind) {
	case CF_STATE:
		return "a state";
	case CF_FOR:
		return "a for loop";
	case CF_WHILE:
		return "a while loop";
	case CF_IF:
		return "an if";
	case CF_BREAK:
		return "a break";
	case CF_CONTINUE:
		return "a continue";
	case CF_RETURN:
		return "a return";
	case CF_ASSIGN:
		return "a symbol assignment";
	default:
		return "a block";
	}
}

static const char *
find_loop(Ctx *ctx, const XSite *site, Loop *L)
{
	IrBlock *b = pass_find_block(site->p, site->names[0], &L->list, &L->index);
	if (!b) {
		MapRef ref;
		return pass_find_map(site->p, site->names[0], &ref) ?
			"it is a map, not a for loop" : "it is not a for loop";
	}
	if (b->kind != CF_FOR)
		return arena_printf(ctx->arena, "it is %s, not a for loop", block_kind(b));
	L->b = b;
	return NULL;
}

/* The body must be states only. */
static const char *
check_body(Ctx *ctx, const IrBlock *loop)
{
	const IrBlockList *body = &loop->loop.body;
	for (int i = 0; i < body->len; i++) {
		const IrBlock *b = body->data[i];
		if (b->kind == CF_STATE)
			continue;
		if (b->kind == CF_BREAK || b->kind == CF_CONTINUE || b->kind == CF_RETURN)
			return arena_printf(ctx->arena, "the loop body has %s", block_kind(b));
		return arena_printf(ctx->arena, "the loop body has control flow: %s%s%s%s",
				    block_kind(b), b->name ? " (" : "", b->name ? b->name : "",
				    b->name ? ")" : "");
	}
	if (body->len == 0)
		return "the loop body is empty";
	return NULL;
}

static bool
has_out(const IrState *s, int id)
{
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].src == id)
			return true;
	return false;
}

/* Library nodes, copies between access nodes, maps reusing the loop
 * variable and data leaving from inside a map are refused. */
static const char *
check_state(Ctx *ctx, const IrState *s, const char *var)
{
	int *scope = ir_state_scopes(ctx->arena, s);
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_LIBRARY)
			return arena_printf(ctx->arena, "%s has a %s library node, which cannot run "
					    "inside a map", s->name, ir_libop_name(n->lib.op));
		for (int k = 0; n->kind == IRN_MAP_ENTRY && k < n->map.nparams; k++)
			if (strcmp(n->map.params[k], var) == 0)
				return arena_printf(ctx->arena, "map %s inside the loop reuses the "
						    "loop variable's name '%s'",
						    n->label ? n->label : "?", var);
	}
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const IrNode *src = &s->nodes.data[m->src], *dst = &s->nodes.data[m->dst];
		if (m->data && src->kind == IRN_ACCESS && dst->kind == IRN_ACCESS)
			return arena_printf(ctx->arena, "%s copies '%s' between access nodes",
					    s->name, m->data);
		if (dst->kind == IRN_ACCESS && scope[m->dst] >= 0 && !has_out(s, m->dst))
			return arena_printf(ctx->arena, "%s writes '%s' at an access node inside "
					    "a map that nothing reads", s->name, dst->access.data);
	}
	return NULL;
}

/* ---- scalars private to an iteration ---- */

/* passes.h */
bool
pass_in_list(const IrState *s, const void *list)
{
	const IrBlockList *body = list;
	for (int i = 0; i < body->len; i++)
		if (body->data[i]->kind == CF_STATE && body->data[i]->state == s)
			return true;
	return false;
}

/* passes.h */
bool
pass_state_touches(const IrState *s, const char *x)
{
	for (int i = 0; i < s->nodes.len; i++)
		if (pass_is_access_of(s, i, x))
			return true;
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].data && strcmp(s->memlets.data[i].data, x) == 0)
			return true;
	return false;
}

typedef struct Outside {
	const char *x;
	bool (*inside)(const IrState *s, const void *ud);
	const void *ud;
	bool used;
} Outside;

static void
note_outside(IrState *s, IrBlock *b, void *ud)
{
	Outside *o = ud;
	if (!o->used && !o->inside(s, o->ud))
		o->used = pass_state_touches(s, o->x);
}

/* passes.h */
bool
pass_touched_outside(const IrProgram *p, const char *x,
		     bool (*inside)(const IrState *s, const void *ud), const void *ud)
{
	Outside o = { x, inside, ud, false };
	pass_foreach_state((IrProgram *)p, note_outside, &o);
	return o.used;
}

/* The nodes of s that some node with from[id] reaches by one memlet or
 * more. */
static bool *
reached(Ctx *ctx, const IrState *s, const bool *from)
{
	bool *r = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(s->nodes.len + 1));
	int *topo = ir_state_topo_order(ctx->arena, s);
	for (int k = 0; k < s->nodes.len; k++) {
		int v = topo[k];
		if (!from[v] && !r[v])
			continue;
		for (int i = 0; i < s->memlets.len; i++)
			if (s->memlets.data[i].src == v)
				r[s->memlets.data[i].dst] = true;
	}
	return r;
}

/* Within the scope of map entry `entry` of s (-1: the top level of s), a
 * tasklet directly in it writes x plainly, and every other access of x in
 * s (acc: all of them, dep_collect_state) is by a node such a write
 * reaches. */
static bool
writes_first_in(Ctx *ctx, const IrState *s, const DepAccessList *acc, const char *x,
		const int *scope, int entry)
{
	bool *writer = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(s->nodes.len + 1));
	bool some = false;
	for (int i = 0; i < acc->len; i++) {
		const DepAccess *a = &acc->data[i];
		if (strcmp(a->data, x) == 0 && a->write && a->wcr == WCR_NONE &&
		    scope[a->node] == entry)
			some = writer[a->node] = true;
	}
	if (!some)
		return false;
	bool *after = reached(ctx, s, writer);
	for (int i = 0; i < acc->len; i++) {
		const DepAccess *a = &acc->data[i];
		bool first = a->write && a->wcr == WCR_NONE && scope[a->node] == entry;
		if (strcmp(a->data, x) == 0 && !first && !after[a->node])
			return false;
	}
	return true;
}

/* passes.h */
bool
pass_state_writes_first(Ctx *ctx, const IrState *s, const char *x)
{
	DepAccessList acc = { 0 };
	dep_collect_state(ctx, s, &acc);
	return writes_first_in(ctx, s, &acc, x, ir_state_scopes(ctx->arena, s), -1);
}

/* passes.h */
bool
pass_state_map_writes_first(Ctx *ctx, const IrState *s, const char *x)
{
	int *scope = ir_state_scopes(ctx->arena, s);
	int entry = -1;
	for (int i = 0; i < s->memlets.len && entry < 0; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (pass_streq(m->data, x) && m->wcr == WCR_NONE && scope[m->src] >= 0 &&
		    s->nodes.data[m->src].kind == IRN_TASKLET)
			entry = scope[m->src];
	}
	if (entry < 0)
		return false;
	/* every access inside that map: a node after it, which the writes
	 * reach through its exit, would read what the last iteration left,
	 * or, when the map runs none, what an earlier run of s did */
	bool *in = ir_state_scope_members(ctx->arena, s, entry);
	DepAccessList acc = { 0 };
	dep_collect_state(ctx, s, &acc);
	for (int i = 0; i < acc.len; i++)
		if (strcmp(acc.data[i].data, x) == 0 && !in[acc.data[i].node])
			return false;
	return writes_first_in(ctx, s, &acc, x, scope, entry);
}

/* Does every iteration write x before anything reads or accumulates into
 * it? The first state of the body that accesses x writes it first. */
static bool
written_first(Ctx *ctx, const IrBlockList *body, const char *x)
{
	for (int k = 0; k < body->len; k++) {
		const IrState *s = body->data[k]->state;
		DepAccessList acc = { 0 };
		dep_collect_state(ctx, s, &acc);
		for (int i = 0; i < acc.len; i++)
			if (strcmp(acc.data[i].data, x) == 0)
				return pass_state_writes_first(ctx, s, x);
	}
	return false;
}

/* NULL when every iteration can have its own copy of 0-d container x:
 * a transient that nothing outside the loop uses, written first in every
 * iteration, carries nothing from one iteration to the next. Otherwise
 * why not. (The OpenMP emitter makes a 0-d container written in a map
 * lastprivate, or runs the map sequentially when it is also accumulated
 * into: reads see the iteration's own value, and its value after the map
 * is unspecified.) */
static const char *
not_private_why(Ctx *ctx, const IrProgram *p, const IrBlock *loop, const char *x)
{
	const IrContainer *c = ir_program_find_container(p, x);
	if (!c || c->ndim != 0 || c->role != ROLE_TRANSIENT)
		return c && c->role == ROLE_ARGUMENT ? "it is an argument" :
		       c && c->role == ROLE_RETURN ? "it is returned" : "it is not a local scalar";
	if (pass_cond_reads(p, x) || pass_touched_outside(p, x, pass_in_list, &loop->loop.body))
		return "it is also used outside the loop";
	if (!written_first(ctx, &loop->loop.body, x))
		return "an iteration may read it before writing it";
	return NULL;
}

static bool
private_scalar(Ctx *ctx, const IrProgram *p, const IrBlock *loop, const char *x)
{
	return !not_private_why(ctx, p, loop, x);
}

/* NULL when no iteration of the loop depends on another. */
static const char *
check_dependences(Ctx *ctx, const IrProgram *p, const IrBlock *loop)
{
	int64_t step;
	if (!sym_is_const(loop->loop.step, &step))
		return arena_printf(ctx->arena, "the loop's step %s is not a constant (the "
				    "iterations start + k*step are not affine)",
				    sym_print(ctx->arena, loop->loop.step));
	if (step == 0)
		return "the loop's step is zero";
	DepAccessList all = { 0 }, acc = { 0 };
	for (int i = 0; i < loop->loop.body.len; i++)
		dep_collect_state(ctx, loop->loop.body.data[i]->state, &all);
	VEC(const char *) priv = { 0 }, shared = { 0 };
	for (int i = 0; i < all.len; i++) {
		const DepAccess *a = &all.data[i];
		bool known = false, is_priv = false;
		for (int k = 0; k < priv.len && !known; k++)
			known = is_priv = strcmp(priv.data[k], a->data) == 0;
		for (int k = 0; k < shared.len && !known; k++)
			known = strcmp(shared.data[k], a->data) == 0;
		if (!known && a->subset.ndim == 0 && private_scalar(ctx, p, loop, a->data)) {
			vec_push(ctx->arena, &priv, a->data);
			is_priv = true;
		} else if (!known) {
			vec_push(ctx->arena, &shared, a->data);
		}
		if (!is_priv)
			vec_push(ctx->arena, &acc, *a);
	}
	DepLoop L = { loop->loop.var, loop->loop.start, loop->loop.stop, step, p };
	const char *why = dep_loop_carried(ctx, &L, acc.data, acc.len);
	for (int i = 0; !why && i < acc.len; i++)
		if (acc.data[i].subset.ndim == 0 && acc.data[i].write && acc.data[i].wcr == WCR_NONE)
			why = arena_printf(ctx->arena, "the scalar %s is written in the loop body but "
					   "is not private to an iteration (%s), and inside a map "
					   "every iteration writes a copy of its own", acc.data[i].data,
					   not_private_why(ctx, p, loop, acc.data[i].data));
	return why;
}

static const char *
l2m_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Loop L;
	const char *why = find_loop(ctx, site, &L);
	if (!why)
		why = check_body(ctx, L.b);
	for (int i = 0; !why && i < L.b->loop.body.len; i++)
		why = check_state(ctx, L.b->loop.body.data[i]->state, L.b->loop.var);
	if (!why)
		why = check_dependences(ctx, site->p, L.b);
	return why;
}

/* ---- merging the body's states ---- */

/* Computing nodes outside every map (tasklets, library nodes, map
 * entries and exits) that no other such node comes after (tails) or
 * before (heads). Every computation of s runs before some tail and after
 * some head. */
static bool *
frontier(Ctx *ctx, const IrState *s, bool tails)
{
	Arena *a = ctx->arena;
	int n = s->nodes.len;
	int *scope = ir_state_scopes(a, s), *topo = ir_state_topo_order(a, s);
	bool *comp = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	bool *beyond = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	bool *out = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		comp[i] = scope[i] < 0 && s->nodes.data[i].kind != IRN_ACCESS;
	for (int k = 0; k < n; k++) {
		int v = topo[tails ? n - 1 - k : k];
		for (int i = 0; i < s->memlets.len; i++) {
			const IrMemlet *m = &s->memlets.data[i];
			int w = tails ? m->dst : m->src;
			if ((tails ? m->src : m->dst) == v)
				beyond[v] |= comp[w] || beyond[w];
		}
		out[v] = comp[v] && !beyond[v];
	}
	return out;
}

static bool
any_of(const bool *v, int n)
{
	for (int i = 0; i < n; i++)
		if (v[i])
			return true;
	return false;
}

int
pass_state_append(Ctx *ctx, IrState *s, const IrState *b)
{
	int off = s->nodes.len;
	for (int i = 0; i < b->nodes.len; i++) {
		IrNode n = b->nodes.data[i];
		n.id += off;
		if (n.kind == IRN_MAP_ENTRY)
			n.map.exit += off;
		else if (n.kind == IRN_MAP_EXIT)
			n.mapexit.entry += off;
		vec_push(ctx->arena, &s->nodes, n);
	}
	for (int i = 0; i < b->memlets.len; i++) {
		const IrMemlet *m = &b->memlets.data[i];
		ir_state_add_memlet(ctx, s, m->src + off, m->src_conn, m->dst + off, m->dst_conn,
				    m->data, m->subset, m->wcr, m->loc);
	}
	return off;
}

/* The body's states as one state (the first one, grown): the later
 * states' nodes and memlets are appended, and empty memlets from the
 * tails of each state that computes to the heads of the next one keep
 * the order of the computations. Access nodes are not joined: a
 * container written by one state and read by the next is read through
 * the map's entry as in any map updating a container in place. */
static IrState *
merge_states(Ctx *ctx, const IrBlockList *body)
{
	IrState *s = body->data[0]->state;
	bool *tails = frontier(ctx, s, true);
	int lo = 0, hi = s->nodes.len;
	for (int k = 1; k < body->len; k++) {
		const IrState *b = body->data[k]->state;
		bool *heads = frontier(ctx, b, false), *btails = frontier(ctx, b, true);
		int off = pass_state_append(ctx, s, b);
		for (int t = lo; t < hi; t++)
			for (int h = 0; tails[t - lo] && h < b->nodes.len; h++)
				if (heads[h])
					ir_state_add_memlet(ctx, s, t, NULL, off + h, NULL, NULL,
							    (Subset){ 0, NULL }, WCR_NONE,
							    b->nodes.data[h].loc);
		if (any_of(btails, b->nodes.len)) {
			tails = btails;
			lo = off;
			hi = off + b->nodes.len;
		}
	}
	return s;
}

/* ---- the new map ---- */

/* The loop's values in increasing order (passes.h). */
SymRange
pass_loop_range_increasing(Arena *a, const IrBlock *loop, int64_t step)
{
	if (step > 0)
		return (SymRange){ loop->loop.start, loop->loop.stop, loop->loop.step };
	Sym *start = loop->loop.start, *stop = loop->loop.stop, *s = sym_const(a, -step);
	Sym *span = sym_sub(a, sym_addc(a, start, -1), stop);
	Sym *begin = sym_add(a, sym_addc(a, stop, 1), sym_mod(a, span, s));
	return (SymRange){ begin, sym_addc(a, start, 1), s };
}

static bool
site_taken(IrProgram *p, const char *name)
{
	MapRef ref;
	return pass_find_map(p, name, &ref) || pass_find_block(p, name, NULL, NULL);
}

/* map_L<line> for loop_L<line> (map_<name> for other names), made unique
 * among the program's site names. */
static const char *
map_label(Ctx *ctx, IrProgram *p, const IrBlock *loop)
{
	const char *name = loop->name ? loop->name : "loop";
	const char *base = strncmp(name, "loop_", 5) == 0 ?
		arena_printf(ctx->arena, "map_%s", name + 5) :
		arena_printf(ctx->arena, "map_%s", name);
	const char *label = base;
	for (int k = 2; site_taken(p, label); k++)
		label = arena_printf(ctx->arena, "%s_%d", base, k);
	return label;
}

typedef enum Role {
	R_INSIDE,     /* moves into the map's scope */
	R_SOURCE,     /* access node where data enters: stays outside */
	R_SINK,       /* access node where data leaves: stays outside */
	R_ALONE,      /* access node without memlets: stays outside */
} Role;

static Role *
roles(Ctx *ctx, const IrState *s)
{
	int n = s->nodes.len;
	Role *r = arena_alloc(ctx->arena, sizeof(Role) * (size_t)(n + 1));
	bool *in = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(n + 1));
	bool *out = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(n + 1));
	for (int i = 0; i < s->memlets.len; i++) {
		out[s->memlets.data[i].src] = true;
		in[s->memlets.data[i].dst] = true;
	}
	for (int i = 0; i < n; i++) {
		if (s->nodes.data[i].kind != IRN_ACCESS || (in[i] && out[i]))
			r[i] = R_INSIDE;
		else
			r[i] = out[i] ? R_SOURCE : in[i] ? R_SINK : R_ALONE;
	}
	return r;
}

/* A connector suffix for container data not yet used on node id: data,
 * data_2, data_3... */
static const char *
conn_suffix(Ctx *ctx, const IrState *s, int id, const char *data)
{
	const char *sfx = data;
	for (int k = 2;; k++) {
		const char *in = arena_printf(ctx->arena, "IN_%s", sfx);
		bool used = false;
		for (int i = 0; i < s->memlets.len && !used; i++) {
			const IrMemlet *m = &s->memlets.data[i];
			used = m->dst == id && m->dst_conn && strcmp(m->dst_conn, in) == 0;
		}
		if (!used)
			return sfx;
		sfx = arena_printf(ctx->arena, "%s_%d", data, k);
	}
}

typedef struct Wrap {
	IrState *s;
	int entry, exit;
	Role *role;
	const char **in_sfx;     /* per source access node: its entry connector
				    suffix, NULL until data flows from it */
	bool *in_empty;          /* per source access node: joined to the entry
				    by an empty memlet */
} Wrap;

static const Subset no_subset = { 0, NULL };

/* Memlet mi leaves a source access node: it now leaves the entry on
 * OUT_x, and the access node feeds IN_x (once per access node); an empty
 * memlet leaves the entry, and the access node joins the entry by one. */
static void
route_in(Ctx *ctx, Wrap *W, int mi)
{
	IrState *s = W->s;
	IrMemlet m = s->memlets.data[mi];
	int a = m.src;
	if (!m.data && !W->in_empty[a]) {
		W->in_empty[a] = true;
		ir_state_add_memlet(ctx, s, a, NULL, W->entry, NULL, NULL, no_subset, WCR_NONE,
				    m.loc);
	} else if (m.data && !W->in_sfx[a]) {
		W->in_sfx[a] = conn_suffix(ctx, s, W->entry, m.data);
		ir_state_add_memlet(ctx, s, a, NULL, W->entry,
				    arena_printf(ctx->arena, "IN_%s", W->in_sfx[a]), m.data,
				    m.subset, WCR_NONE, m.loc);
	}
	IrMemlet *mm = &s->memlets.data[mi];
	mm->src = W->entry;
	mm->src_conn = m.data ? arena_printf(ctx->arena, "OUT_%s", W->in_sfx[a]) : NULL;
}

/* Memlet mi enters a sink access node: it now enters the exit on IN_x,
 * and OUT_x feeds the access node, with the memlet's WCR. */
static void
route_out(Ctx *ctx, Wrap *W, int mi)
{
	IrState *s = W->s;
	IrMemlet m = s->memlets.data[mi];
	if (!m.data) {
		s->memlets.data[mi].dst = W->exit;
		ir_state_add_memlet(ctx, s, W->exit, NULL, m.dst, NULL, NULL, no_subset, WCR_NONE,
				    m.loc);
		return;
	}
	const char *sfx = conn_suffix(ctx, s, W->exit, m.data);
	IrMemlet *mm = &s->memlets.data[mi];
	mm->dst = W->exit;
	mm->dst_conn = arena_printf(ctx->arena, "IN_%s", sfx);
	ir_state_add_memlet(ctx, s, W->exit, arena_printf(ctx->arena, "OUT_%s", sfx), m.dst,
			    m.dst_conn, m.data, m.subset, m.wcr, m.loc);
}

/* Nodes of the scope that nothing feeds hang from the entry by an empty
 * memlet; an exit that nothing reaches gets one from the entry. */
static void
anchor(Ctx *ctx, Wrap *W, int nold, SrcLoc loc)
{
	IrState *s = W->s;
	int nm = s->memlets.len;
	bool *fed = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(s->nodes.len + 1));
	for (int i = 0; i < nm; i++)
		fed[s->memlets.data[i].dst] = true;
	for (int i = 0; i < nold; i++)
		if (W->role[i] == R_INSIDE && !fed[i])
			ir_state_add_memlet(ctx, s, W->entry, NULL, i, NULL, NULL, no_subset,
					    WCR_NONE, s->nodes.data[i].loc);
	if (!fed[W->exit])
		ir_state_add_memlet(ctx, s, W->entry, NULL, W->exit, NULL, NULL, no_subset,
				    WCR_NONE, loc);
}

static void
l2m_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Loop L;
	if (find_loop(ctx, site, &L) || L.b->loop.body.len < 1)
		ICE("loop-to-map applied where its check refuses");
	IrBlock *loop = L.b, *body = loop->loop.body.data[0];
	IrState *s = merge_states(ctx, &loop->loop.body);
	int nold = s->nodes.len, mold = s->memlets.len;
	int *scope = ir_state_scopes(ctx->arena, s);
	for (int i = 0; i < nold; i++)
		if (s->nodes.data[i].kind == IRN_MAP_ENTRY && scope[i] < 0)
			pass_map_cover_memlets(ctx, site->p, s, i);
	Wrap W = { .s = s, .role = roles(ctx, s) };
	W.in_sfx = arena_alloc(ctx->arena, sizeof(char *) * (size_t)(nold + 1));
	W.in_empty = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(nold + 1));
	int64_t step;
	sym_is_const(loop->loop.step, &step);
	SymRange r = pass_loop_range_increasing(ctx->arena, loop, step);
	W.entry = ir_state_add_map(ctx, s, map_label(ctx, site->p, loop), 1, &loop->loop.var, &r,
				   SCHED_CPU_PARALLEL, loop->loc);
	W.exit = s->nodes.data[W.entry].map.exit;
	for (int i = 0; i < mold; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (W.role[m->src] == R_SOURCE && W.role[m->dst] == R_INSIDE)
			route_in(ctx, &W, i);
		else if (W.role[m->src] == R_INSIDE && W.role[m->dst] == R_SINK)
			route_out(ctx, &W, i);
		else if (m->data && (W.role[m->src] == R_INSIDE) != (W.role[m->dst] == R_INSIDE))
			ICE("loop-to-map: memlet %d crosses the map's scope unrouted", i);
	}
	anchor(ctx, &W, nold, loop->loc);
	pass_map_cover_memlets(ctx, site->p, s, W.entry);
	L.list->data[L.index] = body;
}

/* ---- matching ---- */

static void
l2m_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_loops(ctx, p, &xform_loop_to_map, NULL, out);
}

const Xform xform_loop_to_map = {
	.name = "loop-to-map",
	.desc = "turns a for loop whose iterations are independent (exact dependence test) "
		"into a parallel map",
	.nsites = 1,
	.params = NULL,
	.match = l2m_match,
	.check = l2m_check,
	.apply = l2m_apply,
};
