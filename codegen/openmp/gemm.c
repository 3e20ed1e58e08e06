/* codegen/openmp/gemm.c — the tiled matrix product that a gemm of impl
 * blas runs instead of OpenBLAS where OpenBLAS has no kernel for the
 * processor (runtime/dfcrt.h, dfcrt_gemm_choose).
 *
 * OpenBLAS 0.3.21 does not know some current x86-64 processors and falls
 * back on its generic SSE3 kernels (Prescott), which on this project's
 * machines (AVX-512) reach 20-30 GFLOP/s on two threads; the loops below,
 * compiled by gcc -O3 -march=native for the same machine, reach 60-100
 * (docs/transformations.md, library-expansion, has the measurements).
 *
 * dfc_gemm_<t> (one definition per dtype, float32 and float64) computes
 * c = alpha a b (mode 0), c += alpha a b (mode 1) or c = alpha a b +
 * beta c (mode 2) for an n x k matrix a whose element (i, q) is
 * a[i * a0 + q * a1], a k x m matrix b (b[q * b0 + j * b1]) and an n x m
 * matrix c (c[i * c0 + j]): any strides of the operands, so transposed
 * views need no copy. With sym (a syrk: b is a^T, mode 0) only the tiles
 * on or above the diagonal are computed, then mirrored. The loops are the
 * usual blocking of a gemm:
 *   - the columns of b in blocks of NC, the contraction in blocks of KC;
 *     the threads copy b's block together (omp for) into panels of NR
 *     columns, KC rows of vectors, in the handle buffer the call passes
 *     (so each call after the first allocates nothing);
 *   - the rows in blocks of mb (1 to 8 tiles of MR rows, about four
 *     blocks per thread), which the threads take as they come free
 *     (schedule(dynamic)): a thread that loses its core to another
 *     process, or to OpenBLAS's spinning pool, does fewer, and syrk's
 *     triangle needs no split of its own. Each block is copied into
 *     slivers of MR rows laid out column by column;
 *   - an MR x NR tile of c accumulates in MR x 2 vectors of
 *     DFCRT_GEMM_VBYTES bytes (16 of AVX-512's 32 registers, 12 of
 *     AVX2's 16): each step loads two vectors of b's panel and multiplies
 *     them by each of the MR elements of a's sliver.
 * Partial tiles are zero-padded in the copies and stored element by
 * element. Each element of c sums its products in the order of q, one KC
 * block at a time (the block's sum added to c), whatever the thread
 * count: results do not depend on it. Two barriers per block of the
 * contraction (after the copy of b, after the rows), one fork per call.
 * The vector types and arithmetic are gcc's and clang's vector extension
 * (vector_size), which both compile to the target's vector instructions.
 * MR = 8 (float64, AVX-512, 70-100 GFLOP/s on two threads) measured as
 * fast as 10 and 14 and faster than 12; it pads partial tiles the least.
 * The helper contracts its multiplications and additions into FMAs
 * (pragmas around it for gcc and clang): the kernel's -ffp-contract=off
 * keeps the loops rounding as NumPy's do, which a product computed by
 * BLAS does not (1024 x 512 products: 60.9 -> 107.1 GFLOP/s). clang
 * gets min_vector_width: on processors where it prefers 256-bit vectors
 * it split each 64-byte vector in two and spilled the tile's 32 halves
 * (47.7 -> 90.1 GFLOP/s).
 */
#include "emit.h"

const char cg_omp_gemm_template[] =
	"typedef @T dfc_gemm_v@S __attribute__((vector_size(DFCRT_GEMM_VBYTES)));\n"
	"char *openblas_get_corename(void);\n\n"
	"/* codegen/openmp/gemm.c: c = alpha a b (mode 0), c += alpha a b (1),\n"
	" * c = alpha a b + beta c (2), on nt threads; sym: c is symmetric (mode 0,\n"
	" * b = a^T), its upper triangle is computed and mirrored. Its products\n"
	" * and sums contract into FMAs (the kernel's -ffp-contract=off is for\n"
	" * the loops that must match NumPy's roundings; a BLAS call's do not). */\n"
	"#if defined(__GNUC__) && !defined(__clang__)\n"
	"#pragma GCC push_options\n#pragma GCC optimize(\"fp-contract=fast\")\n#endif\n"
	"static void\n"
	"#ifdef __clang__\n__attribute__((min_vector_width(DFCRT_GEMM_VBYTES * 8)))\n#endif\n"
	"dfc_gemm_@S(int64_t n, int64_t m, int64_t k, @T alpha, const @T *a, int64_t a0,\n"
	"\t    int64_t a1, const @T *b, int64_t b0, int64_t b1, int mode, @T beta, @T *c,\n"
	"\t    int64_t c0, bool sym, DfcrtBuf *buf, int64_t nt)\n"
	"{\n"
	"#ifdef __clang__\n#pragma clang fp contract(fast)\n#endif\n"
	"\ttypedef dfc_gemm_v@S V;\n"
	"\tenum { VL = DFCRT_GEMM_VBYTES / sizeof(@T), NV = 2, NR = NV * VL, MR = DFCRT_GEMM_MR,\n"
	"\t       KC = 256, NC = 2048 };\n"
	"\tif (n <= 0 || m <= 0)\n\t\treturn;\n"
	"\tif (k <= 0) {\n"
	"\t\tfor (int64_t i = 0; i < n && mode != 1; i++)\n"
	"\t\t\tfor (int64_t j = 0; j < m; j++)\n"
	"\t\t\t\tc[i * c0 + j] = mode == 0 ? @Z : beta * c[i * c0 + j];\n"
	"\t\treturn;\n\t}\n"
	"\tconst int64_t tiles = (n + MR - 1) / MR;\n"
	"\tif (nt > tiles)\n\t\tnt = tiles;\n"
	"\tif (nt < 1)\n\t\tnt = 1;\n"
	"\tint64_t mb = (tiles + 4 * nt - 1) / (4 * nt);\n"
	"\tmb = MR * (mb < 1 ? 1 : mb > 8 ? 8 : mb);\n"
	"\tconst int64_t blocks = (n + mb - 1) / mb;\n"
	"\tconst int64_t kb = k < KC ? k : KC, nb = m < NC ? (m + NR - 1) / NR * NR : NC;\n"
	"\t@T *pack = dfcrt_buf_reserve(buf, sizeof(@T) * (size_t)(kb * nb + nt * kb * mb));\n"
	"\tV *bp = (V *)pack;\n"
	"#ifdef _OPENMP\n#pragma omp parallel num_threads(nt) if(nt > 1)\n#endif\n"
	"\t{\n"
	"\t\tint64_t id = 0;\n"
	"#ifdef _OPENMP\n\t\tid = omp_get_thread_num();\n#endif\n"
	"\t\t@T *ap = pack + kb * nb + kb * mb * id;\n"
	"\t\tfor (int64_t jc = 0; jc < m; jc += NC) {\n"
	"\t\t\tconst int64_t nc = m - jc < NC ? m - jc : NC;\n"
	"\t\t\tfor (int64_t pc = 0; pc < k; pc += KC) {\n"
	"\t\t\t\tconst int64_t kc = k - pc < KC ? k - pc : KC;\n"
	"#ifdef _OPENMP\n#pragma omp for schedule(static)\n#endif\n"
	"\t\t\t\tfor (int64_t jr = 0; jr < nc; jr += NR) {\n"
	"\t\t\t\t\tV *p = bp + jr / NR * kc * NV;\n"
	"\t\t\t\t\tconst int64_t nr = nc - jr < NR ? nc - jr : NR;\n"
	"\t\t\t\t\tfor (int64_t q = 0; q < kc; q++) {\n"
	"\t\t\t\t\t\tconst @T *s = b + (pc + q) * b0 + (jc + jr) * b1;\n"
	"\t\t\t\t\t\tfor (int64_t j = 0; j < NR; j++)\n"
	"\t\t\t\t\t\t\tp[q * NV + j / VL][j % VL] = j < nr ? s[j * b1] : @Z;\n"
	"\t\t\t\t\t}\n"
	"\t\t\t\t}\n"
	"#ifdef _OPENMP\n#pragma omp for schedule(dynamic, 1)\n#endif\n"
	"\t\t\t\tfor (int64_t blk = 0; blk < blocks; blk++) {\n"
	"\t\t\t\t\tconst int64_t ic = blk * mb, mc = n - ic < mb ? n - ic : mb;\n"
	"\t\t\t\t\tif (sym && jc + nc <= ic)\n"
	"\t\t\t\t\t\tcontinue;\n"
	"\t\t\t\t\tfor (int64_t ir = 0; ir < mc; ir += MR) {\n"
	"\t\t\t\t\t\t@T *p = ap + ir * kc;\n"
	"\t\t\t\t\t\tconst int64_t mr = mc - ir < MR ? mc - ir : MR;\n"
	"\t\t\t\t\t\tfor (int64_t q = 0; q < kc; q++) {\n"
	"\t\t\t\t\t\t\tconst @T *s = a + (ic + ir) * a0 + (pc + q) * a1;\n"
	"\t\t\t\t\t\t\tfor (int64_t r = 0; r < MR; r++)\n"
	"\t\t\t\t\t\t\t\tp[q * MR + r] = r < mr ? s[r * a0] : @Z;\n"
	"\t\t\t\t\t\t}\n"
	"\t\t\t\t\t}\n"
	"\t\t\t\t\tfor (int64_t jr = 0; jr < nc; jr += NR) {\n"
	"\t\t\t\t\t\tconst V *pb = bp + jr / NR * kc * NV;\n"
	"\t\t\t\t\t\tconst int64_t nr = nc - jr < NR ? nc - jr : NR;\n"
	"\t\t\t\t\t\tfor (int64_t ir = 0; ir < mc; ir += MR) {\n"
	"\t\t\t\t\t\t\tif (sym && jc + jr + nr <= ic + ir)\n"
	"\t\t\t\t\t\t\t\tcontinue;\n"
	"\t\t\t\t\t\t\tconst @T *pa = ap + ir * kc;\n"
	"\t\t\t\t\t\t\tconst int64_t mr = mc - ir < MR ? mc - ir : MR;\n"
	"\t\t\t\t\t\t\tV acc[MR][NV];\n"
	"\t\t\t\t\t\t\tfor (int r = 0; r < MR; r++)\n"
	"\t\t\t\t\t\t\t\tfor (int v = 0; v < NV; v++)\n"
	"\t\t\t\t\t\t\t\t\tacc[r][v] = (V){ 0 };\n"
	"\t\t\t\t\t\t\tfor (int64_t q = 0; q < kc; q++) {\n"
	"\t\t\t\t\t\t\t\tconst V *x = pb + q * NV;\n"
	"\t\t\t\t\t\t\t\tfor (int r = 0; r < MR; r++)\n"
	"\t\t\t\t\t\t\t\t\tfor (int v = 0; v < NV; v++)\n"
	"\t\t\t\t\t\t\t\t\t\tacc[r][v] += pa[q * MR + r] * x[v];\n"
	"\t\t\t\t\t\t\t}\n"
	"\t\t\t\t\t\t\t@T out[MR][NR];\n"
	"\t\t\t\t\t\t\tfor (int r = 0; r < MR; r++)\n"
	"\t\t\t\t\t\t\t\tfor (int v = 0; v < NV; v++)\n"
	"\t\t\t\t\t\t\t\t\t__builtin_memcpy(&out[r][v * VL], &acc[r][v], sizeof(V));\n"
	"\t\t\t\t\t\t\tfor (int64_t r = 0; r < mr; r++) {\n"
	"\t\t\t\t\t\t\t\t@T *o = c + (ic + ir + r) * c0 + jc + jr;\n"
	"\t\t\t\t\t\t\t\tif (pc > 0 || mode == 1)\n"
	"\t\t\t\t\t\t\t\t\tfor (int64_t j = 0; j < nr; j++)\n"
	"\t\t\t\t\t\t\t\t\t\to[j] += alpha * out[r][j];\n"
	"\t\t\t\t\t\t\t\telse if (mode == 0)\n"
	"\t\t\t\t\t\t\t\t\tfor (int64_t j = 0; j < nr; j++)\n"
	"\t\t\t\t\t\t\t\t\t\to[j] = alpha * out[r][j];\n"
	"\t\t\t\t\t\t\t\telse\n"
	"\t\t\t\t\t\t\t\t\tfor (int64_t j = 0; j < nr; j++)\n"
	"\t\t\t\t\t\t\t\t\t\to[j] = alpha * out[r][j] + beta * o[j];\n"
	"\t\t\t\t\t\t\t}\n"
	"\t\t\t\t\t\t}\n"
	"\t\t\t\t\t}\n"
	"\t\t\t\t}\n"
	"\t\t\t}\n"
	"\t\t}\n"
	"\t\tif (sym) {\n"
	"#ifdef _OPENMP\n#pragma omp for schedule(dynamic, 1)\n#endif\n"
	"\t\t\tfor (int64_t ib = 0; ib < n; ib += 64)\n"
	"\t\t\t\tfor (int64_t jb = 0; jb < ib + 64 && jb < n; jb += 64)\n"
	"\t\t\t\t\tfor (int64_t i = ib; i < ib + 64 && i < n; i++)\n"
	"\t\t\t\t\t\tfor (int64_t j = jb; j < jb + 64 && j < i; j++)\n"
	"\t\t\t\t\t\t\tc[i * c0 + j] = c[j * c0 + i];\n"
	"\t\t}\n"
	"\t}\n"
	"}\n"
	"#if defined(__GNUC__) && !defined(__clang__)\n#pragma GCC pop_options\n#endif\n\n";
