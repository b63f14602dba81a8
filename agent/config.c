/* config.c - the option table and its YAML reader (see config.h). The file is
 * read with the compiler's yamldoc (libyaml with positions) so that a bad
 * value is reported at its line and column. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../compiler/compiler.h"
#include "../lib/file.h"
#include "../lib/yamldoc.h"

static const char *const rule_matching_choices[] = { "first", "all", NULL };
static const char *const log_level_choices[] = {
	"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug", NULL,
};
static const char *const drop_actions[] = { "ignore", "log", "alert", "exit", NULL };

/* What make install and the packages install: a clean start warns of nothing. */
static const char *const def_rules[] = { "/etc/shrike/rules.d", NULL };
static const char *const def_drop_actions[] = { "log", "alert", NULL };
static const char *const def_containerd[] = { "/run/containerd/io.containerd.runtime.v2.task",
					      NULL };
static const char *const def_crio[] = {
	"/run/containers/storage/overlay-containers",
	"/var/lib/containers/storage/overlay-containers",
	NULL,
};

struct cfg_opt {
	const char *name;
	enum cfg_type type;
	const char *def;	     /* scalar default, as it would be written */
	const char *const *def_list; /* CT_LIST default */
	long long min, max;	     /* CT_INT bounds; CT_DOUBLE: min only */
	const char *const *choices;  /* CT_CHOICE; CT_LIST: allowed items */
};

/* A configuration is text: over 64 MiB is a mistake. */
#define CONFIG_FILE_MAX ((size_t)64 << 20)

#define B(id, name, def)	  [id] = { name, CT_BOOL, def, NULL, 0, 0, NULL }
#define I(id, name, def, lo, hi)  [id] = { name, CT_INT, def, NULL, lo, hi, NULL }
#define D(id, name, def)	  [id] = { name, CT_DOUBLE, def, NULL, 0, 0, NULL }
#define S(id, name, def)	  [id] = { name, CT_STR, def, NULL, 0, 0, NULL }
#define L(id, name, def, allowed) [id] = { name, CT_LIST, NULL, def, 0, 0, allowed }
#define C(id, name, def, ch)	  [id] = { name, CT_CHOICE, def, NULL, 0, 0, ch }

/* Falco 0.31's names and defaults, except where marked shrike: options
 * Falco does not have. */
static const struct cfg_opt opts[__CFG_MAX] = {
	L(CFG_RULES_FILE, "rules_file", def_rules, NULL),
	B(CFG_JSON_OUTPUT, "json_output", "false"),
	B(CFG_JSON_INCLUDE_OUTPUT_PROPERTY, "json_include_output_property", "true"),
	B(CFG_JSON_INCLUDE_TAGS_PROPERTY, "json_include_tags_property", "true"),
	B(CFG_TIME_FORMAT_ISO_8601, "time_format_iso_8601", "false"),
	[CFG_PRIORITY] = { "priority", CT_PRIORITY, "debug", NULL, 0, 0, NULL },
	C(CFG_RULE_MATCHING, "rule_matching", "first", rule_matching_choices),
	B(CFG_BUFFERED_OUTPUTS, "buffered_outputs", "false"),
	D(CFG_OUTPUTS_RATE, "outputs.rate", "0"), /* Falco 0.31: 1; see shrike.yaml */
	D(CFG_OUTPUTS_MAX_BURST, "outputs.max_burst", "1000"),
	I(CFG_OUTPUTS_QUEUE_SIZE, "outputs.queue_size", "16384", 1, 1 << 22), /* shrike */
	B(CFG_STDOUT_ENABLED, "stdout_output.enabled", "true"),
	B(CFG_FILE_ENABLED, "file_output.enabled", "false"),
	B(CFG_FILE_KEEP_ALIVE, "file_output.keep_alive", "false"),
	S(CFG_FILE_FILENAME, "file_output.filename", "./events.txt"),
	B(CFG_SYSLOG_ENABLED, "syslog_output.enabled", "true"),
	B(CFG_PROGRAM_ENABLED, "program_output.enabled", "false"),
	B(CFG_PROGRAM_KEEP_ALIVE, "program_output.keep_alive", "false"),
	S(CFG_PROGRAM_PROGRAM, "program_output.program",
	  "jq '{text: .output}' | curl -d @- -X POST https://hooks.slack.com/services/XXX"),
	B(CFG_HTTP_ENABLED, "http_output.enabled", "false"),
	S(CFG_HTTP_URL, "http_output.url", "http://some.url"),
	S(CFG_HTTP_USER_AGENT, "http_output.user_agent", "falcosecurity/falco"),
	I(CFG_HTTP_TIMEOUT_MS, "http_output.timeout_ms", "2000", 1, 3600000), /* shrike */
	B(CFG_WEB_ENABLED, "webserver.enabled", "true"),
	S(CFG_WEB_LISTEN_ADDRESS, "webserver.listen_address", "0.0.0.0"), /* later Falco */
	I(CFG_WEB_LISTEN_PORT, "webserver.listen_port", "8765", 0, 65535),
	S(CFG_WEB_K8S_AUDIT_ENDPOINT, "webserver.k8s_audit_endpoint", "/k8s-audit"),
	S(CFG_WEB_HEALTHZ_ENDPOINT, "webserver.k8s_healthz_endpoint", "/healthz"),
	S(CFG_WEB_METRICS_ENDPOINT, "webserver.metrics_endpoint", "/metrics"), /* shrike */
	B(CFG_WEB_SSL_ENABLED, "webserver.ssl_enabled", "false"),
	S(CFG_WEB_SSL_CERTIFICATE, "webserver.ssl_certificate", "/etc/shrike/shrike.pem"),
	I(CFG_WEB_MAX_BODY_BYTES, "webserver.max_body_bytes", "16777216", 1024,
	  1LL << 30), /* shrike */
	I(CFG_WEB_MAX_CONN_PER_ADDRESS, "webserver.max_connections_per_address", "32", 1,
	  256), /* shrike */
	D(CFG_DROPS_THRESHOLD, "syscall_event_drops.threshold", ".1"),
	L(CFG_DROPS_ACTIONS, "syscall_event_drops.actions", def_drop_actions, drop_actions),
	D(CFG_DROPS_RATE, "syscall_event_drops.rate", ".03333"),
	D(CFG_DROPS_MAX_BURST, "syscall_event_drops.max_burst", "1"),
	B(CFG_LOG_STDERR, "log_stderr", "true"),
	B(CFG_LOG_SYSLOG, "log_syslog", "true"),
	C(CFG_LOG_LEVEL, "log_level", "info", log_level_choices),
	/* shrike: where the container runtimes keep their state on disk */
	B(CFG_DOCKER_ENABLED, "container_engines.docker.enabled", "true"),
	S(CFG_DOCKER_ROOT, "container_engines.docker.root", "/var/lib/docker/containers"),
	B(CFG_CONTAINERD_ENABLED, "container_engines.containerd.enabled", "true"),
	L(CFG_CONTAINERD_STATE_DIRS, "container_engines.containerd.state_dirs", def_containerd,
	  NULL),
	B(CFG_CRIO_ENABLED, "container_engines.cri-o.enabled", "true"),
	L(CFG_CRIO_STATE_DIRS, "container_engines.cri-o.state_dirs", def_crio, NULL),
	I(CFG_CONTAINER_CACHE_SIZE, "container_engines.cache_size", "1024", 1, 1 << 20),
	I(CFG_CONTAINER_CACHE_TTL, "container_engines.cache_ttl", "600", 1, 86400),
	S(CFG_PROC_ROOT, "container_engines.proc_root", "/proc"),
};

/* Falco's options (0.31 to today's falco.yaml) that Shrike does not
 * implement: a falco.yaml that sets them loads, and -o accepts them, but
 * config_warn_unsupported() names each one given, once, file or -o. A
 * section's name stands for all of its keys. */
static const char *const falco_ignored[] = {
	"plugins",
	"load_plugins",
	"plugins_hostinfo",
	"grpc",
	"grpc_output",
	"metadata_download",
	"syscall_event_timeouts",
	"output_timeout",
	"modern_bpf",
	"engine",
	"watch_config_files",
	"libs_logger",
	"base_syscalls",
	"falco_libs",
	"metrics",
	"config_files",
	"append_output",
	"static_fields",
	"capture",
	"outputs_queue",
	"json_include_message_property",
	"json_include_output_fields_property",
	"syscall_buf_size_preset",
	"syscall_drop_failed_exit",
	"container_engines.cri",
	"webserver.threadiness",
	"webserver.prometheus_metrics_enabled",
	"http_output.insecure",
	"http_output.ca_cert",
	"http_output.ca_bundle",
	"http_output.ca_path",
	"http_output.mtls",
	"http_output.client_cert",
	"http_output.client_key",
	"http_output.echo",
	"http_output.compress_uploads",
	"http_output.keep_alive",
	"http_output.max_consecutive_timeouts",
	"syscall_event_drops.simulate_drops",
	NULL,
};

/* Newer Falco's rule selection (0.38 on): a list of
 * `- enable|disable: {rule: NAME-OR-GLOB, tag: TAG}`. */
static const char rules_sel_key[] = "rules";

const char *cfg_name(enum cfg_id id)
{
	return opts[id].name;
}

static void val_clear(struct cfg_val *v)
{
	size_t i;

	free(v->s);
	for (i = 0; i < v->n; i++)
		free(v->list[i]);
	free(v->list);
	v->s = NULL;
	v->list = NULL;
	v->n = 0;
}

static bool yaml_bool(const char *s, bool *out)
{
	static const char *const t[] = { "true", "yes", "on", "y", NULL };
	static const char *const f[] = { "false", "no", "off", "n", NULL };
	int i;

	for (i = 0; t[i]; i++)
		if (!strcasecmp(s, t[i])) {
			*out = true;
			return true;
		}
	for (i = 0; f[i]; i++)
		if (!strcasecmp(s, f[i])) {
			*out = false;
			return true;
		}
	return false;
}

static int choice_index(const char *const *ch, const char *s)
{
	int i;

	for (i = 0; ch[i]; i++)
		if (!strcasecmp(ch[i], s))
			return i;
	return -1;
}

static void choices_str(const char *const *ch, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; ch[i] && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", ch[i]);
}

/* A scalar into a non-list option. On error, why gets the reason. */
static int set_scalar(const struct cfg_opt *o, struct cfg_val *v, const char *s, char *why,
		      size_t wlen)
{
	char *end, buf[160];
	long long i;
	double d;
	int k;

	switch (o->type) {
	case CT_BOOL:
		if (!yaml_bool(s, &v->b)) {
			snprintf(why, wlen, "expected true or false, got '%s'", s);
			return -1;
		}
		return 0;
	case CT_INT:
		errno = 0;
		i = strtoll(s, &end, 0);
		if (!*s || *end || errno) {
			snprintf(why, wlen, "expected an integer, got '%s'", s);
			return -1;
		}
		if (i < o->min || i > o->max) {
			snprintf(why, wlen, "%lld is out of range [%lld, %lld]", i, o->min, o->max);
			return -1;
		}
		v->i = i;
		return 0;
	case CT_DOUBLE:
		errno = 0;
		d = strtod(s, &end);
		if (!*s || *end || errno || !isfinite(d)) {
			snprintf(why, wlen, "expected a number, got '%s'", s);
			return -1;
		}
		if (d < 0) {
			snprintf(why, wlen, "must not be negative, got '%s'", s);
			return -1;
		}
		v->d = d;
		return 0;
	case CT_STR: {
		char *dup = strdup(s);

		if (!dup) {
			snprintf(why, wlen, "out of memory");
			return -1;
		}
		val_clear(v);
		v->s = dup;
		return 0;
	}
	case CT_PRIORITY:
		k = ruleset_parse_priority(s);
		if (k < 0) {
			snprintf(
				why, wlen,
				"'%s' is not a priority (emergency, alert, critical, error, warning, notice, informational, debug)",
				s);
			return -1;
		}
		v->i = k;
		return 0;
	case CT_CHOICE:
		k = choice_index(o->choices, s);
		if (k < 0) {
			choices_str(o->choices, buf, sizeof(buf));
			snprintf(why, wlen, "'%s' is not one of %s", s, buf);
			return -1;
		}
		v->i = k;
		return 0;
	case CT_LIST: break;
	}
	snprintf(why, wlen, "internal: bad option type");
	return -1;
}

static int list_set(const struct cfg_opt *o, struct cfg_val *v, const char *const *items, size_t n,
		    char *why, size_t wlen)
{
	char **l = NULL, buf[160];
	size_t i;

	for (i = 0; i < n; i++)
		if (o->choices && choice_index(o->choices, items[i]) < 0) {
			choices_str(o->choices, buf, sizeof(buf));
			snprintf(why, wlen, "'%s' is not one of %s", items[i], buf);
			return -1;
		}
	if (n && !(l = calloc(n, sizeof(*l)))) {
		snprintf(why, wlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!(l[i] = strdup(items[i]))) {
			while (i--)
				free(l[i]);
			free(l);
			snprintf(why, wlen, "out of memory");
			return -1;
		}
	val_clear(v);
	v->list = l;
	v->n = n;
	return 0;
}

void config_init(struct config *c)
{
	char why[256];
	size_t n;
	int i;

	memset(c, 0, sizeof(*c));
	c->rules_key = opts[CFG_RULES_FILE].name;
	for (i = 0; i < __CFG_MAX; i++) {
		const struct cfg_opt *o = &opts[i];

		if (o->type == CT_LIST) {
			for (n = 0; o->def_list && o->def_list[n]; n++)
				;
			list_set(o, &c->v[i], o->def_list, n, why, sizeof(why));
		} else {
			set_scalar(o, &c->v[i], o->def, why, sizeof(why));
		}
	}
}

void config_free(struct config *c)
{
	int i;

	rsel_free(&c->rules_sel);
	rsel_free(&c->cli_sel);
	free(c->unsupported);
	c->unsupported = NULL;
	c->nunsupported = 0;
	for (i = 0; i < __CFG_MAX; i++)
		val_clear(&c->v[i]);
	free(c->path);
	c->path = NULL;
}

/* Newer Falco calls rules_file rules_files (the singular is its deprecated
 * older name): a falco.yaml of either age names the same option. */
static const char rules_files_key[] = "rules_files";

static int find_opt(const char *name)
{
	int i;

	for (i = 0; i < __CFG_MAX; i++)
		if (!strcmp(opts[i].name, name))
			return i;
	if (!strcmp(name, rules_files_key))
		return CFG_RULES_FILE;
	return -1;
}

/* The name an option was given by, as a string that lives as long as opts. */
static const char *key_name(int id, const char *key)
{
	return id == CFG_RULES_FILE && !strcmp(key, rules_files_key) ? rules_files_key
								     : opts[id].name;
}

/* Some option lives below this dotted prefix. */
static bool is_section(const char *prefix)
{
	size_t n = strlen(prefix);
	int i;

	for (i = 0; i < __CFG_MAX; i++)
		if (!strncmp(opts[i].name, prefix, n) && opts[i].name[n] == '.')
			return true;
	return false;
}

/* The falco_ignored entry key falls under, or NULL. */
static const char *ignored_entry(const char *key)
{
	size_t n;
	int i;

	for (i = 0; falco_ignored[i]; i++) {
		n = strlen(falco_ignored[i]);
		if (!strncmp(key, falco_ignored[i], n) && (key[n] == 0 || key[n] == '.'))
			return falco_ignored[i];
	}
	return NULL;
}

/* Records a Falco option Shrike ignores, once. */
static void note_unsupported(struct config *c, const char *entry)
{
	const char **nv;
	size_t i;

	for (i = 0; i < c->nunsupported; i++)
		if (c->unsupported[i] == entry)
			return;
	nv = realloc(c->unsupported, (c->nunsupported + 1) * sizeof(*nv));
	if (!nv)
		return; /* only the warning is lost */
	c->unsupported = nv;
	nv[c->nunsupported++] = entry;
}

void config_warn_unsupported(const struct config *c, FILE *err)
{
	size_t i;

	if (!c->nunsupported || !err)
		return;
	fprintf(err, "shrike-agent: warning: Falco options Shrike does not implement, ignored:");
	for (i = 0; i < c->nunsupported; i++)
		fprintf(err, "%s %s", i ? "," : "", c->unsupported[i]);
	fprintf(err, " (README: Coming from Falco)\n");
}

static void report(FILE *err, const char *sev, const struct ynode *n, const char *key,
		   const char *why)
{
	struct src_loc l;

	if (!err)
		return;
	if (n) {
		l = ynode_loc(n);
		fprintf(err, "%s:%d:%d: %s: %s: %s\n", l.file ? l.file : "?", l.line, l.col, sev,
			key, why);
	} else {
		fprintf(err, "-o %s: %s: %s\n", key, sev, why);
	}
}

/* A YAML value into option id. */
static int set_node(struct config *c, int id, const struct ynode *n, char *why, size_t wlen)
{
	const struct cfg_opt *o = &opts[id];
	struct cfg_val *v = &c->v[id];
	const char **items;
	size_t i;
	int r;

	if (o->type == CT_LIST) {
		if (ynode_is_null(n))
			return list_set(o, v, NULL, 0, why, wlen);
		if (n->kind == Y_SCALAR)
			return list_set(o, v, (const char *const *)&n->str, 1, why, wlen);
		if (n->kind != Y_SEQ) {
			snprintf(why, wlen, "expected a list, got a %s", ynode_kind_str(n));
			return -1;
		}
		items = calloc(n->n + 1, sizeof(*items));
		if (!items) {
			snprintf(why, wlen, "out of memory");
			return -1;
		}
		for (i = 0; i < n->n; i++) {
			if (n->items[i]->kind != Y_SCALAR) {
				free(items);
				snprintf(why, wlen, "list item %zu: expected a scalar, got a %s", i,
					 ynode_kind_str(n->items[i]));
				return -1;
			}
			items[i] = n->items[i]->str;
		}
		r = list_set(o, v, items, n->n, why, wlen);
		free(items);
		return r;
	}
	if (n->kind != Y_SCALAR) {
		snprintf(why, wlen, "expected a scalar, got a %s", ynode_kind_str(n));
		return -1;
	}
	if (ynode_is_null(n) && o->type != CT_STR) {
		snprintf(why, wlen, "a value is required");
		return -1;
	}
	return set_scalar(o, v, ynode_is_null(n) ? "" : n->str, why, wlen);
}

/* One `rules:` item: {enable|disable: {rule: X, tag: Y}}. */
static int sel_item(struct config *c, const struct ynode *it, const struct ynode **bad, char *why,
		    size_t wlen)
{
	const struct ynode *op, *v;
	bool enable;
	int any = 0;
	size_t i;

	*bad = it;
	if (it->kind != Y_MAP || it->n != 1 || it->items[0]->kind != Y_SCALAR) {
		snprintf(why, wlen,
			 "each item is one of enable: or disable: with rule: and/or tag:");
		return -1;
	}
	op = it->items[0];
	v = it->items[1];
	if (strcmp(op->str, "enable") && strcmp(op->str, "disable")) {
		*bad = op;
		snprintf(why, wlen, "'%s' is not enable or disable", op->str);
		return -1;
	}
	enable = !strcmp(op->str, "enable");
	if (v->kind != Y_MAP) {
		*bad = v;
		snprintf(why, wlen, "%s: expected a mapping with rule: and/or tag:", op->str);
		return -1;
	}
	/* As Falco: the rule (a name, '*' a wildcard), then the tag. */
	for (i = 0; i < v->n; i++) {
		const struct ynode *k = v->items[2 * i], *x = v->items[2 * i + 1];

		*bad = k;
		if (k->kind != Y_SCALAR || (strcmp(k->str, "rule") && strcmp(k->str, "tag"))) {
			snprintf(why, wlen, "%s: expected rule: or tag:", op->str);
			return -1;
		}
		if (x->kind != Y_SCALAR || ynode_is_null(x) || !*x->str) {
			*bad = x;
			snprintf(why, wlen, "%s.%s: expected a non-empty string", op->str, k->str);
			return -1;
		}
	}
	for (i = 0; i < 2; i++) {
		const struct ynode *x = ymap_get(v, i ? "tag" : "rule");

		if (x && rsel_add(&c->rules_sel, enable, i ? RSEL_TAG : RSEL_WILDCARD, x->str)) {
			snprintf(why, wlen, "out of memory");
			return -1;
		}
		any |= x != NULL;
	}
	if (!any) {
		*bad = v;
		snprintf(why, wlen, "%s: expected rule: and/or tag:", op->str);
		return -1;
	}
	return 0;
}

/* The `rules:` list, replacing the one set before (a later file or -o
 * rules=[...] wins, as for any option). */
static int set_rules_sel(struct config *c, const struct ynode *n, const struct ynode **bad,
			 char *why, size_t wlen)
{
	size_t i;

	rsel_free(&c->rules_sel);
	*bad = n;
	if (ynode_is_null(n))
		return 0;
	if (n->kind != Y_SEQ) {
		snprintf(why, wlen, "expected a list of enable:/disable: items, got a %s",
			 ynode_kind_str(n));
		return -1;
	}
	for (i = 0; i < n->n; i++)
		if (sel_item(c, n->items[i], bad, why, wlen))
			return -1;
	return 0;
}

static int walk(struct config *c, const struct ynode *map, const char *prefix, FILE *err)
{
	char key[256], why[512];
	const struct ynode *rules_at = NULL; /* rules_file or rules_files */
	int bad = 0, id;
	size_t i;

	for (i = 0; i < map->n; i++) {
		const struct ynode *k = map->items[2 * i], *v = map->items[2 * i + 1];

		if (k->kind != Y_SCALAR) {
			report(err, "error", k, prefix[0] ? prefix : "(top)",
			       "a key must be a scalar");
			bad = 1;
			continue;
		}
		snprintf(key, sizeof(key), "%s%s%s", prefix, prefix[0] ? "." : "", k->str);
		if (!strcmp(key, rules_sel_key)) {
			const struct ynode *at;

			if (set_rules_sel(c, v, &at, why, sizeof(why))) {
				report(err, "error", at, key, why);
				bad = 1;
			}
			continue;
		}
		id = find_opt(key);
		if (id == CFG_RULES_FILE) {
			/* Both names: which list was meant cannot be told
			 * (Falco refuses such a file too). */
			if (rules_at && strcmp(rules_at->str, k->str)) {
				snprintf(why, sizeof(why),
					 "%s is set too (line %d): they name one option, keep one",
					 rules_at->str, ynode_loc(rules_at).line);
				report(err, "error", k, key, why);
				bad = 1;
				continue;
			}
			rules_at = k;
			c->rules_key = key_name(id, key);
			c->rules_from_o = false;
		}
		if (id >= 0) {
			if (set_node(c, id, v, why, sizeof(why))) {
				report(err, "error", v, key, why);
				bad = 1;
			} else {
				c->v[id].set = true;
			}
		} else if (is_section(key) && v->kind == Y_MAP) {
			bad |= walk(c, v, key, err);
		} else if (is_section(key) && ynode_is_null(v)) {
			/* An empty section keeps its defaults. */
		} else if (is_section(key)) {
			report(err, "error", v, key, "expected a mapping");
			bad = 1;
		} else if (ignored_entry(key)) {
			note_unsupported(c, ignored_entry(key));
		} else {
			report(err, "warning", k, key, "unknown option, ignored");
		}
	}
	return bad;
}

int config_load_string(struct config *c, const char *name, const char *buf, size_t len, FILE *err)
{
	struct diag_list dl;
	struct ydoc *d;
	int ret = -1;

	diag_list_init(&dl);
	d = ydoc_load(name, buf, len, &dl);
	if (!d || dl.nerrors) {
		if (err)
			diag_print_all(err, &dl);
		goto out;
	}
	if (d->ndocs == 0 || !d->docs[0] || ynode_is_null(d->docs[0])) {
		ret = 0; /* an empty file: every default */
		goto out;
	}
	if (d->ndocs > 1 && err)
		fprintf(err, "%s: warning: only the first YAML document is read\n", name);
	if (d->docs[0]->kind != Y_MAP) {
		report(err, "error", d->docs[0], "(top)", "the configuration must be a mapping");
		goto out;
	}
	ret = walk(c, d->docs[0], "", err) ? -1 : 0;
out:
	if (d) {
		diag_list_drop_source(&dl, d->buf);
		ydoc_free(d);
	}
	diag_list_free(&dl);
	return ret;
}

int config_load_file(struct config *c, const char *path, bool must_exist, FILE *err)
{
	char *buf;
	size_t len;
	int ret = file_read(path, CONFIG_FILE_MAX, &buf, &len);

	if (ret == -ENOENT && !must_exist)
		return 0;
	if (ret) {
		if (err && ret == -EFBIG)
			fprintf(err, "%s: too large (over 64 MiB)\n", path);
		else if (err)
			fprintf(err, "%s: cannot read: %s\n", path, strerror(-ret));
		return -1;
	}
	ret = config_load_string(c, path, buf, len, err);
	free(buf);
	if (!ret) {
		free(c->path);
		c->path = strdup(path);
	}
	return ret;
}

/* Falco's -o rules[].enable.rule=NAME (disable, tag): one more item. */
static int set_rules_item(struct config *c, const char *key, const char *val, FILE *err)
{
	const char *what = key + 8;
	bool enable = !strncmp(what, "enable.", 7);

	if (!enable && strncmp(what, "disable.", 8)) {
		if (err)
			fprintf(err,
				"-o %s: expected rules[].enable.rule, rules[].enable.tag, "
				"rules[].disable.rule or rules[].disable.tag\n",
				key);
		return -1;
	}
	what += enable ? 7 : 8;
	if ((strcmp(what, "rule") && strcmp(what, "tag")) || !*val) {
		if (err)
			fprintf(err, "-o %s: expected rules[].%s.rule=NAME or rules[].%s.tag=TAG\n",
				key, enable ? "enable" : "disable", enable ? "enable" : "disable");
		return -1;
	}
	if (rsel_add(&c->rules_sel, enable, strcmp(what, "tag") ? RSEL_WILDCARD : RSEL_TAG, val))
		return -1;
	return 0;
}

int config_set(struct config *c, const char *kv, FILE *err)
{
	const char *eq = strchr(kv, '=');
	struct diag_list dl;
	struct ydoc *d;
	char key[256], why[512];
	int id, ret = -1;

	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key)) {
		if (err)
			fprintf(err, "-o %s: expected KEY=VALUE\n", kv);
		return -1;
	}
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = 0;
	if (!strncmp(key, "rules[].", 8))
		return set_rules_item(c, key, eq + 1, err);
	id = find_opt(key);
	if (id < 0 && ignored_entry(key)) {
		note_unsupported(c, ignored_entry(key));
		return 0;
	}
	if (id < 0 && strcmp(key, rules_sel_key)) {
		if (err)
			fprintf(err, "-o %s: unknown option\n", key);
		return -1;
	}
	eq++;
	diag_list_init(&dl);
	d = ydoc_load(key, eq, strlen(eq), &dl);
	if (!d || dl.nerrors) {
		if (err)
			fprintf(err, "-o %s: not a YAML value: '%s'\n", key, eq);
	} else if (id < 0) {
		const struct ynode *at;

		ret = d->ndocs && d->docs[0] ? set_rules_sel(c, d->docs[0], &at, why, sizeof(why))
					     : (rsel_free(&c->rules_sel), 0);
		if (ret)
			report(err, "error", NULL, key, why);
	} else if (d->ndocs == 0 || !d->docs[0]) {
		/* "-o key=": an empty string, or an empty list. */
		if (opts[id].type == CT_LIST)
			ret = list_set(&opts[id], &c->v[id], NULL, 0, why, sizeof(why));
		else
			ret = set_scalar(&opts[id], &c->v[id], "", why, sizeof(why));
		if (ret)
			report(err, "error", NULL, key, why);
	} else if (set_node(c, id, d->docs[0], why, sizeof(why))) {
		report(err, "error", NULL, key, why);
	} else {
		ret = 0;
	}
	if (!ret && id >= 0) {
		c->v[id].set = true;
		if (id == CFG_RULES_FILE) {
			c->rules_key = key_name(id, key);
			c->rules_from_o = true;
		}
	}
	if (d) {
		diag_list_drop_source(&dl, d->buf);
		ydoc_free(d);
	}
	diag_list_free(&dl);
	return ret;
}

int config_set_rules(struct config *c, char *const *paths, size_t n)
{
	char why[64];

	if (list_set(&opts[CFG_RULES_FILE], &c->v[CFG_RULES_FILE], (const char *const *)paths, n,
		     why, sizeof(why)))
		return -1;
	c->rules_from_cli = true;
	return 0;
}

int config_check(const struct config *c, FILE *err)
{
	int bad = 0;

#define CHECK(cond, id, msg)                                                  \
	do {                                                                  \
		if (cond) {                                                   \
			if (err)                                              \
				fprintf(err, "%s: %s\n", opts[id].name, msg); \
			bad = 1;                                              \
		}                                                             \
	} while (0)
	CHECK(cfg_bool(c, CFG_FILE_ENABLED) && !*cfg_str(c, CFG_FILE_FILENAME), CFG_FILE_FILENAME,
	      "file_output is enabled but no file name is set");
	CHECK(cfg_bool(c, CFG_PROGRAM_ENABLED) && !*cfg_str(c, CFG_PROGRAM_PROGRAM),
	      CFG_PROGRAM_PROGRAM, "program_output is enabled but no program is set");
	CHECK(cfg_bool(c, CFG_HTTP_ENABLED) && strncmp(cfg_str(c, CFG_HTTP_URL), "http://", 7) &&
		      strncmp(cfg_str(c, CFG_HTTP_URL), "https://", 8),
	      CFG_HTTP_URL, "http_output is enabled: the url must start with http:// or https://");
	CHECK(cfg_bool(c, CFG_WEB_ENABLED) && cfg_str(c, CFG_WEB_K8S_AUDIT_ENDPOINT)[0] != '/',
	      CFG_WEB_K8S_AUDIT_ENDPOINT, "must start with '/'");
	CHECK(cfg_bool(c, CFG_WEB_ENABLED) && cfg_str(c, CFG_WEB_HEALTHZ_ENDPOINT)[0] != '/',
	      CFG_WEB_HEALTHZ_ENDPOINT, "must start with '/'");
	CHECK(cfg_bool(c, CFG_WEB_ENABLED) && cfg_str(c, CFG_WEB_METRICS_ENDPOINT)[0] != '/',
	      CFG_WEB_METRICS_ENDPOINT, "must start with '/'");
	CHECK(cfg_bool(c, CFG_WEB_ENABLED) && cfg_bool(c, CFG_WEB_SSL_ENABLED) &&
		      !*cfg_str(c, CFG_WEB_SSL_CERTIFICATE),
	      CFG_WEB_SSL_CERTIFICATE, "ssl_enabled needs a certificate file");
	CHECK(cfg_double(c, CFG_OUTPUTS_RATE) > 0 && cfg_double(c, CFG_OUTPUTS_MAX_BURST) < 1,
	      CFG_OUTPUTS_MAX_BURST, "must be at least 1 when outputs.rate is set");
	CHECK(cfg_double(c, CFG_DROPS_THRESHOLD) > 100, CFG_DROPS_THRESHOLD,
	      "a percentage of the events, 0 to 100");
	if (c->cli_sel.n && c->rules_sel.n) {
		if (err)
			fprintf(err,
				"Specifying -D, -t, -T command line options together with "
				"\"rules:\" configuration or -o \"rules...\" is not supported.\n");
		bad = 1;
	}
#undef CHECK
	return bad ? -1 : 0;
}

bool cfg_bool(const struct config *c, enum cfg_id id)
{
	return c->v[id].b;
}

long long cfg_int(const struct config *c, enum cfg_id id)
{
	return c->v[id].i;
}

double cfg_double(const struct config *c, enum cfg_id id)
{
	return c->v[id].d;
}

const char *cfg_str(const struct config *c, enum cfg_id id)
{
	return c->v[id].s ? c->v[id].s : "";
}

char *const *cfg_list(const struct config *c, enum cfg_id id, size_t *n)
{
	*n = c->v[id].n;
	return c->v[id].list;
}

bool cfg_list_has(const struct config *c, enum cfg_id id, const char *s)
{
	size_t i;

	for (i = 0; i < c->v[id].n; i++)
		if (!strcasecmp(c->v[id].list[i], s))
			return true;
	return false;
}

void config_dump(const struct config *c, FILE *f)
{
	size_t j;
	int i;

	for (i = 0; i < __CFG_MAX; i++) {
		const struct cfg_val *v = &c->v[i];

		fprintf(f, "%s: ", opts[i].name);
		switch (opts[i].type) {
		case CT_BOOL: fputs(v->b ? "true" : "false", f); break;
		case CT_INT: fprintf(f, "%lld", v->i); break;
		case CT_DOUBLE: fprintf(f, "%g", v->d); break;
		case CT_STR: fprintf(f, "%s", cfg_str(c, (enum cfg_id)i)); break;
		case CT_PRIORITY: fputs(ruleset_priority_str((int)v->i), f); break;
		case CT_CHOICE: fputs(opts[i].choices[v->i], f); break;
		case CT_LIST:
			fputc('[', f);
			for (j = 0; j < v->n; j++)
				fprintf(f, "%s%s", j ? ", " : "", v->list[j]);
			fputc(']', f);
			break;
		}
		fputc('\n', f);
	}
	fprintf(f, "%s: [", rules_sel_key);
	for (j = 0; j < c->rules_sel.n; j++) {
		fputs(j ? ", {" : "{", f);
		rsel_print(f, &c->rules_sel.v[j]);
		fputc('}', f);
	}
	fputs("]\n", f);
}
