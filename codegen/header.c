/* codegen/header.c — the C header k.h of a module, and the signature
 * analysis that the three wrappers (k.h, k.py, the exe harness) share.
 *
 * The ABI is the one codegen.h states: for each program p,
 *     void p(ARGS..., RETURNS..., SYMBOLS...);
 * and its handle API (p_handle_create, p_handle_destroy, p_with).
 * with arrays as `T *restrict`, scalars by value and symbols as int64_t.
 *
 * A CgSig says how a caller obtains every symbol's value: from an
 * ARG_SYMBOL argument, from the first array dimension (in argument order)
 * that is exactly the symbol, or else from the caller as a keyword (Python)
 * or SYM=VALUE (exe). Every other dimension of every array argument is then
 * checked against the bound values; return arrays take their shapes from
 * them.
 */
#include <ctype.h>
#include <string.h>

#include "codegen.h"

/* ---- signature analysis ---- */

static bool
blocks_touch(const IrBlockList *l, const char *name, bool write);

/* Does some memlet of s move `name` into (write) or out of (read) an access
 * node of it? */
static bool
state_touches(const IrState *s, const char *name, bool write)
{
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *e = &s->memlets.data[i];
		int id = write ? e->dst : e->src;
		if (id < 0 || id >= s->nodes.len)
			continue;
		const IrNode *n = &s->nodes.data[id];
		if (n->kind == IRN_ACCESS && strcmp(n->access.data, name) == 0)
			return true;
	}
	return false;
}

static bool
block_touches(const IrBlock *b, const char *name, bool write)
{
	switch (b->kind) {
	case CF_STATE:
		return state_touches(b->state, name, write);
	case CF_FOR:
		return blocks_touch(&b->loop.body, name, write);
	case CF_WHILE:
		return blocks_touch(&b->wloop.body, name, write);
	case CF_IF:
		for (int i = 0; i < b->branch.n; i++)
			if (blocks_touch(&b->branch.bodies[i], name, write))
				return true;
		return blocks_touch(&b->branch.orelse, name, write);
	case CF_ASSIGN:
		return !write && b->assign.data && strcmp(b->assign.data, name) == 0;
	case CF_BREAK:
	case CF_CONTINUE:
	case CF_RETURN:
		return false;
	}
	return false;
}

static bool
blocks_touch(const IrBlockList *l, const char *name, bool write)
{
	for (int i = 0; i < l->len; i++)
		if (block_touches(l->data[i], name, write))
			return true;
	return false;
}

bool
cg_program_writes(const IrProgram *p, const char *name)
{
	return blocks_touch(&p->body, name, true);
}

bool
cg_program_reads(const IrProgram *p, const char *name)
{
	return blocks_touch(&p->body, name, false);
}

/* Fails with an ICE unless c is row-major: the ABI passes arguments and
 * returns C-contiguous, so no pass may change their layout. */
static void
check_row_major(Ctx *ctx, const IrProgram *p, const IrContainer *c)
{
	Sym **rm = ir_strides_row_major(ctx->arena, c->ndim, c->shape);
	for (int d = 0; c->strides && d < c->ndim; d++)
		if (!sym_equal(rm[d], c->strides[d]))
			ICE("program '%s': container '%s' is passed by the caller but has "
			    "non-row-major strides", p->name, c->name);
}

static const IrContainer *
need_container(Ctx *ctx, const IrProgram *p, const char *name)
{
	const IrContainer *c = ir_program_find_container(p, name);
	if (!c)
		ICE("program '%s': argument or return '%s' has no container", p->name, name);
	check_row_major(ctx, p, c);
	return c;
}

/* Adds a binding for symbol name, unless it has one: an ARG_SYMBOL
 * argument of that name wins over array dimensions, wherever it is. */
static void
add_bind(Ctx *ctx, CgSig *s, const char *name)
{
	if (cg_sig_bind(s, name))
		return;
	CgBind b = { name, CG_BIND_KEYWORD, -1, -1 };
	for (int i = 0; i < s->nargs && b.arg < 0; i++) {
		const IrArg *a = &s->p->args.data[i];
		if (a->kind == ARG_SYMBOL && strcmp(a->name, name) == 0)
			b.kind = CG_BIND_ARG, b.arg = i;
	}
	for (int i = 0; i < s->nargs && b.arg < 0; i++) {
		const IrContainer *c = s->arg[i];
		for (int d = 0; c && d < c->ndim && b.arg < 0; d++)
			if (c->shape[d]->kind == SYM_VAR && strcmp(c->shape[d]->name, name) == 0)
				b.kind = CG_BIND_DIM, b.arg = i, b.dim = d;
	}
	s->bind[s->nbind++] = b;
}

/* Checks that every variable of a shape has a binding. */
static void
check_vars(const char *name, void *ud)
{
	const CgSig *s = ud;
	if (!cg_sig_bind(s, name))
		ICE("program '%s': shape uses '%s', which is neither a size symbol nor a "
		    "symbol argument", s->p->name, name);
}

static void
check_shape_vars(const CgSig *s, const IrContainer *c)
{
	for (int d = 0; c && d < c->ndim; d++)
		sym_foreach_var(c->shape[d], check_vars, (void *)s);
}

static void
note_unbound(const char *name, void *ud)
{
	void **u = ud;
	if (!cg_sig_bind(u[0], name))
		u[1] = (void *)name;
}

/* Does c's shape use a symbol that the caller does not know (one assigned
 * at run time, which ir_verify allows in the shape of a return)? */
static bool
shape_is_dynamic(const CgSig *s, const IrContainer *c)
{
	void *ud[2] = { (void *)s, NULL };
	for (int d = 0; d < c->ndim; d++)
		sym_foreach_var(c->shape[d], note_unbound, ud);
	return ud[1] != NULL;
}

CgSig *
cg_sig_new(Ctx *ctx, const IrProgram *p)
{
	Arena *A = ctx->arena;
	CgSig *s = arena_alloc(A, sizeof *s);
	s->p = p;
	s->fits = ir_program_uses_op(p, OP_FITS);
	s->nargs = p->args.len;
	s->arg = arena_alloc(A, sizeof(*s->arg) * (size_t)(s->nargs + 1));
	s->written = arena_alloc(A, sizeof(bool) * (size_t)(s->nargs + 1));
	for (int i = 0; i < s->nargs; i++) {
		const IrArg *a = &p->args.data[i];
		if (a->kind == ARG_SYMBOL)
			continue;
		s->arg[i] = need_container(ctx, p, a->name);
		s->written[i] = s->arg[i]->ndim > 0 && cg_program_writes(p, a->name);
	}
	s->nret = p->returns.len;
	s->ret = arena_alloc(A, sizeof(*s->ret) * (size_t)(s->nret + 1));
	for (int i = 0; i < s->nret; i++)
		s->ret[i] = need_container(ctx, p, p->returns.data[i]);
	s->bind = arena_alloc(A, sizeof(CgBind) * (size_t)(p->symbols.len + s->nargs + 1));
	for (int i = 0; i < p->symbols.len; i++)
		add_bind(ctx, s, p->symbols.data[i]);
	for (int i = 0; i < s->nargs; i++)
		if (p->args.data[i].kind == ARG_SYMBOL)
			add_bind(ctx, s, p->args.data[i].name);
	for (int i = 0; i < s->nargs; i++)
		check_shape_vars(s, s->arg[i]);
	s->dynamic = arena_alloc(A, sizeof(bool) * (size_t)(s->nret + 1));
	for (int i = 0; i < s->nret; i++) {
		s->dynamic[i] = shape_is_dynamic(s, s->ret[i]);
		s->any_dynamic |= s->dynamic[i];
		if (!s->dynamic[i])
			check_shape_vars(s, s->ret[i]);
	}
	return s;
}

const CgBind *
cg_sig_bind(const CgSig *s, const char *name)
{
	for (int i = 0; i < s->nbind; i++)
		if (strcmp(s->bind[i].name, name) == 0)
			return &s->bind[i];
	return NULL;
}

bool
cg_sig_binds_dim(const CgSig *s, int arg, int dim)
{
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind == CG_BIND_DIM && s->bind[i].arg == arg &&
		    s->bind[i].dim == dim)
			return true;
	return false;
}

bool
cg_sig_checks_arg(const CgSig *s, int arg)
{
	const IrContainer *c = s->arg[arg];
	for (int d = 0; c && d < c->ndim; d++)
		if (!cg_sig_binds_dim(s, arg, d))
			return true;
	return false;
}

char *
cg_sig_source(Ctx *ctx, const CgSig *s, const CgBind *b)
{
	switch (b->kind) {
	case CG_BIND_ARG:
		return arena_printf(ctx->arena, "argument '%s'", b->name);
	case CG_BIND_DIM:
		return arena_printf(ctx->arena, "from argument '%s'",
				    s->p->args.data[b->arg].name);
	case CG_BIND_KEYWORD:
		break;
	}
	return arena_printf(ctx->arena, "size symbol '%s'", b->name);
}

int
cg_sig_nkeywords(const CgSig *s)
{
	int n = 0;
	for (int i = 0; i < s->nbind; i++)
		n += s->bind[i].kind == CG_BIND_KEYWORD;
	return n;
}

char *
cg_sig_shape(Ctx *ctx, const IrContainer *c)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_putc(&sb, '(');
	for (int d = 0; d < c->ndim; d++)
		sb_printf(&sb, "%s%s", d ? ", " : "", sym_print(ctx->arena, c->shape[d]));
	sb_puts(&sb, c->ndim == 1 ? ",)" : ")");
	return (char *)sb_str(&sb);
}

char *
cg_sig_type(Ctx *ctx, const IrContainer *c)
{
	if (c->ndim == 0)
		return arena_strdup(ctx->arena, dtype_name(c->dtype));
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_printf(&sb, "%s[", dtype_name(c->dtype));
	for (int d = 0; d < c->ndim; d++)
		sb_printf(&sb, "%s%s", d ? ", " : "", sym_print(ctx->arena, c->shape[d]));
	sb_putc(&sb, ']');
	return (char *)sb_str(&sb);
}

char *
cg_sig_text(Ctx *ctx, const CgSig *s)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_printf(&sb, "%s(", s->p->name);
	for (int i = 0; i < s->nargs; i++)
		sb_printf(&sb, "%s%s: %s", i ? ", " : "", s->p->args.data[i].name,
			  s->arg[i] ? cg_sig_type(ctx, s->arg[i]) : "int64");
	sb_putc(&sb, ')');
	for (int i = 0; i < s->nret; i++)
		sb_printf(&sb, "%s%s", i == 0 ? (s->nret > 1 ? " -> (" : " -> ") : ", ",
			  cg_sig_type(ctx, s->ret[i]));
	if (s->nret > 1)
		sb_putc(&sb, ')');
	return (char *)sb_str(&sb);
}

/* ---- C names and prototypes ---- */

char *
cg_safe_text(Ctx *ctx, const char *s)
{
	char *t = arena_strdup(ctx->arena, s ? s : "");
	for (char *q = t; *q; q++) {
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = '?';
		else if (*q == '"')
			*q = '\'';
		else if (*q == '\\')
			*q = '/';
		else if (*q == '*' && q[1] == '/')
			*q = '_';
	}
	return t;
}

/* C11 keywords, and the macros of the headers k.h includes. */
static const char *const c_reserved[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if", "inline",
	"int", "long", "register", "restrict", "return", "short", "signed", "sizeof",
	"static", "struct", "switch", "typedef", "union", "unsigned", "void",
	"volatile", "while", "bool", "true", "false", "complex", "imaginary", "I",
	"_Bool", "_Complex", "_Imaginary", "_Alignas", "_Alignof", "_Atomic",
	"_Generic", "_Noreturn", "_Static_assert", "_Thread_local",
};

const char *
cg_c_param_name(Ctx *ctx, const char *name)
{
	for (size_t i = 0; i < sizeof c_reserved / sizeof *c_reserved; i++)
		if (strcmp(c_reserved[i], name) == 0)
			return arena_printf(ctx->arena, "%s_", name);
	return name;
}

/* `T *restrict name` or `T name`. */
static void
put_param(Ctx *ctx, StrBuf *sb, const IrContainer *c, bool pointer, bool *first)
{
	sb_printf(sb, "%s%s %s%s", *first ? "" : ", ", dtype_ctype(c->dtype),
		  pointer ? "*restrict " : "", cg_c_param_name(ctx, c->name));
	*first = false;
}

/* The parameters of s's C function, comma separated ("" when none). */
static void
put_param_list(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	bool first = true;
	for (int i = 0; i < s->nargs; i++) {
		if (s->arg[i]) {
			put_param(ctx, sb, s->arg[i], s->arg[i]->ndim > 0, &first);
		} else {
			sb_printf(sb, "%sint64_t %s", first ? "" : ", ",
				  cg_c_param_name(ctx, s->p->args.data[i].name));
			first = false;
		}
	}
	for (int i = 0; i < s->nret; i++) {
		if (!s->dynamic[i]) {
			put_param(ctx, sb, s->ret[i], true, &first);
			continue;
		}
		sb_printf(sb, "%s%s **%s, int64_t *%s", first ? "" : ", ",
			  dtype_ctype(s->ret[i]->dtype), cg_c_param_name(ctx, s->ret[i]->name),
			  cg_sig_shape_param(ctx, s, i));
		first = false;
	}
	for (int i = 0; i < s->nbind; i++) {
		if (s->bind[i].kind == CG_BIND_ARG)
			continue;
		sb_printf(sb, "%sint64_t %s", first ? "" : ", ",
			  cg_c_param_name(ctx, s->bind[i].name));
		first = false;
	}
}

/* The parameters of s's C function, as put_param writes them, after
 * `lead` (a first parameter, or NULL), and the closing parenthesis. */
static void
put_params(Ctx *ctx, StrBuf *sb, const CgSig *s, const char *lead)
{
	StrBuf t;
	sb_init(&t, ctx->arena);
	put_param_list(ctx, &t, s);
	if (lead)
		sb_printf(sb, "%s%s%s)", lead, t.len ? ", " : "", sb_str(&t));
	else
		sb_printf(sb, "%s)", t.len ? sb_str(&t) : "void");
}

char *
cg_header_prototype(Ctx *ctx, const CgSig *s)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_printf(&sb, "void %s(", s->p->name);
	put_params(ctx, &sb, s, NULL);
	return (char *)sb_str(&sb);
}

/* A C string literal for s: quotes, backslashes, '?' (trigraphs) and
 * control characters escaped. */
char *
cg_c_string(Arena *a, const char *s)
{
	StrBuf sb;
	sb_init(&sb, a);
	sb_putc(&sb, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\' || c == '?')
			sb_printf(&sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sb_printf(&sb, "\\%03o", c);
		else
			sb_putc(&sb, (char)c);
	}
	sb_putc(&sb, '"');
	return (char *)sb_str(&sb);
}

/* Does some parameter of s's C function have the C name name? */
static bool
param_named(Ctx *ctx, const CgSig *s, const char *name)
{
	for (int i = 0; i < s->nargs; i++)
		if (strcmp(cg_c_param_name(ctx, s->p->args.data[i].name), name) == 0)
			return true;
	for (int i = 0; i < s->nret; i++)
		if (strcmp(cg_c_param_name(ctx, s->ret[i]->name), name) == 0)
			return true;
	for (int i = 0; i < s->nbind; i++)
		if (strcmp(cg_c_param_name(ctx, s->bind[i].name), name) == 0)
			return true;
	return false;
}

const char *
cg_sig_shape_param(Ctx *ctx, const CgSig *s, int i)
{
	const char *n = arena_printf(ctx->arena, "%s_shape", s->ret[i]->name);
	while (param_named(ctx, s, n))
		n = arena_printf(ctx->arena, "%s_", n);
	return n;
}

char *
cg_header_handle_decls(Ctx *ctx, const CgSig *s)
{
	const char *k = s->p->name, *h = "handle";
	while (param_named(ctx, s, h))
		h = arena_printf(ctx->arena, "%s_", h);
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_printf(&sb, "typedef struct %s_handle %s_handle;\n%s_handle *%s_handle_create(void);\n"
		  "void %s_handle_destroy(%s_handle *handle);\nvoid %s_with(", k, k, k, k, k, k, k);
	put_params(ctx, &sb, s, arena_printf(ctx->arena, "%s_handle *%s", k, h));
	sb_puts(&sb, ";\n");
	return (char *)sb_str(&sb);
}

char *
cg_loc_text(Ctx *ctx, SrcLoc loc, bool with_col)
{
	if (!loc.file || !*loc.file)
		return "";
	const char *f = cg_safe_text(ctx, loc.file);
	if (loc.line <= 0)
		return (char *)f;
	if (!with_col || loc.col <= 0)
		return arena_printf(ctx->arena, "%s:%d", f, loc.line);
	return arena_printf(ctx->arena, "%s:%d:%d", f, loc.line, loc.col);
}

/* ---- k.h ---- */

static const char *
access_note(const CgSig *s, int i)
{
	const char *name = s->p->args.data[i].name;
	bool r = cg_program_reads(s->p, name), w = s->written[i];
	return r && w ? "read and updated in place" : w ? "written in place" : "read";
}

/* The comment above a prototype: the source signature, then one line per
 * parameter of the C function, in ABI order, then one `requires:` line per
 * precondition of p (the code reads and writes out of bounds without it). */
static void
put_comment(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	const IrProgram *p = s->p;
	sb_printf(sb, "/* %s\n", cg_safe_text(ctx, cg_sig_text(ctx, s)));
	if (p->loc.file && p->loc.line > 0)
		sb_printf(sb, " * defined at %s:%d\n", cg_safe_text(ctx, p->loc.file),
			  p->loc.line);
	for (int i = 0; i < s->nargs; i++) {
		const IrContainer *c = s->arg[i];
		const char *name = p->args.data[i].name;
		if (!c)
			sb_printf(sb, " *   %-10s int64 size symbol, >= 0\n", name);
		else if (c->ndim == 0)
			sb_printf(sb, " *   %-10s %s, by value\n", name, dtype_name(c->dtype));
		else
			sb_printf(sb, " *   %-10s %s, %s\n", name,
				  cg_safe_text(ctx, cg_sig_type(ctx, c)), access_note(s, i));
	}
	for (int i = 0; i < s->nret; i++) {
		const IrContainer *c = s->ret[i];
		const char *what = s->nret > 1 ? "one of the returned values" : "the returned value";
		if (s->dynamic[i])
			sb_printf(sb, " *   %-10s %s, %s, of a size computed at\n"
				  " *   %-10s run time: allocated by the kernel, into *%s, extents\n"
				  " *   %-10s into %s[0..%d); free it with dfcrt_free\n", c->name,
				  cg_safe_text(ctx, cg_sig_type(ctx, c)), what, "",
				  cg_c_param_name(ctx, c->name), "", cg_sig_shape_param(ctx, s, i),
				  c->ndim);
		else
			sb_printf(sb, " *   %-10s %s, %s (allocated by the caller)\n", c->name,
				  cg_safe_text(ctx, cg_sig_type(ctx, c)), what);
	}
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind != CG_BIND_ARG)
			sb_printf(sb, " *   %-10s int64 size symbol, >= 0\n", s->bind[i].name);
	for (int i = 0; i < p->assumes.len; i++) {
		const IrAssume *a = &p->assumes.data[i];
		const char *where = cg_loc_text(ctx, a->loc, false);
		sb_printf(sb, " * requires: %s >= 0%s%s%s\n",
			  cg_safe_text(ctx, sym_print(ctx->arena, a->expr)), *where ? " (" : "",
			  where, *where ? ")" : "");
	}
	sb_puts(sb, " */\n");
}

static bool
module_has_complex(const IrModule *m)
{
	for (int i = 0; i < m->programs.len; i++) {
		const IrProgram *p = m->programs.data[i];
		for (int j = 0; j < p->containers.len; j++)
			if (dtype_is_complex(p->containers.data[j].dtype) &&
			    p->containers.data[j].role != ROLE_TRANSIENT)
				return true;
	}
	return false;
}

static char *
guard_name(Ctx *ctx, const char *module)
{
	char *g = arena_printf(ctx->arena, "DFC_%s_H", module);
	for (char *q = g; *q; q++)
		*q = isalnum((unsigned char)*q) ? (char)toupper((unsigned char)*q) : '_';
	return g;
}

char *
cg_header_emit(Ctx *ctx, const IrModule *m)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	const char *g = guard_name(ctx, m->name);
	sb_printf(&sb, "/* %s.h — generated by dfc %s%s%s; do not edit.\n *\n",
		  cg_safe_text(ctx, m->name), DFC_VERSION, m->source && *m->source ? " from " : "",
		  cg_safe_text(ctx, m->source));
	sb_printf(&sb, " * The C interface of lib%s.so (C11). Arrays are C-contiguous (row-major)\n"
		  " * and passed as a pointer to their first element; scalars are passed by\n"
		  " * value; size symbols as int64_t, >= 0, consistent with the shapes shown\n"
		  " * and meeting the function's `requires:` lines (nothing checks them here:\n"
		  " * a call that violates one reads or writes out of bounds). Returned\n"
		  " * values are written to arrays the caller allocates with the shapes\n"
		  " * shown (one element for a scalar), except those whose size the\n"
		  " * kernel computes at run time: it allocates them and hands them back\n"
		  " * through a `T **name` parameter, with their extents in the\n"
		  " * `int64_t *name_shape` that follows; the caller frees them with\n"
		  " * dfcrt_free. Array arguments must not overlap each other\n"
		  " * (restrict). Functions are reentrant.\n *\n"
		  " * Each function k also comes as k_with(handle, ...), which keeps k's\n"
		  " * temporary arrays in the handle between calls instead of allocating\n"
		  " * and freeing them in every call (a kernel called in a time loop then\n"
		  " * allocates, and first touches, its temporaries once). Create the handle\n"
		  " * with k_handle_create() (allocation failures abort, as in the kernels),\n"
		  " * pass it to any number of k_with calls, with sizes that may change from\n"
		  " * call to call (a buffer grows when a call needs more), and free it with\n"
		  " * k_handle_destroy() (NULL is ignored). A handle is used by one thread\n"
		  " * at a time: give each thread its own. k(...) is k_with on a handle of\n"
		  " * its own, created and destroyed by the call.\n */\n",
		  cg_safe_text(ctx, m->name));
	sb_printf(&sb, "#ifndef %s\n#define %s\n\n", g, g);
	if (module_has_complex(m))
		sb_puts(&sb, "#include <complex.h>\n");
	sb_puts(&sb, "#include <stdbool.h>\n#include <stdint.h>\n");
	bool dynamic = false;
	for (int i = 0; i < m->programs.len; i++) {
		CgSig *s = cg_sig_new(ctx, m->programs.data[i]);
		dynamic |= s->any_dynamic;
		sb_putc(&sb, '\n');
		put_comment(ctx, &sb, s);
		sb_printf(&sb, "%s;\n", cg_header_prototype(ctx, s));
		sb_printf(&sb, "/* %s with its temporaries kept in a handle (see the top of the "
			  "file). */\n%s", s->p->name, cg_header_handle_decls(ctx, s));
	}
	if (dynamic)
		sb_puts(&sb, "\n/* Frees an array that a kernel allocated for a result whose size is\n"
			" * computed at run time (its T **name parameter); NULL is ignored. */\n"
			"void dfcrt_free(void *p);\n");
	if (ctx->opt.boundscheck)
		sb_printf(&sb, "\n/* Built with --boundscheck: a data-dependent index out of bounds\n"
			  " * is not accessed; the first one since the last query is reported\n"
			  " * here (returns its source line, 0 if none; out[0..5) = line,\n"
			  " * column, index, axis, size) and the record cleared. */\n"
			  "int64_t %s_index_error(int64_t *out);\n", m->name);
	if (ir_module_uses_op(m, OP_FITS))
		sb_printf(&sb, "\n/* An integer that NumPy would type by its value (value-based\n"
			  " * casting) was compiled in the dtype of the array it meets; the\n"
			  " * first one since the last query that did not fit that dtype is\n"
			  " * reported here (returns its source line, 0 if none; out[0..5) =\n"
			  " * line, column, value, the dtype's least and greatest values) and\n"
			  " * the record cleared. Results computed with it are wrong. */\n"
			  "int64_t %s_value_error(int64_t *out);\n", m->name);
	sb_printf(&sb, "\n#endif /* %s */\n", g);
	return (char *)sb_str(&sb);
}
