/* codegen/openmp/emit.h — private interface of the OpenMP C backend.
 *
 * Files (one part of the emitter each):
 *   emit.c    the module and its programs: the C ABI prototype, the handle
 *             API, container declarations and allocation, names,
 *             structured control flow.
 *   expr.c    tasklet expression trees in C with NumPy semantics, the
 *             static inline helpers they need, WCR updates.
 *   state.c   states: tasklets, maps (loop nests, OpenMP schedules,
 *             race-free reductions), node order.
 *   matmul.c  library nodes (matmul: naive loops or CBLAS calls).
 *   matvec_fusion.c  the matvec_pair library node (one sweep, two products).
 *   scan.c    the scan library node (running sums and products along an axis).
 *
 * All text is built in the compilation's arena. Generated names start with
 * "dfc" (tasklet locals dfc_<connector>, accumulators dfcacc_*, private
 * copies dfcpriv_*, helpers dfc_<op>_<dtype>, the handle dfch); every IR
 * name that could clash with C (keywords, names of the headers we include,
 * dfc*, and "<p>_with", which p calls) is renamed by cg_omp_cname,
 * consistently everywhere (Syms go through cg_omp_sym).
 */
#ifndef DFC_CODEGEN_OPENMP_EMIT_H
#define DFC_CODEGEN_OPENMP_EMIT_H

#include "../codegen.h"

/* The static inline helpers a generated file may need, one per dtype. */
typedef enum OmpHelper {
	OH_CPACK,      /* dfc_cpack_<t>: the complex number re + im*i (first: the
			  others and the identities of reductions use it) */
	OH_FLOORDIV,   /* dfc_floordiv_<t>: Python // */
	OH_MOD,        /* dfc_mod_<t>: Python % */
	OH_POW,        /* dfc_power_<t>: integer power */
	OH_MIN,        /* dfc_minimum_<t>: np.minimum (NaN propagating) */
	OH_MAX,        /* dfc_maximum_<t>: np.maximum */
	OH_ABS,        /* dfc_absolute_<t>: abs of a signed integer */
	OH_SHL,        /* dfc_shl_<t>: NumPy's left shift */
	OH_SHR,        /* dfc_shr_<t>: NumPy's right shift */
	OH_REDMIN,     /* omp declare reduction dfc_redmin_<t> (floats) */
	OH_REDMAX,     /* omp declare reduction dfc_redmax_<t> (floats, complex) */
	OH_CMUL,       /* dfc_cmul_<t>: NumPy's complex product */
	OH_CDIV,       /* dfc_cdiv_<t>: NumPy's complex quotient (Smith's method) */
	OH_CPOW,       /* dfc_cpow_<t>: NumPy's complex power */
	OH_CLT,        /* dfc_less_<t>: NumPy's lexicographic < on complex */
	OH_CLE,        /* dfc_less_equal_<t>: lexicographic <= on complex */
	OH_REDSUM,     /* omp declare reduction dfc_redsum_<t> (complex) */
	OH_REDPROD,    /* omp declare reduction dfc_redprod_<t> (complex) */
	OH_INDEX,      /* dfc_index_ok_i64: --boundscheck's test of one index */
	OH_POWI,       /* dfc_powi_<t>: a float to a constant integer power
			  (|n| <= 16) by multiplications */
	OH_POWHALF,    /* dfc_powhalf_<t>: pow(x, 0.5) (gcc's vectorizer would
			  make it sqrt, wrong at -0.0 and -inf) */
	OH_NTHREADS,   /* dfc_nthreads_i64: omp_get_max_threads(), 1 without
			  OpenMP */
	OH_NT,         /* dfc_nt_store, dfc_nt_skew, dfc_nt_fence: stores that
			  bypass the caches (state.c's streamed outputs); one
			  definition, under DT_UINT8 */
	OH_VMIN,       /* dfc_vminimum_<t>: np.minimum of floats in a simd loop */
	OH_VMAX,       /* dfc_vmaximum_<t>: np.maximum of floats in a simd loop */
	OH_GEMM,       /* dfc_gemm_<t>: the tiled matrix product (gemm.c) */
	OH_FITS,       /* dfc_fits_i64: the run-time test of FITS (ops.def) */
	OH_COUNT
} OmpHelper;

/* WCR writes to `data` inside a privatized parallel map go to `var`
 * instead: a scalar accumulator, or a private copy indexed like data. */
typedef struct OmpRedirect {
	const char *data;
	const char *var;
	bool scalar;
} OmpRedirect;

/* A read of one element that the innermost loop of a map does not move
 * and the map does not write: loaded once before that loop into var. */
typedef struct OmpHoist {
	const char *data;
	const Subset *subset;
	const char *var;
} OmpHoist;

/* A transient whose allocation is placed at the start of a block list
 * (because its shape depends on a loop variable), or right after the
 * CF_ASSIGN block `after` of that list (a symbol assigned there). */
typedef struct OmpPlace {
	const IrBlockList *list;
	const IrContainer *c;
	const IrBlock *after;     /* NULL: at the start of list */
} OmpPlace;

/* A container whose plain writes by the tasklets of a streamed map go
 * to buf[<innermost param> - dfcnt_b], a chunk that dfc_nt_store copies
 * out (state.c, stream_ok). */
typedef struct OmpStream {
	const char *data;
	const IrMemlet *m;          /* the write */
	const char *buf;
} OmpStream;
typedef VEC(OmpStream) OmpStreams;

typedef VEC(const char *) OmpNames;

typedef struct OmpEmit {
	Ctx *ctx;
	Arena *a;
	const IrModule *m;
	const IrProgram *p;
	bool parallel;              /* OpenMP pragmas allowed */
	bool need[OH_COUNT][DT_COUNT];
	bool vmath[OP_COUNT][2];    /* math function op called on float32 [0] or
				       float64 [1]: gets a libmvec declaration */
	StrBuf *sb;                 /* where lines go */
	int indent;                 /* tabs */
	bool failed;                /* a diagnostic was reported */
	SrcLoc loc;                 /* of the node or block being emitted */
	bool in_parallel;           /* inside an emitted omp parallel region */
	bool in_simd;               /* emitting the body of an omp simd loop */
	bool uses_exit;             /* a return was emitted: dfc_exit is needed */
	bool bare;                  /* the next tasklet is alone in a loop body:
				       no braces of its own */
	OmpNames used;              /* IR names referenced by the emitted code */
	OmpNames read;              /* containers read by the emitted code */
	VEC(OmpRedirect) redirects;
	VEC(OmpHoist) hoists;       /* reads loaded before the innermost loop */
	OmpStreams streams;         /* of the streamed map being emitted */
	const char *stream_var;     /* its innermost param (C name) */
	VEC(OmpPlace) places;
	int *slot;                  /* per container: its buffer in the handle, or -1 */
	int nslots;                 /* buffers of the program's handle */
	int gemm_slots;             /* ... of which the tiled products' copies (gemm.c) */
	const IrBlockList *list;    /* the block list being emitted */
	/* symbolic widths held in C variables in the loop being emitted
	 * (emit_for): printed as their name by cg_omp_sym */
	VEC(const Sym *) width_sym;
	VEC(const char *) width_name;
	/* the state being emitted */
	const IrState *st;
	int *scope;                 /* scope[id]: innermost map entry or -1 */
	int *topo;                  /* topological order of all nodes */
} OmpEmit;

/* Inputs of a tasklet expression: connector names and the C text of
 * their values. A connector that EX_LOADs read is a range: its text is a
 * pointer to the first element of its subset and stride[i] the C text of
 * the element stride of each subset dimension (stride[i] NULL for an
 * element). */
typedef struct OmpInputs {
	int n;
	const char **conn;
	const char **text;
	const char ***stride;
	const char ***extent;       /* C text of each range dimension's length */
} OmpInputs;

/* expr.c: --boundscheck's condition that indices idx[0..n) (over the
 * inputs in) lie in [0, ext[d]); it records the first failure. */
char *cg_omp_index_guard(OmpEmit *E, int n, IrExpr *const *idx, const char *const *ext,
			 const OmpInputs *in);

/* emit.c */
void cg_omp_line(OmpEmit *E, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cg_omp_comment(OmpEmit *E, const char *what, const char *name, SrcLoc loc);
/* The pragmas of a library node's loops: `#pragma omp simd<extra>` (not
 * for the serial target), and `#pragma omp parallel for<extra>
 * schedule(static) if(parallel: WORK > DFCRT_PAR_MIN_WORK)` over `work`
 * (C text) where a parallel loop is allowed (not serial, not inside one).
 * The parallel: modifier keeps a combined simd loop vectorized when it
 * runs on one thread (a bare if applies to simd too). */
void cg_omp_simd(OmpEmit *E, const char *extra);
void cg_omp_par_for(OmpEmit *E, const char *extra, const char *work);
/* --instrument: the start of a timed region (its static DfcrtTraceSite
 * dfctrace_site_<var> and start time dfctrace_t_<var>, declared where the
 * line goes) and its end (the event recorded); cat is "kernel", "state"
 * or "map". */
void cg_omp_trace_begin(OmpEmit *E, const char *var, const char *name, const char *cat,
			SrcLoc loc);
void cg_omp_trace_end(OmpEmit *E, const char *var);
void cg_omp_fail(OmpEmit *E, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *cg_omp_cname(OmpEmit *E, const char *name);
char *cg_omp_sym(OmpEmit *E, const Sym *s);
Sym *cg_omp_msym(OmpEmit *E, const Sym *s);
void cg_omp_mark_used(OmpEmit *E, const char *name);
void cg_omp_mark_read(OmpEmit *E, const char *name);
const IrContainer *cg_omp_container(OmpEmit *E, const char *name);
/* Does s mention one of the names? */
bool cg_omp_depends_on_any(const Sym *s, const OmpNames *names);
Sym *cg_omp_linear(OmpEmit *E, const IrContainer *c, const Subset *s);
char *cg_omp_ref(OmpEmit *E, const IrContainer *c, const Subset *s);
Sym *cg_omp_span(OmpEmit *E, const IrContainer *c);
char *cg_omp_alloc(OmpEmit *E, const IrContainer *c);
char *cg_omp_strip(OmpEmit *E, const char *text);
char *cg_omp_paren(OmpEmit *E, const char *text);

/* expr.c */
char *cg_omp_expr(OmpEmit *E, const IrExpr *e, const OmpInputs *in);
/* "(i0)*s0 + (i1)*s1": the element offset of indices idx[0..n) (int
 * IrExprs) in a subset of n dims with element strides str (C text). */
char *cg_omp_offset(OmpEmit *E, int n, IrExpr *const *idx, const char *const *str,
		    const OmpInputs *in);
/* The C text of the element strides of subset s of c (stride * step). */
const char **cg_omp_strides(OmpEmit *E, const IrContainer *c, const Subset *s);
char *cg_omp_convert(OmpEmit *E, const char *text, DType from, DType to);
char *cg_omp_update(OmpEmit *E, const char *lhs, Wcr wcr, DType t, const char *val);
const char *cg_omp_red_op(OmpEmit *E, Wcr wcr, DType t);
const char *cg_omp_acc_ctype(DType t);
const char *cg_omp_identity(Wcr wcr, DType t);
void cg_omp_helpers_emit(OmpEmit *E, StrBuf *sb);
/* "dfc_nthreads_i64()": the number of threads a parallel region gets. */
const char *cg_omp_nthreads(OmpEmit *E);
/* Notes that the file needs the non-temporal store helpers (OH_NT). */
void cg_omp_need_nt(OmpEmit *E);
/* "dfc_gemm_<t>", the tiled product of dtype t (float32, float64), and a
 * note that the file needs it. */
const char *cg_omp_gemm_helper(OmpEmit *E, DType t);

/* gemm.c: the helper's template (expr.c's put_template) */
extern const char cg_omp_gemm_template[];

/* state.c */
void cg_omp_emit_state(OmpEmit *E, const IrState *st);
void cg_omp_emit_node(OmpEmit *E, int id);
/* The map entry whose iterations transient c is local to (state.c says
 * when), in the state *st (st may be NULL); -1 if none. Such a transient
 * is a local array of the map's loop body: emit.c neither allocates nor
 * frees it. */
int cg_omp_local_scope(OmpEmit *E, const IrContainer *c, const IrState **st);

/* matmul.c */
void cg_omp_emit_library(OmpEmit *E, int id);
/* matvec_fusion.c: a matvec_pair library node (cg_omp_emit_library's hook). */
void cg_omp_emit_matvec_pair(OmpEmit *E, int id);
/* scan.c: a scan library node (np.cumsum, np.cumprod along an axis;
 * cg_omp_emit_library's hook). */
void cg_omp_emit_scan(OmpEmit *E, int id);
/* Whether some library node of m is expanded with BLAS: the file then
 * includes <cblas.h>. */
bool cg_omp_uses_blas(const IrModule *m);
/* Whether s is a name that <cblas.h> (with the headers it includes:
 * complex.h, sched.h) declares or defines as a macro; IR names are renamed
 * away from them, and a kernel of a module that uses BLAS cannot take one. */
bool cg_omp_blas_reserved(const char *s);

#endif
