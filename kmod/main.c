// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module entry: parameters, init ladder and unload.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "shrike.h"
#include "deliver.h"
#include "profile.h"
#include "tasks.h"

unsigned int shrike_max_table_size = 1u << 20;

static int max_table_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v < sizeof(struct shrike_table_hdr) || v > SHRIKE_MAX_TABLE_SIZE)
		return -ERANGE;
	return param_set_uint(val, kp);
}

static const struct kernel_param_ops max_table_size_ops = {
	.set = max_table_size_set,
	.get = param_get_uint,
};
module_param_cb(max_table_size, &max_table_size_ops, &shrike_max_table_size, 0644);
MODULE_PARM_DESC(max_table_size,
		 "Largest rule table accepted over netlink, in bytes (default 1048576, at most 4194304)");

static int __init shrike_init(void)
{
	int ret;

	/*
	 * The probes take spinlock_t locks through kernel helpers (fs->lock
	 * for the cwd, task_lock, siglock, the task table's lock) with
	 * preemption disabled: on PREEMPT_RT those are sleeping locks.
	 */
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		pr_err("shrike: PREEMPT_RT kernels are not supported: the probes take spinlock_t locks, which sleep there\n");
		return -EOPNOTSUPP;
	}
	ret = shrike_extract_check();
	if (ret)
		return ret;
	/* First in, last out: every probe adds to its counters. */
	ret = shrike_profile_init();
	if (ret)
		return ret;
	ret = shrike_tasks_init();
	if (ret)
		goto err_profile;
	ret = shrike_deliver_init();
	if (ret)
		goto err_tasks;
	ret = shrike_probe_init();
	if (ret)
		goto err_deliver;
	ret = shrike_container_init();
	if (ret)
		goto err_probe;
	ret = shrike_netlink_init();
	if (ret)
		goto err_container;
	pr_info("shrike: version " SHRIKE_VERSION " (abi %d) loaded\n", SHRIKE_ABI_VERSION);
	return 0;

err_container:
	shrike_container_stop();
err_probe:
	shrike_probe_stop();
	shrike_deliver_stop();
err_deliver:
	shrike_deliver_exit();
err_tasks:
	shrike_tasks_exit();
err_profile:
	shrike_profile_exit();
	return ret;
}

/*
 * Producers before consumers before what they share. Every probe goes first
 * and is waited for: the syscall probes and the container exec probe write
 * the per-CPU records and rings and queue the drain, and read the table and
 * the task table. Then the drain work, which sends with the family and must
 * not do so once it is unregistered (its id may be reused by another
 * family). Then the family: handlers in flight finish, and GET_STATS reads
 * the per-CPU counters, so the buffers are freed only after it. Then the
 * task table (its exit unregisters its own probes first) and the profile
 * counters, which every probe adds to, and the rule table, which only
 * probes and handlers used.
 */
static void __exit shrike_exit(void)
{
	shrike_probe_stop();
	shrike_container_stop();
	shrike_deliver_stop();
	shrike_netlink_exit();
	shrike_deliver_exit();
	shrike_tasks_exit();
	shrike_profile_exit();
	shrike_table_exit();
	pr_info("shrike: unloaded\n");
}

module_init(shrike_init);
module_exit(shrike_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The Shrike authors");
MODULE_DESCRIPTION("Shrike: in-kernel evaluation of Falco-style security rules");
MODULE_VERSION(SHRIKE_VERSION);
