/* replay.c - see replay.h. Syscall events are matched as the kernel
 * buckets them (match_syscall), audit events by the agent's match_event. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "replay.h"

#include <string.h>
#include <json-c/json.h>

#include "codegen.h"
#include "../lib/fields.h"
#include "../lib/match.h"

/*
 * A syscall event is evaluated as the kernel and the agent evaluate one: by
 * the rules whose event-type set holds its evt.type, at its direction
 * (evt.dir ">" entry, "<" exit; an event without evt.dir is an exit event,
 * as most are, and gets evt.dir "<" as the kernel would give it). Each
 * program is compiled for those events only (optimize.h), so a rule must
 * not see others: an evt.type no kernel event has (or none) matches no rule,
 * nor does an evt.dir other than ">" and "<".
 */
static void match_syscall(struct replay *rp, struct uevent_ctx *ctx)
{
	const struct shrike_table *t = ctx->t;
	struct shrike_val v;
	bool entry = false;
	int evt = -1, rc;
	u32 i;

	if (uevent_lookup(ctx->ev, SHRIKE_F_EVT_TYPE, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    v.type == SHRIKE_T_STR)
		evt = evtype_lookup(v.str.ptr, v.str.len);
	rc = uevent_lookup(ctx->ev, SHRIKE_F_EVT_DIR, NULL, 0, &v);
	if (rc == SHRIKE_FETCH_OK) {
		if (v.type != SHRIKE_T_STR || v.str.len != 1 ||
		    (v.str.ptr[0] != '>' && v.str.ptr[0] != '<'))
			return;
		entry = v.str.ptr[0] == '>';
	} else if (uevent_set_str(ctx->ev, SHRIKE_F_EVT_DIR, NULL, "<", 1)) {
		return;
	}
	if (evt < 0)
		return;
	for (i = 0; i < t->nrules; i++) {
		const struct shrike_rule *r = &t->rules[i];
		u16 flags = le16_to_cpu(r->flags);

		if (!(flags & SHRIKE_RF_ENABLED) || r->source != SHRIKE_SRC_SYSCALL ||
		    !shrike_rule_has_evtype(r, (u32)evt) || !(flags & SHRIKE_RF_ENTRY) != !entry)
			continue;
		if (shrike_eval(t, r, uevent_fetch, ctx) != SHRIKE_V_TRUE)
			continue;
		rp->on_alert(r, ctx, rp->data);
		if (!(t->flags & SHRIKE_TF_MATCH_ALL))
			break;
	}
}

struct audit_match {
	struct replay *rp;
	struct uevent_ctx *ctx;
};

static void audit_alert(const struct shrike_rule *r, void *data)
{
	struct audit_match *m = data;

	m->rp->on_alert(r, m->ctx, m->rp->data);
}

static int run_event(struct replay *rp, struct uevent *ev)
{
	struct uevent_ctx ctx = { rp->t, ev };
	struct audit_match m = { rp, &ctx };

	if (ev->source == SHRIKE_SRC_SYSCALL)
		match_syscall(rp, &ctx);
	else
		match_event(&ctx, audit_alert, &m);
	uevent_free(ev);
	return 0;
}

int replay_line(struct replay *rp, const char *file, size_t lineno, const char *line)
{
	struct json_tokener *tok;
	json_object *j, *kind, *items;
	struct uevent ev;
	char err[256];
	size_t i;

	tok = json_tokener_new_ex(64);
	if (!tok)
		return 2;
	j = json_tokener_parse_ex(tok, line, (int)strlen(line));
	if (!j || json_tokener_get_error(tok) != json_tokener_success) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		fprintf(stderr, "%s:%zu: invalid JSON: %s\n", file, lineno,
			e == json_tokener_continue ? "unexpected end of line"
						   : json_tokener_error_desc(e));
		json_object_put(j);
		json_tokener_free(tok);
		return 1;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(j, json_type_object)) {
		fprintf(stderr, "%s:%zu: an event is a JSON object\n", file, lineno);
		json_object_put(j);
		return 1;
	}
	if (json_object_object_get_ex(j, "kind", &kind) &&
	    json_object_is_type(kind, json_type_string)) {
		const char *k = json_object_get_string(kind);

		if (!strcmp(k, "EventList") && json_object_object_get_ex(j, "items", &items) &&
		    json_object_is_type(items, json_type_array)) {
			for (i = 0; i < json_object_array_length(items); i++) {
				uevent_init(&ev, SHRIKE_SRC_K8S_AUDIT);
				uevent_from_audit(&ev, json_object_array_get_idx(items, i));
				run_event(rp, &ev);
			}
			json_object_put(j);
			return 0;
		}
		if (!strcmp(k, "Event")) {
			uevent_init(&ev, SHRIKE_SRC_K8S_AUDIT);
			uevent_from_audit(&ev, j);
			json_object_put(j);
			return run_event(rp, &ev);
		}
	}
	json_object_put(j);
	uevent_init(&ev, SHRIKE_SRC_SYSCALL);
	if (uevent_from_json_syscall(&ev, line, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s:%zu: %s\n", file, lineno, err);
		uevent_free(&ev);
		return 1;
	}
	return run_event(rp, &ev);
}

int replay_file(struct replay *rp, FILE *f, const char *name)
{
	size_t lineno = 0, cap = 0;
	char *line = NULL;
	ssize_t n;
	int ret = 0, r;

	while ((n = getline(&line, &cap, f)) >= 0) {
		char *s = line;

		lineno++;
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			s[--n] = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		r = replay_line(rp, name, lineno, s);
		if (r > ret)
			ret = r;
	}
	free(line);
	return ret;
}
