/* frontends/python/lex.c — the Python 3 tokenizer.
 *
 * Turns a source file into PyTokens, following CPython's tokenizer:
 * - Logical lines end with NEWLINE; blank and comment-only lines produce no
 *   token. Inside () [] {} newlines are ignored (implicit joining), and a
 *   backslash before a newline joins physical lines.
 * - Indentation is measured as CPython does: a tab advances to the next
 *   multiple of 8, and a second measure with tabs as 1 column must agree
 *   with the first in the order of levels, or the use of tabs and spaces is
 *   "inconsistent". Each deeper level emits INDENT, each level left DEDENT.
 * - Comments are recorded in PyTokens.comments (for "# dfc:" signatures).
 * - Keywords are PT_NAME tokens; the parser checks them by text.
 * - Strings are decoded (escapes, implicit newlines of triple quotes); the
 *   prefix is kept in PyTok.prefix ("b", "f" or ""): bytes and f-strings are
 *   rejected by lowering where they matter, not here, so that a kernel file
 *   stays free to use them outside its kernels.
 *
 * Locations are 1-based lines and byte columns (diag.c quotes lines and puts
 * the caret by byte, copying tabs). Every error is fatal and located; the
 * lexer never reads outside [text, text + len), and nothing recurses.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "py.h"

enum {
	TABSIZE = 8,
	MAX_INDENT = 100,   /* levels of indentation, as CPython's MAXINDENT */
};

typedef struct Bracket {
	char c;
	SrcLoc loc;
} Bracket;

typedef struct Lexer {
	Ctx *ctx;
	const char *file;
	const char *p, *end;
	const char *bol;    /* first byte of the current physical line */
	int line;
	PyTokens *out;
	int nindent;        /* index of the innermost level in indent[] */
	int indent[MAX_INDENT + 1], altindent[MAX_INDENT + 1];
	VEC(Bracket) brackets;
} Lexer;

/* Value of c as a digit of base up to 36, or 99. */
static int
digit_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return (c | 0x20) - 'a' + 10;
	return 99;
}

static bool
is_alpha(int c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static SrcLoc
loc_at(Lexer *L, const char *s)
{
	return (SrcLoc){ L->file, L->line, (int)(s - L->bol) + 1 };
}

static _Noreturn void __attribute__((format(printf, 3, 4)))
lex_error(Lexer *L, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(L->ctx->arena, fmt, ap);
	va_end(ap);
	diag_fatal(L->ctx, loc, "%s", msg);
}

/* The byte at p + i, or 0 at the end of the text (NUL bytes are rejected
 * before lexing starts, so 0 means end of input). */
static int
ch(Lexer *L, int i)
{
	return L->p + i < L->end ? (unsigned char)L->p[i] : 0;
}

/* Bytes of the line break at s: 2 for CRLF, 1 for LF or CR, 0 otherwise. */
static int
newline_len(Lexer *L, const char *s)
{
	if (s >= L->end)
		return 0;
	if (*s == '\r')
		return s + 1 < L->end && s[1] == '\n' ? 2 : 1;
	return *s == '\n';
}

static void
skip_newline(Lexer *L)
{
	L->p += newline_len(L, L->p);
	L->line++;
	L->bol = L->p;
}

static PyTok *
push_tok(Lexer *L, PyTokKind kind, const char *start, const char *text)
{
	PyTok t = { .kind = kind, .loc = loc_at(L, start), .text = text };
	t.end = loc_at(L, L->p);
	vec_push(L->ctx->arena, &L->out->toks, t);
	return &L->out->toks.data[L->out->toks.len - 1];
}

/* Decodes one UTF-8 sequence at s (n bytes available) into *cp. Returns
 * its length, or 0 when it is malformed, overlong, a surrogate or beyond
 * U+10FFFF. */
static int
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	int len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
		: (s[0] & 0xF0) == 0xE0 ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	if (len == 0 || (size_t)len > n)
		return 0;
	uint32_t c = len == 1 ? s[0] : s[0] & (0x7F >> len);
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Non-ASCII code points accepted in identifiers: the letters of the Latin,
 * Greek and Cyrillic blocks and of CJK/kana/Hangul, and combining marks
 * after the first character. An approximation of XID_Start/XID_Continue
 * that covers what scientific code uses (α, β, λ...). */
static bool
is_id_codepoint(uint32_t c, bool first)
{
	if (!first && c >= 0x300 && c <= 0x36F)
		return true;
	return c == 0xAA || c == 0xB5 || c == 0xBA
	    || (c >= 0xC0 && c <= 0x2FF && c != 0xD7 && c != 0xF7)
	    || (c >= 0x386 && c <= 0x3FF && c != 0x387)
	    || (c >= 0x400 && c <= 0x52F && (c < 0x482 || c > 0x489))
	    || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF)
	    || (c >= 0xAC00 && c <= 0xD7A3);
}

/* Length of the identifier character at p (0 if none). Reports invalid
 * UTF-8 and non-identifier code points outside strings and comments. */
static int
id_char_len(Lexer *L, const char *p, bool first)
{
	unsigned char c = (unsigned char)*p;
	if (c < 0x80)
		return (c == '_' || is_alpha(c) || (!first && digit_val(c) < 10)) ? 1 : 0;
	uint32_t cp;
	int n = utf8_decode((const unsigned char *)p, (size_t)(L->end - p), &cp);
	if (n == 0)
		lex_error(L, loc_at(L, p), "invalid UTF-8 in source");
	if (!is_id_codepoint(cp, first)) {
		if (!first)
			return 0;
		lex_error(L, loc_at(L, p), "invalid character '%.*s' (U+%04X)", n, p,
			  (unsigned)cp);
	}
	return n;
}

/* ---- comments and indentation ---- */

/* Records the comment at p ('#') up to the end of the line. */
static void
lex_comment(Lexer *L)
{
	const char *s = L->p + 1;
	while (s < L->end && (*s == ' ' || *s == '\t'))
		s++;
	const char *e = s;
	while (e < L->end && *e != '\n' && *e != '\r')
		e++;
	PyComment c = { loc_at(L, s), arena_strndup(L->ctx->arena, s, (size_t)(e - s)) };
	vec_push(L->ctx->arena, &L->out->comments, c);
	L->p = e;
}

/* Compares the indentation (col with tabs to multiples of 8, alt with tabs
 * as one column) of a new logical line at `at` with the stack, and emits
 * INDENT or DEDENTs. The two measures must order the levels alike. */
static void
lex_indent_change(Lexer *L, int col, int alt, const char *at)
{
	SrcLoc loc = loc_at(L, at);
	int top = L->nindent;
	if (col == L->indent[top]) {
		if (alt != L->altindent[top])
			goto inconsistent;
	} else if (col > L->indent[top]) {
		if (top + 1 > MAX_INDENT)
			lex_error(L, loc, "too many levels of indentation");
		if (alt <= L->altindent[top])
			goto inconsistent;
		L->nindent++;
		L->indent[L->nindent] = col;
		L->altindent[L->nindent] = alt;
		push_tok(L, PT_INDENT, at, "");
	} else {
		while (L->nindent > 0 && col < L->indent[L->nindent]) {
			L->nindent--;
			push_tok(L, PT_DEDENT, at, "");
		}
		if (col != L->indent[L->nindent])
			lex_error(L, loc, "unindent does not match any outer indentation level");
		if (alt != L->altindent[L->nindent])
			goto inconsistent;
	}
	return;
inconsistent:
	lex_error(L, loc, "inconsistent use of tabs and spaces in indentation");
}

/* At the start of a physical line outside brackets: measures the
 * indentation. Returns false for blank and comment-only lines (consumed,
 * comment recorded); true when a logical line starts (INDENT/DEDENTs
 * emitted). */
static bool
lex_line_start(Lexer *L)
{
	int col = 0, alt = 0;
	for (;; L->p++) {
		int c = ch(L, 0);
		if (c == ' ') {
			col++, alt++;
		} else if (c == '\t') {
			col = (col / TABSIZE + 1) * TABSIZE;
			alt++;
		} else if (c == '\f') {
			col = alt = 0;
		} else {
			break;
		}
	}
	if (ch(L, 0) == '#')
		lex_comment(L);
	if (ch(L, 0) == 0)
		return false;
	if (newline_len(L, L->p)) {
		skip_newline(L);
		return false;
	}
	lex_indent_change(L, col, alt, L->p);
	return true;
}

/* ---- numbers ---- */

/* Scans digits of `base` with single underscores between them, starting
 * at s; returns the first byte after them (s when there is none). */
static const char *
scan_digits(Lexer *L, const char *s, int base, const char *what, const char *start)
{
	const char *p = s;
	for (;;) {
		int c = p < L->end ? (unsigned char)*p : 0;
		if (digit_val(c) < base) {
			p++;
		} else if (c == '_' && p > s && p + 1 < L->end) {
			if (digit_val((unsigned char)p[1]) >= base)
				lex_error(L, loc_at(L, start), "invalid %s literal", what);
			p++;
		} else {
			if (c == '_')
				lex_error(L, loc_at(L, start), "invalid %s literal", what);
			return p;
		}
	}
}

/* Value of the digits in [s, e) (underscores skipped) in `base`; error if
 * it does not fit int64_t. */
static int64_t
int_value(Lexer *L, const char *s, const char *e, int base, const char *start)
{
	uint64_t v = 0;
	for (; s < e; s++) {
		if (*s == '_')
			continue;
		int c = (unsigned char)*s;
		uint64_t d = (uint64_t)digit_val(c);
		if (v > ((uint64_t)INT64_MAX - d) / (uint64_t)base)
			lex_error(L, loc_at(L, start),
				  "integer literal '%.*s' is too large for int64",
				  (int)(e - start), start);
		v = v * (uint64_t)base + d;
	}
	return (int64_t)v;
}

/* 0x / 0o / 0b integer literal at L->p. */
static void
lex_prefixed_int(Lexer *L)
{
	const char *start = L->p;
	int p = ch(L, 1) | 0x20;
	int base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
	const char *what = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
	const char *s = start + 2;
	if (s < L->end && *s == '_')
		s++;
	const char *e = scan_digits(L, s, base, what, start);
	if (e == s || (e < L->end && (id_char_len(L, e, false) || digit_val((unsigned char)*e) < 10)))
		lex_error(L, loc_at(L, start), "invalid %s literal", what);
	int64_t v = int_value(L, s, e, base, start);
	L->p = e;
	push_tok(L, PT_INT, start, arena_strndup(L->ctx->arena, start, (size_t)(e - start)))->ival = v;
}

/* Decimal integer, float or imaginary literal at L->p (a digit, or '.'
 * followed by a digit). */
static void
lex_number(Lexer *L)
{
	const char *start = L->p;
	if (ch(L, 0) == '0' && strchr("xXoObB", ch(L, 1)) && ch(L, 1)) {
		lex_prefixed_int(L);
		return;
	}
	const char *s = scan_digits(L, start, 10, "decimal", start);
	bool isfloat = false;
	if (s < L->end && *s == '.') {
		isfloat = true;
		s = scan_digits(L, s + 1, 10, "decimal", start);
	}
	if (s < L->end && (*s | 0x20) == 'e') {
		const char *x = s + 1;
		if (x < L->end && (*x == '+' || *x == '-'))
			x++;
		const char *e = scan_digits(L, x, 10, "decimal", start);
		if (e == x)
			lex_error(L, loc_at(L, start), "invalid decimal literal");
		isfloat = true;
		s = e;
	}
	bool imag = s < L->end && (*s | 0x20) == 'j';
	if (imag)
		s++;
	if (s < L->end && id_char_len(L, s, false))
		lex_error(L, loc_at(L, start), "invalid decimal literal");
	L->p = s;
	char *text = arena_strndup(L->ctx->arena, start, (size_t)(s - start));
	if (!isfloat && !imag) {
		const char *z = start;
		while (z < s && (*z == '0' || *z == '_'))
			z++;
		if (*start == '0' && z < s)
			lex_error(L, loc_at(L, start), "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
		push_tok(L, PT_INT, start, text)->ival = int_value(L, start, s, 10, start);
		return;
	}
	char *digits = arena_alloc(L->ctx->arena, (size_t)(s - start) + 1), *d = digits;
	for (const char *q = start; q < s - imag; q++)
		if (*q != '_')
			*d++ = *q;
	push_tok(L, imag ? PT_IMAG : PT_FLOAT, start, text)->fval = strtod(digits, NULL);
}

/* ---- strings ---- */

/* Appends code point c to sb in UTF-8. */
static void
put_utf8(StrBuf *sb, uint32_t c)
{
	if (c < 0x80) {
		sb_putc(sb, (char)c);
	} else if (c < 0x800) {
		sb_putc(sb, (char)(0xC0 | c >> 6));
		sb_putc(sb, (char)(0x80 | (c & 0x3F)));
	} else if (c < 0x10000) {
		sb_putc(sb, (char)(0xE0 | c >> 12));
		sb_putc(sb, (char)(0x80 | (c >> 6 & 0x3F)));
		sb_putc(sb, (char)(0x80 | (c & 0x3F)));
	} else {
		sb_putc(sb, (char)(0xF0 | c >> 18));
		sb_putc(sb, (char)(0x80 | (c >> 12 & 0x3F)));
		sb_putc(sb, (char)(0x80 | (c >> 6 & 0x3F)));
		sb_putc(sb, (char)(0x80 | (c & 0x3F)));
	}
}

/* Reads exactly n hex digits at L->p + 1 (after the escape letter). */
static uint32_t
hex_escape(Lexer *L, int n, const char *esc)
{
	uint32_t v = 0;
	for (int i = 1; i <= n; i++) {
		int c = ch(L, i);
		int d = digit_val(c);
		if (d >= 16)
			lex_error(L, loc_at(L, esc), "truncated \\%c escape", ch(L, 0));
		v = v << 4 | (uint32_t)d;
	}
	L->p += n + 1;
	return v;
}

/* Decodes the escape at L->p (just after the backslash) into sb. `bytes`:
 * \u, \U and \N are not escapes in bytes literals. */
static void
lex_escape(Lexer *L, StrBuf *sb, bool bytes)
{
	const char *esc = L->p - 1;
	int c = ch(L, 0);
	const char *simple = strchr("\\'\"abfnrtv", c);
	if (c && simple) {
		static const char out[] = "\\'\"\a\b\f\n\r\t\v";
		sb_putc(sb, out[simple - "\\'\"abfnrtv"]);
		L->p++;
	} else if (digit_val(c) < 8) {
		uint32_t v = 0;
		for (int i = 0; i < 3 && digit_val(ch(L, 0)) < 8; i++, L->p++)
			v = v * 8 + (uint32_t)(ch(L, 0) - '0');
		if (bytes)
			sb_putc(sb, (char)v);
		else
			put_utf8(sb, v);
	} else if (c == 'x') {
		uint32_t v = hex_escape(L, 2, esc);
		if (bytes)
			sb_putc(sb, (char)v);
		else
			put_utf8(sb, v);
	} else if (!bytes && (c == 'u' || c == 'U')) {
		uint32_t v = hex_escape(L, c == 'u' ? 4 : 8, esc);
		if (v > 0x10FFFF)
			lex_error(L, loc_at(L, esc), "illegal Unicode character in \\U escape");
		put_utf8(sb, v);
	} else if (!bytes && c == 'N') {
		lex_error(L, loc_at(L, esc), "\\N{...} escapes are not supported");
	} else {
		sb_putc(sb, '\\');
	}
}

/* Copies the source character at L->p into sb, checking UTF-8 (and ASCII
 * for bytes literals). */
static void
lex_string_char(Lexer *L, StrBuf *sb, bool bytes)
{
	uint32_t cp;
	int n = utf8_decode((const unsigned char *)L->p, (size_t)(L->end - L->p), &cp);
	if (n == 0)
		lex_error(L, loc_at(L, L->p), "invalid UTF-8 in string literal");
	if (bytes && n > 1)
		lex_error(L, loc_at(L, L->p), "bytes can only contain ASCII literal characters");
	for (int i = 0; i < n; i++)
		sb_putc(sb, L->p[i]);
	L->p += n;
}

/* The string literal whose prefix (plen letters) starts at `start` and
 * whose quote is at L->p. */
static void
lex_string(Lexer *L, const char *start, int plen)
{
	bool raw = false, bytes = false, fstr = false;
	for (int i = 0; i < plen; i++) {
		raw |= (start[i] | 0x20) == 'r';
		bytes |= (start[i] | 0x20) == 'b';
		fstr |= (start[i] | 0x20) == 'f';
	}
	SrcLoc sloc = loc_at(L, start);
	char q = *L->p;
	bool triple = ch(L, 1) == q && ch(L, 2) == q;
	L->p += triple ? 3 : 1;
	StrBuf sb;
	sb_init(&sb, L->ctx->arena);
	for (;;) {
		int c = ch(L, 0);
		if (c == 0 || (!triple && newline_len(L, L->p)))
			lex_error(L, sloc, "unterminated %sstring literal (detected at line %d)",
				  triple ? "triple-quoted " : "", L->line);
		if (c == q && (!triple || (ch(L, 1) == q && ch(L, 2) == q))) {
			L->p += triple ? 3 : 1;
			break;
		}
		if (newline_len(L, L->p)) {
			sb_putc(&sb, '\n');
			skip_newline(L);
		} else if (c == '\\') {
			L->p++;
			if (newline_len(L, L->p)) {
				if (raw)
					sb_puts(&sb, "\\\n");
				skip_newline(L);
			} else if (raw) {
				sb_putc(&sb, '\\');
				if (ch(L, 0) == q || ch(L, 0) == '\\')
					sb_putc(&sb, *L->p++);
			} else if (ch(L, 0)) {
				lex_escape(L, &sb, bytes);
			}
		} else {
			lex_string_char(L, &sb, bytes);
		}
	}
	PyTok t = { .kind = PT_STRING, .loc = sloc, .text = sb_str(&sb),
		    .end = loc_at(L, L->p), .prefix = bytes ? "b" : fstr ? "f" : "" };
	vec_push(L->ctx->arena, &L->out->toks, t);
}

/* ---- names, operators, brackets ---- */

/* A string prefix: r, u, b, f, br, rb, fr, rf in any case. */
static bool
is_string_prefix(const char *s, int n)
{
	static const char *const prefixes[] = { "r", "u", "b", "f", "br", "rb", "fr", "rf" };
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		if ((int)strlen(prefixes[i]) != n)
			continue;
		int j = 0;
		while (j < n && (s[j] | 0x20) == prefixes[i][j])
			j++;
		if (j == n)
			return true;
	}
	return false;
}

/* An identifier, keyword or prefixed string literal at L->p. */
static void
lex_name(Lexer *L)
{
	const char *start = L->p;
	int n = id_char_len(L, L->p, true);
	while (n) {
		L->p += n;
		n = L->p < L->end ? id_char_len(L, L->p, false) : 0;
	}
	int len = (int)(L->p - start);
	if ((ch(L, 0) == '\'' || ch(L, 0) == '"') && is_string_prefix(start, len)) {
		lex_string(L, start, len);
		return;
	}
	push_tok(L, PT_NAME, start, arena_strndup(L->ctx->arena, start, (size_t)len));
}

static void
lex_open(Lexer *L, char c)
{
	Bracket b = { c, loc_at(L, L->p) };
	vec_push(L->ctx->arena, &L->brackets, b);
}

static void
lex_close(Lexer *L, char c)
{
	SrcLoc loc = loc_at(L, L->p);
	if (L->brackets.len == 0)
		lex_error(L, loc, "unmatched '%c'", c);
	Bracket *b = &L->brackets.data[L->brackets.len - 1];
	char want = b->c == '(' ? ')' : b->c == '[' ? ']' : '}';
	if (c != want) {
		if (b->loc.line != loc.line)
			lex_error(L, loc, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
				  c, b->c, b->loc.line);
		lex_error(L, loc, "closing parenthesis '%c' does not match opening parenthesis '%c'",
			  c, b->c);
	}
	L->brackets.len--;
}

/* An operator or delimiter at L->p, longest match first. */
static void
lex_op(Lexer *L)
{
	static const char *const ops[] = {
		"**=", "//=", ">>=", "<<=", "...",
		"**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", ":=",
		"+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^=",
		"+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">",
		"(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=",
	};
	const char *start = L->p;
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		size_t n = strlen(ops[i]);
		if ((size_t)(L->end - start) >= n && memcmp(start, ops[i], n) == 0) {
			char c = *start;
			if (n == 1 && strchr("([{", c))
				lex_open(L, c);
			else if (n == 1 && strchr(")]}", c))
				lex_close(L, c);
			L->p += n;
			push_tok(L, PT_OP, start, ops[i]);
			return;
		}
	}
	uint32_t cp;
	int n = utf8_decode((const unsigned char *)start, (size_t)(L->end - start), &cp);
	if (n == 0)
		lex_error(L, loc_at(L, start), "invalid UTF-8 in source");
	if (cp < 0x20 || cp == 0x7F)
		lex_error(L, loc_at(L, start), "invalid non-printable character U+%04X", (unsigned)cp);
	lex_error(L, loc_at(L, start), "invalid character '%.*s' (U+%04X)", n, start, (unsigned)cp);
}

/* ---- logical lines ---- */

/* Emits the tokens of one logical line, up to and including its NEWLINE
 * (or up to the end of the text). */
static void
lex_tokens(Lexer *L)
{
	for (;;) {
		int c = ch(L, 0);
		if (c == ' ' || c == '\t' || c == '\f') {
			L->p++;
		} else if (c == '#') {
			lex_comment(L);
		} else if (newline_len(L, L->p)) {
			if (L->brackets.len == 0) {
				push_tok(L, PT_NEWLINE, L->p, "")->end = loc_at(L, L->p);
				skip_newline(L);
				return;
			}
			skip_newline(L);
		} else if (c == 0) {
			return;
		} else if (c == '\\') {
			if (!newline_len(L, L->p + 1)) {
				if (L->p + 1 >= L->end)
					lex_error(L, loc_at(L, L->p), "unexpected end of file after line continuation character");
				lex_error(L, loc_at(L, L->p + 1), "unexpected character after line continuation character");
			}
			L->p++;
			skip_newline(L);
		} else if (digit_val(c) < 10 || (c == '.' && digit_val(ch(L, 1)) < 10)) {
			lex_number(L);
		} else if (c == '\'' || c == '"') {
			lex_string(L, L->p, 0);
		} else if (c >= 0x80 || c == '_' || is_alpha(c)) {
			lex_name(L);
		} else {
			lex_op(L);
		}
	}
}

/* Reports the first NUL byte of the text, if any. */
static void
lex_check_nul(Lexer *L)
{
	const char *z = memchr(L->p, '\0', (size_t)(L->end - L->p));
	if (!z)
		return;
	while (L->p < z) {
		if (newline_len(L, L->p) && L->p + newline_len(L, L->p) <= z)
			skip_newline(L);
		else
			L->p++;
	}
	lex_error(L, loc_at(L, z), "NUL byte in source");
}

/* The end of the text: unclosed brackets are errors; the last logical line
 * gets its NEWLINE, open indentation levels their DEDENTs, then EOF. */
static void
lex_finish(Lexer *L)
{
	if (L->brackets.len)
		lex_error(L, L->brackets.data[L->brackets.len - 1].loc,
			  "'%c' was never closed", L->brackets.data[L->brackets.len - 1].c);
	int n = L->out->toks.len;
	if (n && L->out->toks.data[n - 1].kind != PT_NEWLINE)
		push_tok(L, PT_NEWLINE, L->p, "");
	for (; L->nindent > 0; L->nindent--)
		push_tok(L, PT_DEDENT, L->p, "");
	push_tok(L, PT_EOF, L->p, "");
}

PyTokens *
py_lex(Ctx *ctx, const char *file, const char *text, size_t len)
{
	Lexer L = { .ctx = ctx, .file = file, .p = text, .end = text + len,
		    .bol = text, .line = 1 };
	L.out = arena_alloc(ctx->arena, sizeof(*L.out));
	lex_check_nul(&L);
	L.p = L.bol = text;
	L.line = 1;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		L.p += 3;
	while (L.p < L.end) {
		if (lex_line_start(&L))
			lex_tokens(&L);
	}
	lex_finish(&L);
	return L.out;
}
