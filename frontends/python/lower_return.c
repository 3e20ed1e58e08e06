/* frontends/python/lower_return.c — early returns in helper functions.
 *
 * A helper is inlined where it is called, so a `return` in the middle of
 * its body cannot jump anywhere. Before lowering such a helper, its body is
 * rewritten, as Python source, into an equivalent body without returns:
 *
 *     def f(x):                      f_done = False
 *         S1                         S1
 *         if c:                      if c:
 *             return a        =>         f_result = a; f_done = True
 *         S2                         if not f_done:
 *         return b                       S2
 *                                        f_result = b; f_done = True
 *
 * Inside a loop a return also breaks out of the loop, and a loop left that
 * way breaks the loops around it (`if f_done: break`) up to the helper's
 * top level, where the statements after it run only `if not f_done`.
 * Statements after a return in the same block are never reached and are
 * dropped, as Python never runs them. The result names are fresh in the
 * helper; a tuple return `return a, b` assigns one name per item.
 */
#include <string.h>

#include "lower.h"

typedef struct Rewrite {
	Lower *L;
	PyStmt *def;
	const char *done;          /* the flag: a return has run */
	int nret;                  /* values each return gives (0: none) */
	const char **ret;          /* nret result names */
} Rewrite;

static bool
stmt_returns(const PyStmt *s)
{
	if (s->kind == PS_RETURN)
		return true;
	if (s->kind == PS_DEF)
		return false;
	for (int i = 0; i < s->body.len; i++)
		if (stmt_returns(s->body.data[i]))
			return true;
	for (int i = 0; i < s->orelse.len; i++)
		if (stmt_returns(s->orelse.data[i]))
			return true;
	return false;
}

static bool stmt_always_returns(const PyStmt *s);

/* Does every path through the list end in a return? */
static bool
list_always_returns(const PyStmtList *l)
{
	for (int i = 0; i < l->len; i++)
		if (stmt_always_returns(l->data[i]))
			return true;
	return false;
}

static bool
stmt_always_returns(const PyStmt *s)
{
	if (s->kind == PS_RETURN)
		return true;
	return s->kind == PS_IF && s->orelse.len && list_always_returns(&s->body) &&
	       list_always_returns(&s->orelse);
}

/* Calls f on every return statement of the list (not in nested defs). */
static void
foreach_return(PyStmtList *l, void (*f)(Rewrite *, PyStmt *), Rewrite *rw)
{
	for (int i = 0; i < l->len; i++) {
		PyStmt *s = l->data[i];
		if (s->kind == PS_RETURN)
			f(rw, s);
		else if (s->kind != PS_DEF) {
			foreach_return(&s->body, f, rw);
			foreach_return(&s->orelse, f, rw);
		}
	}
}

static bool
expr_uses_name(const PyExpr *e, const char *name)
{
	if (!e)
		return false;
	if ((e->kind == PE_NAME) && strcmp(e->id, name) == 0)
		return true;
	const PyExpr *kids[] = { e->lhs, e->rhs, e->cond, e->lo, e->hi, e->step };
	for (size_t i = 0; i < sizeof kids / sizeof kids[0]; i++)
		if (expr_uses_name(kids[i], name))
			return true;
	for (int i = 0; i < e->items.len; i++)
		if (expr_uses_name(e->items.data[i], name))
			return true;
	for (int i = 0; i < e->kwvalues.len; i++)
		if (expr_uses_name(e->kwvalues.data[i], name))
			return true;
	return false;
}

static bool
stmts_use_name(const PyStmtList *l, const char *name)
{
	for (int i = 0; i < l->len; i++) {
		const PyStmt *s = l->data[i];
		for (int k = 0; k < s->targets.len; k++)
			if (expr_uses_name(s->targets.data[k], name))
				return true;
		if (expr_uses_name(s->value, name) || expr_uses_name(s->target, name) ||
		    expr_uses_name(s->iter, name) || expr_uses_name(s->test, name) ||
		    stmts_use_name(&s->body, name) || stmts_use_name(&s->orelse, name))
			return true;
	}
	return false;
}

/* base, base_1, base_2...: a name neither the helper's parameters nor its
 * body use. */
static const char *
fresh_name(Rewrite *rw, const char *base)
{
	const char *name = base;
	for (int n = 1;; n++) {
		bool used = stmts_use_name(&rw->def->body, name);
		for (int i = 0; !used && i < rw->def->params.len; i++)
			used = strcmp(rw->def->params.data[i].name, name) == 0;
		if (!used)
			return name;
		name = arena_printf(rw->L->a, "%s_%d", base, n);
	}
}

/* ---- building statements ---- */

static PyExpr *
mk_expr(Rewrite *rw, PyExprKind k, SrcLoc loc)
{
	PyExpr *e = arena_alloc(rw->L->a, sizeof(*e));
	e->kind = k;
	e->loc = loc;
	e->height = 1;
	return e;
}

static PyExpr *
mk_name(Rewrite *rw, const char *id, SrcLoc loc)
{
	PyExpr *e = mk_expr(rw, PE_NAME, loc);
	e->id = id;
	return e;
}

static PyExpr *
mk_bool(Rewrite *rw, bool v, SrcLoc loc)
{
	PyExpr *e = mk_expr(rw, PE_BOOL, loc);
	e->ival = v;
	return e;
}

static PyStmt *
mk_stmt(Rewrite *rw, PyStmtKind k, SrcLoc loc)
{
	PyStmt *s = arena_alloc(rw->L->a, sizeof(*s));
	s->kind = k;
	s->loc = loc;
	return s;
}

static PyStmt *
mk_assign(Rewrite *rw, PyExpr *target, PyExpr *value, SrcLoc loc)
{
	PyStmt *s = mk_stmt(rw, PS_ASSIGN, loc);
	vec_push(rw->L->a, &s->targets, target);
	s->value = value;
	return s;
}

/* if [not] done: body */
static PyStmt *
mk_if_done(Rewrite *rw, bool negate, SrcLoc loc)
{
	PyStmt *s = mk_stmt(rw, PS_IF, loc);
	PyExpr *t = mk_name(rw, rw->done, loc);
	if (negate) {
		PyExpr *n = mk_expr(rw, PE_UNARY, loc);
		n->op = "not";
		n->lhs = t;
		n->height = 2;
		t = n;
	}
	s->test = t;
	return s;
}

/* ---- the rewrite ---- */

static void
count_values(Rewrite *rw, PyStmt *s)
{
	int n = !s->value ? 0 : s->value->kind == PE_TUPLE ? s->value->items.len : 1;
	if (rw->nret < 0) {
		rw->nret = n;
		return;
	}
	if ((rw->nret == 0) != (n == 0))
		diag_fatal(rw->L->ctx, s->loc, "helper '%s' returns a value here but no value "
			   "elsewhere; dfc needs every return of a helper to give the same "
			   "number of values", rw->def->name);
	if (n != rw->nret)
		diag_fatal(rw->L->ctx, s->loc, "helper '%s' returns %d values here but %d "
			   "elsewhere; dfc needs every return of a helper to give the same "
			   "number of values", rw->def->name, n, rw->nret);
}

/* `return v` as `result = v; done = True` (+ `break` inside loops). */
static void
expand_return(Rewrite *rw, PyStmt *r, bool inloop, PyStmtList *out)
{
	Arena *a = rw->L->a;
	if (rw->nret == 1) {
		vec_push(a, out, mk_assign(rw, mk_name(rw, rw->ret[0], r->loc), r->value, r->loc));
	} else if (rw->nret > 1) {
		PyExpr *t = mk_expr(rw, PE_TUPLE, r->loc);
		for (int i = 0; i < rw->nret; i++)
			vec_push(a, &t->items, mk_name(rw, rw->ret[i], r->loc));
		t->height = 2;
		vec_push(a, out, mk_assign(rw, t, r->value, r->loc));
	}
	vec_push(a, out, mk_assign(rw, mk_name(rw, rw->done, r->loc), mk_bool(rw, true, r->loc), r->loc));
	if (inloop)
		vec_push(a, out, mk_stmt(rw, PS_BREAK, r->loc));
}

static PyStmtList rewrite_list(Rewrite *rw, PyStmtList *l, int from, bool inloop);

/* A copy of s with its blocks rewritten. */
static PyStmt *
rewrite_stmt(Rewrite *rw, PyStmt *s, bool inloop)
{
	if (!stmt_returns(s))
		return s;
	PyStmt *c = arena_alloc(rw->L->a, sizeof(*c));
	*c = *s;
	bool loop = s->kind == PS_FOR || s->kind == PS_WHILE;
	c->body = rewrite_list(rw, &s->body, 0, inloop || loop);
	c->orelse = rewrite_list(rw, &s->orelse, 0, inloop);
	return c;
}

static PyStmtList
rewrite_list(Rewrite *rw, PyStmtList *l, int from, bool inloop)
{
	Arena *a = rw->L->a;
	PyStmtList out = { 0 };
	for (int i = from; i < l->len; i++) {
		PyStmt *s = l->data[i];
		if (s->kind == PS_RETURN) {
			expand_return(rw, s, inloop, &out);
			return out;
		}
		vec_push(a, &out, rewrite_stmt(rw, s, inloop));
		if (!stmt_returns(s))
			continue;
		bool loop = s->kind == PS_FOR || s->kind == PS_WHILE;
		if (inloop) {
			/* a return inside an if already broke this loop */
			if (loop) {
				PyStmt *br = mk_if_done(rw, false, s->loc);
				vec_push(a, &br->body, mk_stmt(rw, PS_BREAK, s->loc));
				vec_push(a, &out, br);
			}
			continue;
		}
		if (i + 1 == l->len)
			break;
		PyStmt *guard = mk_if_done(rw, true, l->data[i + 1]->loc);
		guard->body = rewrite_list(rw, l, i + 1, false);
		vec_push(a, &out, guard);
		return out;
	}
	return out;
}

static void
reject_loop_else(Rewrite *rw, PyStmtList *l)
{
	for (int i = 0; i < l->len; i++) {
		PyStmt *s = l->data[i];
		if (!stmt_returns(s))
			continue;
		if ((s->kind == PS_FOR || s->kind == PS_WHILE) && s->orelse.len)
			lw_unsupported(rw->L, s->loc, "'else' clauses on loops");
		reject_loop_else(rw, &s->body);
		reject_loop_else(rw, &s->orelse);
	}
}

/* Does the helper need the rewrite: a return anywhere but as its last
 * statement? */
static bool
has_early_return(PyStmt *def)
{
	PyStmtList *b = &def->body;
	for (int i = 0; i < b->len; i++) {
		bool last = i + 1 == b->len;
		if (b->data[i]->kind == PS_RETURN ? !last : stmt_returns(b->data[i]))
			return true;
	}
	return false;
}

PyStmtList *
lw_helper_body(Lower *L, PyStmt *def, int *nret, const char ***ret)
{
	*nret = -1;
	if (!has_early_return(def))
		return &def->body;
	Rewrite rw = { .L = L, .def = def, .nret = -1 };
	foreach_return(&def->body, count_values, &rw);
	PyStmtList *b = &def->body;
	if (rw.nret > 0 && !list_always_returns(b))
		diag_fatal(L->ctx, b->data[b->len - 1]->loc, "helper '%s' returns a value on some "
			   "paths but can reach its end without one; end it with a return", def->name);
	reject_loop_else(&rw, b);
	rw.done = fresh_name(&rw, arena_printf(L->a, "%s_returned", def->name));
	rw.ret = arena_alloc(L->a, sizeof(char *) * (size_t)(rw.nret + 1));
	for (int i = 0; i < rw.nret; i++)
		rw.ret[i] = fresh_name(&rw, rw.nret == 1 ? arena_printf(L->a, "%s_result", def->name)
				       : arena_printf(L->a, "%s_result%d", def->name, i));
	PyStmtList *out = arena_alloc(L->a, sizeof(*out));
	vec_push(L->a, out, mk_assign(&rw, mk_name(&rw, rw.done, def->loc),
				      mk_bool(&rw, false, def->loc), def->loc));
	PyStmtList rest = rewrite_list(&rw, b, 0, false);
	for (int i = 0; i < rest.len; i++)
		vec_push(L->a, out, rest.data[i]);
	*nret = rw.nret;
	*ret = rw.ret;
	return out;
}
