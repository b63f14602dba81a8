/* runner.c - the one libcheck runner: every suite of the project, one per area.
 * A suite whose file is not linked in is reported as missing, not skipped
 * silently. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUITES(X)    \
	X(contract)  \
	X(parser)    \
	X(loader)    \
	X(oom)       \
	X(diag)      \
	X(file)      \
	X(fields)    \
	X(verify)    \
	X(eval)      \
	X(guard)     \
	X(compile)   \
	X(event)     \
	X(k8saudit)  \
	X(alert)     \
	X(config)    \
	X(channels)  \
	X(webserver) \
	X(enrich)    \
	X(procfs)    \
	X(dns)       \
	X(dropin)    \
	X(record)

#define DECL(name) Suite *make_##name##_suite(void) __attribute__((weak));
SUITES(DECL)

int main(int argc, char **argv)
{
	SRunner *sr = srunner_create(NULL);
	const char *only = argc > 1 ? argv[1] : NULL;
	int failed;

#define ADD(name)                                                   \
	if (make_##name##_suite && (!only || !strcmp(only, #name))) \
		srunner_add_suite(sr, make_##name##_suite());
	SUITES(ADD)
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
