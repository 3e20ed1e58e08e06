/* bench/fork_idle.c -- what an OpenMP parallel region costs after the
 * threads sat idle, as a timed call of the bench finds them.
 *
 * Usage: fork_idle [PAUSE_MS [REPS]]; sleeps PAUSE_MS (default 200, the
 * bench's pause between calls) before each of REPS (default 21) empty
 * `#pragma omp parallel` regions and prints the median time of a region
 * in microseconds. The bench runs it with GOMP_SPINCOUNT=30000, as the
 * modules dfc generates load libgomp. On most machines this is a few
 * microseconds; on a virtual machine whose idle vCPUs the hypervisor
 * halts, waking the other thread's vCPU can take milliseconds, and every
 * timed call of a kernel that forks pays it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <omp.h>

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	long pause_ms = argc > 1 ? atol(argv[1]) : 200;
	int reps = argc > 2 ? atoi(argv[2]) : 21;
	if (pause_ms < 0 || reps <= 0 || reps > 1000) {
		fprintf(stderr, "fork_idle: bad arguments\n");
		return 1;
	}
	double *t = malloc(sizeof *t * (size_t)reps);
	volatile int sink = 0;
	if (!t)
		return 1;
	#pragma omp parallel
	sink += omp_get_thread_num();       /* the threads exist before the first pause */
	for (int r = 0; r < reps; r++) {
		struct timespec ts = { pause_ms / 1000, (pause_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		double t0 = omp_get_wtime();
		#pragma omp parallel
		sink += omp_get_thread_num();
		t[r] = omp_get_wtime() - t0;
	}
	qsort(t, (size_t)reps, sizeof *t, cmp);
	printf("%.1f\n", t[reps / 2] * 1e6);
	free(t);
	return 0;
}
