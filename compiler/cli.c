/* cli.c - option parsing and rule loading shared by shrikec's subcommands. */
#define _GNU_SOURCE
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int cli_parse(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "events", required_argument, NULL, 'e' },
		{ "rule-matching", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "time-format-iso-8601", no_argument, NULL, 'I' },
		{ "priority", required_argument, NULL, 'p' },
		{ "all-events", no_argument, NULL, 'A' },
		{ "cases", no_argument, NULL, 'C' },
		{ "junit", required_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char err[128];
	int ch, k;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "ho:qe:O:AD:T:t:", opts, NULL)) != -1) {
		switch (ch) {
		case 'D':
		case 'T':
		case 't': {
			char **nl;

			k = ch == 'D' ? 0 : ch == 'T' ? 1 : 2;
			nl = realloc(c->sel_args[k], (c->nsel_args[k] + 1) * sizeof(*nl));
			if (!nl) {
				fprintf(stderr, "shrikec: out of memory\n");
				return 2;
			}
			c->sel_args[k] = nl;
			nl[c->nsel_args[k]++] = optarg;
			break;
		}
		case 'O':
			if (strcmp(optarg, "0") && strcmp(optarg, "1")) {
				fprintf(stderr, "shrikec %s: -O takes 0 or 1, not '%s'\n", c->cmd,
					optarg);
				return 1;
			}
			c->no_opt = !strcmp(optarg, "0");
			break;
		case 'j': c->json = true; break;
		case 'A': c->all_events = true; break;
		case 'p':
			c->min_priority = ruleset_parse_priority(optarg);
			if (c->min_priority < 0) {
				fprintf(stderr,
					"shrikec %s: --priority takes emergency, alert, critical, "
					"error, warning, notice, informational or debug, not '%s'\n",
					c->cmd, optarg);
				return 1;
			}
			c->has_min_priority = true;
			break;
		case 'o': c->output = optarg; break;
		case 'e': c->events = optarg; break;
		case 'C': c->cases = true; break;
		case 'J': c->junit = optarg; break;
		case 'q': c->quiet = true; break;
		case 'H': c->hostname = optarg; break;
		case 'I': c->iso8601 = true; break;
		case 'm':
			if (!strcmp(optarg, "all"))
				c->match_all = true;
			else if (strcmp(optarg, "first")) {
				fprintf(stderr,
					"shrikec %s: --rule-matching takes 'first' or 'all', not '%s'\n",
					c->cmd, optarg);
				return 1;
			}
			break;
		case 'h': fputs(c->usage, stdout); return -1;
		default: fputs(c->usage, stderr); return 1;
		}
	}
	c->args = argv + optind;
	c->nargs = argc - optind;
	if (rsel_from_cli(&c->sel, c->sel_args[0], c->nsel_args[0], c->sel_args[1], c->nsel_args[1],
			  c->sel_args[2], c->nsel_args[2], err, sizeof(err))) {
		fprintf(stderr, "shrikec %s: %s\n", c->cmd, err);
		return 1;
	}
	return 0;
}

void cli_compile_opts(const struct cli *c, struct compile_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->match_all = c->match_all;
	o->no_opt = c->no_opt;
	o->all_events = c->all_events;
	o->has_min_priority = c->has_min_priority;
	o->min_priority = c->min_priority;
}

int cli_load(struct cli *c, int from)
{
	int i;

	if (from >= c->nargs) {
		fprintf(stderr, "shrikec %s: no rules file given\n", c->cmd);
		fputs(c->usage, stderr);
		return 1;
	}
	c->rs = ruleset_new();
	if (!c->rs) {
		fprintf(stderr, "shrikec: out of memory\n");
		return 2;
	}
	for (i = from; i < c->nargs; i++)
		ruleset_load_path(c->rs, c->args[i]);
	ruleset_finish(c->rs);
	if (ruleset_nomem(c->rs)) {
		fprintf(stderr, "shrikec: out of memory while loading rules\n");
		return 2;
	}
	if (!c->json)
		diag_print_all(stderr, &c->rs->diags);
	rsel_apply(&c->sel, c->rs, c->json ? NULL : stderr, "shrikec: ");
	return ruleset_errors(c->rs) ? 1 : 0;
}

void cli_free(struct cli *c)
{
	int k;

	for (k = 0; k < 3; k++) {
		free(c->sel_args[k]);
		c->sel_args[k] = NULL;
		c->nsel_args[k] = 0;
	}
	rsel_free(&c->sel);
	if (c->rs)
		ruleset_free(c->rs);
	c->rs = NULL;
}
