/* passes/matmul_scaling.c — matmul-scaling: the elementwise map that
 * scales a matrix product and combines it with its destination is folded
 * into the matmul node (BLAS's alpha and beta).
 *
 * The frontend lowers `C[:, :] = alpha * (A @ B) + beta * C` to a state
 * that computes the product P into a transient and the next state, a map
 * whose tasklet computes alpha*P + beta*C elementwise. The site is that
 * map's label. It must be, exactly:
 *   - a state holding the map, one tasklet in it and access nodes, nothing
 *     else; the map's ranges are 0:extent:1 over P's dimensions, in order;
 *   - a tasklet without data-dependent indices whose connectors, output
 *     and P all have D's dtype, float32 or float64 (so folding changes no
 *     conversion), reading P[p0, ..., pn-1], optionally D at the element it
 *     writes, and single elements of other containers (the scale factors,
 *     indices free of the map's parameters);
 *   - a tasklet expression T or add(T, U) (either order) with
 *     T = P | mul(s, P) | mul(P, s) | div(P, s) and U the same over D,
 *     s a scale factor of the destination's dtype: a connector, a
 *     constant, or any expression of constants, symbols other than the
 *     map's parameters and scale-factor connectors (2.0 * (A @ B),
 *     (Q @ K.T) / np.sqrt(d)); div(P, s) only without U (the backend
 *     then scales the finished sums, so that 1 / s = Inf where s is 0
 *     gives NumPy's Inf and NaN);
 *   - a write of D without WCR whose index in each dimension is free of
 *     the map's parameters (those dimensions first) or p_k + c, the
 *     parameters in order, each once, so that the written elements are a
 *     box of D's container with P's extents;
 *   - the block just before the map's state, in the same block list, is a
 *     state with one matmul (no scale factors yet) writing P[0:e0, ...]
 *     (all of P or a leading box of it, steps 1) without WCR, and access
 *     nodes; the map's extents are those e_k; P is a transient that no
 *     other state uses; D and the scale factors are not operands of the
 *     matmul.
 * Apply makes the matmul write that box of D directly: with _alpha = s of
 * T; with U = D by WCR sum (beta 1); with U = s*D by _beta = s and _cin,
 * D's box (beta*D); without U by overwriting. A scale factor that is not
 * one connector multiplying, is computed first: a state before the
 * matmul's evaluates s (1 / s for div) into a new 0-d transient, which the
 * matmul reads. The map's state is deleted and P dropped.
 * Rounding: BLAS and the naive loops compute alpha * sum, NumPy the
 * rounded sum times alpha, the same single rounding; beta * C likewise.
 * A division becomes a multiplication by 1 / s: within an ulp or so of
 * NumPy's P / s, and exact when s is a power of two. The OpenMP backend
 * then emits one gemm/gemv with alpha and beta, or naive loops that scale
 * (ir_matmul_input, docs/ir.md).
 *
 * The operand fold. `(s * A) @ x` is lowered to a map that writes s*A
 * into a transient T and, in the next state, a matmul reading T. At the
 * site of that map (op_analyse): the state holds the map, one tasklet and
 * access nodes; the tasklet writes T[p0, ..., pn-1], a float32/float64
 * transient, computing mul(s, a) | mul(a, s) | div(a, s) where a reads
 * one container X at indices that are the map's parameters in order plus
 * constants (so the elements read are a box of X) and s is a scale factor
 * as above; every connector, X and T have one dtype; the next block is a
 * state of one matmul and access nodes that reads exactly T[0:e0, ...]
 * (the map's extents) on _a or _b, with no scale on that operand yet, and
 * does not write X or a scale factor; T has no other use; read from X's
 * box the matmul keeps its rank pattern. Apply makes the matmul read X's
 * box on that connector and s on "_scale_a" / "_scale_b" (or "_div_a" /
 * "_div_b" for a division, which the naive loops keep a division and
 * BLAS takes as alpha = 1 / s only where that is a normal number:
 * ir_matmul_operand_scale, codegen/openmp/matmul.c); a scale
 * that is not one connector is computed first into a 0-d transient by a
 * state in place of the map's; else the map's state goes. T is dropped.
 * Where the product fold applies at a map, it wins; where it does not and
 * the map feeds a matmul, the operand fold's reason is the one reported.
 */
#include <string.h>

#include "passes.h"

typedef struct Fold {
	IrProgram *p;
	MapRef m;
	IrBlockList *list;
	int index;               /* of the map's state in list */
	IrState *prev;           /* the matmul's state */
	int lib;                 /* the matmul node in prev */
	const IrNode *tasklet;
	const IrMemlet *write;   /* tasklet -> map exit */
	const char *P, *D;
	const char *x, *y;       /* the connectors reading P and D (y may be NULL) */
	const char *alpha, *beta;   /* scale-factor connectors, or NULL */
	const IrExpr *ae, *be;      /* the scale factors as expressions, or NULL */
	bool ainv, binv;            /* ... dividing (div(P, s)) */
	Sym **pext;              /* the extents of P the matmul writes, from 0 */
	Subset box;              /* the elements of D written (the operand fold: of X read) */
	int k;                   /* the operand fold: the operand scaled, 0 (_a) or 1 (_b) */
	const char *T, *X;       /* ... the scaled temporary, the container it scales */
} Fold;

static bool
is_int(const Sym *s, int64_t v)
{
	int64_t c;
	return sym_is_const(s, &c) && c == v;
}

/* Does s mention one of the map's parameters? */
static bool
uses_params(const IrNode *e, const Sym *s)
{
	return sym_depends_on_any(s, e->map.params, e->map.nparams);
}

/* The state holds the map, its tasklet and access nodes only; the map's
 * ranges start at 0 with step 1. */
static const char *
state_shape(Ctx *ctx, Fold *F)
{
	const IrState *s = F->m.state;
	const IrNode *e = &s->nodes.data[F->m.entry];
	F->tasklet = NULL;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_TASKLET && !F->tasklet)
			F->tasklet = n;
		else if (n->kind != IRN_ACCESS && i != F->m.entry && i != e->map.exit)
			return arena_printf(ctx->arena, "state %s holds more than the map, one "
					    "tasklet and access nodes", s->name);
	}
	if (!F->tasklet || ir_state_scope_of(s, F->tasklet->id) != F->m.entry ||
	    ir_tasklet_is_indirect(F->tasklet))
		return "the map does not hold one tasklet with plain indices";
	for (int k = 0; k < e->map.nparams; k++)
		if (!is_int(e->map.ranges[k].begin, 0) || !is_int(e->map.ranges[k].step, 1))
			return "the map's ranges do not start at 0 with step 1";
	return NULL;
}

/* The box of elements that the map's iterations reach through the
 * subset w (the write of D, the read of an operand): its index in each
 * dimension is free of the map's parameters (those first) or p_k + c, the
 * parameters in order. */
static const char *
param_box(Ctx *ctx, Fold *F, const Subset *w, const char *what)
{
	Arena *a = ctx->arena;
	const IrNode *e = &F->m.state->nodes.data[F->m.entry];
	F->box = (Subset){ w->ndim, arena_alloc(a, sizeof(SymRange) * (size_t)(w->ndim + 1)) };
	int k = 0;
	for (int d = 0; d < w->ndim; d++) {
		Sym *i = w->r[d].begin;
		F->box.r[d] = w->r[d];
		if (!uses_params(e, i) && k == 0)
			continue;
		int64_t coef;
		if (k >= e->map.nparams || !sym_coef_of(i, e->map.params[k], &coef) || coef != 1)
			return arena_printf(a, "the indices of %s are not the map's parameters "
					    "in order", what);
		Sym *c = sym_sub(a, i, sym_var(a, e->map.params[k]));
		if (uses_params(e, c))
			return arena_printf(a, "the indices of %s are not the map's parameters "
					    "in order", what);
		F->box.r[d] = (SymRange){ c, sym_add(a, c, e->map.ranges[k].end), sym_const(a, 1) };
		k++;
	}
	if (k != e->map.nparams)
		return arena_printf(a, "%s does not use every parameter of the map", what);
	return NULL;
}

/* Is m's subset exactly [p0, ..., pn-1]? */
static bool
reads_map_params(Arena *a, const IrNode *e, const IrMemlet *m)
{
	if (m->subset.ndim != e->map.nparams)
		return false;
	for (int k = 0; k < e->map.nparams; k++)
		if (!sym_equal(m->subset.r[k].begin, sym_var(a, e->map.params[k])))
			return false;
	return true;
}

static bool
same_subset(Arena *a, const Subset *x, const Subset *y)
{
	return strcmp(subset_print(a, x), subset_print(a, y)) == 0;
}

/* Sorts the tasklet's connectors: x reads P (the map's parameters), y
 * reads D where it is written; the others are the scale-factor candidates
 * (one element, indices free of the parameters, not D or P). */
static const char *
connectors(Ctx *ctx, Fold *F, DType t)
{
	Arena *a = ctx->arena;
	const IrNode *n = F->tasklet, *e = &F->m.state->nodes.data[F->m.entry];
	F->x = F->y = NULL;
	for (int i = 0; i < n->tasklet.nin; i++) {
		const IrConn *c = &n->tasklet.in[i];
		const IrMemlet *m = pass_data_memlet_into(F->m.state, n->id, c->name);
		int64_t vol;
		if (!m || c->dtype != t)
			return arena_printf(a, "connector '%s' of the tasklet is not %s", c->name,
					    dtype_name(t));
		if (F->P && strcmp(m->data, F->P) == 0 && !F->x && reads_map_params(a, e, m))
			F->x = c->name;
		else if (strcmp(m->data, F->D) == 0 && !F->y && same_subset(a, &m->subset,
									    &F->write->subset))
			F->y = c->name;
		else if ((F->P && strcmp(m->data, F->P) == 0) || strcmp(m->data, F->D) == 0 ||
			 !sym_is_const(subset_volume(a, &m->subset), &vol) || vol != 1)
			return arena_printf(a, "the tasklet reads %s%s, which is neither the "
					    "product, the element it writes nor a scale factor "
					    "(one element for the whole map)",
					    m->data, subset_print(a, &m->subset));
		for (int d = 0; d < m->subset.ndim; d++)
			if (uses_params(e, m->subset.r[d].begin) && F->x != c->name &&
			    F->y != c->name)
				return arena_printf(a, "the tasklet reads %s%s, which is neither "
						    "the product, the element it writes nor a "
						    "scale factor (one element for the whole map)",
						    m->data, subset_print(a, &m->subset));
	}
	return F->x ? NULL : "the tasklet does not read the product element by element";
}

/* Does e read one of the map's parameters (an EX_SYM of one)? */
static bool
reads_params(const IrNode *map, const IrExpr *e)
{
	if (e->kind == EX_SYM)
		for (int k = 0; k < map->map.nparams; k++)
			if (strcmp(e->name, map->map.params[k]) == 0)
				return true;
	for (int i = 0; i < e->n; i++)
		if (reads_params(map, e->args[i]))
			return true;
	return false;
}

static bool
is_in(const IrExpr *e, const char *conn)
{
	return e && conn && e->kind == EX_IN && strcmp(e->name, conn) == 0;
}

/* Is s a scale factor of dtype t: constants, symbols other than the map's
 * parameters, and inputs other than the product's and D's? */
static bool
is_scale(const Fold *F, const IrExpr *s, DType t)
{
	const IrNode *e = &F->m.state->nodes.data[F->m.entry];
	if (s->dtype != t || ir_expr_has_load(s) || (F->x && ir_expr_reads(s, F->x)) ||
	    (F->y && ir_expr_reads(s, F->y)))
		return false;
	return !reads_params(e, s);
}

/* e is v, mul(s, v), mul(v, s) or div(v, s) with s a scale factor: *s
 * gets s (NULL for v alone), *inv whether it divides. */
static bool
scaled_term(const Fold *F, const IrExpr *e, const char *v, const IrExpr **s, bool *inv)
{
	*s = NULL;
	*inv = false;
	if (is_in(e, v))
		return true;
	if (e->kind != EX_OP || (e->op != OP_MUL && e->op != OP_DIV) || e->n != 2)
		return false;
	for (int i = 0; i < (e->op == OP_MUL ? 2 : 1); i++)
		if (is_in(e->args[i], v) && is_scale(F, e->args[1 - i], e->dtype)) {
			*s = e->args[1 - i];
			*inv = e->op == OP_DIV;
			return true;
		}
	return false;
}

/* The connector of a scale factor that is one input multiplying, else
 * NULL (it is then computed into a transient first). */
static const char *
scale_conn(const IrExpr *s, bool inv)
{
	return s && !inv && s->kind == EX_IN ? s->name : NULL;
}

/* Matches T or add(T, U) (module comment); sets F->ae, F->be (and their
 * connectors F->alpha, F->beta) and *has_u. */
static bool
match_expr(Fold *F, const IrExpr *e, bool *has_u)
{
	*has_u = false;
	if (scaled_term(F, e, F->x, &F->ae, &F->ainv)) {
		F->alpha = scale_conn(F->ae, F->ainv);
		return true;
	}
	if (e->kind != EX_OP || e->op != OP_ADD || e->n != 2 || !F->y)
		return false;
	for (int i = 0; i < 2; i++)
		if (scaled_term(F, e->args[i], F->x, &F->ae, &F->ainv) && !F->ainv &&
		    scaled_term(F, e->args[1 - i], F->y, &F->be, &F->binv)) {
			*has_u = true;
			F->alpha = scale_conn(F->ae, F->ainv);
			F->beta = scale_conn(F->be, F->binv);
			return true;
		}
	return false;
}

/* The block before the map's state: a state with one matmul that writes
 * the whole of a transient P without WCR, has no scale factors yet, and
 * access nodes. */
static const char *
product_state(Ctx *ctx, Fold *F)
{
	if (F->index == 0 || F->list->data[F->index - 1]->kind != CF_STATE)
		return "the block before the map's state is not a state computing a product";
	F->prev = F->list->data[F->index - 1]->state;
	F->lib = -1;
	for (int i = 0; i < F->prev->nodes.len; i++) {
		const IrNode *n = &F->prev->nodes.data[i];
		if (n->kind == IRN_LIBRARY && n->lib.op == LIB_MATMUL && F->lib < 0)
			F->lib = i;
		else if (n->kind != IRN_ACCESS)
			return arena_printf(ctx->arena, "state %s holds more than one matmul and "
					    "access nodes", F->prev->name);
	}
	if (F->lib < 0)
		return arena_printf(ctx->arena, "state %s holds no matmul", F->prev->name);
	if (ir_matmul_input(F->prev, F->lib, "_alpha") || ir_matmul_input(F->prev, F->lib, "_beta"))
		return "the matmul is scaled already";
	for (int i = 0; i < F->prev->memlets.len; i++) {
		const IrMemlet *m = &F->prev->memlets.data[i];
		if (m->src != F->lib || !m->data)
			continue;
		const IrContainer *c = ir_program_find_container(F->p, m->data);
		if (!c || c->role != ROLE_TRANSIENT || m->wcr != WCR_NONE)
			return "the matmul does not overwrite a transient";
		for (int d = 0; d < c->ndim; d++)
			if (!is_int(m->subset.r[d].begin, 0) || !is_int(m->subset.r[d].step, 1))
				return "the matmul does not write a box of its transient from "
				       "index 0 with step 1";
		F->P = c->name;
		F->pext = arena_alloc(ctx->arena, sizeof(Sym *) * (size_t)(c->ndim + 1));
		for (int d = 0; d < c->ndim; d++)
			F->pext[d] = m->subset.r[d].end;
	}
	return F->P ? NULL : "the matmul has no output";
}

typedef struct Uses {
	const char *name;
	const IrState *a, *b;   /* the two states allowed to use it */
	bool other;
} Uses;

static void
other_use(IrState *s, IrBlock *b, void *ud)
{
	(void)b;
	Uses *U = ud;
	if (s == U->a || s == U->b)
		return;
	for (int i = 0; i < s->nodes.len; i++)
		U->other |= pass_is_access_of(s, i, U->name);
	for (int i = 0; i < s->memlets.len; i++)
		U->other |= s->memlets.data[i].data && strcmp(s->memlets.data[i].data, U->name) == 0;
}

/* The matmul's operands and the scale factors are not D; P is used by
 * the two states only; the map's extents are those of the box of P that
 * the matmul writes (all of P, or its leading part: a transient sized for
 * the longest row of a loop, cov[i, i:] = x @ data[:, i:] / s). */
static const char *
containers_ok(Ctx *ctx, Fold *F)
{
	const IrNode *e = &F->m.state->nodes.data[F->m.entry];
	const IrContainer *P = ir_program_find_container(F->p, F->P);
	if (P->ndim != e->map.nparams)
		return "the map does not run over the product's dimensions";
	for (int k = 0; k < e->map.nparams; k++)
		if (!sym_equal(e->map.ranges[k].end, F->pext[k]))
			return "the map does not run over the elements of the product that "
			       "the matmul writes";
	static const char *const ops[2] = { "_a", "_b" };
	for (int i = 0; i < 2; i++) {
		const IrMemlet *m = ir_matmul_input(F->prev, F->lib, ops[i]);
		if (m && strcmp(m->data, F->D) == 0)
			return arena_printf(ctx->arena, "'%s' is an operand of the product it "
					    "receives", F->D);
	}
	Uses U = { F->P, F->prev, F->m.state, false };
	pass_foreach_state(F->p, other_use, &U);
	if (U.other)
		return arena_printf(ctx->arena, "the product '%s' is used elsewhere", F->P);
	return NULL;
}

/* Does the matmul keep its rank pattern (ir/matmul.c) once the memlet it
 * writes (out), or reads from container `from`, names `to`'s box F->box
 * instead? The pattern is inferred from the output too: a 1-D product
 * written into a row of a matrix (D[i, 0:M]) could otherwise be taken for
 * a 2-D one whose contracted extent merely may equal 1; likewise a row
 * X[i, 0:M] read in place of a 1-D operand must stay 1-D. */
static bool
pattern_kept(Ctx *ctx, const Fold *F, bool out, const char *from, const char *to)
{
	IrMatOperand v[3];
	int before = ir_matmul_operands(ctx->arena, F->p, F->prev, F->lib, v);
	IrState s = *F->prev;
	s.memlets.data = arena_alloc(ctx->arena, sizeof(IrMemlet) * (size_t)(s.memlets.len + 1));
	memcpy(s.memlets.data, F->prev->memlets.data, sizeof(IrMemlet) * (size_t)s.memlets.len);
	for (int i = 0; i < s.memlets.len; i++) {
		IrMemlet *m = &s.memlets.data[i];
		if ((out ? m->src : m->dst) == F->lib && m->data &&
		    (out || strcmp(m->data, from) == 0)) {
			m->data = to;
			m->subset = F->box;
		}
	}
	return ir_matmul_operands(ctx->arena, F->p, &s, F->lib, v) == before;
}

/* NULL when the product fold applies at the map F->m (F filled), else
 * the reason. */
static const char *
product_analyse(Ctx *ctx, Fold *F)
{
	const char *why = state_shape(ctx, F);
	int writes = 0;
	for (int i = 0; !why && i < F->m.state->memlets.len; i++)
		if (F->m.state->memlets.data[i].src == F->tasklet->id) {
			F->write = &F->m.state->memlets.data[i];
			writes++;
		}
	if (!why && (writes != 1 || F->write->wcr != WCR_NONE || !F->write->data))
		why = "the tasklet does not overwrite one destination";
	if (why)
		return why;
	F->D = F->write->data;
	const IrContainer *D = ir_program_find_container(F->p, F->D);
	DType t = D->dtype;
	if ((t != DT_FLOAT32 && t != DT_FLOAT64) || F->tasklet->tasklet.out.dtype != t)
		return arena_printf(ctx->arena, "'%s' is %s; BLAS scales float32 and float64",
				    F->D, dtype_name(t));
	why = param_box(ctx, F, &F->write->subset, "the write");
	why = why ? why : product_state(ctx, F);
	why = why ? why : connectors(ctx, F, t);
	why = why ? why : containers_ok(ctx, F);
	if (why)
		return why;
	if (ir_program_find_container(F->p, F->P)->dtype != t)
		return "the product's dtype is not the destination's";
	bool has_u;
	if (!match_expr(F, F->tasklet->tasklet.expr, &has_u))
		return arena_printf(ctx->arena, "the tasklet computes %s, not a scaled product "
				    "plus a scaled destination (alpha*P + beta*D or P / s, scale "
				    "factors free of the map's parameters)",
				    ir_expr_print(ctx->arena, F->tasklet->tasklet.expr));
	if (!has_u)
		F->y = NULL;
	if (!pattern_kept(ctx, F, true, NULL, F->D))
		return arena_printf(ctx->arena, "written into %s%s, the product would no longer "
				    "be seen with its own ranks (a 1-D product in a row of a "
				    "matrix is a 2-D one whose contraction may be 1)",
				    F->D, subset_print(ctx->arena, &F->box));
	return NULL;
}


/* ---- the operand fold: (s * A) @ x ---- */

/* Is state st one matmul and access nodes? Sets *lib to the matmul. */
static bool
one_matmul(const IrState *st, int *lib)
{
	*lib = -1;
	for (int i = 0; i < st->nodes.len; i++) {
		const IrNode *n = &st->nodes.data[i];
		if (n->kind == IRN_LIBRARY && n->lib.op == LIB_MATMUL && *lib < 0)
			*lib = i;
		else if (n->kind != IRN_ACCESS)
			return false;
	}
	return *lib >= 0;
}

/* The block after the map's state is a state of one matmul and access
 * nodes, which reads T on _a or _b (F->k): false if not (the map then is
 * no operand fold's site). */
static bool
feeds_matmul(Fold *F)
{
	static const char *const ops[2] = { "_a", "_b" };
	if (F->index + 1 >= F->list->len || F->list->data[F->index + 1]->kind != CF_STATE)
		return false;
	F->prev = F->list->data[F->index + 1]->state;
	if (!one_matmul(F->prev, &F->lib))
		return false;
	F->k = -1;
	for (int k = 1; k >= 0; k--) {
		const IrMemlet *m = ir_matmul_input(F->prev, F->lib, ops[k]);
		if (m && strcmp(m->data, F->T) == 0)
			F->k = k;
	}
	return F->k >= 0;
}

/* The tasklet's connectors: x reads X at the map's parameters (F->box
 * the elements read), the others one element each, free of the map's
 * parameters (scale factors); all of dtype t, none T. */
static const char *
op_connectors(Ctx *ctx, Fold *F, DType t)
{
	Arena *a = ctx->arena;
	const IrNode *n = F->tasklet, *e = &F->m.state->nodes.data[F->m.entry];
	F->x = NULL;
	for (int i = 0; i < n->tasklet.nin; i++) {
		const IrConn *c = &n->tasklet.in[i];
		const IrMemlet *m = pass_data_memlet_into(F->m.state, n->id, c->name);
		int64_t vol;
		if (!m || c->dtype != t || ir_program_find_container(F->p, m->data)->dtype != t)
			return arena_printf(a, "the tasklet's input '%s' is not %s like '%s' (mixed "
					    "dtypes)", c->name, dtype_name(t), F->T);
		if (strcmp(m->data, F->T) == 0 || !sym_is_const(subset_volume(a, &m->subset), &vol) ||
		    vol != 1)
			return arena_printf(a, "the tasklet reads %s%s", m->data,
					    subset_print(a, &m->subset));
		bool params = false;
		for (int d = 0; d < m->subset.ndim; d++)
			params |= uses_params(e, m->subset.r[d].begin);
		if (!params)
			continue;
		if (F->x)
			return arena_printf(a, "the tasklet reads two arrays element by element "
					    "('%s' and '%s'): the scale is an array", F->X, m->data);
		F->x = c->name;
		F->X = m->data;
	}
	if (!F->x)
		return "the tasklet reads no array element by element";
	const IrMemlet *m = pass_data_memlet_into(F->m.state, n->id, F->x);
	return param_box(ctx, F, &m->subset, arena_printf(a, "the read of '%s'", F->X));
}

/* The matmul reads all of what the map writes, T[0:e0, ...], and no
 * other element of T; X and the scale factors are not its output; the
 * operand has no scale factor yet. */
static const char *
op_matmul_ok(Ctx *ctx, Fold *F)
{
	const IrNode *e = &F->m.state->nodes.data[F->m.entry];
	const IrMemlet *m = ir_matmul_input(F->prev, F->lib, F->k ? "_b" : "_a");
	bool div;
	if (m->subset.ndim != e->map.nparams)
		return "the matmul does not read the map's elements of the temporary";
	for (int d = 0; d < m->subset.ndim; d++)
		if (!is_int(m->subset.r[d].begin, 0) || !is_int(m->subset.r[d].step, 1) ||
		    !sym_equal(m->subset.r[d].end, e->map.ranges[d].end))
			return "the matmul does not read exactly the elements of the temporary "
			       "that the map writes";
	if (ir_matmul_operand_scale(F->prev, F->lib, F->k, &div))
		return "the matmul's operand is scaled already";
	const IrMemlet *out = NULL;
	for (int i = 0; i < F->prev->memlets.len; i++)
		if (F->prev->memlets.data[i].src == F->lib && F->prev->memlets.data[i].data)
			out = &F->prev->memlets.data[i];
	for (int i = 0; out && i < F->tasklet->tasklet.nin; i++) {
		const IrMemlet *r = pass_data_memlet_into(F->m.state, F->tasklet->id,
							  F->tasklet->tasklet.in[i].name);
		if (strcmp(r->data, out->data) == 0)
			return arena_printf(ctx->arena, "the product is written into '%s', which "
					    "the map reads", out->data);
	}
	return NULL;
}

/* T is used by the map's state and, once, by the matmul's: its access
 * node there feeds the matmul only. */
static const char *
op_single_use(Ctx *ctx, Fold *F)
{
	Uses U = { F->T, F->prev, F->m.state, false };
	pass_foreach_state(F->p, other_use, &U);
	int uses = 0;
	for (int i = 0; i < F->prev->memlets.len; i++) {
		const IrMemlet *m = &F->prev->memlets.data[i];
		uses += m->data && strcmp(m->data, F->T) == 0;
	}
	for (int i = 0; i < F->prev->nodes.len; i++)
		uses += pass_is_access_of(F->prev, i, F->T);
	if (U.other || uses != 2)
		return arena_printf(ctx->arena, "the scaled temporary '%s' has another use",
				    F->T);
	return NULL;
}

/* The map writes T[p0, ..., pn-1], a transient of dtype t (float32 or
 * float64), whole elements, without WCR. */
static const char *
op_write(Ctx *ctx, Fold *F)
{
	const IrNode *e = &F->m.state->nodes.data[F->m.entry];
	int writes = 0;
	for (int i = 0; i < F->m.state->memlets.len; i++)
		if (F->m.state->memlets.data[i].src == F->tasklet->id) {
			F->write = &F->m.state->memlets.data[i];
			writes++;
		}
	if (writes != 1 || F->write->wcr != WCR_NONE || !F->write->data)
		return "the tasklet does not overwrite one destination";
	F->T = F->write->data;
	const IrContainer *T = ir_program_find_container(F->p, F->T);
	if (T->role != ROLE_TRANSIENT || T->ndim != e->map.nparams ||
	    !reads_map_params(ctx->arena, e, F->write))
		return arena_printf(ctx->arena, "the map does not write the transient '%s' at "
				    "its parameters", F->T);
	if ((T->dtype != DT_FLOAT32 && T->dtype != DT_FLOAT64) ||
	    F->tasklet->tasklet.out.dtype != T->dtype)
		return arena_printf(ctx->arena, "'%s' is %s; BLAS scales float32 and float64",
				    F->T, dtype_name(T->dtype));
	return NULL;
}

/* NULL when the operand fold applies at the site whose map F->m is (F
 * filled), else the reason; *site false when the map does not feed a
 * matmul (it is then no operand fold's site at all). */
static const char *
op_analyse(Ctx *ctx, Fold *F, bool *site)
{
	*site = false;
	const char *why = state_shape(ctx, F);
	why = why ? why : op_write(ctx, F);
	if (why || !feeds_matmul(F))
		return why ? why : "the map does not feed a matmul";
	*site = true;
	DType t = ir_program_find_container(F->p, F->T)->dtype;
	why = op_connectors(ctx, F, t);
	why = why ? why : op_matmul_ok(ctx, F);
	why = why ? why : op_single_use(ctx, F);
	if (why)
		return why;
	const IrExpr *ex = F->tasklet->tasklet.expr;
	if (!scaled_term(F, ex, F->x, &F->ae, &F->ainv) || !F->ae)
		return arena_printf(ctx->arena, "the tasklet computes %s, not a scaled operand "
				    "(s * A, A * s or A / s, s free of the map's parameters)",
				    ir_expr_print(ctx->arena, ex));
	F->alpha = F->ae->kind == EX_IN ? F->ae->name : NULL;
	if (!pattern_kept(ctx, F, false, F->T, F->X))
		return arena_printf(ctx->arena, "read from %s%s, the operand would no longer be "
				    "seen with its own rank", F->X, subset_print(ctx->arena, &F->box));
	return NULL;
}

/* NULL when a fold applies at site (F filled; F->k >= 0 for the operand
 * fold), else the reason: the operand fold's when the map feeds a matmul,
 * else the product fold's. */
static const char *
analyse(Ctx *ctx, const XSite *site, Fold *F)
{
	*F = (Fold){ .p = site->p, .k = -1 };
	if (!pass_find_map(site->p, site->names[0], &F->m))
		return arena_printf(ctx->arena, "'%s' is not a map", site->names[0]);
	if (!pass_find_block(site->p, F->m.block->name, &F->list, &F->index))
		return "the map's state is not in a block list";
	Fold G = *F;
	const char *why = product_analyse(ctx, F);
	if (!why)
		return NULL;
	bool site_op;
	const char *op_why = op_analyse(ctx, &G, &site_op);
	if (!site_op)
		return why;
	*F = G;
	return op_why;
}

static const char *
matmul_scaling_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	Fold F;
	return analyse(ctx, site, &F);
}

/* Adds to the matmul's state a read of the tasklet's input conn (an
 * access node of its container, the tasklet's subset) on connector to. */
static void
add_input(Ctx *ctx, Fold *F, const char *conn, const char *to)
{
	const IrMemlet *m = pass_data_memlet_into(F->m.state, F->tasklet->id, conn);
	const IrNode *lib = &F->prev->nodes.data[F->lib];
	int acc = ir_state_add_access(ctx, F->prev, m->data, lib->loc);
	ir_state_add_memlet(ctx, F->prev, acc, NULL, F->lib, to, m->data, m->subset, WCR_NONE,
			    lib->loc);
}

/* Adds to state st a tasklet evaluating the scale factor e (1 / e when
 * inv), with the tasklet's inputs it reads, into a new 0-d transient named
 * like base; returns the transient's name. */
static const char *
scale_tasklet(Ctx *ctx, Fold *F, IrState *st, const IrExpr *e, bool inv, const char *base)
{
	Arena *a = ctx->arena;
	SrcLoc loc = F->tasklet->loc;
	DType t = e->dtype;
	const char *name = ir_program_fresh_name(ctx, F->p, base);
	ir_program_add_container(ctx, F->p, name, t, 0, NULL, ROLE_TRANSIENT, loc);
	const IrNode *n = F->tasklet;
	IrConn *in = arena_alloc(a, sizeof(IrConn) * (size_t)(n->tasklet.nin + 1));
	int nin = 0;
	for (int i = 0; i < n->tasklet.nin; i++)
		if (ir_expr_reads(e, n->tasklet.in[i].name))
			in[nin++] = n->tasklet.in[i];
	IrExpr *v = (IrExpr *)e;
	if (inv)
		v = ir_expr_op2(a, OP_DIV, ir_expr_const_float(a, t, 1.0), v);
	int tk = ir_state_add_tasklet(ctx, st, nin, in, (IrConn){ "out", t }, v, loc);
	for (int i = 0; i < nin; i++) {
		const IrMemlet *m = pass_data_memlet_into(F->m.state, n->id, in[i].name);
		int acc = ir_state_add_access(ctx, st, m->data, loc);
		ir_state_add_memlet(ctx, st, acc, NULL, tk, in[i].name, m->data, m->subset,
				    WCR_NONE, loc);
	}
	int out = ir_state_add_access(ctx, st, name, loc);
	ir_state_add_memlet(ctx, st, tk, "out", out, NULL, name, (Subset){ 0, NULL }, WCR_NONE,
			    loc);
	return name;
}

/* Makes the matmul read the 0-d container data on connector conn. */
static void
add_scalar_input(Ctx *ctx, Fold *F, const char *data, const char *conn)
{
	const IrNode *lib = &F->prev->nodes.data[F->lib];
	int acc = ir_state_add_access(ctx, F->prev, data, lib->loc);
	ir_state_add_memlet(ctx, F->prev, acc, NULL, F->lib, conn, data, (Subset){ 0, NULL },
			    WCR_NONE, lib->loc);
}

/* The scale factors that are not one connector multiplying: a state that
 * computes them takes the place of the map's state, the matmul's state
 * moving after it. False when there are none (the map's state is then
 * deleted). */
static bool
scale_state(Ctx *ctx, Fold *F)
{
	bool a = F->ae && !F->alpha, b = F->be && !F->beta;
	if (!a && !b)
		return false;
	IrState *st = ir_state_new(ctx, F->m.state->name, F->m.state->loc);
	if (a)
		add_scalar_input(ctx, F, scale_tasklet(ctx, F, st, F->ae, F->ainv, "alpha"),
				 "_alpha");
	if (b)
		add_scalar_input(ctx, F, scale_tasklet(ctx, F, st, F->be, F->binv, "beta"),
				 "_beta");
	F->list->data[F->index] = F->list->data[F->index - 1];
	F->list->data[F->index - 1] = ir_block_state(ctx, st);
	return true;
}

/* Where the fold's scale factor goes: "_scale_a" ... "_div_b". */
static const char *
op_conn(const Fold *F)
{
	static const char *const conns[2][2] = { { "_scale_a", "_scale_b" },
						 { "_div_a", "_div_b" } };
	return conns[F->ainv][F->k];
}

/* The matmul reads X's box in place of T, scaled by the scale factor: a
 * connector's element directly, else a 0-d transient that a state in
 * place of the map's computes; the map's state goes and T with it. */
static void
op_apply(Ctx *ctx, Fold *F)
{
	IrState *s = F->prev;
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (m->dst != F->lib || !m->data || strcmp(m->data, F->T) != 0)
			continue;
		m->data = F->X;
		m->subset = F->box;
		s->nodes.data[m->src].access.data = F->X;
	}
	if (F->alpha) {
		add_input(ctx, F, F->alpha, op_conn(F));
		for (int i = F->index; i + 1 < F->list->len; i++)
			F->list->data[i] = F->list->data[i + 1];
		F->list->len--;
	} else {
		IrState *st = ir_state_new(ctx, F->m.state->name, F->m.state->loc);
		add_scalar_input(ctx, F, scale_tasklet(ctx, F, st, F->ae, false, "scale"),
				 op_conn(F));
		F->list->data[F->index] = ir_block_state(ctx, st);
	}
	pass_container_remove(F->p, F->T);
}

static void
matmul_scaling_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	(void)params;
	Fold F;
	if (analyse(ctx, site, &F))
		ICE("matmul-scaling applied where it does not apply");
	if (F.k >= 0) {
		op_apply(ctx, &F);
		return;
	}
	IrState *s = F.prev;
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *m = &s->memlets.data[i];
		if (m->src != F.lib || !m->data)
			continue;
		m->data = F.D;
		m->subset = F.box;
		m->wcr = F.y && !F.be ? WCR_SUM : WCR_NONE;
		s->nodes.data[m->dst].access.data = F.D;
	}
	if (F.alpha)
		add_input(ctx, &F, F.alpha, "_alpha");
	if (F.beta)
		add_input(ctx, &F, F.beta, "_beta");
	if (F.be) {
		int acc = ir_state_add_access(ctx, s, F.D, s->nodes.data[F.lib].loc);
		ir_state_add_memlet(ctx, s, acc, NULL, F.lib, "_cin", F.D, F.box, WCR_NONE,
				    s->nodes.data[F.lib].loc);
	}
	if (!scale_state(ctx, &F)) {
		for (int i = F.index; i + 1 < F.list->len; i++)
			F.list->data[i] = F.list->data[i + 1];
		F.list->len--;
	}
	pass_container_remove(F.p, F.P);
}

static void
matmul_scaling_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_maps(ctx, p, &xform_matmul_scaling, out);
}

const Xform xform_matmul_scaling = {
	.name = "matmul-scaling",
	.desc = "folds alpha * (A @ B) + beta * C, written into C, and (s * A) @ B into "
		"the matmul (BLAS alpha and beta)",
	.nsites = 1,
	.params = NULL,
	.match = matmul_scaling_match,
	.check = matmul_scaling_check,
	.apply = matmul_scaling_apply,
};
