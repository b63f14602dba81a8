/* agentlog.h - the agent's own messages, as Falco's falco_logger: each has
 * a level (syslog's: LOG_EMERG .. LOG_DEBUG, log_level's emergency ..
 * debug); one less severe than log_level is dropped, the others go to
 * stderr as "shrike-agent: MSG" (log_stderr) and to syslog (log_syslog).
 * Alerts are not messages: they go to the outputs. Any thread may log; each
 * call is one whole line. Until agentlog_configure(): info, stderr only. */
#ifndef SHRIKE_AGENT_AGENTLOG_H
#define SHRIKE_AGENT_AGENTLOG_H

#include <stdbool.h>
#include <stdio.h>
#include <syslog.h>

#include "config.h"

void agentlog_configure(int level, bool to_stderr, bool to_syslog);
/* From cfg's log_level, log_stderr, log_syslog. */
void agentlog_configure_from(const struct config *cfg);
/* Where the stderr lines go (tests); NULL: stderr. */
void agentlog_set_stream(FILE *f);

void alog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error the agent exits on: logged as LOG_ERR, and on stderr even when
 * log_stderr is false or log_level drops errors (Falco's display_fatal_err). */
void alog_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
