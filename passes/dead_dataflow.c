/* passes/dead_dataflow.c — dead dataflow elimination, and the helpers that
 * remove nodes from a state.
 *
 * A container is *dead* when it is a transient that nothing in the program
 * reads: no memlet anywhere leaves one of its access nodes (an empty,
 * ordering memlet counts as a use, conservatively) and no loop or branch
 * condition names it. Writes to it have no observable effect, so in the
 * chosen state its access nodes are removed, and then, backwards, every
 * computation that only fed them: a greatest fixpoint starting from "all
 * alive" kills
 *   - the access nodes of dead containers;
 *   - a memlet whose source or destination died, and a memlet entering a
 *     map entry/exit on IN_x once no memlet leaving it on OUT_x is alive
 *     (and the reverse on the exit);
 *   - a tasklet or library node once none of its outgoing memlets is alive
 *     (tasklet expressions have no side effects); a library node that
 *     stays keeps all its outputs (every connector of a node is required),
 *     so its memlets into dead containers, and their access nodes, live;
 *   - an access node once none of its memlets is alive;
 *   - a map (entry and exit) once every node of its scope died.
 * Arguments and return containers are never dead. The container itself is
 * dropped from the program once no state mentions it any more. An emptied
 * state stays in place (its name may be named by later recipe steps).
 */
#include <stdlib.h>
#include <string.h>

#include "passes.h"

/* ---- removing nodes and memlets ---- */

/* Remaps the map links of node n after renumbering. */
static void
relink(IrNode *n, const int *newid)
{
	if (n->kind == IRN_MAP_ENTRY) {
		n->map.exit = newid[n->map.exit];
		if (n->map.exit < 0)
			ICE("map '%s' kept without its exit", n->label ? n->label : "?");
	} else if (n->kind == IRN_MAP_EXIT) {
		n->mapexit.entry = newid[n->mapexit.entry];
		if (n->mapexit.entry < 0)
			ICE("map exit kept without its entry");
	}
}

void
pass_state_remove(Ctx *ctx, IrState *s, const bool *dead_nodes, const bool *dead_memlets)
{
	int *newid = arena_alloc(ctx->arena, sizeof(int) * (size_t)(s->nodes.len + 1));
	int k = 0;
	for (int i = 0; i < s->nodes.len; i++)
		newid[i] = dead_nodes && dead_nodes[i] ? -1 : k++;
	for (int i = 0; i < s->nodes.len; i++) {
		if (newid[i] < 0)
			continue;
		IrNode n = s->nodes.data[i];
		n.id = newid[i];
		relink(&n, newid);
		s->nodes.data[newid[i]] = n;
	}
	s->nodes.len = k;
	k = 0;
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet m = s->memlets.data[i];
		if ((dead_memlets && dead_memlets[i]) || newid[m.src] < 0 || newid[m.dst] < 0)
			continue;
		m.id = k;
		m.src = newid[m.src];
		m.dst = newid[m.dst];
		s->memlets.data[k++] = m;
	}
	s->memlets.len = k;
}

void
pass_container_remove(IrProgram *p, const char *name)
{
	int k = 0;
	for (int i = 0; i < p->containers.len; i++)
		if (strcmp(p->containers.data[i].name, name) != 0)
			p->containers.data[k++] = p->containers.data[i];
	p->containers.len = k;
}

/* ---- who reads what ---- */

static bool
list_cond_reads(const IrBlockList *l, const char *name)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		bool r = false;
		if (b->kind == CF_ASSIGN)
			r = b->assign.data && strcmp(b->assign.data, name) == 0;
		else if (b->kind == CF_FOR)
			r = list_cond_reads(&b->loop.body, name);
		else if (b->kind == CF_WHILE)
			r = ir_expr_reads(b->wloop.cond, name) || list_cond_reads(&b->wloop.body, name);
		else if (b->kind == CF_IF) {
			for (int k = 0; !r && k < b->branch.n; k++)
				r = ir_expr_reads(b->branch.conds[k], name) ||
				    list_cond_reads(&b->branch.bodies[k], name);
			r = r || list_cond_reads(&b->branch.orelse, name);
		}
		if (r)
			return true;
	}
	return false;
}

bool
pass_cond_reads(const IrProgram *p, const char *name)
{
	return list_cond_reads(&p->body, name);
}

typedef struct Uses {
	const char *name;
	bool read;       /* a memlet leaves one of its access nodes */
	bool mentioned;  /* an access node or a memlet names it */
} Uses;

static void
note_uses(IrState *s, IrBlock *b, void *ud)
{
	Uses *u = ud;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_ACCESS && strcmp(n->access.data, u->name) == 0)
			u->mentioned = true;
	}
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const IrNode *src = &s->nodes.data[m->src];
		if (m->data && strcmp(m->data, u->name) == 0)
			u->mentioned = true;
		if (src->kind == IRN_ACCESS && strcmp(src->access.data, u->name) == 0)
			u->read = true;
	}
}

static Uses
uses_of(IrProgram *p, const char *name)
{
	Uses u = { name, false, false };
	pass_foreach_state(p, note_uses, &u);
	return u;
}

/* The containers something reads: a memlet leaves one of their access
 * nodes, or a loop or branch condition names them. Sorted, for lookups in
 * O(log n): the transformation asks for every access node of a program. */
typedef VEC(const char *) Names;

static void
note_reads(IrState *s, IrBlock *b, void *ud)
{
	void **u = ud;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrNode *src = &s->nodes.data[s->memlets.data[i].src];
		if (src->kind == IRN_ACCESS)
			vec_push((Arena *)u[0], (Names *)u[1], src->access.data);
	}
}

static void
expr_names(Arena *a, const IrExpr *e, Names *out)
{
	if (!e)
		return;
	if (e->kind == EX_IN)
		vec_push(a, out, e->name);
	for (int i = 0; i < e->n; i++)
		expr_names(a, e->args[i], out);
}

static void
cond_names(Arena *a, const IrBlockList *l, Names *out)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		if (b->kind == CF_ASSIGN && b->assign.data) {
			vec_push(a, out, b->assign.data);
		} else if (b->kind == CF_FOR) {
			cond_names(a, &b->loop.body, out);
		} else if (b->kind == CF_WHILE) {
			expr_names(a, b->wloop.cond, out);
			cond_names(a, &b->wloop.body, out);
		} else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n; k++) {
				expr_names(a, b->branch.conds[k], out);
				cond_names(a, &b->branch.bodies[k], out);
			}
			cond_names(a, &b->branch.orelse, out);
		}
	}
}

static int
cmp_names(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static Names
read_set(Ctx *ctx, IrProgram *p)
{
	Names r = { 0 };
	void *u[2] = { ctx->arena, &r };
	pass_foreach_state(p, note_reads, u);
	cond_names(ctx->arena, &p->body, &r);
	if (r.len)
		qsort(r.data, (size_t)r.len, sizeof(char *), cmp_names);
	return r;
}

/* Is container `name` a transient that nothing reads (reads: read_set)? */
static bool
is_dead(IrProgram *p, const Names *reads, const char *name)
{
	const IrContainer *c = ir_program_find_container(p, name);
	if (!c || c->role != ROLE_TRANSIENT)
		return false;
	return !reads->len || !bsearch(&name, reads->data, (size_t)reads->len, sizeof(char *),
				       cmp_names);
}

/* ---- liveness in one state ---- */

typedef struct Live {
	const IrState *s;
	bool *dead_node, *dead_memlet;
	bool **members;        /* scope members of each map entry, else NULL */
	bool changed;
} Live;

/* Is some live memlet at scope node `node` on the partner connector of x:
 * leaving on "OUT_x" (out true) or entering on "IN_x"? */
static bool
partner_alive(const Live *L, int node, const char *x, bool out)
{
	for (int i = 0; i < L->s->memlets.len; i++) {
		const IrMemlet *m = &L->s->memlets.data[i];
		if (L->dead_memlet[i] || (out ? m->src : m->dst) != node)
			continue;
		const char *y = pass_conn_suffix(out ? m->src_conn : m->dst_conn,
						 out ? "OUT_" : "IN_");
		if (y && strcmp(x, y) == 0)
			return true;
	}
	return false;
}

static bool
is_scope_node(const IrState *s, int id)
{
	IrNodeKind k = s->nodes.data[id].kind;
	return k == IRN_MAP_ENTRY || k == IRN_MAP_EXIT;
}

static bool
memlet_dies(const Live *L, const IrMemlet *m)
{
	if (L->dead_node[m->src] || L->dead_node[m->dst])
		return true;
	const char *x;
	if (is_scope_node(L->s, m->dst) && (x = pass_conn_suffix(m->dst_conn, "IN_")) &&
	    !partner_alive(L, m->dst, x, true))
		return true;
	return is_scope_node(L->s, m->src) && (x = pass_conn_suffix(m->src_conn, "OUT_")) &&
	       !partner_alive(L, m->src, x, false);
}

/* Counts the live memlets of node id (out: leaving it; else entering it)
 * into *live and all of them into *all; only those that carry data when
 * data_only. */
static void
count_memlets(const Live *L, int id, bool out, bool data_only, int *live, int *all)
{
	*live = *all = 0;
	for (int i = 0; i < L->s->memlets.len; i++) {
		const IrMemlet *m = &L->s->memlets.data[i];
		if ((out ? m->src : m->dst) != id || (data_only && !m->data))
			continue;
		(*all)++;
		*live += !L->dead_memlet[i];
	}
}

/* A map dies once every node of its scope died; an empty one (nothing
 * in its scope: loop-to-map's map of an empty loop) once nothing live
 * leaves its exit, since it computes nothing. */
static bool
map_dies(const Live *L, int entry)
{
	bool any = false;
	for (int i = 0; i < L->s->nodes.len; i++) {
		if (!L->members[entry][i])
			continue;
		any = true;
		if (!L->dead_node[i])
			return false;
	}
	int lo, ao;
	if (!any)
		count_memlets(L, L->s->nodes.data[entry].map.exit, true, false, &lo, &ao);
	return any || lo == 0;
}

static bool
node_dies(const Live *L, int id)
{
	const IrNode *n = &L->s->nodes.data[id];
	int lo, ao, li, ai;
	switch (n->kind) {
	case IRN_ACCESS:
		count_memlets(L, id, true, false, &lo, &ao);
		count_memlets(L, id, false, false, &li, &ai);
		return ao + ai > 0 && lo + li == 0;
	case IRN_TASKLET:
	case IRN_LIBRARY:
		/* an empty memlet out of it only orders it before another node
		 * (reconnect keeps that one in its scope) */
		count_memlets(L, id, true, true, &lo, &ao);
		return ao > 0 && lo == 0;
	case IRN_MAP_ENTRY:
		return L->members[id] && map_dies(L, id);
	case IRN_MAP_EXIT:
		return L->dead_node[n->mapexit.entry];
	default:
		return false;
	}
}

static void
live_step(Live *L)
{
	for (int i = 0; i < L->s->memlets.len; i++)
		if (!L->dead_memlet[i] && memlet_dies(L, &L->s->memlets.data[i])) {
			L->dead_memlet[i] = true;
			L->changed = true;
		}
	for (int i = 0; i < L->s->nodes.len; i++)
		if (!L->dead_node[i] && node_dies(L, i)) {
			L->dead_node[i] = true;
			L->changed = true;
		}
}

/* Memlet i comes back to life, with the node it enters and, when that is
 * a map exit, the path on from its partner connector OUT_x. */
static void
revive_path(Live *L, int i)
{
	const IrMemlet *m = &L->s->memlets.data[i];
	L->dead_memlet[i] = false;
	L->dead_node[m->dst] = false;
	const char *x = pass_conn_suffix(m->dst_conn, "IN_"), *y;
	if (L->s->nodes.data[m->dst].kind != IRN_MAP_EXIT || !x)
		return;
	for (int k = 0; k < L->s->memlets.len; k++) {
		const IrMemlet *o = &L->s->memlets.data[k];
		if (o->src == m->dst && L->dead_memlet[k] &&
		    (y = pass_conn_suffix(o->src_conn, "OUT_")) && strcmp(x, y) == 0)
			revive_path(L, k);
	}
}

/* A library node that stays writes every output it has (each connector
 * of a node is required: a matvec_pair whose y nothing reads still
 * computes it on its way to z), so its memlets into dead containers come
 * back, with their paths to the access nodes. */
static void
revive_library_outputs(Live *L)
{
	for (int i = 0; i < L->s->memlets.len; i++) {
		int src = L->s->memlets.data[i].src;
		if (L->dead_memlet[i] && L->s->nodes.data[src].kind == IRN_LIBRARY &&
		    !L->dead_node[src])
			revive_path(L, i);
	}
}

/* Runs the fixpoint on state s of p; true if anything died. */
static bool
live_compute(Ctx *ctx, IrProgram *p, const Names *reads, const IrState *s, Live *L)
{
	Arena *a = ctx->arena;
	L->s = s;
	L->dead_node = arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1));
	L->dead_memlet = arena_alloc(a, sizeof(bool) * (size_t)(s->memlets.len + 1));
	L->members = arena_alloc(a, sizeof(bool *) * (size_t)(s->nodes.len + 1));
	bool any = false;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_MAP_ENTRY)
			L->members[i] = ir_state_scope_members(a, s, i);
		if (n->kind == IRN_ACCESS && is_dead(p, reads, n->access.data))
			any = L->dead_node[i] = true;
	}
	if (!any)
		return false;
	do {
		L->changed = false;
		live_step(L);
	} while (L->changed);
	revive_library_outputs(L);
	for (int i = 0; i < s->nodes.len; i++)
		if (L->dead_node[i])
			return true;
	for (int i = 0; i < s->memlets.len; i++)
		if (L->dead_memlet[i])
			return true;
	return false;
}

/* ---- the transformation ---- */

static const char *
dde_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	IrState *s = pass_site_state(site);
	if (!s)
		return arena_printf(ctx->arena, "'%s' is not a state", site->names[0]);
	Live L;
	Names reads = read_set(ctx, site->p);
	if (!live_compute(ctx, site->p, &reads, s, &L))
		return arena_printf(ctx->arena, "nothing in '%s' is dead: every container it "
				    "writes is an argument, a return value, read somewhere, or an "
				    "output of a library node that stays",
				    s->name);
	return NULL;
}

/* The dead containers written in s, before anything is removed. */
static void
dead_written(Ctx *ctx, IrProgram *p, const Names *reads, const IrState *s, const Live *L,
	     Names *out)
{
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind != IRN_ACCESS || !L->dead_node[i] || !is_dead(p, reads, n->access.data))
			continue;
		bool seen = false;
		for (int k = 0; k < out->len && !seen; k++)
			seen = strcmp(out->data[k], n->access.data) == 0;
		if (!seen)
			vec_push(ctx->arena, out, n->access.data);
	}
}

/* Keeps every map that stays connected: a node that stays in a map's
 * scope with every memlet into it dying (an empty ordering memlet from a
 * computation that died) gets an empty memlet from the scope's entry, one
 * with every memlet out of it dying gets one to the scope's exit, and an
 * exit that nothing live enters any more one from its entry (the exit is
 * reachable, and nothing falls out of its scope). The memlets are added
 * to s, alive, and L's dead_memlet grows with them. */
static void
reconnect(Ctx *ctx, IrState *s, Live *L)
{
	int *scope = ir_state_scopes(ctx->arena, s);
	typedef struct Edge { int src, dst; } Edge;
	VEC(Edge) add = { 0 };
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (L->dead_node[i])
			continue;
		int li, ai, lo, ao;
		count_memlets(L, i, false, false, &li, &ai);
		count_memlets(L, i, true, false, &lo, &ao);
		if (n->kind == IRN_MAP_EXIT && ai > 0 && li == 0)
			vec_push(ctx->arena, &add, ((Edge){ n->mapexit.entry, i }));
		if (scope[i] < 0)
			continue;
		if (ai > 0 && li == 0 && n->kind != IRN_MAP_EXIT)
			vec_push(ctx->arena, &add, ((Edge){ scope[i], i }));
		if (ao > 0 && lo == 0)
			vec_push(ctx->arena, &add, ((Edge){ i, s->nodes.data[scope[i]].map.exit }));
	}
	if (!add.len)
		return;
	int old = s->memlets.len;
	for (int k = 0; k < add.len; k++)
		ir_state_add_memlet(ctx, s, add.data[k].src, NULL, add.data[k].dst, NULL, NULL,
				    (Subset){ 0 }, WCR_NONE, s->nodes.data[add.data[k].dst].loc);
	bool *dm = arena_alloc(ctx->arena, sizeof(bool) * (size_t)(s->memlets.len + 1));
	memcpy(dm, L->dead_memlet, sizeof(bool) * (size_t)old);
	L->dead_memlet = dm;
}

static void
dde_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	IrState *s = pass_site_state(site);
	Live L;
	Names reads = read_set(ctx, site->p);
	if (!s || !live_compute(ctx, site->p, &reads, s, &L))
		ICE("dead-dataflow-elimination applied where it does not apply");
	Names dead = { 0 };
	dead_written(ctx, site->p, &reads, s, &L, &dead);
	reconnect(ctx, s, &L);
	pass_state_remove(ctx, s, L.dead_node, L.dead_memlet);
	for (int i = 0; i < dead.len; i++)
		if (!uses_of(site->p, dead.data[i]).mentioned)
			pass_container_remove(site->p, dead.data[i]);
}

typedef struct Match {
	Ctx *ctx;
	IrProgram *p;
	XSiteList *out;
	Names reads;
} Match;

static void
match_state(IrState *s, IrBlock *b, void *ud)
{
	Match *M = ud;
	Live L;
	if (!live_compute(M->ctx, M->p, &M->reads, s, &L))
		return;
	XSite site = { .p = M->p, .n = 1, .names = { s->name } };
	vec_push(M->ctx->arena, M->out, site);
}

static void
dde_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, out, read_set(ctx, p) };
	pass_foreach_state(p, match_state, &M);
}

const Xform xform_dead_dataflow = {
	.name = "dead-dataflow-elimination",
	.desc = "removes the computations of a state whose results nothing reads, and their temporaries",
	.nsites = 1,
	.params = NULL,
	.match = dde_match,
	.check = dde_check,
	.apply = dde_apply,
};
