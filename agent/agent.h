/* agent.h - the running agent's state, shared by run.c (the main loop, the
 * events, the alerts) and stats.c (metrics, the kernel's counters and the
 * drop alert). Internal to agent/. */
#ifndef SHRIKE_AGENT_AGENT_H
#define SHRIKE_AGENT_AGENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "channels.h"
#include "config.h"
#include "genl.h"
#include "../lib/alert.h"
#include "../lib/event.h"

/* Matches of one rule, kept by name so that they survive reloads. */
struct rule_count {
	char *name;
	int priority, source;
	uint64_t n;
};

struct rule_out;
struct websrv;
struct enricher;

struct agent {
	const struct config *cfg;
	pthread_mutex_t lock;
	struct shrike_table t;
	void *table;
	size_t table_len;
	size_t nrules;
	struct output_opts out;
	struct outputs outs;
	struct websrv *web;
	struct enricher *en;
	char hostname[256];
	bool no_k8s_audit;
	time_t started;

	/* Counters, under lock. */
	uint64_t events[__SHRIKE_SRC_MAX]; /* kernel records / audit events */
	uint64_t stale, reloads_ok, reloads_failed;
	uint64_t overflows;		  /* batches lost: larger than the receive buffer */
	uint64_t recv_calls, recv_dgrams; /* reads of the alert socket */
	struct rule_count *rc;
	size_t nrc;
	struct rule_out *ro; /* per rule of t, t.nrules of them, or NULL */
	/* The table the last reload replaced, kept for the records of it the
	 * kernel sent before the swap (NULL: none). */
	struct shrike_table prev_t;
	void *prev_table;
	struct rule_out *prev_ro;
	struct uevent ev; /* the kernel record being handled, its memory reused */
	uint64_t kstats[__SHRIKE_STAT_MAX];
	bool have_kstats;

	/* The drop alert, this thread only. */
	uint64_t prev_kstats[__SHRIKE_STAT_MAX];
	bool have_prev;
	struct token_bucket drop_tb;
	bool exit_on_drop;
	bool replaced; /* another subscriber took the alerts */

	/* -w: the recording (run.c's record_event), under lock. */
	const char *rec_path;
	int rec_fd;	     /* -1: not open (opening failed) */
	uint64_t rec_events; /* lines written */
	uint64_t rec_failed; /* records not written: ENOMEM, write errors */
	int rec_errno;	     /* the last failure's errno (0: ENOMEM), -1: none; logged per change */
};

/* The argument text a captured (field, arg) of t is keyed by in an event
 * (NULL: none), in buf. run.c. */
const char *agent_arg_text(const struct shrike_table *t, u16 field, u16 arg, char *buf, size_t len);

/* ---- -w, record.c (under ag->lock once the loop runs) ---- */

/* Opens (or reopens) ag->rec_path, O_APPEND|O_CLOEXEC. 0, or -errno (ag->rec_fd
 * is then -1: each event is counted lost until a reopen works). */
int rec_open(struct agent *ag);
/* SIGUSR1, SIGHUP: rec_open under ag->lock, a failure logged. */
void rec_reopen(struct agent *ag);
/* The output template of rule r (NULL on ENOMEM), for its output's fields. */
typedef const struct output_tmpl *(*rec_tmpl_fn)(void *data, struct agent *ag,
						 const struct shrike_rule *r);
/* The kernel record naming rules[0..nrules) of t, its values in ev, as one
 * line of the -w file: evt.type, evt.dir, evt.rawtime and each field the
 * rules read (their captures, their programs' tests, their outputs'),
 * valued by the agent's own fetch. Written, or counted lost. */
void record_event(struct agent *ag, const struct shrike_table *t, const u32 *rules, u32 nrules,
		  struct uevent *ev, rec_tmpl_fn tmpl_of, void *data);
/* Warns about each event type whose rules, in record mode, need more rules
 * or captured fields than one kernel record holds. */
void record_check_table(const struct shrike_table *t);

/* The webserver's /metrics (websrv_hooks.metrics): data is the agent. */
void agent_metrics(void *data, FILE *f);

/* Once a second: the kernel's counters, and Falco's drop alert when the
 * share of events dropped in the last second is over the threshold. Sets
 * ag->exit_on_drop when syscall_event_drops.actions says exit. cmd NULL:
 * no module. 0, or GET_STATS's -errno (-ENOENT: the family is gone). */
int agent_tick(struct agent *ag, struct shrike_nl *cmd);

/* Where an agent leaves the kernel's no-receiver drop count it saw when it
 * subscribed, for the next agent's gap report. */
#define AGENT_STATE_DIR	 "/run/shrike"
#define AGENT_STATE_FILE AGENT_STATE_DIR "/agent.state"

/* Once subscribed: the events shrike.ko dropped while no agent was
 * receiving (the previous agent died or was stopped), logged and, as
 * syscall_event_drops.actions says, a drop alert. Also the baseline of
 * agent_tick's drop check, so that drops before its first tick count. */
void agent_report_gap(struct agent *ag, struct shrike_nl *cmd);

#endif
