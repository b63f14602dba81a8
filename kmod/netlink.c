// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "shrike" generic netlink family: commands, policies and
 * the alerts multicast group. The attribute policy is the first layer of
 * validation: types and lengths are checked here before any handler runs.
 */
#include <net/genetlink.h>
#include "shrike.h"

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

static struct genl_family shrike_family;

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

static const struct genl_multicast_group shrike_mcgrps[] = {
	{ .name = SHRIKE_MCGRP_ALERTS },
};

static struct genl_family shrike_family __ro_after_init = {
	.name = SHRIKE_GENL_NAME,
	.version = SHRIKE_GENL_VERSION,
	.maxattr = SHRIKE_A_MAX,
	.policy = shrike_policy,
	.netnsok = false,
	.module = THIS_MODULE,
	.ops = shrike_ops,
	.n_ops = ARRAY_SIZE(shrike_ops),
	.resv_start_op = __SHRIKE_CMD_MAX,
	.mcgrps = shrike_mcgrps,
	.n_mcgrps = ARRAY_SIZE(shrike_mcgrps),
};

int shrike_netlink_init(void)
{
	return genl_register_family(&shrike_family);
}

void shrike_netlink_exit(void)
{
	genl_unregister_family(&shrike_family);
}
