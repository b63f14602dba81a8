/* nltest.c - drives shrike.ko's netlink protocol step by step for the VM
 * scenarios: the misuses shrike-agent never commits (chunks out of order,
 * abandoned or racing transactions) and single commands whose exact error
 * matters (subscribe as an unprivileged user).
 *
 *   shrike-nltest out-of-order TABLE   BEGIN, a chunk at the wrong offset, COMMIT
 *   shrike-nltest hold TABLE           BEGIN and all chunks, "held", waits for a
 *                                      line on stdin, then COMMIT
 *   shrike-nltest foreign TABLE        a chunk from another socket is refused and
 *                                      the owner's load still commits
 *   shrike-nltest stale-commit TABLE   BEGIN at the current generation, another
 *                                      socket loads, then COMMIT (stale)
 *   shrike-nltest subscribe            SUBSCRIBE
 *   shrike-nltest reload N A B         loads A, B, A, ... N times in all from
 *                                      one process (no exec per load); prints
 *                                      "reloads: N, failed: F"
 *   shrike-nltest rebind               SUBSCRIBE, close, bind a new socket to the
 *                                      same port id, print "rebound", then count
 *                                      the alerts it gets in 3 s ("alerts on the
 *                                      rebound port: N")
 *   shrike-nltest x32                  getpid through the x32 ABI (its number
 *                                      with __X32_SYSCALL_BIT); prints the result
 *   shrike-nltest craft KIND OUT       writes a hostile table (tests/crafted.h):
 *                                      overlapping-sets (65,535 sets over 4096
 *                                      windows of 4 KiB) or set-windows (one);
 *                                      prints its length and the byte offsets
 *                                      of its SETS and SETITEMS sections
 *
 * Each step prints "STEP: ok" or "STEP: strerror: extended-ACK message". */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/genl.h"
#include "tests/crafted.h"

static int report(const char *step, struct shrike_nl *nl, int ret)
{
	if (!ret)
		printf("%s: ok\n", step);
	else
		printf("%s: %s%s%s\n", step, strerror(-ret), nl->errmsg[0] ? ": " : "", nl->errmsg);
	fflush(stdout);
	return ret;
}

static void *read_table(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void nl_open(struct shrike_nl *nl)
{
	char err[256];

	if (shrike_nl_open(nl, err, sizeof(err))) {
		fprintf(stderr, "shrike-nltest: %s\n", err);
		exit(2);
	}
}

/* All chunks in order; stops at the first error. */
static int send_chunks(struct shrike_nl *nl, const char *t, size_t len)
{
	size_t off = 0;
	int ret = 0;

	while (!ret && off < len) {
		size_t n = len - off < SHRIKE_CHUNK_MAX ? len - off : SHRIKE_CHUNK_MAX;

		ret = shrike_nl_load_chunk(nl, (uint32_t)off, t + off, (uint32_t)n);
		off += n;
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct shrike_nl a, b;
	struct shrike_info info;
	const char *cmd = argc > 1 ? argv[1] : "";
	char line[64];
	size_t len = 0;
	char *t = argc > 2 && strcmp(cmd, "reload") && strcmp(cmd, "craft")
			  ? read_table(argv[2], &len)
			  : NULL;

	if (!strcmp(cmd, "craft") && argc == 4) {
		int overlap = !strcmp(argv[2], "overlapping-sets");
		uint8_t *c;
		FILE *f;

		if (!overlap && strcmp(argv[2], "set-windows"))
			return 2;
		c = craft_set_windows(overlap ? SHRIKE_MAX_SETS : 1, overlap, &len);
		f = fopen(argv[3], "wb");
		if (!c || !f || fwrite(c, 1, len, f) != len || fclose(f)) {
			perror(argv[3]);
			return 1;
		}
		/* Where the verifier's complaints point: the scenario's expectations. */
		printf("length %zu, sets at byte %ld, setitems at byte %ld\n", len,
		       (long)(craft_section(c, SHRIKE_SEC_SETS) - c),
		       (long)(craft_section(c, SHRIKE_SEC_SETITEMS) - c));
		free(c);
	} else if (!strcmp(cmd, "reload") && argc == 5) {
		size_t alen, blen;
		char *ta = read_table(argv[3], &alen), *tb = read_table(argv[4], &blen);
		long i, n = atol(argv[2]), failed = 0;

		nl_open(&a);
		for (i = 0; i < n; i++) {
			int ret = shrike_nl_load_table(&a, i % 2 ? tb : ta, i % 2 ? blen : alen);

			if (ret && !failed++)
				report("first failed load", &a, ret);
		}
		printf("reloads: %ld, failed: %ld\n", n, failed);
	} else if (!strcmp(cmd, "rebind")) {
		struct mnl_socket *s;
		char buf[65536];
		unsigned int port;
		long alerts = 0;
		struct pollfd p;

		nl_open(&a);
		if (report("subscribe", &a, shrike_nl_subscribe(&a)))
			return 1;
		port = mnl_socket_get_portid(a.sock);
		shrike_nl_close(&a);
		s = mnl_socket_open(NETLINK_GENERIC);
		if (!s || mnl_socket_bind(s, 0, port) < 0) {
			printf("rebind: %s\n", strerror(errno));
			return 1;
		}
		printf("rebound\n");
		fflush(stdout);
		p.fd = mnl_socket_get_fd(s);
		p.events = POLLIN;
		while (poll(&p, 1, 3000) > 0) {
			ssize_t n = mnl_socket_recvfrom(s, buf, sizeof(buf));
			const struct nlmsghdr *h = (const void *)buf;

			if (n <= 0)
				break;
			for (; mnl_nlmsg_ok(h, (int)n); h = mnl_nlmsg_next(h, (int *)&n)) {
				const struct genlmsghdr *g = mnl_nlmsg_get_payload(h);

				if (h->nlmsg_type >= NLMSG_MIN_TYPE && g->cmd == SHRIKE_CMD_ALERT)
					alerts++;
			}
		}
		printf("alerts on the rebound port: %ld\n", alerts);
		mnl_socket_close(s);
	} else if (!strcmp(cmd, "x32")) {
		/* x32 getpid is 39 | __X32_SYSCALL_BIT (0x40000000). */
		long r = syscall(0x40000000L | 39);

		printf("x32 getpid: %s\n", r < 0 ? strerror(errno) : "ok");
	} else if (!strcmp(cmd, "subscribe")) {
		nl_open(&a);
		report("subscribe", &a, shrike_nl_subscribe(&a));
	} else if (!strcmp(cmd, "out-of-order") && t && len > 16) {
		nl_open(&a);
		report("begin", &a, shrike_nl_load_begin(&a, (uint32_t)len, NULL));
		report("chunk at 8", &a, shrike_nl_load_chunk(&a, 8, t + 8, 8));
		report("chunk at 0", &a, shrike_nl_load_chunk(&a, 0, t, (uint32_t)len));
		report("commit", &a, shrike_nl_load_commit(&a, NULL));
	} else if (!strcmp(cmd, "hold") && t) {
		nl_open(&a);
		if (!report("begin", &a, shrike_nl_load_begin(&a, (uint32_t)len, NULL)))
			report("chunks", &a, send_chunks(&a, t, len));
		printf("held\n");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin))
			report("commit", &a, shrike_nl_load_commit(&a, NULL));
	} else if (!strcmp(cmd, "foreign") && t) {
		nl_open(&a);
		nl_open(&b);
		report("begin", &a, shrike_nl_load_begin(&a, (uint32_t)len, NULL));
		report("foreign chunk", &b, shrike_nl_load_chunk(&b, 0, t, (uint32_t)len));
		report("foreign commit", &b, shrike_nl_load_commit(&b, NULL));
		report("chunks", &a, send_chunks(&a, t, len));
		report("commit", &a, shrike_nl_load_commit(&a, NULL));
	} else if (!strcmp(cmd, "stale-commit") && t) {
		nl_open(&a);
		nl_open(&b);
		if (report("info", &a, shrike_nl_get_info(&a, &info)))
			return 1;
		report("begin", &a, shrike_nl_load_begin(&a, (uint32_t)len, &info.generation));
		report("other load", &b, shrike_nl_load_table(&b, t, len));
		report("chunks", &a, send_chunks(&a, t, len));
		report("commit", &a, shrike_nl_load_commit(&a, NULL));
	} else {
		fprintf(stderr,
			"usage: shrike-nltest subscribe | out-of-order|hold|foreign|stale-commit TABLE"
			" | reload N A B | craft overlapping-sets|set-windows OUT\n");
		return 2;
	}
	return 0;
}
