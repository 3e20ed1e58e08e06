/* bench/dgemm.c -- OpenBLAS dgemm's (or sgemm's) speed on this machine.
 *
 * Usage: dgemm [N [REPS [d|s]]]; multiplies two N x N matrices REPS times
 * with cblas_dgemm (d, the default: float64) or cblas_sgemm (s: float32)
 * and prints the best rate in GFLOP/s (2 N^3 operations). sgemm is the
 * limit of float32 products, as dgemm is that of float64 ones: with
 * vectors of twice as many lanes it runs at about twice the rate.
 * Built with -lopenblas; the thread count comes from OMP_NUM_THREADS /
 * OPENBLAS_NUM_THREADS as for NumPy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <omp.h>

/* Best time of reps products of n x n matrices in double precision. */
static double
time_dgemm(int n, int reps)
{
	size_t nn = (size_t)n * n;
	double *a = malloc(nn * sizeof *a), *b = malloc(nn * sizeof *b), *c = malloc(nn * sizeof *c);
	double best = -1;

	if (!a || !b || !c)
		goto out;
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
		if (best < 0 || t < best)
			best = t;
	}
out:
	free(a);
	free(b);
	free(c);
	return best;
}

/* The same in single precision. */
static double
time_sgemm(int n, int reps)
{
	size_t nn = (size_t)n * n;
	float *a = malloc(nn * sizeof *a), *b = malloc(nn * sizeof *b), *c = malloc(nn * sizeof *c);
	double best = -1;

	if (!a || !b || !c)
		goto out;
	for (size_t i = 0; i < nn; i++) {
		a[i] = 1.0f + (float)(i % 7) / 7.0f;
		b[i] = 1.0f - (float)(i % 5) / 5.0f;
		c[i] = 0.0f;
	}
	for (int r = 0; r < reps; r++) {
		double t = omp_get_wtime();
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n,
			    1.0f, a, n, b, n, 0.0f, c, n);
		t = omp_get_wtime() - t;
		if (best < 0 || t < best)
			best = t;
	}
out:
	free(a);
	free(b);
	free(c);
	return best;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	const char *prec = argc > 3 ? argv[3] : "d";

	if (n <= 0 || reps <= 0 || (strcmp(prec, "d") != 0 && strcmp(prec, "s") != 0)) {
		fprintf(stderr, "usage: dgemm [N [REPS [d|s]]] (N, REPS > 0)\n");
		return 2;
	}
	double best = prec[0] == 's' ? time_sgemm(n, reps) : time_dgemm(n, reps);
	if (best < 0) {
		fprintf(stderr, "dgemm: cannot allocate three %d x %d matrices\n", n, n);
		return 1;
	}
	printf("%.3f\n", 2.0 * n * n * (double)n / best / 1e9);
	return 0;
}
