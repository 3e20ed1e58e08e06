/* runtime/dfcrt.c — aligned allocation and the growable buffers of
 * kernel handles, the clock, timing reports, the parsing of numeric
 * literals given on a command line, and the fork threshold of parallel
 * maps, raised for a while after a BLAS call (dfcrt.h says why).
 *
 * Allocation failures abort with a message: generated code has no error
 * path for them, and a clear message beats a NULL dereference.
 */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dfcrt.h"

void *
dfcrt_alloc(size_t bytes)
{
	void *p = NULL;
	size_t n = bytes ? bytes : DFCRT_ALIGN;
	if (posix_memalign(&p, DFCRT_ALIGN, n) != 0 || !p) {
		fprintf(stderr, "dfcrt: out of memory allocating %zu bytes\n", bytes);
		fflush(stderr);
		abort();
	}
	return p;
}

void
dfcrt_free(void *p)
{
	free(p);
}

void *
dfcrt_buf_reserve(DfcrtBuf *b, size_t bytes)
{
	if (b->p && b->cap >= bytes)
		return b->p;
	dfcrt_free(b->p);
	b->p = dfcrt_alloc(bytes);
	b->cap = bytes;
	return b->p;
}

void
dfcrt_buf_free(DfcrtBuf *b, int n)
{
	for (int i = 0; i < n; i++) {
		dfcrt_free(b[i].p);
		b[i].p = NULL;
		b[i].cap = 0;
	}
}

double
dfcrt_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* dfcrt_now() of this thread's last BLAS call that may have run on
 * OpenBLAS's threads; 0 before the first. */
static _Thread_local double blas_last;

void
dfcrt_blas_note(double work)
{
	if (work >= DFCRT_BLAS_THREADED_WORK)
		blas_last = dfcrt_now();
}

/* No clock read until this thread has made a BLAS call: maps of kernels
 * without BLAS pay one thread-local load. */
int64_t
dfcrt_par_min_work(void)
{
	if (blas_last != 0 && dfcrt_now() - blas_last < DFCRT_BLAS_SPIN_S)
		return DFCRT_PAR_MIN_WORK_BLAS;
	return DFCRT_PAR_MIN_WORK_IDLE;
}

/* OpenBLAS's names (openblas_get_corename) of its kernels for x86-64
 * processors without AVX2 and FMA. */
static const char *const gemm_generic_cores[] = {
	"Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Atom", "Core2", "Penryn",
	"Dunnington", "Nehalem", "Athlon", "Opteron", "Opteron(SSE3)", "Barcelona", "Nano",
	"Bobcat", "Sandybridge",
};

bool
dfcrt_gemm_tiled(const char *core, bool vec)
{
	if (!vec || !core)
		return false;
	for (size_t i = 0; i < sizeof gemm_generic_cores / sizeof *gemm_generic_cores; i++)
		if (strcasecmp(core, gemm_generic_cores[i]) == 0)
			return true;
	return false;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void
dfcrt_timing_report(FILE *out, double *t, int n)
{
	if (n < 1)
		return;
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	double median = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
	fprintf(out, "time: median %.6g s, min %.6g s over %d run%s\n",
		median, t[0], n, n == 1 ? "" : "s");
}

/* Skips blanks; returns the first non-blank character's position. */
static const char *
skip_blanks(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* True when only blanks remain at s. */
static bool
at_end(const char *s)
{
	return *skip_blanks(s) == '\0';
}

/* Base of an integer literal: 16 after an optional sign and "0x", else 10
 * (never octal: "010" is ten, as a user means it). */
static int
int_base(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
}

bool
dfcrt_parse_int64(const char *s, int64_t *out)
{
	s = skip_blanks(s);
	if (!*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, int_base(s));
	if (errno || end == s || !at_end(end))
		return false;
	*out = (int64_t)v;
	return true;
}

bool
dfcrt_parse_uint64(const char *s, uint64_t *out)
{
	s = skip_blanks(s);
	if (!*s || *s == '-')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, int_base(s));
	if (errno || end == s || !at_end(end))
		return false;
	*out = (uint64_t)v;
	return true;
}

bool
dfcrt_parse_double(const char *s, double *out)
{
	s = skip_blanks(s);
	if (!*s)
		return false;
	char *end;
	double v = strtod(s, &end);
	if (end == s || !at_end(end))
		return false;
	*out = v;
	return true;
}

/* Parses "X", "Yj" or "X+Yj"/"X-Yj" from s to e (no parentheses). */
static bool
parse_complex_body(const char *s, const char *e, double *re, double *im)
{
	char *end;
	double a = strtod(s, &end);
	if (end == s) {
		/* "j", "+j", "-j" mean an imaginary unit */
		if ((s[0] == '+' || s[0] == '-') && s + 2 == e && s[1] == 'j') {
			*re = 0, *im = s[0] == '-' ? -1 : 1;
			return true;
		}
		if (s + 1 == e && s[0] == 'j') {
			*re = 0, *im = 1;
			return true;
		}
		return false;
	}
	if (end == e) {
		*re = a, *im = 0;
		return true;
	}
	if (*end == 'j' && end + 1 == e) {
		*re = 0, *im = a;
		return true;
	}
	if (*end != '+' && *end != '-')
		return false;
	const char *t = end;
	double b = strtod(t, &end);
	if (end == t) {
		if (t + 2 != e || t[1] != 'j')
			return false;
		b = t[0] == '-' ? -1 : 1;
		end = (char *)t + 1;
	}
	if (*end != 'j' || end + 1 != e)
		return false;
	*re = a, *im = b;
	return true;
}

bool
dfcrt_parse_complex(const char *s, double *re, double *im)
{
	s = skip_blanks(s);
	const char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (e > s && s[0] == '(') {
		if (e[-1] != ')')
			return false;
		s = skip_blanks(s + 1);
		e--;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
	}
	if (e == s)
		return false;
	for (const char *p = s; p < e; p++)
		if (isspace((unsigned char)*p))
			return false;
	return parse_complex_body(s, e, re, im);
}

bool
dfcrt_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "True", "true", "1" };
	static const char *const no[] = { "False", "false", "0" };
	s = skip_blanks(s);
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	for (int i = 0; i < 3; i++) {
		if (strlen(yes[i]) == n && strncmp(s, yes[i], n) == 0) {
			*out = true;
			return true;
		}
		if (strlen(no[i]) == n && strncmp(s, no[i], n) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}
