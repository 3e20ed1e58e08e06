/* codegen/openmp/matmul.c — library nodes: matmul, naive expansion.
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
 * extents can be equal (not provably different) is taken.
 *
 * The loops accumulate in the output dtype (operands are converted to it):
 *   2@2  i (parallel), then C[i,:] = 0 and for k: C[i,:] += A[i,k]*B[k,:]
 *        (j innermost, simd);
 *   2@1  i (parallel), a simd sum over k;
 *   1@2  blocks of 256 columns (parallel), k, then j (simd);
 *   1@1  one sum over k (parallel for simd reduction).
 * The parallel loop has an `if` clause so that small products do not pay
 * for a fork. An output WCR of sum accumulates into C; none overwrites.
 */
#include <string.h>

#include "emit.h"

enum { MM_BLOCK = 256, MM_PAR_WORK = 32768 };

/* An operand seen as an up-to-2-D array: element (x, y) is at
 * base + x*str[0] + y*str[1] of container c. Syms use C names. */
typedef struct View {
	const IrMemlet *m;
	const IrContainer *c;
	int rank;
	Sym *base;
	Sym *ext[2];
	Sym *str[2];
} View;

static const IrMemlet *
lib_memlet(const IrState *st, int id, const char *conn, bool out)
{
	for (int i = 0; i < st->memlets.len; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		const char *c = out ? m->src_conn : m->dst_conn;
		if ((out ? m->src : m->dst) == id && m->data && c && strcmp(c, conn) == 0)
			return m;
	}
	return NULL;
}

static Sym *
extent(Arena *a, const SymRange *r)
{
	int64_t step;
	Sym *len = sym_sub(a, r->end, r->begin);
	if (sym_is_const(r->step, &step) && step == 1)
		return len;
	return sym_floordiv(a, sym_add(a, len, sym_addc(a, r->step, -1)), r->step);
}

static bool
is_unit(const Sym *s)
{
	int64_t v;
	return sym_is_const(s, &v) && v == 1;
}

/* Makes v a rank-r view of its memlet; false if the subset cannot be. */
static bool
view_choose(OmpEmit *E, View *v, int r)
{
	const Subset *s = &v->m->subset;
	int big = 0, dims[2], nd = 0;
	for (int d = 0; d < s->ndim; d++)
		big += !is_unit(extent(E->a, &s->r[d]));
	if (big > r || s->ndim < r)
		return false;
	int units = r - big;
	for (int d = s->ndim - 1; d >= 0; d--)
		if (!is_unit(extent(E->a, &s->r[d])) || (units > 0 && units--))
			dims[nd++] = d;
	v->rank = r;
	for (int i = 0; i < r; i++) {
		const SymRange *rg = &s->r[dims[r - 1 - i]];
		v->ext[i] = cg_omp_msym(E, extent(E->a, rg));
		v->str[i] = cg_omp_msym(E, sym_mul(E->a, rg->step, v->c->strides[dims[r - 1 - i]]));
	}
	v->base = cg_omp_msym(E, cg_omp_linear(E, v->c, s));
	return true;
}

static bool
may_equal(const Sym *x, const Sym *y)
{
	return sym_eq(x, y) != T_FALSE;
}

/* Tries the rank pattern (ra, rb, rc); see the file comment. */
static bool
try_pattern(OmpEmit *E, View *v, int ra, int rb, int rc)
{
	if (!view_choose(E, &v[0], ra) || !view_choose(E, &v[1], rb) ||
	    !view_choose(E, &v[2], rc))
		return false;
	Sym *ka = v[0].ext[ra - 1], *kb = v[1].ext[0];
	if (!may_equal(ka, kb))
		return false;
	if (ra == 2 && !may_equal(v[0].ext[0], v[2].ext[0]))
		return false;
	if (rb == 2 && !may_equal(v[1].ext[1], v[2].ext[rc - 1]))
		return false;
	return true;
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

/* "const R dfc_a = A(i, k);" style accumulate statement: lhs (+)= x*y. */
static char *
mac(OmpEmit *E, const char *lhs, DType t, const char *x, const char *y)
{
	if (t == DT_BOOL)
		return arena_printf(E->a, "%s = %s || (%s && %s);", lhs, lhs, x, y);
	return arena_printf(E->a, "%s += %s * %s;", lhs, x, y);
}

static void
simd(OmpEmit *E, const char *extra)
{
	if (E->parallel)
		cg_omp_line(E, "#pragma omp simd%s", extra);
}

/* The pragma of the outer (parallel) loop, when one is allowed here; its
 * `if` asks for n*k*m multiply-adds (rank-1 operands lack n or m). */
static void
par_for(OmpEmit *E, const View *v, const char *extra)
{
	if (!E->parallel || E->in_parallel)
		return;
	Sym *work = v[1].rank == 2 ? v[1].ext[1] : sym_const(E->a, 1);
	for (int d = 0; d < v[0].rank; d++)
		work = sym_mul(E->a, work, v[0].ext[d]);
	cg_omp_line(E, "#pragma omp parallel for%s schedule(static) if(%s > %d)", extra,
		    sym_c(E, work), MM_PAR_WORK);
}

static void
mm_22(OmpEmit *E, const View *v, DType t, bool zero)
{
	const View *A = &v[0], *B = &v[1], *C = &v[2];
	char *c = elem(E, C, "dfc_i", "dfc_j", C->c->dtype);
	par_for(E, v, "");
	cg_omp_line(E, "for (int64_t dfc_i = 0; dfc_i < %s; dfc_i++) {", sym_c(E, A->ext[0]));
	E->indent++;
	if (zero) {
		simd(E, "");
		cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < %s; dfc_j++)", sym_c(E, B->ext[1]));
		cg_omp_line(E, "\t%s = 0;", c);
	}
	cg_omp_line(E, "for (int64_t dfc_k = 0; dfc_k < %s; dfc_k++) {", sym_c(E, A->ext[1]));
	E->indent++;
	cg_omp_line(E, "const %s dfc_a = %s;", dtype_ctype(t),
		    cg_omp_strip(E, elem(E, A, "dfc_i", "dfc_k", t)));
	simd(E, "");
	cg_omp_line(E, "for (int64_t dfc_j = 0; dfc_j < %s; dfc_j++)", sym_c(E, B->ext[1]));
	cg_omp_line(E, "\t%s", mac(E, c, t, "dfc_a", elem(E, B, "dfc_k", "dfc_j", t)));
	E->indent--;
	cg_omp_line(E, "}");
	E->indent--;
	cg_omp_line(E, "}");
}

/* A sum over k into dfc_acc: the loop of 2@1 (x = "dfc_i") and 1@1. */
static void
mm_sum(OmpEmit *E, const View *v, DType t, const char *x, bool top)
{
	const View *A = &v[0], *B = &v[1];
	cg_omp_line(E, "%s dfc_acc = 0;", dtype_ctype(t));
	const char *red = t == DT_BOOL ? "" : " reduction(+:dfc_acc)";
	if (top && E->parallel && !E->in_parallel && t != DT_BOOL)
		par_for(E, v, " simd reduction(+:dfc_acc)");
	else if (t != DT_BOOL)
		simd(E, red);
	cg_omp_line(E, "for (int64_t dfc_k = 0; dfc_k < %s; dfc_k++)", sym_c(E, B->ext[0]));
	char *a = x ? elem(E, A, x, "dfc_k", t) : elem(E, A, "dfc_k", NULL, t);
	cg_omp_line(E, "\t%s", mac(E, "dfc_acc", t, a, elem(E, B, "dfc_k", NULL, t)));
}

static void
mm_21(OmpEmit *E, const View *v, DType t, Wcr wcr)
{
	const View *A = &v[0], *C = &v[2];
	par_for(E, v, "");
	cg_omp_line(E, "for (int64_t dfc_i = 0; dfc_i < %s; dfc_i++) {", sym_c(E, A->ext[0]));
	E->indent++;
	mm_sum(E, v, t, "dfc_i", false);
	cg_omp_line(E, "%s", cg_omp_update(E, elem(E, C, "dfc_i", NULL, C->c->dtype), wcr,
		    C->c->dtype, cg_omp_convert(E, "dfc_acc", t, C->c->dtype)));
	E->indent--;
	cg_omp_line(E, "}");
}

static void
mm_12(OmpEmit *E, const View *v, DType t, bool zero)
{
	const View *A = &v[0], *B = &v[1], *C = &v[2];
	char *c = elem(E, C, "dfc_j", NULL, C->c->dtype);
	char *m = sym_c(E, B->ext[1]);
	par_for(E, v, "");
	cg_omp_line(E, "for (int64_t dfc_jj = 0; dfc_jj < %s; dfc_jj += %d) {", m, MM_BLOCK);
	E->indent++;
	cg_omp_line(E, "const int64_t dfc_je = dfc_min(dfc_jj + %d, %s);", MM_BLOCK, m);
	if (zero) {
		simd(E, "");
		cg_omp_line(E, "for (int64_t dfc_j = dfc_jj; dfc_j < dfc_je; dfc_j++)");
		cg_omp_line(E, "\t%s = 0;", c);
	}
	cg_omp_line(E, "for (int64_t dfc_k = 0; dfc_k < %s; dfc_k++) {", sym_c(E, A->ext[0]));
	E->indent++;
	cg_omp_line(E, "const %s dfc_a = %s;", dtype_ctype(t),
		    cg_omp_strip(E, elem(E, A, "dfc_k", NULL, t)));
	simd(E, "");
	cg_omp_line(E, "for (int64_t dfc_j = dfc_jj; dfc_j < dfc_je; dfc_j++)");
	cg_omp_line(E, "\t%s", mac(E, c, t, "dfc_a", elem(E, B, "dfc_k", "dfc_j", t)));
	E->indent--;
	cg_omp_line(E, "}");
	E->indent--;
	cg_omp_line(E, "}");
}

static void
emit_matmul(OmpEmit *E, const IrNode *n, View *v)
{
	static const int pat[4][3] = { { 2, 2, 2 }, { 2, 1, 1 }, { 1, 2, 1 }, { 1, 1, 0 } };
	int p = 0;
	while (p < 4 && !try_pattern(E, v, pat[p][0], pat[p][1], pat[p][2]))
		p++;
	if (p == 4) {
		cg_omp_fail(E, n->loc, "the OpenMP backend cannot match the shapes of this "
			    "matmul (operands '%s' and '%s' into '%s')", v[0].c->name,
			    v[1].c->name, v[2].c->name);
		return;
	}
	Wcr wcr = v[2].m->wcr;
	DType t = v[2].c->dtype;
	cg_omp_mark_used(E, v[2].c->name);
	cg_omp_line(E, "{");
	E->indent++;
	switch (p) {
	case 0: mm_22(E, v, t, wcr == WCR_NONE); break;
	case 1: mm_21(E, v, t, wcr); break;
	case 2: mm_12(E, v, t, wcr == WCR_NONE); break;
	default:
		mm_sum(E, v, t, NULL, true);
		cg_omp_line(E, "%s", cg_omp_update(E, elem(E, &v[2], NULL, NULL, t), wcr, t,
			    "dfc_acc"));
		break;
	}
	E->indent--;
	cg_omp_line(E, "}");
}

void
cg_omp_emit_library(OmpEmit *E, int id)
{
	const IrNode *n = &E->st->nodes.data[id];
	if (n->lib.op != LIB_MATMUL)
		ICE("unknown library op %d", (int)n->lib.op);
	cg_omp_comment(E, "matmul", "matmul", n->loc);
	const char *conns[3] = { "_a", "_b", "_c" };
	View v[3];
	for (int i = 0; i < 3; i++) {
		const IrMemlet *m = lib_memlet(E->st, id, conns[i], i == 2);
		if (!m)
			ICE("matmul without a '%s' memlet (verify first)", conns[i]);
		v[i] = (View){ .m = m, .c = cg_omp_container(E, m->data) };
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
	emit_matmul(E, n, v);
}
