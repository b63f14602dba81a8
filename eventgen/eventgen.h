/* eventgen.h - what shrike-eventgen's files share: the fixed paths, ports
 * and names its actions use, the helpers of eventgen.c (running a step in a
 * renamed copy of this program, children, files), and the steps and actions
 * of each family that the tables of eventgen.c list. */
#ifndef SHRIKE_EVENTGEN_H
#define SHRIKE_EVENTGEN_H

#include <stdbool.h>
#include <sys/types.h>

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

extern const char *prog;
extern char self[4096]; /* this program: /proc/self/exe */
/* A step's command line: argv[0] is the name it runs under. */
extern int step_argc;
extern char **step_argv;

/* Prints "prog: what: strerror(errno)"; returns -1. */
int fail(const char *what);
int create_file(const char *path, int extra_flags, mode_t mode);
/* Its exit status, 128 + the signal that killed it, or -1. */
int wait_child(pid_t pid);
int copy_self(const char *path);
int run_step(const char *path, char *const argv[], const char *step);
int run_as(const char *name, const char *step, const char *const args[]);
int open_close(const char *path);

/* An action and its benign counterpart. */
#define EVENTGEN_ACTION(n) \
	int n(void);       \
	int n##_benign(void)

/* The steps (what a renamed child runs: eventgen.c's steps[]) and the
 * actions (eventgen.c's actions[]) of each family. */
int step_noop(void);

/* file.c: writes, reads, links and modes of sensitive files */
int step_write_etc(void);
int step_write_bin(void);
int step_read_shadow(void);
int step_truncate_log(void);
EVENTGEN_ACTION(write_below_etc);
EVENTGEN_ACTION(write_below_binary_dir);
EVENTGEN_ACTION(read_sensitive_file);
EVENTGEN_ACTION(clear_log);
EVENTGEN_ACTION(delete_shell_history);
EVENTGEN_ACTION(modify_shell_config);
EVENTGEN_ACTION(symlink_sensitive);
EVENTGEN_ACTION(setuid_bit);
EVENTGEN_ACTION(hardlink_sensitive);
EVENTGEN_ACTION(dir_traversal_read);

/* process.c: programs run from odd places, under telling names or parents */
int step_server_shell(void);
int step_server_archive(void);
int step_mkfs_child(void);
int step_login_session(void);
int step_worker_read_shadow(void);
int step_worker_read_passwd(void);
int step_tty_shell(void);
int step_notty_shell(void);
EVENTGEN_ACTION(terminal_shell);
EVENTGEN_ACTION(exec_from_dev_shm);
EVENTGEN_ACTION(drop_and_execute);
EVENTGEN_ACTION(memfd_exec);
EVENTGEN_ACTION(netcat_rce);
EVENTGEN_ACTION(search_private_keys);
EVENTGEN_ACTION(remove_bulk_data);
EVENTGEN_ACTION(server_shell);
EVENTGEN_ACTION(system_user_interactive);
EVENTGEN_ACTION(debugfs_privileged);
EVENTGEN_ACTION(read_sensitive_late);
EVENTGEN_ACTION(find_aws_credentials);

/* privilege.c: kernel modules, namespaces, ptrace, credentials, container
 * escape */
int step_namespace(void);
int step_init_module(void);
int step_modprobe_child(void);
int step_ptrace(void);
int step_traceme(void);
EVENTGEN_ACTION(kernel_module);
EVENTGEN_ACTION(change_namespace);
EVENTGEN_ACTION(ptrace_attach);
EVENTGEN_ACTION(setuid_to_root);
EVENTGEN_ACTION(release_agent);
EVENTGEN_ACTION(ptrace_traceme);

/* network.c: sockets and connections */
int step_ssh_netns(void);
int step_ssh_connect(void);
EVENTGEN_ACTION(reverse_shell);
EVENTGEN_ACTION(packet_socket);
EVENTGEN_ACTION(ssh_nonstandard_port);
EVENTGEN_ACTION(contact_k8s_api);

#endif
