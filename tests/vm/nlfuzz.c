/* nlfuzz.c - random and mutated generic netlink messages to shrike.ko's
 * "shrike" family for a bounded time, from several sockets at once, as root
 * (the netlink_fuzz VM scenario). Every message asks for an ACK, and every
 * one must be answered: with an error, or an ACK after its reply. Messages
 * the generator knows to be malformed (an unknown command, a known
 * attribute of the wrong length, an attribute running past the message, a
 * truncated generic netlink header, a chunk outside its transaction) must be
 * answered with an error.
 *
 *   shrike-nlfuzz SECONDS SEED TABLE
 *
 * Kinds of message, chosen at random for each round:
 *   random     any command (LOCK excepted: it lasts until reboot), up to
 *              eight attributes of any type (known or not) and length
 *   bad        a known-malformed message (above); an error is expected
 *   load       a load of TABLE (a valid compiled table) step by step, each
 *              step from any of the sockets, so transactions interleave;
 *              with the size, offsets, chunk bytes or lengths mutated or not
 *   sane       GET_INFO, GET_STATS, SET_CONFIG, UNLOAD_TABLE, SUBSCRIBE
 *
 * At the end every socket is closed, a fresh one loads TABLE as the agent
 * does and reads it back (the module still works), and one line is printed:
 *   nlfuzz: sent N, bad B, answered A, errors E, accepted-bad X, unanswered U, commits C
 * followed by "final load: ok" or the reason it failed. Exit 0 when X and U
 * are 0 and the final load worked; 1 otherwise (the offending messages are
 * printed as they happen). */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "agent/genl.h"

#define NSOCK	4
#define MSG_MAX (SHRIKE_CHUNK_MAX + 4096)

static struct shrike_nl nls[NSOCK];
static uint64_t rng;
static uint32_t seq = 1000;
static unsigned long sent, bad, answered, errors, accepted_bad, unanswered, commits;

static uint32_t rnd(void)
{
	/* xorshift64*: reproducible from the seed the scenario prints */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static const char *cmd_name(uint8_t cmd)
{
	static char buf[16];

	switch (cmd) {
	case SHRIKE_CMD_GET_INFO: return "GET_INFO";
	case SHRIKE_CMD_LOAD_TABLE: return "LOAD_TABLE";
	case SHRIKE_CMD_UNLOAD_TABLE: return "UNLOAD_TABLE";
	case SHRIKE_CMD_SUBSCRIBE: return "SUBSCRIBE";
	case SHRIKE_CMD_GET_STATS: return "GET_STATS";
	case SHRIKE_CMD_LOAD_BEGIN: return "LOAD_BEGIN";
	case SHRIKE_CMD_LOAD_COMMIT: return "LOAD_COMMIT";
	case SHRIKE_CMD_SET_CONFIG: return "SET_CONFIG";
	}
	snprintf(buf, sizeof(buf), "cmd %u", cmd);
	return buf;
}

static struct nlmsghdr *start(char *buf, struct shrike_nl *nl, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = SHRIKE_GENL_VERSION;
	return nlh;
}

static void put_random_payload(struct nlmsghdr *nlh, uint16_t type, size_t len)
{
	char data[SHRIKE_CHUNK_MAX + 64];
	size_t i;

	for (i = 0; i < len; i++)
		data[i] = (char)rnd();
	mnl_attr_put(nlh, type, len, data);
}

/* A length that hits the edges more often than a uniform one. */
static size_t fuzz_len(void)
{
	static const size_t edge[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 31, 32, 33, 255, 256 };

	switch (below(4)) {
	case 0: return below(64);
	case 1: return edge[below(sizeof(edge) / sizeof(edge[0]))];
	case 2: return below(SHRIKE_CHUNK_MAX + 33);
	default: return below(4096);
	}
}

/*
 * Sends nlh on nl and waits for the answer to its sequence number, passing
 * over anything else (alerts if this socket subscribed, replies before the
 * ACK). Returns 0 for an ACK, a negative errno for an error, 1 for no answer.
 */
static int transact(struct shrike_nl *nl, struct nlmsghdr *nlh, bool expect_error, const char *what)
{
	char buf[MNL_SOCKET_BUFFER_SIZE * 4];
	uint32_t want = nlh->nlmsg_seq;
	int fd = mnl_socket_get_fd(nl->sock);
	struct timespec t0, now;

	sent++;
	bad += expect_error;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		/* The kernel refused the datagram itself (too large for the
		 * socket): that is an answer too, synchronously. */
		answered++;
		errors++;
		return -errno;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= 3) {
			unanswered++;
			printf("unanswered: %s (seq %u)\n", what, want);
			return 1;
		}
		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue; /* alerts overflowed this socket */
			perror("recv");
			exit(2);
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, (int)n);
		     h = mnl_nlmsg_next(h, (int *)&n)) {
			const struct nlmsgerr *e;

			if (h->nlmsg_seq != want || h->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(h);
			answered++;
			if (e->error) {
				errors++;
				return e->error;
			}
			if (expect_error) {
				accepted_bad++;
				printf("accepted-bad: %s (seq %u) was ACKed\n", what, want);
			}
			return 0;
		}
	}
}

static void random_message(char *buf)
{
	struct shrike_nl *nl = &nls[below(NSOCK)];
	uint8_t cmd;
	struct nlmsghdr *nlh;
	unsigned int i, nattr = below(9);

	do
		cmd = (uint8_t)below(SHRIKE_CMD_MAX + 4);
	while (cmd == SHRIKE_CMD_LOCK);
	nlh = start(buf, nl, cmd);
	for (i = 0; i < nattr; i++) {
		size_t len = fuzz_len();

		if (nlh->nlmsg_len + MNL_ALIGN(len) + 8 > MSG_MAX)
			break;
		put_random_payload(nlh, (uint16_t)below(SHRIKE_A_MAX + 4), len);
	}
	transact(nl, nlh, cmd == 0 || cmd > SHRIKE_CMD_MAX, cmd_name(cmd));
}

/* The attributes of fixed width, and a command that reads each. */
static const struct {
	uint16_t type;
	uint8_t width;
	uint8_t cmd;
} typed[] = {
	{ SHRIKE_A_TABLE_SIZE, 4, SHRIKE_CMD_LOAD_BEGIN },
	{ SHRIKE_A_GENERATION, 8, SHRIKE_CMD_LOAD_BEGIN },
	{ SHRIKE_A_TABLE_OFFSET, 4, SHRIKE_CMD_LOAD_TABLE },
	{ SHRIKE_A_GENERATION, 8, SHRIKE_CMD_UNLOAD_TABLE },
	{ SHRIKE_A_RATE, 4, SHRIKE_CMD_SET_CONFIG },
	{ SHRIKE_A_BURST, 4, SHRIKE_CMD_SET_CONFIG },
	{ SHRIKE_A_MATCH_MODE, 4, SHRIKE_CMD_SET_CONFIG },
};

static void bad_message(char *buf)
{
	struct shrike_nl *nl = &nls[below(NSOCK)];
	struct nlmsghdr *nlh;
	char what[64];

	switch (below(4)) {
	case 0: { /* a known attribute of the wrong width */
		unsigned int k = below(sizeof(typed) / sizeof(typed[0]));
		size_t len;

		do
			len = below(12);
		while (len == typed[k].width);
		nlh = start(buf, nl, typed[k].cmd);
		put_random_payload(nlh, typed[k].type, len);
		snprintf(what, sizeof(what), "%s with attribute %u of %zu bytes",
			 cmd_name(typed[k].cmd), typed[k].type, len);
		break;
	}
	case 1: { /* an attribute whose length runs past the message */
		struct nlattr *a;

		nlh = start(buf, nl, SHRIKE_CMD_SET_CONFIG);
		a = mnl_nlmsg_get_payload_tail(nlh);
		a->nla_type = SHRIKE_A_RATE;
		a->nla_len = (uint16_t)(8 + 4 + 4 * below(64) + 1);
		memset(a + 1, 0, 4);
		nlh->nlmsg_len += 8;
		snprintf(what, sizeof(what), "SET_CONFIG with nla_len %u in an 8-byte tail",
			 a->nla_len);
		break;
	}
	case 2: /* the generic netlink header cut short */
		nlh = start(buf, nl, SHRIKE_CMD_GET_INFO);
		nlh->nlmsg_len = (uint32_t)(NLMSG_HDRLEN + below(GENL_HDRLEN));
		snprintf(what, sizeof(what), "GET_INFO with %u bytes of genl header",
			 nlh->nlmsg_len - NLMSG_HDRLEN);
		break;
	default: /* an unknown command */
		nlh = start(buf, nl, (uint8_t)(SHRIKE_CMD_MAX + 1 + below(200)));
		snprintf(what, sizeof(what), "unknown command");
		break;
	}
	transact(nl, nlh, true, what);
}

/*
 * One load of the table, mutated or not. Steps come from the socket that
 * began it, now and then from another one (whose own open transaction, if
 * any, takes the chunk: transactions interleave). A byte flipped after the
 * header fails the checksum, a gap in the offsets aborts: both are known
 * errors; a changed size is not always one (the chunks may stop short).
 */
static void load_sequence(char *buf, const unsigned char *table, size_t len)
{
	struct shrike_nl *owner = &nls[below(NSOCK)];
	bool mutate = below(2), flipped = false;
	uint32_t size = (uint32_t)len;
	struct nlmsghdr *nlh;
	size_t off = 0;

	if (mutate && !below(4))
		size = below(3) ? (uint32_t)(len + below(64) - 32) : rnd();
	nlh = start(buf, owner, SHRIKE_CMD_LOAD_BEGIN);
	mnl_attr_put_u32(nlh, SHRIKE_A_TABLE_SIZE, size);
	if (transact(owner, nlh, false, "LOAD_BEGIN"))
		return;
	while (off < len) {
		struct shrike_nl *nl = below(8) ? owner : &nls[below(NSOCK)];
		size_t n = len - off;
		uint32_t at = (uint32_t)off;
		bool gap = false;
		char chunk[SHRIKE_CHUNK_MAX];

		if (n > SHRIKE_CHUNK_MAX)
			n = SHRIKE_CHUNK_MAX;
		if (mutate && below(2))
			n = 1 + below((uint32_t)n);
		memcpy(chunk, table + off, n);
		if (mutate && !below(3)) {
			size_t i = below((uint32_t)n);

			chunk[i] ^= (char)(1 + below(255));
			flipped |= off + i >= sizeof(struct shrike_table_hdr);
		}
		if (mutate && !below(6)) {
			at = (uint32_t)(off + 1 + below(64));
			gap = true;
		}
		nlh = start(buf, nl, SHRIKE_CMD_LOAD_TABLE);
		mnl_attr_put_u32(nlh, SHRIKE_A_TABLE_OFFSET, at);
		mnl_attr_put(nlh, SHRIKE_A_TABLE, n, chunk);
		if (transact(nl, nlh, gap && nl == owner, "LOAD_TABLE chunk") || nl != owner)
			return; /* over, or no longer in step with the owner's */
		off += n;
	}
	nlh = start(buf, owner, SHRIKE_CMD_LOAD_COMMIT);
	if (!transact(owner, nlh, flipped && size == len, "LOAD_COMMIT of a flipped table"))
		commits++;
}

static void sane_message(char *buf)
{
	struct shrike_nl *nl = &nls[below(NSOCK)];
	struct nlmsghdr *nlh;
	static const uint8_t cmds[] = { SHRIKE_CMD_GET_INFO, SHRIKE_CMD_GET_STATS,
					SHRIKE_CMD_SET_CONFIG, SHRIKE_CMD_UNLOAD_TABLE,
					SHRIKE_CMD_SUBSCRIBE };
	uint8_t cmd = cmds[below(sizeof(cmds))];

	nlh = start(buf, nl, cmd);
	if (cmd == SHRIKE_CMD_SET_CONFIG) {
		mnl_attr_put_u32(nlh, SHRIKE_A_RATE, below(3) ? 0 : below(2000));
		mnl_attr_put_u32(nlh, SHRIKE_A_BURST, below(50));
	}
	transact(nl, nlh, false, cmd_name(cmd));
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		exit(2);
	}
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	static char buf[MSG_MAX];
	unsigned char *table;
	size_t len;
	time_t end;
	struct shrike_nl fresh;
	struct shrike_info info;
	char err[256];
	bool ok = false;
	int i, ret;

	if (argc != 4) {
		fprintf(stderr, "usage: shrike-nlfuzz SECONDS SEED TABLE\n");
		return 2;
	}
	end = time(NULL) + atoi(argv[1]);
	rng = strtoull(argv[2], NULL, 0) | 1;
	table = read_file(argv[3], &len);
	for (i = 0; i < NSOCK; i++)
		if (shrike_nl_open(&nls[i], err, sizeof(err))) {
			fprintf(stderr, "shrike-nlfuzz: %s\n", err);
			return 2;
		}
	while (time(NULL) < end) {
		switch (below(4)) {
		case 0: random_message(buf); break;
		case 1: bad_message(buf); break;
		case 2: load_sequence(buf, table, len); break;
		default: sane_message(buf); break;
		}
	}
	for (i = 0; i < NSOCK; i++)
		shrike_nl_close(&nls[i]);
	printf("nlfuzz: sent %lu, bad %lu, answered %lu, errors %lu, accepted-bad %lu, "
	       "unanswered %lu, commits %lu\n",
	       sent, bad, answered, errors, accepted_bad, unanswered, commits);

	/* The module still works: the agent's own load, read back. */
	if (shrike_nl_open(&fresh, err, sizeof(err))) {
		printf("final load: %s\n", err);
		return 1;
	}
	ret = shrike_nl_load_table(&fresh, table, len);
	if (!ret)
		ret = shrike_nl_get_info(&fresh, &info);
	if (ret)
		printf("final load: %s: %s\n", strerror(-ret), fresh.errmsg);
	else if (!info.table_loaded)
		printf("final load: GET_INFO says no table is loaded\n");
	else if (info.table_checksum != ((const struct shrike_table_hdr *)table)->checksum)
		printf("final load: GET_INFO names another table\n");
	else
		ok = true;
	if (ok)
		printf("final load: ok\n");
	shrike_nl_close(&fresh);
	free(table);
	return !ok || accepted_bad || unanswered;
}
