/* runtime/dfcrt.h — libdfcrt, the thin runtime linked into every program
 * dfc generates (static library, built -fPIC; prefix dfcrt_).
 *
 * Sections (one .c file each):
 *   dfcrt.c    aligned allocation, handle buffers, the monotonic clock,
 *              timing reports, parsing of numeric command-line literals,
 *              the fork threshold of parallel maps next to BLAS calls,
 *              the choice between OpenBLAS and the tiled gemm loops.
 *   trace.c    the timers of `dfc build --instrument`: events in memory,
 *              written as a Chrome trace (JSON).
 *   npy.c      NumPy .npy files: read (format 1.0, 2.0, 3.0), write (1.0,
 *              or 2.0 when the header needs it), dtype <-> descr strings.
 *   harness.c  support of the standalone executables of `--emit exe`:
 *              command line, loading and checking arguments, outputs.
 * The static inline integer helpers below are what sym_print_c emits for
 * floordiv, mod, min and max of symbolic sizes.
 *
 * The library has no mutable globals, with two exceptions: the trace
 * buffer of trace.c, process-wide by nature (it is written at exit),
 * guarded by a mutex; and the time of the calling thread's last BLAS call
 * in dfcrt.c (thread-local: see dfcrt_blas_note). Every other function is
 * reentrant. Errors of
 * the npy and harness functions are returned (and described in a caller's
 * buffer), never printed, except where a function says it prints.
 * The header is plain C11 and includes only standard headers.
 */
#ifndef DFCRT_H
#define DFCRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- integer helpers (Python semantics) ----
 * dfc_floordiv rounds toward negative infinity and dfc_mod takes the sign
 * of the divisor, as Python's // and %. Division by zero gives 0 and
 * INT64_MIN // -1 wraps to INT64_MIN, so generated code never traps. */

static inline int64_t
dfc_floordiv(int64_t a, int64_t b)
{
	if (b == 0)
		return 0;
	if (b == -1)
		return (int64_t)(0 - (uint64_t)a);
	int64_t q = a / b;
	if (a % b != 0 && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static inline int64_t
dfc_mod(int64_t a, int64_t b)
{
	if (b == 0 || b == -1)
		return 0;
	int64_t r = a % b;
	if (r != 0 && ((r < 0) != (b < 0)))
		r += b;
	return r;
}

static inline int64_t
dfc_min(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static inline int64_t
dfc_max(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* ---- parallel loops ----
 * The work (iterations of a map and of the maps nested in it) above which
 * a parallel map of the generated code forks: its pragma carries
 * `if(parallel: WORK > DFCRT_PAR_MIN_WORK)`, so that a small map runs on
 * the calling thread without paying for a fork/join (the threshold is
 * measured: docs/transformations.md). It is dfcrt_par_min_work(): the
 * constant DFCRT_PAR_MIN_WORK_IDLE, or the larger DFCRT_PAR_MIN_WORK_BLAS
 * while OpenBLAS's threads may still be spinning after a BLAS call of this
 * thread (dfcrt_blas_note). Defining it when compiling the generated C
 * replaces both: $DFC_CFLAGS=-DDFCRT_PAR_MIN_WORK=0 makes every parallel
 * map fork, as the data-race tests do (tests/check.sh race). */
#define DFCRT_PAR_MIN_WORK_IDLE 32768
#ifndef DFCRT_PAR_MIN_WORK
#define DFCRT_PAR_MIN_WORK dfcrt_par_min_work()
#endif

/* The iteration that a parallel loop handing out chunks of c of its n
 * iterations (`schedule(dynamic, c)`) runs at position p: the even chunks
 * first, then the odd ones, so that two threads taking chunks as they come
 * free work two chunks apart and do not write the cache line between two
 * neighbouring chunks by turns (fir's blocks of y, syrk's rows of C, whose
 * boundaries need not fall on a line). A partial last chunk keeps its
 * place. A bijection of 0..n-1 (the iterations are independent: any order
 * gives the same results). */
static inline int64_t
dfc_interleave(int64_t p, int64_t n, int64_t c)
{
	int64_t full = n / c, q = p / c;
	if (q >= full)
		return p;
	int64_t half = (full + 1) / 2;
	q = q < half ? 2 * q : 2 * (q - half) + 1;
	return q * c + p % c;
}

/* ---- streamed outputs ----
 * A map whose results nothing in the kernel reads again writes them with
 * non-temporal stores (docs/transformations.md, "After the pipeline")
 * when it writes at least DFCRT_NT_MIN_BYTES of them. Below that, a
 * result and the inputs just written may still be in the caches, where
 * plain stores won (a 17 MB result: 2.8 ms plain, 3.5 ms streamed).
 * $DFC_CFLAGS=-DDFCRT_NT_MIN_BYTES=0 streams every such map, as the
 * differential and data-race tests do. */
#ifndef DFCRT_NT_MIN_BYTES
#define DFCRT_NT_MIN_BYTES (32 << 20)
#endif

/* After each BLAS call, OpenBLAS 0.3's worker threads keep spinning (with
 * sched_yield) for 2^28 cycles of the time-stamp counter before they
 * sleep (0.128 s at the 2.1 GHz of this project's machines, 0.1 s at
 * 2.6 GHz; the window below, 0.15 s, is the spin at 1.8 GHz); an OpenMP
 * team forked meanwhile fights them for the
 * cores, and OpenMP's own threads spin at every barrier (libgomp's
 * default wait policy), so a map that takes 0.3 ms alone took 7 ms there
 * (docs/transformations.md, library-expansion). The generated code calls
 * dfcrt_blas_note(WORK) after each BLAS call, WORK being the product of
 * its sizes (m n k for ?gemm and ?syrk, m n for ?gemv, n for ?dot); a
 * call of WORK >= DFCRT_BLAS_THREADED_WORK (the smallest at which OpenBLAS
 * 0.3.21 uses its threads: ?gemv at m n >= 9216) starts a window of
 * DFCRT_BLAS_SPIN_S seconds in which dfcrt_par_min_work() is
 * DFCRT_PAR_MIN_WORK_BLAS: the calling thread's parallel maps of up to
 * 2^21 iterations run on that thread, larger ones still fork (on a quiet
 * machine their second thread outweighs the fight). Per thread and per
 * copy of this library (each libK.so links its own): a kernel called from
 * several threads at once sees its own calls only, and the window goes on
 * across the return of the call that made the BLAS call, into the same
 * thread's next calls of the module's kernels within it (OpenBLAS's
 * threads spin for them too: ending the window at each kernel entry was
 * measured and lost, docs/transformations.md). */
#define DFCRT_BLAS_THREADED_WORK 9216.0
#define DFCRT_BLAS_SPIN_S 0.15
#define DFCRT_PAR_MIN_WORK_BLAS 2097152
void dfcrt_blas_note(double work);
/* DFCRT_PAR_MIN_WORK_IDLE, or DFCRT_PAR_MIN_WORK_BLAS within
 * DFCRT_BLAS_SPIN_S seconds of this thread's last BLAS call of
 * DFCRT_BLAS_THREADED_WORK or more. */
int64_t dfcrt_par_min_work(void);

/* ---- matrix products: OpenBLAS or the generated tiled loops ----
 * The generated code of a gemm (impl blas, codegen/openmp/matmul.c) runs
 * either OpenBLAS's ?gemm or dfc_gemm_<t>, register-tiled loops that the
 * file defines (codegen/openmp/gemm.c), as dfcrt_gemm_choose(CORE) says,
 * CORE being openblas_get_corename(). dfcrt_gemm_tiled(core, vec) is true
 * when vec (the generated C was compiled for a processor with AVX2 and
 * FMA: DFCRT_GEMM_VEC) and OpenBLAS runs one of its kernels for
 * processors without them (Prescott, Core2, Nehalem, Sandybridge, ...):
 * it does that on a processor it does not know, where its generic SSE3
 * kernels reach a third of the tiled loops (docs/transformations.md,
 * library-expansion). Defining DFCRT_GEMM when compiling the generated
 * C fixes the choice: -DDFCRT_GEMM=1 always the tiled loops, 0 always
 * OpenBLAS (the tests run both). DFCRT_GEMM_VBYTES and DFCRT_GEMM_MR: the
 * tiled loops' vector width in bytes and rows per tile (of two vectors'
 * width), 64 and 8 with AVX-512 (16 of its 32 vector registers hold a
 * tile), else 32 and 6 (12 of AVX2's 16). */
#if defined(__AVX2__) && defined(__FMA__)
#define DFCRT_GEMM_VEC true
#else
#define DFCRT_GEMM_VEC false
#endif
#if defined(__AVX512F__)
#define DFCRT_GEMM_VBYTES 64
#define DFCRT_GEMM_MR 8
#else
#define DFCRT_GEMM_VBYTES 32
#define DFCRT_GEMM_MR 6
#endif
/* The tiled loops fork above DFCRT_GEMM_PAR_MIN_WORK multiply-adds (n m
 * k, half that for a syrk's triangle): 16 times a map's threshold, since
 * they do up to 16 a cycle (two FMA units of AVX-512) where a map's
 * iteration takes a few cycles.
 * Measured with FMAs, warm threads, one thread / two (us): 64x64x64 12.6
 * / 16.6, 80x80x80 29.3 / 28.3, 100x100x100 60.4 / 46.0, 128x128x128
 * 101 / 73; A A^T of 100x100 44.5 / 42.5, of 128x128 77 / 62. With
 * -DDFCRT_PAR_MIN_WORK=0 every one forks. */
#define DFCRT_GEMM_PAR_MIN_WORK (16 * (int64_t)(DFCRT_PAR_MIN_WORK))
#ifdef DFCRT_GEMM
#define dfcrt_gemm_choose(core) ((DFCRT_GEMM) != 0)
#else
#define dfcrt_gemm_choose(core) dfcrt_gemm_tiled((core), DFCRT_GEMM_VEC)
#endif
bool dfcrt_gemm_tiled(const char *core, bool vec);

/* ---- dfcrt.c ---- */

/* Alignment of every dfcrt_alloc block, in bytes. */
#define DFCRT_ALIGN 64

/* 64-byte aligned block of `bytes` bytes (a valid, distinct pointer for 0).
 * Never returns NULL: on failure prints "dfcrt: out of memory allocating N
 * bytes" to stderr and aborts. */
void *dfcrt_alloc(size_t bytes);
/* Frees a block of dfcrt_alloc; NULL is ignored. */
void dfcrt_free(void *p);
/* A growable buffer of a kernel handle (the transients it keeps between
 * calls): a dfcrt_alloc block of cap bytes, or {NULL, 0} when empty. A
 * zero-initialized DfcrtBuf is empty. */
typedef struct DfcrtBuf {
	void *p;
	size_t cap;
} DfcrtBuf;
/* A block of at least `bytes` bytes: b's own when it holds enough, else a
 * new one that replaces it (the old one is freed, its contents are not
 * kept: callers reserve where the previous contents are dead). Never
 * returns NULL; aborts as dfcrt_alloc does. */
void *dfcrt_buf_reserve(DfcrtBuf *b, size_t bytes);
/* Frees the blocks of b[0..n) and empties them. */
void dfcrt_buf_free(DfcrtBuf *b, int n);
/* Seconds on a monotonic clock (arbitrary origin). */
double dfcrt_now(void);
/* Prints "time: median S s, min S s over N runs" for the n >= 1 run times
 * t[0..n) (in seconds; t is sorted in place). */
void dfcrt_timing_report(FILE *out, double *t, int n);

/* ---- pool.c: the memory of the arrays the Python wrapper returns ---- */

/* Makes the C library keep freed blocks of up to 32 MiB in the process's
 * heap instead of returning them to the system (glibc: fixed mmap and trim
 * thresholds; elsewhere nothing). Without it a large array returned by
 * each call of a kernel (np.empty in the wrapper) lands on fresh pages,
 * whose first-touch faults cost more than the kernel. The Python wrapper
 * calls it once when it is imported; the setting is the process's. */
void dfcrt_malloc_keep(void);
/* Results of DFCRT_POOL_MIN bytes or more (above glibc's largest mmap
 * threshold, so malloc would give them back to the system when freed) are
 * allocated by the wrapper from this library's pool, which keeps up to
 * DFCRT_POOL_MAX bytes of freed result blocks for the next calls. */
#define DFCRT_POOL_MIN ((size_t)32 << 20)
#define DFCRT_POOL_MAX ((size_t)512 << 20)
/* A block of at least `bytes` bytes, 2 MiB aligned: a kept block of at
 * most a quarter more when the pool has one, else a new one. Sets *cap to
 * the block's size, which dfcrt_result_free must be given back. Returns
 * NULL when memory is exhausted (the wrapper raises MemoryError). */
void *dfcrt_result_alloc(size_t bytes, size_t *cap);
/* Gives back a block of dfcrt_result_alloc (cap as it set it): kept for
 * reuse, the least recently kept blocks freed to hold the pool to
 * DFCRT_POOL_MAX bytes; NULL is ignored. Thread-safe. */
void dfcrt_result_free(void *p, size_t cap);

/* Literal parsing of command-line values. Each returns true when the whole
 * string s (after optional surrounding blanks) is one literal of the kind:
 *   int64     decimal, optional sign, or 0x hex ("-12", "0x1f");
 *   uint64    the same without a minus sign, up to 2^64 - 1;
 *   double    anything strtod accepts ("1.5", "-2e-3", "inf", "nan");
 *   complex   Python's complex() syntax: "1.5", "2j", "1+2j", "(1-2.5j)";
 *   bool      "True", "False", "true", "false", "1", "0". */
bool dfcrt_parse_int64(const char *s, int64_t *out);
bool dfcrt_parse_uint64(const char *s, uint64_t *out);
bool dfcrt_parse_double(const char *s, double *out);
bool dfcrt_parse_complex(const char *s, double *re, double *im);
bool dfcrt_parse_bool(const char *s, bool *out);

/* ---- trace.c ----
 * Code built with --instrument times each call of a kernel, each run of a
 * state and of a top-level map (the calling thread only: a timer wraps a
 * parallel region, never runs inside one). Each timed region is an event
 * of a buffer shared by the process (one per copy of this library: each
 * libK.so links its own); a mutex guards it, so kernels may be called
 * from several threads at once. The buffer is written (as Chrome's trace
 * event format, {"traceEvents": [...]}, one "X" event per line) to the
 * file named by the environment variable DFC_TRACE, read at the first
 * event, default "dfc_trace.json" in the current directory: at process
 * exit (atexit), on dfcrt_trace_flush(), and every DFCRT_TRACE_CHUNK
 * events. The first write of a process replaces the file; later ones,
 * from any copy of the library in the same process, append to it. */

/* Where a timed region comes from; generated code keeps one static
 * constant per region. */
typedef struct DfcrtTraceSite {
	const char *name;        /* "map_L7", "state_L9", or the kernel's name */
	const char *cat;         /* "kernel", "state" or "map" */
	const char *kernel;      /* the kernel the region belongs to */
	const char *file;        /* its source file ("" if unknown) */
	int line;                /* its source line (0 if unknown) */
} DfcrtTraceSite;

/* Events held in memory before they are written out on their own. */
#define DFCRT_TRACE_CHUNK (1 << 20)

/* The start of a region: nanoseconds on the monotonic clock. */
int64_t dfcrt_trace_begin(void);
/* Records the region of site that began at t0 (dfcrt_trace_begin) and
 * ends now. Allocation failures abort, as dfcrt_alloc's. */
void dfcrt_trace_end(const DfcrtTraceSite *site, int64_t t0);
/* Writes the events recorded so far to the trace file and empties the
 * buffer (a file with no events when there are none). Returns 0; or -1
 * with a message naming the file in err (printed to stderr, prefixed
 * "dfcrt: ", when err is NULL): the events are then dropped. */
int dfcrt_trace_flush(char *err, size_t errlen);
/* The trace file's path (DFC_TRACE or the default). */
const char *dfcrt_trace_path(void);

/* ---- npy.c ---- */

#define DFCRT_NPY_MAXDIM 32

/* An array loaded from (or described for) a .npy file. descr is the
 * normalized NumPy descr ("<f8", "|b1", ...); data is a dfcrt_alloc block
 * of nbytes bytes, C order. */
typedef struct DfcrtNpy {
	char descr[16];
	int ndim;
	int64_t shape[DFCRT_NPY_MAXDIM];
	bool fortran_order;
	void *data;
	size_t nbytes;
} DfcrtNpy;

/* Reads a .npy file. Returns 0 on success; otherwise -1, *out is left
 * empty (nothing to free) and err holds a message that names the file
 * (never more than errlen bytes, always NUL-terminated when errlen > 0).
 * Malformed headers, truncated data, Fortran order, big-endian and
 * non-numeric dtypes are errors. The descr is normalized: '|' for one-byte
 * types, '<' for the others. */
int dfcrt_npy_read(const char *path, DfcrtNpy *out, char *err, size_t errlen);
/* Writes data (C order; product(shape) items of descr's size) to path.
 * Returns 0, or -1 with a message in err. */
int dfcrt_npy_write(const char *path, const char *descr, int ndim, const int64_t *shape,
		    const void *data, char *err, size_t errlen);
/* Frees the data of an array read or allocated here and empties it. */
void dfcrt_npy_free(DfcrtNpy *a);
/* Allocates a->data (aligned, uninitialized) for ndim/shape with descr; 0,
 * or -1 with a message when a dimension is negative, the size overflows or
 * memory runs out. */
int dfcrt_npy_alloc(DfcrtNpy *a, const char *descr, int ndim, const int64_t *shape,
		    char *err, size_t errlen);

/* NumPy dtype name ("float64") -> descr ("<f8"); NULL for unknown names.
 * The 13 dtypes: bool int8 int16 int32 int64 uint8 uint16 uint32 uint64
 * float32 float64 complex64 complex128. */
const char *dfcrt_npy_descr(const char *dtype_name);
/* descr -> NumPy dtype name ("<f8" -> "float64"); for other descrs the
 * descr itself (so messages can always print something). */
const char *dfcrt_npy_dtype_name(const char *descr);
/* Item size in bytes of a normalized descr (0 if not numeric). */
size_t dfcrt_npy_itemsize(const char *descr);
/* Number of items of a shape; false on overflow or negative extents. */
bool dfcrt_npy_count(int ndim, const int64_t *shape, size_t *count);
/* "(3, 4)", "(5,)", "()" into buf. */
void dfcrt_npy_shape_str(int ndim, const int64_t *shape, char *buf, size_t len);

/* ---- harness.c ---- */

/* The command line of a generated executable:
 *   PROG [--func NAME] [--repeat N] [--time] [-o OUTDIR] ARG... [SYM=VALUE]...
 * Options may appear anywhere before "--"; arguments that look like
 * negative numbers ("-1", "-.5", "-inf") are arguments, not options. */
typedef struct DfcrtHarness {
	const char *prog;        /* argv[0], for messages */
	const char *usage;       /* full usage text (generated per module) */
	const char *func;        /* --func NAME, or NULL */
	int repeat;              /* --repeat N, >= 1; default 1 */
	bool time;               /* --time */
	const char *outdir;      /* -o OUTDIR; default "." */
	int nargs;               /* the non-option arguments, in order */
	char **args;
	int npos;                /* after dfcrt_harness_split: the ARGs ... */
	char **pos;
	int nkw;                 /* ... and the values of the keyword symbols */
	int64_t *kw;             /* nkw values, in the order of the names given */
} DfcrtHarness;

/* Parses options. Returns -1 to go on, or the exit status to end with:
 * 0 after --help (usage printed to stdout), 2 after a usage error (message
 * and usage printed to stderr). */
int dfcrt_harness_parse(DfcrtHarness *h, int argc, char **argv, const char *usage);
/* Splits the arguments for function fn: the npos ARGs named posnames, and
 * one NAME=VALUE for each keyword symbol of kwnames (any order, each once,
 * VALUE an integer >= 0). Returns 0, or 2 after printing a usage error. */
int dfcrt_harness_split(DfcrtHarness *h, const char *fn, int npos,
			const char *const *posnames, int nkw, const char *const *kwnames);
/* Prints "PROG: " + message + "\n" + usage to stderr; returns 2. */
int dfcrt_harness_usage_error(const DfcrtHarness *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints "PROG: " + message + "\n" to stderr; returns 1. */
int dfcrt_harness_error(const DfcrtHarness *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Loads the .npy file path for array argument `name` of fn, which must
 * have dtype dtype_name and ndim dimensions (sig, as "float64[N, M]", is
 * quoted in messages). Returns 0, or 1 after printing a message that names
 * the argument. */
int dfcrt_harness_load(const DfcrtHarness *h, const char *fn, const char *name,
		       const char *path, const char *dtype_name, int ndim,
		       const char *sig, DfcrtNpy *out);
/* Parses the literal s of scalar argument `name` of dtype dtype_name into
 * *out, an object of that dtype's C type (complex: two floats or doubles).
 * Returns 0, or 2 after printing a usage error. */
int dfcrt_harness_scalar(const DfcrtHarness *h, const char *fn, const char *name,
			 const char *s, const char *dtype_name, void *out);
/* Parses the literal s of symbol argument `name`: an integer >= 0.
 * Returns 0, or 2 after printing a usage error. */
int dfcrt_harness_symbol(const DfcrtHarness *h, const char *fn, const char *name,
			 const char *s, int64_t *out);
/* True when a has exactly the shape want[0..a->ndim). */
bool dfcrt_harness_shape_eq(const DfcrtNpy *a, const int64_t *want);
/* Reports that array argument `name` has a shape other than want (text
 * such as "(N, M - 1)"), listing the nsym symbols it mentions: names, values
 * and where each was bound (from[i], e.g. "from argument 'A'"). Returns 1. */
int dfcrt_harness_shape_error(const DfcrtHarness *h, const char *fn, const char *name,
			      const DfcrtNpy *a, const char *want, int nsym,
			      const char *const *syms, const int64_t *vals,
			      const char *const *from);
/* Reports that fn's precondition cond (text such as "N - 2 >= 0") fails,
 * naming where (the source construct that needs it, "file:line:col"; ""
 * if unknown) and the values of the nsym symbols it mentions:
 *   "PROG: kern(): this kernel was compiled for N - 2 >= 0 (needed by
 *    k.py:20:20), but N=1". Returns 1. */
int dfcrt_harness_assume_error(const DfcrtHarness *h, const char *fn, const char *cond,
			       const char *where, int nsym, const char *const *syms,
			       const int64_t *vals);
/* Allocates return `name` of fn (dtype_name, ndim, shape). Returns 0, or 1
 * after printing a message (negative extent, too large, out of memory). */
int dfcrt_harness_alloc(const DfcrtHarness *h, const char *fn, const char *name,
			const char *dtype_name, int ndim, const int64_t *shape,
			DfcrtNpy *out);
/* Makes *out the return `name` of fn that the kernel allocated (data, a
 * dfcrt_alloc block, owned by *out from now on, also when it fails) with
 * dtype_name, ndim and shape: a return of run-time size. Returns 0, or 1
 * after printing a message. */
int dfcrt_harness_adopt(const DfcrtHarness *h, const char *fn, const char *name,
			const char *dtype_name, int ndim, const int64_t *shape, void *data,
			DfcrtNpy *out);
/* Calls run(ud) h->repeat times, restoring the nsave arrays save[i] to
 * their contents before the first call ahead of every later call (so the
 * outputs are those of one call), and prints the timing line on stdout
 * when h->time. Returns 0. */
int dfcrt_harness_run(const DfcrtHarness *h, void (*run)(void *ud), void *ud,
		      int nsave, DfcrtNpy *const *save);
/* Writes a to OUTDIR/NAME.npy, creating OUTDIR when missing. Returns 0, or
 * 1 after printing a message. */
int dfcrt_harness_save(const DfcrtHarness *h, const char *name, const DfcrtNpy *a);
/* Frees what dfcrt_harness_parse and dfcrt_harness_split allocated. */
void dfcrt_harness_free(DfcrtHarness *h);

#endif
