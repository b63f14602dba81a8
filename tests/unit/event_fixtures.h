/* event_fixtures.h - shared by the event, k8saudit and alert suites: a
 * sample syscall event line, events loaded from JSON lines and from the
 * audit fixtures in tests/unit/k8s/, and TZ=UTC. */
#ifndef SHRIKE_TEST_EVENT_FIXTURES_H
#define SHRIKE_TEST_EVENT_FIXTURES_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "lib/event.h"
#include "uevent_helpers.h"

#define SAMPLE                                                                           \
	"{\"evt.type\":\"openat\",\"proc.name\":\"bash\",\"proc.aname[2]\":\"sshd\","    \
	"\"evt.arg.flags\":\"O_WRONLY|O_CREAT\",\"fd.sport\":22,\"user.name\":\"root\"," \
	"\"proc.aname\":[\"bash\",\"sshd\",\"systemd\"],\"evt.time\":1700000000123456789}"

static inline void utc(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

#define EQ(ev, tok, exp) ck_assert_str_eq(val((ev), (tok)), (exp))

static inline void load_syscall(struct uevent *ev, const char *line)
{
	char err[256];
	int rc = uevent_from_json_syscall(ev, line, err, sizeof(err));

	ck_assert_msg(rc == 0, "parse failed: %s", err);
}

static inline json_object *fixture(const char *name)
{
	char path[512];
	const char *f = __FILE__, *slash = strrchr(f, '/');
	json_object *j;

	snprintf(path, sizeof(path), "%.*sk8s/%s", slash ? (int)(slash - f + 1) : 0, f, name);
	j = json_object_from_file(path);
	ck_assert_msg(j != NULL, "cannot read %s", path);
	return j;
}

static inline void load_audit(struct uevent *ev, const char *name)
{
	json_object *j = fixture(name);

	ck_assert_int_eq(uevent_from_audit(ev, j), 0);
	json_object_put(j); /* the event holds its own reference */
}

#endif
