/* genl.c - resolving the "shrike" family through the generic netlink
 * controller and talking to it with libmnl. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "genl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../kmod/uapi/shrike.h"

static int dispatch_cb(const struct nlmsghdr *nlh, void *data)
{
	struct shrike_nl *nl = data;

	return nl->cb(nlh, nl->cb_data);
}

static struct nlmsghdr *put_genl(char *buf, uint16_t type, uint8_t cmd, uint8_t version,
				 uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/* An error or ACK: keeps the kernel's extended-ACK message for the caller. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct shrike_nl *nl = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error == 0)
		return MNL_CB_STOP;
	nl->errmsg[0] = 0;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_for_each(a, nlh, off)
		{
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", mnl_attr_get_str(a));
		}
	}
	errno = -err->error;
	return MNL_CB_ERROR;
}

/* Sends nlh and runs cb on each reply until the ACK or an error. */
static int transact(struct shrike_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = error_cb };
	/* GET_STATS replies with up to SHRIKE_MAX_RULES per-rule entries:
	 * about 100 KiB, more than a stack buffer should hold. */
	const size_t size = 1 << 17;
	unsigned int portid = mnl_socket_get_portid(nl->sock);
	char *buf;
	int ret;

	nl->errmsg[0] = 0;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	do {
		ret = mnl_socket_recvfrom(nl->sock, buf, size);
		if (ret < 0) {
			ret = -errno;
			break;
		}
		/* data is for cb; the error callback gets nl through its own wrapper. */
		nl->cb_data = data;
		nl->cb = cb;
		ret = mnl_cb_run2(buf, ret, nlh->nlmsg_seq, portid, cb ? dispatch_cb : NULL, nl,
				  ctl, NLMSG_MIN_TYPE);
		if (ret < 0)
			ret = -errno;
	} while (ret > 0);
	free(buf);
	return ret;
}

struct family_reply {
	struct shrike_nl *nl;
	bool found;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_reply *r = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
	{
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
				return MNL_CB_ERROR;
			r->nl->family = mnl_attr_get_u16(a);
			r->found = true;
			break;
		}
	}
	return MNL_CB_OK;
}

/* The active kernel lockdown mode ("integrity", "confidentiality"), or NULL
 * when there is none or it cannot be read: a lockdown kernel (Secure Boot)
 * refuses a module not signed with an enrolled key. */
static const char *lockdown_mode(char *buf, size_t len)
{
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");
	char *open, *close;

	if (!f)
		return NULL;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return NULL;
	*close = '\0';
	return strcmp(open + 1, "none") ? open + 1 : NULL;
}

int shrike_nl_open(struct shrike_nl *nl, char *errmsg, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct family_reply r = { .nl = nl };
	struct nlmsghdr *nlh;
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->seq = (uint32_t)time(NULL);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		snprintf(errmsg, errlen, "cannot open a generic netlink socket: %s",
			 strerror(errno));
		shrike_nl_close(nl);
		return ret;
	}
	{
		int one = 1;

		/* Error messages from the kernel, without our request echoed back. */
		mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
		mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	}
	nlh = put_genl(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0, ++nl->seq);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SHRIKE_GENL_NAME);
	ret = transact(nl, nlh, family_cb, &r);
	if (ret == -ENOENT || (!ret && !r.found)) {
		char lbuf[128];
		const char *mode = lockdown_mode(lbuf, sizeof(lbuf));

		snprintf(
			errmsg, errlen,
			"generic netlink family '%s' not found: is shrike.ko loaded? (modprobe shrike)%s%s%s",
			SHRIKE_GENL_NAME, mode ? "; kernel lockdown is active (" : "",
			mode ? mode : "",
			mode ? "): the module must be signed with an enrolled key (see README: Secure Boot)"
			     : "");
		shrike_nl_close(nl);
		return -ENOENT;
	}
	if (ret) {
		snprintf(errmsg, errlen, "resolving family '%s': %s", SHRIKE_GENL_NAME,
			 strerror(-ret));
		shrike_nl_close(nl);
		return ret;
	}
	return 0;
}

void shrike_nl_close(struct shrike_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	struct shrike_info *info = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
	{
		switch (mnl_attr_get_type(a)) {
		case SHRIKE_A_ABI_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return MNL_CB_ERROR;
			info->abi = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_MODULE_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
				return MNL_CB_ERROR;
			snprintf(info->version, sizeof(info->version), "%s", mnl_attr_get_str(a));
			break;
		case SHRIKE_A_MAX_TABLE_SIZE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return MNL_CB_ERROR;
			info->max_table_size = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_TABLE_LOADED:
			if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
				return MNL_CB_ERROR;
			info->table_loaded = mnl_attr_get_u8(a);
			break;
		case SHRIKE_A_TABLE_CHECKSUM:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return MNL_CB_ERROR;
			info->table_checksum = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_GENERATION:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				return MNL_CB_ERROR;
			info->generation = mnl_attr_get_u64(a);
			break;
		case SHRIKE_A_LOCKED:
			if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
				return MNL_CB_ERROR;
			info->locked = mnl_attr_get_u8(a);
			break;
		case SHRIKE_A_RATE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return MNL_CB_ERROR;
			info->rate = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_BURST:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return MNL_CB_ERROR;
			info->burst = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_MATCH_MODE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return MNL_CB_ERROR;
			info->match_mode = mnl_attr_get_u32(a);
			break;
		}
	}
	return MNL_CB_OK;
}

int shrike_nl_get_info(struct shrike_nl *nl, struct shrike_info *info)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	memset(info, 0, sizeof(*info));
	nlh = put_genl(buf, nl->family, SHRIKE_CMD_GET_INFO, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	return transact(nl, nlh, info_cb, info);
}

int shrike_nl_load_begin(struct shrike_nl *nl, uint32_t size, const uint64_t *expect)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = put_genl(buf, nl->family, SHRIKE_CMD_LOAD_BEGIN, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	mnl_attr_put_u32(nlh, SHRIKE_A_TABLE_SIZE, size);
	if (expect)
		mnl_attr_put_u64(nlh, SHRIKE_A_GENERATION, *expect);
	return transact(nl, nlh, NULL, NULL);
}

int shrike_nl_load_chunk(struct shrike_nl *nl, uint32_t off, const void *data, uint32_t n)
{
	/* Room for one chunk and the headers around it. */
	static char buf[SHRIKE_CHUNK_MAX + 256] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;

	if (n > SHRIKE_CHUNK_MAX)
		return -E2BIG;
	nlh = put_genl(buf, nl->family, SHRIKE_CMD_LOAD_TABLE, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	mnl_attr_put_u32(nlh, SHRIKE_A_TABLE_OFFSET, off);
	mnl_attr_put(nlh, SHRIKE_A_TABLE, n, data);
	return transact(nl, nlh, NULL, NULL);
}

static int commit_cb(const struct nlmsghdr *nlh, void *data)
{
	uint64_t *gen = data;
	const struct nlattr *a;

	mnl_attr_for_each(
		a, nlh,
		sizeof(struct genlmsghdr)) if (mnl_attr_get_type(a) == SHRIKE_A_GENERATION &&
					       mnl_attr_validate(a, MNL_TYPE_U64) == 0) *gen =
		mnl_attr_get_u64(a);
	return MNL_CB_OK;
}

int shrike_nl_load_commit(struct shrike_nl *nl, uint64_t *committed)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint64_t gen = 0;
	int ret;

	nlh = put_genl(buf, nl->family, SHRIKE_CMD_LOAD_COMMIT, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	ret = transact(nl, nlh, commit_cb, &gen);
	if (!ret && committed)
		*committed = gen;
	return ret;
}

int shrike_nl_load_table_gen(struct shrike_nl *nl, const void *table, size_t len,
			     const uint64_t *expect, uint64_t *committed)
{
	size_t off = 0;
	int ret;

	if (len > UINT32_MAX)
		return -E2BIG;
	ret = shrike_nl_load_begin(nl, (uint32_t)len, expect);
	while (!ret && off < len) {
		size_t n = len - off < SHRIKE_CHUNK_MAX ? len - off : SHRIKE_CHUNK_MAX;

		ret = shrike_nl_load_chunk(nl, (uint32_t)off, (const char *)table + off,
					   (uint32_t)n);
		off += n;
	}
	/* On a failed chunk the module already dropped the transaction. */
	if (!ret)
		ret = shrike_nl_load_commit(nl, committed);
	return ret;
}

int shrike_nl_load_table(struct shrike_nl *nl, const void *table, size_t len)
{
	return shrike_nl_load_table_gen(nl, table, len, NULL, NULL);
}

int shrike_nl_lock(struct shrike_nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = put_genl(buf, nl->family, SHRIKE_CMD_LOCK, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	return transact(nl, nlh, NULL, NULL);
}

int shrike_nl_set_config(struct shrike_nl *nl, const uint32_t *rate, const uint32_t *burst,
			 const uint32_t *match_mode)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = put_genl(buf, nl->family, SHRIKE_CMD_SET_CONFIG, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	if (rate)
		mnl_attr_put_u32(nlh, SHRIKE_A_RATE, *rate);
	if (burst)
		mnl_attr_put_u32(nlh, SHRIKE_A_BURST, *burst);
	if (match_mode)
		mnl_attr_put_u32(nlh, SHRIKE_A_MATCH_MODE, *match_mode);
	return transact(nl, nlh, NULL, NULL);
}

int shrike_nl_unload_table(struct shrike_nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = put_genl(buf, nl->family, SHRIKE_CMD_UNLOAD_TABLE, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	return transact(nl, nlh, NULL, NULL);
}

int shrike_nl_subscribe(struct shrike_nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int size = 16 << 20, one = 1;

	/* Room for bursts: what does not fit waits in the kernel's rings. */
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)) < 0)
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/*
	 * No ENOBUFS: when this socket is full, shrike.ko keeps the records in
	 * its per-CPU ring and sends them again a tick later, so a full socket
	 * loses nothing; the error would only say that the kernel had to wait,
	 * and cost a failed recv. Real losses are the kernel's counters
	 * (buffer_full: its ring was full), read by GET_STATS.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	nlh = put_genl(buf, nl->family, SHRIKE_CMD_SUBSCRIBE, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	return transact(nl, nlh, NULL, NULL);
}

struct stats_reply {
	uint64_t *stats;
	shrike_rule_stat_fn fn;
	void *ctx;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats_reply *r = data;
	const struct nlattr *a, *s;
	uint32_t checksum = 0;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
	{
		switch (mnl_attr_get_type(a)) {
		case SHRIKE_A_STATS:
			mnl_attr_for_each_nested(s, a)
			{
				uint16_t t = mnl_attr_get_type(s);

				/* Counters this agent does not know are skipped. */
				if (t < __SHRIKE_STAT_MAX &&
				    mnl_attr_validate(s, MNL_TYPE_U64) == 0)
					r->stats[t] = mnl_attr_get_u64(s);
			}
			break;
		case SHRIKE_A_TABLE_CHECKSUM:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				checksum = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_RULE_STAT: {
			uint32_t rule = UINT32_MAX;
			uint64_t n = 0;

			if (!r->fn)
				break;
			mnl_attr_for_each_nested(s, a)
			{
				if (mnl_attr_get_type(s) == SHRIKE_RS_RULE &&
				    mnl_attr_validate(s, MNL_TYPE_U32) == 0)
					rule = mnl_attr_get_u32(s);
				else if (mnl_attr_get_type(s) == SHRIKE_RS_MATCHES &&
					 mnl_attr_validate(s, MNL_TYPE_U64) == 0)
					n = mnl_attr_get_u64(s);
			}
			/* The checksum comes before the first rule entry. */
			if (rule != UINT32_MAX)
				r->fn(r->ctx, checksum, rule, n);
			break;
		}
		}
	}
	return MNL_CB_OK;
}

int shrike_nl_get_stats_rules(struct shrike_nl *nl, uint64_t stats[__SHRIKE_STAT_MAX],
			      shrike_rule_stat_fn fn, void *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct stats_reply r = { stats, fn, ctx };
	struct nlmsghdr *nlh;

	memset(stats, 0, sizeof(uint64_t) * __SHRIKE_STAT_MAX);
	nlh = put_genl(buf, nl->family, SHRIKE_CMD_GET_STATS, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	return transact(nl, nlh, stats_cb, &r);
}

int shrike_nl_get_stats(struct shrike_nl *nl, uint64_t stats[__SHRIKE_STAT_MAX])
{
	return shrike_nl_get_stats_rules(nl, stats, NULL, NULL);
}

/*
 * Receiving alerts: each datagram is one skb of shrike.ko's, several ALERT
 * messages (at most about 32 KiB: kmod/deliver.c's BATCH_BYTES rounded up
 * by the allocator); one recvmmsg takes up to RECV_BATCH of them, waiting
 * only for the first, so that a backlog costs one system call per
 * RECV_BATCH skbs rather than one each. A larger buffer would not help:
 * netlink gives one datagram per recvmsg.
 */
#define RECV_BATCH 8
#define RECV_SLOT  (1 << 16)

int shrike_nl_recv(struct shrike_nl *nl, mnl_cb_t cb, void *data)
{
	static char buf[RECV_BATCH][RECV_SLOT] __attribute__((aligned(8)));
	static struct sockaddr_nl addr[RECV_BATCH];
	struct mmsghdr msgs[RECV_BATCH];
	struct iovec iov[RECV_BATCH];
	int i, n, ret = 0;

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < RECV_BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = RECV_SLOT;
		msgs[i].msg_hdr.msg_name = &addr[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(addr[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(mnl_socket_get_fd(nl->sock), msgs, RECV_BATCH, MSG_WAITFORONE, NULL);
	if (n < 0)
		return -errno;
	nl->recv_calls++;
	nl->recv_dgrams += (uint64_t)n;
	for (i = 0; i < n; i++) {
		const struct msghdr *m = &msgs[i].msg_hdr;

		/* A datagram bigger than a slot was cut short: lost. */
		if (m->msg_flags & MSG_TRUNC) {
			ret = -ENOSPC;
			continue;
		}
		/* Only the kernel sends alerts: anything else is not ours to believe. */
		if (m->msg_namelen != sizeof(addr[i]) || addr[i].nl_pid != 0)
			continue;
		/* Unsolicited messages: no sequence or port checks. */
		if (mnl_cb_run(buf[i], msgs[i].msg_len, 0, 0, cb, data) < 0 && !ret)
			ret = -errno;
	}
	return ret;
}

const char *shrike_stat_name(int stat)
{
	static const char *const names[__SHRIKE_STAT_MAX] = {
		[SHRIKE_STAT_EVENTS] = "events",
		[SHRIKE_STAT_EVALUATED] = "evaluated",
		[SHRIKE_STAT_ALERTS] = "sent",
		[SHRIKE_STAT_CANDIDATES] = "candidates",
		[SHRIKE_STAT_DROP_NO_RECEIVER] = "no_receiver",
		[SHRIKE_STAT_DROP_BUFFER_FULL] = "buffer_full",
		[SHRIKE_STAT_DROP_RECEIVER_FULL] = "receiver_full",
		[SHRIKE_STAT_DROP_SCRATCH] = "scratch",
		[SHRIKE_STAT_DROP_TASK_TABLE] = "task_table",
		[SHRIKE_STAT_DROP_RATE_LIMIT] = "rate_limit",
		[SHRIKE_STAT_DROP_RULE_CAP] = "rule_cap",
		[SHRIKE_STAT_SUBSCRIBE_REFUSED] = "subscribe_refused",
		[SHRIKE_STAT_EVAL_BUDGET] = "eval_budget",
		[SHRIKE_STAT_X32] = "x32_unmonitored",
	};

	return stat > 0 && stat < __SHRIKE_STAT_MAX ? names[stat] : NULL;
}

bool shrike_stat_is_drop(int stat)
{
	return stat >= SHRIKE_STAT_DROP_NO_RECEIVER && stat <= SHRIKE_STAT_DROP_LAST;
}
