/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * tcp_send IPV4 PORT FILE: send FILE over TCP, half-close, print the
 * receiver's one-line answer (what it counted) and the throughput.
 * A static binary for the test guest.
 */

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
send_all(int s, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(s, p, n, 0);

		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	static char buf[1 << 16];
	char answer[256];
	unsigned long long total = 0;
	ssize_t n;
	double t0, t1;
	int s, fd;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) {
		fprintf(stderr, "usage: tcp_send IPV4 PORT FILE\n");
		return 2;
	}
	a.sin_port = htons(atoi(argv[2]));
	fd = open(argv[3], O_RDONLY);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("tcp_send");
		return 1;
	}
	t0 = now();
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (send_all(s, buf, n) < 0) {
			perror("send");
			return 1;
		}
		total += n;
	}
	shutdown(s, SHUT_WR);
	n = recv(s, answer, sizeof(answer) - 1, MSG_WAITALL);
	t1 = now();
	answer[n > 0 ? n : 0] = '\0';
	printf("sent %llu bytes in %.2f s (%.1f Mbit/s); receiver: %s", total,
	       t1 - t0, total * 8 / (t1 - t0) / 1e6, n > 0 ? answer : "nothing\n");
	return n > 0 ? 0 : 1;
}
