/* cli.h - what shrikec's subcommands share: option parsing and loading the
 * rule files with diagnostics. Exit codes: 0 ok, 1 user error (bad rules or
 * usage), 2 internal error. */
#ifndef SHRIKEC_CLI_H
#define SHRIKEC_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "codegen.h"
#include "loader.h"
#include "select.h"

struct cli {
	const char *cmd;
	const char *usage; /* the command's usage text */
	char **args;	   /* positional arguments */
	int nargs;
	bool json;
	bool match_all;
	bool quiet;
	const char *output;    /* -o FILE */
	const char *events;    /* --events FILE */
	bool cases;	       /* test --cases: the arguments are case files */
	const char *junit;     /* test --junit FILE */
	const char *hostname;  /* --hostname NAME */
	bool iso8601;	       /* --time-format-iso-8601 */
	bool no_opt;	       /* -O0: programs as written (compile_opts.no_opt) */
	bool all_events;       /* -A (compile_opts.all_events) */
	bool has_min_priority; /* --priority LEVEL (compile_opts.min_priority) */
	int min_priority;
	/* -D SUBSTRING, -T TAG, -t TAG: Falco's rule selection (select.h),
	 * applied by cli_load() */
	char **sel_args[3];
	size_t nsel_args[3];
	struct rule_selection sel;
	struct ruleset *rs;
};

/* Parses the common options; returns 0, or an exit code (help printed:
 * 0 is returned as -1 so the caller stops). */
/* The -O text of the usages of the commands that compile. */
#define CLI_OPT_USAGE                                                                       \
	"  -O0                      no optimisation: each program tests its condition\n"    \
	"                           as written (constant-folded). By default (-O1) the\n"   \
	"                           evt.type/evt.dir tests the rule's event-type set and\n" \
	"                           direction decide are folded, and/or operands are\n"     \
	"                           ordered by estimated cost and jumps threaded; the\n"    \
	"                           results are the same\n"
/* The text of --priority and -A, for the same commands. */
#define CLI_FALCO_USAGE                                                                     \
	"  --priority LEVEL         Falco's priority option: leave out the rules less\n"    \
	"                           severe than LEVEL (emergency ... debug), as Falco\n"    \
	"                           does not load them\n"                                   \
	"  -A, --all-events         as Falco's -A: also run the rules on the event types\n" \
	"                           Falco skips without it (read, write, close, fstat,\n"   \
	"                           mmap, ...: libsinsp's EF_DROP_SIMPLE_CONS)\n"           \
	"  -D SUBSTRING             as Falco's -D: disable the rules whose name has it\n"   \
	"  -T TAG                   as Falco's -T: disable the rules with the tag TAG\n"    \
	"  -t TAG                   as Falco's -t: only the rules with the tag TAG (not\n"  \
	"                           with -D or -T); all three repeatable\n"
int cli_parse(struct cli *c, int argc, char **argv);
/* The compile options the command line asked for. */
void cli_compile_opts(const struct cli *c, struct compile_opts *o);
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
