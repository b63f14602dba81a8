/* logsink.c - a syslog receiver for the VM scenarios: binds a Unix datagram
 * socket at PATH (/dev/log, where glibc's syslog(3) sends) and writes each
 * message as received, one per line, to standard output until killed, so a
 * scenario can check exactly what shrike-agent's syslog output sent
 * ("<PRI>Mmm dd hh:mm:ss IDENT[PID]: MESSAGE").
 *
 *   shrike-logsink PATH
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	static char buf[65536];
	ssize_t n;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(a.sun_path)) {
		fprintf(stderr, "usage: shrike-logsink PATH\n");
		return 2;
	}
	strcpy(a.sun_path, argv[1]);
	unlink(argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("shrike-logsink");
		return 1;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			perror("shrike-logsink: recv");
			return 1;
		}
		/* glibc ends nothing with a newline; one line per message. */
		while (n > 0 && buf[n - 1] == '\n')
			n--;
		fwrite(buf, 1, (size_t)n, stdout);
		fputc('\n', stdout);
		fflush(stdout);
	}
}
