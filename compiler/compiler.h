/* compiler/compiler.h — base utilities every module of dfc builds on.
 *
 * Sections (one .c file each):
 *   arena.c  one arena per compilation: every IR object, string and vector
 *            lives in it and is freed at once; no piecewise free.
 *   strbuf.c growable strings (in the arena) and formatted printing.
 *   diag.c   diagnostics in gcc style (file:line:col: error: msg, the source
 *            line, a caret, note: lines) and internal-error reporting.
 *   prof.c   `dfc prof`: the table of a Chrome trace written by code built
 *            with --instrument.
 *   main.c   the command line (build, dump, --help, --version) and the
 *            pipeline, readable in one function per command.
 *
 * Conventions: a Ctx * is passed first to everything that allocates or
 * reports; there are no mutable globals, so several compilations can run in
 * one process. Exit codes: 0 ok, 1 user error, 2 usage error, 3 internal
 * compiler error.
 */
#ifndef DFC_COMPILER_H
#define DFC_COMPILER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DFC_VERSION "0.1.0"

enum { EXIT_USER = 1, EXIT_USAGE = 2, EXIT_ICE = 3 };

/* ---- arena.c ---- */

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
/* Zeroed, 16-byte aligned memory that lives until arena_free. Never NULL. */
void *arena_alloc(Arena *a, size_t size);
/* Copy of old[0..oldsize) in a new block of newsize bytes (rest zeroed). */
void *arena_realloc(Arena *a, void *old, size_t oldsize, size_t newsize);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap);

/* Typed growable arrays in an arena: `VEC(int) v = {0}; vec_push(a, &v, 3);`
 * Elements may move when the vector grows; refer to them by index. */
#define VEC(T) struct { T *data; int len, cap; }
#define vec_push(arena, v, x)                                                 \
	do {                                                                  \
		if ((v)->len == (v)->cap) {                                   \
			int nc_ = (v)->cap ? 2 * (v)->cap : 8;                \
			(v)->data = arena_realloc((arena), (v)->data,         \
			    sizeof(*(v)->data) * (size_t)(v)->cap,            \
			    sizeof(*(v)->data) * (size_t)nc_);                \
			(v)->cap = nc_;                                       \
		}                                                             \
		(v)->data[(v)->len++] = (x);                                  \
	} while (0)

/* ---- strbuf.c ---- */

typedef struct StrBuf {
	Arena *arena;
	char *buf; /* always NUL-terminated once anything was written */
	size_t len, cap;
} StrBuf;

void sb_init(StrBuf *sb, Arena *a);
void sb_puts(StrBuf *sb, const char *s);
void sb_putc(StrBuf *sb, char c);
void sb_printf(StrBuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vprintf(StrBuf *sb, const char *fmt, va_list ap);
/* The text so far ("" when empty); stays valid while the arena lives. */
const char *sb_str(StrBuf *sb);

/* Interned strings (value numbering, common subexpressions): equal texts
 * get the same id, ids counting from 0 in the order first seen. */
typedef struct StrIds {
	const char **key;       /* open addressing, cap a power of two */
	int *id;
	int cap, len;
} StrIds;

/* The id of s (copied into the arena when new); *fresh (may be NULL)
 * tells whether it was new. */
int strids_get(Arena *a, StrIds *t, const char *s, bool *fresh);

/* Reads a whole file into the arena; NULL (errno set) on failure. *len may be NULL. */
char *file_read(Arena *a, const char *path, size_t *len);
/* Writes text to path; false (errno set) on failure. */
bool file_write(const char *path, const char *text, size_t len);

/* ---- diag.c ---- */

/* A position in a user file: file name, 1-based line and column.
 * line == 0 means "unknown" (printed without line:col). */
typedef struct SrcLoc {
	const char *file;
	int line, col;
} SrcLoc;

typedef struct Options {
	int opt_level;          /* 0..3; default 3 */
	bool opt_level_set;     /* -O was given (YAML inputs are optimized only then) */
	const char *target;     /* "openmp" (default), "serial", "cuda", "mpi" */
	const char *outdir;     /* -o: build's directory, transform's file; NULL if not given */
	const char *script;     /* --script RECIPE.yaml or NULL */
	const char *replay;     /* transform --replay DUMP.yaml or NULL */
	bool list;              /* transform --list */
	const char *emit;       /* "so" (default), "exe", "c" */
	const char *sig;        /* --sig text or NULL */
	const char *cc;         /* C compiler for generated code; $CC or "cc" */
	const char *format;     /* dump format: "yaml", "dot", "text" */
	const char *stage;      /* dump stage: "parsed", "optimized" */
	const char *runtime_dir;/* where dfcrt.h/libdfcrt live */
	bool verbose;
	bool instrument;
	bool boundscheck;       /* --boundscheck: data-dependent indices checked */
} Options;

typedef struct SourceFile {
	const char *name;
	const char *text;
	size_t len;
} SourceFile;

typedef struct Ctx {
	Arena *arena;           /* the compilation's arena */
	Options opt;
	FILE *err;              /* where diagnostics go (stderr) */
	int nerrors;
	VEC(SourceFile) sources;/* registered files, for printing source lines */
	jmp_buf *bail;          /* diag_fatal longjmps here when set */
	struct DepMemo *dep_memo; /* passes/depend.c: the answers of the
				     dependence problems solved so far */
} Ctx;

Ctx *ctx_new(void);
void ctx_free(Ctx *ctx);
/* Registers the text of a file so diagnostics can quote its lines. */
void ctx_add_source(Ctx *ctx, const char *name, const char *text, size_t len);

void diag_error(Ctx *ctx, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(Ctx *ctx, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_note(Ctx *ctx, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The location (line and column, from 1) of byte offset `off` of text
 * (len bytes) of file path: for readers whose errors carry only an offset
 * (libyaml's reader errors). */
SrcLoc diag_loc_at_offset(const char *path, const char *text, size_t len, size_t off);
/* Reports an error, then longjmps to ctx->bail (exit(1) if unset). */
_Noreturn void diag_fatal(Ctx *ctx, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Broken invariants: never for user errors. Prints and exits with 3. */
_Noreturn void dfc_ice(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define ICE(...) dfc_ice(__FILE__, __LINE__, __VA_ARGS__)
#define UNREACHABLE() dfc_ice(__FILE__, __LINE__, "unreachable")

/* Turns fatal signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) into an
 * internal-compiler-error message and exit status 3. */
void diag_install_crash_handler(void);

/* ---- prof.c ---- */

/* Prints to out the table of the trace text[0..len) (read from path):
 * time per kernel, state and map, sorted by total time, the first top
 * rows only when top > 0. False after located errors (a malformed or
 * non-trace file). */
bool prof_trace_print(Ctx *ctx, const char *path, const char *text, size_t len, int top,
		      FILE *out);

#endif
