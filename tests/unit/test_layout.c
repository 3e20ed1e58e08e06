/* tests/unit/test_layout.c — array-layout, padding and
 * transient-allocation (passes/layout.c) on IR that the recipes of
 * tests/xform do not reach: containers of every role, storage and rank
 * (device, 9-D, column-major, already on the stack), parameters written
 * wrong, sites that are loops or do not use the array, the 64 KiB budget
 * of stack arrays shared between containers, and the OpenMP backend's
 * declaration of stack arrays (and its errors on dumps that break the
 * rules the transformation keeps).
 *
 * Programs are loaded from YAML text; pass_apply verifies after every
 * apply.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../codegen/codegen.h"
#include "../../passes/passes.h"
#include "test.h"

static Ctx *ctx;

static IrModule *
load(const char *text)
{
	IrModule *m = ir_load_yaml(ctx, "m.yaml", text, strlen(text));
	if (!m) {
		fprintf(stderr, "cannot load the test program\n");
		exit(1);
	}
	return m;
}

/* k(A: float64[N, N]) with transients of every kind; state_L3 holds an
 * access node of each, map_L4 copies T into A, loop_L5 holds an empty
 * state. */
static const char program[] =
	"dfc_ir: 1\n"
	"module: m\n"
	"programs:\n"
	"- name: k\n"
	"  symbols: [N]\n"
	"  args: [{data: A}]\n"
	"  containers:\n"
	"  - {name: A, dtype: float64, shape: [N, N], role: argument}\n"
	"  - {name: T, dtype: float64, shape: [N, N]}\n"
	"  - {name: S, dtype: float32, shape: [4, 3]}\n"
	"  - {name: V, dtype: float64, shape: [N]}\n"
	"  - {name: s, dtype: float64}\n"
	"  - {name: G, dtype: float64, shape: [4096], storage: stack}\n"
	"  - {name: W, dtype: float64, shape: [2000, 2], storage: stack}\n"
	"  - {name: Dv, dtype: float64, shape: [4, 4], storage: device}\n"
	"  - {name: H, dtype: int8, shape: [2, 2, 2, 2, 2, 2, 2, 2, 2]}\n"
	"  - {name: P, dtype: float64, shape: [4, 8], strides: [1, 4]}\n"
	"  - {name: R, dtype: float64, shape: [2, 8]}\n"
	"  - {name: Big, dtype: float64, shape: [10000]}\n"
	"  - {name: Q, dtype: float64, shape: [10, 10]}\n"
	"  body:\n"
	"  - state: state_L3\n"
	"    nodes:\n"
	"    - {id: 0, kind: access, data: T}\n"
	"    - {id: 1, kind: access, data: S}\n"
	"    - {id: 2, kind: access, data: V}\n"
	"    - {id: 3, kind: access, data: s}\n"
	"    - {id: 4, kind: access, data: G}\n"
	"    - {id: 5, kind: access, data: W}\n"
	"    - {id: 6, kind: access, data: Dv}\n"
	"    - {id: 7, kind: access, data: H}\n"
	"    - {id: 8, kind: access, data: P}\n"
	"    - {id: 9, kind: access, data: R}\n"
	"    - {id: 10, kind: access, data: Big}\n"
	"    - {id: 11, kind: access, data: Q}\n"
	"    memlets: []\n"
	"  - state: state_L4\n"
	"    nodes:\n"
	"    - {id: 0, kind: map_entry, label: map_L4, params: [i, j], ranges: [\"0:N\", \"0:N\"], schedule: cpu_parallel, exit: 1}\n"
	"    - {id: 1, kind: map_exit, entry: 0}\n"
	"    - {id: 2, kind: tasklet, in: [{name: a, dtype: float64}], out: {name: o, dtype: float64}, expr: \"in:a\"}\n"
	"    - {id: 3, kind: access, data: T}\n"
	"    - {id: 4, kind: access, data: A}\n"
	"    memlets:\n"
	"    - {id: 0, src: 3, dst: 0, dst_conn: IN_T, data: T, subset: \"[0:N, 0:N]\"}\n"
	"    - {id: 1, src: 0, src_conn: OUT_T, dst: 2, dst_conn: a, data: T, subset: \"[i, j]\"}\n"
	"    - {id: 2, src: 2, src_conn: o, dst: 1, dst_conn: IN_A, data: A, subset: \"[i, j]\"}\n"
	"    - {id: 3, src: 1, src_conn: OUT_A, dst: 4, data: A, subset: \"[0:N, 0:N]\"}\n"
	"  - for: loop_L5\n"
	"    var: t\n"
	"    range: [0, N, 1]\n"
	"    body:\n"
	"    - state: state_L6\n"
	"      nodes: []\n"
	"      memlets: []\n";

/* ---- parameters ---- */

static XParams
params(int n, ...)
{
	XParams ps = { n, arena_alloc(ctx->arena, sizeof(XParam) * (size_t)(n + 1)) };
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		XParam *q = &ps.p[i];
		q->key = va_arg(ap, const char *);
		q->str = va_arg(ap, const char *);
		q->nint = -1;
		if (q->str[0] == '[' || (q->str[0] >= '0' && q->str[0] <= '9')) {
			const char *s = q->str + (q->str[0] == '[');
			q->nint = 0;
			while (*s && *s != ']') {
				char *end;
				q->ints[q->nint++] = strtoll(s, &end, 10);
				s = end + strspn(end, ", ");
			}
		}
	}
	va_end(ap);
	return ps;
}

static const char *
check(IrModule *m, const char *xf, const char *site, XParams ps)
{
	XSite st = { .p = m->programs.data[0], .n = 1, .names = { site } };
	return pass_find(xf)->check(ctx, &st, &ps);
}

static bool
apply(IrModule *m, const char *xf, const char *site, XParams ps)
{
	XSite st = { .p = m->programs.data[0], .n = 1, .names = { site } };
	return pass_apply(ctx, pass_find(xf), &st, &ps, (SrcLoc){ "r.yaml", 1, 1 });
}

static const char *
strides(IrModule *m, const char *name)
{
	const IrContainer *c = ir_program_find_container(m->programs.data[0], name);
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	for (int d = 0; d < c->ndim; d++)
		sb_printf(&sb, "%s%s", d ? ", " : "", sym_print(ctx->arena, c->strides[d]));
	return sb_str(&sb);
}

static Storage
storage(IrModule *m, const char *name)
{
	return ir_program_find_container(m->programs.data[0], name)->storage;
}

/* ---- the site and the container ---- */

static void
test_sites(void)
{
	IrModule *m = load(program);
	CHECK_STR(check(m, "array-layout", "map_L4", params(0)),
		  "the 'array' parameter is required: the container to change, used at the site");
	CHECK_STR(check(m, "array-layout", "map_L4", params(1, "array", "Nope")),
		  "'Nope' is not a container of k");
	CHECK_STR(check(m, "padding", "map_L4", params(1, "array", "7")),
		  "'7' is not a container of k");
	CHECK_STR(check(m, "padding", "map_L4", params(1, "array", "[1, 2]")),
		  "'[1, 2]' is not a container of k");
	CHECK_STR(check(m, "array-layout", "loop_L5", params(1, "array", "T")),
		  "'loop_L5' is not a map or a state (the site is a map or state that uses the array)");
	CHECK_STR(check(m, "array-layout", "map_L4", params(1, "array", "S")),
		  "'S' is not used by map_L4");
	CHECK_STR(check(m, "transient-allocation", "state_L6", params(1, "array", "S")),
		  "'S' is not used in state_L6");
	CHECK_STR(check(m, "array-layout", "map_L4", params(1, "array", "A")),
		  "'A' is an argument of k: its layout belongs to the caller");
	CHECK_STR(check(m, "transient-allocation", "state_L4", params(1, "array", "A")),
		  "'A' is an argument of k: its allocation belongs to the caller");
	CHECK_STR(check(m, "padding", "state_L3", params(1, "array", "Dv")),
		  "'Dv' lives on the device");
	CHECK(check(m, "array-layout", "map_L4", params(1, "array", "T")) == NULL);
	CHECK(check(m, "array-layout", "state_L4", params(1, "array", "T")) == NULL);
	/* the matchers list transients with their array, where check passes */
	for (int i = 0; i < 3; i++) {
		static const char *const names[] = { "array-layout", "padding", "transient-allocation" };
		const Xform *x = pass_find(names[i]);
		XSiteList sites = { 0 };
		bool t = false;
		x->match(ctx, m->programs.data[0], &sites);
		for (int k = 0; k < sites.len; k++) {
			const XSite *s = &sites.data[k];
			CHECK(s->params.n == 1 && strcmp(s->params.p[0].key, "array") == 0);
			CHECK(x->check(ctx, s, &s->params) == NULL);
			t |= strcmp(s->params.p[0].str, "T") == 0;
		}
		CHECK(t || i > 0);
	}
}

/* ---- array-layout ---- */

static void
test_layout(void)
{
	IrModule *m = load(program);
	CHECK_STR(check(m, "array-layout", "state_L3", params(1, "array", "s")),
		  "'s' is a scalar: it has no layout");
	CHECK_STR(check(m, "array-layout", "map_L4", params(2, "array", "T", "order", "[1]")),
		  "order must list the 2 dimensions of 'T' once each, outermost first (a "
		  "permutation of 0..1), not [1]");
	CHECK_STR(check(m, "array-layout", "map_L4", params(2, "array", "T", "order", "rows")),
		  "order must list the 2 dimensions of 'T' once each, outermost first (a "
		  "permutation of 0..1), not rows");
	CHECK(check(m, "array-layout", "map_L4", params(2, "array", "T", "order", "[0, 2]")) != NULL);
	CHECK_STR(check(m, "array-layout", "state_L3", params(2, "array", "V", "order", "[1]")),
		  "order must list the 1 dimension of 'V' once each, outermost first (a "
		  "permutation of 0..0), not [1]");
	/* the default reverses the dimensions, of any rank */
	CHECK(apply(m, "array-layout", "state_L3", params(1, "array", "H")));
	CHECK_STR(strides(m, "H"), "1, 2, 4, 8, 16, 32, 64, 128, 256");
	CHECK(apply(m, "array-layout", "map_L4", params(2, "array", "T", "order", "[1, 0]")));
	CHECK_STR(strides(m, "T"), "1, N");
	/* a permutation of a column-major array is computed from the shape */
	CHECK(apply(m, "array-layout", "state_L3", params(2, "array", "P", "order", "[0, 1]")));
	CHECK_STR(strides(m, "P"), "8, 1");
	/* identity: back to row-major, padding dropped */
	CHECK(apply(m, "padding", "state_L3", params(2, "array", "S", "pad", "2")));
	CHECK_STR(strides(m, "S"), "5, 1");
	CHECK(apply(m, "array-layout", "state_L3", params(2, "array", "S", "order", "[0, 1]")));
	CHECK_STR(strides(m, "S"), "3, 1");
	CHECK(m->programs.data[0]->history.len == 5);
}

/* ---- padding ---- */

static void
test_padding(void)
{
	IrModule *m = load(program);
	CHECK_STR(check(m, "padding", "state_L3", params(1, "array", "V")),
		  "'V' is 1-D: it has a single row, nothing to pad");
	CHECK_STR(check(m, "padding", "state_L3", params(1, "array", "s")),
		  "'s' is a scalar: it has a single row, nothing to pad");
	CHECK_STR(check(m, "padding", "state_L3", params(1, "array", "P")),
		  "'P' is not laid out row-major (strides [1, 4]): only row-major arrays are padded");
	CHECK_STR(check(m, "padding", "state_L3", params(1, "array", "R")),
		  "the rows of 'R' already hold a multiple of 8 elements (give pad: K to pad them "
		  "anyway)");
	CHECK_STR(check(m, "padding", "state_L3", params(2, "array", "R", "pad", "0")),
		  "pad must be a number of elements from 1 to 4096, not 0");
	CHECK_STR(check(m, "padding", "state_L3", params(2, "array", "R", "pad", "4097")),
		  "pad must be a number of elements from 1 to 4096, not 4097");
	CHECK_STR(check(m, "padding", "state_L3", params(2, "array", "R", "pad", "[1, 2]")),
		  "pad must be a number of elements from 1 to 4096, not [1, 2]");
	CHECK_STR(check(m, "padding", "state_L3", params(2, "array", "R", "pad", "wide")),
		  "pad must be a number of elements from 1 to 4096, not wide");
	/* a stack array padded beyond the budget */
	CHECK_STR(check(m, "padding", "state_L3", params(1, "array", "W")),
		  "'W' takes more than 65536 bytes, the most a kernel may keep on the stack (64 KiB)");
	CHECK(apply(m, "padding", "state_L3", params(2, "array", "R", "pad", "8")));
	CHECK_STR(strides(m, "R"), "16, 1");
	CHECK(apply(m, "padding", "state_L3", params(1, "array", "S")));
	CHECK_STR(strides(m, "S"), "8, 1");
	CHECK(apply(m, "padding", "map_L4", params(1, "array", "T")));
	CHECK_STR(strides(m, "T"), "8*((N + 7) // 8), 1");
	CHECK(apply(m, "padding", "state_L3", params(1, "array", "H")));
	CHECK_STR(strides(m, "H"), "1024, 512, 256, 128, 64, 32, 16, 8, 1");
}

/* ---- transient-allocation ---- */

static void
test_allocation(void)
{
	IrModule *m = load(program);
	CHECK_STR(check(m, "transient-allocation", "state_L3", params(2, "array", "S", "storage",
									 "disk")),
		  "storage must be 'stack' or 'heap', not 'disk'");
	CHECK_STR(check(m, "transient-allocation", "state_L3", params(1, "array", "V")),
		  "the size of 'V' (N elements) is not a constant: only arrays of constant size "
		  "live on the stack");
	CHECK_STR(check(m, "transient-allocation", "state_L3", params(1, "array", "Big")),
		  "'Big' takes more than 65536 bytes, the most a kernel may keep on the stack (64 KiB)");
	/* G (32768 bytes) and W (32000) are already there: 768 bytes are left */
	CHECK_STR(check(m, "transient-allocation", "state_L3", params(1, "array", "Q")),
		  "'Q' takes 800 bytes and the other stack arrays of k 64768: more than 65536 "
		  "bytes, the most a kernel may keep on the stack (64 KiB)");
	CHECK(apply(m, "transient-allocation", "state_L3", params(2, "array", "W", "storage",
								      "heap")));
	CHECK(storage(m, "W") == STORAGE_HOST);
	CHECK(apply(m, "transient-allocation", "state_L3", params(1, "array", "R")));
	CHECK(storage(m, "R") == STORAGE_STACK);
	CHECK(apply(m, "padding", "state_L3", params(2, "array", "S", "pad", "5")));
	CHECK(apply(m, "transient-allocation", "state_L3", params(2, "array", "S", "storage",
								      "stack")));
	CHECK(storage(m, "S") == STORAGE_STACK);
	CHECK_STR(check(m, "transient-allocation", "state_L3", params(2, "array", "s", "storage",
									 "heap")),
		  "'s' is a scalar, always a local variable: it is never on the heap");
	CHECK(apply(m, "transient-allocation", "state_L3", params(1, "array", "s")));
	CHECK(storage(m, "s") == STORAGE_REGISTER);
	/* with 'W' back on the heap, 'Q' fits next to G, R and the padded S
	 * (27 elements: 108 bytes) */
	CHECK(check(m, "transient-allocation", "state_L3", params(1, "array", "Q")) == NULL);
	/* a layout change of a stack array is checked against the budget too */
	CHECK(apply(m, "array-layout", "state_L3", params(1, "array", "S")));
	CHECK_STR(strides(m, "S"), "1, 4");
	/* the dump keeps the storage */
	IrModule *again = ir_load_yaml(ctx, "again.yaml", ir_dump_yaml(ctx, m),
				       strlen(ir_dump_yaml(ctx, m)));
	CHECK(again && storage(again, "R") == STORAGE_STACK &&
	      storage(again, "s") == STORAGE_REGISTER);
	CHECK(again && ir_verify(ctx, again));
}

/* ---- the OpenMP backend ---- */

/* e(x: float64[16]) copying x into G and back; G's shape and storage
 * are given. */
static IrModule *
load_emit(const char *shape, const char *storage_name)
{
	return load(arena_printf(ctx->arena,
		"dfc_ir: 1\n"
		"module: m\n"
		"programs:\n"
		"- name: e\n"
		"  symbols: [N]\n"
		"  args: [{data: x}]\n"
		"  containers:\n"
		"  - {name: x, dtype: float64, shape: [16], role: argument}\n"
		"  - {name: G, dtype: float64, shape: [%s], storage: %s}\n"
		"  body:\n"
		"  - state: state_L3\n"
		"    nodes:\n"
		"    - {id: 0, kind: map_entry, label: map_L3, params: [i], ranges: [\"0:16\"], schedule: cpu_parallel, exit: 1}\n"
		"    - {id: 1, kind: map_exit, entry: 0}\n"
		"    - {id: 2, kind: tasklet, in: [{name: a, dtype: float64}], out: {name: o, dtype: float64}, expr: \"in:a\"}\n"
		"    - {id: 3, kind: access, data: x}\n"
		"    - {id: 4, kind: access, data: G}\n"
		"    - {id: 5, kind: tasklet, in: [{name: a, dtype: float64}], out: {name: o, dtype: float64}, expr: \"in:a\"}\n"
		"    - {id: 6, kind: access, data: x}\n"
		"    memlets:\n"
		"    - {id: 0, src: 3, dst: 0, dst_conn: IN_x, data: x, subset: \"[0:16]\"}\n"
		"    - {id: 1, src: 0, src_conn: OUT_x, dst: 2, dst_conn: a, data: x, subset: \"[i]\"}\n"
		"    - {id: 2, src: 2, src_conn: o, dst: 1, dst_conn: IN_G, data: G, subset: \"[i]\"}\n"
		"    - {id: 3, src: 1, src_conn: OUT_G, dst: 4, data: G, subset: \"[0:16]\"}\n"
		"    - {id: 4, src: 4, dst: 5, dst_conn: a, data: G, subset: \"[3]\"}\n"
		"    - {id: 5, src: 5, src_conn: o, dst: 6, data: x, subset: \"[0]\"}\n",
		shape, storage_name));
}

static bool
emit_fails_with(IrModule *m, const char *message)
{
	FILE *saved = ctx->err;
	char *buf = NULL;
	size_t len = 0;
	ctx->err = open_memstream(&buf, &len);
	char *code = cg_omp_emit_module(ctx, m, true);
	fclose(ctx->err);
	ctx->err = saved;
	bool ok = code == NULL && buf && strstr(buf, message);
	if (!ok)
		fprintf(stderr, "diagnostics: %s\n", buf ? buf : "(none)");
	free(buf);
	return ok;
}

static void
test_emit(void)
{
	int nerr = ctx->nerrors;
	char *code = cg_omp_emit_module(ctx, load_emit("16", "stack"), true);
	CHECK(code && strstr(code, "\t_Alignas(DFCRT_ALIGN) double G[16];\n"));
	CHECK(code && !strstr(code, "dfcrt_free(G)") && !strstr(code, "dfcrt_alloc(sizeof(double)"));
	code = cg_omp_emit_module(ctx, load_emit("16", "host"), true);
	CHECK(code && strstr(code, "dfcrt_free(G)"));
	CHECK(ctx->nerrors == nerr);
	CHECK(emit_fails_with(load_emit("N", "stack"),
			      "transient 'G' is kept on the stack but its size is not a constant"));
	CHECK(emit_fails_with(load_emit("16 * 1000", "stack"),
			      "transient 'G' is kept on the stack but takes more than 65536 bytes"));
	ctx->nerrors = nerr;
}

int
main(int argc, char **argv)
{
	(void)argc;
	ctx = ctx_new();
	test_sites();
	test_layout();
	test_padding();
	test_allocation();
	test_emit();
	CHECK(ctx->nerrors == 0);
	ctx_free(ctx);
	return test_done(argv[0]);
}
