// SPDX-License-Identifier: GPL-2.0
/*
 * fd.c - the fd family: the fd of the event (its argument, or the one an
 * fd-creating call returned) as Falco's fd table would have it: number,
 * type, name, directory and file name, inode and device; and for sockets
 * the family, role (client or server), L4 protocol, addresses, ports and
 * the client-first tuple Falco uses as the name.
 */
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kdev_t.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <uapi/linux/magic.h>
#include "fields.h"

enum { ROLE_NONE, ROLE_CLIENT, ROLE_SERVER };
enum { FK_NONE, FK_FILE, FK_DIR, FK_SOCK, FK_OTHER };

struct fdx {
	int rc;			/* MISSING: the event has no fd; UNKNOWN: unreadable */
	int num_rc;
	s64 num;
	bool null;		/* no fd behind it (entry or failure of a creator) */
	u8 kind;		/* FK_* */
	char tc;		/* typechar, 0: UNKNOWN */
	char tcs[2];		/* tc as a string */
	const char *type;	/* fd.type, NULL: see type_rc */
	int type_rc;
	struct xstr name;
	struct xstr nameraw;
	int inode_rc;
	bool inode_lazy;	/* open family: fget for fd.ino/dev only when asked */
	u64 ino;
	dev_t dev;
	/* sockets */
	u8 fam;			/* 4, 6; 0 otherwise */
	u8 role;
	const char *l4;
	int sockfamily_rc;
	const char *sockfamily;
	int connected;		/* -1 UNKNOWN */
	u8 lip[16], rip[16];
	u16 lport, rport;
};

/*
 * Falco's typechar for an fd-creating event without an fd (entry, or
 * failed), from the event type alone.
 */
static char null_typechar(u16 evt)
{
	switch (evt) {
	case SHRIKE_EVT_OPEN:
	case SHRIKE_EVT_OPENAT:
	case SHRIKE_EVT_OPENAT2:
	case SHRIKE_EVT_CREAT:
		return 'f';
	case SHRIKE_EVT_SOCKET:
	case SHRIKE_EVT_ACCEPT:
	case SHRIKE_EVT_ACCEPT4:
		return '4';
	case SHRIKE_EVT_PIPE:
	case SHRIKE_EVT_PIPE2:
		return 'p';
	case SHRIKE_EVT_EVENTFD:
	case SHRIKE_EVT_EVENTFD2:
		return 'e';
	case SHRIKE_EVT_SIGNALFD:
	case SHRIKE_EVT_SIGNALFD4:
		return 's';
	case SHRIKE_EVT_TIMERFD_CREATE:
		return 't';
	case SHRIKE_EVT_INOTIFY_INIT:
	case SHRIKE_EVT_INOTIFY_INIT1:
		return 'i';
	}
	return 'o';
}

static void fd_set_type(struct fdx *f, u8 kind, char tc, const char *type)
{
	f->kind = kind;
	f->tc = tc;
	f->type = type;
	f->type_rc = type ? OK : UNKNOWN;
}

static const struct {
	const char *dname;
	char tc;
	const char *type;
} anon_types[] = {
	{ "[eventfd]", 'e', "event" }, { "[signalfd]", 's', "signalfd" },
	{ "[eventpoll]", 'l', "eventpoll" }, { "inotify", 'i', "inotify" },
	{ "[timerfd]", 't', "timerfd" }, { "[userfaultfd]", 'u', "userfaultfd" },
	{ "[io_uring]", 'r', "io_uring" }, { "[pidfd]", 'P', "pidfd" },
	{ "bpf-map", 'b', "bpf" }, { "bpf-prog", 'b', "bpf" }, { "bpf_link", 'b', "bpf" },
};

/*
 * User sockaddr of connect/sendto: the remote end when the socket does
 * not have it (a failed connect resets inet_dport).
 */
static bool user_sockaddr_v4(struct shrike_event *ev, struct fdx *f)
{
	const struct shrike_param *p = param_by_kind(ev->sc, SHRIKE_P_SOCKADDR, 0);
	struct sockaddr_in sin;

	if (!p || p->argi < 0 || p->argi + 1 >= 6 || ev->args[p->argi + 1] < sizeof(sin) ||
	    copy_from_user_nofault(&sin, (const void __user *)arg_of(ev, p), sizeof(sin)) ||
	    sin.sin_family != AF_INET)
		return false;
	memcpy(f->rip, &sin.sin_addr, 4);
	f->rport = ntohs(sin.sin_port);
	return true;
}

/*
 * An IPv6 address as glibc's inet_ntop() writes it, which is what libsinsp
 * prints: lowercase hex groups without leading zeros, the first longest
 * run of two or more zero groups as "::", and the last 32 bits dotted only
 * for "::a.b.c.d" and "::ffff:a.b.c.d". (The kernel's %pI6c differs there
 * and for ISATAP addresses.) buf holds IP6_STR_MAX.
 */
#define IP6_STR_MAX	48	/* INET6_ADDRSTRLEN */
static u32 ip6_str(char *buf, const u8 *a)
{
	int best = -1, blen = 0, cur = -1, clen = 0, i;
	u16 w[8];
	u32 n = 0;

	for (i = 0; i < 8; i++)
		w[i] = a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i < 8; i++) {
		if (!w[i]) {
			if (cur < 0)
				cur = i, clen = 0;
			clen++;
			if (clen > blen)
				best = cur, blen = clen;
		} else {
			cur = -1;
		}
	}
	if (blen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + blen) {
			if (i == best)
				buf[n++] = ':';
			continue;
		}
		if (i)
			buf[n++] = ':';
		if (i == 6 && best == 0 && (blen == 6 || (blen == 5 && w[5] == 0xffff))) {
			n += scnprintf(buf + n, IP6_STR_MAX - n, "%pI4", a + 12);
			return n;
		}
		n += scnprintf(buf + n, IP6_STR_MAX - n, "%x", w[i]);
	}
	if (best >= 0 && best + blen == 8)
		buf[n++] = ':';
	buf[n] = 0;
	return n;
}

/* Falco's tuple: always client first, "1.2.3.4:5->6.7.8.9:10", IPv6 alike. */
static void sock_name(struct shrike_event *ev, struct fdx *f)
{
	const u8 *c, *s;
	u16 cp, sp;
	char *buf, cs[IP6_STR_MAX], ss[IP6_STR_MAX];
	u32 size = 2 * IP6_STR_MAX + 16;

	f->name.rc = UNKNOWN;
	if (!f->fam || f->role == ROLE_NONE)
		return;
	if (f->role == ROLE_CLIENT) {
		c = f->lip;
		cp = f->lport;
		s = f->rip;
		sp = f->rport;
	} else {
		c = f->rip;
		cp = f->rport;
		s = f->lip;
		sp = f->lport;
	}
	buf = shrike_scratch_alloc(ev, size);
	if (!buf)
		return;
	if (f->fam == 4) {
		f->name.len = scnprintf(buf, size, "%pI4:%u->%pI4:%u", c, cp, s, sp);
	} else {
		ip6_str(cs, c);
		ip6_str(ss, s);
		f->name.len = scnprintf(buf, size, "%s:%u->%s:%u", cs, cp, ss, sp);
	}
	scratch_shrink(ev, buf, size, f->name.len + 1);
	f->name.p = buf;
	f->name.rc = OK;
}

/*
 * The role Falco gave a connected TCP socket when it saw the connect()
 * (client) or the accept() (server) that made it, for the events after
 * those (dup2 onto stdin, read, write). The kernel keeps no flag for it,
 * but the two leave different traces: an accepted socket is a clone of its
 * listener, with the listener's accept backlog (sk_max_ack_backlog, 0 on a
 * socket that never listened) and never SOCK_BINDPORT_LOCK (sk_clone_lock
 * clears it), which a client bound to a port of its choice has. A client
 * without that lock got its port from connect() or bind(0): one of the
 * ephemeral range. Anything else (a child of a listen(fd, 0) listener, a
 * client whose per-socket port range lies outside the namespace's) is
 * left UNKNOWN. UDP's role in Falco follows its first send or receive,
 * which the kernel does not record: UNKNOWN outside connect.
 */
static u8 infer_role(struct sock *sk, const struct fdx *f)
{
	int low, high;

	if (sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM || !f->rport)
		return ROLE_NONE;
	switch (READ_ONCE(sk->sk_state)) {
	case TCP_LISTEN:
		return ROLE_NONE;
	case TCP_SYN_SENT:
		return ROLE_CLIENT;
	}
	if (sk->sk_userlocks & SOCK_BINDPORT_LOCK)
		return ROLE_CLIENT;
	if (READ_ONCE(sk->sk_max_ack_backlog))
		return ROLE_SERVER;
	inet_get_local_port_range(sock_net(sk), &low, &high);
	if (f->lport >= low && f->lport <= high)
		return ROLE_CLIENT;
	return ROLE_NONE;
}

static void fill_socket(struct shrike_event *ev, struct fdx *f, struct file *file)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? sock->sk : NULL;
	struct inet_sock *inet;

	f->kind = FK_SOCK;
	f->sockfamily_rc = UNKNOWN;
	if (!sk)
		return;
	switch (sk->sk_family) {
	case AF_UNIX:
		fd_set_type(f, FK_SOCK, 'u', "unix");
		f->sockfamily = "unix";
		f->sockfamily_rc = OK;
		return;
	case AF_NETLINK:
		fd_set_type(f, FK_SOCK, 'n', "netlink");
		f->sockfamily_rc = MISSING;
		return;
	case AF_INET:
		fd_set_type(f, FK_SOCK, '4', "ipv4");
		f->fam = 4;
		break;
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		/* Falco turns v4-mapped IPv6 sockets into IPv4 ones. */
		if (ipv6_addr_v4mapped(&sk->sk_v6_daddr) ||
		    ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
			return;
		fd_set_type(f, FK_SOCK, '6', "ipv6");
		f->fam = 6;
		break;
#endif
	default:
		fd_set_type(f, FK_SOCK, 'o', NULL);
		f->sockfamily_rc = MISSING;
		return;
	}
	f->sockfamily = "ip";
	f->sockfamily_rc = OK;
	inet = inet_sk(sk);
	if (f->fam == 4) {
		__be32 l = inet->inet_rcv_saddr ? inet->inet_rcv_saddr : inet->inet_saddr;

		memcpy(f->lip, &l, 4);
		memcpy(f->rip, &inet->inet_daddr, 4);
	}
#if IS_ENABLED(CONFIG_IPV6)
	else {
		memcpy(f->lip, &sk->sk_v6_rcv_saddr, 16);
		memcpy(f->rip, &sk->sk_v6_daddr, 16);
	}
#endif
	f->lport = ntohs(inet->inet_sport);
	f->rport = ntohs(inet->inet_dport);
	if (sk->sk_type == SOCK_RAW)
		f->l4 = "raw";
	else if (sk->sk_protocol == IPPROTO_TCP)
		f->l4 = "tcp";
	else if (sk->sk_protocol == IPPROTO_UDP)
		f->l4 = "udp";
	else if (sk->sk_protocol == IPPROTO_ICMP || sk->sk_protocol == IPPROTO_ICMPV6)
		f->l4 = "icmp";

	f->connected = -1;
	if (is_exit(ev) && ev->evt == SHRIKE_EVT_CONNECT) {
		f->connected = ev->ret == 0;
		/*
		 * A refused or failed connect has already been disconnected
		 * (local address and ports reset) and Falco keeps no tuple
		 * for it: only success and EINPROGRESS have a client role.
		 */
		f->role = ev->ret == 0 || ev->ret == -EINPROGRESS ? ROLE_CLIENT : ROLE_NONE;
		if (f->role && !f->rport && !(f->fam == 4 && user_sockaddr_v4(ev, f)))
			f->role = ROLE_NONE;
	} else if (is_exit(ev) && (ev->evt == SHRIKE_EVT_ACCEPT || ev->evt == SHRIKE_EVT_ACCEPT4) &&
		   ev->ret >= 0) {
		f->role = ROLE_SERVER;
		f->connected = 1;
	} else if (ev->evt != SHRIKE_EVT_CONNECT && ev->evt != SHRIKE_EVT_ACCEPT &&
		   ev->evt != SHRIKE_EVT_ACCEPT4) {
		/* Falco marked it connected at that connect or accept. */
		f->role = infer_role(sk, f);
		if (f->role != ROLE_NONE)
			f->connected = 1;
	}
	sock_name(ev, f);
}

static void fill_from_file(struct shrike_event *ev, struct fdx *f, struct file *file)
{
	struct inode *inode = file_inode(file);
	umode_t mode = inode->i_mode;
	const struct qstr *dn = &file->f_path.dentry->d_name;
	u32 i;

	f->name.rc = UNKNOWN;
	f->nameraw.rc = UNKNOWN;
	f->sockfamily_rc = MISSING;
	f->connected = -1;
	f->type_rc = UNKNOWN;
	if (S_ISSOCK(mode)) {
		fill_socket(ev, f, file);
		return;
	}
	if (S_ISDIR(mode)) {
		/*
		 * Falco types a directory by the O_DIRECTORY it was opened
		 * with (its /proc scan by S_ISDIR): only that case agrees.
		 */
		if (file->f_flags & O_DIRECTORY)
			fd_set_type(f, FK_DIR, 'd', "directory");
	} else if (S_ISREG(mode) || S_ISCHR(mode) || S_ISBLK(mode) || S_ISLNK(mode)) {
		/*
		 * memfd_create() fds are 'm' in Falco, the same file reopened
		 * through /proc is 'f': ambiguous.
		 */
		if (!starts_with(dn->name, dn->len, "memfd:"))
			fd_set_type(f, FK_FILE, 'f', "file");
	} else if (S_ISFIFO(mode)) {
		if (inode->i_sb->s_magic == PIPEFS_MAGIC)
			fd_set_type(f, FK_OTHER, 'p', "pipe");
	} else if (inode->i_sb->s_magic == ANON_INODE_FS_MAGIC) {
		for (i = 0; i < ARRAY_SIZE(anon_types); i++)
			if (dn->len == strlen(anon_types[i].dname) &&
			    !memcmp(dn->name, anon_types[i].dname, dn->len))
				fd_set_type(f, FK_OTHER, anon_types[i].tc, anon_types[i].type);
	}
	if (f->kind == FK_FILE || f->kind == FK_DIR) {
		/*
		 * Falco names the file by the path it was opened with; d_path
		 * agrees unless that went through a symlink (documented), and
		 * never for a deleted file.
		 */
		if (shrike_dpath(ev, &file->f_path, &f->name) == OK &&
		    ends_with(f->name.p, f->name.len, " (deleted)"))
			f->name.rc = UNKNOWN;
		f->ino = inode->i_ino;
		f->dev = inode->i_sb->s_dev;
		f->inode_rc = OK;
	} else {
		f->inode_rc = UNKNOWN;
	}
}

/* The open family at exit: Falco types and names the fd from the call. */
static void fill_open(struct shrike_event *ev, struct fdx *f)
{
	struct openx *o = shrike_open_info(ev);
	struct pathx *px = shrike_path_info(ev, 0);

	f->sockfamily_rc = MISSING;
	f->connected = -1;
	f->type_rc = UNKNOWN;
	if (o && o->rc == OK) {
		if (o->ppm & PPM_O_DIRECTORY)
			fd_set_type(f, FK_DIR, 'd', "directory");
		else
			fd_set_type(f, FK_FILE, 'f', "file");
	}
	f->name.rc = f->nameraw.rc = UNKNOWN;
	if (px && px->rc == OK) {
		f->name = px->abs;
		f->nameraw = px->raw;
		if (strnstr(px->raw.p, "//", px->raw.len))
			f->nameraw.rc = UNKNOWN;
	}
	f->inode_rc = UNKNOWN;
	f->inode_lazy = true;
}

/* fd.ino and fd.dev of an opened fd: the file looked up the first time. */
static int fd_inode(struct fdx *f)
{
	struct file *file;

	if (f->inode_lazy) {
		f->inode_lazy = false;
		file = fget_raw(f->num);
		if (file) {
			f->ino = file_inode(file)->i_ino;
			f->dev = file_inode(file)->i_sb->s_dev;
			f->inode_rc = OK;
			fput(file);
		}
	}
	return f->inode_rc;
}

static bool creates_fd(const struct shrike_event *ev)
{
	const struct shrike_sc *sc = ev->sc;
	int i;

	if (is_open_family(ev->evt) || ev->evt == SHRIKE_EVT_DUP ||
	    ev->evt == SHRIKE_EVT_DUP2 || ev->evt == SHRIKE_EVT_DUP3)
		return true;
	for (i = 0; sc && i < sc->nparams && i < SHRIKE_MAX_PARAMS; i++)
		if (sc->params[i].argi == -1 && sc->params[i].kind == SHRIKE_P_FD)
			return true;
	return false;
}

/* Falco's view of a creator event without an fd: entry, or a failure. */
static void fill_null(struct shrike_event *ev, struct fdx *f)
{
	struct pathx *px;

	f->null = true;
	f->kind = FK_NONE;
	f->tc = null_typechar(ev->evt);
	/* On entry only these certainly have no fd entry yet in Falco. */
	if (!is_exit(ev) && !is_open_family(ev->evt) && ev->evt != SHRIKE_EVT_SOCKET)
		f->tc = 0;
	f->type_rc = MISSING;
	f->inode_rc = MISSING;
	f->sockfamily_rc = MISSING;
	f->connected = -1;
	f->name.rc = f->nameraw.rc = MISSING;
	if (!is_exit(ev))
		return;
	/* Falco still names a failed open from its arguments. */
	if (is_open_family(ev->evt)) {
		px = shrike_path_info(ev, 0);
		f->name.rc = f->nameraw.rc = UNKNOWN;
		if (px && px->rc == OK) {
			f->name = px->abs;
			f->nameraw = px->raw;
			if (strnstr(px->raw.p, "//", px->raw.len))
				f->nameraw.rc = UNKNOWN;
		}
	} else {
		f->name.rc = f->nameraw.rc = UNKNOWN;
	}
}

/*
 * The fd is looked up with fget_raw(): it takes a reference under RCU and
 * never sleeps, and the matching fput() defers the final release to task
 * work. Everything needed from the file is copied out before the fput, so
 * nothing of it is held across fetches.
 */
static struct fdx *fd_info(struct shrike_event *ev)
{
	struct fdx *f = cached(ev, C_FD);
	const struct shrike_param *p;
	struct file *file;

	if (f)
		return f;
	f = cache_new(ev, C_FD, sizeof(*f));
	if (!f)
		return NULL;
	f->rc = UNKNOWN;
	if (!ev->sc)
		return f;
	/* Two fds and a 0 result: which one Falco reports is not known. */
	if (ev->evt == SHRIKE_EVT_PIPE || ev->evt == SHRIKE_EVT_PIPE2 ||
	    ev->evt == SHRIKE_EVT_SOCKETPAIR)
		return f;
	if (creates_fd(ev)) {
		f->rc = OK;
		if (!is_exit(ev)) {
			f->num_rc = UNKNOWN;
			fill_null(ev, f);
			return f;
		}
		f->num = ev->ret;
		f->num_rc = OK;
		if (ev->ret < 0) {
			fill_null(ev, f);
			return f;
		}
		/* Falco names and types an opened fd from the call: no file. */
		if (is_open_family(ev->evt)) {
			fill_open(ev, f);
			return f;
		}
		file = fget_raw(ev->ret);
		if (!file) {
			f->rc = UNKNOWN;	/* already closed by another thread */
			return f;
		}
		fill_from_file(ev, f, file);
		fput(file);
		return f;
	}
	p = param_by_kind(ev->sc, SHRIKE_P_FD, 0);
	if (!p || p->argi < 0) {
		f->rc = MISSING;
		return f;
	}
	f->num = (int)arg_of(ev, p);
	f->num_rc = OK;
	file = fget_raw(f->num);
	if (!file) {
		/* Falco's answer then depends on its own fd table. */
		f->rc = UNKNOWN;
		return f;
	}
	f->rc = OK;
	fill_from_file(ev, f, file);
	fput(file);
	return f;
}

/*
 * A path split as Falco splits it at the last '/': fd.directory (dir) is up
 * to it, "/" when that is the first; fd.filename after it. No '/' gives "/",
 * a trailing one the whole path.
 */
static int split_path(const struct xstr *n, bool dir, struct shrike_val *out)
{
	u32 pos;

	if (n->rc != OK)
		return n->rc;
	for (pos = n->len; pos-- > 0;)
		if (n->p[pos] == '/')
			break;
	if (pos == (u32)-1 || (dir && pos == 0))
		return ret_str(out, "/", 1);
	if (pos == n->len - 1)
		return ret_str(out, n->p, n->len);
	if (dir)
		return ret_str(out, n->p, pos);
	return ret_str(out, n->p + pos + 1, n->len - pos - 1);
}

/* fd.directory: the directory an fd names, or the one its file is in. */
static int fd_directory(const struct fdx *f, struct shrike_val *out)
{
	if (f->null || f->kind == FK_FILE)
		return split_path(&f->name, true, out);
	if (f->kind == FK_DIR)
		return ret_xstr(out, &f->name);
	return f->type_rc == OK ? MISSING : UNKNOWN;
}

/* fd.*: the event's fd, as Falco's fd table would have it. */
int shrike_fetch_fd(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	struct fdx *f = fd_info(ev);
	struct xstr *cid;
	const u8 *ip;
	char *s;
	u32 len;

	if (!f)
		return UNKNOWN;
	if (field == SHRIKE_F_FD_NUM && f->num_rc == OK)
		return ret_s64(out, f->num);
	if (f->rc != OK)
		return f->rc;
	switch (field) {
	case SHRIKE_F_FD_NUM:
		return f->num_rc == OK ? ret_s64(out, f->num) : f->num_rc;
	case SHRIKE_F_FD_TYPECHAR:
		if (!f->tc)
			return UNKNOWN;
		f->tcs[0] = f->tc;
		return ret_str(out, f->tcs, 1);
	case SHRIKE_F_FD_TYPE:
		return f->type_rc == OK ? ret_cstr(out, f->type) : f->type_rc;
	case SHRIKE_F_FD_NAME:
		return ret_xstr(out, &f->name);
	case SHRIKE_F_FD_NAMERAW:
		return ret_xstr(out, &f->nameraw);
	case SHRIKE_F_FD_DIRECTORY:
		return fd_directory(f, out);
	case SHRIKE_F_FD_FILENAME:
		/* Falco: only for a file fd, or an open entry (never named). */
		if (f->null)
			return MISSING;
		if (f->kind == FK_FILE)
			return split_path(&f->name, false, out);
		return f->type_rc == OK ? MISSING : UNKNOWN;
	case SHRIKE_F_FD_CONTAINERNAME:
	case SHRIKE_F_FD_CONTAINERDIRECTORY: {
		struct shrike_val v;
		int rc = field == SHRIKE_F_FD_CONTAINERNAME ? ret_xstr(&v, &f->name) :
			 fd_directory(f, &v);

		if (rc != OK)
			return rc;
		cid = shrike_container_info(ev);
		if (!cid || cid->rc != OK)
			return UNKNOWN;
		s = sjoin3(ev, cid->p, cid->len, ":", 1, v.str.ptr, v.str.len, &len);
		return s ? ret_str(out, s, len) : UNKNOWN;
	}
	case SHRIKE_F_FD_INO:
		return fd_inode(f) == OK ? ret_u64(out, f->ino) : f->inode_rc;
	case SHRIKE_F_FD_DEV:
		return fd_inode(f) == OK ? ret_u64(out, new_encode_dev(f->dev)) : f->inode_rc;
	case SHRIKE_F_FD_DEV_MAJOR:
		return fd_inode(f) == OK ? ret_u64(out, MAJOR(f->dev)) : f->inode_rc;
	case SHRIKE_F_FD_DEV_MINOR:
		return fd_inode(f) == OK ? ret_u64(out, MINOR(f->dev)) : f->inode_rc;
	case SHRIKE_F_FD_SOCKFAMILY:
		if (f->null)
			return MISSING;
		return f->sockfamily_rc == OK ? ret_cstr(out, f->sockfamily) : f->sockfamily_rc;
	case SHRIKE_F_FD_IS_SERVER:
		if (f->null)
			return MISSING;
		if (f->kind != FK_SOCK)
			return f->type_rc == OK ? ret_bool(out, false) : UNKNOWN;
		if (f->role == ROLE_NONE)
			return UNKNOWN;
		return ret_bool(out, f->role == ROLE_SERVER);
	case SHRIKE_F_FD_CONNECTED:
		if (f->null)
			return MISSING;
		if (f->kind != FK_SOCK || !f->fam || f->connected < 0)
			return UNKNOWN;
		return ret_bool(out, f->connected);
	case SHRIKE_F_FD_L4PROTO:
		if (f->null || !f->fam)
			return UNKNOWN;
		if (f->l4 && !strcmp(f->l4, "raw"))
			return ret_cstr(out, f->l4);
		if (f->role == ROLE_NONE || !f->l4)
			return UNKNOWN;
		return ret_cstr(out, f->l4);
	}

	/* Addresses and ports: IPv4/IPv6 sockets with a known role only. */
	if (f->null)
		return MISSING;
	if (!f->fam)
		return f->type_rc == OK ? MISSING : UNKNOWN;
	if (f->role == ROLE_NONE)
		return UNKNOWN;
	switch (field) {
	case SHRIKE_F_FD_CIP:
	case SHRIKE_F_FD_CNET:
		ip = f->role == ROLE_CLIENT ? f->lip : f->rip;
		break;
	case SHRIKE_F_FD_SIP:
	case SHRIKE_F_FD_SNET:
		ip = f->role == ROLE_CLIENT ? f->rip : f->lip;
		break;
	case SHRIKE_F_FD_CPORT:
		return ret_u64(out, f->role == ROLE_CLIENT ? f->lport : f->rport);
	case SHRIKE_F_FD_SPORT:
		return ret_u64(out, f->role == ROLE_CLIENT ? f->rport : f->lport);
	/*
	 * Falco's local/remote hinge on whether the client address is one of
	 * this machine's: true for a client, unknowable here for a server.
	 */
	case SHRIKE_F_FD_LIP:
	case SHRIKE_F_FD_LNET:
		if (f->role != ROLE_CLIENT)
			return UNKNOWN;
		ip = f->lip;
		break;
	case SHRIKE_F_FD_RIP:
	case SHRIKE_F_FD_RNET:
		if (f->role != ROLE_CLIENT)
			return UNKNOWN;
		ip = f->rip;
		break;
	case SHRIKE_F_FD_LPORT:
		return f->role == ROLE_CLIENT ? ret_u64(out, f->lport) : UNKNOWN;
	case SHRIKE_F_FD_RPORT:
		return f->role == ROLE_CLIENT ? ret_u64(out, f->rport) : UNKNOWN;
	default:
		return UNKNOWN;
	}
	return ret_ip(out, shrike_fields[field].type == SHRIKE_T_IPNET ? SHRIKE_T_IPNET :
		      SHRIKE_T_IPADDR, f->fam, ip);
}
