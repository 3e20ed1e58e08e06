/* tests/unit/test_depend.c — the loop-carried dependence test
 * (passes/depend.c): exact answers on a table of subscript pairs (kind,
 * which access comes first, the distance when it is one constant, and
 * whether the answer is exact), affine forms with strides, floordiv, mod,
 * min, boxes, map parameters, negative steps, size symbols and
 * preconditions, min and max fixed during the loop; then the reasons
 * dep_loop_carried gives, the WCR exemption and the remembered answers.
 * Every problem of the table, relaxed and exact, is built through isl's C
 * API and read from its text, and the two sets must be equal.
 */
#include <stdlib.h>

#include "../../passes/depend.h"
#include "test.h"

static Ctx *C;
static IrProgram *Prog;

static Sym *
S(const char *text)
{
	const char *err = NULL;
	int pos = -1;
	Sym *s = sym_parse(C->arena, text, &err, &pos);
	if (!s) {
		fprintf(stderr, "bad sym \"%s\": %s\n", text, err);
		exit(1);
	}
	return s;
}

static Subset
SUB(const char *text)
{
	Subset s;
	const char *err = NULL;
	int pos = -1;
	if (!subset_parse(C->arena, text, &s, &err, &pos)) {
		fprintf(stderr, "bad subset \"%s\": %s\n", text, err);
		exit(1);
	}
	return s;
}

/* An access of container data at subset, inside maps over params
 * ("_i0 _i1", may be "") with ranges ("[0:M, 0:N]"). */
static DepAccess
acc(const char *data, const char *subset, bool write, Wcr wcr, const char *params,
    const char *ranges)
{
	DepAccess a = { .data = data, .subset = SUB(subset), .write = write, .wcr = wcr };
	if (!params[0])
		return a;
	Subset r = SUB(ranges);
	a.nparams = r.ndim;
	a.ranges = r.r;
	a.params = arena_alloc(C->arena, sizeof(char *) * (size_t)r.ndim);
	const char *p = params;
	for (int k = 0; k < r.ndim; k++) {
		const char *sp = strchr(p, ' ');
		a.params[k] = sp ? arena_strndup(C->arena, p, (size_t)(sp - p)) : p;
		p = sp ? sp + 1 : p;
	}
	return a;
}

static DepLoop
loop(const char *start, const char *stop, int64_t step)
{
	return (DepLoop){ "i", S(start), S(stop), step, Prog };
}

typedef struct Row {
	int line;
	const char *start, *stop;
	int64_t step;
	const char *w, *wparams, *wranges;       /* the write */
	bool xwrite;
	const char *x, *xparams, *xranges;       /* the other access */
	DepKind kind;
	bool w_first;          /* the write is the access of the earlier iteration */
	bool fixed;
	int64_t distance;
	bool exact;
} Row;

#define R(...) { __LINE__, __VA_ARGS__ }

static const Row rows[] = {
	/* start stop step  write             other                      kind  wfirst fixed dist exact */
	R("0", "N", 1, "[i]", "", "", false, "[i - 1]", "", "", DEP_FLOW, true, true, 1, true),
	R("0", "N", 1, "[i]", "", "", false, "[i + 1]", "", "", DEP_ANTI, false, true, 1, true),
	R("0", "N", 1, "[i]", "", "", false, "[i]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i]", "", "", true, "[i]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i]", "", "", false, "[i + 3]", "", "", DEP_ANTI, false, true, 3, true),
	R("0", "N", 1, "[2*i]", "", "", false, "[2*i + 1]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[2*i]", "", "", false, "[i]", "", "", DEP_FLOW, true, false, 0, true),
	R("0", "N", 1, "[i]", "", "", false, "[i + N]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i]", "", "", false, "[N - 1 - i]", "", "", DEP_FLOW, true, false, 0, true),
	R("0", "N", 1, "[0]", "", "", true, "[0]", "", "", DEP_OUTPUT, true, false, 0, true),
	R("0", "N", 1, "[]", "", "", false, "[]", "", "", DEP_FLOW, true, false, 0, true),
	R("0", "1", 1, "[0]", "", "", true, "[0]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i, _i0]", "_i0", "[0:M]", false, "[i - 1, _i0]", "_i0", "[0:M]",
	  DEP_FLOW, true, true, 1, true),
	R("0", "N", 1, "[i, _i0]", "_i0", "[0:M]", false, "[i, _i0 + 1]", "_i0", "[0:M]",
	  DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i, _i0]", "_i0", "[0:M]", false, "[_i0, i]", "_i0", "[0:N]",
	  DEP_FLOW, true, false, 0, true),
	R("0", "N", 1, "[i, _i0]", "_i0", "[0:i]", false, "[_i0, i]", "_i0", "[0:i]",
	  DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i, _i0]", "_i0", "[0:i]", false, "[_i0, i]", "_i0", "[i + 1:N]",
	  DEP_ANTI, false, false, 0, true),
	R("0", "N", 1, "[i // 2]", "", "", true, "[i // 2]", "", "", DEP_OUTPUT, true, true, 1, true),
	R("0", "N", 2, "[i % 2]", "", "", true, "[i % 2]", "", "", DEP_OUTPUT, true, false, 0, true),
	R("0", "2", 1, "[i % 2]", "", "", true, "[i % 2]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[(i + 1) % 3]", "", "", false, "[i % 3]", "", "", DEP_FLOW, true, false, 0,
	  true),
	R("0", "N", 1, "[min(i, 5)]", "", "", true, "[min(i, 5)]", "", "", DEP_OUTPUT, true, false, 0,
	  true),
	R("0", "N", 1, "[max(i, 5)]", "", "", false, "[i]", "", "", DEP_FLOW, true, false, 0, true),
	R("1", "N", 2, "[i]", "", "", false, "[i - 1]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("1", "N", 2, "[i]", "", "", false, "[i - 2]", "", "", DEP_FLOW, true, true, 2, true),
	R("N - 1", "0", -1, "[i]", "", "", false, "[i + 1]", "", "", DEP_FLOW, true, true, -1, true),
	R("N - 1", "0", -1, "[i]", "", "", false, "[i - 1]", "", "", DEP_ANTI, false, true, -1, true),
	R("N - 1", "-1", -3, "[i]", "", "", false, "[i - 1]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i]", "", "", false, "[0:i]", "", "", DEP_FLOW, true, false, 0, true),
	R("0", "N", 1, "[2*i + 1]", "", "", false, "[0:N:2]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i]", "", "", false, "[i + 1:N]", "", "", DEP_ANTI, false, false, 0, true),
	R("0", "N", 1, "[i + M*N]", "", "", false, "[i + M*N]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i + M*N]", "", "", false, "[i + M*N - 1]", "", "", DEP_FLOW, true, true, 1,
	  true),
	R("0", "N", 1, "[i*N]", "", "", false, "[i*N + 1]", "", "", DEP_FLOW, true, false, 0, false),
	R("0", "N", 1, "[i, i*N]", "", "", false, "[i + 1, i*N]", "", "", DEP_ANTI, false, true, 1,
	  false),
	R("0", "N", 1, "[i, i*N]", "", "", false, "[i, 0]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i]", "", "", false, "[i + K]", "", "", DEP_FLOW, true, false, 0, true),
	R("0", "N", 1, "[i]", "", "", false, "[i + j]", "", "", DEP_FLOW, true, false, 0, true),
	R("0", "N", 1, "[i // K]", "", "", true, "[i // K]", "", "", DEP_OUTPUT, true, false, 0,
	  false),
	/* min and max fixed during the loop: first as bounded parameters
	 * (nested ones made isl split the set into exponentially many
	 * pieces), then exactly where that finds a dependence */
	R("0", "N", 1, "[i + min(N, max(M - K, max(min(N, K - M), 0)))]", "", "", false,
	  "[i + min(N, max(M - K, max(min(N, K - M), 0)))]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i]", "", "", false, "[i + min(N, M) + N]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[i]", "", "", false, "[i + min(N, M) + 1]", "", "", DEP_ANTI, false, false, 0,
	  true),
	R("0", "min(N, M)", 1, "[i]", "", "", false, "[i + M]", "", "", DEP_NONE, 0, 0, 0, 0),
	/* negative divisors, strides of maps and loops, min and max of the
	 * loop variable, mod on both sides */
	R("0", "N", 1, "[i // -2]", "", "", true, "[i // -2]", "", "", DEP_OUTPUT, true, true, 1,
	  true),
	R("0", "N", 1, "[i % -3]", "", "", false, "[i % -3]", "", "", DEP_FLOW, true, false, 0,
	  true),
	R("0", "N", 1, "[i % 4 + 4*(i // 4)]", "", "", false, "[i - 1]", "", "", DEP_FLOW, true,
	  true, 1, true),
	R("0", "N", 3, "[_i0]", "_i0", "[i:i + 3]", false, "[_i0 - 1]", "_i0", "[i:i + 3]",
	  DEP_FLOW, true, true, 3, true),
	R("0", "N", 1, "[_i0]", "_i0", "[2*i:2*i + 4:2]", false, "[_i0 + 1]", "_i0",
	  "[2*i:2*i + 4:2]", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[_i0]", "_i0", "[2*i:2*i + 4:2]", false, "[_i0]", "_i0",
	  "[2*i:2*i + 4:2]", DEP_FLOW, true, true, 1, true),
	R("N", "0", -2, "[i]", "", "", false, "[i + 2]", "", "", DEP_FLOW, true, true, -2, true),
	R("N", "0", -2, "[i]", "", "", false, "[i + 1]", "", "", DEP_NONE, 0, 0, 0, 0),
	R("0", "N", 1, "[min(i, M)]", "", "", false, "[max(i - 1, 0)]", "", "", DEP_FLOW, true,
	  true, 1, true),
	R("0", "N", 1, "[max(min(i, M), K)]", "", "", true, "[max(min(i, M), K)]", "", "",
	  DEP_OUTPUT, true, false, 0, true),
	R("0", "N", 1, "[i, min(N, M)]", "", "", false, "[i - 2, min(N, M)]", "", "", DEP_FLOW,
	  true, true, 2, true),
	R("0", "N", 1, "[i + min(M, 4)]", "", "", false, "[i + min(M, 3)]", "", "", DEP_FLOW,
	  true, true, 1, true),
};

static void
test_table(void)
{
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		const Row *t = &rows[r];
		DepLoop L = loop(t->start, t->stop, t->step);
		DepAccess w = acc("x", t->w, true, WCR_NONE, t->wparams, t->wranges);
		DepAccess x = t->xwrite && strcmp(t->x, t->w) == 0 && !t->wparams[0] ? w :
			acc("x", t->x, t->xwrite, WCR_NONE, t->xparams, t->xranges);
		Dep d;
		DepKind k = dep_test_pair(C, &L, &w, &x, &d);
		int before = test_failed;
		CHECK(k == t->kind);
		CHECK(dep_problem_check(C, &L, &w, &x, true) == 1);
		CHECK(dep_problem_check(C, &L, &w, &x, false) == 1);
		if (k != DEP_NONE && k == t->kind) {
			CHECK(d.kind == k);
			CHECK((d.first == &w) == t->w_first);
			CHECK((d.second == &w) == !t->w_first);
			CHECK(d.fixed == t->fixed);
			CHECK(!t->fixed || d.distance == t->distance);
			CHECK(d.exact == t->exact);
		}
		if (test_failed != before)
			fprintf(stderr, "  row at line %d: %s\n", t->line,
				dep_problem_text(C, &L, &w, &x));
	}
}

/* The preconditions of the program narrow the symbols: x[i + M] with
 * M >= N is never x[i'] for i' < N. */
static void
test_assumes(void)
{
	DepLoop L = loop("0", "N", 1);
	DepAccess w = acc("x", "[i]", true, WCR_NONE, "", "");
	DepAccess x = acc("x", "[i + M]", false, WCR_NONE, "", "");
	CHECK(dep_test_pair(C, &L, &w, &x, NULL) == DEP_ANTI);
	ir_program_assume(C, Prog, S("M - N"), (SrcLoc){ 0 });
	CHECK(dep_test_pair(C, &L, &w, &x, NULL) == DEP_NONE);
	Prog->assumes.len = 0;
}

static const char *
carried(const char *start, const char *stop, int64_t step, DepAccess *a, int n)
{
	DepLoop L = loop(start, stop, step);
	return dep_loop_carried(C, &L, a, n);
}

static void
test_reasons(void)
{
	DepAccess flow[] = { acc("x", "[i - 1]", false, WCR_NONE, "", ""),
			     acc("x", "[i]", true, WCR_NONE, "", "") };
	CHECK_STR(carried("1", "N", 1, flow, 2), "iteration i writes x[i] and iteration i + 1 "
		  "reads it (a loop-carried flow dependence on x)");
	DepAccess anti[] = { acc("x", "[i + 1]", false, WCR_NONE, "", ""),
			     acc("x", "[i]", true, WCR_NONE, "", "") };
	CHECK_STR(carried("0", "N - 1", 1, anti, 2), "iteration i reads x[i + 1] and iteration "
		  "i + 1 writes it (a loop-carried anti dependence on x)");
	DepAccess out[] = { acc("y", "[i]", false, WCR_NONE, "", ""),
			    acc("x", "[0]", true, WCR_NONE, "", "") };
	CHECK_STR(carried("0", "N", 1, out, 2), "iteration i writes x[0] and a later iteration "
		  "writes it again (a loop-carried output dependence on x)");
	DepAccess scal[] = { acc("s", "[]", false, WCR_NONE, "", ""),
			     acc("x", "[i]", false, WCR_NONE, "", ""),
			     acc("s", "[]", true, WCR_NONE, "", "") };
	CHECK_STR(carried("0", "N", 1, scal, 3), "every iteration writes the scalar s and reads it "
		  "(loop-carried flow, anti and output dependences on s)");
	DepAccess only[] = { acc("t", "[]", true, WCR_NONE, "", "") };
	CHECK_STR(carried("0", "N", 1, only, 1), "every iteration writes the scalar t (a "
		  "loop-carried output dependence on t)");
	/* arrays are reported before scalars, whatever the order */
	DepAccess both[] = { acc("x", "[i - 1]", false, WCR_NONE, "", ""),
			     acc("elem", "[]", true, WCR_NONE, "", ""),
			     acc("elem", "[]", false, WCR_NONE, "", ""),
			     acc("x", "[i]", true, WCR_NONE, "", "") };
	CHECK_STR(carried("1", "N", 1, both, 4), "iteration i writes x[i] and iteration i + 1 "
		  "reads it (a loop-carried flow dependence on x)");
	DepAccess rev[] = { acc("x", "[i + 1]", false, WCR_NONE, "", ""),
			    acc("x", "[i]", true, WCR_NONE, "", "") };
	CHECK_STR(carried("N - 2", "-1", -1, rev, 2), "iteration i writes x[i] and iteration "
		  "i - 1 reads it (a loop-carried flow dependence on x)");
	DepAccess nonaff[] = { acc("x", "[i*N]", true, WCR_NONE, "", ""),
			       acc("x", "[i*N + 1]", false, WCR_NONE, "", "") };
	CHECK_STR(carried("0", "N", 1, nonaff, 2), "iteration i writes x[N*i] and another "
		  "iteration may read it (subscripts or bounds that are not affine leave a "
		  "loop-carried flow dependence on x possible)");
	DepAccess fine[] = { acc("A", "[i, _i0]", false, WCR_NONE, "_i0", "[0:M]"),
			     acc("a", "[]", false, WCR_NONE, "", ""),
			     acc("B", "[i, _i0]", true, WCR_NONE, "_i0", "[0:M]") };
	CHECK(carried("0", "N", 1, fine, 3) == NULL);
}

/* Writes with one WCR and no reads commute; a read, a plain write or a
 * second operator brings the dependence back. */
static void
test_wcr(void)
{
	DepAccess sum[] = { acc("x", "[i, _i0]", false, WCR_NONE, "_i0", "[0:M]"),
			    acc("s", "[]", true, WCR_SUM, "_i0", "[0:M]"),
			    acc("s", "[]", true, WCR_SUM, "", "") };
	CHECK(carried("0", "N", 1, sum, 3) == NULL);
	DepAccess rd[] = { acc("s", "[]", true, WCR_SUM, "", ""),
			   acc("s", "[]", false, WCR_NONE, "", "") };
	CHECK_STR(carried("0", "N", 1, rd, 2), "every iteration accumulates into the scalar s "
		  "and reads it (loop-carried flow and anti dependences on s)");
	DepAccess mixed[] = { acc("s", "[]", true, WCR_SUM, "", ""),
			      acc("s", "[]", true, WCR_MAX, "", "") };
	CHECK(carried("0", "N", 1, mixed, 2) != NULL);
	DepAccess plain[] = { acc("s", "[0]", true, WCR_SUM, "", ""),
			      acc("s", "[0]", true, WCR_NONE, "", "") };
	CHECK_STR(carried("0", "N", 1, plain, 2), "iteration i accumulates into s[0] and a later "
		  "iteration writes it (a loop-carried output dependence on s)");
}

/* Accesses collected from a state carry the map parameters around them. */
static void
test_collect(void)
{
	IrState *s = ir_state_new(C, "st", (SrcLoc){ 0 });
	SrcLoc l = { 0 };
	const char *params[] = { "_i0" };
	SymRange r[] = { { S("0"), S("M"), S("1") } };
	int a = ir_state_add_access(C, s, "A", l);
	int e = ir_state_add_map(C, s, "m", 1, params, r, SCHED_CPU_PARALLEL, l);
	int x = s->nodes.data[e].map.exit;
	IrConn in = { "in0", DT_FLOAT64 }, out = { "out", DT_FLOAT64 };
	int t = ir_state_add_tasklet(C, s, 1, &in, out, ir_expr_in(C->arena, DT_FLOAT64, "in0"), l);
	int b = ir_state_add_access(C, s, "B", l);
	ir_state_add_memlet(C, s, a, NULL, e, "IN_A", "A", SUB("[0:N, 0:M]"), WCR_NONE, l);
	ir_state_add_memlet(C, s, e, "OUT_A", t, "in0", "A", SUB("[i, _i0]"), WCR_NONE, l);
	ir_state_add_memlet(C, s, t, "out", x, "IN_B", "B", SUB("[i]"), WCR_SUM, l);
	ir_state_add_memlet(C, s, x, "OUT_B", b, NULL, "B", SUB("[0:N]"), WCR_SUM, l);
	DepAccessList v = { 0 };
	dep_collect_state(C, s, &v);
	CHECK(v.len == 2);
	if (v.len != 2)
		return;
	CHECK(!v.data[0].write && strcmp(v.data[0].data, "A") == 0 && v.data[0].nparams == 1);
	CHECK(v.data[0].nparams == 1 && strcmp(v.data[0].params[0], "_i0") == 0);
	CHECK(v.data[1].write && v.data[1].wcr == WCR_SUM && v.data[1].nparams == 1);
	CHECK(carried("0", "N", 1, v.data, v.len) == NULL);
}

/* Answers are remembered per compilation: asked again with other
 * accesses of the same subsets, the pair names the new accesses. */
static void
test_memo(void)
{
	DepLoop L = loop("0", "N", 1);
	for (int round = 0; round < 2; round++) {
		DepAccess w = acc("x", "[i]", true, WCR_NONE, "", "");
		DepAccess x = acc("x", "[i + 2]", false, WCR_NONE, "", "");
		Dep d;
		CHECK(dep_test_pair(C, &L, &w, &x, &d) == DEP_ANTI);
		CHECK(d.first == &x && d.second == &w && d.fixed && d.distance == 2 && d.exact);
	}
	CHECK(C->dep_memo != NULL);
}

int
main(int argc, char **argv)
{
	C = ctx_new();
	IrModule *m = ir_module_new(C, "t", "");
	Prog = ir_program_new(C, m, "k", (SrcLoc){ 0 });
	ir_program_add_symbol(C, Prog, "N");
	ir_program_add_symbol(C, Prog, "M");
	test_table();
	test_assumes();
	test_reasons();
	test_wcr();
	test_collect();
	test_memo();
	ctx_free(C);
	return test_done(argv[0]);
}
