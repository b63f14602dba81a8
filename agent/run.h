/* run.h - the agent's main loop (see run.c). */
#ifndef SHRIKE_AGENT_RUN_H
#define SHRIKE_AGENT_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "../compiler/compiler.h"

struct agent_opts {
	struct config *cfg; /* rules_file, outputs, webserver, ... */
	bool unload_on_exit;
	bool no_syscall;   /* --disable-source syscall: no shrike.ko needed */
	bool no_k8s_audit; /* --disable-source k8s_audit */
	/* -w FILE: record mode (compile_opts.record): every event of the
	 * rules' event types is sent up and written to FILE as a JSON line
	 * `shrikec test --events` replays; alerts as usual. */
	const char *write_events;
};

/* Loads and finishes the configured rules files as the agent runs them:
 * configured paths that do not exist skipped with a warning (none found:
 * an error naming what was looked for), then the rule selection (-D/-T/-t
 * or `rules:`, logged to stderr) and -p applied. Diagnostics are left in
 * (*rs)->diags, not printed. 0; 1 with *rs NULL (no rules file) or with
 * errors in (*rs)->diags; 2 internal error. The caller frees *rs. */
int agent_load_rules(const struct config *cfg, struct ruleset **rs);

/* Runs until SIGINT/SIGTERM; SIGHUP reloads the rules and reopens output
 * files, SIGUSR1 reopens output files. 0 clean exit, 1 user error (rules,
 * configuration, no module), 2 internal error. */
int agent_run(const struct agent_opts *o);

#endif
