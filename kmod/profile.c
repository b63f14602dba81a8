// SPDX-License-Identifier: GPL-2.0
/*
 * profile.c - the per-stage and per-field cycle counters of profile.h.
 * Writing 1 to the "profile" parameter clears the counters and turns them
 * on; 0 turns them off and keeps them for reading. Counters are per CPU,
 * added to with preemption disabled, summed when read.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include "event.h"
#include "profile.h"

DEFINE_STATIC_KEY_FALSE(shrike_profiling);

struct prof_slot {
	u64 calls;
	u64 cycles;
};

/* Stages first, then one slot per field id. */
#define PROF_SLOTS	(__SHRIKE_PROF_STAGES + __SHRIKE_F_MAX)

static struct prof_slot __percpu *prof;
static struct dentry *dir;
static bool profile;

static const char *const stage_names[__SHRIKE_PROF_STAGES] = {
	[SHRIKE_PROF_SETUP] = "setup",
	[SHRIKE_PROF_EVAL] = "eval",
	[SHRIKE_PROF_EMIT] = "emit",
	[SHRIKE_PROF_DRAIN] = "drain",
	[SHRIKE_PROF_TASK_EXEC] = "task_exec",
	[SHRIKE_PROF_TASK_FORK] = "task_fork",
	[SHRIKE_PROF_TASK_EXIT] = "task_exit",
};

/* Any context: the drain adds to it preemptible. */
void shrike_prof_add(unsigned int slot, u64 cycles)
{
	if (!prof || slot >= PROF_SLOTS)
		return;
	this_cpu_inc(prof[slot].calls);
	this_cpu_add(prof[slot].cycles, cycles);
}

static void sum(unsigned int slot, struct prof_slot *out)
{
	int cpu;

	out->calls = out->cycles = 0;
	for_each_possible_cpu(cpu) {
		const struct prof_slot *s = per_cpu_ptr(prof, cpu) + slot;

		out->calls += READ_ONCE(s->calls);
		out->cycles += READ_ONCE(s->cycles);
	}
}

static int profile_show(struct seq_file *m, void *v)
{
	struct prof_slot s;
	unsigned int i;

	seq_puts(m, "# kind name calls cycles cycles_per_call\n");
	for (i = 0; i < PROF_SLOTS; i++) {
		sum(i, &s);
		if (!s.calls)
			continue;
		seq_printf(m, "%s %s %llu %llu %llu\n",
			   i < __SHRIKE_PROF_STAGES ? "stage" : "field",
			   i < __SHRIKE_PROF_STAGES ? stage_names[i] :
			   shrike_fields[i - __SHRIKE_PROF_STAGES].name,
			   s.calls, s.cycles, div64_u64(s.cycles, s.calls));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(profile);

static int profile_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int cpu, ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	if (!prof) {
		/* At insmod, before shrike_profile_init(). */
		profile = on;
		return 0;
	}
	if (on && !profile) {
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(prof, cpu), 0, sizeof(struct prof_slot) * PROF_SLOTS);
		static_branch_enable(&shrike_profiling);
	} else if (!on && profile) {
		static_branch_disable(&shrike_profiling);
	}
	profile = on;
	return 0;
}

static const struct kernel_param_ops profile_ops = {
	.set = profile_set,
	.get = param_get_bool,
};
module_param_cb(profile, &profile_ops, &profile, 0644);
MODULE_PARM_DESC(profile,
		 "Count cycles per stage and per field fetched (1: clear and start, 0: stop); read /sys/kernel/debug/shrike/profile");

int shrike_profile_init(void)
{
	prof = __alloc_percpu(sizeof(struct prof_slot) * PROF_SLOTS, __alignof__(struct prof_slot));
	if (!prof)
		return -ENOMEM;
	/* Optional: without debugfs the counters are simply not readable. */
	dir = debugfs_create_dir("shrike", NULL);
	debugfs_create_file("profile", 0400, dir, NULL, &profile_fops);
	if (profile)
		static_branch_enable(&shrike_profiling);
	return 0;
}

/* After every probe stopped. */
void shrike_profile_exit(void)
{
	debugfs_remove_recursive(dir);
	if (profile)
		static_branch_disable(&shrike_profiling);
	free_percpu(prof);
	prof = NULL;
}
