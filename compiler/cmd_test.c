/* cmd_test.c - shrikec test: evaluates rules on recorded events and prints
 * the alerts exactly as the agent would. */
#include <stdio.h>

#include "cli.h"

int cmd_test(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "shrikec test: not built yet\n");
	return 2;
}
