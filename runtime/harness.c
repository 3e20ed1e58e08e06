/* runtime/harness.c — the generic half of the executables of `--emit exe`.
 *
 * The generated main() (codegen/exe.c) knows the signatures: which argument
 * is an array of which dtype and shape, which symbols bind where. What does
 * not depend on the signature lives here: the command line, loading and
 * checking .npy files, parsing literals, the timed runs and the outputs.
 *
 * Exit statuses follow dfc's: 1 for bad data (a file that cannot be read,
 * a wrong dtype, rank or shape), 2 for a bad command line (unknown option,
 * wrong number of arguments, a literal that does not parse); a violated
 * precondition of the kernel (sizes it was not compiled for) is bad data.
 * Messages go to
 * stderr as "PROG: kern(): argument 'A' ..." so they name the argument, as
 * the Python wrapper does.
 */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dfcrt.h"

int
dfcrt_harness_usage_error(const DfcrtHarness *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", h->prog);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", h->usage ? h->usage : "");
	return 2;
}

int
dfcrt_harness_error(const DfcrtHarness *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", h->prog);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* "-1", "-.5", "-inf", "-nan" and "-" are arguments, not options. */
static bool
is_argument(const char *a)
{
	if (a[0] != '-' || a[1] == '\0')
		return true;
	return isdigit((unsigned char)a[1]) || a[1] == '.' ||
	       strncasecmp(a + 1, "inf", 3) == 0 || strncasecmp(a + 1, "nan", 3) == 0;
}

/* The value of option `name` at argv[*i]: "--name=V" or "--name V". */
static const char *
option_value(const char *name, int argc, char **argv, int *i)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

/* Handles one option at argv[*i]; returns -1, or an exit status. */
static int
parse_option(DfcrtHarness *h, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v;
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		fputs(h->usage, stdout);
		return 0;
	}
	if (strcmp(a, "--time") == 0) {
		h->time = true;
		return -1;
	}
	if (strncmp(a, "-o", 2) == 0 && a[2] != '\0') {
		h->outdir = a + 2;
		return -1;
	}
	if ((v = option_value("--func", argc, argv, i))) {
		h->func = v;
		return -1;
	}
	if ((v = option_value("-o", argc, argv, i))) {
		h->outdir = v;
		return -1;
	}
	if ((v = option_value("--repeat", argc, argv, i))) {
		int64_t r;
		if (!dfcrt_parse_int64(v, &r) || r < 1 || r > INT_MAX)
			return dfcrt_harness_usage_error(h, "--repeat wants an integer >= 1, "
							 "got '%s'", v);
		h->repeat = (int)r;
		return -1;
	}
	if (strcmp(a, "--func") == 0 || strcmp(a, "--repeat") == 0 || strcmp(a, "-o") == 0)
		return dfcrt_harness_usage_error(h, "option '%s' needs a value", a);
	return dfcrt_harness_usage_error(h, "unknown option '%s'", a);
}

int
dfcrt_harness_parse(DfcrtHarness *h, int argc, char **argv, const char *usage)
{
	memset(h, 0, sizeof *h);
	h->prog = argc > 0 && argv[0] ? argv[0] : "kernel";
	h->usage = usage;
	h->repeat = 1;
	h->outdir = ".";
	h->args = dfcrt_alloc(sizeof(char *) * (size_t)(argc + 1));
	bool options = true;
	for (int i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = false;
			continue;
		}
		if (!options || is_argument(argv[i])) {
			h->args[h->nargs++] = argv[i];
			continue;
		}
		int rc = parse_option(h, argc, argv, &i);
		if (rc >= 0)
			return rc;
	}
	if (h->outdir[0] == '\0')
		return dfcrt_harness_usage_error(h, "-o wants a directory");
	return -1;
}

/* Index of the keyword symbol that arg "NAME=VALUE" sets, or -1. */
static int
keyword_index(const char *arg, int nkw, const char *const *kwnames)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		return -1;
	for (int k = 0; k < nkw; k++)
		if (strlen(kwnames[k]) == (size_t)(eq - arg) &&
		    strncmp(arg, kwnames[k], (size_t)(eq - arg)) == 0)
			return k;
	return -1;
}

/* Sets keyword symbol k from "NAME=VALUE"; returns 0 or 2. */
static int
set_keyword(DfcrtHarness *h, const char *fn, const char *arg, const char *name,
	    int64_t *val)
{
	const char *v = strchr(arg, '=') + 1;
	if (*val >= 0)
		return dfcrt_harness_usage_error(h, "%s(): size symbol '%s' given twice",
						 fn, name);
	if (!dfcrt_parse_int64(v, val) || *val < 0)
		return dfcrt_harness_usage_error(h, "%s(): size symbol '%s' must be an "
						 "integer >= 0, got '%s'", fn, name, v);
	return 0;
}

/* "A x alpha" for messages. */
static void
list_names(char *buf, size_t len, int n, const char *const *names, const char *suffix)
{
	size_t k = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s%s", i ? " " : "", names[i],
				      suffix);
}

int
dfcrt_harness_split(DfcrtHarness *h, const char *fn, int npos,
		    const char *const *posnames, int nkw, const char *const *kwnames)
{
	h->pos = dfcrt_alloc(sizeof(char *) * (size_t)(h->nargs + 1));
	h->kw = dfcrt_alloc(sizeof(int64_t) * (size_t)(nkw + 1));
	h->npos = 0;
	h->nkw = nkw;
	for (int k = 0; k < nkw; k++)
		h->kw[k] = -1;  /* not given yet: values are >= 0 */
	char names[1024];
	for (int i = 0; i < h->nargs; i++) {
		int k = keyword_index(h->args[i], nkw, kwnames);
		if (k >= 0) {
			if (set_keyword(h, fn, h->args[i], kwnames[k], &h->kw[k]))
				return 2;
		} else {
			h->pos[h->npos++] = h->args[i];
		}
	}
	if (h->npos != npos) {
		list_names(names, sizeof names, npos, posnames, "");
		return dfcrt_harness_usage_error(h, "%s() takes %d argument%s (%s), got %d",
						 fn, npos, npos == 1 ? "" : "s", names,
						 h->npos);
	}
	for (int k = 0; k < nkw; k++)
		if (h->kw[k] < 0)
			return dfcrt_harness_usage_error(h, "%s(): missing %s=VALUE (no "
							 "argument's shape gives size symbol "
							 "'%s')", fn, kwnames[k], kwnames[k]);
	return 0;
}

int
dfcrt_harness_load(const DfcrtHarness *h, const char *fn, const char *name,
		   const char *path, const char *dtype_name, int ndim, const char *sig,
		   DfcrtNpy *out)
{
	char err[512];
	if (dfcrt_npy_read(path, out, err, sizeof err) != 0)
		return dfcrt_harness_error(h, "%s(): argument '%s': %s", fn, name, err);
	const char *want = dfcrt_npy_descr(dtype_name);
	if (!want || strcmp(out->descr, want) != 0) {
		dfcrt_harness_error(h, "%s(): argument '%s' must have dtype %s (%s), got %s "
				    "in %s", fn, name, dtype_name, sig,
				    dfcrt_npy_dtype_name(out->descr), path);
		dfcrt_npy_free(out);
		return 1;
	}
	if (out->ndim != ndim) {
		dfcrt_harness_error(h, "%s(): argument '%s' must have %d dimension%s (%s), "
				    "got %d in %s", fn, name, ndim, ndim == 1 ? "" : "s", sig,
				    out->ndim, path);
		dfcrt_npy_free(out);
		return 1;
	}
	return 0;
}

/* Parses an integer literal of dtype_name (signed or unsigned). */
static bool
parse_int_dtype(const char *s, const char *dtype_name, void *out)
{
	static const struct {
		const char *name;
		int64_t lo;
		uint64_t hi;
	} ints[] = {
		{ "int8", INT8_MIN, INT8_MAX },    { "int16", INT16_MIN, INT16_MAX },
		{ "int32", INT32_MIN, INT32_MAX }, { "int64", INT64_MIN, INT64_MAX },
		{ "uint8", 0, UINT8_MAX },         { "uint16", 0, UINT16_MAX },
		{ "uint32", 0, UINT32_MAX },       { "uint64", 0, UINT64_MAX },
	};
	for (int i = 0; i < 8; i++) {
		if (strcmp(ints[i].name, dtype_name) != 0)
			continue;
		int64_t v;
		uint64_t u;
		if (i < 4) {
			if (!dfcrt_parse_int64(s, &v) || v < ints[i].lo || v > (int64_t)ints[i].hi)
				return false;
			u = (uint64_t)v;
		} else if (!dfcrt_parse_uint64(s, &u) || u > ints[i].hi) {
			return false;
		}
		size_t size = i < 4 ? (size_t)1 << i : (size_t)1 << (i - 4);
		uint8_t b8 = (uint8_t)u;
		uint16_t b16 = (uint16_t)u;
		uint32_t b32 = (uint32_t)u;
		memcpy(out, size == 1 ? (void *)&b8 : size == 2 ? (void *)&b16 :
			    size == 4 ? (void *)&b32 : (void *)&u, size);
		return true;
	}
	return false;
}

/* Parses a bool, float or complex literal of dtype_name. */
static bool
parse_other_dtype(const char *s, const char *dtype_name, void *out)
{
	double d, im;
	if (strcmp(dtype_name, "bool") == 0)
		return dfcrt_parse_bool(s, (bool *)out);
	if (strcmp(dtype_name, "float64") == 0)
		return dfcrt_parse_double(s, (double *)out);
	if (strcmp(dtype_name, "float32") == 0) {
		if (!dfcrt_parse_double(s, &d))
			return false;
		*(float *)out = (float)d;
		return true;
	}
	if (!dfcrt_parse_complex(s, &d, &im))
		return false;
	if (strcmp(dtype_name, "complex128") == 0) {
		double v[2] = { d, im };
		memcpy(out, v, sizeof v);
		return true;
	}
	if (strcmp(dtype_name, "complex64") == 0) {
		float v[2] = { (float)d, (float)im };
		memcpy(out, v, sizeof v);
		return true;
	}
	return false;
}

int
dfcrt_harness_scalar(const DfcrtHarness *h, const char *fn, const char *name,
		     const char *s, const char *dtype_name, void *out)
{
	bool ok = dtype_name[0] == 'i' || dtype_name[0] == 'u'
		      ? parse_int_dtype(s, dtype_name, out)
		      : parse_other_dtype(s, dtype_name, out);
	if (!ok)
		return dfcrt_harness_usage_error(h, "%s(): argument '%s' must be a %s of "
						 "dtype %s, got '%s'", fn, name,
						 dtype_name[0] == 'i' || dtype_name[0] == 'u'
							 ? "number in the range" : "number",
						 dtype_name, s);
	return 0;
}

int
dfcrt_harness_symbol(const DfcrtHarness *h, const char *fn, const char *name,
		     const char *s, int64_t *out)
{
	if (!dfcrt_parse_int64(s, out) || *out < 0)
		return dfcrt_harness_usage_error(h, "%s(): argument '%s' must be an integer "
						 ">= 0, got '%s'", fn, name, s);
	return 0;
}

bool
dfcrt_harness_shape_eq(const DfcrtNpy *a, const int64_t *want)
{
	for (int i = 0; i < a->ndim; i++)
		if (a->shape[i] != want[i])
			return false;
	return true;
}

int
dfcrt_harness_shape_error(const DfcrtHarness *h, const char *fn, const char *name,
			  const DfcrtNpy *a, const char *want, int nsym,
			  const char *const *syms, const int64_t *vals,
			  const char *const *from)
{
	char got[DFCRT_NPY_MAXDIM * 24 + 8], with[1024];
	size_t k = 0;
	dfcrt_npy_shape_str(a->ndim, a->shape, got, sizeof got);
	with[0] = '\0';
	for (int i = 0; i < nsym && k < sizeof with; i++)
		k += (size_t)snprintf(with + k, sizeof with - k, "%s%s=%lld (%s)",
				      i ? ", " : " with ", syms[i], (long long)vals[i],
				      from[i]);
	return dfcrt_harness_error(h, "%s(): argument '%s' has shape %s, expected %s%s",
				   fn, name, got, want, with);
}

int
dfcrt_harness_assume_error(const DfcrtHarness *h, const char *fn, const char *cond,
			   const char *where, int nsym, const char *const *syms,
			   const int64_t *vals)
{
	char with[1024];
	size_t k = 0;
	with[0] = '\0';
	for (int i = 0; i < nsym && k < sizeof with; i++)
		k += (size_t)snprintf(with + k, sizeof with - k, "%s%s=%lld",
				      i ? ", " : ", but ", syms[i], (long long)vals[i]);
	return dfcrt_harness_error(h, "%s(): this kernel was compiled for %s%s%s%s%s", fn, cond,
				   *where ? " (needed by " : "", where, *where ? ")" : "",
				   nsym ? with : ", which never holds");
}

int
dfcrt_harness_alloc(const DfcrtHarness *h, const char *fn, const char *name,
		    const char *dtype_name, int ndim, const int64_t *shape, DfcrtNpy *out)
{
	char err[256];
	const char *descr = dfcrt_npy_descr(dtype_name);
	if (!descr)
		return dfcrt_harness_error(h, "%s(): return '%s': unknown dtype %s", fn, name,
					   dtype_name);
	if (dfcrt_npy_alloc(out, descr, ndim, shape, err, sizeof err) != 0)
		return dfcrt_harness_error(h, "%s(): cannot allocate return '%s': %s", fn,
					   name, err);
	return 0;
}

int
dfcrt_harness_adopt(const DfcrtHarness *h, const char *fn, const char *name,
		    const char *dtype_name, int ndim, const int64_t *shape, void *data,
		    DfcrtNpy *out)
{
	size_t count;
	const char *descr = dfcrt_npy_descr(dtype_name);
	memset(out, 0, sizeof *out);
	if (!descr || ndim < 0 || ndim > DFCRT_NPY_MAXDIM || !dfcrt_npy_count(ndim, shape, &count)) {
		dfcrt_free(data);
		return dfcrt_harness_error(h, "%s(): return '%s': unsupported dtype %s, rank %d "
					   "or size", fn, name, dtype_name, ndim);
	}
	strcpy(out->descr, descr);
	out->ndim = ndim;
	memcpy(out->shape, shape, sizeof(*shape) * (size_t)ndim);
	out->data = data;
	out->nbytes = count * dfcrt_npy_itemsize(descr);
	return 0;
}

int
dfcrt_harness_run(const DfcrtHarness *h, void (*run)(void *ud), void *ud, int nsave,
		  DfcrtNpy *const *save)
{
	int n = h->repeat > 0 ? h->repeat : 1;
	void **copy = dfcrt_alloc(sizeof(void *) * (size_t)(nsave + 1));
	for (int i = 0; i < nsave; i++) {
		copy[i] = NULL;
		if (n > 1) {
			copy[i] = dfcrt_alloc(save[i]->nbytes);
			memcpy(copy[i], save[i]->data, save[i]->nbytes);
		}
	}
	double *t = dfcrt_alloc(sizeof(double) * (size_t)n);
	for (int r = 0; r < n; r++) {
		for (int i = 0; r > 0 && i < nsave; i++)
			memcpy(save[i]->data, copy[i], save[i]->nbytes);
		double t0 = dfcrt_now();
		run(ud);
		t[r] = dfcrt_now() - t0;
	}
	if (h->time) {
		dfcrt_timing_report(stdout, t, n);
		fflush(stdout);
	}
	for (int i = 0; i < nsave; i++)
		dfcrt_free(copy[i]);
	dfcrt_free(copy);
	dfcrt_free(t);
	return 0;
}

int
dfcrt_harness_save(const DfcrtHarness *h, const char *name, const DfcrtNpy *a)
{
	struct stat st;
	if (stat(h->outdir, &st) != 0 && mkdir(h->outdir, 0777) != 0 && errno != EEXIST)
		return dfcrt_harness_error(h, "cannot create directory '%s': %s", h->outdir,
					   strerror(errno));
	size_t len = strlen(h->outdir) + strlen(name) + 8;
	char *path = dfcrt_alloc(len);
	snprintf(path, len, "%s/%s.npy", h->outdir, name);
	char err[512];
	int rc = 0;
	if (dfcrt_npy_write(path, a->descr, a->ndim, a->shape, a->data, err, sizeof err))
		rc = dfcrt_harness_error(h, "cannot write output '%s': %s", name, err);
	dfcrt_free(path);
	return rc;
}

void
dfcrt_harness_free(DfcrtHarness *h)
{
	dfcrt_free(h->args);
	dfcrt_free(h->pos);
	dfcrt_free(h->kw);
	h->args = h->pos = NULL;
	h->kw = NULL;
}
