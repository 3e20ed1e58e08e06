/* codegen/openmp/matmul.c — library nodes: matmul, as naive loops or
 * CBLAS calls.
 *
 * The operands arrive on "_a" and "_b", the result leaves on "_c"; each
 * memlet's subset may be a slice of a bigger container (begin offsets,
 * steps and the container's strides are all honoured).
 *
 * Operand ranks. A subset dimension whose extent is provably 1 may be a
 * single index (A[i, 0:K]) or a length-1 slice (A[0:N, 0:1]); the IR does
 * not say which. The rank of each operand is therefore decided with the
 * output: the patterns 2-D@2-D -> 2-D, 2-D@1-D -> 1-D, 1-D@2-D -> 1-D and
 * 1-D@1-D -> 0-D are tried in that order; for each, an operand of rank r
 * uses all its dimensions of extent other than 1 plus, if it needs more,
 * its last extent-1 dimensions. The first pattern whose inner and outer
 * extents are known to be equal is taken, else the first whose extents
 * can be equal (not provably different).
 * (passes/library_expansion.c repeats this rule to decide where BLAS is
 * legal.)
 *
 * impl "naive": the loops accumulate in the output dtype (operands are
 * converted to it):
 *   2@2  i (parallel), then C[i,:] = 0 and for k: C[i,:] += A[i,k]*B[k,:]
 *        (j innermost, simd);
 *   2@1  i (parallel), a simd sum over k;
 *   1@2  one chunk of columns per thread (parallel), in blocks of 1024
 *        columns, k four rows at a time, then j (simd): each column
 *        sums its k in order, whatever the thread count;
 *   1@1  one sum over k (parallel for simd reduction).
 * The parallel loop has an `if(parallel: ... > DFCRT_PAR_MIN_WORK)`
 * clause so that small products do not pay for a fork. An output WCR of
 * sum accumulates into C; none overwrites.
 * Scale factors (ir_matmul_input): an _alpha input multiplies the sum
 * (2@1, 1@1, and 2@2, 1@2 when the output is overwritten without _beta:
 * a pass over the finished row or block, NumPy's alpha * (a @ b) even
 * where alpha is Inf) or else the A element as it is read; a _beta input
 * makes the first statement on an output element C = beta*C (or adds
 * beta*C to the sum). An operand scale (ir_matmul_operand_scale:
 * _scale_a, _div_b...) multiplies or divides each element of its operand
 * as it is read, in the operand's dtype, as NumPy's (s * A) @ x does.
 *
 * Transposed operands (lib.trans) arrive as views with swapped strides
 * (ir/matmul.c), which the loops above index like any view. A 2@1 or 1@2
 * product whose matrix view runs down its columns is first turned into
 * the other pattern over the matrix as stored (orient: A^T x = x @ A), so
 * that both impls read the matrix along its rows.
 *
 * impl "blas": one CBLAS call, cblas_[sd]gemm for 2@2, cblas_[sd]gemv for
 * 2@1 (NoTrans) and 1@2 (Trans: x @ B is B^T x), cblas_[sd]dot for 1@1,
 * all CblasRowMajor with alpha 1 (or the _alpha input) and beta 0 (WCR
 * none), 1 (WCR sum) or the _beta input. A gemm operand whose view runs
 * down the columns of its container is passed as stored with CblasTrans
 * and its column stride as leading dimension. A call with scale factors
 * runs only when they are nonzero (BLAS skips the product for alpha 0 and
 * ignores C for beta 0, where NumPy's 0*Inf is NaN), and, where alpha
 * scales finished sums, finite (an empty contraction gives NumPy's
 * NaN = Inf*0); else the naive loops. Operand scales join alpha (1 / s
 * for a division) when each, and alpha with them, is a normal number
 * (blas_scale); else the naive loops scale as they read.
 * A gemm (syrk's too) outside parallel regions is emitted twice: the
 * call, and dfc_gemm_<t>, the tiled loops of gemm.c, which run instead
 * when dfcrt_gemm_choose(openblas_get_corename()) says OpenBLAS has no
 * kernel for the processor (runtime/dfcrt.h; emit_tiled).
 * A gemm of a view A and the very view A^T (same container, base, swapped
 * extents and strides: NumPy's rule for calling syrk) into an output it
 * overwrites without _beta is cblas_[sd]syrk into C's upper triangle,
 * then a tiled loop mirrors it into the lower one (C is exactly
 * symmetric, as NumPy's is); half the multiply-adds. The calls run on
 * OpenBLAS's own threads; splitting a gemm over OpenMP's threads instead
 * (OpenBLAS set to one thread) was measured and loses on a loaded machine
 * (docs/transformations.md, library-expansion), so it is not done.
 * Pointers are the container plus the subset's first element; a 2-D
 * view's row stride is its leading dimension and a 1-D view's stride its
 * increment. It needs float32/float64 operands and output of one dtype,
 * row-major containers and 2-D views of unit stride along their rows (or,
 * for operands, down their columns); anything else is a located error.
 * BLAS takes `int` sizes: when a size, leading dimension or increment is
 * not known to fit, the call is guarded and the naive loops run when it
 * does not. Leading dimensions and
 * increments are clamped to at least 1 (and a leading dimension to at
 * least a row's length), which changes nothing for a non-empty view of a
 * row-major array and keeps BLAS's argument checks quiet for empty ones.
 * The file that calls BLAS includes <cblas.h> (cg_omp_uses_blas) and is
 * linked with -lopenblas (codegen/toolchain.c). <cblas.h> also brings in
 * complex.h (the macro I) and sched.h: cg_omp_blas_reserved lists the
 * names IR names are renamed away from.
 */
#include <string.h>

#include "emit.h"

/* x @ B (mm_12): columns per block of a thread's chunk, rows added at
 * once, and the multiple of columns a chunk starts at. */
enum { MM_BLOCK = 1024, MM_ROWS = 4, MM_ALIGN = 8 };

/* An operand seen as an up-to-2-D array (ir/matmul.c), its Syms in C
 * names (cg_omp_msym). */
typedef IrMatOperand View;

/* The scale factors of a matmul (the _alpha and _beta inputs) as C
 * expressions of the output's dtype, NULL when absent. With beta the
 * output's old value (the _cin input) is the element the loops write.
 * after: alpha scales the finished sums (an output overwritten without
 * beta), else each A element as it is read. */
typedef struct Scale {
	const char *alpha, *beta;
	bool after;
	const char *op[2];   /* the operand scale factors of v[0], v[1] (ir_matmul_operand_scale)
				in the operand's dtype, NULL when absent */
	bool div[2];         /* ... dividing each element rather than multiplying it */
} Scale;

static bool
is_unit(const Sym *s)
{
	int64_t v;
	return sym_is_const(s, &v) && v == 1;
}

/* C text of the element of v at (x, y) (y ignored for rank 1), converted
 * to dtype t. */
static char *
elem(OmpEmit *E, const View *v, const char *x, const char *y, DType t)
{
	Arena *a = E->a;
	Sym *idx = v->base;
	if (v->rank >= 1)
		idx = sym_add(a, idx, sym_mul(a, sym_var(a, x), v->str[0]));
	if (v->rank == 2)
		idx = sym_add(a, idx, sym_mul(a, sym_var(a, y), v->str[1]));
	cg_omp_mark_read(E, v->c->name);
	const char *n = cg_omp_cname(E, v->c->name);
	char *text = v->c->ndim == 0 ? (char *)n
				     : arena_printf(a, "%s[%s]", n, sym_print_c(a, idx));
	if (v->c->ndim == 0 && v->c->role == ROLE_RETURN)
		text = arena_printf(a, "%s[0]", n);
	return cg_omp_convert(E, text, v->c->dtype, t);
}

static char *
sym_c(OmpEmit *E, Sym *s)
{
	return sym_print_c(E->a, s);
}

/* Element (x, y) of operand k (0 or 1, the view v) as it is read: times
 * its scale factor, or divided by it, in the operand's own dtype (NumPy's
 * s * A, then the product), then converted to t. */
static char *
operand(OmpEmit *E, const Scale *sc, int k, const View *v, const char *x, const char *y,
	DType t)
{
	DType own = v->c->dtype;
	char *e = elem(E, v, x, y, own);
	if (sc->op[k])
		e = arena_printf(E->a, "(%s %s %s)", cg_omp_paren(E, e), sc->div[k] ? "/" : "*",
				 sc->op[k]);
	return cg_omp_convert(E, e, own, t);
}

/* "const R dfc_a = A(i, k);" style accumulate statement: lhs (+)= x*y. */
static char *
mac(OmpEmit *E, const char *lhs, DType t, const char *x, const char *y)
{
	if (t == DT_BOOL)
		return arena_printf(E->a, "%s = %s || (%s && %s);", lhs, lhs, x, y);
	return arena_printf(E->a, "%s += %s * %s;", lhs, x, y);
}

/* The pragma of the outer (parallel) loop, when one is allowed here; its
 * `if(parallel: ...)` asks for more than DFCRT_PAR_MIN_WORK (runtime/
 * dfcrt.h) n*k*m multiply-adds (rank-1 operands lack n or m). */
static void
par_for(OmpEmit *E, const View *v, const char *extra)
{
	Sym *work = v[1].rank == 2 ? v[1].ext[1] : sym_const(E->a, 1);
	for (int d = 0; d < v[0].rank; d++)
		work = sym_mul(E->a, work, v[0].ext[d]);
	cg_omp_par_for(E, extra, sym_c(E, work));
}

/* The first statement on an output element c of the naive loops: c = 0
 * (overwrite), c = beta*c (a _beta input), nothing (WCR sum). */
static void
init_out(OmpEmit *E, const char *c, bool zero, const Scale *sc)
{
	if (sc->beta)
		cg_omp_line(E, "\t%s = %s * %s;", c, sc->beta, c);
	else if (zero)
		cg_omp_line(E, "\t%s = 0;", c);
}

/* The scaled operand element "alpha * x" (x alone without _alpha, or
 * when alpha scales the sums after). */
static char *
scaled(OmpEmit *E, const Scale *sc, char *x)
{
	if (!sc->alpha || sc->after)
		return x;
	return arena_printf(E->a, "%s * %s", sc->alpha, cg_omp_paren(E, x));
}

/* C[.., j] *= alpha for the j loop `head` when alpha scales the sums. */
static void
scale_after(OmpEmit *E, const Scale *sc, const char *head, const char *c)
{
	if (!sc->alpha || !sc->after)
		return;
	cg_omp_simd(E, "");
	cg_omp_line(E, "%s", head);
	cg_omp_line(E, "\t%s = %s * %s;", c, sc->alpha, c);
}

static void
mm_22(OmpEmit *E, const View *v, DType t, bool zero, const Scale *sc)
{
	const View *A = &v[0], *B = &v[1], *C = &v[2];
	char *c = elem(E, C, "dfc_i", "dfc_j", C->c->dtype);
	par_for(E, v, "");
	cg_omp_line(E, "for (int64_t dfc_i = 0; dfc_i < %s; dfc_i++) {", sym_c(E, A->ext[0]));
	E->indent++;
	if (zero || sc->beta) {
		cg_omp_simd(E, "");
		cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < %s; dfc_j++)", sym_c(E, B->ext[1]));
		init_out(E, c, zero, sc);
	}
	cg_omp_line(E, "for (int64_t dfc_k = 0; dfc_k < %s; dfc_k++) {", sym_c(E, A->ext[1]));
	E->indent++;
	cg_omp_line(E, "const %s dfc_a = %s;", dtype_ctype(t),
		    cg_omp_strip(E, scaled(E, sc, operand(E, sc, 0, A, "dfc_i", "dfc_k", t))));
	cg_omp_simd(E, "");
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < %s; dfc_j++)", sym_c(E, B->ext[1]));
	cg_omp_line(E, "\t%s", mac(E, c, t, "dfc_a", operand(E, sc, 1, B, "dfc_k", "dfc_j", t)));
	E->indent--;
	cg_omp_line(E, "}");
	scale_after(E, sc, arena_printf(E->a, "for (int64_t dfc_j = 0; dfc_j < %s; dfc_j++)",
					sym_c(E, B->ext[1])), c);
	E->indent--;
	cg_omp_line(E, "}");
}

/* A sum over k into dfc_acc: the loop of 2@1 (x = "dfc_i") and 1@1. */
static void
mm_sum(OmpEmit *E, const View *v, DType t, const char *x, bool top, const Scale *sc)
{
	const View *A = &v[0], *B = &v[1];
	cg_omp_line(E, "%s dfc_acc = 0;", dtype_ctype(t));
	/* cg_omp_red_op: a declared reduction for complex sums */
	const char *red = t == DT_BOOL ? "" : arena_printf(E->a, " reduction(%s:dfc_acc)",
							     cg_omp_red_op(E, WCR_SUM, t));
	if (top && E->parallel && !E->in_parallel && t != DT_BOOL)
		par_for(E, v, arena_printf(E->a, " simd%s", red));
	else if (t != DT_BOOL)
		cg_omp_simd(E, red);
	cg_omp_line(E, "for (int64_t dfc_k = 0; dfc_k < %s; dfc_k++)", sym_c(E, B->ext[0]));
	char *a = x ? operand(E, sc, 0, A, x, "dfc_k", t) : operand(E, sc, 0, A, "dfc_k", NULL, t);
	cg_omp_line(E, "\t%s", mac(E, "dfc_acc", t, a, operand(E, sc, 1, B, "dfc_k", NULL, t)));
}

/* Stores the sum `acc` (a variable of dtype t) into the output element c:
 * alpha * acc (the finished sum, whether or not sc->after), plus beta * c
 * with _beta, combined with c by the output's WCR. */
static void
store_sum(OmpEmit *E, const View *C, const char *c, DType t, const Scale *sc, const char *acc)
{
	DType ct = C->c->dtype;
	char *val = cg_omp_convert(E, acc, t, ct);
	if (sc->alpha)
		val = arena_printf(E->a, "%s * %s", sc->alpha, cg_omp_paren(E, val));
	if (sc->beta)
		val = arena_printf(E->a, "%s + %s * %s", val, sc->beta, c);
	cg_omp_line(E, "%s", cg_omp_update(E, c, C->m->wcr, ct, val));
}

static void
mm_21(OmpEmit *E, const View *v, DType t, const Scale *sc)
{
	const View *A = &v[0], *C = &v[2];
	par_for(E, v, "");
	cg_omp_line(E, "for (int64_t dfc_i = 0; dfc_i < %s; dfc_i++) {", sym_c(E, A->ext[0]));
	E->indent++;
	mm_sum(E, v, t, "dfc_i", false, sc);
	store_sum(E, C, elem(E, C, "dfc_i", NULL, C->c->dtype), t, sc, "dfc_acc");
	E->indent--;
	cg_omp_line(E, "}");
}

/* The rows dfc_k .. dfc_k + n - 1 of x @ B added into the output columns
 * [dfc_jj, dfc_je): c = c + a0*B[k0,j] + a1*B[k1,j] + ..., which C
 * evaluates left to right, the order of one row at a time (so the sum
 * of each column does not depend on n or on the thread count), with the
 * output's elements loaded and stored once per n rows. */
static void
mm_12_rows(OmpEmit *E, const View *v, DType t, const Scale *sc, const char *c, int n)
{
	StrBuf sum;
	sb_init(&sum, E->a);
	sb_printf(&sum, "%s", c);
	char *last = NULL;
	for (int r = 0; r < n; r++) {
		char *k = n > 1 ? arena_printf(E->a, "dfc_k%d", r) : "dfc_k";
		char *a = arena_printf(E->a, "dfc_a%d", r);
		if (n > 1)
			cg_omp_line(E, "const int64_t %s = dfc_k + %d;", k, r);
		cg_omp_line(E, "const %s %s = %s;", dtype_ctype(t), a,
			    cg_omp_strip(E, scaled(E, sc, operand(E, sc, 0, &v[0], k, NULL, t))));
		last = operand(E, sc, 1, &v[1], k, "dfc_j", t);
		sb_printf(&sum, " + %s * %s", a, last);
	}
	cg_omp_simd(E, "");
	cg_omp_line(E, "for (int64_t dfc_j = dfc_jj; dfc_j < dfc_je; dfc_j++)");
	if (n == 1)   /* also bool's c = c || (a && b) */
		cg_omp_line(E, "\t%s", mac(E, c, t, "dfc_a0", last));
	else
		cg_omp_line(E, "\t%s = %s;", c, sb_str(&sum));
}

/* x @ B: the columns are cut into one chunk per thread (boundaries
 * rounded to MM_ALIGN columns), a thread takes its chunk MM_BLOCK
 * columns at a time and adds MM_ROWS rows of B at once into them. Each
 * column sums its k in order, so the result is the one-thread result
 * whatever the thread count; B is read once, along its rows; there is
 * one fork and nothing to combine. */
static void
mm_12(OmpEmit *E, const View *v, DType t, bool zero, const Scale *sc)
{
	const View *A = &v[0], *B = &v[1], *C = &v[2];
	char *c = elem(E, C, "dfc_j", NULL, C->c->dtype);
	const char *nt = E->parallel && !E->in_parallel ? cg_omp_nthreads(E) : "1";
	int rows = t == DT_BOOL ? 1 : MM_ROWS;
	cg_omp_line(E, "const int64_t dfc_m = %s, dfc_kn = %s;",
		    cg_omp_strip(E, sym_c(E, B->ext[1])), cg_omp_strip(E, sym_c(E, A->ext[0])));
	cg_omp_line(E, "const int64_t dfc_nt = dfc_max(1, dfc_min(%s, dfc_m / %d));", nt, MM_ALIGN);
	par_for(E, v, "");
	cg_omp_line(E, "for (int64_t dfc_c = 0; dfc_c < dfc_nt; dfc_c++) {");
	E->indent++;
	cg_omp_line(E, "const int64_t dfc_jc = dfc_c + 1 == dfc_nt ? dfc_m : "
		    "dfc_m * (dfc_c + 1) / dfc_nt / %d * %d;", MM_ALIGN, MM_ALIGN);
	cg_omp_line(E, "for (int64_t dfc_jj = dfc_m * dfc_c / dfc_nt / %d * %d; dfc_jj < dfc_jc; "
		    "dfc_jj += %d) {", MM_ALIGN, MM_ALIGN, MM_BLOCK);
	E->indent++;
	cg_omp_line(E, "const int64_t dfc_je = dfc_min(dfc_jj + %d, dfc_jc);", MM_BLOCK);
	if (zero || sc->beta) {
		cg_omp_simd(E, "");
		cg_omp_line(E, "for (int64_t dfc_j = dfc_jj; dfc_j < dfc_je; dfc_j++)");
		init_out(E, c, zero, sc);
	}
	cg_omp_line(E, "int64_t dfc_k = 0;");
	for (int n = rows; n >= 1; n = n > 1 ? 1 : 0) {
		if (n > 1)
			cg_omp_line(E, "for (; dfc_k + %d <= dfc_kn; dfc_k += %d) {", n, n);
		else
			cg_omp_line(E, "for (; dfc_k < dfc_kn; dfc_k++) {");
		E->indent++;
		mm_12_rows(E, v, t, sc, c, n);
		E->indent--;
		cg_omp_line(E, "}");
	}
	scale_after(E, sc, "for (int64_t dfc_j = dfc_jj; dfc_j < dfc_je; dfc_j++)", c);
	E->indent--;
	cg_omp_line(E, "}");
	E->indent--;
	cg_omp_line(E, "}");
}

static void
emit_naive(OmpEmit *E, View *v, int p, const Scale *sc)
{
	bool zero = v[2].m->wcr == WCR_NONE;
	DType t = v[2].c->dtype;
	switch (p) {
	case 0: mm_22(E, v, t, zero, sc); break;
	case 1: mm_21(E, v, t, sc); break;
	case 2: mm_12(E, v, t, zero, sc); break;
	default:
		mm_sum(E, v, t, NULL, true, sc);
		store_sum(E, &v[2], elem(E, &v[2], NULL, NULL, t), t, sc, "dfc_acc");
		break;
	}
}

/* ---- BLAS ---- */

enum { BLAS_INT_MAX = 2147483647 };

/* The arguments of one CBLAS call, and the conditions ("N <= 2147483647")
 * that its int arguments fit, for those not known to. */
typedef struct BlasCall {
	OmpEmit *E;
	StrBuf args;
	OmpNames guard;
} BlasCall;

static void
blas_text(BlasCall *B, const char *text)
{
	sb_printf(&B->args, "%s%s", B->args.len ? ", " : "", text);
}

static void
blas_guard(BlasCall *B, Sym *s)
{
	int64_t v;
	if (sym_is_const(s, &v) && v >= 0 && v <= BLAS_INT_MAX)
		return;
	char *cond = arena_printf(B->E->a, "%s <= %d", sym_c(B->E, s), BLAS_INT_MAX);
	for (int i = 0; i < B->guard.len; i++)
		if (strcmp(B->guard.data[i], cond) == 0)
			return;
	vec_push(B->E->a, &B->guard, cond);
}

/* A size argument (never negative). */
static void
blas_int(BlasCall *B, Sym *s)
{
	blas_text(B, sym_c(B->E, s));
	blas_guard(B, s);
}

/* The pointer to the first element of v. */
static void
blas_ptr(BlasCall *B, const View *v, bool read)
{
	OmpEmit *E = B->E;
	const char *n = cg_omp_cname(E, v->c->name);
	int64_t off;
	if (read)
		cg_omp_mark_read(E, v->c->name);
	cg_omp_mark_used(E, v->c->name);
	if (sym_is_const(v->base, &off) && off == 0)
		blas_text(B, n);
	else
		blas_text(B, arena_printf(E->a, "%s + %s", n, cg_omp_paren(E, sym_c(E, v->base))));
}

/* Is the 2-D view v a transposed row-major matrix (unit stride down its
 * columns, not along its rows)? BLAS then reads it with CblasTrans. */
static bool
col_major(const View *v)
{
	return v->rank == 2 && !is_unit(v->str[1]) && is_unit(v->str[0]);
}

/* Leading dimension of a 2-D view (its row stride; its column stride when
 * col_major) or increment of a 1-D view, clamped as the file comment says;
 * it fits in an int when the stride and the stored row length do. */
static void
blas_stride(BlasCall *B, const View *v)
{
	Arena *a = B->E->a;
	Sym *one = sym_const(a, 1);
	int d = col_major(v) ? 1 : 0;
	Sym *s = v->rank == 2 ? sym_max(a, v->str[d], sym_max(a, v->ext[1 - d], one))
			      : sym_max(a, v->str[0], one);
	blas_text(B, sym_c(B->E, s));
	blas_guard(B, v->str[d]);
	if (v->rank == 2)
		blas_guard(B, v->ext[1 - d]);
}

static void
blas_operand(BlasCall *B, const View *v, bool read)
{
	blas_ptr(B, v, read);
	blas_stride(B, v);
}

static bool
row_major(OmpEmit *E, const IrContainer *c)
{
	Sym **rm = ir_strides_row_major(E->a, c->ndim, c->shape);
	for (int d = 0; d < c->ndim; d++)
		if (!sym_equal(rm[d], c->strides[d]))
			return false;
	return true;
}

/* Why the views v cannot be handed to BLAS, or NULL. */
static const char *
blas_refusal(OmpEmit *E, const View *v)
{
	DType t = v[2].c->dtype;
	if ((t != DT_FLOAT32 && t != DT_FLOAT64) || v[0].c->dtype != t || v[1].c->dtype != t)
		return arena_printf(E->a, "BLAS has no matmul of %s @ %s -> %s",
				    dtype_name(v[0].c->dtype), dtype_name(v[1].c->dtype),
				    dtype_name(t));
	for (int i = 0; i < 3; i++) {
		if (!row_major(E, v[i].c))
			return arena_printf(E->a, "'%s' is not laid out row-major", v[i].c->name);
		if (v[i].rank == 2 && !is_unit(v[i].str[1]) && (i == 2 || !col_major(&v[i])))
			return arena_printf(E->a, "the rows of '%s' do not have unit stride",
					    v[i].c->name);
	}
	return NULL;
}

/* Run-time conditions for the BLAS call of a scaled matmul: BLAS skips
 * the product when alpha is 0 and ignores the old output when beta is 0,
 * where NumPy would propagate an Inf or NaN; the naive loops compute
 * alpha*(a@b) + beta*c as written. With operand scales (sc from
 * blas_scale), each factor and alpha must be normal numbers. */
static void
blas_scale_guard(BlasCall *B, const Scale *sc)
{
	bool ops = false;
	for (int k = 0; k < 2; k++)
		if (sc->op[k]) {
			vec_push(B->E->a, &B->guard, arena_printf(B->E->a, "isnormal(%s)",
								  sc->op[k]));
			ops = true;
		}
	if (ops) {
		if (sc->alpha != sc->op[0] && sc->alpha != sc->op[1])
			vec_push(B->E->a, &B->guard, arena_printf(B->E->a, "isnormal(%s)",
								  sc->alpha));
	} else if (sc->alpha) {
		vec_push(B->E->a, &B->guard, arena_printf(B->E->a, sc->after ? "%s != 0 && "
							  "isfinite(%s)" : "%s != 0",
							  sc->alpha, sc->alpha));
	}
	if (sc->beta)
		vec_push(B->E->a, &B->guard, arena_printf(B->E->a, "%s != 0", sc->beta));
}

/* The CBLAS call of pattern p into B->args; returns the function name. */
static const char *
blas_args(BlasCall *B, const View *v, int p, const Scale *sc)
{
	bool f32 = v[2].c->dtype == DT_FLOAT32, sum = v[2].m->wcr == WCR_SUM;
	const char *one = f32 ? "1.0f" : "1.0";
	const char *alpha = sc->alpha ? sc->alpha : one;
	const char *beta = sc->beta ? sc->beta : sum ? one : f32 ? "0.0f" : "0.0";
	blas_scale_guard(B, sc);
	if (p == 3) {
		blas_int(B, v[1].ext[0]);
		blas_operand(B, &v[0], true);
		blas_operand(B, &v[1], true);
		return f32 ? "cblas_sdot" : "cblas_ddot";
	}
	blas_text(B, "CblasRowMajor");
	if (p == 0) {
		blas_text(B, col_major(&v[0]) ? "CblasTrans" : "CblasNoTrans");
		blas_text(B, col_major(&v[1]) ? "CblasTrans" : "CblasNoTrans");
		blas_int(B, v[0].ext[0]);
		blas_int(B, v[1].ext[1]);
		blas_int(B, v[0].ext[1]);
	} else {
		const View *M = p == 1 ? &v[0] : &v[1];
		blas_text(B, p == 1 ? "CblasNoTrans" : "CblasTrans");
		blas_int(B, M->ext[0]);
		blas_int(B, M->ext[1]);
		/* ?gemv leaves y untouched when the contracted extent is 0 (even
		 * with beta 0); the naive loops then write the zeros NumPy gives. */
		Sym *k = M->ext[p == 1 ? 1 : 0];
		int64_t kc;
		if ((!sum || sc->beta) && !(sym_is_const(k, &kc) && kc > 0))
			vec_push(B->E->a, &B->guard, arena_printf(B->E->a, "%s > 0", sym_c(B->E, k)));
	}
	blas_text(B, alpha);
	blas_operand(B, p == 2 ? &v[1] : &v[0], true);
	blas_operand(B, p == 2 ? &v[0] : &v[1], true);
	blas_text(B, beta);
	blas_operand(B, &v[2], sum || sc->beta);
	return p == 0 ? (f32 ? "cblas_sgemm" : "cblas_dgemm")
		      : (f32 ? "cblas_sgemv" : "cblas_dgemv");
}

/* ---- syrk: A @ A^T ---- */

enum { MM_TILE = 64 };

/* Is the gemm v the product of a view A and the very view A^T (NumPy's
 * rule: one buffer, one operand transposed) into an output it overwrites?
 * Then ?syrk computes C's upper triangle and a loop mirrors it (with an
 * accumulating output or a _beta input, the lower triangle's old values
 * would be lost). */
static bool
is_syrk(const View *v, const Scale *sc)
{
	const View *A = &v[0], *B = &v[1];
	if (strcmp(A->c->name, B->c->name) != 0 || v[2].m->wcr != WCR_NONE || sc->beta)
		return false;
	return sym_equal(A->base, B->base) && sym_equal(A->ext[0], B->ext[1]) &&
	       sym_equal(A->ext[1], B->ext[0]) && sym_equal(A->str[0], B->str[1]) &&
	       sym_equal(A->str[1], B->str[0]);
}

/* The ?syrk call C = alpha A A^T (upper triangle) for the views A, C. */
static const char *
syrk_call_text(OmpEmit *E, const View *A, const View *C, const Scale *sc)
{
	bool f32 = C->c->dtype == DT_FLOAT32;
	BlasCall B = { .E = E };
	sb_init(&B.args, E->a);
	blas_text(&B, "CblasRowMajor");
	blas_text(&B, "CblasUpper");
	blas_text(&B, col_major(A) ? "CblasTrans" : "CblasNoTrans");
	blas_int(&B, A->ext[0]);
	blas_int(&B, A->ext[1]);
	blas_text(&B, sc->alpha ? sc->alpha : f32 ? "1.0f" : "1.0");
	blas_operand(&B, A, true);
	blas_text(&B, f32 ? "0.0f" : "0.0");
	blas_operand(&B, C, false);
	return arena_printf(E->a, "%s(%s);", f32 ? "cblas_ssyrk" : "cblas_dsyrk", sb_str(&B.args));
}

/* C's lower triangle from its upper one, in tiles of MM_TILE, on the
 * calling thread (as NumPy does: a parallel loop here would wake OpenMP's
 * threads right after OpenBLAS's, see the file comment). */
static void
syrk_mirror(OmpEmit *E, const View *C)
{
	const char *n = sym_c(E, C->ext[0]);
	cg_omp_line(E, "for (int64_t dfc_ib = 0; dfc_ib < %s; dfc_ib += %d)", n, MM_TILE);
	cg_omp_line(E, "\tfor (int64_t dfc_jb = 0; dfc_jb <= dfc_ib; dfc_jb += %d)", MM_TILE);
	cg_omp_line(E, "\t\tfor (int64_t dfc_i = dfc_ib; dfc_i < dfc_min(dfc_ib + %d, %s); "
		    "dfc_i++)", MM_TILE, n);
	cg_omp_line(E, "\t\t\tfor (int64_t dfc_j = dfc_jb; dfc_j < dfc_min(dfc_jb + %d, dfc_i); "
		    "dfc_j++)", MM_TILE);
	cg_omp_line(E, "\t\t\t\t%s = %s;", elem(E, C, "dfc_i", "dfc_j", C->c->dtype),
		    elem(E, C, "dfc_j", "dfc_i", C->c->dtype));
}

/* C = alpha A A^T: one ?syrk, then the mirror. */
/* dfcrt_blas_note(WORK) right after a BLAS call of pattern p, WORK the
 * product of its sizes in double (runtime/dfcrt.h: the parallel maps after
 * it stay on the calling thread while OpenBLAS's threads spin). */
static void
blas_note(OmpEmit *E, const View *v, int p)
{
	const View *M = p == 2 ? &v[1] : &v[0];
	Sym *f[3] = { p == 3 ? v[1].ext[0] : M->ext[0], p == 3 ? NULL : M->ext[1],
		      p == 0 ? v[1].ext[1] : NULL };
	StrBuf sb;
	sb_init(&sb, E->a);
	for (int i = 0; i < 3 && f[i]; i++)
		sb_printf(&sb, "%s(double)%s", i ? " * " : "", cg_omp_paren(E, sym_c(E, f[i])));
	cg_omp_line(E, "dfcrt_blas_note(%s);", sb_str(&sb));
}

static void
emit_syrk(OmpEmit *E, const View *v, const Scale *sc)
{
	cg_omp_line(E, "%s", syrk_call_text(E, &v[0], &v[2], sc));
	blas_note(E, v, 0);
	syrk_mirror(E, &v[2]);
}

/* The scale factors of the BLAS call for sc: the operand scales folded
 * into alpha, declared as dfc_alpha = alpha * s_a * s_b (1 / s for a
 * division). Their guards (blas_scale_guard) ask each factor and the
 * product to be normal numbers: a scale 0, Inf, NaN or subnormal (or a
 * reciprocal that is one) sends the call to the naive loops, which scale
 * each element as it is read, as NumPy does; otherwise alpha * sum(a*b)
 * is NumPy's sum((s*a)*b) to rounding (1 / s times a within an ulp or so
 * of a / s). With one factor alone, alpha is that factor; without operand
 * scales, sc itself. */
static Scale
blas_scale(OmpEmit *E, const Scale *sc, DType t)
{
	if (!sc->op[0] && !sc->op[1])
		return *sc;
	Scale b = *sc;
	const char *one = t == DT_FLOAT32 ? "1.0f" : "1.0";
	StrBuf sb;
	sb_init(&sb, E->a);
	int n = 0;
	if (sc->alpha)
		sb_printf(&sb, "%s", sc->alpha), n++;
	for (int k = 0; k < 2; k++) {
		if (!sc->op[k])
			continue;
		if (sc->div[k])
			b.op[k] = arena_printf(E->a, "(%s / %s)", one, sc->op[k]);
		sb_printf(&sb, "%s%s", n++ ? " * " : "", b.op[k]);
		b.alpha = b.op[k];
	}
	if (n == 1)
		return b;
	cg_omp_line(E, "const %s dfc_alpha = %s;", dtype_ctype(t), sb_str(&sb));
	b.alpha = "dfc_alpha";
	return b;
}

/* ---- the tiled loops (gemm.c) ---- */

/* The pointer to v's first element, as blas_ptr writes it. */
static const char *
first_elem(OmpEmit *E, const View *v, bool read)
{
	BlasCall B = { .E = E };
	sb_init(&B.args, E->a);
	blas_ptr(&B, v, read);
	return sb_str(&B.args);
}

/* For a gemm v of BLAS's scale sc (blas_scale), opens
 * "if (dfcrt_gemm_choose(...)) { dfc_gemm_<t>(...); } else {" and
 * returns true; the caller emits the BLAS call and closes the brace. Not
 * inside a parallel region (the helper forks, and the copies live in
 * the handle, which one thread uses at a time): false, nothing emitted. */
static bool
emit_tiled(OmpEmit *E, const View *v, const Scale *sc)
{
	if (E->in_parallel)
		return false;
	const View *A = &v[0], *B = &v[1], *C = &v[2];
	DType t = C->c->dtype;
	bool f32 = t == DT_FLOAT32;
	int mode = C->m->wcr == WCR_SUM ? 1 : sc->beta ? 2 : 0;
	const char *zero = f32 ? "0.0f" : "0.0";
	const char *fn = cg_omp_gemm_helper(E, t);
	const char *nt = "1";
	if (E->parallel) {
		Sym *work = sym_mul(E->a, sym_mul(E->a, A->ext[0], A->ext[1]), B->ext[1]);
		if (is_syrk(v, sc))  /* a triangle: half the multiply-adds */
			work = sym_floordiv(E->a, work, sym_const(E->a, 2));
		nt = arena_printf(E->a, "%s > DFCRT_GEMM_PAR_MIN_WORK ? %s : 1",
				  cg_omp_paren(E, sym_c(E, work)), cg_omp_nthreads(E));
	}
	int slot = E->nslots++;
	E->gemm_slots++;
	cg_omp_line(E, "if (dfcrt_gemm_choose(openblas_get_corename())) {");
	E->indent++;
	cg_omp_line(E, "%s(%s, %s, %s, %s,", fn, cg_omp_strip(E, sym_c(E, A->ext[0])),
		    cg_omp_strip(E, sym_c(E, B->ext[1])), cg_omp_strip(E, sym_c(E, A->ext[1])),
		    sc->alpha ? sc->alpha : f32 ? "1.0f" : "1.0");
	cg_omp_line(E, "\t%s, %s, %s,", first_elem(E, A, true),
		    cg_omp_strip(E, sym_c(E, A->str[0])), cg_omp_strip(E, sym_c(E, A->str[1])));
	cg_omp_line(E, "\t%s, %s, %s,", first_elem(E, B, true),
		    cg_omp_strip(E, sym_c(E, B->str[0])), cg_omp_strip(E, sym_c(E, B->str[1])));
	cg_omp_line(E, "\t%d, %s, %s, %s,", mode, sc->beta ? sc->beta : zero,
		    first_elem(E, C, mode != 0), cg_omp_strip(E, sym_c(E, C->str[0])));
	cg_omp_line(E, "\t%s, &dfch->buf[%d], %s);", is_syrk(v, sc) ? "true" : "false", slot, nt);
	E->indent--;
	cg_omp_line(E, "} else {");
	E->indent++;
	return true;
}

/* The call, guarded when its sizes may not fit in an int (then the naive
 * loops are the other branch). */
static void
emit_blas(OmpEmit *E, View *v, int p, const Scale *naive)
{
	BlasCall B = { .E = E };
	sb_init(&B.args, E->a);
	Scale bs = blas_scale(E, naive, v[2].c->dtype);
	const Scale *sc = &bs;
	const char *fn = blas_args(&B, v, p, sc);
	StrBuf guard;
	sb_init(&guard, E->a);
	for (int i = 0; i < B.guard.len; i++)
		sb_printf(&guard, "%s%s", i ? " && " : "", B.guard.data[i]);
	if (guard.len) {
		cg_omp_line(E, "if (%s) {", sb_str(&guard));
		E->indent++;
	}
	if (p == 3) {
		DType t = v[2].c->dtype;
		cg_omp_line(E, "const %s dfc_dot = %s(%s);", dtype_ctype(t), fn, sb_str(&B.args));
		blas_note(E, v, p);
		store_sum(E, &v[2], elem(E, &v[2], NULL, NULL, t), t, sc, "dfc_dot");
	} else {
		bool tiled = p == 0 && emit_tiled(E, v, sc);
		if (p == 0 && is_syrk(v, sc)) {
			emit_syrk(E, v, sc);
		} else {
			cg_omp_line(E, "%s(%s);", fn, sb_str(&B.args));
			blas_note(E, v, p);
		}
		if (tiled) {
			E->indent--;
			cg_omp_line(E, "}");
		}
	}
	if (!guard.len)
		return;
	E->indent--;
	cg_omp_line(E, "} else {");
	E->indent++;
	emit_naive(E, v, p, naive);
	E->indent--;
	cg_omp_line(E, "}");
}

static void
emit_matmul(OmpEmit *E, const IrNode *n, View *v, int p, const Scale *sc)
{
	if (p == IR_MATMUL_NPATS) {
		cg_omp_fail(E, n->loc, "the OpenMP backend cannot match the shapes of this "
			    "matmul (operands '%s' and '%s' into '%s')", v[0].c->name,
			    v[1].c->name, v[2].c->name);
		return;
	}
	bool blas = strcmp(n->lib.impl, "blas") == 0;
	const char *why = blas ? blas_refusal(E, v) : NULL;
	if (why) {
		cg_omp_fail(E, n->loc, "this matmul cannot be expanded with BLAS: %s", why);
		return;
	}
	cg_omp_mark_used(E, v[2].c->name);
	cg_omp_line(E, "{");
	E->indent++;
	if (blas)
		emit_blas(E, v, p, sc);
	else
		emit_naive(E, v, p, sc);
	E->indent--;
	cg_omp_line(E, "}");
}

/* Scale factor conn of node id as a C expression of dtype t, or NULL. */
static const char *
scale_text(OmpEmit *E, int id, const char *conn, DType t)
{
	const IrMemlet *m = ir_matmul_input(E->st, id, conn);
	if (!m)
		return NULL;
	View s = { .m = m, .c = cg_omp_container(E, m->data) };
	Sym *base = sym_const(E->a, 0);
	for (int d = 0; d < s.c->ndim; d++)
		base = sym_add(E->a, base, sym_mul(E->a, m->subset.r[d].begin, s.c->strides[d]));
	s.base = cg_omp_msym(E, base);
	return cg_omp_paren(E, elem(E, &s, NULL, NULL, t));
}

/* A matrix-vector product whose matrix is stored transposed (a column-major
 * view) becomes the other one over the matrix as stored: A^T x is x @ A
 * and x @ B^T is B x, so both impls read the matrix along its rows. */
static void
orient(View *v, int *p, Scale *sc)
{
	int m = *p == 1 ? 0 : 1;
	if ((*p != 1 && *p != 2) || !col_major(&v[m]))
		return;
	const char *op = sc->op[0];
	bool div = sc->div[0];
	sc->op[0] = sc->op[1], sc->div[0] = sc->div[1];
	sc->op[1] = op, sc->div[1] = div;
	View t = v[m];
	t.ext[0] = v[m].ext[1], t.str[0] = v[m].str[1];
	t.ext[1] = v[m].ext[0], t.str[1] = v[m].str[0];
	View x = v[1 - m];
	v[0] = *p == 1 ? x : t;
	v[1] = *p == 1 ? t : x;
	*p = 3 - *p;
}

void
cg_omp_emit_library(OmpEmit *E, int id)
{
	const IrNode *n = &E->st->nodes.data[id];
	if (n->lib.op == LIB_MATVEC_PAIR) {
		cg_omp_emit_matvec_pair(E, id);
		return;
	}
	if (n->lib.op == LIB_SCAN) {
		cg_omp_emit_scan(E, id);
		return;
	}
	if (n->lib.op != LIB_MATMUL)
		ICE("unknown library op %d", (int)n->lib.op);
	cg_omp_comment(E, "matmul", "matmul", n->loc);
	if (!n->lib.impl || (strcmp(n->lib.impl, "naive") != 0 && strcmp(n->lib.impl, "blas") != 0)) {
		cg_omp_fail(E, n->loc, "the OpenMP backend has no expansion '%s' of matmul "
			    "(naive, blas)", n->lib.impl ? n->lib.impl : "");
		return;
	}
	View v[3];
	int p = ir_matmul_operands(E->a, E->p, E->st, id, v);
	if (p < 0)
		ICE("matmul without its memlets (verify first)");
	for (int i = 0; i < 3; i++) {
		v[i].c = cg_omp_container(E, v[i].m->data);
		v[i].base = cg_omp_msym(E, v[i].base);
		for (int k = 0; k < v[i].rank; k++) {
			v[i].ext[k] = cg_omp_msym(E, v[i].ext[k]);
			v[i].str[k] = cg_omp_msym(E, v[i].str[k]);
		}
	}
	if (v[2].m->wcr != WCR_NONE && v[2].m->wcr != WCR_SUM) {
		cg_omp_fail(E, n->loc, "the OpenMP backend supports matmul outputs that "
			    "overwrite or sum, not '%s'", ir_wcr_name(v[2].m->wcr));
		return;
	}
	if (strcmp(v[2].c->name, v[0].c->name) == 0 || strcmp(v[2].c->name, v[1].c->name) == 0) {
		cg_omp_fail(E, n->loc, "matmul output '%s' is also one of its inputs",
			    v[2].c->name);
		return;
	}
	Scale sc = { .alpha = scale_text(E, id, "_alpha", v[2].c->dtype),
		     .beta = scale_text(E, id, "_beta", v[2].c->dtype) };
	sc.after = sc.alpha && !sc.beta && v[2].m->wcr == WCR_NONE;
	for (int k = 0; k < 2; k++) {
		const IrMemlet *m = ir_matmul_operand_scale(E->st, id, k, &sc.div[k]);
		sc.op[k] = m ? scale_text(E, id, m->dst_conn, v[k].c->dtype) : NULL;
		if (m && strcmp(m->data, v[2].c->name) == 0) {
			cg_omp_fail(E, n->loc, "the scale factor '%s' of a matmul is in its "
				    "output '%s'", m->dst_conn, v[2].c->name);
			return;
		}
	}
	orient(v, &p, &sc);
	emit_matmul(E, n, v, p, &sc);
}

static bool
list_uses_blas(const IrBlockList *l)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		bool found = false;
		switch (b->kind) {
		case CF_STATE:
			for (int k = 0; k < b->state->nodes.len && !found; k++) {
				const IrNode *n = &b->state->nodes.data[k];
				found = n->kind == IRN_LIBRARY && n->lib.impl &&
					strcmp(n->lib.impl, "blas") == 0;
			}
			break;
		case CF_FOR: found = list_uses_blas(&b->loop.body); break;
		case CF_WHILE: found = list_uses_blas(&b->wloop.body); break;
		case CF_IF:
			for (int k = 0; k < b->branch.n && !found; k++)
				found = list_uses_blas(&b->branch.bodies[k]);
			found = found || list_uses_blas(&b->branch.orelse);
			break;
		default:
			break;
		}
		if (found)
			return true;
	}
	return false;
}

bool
cg_omp_uses_blas(const IrModule *m)
{
	for (int i = 0; i < m->programs.len; i++)
		if (list_uses_blas(&m->programs.data[i]->body))
			return true;
	return false;
}

/* Names <cblas.h> brings into a file (OpenBLAS 0.3: cblas.h,
 * openblas_config.h, and the complex.h and sched.h they include, with
 * _GNU_SOURCE): macros, typedefs and functions that an IR name would
 * collide with. Prefixes first, then whole names; the complex.h functions
 * are c<name> with the float suffixes below. */
static const char *const blas_prefixes[] = {
	"cblas_", "Cblas", "CBLAS_", "openblas", "OPENBLAS_", "BLAS", "goto_", "sched_",
	"SCHED_", "CPU_", "CLONE_", "CMPLX",
};
static const char *const blas_names[] = {
	"I", "complex", "xdouble", "bfloat16", "blasint", "FLOATRET", "CSIGNAL", "clone",
	"unshare", "setns", "getcpu", "cpu_set_t", "conj", "pid_t", "time_t", "timespec",
};
static const char *const complex_fns[] = {
	"abs", "acos", "acosh", "arg", "asin", "asinh", "atan", "atanh", "cos", "cosh",
	"exp", "imag", "log", "log10", "pow", "proj", "real", "sin", "sinh", "sqrt", "tan",
	"tanh", "onj",
};
static const char *const float_suffixes[] = {
	"", "f", "l", "f32", "f64", "f128", "f32x", "f64x",
};

static bool
is_complex_fn(const char *s)
{
	if (s[0] != 'c')
		return false;
	for (size_t i = 0; i < sizeof complex_fns / sizeof *complex_fns; i++) {
		size_t n = strlen(complex_fns[i]);
		if (strncmp(s + 1, complex_fns[i], n) != 0)
			continue;
		for (size_t k = 0; k < sizeof float_suffixes / sizeof *float_suffixes; k++)
			if (strcmp(s + 1 + n, float_suffixes[k]) == 0)
				return true;
	}
	return false;
}

bool
cg_omp_blas_reserved(const char *s)
{
	for (size_t i = 0; i < sizeof blas_prefixes / sizeof *blas_prefixes; i++)
		if (strncmp(s, blas_prefixes[i], strlen(blas_prefixes[i])) == 0)
			return true;
	for (size_t i = 0; i < sizeof blas_names / sizeof *blas_names; i++)
		if (strcmp(s, blas_names[i]) == 0)
			return true;
	return is_complex_fn(s);
}
