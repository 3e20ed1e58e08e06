/* passes/constant_propagation.c — constant-propagation and tasklet-fusion:
 * two transformations that move a scalar expression into the tasklets
 * that use it.
 *
 * constant-propagation (site: a state). The Python frontend materialises
 * a scalar variable assigned more than once as a 0-d transient written by
 * states holding a tasklet `() -> out = <constant>`. When such a state is
 * the only write of the transient anywhere in the program, every read of
 * it sees that constant, provided the read cannot run before the write:
 * the check demands that every read lies in a block that follows the
 * writing state in the block list holding it (or nested in one), so each
 * execution of a read is preceded by an execution of the write (a loop
 * around both re-runs the same write; a read after such a loop is refused,
 * since the loop may run zero times). Reads are memlets leaving access
 * nodes of the transient, which must end (through map entries, IN_x to
 * OUT_x) at tasklet input connectors, and loop or branch conditions. The
 * apply substitutes the constant for each such connector (dropping the
 * connector and its memlets) and into the conditions, empties the writing
 * state (it stays, so later recipe steps may still name it) and drops the
 * container.
 *
 * tasklet-fusion (site: a map). Inside the map's scope (directly, not in
 * a nested map), a tasklet T1 whose single output goes only to a tasklet
 * T2, either by a direct memlet or through an access node of a 0-d
 * transient used nowhere else in the program (written only by T1, read
 * only by T2, without WCR), is merged into T2: T1's expression replaces
 * T2's input connector, T1's inputs become inputs of T2 (renamed when a
 * name clashes), and T1, the access node and the transient go. Every such
 * pair of the map is fused, until none is left.
 */
#include <string.h>

#include "passes.h"

/* ---- expressions ---- */

/* e converted to dtype t (a cast only when the dtypes differ). */
static IrExpr *
expr_as(Arena *a, IrExpr *e, DType t)
{
	return e->dtype == t ? e : ir_expr_cast(a, t, e);
}



/* ---- constant-propagation: the site ---- */

typedef struct ConstSite {
	IrBlock *block;         /* the writing state's block */
	IrBlockList *list;      /* list->data[index] == block */
	int index;
	const char *data;       /* the 0-d transient */
	IrExpr *value;          /* the constant, of the transient's dtype */
} ConstSite;

/* Fills cs from the state named by site; the reason when it is not a
 * single constant write of a 0-d transient without WCR. */
static const char *
const_site(Ctx *ctx, const XSite *site, ConstSite *cs)
{
	Arena *a = ctx->arena;
	const char *name = site->names[0];
	cs->block = pass_find_block(site->p, name, &cs->list, &cs->index);
	if (!cs->block || cs->block->kind != CF_STATE)
		return arena_printf(a, "'%s' is not a state", name);
	IrState *s = cs->block->state;
	const IrMemlet *m = s->memlets.len == 1 ? &s->memlets.data[0] : NULL;
	const IrNode *t = m ? &s->nodes.data[m->src] : NULL;
	if (s->nodes.len != 2 || !m || !m->data || t->kind != IRN_TASKLET ||
	    t->tasklet.nin != 0 || t->tasklet.expr->kind != EX_CONST ||
	    !pass_is_access_of(s, m->dst, m->data))
		return arena_printf(a, "%s is not a single constant write (one tasklet without "
				    "inputs writing a constant to one container)", name);
	cs->data = m->data;
	const IrContainer *c = ir_program_find_container(site->p, m->data);
	if (c->ndim != 0)
		return arena_printf(a, "%s writes the array %s, not a scalar", name, c->name);
	if (c->role != ROLE_TRANSIENT)
		return arena_printf(a, "%s is %s of the program", c->name,
				    c->role == ROLE_ARGUMENT ? "an argument" : "a return value");
	if (m->wcr != WCR_NONE)
		return arena_printf(a, "%s is written with WCR (%s)", c->name, ir_wcr_name(m->wcr));
	cs->value = expr_as(a, expr_as(a, t->tasklet.expr, t->tasklet.out.dtype), c->dtype);
	return NULL;
}

static const char *
constant_propagation_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	ConstSite cs;
	const char *why = const_site(ctx, site, &cs);
	if (why)
		return why;
	return pass_sole_write_check(ctx, site->p, cs.data, cs.block, cs.list, cs.index);
}

/* ---- constant-propagation: apply ---- */

static void
constant_propagation_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	ConstSite cs;
	if (const_site(ctx, site, &cs))
		ICE("constant-propagation applied where check refuses");
	pass_scalar_replace_reads(ctx, &site->p->body, cs.data, cs.value, cs.block->state);
	pass_container_remove(site->p, cs.data);
}

typedef struct Match {
	Ctx *ctx;
	IrProgram *p;
	XSiteList *out;
} Match;

static void
match_const_state(IrState *s, IrBlock *b, void *ud)
{
	Match *M = ud;
	XSite site = { .p = M->p, .n = 1, .names = { b->name } };
	IrBlockList *l;
	int idx;
	if (pass_find_block(M->p, b->name, &l, &idx) != b)
		return;
	if (!constant_propagation_check(M->ctx, &site, NULL))
		vec_push(M->ctx->arena, M->out, site);
}

static void
constant_propagation_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, out };
	pass_foreach_state(p, match_const_state, &M);
}

const Xform xform_constant_propagation = {
	.name = "constant-propagation",
	.desc = "substitutes the constant of a scalar transient's only write into every "
		"tasklet and condition that reads it",
	.nsites = 1,
	.params = NULL,
	.match = constant_propagation_match,
	.check = constant_propagation_check,
	.apply = constant_propagation_apply,
};

/* ---- tasklet-fusion ---- */

/* T1 -> [access acc ->] T2 on T2's input connector conn. */
typedef struct Pair {
	int t1, t2;
	int acc;                /* the access node of the transient, or -1 */
	int m1;                 /* the memlet leaving T1 */
	int m2;                 /* the memlet from acc into T2, or -1 */
	const char *conn;
} Pair;

typedef struct Elsewhere {
	const char *data;
	const IrState *skip_state;
	int skip_node;
	const char *reader, *writer;   /* first state reading / writing it elsewhere */
} Elsewhere;

static void
note_elsewhere(IrState *s, IrBlock *b, void *ud)
{
	Elsewhere *E = ud;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		bool w = pass_is_access_of(s, m->dst, E->data) && !(s == E->skip_state && m->dst == E->skip_node);
		bool r = pass_is_access_of(s, m->src, E->data) && !(s == E->skip_state && m->src == E->skip_node);
		if (w && !E->writer)
			E->writer = b->name;
		if (r && !E->reader)
			E->reader = b->name;
	}
}

static int
count_memlets(const IrState *s, int node, bool in)
{
	int k = 0;
	for (int i = 0; i < s->memlets.len; i++)
		k += (in ? s->memlets.data[i].dst : s->memlets.data[i].src) == node;
	return k;
}

/* Why the pair cannot fuse, or NULL. */
static const char *
pair_reason(Ctx *ctx, IrProgram *p, IrState *s, const Pair *q)
{
	Arena *a = ctx->arena;
	const IrMemlet *m1 = &s->memlets.data[q->m1];
	if (ir_tasklet_is_indirect(&s->nodes.data[q->t1]) ||
	    ir_tasklet_is_indirect(&s->nodes.data[q->t2]))
		return arena_printf(a, "the tasklet %s %s%s reads or writes at data-dependent "
				    "indices", ir_tasklet_is_indirect(&s->nodes.data[q->t1]) ?
				    "feeding" : "reading", q->acc >= 0 ? "" : "connector ",
				    q->acc >= 0 ? m1->data : q->conn);
	if (count_memlets(s, q->t1, false) != 1)
		return arena_printf(a, "the result of the tasklet feeding %s%s goes elsewhere too",
				    q->acc >= 0 ? "" : "connector ", q->acc >= 0 ? m1->data : q->conn);
	if (m1->wcr != WCR_NONE)
		return arena_printf(a, "%s is written with WCR (%s)", m1->data ? m1->data : q->conn,
				    ir_wcr_name(m1->wcr));
	if (q->acc < 0)
		return NULL;
	const IrContainer *c = ir_program_find_container(p, m1->data);
	if (c->role != ROLE_TRANSIENT)
		return arena_printf(a, "%s is %s of the program", c->name,
				    c->role == ROLE_ARGUMENT ? "an argument" : "a return value");
	if (count_memlets(s, q->acc, true) != 1)
		return arena_printf(a, "%s is written elsewhere (in %s)", c->name, s->name);
	if (count_memlets(s, q->acc, false) != 1)
		return arena_printf(a, "%s is read elsewhere (in %s)", c->name, s->name);
	Elsewhere E = { c->name, s, q->acc, NULL, NULL };
	pass_foreach_state(p, note_elsewhere, &E);
	if (E.writer)
		return arena_printf(a, "%s is written elsewhere (in %s)", c->name, E.writer);
	if (E.reader || pass_cond_reads(p, c->name))
		return arena_printf(a, "%s is read elsewhere (in %s)", c->name,
				    E.reader ? E.reader : "a condition");
	return NULL;
}

/* The candidate pair ending at memlet mi (into a tasklet of the scope of
 * entry), if any. */
static bool
pair_at(const IrProgram *p, const IrState *s, const int *scopes, int entry, int mi, Pair *q)
{
	const IrMemlet *m = &s->memlets.data[mi];
	const IrNode *src = &s->nodes.data[m->src];
	if (s->nodes.data[m->dst].kind != IRN_TASKLET || scopes[m->dst] != entry || !m->dst_conn)
		return false;
	*q = (Pair){ .t2 = m->dst, .conn = m->dst_conn, .acc = -1, .m2 = -1 };
	if (src->kind == IRN_TASKLET) {
		q->t1 = m->src;
		q->m1 = mi;
		return scopes[m->src] == entry;
	}
	const IrContainer *c = src->kind == IRN_ACCESS ? ir_program_find_container(p, src->access.data) : NULL;
	if (!c || c->ndim != 0 || scopes[m->src] != entry)
		return false;
	for (int j = 0; j < s->memlets.len; j++) {
		const IrMemlet *o = &s->memlets.data[j];
		if (o->dst == m->src && s->nodes.data[o->src].kind == IRN_TASKLET &&
		    scopes[o->src] == entry) {
			q->t1 = o->src;
			q->m1 = j;
			q->acc = m->src;
			q->m2 = mi;
			return true;
		}
	}
	return false;
}

/* The first fusable pair of the map at r (true), or the reason of the
 * first refused one in *why (false). */
static bool
pair_find(Ctx *ctx, IrProgram *p, const MapRef *r, Pair *out, const char **why)
{
	IrState *s = r->state;
	int *scopes = ir_state_scopes(ctx->arena, s);
	*why = NULL;
	for (int i = 0; i < s->memlets.len; i++) {
		Pair q;
		if (!pair_at(p, s, scopes, r->entry, i, &q))
			continue;
		const char *w = pair_reason(ctx, p, s, &q);
		if (!w) {
			*out = q;
			return true;
		}
		if (!*why)
			*why = w;
	}
	if (!*why)
		*why = arena_printf(ctx->arena, "%s has no tasklet whose result goes only to "
				    "another tasklet of its scope", s->nodes.data[r->entry].label);
	return false;
}

static const char *
tasklet_fusion_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	MapRef r;
	if (!pass_find_map(site->p, site->names[0], &r))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	Pair q;
	const char *why;
	return pair_find(ctx, site->p, &r, &q, &why) ? NULL : why;
}

static bool
tasklet_has_input(const IrNode *t, const char *name)
{
	for (int i = 0; i < t->tasklet.nin; i++)
		if (strcmp(t->tasklet.in[i].name, name) == 0)
			return true;
	return false;
}

/* e with input names of tasklet t renamed to to[k], all at once. */
static IrExpr *
expr_rename(Arena *a, IrExpr *e, const IrNode *t, const char **to)
{
	if (e->kind == EX_IN) {
		for (int k = 0; k < t->tasklet.nin; k++)
			if (strcmp(e->name, t->tasklet.in[k].name) == 0)
				return ir_expr_in(a, e->dtype, to[k]);
		return e;
	}
	if (e->n == 0)
		return e;
	IrExpr *c = arena_alloc(a, sizeof *c);
	*c = *e;
	c->args = arena_alloc(a, sizeof(IrExpr *) * (size_t)e->n);
	for (int i = 0; i < e->n; i++)
		c->args[i] = expr_rename(a, e->args[i], t, to);
	return c;
}

/* Fuses the pair: T2 takes T1's inputs (renamed where they clash with
 * T2's) and T1's expression in place of connector conn. */
static void
pair_fuse(Ctx *ctx, IrProgram *p, IrState *s, const Pair *q)
{
	Arena *a = ctx->arena;
	IrNode *t1 = &s->nodes.data[q->t1], *t2 = &s->nodes.data[q->t2];
	DType via = s->memlets.data[q->m1].data ?
		ir_program_find_container(p, s->memlets.data[q->m1].data)->dtype : t1->tasklet.out.dtype;
	DType want = t2->tasklet.out.dtype;
	for (int i = 0; i < t2->tasklet.nin; i++)
		if (strcmp(t2->tasklet.in[i].name, q->conn) == 0)
			want = t2->tasklet.in[i].dtype;
	pass_tasklet_drop_input(t2, q->conn);
	int nin = t2->tasklet.nin + t1->tasklet.nin;
	IrConn *in = arena_alloc(a, sizeof(IrConn) * (size_t)(nin + 1));
	memcpy(in, t2->tasklet.in, sizeof(IrConn) * (size_t)t2->tasklet.nin);
	const char **renamed = arena_alloc(a, sizeof(char *) * (size_t)(t1->tasklet.nin + 1));
	IrNode grown = *t2;
	grown.tasklet.in = in;
	IrExpr *e1 = t1->tasklet.expr;
	for (int k = 0; k < t1->tasklet.nin; k++) {
		const IrConn *c = &t1->tasklet.in[k];
		const char *name = c->name;
		grown.tasklet.nin = t2->tasklet.nin + k;
		for (int n = 2; tasklet_has_input(&grown, name) ||
		     ir_expr_reads(t2->tasklet.expr, name) || strcmp(name, q->conn) == 0; n++)
			name = arena_printf(a, "%s_%d", c->name, n);
		renamed[k] = name;
		in[t2->tasklet.nin + k] = (IrConn){ name, c->dtype };
	}
	e1 = expr_rename(a, e1, t1, renamed);
	e1 = expr_as(a, expr_as(a, expr_as(a, e1, t1->tasklet.out.dtype), via), want);
	t2->tasklet.expr = pass_expr_subst(a, t2->tasklet.expr, q->conn, e1);
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (m->dst != q->t1)
			continue;
		m->dst = q->t2;
		for (int k = 0; m->dst_conn && k < t1->tasklet.nin; k++)
			if (strcmp(m->dst_conn, t1->tasklet.in[k].name) == 0) {
				m->dst_conn = renamed[k];
				break;
			}
	}
	t2->tasklet.in = in;
	t2->tasklet.nin = nin;
	bool *gone = arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1));
	memset(gone, 0, sizeof(bool) * (size_t)(s->nodes.len + 1));
	gone[q->t1] = true;
	if (q->acc >= 0)
		gone[q->acc] = true;
	const char *data = q->acc >= 0 ? s->nodes.data[q->acc].access.data : NULL;
	pass_state_remove(ctx, s, gone, NULL);
	if (data)
		pass_container_remove(p, data);
}

static void
tasklet_fusion_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	MapRef r;
	Pair q;
	const char *why;
	if (!pass_find_map(site->p, site->names[0], &r) || !pair_find(ctx, site->p, &r, &q, &why))
		ICE("tasklet-fusion applied where check refuses");
	do {
		pair_fuse(ctx, site->p, r.state, &q);
		if (!pass_find_map(site->p, site->names[0], &r))
			ICE("tasklet-fusion lost map %s", site->names[0]);
	} while (pair_find(ctx, site->p, &r, &q, &why));
}

static void
match_fusion_state(IrState *s, IrBlock *b, void *ud)
{
	Match *M = ud;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		MapRef r;
		if (n->kind != IRN_MAP_ENTRY || !n->label || !pass_find_map(M->p, n->label, &r) ||
		    r.state != s || r.entry != i)
			continue;
		XSite site = { .p = M->p, .n = 1, .names = { n->label } };
		if (!tasklet_fusion_check(M->ctx, &site, NULL))
			vec_push(M->ctx->arena, M->out, site);
	}
}

static void
tasklet_fusion_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, out };
	pass_foreach_state(p, match_fusion_state, &M);
}

const Xform xform_tasklet_fusion = {
	.name = "tasklet-fusion",
	.desc = "merges a tasklet into the tasklet of the same map scope that alone uses its "
		"result (directly or through a scalar transient)",
	.nsites = 1,
	.params = NULL,
	.match = tasklet_fusion_match,
	.check = tasklet_fusion_check,
	.apply = tasklet_fusion_apply,
};
