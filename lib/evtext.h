/* evtext.h - the event model's rendering of values as text, the way Falco
 * prints them in an output string: numbers in decimal, booleans true/false,
 * lists as "(a,b)", addresses and networks, Falco's time strings, and
 * fd.sip.name and its kin as the host name of their address. */
#ifndef SHRIKE_LIB_EVTEXT_H
#define SHRIKE_LIB_EVTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "evstore.h"

/*
 * The value of (field, argument text) as an output shows it: as
 * uevent_lookup, except for fd.sip.name and its kin, whose value is the
 * address (what the evaluator compares names with) and which show the name
 * dns_name_of() gives it, or are missing (<NA>).
 */
int uevent_lookup_shown(struct uevent *ev, u16 field, const char *arg, size_t arglen,
			struct shrike_val *out);

/*
 * Renders the value of a field token ("proc.aname[2]", "ka.req.pod.
 * containers.image") as Falco prints it in output text: numbers in decimal,
 * booleans true/false, lists as "(a,b)". Writes at most buflen bytes,
 * NUL-terminated. Returns the rendered length + 1 (more than buflen means it
 * was truncated), 0 if the event has no value (print <NA>), -EINVAL for a
 * token that names no field.
 */
int uevent_get_str(struct uevent_ctx *ctx, const char *token, size_t len, char *buf, size_t buflen);

/* Renders v of a field of registered type ftype into a malloc'd string, or
 * appends it to b. */
char *uevent_render(u8 ftype, const struct shrike_val *v);
struct strbuf;
void uevent_render_into(struct strbuf *b, u8 ftype, const struct shrike_val *v);

/* Falco's time strings (libsinsp ts_to_string / ts_to_iso_8601). buf >= 40. */
void uevent_fmt_time(u64 ts, bool date, bool ns, char *buf, size_t len);
void uevent_fmt_iso8601(u64 ts, char *buf, size_t len);
/* Falco's JSON "time": gmtime, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ". */
void uevent_fmt_rfc3339(u64 ts, char *buf, size_t len);

#endif
