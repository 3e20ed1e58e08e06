/* passes/xform.c — the catalogue of transformations, site lookup, and
 * pass_apply: check, apply, verify, record.
 *
 * Every transformation lives in a file of its own and is listed in
 * catalogue[] below, in the order `dfc transform --list` prints them.
 * The small helpers they share (names, connectors, map references) are
 * here too, so that no pass restates them.
 */
#include <string.h>

#include "passes.h"

static const Xform *const catalogue[] = {
	&xform_map_interchange, &xform_stride_interchange, &xform_map_collapse, &xform_map_expansion,
	&xform_map_tiling, &xform_strip_mining, &xform_transpose_tiling,
	&xform_library_expansion, &xform_map_schedule,
	&xform_state_fusion, &xform_dead_dataflow, &xform_map_fusion,
	&xform_array_layout, &xform_padding, &xform_transient_allocation,
	&xform_transient_lifetime,
	&xform_copy_removal,
	&xform_horizontal_fusion, &xform_outer_fusion, &xform_map_peeling,
	&xform_loop_to_map, &xform_loop_parallel,
	&xform_reduction,
	&xform_constant_propagation, &xform_tasklet_fusion,
	&xform_reduction_fusion, &xform_reduction_into_producer, &xform_otf_fusion, &xform_vectorize,
	&xform_scalar_to_symbol,
	&xform_matmul_scaling, &xform_matvec_fusion, &xform_loop_to_matmul, &xform_rank_update_to_matmul,
	&xform_sweep_blocking, &xform_loop_blocking, &xform_run_blocking, &xform_transposed_copy, &xform_unroll_jam,
	NULL,
};

const Xform *const *
pass_catalogue(int *n)
{
	int k = 0;
	while (catalogue[k])
		k++;
	*n = k;
	return catalogue;
}

const Xform *
pass_find(const char *name)
{
	for (int i = 0; catalogue[i]; i++)
		if (strcmp(catalogue[i]->name, name) == 0)
			return catalogue[i];
	return NULL;
}

const XParam *
pass_param(const XParams *params, const char *key)
{
	for (int i = 0; params && i < params->n; i++)
		if (strcmp(params->p[i].key, key) == 0)
			return &params->p[i];
	return NULL;
}

/* ---- site lookup ---- */

void
pass_foreach_state(IrProgram *p, void (*f)(IrState *s, IrBlock *b, void *ud), void *ud)
{
	ir_foreach_state(&p->body, f, ud);
}

typedef struct MapFind {
	const char *label;
	MapRef *out;
	bool found;
} MapFind;

static void
find_map_in(IrState *s, IrBlock *b, void *ud)
{
	MapFind *mf = ud;
	for (int i = 0; i < s->nodes.len && !mf->found; i++) {
		IrNode *n = &s->nodes.data[i];
		if (n->kind == IRN_MAP_ENTRY && n->label && strcmp(n->label, mf->label) == 0) {
			*mf->out = (MapRef){ s, i, b };
			mf->found = true;
		}
	}
}

bool
pass_find_map(IrProgram *p, const char *label, MapRef *out)
{
	MapFind mf = { label, out, false };
	pass_foreach_state(p, find_map_in, &mf);
	return mf.found;
}

static IrBlock *
find_block_in(IrBlockList *l, const char *name, IrBlockList **list, int *index)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i], *r = NULL;
		if (b->name && strcmp(b->name, name) == 0) {
			*list = l;
			*index = i;
			return b;
		}
		if (b->kind == CF_FOR)
			r = find_block_in(&b->loop.body, name, list, index);
		else if (b->kind == CF_WHILE)
			r = find_block_in(&b->wloop.body, name, list, index);
		else if (b->kind == CF_IF) {
			for (int k = 0; !r && k < b->branch.n; k++)
				r = find_block_in(&b->branch.bodies[k], name, list, index);
			if (!r)
				r = find_block_in(&b->branch.orelse, name, list, index);
		}
		if (r)
			return r;
	}
	return NULL;
}

IrBlock *
pass_find_block(IrProgram *p, const char *name, IrBlockList **list, int *index)
{
	IrBlockList *l;
	int i;
	return find_block_in(&p->body, name, list ? list : &l, index ? index : &i);
}

static void
match_runs_in(Ctx *ctx, IrProgram *p, const Xform *x, const RunMatch *rm, IrBlockList *l,
	      XSiteList *out)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		if (b->kind == CF_FOR && (rm->in_parallel || !b->loop.parallel))
			match_runs_in(ctx, p, x, rm, &b->loop.body, out);
		else if (b->kind == CF_WHILE)
			match_runs_in(ctx, p, x, rm, &b->wloop.body, out);
		else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n; k++)
				match_runs_in(ctx, p, x, rm, &b->branch.bodies[k], out);
			match_runs_in(ctx, p, x, rm, &b->branch.orelse, out);
		}
	}
	for (int i = 0; i < l->len;) {
		int best = -1;
		for (int j = i; j < l->len && j < i + rm->max; j++) {
			if (l->data[j]->kind != CF_STATE ||
			    (rm->state_ok && !rm->state_ok(ctx, l->data[j]->state)))
				break;
			XSite s = { .p = p, .n = 2, .names = { l->data[i]->name, l->data[j]->name } };
			if (!x->check(ctx, &s, &s.params))
				best = j;
		}
		if (best < 0) {
			i++;
			continue;
		}
		XSite s = { .p = p, .n = 2, .names = { l->data[i]->name, l->data[best]->name } };
		vec_push(ctx->arena, out, s);
		i = best + 1;
	}
}

void
pass_match_runs(Ctx *ctx, IrProgram *p, const Xform *x, const RunMatch *rm, XSiteList *out)
{
	match_runs_in(ctx, p, x, rm, &p->body, out);
}

const char *
pass_find_run(Ctx *ctx, const XSite *site, IrBlockList **list, int *first, int *last)
{
	Arena *a = ctx->arena;
	IrBlockList *second;
	if (site->n != 2)
		return "expected two states: the first and the last of the run";
	IrBlock *b = pass_find_block(site->p, site->names[0], list, first);
	if (!b || b->kind != CF_STATE)
		return arena_printf(a, "'%s' is not a state", site->names[0]);
	b = pass_find_block(site->p, site->names[1], &second, last);
	if (!b || b->kind != CF_STATE)
		return arena_printf(a, "'%s' is not a state", site->names[1]);
	if (second != *list)
		return arena_printf(a, "'%s' and '%s' are not in one block list", site->names[0],
				    site->names[1]);
	if (*last < *first)
		return arena_printf(a, "'%s' comes before '%s'", site->names[1], site->names[0]);
	for (int i = *first; i <= *last; i++)
		if ((*list)->data[i]->kind != CF_STATE)
			return arena_printf(a, "'%s' stands between '%s' and '%s' and is not a "
					    "state", (*list)->data[i]->name, site->names[0],
					    site->names[1]);
	return NULL;
}

static bool
has_site(IrProgram *p, const char *name)
{
	MapRef r;
	return pass_find_map(p, name, &r) || pass_find_block(p, name, NULL, NULL);
}

IrProgram *
pass_resolve(Ctx *ctx, IrModule *m, const char *name, const char **local, const char **why)
{
	const char *slash = strchr(name, '/');
	IrProgram *found = NULL, *other = NULL;
	const char *site = slash ? slash + 1 : name;
	for (int i = 0; i < m->programs.len; i++) {
		IrProgram *p = m->programs.data[i];
		if (slash && (strlen(p->name) != (size_t)(slash - name) ||
			      strncmp(p->name, name, (size_t)(slash - name)) != 0))
			continue;
		if (!has_site(p, site))
			continue;
		if (found)
			other = p;
		else
			found = p;
	}
	*local = site;
	if (!found) {
		*why = arena_printf(ctx->arena, "no map, loop or state is named '%s'%s", name,
				    slash ? "" : " (run 'dfc match' to list the sites)");
		return NULL;
	}
	if (other) {
		*why = arena_printf(ctx->arena, "'%s' names a site in kernels '%s' and '%s'; "
				    "write '%s/%s'", name, found->name, other->name, found->name, site);
		return NULL;
	}
	return found;
}

/* ---- shared matchers ---- */

typedef struct MapMatch {
	Ctx *ctx;
	IrProgram *p;
	const Xform *x;
	XSiteList *out;
} MapMatch;

static void
match_maps_in(IrState *s, IrBlock *b, void *ud)
{
	MapMatch *mm = ud;
	for (int i = 0; i < s->nodes.len; i++) {
		const IrNode *n = &s->nodes.data[i];
		if (n->kind != IRN_MAP_ENTRY || !n->label)
			continue;
		XSite site = { .p = mm->p, .n = 1, .names = { n->label } };
		if (!mm->x->check(mm->ctx, &site, NULL))
			vec_push(mm->ctx->arena, mm->out, site);
	}
}

void
pass_match_maps(Ctx *ctx, IrProgram *p, const Xform *x, XSiteList *out)
{
	MapMatch mm = { ctx, p, x, out };
	pass_foreach_state(p, match_maps_in, &mm);
}

static void
match_loops_in(Ctx *ctx, IrProgram *p, const Xform *x, const XParams *alt, IrBlockList *l,
	       XSiteList *out)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		if (b->kind == CF_FOR && b->name) {
			XSite site = { .p = p, .n = 1, .names = { b->name } };
			if (!x->check(ctx, &site, NULL)) {
				vec_push(ctx->arena, out, site);
			} else if (alt && !x->check(ctx, &site, alt)) {
				site.params = *alt;
				vec_push(ctx->arena, out, site);
			}
			match_loops_in(ctx, p, x, alt, &b->loop.body, out);
		} else if (b->kind == CF_WHILE) {
			match_loops_in(ctx, p, x, alt, &b->wloop.body, out);
		} else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n; k++)
				match_loops_in(ctx, p, x, alt, &b->branch.bodies[k], out);
			match_loops_in(ctx, p, x, alt, &b->branch.orelse, out);
		}
	}
}

void
pass_match_loops(Ctx *ctx, IrProgram *p, const Xform *x, const XParams *alt, XSiteList *out)
{
	match_loops_in(ctx, p, x, alt, &p->body, out);
}

const char *
pass_first_in_body(Ctx *ctx, const IrBlockList *body, bool (*pick)(const IrBlock *b),
		   const char *(*attempt)(Ctx *ctx, int k, void *ud), void *ud, const char *none,
		   const char *what)
{
	const char *why = NULL, *all = NULL;
	int n = 0;
	for (int k = 0; k < body->len; k++) {
		if (!pick(body->data[k]))
			continue;
		why = attempt(ctx, k, ud);
		if (!why)
			return NULL;
		all = arena_printf(ctx->arena, "%s%s%s: %s", all ? all : "", all ? "; " : "",
				   body->data[k]->name, why);
		n++;
	}
	if (n == 0)
		return none;
	return n == 1 ? why : arena_printf(ctx->arena, "none of its %d %s (%s)", n, what, all);
}

static void
match_pairs_in(Ctx *ctx, IrProgram *p, const Xform *x, IrBlockList *l, XSiteList *out)
{
	for (int i = 0; i < l->len; i++) {
		IrBlock *b = l->data[i];
		if (b->kind == CF_FOR)
			match_pairs_in(ctx, p, x, &b->loop.body, out);
		else if (b->kind == CF_WHILE)
			match_pairs_in(ctx, p, x, &b->wloop.body, out);
		else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n; k++)
				match_pairs_in(ctx, p, x, &b->branch.bodies[k], out);
			match_pairs_in(ctx, p, x, &b->branch.orelse, out);
		}
		if (i + 1 == l->len || b->kind != CF_STATE || l->data[i + 1]->kind != CF_STATE)
			continue;
		XSite site = { .p = p, .n = 2, .names = { b->name, l->data[i + 1]->name } };
		if (!x->check(ctx, &site, NULL))
			vec_push(ctx->arena, out, site);
	}
}

void
pass_match_state_pairs(Ctx *ctx, IrProgram *p, const Xform *x, XSiteList *out)
{
	match_pairs_in(ctx, p, x, &p->body, out);
}

void
pass_block_remove(IrBlockList *l, int i)
{
	for (; i + 1 < l->len; i++)
		l->data[i] = l->data[i + 1];
	l->len--;
}

typedef struct FirstUse {
	const char *data;
	const char *state;      /* the first state naming data; NULL if none */
} FirstUse;

static void
first_use_in(IrState *s, IrBlock *b, void *ud)
{
	FirstUse *fu = ud;
	for (int i = 0; i < s->nodes.len && !fu->state; i++)
		if (s->nodes.data[i].kind == IRN_ACCESS &&
		    strcmp(s->nodes.data[i].access.data, fu->data) == 0)
			fu->state = s->name;
	for (int i = 0; i < s->memlets.len && !fu->state; i++)
		if (s->memlets.data[i].data && strcmp(s->memlets.data[i].data, fu->data) == 0)
			fu->state = s->name;
}

void
pass_match_arrays(Ctx *ctx, IrProgram *p, const Xform *x, XSiteList *out)
{
	for (int i = 0; i < p->containers.len; i++) {
		const IrContainer *c = &p->containers.data[i];
		FirstUse fu = { c->name, NULL };
		if (c->role != ROLE_TRANSIENT)
			continue;
		pass_foreach_state(p, first_use_in, &fu);
		if (!fu.state)
			continue;
		XParam *q = arena_alloc(ctx->arena, sizeof(XParam));
		*q = (XParam){ .key = "array", .nint = -1, .str = c->name, .loc = c->loc };
		XSite site = { p, 1, { fu.state }, { 1, q } };
		if (!x->check(ctx, &site, &site.params))
			vec_push(ctx->arena, out, site);
	}
}

/* ---- small helpers the transformations share ---- */

bool
pass_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Is name a block's stable name, a map's label or parameter, or a loop
 * or assigned variable somewhere in l? */
static bool
name_in_blocks(const IrBlockList *l, const char *name)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		if (pass_streq(b->name, name))
			return true;
		if (b->kind == CF_STATE) {
			const IrState *s = b->state;
			for (int k = 0; k < s->nodes.len; k++) {
				const IrNode *n = &s->nodes.data[k];
				if (n->kind != IRN_MAP_ENTRY)
					continue;
				if (pass_streq(n->label, name))
					return true;
				for (int j = 0; j < n->map.nparams; j++)
					if (pass_streq(n->map.params[j], name))
						return true;
			}
		} else if (b->kind == CF_FOR) {
			if (pass_streq(b->loop.var, name) || name_in_blocks(&b->loop.body, name))
				return true;
		} else if (b->kind == CF_WHILE) {
			if (name_in_blocks(&b->wloop.body, name))
				return true;
		} else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n; k++)
				if (name_in_blocks(&b->branch.bodies[k], name))
					return true;
			if (name_in_blocks(&b->branch.orelse, name))
				return true;
		} else if (b->kind == CF_ASSIGN && pass_streq(b->assign.sym, name))
			return true;
	}
	return false;
}

const char *
pass_fresh_name(Ctx *ctx, const IrProgram *p, const char *base)
{
	const char *n = base;
	for (int i = 2; ir_is_c_keyword(n) || ir_program_has_symbol(p, n) ||
	     ir_program_find_container(p, n) || name_in_blocks(&p->body, n); i++)
		n = arena_printf(ctx->arena, "%s_%d", base, i);
	return n;
}

typedef struct Foreign {
	const IrProgram *p;
	const char *const *allowed;
	int n;
	const char *hit;
} Foreign;

static void
foreign_var(const char *name, void *ud)
{
	Foreign *f = ud;
	if (f->hit || ir_program_has_symbol(f->p, name))
		return;
	for (int i = 0; i < f->n; i++)
		if (pass_streq(name, f->allowed[i]))
			return;
	f->hit = name;
}

const char *
pass_sym_foreign(const IrProgram *p, const Sym *s, const char *const *allowed, int n)
{
	Foreign f = { p, allowed, n, NULL };
	if (s)
		sym_foreach_var(s, foreign_var, &f);
	return f.hit;
}

bool
pass_in_names(const char *const *v, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (pass_streq(v[i], s))
			return true;
	return false;
}

const char *
pass_bool_param(Ctx *ctx, const XParams *params, const char *key, bool dflt, bool *on)
{
	const XParam *q = pass_param(params, key);
	*on = dflt;
	if (!q)
		return NULL;
	if (q->nint < 0 && (pass_streq(q->str, "true") || pass_streq(q->str, "false"))) {
		*on = pass_streq(q->str, "true");
		return NULL;
	}
	return arena_printf(ctx->arena, "%s must be true or false", key);
}

const char *
pass_conn_suffix(const char *conn, const char *prefix)
{
	size_t k = strlen(prefix);
	return conn && strncmp(conn, prefix, k) == 0 ? conn + k : NULL;
}

IrNode *
pass_map_entry(const MapRef *m)
{
	return &m->state->nodes.data[m->entry];
}

const char *
pass_map_label(const MapRef *m)
{
	return pass_map_entry(m)->label;
}

IrState *
pass_site_state(const XSite *site)
{
	IrBlock *b = pass_find_block(site->p, site->names[0], NULL, NULL);
	return b && b->kind == CF_STATE ? b->state : NULL;
}

bool
pass_node_computes(const IrNode *n)
{
	return n->kind == IRN_TASKLET || n->kind == IRN_LIBRARY;
}

bool
pass_container_row_major(Arena *a, const IrContainer *c)
{
	Sym **rm = ir_strides_row_major(a, c->ndim, c->shape);
	for (int d = 0; d < c->ndim; d++)
		if (!sym_equal(rm[d], c->strides[d]))
			return false;
	return true;
}

bool
pass_sym_is_one(const Sym *s)
{
	int64_t v;
	return sym_is_const(s, &v) && v == 1;
}

bool
pass_range_is_index(Arena *a, const SymRange *r)
{
	int64_t st;
	return sym_is_const(r->step, &st) && st == 1 &&
	       sym_equal(r->end, sym_addc(a, r->begin, 1));
}

const IrMemlet *
pass_data_memlet_into(const IrState *s, int node, const char *conn)
{
	for (int i = 0; i < s->memlets.len; i++) {
		const IrMemlet *m = &s->memlets.data[i];
		if (m->data && m->dst == node && pass_streq(m->dst_conn, conn))
			return m;
	}
	return NULL;
}

/* ---- applying ---- */

static const char *
site_text(Ctx *ctx, const XSite *site)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	for (int i = 0; i < site->n; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", site->names[i]);
	return sb_str(&sb);
}

/* The parameters as a YAML flow mapping, for the history: "{tile: [32, 64]}". */
static const char *
params_text(Ctx *ctx, const XParams *params)
{
	if (!params || params->n == 0)
		return "";
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_putc(&sb, '{');
	for (int i = 0; i < params->n; i++) {
		const XParam *q = &params->p[i];
		sb_printf(&sb, "%s%s: ", i ? ", " : "", q->key);
		if (q->nint < 0) {
			sb_puts(&sb, q->str);
			continue;
		}
		if (q->nint == 1 && q->str && q->str[0] != '[') {
			sb_printf(&sb, "%lld", (long long)q->ints[0]);
			continue;
		}
		sb_putc(&sb, '[');
		for (int k = 0; k < q->nint; k++)
			sb_printf(&sb, "%s%lld", k ? ", " : "", (long long)q->ints[k]);
		sb_putc(&sb, ']');
	}
	sb_putc(&sb, '}');
	return sb_str(&sb);
}

bool
pass_apply_unverified(Ctx *ctx, const Xform *x, const XSite *site, const XParams *params,
		      SrcLoc loc)
{
	const char *why = x->check(ctx, site, params);
	if (why) {
		diag_error(ctx, loc, "%s cannot apply at %s: %s", x->name, site_text(ctx, site), why);
		return false;
	}
	x->apply(ctx, site, params);
	IrHistory h = { x->name, site_text(ctx, site), params_text(ctx, params) };
	vec_push(ctx->arena, &site->p->history, h);
	return true;
}

void
pass_verify_after(Ctx *ctx, IrProgram *p, const char *what)
{
	IrModule one = { .name = "", .source = "" };
	vec_push(ctx->arena, &one.programs, p);
	if (!ir_verify(ctx, &one))
		ICE("%s produced invalid IR", what);
}

bool
pass_apply(Ctx *ctx, const Xform *x, const XSite *site, const XParams *params, SrcLoc loc)
{
	if (!pass_apply_unverified(ctx, x, site, params, loc))
		return false;
	pass_verify_after(ctx, site->p, arena_printf(ctx->arena, "%s at %s", x->name,
						      site_text(ctx, site)));
	return true;
}

void
pass_match_print(Ctx *ctx, IrModule *m, FILE *out)
{
	int n;
	const Xform *const *cat = pass_catalogue(&n);
	for (int i = 0; i < m->programs.len; i++) {
		IrProgram *p = m->programs.data[i];
		for (int k = 0; k < n; k++) {
			XSiteList sites = { 0 };
			cat[k]->match(ctx, p, &sites);
			for (int s = 0; s < sites.len; s++) {
				const XSite *st = &sites.data[s];
				fprintf(out, "%s ", cat[k]->name);
				for (int j = 0; j < st->n; j++)
					fprintf(out, "%s%s%s%s", j ? "," : "",
						m->programs.len > 1 ? p->name : "",
						m->programs.len > 1 ? "/" : "", st->names[j]);
				if (st->params.n > 0)
					fprintf(out, " %s", params_text(ctx, &st->params));
				fputc('\n', out);
			}
		}
	}
}
