// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "shrike" generic netlink family: commands, policies and
 * the alerts multicast group. The attribute policy is the first layer of
 * validation: types and lengths are checked here before any handler runs.
 */
#include <net/genetlink.h>
#include "shrike.h"
#include "tasks.h"

static const struct nla_policy shrike_policy[SHRIKE_A_MAX + 1] = {
	[SHRIKE_A_ABI_VERSION]		= { .type = NLA_U32 },
	[SHRIKE_A_MODULE_VERSION]	= { .type = NLA_NUL_STRING, .len = 32 },
	[SHRIKE_A_MAX_TABLE_SIZE]	= { .type = NLA_U32 },
	[SHRIKE_A_TABLE]		= { .type = NLA_BINARY, .len = SHRIKE_CHUNK_MAX },
	[SHRIKE_A_TABLE_SIZE]		= { .type = NLA_U32 },
	[SHRIKE_A_TABLE_OFFSET]		= { .type = NLA_U32 },
	[SHRIKE_A_TABLE_LOADED]		= { .type = NLA_U8 },
	[SHRIKE_A_TABLE_CHECKSUM]	= { .type = NLA_U32 },
};


static int shrike_get_info(struct sk_buff *skb, struct genl_info *info)
{
	u32 checksum = 0, nrules = 0;
	struct sk_buff *msg;
	bool loaded;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &shrike_family, 0, SHRIKE_CMD_GET_INFO);
	if (!hdr)
		goto nospace;
	loaded = shrike_table_info(&checksum, &nrules);
	if (nla_put_u32(msg, SHRIKE_A_ABI_VERSION, SHRIKE_ABI_VERSION) ||
	    nla_put_string(msg, SHRIKE_A_MODULE_VERSION, SHRIKE_VERSION) ||
	    nla_put_u32(msg, SHRIKE_A_MAX_TABLE_SIZE, READ_ONCE(shrike_max_table_size)) ||
	    nla_put_u8(msg, SHRIKE_A_TABLE_LOADED, loaded) ||
	    (loaded && nla_put_u32(msg, SHRIKE_A_TABLE_CHECKSUM, checksum)))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int shrike_load_table(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;

	if (GENL_REQ_ATTR_CHECK(info, SHRIKE_A_TABLE_SIZE) ||
	    GENL_REQ_ATTR_CHECK(info, SHRIKE_A_TABLE_OFFSET) ||
	    GENL_REQ_ATTR_CHECK(info, SHRIKE_A_TABLE))
		return -EINVAL;
	return shrike_table_chunk(info->snd_portid, nla_get_u32(a[SHRIKE_A_TABLE_SIZE]),
				  nla_get_u32(a[SHRIKE_A_TABLE_OFFSET]), nla_data(a[SHRIKE_A_TABLE]),
				  nla_len(a[SHRIKE_A_TABLE]), info->extack, a[SHRIKE_A_TABLE]);
}

static int shrike_subscribe(struct sk_buff *skb, struct genl_info *info)
{
	shrike_set_subscriber(info->snd_portid);
	return 0;
}

static int shrike_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	u64 stats[__SHRIKE_STAT_MAX];
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int i;

	shrike_stats_sum(stats);
	stats[SHRIKE_STAT_DROP_TASK_TABLE] += shrike_tasks_full_drops();
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &shrike_family, 0, SHRIKE_CMD_GET_STATS);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, SHRIKE_A_STATS);
	if (!nest)
		goto nospace;
	for (i = 1; i < __SHRIKE_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, i, stats[i], SHRIKE_STAT_UNSPEC))
			goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int shrike_unload_table(struct sk_buff *skb, struct genl_info *info)
{
	int ret = shrike_table_unload();

	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no table loaded");
	return ret;
}

static const struct genl_ops shrike_ops[] = {
	{
		.cmd = SHRIKE_CMD_GET_INFO,
		.doit = shrike_get_info,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SHRIKE_CMD_SUBSCRIBE,
		.doit = shrike_subscribe,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SHRIKE_CMD_GET_STATS,
		.doit = shrike_get_stats,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SHRIKE_CMD_LOAD_TABLE,
		.doit = shrike_load_table,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SHRIKE_CMD_UNLOAD_TABLE,
		.doit = shrike_unload_table,
		.flags = GENL_ADMIN_PERM,
	},
};


struct genl_family shrike_family __ro_after_init = {
	.name = SHRIKE_GENL_NAME,
	.version = SHRIKE_GENL_VERSION,
	.maxattr = SHRIKE_A_MAX,
	.policy = shrike_policy,
	.netnsok = false,
	.module = THIS_MODULE,
	.ops = shrike_ops,
	.n_ops = ARRAY_SIZE(shrike_ops),
	.resv_start_op = __SHRIKE_CMD_MAX,
};

/* The subscriber's socket closed: stop sending to its port id. */
static int shrike_netlink_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    net_eq(n->net, &init_net) && n->portid && n->portid == shrike_get_subscriber())
		shrike_set_subscriber(0);
	return NOTIFY_DONE;
}

static struct notifier_block shrike_netlink_nb = {
	.notifier_call = shrike_netlink_event,
};

int shrike_netlink_init(void)
{
	int ret = netlink_register_notifier(&shrike_netlink_nb);

	if (ret)
		return ret;
	ret = genl_register_family(&shrike_family);
	if (ret)
		netlink_unregister_notifier(&shrike_netlink_nb);
	return ret;
}

void shrike_netlink_exit(void)
{
	genl_unregister_family(&shrike_family);
	netlink_unregister_notifier(&shrike_netlink_nb);
	shrike_set_subscriber(0);
}
