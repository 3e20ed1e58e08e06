/* passes/scalar_to_symbol.c — scalar-to-symbol: an integer scalar computed
 * from symbols becomes a symbol.
 *
 * Site: a state. It must hold one tasklet without inputs writing, without
 * WCR, a 0-d int64 transient x from an expression that the symbolic engine
 * represents exactly: int64 constants and symbols joined by add, sub, mul,
 * neg, minimum, maximum, and floordiv/mod by a positive constant. The
 * value must be provably >= 0, since every symbol is assumed to be (see
 * ir/ir.h). As for constant-propagation, the state must be the only write
 * of x, and every read must lie in a block after the state in the block
 * list holding it (or nested in one), so each read sees the value of the
 * latest run of the state; reads are memlets ending (through map entries)
 * at tasklet input connectors, and loop or branch conditions.
 *
 * The apply replaces the state by a CF_ASSIGN block `assign x = value`
 * (the symbol keeps the container's name, or gets a fresh one when a loop
 * variable or map parameter already has it), the reads by EX_SYM of the
 * symbol, removes the access nodes and memlets of x and drops the
 * container. A CF_ASSIGN captures the value when it runs, so a later
 * change of the value's symbols (a loop variable stepping) cannot change
 * what the reads see.
 */
#include <string.h>

#include "passes.h"

/* ---- the value as a symbolic expression ---- */

static Sym *to_sym(Arena *a, const IrExpr *e);

static Sym *
op_to_sym(Arena *a, const IrExpr *e)
{
	Sym *x = e->n > 0 ? to_sym(a, e->args[0]) : NULL;
	Sym *y = e->n > 1 ? to_sym(a, e->args[1]) : NULL;
	int64_t c;
	if (!x || (e->n > 1 && !y))
		return NULL;
	switch (e->op) {
	case OP_ADD: return sym_add(a, x, y);
	case OP_SUB: return sym_sub(a, x, y);
	case OP_MUL: return sym_mul(a, x, y);
	case OP_NEG: return sym_neg(a, x);
	case OP_MIN: return sym_min(a, x, y);
	case OP_MAX: return sym_max(a, x, y);
	case OP_FLOORDIV:
	case OP_MOD:
		if (!sym_is_const(y, &c) || c <= 0)
			return NULL;
		return e->op == OP_MOD ? sym_mod(a, x, y) : sym_floordiv(a, x, y);
	default:
		return NULL;
	}
}

/* e as a Sym, or NULL when it is not an int64 expression of constants and
 * symbols that the engine represents exactly. */
static Sym *
to_sym(Arena *a, const IrExpr *e)
{
	if (e->dtype != DT_INT64)
		return NULL;
	switch (e->kind) {
	case EX_CONST:
		return sym_const(a, e->ival);
	case EX_SYM:
		return sym_var(a, e->name);
	case EX_CAST:
		return e->args[0]->dtype == DT_INT64 ? to_sym(a, e->args[0]) : NULL;
	case EX_OP:
		return op_to_sym(a, e);
	default:
		return NULL;
	}
}

/* ---- expressions ---- */

/* ---- the site ---- */

typedef struct SymSite {
	IrBlock *block;         /* the writing state's block */
	IrBlockList *list;      /* list->data[index] == block */
	int index;
	const char *data;       /* the 0-d transient */
	Sym *value;
} SymSite;

/* The memlet leaving the tasklet of s, when s holds one tasklet; else -1. */
static int
tasklet_write(const IrState *s)
{
	int t = -1, w = -1;
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_TASKLET)
			t = t < 0 ? i : s->nodes.len;
	for (int i = 0; t >= 0 && i < s->memlets.len; i++)
		if (s->memlets.data[i].src == t)
			w = w < 0 ? i : s->memlets.len;
	return t >= 0 && t < s->nodes.len && w >= 0 && w < s->memlets.len ? w : -1;
}

/* Sets *t to the tasklet of s when s is one tasklet without inputs
 * writing one element of a container (s's only memlet); else the reason. */
static const char *
single_write(Ctx *ctx, const char *name, const IrState *s, const IrNode **t)
{
	int w = tasklet_write(s);
	const IrMemlet *m = w >= 0 ? &s->memlets.data[w] : NULL;
	*t = m ? &s->nodes.data[m->src] : NULL;
	if (m && m->data && (*t)->tasklet.nin > 0)
		return arena_printf(ctx->arena, "the value written to %s reads data, not only "
				    "constants and symbols", m->data);
	if (!m || s->nodes.len != 2 || s->memlets.len != 1 || !m->data ||
	    !pass_is_access_of(s, m->dst, m->data) || (*t)->tasklet.nout_index != 0)
		return arena_printf(ctx->arena, "%s is not a single scalar write (one tasklet "
				    "writing one container)", name);
	return NULL;
}

/* Fills ss from the state named by site; else the reason. */
static const char *
sym_site(Ctx *ctx, const XSite *site, SymSite *ss)
{
	Arena *a = ctx->arena;
	const char *name = site->names[0];
	const IrNode *t;
	ss->block = pass_find_block(site->p, name, &ss->list, &ss->index);
	if (!ss->block || ss->block->kind != CF_STATE)
		return arena_printf(a, "'%s' is not a state", name);
	const IrState *s = ss->block->state;
	const char *why = single_write(ctx, name, s, &t);
	if (why)
		return why;
	const IrMemlet *m = &s->memlets.data[0];
	const IrContainer *c = ir_program_find_container(site->p, m->data);
	ss->data = m->data;
	if (c->ndim != 0)
		return arena_printf(a, "%s writes the array %s, not a scalar", name, c->name);
	if (c->role != ROLE_TRANSIENT)
		return arena_printf(a, "%s is %s of the program", c->name,
				    c->role == ROLE_ARGUMENT ? "an argument" : "a return value");
	if (c->dtype != DT_INT64 || t->tasklet.out.dtype != DT_INT64)
		return arena_printf(a, "%s is of dtype %s, not int64", c->name,
				    dtype_name(c->dtype));
	if (m->wcr != WCR_NONE)
		return arena_printf(a, "%s is written with WCR (%s)", c->name, ir_wcr_name(m->wcr));
	ss->value = to_sym(a, t->tasklet.expr);
	if (!ss->value)
		return arena_printf(a, "the value of %s, %s, is not a symbolic expression "
				    "(int64 constants and symbols with add, sub, mul, minimum, "
				    "maximum, floordiv or mod by a positive constant)", c->name,
				    ir_expr_print(a, t->tasklet.expr));
	if (sym_le(sym_const(a, 0), ss->value) != T_TRUE)
		return arena_printf(a, "the value of %s, %s, may be negative (symbols are "
				    ">= 0)", c->name, sym_print(a, ss->value));
	return NULL;
}

static const char *
scalar_to_symbol_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	(void)ps;
	SymSite ss;
	const char *why = sym_site(ctx, site, &ss);
	if (why)
		return why;
	return pass_sole_write_check(ctx, site->p, ss.data, ss.block, ss.list, ss.index);
}

/* ---- apply ---- */



/* ---- the symbol's name ---- */

static bool
state_has_param(const IrState *s, const char *name)
{
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		for (int k = 0; n->kind == IRN_MAP_ENTRY && k < n->map.nparams; k++)
			if (strcmp(n->map.params[k], name) == 0)
				return true;
	}
	return false;
}

/* Is name a loop variable or map parameter somewhere in l? */
static bool
list_binds(const IrBlockList *l, const char *name)
{
	bool found = false;
	for (int i = 0; i < l->len && !found; i++) {
		const IrBlock *b = l->data[i];
		if (b->kind == CF_STATE)
			found = state_has_param(b->state, name);
		else if (b->kind == CF_FOR)
			found = strcmp(b->loop.var, name) == 0 || list_binds(&b->loop.body, name);
		else if (b->kind == CF_WHILE)
			found = list_binds(&b->wloop.body, name);
		else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n && !found; k++)
				found = list_binds(&b->branch.bodies[k], name);
			found = found || list_binds(&b->branch.orelse, name);
		}
	}
	return found;
}

/* The container's name when nothing else binds it (call after dropping
 * the container), else data_1, data_2... */
static const char *
symbol_name(Ctx *ctx, IrProgram *p, const char *data)
{
	const char *n = ir_program_fresh_name(ctx, p, data);
	for (long i = 1; list_binds(&p->body, n); i++)
		n = ir_program_fresh_name(ctx, p, arena_printf(ctx->arena, "%s_%ld", data, i));
	return n;
}

static void
scalar_to_symbol_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	(void)ps;
	SymSite ss;
	if (sym_site(ctx, site, &ss))
		ICE("scalar-to-symbol applied where check refuses");
	IrBlock *w = ss.block;
	pass_container_remove(site->p, ss.data);
	const char *sym = symbol_name(ctx, site->p, ss.data);
	IrBlock *b = ir_block_new(ctx, CF_ASSIGN, NULL, w->loc);
	b->assign.sym = sym;
	b->assign.value = ss.value;
	ss.list->data[ss.index] = b;
	pass_scalar_replace_reads(ctx, &site->p->body, ss.data, ir_expr_sym(ctx->arena, sym), NULL);
}

typedef struct Match {
	Ctx *ctx;
	IrProgram *p;
	XSiteList *out;
} Match;

static void
match_state(IrState *s, IrBlock *b, void *ud)
{
	(void)s;
	Match *M = ud;
	XSite site = { .p = M->p, .n = 1, .names = { b->name } };
	if (b->name && !scalar_to_symbol_check(M->ctx, &site, NULL))
		vec_push(M->ctx->arena, M->out, site);
}

static void
scalar_to_symbol_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	Match M = { ctx, p, out };
	pass_foreach_state(p, match_state, &M);
}

const Xform xform_scalar_to_symbol = {
	.name = "scalar-to-symbol",
	.desc = "turns an integer scalar computed once from symbols into a symbol assigned "
		"in program order",
	.nsites = 1,
	.params = NULL,
	.match = scalar_to_symbol_match,
	.check = scalar_to_symbol_check,
	.apply = scalar_to_symbol_apply,
};
