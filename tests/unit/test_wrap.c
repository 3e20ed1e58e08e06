/* tests/unit/test_wrap.c — the wrappers of a compiled module: k.h, k.py,
 * the exe harness, and the toolchain that builds them.
 *
 * A module of three programs is built by hand (no frontend):
 *   kern(A: float64[N, M], x: float64[M], alpha: float64, k: int64) -> float64[N]
 *       A written, k a symbol argument, T a size symbol no argument carries;
 *   kern2(z: int32[N], y: float32[N - 1], c: complex128, flag: bool,
 *         q: int16, w: uint8[3, N]) -> (float64, complex128[N])
 *   kern3() -> int64[L]                      (L keyword-only)
 *   kern4(A: float64[k, 2], k: int64)        (k bound by an argument after A)
 *   kern5(A: float64[N, M], k: int64)        with the preconditions
 *       N - 2 >= 0 and min(M, 8) // 2 - k >= 0
 *   kern6()                                  with the precondition -1 >= 0
 * Its header, Python module and harness are emitted into a temporary
 * directory whose name has a space in it; a hand-written C implementation
 * (which includes k.h, so prototypes and definitions must agree) is
 * compiled by cg_toolchain_compile into libk.so and into the executable.
 * Python scripts then call both, correctly and incorrectly, and check
 * results, exception types, exit statuses and that messages name the
 * argument. Needs cc and /usr/bin/python3 with numpy (else exit 77).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../codegen/codegen.h"
#include "test.h"

#define PY "/usr/bin/python3"

static char dir[64];

static const char *
path_in(Ctx *ctx, const char *name)
{
	return arena_printf(ctx->arena, "%s/%s", dir, name);
}

static void
write_text(Ctx *ctx, const char *name, const char *text)
{
	CHECK(text != NULL);
	CHECK(file_write(path_in(ctx, name), text ? text : "", text ? strlen(text) : 0));
}

/* Runs a shell command; returns its exit status (-1 if it did not exit). */
static int
sh(Ctx *ctx, const char *cmd)
{
	int rc = system(cmd);
	return rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static Sym *
var(Ctx *ctx, const char *n)
{
	return sym_var(ctx->arena, n);
}

static void
add_arg(Ctx *ctx, IrProgram *p, ArgKind kind, const char *name)
{
	IrArg a = { kind, name };
	vec_push(ctx->arena, &p->args, a);
}

/* A state in which `from` is read into a tasklet that writes `to` (NULL: no
 * write), appended to p's body. */
static void
add_state(Ctx *ctx, IrProgram *p, const char *from, const char *to)
{
	SrcLoc loc = { "k.py", 3, 1 };
	IrState *s = ir_state_new(ctx, "state_L3", loc);
	int a = ir_state_add_access(ctx, s, from, loc);
	IrConn in = { "_in", DT_FLOAT64 }, out = { "_out", DT_FLOAT64 };
	IrExpr *e = ir_expr_in(ctx->arena, DT_FLOAT64, "_in");
	int t = ir_state_add_tasklet(ctx, s, 1, &in, out, e, loc);
	Sym *zero = sym_const(ctx->arena, 0);
	Sym *idx[2] = { zero, zero };
	const IrContainer *fc = ir_program_find_container(p, from);
	ir_state_add_memlet(ctx, s, a, NULL, t, "_in", from,
			    subset_index(ctx->arena, fc->ndim, idx), WCR_NONE, loc);
	if (to) {
		const IrContainer *tc = ir_program_find_container(p, to);
		int b = ir_state_add_access(ctx, s, to, loc);
		ir_state_add_memlet(ctx, s, t, "_out", b, NULL, to,
				    subset_index(ctx->arena, tc->ndim, idx), WCR_NONE, loc);
	}
	vec_push(ctx->arena, &p->body, ir_block_state(ctx, s));
}

static void
build_kern(Ctx *ctx, IrModule *m)
{
	SrcLoc loc = { "k.py", 2, 1 };
	IrProgram *p = ir_program_new(ctx, m, "kern", loc);
	const char *syms[] = { "N", "M", "k", "T" };
	for (int i = 0; i < 4; i++)
		ir_program_add_symbol(ctx, p, syms[i]);
	Sym *nm[2] = { var(ctx, "N"), var(ctx, "M") };
	ir_program_add_container(ctx, p, "A", DT_FLOAT64, 2, nm, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "x", DT_FLOAT64, 1, nm + 1, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "alpha", DT_FLOAT64, 0, NULL, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "__return", DT_FLOAT64, 1, nm, ROLE_RETURN, loc);
	add_arg(ctx, p, ARG_DATA, "A");
	add_arg(ctx, p, ARG_DATA, "x");
	add_arg(ctx, p, ARG_DATA, "alpha");
	add_arg(ctx, p, ARG_SYMBOL, "k");
	vec_push(ctx->arena, &p->returns, "__return");
	add_state(ctx, p, "x", "A");
	IrBlock *loop = ir_block_new(ctx, CF_FOR, "loop_L4", loc);
	loop->loop.var = "i";
	loop->loop.start = sym_const(ctx->arena, 0);
	loop->loop.stop = var(ctx, "N");
	loop->loop.step = sym_const(ctx->arena, 1);
	vec_push(ctx->arena, &p->body, loop);
	IrBlockList body = p->body;
	p->body = loop->loop.body;
	add_state(ctx, p, "A", "__return");
	loop->loop.body = p->body;
	p->body = body;
}

static void
build_kern2(Ctx *ctx, IrModule *m)
{
	SrcLoc loc = { "k.py", 9, 1 };
	IrProgram *p = ir_program_new(ctx, m, "kern2", loc);
	ir_program_add_symbol(ctx, p, "N");
	Sym *n = var(ctx, "N"), *n1 = sym_addc(ctx->arena, n, -1);
	Sym *w[2] = { sym_const(ctx->arena, 3), n };
	ir_program_add_container(ctx, p, "z", DT_INT32, 1, &n, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "y", DT_FLOAT32, 1, &n1, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "c", DT_COMPLEX128, 0, NULL, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "flag", DT_BOOL, 0, NULL, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "q", DT_INT16, 0, NULL, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "w", DT_UINT8, 2, w, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "__return", DT_FLOAT64, 0, NULL, ROLE_RETURN, loc);
	ir_program_add_container(ctx, p, "__return_1", DT_COMPLEX128, 1, &n, ROLE_RETURN, loc);
	const char *args[] = { "z", "y", "c", "flag", "q", "w" };
	for (int i = 0; i < 6; i++)
		add_arg(ctx, p, ARG_DATA, args[i]);
	vec_push(ctx->arena, &p->returns, "__return");
	vec_push(ctx->arena, &p->returns, "__return_1");
	add_state(ctx, p, "z", "__return_1");
}

static void
build_kern3(Ctx *ctx, IrModule *m)
{
	SrcLoc loc = { "k.py", 14, 1 };
	IrProgram *p = ir_program_new(ctx, m, "kern3", loc);
	ir_program_add_symbol(ctx, p, "L");
	Sym *l = var(ctx, "L");
	ir_program_add_container(ctx, p, "__return", DT_INT64, 1, &l, ROLE_RETURN, loc);
	vec_push(ctx->arena, &p->returns, "__return");
}

/* kern4(A: float64[k, 2], k: int64): the symbol argument comes after the
 * array whose shape uses it, and still binds k. */
static void
build_kern4(Ctx *ctx, IrModule *m)
{
	SrcLoc loc = { "k.py", 18, 1 };
	IrProgram *p = ir_program_new(ctx, m, "kern4", loc);
	ir_program_add_symbol(ctx, p, "k");
	Sym *shape[2] = { var(ctx, "k"), sym_const(ctx->arena, 2) };
	ir_program_add_container(ctx, p, "A", DT_FLOAT64, 2, shape, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "t", DT_FLOAT64, 0, NULL, ROLE_TRANSIENT, loc);
	add_arg(ctx, p, ARG_DATA, "A");
	add_arg(ctx, p, ARG_SYMBOL, "k");
	add_state(ctx, p, "t", "A");
}

/* kern5(A: float64[N, M], k: int64), A written, with two preconditions
 * (one over a symbol argument, with min and //); kern6() with one that
 * never holds and no location. */
static void
build_kern5_6(Ctx *ctx, IrModule *m)
{
	SrcLoc loc = { "k.py", 22, 1 }, at1 = { "k.py", 23, 9 }, at2 = { "k.py", 24, 13 };
	IrProgram *p = ir_program_new(ctx, m, "kern5", loc);
	ir_program_add_symbol(ctx, p, "N");
	ir_program_add_symbol(ctx, p, "M");
	Sym *nm[2] = { var(ctx, "N"), var(ctx, "M") };
	ir_program_add_container(ctx, p, "A", DT_FLOAT64, 2, nm, ROLE_ARGUMENT, loc);
	ir_program_add_container(ctx, p, "t", DT_FLOAT64, 0, NULL, ROLE_TRANSIENT, loc);
	add_arg(ctx, p, ARG_DATA, "A");
	add_arg(ctx, p, ARG_SYMBOL, "k");
	add_state(ctx, p, "t", "A");
	Arena *a = ctx->arena;
	ir_program_assume(ctx, p, sym_addc(a, nm[0], -2), at1);
	Sym *half = sym_floordiv(a, sym_min(a, nm[1], sym_const(a, 8)), sym_const(a, 2));
	ir_program_assume(ctx, p, sym_sub(a, half, var(ctx, "k")), at2);
	ir_program_assume(ctx, p, sym_addc(a, nm[0], -1), at1);  /* implied: dropped */
	CHECK(p->assumes.len == 2);
	SrcLoc none = { NULL, 0, 0 };
	p = ir_program_new(ctx, m, "kern6", none);
	ir_program_assume(ctx, p, sym_const(a, -1), none);
	CHECK(p->assumes.len == 1);
}

static const char impl_c[] =
	"#include \"k.h\"\n"
	"void kern(double *restrict A, double *restrict x, double alpha, int64_t k,\n"
	"          double *restrict __return, int64_t N, int64_t M, int64_t T)\n"
	"{\n"
	"\tfor (int64_t i = 0; i < N; i++) {\n"
	"\t\tdouble s = 0;\n"
	"\t\tfor (int64_t j = 0; j < M; j++) {\n"
	"\t\t\tA[i * M + j] += alpha * x[j] * (double)k;\n"
	"\t\t\ts += A[i * M + j];\n"
	"\t\t}\n"
	"\t\t__return[i] = s + (double)T;\n"
	"\t}\n"
	"}\n"
	"void kern2(int32_t *restrict z, float *restrict y, double _Complex c, bool flag,\n"
	"           int16_t q, uint8_t *restrict w, double *restrict __return,\n"
	"           double _Complex *restrict __return_1, int64_t N)\n"
	"{\n"
	"\tdouble s = q;\n"
	"\tfor (int64_t i = 0; i < N; i++)\n"
	"\t\ts += z[i];\n"
	"\tfor (int64_t i = 0; flag && i < N - 1; i++)\n"
	"\t\ts += y[i];\n"
	"\tfor (int64_t i = 0; i < 3 * N; i++)\n"
	"\t\ts += w[i];\n"
	"\t*__return = s;\n"
	"\tfor (int64_t i = 0; i < N; i++)\n"
	"\t\t__return_1[i] = c * z[i];\n"
	"}\n"
	"void kern4(double *restrict A, int64_t k)\n"
	"{\n"
	"\tfor (int64_t i = 0; i < 2 * k; i++)\n"
	"\t\tA[i] = (double)k;\n"
	"}\n"
	"void kern5(double *restrict A, int64_t k, int64_t N, int64_t M)\n"
	"{\n"
	"\tfor (int64_t i = 0; i < N * M; i++)\n"
	"\t\tA[i] = (double)(k + N);\n"
	"}\n"
	"void kern6(void)\n"
	"{\n"
	"}\n"
	"void kern3(int64_t *restrict __return, int64_t L)\n"
	"{\n"
	"\tfor (int64_t i = 0; i < L; i++)\n"
	"\t\t__return[i] = i * i;\n"
	"}\n"
	"/* the handle API: the wrappers call kern_with */\n"
	"#include <stdlib.h>\n"
	"#define HANDLE(k) struct k##_handle { int64_t calls; }; \\\n"
	"\tk##_handle *k##_handle_create(void) { return calloc(1, sizeof(k##_handle)); } \\\n"
	"\tvoid k##_handle_destroy(k##_handle *h) { free(h); }\n"
	"HANDLE(kern) HANDLE(kern2) HANDLE(kern3) HANDLE(kern4) HANDLE(kern5) HANDLE(kern6)\n"
	"void kern_with(kern_handle *h, double *restrict A, double *restrict x, double alpha,\n"
	"               int64_t k, double *restrict __return, int64_t N, int64_t M, int64_t T)\n"
	"{\n\th->calls++;\n\tkern(A, x, alpha, k, __return, N, M, T);\n}\n"
	"void kern2_with(kern2_handle *h, int32_t *restrict z, float *restrict y,\n"
	"                double _Complex c, bool flag, int16_t q, uint8_t *restrict w,\n"
	"                double *restrict __return, double _Complex *restrict __return_1,\n"
	"                int64_t N)\n"
	"{\n\th->calls++;\n\tkern2(z, y, c, flag, q, w, __return, __return_1, N);\n}\n"
	"void kern4_with(kern4_handle *h, double *restrict A, int64_t k)\n"
	"{\n\th->calls++;\n\tkern4(A, k);\n}\n"
	"void kern5_with(kern5_handle *h, double *restrict A, int64_t k, int64_t N, int64_t M)\n"
	"{\n\th->calls++;\n\tkern5(A, k, N, M);\n}\n"
	"void kern6_with(kern6_handle *h)\n"
	"{\n\th->calls++;\n\tkern6();\n}\n"
	"void kern3_with(kern3_handle *h, int64_t *restrict __return, int64_t L)\n"
	"{\n\th->calls++;\n\tkern3(__return, L);\n}\n";

static const char py_test[] =
	"import inspect, sys\n"
	"import numpy as np\n"
	"sys.path.insert(0, sys.argv[1])\n"
	"import k\n"
	"\n"
	"def expect(exc, needle, f, *a, **kw):\n"
	"    try:\n"
	"        f(*a, **kw)\n"
	"    except exc as e:\n"
	"        assert needle in str(e), (needle, str(e))\n"
	"    else:\n"
	"        raise AssertionError('no exception: ' + needle)\n"
	"\n"
	"assert str(inspect.signature(k.kern)) == '(A, x, alpha, k, *, T)'\n"
	"assert str(inspect.signature(k.kern2)) == '(z, y, c, flag, q, w)'\n"
	"assert str(inspect.signature(k.kern3)) == '(*, L)'\n"
	"A = np.arange(12.0).reshape(4, 3)\n"
	"x = np.array([1.0, 2.0, 3.0])\n"
	"A0 = A.copy()\n"
	"r = k.kern(A, x, 2.0, 3, T=5)\n"
	"ref = A0 + 2.0 * x * 3\n"
	"assert np.array_equal(A, ref) and r.dtype == np.float64 and r.shape == (4,)\n"
	"assert np.array_equal(r, ref.sum(1) + 5)\n"
	"r = k.kern(A0.copy(), x, np.float32(2), np.int64(3), T=np.int32(5))\n"
	"assert np.array_equal(r, ref.sum(1) + 5)\n"
	"f32 = A.astype(np.float32)\n"
	"expect(TypeError, \"kern(): argument 'A' must have dtype float64 (float64[N, M]), got float32\",\n"
	"       k.kern, f32, x, 2.0, 3, T=5)\n"
	"expect(TypeError, \"kern(): argument 'A' must be a numpy.ndarray of float64, got list\",\n"
	"       k.kern, [[1.0]], x, 2.0, 3, T=5)\n"
	"expect(ValueError, \"argument 'x' must have 1 dimension (float64[M]), got 2\",\n"
	"       k.kern, A, x.reshape(1, 3), 2.0, 3, T=5)\n"
	"expect(ValueError, \"kern(): argument 'x' has shape (5,), expected (M,) with M=3 (from argument 'A')\",\n"
	"       k.kern, A, np.zeros(5), 2.0, 3, T=5)\n"
	"expect(ValueError, \"argument 'A' must be C-contiguous\", k.kern, np.asfortranarray(A), x, 2.0, 3, T=5)\n"
	"expect(ValueError, \"argument 'x' must be C-contiguous\", k.kern, A, np.zeros(6)[::2], 2.0, 3, T=5)\n"
	"ua = np.zeros(97, np.uint8)[1:].view(np.float64).reshape(4, 3)\n"
	"assert not ua.flags.aligned\n"
	"expect(ValueError, \"argument 'A' must be aligned\", k.kern, ua, x, 2.0, 3, T=5)\n"
	"ro = A.copy(); ro.flags.writeable = False\n"
	"expect(ValueError, \"argument 'A' is updated in place by kern() but is read-only\",\n"
	"       k.kern, ro, x, 2.0, 3, T=5)\n"
	"B = np.zeros((3, 3))\n"
	"expect(ValueError, \"kern(): argument 'A' is updated in place and overlaps argument 'x'\",\n"
	"       k.kern, B, B[1], 2.0, 3, T=5)\n"
	"xr = x.copy(); xr.flags.writeable = False\n"
	"assert np.array_equal(k.kern(A0.copy(), xr, 2.0, 3, T=5), ref.sum(1) + 5)\n"
	"big = np.arange(15.0).reshape(5, 3); v = big[1:]; v0 = v.copy()\n"
	"r = k.kern(v, x, 2.0, 3, T=5)\n"
	"assert np.array_equal(big[0], [0, 1, 2]) and np.array_equal(v, v0 + 6 * x)\n"
	"assert np.array_equal(r, (v0 + 6 * x).sum(1) + 5)\n"
	"for a in (xr, np.zeros(0), np.zeros((2, 0)), v, np.zeros(3, np.bool_)):\n"
	"    assert k._dfc_addr(a) == a.ctypes.data\n"
	"w = np.zeros(20)\n"
	"for a, b in ((w[:10], w[10:]), (w[:11], w[10:]), (w[5:15], w[:6]), (w[5:6], w[:20]),\n"
	"             (w[3:3], w), (w, w[4:4]), (w[:5], np.zeros(5))):\n"
	"    share = np.may_share_memory(a, b)\n"
	"    try:\n"
	"        k._dfc_overlap('f', 'a', k._dfc_addr(a), a, 'b', k._dfc_addr(b), b)\n"
	"    except ValueError:\n"
	"        assert share, (a.size, b.size)\n"
	"    else:\n"
	"        assert not share, (a.size, b.size)\n"
	"expect(TypeError, \"'T'\", k.kern, A, x, 2.0, 3)\n"
	"expect(TypeError, \"'k'\", k.kern, A, x, 2.0)\n"
	"expect(ValueError, \"kern(): argument 'k' must be >= 0\", k.kern, A, x, 2.0, -1, T=5)\n"
	"expect(TypeError, \"kern(): argument 'k' must be an integer, got float\", k.kern, A, x, 2.0, 1.5, T=5)\n"
	"expect(TypeError, \"argument 'k' must be an integer, got bool\", k.kern, A, x, 2.0, True, T=5)\n"
	"expect(ValueError, \"kern(): size symbol 'T' must be >= 0\", k.kern, A, x, 2.0, 1, T=-2)\n"
	"expect(TypeError, \"argument 'alpha' must be a real number (float64), got str\",\n"
	"       k.kern, A, x, '2', 1, T=1)\n"
	"expect(TypeError, \"argument 'alpha'\", k.kern, A, x, True, 1, T=1)\n"
	"expect(TypeError, \"argument 'alpha'\", k.kern, A, x, 1j, 1, T=1)\n"
	"r = k.kern(np.zeros((0, 3)), x, 1.0, 1, T=2)\n"
	"assert r.shape == (0,)\n"
	"r = k.kern(np.zeros((4, 0)), np.zeros(0), 1.0, 1, T=2)\n"
	"assert np.array_equal(r, np.full(4, 2.0))\n"
	"z = np.array([1, 2, 3], np.int32)\n"
	"y = np.array([0.5, 0.25], np.float32)\n"
	"w = np.ones((3, 3), np.uint8)\n"
	"s, r1 = k.kern2(z, y, 1 + 2j, True, 7, w)\n"
	"assert type(s) is np.float64 and s == 6 + 0.75 + 9 + 7, s\n"
	"assert r1.dtype == np.complex128 and np.array_equal(r1, (1 + 2j) * z)\n"
	"s, r1 = k.kern2(z, y, np.complex64(2j), np.bool_(False), np.int8(-7), w)\n"
	"assert s == 6 + 9 - 7 and np.array_equal(r1, 2j * z)\n"
	"expect(ValueError, \"argument 'y' has shape (0,), expected (N - 1,) with N=0\",\n"
	"       k.kern2, z[:0], np.zeros(0, np.float32), 1, True, 1, np.zeros((3, 0), np.uint8))\n"
	"s, r1 = k.kern2(z[:1], np.zeros(0, np.float32), 1, True, 1, np.ones((3, 1), np.uint8))\n"
	"assert s == 1 + 3 + 1 and r1.shape == (1,)\n"
	"expect(ValueError, \"kern2(): argument 'y' has shape (3,), expected (N - 1,) with N=3 (from argument 'z')\",\n"
	"       k.kern2, z, np.zeros(3, np.float32), 1j, True, 7, w)\n"
	"expect(ValueError, \"kern2(): argument 'w' has shape (2, 3), expected (3, N) with N=3 (from argument 'z')\",\n"
	"       k.kern2, z, y, 1j, True, 7, np.ones((2, 3), np.uint8))\n"
	"expect(TypeError, \"kern2(): argument 'flag' must be a bool, got int\", k.kern2, z, y, 1j, 1, 7, w)\n"
	"expect(ValueError, \"kern2(): argument 'q' = 40000 is out of range for int16\",\n"
	"       k.kern2, z, y, 1j, True, 40000, w)\n"
	"expect(TypeError, \"argument 'q' must be an integer (int16), got float\", k.kern2, z, y, 1j, True, 1.0, w)\n"
	"expect(TypeError, \"argument 'c' must be a number, got str\", k.kern2, z, y, '1j', True, 1, w)\n"
	"expect(TypeError, \"argument 'z' must have dtype int32\", k.kern2, z.astype(np.int64), y, 1j, True, 1, w)\n"
	"assert list(k.kern3(L=5)) == [0, 1, 4, 9, 16]\n"
	"assert k.kern3(L=0).shape == (0,)\n"
	"expect(TypeError, \"'L'\", k.kern3)\n"
	"expect(TypeError, \"size symbol 'L' must be an integer\", k.kern3, L='5')\n"
	"B = np.zeros((3, 2))\n"
	"assert k.kern4(B, 3) is None and np.all(B == 3)\n"
	"expect(ValueError, \"kern4(): argument 'A' has shape (2, 2), expected (k, 2) with k=3 (argument 'k')\",\n"
	"       k.kern4, np.zeros((2, 2)), 3)\n"
	"expect(ValueError, \"kern4(): argument 'A' has shape (3, 3), expected (k, 2) with k=3\",\n"
	"       k.kern4, np.zeros((3, 3)), 3)\n"
	"B = np.zeros((3, 4))\n"
	"assert k.kern5(B, 2) is None and np.all(B == 5)\n"
	"k.kern5(np.zeros((2, 20)), 4)\n"
	"expect(ValueError, \"kern5(): this kernel was compiled for N - 2 >= 0 (needed by k.py:23:9), but N=1\",\n"
	"       k.kern5, np.zeros((1, 4)), 2)\n"
	"expect(ValueError, \"kern5(): this kernel was compiled for min(M, 8) // 2 - k >= 0 (needed by \"\n"
	"       \"k.py:24:13), but M=4, k=3\", k.kern5, B, 3)\n"
	"expect(ValueError, \"but M=20, k=5\", k.kern5, np.zeros((2, 20)), 5)\n"
	"expect(ValueError, \"kern6(): this kernel was compiled for -1 >= 0, which never holds\", k.kern6)\n"
	"print('python wrapper: ok')\n";

static const char exe_test[] =
	"import os, subprocess, sys\n"
	"import numpy as np\n"
	"d, exe = sys.argv[1], sys.argv[2]\n"
	"os.chdir(d)\n"
	"A = np.arange(12.0).reshape(4, 3)\n"
	"x = np.array([1.0, 2.0, 3.0])\n"
	"np.save('A.npy', A)\n"
	"np.save('x.npy', x)\n"
	"np.save('A32.npy', A.astype(np.float32))\n"
	"np.save('x5.npy', np.zeros(5))\n"
	"np.save('x2d.npy', np.zeros((1, 3)))\n"
	"np.save('z.npy', np.array([1, 2, 3], np.int32))\n"
	"np.save('z4.npy', np.array([1, 2, 3, 4], np.int32))\n"
	"np.save('y.npy', np.array([0.5, 0.25], np.float32))\n"
	"np.save('w.npy', np.ones((3, 3), np.uint8))\n"
	"with open('bad.npy', 'wb') as f:\n"
	"    f.write(b'not a numpy file')\n"
	"\n"
	"def run(*args):\n"
	"    return subprocess.run([exe] + list(args), capture_output=True, text=True)\n"
	"\n"
	"def fail(code, needle, *args):\n"
	"    r = run(*args)\n"
	"    assert r.returncode == code, (args, r.returncode, r.stderr)\n"
	"    assert needle in r.stderr, (needle, r.stderr)\n"
	"\n"
	"r = run('A.npy', 'x.npy', '2.0', '3', 'T=5', '-o', 'out dir', '--repeat', '3', '--time')\n"
	"assert r.returncode == 0, r.stderr\n"
	"assert r.stdout.startswith('time: median ') and 'over 3 runs' in r.stdout, r.stdout\n"
	"ref = A + 2.0 * x * 3\n"
	"assert np.array_equal(np.load('out dir/A.npy'), ref)\n"
	"assert np.array_equal(np.load('out dir/__return.npy'), ref.sum(1) + 5)\n"
	"assert not os.path.exists('out dir/x.npy')\n"
	"r = run('--func', 'kern2', 'z.npy', 'y.npy', '1+2j', 'True', '-7', 'w.npy', '-o', 'o2')\n"
	"assert r.returncode == 0, r.stderr\n"
	"s = np.load('o2/__return.npy')\n"
	"assert s.shape == () and s.dtype == np.float64 and s == 6 + 0.75 + 9 - 7\n"
	"assert np.array_equal(np.load('o2/__return_1.npy'), (1 + 2j) * np.array([1, 2, 3]))\n"
	"r = run('--func=kern3', 'L=4', '-oo3')\n"
	"assert r.returncode == 0 and list(np.load('o3/__return.npy')) == [0, 1, 4, 9], r.stderr\n"
	"r = run('--help')\n"
	"assert r.returncode == 0 and r.stdout.startswith('usage: k '), r.stdout\n"
	"assert 'kern A.npy x.npy alpha k T=VALUE' in r.stdout\n"
	"fail(1, \"kern(): argument 'A' must have dtype float64 (float64[N, M]), got float32\", 'A32.npy', 'x.npy', '2', '3', 'T=5')\n"
	"fail(1, \"kern(): argument 'x' has shape (5,), expected (M,) with M=3 (from argument 'A')\", 'A.npy', 'x5.npy', '2', '3', 'T=5')\n"
	"fail(1, \"kern(): argument 'x' must have 1 dimension (float64[M]), got 2\", 'A.npy', 'x2d.npy', '2', '3', 'T=5')\n"
	"fail(1, \"kern(): argument 'A': missing.npy: No such file\", 'missing.npy', 'x.npy', '2', '3', 'T=5')\n"
	"fail(1, \"kern(): argument 'x': bad.npy: not a .npy file\", 'A.npy', 'bad.npy', '2', '3', 'T=5')\n"
	"fail(2, \"kern(): argument 'alpha' must be a number of dtype float64, got 'abc'\", 'A.npy', 'x.npy', 'abc', '3', 'T=5')\n"
	"fail(2, \"kern(): argument 'k' must be an integer >= 0, got '-1'\", 'A.npy', 'x.npy', '2', '-1', 'T=5')\n"
	"fail(2, \"kern(): size symbol 'T' must be an integer >= 0, got 'x'\", 'A.npy', 'x.npy', '2', '1', 'T=x')\n"
	"fail(2, \"missing T=VALUE\", 'A.npy', 'x.npy', '2', '3')\n"
	"fail(2, \"kern() takes 4 arguments (A x alpha k), got 1\", 'A.npy', 'T=1')\n"
	"fail(2, \"unknown option '--bogus'\", '--bogus')\n"
	"fail(2, \"no function 'nope'\", '--func', 'nope')\n"
	"fail(2, \"--repeat wants an integer >= 1\", '--repeat', 'x')\n"
	"fail(2, \"argument 'flag' must be a number of dtype bool\", '--func', 'kern2', 'z.npy', 'y.npy', '1', 'maybe', '1', 'w.npy')\n"
	"fail(2, \"argument 'q' must be a number in the range of dtype int16\", '--func', 'kern2', 'z.npy', 'y.npy', '1', 'True', '99999', 'w.npy')\n"
	"fail(1, \"kern2(): argument 'y' has shape (2,), expected (N - 1,) with N=4 (from argument 'z')\", '--func', 'kern2', 'z4.npy', 'y.npy', '1', 'True', '1', 'w.npy')\n"
	"np.save('B.npy', np.zeros((3, 2)))\n"
	"r = run('--func', 'kern4', 'B.npy', '3', '-o', 'o4')\n"
	"assert r.returncode == 0 and np.all(np.load('o4/A.npy') == 3), r.stderr\n"
	"fail(1, \"kern4(): argument 'A' has shape (3, 2), expected (k, 2) with k=2 (argument 'k')\", '--func', 'kern4', 'B.npy', '2')\n"
	"np.save('B34.npy', np.zeros((3, 4)))\n"
	"np.save('B14.npy', np.zeros((1, 4)))\n"
	"r = run('--func', 'kern5', 'B34.npy', '2', '-o', 'o5')\n"
	"assert r.returncode == 0 and np.all(np.load('o5/A.npy') == 5), r.stderr\n"
	"fail(1, \"kern5(): this kernel was compiled for N - 2 >= 0 (needed by k.py:23:9), but N=1\", '--func', 'kern5', 'B14.npy', '2', '-o', 'o6')\n"
	"fail(1, \"kern5(): this kernel was compiled for min(M, 8) // 2 - k >= 0 (needed by k.py:24:13), but M=4, k=3\", '--func', 'kern5', 'B34.npy', '3', '-o', 'o6')\n"
	"assert not os.path.exists('o6')\n"
	"fail(1, \"kern6(): this kernel was compiled for -1 >= 0, which never holds\", '--func', 'kern6')\n"
	"print('exe harness: ok')\n";

/* The repository root, from this test's path: <root>/build/tests/test_wrap. */
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

/* k.h compiles alone, warning-free, and with the implementation. */
static void
check_header(Ctx *ctx, const Runtime *rt)
{
	char *cmd = arena_printf(ctx->arena, "cd '%s' && %s -std=c11 -Wall -Wextra -pedantic "
				 "-Werror -fsyntax-only -x c k.h", dir, ctx->opt.cc);
	CHECK(sh(ctx, cmd) == 0);
	cmd = arena_printf(ctx->arena, "cd '%s' && %s -std=c11 -Wall -Wextra -Werror "
			   "-fsyntax-only -I'%s' k_main.c", dir, ctx->opt.cc, rt->include_dir);
	CHECK(sh(ctx, cmd) == 0);
}

/* Emits everything and checks a few lines of the texts. */
static void
emit_all(Ctx *ctx, const IrModule *m)
{
	char *h = cg_header_emit(ctx, m), *py = cg_pywrap_emit(ctx, m, "libk.so");
	char *exe = cg_exe_emit(ctx, m);
	write_text(ctx, "k.h", h);
	write_text(ctx, "k.py", py);
	write_text(ctx, "k_main.c", exe);
	write_text(ctx, "kimpl.c", impl_c);
	CHECK(strstr(h, "#ifndef DFC_K_H") != NULL);
	CHECK(strstr(h, "#include <complex.h>") != NULL);
	CHECK(strstr(h, "void kern(double *restrict A, double *restrict x, double alpha, "
		      "int64_t k, double *restrict __return, int64_t N, int64_t M, "
		      "int64_t T);") != NULL);
	CHECK(strstr(h, "kern(A: float64[N, M], x: float64[M], alpha: float64, k: int64) "
		      "-> float64[N]") != NULL);
	CHECK(strstr(h, "A          float64[N, M], read and updated in place") != NULL);
	CHECK(strstr(h, "x          float64[M], read\n") != NULL);
	CHECK(strstr(h, "-> (float64, complex128[N])") != NULL);
	CHECK(strstr(h, "void kern3(int64_t *restrict __return, int64_t L);") != NULL);
	CHECK(strstr(h, "typedef struct kern_handle kern_handle;\n"
		      "kern_handle *kern_handle_create(void);\n"
		      "void kern_handle_destroy(kern_handle *handle);\n"
		      "void kern_with(kern_handle *handle, double *restrict A, ") != NULL);
	CHECK(strstr(h, "void kern6_with(kern6_handle *handle);") != NULL);
	CHECK(strstr(py, "_lib.kern_with(_dfc_handle(\"h_kern\", ") != NULL);
	CHECK(strstr(exe, "\tkern_with(a->dfc_handle, a->A_, ") != NULL);
	CHECK(strstr(py, "def kern(A, x, alpha, k, *, T):") != NULL);
	CHECK(strstr(py, "    N, M = A.shape\n") != NULL);
	CHECK(strstr(py, "    if y.shape != (N - 1,):\n") != NULL);
	CHECK(strstr(py, "    return __return[()], __return_1\n") != NULL);
	CHECK(strstr(py, "def kern3(*, L):") != NULL);
	CHECK(strstr(py, "def kern4(A, k):") != NULL);
	CHECK(strstr(h, "void kern4(double *restrict A, int64_t k);") != NULL);
	CHECK(strstr(h, " * requires: N - 2 >= 0 (k.py:23)\n"
		      " * requires: min(M, 8) // 2 - k >= 0 (k.py:24)\n */\n"
		      "void kern5(") != NULL);
	CHECK(strstr(h, " * requires: -1 >= 0\n */\nvoid kern6(void);") != NULL);
	CHECK(strstr(py, "    if N - 2 < 0:\n        raise _dfc_assume_error(\"kern5\", "
		      "\"N - 2 >= 0\", \"k.py:23:9\", ((\"N\", N),))\n") != NULL);
	CHECK(strstr(py, "(\"M\", M), (\"k\", k)))\n") != NULL);
	CHECK(strstr(exe, "\tif (dfc_floordiv(dfc_min(M, 8), 2) - k < 0) {\n") != NULL);
}

int
main(int argc, char **argv)
{
	Ctx *ctx = ctx_new();
	if (system(PY " -c 'import numpy' 2>/dev/null") != 0) {
		printf("%s: skipped: needs %s with numpy\n", argv[0], PY);
		return 77;
	}
	if (sh(ctx, arena_printf(ctx->arena, "%s --version >/dev/null 2>&1", ctx->opt.cc))) {
		printf("%s: skipped: no C compiler '%s'\n", argv[0], ctx->opt.cc);
		return 77;
	}
	strcpy(dir, "/tmp/dfc wrap XXXXXX");
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
	IrModule *m = ir_module_new(ctx, "k", "k.py");
	build_kern(ctx, m);
	build_kern2(ctx, m);
	build_kern3(ctx, m);
	build_kern4(ctx, m);
	build_kern5_6(ctx, m);
	emit_all(ctx, m);
	check_header(ctx, &rt);
	const char *impl = path_in(ctx, "kimpl.c"), *main_c = path_in(ctx, "k_main.c");
	CHECK(cg_toolchain_compile(ctx, &rt, 1, &impl, path_in(ctx, "libk.so"), true, false));
	const char *srcs[2] = { impl, main_c };
	CHECK(cg_toolchain_compile(ctx, &rt, 2, srcs, path_in(ctx, "k"), false, true));
	write_text(ctx, "test_py.py", py_test);
	write_text(ctx, "test_exe.py", exe_test);
	CHECK(sh(ctx, arena_printf(ctx->arena, PY " '%s/test_py.py' '%s'", dir, dir)) == 0);
	CHECK(sh(ctx, arena_printf(ctx->arena, PY " '%s/test_exe.py' '%s' '%s/k'", dir, dir,
				   dir)) == 0);
	/* a missing compiler and a broken source are reported, never a crash */
	fflush(stderr);
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	Ctx *c2 = ctx_new();
	c2->opt.cc = "/nonexistent/dfc-test-cc";
	CHECK(!cg_toolchain_compile(c2, &rt, 1, &impl, path_in(ctx, "x.so"), true, false));
	CHECK(c2->nerrors == 1);
	c2->opt.runtime_dir = "/nonexistent";
	CHECK(!cg_runtime_find(c2, &rt) && c2->nerrors == 2);
	ctx_free(c2);
	write_text(ctx, "broken.c", "int f(void) { return }\n");
	const char *broken = path_in(ctx, "broken.c");
	CHECK(!cg_toolchain_compile(ctx, &rt, 1, &broken, path_in(ctx, "b.so"), true, false));
	CHECK(ctx->nerrors == 1);
	dup2(saved, 2);
	close(null);
	close(saved);
	if (test_failed == 0)
		sh(ctx, arena_printf(ctx->arena, "rm -rf '%s'", dir));
	else
		fprintf(stderr, "files kept in '%s'\n", dir);
	ctx_free(ctx);
	return test_done(argv[0]);
}
