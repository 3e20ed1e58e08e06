/* passes/reduction.c — reduction-recognition: a for loop that accumulates
 * into a scalar becomes a parallel map with a write-conflict-resolved
 * (WCR) write.
 *
 *   for loop_L7 i in range(0, N, 1):          state state_L8:
 *     state state_L8:                   ==>     x -IN_x-> map map_L7 [i = 0:N] cpu_parallel
 *       s, x[i], y[i] -> tasklet                  -> tasklet mul(x[i], y[i])
 *         add(in:s, mul(x[i], y[i])) -> s         -> map_exit -> s (sum)
 *
 * The site is a CF_FOR block (loop_L<line>). An update of a 0-d container
 * s is a tasklet outside any map whose expression is OP(in:c, f) or
 * OP(f, in:c) with OP one of add, mul, minimum, maximum, where connector
 * c reads s[] from an access node of s, f does not name c, and the
 * tasklet's one output writes s[] (plain) into an access node of s; s,
 * c, f and the output all have s's dtype (not bool), so no conversion
 * sits between the steps. Apply rewrites every update of the loop body:
 * the tasklet computes f alone, the memlet reading s (and its access
 * node, once it has no memlet left) goes, and the write carries the WCR
 * of OP (sum, prod, min, max). Then loop-to-map turns the loop into a
 * map (xform_loop_to_map.apply), so the result is exactly what
 * loop-to-map makes of the rewritten body; the OpenMP emitter turns the
 * WCR write into a race-free reduction.
 *
 * Legality (check):
 *   - the body has at least one update, and every memlet of the body
 *     that names an updated container belongs to one of its updates: s
 *     is read and written nowhere else in the body;
 *   - the rewritten loop passes loop-to-map's check (body of states
 *     only, no loop-carried dependence: writes with one and the same
 *     WCR commute, so two different operators on one s are refused). The
 *     trial rewrite is built on copies of the body's states and swapped
 *     into the loop block only while loop-to-map's check runs; the IR is
 *     restored before check returns.
 * Integer sums and products are exact in any order (wrapping arithmetic
 * is associative). Float sums and products are reassociated: the result
 * may differ from the sequential loop in the last bits (NumPy's own
 * np.sum sums pairwise, also not in sequential order). minimum/maximum
 * are associative and commutative, NaN included: the emitter's min/max
 * reductions propagate NaN as np.minimum/np.maximum do.
 */
#include <string.h>

#include "passes.h"

/* One update s = s OP f in a state of the loop body. */
typedef struct Update {
	int block;                 /* index of the state's block in the body */
	int tasklet;               /* node id of the tasklet */
	int conn;                  /* index of the connector reading s */
	int read, write;           /* memlet ids: s -> tasklet, tasklet -> s */
	Wcr wcr;                   /* of OP */
	IrExpr *rest;              /* f */
	const char *data;          /* s */
} Update;

typedef VEC(Update) UpdateList;

static Wcr
op_wcr(IrOp op)
{
	switch (op) {
	case OP_ADD: return WCR_SUM;
	case OP_MUL: return WCR_PROD;
	case OP_MIN: return WCR_MIN;
	case OP_MAX: return WCR_MAX;
	default:     return WCR_NONE;
	}
}

/* The one memlet leaving node id of s; -1 when none or several. */
static int
only_out(const IrState *s, int id)
{
	int found = -1;
	for (int i = 0; i < s->memlets.len; i++) {
		if (s->memlets.data[i].src != id)
			continue;
		if (found >= 0)
			return -1;
		found = i;
	}
	return found;
}

/* The memlet entering node id on connector conn; -1 when none. */
static int
in_on(const IrState *s, int id, const char *conn)
{
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst == id && m->dst_conn && strcmp(m->dst_conn, conn) == 0)
			return i;
	}
	return -1;
}

static bool
is_access_of(const IrState *s, int id, const char *data)
{
	const IrNode *n = &s->nodes.data[id];
	return n->kind == IRN_ACCESS && strcmp(n->access.data, data) == 0;
}

/* Is tasklet t of s an update (see the file comment)? Fills *u. */
static bool
update_at(const IrProgram *p, const IrState *s, int t, Update *u)
{
	const IrNode *n = &s->nodes.data[t];
	int w = only_out(s, t);
	if (n->kind != IRN_TASKLET || w < 0)
		return false;
	const IrMemlet *wm = &s->memlets.data[w];
	const IrExpr *e = n->tasklet.expr;
	const IrContainer *c = wm->data ? ir_program_find_container(p, wm->data) : NULL;
	if (!c || c->ndim != 0 || c->dtype == DT_BOOL || wm->wcr != WCR_NONE ||
	    !is_access_of(s, wm->dst, wm->data) || n->tasklet.out.dtype != c->dtype ||
	    e->kind != EX_OP || e->n != 2 || op_wcr(e->op) == WCR_NONE || e->dtype != c->dtype)
		return false;
	for (int k = 0; k < 2; k++) {
		const IrExpr *x = e->args[k], *f = e->args[1 - k];
		if (x->kind != EX_IN || x->dtype != c->dtype || f->dtype != c->dtype ||
		    ir_expr_reads(f, x->name))
			continue;
		int r = in_on(s, t, x->name);
		if (r < 0 || !s->memlets.data[r].data || strcmp(s->memlets.data[r].data, c->name) ||
		    !is_access_of(s, s->memlets.data[r].src, c->name))
			continue;
		int conn = -1;
		for (int i = 0; i < n->tasklet.nin; i++)
			if (strcmp(n->tasklet.in[i].name, x->name) == 0)
				conn = i;
		if (conn < 0)
			continue;
		*u = (Update){ .tasklet = t, .conn = conn, .read = r, .write = w,
			       .wcr = op_wcr(e->op), .rest = (IrExpr *)f, .data = c->name };
		return true;
	}
	return false;
}

/* Appends the updates of every state of the body. */
static void
collect(Ctx *ctx, const IrProgram *p, const IrBlockList *body, UpdateList *out)
{
	for (int b = 0; b < body->len; b++) {
		if (body->data[b]->kind != CF_STATE)
			continue;
		const IrState *s = body->data[b]->state;
		for (int t = 0; t < s->nodes.len; t++) {
			Update u = { 0 };
			if (update_at(p, s, t, &u)) {
				u.block = b;
				vec_push(ctx->arena, out, u);
			}
		}
	}
}

static bool
is_update_memlet(const UpdateList *ul, int b, int m, const char *data)
{
	for (int i = 0; i < ul->len; i++) {
		const Update *u = &ul->data[i];
		if (u->block == b && strcmp(u->data, data) == 0 && (u->read == m || u->write == m))
			return true;
	}
	return false;
}

/* NULL when no updated container is touched in the body outside its
 * updates; otherwise the reason. */
static const char *
only_updates(Ctx *ctx, const IrBlockList *body, const UpdateList *ul)
{
	for (int i = 0; i < ul->len; i++) {
		const char *x = ul->data[i].data;
		for (int b = 0; b < body->len; b++) {
			if (body->data[b]->kind != CF_STATE)
				continue;
			const IrState *s = body->data[b]->state;
			for (int m = 0; m < s->memlets.len; m++) {
				const IrMemlet *me = &s->memlets.data[m];
				if (!me->data || strcmp(me->data, x) || is_update_memlet(ul, b, m, x))
					continue;
				bool read = is_access_of(s, me->src, x);
				return arena_printf(ctx->arena, "'%s' is also %s in the loop body, "
						    "not only updated as %s = %s OP f(%s)", x,
						    read ? "read" : "written", x, x, "i");
			}
		}
	}
	return NULL;
}

/* A copy of s with its updates (those of ul in block b) rewritten. */
static IrState *
rewrite_state(Ctx *ctx, const IrState *s, const UpdateList *ul, int b)
{
	Arena *a = ctx->arena;
	IrState *c = arena_alloc(a, sizeof *c);
	*c = *s;
	c->nodes.data = arena_alloc(a, sizeof(IrNode) * (size_t)(s->nodes.len + 1));
	c->nodes.cap = s->nodes.len + 1;
	memcpy(c->nodes.data, s->nodes.data, sizeof(IrNode) * (size_t)s->nodes.len);
	c->memlets.data = arena_alloc(a, sizeof(IrMemlet) * (size_t)(s->memlets.len + 1));
	c->memlets.cap = s->memlets.len + 1;
	memcpy(c->memlets.data, s->memlets.data, sizeof(IrMemlet) * (size_t)s->memlets.len);
	bool *dead_m = arena_alloc(a, (size_t)s->memlets.len + 1);
	bool *dead_n = arena_alloc(a, (size_t)s->nodes.len + 1);
	memset(dead_m, 0, (size_t)s->memlets.len + 1);
	memset(dead_n, 0, (size_t)s->nodes.len + 1);
	for (int i = 0; i < ul->len; i++) {
		const Update *u = &ul->data[i];
		if (u->block != b)
			continue;
		IrNode *t = &c->nodes.data[u->tasklet];
		IrConn *in = arena_alloc(a, sizeof(IrConn) * (size_t)t->tasklet.nin);
		int k = 0;
		for (int j = 0; j < t->tasklet.nin; j++)
			if (j != u->conn)
				in[k++] = t->tasklet.in[j];
		t->tasklet.in = in;
		t->tasklet.nin = k;
		t->tasklet.expr = u->rest;
		c->memlets.data[u->write].wcr = u->wcr;
		dead_m[u->read] = true;
	}
	for (int n = 0; n < c->nodes.len; n++) {
		bool used = false, lost = false;
		for (int m = 0; m < c->memlets.len; m++) {
			const IrMemlet *me = &c->memlets.data[m];
			if (me->src == n || me->dst == n) {
				lost |= dead_m[m];
				used |= !dead_m[m];
			}
		}
		dead_n[n] = lost && !used;
	}
	pass_state_remove(ctx, c, dead_n, dead_m);
	return c;
}

/* The body with every updating state replaced by a rewritten copy. */
static IrBlockList
rewrite_body(Ctx *ctx, const IrBlockList *body, const UpdateList *ul)
{
	IrBlockList nb = { 0 };
	for (int b = 0; b < body->len; b++) {
		IrBlock *blk = body->data[b];
		bool touched = false;
		for (int i = 0; i < ul->len; i++)
			touched |= ul->data[i].block == b;
		if (touched) {
			IrBlock *copy = arena_alloc(ctx->arena, sizeof *copy);
			*copy = *blk;
			copy->state = rewrite_state(ctx, blk->state, ul, b);
			blk = copy;
		}
		vec_push(ctx->arena, &nb, blk);
	}
	return nb;
}

/* The loop at the site and its updates; a reason when there is none. */
static const char *
find(Ctx *ctx, const XSite *site, IrBlock **loop, UpdateList *ul)
{
	IrBlockList *list;
	int index;
	IrBlock *b = pass_find_block(site->p, site->names[0], &list, &index);
	if (!b || b->kind != CF_FOR)
		return "it is not a for loop";
	*loop = b;
	collect(ctx, site->p, &b->loop.body, ul);
	if (ul->len == 0)
		return "the loop body updates no 0-d container in the form s = s + f(i) "
		       "(or *, minimum, maximum)";
	return only_updates(ctx, &b->loop.body, ul);
}

static const char *
red_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	IrBlock *loop;
	UpdateList ul = { 0 };
	const char *why = find(ctx, site, &loop, &ul);
	if (why)
		return why;
	IrBlockList saved = loop->loop.body;
	loop->loop.body = rewrite_body(ctx, &saved, &ul);
	why = xform_loop_to_map.check(ctx, site, NULL);
	loop->loop.body = saved;
	if (!why)
		return NULL;
	if (strstr(why, "dependence"))
		return arena_printf(ctx->arena, "the loop carries another dependence: %s", why);
	return arena_printf(ctx->arena, "the loop cannot become a map: %s", why);
}

static void
red_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	IrBlock *loop;
	UpdateList ul = { 0 };
	if (find(ctx, site, &loop, &ul))
		ICE("reduction-recognition: apply at %s after a failed check", site->names[0]);
	loop->loop.body = rewrite_body(ctx, &loop->loop.body, &ul);
	xform_loop_to_map.apply(ctx, site, NULL);
}

static void
red_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_loops(ctx, p, &xform_reduction, NULL, out);
}

const Xform xform_reduction = {
	.name = "reduction-recognition",
	.desc = "turns a for loop accumulating s = s + f(i) (or *, minimum, maximum) into "
		"a parallel map with a WCR write to s",
	.nsites = 1,
	.params = NULL,
	.match = red_match,
	.check = red_check,
	.apply = red_apply,
};
