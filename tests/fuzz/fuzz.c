/* tests/fuzz/fuzz.c — libFuzzer harnesses for dfc's input readers.
 *
 * One file, five targets, chosen at build time with -DFUZZ_<NAME>
 * (`make fuzz` builds each as build/fuzz/<name> with clang
 * -fsanitize=fuzzer,address,undefined):
 *   parse     the Python lexer and parser on arbitrary bytes;
 *   frontend  a whole kernel file through lowering, ir_verify, the -O3
 *             pipeline and the OpenMP emitter;
 *   yaml      the YAML IR loader; what it accepts must verify, dump and
 *             load again to the same dump;
 *   recipe    a recipe file applied to a fixed kernel; what it accepts
 *             must leave verified IR;
 *   prof      `dfc prof` on a trace file (JSON through libyaml).
 * A user error (diag_fatal) ends one input normally: it longjmps back here.
 * An internal compiler error exits the process and a broken invariant of a
 * successful run calls abort(): libFuzzer reports both, with the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../compiler/compiler.h"
#include "../../codegen/codegen.h"
#include "../../frontends/python/py.h"
#include "../../passes/passes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *
devnull(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

/* A per-process scratch file holding data (the frontend and the recipe
 * reader take paths). */
static const char *
scratch(const char *suffix, const uint8_t *data, size_t size)
{
	static char path[128];
	snprintf(path, sizeof path, "/tmp/dfc-fuzz-%d%s", (int)getpid(), suffix);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	return path;
}

#if defined(FUZZ_PARSE)
static void
run(Ctx *ctx, const uint8_t *data, size_t size)
{
	char *text = arena_alloc(ctx->arena, size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	ctx_add_source(ctx, "fuzz.py", text, size);
	py_parse(ctx, "fuzz.py", text, size);
}
#elif defined(FUZZ_FRONTEND)
static void
run(Ctx *ctx, const uint8_t *data, size_t size)
{
	const char *path = scratch(".py", data, size);
	IrModule *m = py_lower_file(ctx, path, NULL);
	if (!m || ctx->nerrors)
		return;
	if (!ir_verify(ctx, m))
		abort();
	if (!pass_run_level(ctx, m, 3))
		return;
	cg_omp_emit_module(ctx, m, true);
	cg_header_emit(ctx, m);
}
#elif defined(FUZZ_YAML)
static void
run(Ctx *ctx, const uint8_t *data, size_t size)
{
	IrModule *m = ir_load_yaml(ctx, "fuzz.yaml", (const char *)data, size);
	if (!m || ctx->nerrors || !ir_verify(ctx, m))
		return;
	char *once = ir_dump_yaml(ctx, m);
	IrModule *again = ir_load_yaml(ctx, "again.yaml", once, strlen(once));
	if (!again || !ir_verify(ctx, again) || strcmp(once, ir_dump_yaml(ctx, again)) != 0)
		abort();
}
#elif defined(FUZZ_RECIPE)
/* The recipe is applied to tests/fuzz/recipe_kernel.py (or the file named
 * by $DFC_FUZZ_KERNEL): run from the repository root. */
static void
run(Ctx *ctx, const uint8_t *data, size_t size)
{
	const char *kpath = getenv("DFC_FUZZ_KERNEL");
	if (!kpath)
		kpath = "tests/fuzz/recipe_kernel.py";
	/* The kernel must lower: a user error there (diag_fatal) would end
	 * every input before its recipe is read. */
	jmp_buf *outer = ctx->bail, kernel_bail;
	ctx->bail = &kernel_bail;
	IrModule *m = setjmp(kernel_bail) == 0 ? py_lower_file(ctx, kpath, NULL) : NULL;
	if (!m || ctx->nerrors) {
		fprintf(stderr, "fuzz recipe: %s does not lower (run from the repository "
			"root; DFC_FUZZ_DIAG=1 shows why)\n", kpath);
		abort();
	}
	ctx->bail = outer;
	const char *path = scratch(".yaml", data, size);
	if (pass_run_recipe(ctx, m, path) && !ir_verify(ctx, m))
		abort();
}
#elif defined(FUZZ_PROF)
static void
run(Ctx *ctx, const uint8_t *data, size_t size)
{
	prof_trace_print(ctx, "fuzz.json", (const char *)data, size, 0, devnull());
}
#else
#error "define one of FUZZ_PARSE, FUZZ_FRONTEND, FUZZ_YAML, FUZZ_RECIPE, FUZZ_PROF"
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Ctx *ctx = ctx_new();
	ctx->err = getenv("DFC_FUZZ_DIAG") ? stderr : devnull();
	jmp_buf bail;
	ctx->bail = &bail;
	if (setjmp(bail) == 0)
		run(ctx, data, size);
	ctx_free(ctx);
	return 0;
}
