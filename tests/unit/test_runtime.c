/* tests/unit/test_runtime.c — libdfcrt: integer helpers, aligned allocation,
 * the fork threshold after BLAS calls, literal parsing, the harness command line, and .npy files (round trips,
 * compatibility with NumPy both ways, malformed files, mutation fuzzing).
 *
 * The runtime sources are included directly: unit tests link the compiler's
 * objects, and libdfcrt is a separate library. The NumPy checks need
 * /usr/bin/python3 with numpy; without it they are skipped (reported), the
 * rest still runs.
 */
#include "../../runtime/dfcrt.c"
#include "../../runtime/harness.c"
#include "../../runtime/npy.c"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

#define PY "/usr/bin/python3"

static char tmpdir[64];

static const char *
tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
	return buf;
}

static void
test_intops(void)
{
	static const int64_t t[][4] = {
		{-7,-3,2,-1}, {-7,-2,3,-1}, {-7,1,-7,0}, {-7,2,-4,1}, {-7,3,-3,2},
		{-6,-3,2,0}, {-6,-2,3,0}, {-6,1,-6,0}, {-6,2,-3,0}, {-6,3,-2,0},
		{-1,-3,0,-1}, {-1,-2,0,-1}, {-1,1,-1,0}, {-1,2,-1,1}, {-1,3,-1,2},
		{0,-3,0,0}, {0,-2,0,0}, {0,1,0,0}, {0,2,0,0}, {0,3,0,0},
		{1,-3,-1,-2}, {1,-2,-1,-1}, {1,1,1,0}, {1,2,0,1}, {1,3,0,1},
		{6,-3,-2,0}, {6,-2,-3,0}, {6,1,6,0}, {6,2,3,0}, {6,3,2,0},
		{7,-3,-3,-2}, {7,-2,-4,-1}, {7,1,7,0}, {7,2,3,1}, {7,3,2,1},
		{5,-1,-5,0}, {-5,-1,5,0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		CHECK(dfc_floordiv(t[i][0], t[i][1]) == t[i][2]);
		CHECK(dfc_mod(t[i][0], t[i][1]) == t[i][3]);
		/* a == b * (a // b) + a % b */
		CHECK(t[i][1] * dfc_floordiv(t[i][0], t[i][1]) + dfc_mod(t[i][0], t[i][1]) ==
		      t[i][0]);
	}
	CHECK(dfc_floordiv(INT64_MIN, -1) == INT64_MIN);
	CHECK(dfc_mod(INT64_MIN, -1) == 0);
	CHECK(dfc_floordiv(5, 0) == 0 && dfc_mod(5, 0) == 0);
	CHECK(dfc_floordiv(INT64_MAX, 2) == INT64_MAX / 2);
	CHECK(dfc_min(-3, 2) == -3 && dfc_max(-3, 2) == 2);
	CHECK(dfc_min(INT64_MIN, INT64_MAX) == INT64_MIN);
}

/* dfc_interleave is a bijection of 0..n-1 that keeps each chunk of c
 * whole, hands out the even chunks first, and leaves a partial last chunk
 * where it is. */
static void
test_interleave(void)
{
	for (int64_t n = 0; n <= 40; n++) {
		for (int64_t c = 1; c <= 9; c++) {
			int seen[41] = { 0 };
			int64_t full = n / c, half = (full + 1) / 2;
			for (int64_t p = 0; p < n; p++) {
				int64_t it = dfc_interleave(p, n, c);
				CHECK(it >= 0 && it < n);
				if (it < 0 || it >= n)
					continue;
				seen[it]++;
				CHECK(it % c == p % c);  /* chunks stay whole */
				if (p / c >= full)
					CHECK(it == p);
				else
					CHECK(it / c == (p / c < half ? 2 * (p / c) : 2 * (p / c - half) + 1));
			}
			for (int64_t i = 0; i < n; i++)
				CHECK(seen[i] == 1);
		}
	}
	CHECK(dfc_interleave(1, 27, 1) == 2 && dfc_interleave(14, 27, 1) == 1);
}

/* OpenBLAS's generic kernels give way to the tiled loops on a processor
 * with AVX2 and FMA; its kernels for such processors, names it may add
 * and a missing name keep it. */
static void
test_gemm_choice(void)
{
	CHECK(dfcrt_gemm_tiled("Prescott", true));
	CHECK(dfcrt_gemm_tiled("prescott", true));
	CHECK(dfcrt_gemm_tiled("Nehalem", true));
	CHECK(dfcrt_gemm_tiled("Sandybridge", true));
	CHECK(dfcrt_gemm_tiled("Opteron(SSE3)", true));
	CHECK(!dfcrt_gemm_tiled("Prescott", false));
	CHECK(!dfcrt_gemm_tiled("Haswell", true));
	CHECK(!dfcrt_gemm_tiled("SkylakeX", true));
	CHECK(!dfcrt_gemm_tiled("Zen", true));
	CHECK(!dfcrt_gemm_tiled("SapphireRapids", true));
	CHECK(!dfcrt_gemm_tiled("Prescott2", true));
	CHECK(!dfcrt_gemm_tiled("", true));
	CHECK(!dfcrt_gemm_tiled(NULL, true));
}

static void
test_alloc(void)
{
	size_t sizes[] = { 0, 1, 7, 64, 1000, 1 << 20 };
	void *prev = NULL;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = dfcrt_alloc(sizes[i]);
		CHECK(p != NULL);
		CHECK((uintptr_t)p % 64 == 0);
		CHECK(p != prev);
		memset(p, 0xab, sizes[i]);
		dfcrt_free(prev);
		prev = p;
	}
	dfcrt_free(prev);
	dfcrt_free(NULL);
	double t0 = dfcrt_now(), t1 = dfcrt_now();
	CHECK(t1 >= t0 && t0 > 0);
}

/* The fork threshold of parallel maps: the idle constant until this thread
 * notes a BLAS call large enough for OpenBLAS's threads, the larger BLAS
 * constant for DFCRT_BLAS_SPIN_S seconds after one (a new note restarts
 * the window), the idle constant again after that. The window is this
 * thread's: another thread still forks at the idle constant. */
static void *
blas_window_other(void *arg)
{
	*(int64_t *)arg = dfcrt_par_min_work();
	return NULL;
}

static void
test_blas_window(void)
{
	CHECK(DFCRT_PAR_MIN_WORK_BLAS > DFCRT_PAR_MIN_WORK_IDLE);
	CHECK(dfcrt_par_min_work() == DFCRT_PAR_MIN_WORK_IDLE);
	dfcrt_blas_note(DFCRT_BLAS_THREADED_WORK - 1);
	CHECK(dfcrt_par_min_work() == DFCRT_PAR_MIN_WORK_IDLE);
	dfcrt_blas_note(1e9);
	CHECK(dfcrt_par_min_work() == DFCRT_PAR_MIN_WORK_BLAS);
	int64_t other = 0;
	pthread_t t;
	CHECK(pthread_create(&t, NULL, blas_window_other, &other) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(other == DFCRT_PAR_MIN_WORK_IDLE);
	struct timespec half = { 0, (long)(0.6e9 * DFCRT_BLAS_SPIN_S) };
	nanosleep(&half, NULL);
	dfcrt_blas_note(DFCRT_BLAS_THREADED_WORK);
	double noted = dfcrt_now();
	nanosleep(&half, NULL);
	int64_t renewed = dfcrt_par_min_work();
	/* a sleep stretched by a loaded machine past the new window proves
	 * nothing about the restart */
	if (dfcrt_now() - noted < DFCRT_BLAS_SPIN_S)
		CHECK(renewed == DFCRT_PAR_MIN_WORK_BLAS);
	struct timespec ts = { 0, (long)(1.5e9 * DFCRT_BLAS_SPIN_S) };
	nanosleep(&ts, NULL);
	CHECK(dfcrt_par_min_work() == DFCRT_PAR_MIN_WORK_IDLE);
}

static void
test_literals(void)
{
	int64_t i;
	uint64_t u;
	double d, re, im;
	bool b;
	CHECK(dfcrt_parse_int64("42", &i) && i == 42);
	CHECK(dfcrt_parse_int64(" -12 ", &i) && i == -12);
	CHECK(dfcrt_parse_int64("010", &i) && i == 10);
	CHECK(dfcrt_parse_int64("-0x10", &i) && i == -16);
	CHECK(dfcrt_parse_int64("9223372036854775807", &i) && i == INT64_MAX);
	CHECK(!dfcrt_parse_int64("9223372036854775808", &i));
	CHECK(!dfcrt_parse_int64("12abc", &i));
	CHECK(!dfcrt_parse_int64("", &i));
	CHECK(!dfcrt_parse_int64("1.5", &i));
	CHECK(dfcrt_parse_uint64("18446744073709551615", &u) && u == UINT64_MAX);
	CHECK(!dfcrt_parse_uint64("-1", &u));
	CHECK(dfcrt_parse_double("1.5e3", &d) && d == 1500);
	CHECK(dfcrt_parse_double("-inf", &d) && d < -1e308);
	CHECK(!dfcrt_parse_double("1.5x", &d));
	CHECK(!dfcrt_parse_double("  ", &d));
	CHECK(dfcrt_parse_complex("1+2j", &re, &im) && re == 1 && im == 2);
	CHECK(dfcrt_parse_complex("(1.5-2.5j)", &re, &im) && re == 1.5 && im == -2.5);
	CHECK(dfcrt_parse_complex("3j", &re, &im) && re == 0 && im == 3);
	CHECK(dfcrt_parse_complex("-4", &re, &im) && re == -4 && im == 0);
	CHECK(dfcrt_parse_complex("1-j", &re, &im) && re == 1 && im == -1);
	CHECK(dfcrt_parse_complex("j", &re, &im) && re == 0 && im == 1);
	CHECK(dfcrt_parse_complex("1e+2j", &re, &im) && re == 0 && im == 100);
	CHECK(!dfcrt_parse_complex("1+2", &re, &im));
	CHECK(!dfcrt_parse_complex("1 + 2j", &re, &im));
	CHECK(!dfcrt_parse_complex("(1+2j", &re, &im));
	CHECK(!dfcrt_parse_complex("x", &re, &im));
	CHECK(dfcrt_parse_bool("True", &b) && b);
	CHECK(dfcrt_parse_bool("0", &b) && !b);
	CHECK(!dfcrt_parse_bool("yes", &b));
}

static void
test_harness_cli(void)
{
	DfcrtHarness h;
	char *argv1[] = { "k", "a.npy", "--time", "-1.5", "--repeat", "3", "N=4", "-o",
			  "out dir", "--", "--x", NULL };
	CHECK(dfcrt_harness_parse(&h, 11, argv1, "usage\n") == -1);
	CHECK(h.time && h.repeat == 3 && strcmp(h.outdir, "out dir") == 0);
	CHECK(h.nargs == 4);
	const char *pos[] = { "A", "alpha", "x" }, *kw[] = { "N" };
	CHECK(dfcrt_harness_split(&h, "kern", 3, pos, 1, kw) == 0);
	CHECK(h.npos == 3 && strcmp(h.pos[1], "-1.5") == 0 && strcmp(h.pos[2], "--x") == 0);
	CHECK(h.kw[0] == 4);
	dfcrt_harness_free(&h);

	fflush(stderr);
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	char *argv2[] = { "k", "--bogus", NULL };
	CHECK(dfcrt_harness_parse(&h, 2, argv2, "usage\n") == 2);
	dfcrt_harness_free(&h);
	char *argv3[] = { "k", "--repeat", "0", NULL };
	CHECK(dfcrt_harness_parse(&h, 3, argv3, "usage\n") == 2);
	dfcrt_harness_free(&h);
	char *argv4[] = { "k", "a", "N=-1", NULL };
	CHECK(dfcrt_harness_parse(&h, 3, argv4, "usage\n") == -1);
	CHECK(dfcrt_harness_split(&h, "kern", 1, pos, 1, kw) == 2);
	dfcrt_harness_free(&h);
	char *argv5[] = { "k", "a", NULL };
	CHECK(dfcrt_harness_parse(&h, 2, argv5, "usage\n") == -1);
	CHECK(dfcrt_harness_split(&h, "kern", 1, pos, 1, kw) == 2);  /* N missing */
	dfcrt_harness_free(&h);
	CHECK(dfcrt_harness_parse(&h, 2, argv5, "usage\n") == -1);
	CHECK(dfcrt_harness_split(&h, "kern", 2, pos, 0, kw) == 2);  /* too few */
	dfcrt_harness_free(&h);
	char *argv6[] = { "k", "--func", NULL };
	CHECK(dfcrt_harness_parse(&h, 2, argv6, "usage\n") == 2);
	dfcrt_harness_free(&h);
	fflush(stderr);
	dup2(saved, 2);
	int8_t i8;
	uint16_t u16;
	float c64[2];
	h.prog = "k", h.usage = "";
	CHECK(dfcrt_harness_scalar(&h, "f", "a", "-128", "int8", &i8) == 0 && i8 == -128);
	CHECK(dfcrt_harness_scalar(&h, "f", "a", "65535", "uint16", &u16) == 0 &&
	      u16 == 65535);
	CHECK(dfcrt_harness_scalar(&h, "f", "a", "1-2j", "complex64", c64) == 0 &&
	      c64[0] == 1 && c64[1] == -2);
	fflush(stderr);
	dup2(null, 2);
	CHECK(dfcrt_harness_scalar(&h, "f", "a", "-129", "int8", &i8) == 2);
	CHECK(dfcrt_harness_scalar(&h, "f", "a", "-1", "uint16", &u16) == 2);
	CHECK(dfcrt_harness_scalar(&h, "f", "a", "1.5", "uint16", &u16) == 2);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
}

/* Fills n items of descr with a byte pattern (bools with 0 and 1). */
static void
fill(void *data, const char *descr, size_t n)
{
	size_t item = dfcrt_npy_itemsize(descr);
	unsigned char *p = data;
	for (size_t i = 0; i < n * item; i++)
		p[i] = strcmp(descr, "|b1") == 0 ? i % 3 == 0 : (unsigned char)(i * 37 + 11);
}

static const char *const all_dtypes[] = {
	"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
	"uint64", "float32", "float64", "complex64", "complex128",
};

static void
test_roundtrip(void)
{
	static const int64_t shapes[][4] = { { 0 }, { 0 }, { 5 }, { 3, 4 }, { 2, 0, 3 },
					     { 2, 3, 4 }, { 1, 1, 1, 7 } };
	static const int ndims[] = { 0, 1, 1, 2, 3, 3, 4 };
	char path[128], err[256];
	for (int d = 0; d < 13; d++) {
		const char *descr = dfcrt_npy_descr(all_dtypes[d]);
		CHECK(descr != NULL);
		CHECK_STR(dfcrt_npy_dtype_name(descr), all_dtypes[d]);
		for (int s = 0; s < 7; s++) {
			DfcrtNpy a, b;
			CHECK(dfcrt_npy_alloc(&a, descr, ndims[s], shapes[s], err, sizeof err) == 0);
			fill(a.data, descr, a.nbytes / dfcrt_npy_itemsize(descr));
			tmp_path(path, sizeof path, "rt.npy");
			CHECK(dfcrt_npy_write(path, descr, a.ndim, a.shape, a.data, err,
					      sizeof err) == 0);
			CHECK(dfcrt_npy_read(path, &b, err, sizeof err) == 0);
			CHECK_STR(b.descr, descr);
			CHECK(b.ndim == a.ndim && !b.fortran_order && b.nbytes == a.nbytes);
			CHECK(memcmp(b.shape, a.shape, sizeof(int64_t) * (size_t)a.ndim) == 0);
			CHECK(memcmp(a.data, b.data, a.nbytes) == 0);
			CHECK((uintptr_t)b.data % 64 == 0);
			dfcrt_npy_free(&a);
			dfcrt_npy_free(&b);
			CHECK(b.data == NULL);
		}
	}
	CHECK(dfcrt_npy_descr("float16") == NULL);
	CHECK_STR(dfcrt_npy_dtype_name("<f2"), "<f2");
	char sh[64];
	dfcrt_npy_shape_str(1, (int64_t[]){ 5 }, sh, sizeof sh);
	CHECK_STR(sh, "(5,)");
	dfcrt_npy_shape_str(0, NULL, sh, sizeof sh);
	CHECK_STR(sh, "()");
	dfcrt_npy_shape_str(2, (int64_t[]){ 3, 4 }, sh, sizeof sh);
	CHECK_STR(sh, "(3, 4)");
}

/* Runs a Python snippet with numpy; returns its exit status. */
static int
run_py(const char *code)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "cd '%s' && " PY " -c \"%s\"", tmpdir, code);
	int rc = system(cmd);
	return rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void
test_numpy_reads_ours(void)
{
	char path[128], err[256];
	for (int d = 0; d < 13; d++) {
		const char *descr = dfcrt_npy_descr(all_dtypes[d]);
		DfcrtNpy a;
		CHECK(dfcrt_npy_alloc(&a, descr, 2, (int64_t[]){ 3, 4 }, err, sizeof err) == 0);
		fill(a.data, descr, 12);
		char name[64];
		snprintf(name, sizeof name, "ours_%s.npy", all_dtypes[d]);
		CHECK(dfcrt_npy_write(tmp_path(path, sizeof path, name), descr, 2, a.shape,
				      a.data, err, sizeof err) == 0);
		/* also write the raw bytes, to compare with what numpy loads */
		snprintf(name, sizeof name, "raw_%s.bin", all_dtypes[d]);
		FILE *f = fopen(tmp_path(path, sizeof path, name), "wb");
		CHECK(f && fwrite(a.data, 1, a.nbytes, f) == a.nbytes);
		if (f)
			fclose(f);
		dfcrt_npy_free(&a);
	}
	CHECK(dfcrt_npy_write(tmp_path(path, sizeof path, "ours_0d.npy"), "<f8", 0, NULL,
			      &(double){ 2.5 }, err, sizeof err) == 0);
	CHECK(run_py("import numpy as np, sys\n"
		     "for t in ['bool','int8','int16','int32','int64','uint8','uint16','uint32',"
		     "'uint64','float32','float64','complex64','complex128']:\n"
		     "    a = np.load('ours_%s.npy' % t)\n"
		     "    raw = np.fromfile('raw_%s.bin' % t, dtype=t).reshape(3, 4)\n"
		     "    assert a.dtype == np.dtype(t) and a.shape == (3, 4), t\n"
		     "    assert a.flags.c_contiguous and a.tobytes() == raw.tobytes(), t\n"
		     "z = np.load('ours_0d.npy')\n"
		     "assert z.shape == () and z == 2.5\n") == 0);
}

static void
test_ours_reads_numpy(void)
{
	char path[128], err[256];
	CHECK(run_py("import numpy as np\n"
		     "for t in ['bool','int8','int16','int32','int64','uint8','uint16','uint32',"
		     "'uint64','float32','float64','complex64','complex128']:\n"
		     "    a = (np.arange(24).reshape(2, 3, 4) % 7).astype(t)\n"
		     "    if t.startswith('complex'): a = a + 1j * a\n"
		     "    np.save('np_%s.npy' % t, a)\n"
		     "np.save('np_0d.npy', np.float32(1.5))\n"
		     "np.save('np_empty.npy', np.zeros((0, 5)))\n"
		     "np.save('np_fortran.npy', np.asfortranarray(np.ones((2, 3))))\n"
		     "np.save('np_big.npy', np.ones(3, dtype='>f8'))\n"
		     "np.save('np_f16.npy', np.ones(3, dtype='float16'))\n"
		     "np.save('np_struct.npy', np.zeros(2, dtype=[('a', 'i4'), ('b', 'f8')]))\n"
		     "for v in [(2, 0), (3, 0)]:\n"
		     "    with open('np_v%d.npy' % v[0], 'wb') as f:\n"
		     "        np.lib.format.write_array(f, np.arange(6.0).reshape(2, 3), version=v)\n"
		     "") == 0);
	for (int d = 0; d < 13; d++) {
		char name[64];
		DfcrtNpy a;
		snprintf(name, sizeof name, "np_%s.npy", all_dtypes[d]);
		CHECK(dfcrt_npy_read(tmp_path(path, sizeof path, name), &a, err, sizeof err) == 0);
		CHECK_STR(a.descr, dfcrt_npy_descr(all_dtypes[d]));
		CHECK(a.ndim == 3 && a.shape[0] == 2 && a.shape[1] == 3 && a.shape[2] == 4);
		if (strcmp(all_dtypes[d], "int64") == 0)
			CHECK(((int64_t *)a.data)[23] == 23 % 7);
		if (strcmp(all_dtypes[d], "complex128") == 0)
			CHECK(((double *)a.data)[2 * 9] == 2 && ((double *)a.data)[2 * 9 + 1] == 2);
		if (strcmp(all_dtypes[d], "bool") == 0)
			CHECK(((bool *)a.data)[0] == false && ((bool *)a.data)[1] == true);
		dfcrt_npy_free(&a);
	}
	DfcrtNpy a;
	CHECK(dfcrt_npy_read(tmp_path(path, sizeof path, "np_0d.npy"), &a, err, sizeof err) == 0);
	CHECK(a.ndim == 0 && a.nbytes == 4 && *(float *)a.data == 1.5f);
	dfcrt_npy_free(&a);
	CHECK(dfcrt_npy_read(tmp_path(path, sizeof path, "np_empty.npy"), &a, err, sizeof err) == 0);
	CHECK(a.ndim == 2 && a.shape[0] == 0 && a.shape[1] == 5 && a.nbytes == 0 && a.data);
	dfcrt_npy_free(&a);
	for (int v = 2; v <= 3; v++) {
		char name[32];
		snprintf(name, sizeof name, "np_v%d.npy", v);
		CHECK(dfcrt_npy_read(tmp_path(path, sizeof path, name), &a, err, sizeof err) == 0);
		CHECK(a.ndim == 2 && ((double *)a.data)[5] == 5.0);
		dfcrt_npy_free(&a);
	}
	CHECK(dfcrt_npy_read(tmp_path(path, sizeof path, "np_fortran.npy"), &a, err,
			     sizeof err) == -1);
	CHECK(strstr(err, "Fortran") != NULL);
	CHECK(dfcrt_npy_read(tmp_path(path, sizeof path, "np_big.npy"), &a, err,
			     sizeof err) == -1);
	CHECK(strstr(err, "big-endian") != NULL);
	CHECK(dfcrt_npy_read(tmp_path(path, sizeof path, "np_f16.npy"), &a, err,
			     sizeof err) == -1);
	CHECK(strstr(err, "unsupported dtype '<f2'") != NULL);
	CHECK(dfcrt_npy_read(tmp_path(path, sizeof path, "np_struct.npy"), &a, err,
			     sizeof err) == -1);
	CHECK(strstr(err, "structured") != NULL);
}

/* Writes a file of n bytes with a v1.0 header text hdr and `data` bytes. */
static const char *
write_raw(const char *hdr, size_t data)
{
	static char path[128];
	tmp_path(path, sizeof path, "bad.npy");
	FILE *f = fopen(path, "wb");
	size_t n = strlen(hdr);
	unsigned char pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)n,
				  (unsigned char)(n >> 8) };
	fwrite(pre, 1, 10, f);
	fwrite(hdr, 1, n, f);
	for (size_t i = 0; i < data; i++)
		fputc(0, f);
	fclose(f);
	return path;
}

/* Expects reading to fail with a message containing `what`. */
static void
expect_bad(const char *path, const char *what, int line)
{
	DfcrtNpy a;
	char err[256] = "";
	int rc = dfcrt_npy_read(path, &a, err, sizeof err);
	test_checks++;
	if (rc != -1 || !strstr(err, what) || a.data != NULL) {
		test_failed++;
		fprintf(stderr, "%s:%d: expected an error with '%s', got rc %d '%s'\n",
			__FILE__, line, what, rc, err);
	}
}

#define BAD(hdr, data, what) expect_bad(write_raw(hdr, data), what, __LINE__)

static void
test_malformed(void)
{
	char path[128];
	{
		DfcrtNpy a;
		char err[256];
		CHECK(dfcrt_npy_read(write_raw("{'descr': '<f8', 'fortran_order': False, "
					       "'shape': (3,), }\n", 24), &a, err, sizeof err) == 0);
		dfcrt_npy_free(&a);
	}
	BAD("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }\n", 23, "truncated");
	BAD("{'descr': '<f8', 'fortran_order': True, 'shape': (3,), }\n", 24, "Fortran");
	BAD("{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }\n", 24, "big-endian");
	BAD("{'descr': '<U3', 'fortran_order': False, 'shape': (3,), }\n", 36, "unsupported");
	BAD("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }\n", 36, "unsupported");
	BAD("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (3,), }\n", 12,
	    "structured");
	BAD("{'descr': '<f8', 'fortran_order': False}\n", 8, "missing");
	BAD("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'x': 1}\n", 24,
	    "unexpected key");
	BAD("{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }\n", 24, "integers");
	BAD("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}\n", 0,
	    "too large");
	BAD("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4)}\n",
	    0, "too large");
	BAD("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4}\n", 0, "expected");
	BAD("{'descr': '<f8', 'fortran_order': 0, 'shape': (3,)}\n", 0, "True or False");
	BAD("{'descr': '<f8, 'fortran_order': False, 'shape': (3,)}\n", 0, "malformed");
	BAD("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)} x\n", 24, "after");
	BAD("'descr': '<f8'\n", 0, "expected '{'");
	BAD("", 0, "expected '{'");
	BAD("{}", 0, "missing");
	BAD("{'descr': '<f8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
	    "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1)}\n", 8, "32 dimensions");
	BAD("{'descr': '<f8', 'fortran_order': False, 'shape': (3 4)}\n", 0, "expected");
	expect_bad(tmp_path(path, sizeof path, "does-not-exist.npy"), "No such file",
		   __LINE__);
	FILE *f = fopen(tmp_path(path, sizeof path, "empty.npy"), "wb");
	fclose(f);
	expect_bad(path, "bad magic", __LINE__);
	f = fopen(tmp_path(path, sizeof path, "v9.npy"), "wb");
	fwrite("\x93NUMPY\x09\x00\x10\x00", 1, 10, f);
	fclose(f);
	expect_bad(path, "version 9.0", __LINE__);
	f = fopen(tmp_path(path, sizeof path, "short.npy"), "wb");
	fwrite("\x93NUMPY\x01\x00\xff\x00{'descr'", 1, 18, f);
	fclose(f);
	expect_bad(path, "truncated", __LINE__);
	f = fopen(tmp_path(path, sizeof path, "huge.npy"), "wb");
	fwrite("\x93NUMPY\x02\x00\xff\xff\xff\x7f", 1, 12, f);
	fclose(f);
	expect_bad(path, "too large", __LINE__);
	/* writing to a directory that does not exist */
	char err[256];
	CHECK(dfcrt_npy_write(tmp_path(path, sizeof path, "no/such/dir.npy"), "<f8", 1,
			      (int64_t[]){ 1 }, &(double){ 0 }, err, sizeof err) == -1);
	CHECK(strstr(err, "no/such/dir.npy") != NULL);
	CHECK(dfcrt_npy_write(path, "<f2", 1, (int64_t[]){ 1 }, &(double){ 0 }, err,
			      sizeof err) == -1);
}

/* Truncates and corrupts a valid file in every position: reading must
 * either succeed or fail cleanly, never crash. */
static void
test_fuzz(void)
{
	char path[128], err[256], mpath[128];
	double v[6] = { 1, 2, 3, 4, 5, 6 };
	CHECK(dfcrt_npy_write(tmp_path(path, sizeof path, "fz.npy"), "<f8", 2,
			      (int64_t[]){ 2, 3 }, v, err, sizeof err) == 0);
	unsigned char buf[256];
	FILE *f = fopen(path, "rb");
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	CHECK(n == 128 + 48);
	tmp_path(mpath, sizeof mpath, "fz_m.npy");
	unsigned seed = 1;
	int ok = 0, bad = 0;
	for (size_t len = 0; len <= n; len++) {
		for (int trial = 0; trial < 8; trial++) {
			unsigned char m[256];
			memcpy(m, buf, len);
			if (trial > 0 && len > 0) {
				seed = seed * 1103515245 + 12345;
				m[(seed >> 8) % len] = (unsigned char)(seed >> 16);
			}
			f = fopen(mpath, "wb");
			fwrite(m, 1, len, f);
			fclose(f);
			DfcrtNpy a;
			if (dfcrt_npy_read(mpath, &a, err, sizeof err) == 0) {
				ok++;
				dfcrt_npy_free(&a);
			} else {
				bad++;
				CHECK(err[0] != '\0');
			}
		}
	}
	CHECK(ok > 0 && bad > 0);
}

int
main(int argc, char **argv)
{
	strcpy(tmpdir, "/tmp/dfcrt_test_XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_intops();
	test_interleave();
	test_gemm_choice();
	test_alloc();
	test_blas_window();
	test_literals();
	test_harness_cli();
	test_roundtrip();
	test_malformed();
	test_fuzz();
	if (system(PY " -c 'import numpy' 2>/dev/null") == 0) {
		test_numpy_reads_ours();
		test_ours_reads_numpy();
	} else {
		printf("%s: numpy not available, NumPy compatibility checks skipped\n", argv[0]);
	}
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return test_done(argv[0]);
}
