/* passes/pipeline.c — the fixed pipeline of each -O level (DESIGN §5).
 *
 * Each level adds transformations to the one below it; each is applied at
 * every site its matcher finds, again until no site is left (a fixpoint,
 * bounded), and recorded in the history like a recipe's steps, so the
 * result can be replayed. The lists are documented in
 * docs/transformations.md.
 */
#include <string.h>

#include "passes.h"

/* The transformations each level adds, in order. */
static const char *const level_adds[4][20] = {
	[0] = { NULL },
	/* cleanup */
	[1] = { "dead-dataflow-elimination", "redundant-copy-removal", NULL },
	/* parallelism and fusion */
	[2] = { "reduction-recognition", "loop-to-map", "loop-parallelize", "map-fusion",
		"reduction-fusion", "otf-map-fusion", "dead-dataflow-elimination", "vectorize", NULL },
	/* loops of rank-1 updates of rows and loops of vector-matrix products
	 * over consecutive rows turned into one matrix product, scaling
	 * folded into matrix products, two matrix-vector products of one
	 * matrix fused into one sweep (before BLAS is chosen for them),
	 * library selection, reductions of what a
	 * map keeps moved into it, independent maps over one range merged
	 * (inputs they share read once), then those over one outer range
	 * (the rest of each nested inside), the last iteration peeled off a
	 * nested map where that makes it fuse with a sibling one iteration
	 * shorter (the sibling fused into it), arrays that loop nests read
	 * down their columns copied transposed before the nest, loops of
	 * pointwise sweeps run block by block (the blocks in parallel), maps
	 * that transpose run by tiles, the hints for the maps of naive
	 * expansions, of those copies and of the tiles, maps
	 * whose consecutive rows share subexpressions unrolled
	 * (one evaluation of each per U rows), then heap transients kept in
	 * the caller's handle across calls */
	[3] = { "rank-update-to-matmul", "loop-to-matmul", "matmul-scaling", "matvec-fusion",
		"library-expansion", "reduction-into-producer", "horizontal-map-fusion",
		"outer-map-fusion", "map-peeling", "horizontal-map-fusion", "transposed-copy",
		"loop-blocking", "run-blocking", "stride-interchange", "transpose-tiling",
		"vectorize",
		"unroll-and-jam", "transient-lifetime", NULL },
};

/* Rounds of one transformation before dfc calls it a bug: each round
 * applies at least once, and no transformation applies more often than
 * the program has nodes, memlets and blocks, many times over. */
enum { MAX_ROUNDS = 100000 };

/* Applies x wherever it matches in p until nothing matches. Each round
 * matches once and applies at every site in turn that is still legal
 * when its turn comes (an earlier one may have removed or changed it),
 * then verifies the program: one match and one ir_verify per round, not
 * one per application (programs of thousands of statements stay fast). */
static bool
exhaust(Ctx *ctx, const Xform *x, IrProgram *p)
{
	for (int round = 0; round < MAX_ROUNDS; round++) {
		XSiteList sites = { 0 };
		x->match(ctx, p, &sites);
		int applied = 0;
		for (int i = 0; i < sites.len; i++) {
			const XSite *s = &sites.data[i];
			if (x->check(ctx, s, &s->params))
				continue;
			if (!pass_apply_unverified(ctx, x, s, &s->params, p->loc))
				return false;
			applied++;
		}
		if (applied == 0)
			return true;
		pass_verify_after(ctx, p, arena_printf(ctx->arena, "%s (round %d of the -O "
						       "pipeline)", x->name, round + 1));
	}
	ICE("%s did not reach a fixpoint in %d rounds", x->name, MAX_ROUNDS);
}

bool
pass_run_level(Ctx *ctx, IrModule *m, int level)
{
	for (int l = 0; l <= level && l < 4; l++) {
		for (int k = 0; level_adds[l][k]; k++) {
			const Xform *x = pass_find(level_adds[l][k]);
			if (!x)
				ICE("the -O%d pipeline names '%s', which is not in the catalogue",
				    l, level_adds[l][k]);
			for (int i = 0; i < m->programs.len; i++)
				if (!exhaust(ctx, x, m->programs.data[i]))
					return false;
		}
	}
	return true;
}
