/*
 * The attaching client: relays between its own terminal (a `docker exec -t`) and the session.
 * Like the master it never lets one direction wait on the other: keystrokes keep flowing to
 * the master while output is held back by a slow reader, and the other way round.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "client.h"
#include "proto.h"
#include "queue.h"

static struct termios saved;
static int have_saved;
static int winch_pipe[2] = {-1, -1};

static void restore(void)
{
	if (have_saved)
		tcsetattr(0, TCSADRAIN, &saved);
}

static void on_winch(int sig)
{
	(void)sig;
	int e = errno;
	(void)!write(winch_pipe[1], "w", 1);
	errno = e;
}

static void on_exit_signal(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

int client_connect(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&sun, sizeof sun) < 0) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	return s;
}

void terminal_size(unsigned *rows, unsigned *cols)
{
	struct winsize ws;
	if (ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	} else {
		*rows = 24;
		*cols = 80;
	}
}

static void push_frame(struct queue *q, int type, const void *p, unsigned len)
{
	unsigned char h[FRAME_HEADER] = {(unsigned char)type};
	put_u16(h + 1, len);
	queue_push(q, h, sizeof h);
	queue_push(q, p, len);
}

static void push_size(struct queue *q, int type)
{
	unsigned rows, cols;
	unsigned char p[4];
	terminal_size(&rows, &cols);
	put_u16(p, rows);
	put_u16(p + 2, cols);
	push_frame(q, type, p, sizeof p);
}

static void nonblocking(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int client_main(int sock)
{
	if (isatty(0) && tcgetattr(0, &saved) == 0) {
		have_saved = 1;
		atexit(restore);
		struct termios raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSADRAIN, &raw);
	}
	if (pipe2(winch_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGWINCH, on_winch);
	signal(SIGHUP, on_exit_signal);
	signal(SIGTERM, on_exit_signal);
	signal(SIGINT, on_exit_signal);
	nonblocking(0);
	nonblocking(1);
	nonblocking(sock);

	struct queue up, down;
	queue_init(&up, 4 * (FRAME_HEADER + FRAME_PAYLOAD_MAX));
	queue_init(&down, OUTPUT_QUEUE_MAX);
	push_size(&up, FRAME_ATTACH);
	int stdin_open = 1;

	for (;;) {
		struct pollfd fds[4] = {
			{.fd = stdin_open && queue_room(&up) >= FRAME_HEADER + FRAME_PAYLOAD_MAX ? 0 : -1,
			 .events = POLLIN},
			{.fd = sock,
			 .events = (short)((queue_room(&down) >= READ_CHUNK ? POLLIN : 0) |
					   (up.len ? POLLOUT : 0))},
			{.fd = down.len ? 1 : -1, .events = POLLOUT},
			{.fd = winch_pipe[0], .events = POLLIN},
		};
		if (poll(fds, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		unsigned char buf[READ_CHUNK];
		if (fds[3].revents & POLLIN) {
			while (read(winch_pipe[0], buf, sizeof buf) > 0) {
			}
			push_size(&up, FRAME_WINSIZE);
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(0, buf, FRAME_PAYLOAD_MAX);
			if (n > 0)
				push_frame(&up, FRAME_DATA, buf, (unsigned)n);
			else if (n == 0 || (errno != EAGAIN && errno != EINTR))
				stdin_open = 0; /* nobody types any more; keep showing output */
		}
		if ((fds[1].revents & POLLOUT) && queue_flush_to(&up, sock) < 0)
			return 1;
		if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(sock, buf, sizeof buf);
			if (n > 0) {
				queue_push(&down, buf, (size_t)n);
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				/* The session ended, or another client took it: hand over what is left. */
				fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK);
				queue_flush_to(&down, 1);
				return 0;
			}
		}
		if ((fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) && queue_flush_to(&down, 1) < 0)
			return 1;
	}
}
