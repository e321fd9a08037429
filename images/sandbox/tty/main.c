/*
 * slipway-tty: keeps the learner's shell on a pty of its own, so it outlives the connections
 * that show it (a runner restart only ends a client), like dtach, but never stalls on a large
 * paste and always lets Ctrl-C through (see master.c).
 *
 *   slipway-tty -A SOCKET CMD...   attach to the session, starting it with CMD if none runs
 *   slipway-tty -n SOCKET CMD...   start the session in the background, and return
 *   slipway-tty -a SOCKET          attach to a running session
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "master.h"

static int usage(void)
{
	fputs("usage: slipway-tty -A|-n SOCKET CMD [ARG...]\n"
	      "       slipway-tty -a SOCKET\n",
	      stderr);
	return 2;
}

/* Starts a master in the background; returns 0 when it listens, 2 if one already does. */
static int spawn_master(const char *path, char *const argv[], unsigned rows, unsigned cols)
{
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(ready[0]);
		setsid();
		/* A second fork: the master is nobody's child that anyone waits for. */
		pid_t again = fork();
		if (again != 0)
			_exit(again < 0 ? 1 : 0);
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
		_exit(master_main(path, argv, rows, cols, ready[1]));
	}
	close(ready[1]);
	waitpid(pid, NULL, 0);
	char c;
	ssize_t n = read(ready[0], &c, 1);
	close(ready[0]);
	return n == 1 ? 0 : 2;
}

/* A socket file nobody answers on is left from a session that died with its sandbox. */
static void remove_if_stale(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		int s = client_connect(path);
		if (s >= 0)
			close(s);
		else if (errno == ECONNREFUSED)
			unlink(path);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3 || argv[1][0] != '-' || strlen(argv[1]) != 2)
		return usage();
	char mode = argv[1][1];
	const char *path = argv[2];
	char **cmd = argv + 3;
	if ((mode == 'A' || mode == 'n') && argc < 4)
		return usage();
	if (mode != 'A' && mode != 'n' && mode != 'a')
		return usage();

	unsigned rows, cols;
	terminal_size(&rows, &cols);
	for (int attempt = 0; attempt < 20; attempt++) {
		int s = client_connect(path);
		if (s >= 0) {
			if (mode == 'n') {
				close(s);
				return 0;
			}
			return client_main(s);
		}
		if (mode == 'a') {
			fprintf(stderr, "slipway-tty: no session at %s: %s\n", path, strerror(errno));
			return 1;
		}
		remove_if_stale(path);
		int rc = spawn_master(path, cmd, rows, cols);
		if (rc == 1) {
			fprintf(stderr, "slipway-tty: cannot start a session: %s\n", strerror(errno));
			return 1;
		}
		/* rc 2: another client started it first; connect to that one. */
		if (rc == 0 && mode == 'n')
			return 0;
		usleep(20000);
	}
	fprintf(stderr, "slipway-tty: the session at %s does not answer\n", path);
	return 1;
}
