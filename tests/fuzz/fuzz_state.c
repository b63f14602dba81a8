/* fuzz_state.c - libFuzzer harness for the agent's container-runtime state
 * readers (agent/enrich.c): the files containerd, cri-o and Docker keep on
 * disk, written from the input into a scratch state tree, then an event of
 * each runtime's container enriched and every container.* and k8s.* field
 * it got rendered, so ASan/UBSan see each read of a hostile state file.
 *
 * Input: five files, NUL-separated: a containerd container's config.json,
 * its sandbox's config.json (the pod's labels), a cri-o container's
 * userdata/config.json, a Docker container's config.v2.json and its
 * hostconfig.json. A missing part is an absent file.
 *
 *   make fuzz (tests/fuzz/corpus_state holds the seeds) */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/config.h"
#include "agent/enrich.h"
#include "lib/event.h"
#include "lib/fields.h"

#define CTR    "1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff"
#define SBX    "5555666677778888999900001111222233334444aaaabbbbccccddddeeeeffff"
#define CRIO   "4444555566667777888899990000aaaabbbbccccddddeeeeffff000011112222"
#define DOCKER "7777888899990000aaaabbbbccccddddeeeeffff111122223333444455556666"

static char root[64];
static const char *const files[] = {
	"containerd/k8s.io/" CTR "/config.json", "containerd/k8s.io/" SBX "/config.json",
	"crio/" CRIO "/userdata/config.json",	 "docker/" DOCKER "/config.v2.json",
	"docker/" DOCKER "/hostconfig.json",
};

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The scratch tree goes when the fuzzer exits. */
static void cleanup(void)
{
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	static const char *const dirs[] = { "containerd",
					    "containerd/k8s.io",
					    "containerd/k8s.io/" CTR,
					    "containerd/k8s.io/" SBX,
					    "crio",
					    "crio/" CRIO,
					    "crio/" CRIO "/userdata",
					    "docker",
					    "docker/" DOCKER };
	char path[256];
	size_t i;

	snprintf(root, sizeof(root), "/tmp/fuzz_state.XXXXXX");
	if (!mkdtemp(root))
		abort();
	atexit(cleanup);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		mkdir(path, 0755);
	}
}

static void write_part(const char *name, const uint8_t *p, size_t n)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(p, 1, n, f);
	fclose(f);
}

static void enrich_one(struct enricher *en, const char *id)
{
	struct uevent ev;
	size_t i;

	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	uevent_set_str(&ev, SHRIKE_F_CONTAINER_ID, NULL, id, 12);
	enrich_event(en, &ev);
	for (i = 0; i < fields_count(); i++) {
		const struct field_info *f = field_at(i);
		struct shrike_val v;

		if (strncmp(f->name, "container.", 10) && strncmp(f->name, "k8s.", 4))
			continue;
		if (f->argkind != SHRIKE_ARGK_NONE)
			continue;
		if (uevent_lookup(&ev, f->id, NULL, 0, &v) == SHRIKE_FETCH_OK)
			free(uevent_render(f->type, &v));
	}
	uevent_free(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct config cfg;
	struct enricher *en;
	char opt[256];
	size_t i, off = 0;

	if (!root[0])
		setup();
	if (!sink)
		sink = fopen("/dev/null", "w");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256];
		const uint8_t *end = off <= size ? memchr(data + off, 0, size - off) : NULL;
		size_t n = end ? (size_t)(end - (data + off)) : size - off;

		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		if (off > size || (!end && off == size)) {
			unlink(path);
			continue;
		}
		write_part(files[i], data + off, n);
		off += n + 1;
	}
	config_init(&cfg);
	snprintf(opt, sizeof(opt), "container_engines.containerd.state_dirs=[%s/containerd]", root);
	config_set(&cfg, opt, sink);
	snprintf(opt, sizeof(opt), "container_engines.cri-o.state_dirs=[%s/crio]", root);
	config_set(&cfg, opt, sink);
	snprintf(opt, sizeof(opt), "container_engines.docker.root=%s/docker", root);
	config_set(&cfg, opt, sink);
	snprintf(opt, sizeof(opt), "container_engines.proc_root=%s/proc", root);
	config_set(&cfg, opt, sink);
	en = enricher_new(&cfg);
	if (en) {
		enrich_one(en, CTR);
		enrich_one(en, CRIO);
		enrich_one(en, DOCKER);
		enricher_free(en);
	}
	config_free(&cfg);
	return 0;
}
