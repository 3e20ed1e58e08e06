/* ir/build.c — constructors for modules, programs, containers, states,
 * nodes, memlets and blocks; the name tables of the small IR enums; and
 * the graph queries on states (acyclicity, topological order, map scopes).
 *
 * Constructors copy every string and array they are given into the arena,
 * so callers may pass temporaries. They do not check references: that is
 * ir_verify's job, and the graph queries here tolerate malformed states
 * (memlets naming missing nodes are ignored) so verify can use them on
 * anything the YAML loader produces.
 *
 * Scopes follow the definition in ir.h: node n is in the scope of map
 * entry E when n != E and n is reachable from E without passing E's exit;
 * the exit itself belongs to the scope around E.
 */
#include <string.h>

#include "ir.h"

/* ---- name tables ---- */

static const char *const node_kind_names[] = {
#define X(e, name, payload) name,
#include "nodes.def"
#undef X
};

static const char *const schedule_names[] = {
	"sequential", "cpu_parallel", "gpu_device", "gpu_block", "mpi",
};

static const char *const wcr_names[] = { "none", "sum", "prod", "min", "max" };

static const char *const libop_names[] = { "matmul", "matvec_pair", "scan" };

static const char *const storage_names[] = { "host", "register", "device", "stack" };

static const char *const lifetime_names[] = { "call", "handle" };

_Static_assert(sizeof schedule_names / sizeof *schedule_names == SCHED_COUNT, "schedules");
_Static_assert(sizeof wcr_names / sizeof *wcr_names == WCR_COUNT, "wcr");
_Static_assert(sizeof libop_names / sizeof *libop_names == LIB_COUNT, "libops");
_Static_assert(sizeof storage_names / sizeof *storage_names == STORAGE_COUNT, "storage");
_Static_assert(sizeof lifetime_names / sizeof *lifetime_names == LIFETIME_COUNT, "lifetime");

static int
lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
ir_node_kind_name(IrNodeKind k)
{
	if ((unsigned)k >= IRN_COUNT)
		ICE("bad node kind %d", (int)k);
	return node_kind_names[k];
}

const char *
ir_schedule_name(Schedule s)
{
	if ((unsigned)s >= SCHED_COUNT)
		ICE("bad schedule %d", (int)s);
	return schedule_names[s];
}

bool
ir_schedule_from_name(const char *s, Schedule *out)
{
	int i = lookup(schedule_names, SCHED_COUNT, s);
	if (i >= 0)
		*out = (Schedule)i;
	return i >= 0;
}

const char *
ir_wcr_name(Wcr w)
{
	if ((unsigned)w >= WCR_COUNT)
		ICE("bad wcr %d", (int)w);
	return wcr_names[w];
}

bool
ir_wcr_from_name(const char *s, Wcr *out)
{
	int i = lookup(wcr_names, WCR_COUNT, s);
	if (i >= 0)
		*out = (Wcr)i;
	return i >= 0;
}

const char *
ir_libop_name(LibOp op)
{
	if ((unsigned)op >= LIB_COUNT)
		ICE("bad library op %d", (int)op);
	return libop_names[op];
}

bool
ir_libop_from_name(const char *s, LibOp *out)
{
	int i = lookup(libop_names, LIB_COUNT, s);
	if (i >= 0)
		*out = (LibOp)i;
	return i >= 0;
}

const char *
ir_storage_name(Storage s)
{
	if ((unsigned)s >= STORAGE_COUNT)
		ICE("bad storage %d", (int)s);
	return storage_names[s];
}

bool
ir_storage_from_name(const char *s, Storage *out)
{
	int i = lookup(storage_names, STORAGE_COUNT, s);
	if (i >= 0)
		*out = (Storage)i;
	return i >= 0;
}

const char *
ir_lifetime_name(Lifetime l)
{
	if ((unsigned)l >= LIFETIME_COUNT)
		ICE("bad lifetime %d", (int)l);
	return lifetime_names[l];
}

bool
ir_lifetime_from_name(const char *s, Lifetime *out)
{
	int i = lookup(lifetime_names, LIFETIME_COUNT, s);
	if (i >= 0)
		*out = (Lifetime)i;
	return i >= 0;
}

/* ---- modules and programs ---- */

static const char *
dup_or_null(Arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

IrModule *
ir_module_new(Ctx *ctx, const char *name, const char *source)
{
	IrModule *m = arena_alloc(ctx->arena, sizeof(*m));
	m->name = arena_strdup(ctx->arena, name ? name : "");
	m->source = arena_strdup(ctx->arena, source ? source : "");
	return m;
}

/* A new empty program, appended to m's programs (m may be NULL). */
IrProgram *
ir_program_new(Ctx *ctx, IrModule *m, const char *name, SrcLoc loc)
{
	IrProgram *p = arena_alloc(ctx->arena, sizeof(*p));
	p->name = arena_strdup(ctx->arena, name);
	p->loc = loc;
	if (m)
		vec_push(ctx->arena, &m->programs, p);
	return p;
}

void
ir_program_assume(Ctx *ctx, IrProgram *p, Sym *expr, SrcLoc loc)
{
	Sym *zero = sym_const(ctx->arena, 0);
	if (sym_le(zero, expr) == T_TRUE)
		return;
	for (int i = 0; i < p->assumes.len; i++) {
		IrAssume *a = &p->assumes.data[i];
		if (sym_le(a->expr, expr) == T_TRUE)
			return;
		if (sym_le(expr, a->expr) == T_TRUE) {
			/* The new one is stronger: it replaces the old one. */
			a->expr = expr;
			a->loc = loc;
			return;
		}
	}
	vec_push(ctx->arena, &p->assumes, ((IrAssume){ expr, loc }));
}

bool
ir_program_has_symbol(const IrProgram *p, const char *name)
{
	for (int i = 0; name && i < p->symbols.len; i++)
		if (p->symbols.data[i] && strcmp(p->symbols.data[i], name) == 0)
			return true;
	return false;
}

/* Adds a size symbol; adding one that exists does nothing. */
void
ir_program_add_symbol(Ctx *ctx, IrProgram *p, const char *name)
{
	if (!ir_program_has_symbol(p, name))
		vec_push(ctx->arena, &p->symbols, arena_strdup(ctx->arena, name));
}

/* strides[ndim-1] = 1, strides[k] = strides[k+1] * shape[k+1]; NULL for a
 * scalar. */
Sym **
ir_strides_row_major(Arena *a, int ndim, Sym **shape)
{
	if (ndim <= 0)
		return NULL;
	Sym **st = arena_alloc(a, sizeof(Sym *) * (size_t)ndim);
	st[ndim - 1] = sym_const(a, 1);
	for (int k = ndim - 2; k >= 0; k--)
		st[k] = sym_mul(a, st[k + 1], shape[k + 1]);
	return st;
}

/* The container is stored on the host; shape is copied (NULL for a scalar). */
int
ir_program_add_container(Ctx *ctx, IrProgram *p, const char *name, DType t,
			 int ndim, Sym **shape, ContainerRole role, SrcLoc loc)
{
	Arena *a = ctx->arena;
	IrContainer c = { .name = arena_strdup(a, name), .dtype = t, .ndim = ndim,
			  .storage = STORAGE_HOST, .role = role, .loc = loc };
	if (ndim > 0) {
		c.shape = arena_alloc(a, sizeof(Sym *) * (size_t)ndim);
		memcpy(c.shape, shape, sizeof(Sym *) * (size_t)ndim);
		c.strides = ir_strides_row_major(a, ndim, c.shape);
	}
	vec_push(a, &p->containers, c);
	return p->containers.len - 1;
}

IrContainer *
ir_program_find_container(const IrProgram *p, const char *name)
{
	for (int i = 0; name && i < p->containers.len; i++) {
		const char *n = p->containers.data[i].name;
		if (n && strcmp(n, name) == 0)
			return &p->containers.data[i];
	}
	return NULL;
}

/* ir.h */
bool
ir_list_assigns(const IrBlockList *l, const char *name)
{
	bool found = false;
	for (int i = 0; i < l->len && !found; i++) {
		const IrBlock *b = l->data[i];
		if (b->kind == CF_ASSIGN)
			found = strcmp(b->assign.sym, name) == 0;
		else if (b->kind == CF_FOR)
			found = ir_list_assigns(&b->loop.body, name);
		else if (b->kind == CF_WHILE)
			found = ir_list_assigns(&b->wloop.body, name);
		else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n && !found; k++)
				found = ir_list_assigns(&b->branch.bodies[k], name);
			found = found || ir_list_assigns(&b->branch.orelse, name);
		}
	}
	return found;
}

static bool
name_used(const IrProgram *p, const char *name)
{
	return ir_program_find_container(p, name) || ir_program_has_symbol(p, name) ||
	       ir_list_assigns(&p->body, name);
}

/* base with the characters a C identifier cannot hold dropped (Python
 * names may have non-ASCII letters): "v" if nothing is left or it would
 * start with a digit. */
static const char *
ascii_base(Ctx *ctx, const char *base)
{
	size_t n = strlen(base), k = 0;
	char *s = arena_alloc(ctx->arena, n + 2);
	for (size_t i = 0; i < n; i++) {
		char c = base[i];
		if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			s[k++] = c;
	}
	s[k] = '\0';
	if (k == n && k > 0 && !(s[0] >= '0' && s[0] <= '9'))
		return base;
	if (k == 0 || (s[0] >= '0' && s[0] <= '9')) {
		memmove(s + 1, s, k + 1);
		s[0] = 'v';
	}
	return s;
}

const char *
ir_program_fresh_name(Ctx *ctx, const IrProgram *p, const char *base)
{
	base = ascii_base(ctx, base);
	if (!name_used(p, base) && !ir_is_c_keyword(base))
		return arena_strdup(ctx->arena, base);
	for (long i = 1;; i++) {
		char *n = arena_printf(ctx->arena, "%s_%ld", base, i);
		if (!name_used(p, n))
			return n;
	}
}

bool
ir_is_c_keyword(const char *s)
{
	static const char *const kw[] = {
		"auto", "break", "case", "char", "const", "continue", "default", "do",
		"double", "else", "enum", "extern", "float", "for", "goto", "if", "inline",
		"int", "long", "register", "restrict", "return", "short", "signed", "sizeof",
		"static", "struct", "switch", "typedef", "union", "unsigned", "void",
		"volatile", "while", "bool", "true", "false", "NULL", "main",
	};
	for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
		if (strcmp(kw[i], s) == 0)
			return true;
	return s[0] == '_' && (s[1] == '_' || (s[1] >= 'A' && s[1] <= 'Z'));
}

/* ---- states ---- */

IrState *
ir_state_new(Ctx *ctx, const char *name, SrcLoc loc)
{
	IrState *s = arena_alloc(ctx->arena, sizeof(*s));
	s->name = dup_or_null(ctx->arena, name);
	s->loc = loc;
	return s;
}

static int
push_node(Ctx *ctx, IrState *s, IrNode n)
{
	n.id = s->nodes.len;
	vec_push(ctx->arena, &s->nodes, n);
	return n.id;
}

int
ir_state_add_access(Ctx *ctx, IrState *s, const char *data, SrcLoc loc)
{
	IrNode n = { .kind = IRN_ACCESS, .loc = loc };
	n.access.data = arena_strdup(ctx->arena, data);
	return push_node(ctx, s, n);
}

static IrConn
conn_copy(Arena *a, IrConn c)
{
	return (IrConn){ dup_or_null(a, c.name), c.dtype };
}

int
ir_state_add_tasklet(Ctx *ctx, IrState *s, int nin, IrConn *in, IrConn out,
		     IrExpr *expr, SrcLoc loc)
{
	Arena *a = ctx->arena;
	IrNode n = { .kind = IRN_TASKLET, .loc = loc };
	n.tasklet.nin = nin;
	n.tasklet.in = arena_alloc(a, sizeof(IrConn) * (size_t)(nin > 0 ? nin : 0));
	for (int i = 0; i < nin; i++)
		n.tasklet.in[i] = conn_copy(a, in[i]);
	n.tasklet.out = conn_copy(a, out);
	n.tasklet.expr = expr;
	return push_node(ctx, s, n);
}

void
ir_tasklet_set_out_index(Ctx *ctx, IrState *s, int id, int n, IrExpr **out_index)
{
	IrNode *t = &s->nodes.data[id];
	if (t->kind != IRN_TASKLET || n < 1)
		ICE("bad output index for node %d", id);
	t->tasklet.nout_index = n;
	t->tasklet.out_index = arena_alloc(ctx->arena, sizeof(IrExpr *) * (size_t)n);
	for (int i = 0; i < n; i++)
		t->tasklet.out_index[i] = out_index[i];
}

bool
ir_tasklet_is_indirect(const IrNode *n)
{
	return n->kind == IRN_TASKLET &&
	       (n->tasklet.nout_index > 0 || ir_expr_has_load(n->tasklet.expr));
}

/* The exit gets id entry + 1 and the same location; the label goes on the
 * entry. */
int
ir_state_add_map(Ctx *ctx, IrState *s, const char *label, int nparams,
		 const char **params, SymRange *ranges, Schedule sched, SrcLoc loc)
{
	Arena *a = ctx->arena;
	IrNode en = { .kind = IRN_MAP_ENTRY, .loc = loc, .label = dup_or_null(a, label) };
	en.map.nparams = nparams;
	en.map.params = arena_alloc(a, sizeof(char *) * (size_t)(nparams > 0 ? nparams : 0));
	en.map.ranges = arena_alloc(a, sizeof(SymRange) * (size_t)(nparams > 0 ? nparams : 0));
	for (int i = 0; i < nparams; i++) {
		en.map.params[i] = arena_strdup(a, params[i]);
		en.map.ranges[i] = ranges[i];
	}
	en.map.schedule = sched;
	en.map.exit = s->nodes.len + 1;
	int entry = push_node(ctx, s, en);
	IrNode ex = { .kind = IRN_MAP_EXIT, .loc = loc };
	ex.mapexit.entry = entry;
	push_node(ctx, s, ex);
	return entry;
}

int
ir_state_add_library(Ctx *ctx, IrState *s, LibOp op, SrcLoc loc)
{
	IrNode n = { .kind = IRN_LIBRARY, .loc = loc };
	n.lib.op = op;
	n.lib.impl = "naive";
	return push_node(ctx, s, n);
}

const IrMemlet *
ir_state_conn_memlet(const IrState *s, int id, const char *conn, bool out)
{
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const char *c = out ? m->src_conn : m->dst_conn;
		if ((out ? m->src : m->dst) == id && m->data && c && strcmp(c, conn) == 0)
			return m;
	}
	return NULL;
}

/* The subset's ranges are copied; data NULL makes an empty memlet. */
int
ir_state_add_memlet(Ctx *ctx, IrState *s, int src, const char *src_conn,
		    int dst, const char *dst_conn, const char *data,
		    Subset subset, Wcr wcr, SrcLoc loc)
{
	Arena *a = ctx->arena;
	IrMemlet m = { .id = s->memlets.len, .src = src, .dst = dst,
		       .src_conn = dup_or_null(a, src_conn),
		       .dst_conn = dup_or_null(a, dst_conn),
		       .data = dup_or_null(a, data), .subset = subset, .wcr = wcr,
		       .loc = loc };
	m.subset = subset_copy(a, &subset);
	vec_push(a, &s->memlets, m);
	return m.id;
}

/* ---- graph queries ---- */

/* Successor lists in compressed form: the successors of node i are
 * adj[off[i] .. off[i+1]). Memlets with out-of-range ends are skipped. */
typedef struct Adj {
	int n;
	int *off, *adj;
} Adj;

static bool
valid_edge(const IrState *s, const IrMemlet *m)
{
	return m->src >= 0 && m->src < s->nodes.len && m->dst >= 0 && m->dst < s->nodes.len;
}

static Adj
adj_build(Arena *a, const IrState *s)
{
	Adj g = { .n = s->nodes.len };
	g.off = arena_alloc(a, sizeof(int) * (size_t)(g.n + 1));
	g.adj = arena_alloc(a, sizeof(int) * (size_t)(s->memlets.len + 1));
	for (int i = 0; i < s->memlets.len; i++)
		if (valid_edge(s, &s->memlets.data[i]))
			g.off[s->memlets.data[i].src + 1]++;
	for (int i = 0; i < g.n; i++)
		g.off[i + 1] += g.off[i];
	int *fill = arena_alloc(a, sizeof(int) * (size_t)(g.n + 1));
	memcpy(fill, g.off, sizeof(int) * (size_t)(g.n + 1));
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (valid_edge(s, m))
			g.adj[fill[m->src]++] = m->dst;
	}
	return g;
}

/* Min-heap of node ids, so Kahn's algorithm takes the smallest ready id. */
typedef struct Heap {
	int *v, n;
} Heap;

static void
heap_push(Heap *h, int x)
{
	int i = h->n++;
	for (; i > 0 && h->v[(i - 1) / 2] > x; i = (i - 1) / 2)
		h->v[i] = h->v[(i - 1) / 2];
	h->v[i] = x;
}

static int
heap_pop(Heap *h)
{
	int top = h->v[0], x = h->v[--h->n], i = 0;
	for (;;) {
		int c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1] < h->v[c])
			c++;
		if (h->v[c] >= x)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	h->v[i] = x;
	return top;
}

/* Fills order[] with a topological order (smallest ready id first);
 * returns how many nodes it ordered (< n when there is a cycle). */
static int
kahn(Arena *a, const IrState *s, int *order)
{
	Adj g = adj_build(a, s);
	int *indeg = arena_alloc(a, sizeof(int) * (size_t)(g.n + 1));
	Heap h = { arena_alloc(a, sizeof(int) * (size_t)(g.n + 1)), 0 };
	for (int i = 0; i < g.off[g.n]; i++)
		indeg[g.adj[i]]++;
	for (int i = 0; i < g.n; i++)
		if (indeg[i] == 0)
			heap_push(&h, i);
	int k = 0;
	while (h.n > 0) {
		int u = heap_pop(&h);
		order[k++] = u;
		for (int e = g.off[u]; e < g.off[u + 1]; e++)
			if (--indeg[g.adj[e]] == 0)
				heap_push(&h, g.adj[e]);
	}
	return k;
}

bool
ir_state_is_acyclic(const IrState *s)
{
	Arena *tmp = arena_new();
	int *order = arena_alloc(tmp, sizeof(int) * (size_t)(s->nodes.len + 1));
	bool ok = kahn(tmp, s, order) == s->nodes.len;
	arena_free(tmp);
	return ok;
}

int *
ir_state_topo_order(Arena *a, const IrState *s)
{
	int *order = arena_alloc(a, sizeof(int) * (size_t)(s->nodes.len + 1));
	Arena *tmp = arena_new();
	int k = kahn(tmp, s, order);
	arena_free(tmp);
	if (k != s->nodes.len)
		ICE("state '%s' has a cycle (verify first)", s->name ? s->name : "?");
	return order;
}

/* The exit id of map entry `entry`, or -1 if entry is not a map entry or
 * its exit id is out of range. */
static int
exit_of(const IrState *s, int entry)
{
	if (entry < 0 || entry >= s->nodes.len || s->nodes.data[entry].kind != IRN_MAP_ENTRY)
		return -1;
	int x = s->nodes.data[entry].map.exit;
	return x >= 0 && x < s->nodes.len ? x : -1;
}

/* members[n] for every node reachable from `entry` without passing stop;
 * neither entry nor stop is marked. */
static void
reach(Arena *a, const Adj *g, int entry, int stop, bool *members)
{
	int *stack = arena_alloc(a, sizeof(int) * (size_t)(g->n + 1));
	bool *seen = arena_alloc(a, sizeof(bool) * (size_t)(g->n + 1));
	int sp = 0;
	stack[sp++] = entry;
	seen[entry] = true;
	while (sp > 0) {
		int u = stack[--sp];
		for (int e = g->off[u]; e < g->off[u + 1]; e++) {
			int v = g->adj[e];
			if (seen[v])
				continue;
			seen[v] = true;
			if (v == stop)
				continue;
			members[v] = true;
			stack[sp++] = v;
		}
	}
}

bool *
ir_state_scope_members(Arena *a, const IrState *s, int entry)
{
	bool *members = arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1));
	if (entry < 0 || entry >= s->nodes.len || s->nodes.data[entry].kind != IRN_MAP_ENTRY)
		return members;
	Arena *tmp = arena_new();
	Adj g = adj_build(tmp, s);
	reach(tmp, &g, entry, exit_of(s, entry), members);
	arena_free(tmp);
	return members;
}

bool
ir_state_reaches(Arena *a, const IrState *s, const bool *within, int from, int to)
{
	int n = s->nodes.len;
	if (from == to)
		return true;
	bool *seen = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	int *stack = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	int top = 0;
	stack[top++] = from;
	seen[from] = true;
	while (top > 0) {
		int v = stack[--top];
		for (int i = 0; i < s->memlets.len; i++) {
			const IrMemlet *m = &s->memlets.data[i];
			int d = m->dst;
			if (m->src != v || d < 0 || d >= n || seen[d] || (within && !within[d]))
				continue;
			if (d == to)
				return true;
			seen[d] = true;
			stack[top++] = d;
		}
	}
	return false;
}

void
ir_foreach_state(const IrBlockList *l, void (*f)(IrState *, IrBlock *, void *), void *ud)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		switch (b->kind) {
		case CF_STATE:
			f(b->state, b, ud);
			break;
		case CF_FOR:
			ir_foreach_state(&b->loop.body, f, ud);
			break;
		case CF_WHILE:
			ir_foreach_state(&b->wloop.body, f, ud);
			break;
		case CF_IF:
			for (int k = 0; k < b->branch.n; k++)
				ir_foreach_state(&b->branch.bodies[k], f, ud);
			ir_foreach_state(&b->branch.orelse, f, ud);
			break;
		default:
			break;
		}
	}
}

/* For every node, the innermost entry whose scope contains it: of all
 * entries containing the node, the one with the smallest scope (ties:
 * the lowest id). Works on any state; on a well-formed one scopes nest. */
int *
ir_state_scopes(Arena *a, const IrState *s)
{
	int n = s->nodes.len;
	int *scope = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	Arena *tmp = arena_new();
	int *size = arena_alloc(tmp, sizeof(int) * (size_t)(n + 1));
	Adj g = adj_build(tmp, s);
	bool *members = arena_alloc(tmp, sizeof(bool) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		scope[i] = -1;
	for (int e = 0; e < n; e++) {
		if (s->nodes.data[e].kind != IRN_MAP_ENTRY)
			continue;
		memset(members, 0, sizeof(bool) * (size_t)n);
		reach(tmp, &g, e, exit_of(s, e), members);
		for (int i = 0; i < n; i++)
			size[e] += members[i];
		for (int i = 0; i < n; i++)
			if (members[i] && (scope[i] < 0 || size[e] < size[scope[i]]))
				scope[i] = e;
	}
	arena_free(tmp);
	return scope;
}

int
ir_state_scope_of(const IrState *s, int node)
{
	if (node < 0 || node >= s->nodes.len)
		ICE("node %d not in state '%s'", node, s->name ? s->name : "?");
	Arena *tmp = arena_new();
	int e = ir_state_scopes(tmp, s)[node];
	arena_free(tmp);
	return e;
}

/* ---- blocks ---- */

IrBlock *
ir_block_new(Ctx *ctx, IrBlockKind kind, const char *name, SrcLoc loc)
{
	IrBlock *b = arena_alloc(ctx->arena, sizeof(*b));
	b->kind = kind;
	b->name = dup_or_null(ctx->arena, name);
	b->loc = loc;
	return b;
}

IrBlock *
ir_block_state(Ctx *ctx, IrState *s)
{
	IrBlock *b = ir_block_new(ctx, CF_STATE, s->name, s->loc);
	b->state = s;
	return b;
}

IrBlock *
ir_block_assign_from(Ctx *ctx, const char *sym, const char *data, bool negate, SrcLoc loc)
{
	IrBlock *b = ir_block_new(ctx, CF_ASSIGN, NULL, loc);
	b->assign.sym = arena_strdup(ctx->arena, sym);
	b->assign.data = arena_strdup(ctx->arena, data);
	b->assign.negate = negate;
	return b;
}

char *
ir_assign_value_text(Arena *a, const IrBlock *b)
{
	if (b->assign.data)
		return arena_printf(a, "max(%sin:%s, 0)", b->assign.negate ? "-" : "", b->assign.data);
	return b->assign.value ? sym_print(a, b->assign.value) : arena_strdup(a, "?");
}
