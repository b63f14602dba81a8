/* run.h - the agent's main loop (see run.c). */
#ifndef SHRIKE_AGENT_RUN_H
#define SHRIKE_AGENT_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

struct agent_opts {
	struct config *cfg;	/* rules_file, outputs, webserver, ... */
	bool unload_on_exit;
	bool no_syscall;	/* --disable-source syscall: no shrike.ko needed */
	bool no_k8s_audit;	/* --disable-source k8s_audit */
};

/* Runs until SIGINT/SIGTERM; SIGHUP reloads the rules and reopens output
 * files, SIGUSR1 reopens output files. 0 clean exit, 1 user error (rules,
 * configuration, no module), 2 internal error. */
int agent_run(const struct agent_opts *o);

#endif
