/* Runs every Check suite of tests/unit (CK_RUN_SUITE=<name> runs one). */
#include <check.h>
#include <stdlib.h>

#define TD_SUITE(name) Suite *name##_suite(void);
#include "check_suites.inc"
#undef TD_SUITE

int main(void)
{
	SRunner *sr = srunner_create(NULL);
#define TD_SUITE(name) srunner_add_suite(sr, name##_suite());
#include "check_suites.inc"
#undef TD_SUITE
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
