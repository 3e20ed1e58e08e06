/* bench/dgemm.c -- OpenBLAS dgemm's speed on this machine.
 *
 * Usage: dgemm [N [REPS]]; multiplies two N x N matrices REPS times with
 * cblas_dgemm and prints the best rate in GFLOP/s (2 N^3 operations).
 * Built with -lopenblas; the thread count comes from OMP_NUM_THREADS /
 * OPENBLAS_NUM_THREADS as for NumPy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <cblas.h>
#include <omp.h>

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	size_t nn = (size_t)n * n;
	double *a = malloc(nn * sizeof *a), *b = malloc(nn * sizeof *b), *c = malloc(nn * sizeof *c);
	double best = 1e30;

	if (!a || !b || !c || n <= 0 || reps <= 0) {
		fprintf(stderr, "dgemm: cannot allocate three %d x %d matrices\n", n, n);
		return 1;
	}
	for (size_t i = 0; i < nn; i++) {
		a[i] = 1.0 + (double)(i % 7) / 7.0;
		b[i] = 1.0 - (double)(i % 5) / 5.0;
		c[i] = 0.0;
	}
	for (int r = 0; r < reps; r++) {
		double t = omp_get_wtime();
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n,
			    1.0, a, n, b, n, 0.0, c, n);
		t = omp_get_wtime() - t;
		if (t < best)
			best = t;
	}
	printf("%.3f\n", 2.0 * n * n * (double)n / best / 1e9);
	free(a);
	free(b);
	free(c);
	return 0;
}
