/*
 * The session master: owns the pty and the program on it, and serves clients on a unix socket.
 *
 * Its one rule is that no direction ever waits on another. Keystrokes go into a queue that is
 * written to the pty only as fast as the program reads them, and the pty's output is read
 * whenever the attached client can take it. (dtach writes keystrokes with a blocking write:
 * a paste larger than the pty's buffers, into a program that echoes, leaves the master stuck
 * in that write while the program is stuck writing its echo, for good.)
 *
 * Ctrl-C (the terminal's interrupt character, when the program has signals on) throws away the
 * keystrokes still queued, as the kernel does with its own input buffer, and goes first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "master.h"
#include "proto.h"
#include "queue.h"

struct client {
	int fd;
	struct queue rx; /* frames as they arrive */
	struct queue tx; /* output on its way to the client */
	struct client *next;
};

static struct {
	int pty;
	pid_t child;
	int listen_fd;
	const char *path;
	struct queue input;
	struct client *clients;
	struct client *attached;
	unsigned long long dropped;   /* keystrokes dropped because the queue was full */
	unsigned long long discarded; /* keystrokes thrown away by Ctrl-C */
	long long next_notice_ms;
} M;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	mode_t old = umask(077);
	int rc = bind(s, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc < 0 || listen(s, 16) < 0) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	return s;
}

static void set_winsize(unsigned rows, unsigned cols)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	if (rows > 0 && cols > 0)
		ioctl(M.pty, TIOCSWINSZ, &ws);
}

static void close_client(struct client *c)
{
	struct client **pp = &M.clients;
	while (*pp && *pp != c)
		pp = &(*pp)->next;
	if (*pp)
		*pp = c->next;
	if (M.attached == c)
		M.attached = NULL;
	close(c->fd);
	queue_free(&c->rx);
	queue_free(&c->tx);
	free(c);
}

/* Output for the attached client; with nobody attached it is dropped, as the program must
 * not stop just because nobody is watching. */
static void deliver(const void *p, size_t n)
{
	if (M.attached)
		queue_push(&M.attached->tx, p, n);
}

/* Tells the lab runner (not the program) what happened to the learner's keystrokes. Sent at
 * most twice a second, each one counting everything since the one before. */
static void send_notices(void)
{
	if (!M.attached || (!M.dropped && !M.discarded) || now_ms() < M.next_notice_ms)
		return;
	char msg[128];
	int n = snprintf(msg, sizeof msg, NOTICE_OSC "dropped=%llu;discarded=%llu" NOTICE_END,
			 M.dropped, M.discarded);
	if (n <= 0 || queue_room(&M.attached->tx) < (size_t)n)
		return;
	queue_push(&M.attached->tx, msg, (size_t)n);
	M.dropped = M.discarded = 0;
	M.next_notice_ms = now_ms() + 500;
}

/* Empties the line discipline's own input buffer, which only the slave side can flush. */
static void flush_program_input(void)
{
	char name[64];
	if (ptsname_r(M.pty, name, sizeof name) != 0)
		return;
	int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0)
		return;
	tcflush(s, TCIFLUSH);
	close(s);
}

static void keystrokes(const unsigned char *p, size_t n)
{
	struct termios t;
	if (tcgetattr(M.pty, &t) == 0 && (t.c_lflag & ISIG) && t.c_cc[VINTR] != _POSIX_VDISABLE) {
		const unsigned char *intr = memrchr(p, t.c_cc[VINTR], n);
		if (intr) {
			M.discarded += M.input.len;
			queue_clear(&M.input);
			if (!(t.c_lflag & NOFLSH))
				flush_program_input();
			n -= (size_t)(intr - p);
			p = intr;
		}
	}
	size_t taken = queue_push(&M.input, p, n);
	M.dropped += n - taken;
}

static void attach(struct client *c, unsigned rows, unsigned cols)
{
	/* One client shows the terminal at a time; one left behind (a restarted runner's, a
	 * restarted engine's) would otherwise hold the output back. */
	if (M.attached && M.attached != c)
		close_client(M.attached);
	M.attached = c;
	set_winsize(rows, cols);
	/* Redraw, even when the size did not change. */
	pid_t pg = tcgetpgrp(M.pty);
	if (pg > 0)
		killpg(pg, SIGWINCH);
}

/* Handles every whole frame a client has sent; returns -1 if the client broke the protocol. */
static int frames(struct client *c)
{
	while (c->rx.len >= FRAME_HEADER) {
		const unsigned char *f = queue_peek(&c->rx);
		unsigned len = get_u16(f + 1);
		if (len > FRAME_PAYLOAD_MAX)
			return -1;
		if (c->rx.len < FRAME_HEADER + len)
			return 0;
		const unsigned char *p = f + FRAME_HEADER;
		switch (f[0]) {
		case FRAME_DATA:
			if (c == M.attached)
				keystrokes(p, len);
			break;
		case FRAME_ATTACH:
			if (len != 4)
				return -1;
			attach(c, get_u16(p), get_u16(p + 2));
			break;
		case FRAME_WINSIZE:
			if (len != 4)
				return -1;
			if (c == M.attached)
				set_winsize(get_u16(p), get_u16(p + 2));
			break;
		default:
			return -1;
		}
		queue_drop(&c->rx, FRAME_HEADER + len);
	}
	return 0;
}

static void client_readable(struct client *c)
{
	unsigned char buf[FRAME_HEADER + FRAME_PAYLOAD_MAX];
	size_t room = queue_room(&c->rx);
	ssize_t n = read(c->fd, buf, room < sizeof buf ? room : sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close_client(c);
		return;
	}
	queue_push(&c->rx, buf, (size_t)n);
	if (frames(c) < 0)
		close_client(c);
}

static void accept_client(void)
{
	int fd = accept4(M.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	struct client *c = calloc(1, sizeof *c);
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	queue_init(&c->rx, FRAME_HEADER + FRAME_PAYLOAD_MAX);
	queue_init(&c->tx, OUTPUT_QUEUE_MAX + 256);
	c->next = M.clients;
	M.clients = c;
}

/* The program and everything else holding the pty are gone: hand over the last output, end. */
static void finish(void)
{
	long long until = now_ms() + 500;
	while (M.attached && M.attached->tx.len > 0 && now_ms() < until) {
		struct pollfd p = {.fd = M.attached->fd, .events = POLLOUT};
		if (poll(&p, 1, 50) > 0 && queue_flush_to(&M.attached->tx, M.attached->fd) < 0)
			break;
	}
	unlink(M.path);
	int status = 0;
	if (waitpid(M.child, &status, 0) == M.child && WIFEXITED(status))
		exit(WEXITSTATUS(status));
	exit(1);
}

static void pty_readable(void)
{
	unsigned char buf[READ_CHUNK];
	ssize_t n = read(M.pty, buf, sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0)
		finish();
	deliver(buf, (size_t)n);
}

static void loop(void)
{
	enum { MAX_FDS = 64 };
	struct pollfd fds[MAX_FDS];
	struct client *who[MAX_FDS];
	for (;;) {
		send_notices();
		int nfds = 0;
		fds[nfds++] = (struct pollfd){.fd = M.listen_fd, .events = POLLIN};
		int output_room = !M.attached || queue_room(&M.attached->tx) >= READ_CHUNK + 256;
		fds[nfds++] = (struct pollfd){
			.fd = M.pty,
			.events = (short)((output_room ? POLLIN : 0) | (M.input.len ? POLLOUT : 0)),
		};
		for (struct client *c = M.clients; c && nfds < MAX_FDS; c = c->next) {
			who[nfds] = c;
			fds[nfds++] = (struct pollfd){
				.fd = c->fd,
				.events = (short)(POLLIN | (c->tx.len ? POLLOUT : 0)),
			};
		}
		int timeout = -1;
		if (M.attached && (M.dropped || M.discarded)) {
			long long wait = M.next_notice_ms - now_ms();
			timeout = wait < 0 ? 0 : (int)wait;
		}
		if (poll(fds, (nfds_t)nfds, timeout) < 0) {
			if (errno == EINTR)
				continue;
			exit(1);
		}
		if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
			pty_readable();
		if ((fds[1].revents & POLLOUT) && queue_flush_to(&M.input, M.pty) < 0)
			queue_clear(&M.input);
		/* Clients last: handling one may close it (or another one). */
		for (int i = 2; i < nfds; i++) {
			struct client *c = who[i];
			int alive = 0;
			for (struct client *x = M.clients; x; x = x->next)
				alive |= x == c;
			if (!alive)
				continue;
			if ((fds[i].revents & POLLOUT) && queue_flush_to(&c->tx, c->fd) < 0) {
				close_client(c);
				continue;
			}
			if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
				client_readable(c);
		}
		if (fds[0].revents & POLLIN)
			accept_client();
	}
}

static void start_program(char *const argv[])
{
	M.pty = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (M.pty < 0 || grantpt(M.pty) < 0 || unlockpt(M.pty) < 0) {
		perror("slipway-tty: pty");
		exit(1);
	}
	char name[64];
	if (ptsname_r(M.pty, name, sizeof name) != 0)
		exit(1);
	/* Opened here, before the fork, so the pty never looks hung up to the loop. */
	int slave = open(name, O_RDWR | O_NOCTTY);
	if (slave < 0)
		exit(1);
	struct termios t;
	if (tcgetattr(slave, &t) == 0) {
		t.c_iflag |= IUTF8;
		tcsetattr(slave, TCSANOW, &t);
	}
	M.child = fork();
	if (M.child < 0)
		exit(1);
	if (M.child == 0) {
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		fprintf(stderr, "slipway-tty: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(slave);
	fcntl(M.pty, F_SETFL, fcntl(M.pty, F_GETFL) | O_NONBLOCK);
}

int master_main(const char *path, char *const argv[], unsigned rows, unsigned cols, int ready_fd)
{
	M.path = path;
	queue_init(&M.input, INPUT_QUEUE_MAX);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	M.listen_fd = listen_on(path);
	if (M.listen_fd < 0)
		return errno == EADDRINUSE ? 2 : 1;
	start_program(argv);
	set_winsize(rows ? rows : 24, cols ? cols : 80);
	if (ready_fd >= 0) {
		(void)!write(ready_fd, "1", 1);
		close(ready_fd);
	}
	loop();
	return 0;
}
