/* ir/dtype.c — NumPy dtypes: names, C types, sizes and promotion.
 *
 * The table below is indexed by DType. dtype_promote follows NumPy 1.24's
 * np.result_type for two array dtypes: bool is absorbed by anything; two
 * integers of one signedness give the wider; a signed/unsigned pair needs a
 * signed type wider than the unsigned one (uint64 with any signed integer
 * gives float64); with a float or complex operand the result takes the
 * precision that holds both (8- and 16-bit integers fit float32, wider ones
 * need float64) and is complex if either operand is.
 */
#include <string.h>

#include "ir.h"

static const struct {
	const char *name;
	const char *ctype;
	int size;
} dtypes[DT_COUNT] = {
	[DT_BOOL]       = {"bool",       "bool",            1},
	[DT_INT8]       = {"int8",       "int8_t",          1},
	[DT_INT16]      = {"int16",      "int16_t",         2},
	[DT_INT32]      = {"int32",      "int32_t",         4},
	[DT_INT64]      = {"int64",      "int64_t",         8},
	[DT_UINT8]      = {"uint8",      "uint8_t",         1},
	[DT_UINT16]     = {"uint16",     "uint16_t",        2},
	[DT_UINT32]     = {"uint32",     "uint32_t",        4},
	[DT_UINT64]     = {"uint64",     "uint64_t",        8},
	[DT_FLOAT32]    = {"float32",    "float",           4},
	[DT_FLOAT64]    = {"float64",    "double",          8},
	[DT_COMPLEX64]  = {"complex64",  "float _Complex",  8},
	[DT_COMPLEX128] = {"complex128", "double _Complex", 16},
};

static void
check(DType t)
{
	if ((unsigned)t >= DT_COUNT)
		ICE("bad dtype %d", (int)t);
}

const char *
dtype_name(DType t)
{
	check(t);
	return dtypes[t].name;
}

bool
dtype_from_name(const char *s, DType *out)
{
	for (int t = 0; t < DT_COUNT; t++) {
		if (strcmp(s, dtypes[t].name) == 0) {
			*out = (DType)t;
			return true;
		}
	}
	return false;
}

const char *
dtype_ctype(DType t)
{
	check(t);
	return dtypes[t].ctype;
}

int
dtype_size(DType t)
{
	check(t);
	return dtypes[t].size;
}

bool
dtype_is_int(DType t)
{
	return t >= DT_INT8 && t <= DT_UINT64;
}

bool
dtype_is_unsigned(DType t)
{
	return t >= DT_UINT8 && t <= DT_UINT64;
}

bool
dtype_is_float(DType t)
{
	return t == DT_FLOAT32 || t == DT_FLOAT64;
}

bool
dtype_is_complex(DType t)
{
	return t == DT_COMPLEX64 || t == DT_COMPLEX128;
}

static DType
signed_of_size(int size)
{
	switch (size) {
	case 1: return DT_INT8;
	case 2: return DT_INT16;
	case 4: return DT_INT32;
	default: return DT_INT64;
	}
}

/* Two integers of mixed signedness: the smallest signed type holding both,
 * float64 when none does (uint64 with a signed integer). */
static DType
promote_mixed_int(DType s, DType u)
{
	if (dtype_size(s) > dtype_size(u))
		return s;
	if (dtype_size(u) < 8)
		return signed_of_size(2 * dtype_size(u));
	return DT_FLOAT64;
}

/* Bytes of the real component needed to hold t exactly (NumPy's rule:
 * 8- and 16-bit integers fit float32, wider integers need float64). */
static int
real_precision(DType t)
{
	if (dtype_is_complex(t))
		return dtype_size(t) / 2;
	if (dtype_is_float(t))
		return dtype_size(t);
	return dtype_size(t) <= 2 ? 4 : 8;
}

DType
dtype_promote(DType a, DType b)
{
	check(a);
	check(b);
	if (a == b || b == DT_BOOL)
		return a;
	if (a == DT_BOOL)
		return b;
	if (dtype_is_int(a) && dtype_is_int(b)) {
		if (dtype_is_unsigned(a) == dtype_is_unsigned(b))
			return dtype_size(a) >= dtype_size(b) ? a : b;
		return dtype_is_unsigned(a) ? promote_mixed_int(b, a)
					    : promote_mixed_int(a, b);
	}
	int pa = real_precision(a), pb = real_precision(b);
	int p = pa > pb ? pa : pb;
	if (dtype_is_complex(a) || dtype_is_complex(b))
		return p == 4 ? DT_COMPLEX64 : DT_COMPLEX128;
	return p == 4 ? DT_FLOAT32 : DT_FLOAT64;
}

/* NumPy's kinds in the order same_kind casting allows: b, u, i, f, c. */
static int
kind_order(DType t)
{
	return t == DT_BOOL ? 0 : dtype_is_unsigned(t) ? 1 : dtype_is_int(t) ? 2
	     : dtype_is_float(t) ? 3 : 4;
}

bool
dtype_same_kind(DType from, DType to)
{
	check(from);
	check(to);
	return kind_order(from) <= kind_order(to);
}

/* ir.h */
void
dtype_int_range(DType t, int64_t *lo, int64_t *hi)
{
	int bits = t == DT_BOOL ? 1 : 8 * dtype_size(t);
	bool u = t == DT_BOOL || dtype_is_unsigned(t);
	if (bits == 64) {
		*lo = u ? 0 : INT64_MIN;
		*hi = INT64_MAX;
		return;
	}
	*lo = u ? 0 : -(INT64_C(1) << (bits - 1));
	*hi = u ? (INT64_C(1) << bits) - 1 : (INT64_C(1) << (bits - 1)) - 1;
}

/* ir.h */
int64_t
dtype_wrap_int(DType t, int64_t v)
{
	uint64_t u = (uint64_t)v;
	switch (t) {
	case DT_BOOL:   return v != 0;
	case DT_INT8:   return (int8_t)u;
	case DT_INT16:  return (int16_t)u;
	case DT_INT32:  return (int32_t)u;
	case DT_UINT8:  return (uint8_t)u;
	case DT_UINT16: return (uint16_t)u;
	case DT_UINT32: return (uint32_t)u;
	default:        return v;
	}
}
