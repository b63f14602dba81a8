/* stats.c - the agent's counters reported: the webserver's Prometheus
 * /metrics, shrike.ko's counters read once a second, and Falco's
 * syscall_event_drops alert from them. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "agent.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "agentlog.h"

/* ---- metrics ---------------------------------------------------------------- */

static void prom_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*s, f);
	}
}

/* shrike.ko's counters that are not drops, one metric each. */
static const struct {
	const char *name, *help;
} kernel_metrics[__SHRIKE_STAT_MAX] = {
	[SHRIKE_STAT_EVENTS] = { "shrike_kernel_events_total",
				 "Syscalls shrike.ko saw that some rule cares about." },
	[SHRIKE_STAT_EVALUATED] = { "shrike_kernel_evaluated_total",
				    "Rule programs shrike.ko ran." },
	[SHRIKE_STAT_ALERTS] = { "shrike_kernel_sent_total",
				 "Events shrike.ko sent up to the agent." },
	[SHRIKE_STAT_CANDIDATES] = { "shrike_kernel_candidates_total",
				     "Events sent up that needed the agent stage." },
	[SHRIKE_STAT_SUBSCRIBE_REFUSED] = { "shrike_kernel_subscribe_refused_total",
					    "Subscriptions refused while the stream was locked." },
	[SHRIKE_STAT_EVAL_BUDGET] = { "shrike_kernel_eval_budget_total",
				      "Events whose evaluation ran out of budget (left to the agent)." },
	[SHRIKE_STAT_X32] = { "shrike_kernel_x32_unmonitored_total",
			      "x32-ABI syscalls entered while a table was loaded (not monitored)." },
};

static void metric_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void agent_metrics(void *data, FILE *f)
{
	struct agent *ag = data;
	struct out_stats st[8];
	size_t i, n;
	int k;

	n = outputs_stats(&ag->outs, st, 8);
	metric_head(f, "shrike_build_info", "gauge", "The agent's version and ABI, as labels.");
	fprintf(f, "shrike_build_info{version=\"%s\",abi=\"%d\"} 1\n", SHRIKE_VERSION,
		SHRIKE_ABI_VERSION);
	pthread_mutex_lock(&ag->lock);
	metric_head(f, "shrike_uptime_seconds", "gauge", "Seconds since the agent started.");
	fprintf(f, "shrike_uptime_seconds %lld\n", (long long)(time(NULL) - ag->started));
	metric_head(f, "shrike_rules_loaded", "gauge", "Rules in the running table.");
	fprintf(f, "shrike_rules_loaded %zu\n", ag->nrules);
	metric_head(f, "shrike_reloads_total", "counter", "Rule reloads (SIGHUP), by result.");
	fprintf(f,
		"shrike_reloads_total{result=\"ok\"} %llu\n"
		"shrike_reloads_total{result=\"failed\"} %llu\n",
		(unsigned long long)ag->reloads_ok, (unsigned long long)ag->reloads_failed);
	metric_head(f, "shrike_events_total", "counter",
		    "Events received, by source: records from shrike.ko, audit events accepted.");
	fprintf(f,
		"shrike_events_total{source=\"syscall\"} %llu\n"
		"shrike_events_total{source=\"k8s_audit\"} %llu\n",
		(unsigned long long)ag->events[SHRIKE_SRC_SYSCALL],
		(unsigned long long)ag->events[SHRIKE_SRC_K8S_AUDIT]);
	metric_head(f, "shrike_netlink_recv_calls_total", "counter",
		    "System calls reading shrike.ko's alert socket.");
	fprintf(f, "shrike_netlink_recv_calls_total %llu\n", (unsigned long long)ag->recv_calls);
	metric_head(f, "shrike_netlink_batches_total", "counter",
		    "Batches of records (datagrams) read from shrike.ko's alert socket.");
	fprintf(f, "shrike_netlink_batches_total %llu\n", (unsigned long long)ag->recv_dgrams);
	metric_head(f, "shrike_matches_total", "counter",
		    "Rule matches, before the priority filter and rate limit.");
	for (i = 0; i < ag->nrc; i++) {
		fputs("shrike_matches_total{rule=\"", f);
		prom_label(f, ag->rc[i].name);
		fprintf(f, "\",priority=\"%s\",source=\"%s\"} %llu\n",
			output_priority_name(ag->rc[i].priority),
			output_source_name(ag->rc[i].source), (unsigned long long)ag->rc[i].n);
	}
	metric_head(f, "shrike_agent_drops_total", "counter",
		    "Events or alerts the agent did not output, by cause.");
	fprintf(f,
		"shrike_agent_drops_total{cause=\"socket_overflow\"} %llu\n"
		"shrike_agent_drops_total{cause=\"stale_table\"} %llu\n"
		"shrike_agent_drops_total{cause=\"rate_limit\"} %llu\n"
		"shrike_agent_drops_total{cause=\"priority\"} %llu\n",
		(unsigned long long)ag->overflows, (unsigned long long)ag->stale,
		(unsigned long long)ag->outs.rate_limited, (unsigned long long)ag->outs.filtered);
	if (ag->rec_path) {
		metric_head(f, "shrike_recorded_events_total", "counter",
			    "Events written to the -w file.");
		fprintf(f, "shrike_recorded_events_total %llu\n",
			(unsigned long long)ag->rec_events);
		metric_head(f, "shrike_record_failures_total", "counter",
			    "Events received that could not be written to the -w file.");
		fprintf(f, "shrike_record_failures_total %llu\n",
			(unsigned long long)ag->rec_failed);
	}
	if (ag->have_kstats) {
		metric_head(f, "shrike_kernel_drops_total", "counter",
			    "Events shrike.ko lost or left out of an alert, by cause.");
		for (k = 1; k < __SHRIKE_STAT_MAX; k++)
			if (shrike_stat_is_drop(k))
				fprintf(f, "shrike_kernel_drops_total{cause=\"%s\"} %llu\n",
					shrike_stat_name(k), (unsigned long long)ag->kstats[k]);
		for (k = 1; k < __SHRIKE_STAT_MAX; k++) {
			if (shrike_stat_is_drop(k) || !kernel_metrics[k].name)
				continue;
			metric_head(f, kernel_metrics[k].name, "counter", kernel_metrics[k].help);
			fprintf(f, "%s %llu\n", kernel_metrics[k].name,
				(unsigned long long)ag->kstats[k]);
		}
	}
	pthread_mutex_unlock(&ag->lock);
	metric_head(f, "shrike_output_drops_total", "counter",
		    "Alerts an output lost because its queue was full.");
	for (i = 0; i < n; i++)
		fprintf(f, "shrike_output_drops_total{output=\"%s\"} %llu\n", st[i].name,
			(unsigned long long)st[i].dropped);
	metric_head(f, "shrike_output_sent_total", "counter", "Alerts written, by output.");
	for (i = 0; i < n; i++)
		fprintf(f, "shrike_output_sent_total{output=\"%s\"} %llu\n", st[i].name,
			(unsigned long long)st[i].sent);
	metric_head(f, "shrike_output_failures_total", "counter",
		    "Alerts an output failed to write.");
	for (i = 0; i < n; i++)
		fprintf(f, "shrike_output_failures_total{output=\"%s\"} %llu\n", st[i].name,
			(unsigned long long)st[i].failed);
	metric_head(f, "shrike_output_queue_depth", "gauge",
		    "Alerts waiting in an output's queue.");
	for (i = 0; i < n; i++)
		fprintf(f, "shrike_output_queue_depth{output=\"%s\"} %llu\n", st[i].name,
			(unsigned long long)st[i].depth);
}

/* ---- the drop alert: Falco's syscall_event_drops, from the kernel's counters --- */

static u64 now_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return (u64)now.tv_sec * 1000000000ull + (u64)now.tv_nsec;
}

/* Falco's drop alert, "Falco internal: syscall event drop", with msg and
 * fields (taken over), to every output. */
static void internal_alert(struct agent *ag, const char *msg, json_object *fields)
{
	u64 ns = now_ns();
	char *json = output_internal_json(ag->hostname, "Falco internal: syscall event drop",
					  SHRIKE_PRI_DEBUG, msg, fields, ns);
	char *line = output_internal_text(SHRIKE_PRI_DEBUG, msg, ns, &ag->out);

	if (json && line)
		outputs_send(&ag->outs, SHRIKE_PRI_DEBUG, ag->outs.json ? json : line, json);
	free(json);
	free(line);
}

static void drop_alert(struct agent *ag, const uint64_t *d, uint64_t drops, uint64_t evts)
{
	char msg[256];
	json_object *fields;

	snprintf(msg, sizeof(msg),
		 "Falco internal: syscall event drop. %llu system calls dropped in last second.",
		 (unsigned long long)drops);
	if (cfg_list_has(ag->cfg, CFG_DROPS_ACTIONS, "log"))
		alog(LOG_ERR,
		     "%s (buffer_full=%llu receiver_full=%llu scratch=%llu task_table=%llu rule_cap=%llu events=%llu)",
		     msg, (unsigned long long)d[SHRIKE_STAT_DROP_BUFFER_FULL],
		     (unsigned long long)d[SHRIKE_STAT_DROP_RECEIVER_FULL],
		     (unsigned long long)d[SHRIKE_STAT_DROP_SCRATCH],
		     (unsigned long long)d[SHRIKE_STAT_DROP_TASK_TABLE],
		     (unsigned long long)d[SHRIKE_STAT_DROP_RULE_CAP], (unsigned long long)evts);
	if (cfg_list_has(ag->cfg, CFG_DROPS_ACTIONS, "alert")) {
		fields = json_object_new_object();
		json_object_object_add(fields, "n_drops", json_object_new_int64((int64_t)drops));
		json_object_object_add(
			fields, "n_drops_buffer",
			json_object_new_int64((int64_t)(d[SHRIKE_STAT_DROP_BUFFER_FULL] +
							d[SHRIKE_STAT_DROP_RECEIVER_FULL])));
		json_object_object_add(fields, "n_drops_scratch_map",
				       json_object_new_int64((int64_t)d[SHRIKE_STAT_DROP_SCRATCH]));
		json_object_object_add(
			fields, "n_drops_task_table",
			json_object_new_int64((int64_t)d[SHRIKE_STAT_DROP_TASK_TABLE]));
		json_object_object_add(fields, "n_evts", json_object_new_int64((int64_t)evts));
		internal_alert(ag, msg, fields);
	}
	if (cfg_list_has(ag->cfg, CFG_DROPS_ACTIONS, "exit")) {
		alog_fatal("exiting on event drops (syscall_event_drops.actions: exit)");
		ag->exit_on_drop = true;
	}
}

/* See agent.h: the threshold is a percentage, as in Falco, and the drop
 * alert comes at most as often as the drop token bucket allows. */
int agent_tick(struct agent *ag, struct shrike_nl *cmd)
{
	uint64_t st[__SHRIKE_STAT_MAX], d[__SHRIKE_STAT_MAX] = { 0 }, drops = 0, evts;
	int k, ret;

	if (!cmd)
		return 0;
	ret = shrike_nl_get_stats(cmd, st);
	if (ret)
		return ret;
	pthread_mutex_lock(&ag->lock);
	memcpy(ag->kstats, st, sizeof(st));
	ag->have_kstats = true;
	pthread_mutex_unlock(&ag->lock);
	if (ag->have_prev) {
		/* Losses, not the rate limit a rule asked for. */
		for (k = SHRIKE_STAT_DROP_BUFFER_FULL; k <= SHRIKE_STAT_DROP_LAST; k++) {
			d[k] = st[k] >= ag->prev_kstats[k] ? st[k] - ag->prev_kstats[k] : 0;
			if (k != SHRIKE_STAT_DROP_RATE_LIMIT)
				drops += d[k];
		}
		evts = st[SHRIKE_STAT_EVENTS] - ag->prev_kstats[SHRIKE_STAT_EVENTS];
		if (drops && !cfg_list_has(ag->cfg, CFG_DROPS_ACTIONS, "ignore") &&
		    100.0 * (double)drops / (double)(evts ? evts : 1) >
			    cfg_double(ag->cfg, CFG_DROPS_THRESHOLD) &&
		    tb_claim(&ag->drop_tb, outputs_now_ns()))
			drop_alert(ag, d, drops, evts);
	}
	memcpy(ag->prev_kstats, st, sizeof(st));
	ag->have_prev = true;
	return 0;
}

/*
 * The gap: events shrike.ko dropped because no agent was subscribed
 * (SHRIKE_STAT_DROP_NO_RECEIVER only grows then), since the previous agent
 * subscribed: it left the count it saw in AGENT_STATE_FILE. A count below
 * it is a new module instance (counters start at 0). Without the file
 * (the first agent since boot), the whole count since the module loaded.
 */
void agent_report_gap(struct agent *ag, struct shrike_nl *cmd)
{
	uint64_t st[__SHRIKE_STAT_MAX], last = 0, gap;
	char msg[256];
	json_object *fields;
	FILE *f;

	if (shrike_nl_get_stats(cmd, st))
		return;
	/* The baseline of the once-a-second drop check: drops from here on
	 * are reported by the next tick, the first one included. */
	memcpy(ag->prev_kstats, st, sizeof(st));
	ag->have_prev = true;
	f = fopen(AGENT_STATE_FILE, "r");
	if (f) {
		if (fscanf(f, "no_receiver %" SCNu64, &last) != 1)
			last = 0;
		fclose(f);
	}
	if (st[SHRIKE_STAT_DROP_NO_RECEIVER] < last)
		last = 0;
	gap = st[SHRIKE_STAT_DROP_NO_RECEIVER] - last;
	if (mkdir(AGENT_STATE_DIR, 0755) && errno != EEXIST)
		alog(LOG_DEBUG, "cannot create %s: %s", AGENT_STATE_DIR, strerror(errno));
	f = fopen(AGENT_STATE_FILE ".new", "w");
	if (f) {
		fprintf(f, "no_receiver %" PRIu64 "\n", st[SHRIKE_STAT_DROP_NO_RECEIVER]);
		if (fclose(f) == 0)
			rename(AGENT_STATE_FILE ".new", AGENT_STATE_FILE);
	}
	if (!gap)
		return;
	snprintf(msg, sizeof(msg),
		 "Falco internal: syscall event drop. %" PRIu64
		 " system calls dropped while no agent was receiving.",
		 gap);
	alog(LOG_ERR, "%s (no_receiver=%" PRIu64 ")", msg, gap);
	if (cfg_list_has(ag->cfg, CFG_DROPS_ACTIONS, "alert")) {
		fields = json_object_new_object();
		json_object_object_add(fields, "n_drops", json_object_new_int64((int64_t)gap));
		json_object_object_add(fields, "n_drops_no_receiver",
				       json_object_new_int64((int64_t)gap));
		internal_alert(ag, msg, fields);
	}
}
