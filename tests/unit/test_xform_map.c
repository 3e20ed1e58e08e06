/* tests/unit/test_xform_map.c — map-interchange, map-collapse and
 * map-expansion on IR that the Python frontend does not make: maps whose
 * ranges name their own parameters (ir_verify rejects them, so recipes
 * never see one), nests whose connectors change names between the two
 * entries or fan out, shadowed parameters, an inner exit draining into two
 * outer connectors, strided and non-affine subsets (the covers), label
 * clashes, and parameters written in forms the test recipes do not use.
 *
 * Programs are loaded from YAML text (which does not verify) and
 * transformed through pass_apply, which verifies after every apply.
 */
#include <stdlib.h>
#include <string.h>

#include "../../passes/passes.h"
#include "test.h"

/* A program k(A: float64[N, N], B: float64[N, N]) with one state whose
 * nodes and memlets are the given YAML lines. */
static IrModule *
load(Ctx *ctx, const char *nodes, const char *memlets)
{
	const char *text = arena_printf(ctx->arena,
		"dfc_ir: 1\n"
		"module: m\n"
		"programs:\n"
		"- name: k\n"
		"  symbols: [N]\n"
		"  args: [{data: A}, {data: B}]\n"
		"  containers:\n"
		"  - {name: A, dtype: float64, shape: [N, N], role: argument}\n"
		"  - {name: B, dtype: float64, shape: [N, N], role: argument}\n"
		"  body:\n"
		"  - state: state_L3\n"
		"    nodes:\n%s"
		"    memlets:\n%s", nodes, memlets);
	IrModule *m = ir_load_yaml(ctx, "m.yaml", text, strlen(text));
	if (!m) {
		fprintf(stderr, "cannot load the test program\n");
		exit(1);
	}
	return m;
}

/* map_L3 [PARAMS = RANGES] reading A[SUBSET] into B[i, j]. */
static IrModule *
load_map(Ctx *ctx, const char *params, const char *ranges, const char *subset)
{
	return load(ctx, arena_printf(ctx->arena,
		"    - {id: 0, kind: map_entry, label: map_L3, params: [%s], ranges: [%s], schedule: cpu_parallel, exit: 1}\n"
		"    - {id: 1, kind: map_exit, entry: 0}\n"
		"    - {id: 2, kind: tasklet, in: [{name: a, dtype: float64}], out: {name: o, dtype: float64}, expr: \"in:a\"}\n"
		"    - {id: 3, kind: access, data: A}\n"
		"    - {id: 4, kind: access, data: B}\n", params, ranges),
		arena_printf(ctx->arena,
		"    - {id: 0, src: 3, dst: 0, dst_conn: IN_A, data: A, subset: \"[0:N, 0:N]\"}\n"
		"    - {id: 1, src: 0, src_conn: OUT_A, dst: 2, dst_conn: a, data: A, subset: \"%s\"}\n"
		"    - {id: 2, src: 2, src_conn: o, dst: 1, dst_conn: IN_B, data: B, subset: \"[i, j]\"}\n"
		"    - {id: 3, src: 1, src_conn: OUT_B, dst: 4, data: B, subset: \"[0:N, 0:N]\"}\n",
		subset));
}

/* Outer map_L3 [i] around inner map_L4 [J = RJ]: the outer entry's OUT_A
 * feeds the inner IN_X and IN_Y, read as A[i, j] and A[j, i]; the inner
 * exit's OUT_C drains into the outer IN_B. A second, unrelated map
 * (map_L9) follows, so ids after the inner nodes must be renumbered. */
static IrModule *
load_nest(Ctx *ctx, const char *j, const char *rj, const char *exits)
{
	return load(ctx, arena_printf(ctx->arena,
		"    - {id: 0, kind: map_entry, label: map_L3, params: [i], ranges: [\"0:N\"], schedule: cpu_parallel, exit: 1}\n"
		"    - {id: 1, kind: map_exit, entry: 0}\n"
		"    - {id: 2, kind: map_entry, label: map_L4, params: [%s], ranges: [\"%s\"], schedule: sequential, exit: 3}\n"
		"    - {id: 3, kind: map_exit, entry: 2}\n"
		"    - {id: 4, kind: tasklet, in: [{name: a, dtype: float64}, {name: b, dtype: float64}], out: {name: o, dtype: float64}, expr: \"add(in:a, in:b)\"}\n"
		"    - {id: 5, kind: access, data: A}\n"
		"    - {id: 6, kind: access, data: B}\n"
		"    - {id: 7, kind: map_entry, label: map_L9, params: [p], ranges: [\"0:N\"], schedule: cpu_parallel, exit: 8}\n"
		"    - {id: 8, kind: map_exit, entry: 7}\n"
		"    - {id: 9, kind: tasklet, in: [], out: {name: o, dtype: float64}, expr: \"float64:1.0\"}\n"
		"    - {id: 10, kind: access, data: A}\n"
		"%s", j, rj, strstr(exits, "id: 11") ? "    - {id: 11, kind: access, data: B}\n" : ""),
		arena_printf(ctx->arena,
		"    - {id: 0, src: 5, dst: 0, dst_conn: IN_A, data: A, subset: \"[0:N, 0:N]\"}\n"
		"    - {id: 1, src: 0, src_conn: OUT_A, dst: 2, dst_conn: IN_X, data: A, subset: \"[i, 0:N]\"}\n"
		"    - {id: 2, src: 0, src_conn: OUT_A, dst: 2, dst_conn: IN_Y, data: A, subset: \"[0:N, i]\"}\n"
		"    - {id: 3, src: 2, src_conn: OUT_X, dst: 4, dst_conn: a, data: A, subset: \"[i, %s]\"}\n"
		"    - {id: 4, src: 2, src_conn: OUT_Y, dst: 4, dst_conn: b, data: A, subset: \"[%s, i]\"}\n"
		"    - {id: 5, src: 4, src_conn: o, dst: 3, dst_conn: IN_C, data: B, subset: \"[i, %s]\"}\n"
		"    - {id: 6, src: 7, dst: 9}\n"
		"    - {id: 7, src: 9, src_conn: o, dst: 8, dst_conn: IN_A, data: A, subset: \"[p, 0]\"}\n"
		"    - {id: 8, src: 8, src_conn: OUT_A, dst: 10, data: A, subset: \"[0:N, 0]\"}\n"
		"%s", j, j, j, exits));
}

static const char *STD_EXITS =
	"    - {id: 9, src: 3, src_conn: OUT_C, dst: 1, dst_conn: IN_B, data: B, subset: \"[i, 0:N]\"}\n"
	"    - {id: 10, src: 1, src_conn: OUT_B, dst: 6, data: B, subset: \"[0:N, 0:N]\"}\n";

static XSite
site_of(IrModule *m, const char *name)
{
	return (XSite){ .p = m->programs.data[0], .n = 1, .names = { name } };
}

static const char *
check(Ctx *ctx, const Xform *x, IrModule *m, const char *site, XParam *q, int nq)
{
	XSite s = site_of(m, site);
	XParams params = { nq, q };
	return x->check(ctx, &s, &params);
}

static bool
apply(Ctx *ctx, const Xform *x, IrModule *m, const char *site, XParam *q, int nq)
{
	XSite s = site_of(m, site);
	XParams params = { nq, q };
	return pass_apply(ctx, x, &s, &params, (SrcLoc){ "r.yaml", 1, 1 });
}

static XParam
ints_param(const char *key, int n, const int64_t *v, bool scalar)
{
	XParam q = { .key = key, .nint = n, .str = scalar ? "x" : "[" };
	for (int i = 0; i < n; i++)
		q.ints[i] = v[i];
	return q;
}

static XParam
str_param(const char *key, const char *text)
{
	return (XParam){ .key = key, .nint = -1, .str = text };
}

static IrState *
state0(IrModule *m)
{
	return m->programs.data[0]->body.data[0]->state;
}

/* The subset text of the memlet src -> dst (on src_conn when given). */
static const char *
subset_of(Ctx *ctx, IrModule *m, int src, int dst, const char *conn)
{
	IrState *s = state0(m);
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *e = &s->memlets.data[i];
		if (e->src == src && e->dst == dst && (!conn || strcmp(e->src_conn, conn) == 0))
			return subset_print(ctx->arena, &e->subset);
	}
	return "(none)";
}

static void
test_own_param_ranges(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_map(ctx, "i, j", "\"0:N\", \"0:i + 1\"", "[i, j]");
	CHECK_STR(check(ctx, &xform_map_interchange, m, "map_L3", NULL, 0),
		  "the range of 'j' depends on 'i'; reordering them would change the "
		  "iteration space");
	XSiteList sites = { 0 };
	xform_map_interchange.match(ctx, m->programs.data[0], &sites);
	CHECK(sites.len == 0);
	ctx_free(ctx);
}

static void
test_interchange_params(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_map(ctx, "i, j, k", "\"0:N\", \"1:N\", \"0:N:2\"", "[i, j]");
	int64_t ok[3] = { 1, 2, 0 }, bad[3] = { 1, 3, 0 };
	XParam q = ints_param("order", 3, bad, false);
	CHECK_STR(check(ctx, &xform_map_interchange, m, "map_L3", &q, 1),
		  "order names position 3 that the map does not have; it must be a "
		  "permutation of 0..2");
	q = ints_param("order", 2, ok, false);
	CHECK_STR(check(ctx, &xform_map_interchange, m, "map_L3", &q, 1),
		  "order must list 3 parameter positions, one per parameter of the map");
	XParam two[2] = { str_param("nested", "true"), ints_param("order", 3, ok, false) };
	CHECK(strstr(check(ctx, &xform_map_interchange, m, "map_L3", two, 2), "cannot be combined"));
	two[0] = str_param("nested", "maybe");
	CHECK_STR(check(ctx, &xform_map_interchange, m, "map_L3", two, 1),
		  "nested must be true or false");
	two[0] = str_param("nested", "false");
	CHECK(apply(ctx, &xform_map_interchange, m, "map_L3", two, 2));
	IrNode *e = &state0(m)->nodes.data[0];
	CHECK_STR(e->map.params[0], "j");
	CHECK_STR(e->map.params[1], "k");
	CHECK_STR(e->map.params[2], "i");
	CHECK_STR(sym_print(ctx->arena, e->map.ranges[1].step), "2");
	/* No parameter: the reversal. */
	CHECK(apply(ctx, &xform_map_interchange, m, "map_L3", NULL, 0));
	CHECK_STR(e->map.params[0], "i");
	CHECK_STR(e->map.params[2], "j");
	two[0] = str_param("nested", "true");
	CHECK_STR(check(ctx, &xform_map_interchange, m, "map_L3", two, 1),
		  "the scope of 'map_L3' holds no inner map");
	CHECK_STR(check(ctx, &xform_map_interchange, m, "map_L9", NULL, 0),
		  "'map_L9' is not a map");
	ctx_free(ctx);
}

/* Collapsing renames the inner connectors to the outer ones (IN_X and IN_Y
 * both came from OUT_A) and renumbers the nodes after the inner ones. */
static void
test_collapse_rewire(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_nest(ctx, "j", "0:N", STD_EXITS);
	CHECK(ir_verify(ctx, m));
	XSiteList sites = { 0 };
	xform_map_collapse.match(ctx, m->programs.data[0], &sites);
	CHECK(sites.len == 1 && strcmp(sites.data[0].names[0], "map_L3") == 0);
	CHECK(apply(ctx, &xform_map_collapse, m, "map_L3", NULL, 0));
	IrState *s = state0(m);
	CHECK(s->nodes.len == 9 && s->memlets.len == 8);
	IrNode *e = &s->nodes.data[0];
	CHECK(e->map.nparams == 2);
	CHECK_STR(e->map.params[1], "j");
	CHECK(s->nodes.data[5].kind == IRN_MAP_ENTRY && s->nodes.data[5].map.exit == 6);
	CHECK(s->nodes.data[6].mapexit.entry == 5);
	int from_a = 0;
	for (int i = 0; i < s->memlets.len; i++) {
		IrMemlet *x = &s->memlets.data[i];
		CHECK(x->id == i);
		if (x->src == 0)
			from_a += x->dst == 2 && strcmp(x->src_conn, "OUT_A") == 0;
		if (x->dst == 1)
			CHECK(x->src == 2 && strcmp(x->dst_conn, "IN_B") == 0);
	}
	CHECK(from_a == 2);
	CHECK_STR(subset_of(ctx, m, 0, 2, NULL), "[i, j]");
	ctx_free(ctx);
}

static void
test_collapse_refusals(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_nest(ctx, "i", "0:N", STD_EXITS);
	CHECK_STR(check(ctx, &xform_map_collapse, m, "map_L3", NULL, 0),
		  "the inner map's parameter 'i' shadows the outer map's");
	CHECK_STR(check(ctx, &xform_map_interchange, m, "map_L3", NULL, 0),
		  "the inner map's parameter 'i' shadows the outer map's");
	m = load_nest(ctx, "j", "i:N", STD_EXITS);
	CHECK_STR(check(ctx, &xform_map_collapse, m, "map_L3", NULL, 0),
		  "the range of the inner parameter 'j' depends on the outer parameter 'i' "
		  "(the iteration space is not a rectangle)");
	/* The inner exit's OUT_C drains into both IN_B and IN_B2 of the outer
	 * exit: collapsing would need the tasklet's write twice. */
	m = load_nest(ctx, "j", "0:N",
		      "    - {id: 9, src: 3, src_conn: OUT_C, dst: 1, dst_conn: IN_B, data: B, subset: \"[i, 0:N]\"}\n"
		      "    - {id: 10, src: 1, src_conn: OUT_B, dst: 6, data: B, subset: \"[0:N, 0:N]\"}\n"
		      "    - {id: 11, src: 3, src_conn: OUT_C, dst: 1, dst_conn: IN_B2, data: B, subset: \"[i, 0:N]\"}\n"
		      "    - {id: 12, src: 1, src_conn: OUT_B2, dst: 11, data: B, subset: \"[0:N, 0:N]\"}\n");
	CHECK(ir_verify(ctx, m));
	CHECK_STR(check(ctx, &xform_map_collapse, m, "map_L3", NULL, 0),
		  "connector 'OUT_C' of the inner map's exit feeds several connectors of the "
		  "outer exit");
	ctx_free(ctx);
}

/* Swapping nested maps recomputes the memlets between the entries (and
 * the exits) over the new inner parameters. */
static void
test_interchange_nested(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_nest(ctx, "j", "1:N - 1", STD_EXITS);
	CHECK(apply(ctx, &xform_map_interchange, m, "map_L3", NULL, 0));
	IrState *s = state0(m);
	CHECK_STR(s->nodes.data[0].map.params[0], "j");
	CHECK_STR(sym_print(ctx->arena, s->nodes.data[0].map.ranges[0].begin), "1");
	CHECK_STR(s->nodes.data[2].map.params[0], "i");
	CHECK(s->nodes.data[2].map.schedule == SCHED_SEQUENTIAL);
	CHECK_STR(subset_of(ctx, m, 0, 2, NULL), "[0:N, j]");
	CHECK_STR(subset_of(ctx, m, 3, 1, NULL), "[0:N, j]");
	/* And back: the covers are over j again. */
	CHECK(apply(ctx, &xform_map_interchange, m, "map_L3", NULL, 0));
	CHECK_STR(subset_of(ctx, m, 3, 1, NULL), "[i, 1:N - 1]");
	ctx_free(ctx);
}

/* Covers of strided parameters (exact last value), negative coefficients,
 * strided subsets, and non-affine subsets (the full extent). */
static void
test_expansion_covers(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_map(ctx, "i, j", "\"0:N\", \"1:N:3\"", "[i, 2*j + 1]");
	CHECK(apply(ctx, &xform_map_expansion, m, "map_L3", NULL, 0));
	CHECK_STR(subset_of(ctx, m, 0, 5, NULL), "[i, 3:6*((N + 1) // 3) - 2]");
	CHECK_STR(subset_of(ctx, m, 6, 1, NULL), "[i, 1:3*((N + 1) // 3) - 1]");
	CHECK_STR(state0(m)->nodes.data[5].label, "map_L3_inner");

	m = load_map(ctx, "i, j", "\"0:N\", \"0:N\"", "[N - j - 1, j % 4]");
	CHECK(apply(ctx, &xform_map_expansion, m, "map_L3", NULL, 0));
	CHECK_STR(subset_of(ctx, m, 0, 5, NULL), "[0:N, 0:N]");

	m = load_map(ctx, "i, j", "\"0:N\", \"0:N // 2\"", "[i, j:N:2]");
	CHECK(apply(ctx, &xform_map_expansion, m, "map_L3", NULL, 0));
	CHECK_STR(subset_of(ctx, m, 0, 5, NULL), "[i, 0:N]");
	m = load_map(ctx, "i, j", "\"0:N\", \"0:N // 2\"", "[i, 0:j + 1:2]");
	CHECK(apply(ctx, &xform_map_expansion, m, "map_L3", NULL, 0));
	CHECK_STR(subset_of(ctx, m, 0, 5, NULL), "[i, 0:N // 2:2]");
	ctx_free(ctx);
}

/* split picks the outer parameters; the inner label avoids existing ones. */
static void
test_expansion_split(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_map(ctx, "i, j, k", "\"0:N\", \"0:N\", \"0:N\"", "[i, k]");
	int64_t two = 2, three = 3;
	XParam q = ints_param("split", 1, &three, true);
	CHECK_STR(check(ctx, &xform_map_expansion, m, "map_L3", &q, 1),
		  "split 3 is out of range: the map has 3 parameters, so split must be "
		  "between 1 and 2");
	q = ints_param("split", 1, &two, false);
	CHECK_STR(check(ctx, &xform_map_expansion, m, "map_L3", &q, 1),
		  "split must be one integer, the number of outer parameters");
	q = str_param("split", "two");
	CHECK(check(ctx, &xform_map_expansion, m, "map_L3", &q, 1) != NULL);
	state0(m)->nodes.data[0].label = "map_L3_inner";
	q = ints_param("split", 1, &two, true);
	CHECK(apply(ctx, &xform_map_expansion, m, "map_L3_inner", &q, 1));
	IrState *s = state0(m);
	CHECK(s->nodes.data[0].map.nparams == 2 && s->nodes.data[5].map.nparams == 1);
	CHECK_STR(s->nodes.data[5].label, "map_L3_inner_inner");
	CHECK_STR(subset_of(ctx, m, 0, 5, NULL), "[i, 0:N]");
	CHECK(apply(ctx, &xform_map_expansion, m, "map_L3_inner", NULL, 0));
	CHECK_STR(s->nodes.data[7].label, "map_L3_inner_inner_2");
	CHECK_STR(subset_of(ctx, m, 0, 7, NULL), "[i, 0:N]");
	CHECK_STR(subset_of(ctx, m, 7, 5, NULL), "[i, 0:N]");
	FILE *err = ctx->err;
	ctx->err = fopen("/dev/null", "w");
	CHECK(ctx->err && !apply(ctx, &xform_map_expansion, m, "map_L3_inner_inner", NULL, 0));
	fclose(ctx->err);
	ctx->err = err;
	ctx_free(ctx);
}

int
main(int argc, char **argv)
{
	test_own_param_ranges();
	test_interchange_params();
	test_collapse_rewire();
	test_collapse_refusals();
	test_interchange_nested();
	test_expansion_covers();
	test_expansion_split();
	return test_done(argv[0]);
}
