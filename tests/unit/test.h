/* tests/unit/test.h — the minimal harness of dfc's C unit tests.
 * CHECK(cond) records a failure with its line; each test program ends with
 * `return test_done(argv[0]);`, which prints "<name>: N checks, N failed"
 * and returns non-zero if any check failed. */
#ifndef DFC_TEST_H
#define DFC_TEST_H
#include <stdio.h>
#include <string.h>

static int test_checks, test_failed;

#define CHECK(cond)                                                           \
	do {                                                                  \
		test_checks++;                                                \
		if (!(cond)) {                                                \
			test_failed++;                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n",          \
				__FILE__, __LINE__, #cond);                   \
		}                                                             \
	} while (0)

#define CHECK_STR(got, want)                                                  \
	do {                                                                  \
		const char *g_ = (got), *w_ = (want);                         \
		test_checks++;                                                \
		if (!g_ || strcmp(g_, w_) != 0) {                             \
			test_failed++;                                        \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n",   \
				__FILE__, __LINE__, g_ ? g_ : "(null)", w_);  \
		}                                                             \
	} while (0)

static inline int
test_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, test_checks, test_failed);
	return test_failed != 0;
}
#endif
