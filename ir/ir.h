/* ir/ir.h — the stateful dataflow IR of dfc (DESIGN.md §4).
 *
 * A module holds programs (one per exported kernel). A program has size
 * symbols, data containers, ordered arguments and a body of structured
 * control flow (IrBlock) whose leaves are states. A state is an acyclic
 * dataflow graph: nodes (access, tasklet, map entry/exit, library) joined
 * by memlets.
 *
 * Sections (one .c file each):
 *   dtype.c   NumPy dtypes: names, C types, promotion.
 *   sym.c     the symbolic integer engine (affine forms + min/max/floordiv/mod).
 *   expr.c    tasklet expression trees (IrExpr): building, dtype rules, printing.
 *   build.c   constructors for programs, containers, states, nodes, memlets, blocks.
 *   verify.c  ir_verify: every invariant listed in this header.
 *   yaml.c    YAML dump and load with libyaml; load(dump(p)) dumps identically.
 *   text.c    the compact indented text form (golden tests, reading).
 *   dot.c     Graphviz DOT.
 *
 * Conventions
 * - Everything is allocated in the compilation's arena (ctx->arena); nothing
 *   is freed piecewise. Strings are arena copies.
 * - Nodes and memlets live in arrays owned by their state and are referred to
 *   by index (their id == their index). Iteration order is insertion order, so
 *   dumps are stable.
 * - Subsets use Python ranges: begin inclusive, end exclusive, step > 0.
 *   An index is the range [i, i+1).
 * - Map scopes follow the SDFG convention: an outer memlet enters the map
 *   entry on connector "IN_<x>", the matching inner memlet leaves it on
 *   "OUT_<x>"; symmetric on the map exit. Every node between an entry and
 *   its exit belongs to that scope.
 * - Stable names: maps "map_L<line>", loops "loop_L<line>", states
 *   "state_L<line>", with "_2", "_3"... when one line makes several, or the
 *   user's label.
 */
#ifndef DFC_IR_H
#define DFC_IR_H

#include "../compiler/compiler.h"

/* ---- dtype.c ---- */

typedef enum DType {
	DT_BOOL,
	DT_INT8, DT_INT16, DT_INT32, DT_INT64,
	DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64,
	DT_FLOAT32, DT_FLOAT64,
	DT_COMPLEX64, DT_COMPLEX128,
	DT_COUNT
} DType;

const char *dtype_name(DType t);          /* NumPy name: "float64" */
bool dtype_from_name(const char *s, DType *out);
const char *dtype_ctype(DType t);         /* C type: "double", "int64_t", "bool", "double _Complex" */
int dtype_size(DType t);                  /* bytes */
bool dtype_is_int(DType t);               /* signed or unsigned integer (not bool) */
bool dtype_is_unsigned(DType t);
bool dtype_is_float(DType t);             /* float32/float64 */
bool dtype_is_complex(DType t);
/* np.result_type of two array dtypes. */
DType dtype_promote(DType a, DType b);
/* np.can_cast(from, to, 'same_kind'), the rule of in-place ufuncs (`a +=
 * b`, np.add.at): to's kind is from's or a later one, in the order bool,
 * unsigned, signed, float, complex (int16 to uint8 is refused, uint16 to
 * int8 allowed). */
bool dtype_same_kind(DType from, DType to);
/* v converted to integer (or bool) dtype t the way C and NumPy's astype
 * wrap it; uint64 keeps its bit pattern in the int64. */
int64_t dtype_wrap_int(DType t, int64_t v);
/* The range of integer (or bool) dtype t; uint64's top is clamped to
 * INT64_MAX, the largest value an int64 holds. */
void dtype_int_range(DType t, int64_t *lo, int64_t *hi);

/* ---- sym.c: symbolic integer expressions ----
 * Immutable, canonical trees: two equal expressions have the same printed
 * text, and sym_equal compares structurally. Sums are kept as affine forms
 * (constant + sorted coefficient*term list); min/max/floordiv/mod of
 * constants fold; x*1, x+0, floordiv(x,1) simplify. */

typedef enum SymKind {
	SYM_CONST,    /* c */
	SYM_VAR,      /* name */
	SYM_ADD,      /* c + sum(coefs[i] * args[i]) ; args are never ADD or CONST */
	SYM_MUL,      /* product of args (n >= 2, non-affine: e.g. N*M) */
	SYM_FLOORDIV, /* args[0] // args[1] (Python semantics) */
	SYM_MOD,      /* args[0] % args[1]  (Python semantics) */
	SYM_MIN,      /* min(args...) */
	SYM_MAX,      /* max(args...) */
} SymKind;

typedef struct Sym Sym;
struct Sym {
	SymKind kind;
	int64_t c;          /* SYM_CONST value; SYM_ADD constant term */
	const char *name;   /* SYM_VAR */
	int n;              /* number of args */
	Sym **args;
	int64_t *coefs;     /* SYM_ADD: coefficient of each arg */
};

Sym *sym_const(Arena *a, int64_t c);
Sym *sym_var(Arena *a, const char *name);
Sym *sym_add(Arena *a, Sym *x, Sym *y);
Sym *sym_sub(Arena *a, Sym *x, Sym *y);
Sym *sym_mul(Arena *a, Sym *x, Sym *y);
Sym *sym_neg(Arena *a, Sym *x);
Sym *sym_floordiv(Arena *a, Sym *x, Sym *y);
Sym *sym_mod(Arena *a, Sym *x, Sym *y);
Sym *sym_min(Arena *a, Sym *x, Sym *y);
Sym *sym_max(Arena *a, Sym *x, Sym *y);
Sym *sym_addc(Arena *a, Sym *x, int64_t c);   /* x + c */

bool sym_is_const(const Sym *s, int64_t *value);   /* value may be NULL */
uint64_t sym_gcd(uint64_t x, uint64_t y);          /* gcd(0, y) = y */
bool sym_equal(const Sym *x, const Sym *y);
bool sym_depends_on(const Sym *s, const char *name);
/* Does s mention one of the n names? */
bool sym_depends_on_any(const Sym *s, const char *const *names, int n);
/* If s is affine in `name` (s = coef*name + rest, rest free of name), sets
 * *coef and returns true. coef is 0 when s does not mention name. */
bool sym_coef_of(const Sym *s, const char *name, int64_t *coef);
Sym *sym_subst(Arena *a, const Sym *s, const char *name, Sym *value);
/* Calls f for every distinct variable name in s, in sorted order. */
void sym_foreach_var(const Sym *s, void (*f)(const char *name, void *ud), void *ud);
/* Appends the distinct variable names of s, sorted, to *out (names that
 * *out already holds are appended again). */
typedef VEC(const char *) SymNames;
void sym_vars(Arena *a, const Sym *s, SymNames *out);

/* Three-valued answers: proven, disproven, or unknown. Size symbols are
 * assumed >= 0 (all variables are: loop variables and map parameters too,
 * unless the caller substitutes them away). Never optimistic. */
typedef enum Truth { T_UNKNOWN, T_TRUE, T_FALSE } Truth;
Truth sym_le(const Sym *x, const Sym *y);  /* x <= y ? */
Truth sym_lt(const Sym *x, const Sym *y);
Truth sym_eq(const Sym *x, const Sym *y);

/* Canonical text: "N - 2", "2*i + 1", "min(N, i + 32)", "N*M", "(i + 1) // 2",
 * "N % 4". sym_parse(sym_print(s)) is sym_equal to s. */
char *sym_print(Arena *a, const Sym *s);
/* Parses the text form (integers, names, + - * // %, unary -, parentheses,
 * min(a, b, ...), max(...)). NULL and *err set (arena string) on error;
 * *errpos = byte offset of the error. */
Sym *sym_parse(Arena *a, const char *text, const char **err, int *errpos);
/* C expression for s (int64_t arithmetic); floordiv/mod/min/max print as
 * calls to dfc_floordiv, dfc_mod, dfc_min, dfc_max (defined in runtime/dfcrt.h). */
char *sym_print_c(Arena *a, const Sym *s);
/* sym_print_c, with every subexpression sym_equal to pats[i] printed as
 * names[i] (a C variable holding its value). */
char *sym_print_c_named(Arena *a, const Sym *s, int n, const Sym *const *pats,
			const char *const *names);
/* Evaluates s; lookup returns false for unknown names (then *ok = false). */
int64_t sym_eval(const Sym *s, bool (*lookup)(const char *name, int64_t *v, void *ud),
		 void *ud, bool *ok);

typedef struct SymRange {
	Sym *begin, *end, *step;   /* [begin, end) by step; step > 0 */
} SymRange;

typedef struct Subset {
	int ndim;                  /* 0 for a scalar container */
	SymRange *r;               /* ndim ranges */
} Subset;

/* Same rank and structurally equal begin, end and step in every dimension. */
bool subset_equal(const Subset *x, const Subset *y);
/* Does a bound or the step of r (of some dimension of s) use symbol name? */
bool range_depends_on(const SymRange *r, const char *name);
bool subset_depends_on(const Subset *s, const char *name);
/* Number of values of a range: ceil((end - begin) / step), end - begin for
 * a unit step (negative when end < begin). */
Sym *range_extent(Arena *a, const SymRange *r);
/* Number of elements of a subset: prod ceil((end - begin) / step). */
Sym *subset_volume(Arena *a, const Subset *s);
/* "[i, j + 1]" for indices, "[0:N, 1:M - 1]" for ranges, "[0:N:2]" with
 * steps, "[]" for ndim 0. Parsed back by subset_parse. */
char *subset_print(Arena *a, const Subset *s);
bool subset_parse(Arena *a, const char *text, Subset *out, const char **err, int *errpos);
Subset subset_index(Arena *a, int ndim, Sym **idx);  /* one element */
/* A copy of s whose ranges (not the Syms they point to) may be changed. */
Subset subset_copy(Arena *a, const Subset *s);
/* s with symbol name replaced by value in every bound and step. */
Subset subset_subst(Arena *a, const Subset *s, const char *name, Sym *value);

/* ---- expr.c: tasklet expression trees ---- */

typedef enum IrOp {
#define X(e, name, arity, cls) OP_##e,
#include "ops.def"
#undef X
	OP_COUNT
} IrOp;

typedef enum OpClass { OPC_ARITH, OPC_CMP, OPC_LOGIC, OPC_FN, OPC_SAME, OPC_PRED } OpClass;

const char *ir_op_name(IrOp op);
bool ir_op_from_name(const char *s, IrOp *out);
int ir_op_arity(IrOp op);
OpClass ir_op_class(IrOp op);

typedef enum ExprKind {
	EX_CONST,   /* ival (bool/int dtypes), fval (float dtypes), or
		       fval + fimag*i (complex dtypes) */
	EX_IN,      /* value read on input connector `name` (in tasklets), or
		       of scalar container `name` (in control-flow conditions) */
	EX_SYM,     /* value of symbol `name` (size symbol, loop variable, map parameter) */
	EX_OP,      /* op applied to args[0..n) */
	EX_CAST,    /* args[0] converted to dtype */
	EX_LOAD,    /* one element of the range read on input connector `name`:
		       args[0..n) are integer indices, one per dimension of
		       the connector's memlet subset, counted in elements of
		       that subset from its start (0 <= args[d] < extent d);
		       dtype is the connector's (tasklets only) */
} ExprKind;

typedef struct IrExpr IrExpr;
struct IrExpr {
	ExprKind kind;
	DType dtype;        /* dtype of the result */
	IrOp op;            /* EX_OP */
	int64_t ival;       /* EX_CONST of bool/int dtype */
	double fval;        /* EX_CONST of float dtype; real part of a complex one */
	double fimag;       /* EX_CONST of complex dtype: imaginary part (else 0) */
	const char *name;   /* EX_IN, EX_SYM, EX_LOAD */
	int n;
	IrExpr **args;
};

IrExpr *ir_expr_const_int(Arena *a, DType t, int64_t v);
IrExpr *ir_expr_const_float(Arena *a, DType t, double v);
/* re + im*i of complex dtype t; a real dtype takes re (as
 * ir_expr_const_float) and drops im, as a NumPy cast does. */
IrExpr *ir_expr_const_complex(Arena *a, DType t, double re, double im);
IrExpr *ir_expr_in(Arena *a, DType t, const char *name);
IrExpr *ir_expr_sym(Arena *a, const char *name);       /* dtype int64 */
/* Builds an operator node with dtype from the op class and NumPy
 * promotion (no implicit casts are inserted: codegen converts). */
IrExpr *ir_expr_op(Arena *a, IrOp op, int n, IrExpr **args);
IrExpr *ir_expr_op2(Arena *a, IrOp op, IrExpr *x, IrExpr *y);
IrExpr *ir_expr_op1(Arena *a, IrOp op, IrExpr *x);
IrExpr *ir_expr_cast(Arena *a, DType t, IrExpr *x);
/* EX_LOAD of connector `name` (dtype t) at indices idx[0..n), n >= 1. */
IrExpr *ir_expr_load(Arena *a, DType t, const char *name, int n, IrExpr **idx);
/* Prefix text form used by YAML and text dumps:
 *   "add(mul(in:a, float64:2.0), sym:i)", "cast<float32>(in:x)",
 *   "load<float64>(in:h, in:k)" (EX_LOAD of connector h at index in:k),
 *   "lt(in:diff, float64:1e-06)", "int64:3", "bool:1", complex constants
 *   "complex128:2.5" (imaginary part +0.0) or "complex64:(1.0-2.5j)".
 * The dtype of every node is recoverable from the text (in:x needs the
 * connector's dtype, given on the tasklet / container). Floats print in
 * the shortest %.<N>g (N <= 17) that reads back exactly, always looking like
 * a float ("2.0", "1e-06", "inf", "-inf", "nan"); integer constants are
 * kept wrapped to their dtype. Blanks between tokens are allowed. */
char *ir_expr_print(Arena *a, const IrExpr *e);
/* Parses the form above. in_dtype gives the dtype of an input name
 * (false if unknown, or in_dtype NULL: then an error). NULL + *err (arena
 * string) and *errpos (byte offset) on error; err/errpos may be NULL.
 * Safe on any bytes; nesting deeper than 200 levels is an error. */
IrExpr *ir_expr_parse(Arena *a, const char *text,
		      bool (*in_dtype)(const char *name, DType *t, void *ud), void *ud,
		      const char **err, int *errpos);
bool ir_expr_equal(const IrExpr *x, const IrExpr *y);
/* Does e read input `name` (an EX_IN leaf or an EX_LOAD of it: a
 * connector in a tasklet, a scalar container in a condition)? NULL reads
 * nothing. */
bool ir_expr_reads(const IrExpr *e, const char *name);
/* Does e contain an EX_LOAD (of any connector / of connector `name`)? */
bool ir_expr_has_load(const IrExpr *e);
bool ir_expr_loads(const IrExpr *e, const char *name);
/* Does e use symbol `name` (EX_SYM: a map parameter, a size) as a value? */
bool ir_expr_uses_sym(const IrExpr *e, const char *name);
/* Does e contain operator op? */
bool ir_expr_has_op(const IrExpr *e, IrOp op);
/* Does a tasklet or a condition of p (of some program of m) use operator
 * op? */
typedef struct IrProgram IrProgram;
typedef struct IrModule IrModule;
bool ir_program_uses_op(const IrProgram *p, IrOp op);
bool ir_module_uses_op(const IrModule *m, IrOp op);
/* The value-numbering key of operator or conversion node e whose
 * operands have the numbers ids[0..e->n): "add<float64>(3,4)",
 * "cast<int64>(2)"; equal keys over equal numbers are equal values. */
char *ir_expr_vn_key(Arena *a, const IrExpr *e, const int *ids);
/* Result dtype of op over operands of dtypes argt[0..n) (n == arity), by
 * the op class: ARITH promotes (WHERE: argt[1], argt[2]); CMP/LOGIC bool;
 * FN float (float32/float64/complex kept, bool and ints -> float64; DIV
 * promotes first); SAME the operand's (abs of complex -> its float). */
DType ir_op_result_dtype(IrOp op, int n, const DType *argt);

/* ---- the graph ---- */

typedef enum IrNodeKind {
#define X(e, name, payload) IRN_##e,
#include "nodes.def"
#undef X
	IRN_COUNT
} IrNodeKind;

const char *ir_node_kind_name(IrNodeKind k);

typedef enum Schedule {
	SCHED_SEQUENTIAL,   /* "sequential" */
	SCHED_CPU_PARALLEL, /* "cpu_parallel": omp parallel for */
	SCHED_GPU_DEVICE,   /* "gpu_device" */
	SCHED_GPU_BLOCK,    /* "gpu_block" */
	SCHED_MPI,          /* "mpi" */
	SCHED_COUNT
} Schedule;
const char *ir_schedule_name(Schedule s);
bool ir_schedule_from_name(const char *s, Schedule *out);

typedef enum Wcr {
	WCR_NONE, WCR_SUM, WCR_PROD, WCR_MIN, WCR_MAX, WCR_COUNT
} Wcr;                                 /* printed "none", "sum", "prod", "min", "max" */
const char *ir_wcr_name(Wcr w);
bool ir_wcr_from_name(const char *s, Wcr *out);

typedef enum LibOp {
	LIB_MATMUL,   /* "matmul": inputs "_a", "_b", output "_c"; 1-D or 2-D operands, np.matmul/np.dot rules;
			 optional scalar inputs "_alpha", "_beta" (+ "_cin"): see ir_matmul_input;
			 "_scale_a"/"_div_a", "_scale_b"/"_div_b": see ir_matmul_operand_scale */
	LIB_MATVEC_PAIR, /* "matvec_pair": input "_a" (a matrix A, rows x cols, its memlet's
			    2-D subset as stored), "_x" (cols), optional "_w" (rows);
			    outputs "_y" = A @ x (rows) and "_z" = A^T @ w, or A^T @ y
			    without "_w" (cols): both in one sweep over A
			    (passes/matvec_fusion.c, docs/ir.md); each output
			    may be scaled as a matmul's: "_alpha_y", "_beta_y"
			    with "_yin" (y = alpha*(A@x) + beta*yin), WCR sum
			    without _beta (y += ...); likewise "_alpha_z",
			    "_beta_z", "_zin" */
	LIB_SCAN,     /* "scan": input "_x", output "_y" (WCR none): subsets of one rank and
			 equal extents; _y = the running lib.combine (sum: np.cumsum, prod:
			 np.cumprod) of _x along subset dimension lib.axis, left to right in
			 _y's dtype (each element of _x converted to it); _x and _y of one
			 container have equal subsets (in place). docs/ir.md */
	LIB_COUNT
} LibOp;
const char *ir_libop_name(LibOp op);
bool ir_libop_from_name(const char *s, LibOp *out);

typedef struct IrConn {
	const char *name;
	DType dtype;
} IrConn;

typedef struct IrNode {
	IrNodeKind kind;
	int id;              /* == index in the state's node array */
	SrcLoc loc;
	const char *label;   /* stable name for maps ("map_L7"); NULL for others */
	union {
		struct {            /* IRN_ACCESS */
			const char *data;        /* container name */
		} access;
		struct {            /* IRN_TASKLET */
			int nin;
			IrConn *in;              /* input connectors */
			IrConn out;              /* the single output connector */
			IrExpr *expr;            /* reads EX_IN of input connectors, EX_SYM */
			int nout_index;          /* 0: the output is one element */
			IrExpr **out_index;      /* else the element written: one integer
						    index per dimension of the output
						    memlets' subset, from its start
						    (over connectors and symbols, as expr) */
		} tasklet;
		struct {            /* IRN_MAP_ENTRY */
			int nparams;
			const char **params;     /* parameter names (symbols in scope) */
			SymRange *ranges;        /* one per param */
			Schedule schedule;
			int simd;                /* 0: plain loops; 1: `omp simd` on the loop of
						    the last param (vectorize); N > 1: with
						    simdlen(N) */
			int unroll;              /* 0 or 1: none; U > 1: the first param's
						    loop steps by U and its body holds U
						    iterations, their common
						    subexpressions computed once
						    (unroll-and-jam) */
			int exit;                /* id of the matching IRN_MAP_EXIT */
		} map;
		struct {            /* IRN_MAP_EXIT */
			int entry;               /* id of the matching IRN_MAP_ENTRY */
		} mapexit;
		struct {            /* IRN_LIBRARY */
			LibOp op;
			const char *impl;        /* chosen expansion: "naive" (default), "blas" */
			bool trans[2];           /* matmul: operand _a / _b is read transposed
						    (a 2-D view of its memlet with the two
						    dimensions swapped; docs/ir.md) */
			int axis;                /* scan: the subset dimension it runs along */
			Wcr combine;             /* scan: WCR_SUM or WCR_PROD; WCR_NONE for
						    other ops */
		} lib;
	};
} IrNode;

typedef struct IrMemlet {
	int id;                 /* == index in the state's memlet array */
	int src, dst;           /* node ids */
	const char *src_conn;   /* NULL when the node has no connector here (access nodes) */
	const char *dst_conn;
	const char *data;       /* container moved; NULL for an empty (ordering) memlet */
	Subset subset;          /* elements of `data` moved */
	Wcr wcr;                /* write-conflict resolution of a write; WCR_NONE otherwise */
	SrcLoc loc;
} IrMemlet;

typedef struct IrState {
	const char *name;       /* stable name "state_L7" */
	SrcLoc loc;
	VEC(IrNode) nodes;
	VEC(IrMemlet) memlets;
} IrState;

/* ---- structured control flow ---- */

typedef enum IrBlockKind {
	CF_STATE,     /* state */
	CF_FOR,       /* for var in range(start, stop, step): body; step nonzero, symbolic too */
	CF_WHILE,     /* while cond: body */
	CF_IF,        /* if conds[0]: bodies[0] elif conds[1]: bodies[1] ... else: orelse */
	CF_BREAK,
	CF_CONTINUE,
	CF_RETURN,    /* return values were written to the __return* containers */
	CF_ASSIGN,    /* sym = value, in program order (an interstate assignment):
			 sym is a fresh name, assigned by one block of the program,
			 in scope in the blocks after it in its block list; the
			 value is a Sym or read from a 0-d integer container
			 (an integer computed at run time). Transient shapes may
			 use sym (allocated where it is assigned) */
} IrBlockKind;

typedef struct IrBlock IrBlock;
typedef VEC(IrBlock *) IrBlockList;

struct IrBlock {
	IrBlockKind kind;
	SrcLoc loc;
	const char *name;       /* stable name: "loop_L6" for loops, state name for states, "if_L9" */
	union {
		IrState *state;                       /* CF_STATE */
		struct {                              /* CF_FOR */
			const char *var;
			Sym *start, *stop, *step;
			IrBlockList body;
			bool parallel;  /* iterations run in parallel (passes/
					   loop_parallel.c proved them independent):
					   step a nonzero constant, no break, continue
					   or return of the loop in the body */
			bool even;      /* parallel, and the iterations do about the
					   same work: the backend splits them into
					   one contiguous share per thread (run-
					   blocking's blocks, loop-parallelize's
					   uniform loops) instead of handing them
					   out a few at a time */
		} loop;
		struct {                              /* CF_WHILE */
			IrExpr *cond;   /* over symbols (EX_SYM) and scalar containers (EX_IN) */
			IrBlockList body;
		} wloop;
		struct {                              /* CF_IF */
			int n;
			IrExpr **conds;
			IrBlockList *bodies;
			IrBlockList orelse;
		} branch;
		struct {                              /* CF_ASSIGN */
			const char *sym;
			Sym *value;     /* over the symbols in scope; NULL when data is set */
			const char *data;   /* NULL, or an integer (or bool) 0-d container:
					       sym = max(data, 0), or max(-data, 0) when
					       negate (symbols are >= 0), its value when
					       the block runs */
			bool negate;
		} assign;
	};
};

/* ---- programs ---- */

typedef enum Storage {
	STORAGE_HOST,       /* "host" (default) */
	STORAGE_REGISTER,   /* "register": a scalar local */
	STORAGE_DEVICE,     /* "device" */
	STORAGE_STACK,      /* "stack": a transient array of constant size,
			       a local array of the generated function */
	STORAGE_COUNT
} Storage;
const char *ir_storage_name(Storage s);
bool ir_storage_from_name(const char *s, Storage *out);

/* How long a transient array on the heap (storage host) keeps its
 * allocation. Only the OpenMP backend's heap arrays take "handle". */
typedef enum Lifetime {
	LIFETIME_CALL,      /* "call" (default): allocated and freed in every call */
	LIFETIME_HANDLE,    /* "handle": a buffer of the caller's handle, grown when a
			       call needs more and reused by the next calls */
	LIFETIME_COUNT
} Lifetime;
const char *ir_lifetime_name(Lifetime l);
bool ir_lifetime_from_name(const char *s, Lifetime *out);

typedef enum ContainerRole {
	ROLE_TRANSIENT,     /* "transient": local to one call */
	ROLE_ARGUMENT,      /* "argument": passed by the caller (arrays in place) */
	ROLE_RETURN,        /* "return": output the caller allocates and receives
			       (the kernel allocates it when its shape uses
			       symbols assigned at the body's top level) */
} ContainerRole;

typedef struct IrContainer {
	const char *name;
	DType dtype;
	int ndim;            /* 0 for a scalar */
	Sym **shape;         /* ndim extents */
	Sym **strides;       /* ndim strides in elements; row-major by default */
	Storage storage;
	ContainerRole role;
	Lifetime lifetime;   /* LIFETIME_HANDLE only for a host array transient */
	SrcLoc loc;
} IrContainer;

typedef enum ArgKind {
	ARG_DATA,           /* a container (array or scalar), role argument */
	ARG_SYMBOL,         /* a size symbol or integer scalar argument */
} ArgKind;

typedef struct IrArg {
	ArgKind kind;
	const char *name;
} IrArg;

typedef struct IrHistory {
	const char *transformation;   /* catalogue name */
	const char *site;             /* stable name(s), comma separated */
	const char *params;           /* "tile: [32, 64]" or "" */
} IrHistory;

/* A run-time precondition the program was compiled under: expr >= 0 for
 * the size symbols of a call (e.g. N - 2 >= 0 for a slice A[1:-1] whose
 * shapes are computed without clamping). Callers (the Python wrapper, the
 * harness) check them before calling and raise an error naming loc. */
typedef struct IrAssume {
	Sym *expr;
	SrcLoc loc;
} IrAssume;

typedef struct IrProgram {
	const char *name;
	SrcLoc loc;
	VEC(const char *) symbols;    /* size symbols (free symbols of the program) */
	VEC(IrContainer) containers;
	VEC(IrArg) args;              /* the source signature's order */
	VEC(const char *) returns;    /* return containers in order (__return, __return_1, ...) */
	IrBlockList body;
	VEC(IrHistory) history;
	VEC(IrAssume) assumes;        /* preconditions on the size symbols */
} IrProgram;

typedef struct IrModule {
	const char *name;             /* file stem: "jacobi2d" */
	const char *source;           /* source file path, "" if unknown */
	VEC(IrProgram *) programs;
} IrModule;

/* ---- build.c ---- */

IrModule *ir_module_new(Ctx *ctx, const char *name, const char *source);
IrProgram *ir_program_new(Ctx *ctx, IrModule *m, const char *name, SrcLoc loc);
void ir_program_add_symbol(Ctx *ctx, IrProgram *p, const char *name);
bool ir_program_has_symbol(const IrProgram *p, const char *name);
/* Records the precondition expr >= 0 (nothing if an earlier one implies it
 * or it is provably true). */
void ir_program_assume(Ctx *ctx, IrProgram *p, Sym *expr, SrcLoc loc);
/* Adds a container with row-major strides; returns its index. */
int ir_program_add_container(Ctx *ctx, IrProgram *p, const char *name, DType t,
			     int ndim, Sym **shape, ContainerRole role, SrcLoc loc);
IrContainer *ir_program_find_container(const IrProgram *p, const char *name);
/* True for C keywords and names C reserves (__x, _X), which generated C
 * cannot use as identifiers. */
bool ir_is_c_keyword(const char *s);
/* A name not used by any container or symbol of p, and no C keyword:
 * base, base_1, base_2... */
const char *ir_program_fresh_name(Ctx *ctx, const IrProgram *p, const char *base);
Sym **ir_strides_row_major(Arena *a, int ndim, Sym **shape);

IrState *ir_state_new(Ctx *ctx, const char *name, SrcLoc loc);
int ir_state_add_access(Ctx *ctx, IrState *s, const char *data, SrcLoc loc);
int ir_state_add_tasklet(Ctx *ctx, IrState *s, int nin, IrConn *in, IrConn out,
			 IrExpr *expr, SrcLoc loc);
/* Makes tasklet id write the element out_index[0..n) of its output
 * memlets' subset (see IrNode.tasklet.out_index). */
void ir_tasklet_set_out_index(Ctx *ctx, IrState *s, int id, int n, IrExpr **out_index);
/* Does tasklet n read or write at data-dependent indices (an EX_LOAD in
 * its expression, or an output index)? Passes that rewrite tasklet
 * expressions refuse such tasklets unless they handle both. */
bool ir_tasklet_is_indirect(const IrNode *n);
/* Adds an entry and its exit; returns the entry id (exit is entry's map.exit). */
int ir_state_add_map(Ctx *ctx, IrState *s, const char *label, int nparams,
		     const char **params, SymRange *ranges, Schedule sched, SrcLoc loc);
int ir_state_add_library(Ctx *ctx, IrState *s, LibOp op, SrcLoc loc);
int ir_state_add_memlet(Ctx *ctx, IrState *s, int src, const char *src_conn,
			int dst, const char *dst_conn, const char *data,
			Subset subset, Wcr wcr, SrcLoc loc);
/* The memlet carrying data into node id on input connector conn (out:
 * out of it, on output connector conn), or NULL. */
const IrMemlet *ir_state_conn_memlet(const IrState *s, int id, const char *conn, bool out);
/* The map entry whose scope directly contains node id, or -1 (top level).
 * Node n is in the scope of entry E when n != E and n is reachable from E
 * without passing E's exit (the exit is in the scope around E). So a node
 * inside a map that reads no data (a tasklet writing a constant) needs an
 * empty memlet (data NULL) from the entry. */
int ir_state_scope_of(const IrState *s, int node);
/* Node ids in a topological order (stable: the smallest ready id first).
 * ICE on a cycle: call ir_state_is_acyclic first on unverified IR. */
int *ir_state_topo_order(Arena *a, const IrState *s);
/* False if the memlets make a cycle (memlets naming missing nodes are
 * ignored). Verify checks this before anything computes a topo order. */
bool ir_state_is_acyclic(const IrState *s);
/* The last value a parameter takes over range r (nonempty): begin +
 * ((end - 1 - begin) // step) * step, end - 1 for a unit step. */
Sym *ir_range_last(Arena *a, const SymRange *r);
/* A way to see the one-parameter map at node `entry` of a state: its
 * parameter `param` at the value `at` alone, or (at NULL) over the range
 * `rest`. */
typedef struct IrView {
	int entry;
	const char *param;
	Sym *at;
	const SymRange *rest;
} IrView;
/* Do access x of tasklet tx of state sx (its memlet's subset; the maps
 * around tx seen through vx, or as they are when vx is NULL) and access y
 * of tasklet ty of sy touch different elements, over every iteration of
 * the maps around each? True only when some dimension's indices provably
 * share no value (ir/elements.c); false when dfc cannot tell. */
bool ir_accesses_disjoint(Arena *a, const IrState *sx, int tx, const Subset *x, const IrView *vx,
			  const IrState *sy, int ty, const Subset *y, const IrView *vy);
/* Does subset sub, which tasklet t of s accesses, name only the
 * parameters of the maps around t and the program's size symbols, so that
 * it is the same set of elements whenever the state runs? (Not so for a
 * loop's variable: pascal's row i, which reads row i - 1, is read by the
 * next iteration.) */
bool ir_access_fixed(Arena *a, const IrProgram *p, const IrState *s, int t, const Subset *sub);
/* ir_state_scope_of for every node at once: scopes[id] is the innermost
 * map entry containing node id, or -1. */
int *ir_state_scopes(Arena *a, const IrState *s);
/* members[id] is true for every node in the scope of map entry `entry`
 * (nested scopes included; neither the entry nor its exit). */
bool *ir_state_scope_members(Arena *a, const IrState *s, int entry);
/* Calls f(state, its block, ud) for every state of l, in program order,
 * into the bodies of loops and the branches of ifs. */
void ir_foreach_state(const IrBlockList *l, void (*f)(IrState *s, IrBlock *b, void *ud),
		      void *ud);
/* Is node `to` reached from node `from` by memlets whose every node after
 * `from` has within[node] (every node, with within NULL)? A node reaches
 * itself. Scratch from a. */
bool ir_state_reaches(Arena *a, const IrState *s, const bool *within, int from, int to);

IrBlock *ir_block_state(Ctx *ctx, IrState *s);
IrBlock *ir_block_new(Ctx *ctx, IrBlockKind kind, const char *name, SrcLoc loc);
/* Does a CF_ASSIGN block of l (nested ones included) assign `name`? */
bool ir_list_assigns(const IrBlockList *l, const char *name);
/* A CF_ASSIGN of sym from the 0-d integer container data (negate: from
 * its negation), clamped at 0. */
IrBlock *ir_block_assign_from(Ctx *ctx, const char *sym, const char *data, bool negate,
			      SrcLoc loc);
/* The text of a CF_ASSIGN's value, as the text and DOT dumps print it:
 * the Sym, or "max(in:x, 0)" / "max(-in:x, 0)" for a container. */
char *ir_assign_value_text(Arena *a, const IrBlock *b);

/* ---- matmul.c: the operands of a matmul library node ---- */

/* A matmul operand or output as a 1-D/2-D array: element (x, y) is at
 * linear offset base + x*str[0] + y*str[1] of container c (IR names). */
typedef struct IrMatOperand {
	const IrMemlet *m;   /* the memlet on its connector (_a, _b, _c) */
	const IrContainer *c;
	int rank;            /* 0, 1 or 2 */
	Sym *base;
	Sym *ext[2];
	Sym *str[2];
} IrMatOperand;

enum { IR_MATMUL_NPATS = 4 };
/* Sees the operands of matmul node `id` of s as arrays and returns their
 * rank pattern: 0 for 2@2->2, 1 for 2@1->1, 2 for 1@2->1, 3 for 1@1->0;
 * IR_MATMUL_NPATS when they fit none, -1 when a connector has no memlet
 * or container. */
int ir_matmul_operands(Arena *a, const IrProgram *p, const IrState *s, int id, IrMatOperand v[3]);
/* The memlet into matmul node `id` on input connector conn, or NULL. Besides
 * _a and _b a matmul may read "_alpha" (one element: the product is scaled
 * by it) and "_beta" with "_cin" (one element, and the output's old value:
 * same container and subset as _c, whose WCR is then none): _c becomes
 * alpha*(a@b) + beta*cin. Without _beta, WCR none overwrites (beta 0) and
 * WCR sum accumulates (beta 1). */
const IrMemlet *ir_matmul_input(const IrState *s, int id, const char *conn);
/* The scale factor of operand k (0: _a, 1: _b) of matmul node `id`, or
 * NULL: one element read on "_scale_a" / "_scale_b", by which each element
 * of the operand is multiplied as it is read ((s*A) @ x), or on "_div_a" /
 * "_div_b" (*div set), by which each is divided (A / s), in the operand's
 * dtype; at most one of the two per operand. It applies to the operand as
 * its memlet reads it, before any transposition (lib.trans). */
const IrMemlet *ir_matmul_operand_scale(const IrState *s, int id, int k, bool *div);
/* Does matmul node `id` read any scale factor (_alpha, _beta or an operand
 * scale)? Passes that rewrite a matmul into something else refuse it. */
bool ir_matmul_is_scaled(const IrState *s, int id);

/* ---- verify.c ---- */

/* Checks every invariant: unique names; memlets reference existing nodes,
 * containers and connectors; subsets have the container's rank; states are
 * acyclic; map entries/exits pair up and scopes nest; tasklet expressions
 * read only their connectors and symbols in scope; break/continue only in
 * loops; dtypes consistent (EX_OP dtypes as ir_op_result_dtype gives,
 * EX_IN as its connector/container); names of programs, symbols,
 * containers, connectors, map parameters and loop variables are C
 * identifiers. Reports each violation as an error ("IR verification
 * failed: ...") at the offending node's location and returns false if
 * any. Never crashes on malformed IR (dangling ids, NULLs, bad enums). */
bool ir_verify(Ctx *ctx, const IrModule *m);
/* The first break or continue of the loop whose body is l (nested: of a
 * loop nested in that one, which do not count), or return, in l; NULL
 * when none. A parallel loop may hold none. */
const IrBlock *ir_loop_jump(const IrBlockList *l, bool nested);

/* ---- yaml.c, text.c, dot.c ---- */

/* Complete YAML form; the exact schema is documented in docs/ir.md. */
char *ir_dump_yaml(Ctx *ctx, const IrModule *m);
/* Loads a YAML dump; on malformed input reports located errors
 * (file:line:col from libyaml marks) and returns NULL. */
IrModule *ir_load_yaml(Ctx *ctx, const char *filename, const char *text, size_t len);
char *ir_dump_text(Ctx *ctx, const IrModule *m);
char *ir_dump_dot(Ctx *ctx, const IrModule *m);
/* Container roles as dumps spell them: "transient", "argument", "return". */
const char *ir_role_name(ContainerRole r);
bool ir_role_from_name(const char *s, ContainerRole *out);

#endif
