/* cases_report.c - the reports of shrikec test --cases: a line per case and
 * a summary on stdout (or, with --json, one JSON document), and with --junit
 * a JUnit XML file as CI systems (Jenkins' junit plugin, GitLab's test
 * reports) read it: one <testsuite> per case file, one <testcase> per
 * case, a <failure> for expectations that do not hold, an <error> for bad
 * input. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cases_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct result *run_add(struct run *run, const char *file, const char *name, int line)
{
	struct result *nv, *r;

	if (run->n == run->cap) {
		nv = realloc(run->v, (run->cap ? 2 * run->cap : 16) * sizeof(*nv));
		if (!nv)
			goto nomem;
		run->v = nv;
		run->cap = run->cap ? 2 * run->cap : 16;
	}
	r = &run->v[run->n];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	if (!r->name)
		goto nomem;
	r->file = file;
	r->line = line;
	run->n++;
	return r;
nomem:
	fprintf(stderr, "shrikec test: out of memory\n");
	run->bad_files++;
	return NULL;
}

void run_free(struct run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		struct result *r = &run->v[i];

		for (size_t j = 0; j < r->nmsgs; j++)
			free(r->msgs[j]);
		free(r->msgs);
		free(r->name);
		json_object_put(r->counts);
	}
	free(run->v);
}

static const char *const status_word[] = { "pass", "fail", "error" };

/* XML 1.0 text or attribute value: the five entities escaped, the control
 * characters XML cannot carry replaced by '?'. */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
				fputc('?', f);
			else
				fputc(ch, f);
		}
	}
}

static int junit_write(const struct run *run, const char *path)
{
	size_t tests = 0, fails = 0, errs = 0;
	double secs = 0;
	char stamp[32], host[256] = "localhost";
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;

	if (!strcmp(path, "-"))
		f = stdout;
	else
		f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "shrikec test: cannot write %s: %s\n", path, strerror(errno));
		return 2;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	if (gethostname(host, sizeof(host)))
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = 0;
	for (size_t i = 0; i < run->n; i++) {
		tests++;
		fails += run->v[i].status == R_FAIL;
		errs += run->v[i].status == R_ERROR;
		secs += run->v[i].secs;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f,
		"<testsuites name=\"shrikec test --cases\" tests=\"%zu\" failures=\"%zu\" "
		"errors=\"%zu\" time=\"%.3f\">\n",
		tests, fails, errs, secs);
	/* One testsuite per case file, in the order given. */
	for (size_t i = 0; i < run->n; i++) {
		const char *file = run->v[i].file;
		size_t j, t = 0, nf = 0, ne = 0;
		double s = 0;

		for (j = 0; j < i && run->v[j].file != file; j++)
			;
		if (j < i)
			continue;
		for (j = i; j < run->n; j++)
			if (run->v[j].file == file) {
				t++;
				nf += run->v[j].status == R_FAIL;
				ne += run->v[j].status == R_ERROR;
				s += run->v[j].secs;
			}
		fputs("  <testsuite name=\"", f);
		xml_text(f, file);
		fprintf(f,
			"\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" "
			"time=\"%.3f\" timestamp=\"%s\" hostname=\"",
			t, nf, ne, s, stamp);
		xml_text(f, host);
		fputs("\">\n", f);
		for (j = i; j < run->n; j++) {
			const struct result *r = &run->v[j];

			if (r->file != file)
				continue;
			fputs("    <testcase name=\"", f);
			xml_text(f, r->name);
			fputs("\" classname=\"", f);
			xml_text(f, file);
			fprintf(f, "\" time=\"%.3f\"", r->secs);
			if (r->status == R_PASS) {
				fputs("/>\n", f);
				continue;
			}
			fprintf(f, ">\n      <%s message=\"",
				r->status == R_FAIL ? "failure" : "error");
			xml_text(f, r->nmsgs ? r->msgs[0] : "out of memory");
			fprintf(f, "\" type=\"%s\">",
				r->status == R_FAIL ? "expectation" : "bad input");
			for (size_t k = 0; k < r->nmsgs; k++) {
				xml_text(f, r->msgs[k]);
				fputc('\n', f);
			}
			fprintf(f, "</%s>\n    </testcase>\n",
				r->status == R_FAIL ? "failure" : "error");
		}
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	if (f == stdout ? fflush(f) : fclose(f)) {
		fprintf(stderr, "shrikec test: cannot write %s: %s\n", path, strerror(errno));
		return 2;
	}
	return 0;
}

static void json_report(const struct run *run, size_t pass, size_t fail, size_t err)
{
	json_object *root = json_object_new_object(), *cases = json_object_new_array();

	for (size_t i = 0; root && cases && i < run->n; i++) {
		const struct result *r = &run->v[i];
		json_object *c = json_object_new_object(), *msgs = json_object_new_array();

		json_object_object_add(c, "file", json_object_new_string(r->file));
		json_object_object_add(c, "line", json_object_new_int(r->line));
		json_object_object_add(c, "name", json_object_new_string(r->name));
		json_object_object_add(c, "result", json_object_new_string(status_word[r->status]));
		json_object_object_add(c, "time", json_object_new_double(r->secs));
		json_object_object_add(c, "alerts", json_object_new_int64((int64_t)r->nalerts));
		json_object_object_add(c, "rules",
				       r->counts ? json_object_get(r->counts)
						 : json_object_new_object());
		for (size_t j = 0; j < r->nmsgs; j++)
			json_object_array_add(msgs, json_object_new_string(r->msgs[j]));
		json_object_object_add(c, "failures", msgs);
		json_object_array_add(cases, c);
	}
	json_object_object_add(root, "cases", cases);
	json_object_object_add(root, "tests", json_object_new_int64((int64_t)run->n));
	json_object_object_add(root, "passed", json_object_new_int64((int64_t)pass));
	json_object_object_add(root, "failed", json_object_new_int64((int64_t)fail));
	json_object_object_add(root, "errors", json_object_new_int64((int64_t)err));
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

int cases_report(struct run *run)
{
	size_t pass = 0, fail = 0, err = run->bad_files;
	int ret;

	for (size_t i = 0; i < run->n; i++) {
		const struct result *r = &run->v[i];

		pass += r->status == R_PASS;
		fail += r->status == R_FAIL;
		err += r->status == R_ERROR;
		if (!run->o->json)
			printf("%-5s %s: %s (%zu alert%s)\n",
			       r->status == R_PASS   ? "ok"
			       : r->status == R_FAIL ? "FAIL"
						     : "ERROR",
			       r->file, r->name, r->nalerts, r->nalerts == 1 ? "" : "s");
	}
	if (run->o->json)
		json_report(run, pass, fail, err);
	else
		printf("%zu case%s: %zu passed, %zu failed, %zu with bad input\n", run->n,
		       run->n == 1 ? "" : "s", pass, fail, err);
	fflush(stdout);
	ret = err ? 2 : fail ? 1 : 0;
	if (run->o->junit && junit_write(run, run->o->junit))
		ret = 2;
	return ret;
}
