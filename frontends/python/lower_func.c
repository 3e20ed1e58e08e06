/* frontends/python/lower_func.c — functions: inlined helpers and kernels.
 *
 * A def with a signature (DESIGN §3: a "# dfc:" comment above it, --sig,
 * or string annotations on every parameter) is a kernel: it becomes one
 * IrProgram whose parameters are its arguments and size symbols, and whose
 * body lowers statement by statement (lower.c). Other module-level defs
 * are helpers, inlined at each call in a scope of their own that sees
 * nothing of the caller's; a helper that returns early is rewritten first
 * (lower_return.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lower.h"

/* ---- helpers (inlined) ---- */

/* The value of a helper rewritten for early returns: its result names.
 * Arrays are copied out of the result containers, which the next inlining
 * of a call in the same loop overwrites (Python returns a new object). */
static Value *
helper_result(Lower *L, int nret, const char **ret, SrcLoc loc)
{
	if (nret == 0)
		return NULL;
	Value *t = lw_value_new(L, V_TUPLE, loc);
	t->n = nret;
	t->items = arena_alloc(L->a, sizeof(Value *) * (size_t)nret);
	for (int i = 0; i < nret; i++) {
		Binding *b = lw_scope_find(L->scope, ret[i]);
		if (!b || !b->val)
			ICE("helper result '%s' was never assigned", ret[i]);
		Value *v = b->val;
		t->items[i] = v->kind == V_ARRAY ? lw_materialize(L, v, ret[i]) : v;
	}
	return nret == 1 ? t->items[0] : t;
}

Value *
lw_call_helper(Lower *L, PyStmt *def, PyExpr *call)
{
	if (L->inline_depth >= 32)
		lw_unsupported(L, call->loc, "recursive helper functions");
	int np = def->params.len;
	Value **args = arena_alloc(L->a, sizeof(Value *) * (size_t)(np + 1));
	if (call->items.len > np)
		diag_fatal(L->ctx, call->loc, "%s() takes %d positional arguments but %d were given",
			   def->name, np, call->items.len);
	for (int i = 0; i < call->items.len; i++)
		args[i] = lw_eval(L, call->items.data[i]);
	for (int k = 0; k < call->kwnames.len; k++) {
		int i = 0;
		while (i < np && strcmp(def->params.data[i].name, call->kwnames.data[k]) != 0)
			i++;
		if (i == np || args[i])
			diag_fatal(L->ctx, call->kwvalues.data[k]->loc, "%s() got an unexpected or "
				   "repeated keyword argument '%s'", def->name, call->kwnames.data[k]);
		args[i] = lw_eval(L, call->kwvalues.data[k]);
	}
	/* Arguments are objects in Python: lazy ones are computed once, here. */
	for (int i = 0; i < np; i++) {
		if (!args[i] && def->params.data[i].defval)
			args[i] = lw_eval(L, def->params.data[i].defval);
		if (!args[i])
			diag_fatal(L->ctx, call->loc, "%s() missing argument '%s'", def->name,
				   def->params.data[i].name);
		if (args[i]->kind == V_EXPR)
			args[i] = lw_materialize(L, args[i], def->params.data[i].name);
		else if (args[i]->kind == V_MASKED)
			args[i] = lw_masked_keep(L, args[i], call->loc);
	}
	Scope sc = { .parent = L->scope, .is_helper = true };
	while (sc.parent->parent)
		sc.parent = sc.parent->parent;
	Scope *saved = L->scope;
	L->scope = &sc;
	for (int i = 0; i < np; i++) {
		Binding *b = lw_local_binding(L, def->params.data[i].name);
		b->val = args[i];
		b->nassign = 1;
	}
	int nret;
	const char **ret;
	PyStmtList *body = lw_helper_body(L, def, &nret, &ret);
	lw_count_assignments(L, body);
	int saved_loops = L->helper_loops;
	L->helper_loops = L->loops.len;
	L->inline_depth++;
	int nerrors = L->ctx->nerrors;
	for (int i = 0; i < body->len; i++)
		lw_lower_stmt(L, body->data[i], i == body->len - 1);
	if (L->check && L->ctx->nerrors > nerrors)
		lw_bail_silently(L);
	L->inline_depth--;
	L->helper_loops = saved_loops;
	Value *r = nret >= 0 ? helper_result(L, nret, ret, call->loc) : sc.retval;
	L->scope = saved;
	return r ? r : lw_value_new(L, V_NONE, call->loc);
}
/* ---- kernels ---- */

/* The "# dfc: ..." comment directly above `def` (or its decorators). */
static const PyComment *
sig_comment(Lower *L, PyStmt *def)
{
	int line = def->loc.line;
	for (int i = 0; i < def->decorators.len; i++)
		if (def->decorators.data[i]->loc.line < line)
			line = def->decorators.data[i]->loc.line;
	PyTokens *t = L->mod->tokens;
	for (int i = 0; i < t->comments.len; i++) {
		PyComment *c = &t->comments.data[i];
		if (c->loc.line == line - 1 && strncmp(c->text, "dfc:", 4) == 0)
			return c;
	}
	return NULL;
}

/* The signature text of a "# dfc:" comment and where it starts (the
 * comment's loc is its first character after '#' and spaces). */
static const char *
comment_sig(const PyComment *c, SrcLoc *loc)
{
	const char *s = c->text + 4;
	while (*s == ' ' || *s == '\t')
		s++;
	*loc = c->loc;
	loc->col += (int)(s - c->text);
	return s;
}

/* The signature of def from string annotations on every parameter. */
static PySig *
annotation_sig(Lower *L, PyStmt *def)
{
	if (def->params.len == 0)
		return NULL;
	for (int i = 0; i < def->params.len; i++) {
		PyExpr *a = def->params.data[i].annotation;
		if (!a || a->kind != PE_STR || a->op)
			return NULL;
	}
	PySig *sig = arena_alloc(L->a, sizeof(*sig));
	sig->func = def->name;
	sig->loc = def->loc;
	sig->nparams = def->params.len;
	sig->params = arena_alloc(L->a, sizeof(PySigParam) * (size_t)sig->nparams);
	for (int i = 0; i < sig->nparams; i++) {
		PyExpr *a = def->params.data[i].annotation;
		SrcLoc loc = a->loc;
		loc.col++;
		if (!py_sig_parse_type(L->ctx, a->str, loc, &sig->params[i]))
			longjmp(*L->ctx->bail, 1);
		sig->params[i].name = def->params.data[i].name;
		sig->params[i].loc = def->params.data[i].loc;
	}
	return sig;
}

static PySig *
kernel_sig(Lower *L, PyStmt *def, PySig *cli)
{
	if (cli && strcmp(cli->func, def->name) == 0)
		return cli;
	const PyComment *c = sig_comment(L, def);
	if (c) {
		SrcLoc loc;
		const char *text = comment_sig(c, &loc);
		PySig *sig = py_sig_parse(L->ctx, text, loc);
		if (!sig)
			longjmp(*L->ctx->bail, 1);
		if (strcmp(sig->func, def->name) != 0)
			diag_fatal(L->ctx, loc, "this signature is for '%s' but the function below it "
				   "is '%s'", sig->func, def->name);
		return sig;
	}
	return annotation_sig(L, def);
}

/* Is `name` a dimension of some parameter of sig? */
static bool
is_size_of(const PySig *sig, const char *name)
{
	for (int i = 0; i < sig->nparams; i++)
		for (int d = 0; d < sig->params[i].ndim; d++)
			if (strcmp(sig->params[i].dims[d], name) == 0)
				return true;
	return false;
}

static void
add_param(Lower *L, const PySig *sig, const PySigParam *sp, SrcLoc loc)
{
	Arena *a = L->a;
	IrProgram *p = L->p;
	Binding *b = lw_local_binding(L, sp->name);
	if (ir_is_c_keyword(sp->name))
		diag_fatal(L->ctx, loc, "parameter '%s' cannot be compiled: its name is reserved "
			   "in C; please rename it", sp->name);
	for (int d = 0; d < sp->ndim; d++)
		if (ir_is_c_keyword(sp->dims[d]) || strcmp(sp->dims[d], "min") == 0 ||
		    strcmp(sp->dims[d], "max") == 0)
			diag_fatal(L->ctx, sp->loc, "size symbol '%s' cannot be compiled: its name is "
				   "reserved (in C or in size expressions); please rename it", sp->dims[d]);
	/* An integer scalar is a symbol (usable in sizes, slices and ranges)
	 * unless the kernel assigns to it: then it is an ordinary scalar. */
	if (sp->ndim == 0 && dtype_is_int(sp->dtype) &&
	    (b->nassign + b->naug == 0 || is_size_of(sig, sp->name))) {
		if (!ir_program_has_symbol(p, sp->name))
			ir_program_add_symbol(L->ctx, p, sp->name);
		vec_push(a, &p->args, ((IrArg){ ARG_SYMBOL, sp->name }));
		b->val = lw_sym_value(L, sym_var(a, sp->name), loc);
		if (b->nassign + b->naug)
			diag_fatal(L->ctx, loc, "integer parameter '%s' is also a size of another "
				   "parameter, so it cannot be assigned in the kernel", sp->name);
		return;
	}
	Sym **shape = arena_alloc(a, sizeof(Sym *) * (size_t)(sp->ndim + 1));
	for (int d = 0; d < sp->ndim; d++) {
		const char *dim = sp->dims[d];
		if (dim[0] >= '0' && dim[0] <= '9') {
			shape[d] = sym_const(a, strtoll(dim, NULL, 10));
			continue;
		}
		if (!ir_program_has_symbol(p, dim))
			ir_program_add_symbol(L->ctx, p, dim);
		shape[d] = sym_var(a, dim);
	}
	if (ir_program_find_container(p, sp->name) || ir_program_has_symbol(p, sp->name))
		diag_fatal(L->ctx, sp->loc, "'%s' is used both as a parameter and as a size symbol",
			   sp->name);
	ir_program_add_container(L->ctx, p, sp->name, sp->dtype, sp->ndim, shape,
				 ROLE_ARGUMENT, sp->loc);
	vec_push(a, &p->args, ((IrArg){ ARG_DATA, sp->name }));
	b->val = lw_array_value(L, sp->name, loc);
	b->nassign++;
	if (sp->ndim == 0)
		b->var = sp->name;
}

/* A kernel's name and parameters name C identifiers and the keyword
 * arguments of the wrapper: ASCII only (Python allows more). */
static void
require_ascii(Lower *L, SrcLoc loc, const char *what, const char *name)
{
	for (const char *q = name; *q; q++)
		if ((unsigned char)*q >= 0x80)
			diag_fatal(L->ctx, loc, "%s '%s' must be an ASCII identifier (it names a C "
				   "identifier of the generated code)", what, name);
}

static void
lower_kernel(Lower *L, PyStmt *def, PySig *sig, Scope *modscope)
{
	if (sig->nparams != def->params.len)
		diag_fatal(L->ctx, sig->loc, "the signature has %d parameters but '%s' has %d",
			   sig->nparams, def->name, def->params.len);
	if (ir_is_c_keyword(def->name))
		diag_fatal(L->ctx, def->loc, "kernel '%s' cannot be compiled: its name is reserved "
			   "in C; please rename it", def->name);
	require_ascii(L, def->loc, "kernel name", def->name);
	for (int i = 0; i < def->params.len; i++)
		require_ascii(L, def->params.data[i].loc, "parameter", def->params.data[i].name);
	L->p = ir_program_new(L->ctx, L->irm, def->name, def->loc);
	L->names.len = 0;
	L->states.len = 0;
	L->rtsyms.len = 0;
	L->rtall.len = 0;
	Scope sc = { .parent = modscope };
	L->scope = &sc;
	L->blocks = &L->p->body;
	lw_count_assignments(L, &def->body);
	for (int i = 0; i < sig->nparams; i++) {
		if (strcmp(sig->params[i].name, def->params.data[i].name) != 0)
			diag_fatal(L->ctx, sig->params[i].loc, "the signature names parameter %d '%s' "
				   "but the function calls it '%s'", i + 1, sig->params[i].name,
				   def->params.data[i].name);
		add_param(L, sig, &sig->params[i], def->params.data[i].loc);
	}
	lw_lower_stmts(L, &def->body);
	L->scope = modscope;
}

static void
module_import(Lower *L, PyStmt *s, Scope *modscope)
{
	/* numpy, and math for its scalar functions (math.sqrt, math.pi...),
	 * which NumPy's functions of the same names compute alike. */
	if (s->names.len == 0 && (strcmp(s->module, "numpy") == 0 || strcmp(s->module, "math") == 0)) {
		const char *as = s->asnames.len && s->asnames.data[0] ? s->asnames.data[0] : s->module;
		Scope *saved = L->scope;
		L->scope = modscope;
		Value *v = lw_value_new(L, V_MODULE, s->loc);
		v->ival = strcmp(s->module, "math") == 0;   /* 1: math, 0: numpy */
		lw_local_binding(L, as)->val = v;
		L->scope = saved;
	}
	/* Other imports only matter if a kernel uses them: then the names are
	 * reported as unknown where they are used. */
}

/* Lowers one kernel; in check mode an error in its signature or
 * parameters is reported and the next kernel is checked. */
static void
lower_if_kernel(Lower *L, PyStmt *def, PySig *cli, Scope *modscope, bool *found_cli)
{
	PySig *sig = kernel_sig(L, def, cli);
	if (!sig)
		return;
	*found_cli = *found_cli || sig == cli;
	lower_kernel(L, def, sig, modscope);
}

/* Lowers def if it is a kernel; in check mode an error in its signature or
 * parameters is reported and the next kernel is checked. */
static void
lower_if_kernel_checked(Lower *L, PyStmt *def, PySig *cli, Scope *modscope, bool *found_cli)
{
	if (!L->check) {
		lower_if_kernel(L, def, cli, modscope, found_cli);
		return;
	}
	jmp_buf bail;
	jmp_buf *saved = L->ctx->bail;
	L->ctx->bail = &bail;
	if (setjmp(bail) == 0)
		lower_if_kernel(L, def, cli, modscope, found_cli);
	L->ctx->bail = saved;
	L->scope = modscope;
}

static IrModule *lower_file(Ctx *ctx, const char *path, const char *cli_sig, bool check);

/* Records a module-level def. Python keeps the last definition of a name,
 * which every call made after the import then uses; dfc needs one per name
 * (a kernel's symbols, a helper's inlining), so a second one is an error. */
static void
add_function(Lower *L, PyStmt *def)
{
	for (int i = 0; i < L->helpers.len; i++) {
		PyStmt *d = L->helpers.data[i];
		if (strcmp(d->name, def->name) == 0) {
			diag_error(L->ctx, def->loc, "function '%s' is defined twice (first at line %d): "
				   "dfc compiles one definition per name; rename or remove one",
				   def->name, d->loc.line);
			return;
		}
	}
	vec_push(L->a, &L->helpers, def);
}

IrModule *
py_lower_file(Ctx *ctx, const char *path, const char *cli_sig)
{
	return lower_file(ctx, path, cli_sig, false);
}

IrModule *
py_check_file(Ctx *ctx, const char *path, const char *cli_sig)
{
	return lower_file(ctx, path, cli_sig, true);
}

static IrModule *
lower_file(Ctx *ctx, const char *path, const char *cli_sig, bool check)
{
	size_t len;
	char *text = file_read(ctx->arena, path, &len);
	if (!text)
		diag_fatal(ctx, (SrcLoc){ path, 0, 0 }, "cannot read file: %s", strerror(errno));
	ctx_add_source(ctx, path, text, len);
	Lower L = { .ctx = ctx, .a = ctx->arena, .check = check };
	L.mod = py_parse(ctx, path, text, len);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	L.irm = ir_module_new(ctx, arena_strndup(ctx->arena, base, dot ? (size_t)(dot - base) : strlen(base)), path);
	if (cli_sig)
		ctx_add_source(ctx, "--sig", cli_sig, strlen(cli_sig));
	PySig *cli = cli_sig ? py_sig_parse(ctx, cli_sig, (SrcLoc){ "--sig", 1, 1 }) : NULL;
	if (cli_sig && !cli)
		return NULL;
	Scope modscope = { 0 };
	L.scope = &modscope;
	PyStmtList *body = &L.mod->body;
	for (int i = 0; i < body->len; i++) {
		if (body->data[i]->kind == PS_IMPORT)
			module_import(&L, body->data[i], &modscope);
		if (body->data[i]->kind == PS_DEF)
			add_function(&L, body->data[i]);
	}
	bool found_cli = false;
	for (int i = 0; i < L.helpers.len; i++)
		lower_if_kernel_checked(&L, L.helpers.data[i], cli, &modscope, &found_cli);
	if (cli && !found_cli)
		diag_fatal(ctx, (SrcLoc){ path, 0, 0 }, "--sig names '%s' but the file has no function "
			   "of that name", cli->func);
	if (L.irm->programs.len == 0)
		diag_fatal(ctx, (SrcLoc){ path, 0, 0 }, "no kernel found: mark a function with a "
			   "'# dfc: name(arg: dtype[dims], ...)' comment above its def, or pass --sig");
	return ctx->nerrors ? NULL : L.irm;
}
