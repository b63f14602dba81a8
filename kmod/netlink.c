// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "shrike" generic netlink family: commands, policies and
 * the alerts multicast group. The attribute policy is the first layer of
 * validation: types and lengths are checked here before any handler runs.
 */
#include <net/genetlink.h>
#include "shrike.h"
#include "deliver.h"
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
	[SHRIKE_A_GENERATION]		= { .type = NLA_U64 },
	[SHRIKE_A_LOCKED]		= { .type = NLA_U8 },
	[SHRIKE_A_RATE]			= { .type = NLA_U32 },
	[SHRIKE_A_BURST]		= { .type = NLA_U32 },
	[SHRIKE_A_MATCH_MODE]		= { .type = NLA_U32 },
	[SHRIKE_A_RULE_STAT]		= { .type = NLA_NESTED },
};


static int shrike_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct shrike_table_state st;
	struct sk_buff *msg;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &shrike_family, 0, SHRIKE_CMD_GET_INFO);
	if (!hdr)
		goto nospace;
	shrike_table_state(&st);
	if (nla_put_u32(msg, SHRIKE_A_ABI_VERSION, SHRIKE_ABI_VERSION) ||
	    nla_put_string(msg, SHRIKE_A_MODULE_VERSION, SHRIKE_VERSION) ||
	    nla_put_u32(msg, SHRIKE_A_MAX_TABLE_SIZE, READ_ONCE(shrike_max_table_size)) ||
	    nla_put_u8(msg, SHRIKE_A_TABLE_LOADED, st.loaded) ||
	    (st.loaded && nla_put_u32(msg, SHRIKE_A_TABLE_CHECKSUM, st.checksum)) ||
	    nla_put_u64_64bit(msg, SHRIKE_A_GENERATION, st.generation, SHRIKE_A_UNSPEC) ||
	    nla_put_u8(msg, SHRIKE_A_LOCKED, st.locked) ||
	    nla_put_u32(msg, SHRIKE_A_RATE, READ_ONCE(shrike_cfg.rate)) ||
	    nla_put_u32(msg, SHRIKE_A_BURST, READ_ONCE(shrike_cfg.burst)) ||
	    nla_put_u32(msg, SHRIKE_A_MATCH_MODE, READ_ONCE(shrike_cfg.match)))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/*
 * Commands that change what is monitored or who hears it need CAP_SYS_ADMIN
 * (the uAPI header says why), of the socket's opener and of the sender, on
 * top of the family's CAP_NET_ADMIN check.
 */
static int require_sys_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack, "needs CAP_SYS_ADMIN");
	return -EPERM;
}

static int shrike_load_begin(struct sk_buff *skb, struct genl_info *info)
{
	return require_sys_admin(skb, info) ?: shrike_table_begin(info);
}

static int shrike_load_table(struct sk_buff *skb, struct genl_info *info)
{
	return require_sys_admin(skb, info) ?: shrike_table_chunk(info);
}

static int shrike_load_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	u32 checksum;
	u64 gen;
	void *hdr;
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	/* Allocated first: once committed, the table is in, reply or not. */
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = shrike_table_commit(info, &gen, &checksum);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	hdr = genlmsg_put_reply(msg, info, &shrike_family, 0, SHRIKE_CMD_LOAD_COMMIT);
	if (!hdr || nla_put_u64_64bit(msg, SHRIKE_A_GENERATION, gen, SHRIKE_A_UNSPEC) ||
	    nla_put_u32(msg, SHRIKE_A_TABLE_CHECKSUM, checksum)) {
		nlmsg_free(msg);
		return 0;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int shrike_lock(struct sk_buff *skb, struct genl_info *info)
{
	return require_sys_admin(skb, info) ?: shrike_table_lock_all(info);
}

static int shrike_set_config_cmd(struct sk_buff *skb, struct genl_info *info)
{
	return require_sys_admin(skb, info) ?: shrike_set_config(info);
}

static int shrike_subscribe(struct sk_buff *skb, struct genl_info *info)
{
	struct shrike_table_state st;
	u32 cur;
	int ret = require_sys_admin(skb, info);

	if (ret)
		return ret;
	/* Handlers are serialised (genl_mutex): no SUBSCRIBE races this one. */
	shrike_table_state(&st);
	cur = shrike_get_subscriber();
	if (st.locked && cur && cur != info->snd_portid) {
		this_cpu_inc(shrike_pcpu->stats[SHRIKE_STAT_SUBSCRIBE_REFUSED]);
		pr_warn_ratelimited("shrike: SUBSCRIBE refused: locked, and port %u is subscribed\n",
				    cur);
		NL_SET_ERR_MSG(info->extack, "tables are locked and another socket is subscribed");
		return -EPERM;
	}
	/* The sending socket itself, held: not a port id another may bind. */
	shrike_set_subscriber(NETLINK_CB(skb).sk, info->snd_portid);
	return 0;
}

/* Rule index u32 and count u64 in their nest: the size of one entry. */
#define RULE_STAT_SIZE	(nla_total_size(nla_total_size(sizeof(u32)) + \
					nla_total_size_64bit(sizeof(u64))))

static int put_rule_stats(struct sk_buff *msg, const struct shrike_loaded *l)
{
	struct nlattr *nest;
	u32 i;
	u64 n;

	if (nla_put_u32(msg, SHRIKE_A_TABLE_CHECKSUM, l->t.checksum))
		return -EMSGSIZE;
	for (i = 0; i < l->t.nrules; i++) {
		n = shrike_rule_matches(l, i);
		if (!n)
			continue;
		nest = nla_nest_start(msg, SHRIKE_A_RULE_STAT);
		if (!nest || nla_put_u32(msg, SHRIKE_RS_RULE, i) ||
		    nla_put_u64_64bit(msg, SHRIKE_RS_MATCHES, n, SHRIKE_RS_UNSPEC))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

static int shrike_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	u64 stats[__SHRIKE_STAT_MAX];
	struct shrike_loaded *l;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	u64 gen;
	int i;

	/* The table stays put while held: sized for all its rules. */
	l = shrike_table_hold(&gen);
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE + (l ? l->t.nrules * RULE_STAT_SIZE : 0), GFP_KERNEL);
	if (!msg) {
		shrike_table_unlock();
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &shrike_family, 0, SHRIKE_CMD_GET_STATS);
	if (!hdr)
		goto nospace;
	shrike_stats_sum(stats);
	stats[SHRIKE_STAT_DROP_TASK_TABLE] += shrike_tasks_full_drops();
	nest = nla_nest_start(msg, SHRIKE_A_STATS);
	if (!nest)
		goto nospace;
	for (i = 1; i < __SHRIKE_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, i, stats[i], SHRIKE_STAT_UNSPEC))
			goto nospace;
	nla_nest_end(msg, nest);
	if (nla_put_u64_64bit(msg, SHRIKE_A_GENERATION, gen, SHRIKE_A_UNSPEC) ||
	    (l && put_rule_stats(msg, l)))
		goto nospace;
	shrike_table_unlock();
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	shrike_table_unlock();
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int shrike_unload_table(struct sk_buff *skb, struct genl_info *info)
{
	return require_sys_admin(skb, info) ?: shrike_table_unload(info);
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
	{
		.cmd = SHRIKE_CMD_LOAD_BEGIN,
		.doit = shrike_load_begin,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SHRIKE_CMD_LOAD_COMMIT,
		.doit = shrike_load_commit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SHRIKE_CMD_LOCK,
		.doit = shrike_lock,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SHRIKE_CMD_SET_CONFIG,
		.doit = shrike_set_config_cmd,
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

/* A socket closed: stop sending to it, drop its unfinished table load. */
static int shrike_netlink_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net) || !n->portid)
		return NOTIFY_DONE;
	shrike_unsubscribe(n->portid);
	shrike_table_release(n->portid);
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
	shrike_set_subscriber(NULL, 0);
}
