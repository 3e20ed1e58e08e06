/* tests/unit/test_dtype.c — dtype names, C types, sizes, predicates, and
 * dtype_promote against np.result_type for all 13x13 pairs.
 *
 * The expected tables were generated with NumPy 1.24:
 *   /usr/bin/python3 -c 'import numpy as np; ... np.result_type(np.dtype(a), np.dtype(b)).name'
 *   np.dtype(name).itemsize
 */
#include "../../ir/ir.h"
#include "test.h"

static const char *const names[DT_COUNT] = {
	"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
	"uint64", "float32", "float64", "complex64", "complex128",
};

static const int sizes[DT_COUNT] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 8, 16};

static void
test_names(void)
{
	for (int t = 0; t < DT_COUNT; t++) {
		DType got;
		CHECK_STR(dtype_name((DType)t), names[t]);
		CHECK(dtype_from_name(names[t], &got) && got == (DType)t);
		CHECK(dtype_size((DType)t) == sizes[t]);
	}
	DType dummy = DT_INT8;
	CHECK(!dtype_from_name("float", &dummy));
	CHECK(!dtype_from_name("", &dummy));
	CHECK(!dtype_from_name("int", &dummy));
	CHECK(!dtype_from_name("Float64", &dummy));
	CHECK(dummy == DT_INT8);
}

static void
test_ctypes(void)
{
	CHECK_STR(dtype_ctype(DT_BOOL), "bool");
	CHECK_STR(dtype_ctype(DT_INT8), "int8_t");
	CHECK_STR(dtype_ctype(DT_INT16), "int16_t");
	CHECK_STR(dtype_ctype(DT_INT32), "int32_t");
	CHECK_STR(dtype_ctype(DT_INT64), "int64_t");
	CHECK_STR(dtype_ctype(DT_UINT8), "uint8_t");
	CHECK_STR(dtype_ctype(DT_UINT16), "uint16_t");
	CHECK_STR(dtype_ctype(DT_UINT32), "uint32_t");
	CHECK_STR(dtype_ctype(DT_UINT64), "uint64_t");
	CHECK_STR(dtype_ctype(DT_FLOAT32), "float");
	CHECK_STR(dtype_ctype(DT_FLOAT64), "double");
	CHECK_STR(dtype_ctype(DT_COMPLEX64), "float _Complex");
	CHECK_STR(dtype_ctype(DT_COMPLEX128), "double _Complex");
}

static void
test_predicates(void)
{
	for (int i = 0; i < DT_COUNT; i++) {
		DType t = (DType)i;
		const char *n = names[i];
		bool is_u = n[0] == 'u';
		bool is_i = n[0] == 'i' || is_u;
		CHECK(dtype_is_int(t) == is_i);
		CHECK(dtype_is_unsigned(t) == is_u);
		CHECK(dtype_is_float(t) == (n[0] == 'f'));
		CHECK(dtype_is_complex(t) == (n[0] == 'c'));
	}
}

static void
test_promote(void)
{
	static const DType want[DT_COUNT][DT_COUNT] = {
		{DT_BOOL, DT_INT8, DT_INT16, DT_INT32, DT_INT64, DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64, DT_FLOAT32, DT_FLOAT64, DT_COMPLEX64, DT_COMPLEX128},
		{DT_INT8, DT_INT8, DT_INT16, DT_INT32, DT_INT64, DT_INT16, DT_INT32, DT_INT64, DT_FLOAT64, DT_FLOAT32, DT_FLOAT64, DT_COMPLEX64, DT_COMPLEX128},
		{DT_INT16, DT_INT16, DT_INT16, DT_INT32, DT_INT64, DT_INT16, DT_INT32, DT_INT64, DT_FLOAT64, DT_FLOAT32, DT_FLOAT64, DT_COMPLEX64, DT_COMPLEX128},
		{DT_INT32, DT_INT32, DT_INT32, DT_INT32, DT_INT64, DT_INT32, DT_INT32, DT_INT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_COMPLEX128, DT_COMPLEX128},
		{DT_INT64, DT_INT64, DT_INT64, DT_INT64, DT_INT64, DT_INT64, DT_INT64, DT_INT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_COMPLEX128, DT_COMPLEX128},
		{DT_UINT8, DT_INT16, DT_INT16, DT_INT32, DT_INT64, DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64, DT_FLOAT32, DT_FLOAT64, DT_COMPLEX64, DT_COMPLEX128},
		{DT_UINT16, DT_INT32, DT_INT32, DT_INT32, DT_INT64, DT_UINT16, DT_UINT16, DT_UINT32, DT_UINT64, DT_FLOAT32, DT_FLOAT64, DT_COMPLEX64, DT_COMPLEX128},
		{DT_UINT32, DT_INT64, DT_INT64, DT_INT64, DT_INT64, DT_UINT32, DT_UINT32, DT_UINT32, DT_UINT64, DT_FLOAT64, DT_FLOAT64, DT_COMPLEX128, DT_COMPLEX128},
		{DT_UINT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_UINT64, DT_UINT64, DT_UINT64, DT_UINT64, DT_FLOAT64, DT_FLOAT64, DT_COMPLEX128, DT_COMPLEX128},
		{DT_FLOAT32, DT_FLOAT32, DT_FLOAT32, DT_FLOAT64, DT_FLOAT64, DT_FLOAT32, DT_FLOAT32, DT_FLOAT64, DT_FLOAT64, DT_FLOAT32, DT_FLOAT64, DT_COMPLEX64, DT_COMPLEX128},
		{DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_FLOAT64, DT_COMPLEX128, DT_COMPLEX128},
		{DT_COMPLEX64, DT_COMPLEX64, DT_COMPLEX64, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX64, DT_COMPLEX64, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX64, DT_COMPLEX128, DT_COMPLEX64, DT_COMPLEX128},
		{DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128, DT_COMPLEX128},
	};
	for (int a = 0; a < DT_COUNT; a++) {
		for (int b = 0; b < DT_COUNT; b++) {
			DType got = dtype_promote((DType)a, (DType)b);
			test_checks++;
			if (got != want[a][b]) {
				test_failed++;
				fprintf(stderr, "promote(%s, %s) = %s, want %s\n",
					names[a], names[b], dtype_name(got),
					dtype_name(want[a][b]));
			}
		}
	}
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_names();
	test_ctypes();
	test_predicates();
	test_promote();
	return test_done(argv[0]);
}
