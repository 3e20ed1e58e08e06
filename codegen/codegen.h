/* codegen/codegen.h — from IR to files a user builds and calls.
 *
 * Sections:
 *   openmp/emit.c  C11 + OpenMP source of a module (one C function per program).
 *   header.c       the C header k.h.
 *   pywrap.c       the Python ctypes module k.py.
 *   exe.c          the main() harness of --emit exe (.npy in, .npy out, timing).
 *   toolchain.c    finding the runtime and invoking the C compiler.
 *
 * Codegen only reads IR: it never rewrites it.
 *
 * The C ABI of a program p (the same in k.h, k.c, k.py and the harness):
 *   void p(ARGS..., RETURNS..., SYMBOLS...);
 *   void p_with(p_handle *h, ARGS..., RETURNS..., SYMBOLS...);
 * where a p_handle (p_handle_create, p_handle_destroy) keeps the buffers
 * of p's transients of lifetime "handle" from one call to the next; p
 * itself calls p_with on a handle of its own, freed before it returns.
 *   ARGS     p->args in order: an array container as `T *restrict name`,
 *            a scalar container as `T name` (by value), an ARG_SYMBOL as
 *            `int64_t name`;
 *   RETURNS  p->returns in order, each `T *restrict name` (a scalar return
 *            is a pointer to one element); the caller allocates them with
 *            the shapes the IR gives. A return whose shape uses symbols
 *            assigned at run time (CF_ASSIGN) is instead two parameters,
 *            `T **name, int64_t *name_shape`: the kernel allocates it
 *            (dfcrt_alloc, a fresh block every call, never a handle
 *            buffer) and stores the block in *name and its extents in
 *            name_shape[0..ndim); the caller frees it with dfcrt_free;
 *   SYMBOLS  p->symbols that are not ARG_SYMBOL arguments, in order, as
 *            `int64_t name`.
 * All arrays are C-contiguous (row-major) unless their container's strides
 * say otherwise.
 */
#ifndef DFC_CODEGEN_H
#define DFC_CODEGEN_H

#include "../ir/ir.h"

/* openmp/emit.c: serial when target is "serial" (no pragmas). With
 * ctx->opt.instrument (--instrument) every call of a program, every run of
 * a state and of a map at the top of a state is timed (dfcrt_trace_*). */
char *cg_omp_emit_module(Ctx *ctx, const IrModule *m, bool parallel);
/* header.c */
char *cg_header_emit(Ctx *ctx, const IrModule *m);

/* header.c also holds the signature analysis shared by k.h, k.py and the
 * exe harness. A caller learns each symbol's value from an ARG_SYMBOL
 * argument, else from the first array dimension (p->args order, then
 * dimension order) that is exactly the symbol, else as a keyword (k.py) or
 * SYM=VALUE (harness). */
typedef enum CgBindKind {
	CG_BIND_ARG,       /* an ARG_SYMBOL argument */
	CG_BIND_DIM,       /* dimension `dim` of array argument `arg` */
	CG_BIND_KEYWORD,   /* given by the caller by name */
} CgBindKind;

typedef struct CgBind {
	const char *name;  /* the symbol */
	CgBindKind kind;
	int arg;           /* index in p->args; -1 for CG_BIND_KEYWORD */
	int dim;           /* CG_BIND_DIM: the dimension; -1 otherwise */
} CgBind;

typedef struct CgSig {
	const IrProgram *p;
	int nargs;                  /* p->args.len */
	const IrContainer **arg;    /* per argument: its container; NULL for ARG_SYMBOL */
	bool *written;              /* per argument: an array the program writes */
	int nret;
	const IrContainer **ret;    /* p->returns' containers */
	bool *dynamic;              /* per return: its shape uses symbols assigned at
				       run time, so the kernel allocates it */
	bool any_dynamic;           /* some return is dynamic */
	int nbind;
	CgBind *bind;               /* p->symbols in order, then ARG_SYMBOL args not in it */
	bool fits;                  /* p tests values at run time (OP_FITS): the
				       caller asks <module>_value_error after it */
} CgSig;

/* Analyses p's signature. ICEs on IR the ABI cannot express (an argument
 * without container, non-row-major argument layouts, shapes over unknown
 * symbols). */
CgSig *cg_sig_new(Ctx *ctx, const IrProgram *p);
const CgBind *cg_sig_bind(const CgSig *s, const char *name);   /* NULL if none */
bool cg_sig_binds_dim(const CgSig *s, int arg, int dim);
/* True when some dimension of array argument arg needs a check (it does
 * not bind a symbol). */
bool cg_sig_checks_arg(const CgSig *s, int arg);
int cg_sig_nkeywords(const CgSig *s);
/* Where b comes from, for messages: "from argument 'A'", "argument 'k'",
 * "size symbol 'N'". */
char *cg_sig_source(Ctx *ctx, const CgSig *s, const CgBind *b);
char *cg_sig_shape(Ctx *ctx, const IrContainer *c);   /* "(N, M - 1)", "(N,)", "()" */
char *cg_sig_type(Ctx *ctx, const IrContainer *c);    /* "float64[N, M]", "float64" */
/* "kern(A: float64[N, M], alpha: float64) -> float64[N]" */
char *cg_sig_text(Ctx *ctx, const CgSig *s);
/* The C name of the extents parameter of dynamic return i ("ret_shape",
 * with '_' appended while another parameter has that name). */
const char *cg_sig_shape_param(Ctx *ctx, const CgSig *s, int i);
/* `void kern(double *restrict A, ..., int64_t N)`, without ';'. */
char *cg_header_prototype(Ctx *ctx, const CgSig *s);
/* The handle API of kern, one declaration a line (with ';'):
 *   typedef struct kern_handle kern_handle;
 *   kern_handle *kern_handle_create(void);
 *   void kern_handle_destroy(kern_handle *handle);
 *   void kern_with(kern_handle *handle, <kern's parameters>);
 * The handle parameter is renamed when a parameter of kern is "handle". */
char *cg_header_handle_decls(Ctx *ctx, const CgSig *s);
/* name, or name + "_" when it is a C keyword or a macro of k.h's headers. */
const char *cg_c_param_name(Ctx *ctx, const char *name);
/* Whether some memlet of some state of p writes into (reads out of) an
 * access node of container name. */
bool cg_program_writes(const IrProgram *p, const char *name);
bool cg_program_reads(const IrProgram *p, const char *name);
/* s made safe inside C comments, Python comments and docstrings: control
 * characters become '?', '"' becomes '\'', '\\' becomes '/', and the '*' of
 * "*" "/" becomes '_'. */
char *cg_safe_text(Ctx *ctx, const char *s);
/* "file:line:col" (with_col) or "file:line", made safe by cg_safe_text;
 * "" when loc has no file. Names the construct behind a precondition. */
char *cg_loc_text(Ctx *ctx, SrcLoc loc, bool with_col);
/* s as a C string literal (quotes, backslashes, '?' and control
 * characters escaped); NULL gives "". */
char *cg_c_string(Arena *a, const char *s);
/* pywrap.c: libname is the shared library's file name ("libk.so"). */
char *cg_pywrap_emit(Ctx *ctx, const IrModule *m, const char *libname);
/* exe.c: C source of the harness, calling the module's first program
 * (or the one chosen with --func at run time). */
char *cg_exe_emit(Ctx *ctx, const IrModule *m);

/* toolchain.c */
typedef struct Runtime {
	const char *include_dir;   /* holds dfcrt.h */
	const char *lib;           /* path of libdfcrt.a (built -fPIC) */
} Runtime;
/* Locates the runtime next to the dfc executable (build tree: build/dfc,
 * runtime/dfcrt.h, build/libdfcrt.a; installed: PREFIX/bin/dfc,
 * PREFIX/include/dfc/dfcrt.h, PREFIX/lib/dfc/libdfcrt.a). */
bool cg_runtime_find(Ctx *ctx, Runtime *rt);
/* Compiles C sources into a shared library (shared=true) or an executable,
 * with -O3 -fopenmp (unless !openmp), linking the runtime and libm (and
 * OpenBLAS when a source includes <cblas.h>). The C
 * compiler's diagnostics are shown; failure is an internal error of dfc
 * (generated code must always compile), reported and returned as false. */
bool cg_toolchain_compile(Ctx *ctx, const Runtime *rt, int nsrc, const char **srcs,
			  const char *out, bool shared, bool openmp);

#endif
