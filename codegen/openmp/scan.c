/* codegen/openmp/scan.c — the scan library node: running sums and
 * products (np.cumsum, np.cumprod) along one axis (ir/ir.h, LIB_SCAN).
 *
 * The subsets on "_x" and "_y" have one rank R and equal extents; the
 * scan runs along dimension d = lib.axis. Element (s0, ..., s{R-1}) of a
 * view is at base + sum s_i * stride_i * step_i of its container, so
 * slices, steps and any strides are honoured. The combining step is the
 * tasklet operator (OP_ADD or OP_MUL, emitted by cg_omp_expr, so integer
 * wrap-around and NumPy's complex product are the tasklets' own) applied
 * as y[k] = y[k-1] OP x[k] in _y's dtype, each x converted to it: the
 * order of NumPy's accumulate, so floats get NumPy's bits. y[0] = x[0]
 * exactly (no identity is combined in: -0.0 stays -0.0).
 *
 * Loop nest: the dimensions before d run in one parallel loop
 * (`collapse`); inside, d runs sequentially, and the dimensions after d
 * are the innermost loops, the last one `omp simd`. With no dimension
 * after d (the last axis) running values live in locals dfc_acc<r>: the
 * loop over the dimension before d steps by SCAN_ROWS rows, whose
 * chains of dependent additions interleave (one chain alone waits on the
 * adder's latency; four run at the speed of a copy), and a short last
 * block runs its rows one by one. Otherwise a whole row of y is combined
 * with the row before it, vectorized. With no dimension before
 * d (a leading axis of an N-D array, or a 1-D scan), the first dimension after d is cut
 * into one chunk per thread instead, each running all of d over its
 * chunk; a 1-D scan is one sequential loop. The parallel loop takes an
 * `if(parallel: ...)` on the element count, as the maps do. Loop
 * variables are dfc_s<dim>.
 */
#include <string.h>

#include "emit.h"

enum { SCAN_ROWS = 4 };   /* rows whose running values interleave (last axis) */

/* The emission of one scan node. */
typedef struct Scan {
	const IrContainer *x, *y;
	const Subset *sx, *sy;
	int rank, axis;
	DType t;                    /* the output's dtype */
	IrOp op;                    /* OP_ADD or OP_MUL */
	const char **ext;           /* C text of each extent */
	const char **lo, **hi;      /* C text of each loop's bounds */
} Scan;

/* dfc_s<axis> + off: an axis index of the elements a step of the
 * sequential loop reads and writes. */
static Sym *
step_at(OmpEmit *E, const Scan *S, int off)
{
	return sym_addc(E->a, sym_var(E->a, arena_printf(E->a, "dfc_s%d", S->axis)), off);
}

/* C lvalue of the element of container c (subset s) at the loop
 * variables, the axis at index k and, when row is not NULL, the
 * dimension before the axis at index row. */
static char *
elem_in_row(OmpEmit *E, const Scan *S, const IrContainer *c, const Subset *s, Sym *k, Sym *row)
{
	Arena *a = E->a;
	Sym *idx = cg_omp_msym(E, cg_omp_linear(E, c, s));
	for (int d = 0; d < S->rank; d++) {
		Sym *v = d == S->axis ? k : row && d == S->axis - 1 ? row
			: sym_var(a, arena_printf(a, "dfc_s%d", d));
		Sym *str = cg_omp_msym(E, sym_mul(a, s->r[d].step, c->strides[d]));
		idx = sym_add(a, idx, sym_mul(a, v, str));
	}
	return arena_printf(a, "%s[%s]", cg_omp_cname(E, c->name), sym_print_c(a, idx));
}

static char *
elem(OmpEmit *E, const Scan *S, const IrContainer *c, const Subset *s, Sym *k)
{
	return elem_in_row(E, S, c, s, k, NULL);
}

/* x at the loop variables, axis index k and row (as elem_in_row), in
 * y's dtype. */
static char *
x_in_row(OmpEmit *E, const Scan *S, Sym *k, Sym *row)
{
	return cg_omp_convert(E, elem_in_row(E, S, S->x, S->sx, k, row), S->x->dtype, S->t);
}

static char *
x_elem(OmpEmit *E, const Scan *S, Sym *k)
{
	return x_in_row(E, S, k, NULL);
}

/* The C text of prev OP x in y's dtype. */
static char *
combine(OmpEmit *E, const Scan *S, const char *prev, const char *x)
{
	Arena *a = E->a;
	IrExpr *e = ir_expr_op2(a, S->op, ir_expr_in(a, S->t, "p"), ir_expr_in(a, S->t, "x"));
	const char *conn[2] = { "p", "x" };
	const char *text[2] = { prev, x };
	OmpInputs in = { .n = 2, .conn = conn, .text = text };
	return cg_omp_convert(E, cg_omp_expr(E, e, &in), e->dtype, S->t);
}

/* Opens the loop of dimension d over [from, hi) (from NULL: lo), by
 * `step`. */
static void
open_loop(OmpEmit *E, const Scan *S, int d, const char *from, bool simd, int step)
{
	if (simd)
		cg_omp_simd(E, "");
	const char *from_ = from ? from : S->lo[d];
	if (step == 1)
		cg_omp_line(E, "for (int64_t dfc_s%d = %s; dfc_s%d < %s; dfc_s%d++) {", d,
			    from_, d, S->hi[d], d);
	else
		cg_omp_line(E, "for (int64_t dfc_s%d = %s; dfc_s%d < %s; dfc_s%d += %d) {", d,
			    from_, d, S->hi[d], d, step);
	E->indent++;
}

static void
close_loops(OmpEmit *E, int n)
{
	for (int i = 0; i < n; i++) {
		E->indent--;
		cg_omp_line(E, "}");
	}
}

/* The last axis: running values dfc_acc<r> along rows[0..n) (rows[r]
 * NULL: the loop variables' row), interleaved so that n independent
 * chains of additions (or products) overlap. */
static void
emit_running(OmpEmit *E, const Scan *S, int n, Sym *const *rows)
{
	Sym *k = step_at(E, S, 0), *first = sym_const(E->a, 0);
	for (int r = 0; r < n; r++) {
		cg_omp_line(E, "%s dfc_acc%d = %s;", dtype_ctype(S->t), r,
			    cg_omp_strip(E, x_in_row(E, S, first, rows[r])));
		cg_omp_line(E, "%s = dfc_acc%d;", elem_in_row(E, S, S->y, S->sy, first, rows[r]), r);
	}
	open_loop(E, S, S->axis, "1", false, 1);
	for (int r = 0; r < n; r++) {
		const char *acc = arena_printf(E->a, "dfc_acc%d", r);
		cg_omp_line(E, "%s = %s;", acc,
			    cg_omp_strip(E, combine(E, S, acc, x_in_row(E, S, k, rows[r]))));
		cg_omp_line(E, "%s = %s;", elem_in_row(E, S, S->y, S->sy, k, rows[r]), acc);
	}
	close_loops(E, 1);
}

/* The last axis, for the block of SCAN_ROWS rows from dfc_s<axis - 1>
 * (the loop over that dimension steps by SCAN_ROWS): the rows
 * interleaved, or, in the last block when it is short, one at a time. */
static void
emit_running_rows(OmpEmit *E, const Scan *S)
{
	int r = S->axis - 1;
	Sym *rows[SCAN_ROWS], *one = sym_var(E->a, "dfc_r");
	for (int i = 0; i < SCAN_ROWS; i++)
		rows[i] = sym_addc(E->a, sym_var(E->a, arena_printf(E->a, "dfc_s%d", r)), i);
	cg_omp_line(E, "if (0 < %s && dfc_s%d + %d <= %s) {", S->hi[S->axis], r, SCAN_ROWS,
		    S->hi[r]);
	E->indent++;
	emit_running(E, S, SCAN_ROWS, rows);
	E->indent--;
	cg_omp_line(E, "} else if (0 < %s) {", S->hi[S->axis]);
	E->indent++;
	cg_omp_line(E, "for (int64_t dfc_r = dfc_s%d; dfc_r < %s; dfc_r++) {", r, S->hi[r]);
	E->indent++;
	emit_running(E, S, 1, &one);
	close_loops(E, 2);
}

/* The dimensions after the axis around `line` (simd innermost). */
static void
emit_rows(OmpEmit *E, const Scan *S, const char *line)
{
	for (int d = S->axis + 1; d < S->rank; d++)
		open_loop(E, S, d, NULL, d == S->rank - 1, 1);
	cg_omp_line(E, "%s", line);
	close_loops(E, S->rank - S->axis - 1);
}

/* An inner axis: row 0 of y is x's, then each row combines the one
 * before it with x's, whole rows at a time. */
static void
emit_by_rows(OmpEmit *E, const Scan *S)
{
	int d = S->axis;
	Sym *k = step_at(E, S, 0), *first = sym_const(E->a, 0);
	cg_omp_line(E, "if (0 < %s) {", S->hi[d]);
	E->indent++;
	emit_rows(E, S, arena_printf(E->a, "%s = %s;", elem(E, S, S->y, S->sy, first),
				     cg_omp_strip(E, x_elem(E, S, first))));
	open_loop(E, S, d, "1", false, 1);
	char *prev = elem(E, S, S->y, S->sy, step_at(E, S, -1));
	emit_rows(E, S, arena_printf(E->a, "%s = %s;", elem(E, S, S->y, S->sy, k),
				     cg_omp_strip(E, combine(E, S, prev, x_elem(E, S, k)))));
	close_loops(E, 2);
}

/* The sequential part for one iteration of the parallel loop. */
static void
emit_body(OmpEmit *E, const Scan *S)
{
	static Sym *const own_row[1] = { NULL };
	if (S->axis < S->rank - 1) {
		emit_by_rows(E, S);
	} else if (S->axis > 0) {
		emit_running_rows(E, S);
	} else {
		cg_omp_line(E, "if (0 < %s) {", S->hi[0]);
		E->indent++;
		emit_running(E, S, 1, own_row);
		close_loops(E, 1);
	}
}

/* "e0 * e1 * ...": the element count, for the parallel loop's `if`. */
static const char *
work(OmpEmit *E, const Scan *S)
{
	StrBuf sb;
	sb_init(&sb, E->a);
	for (int d = 0; d < S->rank; d++)
		sb_printf(&sb, "%s%s", d ? " * " : "", cg_omp_paren(E, S->ext[d]));
	return sb_str(&sb);
}

/* Dimensions before the axis in one parallel loop, the body inside. */
static void
emit_outer(OmpEmit *E, const Scan *S)
{
	int n = S->axis;
	if (n > 0)
		cg_omp_par_for(E, n > 1 ? arena_printf(E->a, " collapse(%d)", n) : "", work(E, S));
	bool rows = S->axis == S->rank - 1;
	for (int d = 0; d < n; d++)
		open_loop(E, S, d, NULL, false, rows && d == n - 1 ? SCAN_ROWS : 1);
	emit_body(E, S);
	close_loops(E, n);
}

/* A leading axis: the next dimension in one chunk per thread. */
static void
emit_chunks(OmpEmit *E, const Scan *S)
{
	int c = S->axis + 1;
	const char *nt = E->parallel && !E->in_parallel ? cg_omp_nthreads(E) : "1";
	cg_omp_line(E, "const int64_t dfc_n = %s;", S->ext[c]);
	cg_omp_line(E, "const int64_t dfc_nt = dfc_max(1, dfc_min(%s, dfc_n));", nt);
	cg_omp_par_for(E, "", work(E, S));
	cg_omp_line(E, "for (int64_t dfc_c = 0; dfc_c < dfc_nt; dfc_c++) {");
	E->indent++;
	cg_omp_line(E, "const int64_t dfc_lo = dfc_n * dfc_c / dfc_nt;");
	cg_omp_line(E, "const int64_t dfc_hi = dfc_n * (dfc_c + 1) / dfc_nt;");
	emit_body(E, S);
	close_loops(E, 1);
}

/* Fills S from node id; NULL, or why the backend cannot emit it. */
static const char *
scan_of(OmpEmit *E, int id, Scan *S)
{
	const IrNode *n = &E->st->nodes.data[id];
	const IrMemlet *mx = ir_state_conn_memlet(E->st, id, "_x", false);
	const IrMemlet *my = ir_state_conn_memlet(E->st, id, "_y", true);
	if (!mx || !my)
		ICE("scan without its memlets (verify first)");
	*S = (Scan){ .x = cg_omp_container(E, mx->data), .y = cg_omp_container(E, my->data),
		     .sx = &mx->subset, .sy = &my->subset, .rank = my->subset.ndim,
		     .axis = n->lib.axis, .op = n->lib.combine == WCR_PROD ? OP_MUL : OP_ADD };
	S->t = S->y->dtype;
	if (!n->lib.impl || strcmp(n->lib.impl, "naive") != 0)
		return arena_printf(E->a, "it has no expansion '%s' of scan (naive)",
				    n->lib.impl ? n->lib.impl : "");
	size_t sz = sizeof(char *) * (size_t)(S->rank + 1);
	S->ext = arena_alloc(E->a, sz);
	S->lo = arena_alloc(E->a, sz);
	S->hi = arena_alloc(E->a, sz);
	for (int d = 0; d < S->rank; d++) {
		S->ext[d] = cg_omp_strip(E, cg_omp_sym(E, range_extent(E->a, &S->sy->r[d])));
		S->lo[d] = "0";
		S->hi[d] = S->ext[d];
	}
	return NULL;
}

void
cg_omp_emit_scan(OmpEmit *E, int id)
{
	const IrNode *n = &E->st->nodes.data[id];
	cg_omp_comment(E, n->lib.combine == WCR_PROD ? "scan prod" : "scan sum", NULL, n->loc);
	Scan S;
	const char *why = scan_of(E, id, &S);
	if (why) {
		cg_omp_fail(E, n->loc, "the OpenMP backend cannot emit this scan: %s", why);
		return;
	}
	cg_omp_mark_read(E, S.x->name);
	cg_omp_mark_used(E, S.x->name);
	cg_omp_mark_used(E, S.y->name);
	cg_omp_line(E, "{");
	E->indent++;
	if (S.axis > 0 || S.rank == 1) {
		emit_outer(E, &S);
	} else {
		S.lo[1] = "dfc_lo";
		S.hi[1] = "dfc_hi";
		emit_chunks(E, &S);
	}
	E->indent--;
	cg_omp_line(E, "}");
}
