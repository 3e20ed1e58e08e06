/* tests/unit/test_emit.c — the OpenMP C backend (codegen/openmp).
 *
 * Each test builds a program by hand with the ir/build.c constructors
 * (subsets, Syms and tasklet expressions from their text forms), checks it
 * with ir_verify, emits it in parallel and serial mode, and then:
 *   - compiles the C with `cc -std=c11 -Wall -Wextra -Werror -fwrapv`
 *     (+ -fopenmp in parallel mode) under gcc, and under clang when it is
 *     installed, so the generated code is warning-free for both;
 *   - links it with a small C main (written here, next to each test) and
 *     runtime/dfcrt.c, runs it with OMP_NUM_THREADS=2, and lets the main
 *     compare the results with a straightforward C reference, or with
 *     values NumPy 1.24 computed (the expression semantics table).
 * The runtime is looked for in ./runtime (the repository root, where `make
 * test` runs) and next to the test binary; without it or without gcc the
 * test exits 77 (skipped). DFC_TEST_KEEP=1 keeps the generated files (they
 * are always kept when a check fails).
 */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../codegen/codegen.h"
#include "test.h"

static Ctx *ctx;
static IrModule *mod;
static IrProgram *prog;
static char tmpdir[64];
static char rtdir[512];
static bool have_clang;

/* ---- IR from text ---- */

static SrcLoc
L(int line)
{
	return (SrcLoc){ "test.py", line, 1 };
}

static Sym *
SY(const char *text)
{
	const char *err;
	int pos;
	Sym *s = sym_parse(ctx->arena, text, &err, &pos);
	if (!s) {
		fprintf(stderr, "bad sym '%s': %s\n", text, err);
		exit(2);
	}
	return s;
}

static Subset
SS(const char *text)
{
	Subset s;
	const char *err;
	int pos;
	if (!subset_parse(ctx->arena, text, &s, &err, &pos)) {
		fprintf(stderr, "bad subset '%s': %s\n", text, err);
		exit(2);
	}
	return s;
}

/* The whole of container `data`. */
static Subset
full(const char *data)
{
	const IrContainer *c = ir_program_find_container(prog, data);
	if (!c) {
		fprintf(stderr, "no container '%s'\n", data);
		exit(2);
	}
	Subset s = { c->ndim, arena_alloc(ctx->arena, sizeof(SymRange) * (size_t)(c->ndim + 1)) };
	for (int d = 0; d < c->ndim; d++)
		s.r[d] = (SymRange){ sym_const(ctx->arena, 0), c->shape[d], sym_const(ctx->arena, 1) };
	return s;
}

static void
new_program(const char *name)
{
	mod = ir_module_new(ctx, name, "test.py");
	prog = ir_program_new(ctx, mod, name, L(1));
}

/* A container of shape "[N, M]" ("[]" for a scalar); arguments and returns
 * are appended to the signature in the order they are declared. */
static void
data(const char *name, DType t, const char *shape, ContainerRole role)
{
	Subset s = SS(shape);
	Sym **sh = arena_alloc(ctx->arena, sizeof(Sym *) * (size_t)(s.ndim + 1));
	for (int d = 0; d < s.ndim; d++)
		sh[d] = s.r[d].begin;
	ir_program_add_container(ctx, prog, name, t, s.ndim, sh, role, L(1));
	if (role == ROLE_ARGUMENT)
		vec_push(ctx->arena, &prog->args, ((IrArg){ ARG_DATA, name }));
	if (role == ROLE_RETURN)
		vec_push(ctx->arena, &prog->returns, name);
}

static void
symbol(const char *name, bool is_arg)
{
	ir_program_add_symbol(ctx, prog, name);
	if (is_arg)
		vec_push(ctx->arena, &prog->args, ((IrArg){ ARG_SYMBOL, name }));
}

/* Connectors "a:float64 b:int32". */
typedef struct Conns {
	int n;
	IrConn c[8];
} Conns;

static Conns
conns(const char *spec)
{
	Conns cs = { 0 };
	char *s = arena_strdup(ctx->arena, spec);
	for (char *tok = strtok(s, " "); tok; tok = strtok(NULL, " ")) {
		char *colon = strchr(tok, ':');
		*colon = '\0';
		cs.c[cs.n].name = tok;
		if (!dtype_from_name(colon + 1, &cs.c[cs.n].dtype))
			exit(2);
		cs.n++;
	}
	return cs;
}

static bool
conn_dtype(const char *name, DType *t, void *ud)
{
	const Conns *cs = ud;
	for (int i = 0; i < cs->n; i++)
		if (strcmp(cs->c[i].name, name) == 0) {
			*t = cs->c[i].dtype;
			return true;
		}
	return false;
}

static IrExpr *
parse_expr(const char *text, bool (*in_dtype)(const char *, DType *, void *), void *ud)
{
	const char *err;
	int pos;
	IrExpr *e = ir_expr_parse(ctx->arena, text, in_dtype, ud, &err, &pos);
	if (!e) {
		fprintf(stderr, "bad expression '%s': %s at %d\n", text, err, pos);
		exit(2);
	}
	return e;
}

static bool
container_dtype(const char *name, DType *t, void *ud)
{
	const IrContainer *c = ir_program_find_container(prog, name);
	(void)ud;
	if (c)
		*t = c->dtype;
	return c != NULL;
}

/* A control-flow condition over 0-d containers and symbols. */
static IrExpr *
cond(const char *text)
{
	return parse_expr(text, container_dtype, NULL);
}

static int
tasklet(IrState *s, const char *ins, const char *out, const char *expr)
{
	Conns ci = conns(ins), co = conns(out);
	return ir_state_add_tasklet(ctx, s, ci.n, ci.c, co.c[0],
				    parse_expr(expr, conn_dtype, &ci), L(s->loc.line));
}

static int
acc(IrState *s, const char *d)
{
	return ir_state_add_access(ctx, s, d, L(s->loc.line));
}

/* subset NULL: the whole container. */
static void
edge(IrState *s, int src, const char *sc, int dst, const char *dc, const char *d,
     const char *subset, Wcr w)
{
	ir_state_add_memlet(ctx, s, src, sc, dst, dc, d, subset ? SS(subset) : full(d), w,
			    L(s->loc.line));
}

static const char *
cat(const char *a, const char *b)
{
	return arena_printf(ctx->arena, "%s%s", a, b);
}

typedef struct Io {
	const char *data, *subset;
	Wcr wcr;
} Io;

/* A top-level tasklet: input i of `ins` reads in[i], the output writes o. */
static int
scalar_op(IrState *s, const char *ins, const char *out, const char *expr, const Io *in, Io o)
{
	Conns ci = conns(ins), co = conns(out);
	int t = tasklet(s, ins, out, expr);
	for (int i = 0; i < ci.n; i++)
		edge(s, acc(s, in[i].data), NULL, t, ci.c[i].name, in[i].data, in[i].subset, WCR_NONE);
	edge(s, t, co.c[0].name, acc(s, o.data), NULL, o.data, o.subset, o.wcr);
	return t;
}

/* A map (params "i, j", ranges "[0:N, 0:M]") around one tasklet, each
 * container through its own access node and IN_/OUT_ connectors. */
static int
mapped(IrState *s, const char *label, const char *params, const char *ranges, Schedule sch,
       const char *ins, const char *out, const char *expr, const Io *in, Io o)
{
	Conns ci = conns(ins), co = conns(out);
	const char *ps[4];
	int np = 0;
	char *pcopy = arena_strdup(ctx->arena, params);
	for (char *tok = strtok(pcopy, ", "); tok; tok = strtok(NULL, ", "))
		ps[np++] = tok;
	Subset rg = SS(ranges);
	int en = ir_state_add_map(ctx, s, label, np, ps, rg.r, sch, L(s->loc.line));
	int ex = s->nodes.data[en].map.exit;
	int t = tasklet(s, ins, out, expr);
	for (int i = 0; i < ci.n; i++) {
		const char *cn = ci.c[i].name;
		edge(s, acc(s, in[i].data), NULL, en, cat("IN_", cn), in[i].data, NULL, WCR_NONE);
		edge(s, en, cat("OUT_", cn), t, cn, in[i].data, in[i].subset, WCR_NONE);
	}
	if (ci.n == 0)
		ir_state_add_memlet(ctx, s, en, NULL, t, NULL, NULL, (Subset){ 0 }, WCR_NONE, L(1));
	edge(s, t, co.c[0].name, ex, cat("IN_", o.data), o.data, o.subset, o.wcr);
	edge(s, ex, cat("OUT_", o.data), acc(s, o.data), NULL, o.data, NULL, o.wcr);
	return en;
}

static IrState *
state(IrBlockList *l, const char *name, int line)
{
	IrState *s = ir_state_new(ctx, name, L(line));
	vec_push(ctx->arena, l, ir_block_state(ctx, s));
	return s;
}

static IrBlock *
loop_for(IrBlockList *l, const char *name, int line, const char *var, const char *start,
	 const char *stop, const char *step)
{
	IrBlock *b = ir_block_new(ctx, CF_FOR, name, L(line));
	b->loop.var = var;
	b->loop.start = SY(start);
	b->loop.stop = SY(stop);
	b->loop.step = SY(step);
	vec_push(ctx->arena, l, b);
	return b;
}

static void
jump(IrBlockList *l, IrBlockKind k)
{
	vec_push(ctx->arena, l, ir_block_new(ctx, k, NULL, L(1)));
}

/* ---- compiling and running ---- */

static const char prelude[] =
	"#include <math.h>\n#include <stdbool.h>\n#include <stdint.h>\n#include <stdio.h>\n"
	"#include <stdlib.h>\n#include <string.h>\n"
	"static int fails;\n"
	"#define EXPECT(c) do { if (!(c)) { if (fails++ < 20) fprintf(stderr, "
	"\"%s:%d: expected %s\\n\", __FILE__, __LINE__, #c); } } while (0)\n"
	"static inline int same(double a, double b) { return (isnan(a) && isnan(b)) || "
	"(a == b && !signbit(a) == !signbit(b)); }\n"
	"static inline int near(double a, double b) { return fabs(a - b) <= 1e-9 * (1 + fabs(b)); }\n";

/* Code of a test main, written as C tokens. */
#define SRC(...) #__VA_ARGS__

static bool
run(const char *cmd, const char *what)
{
	char *full_cmd = arena_printf(ctx->arena, "%s >%s/log 2>&1", cmd, tmpdir);
	int rc = system(full_cmd);
	if (rc != 0) {
		fprintf(stderr, "%s failed: %s\n", what, cmd);
		char *log = file_read(ctx->arena, arena_printf(ctx->arena, "%s/log", tmpdir), NULL);
		fprintf(stderr, "%s\n", log ? log : "");
	}
	return rc == 0;
}

static char *
write_tmp(const char *name, const char *text)
{
	char *path = arena_printf(ctx->arena, "%s/%s", tmpdir, name);
	if (!file_write(path, text, strlen(text))) {
		perror(path);
		exit(2);
	}
	return path;
}

/* Emits mod (both modes), compiles it warning-free with gcc and clang,
 * and runs main_src against it. */
static char *
check_program(const char *name, const char *main_src)
{
	CHECK(ir_verify(ctx, mod));
	char *par = NULL;
	for (int mode = 0; mode < 2; mode++) {
		bool parallel = mode == 0;
		char *code = cg_omp_emit_module(ctx, mod, parallel);
		CHECK(code != NULL);
		if (!code)
			return NULL;
		char *again = cg_omp_emit_module(ctx, mod, parallel);
		CHECK_STR(again, code);
		const char *tag = parallel ? "par" : "ser";
		const char *omp = parallel ? "-fopenmp" : "";
		if (parallel)
			par = code;
		else
			CHECK(strstr(code, "#pragma omp") == NULL);
		char *src = write_tmp(arena_printf(ctx->arena, "%s_%s.c", name, tag), code);
		char *mainc = write_tmp(arena_printf(ctx->arena, "%s_main.c", name),
					arena_printf(ctx->arena, "%s%s\n", prelude, main_src));
		const char *flags = "-std=c11 -O2 -Wall -Wextra -Werror -fwrapv";
		CHECK(run(arena_printf(ctx->arena, "gcc %s %s -I%s -c %s -o %s/%s_%s.o", flags, omp,
				       rtdir, src, tmpdir, name, tag), "gcc"));
		if (have_clang)
			CHECK(run(arena_printf(ctx->arena, "clang %s %s -I%s -c %s -o %s/%s_%s_clang.o",
					       flags, omp, rtdir, src, tmpdir, name, tag), "clang"));
		const char *exe = arena_printf(ctx->arena, "%s/%s_%s", tmpdir, name, tag);
		if (!run(arena_printf(ctx->arena, "gcc -std=c11 -O1 %s -I%s %s %s/%s_%s.o %s/dfcrt.c "
				      "-lm -o %s", omp, rtdir, mainc, tmpdir, name, tag, rtdir, exe),
			 "link")) {
			CHECK(!"link");
			continue;
		}
		CHECK(run(arena_printf(ctx->arena, "OMP_NUM_THREADS=2 %s", exe), exe));
		if (parallel && have_clang) {
			const char *cexe = arena_printf(ctx->arena, "%s_clang", exe);
			CHECK(run(arena_printf(ctx->arena, "clang -std=c11 -O1 %s -I%s %s %s_clang.o "
					       "%s/dfcrt.c -lm -o %s", omp, rtdir, mainc, exe, rtdir,
					       cexe), "clang link"));
			CHECK(run(arena_printf(ctx->arena, "OMP_NUM_THREADS=2 %s", cexe), cexe));
		}
	}
	return par;
}

/* ---- an elementwise map with broadcast-like subsets ---- */

static void
test_elementwise(void)
{
	new_program("ew");
	symbol("N", false);
	symbol("M", false);
	data("A", DT_FLOAT64, "[N, M]", ROLE_ARGUMENT);
	data("b", DT_FLOAT64, "[M]", ROLE_ARGUMENT);
	data("s", DT_FLOAT32, "[]", ROLE_ARGUMENT);
	data("__return", DT_FLOAT64, "[N, M]", ROLE_RETURN);
	data("__return_1", DT_FLOAT32, "[M]", ROLE_RETURN);
	IrState *st = state(&prog->body, "state_L3", 3);
	int ew = mapped(st, "map_L3", "i, j", "[0:N, 0:M]", SCHED_CPU_PARALLEL,
			"a:float64 bb:float64 s:float32", "c:float64", "add(mul(in:a, in:bb), in:s)",
			(Io[]){ { "A", "[i, j]", WCR_NONE }, { "b", "[j]", WCR_NONE },
				{ "s", "[]", WCR_NONE } },
			(Io){ "__return", "[i, j]", WCR_NONE });
	st->nodes.data[ew].map.simd = 1;     /* vectorize's hint: omp simd on j */
	mapped(st, "map_L4", "j", "[0:M]", SCHED_CPU_PARALLEL,
	       "bb:float64", "c:float32", "sqrt(cast<float32>(in:bb))",
	       (Io[]){ { "b", "[j]", WCR_NONE } }, (Io){ "__return_1", "[j]", WCR_NONE });
	char *code = check_program("ew", SRC(
		void ew(double *A, double *b, float s, double *r0, float *r1, int64_t N, int64_t M);
		int main(void) {
			int64_t N = 37, M = 53;
			double *A = malloc(sizeof(double) * N * M), *b = malloc(sizeof(double) * M);
			double *r0 = malloc(sizeof(double) * N * M);
			float *r1 = malloc(sizeof(float) * M);
			for (int64_t i = 0; i < N * M; i++)
				A[i] = (i % 17) * 0.25 - 1;
			for (int64_t j = 0; j < M; j++)
				b[j] = j * 0.5 - 3;
			ew(A, b, 1.5f, r0, r1, N, M);
			for (int64_t i = 0; i < N; i++)
				for (int64_t j = 0; j < M; j++)
					EXPECT(same(r0[i * M + j], A[i * M + j] * b[j] + 1.5));
			for (int64_t j = 0; j < M; j++)
				EXPECT(same(r1[j], sqrtf((float)b[j])));
			ew(A, b, 1.5f, r0, r1, 0, 0);
			return fails != 0;
		}));
	CHECK(code && strstr(code, "#pragma omp parallel for schedule(static) if(parallel: "
			      "dfc_max(M, 0) * dfc_max(N, 0) > DFCRT_PAR_MIN_WORK)\n"));
	CHECK(code && strstr(code, "#pragma omp simd\n"));
	CHECK(code && strstr(code, "/* map_L3 (test.py:3) */"));
	CHECK(code && strstr(code, "/* state_L3 (test.py:3) */"));
	CHECK(code && strstr(code, "__return[M * i + j] = dfc_c;"));
	CHECK(code && strstr(code, "sqrtf((float)dfc_bb)"));
	CHECK(code && strstr(code, "void\new(double *restrict A, double *restrict b, float s, "
			     "double *restrict __return, float *restrict __return_1, int64_t N, "
			     "int64_t M)\n{\n"));
	CHECK(code && strstr(code, "Generated by dfc"));
}

/* ---- a top-level tasklet on scalars, with names C reserves ---- */

static void
test_scalars(void)
{
	new_program("scal");
	data("sqrt", DT_FLOAT64, "[]", ROLE_ARGUMENT);
	data("n", DT_INT32, "[]", ROLE_ARGUMENT);
	data("exp", DT_FLOAT64, "[3]", ROLE_ARGUMENT);
	symbol("log", true);
	data("dfc_out", DT_FLOAT64, "[]", ROLE_ARGUMENT);
	data("__return", DT_FLOAT64, "[]", ROLE_RETURN);
	IrState *st = state(&prog->body, "state_L2", 2);
	scalar_op(st, "x:float64 k:int32 e:float64", "o:float64",
		  "add(add(mul(sqrt(in:x), cast<float64>(in:k)), in:e), cast<float64>(sym:log))",
		  (Io[]){ { "sqrt", "[]", WCR_NONE }, { "n", "[]", WCR_NONE }, { "exp", "[1]", WCR_NONE } },
		  (Io){ "__return", "[]", WCR_NONE });
	char *code = check_program("scal", SRC(
		void scal(double x, int32_t n, double *e, int64_t lg, double unused, double *r);
		int main(void) {
			double e[3] = { 10, 20, 30 }, r = 0;
			scal(2.25, 3, e, 4, 0.0, &r);
			EXPECT(r == 1.5 * 3 + 20 + 4);
			return fails != 0;
		}));
	CHECK(code && strstr(code, "double sqrt_, int32_t n, double *restrict exp_, int64_t log_"));
	CHECK(code && strstr(code, "(void)u_dfc_out;"));
	CHECK(code && strstr(code, "__return[0] = dfc_o;"));
}

/* ---- the expression semantics, against NumPy ---- */

static const struct {
	const char *name;
	DType t;
	const char *ins, *expr, *want;
} ops[] = {
	{ "o1", DT_INT32, "ia:int32 ib:int32", "floordiv(in:ia, in:ib)",
	  "3.0, -4.0, -4.0, 3.0, 0.0, 0.0, -2147483648.0, 1073741823.0, 2.0, -1.0, -34.0, 0.0" },
	{ "o2", DT_INT32, "ia:int32 ib:int32", "mod(in:ia, in:ib)",
	  "1.0, 1.0, -1.0, -1.0, 0.0, 0.0, 0.0, 1.0, 3.0, 27.0, -2.0, 1.0" },
	{ "o3", DT_INT32, "ia:int32 ib:int32", "pow(in:ia, bitand(in:ib, int32:7))",
	  "49.0, 49.0, 117649.0, 117649.0, 0.0, 1.0, 0.0, 1.0, 371293.0, 1.0, 1410065408.0, 1.0" },
	{ "o4", DT_FLOAT64, "fa:float64 fb:float64", "minimum(in:fa, in:fb)",
	  "2.0, -7.5, -2.0, -7.5, 0.0, 0.0, -0.0, NAN, NAN, 2.0, -INFINITY, 1e-300" },
	{ "o5", DT_FLOAT64, "fa:float64 fb:float64", "mod(in:fa, in:fb)",
	  "1.5, 0.5, -0.5, -1.5, NAN, NAN, 0.0, NAN, NAN, NAN, NAN, 4.891554850853602e-301" },
	{ "o6", DT_FLOAT64, "fa:float64 fb:float64", "floordiv(in:fa, in:fb)",
	  "3.0, -4.0, -4.0, 3.0, INFINITY, NAN, -0.0, NAN, NAN, NAN, NAN, INFINITY" },
	{ "o7", DT_INT32, "ia:int32 ib:int32", "shl(in:ia, in:ib)",
	  "28.0, -28.0, 0.0, 0.0, 0.0, 5.0, 0.0, -4.0, 416.0, 0.0, 0.0, -2147483648.0" },
	{ "o8", DT_INT32, "ia:int32 ib:int32", "shr(in:ia, in:ib)",
	  "1.0, -2.0, 0.0, -1.0, 0.0, 5.0, -1.0, 536870911.0, 0.0, -1.0, 0.0, 0.0" },
	{ "o9", DT_UINT8, "ua:uint8 ub:uint8", "add(in:ua, in:ub)",
	  "4.0, 8.0, 1.0, 0.0, 0.0, 14.0, 1.0, 5.0, 200.0, 44.0, 209.0, 255.0" },
	{ "o10", DT_BOOL, "ia:int32 ub:uint8", "lt(in:ia, in:ub)",
	  "1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0" },
	{ "o11", DT_FLOAT64, "ia:int32 ib:int32", "div(in:ia, in:ib)",
	  "3.5, -3.5, -3.5, 3.5, 0.0, INFINITY, 2147483648.0, 1073741823.5, 2.6, -0.325, -33.333333333333336, 0.03225806451612903" },
	{ "o12", DT_INT32, "ia:int32", "abs(in:ia)",
	  "7.0, 7.0, 7.0, 7.0, 0.0, 5.0, -2147483648.0, 2147483647.0, 13.0, 13.0, 100.0, 1.0" },
	{ "o13", DT_FLOAT64, "fa:float64", "where(gt(in:fa, float64:0.0), in:fa, neg(in:fa))",
	  "7.5, 7.5, 7.5, 7.5, 1.0, -0.0, 0.0, NAN, 3.0, INFINITY, INFINITY, 1e+300" },
	{ "o14", DT_FLOAT32, "fa:float64", "pow(cast<float32>(in:fa), float32:2.0)",
	  "56.25, 56.25, 56.25, 56.25, 1.0, 0.0, 0.0, NAN, 9.0, INFINITY, INFINITY, INFINITY" },
	{ "o15", DT_INT64, "ia:int32", "maximum(cast<int64>(in:ia), int64:-5)",
	  "7.0, -5.0, 7.0, -5.0, 0.0, 5.0, -5.0, 2147483647.0, 13.0, -5.0, 100.0, 1.0" },
	{ "o16", DT_FLOAT64, "fa:float64 fb:float64", "maximum(in:fa, in:fb)",
	  "7.5, 2.0, 7.5, -2.0, 1.0, 0.0, 3.0, NAN, NAN, INFINITY, 3.0, 1e+300" },
	{ "o17", DT_UINT8, "ua:uint8 ub:uint8", "sub(in:ua, in:ub)",
	  "240.0, 254.0, 255.0, 254.0, 0.0, 0.0, 1.0, 255.0, 0.0, 100.0, 65.0, 1.0" },
	{ "o18", DT_INT8, "ia:int32", "mul(cast<int8>(in:ia), int8:3)",
	  "21.0, -21.0, 21.0, -21.0, 0.0, 15.0, 0.0, -3.0, 39.0, -39.0, 44.0, 3.0" },
	{ "o19", DT_FLOAT64, "fa:float64", "sqrt(in:fa)",
	  "2.7386127875258306, NAN, 2.7386127875258306, NAN, 1.0, 0.0, -0.0, NAN, 1.7320508075688772, INFINITY, NAN, 1e+150" },
	{ "o20", DT_INT32, "ia:int32", "bitnot(in:ia)",
	  "-8.0, 6.0, -8.0, 6.0, -1.0, -6.0, 2147483647.0, -2147483648.0, -14.0, 12.0, -101.0, -2.0" },
	{ "o21", DT_UINT8, "ua:uint8 ub:uint8", "floordiv(in:ua, in:ub)",
	  "25.0, 0.0, 0.0, 255.0, 1.0, 1.0, 0.0, 0.0, 1.0, 2.0, 0.0, 0.0" },
	{ "o22", DT_BOOL, "fa:float64 fb:float64", "and(gt(in:fa, float64:0.0), lt(in:fb, float64:3.0))",
	  "1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0" },
	{ "o23", DT_UINT8, "ua:uint8 ub:uint8", "mod(in:ua, in:ub)",
	  "0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 9.0, 0.0" },
	{ "o24", DT_UINT8, "ub:uint8", "pow(in:ub, uint8:3)",
	  "232.0, 125.0, 1.0, 1.0, 0.0, 87.0, 0.0, 27.0, 64.0, 64.0, 0.0, 255.0" },
	{ "o25", DT_FLOAT32, "fa:float64 fb:float64", "floordiv(cast<float32>(in:fa), cast<float32>(in:fb))",
	  "3.0, -4.0, -4.0, 3.0, INFINITY, NAN, -0.0, NAN, NAN, NAN, NAN, INFINITY" },
	{ "o26", DT_UINT8, "ua:uint8 ub:uint8", "shl(in:ua, bitand(in:ub, uint8:15))",
	  "0.0, 96.0, 0.0, 254.0, 128.0, 128.0, 1.0, 16.0, 64.0, 128.0, 0.0, 0.0" },
	{ "o27", DT_BOOL, "ua:uint8", "ge(in:ua, uint8:0)",
	  "1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0" },
	{ "o28", DT_BOOL, "ua:uint8", "lt(cast<int16>(in:ua), int16:300)",
	  "1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0" },
	{ "o29", DT_BOOL, "ia:int32", "eq(in:ia, int64:3000000000)",
	  "0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0" },
	{ "o30", DT_BOOL, "ia:int32", "le(int16:-200, cast<int8>(in:ia))",
	  "1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0" },
	{ "o31", DT_INT64, "ia:int32", "add(mul(int64:4611686018427387904, int64:4), cast<int64>(in:ia))",
	  "7.0, -7.0, 7.0, -7.0, 0.0, 5.0, -2147483648.0, 2147483647.0, 13.0, -13.0, 100.0, 1.0" },
	{ "o32", DT_INT32, "ia:int32", "sub(neg(int32:-2147483648), add(int32:2147483647, int32:1))",
	  "0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0" },
	{ "o33", DT_BOOL, "ia:int32", "or(eq(in:ia, in:ia), lt(in:ia, in:ia))",
	  "1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0" },
	{ "o34", DT_BOOL, "fa:float64", "ne(in:fa, in:fa)",
	  "0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0" },
};

static const char ops_inputs[] =
	"static const int32_t ia[12] = { 7, -7, 7, -7, 0, 5, INT32_MIN, 2147483647, 13, -13, 100, 1 };\n"
	"static const int32_t ib[12] = { 2, 2, -2, -2, 3, 0, -1, 2, 5, 40, -3, 31 };\n"
	"static const double fa[12] = { 7.5, -7.5, 7.5, -7.5, 1.0, 0.0, -0.0, NAN, 3.0, INFINITY, "
	"-INFINITY, 1e300 };\n"
	"static const double fb[12] = { 2.0, 2.0, -2.0, -2.0, 0.0, 0.0, 3.0, 1.0, NAN, 2.0, 3.0, "
	"1e-300 };\n"
	"static const uint8_t ua[12] = { 250, 3, 0, 255, 128, 7, 1, 2, 100, 200, 9, 0 };\n"
	"static const uint8_t ub[12] = { 10, 5, 1, 1, 128, 7, 0, 3, 100, 100, 200, 255 };\n";

static void
test_ops(void)
{
	int n = (int)(sizeof ops / sizeof *ops);
	new_program("ops");
	symbol("N", false);
	data("ia", DT_INT32, "[N]", ROLE_ARGUMENT);
	data("ib", DT_INT32, "[N]", ROLE_ARGUMENT);
	data("fa", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	data("fb", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	data("ua", DT_UINT8, "[N]", ROLE_ARGUMENT);
	data("ub", DT_UINT8, "[N]", ROLE_ARGUMENT);
	IrState *st = state(&prog->body, "state_L5", 5);
	StrBuf m;
	sb_init(&m, ctx->arena);
	sb_puts(&m, ops_inputs);
	sb_puts(&m, "void ops(const int32_t *, const int32_t *, const double *, const double *, "
		    "const uint8_t *, const uint8_t *");
	for (int k = 0; k < n; k++) {
		data(ops[k].name, ops[k].t, "[N]", ROLE_RETURN);
		sb_printf(&m, ", %s *", dtype_ctype(ops[k].t));
	}
	sb_puts(&m, ", int64_t);\nint main(void) {\n");
	for (int k = 0; k < n; k++) {
		Conns ci = conns(ops[k].ins);
		Io in[8];
		for (int i = 0; i < ci.n; i++)
			in[i] = (Io){ ci.c[i].name, "[i]", WCR_NONE };
		mapped(st, arena_printf(ctx->arena, "map_L%d", 10 + k), "i", "[0:N]",
		       SCHED_CPU_PARALLEL, ops[k].ins,
		       arena_printf(ctx->arena, "r:%s", dtype_name(ops[k].t)), ops[k].expr, in,
		       (Io){ ops[k].name, "[i]", WCR_NONE });
		sb_printf(&m, "\t%s %s[12];\n\tstatic const double w_%s[12] = { %s };\n",
			  dtype_ctype(ops[k].t), ops[k].name, ops[k].name, ops[k].want);
	}
	sb_puts(&m, "\tops(ia, ib, fa, fb, ua, ub");
	for (int k = 0; k < n; k++)
		sb_printf(&m, ", %s", ops[k].name);
	sb_puts(&m, ", 12);\n");
	for (int k = 0; k < n; k++)
		sb_printf(&m, "\tfor (int i = 0; i < 12; i++)\n\t\tif (!same((double)%s[i], w_%s[i])) "
			  "{ fails++; fprintf(stderr, \"%s[%%d] = %%.17g, want %%.17g\\n\", i, "
			  "(double)%s[i], w_%s[i]); }\n", ops[k].name, ops[k].name, ops[k].name,
			  ops[k].name, ops[k].name);
	sb_puts(&m, "\treturn fails != 0;\n}\n");
	char *code = check_program("ops", sb_str(&m));
	CHECK(code && strstr(code, "static inline int32_t\ndfc_floordiv_i32(int32_t a, int32_t b)"));
	CHECK(code && strstr(code, "static inline double\ndfc_minimum_f64(double a, double b)"));
}

/* ---- for loops (positive and negative steps) around states ---- */

static void
test_loops(void)
{
	new_program("loops");
	symbol("N", false);
	symbol("T", false);
	data("A", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	data("__return", DT_INT64, "[]", ROLE_RETURN);
	data("acc", DT_INT64, "[]", ROLE_TRANSIENT);
	IrBlock *lt = loop_for(&prog->body, "loop_L5", 5, "t", "0", "T", "1");
	IrState *s1 = state(&lt->loop.body, "state_L6", 6);
	mapped(s1, "map_L6", "i", "[0:N]", SCHED_CPU_PARALLEL, "a:float64", "o:float64",
	       "add(mul(in:a, float64:0.5), cast<float64>(sym:t))", (Io[]){ { "A", "[i]", WCR_NONE } },
	       (Io){ "A", "[i]", WCR_NONE });
	IrState *s2 = state(&prog->body, "state_L7", 7);
	scalar_op(s2, "", "o:int64", "int64:0", NULL, (Io){ "acc", "[]", WCR_NONE });
	IrBlock *lk = loop_for(&prog->body, "loop_L8", 8, "k", "10", "0", "-3");
	IrState *s3 = state(&lk->loop.body, "state_L9", 9);
	scalar_op(s3, "a:int64", "o:int64", "add(mul(in:a, int64:2), sym:k)",
		  (Io[]){ { "acc", "[]", WCR_NONE } }, (Io){ "acc", "[]", WCR_NONE });
	IrState *s4 = state(&prog->body, "state_L10", 10);
	scalar_op(s4, "a:int64", "o:int64", "in:a", (Io[]){ { "acc", "[]", WCR_NONE } },
		  (Io){ "__return", "[]", WCR_NONE });
	char *code = check_program("loops", SRC(
		void loops(double *A, int64_t *r, int64_t N, int64_t T);
		int main(void) {
			double A[100], B[100];
			int64_t r = -1;
			for (int i = 0; i < 100; i++)
				A[i] = B[i] = i * 0.125;
			loops(A, &r, 100, 7);
			for (int t = 0; t < 7; t++)
				for (int i = 0; i < 100; i++)
					B[i] = B[i] * 0.5 + t;
			for (int i = 0; i < 100; i++)
				EXPECT(same(A[i], B[i]));
			EXPECT(r == 117);
			return fails != 0;
		}));
	CHECK(code && strstr(code, "for (int64_t k = 10; k > 0; k -= 3) {"));
	CHECK(code && strstr(code, "for (int64_t t = 0; t < T; t++) {"));
	CHECK(code && strstr(code, "/* loop_L8 (test.py:8) */"));
	CHECK(code && strstr(code, "int64_t acc = 0;"));
}

/* A loop over blocks of a long width W (run-blocking's kind): W is
 * computed once into dfc_width_b, which the loop's bound and the map's
 * range name; every element is updated exactly once. */
static void
test_block_width(void)
{
	new_program("blocks");
	symbol("N", false);
	data("A", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	const char *w = "max(min((N + 15) // 16, 65536 // max(N, 1)), 1)";
	IrBlock *lb = loop_for(&prog->body, "block_L5", 5, "b", "0",
			       arena_printf(ctx->arena, "(N + %s - 1) // %s", w, w), "1");
	IrState *s1 = state(&lb->loop.body, "state_L6", 6);
	mapped(s1, "map_L6", "i", arena_printf(ctx->arena, "[max(b*%s, 0):min(N, b*%s + %s)]", w, w, w),
	       SCHED_SEQUENTIAL, "a:float64", "o:float64", "add(in:a, float64:1.0)",
	       (Io[]){ { "A", "[i]", WCR_NONE } }, (Io){ "A", "[i]", WCR_NONE });
	char *code = check_program("blocks", SRC(
		void blocks(double *A, int64_t N);
		int main(void) {
			double A[100];
			for (int i = 0; i < 100; i++)
				A[i] = i * 0.125;
			blocks(A, 100);
			for (int i = 0; i < 100; i++)
				EXPECT(same(A[i], i * 0.125 + 1.0));
			return fails != 0;
		}));
	CHECK(code && strstr(code, "\tconst int64_t dfc_width_b = dfc_max(dfc_min("));
	CHECK(code && strstr(code, "b < dfc_floordiv(N + dfc_width_b - 1, dfc_width_b); b++) {"));
	CHECK(code && strstr(code, "i < dfc_min(N, b * dfc_width_b + dfc_width_b); i++)"));
}

/* ---- symbol assignments (CF_ASSIGN) ---- */

/* for t in range(T): k = 2*t + 1; if k < N: B[t] = A[k] + k. k is used
 * in a condition, a memlet subset and a tasklet. */
static void
test_assign(void)
{
	new_program("assign");
	symbol("N", false);
	symbol("T", false);
	data("A", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	data("B", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	IrBlock *lt = loop_for(&prog->body, "loop_L5", 5, "t", "0", "T", "1");
	IrBlock *as = ir_block_new(ctx, CF_ASSIGN, NULL, L(6));
	as->assign.sym = "k";
	as->assign.value = SY("2*t + 1");
	vec_push(ctx->arena, &lt->loop.body, as);
	IrBlock *br = ir_block_new(ctx, CF_IF, "if_L7", L(7));
	br->branch.n = 1;
	br->branch.conds = arena_alloc(ctx->arena, sizeof(IrExpr *));
	br->branch.bodies = arena_alloc(ctx->arena, sizeof(IrBlockList));
	br->branch.conds[0] = cond("lt(sym:k, sym:N)");
	vec_push(ctx->arena, &lt->loop.body, br);
	IrState *s = state(&br->branch.bodies[0], "state_L8", 8);
	scalar_op(s, "a:float64", "o:float64", "add(in:a, cast<float64>(sym:k))",
		  (Io[]){ { "A", "[k]", WCR_NONE } }, (Io){ "B", "[t]", WCR_NONE });
	char *code = check_program("assign", SRC(
		void assign(double *A, double *B, int64_t N, int64_t T);
		int main(void) {
			double A[100], B[100], R[100];
			for (int i = 0; i < 100; i++) {
				A[i] = i * 0.25;
				B[i] = R[i] = -1.0;
			}
			assign(A, B, 100, 70);
			for (int t = 0; t < 70; t++)
				if (2 * t + 1 < 100)
					R[t] = A[2 * t + 1] + (2 * t + 1);
			for (int i = 0; i < 100; i++)
				EXPECT(same(B[i], R[i]));
			return fails != 0;
		}));
	CHECK(code && strstr(code, "int64_t k = 2 * t + 1; (void)k;"));
}

/* ---- while, if/elif/else, break and continue ---- */

static void
test_control(void)
{
	new_program("ctl");
	data("limit", DT_FLOAT64, "[]", ROLE_ARGUMENT);
	data("step", DT_FLOAT64, "[]", ROLE_ARGUMENT);
	data("maxit", DT_INT64, "[]", ROLE_ARGUMENT);
	data("__return", DT_FLOAT64, "[]", ROLE_RETURN);
	data("__return_1", DT_INT64, "[]", ROLE_RETURN);
	data("s", DT_FLOAT64, "[]", ROLE_TRANSIENT);
	data("cnt", DT_INT64, "[]", ROLE_TRANSIENT);
	IrState *s0 = state(&prog->body, "state_L2", 2);
	scalar_op(s0, "", "o:float64", "float64:0.0", NULL, (Io){ "s", "[]", WCR_NONE });
	scalar_op(s0, "", "o:int64", "int64:0", NULL, (Io){ "cnt", "[]", WCR_NONE });
	IrBlock *w = ir_block_new(ctx, CF_WHILE, "loop_L4", L(4));
	w->wloop.cond = cond("lt(in:s, in:limit)");
	vec_push(ctx->arena, &prog->body, w);
	IrState *s1 = state(&w->wloop.body, "state_L5", 5);
	scalar_op(s1, "a:float64 b:float64", "o:float64", "add(in:a, in:b)",
		  (Io[]){ { "s", "[]", WCR_NONE }, { "step", "[]", WCR_NONE } }, (Io){ "s", "[]", WCR_NONE });
	scalar_op(s1, "a:int64", "o:int64", "add(in:a, int64:1)", (Io[]){ { "cnt", "[]", WCR_NONE } },
		  (Io){ "cnt", "[]", WCR_NONE });
	IrBlock *br = ir_block_new(ctx, CF_IF, "if_L7", L(7));
	br->branch.n = 2;
	br->branch.conds = arena_alloc(ctx->arena, 2 * sizeof(IrExpr *));
	br->branch.bodies = arena_alloc(ctx->arena, 2 * sizeof(IrBlockList));
	br->branch.conds[0] = cond("ge(in:cnt, in:maxit)");
	br->branch.conds[1] = cond("gt(in:s, float64:50.0)");
	jump(&br->branch.bodies[0], CF_BREAK);
	IrState *s2 = state(&br->branch.bodies[1], "state_L10", 10);
	scalar_op(s2, "a:float64", "o:float64", "add(in:a, float64:1000.0)",
		  (Io[]){ { "s", "[]", WCR_NONE } }, (Io){ "s", "[]", WCR_NONE });
	jump(&br->branch.orelse, CF_CONTINUE);
	vec_push(ctx->arena, &w->wloop.body, br);
	IrState *s3 = state(&w->wloop.body, "state_L13", 13);
	scalar_op(s3, "a:float64", "o:float64", "sub(in:a, float64:0.25)",
		  (Io[]){ { "s", "[]", WCR_NONE } }, (Io){ "s", "[]", WCR_NONE });
	IrState *s4 = state(&prog->body, "state_L14", 14);
	scalar_op(s4, "a:float64", "o:float64", "in:a", (Io[]){ { "s", "[]", WCR_NONE } },
		  (Io){ "__return", "[]", WCR_NONE });
	scalar_op(s4, "a:int64", "o:int64", "in:a", (Io[]){ { "cnt", "[]", WCR_NONE } },
		  (Io){ "__return_1", "[]", WCR_NONE });
	char *code = check_program("ctl", SRC(
		void ctl(double limit, double step, int64_t maxit, double *r0, int64_t *r1);
		static void ref(double limit, double step, int64_t maxit, double *r0, int64_t *r1) {
			double s = 0;
			int64_t cnt = 0;
			while (s < limit) {
				s = s + step;
				cnt = cnt + 1;
				if (cnt >= maxit)
					break;
				else if (s > 50)
					s = s + 1000;
				else
					continue;
				s = s - 0.25;
			}
			*r0 = s;
			*r1 = cnt;
		}
		int main(void) {
			static const double cases[][3] = { { 10, 1, 100 }, { 10, 1, 3 }, { 100, 7, 100 },
							   { -1, 1, 5 }, { 2000, 30, 100 } };
			for (int c = 0; c < 5; c++) {
				double r0 = 0, w0 = 0;
				int64_t r1 = 0, w1 = 0;
				ctl(cases[c][0], cases[c][1], (int64_t)cases[c][2], &r0, &r1);
				ref(cases[c][0], cases[c][1], (int64_t)cases[c][2], &w0, &w1);
				EXPECT(r0 == w0 && r1 == w1);
			}
			return fails != 0;
		}));
	CHECK(code && strstr(code, "while (s < limit) {"));
	CHECK(code && strstr(code, "} else if (s > 50.0) {"));
	CHECK(code && strstr(code, "break;"));
	CHECK(code && strstr(code, "continue;"));
}

/* ---- parallel reductions into 0-d returns ---- */

static void
test_reductions(void)
{
	new_program("red");
	symbol("N", false);
	data("A", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	data("B", DT_INT32, "[N]", ROLE_ARGUMENT);
	data("__return", DT_FLOAT64, "[]", ROLE_RETURN);
	data("__return_1", DT_FLOAT64, "[]", ROLE_RETURN);
	data("__return_2", DT_INT32, "[]", ROLE_RETURN);
	data("__return_3", DT_INT64, "[]", ROLE_RETURN);
	data("__return_4", DT_BOOL, "[]", ROLE_RETURN);
	IrState *s0 = state(&prog->body, "state_L2", 2);
	scalar_op(s0, "", "o:float64", "float64:0.0", NULL, (Io){ "__return", "[]", WCR_NONE });
	scalar_op(s0, "", "o:float64", "float64:-inf", NULL, (Io){ "__return_1", "[]", WCR_NONE });
	scalar_op(s0, "", "o:int32", "int32:1", NULL, (Io){ "__return_2", "[]", WCR_NONE });
	scalar_op(s0, "", "o:int64", "int64:9223372036854775807", NULL, (Io){ "__return_3", "[]", WCR_NONE });
	scalar_op(s0, "", "o:bool", "bool:0", NULL, (Io){ "__return_4", "[]", WCR_NONE });
	IrState *s1 = state(&prog->body, "state_L3", 3);
	mapped(s1, "map_L3", "i", "[0:N]", SCHED_CPU_PARALLEL, "a:float64", "o:float64", "in:a",
	       (Io[]){ { "A", "[i]", WCR_NONE } }, (Io){ "__return", "[]", WCR_SUM });
	mapped(s1, "map_L4", "i", "[0:N]", SCHED_CPU_PARALLEL, "a:float64", "o:float64", "in:a",
	       (Io[]){ { "A", "[i]", WCR_NONE } }, (Io){ "__return_1", "[]", WCR_MAX });
	mapped(s1, "map_L5", "i", "[0:N]", SCHED_CPU_PARALLEL, "b:int32", "o:int32", "in:b",
	       (Io[]){ { "B", "[i]", WCR_NONE } }, (Io){ "__return_2", "[]", WCR_PROD });
	mapped(s1, "map_L6", "i", "[0:N]", SCHED_CPU_PARALLEL, "b:int32", "o:int64",
	       "cast<int64>(in:b)", (Io[]){ { "B", "[i]", WCR_NONE } }, (Io){ "__return_3", "[]", WCR_MIN });
	mapped(s1, "map_L7", "i", "[0:N]", SCHED_CPU_PARALLEL, "a:float64", "o:bool",
	       "gt(in:a, float64:0.99)", (Io[]){ { "A", "[i]", WCR_NONE } },
	       (Io){ "__return_4", "[]", WCR_SUM });
	char *code = check_program("red", SRC(
		void red(double *A, int32_t *B, double *r0, double *r1, int32_t *r2, int64_t *r3,
			 bool *r4, int64_t N);
		int main(void) {
			enum { N = 1000 };
			static double A[N];
			static int32_t B[N];
			double r0, r1, s = 0, mx = -INFINITY;
			int32_t r2;
			int64_t r3, mn = INT64_MAX;
			bool r4, any = false;
			uint32_t p = 1;
			for (int i = 0; i < N; i++) {
				A[i] = sin(i * 0.37);
				B[i] = i % 7 == 0 ? 3 : i % 5 == 0 ? -1 : 1 + i % 2;
				s += A[i];
				mx = A[i] > mx ? A[i] : mx;
				p *= (uint32_t)B[i];
				mn = B[i] < mn ? B[i] : mn;
				any = any || A[i] > 0.99;
			}
			red(A, B, &r0, &r1, &r2, &r3, &r4, N);
			EXPECT(near(r0, s));
			EXPECT(r1 == mx);
			EXPECT(r2 == (int32_t)p);
			EXPECT(r3 == mn);
			EXPECT(r4 == any);
			A[500] = NAN;
			red(A, B, &r0, &r1, &r2, &r3, &r4, N);
			EXPECT(isnan(r0) && isnan(r1));
			red(A, B, &r0, &r1, &r2, &r3, &r4, 0);
			EXPECT(r0 == 0 && r1 == -INFINITY && r2 == 1 && r3 == INT64_MAX && !r4);
			return fails != 0;
		}));
	CHECK(code && strstr(code, "double dfcacc___return = __return[0];"));
	CHECK(code && strstr(code, "reduction(+:dfcacc___return)"));
	CHECK(code && strstr(code, "reduction(dfc_redmax_f64:dfcacc___return_1)"));
	CHECK(code && strstr(code, "reduction(*:dfcacc___return_2)"));
	CHECK(code && strstr(code, "reduction(min:dfcacc___return_3)"));
	CHECK(code && strstr(code, "uint8_t dfcacc___return_4 = __return_4[0];"));
	CHECK(code && strstr(code, "reduction(|:dfcacc___return_4)"));
	CHECK(code && strstr(code, "#pragma omp declare reduction(dfc_redmax_f64 : double"));
}

/* ---- axis reductions into 1-D transients and returns ---- */

/* A parallel map over i whose tasklets pass a value through the 0-d
 * transient tmp: r3[i] = A[i, 0] * 3 + 1. */
static void
add_tmp_map(IrState *s)
{
	const char *ps[] = { "i" };
	int en = ir_state_add_map(ctx, s, "map_L20", 1, ps, SS("[0:N]").r, SCHED_CPU_PARALLEL,
				  L(20));
	int ex = en + 1;
	int t1 = tasklet(s, "a:float64", "o:float64", "mul(in:a, float64:3.0)");
	int t2 = tasklet(s, "x:float64", "o:float64", "add(in:x, float64:1.0)");
	int tmp = acc(s, "tmp");
	edge(s, acc(s, "A"), NULL, en, "IN_A", "A", NULL, WCR_NONE);
	edge(s, en, "OUT_A", t1, "a", "A", "[i, 0]", WCR_NONE);
	edge(s, t1, "o", tmp, NULL, "tmp", "[]", WCR_NONE);
	edge(s, tmp, NULL, t2, "x", "tmp", "[]", WCR_NONE);
	edge(s, t2, "o", ex, "IN___return_3", "__return_3", "[i]", WCR_NONE);
	edge(s, ex, "OUT___return_3", acc(s, "__return_3"), NULL, "__return_3", NULL, WCR_NONE);
}

/* Outer parallel map over i, inner sequential map over j:
 * r2[i] += A[i, j] * A[i, j]. */
static void
add_nested_map(IrState *s)
{
	const char *pi[] = { "i" }, *pj[] = { "j" };
	int eo = ir_state_add_map(ctx, s, "map_L22", 1, pi, SS("[0:N]").r, SCHED_CPU_PARALLEL,
				  L(22));
	int ei = ir_state_add_map(ctx, s, "map_L23", 1, pj, SS("[0:M]").r, SCHED_SEQUENTIAL,
				  L(23));
	int t = tasklet(s, "a:float64", "o:float64", "mul(in:a, in:a)");
	edge(s, acc(s, "A"), NULL, eo, "IN_A", "A", NULL, WCR_NONE);
	edge(s, eo, "OUT_A", ei, "IN_A", "A", "[i, 0:M]", WCR_NONE);
	edge(s, ei, "OUT_A", t, "a", "A", "[i, j]", WCR_NONE);
	edge(s, t, "o", ei + 1, "IN___return_2", "__return_2", "[i]", WCR_SUM);
	edge(s, ei + 1, "OUT___return_2", eo + 1, "IN___return_2", "__return_2", "[i]", WCR_SUM);
	edge(s, eo + 1, "OUT___return_2", acc(s, "__return_2"), NULL, "__return_2", NULL, WCR_SUM);
}

static void
test_axis(void)
{
	new_program("axis");
	symbol("N", false);
	symbol("M", false);
	data("A", DT_FLOAT64, "[N, M]", ROLE_ARGUMENT);
	for (int k = 0; k < 5; k++)
		data(k ? arena_printf(ctx->arena, "__return_%d", k) : "__return", DT_FLOAT64,
		     k == 0 || k == 4 ? "[M]" : "[N]", ROLE_RETURN);
	data("t", DT_FLOAT64, "[M]", ROLE_TRANSIENT);
	data("u", DT_FLOAT64, "[N]", ROLE_TRANSIENT);
	data("tmp", DT_FLOAT64, "[]", ROLE_TRANSIENT);
	IrState *s0 = state(&prog->body, "state_L2", 2);
	mapped(s0, "map_L2", "j", "[0:M]", SCHED_CPU_PARALLEL, "", "o:float64", "float64:0.0",
	       NULL, (Io){ "t", "[j]", WCR_NONE });
	mapped(s0, "map_L3", "i", "[0:N]", SCHED_CPU_PARALLEL, "", "o:float64", "float64:0.0",
	       NULL, (Io){ "u", "[i]", WCR_NONE });
	mapped(s0, "map_L4", "i", "[0:N]", SCHED_CPU_PARALLEL, "", "o:float64", "float64:0.0",
	       NULL, (Io){ "__return_2", "[i]", WCR_NONE });
	mapped(s0, "map_L5", "j", "[0:M]", SCHED_CPU_PARALLEL, "", "o:float64", "float64:-inf",
	       NULL, (Io){ "__return_4", "[j]", WCR_NONE });
	IrState *s1 = state(&prog->body, "state_L10", 10);
	mapped(s1, "map_L10", "i, j", "[0:N, 0:M]", SCHED_CPU_PARALLEL, "a:float64", "o:float64",
	       "in:a", (Io[]){ { "A", "[i, j]", WCR_NONE } }, (Io){ "t", "[j]", WCR_SUM });
	mapped(s1, "map_L11", "i, j", "[0:N, 0:M]", SCHED_CPU_PARALLEL, "a:float64", "o:float64",
	       "in:a", (Io[]){ { "A", "[i, j]", WCR_NONE } }, (Io){ "u", "[i]", WCR_SUM });
	mapped(s1, "map_L12", "i, j", "[0:N, 0:M]", SCHED_CPU_PARALLEL, "a:float64", "o:float64",
	       "in:a", (Io[]){ { "A", "[i, j]", WCR_NONE } }, (Io){ "__return_4", "[j]", WCR_MAX });
	add_tmp_map(s1);
	add_nested_map(s1);
	IrState *s2 = state(&prog->body, "state_L30", 30);
	mapped(s2, "map_L30", "j", "[0:M]", SCHED_CPU_PARALLEL, "a:float64", "o:float64",
	       "mul(in:a, float64:2.0)", (Io[]){ { "t", "[j]", WCR_NONE } }, (Io){ "__return", "[j]", WCR_NONE });
	mapped(s2, "map_L31", "i", "[0:N]", SCHED_CPU_PARALLEL, "a:float64", "o:float64", "in:a",
	       (Io[]){ { "u", "[i]", WCR_NONE } }, (Io){ "__return_1", "[i]", WCR_NONE });
	char *code = check_program("axis", SRC(
		void axis(double *A, double *r0, double *r1, double *r2, double *r3, double *r4,
			  int64_t N, int64_t M);
		int main(void) {
			enum { N = 300, M = 70 };
			static double A[N * M], r0[M], r1[N], r2[N], r3[N], r4[M];
			for (int i = 0; i < N * M; i++)
				A[i] = cos(i * 0.01) * (i % 13);
			A[5 * M + 7] = NAN;
			axis(A, r0, r1, r2, r3, r4, N, M);
			for (int j = 0; j < M; j++) {
				double s = 0, mx = -INFINITY;
				int nan = 0;
				for (int i = 0; i < N; i++) {
					s += A[i * M + j];
					nan |= isnan(A[i * M + j]);
					mx = A[i * M + j] > mx ? A[i * M + j] : mx;
				}
				EXPECT(nan ? isnan(r0[j]) : near(r0[j], 2 * s));
				EXPECT(nan ? isnan(r4[j]) : r4[j] == mx);
			}
			for (int i = 0; i < N; i++) {
				double s = 0, q = 0;
				for (int j = 0; j < M; j++) {
					s += A[i * M + j];
					q += A[i * M + j] * A[i * M + j];
				}
				EXPECT(same(r1[i], s));
				EXPECT(same(r2[i], q));
				EXPECT(same(r3[i], A[i * M] * 3 + 1));
			}
			return fails != 0;
		}));
	CHECK(code && strstr(code, "double *restrict dfcpriv_t = dfcrt_alloc("));
	CHECK(code && strstr(code, "#pragma omp critical"));
	CHECK(code && strstr(code, "collapse(2)"));
	CHECK(code && strstr(code, "lastprivate(tmp)"));
	CHECK(code && strstr(code, "double *restrict t = dfcrt_alloc(sizeof(double) * (size_t)"));
	CHECK(code && strstr(code, "dfcrt_free(t);"));
}

/* ---- WCR writes whose elements collide across iterations ---- */

/* map i: B[i] += A[i]; B[i + 1] += A[i] (two writes, one container). */
static void
add_two_writes(IrState *s)
{
	const char *ps[] = { "i" };
	int en = ir_state_add_map(ctx, s, "map_L5", 1, ps, SS("[0:N]").r, SCHED_CPU_PARALLEL, L(5));
	int t1 = tasklet(s, "a:float64", "o:float64", "in:a");
	int t2 = tasklet(s, "a:float64", "o:float64", "mul(in:a, float64:2.0)");
	edge(s, acc(s, "A"), NULL, en, "IN_A", "A", NULL, WCR_NONE);
	edge(s, en, "OUT_A", t1, "a", "A", "[i]", WCR_NONE);
	edge(s, en, "OUT_A", t2, "a", "A", "[i]", WCR_NONE);
	edge(s, t1, "o", en + 1, "IN_B", "B", "[i]", WCR_SUM);
	edge(s, t2, "o", en + 1, "IN_B2", "B", "[i + 1]", WCR_SUM);
	int b = acc(s, "B");
	edge(s, en + 1, "OUT_B", b, NULL, "B", NULL, WCR_SUM);
	edge(s, en + 1, "OUT_B2", b, NULL, "B", NULL, WCR_SUM);
}

/* map i: D[0] += A[i]; E[i] = D[1] + A[i] (D is reduced and read). */
static void
add_reduced_and_read(IrState *s)
{
	const char *ps[] = { "i" };
	int en = ir_state_add_map(ctx, s, "map_L7", 1, ps, SS("[0:N]").r, SCHED_CPU_PARALLEL, L(7));
	int t1 = tasklet(s, "a:float64", "o:float64", "in:a");
	int t2 = tasklet(s, "a:float64 d:float64", "o:float64", "add(in:a, in:d)");
	edge(s, acc(s, "A"), NULL, en, "IN_A", "A", NULL, WCR_NONE);
	edge(s, acc(s, "D"), NULL, en, "IN_D", "D", NULL, WCR_NONE);
	edge(s, en, "OUT_A", t1, "a", "A", "[i]", WCR_NONE);
	edge(s, en, "OUT_A", t2, "a", "A", "[i]", WCR_NONE);
	edge(s, en, "OUT_D", t2, "d", "D", "[1]", WCR_NONE);
	edge(s, t1, "o", en + 1, "IN_D", "D", "[0]", WCR_SUM);
	edge(s, t2, "o", en + 1, "IN_E", "E", "[i]", WCR_NONE);
	edge(s, en + 1, "OUT_D", acc(s, "D"), NULL, "D", NULL, WCR_SUM);
	edge(s, en + 1, "OUT_E", acc(s, "E"), NULL, "E", NULL, WCR_NONE);
}

static void
test_conflicts(void)
{
	new_program("conf");
	symbol("N", false);
	data("A", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	data("B", DT_FLOAT64, "[N + 1]", ROLE_ARGUMENT);
	data("C", DT_FLOAT64, "[2*N]", ROLE_ARGUMENT);
	data("D", DT_FLOAT64, "[2]", ROLE_ARGUMENT);
	data("E", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	IrState *s = state(&prog->body, "state_L5", 5);
	add_two_writes(s);
	mapped(s, "map_L6", "i, j", "[0:N, 0:N]", SCHED_CPU_PARALLEL, "a:float64 b:float64",
	       "o:float64", "mul(in:a, in:b)", (Io[]){ { "A", "[i]", WCR_NONE }, { "A", "[j]", WCR_NONE } },
	       (Io){ "C", "[i + j]", WCR_SUM });
	add_reduced_and_read(s);
	char *code = check_program("conf", SRC(
		void conf(double *A, double *B, double *C, double *D, double *E, int64_t N);
		int main(void) {
			enum { N = 500 };
			static double A[N], B[N + 1], C[2 * N], D[2] = { 0, 0.5 }, E[N];
			static double wB[N + 1], wC[2 * N];
			double d = 0;
			for (int i = 0; i < N; i++)
				A[i] = i % 11;
			conf(A, B, C, D, E, N);
			for (int i = 0; i < N; i++) {
				wB[i] += A[i];
				wB[i + 1] += 2 * A[i];
				for (int j = 0; j < N; j++)
					wC[i + j] += A[i] * A[j];
				d += A[i];
				EXPECT(E[i] == A[i] + 0.5);
			}
			for (int i = 0; i <= N; i++)
				EXPECT(B[i] == wB[i]);
			for (int i = 0; i < 2 * N; i++)
				EXPECT(C[i] == wC[i]);
			EXPECT(D[0] == d);
			return fails != 0;
		}));
	CHECK(code && strstr(code, "double *restrict dfcpriv_B = dfcrt_alloc("));
	CHECK(code && strstr(code, "double *restrict dfcpriv_C = dfcrt_alloc("));
	CHECK(code && strstr(code, "/* sequential: the writes to 'D' conflict and it is also "
			     "read here */"));
}

/* ---- matmul on slices, every rank pattern ---- */

static void
matmul(IrState *s, const char *a, const char *as, const char *b, const char *bs,
       const char *c, const char *cs)
{
	int lib = ir_state_add_library(ctx, s, LIB_MATMUL, L(s->loc.line));
	edge(s, acc(s, a), NULL, lib, "_a", a, as, WCR_NONE);
	edge(s, acc(s, b), NULL, lib, "_b", b, bs, WCR_NONE);
	edge(s, lib, "_c", acc(s, c), NULL, c, cs, WCR_NONE);
}

static void
test_matmul(void)
{
	new_program("mm");
	symbol("N", false);
	symbol("K", false);
	symbol("M", false);
	data("A", DT_FLOAT64, "[50, 70]", ROLE_ARGUMENT);
	data("B", DT_FLOAT64, "[70, 60]", ROLE_ARGUMENT);
	data("X", DT_FLOAT64, "[N, K]", ROLE_ARGUMENT);
	data("Y", DT_FLOAT32, "[K, M]", ROLE_ARGUMENT);
	data("O1", DT_FLOAT64, "[N, 1]", ROLE_ARGUMENT);
	data("O2", DT_FLOAT64, "[1, M]", ROLE_ARGUMENT);
	data("I1", DT_INT32, "[3, 4]", ROLE_ARGUMENT);
	data("I2", DT_INT32, "[4, 2]", ROLE_ARGUMENT);
	data("c22", DT_FLOAT64, "[40, 50]", ROLE_RETURN);
	data("c21", DT_FLOAT64, "[40]", ROLE_RETURN);
	data("c12", DT_FLOAT64, "[50]", ROLE_RETURN);
	data("c11", DT_FLOAT64, "[]", ROLE_RETURN);
	data("z", DT_FLOAT64, "[N, M]", ROLE_RETURN);
	data("o", DT_FLOAT64, "[N, M]", ROLE_RETURN);
	data("ci", DT_INT32, "[3, 2]", ROLE_RETURN);
	data("cv", DT_FLOAT64, "[5]", ROLE_RETURN);
	IrState *s = state(&prog->body, "state_L4", 4);
	matmul(s, "A", "[1:41, 0:60:2]", "B", "[0:30, 5:55]", "c22", NULL);
	matmul(s, "A", "[1:41, 0:30]", "B", "[0:30, 3]", "c21", NULL);
	matmul(s, "A", "[2, 0:30]", "B", "[0:30, 1:51]", "c12", NULL);
	matmul(s, "A", "[2, 0:30]", "B", "[0:30, 3]", "c11", NULL);
	matmul(s, "X", NULL, "Y", NULL, "z", NULL);
	matmul(s, "O1", NULL, "O2", NULL, "o", NULL);
	matmul(s, "I1", NULL, "I2", NULL, "ci", NULL);
	matmul(s, "A", "[0:5, 0:7]", "B", "[0:7, 4]", "cv", NULL);
	char *code = check_program("mm", SRC(
		void mm(double *A, double *B, double *X, float *Y, double *O1, double *O2,
			int32_t *I1, int32_t *I2, double *c22, double *c21, double *c12,
			double *c11, double *z, double *o, int32_t *ci, double *cv, int64_t N,
			int64_t K, int64_t M);
		int main(void) {
			enum { N = 9, K = 11, M = 13 };
			static double A[50 * 70], B[70 * 60], X[N * K], O1[N], O2[M];
			static float Y[K * M];
			static double c22[40 * 50], c21[40], c12[50], c11, z[N * M], o[N * M], cv[5];
			int32_t I1[12], I2[8], ci[6];
			for (int i = 0; i < 50 * 70; i++)
				A[i] = (i % 23) * 0.5 - 4;
			for (int i = 0; i < 70 * 60; i++)
				B[i] = (i % 19) * 0.25 - 2;
			for (int i = 0; i < N * K; i++)
				X[i] = i * 0.1;
			for (int i = 0; i < K * M; i++)
				Y[i] = (float)(i % 7) - 3;
			for (int i = 0; i < N; i++)
				O1[i] = i + 1;
			for (int i = 0; i < M; i++)
				O2[i] = 2 * i - 5;
			for (int i = 0; i < 12; i++)
				I1[i] = i - 6;
			for (int i = 0; i < 8; i++)
				I2[i] = 3 * i - 10;
			for (int i = 0; i < 40 * 50; i++)
				c22[i] = NAN;
			mm(A, B, X, Y, O1, O2, I1, I2, c22, c21, c12, &c11, z, o, ci, cv, N, K, M);
			for (int i = 0; i < 40; i++)
				for (int j = 0; j < 50; j++) {
					double s = 0;
					for (int k = 0; k < 30; k++)
						s += A[(1 + i) * 70 + 2 * k] * B[k * 60 + 5 + j];
					EXPECT(near(c22[i * 50 + j], s));
				}
			for (int i = 0; i < 40; i++) {
				double s = 0;
				for (int k = 0; k < 30; k++)
					s += A[(1 + i) * 70 + k] * B[k * 60 + 3];
				EXPECT(near(c21[i], s));
			}
			for (int j = 0; j < 50; j++) {
				double s = 0;
				for (int k = 0; k < 30; k++)
					s += A[2 * 70 + k] * B[k * 60 + 1 + j];
				EXPECT(near(c12[j], s));
			}
			double d = 0;
			for (int k = 0; k < 30; k++)
				d += A[2 * 70 + k] * B[k * 60 + 3];
			EXPECT(near(c11, d));
			for (int i = 0; i < N; i++)
				for (int j = 0; j < M; j++) {
					double s = 0;
					for (int k = 0; k < K; k++)
						s += X[i * K + k] * (double)Y[k * M + j];
					EXPECT(near(z[i * M + j], s));
					EXPECT(o[i * M + j] == O1[i] * O2[j]);
				}
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 2; j++) {
					int32_t s = 0;
					for (int k = 0; k < 4; k++)
						s += I1[i * 4 + k] * I2[k * 2 + j];
					EXPECT(ci[i * 2 + j] == s);
				}
			for (int i = 0; i < 5; i++) {
				double s = 0;
				for (int k = 0; k < 7; k++)
					s += A[i * 70 + k] * B[k * 60 + 4];
				EXPECT(near(cv[i], s));
			}
			return fails != 0;
		}));
	CHECK(code && strstr(code, "if(parallel: 60000 > DFCRT_PAR_MIN_WORK)"));
	CHECK(code && strstr(code, "if(parallel: K * M * N > DFCRT_PAR_MIN_WORK)"));
	CHECK(code && strstr(code, "const double dfc_a = A[70 * dfc_i + 2 * dfc_k + 70];") != NULL);
}

/* ---- return from the middle, with an array transient to free ---- */

/* ---- scan library nodes ---- */

static void
scan(IrState *s, Wcr w, int axis, const char *x, const char *xs, const char *y, const char *ys)
{
	int lib = ir_state_add_library(ctx, s, LIB_SCAN, L(s->loc.line));
	s->nodes.data[lib].lib.axis = axis;
	s->nodes.data[lib].lib.combine = w;
	edge(s, acc(s, x), NULL, lib, "_x", x, xs, WCR_NONE);
	edge(s, lib, "_y", acc(s, y), NULL, y, ys, WCR_NONE);
}

/* Every loop form of codegen/openmp/scan.c (a leading axis cut into
 * chunks, an inner axis by rows, the last axis with the running values of
 * four rows interleaved and the rows left over one by one, a 1-D scan), a strided int32 input widened to int64, an in-place scan of
 * a slice: bit for bit the sequential left-to-right sums and products. */
static void
test_scan(void)
{
	new_program("sc");
	symbol("N", false);
	symbol("M", false);
	symbol("K", false);
	data("A", DT_FLOAT64, "[N, M, K]", ROLE_ARGUMENT);
	data("I", DT_INT32, "[5, 8]", ROLE_ARGUMENT);
	data("X", DT_FLOAT32, "[M]", ROLE_ARGUMENT);
	data("W", DT_FLOAT64, "[6, 7]", ROLE_ARGUMENT);
	data("s0", DT_FLOAT64, "[N, M, K]", ROLE_RETURN);
	data("s1", DT_FLOAT64, "[N, M, K]", ROLE_RETURN);
	data("s2", DT_FLOAT64, "[N, M, K]", ROLE_RETURN);
	data("p", DT_INT64, "[5, 4]", ROLE_RETURN);
	data("v", DT_FLOAT32, "[M]", ROLE_RETURN);
	IrState *s = state(&prog->body, "state_L4", 4);
	scan(s, WCR_SUM, 0, "A", NULL, "s0", NULL);
	scan(s, WCR_PROD, 1, "A", NULL, "s1", NULL);
	scan(s, WCR_SUM, 2, "A", NULL, "s2", NULL);
	scan(s, WCR_PROD, 1, "I", "[0:5, 1:8:2]", "p", NULL);
	scan(s, WCR_SUM, 0, "X", NULL, "v", NULL);
	scan(s, WCR_SUM, 1, "W", "[1:6, 0:7]", "W", "[1:6, 0:7]");
	char *code = check_program("sc", SRC(
		void sc(double *A, int32_t *I, float *X, double *W, double *s0, double *s1,
			double *s2, int64_t *p, float *v, int64_t N, int64_t M, int64_t K);
		int main(void) {
			enum { N = 37, M = 5, K = 3 };
			static double A[N * M * K], W[42], W0[42], s0[N * M * K], s1[N * M * K],
				s2[N * M * K];
			int32_t I[40];
			int64_t p[20];
			float X[M], v[M];
			for (int i = 0; i < N * M * K; i++)
				A[i] = (i % 17) * 0.1 - 0.7;
			for (int i = 0; i < 40; i++)
				I[i] = 1000 * (i % 7) - 2999;
			for (int i = 0; i < M; i++)
				X[i] = 0.1f * (float)i;
			for (int i = 0; i < 42; i++)
				W[i] = W0[i] = i * 0.3 - 1;
			sc(A, I, X, W, s0, s1, s2, p, v, N, M, K);
			for (int i = 0; i < N; i++)
				for (int j = 0; j < M; j++)
					for (int k = 0; k < K; k++) {
						int e = (i * M + j) * K + k;
						EXPECT(same(s0[e], i ? s0[e - M * K] + A[e] : A[e]));
						EXPECT(same(s1[e], j ? s1[e - K] * A[e] : A[e]));
						EXPECT(same(s2[e], k ? s2[e - 1] + A[e] : A[e]));
					}
			for (int i = 0; i < 5; i++)
				for (int j = 0; j < 4; j++) {
					uint64_t x = (uint64_t)(int64_t)I[i * 8 + 2 * j + 1];
					uint64_t want = j ? (uint64_t)p[i * 4 + j - 1] * x : x;
					EXPECT(p[i * 4 + j] == (int64_t)want);
				}
			float run = 0;
			for (int i = 0; i < M; i++) {
				run = i ? run + X[i] : X[i];
				EXPECT(v[i] == run);
			}
			for (int i = 0; i < 6; i++)
				for (int j = 0; j < 7; j++) {
					double want = W0[i * 7 + j];
					if (i > 0 && j > 0)
						want += W[i * 7 + j - 1];
					EXPECT(same(W[i * 7 + j], want));
				}
			return fails != 0;
		}
	));
	CHECK(code && strstr(code, "collapse(2)") != NULL);
	CHECK(code && strstr(code, "dfc_acc3 = dfc_acc3 + A[") != NULL);
	CHECK(code && strstr(code, "dfc_c < dfc_nt") != NULL);
}

static void
test_return(void)
{
	new_program("ret");
	symbol("N", false);
	data("x", DT_FLOAT64, "[]", ROLE_ARGUMENT);
	data("A", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	data("__return", DT_FLOAT64, "[]", ROLE_RETURN);
	data("tmp", DT_FLOAT64, "[N]", ROLE_TRANSIENT);
	IrState *s0 = state(&prog->body, "state_L2", 2);
	mapped(s0, "map_L2", "i", "[0:N]", SCHED_CPU_PARALLEL, "a:float64", "o:float64",
	       "mul(in:a, float64:2.0)", (Io[]){ { "A", "[i]", WCR_NONE } }, (Io){ "tmp", "[i]", WCR_NONE });
	IrBlock *br = ir_block_new(ctx, CF_IF, "if_L3", L(3));
	br->branch.n = 1;
	br->branch.conds = arena_alloc(ctx->arena, sizeof(IrExpr *));
	br->branch.bodies = arena_alloc(ctx->arena, sizeof(IrBlockList));
	br->branch.conds[0] = cond("gt(in:x, float64:0.0)");
	IrState *s1 = state(&br->branch.bodies[0], "state_L4", 4);
	scalar_op(s1, "a:float64 b:float64", "o:float64", "add(in:a, in:b)",
		  (Io[]){ { "tmp", "[N - 1]", WCR_NONE }, { "x", "[]", WCR_NONE } }, (Io){ "__return", "[]", WCR_NONE });
	jump(&br->branch.bodies[0], CF_RETURN);
	vec_push(ctx->arena, &prog->body, br);
	IrState *s2 = state(&prog->body, "state_L6", 6);
	scalar_op(s2, "", "o:float64", "float64:-1.0", NULL, (Io){ "__return", "[]", WCR_NONE });
	char *code = check_program("ret", SRC(
		void ret(double x, double *A, double *r, int64_t N);
		int main(void) {
			double A[10], r = 0;
			for (int i = 0; i < 10; i++)
				A[i] = i;
			ret(1.5, A, &r, 10);
			EXPECT(r == 19.5);
			ret(-1.5, A, &r, 10);
			EXPECT(r == -1);
			return fails != 0;
		}));
	CHECK(code && strstr(code, "goto dfc_exit;"));
	CHECK(code && strstr(code, "dfc_exit:;\n\tdfcrt_free(tmp);\n}"));
	CHECK(code && strstr(code, "const double dfc_o = -1.0;"));
}

/* ---- a transient whose shape depends on a loop variable ---- */

/* test_placement's program with 'tmp' of lifetime "handle": the buffer
 * grows in the loop instead of being reallocated, and is kept by the
 * handle across calls of place_with with other sizes. */
static void
test_placement_handle(void)
{
	ir_program_find_container(prog, "tmp")->lifetime = LIFETIME_HANDLE;
	char *code = cg_omp_emit_module(ctx, mod, true);
	CHECK(code != NULL);
	if (!code)
		return;
	CHECK(strstr(code, "\t\ttmp = dfcrt_buf_reserve(&dfch->buf[0], sizeof(double) * "
		      "(size_t)dfc_max(i, 0));\n"));
	CHECK(!strstr(code, "dfcrt_free(tmp)"));
	char *src = write_tmp("placeh.c", code);
	char *mainc = write_tmp("placeh_main.c", arena_printf(ctx->arena, "%s%s\n", prelude, SRC(
		typedef struct place_handle place_handle;
		place_handle *place_handle_create(void);
		void place_handle_destroy(place_handle *h);
		void place_with(place_handle *h, double *A, double *B, int64_t N);
		int main(void) {
			enum { N = 200 };
			double A[N], B[N];
			place_handle *h = place_handle_create();
			for (int i = 0; i < N; i++)
				A[i] = i % 9;
			for (int n = N; n > 0; n -= 70) {
				B[0] = 7;
				place_with(h, A, B, n);
				double s = 0;
				EXPECT(B[0] == 7);
				for (int i = 1; i < n; i++) {
					s += 2 * A[i - 1];
					EXPECT(B[i] == s);
				}
			}
			place_handle_destroy(h);
			place_handle_destroy(NULL);
			return fails != 0;
		})));
	const char *exe = arena_printf(ctx->arena, "%s/placeh", tmpdir);
	CHECK(run(arena_printf(ctx->arena, "gcc -std=c11 -O2 -Wall -Wextra -Werror -fwrapv "
			       "-fopenmp -I%s %s %s %s/dfcrt.c -lm -o %s", rtdir, src, mainc,
			       rtdir, exe), "gcc"));
	CHECK(run(arena_printf(ctx->arena, "OMP_NUM_THREADS=2 %s", exe), exe));
}

static void
test_placement(void)
{
	new_program("place");
	symbol("N", false);
	data("A", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	data("B", DT_FLOAT64, "[N]", ROLE_ARGUMENT);
	data("tmp", DT_FLOAT64, "[i]", ROLE_TRANSIENT);
	IrBlock *l = loop_for(&prog->body, "loop_L2", 2, "i", "1", "N", "1");
	IrState *s = state(&l->loop.body, "state_L3", 3);
	scalar_op(s, "", "o:float64", "float64:0.0", NULL, (Io){ "B", "[i]", WCR_NONE });
	mapped(s, "map_L4", "j", "[0:i]", SCHED_CPU_PARALLEL, "a:float64", "o:float64",
	       "mul(in:a, float64:2.0)", (Io[]){ { "A", "[j]", WCR_NONE } }, (Io){ "tmp", "[j]", WCR_NONE });
	mapped(s, "map_L5", "j", "[0:i]", SCHED_CPU_PARALLEL, "a:float64", "o:float64", "in:a",
	       (Io[]){ { "tmp", "[j]", WCR_NONE } }, (Io){ "B", "[i]", WCR_SUM });
	/* The verifier only allows program symbols in shapes; the backend
	 * still places such a transient correctly if a pass makes one. */
	int nerr = ctx->nerrors;
	for (int mode = 0; mode < 2; mode++) {
		char *code = cg_omp_emit_module(ctx, mod, mode == 0);
		CHECK(code != NULL);
		if (!code)
			return;
		CHECK(strstr(code, "double *restrict tmp = NULL;"));
		CHECK(strstr(code, "\t\tdfcrt_free(tmp);\n\t\ttmp = dfcrt_alloc(sizeof(double) * "
			      "(size_t)dfc_max(i, 0));\n"));
		CHECK(mode == 1 || strstr(code, "\t\t\tdouble dfcacc_B = B[i];\n"
					      "\t\t\t#pragma omp parallel for schedule(static) "
					      "reduction(+:dfcacc_B) if(parallel: dfc_max(i, 0) > "
					      "DFCRT_PAR_MIN_WORK)\n"));
		char *src = write_tmp(mode ? "place_ser.c" : "place_par.c", code);
		char *mainc = write_tmp("place_main.c", arena_printf(ctx->arena, "%s%s\n", prelude, SRC(
			void place(double *A, double *B, int64_t N);
			int main(void) {
				enum { N = 200 };
				double A[N], B[N];
				for (int i = 0; i < N; i++)
					A[i] = i % 9;
				B[0] = 7;
				place(A, B, N);
				double s = 0;
				EXPECT(B[0] == 7);
				for (int i = 1; i < N; i++) {
					s += 2 * A[i - 1];
					EXPECT(B[i] == s);
				}
				return fails != 0;
			})));
		const char *omp = mode == 0 ? "-fopenmp" : "";
		const char *exe = arena_printf(ctx->arena, "%s/place_%d", tmpdir, mode);
		CHECK(run(arena_printf(ctx->arena, "gcc -std=c11 -O2 -Wall -Wextra -Werror -fwrapv "
				       "%s -I%s %s %s %s/dfcrt.c -lm -o %s", omp, rtdir, src, mainc,
				       rtdir, exe), "gcc"));
		CHECK(run(arena_printf(ctx->arena, "OMP_NUM_THREADS=2 %s", exe), exe));
	}
	CHECK(ctx->nerrors == nerr);
	test_placement_handle();
}

/* ---- what the backend reports instead of emitting ---- */

static bool
emit_fails_with(const char *message)
{
	FILE *saved = ctx->err;
	char *path = arena_printf(ctx->arena, "%s/diag.txt", tmpdir);
	ctx->err = fopen(path, "w");
	char *code = cg_omp_emit_module(ctx, mod, true);
	fclose(ctx->err);
	ctx->err = saved;
	char *text = file_read(ctx->arena, path, NULL);
	bool ok = code == NULL && text && strstr(text, message);
	if (!ok)
		fprintf(stderr, "diagnostics: %s\n", text ? text : "(none)");
	return ok;
}

static void
test_errors(void)
{
	new_program("cplx");
	data("z", DT_COMPLEX128, "[]", ROLE_ARGUMENT);
	data("__return", DT_COMPLEX128, "[]", ROLE_RETURN);
	IrState *s = state(&prog->body, "state_L1", 1);
	scalar_op(s, "a:complex128", "o:complex128", "floordiv(in:a, in:a)",
		  (Io[]){ { "z", "[]", WCR_NONE } }, (Io){ "__return", "[]", WCR_NONE });
	CHECK(emit_fails_with("operator 'floordiv' is not supported for complex operands"));
	new_program("cabs");   /* <complex.h> is included: its names are taken */
	data("z", DT_COMPLEX128, "[4]", ROLE_ARGUMENT);
	CHECK(emit_fails_with("kernel name 'cabs' clashes"));
	new_program("sqrt");
	CHECK(emit_fails_with("kernel name 'sqrt' clashes"));
	new_program("hypotf");
	CHECK(emit_fails_with("kernel name 'hypotf' clashes"));
	new_program("rename");
	CHECK(emit_fails_with("kernel name 'rename' clashes"));
}

int
main(int argc, char **argv)
{
	(void)argc;
	ctx = ctx_new();
	snprintf(rtdir, sizeof rtdir, "runtime");
	if (access("runtime/dfcrt.h", R_OK) != 0) {
		const char *slash = strrchr(argv[0], '/');
		int n = slash ? (int)(slash - argv[0]) : 1;
		snprintf(rtdir, sizeof rtdir, "%.*s/../../runtime", n, slash ? argv[0] : ".");
	}
	if (access(arena_printf(ctx->arena, "%s/dfcrt.h", rtdir), R_OK) != 0 ||
	    system("gcc --version >/dev/null 2>&1") != 0) {
		printf("runtime/dfcrt.h or gcc not found\n");
		return 77;
	}
	have_clang = system("clang --version >/dev/null 2>&1") == 0;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/dfc-emit-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	test_elementwise();
	test_scalars();
	test_ops();
	test_loops();
	test_block_width();
	test_assign();
	test_control();
	test_reductions();
	test_axis();
	test_conflicts();
	test_matmul();
	test_scan();
	test_return();
	test_placement();
	test_errors();
	if (test_failed == 0 && !getenv("DFC_TEST_KEEP"))
		CHECK(system(arena_printf(ctx->arena, "rm -rf %s", tmpdir)) == 0);
	else
		fprintf(stderr, "generated files are in %s\n", tmpdir);
	ctx_free(ctx);
	return test_done(argv[0]);
}
