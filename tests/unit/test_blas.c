/* tests/unit/test_blas.c — matmul library nodes expanded with BLAS: the
 * CBLAS calls of the OpenMP backend, <cblas.h> and -lopenblas.
 *
 * Programs with one matmul each are written as YAML dumps (loaded with
 * ir_load_yaml and checked with ir_verify), covering what the Python
 * frontend never produces: outputs that accumulate (WCR sum: beta = 1),
 * a 0-d output element accumulated from a dot, a strided vector feeding
 * a transposed gemv, float32 outputs that are return values. The module
 * is emitted, compiled warning-free with -Wall -Wextra -Werror (gcc, and
 * clang when installed), then built by cg_toolchain_compile with a C main
 * that compares every result with plain loops (and that the first gemm,
 * large enough for OpenBLAS's threads, opens the runtime's window of
 * fewer forks, dfcrt_par_min_work, unless the tiled loops of
 * codegen/openmp/gemm.c ran instead); built again with -DDFCRT_GEMM=0 and
 * =1, so that both ways of a gemm run on any machine; the verbose command must
 * name -lopenblas, and must not for a module without BLAS. Modules the
 * backend must refuse (int64 operands, rows of stride 2, an unknown
 * expansion, a kernel named like a function of <cblas.h>) report a
 * located error instead of emitting; containers named like what <cblas.h>
 * declares (I, CblasTrans, complex) are renamed. Needs cc and
 * libopenblas-dev (else exit 77). DFC_TEST_KEEP=1 keeps the generated files
 * (they are always kept when a check fails).
 */
#include <limits.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../codegen/openmp/emit.h"
#include "test.h"

static char dir[64];

static const char *
path_in(Ctx *ctx, const char *name)
{
	return arena_printf(ctx->arena, "%s/%s", dir, name);
}

static int
sh(const char *cmd)
{
	int rc = system(cmd);
	return rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* The repository root, three levels above build/tests/test_blas. */
static const char *
repo_root(Ctx *ctx, const char *argv0)
{
	char buf[PATH_MAX];
	if (!realpath(argv0, buf))
		return ".";
	for (int i = 0; i < 3; i++) {
		char *slash = strrchr(buf, '/');
		if (slash)
			*slash = '\0';
	}
	return arena_strdup(ctx->arena, buf);
}

/* YAML of program `name`: containers (flow mappings, one per line,
 * indented by 2), args, returns, and one state holding
 * a[as] @ b[bs] -> c[cs] with the given WCR and impl. */
static char *
program(Ctx *ctx, const char *name, const char *symbols, const char *args,
	const char *returns, const char *containers, const char *a, const char *as,
	const char *b, const char *bs, const char *c, const char *cs, const char *wcr,
	const char *impl)
{
	return arena_printf(ctx->arena,
		"- name: %s\n  loc: \"b.py:1:1\"\n  symbols: [%s]\n  args: [%s]\n"
		"  returns: [%s]\n  assumes: []\n  containers:\n%s"
		"  body:\n  - state: state_L2\n    loc: \"b.py:2:5\"\n    nodes:\n"
		"    - {id: 0, kind: library, op: matmul, impl: %s, loc: \"b.py:2:9\"}\n"
		"    - {id: 1, kind: access, data: %s, loc: \"b.py:2:9\"}\n"
		"    - {id: 2, kind: access, data: %s, loc: \"b.py:2:9\"}\n"
		"    - {id: 3, kind: access, data: %s, loc: \"b.py:2:9\"}\n"
		"    memlets:\n"
		"    - {id: 0, src: 1, dst: 0, dst_conn: _a, data: %s, subset: \"%s\", wcr: none, "
		"loc: \"b.py:2:9\"}\n"
		"    - {id: 1, src: 2, dst: 0, dst_conn: _b, data: %s, subset: \"%s\", wcr: none, "
		"loc: \"b.py:2:9\"}\n"
		"    - {id: 2, src: 0, src_conn: _c, dst: 3, data: %s, subset: \"%s\", wcr: %s, "
		"loc: \"b.py:2:9\"}\n"
		"  history: []\n",
		name, symbols, args, returns, containers, impl, a, b, c, a, as, b, bs, c, cs, wcr);
}

static char *
container(Ctx *ctx, const char *name, const char *dtype, const char *shape,
	  const char *strides, const char *role)
{
	return arena_printf(ctx->arena, "  - {name: %s, dtype: %s, shape: [%s], strides: [%s], "
			    "storage: host, role: %s, loc: \"b.py:1:1\"}\n", name, dtype, shape,
			    strides, role);
}

static IrModule *
load(Ctx *ctx, const char *programs)
{
	char *text = arena_printf(ctx->arena, "dfc_ir: 1\nmodule: b\nsource: b.py\nprograms:\n%s",
				  programs);
	IrModule *m = ir_load_yaml(ctx, "b.yaml", text, strlen(text));
	CHECK(m != NULL);
	CHECK(m && ir_verify(ctx, m));
	return m;
}

#define F64 "float64"
#define ARG "argument"

/* rows: a sequential map over i whose body is C[i, :] = A[i, :] @ B (the
 * rank rule makes A[i, 0:K] a 1 x K matrix). */
static const char rows[] =
	"- name: rows\n  loc: \"b.py:1:1\"\n  symbols: [N, K, M]\n"
	"  args: [{data: A}, {data: B}, {data: C}]\n  returns: []\n  assumes: []\n"
	"  containers:\n"
	"  - {name: A, dtype: float64, shape: [N, K], strides: [K, 1], storage: host, "
	"role: argument, loc: \"b.py:1:1\"}\n"
	"  - {name: B, dtype: float64, shape: [K, M], strides: [M, 1], storage: host, "
	"role: argument, loc: \"b.py:1:1\"}\n"
	"  - {name: C, dtype: float64, shape: [N, M], strides: [M, 1], storage: host, "
	"role: argument, loc: \"b.py:1:1\"}\n"
	"  body:\n  - state: state_L2\n    loc: \"b.py:2:5\"\n    nodes:\n"
	"    - {id: 0, kind: map_entry, label: map_L2, params: [i], ranges: [\"0:N\"], "
	"schedule: sequential, exit: 1, loc: \"b.py:2:5\"}\n"
	"    - {id: 1, kind: map_exit, entry: 0, loc: \"b.py:2:5\"}\n"
	"    - {id: 2, kind: library, op: matmul, impl: blas, loc: \"b.py:2:9\"}\n"
	"    - {id: 3, kind: access, data: A, loc: \"b.py:2:9\"}\n"
	"    - {id: 4, kind: access, data: B, loc: \"b.py:2:9\"}\n"
	"    - {id: 5, kind: access, data: C, loc: \"b.py:2:9\"}\n"
	"    memlets:\n"
	"    - {id: 0, src: 3, dst: 0, dst_conn: IN_A, data: A, subset: \"[0:N, 0:K]\", "
	"wcr: none, loc: \"b.py:2:9\"}\n"
	"    - {id: 1, src: 4, dst: 0, dst_conn: IN_B, data: B, subset: \"[0:K, 0:M]\", "
	"wcr: none, loc: \"b.py:2:9\"}\n"
	"    - {id: 2, src: 0, src_conn: OUT_A, dst: 2, dst_conn: _a, data: A, "
	"subset: \"[i, 0:K]\", wcr: none, loc: \"b.py:2:9\"}\n"
	"    - {id: 3, src: 0, src_conn: OUT_B, dst: 2, dst_conn: _b, data: B, "
	"subset: \"[0:K, 0:M]\", wcr: none, loc: \"b.py:2:9\"}\n"
	"    - {id: 4, src: 2, src_conn: _c, dst: 1, dst_conn: IN_C, data: C, "
	"subset: \"[i, 0:M]\", wcr: none, loc: \"b.py:2:9\"}\n"
	"    - {id: 5, src: 1, src_conn: OUT_C, dst: 5, data: C, subset: \"[0:N, 0:M]\", "
	"wcr: none, loc: \"b.py:2:9\"}\n"
	"  history: []\n";

/* gacc:  C[1:N, 0:M] += A[1:N, 1:K] @ B[1:K, 0:M]          (dgemm, beta 1)
 * vacc:  y[0:N] += A[0:N, 0:K] @ x[0:K]                    (dgemv, beta 1)
 * vt:    z[0:M] = x[1:K:2] @ B[0:L, 0:M]                   (dgemv Trans, incx 2)
 * dacc:  r[1] += x[0:K] @ w[0:K]                           (ddot, 0-d element)
 * sg:    return = A[0:N, 0:K] @ B[0:K, 0:M], float32       (sgemm)
 * sd:    return = x[0:K] @ x[0:K], float32 scalar           (sdot)
 * rows:  for i (sequential map): C[i, :] = A[i, :] @ B     (dgemm, 1 row)
 * sy:    return = A[0:N, 0:K] @ A[0:N, 0:K]^T             (dsyrk, mirrored)
 * ssy:   return = A[0:N, 1:K]^T @ A[0:N, 1:K], float32     (ssyrk Trans) */
static IrModule *
blas_module(Ctx *ctx)
{
	const char *f32 = "float32";
	char *gacc = program(ctx, "gacc", "N, K, M", "{data: A}, {data: B}, {data: C}", "",
		arena_printf(ctx->arena, "%s%s%s", container(ctx, "A", F64, "N, K", "K, 1", ARG),
			     container(ctx, "B", F64, "K, M", "M, 1", ARG),
			     container(ctx, "C", F64, "N, M", "M, 1", ARG)),
		"A", "[1:N, 1:K]", "B", "[1:K, 0:M]", "C", "[1:N, 0:M]", "sum", "blas");
	char *vacc = program(ctx, "vacc", "N, K", "{data: A}, {data: x}, {data: y}", "",
		arena_printf(ctx->arena, "%s%s%s", container(ctx, "A", F64, "N, K", "K, 1", ARG),
			     container(ctx, "x", F64, "K", "1", ARG),
			     container(ctx, "y", F64, "N", "1", ARG)),
		"A", "[0:N, 0:K]", "x", "[0:K]", "y", "[0:N]", "sum", "blas");
	char *vt = program(ctx, "vt", "K, L, M", "{data: x}, {data: B}, {data: z}", "",
		arena_printf(ctx->arena, "%s%s%s", container(ctx, "x", F64, "K", "1", ARG),
			     container(ctx, "B", F64, "L, M", "M, 1", ARG),
			     container(ctx, "z", F64, "M", "1", ARG)),
		"x", "[1:K:2]", "B", "[0:L, 0:M]", "z", "[0:M]", "none", "blas");
	char *dacc = program(ctx, "dacc", "K", "{data: x}, {data: w}, {data: r}", "",
		arena_printf(ctx->arena, "%s%s%s", container(ctx, "x", F64, "K", "1", ARG),
			     container(ctx, "w", F64, "K", "1", ARG),
			     container(ctx, "r", F64, "2", "1", ARG)),
		"x", "[0:K]", "w", "[0:K]", "r", "[1]", "sum", "blas");
	char *sg = program(ctx, "sg", "N, K, M", "{data: A}, {data: B}", "__return",
		arena_printf(ctx->arena, "%s%s%s", container(ctx, "A", f32, "N, K", "K, 1", ARG),
			     container(ctx, "B", f32, "K, M", "M, 1", ARG),
			     container(ctx, "__return", f32, "N, M", "M, 1", "return")),
		"A", "[0:N, 0:K]", "B", "[0:K, 0:M]", "__return", "[0:N, 0:M]", "none", "blas");
	char *sd = program(ctx, "sd", "K", "{data: x}", "__return",
		arena_printf(ctx->arena, "%s%s", container(ctx, "x", f32, "K", "1", ARG),
			     container(ctx, "__return", f32, "", "", "return")),
		"x", "[0:K]", "x", "[0:K]", "__return", "[]", "none", "blas");
	char *sy = program(ctx, "sy", "N, K", "{data: A}", "__return",
		arena_printf(ctx->arena, "%s%s", container(ctx, "A", F64, "N, K", "K, 1", ARG),
			     container(ctx, "__return", F64, "N, N", "N, 1", "return")),
		"A", "[0:N, 0:K]", "A", "[0:N, 0:K]", "__return", "[0:N, 0:N]", "none",
		"blas, transpose: [_b]");
	char *ssy = program(ctx, "ssy", "N, K", "{data: A}", "__return",
		arena_printf(ctx->arena, "%s%s", container(ctx, "A", f32, "N, K", "K, 1", ARG),
			     container(ctx, "__return", f32, "K - 1, K - 1", "K - 1, 1", "return")),
		"A", "[0:N, 1:K]", "A", "[0:N, 1:K]", "__return", "[0:K - 1, 0:K - 1]", "none",
		"blas, transpose: [_a]");
	return load(ctx, arena_printf(ctx->arena, "%s%s%s%s%s%s%s%s%s", gacc, vacc, vt, dacc, sg,
				      sd, rows, sy, ssy));
}

/* The C main: every kernel on small random-ish data, against loops. */
static const char main_c[] =
	"#include <math.h>\n#include <stdint.h>\n#include <stdio.h>\n#include \"b.h\"\n"
	"#include \"dfcrt.h\"\n"
	"char *openblas_get_corename(void);\n"
	"static int fails;\n"
	"static void expect(double got, double want, const char *what, int i) {\n"
	"	if (fabs(got - want) > 1e-4 * (1 + fabs(want))) {\n"
	"		printf(\"%s[%d]: got %g, want %g\\n\", what, i, got, want); fails++;\n"
	"	}\n}\n"
	"static double val(int i) { return (double)((i * 7919) % 23) / 7.0 - 1.5; }\n"
	"int main(void) {\n"
	"	enum { N = 37, K = 29, M = 41, L = 14 };\n"
	"	static double A[N * K], B[K * M], C[N * M], want[N * M], x[K], y[N], z[M], w[K];\n"
	"	for (int i = 0; i < N * K; i++) A[i] = val(i);\n"
	"	for (int i = 0; i < K * M; i++) B[i] = val(i + 5);\n"
	"	for (int i = 0; i < N * M; i++) C[i] = want[i] = val(i + 11);\n"
	"	for (int i = 0; i < K; i++) x[i] = val(i + 3), w[i] = val(i + 8);\n"
	"	for (int i = 0; i < N; i++) y[i] = val(i + 13);\n"
	"	for (int i = 1; i < N; i++) for (int j = 0; j < M; j++)\n"
	"		for (int k = 1; k < K; k++) want[i * M + j] += A[i * K + k] * B[k * M + j];\n"
	"	expect((double)dfcrt_par_min_work(), DFCRT_PAR_MIN_WORK_IDLE, \"no window\", 0);\n"
	"	gacc(A, B, C, N, K, M);\n"
	"	expect((double)dfcrt_par_min_work(), dfcrt_gemm_choose(openblas_get_corename()) ?\n"
	"	       DFCRT_PAR_MIN_WORK_IDLE : DFCRT_PAR_MIN_WORK_BLAS, \"window\", 0);\n"
	"	for (int i = 0; i < N * M; i++) expect(C[i], want[i], \"gacc\", i);\n"
	"	for (int i = 0; i < N; i++) {\n"
	"		double s = y[i];\n"
	"		for (int k = 0; k < K; k++) s += A[i * K + k] * x[k];\n"
	"		want[i] = s;\n"
	"	}\n"
	"	vacc(A, x, y, N, K);\n"
	"	for (int i = 0; i < N; i++) expect(y[i], want[i], \"vacc\", i);\n"
	"	for (int j = 0; j < M; j++) {\n"
	"		double s = 0;\n"
	"		for (int l = 0; l < L; l++) s += x[1 + 2 * l] * B[l * M + j];\n"
	"		want[j] = s; z[j] = NAN;\n"
	"	}\n"
	"	vt(x, B, z, K, L, M);\n"
	"	for (int j = 0; j < M; j++) expect(z[j], want[j], \"vt\", j);\n"
	"	double r[2] = { 5, 0.25 }, s = 0.25;\n"
	"	for (int k = 0; k < K; k++) s += x[k] * w[k];\n"
	"	dacc(x, w, r, K);\n"
	"	expect(r[0], 5, \"dacc\", 0);\n"
	"	expect(r[1], s, \"dacc\", 1);\n"
	"	static float Af[N * K], Bf[K * M], Cf[N * M], xf[K], d;\n"
	"	for (int i = 0; i < N * K; i++) Af[i] = (float)A[i];\n"
	"	for (int i = 0; i < K * M; i++) Bf[i] = (float)B[i];\n"
	"	sg(Af, Bf, Cf, N, K, M);\n"
	"	for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) {\n"
	"		double t = 0;\n"
	"		for (int k = 0; k < K; k++) t += (double)Af[i * K + k] * Bf[k * M + j];\n"
	"		expect(Cf[i * M + j], t, \"sg\", i * M + j);\n"
	"	}\n"
	"	s = 0;\n"
	"	for (int k = 0; k < K; k++) xf[k] = (float)x[k], s += (double)xf[k] * xf[k];\n"
	"	sd(xf, &d, K);\n"
	"	expect(d, s, \"sd\", 0);\n"
	"	sg(Af, Bf, Cf, 0, K, M);\n"
	"	sg(Af, Bf, Cf, N, 0, M);\n"
	"	for (int i = 0; i < N * M; i++) expect(Cf[i], 0, \"sg K=0\", i);\n"
	"	sd(xf, &d, 0);\n"
	"	expect(d, 0, \"sd K=0\", 0);\n"
	"	rows(A, B, C, N, K, M);\n"
	"	for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) {\n"
	"		double t = 0;\n"
	"		for (int k = 0; k < K; k++) t += A[i * K + k] * B[k * M + j];\n"
	"		expect(C[i * M + j], t, \"rows\", i * M + j);\n"
	"	}\n"
	"	static double S[N * N];\n"
	"	static float Sf[K * K];\n"
	"	sy(A, S, N, K);\n"
	"	for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) {\n"
	"		double t = 0;\n"
	"		for (int k = 0; k < K; k++) t += A[i * K + k] * A[j * K + k];\n"
	"		expect(S[i * N + j], t, \"sy\", i * N + j);\n"
	"		if (S[i * N + j] != S[j * N + i]) expect(1, 0, \"sy symmetric\", i * N + j);\n"
	"	}\n"
	"	ssy(Af, Sf, N, K);\n"
	"	for (int i = 1; i < K; i++) for (int j = 1; j < K; j++) {\n"
	"		double t = 0;\n"
	"		for (int k = 0; k < N; k++) t += (double)Af[k * K + i] * Af[k * K + j];\n"
	"		expect(Sf[(i - 1) * (K - 1) + j - 1], t, \"ssy\", i * K + j);\n"
	"	}\n"
	"	return fails != 0;\n"
	"}\n";

/* Compiles text with the command's compiler and warnings as errors. */
static void
compile_strict(Ctx *ctx, const char *cc, const char *rtinc, const char *src)
{
	char *cmd = arena_printf(ctx->arena, "%s -std=c11 -O2 -Wall -Wextra -Werror -fwrapv "
				 "-fopenmp -I'%s' -c '%s' -o '%s/strict.o'", cc, rtinc, src, dir);
	CHECK(sh(cmd) == 0);
}

/* Compiles the sources with cg_toolchain_compile, verbose, and returns the
 * command it printed (NULL when it failed). */
static char *
toolchain(Ctx *ctx, const Runtime *rt, int n, const char **srcs, const char *out)
{
	FILE *saved = ctx->err;
	const char *log = path_in(ctx, "cmd.txt");
	ctx->err = fopen(log, "w");
	ctx->opt.verbose = true;
	bool ok = cg_toolchain_compile(ctx, rt, n, srcs, out, n == 1, true);
	ctx->opt.verbose = false;
	fclose(ctx->err);
	ctx->err = saved;
	char *text = file_read(ctx->arena, log, NULL);
	CHECK(ok);
	return ok ? text : NULL;
}

static void
test_blas_calls(Ctx *ctx, const Runtime *rt)
{
	IrModule *m = blas_module(ctx);
	char *code = m ? cg_omp_emit_module(ctx, m, true) : NULL;
	CHECK(code != NULL);
	if (!code)
		return;
	CHECK(strstr(code, "#include <cblas.h>\n") != NULL);
	CHECK(strstr(code, "cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N - 1, M, "
		      "K - 1, 1.0, A + (K + 1), dfc_max(K, 1), B + M, dfc_max(M, 1), 1.0, "
		      "C + M, dfc_max(M, 1));") != NULL);
	CHECK(strstr(code, "cblas_dgemv(CblasRowMajor, CblasNoTrans, N, K, 1.0, A, "
		      "dfc_max(K, 1), x, 1, 1.0, y, 1);") != NULL);
	CHECK(strstr(code, "cblas_dgemv(CblasRowMajor, CblasTrans, L, M, 1.0, B, "
		      "dfc_max(M, 1), x + 1, 2, 0.0, z, 1);") != NULL);
	CHECK(strstr(code, "const double dfc_dot = cblas_ddot(K, x, 1, w, 1);") != NULL);
	CHECK(strstr(code, "r[1] += dfc_dot;") != NULL);
	CHECK(strstr(code, "cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, M, K, "
		      "1.0f, A, dfc_max(K, 1), B, dfc_max(M, 1), 0.0f, __return, ") != NULL);
	CHECK(strstr(code, "const float dfc_dot = cblas_sdot(K, x, 1, x, 1);") != NULL);
	CHECK(strstr(code, "if (N <= 2147483647 && K <= 2147483647) {") != NULL);
	CHECK(strstr(code, "\tfor (int64_t i = 0; i < N; i++) {\n") != NULL);
	CHECK(strstr(code, "cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, M, K, 1.0, "
		      "A + (K * i), dfc_max(K, 1), B, dfc_max(M, 1), 0.0, C + (M * i), "
		      "dfc_max(M, 1));") != NULL);
	CHECK(strstr(code, "cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, N, K, 1.0, A, "
		      "dfc_max(K, 1), 0.0, __return, dfc_max(N, 1));") != NULL);
	CHECK(strstr(code, "cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, K - 1, N, 1.0f, "
		      "A + 1, ") != NULL);
	CHECK(strstr(code, "\t__return[N * dfc_i + dfc_j] = __return[N * dfc_j + dfc_i];\n"));
	CHECK(strstr(code, "openblas_set_num_threads") == NULL);
	/* each call is followed by its note (runtime/dfcrt.h), a syrk's
	 * before the mirror loop */
	CHECK(strstr(code, "dfc_max(M, 1), 1.0, C + M, dfc_max(M, 1));\n"
		      "\t\t\t\tdfcrt_blas_note((double)(N - 1) * (double)(K - 1) * (double)M);\n"));
	CHECK(strstr(code, "dfc_max(K, 1), x, 1, 1.0, y, 1);\n"));
	CHECK(strstr(code, "dfcrt_blas_note((double)N * (double)K);\n"));
	CHECK(strstr(code, "cblas_ddot(K, x, 1, w, 1);\n\t\t\tdfcrt_blas_note((double)K);\n"));
	CHECK(strstr(code, "dfc_max(N, 1));\n\t\t\t\tdfcrt_blas_note((double)N * (double)K * "
		      "(double)N);\n"));
	/* a gemm (a syrk too) runs the tiled loops (codegen/openmp/gemm.c) where
	 * dfcrt_gemm_choose says so, the call in the other branch: views through
	 * their strides, the accumulating output as mode 1, a syrk as sym */
	CHECK(strstr(code, "\t\t\tif (dfcrt_gemm_choose(openblas_get_corename())) {\n"
		      "\t\t\t\tdfc_gemm_f64(N - 1, M, K - 1, 1.0,\n"
		      "\t\t\t\t\tA + (K + 1), K, 1,\n\t\t\t\t\tB + M, M, 1,\n"
		      "\t\t\t\t\t1, 0.0, C + M, M,\n\t\t\t\t\tfalse, &dfch->buf[0], "));
	CHECK(strstr(code, "} else {\n\t\t\t\tcblas_dgemm(CblasRowMajor, CblasNoTrans, "
		      "CblasNoTrans, N - 1, M,"));
	CHECK(strstr(code, "dfc_gemm_f32(N, M, K, 1.0f,\n"));
	CHECK(strstr(code, "dfc_gemm_f64(N, N, K, 1.0,\n\t\t\t\t\tA, K, 1,\n"
		      "\t\t\t\t\tA, 1, K,\n\t\t\t\t\t0, 0.0, __return, N,\n"
		      "\t\t\t\t\ttrue, "));
	/* the helpers, contracting into FMAs, clang's with full-width vectors */
	CHECK(strstr(code, "#pragma GCC optimize(\"fp-contract=fast\")\n#endif\nstatic void\n"
		      "#ifdef __clang__\n__attribute__((min_vector_width(DFCRT_GEMM_VBYTES * 8)))\n"
		      "#endif\ndfc_gemm_f64(int64_t n, int64_t m, int64_t k, "));
	CHECK(strstr(code, "static void\n#ifdef __clang__\n__attribute__((min_vector_width("
		      "DFCRT_GEMM_VBYTES * 8)))\n#endif\ndfc_gemm_f32(int64_t n, int64_t m, int64_t k, "));
	CHECK(strstr(code, "{\n#ifdef __clang__\n#pragma clang fp contract(fast)\n#endif\n"));
	const char *src = path_in(ctx, "b.c");
	CHECK(file_write(src, code, strlen(code)));
	CHECK(file_write(path_in(ctx, "b.h"), cg_header_emit(ctx, m), strlen(cg_header_emit(ctx, m))));
	CHECK(file_write(path_in(ctx, "main.c"), main_c, strlen(main_c)));
	compile_strict(ctx, "gcc", rt->include_dir, src);
	if (sh("clang --version >/dev/null 2>&1") == 0)
		compile_strict(ctx, "clang", rt->include_dir, src);
	char *cmd = toolchain(ctx, rt, 1, &src, path_in(ctx, "libb.so"));
	CHECK(cmd && strstr(cmd, " -lopenblas -lm "));
	const char *srcs[2] = { src, path_in(ctx, "main.c") };
	cmd = toolchain(ctx, rt, 2, srcs, path_in(ctx, "b"));
	CHECK(cmd && strstr(cmd, " -lopenblas -lm "));
	CHECK(sh(arena_printf(ctx->arena, "OMP_NUM_THREADS=2 '%s/b'", dir)) == 0);
	/* both ways a gemm may go, whatever this machine's OpenBLAS */
	const char *saved = getenv("DFC_CFLAGS");
	char *keep = saved ? arena_printf(ctx->arena, "%s", saved) : NULL;
	for (int way = 0; way < 2; way++) {
		setenv("DFC_CFLAGS", way ? "-DDFCRT_GEMM=1" : "-DDFCRT_GEMM=0", 1);
		cmd = toolchain(ctx, rt, 2, srcs, path_in(ctx, way ? "b1" : "b0"));
		CHECK(cmd && strstr(cmd, way ? "-DDFCRT_GEMM=1" : "-DDFCRT_GEMM=0"));
		CHECK(sh(arena_printf(ctx->arena, "OMP_NUM_THREADS=2 '%s/b%d'", dir, way)) == 0);
	}
	if (keep)
		setenv("DFC_CFLAGS", keep, 1);
	else
		unsetenv("DFC_CFLAGS");
}

/* The same gemm expanded naively: no <cblas.h>, no -lopenblas. */
static void
test_naive(Ctx *ctx, const Runtime *rt)
{
	IrModule *m = load(ctx, program(ctx, "g", "N, K, M", "{data: A}, {data: B}, {data: C}", "",
		arena_printf(ctx->arena, "%s%s%s", container(ctx, "A", F64, "N, K", "K, 1", ARG),
			     container(ctx, "B", F64, "K, M", "M, 1", ARG),
			     container(ctx, "C", F64, "N, M", "M, 1", ARG)),
		"A", "[0:N, 0:K]", "B", "[0:K, 0:M]", "C", "[0:N, 0:M]", "none", "naive"));
	char *code = m ? cg_omp_emit_module(ctx, m, true) : NULL;
	CHECK(code && !strstr(code, "cblas"));
	if (!code)
		return;
	const char *src = path_in(ctx, "n.c");
	CHECK(file_write(src, code, strlen(code)));
	char *cmd = toolchain(ctx, rt, 1, &src, path_in(ctx, "libn.so"));
	CHECK(cmd && !strstr(cmd, "openblas"));
}

/* Emitting m fails with an error at `at` ("b.py:2:9") containing message. */
static bool
emit_fails_at(Ctx *ctx, IrModule *m, const char *at, const char *message)
{
	FILE *saved = ctx->err;
	const char *path = path_in(ctx, "diag.txt");
	ctx->err = fopen(path, "w");
	int nerr = ctx->nerrors;
	char *code = m ? cg_omp_emit_module(ctx, m, true) : "";
	fclose(ctx->err);
	ctx->err = saved;
	char *text = file_read(ctx->arena, path, NULL);
	bool ok = code == NULL && ctx->nerrors > nerr && text &&
		  strstr(text, arena_printf(ctx->arena, "%s: error: ", at)) && strstr(text, message);
	if (!ok)
		fprintf(stderr, "diagnostics: %s\n", text ? text : "(none)");
	ctx->nerrors = nerr;
	return ok;
}

static bool
emit_fails_with(Ctx *ctx, IrModule *m, const char *message)
{
	return emit_fails_at(ctx, m, "b.py:2:9", message);
}

static void
test_refusals(Ctx *ctx)
{
	const char *ints = arena_printf(ctx->arena, "%s%s%s",
		container(ctx, "A", "int64", "N, K", "K, 1", ARG),
		container(ctx, "B", "int64", "K, M", "M, 1", ARG),
		container(ctx, "C", "int64", "N, M", "M, 1", ARG));
	const char *dbls = arena_printf(ctx->arena, "%s%s%s",
		container(ctx, "A", F64, "N, K", "K, 1", ARG),
		container(ctx, "B", F64, "K, M", "M, 1", ARG),
		container(ctx, "C", F64, "N, M", "M, 1", ARG));
	const char *args = "{data: A}, {data: B}, {data: C}";
	CHECK(emit_fails_with(ctx, load(ctx, program(ctx, "g", "N, K, M", args, "", ints,
		"A", "[0:N, 0:K]", "B", "[0:K, 0:M]", "C", "[0:N, 0:M]", "none", "blas")),
		"this matmul cannot be expanded with BLAS: BLAS has no matmul of int64 @ int64 "
		"-> int64"));
	CHECK(emit_fails_with(ctx, load(ctx, program(ctx, "g", "N, K, M", args, "", dbls,
		"A", "[0:N, 0:K:2]", "B", "[0:(K + 1) // 2, 0:M]", "C", "[0:N, 0:M]", "none",
		"blas")), "the rows of 'A' do not have unit stride"));
	CHECK(emit_fails_with(ctx, load(ctx, program(ctx, "g", "N, K, M", args, "", dbls,
		"A", "[0:N, 0:K]", "B", "[0:K, 0:M]", "C", "[0:N, 0:M]", "none", "cublas")),
		"the OpenMP backend has no expansion 'cublas' of matmul (naive, blas)"));
	/* a kernel cannot take a name of <cblas.h> when the module includes it */
	const char *cabs = program(ctx, "cabs", "N, K, M", args, "", dbls,
		"A", "[0:N, 0:K]", "B", "[0:K, 0:M]", "C", "[0:N, 0:M]", "none", "blas");
	CHECK(emit_fails_at(ctx, load(ctx, cabs), "b.py:1:1", "kernel name 'cabs' clashes"));
	IrModule *m = load(ctx, program(ctx, "cabs", "N, K, M", args, "", dbls,
		"A", "[0:N, 0:K]", "B", "[0:K, 0:M]", "C", "[0:N, 0:M]", "none", "naive"));
	CHECK(m && cg_omp_emit_module(ctx, m, true) != NULL);
}

/* IR names that <cblas.h> declares are renamed in the generated C. */
static void
test_names(Ctx *ctx)
{
	const char *cs = arena_printf(ctx->arena, "%s%s%s",
		container(ctx, "I", F64, "N, K", "K, 1", ARG),
		container(ctx, "CblasTrans", F64, "K, M", "M, 1", ARG),
		container(ctx, "complex", F64, "N, M", "M, 1", ARG));
	IrModule *m = load(ctx, program(ctx, "names", "N, K, M",
		"{data: I}, {data: CblasTrans}, {data: complex}", "", cs, "I", "[0:N, 0:K]",
		"CblasTrans", "[0:K, 0:M]", "complex", "[0:N, 0:M]", "none", "blas"));
	char *code = m ? cg_omp_emit_module(ctx, m, true) : NULL;
	CHECK(code && strstr(code, "1.0, I_, dfc_max(K, 1), u_CblasTrans, dfc_max(M, 1), 0.0, "
			     "complex_, dfc_max(M, 1));"));
	CHECK(cg_omp_blas_reserved("cblas_dgemm") && cg_omp_blas_reserved("CPU_SET") &&
	      cg_omp_blas_reserved("creal") && cg_omp_blas_reserved("cexpf64x") &&
	      cg_omp_blas_reserved("conjl") && cg_omp_blas_reserved("I"));
	CHECK(!cg_omp_blas_reserved("c") && !cg_omp_blas_reserved("cosx") &&
	      !cg_omp_blas_reserved("i") && !cg_omp_blas_reserved("crealx") &&
	      !cg_omp_blas_reserved("A"));
}

int
main(int argc, char **argv)
{
	Ctx *ctx = ctx_new();
	if (sh("printf '#include <cblas.h>\\nint main(void){return 0;}\\n' | "
	       "cc -x c - -lopenblas -o /dev/null 2>/dev/null") != 0) {
		printf("%s: skipped: needs cc and libopenblas-dev\n", argv[0]);
		return 77;
	}
	strcpy(dir, "/tmp/dfc-blas-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	ctx->opt.runtime_dir = repo_root(ctx, argv[0]);
	Runtime rt;
	if (!cg_runtime_find(ctx, &rt)) {
		printf("%s: skipped: build libdfcrt.a first (make)\n", argv[0]);
		return 77;
	}
	test_blas_calls(ctx, &rt);
	test_naive(ctx, &rt);
	test_refusals(ctx);
	test_names(ctx);
	if (test_failed == 0 && !getenv("DFC_TEST_KEEP"))
		sh(arena_printf(ctx->arena, "rm -rf '%s'", dir));
	else
		fprintf(stderr, "files kept in '%s'\n", dir);
	ctx_free(ctx);
	return test_done(argv[0]);
}
