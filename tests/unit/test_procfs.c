/* test_procfs.c - the process fields the agent reads from /proc/PID
 * (lib/procfs.c), on processes this test forks: a child's open fd count,
 * open files limit, memory and executable times, an exec'd child's
 * environment as execve gave it (and truncated as libscap reads it), the
 * same fields through a compiled rule, a process that is gone (missing,
 * <NA>), a /proc with files that do not parse, and `shrikec test`'s events,
 * which never read /proc. The expected values are computed here on their
 * own: what the child was given, its statm, a stat of the executable. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "agent/config.h"
#include "agent/enrich.h"
#include "lib/event.h"
#include "uevent_helpers.h"
#include "lib/procfs.h"
#include "compiler/codegen.h"
#include "lib/fields.h"
#include "compiler/loader.h"
#include "kmod/common/table.h"

#define NFILES	6
#define FDLIMIT 123

static u64 u64_of(struct uevent *ev, u16 field)
{
	struct shrike_val v;

	ck_assert_int_eq(uevent_lookup(ev, field, NULL, 0, &v), SHRIKE_FETCH_OK);
	ck_assert_int_eq(v.type, SHRIKE_T_U64);
	return v.u;
}

/* A candidate of process pid as the agent makes it: the captured pid, then
 * enrichment (which tells the event where /proc is, the default). */
static struct enricher *en;
static struct config cfg;

static void candidate(struct uevent *ev, pid_t pid)
{
	uevent_init(ev, SHRIKE_SRC_SYSCALL);
	ck_assert_int_eq(uevent_set_u64(ev, SHRIKE_F_PROC_PID, NULL, (u64)pid), 0);
	enrich_event(en, ev);
}

static void setup(void)
{
	config_init(&cfg);
	en = enricher_new(&cfg);
	ck_assert_ptr_nonnull(en);
}

static void teardown(void)
{
	enricher_free(en);
	config_free(&cfg);
}

/*
 * A child with exactly its two pipe ends and NFILES files open and an open
 * files limit of FDLIMIT, blocked until *release is closed.
 */
static pid_t fd_child(int *release)
{
	int ready[2], go[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct rlimit rl;
		int fds[4096], n = 0, i;
		struct dirent *d;
		DIR *dir = opendir("/proc/self/fd");

		if (!dir)
			_exit(1);
		while ((d = readdir(dir)) && n < 4096) {
			int fd = atoi(d->d_name);

			if (d->d_name[0] != '.' && fd != dirfd(dir) && fd != ready[1] &&
			    fd != go[0])
				fds[n++] = fd;
		}
		closedir(dir);
		for (i = 0; i < n; i++)
			close(fds[i]);
		for (i = 0; i < NFILES; i++)
			if (open("/dev/null", O_RDONLY) < 0)
				_exit(1);
		if (getrlimit(RLIMIT_NOFILE, &rl))
			_exit(1);
		rl.rlim_cur = FDLIMIT;
		if (setrlimit(RLIMIT_NOFILE, &rl) || write(ready[1], "x", 1) != 1)
			_exit(1);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*release = go[1];
	return pid;
}

static void reap(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
}

/* Pages of statm's field i (0 size, 1 resident) in kB. */
static u64 statm_kb(pid_t pid, int i)
{
	char path[64];
	unsigned long long f[2];
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fscanf(fp, "%llu %llu", &f[0], &f[1]), 2);
	fclose(fp);
	return f[i] * (u64)sysconf(_SC_PAGESIZE) / 1024;
}

/* The "VmSwap:" line of status, read with stdio. */
static u64 status_swap(pid_t pid)
{
	char path[64], line[256];
	unsigned long long kb = ~0ull;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "VmSwap: %llu kB", &kb) == 1)
			break;
	fclose(fp);
	ck_assert(kb != ~0ull);
	return kb;
}

static u64 ns_of(struct timespec t)
{
	return (u64)t.tv_sec * 1000000000ull + (u64)t.tv_nsec;
}

START_TEST(test_procfs_child)
{
	struct uevent ev;
	struct stat st;
	char exp[64];
	int release;
	pid_t pid = fd_child(&release);
	u64 size, rss;

	candidate(&ev, pid);
	snprintf(exp, sizeof(exp), "%d", 2 + NFILES);
	ck_assert_str_eq(val(&ev, "proc.fdopencount"), exp);
	ck_assert_str_eq(val(&ev, "proc.fdlimit"), "123");
	size = u64_of(&ev, SHRIKE_F_PROC_VMSIZE);
	rss = u64_of(&ev, SHRIKE_F_PROC_VMRSS);
	/* The child is blocked in read(): its memory does not change. */
	ck_assert_uint_eq(size, statm_kb(pid, 0));
	ck_assert_uint_eq(rss, statm_kb(pid, 1));
	ck_assert_uint_gt(size, 0);
	ck_assert_uint_eq(u64_of(&ev, SHRIKE_F_PROC_VMSWAP), status_swap(pid));
	/* Forked, not exec'd: the child runs this test's executable. */
	ck_assert_int_eq(stat("/proc/self/exe", &st), 0);
	ck_assert_uint_eq(u64_of(&ev, SHRIKE_F_PROC_EXE_INO_CTIME), ns_of(st.st_ctim));
	ck_assert_uint_eq(u64_of(&ev, SHRIKE_F_PROC_EXE_INO_MTIME), ns_of(st.st_mtim));
	/* The inherited environment, as libsinsp joins it. */
	ck_assert_ptr_nonnull(strstr(val(&ev, "proc.env"), "PATH="));

	/* Read once per event: a value asked again is the one first read,
	 * even after the process has gone. */
	close(release);
	reap(pid);
	ck_assert_str_eq(val(&ev, "proc.fdopencount"), exp);
	uevent_free(&ev);

	/* The next event of the process that is gone: every field missing. */
	candidate(&ev, pid);
	ck_assert_str_eq(val(&ev, "proc.fdopencount"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.fdlimit"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.vmsize"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.vmrss"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.vmswap"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.env"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.env[HOME]"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.exe_ino.ctime"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.exe_ino.mtime"), "<NA>");
	uevent_free(&ev);
}
END_TEST

/* Waits until pid has exec'd and its new environment is in place (what
 * environ shows is non-empty); false after 5 s. */
static bool wait_exec(pid_t pid)
{
	char path[64], buf[16];
	struct timespec ts = { 0, 2000000 };
	int i;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	for (i = 0; i < 2500; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

		if (fd >= 0)
			close(fd);
		if (n > 0 && !memcmp(buf, "HOME=", 5))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

#define BIG_LEN 5000

START_TEST(test_procfs_environ)
{
	static char big[4 + BIG_LEN + 1];
	char *const argv[] = { "sleep", "60", NULL };
	char *const envp[] = { "HOME=  /root  ", "EMPTY=", "SP=a b c", "BLANK=   ", big, NULL };
	/* Offset of "BIG=" in environ: each variable and its NUL before it. */
	size_t before = 0, keep, i;
	char *exp;
	struct uevent ev;
	pid_t pid;

	memcpy(big, "BIG=", 4);
	memset(big + 4, 'x', BIG_LEN);
	for (i = 0; envp[i] != big; i++)
		before += strlen(envp[i]) + 1;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		execve("/bin/sleep", argv, envp);
		_exit(127);
	}
	ck_assert_msg(wait_exec(pid), "the child did not exec /bin/sleep");
	candidate(&ev, pid);
	/* libsinsp strips the blanks around a value; one not set, or set
	 * to nothing, is the empty string, not <NA>. */
	ck_assert_str_eq(val(&ev, "proc.env[HOME]"), "/root");
	ck_assert_str_eq(val(&ev, "proc.env[SP]"), "a b c");
	ck_assert_str_eq(val(&ev, "proc.env[EMPTY]"), "");
	ck_assert_str_eq(val(&ev, "proc.env[BLANK]"), "");
	ck_assert_str_eq(val(&ev, "proc.env[NOPE]"), "");
	ck_assert_str_eq(val(&ev, "proc.env[HOM]"), "");
	ck_assert_str_eq(val(&ev, "proc.env[ROOT]"), "");
	/* libscap reads 4096 bytes of environ and makes the last one the
	 * terminator: BIG keeps what is before byte 4095. */
	keep = 4095 - before - 4;
	exp = calloc(1, 4096);
	ck_assert_ptr_nonnull(exp);
	memset(exp, 'x', keep);
	ck_assert_str_eq(val(&ev, "proc.env[BIG]"), exp);
	snprintf(exp, 4096, "HOME=  /root   EMPTY= SP=a b c BLANK=    BIG=");
	memset(exp + strlen(exp), 'x', keep);
	ck_assert_str_eq(val(&ev, "proc.env"), exp);
	free(exp);
	uevent_free(&ev);
	kill(pid, SIGKILL);
	reap(pid);
}
END_TEST

/* Through the evaluator, as the agent decides a candidate: the rule is
 * TRUE on the child, FALSE once it is gone (its fields are missing). */
START_TEST(test_procfs_rule)
{
	static const char yaml[] =
		"- rule: R\n  desc: d\n  output: o\n  priority: INFO\n"
		"  condition: evt.type = openat and proc.fdopencount = 8 and proc.fdlimit = 123"
		" and proc.vmsize > 0 and proc.env[NOT_SET_ANYWHERE] = \"\"\n";
	struct ruleset *rs = ruleset_new();
	struct diag_list dl;
	struct shrike_table t;
	struct shrike_verr e;
	struct uevent ev;
	struct uevent_ctx ctx = { &t, &ev };
	void *buf = NULL;
	size_t len = 0;
	int release;
	pid_t pid;

	ck_assert_ptr_nonnull(rs);
	ruleset_load_string(rs, "t.yaml", yaml, strlen(yaml));
	ruleset_finish(rs);
	ck_assert_int_eq(ruleset_errors(rs), 0);
	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(rs, NULL, &buf, &len, &dl), 0);
	ck_assert_int_eq(shrike_table_verify(buf, (u32)len, &t, &e), 0);
	ck_assert_int_eq(NFILES + 2, 8);

	pid = fd_child(&release);
	candidate(&ev, pid);
	uevent_set_str(&ev, SHRIKE_F_EVT_TYPE, NULL, "openat", 6);
	ck_assert_int_eq(shrike_eval(&t, shrike_rule_at(&t, 0), uevent_fetch, &ctx), SHRIKE_V_TRUE);
	uevent_free(&ev);
	close(release);
	reap(pid);
	candidate(&ev, pid);
	uevent_set_str(&ev, SHRIKE_F_EVT_TYPE, NULL, "openat", 6);
	ck_assert_int_eq(shrike_eval(&t, shrike_rule_at(&t, 0), uevent_fetch, &ctx),
			 SHRIKE_V_FALSE);
	uevent_free(&ev);

	free(buf);
	diag_list_free(&dl);
	ruleset_free(rs);
}
END_TEST

static void put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Files that do not parse, or are not there: missing values, no crash. */
START_TEST(test_procfs_unparsable)
{
	char root[] = "/tmp/shrike-procfs-XXXXXX", dir[600], cmd[700];
	struct uevent ev;

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/4242", root);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	put_file(dir, "status", "Name:\tx\nVmSize:\tlots kB\nVmRSS:\n");
	put_file(
		dir, "limits",
		"Limit  Soft Limit  Hard Limit  Units\nMax open files  unlimited  unlimited  files\n");
	put_file(dir, "fd", "not a directory");

	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	ev.proc_root = root;
	ck_assert_int_eq(uevent_set_u64(&ev, SHRIKE_F_PROC_PID, NULL, 4242), 0);
	ck_assert_str_eq(val(&ev, "proc.vmsize"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.vmrss"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.vmswap"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.fdlimit"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.fdopencount"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.env"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.env[HOME]"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.exe_ino.ctime"), "<NA>");
	uevent_free(&ev);

	/* An empty environ is an empty environment, not a missing one. */
	put_file(dir, "environ", "");
	put_file(dir, "status", "VmSize:\t  1000 kB\nVmRSS:\t 20 kB\nVmSwap:\t0 kB\n");
	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	ev.proc_root = root;
	ck_assert_int_eq(uevent_set_u64(&ev, SHRIKE_F_PROC_PID, NULL, 4242), 0);
	ck_assert_str_eq(val(&ev, "proc.env"), "");
	ck_assert_str_eq(val(&ev, "proc.env[HOME]"), "");
	ck_assert_str_eq(val(&ev, "proc.vmsize"), "1000");
	ck_assert_str_eq(val(&ev, "proc.vmrss"), "20");
	ck_assert_str_eq(val(&ev, "proc.vmswap"), "0");
	uevent_free(&ev);

	/* No pid captured: nothing to read. */
	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	ev.proc_root = root;
	ck_assert_str_eq(val(&ev, "proc.vmsize"), "<NA>");
	uevent_free(&ev);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* `shrikec test` events (no proc_root) never read the host's /proc. */
START_TEST(test_procfs_not_in_tests)
{
	struct uevent ev;
	char err[256];

	ck_assert_int_eq(uevent_from_json_syscall(&ev, "{\"proc.pid\": 1}", err, sizeof(err)), 0);
	ck_assert_ptr_null(ev.proc_root);
	ck_assert_str_eq(val(&ev, "proc.fdlimit"), "<NA>");
	ck_assert_str_eq(val(&ev, "proc.env"), "<NA>");
	uevent_free(&ev);
	ck_assert(procfs_field(SHRIKE_F_PROC_VMRSS));
	ck_assert(!procfs_field(SHRIKE_F_PROC_PID));
}
END_TEST

Suite *make_procfs_suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("procfs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_procfs_child);
	tcase_add_test(tc, test_procfs_environ);
	tcase_add_test(tc, test_procfs_rule);
	tcase_add_test(tc, test_procfs_unparsable);
	tcase_add_test(tc, test_procfs_not_in_tests);
	suite_add_tcase(s, tc);
	return s;
}
