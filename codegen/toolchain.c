/* codegen/toolchain.c — finding libdfcrt and running the C compiler.
 *
 * The runtime is found from the dfc executable's own path (readlink of
 * /proc/self/exe), in the two layouts `make` and `make install` produce:
 *     build tree   <dir>/dfc, <dir>/libdfcrt.a, <dir>/../runtime/dfcrt.h
 *     installed    <prefix>/bin/dfc, <prefix>/lib/dfc/libdfcrt.a,
 *                  <prefix>/include/dfc/dfcrt.h
 * or from ctx->opt.runtime_dir when set (holding dfcrt.h and libdfcrt.a,
 * directly or in one of those layouts).
 *
 * The compiler is started with posix_spawnp and an argument vector, never
 * through a shell, so paths with spaces or quotes need no escaping. Its
 * diagnostics go straight to our stderr. Generated code must always
 * compile: a failure is reported as an internal compiler error.
 *
 * -fno-math-errno lets gcc vectorize loops that call math functions
 * (with glibc's libmvec variants, which the generated file declares) and
 * keep sqrt inline; generated code never reads errno. -fno-trapping-math
 * (clang's default) lets it vectorize floor, ceil, trunc and rint and
 * conversions between floats and integers, which it otherwise keeps
 * scalar lest a vector lane raise an FP exception flag the scalar code
 * would not: generated code never reads those flags, and no value
 * changes. Nothing else of -ffast-math is on: no reassociation, NaN,
 * infinities and signed zeros behave as IEEE 754 says. -ffp-contract=off keeps a*b + c two roundings,
 * as NumPy computes it (gcc's default under -std=c11; clang would fuse it
 * into an fma, which differs where a*b overflows). sin and cos (double
 * and float) are not builtins: gcc would merge a sin and a cos of one
 * argument into a scalar sincos call, which it cannot vectorize (libmvec
 * calls for each are, with the declarations of the generated file, which
 * make them __const__ again).
 *
 * $DFC_CFLAGS, split at spaces, is appended to the default flags: it can
 * override them (-O1) or add instrumentation (-fsanitize=address,undefined
 * for `make test-all`, -fsanitize=thread for `make race`).
 *
 * Libraries: the runtime and libm always (a shared library links the
 * runtime's result pool, runtime/pool.c, whatever its kernels use: its
 * Python wrapper allocates large returns there); OpenBLAS (-lopenblas) when a
 * source includes <cblas.h>, which the OpenMP emitter writes exactly when
 * some library node of the module is expanded with BLAS.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codegen.h"

extern char **environ;

typedef VEC(const char *) Words;

static bool
is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir/rel, canonicalized when it exists; NULL when it is not a file. */
static const char *
find_file(Ctx *ctx, const char *dir, const char *rel)
{
	char *path = arena_printf(ctx->arena, "%s/%s", dir, rel);
	if (!is_file(path))
		return NULL;
	char buf[PATH_MAX];
	return realpath(path, buf) ? arena_strdup(ctx->arena, buf) : path;
}

/* Tries the layouts around dir; fills rt and returns true on success. */
static bool
try_layouts(Ctx *ctx, const char *dir, Runtime *rt)
{
	static const char *const layouts[][2] = {
		{ "dfcrt.h", "libdfcrt.a" },                          /* one directory */
		{ "../runtime/dfcrt.h", "libdfcrt.a" },               /* build/ */
		{ "../include/dfc/dfcrt.h", "../lib/dfc/libdfcrt.a" },/* PREFIX/bin */
		{ "include/dfc/dfcrt.h", "lib/dfc/libdfcrt.a" },      /* PREFIX */
		{ "runtime/dfcrt.h", "build/libdfcrt.a" },            /* source tree */
	};
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		const char *h = find_file(ctx, dir, layouts[i][0]);
		const char *lib = find_file(ctx, dir, layouts[i][1]);
		if (h && lib) {
			char *inc = arena_strdup(ctx->arena, h);
			*strrchr(inc, '/') = '\0';
			rt->include_dir = inc;
			rt->lib = lib;
			return true;
		}
	}
	return false;
}

bool
cg_runtime_find(Ctx *ctx, Runtime *rt)
{
	const char *rd = ctx->opt.runtime_dir;
	if (rd && *rd) {
		if (try_layouts(ctx, rd, rt))
			return true;
		diag_error(ctx, (SrcLoc){ 0 }, "cannot find the dfc runtime (dfcrt.h and "
			   "libdfcrt.a) in '%s'", rd);
		return false;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		diag_error(ctx, (SrcLoc){ 0 }, "cannot locate the dfc executable to find its "
			   "runtime: %s", strerror(errno));
		return false;
	}
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	if (try_layouts(ctx, exe, rt))
		return true;
	diag_error(ctx, (SrcLoc){ 0 }, "cannot find the dfc runtime (dfcrt.h and libdfcrt.a) "
		   "next to %s; run `make` (or `make install`) first", exe);
	return false;
}

/* Pushes the words of text, separated by spaces and tabs (no quoting). */
static void
push_words(Ctx *ctx, Words *argv, const char *text)
{
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *q = p;
		while (*q && *q != ' ' && *q != '\t')
			q++;
		if (q > p)
			vec_push(ctx->arena, argv, arena_strndup(ctx->arena, p, (size_t)(q - p)));
		p = q;
	}
}

/* Splits a compiler setting such as "ccache gcc" into words, unless it
 * names an existing file as a whole (a path with spaces). */
static void
push_cc(Ctx *ctx, Words *argv, const char *cc)
{
	if (!strchr(cc, ' ') || is_file(cc))
		vec_push(ctx->arena, argv, cc);
	else
		push_words(ctx, argv, cc);
}

/* The command for messages: words joined by spaces, quoted when needed. */
static char *
command_text(Ctx *ctx, char **argv)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	for (int i = 0; argv[i]; i++) {
		if (i)
			sb_putc(&sb, ' ');
		if (argv[i][0] && !strpbrk(argv[i], " \t\n'\"\\$`*?[]{}()<>|&;#~")) {
			sb_puts(&sb, argv[i]);
			continue;
		}
		sb_putc(&sb, '\'');
		for (const char *p = argv[i]; *p; p++)
			sb_puts(&sb, *p == '\'' ? "'\\''" : (char[]){ *p, 0 });
		sb_putc(&sb, '\'');
	}
	return (char *)sb_str(&sb);
}

/* Runs argv; returns its wait status, or -1 (message printed) when it
 * could not be started. */
static int
run_command(Ctx *ctx, char **argv)
{
	pid_t pid;
	int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (err != 0) {
		diag_error(ctx, (SrcLoc){ 0 }, "cannot run the C compiler '%s': %s (set CC "
			   "to a C11 compiler with OpenMP)", argv[0], strerror(err));
		return -1;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			diag_error(ctx, (SrcLoc){ 0 }, "waiting for the C compiler: %s",
				   strerror(errno));
			return -1;
		}
	}
	return status;
}

/* Whether one of the sources includes <cblas.h> (an unreadable one is
 * left for the compiler to report). */
static bool
sources_use_blas(Ctx *ctx, int nsrc, const char **srcs)
{
	static const char inc[] = "#include <cblas.h>\n";
	for (int i = 0; i < nsrc; i++) {
		const char *text = file_read(ctx->arena, srcs[i], NULL);
		if (!text)
			continue;
		for (const char *p = text; (p = strstr(p, inc)); p++)
			if (p == text || p[-1] == '\n')
				return true;
	}
	return false;
}

bool
cg_toolchain_compile(Ctx *ctx, const Runtime *rt, int nsrc, const char **srcs,
		     const char *out, bool shared, bool openmp)
{
	Words argv = { 0 };
	const char *cc = ctx->opt.cc && *ctx->opt.cc ? ctx->opt.cc : getenv("CC");
	push_cc(ctx, &argv, cc && *cc ? cc : "cc");
	static const char *const flags[] = { "-std=c11", "-O3", "-march=native", "-fwrapv",
					     "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=off",
					     "-fno-builtin-sin", "-fno-builtin-cos", "-fno-builtin-sinf",
					     "-fno-builtin-cosf", "-fPIC" };
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		vec_push(ctx->arena, &argv, flags[i]);
	if (shared)
		vec_push(ctx->arena, &argv, "-shared");
	if (openmp)
		vec_push(ctx->arena, &argv, "-fopenmp");
	const char *extra = getenv("DFC_CFLAGS");
	if (extra)
		push_words(ctx, &argv, extra);
	vec_push(ctx->arena, &argv, arena_printf(ctx->arena, "-I%s", rt->include_dir));
	for (int i = 0; i < nsrc; i++)
		vec_push(ctx->arena, &argv, srcs[i]);
	if (shared)  /* the Python wrapper's result pool, whatever the kernels use */
		vec_push(ctx->arena, &argv, "-Wl,-u,dfcrt_result_alloc");
	vec_push(ctx->arena, &argv, rt->lib);
	if (sources_use_blas(ctx, nsrc, srcs))
		vec_push(ctx->arena, &argv, "-lopenblas");
	vec_push(ctx->arena, &argv, "-lm");
	vec_push(ctx->arena, &argv, "-o");
	vec_push(ctx->arena, &argv, out);
	vec_push(ctx->arena, &argv, NULL);
	char **args = (char **)argv.data;
	char *text = command_text(ctx, args);
	if (ctx->opt.verbose)
		fprintf(ctx->err ? ctx->err : stderr, "%s\n", text);
	int status = run_command(ctx, args);
	if (status == -1)
		return false;
	FILE *e = ctx->err ? ctx->err : stderr;
	if (WIFSIGNALED(status)) {
		fprintf(e, "dfc: internal compiler error: the C compiler was killed by signal "
			"%d (%s) (command: %s)\n", WTERMSIG(status), strsignal(WTERMSIG(status)),
			text);
		ctx->nerrors++;
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(e, "dfc: internal compiler error: the generated C failed to compile "
			"(command: %s)\n", text);
		const char *extra = getenv("DFC_CFLAGS");
		if (extra && *extra)
			fprintf(e, "dfc: note: the command holds DFC_CFLAGS='%s' from the "
				"environment; check those options first\n", extra);
		ctx->nerrors++;
		return false;
	}
	return true;
}
