/* tests/unit/test_map_tiling.c — map-tiling and strip-mining on IR that
 * the command line cannot reach: maps whose ranges depend on their own
 * parameters (ir_verify rejects them, so a recipe never sees one), tile
 * parameters written in forms a test recipe does not use, and the covers
 * of memlets whose subsets are ranges rather than indices.
 *
 * Programs are loaded from YAML text (which does not verify), checked and
 * applied through the Xform entries, and verified after every apply.
 */
#include <stdlib.h>
#include <string.h>

#include "../../passes/passes.h"
#include "test.h"

/* One map [i = 0:N, j = RANGE_J] reading A[i, j] (or SUBSET_A) into B. */
static IrModule *
load_map(Ctx *ctx, const char *range_j, const char *subset_a)
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
		"    nodes:\n"
		"    - {id: 0, kind: map_entry, label: map_L3, params: [i, j], ranges: [\"0:N\", \"%s\"], schedule: cpu_parallel, exit: 1}\n"
		"    - {id: 1, kind: map_exit, entry: 0}\n"
		"    - {id: 2, kind: tasklet, in: [{name: a, dtype: float64}], out: {name: o, dtype: float64}, expr: \"in:a\"}\n"
		"    - {id: 3, kind: access, data: A}\n"
		"    - {id: 4, kind: access, data: B}\n"
		"    memlets:\n"
		"    - {id: 0, src: 3, dst: 0, dst_conn: IN_A, data: A, subset: \"[0:N, 0:N]\"}\n"
		"    - {id: 1, src: 0, src_conn: OUT_A, dst: 2, dst_conn: a, data: A, subset: \"%s\"}\n"
		"    - {id: 2, src: 2, src_conn: o, dst: 1, dst_conn: IN_B, data: B, subset: \"[i, j]\"}\n"
		"    - {id: 3, src: 1, src_conn: OUT_B, dst: 4, data: B, subset: \"[0:N, 0:N]\"}\n",
		range_j, subset_a);
	IrModule *m = ir_load_yaml(ctx, "m.yaml", text, strlen(text));
	if (!m) {
		fprintf(stderr, "cannot load the test program\n");
		exit(1);
	}
	return m;
}

static XSite
site_of(IrModule *m, const char *name)
{
	return (XSite){ .p = m->programs.data[0], .n = 1, .names = { name } };
}

/* A parameter `key: [v0, v1...]`, or `key: v0` when scalar. */
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

static const char *
check1(Ctx *ctx, const Xform *x, IrModule *m, XParam *q, int nq)
{
	XSite site = site_of(m, "map_L3");
	XParams params = { nq, q };
	return x->check(ctx, &site, &params);
}

static void
test_dependent_range(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_map(ctx, "i:N", "[i, j]");
	const char *why = check1(ctx, &xform_map_tiling, m, NULL, 0);
	CHECK_STR(why, "the range of j depends on the map parameter i, so its tiles cannot "
		  "be enumerated outside the map");
	why = check1(ctx, &xform_strip_mining, m, NULL, 0);
	CHECK(why && strstr(why, "the range of j depends on the map parameter i"));
	XSiteList sites = { 0 };
	xform_map_tiling.match(ctx, m->programs.data[0], &sites);
	CHECK(sites.len == 0);
	ctx_free(ctx);
}

static void
test_params(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_map(ctx, "0:N", "[i, j]");
	CHECK(ir_verify(ctx, m));
	XSiteList sites = { 0 };
	xform_map_tiling.match(ctx, m->programs.data[0], &sites);
	CHECK(sites.len == 1 && strcmp(sites.data[0].names[0], "map_L3") == 0);

	int64_t eight = 8, big = INT64_MAX / 2 + 1, one = 1;
	XParam q = ints_param("tile", 1, &eight, true);
	CHECK(check1(ctx, &xform_map_tiling, m, &q, 1) == NULL);
	q = ints_param("tile", 1, &eight, false);
	CHECK_STR(check1(ctx, &xform_map_tiling, m, &q, 1),
		  "the map has 2 parameters (i, j) but tile gives 1 size");
	q = str_param("tile", "eight");
	CHECK(strstr(check1(ctx, &xform_map_tiling, m, &q, 1), "not 'eight'"));
	XParam two[2] = { str_param("local", "false"), ints_param("tile", 1, &eight, true) };
	CHECK(check1(ctx, &xform_map_tiling, m, two, 2) == NULL);
	two[0] = str_param("local", "maybe");
	CHECK_STR(check1(ctx, &xform_map_tiling, m, two, 2), "local must be true or false");

	q = str_param("dim", "j");
	CHECK(check1(ctx, &xform_strip_mining, m, &q, 1) == NULL);
	q = str_param("dim", "k");
	CHECK_STR(check1(ctx, &xform_strip_mining, m, &q, 1),
		  "dim 'k' is neither a parameter of the map (i, j) nor an index");
	two[0] = ints_param("dim", 1, &one, true);
	two[1] = ints_param("size", 1, &big, false);
	CHECK_STR(check1(ctx, &xform_strip_mining, m, two, 2), "size must be one positive integer");
	ctx_free(ctx);
}

/* A tile wider than 2^40 elements (size times step) is refused. */
static void
test_overflow(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_map(ctx, "0:N:4", "[i, j]");
	int64_t big[2] = { 8, INT64_MAX / 2 };
	XParam q = ints_param("tile", 2, big, false);
	CHECK_STR(check1(ctx, &xform_map_tiling, m, &q, 1),
		  "tile size 4611686018427387903 for j is too large (a tile may span at "
		  "most 2^40 elements)");
	int64_t wide[2] = { 1, ((int64_t)1 << 40) / 4 + 1 }, fits[2] = { 1, ((int64_t)1 << 40) / 4 };
	q = ints_param("tile", 2, wide, false);
	CHECK(check1(ctx, &xform_map_tiling, m, &q, 1) != NULL);
	q = ints_param("tile", 2, fits, false);
	CHECK(check1(ctx, &xform_map_tiling, m, &q, 1) == NULL);
	ctx_free(ctx);
}

/* The subset between the entries of the memlet that leaves them. */
static const char *
between_entries(Ctx *ctx, IrModule *m, const char *data)
{
	IrState *s = m->programs.data[0]->body.data[0]->state;
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *e = &s->memlets.data[i];
		if (e->src == 0 && e->data && strcmp(e->data, data) == 0)
			return subset_print(ctx->arena, &e->subset);
	}
	return NULL;
}

/* Range subsets inside the map: the cover is the bounding range; strip-
 * mining keeps the whole range of the parameters it does not split. */
static void
test_range_covers(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = load_map(ctx, "0:N - 3", "[i, j:j + 3]");
	int64_t t[2] = { 4, 16 };
	XParam q = ints_param("tile", 2, t, false);
	XParams params = { 1, &q };
	XSite site = site_of(m, "map_L3");
	CHECK(pass_apply(ctx, &xform_map_tiling, &site, &params, (SrcLoc){ 0 }));
	CHECK_STR(between_entries(ctx, m, "A"),
		  "[i_tile:min(N, i_tile + 4), j_tile:min(N - 3, j_tile + 16) + 2]");

	m = load_map(ctx, "0:N - 3", "[i, j:j + 3]");
	int64_t dim = 0, size = 2;
	XParam sq[2] = { ints_param("dim", 1, &dim, true), ints_param("size", 1, &size, true) };
	params = (XParams){ 2, sq };
	site = site_of(m, "map_L3");
	CHECK(pass_apply(ctx, &xform_strip_mining, &site, &params, (SrcLoc){ 0 }));
	CHECK_STR(between_entries(ctx, m, "A"), "[i_tile:min(N, i_tile + 2), 0:N - 1]");
	ctx_free(ctx);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_dependent_range();
	test_params();
	test_overflow();
	test_range_covers();
	return test_done(argv[0]);
}
