/* tests/unit/test_ir.c — the IR core: expression dtype rules and text form,
 * constructors, graph queries (topological order, scopes) and ir_verify,
 * which must accept a well-formed program and reject each broken invariant
 * with its message, without crashing on garbage. */
#include <math.h>
#include <stdlib.h>

#include "../../ir/ir.h"
#include "test.h"

static SrcLoc
L(int line)
{
	return (SrcLoc){ "k.py", line, 1 };
}

static Subset
idx1(Arena *a, Sym *i)
{
	return subset_index(a, 1, &i);
}

static Subset
range1(Arena *a, Sym *b, Sym *e)
{
	Subset s = { 1, arena_alloc(a, sizeof(SymRange)) };
	s.r[0] = (SymRange){ b, e, sym_const(a, 1) };
	return s;
}

static Subset
scalar(void)
{
	return (Subset){ 0, NULL };
}

/* ---- the well-formed program ---- */

typedef struct Good {
	Ctx *ctx;
	IrModule *m;
	IrProgram *p;
	IrState *add, *red, *body;
	int add_tasklet, add_entry, add_acc_a, add_acc_c;
	IrBlock *loop, *branch;
} Good;

/* state_L3: for i in [0:N]: C[i] = A[i] + B[i] */
static IrState *
build_add(Good *g)
{
	Ctx *ctx = g->ctx;
	Arena *a = ctx->arena;
	IrState *s = ir_state_new(ctx, "state_L3", L(3));
	Sym *N = sym_var(a, "N"), *i = sym_var(a, "i"), *zero = sym_const(a, 0);
	int aa = ir_state_add_access(ctx, s, "A", L(3));
	int ab = ir_state_add_access(ctx, s, "B", L(3));
	const char *params[] = { "i" };
	SymRange rg = { zero, N, sym_const(a, 1) };
	int en = ir_state_add_map(ctx, s, "map_L3", 1, params, &rg, SCHED_CPU_PARALLEL, L(3));
	int ex = s->nodes.data[en].map.exit;
	IrConn in[] = { { "a", DT_FLOAT64 }, { "b", DT_FLOAT64 } };
	IrExpr *e = ir_expr_op2(a, OP_ADD, ir_expr_in(a, DT_FLOAT64, "a"),
				ir_expr_in(a, DT_FLOAT64, "b"));
	int t = ir_state_add_tasklet(ctx, s, 2, in, (IrConn){ "c", DT_FLOAT64 }, e, L(4));
	int ac = ir_state_add_access(ctx, s, "C", L(4));
	ir_state_add_memlet(ctx, s, aa, NULL, en, "IN_A", "A", range1(a, zero, N), WCR_NONE, L(4));
	ir_state_add_memlet(ctx, s, ab, NULL, en, "IN_B", "B", range1(a, zero, N), WCR_NONE, L(4));
	ir_state_add_memlet(ctx, s, en, "OUT_A", t, "a", "A", idx1(a, i), WCR_NONE, L(4));
	ir_state_add_memlet(ctx, s, en, "OUT_B", t, "b", "B", idx1(a, i), WCR_NONE, L(4));
	ir_state_add_memlet(ctx, s, t, "c", ex, "IN_C", "C", idx1(a, i), WCR_NONE, L(4));
	ir_state_add_memlet(ctx, s, ex, "OUT_C", ac, NULL, "C", range1(a, zero, N), WCR_NONE, L(4));
	g->add_tasklet = t;
	g->add_entry = en;
	g->add_acc_a = aa;
	g->add_acc_c = ac;
	return s;
}

/* state_L6: s = sum(A) as a map with a WCR-sum write. */
static IrState *
build_reduce(Good *g)
{
	Ctx *ctx = g->ctx;
	Arena *a = ctx->arena;
	IrState *s = ir_state_new(ctx, "state_L6", L(6));
	Sym *N = sym_var(a, "N"), *i = sym_var(a, "i"), *zero = sym_const(a, 0);
	int aa = ir_state_add_access(ctx, s, "A", L(6));
	const char *params[] = { "i" };
	SymRange rg = { zero, N, sym_const(a, 1) };
	int en = ir_state_add_map(ctx, s, "map_L6", 1, params, &rg, SCHED_CPU_PARALLEL, L(6));
	int ex = s->nodes.data[en].map.exit;
	IrConn in[] = { { "a", DT_FLOAT64 } };
	int t = ir_state_add_tasklet(ctx, s, 1, in, (IrConn){ "o", DT_FLOAT64 },
				     ir_expr_in(a, DT_FLOAT64, "a"), L(6));
	int as = ir_state_add_access(ctx, s, "s", L(6));
	ir_state_add_memlet(ctx, s, aa, NULL, en, "IN_A", "A", range1(a, zero, N), WCR_NONE, L(6));
	ir_state_add_memlet(ctx, s, en, "OUT_A", t, "a", "A", idx1(a, i), WCR_NONE, L(6));
	ir_state_add_memlet(ctx, s, t, "o", ex, "IN_s", "s", scalar(), WCR_SUM, L(6));
	ir_state_add_memlet(ctx, s, ex, "OUT_s", as, NULL, "s", scalar(), WCR_SUM, L(6));
	return s;
}

/* state_L9 inside "for t in range(0, N, 1)": B[t] = A[t] + t */
static IrState *
build_body(Good *g)
{
	Ctx *ctx = g->ctx;
	Arena *a = ctx->arena;
	IrState *s = ir_state_new(ctx, "state_L9", L(9));
	Sym *t = sym_var(a, "t");
	int aa = ir_state_add_access(ctx, s, "A", L(9));
	IrConn in[] = { { "a", DT_FLOAT64 } };
	IrExpr *e = ir_expr_op2(a, OP_ADD, ir_expr_in(a, DT_FLOAT64, "a"),
				ir_expr_cast(a, DT_FLOAT64, ir_expr_sym(a, "t")));
	int tk = ir_state_add_tasklet(ctx, s, 1, in, (IrConn){ "o", DT_FLOAT64 }, e, L(9));
	int ab = ir_state_add_access(ctx, s, "B", L(9));
	ir_state_add_memlet(ctx, s, aa, NULL, tk, "a", "A", idx1(a, t), WCR_NONE, L(9));
	ir_state_add_memlet(ctx, s, tk, "o", ab, NULL, "B", idx1(a, t), WCR_NONE, L(9));
	return s;
}

static void
build_control(Good *g)
{
	Ctx *ctx = g->ctx;
	Arena *a = ctx->arena;
	IrProgram *p = g->p;
	vec_push(a, &p->body, ir_block_state(ctx, g->add));
	vec_push(a, &p->body, ir_block_state(ctx, g->red));
	IrBlock *loop = ir_block_new(ctx, CF_FOR, "loop_L8", L(8));
	loop->loop.var = "t";
	loop->loop.start = sym_const(a, 0);
	loop->loop.stop = sym_var(a, "N");
	loop->loop.step = sym_const(a, 1);
	vec_push(a, &loop->loop.body, ir_block_state(ctx, g->body));
	vec_push(a, &loop->loop.body, ir_block_new(ctx, CF_CONTINUE, NULL, L(10)));
	vec_push(a, &p->body, loop);
	IrBlock *br = ir_block_new(ctx, CF_IF, "if_L11", L(11));
	br->branch.n = 1;
	br->branch.conds = arena_alloc(a, sizeof(IrExpr *));
	br->branch.conds[0] = ir_expr_op2(a, OP_LT, ir_expr_in(a, DT_FLOAT64, "s"),
					  ir_expr_const_float(a, DT_FLOAT64, 0.0));
	br->branch.bodies = arena_alloc(a, sizeof(IrBlockList));
	vec_push(a, &br->branch.orelse, ir_block_new(ctx, CF_RETURN, NULL, L(13)));
	vec_push(a, &p->body, br);
	IrBlock *wl = ir_block_new(ctx, CF_WHILE, "loop_L14", L(14));
	wl->wloop.cond = ir_expr_op2(a, OP_GT, ir_expr_in(a, DT_FLOAT64, "s"),
				     ir_expr_sym(a, "N"));
	vec_push(a, &wl->wloop.body, ir_block_new(ctx, CF_BREAK, NULL, L(15)));
	vec_push(a, &p->body, wl);
	g->loop = loop;
	g->branch = br;
}

static Good
build_good(void)
{
	Good g = { .ctx = ctx_new() };
	Ctx *ctx = g.ctx;
	Arena *a = ctx->arena;
	g.m = ir_module_new(ctx, "k", "k.py");
	g.p = ir_program_new(ctx, g.m, "k", L(1));
	ir_program_add_symbol(ctx, g.p, "N");
	Sym *shape[] = { sym_var(a, "N") };
	const char *arrays[] = { "A", "B", "C" };
	for (int i = 0; i < 3; i++) {
		ir_program_add_container(ctx, g.p, arrays[i], DT_FLOAT64, 1, shape, ROLE_ARGUMENT, L(1));
		vec_push(a, &g.p->args, ((IrArg){ ARG_DATA, arrays[i] }));
	}
	vec_push(a, &g.p->args, ((IrArg){ ARG_SYMBOL, "N" }));
	ir_program_add_container(ctx, g.p, "s", DT_FLOAT64, 0, NULL, ROLE_TRANSIENT, L(6));
	ir_program_add_container(ctx, g.p, "__return", DT_FLOAT64, 0, NULL, ROLE_RETURN, L(1));
	vec_push(a, &g.p->returns, "__return");
	g.add = build_add(&g);
	g.red = build_reduce(&g);
	g.body = build_body(&g);
	build_control(&g);
	return g;
}

/* Runs ir_verify with diagnostics captured; returns their text. */
static const char *
verify_text(Ctx *ctx, IrModule *m, bool *ok)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ctx->err = f;
	*ok = ir_verify(ctx, m);
	fclose(f);
	ctx->err = stderr;
	const char *s = arena_strdup(ctx->arena, buf ? buf : "");
	free(buf);
	return s;
}

/* Expects verification of g to fail with a message containing want. */
static void
expect_reject(Good *g, const char *want, int line)
{
	bool ok;
	const char *text = verify_text(g->ctx, g->m, &ok);
	test_checks++;
	if (ok || !strstr(text, want)) {
		test_failed++;
		fprintf(stderr, "test_ir.c:%d: want rejection with \"%s\", got ok=%d:\n%s", line,
			want, ok, text);
	}
	ctx_free(g->ctx);
}
#define REJECT(g, want) expect_reject(&(g), (want), __LINE__)

static void
test_verify_good(void)
{
	Good g = build_good();
	bool ok;
	const char *text = verify_text(g.ctx, g.m, &ok);
	CHECK(ok);
	CHECK_STR(text, "");
	ctx_free(g.ctx);
}

static IrMemlet *
find_memlet(IrState *s, int src, int dst)
{
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].src == src && s->memlets.data[i].dst == dst)
			return &s->memlets.data[i];
	return NULL;
}

static void
test_verify_rejects(void)
{
	Good g = build_good();
	g.add->nodes.data[g.add_tasklet].tasklet.expr->args[1]->name = "z";
	REJECT(g, "IR verification failed: tasklet 4 reads 'z', which is not one of its "
	       "input connectors in state 'state_L3' of program 'k'");

	g = build_good();
	find_memlet(g.add, g.add_entry, g.add_tasklet)->dst_conn = "q";
	REJECT(g, "memlet 2 enters tasklet 4 on unknown connector 'q'");

	g = build_good();
	g.add->nodes.data[g.add_acc_c].access.data = "Q";
	REJECT(g, "k.py:4:1: error: IR verification failed: access node 5 names unknown "
	       "container 'Q' in state 'state_L3' of program 'k'");

	g = build_good();
	g.add->memlets.data[0].data = "Q";
	REJECT(g, "memlet 0 names unknown container 'Q'");

	g = build_good();
	ir_state_add_memlet(g.ctx, g.add, g.add_acc_c, NULL, g.add_acc_a, NULL, NULL,
			    scalar(), WCR_NONE, L(5));
	REJECT(g, "the dataflow graph has a cycle in state 'state_L3'");

	g = build_good();
	{
		Arena *a = g.ctx->arena;
		Sym *idx[2] = { sym_var(a, "i"), sym_const(a, 0) };
		find_memlet(g.add, g.add_entry, g.add_tasklet)->subset = subset_index(a, 2, idx);
	}
	REJECT(g, "subset of memlet 2 has 2 dimensions but container 'A' has 1");

	g = build_good();
	vec_push(g.ctx->arena, &g.p->body, ir_block_new(g.ctx, CF_BREAK, NULL, L(20)));
	REJECT(g, "k.py:20:1: error: IR verification failed: 'break' outside a loop in "
	       "program 'k'");

	g = build_good();
	g.branch->branch.bodies[0].len = 0;
	vec_push(g.ctx->arena, &g.branch->branch.bodies[0],
		 ir_block_new(g.ctx, CF_CONTINUE, NULL, L(12)));
	REJECT(g, "'continue' outside a loop");

	g = build_good();
	g.add->nodes.data[g.add_tasklet].tasklet.expr->args[1] = ir_expr_sym(g.ctx->arena, "K");
	REJECT(g, "unknown symbol 'K' in tasklet 4");

	g = build_good();
	g.body->nodes.data[1].tasklet.expr->args[1]->args[0]->name = "u";
	REJECT(g, "unknown symbol 'u' in tasklet 1 in state 'state_L9'");

	g = build_good();
	g.add->memlets.data[5].subset = idx1(g.ctx->arena, sym_var(g.ctx->arena, "i"));
	REJECT(g, "unknown symbol 'i' in subset of memlet 5");

	g = build_good();
	g.add->nodes.data[g.add_entry + 1].mapexit.entry = 0;
	REJECT(g, "map entry 'map_L3' and its exit (node 3) do not point at each other");

	g = build_good();
	g.add->nodes.data[g.add_entry].map.exit = 5;
	REJECT(g, "map exit 3 and its entry (node 2) do not point at each other");

	g = build_good();
	ir_program_add_container(g.ctx, g.p, "A", DT_INT32, 0, NULL, ROLE_TRANSIENT, L(30));
	REJECT(g, "k.py:30:1: error: IR verification failed: duplicate container 'A' in "
	       "program 'k'");
}

static void
test_verify_rejects_more(void)
{
	Good g = build_good();
	find_memlet(g.add, g.add_entry, g.add_tasklet)->src_conn = "OUT_X";
	REJECT(g, "connector 'IN_A' of map entry 'map_L3' has no matching 'OUT_A'");

	g = build_good();
	g.add->memlets.data[0].dst_conn = "A";
	REJECT(g, "memlet 0 enters map entry 'map_L3' on connector 'A', expected 'IN_<name>'");

	g = build_good();
	g.loop->loop.step = sym_const(g.ctx->arena, 0);
	REJECT(g, "step of loop 'loop_L8' is zero");

	g = build_good();
	g.loop->loop.step = sym_var(g.ctx->arena, "t");
	REJECT(g, "unknown symbol 't' in bounds of loop 'loop_L8'");

	g = build_good();
	g.branch->branch.conds[0]->args[0]->name = "A";
	REJECT(g, "condition of 'if_L11' reads 'A', which is not a scalar container");

	g = build_good();
	g.branch->branch.n = 0;
	REJECT(g, "branch 'if_L11' has no condition");

	g = build_good();
	g.branch->branch.conds[0]->dtype = DT_FLOAT64;
	REJECT(g, "'lt' in condition of 'if_L11' has dtype float64, expected bool");

	g = build_good();
	{
		int x = ir_state_add_access(g.ctx, g.add, "A", L(5));
		ir_state_add_memlet(g.ctx, g.add, x, NULL, g.add_tasklet, NULL, NULL, scalar(),
				    WCR_NONE, L(5));
	}
	REJECT(g, "memlet 6 enters the scope of map entry 'map_L3' without passing its entry");

	g = build_good();
	g.add->memlets.data[3].dst = 99;
	REJECT(g, "memlet 3 joins missing nodes 2 -> 99");

	g = build_good();
	ir_program_new(g.ctx, g.m, "k", L(40));
	REJECT(g, "duplicate program name 'k'");

	g = build_good();
	g.p->args.data[0].name = "nothere";
	REJECT(g, "argument 'nothere' is not a container");

	g = build_good();
	vec_push(g.ctx->arena, &g.p->returns, "s");
	REJECT(g, "return value 's' is a container whose role is not return");

	g = build_good();
	g.p->containers.data[0].shape[0] = sym_var(g.ctx->arena, "M");
	REJECT(g, "unknown symbol 'M' in shape of container 'A'");

	g = build_good();
	g.add->nodes.data[g.add_tasklet].tasklet.in[1].name = "a";
	REJECT(g, "duplicate input connector 'a' of tasklet 4");

	g = build_good();
	g.p->containers.data[3].name = "s;x";
	REJECT(g, "container 's;x' is not an identifier");

	g = build_good();
	g.add->nodes.data[g.add_tasklet].tasklet.out.name = "c)";
	REJECT(g, "connector 'c)' of tasklet 4 is not an identifier");

	g = build_good();
	g.loop->loop.var = "9t";
	REJECT(g, "variable '9t' of loop 'loop_L8' is not an identifier");

	g = build_good();
	g.add->memlets.data[4].src_conn = "zz";
	REJECT(g, "output connector 'c' of tasklet 4 has no outgoing memlet");
}

/* E1 -> E2 -> t -> X1 -> X2: the inner map leaks out of the outer one. */
static void
test_verify_nesting(void)
{
	Good g = build_good();
	Ctx *ctx = g.ctx;
	Arena *a = ctx->arena;
	IrState *s = ir_state_new(ctx, "state_L50", L(50));
	const char *pi[] = { "i" }, *pj[] = { "j" };
	SymRange rg = { sym_const(a, 0), sym_var(a, "N"), sym_const(a, 1) };
	int e1 = ir_state_add_map(ctx, s, "map_L50", 1, pi, &rg, SCHED_SEQUENTIAL, L(50));
	int e2 = ir_state_add_map(ctx, s, "map_L51", 1, pj, &rg, SCHED_SEQUENTIAL, L(51));
	int t = ir_state_add_tasklet(ctx, s, 0, NULL, (IrConn){ "o", DT_FLOAT64 },
				     ir_expr_const_float(a, DT_FLOAT64, 1.0), L(52));
	int ac = ir_state_add_access(ctx, s, "C", L(52));
	Subset ij = idx1(a, sym_add(a, sym_var(a, "i"), sym_var(a, "j")));
	ir_state_add_memlet(ctx, s, e1, NULL, e2, NULL, NULL, scalar(), WCR_NONE, L(52));
	ir_state_add_memlet(ctx, s, e2, NULL, t, NULL, NULL, scalar(), WCR_NONE, L(52));
	ir_state_add_memlet(ctx, s, t, "o", e1 + 1, "IN_C", "C", ij, WCR_NONE, L(52));
	ir_state_add_memlet(ctx, s, e1 + 1, "OUT_C", e2 + 1, "IN_C", "C",
			    range1(a, sym_const(a, 0), sym_var(a, "N")), WCR_NONE, L(52));
	ir_state_add_memlet(ctx, s, e2 + 1, "OUT_C", ac, NULL, "C",
			    range1(a, sym_const(a, 0), sym_var(a, "N")), WCR_NONE, L(52));
	vec_push(a, &g.p->body, ir_block_state(ctx, s));
	REJECT(g, "the scope of map entry 'map_L51' is not nested in map entry 'map_L50'");
}

static void
test_verify_library(void)
{
	Good g = build_good();
	Ctx *ctx = g.ctx;
	Arena *a = ctx->arena;
	IrState *s = ir_state_new(ctx, "state_L60", L(60));
	Subset all = range1(a, sym_const(a, 0), sym_var(a, "N"));
	int aa = ir_state_add_access(ctx, s, "A", L(60));
	int ab = ir_state_add_access(ctx, s, "B", L(60));
	int mm = ir_state_add_library(ctx, s, LIB_MATMUL, L(60));
	int ac = ir_state_add_access(ctx, s, "__return", L(60));
	ir_state_add_memlet(ctx, s, aa, NULL, mm, "_a", "A", all, WCR_NONE, L(60));
	ir_state_add_memlet(ctx, s, ab, NULL, mm, "_b", "B", all, WCR_NONE, L(60));
	int mc = ir_state_add_memlet(ctx, s, mm, "_c", ac, NULL, "__return", scalar(),
				     WCR_NONE, L(60));
	vec_push(a, &g.p->body, ir_block_state(ctx, s));
	bool ok;
	const char *text = verify_text(ctx, g.m, &ok);
	CHECK(ok);
	CHECK_STR(text, "");
	s->memlets.data[mc].src_conn = "_d";
	REJECT(g, "output connector '_c' of library node 2 (matmul) has no outgoing memlet");

	g = build_good();
	s = ir_state_new(g.ctx, "state_L60", L(60));
	ir_state_add_library(g.ctx, s, LIB_MATMUL, L(60));
	vec_push(g.ctx->arena, &g.p->body, ir_block_state(g.ctx, s));
	REJECT(g, "input connector '_a' of library node 0 (matmul) has 0 incoming memlets, expected 1");
}

/* Garbage everywhere must be reported, never crash. */
static void
test_verify_garbage(void)
{
	Good g = build_good();
	IrState *s = g.add;
	s->nodes.data[0].kind = (IrNodeKind)99;
	s->nodes.data[1].access.data = NULL;
	s->nodes.data[2].map.nparams = -1;
	s->nodes.data[2].map.schedule = (Schedule)77;
	s->nodes.data[4].tasklet.nin = 5;
	s->nodes.data[4].tasklet.in = NULL;
	s->memlets.data[1].data = NULL;
	s->memlets.data[2].wcr = (Wcr)9;
	s->memlets.data[3].subset.ndim = 1;
	s->memlets.data[3].subset.r = NULL;
	g.p->containers.data[1].name = NULL;
	g.p->containers.data[2].dtype = (DType)40;
	g.p->symbols.data[0] = NULL;
	g.red->nodes.data[3].tasklet.expr = NULL;
	g.body->nodes.data[1].tasklet.expr->kind = (ExprKind)12;
	g.branch->branch.conds[0]->op = (IrOp)500;
	g.loop->loop.start = NULL;
	g.loop->loop.var = NULL;
	vec_push(g.ctx->arena, &g.p->body, NULL);
	vec_push(g.ctx->arena, &g.m->programs, NULL);
	REJECT(g, "IR verification failed");

	g = build_good();
	IrBlock *b = ir_block_new(g.ctx, CF_STATE, "x", L(70));
	vec_push(g.ctx->arena, &g.p->body, b);
	b = ir_block_new(g.ctx, (IrBlockKind)42, "y", L(71));
	vec_push(g.ctx->arena, &g.p->body, b);
	REJECT(g, "block 'y' has invalid kind 42");
}

/* ---- graph queries ---- */

/* A[i, j] copied to B through two nested maps: 0 accA, 1/2 E1/X1, 3/4 E2/X2,
 * 5 tasklet, 6 accB. */
static void
test_topo_scopes(void)
{
	Ctx *ctx = ctx_new();
	Arena *a = ctx->arena;
	IrModule *m = ir_module_new(ctx, "k", "k.py");
	IrProgram *p = ir_program_new(ctx, m, "k", L(1));
	ir_program_add_symbol(ctx, p, "N");
	ir_program_add_symbol(ctx, p, "M");
	Sym *shape[] = { sym_var(a, "N"), sym_var(a, "M") };
	ir_program_add_container(ctx, p, "A", DT_FLOAT32, 2, shape, ROLE_TRANSIENT, L(1));
	ir_program_add_container(ctx, p, "B", DT_FLOAT32, 2, shape, ROLE_TRANSIENT, L(1));
	IrState *s = ir_state_new(ctx, "state_L2", L(2));
	int aa = ir_state_add_access(ctx, s, "A", L(2));
	const char *pi[] = { "i" }, *pj[] = { "j" };
	SymRange ri = { sym_const(a, 0), shape[0], sym_const(a, 1) };
	SymRange rj = { sym_const(a, 0), shape[1], sym_const(a, 1) };
	int e1 = ir_state_add_map(ctx, s, "map_L2", 1, pi, &ri, SCHED_CPU_PARALLEL, L(2));
	int e2 = ir_state_add_map(ctx, s, "map_L3", 1, pj, &rj, SCHED_SEQUENTIAL, L(3));
	IrConn in = { "a", DT_FLOAT32 };
	int t = ir_state_add_tasklet(ctx, s, 1, &in, (IrConn){ "b", DT_FLOAT32 },
				     ir_expr_in(a, DT_FLOAT32, "a"), L(4));
	int ab = ir_state_add_access(ctx, s, "B", L(4));
	Sym *ij[] = { sym_var(a, "i"), sym_var(a, "j") };
	Subset all = { 2, arena_alloc(a, 2 * sizeof(SymRange)) };
	all.r[0] = ri;
	all.r[1] = rj;
	Subset row = all;
	row.r = arena_alloc(a, 2 * sizeof(SymRange));
	row.r[0] = subset_index(a, 2, ij).r[0];
	row.r[1] = rj;
	ir_state_add_memlet(ctx, s, aa, NULL, e1, "IN_A", "A", all, WCR_NONE, L(2));
	ir_state_add_memlet(ctx, s, e1, "OUT_A", e2, "IN_A", "A", row, WCR_NONE, L(3));
	ir_state_add_memlet(ctx, s, e2, "OUT_A", t, "a", "A", subset_index(a, 2, ij), WCR_NONE, L(4));
	ir_state_add_memlet(ctx, s, t, "b", e2 + 1, "IN_B", "B", subset_index(a, 2, ij), WCR_NONE, L(4));
	ir_state_add_memlet(ctx, s, e2 + 1, "OUT_B", e1 + 1, "IN_B", "B", row, WCR_NONE, L(4));
	ir_state_add_memlet(ctx, s, e1 + 1, "OUT_B", ab, NULL, "B", all, WCR_NONE, L(4));
	vec_push(a, &p->body, ir_block_state(ctx, s));

	CHECK(e1 == 1 && e2 == 3 && t == 5 && ab == 6);
	CHECK(ir_state_is_acyclic(s));
	int *order = ir_state_topo_order(a, s);
	int want[] = { 0, 1, 3, 5, 4, 2, 6 };
	CHECK(memcmp(order, want, sizeof want) == 0);
	int want_scope[] = { -1, -1, -1, 1, 1, 3, -1 };
	for (int i = 0; i < 7; i++)
		CHECK(ir_state_scope_of(s, i) == want_scope[i]);
	int *sc = ir_state_scopes(a, s);
	CHECK(memcmp(sc, want_scope, sizeof want_scope) == 0);
	bool *mem = ir_state_scope_members(a, s, e1);
	CHECK(!mem[0] && !mem[1] && !mem[2] && mem[3] && mem[4] && mem[5] && !mem[6]);
	bool ok;
	const char *text = verify_text(ctx, m, &ok);
	CHECK(ok);
	CHECK_STR(text, "");

	/* j is not in scope on the outer memlets */
	s->memlets.data[1].subset = subset_index(a, 2, ij);
	text = verify_text(ctx, m, &ok);
	CHECK(!ok && strstr(text, "unknown symbol 'j' in subset of memlet 1"));
	CHECK(!strstr(text, "'i'"));

	ir_state_add_memlet(ctx, s, ab, NULL, aa, NULL, NULL, scalar(), WCR_NONE, L(5));
	CHECK(!ir_state_is_acyclic(s));
	ctx_free(ctx);
}

/* Ties in the topological order go to the smallest id. */
static void
test_topo_stable(void)
{
	Ctx *ctx = ctx_new();
	IrState *s = ir_state_new(ctx, "st", L(1));
	for (int i = 0; i < 6; i++)
		ir_state_add_access(ctx, s, "X", L(1));
	int edges[][2] = { { 5, 0 }, { 4, 1 }, { 3, 2 }, { 0, 1 } };
	for (int i = 0; i < 4; i++)
		ir_state_add_memlet(ctx, s, edges[i][0], NULL, edges[i][1], NULL, NULL, scalar(),
				    WCR_NONE, L(1));
	int *order = ir_state_topo_order(ctx->arena, s);
	int want[] = { 3, 2, 4, 5, 0, 1 };
	CHECK(memcmp(order, want, sizeof want) == 0);
	ir_state_add_memlet(ctx, s, 1, NULL, 1, NULL, NULL, scalar(), WCR_NONE, L(1));
	CHECK(!ir_state_is_acyclic(s));
	ctx_free(ctx);
}

/* ---- constructors and name tables ---- */

static void
test_build(void)
{
	Ctx *ctx = ctx_new();
	Arena *a = ctx->arena;
	IrModule *m = ir_module_new(ctx, "k", NULL);
	CHECK_STR(m->source, "");
	IrProgram *p = ir_program_new(ctx, m, "k", L(1));
	CHECK(m->programs.len == 1 && m->programs.data[0] == p);
	ir_program_add_symbol(ctx, p, "N");
	ir_program_add_symbol(ctx, p, "N");
	ir_program_add_symbol(ctx, p, "tmp_1");
	CHECK(p->symbols.len == 2 && ir_program_has_symbol(p, "tmp_1"));
	CHECK(!ir_program_has_symbol(p, "M"));
	Sym *shape[] = { sym_var(a, "N"), sym_var(a, "M"), sym_const(a, 4) };
	int c = ir_program_add_container(ctx, p, "tmp", DT_INT32, 3, shape, ROLE_TRANSIENT, L(2));
	CHECK(c == 0 && ir_program_find_container(p, "tmp") == &p->containers.data[0]);
	CHECK(ir_program_find_container(p, "nope") == NULL);
	IrContainer *ct = &p->containers.data[0];
	CHECK(ct->storage == STORAGE_HOST && ct->shape != shape);
	CHECK_STR(sym_print(a, ct->strides[0]), "4*M");
	CHECK_STR(sym_print(a, ct->strides[1]), "4");
	CHECK_STR(sym_print(a, ct->strides[2]), "1");
	CHECK(ir_strides_row_major(a, 0, NULL) == NULL);
	CHECK_STR(ir_program_fresh_name(ctx, p, "x"), "x");
	CHECK_STR(ir_program_fresh_name(ctx, p, "tmp"), "tmp_2");
	CHECK_STR(ir_program_fresh_name(ctx, p, "N"), "N_1");

	IrState *s = ir_state_new(ctx, "state_L3", L(3));
	const char *params[] = { "i" };
	SymRange rg = { sym_const(a, 0), shape[0], sym_const(a, 1) };
	ir_state_add_access(ctx, s, "tmp", L(3));
	int en = ir_state_add_map(ctx, s, "map_L3", 1, params, &rg, SCHED_MPI, L(7));
	IrNode *e = &s->nodes.data[en], *x = &s->nodes.data[en + 1];
	CHECK(en == 1 && e->kind == IRN_MAP_ENTRY && e->map.exit == 2);
	CHECK(x->kind == IRN_MAP_EXIT && x->mapexit.entry == 1 && x->id == 2);
	CHECK(x->loc.line == 7 && x->label == NULL);
	CHECK_STR(e->label, "map_L3");
	CHECK(e->map.params != params && e->map.schedule == SCHED_MPI);
	int lib = ir_state_add_library(ctx, s, LIB_MATMUL, L(4));
	CHECK_STR(s->nodes.data[lib].lib.impl, "naive");
	IrBlock *b = ir_block_state(ctx, s);
	CHECK(b->kind == CF_STATE && b->state == s && b->loc.line == 3);
	CHECK_STR(b->name, "state_L3");
	ctx_free(ctx);
}

static void
test_names(void)
{
	CHECK_STR(ir_node_kind_name(IRN_MAP_ENTRY), "map_entry");
	CHECK_STR(ir_node_kind_name(IRN_LIBRARY), "library");
	const char *sched[] = { "sequential", "cpu_parallel", "gpu_device", "gpu_block", "mpi" };
	for (int i = 0; i < SCHED_COUNT; i++) {
		Schedule s;
		CHECK_STR(ir_schedule_name((Schedule)i), sched[i]);
		CHECK(ir_schedule_from_name(sched[i], &s) && s == (Schedule)i);
	}
	const char *wcr[] = { "none", "sum", "prod", "min", "max" };
	for (int i = 0; i < WCR_COUNT; i++) {
		Wcr w;
		CHECK_STR(ir_wcr_name((Wcr)i), wcr[i]);
		CHECK(ir_wcr_from_name(wcr[i], &w) && w == (Wcr)i);
	}
	LibOp op;
	Storage st;
	Schedule sc;
	CHECK(ir_libop_from_name("matmul", &op) && op == LIB_MATMUL);
	CHECK_STR(ir_libop_name(LIB_MATMUL), "matmul");
	CHECK(ir_storage_from_name("register", &st) && st == STORAGE_REGISTER);
	CHECK_STR(ir_storage_name(STORAGE_DEVICE), "device");
	CHECK(!ir_storage_from_name("heap", &st) && !ir_schedule_from_name("", &sc));
	CHECK(!ir_wcr_from_name("Sum", NULL) && !ir_libop_from_name("gemm", &op));
	IrOp o;
	CHECK(ir_op_from_name("minimum", &o) && o == OP_MIN);
	CHECK(!ir_op_from_name("min", &o));
	CHECK(ir_op_arity(OP_WHERE) == 3 && ir_op_class(OP_DIV) == OPC_FN);
	CHECK_STR(ir_op_name(OP_BITXOR), "bitxor");
}

/* ---- expressions ---- */

static bool
in_types(const char *name, DType *t, void *ud)
{
	static const struct { const char *n; DType t; } tab[] = {
		{ "a", DT_FLOAT64 }, { "b", DT_FLOAT64 }, { "x", DT_FLOAT32 },
		{ "n", DT_INT32 }, { "diff", DT_FLOAT64 }, { "c", DT_COMPLEX64 },
		{ "u", DT_UINT8 }, { "f", DT_BOOL },
	};
	(void)ud;
	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++) {
		if (strcmp(tab[i].n, name) == 0) {
			*t = tab[i].t;
			return true;
		}
	}
	return false;
}

static IrExpr *
P(Arena *a, const char *text)
{
	const char *err = NULL;
	int pos = -1;
	IrExpr *e = ir_expr_parse(a, text, in_types, NULL, &err, &pos);
	if (!e)
		fprintf(stderr, "parse of \"%s\" failed at %d: %s\n", text, pos, err);
	return e;
}

static void
test_expr_dtypes(void)
{
	Arena *a = arena_new();
	IrExpr *i64 = ir_expr_sym(a, "i"), *i32 = ir_expr_in(a, DT_INT32, "n");
	IrExpr *f32 = ir_expr_in(a, DT_FLOAT32, "x"), *f64 = ir_expr_in(a, DT_FLOAT64, "a");
	IrExpr *b = ir_expr_in(a, DT_BOOL, "f"), *u8 = ir_expr_in(a, DT_UINT8, "u");
	IrExpr *c64 = ir_expr_in(a, DT_COMPLEX64, "c"), *i8 = ir_expr_const_int(a, DT_INT8, 3);
	CHECK(i64->dtype == DT_INT64);
	CHECK(ir_expr_op2(a, OP_DIV, i64, i32)->dtype == DT_FLOAT64);
	CHECK(ir_expr_op2(a, OP_DIV, f32, f32)->dtype == DT_FLOAT32);
	CHECK(ir_expr_op2(a, OP_DIV, f32, u8)->dtype == DT_FLOAT32);
	CHECK(ir_expr_op2(a, OP_DIV, b, b)->dtype == DT_FLOAT64);
	CHECK(ir_expr_op1(a, OP_SQRT, f32)->dtype == DT_FLOAT32);
	CHECK(ir_expr_op1(a, OP_SQRT, i32)->dtype == DT_FLOAT64);
	CHECK(ir_expr_op1(a, OP_EXP, c64)->dtype == DT_COMPLEX64);
	CHECK(ir_expr_op2(a, OP_LT, f64, i32)->dtype == DT_BOOL);
	CHECK(ir_expr_op2(a, OP_AND, b, b)->dtype == DT_BOOL);
	CHECK(ir_expr_op1(a, OP_NOT, b)->dtype == DT_BOOL);
	IrExpr *w[] = { b, i32, f32 };
	CHECK(ir_expr_op(a, OP_WHERE, 3, w)->dtype == DT_FLOAT64);
	IrExpr *w2[] = { b, i8, f32 };
	CHECK(ir_expr_op(a, OP_WHERE, 3, w2)->dtype == DT_FLOAT32);
	IrExpr *w3[] = { f64, u8, u8 };
	CHECK(ir_expr_op(a, OP_WHERE, 3, w3)->dtype == DT_UINT8);
	CHECK(ir_expr_op2(a, OP_POW, i32, i8)->dtype == DT_INT32);
	CHECK(ir_expr_op2(a, OP_POW, i32, i64)->dtype == DT_INT64);
	CHECK(ir_expr_op2(a, OP_ADD, f32, i64)->dtype == DT_FLOAT64);
	CHECK(ir_expr_op2(a, OP_MUL, u8, i8)->dtype == DT_INT16);
	CHECK(ir_expr_op1(a, OP_ABS, c64)->dtype == DT_FLOAT32);
	CHECK(ir_expr_op1(a, OP_NEG, i8)->dtype == DT_INT8);
	CHECK(ir_expr_cast(a, DT_INT16, f64)->dtype == DT_INT16);
	DType ft[] = { DT_COMPLEX128 };
	CHECK(ir_op_result_dtype(OP_ABS, 1, ft) == DT_FLOAT64);
	CHECK(ir_expr_op2(a, OP_COMPLEX, f32, f32)->dtype == DT_COMPLEX64);
	CHECK(ir_expr_op2(a, OP_COMPLEX, f32, i8)->dtype == DT_COMPLEX64);
	CHECK(ir_expr_op2(a, OP_COMPLEX, f64, f32)->dtype == DT_COMPLEX128);
	CHECK(ir_expr_op2(a, OP_COMPLEX, i32, b)->dtype == DT_COMPLEX128);
	CHECK(ir_op_class(OP_COMPLEX) == OPC_FN && ir_op_arity(OP_COMPLEX) == 2);
	arena_free(a);
}

static void
test_expr_print(void)
{
	Arena *a = arena_new();
	IrExpr *e = ir_expr_op2(a, OP_ADD,
				ir_expr_op2(a, OP_MUL, ir_expr_in(a, DT_FLOAT64, "a"),
					    ir_expr_const_float(a, DT_FLOAT64, 2.0)),
				ir_expr_sym(a, "i"));
	CHECK_STR(ir_expr_print(a, e), "add(mul(in:a, float64:2.0), sym:i)");
	CHECK_STR(ir_expr_print(a, ir_expr_const_float(a, DT_FLOAT64, 1e-6)), "float64:1e-06");
	CHECK_STR(ir_expr_print(a, ir_expr_const_float(a, DT_FLOAT64, 0.1)), "float64:0.1");
	CHECK_STR(ir_expr_print(a, ir_expr_const_float(a, DT_FLOAT64, 1e22)), "float64:1e+22");
	CHECK_STR(ir_expr_print(a, ir_expr_const_float(a, DT_FLOAT64, -0.0)), "float64:-0.0");
	CHECK_STR(ir_expr_print(a, ir_expr_const_float(a, DT_FLOAT32, INFINITY)), "float32:inf");
	CHECK_STR(ir_expr_print(a, ir_expr_const_float(a, DT_FLOAT64, -INFINITY)),
		  "float64:-inf");
	CHECK_STR(ir_expr_print(a, ir_expr_const_float(a, DT_FLOAT64, NAN)), "float64:nan");
	CHECK_STR(ir_expr_print(a, ir_expr_const_int(a, DT_FLOAT64, 3)), "float64:3.0");
	CHECK_STR(ir_expr_print(a, ir_expr_const_float(a, DT_INT64, 3.0)), "int64:3");
	CHECK_STR(ir_expr_print(a, ir_expr_const_int(a, DT_UINT8, 300)), "uint8:44");
	CHECK_STR(ir_expr_print(a, ir_expr_const_int(a, DT_UINT64, -1)),
		  "uint64:18446744073709551615");
	CHECK_STR(ir_expr_print(a, ir_expr_const_int(a, DT_BOOL, 5)), "bool:1");
	CHECK_STR(ir_expr_print(a, ir_expr_const_int(a, DT_INT8, -129)), "int8:127");
	CHECK_STR(ir_expr_print(a, ir_expr_cast(a, DT_FLOAT32, ir_expr_in(a, DT_FLOAT64, "x"))),
		  "cast<float32>(in:x)");
	double third = 1.0 / 3.0;
	IrExpr *c = ir_expr_const_float(a, DT_FLOAT64, third);
	IrExpr *back = P(a, ir_expr_print(a, c));
	CHECK(back && back->fval == third && ir_expr_equal(back, c));
	arena_free(a);
}

static void
test_expr_roundtrip(void)
{
	static const char *const texts[] = {
		"add(mul(in:a, float64:2.0), sym:i)", "cast<float32>(in:x)",
		"lt(in:diff, float64:1e-06)", "int64:3", "bool:1", "bool:0", "uint8:255",
		"int8:-128", "int64:-9223372036854775808", "uint64:18446744073709551615",
		"float64:inf", "float64:-inf", "float64:nan", "float32:0.1", "float64:-0.0",
		"float64:1e+300", "float64:5e-324", "float64:1.7976931348623157e+308",
		"complex128:2.5", "where(gt(in:a, float64:0.0), in:a, neg(in:a))",
		"not(and(bool:1, or(in:f, ne(in:n, int32:0))))", "sqrt(abs(in:c))",
		"floordiv(in:n, int32:-7)", "bitxor(shl(in:u, uint8:1), bitnot(in:u))",
		"minimum(maximum(in:x, float32:-1.0), float32:1.0)", "tanh(cast<float64>(in:n))",
		"pow(sym:i, int64:2)", "div(sym:N, sym:M)",
		"complex(in:a, imag(cast<complex128>(in:b)))", "complex(float32:inf, in:x)",
		"complex(float64:nan, float64:-0.0)", "real(complex(in:x, float32:-inf))",
	};
	Arena *a = arena_new();
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		IrExpr *e = P(a, texts[i]);
		CHECK(e != NULL);
		if (!e)
			continue;
		CHECK_STR(ir_expr_print(a, e), texts[i]);
		IrExpr *e2 = P(a, ir_expr_print(a, e));
		CHECK(ir_expr_equal(e, e2));
	}
	IrExpr *x = P(a, " add (in:a ,\n\tin:b ) ");
	CHECK(x && ir_expr_equal(x, P(a, "add(in:a, in:b)")));
	CHECK(!ir_expr_equal(x, P(a, "add(in:b, in:a)")));
	CHECK(!ir_expr_equal(x, P(a, "sub(in:a, in:b)")));
	CHECK(!ir_expr_equal(P(a, "float64:0.0"), P(a, "float64:-0.0")));
	CHECK(!ir_expr_equal(P(a, "int64:1"), P(a, "int32:1")));
	CHECK(ir_expr_equal(P(a, "float64:nan"), P(a, "float64:nan")));
	CHECK(P(a, "lt(in:a, in:b)")->dtype == DT_BOOL);
	CHECK(P(a, "div(in:n, in:n)")->dtype == DT_FLOAT64);
	CHECK(P(a, "sqrt(in:x)")->dtype == DT_FLOAT32);
	CHECK(P(a, "float64:2")->fval == 2.0);
	CHECK(P(a, "complex(in:x, in:x)")->dtype == DT_COMPLEX64);
	CHECK(P(a, "complex(in:x, in:a)")->dtype == DT_COMPLEX128);
	arena_free(a);
}

/* EX_LOAD: prints, parses back, equals, and is seen by ir_expr_reads. */
static void
test_expr_load(void)
{
	Arena *a = arena_new();
	IrExpr *idx[2] = { ir_expr_in(a, DT_INT32, "n"), ir_expr_sym(a, "i") };
	IrExpr *e = ir_expr_load(a, DT_FLOAT64, "a", 2, idx);
	const char *text = ir_expr_print(a, e);
	CHECK_STR(text, "load<float64>(in:a, in:n, sym:i)");
	IrExpr *back = P(a, text);
	CHECK(back && back->kind == EX_LOAD && back->n == 2 && ir_expr_equal(back, e));
	CHECK(ir_expr_reads(e, "a") && ir_expr_reads(e, "n") && !ir_expr_reads(e, "x"));
	CHECK(ir_expr_loads(e, "a") && !ir_expr_loads(e, "n") && ir_expr_has_load(e));
	IrExpr *other = ir_expr_load(a, DT_FLOAT64, "a", 1, idx);
	CHECK(!ir_expr_equal(e, other));
	CHECK(P(a, " load<float64>( in:a , int64:0 ) ") != NULL);
	arena_free(a);
}

/* Expects parse of text to fail at byte errpos with a message containing want. */
static void
expect_parse_error(Arena *a, const char *text, int errpos, const char *want, int line)
{
	const char *err = NULL;
	int pos = -1;
	IrExpr *e = ir_expr_parse(a, text, in_types, NULL, &err, &pos);
	test_checks++;
	if (e || !err || !strstr(err, want) || (errpos >= 0 && pos != errpos)) {
		test_failed++;
		fprintf(stderr, "test_ir.c:%d: parse of \"%s\": got %s at %d, want \"%s\" at %d\n",
			line, text, e ? "success" : err ? err : "(no message)", pos, want, errpos);
	}
}
#define PERR(text, pos, want) expect_parse_error(a, (text), (pos), (want), __LINE__)

static void
test_expr_parse_errors(void)
{
	Arena *a = arena_new();
	PERR("", 0, "expected an expression, found end of text");
	PERR("   ", 3, "expected an expression");
	PERR("add(in:a)", 0, "'add' takes 2 operands, got 1");
	PERR("add(in:a, in:b, in:a)", 14, "too many operands for 'add'");
	PERR("foo(in:a)", 0, "unknown operator 'foo'");
	PERR("float99:1", 0, "unknown dtype 'float99'");
	PERR("float64:", 8, "bad number after 'float64:'");
	PERR("float64:1.5x", 11, "unexpected 'x' after the expression");
	PERR("float64:1e", 8, "bad number");
	PERR("float64:--1", 8, "bad number");
	PERR("float64:infinity", 8, "bad number");
	PERR("float64:0x10", 9, "unexpected 'x'");
	PERR("int8:128", 5, "integer constant out of range for int8");
	PERR("int8:-129", 5, "out of range");
	PERR("uint8:-1", 6, "out of range for uint8");
	PERR("uint64:18446744073709551616", 7, "out of range");
	PERR("int64:9223372036854775808", 6, "out of range");
	PERR("bool:2", 5, "out of range for bool");
	PERR("int32:1.5", 7, "unexpected '.'");
	PERR("load<float64>(in:a)", 17, "a load needs at least one index");
	PERR("load<float32>(in:a, int64:0)", 5, "load<float32> of input 'a', which is float64");
	PERR("load<float64>(a, int64:0)", 14, "expected 'in:'");
	PERR("load<float64>(in:zz, int64:0)", 17, "unknown input 'zz'");
	PERR("int32:x", 6, "expected an integer");
	PERR("add(in:a, in:q)", 13, "unknown input 'q'");
	PERR("in:", 3, "expected a name after 'in:'");
	PERR("sym:3", 4, "expected a name after 'sym:'");
	PERR("cast<float99>(in:a)", 5, "unknown dtype 'float99'");
	PERR("cast<float32(in:a)", 12, "expected '>'");
	PERR("cast(in:a)", 0, "unknown operator 'cast'");
	PERR("cast:1", 0, "unknown dtype 'cast'");
	PERR("add(in:a, in:b", 14, "expected ')', found end of text");
	PERR("add(in:a, in:b))", 15, "unexpected ')'");
	PERR("add(in:a,, in:b)", 9, "expected an expression, found ','");
	PERR("add\x01(in:a, in:b)", 3, "byte 0x01");
	PERR("\xff\xfe", 0, "byte 0xff");
	PERR("a", 1, "expected ':' or '(' after 'a'");
	const char *err = NULL;
	int pos = -1;
	CHECK(!ir_expr_parse(a, "in:a", NULL, NULL, &err, &pos) && pos == 3);
	CHECK(!ir_expr_parse(a, NULL, in_types, NULL, NULL, NULL));

	/* depth limit: 150 levels parse, 300 are refused */
	StrBuf ok, deep;
	sb_init(&ok, a);
	sb_init(&deep, a);
	for (int i = 0; i < 150; i++)
		sb_puts(&ok, "neg(");
	sb_puts(&ok, "in:a");
	for (int i = 0; i < 150; i++)
		sb_puts(&ok, ")");
	for (int i = 0; i < 100000; i++)
		sb_puts(&deep, "neg(");
	CHECK(P(a, sb_str(&ok)) != NULL);
	PERR(sb_str(&deep), -1, "nested too deeply");
	arena_free(a);
}

/* Random bytes and mutations of valid texts: no crash, and whatever parses
 * prints back to a text that parses to an equal tree. */
static void
test_expr_fuzz(void)
{
	static const char *const seeds[] = {
		"add(mul(in:a, float64:2.0), sym:i)", "where(gt(in:a, float64:0.0), in:a, neg(in:a))",
		"cast<float32>(in:x)", "uint64:18446744073709551615", "float64:-1.5e-300",
	};
	static const char alphabet[] = "addmulin:sym(),<>float64int8bool0123456789.-+e xnq\x01\xff";
	unsigned seed = 12345;
	int parsed = 0, bad = 0;
	for (int it = 0; it < 20000; it++) {
		Arena *a = arena_new();
		char buf[80];
		const char *src = seeds[it % 5];
		size_t n = strlen(src);
		memcpy(buf, src, n + 1);
		for (int k = 0; k < 1 + it % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % (n + 1);
			char c = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
			if (at < n && (seed & 3) != 0)
				buf[at] = c;
			else if (at < n)
				buf[at] = '\0';
		}
		const char *err;
		int pos;
		IrExpr *e = ir_expr_parse(a, buf, in_types, NULL, &err, &pos);
		if (e) {
			parsed++;
			IrExpr *e2 = ir_expr_parse(a, ir_expr_print(a, e), in_types, NULL, &err, &pos);
			bad += !e2 || !ir_expr_equal(e, e2);
		} else {
			bad += !err || pos < 0 || pos > (int)strlen(buf);
		}
		arena_free(a);
	}
	CHECK(bad == 0);
	CHECK(parsed > 100);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_names();
	test_build();
	test_expr_dtypes();
	test_expr_print();
	test_expr_roundtrip();
	test_expr_parse_errors();
	test_expr_load();
	test_expr_fuzz();
	test_topo_stable();
	test_topo_scopes();
	test_verify_good();
	test_verify_rejects();
	test_verify_rejects_more();
	test_verify_nesting();
	test_verify_library();
	test_verify_garbage();
	return test_done(argv[0]);
}
