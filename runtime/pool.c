/* runtime/pool.c — the memory of the arrays a kernel's Python wrapper
 * returns.
 *
 * A kernel called in a loop returns a new array at every call, and the
 * caller drops the previous one. Without care each call's result lands on
 * fresh pages: the C library gives blocks above its mmap threshold (32 MiB
 * at most in glibc) back to the system when they are freed, and the next
 * call's block is faulted in and zeroed by the kernel again, page by page
 * (an 88 MiB result: ~4 ms of faults on this machine, a third of a
 * memory-bound kernel's time). Two remedies, both process-wide like the
 * heap they tune:
 *   - dfcrt_malloc_keep fixes glibc's thresholds so that blocks of up to
 *     32 MiB stay in the heap for reuse;
 *   - larger results come from a pool of kept blocks (what CuPy's memory
 *     pool does for device memory): dfcrt_result_alloc reuses a kept block
 *     that fits, dfcrt_result_free keeps a block for the next call, the
 *     least recently kept ones freed to hold the pool to DFCRT_POOL_MAX
 *     bytes and POOL_SLOTS blocks. The pool holds only blocks the process
 *     had allocated before, so it keeps the process at most DFCRT_POOL_MAX
 *     above what it uses. New blocks are aligned to 2 MiB and advised as huge
 *     pages where the system allows it (as NumPy advises its large blocks).
 * One pool per copy of the runtime (each libK.so links its own), guarded by
 * a mutex: Python frees results from whichever thread drops them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/mman.h>

#include "dfcrt.h"

#define POOL_SLOTS 16
#define HUGE_ALIGN ((size_t)2 << 20)

typedef struct PoolBlock {
	void *p;
	size_t cap;
} PoolBlock;

static struct {
	pthread_mutex_t lock;
	PoolBlock kept[POOL_SLOTS];
	int n;
	size_t bytes;            /* the sum of the kept blocks' caps */
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* 32 MiB is the largest mmap threshold glibc accepts. The trim threshold
 * lets the heap's top keep up to 512 MiB of freed blocks: a call that
 * frees its inputs' copies and results (a few blocks of up to 32 MiB
 * each) and then allocates as much again finds them there instead of
 * faulting in fresh pages. Kept memory never takes the process past its
 * own peak. */
void
dfcrt_malloc_keep(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

/* The index of the smallest kept block of at least `bytes` bytes and at
 * most a quarter more (a much larger block would be wasted on a small
 * result while a later large one faults in a new block), or -1. Called
 * with the lock held. */
static int
pool_fit(size_t bytes)
{
	int best = -1;
	for (int i = 0; i < pool.n; i++) {
		size_t cap = pool.kept[i].cap;
		if (cap >= bytes && cap - bytes <= bytes / 4 &&
		    (best < 0 || cap < pool.kept[best].cap))
			best = i;
	}
	return best;
}

void *
dfcrt_result_alloc(size_t bytes, size_t *cap)
{
	pthread_mutex_lock(&pool.lock);
	int i = pool_fit(bytes);
	if (i >= 0) {
		PoolBlock b = pool.kept[i];
		memmove(&pool.kept[i], &pool.kept[i + 1], (size_t)(pool.n - i - 1) * sizeof b);
		pool.n--;
		pool.bytes -= b.cap;
		pthread_mutex_unlock(&pool.lock);
		*cap = b.cap;
		return b.p;
	}
	pthread_mutex_unlock(&pool.lock);
	if (bytes > SIZE_MAX - HUGE_ALIGN)
		return NULL;
	size_t n = bytes ? (bytes + HUGE_ALIGN - 1) / HUGE_ALIGN * HUGE_ALIGN : HUGE_ALIGN;
	void *p = NULL;
	if (posix_memalign(&p, HUGE_ALIGN, n) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);  /* advice only: its failure changes nothing */
#endif
	*cap = n;
	return p;
}

void
dfcrt_result_free(void *p, size_t cap)
{
	if (!p)
		return;
	if (cap > DFCRT_POOL_MAX) {
		free(p);
		return;
	}
	PoolBlock evicted[POOL_SLOTS];
	int ne = 0;
	pthread_mutex_lock(&pool.lock);
	while (pool.n == POOL_SLOTS || pool.bytes + cap > DFCRT_POOL_MAX) {
		evicted[ne++] = pool.kept[0];
		pool.bytes -= pool.kept[0].cap;
		memmove(&pool.kept[0], &pool.kept[1], (size_t)(--pool.n) * sizeof *pool.kept);
	}
	pool.kept[pool.n++] = (PoolBlock){ p, cap };
	pool.bytes += cap;
	pthread_mutex_unlock(&pool.lock);
	for (int i = 0; i < ne; i++)
		free(evicted[i].p);
}
