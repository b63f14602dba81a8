// SPDX-License-Identifier: GPL-2.0
/*
 * syscalls.c - the syscalls Shrike monitors, in the x86-64 and ia32 ABIs,
 * mapped to Falco's event types, and where each of Falco's parameters
 * (evt.arg.NAME) lives: a syscall argument or the return value. Here the
 * layouts and lookups; the tables from syscall number to layout, one per ABI,
 * are in syscall_tables.h, included below.
 *
 * Layouts are per syscall, not per event type, because one event can come
 * from syscalls that pass the same value differently (pread64 splits its
 * offset in two registers on ia32, old_mmap passes a struct). A parameter
 * that no single register holds is left out rather than read half.
 *
 * ia32 notes: socketcall(2) and ipc(2) multiplex several calls behind one
 * number and are not mapped; glibc uses the direct socket and SysV IPC
 * syscalls (Linux 4.3 and 5.1) where the kernel has them. Legacy 16-bit uid
 * calls map like their 32-bit twins (a -1 then reads 65535). x32 numbers
 * (__X32_SYSCALL_BIT) are out of range here and read as unmonitored.
 *
 * Parameter names and order follow Falco's event table (exit parameters
 * first for those Falco reads at exit). Where Falco has only a generic
 * event, the names are the syscall's own from its man page.
 */
#include <linux/kernel.h>
#include <linux/nospec.h>
#include <linux/string.h>
#include <asm/unistd.h>
#include "syscalls.h"
#include "uapi/shrike.h"

#define P(n, k, i)	{ .name = (n), .kind = SHRIKE_P_##k, .argi = (i) }
#define RES		P("res", RES, -1)
#define FD_RES		P("fd", FD, -1)

/*
 * One layout. The parameter count comes from the initializer itself; more
 * than SHRIKE_MAX_PARAMS fails the build ("excess elements"). Layouts only
 * an absent syscall number would use (fchmodat2 before 6.6) are not an error,
 * hence __maybe_unused.
 */
#define SC(id, ev, ...)							\
	static const struct shrike_sc id __maybe_unused = {		\
		.evt = SHRIKE_EVT_##ev,					\
		.nparams = sizeof((struct shrike_param[]){ __VA_ARGS__ }) /	\
			   sizeof(struct shrike_param),			\
		.params = { __VA_ARGS__ },				\
	}

/* ---- files ---------------------------------------------------------------- */
SC(sc_open, OPEN, FD_RES, P("name", PATH, 0), P("flags", OPEN_FLAGS, 1), P("mode", MODE, 2));
SC(sc_openat, OPENAT, FD_RES, P("dirfd", DIRFD, 0), P("name", PATH, 1),
	P("flags", OPEN_FLAGS, 2), P("mode", MODE, 3));
SC(sc_openat2, OPENAT2, FD_RES, P("dirfd", DIRFD, 0), P("name", PATH, 1),
	P("flags", OPEN_HOW_FLAGS, 2), P("mode", OPEN_HOW_MODE, 2),
	P("resolve", OPEN_HOW_RESOLVE, 2));
SC(sc_creat, CREAT, FD_RES, P("name", PATH, 0), P("mode", MODE, 1));
SC(sc_open_by_handle_at, OPEN_BY_HANDLE_AT, FD_RES, P("mountfd", FD, 0),
	P("flags", OPEN_FLAGS, 2));
SC(sc_name_to_handle_at, NAME_TO_HANDLE_AT, RES, P("dirfd", DIRFD, 0), P("name", PATH, 1),
	P("flags", FLAGS, 4));
SC(sc_close, CLOSE, RES, P("fd", FD, 0));
SC(sc_read, READ, RES, P("fd", FD, 0), P("size", UINT, 2));
SC(sc_write, WRITE, RES, P("fd", FD, 0), P("size", UINT, 2));
SC(sc_pread, PREAD, RES, P("fd", FD, 0), P("size", UINT, 2), P("pos", UINT, 3));
SC(sc_pwrite, PWRITE, RES, P("fd", FD, 0), P("size", UINT, 2), P("pos", UINT, 3));
/* ia32: the offset is split over two registers. */
SC(sc_pread_ia32, PREAD, RES, P("fd", FD, 0), P("size", UINT, 2));
SC(sc_pwrite_ia32, PWRITE, RES, P("fd", FD, 0), P("size", UINT, 2));
SC(sc_readv, READV, RES, P("fd", FD, 0));
SC(sc_writev, WRITEV, RES, P("fd", FD, 0));
/* x86-64 passes the whole offset in pos_l; ia32 splits it. */
SC(sc_preadv, PREADV, RES, P("fd", FD, 0), P("pos", UINT, 3));
SC(sc_pwritev, PWRITEV, RES, P("fd", FD, 0), P("pos", UINT, 3));
SC(sc_preadv_ia32, PREADV, RES, P("fd", FD, 0));
SC(sc_pwritev_ia32, PWRITEV, RES, P("fd", FD, 0));
SC(sc_sendfile, SENDFILE, RES, P("out_fd", FD, 0), P("in_fd", FD, 1), P("size", UINT, 3));
SC(sc_lseek, LSEEK, RES, P("fd", FD, 0), P("offset", UINT, 1), P("whence", INT, 2));
/* _llseek(fd, offset_high, offset_low, result, whence) */
SC(sc_llseek, LLSEEK, RES, P("fd", FD, 0), P("whence", INT, 4));
SC(sc_ioctl, IOCTL, RES, P("fd", FD, 0), P("request", UINT, 1), P("argument", UINT, 2));
SC(sc_fcntl, FCNTL, RES, P("fd", FD, 0), P("cmd", INT, 1));
SC(sc_dup, DUP, RES, P("fd", FD, 0), P("oldfd", FD, 0));
SC(sc_dup2, DUP2, RES, P("fd", FD, 0), P("oldfd", FD, 0), P("newfd", FD, 1));
SC(sc_dup3, DUP3, RES, P("fd", FD, 0), P("oldfd", FD, 0), P("newfd", FD, 1),
	P("flags", OPEN_FLAGS, 2));
SC(sc_unlink, UNLINK, RES, P("path", PATH, 0));
SC(sc_unlinkat, UNLINKAT, RES, P("dirfd", DIRFD, 0), P("name", PATH, 1), P("flags", FLAGS, 2));
SC(sc_rename, RENAME, RES, P("oldpath", PATH, 0), P("newpath", PATH, 1));
SC(sc_renameat, RENAMEAT, RES, P("olddirfd", DIRFD, 0), P("oldpath", PATH, 1),
	P("newdirfd", DIRFD, 2), P("newpath", PATH, 3));
SC(sc_renameat2, RENAMEAT2, RES, P("olddirfd", DIRFD, 0), P("oldpath", PATH, 1),
	P("newdirfd", DIRFD, 2), P("newpath", PATH, 3), P("flags", FLAGS, 4));
SC(sc_mkdir, MKDIR, RES, P("path", PATH, 0), P("mode", MODE, 1));
SC(sc_mkdirat, MKDIRAT, RES, P("dirfd", DIRFD, 0), P("path", PATH, 1), P("mode", MODE, 2));
SC(sc_rmdir, RMDIR, RES, P("path", PATH, 0));
SC(sc_chmod, CHMOD, RES, P("filename", PATH, 0), P("mode", MODE, 1));
SC(sc_fchmod, FCHMOD, RES, P("fd", FD, 0), P("mode", MODE, 1));
SC(sc_fchmodat, FCHMODAT, RES, P("dirfd", DIRFD, 0), P("filename", PATH, 1), P("mode", MODE, 2));
/*
 * fchmodat2 (6.6) is fchmodat with flags; glibc uses it for
 * AT_SYMLINK_NOFOLLOW. Falco does not know it: reporting it as fchmodat keeps
 * rules on evt.type=fchmodat from missing a permission change.
 */
SC(sc_fchmodat2, FCHMODAT, RES, P("dirfd", DIRFD, 0), P("filename", PATH, 1), P("mode", MODE, 2),
	P("flags", FLAGS, 3));
SC(sc_symlink, SYMLINK, RES, P("target", STR, 0), P("linkpath", PATH, 1));
SC(sc_symlinkat, SYMLINKAT, RES, P("target", STR, 0), P("linkdirfd", DIRFD, 1),
	P("linkpath", PATH, 2));
SC(sc_link, LINK, RES, P("oldpath", PATH, 0), P("newpath", PATH, 1));
SC(sc_linkat, LINKAT, RES, P("olddir", DIRFD, 0), P("oldpath", PATH, 1), P("newdir", DIRFD, 2),
	P("newpath", PATH, 3), P("flags", FLAGS, 4));
SC(sc_chdir, CHDIR, RES, P("path", PATH, 0));
SC(sc_fchdir, FCHDIR, RES, P("fd", FD, 0));
SC(sc_chroot, CHROOT, RES, P("path", PATH, 0));
SC(sc_pivot_root, PIVOT_ROOT, RES, P("new_root", PATH, 0), P("put_old", PATH, 1));
SC(sc_truncate, TRUNCATE, RES, P("path", PATH, 0), P("length", UINT, 1));
SC(sc_ftruncate, FTRUNCATE, RES, P("fd", FD, 0), P("length", UINT, 1));
/* ia32 truncate64/ftruncate64: the length is split over two registers. */
SC(sc_truncate64, TRUNCATE, RES, P("path", PATH, 0));
SC(sc_ftruncate64, FTRUNCATE, RES, P("fd", FD, 0));
SC(sc_stat, STAT, RES, P("path", PATH, 0));
SC(sc_lstat, LSTAT, RES, P("path", PATH, 0));
SC(sc_fstat, FSTAT, RES, P("fd", FD, 0));
SC(sc_stat64, STAT64, RES, P("path", PATH, 0));
SC(sc_lstat64, LSTAT64, RES, P("path", PATH, 0));
SC(sc_fstat64, FSTAT64, RES, P("fd", FD, 0));
/* Also ia32 fstatat64, same arguments. */
SC(sc_newfstatat, NEWFSTATAT, RES, P("dirfd", DIRFD, 0), P("path", PATH, 1), P("flags", FLAGS, 3));
SC(sc_statx, STATX, RES, P("dirfd", DIRFD, 0), P("path", PATH, 1), P("flags", FLAGS, 2),
	P("mask", UINT, 3));
SC(sc_access, ACCESS, RES, P("name", PATH, 0), P("mode", FLAGS, 1));
SC(sc_faccessat, FACCESSAT, RES, P("dirfd", DIRFD, 0), P("pathname", PATH, 1),
	P("mode", FLAGS, 2));
SC(sc_faccessat2, FACCESSAT2, RES, P("dirfd", DIRFD, 0), P("pathname", PATH, 1),
	P("mode", FLAGS, 2), P("flags", FLAGS, 3));
SC(sc_getdents, GETDENTS, RES, P("fd", FD, 0));
SC(sc_getdents64, GETDENTS64, RES, P("fd", FD, 0));
SC(sc_chown, CHOWN, RES, P("path", PATH, 0), P("uid", UID, 1), P("gid", GID, 2));
SC(sc_lchown, LCHOWN, RES, P("path", PATH, 0), P("uid", UID, 1), P("gid", GID, 2));
SC(sc_fchown, FCHOWN, RES, P("fd", FD, 0), P("uid", UID, 1), P("gid", GID, 2));
SC(sc_fchownat, FCHOWNAT, RES, P("dirfd", DIRFD, 0), P("pathname", PATH, 1), P("uid", UID, 2),
	P("gid", GID, 3), P("flags", FLAGS, 4));
SC(sc_mknod, MKNOD, RES, P("path", PATH, 0), P("mode", MODE, 1), P("dev", UINT, 2));
SC(sc_mknodat, MKNODAT, RES, P("dirfd", DIRFD, 0), P("path", PATH, 1), P("mode", MODE, 2),
	P("dev", UINT, 3));
SC(sc_utimensat, UTIMENSAT, RES, P("dirfd", DIRFD, 0), P("pathname", PATH, 1),
	P("flags", FLAGS, 3));
SC(sc_futimesat, FUTIMESAT, RES, P("dirfd", DIRFD, 0), P("pathname", PATH, 1));
SC(sc_utimes, UTIMES, RES, P("filename", PATH, 0));
SC(sc_utime, UTIME, RES, P("filename", PATH, 0));
SC(sc_flock, FLOCK, RES, P("fd", FD, 0), P("operation", FLAGS, 1));
SC(sc_fsync, FSYNC, RES, P("fd", FD, 0));
SC(sc_fdatasync, FDATASYNC, RES, P("fd", FD, 0));
SC(sc_sync, SYNC, RES);
SC(sc_syncfs, SYNCFS, RES, P("fd", FD, 0));
SC(sc_splice, SPLICE, RES, P("fd_in", FD, 0), P("fd_out", FD, 2), P("size", UINT, 4),
	P("flags", FLAGS, 5));
SC(sc_tee, TEE, RES, P("fd_in", FD, 0), P("fd_out", FD, 1), P("size", UINT, 2),
	P("flags", FLAGS, 3));
SC(sc_vmsplice, VMSPLICE, RES, P("fd", FD, 0), P("flags", FLAGS, 3));
SC(sc_copy_file_range, COPY_FILE_RANGE, RES, P("fdin", FD, 0), P("fdout", FD, 2),
	P("len", UINT, 4));
SC(sc_getcwd, GETCWD, RES);
/* Also ia32 statfs64/fstatfs64(path or fd, size, buf). */
SC(sc_statfs, STATFS, RES, P("path", PATH, 0));
SC(sc_fstatfs, FSTATFS, RES, P("fd", FD, 0));
SC(sc_mount, MOUNT, RES, P("dev", STR, 0), P("dir", PATH, 1), P("type", STR, 2),
	P("flags", FLAGS, 3));
/* ia32 umount(name) is oldumount: no flags. */
SC(sc_umount, UMOUNT, RES, P("name", PATH, 0));
SC(sc_umount2, UMOUNT2, RES, P("name", PATH, 0), P("flags", FLAGS, 1));
SC(sc_quotactl, QUOTACTL, RES, P("cmd", INT, 0), P("special", PATH, 1), P("id", UINT, 2));
SC(sc_swapon, SWAPON, RES, P("path", PATH, 0), P("flags", FLAGS, 1));
SC(sc_swapoff, SWAPOFF, RES, P("path", PATH, 0));
SC(sc_acct, ACCT, RES, P("filename", PATH, 0));
SC(sc_fsopen, FSOPEN, RES, P("fs_name", STR, 0), P("flags", FLAGS, 1));
SC(sc_fsconfig, FSCONFIG, RES, P("fd", FD, 0), P("cmd", INT, 1), P("key", STR, 2),
	P("aux", INT, 4));
SC(sc_fsmount, FSMOUNT, RES, P("fs_fd", FD, 0), P("flags", FLAGS, 1), P("attr_flags", FLAGS, 2));
SC(sc_move_mount, MOVE_MOUNT, RES, P("from_dirfd", DIRFD, 0), P("from_pathname", PATH, 1),
	P("to_dirfd", DIRFD, 2), P("to_pathname", PATH, 3), P("flags", FLAGS, 4));
SC(sc_open_tree, OPEN_TREE, RES, P("dirfd", DIRFD, 0), P("pathname", PATH, 1),
	P("flags", FLAGS, 2));
SC(sc_mount_setattr, MOUNT_SETATTR, RES, P("dirfd", DIRFD, 0), P("pathname", PATH, 1),
	P("flags", FLAGS, 2));
SC(sc_setxattr, SETXATTR, RES, P("path", PATH, 0), P("name", STR, 1), P("size", UINT, 3),
	P("flags", FLAGS, 4));
SC(sc_lsetxattr, LSETXATTR, RES, P("path", PATH, 0), P("name", STR, 1), P("size", UINT, 3),
	P("flags", FLAGS, 4));
SC(sc_fsetxattr, FSETXATTR, RES, P("fd", FD, 0), P("name", STR, 1), P("size", UINT, 3),
	P("flags", FLAGS, 4));
SC(sc_getxattr, GETXATTR, RES, P("path", PATH, 0), P("name", STR, 1), P("size", UINT, 3));
SC(sc_lgetxattr, LGETXATTR, RES, P("path", PATH, 0), P("name", STR, 1), P("size", UINT, 3));
SC(sc_fgetxattr, FGETXATTR, RES, P("fd", FD, 0), P("name", STR, 1), P("size", UINT, 3));
SC(sc_listxattr, LISTXATTR, RES, P("path", PATH, 0), P("size", UINT, 2));
SC(sc_llistxattr, LLISTXATTR, RES, P("path", PATH, 0), P("size", UINT, 2));
SC(sc_flistxattr, FLISTXATTR, RES, P("fd", FD, 0), P("size", UINT, 2));
SC(sc_removexattr, REMOVEXATTR, RES, P("path", PATH, 0), P("name", STR, 1));
SC(sc_lremovexattr, LREMOVEXATTR, RES, P("path", PATH, 0), P("name", STR, 1));
SC(sc_fremovexattr, FREMOVEXATTR, RES, P("fd", FD, 0), P("name", STR, 1));
SC(sc_inotify_init, INOTIFY_INIT, RES);
SC(sc_inotify_init1, INOTIFY_INIT1, RES, P("flags", OPEN_FLAGS, 0));
SC(sc_inotify_add_watch, INOTIFY_ADD_WATCH, RES, P("fd", FD, 0), P("pathname", PATH, 1),
	P("mask", FLAGS, 2));
SC(sc_inotify_rm_watch, INOTIFY_RM_WATCH, RES, P("fd", FD, 0), P("wd", INT, 1));
SC(sc_fanotify_init, FANOTIFY_INIT, RES, P("flags", FLAGS, 0), P("event_f_flags", OPEN_FLAGS, 1));
SC(sc_fanotify_mark, FANOTIFY_MARK, RES, P("fanotify_fd", FD, 0), P("flags", FLAGS, 1),
	P("mask", FLAGS, 2), P("dirfd", DIRFD, 3), P("pathname", PATH, 4));
/* ia32: the 64-bit mask takes two registers, shifting dirfd and pathname. */
SC(sc_fanotify_mark_ia32, FANOTIFY_MARK, RES, P("fanotify_fd", FD, 0), P("flags", FLAGS, 1),
	P("dirfd", DIRFD, 4), P("pathname", PATH, 5));

/* ---- network and IPC -------------------------------------------------------- */
SC(sc_socket, SOCKET, FD_RES, P("domain", SOCK_FAMILY, 0), P("type", UINT, 1),
	P("proto", UINT, 2));
SC(sc_socketpair, SOCKETPAIR, RES, P("domain", SOCK_FAMILY, 0), P("type", UINT, 1),
	P("proto", UINT, 2));
SC(sc_connect, CONNECT, RES, P("fd", FD, 0), P("addr", SOCKADDR, 1));
SC(sc_bind, BIND, RES, P("fd", FD, 0), P("addr", SOCKADDR, 1));
SC(sc_listen, LISTEN, RES, P("fd", FD, 0), P("backlog", INT, 1));
/* The peer address is written back at exit with its length behind a pointer. */
SC(sc_accept, ACCEPT, FD_RES);
SC(sc_accept4, ACCEPT4, FD_RES, P("flags", FLAGS, 3));
SC(sc_shutdown, SHUTDOWN, RES, P("fd", FD, 0), P("how", INT, 1));
SC(sc_sendto, SENDTO, RES, P("fd", FD, 0), P("size", UINT, 2));
SC(sc_sendmsg, SENDMSG, RES, P("fd", FD, 0));
SC(sc_recvfrom, RECVFROM, RES, P("fd", FD, 0), P("size", UINT, 2));
SC(sc_recvmsg, RECVMSG, RES, P("fd", FD, 0));
SC(sc_sendmmsg, SENDMMSG, RES, P("fd", FD, 0));
SC(sc_recvmmsg, RECVMMSG, RES, P("fd", FD, 0));
SC(sc_setsockopt, SETSOCKOPT, RES, P("fd", FD, 0), P("level", INT, 1), P("optname", INT, 2),
	P("optlen", UINT, 4));
SC(sc_getsockopt, GETSOCKOPT, RES, P("fd", FD, 0), P("level", INT, 1), P("optname", INT, 2));
SC(sc_getsockname, GETSOCKNAME, RES, P("fd", FD, 0));
SC(sc_getpeername, GETPEERNAME, RES, P("fd", FD, 0));
SC(sc_pipe, PIPE, RES);
SC(sc_pipe2, PIPE2, RES, P("flags", OPEN_FLAGS, 1));
SC(sc_eventfd, EVENTFD, RES, P("initval", UINT, 0));
SC(sc_eventfd2, EVENTFD2, RES, P("initval", UINT, 0), P("flags", OPEN_FLAGS, 1));
SC(sc_signalfd, SIGNALFD, RES, P("fd", FD, 0));
SC(sc_signalfd4, SIGNALFD4, RES, P("fd", FD, 0), P("flags", FLAGS, 3));
SC(sc_timerfd_create, TIMERFD_CREATE, RES, P("clockid", INT, 0), P("flags", FLAGS, 1));
SC(sc_timerfd_settime, TIMERFD_SETTIME, RES, P("fd", FD, 0), P("flags", FLAGS, 1));
SC(sc_epoll_create, EPOLL_CREATE, RES, P("size", INT, 0));
SC(sc_epoll_create1, EPOLL_CREATE1, RES, P("flags", FLAGS, 0));
SC(sc_epoll_ctl, EPOLL_CTL, RES, P("epfd", FD, 0), P("op", INT, 1), P("fd", FD, 2));
SC(sc_epoll_wait, EPOLL_WAIT, RES, P("maxevents", INT, 2), P("epfd", FD, 0),
	P("timeout", INT, 3));
SC(sc_epoll_pwait, EPOLL_PWAIT, RES, P("maxevents", INT, 2), P("epfd", FD, 0),
	P("timeout", INT, 3));
SC(sc_poll, POLL, RES, P("nfds", UINT, 1), P("timeout", INT, 2));
SC(sc_ppoll, PPOLL, RES, P("nfds", UINT, 1));
SC(sc_select, SELECT, RES, P("n", INT, 0));
/* ia32 select is old_select: one pointer to a struct of the arguments. */
SC(sc_old_select, SELECT, RES);
SC(sc_pselect6, PSELECT6, RES, P("n", INT, 0));
SC(sc_futex, FUTEX, RES, P("addr", UINT, 0), P("op", INT, 1), P("val", UINT, 2));
SC(sc_semop, SEMOP, RES, P("semid", INT, 0), P("nsops", UINT, 2));
SC(sc_semtimedop, SEMTIMEDOP, RES, P("semid", INT, 0), P("nsops", UINT, 2));
SC(sc_semget, SEMGET, RES, P("key", INT, 0), P("nsems", INT, 1), P("semflg", FLAGS, 2));
SC(sc_semctl, SEMCTL, RES, P("semid", INT, 0), P("semnum", INT, 1), P("cmd", INT, 2),
	P("val", INT, 3));
SC(sc_msgget, MSGGET, RES, P("key", INT, 0), P("msgflg", FLAGS, 1));
SC(sc_msgsnd, MSGSND, RES, P("msqid", INT, 0), P("msgsz", UINT, 2), P("msgflg", FLAGS, 3));
SC(sc_msgrcv, MSGRCV, RES, P("msqid", INT, 0), P("msgsz", UINT, 2), P("msgtyp", INT, 3),
	P("msgflg", FLAGS, 4));
SC(sc_msgctl, MSGCTL, RES, P("msqid", INT, 0), P("cmd", INT, 1));
SC(sc_shmget, SHMGET, RES, P("key", INT, 0), P("size", UINT, 1), P("shmflg", FLAGS, 2));
SC(sc_shmat, SHMAT, RES, P("shmid", INT, 0), P("shmaddr", UINT, 1), P("shmflg", FLAGS, 2));
SC(sc_shmdt, SHMDT, RES, P("shmaddr", UINT, 0));
SC(sc_shmctl, SHMCTL, RES, P("shmid", INT, 0), P("cmd", INT, 1));

/* ---- processes ----------------------------------------------------------------- */
/*
 * The argument pointers of execve point into the old image: they are only
 * valid at entry and after a failed exec.
 */
SC(sc_execve, EXECVE, RES, P("filename", PATH, 0), P("args", ARGV, 1));
SC(sc_execveat, EXECVEAT, RES, P("dirfd", DIRFD, 0), P("pathname", PATH, 1), P("args", ARGV, 2),
	P("flags", FLAGS, 4));
/* flags comes first in both ABIs; the later arguments differ in order. */
SC(sc_clone, CLONE, RES, P("flags", CLONE_FLAGS, 0));
SC(sc_clone3, CLONE3, RES, P("flags", CLONE_ARGS_FLAGS, 0));
SC(sc_fork, FORK, RES);
SC(sc_vfork, VFORK, RES);
SC(sc_exit, EXIT, P("code", INT, 0));
SC(sc_exit_group, EXIT_GROUP, P("code", INT, 0));
SC(sc_wait4, WAIT4, RES, P("pid", PID, 0), P("options", FLAGS, 2));
SC(sc_waitid, WAITID, RES, P("which", INT, 0), P("pid", PID, 1), P("options", FLAGS, 3));
SC(sc_kill, KILL, RES, P("pid", PID, 0), P("sig", SIGNAL, 1));
SC(sc_tkill, TKILL, RES, P("tid", PID, 0), P("sig", SIGNAL, 1));
SC(sc_tgkill, TGKILL, RES, P("pid", PID, 0), P("tid", PID, 1), P("sig", SIGNAL, 2));
SC(sc_pidfd_open, PIDFD_OPEN, FD_RES, P("pid", PID, 0), P("flags", FLAGS, 1));
SC(sc_pidfd_getfd, PIDFD_GETFD, FD_RES, P("pid_fd", FD, 0), P("target_fd", FD, 1),
	P("flags", FLAGS, 2));
SC(sc_pidfd_send_signal, PIDFD_SEND_SIGNAL, RES, P("pidfd", FD, 0), P("sig", SIGNAL, 1),
	P("flags", FLAGS, 3));
SC(sc_ptrace, PTRACE, RES, P("request", PTRACE_REQ, 0), P("pid", PID, 1), P("addr", UINT, 2),
	P("data", UINT, 3));
SC(sc_process_vm_readv, PROCESS_VM_READV, RES, P("pid", PID, 0), P("liovcnt", UINT, 2),
	P("riovcnt", UINT, 4), P("flags", FLAGS, 5));
SC(sc_process_vm_writev, PROCESS_VM_WRITEV, RES, P("pid", PID, 0), P("liovcnt", UINT, 2),
	P("riovcnt", UINT, 4), P("flags", FLAGS, 5));
SC(sc_setns, SETNS, RES, P("fd", FD, 0), P("nstype", NS_TYPE, 1));
SC(sc_unshare, UNSHARE, RES, P("flags", NS_TYPE, 0));
/*
 * arg2_str is only meaningful for PR_SET_NAME/PR_GET_NAME, as in Falco;
 * for other options the read fails (MISSING) or finds unrelated bytes.
 */
SC(sc_prctl, PRCTL, RES, P("option", INT, 0), P("arg2_str", STR, 1), P("arg2_int", INT, 1));
SC(sc_arch_prctl, ARCH_PRCTL, RES, P("option", INT, 0), P("arg2", UINT, 1));
SC(sc_seccomp, SECCOMP, RES, P("op", UINT, 0), P("flags", FLAGS, 1));
SC(sc_personality, PERSONALITY, RES, P("persona", UINT, 0));
SC(sc_setpgid, SETPGID, RES, P("pid", PID, 0), P("pgid", PID, 1));
SC(sc_setsid, SETSID, RES);
SC(sc_getsid, GETSID, RES, P("pid", PID, 0));
SC(sc_getpriority, GETPRIORITY, RES, P("which", INT, 0), P("who", INT, 1));
SC(sc_setpriority, SETPRIORITY, RES, P("which", INT, 0), P("who", INT, 1), P("prio", INT, 2));
SC(sc_getrlimit, GETRLIMIT, RES, P("resource", INT, 0));
SC(sc_setrlimit, SETRLIMIT, RES, P("resource", INT, 0));
SC(sc_prlimit, PRLIMIT, RES, P("pid", PID, 0), P("resource", INT, 1));
SC(sc_sched_yield, SCHED_YIELD, RES);
SC(sc_sched_setaffinity, SCHED_SETAFFINITY, RES, P("pid", PID, 0));
SC(sc_sched_getaffinity, SCHED_GETAFFINITY, RES, P("pid", PID, 0));
SC(sc_sched_setscheduler, SCHED_SETSCHEDULER, RES, P("pid", PID, 0), P("policy", INT, 1));
SC(sc_rt_sigaction, RT_SIGACTION, RES, P("sig", SIGNAL, 0));
SC(sc_rt_sigprocmask, RT_SIGPROCMASK, RES, P("how", INT, 0));
SC(sc_rt_sigreturn, RT_SIGRETURN, RES);
SC(sc_rt_sigqueueinfo, RT_SIGQUEUEINFO, RES, P("pid", PID, 0), P("sig", SIGNAL, 1));
SC(sc_rt_tgsigqueueinfo, RT_TGSIGQUEUEINFO, RES, P("pid", PID, 0), P("tid", PID, 1),
	P("sig", SIGNAL, 2));
SC(sc_sigaltstack, SIGALTSTACK, RES);
SC(sc_pause, PAUSE, RES);
SC(sc_alarm, ALARM, RES, P("seconds", UINT, 0));
SC(sc_set_tid_address, SET_TID_ADDRESS, RES, P("tidptr", UINT, 0));
SC(sc_set_robust_list, SET_ROBUST_LIST, RES, P("head", UINT, 0), P("len", UINT, 1));
SC(sc_get_robust_list, GET_ROBUST_LIST, RES, P("pid", PID, 0));
SC(sc_rseq, RSEQ, RES, P("rseq", UINT, 0), P("len", UINT, 1), P("flags", FLAGS, 2),
	P("sig", UINT, 3));
SC(sc_membarrier, MEMBARRIER, RES, P("cmd", INT, 0), P("flags", FLAGS, 1));
SC(sc_nanosleep, NANOSLEEP, RES);
SC(sc_clock_nanosleep, CLOCK_NANOSLEEP, RES, P("clockid", INT, 0), P("flags", FLAGS, 1));
SC(sc_timer_create, TIMER_CREATE, RES, P("clockid", INT, 0));
SC(sc_timer_settime, TIMER_SETTIME, RES, P("timerid", INT, 0), P("flags", FLAGS, 1));
SC(sc_clock_settime, CLOCK_SETTIME, RES, P("clockid", INT, 0));
SC(sc_settimeofday, SETTIMEOFDAY, RES);
SC(sc_adjtimex, ADJTIMEX, RES);

/* ---- credentials ---------------------------------------------------------------- */
SC(sc_setuid, SETUID, RES, P("uid", UID, 0));
SC(sc_setgid, SETGID, RES, P("gid", GID, 0));
SC(sc_setreuid, SETREUID, RES, P("ruid", UID, 0), P("euid", UID, 1));
SC(sc_setregid, SETREGID, RES, P("rgid", GID, 0), P("egid", GID, 1));
SC(sc_setresuid, SETRESUID, RES, P("ruid", UID, 0), P("euid", UID, 1), P("suid", UID, 2));
SC(sc_setresgid, SETRESGID, RES, P("rgid", GID, 0), P("egid", GID, 1), P("sgid", GID, 2));
SC(sc_setfsuid, SETFSUID, RES, P("fsuid", UID, 0));
SC(sc_setfsgid, SETFSGID, RES, P("fsgid", GID, 0));
/* Falco names the return value of the get*id calls after the id. */
SC(sc_getuid, GETUID, P("uid", UID, -1));
SC(sc_geteuid, GETEUID, P("euid", UID, -1));
SC(sc_getgid, GETGID, P("gid", GID, -1));
SC(sc_getegid, GETEGID, P("egid", GID, -1));
SC(sc_getresuid, GETRESUID, RES);
SC(sc_getresgid, GETRESGID, RES);
SC(sc_setgroups, SETGROUPS, RES, P("size", INT, 0));
SC(sc_getgroups, GETGROUPS, RES, P("size", INT, 0));
/* Falco reports the resulting capability sets, which are not arguments. */
SC(sc_capset, CAPSET, RES);
SC(sc_capget, CAPGET, RES);

/* ---- memory ----------------------------------------------------------------------- */
SC(sc_brk, BRK, RES, P("addr", UINT, 0));
SC(sc_mmap, MMAP, RES, P("addr", UINT, 0), P("length", UINT, 1), P("prot", FLAGS, 2),
	P("flags", FLAGS, 3), P("fd", FD, 4), P("offset", UINT, 5));
/* ia32 mmap is old_mmap: one pointer to a struct of the arguments. */
SC(sc_old_mmap, MMAP, RES);
SC(sc_mmap2, MMAP2, RES, P("addr", UINT, 0), P("length", UINT, 1), P("prot", FLAGS, 2),
	P("flags", FLAGS, 3), P("fd", FD, 4), P("pgoffset", UINT, 5));
SC(sc_munmap, MUNMAP, RES, P("addr", UINT, 0), P("length", UINT, 1));
SC(sc_mremap, MREMAP, RES, P("addr", UINT, 0), P("old_len", UINT, 1), P("new_len", UINT, 2),
	P("flags", FLAGS, 3), P("new_addr", UINT, 4));
SC(sc_mprotect, MPROTECT, RES, P("addr", UINT, 0), P("length", UINT, 1), P("prot", FLAGS, 2));
SC(sc_pkey_mprotect, PKEY_MPROTECT, RES, P("addr", UINT, 0), P("length", UINT, 1),
	P("prot", FLAGS, 2), P("pkey", INT, 3));
SC(sc_pkey_alloc, PKEY_ALLOC, RES, P("flags", FLAGS, 0), P("init_val", UINT, 1));
SC(sc_pkey_free, PKEY_FREE, RES, P("pkey", INT, 0));
SC(sc_mlock, MLOCK, RES, P("addr", UINT, 0), P("len", UINT, 1));
SC(sc_munlock, MUNLOCK, RES, P("addr", UINT, 0), P("len", UINT, 1));
SC(sc_mlock2, MLOCK2, RES, P("addr", UINT, 0), P("len", UINT, 1), P("flags", FLAGS, 2));
SC(sc_mlockall, MLOCKALL, RES, P("flags", FLAGS, 0));
SC(sc_munlockall, MUNLOCKALL, RES);
SC(sc_madvise, MADVISE, RES, P("addr", UINT, 0), P("length", UINT, 1), P("advice", INT, 2));
SC(sc_mbind, MBIND, RES, P("addr", UINT, 0), P("length", UINT, 1), P("mode", INT, 2),
	P("flags", FLAGS, 5));
SC(sc_set_mempolicy, SET_MEMPOLICY, RES, P("mode", INT, 0));
SC(sc_get_mempolicy, GET_MEMPOLICY, RES, P("addr", UINT, 3), P("flags", FLAGS, 4));
SC(sc_move_pages, MOVE_PAGES, RES, P("pid", PID, 0), P("nr_pages", UINT, 1),
	P("flags", FLAGS, 5));
SC(sc_migrate_pages, MIGRATE_PAGES, RES, P("pid", PID, 0));
SC(sc_memfd_create, MEMFD_CREATE, FD_RES, P("name", STR, 0), P("flags", FLAGS, 1));
SC(sc_memfd_secret, MEMFD_SECRET, RES, P("flags", FLAGS, 0));
SC(sc_userfaultfd, USERFAULTFD, RES, P("flags", OPEN_FLAGS, 0));

/* ---- system ----------------------------------------------------------------------- */
SC(sc_init_module, INIT_MODULE, RES, P("length", UINT, 1), P("uargs", STR, 2));
SC(sc_finit_module, FINIT_MODULE, RES, P("fd", FD, 0), P("uargs", STR, 1), P("flags", FLAGS, 2));
SC(sc_delete_module, DELETE_MODULE, RES, P("name", STR, 0), P("flags", FLAGS, 1));
SC(sc_kexec_load, KEXEC_LOAD, RES, P("entry", UINT, 0), P("nr_segments", UINT, 1),
	P("flags", FLAGS, 3));
SC(sc_kexec_file_load, KEXEC_FILE_LOAD, RES, P("kernel_fd", FD, 0), P("initrd_fd", FD, 1),
	P("cmdline", STR, 3), P("flags", FLAGS, 4));
/* bpf returns an fd for most commands; Falco names the result "fd". */
SC(sc_bpf, BPF, FD_RES, P("cmd", INT, 0));
SC(sc_perf_event_open, PERF_EVENT_OPEN, FD_RES, P("pid", PID, 1), P("cpu", INT, 2),
	P("group_fd", FD, 3), P("flags", FLAGS, 4));
SC(sc_io_uring_setup, IO_URING_SETUP, RES, P("entries", UINT, 0));
SC(sc_io_uring_enter, IO_URING_ENTER, RES, P("fd", FD, 0), P("to_submit", UINT, 1),
	P("min_complete", UINT, 2), P("flags", FLAGS, 3));
SC(sc_io_uring_register, IO_URING_REGISTER, RES, P("fd", FD, 0), P("opcode", UINT, 1),
	P("arg", UINT, 2), P("nr_args", UINT, 3));
SC(sc_reboot, REBOOT, RES, P("cmd", UINT, 2));
SC(sc_sethostname, SETHOSTNAME, RES, P("name", STR, 0), P("len", UINT, 1));
SC(sc_setdomainname, SETDOMAINNAME, RES, P("name", STR, 0), P("len", UINT, 1));
SC(sc_uselib, USELIB, RES, P("library", PATH, 0));
SC(sc_iopl, IOPL, RES, P("level", UINT, 0));
SC(sc_ioperm, IOPERM, RES, P("from", UINT, 0), P("num", UINT, 1), P("on", INT, 2));
SC(sc_syslog, SYSLOG, RES, P("type", INT, 0), P("len", INT, 2));
SC(sc_sysinfo, SYSINFO, RES);
SC(sc_uname, UNAME, RES);
SC(sc_vhangup, VHANGUP, RES);
SC(sc_add_key, ADD_KEY, RES, P("type", STR, 0), P("description", STR, 1), P("plen", UINT, 3),
	P("keyring", INT, 4));
SC(sc_request_key, REQUEST_KEY, RES, P("type", STR, 0), P("description", STR, 1),
	P("callout_info", STR, 2), P("keyring", INT, 3));
SC(sc_keyctl, KEYCTL, RES, P("option", INT, 0), P("arg2", UINT, 1));
SC(sc_landlock_create_ruleset, LANDLOCK_CREATE_RULESET, RES, P("size", UINT, 1),
	P("flags", FLAGS, 2));
SC(sc_landlock_add_rule, LANDLOCK_ADD_RULE, RES, P("ruleset_fd", FD, 0), P("rule_type", INT, 1),
	P("flags", FLAGS, 3));
SC(sc_landlock_restrict_self, LANDLOCK_RESTRICT_SELF, RES, P("ruleset_fd", FD, 0),
	P("flags", FLAGS, 1));

/* sc_x64[] and sc_ia32[], pointing to the layouts above. */
#include "syscall_tables.h"

const struct shrike_sc *shrike_syscall_lookup(unsigned int nr, bool compat)
{
	/* nr comes from user registers: no speculative out-of-bounds load. */
	if (compat) {
		if (nr >= ARRAY_SIZE(sc_ia32))
			return NULL;
		return sc_ia32[array_index_nospec(nr, ARRAY_SIZE(sc_ia32))];
	}
	if (nr >= ARRAY_SIZE(sc_x64))
		return NULL;
	return sc_x64[array_index_nospec(nr, ARRAY_SIZE(sc_x64))];
}

void shrike_syscalls_of_evt(u16 evt, void (*fn)(unsigned int nr, bool compat, void *data),
			    void *data)
{
	unsigned int nr;

	for (nr = 0; nr < ARRAY_SIZE(sc_x64); nr++)
		if (sc_x64[nr] && sc_x64[nr]->evt == evt)
			fn(nr, false, data);
	for (nr = 0; nr < ARRAY_SIZE(sc_ia32); nr++)
		if (sc_ia32[nr] && sc_ia32[nr]->evt == evt)
			fn(nr, true, data);
}

const struct shrike_param *shrike_param_lookup(const struct shrike_sc *sc, const char *name,
					       u32 len)
{
	unsigned int i;

	if (!sc)
		return NULL;
	for (i = 0; i < sc->nparams; i++) {
		const char *p = sc->params[i].name;

		/* name is not NUL-terminated: compare lengths first. */
		if (strnlen(p, len + 1) == len && !memcmp(p, name, len))
			return &sc->params[i];
	}
	return NULL;
}
