/* file.c - the actions on files: writing below /etc and binary directories,
 * reading sensitive files, clearing logs and shell history, shell
 * configuration, symlinks and hard links to sensitive files, setuid bits,
 * directory traversal. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "eventgen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

int step_write_etc(void)
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

int step_write_bin(void)
{
	char path[256];
	int ret;

	snprintf(path, sizeof(path), "%s/shrike-eventgen-test", bin_dir());
	ret = create_file(path, 0, 0755);
	unlink(path);
	return ret;
}

int step_read_shadow(void)
{
	int fd = open("/etc/shadow", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail("/etc/shadow");
	close(fd);
	return 0;
}

#define LOG_DIR	 "/var/log"
#define LOG_FILE LOG_DIR "/shrike-eventgen.log"

int step_truncate_log(void)
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

int write_below_etc(void)
{
	return step_write_etc();
}

int write_below_etc_benign(void)
{
	return run_as("dpkg", "write_etc", (const char *[]){ "--configure", "-a", NULL });
}

int write_below_binary_dir(void)
{
	return step_write_bin();
}

int write_below_binary_dir_benign(void)
{
	return run_as("dpkg", "write_bin", (const char *[]){ "--configure", "-a", NULL });
}

int read_sensitive_file(void)
{
	return step_read_shadow();
}

int read_sensitive_file_benign(void)
{
	int ret = run_as("sshd", "read_shadow", (const char *[]){ "-D", NULL });
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return ret;
}

int clear_log(void)
{
	return step_truncate_log();
}

int clear_log_benign(void)
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
			ret = fail("rename");
		unlink(to);
	} else if (unlink(path)) {
		ret = fail("unlink");
	}
	unlink(path);
	return ret;
}

int delete_shell_history(void)
{
	return history_file(".bash_history", false);
}

int delete_shell_history_benign(void)
{
	return history_file("notes.txt", false) || history_file("notes.txt", true);
}

int modify_shell_config(void)
{
	int ret = create_file(WORKDIR "/.bashrc", O_APPEND, 0644);

	unlink(WORKDIR "/.bashrc");
	return ret;
}

int modify_shell_config_benign(void)
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
		ret = fail("symlink");
	unlink(WORKDIR "/link");
	return ret;
}

int symlink_sensitive(void)
{
	return symlink_to("/etc/shadow");
}

int symlink_sensitive_benign(void)
{
	return symlink_to("/etc/hostname");
}

static int chmod_file(mode_t mode)
{
	int ret = create_file(WORKDIR "/suid-file", 0, 0755);

	if (!ret && chmod(WORKDIR "/suid-file", mode))
		ret = fail("chmod");
	unlink(WORKDIR "/suid-file");
	return ret;
}

int setuid_bit(void)
{
	return chmod_file(04755);
}

int setuid_bit_benign(void)
{
	return chmod_file(0700);
}

static int hardlink_to(const char *target)
{
	/* The attempt is the event: across file systems it fails (EXDEV). */
	if (link(target, WORKDIR "/hardlink") == 0)
		unlink(WORKDIR "/hardlink");
	else if (errno != EXDEV && errno != EPERM)
		return fail("link");
	return 0;
}

int hardlink_sensitive(void)
{
	return hardlink_to("/etc/shadow");
}

int hardlink_sensitive_benign(void)
{
	int ret = create_file(WORKDIR "/notes", 0, 0644);

	if (!ret)
		ret = hardlink_to(WORKDIR "/notes");
	unlink(WORKDIR "/notes");
	return ret;
}

/* A child (a server of ours, not a shell) opens each path for reading. */
static int open_in_child(const char *const paths[])
{
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		for (; *paths; paths++)
			if (open_close(*paths))
				_exit(1);
		_exit(0);
	}
	return wait_child(pid);
}

int dir_traversal_read(void)
{
	return open_in_child((const char *[]){ WORKDIR "/../../etc/passwd", NULL });
}

int dir_traversal_read_benign(void)
{
	int ret = create_file(WORKDIR "/notes", 0, 0644);

	if (!ret)
		ret = open_in_child((const char *[]){
			"/etc/passwd", WORKDIR "/../../tmp/shrike-eventgen/notes", NULL });
	unlink(WORKDIR "/notes");
	return ret;
}
