/* cases_int.h - what cases.c (reading and running the cases) and
 * cases_report.c (the text, JSON and JUnit reports) share: each case's
 * result. */
#ifndef SHRIKEC_CASES_INT_H
#define SHRIKEC_CASES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "cases.h"

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

/* A new result (zeroed, R_PASS) for case name of file; NULL on ENOMEM
 * (said on stderr, counted in bad_files). */
struct result *run_add(struct run *run, const char *file, const char *name, int line);
void run_free(struct run *run);
/* Prints the summary (or the JSON report) and writes the JUnit file;
 * returns the exit code: 2 if any input was bad, else 1 if a case
 * failed, else 0. */
int cases_report(struct run *run);

#endif
