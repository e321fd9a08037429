#ifndef SLIPWAY_TTY_CLIENT_H
#define SLIPWAY_TTY_CLIENT_H

/* Connects to a session's socket; -1 with errno set when nobody listens there. */
int client_connect(const char *path);
/* The size of the terminal on stdin, or 24x80. */
void terminal_size(unsigned *rows, unsigned *cols);
/* Attaches stdin/stdout to the session on sock until the session ends or lets go of it. */
int client_main(int sock);

#endif
