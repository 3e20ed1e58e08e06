/* frontends/python/lower.h — shared state of the lowering (private to the
 * Python frontend).
 *
 * Lowering walks a kernel's AST with an environment of Python names bound to
 * Values. A Value is what a Python expression denotes at compile time:
 *   V_ARRAY  a view of a container (a whole array, a slice, a transpose);
 *   V_EXPR   a lazy elementwise computation over a shape: an IrExpr whose
 *            EX_IN leaves are reads of containers at symbolic indices in
 *            terms of the iteration symbols _i0.._i{n-1}. Lazy values are
 *            materialised (into a map and a tasklet) when assigned, so a
 *            whole NumPy expression becomes one map: no temporaries;
 *   V_SYM    a symbolic integer (size symbols, loop variables, shapes);
 *   V_CONST  a Python literal;
 *   V_TUPLE  a tuple of values; V_MODULE the numpy module; V_NONE None.
 * Scalars (0-d) are V_EXPR with ndim 0, or V_ARRAY of a 0-d container.
 *
 * Files: lower.c (scopes, assignments, statements, control flow,
 * expressions), lower_func.c (kernels, inlined helpers), lower_expr.c
 * (values, broadcasting, elementwise materialisation), lower_sym.c
 * (symbolic integers over loops, integers computed at run time),
 * lower_index.c (subscripts), lower_np.c (NumPy functions, reductions,
 * matmul, creation), lower_shape.c (shape functions, argmin/argmax, ufunc
 * methods), lower_view.c (results NumPy makes views and dfc copies,
 * writes through reshapes), lower_mask.c, lower_einsum.c, lower_return.c.
 */
#ifndef DFC_LOWER_H
#define DFC_LOWER_H

#include "py.h"

enum { MAX_DIMS = 16 };

typedef enum ValueKind {
	V_ARRAY, V_EXPR, V_SYM, V_CONST, V_TUPLE, V_MODULE, V_NONE, V_DTYPE,
	V_MASKED,
} ValueKind;

/* How one dimension of a container is reached from a view:
 * index = start + step * _i<vdim>, or the fixed index `start` when vdim < 0. */
typedef struct DimMap {
	int vdim;
	Sym *start, *step;
} DimMap;

/* A read of a container inside a lazy expression: the tasklet input `conn`
 * reads data[idx[0], ..., idx[ndim-1]]. When `range` is set, the read
 * covers the whole extent of each dimension d with range[d] (idx[d] is
 * then unused) and the expression reads its elements with EX_LOADs of
 * `conn`: a data-dependent (indirect) read. */
typedef struct Read {
	const char *conn;
	const char *data;
	int ndim;
	Sym **idx;
	bool *range;         /* NULL: one element */
} Read;

typedef struct Value Value;

/* Where a value read with data-dependent indices (x[idx], A[i, k] with k
 * computed at run time) comes from, so that it can be assigned to: per
 * dimension of container `data`, a static index idx[c] over the value's
 * iteration symbols, or (dyn[c] != NULL) a lazy int64 value over them,
 * already wrapped into [0, extent). */
typedef struct Indirect {
	const char *data;
	int cdim;
	Sym **idx;
	Value **dyn;
} Indirect;

struct Value {
	ValueKind kind;
	DType dtype;
	int ndim;            /* rank of the value (V_ARRAY: view rank) */
	Sym **shape;         /* ndim extents */
	SrcLoc loc;
	bool fresh;          /* V_ARRAY of a transient just made for this value */
	bool readonly;       /* V_ARRAY that NumPy makes read-only (np.diagonal) */
	/* V_ARRAY */
	const char *data;
	int cdim;            /* rank of the container */
	DimMap *map;         /* cdim entries */
	/* V_EXPR */
	IrExpr *expr;
	int nreads;
	Read *reads;
	Indirect *ind;       /* made by data-dependent indexing; NULL otherwise */
	Value *rsbase;       /* a reshape that a subscript target writes through
				(x.reshape(-1)[k] = v): the contiguous view x */
	/* V_SYM */
	Sym *sym;
	/* V_CONST: python literal (ival for bool/int, fval for float,
	 * fval + fimag*1j for complex128); V_MODULE: ival 1 for math, 0 for
	 * numpy */
	int64_t ival;
	double fval;
	double fimag;
	/* V_TUPLE; V_MASKED (a boolean-mask selection x[m], whose size is
	 * data-dependent): items[0] the values over the shape of x (the view
	 * x itself when it can be assigned to), items[1] the mask, of the
	 * shape of x's dimensions ival .. ival + items[1]->ndim - 1; shape: x's
	 * other dimensions around, at ival, the number of elements the mask
	 * covers (an upper bound of the selection's extent there) */
	int n;
	Value **items;
};

/* A Python name's binding. `var` is the container that holds the name's
 * value when the name is assigned more than once (NULL before the first
 * assignment, or for names bound once). */
typedef struct Binding {
	const char *name;
	Value *val;          /* NULL: not bound yet */
	const char *var;
	int nassign;         /* assignments to the name in its function */
	int naug;            /* augmented assignments (x op= ...) to the name */
	int depth;           /* control-flow depth where val was bound */
	bool loopvar;        /* a loop variable whose loop has ended */
	bool poisoned;       /* dfc check: assigned by a statement that failed */
	const char *from_loop; /* bound inside the loop of this variable to a
				  value computed from it: unusable after it */
	const char *scoped_out; /* bound to a value whose size or bounds are
				   an integer computed at run time in a block
				   that has ended: the error of a use, else NULL */
	bool byref;          /* assigned more than once but bound to a view of
				an array updated in place (no var: NumPy's
				reference semantics) */
	int region;          /* the block list (Lower.region) where var was
				made, or where a byref val was bound */
} Binding;

typedef struct Scope {
	VEC(Binding) b;
	struct Scope *parent;   /* helper scopes see nothing of the caller's */
	Value *retval;          /* helper: the value of its return statement */
	bool is_helper;
	VEC(const char *) inplace; /* names the function updates in place (A[...] = , A += ) */
} Scope;

typedef struct NameCount {
	char kind;           /* 's' state, 'm' map, 'l' loop, 'i' if */
	const char *label;   /* the user's label, or NULL: then counted per line */
	int line;
	int count;
} NameCount;

/* What a for loop tells about its variable: var in range(start, stop, step). */
typedef struct LoopFact {
	const char *var;
	Sym *start, *stop;
	int64_t step;        /* the step's direction: > 0 up, < 0 down, 0 when
				known only at run time (a symbolic step) */
} LoopFact;

typedef struct Lower {
	Ctx *ctx;
	Arena *a;
	PyModule *mod;
	IrModule *irm;
	IrProgram *p;
	Scope *scope;
	IrBlockList *blocks;     /* where statements append their blocks */
	int loop_depth;
	int depth;               /* nesting of loops and branches being lowered */
	int region;              /* the block list being lowered: 0 for a
				    kernel's body, a new number for each loop or
				    branch body (nregions counts them) */
	int nregions;
	VEC(int) region_parent;  /* [r]: the region around region r (r >= 1) */
	int stmt_line;           /* line of the statement being lowered; 0 if none */
	int inline_depth;
	bool check;              /* dfc check: report every problem, recovering */
	int helper_loops;        /* loops[0..helper_loops) belong to the callers
				    of the helper being inlined */
	VEC(PyStmt *) helpers;   /* module-level defs without a signature */
	VEC(const char *) np_names; /* names bound to the numpy module */
	VEC(NameCount) names;    /* stable-name counters of the program */
	VEC(LoopFact) loops;     /* enclosing for loops (innermost last) */
	VEC(IrState *) states;   /* every state of the program so far */
	VEC(const char *) rtsyms; /* symbols assigned from integers computed at
				    run time (CF_ASSIGN), in scope here */
	VEC(const char *) rtall;  /* every such symbol of the program */
	bool inplace;            /* lowering the operation of an array's x op= y */
	bool comparing;          /* lowering compare_scalar's own comparison */
} Lower;

/* lower.c */
const char *lw_stable_name(Lower *L, char kind, SrcLoc loc);
Binding *lw_lookup(Lower *L, const char *name);
void lw_append(Lower *L, IrBlock *b);
/* Opens `for v in range(n)` (v a fresh name from prefix) in the current
 * block list and makes its body current; returns v. The caller restores
 * L->blocks and pops the loop fact (L->loops.len--). */
Sym *lw_open_loop(Lower *L, const char *prefix, Sym *n, SrcLoc loc);
IrState *lw_new_state(Lower *L, SrcLoc loc);
_Noreturn void lw_unsupported(Lower *L, SrcLoc loc, const char *what);
Value *lw_eval(Lower *L, PyExpr *e);
/* The binding of name in scope s itself (not its parents), or NULL. */
Binding *lw_scope_find(Scope *s, const char *name);
/* The binding of name in the current scope, made (unbound) if absent. */
Binding *lw_local_binding(Lower *L, const char *name);
/* Counts the assignments to each name in body (into the current scope's
 * bindings) and notes the names updated in place. */
void lw_count_assignments(Lower *L, PyStmtList *body);
/* Lowers statement s (last: the last statement of a helper's body); in
 * dfc check mode an error abandons s alone and poisons the names it
 * assigns. */
void lw_lower_stmt(Lower *L, PyStmt *s, bool last);
/* lw_lower_stmt of each statement of body, none of them last. */
void lw_lower_stmts(Lower *L, PyStmtList *body);
/* Abandons the statement being checked without a new diagnostic (it reads
 * a name whose statement failed). Only in check mode. */
_Noreturn void lw_bail_silently(Lower *L);

/* lower_func.c */
/* The value of `call`, a call of helper def, whose body is inlined here
 * in a scope of its own (V_NONE when it returns nothing). */
Value *lw_call_helper(Lower *L, PyStmt *def, PyExpr *call);

/* lower_einsum.c */
/* np.einsum(subscripts, *operands) (call is the whole call). */
Value *lw_einsum(Lower *L, PyExpr *call);
/* x @ y when an operand has more than 2 axes: stacks of matrices with
 * NumPy's broadcasting of the leading axes. */
Value *lw_matmul_batched(Lower *L, Value *x, Value *y, SrcLoc loc);

/* lower_return.c */
/* The body to lower for helper def: def's own body, *nret = -1, when it
 * returns only at its end; otherwise a rewritten body without returns that
 * assigns its *nret result values to the names (*ret)[0..nret) (nret 0: the
 * helper returns nothing). */
PyStmtList *lw_helper_body(Lower *L, PyStmt *def, int *nret, const char ***ret);

/* lower_expr.c */
/* A fresh array of the given shape. When the shape changes with the
 * enclosing loops, the container is allocated at its upper bound and the
 * value is a view of its leading part. */
Value *lw_new_array(Lower *L, const char *base, DType t, int ndim, Sym **shape, SrcLoc loc);
Value *lw_value_new(Lower *L, ValueKind k, SrcLoc loc);
Value *lw_const_int(Lower *L, int64_t v, SrcLoc loc);
Value *lw_const_float(Lower *L, double v, SrcLoc loc);
/* The Python complex literal re + im*1j (dtype complex128). */
Value *lw_const_complex(Lower *L, double re, double im, SrcLoc loc);
Value *lw_sym_value(Lower *L, Sym *s, SrcLoc loc);
Value *lw_array_value(Lower *L, const char *data, SrcLoc loc);
bool lw_is_scalar(const Value *v);
bool lw_is_numeric(const Value *v);
Value *lw_to_expr(Lower *L, Value *v);
Value *lw_cast(Lower *L, Value *v, DType t);
/* lw_cast, where a complex value cast to a real dtype first warns at loc
 * that the imaginary part is discarded (NumPy's ComplexWarning). */
Value *lw_cast_at(Lower *L, Value *v, DType t, SrcLoc loc);
Value *lw_broadcast_to(Lower *L, Value *v, int ndim, Sym **shape, SrcLoc loc);
bool lw_broadcast_shapes(Lower *L, Value *x, Value *y, int *ndim, Sym ***shape);
/* NumPy's broadcasting of the shapes (nx, sx) and (ny, sy) into (*n,
 * *out); false if they do not broadcast. */
bool lw_broadcast2(Lower *L, int nx, Sym **sx, int ny, Sym **sy, int *n, Sym ***out);
DType lw_result_dtype(const Value *x, const Value *y);
Value *lw_binary(Lower *L, IrOp op, Value *x, Value *y, SrcLoc loc, const char *opname);
Value *lw_unary(Lower *L, IrOp op, Value *x, SrcLoc loc);
Value *lw_where(Lower *L, Value *c, Value *x, Value *y, SrcLoc loc);
const char *lw_new_transient(Lower *L, const char *base, DType t, int ndim, Sym **shape, SrcLoc loc);
/* Writes v into the view `dst` (a V_ARRAY), with broadcasting and dtype
 * conversion; wcr != WCR_NONE accumulates. Reads of dst's container at other
 * positions go through a temporary first (NumPy evaluates the right-hand
 * side before assigning). */
void lw_store(Lower *L, Value *dst, Value *v, Wcr wcr, SrcLoc loc);
/* A fresh container holding v's value (v materialised). */
Value *lw_materialize(Lower *L, Value *v, const char *base);
/* The condition of an if/while as an IrExpr over scalar containers and
 * symbols; NULL when it reads array elements (then materialise first). */
IrExpr *lw_cond_expr(Lower *L, Value *v);
const char *lw_shape_str(Lower *L, int ndim, Sym **shape);
/* The lazy value e (V_EXPR) with its iteration symbols _i<j> (j < n)
 * renamed to to[j], simultaneously: another iteration symbol, or a constant
 * index for a broadcast axis. Shape and rank are the caller's to set. */
Value *lw_remap_iters(Lower *L, Value *e, int n, Sym **to);
IrExpr *lw_expr_from_sym(Lower *L, Sym *s);
/* Emits the accumulation of e (over e's full shape) into data[idx], where
 * idx is in e's iteration symbols _i<d>: the state of a reduction. */
void lw_emit_reduction(Lower *L, const char *data, Sym **idx, Value *e, Wcr wcr, SrcLoc loc);
/* Can v be assigned to (x[...] = v, x[...] += v)? Views, data-dependent
 * indexing and boolean-mask selections. */
bool lw_is_store_target(const Value *v);

/* The iteration symbol _i<d> of lazy values. */
Sym *lw_iter_sym(Lower *L, int d);
/* Is s the constant 1? */
bool lw_is_one(const Sym *s);
/* Are m1 and m2 the same mask (the same value, or the same view)? */
bool lw_same_mask(Arena *arena, const Value *m1, const Value *m2);

/* lower_sym.c */
/* x <= y for every value of the enclosing loop variables (affine case:
 * each variable is replaced by the end of its range that makes y - x
 * smallest), for every value of the size symbols >= 0. */
bool lw_provable_le(Lower *L, Sym *x, Sym *y);
/* x == y: provably, or recorded as preconditions of the call (x - y >= 0
 * and y - x >= 0, checked by the callers, which raise ValueError as NumPy
 * does on mismatched shapes) when both are over size symbols only and not
 * two distinct size symbols (a signature that names them differently
 * means them to differ); false otherwise (the caller reports it). */
bool lw_require_equal(Lower *L, Sym *x, Sym *y, SrcLoc loc);
/* An upper bound of the extent s over the enclosing loops' ranges, in
 * size symbols only; NULL if none is found (s not affine in them). */
Sym *lw_upper_bound(Lower *L, Sym *s);
/* v as a symbolic integer. An integer computed at run time (a 0-d int
 * array or scalar) is materialised, and symbols are assigned from it
 * (CF_ASSIGN, in scope for the rest of the current block list): x_pos -
 * x_neg, each clamped at 0 (x_pos alone for unsigned and bool values). */
Sym *lw_as_sym(Lower *L, Value *v, SrcLoc loc, const char *what);
/* lw_as_sym for an array size: a negative size computed at run time
 * gives an empty array (NumPy raises ValueError). */
Sym *lw_as_size(Lower *L, Value *v, SrcLoc loc, const char *what);
/* The direction of a loop of range() step s: 1, -1, or 0 when known only
 * at run time; records the preconditions a step over integer parameters
 * needs (nonzero), and reports a constant 0. */
int lw_range_step_sign(Lower *L, Sym *s, SrcLoc loc);
/* Is v an integer (or bool) computed at run time (a 0-d value that is
 * no literal and no symbol)? */
bool lw_is_runtime_int(const Value *v);
/* Is name a symbol assigned from a run-time integer, in scope here? */
bool lw_is_runtime_sym(Lower *L, const char *name);
/* The first variable of s that is no symbol of the program (size
 * symbols, integer parameters): a loop variable or a symbol assigned from
 * a run-time integer; NULL if none. */
const char *lw_non_program_var(Lower *L, Sym *s);
/* The first variable of s that changes inside the current block list (no
 * size symbol, no symbol assigned from a run-time integer in scope: loop
 * variables), or NULL. */
const char *lw_unfixed_var(Lower *L, Sym *s);
/* Assumes x >= 0 of the call (ir_program_assume) when x at its smallest
 * over the enclosing loops' ranges is a natural precondition, "the sizes
 * are large enough" (over size symbols and integer parameters only, a
 * term with a positive coefficient, no modulo, a constant term >= -16);
 * false, assuming nothing, otherwise. */
bool lw_assume_natural(Lower *L, Sym *x, SrcLoc loc);
/* Assumes lo <= x <= hi of the call (the wrapper checks it) for every
 * value of the enclosing loop variables, where x is over size symbols,
 * integer parameters and loop variables; false, assuming nothing, when x
 * names an integer computed at run time. */
bool lw_assume_between(Lower *L, Sym *x, int64_t lo, int64_t hi, SrcLoc loc);

/* lower_index.c */
/* base[e] (e a PE_SUBSCRIPT): a view for slices, integers, None and
 * '...'; a gather (Value.ind) for data-dependent indices; a V_MASKED
 * selection for a boolean mask. Also a tuple's item (t[k]). */
Value *lw_subscript(Lower *L, Value *base, PyExpr *e);
/* A read of the elements of `ind` through one EX_LOAD, over (ndim, shape):
 * a store target (Value.ind). */
Value *lw_gather_value(Lower *L, Indirect *ind, DType t, int ndim, Sym **shape, SrcLoc loc);
/* A view as a memlet subset (no transposes); false if it is not one. */
bool lw_view_subset(Lower *L, const Value *v, Subset *out);

/* lower_mask.c: boolean-mask selections (V_MASKED) */
/* np.sum(x[m]) and the other reductions of a boolean-mask selection (all
 * elements: axis None or 0): the reduction of np.where(m, x, identity);
 * the mean divides by the count of m. boolean: np.any/np.all. */
Value *lw_masked_reduce(Lower *L, Wcr op, bool mean, bool boolean, Value *x, PyExpr *axis,
			bool keepdims, SrcLoc loc);
/* The selection sel as a new array of its data-dependent size (NumPy's
 * x[m] is a copy): where a selection is bound to a name or used other
 * than elementwise, in a reduction or as an assignment target. */
Value *lw_masked_keep(Lower *L, Value *sel, SrcLoc loc);
/* The selection by m's mask of `values` (over m's base shape). */
Value *lw_masked_like(Lower *L, const Value *m, Value *values);
/* x op y where x or y is a selection; the other must broadcast over it. */
Value *lw_masked_binary(Lower *L, IrOp op, Value *x, Value *y, SrcLoc loc, const char *opname);
/* dst[m] = v (dst a selection): dst's base = np.where(m, v, base). */
void lw_store_masked(Lower *L, Value *dst, Value *v, Wcr wcr, SrcLoc loc);

/* lower_np.c */
/* The keyword argument `name` of a call, or NULL. */
PyExpr *lw_kwarg(PyExpr *call, const char *name);
/* Checks that a call to fname has min..max positional arguments, none
 * starred, and only keywords from kws (NULL-terminated; NULL: none). */
void lw_check_args(Lower *L, PyExpr *call, const char *fname, int min, int max,
		   const char *const *kws);
/* The dtype that expression e names (np.float64, float, x.dtype) into *t;
 * false when e is NULL, a located error when it names no dtype. */
bool lw_dtype_of(Lower *L, PyExpr *e, DType *t);
Value *lw_call(Lower *L, PyExpr *call);
/* The argument that call e updates in place (a in np.add.at(a, idx, b)),
 * or NULL: the statements' pre-pass counts it as written in place. */
PyExpr *lw_call_updated_arg(const PyExpr *e);
Value *lw_attr(Lower *L, PyExpr *e);
Value *lw_matmul(Lower *L, Value *x, Value *y, SrcLoc loc);
/* The view of x with dimension d fixed at index k (x[..., k, ...]). */
Value *lw_fix_dim(Lower *L, Value *x, int d, Sym *k, SrcLoc loc);
Value *lw_reduce(Lower *L, Wcr op, Value *x, PyExpr *axis, bool keepdims, SrcLoc loc);
/* lw_reduce over the dimensions d of x with red[d] set. */
Value *lw_reduce_dims(Lower *L, Wcr op, Value *x, const bool *red, bool keepdims, SrcLoc loc);

/* A write through a complex part: z.real, z.imag, np.real(z) or
 * np.imag(z) as an assignment target, alone or subscripted. */
typedef struct PartTarget {
	Value *view;         /* the elements of z written (a view, or a
				data-dependent or boolean-mask selection) */
	IrOp part;           /* OP_REAL or OP_IMAG */
	bool whole;          /* z.real = v (the attribute setter), not z.real[...] = v */
} PartTarget;
/* Is t a write through a complex part? Then fills *pt (evaluating z and
 * t's subscripts), after reporting what NumPy refuses (.imag of a real
 * array, .real of a scalar or of a copy). */
bool lw_part_target(Lower *L, PyExpr *t, PartTarget *pt);
/* Does t write through a complex part (as lw_part_target, evaluating nothing)? */
bool lw_is_part_target(Lower *L, PyExpr *t);
/* The current value of the part (x.real op= y). */
Value *lw_part_value(Lower *L, const PartTarget *pt, SrcLoc loc);
/* Writes v (cast to the part's dtype) into the part: z = complex(v,
 * z.imag) or complex(z.real, v) at the elements of pt->view. */
void lw_store_part(Lower *L, const PartTarget *pt, Value *v, SrcLoc loc);

/* lower_view.c */
/* The value r of an expression e that NumPy computes as a view of x
 * (a reshape-like call `fname`, z.real) but dfc as a copy: refused with a
 * located error when the two could drift apart (written through, or kept
 * while x may be written in place); materialised when indexed right away. */
Value *lw_checked_view(Lower *L, Value *x, Value *r, PyExpr *e, const char *fname);
/* The reshape r of x (np.reshape, .ravel: call named fname) as the view
 * NumPy makes: a lazy read of x marked (r->rsbase) for a subscript target
 * around it to write through, when x is a C-contiguous view; refused
 * when written through otherwise; other uses as lw_checked_view. */
Value *lw_reshaped(Lower *L, Value *x, Value *r, PyExpr *call, const char *fname);
/* The elements of the array that the subscript target t of a reshape r
 * (r->rsbase set) writes: x.reshape(...)[items], a gather from x at the
 * reshape's index arithmetic (Value.ind). */
Value *lw_reshape_target(Lower *L, Value *r, PyExpr *t);
/* Is e a name bound to the numpy (or math) module? */
bool lw_is_np_name(Lower *L, PyExpr *e);

/* lower_shape.c */
/* A zeroed array of n Sym pointers (room for n + 1: never empty). */
Sym **lw_syms(Lower *L, int n);
/* The view of view x restricted to [off, off + len) along dimension d. */
Value *lw_narrow(Lower *L, Value *x, int d, Sym *off, Sym *len);
/* np.concatenate of n arrays along `axis` (dtypes promoted): a new array. */
Value *lw_concat(Lower *L, int n, Value **xs, int axis, SrcLoc loc);
/* Is s the constant c? */
bool lw_is_const(const Sym *s, int64_t c);
/* np.reshape, np.ravel, np.squeeze, np.expand_dims, np.broadcast_to,
 * np.concatenate/stack/hstack/vstack/column_stack, np.triu/tril, np.eye,
 * np.identity, np.array, np.fmin/fmax, np.argmin/argmax; NULL when fn is
 * none of them. */
Value *lw_shape_function(Lower *L, const char *fn, PyExpr *call);
/* The methods .reshape, .ravel, .flatten, .squeeze, .argmin, .argmax of
 * x; NULL when m is none of them. */
Value *lw_shape_method(Lower *L, Value *x, const char *m, PyExpr *call);
/* np.<uf>.outer / .reduce / .accumulate of the ufunc computing op with
 * nargs operands; anything else is reported as unsupported. */
Value *lw_ufunc_method(Lower *L, IrOp op, int nargs, const char *uf, const char *m, PyExpr *call);

#endif
