/* frontends/python/lower_view.c — results that NumPy makes views and dfc
 * copies: refusing the uses where the two would drift apart, writing
 * through reshapes.
 *
 * NumPy returns reshapes (np.reshape, .ravel) and a few other results as
 * views of the source; dfc's value is a copy once it is kept (bound to a
 * name, passed to a helper), which is only exact while neither the copy
 * nor the source is written afterwards. `fate` finds where the call's
 * value goes in its statement, and lw_checked_view refuses, with a located
 * error, the cases where a write could make them drift apart. A reshape of
 * a C-contiguous view subscripted by an assignment's target
 * (A.reshape(-1)[k] = v) is written through: lw_reshape_target makes a
 * gather (Value.ind) from the source at the reshape's index arithmetic,
 * which the store writes through tasklet output indices.
 */
#include <string.h>

#include "lower.h"

/* ---- where a value goes: refusing reshapes that would drift ---- */

typedef enum Fate {
	FATE_CONSUMED,   /* an operand of a computation: read once, here */
	FATE_KEPT,       /* bound to a name, passed to a helper, iterated */
	FATE_WRITTEN,    /* written through (the target of an assignment) */
} Fate;

/* The expression whose direct operand is x inside root, or NULL. */
static PyExpr *
parent_in(PyExpr *root, PyExpr *x)
{
	if (!root || root == x)
		return NULL;
	PyExpr *kids[6] = { root->lhs, root->rhs, root->cond, root->lo, root->hi, root->step };
	for (int i = 0; i < 6; i++) {
		if (kids[i] == x)
			return root;
		PyExpr *p = parent_in(kids[i], x);
		if (p)
			return p;
	}
	for (int k = 0; k < 2; k++) {
		PyExprList *l = k ? &root->kwvalues : &root->items;
		for (int i = 0; i < l->len; i++) {
			if (l->data[i] == x)
				return root;
			PyExpr *p = parent_in(l->data[i], x);
			if (p)
				return p;
		}
	}
	return NULL;
}

static bool
contains(PyExpr *root, PyExpr *x)
{
	return root && (root == x || parent_in(root, x));
}

/* The statement (of any function of the module) whose expressions hold x;
 * *def is the innermost def around it. */
static PyStmt *
stmt_holding(PyStmtList *body, PyExpr *x, PyStmt **def)
{
	for (int i = 0; i < body->len; i++) {
		PyStmt *s = body->data[i];
		bool in = contains(s->value, x) || contains(s->iter, x) || contains(s->test, x);
		for (int k = 0; !in && k < s->targets.len; k++)
			in = contains(s->targets.data[k], x);
		if (in)
			return s;
		PyStmt *r = stmt_holding(&s->body, x, def);
		if (!r)
			r = stmt_holding(&s->orelse, x, def);
		if (r && s->kind == PS_DEF && !*def)
			*def = s;
		if (r)
			return r;
	}
	return NULL;
}

/* The parent of x among the expressions of statement s, or NULL. */
static PyExpr *
parent_stmt(PyStmt *s, PyExpr *x)
{
	PyExpr *p = parent_in(s->value, x);
	p = p ? p : parent_in(s->iter, x);
	p = p ? p : parent_in(s->test, x);
	for (int k = 0; !p && k < s->targets.len; k++)
		p = parent_in(s->targets.data[k], x);
	return p;
}

static bool
is_helper(Lower *L, PyExpr *f)
{
	if (f->kind != PE_NAME || lw_lookup(L, f->id))
		return false;
	for (int i = 0; i < L->helpers.len; i++)
		if (strcmp(L->helpers.data[i]->name, f->id) == 0)
			return true;
	return false;
}

bool
lw_is_np_name(Lower *L, PyExpr *e)
{
	if (e->kind != PE_NAME)
		return false;
	Binding *b = lw_lookup(L, e->id);
	return b && b->val && b->val->kind == V_MODULE;
}

/* NumPy functions and methods whose result is a view of their argument. */
static bool
view_name(const char *s)
{
	static const char *const names[] = { "reshape", "ravel", "transpose", "swapaxes",
		"diagonal", "squeeze", "expand_dims", "broadcast_to", "flip", "flipud",
		"fliplr", NULL };
	for (const char *const *n = names; *n; n++)
		if (strcmp(*n, s) == 0)
			return true;
	return false;
}

/* Where the value of `call` goes: through views (subscripts, .T, view
 * functions) up to what finally uses it in its statement. */
static Fate
fate(Lower *L, PyExpr *call, PyStmt **sp, PyStmt **def)
{
	*def = NULL;
	PyStmt *s = stmt_holding(&L->mod->body, call, def);
	*sp = s;
	if (!s)
		return FATE_KEPT;
	PyExpr *e = call;
	for (;;) {
		PyExpr *p = parent_stmt(s, e);
		if (!p)
			break;
		if (p->kind == PE_TUPLE || p->kind == PE_LIST || (p->kind == PE_SUBSCRIPT && p->lhs == e) ||
		    (p->kind == PE_ATTR && p->lhs == e && strcmp(p->id, "T") == 0)) {
			e = p;
			continue;
		}
		if (p->kind == PE_ATTR && p->lhs == e) {
			PyExpr *c = parent_stmt(s, p);
			if (c && c->kind == PE_CALL && c->lhs == p && view_name(p->id)) {
				e = c;
				continue;
			}
			return FATE_CONSUMED;
		}
		if (p->kind == PE_CALL && p->lhs != e && p->lhs->kind == PE_ATTR &&
		    lw_is_np_name(L, p->lhs->lhs) && view_name(p->lhs->id)) {
			e = p;
			continue;
		}
		return p->kind == PE_CALL && p->lhs != e && is_helper(L, p->lhs) ? FATE_KEPT
										 : FATE_CONSUMED;
	}
	for (int k = 0; k < s->targets.len; k++)
		if (s->targets.data[k] == e)
			return FATE_WRITTEN;
	switch (s->kind) {
	case PS_ASSIGN: case PS_ANNASSIGN:
		for (int k = 0; k < s->targets.len; k++)
			if (s->targets.data[k]->kind != PE_SUBSCRIPT)
				return FATE_KEPT;
		return FATE_CONSUMED;
	case PS_RETURN:
		return L->scope->is_helper ? FATE_KEPT : FATE_CONSUMED;
	case PS_FOR:
		return FATE_KEPT;
	default:
		return FATE_CONSUMED;
	}
}

/* Is name one of the PE_NAME targets of s (or of its tuple targets)? */
static bool
targets_name(PyStmt *s, const char *name)
{
	PyExpr *one = s->kind == PS_FOR ? s->target : NULL;
	for (int k = -1; k < s->targets.len; k++) {
		PyExpr *t = k < 0 ? one : s->targets.data[k];
		if (!t)
			continue;
		if (t->kind == PE_NAME && strcmp(t->id, name) == 0)
			return true;
		for (int j = 0; (t->kind == PE_TUPLE || t->kind == PE_LIST) && j < t->items.len; j++)
			if (t->items.data[j]->kind == PE_NAME && strcmp(t->items.data[j]->id, name) == 0)
				return true;
	}
	return false;
}

/* Could the value of e be a view of an existing array? */
static bool
may_alias(Lower *L, PyExpr *e)
{
	switch (e->kind) {
	case PE_NAME: case PE_SUBSCRIPT: case PE_ATTR:
		return true;
	case PE_TUPLE: case PE_LIST:
		for (int i = 0; i < e->items.len; i++)
			if (may_alias(L, e->items.data[i]))
				return true;
		return false;
	case PE_IFEXP:
		return may_alias(L, e->lhs) || may_alias(L, e->rhs);
	case PE_CALL:
		if (e->lhs->kind == PE_ATTR)
			return view_name(e->lhs->id);
		return is_helper(L, e->lhs);
	default:
		return false;
	}
}

/* Does body bind `name` to something that may be a view (an assignment
 * of such a value, or a for loop over an array)? */
static bool
binds_alias(Lower *L, PyStmtList *body, const char *name)
{
	for (int i = 0; i < body->len; i++) {
		PyStmt *s = body->data[i];
		if (targets_name(s, name)) {
			if (s->kind == PS_FOR && (s->iter->kind != PE_CALL || s->iter->lhs->kind != PE_NAME ||
						  strcmp(s->iter->lhs->id, "range") != 0))
				return true;
			if (s->kind != PS_FOR && s->value && may_alias(L, s->value))
				return true;
		}
		if (binds_alias(L, &s->body, name) || binds_alias(L, &s->orelse, name))
			return true;
	}
	return false;
}

/* The name that target t writes through (A in A[i].T[j] = ..., or in
 * A op= ... when aug), "" when that is no name, NULL when t only rebinds
 * names. */
static const char *
written_base(PyExpr *t, bool aug)
{
	bool through = aug;
	for (; t->kind == PE_SUBSCRIPT || t->kind == PE_ATTR; t = t->lhs)
		through = true;
	return !through ? NULL : t->kind == PE_NAME ? t->id : "";
}

/* Can a write of helper h through `name` reach an array h is given: is
 * name a parameter, or bound in h to something that may be a view? */
static bool
reaches_args(Lower *L, PyStmt *h, const char *name)
{
	if (!name)
		return false;
	if (!*name)
		return true;
	for (int i = 0; i < h->params.len; i++)
		if (strcmp(h->params.data[i].name, name) == 0)
			return true;
	return binds_alias(L, &h->body, name);
}

/* Does a statement of body (in helper h) write in place into an array
 * that h's caller may hold? Writes into arrays the helper made itself
 * cannot reach the caller: a helper sees nothing but its arguments. */
static bool
writes_args(Lower *L, PyStmt *h, PyStmtList *body)
{
	for (int i = 0; i < body->len; i++) {
		PyStmt *s = body->data[i];
		for (int k = 0; k < s->targets.len; k++) {
			PyExpr *t = s->targets.data[k];
			bool aug = s->kind == PS_AUGASSIGN;
			if (reaches_args(L, h, written_base(t, aug)))
				return true;
			for (int j = 0; (t->kind == PE_TUPLE || t->kind == PE_LIST) && j < t->items.len; j++)
				if (reaches_args(L, h, written_base(t->items.data[j], false)))
					return true;
		}
		PyExpr *u = lw_call_updated_arg(s->value);
		if ((u && reaches_args(L, h, written_base(u, true))) || writes_args(L, h, &s->body) ||
		    writes_args(L, h, &s->orelse))
			return true;
	}
	return false;
}

static const char *body_calls_writer(Lower *L, PyStmtList *body, int depth);

/* The first helper called in e that writes in place into its arguments
 * (itself or through the helpers it calls), or NULL. */
static const char *
expr_calls_writer(Lower *L, PyExpr *e, int depth)
{
	if (!e)
		return NULL;
	if (e->kind == PE_CALL && e->lhs->kind == PE_NAME)
		for (int i = 0; i < L->helpers.len; i++) {
			PyStmt *h = L->helpers.data[i];
			if (strcmp(h->name, e->lhs->id) != 0)
				continue;
			if (writes_args(L, h, &h->body) || depth > 32)
				return h->name;
			const char *w = body_calls_writer(L, &h->body, depth + 1);
			if (w)
				return w;
		}
	PyExpr *kids[6] = { e->lhs, e->rhs, e->cond, e->lo, e->hi, e->step };
	const char *w = NULL;
	for (int i = 0; !w && i < 6; i++)
		w = expr_calls_writer(L, kids[i], depth);
	for (int i = 0; !w && i < e->items.len; i++)
		w = expr_calls_writer(L, e->items.data[i], depth);
	for (int i = 0; !w && i < e->kwvalues.len; i++)
		w = expr_calls_writer(L, e->kwvalues.data[i], depth);
	return w;
}

static const char *
body_calls_writer(Lower *L, PyStmtList *body, int depth)
{
	const char *w = NULL;
	for (int i = 0; !w && i < body->len; i++) {
		PyStmt *s = body->data[i];
		w = expr_calls_writer(L, s->value, depth);
		w = w ? w : expr_calls_writer(L, s->iter, depth);
		w = w ? w : expr_calls_writer(L, s->test, depth);
		for (int k = 0; !w && k < s->targets.len; k++)
			w = expr_calls_writer(L, s->targets.data[k], depth);
		w = w ? w : body_calls_writer(L, &s->body, depth);
		w = w ? w : body_calls_writer(L, &s->orelse, depth);
	}
	return w;
}

/* A name written in place that could reach container `data` or the names
 * statement s binds, or a helper that writes in place (it may be given
 * either); NULL if none. Names not bound yet count when the function
 * binds them to something that may be a view. */
static const char *
drift_writer(Lower *L, const char *data, PyStmt *s, PyStmt *def)
{
	for (int i = 0; i < L->scope->inplace.len; i++) {
		const char *w = L->scope->inplace.data[i];
		Binding *b = lw_lookup(L, w);
		if (s && targets_name(s, w))
			return w;
		if (b && b->val) {
			if ((b->var && strcmp(b->var, data) == 0) ||
			    (b->val->kind == V_ARRAY && strcmp(b->val->data, data) == 0))
				return w;
			continue;
		}
		if (!def || binds_alias(L, &def->body, w))
			return w;
	}
	return def ? body_calls_writer(L, &def->body, 0) : "";
}

/* Does a helper return something that may be a view? */
static bool
returns_alias(Lower *L, PyStmtList *body)
{
	for (int i = 0; i < body->len; i++) {
		PyStmt *s = body->data[i];
		if ((s->kind == PS_RETURN && s->value && may_alias(L, s->value)) ||
		    returns_alias(L, &s->body) || returns_alias(L, &s->orelse))
			return true;
	}
	return false;
}

/* Is x a value no name refers to (a lazy value, or a fresh transient no
 * binding holds)? Then copying it is exact. */
static bool
is_private(Lower *L, const Value *x)
{
	if (x->kind != V_ARRAY)
		return true;
	if (!x->fresh)
		return false;
	for (Scope *sc = L->scope; sc; sc = sc->parent)
		for (int i = 0; i < sc->b.len; i++) {
			Binding *b = &sc->b.data[i];
			if ((b->var && strcmp(b->var, x->data) == 0) ||
			    (b->val && b->val->kind == V_ARRAY && strcmp(b->val->data, x->data) == 0))
				return false;
		}
	return true;
}

Value *
lw_checked_view(Lower *L, Value *x, Value *r, PyExpr *call, const char *fname)
{
	if (r->kind == V_ARRAY)
		return r;   /* a true view */
	PyStmt *s, *def;
	Fate f = fate(L, call, &s, &def);
	if (f == FATE_WRITTEN)
		lw_unsupported(L, call->loc, arena_printf(L->a, "writing through the result of "
				   "%s (dfc computes it as a copy; write into the original array)", fname));
	if (f == FATE_KEPT && !is_private(L, x)) {
		const char *w = drift_writer(L, x->data, s, def);
		if (!w && L->scope->is_helper && (!s || s->kind == PS_RETURN ||
						   !def || returns_alias(L, &def->body)))
			w = "";
		if (w)
			lw_unsupported(L, call->loc, arena_printf(L->a, "keeping the result of %s "
					   "while %s%s%s may be written in place (NumPy's view and dfc's "
					   "copy would differ; use .copy() or index the original array)",
					   fname, *w ? "'" : "the array it views", w, *w ? "'" : ""));
	}
	PyExpr *p = s ? parent_stmt(s, call) : NULL;
	if (p && p->kind == PE_SUBSCRIPT && p->lhs == call)
		return lw_materialize(L, r, "reshaped");
	return r;
}

/* ---- writing through a reshape ---- */

/* Is the view x C-contiguous (NumPy's reshape of it is then a view)? Its
 * dimensions of extent > 1 take container dimensions in order with step 1,
 * and after the first of them every container dimension is whole. */
static bool
is_contiguous(Lower *L, const Value *x)
{
	if (x->kind != V_ARRAY || x->readonly)
		return false;
	IrContainer *c = ir_program_find_container(L->p, x->data);
	bool *mapped = arena_alloc(L->a, sizeof(bool) * (size_t)(x->ndim + 1));
	int last = -1;
	bool outer = false;
	for (int k = 0; k < x->cdim; k++) {
		DimMap m = x->map[k];
		if (outer && (m.vdim < 0 || !lw_is_const(m.start, 0) ||
			      !sym_equal(x->shape[m.vdim], c->shape[k])))
			return false;
		if (m.vdim < 0)
			continue;
		if (m.vdim <= last || (!lw_is_const(x->shape[m.vdim], 1) && !lw_is_const(m.step, 1)))
			return false;
		last = m.vdim;
		mapped[m.vdim] = true;
		outer = outer || !lw_is_const(x->shape[m.vdim], 1);
	}
	for (int d = 0; d < x->ndim; d++)
		if (!mapped[d] && !lw_is_const(x->shape[d], 1))
			return false;
	return true;
}

/* Is the value of `call` written through (NumPy writes the array it
 * views)? *direct: as the base of a subscript target of the statement
 * holding it (x.reshape(-1)[k] = v, x.ravel()[a:b] += 1). */
static bool
written(Lower *L, PyExpr *call, bool *direct)
{
	PyStmt *s, *def;
	*direct = false;
	if (fate(L, call, &s, &def) != FATE_WRITTEN)
		return false;
	PyExpr *p = parent_stmt(s, call);
	for (int k = 0; p && k < s->targets.len; k++)
		*direct = *direct || (s->targets.data[k] == p && p->kind == PE_SUBSCRIPT && p->lhs == call);
	return true;
}

/* The reshape r of x as the view NumPy makes: a lazy read of x that the
 * subscript target around it writes through (see lw_reshape_target);
 * other uses as lw_checked_view. */
Value *
lw_reshaped(Lower *L, Value *x, Value *r, PyExpr *call, const char *fname)
{
	bool direct;
	if (r->kind == V_ARRAY || !written(L, call, &direct))
		return lw_checked_view(L, x, r, call, fname);
	if (!direct)
		lw_unsupported(L, call->loc, arena_printf(L->a, "writing through the result of %s "
				   "other than by subscripting it (x.%s(...)[i] = v) in the assignment "
				   "(write into the original array)", fname, fname));
	if (!is_contiguous(L, x))
		lw_unsupported(L, call->loc, arena_printf(L->a, "writing through the result of %s "
				   "of a computed value or of a view that is not C-contiguous (NumPy's "
				   "%s may be a copy there; write into the original array)", fname, fname));
	Value *v = lw_value_new(L, V_EXPR, r->loc);
	*v = *r;
	v->rsbase = x;
	return v;
}

/* Does s use floordiv or mod (an index that is no affine subset)? */
static bool
is_nonaffine(const Sym *s)
{
	if (s->kind == SYM_FLOORDIV || s->kind == SYM_MOD)
		return true;
	for (int i = 0; i < s->n; i++)
		if (is_nonaffine(s->args[i]))
			return true;
	return false;
}

/* The index k[j] into dimension j of the reshape (of shape (m, w)) at
 * each element of z = reshape[items]: a Sym (ks[j]) when static, else the
 * int64 expression kx[j] (the data-dependent index of a gather). */
static void
reshape_index(Lower *L, Value *z, int m, Sym **ks, IrExpr **kx)
{
	for (int j = 0; j < m; j++) {
		ks[j] = NULL;
		kx[j] = NULL;
		if (z->kind == V_ARRAY) {
			DimMap dm = z->map[j];
			ks[j] = dm.vdim < 0 ? dm.start : sym_add(L->a, dm.start,
						sym_mul(L->a, dm.step, lw_iter_sym(L, dm.vdim)));
		} else if (z->ind->dyn[j]) {
			kx[j] = z->ind->dyn[j]->expr;
		} else {
			ks[j] = z->ind->idx[j];
		}
	}
}

/* The indices into x's view dimensions of the reshape's element k (C
 * order over (m, w)): Syms in vs when every k[j] is static, else int64
 * expressions in vx. */
static bool
view_index(Lower *L, Value *x, int m, Sym **w, Sym **ks, IrExpr **kx, Sym **vs, IrExpr **vx)
{
	Arena *a = L->a;
	bool stat = true;
	for (int j = 0; j < m; j++)
		stat = stat && ks[j];
	Sym *gs = sym_const(a, 0);
	IrExpr *gx = ir_expr_const_int(a, DT_INT64, 0);
	for (int j = 0; j < m; j++) {
		if (stat)
			gs = sym_add(a, sym_mul(a, gs, w[j]), ks[j]);
		else
			gx = ir_expr_op2(a, OP_ADD, ir_expr_op2(a, OP_MUL, gx, lw_expr_from_sym(L, w[j])),
					 kx[j] ? kx[j] : lw_expr_from_sym(L, ks[j]));
	}
	Sym *div = sym_const(a, 1);
	for (int d = x->ndim - 1; d >= 0; d--) {
		if (stat) {
			Sym *q = sym_floordiv(a, gs, div);
			vs[d] = d == 0 ? q : sym_mod(a, q, x->shape[d]);
		} else {
			IrExpr *q = ir_expr_op2(a, OP_FLOORDIV, gx, lw_expr_from_sym(L, div));
			vx[d] = d == 0 ? q : ir_expr_op2(a, OP_MOD, q, lw_expr_from_sym(L, x->shape[d]));
		}
		div = sym_mul(a, div, x->shape[d]);
	}
	return stat;
}

/* The reads of the data-dependent indices of z (integer index arrays). */
static Value *
index_reads(Lower *L, Value *z, IrExpr *e)
{
	Value *v = lw_value_new(L, V_EXPR, z->loc);
	v->dtype = DT_INT64;
	v->expr = e;
	for (int j = 0; z->kind == V_EXPR && j < z->ind->cdim; j++)
		v->nreads += z->ind->dyn[j] ? z->ind->dyn[j]->nreads : 0;
	v->reads = arena_alloc(L->a, sizeof(Read) * (size_t)(v->nreads + 1));
	for (int j = 0, n = 0; z->kind == V_EXPR && j < z->ind->cdim; j++)
		for (int i = 0; z->ind->dyn[j] && i < z->ind->dyn[j]->nreads; i++)
			v->reads[n++] = z->ind->dyn[j]->reads[i];
	return v;
}

Value *
lw_reshape_target(Lower *L, Value *r, PyExpr *t)
{
	Value *x = r->rsbase;
	int m = r->ndim;
	Value *y = lw_value_new(L, V_ARRAY, r->loc);   /* the reshape as a view of its own */
	*y = *x;
	y->ndim = y->cdim = m;
	y->shape = r->shape;
	y->map = arena_alloc(L->a, sizeof(DimMap) * (size_t)(m + 1));
	for (int j = 0; j < m; j++)
		y->map[j] = (DimMap){ j, sym_const(L->a, 0), sym_const(L->a, 1) };
	Value *z = lw_subscript(L, y, t);
	if (z->kind != V_ARRAY && !(z->kind == V_EXPR && z->ind))
		lw_unsupported(L, t->loc, "writing through a reshape with a boolean mask index "
			       "(write into the original array)");
	Sym **ks = lw_syms(L, m), **vs = lw_syms(L, x->ndim);
	IrExpr **kx = arena_alloc(L->a, sizeof(IrExpr *) * (size_t)(m + 1));
	IrExpr **vx = arena_alloc(L->a, sizeof(IrExpr *) * (size_t)(x->ndim + 1));
	reshape_index(L, z, m, ks, kx);
	bool stat = view_index(L, x, m, r->shape, ks, kx, vs, vx);
	Indirect *ind = arena_alloc(L->a, sizeof(*ind));
	ind->data = x->data;
	ind->cdim = x->cdim;
	ind->idx = lw_syms(L, x->cdim);
	ind->dyn = arena_alloc(L->a, sizeof(Value *) * (size_t)(x->cdim + 1));
	for (int c = 0; c < x->cdim; c++) {
		DimMap dm = x->map[c];   /* step 1 where the extent is not 1 */
		Sym *k = dm.vdim < 0 ? NULL : stat ? vs[dm.vdim] : NULL;
		ind->idx[c] = dm.vdim < 0 ? dm.start : k ? sym_add(L->a, dm.start, sym_mul(L->a, dm.step, k))
						      : sym_const(L->a, 0);
		if (dm.vdim < 0 || (k && !is_nonaffine(ind->idx[c])))
			continue;
		IrExpr *e = lw_expr_from_sym(L, ind->idx[c]);
		if (!k)
			e = ir_expr_op2(L->a, OP_ADD, lw_expr_from_sym(L, dm.start),
					ir_expr_op2(L->a, OP_MUL, lw_expr_from_sym(L, dm.step), vx[dm.vdim]));
		ind->idx[c] = sym_const(L->a, 0);
		ind->dyn[c] = index_reads(L, z, e);
	}
	return lw_gather_value(L, ind, x->dtype, z->ndim, z->shape, t->loc);
}
