/* fuzz_alerts.c - libFuzzer harness for the netlink messages the agent
 * parses: SHRIKE_CMD_ALERT records as shrike.ko sends them, run through the
 * agent's own receive callback (agent/run.c's alert_cb, included below, as
 * bench/agent_alerts.c does) with the default rules compiled and the alerts
 * formatted to a file output (/dev/null). The input is the record's
 * attribute stream, after a valid header and the table's checksum (so that
 * the record is not dropped as stale): rule indices, decided bits, nested
 * field values of any type and length, ASan/UBSan watching every read.
 *
 *   make fuzz (tests/fuzz/corpus_alerts holds the seeds) */
#include "../../agent/run.c"

#define MSG_MAX 65536

static struct agent ag;
static struct config cfg;

static int setup(void)
{
	static char *rules = "rules/shrike_rules.yaml";
	char err[512];

	config_init(&cfg);
	config_set(&cfg, "syslog_output.enabled=false", stderr);
	config_set(&cfg, "stdout_output.enabled=false", stderr);
	config_set(&cfg, "file_output.enabled=true", stderr);
	config_set(&cfg, "file_output.filename=/dev/null", stderr);
	config_set(&cfg, "webserver.enabled=false", stderr);
	config_set(&cfg, "rule_matching=all", stderr);
	config_set_rules(&cfg, &rules, 1);
	ag.cfg = &cfg;
	pthread_mutex_init(&ag.lock, NULL);
	if (compile_rules(&cfg, false, &ag.table, &ag.table_len, &ag.t, &ag.nrules))
		abort();
	output_opts_init(&ag.out);
	strcpy(ag.hostname, "fuzz-host");
	match_init();
	ag.en = enricher_new(&cfg);
	if (outputs_init(&ag.outs, &cfg, err, sizeof(err)))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[MSG_MAX] __attribute__((aligned(8)));
	static int ready = -1;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	if (ready < 0)
		ready = setup();
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = SHRIKE_CMD_ALERT;
	g->version = SHRIKE_GENL_VERSION;
	mnl_attr_put_u32(nlh, SHRIKE_A_TABLE_CHECKSUM, ag.t.checksum);
	if (size > MSG_MAX - nlh->nlmsg_len)
		size = MSG_MAX - nlh->nlmsg_len;
	memcpy((char *)nlh + nlh->nlmsg_len, data, size);
	nlh->nlmsg_len += (uint32_t)size;
	alert_cb(nlh, &ag);
	return 0;
}
