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
 * otherwise) and the chunks run in a parallel loop. For each row i of its
 * chunk, a thread computes t = A[i,:] . x (omp simd reduction), stores
 * y[i] = t and adds A[i,:] * t into its own copy of z (an omp simd axpy)
 * while the row is still in cache; with _w the dot and the axpy of
 * A[i,:] * w[i] are one loop over the row. A is read from memory once.
 * A second parallel loop sums the copies into z. The
 * copies live in one dfcrt_alloc block (never on a thread's stack). Sums
 * are regrouped compared with two separate products (rounding at NumPy's
 * level). The parallel loops take an `if(parallel: ...)` on their work, as
 * the matmul loops do.
 */
#include <string.h>

#include "emit.h"

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

/* C text of element `k` (a C variable) of v. */
static char *
vec_at(OmpEmit *E, const Vec *v, const char *k)
{
	Arena *a = E->a;
	Sym *idx = sym_add(a, v->base, sym_mul(a, sym_var(a, k), v->str));
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
		if (m->wcr != WCR_NONE)
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

static void
simd(OmpEmit *E, const char *extra)
{
	if (E->parallel)
		cg_omp_line(E, "#pragma omp simd%s", extra);
}

/* `#pragma omp parallel for` over work `work` (C text), when allowed. */
static void
par_for(OmpEmit *E, const char *extra, const char *work)
{
	if (E->parallel && !E->in_parallel)
		cg_omp_line(E, "#pragma omp parallel for%s schedule(static) "
			    "if(parallel: %s > DFCRT_PAR_MIN_WORK)", extra, work);
}

/* The loop over the rows of chunk dfc_c into the copy dfc_zc. */
static void
emit_rows(OmpEmit *E, const Vec *v, const char *ct)
{
	const char *an = cg_omp_cname(E, v[0].c->name);
	int64_t off;
	if (!sym_is_const(v[0].base, &off) || off != 0)
		an = arena_printf(E->a, "%s + %s", an, cg_omp_paren(E, sym_print_c(E->a, v[0].base)));
	cg_omp_line(E, "for (int64_t dfc_i = dfc_nr * dfc_c / dfc_nt; "
		    "dfc_i < dfc_nr * (dfc_c + 1) / dfc_nt; dfc_i++) {");
	E->indent++;
	cg_omp_line(E, "const %s *restrict dfc_row = %s + dfc_i * %s;", ct, an,
		    cg_omp_paren(E, sym_print_c(E->a, v[0].str)));
	cg_omp_line(E, "%s dfc_t = 0;", ct);
	if (v[2].c) {
		cg_omp_line(E, "const %s dfc_s = %s;", ct, vec_at(E, &v[2], "dfc_i"));
		simd(E, " reduction(+:dfc_t)");
		cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < dfc_nc; dfc_j++) {");
		cg_omp_line(E, "\tdfc_t += dfc_row[dfc_j] * %s;", vec_at(E, &v[1], "dfc_j"));
		cg_omp_line(E, "\tdfc_zc[dfc_j] += dfc_row[dfc_j] * dfc_s;");
		cg_omp_line(E, "}");
		cg_omp_line(E, "%s = dfc_t;", vec_at(E, &v[3], "dfc_i"));
		E->indent--;
		cg_omp_line(E, "}");
		return;
	}
	simd(E, " reduction(+:dfc_t)");
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < dfc_nc; dfc_j++)");
	cg_omp_line(E, "\tdfc_t += dfc_row[dfc_j] * %s;", vec_at(E, &v[1], "dfc_j"));
	cg_omp_line(E, "%s = dfc_t;", vec_at(E, &v[3], "dfc_i"));
	simd(E, "");
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < dfc_nc; dfc_j++)");
	cg_omp_line(E, "\tdfc_zc[dfc_j] += dfc_row[dfc_j] * dfc_t;");
	E->indent--;
	cg_omp_line(E, "}");
}

/* The chunks (parallel), then the sum of the copies into z (parallel). */
static void
emit_sweep(OmpEmit *E, const Vec *v, Sym *cols)
{
	const char *ct = dtype_ctype(v[0].c->dtype);
	const char *nt = E->parallel && !E->in_parallel ? cg_omp_nthreads(E) : "1";
	cg_omp_line(E, "const int64_t dfc_nr = %s, dfc_nc = %s;",
		    cg_omp_strip(E, sym_print_c(E->a, v[0].ext)),
		    cg_omp_strip(E, sym_print_c(E->a, cols)));
	cg_omp_line(E, "const int64_t dfc_nt = dfc_max(1, dfc_min(%s, dfc_nr));", nt);
	cg_omp_line(E, "%s *dfc_zp = dfcrt_alloc(sizeof(%s) * (size_t)(dfc_nt * dfc_nc));", ct, ct);
	par_for(E, "", "dfc_nr * dfc_nc");
	cg_omp_line(E, "for (int64_t dfc_c = 0; dfc_c < dfc_nt; dfc_c++) {");
	E->indent++;
	cg_omp_line(E, "%s *restrict dfc_zc = dfc_zp + dfc_c * dfc_nc;", ct);
	simd(E, "");
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < dfc_nc; dfc_j++)");
	cg_omp_line(E, "\tdfc_zc[dfc_j] = 0;");
	emit_rows(E, v, ct);
	E->indent--;
	cg_omp_line(E, "}");
	par_for(E, "", "dfc_nt * dfc_nc");
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < dfc_nc; dfc_j++) {");
	E->indent++;
	cg_omp_line(E, "%s dfc_sum = dfc_zp[dfc_j];", ct);
	cg_omp_line(E, "for (int64_t dfc_c = 1; dfc_c < dfc_nt; dfc_c++)");
	cg_omp_line(E, "\tdfc_sum += dfc_zp[dfc_c * dfc_nc + dfc_j];");
	cg_omp_line(E, "%s = dfc_sum;", vec_at(E, &v[4], "dfc_j"));
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
	emit_sweep(E, v, cols);
	E->indent--;
	cg_omp_line(E, "}");
}
