/* cli.h - what shrikec's subcommands share: option parsing and loading the
 * rule files with diagnostics. Exit codes: 0 ok, 1 user error (bad rules or
 * usage), 2 internal error. */
#ifndef SHRIKEC_CLI_H
#define SHRIKEC_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "loader.h"

struct cli {
	const char *cmd;
	const char *usage;	/* the command's usage text */
	char **args;		/* positional arguments */
	int nargs;
	bool json;
	bool match_all;
	bool quiet;
	const char *output;	/* -o FILE */
	const char *events;	/* --events FILE */
	const char *hostname;	/* --hostname NAME */
	bool iso8601;		/* --time-format-iso-8601 */
	bool no_opt;		/* -O0: programs as written (compile_opts.no_opt) */
	struct ruleset *rs;
};

/* Parses the common options; returns 0, or an exit code (help printed:
 * 0 is returned as -1 so the caller stops). */
/* The -O text of the usages of the commands that compile. */
#define CLI_OPT_USAGE \
	"  -O0                      no optimisation: each program tests its condition\n" \
	"                           as written (constant-folded). By default (-O1) the\n" \
	"                           evt.type/evt.dir tests the rule's event-type set and\n" \
	"                           direction decide are folded, and/or operands are\n" \
	"                           ordered by estimated cost and jumps threaded; the\n" \
	"                           results are the same\n"
int cli_parse(struct cli *c, int argc, char **argv);
/* Loads every path in c->args[from..] and finishes the ruleset; prints the
 * diagnostics to stderr unless json. Returns 0, or 1 if there are errors. */
int cli_load(struct cli *c, int from);
void cli_free(struct cli *c);

int cmd_compile(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_fields(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_test(int argc, char **argv);

#endif
