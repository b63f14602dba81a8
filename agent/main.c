/* main.c - shrike-agent's command line. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kmod/uapi/shrike.h"
#include "genl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: shrike-agent [OPTIONS]\n"
		"\n"
		"Options:\n"
		"  --status     print the loaded shrike.ko's version, ABI and table state\n"
		"  --version    print the agent's version and ABI\n"
		"  -h, --help   this text\n");
}

static int status(void)
{
	struct shrike_nl nl;
	struct shrike_info info;
	char err[256];
	int ret;

	ret = shrike_nl_open(&nl, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "shrike-agent: %s\n", err);
		return ret == -ENOENT ? 1 : 2;
	}
	ret = shrike_nl_get_info(&nl, &info);
	shrike_nl_close(&nl);
	if (ret) {
		fprintf(stderr, "shrike-agent: GET_INFO failed: %s\n", strerror(-ret));
		return 2;
	}
	printf("module: shrike %s\n", info.version);
	printf("abi: %u\n", info.abi);
	printf("family: %s (id %u)\n", SHRIKE_GENL_NAME, nl.family);
	printf("alerts group: %u\n", nl.mcgrp_alerts);
	printf("max table size: %u\n", info.max_table_size);
	printf("table: %s\n", info.table_loaded ? "loaded" : "none");
	if (info.abi != SHRIKE_ABI_VERSION) {
		fprintf(stderr, "shrike-agent: module ABI %u (shrike %s) is incompatible with agent ABI %d (shrike %s)\n",
			info.abi, info.version, SHRIKE_ABI_VERSION, SHRIKE_VERSION);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", no_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			return status();
		case 'V':
			printf("shrike-agent %s (abi %d)\n", SHRIKE_VERSION, SHRIKE_ABI_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	usage(stderr);
	return 1;
}
