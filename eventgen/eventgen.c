/* eventgen.c - shrike-eventgen's tables of steps and actions, its command
 * line, and the helpers its actions share (file.c, process.c, privilege.c,
 * network.c: the actions by family).
 *
 * shrike-eventgen performs, harmlessly, the behaviour each rule of
 * rules/shrike_rules.yaml detects, and a benign counterpart that must not
 * alert, so that a deployment (or the VM tests) can check the rules fire
 * end to end. Like falcosecurity/event-generator, one action per rule.
 *
 * Everything an action creates lives under fixed paths (WORKDIR,
 * /etc/shrike-eventgen-test, ...) rather than random temp names: the alerts
 * then have the same text on every run and tests can compare them exactly.
 * Each action removes what it created and waits for the children it started.
 *
 * Some behaviours are only suspicious from some programs (rules have
 * exceptions by process name): the benign side runs the same step in a copy
 * of this program started under the excepted name (a symlink named "dpkg",
 * "sshd", ...). Such a child finds its step in SHRIKE_EVENTGEN_STEP, so that
 * its command line is only what the rule looks at. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "eventgen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

const char *prog = "shrike-eventgen";
char self[4096];
static bool verbose;
/* A step's command line: argv[0] is the name it runs under. */
int step_argc;
char **step_argv;

static void say(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	return -1;
}

/* The work directory is ours only if we made it or own it and nobody else can
 * write it: another user could otherwise plant symlinks under a fixed name. */
static int workdir_enter(void)
{
	struct stat st;

	if (mkdir(WORKDIR, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return fail("mkdir " WORKDIR);
	if (lstat(WORKDIR, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 0022)) {
		fprintf(stderr, "%s: %s exists and is not a private directory of ours\n", prog,
			WORKDIR);
		return -1;
	}
	return 0;
}

static void workdir_leave(void)
{
	rmdir(WORKDIR);
}

int create_file(const char *path, int extra_flags, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | extra_flags, mode);

	if (fd < 0)
		return fail(path);
	close(fd);
	return 0;
}

int wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return fail("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Copies this program to path (mode 0755), for the actions that execute a
 * binary from a suspicious place. */
int copy_self(const char *path)
{
	char buf[65536];
	ssize_t n;
	int in, out, ret = 0;

	in = open(self, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return fail(self);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		close(in);
		return fail(path);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			ret = fail(path);
			break;
		}
	if (n < 0)
		ret = fail(self);
	close(in);
	if (close(out))
		ret = fail(path);
	return ret;
}

/* Runs path with argv under STEP_ENV=step and waits for it. */
int run_step(const char *path, char *const argv[], const char *step)
{
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		setenv(STEP_ENV, step, 1);
		execv(path, argv);
		_exit(127);
	}
	return wait_child(pid);
}

/* Runs step in this program started under another name: a symlink
 * WORKDIR/name, so that proc.name is name. argv[0] is name; args follow. */
int run_as(const char *name, const char *step, const char *const args[])
{
	char link[256], *argv[16];
	int i = 0, ret;

	snprintf(link, sizeof(link), WORKDIR "/%s", name);
	unlink(link);
	if (symlink(self, link))
		return fail(link);
	argv[i++] = (char *)name;
	while (args && *args && i < 15)
		argv[i++] = (char *)*args++;
	argv[i] = NULL;
	ret = run_step(link, argv, step);
	unlink(link);
	return ret;
}

int step_noop(void)
{
	return 0;
}

int open_close(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(path);
	close(fd);
	return 0;
}

/* ---- tables -------------------------------------------------------------------- */

struct step {
	const char *name;
	int (*fn)(void);
};

static const struct step steps[] = {
	{ "noop", step_noop },
	{ "write_etc", step_write_etc },
	{ "write_bin", step_write_bin },
	{ "read_shadow", step_read_shadow },
	{ "truncate_log", step_truncate_log },
	{ "namespace", step_namespace },
	{ "init_module", step_init_module },
	{ "modprobe_child", step_modprobe_child },
	{ "ptrace", step_ptrace },
	{ "traceme", step_traceme },
	{ "server_shell", step_server_shell },
	{ "server_archive", step_server_archive },
	{ "mkfs_child", step_mkfs_child },
	{ "login_session", step_login_session },
	{ "worker_read_shadow", step_worker_read_shadow },
	{ "worker_read_passwd", step_worker_read_passwd },
	{ "ssh_netns", step_ssh_netns },
	{ "ssh_connect", step_ssh_connect },
	{ "tty_shell", step_tty_shell },
	{ "notty_shell", step_notty_shell },
};

struct action {
	const char *name;
	const char *rule;
	const char *what;
	int (*run)(void);
	int (*benign)(void);
};

#define A(n, rule, what)                      \
	{                                     \
#n, rule, what, n, n##_benign \
	}
static const struct action actions[] = {
	A(write_below_etc, "Write below etc",
	  "creates and removes /etc/shrike-eventgen-test | benign: the same as dpkg"),
	A(write_below_binary_dir, "Write below binary dir",
	  "creates and removes shrike-eventgen-test in /usr/local/bin or /usr/bin | benign: as dpkg"),
	A(read_sensitive_file, "Read sensitive file untrusted",
	  "opens /etc/shadow for reading | benign: the same as sshd, and /etc/passwd"),
	A(clear_log, "Clear log activities",
	  "truncates /var/log/shrike-eventgen.log (O_TRUNC), removes it | benign: as logrotate"),
	A(delete_shell_history, "Delete or rename shell history",
	  "creates and deletes " WORKDIR "/.bash_history | benign: notes.txt"),
	A(modify_shell_config, "Modify shell configuration file",
	  "opens " WORKDIR "/.bashrc for writing | benign: bashrc.bak, and reads it"),
	A(symlink_sensitive, "Create symlink over sensitive files",
	  "symlinks " WORKDIR "/link to /etc/shadow | benign: to /etc/hostname"),
	A(terminal_shell, "Terminal shell in container",
	  "runs sh -c 'exit 0' with a pseudo-terminal below runc, as kubectl exec -it does "
	  "(in a container) | benign: without one"),
	A(exec_from_dev_shm, "Execution from /dev/shm",
	  "copies itself to /dev/shm and runs the copy | benign: from " WORKDIR),
	A(drop_and_execute, "Drop and execute new binary in container",
	  "copies itself to the container's overlay upper layer and runs it | benign: runs itself"),
	A(memfd_exec, "Fileless execution via memfd",
	  "copies itself into a memfd and runs it | benign: from " WORKDIR),
	A(netcat_rce, "Netcat remote code execution",
	  "runs itself as nc -e /bin/sh 127.0.0.1 4444 (exits at once) | benign: nc -z"),
	A(search_private_keys, "Search for private keys or passwords",
	  "runs itself as grep -rl 'BEGIN RSA PRIVATE KEY' (exits at once) | benign: grep TODO"),
	A(reverse_shell, "Redirect stdio to network connection",
	  "dup2 of a loopback TCP socket onto 0, 1, 2 in a child | benign: a pipe and /dev/null"),
	A(packet_socket, "Packet socket created",
	  "opens and closes an AF_PACKET socket | benign: an AF_INET one"),
	A(kernel_module, "Linux kernel module loaded",
	  "init_module of a non-module image (refused) | benign: the same by modprobe under kmod"),
	A(change_namespace, "Change namespace",
	  "setns to its own UTS namespace and unshare a new one in a child | benign: as runc"),
	A(ptrace_attach, "PTRACE attached to process",
	  "PTRACE_SEIZE of a sleeping child, then kills it | benign: as strace"),
	A(setuid_bit, "Set setuid or setgid bit",
	  "chmod 4755 of " WORKDIR "/suid-file | benign: chmod 0700"),
	A(setuid_to_root, "Setuid to root by non-root process",
	  "a child as nobody with saved uid 0 calls setuid(0) | benign: setuid(nobody)"),
	A(release_agent, "Container escape through release_agent",
	  "opens " WORKDIR
	  "/release_agent for writing (in a container) | benign: notify_on_release"),
	A(hardlink_sensitive, "Create hardlink over sensitive files",
	  "hard links " WORKDIR
	  "/hardlink to /etc/shadow, removes it | benign: to a file of its own"),
	A(ptrace_traceme, "PTRACE anti-debug attempt",
	  "a child calls ptrace(PTRACE_TRACEME) and exits | benign: the same as gdb"),
	A(remove_bulk_data, "Remove bulk data from disk",
	  "runs itself as shred -u and dd if=/dev/zero of=/dev/sdz (exit at once) | benign: mkfs "
	  "under kubelet, dd to a file"),
	A(server_shell, "Run shell untrusted",
	  "runs itself as nginx, which runs itself as sh -c id | benign: postgres archiving via sh"),
	A(system_user_interactive, "System user interactive",
	  "runs itself as sshd, a child as nobody runs itself | benign: as uid 1000"),
	A(ssh_nonstandard_port, "Disallowed SSH connection non standard port",
	  "in a network namespace of its own, runs itself as ssh to " SSH_SERVER_ADDR ":443 | "
	  "benign: port 22"),
	A(dir_traversal_read, "Directory traversal monitored file read",
	  "a child opens " WORKDIR "/../../etc/passwd | benign: /etc/passwd, a traversal to /tmp"),
	A(debugfs_privileged, "Debugfs launched in privileged container",
	  "runs itself as debugfs -w /dev/sda1 (in a privileged container) | benign: dumpe2fs"),
	A(read_sensitive_late, "Read sensitive file trusted after startup",
	  "runs itself as nginx, whose worker opens /etc/shadow | benign: /etc/passwd"),
	A(find_aws_credentials, "Find AWS credentials",
	  "runs itself as grep -ri aws_secret_access_key (exits at once) | benign: grep region"),
	A(contact_k8s_api, "Contact K8S API server from container",
	  "connects to " K8S_API_NAME ":443 (in a container; listens there if the address is "
	  "this host's) | benign: to localhost"),
};
#define NACTIONS (sizeof(actions) / sizeof(actions[0]))

static int run_action(const struct action *a, bool benign)
{
	int ret;

	say("%s%s: %s", a->name, benign ? " (benign)" : "", a->rule);
	if (workdir_enter())
		return 1;
	ret = benign ? a->benign() : a->run();
	workdir_leave();
	if (ret)
		fprintf(stderr, "%s: %s%s failed\n", prog, a->name, benign ? " (benign)" : "");
	return ret ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: shrike-eventgen [--benign] [-v] ACTION...\n"
		   "       shrike-eventgen [--benign] [-v] --all\n"
		   "       shrike-eventgen --list\n"
		   "\n"
		   "Performs, harmlessly, what each rule of rules/shrike_rules.yaml detects,\n"
		   "and cleans up after itself. Run it as root: most actions need it.\n"
		   "\n"
		   "  --list     the actions, the rule each one triggers, and what it does\n"
		   "  --all      every action, in the order of --list\n"
		   "  --benign   the benign counterpart of each action instead: no alert\n"
		   "  -v         say what runs\n");
}

int main(int argc, char **argv)
{
	bool all = false, benign = false;
	int i, ret = 0, nargs = 0;
	const char *step = getenv(STEP_ENV);
	ssize_t n;
	size_t j;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		perror("shrike-eventgen: /proc/self/exe");
		return 1;
	}
	self[n] = 0;
	if (step) {
		step_argc = argc;
		step_argv = argv;
		for (j = 0; j < sizeof(steps) / sizeof(steps[0]); j++)
			if (!strcmp(step, steps[j].name))
				return steps[j].fn() ? 1 : 0;
		fprintf(stderr, "%s: unknown step '%s'\n", prog, step);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list")) {
			for (j = 0; j < NACTIONS; j++)
				printf("%-24s %s\n%-24s   %s\n", actions[j].name, actions[j].rule,
				       "", actions[j].what);
			return 0;
		} else if (!strcmp(argv[i], "--all")) {
			all = true;
		} else if (!strcmp(argv[i], "--benign")) {
			benign = true;
		} else if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[i]);
			usage(stderr);
			return 2;
		} else {
			nargs++;
		}
	}
	if (all == (nargs > 0)) {
		usage(stderr);
		return 2;
	}
	/* Names first, so that a typo runs nothing. */
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		for (j = 0; j < NACTIONS && strcmp(argv[i], actions[j].name); j++)
			;
		if (j == NACTIONS) {
			fprintf(stderr, "%s: unknown action '%s' (see --list)\n", prog, argv[i]);
			return 2;
		}
	}
	if (all) {
		for (j = 0; j < NACTIONS; j++)
			ret |= run_action(&actions[j], benign);
		return ret;
	}
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		for (j = 0; strcmp(argv[i], actions[j].name); j++)
			;
		ret |= run_action(&actions[j], benign);
	}
	return ret;
}
