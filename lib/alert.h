/* alert.h - Falco's alert format, shared by `shrikec test` and the agent:
 * the rule's output string with %field tokens resolved, the text line
 * "<time>: <Priority> <output>" and the JSON line with Falco's keys, order
 * and value types, so that anything parsing Falco's alerts parses Shrike's. */
#ifndef SHRIKE_LIB_ALERT_H
#define SHRIKE_LIB_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include "event.h"

/* falco.yaml's settings of the same names. */
struct output_opts {
	bool time_format_iso_8601;	   /* default false */
	bool json_include_output_property; /* default true */
	bool json_include_tags_property;   /* default true */
};

void output_opts_init(struct output_opts *o);

struct output_tmpl;

struct alert {
	const char *rule;
	int priority; /* SHRIKE_PRI_* */
	int source;   /* SHRIKE_SRC_* */
	const char *const *tags;
	size_t ntags;
	const char *output_fmt; /* the rule's output, as written */
	u64 time_ns;		/* event time; 0: the event's own */
	const char *hostname;	/* NULL: no "hostname" key */
	/* output_tmpl_new() of this rule (its output_fmt, source, priority)
	 * and these output_opts, or NULL: the format is parsed per call. */
	const struct output_tmpl *tmpl;
};

/* A rule's strings copied out of its table, as its alerts name them: what
 * the agent keeps per rule of the running table, and `shrikec test` per
 * alert. */
struct alert_rule {
	char *name, *fmt;
	char *tags[SHRIKE_MAX_TAGS];
	size_t ntags;
};

/* Copies rule r's name, output and tags (the first SHRIKE_MAX_TAGS) out of
 * t. 0, or -1 on ENOMEM with ar cleared. */
int alert_rule_load(struct alert_rule *ar, const struct shrike_table *t,
		    const struct shrike_rule *r);
/* Frees ar's strings; ar is left zeroed. */
void alert_rule_clear(struct alert_rule *ar);

/* The alert of rule r as the agent and `shrikec test` emit it: its name,
 * output and tags from ar, its priority and source, hostname (NULL: no
 * "hostname" key), the event's own time, and tm (output_tmpl_new() of this
 * alert, or NULL). */
void alert_of_rule(struct alert *a, const struct alert_rule *ar, const struct shrike_rule *r,
		   const char *hostname, const struct output_tmpl *tm);

/*
 * A rule's alert format parsed once ("*%evt.time: <Priority> " and its
 * output's %field tokens), so that formatting each of its alerts only
 * resolves values. Depends on a's output_fmt, source and priority and on
 * o's time format. NULL on ENOMEM.
 */
struct output_tmpl *output_tmpl_new(const struct alert *a, const struct output_opts *o);
void output_tmpl_free(struct output_tmpl *tm);
struct field_info;
/* Calls fn for each distinct field token of tm (its prefix's and its
 * output's): the field and its argument text as written (NULL if none). */
void output_tmpl_fields(const struct output_tmpl *tm,
			void (*fn)(void *data, const struct field_info *fi, const char *arg,
				   size_t arglen),
			void *data);

/* "Warning", "Informational", ...; "Unknown" out of range. */
const char *output_priority_name(int priority);
/* "syscall", "k8s_audit". */
const char *output_source_name(int source);

/*
 * Resolves an output string: each %field token (as in conditions:
 * %proc.aname[2], %evt.arg.flags, %jevt.value[/requestURI]) becomes its
 * value as Falco prints it, <NA> when the event has none; %container.info
 * of a syscall rule becomes Falco's default "container=%container.name
 * (id=%container.id)"; everything else is literal. malloc'd, NULL on ENOMEM.
 */
char *output_resolve(const char *fmt, int source, struct uevent_ctx *ctx);

/* "<time>: <Priority> <output>", no newline. malloc'd, NULL on ENOMEM. */
char *output_format_text(const struct alert *a, struct uevent_ctx *ctx,
			 const struct output_opts *o);

/* output_format_json() when json, else output_format_text(). */
char *output_format(const struct alert *a, struct uevent_ctx *ctx, const struct output_opts *o,
		    bool json);

/*
 * {"hostname":..,"output":..,"priority":..,"rule":..,"source":..,"tags":[..],
 * "time":"..Z", "output_fields": {...}} exactly as Falco writes it, no
 * newline. malloc'd, NULL on ENOMEM.
 */
char *output_format_json(const struct alert *a, struct uevent_ctx *ctx,
			 const struct output_opts *o);

/*
 * The agent's own alerts (Falco's "Falco internal: ..." messages, such as
 * the syscall event drop): no rule, no event. JSON: {"hostname", "output",
 * "output_fields" (fields, taken over; NULL: {}), "priority", "rule",
 * "source":"syscall", "time"}, time in the "...Z" form of every JSON alert.
 * Text: "<time>: <Priority> <msg>". malloc'd, NULL on ENOMEM.
 */
struct json_object;
char *output_internal_json(const char *hostname, const char *rule, int priority, const char *msg,
			   struct json_object *fields, u64 time_ns);
char *output_internal_text(int priority, const char *msg, u64 time_ns, const struct output_opts *o);

#endif
