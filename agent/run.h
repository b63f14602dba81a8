/* run.h - the agent's main loop (see run.c). */
#ifndef SHRIKE_AGENT_RUN_H
#define SHRIKE_AGENT_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct agent_opts {
	char **rules_files;	/* rules_file: files and directories, in order */
	size_t nrules_files;
	bool json_output;
	bool time_format_iso_8601;
	bool match_all;		/* rule_matching: all */
	bool unload_on_exit;
};

/* Runs until SIGINT/SIGTERM. 0 clean exit, 1 user error (rules, no module),
 * 2 internal error. */
int agent_run(const struct agent_opts *o);

#endif
