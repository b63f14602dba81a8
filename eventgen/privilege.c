/* privilege.c - the actions on privileges: kernel modules, namespaces,
 * ptrace (attach and TRACEME), setuid to root, the cgroup release_agent
 * of a container escape. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "eventgen.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

/* Enters its own UTS namespace (setns to the current one changes nothing),
 * then a new one; the child goes away with it. */
int step_namespace(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		int fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || setns(fd, CLONE_NEWUTS))
			_exit(fail("setns") ? 1 : 1);
		close(fd);
		_exit(unshare(CLONE_NEWUTS) ? 2 : 0);
	}
	return wait_child(pid);
}

/* An image that is not a module: every kernel refuses it before loading
 * anything, and without CAP_SYS_MODULE it is refused earlier still. */
int step_init_module(void)
{
	static const char not_a_module[64] = "shrike-eventgen: not a kernel module";

	if (syscall(SYS_init_module, not_a_module, sizeof(not_a_module), "") == 0) {
		fprintf(stderr, "%s: init_module accepted a non-module?\n", prog);
		return 1;
	}
	return 0;
}

/* modprobe started by kmod: a module loader with its usual parent. */
int step_modprobe_child(void)
{
	return run_as("modprobe", "init_module", NULL);
}

/* Seizes a child of ours that only sleeps and kills it: one ptrace call, as
 * the rule sees every call (a detach would be a second). */
int step_ptrace(void)
{
	pid_t pid = fork();
	int ret = 0;

	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL))
		ret = fail("ptrace seize");
	kill(pid, SIGKILL);
	wait_child(pid);
	return ret;
}

/* A child asks to be traced by us (PTRACE_TRACEME) and exits: a tracee that
 * exits without a signal is reaped like any child. EPERM (already traced:
 * run under strace or gdb) is what the check looks for, not a failure. */
int step_traceme(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork");
	if (pid == 0)
		_exit(ptrace(PTRACE_TRACEME, 0, NULL, NULL) && errno != EPERM
			      ? (fail("ptrace traceme"), 1)
			      : 0);
	return wait_child(pid);
}

int kernel_module(void)
{
	return step_init_module();
}

int kernel_module_benign(void)
{
	return run_as("kmod", "modprobe_child", NULL);
}

int change_namespace(void)
{
	return step_namespace();
}

int change_namespace_benign(void)
{
	return run_as("runc", "namespace", (const char *[]){ "init", NULL });
}

int ptrace_attach(void)
{
	return step_ptrace();
}

int ptrace_attach_benign(void)
{
	return run_as("strace", "ptrace", (const char *[]){ "-p", "1", NULL });
}

/* A child runs as nobody with a saved uid of 0, as a setuid-root program that
 * dropped privileges does, and asks for uid to_uid. */
static int setuid_as_nobody(uid_t to_uid)
{
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		if (setresuid(NOBODY, NOBODY, 0))
			_exit(fail("setresuid") ? 1 : 1);
		_exit(setuid(to_uid) ? 2 : 0);
	}
	return wait_child(pid);
}

int setuid_to_root(void)
{
	return setuid_as_nobody(0);
}

int setuid_to_root_benign(void)
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

int release_agent(void)
{
	return release_agent_file("release_agent");
}

int release_agent_benign(void)
{
	return release_agent_file("notify_on_release");
}

int ptrace_traceme(void)
{
	return step_traceme();
}

int ptrace_traceme_benign(void)
{
	return run_as("gdb", "traceme", (const char *[]){ "-q", "./a.out", NULL });
}
