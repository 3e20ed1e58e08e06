/* tests/unit/test_matmul_ir.c — the matmul node's transpose flags and
 * scale-factor inputs (_alpha, _beta, _cin) in the IR: YAML dump and load
 * round trip, the text form, ir_matmul_operands' transposed views, and
 * what ir_verify and the loader reject (a _beta without _cin, a _cin that
 * is not the output's box, scale factors of another dtype or more than one
 * element, an output combined with WCR next to _beta, bad transpose lists).
 */
#include <stdlib.h>

#include "../../ir/ir.h"
#include "test.h"

/* k(alpha, beta, C[N, M], A[K, N], B[K, M], ia, v[N]):
 * C = alpha * (A^T @ B) + beta * C. */
static const char *const good =
	"dfc_ir: 1\n"
	"module: u\n"
	"source: \"u.py\"\n"
	"programs:\n"
	"- name: k\n"
	"  loc: \"u.py:1:1\"\n"
	"  symbols: [N, M, K]\n"
	"  args: [{data: alpha}, {data: beta}, {data: C}, {data: A}, {data: B}, {data: ia}, {data: v}]\n"
	"  returns: []\n"
	"  assumes: []\n"
	"  containers:\n"
	"  - {name: alpha, dtype: float64, shape: [], strides: [], storage: host, role: argument, loc: \"u.py:1:1\"}\n"
	"  - {name: beta, dtype: float64, shape: [], strides: [], storage: host, role: argument, loc: \"u.py:1:1\"}\n"
	"  - {name: C, dtype: float64, shape: [N, M], strides: [M, 1], storage: host, role: argument, loc: \"u.py:1:1\"}\n"
	"  - {name: A, dtype: float64, shape: [K, N], strides: [N, 1], storage: host, role: argument, loc: \"u.py:1:1\"}\n"
	"  - {name: B, dtype: float64, shape: [K, M], strides: [M, 1], storage: host, role: argument, loc: \"u.py:1:1\"}\n"
	"  - {name: ia, dtype: int64, shape: [], strides: [], storage: host, role: argument, loc: \"u.py:1:1\"}\n"
	"  - {name: v, dtype: float64, shape: [N], strides: [1], storage: host, role: argument, loc: \"u.py:1:1\"}\n"
	"  body:\n"
	"  - state: state_L4\n"
	"    loc: \"u.py:4:5\"\n"
	"    nodes:\n"
	"    - {id: 0, kind: library, op: matmul, impl: blas, transpose: [_a], loc: \"u.py:4:5\"}\n"
	"    - {id: 1, kind: access, data: A, loc: \"u.py:4:5\"}\n"
	"    - {id: 2, kind: access, data: B, loc: \"u.py:4:5\"}\n"
	"    - {id: 3, kind: access, data: C, loc: \"u.py:4:5\"}\n"
	"    - {id: 4, kind: access, data: alpha, loc: \"u.py:4:5\"}\n"
	"    - {id: 5, kind: access, data: beta, loc: \"u.py:4:5\"}\n"
	"    - {id: 6, kind: access, data: C, loc: \"u.py:4:5\"}\n"
	"    memlets:\n"
	"    - {id: 0, src: 1, dst: 0, dst_conn: _a, data: A, subset: \"[0:K, 0:N]\", wcr: none, loc: \"u.py:4:5\"}\n"
	"    - {id: 1, src: 2, dst: 0, dst_conn: _b, data: B, subset: \"[0:K, 0:M]\", wcr: none, loc: \"u.py:4:5\"}\n"
	"    - {id: 2, src: 0, src_conn: _c, dst: 3, data: C, subset: \"[0:N, 0:M]\", wcr: none, loc: \"u.py:4:5\"}\n"
	"    - {id: 3, src: 4, dst: 0, dst_conn: _alpha, data: alpha, subset: \"[]\", wcr: none, loc: \"u.py:4:7\"}\n"
	"    - {id: 4, src: 5, dst: 0, dst_conn: _beta, data: beta, subset: \"[]\", wcr: none, loc: \"u.py:4:9\"}\n"
	"    - {id: 5, src: 6, dst: 0, dst_conn: _cin, data: C, subset: \"[0:N, 0:M]\", wcr: none, loc: \"u.py:4:11\"}\n"
	"  history: []\n";

/* good with the first occurrence of `from` replaced by `to`. */
static char *
edit(Ctx *ctx, const char *from, const char *to)
{
	const char *at = strstr(good, from);
	if (!at)
		return NULL;
	return arena_printf(ctx->arena, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
}

/* Loads text and verifies it; returns the diagnostics (malloc'd) and sets
 * *ok when both succeeded. */
static char *
load_verify(const char *text, bool *ok)
{
	Ctx *ctx = ctx_new();
	char *buf = NULL;
	size_t n = 0;
	FILE *err = open_memstream(&buf, &n);
	ctx->err = err;
	IrModule *m = ir_load_yaml(ctx, "u.yaml", text, strlen(text));
	*ok = m && ir_verify(ctx, m);
	fclose(err);
	ctx_free(ctx);
	return buf;
}

static void
test_roundtrip(void)
{
	Ctx *ctx = ctx_new();
	IrModule *m = ir_load_yaml(ctx, "u.yaml", good, strlen(good));
	CHECK(m && ir_verify(ctx, m));
	if (!m)
		return;
	char *y1 = ir_dump_yaml(ctx, m);
	CHECK(strstr(y1, "transpose: [_a]") != NULL);
	IrModule *m2 = ir_load_yaml(ctx, "dump.yaml", y1, strlen(y1));
	CHECK(m2 && strcmp(ir_dump_yaml(ctx, m2), y1) == 0);
	IrState *s = m->programs.data[0]->body.data[0]->state;
	CHECK(s->nodes.data[0].lib.trans[0] && !s->nodes.data[0].lib.trans[1]);
	CHECK(strstr(ir_dump_text(ctx, m), "library matmul (blas) transpose _a\n") != NULL);
	CHECK(ir_matmul_input(s, 0, "_alpha") && ir_matmul_input(s, 0, "_cin"));
	CHECK(ir_matmul_input(s, 0, "_c") == NULL);
	/* A[0:K, 0:N] read transposed: an N x K view with strides (1, N). */
	IrMatOperand v[3];
	CHECK(ir_matmul_operands(ctx->arena, m->programs.data[0], s, 0, v) == 0);
	CHECK_STR(sym_print(ctx->arena, v[0].ext[0]), "N");
	CHECK_STR(sym_print(ctx->arena, v[0].ext[1]), "K");
	CHECK_STR(sym_print(ctx->arena, v[0].str[0]), "1");
	CHECK_STR(sym_print(ctx->arena, v[0].str[1]), "N");
	/* Both operands transposed, and none. */
	char *both = edit(ctx, "transpose: [_a]", "transpose: [_b, _a]");
	IrModule *m3 = ir_load_yaml(ctx, "u.yaml", both, strlen(both));
	CHECK(m3 && strstr(ir_dump_yaml(ctx, m3), "transpose: [_a, _b]") != NULL);
	char *none = edit(ctx, "transpose: [_a], ", "");
	IrModule *m4 = ir_load_yaml(ctx, "u.yaml", none, strlen(none));
	CHECK(m4 && !strstr(ir_dump_yaml(ctx, m4), "transpose"));
	CHECK(m4 && !strstr(ir_dump_text(ctx, m4), "transpose"));
	ctx_free(ctx);
}

typedef struct Bad {
	const char *from, *to;   /* the edit of `good` */
	const char *where, *what;
} Bad;

static const Bad bads[] = {
	{"    - {id: 5, src: 6, dst: 0, dst_conn: _cin", "    - {id: 5, src: 6, dst: 3, dst_conn: _x",
	 "u.py:4:5:", "has _beta without _cin"},
	{"dst_conn: _beta", "dst_conn: _zeta", "u.py:4:9:", "unknown connector '_zeta'"},
	{"data: C, subset: \"[0:N, 0:M]\", wcr: none, loc: \"u.py:4:11\"",
	 "data: C, subset: \"[1:N, 0:M]\", wcr: none, loc: \"u.py:4:11\"",
	 "u.py:4:11:", "'_cin' of library node 0 (matmul) must read exactly"},
	{"src_conn: _c, dst: 3, data: C, subset: \"[0:N, 0:M]\", wcr: none",
	 "src_conn: _c, dst: 3, data: C, subset: \"[0:N, 0:M]\", wcr: sum",
	 "u.py:4:11:", "must read exactly what '_c' overwrites"},
	{"dst_conn: _alpha, data: alpha", "dst_conn: _alpha, data: ia", "u.py:4:7:",
	 "'_alpha' of library node 0 (matmul) is int64"},
	{"dst_conn: _alpha, data: alpha, subset: \"[]\"", "dst_conn: _alpha, data: v, subset: \"[0:2]\"",
	 "u.py:4:7:", "'_alpha' of library node 0 (matmul) must read one element"},
	{"transpose: [_a]", "transpose: [_c]", "u.yaml:", "'transpose' lists the operands"},
	{"transpose: [_a]", "transpose: [_a, _a]", "u.yaml:", "each once, not '_a'"},
	{"transpose: [_a]", "transpose: _a", "u.yaml:", "'transpose'"},
};

static void
test_rejected(void)
{
	Ctx *ctx = ctx_new();
	for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
		const Bad *b = &bads[i];
		char *text = edit(ctx, b->from, b->to);
		CHECK(text != NULL);
		if (!text)
			continue;
		bool ok;
		char *msg = load_verify(text, &ok);
		bool good_msg = !ok && strstr(msg, b->where) && strstr(msg, " error: ") &&
				strstr(msg, b->what);
		CHECK(good_msg);
		if (!good_msg)
			fprintf(stderr, "bad case %zu: want %s ... %s, got:\n%s\n", i, b->where,
				b->what, msg);
		free(msg);
	}
	ctx_free(ctx);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_roundtrip();
	test_rejected();
	return test_done(argv[0]);
}
