/* runtime/npy.c — NumPy's .npy format, for the executables dfc generates.
 *
 * A .npy file is the magic "\x93NUMPY", a major and minor version byte, the
 * header length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), a
 * header that is a Python dict literal
 *     {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
 * padded with spaces and a newline so the data starts at a multiple of 64,
 * then the data in C order. The header is parsed by a small recursive
 * descent parser over exactly that grammar, so malformed files are refused
 * with a message and never crash the reader. Only the 13 numeric dtypes of
 * dfc, little-endian, in C order, are read; this matches what np.save
 * writes for them on every little-endian machine.
 */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dfcrt.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "libdfcrt reads and writes little-endian .npy files on little-endian hosts only"
#endif

enum { HEADER_MAX = 1 << 20 };  /* bytes; NumPy itself refuses far less */

static const struct {
	const char *name;
	const char *descr;
	size_t size;
} dtypes[] = {
	{ "bool", "|b1", 1 },      { "int8", "|i1", 1 },      { "int16", "<i2", 2 },
	{ "int32", "<i4", 4 },     { "int64", "<i8", 8 },     { "uint8", "|u1", 1 },
	{ "uint16", "<u2", 2 },    { "uint32", "<u4", 4 },    { "uint64", "<u8", 8 },
	{ "float32", "<f4", 4 },   { "float64", "<f8", 8 },   { "complex64", "<c8", 8 },
	{ "complex128", "<c16", 16 },
};
enum { NDTYPES = sizeof(dtypes) / sizeof(dtypes[0]) };

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *
dfcrt_npy_descr(const char *dtype_name)
{
	for (int i = 0; i < NDTYPES; i++)
		if (strcmp(dtypes[i].name, dtype_name) == 0)
			return dtypes[i].descr;
	return NULL;
}

const char *
dfcrt_npy_dtype_name(const char *descr)
{
	for (int i = 0; i < NDTYPES; i++)
		if (strcmp(dtypes[i].descr, descr) == 0)
			return dtypes[i].name;
	return descr;
}

size_t
dfcrt_npy_itemsize(const char *descr)
{
	for (int i = 0; i < NDTYPES; i++)
		if (strcmp(dtypes[i].descr, descr) == 0)
			return dtypes[i].size;
	return 0;
}

bool
dfcrt_npy_count(int ndim, const int64_t *shape, size_t *count)
{
	size_t n = 1;
	for (int i = 0; i < ndim; i++) {
		if (shape[i] < 0)
			return false;
		if (shape[i] == 0)
			n = 0;
		else if (n > SIZE_MAX / (uint64_t)shape[i])
			return false;
		else
			n *= (size_t)shape[i];
	}
	/* a zero extent makes the array empty, whatever the others are */
	*count = n;
	return true;
}

void
dfcrt_npy_shape_str(int ndim, const int64_t *shape, char *buf, size_t len)
{
	size_t k = 0;
	if (len == 0)
		return;
	buf[0] = '\0';
	k += (size_t)snprintf(buf + k, len - k, "(");
	for (int i = 0; i < ndim && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%lld", i ? ", " : "",
				      (long long)shape[i]);
	if (k < len)
		snprintf(buf + k, len - k, ndim == 1 ? ",)" : ")");
}

/* Normalizes a descr read from a file into out (16 bytes): a byte-order
 * character, a kind and a size, for one of the 13 dtypes. */
static bool
normalize_descr(const char *d, char *out, char *err, size_t errlen, const char *path)
{
	char order = '=';
	const char *p = d;
	if (*p == '<' || *p == '>' || *p == '|' || *p == '=')
		order = *p++;
	char kind = *p;
	if (kind == '?' && p[1] == '\0')
		p = "b1";
	for (int i = 0; i < NDTYPES; i++) {
		if (strcmp(dtypes[i].descr + 1, p) != 0)
			continue;
		if (order == '>' && dtypes[i].size > 1) {
			set_err(err, errlen, "%s: big-endian data ('%s') is not supported; "
				"convert it with a.astype('%s')", path, d, dtypes[i].descr);
			return false;
		}
		strcpy(out, dtypes[i].descr);
		return true;
	}
	set_err(err, errlen, "%s: unsupported dtype '%s' (dfc reads bool, int8..int64, "
		"uint8..uint64, float32, float64, complex64, complex128)", path, d);
	return false;
}

/* ---- the header dict ---- */

typedef struct Hdr {
	const char *p, *end;
	const char *path;
	char *err;
	size_t errlen;
	bool bad;
} Hdr;

static bool
hdr_fail(Hdr *h, const char *what)
{
	if (!h->bad)
		set_err(h->err, h->errlen, "%s: malformed .npy header: %s", h->path, what);
	h->bad = true;
	return false;
}

static void
hdr_blanks(Hdr *h)
{
	while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' || *h->p == '\n' ||
				 *h->p == '\r'))
		h->p++;
}

static bool
hdr_eat(Hdr *h, char c)
{
	hdr_blanks(h);
	if (h->p < h->end && *h->p == c) {
		h->p++;
		return true;
	}
	return false;
}

/* string := '...' | "..." (no escapes); at most cap - 1 bytes. */
static bool
hdr_string(Hdr *h, char *out, size_t cap)
{
	hdr_blanks(h);
	if (h->p >= h->end || (*h->p != '\'' && *h->p != '"'))
		return hdr_fail(h, "expected a string");
	char q = *h->p++;
	size_t n = 0;
	while (h->p < h->end && *h->p != q) {
		if (*h->p == '\\' || *h->p == '\n' || n + 1 >= cap)
			return hdr_fail(h, "bad string");
		out[n++] = *h->p++;
	}
	if (h->p >= h->end)
		return hdr_fail(h, "unterminated string");
	h->p++;
	out[n] = '\0';
	return true;
}

static bool
hdr_word(Hdr *h, const char *w)
{
	size_t n = strlen(w);
	hdr_blanks(h);
	if ((size_t)(h->end - h->p) >= n && memcmp(h->p, w, n) == 0) {
		h->p += n;
		return true;
	}
	return false;
}

/* shape := '(' [int {',' int} [',']] ')' ; int := digits ['L'] */
static bool
hdr_shape(Hdr *h, int *ndim, int64_t *shape)
{
	if (!hdr_eat(h, '('))
		return hdr_fail(h, "'shape' must be a tuple");
	*ndim = 0;
	for (;;) {
		if (hdr_eat(h, ')'))
			return true;
		hdr_blanks(h);
		if (h->p >= h->end || *h->p < '0' || *h->p > '9')
			return hdr_fail(h, "'shape' must be a tuple of integers >= 0");
		int64_t v = 0;
		while (h->p < h->end && *h->p >= '0' && *h->p <= '9') {
			if (v > (INT64_MAX - 9) / 10)
				return hdr_fail(h, "dimension too large");
			v = 10 * v + (*h->p++ - '0');
		}
		if (h->p < h->end && *h->p == 'L')
			h->p++;
		if (*ndim == DFCRT_NPY_MAXDIM)
			return hdr_fail(h, "more than 32 dimensions");
		shape[(*ndim)++] = v;
		if (!hdr_eat(h, ',')) {
			if (!hdr_eat(h, ')'))
				return hdr_fail(h, "expected ',' or ')' in 'shape'");
			return true;
		}
	}
}

/* One `key: value` entry; seen is a bit set of the keys read so far. */
static bool
hdr_entry(Hdr *h, DfcrtNpy *a, char *descr, int *seen)
{
	char key[32];
	if (!hdr_string(h, key, sizeof key))
		return false;
	if (!hdr_eat(h, ':'))
		return hdr_fail(h, "expected ':'");
	if (strcmp(key, "descr") == 0) {
		hdr_blanks(h);
		if (h->p < h->end && *h->p == '[') {
			set_err(h->err, h->errlen, "%s: structured dtypes are not supported",
				h->path);
			h->bad = true;
			return false;
		}
		*seen |= 1;
		return hdr_string(h, descr, 16);
	}
	if (strcmp(key, "fortran_order") == 0) {
		*seen |= 2;
		if (hdr_word(h, "True"))
			a->fortran_order = true;
		else if (hdr_word(h, "False"))
			a->fortran_order = false;
		else
			return hdr_fail(h, "'fortran_order' must be True or False");
		return true;
	}
	if (strcmp(key, "shape") == 0) {
		*seen |= 4;
		return hdr_shape(h, &a->ndim, a->shape);
	}
	return hdr_fail(h, "unexpected key");
}

/* dict := '{' entry {',' entry} [','] '}' blanks ; all three keys present. */
static bool
hdr_parse(Hdr *h, DfcrtNpy *a, char *descr)
{
	int seen = 0;
	if (!hdr_eat(h, '{'))
		return hdr_fail(h, "expected '{'");
	while (!hdr_eat(h, '}')) {
		if (!hdr_entry(h, a, descr, &seen))
			return false;
		if (!hdr_eat(h, ',')) {
			if (!hdr_eat(h, '}'))
				return hdr_fail(h, "expected ',' or '}'");
			break;
		}
	}
	hdr_blanks(h);
	while (h->p < h->end && *h->p == '\0')
		h->p++;
	if (h->p != h->end)
		return hdr_fail(h, "text after the dict");
	if (seen != 7)
		return hdr_fail(h, "missing 'descr', 'fortran_order' or 'shape'");
	return true;
}

/* ---- reading ---- */

/* Reads the preamble and the header text; returns the header (malloc'd,
 * *len bytes) or NULL with err set. */
static char *
read_header(FILE *f, const char *path, size_t *len, char *err, size_t errlen)
{
	unsigned char pre[12];
	if (fread(pre, 1, 8, f) != 8 || memcmp(pre, "\x93NUMPY", 6) != 0) {
		set_err(err, errlen, "%s: not a .npy file (bad magic)", path);
		return NULL;
	}
	size_t n;
	if (pre[6] == 1) {
		if (fread(pre + 8, 1, 2, f) != 2)
			goto truncated;
		n = (size_t)pre[8] | (size_t)pre[9] << 8;
	} else if (pre[6] == 2 || pre[6] == 3) {
		if (fread(pre + 8, 1, 4, f) != 4)
			goto truncated;
		n = (size_t)pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 |
		    (size_t)pre[11] << 24;
	} else {
		set_err(err, errlen, "%s: unsupported .npy format version %d.%d", path,
			pre[6], pre[7]);
		return NULL;
	}
	if (n > HEADER_MAX) {
		set_err(err, errlen, "%s: .npy header too large (%zu bytes)", path, n);
		return NULL;
	}
	char *text = malloc(n + 1);
	if (!text) {
		set_err(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (fread(text, 1, n, f) != n) {
		free(text);
		goto truncated;
	}
	text[n] = '\0';
	*len = n;
	return text;
truncated:
	set_err(err, errlen, "%s: truncated .npy header", path);
	return NULL;
}

/* Checks the parsed header and sizes the data. */
static int
check_header(DfcrtNpy *a, const char *descr, const char *path, char *err, size_t errlen)
{
	if (!normalize_descr(descr, a->descr, err, errlen, path))
		return -1;
	if (a->fortran_order) {
		set_err(err, errlen, "%s: Fortran-order arrays are not supported; save "
			"numpy.ascontiguousarray(a) instead", path);
		return -1;
	}
	size_t count;
	size_t item = dfcrt_npy_itemsize(a->descr);
	if (!dfcrt_npy_count(a->ndim, a->shape, &count) || count > SIZE_MAX / item) {
		set_err(err, errlen, "%s: array too large", path);
		return -1;
	}
	a->nbytes = count * item;
	return 0;
}

/* Reads the a->nbytes bytes of data into a new aligned block. */
static int
read_data(FILE *f, DfcrtNpy *a, const char *path, char *err, size_t errlen)
{
	struct stat st;
	long pos = ftell(f);
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && pos >= 0 &&
	    (uint64_t)(st.st_size - pos) < (uint64_t)a->nbytes) {
		set_err(err, errlen, "%s: truncated data: the header announces %zu bytes, "
			"the file holds %lld", path, a->nbytes, (long long)(st.st_size - pos));
		return -1;
	}
	void *p = NULL;
	if (posix_memalign(&p, DFCRT_ALIGN, a->nbytes ? a->nbytes : DFCRT_ALIGN) != 0) {
		set_err(err, errlen, "%s: out of memory reading %zu bytes", path, a->nbytes);
		return -1;
	}
	if (fread(p, 1, a->nbytes, f) != a->nbytes) {
		free(p);
		set_err(err, errlen, "%s: truncated data", path);
		return -1;
	}
	a->data = p;
	return 0;
}

int
dfcrt_npy_read(const char *path, DfcrtNpy *out, char *err, size_t errlen)
{
	DfcrtNpy a;
	memset(&a, 0, sizeof a);
	memset(out, 0, sizeof *out);
	FILE *f = fopen(path, "rb");
	if (!f) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t n = 0;
	char *text = read_header(f, path, &n, err, errlen);
	int rc = -1;
	if (text) {
		char descr[16] = "";
		Hdr h = { text, text + n, path, err, errlen, false };
		if (hdr_parse(&h, &a, descr) && check_header(&a, descr, path, err, errlen) == 0)
			rc = read_data(f, &a, path, err, errlen);
		free(text);
	}
	fclose(f);
	if (rc == 0)
		*out = a;
	return rc;
}

/* ---- writing ---- */

/* The header of NumPy's format 1.0 (2.0 when longer than 65535 bytes),
 * preamble included, padded to a multiple of 64 bytes. */
static size_t
make_header(char *buf, size_t cap, const char *descr, int ndim, const int64_t *shape)
{
	char dict[1024], sh[DFCRT_NPY_MAXDIM * 24 + 8];
	dfcrt_npy_shape_str(ndim, shape, sh, sizeof sh);
	int dn = snprintf(dict, sizeof dict,
			  "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, sh);
	size_t pre = 10;
	size_t total = pre + (size_t)dn + 1;
	if (total - pre > 65535)
		pre = 12, total += 2;
	size_t padded = (total + 63) / 64 * 64;
	size_t hlen = padded - pre;
	if (padded > cap)
		return 0;
	memcpy(buf, "\x93NUMPY", 6);
	buf[6] = pre == 10 ? 1 : 2;
	buf[7] = 0;
	for (size_t i = 0; i < pre - 8; i++)
		buf[8 + i] = (char)(hlen >> (8 * i) & 0xff);
	memcpy(buf + pre, dict, (size_t)dn);
	memset(buf + pre + dn, ' ', padded - pre - (size_t)dn - 1);
	buf[padded - 1] = '\n';
	return padded;
}

int
dfcrt_npy_write(const char *path, const char *descr, int ndim, const int64_t *shape,
		const void *data, char *err, size_t errlen)
{
	size_t item = dfcrt_npy_itemsize(descr), count;
	if (item == 0 || ndim < 0 || ndim > DFCRT_NPY_MAXDIM) {
		set_err(err, errlen, "%s: cannot write dtype '%s' with %d dimensions", path,
			descr, ndim);
		return -1;
	}
	if (!dfcrt_npy_count(ndim, shape, &count) || count > SIZE_MAX / item) {
		set_err(err, errlen, "%s: bad shape", path);
		return -1;
	}
	char hdr[2048];
	size_t hn = make_header(hdr, sizeof hdr, descr, ndim, shape);
	FILE *f = fopen(path, "wb");
	if (!f) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	bool ok = fwrite(hdr, 1, hn, f) == hn;
	if (ok && count)
		ok = fwrite(data, item, count, f) == count;
	int saved = errno;
	if (fclose(f) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		set_err(err, errlen, "%s: write failed: %s", path, strerror(saved));
		return -1;
	}
	return 0;
}

int
dfcrt_npy_alloc(DfcrtNpy *a, const char *descr, int ndim, const int64_t *shape,
		char *err, size_t errlen)
{
	size_t item = dfcrt_npy_itemsize(descr), count;
	memset(a, 0, sizeof *a);
	if (item == 0 || ndim < 0 || ndim > DFCRT_NPY_MAXDIM) {
		set_err(err, errlen, "unsupported dtype '%s' or rank %d", descr, ndim);
		return -1;
	}
	for (int i = 0; i < ndim; i++)
		if (shape[i] < 0) {
			set_err(err, errlen, "negative extent %lld in dimension %d",
				(long long)shape[i], i);
			return -1;
		}
	if (!dfcrt_npy_count(ndim, shape, &count) || count > SIZE_MAX / item) {
		set_err(err, errlen, "array too large");
		return -1;
	}
	strcpy(a->descr, descr);
	a->ndim = ndim;
	memcpy(a->shape, shape, sizeof(*shape) * (size_t)ndim);
	a->nbytes = count * item;
	if (posix_memalign(&a->data, DFCRT_ALIGN, a->nbytes ? a->nbytes : DFCRT_ALIGN) != 0) {
		set_err(err, errlen, "out of memory allocating %zu bytes", a->nbytes);
		memset(a, 0, sizeof *a);
		return -1;
	}
	return 0;
}

void
dfcrt_npy_free(DfcrtNpy *a)
{
	if (!a)
		return;
	dfcrt_free(a->data);
	memset(a, 0, sizeof *a);
}
