/* config.h - shrike-agent's configuration: /etc/shrike/shrike.yaml with
 * falco.yaml's option names and defaults where the meaning is the same, then
 * -o KEY=VALUE overrides, then -r (which replaces rules_file, as Falco's -r
 * does). Every option is one row of an enum-indexed table (name, type,
 * default, bounds), so the defaults, the parser, the -o overrides and the
 * documentation cannot disagree. */
#ifndef SHRIKE_AGENT_CONFIG_H
#define SHRIKE_AGENT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../compiler/compiler.h"

#define SHRIKE_DEFAULT_CONFIG "/etc/shrike/shrike.yaml"

enum cfg_id {
	CFG_RULES_FILE,
	CFG_JSON_OUTPUT,
	CFG_JSON_INCLUDE_OUTPUT_PROPERTY,
	CFG_JSON_INCLUDE_TAGS_PROPERTY,
	CFG_TIME_FORMAT_ISO_8601,
	CFG_PRIORITY,
	CFG_RULE_MATCHING,
	CFG_BUFFERED_OUTPUTS,
	CFG_OUTPUTS_RATE,
	CFG_OUTPUTS_MAX_BURST,
	CFG_OUTPUTS_QUEUE_SIZE,
	CFG_STDOUT_ENABLED,
	CFG_FILE_ENABLED,
	CFG_FILE_KEEP_ALIVE,
	CFG_FILE_FILENAME,
	CFG_SYSLOG_ENABLED,
	CFG_PROGRAM_ENABLED,
	CFG_PROGRAM_KEEP_ALIVE,
	CFG_PROGRAM_PROGRAM,
	CFG_HTTP_ENABLED,
	CFG_HTTP_URL,
	CFG_HTTP_USER_AGENT,
	CFG_HTTP_TIMEOUT_MS,
	CFG_WEB_ENABLED,
	CFG_WEB_LISTEN_ADDRESS,
	CFG_WEB_LISTEN_PORT,
	CFG_WEB_K8S_AUDIT_ENDPOINT,
	CFG_WEB_HEALTHZ_ENDPOINT,
	CFG_WEB_METRICS_ENDPOINT,
	CFG_WEB_SSL_ENABLED,
	CFG_WEB_SSL_CERTIFICATE,
	CFG_WEB_MAX_BODY_BYTES,
	CFG_WEB_MAX_CONN_PER_ADDRESS,
	CFG_DROPS_THRESHOLD,
	CFG_DROPS_ACTIONS,
	CFG_DROPS_RATE,
	CFG_DROPS_MAX_BURST,
	CFG_LOG_STDERR,
	CFG_LOG_SYSLOG,
	CFG_LOG_LEVEL,
	CFG_DOCKER_ENABLED,
	CFG_DOCKER_ROOT,
	CFG_CONTAINERD_ENABLED,
	CFG_CONTAINERD_STATE_DIRS,
	CFG_CRIO_ENABLED,
	CFG_CRIO_STATE_DIRS,
	CFG_CONTAINER_CACHE_SIZE,
	CFG_CONTAINER_CACHE_TTL,
	CFG_PROC_ROOT,
	__CFG_MAX,
};

enum cfg_type {
	CT_BOOL,
	CT_INT,	   /* long long within [min, max] */
	CT_DOUBLE, /* >= min */
	CT_STR,
	CT_LIST,     /* list of strings; a scalar is a list of one */
	CT_PRIORITY, /* a rule priority name: SHRIKE_PRI_* */
	CT_CHOICE,   /* one of choices[]: its index */
};

struct cfg_val {
	bool b;
	long long i; /* CT_INT, CT_PRIORITY, CT_CHOICE */
	double d;
	char *s;
	char **list;
	size_t n;
	bool set; /* given in the file or with -o */
};

struct config {
	struct cfg_val v[__CFG_MAX];
	char *path;	     /* the file read; NULL: built-in defaults */
	bool rules_from_cli; /* -r given: missing paths are errors */
	/* For messages: the name CFG_RULES_FILE was last given by
	 * ("rules_file", or newer Falco's "rules_files"), and whether by -o. */
	const char *rules_key;
	bool rules_from_o;
	bool all_events; /* -A: Falco's, no configuration key either */
	/* -p FORMAT (-pc, -pk): Falco's, no configuration key either: added
	 * to every syscall rule's output, or with replace_container_info in
	 * place of its %container.info (ruleset_output_extra()). */
	const char *output_extra;
	bool replace_container_info;
	/* newer Falco's `rules:` list (also -o rules=[...] and -o
	 * rules[].disable.rule=X), and -D/-T/-t (which Falco does not let
	 * be combined with it: config_check()), applied before compiling */
	struct rule_selection rules_sel, cli_sel;
	/* Falco options Shrike does not implement that were given, in the
	 * file or with -o: named once by config_warn_unsupported() */
	const char **unsupported;
	size_t nunsupported;
};

/* Built-in defaults. */
void config_init(struct config *c);
void config_free(struct config *c);

/*
 * Reads a YAML configuration file over c. A missing file is an error only if
 * must_exist (an explicit -c). Bad values and YAML errors go to err as
 * "file:line:col: key: why"; unknown keys are warnings. 0, or -1.
 * rules_files, newer Falco's name for rules_file, is the same option here
 * and with -o; a file that sets both is an error, as in Falco (which of the
 * two lists was meant cannot be told).
 */
int config_load_file(struct config *c, const char *path, bool must_exist, FILE *err);
/* Same from memory (tests). name is used in messages. */
int config_load_string(struct config *c, const char *name, const char *buf, size_t len, FILE *err);
/* -o KEY=VALUE; VALUE is read as YAML, so "-o rules_file=[a.yaml, b.yaml]"
 * works. Unknown keys are errors here. 0, or -1 with the reason on err. */
int config_set(struct config *c, const char *kv, FILE *err);
/* -r: the list replaces rules_file. */
int config_set_rules(struct config *c, char *const *paths, size_t n);
/* Checks that hold across options (an enabled file output needs a file
 * name, ...). 0, or -1 with each problem on err. */
int config_check(const struct config *c, FILE *err);

bool cfg_bool(const struct config *c, enum cfg_id id);
long long cfg_int(const struct config *c, enum cfg_id id);
double cfg_double(const struct config *c, enum cfg_id id);
const char *cfg_str(const struct config *c, enum cfg_id id);
char *const *cfg_list(const struct config *c, enum cfg_id id, size_t *n);
const char *cfg_name(enum cfg_id id);
/* True if the list option holds s. */
bool cfg_list_has(const struct config *c, enum cfg_id id, const char *s);

/* One warning naming every Falco option given (file or -o) that Shrike
 * does not implement and ignores; nothing if there is none. */
void config_warn_unsupported(const struct config *c, FILE *err);

/* Every option with its current value, one "key: value" a line (--help). */
void config_dump(const struct config *c, FILE *f);

#endif
