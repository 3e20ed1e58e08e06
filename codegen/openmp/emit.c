/* codegen/openmp/emit.c — C11 + OpenMP source of an IR module.
 *
 * Each program p becomes, with the ABI of codegen.h (arrays as `T
 * *restrict`, scalar arguments by value (a modifiable local), returns as
 * pointers (a 0-d return is name[0]), then the size symbols as int64_t):
 *   - struct p_handle, one DfcrtBuf per transient of lifetime "handle",
 *     with p_handle_create (zeroed: empty buffers) and p_handle_destroy;
 *   - p_with(struct p_handle *dfch, ...), the body;
 *   - p(...), which calls p_with on a handle of its own (a local struct)
 *     and frees its buffers before returning.
 * Inside p_with:
 *   - 0-d transients are C locals initialised to 0;
 *   - transients with ndim > 0 are dfcrt_alloc'ed once at function entry
 *     and freed at the exit label dfc_exit (where CF_RETURN jumps), or,
 *     with lifetime "handle", reserved in the handle's buffer (grown when
 *     this call needs more) and not freed. A transient whose shape depends
 *     on a loop variable is declared NULL at entry and (re)allocated (or
 *     reserved again) at the start of the shallowest block list that
 *     contains all its uses and sees every variable of its shape;
 *     a transient with storage "stack" (constant size) is instead an
 *     aligned local array, neither allocated nor freed;
 *   - the body is the structured control flow of the IR, with a comment
 *     naming each state, loop and branch and its source line;
 *   - with --instrument, a timer spans the whole function (allocations and
 *     frees included; a return jumps to dfc_exit, before its end).
 * An element of container A at index (i, j) is A[i*s0 + j*s1] with the
 * container's strides, built as one Sym and printed by sym_print_c, so
 * `*1` and `+0` disappear.
 * Parameters and locals that the body never reads get a `(void)x;` so the
 * file stays warning-free under -Wall -Wextra. Two kinds of optimizer
 * warnings that are false positives on such code are turned off at the top
 * of the file: gcc's bounds warnings on the memcpy calls its loop
 * distribution makes of copy loops, and clang's note that an `omp simd`
 * loop could not be vectorized.
 */
#include <ctype.h>
#include <string.h>

#include "emit.h"

/* ---- text ---- */

void
cg_omp_line(OmpEmit *E, const char *fmt, ...)
{
	va_list ap;
	for (int i = 0; i < E->indent; i++)
		sb_putc(E->sb, '\t');
	va_start(ap, fmt);
	sb_vprintf(E->sb, fmt, ap);
	va_end(ap);
	sb_putc(E->sb, '\n');
}

void
cg_omp_simd(OmpEmit *E, const char *extra)
{
	if (E->parallel)
		cg_omp_line(E, "#pragma omp simd%s", extra);
}

void
cg_omp_par_for(OmpEmit *E, const char *extra, const char *work)
{
	if (E->parallel && !E->in_parallel)
		cg_omp_line(E, "#pragma omp parallel for%s schedule(static) "
			    "if(parallel: %s > DFCRT_PAR_MIN_WORK)", extra, work);
}

/* Text safe inside a C comment: no comment terminator, no control bytes. */
static char *
comment_text(Arena *a, const char *s)
{
	size_t n = strlen(s);
	char *t = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		t[i] = (c < 32 || c == 127) ? ' ' : (char)c;
		if (c == '/' && i > 0 && s[i - 1] == '*')
			t[i] = '|';
	}
	return t;
}

/* A comment line such as "/" "* map_L14 (samples/jacobi2d.py:14) *" "/". */
void
cg_omp_comment(OmpEmit *E, const char *what, const char *name, SrcLoc loc)
{
	const char *n = comment_text(E->a, name ? name : what);
	if (loc.line > 0 && loc.file)
		cg_omp_line(E, "/* %s (%s:%d) */", n, comment_text(E->a, loc.file), loc.line);
	else
		cg_omp_line(E, "/* %s */", n);
}

void
cg_omp_trace_begin(OmpEmit *E, const char *var, const char *name, const char *cat,
		   SrcLoc loc)
{
	cg_omp_line(E, "static const DfcrtTraceSite dfctrace_site_%s = { %s, \"%s\", %s, %s, %d };",
		    var, cg_c_string(E->a, name), cat, cg_c_string(E->a, E->p->name),
		    cg_c_string(E->a, loc.line > 0 ? loc.file : ""), loc.line > 0 ? loc.line : 0);
	cg_omp_line(E, "const int64_t dfctrace_t_%s = dfcrt_trace_begin();", var);
}

void
cg_omp_trace_end(OmpEmit *E, const char *var)
{
	cg_omp_line(E, "dfcrt_trace_end(&dfctrace_site_%s, dfctrace_t_%s);", var, var);
}

void
cg_omp_fail(OmpEmit *E, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(E->a, fmt, ap);
	va_end(ap);
	if (!E->failed || E->ctx->nerrors == 0)
		diag_error(E->ctx, loc, "%s", msg);
	E->failed = true;
}

/* text without one pair of enclosing parentheses, when they match and do
 * not hold a comma expression. */
char *
cg_omp_strip(OmpEmit *E, const char *text)
{
	size_t n = strlen(text);
	if (n < 2 || text[0] != '(' || text[n - 1] != ')')
		return arena_strdup(E->a, text);
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
		if ((depth == 0 && i < n - 1) || (depth == 1 && text[i] == ','))
			return arena_strdup(E->a, text);
	}
	return arena_strndup(E->a, text + 1, n - 2);
}

/* text, parenthesized unless it is a name, a number or a call. */
char *
cg_omp_paren(OmpEmit *E, const char *text)
{
	const char *s = text;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	if (*s == '\0')
		return arena_strdup(E->a, text);
	if (s > text && *s == '(') {
		int depth = 0;
		for (const char *q = s; *q; q++) {
			depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
			if (depth == 0)
				return q[1] == '\0' ? arena_strdup(E->a, text)
						    : arena_printf(E->a, "(%s)", text);
		}
	}
	return arena_printf(E->a, "(%s)", text);
}

/* ---- names ---- */

/* Identifiers the generated file cannot give to an IR name: C keywords,
 * names defined by the headers it includes, and the functions it calls. */
static const char *const reserved[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "asm", "typeof",
	"bool", "true", "false", "NULL", "size_t", "ptrdiff_t", "intptr_t",
	"uintptr_t", "intmax_t", "uintmax_t", "wchar_t", "max_align_t",
	"offsetof", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t",
	"uint16_t", "uint32_t", "uint64_t", "FILE", "fpos_t", "stdin",
	"stdout", "stderr", "EOF", "BUFSIZ", "FILENAME_MAX", "FOPEN_MAX",
	"TMP_MAX", "L_tmpnam", "SEEK_SET", "SEEK_CUR", "SEEK_END", "P_tmpdir",
	"errno", "assert", "I", "complex", "imaginary", "INFINITY", "NAN",
	"HUGE", "HUGE_VAL", "HUGE_VALF", "HUGE_VALL", "MAXFLOAT", "isnan",
	"isinf", "isfinite", "isnormal", "signbit", "fpclassify", "float_t",
	"double_t", "sqrt", "sqrtf", "exp", "expf", "log", "logf", "sin",
	"sinf", "cos", "cosf", "tan", "tanf", "tanh", "tanhf", "pow", "powf",
	"floor", "floorf", "fabs", "fabsf", "fmod", "fmodf", "copysign",
	"copysignf", "main",
};

static bool
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool
all_caps(const char *s)
{
	for (; *s; s++)
		if (!(isupper((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

static bool
is_reserved(const char *s)
{
	for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
		if (strcmp(s, reserved[i]) == 0)
			return true;
	if (s[0] == '_' && (isupper((unsigned char)s[1]) || s[1] == '_')) {
		size_t n = strlen(s);
		if (s[1] != '_' || (n > 4 && strcmp(s + n - 2, "__") == 0))
			return true;
		if (has_prefix(s, "__builtin") || has_prefix(s, "__sync") ||
		    has_prefix(s, "__atomic") || has_prefix(s, "__asm") ||
		    has_prefix(s, "__inline") || has_prefix(s, "__restrict") ||
		    has_prefix(s, "__const") || has_prefix(s, "__signed") ||
		    has_prefix(s, "__volatile") || has_prefix(s, "__int128") ||
		    has_prefix(s, "__float128") || has_prefix(s, "__complex") ||
		    has_prefix(s, "__real") || has_prefix(s, "__imag") ||
		    has_prefix(s, "__thread") || has_prefix(s, "__alignof") ||
		    has_prefix(s, "__typeof") || has_prefix(s, "__label"))
			return true;
	}
	if (has_prefix(s, "dfc") || has_prefix(s, "omp_"))
		return true;
	return all_caps(s) && (has_prefix(s, "INT") || has_prefix(s, "UINT") ||
			       has_prefix(s, "SIZE_") || has_prefix(s, "PTRDIFF_") ||
			       has_prefix(s, "WCHAR_") || has_prefix(s, "WINT_") ||
			       has_prefix(s, "SIG_ATOMIC") || has_prefix(s, "FP_") ||
			       has_prefix(s, "M_") || has_prefix(s, "MATH_"));
}

/* Functions declared by the headers the generated file includes (math.h,
 * stdio.h through dfcrt.h): a kernel (a global function) cannot take
 * their names. Math functions also come with f and l suffixes. */
static const char *const math_fns[] = {
	"acos", "asin", "atan", "atan2", "cos", "sin", "tan", "acosh", "asinh",
	"atanh", "cosh", "sinh", "tanh", "exp", "exp2", "expm1", "frexp", "ilogb",
	"ldexp", "log", "log10", "log1p", "log2", "logb", "modf", "scalbn",
	"scalbln", "cbrt", "fabs", "hypot", "pow", "sqrt", "erf", "erfc", "lgamma",
	"tgamma", "ceil", "floor", "nearbyint", "rint", "lrint", "llrint", "round",
	"lround", "llround", "trunc", "fmod", "remainder", "remquo", "copysign",
	"nan", "nextafter", "nexttoward", "fdim", "fmax", "fmin", "fma", "j0",
	"j1", "jn", "y0", "y1", "yn", "gamma", "drem", "finite", "significand",
	"exp10", "pow10", "sincos", "scalb", "isinf", "isnan",
};
static const char *const stdio_fns[] = {
	"remove", "rename", "tmpfile", "tmpnam", "fclose", "fflush", "fopen",
	"freopen", "setbuf", "setvbuf", "fprintf", "fscanf", "printf", "scanf",
	"snprintf", "sprintf", "sscanf", "vfprintf", "vfscanf", "vprintf", "vscanf",
	"vsnprintf", "vsprintf", "vsscanf", "fgetc", "fgets", "fputc", "fputs",
	"getc", "getchar", "gets", "putc", "putchar", "puts", "ungetc", "fread",
	"fwrite", "fgetpos", "fseek", "fsetpos", "ftell", "rewind", "clearerr",
	"feof", "ferror", "perror", "fileno", "popen", "pclose", "getline",
	"getdelim", "dprintf", "fdopen", "ctermid", "fseeko", "ftello", "renameat",
};

static bool
in_table(const char *const *t, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i]) == len && strncmp(t[i], s, len) == 0)
			return true;
	return false;
}

/* Is s the name of a function of the C library headers we include? */
static bool
is_libc_function(const char *s)
{
	size_t n = strlen(s), nm = sizeof math_fns / sizeof *math_fns;
	if (in_table(math_fns, nm, s, n) ||
	    in_table(stdio_fns, sizeof stdio_fns / sizeof *stdio_fns, s, n))
		return true;
	return n > 1 && (s[n - 1] == 'f' || s[n - 1] == 'l') && in_table(math_fns, nm, s, n - 1);
}

static bool
is_ident(const char *s)
{
	if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (s++; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

static bool
program_name_taken(const IrProgram *p, const char *s)
{
	return ir_program_find_container(p, s) || ir_program_has_symbol(p, s);
}

/* Is name "<p>_with", the function that the plain entry p calls (a
 * parameter of that name would hide it)? */
static bool
is_with_name(const OmpEmit *E, const char *name)
{
	size_t n = strlen(E->p->name);
	return strncmp(name, E->p->name, n) == 0 && strcmp(name + n, "_with") == 0;
}

/* The C name of IR name `name`: the name itself, or when it is reserved in
 * the generated C, name + "_" (or "u_" + name when a reserved prefix makes
 * that reserved too), with more '_' appended until no container or symbol
 * of the program has it. */
const char *
cg_omp_cname(OmpEmit *E, const char *name)
{
	if (!is_reserved(name) && !cg_omp_blas_reserved(name) && !is_with_name(E, name))
		return name;
	char *c = arena_printf(E->a, "%s_", name);
	if (is_reserved(c) || cg_omp_blas_reserved(c))
		c = arena_printf(E->a, "u_%s", name);
	while (program_name_taken(E->p, c))
		c = arena_printf(E->a, "%s_", c);
	return c;
}

static bool
in_list(const char *const *v, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

void
cg_omp_mark_used(OmpEmit *E, const char *name)
{
	if (!in_list(E->used.data, E->used.len, name))
		vec_push(E->a, &E->used, name);
}

void
cg_omp_mark_read(OmpEmit *E, const char *name)
{
	cg_omp_mark_used(E, name);
	if (!in_list(E->read.data, E->read.len, name))
		vec_push(E->a, &E->read, name);
}

typedef struct Renames {
	OmpEmit *E;
	VEC(const char *) from;
} Renames;

static void
note_var(const char *name, void *ud)
{
	Renames *r = ud;
	cg_omp_mark_used(r->E, name);
	if (cg_omp_cname(r->E, name) != name)
		vec_push(r->E->a, &r->from, name);
}

/* s with every reserved name renamed to its C name; marks the names used. */
Sym *
cg_omp_msym(OmpEmit *E, const Sym *s)
{
	Renames r = { .E = E };
	sym_foreach_var(s, note_var, &r);
	Sym *out = (Sym *)s;
	for (int i = 0; i < r.from.len; i++)
		out = sym_subst(E->a, out, r.from.data[i],
				sym_var(E->a, cg_omp_cname(E, r.from.data[i])));
	return out;
}

/* C text (int64_t arithmetic) of an IR Sym. */
char *
cg_omp_sym(OmpEmit *E, const Sym *s)
{
	return sym_print_c_named(E->a, cg_omp_msym(E, s), E->width_sym.len, E->width_sym.data,
				 E->width_name.data);
}

/* ---- containers ---- */

const IrContainer *
cg_omp_container(OmpEmit *E, const char *name)
{
	const IrContainer *c = ir_program_find_container(E->p, name);
	if (!c)
		ICE("program '%s' has no container '%s' (verify first)", E->p->name, name);
	return c;
}

/* Linear element offset of the first element of subset s in c (IR names). */
Sym *
cg_omp_linear(OmpEmit *E, const IrContainer *c, const Subset *s)
{
	if (s->ndim != c->ndim)
		ICE("subset of rank %d on '%s' of rank %d", s->ndim, c->name, c->ndim);
	Sym *lin = sym_const(E->a, 0);
	for (int d = 0; d < c->ndim; d++)
		lin = sym_add(E->a, lin, sym_mul(E->a, s->r[d].begin, c->strides[d]));
	return lin;
}

/* The C lvalue of the first element of s in c: "A[i*N + j]", "x" for a
 * 0-d local, "r[0]" for a 0-d return. */
char *
cg_omp_ref(OmpEmit *E, const IrContainer *c, const Subset *s)
{
	const char *n = cg_omp_cname(E, c->name);
	cg_omp_mark_used(E, c->name);
	if (c->ndim == 0)
		return c->role == ROLE_RETURN ? arena_printf(E->a, "%s[0]", n)
					      : arena_strdup(E->a, n);
	return arena_printf(E->a, "%s[%s]", n, cg_omp_sym(E, cg_omp_linear(E, c, s)));
}

static bool
row_major(OmpEmit *E, const IrContainer *c)
{
	Sym **rm = ir_strides_row_major(E->a, c->ndim, c->shape);
	for (int d = 0; d < c->ndim; d++)
		if (!sym_equal(rm[d], c->strides[d]))
			return false;
	return true;
}

/* Number of elements an allocation of c must hold (IR names): the
 * product of the shape when row-major, else 1 + the largest offset. */
Sym *
cg_omp_span(OmpEmit *E, const IrContainer *c)
{
	Arena *a = E->a;
	Sym *v = sym_const(a, 1);
	if (row_major(E, c)) {
		for (int d = 0; d < c->ndim; d++)
			v = sym_mul(a, v, c->shape[d]);
		return v;
	}
	for (int d = 0; d < c->ndim; d++) {
		Sym *last = sym_max(a, sym_addc(a, c->shape[d], -1), sym_const(a, 0));
		v = sym_add(a, v, sym_mul(a, last, c->strides[d]));
	}
	return v;
}

/* "sizeof(T) * (size_t)n": the bytes of an allocation of c, with n
 * clamped at 0 unless it is a constant. */
static char *
alloc_bytes(OmpEmit *E, const IrContainer *c)
{
	Sym *n = cg_omp_span(E, c);
	int64_t v;
	if (!sym_is_const(n, &v))
		n = sym_max(E->a, n, sym_const(E->a, 0));
	else if (v < 0)
		n = sym_const(E->a, 0);
	return arena_printf(E->a, "sizeof(%s) * (size_t)%s", dtype_ctype(c->dtype),
			    cg_omp_paren(E, cg_omp_sym(E, n)));
}

/* "dfcrt_alloc(sizeof(T) * (size_t)n)". */
char *
cg_omp_alloc(OmpEmit *E, const IrContainer *c)
{
	return arena_printf(E->a, "dfcrt_alloc(%s)", alloc_bytes(E, c));
}

/* The handle buffer of transient c (E->slot), or -1 when c is allocated
 * in every call. */
static int
handle_slot(const OmpEmit *E, const IrContainer *c)
{
	return E->slot ? E->slot[c - E->p->containers.data] : -1;
}

/* The block of an array transient: its handle buffer, grown to size when
 * needed, or a new allocation. */
static char *
alloc_text(OmpEmit *E, const IrContainer *c)
{
	int k = handle_slot(E, c);
	if (k < 0)
		return cg_omp_alloc(E, c);
	return arena_printf(E->a, "dfcrt_buf_reserve(&dfch->buf[%d], %s)", k,
			    alloc_bytes(E, c));
}

/* ---- returns of run-time size ---- */

static bool
is_global_name(const IrProgram *p, const char *name);

static void
note_local(const char *name, void *ud)
{
	void **u = ud;
	if (!is_global_name(u[0], name))
		u[1] = (void *)name;
}

/* Is c a return whose shape uses a symbol assigned at run time? The
 * kernel allocates it and hands it to the caller through the
 * out-parameters dfcout_<c> (T **) and dfcshape_<c> (int64_t *), see
 * codegen.h. */
static bool
is_dynamic_return(const OmpEmit *E, const IrContainer *c)
{
	void *ud[2] = { (void *)E->p, NULL };
	if (c->role != ROLE_RETURN)
		return false;
	for (int d = 0; d < c->ndim; d++)
		sym_foreach_var(c->shape[d], note_local, ud);
	return ud[1] != NULL;
}

/* The allocation of dynamic return c, once its shape is known: a fresh
 * block (never a handle buffer: the caller owns it), handed out with
 * its extents at once, so that a return anywhere after it sees them. */
static void
emit_return_alloc(OmpEmit *E, const IrContainer *c)
{
	const char *n = cg_omp_cname(E, c->name);
	cg_omp_line(E, "%s = %s;", n, cg_omp_alloc(E, c));
	cg_omp_line(E, "*dfcout_%s = %s;", n, n);
	for (int d = 0; d < c->ndim; d++)
		cg_omp_line(E, "dfcshape_%s[%d] = %s;", n, d, cg_omp_sym(E, c->shape[d]));
}

/* The allocation of a transient whose shape is known only inside the
 * body: a new block replaces the previous one (or the handle buffer
 * grows), each time control reaches the place. */
static void
emit_place_alloc(OmpEmit *E, const IrContainer *c)
{
	const char *n = cg_omp_cname(E, c->name);
	cg_omp_mark_used(E, c->name);
	if (c->role == ROLE_RETURN) {
		emit_return_alloc(E, c);
		return;
	}
	if (handle_slot(E, c) < 0)
		cg_omp_line(E, "dfcrt_free(%s);", n);
	cg_omp_line(E, "%s = %s;", n, alloc_text(E, c));
}

/* ---- placement of transients ---- */

/* The common prefix of the block-list paths of every use of a container. */
typedef struct PathAcc {
	bool seen;
	int len;
	const IrBlockList **lists;
	const char **defs;        /* loop variable introduced by lists[i], or NULL */
} PathAcc;

/* Where a CF_ASSIGN assigns its symbol: block `b`, index `at` of `list`. */
typedef struct AssignAt {
	const IrBlock *b;
	const IrBlockList *list;
	int at;
} AssignAt;

typedef struct Walk {
	OmpEmit *E;
	VEC(const IrBlockList *) lists;
	VEC(const char *) defs;
	PathAcc *acc;             /* per container index */
	VEC(AssignAt) assigns;    /* every CF_ASSIGN of the program */
} Walk;

static void
note_use(Walk *w, const char *name)
{
	const IrProgram *p = w->E->p;
	const IrContainer *c = ir_program_find_container(p, name);
	if (!c || c->role != ROLE_TRANSIENT || c->ndim == 0)
		return;
	PathAcc *pa = &w->acc[c - p->containers.data];
	if (!pa->seen) {
		pa->seen = true;
		pa->len = w->lists.len;
		pa->lists = arena_alloc(w->E->a, sizeof(*pa->lists) * (size_t)pa->len);
		pa->defs = arena_alloc(w->E->a, sizeof(*pa->defs) * (size_t)pa->len);
		memcpy(pa->lists, w->lists.data, sizeof(*pa->lists) * (size_t)pa->len);
		memcpy(pa->defs, w->defs.data, sizeof(*pa->defs) * (size_t)pa->len);
		return;
	}
	int k = 0;
	while (k < pa->len && k < w->lists.len && pa->lists[k] == w->lists.data[k])
		k++;
	pa->len = k;
}

static void walk_list(Walk *w, const IrBlockList *l, const char *def);

static void
walk_block(Walk *w, const IrBlock *b)
{
	switch (b->kind) {
	case CF_STATE:
		for (int i = 0; i < b->state->memlets.len; i++)
			if (b->state->memlets.data[i].data)
				note_use(w, b->state->memlets.data[i].data);
		for (int i = 0; i < b->state->nodes.len; i++)
			if (b->state->nodes.data[i].kind == IRN_ACCESS)
				note_use(w, b->state->nodes.data[i].access.data);
		break;
	case CF_FOR:
		walk_list(w, &b->loop.body, b->loop.var);
		break;
	case CF_WHILE:
		walk_list(w, &b->wloop.body, NULL);
		break;
	case CF_IF:
		for (int i = 0; i < b->branch.n; i++)
			walk_list(w, &b->branch.bodies[i], NULL);
		walk_list(w, &b->branch.orelse, NULL);
		break;
	default:
		break;
	}
}

static void
walk_list(Walk *w, const IrBlockList *l, const char *def)
{
	vec_push(w->E->a, &w->lists, l);
	vec_push(w->E->a, &w->defs, def);
	for (int i = 0; i < l->len; i++) {
		if (l->data[i]->kind == CF_ASSIGN)
			vec_push(w->E->a, &w->assigns, ((AssignAt){ l->data[i], l, i }));
		walk_block(w, l->data[i]);
	}
	w->lists.len--;
	w->defs.len--;
}

static bool
is_global_name(const IrProgram *p, const char *name)
{
	if (ir_program_has_symbol(p, name))
		return true;
	for (int i = 0; i < p->args.len; i++)
		if (p->args.data[i].kind == ARG_SYMBOL && strcmp(p->args.data[i].name, name) == 0)
			return true;
	return false;
}

/* Where a placed allocation goes: the start of pa->lists[level], or right
 * after its CF_ASSIGN block `after` (index at). */
typedef struct Where {
	int level;
	const IrBlock *after;
	int at;
} Where;

/* Moves *w down to where the CF_ASSIGN of symbol v lies on pa's path,
 * when that is deeper or later; false when v is assigned nowhere on it. */
static bool
after_assign(const Walk *wk, const PathAcc *pa, const char *v, Where *w)
{
	for (int i = 0; i < wk->assigns.len; i++) {
		const AssignAt *as = &wk->assigns.data[i];
		if (strcmp(as->b->assign.sym, v) != 0)
			continue;
		for (int k = 0; k < pa->len; k++) {
			if (pa->lists[k] != as->list)
				continue;
			if (k > w->level || (k == w->level && as->at > w->at))
				*w = (Where){ k, as->b, as->at };
			return true;
		}
	}
	return false;
}

/* The shallowest place on pa's path at which every variable of c's shape
 * and strides is defined (level -1 if none). */
static Where
place_level(OmpEmit *E, const Walk *wk, const IrContainer *c, const PathAcc *pa)
{
	SymNames vl = { 0 };
	for (int d = 0; d < c->ndim; d++) {
		sym_vars(E->a, c->shape[d], &vl);
		sym_vars(E->a, c->strides[d], &vl);
	}
	Where w = { 0, NULL, -1 };
	for (int i = 0; i < vl.len; i++) {
		const char *v = vl.data[i];
		if (is_global_name(E->p, v))
			continue;
		int at = -1;
		for (int k = 1; k < pa->len && at < 0; k++)
			if (pa->defs[k] && strcmp(pa->defs[k], v) == 0)
				at = k;
		if (at > w.level)
			w = (Where){ at, NULL, -1 };
		if (at < 0 && after_assign(wk, pa, v, &w))
			continue;
		if (at < 0) {
			cg_omp_fail(E, c->loc, "the shape of transient '%s' depends on '%s', "
				    "which is not defined where '%s' is used", c->name, v, c->name);
			return (Where){ -1, NULL, -1 };
		}
	}
	return w;
}

/* Places the allocation of dynamic return c right after the last
 * top-level CF_ASSIGN of a symbol of its shape (ir_verify allows no
 * other assigned symbol there). */
static void
place_return(OmpEmit *E, const IrContainer *c)
{
	const IrBlockList *body = &E->p->body;
	SymNames vl = { 0 };
	for (int d = 0; d < c->ndim; d++)
		sym_vars(E->a, c->shape[d], &vl);
	int last = -1;
	for (int i = 0; i < vl.len; i++) {
		int at = -1;
		for (int k = 0; k < body->len && at < 0; k++)
			if (body->data[k]->kind == CF_ASSIGN &&
			    strcmp(body->data[k]->assign.sym, vl.data[i]) == 0)
				at = k;
		if (at < 0 && !is_global_name(E->p, vl.data[i])) {
			cg_omp_fail(E, c->loc, "the shape of return '%s' uses '%s', which is not "
				    "assigned at the top level of the program", c->name, vl.data[i]);
			return;
		}
		if (at > last)
			last = at;
	}
	vec_push(E->a, &E->places, ((OmpPlace){ body, c, body->data[last] }));
}

/* Decides where each array transient is allocated; marks in *at_entry the
 * ones allocated at function entry (the others go to E->places). */
static void
place_transients(OmpEmit *E, bool *at_entry)
{
	const IrProgram *p = E->p;
	Walk w = { .E = E };
	w.acc = arena_alloc(E->a, sizeof(PathAcc) * (size_t)(p->containers.len + 1));
	walk_list(&w, &p->body, NULL);
	for (int i = 0; i < p->containers.len; i++) {
		const IrContainer *c = &p->containers.data[i];
		if (is_dynamic_return(E, c))
			place_return(E, c);
		if (c->role != ROLE_TRANSIENT || c->ndim == 0 || !w.acc[i].seen ||
		    cg_omp_local_scope(E, c, NULL) >= 0)
			continue;
		if (c->storage == STORAGE_STACK) {
			at_entry[i] = true;
			continue;
		}
		Where at = place_level(E, &w, c, &w.acc[i]);
		if (at.level == 0 && !at.after)
			at_entry[i] = true;
		else if (at.level >= 0)
			vec_push(E->a, &E->places, ((OmpPlace){ w.acc[i].lists[at.level], c, at.after }));
	}
}

/* ---- control flow ---- */

static void emit_list(OmpEmit *E, const IrBlockList *l);

static char *
cond_text(OmpEmit *E, const IrExpr *e)
{
	char *t = cg_omp_expr(E, e, NULL);
	return cg_omp_strip(E, cg_omp_convert(E, t, e->dtype, DT_BOOL));
}

/* Appends to *names the 0-d transients that the states of l (nested
 * blocks included) write. */
static void
written_scalars(OmpEmit *E, const IrBlockList *l, OmpNames *names)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		if (b->kind == CF_FOR)
			written_scalars(E, &b->loop.body, names);
		else if (b->kind == CF_WHILE)
			written_scalars(E, &b->wloop.body, names);
		for (int k = 0; b->kind == CF_IF && k < b->branch.n; k++)
			written_scalars(E, &b->branch.bodies[k], names);
		if (b->kind == CF_IF)
			written_scalars(E, &b->branch.orelse, names);
		if (b->kind != CF_STATE)
			continue;
		const IrState *s = b->state;
		for (int m = 0; m < s->memlets.len; m++) {
			const IrNode *d = &s->nodes.data[s->memlets.data[m].dst];
			const IrContainer *c = d->kind == IRN_ACCESS ?
				cg_omp_container(E, d->access.data) : NULL;
			if (c && c->ndim == 0 && c->role == ROLE_TRANSIENT &&
			    !in_list(names->data, names->len, c->name))
				vec_push(E->a, names, c->name);
		}
	}
}

enum { LINE_BYTES = 64 };   /* a cache line */

typedef struct LineScan {
	OmpEmit *E;
	const char *var;        /* the parallel loop's variable */
	OmpNames swept;         /* the variables of the loops in its body, and
				   (per state) the parameters of the maps */
	int64_t chunk;          /* iterations per chunk so far */
} LineScan;

/* Adds the variables of the for loops in l (and in its blocks) to names. */
static void
loop_vars(OmpEmit *E, const IrBlockList *l, OmpNames *names)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		if (b->kind == CF_FOR) {
			vec_push(E->a, names, b->loop.var);
			loop_vars(E, &b->loop.body, names);
		} else if (b->kind == CF_WHILE) {
			loop_vars(E, &b->wloop.body, names);
		} else if (b->kind == CF_IF) {
			for (int k = 0; k < b->branch.n; k++)
				loop_vars(E, &b->branch.bodies[k], names);
			loop_vars(E, &b->branch.orelse, names);
		}
	}
}

/* For each write in state s of more than one element per iteration of the
 * loop (a map's or a nested loop's, a column C[:i, j]): when consecutive
 * values of the loop variable move it by fewer bytes than a cache line,
 * the chunk takes enough iterations to fill a line. The move counts the
 * dimensions that no map parameter or nested loop variable sweeps (in
 * C[_i0 + j, j], written by a map over _i0 from row j on, only the column
 * moves: the rows of neighbouring iterations overlap), with a constant
 * stride; a move along a symbolic stride (a row) is taken to be a line or
 * more. A single element written per iteration (a dot's result) shares
 * its line for one store, which costs less than the balance a coarser
 * chunk loses (autocorrelation's lags, collatz's trajectories). */
static void
line_scan(IrState *s, IrBlock *blk, void *ud)
{
	LineScan *L = ud;
	(void)blk;
	int nloop = L->swept.len;
	for (int n = 0; n < s->nodes.len; n++) {
		const IrNode *nd = &s->nodes.data[n];
		for (int k = 0; nd->kind == IRN_MAP_ENTRY && k < nd->map.nparams; k++)
			vec_push(L->E->a, &L->swept, nd->map.params[k]);
	}
	for (int m = 0; m < s->memlets.len; m++) {
		const IrMemlet *me = &s->memlets.data[m];
		IrNodeKind src = s->nodes.data[me->src].kind, dst = s->nodes.data[me->dst].kind;
		/* a write: into a map exit from inside the map, or into an
		 * access node from a tasklet or a library node (a map exit's own
		 * memlet only sums those up) */
		if (!me->data || src == IRN_MAP_EXIT || (dst != IRN_MAP_EXIT && dst != IRN_ACCESS))
			continue;
		const IrContainer *c = cg_omp_container(L->E, me->data);
		if (!c || c->ndim == 0 || me->subset.ndim != c->ndim)
			continue;
		bool run = false, known = true;
		int64_t step = 0, coef, stride, extent;
		for (int k = 0; k < c->ndim && known; k++) {
			const SymRange *r = &me->subset.r[k];
			bool swept = cg_omp_depends_on_any(r->begin, &L->swept);
			run = run || swept || !sym_is_const(sym_sub(L->E->a, r->end, r->begin), &extent) ||
			      extent > 1;
			if (!sym_coef_of(r->begin, L->var, &coef))
				known = false;
			else if (coef != 0 && !swept && !sym_is_const(c->strides[k], &stride))
				known = false;
			else if (coef != 0 && !swept)
				step += coef * stride;
		}
		int64_t bytes = (step < 0 ? -step : step) * dtype_size(c->dtype);
		if (run && known && bytes > 0 && bytes < LINE_BYTES) {
			int64_t n = (LINE_BYTES + bytes - 1) / bytes;
			if (n > L->chunk)
				L->chunk = n;
		}
	}
	L->swept.len = nloop;
}

/* The pragma of a parallel loop (passes/loop_parallel.c, loop_blocking.c):
 * its iterations are independent and the 0-d transients its body writes
 * are private to each (written before read, dead after the loop). One
 * iteration per chunk, handed out as threads come free: the work of an
 * iteration may grow with it (a triangular loop); but iterations that
 * write neighbouring elements of one cache line (symm's loop over the
 * columns j of C[:i, j]) go in chunks of a line's worth (line_scan), else
 * two threads would write the same lines by turns (tests/corpus/linalg.py:
 * symm at M=88, N=104, two threads: 7.5 -> 0.80 ms). A loop of one
 * iteration (a loop over blocks when one block covers the range) does not
 * fork. Returns the chunk of a dynamic schedule, 0 for a static one. */
static int64_t
parallel_pragma(OmpEmit *E, const IrBlock *b)
{
	OmpNames priv = { 0 };
	StrBuf sb;
	sb_init(&sb, E->a);
	written_scalars(E, &b->loop.body, &priv);
	for (int i = 0; i < priv.len; i++)
		sb_printf(&sb, "%s%s", i ? ", " : " private(", cg_omp_cname(E, priv.data[i]));
	if (priv.len)
		sb_putc(&sb, ')');
	int64_t step;
	if (sym_is_const(b->loop.step, &step) && step != 0) {
		Arena *a = E->a;
		Sym *span = step > 0 ? sym_sub(a, b->loop.stop, b->loop.start) :
				       sym_sub(a, b->loop.start, b->loop.stop);
		sb_printf(&sb, " if(parallel: %s > %lld)", cg_omp_sym(E, span),
			  (long long)(step > 0 ? step : -step));
	}
	if (b->loop.even) {
		cg_omp_line(E, "#pragma omp parallel for schedule(static)%s", sb_str(&sb));
		return 0;
	}
	LineScan L = { .E = E, .var = b->loop.var, .chunk = 1 };
	loop_vars(E, &b->loop.body, &L.swept);
	ir_foreach_state(&b->loop.body, line_scan, &L);
	cg_omp_line(E, "#pragma omp parallel for schedule(dynamic, %lld)%s", (long long)L.chunk,
		    sb_str(&sb));
	return L.chunk;
}

/* The trip count of for loop b, whose step is the nonzero constant step. */
static Sym *
trip_count(Arena *a, const IrBlock *b, int64_t step)
{
	Sym *span = step > 0 ? sym_sub(a, b->loop.stop, b->loop.start) :
			       sym_sub(a, b->loop.start, b->loop.stop);
	int64_t s = step > 0 ? step : -step;
	return sym_max(a, sym_floordiv(a, sym_addc(a, span, s - 1), sym_const(a, s)),
		       sym_const(a, 0));
}

/* Is block list l, or one nested in it, where an allocation is placed? */
static bool
places_inside(const OmpEmit *E, const IrBlockList *l)
{
	for (int i = 0; i < E->places.len; i++)
		if (E->places.data[i].list == l)
			return true;
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		bool in = (b->kind == CF_FOR && places_inside(E, &b->loop.body)) ||
			  (b->kind == CF_WHILE && places_inside(E, &b->wloop.body)) ||
			  (b->kind == CF_IF && places_inside(E, &b->branch.orelse));
		for (int k = 0; b->kind == CF_IF && k < b->branch.n && !in; k++)
			in = places_inside(E, &b->branch.bodies[k]);
		if (in)
			return true;
	}
	return false;
}

/* A for loop; a parallel one (outside every parallel region, with
 * OpenMP on) becomes an omp loop whose body forks nothing more, unless a
 * transient is allocated in its body (into one shared pointer: the
 * loop then runs sequentially; loop-parallelize refuses such loops). */
static void
emit_loop(OmpEmit *E, const IrBlock *b)
{
	const char *v = cg_omp_cname(E, b->loop.var);
	char *start = cg_omp_sym(E, b->loop.start), *stop = cg_omp_sym(E, b->loop.stop);
	int64_t step;
	bool par = b->loop.parallel && E->parallel && !E->in_parallel &&
		   !places_inside(E, &b->loop.body);
	int64_t chunk = par ? parallel_pragma(E, b) : 0;
	if (chunk > 0 && sym_is_const(b->loop.step, &step) && step != 0) {
		/* chunks handed out dynamically: the even ones first
		 * (dfc_interleave, runtime/dfcrt.h) */
		char *it = arena_printf(E->a, "dfc_it_%s", v);
		char *n = cg_omp_sym(E, trip_count(E->a, b, step));
		char *at = arena_printf(E->a, "dfc_interleave(%s, %s, %lld)", it, n, (long long)chunk);
		if (step != 1)
			at = arena_printf(E->a, "%lld * %s", (long long)(step > 0 ? step : -step), at);
		if (strcmp(start, "0") != 0 || step < 0)
			at = arena_printf(E->a, "%s %c %s", start, step > 0 ? '+' : '-', at);
		cg_omp_line(E, "for (int64_t %s = 0; %s < %s; %s++) {", it, it, n, it);
		E->indent++;
		cg_omp_line(E, "const int64_t %s = %s;", v, at);
		E->indent--;
	} else if (!sym_is_const(b->loop.step, &step)) {
		char *s = cg_omp_sym(E, b->loop.step);
		cg_omp_line(E, "for (int64_t %s = %s; (%s) > 0 ? %s < %s : (%s) < 0 && %s > %s; "
			    "%s += %s) {", v, start, s, v, stop, s, v, stop, v, s);
	} else if (step == 0) {
		cg_omp_fail(E, b->loc, "loop '%s' has step 0", b->name ? b->name : v);
		return;
	} else if (step == 1 || step == -1) {
		cg_omp_line(E, "for (int64_t %s = %s; %s %s %s; %s%s) {", v, start, v,
			    step > 0 ? "<" : ">", stop, v, step > 0 ? "++" : "--");
	} else {
		cg_omp_line(E, "for (int64_t %s = %s; %s %s %s; %s %s= %lld) {", v, start, v,
			    step > 0 ? "<" : ">", stop, v, step > 0 ? "+" : "-",
			    step > 0 ? (long long)step : -(long long)step);
	}
	E->indent++;
	E->in_parallel = par || E->in_parallel;
	emit_list(E, &b->loop.body);
	E->in_parallel = E->in_parallel && !par;
	E->indent--;
	cg_omp_line(E, "}");
}

/* The width of a loop over blocks when its C text is long (over
 * WIDTH_TEXT characters): the divisor W of a stop (E + W - 1) // W
 * (loop-blocking) or a step W (sweep-blocking), when the loop's body
 * assigns none of its symbols (it keeps its value). NULL otherwise. */
enum { WIDTH_TEXT = 40 };

static const Sym *
block_width(OmpEmit *E, const IrBlock *b)
{
	const Sym *w = b->loop.stop->kind == SYM_FLOORDIV ? b->loop.stop->args[1] : b->loop.step;
	if (w->kind == SYM_CONST || w->kind == SYM_VAR || strlen(cg_omp_sym(E, w)) <= WIDTH_TEXT)
		return NULL;
	SymNames vars = { 0 };
	sym_vars(E->a, w, &vars);
	for (int i = 0; i < vars.len; i++)
		if (ir_list_assigns(&b->loop.body, vars.data[i]))
			return NULL;
	return w;
}

/* A for loop (emit_loop). The width of a loop over blocks, which its
 * bounds and those of the maps in it repeat (a 300-character expression
 * of the sizes for run-blocking's), is computed once before it, into
 * dfc_width_<var>, which they then name. */
static void
emit_for(OmpEmit *E, const IrBlock *b)
{
	const Sym *w = block_width(E, b);
	cg_omp_comment(E, "loop", b->name, b->loc);
	if (!w) {
		emit_loop(E, b);
		return;
	}
	const char *name = arena_printf(E->a, "dfc_width_%s", cg_omp_cname(E, b->loop.var));
	cg_omp_line(E, "{");
	E->indent++;
	cg_omp_line(E, "const int64_t %s = %s;", name, cg_omp_sym(E, w));
	vec_push(E->a, &E->width_sym, cg_omp_msym(E, w));
	vec_push(E->a, &E->width_name, name);
	emit_loop(E, b);
	E->width_sym.len--;
	E->width_name.len--;
	E->indent--;
	cg_omp_line(E, "}");
}

static void
emit_if(OmpEmit *E, const IrBlock *b)
{
	cg_omp_comment(E, "if", b->name, b->loc);
	for (int i = 0; i < b->branch.n; i++) {
		char *c = cond_text(E, b->branch.conds[i]);
		if (i == 0)
			cg_omp_line(E, "if (%s) {", c);
		else
			cg_omp_line(E, "} else if (%s) {", c);
		E->indent++;
		emit_list(E, &b->branch.bodies[i]);
		E->indent--;
	}
	if (b->branch.orelse.len > 0) {
		cg_omp_line(E, b->branch.n > 0 ? "} else {" : "{");
		E->indent++;
		emit_list(E, &b->branch.orelse);
		E->indent--;
	}
	if (b->branch.n > 0 || b->branch.orelse.len > 0)
		cg_omp_line(E, "}");
}

/* The allocations placed at the start of list l (after == NULL) or right
 * after its block `after`. */
static void
emit_places(OmpEmit *E, const IrBlockList *l, const IrBlock *after)
{
	for (int i = 0; i < E->places.len; i++) {
		const OmpPlace *pl = &E->places.data[i];
		if (pl->list != l || pl->after != after)
			continue;
		emit_place_alloc(E, pl->c);
	}
}

/* sym = value, declared here: its C scope is the rest of the list, as in
 * the IR. From a container: its value clamped at 0 (symbols are >= 0);
 * negated in unsigned arithmetic, so INT64_MIN does not overflow. */
static void
emit_assign(OmpEmit *E, const IrBlock *b)
{
	const char *n = cg_omp_cname(E, b->assign.sym);
	if (!b->assign.data) {
		cg_omp_line(E, "int64_t %s = %s; (void)%s;", n, cg_omp_sym(E, b->assign.value), n);
	} else {
		const IrContainer *c = cg_omp_container(E, b->assign.data);
		Subset none = { 0, NULL };
		const char *x = cg_omp_ref(E, c, &none);
		cg_omp_mark_read(E, c->name);
		const char *v = b->assign.negate ? arena_printf(E->a, "(int64_t)(0 - (uint64_t)%s)", x)
						 : arena_printf(E->a, "(int64_t)%s", x);
		cg_omp_line(E, "int64_t %s = dfc_max(%s, 0); (void)%s;", n, v, n);
	}
	emit_places(E, E->list, b);
}

static void
emit_block(OmpEmit *E, const IrBlock *b)
{
	E->loc = b->loc;
	switch (b->kind) {
	case CF_STATE:
		cg_omp_emit_state(E, b->state);
		break;
	case CF_FOR:
		emit_for(E, b);
		break;
	case CF_WHILE:
		cg_omp_comment(E, "while", b->name, b->loc);
		cg_omp_line(E, "while (%s) {", cond_text(E, b->wloop.cond));
		E->indent++;
		emit_list(E, &b->wloop.body);
		E->indent--;
		cg_omp_line(E, "}");
		break;
	case CF_IF:
		emit_if(E, b);
		break;
	case CF_BREAK:
		cg_omp_line(E, "break;");
		break;
	case CF_CONTINUE:
		cg_omp_line(E, "continue;");
		break;
	case CF_RETURN:
		cg_omp_line(E, "goto dfc_exit;");
		E->uses_exit = true;
		break;
	case CF_ASSIGN:
		emit_assign(E, b);
		break;
	}
}

/* A block list: first the allocations placed here, then its blocks (a
 * return that ends the program's body needs no jump). */
static void
emit_list(OmpEmit *E, const IrBlockList *l)
{
	const IrBlockList *saved = E->list;
	emit_places(E, l, NULL);
	for (int i = 0; i < l->len && !E->failed; i++) {
		bool last = l == &E->p->body && i == l->len - 1;
		E->list = l;
		if (!(last && l->data[i]->kind == CF_RETURN))
			emit_block(E, l->data[i]);
	}
	E->list = saved;
}

/* ---- programs ---- */

static const char *
param_text(OmpEmit *E, const IrContainer *c)
{
	const char *n = cg_omp_cname(E, c->name);
	if (c->ndim > 0 || c->role == ROLE_RETURN)
		return arena_printf(E->a, "%s *restrict %s", dtype_ctype(c->dtype), n);
	return arena_printf(E->a, "%s %s", dtype_ctype(c->dtype), n);
}

static bool
is_symbol_arg(const IrProgram *p, const char *name)
{
	for (int i = 0; i < p->args.len; i++)
		if (p->args.data[i].kind == ARG_SYMBOL && strcmp(p->args.data[i].name, name) == 0)
			return true;
	return false;
}

/* Appends one parameter: its C declaration, its IR name (NULL for the
 * two out-parameters of a dynamic return, which are always used) and the
 * C name that p passes on to p_with. */
static void
push_param(OmpEmit *E, OmpNames *text, OmpNames *names, OmpNames *fwd, const char *decl,
	   const char *name, const char *cname)
{
	vec_push(E->a, text, decl);
	vec_push(E->a, names, name);
	vec_push(E->a, fwd, cname);
}

/* The parameters of p in ABI order (see push_param). */
static void
abi_params(OmpEmit *E, OmpNames *text, OmpNames *names, OmpNames *fwd)
{
	const IrProgram *p = E->p;
	for (int i = 0; i < p->args.len; i++) {
		const IrArg *arg = &p->args.data[i];
		const char *n = cg_omp_cname(E, arg->name);
		push_param(E, text, names, fwd, arg->kind == ARG_SYMBOL ?
			   arena_printf(E->a, "int64_t %s", n) :
			   param_text(E, cg_omp_container(E, arg->name)), arg->name, n);
	}
	for (int i = 0; i < p->returns.len; i++) {
		const IrContainer *c = cg_omp_container(E, p->returns.data[i]);
		const char *n = cg_omp_cname(E, c->name);
		if (!is_dynamic_return(E, c)) {
			push_param(E, text, names, fwd, param_text(E, c), c->name, n);
			continue;
		}
		const char *o = arena_printf(E->a, "dfcout_%s", n);
		const char *sh = arena_printf(E->a, "dfcshape_%s", n);
		push_param(E, text, names, fwd, arena_printf(E->a, "%s **%s", dtype_ctype(c->dtype), o),
			   NULL, o);
		push_param(E, text, names, fwd, arena_printf(E->a, "int64_t *%s", sh), NULL, sh);
	}
	for (int i = 0; i < p->symbols.len; i++) {
		const char *s = p->symbols.data[i];
		if (!is_symbol_arg(p, s))
			push_param(E, text, names, fwd, arena_printf(E->a, "int64_t %s",
				   cg_omp_cname(E, s)), s, cg_omp_cname(E, s));
	}
}

/* True when a by-value local (0-d container that is not a return) is read
 * by the body, or any other parameter is referenced. */
static bool
param_needed(OmpEmit *E, const char *name)
{
	const IrContainer *c = ir_program_find_container(E->p, name);
	if (c && c->ndim == 0 && c->role != ROLE_RETURN)
		return in_list(E->read.data, E->read.len, name);
	return in_list(E->used.data, E->used.len, name);
}

/* The most bytes a stack array may take (passes/layout.c keeps the stack
 * arrays of a kernel under this in all; a loaded dump is checked here). */
enum { OMP_STACK_MAX = 64 * 1024 };

/* The declaration of a transient kept on the stack: an aligned local
 * array of its span (at least 1 element: C has no empty arrays). */
static void
emit_stack_array(OmpEmit *E, const IrContainer *c)
{
	int64_t n;
	if (!sym_is_const(cg_omp_span(E, c), &n)) {
		cg_omp_fail(E, c->loc, "transient '%s' is kept on the stack but its size is not "
			    "a constant", c->name);
		return;
	}
	if (n > OMP_STACK_MAX / dtype_size(c->dtype)) {
		cg_omp_fail(E, c->loc, "transient '%s' is kept on the stack but takes more than "
			    "%d bytes", c->name, OMP_STACK_MAX);
		return;
	}
	cg_omp_line(E, "_Alignas(DFCRT_ALIGN) %s %s[%lld];", dtype_ctype(c->dtype),
		    cg_omp_cname(E, c->name), (long long)(n > 1 ? n : 1));
}

/* The local pointer of dynamic return c, and its out-parameters set to
 * an empty array until it is allocated. */
static void
emit_return_decl(OmpEmit *E, const IrContainer *c)
{
	const char *n = cg_omp_cname(E, c->name);
	cg_omp_line(E, "%s *restrict %s = NULL;", dtype_ctype(c->dtype), n);
	cg_omp_line(E, "*dfcout_%s = NULL;", n);
	for (int d = 0; d < c->ndim; d++)
		cg_omp_line(E, "dfcshape_%s[%d] = 0;", n, d);
}

/* Declarations and entry allocations of the transients, into E->sb. */
static void
emit_transients(OmpEmit *E, const bool *at_entry)
{
	const IrProgram *p = E->p;
	for (int i = 0; i < p->containers.len; i++) {
		const IrContainer *c = &p->containers.data[i];
		const char *n = cg_omp_cname(E, c->name), *t = dtype_ctype(c->dtype);
		if (is_dynamic_return(E, c)) {
			emit_return_decl(E, c);
			continue;
		}
		if (c->role != ROLE_TRANSIENT || cg_omp_local_scope(E, c, NULL) >= 0)
			continue;
		if (c->ndim == 0 && in_list(E->used.data, E->used.len, c->name))
			cg_omp_line(E, "%s %s = 0;", t, n);
		else if (at_entry[i] && c->storage == STORAGE_STACK)
			emit_stack_array(E, c);
		else if (at_entry[i])
			cg_omp_line(E, "%s *restrict %s = %s;", t, n, alloc_text(E, c));
		else if (c->ndim > 0 && in_list(E->used.data, E->used.len, c->name))
			cg_omp_line(E, "%s *restrict %s = NULL;", t, n);
	}
}

static void
emit_frees(OmpEmit *E, const bool *at_entry)
{
	const IrProgram *p = E->p;
	for (int i = p->containers.len - 1; i >= 0; i--) {
		const IrContainer *c = &p->containers.data[i];
		if (c->role == ROLE_TRANSIENT && c->ndim > 0 && c->storage != STORAGE_STACK &&
		    handle_slot(E, c) < 0 && cg_omp_local_scope(E, c, NULL) < 0 &&
		    (at_entry[i] || in_list(E->used.data, E->used.len, c->name)))
			cg_omp_line(E, "dfcrt_free(%s);", cg_omp_cname(E, c->name));
	}
}

/* "(void)x;" for each parameter and 0-d local the body does not read. */
static void
emit_unused(OmpEmit *E, int nparams, const char *const *names)
{
	StrBuf sb;
	sb_init(&sb, E->a);
	for (int i = 0; i < nparams; i++)
		if (names[i] && !param_needed(E, names[i]))
			sb_printf(&sb, "%s(void)%s;", sb.len ? " " : "", cg_omp_cname(E, names[i]));
	for (int i = 0; i < E->p->containers.len; i++) {
		const IrContainer *c = &E->p->containers.data[i];
		if (c->role == ROLE_TRANSIENT && c->ndim == 0 &&
		    in_list(E->used.data, E->used.len, c->name) &&
		    !in_list(E->read.data, E->read.len, c->name))
			sb_printf(&sb, "%s(void)%s;", sb.len ? " " : "", cg_omp_cname(E, c->name));
	}
	if (sb.len)
		cg_omp_line(E, "%s", sb_str(&sb));
}

static bool
is_placed(const OmpEmit *E, const IrContainer *c)
{
	for (int i = 0; i < E->places.len; i++)
		if (E->places.data[i].c == c)
			return true;
	return false;
}

/* Gives each heap array transient of lifetime "handle" that the body
 * allocates a buffer of the program's handle (E->slot, E->nslots). */
static void
assign_slots(OmpEmit *E, const bool *at_entry)
{
	const IrProgram *p = E->p;
	E->slot = arena_alloc(E->a, sizeof(int) * (size_t)(p->containers.len + 1));
	E->nslots = 0;
	E->gemm_slots = 0;
	for (int i = 0; i < p->containers.len; i++) {
		const IrContainer *c = &p->containers.data[i];
		E->slot[i] = -1;
		if (c->lifetime == LIFETIME_HANDLE && c->role == ROLE_TRANSIENT && c->ndim > 0 &&
		    c->storage == STORAGE_HOST && (at_entry[i] || is_placed(E, c)))
			E->slot[i] = E->nslots++;
	}
}

/* struct p_handle (one DfcrtBuf per handle transient, at least one: C
 * has no empty arrays), p_handle_create and p_handle_destroy. */
static void
emit_handle(OmpEmit *E, StrBuf *out)
{
	const IrProgram *p = E->p;
	const char *k = p->name;
	int n = E->nslots > 0 ? E->nslots : 1;
	StrBuf names;
	sb_init(&names, E->a);
	for (int i = 0; i < p->containers.len; i++)
		if (E->slot[i] >= 0)
			sb_printf(&names, "%s%s", names.len ? ", " : "",
				  comment_text(E->a, p->containers.data[i].name));
	if (E->gemm_slots > 0)
		sb_printf(&names, "%sthe copies of %d tiled product%s", names.len ? ", " : "",
			  E->gemm_slots, E->gemm_slots > 1 ? "s" : "");
	sb_printf(out, "struct %s_handle {\n\tDfcrtBuf buf[%d];  /* %s */\n};\n\n", k, n,
		  E->nslots > 0 ? sb_str(&names) : "unused: no transient is kept");
	sb_printf(out, "struct %s_handle *\n%s_handle_create(void)\n{\n"
		  "\tstruct %s_handle *dfch = dfcrt_alloc(sizeof *dfch);\n"
		  "\t*dfch = (struct %s_handle){0};\n\treturn dfch;\n}\n\n", k, k, k, k);
	sb_printf(out, "void\n%s_handle_destroy(struct %s_handle *dfch)\n{\n\tif (!dfch)\n"
		  "\t\treturn;\n\tdfcrt_buf_free(dfch->buf, %d);\n\tdfcrt_free(dfch);\n}\n\n",
		  k, k, n);
}

/* p itself: p_with on a handle of its own, freed before it returns. */
static void
emit_plain_entry(OmpEmit *E, const OmpNames *params, const OmpNames *fwd, StrBuf *out)
{
	const char *k = E->p->name;
	sb_printf(out, "\nvoid\n%s(", k);
	for (int i = 0; i < params->len; i++)
		sb_printf(out, "%s%s", i ? ", " : "", params->data[i]);
	sb_printf(out, "%s)\n{\n\tstruct %s_handle dfch = {0};\n\t%s_with(&dfch",
		  params->len ? "" : "void", k, k);
	for (int i = 0; i < fwd->len; i++)
		sb_printf(out, ", %s", fwd->data[i]);
	sb_printf(out, ");\n\tdfcrt_buf_free(dfch.buf, %d);\n}\n",
		  E->nslots > 0 ? E->nslots : 1);
}

static void
emit_program(OmpEmit *E, const IrProgram *p, StrBuf *out)
{
	E->p = p;
	E->used.len = E->read.len = E->places.len = E->redirects.len = E->hoists.len = 0;
	E->uses_exit = E->in_parallel = false;
	bool *at_entry = arena_alloc(E->a, sizeof(bool) * (size_t)(p->containers.len + 1));
	place_transients(E, at_entry);
	assign_slots(E, at_entry);
	StrBuf body, head;
	sb_init(&body, E->a);
	sb_init(&head, E->a);
	E->sb = &body;
	E->indent = 1;
	emit_list(E, &p->body);
	if (E->failed)
		return;
	OmpNames params = {0}, names = {0}, fwd = {0};
	abi_params(E, &params, &names, &fwd);
	E->sb = &head;
	emit_transients(E, at_entry);
	emit_unused(E, names.len, names.data);
	if (E->nslots == 0)
		cg_omp_line(E, "(void)dfch;");
	E->sb = out;
	E->indent = 0;
	cg_omp_comment(E, "program", p->name, p->loc);
	emit_handle(E, out);
	cg_omp_line(E, "void");
	sb_printf(out, "%s_with(struct %s_handle *dfch", p->name, p->name);
	for (int i = 0; i < params.len; i++)
		sb_printf(out, ", %s", params.data[i]);
	sb_puts(out, ")\n{\n");
	E->indent = 1;
	if (E->ctx->opt.instrument)
		cg_omp_trace_begin(E, "kernel", p->name, "kernel", p->loc);
	sb_puts(out, sb_str(&head));
	sb_puts(out, sb_str(&body));
	if (E->uses_exit)
		sb_puts(out, "dfc_exit:;\n");
	emit_frees(E, at_entry);
	if (E->ctx->opt.instrument)
		cg_omp_trace_end(E, "kernel");
	sb_puts(out, "}\n");
	emit_plain_entry(E, &params, &fwd, out);
}

/* ---- checks ---- */

static bool
check_name(OmpEmit *E, const char *name, SrcLoc loc, const char *what)
{
	if (is_ident(name))
		return true;
	cg_omp_fail(E, loc, "%s '%s' is not a valid C identifier", what, name ? name : "(null)");
	return false;
}

static bool
check_expr_dtypes(OmpEmit *E, const IrExpr *e, SrcLoc loc)
{
	if (!e)
		ICE("tasklet without an expression (verify first)");
	for (int i = 0; i < e->n; i++)
		if (!check_expr_dtypes(E, e->args[i], loc))
			return false;
	return true;
}

static bool
check_state(OmpEmit *E, const IrState *st)
{
	for (int i = 0; i < st->nodes.len; i++) {
		const IrNode *n = &st->nodes.data[i];
		if (n->kind == IRN_MAP_ENTRY) {
			for (int k = 0; k < n->map.nparams; k++)
				if (!check_name(E, n->map.params[k], n->loc, "map parameter"))
					return false;
		}
		if (n->kind != IRN_TASKLET)
			continue;
		if (!check_expr_dtypes(E, n->tasklet.expr, n->loc))
			return false;
	}
	return true;
}

static bool
check_list(OmpEmit *E, const IrBlockList *l)
{
	for (int i = 0; i < l->len; i++) {
		const IrBlock *b = l->data[i];
		bool ok = true;
		switch (b->kind) {
		case CF_STATE:
			ok = check_state(E, b->state);
			break;
		case CF_FOR:
			ok = check_name(E, b->loop.var, b->loc, "loop variable") &&
			     check_list(E, &b->loop.body);
			break;
		case CF_WHILE:
			ok = check_expr_dtypes(E, b->wloop.cond, b->loc) &&
			     check_list(E, &b->wloop.body);
			break;
		case CF_IF:
			for (int k = 0; k < b->branch.n && ok; k++)
				ok = check_expr_dtypes(E, b->branch.conds[k], b->loc) &&
				     check_list(E, &b->branch.bodies[k]);
			ok = ok && check_list(E, &b->branch.orelse);
			break;
		default:
			break;
		}
		if (!ok)
			return false;
	}
	return true;
}

static bool
expr_complex(const IrExpr *e)
{
	if (!e)
		return false;
	if (dtype_is_complex(e->dtype))
		return true;
	for (int i = 0; i < e->n; i++)
		if (expr_complex(e->args[i]))
			return true;
	return false;
}

static bool
list_complex(const IrBlockList *l)
{
	bool found = false;
	for (int i = 0; i < l->len && !found; i++) {
		const IrBlock *b = l->data[i];
		switch (b->kind) {
		case CF_STATE:
			for (int k = 0; k < b->state->nodes.len && !found; k++) {
				const IrNode *n = &b->state->nodes.data[k];
				found = n->kind == IRN_TASKLET && expr_complex(n->tasklet.expr);
			}
			break;
		case CF_FOR:
			found = list_complex(&b->loop.body);
			break;
		case CF_WHILE:
			found = expr_complex(b->wloop.cond) || list_complex(&b->wloop.body);
			break;
		case CF_IF:
			for (int k = 0; k < b->branch.n && !found; k++)
				found = expr_complex(b->branch.conds[k]) ||
					list_complex(&b->branch.bodies[k]);
			found = found || list_complex(&b->branch.orelse);
			break;
		default:
			break;
		}
	}
	return found;
}

/* Does m compute with complex numbers (a container, or a value inside a
 * tasklet or condition)? The file then includes <complex.h>, whose names
 * cg_omp_blas_reserved lists. */
static bool
uses_complex(const IrModule *m)
{
	for (int i = 0; i < m->programs.len; i++) {
		const IrProgram *p = m->programs.data[i];
		for (int k = 0; k < p->containers.len; k++)
			if (dtype_is_complex(p->containers.data[k].dtype))
				return true;
		if (list_complex(&p->body))
			return true;
	}
	return false;
}

/* The kernel of m (other than p) whose handle API ("<q>_with",
 * "<q>_handle", "<q>_handle_create", "<q>_handle_destroy") has a
 * function or type named like p, or NULL. */
static const IrProgram *
handle_clash(const IrModule *m, const IrProgram *p)
{
	static const char *const suffix[] = { "_with", "_handle", "_handle_create",
					      "_handle_destroy" };
	for (int i = 0; i < m->programs.len; i++) {
		const IrProgram *q = m->programs.data[i];
		size_t n = strlen(q->name);
		if (q == p || strncmp(p->name, q->name, n) != 0)
			continue;
		for (size_t k = 0; k < sizeof suffix / sizeof *suffix; k++)
			if (strcmp(p->name + n, suffix[k]) == 0)
				return q;
	}
	return NULL;
}

/* What the backend cannot express: reported as user errors. */
static bool
check_program(OmpEmit *E, const IrProgram *p)
{
	E->p = p;
	if (!check_name(E, p->name, p->loc, "kernel name"))
		return false;
	const IrProgram *q = handle_clash(E->m, p);
	if (q) {
		cg_omp_fail(E, p->loc, "kernel name '%s' clashes with the handle API of kernel "
			    "'%s' (%s_with, %s_handle_create, ...); rename one of them", p->name,
			    q->name, q->name, q->name);
		return false;
	}
	if (is_reserved(p->name) || is_libc_function(p->name) ||
	    (cg_omp_blas_reserved(p->name) && (cg_omp_uses_blas(E->m) || uses_complex(E->m)))) {
		cg_omp_fail(E, p->loc, "kernel name '%s' clashes with a name of C or of the "
			    "dfc runtime; rename the kernel", p->name);
		return false;
	}
	for (int i = 0; i < p->symbols.len; i++)
		if (!check_name(E, p->symbols.data[i], p->loc, "size symbol"))
			return false;
	for (int i = 0; i < p->args.len; i++)
		if (!check_name(E, p->args.data[i].name, p->loc, "argument"))
			return false;
	for (int i = 0; i < p->containers.len; i++) {
		const IrContainer *c = &p->containers.data[i];
		if (!check_name(E, c->name, c->loc, "container"))
			return false;
	}
	return check_list(E, &p->body);
}

/* ---- the module ---- */

/* <module>_<kind>_error(out): what the helpers recorded in
 * dfc_<kind>_fail since the last query (line, column and three values,
 * `fields`, into out[0..5)), cleared; returns the line, 0 if none. */
static void
put_fail_query(StrBuf *out, const char *module, const char *kind, const char *what,
	       const char *fields)
{
	sb_printf(out, "\n/* %s since the last call\n"
		  " * (line, column, %s into out[0..5)), 0 if none. */\n"
		  "int64_t\n%s_%s_error(int64_t *out)\n{\n"
		  "\tint64_t line = dfc_%s_fail[0];\n"
		  "\tfor (int i = 0; i < 5; i++) {\n"
		  "\t\tout[i] = dfc_%s_fail[i];\n\t\tdfc_%s_fail[i] = 0;\n\t}\n"
		  "\treturn line;\n}\n", what, fields, module, kind, kind, kind, kind);
}

char *
cg_omp_emit_module(Ctx *ctx, const IrModule *m, bool parallel)
{
	OmpEmit E = { .ctx = ctx, .a = ctx->arena, .m = m, .parallel = parallel };
	StrBuf progs, out;
	sb_init(&progs, E.a);
	sb_init(&out, E.a);
	for (int i = 0; i < m->programs.len; i++) {
		if (!check_program(&E, m->programs.data[i]))
			return NULL;
		sb_puts(&progs, "\n");
		emit_program(&E, m->programs.data[i], &progs);
		if (E.failed)
			return NULL;
	}
	const char *src = m->source && *m->source ? m->source : "(unknown source)";
	sb_printf(&out, "/* Generated by dfc %s from %s. Do not edit.\n * Target: %s. */\n",
		  DFC_VERSION, comment_text(E.a, src),
		  parallel ? "C11 + OpenMP 4.5" : "C11 (serial)");
	sb_puts(&out, "#include <math.h>\n#include <stdbool.h>\n#include <stdint.h>\n\n"
		      "#include \"dfcrt.h\"\n");
	if (cg_omp_uses_blas(m))
		sb_puts(&out, "#include <cblas.h>\n");
	if (uses_complex(m))
		sb_puts(&out, "#include <complex.h>\n");
	sb_puts(&out, "\n/* gcc's loop distribution turns copy loops into memcpy calls whose\n"
		      " * length it cannot bound, then warns about them (false positives). */\n"
		      "#if defined(__GNUC__) && !defined(__clang__)\n"
		      "#pragma GCC diagnostic ignored \"-Wpragmas\"\n"
		      "#pragma GCC diagnostic ignored \"-Wstringop-overflow\"\n"
		      "#pragma GCC diagnostic ignored \"-Wstringop-overread\"\n"
		      "#pragma GCC diagnostic ignored \"-Wrestrict\"\n"
		      "#pragma GCC diagnostic ignored \"-Warray-bounds\"\n"
		      "#endif\n");
	if (parallel)
		sb_puts(&out, "/* omp simd is a request: clang warns when it cannot honour it. */\n"
			      "#if defined(__clang__)\n"
			      "#pragma clang diagnostic ignored \"-Wpass-failed\"\n#endif\n");
	if (ctx->opt.boundscheck)
		E.need[OH_INDEX][DT_INT64] = true;
	bool fits = ir_module_uses_op(m, OP_FITS);
	if (fits)
		E.need[OH_FITS][DT_INT64] = true;
	cg_omp_helpers_emit(&E, &out);
	sb_puts(&out, sb_str(&progs));
	if (ctx->opt.boundscheck)
		put_fail_query(&out, m->name, "index", "--boundscheck: the first index out of bounds",
			       "index, axis, size");
	if (fits)
		put_fail_query(&out, m->name, "value", "The first integer out of the range its FITS "
			       "test gives", "value, least, greatest");
	return (char *)sb_str(&out);
}
