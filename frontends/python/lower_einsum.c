/* frontends/python/lower_einsum.c — np.einsum and batched matrix products.
 *
 * Both are contractions over named axes. Every distinct subscript letter
 * becomes one iteration symbol of a lazy product of the operands: the
 * output letters first, in output order, then the summed ones. Each
 * operand's reads are renamed to the letters of its axes (a letter written
 * twice in one operand reads its diagonal). Without summed letters the
 * product is the result; otherwise it is accumulated into a fresh array
 * with a sum WCR, as np.sum over the trailing axes would:
 *
 *     np.einsum("ij,jk->ik", A, B)    letters i j k -> _i0 _i2 _i1
 *     C[_i0, _i1] += A[_i0, _i2] * B[_i2, _i1]   over (i, k, j)
 *
 * Plain matrix products ("ij,jk->ik", "ij,j->i", "i,i->", ...) go to the
 * matmul library node instead, so that -O3 can call BLAS. `A @ B` with a
 * 3-D or higher operand is the einsum "...ij,...jk->...ik" with NumPy's
 * broadcasting of the batch axes.
 */
#include <string.h>

#include "lower.h"

enum { MAX_LETTERS = 52 };

typedef struct Spec {
	int nops;
	int nin[MAX_DIMS];                  /* letters of each operand */
	char in[MAX_DIMS][MAX_DIMS + 1];
	int nout;
	char out[MAX_DIMS + 1];
	char all[MAX_LETTERS + 1];          /* output letters, then summed ones */
	int nall;
} Spec;

static bool
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
letter_pos(const Spec *s, char c)
{
	const char *p = strchr(s->all, c);
	return p ? (int)(p - s->all) : -1;
}

static int
count_in(const Spec *s, char c)
{
	int n = 0;
	for (int k = 0; k < s->nops; k++)
		for (int d = 0; d < s->nin[k]; d++)
			n += s->in[k][d] == c;
	return n;
}

/* Reads the letters of one term up to a ',' or '-' or the end. */
static const char *
parse_term(Lower *L, SrcLoc loc, const char *p, char *out, int *n)
{
	*n = 0;
	for (; *p && *p != ',' && *p != '-'; p++) {
		if (*p == ' ')
			continue;
		if (*p == '.')
			lw_unsupported(L, loc, "'...' in np.einsum subscripts");
		if (!is_letter(*p))
			diag_fatal(L->ctx, loc, "invalid character '%c' in np.einsum subscripts", *p);
		if (*n == MAX_DIMS)
			lw_unsupported(L, loc, "arrays of more than 16 dimensions");
		out[(*n)++] = *p;
	}
	out[*n] = '\0';
	return p;
}

/* The implicit output: letters used exactly once, in alphabetical order
 * (NumPy's order: upper case before lower case). */
static void
implicit_output(Spec *s)
{
	s->nout = 0;
	for (int c = 0; c < 128; c++)
		if (is_letter((char)c) && count_in(s, (char)c) == 1)
			s->out[s->nout++] = (char)c;
	s->out[s->nout] = '\0';
}

static void
parse_spec(Lower *L, SrcLoc loc, const char *text, int nops, Spec *s)
{
	memset(s, 0, sizeof(*s));
	const char *p = text;
	for (;;) {
		if (s->nops == MAX_DIMS)
			lw_unsupported(L, loc, "np.einsum of more than 16 operands");
		p = parse_term(L, loc, p, s->in[s->nops], &s->nin[s->nops]);
		s->nops++;
		if (*p != ',')
			break;
		p++;
	}
	if (s->nops != nops)
		diag_fatal(L->ctx, loc, "np.einsum subscripts name %d operand%s but %d %s given",
			   s->nops, s->nops == 1 ? "" : "s", nops, nops == 1 ? "is" : "are");
	if (*p == '-') {
		if (p[1] != '>')
			diag_fatal(L->ctx, loc, "invalid np.einsum subscripts: expected '->'");
		p = parse_term(L, loc, p + 2, s->out, &s->nout);
		if (*p)
			diag_fatal(L->ctx, loc, "invalid np.einsum subscripts: more than one '->'");
	} else {
		implicit_output(s);
	}
	for (int d = 0; d < s->nout; d++) {
		if (strchr(s->out + d + 1, s->out[d]))
			diag_fatal(L->ctx, loc, "np.einsum output subscript '%c' appears more than "
				   "once", s->out[d]);
		if (!count_in(s, s->out[d]))
			diag_fatal(L->ctx, loc, "np.einsum output subscript '%c' is not in any "
				   "operand", s->out[d]);
	}
	memcpy(s->all, s->out, (size_t)s->nout);
	s->nall = s->nout;
	for (int k = 0; k < s->nops; k++)
		for (int d = 0; d < s->nin[k]; d++)
			if (letter_pos(s, s->in[k][d]) < 0)
				s->all[s->nall++] = s->in[k][d];
	s->all[s->nall] = '\0';
}

/* The extent of every letter, checked to agree across operands. */
static Sym **
letter_extents(Lower *L, SrcLoc loc, const Spec *s, Value **ops)
{
	Sym **ext = arena_alloc(L->a, sizeof(Sym *) * (size_t)(s->nall + 1));
	for (int k = 0; k < s->nops; k++) {
		for (int d = 0; d < s->nin[k]; d++) {
			int j = letter_pos(s, s->in[k][d]);
			Sym *e = ops[k]->shape[d];
			if (!ext[j])
				ext[j] = e;
			else if (!sym_equal(ext[j], e))
				diag_fatal(L->ctx, loc, "np.einsum subscript '%c' has extents %s and %s",
					   s->in[k][d], sym_print(L->a, ext[j]), sym_print(L->a, e));
		}
	}
	return ext;
}

/* Operand x (axes named by letters) as a lazy value over all the letters;
 * to[d] == NULL for an axis that broadcasts (reads index 0). */
static Value *
spread(Lower *L, Value *x, int n, Sym **to, int nall, Sym **ext)
{
	Value *e = lw_remap_iters(L, lw_to_expr(L, x), n, to);
	e->ndim = nall;
	e->shape = ext;
	return e;
}

/* The contraction: product over all letters, summed over the letters
 * after the first nout. to[k] are the operands' renamings. */
static Value *
contract(Lower *L, SrcLoc loc, int nops, Value **ops, Sym ***to, int nall, int nout, Sym **ext)
{
	Value *prod = NULL;
	for (int k = 0; k < nops; k++) {
		Value *e = spread(L, ops[k], ops[k]->ndim, to[k], nall, ext);
		prod = prod ? lw_binary(L, OP_MUL, prod, e, loc, "einsum") : e;
	}
	if (nall == nout)
		return prod;
	Sym **idx = arena_alloc(L->a, sizeof(Sym *) * (size_t)(nout + 1));
	for (int d = 0; d < nout; d++)
		idx[d] = sym_var(L->a, arena_printf(L->a, "_i%d", d));
	Value *r = lw_new_array(L, "einsum", prod->dtype, nout, ext, loc);
	lw_store(L, r, lw_const_int(L, 0, loc), WCR_NONE, loc);
	lw_emit_reduction(L, r->data, idx, prod, WCR_SUM, loc);
	return r;
}

/* A matmul-shaped spec: (x c | c) , (c y | c) -> (x y) with one summed
 * letter c; then the library node computes it. */
static bool
is_plain_matmul(const Spec *s)
{
	if (s->nops != 2 || s->nall != s->nout + 1 || s->nin[0] < 1 || s->nin[1] < 1 ||
	    s->nin[0] > 2 || s->nin[1] > 2)
		return false;
	char c = s->all[s->nout];
	const char *a = s->in[0], *b = s->in[1];
	if (a[s->nin[0] - 1] != c || b[0] != c)
		return false;
	char want[3];
	int n = 0;
	if (s->nin[0] == 2)
		want[n++] = a[0];
	if (s->nin[1] == 2)
		want[n++] = b[1];
	want[n] = '\0';
	return n == s->nout && strcmp(want, s->out) == 0 && (n < 2 || want[0] != want[1]);
}

Value *
lw_einsum(Lower *L, PyExpr *call)
{
	SrcLoc loc = call->loc;
	if (call->kwnames.len)
		diag_fatal(L->ctx, call->kwvalues.data[0]->loc, "np.einsum() got an unexpected or "
			   "unsupported keyword argument '%s'", call->kwnames.data[0]);
	if (call->items.len < 2 || call->items.data[0]->kind != PE_STR)
		lw_unsupported(L, loc, "np.einsum without a subscripts string as its first argument");
	int nops = call->items.len - 1;
	Value **ops = arena_alloc(L->a, sizeof(Value *) * (size_t)(nops + 1));
	for (int k = 0; k < nops; k++) {
		ops[k] = lw_eval(L, call->items.data[k + 1]);
		if (!lw_is_numeric(ops[k]))
			diag_fatal(L->ctx, call->items.data[k + 1]->loc, "expected a number or an array");
	}
	Spec s;
	parse_spec(L, call->items.data[0]->loc, call->items.data[0]->str, nops, &s);
	for (int k = 0; k < nops; k++)
		if (s.nin[k] != ops[k]->ndim)
			diag_fatal(L->ctx, call->items.data[k + 1]->loc, "np.einsum subscripts give "
				   "operand %d %d axes but it has %d", k, s.nin[k], ops[k]->ndim);
	Sym **ext = letter_extents(L, loc, &s, ops);
	if (is_plain_matmul(&s))
		return lw_matmul(L, ops[0], ops[1], loc);
	Sym ***to = arena_alloc(L->a, sizeof(Sym **) * (size_t)(nops + 1));
	for (int k = 0; k < nops; k++) {
		to[k] = arena_alloc(L->a, sizeof(Sym *) * (size_t)(s.nin[k] + 1));
		for (int d = 0; d < s.nin[k]; d++)
			to[k][d] = sym_var(L->a, arena_printf(L->a, "_i%d", letter_pos(&s, s.in[k][d])));
	}
	return contract(L, loc, nops, ops, to, s.nall, s.nout, ext);
}

/* ---- batched matmul ---- */

/* Renaming of a stacked operand's axes: its batch axes aligned to the
 * right of the nb result batch axes (an axis of size 1 where the result's
 * is larger broadcasts: index 0), then its matrix axes: row (if the operand
 * is 2-D or more) and col, each a result axis. */
static Sym **
batch_renaming(Lower *L, Value *x, int nb, Sym **bshape, int row, int col)
{
	Arena *a = L->a;
	int n = x->ndim, xb = n >= 2 ? n - 2 : 0;
	Sym **to = arena_alloc(a, sizeof(Sym *) * (size_t)(n + 1));
	for (int d = 0; d < xb; d++) {
		int r = nb - xb + d;
		to[d] = sym_equal(x->shape[d], bshape[r]) ? sym_var(a, arena_printf(a, "_i%d", r))
			: sym_const(a, 0);
	}
	if (n >= 2)
		to[n - 2] = sym_var(a, arena_printf(a, "_i%d", row));
	to[n - 1] = sym_var(a, arena_printf(a, "_i%d", col));
	return to;
}

/* The broadcast batch shape of x and y (all but their last two axes). */
static int
batch_shape(Lower *L, Value *x, Value *y, SrcLoc loc, Sym ***out)
{
	int xb = x->ndim >= 2 ? x->ndim - 2 : 0, yb = y->ndim >= 2 ? y->ndim - 2 : 0;
	int nb = xb > yb ? xb : yb;
	Sym **b = arena_alloc(L->a, sizeof(Sym *) * (size_t)(nb + 3));
	for (int r = 0; r < nb; r++) {
		Sym *sx = r - (nb - xb) >= 0 ? x->shape[r - (nb - xb)] : NULL;
		Sym *sy = r - (nb - yb) >= 0 ? y->shape[r - (nb - yb)] : NULL;
		int64_t c;
		if (!sx || (sy && sym_is_const(sx, &c) && c == 1))
			b[r] = sy;
		else if (!sy || (sym_is_const(sy, &c) && c == 1) || sym_equal(sx, sy))
			b[r] = sx;
		else
			diag_fatal(L->ctx, loc, "shapes %s and %s do not broadcast in a matrix product",
				   lw_shape_str(L, x->ndim, x->shape), lw_shape_str(L, y->ndim, y->shape));
	}
	*out = b;
	return nb;
}

Value *
lw_matmul_batched(Lower *L, Value *x, Value *y, SrcLoc loc)
{
	Sym *kx = x->shape[x->ndim - 1], *ky = y->shape[y->ndim >= 2 ? y->ndim - 2 : 0];
	if (!sym_equal(kx, ky))
		diag_fatal(L->ctx, loc, "shapes %s and %s are not aligned for a matrix product: "
			   "%s != %s", lw_shape_str(L, x->ndim, x->shape),
			   lw_shape_str(L, y->ndim, y->shape), sym_print(L->a, kx), sym_print(L->a, ky));
	Sym **ext;
	int nb = batch_shape(L, x, y, loc, &ext);
	/* result axes: batch..., rows of x (if 2-D+), columns of y (if 2-D+); then k */
	int n = nb;
	int row = x->ndim >= 2 ? n++ : -1;
	int col = y->ndim >= 2 ? n++ : -1;
	int k = n;
	if (row >= 0)
		ext[row] = x->shape[x->ndim - 2];
	if (col >= 0)
		ext[col] = y->shape[y->ndim - 1];
	ext[k] = kx;
	/* x: (..., row, k) or (k); y: (..., k, col) or (k) */
	Sym **tx = batch_renaming(L, x, nb, ext, row, k);
	Sym **ty = y->ndim >= 2 ? batch_renaming(L, y, nb, ext, k, col)
		 : batch_renaming(L, y, nb, ext, -1, k);
	Value *ops[2] = { x, y };
	Sym **to[2] = { tx, ty };
	return contract(L, loc, 2, ops, to, n + 1, n, ext);
}
