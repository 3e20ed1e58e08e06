/* frontends/python/sig.c — kernel signatures (DESIGN §3).
 *
 * Signatures come from --sig, from a "# dfc:" comment above a def, or from
 * string annotations, and all use this small grammar:
 *
 *   sig:   NAME '(' [param (',' param)* [',']] ')'
 *   param: NAME ':' type
 *   type:  DTYPE ['[' dim (',' dim)* [','] ']']
 *   dim:   NAME | INTEGER          (a size symbol, or a fixed extent >= 0)
 *
 * DTYPE is a NumPy dtype name (dtype_from_name). Whitespace is free between
 * tokens. The text lies on one line, starting at the given location, so an
 * error's column is that location's column plus the offset in the text.
 * Errors go through diag_error; the parse then returns NULL / false.
 */
#include <string.h>

#include "py.h"

typedef struct SigScan {
	Ctx *ctx;
	const char *text, *p;
	SrcLoc loc;         /* of text[0] */
} SigScan;

static SrcLoc
sig_loc(SigScan *S, const char *at)
{
	SrcLoc l = S->loc;
	l.col += (int)(at - S->text);
	return l;
}

static void
skip_ws(SigScan *S)
{
	while (*S->p == ' ' || *S->p == '\t')
		S->p++;
}

static bool
is_ident_char(int c, bool first)
{
	return c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80
	    || (!first && c >= '0' && c <= '9');
}

/* An identifier at S->p (consumed), or NULL. */
static const char *
scan_ident(SigScan *S)
{
	const char *s = S->p;
	if (!is_ident_char((unsigned char)*s, true))
		return NULL;
	while (is_ident_char((unsigned char)*S->p, false))
		S->p++;
	return arena_strndup(S->ctx->arena, s, (size_t)(S->p - s));
}

/* Names of a signature become C identifiers of the generated code (the
 * kernel, its parameters, size symbols): Python allows other letters, C
 * and dfc only ASCII ones. True if name is ASCII, else a located error. */
static bool
ascii_name(SigScan *S, const char *start, const char *name, const char *what)
{
	for (const char *q = name; *q; q++) {
		if ((unsigned char)*q >= 0x80) {
			diag_error(S->ctx, sig_loc(S, start), "%s '%s' must be an ASCII identifier "
				   "(it names a C identifier of the generated code)", what, name);
			return false;
		}
	}
	return true;
}

/* dim: NAME | INTEGER. A decimal extent is stored without leading zeros. */
static const char *
sig_dim(SigScan *S)
{
	const char *start = S->p;
	const char *name = scan_ident(S);
	if (name)
		return ascii_name(S, start, name, "size symbol") ? name : NULL;
	if (*S->p < '0' || *S->p > '9') {
		diag_error(S->ctx, sig_loc(S, start), "expected a size symbol or integer in shape");
		return NULL;
	}
	while (*S->p == '0' && S->p[1] >= '0' && S->p[1] <= '9')
		S->p++;
	const char *digits = S->p;
	while (*S->p >= '0' && *S->p <= '9')
		S->p++;
	if (S->p - digits > 18) {
		diag_error(S->ctx, sig_loc(S, start), "extent '%.*s' is too large",
			   (int)(S->p - start), start);
		return NULL;
	}
	if (is_ident_char((unsigned char)*S->p, false)) {
		diag_error(S->ctx, sig_loc(S, start), "expected a size symbol or integer in shape");
		return NULL;
	}
	return arena_strndup(S->ctx->arena, digits, (size_t)(S->p - digits));
}

/* '[' dim (',' dim)* [','] ']' after the dtype; S->p is at '['. */
static bool
sig_shape(SigScan *S, PySigParam *out)
{
	VEC(const char *) dims = { 0 };
	S->p++;
	for (;;) {
		skip_ws(S);
		const char *d = sig_dim(S);
		if (!d)
			return false;
		vec_push(S->ctx->arena, &dims, d);
		skip_ws(S);
		if (*S->p == ',') {
			S->p++;
			skip_ws(S);
			if (*S->p != ']')
				continue;
		}
		if (*S->p == ']') {
			S->p++;
			break;
		}
		diag_error(S->ctx, sig_loc(S, S->p), "expected ']'");
		return false;
	}
	out->ndim = dims.len;
	out->dims = dims.data;
	return true;
}

/* type: DTYPE ['[' dim (',' dim)* [','] ']'] */
static bool
sig_type(SigScan *S, PySigParam *out)
{
	skip_ws(S);
	const char *start = S->p;
	const char *name = scan_ident(S);
	if (!name) {
		diag_error(S->ctx, sig_loc(S, start), "expected a dtype (float64, int64, ...)");
		return false;
	}
	if (!dtype_from_name(name, &out->dtype)) {
		diag_error(S->ctx, sig_loc(S, start), "unknown dtype '%s'", name);
		return false;
	}
	out->ndim = 0;
	out->dims = NULL;
	skip_ws(S);
	return *S->p != '[' || sig_shape(S, out);
}

/* Reports anything left after a complete signature or type. */
static bool
sig_end(SigScan *S, const char *what)
{
	skip_ws(S);
	if (*S->p == '\0')
		return true;
	diag_error(S->ctx, sig_loc(S, S->p), "unexpected text after the %s", what);
	return false;
}

bool
py_sig_parse_type(Ctx *ctx, const char *text, SrcLoc loc, PySigParam *out)
{
	SigScan S = { ctx, text, text, loc };
	memset(out, 0, sizeof(*out));
	out->loc = loc;
	return sig_type(&S, out) && sig_end(&S, "type");
}

/* param: NAME ':' type — appended to params unless its name repeats. */
static bool
sig_param(SigScan *S, PySig *sig, int *cap)
{
	const char *start = S->p;
	PySigParam p = { .loc = sig_loc(S, start) };
	p.name = scan_ident(S);
	if (!p.name) {
		diag_error(S->ctx, p.loc, "expected a parameter name");
		return false;
	}
	if (!ascii_name(S, start, p.name, "parameter"))
		return false;
	for (int i = 0; i < sig->nparams; i++) {
		if (strcmp(sig->params[i].name, p.name) == 0) {
			diag_error(S->ctx, p.loc, "duplicate parameter '%s'", p.name);
			return false;
		}
	}
	skip_ws(S);
	if (*S->p != ':') {
		diag_error(S->ctx, sig_loc(S, S->p), "expected ':' and a type after '%s'", p.name);
		return false;
	}
	S->p++;
	if (!sig_type(S, &p))
		return false;
	if (sig->nparams == *cap) {
		int nc = *cap ? 2 * *cap : 8;
		sig->params = arena_realloc(S->ctx->arena, sig->params,
					    sizeof(PySigParam) * (size_t)*cap,
					    sizeof(PySigParam) * (size_t)nc);
		*cap = nc;
	}
	sig->params[sig->nparams++] = p;
	return true;
}

/* sig: NAME '(' [param (',' param)* [',']] ')' */
PySig *
py_sig_parse(Ctx *ctx, const char *text, SrcLoc loc)
{
	SigScan S = { ctx, text, text, loc };
	PySig *sig = arena_alloc(ctx->arena, sizeof(*sig));
	skip_ws(&S);
	sig->loc = sig_loc(&S, S.p);
	const char *fstart = S.p;
	sig->func = scan_ident(&S);
	if (!sig->func) {
		diag_error(ctx, sig->loc, "expected a function name");
		return NULL;
	}
	if (!ascii_name(&S, fstart, sig->func, "kernel name"))
		return NULL;
	skip_ws(&S);
	if (*S.p != '(') {
		diag_error(ctx, sig_loc(&S, S.p), "expected '(' after '%s'", sig->func);
		return NULL;
	}
	S.p++;
	int cap = 0;
	for (;;) {
		skip_ws(&S);
		if (*S.p == ')')
			break;
		if (!sig_param(&S, sig, &cap))
			return NULL;
		skip_ws(&S);
		if (*S.p == ',') {
			S.p++;
			continue;
		}
		if (*S.p == ')')
			break;
		diag_error(ctx, sig_loc(&S, S.p), "expected ',' or ')'");
		return NULL;
	}
	S.p++;
	return sig_end(&S, "signature") ? sig : NULL;
}
