/* passes/recipe.c — YAML recipes (DESIGN §5) and replaying a history.
 *
 *   - apply: map-tiling        # a transformation of the catalogue
 *     at: map_L14              # a stable name, or a list of them
 *     tile: [32, 64]           # parameters: integers, lists of them, words
 *   - apply: auto              # the pipeline of an -O level
 *     level: 2                 # (default 3)
 *
 * A recipe is a YAML sequence of such steps, applied in order; the first
 * step that cannot apply stops it with an error located in the recipe.
 * The same parameter syntax is stored in the history of a dump ("{tile:
 * [32, 64]}"), which is how `dfc transform --replay` re-applies it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "passes.h"

typedef struct Recipe {
	Ctx *ctx;
	const char *path;
	yaml_document_t doc;
} Recipe;

static SrcLoc
loc_of(const Recipe *R, const yaml_node_t *n)
{
	return (SrcLoc){ R->path, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1 };
}

static yaml_node_t *
node(Recipe *R, int id)
{
	return yaml_document_get_node(&R->doc, id);
}

static const char *
scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool
fail(Recipe *R, const yaml_node_t *n, const char *msg)
{
	diag_error(R->ctx, loc_of(R, n), "%s", msg);
	return false;
}

/* The value of `key` in mapping n, or NULL. */
static yaml_node_t *
get(Recipe *R, yaml_node_t *n, const char *key)
{
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = scalar(node(R, p->key));
		if (k && strcmp(k, key) == 0)
			return node(R, p->value);
	}
	return NULL;
}

static bool
parse_int(const char *s, int64_t *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (!*s || *end || errno)
		return false;
	*v = x;
	return true;
}

static bool
accepts(const Xform *x, const char *key)
{
	for (const char *const *k = x->params; k && *k; k++)
		if (strcmp(*k, key) == 0)
			return true;
	return false;
}

static const char *
accepted_list(Ctx *ctx, const Xform *x)
{
	if (!x->params || !x->params[0])
		return "it takes no parameters";
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_puts(&sb, "it takes: ");
	for (int i = 0; x->params[i]; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", x->params[i]);
	return sb_str(&sb);
}

/* One parameter value: an integer, a word, or a list of integers. */
static bool
parse_value(Recipe *R, yaml_node_t *v, XParam *q)
{
	q->loc = loc_of(R, v);
	if (v->type == YAML_SCALAR_NODE) {
		q->str = arena_strdup(R->ctx->arena, scalar(v));
		q->nint = parse_int(q->str, &q->ints[0]) ? 1 : -1;
		return true;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(R, v, "expected an integer, a word or a list of integers");
	q->nint = 0;
	q->str = "[";
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *e = node(R, *it);
		if (q->nint == XPARAM_MAXV)
			return fail(R, e, "too many values (at most 8)");
		if (!scalar(e) || !parse_int(scalar(e), &q->ints[q->nint]))
			return fail(R, e, "expected an integer");
		q->nint++;
	}
	return true;
}

/* The parameters of mapping n for x: every key but `apply` and `at`. */
static bool
parse_params(Recipe *R, yaml_node_t *n, const Xform *x, XParams *out)
{
	yaml_node_pair_t *b = n->data.mapping.pairs.start, *e = n->data.mapping.pairs.top;
	out->n = 0;
	out->p = arena_alloc(R->ctx->arena, sizeof(XParam) * (size_t)(e - b + 1));
	for (yaml_node_pair_t *p = b; p < e; p++) {
		yaml_node_t *k = node(R, p->key);
		const char *key = scalar(k);
		if (!key)
			return fail(R, k, "expected a parameter name");
		if (strcmp(key, "apply") == 0 || strcmp(key, "at") == 0)
			continue;
		for (int i = 0; i < out->n; i++)
			if (strcmp(out->p[i].key, key) == 0)
				return fail(R, k, arena_printf(R->ctx->arena, "parameter '%s' is given twice", key));
		if (!accepts(x, key))
			return fail(R, k, arena_printf(R->ctx->arena, "unknown parameter '%s' for %s (%s)",
						       key, x->name, accepted_list(R->ctx, x)));
		XParam *q = &out->p[out->n++];
		q->key = arena_strdup(R->ctx->arena, key);
		if (!parse_value(R, node(R, p->value), q))
			return false;
	}
	return true;
}

/* The sites named by `at` (a name or a list of names). */
static bool
parse_sites(Recipe *R, IrModule *m, yaml_node_t *step, yaml_node_t *at, const Xform *x, XSite *site)
{
	Ctx *ctx = R->ctx;
	if (!at)
		return fail(R, step, arena_printf(ctx->arena, "'at' is missing: %s applies at %d "
						  "site%s", x->name, x->nsites, x->nsites == 1 ? "" : "s"));
	yaml_node_t *names[XSITE_MAX + 1];
	int n = 0;
	if (at->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = at->data.sequence.items.start;
		     it < at->data.sequence.items.top && n <= XSITE_MAX; it++)
			names[n++] = node(R, *it);
	} else {
		names[n++] = at;
	}
	if (n != x->nsites)
		return fail(R, at, arena_printf(ctx->arena, "%s applies at %d site%s, not %d",
						x->name, x->nsites, x->nsites == 1 ? "" : "s", n));
	site->n = n;
	site->p = NULL;
	for (int i = 0; i < n; i++) {
		const char *name = scalar(names[i]), *why = NULL, *local;
		if (!name)
			return fail(R, names[i], "expected a stable name such as map_L7");
		IrProgram *p = pass_resolve(ctx, m, name, &local, &why);
		if (!p)
			return fail(R, names[i], why);
		if (site->p && site->p != p)
			return fail(R, names[i], "the sites of one step must be in the same kernel");
		site->p = p;
		site->names[i] = local;
	}
	return true;
}

static bool
run_auto(Recipe *R, IrModule *m, yaml_node_t *step)
{
	int64_t level = 3;
	for (yaml_node_pair_t *p = step->data.mapping.pairs.start; p < step->data.mapping.pairs.top; p++) {
		const char *key = scalar(node(R, p->key));
		if (key && strcmp(key, "apply") == 0)
			continue;
		if (!key || strcmp(key, "level") != 0)
			return fail(R, node(R, p->key), "'apply: auto' takes only 'level'");
		const char *v = scalar(node(R, p->value));
		if (!v || !parse_int(v, &level) || level < 0 || level > 3)
			return fail(R, node(R, p->value), "level must be 0, 1, 2 or 3");
	}
	return pass_run_level(R->ctx, m, (int)level);
}

static bool
run_step(Recipe *R, IrModule *m, yaml_node_t *step)
{
	Ctx *ctx = R->ctx;
	if (step->type != YAML_MAPPING_NODE)
		return fail(R, step, "a recipe step is a mapping: 'apply: NAME', 'at: SITE' and parameters");
	yaml_node_t *ap = get(R, step, "apply");
	const char *name = scalar(ap);
	if (!name)
		return fail(R, ap ? ap : step, "a recipe step needs 'apply: TRANSFORMATION'");
	if (strcmp(name, "auto") == 0)
		return run_auto(R, m, step);
	const Xform *x = pass_find(name);
	if (!x)
		return fail(R, ap, arena_printf(ctx->arena, "unknown transformation '%s' ('dfc "
						    "transform --list' shows the catalogue)", name));
	XSite site;
	XParams params;
	if (!parse_sites(R, m, step, get(R, step, "at"), x, &site) ||
	    !parse_params(R, step, x, &params))
		return false;
	return pass_apply(ctx, x, &site, &params, loc_of(R, ap));
}

static bool
load(Recipe *R, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	bool ok = yaml_parser_load(&parser, &R->doc);
	if (!ok) {
		SrcLoc loc = { R->path, (int)parser.problem_mark.line + 1,
			       (int)parser.problem_mark.column + 1 };
		diag_error(R->ctx, loc, "invalid YAML: %s", parser.problem ? parser.problem : "error");
	}
	yaml_parser_delete(&parser);
	return ok;
}

bool
pass_run_recipe(Ctx *ctx, IrModule *m, const char *path)
{
	size_t len;
	char *text = file_read(ctx->arena, path, &len);
	if (!text) {
		diag_error(ctx, (SrcLoc){ path, 0, 0 }, "cannot read recipe: %s", strerror(errno));
		return false;
	}
	ctx_add_source(ctx, path, text, len);
	Recipe R = { .ctx = ctx, .path = path };
	if (!load(&R, text, len))
		return false;
	yaml_node_t *root = yaml_document_get_root_node(&R.doc);
	bool ok = true;
	if (root && root->type != YAML_SEQUENCE_NODE)
		ok = fail(&R, root, "a recipe is a list of steps ('- apply: NAME')");
	for (yaml_node_item_t *it = root && ok ? root->data.sequence.items.start : NULL;
	     it && it < root->data.sequence.items.top && ok; it++)
		ok = run_step(&R, m, node(&R, *it));
	yaml_document_delete(&R.doc);
	return ok;
}

/* Re-applies one history entry ("map-fusion", "map_L8, map_L9",
 * "{...}") to p. */
static bool
replay_one(Ctx *ctx, IrProgram *p, const IrHistory *h, SrcLoc loc)
{
	const Xform *x = pass_find(h->transformation);
	if (!x) {
		diag_error(ctx, loc, "unknown transformation '%s' in the history", h->transformation);
		return false;
	}
	XSite site = { .p = p, .n = 0 };
	for (const char *s = h->site; s && *s && site.n < XSITE_MAX;) {
		const char *e = strstr(s, ", ");
		size_t n = e ? (size_t)(e - s) : strlen(s);
		site.names[site.n++] = arena_strndup(ctx->arena, s, n);
		s = e ? e + 2 : s + n;
	}
	XParams params = { 0, NULL };
	const char *text = h->params && *h->params ? h->params : "{}";
	Recipe R = { .ctx = ctx, .path = loc.file };
	if (!load(&R, text, strlen(text)))
		return false;
	yaml_node_t *root = yaml_document_get_root_node(&R.doc);
	bool ok = root && root->type == YAML_MAPPING_NODE && parse_params(&R, root, x, &params);
	yaml_document_delete(&R.doc);
	if (!ok) {
		diag_error(ctx, loc, "bad parameters '%s' in the history", text);
		return false;
	}
	return pass_apply(ctx, x, &site, &params, loc);
}

bool
pass_replay(Ctx *ctx, IrModule *m, const IrModule *from)
{
	for (int i = 0; i < from->programs.len; i++) {
		const IrProgram *f = from->programs.data[i];
		IrProgram *p = NULL;
		for (int k = 0; k < m->programs.len; k++)
			if (strcmp(m->programs.data[k]->name, f->name) == 0)
				p = m->programs.data[k];
		if (!p && f->history.len) {
			diag_error(ctx, f->loc, "kernel '%s' of the dump is not in its source", f->name);
			return false;
		}
		for (int h = 0; h < f->history.len; h++)
			if (!replay_one(ctx, p, &f->history.data[h], f->loc))
				return false;
	}
	return true;
}
