/* passes/layout.c — how transients are laid out and where they live:
 * array-layout (dimension permutation), padding (of the innermost rows),
 * transient-allocation (stack or heap) and transient-lifetime (a heap
 * array allocated in every call, or kept in the caller's handle).
 *
 * Sites. A container has no stable name of its own, so the three take as
 * site a map or a state that uses it, and the container itself in the
 * required parameter `array: NAME`. A map uses a container when a memlet
 * of its scope, of its entry or of its exit names it; a state when one of
 * its memlets or access nodes does. The site only anchors the container
 * in the source: the change is the container's, so every use of it in the
 * program follows. The matchers list each transient where the check
 * passes, at the first state that uses it, with `array: NAME` (the other
 * parameters take their defaults; pass_match_arrays).
 *
 * Only transients change: the layout and allocation of arguments and
 * returns belong to the caller (the C ABI passes row-major arrays).
 *
 * Why changing strides is sound. Subsets index containers logically; the
 * strides only say where element (i, j, ...) lives. Every access of the
 * OpenMP backend goes through them (cg_omp_linear, the views of matmul),
 * and an allocation that is not row-major covers 1 + the largest offset
 * (cg_omp_span). A permutation of the dimensions and padded rows keep
 * distinct elements at distinct offsets, so every program computes the
 * same values. The one reader that needs row-major arrays is a matmul
 * expanded with BLAS: a layout change of one of its operands is refused
 * (and library-expansion refuses BLAS on arrays that are not row-major).
 *
 * Stack arrays (STORAGE_STACK) are local arrays of the generated function,
 * of a size the IR knows as a constant; the arrays a kernel keeps on the
 * stack may take STACK_MAX bytes in all, counted as the backend allocates
 * them. A 0-d transient is always a scalar local: `stack` marks it
 * STORAGE_REGISTER and `heap` is refused.
 *
 * Lifetime (LIFETIME_HANDLE) only changes where the backend keeps a heap
 * array between calls: in a buffer of the handle the call is made with,
 * grown when a call needs more, instead of an allocation freed at the end
 * of the call. Values do not depend on it (a transient is written before
 * it is read in every call, as a fresh allocation requires); moving an
 * array to the stack gives it back the lifetime of a call.
 */
#include <string.h>

#include "passes.h"

enum {
	STACK_MAX = 64 * 1024,  /* bytes of stack arrays per kernel */
	PAD_ALIGN = 8,          /* default padding: rows to a multiple of this many elements */
	PAD_MAX = 4096,         /* largest explicit pad, in elements */
};

/* ---- the site and its container ---- */

/* A parameter's value as written: "[0, 0]", "3", "rows". */
static const char *
value_text(Ctx *ctx, const XParam *q)
{
	if (q->nint < 0 || (q->nint == 1 && q->str && q->str[0] != '['))
		return q->str ? q->str : "";
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_putc(&sb, '[');
	for (int k = 0; k < q->nint; k++)
		sb_printf(&sb, "%s%lld", k ? ", " : "", (long long)q->ints[k]);
	sb_putc(&sb, ']');
	return sb_str(&sb);
}

static bool
memlet_names(const IrMemlet *m, const char *arr)
{
	return m->data && strcmp(m->data, arr) == 0;
}

/* Does the map with entry r->entry use arr (its scope, entry or exit)? */
static bool
map_uses(Arena *a, const MapRef *r, const char *arr)
{
	const IrState *st = r->state;
	bool *in = ir_state_scope_members(a, st, r->entry);
	int exit = st->nodes.data[r->entry].map.exit;
	for (int i = 0; i < st->memlets.len; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		bool near = in[m->src] || in[m->dst] || m->src == r->entry || m->dst == r->entry ||
			    m->src == exit || m->dst == exit;
		if (near && memlet_names(m, arr))
			return true;
	}
	return false;
}

static bool
state_uses(const IrState *st, const char *arr)
{
	for (int i = 0; i < st->memlets.len; i++)
		if (memlet_names(&st->memlets.data[i], arr))
			return true;
	for (int i = 0; i < st->nodes.len; i++) {
		const IrNode *n = &st->nodes.data[i];
		if (n->kind == IRN_ACCESS && strcmp(n->access.data, arr) == 0)
			return true;
	}
	return false;
}

/* NULL when the site (a map or a state) uses arr, else why not. */
static const char *
site_uses(Ctx *ctx, const XSite *site, const char *arr)
{
	const char *name = site->names[0];
	MapRef r;
	if (pass_find_map(site->p, name, &r)) {
		if (!map_uses(ctx->arena, &r, arr))
			return arena_printf(ctx->arena, "'%s' is not used by %s", arr, name);
		return NULL;
	}
	IrBlock *b = pass_find_block(site->p, name, NULL, NULL);
	if (!b || b->kind != CF_STATE)
		return arena_printf(ctx->arena, "'%s' is not a map or a state (the site is a map "
				    "or state that uses the array)", name);
	if (!state_uses(b->state, arr))
		return arena_printf(ctx->arena, "'%s' is not used in %s", arr, name);
	return NULL;
}

/* The transient named by `array`, used at the site; NULL with *why set
 * otherwise. `what` is what belongs to the caller ("layout"). */
static IrContainer *
site_transient(Ctx *ctx, const XSite *site, const XParams *ps, const char *what,
	       const char **why)
{
	const XParam *q = pass_param(ps, "array");
	if (!q) {
		*why = "the 'array' parameter is required: the container to change, used at the site";
		return NULL;
	}
	IrContainer *c = q->nint < 0 ? ir_program_find_container(site->p, q->str) : NULL;
	if (!c) {
		*why = arena_printf(ctx->arena, "'%s' is not a container of %s", value_text(ctx, q),
				    site->p->name);
		return NULL;
	}
	if ((*why = site_uses(ctx, site, c->name)))
		return NULL;
	if (c->role != ROLE_TRANSIENT) {
		*why = arena_printf(ctx->arena, "'%s' is %s of %s: its %s belongs to the caller",
				    c->name, c->role == ROLE_ARGUMENT ? "an argument" : "a return value",
				    site->p->name, what);
		return NULL;
	}
	if (c->storage == STORAGE_DEVICE) {
		*why = arena_printf(ctx->arena, "'%s' lives on the device", c->name);
		return NULL;
	}
	return c;
}

typedef struct BlasUse {
	const char *arr;
	const char *state;     /* where a BLAS matmul uses arr; NULL if none */
} BlasUse;

static void
blas_in_state(IrState *st, IrBlock *b, void *ud)
{
	BlasUse *u = ud;
	for (int i = 0; i < st->memlets.len && !u->state; i++) {
		const IrMemlet *m = &st->memlets.data[i];
		if (!memlet_names(m, u->arr))
			continue;
		for (int k = 0; k < 2; k++) {
			const IrNode *n = &st->nodes.data[k ? m->dst : m->src];
			if (n->kind == IRN_LIBRARY && n->lib.impl && strcmp(n->lib.impl, "blas") == 0)
				u->state = st->name;
		}
	}
}

/* NULL unless c is an operand or the output of a matmul expanded with
 * BLAS, which needs row-major arrays: then why. */
static const char *
blas_refusal(Ctx *ctx, IrProgram *p, const IrContainer *c)
{
	BlasUse u = { c->name, NULL };
	pass_foreach_state(p, blas_in_state, &u);
	if (!u.state)
		return NULL;
	return arena_printf(ctx->arena, "'%s' is used by a matmul expanded with BLAS in %s, "
			    "which needs row-major arrays", c->name, u.state);
}

/* ---- sizes ---- */

/* The number of elements the backend allocates for c with strides st
 * (as cg_omp_span: the product of the shape when row-major, else 1 + the
 * largest offset), when it is a constant that fits int64. */
static bool
const_span(Arena *a, const IrContainer *c, Sym **st, int64_t *out)
{
	IrContainer k = *c;
	k.strides = st;
	bool rm = pass_container_row_major(a, &k);
	int64_t v = 1;
	for (int d = 0; d < c->ndim; d++) {
		int64_t n, s, t;
		if (!sym_is_const(c->shape[d], &n) || !sym_is_const(st[d], &s))
			return false;
		if (rm && __builtin_mul_overflow(v, n < 0 ? 0 : n, &v))
			return false;
		if (!rm && (s < 0 || __builtin_mul_overflow(n > 0 ? n - 1 : 0, s, &t) ||
			    __builtin_add_overflow(v, t, &v)))
			return false;
	}
	*out = v < 0 ? 0 : v;
	return true;
}

/* Bytes of the stack arrays of p other than `skip`. */
static int64_t
stack_bytes(Arena *a, const IrProgram *p, const IrContainer *skip)
{
	int64_t total = 0, n;
	for (int i = 0; i < p->containers.len; i++) {
		const IrContainer *c = &p->containers.data[i];
		if (c == skip || c->storage != STORAGE_STACK || c->ndim == 0)
			continue;
		if (const_span(a, c, c->strides, &n) && n <= STACK_MAX)
			total += n * dtype_size(c->dtype);
		else
			total += STACK_MAX + 1;
	}
	return total;
}

/* NULL if c, with strides st, fits on the stack of p next to the other
 * stack arrays; else why not. */
static const char *
stack_refusal(Ctx *ctx, const IrProgram *p, const IrContainer *c, Sym **st)
{
	Arena *a = ctx->arena;
	int64_t n, others = stack_bytes(a, p, c);
	if (!const_span(a, c, st, &n)) {
		Sym *size = sym_const(a, 1);
		for (int d = 0; d < c->ndim; d++)
			size = sym_mul(a, size, c->shape[d]);
		return arena_printf(a, "the size of '%s' (%s elements) is not a constant: only "
				    "arrays of constant size live on the stack", c->name,
				    sym_print(a, size));
	}
	int64_t bytes;
	if (__builtin_mul_overflow(n, (int64_t)dtype_size(c->dtype), &bytes) || bytes > STACK_MAX)
		return arena_printf(a, "'%s' takes more than %d bytes, the most a kernel may keep "
				    "on the stack (64 KiB)", c->name, STACK_MAX);
	if (bytes + others > STACK_MAX)
		return arena_printf(a, "'%s' takes %lld bytes and the other stack arrays of %s %lld: "
				    "more than %d bytes, the most a kernel may keep on the stack "
				    "(64 KiB)", c->name, (long long)bytes, p->name,
				    (long long)others, STACK_MAX);
	return NULL;
}

/* ---- array-layout ---- */

static const char *const layout_params[] = { "array", "order", NULL };

/* The permutation of `order` (outermost dimension first); the reversed
 * dimensions when absent. False with *why on a bad value. */
static bool
order_of(Ctx *ctx, const IrContainer *c, const XParams *ps, int *order, const char **why)
{
	const XParam *q = pass_param(ps, "order");
	for (int d = 0; d < c->ndim; d++)
		order[d] = c->ndim - 1 - d;
	if (!q)
		return true;
	bool seen[XPARAM_MAXV] = { false };
	bool ok = q->nint == c->ndim;
	for (int k = 0; ok && k < q->nint; k++) {
		int64_t d = q->ints[k];
		ok = d >= 0 && d < c->ndim && !seen[d];
		if (ok) {
			seen[d] = true;
			order[k] = (int)d;
		}
	}
	if (!ok)
		*why = arena_printf(ctx->arena, "order must list the %d dimension%s of '%s' once "
				    "each, outermost first (a permutation of 0..%d), not %s", c->ndim,
				    c->ndim == 1 ? "" : "s", c->name, c->ndim - 1, value_text(ctx, q));
	return ok;
}

/* Strides that lay out the dimensions of c in `order`, densely. */
static Sym **
permuted_strides(Arena *a, const IrContainer *c, const int *order)
{
	Sym **st = arena_alloc(a, sizeof(Sym *) * (size_t)c->ndim);
	Sym *acc = sym_const(a, 1);
	for (int k = c->ndim - 1; k >= 0; k--) {
		st[order[k]] = acc;
		acc = sym_mul(a, acc, c->shape[order[k]]);
	}
	return st;
}

/* The container and its new strides; NULL with *why otherwise. */
static IrContainer *
layout_plan(Ctx *ctx, const XSite *site, const XParams *ps, Sym ***st, const char **why)
{
	IrContainer *c = site_transient(ctx, site, ps, "layout", why);
	if (!c)
		return NULL;
	if (c->ndim == 0) {
		*why = arena_printf(ctx->arena, "'%s' is a scalar: it has no layout", c->name);
		return NULL;
	}
	int *order = arena_alloc(ctx->arena, sizeof(int) * (size_t)c->ndim);
	if (!order_of(ctx, c, ps, order, why) || (*why = blas_refusal(ctx, site->p, c)))
		return NULL;
	*st = permuted_strides(ctx->arena, c, order);
	if (c->storage == STORAGE_STACK && (*why = stack_refusal(ctx, site->p, c, *st)))
		return NULL;
	return c;
}

static const char *
layout_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	const char *why = NULL;
	Sym **st;
	return layout_plan(ctx, site, ps, &st, &why) ? NULL : why;
}

static void
layout_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	const char *why = NULL;
	Sym **st;
	IrContainer *c = layout_plan(ctx, site, ps, &st, &why);
	if (!c)
		ICE("array-layout applied where check refuses: %s", why);
	c->strides = st;
}

static void
layout_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_arrays(ctx, p, &xform_array_layout, out);
}

const Xform xform_array_layout = {
	.name = "array-layout",
	.desc = "lays out the dimensions of a transient in another order, e.g. column-major "
		"(array: NAME, order: [1, 0]; at a map or state using it)",
	.nsites = 1,
	.params = layout_params,
	.match = layout_match,
	.check = layout_check,
	.apply = layout_apply,
};

/* ---- padding ---- */

static const char *const padding_params[] = { "array", "pad", NULL };

/* The padded length of the innermost rows of c (extent M): M + pad, or
 * by default M rounded up to a multiple of PAD_ALIGN. NULL with *why. */
static Sym *
padded_row(Ctx *ctx, const IrContainer *c, const XParams *ps, const char **why)
{
	Arena *a = ctx->arena;
	Sym *m = c->shape[c->ndim - 1];
	const XParam *q = pass_param(ps, "pad");
	int64_t pad, mv;
	if (q) {
		if (q->nint != 1 || q->ints[0] < 1 || q->ints[0] > PAD_MAX) {
			*why = arena_printf(a, "pad must be a number of elements from 1 to %d, not %s",
					    PAD_MAX, value_text(ctx, q));
			return NULL;
		}
		return sym_addc(a, m, q->ints[0]);
	}
	if (!sym_is_const(m, &mv))
		return sym_mul(a, sym_const(a, PAD_ALIGN),
			       sym_floordiv(a, sym_addc(a, m, PAD_ALIGN - 1), sym_const(a, PAD_ALIGN)));
	pad = (PAD_ALIGN - mv % PAD_ALIGN) % PAD_ALIGN;
	if (pad == 0) {
		*why = arena_printf(a, "the rows of '%s' already hold a multiple of %d elements "
				    "(give pad: K to pad them anyway)", c->name, PAD_ALIGN);
		return NULL;
	}
	return sym_addc(a, m, pad);
}

/* "[1, N]" */
static const char *
strides_text(Arena *a, const IrContainer *c)
{
	StrBuf sb;
	sb_init(&sb, a);
	sb_putc(&sb, '[');
	for (int d = 0; d < c->ndim; d++)
		sb_printf(&sb, "%s%s", d ? ", " : "", sym_print(a, c->strides[d]));
	sb_putc(&sb, ']');
	return sb_str(&sb);
}

/* Row-major strides of c over rows of `row` elements. */
static Sym **
padded_strides(Arena *a, const IrContainer *c, Sym *row)
{
	Sym **shape = arena_alloc(a, sizeof(Sym *) * (size_t)c->ndim);
	memcpy(shape, c->shape, sizeof(Sym *) * (size_t)c->ndim);
	shape[c->ndim - 1] = row;
	return ir_strides_row_major(a, c->ndim, shape);
}

static IrContainer *
padding_plan(Ctx *ctx, const XSite *site, const XParams *ps, Sym ***st, const char **why)
{
	Arena *a = ctx->arena;
	IrContainer *c = site_transient(ctx, site, ps, "layout", why);
	if (!c)
		return NULL;
	if (c->ndim < 2) {
		*why = arena_printf(a, "'%s' is %s: it has a single row, nothing to pad", c->name,
				    c->ndim == 0 ? "a scalar" : "1-D");
		return NULL;
	}
	if (!pass_container_row_major(a, c)) {
		*why = arena_printf(a, "'%s' is not laid out row-major (strides %s): only "
				    "row-major arrays are padded", c->name, strides_text(a, c));
		return NULL;
	}
	Sym *row = padded_row(ctx, c, ps, why);
	if (!row || (*why = blas_refusal(ctx, site->p, c)))
		return NULL;
	*st = padded_strides(a, c, row);
	if (c->storage == STORAGE_STACK && (*why = stack_refusal(ctx, site->p, c, *st)))
		return NULL;
	return c;
}

static const char *
padding_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	const char *why = NULL;
	Sym **st;
	return padding_plan(ctx, site, ps, &st, &why) ? NULL : why;
}

static void
padding_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	const char *why = NULL;
	Sym **st;
	IrContainer *c = padding_plan(ctx, site, ps, &st, &why);
	if (!c)
		ICE("padding applied where check refuses: %s", why);
	c->strides = st;
}

static void
padding_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_arrays(ctx, p, &xform_padding, out);
}

const Xform xform_padding = {
	.name = "padding",
	.desc = "pads the innermost rows of a row-major transient, by default to a multiple of "
		"8 elements (array: NAME, pad: K; at a map or state using it)",
	.nsites = 1,
	.params = padding_params,
	.match = padding_match,
	.check = padding_check,
	.apply = padding_apply,
};

/* ---- transient-allocation ---- */

static const char *const allocation_params[] = { "array", "storage", NULL };

/* The storage c gets for `storage` (stack by default); NULL on success,
 * else why not. */
static const char *
allocation_plan(Ctx *ctx, const XSite *site, const XParams *ps, IrContainer **cp,
		Storage *out)
{
	const char *why = NULL;
	const XParam *q = pass_param(ps, "storage");
	bool stack = !q || (q->nint < 0 && strcmp(q->str, "stack") == 0);
	if (q && !stack && !(q->nint < 0 && strcmp(q->str, "heap") == 0))
		return arena_printf(ctx->arena, "storage must be 'stack' or 'heap', not '%s'",
				    q->str ? q->str : "");
	IrContainer *c = site_transient(ctx, site, ps, "allocation", &why);
	if (!c)
		return why;
	*cp = c;
	if (c->ndim == 0) {
		*out = STORAGE_REGISTER;
		return stack ? NULL : arena_printf(ctx->arena, "'%s' is a scalar, always a local "
						   "variable: it is never on the heap", c->name);
	}
	*out = stack ? STORAGE_STACK : STORAGE_HOST;
	return stack ? stack_refusal(ctx, site->p, c, c->strides) : NULL;
}

static const char *
allocation_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	IrContainer *c;
	Storage s;
	return allocation_plan(ctx, site, ps, &c, &s);
}

static void
allocation_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	IrContainer *c;
	Storage s;
	const char *why = allocation_plan(ctx, site, ps, &c, &s);
	if (why)
		ICE("transient-allocation applied where check refuses: %s", why);
	c->storage = s;
	if (s != STORAGE_HOST)
		c->lifetime = LIFETIME_CALL;
}

static void
allocation_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_arrays(ctx, p, &xform_transient_allocation, out);
}

const Xform xform_transient_allocation = {
	.name = "transient-allocation",
	.desc = "keeps a transient on the stack (constant size, at most 64 KiB per kernel) "
		"or on the heap (array: NAME, storage: stack|heap; at a map or state using it)",
	.nsites = 1,
	.params = allocation_params,
	.match = allocation_match,
	.check = allocation_check,
	.apply = allocation_apply,
};

/* ---- transient-lifetime ---- */

static const char *const lifetime_params[] = { "array", "lifetime", NULL };

/* The lifetime c gets for `lifetime` (handle by default); NULL on
 * success, else why not. */
static const char *
lifetime_plan(Ctx *ctx, const XSite *site, const XParams *ps, IrContainer **cp,
	      Lifetime *out)
{
	const char *why = NULL;
	const XParam *q = pass_param(ps, "lifetime");
	*out = LIFETIME_HANDLE;
	if (q && (q->nint >= 0 || !ir_lifetime_from_name(q->str, out)))
		return arena_printf(ctx->arena, "lifetime must be 'call' or 'handle', not '%s'",
				    value_text(ctx, q));
	IrContainer *c = site_transient(ctx, site, ps, "allocation", &why);
	if (!c)
		return why;
	*cp = c;
	if (c->ndim == 0)
		return arena_printf(ctx->arena, "'%s' is a scalar, a local variable of every "
				    "call: it has no allocation to keep", c->name);
	if (c->storage != STORAGE_HOST)
		return arena_printf(ctx->arena, "'%s' is on the %s, which lives for one call "
				    "(move it to the heap first: transient-allocation with "
				    "storage: heap)", c->name, ir_storage_name(c->storage));
	if (c->lifetime == *out)
		return arena_printf(ctx->arena, "'%s' already has lifetime '%s'", c->name,
				    ir_lifetime_name(*out));
	return NULL;
}

static const char *
lifetime_check(Ctx *ctx, const XSite *site, const XParams *ps)
{
	IrContainer *c;
	Lifetime l;
	return lifetime_plan(ctx, site, ps, &c, &l);
}

static void
lifetime_apply(Ctx *ctx, const XSite *site, const XParams *ps)
{
	IrContainer *c;
	Lifetime l;
	const char *why = lifetime_plan(ctx, site, ps, &c, &l);
	if (why)
		ICE("transient-lifetime applied where check refuses: %s", why);
	c->lifetime = l;
}

static void
lifetime_match(Ctx *ctx, IrProgram *p, XSiteList *out)
{
	pass_match_arrays(ctx, p, &xform_transient_lifetime, out);
}

const Xform xform_transient_lifetime = {
	.name = "transient-lifetime",
	.desc = "keeps a heap transient's buffer in the caller's handle, reused across calls, "
		"or allocates it in every call (array: NAME, lifetime: handle|call; at a map or "
		"state using it)",
	.nsites = 1,
	.params = lifetime_params,
	.match = lifetime_match,
	.check = lifetime_check,
	.apply = lifetime_apply,
};
