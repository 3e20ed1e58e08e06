/* ir/matmul.c — the operands of a matmul library node.
 *
 * A matmul's inputs (_a, _b) and output (_c) arrive on memlets whose
 * subsets may be slices of bigger containers. This file sees each as a 1-D
 * or 2-D array (element (x, y) at base + x*str[0] + y*str[1] of the
 * container) and finds the NumPy rank pattern they fit: 2@2->2, 2@1->1,
 * 1@2->1, 1@1->0, tried in that order. An operand of rank r takes its
 * dimensions of extent other than 1, plus, when it needs more, its last
 * extent-1 dimensions (a subset cannot tell a length-1 slice from an index).
 * The first pattern whose extents are known to agree wins; only when none
 * does, the first whose extents may agree (symbols equal at run time): so
 * data[0:N, i] @ data[0:N, i:M] into cov[i, i:M] is 1@2 (N = N), not
 * 2@2 (N x 1 @ N x (M - i), which needs N = 1).
 * An operand the node reads transposed (lib.trans) has its two dimensions
 * swapped once it is seen as 2-D (a 1-D operand is its own transpose).
 * In the 2@2 pattern, an untransposed _a and the _c with more than two
 * dimensions of extent other than 1 are seen as the 2-D matrix of their
 * rows when the strides of all but the last such dimension chain (stride
 * of one = extent times stride of the next): x[0:T, 0:N, 0:D] of a
 * row-major x[T, N, D] is one (T*N) x D matrix, as np.matmul computes a
 * 3-D @ 2-D (loop-to-matmul makes them).
 * The OpenMP backend emits from this analysis and library-expansion checks
 * BLAS legality with it, so both always agree.
 * The optional inputs (scale factors) are found by connector name:
 * ir_matmul_input, ir_matmul_operand_scale.
 */
#include <string.h>

#include "ir.h"

static const char *const conns[3] = { "_a", "_b", "_c" };

static bool
is_one(const Sym *s)
{
	int64_t v;
	return sym_is_const(s, &v) && v == 1;
}

/* Makes v the 2-D view of its big (> 2) dimensions of extent other than 1:
 * the last is the columns, the others the rows, whose strides must chain
 * (the rows of one index of a dimension follow those of the index before
 * it in memory); false when they do not. */
static bool
rows_view(Arena *a, IrMatOperand *v, int big)
{
	const Subset *s = &v->m->subset;
	Sym *base = sym_const(a, 0), *rows = sym_const(a, 1), *prev = NULL;
	int seen = 0;
	for (int d = 0; d < s->ndim; d++) {
		base = sym_add(a, base, sym_mul(a, s->r[d].begin, v->c->strides[d]));
		Sym *e = range_extent(a, &s->r[d]);
		if (is_one(e))
			continue;
		Sym *str = sym_mul(a, s->r[d].step, v->c->strides[d]);
		if (++seen == big) {
			v->ext[1] = e;
			v->str[1] = str;
			continue;
		}
		if (prev && sym_eq(prev, sym_mul(a, e, str)) != T_TRUE)
			return false;
		rows = sym_mul(a, rows, e);
		prev = v->str[0] = str;
	}
	v->rank = 2;
	v->ext[0] = rows;
	v->base = base;
	return true;
}

/* Makes v a rank-r view of its memlet (its two dimensions swapped when
 * trans and r == 2); false if the subset cannot be. With rows, more
 * dimensions than r may make the rows (rows_view). */
static bool
operand_view(Arena *a, IrMatOperand *v, int r, bool trans, bool rows)
{
	const Subset *s = &v->m->subset;
	int big = 0, dims[2], nd = 0;
	for (int d = 0; d < s->ndim; d++)
		big += !is_one(range_extent(a, &s->r[d]));
	if (big > r && rows && r == 2 && !trans)
		return rows_view(a, v, big);
	if (big > r || s->ndim < r)
		return false;
	int units = r - big;
	for (int d = s->ndim - 1; d >= 0; d--)
		if (!is_one(range_extent(a, &s->r[d])) || (units > 0 && units--))
			dims[nd++] = d;
	v->rank = r;
	for (int i = 0; i < r; i++) {
		const SymRange *rg = &s->r[dims[r - 1 - i]];
		v->ext[i] = range_extent(a, rg);
		v->str[i] = sym_mul(a, rg->step, v->c->strides[dims[r - 1 - i]]);
	}
	Sym *base = sym_const(a, 0);
	for (int d = 0; d < s->ndim; d++)
		base = sym_add(a, base, sym_mul(a, s->r[d].begin, v->c->strides[d]));
	v->base = base;
	if (trans && r == 2) {
		Sym *e = v->ext[0], *st = v->str[0];
		v->ext[0] = v->ext[1], v->str[0] = v->str[1];
		v->ext[1] = e, v->str[1] = st;
	}
	return true;
}

/* Can x equal y (strict: is it known to)? */
static bool
may_equal(const Sym *x, const Sym *y, bool strict)
{
	return strict ? sym_eq(x, y) == T_TRUE : sym_eq(x, y) != T_FALSE;
}

static bool
try_pattern(Arena *a, IrMatOperand *v, const int *r, const bool *trans, bool strict)
{
	bool rows = r[0] == 2 && r[1] == 2;
	if (!operand_view(a, &v[0], r[0], trans[0], rows) ||
	    !operand_view(a, &v[1], r[1], trans[1], false) ||
	    !operand_view(a, &v[2], r[2], false, rows))
		return false;
	if (!may_equal(v[0].ext[r[0] - 1], v[1].ext[0], strict))
		return false;
	if (r[0] == 2 && !may_equal(v[0].ext[0], v[2].ext[0], strict))
		return false;
	if (r[1] == 2 && !may_equal(v[1].ext[1], v[2].ext[r[2] - 1], strict))
		return false;
	return true;
}

int
ir_matmul_operands(Arena *a, const IrProgram *p, const IrState *s, int id, IrMatOperand v[3])
{
	static const int pats[IR_MATMUL_NPATS][3] = {
		{ 2, 2, 2 }, { 2, 1, 1 }, { 1, 2, 1 }, { 1, 1, 0 },
	};
	for (int i = 0; i < 3; i++) {
		const IrMemlet *m = ir_state_conn_memlet(s, id, conns[i], i == 2);
		const IrContainer *c = m ? ir_program_find_container(p, m->data) : NULL;
		if (!c)
			return -1;
		v[i] = (IrMatOperand){ .m = m, .c = c };
	}
	for (int strict = 1; strict >= 0; strict--)
		for (int k = 0; k < IR_MATMUL_NPATS; k++)
			if (try_pattern(a, v, pats[k], s->nodes.data[id].lib.trans, strict))
				return k;
	return IR_MATMUL_NPATS;
}

const IrMemlet *
ir_matmul_input(const IrState *s, int id, const char *conn)
{
	return ir_state_conn_memlet(s, id, conn, false);
}

const IrMemlet *
ir_matmul_operand_scale(const IrState *s, int id, int k, bool *div)
{
	static const char *const mul[2] = { "_scale_a", "_scale_b" };
	static const char *const dv[2] = { "_div_a", "_div_b" };
	const IrMemlet *m = ir_state_conn_memlet(s, id, mul[k], false);
	*div = m == NULL;
	if (!m)
		m = ir_state_conn_memlet(s, id, dv[k], false);
	if (!m)
		*div = false;
	return m;
}

bool
ir_matmul_is_scaled(const IrState *s, int id)
{
	bool div;
	return ir_matmul_input(s, id, "_alpha") || ir_matmul_input(s, id, "_beta") ||
	       ir_matmul_operand_scale(s, id, 0, &div) || ir_matmul_operand_scale(s, id, 1, &div);
}
