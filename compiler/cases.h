/* cases.h - shrikec test --cases: YAML test cases for rules, in the shape of
 * Falco's own test/falco_tests.yaml (rules_file, trace_file, detect,
 * detect_level, detect_counts, disabled_rules, run_tags, disable_tags,
 * priority), with JSON events instead of .scap captures and output
 * expectations (output_contains, output_fields). Each case compiles its
 * rules, replays its events (replay.h) and checks what alerted. */
#ifndef SHRIKEC_CASES_H
#define SHRIKEC_CASES_H

#include <stdbool.h>

struct cases_opts {
	const char *junit;    /* --junit FILE: a JUnit XML report, or NULL */
	bool json;	      /* --json: a JSON report on stdout */
	const char *hostname; /* the alerts' hostname (output_fields has none) */
};

/* Runs every case of every file. Failures go to stderr as
 * "FILE:LINE: case NAME: what". 0 when every case holds, 1 when one does
 * not, 2 on bad input (a case file, rules or events that cannot be read),
 * the other cases still run. */
int cases_run(const struct cases_opts *o, char *const *files, int nfiles);

#endif
