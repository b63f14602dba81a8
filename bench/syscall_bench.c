/*
 * syscall_bench.c - per-syscall cost under a monitor, and the load generators
 * of the end-to-end and alert-path measurements. Static (-O2 -static) so that
 * the numbers do not include the dynamic loader and so that it runs in the
 * VM's initramfs without libraries.
 *
 *   syscall_bench [-s SCALE] OP...      OP: getpid open_read open_write_etc
 *                                            fork_exec connect
 *       prints "op NAME ns ITERS": mean ns/op over a fixed iteration count
 *   syscall_bench load SECONDS EVERY    unmatched syscalls as fast as it can,
 *       one write below /etc every EVERY iterations; prints what it did
 *   syscall_bench rate PER_SEC SECONDS  writes below /etc paced at PER_SEC
 *
 * Iteration counts are fixed, not calibrated at run time: a calibration
 * would pick different counts per scenario and per round, and the medians
 * are then not of like with like. They are sized for ~0.5-1 s per
 * measurement under TCG on the 6.1 guest; -s scales them all (KVM or bare
 * metal want -s 20 or so).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READ_FILE "/tmp/bench-file"
#define ETC_FILE  "/etc/shrike-bench-write"
#define TRUE_PROG "/usr/bin/bench-true"

static double scale = 1.0;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "syscall_bench: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void op_getpid(void)
{
	/* glibc caches nothing for getpid today, but the raw call keeps it that way. */
	syscall(SYS_getpid);
}

static void op_open_read(void)
{
	int fd = open(READ_FILE, O_RDONLY);

	if (fd < 0)
		die("open " READ_FILE);
	close(fd);
}

static void op_open_write_etc(void)
{
	int fd = open(ETC_FILE, O_WRONLY | O_CREAT, 0644);

	if (fd < 0)
		die("open " ETC_FILE);
	close(fd);
}

static void op_fork_exec(void)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char *argv[] = { "bench-true", NULL }, *envp[] = { NULL };

		execve(TRUE_PROG, argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		die("fork_exec child");
}

static void op_connect(void)
{
	static const struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = __builtin_bswap16(1),
		.sin_addr.s_addr = __builtin_bswap32(0x7f000001),
	};
	/* A refused TCP socket cannot be reused: socket+connect+close per op. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) == 0 || errno != ECONNREFUSED)
		die("connect 127.0.0.1:1 should be refused");
	close(fd);
}

static const struct op {
	const char *name;
	void (*fn)(void);
	long iters;
} ops[] = {
	{ "getpid", op_getpid, 400000 },
	{ "open_read", op_open_read, 15000 },
	/* An alert each: ~0.15 s with no monitor, seconds under the monitors. */
	{ "open_write_etc", op_open_write_etc, 6000 },
	{ "fork_exec", op_fork_exec, 60 },
	{ "connect", op_connect, 2500 },
};

static int run_op(const char *name)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const struct op *o = &ops[i];
		long n = (long)(o->iters * scale), k;
		long long t0;

		if (strcmp(name, o->name))
			continue;
		if (n < 1)
			n = 1;
		/* Warm the caches, the dentries and the monitors' per-task state. */
		for (k = 0; k < n / 50 + 1; k++)
			o->fn();
		t0 = now_ns();
		for (k = 0; k < n; k++)
			o->fn();
		printf("op %s %.1f %ld\n", o->name, (double)(now_ns() - t0) / n, n);
		fflush(stdout);
		return 0;
	}
	fprintf(stderr, "syscall_bench: unknown op %s\n", name);
	return 2;
}

/* The end-to-end generator: mostly syscalls no rule wants, some alerts. */
static int load(double seconds, long every)
{
	long long end = now_ns() + (long long)(seconds * 1e9);
	long iters = 0, alerts = 0, sys = 0;

	while (now_ns() < end) {
		for (int k = 0; k < 64; k++, iters++) {
			op_getpid();
			op_open_read();
			sys += 3;
			if (every > 0 && iters % every == 0) {
				op_open_write_etc();
				alerts++;
				sys += 2;
			}
		}
	}
	printf("load iters %ld syscalls %ld alerts %ld seconds %.1f\n", iters, sys, alerts,
	       seconds);
	return 0;
}

/* Alert path: writes below /etc at a fixed rate, so loss can be counted. */
static int rate(long per_sec, double seconds)
{
	long total = (long)(per_sec * seconds), done = 0;
	long long t0 = now_ns(), end = t0 + (long long)(seconds * 1e9);

	/* Stops at the deadline too: a rate the syscall cannot reach is "max". */
	while (done < total && now_ns() < end) {
		long due = (long)((now_ns() - t0) * 1e-9 * per_sec) + 1;

		if (due > total)
			due = total;
		if (done < due) {
			op_open_write_etc();
			done++;
		} else {
			struct timespec ts = { 0, 200000 };

			nanosleep(&ts, NULL);
		}
	}
	printf("rate target %ld done %ld seconds %.2f\n", per_sec, done, (now_ns() - t0) * 1e-9);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, ret = 0, fd;

	if (argc > 2 && !strcmp(argv[1], "-s")) {
		scale = atof(argv[2]);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr,
			"usage: syscall_bench [-s SCALE] OP... | load SECONDS EVERY | rate PER_SEC SECONDS\n");
		return 2;
	}
	fd = open(READ_FILE, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		die("create " READ_FILE);
	close(fd);
	if (!strcmp(argv[i], "load") && argc == i + 3)
		return load(atof(argv[i + 1]), atol(argv[i + 2]));
	if (!strcmp(argv[i], "rate") && argc == i + 3)
		return rate(atol(argv[i + 1]), atof(argv[i + 2]));
	for (; i < argc && !ret; i++)
		ret = run_op(argv[i]);
	return ret;
}
