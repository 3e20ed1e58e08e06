/* passes/rank_update.c — rank-update-to-matmul: a loop over rows i whose
 * body runs a loop over k of rank-1 updates of row i becomes one matrix
 * product before the loop, and the loop over k one update of the row
 * from it (syrk, syr2k and the Gram-like nests written with slices):
 *
 *   for loop_L5 i in range(s, e, 1):           state state_L8_mm:
 *     state state_L6: C[i, 0:i+1] *= beta        A[s:e, 0:M] @ A[0:W, 0:M]^T -> prod[0:e-s, 0:W]
 *     for loop_L7 k in range(0, M, 1):   ==>   for loop_L5 i in range(s, e, 1):
 *       state state_L8:                          state state_L6: C[i, 0:i+1] *= beta
 *         map [_i0 = 0:i + 1]                    state state_L8:
 *           C[i, _i0] += alpha * A[i, k] * A[_i0, k]     map [_i0 = 0:i + 1]
 *                                                  C[i, _i0] += alpha * prod[i - s, _i0]
 *
 * Sum over k of A[i, k] * B[p, k] is element (i, p) of A @ B^T: the
 * loop's rows i make the rows of the product, the map's values p its
 * columns. The site is the loop over i (CF_FOR, step 1, bounds in the size
 * symbols); in its body, directly, a loop over k (step 1, bounds in the
 * size symbols) whose body is one state holding one map of one parameter
 * p (range pb:pe, step 1, pb in the size symbols, pe too or i + c) with
 * one tasklet: out = in_acc + E (or in_acc - E), where in_acc reads the
 * very element the tasklet writes (the accumulator; no WCR), and E is a
 * sum of monomials, each a scalar factor times one *row* element u (an
 * element whose subset indexes one dimension by k + c and one by i + c',
 * nothing by p) times one *column* element v (one dimension k + c, one
 * p + c', nothing by i).
 * E is checked by degree: adds and subtractions of terms of one degree,
 * negations, products, divisions by scalars, any other operation on
 * scalars only (scalars: constants, symbols other than k and p, elements
 * whose subsets mention neither k nor p); E must have degree one in the
 * rows and one in the columns, and each product of a row term by a column
 * term holds exactly one u and one v (a pair). syr2k's
 * alpha * (A[p, k] * B[i, k] + B[p, k] * A[i, k]) has two pairs.
 *
 * Each pair (u, v) gets the product U @ V^T: U the u's subset over every
 * row (dimension i: from the first iteration's row, trip rows) and every k
 * (ks:ke), V the v's over the columns pb:pb+W (W = pe's largest value -
 * pb: pe at the last iteration when pe = i + c) and every k, read
 * transposed where the k dimension does not come first (lib.trans), into a
 * new transient prod[trip, W]; in the map, u's connector reads
 * prod[i - s, p - pb] and v's connector goes (in E, a product by v becomes
 * its other factor; v elsewhere becomes 1). When U and V are the same
 * matrix, the product is X @ X^T, which the backend computes as a ?syrk.
 * A pair whose product is the transpose of an earlier pair's (u's matrix
 * is the earlier v's and v's the earlier u's, over the same elements, and
 * the product is square) reads the earlier product transposed,
 * prod[p - pb, i - s]: syr2k computes one product, not two. The product
 * computes every (i, p) of the rectangle, also those the map's range of
 * an iteration leaves out (the triangle's other half): at most twice the
 * work of the loops, and with the same matrix (syrk) none, since ?syrk
 * computes one half.
 *
 * Legality: the products read U and V before the loop runs, so nothing in
 * the loop over i (any state of its body, nested blocks too) may write a
 * container the tasklet reads other than through in_acc (the operands of
 * the products and the scalar factors); then every iteration's sum over k
 * reads the values the products read. The accumulator's element does not
 * vary with k, so each map iteration's updates, summed over k, add E
 * summed over k: only the order of the floating-point additions changes,
 * as with any product that BLAS computes. The rest of the loop's body
 * keeps its place and order. The state's memlets all enter or leave the
 * map (a copy beside it would run once instead of once per k). A loop
 * over k that may run no iteration gets a guard: the update becomes
 * where(trip > 0, acc + E', acc), so that an element stays as it was
 * instead of gaining s * 0 (NaN for an infinite s); its trip count must
 * then be affine in the size symbols (the guard is an expression of them).
 */
#include <string.h>

#include "depend.h"

enum LeafKind { LEAF_ACC, LEAF_SCALAR, LEAF_ROW, LEAF_COL };

/* An input connector of the tasklet. */
typedef struct Leaf {
	const char *conn;
	int memlet;              /* the memlet into it, from the map entry */
	enum LeafKind kind;
	int kdim;                /* row, column: the dimension indexed by k */
	int xdim;                /* row: the dimension indexed by i; column: by p */
	int uses;                /* EX_IN leaves of it in the expression */
} Leaf;

/* A row leaf times a column leaf, and the product that replaces them. */
typedef struct Pair {
	int u, v;                /* leaf indices */
	int of;                  /* -1, or the earlier pair whose product is
				    this one's transpose */
	Subset U, V;             /* the product's operands */
	bool tu, tv;             /* lib.trans of _a (U) and _b (V) */
	const char *t;           /* the product's transient (apply) */
} Pair;

typedef struct Site {
	IrBlock *loop;           /* the loop over rows */
	IrBlockList *list;       /* list->data[index] == loop */
	int index;
	int kpos;                /* loop->loop.body.data[kpos] is the loop over k */
	IrBlock *kloop;
	IrState *s;              /* its state */
	int entry, task, out;    /* the map entry, the tasklet, its output memlet */
	const char *var, *kvar, *param;
	Sym *trip, *width, *pb;  /* rows, columns, first column of the products */
	IrExpr *guard;           /* NULL, or "the loop over k has an iteration" */
	int nleaf;
	Leaf *leaf;
	int npair;
	Pair *pair;
	IrExpr *E;               /* the term added to the accumulator */
	int eside;               /* its argument index in the tasklet's add */
} Site;

typedef struct Degree {
	int row, col;            /* -1: not a polynomial of the accepted form */
} Degree;

static bool
is_const(const Sym *s, int64_t v)
{
	int64_t c;
	return sym_is_const(s, &c) && c == v;
}

/* Is s a value of the program's size symbols only? */
static bool
only_sizes(Arena *a, const IrProgram *p, const Sym *s)
{
	Sym *n = (Sym *)s;
	for (int i = 0; i < p->symbols.len; i++)
		n = sym_subst(a, n, p->symbols.data[i], sym_const(a, 0));
	return sym_is_const(n, NULL);
}

/* Is range r one element? */
static bool
one(Arena *a, const SymRange *r)
{
	return sym_equal(r->end, sym_addc(a, r->begin, 1));
}

/* Is range r one element, at var + c (c free of var)? */
static bool
at_var(Arena *a, const SymRange *r, const char *var)
{
	int64_t coef;
	return sym_coef_of(r->begin, var, &coef) && coef == 1 && is_const(r->step, 1) &&
	       one(a, r);
}

/* ---- the loops ---- */

static const char *
check_loop(Ctx *ctx, const XSite *site, Site *S)
{
	Arena *a = ctx->arena;
	IrBlock *b = pass_find_block(site->p, site->names[0], &S->list, &S->index);
	if (!b || b->kind != CF_FOR)
		return "it is not a for loop";
	S->loop = b;
	S->var = b->loop.var;
	if (!is_const(b->loop.step, 1))
		return arena_printf(a, "the loop's step is %s, not 1 (its rows would not be "
				    "consecutive)", sym_print(a, b->loop.step));
	if (!only_sizes(a, site->p, b->loop.start) || !only_sizes(a, site->p, b->loop.stop))
		return arena_printf(a, "the loop's bounds range(%s, %s) depend on more than the "
				    "program's size symbols", sym_print(a, b->loop.start),
				    sym_print(a, b->loop.stop));
	Sym *n = sym_sub(a, b->loop.stop, b->loop.start);
	S->trip = sym_le(b->loop.start, b->loop.stop) == T_TRUE ? n : sym_max(a, n, sym_const(a, 0));
	return NULL;
}

/* The expression of the symbols for s = c + sum of coef * v (int64), or
 * NULL when s is not of that form. */
static IrExpr *
affine_expr(Arena *a, const Sym *s)
{
	SymNames vs = { 0 };
	sym_vars(a, s, &vs);
	Sym *rest = (Sym *)s;
	for (int i = 0; i < vs.len; i++)
		rest = sym_subst(a, rest, vs.data[i], sym_const(a, 0));
	int64_t c;
	if (!sym_is_const(rest, &c))
		return NULL;
	IrExpr *e = NULL;
	for (int i = 0; i < vs.len; i++) {
		int64_t coef;
		if (!sym_coef_of(s, vs.data[i], &coef))
			return NULL;
		IrExpr *t = ir_expr_sym(a, vs.data[i]);
		if (coef != 1)
			t = ir_expr_op2(a, OP_MUL, ir_expr_const_int(a, DT_INT64, coef), t);
		e = e ? ir_expr_op2(a, OP_ADD, e, t) : t;
	}
	if (!e || c != 0)
		e = e ? ir_expr_op2(a, OP_ADD, e, ir_expr_const_int(a, DT_INT64, c)) :
			ir_expr_const_int(a, DT_INT64, c);
	return e;
}

/* The loop over k at body position S->kpos: step 1, bounds in the size
 * symbols, one state. When it may run no iteration, S->guard is the
 * condition under which it runs one (its trip count must then be
 * affine). */
static const char *
check_kloop(Ctx *ctx, const IrProgram *p, Site *S)
{
	Arena *a = ctx->arena;
	IrBlock *k = S->kloop;
	if (!is_const(k->loop.step, 1))
		return arena_printf(a, "%s's step is %s, not 1", k->name,
				    sym_print(a, k->loop.step));
	if (!only_sizes(a, p, k->loop.start) || !only_sizes(a, p, k->loop.stop))
		return arena_printf(a, "%s's bounds range(%s, %s) depend on more than the "
				    "program's size symbols", k->name, sym_print(a, k->loop.start),
				    sym_print(a, k->loop.stop));
	if (k->loop.body.len != 1 || k->loop.body.data[0]->kind != CF_STATE)
		return arena_printf(a, "%s's body is not one state", k->name);
	Sym *n = sym_sub(a, k->loop.stop, k->loop.start);
	S->guard = NULL;
	if (sym_le(sym_const(a, 1), n) != T_TRUE) {
		IrExpr *e = affine_expr(a, n);
		if (!e)
			return arena_printf(a, "%s's trip count %s is not affine in the size "
					    "symbols", k->name, sym_print(a, n));
		S->guard = ir_expr_op2(a, OP_GT, e, ir_expr_const_int(a, DT_INT64, 0));
	}
	S->kvar = k->loop.var;
	S->s = k->loop.body.data[0]->state;
	return NULL;
}

/* ---- the state: one map, one tasklet, out = acc + E ---- */

static const char *
check_map(Ctx *ctx, const IrProgram *p, Site *S)
{
	Arena *a = ctx->arena;
	IrState *s = S->s;
	S->entry = -1;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_MAP_ENTRY && S->entry < 0)
			S->entry = i;
		else if (n->kind == IRN_MAP_ENTRY)
			return arena_printf(a, "%s holds more than one map", s->name);
		else if (n->kind == IRN_LIBRARY)
			return arena_printf(a, "%s holds a library node", s->name);
	}
	if (S->entry < 0)
		return arena_printf(a, "%s holds no map", s->name);
	MapRef m = { s, S->entry, S->kloop->loop.body.data[0] };
	const char *why = pass_fusion_sole_tasklet(ctx, &m, "map", &S->task);
	if (why)
		return why;
	for (int i = 0; i < s->nodes.len; i++)
		if (s->nodes.data[i].kind == IRN_TASKLET && i != S->task)
			return arena_printf(a, "%s holds a tasklet outside its map", s->name);
	int exit = s->nodes.data[S->entry].map.exit;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *x = &s->memlets.data[i];
		if (x->src != S->entry && x->dst != S->entry && x->src != exit && x->dst != exit)
			return arena_printf(a, "%s moves data outside its map", s->name);
	}
	const IrNode *e = &s->nodes.data[S->entry];
	if (e->map.nparams != 1)
		return arena_printf(a, "the map '%s' has %d parameters, not 1", e->label,
				    e->map.nparams);
	S->param = e->map.params[0];
	const SymRange *r = &e->map.ranges[0];
	int64_t coef;
	if (!is_const(r->step, 1) || !only_sizes(a, p, r->begin) ||
	    !sym_coef_of(r->end, S->var, &coef) || coef < 0 || coef > 1 ||
	    !only_sizes(a, p, sym_subst(a, r->end, S->var, sym_const(a, 0))))
		return arena_printf(a, "the map '%s' ranges over %s:%s, not from a start in the "
				    "size symbols to an end in them or %s + c", e->label,
				    sym_print(a, r->begin), sym_print(a, r->end), S->var);
	S->pb = r->begin;
	Sym *last = sym_subst(a, r->end, S->var, sym_addc(a, S->loop->loop.stop, -1));
	Sym *w = sym_sub(a, last, r->begin);
	S->width = sym_le(r->begin, last) == T_TRUE ? w : sym_max(a, w, sym_const(a, 0));
	return NULL;
}

/* The tasklet writes one element, not at k, and adds to it what it reads
 * of it: out = add(in_acc, E) (either order) or sub(in_acc, E). */
static const char *
check_acc(Ctx *ctx, Site *S)
{
	Arena *a = ctx->arena;
	IrState *s = S->s;
	const IrNode *t = &s->nodes.data[S->task];
	S->out = -1;
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].src == S->task)
			S->out = S->out < 0 ? i : -2;
	if (S->out < 0)
		return "the tasklet does not write exactly one element";
	const IrMemlet *o = &s->memlets.data[S->out];
	if (o->wcr != WCR_NONE || o->dst != s->nodes.data[S->entry].map.exit)
		return "the tasklet writes with a conflict resolution or not through the map";
	if (subset_depends_on(&o->subset, S->kvar))
		return arena_printf(a, "the tasklet writes %s%s, which varies with %s", o->data,
				    subset_print(a, &o->subset), S->kvar);
	const IrExpr *x = t->tasklet.expr;
	if (x->kind != EX_OP || (x->op != OP_ADD && x->op != OP_SUB))
		return "the tasklet does not add to the element it writes";
	for (int side = 0; side < (x->op == OP_ADD ? 2 : 1); side++) {
		const IrExpr *acc = x->args[side];
		if (acc->kind != EX_IN)
			continue;
		const IrMemlet *m = pass_data_memlet_into(s, S->task, acc->name);
		if (m && pass_streq(m->data, o->data) && subset_equal(&m->subset, &o->subset)) {
			S->E = x->args[1 - side];
			S->eside = 1 - side;
			for (int i = 0; i < S->nleaf; i++)
				if (pass_streq(S->leaf[i].conn, acc->name))
					S->leaf[i].kind = LEAF_ACC;
			return NULL;
		}
	}
	return arena_printf(a, "the tasklet does not add to the element %s%s it writes",
			    o->data, subset_print(a, &o->subset));
}

/* The dimension of subset x indexed by var + c, the others free of var;
 * -1 when none, -2 when var is used otherwise. */
static int
dim_at(Arena *a, const Subset *x, const char *var)
{
	int d0 = -1;
	for (int d = 0; d < x->ndim; d++) {
		if (!range_depends_on(&x->r[d], var))
			continue;
		if (d0 >= 0 || !at_var(a, &x->r[d], var))
			return -2;
		d0 = d;
	}
	return d0;
}

/* Every dimension of x one element. */
static bool
one_element(Arena *a, const Subset *x)
{
	for (int d = 0; d < x->ndim; d++)
		if (!one(a, &x->r[d]))
			return false;
	return true;
}

/* Sorts the tasklet's inputs: scalar, row or column elements. */
static const char *
classify(Ctx *ctx, Site *S)
{
	Arena *a = ctx->arena;
	const IrState *s = S->s;
	const IrNode *t = &s->nodes.data[S->task];
	DType dt = s->nodes.data[S->task].tasklet.out.dtype;
	for (int i = 0; i < S->nleaf; i++) {
		Leaf *l = &S->leaf[i];
		const IrMemlet *m = pass_data_memlet_into(s, S->task, l->conn);
		if (!m || m->src != S->entry)
			return arena_printf(a, "the tasklet's input '%s' does not come from the map",
					    l->conn);
		l->memlet = m->id;
		if (l->kind == LEAF_ACC)
			continue;
		const Subset *x = &m->subset;
		const char *at = subset_print(a, x);
		bool byk = subset_depends_on(x, S->kvar), byp = subset_depends_on(x, S->param);
		bool byi = subset_depends_on(x, S->var);
		if (!byk && !byp) {
			l->kind = LEAF_SCALAR;
			continue;
		}
		if (!byk)
			return arena_printf(a, "%s%s varies with the map's %s but not with %s",
					    m->data, at, S->param, S->kvar);
		if (t->tasklet.in[i].dtype != dt || (dt != DT_FLOAT64 && dt != DT_FLOAT32))
			return arena_printf(a, "%s%s is not of the result's floating-point dtype",
					    m->data, at);
		l->kdim = dim_at(a, x, S->kvar);
		l->xdim = dim_at(a, x, byp ? S->param : S->var);
		l->kind = byp ? LEAF_COL : LEAF_ROW;
		if (l->kdim < 0 || l->xdim < 0 || l->kdim == l->xdim || !one_element(a, x) ||
		    (byp && byi))
			return arena_printf(a, "%s%s is not an element at [.., %s + c, ..] of a row "
					    "(%s + c) or a column (%s + c) of one matrix", m->data, at,
					    S->kvar, S->var, S->param);
	}
	return NULL;
}

/* ---- the expression ---- */

static int
leaf_of(const Site *S, const char *conn)
{
	for (int i = 0; i < S->nleaf; i++)
		if (pass_streq(S->leaf[i].conn, conn))
			return i;
	return -1;
}

/* The one row (want LEAF_ROW) or column leaf in e, or -1. */
static int
sole_leaf(const Site *S, const IrExpr *e, enum LeafKind want, int *n)
{
	int found = -1;
	if (e->kind == EX_IN) {
		int l = leaf_of(S, e->name);
		if (l >= 0 && S->leaf[l].kind == want) {
			(*n)++;
			found = l;
		}
	}
	for (int i = 0; i < e->n; i++) {
		int f = sole_leaf(S, e->args[i], want, n);
		found = f >= 0 ? f : found;
	}
	return found;
}

static const Degree bad = { -1, -1 };

static bool
degree_ok(Degree d)
{
	return d.row >= 0 && d.row <= 1 && d.col >= 0 && d.col <= 1;
}

static Degree degree_of(Site *S, const IrExpr *e);

static Degree
degree_mul(Site *S, const IrExpr *e)
{
	Degree x = degree_of(S, e->args[0]), y = degree_of(S, e->args[1]);
	if (!degree_ok(x) || !degree_ok(y))
		return bad;
	Degree d = { x.row + y.row, x.col + y.col };
	if (!degree_ok(d))
		return bad;
	if (x.row + x.col != 1 || y.row + y.col != 1)
		return d;
	/* a row term times a column term: one pair */
	const IrExpr *r = e->args[x.row ? 0 : 1], *c = e->args[x.row ? 1 : 0];
	int nr = 0, nc = 0;
	int u = sole_leaf(S, r, LEAF_ROW, &nr), v = sole_leaf(S, c, LEAF_COL, &nc);
	if (nr != 1 || nc != 1)
		return bad;
	S->pair[S->npair++] = (Pair){ .u = u, .v = v, .of = -1 };
	return d;
}

/* The degree of e in the row and column elements (bad: not of the form
 * the file comment describes); pairs found on the way go to S->pair. */
static Degree
degree_of(Site *S, const IrExpr *e)
{
	Degree z = { 0, 0 };
	switch (e->kind) {
	case EX_CONST:
		return z;
	case EX_SYM:
		return pass_streq(e->name, S->kvar) || pass_streq(e->name, S->param) ? bad : z;
	case EX_IN: {
		int l = leaf_of(S, e->name);
		if (l < 0 || S->leaf[l].kind == LEAF_ACC)
			return bad;
		S->leaf[l].uses++;
		return (Degree){ S->leaf[l].kind == LEAF_ROW, S->leaf[l].kind == LEAF_COL };
	}
	case EX_LOAD:
		return bad;
	case EX_CAST: {
		Degree d = degree_of(S, e->args[0]);
		return d.row == 0 && d.col == 0 ? d : bad;
	}
	case EX_OP:
		break;
	}
	if (e->op == OP_MUL)
		return degree_mul(S, e);
	Degree d[2] = { z, z };
	bool scalars = true;   /* every argument (each visited once) */
	for (int i = 0; i < e->n; i++) {
		Degree di = degree_of(S, e->args[i]);
		scalars = scalars && di.row == 0 && di.col == 0;
		if (i < 2)
			d[i] = di;
	}
	if (e->op == OP_NEG)
		return d[0];
	if ((e->op == OP_ADD || e->op == OP_SUB) && d[0].row == d[1].row && d[0].col == d[1].col)
		return d[0];
	if (e->op == OP_DIV && d[1].row == 0 && d[1].col == 0)
		return d[0];
	return scalars ? z : bad;
}

static const char *
check_expr(Ctx *ctx, Site *S)
{
	Arena *a = ctx->arena;
	S->npair = 0;
	S->pair = arena_alloc(a, sizeof(Pair) * (size_t)(S->nleaf + 1));
	Degree d = degree_of(S, S->E);
	if (d.row != 1 || d.col != 1)
		return arena_printf(a, "the update %s is not a sum of products of one row "
				    "element (by %s and %s) and one column element (by %s and %s) "
				    "with scalars", ir_expr_print(a, S->E), S->var, S->kvar,
				    S->param, S->kvar);
	for (int i = 0; i < S->nleaf; i++)
		if (S->leaf[i].kind != LEAF_SCALAR && S->leaf[i].kind != LEAF_ACC &&
		    S->leaf[i].uses != 1)
			return arena_printf(a, "the input '%s' is used %s in the update",
					    S->leaf[i].conn, S->leaf[i].uses ? "more than once" :
					    "nowhere");
	return NULL;
}

/* ---- the products ---- */

/* Leaf l's subset over every row (dimension xdim: trip from the first
 * iteration's, or the map's W from pb's) and every k (max(ke - ks, 0)
 * from ks's). */
static Subset
operand_subset(Ctx *ctx, const Site *S, const Leaf *l)
{
	Arena *a = ctx->arena;
	Subset x = subset_copy(a, &S->s->memlets.data[l->memlet].subset);
	const IrBlock *k = S->kloop;
	SymRange *r = &x.r[l->kdim];
	Sym *c = sym_sub(a, r->begin, sym_var(a, S->kvar));
	Sym *b0 = sym_add(a, k->loop.start, c), *n = sym_sub(a, k->loop.stop, k->loop.start);
	if (sym_le(k->loop.start, k->loop.stop) != T_TRUE)
		n = sym_max(a, n, sym_const(a, 0));   /* range(1, M) at M = 0: no k */
	*r = (SymRange){ b0, sym_add(a, b0, n), sym_const(a, 1) };
	r = &x.r[l->xdim];
	Sym *b = l->kind == LEAF_ROW ? sym_subst(a, r->begin, S->var, S->loop->loop.start) :
		 sym_subst(a, r->begin, S->param, S->pb);
	*r = (SymRange){ b, sym_add(a, b, l->kind == LEAF_ROW ? S->trip : S->width),
			 sym_const(a, 1) };
	return x;
}

/* The product state of pair P, into the transient t. */
static IrState *
product_state(Ctx *ctx, const Site *S, const Pair *P, const char *name, const char *t)
{
	Arena *a = ctx->arena;
	SrcLoc loc = S->s->nodes.data[S->task].loc;
	IrState *s = ir_state_new(ctx, name, loc);
	const IrMemlet *mu = &S->s->memlets.data[S->leaf[P->u].memlet];
	const IrMemlet *mv = &S->s->memlets.data[S->leaf[P->v].memlet];
	int lib = ir_state_add_library(ctx, s, LIB_MATMUL, loc);
	s->nodes.data[lib].lib.trans[0] = P->tu;
	s->nodes.data[lib].lib.trans[1] = P->tv;
	int au = ir_state_add_access(ctx, s, mu->data, loc);
	int av = pass_streq(mu->data, mv->data) ? au : ir_state_add_access(ctx, s, mv->data, loc);
	int at = ir_state_add_access(ctx, s, t, loc);
	ir_state_add_memlet(ctx, s, au, NULL, lib, "_a", mu->data, P->U, WCR_NONE, loc);
	ir_state_add_memlet(ctx, s, av, NULL, lib, "_b", mv->data, P->V, WCR_NONE, loc);
	Subset c = { 2, arena_alloc(a, sizeof(SymRange) * 2) };
	c.r[0] = (SymRange){ sym_const(a, 0), S->trip, sym_const(a, 1) };
	c.r[1] = (SymRange){ sym_const(a, 0), S->width, sym_const(a, 1) };
	ir_state_add_memlet(ctx, s, lib, "_c", at, NULL, t, c, WCR_NONE, loc);
	return s;
}

/* Fills each pair's operands and checks that they make a product
 * (2-D @ 2-D) into a trip x W transient; a pair whose product is the
 * transpose of an earlier one's reads that one. */
static const char *
check_products(Ctx *ctx, const IrProgram *p, Site *S)
{
	Arena *a = ctx->arena;
	DType dt = S->s->nodes.data[S->task].tasklet.out.dtype;
	IrProgram q = *p;
	size_t cb = sizeof(IrContainer) * (size_t)(p->containers.len + 1);
	q.containers.data = memcpy(arena_alloc(a, cb), p->containers.data, cb - sizeof(IrContainer));
	Sym *shape[2] = { S->trip, S->width };
	const char *tn = pass_fresh_name(ctx, p, "prod");
	IrContainer t = { .name = tn, .dtype = dt, .ndim = 2, .shape = shape,
			  .strides = ir_strides_row_major(a, 2, shape), .role = ROLE_TRANSIENT };
	q.containers.data[q.containers.len++] = t;
	for (int i = 0; i < S->npair; i++) {
		Pair *P = &S->pair[i];
		const Leaf *u = &S->leaf[P->u], *v = &S->leaf[P->v];
		P->U = operand_subset(ctx, S, u);
		P->V = operand_subset(ctx, S, v);
		P->tu = u->kdim < u->xdim;
		P->tv = v->xdim < v->kdim;
		const char *du = S->s->memlets.data[u->memlet].data;
		const char *dv = S->s->memlets.data[v->memlet].data;
		for (int k = 0; k < i && P->of < 0; k++) {
			const Pair *o = &S->pair[k];
			const char *ou = S->s->memlets.data[S->leaf[o->u].memlet].data;
			const char *ov = S->s->memlets.data[S->leaf[o->v].memlet].data;
			if (o->of < 0 && pass_streq(du, ov) && pass_streq(dv, ou) &&
			    subset_equal(&P->U, &o->V) && subset_equal(&P->V, &o->U) &&
			    u->kdim == S->leaf[o->v].kdim && v->kdim == S->leaf[o->u].kdim &&
			    sym_eq(S->trip, S->width) == T_TRUE)
				P->of = k;
		}
		IrState *s = product_state(ctx, S, P, "check", tn);
		IrMatOperand ops[3];
		if (ir_matmul_operands(a, &q, s, 0, ops) != 0)
			return arena_printf(a, "%s%s @ %s%s%s is not a matrix product (2-D @ 2-D)",
					    du, subset_print(a, &P->U), dv, subset_print(a, &P->V),
					    P->tv ? "" : "^T");
	}
	return NULL;
}

/* ---- legality ---- */

typedef struct Writes {
	Ctx *ctx;
	DepAccessList acc;
} Writes;

static void
collect(IrState *s, IrBlock *b, void *ud)
{
	(void)b;
	Writes *w = ud;
	dep_collect_state(w->ctx, s, &w->acc);
}

/* Nothing in the loop over rows writes what the tasklet reads other than
 * through the accumulator. */
static const char *
check_writes(Ctx *ctx, const Site *S)
{
	Writes w = { ctx, { 0 } };
	ir_foreach_state(&S->loop->loop.body, collect, &w);
	for (int i = 0; i < S->nleaf; i++) {
		if (S->leaf[i].kind == LEAF_ACC)
			continue;
		const char *x = S->s->memlets.data[S->leaf[i].memlet].data;
		for (int k = 0; k < w.acc.len; k++)
			if (w.acc.data[k].write && pass_streq(w.acc.data[k].data, x))
				return arena_printf(ctx->arena, "the loop writes '%s', which the "
						    "products would read before it", x);
	}
	return NULL;
}

/* ---- analysis ---- */

static const char *
analyse_kloop(Ctx *ctx, const IrProgram *p, Site *S)
{
	const char *why = check_kloop(ctx, p, S);
	if (!why)
		why = check_map(ctx, p, S);
	if (why)
		return why;
	const IrNode *t = &S->s->nodes.data[S->task];
	S->nleaf = t->tasklet.nin;
	S->leaf = arena_alloc(ctx->arena, sizeof(Leaf) * (size_t)(S->nleaf + 1));
	for (int i = 0; i < S->nleaf; i++)
		S->leaf[i] = (Leaf){ .conn = t->tasklet.in[i].name, .kind = LEAF_SCALAR };
	why = check_acc(ctx, S);
	if (!why)
		why = classify(ctx, S);
	if (!why)
		why = check_expr(ctx, S);
	if (!why)
		why = check_products(ctx, p, S);
	if (!why)
		why = check_writes(ctx, S);
	return why;
}

static bool
is_loop(const IrBlock *b)
{
	return b->kind == CF_FOR;
}

typedef struct Try {
	const IrProgram *p;
	Site *S;
} Try;

/* analyse_kloop on the loop at body position k. */
static const char *
try_kloop(Ctx *ctx, int k, void *ud)
{
	Try *t = ud;
	t->S->kpos = k;
	t->S->kloop = t->S->loop->loop.body.data[k];
	return analyse_kloop(ctx, t->p, t->S);
}

/* Fills *S with the first loop over k of the site's body that passes;
 * NULL when there is one, else the reason (the only loop's, or each's). */
static const char *
analyse(Ctx *ctx, const XSite *site, Site *S)
{
	memset(S, 0, sizeof *S);
	const char *why = check_loop(ctx, site, S);
	if (why)
		return why;
	Try t = { site->p, S };
	return pass_first_in_body(ctx, &S->loop->loop.body, is_loop, try_kloop, &t,
				  "the loop's body holds no loop", "loops is a rank update");
}

static const char *
ru_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	Site S;
	return analyse(ctx, site, &S);
}

/* ---- apply ---- */

/* e with the column leaf v taken out: a product by it becomes its other
 * factor, v elsewhere (under a negation, a scalar product) 1. */
static IrExpr *
drop_leaf(Arena *a, IrExpr *e, const char *v)
{
	if (e->kind == EX_IN && pass_streq(e->name, v))
		return ir_expr_const_float(a, e->dtype, 1.0);
	if (e->kind == EX_OP && e->op == OP_MUL)
		for (int i = 0; i < 2; i++)
			if (e->args[i]->kind == EX_IN && pass_streq(e->args[i]->name, v))
				return e->args[1 - i];
	if (e->n == 0)
		return e;
	IrExpr *c = arena_alloc(a, sizeof *c);
	*c = *e;
	c->args = arena_alloc(a, sizeof(IrExpr *) * (size_t)e->n);
	for (int i = 0; i < e->n; i++)
		c->args[i] = drop_leaf(a, e->args[i], v);
	return c;
}

/* Inserts block b into S->list before the loop. */
static void
insert_before(Ctx *ctx, Site *S, IrBlock *b)
{
	IrBlockList *l = S->list;
	vec_push(ctx->arena, l, b);
	memmove(l->data + S->index + 1, l->data + S->index,
		sizeof(IrBlock *) * (size_t)(l->len - 1 - S->index));
	l->data[S->index++] = b;
}

/* The transients and states of the products, before the loop. */
static void
add_products(Ctx *ctx, IrProgram *p, Site *S)
{
	Arena *a = ctx->arena;
	DType dt = S->s->nodes.data[S->task].tasklet.out.dtype;
	for (int i = 0; i < S->npair; i++) {
		Pair *P = &S->pair[i];
		if (P->of >= 0) {
			P->t = S->pair[P->of].t;
			continue;
		}
		P->t = pass_fresh_name(ctx, p, "prod");
		Sym **shape = arena_alloc(a, sizeof(Sym *) * 2);
		shape[0] = S->trip;
		shape[1] = S->width;
		ir_program_add_container(ctx, p, P->t, dt, 2, shape, ROLE_TRANSIENT,
					 S->s->nodes.data[S->task].loc);
		const char *name = pass_fresh_name(ctx, p, arena_printf(a, "%s_mm", S->s->name));
		insert_before(ctx, S, ir_block_state(ctx, product_state(ctx, S, P, name, P->t)));
	}
}

/* The map's entry connector suffix that brings t in (a new one). */
static const char *
entry_conn(Ctx *ctx, const Site *S, const char *t)
{
	IrState *s = S->s;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->dst == S->entry && pass_streq(m->data, t))
			return pass_conn_suffix(m->dst_conn, "IN_");
	}
	const char *x = t;
	for (int k = 2; pass_conn_taken(s, S->entry, arena_printf(ctx->arena, "IN_%s", x)) ||
			pass_conn_taken(s, S->entry, arena_printf(ctx->arena, "OUT_%s", x)); k++)
		x = arena_printf(ctx->arena, "%s_%d", t, k);
	SrcLoc loc = s->nodes.data[S->task].loc;
	int acc = ir_state_add_access(ctx, s, t, loc);
	Subset all = { 2, arena_alloc(ctx->arena, sizeof(SymRange) * 2) };
	all.r[0] = (SymRange){ sym_const(ctx->arena, 0), S->trip, sym_const(ctx->arena, 1) };
	all.r[1] = (SymRange){ sym_const(ctx->arena, 0), S->width, sym_const(ctx->arena, 1) };
	ir_state_add_memlet(ctx, s, acc, NULL, S->entry, arena_printf(ctx->arena, "IN_%s", x),
			    t, all, WCR_NONE, loc);
	return x;
}

/* Element [x, y] of a 2-D container. */
static Subset
element(Arena *a, Sym *x, Sym *y)
{
	Subset e = { 2, arena_alloc(a, sizeof(SymRange) * 2) };
	e.r[0] = (SymRange){ x, sym_addc(a, x, 1), sym_const(a, 1) };
	e.r[1] = (SymRange){ y, sym_addc(a, y, 1), sym_const(a, 1) };
	return e;
}

/* The map reads the products: each pair's row leaf becomes the element
 * of its product, its column leaf goes. */
static void
rewrite_state(Ctx *ctx, IrProgram *p, Site *S)
{
	Arena *a = ctx->arena;
	IrState *s = S->s;
	Sym *row = sym_sub(a, sym_var(a, S->var), S->loop->loop.start);
	Sym *col = sym_sub(a, sym_var(a, S->param), S->pb);
	const char **x = arena_alloc(a, sizeof(char *) * (size_t)S->npair);
	for (int i = 0; i < S->npair; i++)
		x[i] = entry_conn(ctx, S, S->pair[i].t);
	bool *dead = arena_alloc(a, sizeof(bool) * (size_t)(s->memlets.len + 1));
	IrNode *t = &s->nodes.data[S->task];
	IrExpr *E = S->E;
	for (int i = 0; i < S->npair; i++) {
		const Pair *P = &S->pair[i];
		IrMemlet *m = &s->memlets.data[S->leaf[P->u].memlet];
		m->data = P->t;
		m->src_conn = arena_printf(a, "OUT_%s", x[i]);
		m->subset = P->of < 0 ? element(a, row, col) : element(a, col, row);
		dead[S->leaf[P->v].memlet] = true;
		E = drop_leaf(a, E, S->leaf[P->v].conn);
		pass_tasklet_drop_input(t, S->leaf[P->v].conn);
	}
	t->tasklet.expr->args[S->eside] = E;
	if (S->guard) {   /* no k: the element stays as it was (not + s * 0) */
		const IrExpr *acc = t->tasklet.expr->args[1 - S->eside];
		IrExpr *args[3] = { S->guard, t->tasklet.expr, ir_expr_in(a, acc->dtype, acc->name) };
		t->tasklet.expr = ir_expr_op(a, OP_WHERE, 3, args);
	}
	/* the entry's inputs that no memlet inside uses any more */
	for (int i = 0; i < s->memlets.len; i++) {
		const char *in = s->memlets.data[i].dst == S->entry ?
				 pass_conn_suffix(s->memlets.data[i].dst_conn, "IN_") : NULL;
		const char *out = in ? arena_printf(a, "OUT_%s", in) : NULL;
		bool used = !in;
		for (int k = 0; in && k < s->memlets.len && !used; k++)
			used = !dead[k] && s->memlets.data[k].src == S->entry &&
			       pass_streq(s->memlets.data[k].src_conn, out);
		dead[i] |= !used;
	}
	bool *dnode = arena_alloc(a, sizeof(bool) * (size_t)(s->nodes.len + 1));
	for (int n = 0; n < s->nodes.len; n++) {
		bool used = s->nodes.data[n].kind != IRN_ACCESS;
		for (int k = 0; k < s->memlets.len && !used; k++)
			used = !dead[k] && (s->memlets.data[k].src == n || s->memlets.data[k].dst == n);
		dnode[n] = !used;
	}
	int entry = S->entry;
	for (int n = 0; n < S->entry; n++)
		entry -= dnode[n];
	pass_state_remove(ctx, s, dnode, dead);
	pass_map_cover_memlets(ctx, p, s, entry);
}

static void
ru_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	Site S;
	if (analyse(ctx, site, &S))
		ICE("rank-update-to-matmul applied where its check refuses");
	add_products(ctx, site->p, &S);
	rewrite_state(ctx, site->p, &S);
	S.loop->loop.body.data[S.kpos] = S.kloop->loop.body.data[0];
	XSite rest = { .p = site->p, .n = 1, .names = { S.loop->name } };
	if (!xform_loop_to_map.check(ctx, &rest, NULL))
		xform_loop_to_map.apply(ctx, &rest, NULL);
}

static void
ru_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_loops(ctx, p, &xform_rank_update_to_matmul, NULL, out);
}

const Xform xform_rank_update_to_matmul = {
	.name = "rank-update-to-matmul",
	.desc = "turns a loop over rows whose body sums rank-1 updates of its row over k "
		"(C[i, p] += u[i, k] * v[p, k]) into one matrix product before the loop (syrk, "
		"syr2k) and the update of each row from it",
	.nsites = 1,
	.params = NULL,
	.match = ru_match,
	.check = ru_check,
	.apply = ru_apply,
};
