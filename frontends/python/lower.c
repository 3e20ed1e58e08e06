/* frontends/python/lower.c — Python kernels to IR: scopes, statements,
 * control flow and expressions.
 *
 * The bodies of kernels and of inlined helpers (lower_func.c) lower here.
 * Statements lower in order, appending blocks to L->blocks: assignments
 * materialise values into states, loops and ifs become structured control
 * flow; lw_eval gives an expression's Value.
 *
 * Python names follow value semantics where NumPy has them:
 * - a name assigned once is bound to its value: a view stays a view (writes
 *   through it reach the array), an integer stays symbolic;
 * - a name assigned more than once (or a parameter assigned in the body)
 *   lives in a container of its own (its "var"); each assignment writes
 *   into it. Before a loop or an if that assigns it, its current value is
 *   moved into that container so every path agrees on where it lives.
 */
#include <string.h>

#include "lower.h"

/* "X is not supported" / "Xs are not supported": `what` names a construct
 * in the singular or the plural (a plural ends in 's'; NumPy names don't
 * count as plurals). */
_Noreturn void
lw_unsupported(Lower *L, SrcLoc loc, const char *what)
{
	bool plural = what[strlen(what) - 1] == 's' && strncmp(what, "np.", 3) != 0;
	diag_fatal(L->ctx, loc, "%s %s not supported", what, plural ? "are" : "is");
}

/* The user's label of a line: "# dfc: label NAME" at its end, or NULL. */
static const char *
line_label(Lower *L, int line)
{
	PyTokens *t = L->mod->tokens;
	for (int i = 0; i < t->comments.len; i++) {
		PyComment *c = &t->comments.data[i];
		if (c->loc.line != line || strncmp(c->text, "dfc: label ", 11) != 0)
			continue;
		const char *s = c->text + 11, *e;
		while (*s == ' ')
			s++;
		for (e = s; (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') ||
			    (*e >= '0' && *e <= '9') || *e == '_'; e++)
			;
		if (e == s || (*s >= '0' && *s <= '9') || (*e && *e != ' '))
			diag_fatal(L->ctx, c->loc, "expected 'dfc: label NAME' with NAME an identifier");
		return arena_strndup(L->a, s, (size_t)(e - s));
	}
	return NULL;
}

/* Stable names from the source line: map_L7, loop_L7, state_L7, if_L7,
 * with _2, _3... when one line makes several; maps and loops take the
 * line's label instead when it has one. */
const char *
lw_stable_name(Lower *L, char kind, SrcLoc loc)
{
	/* Everything a statement makes is named after the statement's line,
	 * where users look for it (and put their labels). */
	if (L->stmt_line)
		loc.line = L->stmt_line;
	const char *prefix = kind == 's' ? "state" : kind == 'm' ? "map" : kind == 'l' ? "loop" : "if";
	const char *label = kind == 'm' || kind == 'l' ? line_label(L, loc.line) : NULL;
	int i = 0;
	for (; i < L->names.len; i++) {
		NameCount *nc = &L->names.data[i];
		if (nc->kind == kind && (label ? nc->label && strcmp(nc->label, label) == 0
					       : !nc->label && nc->line == loc.line))
			break;
	}
	if (i == L->names.len)
		vec_push(L->a, &L->names, ((NameCount){ kind, label, loc.line, 0 }));
	int count = ++L->names.data[i].count;
	const char *base = label ? label : arena_printf(L->a, "%s_L%d", prefix, loc.line);
	return count == 1 ? base : arena_printf(L->a, "%s_%d", base, count);
}

Sym *
lw_open_loop(Lower *L, const char *prefix, Sym *n, SrcLoc loc)
{
	Arena *a = L->a;
	/* unique per loop depth: it cannot shadow a user's loop variable */
	const char *var = ir_program_fresh_name(L->ctx, L->p,
						arena_printf(a, "%s%d", prefix, L->loops.len));
	IrBlock *blk = ir_block_new(L->ctx, CF_FOR, lw_stable_name(L, 'l', loc), loc);
	blk->loop.var = var;
	blk->loop.start = sym_const(a, 0);
	blk->loop.stop = n;
	blk->loop.step = sym_const(a, 1);
	lw_append(L, blk);
	L->blocks = &blk->loop.body;
	vec_push(a, &L->loops, ((LoopFact){ var, blk->loop.start, n, 1 }));
	return sym_var(a, var);
}

void
lw_append(Lower *L, IrBlock *b)
{
	vec_push(L->a, L->blocks, b);
}

IrState *
lw_new_state(Lower *L, SrcLoc loc)
{
	IrState *s = ir_state_new(L->ctx, lw_stable_name(L, 's', loc), loc);
	lw_append(L, ir_block_state(L->ctx, s));
	vec_push(L->a, &L->states, s);
	return s;
}

/* ---- scopes ---- */

Binding *
lw_scope_find(Scope *s, const char *name)
{
	for (int i = s->b.len - 1; i >= 0; i--)
		if (strcmp(s->b.data[i].name, name) == 0)
			return &s->b.data[i];
	return NULL;
}

Binding *
lw_lookup(Lower *L, const char *name)
{
	for (Scope *s = L->scope; s; s = s->parent) {
		Binding *b = lw_scope_find(s, name);
		if (b)
			return b;
	}
	return NULL;
}

Binding *
lw_local_binding(Lower *L, const char *name)
{
	Binding *b = lw_scope_find(L->scope, name);
	if (!b) {
		vec_push(L->a, &L->scope->b, ((Binding){ .name = name }));
		b = &L->scope->b.data[L->scope->b.len - 1];
	}
	return b;
}

/* Counts the assignments to each name in stmts (into scope bindings). */
static void
count_target(Lower *L, PyExpr *t, bool aug)
{
	if (t->kind == PE_NAME && aug)
		lw_local_binding(L, t->id)->naug++;
	else if (t->kind == PE_NAME)
		lw_local_binding(L, t->id)->nassign++;
	else if (t->kind == PE_TUPLE || t->kind == PE_LIST)
		for (int i = 0; i < t->items.len; i++)
			count_target(L, t->items.data[i], aug);
}

/* The array a reshape call writes through: A in A.reshape(...),
 * A.ravel(), np.reshape(A, ...), np.ravel(A); NULL for other expressions. */
static PyExpr *
reshaped_array(Lower *L, PyExpr *t)
{
	if (t->kind != PE_CALL || t->lhs->kind != PE_ATTR ||
	    (strcmp(t->lhs->id, "reshape") != 0 && strcmp(t->lhs->id, "ravel") != 0))
		return NULL;
	PyExpr *o = t->lhs->lhs;
	Binding *b = o->kind == PE_NAME ? lw_lookup(L, o->id) : NULL;
	if (b && b->val && b->val->kind == V_MODULE)
		return t->items.len > 0 ? t->items.data[0] : NULL;
	return o;
}

/* The name a subscript target writes through: A in A[i][j] = ... (and
 * z in np.real(z)[i] = ..., A in A.reshape(-1)[k] = ...). */
static void
note_inplace(Lower *L, PyExpr *t, bool aug)
{
	while (t->kind == PE_SUBSCRIPT || t->kind == PE_ATTR || reshaped_array(L, t) ||
	       (t->kind == PE_CALL && t->lhs->kind == PE_ATTR && t->items.len == 1 &&
		(strcmp(t->lhs->id, "real") == 0 || strcmp(t->lhs->id, "imag") == 0))) {
		PyExpr *r = reshaped_array(L, t);
		t = r ? r : t->kind == PE_CALL ? t->items.data[0] : t->lhs;
		aug = true;
	}
	if (t->kind == PE_NAME && aug)
		vec_push(L->a, &L->scope->inplace, t->id);
	if (t->kind == PE_TUPLE || t->kind == PE_LIST)
		for (int i = 0; i < t->items.len; i++)
			note_inplace(L, t->items.data[i], false);
}

/* Counts the assignments to each name in stmts (into scope bindings) and
 * notes the names updated in place. */
void
lw_count_assignments(Lower *L, PyStmtList *body)
{
	for (int i = 0; i < body->len; i++) {
		PyStmt *s = body->data[i];
		for (int k = 0; k < s->targets.len; k++) {
			if (s->kind == PS_ASSIGN || s->kind == PS_ANNASSIGN ||
			    (s->kind == PS_AUGASSIGN))
				count_target(L, s->targets.data[k], s->kind == PS_AUGASSIGN);
			note_inplace(L, s->targets.data[k], s->kind == PS_AUGASSIGN);
		}
		if (lw_call_updated_arg(s->value))
			note_inplace(L, lw_call_updated_arg(s->value), true);
		lw_count_assignments(L, &s->body);
		lw_count_assignments(L, &s->orelse);
	}
}

typedef VEC(const char *) NameList;

/* Names assigned anywhere in stmts, in order (duplicates allowed). */
static void
collect_assigned(Lower *L, PyStmtList *body, NameList *out)
{
	for (int i = 0; i < body->len; i++) {
		PyStmt *s = body->data[i];
		for (int k = 0; k < s->targets.len; k++) {
			PyExpr *t = s->targets.data[k];
			if (t->kind == PE_NAME)
				vec_push(L->a, out, t->id);
			else if (t->kind == PE_TUPLE || t->kind == PE_LIST)
				for (int j = 0; j < t->items.len; j++)
					if (t->items.data[j]->kind == PE_NAME)
						vec_push(L->a, out, t->items.data[j]->id);
		}
		collect_assigned(L, &s->body, out);
		collect_assigned(L, &s->orelse, out);
	}
}

/* ---- assignment ---- */

static bool
is_var_view(Lower *L, const Value *v, const char *var)
{
	if (v->kind != V_ARRAY || strcmp(v->data, var) != 0 || v->ndim != v->cdim)
		return false;
	IrContainer *c = ir_program_find_container(L->p, var);
	for (int d = 0; d < v->ndim; d++)
		if (!sym_equal(v->shape[d], c->shape[d]))
			return false;
	for (int d = 0; d < v->cdim; d++) {
		int64_t s, t;
		if (v->map[d].vdim != d || !sym_is_const(v->map[d].start, &s) || s != 0 ||
		    !sym_is_const(v->map[d].step, &t) || t != 1)
			return false;
	}
	return true;
}

static DType
value_dtype(const Value *v)
{
	return v->kind == V_SYM ? DT_INT64 : v->dtype;
}

static void
rename_state(IrState *s, const char *from, const char *to)
{
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_ACCESS && strcmp(s->nodes.data[i].access.data, from) == 0)
			s->nodes.data[i].access.data = to;
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (m->data && strcmp(m->data, from) == 0)
			m->data = to;
	}
}

/* Gives the fresh transient of v the Python name it is assigned to, so
 * the IR and the C read like the source. */
static void
adopt_name(Lower *L, Value *v, const char *name)
{
	IrContainer *c = ir_program_find_container(L->p, v->data);
	if (!c || c->role != ROLE_TRANSIENT || strncmp(c->name, name, strlen(name)) == 0)
		return;
	const char *to = ir_program_fresh_name(L->ctx, L->p, name);
	/* A fresh container is only used by states so far (no condition yet). */
	for (int i = 0; i < L->states.len; i++)
		rename_state(L->states.data[i], c->name, to);
	for (int i = 0; i < L->scope->b.len; i++) {
		Binding *b = &L->scope->b.data[i];
		if (b->var && strcmp(b->var, c->name) == 0)
			b->var = to;
	}
	c->name = to;
	v->data = to;
}

static bool
updated_in_place(Lower *L, const char *name)
{
	for (int i = 0; i < L->scope->inplace.len; i++)
		if (strcmp(L->scope->inplace.data[i], name) == 0)
			return true;
	return false;
}

/* A name that lives in a var container receives copies of what is assigned
 * to it. That is NumPy's behaviour unless v is an alias of an array that
 * this function also updates in place (then the copy and the array would
 * drift apart): refuse those cases rather than compute something else. */
static bool
copy_is_unsafe(Lower *L, Binding *b, Value *v)
{
	if (v->kind != V_ARRAY || v->ndim == 0 || v->fresh)
		return false;
	bool unsafe = updated_in_place(L, b->name);
	for (int i = 0; !unsafe && i < L->scope->b.len; i++) {
		Binding *o = &L->scope->b.data[i];
		unsafe = o->val && o->val->kind == V_ARRAY && strcmp(o->val->data, v->data) == 0 &&
			 updated_in_place(L, o->name);
	}
	return unsafe;
}

static void
check_copy_is_safe(Lower *L, Binding *b, Value *v, SrcLoc loc)
{
	if (copy_is_unsafe(L, b, v))
		lw_unsupported(L, loc, arena_printf(L->a, "rebinding '%s' to an array that the "
				   "function also updates in place (it would need reference "
				   "semantics: write the new values into a fresh array instead)", b->name));
}

/* Creates b's var container, shaped and typed like v. */
static void
make_var(Lower *L, Binding *b, Value *v, SrcLoc loc)
{
	b->region = L->region;
	if (v->fresh && v->kind == V_ARRAY && is_var_view(L, v, v->data)) {
		adopt_name(L, v, b->name);
		b->var = v->data;
		return;
	}
	check_copy_is_safe(L, b, v, loc);
	b->var = lw_new_transient(L, b->name, value_dtype(v), v->ndim, v->shape, loc);
	lw_store(L, lw_array_value(L, b->var, loc), v, WCR_NONE, loc);
}

static int
kind_rank(DType t)
{
	return t == DT_BOOL ? 0 : dtype_is_int(t) ? 1 : dtype_is_float(t) ? 2 : 3;
}

/* Does the name live in a var container? When it is assigned more than
 * once, or is a scalar updated with op= (an array's op= is in place). */
static bool
needs_var(const Binding *b, const Value *v)
{
	return b->var || b->nassign > 1 || (b->naug > 0 && (!v || lw_is_scalar(v)));
}

static void
bind(Lower *L, Binding *b, Value *v)
{
	b->val = v;
	b->depth = L->depth;
	b->loopvar = false;
	b->poisoned = false;
	b->from_loop = NULL;
	b->scoped_out = NULL;
}

/* Before b's var container is overwritten: other names still bound to
 * (views of) its old value get a copy of that value, since in Python they
 * keep the old object. Only exact at the depth where they were bound. */
static void
detach_aliases(Lower *L, Binding *b, SrcLoc loc)
{
	Value *copy = NULL;
	for (int i = 0; i < L->scope->b.len; i++) {
		Binding *o = &L->scope->b.data[i];
		if (o == b || !o->val || o->val->kind != V_ARRAY || strcmp(o->val->data, b->var) != 0)
			continue;
		if (o->depth != L->depth)
			lw_unsupported(L, loc, arena_printf(L->a, "reassigning '%s' inside a loop or "
					   "branch while '%s' still refers to its old value", b->name, o->name));
		if (!copy)
			copy = lw_materialize(L, lw_array_value(L, b->var, loc), o->name);
		Value *v = lw_value_new(L, V_ARRAY, o->val->loc);
		*v = *o->val;
		v->data = copy->data;
		o->val = v;
	}
}

/* Can b's var container hold v: its dtype (a literal fits when its kind
 * does) and its shape? */
static bool
var_takes_type(Lower *L, Binding *b, Value *v)
{
	DType d = ir_program_find_container(L->p, b->var)->dtype, t = value_dtype(v);
	bool literal = v->kind == V_CONST || v->kind == V_SYM;
	return kind_rank(t) <= kind_rank(d) && (literal || dtype_promote(t, d) == d);
}

static bool
var_takes_shape(Lower *L, Binding *b, Value *v)
{
	IrContainer *c = ir_program_find_container(L->p, b->var);
	bool same = v->ndim == c->ndim;
	for (int d = 0; same && d < v->ndim; d++)
		same = sym_equal(v->shape[d], c->shape[d]);
	return same;
}

/* Writes v into b's existing var container, checking dtype and shape. */
static void
store_var(Lower *L, Binding *b, Value *v, SrcLoc loc)
{
	Value *dst = lw_array_value(L, b->var, loc);
	DType t = value_dtype(v);
	if (!var_takes_type(L, b, v))
		diag_fatal(L->ctx, loc, "'%s' changes type from %s to %s here; give it its final "
			   "type where it is first assigned (e.g. 0.0 instead of 0)", b->name,
			   dtype_name(dst->dtype), dtype_name(t));
	if (!var_takes_shape(L, b, v))
		diag_fatal(L->ctx, loc, "'%s' changes shape from %s to %s here, inside a loop or "
			   "branch that needs one shape for it; this is not supported", b->name, lw_shape_str(L, dst->ndim, dst->shape),
			   lw_shape_str(L, v->ndim, v->shape));
	if (!is_var_view(L, v, b->var)) {
		check_copy_is_safe(L, b, v, loc);
		detach_aliases(L, b, loc);
		lw_store(L, dst, v, WCR_NONE, loc);
	}
}

static void
check_assignable(Lower *L, Binding *b, SrcLoc loc)
{
	if (b->val && b->val->kind == V_MODULE)
		diag_fatal(L->ctx, loc, "cannot assign to '%s': it names the numpy module", b->name);
	if (b->val && b->val->kind == V_SYM && b->nassign == 0 && b->naug == 0)
		diag_fatal(L->ctx, loc, "cannot assign to '%s': it is a loop variable or an "
			   "integer parameter (a size symbol)", b->name);
}

/* Starts a new region (a loop or branch body) inside the current one. */
static void
enter_region(Lower *L)
{
	if (L->region_parent.len == 0)
		vec_push(L->a, &L->region_parent, 0);
	vec_push(L->a, &L->region_parent, L->region);
	L->region = ++L->nregions;
}

/* Is the current region r itself or one around it? Then no loop or branch
 * that began after r merges values made in r with others. */
static bool
region_encloses(Lower *L, int r)
{
	for (; r > 0; r = L->region_parent.data[r])
		if (r == L->region)
			return true;
	return r == L->region;
}

/* Are x and y the same view: the same elements of the same container? */
static bool
same_view(const Value *x, const Value *y)
{
	if (x->kind != V_ARRAY || y->kind != V_ARRAY || strcmp(x->data, y->data) != 0 ||
	    x->ndim != y->ndim || x->cdim != y->cdim || x->dtype != y->dtype)
		return false;
	for (int d = 0; d < x->ndim; d++)
		if (!sym_equal(x->shape[d], y->shape[d]))
			return false;
	for (int c = 0; c < x->cdim; c++)
		if (x->map[c].vdim != y->map[c].vdim || !sym_equal(x->map[c].start, y->map[c].start) ||
		    (x->map[c].vdim >= 0 && !sym_equal(x->map[c].step, y->map[c].step)))
			return false;
	return true;
}

/* A name assigned more than once lives in a var container, but a copy of
 * a view of an array that the function updates in place would drift from
 * NumPy's view: such a name is bound by reference instead (a view is a
 * lazy read of its base, as in NumPy), where no control-flow merge needs
 * its value in one place: in the block list where its var (if any) was
 * made, or, inside a loop or branch, when it is rebound to the very view
 * it had before it (every path then agrees). Bindings made inside a loop
 * or branch body end with it (end_byref_scope). False when v is to be
 * copied into the var as usual. */
static bool
bind_by_reference(Lower *L, Binding *b, Value *v, SrcLoc loc)
{
	bool here = b->byref ? b->region == L->region : !b->var || region_encloses(L, b->region);
	if (b->byref && !here) {
		if (!same_view(b->val, v))
			lw_unsupported(L, loc, arena_printf(L->a, "rebinding '%s', a view of an array "
					   "that the function updates in place (bound at line %d), to "
					   "another value inside a loop or branch", b->name,
					   b->val->loc.line));
		return true;
	}
	if (!here || !copy_is_unsafe(L, b, v))
		return false;
	Value *w = lw_value_new(L, V_ARRAY, loc);   /* located at the binding */
	*w = *v;
	w->loc = loc;
	b->var = NULL;
	bind(L, b, w);
	b->byref = true;
	b->region = L->region;
	return true;
}

static void
assign_name(Lower *L, const char *name, Value *v, SrcLoc loc)
{
	Binding *b = lw_local_binding(L, name);
	check_assignable(L, b, loc);
	if (v->kind == V_MODULE || v->kind == V_DTYPE || v->kind == V_NONE)
		lw_unsupported(L, loc, "assigning modules, dtypes or None to names");
	if (v->kind == V_MASKED)   /* y = x[m] is a copy */
		v = lw_masked_keep(L, v, loc);
	if (!needs_var(b, v)) {
		bool scalar_copy = lw_is_scalar(v) && v->kind != V_SYM && v->kind != V_CONST && !v->fresh;
		if (v->kind == V_EXPR || scalar_copy)
			v = lw_materialize(L, v, name);
		else if (v->fresh)
			adopt_name(L, v, name);
		bind(L, b, v);
		return;
	}
	if (v->kind == V_TUPLE)
		lw_unsupported(L, loc, "assigning a tuple to a name assigned more than once");
	if (bind_by_reference(L, b, v, loc))
		return;
	/* In the block list where its var was made (or one around it), nothing
	 * merges the name's values: rebound to an array of another shape or
	 * type, it names a new array, as in Python. */
	if (b->var && region_encloses(L, b->region) &&
	    (!var_takes_type(L, b, v) || !var_takes_shape(L, b, v)))
		b->var = NULL;
	if (!b->var)
		make_var(L, b, v, loc);
	else
		store_var(L, b, v, loc);
	bind(L, b, lw_array_value(L, b->var, loc));
	b->byref = false;
}

/* Before a compound statement: every name it assigns that already has a
 * value moves into its var container. */
static void
unify_vars(Lower *L, PyStmtList *body, PyStmtList *orelse)
{
	NameList names = { 0 };
	collect_assigned(L, body, &names);
	if (orelse)
		collect_assigned(L, orelse, &names);
	for (int i = 0; i < names.len; i++) {
		Binding *b = lw_scope_find(L->scope, names.data[i]);
		if (!b || !b->val || !needs_var(b, b->val) || b->val->kind == V_MODULE || b->byref)
			continue;
		check_assignable(L, b, b->val->loc);
		if (!b->var)
			make_var(L, b, b->val, b->val->loc);
		else if (!is_var_view(L, b->val, b->var))
			store_var(L, b, b->val, b->val->loc);
		bind(L, b, lw_array_value(L, b->var, b->val->loc));
	}
}

static void assign_target(Lower *L, PyExpr *t, Value *v);

/* `a, b = x, y`: the right side is evaluated completely first, then the
 * targets are assigned left to right. Values are snapshotted. Views stay
 * live (A[:2], A[2:] = A[2:], A[:2] reads the updated A[:2], as in NumPy),
 * except when a target name copies into its var container: then the copy
 * into one name must not change what the next one receives. */
static void
assign_tuple(Lower *L, PyExpr *t, Value *v)
{
	if (v->kind != V_TUPLE)
		lw_unsupported(L, t->loc, "unpacking an array into names");
	if (v->n != t->items.len)
		diag_fatal(L->ctx, t->loc, "cannot unpack %d values into %d names", v->n, t->items.len);
	bool copies = false, parts = false;
	for (int i = 0; i < v->n; i++) {
		PyExpr *ti = t->items.data[i];
		Binding *b = ti->kind == PE_NAME ? lw_local_binding(L, ti->id) : NULL;
		copies = copies || (b && needs_var(b, v->items[i]));
		parts = parts || lw_is_part_target(L, ti);
	}
	Value **snap = arena_alloc(L->a, sizeof(Value *) * (size_t)(v->n + 1));
	for (int i = 0; i < v->n; i++) {
		Value *x = v->items[i];
		PyExpr *ti = t->items.data[i];
		bool alias = x->kind == V_ARRAY && x->ndim > 0 && !x->fresh;
		/* z.real, z.imag = z.imag, z.real: NumPy's parts are views */
		if (parts && x->kind == V_EXPR && x->expr->kind == EX_OP &&
		    (x->expr->op == OP_REAL || x->expr->op == OP_IMAG))
			lw_unsupported(L, x->loc, "reading a complex part (.real, .imag) in a tuple "
				       "assignment that writes one (NumPy reads its views after "
				       "the first write; assign one at a time)");
		if (alias && copies && ti->kind == PE_NAME)
			check_copy_is_safe(L, lw_local_binding(L, ti->id), x, ti->loc);
		bool stable = x->kind == V_CONST || x->kind == V_SYM || x->kind == V_TUPLE ||
			      x->fresh || (alias && !copies);
		snap[i] = stable ? x : lw_materialize(L, x, "tmp");
	}
	for (int i = 0; i < v->n; i++)
		assign_target(L, t->items.data[i], snap[i]);
}

/* The element or view that the subscript target t (x[...] = , x[...] op=)
 * writes: its base must be an array, not the value of an expression. */
static Value *
subscript_target(Lower *L, PyExpr *t)
{
	Value *base = lw_eval(L, t->lhs);
	if (base->kind == V_EXPR && base->rsbase)   /* x.reshape(-1)[k] = v */
		return lw_reshape_target(L, base, t);
	if (base->kind != V_ARRAY)
		diag_fatal(L->ctx, t->loc, "only arrays support item assignment");
	return lw_subscript(L, base, t);
}

static void
assign_target(Lower *L, PyExpr *t, Value *v)
{
	PartTarget pt;
	if (lw_part_target(L, t, &pt)) {   /* z.real[...] = v */
		lw_store_part(L, &pt, v, t->loc);
		return;
	}
	switch (t->kind) {
	case PE_NAME:
		assign_name(L, t->id, v, t->loc);
		return;
	case PE_TUPLE: case PE_LIST:
		assign_tuple(L, t, v);
		return;
	case PE_SUBSCRIPT:
		lw_store(L, subscript_target(L, t), v, WCR_NONE, t->loc);
		return;
	case PE_ATTR:
		lw_unsupported(L, t->loc, "assigning to an attribute");
	default:
		diag_fatal(L->ctx, t->loc, "cannot assign to this expression");
	}
}

static IrOp
binop_of(Lower *L, const char *op, SrcLoc loc)
{
	static const struct { const char *s; IrOp op; } ops[] = {
		{ "+", OP_ADD }, { "-", OP_SUB }, { "*", OP_MUL }, { "/", OP_DIV },
		{ "//", OP_FLOORDIV }, { "%", OP_MOD }, { "**", OP_POW }, { "&", OP_BITAND },
		{ "|", OP_BITOR }, { "^", OP_BITXOR }, { "<<", OP_SHL }, { ">>", OP_SHR },
	};
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (strcmp(ops[i].s, op) == 0)
			return ops[i].op;
	diag_fatal(L->ctx, loc, "operator '%s' is not supported", op);
}

static Value *
apply_binop(Lower *L, const char *op, Value *x, Value *y, SrcLoc loc)
{
	if (strcmp(op, "@") == 0)
		return lw_matmul(L, x, y, loc);
	IrOp o = binop_of(L, op, loc);
	if ((o == OP_BITAND || o == OP_BITOR) && x->dtype == DT_BOOL && y->dtype == DT_BOOL)
		o = o == OP_BITAND ? OP_AND : OP_OR;
	return lw_binary(L, o, x, y, loc, op);
}

/* Does subscript t name one element (every index a scalar: no slice,
 * no Ellipsis, a 0-d result)? Python's `a[i] op= y` then is `a[i] = a[i]
 * op y` on NumPy scalars, the store casting like any item assignment. */
static bool
names_element(const PyExpr *t, const Value *cur)
{
	if (t->kind != PE_SUBSCRIPT || cur->ndim != 0)
		return false;
	for (int i = 0; i < t->items.len; i++)
		if (t->items.data[i]->kind == PE_SLICE || t->items.data[i]->kind == PE_ELLIPSIS)
			return false;
	return true;
}

/* x op= y in place stores r into cur: NumPy's same_kind casting (an
 * array's in-place ufunc), unless x names one element. */
static void
check_same_kind(Lower *L, PyStmt *s, const Value *r, const Value *cur)
{
	if (!dtype_same_kind(r->dtype, cur->dtype) && !names_element(s->targets.data[0], cur))
		diag_fatal(L->ctx, s->loc, "cannot cast the result of '%s=' from %s to %s "
			   "(NumPy's same_kind rule)", s->op, dtype_name(r->dtype),
			   dtype_name(cur->dtype));
}

/* x op= y: in place for arrays (NumPy's same_kind casting), a rebinding
 * for scalars. */
static void
lower_augassign(Lower *L, PyStmt *s)
{
	PyExpr *t = s->targets.data[0];
	PartTarget pt;
	if (lw_part_target(L, t, &pt)) {   /* z.real[...] op= y */
		Value *cur = lw_part_value(L, &pt, t->loc);
		Value *r = apply_binop(L, s->op, cur, lw_eval(L, s->value), s->loc);
		check_same_kind(L, s, r, cur);
		lw_store_part(L, &pt, r, s->loc);
		return;
	}
	/* `a.T += b` updates a, then fails to assign a.T in Python. */
	if (t->kind == PE_ATTR)
		lw_unsupported(L, t->loc, "assigning to an attribute");
	Value *y = lw_eval(L, s->value);
	Value *cur = t->kind == PE_SUBSCRIPT ? subscript_target(L, t) : lw_eval(L, t);
	if (t->kind == PE_NAME && lw_is_scalar(cur)) {
		assign_name(L, t->id, apply_binop(L, s->op, cur, y, s->loc), t->loc);
		return;
	}
	if (!lw_is_store_target(cur))
		diag_fatal(L->ctx, t->loc, "cannot update this expression in place");
	L->inplace = true;
	Value *r = apply_binop(L, s->op, cur, y, s->loc);
	L->inplace = false;
	check_same_kind(L, s, r, cur);
	lw_store(L, cur, r, WCR_NONE, s->loc);
}

/* ---- control flow ---- */

static bool value_uses(const Value *v, const char *var);

/* Does v (or its shape) depend on the symbol var? */
static bool
value_or_shape_uses(const Value *v, const char *var)
{
	for (int d = 0; d < v->ndim && v->shape; d++)
		if (sym_depends_on(v->shape[d], var))
			return true;
	if (v->kind == V_TUPLE)
		for (int i = 0; i < v->n; i++)
			if (value_or_shape_uses(v->items[i], var))
				return true;
	return value_uses(v, var);
}

/* At the end of a block list: the symbols assigned in it from run-time
 * integers (L->rtsyms[from..]) go out of scope, and with them the names
 * bound to values that use them (an array of such a size). */
static void
end_runtime_scope(Lower *L, int from, SrcLoc loc)
{
	for (int k = from; k < L->rtsyms.len; k++) {
		const char *sym = L->rtsyms.data[k];
		for (int i = 0; i < L->scope->b.len; i++) {
			Binding *b = &L->scope->b.data[i];
			if (!b->val || !value_or_shape_uses(b->val, sym))
				continue;
			b->scoped_out = arena_printf(L->a, "using '%s' after the loop or branch "
						     "body (from line %d) where its size is "
						     "computed at run time", b->name, loc.line);
			b->val = NULL;
		}
	}
	L->rtsyms.len = from;
}

/* At the end of a loop or branch body (region L->region): the names bound
 * by reference in it (bind_by_reference) are not merged with the other
 * paths, so using them after it is reported. */
static void
end_byref_scope(Lower *L, SrcLoc loc)
{
	for (int i = 0; i < L->scope->b.len; i++) {
		Binding *b = &L->scope->b.data[i];
		if (!b->byref || b->region != L->region)
			continue;
		b->scoped_out = arena_printf(L->a, "using '%s' after the loop or branch body (from "
					     "line %d) that binds it to a view of an array that the "
					     "function updates in place", b->name, loc.line);
		b->val = NULL;
		b->byref = false;
	}
}

/* Lowers stmts into `list` instead of the current block list. */
static void
lower_into(Lower *L, PyStmtList *stmts, IrBlockList *list)
{
	IrBlockList *saved = L->blocks;
	int nrt = L->rtsyms.len, region = L->region;
	SrcLoc loc = stmts->len ? stmts->data[0]->loc : L->p->loc;
	L->blocks = list;
	L->depth++;
	enter_region(L);
	lw_lower_stmts(L, stmts);
	end_byref_scope(L, loc);
	L->region = region;
	L->depth--;
	L->blocks = saved;
	end_runtime_scope(L, nrt, loc);
}

/* The condition v as a control-flow expression, materialised into a bool
 * scalar when it reads array elements. */
static IrExpr *
cond_of(Lower *L, Value *v, SrcLoc loc)
{
	if (!lw_is_numeric(v))
		diag_fatal(L->ctx, loc, "expected a condition");
	if (!lw_is_scalar(v))
		diag_fatal(L->ctx, loc, "the truth value of an array with more than one element "
			   "is ambiguous (use np.any or np.all)");
	v = lw_cast(L, v, DT_BOOL);
	IrExpr *e = lw_cond_expr(L, v);
	if (e)
		return e;
	Value *c = lw_materialize(L, v, "cond");
	return ir_expr_in(L->a, DT_BOOL, c->data);
}

static Sym *
range_arg(Lower *L, PyExpr *e)
{
	return lw_as_sym(L, lw_eval(L, e), e->loc, "range() argument");
}

/* The iteration space of `for ... in it`: range(...) bounds, or the first
 * axis of an array (then *seq is the array); *dir is the step's direction
 * (see lw_range_step_sign). */
static void
loop_space(Lower *L, PyExpr *it, Sym **start, Sym **stop, Sym **step, int *dir, Value **seq)
{
	Arena *a = L->a;
	*seq = NULL;
	if (it->kind != PE_CALL || it->lhs->kind != PE_NAME || strcmp(it->lhs->id, "range") != 0 ||
	    lw_lookup(L, "range")) {
		Value *v = lw_eval(L, it);
		if (v->kind == V_MASKED)   /* for v in x[m]: over the copy x[m] */
			v = lw_masked_keep(L, v, it->loc);
		if (!lw_is_numeric(v) || v->ndim == 0)
			lw_unsupported(L, it->loc, "iterating over anything but range() or an array");
		*seq = v->kind == V_ARRAY ? v : lw_materialize(L, v, "seq");
		*start = sym_const(a, 0);
		*stop = v->shape[0];
		*step = sym_const(a, 1);
		*dir = 1;
		return;
	}
	int n = it->items.len;
	if (n < 1 || n > 3 || it->kwnames.len)
		diag_fatal(L->ctx, it->loc, "range() takes 1 to 3 positional arguments");
	*start = n > 1 ? range_arg(L, it->items.data[0]) : sym_const(a, 0);
	*stop = range_arg(L, it->items.data[n > 1 ? 1 : 0]);
	*step = n > 2 ? range_arg(L, it->items.data[2]) : sym_const(a, 1);
	*dir = n > 2 ? lw_range_step_sign(L, *step, it->items.data[2]->loc) : 1;
}

static bool
expr_uses_sym(const IrExpr *e, const char *var)
{
	if (!e)
		return false;
	if (e->kind == EX_SYM && strcmp(e->name, var) == 0)
		return true;
	for (int i = 0; i < e->n; i++)
		if (expr_uses_sym(e->args[i], var))
			return true;
	return false;
}

/* Does v (a name's value) depend on the symbol var? */
static bool
value_uses(const Value *v, const char *var)
{
	switch (v->kind) {
	case V_SYM:
		return sym_depends_on(v->sym, var);
	case V_ARRAY:
		for (int c = 0; c < v->cdim; c++)
			if (sym_depends_on(v->map[c].start, var) || sym_depends_on(v->map[c].step, var))
				return true;
		return false;
	case V_TUPLE:
		for (int i = 0; i < v->n; i++)
			if (value_uses(v->items[i], var))
				return true;
		return false;
	case V_EXPR:
		for (int i = 0; i < v->nreads; i++)
			for (int d = 0; d < v->reads[i].ndim; d++)
				if (v->reads[i].idx && sym_depends_on(v->reads[i].idx[d], var))
					return true;
		return expr_uses_sym(v->expr, var);
	default:
		return false;
	}
}

/* After the loop of variable var (Python name `name`): names bound inside
 * it to values computed from var (q = i + 1, row = A[i]) would need var's
 * last value; using them is reported instead of miscompiled. */
static void
forget_loop_values(Lower *L, const char *var, const char *name)
{
	for (int i = 0; i < L->scope->b.len; i++) {
		Binding *b = &L->scope->b.data[i];
		if (b->val && !b->var && value_uses(b->val, var)) {
			b->val = NULL;
			b->from_loop = name;
		}
	}
}

/* Does the list jump out of the loop it is in (break/continue not nested
 * in an inner loop)? */
static bool
jumps(const PyStmtList *l)
{
	for (int i = 0; i < l->len; i++) {
		const PyStmt *s = l->data[i];
		if (s->kind == PS_BREAK || s->kind == PS_CONTINUE)
			return true;
		if (s->kind == PS_IF && (jumps(&s->body) || jumps(&s->orelse)))
			return true;
	}
	return false;
}

/* for a in (x, y, z): the body once per item, in order, the name bound to
 * each (arrays by reference, as Python binds names); after the loop the
 * name keeps the last item, as in Python. The items are evaluated first. */
static void
lower_for_items(Lower *L, PyStmt *s)
{
	PyExprList *items = &s->iter->items;
	if (items->len > 64)
		lw_unsupported(L, s->iter->loc, "loops over more than 64 listed items");
	if (jumps(&s->body))
		diag_fatal(L->ctx, s->loc, "break and continue are not supported in a loop over "
			   "listed items");
	const char *name = s->target->id;
	Binding *b = lw_local_binding(L, name);
	if (b->var || b->nassign + b->naug > 0)
		lw_unsupported(L, s->target->loc, "a loop variable that is also assigned elsewhere");
	Value **vals = arena_alloc(L->a, sizeof(Value *) * (size_t)(items->len + 1));
	for (int i = 0; i < items->len; i++) {
		vals[i] = lw_eval(L, items->data[i]);
		if (vals[i]->kind == V_EXPR)
			vals[i] = lw_materialize(L, vals[i], name);
		else if (vals[i]->kind == V_MASKED)
			vals[i] = lw_masked_keep(L, vals[i], items->data[i]->loc);
	}
	for (int i = 0; i < items->len; i++) {
		bind(L, lw_local_binding(L, name), vals[i]);
		lw_lower_stmts(L, &s->body);
	}
}

/* for i in range(...): i is a symbol. for row in A: the loop runs over A's
 * first axis and row is the view A[i] (a scalar copy for a 1-D A, as
 * Python gives numbers). */
static void
lower_for(Lower *L, PyStmt *s)
{
	if (s->orelse.len)
		lw_unsupported(L, s->loc, "'else' clauses on loops");
	if (s->target->kind != PE_NAME)
		lw_unsupported(L, s->target->loc, "unpacking in for-loop targets");
	if (s->iter->kind == PE_TUPLE || s->iter->kind == PE_LIST) {
		lower_for_items(L, s);
		return;
	}
	PyExpr *it = s->iter->kind == PE_CALL ? s->iter->lhs : s->iter;
	if (it->kind == PE_ATTR && (strcmp(it->id, "real") == 0 || strcmp(it->id, "imag") == 0) &&
	    updated_in_place(L, s->target->id))   /* the rows would be copies */
		lw_unsupported(L, s->iter->loc, "updating the rows of .real or .imag in a for "
			       "loop (write through z.real[i] instead)");
	Arena *a = L->a;
	Sym *start, *stop, *step;
	int dir;
	Value *seq;
	loop_space(L, s->iter, &start, &stop, &step, &dir, &seq);
	unify_vars(L, &s->body, NULL);
	const char *name = s->target->id;
	Binding *b = lw_local_binding(L, name);
	/* `row op= ...` updates the row of `for row in A` in place; any other
	 * assignment would rebind the loop variable. */
	bool inplace_rows = seq && seq->ndim >= 2 && b->nassign == 0;
	if ((b->nassign + b->naug > 0 && !inplace_rows) ||
	    (b->val && !b->loopvar && b->val->kind != V_SYM))
		lw_unsupported(L, s->target->loc, "a loop variable that is also assigned elsewhere");
	const char *base = seq ? arena_printf(a, "_i%s", name) : name;
	const char *var = ir_program_fresh_name(L->ctx, L->p, base);
	for (int i = 0, n = 1; i < L->loops.len; i++) {
		if (strcmp(L->loops.data[i].var, var) != 0)
			continue;
		/* a helper's loop inside a caller's loop of the same name */
		if (i >= L->helper_loops)
			diag_fatal(L->ctx, s->target->loc, "loop variable '%s' is already used by an "
				   "enclosing loop", name);
		var = ir_program_fresh_name(L->ctx, L->p, arena_printf(a, "%s_%d", base, n++));
		i = -1;
	}
	IrBlock *blk = ir_block_new(L->ctx, CF_FOR, lw_stable_name(L, 'l', s->loc), s->loc);
	blk->loop.var = var;
	blk->loop.start = start;
	blk->loop.stop = stop;
	blk->loop.step = step;
	lw_append(L, blk);
	vec_push(a, &L->loops, ((LoopFact){ var, start, stop, dir }));
	L->loop_depth++;
	IrBlockList *saved = L->blocks;
	L->blocks = &blk->loop.body;
	Value *elem = seq ? lw_fix_dim(L, seq, 0, sym_var(a, var), s->target->loc) : NULL;
	if (elem && elem->ndim == 0)
		elem = lw_materialize(L, elem, name);
	L->blocks = saved;
	b = lw_local_binding(L, name);
	b->val = elem ? elem : lw_sym_value(L, sym_var(a, var), s->target->loc);
	b->depth = L->depth + 1;
	b->loopvar = false;
	b->poisoned = false;
	IrBlockList body = blk->loop.body;
	lower_into(L, &s->body, &body);
	blk->loop.body = body;
	L->loop_depth--;
	L->loops.len--;
	b = lw_local_binding(L, name);
	b->val = NULL;
	b->loopvar = true;
	forget_loop_values(L, var, name);
}

static void
lower_while(Lower *L, PyStmt *s)
{
	if (s->orelse.len)
		lw_unsupported(L, s->loc, "'else' clauses on loops");
	unify_vars(L, &s->body, NULL);
	IrBlock *blk = ir_block_new(L->ctx, CF_WHILE, lw_stable_name(L, 'l', s->loc), s->loc);
	lw_append(L, blk);
	/* The test is lowered inside the loop: when it needs states, they run
	 * at the top of every iteration, followed by `if not cond: break`. */
	IrBlockList *saved = L->blocks;
	int nrt = L->rtsyms.len;
	L->blocks = &blk->wloop.body;
	IrExpr *c = cond_of(L, lw_eval(L, s->test), s->test->loc);
	if (blk->wloop.body.len == 0) {
		blk->wloop.cond = c;
	} else {
		blk->wloop.cond = ir_expr_const_int(L->a, DT_BOOL, 1);
		IrBlock *br = ir_block_new(L->ctx, CF_IF, lw_stable_name(L, 'i', s->loc), s->loc);
		br->branch.n = 1;
		br->branch.conds = arena_alloc(L->a, sizeof(IrExpr *));
		br->branch.bodies = arena_alloc(L->a, sizeof(IrBlockList));
		br->branch.conds[0] = ir_expr_op1(L->a, OP_NOT, c);
		vec_push(L->a, &br->branch.bodies[0], ir_block_new(L->ctx, CF_BREAK, NULL, s->loc));
		lw_append(L, br);
	}
	L->loop_depth++;
	L->depth++;
	int region = L->region;
	enter_region(L);
	lw_lower_stmts(L, &s->body);
	end_byref_scope(L, s->loc);
	L->region = region;
	L->depth--;
	L->loop_depth--;
	L->blocks = saved;
	end_runtime_scope(L, nrt, s->loc);
}

static void
lower_if(Lower *L, PyStmt *s)
{
	unify_vars(L, &s->body, &s->orelse);
	IrExpr *c = cond_of(L, lw_eval(L, s->test), s->test->loc);
	IrBlock *blk = ir_block_new(L->ctx, CF_IF, lw_stable_name(L, 'i', s->loc), s->loc);
	IrBlockList body = { 0 };
	lower_into(L, &s->body, &body);
	lower_into(L, &s->orelse, &blk->branch.orelse);
	/* An elif whose test needed no states joins this if's branches. */
	IrBlockList *e = &blk->branch.orelse;
	IrBlock *inner = e->len == 1 && e->data[0]->kind == CF_IF && s->orelse.len == 1 &&
			 s->orelse.data[0]->is_elif ? e->data[0] : NULL;
	int n = 1 + (inner ? inner->branch.n : 0);
	blk->branch.n = n;
	blk->branch.conds = arena_alloc(L->a, sizeof(IrExpr *) * (size_t)n);
	blk->branch.bodies = arena_alloc(L->a, sizeof(IrBlockList) * (size_t)n);
	blk->branch.conds[0] = c;
	blk->branch.bodies[0] = body;
	if (inner) {
		memcpy(blk->branch.conds + 1, inner->branch.conds, sizeof(IrExpr *) * (size_t)(n - 1));
		memcpy(blk->branch.bodies + 1, inner->branch.bodies, sizeof(IrBlockList) * (size_t)(n - 1));
		blk->branch.orelse = inner->branch.orelse;
	}
	lw_append(L, blk);
}

/* Notes in ud[1] a run-time symbol that no CF_ASSIGN of the kernel
 * body's top-level list assigns. */
static void
note_rt_nested(const char *name, void *ud)
{
	void **u = ud;
	Lower *L = u[0];
	if (!lw_is_runtime_sym(L, name))
		return;
	const IrBlockList *l = &L->p->body;
	for (int i = 0; i < l->len; i++)
		if (l->data[i]->kind == CF_ASSIGN && strcmp(l->data[i]->assign.sym, name) == 0)
			return;
	u[1] = (void *)name;
}

/* The return containers of the kernel, made by its first return. A
 * shape over integers computed at run time is allowed when they are
 * computed at the top level of the kernel (not in a loop or branch):
 * the kernel then allocates that return once they are known (see
 * docs/cli.md). */
static void
store_return(Lower *L, Value *v, SrcLoc loc)
{
	IrProgram *p = L->p;
	int n = v->kind == V_TUPLE ? v->n : 1;
	if (p->returns.len && p->returns.len != n)
		diag_fatal(L->ctx, loc, "this return gives %d value%s but an earlier one gave %d",
			   n, n == 1 ? "" : "s", p->returns.len);
	bool first = p->returns.len == 0;
	for (int i = 0; i < n; i++) {
		Value *x = v->kind == V_TUPLE ? v->items[i] : v;
		if (x->kind == V_MASKED)
			x = lw_masked_keep(L, x, loc);
		if (!lw_is_numeric(x))
			lw_unsupported(L, loc, "returning this kind of value");
		DType t = value_dtype(x);
		void *ud[2] = { L, NULL };
		for (int d = 0; d < x->ndim; d++)
			sym_foreach_var(x->shape[d], note_rt_nested, ud);
		if (ud[1])
			lw_unsupported(L, loc, arena_printf(L->a, "returning an array whose size, "
						   "%s, is computed at run time inside a loop or branch "
						   "(compute the returned array before it)",
						   lw_shape_str(L, x->ndim, x->shape)));
		if (first) {
			const char *name = lw_new_transient(L, n == 1 ? "ret" : arena_printf(L->a, "ret%d", i),
							    t, x->ndim, x->shape, loc);
			ir_program_find_container(p, name)->role = ROLE_RETURN;
			vec_push(L->a, &p->returns, name);
		}
		IrContainer *c = ir_program_find_container(p, p->returns.data[i]);
		bool same = c->dtype == t && c->ndim == x->ndim;
		for (int d = 0; same && d < c->ndim; d++)
			same = sym_equal(c->shape[d], x->shape[d]);
		if (!same)
			lw_unsupported(L, loc, "returning values of different dtypes or shapes from one kernel");
		lw_store(L, lw_array_value(L, c->name, loc), x, WCR_NONE, loc);
	}
}

static void
lower_return(Lower *L, PyStmt *s, bool last_of_helper)
{
	if (L->scope->is_helper) {
		if (!last_of_helper)
			lw_unsupported(L, s->loc, "a return before the end of a helper function");
		L->scope->retval = s->value ? lw_eval(L, s->value) : NULL;
		return;
	}
	if (s->value)
		store_return(L, lw_eval(L, s->value), s->loc);
	else if (L->p->returns.len)
		diag_fatal(L->ctx, s->loc, "this return gives no value but another one does");
	lw_append(L, ir_block_new(L->ctx, CF_RETURN, NULL, s->loc));
}

static void lower_stmt_at(Lower *L, PyStmt *s, bool last);

/* `dfc check`: an error abandons its statement only. The names the
 * statement assigns are poisoned, so that statements reading them are
 * abandoned too, silently: each problem is reported once. */
static void
poison_targets(Lower *L, PyStmt *s)
{
	NameList names = { 0 };
	PyStmtList one = { 0 };
	vec_push(L->a, &one, s);
	collect_assigned(L, &one, &names);
	if (s->kind == PS_FOR && s->target->kind == PE_NAME)
		vec_push(L->a, &names, s->target->id);
	for (int i = 0; i < names.len; i++)
		lw_local_binding(L, names.data[i])->poisoned = true;
}

/* The parts of L a statement changes while it is lowered. */
typedef struct LowerMark {
	Scope *scope;
	IrBlockList *blocks;
	int loop_depth, depth, stmt_line, inline_depth, helper_loops, nloops, nrt, region;
} LowerMark;

static void
lower_stmt_recovering(Lower *L, PyStmt *s, bool last)
{
	LowerMark m = { L->scope, L->blocks, L->loop_depth, L->depth, L->stmt_line,
			L->inline_depth, L->helper_loops, L->loops.len, L->rtsyms.len, L->region };
	jmp_buf bail;
	jmp_buf *saved = L->ctx->bail;
	L->ctx->bail = &bail;
	if (setjmp(bail) == 0) {
		lower_stmt_at(L, s, last);
	} else {
		L->scope = m.scope;
		L->blocks = m.blocks;
		L->loop_depth = m.loop_depth;
		L->depth = m.depth;
		L->inline_depth = m.inline_depth;
		L->helper_loops = m.helper_loops;
		L->loops.len = m.nloops;
		L->rtsyms.len = m.nrt;
		L->region = m.region;
		poison_targets(L, s);
	}
	L->ctx->bail = saved;
	L->stmt_line = m.stmt_line;
}

/* Abandons the statement being checked without a new diagnostic (it reads
 * a name whose statement failed). Only in check mode. */
_Noreturn void
lw_bail_silently(Lower *L)
{
	if (!L->check || !L->ctx->bail)
		ICE("silent bail outside dfc check");
	longjmp(*L->ctx->bail, 1);
}

void
lw_lower_stmt(Lower *L, PyStmt *s, bool last)
{
	int saved = L->stmt_line;
	L->stmt_line = s->loc.line;
	/* even after a statement that dfc check abandoned */
	L->inplace = L->comparing = false;
	if (L->check)
		lower_stmt_recovering(L, s, last);
	else
		lower_stmt_at(L, s, last);
	L->stmt_line = saved;
}

static void
lower_stmt_at(Lower *L, PyStmt *s, bool last)
{
	switch (s->kind) {
	case PS_EXPR:
		if (s->value->kind != PE_STR)
			lw_eval(L, s->value);
		return;
	case PS_ASSIGN: case PS_ANNASSIGN: {
		if (!s->value)
			return;
		Value *v = lw_eval(L, s->value);
		if (s->targets.len > 1 && v->kind == V_EXPR)
			v = lw_materialize(L, v, "tmp");
		for (int i = 0; i < s->targets.len; i++)
			assign_target(L, s->targets.data[i], v);
		return;
	}
	case PS_AUGASSIGN: lower_augassign(L, s); return;
	case PS_FOR: lower_for(L, s); return;
	case PS_WHILE: lower_while(L, s); return;
	case PS_IF: lower_if(L, s); return;
	case PS_RETURN: lower_return(L, s, last); return;
	case PS_BREAK: case PS_CONTINUE:
		if (L->loop_depth == 0)
			diag_fatal(L->ctx, s->loc, "'%s' outside loop",
				   s->kind == PS_BREAK ? "break" : "continue");
		lw_append(L, ir_block_new(L->ctx, s->kind == PS_BREAK ? CF_BREAK : CF_CONTINUE, NULL, s->loc));
		return;
	case PS_PASS: return;
	case PS_IMPORT: lw_unsupported(L, s->loc, "imports inside functions");
	case PS_DEF: lw_unsupported(L, s->loc, "nested functions");
	case PS_GLOBAL: case PS_OTHER:
		lw_unsupported(L, s->loc, arena_printf(L->a, "'%s' statements", s->kw ? s->kw : "this statement"));
	}
}

void
lw_lower_stmts(Lower *L, PyStmtList *body)
{
	for (int i = 0; i < body->len; i++)
		lw_lower_stmt(L, body->data[i], false);
}

/* ---- expressions ---- */

/* Does evaluating v (a branch of `a if c else b`) read only elements known
 * to exist? Views and whole arrays do; an element read at an index not
 * provably in [0, extent), or at a data-dependent one, may not. */
static bool
reads_in_bounds(Lower *L, Value *v)
{
	if (v->kind == V_ARRAY && v->ndim == 0)
		v = lw_to_expr(L, v);
	if (v->kind != V_EXPR || v->ndim > 0)
		return true;
	for (int k = 0; k < v->nreads; k++) {
		const Read *r = &v->reads[k];
		if (r->range)
			return false;
		IrContainer *c = ir_program_find_container(L->p, r->data);
		for (int d = 0; d < r->ndim; d++)
			if (!lw_provable_le(L, sym_const(L->a, 0), r->idx[d]) ||
			    !lw_provable_le(L, sym_add(L->a, r->idx[d], sym_const(L->a, 1)), c->shape[d]))
				return false;
	}
	return true;
}

/* a if c else b: Python evaluates only the branch that c chooses. A
 * constant c chooses at compile time; branches that need no states and
 * read only elements that exist are computed both and selected (a where);
 * otherwise each branch runs under an if and stores into a temporary. */
static Value *
eval_ifexp(Lower *L, PyExpr *e)
{
	Value *c = lw_eval(L, e->cond);
	int64_t k;
	if (c->kind == V_CONST && !dtype_is_complex(c->dtype) && !dtype_is_float(c->dtype))
		return lw_eval(L, c->ival ? e->lhs : e->rhs);
	if (c->kind == V_SYM && sym_is_const(c->sym, &k))
		return lw_eval(L, k ? e->lhs : e->rhs);
	IrBlockList *saved = L->blocks, lb = { 0 }, rb = { 0 };
	int nrt = L->rtsyms.len;
	L->blocks = &lb;
	Value *x = lw_eval(L, e->lhs);
	L->blocks = &rb;
	Value *y = lw_eval(L, e->rhs);
	L->blocks = saved;
	if (!lb.len && !rb.len && L->rtsyms.len == nrt && reads_in_bounds(L, x) &&
	    reads_in_bounds(L, y))
		return lw_where(L, c, x, y, e->loc);
	IrExpr *cond = cond_of(L, c, e->cond->loc);
	int n;
	Sym **shape;
	if (!lw_is_numeric(x) || !lw_is_numeric(y) || !lw_broadcast_shapes(L, x, y, &n, &shape))
		return lw_where(L, c, x, y, e->loc);     /* its located error */
	Value *t = lw_new_array(L, "tmp", lw_result_dtype(x, y), n, shape, e->loc);
	IrBlock *blk = ir_block_new(L->ctx, CF_IF, lw_stable_name(L, 'i', e->loc), e->loc);
	blk->branch.n = 1;
	blk->branch.conds = arena_alloc(L->a, sizeof(IrExpr *));
	blk->branch.bodies = arena_alloc(L->a, sizeof(IrBlockList));
	blk->branch.conds[0] = cond;
	L->blocks = &lb;
	lw_store(L, t, lw_cast(L, x, t->dtype), WCR_NONE, e->loc);
	L->blocks = &rb;
	lw_store(L, t, lw_cast(L, y, t->dtype), WCR_NONE, e->loc);
	L->blocks = saved;
	blk->branch.bodies[0] = lb;
	blk->branch.orelse = rb;
	lw_append(L, blk);
	end_runtime_scope(L, nrt, e->loc);
	return t;
}

static Value *
eval_compare(Lower *L, PyExpr *e)
{
	static const struct { const char *s; IrOp op; } cmps[] = {
		{ "<", OP_LT }, { "<=", OP_LE }, { ">", OP_GT }, { ">=", OP_GE },
		{ "==", OP_EQ }, { "!=", OP_NE },
	};
	Value *left = lw_eval(L, e->lhs), *result = NULL;
	for (int i = 0; i < e->ops.len; i++) {
		IrOp op = OP_COUNT;
		for (size_t k = 0; k < sizeof cmps / sizeof *cmps; k++)
			if (strcmp(cmps[k].s, e->ops.data[i]) == 0)
				op = cmps[k].op;
		if (op == OP_COUNT)
			lw_unsupported(L, e->loc, arena_printf(L->a, "the '%s' operator", e->ops.data[i]));
		Value *right = lw_eval(L, e->items.data[i]);
		Value *c = lw_binary(L, op, left, right, e->loc, e->ops.data[i]);
		result = result ? lw_binary(L, OP_AND, result, c, e->loc, "and") : c;
		left = right;
	}
	return result;
}

static Value *
eval_name(Lower *L, PyExpr *e)
{
	Binding *b = lw_lookup(L, e->id);
	if (b && b->poisoned)
		lw_bail_silently(L);
	if (b && b->val)
		return b->val;
	if (b && b->loopvar)
		lw_unsupported(L, e->loc, arena_printf(L->a, "using the loop variable '%s' after "
						       "its loop", e->id));
	if (b && b->from_loop)
		lw_unsupported(L, e->loc, arena_printf(L->a, "using '%s' after the loop that "
						       "computes it from the loop variable '%s'", e->id,
						       b->from_loop));
	if (b && b->scoped_out)
		lw_unsupported(L, e->loc, b->scoped_out);
	for (int i = 0; i < L->helpers.len; i++)
		if (strcmp(L->helpers.data[i]->name, e->id) == 0)
			lw_unsupported(L, e->loc, "functions as values");
	/* The builtin types, as dtype= arguments: float, int, bool, complex. */
	static const struct { const char *name; DType t; } types[] = {
		{ "float", DT_FLOAT64 }, { "int", DT_INT64 }, { "bool", DT_BOOL },
		{ "complex", DT_COMPLEX128 },
	};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		if (strcmp(types[i].name, e->id) != 0)
			continue;
		Value *v = lw_value_new(L, V_DTYPE, e->loc);
		v->dtype = types[i].t;
		return v;
	}
	diag_fatal(L->ctx, e->loc, "name '%s' is not defined", e->id);
}

static Value *
eval_tuple(Lower *L, PyExpr *e)
{
	Value *t = lw_value_new(L, V_TUPLE, e->loc);
	t->n = e->items.len;
	t->items = arena_alloc(L->a, sizeof(Value *) * (size_t)(t->n + 1));
	for (int i = 0; i < t->n; i++)
		t->items[i] = lw_eval(L, e->items.data[i]);
	return t;
}

static Value *
eval_unary(Lower *L, PyExpr *e)
{
	Value *x = lw_eval(L, e->lhs);
	switch (e->op[0]) {
	case '-': return lw_unary(L, OP_NEG, x, e->loc);
	case '~': return lw_unary(L, OP_BITNOT, x, e->loc);
	case 'n': return lw_unary(L, OP_NOT, x, e->loc);
	default:
		if (!lw_is_numeric(x))
			diag_fatal(L->ctx, e->loc, "bad operand for unary +");
		return x;
	}
}

Value *
lw_eval(Lower *L, PyExpr *e)
{
	Value *v;
	switch (e->kind) {
	case PE_NAME: return eval_name(L, e);
	case PE_INT: return lw_const_int(L, e->ival, e->loc);
	case PE_FLOAT: return lw_const_float(L, e->fval, e->loc);
	case PE_BOOL:
		v = lw_const_int(L, e->ival != 0, e->loc);
		v->dtype = DT_BOOL;
		return v;
	case PE_NONE: return lw_value_new(L, V_NONE, e->loc);
	case PE_BINOP:
		return apply_binop(L, e->op, lw_eval(L, e->lhs), lw_eval(L, e->rhs), e->loc);
	case PE_UNARY: return eval_unary(L, e);
	case PE_BOOLOP: {
		Value *x = lw_eval(L, e->lhs), *y = lw_eval(L, e->rhs);
		if (!lw_is_scalar(x) || !lw_is_scalar(y))
			diag_fatal(L->ctx, e->loc, "'%s' of arrays is ambiguous (use & or |)", e->op);
		return lw_binary(L, e->op[0] == 'a' ? OP_AND : OP_OR, x, y, e->loc, e->op);
	}
	case PE_COMPARE: return eval_compare(L, e);
	case PE_CALL: return lw_call(L, e);
	case PE_ATTR: return lw_attr(L, e);
	case PE_SUBSCRIPT: return lw_subscript(L, lw_eval(L, e->lhs), e);
	case PE_TUPLE: return eval_tuple(L, e);
	case PE_IFEXP: return eval_ifexp(L, e);
	case PE_IMAG: return lw_const_complex(L, 0.0, e->fval, e->loc);
	case PE_STR: lw_unsupported(L, e->loc, "strings in expressions");
	case PE_LIST: lw_unsupported(L, e->loc, "lists");
	case PE_DICT: lw_unsupported(L, e->loc, "dicts and sets");
	case PE_LAMBDA: lw_unsupported(L, e->loc, "lambda expressions");
	case PE_COMP: lw_unsupported(L, e->loc, "comprehensions");
	case PE_SLICE: diag_fatal(L->ctx, e->loc, "a slice is only valid inside []");
	case PE_ELLIPSIS: lw_unsupported(L, e->loc, "'...' here");
	case PE_STARRED: lw_unsupported(L, e->loc, "'*' expressions");
	}
	UNREACHABLE();
}
