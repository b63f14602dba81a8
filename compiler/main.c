/* main.c - shrikec's command line: a dispatch table of subcommands. */
#include <stdio.h>
#include <string.h>

#include "../kmod/uapi/shrike.h"
#include "cli.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "compile", cmd_compile, "compile rule files into a table: RULES... -o FILE" },
	{ "validate", cmd_validate, "check rule files; exit 0 valid, 1 invalid (--json)" },
	{ "list", cmd_list, "list rules: source, priority, tags, where evaluated (--json)" },
	{ "fields", cmd_fields, "list the supported fields (--json)" },
	{ "explain", cmd_explain, "explain how a rule compiles: RULE RULES..." },
	{ "test", cmd_test, "evaluate rules on recorded events: RULES... --events FILE" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	const struct command *c;

	fprintf(f, "Usage: shrikec COMMAND [ARGS...]\n\nCommands:\n");
	for (c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->help);
	fprintf(f, "\n  --version  print the version and table format\n  --help     this text\n");
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("shrikec %s (abi %d, table format %d)\n", SHRIKE_VERSION, SHRIKE_ABI_VERSION,
		       SHRIKE_TABLE_FORMAT);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (c = commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "shrikec: unknown command '%s' (see shrikec --help)\n", argv[1]);
	return 1;
}
