/*
 * slipway-tty: the learner's shell on a pty that outlives whoever watches it.
 *
 * A client talks to the session's master over a unix socket in frames:
 *   type (1 byte), payload length (2 bytes, big-endian), payload.
 * The master sends back the terminal's output as plain bytes, plus Slipway notices as
 * private OSC sequences (ESC ] 6974 ; key=value BEL) that the lab runner turns into messages.
 */
#ifndef SLIPWAY_TTY_PROTO_H
#define SLIPWAY_TTY_PROTO_H

#include <stddef.h>
#include <stdint.h>

enum frame_type {
	FRAME_DATA = 1,    /* keystrokes for the program */
	FRAME_ATTACH = 2,  /* rows, cols: this client now shows the terminal (others are let go) */
	FRAME_WINSIZE = 3, /* rows, cols */
};

#define FRAME_HEADER 3
#define FRAME_PAYLOAD_MAX 4096

/* Keystrokes the program has not read yet are kept up to this much; more is dropped, and
 * the learner is told how much. A paste of this size still arrives whole. */
#define INPUT_QUEUE_MAX (1024 * 1024)
/* Output waiting for the attached client; past this the master stops reading the pty, so a
 * client (a page) that does not keep up pauses the program instead of losing its output. */
#define OUTPUT_QUEUE_MAX (256 * 1024)
#define READ_CHUNK 8192

#define NOTICE_OSC "\033]6974;"
#define NOTICE_END "\007"

static inline void put_u16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static inline unsigned get_u16(const unsigned char *p)
{
	return ((unsigned)p[0] << 8) | p[1];
}

#endif
