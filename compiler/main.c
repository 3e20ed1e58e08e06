/* compiler/main.c — the dfc command line and the pipeline.
 *
 *   dfc build KERNEL.py [-o DIR] [--target openmp|serial] [-O0..-O3]
 *             [--sig SIG] [--emit so|exe|c] [--instrument] [-v] [--time]
 *   dfc dump  KERNEL.py|PROGRAM.yaml [--stage parsed|optimized]
 *             [--format yaml|dot|text] [-O0..-O3] [--sig SIG]
 *   dfc prof  TRACE.json [--top N]
 *
 * The whole pipeline reads top to bottom in compile(): frontend, verify,
 * (passes), and for `build` the emitters and the C compiler. User errors
 * exit 1 with a located diagnostic, usage errors 2, internal errors 3.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "compiler.h"
#include "../codegen/codegen.h"
#include "../frontends/python/py.h"
#include "../passes/passes.h"

static const char usage_text[] =
	"usage: dfc build KERNEL.py [-o DIR] [--target openmp|serial] [-O0..-O3]\n"
	"                 [--script RECIPE.yaml] [--sig SIGNATURE] [--emit so|exe|c]\n"
	"                 [--boundscheck] [--instrument] [-v] [--time]\n"
	"       dfc dump  KERNEL.py|PROGRAM.yaml [--stage parsed|optimized]\n"
	"                 [--format yaml|dot|text] [-O0..-O3] [--script RECIPE.yaml]\n"
	"                 [--sig SIGNATURE]\n"
	"       dfc transform KERNEL.py|PROGRAM.yaml --script RECIPE.yaml [-o OUT.yaml]\n"
	"       dfc transform --replay PROGRAM.yaml [-o OUT.yaml]\n"
	"       dfc transform --list\n"
	"       dfc match KERNEL.py|PROGRAM.yaml\n"
	"       dfc check KERNEL.py [--sig SIGNATURE] [-O0..-O3]\n"
	"       dfc prof  TRACE.json [--top N]\n"
	"       dfc --help | --version\n"
	"\n"
	"build  compiles the kernels of KERNEL.py into DIR (default .): libK.so,\n"
	"       K.h, K.py (a drop-in Python module), K.c and K.yaml (the IR);\n"
	"       --emit exe adds the executable K, --emit c writes sources only.\n"
	"dump   prints the IR of a kernel file or of a YAML dump.\n"
	"transform applies a recipe of transformations and writes the IR;\n"
	"       --replay re-applies the history of a dump to its source.\n"
	"match  lists where each transformation could apply.\n"
	"check  lists every construct of KERNEL.py that dfc cannot compile.\n"
	"prof   prints the time per kernel, state and map of the trace that\n"
	"       kernels built with --instrument write (DFC_TRACE, default\n"
	"       dfc_trace.json), sorted by total time.\n"
	"\n"
	"Exit status: 0 success, 1 error in the input, 2 usage error,\n"
	"3 internal compiler error. See docs/cli.md.\n";

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "dfc: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(run 'dfc --help' for usage)\n");
	return EXIT_USAGE;
}

static bool
one_of(const char *s, const char *const *choices)
{
	for (; *choices; choices++)
		if (strcmp(s, *choices) == 0)
			return true;
	return false;
}

/* The value of option `name` at argv[*i]: "--name=V" or "--name V" or "-oV".
 * NULL when argv[*i] is not that option. *missing is set when it is but
 * has no value. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=' && name[1] == '-')
		return a + n + 1;
	if (a[n] != '\0') {
		if (name[1] == '-')
			return NULL;
		return a + n;
	}
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

typedef struct Args {
	const char *cmd;
	const char *input;
	const char *top;      /* prof --top N, or NULL */
	bool time;            /* build --time: print the time of each phase */
} Args;

static const char *const targets[] = { "openmp", "serial", "cuda", "mpi", NULL };
static const char *const emits[] = { "so", "exe", "c", NULL };
static const char *const formats[] = { "yaml", "dot", "text", NULL };
static const char *const stages[] = { "parsed", "optimized", NULL };

/* Parses one option into ctx->opt; returns -1 when argv[*i] is no known
 * option, else 0 or a usage exit status. */
static int
parse_option(Ctx *ctx, int argc, char **argv, int *i)
{
	Options *o = &ctx->opt;
	const char *a = argv[*i], *v;
	bool missing = false;
	if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
		o->verbose = true;
		return 0;
	}
	if (strcmp(a, "--list") == 0) {
		o->list = true;
		return 0;
	}
	if (strcmp(a, "--instrument") == 0) {
		o->instrument = true;
		return 0;
	}
	if (strcmp(a, "--boundscheck") == 0) {
		o->boundscheck = true;
		return 0;
	}
	if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3]) {
		o->opt_level = a[2] - '0';
		o->opt_level_set = true;
		return 0;
	}
	struct { const char *name; const char **dst; const char *const *choices; } vals[] = {
		{ "-o", &o->outdir, NULL },         { "--target", &o->target, targets },
		{ "--emit", &o->emit, emits },      { "--sig", &o->sig, NULL },
		{ "--format", &o->format, formats },{ "--stage", &o->stage, stages },
		{ "--script", &o->script, NULL },   { "--replay", &o->replay, NULL },
	};
	for (size_t k = 0; k < sizeof vals / sizeof *vals; k++) {
		v = opt_value(argc, argv, i, vals[k].name, &missing);
		if (missing)
			return usage_error("missing argument to '%s'", vals[k].name);
		if (!v)
			continue;
		if (vals[k].choices && !one_of(v, vals[k].choices)) {
			char msg[256];
			int len = snprintf(msg, sizeof msg, "invalid value '%.64s' for '%s' (expected ",
					   v, vals[k].name);
			for (const char *const *c = vals[k].choices; *c; c++)
				len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%s",
						c == vals[k].choices ? "" : c[1] ? ", " : " or ", *c);
			snprintf(msg + len, sizeof msg - (size_t)len, ")");
			return usage_error("%s", msg);
		}
		*vals[k].dst = v;
		return 0;
	}
	return -1;
}

static int
parse_args(Ctx *ctx, int argc, char **argv, Args *args)
{
	args->cmd = argv[1];
	for (int i = 2; i < argc; i++) {
		bool missing = false;
		const char *top = opt_value(argc, argv, &i, "--top", &missing);
		if (missing)
			return usage_error("missing argument to '%s'", "--top");
		if (top && strcmp(args->cmd, "prof") != 0)
			return usage_error("--top applies to dfc prof only%s", "");
		if (top) {
			args->top = top;
			continue;
		}
		if (strcmp(argv[i], "--time") == 0) {
			if (strcmp(args->cmd, "build") != 0)
				return usage_error("--time applies to dfc build only%s", "");
			args->time = true;
			continue;
		}
		int r = parse_option(ctx, argc, argv, &i);
		if (r > 0)
			return r;
		if (r == 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return usage_error("unrecognized option '%s'", argv[i]);
		if (args->input)
			return usage_error("more than one input file ('%s')", argv[i]);
		args->input = argv[i];
	}
	if (!args->input && !ctx->opt.list && !ctx->opt.replay)
		return usage_error("no input file%s", "");
	return 0;
}

static bool
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* File name without directory and extension: "samples/jacobi2d.py" → "jacobi2d". */
static const char *
path_stem(Ctx *ctx, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	return arena_strndup(ctx->arena, base, n);
}

static bool
is_identifier(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* The frontend for `path`: a verified IR module, or NULL after errors. */
static IrModule *
load_input(Ctx *ctx, const char *path)
{
	SrcLoc loc = { path, 0, 0 };
	IrModule *m = NULL;
	jmp_buf bail;
	jmp_buf *saved = ctx->bail;
	ctx->bail = &bail;
	if (setjmp(bail)) {
		ctx->bail = saved;
		return NULL;
	}
	if (has_suffix(path, ".py")) {
		m = py_lower_file(ctx, path, ctx->opt.sig);
	} else if (has_suffix(path, ".yaml") || has_suffix(path, ".yml")) {
		size_t len;
		char *text = file_read(ctx->arena, path, &len);
		if (!text)
			diag_fatal(ctx, loc, "cannot read file: %s", strerror(errno));
		m = ir_load_yaml(ctx, path, text, len);
	} else if (has_suffix(path, ".c")) {
		diag_fatal(ctx, loc, "C kernels are not supported yet (only .py and .yaml inputs)");
	} else {
		diag_fatal(ctx, loc, "unknown kind of input file (expected .py or .yaml)");
	}
	ctx->bail = saved;
	if (!m || ctx->nerrors)
		return NULL;
	if (!ir_verify(ctx, m)) {
		/* A .py file that lowers to broken IR is dfc's fault; a broken
		 * YAML file is the user's. */
		if (has_suffix(path, ".py"))
			ICE("the frontend produced invalid IR for %s", path);
		return NULL;
	}
	return m;
}

/* The passes: the recipe of --script, else the pipeline of the -O level
 * (none for --stage parsed). A YAML input is IR that may already be
 * optimized: only an explicit -O runs the pipeline on it. Errors are
 * reported; false then. */
static bool
optimize(Ctx *ctx, IrModule *m, const char *input)
{
	if (strcmp(ctx->opt.stage, "parsed") == 0)
		return true;
	if (ctx->opt.script)
		return pass_run_recipe(ctx, m, ctx->opt.script);
	if (!has_suffix(input, ".py") && !ctx->opt.opt_level_set)
		return true;
	return pass_run_level(ctx, m, ctx->opt.opt_level);
}

static bool
write_out(Ctx *ctx, const char *dir, const char *name, const char *text)
{
	const char *path = arena_printf(ctx->arena, "%s/%s", dir, name);
	if (file_write(path, text, strlen(text)))
		return true;
	diag_error(ctx, (SrcLoc){ path, 0, 0 }, "cannot write file: %s", strerror(errno));
	return false;
}

static bool
make_dir(Ctx *ctx, const char *dir)
{
	char *p = arena_strdup(ctx->arena, dir);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			diag_error(ctx, (SrcLoc){ p, 0, 0 },
				   "cannot create output directory: %s", strerror(errno));
			return false;
		}
		*s = c;
		if (!c)
			return true;
	}
}

/* Emits the sources of m into DIR: K.yaml, K.c, K.h, K.py, and K_main.c
 * for --emit exe. */
static int
emit_sources(Ctx *ctx, IrModule *m)
{
	const char *dir = ctx->opt.outdir ? ctx->opt.outdir : ".", *k = m->name;
	Arena *a = ctx->arena;
	bool parallel = strcmp(ctx->opt.target, "openmp") == 0;
	char *csrc = cg_omp_emit_module(ctx, m, parallel);
	if (!csrc)
		return EXIT_USER;
	const char *lib = arena_printf(a, "lib%s.so", k);
	if (!make_dir(ctx, dir) ||
	    !write_out(ctx, dir, arena_printf(a, "%s.yaml", k), ir_dump_yaml(ctx, m)) ||
	    !write_out(ctx, dir, arena_printf(a, "%s.c", k), csrc) ||
	    !write_out(ctx, dir, arena_printf(a, "%s.h", k), cg_header_emit(ctx, m)) ||
	    !write_out(ctx, dir, arena_printf(a, "%s.py", k), cg_pywrap_emit(ctx, m, lib)))
		return EXIT_USER;
	bool exe = strcmp(ctx->opt.emit, "exe") == 0;
	if (exe && !write_out(ctx, dir, arena_printf(a, "%s_main.c", k), cg_exe_emit(ctx, m)))
		return EXIT_USER;
	return 0;
}

/* Runs the C compiler on the sources emit_sources wrote: libK.so, and the
 * executable K for --emit exe. */
static int
compile_sources(Ctx *ctx, IrModule *m)
{
	const char *dir = ctx->opt.outdir ? ctx->opt.outdir : ".", *k = m->name;
	Arena *a = ctx->arena;
	bool parallel = strcmp(ctx->opt.target, "openmp") == 0;
	bool exe = strcmp(ctx->opt.emit, "exe") == 0;
	const char *lib = arena_printf(a, "lib%s.so", k);
	Runtime rt;
	if (!cg_runtime_find(ctx, &rt))
		return EXIT_ICE;
	const char *src = arena_printf(a, "%s/%s.c", dir, k);
	if (!cg_toolchain_compile(ctx, &rt, 1, &src, arena_printf(a, "%s/%s", dir, lib),
				  true, parallel))
		return EXIT_ICE;
	if (exe) {
		const char *srcs[2] = { src, arena_printf(a, "%s/%s_main.c", dir, k) };
		if (!cg_toolchain_compile(ctx, &rt, 2, srcs, arena_printf(a, "%s/%s", dir, k),
					  false, parallel))
			return EXIT_ICE;
	}
	return 0;
}

/* Milliseconds on the monotonic clock, for dfc build --time. */
static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* dfc build --time: the wall-clock time of each phase on stderr, one
 * "dfc: time: PHASE MS ms" line each (docs/cli.md); "source to C" is the
 * sum of the first three, dfc's own time; the C compiler's comes apart,
 * and not at all for --emit c. */
static void
time_report(const double *ms, bool compiled)
{
	static const char *const phases[] = { "frontend", "passes", "C emission" };
	for (int i = 0; i < 3; i++)
		fprintf(stderr, "dfc: time: %s %.3f ms\n", phases[i], ms[i]);
	fprintf(stderr, "dfc: time: source to C %.3f ms\n", ms[0] + ms[1] + ms[2]);
	if (compiled)
		fprintf(stderr, "dfc: time: C compiler %.3f ms\n", ms[3]);
}

/* Loads, optimizes, emits and compiles; ms[] receives the time of each
 * phase (frontend, passes, C emission, C compiler). */
static int
build_phases(Ctx *ctx, const char *input, double *ms)
{
	double t = now_ms();
	IrModule *m = load_input(ctx, input);
	ms[0] = now_ms() - t;
	t = now_ms();
	if (!m || !optimize(ctx, m, input))
		return EXIT_USER;
	ms[1] = now_ms() - t;
	t = now_ms();
	int rc = emit_sources(ctx, m);
	ms[2] = now_ms() - t;
	if (rc || strcmp(ctx->opt.emit, "c") == 0)
		return rc;
	t = now_ms();
	rc = compile_sources(ctx, m);
	ms[3] = now_ms() - t;
	return rc;
}

/* Would the Python module K.py that dfc build writes into the output
 * directory be the kernel file itself (`dfc build k.py` run in k.py's
 * directory, the default -o .)? Then an error, before anything is
 * written, as gcc refuses an output file that is its input. */
static bool
overwrites_input(Ctx *ctx, const char *input, const char *stem)
{
	const char *dir = ctx->opt.outdir ? ctx->opt.outdir : ".";
	const char *mod = arena_printf(ctx->arena, "%s/%s.py", dir, stem);
	struct stat in, out;
	if (stat(input, &in) != 0 || stat(mod, &out) != 0 || in.st_dev != out.st_dev ||
	    in.st_ino != out.st_ino)
		return false;
	diag_error(ctx, (SrcLoc){ input, 0, 0 },
		   "the Python module that dfc build writes, '%s', is this kernel file: it "
		   "would be overwritten; build into another directory with -o DIR", mod);
	return true;
}

static int
cmd_build(Ctx *ctx, const Args *args)
{
	const char *t = ctx->opt.target;
	if (strcmp(t, "cuda") == 0 || strcmp(t, "mpi") == 0)
		return usage_error("--target %s is not implemented yet", t);
	if (!args->input)
		return usage_error("no input file%s", "");
	if (!has_suffix(args->input, ".py"))
		return usage_error("dfc build takes a .py kernel file, not '%s'", args->input);
	const char *stem = path_stem(ctx, args->input);
	if (!is_identifier(stem)) {
		diag_error(ctx, (SrcLoc){ args->input, 0, 0 },
			   "the file name '%s' must be a Python identifier: it names the "
			   "generated module and library", stem);
		return EXIT_USER;
	}
	if (overwrites_input(ctx, args->input, stem))
		return EXIT_USER;
	double ms[4] = { 0 };
	int rc = build_phases(ctx, args->input, ms);
	if (rc == 0 && args->time)
		time_report(ms, strcmp(ctx->opt.emit, "c") != 0);
	return rc;
}

static int
cmd_dump(Ctx *ctx, const Args *args)
{
	if (!args->input)
		return usage_error("no input file%s", "");
	IrModule *m = load_input(ctx, args->input);
	if (!m || !optimize(ctx, m, args->input))
		return EXIT_USER;
	const char *f = ctx->opt.format;
	char *text = strcmp(f, "dot") == 0 ? ir_dump_dot(ctx, m)
		   : strcmp(f, "text") == 0 ? ir_dump_text(ctx, m)
		   : ir_dump_yaml(ctx, m);
	fputs(text, stdout);
	return fflush(stdout) == 0 ? 0 : EXIT_USER;
}

/* Writes the YAML of m to -o FILE, or to stdout. */
static int
write_yaml(Ctx *ctx, IrModule *m)
{
	const char *text = ir_dump_yaml(ctx, m);
	if (!ctx->opt.outdir) {
		fputs(text, stdout);
		return fflush(stdout) == 0 ? 0 : EXIT_USER;
	}
	if (file_write(ctx->opt.outdir, text, strlen(text)))
		return 0;
	diag_error(ctx, (SrcLoc){ ctx->opt.outdir, 0, 0 }, "cannot write file: %s", strerror(errno));
	return EXIT_USER;
}

static int
cmd_transform(Ctx *ctx, const Args *args)
{
	if (ctx->opt.list) {
		int n;
		const Xform *const *cat = pass_catalogue(&n);
		for (int i = 0; i < n; i++)
			printf("%-28s %s\n", cat[i]->name, cat[i]->desc);
		return 0;
	}
	if (ctx->opt.replay) {
		if (args->input)
			return usage_error("--replay takes the dump, not '%s'", args->input);
		IrModule *dump = load_input(ctx, ctx->opt.replay);
		if (!dump)
			return EXIT_USER;
		if (!dump->source || !*dump->source) {
			diag_error(ctx, (SrcLoc){ ctx->opt.replay, 0, 0 },
				   "the dump names no source file to replay its history on");
			return EXIT_USER;
		}
		IrModule *m = load_input(ctx, dump->source);
		if (!m || !pass_replay(ctx, m, dump))
			return EXIT_USER;
		return write_yaml(ctx, m);
	}
	if (!args->input)
		return usage_error("no input file%s", "");
	if (!ctx->opt.script)
		return usage_error("dfc transform needs --script RECIPE.yaml%s", "");
	IrModule *m = load_input(ctx, args->input);
	if (!m || !pass_run_recipe(ctx, m, ctx->opt.script))
		return EXIT_USER;
	return write_yaml(ctx, m);
}

static int
cmd_match(Ctx *ctx, const Args *args)
{
	if (!args->input)
		return usage_error("no input file%s", "");
	IrModule *m = load_input(ctx, args->input);
	if (!m)
		return EXIT_USER;
	pass_match_print(ctx, m, stdout);
	return fflush(stdout) == 0 ? 0 : EXIT_USER;
}

/* dfc check: every problem of the file, each located; or a line saying
 * that every kernel compiles (through the pipeline to C). */
static int
cmd_check(Ctx *ctx, const Args *args)
{
	if (!has_suffix(args->input, ".py"))
		return usage_error("dfc check takes a .py kernel file, not '%s'", args->input);
	jmp_buf bail;
	jmp_buf *saved = ctx->bail;
	IrModule *m = NULL;
	ctx->bail = &bail;
	if (setjmp(bail) == 0)
		m = py_check_file(ctx, args->input, ctx->opt.sig);
	ctx->bail = saved;
	if (m && ctx->nerrors == 0) {
		if (!ir_verify(ctx, m))
			ICE("the frontend produced invalid IR for %s", args->input);
		if (optimize(ctx, m, args->input)) {
			cg_omp_emit_module(ctx, m, true);
			int n = m->programs.len;
			printf(n == 1 ? "%s: the kernel can be compiled\n"
			       : "%s: all %d kernels can be compiled\n", args->input, n);
			return fflush(stdout) == 0 ? 0 : EXIT_USER;
		}
	}
	fprintf(stderr, "%s: %d problem%s found\n", args->input, ctx->nerrors,
		ctx->nerrors == 1 ? "" : "s");
	return EXIT_USER;
}

/* dfc prof: the table of a trace written by kernels built with
 * --instrument. */
static int
cmd_prof(Ctx *ctx, const Args *args)
{
	int top = 0;
	if (args->top) {
		char *end;
		errno = 0;
		long v = strtol(args->top, &end, 10);
		if (errno || end == args->top || *end || v < 1 || v > 1000000000)
			return usage_error("--top takes a positive integer, not '%s'", args->top);
		top = (int)v;
	}
	size_t len;
	char *text = file_read(ctx->arena, args->input, &len);
	if (!text) {
		diag_error(ctx, (SrcLoc){ args->input, 0, 0 }, "cannot read file: %s",
			   strerror(errno));
		return EXIT_USER;
	}
	if (!prof_trace_print(ctx, args->input, text, len, top, stdout))
		return EXIT_USER;
	return fflush(stdout) == 0 ? 0 : EXIT_USER;
}

int
main(int argc, char **argv)
{
	diag_install_crash_handler();
	if (argc < 2)
		return usage_error("no command given%s", "");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("dfc %s\n", DFC_VERSION);
		return 0;
	}
	static const char *const cmds[] = { "build", "dump", "transform", "match", "check", "prof",
					    NULL };
	if (!one_of(argv[1], cmds))
		return usage_error("unknown command '%s'", argv[1]);
	Ctx *ctx = ctx_new();
	Args args = { 0 };
	int rc = parse_args(ctx, argc, argv, &args);
	if (rc == 0) {
		const char *c = args.cmd;
		rc = strcmp(c, "build") == 0 ? cmd_build(ctx, &args)
		   : strcmp(c, "dump") == 0 ? cmd_dump(ctx, &args)
		   : strcmp(c, "transform") == 0 ? cmd_transform(ctx, &args)
		   : strcmp(c, "check") == 0 ? cmd_check(ctx, &args)
		   : strcmp(c, "prof") == 0 ? cmd_prof(ctx, &args)
		   : cmd_match(ctx, &args);
	}
	ctx_free(ctx);
	return rc;
}
