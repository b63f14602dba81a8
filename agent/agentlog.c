/* agentlog.c - the agent's own messages (see agentlog.h). */
#include "agentlog.h"

#include <pthread.h>
#include <stdarg.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int max_level = LOG_INFO;
static bool to_stderr = true, to_syslog;
static FILE *stream;

void agentlog_configure(int level, bool err, bool sys)
{
	pthread_mutex_lock(&lock);
	max_level = level;
	to_stderr = err;
	to_syslog = sys;
	pthread_mutex_unlock(&lock);
}

void agentlog_configure_from(const struct config *cfg)
{
	/* log_level's choices are in syslog's order, emergency = LOG_EMERG. */
	agentlog_configure((int)cfg_int(cfg, CFG_LOG_LEVEL), cfg_bool(cfg, CFG_LOG_STDERR),
			   cfg_bool(cfg, CFG_LOG_SYSLOG));
}

void agentlog_set_stream(FILE *f)
{
	pthread_mutex_lock(&lock);
	stream = f;
	pthread_mutex_unlock(&lock);
}

static void vlog(int level, bool fatal, const char *fmt, va_list ap)
{
	char msg[1024];
	bool shown = level <= max_level;
	size_t n;

	pthread_mutex_lock(&lock);
	if (!fatal && (!shown || (!to_stderr && !to_syslog))) {
		pthread_mutex_unlock(&lock);
		return;
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	if (to_syslog && shown)
		syslog(level, "%s", msg);
	if ((to_stderr && shown) || fatal) {
		FILE *f = stream ? stream : stderr;

		fprintf(f, "shrike-agent: %s\n", msg);
		fflush(f);
	}
	pthread_mutex_unlock(&lock);
}

void alog(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, false, fmt, ap);
	va_end(ap);
}

void alog_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, true, fmt, ap);
	va_end(ap);
}
