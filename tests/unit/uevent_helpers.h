/* uevent_helpers.h - shared by the event, k8saudit, alert and procfs suites: a userspace
 * event's field as the agent's outputs print it. */
#ifndef SHRIKE_TEST_UEVENT_HELPERS_H
#define SHRIKE_TEST_UEVENT_HELPERS_H

#include <check.h>
#include <string.h>
#include "lib/event.h"

/* The value of token as Falco prints it, "<NA>" when missing. */
static inline const char *val(struct uevent *ev, const char *token)
{
	static char buf[16384];
	struct uevent_ctx c = { NULL, ev };
	int r = uevent_get_str(&c, token, strlen(token), buf, sizeof(buf));

	ck_assert_msg(r >= 0, "token %s: %d", token, r);
	ck_assert_msg((size_t)r <= sizeof(buf), "token %s truncated", token);
	return r ? buf : "<NA>";
}

#endif
