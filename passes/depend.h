/* passes/depend.h — the loop-carried dependence test (private to passes/:
 * loop_to_map.c and the unit tests use it).
 *
 * An access is one element (or a box of elements) of a container that a
 * tasklet or library node reads or writes, with the map parameters around
 * it. The test asks whether two *different* iterations i != i' of a loop
 * touch one element where at least one touch is a write: it builds the
 * integer set {[i, i', params of each access, elements] : bounds and
 * equal subscripts and i != i'} with the size symbols as parameters and
 * asks isl whether it is empty for every value of the symbols. The
 * answer is exact on affine subscripts and bounds (floordiv and mod by
 * constants and min/max included); a part that is not affine is left out
 * of the set, which only makes it larger, so the test is conservative
 * there and says so (`exact` false). Size symbols are >= 0 and the
 * program's preconditions hold.
 *
 * The Syms of accesses and loops must live as long as the compilation
 * (in ctx->arena, not in a scratch arena): answers and the names of terms
 * that are not affine are remembered in the Ctx, the latter by Sym.
 */
#ifndef DFC_DEPEND_H
#define DFC_DEPEND_H

#include "passes.h"

typedef struct DepAccess {
	const char *data;          /* container */
	Subset subset;             /* in the loop variable, the params, symbols */
	bool write;                /* written (else read) */
	Wcr wcr;                   /* of a write; WCR_NONE for plain ones */
	int nparams;               /* map parameters around it, outermost first */
	const char **params;
	SymRange *ranges;          /* one per param */
	SrcLoc loc;                /* of the memlet */
	int node;                  /* the tasklet or library node (dep_collect_state) */
} DepAccess;

typedef VEC(DepAccess) DepAccessList;

typedef struct DepLoop {
	const char *var;           /* the loop variable */
	Sym *start, *stop;         /* range(start, stop, step) */
	int64_t step;              /* nonzero */
	const IrProgram *p;        /* size symbols and preconditions; may be NULL */
} DepLoop;

typedef enum DepKind {
	DEP_NONE,
	DEP_FLOW,                  /* a write, then a read in a later iteration */
	DEP_ANTI,                  /* a read, then a write in a later iteration */
	DEP_OUTPUT,                /* a write, then a write in a later iteration */
} DepKind;

typedef struct Dep {
	DepKind kind;
	const DepAccess *first;    /* the access of the earlier iteration */
	const DepAccess *second;   /* the access of the later one */
	bool fixed;                /* the distance is one constant: */
	int64_t distance;          /* value of the loop variable in the later
				      iteration minus its value in the earlier */
	bool exact;                /* false when a part that is not affine was
				      left out: the dependence may not be real */
	bool both;                 /* the other order occurs too (first and
				      second swapped) */
} Dep;

/* Appends the accesses of state s: every non-empty memlet into or out of
 * a tasklet or library node, with the map parameters around that node. */
void dep_collect_state(Ctx *ctx, const IrState *s, DepAccessList *out);

/* Tests write w against access x (x may be w itself) in loop L. Returns
 * the kind (DEP_NONE when no two different iterations touch a common
 * element) and fills *out when not DEP_NONE. When both orders occur, the
 * one where w comes first is reported. */
DepKind dep_test_pair(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x,
		      Dep *out);

/* NULL when the accesses acc[0..n) of one iteration of loop L carry no
 * dependence between iterations (two writes with one and the same WCR
 * commute and are not tested against each other); otherwise the
 * reason, naming the container and the dependence: "iteration i writes
 * x[i] and iteration i + 1 reads it (a loop-carried flow dependence on
 * x)". Dependences on arrays are reported before those on 0-d
 * containers, flow before anti before output. */
const char *dep_loop_carried(Ctx *ctx, const DepLoop *L, const DepAccess *acc, int n);

/* The isl text of the problem for pair (w, x), for tests and debugging;
 * NULL when isl cannot be asked. */
const char *dep_problem_text(Ctx *ctx, const DepLoop *L, const DepAccess *w,
			     const DepAccess *x);

/* Builds the problem of pair (w, x), relaxed (fixed min and max terms as
 * bounded parameters) or exact, through isl's C API and by reading its
 * text, and compares the two sets: 1 when equal, 0 when not, -1 when isl
 * cannot be asked. For tests. */
int dep_problem_check(Ctx *ctx, const DepLoop *L, const DepAccess *w, const DepAccess *x,
		      bool relax);

#endif
