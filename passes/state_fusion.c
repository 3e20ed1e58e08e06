/* passes/state_fusion.c — state fusion: two consecutive states become one.
 *
 * Between states the order is the block order; inside a state it is only
 * what the memlets say (codegen runs a state's nodes in a topological
 * order). So fusing states A; B (B directly after A in the same block
 * list) is legal when every ordering B relied on can be written as edges:
 *   - read after write: B reads X, A writes X. A writes X at exactly one
 *     access node W, at the top level (outside every map); B's access
 *     nodes of X (all top level) are merged into W, so B's readers run
 *     after every write of A. With several write nodes of X in A nothing
 *     says which runs last: refused.
 *   - write after read / write after write: B writes X that A reads or
 *     writes. Nothing would keep B's write after A's access: refused.
 * Reads of the same container in both states need no order; a top-level
 * access node of B that only reads a container A reads but does not write
 * joins A's top-level node of it. The fused state keeps A's name and its
 * nodes' ids; B's other nodes follow them, and B's block leaves the block
 * list.
 */
#include <string.h>

#include "passes.h"

typedef struct Pair {
	IrBlockList *list;
	int index;             /* of A; B is at index + 1 */
	IrState *a, *b;
} Pair;

static const char *
locate(Ctx *ctx, const XSite *site, Pair *P)
{
	IrBlockList *l1, *l2;
	int i1, i2;
	IrBlock *b1 = pass_find_block(site->p, site->names[0], &l1, &i1);
	IrBlock *b2 = pass_find_block(site->p, site->names[1], &l2, &i2);
	for (int k = 0; k < 2; k++) {
		IrBlock *b = k ? b2 : b1;
		if (!b || b->kind != CF_STATE)
			return arena_printf(ctx->arena, "'%s' is not a state", site->names[k]);
	}
	if (l1 != l2 || i2 != i1 + 1)
		return arena_printf(ctx->arena, "'%s' does not directly follow '%s' in the same "
				    "block list", site->names[1], site->names[0]);
	*P = (Pair){ l1, i1, b1->state, b2->state };
	return NULL;
}

static bool
writes_node(const IrState *s, int id)
{
	for (int i = 0; i < s->memlets.len; i++)
		if (s->memlets.data[i].dst == id)
			return true;
	return false;
}

/* How state s accesses container x: number of access nodes, and of those
 * written (with an incoming memlet); *w gets the last written one. */
static void
access_count(const IrState *s, const char *x, int *all, int *written, int *w)
{
	*all = *written = 0;
	*w = -1;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind != IRN_ACCESS || strcmp(n->access.data, x) != 0)
			continue;
		(*all)++;
		if (writes_node(s, i)) {
			(*written)++;
			*w = i;
		}
	}
}

/* The rules of the file comment for container x accessed at node `id` of B. */
static const char *
check_access(Ctx *ctx, const Pair *P, int id)
{
	const char *x = P->b->nodes.data[id].access.data;
	int all, written, w;
	access_count(P->a, x, &all, &written, &w);
	if (all == 0)
		return NULL;
	if (writes_node(P->b, id)) {
		if (written)
			return arena_printf(ctx->arena, "both states write '%s': in one state "
					    "nothing would order the two writes", x);
		return arena_printf(ctx->arena, "'%s' writes '%s', which '%s' reads: in one "
				    "state nothing would keep the write after the read",
				    P->b->name, x, P->a->name);
	}
	if (written == 0)
		return NULL;
	if (written > 1)
		return arena_printf(ctx->arena, "'%s' writes '%s' at %d access nodes: nothing "
				    "says which write the read in '%s' must follow", P->a->name,
				    x, written, P->b->name);
	if (ir_state_scope_of(P->a, w) >= 0 || ir_state_scope_of(P->b, id) >= 0)
		return arena_printf(ctx->arena, "'%s' is accessed inside a map; only top-level "
				    "access nodes can be joined", x);
	return NULL;
}

static const char *
sf_check(Ctx *ctx, const XSite *site, const XParams *params)
{
	Pair P;
	const char *why = locate(ctx, site, &P);
	for (int i = 0; !why && i < P.b->nodes.len; i++)
		if (P.b->nodes.data[i].kind == IRN_ACCESS)
			why = check_access(ctx, &P, i);
	return why;
}

/* A top-level access node of x in s, or -1. */
static int
top_access(const IrState *s, const char *x)
{
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_ACCESS && strcmp(n->access.data, x) == 0 &&
		    ir_state_scope_of(s, i) < 0)
			return i;
	}
	return -1;
}

/* Where node i of B lands in the fused state: the node of A that writes
 * its container; else, for a top-level node of B, a top-level node of A
 * reading the same container (neither state writes it, so both read the
 * same values); else a new node appended to A. B's memlets are appended
 * only after every node is placed, so the appended nodes never count as
 * written here. */
static int
place_node(Ctx *ctx, const Pair *P, int i, int first)
{
	IrNode n = P->b->nodes.data[i];
	if (n.kind == IRN_ACCESS) {
		int all, written, w;
		access_count(P->a, n.access.data, &all, &written, &w);
		if (written == 1)
			return w;
		w = top_access(P->a, n.access.data);
		if (written == 0 && w >= 0 && w < first && ir_state_scope_of(P->b, i) < 0)
			return w;
	}
	n.id = P->a->nodes.len;
	vec_push(ctx->arena, &P->a->nodes, n);
	return n.id;
}

static void
sf_apply(Ctx *ctx, const XSite *site, const XParams *params)
{
	Pair P;
	if (locate(ctx, site, &P))
		ICE("state-fusion applied where it does not apply");
	IrState *a = P.a, *b = P.b;
	int first = a->nodes.len;
	int *to = arena_alloc(ctx->arena, sizeof(int) * (size_t)(b->nodes.len + 1));
	for (int i = 0; i < b->nodes.len; i++)
		to[i] = place_node(ctx, &P, i, first);
	for (int i = first; i < a->nodes.len; i++) {
		IrNode *n = &a->nodes.data[i];
		if (n->kind == IRN_MAP_ENTRY)
			n->map.exit = to[n->map.exit];
		else if (n->kind == IRN_MAP_EXIT)
			n->mapexit.entry = to[n->mapexit.entry];
	}
	for (int i = 0; i < b->memlets.len; i++) {
		IrMemlet m = b->memlets.data[i];
		m.id = a->memlets.len;
		m.src = to[m.src];
		m.dst = to[m.dst];
		vec_push(ctx->arena, &a->memlets, m);
	}
	pass_block_remove(P.list, P.index + 1);
}

static void
sf_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_state_pairs(ctx, p, &xform_state_fusion, out);
}

const Xform xform_state_fusion = {
	.name = "state-fusion",
	.desc = "merges a state into the state before it, its reads of what the first "
		"writes becoming edges",
	.nsites = 2,
	.params = NULL,
	.match = sf_match,
	.check = sf_check,
	.apply = sf_apply,
};
