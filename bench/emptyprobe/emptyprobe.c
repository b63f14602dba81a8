// SPDX-License-Identifier: GPL-2.0
/*
 * emptyprobe.c - probes on sys_enter and sys_exit that do nothing: the cost
 * of hooking every syscall at all (the syscall-work slow path and the
 * tracepoint call), the floor every in-kernel monitor pays. Registered the
 * way shrike.ko registers its probes, so the difference is Shrike's work.
 */
#include <linux/module.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <asm/ptrace.h>

static struct tracepoint *tp_enter, *tp_exit;

static void tp_match(struct tracepoint *tp, void *data)
{
	if (!strcmp(tp->name, "sys_enter"))
		tp_enter = tp;
	else if (!strcmp(tp->name, "sys_exit"))
		tp_exit = tp;
}

static noinline void probe_enter(void *data, struct pt_regs *regs, long id)
{
}

static noinline void probe_exit(void *data, struct pt_regs *regs, long ret)
{
}

static int __init emptyprobe_init(void)
{
	int ret;

	for_each_kernel_tracepoint(tp_match, NULL);
	if (!tp_enter || !tp_exit)
		return -ENOENT;
	ret = tracepoint_probe_register(tp_enter, probe_enter, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(tp_exit, probe_exit, NULL);
	if (ret) {
		tracepoint_probe_unregister(tp_enter, probe_enter, NULL);
		tracepoint_synchronize_unregister();
	}
	return ret;
}

static void __exit emptyprobe_exit(void)
{
	tracepoint_probe_unregister(tp_exit, probe_exit, NULL);
	tracepoint_probe_unregister(tp_enter, probe_enter, NULL);
	tracepoint_synchronize_unregister();
}

module_init(emptyprobe_init);
module_exit(emptyprobe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Benchmark floor: empty sys_enter/sys_exit probes");
