/* process.c - the actions about the programs run: a shell with a terminal
 * below runc, executables from /dev/shm, an overlay upper layer or a memfd,
 * tools run by name (nc, grep, shred, dd, debugfs), servers running shells
 * or reading secrets late, system users in login sessions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "eventgen.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>

/* A server running a command through a shell (this program as sh). */
int step_server_shell(void)
{
	return run_as("sh", "noop", (const char *[]){ "-c", "id", NULL });
}

/* PostgreSQL's archive_command, run through a shell. */
int step_server_archive(void)
{
	return run_as(
		"sh", "noop",
		(const char *[]){ "-c", "wal-g wal-push pg_wal/000000010000000000000001", NULL });
}

/* A volume formatted by its provisioner (this program as mkfs.ext4). */
int step_mkfs_child(void)
{
	return run_as("mkfs.ext4", "noop", (const char *[]){ "-F", WORKDIR "/volume.img", NULL });
}

/* A program run in a login session as the uid in argv[1]: a child takes it
 * (its gid too) and executes this program, which only exits. */
int step_login_session(void)
{
	uid_t uid = step_argc > 1 ? (uid_t)strtoul(step_argv[1], NULL, 10) : NOBODY;
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
			_exit((fail("setresuid"), 1));
		setenv(STEP_ENV, "noop", 1);
		execl(self, "shrike-eventgen", (char *)NULL);
		_exit(127);
	}
	return wait_child(pid);
}

/* A server's worker process (a child of the same name) opens path. */
static int worker_open(const char *path)
{
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork");
	if (pid == 0)
		_exit(open_close(path) ? 1 : 0);
	return wait_child(pid);
}

int step_worker_read_shadow(void)
{
	return worker_open("/etc/shadow");
}

int step_worker_read_passwd(void)
{
	return worker_open("/etc/passwd");
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
			return fail("pseudo-terminal");
	}
	pid = fork();
	if (pid < 0)
		return fail("fork");
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

int step_tty_shell(void)
{
	return shell(true);
}

int step_notty_shell(void)
{
	return shell(false);
}

/* Below a runc-named parent, as kubectl exec -it and docker exec -it start
 * their shell (Falco's container_entrypoint). */
int terminal_shell(void)
{
	return run_as("runc", "tty_shell", NULL);
}

int terminal_shell_benign(void)
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

int exec_from_dev_shm(void)
{
	bool made = mkdir("/dev/shm", 01777) == 0;
	int ret = exec_copy("/dev/shm", "shrike-eventgen-shm");

	if (made)
		rmdir("/dev/shm");
	return ret;
}

int exec_from_dev_shm_benign(void)
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

int drop_and_execute(void)
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

int drop_and_execute_benign(void)
{
	return run_step(self, (char *[]){ (char *)"shrike-eventgen", NULL }, "noop");
}

int memfd_exec(void)
{
	char buf[65536];
	ssize_t n;
	pid_t pid;
	int in, fd, ret = 0;

	fd = memfd_create("shrike-eventgen", MFD_CLOEXEC);
	if (fd < 0)
		return fail("memfd_create");
	in = open(self, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		close(fd);
		return fail(self);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n) {
			ret = fail("memfd write");
			break;
		}
	close(in);
	if (!ret) {
		pid = fork();
		if (pid < 0) {
			ret = fail("fork");
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

int memfd_exec_benign(void)
{
	return exec_copy(WORKDIR, "shrike-eventgen-file");
}

int netcat_rce(void)
{
	return run_as("nc", "noop", (const char *[]){ "-e", "/bin/sh", "127.0.0.1", "4444", NULL });
}

int netcat_rce_benign(void)
{
	return run_as("nc", "noop", (const char *[]){ "-z", "127.0.0.1", "4444", NULL });
}

int search_private_keys(void)
{
	return run_as("grep", "noop",
		      (const char *[]){ "-rl", "BEGIN RSA PRIVATE KEY", WORKDIR, NULL });
}

int search_private_keys_benign(void)
{
	return run_as("grep", "noop", (const char *[]){ "-rl", "TODO", WORKDIR, NULL });
}

int remove_bulk_data(void)
{
	return run_as("shred", "noop", (const char *[]){ "-u", "-z", WORKDIR "/data", NULL }) ||
	       run_as("dd", "noop",
		      (const char *[]){ "if=/dev/zero", "of=/dev/sdz", "bs=1M", "count=1", NULL });
}

int remove_bulk_data_benign(void)
{
	return run_as("kubelet", "mkfs_child", NULL) ||
	       run_as("dd", "noop",
		      (const char *[]){ "if=/dev/zero", "of=" WORKDIR "/swapfile", "bs=1M",
					"count=1", NULL });
}

int server_shell(void)
{
	return run_as("nginx", "server_shell", (const char *[]){ "-g", "daemon off;", NULL });
}

int server_shell_benign(void)
{
	return run_as("postgres", "server_archive",
		      (const char *[]){ "-D", "/var/lib/postgresql/data", NULL });
}

int system_user_interactive(void)
{
	return run_as("sshd", "login_session", (const char *[]){ "65534", NULL });
}

int system_user_interactive_benign(void)
{
	return run_as("sshd", "login_session", (const char *[]){ "1000", NULL });
}

int debugfs_privileged(void)
{
	return run_as("debugfs", "noop", (const char *[]){ "-w", "/dev/sda1", NULL });
}

int debugfs_privileged_benign(void)
{
	return run_as("dumpe2fs", "noop", (const char *[]){ "-h", "/dev/sda1", NULL });
}

int read_sensitive_late(void)
{
	return run_as("nginx", "worker_read_shadow", (const char *[]){ "-g", "daemon off;", NULL });
}

int read_sensitive_late_benign(void)
{
	return run_as("nginx", "worker_read_passwd", (const char *[]){ "-g", "daemon off;", NULL });
}

int find_aws_credentials(void)
{
	return run_as("grep", "noop",
		      (const char *[]){ "-ri", "aws_secret_access_key", WORKDIR, NULL });
}

int find_aws_credentials_benign(void)
{
	return run_as("grep", "noop", (const char *[]){ "-ri", "region", WORKDIR, NULL });
}
