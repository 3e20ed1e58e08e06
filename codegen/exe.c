/* codegen/exe.c — the C source of the standalone executable of
 * `--emit exe`: main() reads the arguments of one program (.npy files for
 * arrays, literals for scalars and symbols, SYM=VALUE for the symbols no
 * argument carries), checks them as the Python wrapper does, runs the
 * program --repeat times, optionally prints the timing, and writes the
 * arrays it updates and its returns to OUTDIR/<name>.npy.
 *
 * The generic work (command line, .npy I/O, literal parsing, messages,
 * timing) is libdfcrt's harness section; what is generated is the
 * per-program part: one harness_main_<p> that loads, binds, checks,
 * allocates, calls through harness_call_<p> (kern_with, on one handle
 * kept across the --repeat runs), and saves. Generated locals:
 * `npy_<name>` for arrays, the struct harness_args_<p> for the call's
 * arguments (fields `<name>_`), and the symbols under their own names, so
 * the shape expressions of sym_print_c read them directly. The
 * preconditions of p->assumes are checked after the shapes, before
 * anything is allocated or run, with the Python wrapper's message.
 * A return of run-time size (CgSig.dynamic) is allocated by the kernel:
 * harness_call_<p> frees the block of the previous run before each run,
 * and the last one is adopted by npy_<name> (dfcrt_harness_adopt) to be
 * saved and freed like the others.
 */
#include <string.h>

#include "codegen.h"

/* One line of usage per program: "  kern A.npy x.npy alpha k T=VALUE". */
static void
put_usage_line(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	sb_printf(sb, "\t\"  %s", s->p->name);
	for (int i = 0; i < s->nargs; i++) {
		const IrContainer *c = s->arg[i];
		sb_printf(sb, " %s%s", s->p->args.data[i].name, c && c->ndim ? ".npy" : "");
	}
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind == CG_BIND_KEYWORD)
			sb_printf(sb, " %s=VALUE", s->bind[i].name);
	sb_puts(sb, "\\n\"\n");
	sb_printf(sb, "\t\"      %s\\n\"\n", cg_safe_text(ctx, cg_sig_text(ctx, s)));
}

static void
put_usage(Ctx *ctx, StrBuf *sb, const IrModule *m, CgSig **sigs)
{
	sb_puts(sb, "static const char usage[] =\n");
	sb_printf(sb, "\t\"usage: %s [--func NAME] [--repeat N] [--time] [-o OUTDIR] "
		  "ARG... [SYM=VALUE]...\\n\"\n", cg_safe_text(ctx, m->name));
	sb_puts(sb, "\t\"Runs a function (default: the first) on arrays read from .npy files\\n\"\n"
		"\t\"and scalars given as literals; writes the arrays it updates and its\\n\"\n"
		"\t\"results to OUTDIR/NAME.npy (OUTDIR defaults to .).\\n\"\n"
		"\t\"  --func NAME  the function to run\\n\"\n"
		"\t\"  --repeat N   run N times (outputs are those of one run)\\n\"\n"
		"\t\"  --time       print the median and minimum run time\\n\"\n"
		"\t\"  --           the arguments that follow are not options\\n\"\n"
		"\t\"functions:\\n\"\n");
	for (int i = 0; i < m->programs.len; i++)
		put_usage_line(ctx, sb, sigs[i]);
	sb_puts(sb, "\t;\n");
}

/* struct harness_args_kern { ... }; harness_call_kern(), which calls
 * kern_with on one handle for all the --repeat runs (created by the first,
 * so the first run's time includes the allocation of the transients, as
 * a first call from any program would), and harness_release_kern(). */
static void
put_call(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	const char *fn = s->p->name;
	sb_printf(sb, "\nstruct harness_args_%s {\n", fn);
	for (int i = 0; i < s->nargs; i++) {
		const IrContainer *c = s->arg[i];
		sb_printf(sb, "\t%s %s%s_;\n", c ? dtype_ctype(c->dtype) : "int64_t",
			  c && c->ndim ? "*" : "", s->p->args.data[i].name);
	}
	for (int i = 0; i < s->nret; i++) {
		sb_printf(sb, "\t%s *%s_;\n", dtype_ctype(s->ret[i]->dtype), s->ret[i]->name);
		if (s->dynamic[i])
			sb_printf(sb, "\tint64_t %s_shape_[%d];\n", s->ret[i]->name, s->ret[i]->ndim);
	}
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind != CG_BIND_ARG)
			sb_printf(sb, "\tint64_t %s_;\n", s->bind[i].name);
	sb_printf(sb, "\tstruct %s_handle *dfc_handle;  /* created by the first call */\n", fn);
	sb_printf(sb, "};\n\nstatic void\nharness_call_%s(void *ud)\n{\n", fn);
	sb_printf(sb, "\tstruct harness_args_%s *a = ud;\n\tif (!a->dfc_handle)\n"
		  "\t\ta->dfc_handle = %s_handle_create();\n", fn, fn);
	for (int i = 0; i < s->nret; i++)
		if (s->dynamic[i])
			sb_printf(sb, "\tdfcrt_free(a->%s_);\n\ta->%s_ = NULL;\n", s->ret[i]->name,
				  s->ret[i]->name);
	sb_printf(sb, "\t%s_with(a->dfc_handle", fn);
	for (int i = 0; i < s->nargs; i++)
		sb_printf(sb, ", a->%s_", s->p->args.data[i].name);
	for (int i = 0; i < s->nret; i++)
		sb_printf(sb, s->dynamic[i] ? ", &a->%s_, a->%s_shape_" : ", a->%s_",
			  s->ret[i]->name, s->ret[i]->name);
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind != CG_BIND_ARG)
			sb_printf(sb, ", a->%s_", s->bind[i].name);
	sb_puts(sb, ");\n}\n");
	sb_printf(sb, "\nstatic void\nharness_release_%s(struct harness_args_%s *a)\n{\n"
		  "\t%s_handle_destroy(a->dfc_handle);\n\ta->dfc_handle = NULL;\n}\n", fn, fn, fn);
}

/* static const char *const NAME[] = { "a", "b" }; (a dummy entry when
 * empty, so the array is never of size zero). */
static void
put_names(StrBuf *sb, const char *indent, const char *var, int n, const char **names)
{
	sb_printf(sb, "%sstatic const char *const %s[] = { ", indent, var);
	for (int i = 0; i < n; i++)
		sb_printf(sb, "%s\"%s\"", i ? ", " : "", names[i]);
	sb_puts(sb, n ? " };\n" : "\"\" };\n");
}

/* Declarations, and the split of the command line. */
static void
put_prologue(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	const char *fn = s->p->name;
	const char **pos = arena_alloc(ctx->arena, sizeof(char *) * (size_t)(s->nargs + 1));
	const char **kw = arena_alloc(ctx->arena, sizeof(char *) * (size_t)(s->nbind + 1));
	int nkw = 0;
	for (int i = 0; i < s->nargs; i++)
		pos[i] = s->p->args.data[i].name;
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind == CG_BIND_KEYWORD)
			kw[nkw++] = s->bind[i].name;
	sb_printf(sb, "\nstatic int\nharness_main_%s(DfcrtHarness *dfc_h)\n{\n", fn);
	put_names(sb, "\t", "dfc_pos", s->nargs, pos);
	put_names(sb, "\t", "dfc_kw", nkw, kw);
	sb_printf(sb, "\tstruct harness_args_%s dfc_a;\n", fn);
	for (int i = 0; i < s->nargs; i++)
		if (s->arg[i] && s->arg[i]->ndim)
			sb_printf(sb, "\tDfcrtNpy npy_%s = {0};\n", pos[i]);
	for (int i = 0; i < s->nret; i++)
		sb_printf(sb, "\tDfcrtNpy npy_%s = {0};\n", s->ret[i]->name);
	for (int i = 0; i < s->nbind; i++)
		sb_printf(sb, "\tint64_t %s = 0;\n", s->bind[i].name);
	sb_puts(sb, "\tint dfc_rc;\n\n\tmemset(&dfc_a, 0, sizeof dfc_a);\n");
	sb_printf(sb, "\tif ((dfc_rc = dfcrt_harness_split(dfc_h, \"%s\", %d, dfc_pos, %d, dfc_kw)))\n"
		  "\t\tgoto out;\n", fn, s->nargs, nkw);
	for (int i = 0, k = 0; i < s->nbind; i++)
		if (s->bind[i].kind == CG_BIND_KEYWORD)
			sb_printf(sb, "\t%s = dfc_h->kw[%d];\n", s->bind[i].name, k++);
}

/* Loads or parses each argument, in order. */
static void
put_loads(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	const char *fn = s->p->name;
	for (int i = 0; i < s->nargs; i++) {
		const IrContainer *c = s->arg[i];
		const char *name = s->p->args.data[i].name;
		if (!c)
			sb_printf(sb, "\tif ((dfc_rc = dfcrt_harness_symbol(dfc_h, \"%s\", \"%s\", dfc_h->pos[%d], "
				  "&%s)))\n\t\tgoto out;\n", fn, name, i, name);
		else if (c->ndim == 0)
			sb_printf(sb, "\tif ((dfc_rc = dfcrt_harness_scalar(dfc_h, \"%s\", \"%s\", dfc_h->pos[%d], "
				  "\"%s\", &dfc_a.%s_)))\n\t\tgoto out;\n", fn, name, i,
				  dtype_name(c->dtype), name);
		else
			sb_printf(sb, "\tif ((dfc_rc = dfcrt_harness_load(dfc_h, \"%s\", \"%s\", dfc_h->pos[%d], "
				  "\"%s\", %d, \"%s\", &npy_%s)))\n\t\tgoto out;\n", fn, name, i,
				  dtype_name(c->dtype), c->ndim, cg_sig_type(ctx, c), name);
	}
	for (int i = 0; i < s->nbind; i++) {
		const CgBind *b = &s->bind[i];
		if (b->kind == CG_BIND_DIM)
			sb_printf(sb, "\t%s = npy_%s.shape[%d];\n", b->name,
				  s->p->args.data[b->arg].name, b->dim);
	}
}

typedef struct VarList {
	Ctx *ctx;
	const CgSig *s;
	int n;
	const char **names;
} VarList;

static void
add_var(const char *name, void *ud)
{
	VarList *v = ud;
	for (int i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0)
			return;
	v->names[v->n++] = name;
}

/* The shape check of array argument i against its expressions. */
static void
put_shape_check(Ctx *ctx, StrBuf *sb, const CgSig *s, int i)
{
	const IrContainer *c = s->arg[i];
	const char *name = s->p->args.data[i].name;
	VarList v = { ctx, s, 0, arena_alloc(ctx->arena, sizeof(char *) * (size_t)(s->nbind + 1)) };
	for (int d = 0; d < c->ndim; d++)
		sym_foreach_var(c->shape[d], add_var, &v);
	sb_puts(sb, "\t{\n\t\tconst int64_t dfc_want[] = { ");
	for (int d = 0; d < c->ndim; d++)
		sb_printf(sb, "%s%s", d ? ", " : "", sym_print_c(ctx->arena, c->shape[d]));
	sb_printf(sb, " };\n\t\tif (!dfcrt_harness_shape_eq(&npy_%s, dfc_want)) {\n", name);
	put_names(sb, "\t\t\t", "dfc_syms", v.n, v.names);
	const char **from = arena_alloc(ctx->arena, sizeof(char *) * (size_t)(v.n + 1));
	for (int k = 0; k < v.n; k++)
		from[k] = cg_sig_source(ctx, s, cg_sig_bind(s, v.names[k]));
	put_names(sb, "\t\t\t", "dfc_from", v.n, from);
	sb_puts(sb, "\t\t\tconst int64_t dfc_vals[] = { ");
	for (int k = 0; k < v.n; k++)
		sb_printf(sb, "%s%s", k ? ", " : "", v.names[k]);
	sb_printf(sb, "%s };\n", v.n ? "" : "0");
	sb_printf(sb, "\t\t\tdfc_rc = dfcrt_harness_shape_error(dfc_h, \"%s\", \"%s\", "
		  "&npy_%s, \"%s\", %d, dfc_syms, dfc_vals, dfc_from);\n"
		  "\t\t\tgoto out;\n\t\t}\n\t}\n", s->p->name, name, name, cg_sig_shape(ctx, c),
		  v.n);
}

/* if (N - 2 < 0) { report; goto out; } for each precondition. */
static void
put_assume_checks(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	const IrProgram *p = s->p;
	for (int i = 0; i < p->assumes.len; i++) {
		const IrAssume *a = &p->assumes.data[i];
		VarList v = { ctx, s, 0, arena_alloc(ctx->arena, sizeof(char *) * (size_t)(s->nbind + 1)) };
		sym_foreach_var(a->expr, add_var, &v);
		for (int k = 0; k < v.n; k++)
			if (!cg_sig_bind(s, v.names[k]))
				ICE("precondition of '%s' over unbound symbol '%s'", p->name, v.names[k]);
		sb_printf(sb, "\tif (%s < 0) {\n", sym_print_c(ctx->arena, a->expr));
		put_names(sb, "\t\t", "dfc_syms", v.n, v.names);
		sb_puts(sb, "\t\tconst int64_t dfc_vals[] = { ");
		for (int k = 0; k < v.n; k++)
			sb_printf(sb, "%s%s", k ? ", " : "", v.names[k]);
		sb_printf(sb, "%s };\n", v.n ? "" : "0");
		const char *cond = arena_printf(ctx->arena, "%s >= 0", sym_print(ctx->arena, a->expr));
		sb_printf(sb, "\t\tdfc_rc = dfcrt_harness_assume_error(dfc_h, \"%s\", %s, %s, %d, "
			  "dfc_syms, dfc_vals);\n\t\tgoto out;\n\t}\n", p->name, cg_c_string(ctx->arena, cond),
			  cg_c_string(ctx->arena, cg_loc_text(ctx, a->loc, true)), v.n);
	}
}

/* After the run, what the library recorded (<module>_<kind>_error,
 * codegen/openmp/emit.c) is an error: `message`, an fprintf of the
 * record dfc_e, and exit status 1 (the outputs are not written). */
static void
put_fail_exit(StrBuf *sb, const IrModule *m, const char *kind, const char *message)
{
	sb_printf(sb, "\tif (dfc_rc == 0) {\n\t\tint64_t dfc_e[5];\n"
		  "\t\tif (%s_%s_error(dfc_e)) {\n\t\t\t%s\n"
		  "\t\t\tdfc_rc = 1;\n\t\t}\n\t}\n", m->name, kind, message);
}

/* --boundscheck: an index out of bounds during the run, as NumPy's
 * IndexError; a program with FITS tests: an integer that did not fit the
 * dtype the kernel was compiled for, as the wrapper's ValueError. */
static void
put_fail_exits(Ctx *ctx, StrBuf *sb, const IrModule *m, const CgSig *s)
{
	const char *src = cg_c_string(ctx->arena, m->source && *m->source ? m->source : m->name);
	if (ctx->opt.boundscheck)
		put_fail_exit(sb, m, "index", arena_printf(ctx->arena,
			"fprintf(stderr, \"%s(): IndexError: index %%lld is out of bounds for axis %%lld "
			"with size %%lld (%%s:%%lld:%%lld)\\n\", (long long)dfc_e[2], (long long)dfc_e[3], "
			"(long long)dfc_e[4], %s, (long long)dfc_e[0], (long long)dfc_e[1]);",
			s->p->name, src));
	if (s->fits)
		put_fail_exit(sb, m, "value", arena_printf(ctx->arena,
			"fprintf(stderr, \"%s(): ValueError: this kernel was compiled for an integer in "
			"[%%lld, %%lld] at %%s:%%lld:%%lld, the range of the array's dtype (NumPy would "
			"type the result by the value), but it was %%lld\\n\", (long long)dfc_e[3], "
			"(long long)dfc_e[4], %s, (long long)dfc_e[0], (long long)dfc_e[1], "
			"(long long)dfc_e[2]);", s->p->name, src));
}

/* Allocation of the returns, filling of the call's arguments, the run. */
static void
put_run(Ctx *ctx, StrBuf *sb, const IrModule *m, const CgSig *s)
{
	const char *fn = s->p->name;
	for (int i = 0; i < s->nret; i++) {
		const IrContainer *c = s->ret[i];
		if (s->dynamic[i])
			continue;
		sb_puts(sb, "\t{\n\t\tconst int64_t dfc_shape[] = { ");
		for (int d = 0; d < c->ndim; d++)
			sb_printf(sb, "%s%s", d ? ", " : "", sym_print_c(ctx->arena, c->shape[d]));
		sb_printf(sb, "%s };\n\t\tif ((dfc_rc = dfcrt_harness_alloc(dfc_h, \"%s\", \"%s\", \"%s\", "
			  "%d, dfc_shape, &npy_%s)))\n\t\t\tgoto out;\n\t}\n", c->ndim ? "" : "0", fn,
			  c->name, dtype_name(c->dtype), c->ndim, c->name);
	}
	int nsave = 0;
	for (int i = 0; i < s->nargs; i++) {
		const IrContainer *c = s->arg[i];
		const char *name = s->p->args.data[i].name;
		if (!c)
			sb_printf(sb, "\tdfc_a.%s_ = %s;\n", name, name);
		else if (c->ndim)
			sb_printf(sb, "\tdfc_a.%s_ = npy_%s.data;\n", name, name);
		nsave += s->written[i];
	}
	for (int i = 0; i < s->nret; i++)
		if (!s->dynamic[i])
			sb_printf(sb, "\tdfc_a.%s_ = npy_%s.data;\n", s->ret[i]->name,
				  s->ret[i]->name);
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind != CG_BIND_ARG)
			sb_printf(sb, "\tdfc_a.%s_ = %s;\n", s->bind[i].name, s->bind[i].name);
	sb_puts(sb, "\t{\n\t\tDfcrtNpy *const dfc_save[] = { ");
	for (int i = 0, k = 0; i < s->nargs; i++)
		if (s->written[i])
			sb_printf(sb, "%s&npy_%s", k++ ? ", " : "", s->p->args.data[i].name);
	sb_printf(sb, "%s };\n\t\tdfc_rc = dfcrt_harness_run(dfc_h, harness_call_%s, &dfc_a, %d, "
		  "dfc_save);\n"
		  "\t}\n", nsave ? "" : "NULL", fn, nsave);
	put_fail_exits(ctx, sb, m, s);
}

/* Saving the outputs and freeing everything. */
static void
put_epilogue(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	static const char save[] =
		"\tif (dfc_rc == 0)\n\t\tdfc_rc = dfcrt_harness_save(dfc_h, \"%s\", &npy_%s);\n";
	for (int i = 0; i < s->nret; i++) {
		const IrContainer *c = s->ret[i];
		if (!s->dynamic[i])
			continue;
		sb_printf(sb, "\tif (dfc_rc == 0) {\n\t\tdfc_rc = dfcrt_harness_adopt(dfc_h, \"%s\", "
			  "\"%s\", \"%s\", %d, dfc_a.%s_shape_, dfc_a.%s_, &npy_%s);\n"
			  "\t\tdfc_a.%s_ = NULL;\n\t}\n", s->p->name, c->name,
			  dtype_name(c->dtype), c->ndim, c->name, c->name, c->name, c->name);
	}
	for (int i = 0; i < s->nargs; i++)
		if (s->written[i])
			sb_printf(sb, save, s->p->args.data[i].name, s->p->args.data[i].name);
	for (int i = 0; i < s->nret; i++)
		sb_printf(sb, save, s->ret[i]->name, s->ret[i]->name);
	sb_printf(sb, "out:\n\tharness_release_%s(&dfc_a);\n", s->p->name);
	for (int i = 0; i < s->nret; i++)
		if (s->dynamic[i])
			sb_printf(sb, "\tdfcrt_free(dfc_a.%s_);\n", s->ret[i]->name);
	for (int i = 0; i < s->nargs; i++)
		if (s->arg[i] && s->arg[i]->ndim)
			sb_printf(sb, "\tdfcrt_npy_free(&npy_%s);\n", s->p->args.data[i].name);
	for (int i = 0; i < s->nret; i++)
		sb_printf(sb, "\tdfcrt_npy_free(&npy_%s);\n", s->ret[i]->name);
	sb_puts(sb, "\treturn dfc_rc;\n}\n");
}

static void
put_program(Ctx *ctx, StrBuf *sb, const IrModule *m, const CgSig *s)
{
	put_call(ctx, sb, s);
	put_prologue(ctx, sb, s);
	put_loads(ctx, sb, s);
	for (int i = 0; i < s->nargs; i++)
		if (s->arg[i] && cg_sig_checks_arg(s, i))
			put_shape_check(ctx, sb, s, i);
	put_assume_checks(ctx, sb, s);
	put_run(ctx, sb, m, s);
	put_epilogue(ctx, sb, s);
}

static void
put_main(Ctx *ctx, StrBuf *sb, const IrModule *m)
{
	sb_puts(sb, "\nint\nmain(int argc, char **argv)\n{\n\tDfcrtHarness h;\n"
		"\tint rc = dfcrt_harness_parse(&h, argc, argv, usage);\n"
		"\tif (rc < 0) {\n");
	for (int i = 0; i < m->programs.len; i++) {
		const char *fn = m->programs.data[i]->name;
		sb_printf(sb, "\t\t%sif (%sstrcmp(h.func, \"%s\") == 0)\n"
			  "\t\t\trc = harness_main_%s(&h);\n", i ? "else " : "",
			  i == 0 ? "!h.func || " : "", fn, fn);
	}
	sb_puts(sb, "\t\telse\n\t\t\trc = dfcrt_harness_usage_error(&h, \"no function "
		"'%s' here\", h.func);\n");
	if (ctx->opt.instrument)
		sb_puts(sb, "\t\tchar dfc_err[512];\n"
			"\t\tif (rc == 0 && dfcrt_trace_flush(dfc_err, sizeof dfc_err) != 0)\n"
			"\t\t\trc = dfcrt_harness_error(&h, \"%s\", dfc_err);\n");
	sb_puts(sb, "\t}\n\tdfcrt_harness_free(&h);\n\treturn rc;\n}\n");
}

char *
cg_exe_emit(Ctx *ctx, const IrModule *m)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	if (m->programs.len == 0)
		ICE("module '%s' has no program", m->name);
	CgSig **sigs = arena_alloc(ctx->arena, sizeof(CgSig *) * (size_t)m->programs.len);
	for (int i = 0; i < m->programs.len; i++)
		sigs[i] = cg_sig_new(ctx, m->programs.data[i]);
	sb_printf(&sb, "/* %s_main.c — generated by dfc %s%s%s; do not edit.\n"
		  " * The standalone executable of the module: see usage below. */\n",
		  cg_safe_text(ctx, m->name), DFC_VERSION, m->source && *m->source ? " from " : "",
		  cg_safe_text(ctx, m->source));
	sb_puts(&sb, "#include <stdbool.h>\n#include <stdint.h>\n#include <stdio.h>\n"
		"#include <string.h>\n\n#include \"dfcrt.h\"\n\n");
	for (int i = 0; i < m->programs.len; i++)
		sb_printf(&sb, "%s;\n%s", cg_header_prototype(ctx, sigs[i]),
			  cg_header_handle_decls(ctx, sigs[i]));
	if (ctx->opt.boundscheck)
		sb_printf(&sb, "int64_t %s_index_error(int64_t *out);\n", m->name);
	if (ir_module_uses_op(m, OP_FITS))
		sb_printf(&sb, "int64_t %s_value_error(int64_t *out);\n", m->name);
	sb_putc(&sb, '\n');
	put_usage(ctx, &sb, m, sigs);
	for (int i = 0; i < m->programs.len; i++)
		put_program(ctx, &sb, m, sigs[i]);
	put_main(ctx, &sb, m);
	return (char *)sb_str(&sb);
}
