/* evjson.h - the event model's JSON: a syscall event from a JSON test line
 * (`shrikec test`, the unit tests), and JSON text out, with strings quoted
 * the way each of Falco's JSON libraries quotes them. */
#ifndef SHRIKE_LIB_EVJSON_H
#define SHRIKE_LIB_EVJSON_H

#include <stddef.h>
#include "evstore.h"

/*
 * Parses one JSON object whose keys are field tokens as written in rules
 * ("proc.aname[2]", "evt.arg.flags") into a syscall event. Values: strings,
 * numbers, true/false, arrays of strings for list values, null for an
 * explicitly missing value; each is converted to the field's registered
 * type. A number for evt.time or evt.rawtime sets the event time, from which
 * every evt.time* / evt.datetime* / evt.rawtime* field is derived unless the
 * line gives that field itself. Returns 0, or -EINVAL with a message in err.
 */
int uevent_from_json_syscall(struct uevent *ev, const char *line, char *err, size_t errlen);

/* Whose quoting json_quote() writes. All escape '"', '\\' and \b \f \n \r \t
 * with a backslash; they differ in the rest. */
enum json_quoting {
	/* jsoncpp's FastWriter (Falco's JSON alerts): everything else outside
	 * 0x20..0x7f as \uxxxx of its UTF-8 code point (U+FFFD where it does
	 * not decode), surrogate pairs above the BMP. */
	JSON_QUOTE_JSONCPP,
	/* nlohmann's dump (Falco 0.31's jevt.*): other control characters as
	 * \u00xx, every other byte as it is. */
	JSON_QUOTE_NLOHMANN,
	/* Go's strconv quoting (fastjson's slow path, the k8saudit plugin's
	 * ka.*): \a, \v, other control characters and DEL as \xXX. */
	JSON_QUOTE_GO,
};

struct strbuf;
/* Appends s (n bytes) to b as a quoted JSON string. */
void json_quote(struct strbuf *b, const char *s, size_t n, enum json_quoting how);

/*
 * A syscall event written as the JSON line uevent_from_json_syscall() reads
 * back (shrike-agent -w): evt.type, evt.dir, evt.rawtime (the event time,
 * from which every evt.time* field follows), then each field added, once,
 * with its value as uevent_lookup() gives it (extractors included). Keys as
 * in rules: proc.aname[2], evt.arg.flags, evt.arg[0], proc.env[HOME]. Values:
 * integers as JSON numbers, booleans as true/false, lists as arrays of
 * strings, addresses as text ("10.0.0.1", "10.0.0.0/8"), strings quoted
 * byte for byte (nlohmann's quoting: json-c reads them back unchanged). A
 * field with no value is left out.
 */
struct evjson_rec {
	struct strbuf *b;
	struct uevent *ev;
	/* fd.sip.name and kin: their value is the address (evaluated against
	 * names by the dns hook). If set, name_of(address) gives the name to
	 * write (malloc'd; dns_name_of), so that the file replays without
	 * the resolver; NULL: the address as text. */
	char *(*name_of)(const struct shrike_val *addr);
	char **keys; /* the keys written, each once */
	size_t nkeys, cap;
	bool oom;
};

/* Starts the line of ev in b (appended to): "{" and the three fields
 * above; entry: evt.dir ">", else "<". */
void evjson_rec_begin(struct evjson_rec *r, struct strbuf *b, struct uevent *ev, bool entry);
/* Adds (field, argument text arg of arglen bytes, NULL none), a syscall
 * field, unless it was added before or has no value. */
void evjson_rec_field(struct evjson_rec *r, u16 field, const char *arg, size_t arglen);
/* Ends the object and the line ("}\n"). 0, or -ENOMEM if any allocation
 * failed (b's own failure is b's: sb_take() says). */
int evjson_rec_end(struct evjson_rec *r);

#endif
