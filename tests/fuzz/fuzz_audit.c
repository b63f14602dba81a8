/* fuzz_audit.c - libFuzzer harness for the audit webhook's JSON handling:
 * the body parsed as the webserver parses it (json-c, nesting bounded as
 * agent/webserver.c bounds it), split into events by websrv_audit_events()
 * (Event, EventList, array; every event dated), and each event's every ka.*
 * and jevt.* field extracted and rendered as an output would, with argument
 * texts (indexes, keys, JSON pointers) chosen by the input's first byte. ASan/UBSan see
 * each read the extractor makes of a hostile body.
 *
 *   make fuzz (tests/fuzz/corpus_audit holds the seeds: tests/unit/k8s) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "agent/webserver.h"
#include "lib/event.h"
#include "lib/fields.h"

/* As agent/webserver.c's JSON_DEPTH. */
#define DEPTH 64

static const char *const args[] = { "0", "1", "x", "name", "/metadata/name", "/", "~1", "99999" };

static void each_event(void *data, json_object *ev_json)
{
	const uint8_t *in = data;
	struct uevent ev;
	size_t i;

	uevent_init(&ev, SHRIKE_SRC_K8S_AUDIT);
	uevent_from_audit(&ev, ev_json);
	for (i = 0; i < fields_count(); i++) {
		const struct field_info *f = field_at(i);
		struct shrike_val v;
		const char *arg = NULL;

		if (f->source != SHRIKE_SRC_K8S_AUDIT)
			continue;
		if (f->argkind != SHRIKE_ARGK_NONE)
			arg = args[(in[0] + i) % (sizeof(args) / sizeof(args[0]))];
		if (uevent_lookup(&ev, f->id, arg, arg ? strlen(arg) : 0, &v) == SHRIKE_FETCH_OK)
			free(uevent_render(f->type, &v));
	}
	uevent_free(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = json_tokener_new_ex(DEPTH);
	uint8_t first = size ? data[0] : 0;
	json_object *body;
	char err[256];

	if (!tok)
		return 0;
	body = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	if (body && json_tokener_get_error(tok) == json_tokener_success)
		websrv_audit_events(body, each_event, &first, err, sizeof(err));
	json_object_put(body);
	json_tokener_free(tok);
	return 0;
}
