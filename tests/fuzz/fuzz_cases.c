/* fuzz_cases.c - libFuzzer harness for shrikec test --cases: the input is a
 * case file, read, run and reported (text, JSON and JUnit) as the command
 * does, so ASan/UBSan see each path a hostile or broken case file can take.
 * The case file sits in a scratch directory beside r.yaml (rules) and
 * e.jsonl (events), which the seeds name, so that cases also compile and
 * replay. The runner's messages go to /dev/null while it runs: a crash's
 * input is kept by libFuzzer (crash-*), run it again to see the report.
 *
 *   make fuzz (tests/fuzz/corpus_cases holds the seeds) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include "compiler/cases.h"

static char dir[64], casefile[96], junit[96];
static int devnull = -1;

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	strcpy(dir, "/tmp/fuzz_cases.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(casefile, sizeof(casefile), "%s/c.yaml", dir);
	snprintf(junit, sizeof(junit), "%s/j.xml", dir);
	put("r.yaml",
	    "- rule: W\n  desc: d\n  condition: evt.type = openat and fd.name startswith /etc/\n"
	    "  output: W (file=%fd.name user=%user.name)\n  priority: ERROR\n  tags: [a]\n"
	    "- rule: C\n  desc: d\n  condition: evt.type = connect and fd.sport = 443\n"
	    "  output: C (%fd.name)\n  priority: NOTICE\n  tags: [b]\n");
	put("e.jsonl",
	    "{\"evt.type\":\"openat\",\"fd.name\":\"/etc/passwd\",\"user.uid\":0}\n"
	    "{\"evt.type\":\"connect\",\"fd.name\":\"1.2.3.4:1->5.6.7.8:443\",\"fd.sport\":443}\n"
	    "{\"kind\":\"Event\",\"verb\":\"create\"}\n");
	devnull = open("/dev/null", O_WRONLY);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cases_opts text = { junit, false, "h" }, json = { NULL, true, NULL };
	char *files[] = { casefile };
	int out, err;
	FILE *f;

	if (devnull < 0)
		setup();
	f = fopen(casefile, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	fflush(stdout);
	fflush(stderr);
	out = dup(1);
	err = dup(2);
	dup2(devnull, 1);
	dup2(devnull, 2);
	cases_run(&text, files, 1);
	cases_run(&json, files, 1);
	fflush(stdout);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	return 0;
}
