/* agent_alerts.c - the agent's cost per alert, without a kernel: builds the
 * netlink batches shrike.ko sends (several SHRIKE_CMD_ALERT messages per
 * skb, encoded as kmod/deliver.c's put_record does) for one rule of a rules
 * file, and runs them through the agent's own receive callback (run.c's
 * alert_cb, included below) and its output threads, N alerts in all. Run it
 * under valgrind --tool=callgrind twice with different N (bench/agent.sh):
 * the difference of the totals over the difference of N is the per-alert
 * instruction count, start-up (rule compilation) excluded.
 *
 *   agent_alerts N RULE RULES_FILE [-o KEY=VALUE]... [--uid N] [--pid N]
 *                [--container ID]
 *
 * Alerts go to stdout (redirect it); a summary line goes to stderr. */
#include "../agent/run.c"

#include <getopt.h>

/* Records per batch: what fits the kernel's 16 KiB BATCH_BYTES skb. */
#define BATCH_MSGS 32
#define MSG_MAX	   2048 /* one message, at most, for the values below */

struct capture_val {
	const char *field;
	const char *str;
	u64 num;
};

/* Values for the fields a rule captures; anything else gets "x" or 1. */
static struct capture_val vals[] = {
	{ "fd.name", "/etc/shrike-bench.conf", 0 },
	{ "proc.cmdline", "bench-writer /etc/shrike-bench.conf", 0 },
	{ "proc.name", "bench-writer", 0 },
	{ "proc.pname", "bash", 0 },
	{ "proc.exepath", "/usr/local/bin/bench-writer", 0 },
	{ "container.id", "host", 0 },
	{ "user.uid", NULL, 0 },
	{ "user.loginuid", NULL, 0 },
	{ "group.gid", NULL, 0 },
	{ "proc.pid", NULL, 4242 },
};

static const struct capture_val *val_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		if (!strcmp(vals[i].field, name))
			return &vals[i];
	return NULL;
}

static void set_val(const char *field, const char *str, u64 num)
{
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		if (!strcmp(vals[i].field, field)) {
			if (str)
				vals[i].str = str;
			else
				vals[i].num = num;
		}
}

/* One ALERT message for rule ri at buf; its length. */
static size_t put_alert(char *buf, const struct shrike_table *t, u32 ri, u32 evt, u64 ts, u32 pid)
{
	const struct shrike_rule *r = shrike_rule_at(t, ri);
	const struct shrike_capture *c = t->captures + le32_to_cpu(r->captures);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	u32 i;

	nlh->nlmsg_type = 0x20;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = SHRIKE_CMD_ALERT;
	g->version = SHRIKE_GENL_VERSION;
	mnl_attr_put_u32(nlh, SHRIKE_A_TABLE_CHECKSUM, t->checksum);
	mnl_attr_put_u64(nlh, SHRIKE_A_ALERT_TS, ts);
	mnl_attr_put_u32(nlh, SHRIKE_A_ALERT_EVT, evt);
	mnl_attr_put_u32(nlh, SHRIKE_A_ALERT_PID, pid);
	mnl_attr_put_u32(nlh, SHRIKE_A_ALERT_TID, pid);
	/* Decided in the kernel only when the rule needs no agent stage. */
	mnl_attr_put_u32(nlh, SHRIKE_A_ALERT_DECIDED,
			 le16_to_cpu(r->flags) & SHRIKE_RF_NEEDS_AGENT ? 0 : 1);
	mnl_attr_put_u32(nlh, SHRIKE_A_ALERT_RULE, ri);
	for (i = 0; i < le16_to_cpu(r->ncaptures); i++) {
		u16 id = le16_to_cpu(c[i].field), arg = le16_to_cpu(c[i].arg);
		const struct field_info *fi = field_at(id);
		const struct capture_val *v = fi ? val_of(fi->name) : NULL;
		struct nlattr *nest = mnl_attr_nest_start(nlh, SHRIKE_A_ALERT_FIELD);
		u64 num = v ? v->num : 1;

		mnl_attr_put_u16(nlh, SHRIKE_AF_ID, id);
		mnl_attr_put_u16(nlh, SHRIKE_AF_ARG, arg);
		mnl_attr_put_u8(nlh, SHRIKE_AF_TYPE, fi ? fi->type : SHRIKE_T_STR);
		if (fi && fi->type == SHRIKE_T_STR) {
			const char *s = v && v->str ? v->str : "x";

			mnl_attr_put(nlh, SHRIKE_AF_VALUE, strlen(s), s);
		} else if (fi && fi->type == SHRIKE_T_STRLIST) {
			mnl_attr_put(nlh, SHRIKE_AF_VALUE, 7, "init\0sh");
		} else {
			num = htole64(num);
			mnl_attr_put(nlh, SHRIKE_AF_VALUE, sizeof(num), &num);
		}
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh->nlmsg_len;
}

static void usage(void)
{
	fprintf(stderr, "usage: agent_alerts N RULE RULES_FILE [-o KEY=VALUE]... [--uid N] "
			"[--pid N] [--container ID]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "uid", required_argument, NULL, 'u' },
		{ "pid", required_argument, NULL, 'p' },
		{ "container", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct config cfg;
	struct agent ag = { 0 };
	char err[512], *buf, *rules_file;
	const char *rule;
	unsigned long n, done = 0;
	u32 ri, evt, pid = 4242;
	size_t len, i, off[BATCH_MSGS + 1];
	u64 ts = 1700000000000000000ull;
	int opt;

	config_init(&cfg);
	config_set(&cfg, "syslog_output.enabled=false", stderr);
	config_set(&cfg, "webserver.enabled=false", stderr);
	while ((opt = getopt_long(argc, argv, "o:", lopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			if (config_set(&cfg, optarg, stderr))
				return 2;
			break;
		case 'u':
			set_val("user.uid", NULL, strtoull(optarg, NULL, 0));
			set_val("group.gid", NULL, strtoull(optarg, NULL, 0));
			set_val("user.loginuid", NULL, strtoull(optarg, NULL, 0));
			break;
		case 'p':
			pid = (u32)strtoul(optarg, NULL, 0);
			set_val("proc.pid", NULL, pid);
			break;
		case 'c': set_val("container.id", optarg, 0); break;
		default: usage();
		}
	}
	if (argc - optind != 3)
		usage();
	n = strtoul(argv[optind], NULL, 0);
	rule = argv[optind + 1];
	rules_file = argv[optind + 2];
	config_set_rules(&cfg, &rules_file, 1);

	/* What agent_run sets up, without netlink or signals. */
	ag.cfg = &cfg;
	pthread_mutex_init(&ag.lock, NULL);
	if (compile_rules(&cfg, &ag.table, &ag.table_len, &ag.t, &ag.nrules))
		return 1;
	output_opts_init(&ag.out);
	ag.out.time_format_iso_8601 = cfg_bool(&cfg, CFG_TIME_FORMAT_ISO_8601);
	ag.out.json_include_output_property = cfg_bool(&cfg, CFG_JSON_INCLUDE_OUTPUT_PROPERTY);
	ag.out.json_include_tags_property = cfg_bool(&cfg, CFG_JSON_INCLUDE_TAGS_PROPERTY);
	strcpy(ag.hostname, "bench-host");
	match_init();
	dns_load_table(&ag.t, DNS_WAIT_MS);
	ag.en = enricher_new(&cfg);
	if (outputs_init(&ag.outs, &cfg, err, sizeof(err))) {
		fprintf(stderr, "agent_alerts: %s\n", err);
		return 1;
	}
	for (ri = 0; ri < ag.t.nrules; ri++) {
		u32 l;
		const char *s = shrike_rule_name(&ag.t, shrike_rule_at(&ag.t, ri), &l);

		if (strlen(rule) == l && !memcmp(s, rule, l))
			break;
	}
	if (ri == ag.t.nrules) {
		fprintf(stderr, "agent_alerts: no rule '%s'\n", rule);
		return 1;
	}
	for (evt = 0; evt < evtypes_count(); evt++)
		if (shrike_rule_at(&ag.t, ri)->evtypes[evt / 64] & htole64(1ull << (evt % 64)))
			break;

	/* One batch, built once and received over and over: what is measured
	 * is the agent's work, not this program's. */
	buf = aligned_alloc(8, BATCH_MSGS * (size_t)MSG_MAX);
	if (!buf)
		return 1;
	for (len = 0, i = 0; i < BATCH_MSGS; i++) {
		off[i] = len;
		len += put_alert(buf + len, &ag.t, ri, evt, ts += 1000, pid);
	}
	off[BATCH_MSGS] = len;
	while (done < n) {
		i = n - done < BATCH_MSGS ? n - done : BATCH_MSGS;
		if (mnl_cb_run(buf, off[i], 0, 0, alert_cb, &ag) < 0) {
			perror("agent_alerts: mnl_cb_run");
			return 1;
		}
		done += i;
	}
	outputs_close(&ag.outs, 60000);
	fprintf(stderr, "agent_alerts: %lu alerts of '%s', %llu matched\n", n, rule,
		ag.nrc ? (unsigned long long)ag.rc[0].n : 0ull);
	agent_free(&ag);
	free(buf);
	config_free(&cfg);
	return 0;
}
