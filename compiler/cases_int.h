/* cases_int.h - what the files of shrikec test --cases share: a case as
 * read (cases_read.c), the alerts its events raised (cases.c), the checks
 * of its expectations (cases_check.c) and its result for the reports
 * (cases_report.c). */
#ifndef SHRIKEC_CASES_INT_H
#define SHRIKEC_CASES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include "cases.h"
#include "../lib/alert.h"
#include "../lib/diag.h"
#include "../lib/yamldoc.h"

enum result_status {
	R_PASS,
	R_FAIL,	 /* an expectation does not hold (exit 1) */
	R_ERROR, /* bad input: the case, its rules or its events (exit 2) */
};

struct result {
	char *name;
	const char *file; /* as given on the command line */
	int line;	  /* of the case's name */
	enum result_status status;
	char **msgs; /* "FILE:LINE: case NAME: what", as said on stderr */
	size_t nmsgs;
	double secs;
	size_t nalerts;
	json_object *counts; /* {"RULE": N} of its alerts, or NULL */
	bool nomem;
};

struct run {
	const struct cases_opts *o;
	struct result *v;
	size_t n, cap;
	size_t bad_files; /* case files that could not be read at all */
};

/* An alert a case's events raised. */
struct got {
	char *rule;
	int priority;
	char *text;	     /* the text line, as the agent prints it */
	char *json;	     /* the JSON line */
	json_object *fields; /* its JSON output_fields */
};

/* A rule that alerted and how many times. */
struct tally {
	const char *rule; /* a got's */
	size_t n;
};

struct collector {
	const struct shrike_table *t;
	struct output_opts opts;
	const char *hostname;
	struct got *v;
	size_t n, cap;
	/* The alerts counted as they come: by rule and by priority, each in
	 * the order first seen (the reports and Falco's statistics). */
	struct tally *rules;
	size_t nrules, rules_cap;
	size_t by_pri[__SHRIKE_PRI_MAX];
	int pri_order[__SHRIKE_PRI_MAX];
	size_t npri;
	bool nomem;
};

/* A case as read from its file. */
struct tcase {
	const char *file, *name;
	const struct ynode *node;
	struct result *res;
	char *dir; /* the case file's directory, for relative paths */
	/* inputs */
	const struct ynode *rules, *trace, *events;
	char *sel[3][64]; /* -D, -T, -t as select.h takes them */
	size_t nsel[3];
	bool all_events, match_all, has_priority;
	int priority;
	bool json_output; /* Falco's json_output (stdout_* see JSON lines) */
	struct output_opts out;
	/* expectations */
	bool detect, check_counts;
	int exit_status;
	const struct ynode *detect_key, *levels, *counts, *contains, *fields, *stderr_contains;
	const struct ynode *stdout_contains, *stdout_not_contains, *stdout_is;
};

/* A failure (R_FAIL) or bad input (R_ERROR) of case c at line, said on
 * stderr as FILE:LINE: case NAME: what, and kept for the reports. */
void res_msg(struct tcase *c, int line, enum result_status st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define BAD(c, n, ...)	res_msg(c, (n)->start.line, R_ERROR, __VA_ARGS__)
#define FAIL(c, n, ...) res_msg(c, (n)->start.line, R_FAIL, __VA_ARGS__)

/* cases_read.c: one key of a case into c; 0, or -1 (said). */
int case_read_key(struct tcase *c, const struct ynode *key, const struct ynode *v);
/* A key that takes one item (a string, a mapping) or a list of them: how
 * many (a null: none), the i-th. */
size_t items_n(const struct ynode *v);
const struct ynode *item_at(const struct ynode *v, size_t i);

/* cases_check.c: the expectations against the alerts of its events. */
void case_check_alerts(struct tcase *c, const struct collector *col);
/* The rules' diagnostics against stderr_contains: the errors of rules that
 * do not load (rejected), or the warnings of rules that do. */
void case_check_stderr(struct tcase *c, const struct diag_list *dl, bool rejected);
/* Keeps the per-rule counts of the alerts for the JSON report. */
void case_keep_counts(struct result *r, const struct collector *col);

/* A new result (zeroed, R_PASS) for case name of file; NULL on ENOMEM
 * (said on stderr, counted in bad_files). */
struct result *run_add(struct run *run, const char *file, const char *name, int line);
void run_free(struct run *run);
/* Prints the summary (or the JSON report) and writes the JUnit file;
 * returns the exit code: 2 if any input was bad, else 1 if a case
 * failed, else 0. */
int cases_report(struct run *run);

#endif
