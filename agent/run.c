/* run.c - the agent's main loop: compile the rules, load the table into
 * shrike.ko, subscribe, and turn each event the kernel sends up into Falco
 * alerts: captured values into an event, enrichment of the userspace-only
 * fields, the agent stage of each candidate rule, and the outputs. The
 * webserver's thread evaluates Kubernetes audit events on the same table.
 * The counters' reports (/metrics, the drop alert) are stats.c's; the state
 * both share is struct agent (agent.h).
 *
 * Threads: this loop (netlink, signals, reloads, the drop alert), the
 * webserver's, one per output channel, and dns.c's resolver (its own lock,
 * never held around DNS). ag->lock covers the table and
 * everything evaluation touches that is not per event (the evaluator's regex
 * cache, the enrichment caches, the counters); outputs only queue under it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "run.h"
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "../lib/dns.h"
#include "enrich.h"
#include "genl.h"
#include "../lib/match.h"
#include "../lib/alert.h"
#include "channels.h"
#include "../lib/strbuf.h"
#include "webserver.h"
#include "agentlog.h"
#include "../compiler/compiler.h"
#include "../lib/fields.h"

static volatile sig_atomic_t stop, reload, reopen;

/* How long a table load waits for the first resolution of the names of its
 * fd.sip.name comparisons: not at all. Until a name is resolved, in the
 * background, comparisons with it are UNKNOWN (no alert rather than a
 * guess); a resolver that does not answer must delay neither the start nor
 * a reload, nor any alert. */
#define DNS_WAIT_MS 0

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else if (sig == SIGUSR1)
		reopen = 1;
	else
		stop = 1;
}

/* What emitting an alert of one rule of the running table needs, made at
 * its first match and kept until the table changes: the strings copied out
 * of the table, its parsed output format, its match counter. */
struct rule_out {
	bool ready;
	struct alert_rule ar;
	size_t rc; /* index in agent.rc */
	struct output_tmpl *tmpl;
};

/* "No rules file", on one line: what was looked for, and where that list
 * came from (-r, -o, or the configuration file's key). */
static void no_rules_files(const struct config *cfg, char *const *files, size_t n)
{
	struct strbuf b = { 0 };
	char *line;
	size_t i;

	sb_str(&b, "no rules file found: ");
	sb_str(&b, n ? "looked for " : "");
	for (i = 0; i < n; i++) {
		sb_str(&b, i ? ", " : "");
		sb_str(&b, files[i]);
	}
	sb_str(&b, n ? " (" : "");
	if (cfg->rules_from_cli) {
		sb_str(&b, "-r");
	} else {
		sb_str(&b, cfg->rules_from_o ? "-o " : "");
		sb_str(&b, cfg->rules_key);
		if (cfg->path && !cfg->rules_from_o) {
			sb_str(&b, " in ");
			sb_str(&b, cfg->path);
		}
	}
	sb_str(&b, n ? ")" : " lists none");
	line = sb_take(&b);
	alog_fatal("%s", line ? line : "no rules file found");
	free(line);
}

/* See run.h. */
int agent_load_rules(const struct config *cfg, struct ruleset **out)
{
	struct ruleset *rs = ruleset_new();
	char *const *files;
	bool *missing = NULL;
	size_t i, n;
	struct stat st;
	int ret = 1;

	*out = NULL;
	if (!rs)
		return 2;
	files = cfg_list(cfg, CFG_RULES_FILE, &n);
	if (n && !(missing = calloc(n, sizeof(*missing)))) {
		ruleset_free(rs);
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (!cfg->rules_from_cli && stat(files[i], &st) && errno == ENOENT) {
			missing[i] = true;
			continue;
		}
		ruleset_load_path(rs, files[i]);
	}
	/* A path that cannot be read is an error of its own (below). */
	if (!rs->nfiles && !ruleset_errors(rs)) {
		no_rules_files(cfg, files, n);
		free(missing);
		ruleset_free(rs);
		return 1;
	}
	for (i = 0; i < n; i++)
		if (missing[i])
			alog(LOG_WARNING, "warning: %s %s does not exist, skipped", cfg->rules_key,
			     files[i]);
	free(missing);
	ruleset_finish(rs);
	if (!ruleset_errors(rs)) {
		/* Falco applies -D/-T/-t or `rules:` once the files are
		 * loaded; config_check() let only one of the two through. */
		rsel_apply(cfg->cli_sel.n ? &cfg->cli_sel : &cfg->rules_sel, rs, stderr,
			   "shrike-agent: ");
		if (ruleset_output_extra(rs, cfg->output_extra, cfg->replace_container_info) == 0)
			ret = 0;
		else
			ret = 2;
	}
	*out = rs;
	return ret;
}

/* Loads and compiles the rule files; diagnostics (file:line:col) to
 * stderr. Paths from the configuration file that do not exist are skipped
 * with a warning, so that the default configuration works with what is
 * installed; paths given with -r must exist. No rules file at all is an
 * error, as in Falco: an agent that can match nothing must not start and
 * look healthy (nor a reload replace the rules with none). 0, or 1. */
static int compile_rules(const struct config *cfg, bool record, void **table, size_t *len,
			 struct shrike_table *t, size_t *nrules)
{
	/* Falco does not load the rules less severe than `priority`: with
	 * first match, one of them must not hide a later rule that would be
	 * printed. The outputs' priority filter stays for tables loaded
	 * with --load-table. */
	struct compile_opts co = {
		.match_all = cfg_int(cfg, CFG_RULE_MATCHING) == 1,
		.has_min_priority = true,
		.min_priority = (int)cfg_int(cfg, CFG_PRIORITY),
		.all_events = cfg->all_events,
		.record = record,
	};
	struct ruleset *rs;
	int ret = agent_load_rules(cfg, &rs);

	if (!rs)
		return ret;
	if (!ret && (compile_ruleset(rs, &co, table, len, &rs->diags) != 0 ||
		     shrike_table_verify(*table, (u32)*len, t, NULL) != 0))
		ret = 1;
	diag_print_all(stderr, &rs->diags);
	if (!ret) {
		*nrules = t->nrules;
		alog(LOG_INFO, "%zu rules loaded (%zu bytes)", *nrules, *len);
	} else {
		alog(LOG_ERR, "%zu errors in the rules", ruleset_errors(rs));
	}
	ruleset_free(rs);
	return ret;
}

/* See agent.h. */
const char *agent_arg_text(const struct shrike_table *t, u16 field, u16 arg, char *buf, size_t len)
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
	s = shrike_str_at(t, arg, &n);
	snprintf(buf, len, "%.*s", (int)n, s);
	return buf;
}

/* What mnl_attr_validate() checks of a fixed-size attribute (its payload
 * holds at least n bytes), without a library call per attribute. */
static inline bool attr_fits(const struct nlattr *a, size_t n)
{
	return a->nla_len >= MNL_ATTR_HDRLEN + n;
}

/* More than the kernel sends (32 ancestors): a longer list is malformed. */
#define MAX_LIST_ITEMS 64

static void put_field(const struct shrike_table *t, struct uevent *ev, const struct nlattr *nest)
{
	const struct nlattr *a;
	u16 id = 0, arg = SHRIKE_ARG_NONE;
	u8 type = 0;
	const void *val = NULL;
	size_t len = 0;
	char argbuf[128];
	const char *at;
	u64 u = 0;

	mnl_attr_for_each_nested(a, nest)
	{
		switch (mnl_attr_get_type(a)) {
		case SHRIKE_AF_ID:
			if (attr_fits(a, sizeof(u16)))
				id = mnl_attr_get_u16(a);
			break;
		case SHRIKE_AF_ARG:
			if (attr_fits(a, sizeof(u16)))
				arg = mnl_attr_get_u16(a);
			break;
		case SHRIKE_AF_TYPE:
			if (attr_fits(a, sizeof(u8)))
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
	at = agent_arg_text(t, id, arg, argbuf, sizeof(argbuf));
	switch (type) {
	case SHRIKE_T_STR: uevent_set_str(ev, id, at, val, len); break;
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
	case SHRIKE_T_STRLIST: {
		/* Each item followed by a NUL: proc.aname without a level. */
		const char *items[MAX_LIST_ITEMS], *p = val, *end = p + len;
		size_t n = 0;

		while (p < end) {
			const char *nul = memchr(p, 0, (size_t)(end - p));

			if (!nul || n == MAX_LIST_ITEMS)
				return;
			items[n++] = p;
			p = nul + 1;
		}
		uevent_set_strlist(ev, id, at, items, n);
		break;
	}
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

/* The index of the counter of rule name in ag->rc, created at 0 if new;
 * SIZE_MAX on ENOMEM. Under ag->lock. */
static size_t rule_counter(struct agent *ag, const char *name, int priority, int source)
{
	struct rule_count *n;
	size_t i;

	for (i = 0; i < ag->nrc; i++)
		if (!strcmp(ag->rc[i].name, name))
			return i;
	n = realloc(ag->rc, (ag->nrc + 1) * sizeof(*n));
	if (!n)
		return SIZE_MAX;
	ag->rc = n;
	n[ag->nrc] = (struct rule_count){ strdup(name), priority, source, 0 };
	if (!n[ag->nrc].name)
		return SIZE_MAX;
	return ag->nrc++;
}

static void rule_out_clear(struct rule_out *o)
{
	alert_rule_clear(&o->ar);
	output_tmpl_free(o->tmpl);
	memset(o, 0, sizeof(*o));
}

/* Forgets every rule's rule_out: the table is about to change. Under ag->lock. */
static void rule_outs_free(struct rule_out **ro, size_t nrules)
{
	size_t i;

	for (i = 0; *ro && i < nrules; i++)
		rule_out_clear(&(*ro)[i]);
	free(*ro);
	*ro = NULL;
}

/* A table the agent reads records of: the running one, or the one it
 * replaced (records still on their way when a reload swapped them). */
struct table_use {
	const struct shrike_table *t;
	struct rule_out **ro; /* its rule_outs, made on first use */
};

/* The rule_out of r, made on first use; NULL on ENOMEM. Under ag->lock. */
static struct rule_out *rule_out_of(struct agent *ag, struct table_use tu,
				    const struct shrike_rule *r)
{
	size_t idx = (size_t)(r - tu.t->rules);
	struct rule_out *o;
	struct alert a;

	if (!*tu.ro && !(*tu.ro = calloc(tu.t->nrules ? tu.t->nrules : 1, sizeof(**tu.ro))))
		return NULL;
	o = &(*tu.ro)[idx];
	if (o->ready)
		return o;
	if (alert_rule_load(&o->ar, tu.t, r))
		return NULL;
	o->rc = rule_counter(ag, o->ar.name, r->priority, r->source);
	alert_of_rule(&a, &o->ar, r, ag->hostname, NULL);
	o->tmpl = output_tmpl_new(&a, &ag->out);
	if (o->rc == SIZE_MAX || !o->tmpl) {
		rule_out_clear(o);
		return NULL;
	}
	o->ready = true;
	return o;
}

/* A matched rule: counted, filtered by priority and the rate limit, then
 * formatted and queued on every output. Under ag->lock. */
static void emit(struct agent *ag, struct table_use tu, const struct shrike_rule *r,
		 struct uevent_ctx *ctx)
{
	struct rule_out *o = rule_out_of(ag, tu, r);
	struct alert a;
	char *line, *json = NULL;

	if (!o)
		return;
	ag->rc[o->rc].n++;
	if (!outputs_admit(&ag->outs, r->priority))
		return;
	alert_of_rule(&a, &o->ar, r, ag->hostname, o->tmpl);
	line = output_format(&a, ctx, &ag->out, ag->outs.json);
	if (ag->outs.want_json)
		json = ag->outs.json ? line : output_format_json(&a, ctx, &ag->out);
	if (line)
		outputs_send(&ag->outs, r->priority, line, json);
	if (json != line)
		free(json);
	free(line);
}

static void emit_cb(const struct shrike_rule *r, void *data)
{
	void **d = data;

	struct agent *ag = d[0];

	emit(ag, (struct table_use){ &ag->t, &ag->ro }, r, d[1]);
}

/* record_event's output templates: the rules' own (rule_out_of). */
static const struct output_tmpl *rec_tmpl(void *data, struct agent *ag, const struct shrike_rule *r)
{
	struct rule_out *o = rule_out_of(ag, *(struct table_use *)data, r);

	return o ? o->tmpl : NULL;
}

/* ---- syscall events from the kernel ------------------------------------------- */

struct alert_msg {
	u32 checksum, evt, decided, nrules;
	u64 ts;
	u32 rules[SHRIKE_ALERT_RULES_MAX];
};

static int alert_cb(const struct nlmsghdr *nlh, void *data)
{
	struct agent *ag = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct alert_msg m = { 0 };
	struct uevent *ev = &ag->ev;
	struct uevent_ctx ctx = { NULL, ev };
	struct table_use tu;
	bool all;
	u32 i;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*g)))
		return MNL_CB_OK;
	if (g->cmd == SHRIKE_CMD_REPLACED) {
		u32 pid = 0;

		mnl_attr_for_each(a, nlh, sizeof(*g))
		{
			if (mnl_attr_get_type(a) == SHRIKE_A_ALERT_PID && attr_fits(a, sizeof(u32)))
				pid = mnl_attr_get_u32(a);
		}
		alog_fatal(
			"another process (pid %u) subscribed to shrike.ko's alerts: "
			"this agent receives none any more; exiting (run shrike-agent --lock to keep "
			"the stream)",
			pid);
		ag->replaced = true;
		stop = 1;
		return MNL_CB_OK;
	}
	if (g->cmd != SHRIKE_CMD_ALERT)
		return MNL_CB_OK;
	pthread_mutex_lock(&ag->lock);
	ag->events[SHRIKE_SRC_SYSCALL]++;
	/* The table the record's rule indices and argument strings refer to:
	 * the running one, or the one a reload just replaced. A record of any
	 * other names rules we cannot interpret: dropped rather than
	 * misreported, and counted. */
	mnl_attr_for_each(a, nlh, sizeof(*g))
	{
		if (mnl_attr_get_type(a) == SHRIKE_A_TABLE_CHECKSUM && attr_fits(a, sizeof(u32)))
			m.checksum = mnl_attr_get_u32(a);
	}
	if (m.checksum == ag->t.checksum) {
		tu = (struct table_use){ &ag->t, &ag->ro };
	} else if (ag->prev_table && m.checksum == ag->prev_t.checksum) {
		tu = (struct table_use){ &ag->prev_t, &ag->prev_ro };
	} else {
		ag->stale++;
		goto out;
	}
	ctx.t = tu.t;
	all = tu.t->flags & SHRIKE_TF_MATCH_ALL;
	uevent_reset(ev, SHRIKE_SRC_SYSCALL);
	mnl_attr_for_each(a, nlh, sizeof(*g))
	{
		switch (mnl_attr_get_type(a)) {
		case SHRIKE_A_ALERT_TS:
			if (attr_fits(a, sizeof(u64)))
				m.ts = mnl_attr_get_u64(a);
			break;
		case SHRIKE_A_ALERT_EVT:
			if (attr_fits(a, sizeof(u32)))
				m.evt = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_ALERT_DECIDED:
			if (attr_fits(a, sizeof(u32)))
				m.decided = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_ALERT_RULE:
			if (attr_fits(a, sizeof(u32)) && m.nrules < SHRIKE_ALERT_RULES_MAX)
				m.rules[m.nrules++] = mnl_attr_get_u32(a);
			break;
		case SHRIKE_A_ALERT_FIELD: put_field(tu.t, ev, a); break;
		}
	}
	ev->ts = m.ts;
	ev->has_ts = true;
	if (m.evt < evtypes_count()) {
		const char *name = evtype_name((int)m.evt);

		uevent_set_str(ev, SHRIKE_F_EVT_TYPE, NULL, name, strlen(name));
	}
	enrich_event(ag->en, ev);
	for (i = 0; i < m.nrules; i++) {
		const struct shrike_rule *r = shrike_rule_at(tu.t, m.rules[i]);

		if (!r)
			continue;
		/* Decided TRUE in the kernel, or the agent stage says TRUE. */
		if (!(m.decided & (1u << i)) &&
		    shrike_eval(tu.t, r, uevent_fetch, &ctx) != SHRIKE_V_TRUE)
			continue;
		emit(ag, tu, r, &ctx);
		if (!all)
			break;
	}
	if (ag->rec_path)
		record_event(ag, tu.t, m.rules, m.nrules, ev, rec_tmpl, &tu);
out:
	pthread_mutex_unlock(&ag->lock);
	return MNL_CB_OK;
}

/* ---- Kubernetes audit events from the webserver --------------------------------- */

static void audit_event(void *data, json_object *j)
{
	struct agent *ag = data;
	struct uevent ev;
	struct uevent_ctx ctx = { &ag->t, &ev };
	void *d[2] = { ag, &ctx };

	pthread_mutex_lock(&ag->lock);
	ag->events[SHRIKE_SRC_K8S_AUDIT]++;
	if (!ag->no_k8s_audit && uevent_from_audit(&ev, j) == 0)
		match_event(&ctx, emit_cb, d);
	uevent_free(&ev);
	pthread_mutex_unlock(&ag->lock);
}

/* SIGHUP: a new table only if every rule file compiles and the kernel takes
 * it; otherwise the running rules stay, and each error was logged. */
static void do_reload(struct agent *ag, struct shrike_nl *cmd)
{
	struct shrike_table t;
	void *table = NULL;
	size_t len = 0, nrules = 0;
	int ret;

	alog(LOG_INFO, "SIGHUP: reloading the rules");
	outputs_reopen(&ag->outs);
	rec_reopen(ag);
	ret = compile_rules(ag->cfg, ag->rec_path != NULL, &table, &len, &t, &nrules);
	if (!ret && cmd) {
		ret = shrike_nl_load_table(cmd, table, len);
		if (ret)
			alog(LOG_ERR, "reload: loading the table: %s%s%s", strerror(-ret),
			     cmd->errmsg[0] ? ": " : "", cmd->errmsg);
	}
	if (!ret)
		dns_load_table(&t, DNS_WAIT_MS);
	if (ret) {
		free(table);
		pthread_mutex_lock(&ag->lock);
		ag->reloads_failed++;
		pthread_mutex_unlock(&ag->lock);
		alog(LOG_ERR, "reload failed: still running table %08x", ag->t.checksum);
		return;
	}
	/* The replaced table stays readable until the next reload: records
	 * of it the kernel sent before the swap are still on their way. */
	pthread_mutex_lock(&ag->lock);
	rule_outs_free(&ag->prev_ro, ag->prev_t.nrules);
	free(ag->prev_table);
	ag->prev_table = ag->table;
	ag->prev_t = ag->t;
	ag->prev_ro = ag->ro;
	ag->ro = NULL;
	ag->table = table;
	ag->table_len = len;
	ag->t = t;
	ag->nrules = nrules;
	ag->reloads_ok++;
	pthread_mutex_unlock(&ag->lock);
	alog(LOG_INFO, "table %08x loaded", t.checksum);
	if (ag->rec_path)
		record_check_table(&t);
}

static void set_rcvtimeo(struct shrike_nl *nl, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* What agent_run() made besides the outputs, the web server and the sockets. */
static void agent_free(struct agent *ag)
{
	size_t i;

	dns_stop();
	enricher_free(ag->en);
	rule_outs_free(&ag->ro, ag->t.nrules);
	rule_outs_free(&ag->prev_ro, ag->prev_t.nrules);
	free(ag->prev_table);
	uevent_free(&ag->ev);
	for (i = 0; i < ag->nrc; i++)
		free(ag->rc[i].name);
	free(ag->rc);
	free(ag->table);
}

/*
 * Opens the two sockets, subscribes and loads the table: at start, and when
 * shrike.ko is back after it was removed under the agent. 0, or the exit
 * code (1: no module, or it refused the table; 2: another failure) with the
 * reason in err; nothing stays open then.
 */
static int module_attach(struct agent *ag, struct shrike_nl *cmd, struct shrike_nl *alerts,
			 char *err, size_t errlen)
{
	int ret = shrike_nl_open(cmd, err, errlen);

	if (ret)
		return ret == -ENOENT ? 1 : 2;
	ret = shrike_nl_open(alerts, err, errlen);
	if (ret) {
		shrike_nl_close(cmd);
		return 2;
	}
	/* Subscribe first, so nothing the new table matches is missed. */
	ret = shrike_nl_subscribe(alerts);
	if (!ret)
		ret = shrike_nl_load_table(cmd, ag->table, ag->table_len);
	if (ret) {
		snprintf(err, errlen, "loading the table: %s%s%s", strerror(-ret),
			 cmd->errmsg[0] ? ": " : "", cmd->errmsg);
		shrike_nl_close(alerts);
		shrike_nl_close(cmd);
		return 1;
	}
	/* A timeout, so that signals and the once-a-second work run even
	 * when no event comes. */
	set_rcvtimeo(alerts, 1000);
	agent_report_gap(ag, cmd);
	return 0;
}

int agent_run(const struct agent_opts *o)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGUSR1 };
	struct agent ag = { 0 };
	struct shrike_nl cmd, alerts;
	bool have_nl = false, module_gone = false;
	struct sigaction sa = { .sa_handler = on_signal };
	struct websrv_hooks hooks = { audit_event, agent_metrics, &ag };
	sigset_t block, old;
	char err[512];
	time_t last_tick = 0;
	const char *host_from;
	size_t i;
	int ret;

	ag.cfg = o->cfg;
	agentlog_configure_from(ag.cfg);
	ag.no_k8s_audit = o->no_k8s_audit;
	ag.started = time(NULL);
	pthread_mutex_init(&ag.lock, NULL);
	stop = reload = reopen = 0;
	ag.rec_fd = -1;
	ag.rec_errno = -1;
	ag.rec_path = o->write_events;
	if (ag.rec_path && (ret = rec_open(&ag))) {
		alog_fatal("-w %s: %s", ag.rec_path, strerror(-ret));
		ret = 1;
		goto out;
	}
	ret = compile_rules(ag.cfg, ag.rec_path != NULL, &ag.table, &ag.table_len, &ag.t,
			    &ag.nrules);
	if (ret)
		goto out;
	if (ag.rec_path)
		record_check_table(&ag.t);
	output_opts_init(&ag.out);
	ag.out.time_format_iso_8601 = cfg_bool(ag.cfg, CFG_TIME_FORMAT_ISO_8601);
	ag.out.json_include_output_property = cfg_bool(ag.cfg, CFG_JSON_INCLUDE_OUTPUT_PROPERTY);
	ag.out.json_include_tags_property = cfg_bool(ag.cfg, CFG_JSON_INCLUDE_TAGS_PROPERTY);
	host_from = outputs_hostname(ag.hostname, sizeof(ag.hostname));
	if (host_from)
		alog(LOG_INFO,
		     "hostname value has been overridden via environment variable %s to: %s",
		     host_from, ag.hostname);
	tb_init(&ag.drop_tb, cfg_double(ag.cfg, CFG_DROPS_RATE),
		cfg_double(ag.cfg, CFG_DROPS_MAX_BURST), outputs_now_ns());
	match_init();
	dns_load_table(&ag.t, DNS_WAIT_MS);
	ag.en = enricher_new(ag.cfg);

	/* Signals are for this thread: the output and webserver threads are
	 * started with them blocked. A dead program output must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaddset(&block, sigs[i]);
		sigaction(sigs[i], &sa, NULL);
	}
	pthread_sigmask(SIG_BLOCK, &block, &old);
	ret = outputs_init(&ag.outs, ag.cfg, err, sizeof(err));
	if (ret) {
		alog_fatal("%s", err);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		ret = 1;
		goto out;
	}
	if (cfg_bool(ag.cfg, CFG_WEB_ENABLED)) {
		ag.web = websrv_start(ag.cfg, &hooks, err, sizeof(err));
		if (!ag.web) {
			alog_fatal("%s", err);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			ret = 1;
			goto close_outputs;
		}
		alog(LOG_INFO, "webserver listening on port %u", websrv_port(ag.web));
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	if (!o->no_syscall) {
		ret = module_attach(&ag, &cmd, &alerts, err, sizeof(err));
		if (ret) {
			alog_fatal("%s", err);
			goto close_web;
		}
		have_nl = true;
		alog(LOG_INFO, "table %08x loaded, waiting for events", ag.t.checksum);
	} else {
		alog(LOG_INFO, "syscall source disabled, waiting for events");
	}
	while (!stop) {
		if (reload) {
			reload = 0;
			do_reload(&ag, have_nl && !module_gone ? &cmd : NULL);
		}
		if (reopen) {
			reopen = 0;
			outputs_reopen(&ag.outs);
			rec_reopen(&ag);
		}
		if (time(NULL) != last_tick) {
			last_tick = time(NULL);
			if (module_gone) {
				/* Back? The family may have a new id: new sockets. */
				if (!module_attach(&ag, &cmd, &alerts, err, sizeof(err))) {
					module_gone = false;
					alog(LOG_WARNING,
					     "shrike.ko is back: table %08x loaded, waiting for events",
					     ag.t.checksum);
				}
			} else if (agent_tick(&ag, have_nl ? &cmd : NULL) == -ENOENT) {
				/* The family is gone: rmmod under the agent. */
				module_gone = true;
				shrike_nl_close(&alerts);
				shrike_nl_close(&cmd);
				alog(LOG_CRIT, "shrike.ko was removed: syscalls are not monitored "
					       "until it is loaded again");
			}
			if (ag.exit_on_drop)
				stop = 1;
		}
		if (!have_nl || module_gone) {
			poll(NULL, 0, 1000);
			continue;
		}
		ret = shrike_nl_recv(&alerts, alert_cb, &ag);
		pthread_mutex_lock(&ag.lock);
		ag.recv_calls = alerts.recv_calls;
		ag.recv_dgrams = alerts.recv_dgrams;
		/* A batch too big for the receive buffer: its alerts are lost here. */
		if (ret == -ENOSPC)
			ag.overflows++;
		pthread_mutex_unlock(&ag.lock);
		/* ENOBUFS (only if NETLINK_NO_ENOBUFS could not be set) says that the
		 * kernel had to wait for room, not that anything was lost. */
		if (ret == -EINTR || ret == -EAGAIN || ret == -EWOULDBLOCK || ret == -ENOBUFS)
			continue;
		if (ret == -ENOSPC) {
			alog(LOG_ERR,
			     "receiving: a batch of alerts larger than the buffer was lost");
			continue;
		}
		if (ret) {
			/* A malformed batch is not a reason to stop monitoring. */
			alog(LOG_ERR, "receiving: %s", strerror(-ret));
			if (ret == -EBADF || ret == -ENOTSOCK)
				break;
		}
	}
	ret = ag.exit_on_drop || ag.replaced ? 1 : 0;
	if (have_nl && !module_gone && o->unload_on_exit)
		shrike_nl_unload_table(&cmd);
	if (have_nl && !module_gone) {
		shrike_nl_close(&alerts);
		shrike_nl_close(&cmd);
	}
close_web:
	websrv_stop(ag.web);
close_outputs:
	if (!outputs_close(&ag.outs, 3000)) {
		/* An output stuck in a write (stdout itself, perhaps): exit()
		 * would block flushing its stream. The others are flushed. */
		_exit(ret);
	}
out:
	if (ag.rec_path) {
		if (ag.rec_fd >= 0)
			close(ag.rec_fd);
		alog(LOG_INFO, "%llu events recorded to %s, %llu lost",
		     (unsigned long long)ag.rec_events, ag.rec_path,
		     (unsigned long long)ag.rec_failed);
	}
	agent_free(&ag);
	pthread_mutex_destroy(&ag.lock);
	return ret;
}
