/* falco_cli.h - what shrike-agent answers to Falco's command-line flags
 * that print and exit (-L, -l, --support, --list) and to those it does not
 * implement (one line naming what does it instead). */
#ifndef SHRIKE_AGENT_FALCO_CLI_H
#define SHRIKE_AGENT_FALCO_CLI_H

#include <stdio.h>

#include "config.h"

/* Falco's -L (rule NULL) and -l RULE: the rules of the configured files,
 * as Falco's format_described_rules_as_text prints them. 0, 1 (rules do
 * not load, no such rule), 2. */
int falco_describe_rules(const struct config *cfg, const char *rule);

/* Falco's --support: one JSON object (version, system_info, cmdline,
 * engine_info, config, rules_files with their contents). 0, 1 or 2. */
int falco_support(const struct config *cfg, int argc, char **argv);

/* A Falco flag shrike-agent does not implement: getopt takes it (short
 * and/or long, with its argument), and the agent answers with one line and
 * exits 1. */
struct falco_flag {
	char shortopt;	     /* or 0 */
	const char *longopt; /* or NULL */
	int has_arg;	     /* getopt's no_argument, required_argument, ... */
	const char *answer;  /* what does it instead, or why it is not there */
};

/* getopt values of the long-only ones: FALCO_FLAG_LONG_BASE + index. */
#define FALCO_FLAG_LONG_BASE 0x1000

/* Appends every flag of the table to a getopt_long option string (optstr,
 * of size optlen) and option array (opts, with room for max entries, the
 * terminating zero entry included). 0, or -1 if they do not fit. */
struct option;
int falco_flags_getopt(char *optstr, size_t optlen, struct option *opts, size_t max);
/* The flag that getopt value val stands for, or NULL. */
const struct falco_flag *falco_flag_find(int val);
/* Prints "shrike-agent: FLAG is not supported: ANSWER" to f. */
void falco_flag_answer(FILE *f, const struct falco_flag *fl);

#endif
