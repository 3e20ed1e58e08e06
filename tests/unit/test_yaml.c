/* tests/unit/test_yaml.c — the YAML, text and DOT forms of the IR.
 *
 * Builds modules by hand that cover every node kind, block kind, WCR,
 * schedule, storage, role, dtype, symbols, history and locations (plus a
 * module of odd strings and broken references that only has to survive),
 * then checks that dump -> load -> dump is byte-identical, that malformed
 * YAML is rejected with a located error, that the text form matches a
 * golden string and that Graphviz accepts the DOT form.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../ir/ir.h"
#include "test.h"

static const char *FILE_PY = "samples/kern.py";

static SrcLoc
L(int line, int col)
{
	return (SrcLoc){FILE_PY, line, col};
}

static Sym *
S(Ctx *ctx, const char *text)
{
	const char *err = NULL;
	int pos = 0;
	Sym *s = sym_parse(ctx->arena, text, &err, &pos);
	if (!s) {
		fprintf(stderr, "bad sym '%s': %s\n", text, err);
		exit(2);
	}
	return s;
}

static Subset
SS(Ctx *ctx, const char *text)
{
	const char *err = NULL;
	int pos = 0;
	Subset s;
	if (!subset_parse(ctx->arena, text, &s, &err, &pos)) {
		fprintf(stderr, "bad subset '%s': %s\n", text, err);
		exit(2);
	}
	return s;
}

typedef struct Names {
	int n;
	const IrConn *c;
} Names;

static bool
names_dtype(const char *name, DType *t, void *ud)
{
	const Names *ns = ud;
	for (int i = 0; i < ns->n; i++) {
		if (strcmp(ns->c[i].name, name) == 0) {
			*t = ns->c[i].dtype;
			return true;
		}
	}
	return false;
}

static IrExpr *
E(Ctx *ctx, const char *text, int n, const IrConn *c)
{
	Names ns = {n, c};
	const char *err = NULL;
	int pos = 0;
	IrExpr *e = ir_expr_parse(ctx->arena, text, names_dtype, &ns, &err, &pos);
	if (!e) {
		fprintf(stderr, "bad expr '%s': %s at %d\n", text, err, pos);
		exit(2);
	}
	return e;
}

static SymRange
R(Ctx *ctx, const char *b, const char *e, const char *s)
{
	return (SymRange){S(ctx, b), S(ctx, e), S(ctx, s)};
}

static void
push_block(Ctx *ctx, IrBlockList *l, IrBlock *b)
{
	vec_push(ctx->arena, l, b);
}

static void
add_arg(Ctx *ctx, IrProgram *p, ArgKind k, const char *name)
{
	vec_push(ctx->arena, &p->args, ((IrArg){k, name}));
}

/* ---- the well-formed module ---- */

/* for i, j in 1:N-1: tmp[i-1, j-1] = A[i, j+1] + A[i, j] */
static IrState *
jacobi_state(Ctx *ctx)
{
	IrState *s = ir_state_new(ctx, "state_L8", L(8, 5));
	const char *params[] = {"i", "j"};
	SymRange rg[] = {R(ctx, "1", "N - 1", "1"), R(ctx, "1", "N - 1", "1")};
	IrConn in[] = {{"a", DT_FLOAT64}, {"b", DT_FLOAT64}};
	IrConn out = {"o", DT_FLOAT64};
	int a = ir_state_add_access(ctx, s, "A", L(8, 9));
	int me = ir_state_add_map(ctx, s, "map_L8", 2, params, rg, SCHED_CPU_PARALLEL, L(8, 5));
	int mx = s->nodes.data[me].map.exit;
	int t = ir_state_add_tasklet(ctx, s, 2, in, out, E(ctx, "add(in:a, in:b)", 2, in),
				     L(9, 12));
	int tmp = ir_state_add_access(ctx, s, "tmp", L(9, 5));
	ir_state_add_memlet(ctx, s, a, NULL, me, "IN_A", "A", SS(ctx, "[0:N, 0:N]"), WCR_NONE,
			    L(9, 12));
	ir_state_add_memlet(ctx, s, me, "OUT_A", t, "a", "A", SS(ctx, "[i, j + 1]"), WCR_NONE,
			    L(9, 12));
	ir_state_add_memlet(ctx, s, me, "OUT_A", t, "b", "A", SS(ctx, "[i, j]"), WCR_NONE,
			    L(9, 22));
	ir_state_add_memlet(ctx, s, t, "o", mx, "IN_tmp", "tmp", SS(ctx, "[i - 1, j - 1]"),
			    WCR_NONE, L(9, 5));
	ir_state_add_memlet(ctx, s, mx, "OUT_tmp", tmp, NULL, "tmp",
			    SS(ctx, "[0:N - 2, 0:N - 2]"), WCR_NONE, L(9, 5));
	return s;
}

/* C += A @ A, as a library node with a WCR output. */
static IrState *
matmul_state(Ctx *ctx)
{
	IrState *s = ir_state_new(ctx, "state_L16", L(16, 9));
	int a1 = ir_state_add_access(ctx, s, "A", L(16, 14));
	int a2 = ir_state_add_access(ctx, s, "A", L(16, 18));
	int lib = ir_state_add_library(ctx, s, LIB_MATMUL, L(16, 16));
	int c = ir_state_add_access(ctx, s, "C", L(16, 9));
	ir_state_add_memlet(ctx, s, a1, NULL, lib, "_a", "A", SS(ctx, "[0:N, 0:N]"), WCR_NONE,
			    L(16, 14));
	ir_state_add_memlet(ctx, s, a2, NULL, lib, "_b", "A", SS(ctx, "[0:N, 0:N]"), WCR_NONE,
			    L(16, 18));
	ir_state_add_memlet(ctx, s, lib, "_c", c, NULL, "C", SS(ctx, "[0:N, 0:N]"), WCR_SUM,
			    L(16, 9));
	return s;
}

/* diff = max over k in 0:N:2 of float(k), on the GPU; then an ordering
 * (empty) memlet from diff to cnt. */
static IrState *
reduce_state(Ctx *ctx)
{
	IrState *s = ir_state_new(ctx, "state_L21", L(21, 9));
	const char *params[] = {"k"};
	SymRange rg[] = {R(ctx, "0", "N", "2")};
	IrConn out = {"o", DT_FLOAT64};
	int me = ir_state_add_map(ctx, s, "map_L21", 1, params, rg, SCHED_GPU_DEVICE, L(21, 9));
	int mx = s->nodes.data[me].map.exit;
	int t = ir_state_add_tasklet(ctx, s, 0, NULL, out,
				     E(ctx, "cast<float64>(sym:k)", 0, NULL), L(22, 13));
	int d = ir_state_add_access(ctx, s, "diff", L(22, 9));
	int c = ir_state_add_access(ctx, s, "cnt", L(23, 9));
	ir_state_add_memlet(ctx, s, me, NULL, t, NULL, NULL, (Subset){0}, WCR_NONE, L(21, 9));
	ir_state_add_memlet(ctx, s, t, "o", mx, "IN_diff", "diff", SS(ctx, "[]"), WCR_MAX,
			    L(22, 9));
	ir_state_add_memlet(ctx, s, mx, "OUT_diff", d, NULL, "diff", SS(ctx, "[]"), WCR_MAX,
			    L(22, 9));
	ir_state_add_memlet(ctx, s, d, NULL, c, NULL, NULL, (Subset){0}, WCR_NONE, L(23, 9));
	return s;
}

static IrBlock *
if_block(Ctx *ctx, IrProgram *p)
{
	IrConn vars[] = {{"diff", DT_FLOAT64}, {"cnt", DT_INT32}};
	IrBlock *b = ir_block_new(ctx, CF_IF, "if_L13", L(13, 9));
	b->branch.n = 2;
	b->branch.conds = arena_alloc(ctx->arena, 2 * sizeof(IrExpr *));
	b->branch.bodies = arena_alloc(ctx->arena, 2 * sizeof(IrBlockList));
	b->branch.conds[0] = E(ctx, "lt(in:diff, float64:1e-06)", 2, vars);
	b->branch.conds[1] = E(ctx, "gt(in:cnt, int32:3)", 2, vars);
	push_block(ctx, &b->branch.bodies[0], ir_block_new(ctx, CF_BREAK, NULL, L(14, 13)));
	push_block(ctx, &b->branch.bodies[1], ir_block_new(ctx, CF_CONTINUE, NULL, L(15, 13)));
	push_block(ctx, &b->branch.orelse, ir_block_state(ctx, matmul_state(ctx)));
	return b;
}

static void
jacobi_containers(Ctx *ctx, IrProgram *p)
{
	Sym *nn[] = {S(ctx, "N"), S(ctx, "N")};
	Sym *n2[] = {S(ctx, "N - 2"), S(ctx, "N - 2")};
	Sym *n4[] = {S(ctx, "N"), S(ctx, "4")};
	ir_program_add_container(ctx, p, "A", DT_FLOAT64, 2, nn, ROLE_ARGUMENT, L(5, 14));
	int b = ir_program_add_container(ctx, p, "B", DT_FLOAT32, 2, n4, ROLE_ARGUMENT, L(5, 32));
	p->containers.data[b].strides = arena_alloc(ctx->arena, 2 * sizeof(Sym *));
	p->containers.data[b].strides[0] = S(ctx, "1");
	p->containers.data[b].strides[1] = S(ctx, "N");
	int t = ir_program_add_container(ctx, p, "tmp", DT_FLOAT64, 2, n2, ROLE_TRANSIENT, L(6, 5));
	p->containers.data[t].storage = STORAGE_DEVICE;
	ir_program_add_container(ctx, p, "C", DT_FLOAT64, 2, nn, ROLE_TRANSIENT, L(16, 9));
	ir_program_add_container(ctx, p, "diff", DT_FLOAT64, 0, NULL, ROLE_TRANSIENT, L(11, 5));
	int c = ir_program_add_container(ctx, p, "cnt", DT_INT32, 0, NULL, ROLE_TRANSIENT, L(12, 5));
	p->containers.data[c].storage = STORAGE_REGISTER;
	ir_program_add_container(ctx, p, "__return", DT_FLOAT64, 0, NULL, ROLE_RETURN, L(25, 5));
}

static void
build_jacobi(Ctx *ctx, IrModule *m)
{
	IrProgram *p = ir_program_new(ctx, m, "jacobi2d", L(5, 1));
	ir_program_add_symbol(ctx, p, "N");
	ir_program_add_symbol(ctx, p, "T");
	jacobi_containers(ctx, p);
	add_arg(ctx, p, ARG_DATA, "A");
	add_arg(ctx, p, ARG_DATA, "B");
	add_arg(ctx, p, ARG_SYMBOL, "T");
	vec_push(ctx->arena, &p->returns, "__return");

	IrBlock *loop = ir_block_new(ctx, CF_FOR, "loop_L7", L(7, 5));
	loop->loop.var = "t";
	loop->loop.start = S(ctx, "0");
	loop->loop.stop = S(ctx, "T");
	loop->loop.step = S(ctx, "1");
	push_block(ctx, &loop->loop.body, ir_block_state(ctx, jacobi_state(ctx)));
	push_block(ctx, &loop->loop.body, if_block(ctx, p));
	push_block(ctx, &p->body, loop);

	IrConn vars[] = {{"diff", DT_FLOAT64}};
	IrBlock *w = ir_block_new(ctx, CF_WHILE, "loop_L20", L(20, 5));
	w->wloop.cond = E(ctx, "lt(in:diff, float64:0.5)", 1, vars);
	push_block(ctx, &w->wloop.body, ir_block_state(ctx, reduce_state(ctx)));
	push_block(ctx, &p->body, w);
	push_block(ctx, &p->body, ir_block_new(ctx, CF_RETURN, NULL, L(25, 5)));

	vec_push(ctx->arena, &p->history, ((IrHistory){"map-tiling", "map_L8", "{tile: [32, 64]}"}));
	vec_push(ctx->arena, &p->history, ((IrHistory){"map-fusion", "map_L20, map_L21", ""}));
}

/* Nested maps (sequential outside, gpu_block and mpi inside), wcr prod
 * and min, a where/sqrt tasklet, a program with no location. */
static IrState *
nested_state(Ctx *ctx)
{
	IrState *s = ir_state_new(ctx, "state_L40", L(40, 5));
	const char *pi[] = {"i"}, *pj[] = {"j"}, *pk[] = {"k"};
	SymRange ri[] = {R(ctx, "0", "M", "1")}, rj[] = {R(ctx, "0", "min(M, i + 32)", "1")};
	SymRange rk[] = {R(ctx, "0", "M // 2", "1")};
	IrConn in[] = {{"a", DT_FLOAT64}};
	IrConn out = {"o", DT_FLOAT64};
	int x = ir_state_add_access(ctx, s, "x", L(41, 9));
	int o = ir_state_add_map(ctx, s, "map_L40", 1, pi, ri, SCHED_SEQUENTIAL, L(40, 5));
	int ox = s->nodes.data[o].map.exit;
	int n = ir_state_add_map(ctx, s, NULL, 1, pj, rj, SCHED_GPU_BLOCK, L(41, 5));
	int nx = s->nodes.data[n].map.exit;
	int t = ir_state_add_tasklet(ctx, s, 1, in, out,
		E(ctx, "where(gt(in:a, float64:0.1), sqrt(in:a), neg(in:a))", 1, in), L(42, 9));
	int r = ir_state_add_access(ctx, s, "r", L(42, 5));
	ir_state_add_memlet(ctx, s, x, NULL, o, "IN_x", "x", SS(ctx, "[0:M]"), WCR_NONE, L(41, 9));
	ir_state_add_memlet(ctx, s, o, "OUT_x", n, "IN_x", "x", SS(ctx, "[i]"), WCR_NONE, L(41, 9));
	ir_state_add_memlet(ctx, s, n, "OUT_x", t, "a", "x", SS(ctx, "[i]"), WCR_NONE, L(41, 9));
	ir_state_add_memlet(ctx, s, t, "o", nx, "IN_r", "r", SS(ctx, "[j]"), WCR_PROD, L(42, 5));
	ir_state_add_memlet(ctx, s, nx, "OUT_r", ox, "IN_r", "r", SS(ctx, "[0:M]"), WCR_PROD,
			    L(42, 5));
	ir_state_add_memlet(ctx, s, ox, "OUT_r", r, NULL, "r", SS(ctx, "[0:M]"), WCR_PROD, L(42, 5));
	/* a second top-level map, mpi-scheduled, min-reducing into acc */
	int k = ir_state_add_map(ctx, s, "map_L44", 1, pk, rk, SCHED_MPI, L(44, 5));
	int kx = s->nodes.data[k].map.exit;
	int t2 = ir_state_add_tasklet(ctx, s, 0, NULL, out, E(ctx, "float64:-2.5", 0, NULL),
				      L(44, 9));
	int acc = ir_state_add_access(ctx, s, "acc", L(44, 5));
	ir_state_add_memlet(ctx, s, k, NULL, t2, NULL, NULL, (Subset){0}, WCR_NONE, L(44, 9));
	ir_state_add_memlet(ctx, s, t2, "o", kx, "IN_acc", "acc", SS(ctx, "[]"), WCR_MIN, L(44, 5));
	ir_state_add_memlet(ctx, s, kx, "OUT_acc", acc, NULL, "acc", SS(ctx, "[]"), WCR_MIN,
			    L(44, 5));
	return s;
}

static void
build_helper(Ctx *ctx, IrModule *m)
{
	IrProgram *p = ir_program_new(ctx, m, "helper", (SrcLoc){0});
	Sym *mm[] = {S(ctx, "M")};
	ir_program_add_symbol(ctx, p, "M");
	ir_program_add_container(ctx, p, "x", DT_FLOAT64, 1, mm, ROLE_ARGUMENT, L(39, 12));
	ir_program_add_container(ctx, p, "r", DT_FLOAT64, 1, mm, ROLE_RETURN, (SrcLoc){0});
	ir_program_add_container(ctx, p, "acc", DT_FLOAT64, 0, NULL, ROLE_RETURN, L(44, 5));
	add_arg(ctx, p, ARG_DATA, "x");
	add_arg(ctx, p, ARG_SYMBOL, "M");
	vec_push(ctx->arena, &p->returns, "r");
	vec_push(ctx->arena, &p->returns, "acc");
	push_block(ctx, &p->body, ir_block_state(ctx, nested_state(ctx)));
}

static IrModule *
build_good(Ctx *ctx)
{
	IrModule *m = ir_module_new(ctx, "kern", FILE_PY);
	build_jacobi(ctx, m);
	build_helper(ctx, m);
	return m;
}

/* ---- the odd module: strange strings, broken references ---- */

static const char *const odd_names[] = {
	"1", "true", "null", "", "a:b", "#x", "-y", "h\xc3\xa9llo", "tab\there", "new\nline",
	" lead", "~", "yes", "Off", "[x]", "{y}", "q\"uote", "back\\slash", "it's", "a, b",
	"bad\377byte", "1e5", ".5", "0x10", "- item", "? key", "key: value", "*star", "&amp",
	"!tag", "%pct", "@at", "`tick", "|pipe", ">gt",
};

static IrState *
odd_state(Ctx *ctx)
{
	IrState *s = ir_state_new(ctx, "odd state", (SrcLoc){NULL, 3, 4});
	IrConn in[DT_COUNT];
	char *names[DT_COUNT];
	for (int i = 0; i < DT_COUNT; i++) {
		names[i] = arena_printf(ctx->arena, "c%d", i);
		in[i] = (IrConn){names[i], (DType)i};
	}
	IrConn out = {"true", DT_COMPLEX128};
	ir_state_add_tasklet(ctx, s, DT_COUNT, in, out,
		E(ctx, "add(in:c12, cast<complex128>(mul(in:c3, int64:-7)))", DT_COUNT, in),
		(SrcLoc){"c:\\dir\\a:b.py", 7, 8});
	int a = ir_state_add_access(ctx, s, "q\"uote\\", (SrcLoc){"", 0, 0});
	s->nodes.data[a].label = "";
	int me = ir_state_add_map(ctx, s, "", 1, (const char *[]){"null"},
				  (SymRange[]){R(ctx, "-3", "N*M", "7")}, SCHED_SEQUENTIAL,
				  (SrcLoc){"f", 0, 0});
	s->nodes.data[me].map.exit = 99;           /* dangling */
	int lib = ir_state_add_library(ctx, s, LIB_MATMUL, (SrcLoc){0});
	s->nodes.data[lib].lib.impl = NULL;
	s->nodes.data[lib].label = "lib: \"x\"";
	ir_state_add_memlet(ctx, s, -1, "", 42, "yes", "null", SS(ctx, "[0:N:2, i]"), WCR_SUM,
			    (SrcLoc){NULL, 0, 9});
	ir_state_add_memlet(ctx, s, a, NULL, lib, NULL, NULL, (Subset){0}, WCR_NONE, (SrcLoc){0});
	ir_state_add_memlet(ctx, s, lib, NULL, a, NULL, NULL, (Subset){0}, WCR_NONE, (SrcLoc){0});
	return s;
}

static IrModule *
build_odd(Ctx *ctx)
{
	IrModule *m = ir_module_new(ctx, "odd: module", "");
	IrProgram *p = ir_program_new(ctx, m, "null", (SrcLoc){"x.py", -1, 0});
	int n = (int)(sizeof odd_names / sizeof *odd_names);
	for (int i = 0; i < n; i++) {
		ir_program_add_symbol(ctx, p, odd_names[i]);
		ir_program_add_container(ctx, p, odd_names[i], (DType)(i % DT_COUNT), 0, NULL,
					 (ContainerRole)(i % 3), (SrcLoc){odd_names[i], i, i});
		add_arg(ctx, p, (ArgKind)(i % 2), odd_names[i]);
		vec_push(ctx->arena, &p->returns, odd_names[i]);
		vec_push(ctx->arena, &p->history,
			 ((IrHistory){odd_names[i], i % 2 ? NULL : odd_names[i], odd_names[n - 1 - i]}));
	}
	IrBlock *sb = ir_block_state(ctx, odd_state(ctx));
	sb->name = NULL;
	sb->loc = (SrcLoc){"other.py", 1, 2};
	IrBlock *f = ir_block_new(ctx, CF_FOR, NULL, (SrcLoc){0});
	f->loop.var = "~";
	f->loop.start = S(ctx, "-N + 1");
	f->loop.stop = S(ctx, "max(N, 3) % 4");
	f->loop.step = S(ctx, "-1");
	push_block(ctx, &f->loop.body, sb);
	IrBlock *b = ir_block_new(ctx, CF_IF, "", (SrcLoc){0});
	push_block(ctx, &b->branch.orelse, ir_block_new(ctx, CF_BREAK, "1", (SrcLoc){0}));
	push_block(ctx, &f->loop.body, b);
	push_block(ctx, &f->loop.body, ir_block_new(ctx, CF_IF, NULL, (SrcLoc){0}));
	IrBlock *w = ir_block_new(ctx, CF_WHILE, "w", (SrcLoc){0});
	w->wloop.cond = E(ctx, "bool:1", 0, NULL);
	push_block(ctx, &p->body, f);
	push_block(ctx, &p->body, w);
	push_block(ctx, &p->body, ir_block_state(ctx, ir_state_new(ctx, "empty", (SrcLoc){0})));
	ir_program_new(ctx, m, "empty program", (SrcLoc){0});
	return m;
}

/* ---- round trips ---- */

static char *
round_trip(Ctx *ctx, const IrModule *m, const char *y1, IrModule **out)
{
	IrModule *m2 = ir_load_yaml(ctx, "dump.yaml", y1, strlen(y1));
	CHECK(m2 != NULL);
	if (!m2)
		return NULL;
	*out = m2;
	return ir_dump_yaml(ctx, m2);
}

static void
test_good_round_trip(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = build_good(ctx), *m2 = NULL, *m3 = NULL;
	CHECK(ir_verify(ctx, m));
	char *y1 = ir_dump_yaml(ctx, m);
	char *y2 = round_trip(ctx, m, y1, &m2);
	CHECK_STR(y2, y1);
	if (!m2) {
		ctx_free(ctx);
		return;
	}
	CHECK(ir_verify(ctx, m2));
	CHECK_STR(ir_dump_text(ctx, m2), ir_dump_text(ctx, m));
	CHECK_STR(round_trip(ctx, m2, y2, &m3), y1);
	/* spot checks of the schema and of loaded values */
	const char *head = "dfc_ir: 1\nmodule: kern\nsource: samples/kern.py\nprograms:\n";
	CHECK(strncmp(y1, head, strlen(head)) == 0);
	CHECK(strstr(y1, "{name: A, dtype: float64, shape: [N, N], strides: [N, 1], storage: host, "
			 "role: argument, loc: \"samples/kern.py:5:14\"}") != NULL);
	CHECK(strstr(y1, "ranges: [\"1:N - 1\", \"1:N - 1\"], schedule: cpu_parallel, exit: 2") != NULL);
	CHECK(strstr(y1, "ranges: [\"0:N:2\"]") != NULL);
	CHECK(strstr(y1, "wcr: sum") && strstr(y1, "wcr: prod") && strstr(y1, "wcr: min") &&
	      strstr(y1, "wcr: max"));
	CHECK(strstr(y1, "schedule: gpu_block") && strstr(y1, "schedule: mpi") &&
	      strstr(y1, "schedule: sequential") && strstr(y1, "schedule: gpu_device"));
	CHECK(strstr(y1, "{transformation: map-tiling, site: map_L8, params: \"{tile: [32, 64]}\"}"));
	IrProgram *p = m2->programs.data[0];
	CHECK(p->loc.line == 5 && p->loc.col == 1 && strcmp(p->loc.file, FILE_PY) == 0);
	CHECK(m2->programs.data[1]->loc.file == NULL && m2->programs.data[1]->loc.line == 0);
	CHECK(p->containers.data[1].strides[1] && sym_equal(p->containers.data[1].strides[1],
							    S(ctx, "N")));
	CHECK(p->containers.data[2].storage == STORAGE_DEVICE);
	CHECK(p->body.data[1]->kind == CF_WHILE &&
	      ir_expr_equal(p->body.data[1]->wloop.cond, m->programs.data[0]->body.data[1]->wloop.cond));
	IrState *s = p->body.data[0]->loop.body.data[0]->state;
	CHECK(s->nodes.len == 5 && s->memlets.len == 5 && s->nodes.data[1].map.exit == 2);
	CHECK(s->memlets.data[0].src_conn == NULL && strcmp(s->memlets.data[0].dst_conn, "IN_A") == 0);
	CHECK(s->memlets.data[1].loc.line == 9 && s->memlets.data[1].loc.col == 12);
	ctx_free(ctx);
}

static void
test_odd_round_trip(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = build_odd(ctx), *m2 = NULL, *m3 = NULL;
	char *y1 = ir_dump_yaml(ctx, m);
	char *y2 = round_trip(ctx, m, y1, &m2);
	CHECK_STR(y2, y1);
	if (!m2) {
		fprintf(stderr, "%s", y1);
		ctx_free(ctx);
		return;
	}
	CHECK_STR(round_trip(ctx, m2, y2, &m3), y1);
	IrProgram *p = m2->programs.data[0];
	int n = (int)(sizeof odd_names / sizeof *odd_names);
	CHECK(p->containers.len == n);
	for (int i = 0; i < n && i < p->containers.len; i++) {
		if (strcmp(odd_names[i], "bad\377byte") == 0)
			CHECK_STR(p->containers.data[i].name, "bad?byte");
		else
			CHECK_STR(p->containers.data[i].name, odd_names[i]);
		CHECK(p->containers.data[i].loc.line == i);
	}
	CHECK_STR(m2->name, "odd: module");
	CHECK_STR(m2->source, "");
	CHECK(p->loc.line == -1);
	IrBlock *sb = p->body.data[0]->loop.body.data[0];
	CHECK(sb->name == NULL && sb->loc.line == 1 && sb->loc.col == 2);
	CHECK_STR(sb->state->name, "odd state");
	CHECK(sb->state->loc.file == NULL && sb->state->loc.line == 3 && sb->state->loc.col == 4);
	IrNode *t = &sb->state->nodes.data[0];
	CHECK_STR(t->loc.file, "c:\\dir\\a:b.py");
	CHECK(t->tasklet.nin == DT_COUNT && t->tasklet.out.dtype == DT_COMPLEX128);
	CHECK(sb->state->nodes.data[2].map.exit == 99);
	CHECK(sb->state->nodes.data[4].lib.impl == NULL);
	IrMemlet *mm = &sb->state->memlets.data[0];
	CHECK(mm->src == -1 && mm->dst == 42 && mm->src_conn && !*mm->src_conn);
	FILE *err = ctx->err;
	ctx->err = fopen("/dev/null", "w");
	CHECK(!ir_verify(ctx, m2));
	fclose(ctx->err);
	ctx->err = err;
	/* the printers must survive broken IR */
	CHECK(ir_dump_text(ctx, m2) != NULL);
	CHECK(ir_dump_dot(ctx, m2) != NULL);
	ctx_free(ctx);
}

/* ---- malformed input ---- */

typedef struct Bad {
	const char *text;
	const char *where;     /* expected "p.yaml:L:C: error: " prefix piece */
	const char *what;      /* expected piece of the message */
} Bad;

#define HEAD "dfc_ir: 1\nmodule: m\nprograms:\n- name: p\n"
#define STATE HEAD "  body:\n  - state: s\n    nodes:\n"
#define STATE0 HEAD "  body:\n  - state: s\n    nodes: []\n"

static const Bad bad_inputs[] = {
	{"", "p.yaml:1:1:", "empty IR file"},
	{"dfc_ir: 1\nmodule: [unclosed\n", "p.yaml:3:1:", "invalid YAML"},
	{"- just\n- a list\n", "p.yaml:1:1:", "expected a mapping"},
	{"dfc_ir: 2\nmodule: m\n", "p.yaml:1:9:", "unsupported IR version"},
	{"dfc_ir: 1\n", "p.yaml:1:1:", "missing key 'module'"},
	{"dfc_ir: 1\nmodule: m\nmodule: n\n", "p.yaml:3:1:", "duplicate key 'module'"},
	{"dfc_ir: 1\nmodule: m\nbogus: 3\n", "p.yaml:3:1:", "unknown key 'bogus'"},
	{HEAD "  containers:\n  - {name: A, dtype: float65}\n", "p.yaml:6:22:",
	 "unknown dtype 'float65'"},
	{HEAD "  containers:\n  - {name: A, dtype: float64, shape: [N +* 2]}\n", "p.yaml:6:42:",
	 "bad symbolic expression"},
	{HEAD "  containers:\n  - {name: A, dtype: float64, shape: [N], strides: []}\n",
	 "p.yaml:6:52:", "0 strides for 1 dimensions"},
	{STATE "    - {id: 1, kind: access, data: A}\n", "p.yaml:8:12:", "out of order"},
	{STATE "    - {id: 0, kind: acess, data: A}\n", "p.yaml:8:21:", "unknown node kind 'acess'"},
	{STATE "    - {id: 0, kind: access}\n", "p.yaml:8:7:", "missing key 'data'"},
	{STATE "    - {id: 0, kind: tasklet, out: {name: o, dtype: float64}, expr: \"add(in:a\"}\n",
	 "p.yaml:8:", "bad expression"},
	{STATE "    - {id: 0, kind: map_entry, params: [i], ranges: [\"0:N:\"], exit: 1}\n",
	 "p.yaml:8:", "bad symbolic expression"},
	{STATE "    - {id: 0, kind: map_entry, params: [i, j], ranges: [\"0:N\"], exit: 1}\n",
	 "p.yaml:8:", "1 ranges for 2 map parameters"},
	{STATE "    - {id: 0, kind: map_exit, entry: one}\n", "p.yaml:8:38:", "expected an integer"},
	{STATE "    - {id: 0, kind: access, data: A, loc: nowhere}\n", "p.yaml:8:43:",
	 "expected a location"},
	{STATE "    - [0, access]\n", "p.yaml:8:7:", "expected a mapping for a node"},
	{STATE0 "    memlets:\n    - {id: 0, src: 0, dst: 1, subset: \"[0:N\"}\n",
	 "p.yaml:9:", "bad subset"},
	{STATE0 "    memlets:\n    - {id: 0, src: 0, dst: 1, wcr: avg}\n", "p.yaml:9:36:",
	 "unknown wcr 'avg'"},
	{HEAD "  body:\n  - loop: x\n", "p.yaml:6:5:", "a block needs one of"},
	{HEAD "  body:\n  - assign: k\n", "p.yaml:6:5:", "missing key 'value'"},
	{HEAD "  body:\n  - for: l\n    var: i\n    range: [0, N]\n", "p.yaml:8:12:",
	 "expected [start, stop, step]"},
	{HEAD "  body:\n  - while: w\n    cond: \"lt(in:undefined, int64:3)\"\n", "p.yaml:7:",
	 "bad expression"},
	{HEAD "  body:\n  - state: s\n    for: x\n", "p.yaml:7:5:", "unknown key 'for'"},
	{HEAD "  args: [{data: A, symbol: B}]\n", "p.yaml:5:10:", "an argument is"},
	{HEAD "  symbols: &s [N]\n  returns: *s\n", "p.yaml:5:12:", "anchors"},
	{HEAD "  symbols: [N]\n  returns: *s\n", "p.yaml:6:12:", "aliases"},
	{HEAD "  symbols: !!seq [N]\n", "p.yaml:5:12:", "tags"},
	{"dfc_ir: 1\nmodule: m\n---\ndfc_ir: 1\n", "p.yaml:3:1:", "single YAML document"},
	{"dfc_ir: 1\nmodule: \"a\\0b\"\n", "p.yaml:2:9:", "NUL character"},
	{"dfc_ir: 1\nmodule: \xff\xfe\n", "p.yaml:2:9:", "invalid YAML"},
	{"dfc_ir: 1\nmodule: null\n", "p.yaml:2:9:", "found null"},
	{"dfc_ir: 1\nmodule: m\nprograms: {name: p}\n", "p.yaml:3:11:", "expected a sequence"},
	{"dfc_ir: 1\nmodule: m\n? [a, b]\n: c\n", "p.yaml:3:3:", "mapping keys must be plain names, not sequences"},
	{"\tdfc_ir: 1\n", "p.yaml:1:1:", "invalid YAML"},
};

static char *
load_error(const char *text, size_t len, bool *loaded)
{
	Ctx *ctx = ctx_new();
	char *buf = NULL;
	size_t n = 0;
	FILE *err = open_memstream(&buf, &n);
	ctx->err = err;
	*loaded = ir_load_yaml(ctx, "p.yaml", text, len) != NULL;
	fclose(err);
	ctx_free(ctx);
	return buf;
}

static void
test_malformed(void)
{
	int n = (int)(sizeof bad_inputs / sizeof *bad_inputs);
	CHECK(n >= 15);
	for (int i = 0; i < n; i++) {
		const Bad *b = &bad_inputs[i];
		bool loaded;
		char *msg = load_error(b->text, strlen(b->text), &loaded);
		bool ok = !loaded && strncmp(msg, b->where, strlen(b->where)) == 0 &&
			  strstr(msg, " error: ") && strstr(msg, b->what);
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "bad input %d: want %s ... %s, got:\n%s\n", i, b->where,
				b->what, msg);
		free(msg);
	}
}

/* Deep nesting, a huge flat list, and every prefix of a valid dump:
 * rejected or loaded, never a crash. */
static void
test_hostile(void)
{
	Ctx *ctx = ctx_new();
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_puts(&sb, "dfc_ir: 1\nmodule: m\nprograms: ");
	for (int i = 0; i < 100000; i++)
		sb_putc(&sb, '[');
	bool loaded;
	char *msg = load_error(sb_str(&sb), strlen(sb_str(&sb)), &loaded);
	CHECK(!loaded && strstr(msg, "p.yaml:") && strstr(msg, "nesting deeper"));
	free(msg);

	IrModule *m = build_good(ctx);
	const char *y = ir_dump_yaml(ctx, m);
	size_t len = strlen(y);
	int rejected = 0;
	for (size_t cut = 0; cut < len; cut += 7) {
		msg = load_error(y, cut, &loaded);
		if (!loaded) {
			rejected++;
			CHECK(strncmp(msg, "p.yaml:", 7) == 0);
		}
		free(msg);
	}
	CHECK(rejected > 0);
	ctx_free(ctx);
}

/* ---- symbol assignments (CF_ASSIGN) ---- */

#define ASSIGN_HEAD HEAD "  symbols: [N]\n  containers:\n" \
	"  - {name: A, dtype: float64, shape: [N], strides: [1], storage: host, role: argument}\n" \
	"  body:\n"
#define ASSIGN_LOOP ASSIGN_HEAD "  - for: loop_L3\n    var: i\n    range: [0, N, 1]\n    body:\n"

static const char assign_ok[] = ASSIGN_LOOP
	"    - assign: k\n      value: \"2*i + 1\"\n      loc: kern.py:4:9\n"
	"    - assign: m\n      value: \"min(k, N - 1) // 2\"\n"
	"    - if: if_L5\n      branches:\n      - cond: \"lt(sym:m, sym:k)\"\n        body: []\n"
	"  - assign: c\n    value: 7\n";

/* Loads text, verifies it, and returns the verifier's messages ("" when
 * it passes); NULL when the text does not load. */
static char *
verify_text(Ctx *ctx, const char *text)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *err = open_memstream(&buf, &n), *old = ctx->err;
	ctx->err = err;
	IrModule *m = ir_load_yaml(ctx, "a.yaml", text, strlen(text));
	if (m)
		ir_verify(ctx, m);
	fclose(err);
	ctx->err = old;
	char *r = m ? arena_strdup(ctx->arena, buf) : NULL;
	free(buf);
	return r;
}

static void
test_assign(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = ir_load_yaml(ctx, "a.yaml", assign_ok, strlen(assign_ok)), *m2;
	CHECK(m && ir_verify(ctx, m));
	if (!m)
		return;
	char *y1 = ir_dump_yaml(ctx, m);
	CHECK(strstr(y1, "- assign: k\n      value: \"2*i + 1\"\n      loc: \"kern.py:4:9\"\n"));
	CHECK(strstr(y1, "  - assign: c\n    value: 7\n"));
	char *y2 = round_trip(ctx, m, y1, &m2);
	CHECK_STR(y2, y1);
	char *t = ir_dump_text(ctx, m);
	CHECK(strstr(t, "\n    assign k = 2*i + 1\n    assign m = min(k, N - 1) // 2\n"));
	CHECK(strstr(t, "\n  assign c = 7\n"));
	CHECK(strstr(ir_dump_dot(ctx, m), "label=\"k = 2*i + 1\""));
	CHECK_STR(verify_text(ctx, assign_ok), "");
	/* the verifier: twice, a taken name, a value out of scope, a use after its list */
	CHECK(strstr(verify_text(ctx, ASSIGN_HEAD "  - assign: k\n    value: 1\n"
				 "  - assign: k\n    value: 2\n"), "symbol 'k' is assigned twice"));
	CHECK(strstr(verify_text(ctx, ASSIGN_HEAD "  - assign: A\n    value: 1\n"),
		     "assigned symbol 'A' is already a container or symbol"));
	CHECK(strstr(verify_text(ctx, ASSIGN_HEAD "  - assign: N\n    value: 1\n"),
		     "assigned symbol 'N' is already a container or symbol"));
	CHECK(strstr(verify_text(ctx, ASSIGN_HEAD "  - assign: k\n    value: \"j + 1\"\n"),
		     "unknown symbol 'j' in value assigned to 'k'"));
	CHECK(strstr(verify_text(ctx, ASSIGN_LOOP "    - assign: k\n      value: i\n"
				 "  - assign: q\n    value: k\n"), "unknown symbol 'k'"));
	CHECK(strstr(verify_text(ctx, ASSIGN_HEAD "  - assign: 2k\n    value: 1\n"),
		     "assigned symbol '2k' is not an identifier"));
	CHECK(verify_text(ctx, ASSIGN_HEAD "  - assign: k\n") == NULL);
	ctx_free(ctx);
}

/* ---- text and DOT ---- */

static const char *text_want =
	"module kern from samples/kern.py\n"
	"\n"
	"program jacobi2d(A: float64[N, N], B: float32[N, 4] strides [1, N], T: symbol) -> __return\n"
	"  symbols N, T\n"
	"  transient tmp: float64[N - 2, N - 2] device\n"
	"  transient C: float64[N, N]\n"
	"  transient diff: float64\n"
	"  transient cnt: int32 register\n"
	"  return __return: float64\n"
	"  for loop_L7 t in range(0, T, 1):\n"
	"    state state_L8:\n"
	"      %0 access A\n"
	"        -> %1.IN_A: A[0:N, 0:N]\n"
	"      %1 map map_L8 [i = 1:N - 1, j = 1:N - 1] cpu_parallel\n"
	"        OUT_A -> %3.a: A[i, j + 1]\n"
	"        OUT_A -> %3.b: A[i, j]\n"
	"        %3 tasklet (a: float64, b: float64) -> o: float64 = add(in:a, in:b)\n"
	"          o -> %2.IN_tmp: tmp[i - 1, j - 1]\n"
	"      %2 map_exit %1\n"
	"        OUT_tmp -> %4: tmp[0:N - 2, 0:N - 2]\n"
	"      %4 access tmp\n"
	"    if if_L13 lt(in:diff, float64:1e-06):\n"
	"      break\n"
	"    elif gt(in:cnt, int32:3):\n"
	"      continue\n"
	"    else:\n"
	"      state state_L16:\n"
	"        %0 access A\n"
	"          -> %2._a: A[0:N, 0:N]\n"
	"        %1 access A\n"
	"          -> %2._b: A[0:N, 0:N]\n"
	"        %2 library matmul (naive)\n"
	"          _c -> %3: C[0:N, 0:N] (sum)\n"
	"        %3 access C\n"
	"  while loop_L20 lt(in:diff, float64:0.5):\n"
	"    state state_L21:\n"
	"      %0 map map_L21 [k = 0:N:2] gpu_device\n"
	"        -> %2 (empty)\n"
	"        %2 tasklet () -> o: float64 = cast<float64>(sym:k)\n"
	"          o -> %1.IN_diff: diff[] (max)\n"
	"      %1 map_exit %0\n"
	"        OUT_diff -> %3: diff[] (max)\n"
	"      %3 access diff\n"
	"        -> %4 (empty)\n"
	"      %4 access cnt\n"
	"  return\n"
	"  applied map-tiling at map_L8 {tile: [32, 64]}\n"
	"  applied map-fusion at map_L20, map_L21\n";

static void
test_text(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = ir_module_new(ctx, "kern", FILE_PY);
	build_jacobi(ctx, m);
	CHECK_STR(ir_dump_text(ctx, m), text_want);
	IrModule *g = build_good(ctx);
	const char *t = ir_dump_text(ctx, g);
	CHECK(strstr(t, "\n\nprogram helper(x: float64[M], M: symbol) -> (r, acc)\n"
			"  symbols M\n"
			"  return r: float64[M]\n"
			"  return acc: float64\n"
			"  state state_L40:\n"
			"    %0 access x\n"
			"      -> %1.IN_x: x[0:M]\n"
			"    %1 map map_L40 [i = 0:M] sequential\n"
			"      OUT_x -> %3.IN_x: x[i]\n"
			"      %3 map [j = 0:min(M, i + 32)] gpu_block\n"
			"        OUT_x -> %5.a: x[i]\n"
			"        %5 tasklet (a: float64) -> o: float64 = ") != NULL);
	ctx_free(ctx);
}

static bool
have_dot(void)
{
	return system("command -v dot >/dev/null 2>&1") == 0;
}

/* Runs `dot -Tsvg` on text; true if it exits 0 and prints nothing on stderr. */
static bool
dot_accepts(const char *text)
{
	char in[] = "/tmp/dfc_test_dot_XXXXXX";
	int fd = mkstemp(in);
	if (fd < 0)
		return false;
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	char cmd[256], errpath[64];
	snprintf(errpath, sizeof errpath, "%s.err", in);
	snprintf(cmd, sizeof cmd, "dot -Tsvg %s -o /dev/null 2>%s", in, errpath);
	int rc = system(cmd);
	FILE *e = fopen(errpath, "r");
	char line[512] = "";
	bool quiet = !e || !fgets(line, sizeof line, e);
	if (!quiet)
		fprintf(stderr, "dot: %s", line);
	if (e)
		fclose(e);
	unlink(in);
	unlink(errpath);
	return rc == 0 && quiet;
}

static void
test_dot(void)
{
	Ctx *ctx = ctx_new();
	IrModule *g = build_good(ctx), *o = build_odd(ctx);
	const char *d = ir_dump_dot(ctx, g);
	CHECK(strncmp(d, "digraph \"kern\" {\n", 17) == 0);
	CHECK(strstr(d, "[shape=octagon, label=\"o = add(in:a, in:b)\"]") != NULL);
	CHECK(strstr(d, "[shape=trapezium, label=\"map_L8\\n[i = 1:N - 1, j = 1:N - 1]\\n"
			"cpu_parallel\"]") != NULL);
	CHECK(strstr(d, "[label=\"C[0:N, 0:N] (sum)\"]") != NULL);
	CHECK(strstr(d, "label=\"for loop_L7: t in range(0, T, 1)\"") != NULL);
	const char *od = ir_dump_dot(ctx, o);
	CHECK(strstr(od, "[shape=ellipse, label=\"q\\\"uote\\\\\"]") != NULL);
	if (!have_dot()) {
		printf("dot not found: skipping the Graphviz check\n");
		ctx_free(ctx);
		return;
	}
	CHECK(dot_accepts(d));
	CHECK(dot_accepts(od));
	CHECK(dot_accepts(ir_dump_dot(ctx, ir_module_new(ctx, "e\"mpty\\", ""))));
	ctx_free(ctx);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_good_round_trip();
	test_odd_round_trip();
	test_assign();
	test_malformed();
	test_hostile();
	test_text();
	test_dot();
	return test_done(argv[0]);
}
