/* codegen/openmp/matvec_fusion.c — the matvec_pair library node: y = A x
 * and z = A^T w (or A^T y) in one sweep over the rows of A
 * (passes/matvec_fusion.c makes it; ir/ir.h gives its connectors).
 *
 * A is the 2-D subset of the "_a" memlet, as stored: it must be a
 * row-major container read with unit steps, so a row is contiguous. The
 * vectors and outputs are 1-D views of their memlets (the one dimension
 * whose extent is not 1, else the last: ir/matmul.c's rule for rank-1
 * operands), any stride. All share one dtype, float32 or float64, which
 * the sums accumulate in.
 *
 * The rows are cut into dfc_nt chunks (the thread count under OpenMP, 1
 * otherwise) and the chunks run in a parallel loop. A thread takes the
 * rows of its chunk MVP_BLOCK at a time (then the rest one by one): it
 * computes t_r = A[i+r,:] . x for each row r of the block (one omp simd
 * loop, x read once per block), stores y[i+r] from t_r and adds
 * sum_r A[i+r,:] * s_r into its own copy of z (one omp simd loop, the copy
 * read and written once per block) while the rows are still in cache,
 * s_r = y[i+r] (atax: the value just stored; the blocks pipelined, the
 * update of one block in the loop computing the next one's dots); with
 * _w, s_r = w[i+r] and the dots and the update are one loop over the
 * block's columns. A is
 * read from memory once. A second parallel loop sums the copies into z.
 * An output takes alpha * sum, plus beta times its old value (_beta_y
 * with _yin, _beta_z with _zin: the element it overwrites) or added to
 * its old value (WCR sum); the factors are read once before the sweep,
 * converted to the sweep's dtype (ir/verify.c: they have it). The
 * copies live in one dfcrt_alloc block (never on a thread's stack). Sums
 * are regrouped compared with two separate products (rounding at NumPy's
 * level). The parallel loops take an `if(parallel: ...)` on their work, as
 * the matmul loops do.
 */
#include <string.h>

#include "emit.h"

enum { MVP_BLOCK = 4 };   /* rows per block of the sweep */

/* A 1-D view: element k at base + k*str of container c (C names). */
typedef struct Vec {
	const IrContainer *c;
	Sym *base, *ext, *str;
} Vec;

static bool
is_one(const Sym *s)
{
	int64_t v;
	return sym_is_const(s, &v) && v == 1;
}

static Sym *
extent(Arena *a, const SymRange *r)
{
	Sym *len = sym_sub(a, r->end, r->begin);
	if (is_one(r->step))
		return len;
	return sym_floordiv(a, sym_add(a, len, sym_addc(a, r->step, -1)), r->step);
}

/* The 1-D view of m; false when more than one dimension has an extent
 * other than 1 (or the container is 0-d). */
static bool
vec_view(OmpEmit *E, const IrMemlet *m, Vec *v)
{
	const Subset *s = &m->subset;
	v->c = cg_omp_container(E, m->data);
	int dim = -1, big = 0;
	for (int d = 0; d < s->ndim; d++)
		if (!is_one(extent(E->a, &s->r[d]))) {
			dim = d;
			big++;
		}
	if (s->ndim == 0 || big > 1)
		return false;
	if (dim < 0)
		dim = s->ndim - 1;
	v->base = cg_omp_msym(E, cg_omp_linear(E, v->c, s));
	v->ext = cg_omp_msym(E, extent(E->a, &s->r[dim]));
	v->str = cg_omp_msym(E, sym_mul(E->a, s->r[dim].step, v->c->strides[dim]));
	return true;
}

/* C text of element `k` + off (k a C variable) of v. */
static char *
vec_at(OmpEmit *E, const Vec *v, const char *k, int off)
{
	Arena *a = E->a;
	Sym *idx = sym_add(a, v->base, sym_mul(a, sym_addc(a, sym_var(a, k), off), v->str));
	return arena_printf(a, "%s[%s]", cg_omp_cname(E, v->c->name), sym_print_c(a, idx));
}

/* The matrix as rows x cols with row stride ld; false unless it is a
 * row-major 2-D container read with unit steps. */
static bool
mat_view(OmpEmit *E, const IrMemlet *m, Vec *rows, Sym **cols, Sym **ld)
{
	const Subset *s = &m->subset;
	const IrContainer *c = cg_omp_container(E, m->data);
	if (c->ndim != 2 || s->ndim != 2 || !is_one(s->r[0].step) || !is_one(s->r[1].step) ||
	    !is_one(c->strides[1]) || !sym_equal(c->strides[0], c->shape[1]))
		return false;
	rows->c = c;
	rows->base = cg_omp_msym(E, cg_omp_linear(E, c, s));
	rows->ext = cg_omp_msym(E, sym_sub(E->a, s->r[0].end, s->r[0].begin));
	rows->str = cg_omp_msym(E, c->strides[0]);
	*cols = cg_omp_msym(E, sym_sub(E->a, s->r[1].end, s->r[1].begin));
	*ld = rows->str;
	return true;
}

/* How an output takes its sums: alpha * sum (sum alone without _alpha),
 * plus beta * its old value (_beta, with _yin/_zin reading that value), or
 * added to its old value (WCR sum); the factors are C variables. */
typedef struct OutScale {
	const char *alpha, *beta;
	bool acc;
} OutScale;

/* The scale factor on connector conn of node id, read once into a C
 * variable `var` of dtype t before the sweep; NULL when absent. */
static const char *
scale_var(OmpEmit *E, int id, const char *conn, const char *var, DType t)
{
	const IrMemlet *m = ir_state_conn_memlet(E->st, id, conn, false);
	if (!m)
		return NULL;
	const IrContainer *c = cg_omp_container(E, m->data);
	char *ref = cg_omp_ref(E, c, &m->subset);
	cg_omp_mark_read(E, c->name);
	cg_omp_line(E, "const %s %s = %s;", dtype_ctype(t), var,
		    cg_omp_strip(E, cg_omp_convert(E, ref, c->dtype, t)));
	return var;
}

/* The scales of outputs _y (o[0]) and _z (o[1]), their variables
 * declared. */
static void
out_scales(OmpEmit *E, int id, DType t, OutScale o[2])
{
	static const char *const names[2] = { "y", "z" };
	for (int k = 0; k < 2; k++) {
		const char *n = names[k];
		o[k].alpha = scale_var(E, id, arena_printf(E->a, "_alpha_%s", n),
				       arena_printf(E->a, "dfc_alpha_%s", n), t);
		o[k].beta = scale_var(E, id, arena_printf(E->a, "_beta_%s", n),
				      arena_printf(E->a, "dfc_beta_%s", n), t);
		o[k].acc = ir_state_conn_memlet(E->st, id, k ? "_z" : "_y", true)->wcr == WCR_SUM;
	}
}

/* The value output element `old` (C text) takes from the sum `sum`. */
static char *
out_value(OmpEmit *E, const OutScale *o, const char *old, const char *sum)
{
	char *val = o->alpha ? arena_printf(E->a, "%s * %s", o->alpha, sum)
			     : arena_strdup(E->a, sum);
	if (o->beta)
		return arena_printf(E->a, "%s + %s * %s", val, o->beta, old);
	if (o->acc)
		return arena_printf(E->a, "%s + %s", old, cg_omp_paren(E, val));
	return val;
}

/* The views of node id: v[0] the matrix's rows (str: row stride), then
 * x, w (c NULL when absent), y, z; *cols its columns. NULL or the reason
 * the backend cannot emit it. */
static const char *
views(OmpEmit *E, int id, Vec v[5], Sym **cols)
{
	static const char *const conns[5] = { "_a", "_x", "_w", "_y", "_z" };
	Sym *ld;
	memset(v, 0, sizeof(Vec) * 5);
	for (int k = 0; k < 5; k++) {
		const IrMemlet *m = ir_state_conn_memlet(E->st, id, conns[k], k >= 3);
		if (!m && k == 2)
			continue;
		if (!m)
			ICE("matvec_pair without its memlets (verify first)");
		if (k == 0 ? !mat_view(E, m, &v[0], cols, &ld) : !vec_view(E, m, &v[k]))
			return arena_printf(E->a, k == 0 ? "its matrix '%s' is not a row-major 2-D "
					    "array read with unit steps" : "'%s' is not a vector",
					    m->data);
		if (m->wcr != WCR_NONE && m->wcr != WCR_SUM)
			return arena_printf(E->a, "its output '%s' has WCR %s", m->data,
					    ir_wcr_name(m->wcr));
	}
	for (int k = 3; k < 5; k++)
		for (int i = 0; i < 5; i++)
			if (i != k && v[i].c && strcmp(v[i].c->name, v[k].c->name) == 0)
				return arena_printf(E->a, "its output '%s' is also one of its "
						    "operands", v[k].c->name);
	DType t = v[0].c->dtype;
	for (int k = 1; k < 5; k++)
		if (v[k].c && v[k].c->dtype != t)
			return arena_printf(E->a, "'%s' is %s and its matrix is %s", v[k].c->name,
					    dtype_name(v[k].c->dtype), dtype_name(t));
	if (t != DT_FLOAT32 && t != DT_FLOAT64)
		return arena_printf(E->a, "its matrix is %s, not float32 or float64",
				    dtype_name(t));
	return NULL;
}

/* "dfc_<p>0 OP dfc_<p>1 OP ..." over the n rows of a block. */
static const char *
row_list(OmpEmit *E, const char *p, int n, const char *op)
{
	StrBuf sb;
	sb_init(&sb, E->a);
	for (int r = 0; r < n; r++)
		sb_printf(&sb, "%sdfc_%s%d", r ? op : "", p, r);
	return sb_str(&sb);
}

/* "dfc_r0[dfc_j] * dfc_s0 + dfc_r1[dfc_j] * dfc_s1 ...": the block's rows
 * scaled by their multipliers, at column dfc_j. */
static const char *
axpy_terms(OmpEmit *E, int n)
{
	StrBuf sb;
	sb_init(&sb, E->a);
	for (int r = 0; r < n; r++)
		sb_printf(&sb, "%sdfc_r%d[dfc_j] * dfc_s%d", r ? " + " : "", r, r);
	return sb_str(&sb);
}

/* Declares the row pointers dfc_<rp>0.. (rows dfc_i + off + r of the
 * matrix `an`) and, with tp, their dot products dfc_<tp>0.. = 0. */
static void
block_head(OmpEmit *E, const Vec *v, const char *ct, const char *an, int n, const char *rp,
	   int off, const char *tp)
{
	for (int r = 0; r < n; r++) {
		Sym *row = sym_mul(E->a, sym_addc(E->a, sym_var(E->a, "dfc_i"), off + r), v[0].str);
		cg_omp_line(E, "const %s *restrict dfc_%s%d = %s + %s;", ct, rp, r, an,
			    cg_omp_paren(E, sym_print_c(E->a, row)));
		if (tp)
			cg_omp_line(E, "%s dfc_%s%d = 0;", ct, tp, r);
	}
}

/* The loop over the columns computing the dot products dfc_<tp>r of rows
 * dfc_<rp>r with x (and, with `axpy`, adding rows dfc_r0.. times their
 * multipliers dfc_s0.. into dfc_zc). */
static void
block_cols(OmpEmit *E, const Vec *v, const char *ct, int n, bool axpy, const char *rp,
	   const char *tp)
{
	cg_omp_simd(E, arena_printf(E->a, " reduction(+:%s)", row_list(E, tp, n, ",")));
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < dfc_nc; dfc_j++) {");
	cg_omp_line(E, "\tconst %s dfc_xj = %s;", ct, vec_at(E, &v[1], "dfc_j", 0));
	for (int r = 0; r < n; r++)
		cg_omp_line(E, "\tdfc_%s%d += dfc_%s%d[dfc_j] * dfc_xj;", tp, r, rp, r);
	if (axpy)
		cg_omp_line(E, "\tdfc_zc[dfc_j] += %s;", axpy_terms(E, n));
	cg_omp_line(E, "}");
}

/* Stores y[dfc_i + r] from the dots dfc_t0.. of rows dfc_i.. and declares
 * their multipliers dfc_s0.. (the values stored). */
static void
block_ys(OmpEmit *E, const Vec *v, const OutScale *o, const char *ct, int n)
{
	for (int r = 0; r < n; r++) {
		char *y = vec_at(E, &v[3], "dfc_i", r);
		char *val = out_value(E, &o[0], y, arena_printf(E->a, "dfc_t%d", r));
		cg_omp_line(E, "const %s dfc_s%d = %s;", ct, r, val);
		cg_omp_line(E, "%s = dfc_s%d;", y, r);
	}
}

/* The rows dfc_r0.. times dfc_s0.. added into dfc_zc. */
static void
block_axpy(OmpEmit *E, int n)
{
	cg_omp_simd(E, "");
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < dfc_nc; dfc_j++)");
	cg_omp_line(E, "\tdfc_zc[dfc_j] += %s;", axpy_terms(E, n));
}

/* Rows dfc_i .. dfc_i + n - 1 of chunk dfc_c into its copy dfc_zc: with
 * _w one loop does the dots and the axpy of A[i,:] * w[i]; without, the
 * dots come first and the rows (still in cache) are added times the y
 * they give. */
static void
emit_block(OmpEmit *E, const Vec *v, const OutScale *o, const char *ct, const char *an, int n)
{
	block_head(E, v, ct, an, n, "r", 0, "t");
	if (!v[2].c) {
		block_cols(E, v, ct, n, false, "r", "t");
		block_ys(E, v, o, ct, n);
		block_axpy(E, n);
		return;
	}
	for (int r = 0; r < n; r++)
		cg_omp_line(E, "const %s dfc_s%d = %s;", ct, r, vec_at(E, &v[2], "dfc_i", r));
	block_cols(E, v, ct, n, true, "r", "t");
	for (int r = 0; r < n; r++) {
		char *y = vec_at(E, &v[3], "dfc_i", r);
		cg_omp_line(E, "%s = %s;", y, out_value(E, &o[0], y,
			    arena_printf(E->a, "dfc_t%d", r)));
	}
}

/* Without _w, the blocks of n rows pipelined: the loop over the columns
 * that adds block b (its dots done, in cache) into dfc_zc also computes
 * the dots of block b + 1, which come from memory. Memory is then read
 * all the time, not only during the dots (tests/corpus/linalg.py:atax,
 * M=5632, N=3328: 7.0 -> 5.8 ms on two threads). */
static void
emit_pipelined(OmpEmit *E, const Vec *v, const OutScale *o, const char *ct, const char *an,
	       int n)
{
	cg_omp_line(E, "if (dfc_i + %d <= dfc_ie) {", n);
	E->indent++;
	for (int r = 0; r < n; r++)
		cg_omp_line(E, "%s dfc_t%d = 0;", ct, r);
	cg_omp_line(E, "{");
	E->indent++;
	block_head(E, v, ct, an, n, "r", 0, NULL);
	block_cols(E, v, ct, n, false, "r", "t");
	E->indent--;
	cg_omp_line(E, "}");
	cg_omp_line(E, "for (; dfc_i + %d <= dfc_ie; dfc_i += %d) {", 2 * n, n);
	E->indent++;
	block_ys(E, v, o, ct, n);
	block_head(E, v, ct, an, n, "r", 0, NULL);
	block_head(E, v, ct, an, n, "q", n, "u");
	block_cols(E, v, ct, n, true, "q", "u");
	for (int r = 0; r < n; r++)
		cg_omp_line(E, "dfc_t%d = dfc_u%d;", r, r);
	E->indent--;
	cg_omp_line(E, "}");
	block_ys(E, v, o, ct, n);
	block_head(E, v, ct, an, n, "r", 0, NULL);
	block_axpy(E, n);
	cg_omp_line(E, "dfc_i += %d;", n);
	E->indent--;
	cg_omp_line(E, "}");
}

/* The rows of chunk dfc_c into the copy dfc_zc, MVP_BLOCK at a time (x
 * and the copy are read once per block, not once per row; pipelined
 * without _w), then the rest one by one. */
static void
emit_rows(OmpEmit *E, const Vec *v, const OutScale *o, const char *ct)
{
	const char *an = cg_omp_cname(E, v[0].c->name);
	int64_t off;
	if (!sym_is_const(v[0].base, &off) || off != 0)
		an = arena_printf(E->a, "%s + %s", an, cg_omp_paren(E, sym_print_c(E->a, v[0].base)));
	cg_omp_line(E, "const int64_t dfc_ie = dfc_nr * (dfc_c + 1) / dfc_nt;");
	cg_omp_line(E, "int64_t dfc_i = dfc_nr * dfc_c / dfc_nt;");
	if (!v[2].c) {
		emit_pipelined(E, v, o, ct, an, MVP_BLOCK);
	} else {
		cg_omp_line(E, "for (; dfc_i + %d <= dfc_ie; dfc_i += %d) {", MVP_BLOCK, MVP_BLOCK);
		E->indent++;
		emit_block(E, v, o, ct, an, MVP_BLOCK);
		E->indent--;
		cg_omp_line(E, "}");
	}
	cg_omp_line(E, "for (; dfc_i < dfc_ie; dfc_i++) {");
	E->indent++;
	emit_block(E, v, o, ct, an, 1);
	E->indent--;
	cg_omp_line(E, "}");
}

/* The chunks (parallel), then the sum of the copies into z (parallel). */
static void
emit_sweep(OmpEmit *E, const Vec *v, const OutScale *o, Sym *cols)
{
	const char *ct = dtype_ctype(v[0].c->dtype);
	const char *nt = E->parallel && !E->in_parallel ? cg_omp_nthreads(E) : "1";
	cg_omp_line(E, "const int64_t dfc_nr = %s, dfc_nc = %s;",
		    cg_omp_strip(E, sym_print_c(E->a, v[0].ext)),
		    cg_omp_strip(E, sym_print_c(E->a, cols)));
	cg_omp_line(E, "const int64_t dfc_nt = dfc_max(1, dfc_min(%s, dfc_nr));", nt);
	cg_omp_line(E, "%s *dfc_zp = dfcrt_alloc(sizeof(%s) * (size_t)(dfc_nt * dfc_nc));", ct, ct);
	cg_omp_par_for(E, "", "dfc_nr * dfc_nc");
	cg_omp_line(E, "for (int64_t dfc_c = 0; dfc_c < dfc_nt; dfc_c++) {");
	E->indent++;
	cg_omp_line(E, "%s *restrict dfc_zc = dfc_zp + dfc_c * dfc_nc;", ct);
	cg_omp_simd(E, "");
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < dfc_nc; dfc_j++)");
	cg_omp_line(E, "\tdfc_zc[dfc_j] = 0;");
	emit_rows(E, v, o, ct);
	E->indent--;
	cg_omp_line(E, "}");
	cg_omp_par_for(E, "", "dfc_nt * dfc_nc");
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < dfc_nc; dfc_j++) {");
	E->indent++;
	cg_omp_line(E, "%s dfc_sum = dfc_zp[dfc_j];", ct);
	cg_omp_line(E, "for (int64_t dfc_c = 1; dfc_c < dfc_nt; dfc_c++)");
	cg_omp_line(E, "\tdfc_sum += dfc_zp[dfc_c * dfc_nc + dfc_j];");
	char *z = vec_at(E, &v[4], "dfc_j", 0);
	cg_omp_line(E, "%s = %s;", z, out_value(E, &o[1], z, "dfc_sum"));
	E->indent--;
	cg_omp_line(E, "}");
	cg_omp_line(E, "dfcrt_free(dfc_zp);");
}

void
cg_omp_emit_matvec_pair(OmpEmit *E, int id)
{
	const IrNode *n = &E->st->nodes.data[id];
	cg_omp_comment(E, "matvec_pair", "matvec_pair", n->loc);
	if (!n->lib.impl || strcmp(n->lib.impl, "naive") != 0) {
		cg_omp_fail(E, n->loc, "the OpenMP backend has no expansion '%s' of matvec_pair "
			    "(naive)", n->lib.impl ? n->lib.impl : "");
		return;
	}
	Vec v[5];
	Sym *cols = NULL;
	const char *why = views(E, id, v, &cols);
	if (why) {
		cg_omp_fail(E, n->loc, "the OpenMP backend cannot emit this matvec_pair: %s", why);
		return;
	}
	for (int k = 0; k < 5; k++)
		if (v[k].c && k < 3)
			cg_omp_mark_read(E, v[k].c->name);
		else if (v[k].c)
			cg_omp_mark_used(E, v[k].c->name);
	cg_omp_line(E, "{");
	E->indent++;
	OutScale o[2];
	out_scales(E, id, v[0].c->dtype, o);
	for (int k = 0; k < 2; k++)
		if (o[k].beta || o[k].acc)
			cg_omp_mark_read(E, v[3 + k].c->name);
	emit_sweep(E, v, o, cols);
	E->indent--;
	cg_omp_line(E, "}");
}
