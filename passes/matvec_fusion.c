/* passes/matvec_fusion.c — matvec-fusion: two matrix-vector products of
 * one matrix become one sweep over it.
 *
 * atax (y = A x; z = A^T y) and bicg (z = A^T w; y = A x) read the matrix
 * twice, once per product; both are memory-bound, so the second read
 * costs as much as the first. The site is two states [S1, S2] of one
 * block list, each holding one matmul library node and its access nodes
 * only (the frontend gives each product its own state), consecutive or
 * apart by states that compute 0-d transients only (matmul-scaling's
 * constant and scalar factors): those move before S1. One
 * product contracts A along its rows (A @ x, x @ A.T: "rows"), the other
 * down its columns (w @ A, A.T @ w: "columns"). They become one
 * matvec_pair node (ir/ir.h, docs/ir.md) in S1, and S2 leaves the block
 * list: the OpenMP backend computes, for each row i, t = A[i,:] . x,
 * stores y[i] = t and adds A[i,:] * (w[i] or t) to z while the row is in
 * cache (codegen/openmp/matvec_fusion.c).
 *
 * A product may carry the scale factors matmul-scaling folds into it
 * (mvt: x1 += A @ y1; x2 += y2 @ A): _alpha, _beta with _cin (the
 * output's old value), or an output accumulated with WCR sum. They move
 * to the node as _alpha_y, _beta_y, _yin (the rows product) and _alpha_z,
 * _beta_z, _zin, the outputs keep their WCR, and the sweep stores
 * y[i] = alpha*t + beta*y[i] (or y[i] + t). In the atax form the columns
 * product reads the rows product's output, so it reads the scaled and
 * accumulated y, which the sweep multiplies each row by, as NumPy computes
 * y first and then A^T y.
 *
 * Legality (the refusals say which rule failed):
 *   - both products read the same container through the same subset, a
 *     row-major 2-D array read with unit steps (a strided view would not
 *     be the contiguous rows the sweep streams);
 *   - one product is "rows" and the other "columns", matrix-vector
 *     patterns (2@1 or 1@2) without a transposed vector operand or an
 *     operand scale factor (_scale_a, _div_b: the sweep reads A and the
 *     vectors as stored), written with WCR none or sum;
 *   - A, both vectors and both outputs have one dtype, float32 or float64;
 *   - the columns product's vector is either independent of the other
 *     product (no container of one product's output is read or written by
 *     the other product) or, when the rows product comes first, exactly its
 *     result (same container and subset): then z = A^T y and the node has
 *     no _w. No output may be A or one of the vectors (the sweep writes y
 *     while it reads A, x and w) or a scale factor (read once before the
 *     sweep, where the second product would read it after the first
 *     wrote it), and the outputs are distinct containers. An output
 *     accumulated into (_cin, WCR sum) is thus read by its own product
 *     only, element by element as the sweep writes it.
 * Nothing but the scalar states runs between S1 and S2, so nothing else
 * can write A, the vectors or the outputs between the products; the
 * scalar states write no container S1 names and do not read S1's output,
 * so they may run before S1.
 */
#include <string.h>

#include "passes.h"

/* One matrix-vector product, seen through ir_matmul_operands. */
typedef struct Prod {
	IrState *s;
	int node;                  /* its matmul node */
	IrMatOperand v[3];
	const IrMemlet *mat, *vec, *out;
	const IrMemlet *alpha, *beta, *cin;  /* its scale factors (ir_matmul_input), or NULL */
	bool rows;                 /* A @ x (along the rows) vs A^T @ w */
} Prod;

typedef struct Pair {
	IrBlockList *list;
	int index;                 /* of S1 */
	int end;                   /* of S2; the states between compute scalars */
	Prod p[2];                 /* in program order */
	bool dep;                  /* the columns product reads the rows product's result */
} Pair;

/* Does state s compute scalars only: tasklets and access nodes, every
 * write into a 0-d transient (matmul-scaling's state computing a constant
 * or scalar scale factor)? */
static bool
scalar_state(const IrProgram *p, const IrState *s)
{
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind != IRN_ACCESS && s->nodes.data[i].kind != IRN_TASKLET)
			return false;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (!m->data || s->nodes.data[m->dst].kind != IRN_ACCESS)
			continue;
		const IrContainer *c = ir_program_find_container(p, m->data);
		if (!c || c->ndim != 0 || c->role != ROLE_TRANSIENT)
			return false;
	}
	return true;
}

static const char *
locate(Ctx *ctx, const XSite *site, Pair *P)
{
	IrBlockList *l[2];
	int at[2];
	for (int k = 0; k < 2; k++) {
		IrBlock *b = pass_find_block(site->p, site->names[k], &l[k], &at[k]);
		if (!b || b->kind != CF_STATE)
			return arena_printf(ctx->arena, "'%s' is not a state", site->names[k]);
		P->p[k].s = b->state;
	}
	if (l[0] != l[1] || at[1] <= at[0])
		return arena_printf(ctx->arena, "'%s' does not follow '%s' in the same block list",
				    site->names[1], site->names[0]);
	for (int i = at[0] + 1; i < at[1]; i++) {
		const IrBlock *b = l[0]->data[i];
		if (b->kind != CF_STATE || !scalar_state(site->p, b->state))
			return arena_printf(ctx->arena, "'%s' does not directly follow '%s' in the "
					    "same block list, and '%s' between them does more than "
					    "compute 0-d transients (scale factors)", site->names[1],
					    site->names[0], b->name);
	}
	P->list = l[0];
	P->index = at[0];
	P->end = at[1];
	return NULL;
}

/* Does state s name container `data` on a memlet? */
static bool
names(const IrState *s, const char *data)
{
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].data && strcmp(s->memlets.data[i].data, data) == 0)
			return true;
	return false;
}

/* The states between S1 and S2 move before S1: none may write a container
 * that S1 names or read the one S1 writes. */
static const char *
check_between(Ctx *ctx, const Pair *P)
{
	const IrState *s1 = P->p[0].s;
	for (int i = P->index + 1; i < P->end; i++) {
		const IrState *s = P->list->data[i]->state;
		for (int k = 0; k < s->memlets.len; k++) {
			const IrMemlet *m = &s->memlets.data[k];
			bool write = s->nodes.data[m->dst].kind == IRN_ACCESS;
			if (m->data && (write ? names(s1, m->data)
				       : strcmp(m->data, P->p[0].out->data) == 0))
				return arena_printf(ctx->arena, "'%s' between the products %s '%s', "
						    "which '%s' %s", s->name, write ? "writes" : "reads",
						    m->data, s1->name, write ? "names" : "writes");
		}
	}
	return NULL;
}

/* The one matmul node of s, every other node an access node whose
 * memlets all join it; else the reason. */
static const char *
find_product(Ctx *ctx, Prod *d)
{
	const IrState *s = d->s;
	d->node = -1;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_ACCESS)
			continue;
		if (n->kind != IRN_LIBRARY || n->lib.op != LIB_MATMUL || d->node >= 0)
			return arena_printf(ctx->arena, "state %s holds more than one matrix "
					    "product and its access nodes", s->name);
		d->node = i;
	}
	if (d->node < 0)
		return arena_printf(ctx->arena, "state %s holds no matrix product", s->name);
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->src != d->node && m->dst != d->node)
			return arena_printf(ctx->arena, "state %s holds more than one matrix "
					    "product and its access nodes", s->name);
	}
	return NULL;
}

/* Sees the product of d as a matrix-vector product; else the reason. */
static const char *
read_product(Ctx *ctx, const IrProgram *p, Prod *d)
{
	const char *why = find_product(ctx, d);
	if (why)
		return why;
	const IrNode *n = &d->s->nodes.data[d->node];
	const char *st = d->s->name;
	int pat = ir_matmul_operands(ctx->arena, p, d->s, d->node, d->v);
	if (pat != 1 && pat != 2)
		return arena_printf(ctx->arena, "the product in %s is not a matrix-vector product "
				    "(2-D @ 1-D or 1-D @ 2-D)", st);
	int mi = pat == 1 ? 0 : 1;
	if (n->lib.trans[1 - mi])
		return arena_printf(ctx->arena, "the product in %s reads its vector operand "
				    "transposed", st);
	bool div;
	if (ir_matmul_operand_scale(d->s, d->node, 0, &div) ||
	    ir_matmul_operand_scale(d->s, d->node, 1, &div))
		return arena_printf(ctx->arena, "the product in %s scales an operand (_scale_a, "
				    "_div_a, _scale_b or _div_b)", st);
	d->mat = d->v[mi].m;
	d->vec = d->v[1 - mi].m;
	d->out = d->v[2].m;
	d->alpha = ir_matmul_input(d->s, d->node, "_alpha");
	d->beta = ir_matmul_input(d->s, d->node, "_beta");
	d->cin = ir_matmul_input(d->s, d->node, "_cin");
	if (d->out->wcr != WCR_NONE && d->out->wcr != WCR_SUM)
		return arena_printf(ctx->arena, "the product in %s combines into '%s' with WCR %s",
				    st, d->out->data, ir_wcr_name(d->out->wcr));
	d->rows = (pat == 1) != n->lib.trans[mi];
	return NULL;
}

/* The shared matrix: one container, one subset, row-major, unit steps. */
static const char *
check_matrix(Ctx *ctx, const IrProgram *p, const Pair *P)
{
	Arena *a = ctx->arena;
	const IrMemlet *m0 = P->p[0].mat, *m1 = P->p[1].mat;
	if (strcmp(m0->data, m1->data) != 0 || !subset_equal(&m0->subset, &m1->subset))
		return arena_printf(a, "the products read different matrices: %s%s and %s%s",
				    m0->data, subset_print(a, &m0->subset), m1->data,
				    subset_print(a, &m1->subset));
	const IrContainer *c = ir_program_find_container(p, m0->data);
	if (c->ndim != 2)
		return arena_printf(a, "the matrix '%s' is a %d-D container, not a 2-D one",
				    c->name, c->ndim);
	Sym **rm = ir_strides_row_major(a, 2, c->shape);
	if (!sym_equal(rm[0], c->strides[0]) || !sym_equal(rm[1], c->strides[1]))
		return arena_printf(a, "the matrix '%s' is not laid out row-major", c->name);
	if (!pass_sym_is_one(m0->subset.r[0].step) || !pass_sym_is_one(m0->subset.r[1].step))
		return arena_printf(a, "the matrix is read as a strided view %s%s; the sweep "
				    "streams contiguous rows", c->name, subset_print(a, &m0->subset));
	return NULL;
}

/* One float dtype for the matrix, the vectors and the outputs. */
static const char *
check_dtypes(Ctx *ctx, const IrProgram *p, const Pair *P)
{
	const IrContainer *A = ir_program_find_container(p, P->p[0].mat->data);
	if (A->dtype != DT_FLOAT32 && A->dtype != DT_FLOAT64)
		return arena_printf(ctx->arena, "the matrix '%s' is %s; the sweep handles float32 "
				    "and float64", A->name, dtype_name(A->dtype));
	for (int k = 0; k < 4; k++) {
		const Prod *d = &P->p[k / 2];
		const IrContainer *c = ir_program_find_container(p, k % 2 ? d->out->data
								     : d->vec->data);
		if (c->dtype != A->dtype)
			return arena_printf(ctx->arena, "'%s' is %s and the matrix '%s' is %s: the "
					    "sweep computes in one dtype", c->name,
					    dtype_name(c->dtype), A->name, dtype_name(A->dtype));
	}
	return NULL;
}

static bool
same(const IrMemlet *x, const IrMemlet *y)
{
	return strcmp(x->data, y->data) == 0;
}

/* The dependence rules of the file comment; sets P->dep. */
static const char *
check_deps(Ctx *ctx, Pair *P)
{
	Arena *a = ctx->arena;
	const Prod *f = &P->p[0], *g = &P->p[1];
	P->dep = false;
	if (same(f->out, g->vec)) {
		if (!f->rows || !subset_equal(&f->out->subset, &g->vec->subset))
			return arena_printf(a, "the second product's vector %s%s depends on the first "
					    "product other than by being exactly its result (A @ x "
					    "first, then its result @ A)", g->vec->data,
					    subset_print(a, &g->vec->subset));
		P->dep = true;
	}
	if (same(f->out, g->out))
		return arena_printf(a, "both products write '%s'", f->out->data);
	for (int k = 0; k < 2; k++) {
		const IrMemlet *o = P->p[k].out;
		if (same(o, f->mat))
			return arena_printf(a, "'%s' writes the matrix '%s' that the other product "
					    "reads", P->p[k].s->name, o->data);
		if (same(o, f->vec) || (same(o, g->vec) && !(k == 0 && P->dep)))
			return arena_printf(a, "'%s' is written by one product and read as a vector "
					    "by a product", o->data);
		for (int j = 0; j < 4; j++) {
			const IrMemlet *sc = j % 2 ? P->p[j / 2].beta : P->p[j / 2].alpha;
			if (sc && same(o, sc))
				return arena_printf(a, "'%s' is written by one product and read as a "
						    "scale factor (%s) by a product", o->data,
						    j % 2 ? "beta" : "alpha");
		}
	}
	return NULL;
}

/* Fills P from site; NULL when matvec-fusion is legal there, else why. */
static const char *
analyse(Ctx *ctx, const XSite *site, Pair *P)
{
	const char *why = locate(ctx, site, P);
	for (int k = 0; k < 2 && !why; k++)
		why = read_product(ctx, site->p, &P->p[k]);
	if (!why)
		why = check_matrix(ctx, site->p, P);
	if (!why && P->p[0].rows == P->p[1].rows)
		why = arena_printf(ctx->arena, "both products contract the matrix %s (%s); the sweep "
				   "needs one A @ x and one A.T @ w", P->p[0].rows ? "along its rows"
				   : "down its columns", P->p[0].rows ? "A @ x" : "A.T @ w");
	if (!why)
		why = check_dtypes(ctx, site->p, P);
	if (!why)
		why = check_deps(ctx, P);
	if (!why)
		why = check_between(ctx, P);
	return why;
}

static const char *
mvf_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	Pair P;
	return analyse(ctx, site, &P);
}

/* Adds an access node of m's container to s (at the location of the
 * access node m joins in its state d->s) and returns its id. */
static int
access_of(Ctx *ctx, IrState *s, const Prod *d, const IrMemlet *m, bool out)
{
	const IrNode *n = &d->s->nodes.data[out ? m->dst : m->src];
	return ir_state_add_access(ctx, s, m->data, n->loc);
}

static void
mvf_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	Pair P;
	if (analyse(ctx, site, &P))
		ICE("matvec-fusion applied where it does not apply");
	const Prod *r = P.p[0].rows ? &P.p[0] : &P.p[1], *c = P.p[0].rows ? &P.p[1] : &P.p[0];
	IrState *s1 = P.p[0].s;
	IrState *s = ir_state_new(ctx, s1->name, s1->loc);
	int lib = ir_state_add_library(ctx, s, LIB_MATVEC_PAIR, P.p[0].s->nodes.data[P.p[0].node].loc);
	const IrMemlet *ins[9] = { r->mat, r->vec, P.dep ? NULL : c->vec, r->alpha, r->beta,
				   r->cin, c->alpha, c->beta, c->cin };
	const Prod *from[9] = { r, r, c, r, r, r, c, c, c };
	static const char *const in_conns[9] = { "_a", "_x", "_w", "_alpha_y", "_beta_y", "_yin",
						 "_alpha_z", "_beta_z", "_zin" };
	for (int k = 0; k < 9; k++) {
		if (!ins[k])
			continue;
		int a = access_of(ctx, s, from[k], ins[k], false);
		ir_state_add_memlet(ctx, s, a, NULL, lib, in_conns[k], ins[k]->data, ins[k]->subset,
				    WCR_NONE, ins[k]->loc);
	}
	for (int k = 0; k < 2; k++) {
		const Prod *d = k ? c : r;
		int a = access_of(ctx, s, d, d->out, true);
		ir_state_add_memlet(ctx, s, lib, k ? "_z" : "_y", a, NULL, d->out->data,
				    d->out->subset, d->out->wcr, d->out->loc);
	}
	IrBlock *b1 = P.list->data[P.index];
	b1->state = s;
	for (int i = P.index; i + 1 < P.end; i++)
		P.list->data[i] = P.list->data[i + 1];
	P.list->data[P.end - 1] = b1;
	pass_block_remove(P.list, P.end);
}

/* Every pair of states of l (and the lists nested in it) where the check
 * passes: consecutive, or apart by states that compute scalars only. */
static void
match_in(Ctx *ctx, IrProgram *p, IrBlockList *l, XSiteList *out)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		if (b->kind == CF_FOR)
			match_in(ctx, p, &b->loop.body, out);
		else if (b->kind == CF_WHILE)
			match_in(ctx, p, &b->wloop.body, out);
		else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n; k++)
				match_in(ctx, p, &b->branch.bodies[k], out);
			match_in(ctx, p, &b->branch.orelse, out);
		}
		for (int j = i + 1; b->kind == CF_STATE && j < l->len; j++) {
			if (l->data[j]->kind != CF_STATE)
				break;
			XSite site = { .p = p, .n = 2, .names = { b->name, l->data[j]->name } };
			if (!mvf_check(ctx, &site, NULL)) {
				vec_push(ctx->arena, out, site);
				break;
			}
			if (!scalar_state(p, l->data[j]->state))
				break;
		}
	}
}

static void
mvf_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	match_in(ctx, p, &p->body, out);
}

const Xform xform_matvec_fusion = {
	.name = "matvec-fusion",
	.desc = "fuses A @ x and A.T @ w (or A.T @ (A @ x)) in consecutive states into one "
		"sweep over A",
	.nsites = 2,
	.params = NULL,
	.match = mvf_match,
	.check = mvf_check,
	.apply = mvf_apply,
};
