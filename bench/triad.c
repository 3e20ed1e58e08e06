/* bench/triad.c -- the STREAM triad a[i] = b[i] + s * c[i] with OpenMP.
 *
 * Usage: triad [N [REPS]]; prints the best bandwidth in GB/s over REPS
 * repetitions, counting 24 bytes per element (two loads, one store; the
 * write-allocate traffic is not counted, as in STREAM). The arrays are
 * first touched in parallel so that pages land near the threads using them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

static void
triad_run(double *a, const double *b, const double *c, double s, long n)
{
	#pragma omp parallel for simd schedule(static)
	for (long i = 0; i < n; i++)
		a[i] = b[i] + s * c[i];
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 40000000L;
	int reps = argc > 2 ? atoi(argv[2]) : 10;
	double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
	double best = 1e30;

	if (!a || !b || !c || n <= 0 || reps <= 0) {
		fprintf(stderr, "triad: cannot allocate %ld doubles\n", n);
		return 1;
	}
	#pragma omp parallel for schedule(static)
	for (long i = 0; i < n; i++) {
		a[i] = 0.0;
		b[i] = 1.0;
		c[i] = 2.0;
	}
	for (int r = 0; r < reps; r++) {
		double t = omp_get_wtime();
		triad_run(a, b, c, 3.0, n);
		t = omp_get_wtime() - t;
		if (t < best)
			best = t;
	}
	if (a[n / 2] != 7.0) {
		fprintf(stderr, "triad: wrong result %g\n", a[n / 2]);
		return 1;
	}
	printf("%.3f\n", 24.0 * n / best / 1e9);
	free(a);
	free(b);
	free(c);
	return 0;
}
