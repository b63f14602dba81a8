/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * shrike_fields.h - part of the contract (included by shrike.h only): the
 * field registry and the event types, as X-macro lists so that the enum, the
 * kernel's extractor table and the compiler's name table cannot disagree.
 * Append only: the position in the list is the wire id.
 *
 * X(ID, "name", TYPE, WHERE, SOURCE, ARGKIND, "description")
 *   TYPE     SHRIKE_T_*     value type
 *   WHERE    SHRIKE_W_*     KERNEL: the kernel computes it; AGENT: only userspace
 *   SOURCE   SHRIKE_SRC_*   SYSCALL or K8S_AUDIT
 *   ARGKIND  SHRIKE_ARGK_*  how an argument is written after the name
 *
 * Names, types and descriptions follow Falco's (libsinsp filterchecks, the
 * k8saudit plugin, Falco 0.31's jevt.* fields) so that Falco's rule files load
 * unchanged. WHERE is KERNEL when the module can compute the value from the
 * task, the registers, the syscall arguments or the file/socket at hand, and
 * AGENT when it needs userspace knowledge: user/group databases, DNS, the
 * container runtime, Kubernetes metadata, local time, and all of k8s_audit.
 *
 * Event types use Falco's names (evt.type values), syscalls and Falco's
 * pseudo events (container, procexit, ...); at most 64 * SHRIKE_EVT_BITMAP_WORDS.
 */
#ifndef _UAPI_LINUX_SHRIKE_FIELDS_H
#define _UAPI_LINUX_SHRIKE_FIELDS_H

enum shrike_type {
	SHRIKE_T_U64,		/* unsigned integer */
	SHRIKE_T_S64,		/* signed integer (evt.rawres, user.loginuid) */
	SHRIKE_T_STR,		/* string */
	SHRIKE_T_BOOL,		/* true/false, compared as "true"/"false" */
	SHRIKE_T_IPADDR,	/* IPv4/IPv6 address; "in" takes CIDRs */
	SHRIKE_T_IPNET,		/* network */
	SHRIKE_T_STRLIST,	/* list of strings (ka.req.pod.containers.image) */
	__SHRIKE_T_MAX,
};

enum shrike_where {
	SHRIKE_W_KERNEL,
	SHRIKE_W_AGENT,
};

enum shrike_argkind {
	SHRIKE_ARGK_NONE,	/* no argument */
	SHRIKE_ARGK_INDEX,	/* [N]: proc.aname[2]; optional */
	SHRIKE_ARGK_NAME,	/* .NAME or [N]: evt.arg.flags, evt.arg[0] */
	SHRIKE_ARGK_KEY,	/* [key]: k8s.pod.label[app], jevt.value[/a/b]; required */
	SHRIKE_ARGK_KEY_OPT,	/* [key], optional: proc.env (all), proc.env[HOME] */
};

#define SHRIKE_FIELDS(X) \
	X(EVT_TYPE, "evt.type", STR, KERNEL, SYSCALL, NONE, "event type (syscall name)") \
	X(EVT_DIR, "evt.dir", STR, KERNEL, SYSCALL, NONE, "event direction: > entry, < exit") \
	X(PROC_NAME, "proc.name", STR, KERNEL, SYSCALL, NONE, "process name (comm, up to 16 chars, as Falco)") \
	X(PROC_ANAME, "proc.aname", STR, KERNEL, SYSCALL, INDEX, "name of an ancestor: [N] the Nth, none: any") \
	X(USER_NAME, "user.name", STR, AGENT, SYSCALL, NONE, "user name") \
	X(KA_VERB, "ka.verb", STR, AGENT, K8S_AUDIT, NONE, "audit event verb") \
	X(EVT_NUM, "evt.num", U64, KERNEL, SYSCALL, NONE, "event number") \
	X(EVT_TIME, "evt.time", STR, AGENT, SYSCALL, NONE, "event timestamp as a time string that includes the nanosecond part") \
	X(EVT_TIME_S, "evt.time.s", STR, AGENT, SYSCALL, NONE, "event timestamp as a time string with no nanoseconds") \
	X(EVT_TIME_ISO8601, "evt.time.iso8601", STR, AGENT, SYSCALL, NONE, "event timestamp in ISO 8601 format, including nanoseconds and time zone offset") \
	X(EVT_DATETIME, "evt.datetime", STR, AGENT, SYSCALL, NONE, "event timestamp as a time string that includes the date") \
	X(EVT_DATETIME_S, "evt.datetime.s", STR, AGENT, SYSCALL, NONE, "event timestamp as a datetime string with no nanoseconds") \
	X(EVT_RAWTIME, "evt.rawtime", U64, KERNEL, SYSCALL, NONE, "absolute event timestamp, i.e. nanoseconds from epoch") \
	X(EVT_RAWTIME_S, "evt.rawtime.s", U64, KERNEL, SYSCALL, NONE, "integer part of the event timestamp (seconds since epoch)") \
	X(EVT_RAWTIME_NS, "evt.rawtime.ns", U64, KERNEL, SYSCALL, NONE, "fractional part of the absolute event timestamp") \
	X(EVT_HOSTNAME, "evt.hostname", STR, AGENT, SYSCALL, NONE, "the hostname of the underlying host (FALCO_HOSTNAME can override it)") \
	X(EVT_SOURCE, "evt.source", STR, KERNEL, SYSCALL, NONE, "the name of the source that produced the event") \
	X(EVT_LATENCY, "evt.latency", U64, KERNEL, SYSCALL, NONE, "delta between an exit event and the correspondent enter event, in nanoseconds") \
	X(EVT_CATEGORY, "evt.category", STR, KERNEL, SYSCALL, NONE, "the event category, e.g. file, net, memory, process") \
	X(EVT_CPU, "evt.cpu", U64, KERNEL, SYSCALL, NONE, "number of the CPU where this event happened") \
	X(EVT_ARGS, "evt.args", STR, KERNEL, SYSCALL, NONE, "all the event arguments, aggregated into a single string") \
	X(EVT_ARG, "evt.arg", STR, KERNEL, SYSCALL, NAME, "one of the event arguments specified by name or by number: evt.arg.fd, evt.arg[0]") \
	X(EVT_RAWARG, "evt.rawarg", S64, KERNEL, SYSCALL, NAME, "one of the event arguments specified by name, as its raw value: evt.rawarg.fd") \
	X(EVT_INFO, "evt.info", STR, KERNEL, SYSCALL, NONE, "for most events the same as evt.args; decoded information for some (writes to /dev/log)") \
	X(EVT_BUFFER, "evt.buffer", STR, KERNEL, SYSCALL, NONE, "the binary data buffer for events that have one, like read(), recvfrom(), etc.") \
	X(EVT_BUFLEN, "evt.buflen", U64, KERNEL, SYSCALL, NONE, "the length of the binary data buffer for events that have one") \
	X(EVT_RES, "evt.res", STR, KERNEL, SYSCALL, NONE, "event return value as a string: SUCCESS, or the error code name (e.g. ENOENT)") \
	X(EVT_RAWRES, "evt.rawres", S64, KERNEL, SYSCALL, NONE, "event return value, as a number (e.g. -2)") \
	X(EVT_FAILED, "evt.failed", BOOL, KERNEL, SYSCALL, NONE, "'true' for events that returned an error status") \
	X(EVT_IS_IO, "evt.is_io", BOOL, KERNEL, SYSCALL, NONE, "'true' for events that read or write to FDs, like read(), send, recvfrom(), etc.") \
	X(EVT_IS_IO_READ, "evt.is_io_read", BOOL, KERNEL, SYSCALL, NONE, "'true' for events that read from FDs, like read(), recv(), recvfrom(), etc.") \
	X(EVT_IS_IO_WRITE, "evt.is_io_write", BOOL, KERNEL, SYSCALL, NONE, "'true' for events that write to FDs, like write(), send(), etc.") \
	X(EVT_IO_DIR, "evt.io_dir", STR, KERNEL, SYSCALL, NONE, "'r' for events that read from FDs, 'w' for events that write to FDs") \
	X(EVT_IS_WAIT, "evt.is_wait", BOOL, KERNEL, SYSCALL, NONE, "'true' for events that make the thread wait, e.g. sleep(), select(), poll()") \
	X(EVT_IS_SYSLOG, "evt.is_syslog", BOOL, KERNEL, SYSCALL, NONE, "'true' for events that are writes to /dev/log") \
	X(EVT_ABSPATH, "evt.abspath", STR, KERNEL, SYSCALL, NONE, "absolute path calculated from dirfd and name during syscalls like renameat and symlinkat") \
	X(EVT_ABSPATH_SRC, "evt.abspath.src", STR, KERNEL, SYSCALL, NONE, "absolute source path calculated from dirfd and name (renameat, linkat, ...)") \
	X(EVT_ABSPATH_DST, "evt.abspath.dst", STR, KERNEL, SYSCALL, NONE, "absolute destination path calculated from dirfd and name (renameat, linkat, ...)") \
	X(EVT_IS_OPEN_READ, "evt.is_open_read", BOOL, KERNEL, SYSCALL, NONE, "'true' for open/openat/openat2/open_by_handle_at events where the path was opened for reading") \
	X(EVT_IS_OPEN_WRITE, "evt.is_open_write", BOOL, KERNEL, SYSCALL, NONE, "'true' for open/openat/openat2/open_by_handle_at events where the path was opened for writing") \
	X(EVT_IS_OPEN_EXEC, "evt.is_open_exec", BOOL, KERNEL, SYSCALL, NONE, "'true' for open/openat/openat2/open_by_handle_at or creat events where a file is created with execute permissions") \
	X(EVT_IS_OPEN_CREATE, "evt.is_open_create", BOOL, KERNEL, SYSCALL, NONE, "'true' for open/openat/openat2/open_by_handle_at events where a file is created") \
	X(EVT_TYPE_IS, "evt.type.is", U64, KERNEL, SYSCALL, NAME, "1 for events of the type named after it (evt.type.is.open), 0 otherwise") \
	X(SYSCALL_TYPE, "syscall.type", STR, KERNEL, SYSCALL, NONE, "for system call events, the name of the system call (e.g. open)") \
	X(PROC_EXE, "proc.exe", STR, KERNEL, SYSCALL, NONE, "the first command line argument argv[0], usually the executable name") \
	X(PROC_PEXE, "proc.pexe", STR, KERNEL, SYSCALL, NONE, "the proc.exe (first command line argument argv[0]) of the parent process") \
	X(PROC_AEXE, "proc.aexe", STR, KERNEL, SYSCALL, INDEX, "the proc.exe of an ancestor: [N] the Nth (1 the parent), none: any") \
	X(PROC_EXEPATH, "proc.exepath", STR, KERNEL, SYSCALL, NONE, "the full executable path of the process") \
	X(PROC_PEXEPATH, "proc.pexepath", STR, KERNEL, SYSCALL, NONE, "the proc.exepath (full executable path) of the parent process") \
	X(PROC_AEXEPATH, "proc.aexepath", STR, KERNEL, SYSCALL, INDEX, "the proc.exepath of an ancestor: [N] the Nth (1 the parent), none: any") \
	X(PROC_PNAME, "proc.pname", STR, KERNEL, SYSCALL, NONE, "the proc.name (truncated after 16 characters) of the parent of the process") \
	X(PROC_ARGS, "proc.args", STR, KERNEL, SYSCALL, NONE, "the arguments passed on the command line when starting the process, excluding argv[0]") \
	X(PROC_CMDLINE, "proc.cmdline", STR, KERNEL, SYSCALL, NONE, "the concatenation of proc.name + proc.args when starting the process") \
	X(PROC_PCMDLINE, "proc.pcmdline", STR, KERNEL, SYSCALL, NONE, "the proc.cmdline (proc.name + proc.args) of the parent of the process") \
	X(PROC_ACMDLINE, "proc.acmdline", STR, KERNEL, SYSCALL, INDEX, "the proc.cmdline of an ancestor: [N] the Nth (1 the parent), none: any") \
	X(PROC_CMDNARGS, "proc.cmdnargs", U64, KERNEL, SYSCALL, NONE, "the number of command line args (proc.args)") \
	X(PROC_CMDLENARGS, "proc.cmdlenargs", U64, KERNEL, SYSCALL, NONE, "the total count of characters of the command line args (proc.args), excluding whitespace") \
	X(PROC_EXELINE, "proc.exeline", STR, KERNEL, SYSCALL, NONE, "the full command line with exe as first argument (proc.exe + proc.args)") \
	X(PROC_ENV, "proc.env", STR, KERNEL, SYSCALL, KEY_OPT, "the environment variables of the process as 'NAME=value NAME1=value1'; [NAME] one variable") \
	X(PROC_CWD, "proc.cwd", STR, KERNEL, SYSCALL, NONE, "the current working directory of the event") \
	X(PROC_TTY, "proc.tty", U64, KERNEL, SYSCALL, NONE, "the controlling terminal of the process; 0 for processes without a terminal") \
	X(PROC_PID, "proc.pid", U64, KERNEL, SYSCALL, NONE, "the id of the process generating the event") \
	X(PROC_PPID, "proc.ppid", U64, KERNEL, SYSCALL, NONE, "the pid of the parent of the process generating the event") \
	X(PROC_APID, "proc.apid", U64, KERNEL, SYSCALL, INDEX, "the pid of an ancestor: [N] the Nth (1 the parent), none: any") \
	X(PROC_VPID, "proc.vpid", U64, KERNEL, SYSCALL, NONE, "the id of the process generating the event as seen from its current PID namespace") \
	X(PROC_PVPID, "proc.pvpid", U64, KERNEL, SYSCALL, NONE, "the id of the parent process as seen from its current PID namespace") \
	X(PROC_SID, "proc.sid", U64, KERNEL, SYSCALL, NONE, "the session id of the process generating the event") \
	X(PROC_SNAME, "proc.sname", STR, KERNEL, SYSCALL, NONE, "the name of the current process's session leader") \
	X(PROC_SID_EXE, "proc.sid.exe", STR, KERNEL, SYSCALL, NONE, "the first command line argument argv[0] of the current process's session leader") \
	X(PROC_SID_EXEPATH, "proc.sid.exepath", STR, KERNEL, SYSCALL, NONE, "the full executable path of the current process's session leader") \
	X(PROC_VPGID, "proc.vpgid", U64, KERNEL, SYSCALL, NONE, "the process group id of the process, as seen from its current PID namespace") \
	X(PROC_VPGID_NAME, "proc.vpgid.name", STR, KERNEL, SYSCALL, NONE, "the name of the current process's process group leader") \
	X(PROC_VPGID_EXE, "proc.vpgid.exe", STR, KERNEL, SYSCALL, NONE, "the first command line argument argv[0] of the current process's process group leader") \
	X(PROC_VPGID_EXEPATH, "proc.vpgid.exepath", STR, KERNEL, SYSCALL, NONE, "the full executable path of the current process's process group leader") \
	X(PROC_DURATION, "proc.duration", U64, KERNEL, SYSCALL, NONE, "number of nanoseconds since the process started") \
	X(PROC_PPID_DURATION, "proc.ppid.duration", U64, KERNEL, SYSCALL, NONE, "number of nanoseconds since the parent process started") \
	X(PROC_PID_TS, "proc.pid.ts", U64, KERNEL, SYSCALL, NONE, "start of process as epoch timestamp in nanoseconds") \
	X(PROC_PPID_TS, "proc.ppid.ts", U64, KERNEL, SYSCALL, NONE, "start of parent process as epoch timestamp in nanoseconds") \
	X(PROC_IS_EXE_WRITABLE, "proc.is_exe_writable", BOOL, KERNEL, SYSCALL, NONE, "'true' if this process' executable file is writable by the same user that spawned the process") \
	X(PROC_IS_EXE_UPPER_LAYER, "proc.is_exe_upper_layer", BOOL, KERNEL, SYSCALL, NONE, "'true' if this process' executable file is in upper layer in overlayfs") \
	X(PROC_IS_EXE_FROM_MEMFD, "proc.is_exe_from_memfd", BOOL, KERNEL, SYSCALL, NONE, "'true' if the executable file of the current process is an anonymous file created using memfd_create()") \
	X(PROC_IS_SID_LEADER, "proc.is_sid_leader", BOOL, KERNEL, SYSCALL, NONE, "'true' if this process is the leader of the process session, proc.sid == proc.vpid") \
	X(PROC_IS_VPGID_LEADER, "proc.is_vpgid_leader", BOOL, KERNEL, SYSCALL, NONE, "'true' if this process is the leader of the virtual process group, proc.vpgid == proc.vpid") \
	X(PROC_EXE_INO, "proc.exe_ino", U64, KERNEL, SYSCALL, NONE, "the inode number of the executable file on disk") \
	X(PROC_EXE_INO_CTIME, "proc.exe_ino.ctime", U64, KERNEL, SYSCALL, NONE, "last status change time of the executable file (inode->ctime), epoch nanoseconds") \
	X(PROC_EXE_INO_MTIME, "proc.exe_ino.mtime", U64, KERNEL, SYSCALL, NONE, "last modification time of the executable file (inode->mtime), epoch nanoseconds") \
	X(PROC_EXE_INO_CTIME_DURATION_PROC_START, "proc.exe_ino.ctime_duration_proc_start", U64, KERNEL, SYSCALL, NONE, "number of nanoseconds between modifying status of the executable image and spawning a process using it") \
	X(PROC_EXE_INO_CTIME_DURATION_PIDNS_START, "proc.exe_ino.ctime_duration_pidns_start", U64, KERNEL, SYSCALL, NONE, "number of nanoseconds between PID namespace start and ctime of the executable, if the namespace start predates it") \
	X(PROC_PIDNS_INIT_START_TS, "proc.pidns_init_start_ts", U64, KERNEL, SYSCALL, NONE, "start of PID namespace (container or non container pid namespace) as epoch timestamp in nanoseconds") \
	X(PROC_IS_CONTAINER_HEALTHCHECK, "proc.is_container_healthcheck", BOOL, AGENT, SYSCALL, NONE, "'true' if this process is running as a part of the container's health check") \
	X(PROC_IS_CONTAINER_LIVENESS_PROBE, "proc.is_container_liveness_probe", BOOL, AGENT, SYSCALL, NONE, "'true' if this process is running as a part of the container's liveness probe") \
	X(PROC_IS_CONTAINER_READINESS_PROBE, "proc.is_container_readiness_probe", BOOL, AGENT, SYSCALL, NONE, "'true' if this process is running as a part of the container's readiness probe") \
	X(PROC_FDOPENCOUNT, "proc.fdopencount", U64, KERNEL, SYSCALL, NONE, "number of open FDs for the process") \
	X(PROC_FDLIMIT, "proc.fdlimit", U64, KERNEL, SYSCALL, NONE, "maximum number of FDs the process can open") \
	X(PROC_VMSIZE, "proc.vmsize", U64, KERNEL, SYSCALL, NONE, "total virtual memory for the process (as kb)") \
	X(PROC_VMRSS, "proc.vmrss", U64, KERNEL, SYSCALL, NONE, "resident non-swapped memory for the process (as kb)") \
	X(PROC_VMSWAP, "proc.vmswap", U64, KERNEL, SYSCALL, NONE, "swapped memory for the process (as kb)") \
	X(THREAD_TID, "thread.tid", U64, KERNEL, SYSCALL, NONE, "the id of the thread generating the event") \
	X(THREAD_ISMAIN, "thread.ismain", BOOL, KERNEL, SYSCALL, NONE, "'true' if the thread generating the event is the main one in the process") \
	X(THREAD_VTID, "thread.vtid", U64, KERNEL, SYSCALL, NONE, "the id of the thread generating the event as seen from its current PID namespace") \
	X(THREAD_CAP_PERMITTED, "thread.cap_permitted", STR, KERNEL, SYSCALL, NONE, "the permitted capabilities set") \
	X(THREAD_CAP_INHERITABLE, "thread.cap_inheritable", STR, KERNEL, SYSCALL, NONE, "the inheritable capabilities set") \
	X(THREAD_CAP_EFFECTIVE, "thread.cap_effective", STR, KERNEL, SYSCALL, NONE, "the effective capabilities set") \
	X(THREAD_PFMAJOR, "thread.pfmajor", U64, KERNEL, SYSCALL, NONE, "number of major page faults since thread start") \
	X(THREAD_PFMINOR, "thread.pfminor", U64, KERNEL, SYSCALL, NONE, "number of minor page faults since thread start") \
	X(THREAD_CGROUPS, "thread.cgroups", STR, KERNEL, SYSCALL, NONE, "all cgroups the thread belongs to, aggregated into a single string") \
	X(THREAD_CGROUP, "thread.cgroup", STR, KERNEL, SYSCALL, KEY, "the cgroup the thread belongs to, for a specific subsystem: thread.cgroup[cpuacct]") \
	X(USER_UID, "user.uid", U64, KERNEL, SYSCALL, NONE, "user ID") \
	X(USER_HOMEDIR, "user.homedir", STR, AGENT, SYSCALL, NONE, "home directory of the user") \
	X(USER_SHELL, "user.shell", STR, AGENT, SYSCALL, NONE, "user's shell") \
	X(USER_LOGINUID, "user.loginuid", S64, KERNEL, SYSCALL, NONE, "audit user id (auid); -1 when unset") \
	X(USER_LOGINNAME, "user.loginname", STR, AGENT, SYSCALL, NONE, "audit user name (auid)") \
	X(GROUP_GID, "group.gid", U64, KERNEL, SYSCALL, NONE, "group ID") \
	X(GROUP_NAME, "group.name", STR, AGENT, SYSCALL, NONE, "group name") \
	X(FD_NUM, "fd.num", S64, KERNEL, SYSCALL, NONE, "the unique number identifying the file descriptor") \
	X(FD_TYPE, "fd.type", STR, KERNEL, SYSCALL, NONE, "type of FD: 'file', 'directory', 'ipv4', 'ipv6', 'unix', 'pipe', 'event', 'signalfd', 'eventpoll', 'inotify', 'memfd', ...") \
	X(FD_TYPECHAR, "fd.typechar", STR, KERNEL, SYSCALL, NONE, "type of FD as a single character: 'f' file, 4 IPv4, 6 IPv6, 'u' unix, 'p' pipe, 'e' eventfd, ..., 'o' unknown") \
	X(FD_NAME, "fd.name", STR, KERNEL, SYSCALL, NONE, "FD full name: the full path for files, the connection tuple for sockets") \
	X(FD_DIRECTORY, "fd.directory", STR, KERNEL, SYSCALL, NONE, "if the fd is a file, the directory that contains it") \
	X(FD_FILENAME, "fd.filename", STR, KERNEL, SYSCALL, NONE, "if the fd is a file, the filename without the path") \
	X(FD_IP, "fd.ip", IPADDR, KERNEL, SYSCALL, NONE, "(filter only) matches the ip address (client or server) of the fd") \
	X(FD_CIP, "fd.cip", IPADDR, KERNEL, SYSCALL, NONE, "client IP address") \
	X(FD_SIP, "fd.sip", IPADDR, KERNEL, SYSCALL, NONE, "server IP address") \
	X(FD_LIP, "fd.lip", IPADDR, KERNEL, SYSCALL, NONE, "local IP address") \
	X(FD_RIP, "fd.rip", IPADDR, KERNEL, SYSCALL, NONE, "remote IP address") \
	X(FD_PORT, "fd.port", U64, KERNEL, SYSCALL, NONE, "(filter only) matches the port (either client or server) of the fd") \
	X(FD_CPORT, "fd.cport", U64, KERNEL, SYSCALL, NONE, "for TCP/UDP FDs, the client port") \
	X(FD_SPORT, "fd.sport", U64, KERNEL, SYSCALL, NONE, "for TCP/UDP FDs, server port") \
	X(FD_LPORT, "fd.lport", U64, KERNEL, SYSCALL, NONE, "for TCP/UDP FDs, the local port") \
	X(FD_RPORT, "fd.rport", U64, KERNEL, SYSCALL, NONE, "for TCP/UDP FDs, the remote port") \
	X(FD_L4PROTO, "fd.l4proto", STR, KERNEL, SYSCALL, NONE, "the IP protocol of a socket: 'tcp', 'udp', 'icmp' or 'raw'") \
	X(FD_SOCKFAMILY, "fd.sockfamily", STR, KERNEL, SYSCALL, NONE, "the socket family for socket events: 'ip' or 'unix'") \
	X(FD_IS_SERVER, "fd.is_server", BOOL, KERNEL, SYSCALL, NONE, "'true' if the process owning this FD is the server endpoint in the connection") \
	X(FD_UID, "fd.uid", STR, KERNEL, SYSCALL, NONE, "a unique identifier for the FD, created by chaining the FD number and the thread ID") \
	X(FD_CONTAINERNAME, "fd.containername", STR, KERNEL, SYSCALL, NONE, "chaining of the container ID and the FD name") \
	X(FD_CONTAINERDIRECTORY, "fd.containerdirectory", STR, KERNEL, SYSCALL, NONE, "chaining of the container ID and the directory name") \
	X(FD_PROTO, "fd.proto", STR, AGENT, SYSCALL, NONE, "(filter only) matches the protocol (either client or server) of the fd") \
	X(FD_CPROTO, "fd.cproto", STR, AGENT, SYSCALL, NONE, "for TCP/UDP FDs, the client protocol") \
	X(FD_SPROTO, "fd.sproto", STR, AGENT, SYSCALL, NONE, "for TCP/UDP FDs, server protocol") \
	X(FD_LPROTO, "fd.lproto", STR, AGENT, SYSCALL, NONE, "for TCP/UDP FDs, the local protocol") \
	X(FD_RPROTO, "fd.rproto", STR, AGENT, SYSCALL, NONE, "for TCP/UDP FDs, the remote protocol") \
	X(FD_NET, "fd.net", IPNET, KERNEL, SYSCALL, NONE, "(filter only) matches the IP network (client or server) of the fd") \
	X(FD_CNET, "fd.cnet", IPNET, KERNEL, SYSCALL, NONE, "(filter only) matches the client IP network of the fd") \
	X(FD_SNET, "fd.snet", IPNET, KERNEL, SYSCALL, NONE, "(filter only) matches the server IP network of the fd") \
	X(FD_LNET, "fd.lnet", IPNET, KERNEL, SYSCALL, NONE, "(filter only) matches the local IP network of the fd") \
	X(FD_RNET, "fd.rnet", IPNET, KERNEL, SYSCALL, NONE, "(filter only) matches the remote IP network of the fd") \
	X(FD_CONNECTED, "fd.connected", BOOL, KERNEL, SYSCALL, NONE, "for TCP/UDP FDs, 'true' if the socket is connected") \
	X(FD_NAME_CHANGED, "fd.name_changed", BOOL, KERNEL, SYSCALL, NONE, "true when an event changes the name of an fd used by this event (e.g. a UDP tuple change)") \
	X(FD_CIP_NAME, "fd.cip.name", STR, AGENT, SYSCALL, NONE, "domain name associated with the client IP address") \
	X(FD_SIP_NAME, "fd.sip.name", STR, AGENT, SYSCALL, NONE, "domain name associated with the server IP address") \
	X(FD_LIP_NAME, "fd.lip.name", STR, AGENT, SYSCALL, NONE, "domain name associated with the local IP address") \
	X(FD_RIP_NAME, "fd.rip.name", STR, AGENT, SYSCALL, NONE, "domain name associated with the remote IP address") \
	X(FD_DEV, "fd.dev", U64, KERNEL, SYSCALL, NONE, "device number (major/minor) containing the referenced file") \
	X(FD_DEV_MAJOR, "fd.dev.major", U64, KERNEL, SYSCALL, NONE, "major device number containing the referenced file") \
	X(FD_DEV_MINOR, "fd.dev.minor", U64, KERNEL, SYSCALL, NONE, "minor device number containing the referenced file") \
	X(FD_INO, "fd.ino", U64, KERNEL, SYSCALL, NONE, "inode number of the referenced file") \
	X(FD_NAMERAW, "fd.nameraw", STR, KERNEL, SYSCALL, NONE, "FD full name raw: like fd.name, but the file path as given, without deriving the absolute path") \
	X(FS_PATH_NAME, "fs.path.name", STR, KERNEL, SYSCALL, NONE, "for any event type that deals with a filesystem path, the path, fully resolved") \
	X(FS_PATH_NAMERAW, "fs.path.nameraw", STR, KERNEL, SYSCALL, NONE, "for any event type that deals with a filesystem path, the path as provided to the syscall") \
	X(FS_PATH_SOURCE, "fs.path.source", STR, KERNEL, SYSCALL, NONE, "for source/target operations like mv, cp, etc, the source path, fully resolved") \
	X(FS_PATH_SOURCERAW, "fs.path.sourceraw", STR, KERNEL, SYSCALL, NONE, "for source/target operations like mv, cp, etc, the source path as provided to the syscall") \
	X(FS_PATH_TARGET, "fs.path.target", STR, KERNEL, SYSCALL, NONE, "for source/target operations like mv, cp, etc, the target path, fully resolved") \
	X(FS_PATH_TARGETRAW, "fs.path.targetraw", STR, KERNEL, SYSCALL, NONE, "for source/target operations like mv, cp, etc, the target path as provided to the syscall") \
	X(CONTAINER_ID, "container.id", STR, KERNEL, SYSCALL, NONE, "the truncated container id (first 12 characters); 'host' outside containers") \
	X(CONTAINER_NAME, "container.name", STR, AGENT, SYSCALL, NONE, "the container name") \
	X(CONTAINER_IMAGE, "container.image", STR, AGENT, SYSCALL, NONE, "the container image name (e.g. falcosecurity/falco:latest for docker)") \
	X(CONTAINER_IMAGE_ID, "container.image.id", STR, AGENT, SYSCALL, NONE, "the container image id (e.g. 6f7e2741b66b)") \
	X(CONTAINER_TYPE, "container.type", STR, AGENT, SYSCALL, NONE, "the container type, e.g. docker, cri, containerd, cri-o") \
	X(CONTAINER_PRIVILEGED, "container.privileged", BOOL, AGENT, SYSCALL, NONE, "'true' for containers running as privileged, false otherwise") \
	X(CONTAINER_MOUNTS, "container.mounts", STR, AGENT, SYSCALL, NONE, "a list of mount information, each item <source>:<dest>:<mode>:<rdrw>:<propagation>") \
	X(CONTAINER_MOUNT, "container.mount", STR, AGENT, SYSCALL, KEY, "information about a single mount, by number (container.mount[0]) or mount source (glob)") \
	X(CONTAINER_MOUNT_SOURCE, "container.mount.source", STR, AGENT, SYSCALL, KEY, "the mount source, by number or mount destination (container.mount.source[/host/lib/modules])") \
	X(CONTAINER_MOUNT_DEST, "container.mount.dest", STR, AGENT, SYSCALL, KEY, "the mount destination, by number or mount source (container.mount.dest[/lib/modules])") \
	X(CONTAINER_MOUNT_MODE, "container.mount.mode", STR, AGENT, SYSCALL, KEY, "the mount mode, by number or mount source") \
	X(CONTAINER_MOUNT_RDWR, "container.mount.rdwr", STR, AGENT, SYSCALL, KEY, "the mount rdwr value, by number or mount source") \
	X(CONTAINER_MOUNT_PROPAGATION, "container.mount.propagation", STR, AGENT, SYSCALL, KEY, "the mount propagation value, by number or mount source") \
	X(CONTAINER_IMAGE_REPOSITORY, "container.image.repository", STR, AGENT, SYSCALL, NONE, "the container image repository (e.g. falcosecurity/falco)") \
	X(CONTAINER_IMAGE_TAG, "container.image.tag", STR, AGENT, SYSCALL, NONE, "the container image tag (e.g. stable, latest)") \
	X(CONTAINER_IMAGE_DIGEST, "container.image.digest", STR, AGENT, SYSCALL, NONE, "the container image registry digest (e.g. sha256:d977...)") \
	X(CONTAINER_HEALTHCHECK, "container.healthcheck", STR, AGENT, SYSCALL, NONE, "the container's health check command line; NONE if configured but not created") \
	X(CONTAINER_LIVENESS_PROBE, "container.liveness_probe", STR, AGENT, SYSCALL, NONE, "the container's liveness probe command line") \
	X(CONTAINER_READINESS_PROBE, "container.readiness_probe", STR, AGENT, SYSCALL, NONE, "the container's readiness probe command line") \
	X(CONTAINER_START_TS, "container.start_ts", U64, KERNEL, SYSCALL, NONE, "container start as epoch timestamp in nanoseconds, based on proc.pidns_init_start_ts") \
	X(CONTAINER_DURATION, "container.duration", U64, KERNEL, SYSCALL, NONE, "number of nanoseconds since container.start_ts") \
	X(CONTAINER_IP, "container.ip", STR, AGENT, SYSCALL, NONE, "the container's / pod's primary ip address as retrieved from the container engine") \
	X(CONTAINER_CNI_JSON, "container.cni.json", STR, AGENT, SYSCALL, NONE, "the container's / pod's CNI result field from the pod status info, as JSON") \
	X(CONTAINER_INFO, "container.info", STR, AGENT, SYSCALL, NONE, "output placeholder (Falco <= 0.31): the container fields chosen with -pc/-pk; not for conditions") \
	X(K8S_POD_NAME, "k8s.pod.name", STR, AGENT, SYSCALL, NONE, "Kubernetes pod name") \
	X(K8S_POD_ID, "k8s.pod.id", STR, AGENT, SYSCALL, NONE, "Kubernetes pod id") \
	X(K8S_POD_UID, "k8s.pod.uid", STR, AGENT, SYSCALL, NONE, "Kubernetes pod UID (the pod sandbox UID)") \
	X(K8S_POD_SANDBOX_ID, "k8s.pod.sandbox_id", STR, AGENT, SYSCALL, NONE, "truncated Kubernetes pod sandbox ID (first 12 characters)") \
	X(K8S_POD_FULL_SANDBOX_ID, "k8s.pod.full_sandbox_id", STR, AGENT, SYSCALL, NONE, "full, non-truncated Kubernetes pod sandbox ID") \
	X(K8S_POD_LABEL, "k8s.pod.label", STR, AGENT, SYSCALL, KEY, "Kubernetes pod label: k8s.pod.label[foo]") \
	X(K8S_POD_LABELS, "k8s.pod.labels", STR, AGENT, SYSCALL, NONE, "Kubernetes pod comma-separated key/value labels") \
	X(K8S_POD_IP, "k8s.pod.ip", STR, AGENT, SYSCALL, NONE, "Kubernetes pod ip, same as container.ip") \
	X(K8S_POD_CNI_JSON, "k8s.pod.cni.json", STR, AGENT, SYSCALL, NONE, "Kubernetes pod CNI result field from the pod status info, same as container.cni.json") \
	X(K8S_NS_NAME, "k8s.ns.name", STR, AGENT, SYSCALL, NONE, "Kubernetes namespace name") \
	X(K8S_NS_ID, "k8s.ns.id", STR, AGENT, SYSCALL, NONE, "Kubernetes namespace id") \
	X(K8S_NS_LABEL, "k8s.ns.label", STR, AGENT, SYSCALL, KEY, "Kubernetes namespace label: k8s.ns.label[foo]") \
	X(K8S_NS_LABELS, "k8s.ns.labels", STR, AGENT, SYSCALL, NONE, "Kubernetes namespace comma-separated key/value labels") \
	X(K8S_RC_NAME, "k8s.rc.name", STR, AGENT, SYSCALL, NONE, "Kubernetes replication controller name") \
	X(K8S_RC_ID, "k8s.rc.id", STR, AGENT, SYSCALL, NONE, "Kubernetes replication controller id") \
	X(K8S_RC_LABEL, "k8s.rc.label", STR, AGENT, SYSCALL, KEY, "Kubernetes replication controller label: k8s.rc.label[foo]") \
	X(K8S_RC_LABELS, "k8s.rc.labels", STR, AGENT, SYSCALL, NONE, "Kubernetes replication controller comma-separated key/value labels") \
	X(K8S_SVC_NAME, "k8s.svc.name", STR, AGENT, SYSCALL, NONE, "Kubernetes service name") \
	X(K8S_SVC_ID, "k8s.svc.id", STR, AGENT, SYSCALL, NONE, "Kubernetes service id") \
	X(K8S_SVC_LABEL, "k8s.svc.label", STR, AGENT, SYSCALL, KEY, "Kubernetes service label: k8s.svc.label[foo]") \
	X(K8S_SVC_LABELS, "k8s.svc.labels", STR, AGENT, SYSCALL, NONE, "Kubernetes service comma-separated key/value labels") \
	X(K8S_RS_NAME, "k8s.rs.name", STR, AGENT, SYSCALL, NONE, "Kubernetes replica set name") \
	X(K8S_RS_ID, "k8s.rs.id", STR, AGENT, SYSCALL, NONE, "Kubernetes replica set id") \
	X(K8S_RS_LABEL, "k8s.rs.label", STR, AGENT, SYSCALL, KEY, "Kubernetes replica set label: k8s.rs.label[foo]") \
	X(K8S_RS_LABELS, "k8s.rs.labels", STR, AGENT, SYSCALL, NONE, "Kubernetes replica set comma-separated key/value labels") \
	X(K8S_DEPLOYMENT_NAME, "k8s.deployment.name", STR, AGENT, SYSCALL, NONE, "Kubernetes deployment name") \
	X(K8S_DEPLOYMENT_ID, "k8s.deployment.id", STR, AGENT, SYSCALL, NONE, "Kubernetes deployment id") \
	X(K8S_DEPLOYMENT_LABEL, "k8s.deployment.label", STR, AGENT, SYSCALL, KEY, "Kubernetes deployment label: k8s.deployment.label[foo]") \
	X(K8S_DEPLOYMENT_LABELS, "k8s.deployment.labels", STR, AGENT, SYSCALL, NONE, "Kubernetes deployment comma-separated key/value labels") \
	X(KA_AUDITID, "ka.auditid", STR, AGENT, K8S_AUDIT, NONE, "the unique id of the audit event") \
	X(KA_STAGE, "ka.stage", STR, AGENT, K8S_AUDIT, NONE, "stage of the request (e.g. RequestReceived, ResponseComplete, etc.)") \
	X(KA_AUTH_DECISION, "ka.auth.decision", STR, AGENT, K8S_AUDIT, NONE, "the authorization decision") \
	X(KA_AUTH_REASON, "ka.auth.reason", STR, AGENT, K8S_AUDIT, NONE, "the authorization reason") \
	X(KA_AUTH_OPENSHIFT_DECISION, "ka.auth.openshift.decision", STR, AGENT, K8S_AUDIT, NONE, "the authentication decision of the openshift apiserver extension (openshift only)") \
	X(KA_AUTH_OPENSHIFT_USERNAME, "ka.auth.openshift.username", STR, AGENT, K8S_AUDIT, NONE, "the user name performing the openshift authentication operation (openshift only)") \
	X(KA_VALIDATIONS_ADMISSION_POLICY_FAILURE, "ka.validations.admission.policy.failure", STR, AGENT, K8S_AUDIT, NONE, "the validation failure reason from a Validation Admission Policy") \
	X(KA_SECURITY_POD_VIOLATIONS, "ka.security.pod.violations", STR, AGENT, K8S_AUDIT, NONE, "the violation reason for pod security policy") \
	X(KA_USER_NAME, "ka.user.name", STR, AGENT, K8S_AUDIT, NONE, "the user name performing the request") \
	X(KA_USER_GROUPS, "ka.user.groups", STRLIST, AGENT, K8S_AUDIT, NONE, "the groups to which the user belongs") \
	X(KA_IMPUSER_NAME, "ka.impuser.name", STR, AGENT, K8S_AUDIT, NONE, "the impersonated user name") \
	X(KA_URI, "ka.uri", STR, AGENT, K8S_AUDIT, NONE, "the request URI as sent from client to server") \
	X(KA_URI_PARAM, "ka.uri.param", STR, AGENT, K8S_AUDIT, KEY, "the value of a given query parameter in the uri (when uri=/foo?key=val, ka.uri.param[key] is val)") \
	X(KA_TARGET_NAME, "ka.target.name", STR, AGENT, K8S_AUDIT, NONE, "the target object name") \
	X(KA_TARGET_NAMESPACE, "ka.target.namespace", STR, AGENT, K8S_AUDIT, NONE, "the target object namespace") \
	X(KA_TARGET_RESOURCE, "ka.target.resource", STR, AGENT, K8S_AUDIT, NONE, "the target object resource") \
	X(KA_TARGET_SUBRESOURCE, "ka.target.subresource", STR, AGENT, K8S_AUDIT, NONE, "the target object subresource") \
	X(KA_TARGET_POD_NAME, "ka.target.pod.name", STR, AGENT, K8S_AUDIT, NONE, "the target pod name") \
	X(KA_REQ_BINDING_SUBJECTS, "ka.req.binding.subjects", STRLIST, AGENT, K8S_AUDIT, NONE, "when the request object refers to a cluster role binding, the subject (e.g. account/users) being linked") \
	X(KA_REQ_BINDING_SUBJECTS_USER_NAMES, "ka.req.binding.subjects.user_names", STRLIST, AGENT, K8S_AUDIT, NONE, "when the request object refers to a cluster role binding, the subject user names") \
	X(KA_REQ_BINDING_SUBJECTS_SERVICEACCOUNT_NAMES, "ka.req.binding.subjects.serviceaccount_names", STRLIST, AGENT, K8S_AUDIT, NONE, "when the request object refers to a cluster role binding, the subject service account names") \
	X(KA_REQ_BINDING_SUBJECTS_SERVICEACCOUNT_NS_NAMES, "ka.req.binding.subjects.serviceaccount_ns_names", STRLIST, AGENT, K8S_AUDIT, NONE, "when the request object refers to a cluster role binding, the subject namespace:serviceaccount names") \
	X(KA_REQ_BINDING_SUBJECTS_GROUP_NAMES, "ka.req.binding.subjects.group_names", STRLIST, AGENT, K8S_AUDIT, NONE, "when the request object refers to a cluster role binding, the subject group names") \
	X(KA_REQ_BINDING_ROLE, "ka.req.binding.role", STR, AGENT, K8S_AUDIT, NONE, "when the request object refers to a cluster role binding, the role being linked by the binding") \
	X(KA_REQ_BINDING_SUBJECT_HAS_NAME, "ka.req.binding.subject.has_name", STR, AGENT, K8S_AUDIT, KEY, "deprecated, always returns N/A; only provided for backwards compatibility") \
	X(KA_REQ_CONFIGMAP_NAME, "ka.req.configmap.name", STR, AGENT, K8S_AUDIT, NONE, "if the request object refers to a configmap, the configmap name") \
	X(KA_REQ_CONFIGMAP_OBJ, "ka.req.configmap.obj", STR, AGENT, K8S_AUDIT, NONE, "if the request object refers to a configmap, the entire configmap object") \
	X(KA_REQ_CONTAINER_IMAGE, "ka.req.container.image", STR, AGENT, K8S_AUDIT, NONE, "deprecated by ka.req.pod.containers.image; the image of the first container only") \
	X(KA_REQ_CONTAINER_IMAGE_REPOSITORY, "ka.req.container.image.repository", STR, AGENT, K8S_AUDIT, NONE, "deprecated by ka.req.pod.containers.image.repository; the repository of the first container only") \
	X(KA_REQ_CONTAINER_HOST_NETWORK, "ka.req.container.host_network", STR, AGENT, K8S_AUDIT, NONE, "deprecated alias for ka.req.pod.host_network") \
	X(KA_REQ_CONTAINER_PRIVILEGED, "ka.req.container.privileged", STR, AGENT, K8S_AUDIT, NONE, "deprecated by ka.req.pod.containers.privileged; true if any container has privileged=true") \
	X(KA_REQ_POD_HOST_IPC, "ka.req.pod.host_ipc", STR, AGENT, K8S_AUDIT, NONE, "when the request object refers to a pod, the value of the hostIPC flag") \
	X(KA_REQ_POD_HOST_NETWORK, "ka.req.pod.host_network", STR, AGENT, K8S_AUDIT, NONE, "when the request object refers to a pod, the value of the hostNetwork flag") \
	X(KA_REQ_POD_HOST_PID, "ka.req.pod.host_pid", STR, AGENT, K8S_AUDIT, NONE, "when the request object refers to a pod, the value of the hostPID flag") \
	X(KA_REQ_POD_RUN_AS_USER, "ka.req.pod.run_as_user", STR, AGENT, K8S_AUDIT, NONE, "when the request object refers to a pod, the runAsUser uid specified in the pod security context") \
	X(KA_REQ_POD_RUN_AS_GROUP, "ka.req.pod.run_as_group", STR, AGENT, K8S_AUDIT, NONE, "when the request object refers to a pod, the runAsGroup gid specified in the pod security context") \
	X(KA_REQ_POD_FS_GROUP, "ka.req.pod.fs_group", STR, AGENT, K8S_AUDIT, NONE, "when the request object refers to a pod, the fsGroup gid specified by the security context") \
	X(KA_REQ_POD_SUPPLEMENTAL_GROUPS, "ka.req.pod.supplemental_groups", STRLIST, AGENT, K8S_AUDIT, NONE, "when the request object refers to a pod, the supplementalGroup gids specified by the security context") \
	X(KA_REQ_POD_CONTAINERS_NAME, "ka.req.pod.containers.name", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the containers names") \
	X(KA_REQ_POD_CONTAINERS_IMAGE, "ka.req.pod.containers.image", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the containers images") \
	X(KA_REQ_POD_CONTAINERS_IMAGE_REPOSITORY, "ka.req.pod.containers.image.repository", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the containers images, only the repository part (e.g. falcosecurity/falco)") \
	X(KA_REQ_POD_CONTAINERS_COMMAND, "ka.req.pod.containers.command", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the containers commands") \
	X(KA_REQ_POD_CONTAINERS_ARGS, "ka.req.pod.containers.args", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the containers args") \
	X(KA_REQ_POD_CONTAINERS_HOST_PORT, "ka.req.pod.containers.host_port", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, all containers hostPort values") \
	X(KA_REQ_POD_CONTAINERS_PRIVILEGED, "ka.req.pod.containers.privileged", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the privileged flag of all containers") \
	X(KA_REQ_POD_CONTAINERS_ALLOW_PRIVILEGE_ESCALATION, "ka.req.pod.containers.allow_privilege_escalation", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the allowPrivilegeEscalation flag of all containers") \
	X(KA_REQ_POD_CONTAINERS_READ_ONLY_FS, "ka.req.pod.containers.read_only_fs", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the readOnlyRootFilesystem flag of all containers") \
	X(KA_REQ_POD_CONTAINERS_RUN_AS_USER, "ka.req.pod.containers.run_as_user", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the runAsUser uid of all containers") \
	X(KA_REQ_POD_CONTAINERS_EFF_RUN_AS_USER, "ka.req.pod.containers.eff_run_as_user", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the initial uid used by all containers (pod and container security contexts; 0 if none)") \
	X(KA_REQ_POD_CONTAINERS_RUN_AS_GROUP, "ka.req.pod.containers.run_as_group", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the runAsGroup gid of all containers") \
	X(KA_REQ_POD_CONTAINERS_EFF_RUN_AS_GROUP, "ka.req.pod.containers.eff_run_as_group", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the initial gid used by all containers (pod and container security contexts; 0 if none)") \
	X(KA_REQ_POD_CONTAINERS_PROC_MOUNT, "ka.req.pod.containers.proc_mount", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the procMount type of all containers") \
	X(KA_REQ_POD_CONTAINERS_ADD_CAPABILITIES, "ka.req.pod.containers.add_capabilities", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the capabilities added for all containers") \
	X(KA_REQ_POD_INITCONTAINERS_NAME, "ka.req.pod.initContainers.name", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the init containers names") \
	X(KA_REQ_POD_INITCONTAINERS_IMAGE, "ka.req.pod.initContainers.image", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the init containers images") \
	X(KA_REQ_POD_INITCONTAINERS_IMAGE_REPOSITORY, "ka.req.pod.initContainers.image.repository", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the init containers images, only the repository part (e.g. falcosecurity/falco)") \
	X(KA_REQ_POD_INITCONTAINERS_COMMAND, "ka.req.pod.initContainers.command", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the init containers commands") \
	X(KA_REQ_POD_INITCONTAINERS_ARGS, "ka.req.pod.initContainers.args", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the init containers args") \
	X(KA_REQ_POD_INITCONTAINERS_HOST_PORT, "ka.req.pod.initContainers.host_port", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, all init containers hostPort values") \
	X(KA_REQ_POD_INITCONTAINERS_PRIVILEGED, "ka.req.pod.initContainers.privileged", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the privileged flag of all init containers") \
	X(KA_REQ_POD_INITCONTAINERS_ALLOW_PRIVILEGE_ESCALATION, "ka.req.pod.initContainers.allow_privilege_escalation", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the allowPrivilegeEscalation flag of all init containers") \
	X(KA_REQ_POD_INITCONTAINERS_READ_ONLY_FS, "ka.req.pod.initContainers.read_only_fs", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the readOnlyRootFilesystem flag of all init containers") \
	X(KA_REQ_POD_INITCONTAINERS_RUN_AS_USER, "ka.req.pod.initContainers.run_as_user", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the runAsUser uid of all init containers") \
	X(KA_REQ_POD_INITCONTAINERS_EFF_RUN_AS_USER, "ka.req.pod.initContainers.eff_run_as_user", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the initial uid used by all init containers (pod and container security contexts; 0 if none)") \
	X(KA_REQ_POD_INITCONTAINERS_RUN_AS_GROUP, "ka.req.pod.initContainers.run_as_group", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the runAsGroup gid of all init containers") \
	X(KA_REQ_POD_INITCONTAINERS_EFF_RUN_AS_GROUP, "ka.req.pod.initContainers.eff_run_as_group", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the initial gid used by all init containers (pod and container security contexts; 0 if none)") \
	X(KA_REQ_POD_INITCONTAINERS_PROC_MOUNT, "ka.req.pod.initContainers.proc_mount", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the procMount type of all init containers") \
	X(KA_REQ_POD_INITCONTAINERS_ADD_CAPABILITIES, "ka.req.pod.initContainers.add_capabilities", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the capabilities added for all init containers") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_NAME, "ka.req.pod.ephemeralContainers.name", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the ephemeral containers names") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_IMAGE, "ka.req.pod.ephemeralContainers.image", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the ephemeral containers images") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_IMAGE_REPOSITORY, "ka.req.pod.ephemeralContainers.image.repository", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the ephemeral containers images, only the repository part (e.g. falcosecurity/falco)") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_COMMAND, "ka.req.pod.ephemeralContainers.command", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the ephemeral containers commands") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_ARGS, "ka.req.pod.ephemeralContainers.args", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the ephemeral containers args") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_PRIVILEGED, "ka.req.pod.ephemeralContainers.privileged", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the privileged flag of all ephemeral containers") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_ALLOW_PRIVILEGE_ESCALATION, "ka.req.pod.ephemeralContainers.allow_privilege_escalation", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the allowPrivilegeEscalation flag of all ephemeral containers") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_READ_ONLY_FS, "ka.req.pod.ephemeralContainers.read_only_fs", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the readOnlyRootFilesystem flag of all ephemeral containers") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_RUN_AS_USER, "ka.req.pod.ephemeralContainers.run_as_user", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the runAsUser uid of all ephemeral containers") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_EFF_RUN_AS_USER, "ka.req.pod.ephemeralContainers.eff_run_as_user", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the initial uid used by all ephemeral containers (pod and container security contexts; 0 if none)") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_RUN_AS_GROUP, "ka.req.pod.ephemeralContainers.run_as_group", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the runAsGroup gid of all ephemeral containers") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_EFF_RUN_AS_GROUP, "ka.req.pod.ephemeralContainers.eff_run_as_group", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the initial gid used by all ephemeral containers (pod and container security contexts; 0 if none)") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_PROC_MOUNT, "ka.req.pod.ephemeralContainers.proc_mount", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the procMount type of all ephemeral containers") \
	X(KA_REQ_POD_EPHEMERALCONTAINERS_ADD_CAPABILITIES, "ka.req.pod.ephemeralContainers.add_capabilities", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, the capabilities added for all ephemeral containers") \
	X(KA_REQ_ROLE_RULES, "ka.req.role.rules", STRLIST, AGENT, K8S_AUDIT, NONE, "when the request object refers to a role/cluster role, the rules associated with the role") \
	X(KA_REQ_ROLE_RULES_APIGROUPS, "ka.req.role.rules.apiGroups", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a role/cluster role, the api groups of the role's rules") \
	X(KA_REQ_ROLE_RULES_NONRESOURCEURLS, "ka.req.role.rules.nonResourceURLs", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a role/cluster role, the non resource urls of the role's rules") \
	X(KA_REQ_ROLE_RULES_VERBS, "ka.req.role.rules.verbs", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a role/cluster role, the verbs of the role's rules") \
	X(KA_REQ_ROLE_RULES_RESOURCES, "ka.req.role.rules.resources", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a role/cluster role, the resources of the role's rules") \
	X(KA_REQ_SERVICE_TYPE, "ka.req.service.type", STR, AGENT, K8S_AUDIT, NONE, "when the request object refers to a service, the service type") \
	X(KA_REQ_SERVICE_PORTS, "ka.req.service.ports", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a service, the service's ports") \
	X(KA_REQ_POD_VOLUMES_HOSTPATH, "ka.req.pod.volumes.hostpath", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, all hostPath paths specified for all volumes") \
	X(KA_REQ_POD_VOLUMES_FLEXVOLUME_DRIVER, "ka.req.pod.volumes.flexvolume_driver", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, all flexvolume drivers specified for all volumes") \
	X(KA_REQ_POD_VOLUMES_VOLUME_TYPE, "ka.req.pod.volumes.volume_type", STRLIST, AGENT, K8S_AUDIT, INDEX, "when the request object refers to a pod, all volume types for all volumes") \
	X(KA_REQ_VOLUME_HOSTPATH, "ka.req.volume.hostpath", STR, AGENT, K8S_AUDIT, KEY, "deprecated by ka.req.pod.volumes.hostpath; true if the given (host) path prefix is used by any volume") \
	X(KA_RESP_NAME, "ka.resp.name", STR, AGENT, K8S_AUDIT, NONE, "the response object name") \
	X(KA_RESPONSE_CODE, "ka.response.code", STR, AGENT, K8S_AUDIT, NONE, "the response code") \
	X(KA_RESPONSE_REASON, "ka.response.reason", STR, AGENT, K8S_AUDIT, NONE, "the response reason (usually present only for failures)") \
	X(KA_USERAGENT, "ka.useragent", STR, AGENT, K8S_AUDIT, NONE, "the useragent of the client who made the request to the apiserver") \
	X(KA_SOURCEIPS, "ka.sourceips", STRLIST, AGENT, K8S_AUDIT, INDEX, "the IP addresses of the client who made the request to the apiserver") \
	X(KA_CLUSTER_NAME, "ka.cluster.name", STR, AGENT, K8S_AUDIT, NONE, "the name of the k8s cluster") \
	X(JEVT_TIME, "jevt.time", STR, AGENT, K8S_AUDIT, NONE, "json event timestamp as a string that includes the nanosecond part") \
	X(JEVT_TIME_ISO8601, "jevt.time.iso8601", STR, AGENT, K8S_AUDIT, NONE, "json event timestamp in ISO 8601 format, including nanoseconds and time zone offset") \
	X(JEVT_RAWTIME, "jevt.rawtime", U64, AGENT, K8S_AUDIT, NONE, "absolute json event timestamp, i.e. nanoseconds from epoch") \
	X(JEVT_VALUE, "jevt.value", STR, AGENT, K8S_AUDIT, KEY, "a single property of the json object, by JSON pointer: jevt.value[/user/username]") \
	X(JEVT_OBJ, "jevt.obj", STR, AGENT, K8S_AUDIT, NONE, "the entire json object, stringified")

/* X(ID, "falco name") */
#define SHRIKE_EVENTS(X) \
	X(OPEN, "open") \
	X(OPENAT, "openat") \
	X(EXECVE, "execve") \
	X(OPENAT2, "openat2") \
	X(CREAT, "creat") \
	X(EXECVEAT, "execveat") \
	X(CONNECT, "connect") \
	X(ACCEPT, "accept") \
	X(ACCEPT4, "accept4") \
	X(BIND, "bind") \
	X(LISTEN, "listen") \
	X(SOCKET, "socket") \
	X(SENDTO, "sendto") \
	X(SENDMSG, "sendmsg") \
	X(RECVFROM, "recvfrom") \
	X(RECVMSG, "recvmsg") \
	X(UNLINK, "unlink") \
	X(UNLINKAT, "unlinkat") \
	X(RENAME, "rename") \
	X(RENAMEAT, "renameat") \
	X(RENAMEAT2, "renameat2") \
	X(MKDIR, "mkdir") \
	X(MKDIRAT, "mkdirat") \
	X(RMDIR, "rmdir") \
	X(CHMOD, "chmod") \
	X(FCHMOD, "fchmod") \
	X(FCHMODAT, "fchmodat") \
	X(SYMLINK, "symlink") \
	X(SYMLINKAT, "symlinkat") \
	X(LINK, "link") \
	X(LINKAT, "linkat") \
	X(SETUID, "setuid") \
	X(SETGID, "setgid") \
	X(SETRESUID, "setresuid") \
	X(SETRESGID, "setresgid") \
	X(SETNS, "setns") \
	X(UNSHARE, "unshare") \
	X(CLONE, "clone") \
	X(CLONE3, "clone3") \
	X(FORK, "fork") \
	X(VFORK, "vfork") \
	X(PTRACE, "ptrace") \
	X(MOUNT, "mount") \
	X(UMOUNT, "umount") \
	X(UMOUNT2, "umount2") \
	X(INIT_MODULE, "init_module") \
	X(FINIT_MODULE, "finit_module") \
	X(BPF, "bpf") \
	X(MEMFD_CREATE, "memfd_create") \
	X(USERFAULTFD, "userfaultfd") \
	X(DUP, "dup") \
	X(DUP2, "dup2") \
	X(DUP3, "dup3") \
	X(KILL, "kill") \
	X(TKILL, "tkill") \
	X(TGKILL, "tgkill") \
	X(READ, "read") \
	X(WRITE, "write") \
	X(PREAD, "pread") \
	X(PWRITE, "pwrite") \
	X(READV, "readv") \
	X(WRITEV, "writev") \
	X(CLOSE, "close") \
	X(CHDIR, "chdir") \
	X(FCHDIR, "fchdir") \
	X(CAPSET, "capset") \
	X(PRCTL, "prctl") \
	X(PIVOT_ROOT, "pivot_root") \
	X(CHROOT, "chroot") \
	X(MPROTECT, "mprotect") \
	X(MMAP, "mmap") \
	X(TRUNCATE, "truncate") \
	X(FTRUNCATE, "ftruncate") \
	X(IO_URING_SETUP, "io_uring_setup") \
	X(IOCTL, "ioctl") \
	X(FCNTL, "fcntl") \
	X(CONTAINER, "container") \
	X(PROCEXIT, "procexit") \
	X(K8S, "k8s") \
	X(MESOS, "mesos") \
	X(SIGNALDELIVER, "signaldeliver") \
	X(PAGE_FAULT, "page_fault") \
	X(SWITCH, "switch") \
	X(NOTIFICATION, "notification") \
	X(INFRA, "infra") \
	X(DROP, "drop") \
	X(CPU_HOTPLUG, "cpu_hotplug") \
	X(PROCINFO, "procinfo") \
	X(PLUGINEVENT, "pluginevent") \
	X(ASYNCEVENT, "asyncevent") \
	X(PREADV, "preadv") \
	X(PWRITEV, "pwritev") \
	X(SENDFILE, "sendfile") \
	X(SENDMMSG, "sendmmsg") \
	X(RECVMMSG, "recvmmsg") \
	X(SHUTDOWN, "shutdown") \
	X(SOCKETPAIR, "socketpair") \
	X(SETSOCKOPT, "setsockopt") \
	X(GETSOCKOPT, "getsockopt") \
	X(GETSOCKNAME, "getsockname") \
	X(GETPEERNAME, "getpeername") \
	X(PIPE, "pipe") \
	X(PIPE2, "pipe2") \
	X(EVENTFD, "eventfd") \
	X(EVENTFD2, "eventfd2") \
	X(SIGNALFD, "signalfd") \
	X(SIGNALFD4, "signalfd4") \
	X(INOTIFY_INIT, "inotify_init") \
	X(INOTIFY_INIT1, "inotify_init1") \
	X(TIMERFD_CREATE, "timerfd_create") \
	X(EPOLL_CREATE, "epoll_create") \
	X(EPOLL_CREATE1, "epoll_create1") \
	X(EPOLL_CTL, "epoll_ctl") \
	X(EPOLL_WAIT, "epoll_wait") \
	X(EPOLL_PWAIT, "epoll_pwait") \
	X(POLL, "poll") \
	X(PPOLL, "ppoll") \
	X(SELECT, "select") \
	X(PSELECT6, "pselect6") \
	X(FUTEX, "futex") \
	X(NANOSLEEP, "nanosleep") \
	X(CLOCK_NANOSLEEP, "clock_nanosleep") \
	X(STAT, "stat") \
	X(LSTAT, "lstat") \
	X(FSTAT, "fstat") \
	X(NEWFSTATAT, "newfstatat") \
	X(STATX, "statx") \
	X(STAT64, "stat64") \
	X(LSTAT64, "lstat64") \
	X(FSTAT64, "fstat64") \
	X(ACCESS, "access") \
	X(FACCESSAT, "faccessat") \
	X(FACCESSAT2, "faccessat2") \
	X(LSEEK, "lseek") \
	X(LLSEEK, "llseek") \
	X(GETDENTS, "getdents") \
	X(GETDENTS64, "getdents64") \
	X(CHOWN, "chown") \
	X(LCHOWN, "lchown") \
	X(FCHOWN, "fchown") \
	X(FCHOWNAT, "fchownat") \
	X(MKNOD, "mknod") \
	X(MKNODAT, "mknodat") \
	X(UTIMENSAT, "utimensat") \
	X(FUTIMESAT, "futimesat") \
	X(UTIMES, "utimes") \
	X(UTIME, "utime") \
	X(FLOCK, "flock") \
	X(FSYNC, "fsync") \
	X(FDATASYNC, "fdatasync") \
	X(SYNC, "sync") \
	X(SYNCFS, "syncfs") \
	X(SPLICE, "splice") \
	X(TEE, "tee") \
	X(VMSPLICE, "vmsplice") \
	X(COPY_FILE_RANGE, "copy_file_range") \
	X(OPEN_BY_HANDLE_AT, "open_by_handle_at") \
	X(NAME_TO_HANDLE_AT, "name_to_handle_at") \
	X(GETCWD, "getcwd") \
	X(STATFS, "statfs") \
	X(FSTATFS, "fstatfs") \
	X(BRK, "brk") \
	X(MUNMAP, "munmap") \
	X(MREMAP, "mremap") \
	X(MLOCK, "mlock") \
	X(MUNLOCK, "munlock") \
	X(MLOCKALL, "mlockall") \
	X(MUNLOCKALL, "munlockall") \
	X(MLOCK2, "mlock2") \
	X(MADVISE, "madvise") \
	X(MMAP2, "mmap2") \
	X(SETREUID, "setreuid") \
	X(SETREGID, "setregid") \
	X(SETFSUID, "setfsuid") \
	X(SETFSGID, "setfsgid") \
	X(SETPGID, "setpgid") \
	X(SETSID, "setsid") \
	X(GETSID, "getsid") \
	X(GETUID, "getuid") \
	X(GETEUID, "geteuid") \
	X(GETGID, "getgid") \
	X(GETEGID, "getegid") \
	X(GETRESUID, "getresuid") \
	X(GETRESGID, "getresgid") \
	X(SETGROUPS, "setgroups") \
	X(GETGROUPS, "getgroups") \
	X(CAPGET, "capget") \
	X(GETRLIMIT, "getrlimit") \
	X(SETRLIMIT, "setrlimit") \
	X(PRLIMIT, "prlimit") \
	X(GETPRIORITY, "getpriority") \
	X(SETPRIORITY, "setpriority") \
	X(EXIT, "exit") \
	X(EXIT_GROUP, "exit_group") \
	X(WAIT4, "wait4") \
	X(WAITID, "waitid") \
	X(SCHED_YIELD, "sched_yield") \
	X(SCHED_SETAFFINITY, "sched_setaffinity") \
	X(SCHED_GETAFFINITY, "sched_getaffinity") \
	X(SCHED_SETSCHEDULER, "sched_setscheduler") \
	X(SEMOP, "semop") \
	X(SEMGET, "semget") \
	X(SEMCTL, "semctl") \
	X(SEMTIMEDOP, "semtimedop") \
	X(MSGGET, "msgget") \
	X(MSGSND, "msgsnd") \
	X(MSGRCV, "msgrcv") \
	X(MSGCTL, "msgctl") \
	X(SHMGET, "shmget") \
	X(SHMAT, "shmat") \
	X(SHMDT, "shmdt") \
	X(SHMCTL, "shmctl") \
	X(DELETE_MODULE, "delete_module") \
	X(KEXEC_LOAD, "kexec_load") \
	X(KEXEC_FILE_LOAD, "kexec_file_load") \
	X(REBOOT, "reboot") \
	X(SWAPON, "swapon") \
	X(SWAPOFF, "swapoff") \
	X(ACCT, "acct") \
	X(QUOTACTL, "quotactl") \
	X(SETHOSTNAME, "sethostname") \
	X(SETDOMAINNAME, "setdomainname") \
	X(SECCOMP, "seccomp") \
	X(USELIB, "uselib") \
	X(PERSONALITY, "personality") \
	X(IOPL, "iopl") \
	X(IOPERM, "ioperm") \
	X(SYSLOG, "syslog") \
	X(SYSINFO, "sysinfo") \
	X(UNAME, "uname") \
	X(PROCESS_VM_READV, "process_vm_readv") \
	X(PROCESS_VM_WRITEV, "process_vm_writev") \
	X(PIDFD_OPEN, "pidfd_open") \
	X(PIDFD_GETFD, "pidfd_getfd") \
	X(PIDFD_SEND_SIGNAL, "pidfd_send_signal") \
	X(IO_URING_ENTER, "io_uring_enter") \
	X(IO_URING_REGISTER, "io_uring_register") \
	X(PERF_EVENT_OPEN, "perf_event_open") \
	X(ADD_KEY, "add_key") \
	X(REQUEST_KEY, "request_key") \
	X(KEYCTL, "keyctl") \
	X(FSOPEN, "fsopen") \
	X(FSCONFIG, "fsconfig") \
	X(FSMOUNT, "fsmount") \
	X(MOVE_MOUNT, "move_mount") \
	X(OPEN_TREE, "open_tree") \
	X(MOUNT_SETATTR, "mount_setattr") \
	X(LANDLOCK_CREATE_RULESET, "landlock_create_ruleset") \
	X(LANDLOCK_ADD_RULE, "landlock_add_rule") \
	X(LANDLOCK_RESTRICT_SELF, "landlock_restrict_self") \
	X(SETXATTR, "setxattr") \
	X(LSETXATTR, "lsetxattr") \
	X(FSETXATTR, "fsetxattr") \
	X(GETXATTR, "getxattr") \
	X(LGETXATTR, "lgetxattr") \
	X(FGETXATTR, "fgetxattr") \
	X(LISTXATTR, "listxattr") \
	X(LLISTXATTR, "llistxattr") \
	X(FLISTXATTR, "flistxattr") \
	X(REMOVEXATTR, "removexattr") \
	X(LREMOVEXATTR, "lremovexattr") \
	X(FREMOVEXATTR, "fremovexattr") \
	X(FANOTIFY_INIT, "fanotify_init") \
	X(FANOTIFY_MARK, "fanotify_mark") \
	X(INOTIFY_ADD_WATCH, "inotify_add_watch") \
	X(INOTIFY_RM_WATCH, "inotify_rm_watch") \
	X(TIMER_CREATE, "timer_create") \
	X(TIMER_SETTIME, "timer_settime") \
	X(TIMERFD_SETTIME, "timerfd_settime") \
	X(CLOCK_SETTIME, "clock_settime") \
	X(SETTIMEOFDAY, "settimeofday") \
	X(ADJTIMEX, "adjtimex") \
	X(RT_SIGACTION, "rt_sigaction") \
	X(RT_SIGPROCMASK, "rt_sigprocmask") \
	X(RT_SIGRETURN, "rt_sigreturn") \
	X(RT_SIGQUEUEINFO, "rt_sigqueueinfo") \
	X(RT_TGSIGQUEUEINFO, "rt_tgsigqueueinfo") \
	X(SIGALTSTACK, "sigaltstack") \
	X(PAUSE, "pause") \
	X(ALARM, "alarm") \
	X(ARCH_PRCTL, "arch_prctl") \
	X(SET_TID_ADDRESS, "set_tid_address") \
	X(SET_ROBUST_LIST, "set_robust_list") \
	X(GET_ROBUST_LIST, "get_robust_list") \
	X(MEMBARRIER, "membarrier") \
	X(RSEQ, "rseq") \
	X(MEMFD_SECRET, "memfd_secret") \
	X(PKEY_MPROTECT, "pkey_mprotect") \
	X(PKEY_ALLOC, "pkey_alloc") \
	X(PKEY_FREE, "pkey_free") \
	X(MBIND, "mbind") \
	X(SET_MEMPOLICY, "set_mempolicy") \
	X(GET_MEMPOLICY, "get_mempolicy") \
	X(MOVE_PAGES, "move_pages") \
	X(MIGRATE_PAGES, "migrate_pages") \
	X(VHANGUP, "vhangup")

#define SHRIKE_F_ENUM_(id, ...) SHRIKE_F_##id,
enum shrike_field {
	SHRIKE_FIELDS(SHRIKE_F_ENUM_)
	__SHRIKE_F_MAX,
};
#undef SHRIKE_F_ENUM_

#define SHRIKE_EVT_ENUM_(id, ...) SHRIKE_EVT_##id,
enum shrike_evtype {
	SHRIKE_EVENTS(SHRIKE_EVT_ENUM_)
	__SHRIKE_EVT_MAX,
};
#undef SHRIKE_EVT_ENUM_

#endif
