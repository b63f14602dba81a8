/* genl.c - resolving the "shrike" family through the generic netlink
 * controller and talking to it with libmnl. */
#include "genl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

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
		mnl_attr_for_each(a, nlh, off) {
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
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int portid = mnl_socket_get_portid(nl->sock);
	int ret;

	nl->errmsg[0] = 0;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ret = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (ret < 0)
			return -errno;
		/* data is for cb; the error callback gets nl through its own wrapper. */
		nl->cb_data = data;
		nl->cb = cb;
		ret = mnl_cb_run2(buf, ret, nlh->nlmsg_seq, portid, cb ? dispatch_cb : NULL, nl,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

struct family_reply {
	struct shrike_nl *nl;
	bool found;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_reply *r = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
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
		snprintf(errmsg, errlen, "cannot open a generic netlink socket: %s", strerror(errno));
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
		snprintf(errmsg, errlen,
			 "generic netlink family '%s' not found: is shrike.ko loaded? (modprobe shrike)",
			 SHRIKE_GENL_NAME);
		shrike_nl_close(nl);
		return -ENOENT;
	}
	if (ret) {
		snprintf(errmsg, errlen, "resolving family '%s': %s", SHRIKE_GENL_NAME, strerror(-ret));
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

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
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

int shrike_nl_load_table(struct shrike_nl *nl, const void *table, size_t len)
{
	/* Room for one chunk and the headers around it. */
	static char buf[SHRIKE_CHUNK_MAX + 256] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	size_t off = 0;
	int ret;

	if (len > UINT32_MAX)
		return -E2BIG;
	do {
		size_t n = len - off < SHRIKE_CHUNK_MAX ? len - off : SHRIKE_CHUNK_MAX;

		nlh = put_genl(buf, nl->family, SHRIKE_CMD_LOAD_TABLE, SHRIKE_GENL_VERSION, 0,
			       ++nl->seq);
		mnl_attr_put_u32(nlh, SHRIKE_A_TABLE_SIZE, (uint32_t)len);
		mnl_attr_put_u32(nlh, SHRIKE_A_TABLE_OFFSET, (uint32_t)off);
		mnl_attr_put(nlh, SHRIKE_A_TABLE, n, (const char *)table + off);
		ret = transact(nl, nlh, NULL, NULL);
		off += n;
	} while (!ret && off < len);
	return ret;
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
	int size = 16 << 20;

	/* Room for bursts: the kernel counts what does not fit. */
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)) < 0)
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	nlh = put_genl(buf, nl->family, SHRIKE_CMD_SUBSCRIBE, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	return transact(nl, nlh, NULL, NULL);
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	uint64_t *stats = data;
	const struct nlattr *a, *s;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != SHRIKE_A_STATS)
			continue;
		mnl_attr_for_each_nested(s, a) {
			uint16_t t = mnl_attr_get_type(s);

			/* Counters this agent does not know are skipped. */
			if (t < __SHRIKE_STAT_MAX && mnl_attr_validate(s, MNL_TYPE_U64) == 0)
				stats[t] = mnl_attr_get_u64(s);
		}
	}
	return MNL_CB_OK;
}

int shrike_nl_get_stats(struct shrike_nl *nl, uint64_t stats[__SHRIKE_STAT_MAX])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	memset(stats, 0, sizeof(uint64_t) * __SHRIKE_STAT_MAX);
	nlh = put_genl(buf, nl->family, SHRIKE_CMD_GET_STATS, SHRIKE_GENL_VERSION, 0, ++nl->seq);
	return transact(nl, nlh, stats_cb, stats);
}

int shrike_nl_recv(struct shrike_nl *nl, mnl_cb_t cb, void *data)
{
	static char buf[1 << 16] __attribute__((aligned(8)));
	ssize_t n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));

	if (n < 0)
		return -errno;
	/* Unsolicited messages: no sequence or port checks. */
	if (mnl_cb_run(buf, (size_t)n, 0, 0, cb, data) < 0)
		return -errno;
	return 0;
}
