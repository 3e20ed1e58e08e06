/* passes/reduction_fusion.c — fusing a map into the reduction that alone
 * consumes its temporary: `t = a * b` then `s = np.sum(t)` (or
 * `r = t.sum(axis=1)`) accumulates every product straight into s, and t
 * disappears.
 *
 *   a -> map_P [i] { t[i] = f(a[i]) } -> t
 *   s = 0
 *   t -> map_R [i] { s[] += t[i] (sum) } -> s
 *   ==>
 *   s = 0
 *   a -> map_R [i] { s[] += f(a[i]) (sum) } -> s
 *
 * Sites: [producer, reduction] map labels. The analysis and the apply are
 * map-fusion's (map_fusion.c, with `reduce` set), so every rule of
 * map-fusion holds: one tasklet per map, equal ranges, the producer
 * writing a transient T one element per iteration, the reduction reading
 * T only at the element the producer writes in the same iteration, T used
 * nowhere else, the producer's inputs written neither by the reduction
 * nor between the two maps. In addition the reduction's tasklet must
 * write its one result with write-conflict resolution, and the reduction
 * may stand further down than the next state: in any later state of the
 * producer's block list, with only states between (typically the one
 * that fills the accumulator), none of which writes a producer input.
 * The fused computation then runs where the reduction ran, which is
 * sound because the producer writes nothing but T.
 */
#include "passes.h"

static const char *
rf_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	return pass_fusion_check(ctx, site, true);
}

static void
rf_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	pass_fusion_apply(ctx, site, true);
}

static void
rf_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_fusion_match(ctx, p, true, out);
}

const Xform xform_reduction_fusion = {
	.name = "reduction-fusion",
	.desc = "fuses a producer map into the reduction that alone reads its temporary, "
		"accumulating each element directly and removing the temporary",
	.nsites = 2,
	.params = NULL,
	.match = rf_match,
	.check = rf_check,
	.apply = rf_apply,
};
