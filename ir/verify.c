/* ir/verify.c — ir_verify: checks every invariant of the IR listed in ir.h.
 *
 * Verification runs on IR from the frontends, from every pass, and from
 * YAML files users wrote, where the loader only guarantees that fields
 * parsed. So nothing here trusts a reference before checking it: node ids,
 * container names, connector names, enum values and NULL pointers are all
 * tested before use, and every problem is reported (not just the first) as
 *   IR verification failed: <what> in state 'state_L7' of program 'k'
 * at the offending node's or memlet's location, falling back to the
 * state's and then the program's location when that one is unknown.
 *
 * Symbols in scope: the program's size symbols, the variables of the
 * enclosing for loops, and (inside a state) the parameters of the map
 * scopes around a node. Scope-dependent checks are skipped in a state with
 * a cycle, which is reported instead.
 */
#include <stdlib.h>
#include <string.h>

#include "ir.h"

enum { MAX_NEST = 1000 };

typedef struct V {
	Ctx *ctx;
	Arena *tmp;                 /* scratch, freed when verify returns */
	const IrProgram *p;         /* program being checked, or NULL */
	const IrState *s;           /* state being checked, or NULL */
	VEC(const char *) names;    /* symbols in scope outside maps */
	VEC(const char *) assigned; /* symbols assigned by CF_ASSIGN blocks so far */
	int loops;                  /* number of enclosing loops */
	int nest;                   /* block nesting depth */
	int *scope;                 /* innermost map entry per node; NULL if s is cyclic */
	bool **members;             /* scope set per paired map entry, else NULL */
	const IrContainer **byname; /* the containers of p with a name, sorted */
	int nbyname;
} V;

static const char *
str(const char *s)
{
	return s ? s : "<null>";
}

static bool
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static void fail(V *v, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- containers by name (lookups in O(log n): verify runs after every
 * transformation, on programs of thousands of containers) ---- */

static int
cmp_container(const void *x, const void *y)
{
	return strcmp((*(const IrContainer *const *)x)->name, (*(const IrContainer *const *)y)->name);
}

static void
index_containers(V *v, const IrProgram *p)
{
	v->byname = arena_alloc(v->tmp, sizeof(IrContainer *) * (size_t)(p->containers.len + 1));
	v->nbyname = 0;
	for (int i = 0; i < p->containers.len; i++)
		if (p->containers.data[i].name)
			v->byname[v->nbyname++] = &p->containers.data[i];
	if (v->nbyname > 1)
		qsort(v->byname, (size_t)v->nbyname, sizeof(IrContainer *), cmp_container);
	/* every container of a run of equal names but the first one of p */
	for (int k = 0; k < v->nbyname;) {
		int e = k + 1;
		const IrContainer *first = v->byname[k];
		while (e < v->nbyname && streq(v->byname[e]->name, first->name)) {
			if (v->byname[e] < first)
				first = v->byname[e];
			e++;
		}
		for (int x = k; e - k > 1 && x < e; x++)
			if (v->byname[x] != first)
				fail(v, v->byname[x]->loc, "duplicate container '%s'", first->name);
		k = e;
	}
}

/* ir_program_find_container of the program being checked. */
static const IrContainer *
find_container(const V *v, const char *name)
{
	if (!name || v->nbyname == 0)
		return NULL;
	IrContainer key = { .name = name };
	const IrContainer *k = &key;
	const IrContainer **r = bsearch(&k, v->byname, (size_t)v->nbyname, sizeof(IrContainer *),
					cmp_container);
	return r ? *r : NULL;
}

static void
fail(V *v, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *what = arena_vprintf(v->tmp, fmt, ap);
	va_end(ap);
	if (loc.line == 0 && v->s && v->s->loc.line > 0)
		loc = v->s->loc;
	if (loc.line == 0 && v->p)
		loc = v->p->loc;
	if (v->s && v->p)
		diag_error(v->ctx, loc, "IR verification failed: %s in state '%s' of program '%s'",
			   what, str(v->s->name), str(v->p->name));
	else if (v->p)
		diag_error(v->ctx, loc, "IR verification failed: %s in program '%s'",
			   what, str(v->p->name));
	else
		diag_error(v->ctx, loc, "IR verification failed: %s", what);
}

/* Names end up as C identifiers in generated code, so they must be
 * identifiers (ASCII letters, digits, '_', not starting with a digit).
 * `of` ("of tasklet 3", with a leading blank) may be NULL. */
static bool
check_ident(V *v, SrcLoc loc, const char *what, const char *name, const char *of)
{
	bool ok = name && *name && !(*name >= '0' && *name <= '9');
	for (const char *q = name; ok && *q; q++)
		ok = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			(*q >= '0' && *q <= '9') || *q == '_';
	if (!ok && name)
		fail(v, loc, "%s '%s'%s is not an identifier", what, name, of ? of : "");
	else if (!ok)
		fail(v, loc, "%s%s has no name", what, of ? of : "");
	return ok;
}

/* ---- symbols ---- */

static bool
is_map_entry(const V *v, int id)
{
	return id >= 0 && id < v->s->nodes.len && v->s->nodes.data[id].kind == IRN_MAP_ENTRY;
}

/* Is `name` a symbol in scope, inside map entry `scope` (-1: none)? In a
 * cyclic state map parameters cannot be placed, so any name passes. */
static bool
in_scope(const V *v, const char *name, int scope)
{
	for (int i = 0; i < v->names.len; i++)
		if (streq(v->names.data[i], name))
			return true;
	if (v->s && !v->scope)
		return true;
	for (int hops = 0; is_map_entry(v, scope) && hops <= v->s->nodes.len; hops++) {
		const IrNode *e = &v->s->nodes.data[scope];
		for (int i = 0; e->map.params && i < e->map.nparams; i++)
			if (streq(e->map.params[i], name))
				return true;
		scope = v->scope[scope];
	}
	return false;
}

/* The symbols of one item (a subset, a shape, loop bounds): each unknown
 * name is reported once per item. */
typedef struct SymCheck {
	V *v;
	SrcLoc loc;
	const char *what;           /* "subset of memlet 3" */
	int scope;                  /* map entry the item lies in, or -1 */
	VEC(const char *) reported;
} SymCheck;

static SymCheck
sym_check(V *v, SrcLoc loc, const char *what, int scope)
{
	return (SymCheck){ .v = v, .loc = loc, .what = what, .scope = scope };
}

static void
sym_var_cb(const char *name, void *ud)
{
	SymCheck *c = ud;
	for (int i = 0; i < c->reported.len; i++)
		if (streq(c->reported.data[i], name))
			return;
	if (in_scope(c->v, name, c->scope))
		return;
	fail(c->v, c->loc, "unknown symbol '%s' in %s", name, c->what);
	vec_push(c->v->tmp, &c->reported, name);
}

static void
check_sym(SymCheck *c, const Sym *s)
{
	if (!s)
		fail(c->v, c->loc, "missing symbolic expression in %s", c->what);
	else
		sym_foreach_var(s, sym_var_cb, c);
}

static void
check_range(SymCheck *c, const SymRange *r)
{
	check_sym(c, r->begin);
	check_sym(c, r->end);
	check_sym(c, r->step);
	int64_t step;
	if (r->step && sym_is_const(r->step, &step) && step <= 0)
		fail(c->v, c->loc, "step %lld in %s is not positive", (long long)step, c->what);
}

/* ---- expressions ---- */

typedef struct ExprCtx {
	const IrNode *tasklet;  /* NULL: a control-flow condition */
	int scope;              /* map entry around the tasklet, or -1 */
	SrcLoc loc;
	const char *where;      /* "tasklet 3", "condition of 'if_L9'" */
} ExprCtx;

static const IrConn *
find_in_conn(const IrNode *t, const char *name)
{
	for (int i = 0; t->tasklet.in && i < t->tasklet.nin; i++)
		if (streq(t->tasklet.in[i].name, name))
			return &t->tasklet.in[i];
	return NULL;
}

static void
check_in(V *v, const IrExpr *e, const ExprCtx *c)
{
	if (c->tasklet) {
		const IrConn *in = find_in_conn(c->tasklet, e->name);
		if (!in)
			fail(v, c->loc, "%s reads '%s', which is not one of its input connectors",
			     c->where, str(e->name));
		else if ((unsigned)in->dtype < DT_COUNT && in->dtype != e->dtype)
			fail(v, c->loc, "%s reads connector '%s' as %s but it is %s", c->where,
			     e->name, dtype_name(e->dtype), dtype_name(in->dtype));
		return;
	}
	const IrContainer *ct = find_container(v, e->name);
	if (!ct || ct->ndim != 0)
		fail(v, c->loc, "%s reads '%s', which is not a scalar container", c->where,
		     str(e->name));
	else if ((unsigned)ct->dtype < DT_COUNT && ct->dtype != e->dtype)
		fail(v, c->loc, "%s reads '%s' as %s but it is %s", c->where, e->name,
		     dtype_name(e->dtype), dtype_name(ct->dtype));
}

static bool check_expr(V *v, const IrExpr *e, const ExprCtx *c, int depth);

/* The memlet entering tasklet t on connector conn, or NULL. */
static const IrMemlet *
in_memlet(V *v, const IrNode *t, const char *conn)
{
	for (int i = 0; i < v->s->memlets.len; i++) {
		const IrMemlet *m = &v->s->memlets.data[i];
		if (m->data && m->dst == t->id && streq(m->dst_conn, conn))
			return m;
	}
	return NULL;
}

/* Integer index expressions idx[0..n) of a load or an indexed output. */
static void
check_indices(V *v, int n, IrExpr *const *idx, const ExprCtx *c, int depth, const char *what)
{
	for (int i = 0; i < n; i++) {
		if (!check_expr(v, idx[i], c, depth + 1))
			continue;
		if (!dtype_is_int(idx[i]->dtype))
			fail(v, c->loc, "index %d of %s in %s is %s, expected an integer dtype",
			     i, what, c->where, dtype_name(idx[i]->dtype));
	}
}

/* EX_LOAD: a tasklet's input connector whose memlet has one dimension per
 * index and the connector's dtype. */
static void
check_load(V *v, const IrExpr *e, const ExprCtx *c, int depth)
{
	const char *what = arena_printf(v->tmp, "load of '%s'", str(e->name));
	if (!c->tasklet) {
		fail(v, c->loc, "%s in %s: loads are only allowed in tasklets", what, c->where);
		return;
	}
	if (e->n < 1 || !e->args) {
		fail(v, c->loc, "%s in %s has no index", what, c->where);
		return;
	}
	check_in(v, e, c);
	check_indices(v, e->n, e->args, c, depth, what);
	const IrMemlet *m = in_memlet(v, c->tasklet, e->name);
	if (!m)
		return;
	if (m->subset.ndim != e->n)
		fail(v, c->loc, "%s in %s has %d indices but its memlet subset has %d "
		     "dimensions", what, c->where, e->n, m->subset.ndim);
	const IrContainer *ct = find_container(v, m->data);
	if (ct && ct->dtype != e->dtype)
		fail(v, c->loc, "%s in %s reads %s container '%s' as %s (loads do not convert)",
		     what, c->where, dtype_name(ct->dtype), ct->name, dtype_name(e->dtype));
}

/* Operands of an EX_OP or EX_CAST; true when all are well-formed. */
static bool
check_args(V *v, const IrExpr *e, int want, const ExprCtx *c, int depth)
{
	if (e->n != want || !e->args) {
		fail(v, c->loc, "'%s' in %s has %d operands, expected %d",
		     e->kind == EX_OP ? ir_op_name(e->op) : "cast", c->where, e->n, want);
		return false;
	}
	bool ok = true;
	for (int i = 0; i < e->n; i++)
		ok &= check_expr(v, e->args[i], c, depth + 1);
	return ok;
}

static bool
check_op(V *v, const IrExpr *e, const ExprCtx *c, int depth)
{
	if ((unsigned)e->op >= OP_COUNT) {
		fail(v, c->loc, "invalid operator %d in %s", (int)e->op, c->where);
		return false;
	}
	if (!check_args(v, e, ir_op_arity(e->op), c, depth))
		return false;
	DType argt[3];
	for (int i = 0; i < e->n; i++)
		argt[i] = e->args[i]->dtype;
	if (e->op == OP_COMPLEX && (dtype_is_complex(argt[0]) || dtype_is_complex(argt[1]))) {
		fail(v, c->loc, "'complex' in %s has a %s operand (its parts must be real)",
		     c->where, dtype_name(dtype_is_complex(argt[0]) ? argt[0] : argt[1]));
		return false;
	}
	if (e->op == OP_FITS && (!dtype_is_int(argt[0]) || e->args[1]->kind != EX_CONST ||
				 e->args[2]->kind != EX_CONST || !dtype_is_int(argt[1]) ||
				 !dtype_is_int(argt[2]))) {
		fail(v, c->loc, "'fits' in %s needs an integer operand and two integer constants",
		     c->where);
		return false;
	}
	DType t = ir_op_result_dtype(e->op, e->n, argt);
	if (t != e->dtype) {
		fail(v, c->loc, "'%s' in %s has dtype %s, expected %s", ir_op_name(e->op),
		     c->where, dtype_name(e->dtype), dtype_name(t));
		return false;
	}
	return true;
}

/* Checks e and its operands; true when its dtype can be trusted. */
static bool
check_expr(V *v, const IrExpr *e, const ExprCtx *c, int depth)
{
	if (depth > MAX_NEST) {
		fail(v, c->loc, "expression in %s nested too deeply", c->where);
		return false;
	}
	if (!e) {
		fail(v, c->loc, "missing expression in %s", c->where);
		return false;
	}
	if ((unsigned)e->dtype >= DT_COUNT) {
		fail(v, c->loc, "invalid dtype %d in %s", (int)e->dtype, c->where);
		return false;
	}
	switch (e->kind) {
	case EX_CONST:
		return true;
	case EX_IN:
		check_in(v, e, c);
		return true;
	case EX_SYM:
		if (!in_scope(v, e->name, c->scope))
			fail(v, c->loc, "unknown symbol '%s' in %s", str(e->name), c->where);
		return true;
	case EX_OP:
		return check_op(v, e, c, depth);
	case EX_CAST:
		return check_args(v, e, 1, c, depth);
	case EX_LOAD:
		check_load(v, e, c, depth);
		return true;
	}
	fail(v, c->loc, "invalid expression kind %d in %s", (int)e->kind, c->where);
	return false;
}

/* ---- nodes ---- */

static const char *
node_desc(V *v, int id)
{
	if (id < 0 || id >= v->s->nodes.len)
		return arena_printf(v->tmp, "node %d", id);
	const IrNode *n = &v->s->nodes.data[id];
	switch (n->kind) {
	case IRN_ACCESS:
		return arena_printf(v->tmp, "access node %d ('%s')", id, str(n->access.data));
	case IRN_TASKLET:
		return arena_printf(v->tmp, "tasklet %d", id);
	case IRN_MAP_ENTRY:
		return n->label ? arena_printf(v->tmp, "map entry '%s'", n->label) :
			arena_printf(v->tmp, "map entry %d", id);
	case IRN_MAP_EXIT:
		return arena_printf(v->tmp, "map exit %d", id);
	case IRN_LIBRARY:
		return arena_printf(v->tmp, "library node %d (%s)", id,
				    (unsigned)n->lib.op < LIB_COUNT ? ir_libop_name(n->lib.op) : "?");
	case IRN_COUNT:
		break;
	}
	return arena_printf(v->tmp, "node %d", id);
}

/* Number of memlets into (dir 0) or out of (dir 1) node id on conn. */
static int
count_conn(V *v, int id, int dir, const char *conn)
{
	int k = 0;
	for (int i = 0; i < v->s->memlets.len; i++) {
		const IrMemlet *m = &v->s->memlets.data[i];
		if (dir == 0 ? m->dst == id && streq(m->dst_conn, conn) :
		    m->src == id && streq(m->src_conn, conn))
			k++;
	}
	return k;
}

static bool
has_name(int n, const char *const *names, const char *name)
{
	for (int i = 0; i < n; i++)
		if (streq(names[i], name))
			return true;
	return false;
}

/* A node with fixed connectors (tasklet, library): each of ins[0..nin)
 * receives exactly one memlet, out sends at least one, and no non-empty
 * memlet uses another connector. */
static void
check_fixed_conns(V *v, const IrNode *n, const char *desc, int nin,
		  const char *const *ins, const char *out)
{
	for (int i = 0; i < nin; i++) {
		int k = count_conn(v, n->id, 0, ins[i]);
		if (k != 1)
			fail(v, n->loc, "input connector '%s' of %s has %d incoming memlets, "
			     "expected 1", ins[i], desc, k);
	}
	if (out && count_conn(v, n->id, 1, out) == 0)
		fail(v, n->loc, "output connector '%s' of %s has no outgoing memlet", out, desc);
	for (int i = 0; i < v->s->memlets.len; i++) {
		const IrMemlet *m = &v->s->memlets.data[i];
		if (m->data && m->dst == n->id && !has_name(nin, ins, m->dst_conn))
			fail(v, m->loc, "memlet %d enters %s on unknown connector '%s'", i, desc,
			     str(m->dst_conn));
		if (m->data && m->src == n->id && !streq(m->src_conn, out))
			fail(v, m->loc, "memlet %d leaves %s on unknown connector '%s'", i, desc,
			     str(m->src_conn));
	}
}

/* Does e read connector name as an EX_IN leaf? */
static bool
reads_in(const IrExpr *e, const char *name)
{
	if (!e)
		return false;
	if (e->kind == EX_IN && streq(e->name, name))
		return true;
	for (int i = 0; i < e->n && e->args; i++)
		if (reads_in(e->args[i], name))
			return true;
	return false;
}

/* An indexed output: one integer index per dimension of every memlet the
 * tasklet writes. */
static void
check_out_index(V *v, const IrNode *n, const ExprCtx *c)
{
	int k = n->tasklet.nout_index;
	if (k == 0)
		return;
	if (k < 0 || !n->tasklet.out_index) {
		fail(v, n->loc, "%s has a malformed output index", c->where);
		return;
	}
	check_indices(v, k, n->tasklet.out_index, c, 0, "the output index");
	for (int i = 0; i < v->s->memlets.len; i++) {
		const IrMemlet *m = &v->s->memlets.data[i];
		if (m->data && m->src == n->id && m->subset.ndim != k)
			fail(v, m->loc, "memlet %d leaves %s, whose output has %d indices, with a "
			     "subset of %d dimensions", i, c->where, k, m->subset.ndim);
	}
}

static void
check_tasklet(V *v, const IrNode *n)
{
	const char *desc = node_desc(v, n->id);
	int nin = n->tasklet.nin;
	if (nin < 0 || (nin > 0 && !n->tasklet.in)) {
		fail(v, n->loc, "%s has a malformed input connector list", desc);
		return;
	}
	const char **ins = arena_alloc(v->tmp, sizeof(char *) * (size_t)(nin + 1));
	const char *of = arena_printf(v->tmp, " of %s", desc);
	for (int i = 0; i < nin; i++) {
		const IrConn *c = &n->tasklet.in[i];
		if (!check_ident(v, n->loc, "connector", c->name, of))
			continue;
		if (has_name(i, ins, c->name))
			fail(v, n->loc, "duplicate input connector '%s' of %s", c->name, desc);
		if ((unsigned)c->dtype >= DT_COUNT)
			fail(v, n->loc, "connector '%s' of %s has an invalid dtype", c->name, desc);
		ins[i] = c->name;
	}
	const IrConn *o = &n->tasklet.out;
	if (check_ident(v, n->loc, "connector", o->name, of) && (unsigned)o->dtype >= DT_COUNT)
		fail(v, n->loc, "connector '%s' of %s has an invalid dtype", o->name, desc);
	check_fixed_conns(v, n, desc, nin, ins, o->name);
	ExprCtx c = { n, v->scope ? v->scope[n->id] : -1, n->loc, desc };
	check_expr(v, n->tasklet.expr, &c, 0);
	for (int i = 0; i < nin; i++)
		if (ins[i] && ir_expr_loads(n->tasklet.expr, ins[i]) && reads_in(n->tasklet.expr, ins[i]))
			fail(v, n->loc, "connector '%s' of %s is both loaded from (a range) and "
			     "read as one element", ins[i], desc);
	check_out_index(v, n, &c);
}

/* The matching IN_x/OUT_x connector name of conn on a map entry or exit,
 * or NULL if conn does not have the form `prefix`x. */
static const char *
scope_partner(V *v, const char *conn, const char *prefix, const char *other)
{
	size_t k = strlen(prefix);
	if (!conn || strncmp(conn, prefix, k) != 0 || conn[k] == '\0')
		return NULL;
	return arena_printf(v->tmp, "%s%s", other, conn + k);
}

/* Non-empty memlets into a map entry/exit use "IN_x" (exactly one per
 * connector) with a matching "OUT_x" leaving, and vice versa. */
static void
check_scope_conns(V *v, int id, const char *desc)
{
	for (int i = 0; i < v->s->memlets.len; i++) {
		const IrMemlet *m = &v->s->memlets.data[i];
		if (!m->data || (m->dst != id && m->src != id) || m->src == m->dst)
			continue;
		bool in = m->dst == id;
		const char *conn = in ? m->dst_conn : m->src_conn;
		const char *partner = in ? scope_partner(v, conn, "IN_", "OUT_") :
			scope_partner(v, conn, "OUT_", "IN_");
		if (!partner)
			fail(v, m->loc, "memlet %d %s %s on connector '%s', expected '%s<name>'",
			     i, in ? "enters" : "leaves", desc, str(conn), in ? "IN_" : "OUT_");
		else if (count_conn(v, id, in ? 1 : 0, partner) == 0)
			fail(v, m->loc, "connector '%s' of %s has no matching '%s'", conn, desc,
			     partner);
		else if (in && count_conn(v, id, 0, conn) > 1)
			fail(v, m->loc, "connector '%s' of %s has %d incoming memlets", conn, desc,
			     count_conn(v, id, 0, conn));
	}
}

/* Does map entry id pair up with a map exit that points back at it? */
static bool
paired(const V *v, int id)
{
	const IrNode *n = &v->s->nodes.data[id];
	int x = n->map.exit;
	return x >= 0 && x < v->s->nodes.len && v->s->nodes.data[x].kind == IRN_MAP_EXIT &&
		v->s->nodes.data[x].mapexit.entry == id;
}

static void
check_map_entry(V *v, const IrNode *n)
{
	const char *desc = node_desc(v, n->id);
	int nparams = n->map.nparams;
	if (nparams < 1 || !n->map.params || !n->map.ranges) {
		fail(v, n->loc, "%s has no parameters", desc);
		nparams = 0;
	}
	SymCheck sc = sym_check(v, n->loc, arena_printf(v->tmp, "range of %s", desc),
				v->scope ? v->scope[n->id] : -1);
	const char *of = arena_printf(v->tmp, " of %s", desc);
	for (int i = 0; i < nparams; i++) {
		check_ident(v, n->loc, "parameter", n->map.params[i], of);
		for (int j = 0; j < i; j++)
			if (streq(n->map.params[i], n->map.params[j]))
				fail(v, n->loc, "duplicate parameter '%s' of %s", n->map.params[i], desc);
		check_range(&sc, &n->map.ranges[i]);
	}
	if ((unsigned)n->map.schedule >= SCHED_COUNT)
		fail(v, n->loc, "%s has an invalid schedule", desc);
	if (n->map.unroll > 1 && nparams < 2)
		fail(v, n->loc, "%s is unrolled (unroll %d) but has %d parameter%s: unroll-and-jam "
		     "needs an inner loop", desc, n->map.unroll, nparams, nparams == 1 ? "" : "s");
	if (!paired(v, n->id))
		fail(v, n->loc, "%s and its exit (node %d) do not point at each other", desc,
		     n->map.exit);
	check_scope_conns(v, n->id, desc);
}

/* The memlet on connector conn of node id (dir 0: entering, 1: leaving),
 * or NULL. */
static const IrMemlet *
conn_memlet(V *v, int id, int dir, const char *conn)
{
	for (int i = 0; i < v->s->memlets.len; i++) {
		const IrMemlet *m = &v->s->memlets.data[i];
		if (m->data && (dir ? m->src : m->dst) == id &&
		    streq(dir ? m->src_conn : m->dst_conn, conn))
			return m;
	}
	return NULL;
}

/* A matmul's scale factor (_alpha, _beta): one element of the output's
 * dtype, float32 or float64 (an operand scale: of the operand's, `whose`). */
static void
check_matmul_scale(V *v, const IrNode *n, const char *desc, const char *conn, DType t,
		   const char *whose)
{
	const IrMemlet *m = conn_memlet(v, n->id, 0, conn);
	const IrContainer *c = m ? find_container(v, m->data) : NULL;
	if (!c)
		return;
	int64_t vol;
	if (c->dtype != t || (t != DT_FLOAT32 && t != DT_FLOAT64))
		fail(v, m->loc, "'%s' of %s is %s; it must be %s dtype, float32 or float64",
		     conn, desc, dtype_name(c->dtype), whose);
	if (!sym_is_const(subset_volume(v->tmp, &m->subset), &vol) || vol != 1)
		fail(v, m->loc, "'%s' of %s must read one element", conn, desc);
}

/* The operand scale factors of a matmul (ir_matmul_operand_scale): at
 * most one per operand, one element of that operand's dtype (float32 or
 * float64). */
static void
check_operand_scales(V *v, const IrNode *n, const char *desc)
{
	static const char *const ops[2] = { "_a", "_b" }, *const mul[2] = { "_scale_a", "_scale_b" },
			  *const dv[2] = { "_div_a", "_div_b" };
	for (int k = 0; k < 2; k++) {
		const IrMemlet *op = conn_memlet(v, n->id, 0, ops[k]);
		const IrContainer *c = op ? find_container(v, op->data) : NULL;
		if (conn_memlet(v, n->id, 0, mul[k]) && conn_memlet(v, n->id, 0, dv[k]))
			fail(v, n->loc, "%s has both '%s' and '%s'", desc, mul[k], dv[k]);
		if (!c)
			continue;
		check_matmul_scale(v, n, desc, mul[k], c->dtype, "its operand's");
		check_matmul_scale(v, n, desc, dv[k], c->dtype, "its operand's");
	}
}

/* The optional inputs of a matmul (ir_matmul_input): _beta comes with
 * _cin, which reads the output's container and subset, written with WCR
 * none; the scale factors are single elements. */
static void
check_matmul_extras(V *v, const IrNode *n, const char *desc)
{
	const IrMemlet *c = conn_memlet(v, n->id, 1, "_c");
	const IrMemlet *cin = conn_memlet(v, n->id, 0, "_cin");
	bool beta = conn_memlet(v, n->id, 0, "_beta") != NULL;
	if (beta != (cin != NULL))
		fail(v, n->loc, "%s has %s without %s", desc, beta ? "_beta" : "_cin",
		     beta ? "_cin" : "_beta");
	if (cin && c && (!streq(cin->data, c->data) ||
			 strcmp(subset_print(v->tmp, &cin->subset),
				subset_print(v->tmp, &c->subset)) != 0 || c->wcr != WCR_NONE))
		fail(v, cin->loc, "'_cin' of %s must read exactly what '_c' overwrites "
		     "(same container and subset, WCR none)", desc);
	const IrContainer *out = c ? find_container(v, c->data) : NULL;
	if (!out)
		return;
	check_matmul_scale(v, n, desc, "_alpha", out->dtype, "the output's");
	check_matmul_scale(v, n, desc, "_beta", out->dtype, "the output's");
	check_operand_scales(v, n, desc);
}

/* The scale factors of output `out` ("_y" or "_z") of a matvec_pair:
 * _alpha_<o> and _beta_<o> single elements of the output's dtype (float32
 * or float64), _beta_<o> with _<o>in, which reads exactly what the output
 * overwrites (WCR none), as a matmul's _beta and _cin. */
static void
check_pair_scales(V *v, const IrNode *n, const char *desc, const char *out)
{
	const char *alpha = arena_printf(v->tmp, "_alpha%s", out);
	const char *beta = arena_printf(v->tmp, "_beta%s", out);
	const char *in = arena_printf(v->tmp, "%sin", out);
	const IrMemlet *o = conn_memlet(v, n->id, 1, out), *cin = conn_memlet(v, n->id, 0, in);
	bool b = conn_memlet(v, n->id, 0, beta) != NULL;
	if (b != (cin != NULL))
		fail(v, n->loc, "%s has %s without %s", desc, b ? beta : in, b ? in : beta);
	if (cin && o && (!streq(cin->data, o->data) ||
			 strcmp(subset_print(v->tmp, &cin->subset),
				subset_print(v->tmp, &o->subset)) != 0 || o->wcr != WCR_NONE))
		fail(v, cin->loc, "'%s' of %s must read exactly what '%s' overwrites (same "
		     "container and subset, WCR none)", in, desc, out);
	if (o && o->wcr != WCR_NONE && o->wcr != WCR_SUM)
		fail(v, o->loc, "'%s' of %s has WCR %s; it overwrites or accumulates (sum)", out,
		     desc, ir_wcr_name(o->wcr));
	const IrContainer *c = o ? find_container(v, o->data) : NULL;
	if (!c)
		return;
	check_matmul_scale(v, n, desc, alpha, c->dtype, "the output's");
	check_matmul_scale(v, n, desc, beta, c->dtype, "the output's");
}

/* A matvec_pair node: inputs _a, _x and optionally _w and the scale
 * factors of its outputs, at most one memlet each; exactly one memlet on
 * each of its outputs _y and _z; no other connector, no transposed
 * operand (A is read as stored). */
static void
check_matvec_pair(V *v, const IrNode *n, const char *desc)
{
	static const char *const ins[9] = { "_a", "_x", "_w", "_alpha_y", "_beta_y", "_yin",
					    "_alpha_z", "_beta_z", "_zin" };
	static const char *const outs[2] = { "_y", "_z" };
	for (int i = 0; i < v->s->memlets.len; i++) {
		const IrMemlet *m = &v->s->memlets.data[i];
		if (m->data && m->dst == n->id && !has_name(9, ins, m->dst_conn))
			fail(v, m->loc, "memlet %d enters %s on unknown connector '%s'", i, desc,
			     str(m->dst_conn));
		if (m->data && m->src == n->id && !has_name(2, outs, m->src_conn))
			fail(v, m->loc, "memlet %d leaves %s on unknown connector '%s'", i, desc,
			     str(m->src_conn));
	}
	for (int k = 0; k < 11; k++) {
		const char *conn = k < 9 ? ins[k] : outs[k - 9];
		int c = count_conn(v, n->id, k < 9 ? 0 : 1, conn);
		if (c != 1 && !(k >= 2 && k < 9 && c == 0))
			fail(v, n->loc, "connector '%s' of %s has %d memlets, expected 1", conn,
			     desc, c);
	}
	if (n->lib.trans[0] || n->lib.trans[1])
		fail(v, n->loc, "%s reads no operand transposed", desc);
	for (int k = 0; k < 2; k++)
		check_pair_scales(v, n, desc, outs[k]);
}

/* Can subset dimensions rx and ry have the same number of elements? */
static bool
extents_may_agree(V *v, const SymRange *rx, const SymRange *ry)
{
	if (!rx->begin || !rx->end || !rx->step || !ry->begin || !ry->end || !ry->step)
		return true;   /* a malformed range, reported by check_subset */
	return sym_eq(range_extent(v->tmp, rx), range_extent(v->tmp, ry)) != T_FALSE;
}

/* A scan: _x in, exactly one _y out (WCR none), one rank, extents that
 * may agree, axis within the rank, combine sum or prod; _x and _y of one
 * container only in place (equal subsets). */
static void
check_scan(V *v, const IrNode *n, const char *desc)
{
	static const char *const ins[1] = { "_x" };
	check_fixed_conns(v, n, desc, 1, ins, "_y");
	if (count_conn(v, n->id, 1, "_y") > 1)
		fail(v, n->loc, "output connector '_y' of %s has %d outgoing memlets, expected 1",
		     desc, count_conn(v, n->id, 1, "_y"));
	if (n->lib.combine != WCR_SUM && n->lib.combine != WCR_PROD)
		fail(v, n->loc, "%s combines with '%s'; a scan takes sum or prod", desc,
		     (unsigned)n->lib.combine < WCR_COUNT ? ir_wcr_name(n->lib.combine) : "?");
	if (n->lib.trans[0] || n->lib.trans[1])
		fail(v, n->loc, "%s reads no operand transposed", desc);
	const IrMemlet *x = conn_memlet(v, n->id, 0, "_x"), *y = conn_memlet(v, n->id, 1, "_y");
	if (!x || !y)
		return;
	if (y->wcr != WCR_NONE)
		fail(v, y->loc, "'_y' of %s has WCR %s; a scan overwrites its output", desc,
		     (unsigned)y->wcr < WCR_COUNT ? ir_wcr_name(y->wcr) : "?");
	if (x->subset.ndim != y->subset.ndim) {
		fail(v, n->loc, "'_x' and '_y' of %s have %d and %d dimensions", desc,
		     x->subset.ndim, y->subset.ndim);
		return;
	}
	if (n->lib.axis < 0 || n->lib.axis >= y->subset.ndim)
		fail(v, n->loc, "%s runs along axis %d of a %d-dimensional subset", desc,
		     n->lib.axis, y->subset.ndim);
	for (int d = 0; x->subset.r && y->subset.r && d < y->subset.ndim; d++)
		if (!extents_may_agree(v, &x->subset.r[d], &y->subset.r[d]))
			fail(v, n->loc, "'_x' and '_y' of %s differ in extent along dimension %d",
			     desc, d);
	if (streq(x->data, y->data) && (y->subset.ndim == 0 || (x->subset.r && y->subset.r)) &&
	    !subset_equal(&x->subset, &y->subset))
		fail(v, n->loc, "%s reads and writes '%s' at different subsets; in place, "
		     "'_x' and '_y' must be equal", desc, str(x->data));
}

static void
check_library(V *v, const IrNode *n)
{
	static const char *const extras[] = { "_alpha", "_beta", "_cin", "_scale_a", "_scale_b",
					      "_div_a", "_div_b" };
	const char *ins[9] = { "_a", "_b" };
	const char *desc = node_desc(v, n->id);
	if ((unsigned)n->lib.op >= LIB_COUNT) {
		fail(v, n->loc, "%s has an invalid operation", desc);
		return;
	}
	if (!n->lib.impl)
		fail(v, n->loc, "%s has no implementation name", desc);
	if (n->lib.op == LIB_SCAN) {
		check_scan(v, n, desc);
		return;
	}
	if (n->lib.axis != 0 || n->lib.combine != WCR_NONE)
		fail(v, n->loc, "%s has an axis or a combining operation, which only a scan "
		     "takes", desc);
	if (n->lib.op == LIB_MATVEC_PAIR) {
		check_matvec_pair(v, n, desc);
		return;
	}
	int nin = 2;
	for (int i = 0; i < 7; i++)
		if (count_conn(v, n->id, 0, extras[i]) > 0)
			ins[nin++] = extras[i];
	check_fixed_conns(v, n, desc, nin, ins, "_c");
	check_matmul_extras(v, n, desc);
}

static void
check_node(V *v, const IrNode *n, int id)
{
	if (n->id != id) {
		fail(v, n->loc, "node %d has id %d", id, n->id);
		return;
	}
	switch (n->kind) {
	case IRN_ACCESS:
		if (!find_container(v, n->access.data))
			fail(v, n->loc, "access node %d names unknown container '%s'", id,
			     str(n->access.data));
		return;
	case IRN_TASKLET:
		check_tasklet(v, n);
		return;
	case IRN_MAP_ENTRY:
		check_map_entry(v, n);
		return;
	case IRN_MAP_EXIT:
		if (!is_map_entry(v, n->mapexit.entry) ||
		    v->s->nodes.data[n->mapexit.entry].map.exit != id)
			fail(v, n->loc, "%s and its entry (node %d) do not point at each other",
			     node_desc(v, id), n->mapexit.entry);
		check_scope_conns(v, id, node_desc(v, id));
		return;
	case IRN_LIBRARY:
		check_library(v, n);
		return;
	case IRN_COUNT:
		break;
	}
	fail(v, n->loc, "node %d has invalid kind %d", id, (int)n->kind);
}

/* ---- memlets and scopes ---- */

/* The innermost map entry a memlet lies in: inner memlets of an entry or
 * exit belong to that map, others to the scope of their source. */
static int
memlet_scope(V *v, const IrMemlet *m)
{
	const IrNode *src = &v->s->nodes.data[m->src], *dst = &v->s->nodes.data[m->dst];
	if (src->kind == IRN_MAP_ENTRY)
		return m->src;
	if (dst->kind == IRN_MAP_EXIT && is_map_entry(v, dst->mapexit.entry))
		return dst->mapexit.entry;
	return v->scope ? v->scope[m->src] : -1;
}

static void
check_subset(V *v, const IrMemlet *m, int i, const IrContainer *c)
{
	if (m->subset.ndim != c->ndim) {
		fail(v, m->loc, "subset of memlet %d has %d dimensions but container '%s' has %d",
		     i, m->subset.ndim, str(c->name), c->ndim);
		return;
	}
	if (c->ndim > 0 && !m->subset.r) {
		fail(v, m->loc, "memlet %d has no subset ranges", i);
		return;
	}
	SymCheck sc = sym_check(v, m->loc, arena_printf(v->tmp, "subset of memlet %d", i),
				memlet_scope(v, m));
	for (int d = 0; d < c->ndim; d++)
		check_range(&sc, &m->subset.r[d]);
}

static void
check_memlet(V *v, const IrMemlet *m, int i)
{
	int n = v->s->nodes.len;
	if (m->id != i)
		fail(v, m->loc, "memlet %d has id %d", i, m->id);
	if (m->src < 0 || m->src >= n || m->dst < 0 || m->dst >= n) {
		fail(v, m->loc, "memlet %d joins missing nodes %d -> %d", i, m->src, m->dst);
		return;
	}
	if ((unsigned)m->wcr >= WCR_COUNT)
		fail(v, m->loc, "memlet %d has an invalid write-conflict resolution", i);
	if (!m->data)
		return;
	const IrContainer *c = find_container(v, m->data);
	if (!c)
		fail(v, m->loc, "memlet %d names unknown container '%s'", i, m->data);
	else if (c->ndim >= 0)
		check_subset(v, m, i, c);
}

/* Scope rules for paired entry e: its exit is reachable, no memlet enters
 * its scope except through it, and every map inside nests entirely. */
static void
check_scope(V *v, int e)
{
	const IrNode *en = &v->s->nodes.data[e];
	const bool *in = v->members[e];
	int x = en->map.exit;
	bool reached = false;
	for (int i = 0; i < v->s->memlets.len; i++) {
		const IrMemlet *m = &v->s->memlets.data[i];
		if (m->src < 0 || m->src >= v->s->nodes.len || m->dst < 0 || m->dst >= v->s->nodes.len)
			continue;
		bool from_inside = in[m->src] || m->src == e;
		reached |= m->dst == x && from_inside;
		if ((in[m->dst] || m->dst == x) && !from_inside)
			fail(v, m->loc, "memlet %d enters the scope of %s without passing its entry",
			     i, node_desc(v, e));
	}
	if (!reached)
		fail(v, en->loc, "the exit of %s is not reachable from its entry", node_desc(v, e));
	for (int f = 0; f < v->s->nodes.len; f++) {
		if (!in[f] || !v->members[f])
			continue;
		bool nested = in[v->s->nodes.data[f].map.exit];
		for (int k = 0; nested && k < v->s->nodes.len; k++)
			nested = !v->members[f][k] || in[k];
		if (!nested)
			fail(v, v->s->nodes.data[f].loc, "the scope of %s is not nested in %s",
			     node_desc(v, f), node_desc(v, e));
	}
}

/* An access node of a transient or return whose shape uses assigned
 * symbols lies where they are in scope. */
static void
check_shape_in_scope(V *v, const IrNode *n)
{
	const IrContainer *c = n->kind == IRN_ACCESS ? find_container(v, n->access.data) : NULL;
	if (!c || c->role == ROLE_ARGUMENT || !c->shape || !c->strides)
		return;
	SymCheck sc = sym_check(v, n->loc, arena_printf(v->tmp, "the shape of '%s', which this "
							"state uses,", c->name), -1);
	for (int d = 0; d < c->ndim; d++) {
		check_sym(&sc, c->shape[d]);
		check_sym(&sc, c->strides[d]);
	}
}

static void
check_state(V *v, const IrState *s)
{
	v->s = s;
	v->scope = NULL;
	bool acyclic = ir_state_is_acyclic(s);
	if (!acyclic)
		fail(v, s->loc, "the dataflow graph has a cycle");
	if (acyclic) {
		v->scope = ir_state_scopes(v->tmp, s);
		v->members = arena_alloc(v->tmp, sizeof(bool *) * (size_t)(s->nodes.len + 1));
		for (int i = 0; i < s->nodes.len; i++)
			if (is_map_entry(v, i) && paired(v, i))
				v->members[i] = ir_state_scope_members(v->tmp, s, i);
	}
	for (int i = 0; i < s->memlets.len; i++)
		check_memlet(v, &s->memlets.data[i], i);
	for (int i = 0; i < s->nodes.len; i++) {
		check_node(v, &s->nodes.data[i], i);
		check_shape_in_scope(v, &s->nodes.data[i]);
	}
	for (int i = 0; acyclic && i < s->nodes.len; i++)
		if (v->members[i])
			check_scope(v, i);
	v->s = NULL;
	v->scope = NULL;
}

/* ---- control flow ---- */

static void check_blocks(V *v, const IrBlockList *l);

static void
check_cond(V *v, const IrExpr *cond, const IrBlock *b)
{
	const char *where = arena_printf(v->tmp, "condition of '%s'", str(b->name));
	ExprCtx c = { NULL, -1, b->loc, where };
	check_expr(v, cond, &c, 0);
}

/* ir.h */
const IrBlock *
ir_loop_jump(const IrBlockList *l, bool nested)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i], *j = NULL;
		if (b->kind == CF_RETURN || (!nested && (b->kind == CF_BREAK ||
							 b->kind == CF_CONTINUE)))
			return b;
		if (b->kind == CF_FOR)
			j = ir_loop_jump(&b->loop.body, true);
		else if (b->kind == CF_WHILE)
			j = ir_loop_jump(&b->wloop.body, true);
		for (int k = 0; b->kind == CF_IF && k < b->branch.n && !j; k++)
			j = ir_loop_jump(&b->branch.bodies[k], nested);
		if (b->kind == CF_IF && !j)
			j = ir_loop_jump(&b->branch.orelse, nested);
		if (j)
			return j;
	}
	return NULL;
}

/* A parallel loop: a constant step, and no jump out of an iteration. */
static void
check_parallel_for(V *v, const IrBlock *b)
{
	int64_t step;
	const IrBlock *j = ir_loop_jump(&b->loop.body, false);
	if (b->loop.step && !sym_is_const(b->loop.step, &step))
		fail(v, b->loc, "parallel loop '%s' has a step that is not a constant",
		     str(b->name));
	if (j)
		fail(v, j->loc, "parallel loop '%s' has a %s in its body", str(b->name),
		     j->kind == CF_RETURN ? "return" : j->kind == CF_BREAK ? "break" : "continue");
}

static void
check_for(V *v, const IrBlock *b)
{
	SymCheck sc = sym_check(v, b->loc,
				arena_printf(v->tmp, "bounds of loop '%s'", str(b->name)), -1);
	int64_t step;
	check_ident(v, b->loc, "variable", b->loop.var,
		    arena_printf(v->tmp, " of loop '%s'", str(b->name)));
	check_sym(&sc, b->loop.start);
	check_sym(&sc, b->loop.stop);
	check_sym(&sc, b->loop.step);
	if (b->loop.step && sym_is_const(b->loop.step, &step) && step == 0)
		fail(v, b->loc, "step of loop '%s' is zero", str(b->name));
	if (b->loop.parallel)
		check_parallel_for(v, b);
	else if (b->loop.even)
		fail(v, b->loc, "loop '%s' is marked even but not parallel", str(b->name));
	vec_push(v->tmp, &v->names, b->loop.var);
	v->loops++;
	check_blocks(v, &b->loop.body);
	v->loops--;
	v->names.len--;
}

static void
check_if(V *v, const IrBlock *b)
{
	if (b->branch.n < 1 || !b->branch.conds || !b->branch.bodies) {
		fail(v, b->loc, "branch '%s' has no condition", str(b->name));
	} else {
		for (int i = 0; i < b->branch.n; i++) {
			check_cond(v, b->branch.conds[i], b);
			check_blocks(v, &b->branch.bodies[i]);
		}
	}
	check_blocks(v, &b->branch.orelse);
}

/* The container a CF_ASSIGN reads: an integer (or bool) scalar, and no
 * Sym value besides. */
static void
check_assign_data(V *v, const IrBlock *b)
{
	const IrContainer *c = find_container(v, b->assign.data);
	if (b->assign.value)
		fail(v, b->loc, "assignment of '%s' has both a value and a container", b->assign.sym);
	if (!c)
		fail(v, b->loc, "assignment of '%s' reads unknown container '%s'", b->assign.sym,
		     b->assign.data);
	else if (c->ndim != 0 || !(dtype_is_int(c->dtype) || c->dtype == DT_BOOL))
		fail(v, b->loc, "assignment of '%s' reads '%s', which is not an integer scalar",
		     b->assign.sym, b->assign.data);
}

/* A CF_ASSIGN: a fresh identifier (no container, symbol or symbol in
 * scope has its name), assigned once per program, from a value over the
 * symbols in scope; in scope for the blocks after it in its list. */
static void
check_assign(V *v, const IrBlock *b)
{
	const char *n = b->assign.sym;
	SymCheck sc = sym_check(v, b->loc,
				arena_printf(v->tmp, "value assigned to '%s'", str(n)), -1);
	if (!check_ident(v, b->loc, "assigned symbol", n, NULL))
		return;
	if (b->assign.data)
		check_assign_data(v, b);
	else
		check_sym(&sc, b->assign.value);
	bool taken = find_container(v, n) != NULL || ir_program_has_symbol(v->p, n);
	for (int i = 0; i < v->names.len && !taken; i++)
		taken = streq(v->names.data[i], n);
	if (taken)
		fail(v, b->loc, "assigned symbol '%s' is already a container or symbol", n);
	for (int i = 0; i < v->assigned.len; i++)
		if (streq(v->assigned.data[i], n))
			fail(v, b->loc, "symbol '%s' is assigned twice", n);
	vec_push(v->tmp, &v->assigned, n);
	vec_push(v->tmp, &v->names, n);
}

static void
check_block(V *v, const IrBlock *b)
{
	switch (b->kind) {
	case CF_STATE:
		if (b->state)
			check_state(v, b->state);
		else
			fail(v, b->loc, "state block '%s' has no state", str(b->name));
		return;
	case CF_FOR:
		check_for(v, b);
		return;
	case CF_WHILE:
		check_cond(v, b->wloop.cond, b);
		v->loops++;
		check_blocks(v, &b->wloop.body);
		v->loops--;
		return;
	case CF_IF:
		check_if(v, b);
		return;
	case CF_BREAK:
	case CF_CONTINUE:
		if (v->loops == 0)
			fail(v, b->loc, "'%s' outside a loop", b->kind == CF_BREAK ? "break" : "continue");
		return;
	case CF_RETURN:
		return;
	case CF_ASSIGN:
		check_assign(v, b);
		return;
	}
	fail(v, b->loc, "block '%s' has invalid kind %d", str(b->name), (int)b->kind);
}

/* The symbols a list assigns go out of scope at its end. */
static void
check_blocks(V *v, const IrBlockList *l)
{
	int scope = v->names.len;
	if (l->len > 0 && !l->data) {
		fail(v, v->p->loc, "malformed block list");
		return;
	}
	if (++v->nest > MAX_NEST) {
		fail(v, v->p->loc, "control flow nested too deeply");
	} else {
		for (int i = 0; i < l->len; i++) {
			if (l->data[i])
				check_block(v, l->data[i]);
			else
				fail(v, v->p->loc, "missing block");
		}
	}
	v->names.len = scope;
	v->nest--;
}

/* ---- programs ---- */

static void
check_symbols(V *v, const IrProgram *p)
{
	for (int i = 0; i < p->symbols.len; i++) {
		const char *s = p->symbols.data[i];
		check_ident(v, p->loc, "symbol", s, NULL);
		for (int j = 0; s && j < i; j++)
			if (streq(s, p->symbols.data[j]))
				fail(v, p->loc, "duplicate symbol '%s'", s);
	}
}

static void
check_container(V *v, const IrContainer *c, int i)
{
	const char *name = str(c->name);
	check_ident(v, c->loc, "container", c->name, NULL);
	if (c->name && ir_program_has_symbol(v->p, c->name))
		fail(v, c->loc, "container '%s' has the name of a symbol", name);
	if ((unsigned)c->dtype >= DT_COUNT || (unsigned)c->storage >= STORAGE_COUNT ||
	    (unsigned)c->role > ROLE_RETURN)
		fail(v, c->loc, "container '%s' has an invalid dtype, storage or role", name);
	if ((unsigned)c->lifetime >= LIFETIME_COUNT)
		fail(v, c->loc, "container '%s' has an invalid lifetime", name);
	else if (c->lifetime == LIFETIME_HANDLE &&
		 (c->role != ROLE_TRANSIENT || c->ndim == 0 || c->storage != STORAGE_HOST))
		fail(v, c->loc, "container '%s' has lifetime 'handle' but is not an array "
		     "transient on the host heap", name);
	if (c->ndim < 0 || (c->ndim > 0 && (!c->shape || !c->strides))) {
		fail(v, c->loc, "container '%s' has a malformed shape", name);
		return;
	}
	SymCheck sh = sym_check(v, c->loc, arena_printf(v->tmp, "shape of container '%s'",
							 name), -1);
	SymCheck st = sym_check(v, c->loc, arena_printf(v->tmp, "strides of container '%s'",
							 name), -1);
	for (int d = 0; d < c->ndim; d++) {
		check_sym(&sh, c->shape[d]);
		check_sym(&st, c->strides[d]);
	}
}

static void
check_args_returns(V *v, const IrProgram *p)
{
	for (int i = 0; i < p->args.len; i++) {
		const IrArg *a = &p->args.data[i];
		const IrContainer *c = ir_program_find_container(p, a->name);
		for (int j = 0; j < i; j++)
			if (streq(a->name, p->args.data[j].name))
				fail(v, p->loc, "duplicate argument '%s'", a->name);
		if (a->kind == ARG_DATA && !c)
			fail(v, p->loc, "argument '%s' is not a container", str(a->name));
		else if (a->kind == ARG_DATA && c->role != ROLE_ARGUMENT)
			fail(v, c->loc, "argument '%s' is a container whose role is not argument",
			     a->name);
		else if (a->kind == ARG_SYMBOL && !(a->name && ir_program_has_symbol(p, a->name)))
			fail(v, p->loc, "argument '%s' is not a symbol", str(a->name));
		else if (a->kind != ARG_DATA && a->kind != ARG_SYMBOL)
			fail(v, p->loc, "argument %d has an invalid kind", i);
	}
	for (int i = 0; i < p->assumes.len; i++) {
		SymCheck sc = sym_check(v, p->assumes.data[i].loc, "an assumption", -1);
		check_sym(&sc, p->assumes.data[i].expr);
	}
	for (int i = 0; i < p->returns.len; i++) {
		const IrContainer *c = ir_program_find_container(p, p->returns.data[i]);
		if (!c)
			fail(v, p->loc, "return value '%s' is not a container", str(p->returns.data[i]));
		else if (c->role != ROLE_RETURN)
			fail(v, c->loc, "return value '%s' is a container whose role is not return",
			     c->name);
	}
}

/* Pushes every symbol that a CF_ASSIGN of l assigns onto v->names: the
 * shapes of transients may use them (they are allocated where the
 * symbol is assigned; check_state checks their uses are in its scope). */
static void
note_assigned(V *v, const IrBlockList *l)
{
	for (int i = 0; l->data && i < l->len; i++) {
		const IrBlock *b = l->data[i];
		if (!b)
			continue;
		if (b->kind == CF_ASSIGN && b->assign.sym)
			vec_push(v->tmp, &v->names, b->assign.sym);
		else if (b->kind == CF_FOR)
			note_assigned(v, &b->loop.body);
		else if (b->kind == CF_WHILE)
			note_assigned(v, &b->wloop.body);
		else if (b->kind == CF_IF) {
			for (int k = 0; b->branch.bodies && k < b->branch.n; k++)
				note_assigned(v, &b->branch.bodies[k]);
			note_assigned(v, &b->branch.orelse);
		}
	}
}

/* Pushes onto v->names the symbols that the CF_ASSIGNs of the body's
 * top-level list assign: the shape of a return may use them (an array of
 * run-time size, allocated by the kernel once they are assigned and
 * handed to the caller), not those assigned in a loop or branch. */
static void
note_top_assigned(V *v, const IrBlockList *l)
{
	for (int i = 0; l->data && i < l->len; i++)
		if (l->data[i] && l->data[i]->kind == CF_ASSIGN && l->data[i]->assign.sym)
			vec_push(v->tmp, &v->names, l->data[i]->assign.sym);
}

static void
check_program(V *v, const IrProgram *p)
{
	v->p = p;
	v->names.len = v->assigned.len = 0;
	v->loops = v->nest = 0;
	check_ident(v, p->loc, "program", p->name, NULL);
	check_symbols(v, p);
	for (int i = 0; i < p->symbols.len; i++)
		vec_push(v->tmp, &v->names, p->symbols.data[i]);
	index_containers(v, p);
	for (int i = 0; i < p->containers.len; i++)
		if (p->containers.data[i].role != ROLE_TRANSIENT &&
		    p->containers.data[i].role != ROLE_RETURN)
			check_container(v, &p->containers.data[i], i);
	int nsyms = v->names.len;
	note_top_assigned(v, &p->body);
	for (int i = 0; i < p->containers.len; i++)
		if (p->containers.data[i].role == ROLE_RETURN)
			check_container(v, &p->containers.data[i], i);
	v->names.len = nsyms;
	note_assigned(v, &p->body);
	for (int i = 0; i < p->containers.len; i++)
		if (p->containers.data[i].role == ROLE_TRANSIENT)
			check_container(v, &p->containers.data[i], i);
	v->names.len = nsyms;
	check_args_returns(v, p);
	check_blocks(v, &p->body);
	v->p = NULL;
}

bool
ir_verify(Ctx *ctx, const IrModule *m)
{
	V v = { .ctx = ctx, .tmp = arena_new() };
	int before = ctx->nerrors;
	if (!m)
		fail(&v, (SrcLoc){ 0 }, "no module");
	for (int i = 0; m && i < m->programs.len; i++) {
		const IrProgram *p = m->programs.data[i];
		if (!p) {
			fail(&v, (SrcLoc){ 0 }, "program %d is missing", i);
			continue;
		}
		for (int j = 0; j < i; j++) {
			const IrProgram *q = m->programs.data[j];
			if (q && streq(p->name, q->name))
				fail(&v, p->loc, "duplicate program name '%s'", p->name);
		}
		check_program(&v, p);
	}
	arena_free(v.tmp);
	return ctx->nerrors == before;
}
