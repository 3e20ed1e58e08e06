/* tests/unit/test_strids.c — interned strings (compiler/strbuf.c): equal
 * texts get one id, ids count from 0 in the order first seen, and the
 * table keeps them across its growth. */
#include "../../compiler/compiler.h"
#include "test.h"

int
main(int argc, char **argv)
{
	(void)argc;
	Arena *a = arena_new();
	StrIds t = {0};
	bool fresh = false;
	CHECK(strids_get(a, &t, "add<float64>(0,1)", &fresh) == 0 && fresh);
	CHECK(strids_get(a, &t, "in:img[_i0, _i1]", &fresh) == 1 && fresh);
	CHECK(strids_get(a, &t, "add<float64>(0,1)", &fresh) == 0 && !fresh);
	CHECK(strids_get(a, &t, "", &fresh) == 2 && fresh);
	CHECK(strids_get(a, &t, "", NULL) == 2);
	/* the caller's buffer may change: the table keeps its own copy */
	char buf[32];
	snprintf(buf, sizeof buf, "x%d", 7);
	int x7 = strids_get(a, &t, buf, NULL);
	snprintf(buf, sizeof buf, "x%d", 8);
	CHECK(strids_get(a, &t, "x7", NULL) == x7);
	/* thousands of ids: the table grows and keeps every one */
	int added = 0, same = 0;
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof buf, "k%d", i);
		added += strids_get(a, &t, buf, &fresh) == 4 + i && fresh;
	}
	CHECK(added == 5000);
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof buf, "k%d", i);
		same += strids_get(a, &t, buf, &fresh) == 4 + i && !fresh;
	}
	CHECK(same == 5000);
	CHECK(t.len == 5004);
	CHECK(strids_get(a, &t, "add<float64>(0,1)", NULL) == 0);
	arena_free(a);
	return test_done(argv[0]);
}
