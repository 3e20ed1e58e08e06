/* passes/loop_to_matmul.c — loop-to-matmul: a loop of vector-matrix
 * products over consecutive rows, or of matrix-matrix products over
 * consecutive blocks of rows, becomes one matrix-matrix product.
 *
 *   for loop_L5 q in range(s, e, 1):          state state_L6:
 *     state state_L6:                           A[r, s:s+T, 0:K] @ W -> t[0:T, 0:K]
 *       A[r, q, 0:K] @ W -> t[0:K]      ==>   for loop_L5 q in range(s, e, 1):
 *     state state_L6_2:                         state state_L6_2:
 *       t[_i0] -> ... -> B[r, q, _i0]             t[q - s, _i0] -> ... -> B[r, q, _i0]
 *
 * (T = e - s, or max(e - s, 0) when e >= s is not known). The site is a
 * CF_FOR block whose body is states only; the product is the first state
 * of the body that passes every check below: a state holding one matmul
 * library node (no scale factors) and the access nodes of its operands,
 * whose operands fit 1@2 or 2@2 (ir_matmul_operands). Its left operand _a
 * indexes one dimension of its container by `var + c` and nothing else by
 * the loop variable, so the iterations read consecutive, equally spaced
 * rows (1@2), or blocks of rows (2@2: rnn's x[t, 0:N, 0:D], the loop's
 * dimension in front of the matrix's two, whose stride must be the
 * block's rows times their stride, so that the blocks of all iterations
 * form one (T*N) x D matrix in memory; ir/matmul.c sees such a 3-D
 * subset as that matrix); the matrix _b does not vary with the loop; the
 * result _c is the whole of a transient t that nothing outside the loop
 * uses, the states before the product do not touch, and the states after
 * it only read (the frontend writes every product to such a transient,
 * and the states after it copy it or compute from it). The product state
 * moves before the loop and reads all rows at once (2@2; a vector running
 * down a column of its container makes the matrix of rows a transposed
 * view, lib.trans), t gains a leading dimension of T rows (or blocks),
 * and the rest of the body reads row (block) `var - s` of it. The loop
 * left behind becomes a map where loop-to-map allows it (the copy of
 * doitgen's in-place update does); library-expansion then picks BLAS gemm
 * for the product. A loop of no iteration computes a product of 0 rows.
 * A triangle (1@2) is hoisted too: _b's columns (dimension col) run
 * from var + c to an end the loop does not change, and _c is the first
 * end - var - c elements of t (covariance's `data[:, i] @ data[:, i:]`);
 * the product over all rows takes the columns from the first iteration's
 * on, and the rest reads element e of row var - s at column e + (var + c)
 * - (s + c). When _a and _b are one matrix X (the vector X's column
 * var + a, the matrix its columns from var + c on, c >= a, and every
 * column the loop's vectors take before end), the product is the square
 * X^T X over the columns from s + a on (decide_square), which BLAS
 * computes as ?syrk; row var - s then starts at column e + var - s + c - a.
 * Products of blocks (2@2) are hoisted only with the parameter `blocks:
 * true`, which the matcher gives the loops that need it (l2mm_match), so
 * that -O3 hoists them: with the tiled gemm loops of codegen/openmp/
 * gemm.c one product of all the blocks wins (rnn 13.7 -> 10.4 ms, doitgen
 * 4.1 -> 2.6), with OpenBLAS it is about even (docs/transformations.md).
 *
 * Legality: running every iteration's product before the rest of any
 * iteration reads the same values when the rest of no iteration writes an
 * element that the product of a later iteration reads (a flow dependence,
 * passes/depend.c, exact for affine subscripts) and no state before the
 * product writes a container it reads (that iteration's own product
 * would read the new value); t is private to an iteration (written whole
 * by its product before anything reads it), so it carries nothing
 * between iterations once each has a row of its own.
 */
#include <string.h>

#include "depend.h"

/* The parts of a site, filled by find_site and the checks. */
typedef struct Site {
	IrBlock *loop;           /* the CF_FOR block */
	IrBlockList *list;       /* list->data[index] == loop */
	int index;
	int k;                   /* the product's state is body.data[k] */
	IrState *s;
	int lib;                 /* its matmul node */
	bool mat;                /* 2@2 (else 1@2) */
	IrMatOperand v[3];       /* its operands */
	int ma, mb, mc;          /* memlet ids of _a, _b, _c in s */
	int row;                 /* dimension of _a's subset indexed by the loop variable */
	int vec;                 /* dimension of _a's subset holding the vector (1@2) */
	int col;                 /* dimension of _b whose range starts at the loop
				    variable (a triangle, 1@2), or -1 */
	bool square;             /* the triangle's rows and columns are of one
				    matrix: the product over all rows becomes
				    X^T X over the columns from the first row's */
	const IrContainer *t;    /* the transient _c writes */
	Sym *trip;               /* number of iterations, >= 0 */
	bool blocks;             /* the parameter `blocks`: 2@2 products too */
} Site;

static bool
is_const(const Sym *s, int64_t v)
{
	int64_t c;
	return sym_is_const(s, &c) && c == v;
}

/* The loop and its body (states only). */
static const char *
find_site(Ctx *ctx, const XSite *site, Site *S)
{
	IrBlock *b = pass_find_block(site->p, site->names[0], &S->list, &S->index);
	if (!b || b->kind != CF_FOR)
		return "it is not a for loop";
	S->loop = b;
	const IrBlockList *body = &b->loop.body;
	if (body->len == 0)
		return "the loop body is empty";
	for (int i = 0; i < body->len; i++)
		if (body->data[i]->kind != CF_STATE)
			return arena_printf(ctx->arena, "the loop body has control flow%s%s%s",
					    body->data[i]->name ? " (" : "",
					    body->data[i]->name ? body->data[i]->name : "",
					    body->data[i]->name ? ")" : "");
	if (!is_const(b->loop.step, 1))
		return arena_printf(ctx->arena, "the loop's step is %s, not 1 (the rows of "
				    "its products would not be consecutive)",
				    sym_print(ctx->arena, b->loop.step));
	return NULL;
}

/* S->s is one unscaled matmul, its access nodes and the three memlets
 * of its operands; the operands fit 1@2 or 2@2. */
static const char *
check_product(Ctx *ctx, const IrProgram *p, Site *S)
{
	const IrState *s = S->s;
	S->lib = -1;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_LIBRARY && n->lib.op == LIB_MATMUL && S->lib < 0)
			S->lib = i;
		else if (n->kind != IRN_ACCESS)
			return arena_printf(ctx->arena, "%s holds more than a matrix product "
					    "and the access nodes of its operands", s->name);
	}
	if (ir_matmul_is_scaled(s, S->lib) || s->memlets.len != 3)
		return arena_printf(ctx->arena, "the product in %s is scaled or has more "
				    "than its two operands and its result", s->name);
	IrMatOperand *v = S->v;
	int pat = ir_matmul_operands(ctx->arena, p, s, S->lib, v);
	if (pat != 0 && pat != 2)
		return arena_printf(ctx->arena, "the product in %s is neither a vector "
				    "times a matrix (1-D @ 2-D) nor a matrix times a "
				    "matrix (2-D @ 2-D)", s->name);
	S->mat = pat == 0;
	if (S->mat && !S->blocks)
		return arena_printf(ctx->arena, "the product in %s is a matrix times a matrix "
				    "(2-D @ 2-D), hoisted only with `blocks: true`", s->name);
	S->ma = v[0].m->id, S->mb = v[1].m->id, S->mc = v[2].m->id;
	if (v[2].m->wcr != WCR_NONE)
		return "the product accumulates into its result";
	return NULL;
}

/* The blocks of rows of consecutive iterations follow each other in
 * memory: the loop's dimension S->row of _a comes before the matrix's
 * two, and its stride is the block's rows times their stride (an
 * in-order row-major x[T, N, D] read as x[t, 0:N, 0:D]). */
static const char *
check_blocks(Ctx *ctx, const Site *S)
{
	Arena *a = ctx->arena;
	const IrMemlet *m = &S->s->memlets.data[S->ma];
	const char *at = subset_print(a, &m->subset);
	if (S->s->nodes.data[S->lib].lib.trans[0])
		return arena_printf(a, "the matrix %s%s is read transposed (its rows are "
				    "not rows of memory)", m->data, at);
	for (int d = 0; d < S->row; d++)
		if (!is_const(sym_sub(a, m->subset.r[d].end, m->subset.r[d].begin), 1))
			return arena_printf(a, "the loop indexes the matrix %s%s in dimension "
					    "%d, not in front of the matrix's dimensions",
					    m->data, at, S->row);
	Sym *str = S->v[0].c->strides[S->row], *want = sym_mul(a, S->v[0].ext[0], S->v[0].str[0]);
	if (sym_eq(str, want) != T_TRUE)
		return arena_printf(a, "the blocks %s%s of consecutive iterations are not "
				    "consecutive in memory ('%s' has stride %s in dimension %d, "
				    "not %s)", m->data, at, m->data, sym_print(a, str), S->row,
				    sym_print(a, want));
	return NULL;
}

/* _b does not vary with the loop, or (a vector times a matrix) only the
 * range of its dimension S->col does, starting at var + c, its end and
 * step fixed: the columns of a triangle (covariance's `data[:, i] @
 * data[:, i:]`), whose result _c is then the first end - (var + c)
 * elements of t; otherwise _c does not vary either. */
static const char *
check_triangle(Ctx *ctx, Site *S)
{
	Arena *a = ctx->arena;
	const char *var = S->loop->loop.var;
	const IrMemlet *b = &S->s->memlets.data[S->mb], *c = &S->s->memlets.data[S->mc];
	S->col = -1;
	S->square = false;
	for (int d = 0; d < b->subset.ndim; d++) {
		const SymRange *r = &b->subset.r[d];
		int64_t coef;
		if (!range_depends_on(r, var))
			continue;
		if (S->mat || S->col >= 0 || !sym_coef_of(r->begin, var, &coef) || coef != 1 ||
		    sym_depends_on(r->end, var) || !is_const(r->step, 1))
			return arena_printf(a, "the matrix %s%s varies with the loop", b->data,
					    subset_print(a, &b->subset));
		S->col = d;
	}
	if (!subset_depends_on(&c->subset, var))
		return S->col < 0 ? NULL : "the product's result does not follow its columns";
	if (S->col < 0)
		return "the product's result varies with the loop";
	const SymRange *r = &b->subset.r[S->col];
	if (c->subset.ndim != 1 || !is_const(c->subset.r[0].begin, 0) ||
	    !is_const(c->subset.r[0].step, 1) ||
	    !sym_equal(c->subset.r[0].end, sym_sub(a, r->end, r->begin)))
		return arena_printf(a, "the product's result %s%s is not the first %s "
				    "elements of '%s'", c->data, subset_print(a, &c->subset),
				    sym_print(a, sym_sub(a, r->end, r->begin)), c->data);
	return NULL;
}

/* _a indexes one dimension by var + c (the rows, or blocks of rows); _b
 * and _c as check_triangle says. */
static const char *
check_operands(Ctx *ctx, Site *S)
{
	const char *var = S->loop->loop.var, *what = S->mat ? "matrix" : "vector";
	const IrMemlet *a = &S->s->memlets.data[S->ma];
	const char *at = subset_print(ctx->arena, &a->subset);
	const char *why = check_triangle(ctx, S);
	if (why)
		return why;
	S->row = S->vec = -1;
	for (int d = 0; d < a->subset.ndim; d++) {
		const SymRange *r = &a->subset.r[d];
		int64_t coef;
		if (!range_depends_on(r, var)) {
			if (!is_const(sym_sub(ctx->arena, r->end, r->begin), 1))
				S->vec = d;
			continue;
		}
		if (S->row >= 0)
			return arena_printf(ctx->arena, "the %s %s%s varies with the loop in "
					    "more than one dimension", what, a->data, at);
		if (!sym_coef_of(r->begin, var, &coef) || coef != 1 ||
		    !is_const(sym_sub(ctx->arena, r->end, r->begin), 1) || !is_const(r->step, 1))
			return arena_printf(ctx->arena, "the rows %s%s the iterations read are "
					    "not consecutive", a->data, at);
		S->row = d;
	}
	if (S->row < 0)
		return arena_printf(ctx->arena, "the %s %s%s does not vary with the loop",
				    what, a->data, at);
	if (S->mat)
		return check_blocks(ctx, S);
	if (S->vec < 0)
		return arena_printf(ctx->arena, "the vector %s%s has length 1", a->data, at);
	return NULL;
}

/* ---- the result: a transient private to an iteration ---- */

/* How a state after the product touches t: NULL when it only reads it
 * through memlets whose subsets can gain a leading index. */
static const char *
rest_use_why(Ctx *ctx, const IrState *s, const char *t)
{
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		const IrNode *dst = &s->nodes.data[m->dst];
		if (!m->data || strcmp(m->data, t) != 0)
			continue;
		if (pass_is_access_of(s, m->dst, t))
			return arena_printf(ctx->arena, "%s writes the product's result '%s'",
					    s->name, t);
		if (dst->kind == IRN_TASKLET && m->dst_conn &&
		    ir_expr_loads(dst->tasklet.expr, m->dst_conn))
			return arena_printf(ctx->arena, "%s reads the product's result '%s' at "
					    "computed indices", s->name, t);
		if (dst->kind == IRN_LIBRARY && dst->lib.op != LIB_MATMUL)
			return arena_printf(ctx->arena, "%s reads the product's result '%s' in a "
					    "%s node", s->name, t, ir_libop_name(dst->lib.op));
	}
	return NULL;
}

static const char *
check_result(Ctx *ctx, const IrProgram *p, Site *S)
{
	const IrMemlet *c = &S->s->memlets.data[S->mc];
	S->t = ir_program_find_container(p, c->data);
	if (S->t->role != ROLE_TRANSIENT || S->t->ndim == 0)
		return arena_printf(ctx->arena, "the product writes '%s', which is not a "
				    "transient array", c->data);
	for (int d = 0; d < S->t->ndim && S->col < 0; d++)
		if (!is_const(c->subset.r[d].begin, 0) || !is_const(c->subset.r[d].step, 1) ||
		    !sym_equal(c->subset.r[d].end, S->t->shape[d]))
			return arena_printf(ctx->arena, "the product writes part of '%s' only",
					    c->data);
	const IrMemlet *m = S->s->memlets.data;
	if (strcmp(m[S->ma].data, c->data) == 0 || strcmp(m[S->mb].data, c->data) == 0)
		return arena_printf(ctx->arena, "the product reads its result '%s'", c->data);
	if (pass_cond_reads(p, c->data) ||
	    pass_touched_outside(p, c->data, pass_in_list, &S->loop->loop.body))
		return arena_printf(ctx->arena, "the product's result '%s' is used outside "
				    "the loop", c->data);
	const IrBlockList *body = &S->loop->loop.body;
	for (int i = 0; i < S->k; i++)
		if (pass_state_touches(body->data[i]->state, c->data))
			return arena_printf(ctx->arena, "%s, before the product, uses its result "
					    "'%s' (the previous iteration's)",
					    body->data[i]->state->name, c->data);
	for (int i = S->k + 1; i < body->len; i++) {
		const char *why = rest_use_why(ctx, body->data[i]->state, c->data);
		if (why)
			return why;
	}
	return NULL;
}

/* The trip count, in the program's size symbols (t's new shape uses it). */
static const char *
check_trip(Ctx *ctx, const IrProgram *p, Site *S)
{
	Arena *a = ctx->arena;
	const IrBlock *l = S->loop;
	Sym *n = sym_sub(a, l->loop.stop, l->loop.start);
	S->trip = sym_le(l->loop.start, l->loop.stop) == T_TRUE ? n :
		  sym_max(a, n, sym_const(a, 0));
	for (int i = 0; i < p->symbols.len; i++)
		n = sym_subst(a, n, p->symbols.data[i], sym_const(a, 0));
	if (!sym_is_const(n, NULL))
		return arena_printf(ctx->arena, "the loop's bounds range(%s, %s) depend on more "
				    "than the program's size symbols",
				    sym_print(a, l->loop.start), sym_print(a, l->loop.stop));
	return NULL;
}

/* NULL when no state before the product writes a container it reads
 * (the product of that iteration would read the new value). */
static const char *
check_before(Ctx *ctx, const Site *S)
{
	const IrBlockList *body = &S->loop->loop.body;
	const IrMemlet *m = S->s->memlets.data;
	for (int i = 0; i < S->k; i++) {
		DepAccessList acc = { 0 };
		dep_collect_state(ctx, body->data[i]->state, &acc);
		for (int j = 0; j < acc.len; j++)
			if (acc.data[j].write && (strcmp(acc.data[j].data, m[S->ma].data) == 0 ||
						  strcmp(acc.data[j].data, m[S->mb].data) == 0))
				return arena_printf(ctx->arena, "%s writes '%s' before the product "
						    "reads it in the same iteration",
						    body->data[i]->state->name, acc.data[j].data);
	}
	return NULL;
}

/* NULL when the rest of no iteration writes what the product of a later
 * one reads (the product of every iteration runs first once transformed;
 * reading what a later iteration overwrites is read first either way). */
static const char *
check_dependences(Ctx *ctx, const IrProgram *p, const Site *S)
{
	const IrBlock *l = S->loop;
	const char *why = check_before(ctx, S);
	if (why)
		return why;
	DepAccessList prod = { 0 }, rest = { 0 };
	dep_collect_state(ctx, S->s, &prod);
	for (int i = 0; i < l->loop.body.len; i++)
		if (i != S->k)
			dep_collect_state(ctx, l->loop.body.data[i]->state, &rest);
	DepLoop L = { l->loop.var, l->loop.start, l->loop.stop, 1, p };
	for (int i = 0; i < rest.len; i++) {
		const DepAccess *w = &rest.data[i];
		if (!w->write || strcmp(w->data, S->t->name) == 0)
			continue;
		for (int k = 0; k < prod.len; k++) {
			const DepAccess *x = &prod.data[k];
			Dep d;
			if (x->write || strcmp(x->data, w->data) != 0 ||
			    dep_test_pair(ctx, &L, w, x, &d) != DEP_FLOW)
				continue;
			return arena_printf(ctx->arena, "an iteration writes %s%s after its "
					    "product and the product of a later iteration reads "
					    "%s%s (a loop-carried flow dependence)", w->data,
					    subset_print(ctx->arena, &w->subset), x->data,
					    subset_print(ctx->arena, &x->subset));
		}
	}
	return NULL;
}

/* ---- the product over all rows ---- */

/* A copy of memlet mi's subset in S->s, to change. */
static Subset
subset_of(Arena *a, const Site *S, int mi)
{
	return subset_copy(a, &S->s->memlets.data[mi].subset);
}

/* _a with the rows of every iteration: [s + c : s + c + trip]. */
static Subset
rows_subset(Ctx *ctx, const Site *S)
{
	Arena *a = ctx->arena;
	const Subset *old = &S->s->memlets.data[S->ma].subset;
	Subset n = subset_of(a, S, S->ma);
	Sym *b = sym_subst(a, old->r[S->row].begin, S->loop->loop.var, S->loop->loop.start);
	n.r[S->row] = (SymRange){ b, sym_add(a, b, S->trip), sym_const(a, 1) };
	if (S->square)
		n.r[S->row].end = S->s->memlets.data[S->mb].subset.r[S->col].end;
	return n;
}

/* Where the product over all rows starts its columns: the first
 * iteration's first column, or (square) its row. */
static Sym *
col_base(Ctx *ctx, const Site *S)
{
	const IrMemlet *m = S->s->memlets.data;
	const Sym *b = S->square ? m[S->ma].subset.r[S->row].begin :
				   m[S->mb].subset.r[S->col].begin;
	return sym_subst(ctx->arena, b, S->loop->loop.var, S->loop->loop.start);
}

/* The columns of every iteration's triangle: _b's range S->col from
 * col_base on. */
static Subset
cols_subset(Ctx *ctx, const Site *S)
{
	Subset n = subset_of(ctx->arena, S, S->mb);
	n.r[S->col].begin = col_base(ctx, S);
	return n;
}

/* The columns of the product over all rows: those of the first
 * iteration's triangle (at least 0). */
static Sym *
cols_width(Ctx *ctx, const Site *S)
{
	Arena *a = ctx->arena;
	Subset b = cols_subset(ctx, S);
	Sym *w = sym_sub(a, b.r[S->col].end, b.r[S->col].begin);
	return sym_le(b.r[S->col].begin, b.r[S->col].end) == T_TRUE ? w :
	       sym_max(a, w, sym_const(a, 0));
}

/* old with the leading range [begin:end] prepended. */
static Subset
prepend(Ctx *ctx, const Subset *old, Sym *begin, Sym *end)
{
	Arena *a = ctx->arena;
	Subset n = { old->ndim + 1, arena_alloc(a, sizeof(SymRange) * (size_t)(old->ndim + 1)) };
	n.r[0] = (SymRange){ begin, end, sym_const(a, 1) };
	memcpy(n.r + 1, old->r, sizeof(SymRange) * (size_t)old->ndim);
	return n;
}

/* t with a leading dimension of trip rows. */
static IrContainer
rows_container(Ctx *ctx, const Site *S)
{
	IrContainer c = *S->t;
	c.ndim = S->t->ndim + 1;
	c.shape = arena_alloc(ctx->arena, sizeof(Sym *) * (size_t)c.ndim);
	c.shape[0] = S->trip;
	memcpy(c.shape + 1, S->t->shape, sizeof(Sym *) * (size_t)S->t->ndim);
	if (S->col >= 0)
		c.shape[1] = cols_width(ctx, S);
	if (S->square)
		c.shape[0] = c.shape[1];
	c.strides = ir_strides_row_major(ctx->arena, c.ndim, c.shape);
	return c;
}

/* Rewrites the product state s (S->s or a copy of it) into the product
 * over all rows: _a's rows of every iteration, _b's columns of the first
 * triangle, _c a leading dimension of trip rows (of the first triangle's
 * columns). */
static void
product_over_rows(Ctx *ctx, const Site *S, IrState *s)
{
	Arena *a = ctx->arena;
	const IrMemlet *m = S->s->memlets.data;
	Subset c = m[S->mc].subset;
	if (S->col >= 0) {
		s->memlets.data[S->mb].subset = cols_subset(ctx, S);
		c = (Subset){ 1, arena_alloc(a, sizeof(SymRange)) };
		c.r[0] = (SymRange){ sym_const(a, 0), cols_width(ctx, S), sym_const(a, 1) };
	}
	s->memlets.data[S->ma].subset = rows_subset(ctx, S);
	s->memlets.data[S->mc].subset = prepend(ctx, &c, sym_const(a, 0),
						S->square ? cols_width(ctx, S) : S->trip);
	s->nodes.data[S->lib].lib.trans[0] = !S->mat && S->row > S->vec;
}

/* The product state as it will be, for check_shape: a copy of s and of
 * the program's containers with the new subsets and t's new shape. */
static const char *
check_shape(Ctx *ctx, const IrProgram *p, const Site *S)
{
	Arena *a = ctx->arena;
	IrState s = *S->s;
	size_t nb = sizeof(IrNode) * (size_t)s.nodes.len, mb = sizeof(IrMemlet) * (size_t)s.memlets.len;
	s.nodes.data = memcpy(arena_alloc(a, nb), S->s->nodes.data, nb);
	s.memlets.data = memcpy(arena_alloc(a, mb), S->s->memlets.data, mb);
	product_over_rows(ctx, S, &s);
	IrProgram q = *p;
	size_t cb = sizeof(IrContainer) * (size_t)p->containers.len;
	q.containers.data = memcpy(arena_alloc(a, cb), p->containers.data, cb);
	*ir_program_find_container(&q, S->t->name) = rows_container(ctx, S);
	IrMatOperand v[3];
	if (ir_matmul_operands(a, &q, &s, S->lib, v) != 0)
		return "the product over all rows is not a matrix product (2-D @ 2-D)";
	return NULL;
}

/* Is the triangle square: _a's vector and _b's columns of one matrix X
 * (X[0:N, i] @ X[0:N, i + c:E], c >= 0, the loop's rows all before E)? The
 * product over all rows is then X[0:N, s:E]^T X[0:N, s:E], which BLAS
 * computes as ?syrk (half the products of a general gemm), and iteration
 * i reads its row from column i + c on. */
static void
decide_square(Ctx *ctx, Site *S)
{
	Arena *a = ctx->arena;
	const IrMemlet *ma = &S->s->memlets.data[S->ma], *mb = &S->s->memlets.data[S->mb];
	if (S->col < 0 || S->row != S->col || strcmp(ma->data, mb->data) != 0)
		return;
	for (int d = 0; d < ma->subset.ndim; d++) {
		const SymRange *x = &ma->subset.r[d], *y = &mb->subset.r[d];
		if (d != S->row && (!sym_equal(x->begin, y->begin) || !sym_equal(x->end, y->end) ||
				    !sym_equal(x->step, y->step)))
			return;
	}
	int64_t c;
	Sym *first = sym_subst(a, ma->subset.r[S->row].begin, S->loop->loop.var,
			       S->loop->loop.start);
	Sym *width = sym_sub(a, mb->subset.r[S->col].end, first);
	if (!sym_is_const(sym_sub(a, mb->subset.r[S->col].begin, ma->subset.r[S->row].begin),
			  &c) || c < 0 || sym_le(S->trip, width) != T_TRUE)
		return;
	S->square = true;
}

/* NULL when the product in S->s can be hoisted. */
static const char *
analyse_product(Ctx *ctx, const IrProgram *p, Site *S)
{
	const char *why = check_product(ctx, p, S);
	if (!why)
		why = check_operands(ctx, S);
	if (!why)
		why = check_result(ctx, p, S);
	if (!why)
		why = check_trip(ctx, p, S);
	if (!why)
		decide_square(ctx, S);
	if (!why)
		why = check_dependences(ctx, p, S);
	if (!why)
		why = check_shape(ctx, p, S);
	return why;
}

/* A state of the body holding a matmul node (the body is states only). */
static bool
has_matmul(const IrBlock *b)
{
	const IrState *s = b->state;
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_LIBRARY && s->nodes.data[i].lib.op == LIB_MATMUL)
			return true;
	return false;
}

typedef struct Try {
	const IrProgram *p;
	Site *S;
} Try;

/* analyse_product on the state at body position k. */
static const char *
try_state(Ctx *ctx, int k, void *ud)
{
	Try *t = ud;
	t->S->k = k;
	t->S->s = t->S->loop->loop.body.data[k]->state;
	return analyse_product(ctx, t->p, t->S);
}

/* The parameter `blocks: true|false` (default false) into S->blocks. */
static const char *
blocks_param(const XParams *params, Site *S)
{
	const XParam *q = pass_param(params, "blocks");
	S->blocks = false;
	if (!q)
		return NULL;
	bool t = q->nint < 0 && strcmp(q->str, "true") == 0;
	if (!t && !(q->nint < 0 && strcmp(q->str, "false") == 0))
		return "blocks must be true or false";
	S->blocks = t;
	return NULL;
}

/* Fills *S for site with the first state of the body whose product can
 * be hoisted; NULL when there is one. Else the reason: that of the only
 * state holding a product, or each such state's. */
static const char *
analyse(Ctx *ctx, const XSite *site, const XParams *params, Site *S)
{
	const char *why = blocks_param(params, S);
	if (!why)
		why = find_site(ctx, site, S);
	if (why)
		return why;
	Try t = { site->p, S };
	return pass_first_in_body(ctx, &S->loop->loop.body, has_matmul, try_state, &t,
				  "the loop body holds no matrix product",
				  "products can be hoisted");
}

static const char *
l2mm_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Site S;
	return analyse(ctx, site, params, &S);
}

/* ---- apply ---- */

/* Every memlet of t in the states after the product reads row (block)
 * var - start. */
static void
index_rest(Ctx *ctx, IrProgram *p, const Site *S)
{
	Arena *a = ctx->arena;
	const IrBlock *l = S->loop;
	Sym *row = sym_sub(a, sym_var(a, l->loop.var), l->loop.start);
	Sym *shift = S->col < 0 ? NULL :
		     sym_sub(a, S->s->memlets.data[S->mb].subset.r[S->col].begin, col_base(ctx, S));
	for (int i = 0; i < l->loop.body.len; i++) {
		IrState *s = l->loop.body.data[i]->state;
		if (i == S->k)
			continue;
		for (int k = 0; k < s->memlets.len; k++) {
			IrMemlet *m = &s->memlets.data[k];
			if (!m->data || strcmp(m->data, S->t->name) != 0)
				continue;
			Subset x = m->subset;
			if (S->col >= 0) {   /* element e of t is column e + shift of T */
				x.r = arena_alloc(a, sizeof(SymRange));
				x.r[0] = (SymRange){ sym_add(a, m->subset.r[0].begin, shift),
						     sym_add(a, m->subset.r[0].end, shift),
						     m->subset.r[0].step };
			}
			m->subset = prepend(ctx, &x, row, sym_addc(a, row, 1));
		}
		/* a map's memlet covering all of t would now reach past T's
		 * columns: cover what its iterations read */
		for (int k = 0; S->col >= 0 && k < s->nodes.len; k++)
			if (s->nodes.data[k].kind == IRN_MAP_ENTRY)
				pass_map_cover_memlets(ctx, p, s, k);
	}
}

/* Moves the product's block out of the loop, before it; the loop goes
 * when nothing is left in it. */
static void
hoist(Ctx *ctx, Site *S)
{
	IrBlockList *body = &S->loop->loop.body, *list = S->list;
	IrBlock *prod = body->data[S->k];
	memmove(body->data + S->k, body->data + S->k + 1,
		sizeof(IrBlock *) * (size_t)(body->len - 1 - S->k));
	body->len--;
	if (body->len == 0) {
		list->data[S->index] = prod;
		return;
	}
	vec_push(ctx->arena, list, prod);
	memmove(list->data + S->index + 1, list->data + S->index,
		sizeof(IrBlock *) * (size_t)(list->len - 1 - S->index));
	list->data[S->index] = prod;
	S->index++;
}

static void
l2mm_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Site S;
	if (analyse(ctx, site, params, &S))
		ICE("loop-to-matmul applied where its check refuses");
	*ir_program_find_container(site->p, S.t->name) = rows_container(ctx, &S);
	index_rest(ctx, site->p, &S);
	product_over_rows(ctx, &S, S.s);
	hoist(ctx, &S);
	if (S.list->data[S.index] != S.loop)
		return;
	XSite rest = { .p = site->p, .n = 1, .names = { S.loop->name } };
	if (!xform_loop_to_map.check(ctx, &rest, NULL))
		xform_loop_to_map.apply(ctx, &rest, NULL);
}

static const char *const l2mm_params[] = { "blocks", NULL };

/* Every loop where the transformation applies: with no parameter, or
 * else with `blocks: true`, which the site then carries, so that -O3
 * hoists products of blocks too. */
static void
l2mm_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	static XParam blocks = { .key = "blocks", .nint = -1, .str = "true" };
	const XParams alt = { .n = 1, .p = &blocks };
	pass_match_loops(ctx, p, &xform_loop_to_matmul, &alt, out);
}

const Xform xform_loop_to_matmul = {
	.name = "loop-to-matmul",
	.desc = "turns a loop of vector-matrix products over consecutive rows (with "
		"blocks: true, of matrix products over consecutive blocks of rows) into one "
		"matrix product (and the rest of the loop into a map where it can)",
	.nsites = 1,
	.params = l2mm_params,
	.match = l2mm_match,
	.check = l2mm_check,
	.apply = l2mm_apply,
};
