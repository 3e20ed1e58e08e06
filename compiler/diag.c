/* compiler/diag.c — diagnostics in the style of gcc and clang.
 *
 *   kernel.py:12:9: error: shapes (N, M) and (K,) do not broadcast in '+'
 *       C = A + b
 *           ^
 *
 * The source line is quoted when the file was registered with
 * ctx_add_source; it is indented by four spaces, and the caret line copies
 * the tabs of the source prefix so the caret lines up in any terminal.
 * Control bytes in quoted lines print as '?'.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler.h"

Ctx *
ctx_new(void)
{
	Arena *a = arena_new();
	Ctx *ctx = arena_alloc(a, sizeof(*ctx));
	ctx->arena = a;
	ctx->err = stderr;
	ctx->opt.opt_level = 3;
	ctx->opt.target = "openmp";
	ctx->opt.emit = "so";
	ctx->opt.format = "yaml";
	ctx->opt.stage = "optimized";
	const char *cc = getenv("CC");
	ctx->opt.cc = cc && *cc ? cc : "cc";
	return ctx;
}

void
ctx_free(Ctx *ctx)
{
	if (ctx)
		arena_free(ctx->arena);
}

void
ctx_add_source(Ctx *ctx, const char *name, const char *text, size_t len)
{
	SourceFile sf = { arena_strdup(ctx->arena, name), text, len };
	vec_push(ctx->arena, &ctx->sources, sf);
}

static const SourceFile *
find_source(Ctx *ctx, const char *name)
{
	if (!name)
		return NULL;
	for (int i = ctx->sources.len - 1; i >= 0; i--)
		if (strcmp(ctx->sources.data[i].name, name) == 0)
			return &ctx->sources.data[i];
	return NULL;
}

/* Prints line `line` of sf and a caret under byte column `col`. */
static void
quote_line(FILE *out, const SourceFile *sf, int line, int col)
{
	const char *p = sf->text, *end = sf->text + sf->len;
	for (int l = 1; l < line && p < end; p++)
		if (*p == '\n')
			l++;
	if (p >= end && line > 1)
		return;
	const char *e = p;
	while (e < end && *e != '\n' && *e != '\r')
		e++;
	fputs("    ", out);
	for (const char *q = p; q < e; q++)
		fputc((unsigned char)*q < 0x20 && *q != '\t' ? '?' : *q, out);
	fputs("\n    ", out);
	for (int i = 1; i < col && p + i - 1 < e; i++)
		fputc(p[i - 1] == '\t' ? '\t' : ' ', out);
	fputs("^\n", out);
}

static void
report(Ctx *ctx, SrcLoc loc, const char *kind, const char *fmt, va_list ap)
{
	FILE *out = ctx->err ? ctx->err : stderr;
	if (loc.file && loc.line > 0)
		fprintf(out, "%s:%d:%d: %s: ", loc.file, loc.line, loc.col, kind);
	else if (loc.file)
		fprintf(out, "%s: %s: ", loc.file, kind);
	else
		fprintf(out, "dfc: %s: ", kind);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	const SourceFile *sf = find_source(ctx, loc.file);
	if (sf && loc.line > 0)
		quote_line(out, sf, loc.line, loc.col > 0 ? loc.col : 1);
	fflush(out);
}

void
diag_error(Ctx *ctx, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, loc, "error", fmt, ap);
	va_end(ap);
	ctx->nerrors++;
}

void
diag_warning(Ctx *ctx, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, loc, "warning", fmt, ap);
	va_end(ap);
}

void
diag_note(Ctx *ctx, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, loc, "note", fmt, ap);
	va_end(ap);
}

SrcLoc
diag_loc_at_offset(const char *path, const char *text, size_t len, size_t off)
{
	SrcLoc loc = { path, 1, 1 };
	for (size_t i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			loc.line++;
			loc.col = 1;
		} else {
			loc.col++;
		}
	}
	return loc;
}

void
diag_fatal(Ctx *ctx, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, loc, "error", fmt, ap);
	va_end(ap);
	ctx->nerrors++;
	if (ctx->bail)
		longjmp(*ctx->bail, 1);
	exit(EXIT_USER);
}

void
dfc_ice(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "dfc: internal compiler error: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (at %s:%d)\nPlease report this bug with the input that caused it.\n",
		file, line);
	va_end(ap);
	exit(EXIT_ICE);
}

static void
on_crash(int sig)
{
	static const char msg[] =
		"dfc: internal compiler error: fatal signal (crash)\n"
		"Please report this bug with the input that caused it.\n";
	ssize_t r = write(2, msg, sizeof msg - 1);
	(void)r;
	(void)sig;
	_exit(EXIT_ICE);
}

void
diag_install_crash_handler(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	/* An alternate stack, so a stack overflow is reported too. */
	stack_t ss = { .ss_sp = malloc(SIGSTKSZ * 4), .ss_size = SIGSTKSZ * 4 };
	if (ss.ss_sp)
		sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		sigaction(sigs[i], &sa, NULL);
}
