/* run.c - the agent's main loop: compile the rules, load the table into
 * shrike.ko, subscribe, and turn each event the kernel sends up into Falco
 * alerts: captured values into an event, enrichment of the userspace-only
 * fields, the agent stage of each candidate rule, and output. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "run.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "genl.h"
#include "match.h"
#include "output.h"
#include "../compiler/codegen.h"
#include "../compiler/fields.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct agent {
	struct shrike_table t;
	void *table;
	size_t table_len;
	struct output_opts out;
	bool json;
	char hostname[256];
	unsigned long alerts;
};

/* Loads and compiles the rule files; diagnostics to stderr. */
static int compile_rules(struct agent *ag, const struct agent_opts *o)
{
	struct compile_opts co = { .match_all = o->match_all };
	struct ruleset *rs = ruleset_new();
	size_t i;
	int ret = 1;

	if (!rs)
		return 2;
	for (i = 0; i < o->nrules_files; i++)
		ruleset_load_path(rs, o->rules_files[i]);
	ruleset_finish(rs);
	if (!ruleset_errors(rs) &&
	    compile_ruleset(rs, &co, &ag->table, &ag->table_len, &rs->diags) == 0 &&
	    shrike_table_verify(ag->table, (u32)ag->table_len, &ag->t, NULL) == 0)
		ret = 0;
	diag_print_all(stderr, &rs->diags);
	if (!ret)
		fprintf(stderr, "shrike-agent: %zu rules loaded (%zu bytes)\n", rs->nrules,
			ag->table_len);
	ruleset_free(rs);
	return ret;
}

/* The argument text a captured (field, arg) is keyed by in the event. */
static const char *arg_text(struct agent *ag, u16 field, u16 arg, char *buf, size_t len)
{
	const struct field_info *fi = field_at(field);
	const char *s;
	u32 n;

	if (arg == SHRIKE_ARG_NONE || !fi)
		return NULL;
	if (fi->argkind == SHRIKE_ARGK_INDEX) {
		snprintf(buf, len, "%u", arg);
		return buf;
	}
	s = shrike_str_at(&ag->t, arg, &n);
	snprintf(buf, len, "%.*s", (int)n, s);
	return buf;
}

static void put_field(struct agent *ag, struct uevent *ev, const struct nlattr *nest)
{
	const struct nlattr *a;
	u16 id = 0, arg = SHRIKE_ARG_NONE;
	u8 type = 0;
	const void *val = NULL;
	size_t len = 0;
	char argbuf[128];
	const char *at;
	u64 u = 0;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SHRIKE_AF_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				id = mnl_attr_get_u16(a);
			break;
		case SHRIKE_AF_ARG:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				arg = mnl_attr_get_u16(a);
			break;
		case SHRIKE_AF_TYPE:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
				type = mnl_attr_get_u8(a);
			break;
		case SHRIKE_AF_VALUE:
			val = mnl_attr_get_payload(a);
			len = mnl_attr_get_payload_len(a);
			break;
		}
	}
	if (!val || id >= fields_count())
		return;
	at = arg_text(ag, id, arg, argbuf, sizeof(argbuf));
	switch (type) {
	case SHRIKE_T_STR:
		uevent_set_str(ev, id, at, val, len);
		break;
	case SHRIKE_T_U64:
	case SHRIKE_T_S64:
	case SHRIKE_T_BOOL:
		if (len != sizeof(u))
			return;
		memcpy(&u, val, sizeof(u));
		u = le64toh(u);
		if (type == SHRIKE_T_S64)
			uevent_set_s64(ev, id, at, (s64)u);
		else if (type == SHRIKE_T_BOOL)
			uevent_set_bool(ev, id, at, u != 0);
		else
			uevent_set_u64(ev, id, at, u);
		break;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET: {
		const u8 *p = val;

		if (len < 2 || (p[0] == 4 && len != 6) || (p[0] == 6 && len != 18))
			return;
		uevent_set_ip(ev, id, at, p[0], p + 2, p[1]);
		break;
	}
	}
}

/* What only userspace knows: names of users and groups. */
static void enrich(struct uevent *ev)
{
	struct shrike_val v;
	struct passwd *pw;
	struct group *gr;

	if (uevent_lookup(ev, SHRIKE_F_USER_UID, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    (pw = getpwuid((uid_t)v.u)))
		uevent_set_str(ev, SHRIKE_F_USER_NAME, NULL, pw->pw_name, strlen(pw->pw_name));
	if (uevent_lookup(ev, SHRIKE_F_GROUP_GID, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    (gr = getgrgid((gid_t)v.u)))
		uevent_set_str(ev, SHRIKE_F_GROUP_NAME, NULL, gr->gr_name, strlen(gr->gr_name));
}

static void emit(struct agent *ag, const struct shrike_rule *r, struct uevent_ctx *ctx)
{
	const char *tags[SHRIKE_MAX_TAGS];
	struct alert a = { 0 };
	char *name, *fmt, *line;
	const char *s;
	u32 n, i;

	s = shrike_rule_name(&ag->t, r, &n);
	name = strndup(s, n);
	s = shrike_rule_output(&ag->t, r, &n);
	fmt = strndup(s, n);
	for (i = 0; i < le16_to_cpu(r->ntags) && i < SHRIKE_MAX_TAGS; i++) {
		s = shrike_rule_tag(&ag->t, r, i, &n);
		tags[i] = strndup(s, n);
	}
	a.rule = name;
	a.priority = r->priority;
	a.source = r->source;
	a.tags = tags;
	a.ntags = i;
	a.output_fmt = fmt;
	a.hostname = ag->hostname;
	line = ag->json ? output_format_json(&a, ctx, &ag->out) :
			  output_format_text(&a, ctx, &ag->out);
	if (line) {
		puts(line);
		fflush(stdout);
		ag->alerts++;
	}
	free(line);
	while (i--)
		free((char *)tags[i]);
	free(name);
	free(fmt);
}

struct alert_msg {
	u32 checksum, evt, decided, nrules;
	u64 ts;
	u32 rules[32];
};

static int alert_cb(const struct nlmsghdr *nlh, void *data)
{
	struct agent *ag = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct alert_msg m = { 0 };
	struct uevent ev;
	struct uevent_ctx ctx = { &ag->t, &ev };
	bool all = ag->t.flags & SHRIKE_TF_MATCH_ALL;
	u32 i;

	if (g->cmd != SHRIKE_CMD_ALERT)
		return MNL_CB_OK;
	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (mnl_attr_get_type(a)) {
		case SHRIKE_A_TABLE_CHECKSUM:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				m.checksum = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_ALERT_TS:
			if (mnl_attr_validate(a, MNL_TYPE_U64) == 0)
				m.ts = mnl_attr_get_u64(a);
			break;
		case SHRIKE_A_ALERT_EVT:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				m.evt = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_ALERT_DECIDED:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				m.decided = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_ALERT_RULE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0 && m.nrules < 32)
				m.rules[m.nrules++] = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_ALERT_FIELD:
			put_field(ag, &ev, a);
			break;
		}
	}
	/* A record of another table (a reload raced with it) names rules we
	 * cannot interpret: drop it rather than misreport. */
	if (m.checksum != ag->t.checksum)
		goto out;
	ev.ts = m.ts;
	ev.has_ts = true;
	if (m.evt < evtypes_count()) {
		const char *name = evtype_name((int)m.evt);

		uevent_set_str(&ev, SHRIKE_F_EVT_TYPE, NULL, name, strlen(name));
	}
	enrich(&ev);
	for (i = 0; i < m.nrules; i++) {
		const struct shrike_rule *r = shrike_rule_at(&ag->t, m.rules[i]);

		if (!r)
			continue;
		/* Decided TRUE in the kernel, or the agent stage says TRUE. */
		if (!(m.decided & (1u << i)) &&
		    shrike_eval(&ag->t, r, uevent_fetch, &ctx) != SHRIKE_V_TRUE)
			continue;
		emit(ag, r, &ctx);
		if (!all)
			break;
	}
out:
	uevent_free(&ev);
	return MNL_CB_OK;
}

int agent_run(const struct agent_opts *o)
{
	struct agent ag = { 0 };
	struct shrike_nl cmd, alerts;
	struct sigaction sa = { .sa_handler = on_signal };
	char err[256];
	int ret;

	ret = compile_rules(&ag, o);
	if (ret)
		goto out;
	output_opts_init(&ag.out);
	ag.out.time_format_iso_8601 = o->time_format_iso_8601;
	ag.json = o->json_output;
	if (gethostname(ag.hostname, sizeof(ag.hostname)))
		strcpy(ag.hostname, "localhost");
	ag.hostname[sizeof(ag.hostname) - 1] = 0;
	match_init();

	ret = shrike_nl_open(&cmd, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "shrike-agent: %s\n", err);
		ret = ret == -ENOENT ? 1 : 2;
		goto out;
	}
	ret = shrike_nl_open(&alerts, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "shrike-agent: %s\n", err);
		shrike_nl_close(&cmd);
		ret = 2;
		goto out;
	}
	/* Subscribe first, so nothing the new table matches is missed. */
	ret = shrike_nl_subscribe(&alerts);
	if (!ret)
		ret = shrike_nl_load_table(&cmd, ag.table, ag.table_len);
	if (ret) {
		fprintf(stderr, "shrike-agent: %s: %s%s%s\n", "loading the table", strerror(-ret),
			cmd.errmsg[0] ? ": " : "", cmd.errmsg);
		ret = 1;
		goto close;
	}
	fprintf(stderr, "shrike-agent: table %08x loaded, waiting for events\n", ag.t.checksum);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		ret = shrike_nl_recv(&alerts, alert_cb, &ag);
		if (ret == -EINTR)
			continue;
		if (ret == -ENOBUFS) {
			/* The socket overflowed: the kernel counts these. */
			continue;
		}
		if (ret) {
			fprintf(stderr, "shrike-agent: receiving: %s\n", strerror(-ret));
			break;
		}
	}
	ret = 0;
	if (o->unload_on_exit)
		shrike_nl_unload_table(&cmd);
close:
	shrike_nl_close(&alerts);
	shrike_nl_close(&cmd);
out:
	free(ag.table);
	return ret;
}
