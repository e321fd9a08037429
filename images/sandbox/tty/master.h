#ifndef SLIPWAY_TTY_MASTER_H
#define SLIPWAY_TTY_MASTER_H

/* Runs the session: listens on path, starts argv on a new pty, serves until the pty closes
 * (then exits with the program's status). Writes one byte to ready_fd once clients can
 * connect. Returns 2 at once if the socket's path is taken. */
int master_main(const char *path, char *const argv[], unsigned rows, unsigned cols, int ready_fd);

#endif
