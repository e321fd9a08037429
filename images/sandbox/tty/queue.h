/* A byte queue: append at the tail, consume from the head, bounded by a maximum size. */
#ifndef SLIPWAY_TTY_QUEUE_H
#define SLIPWAY_TTY_QUEUE_H

#include <stddef.h>

struct queue {
	unsigned char *data;
	size_t head; /* first unread byte */
	size_t len;  /* bytes queued from head */
	size_t cap;  /* allocated */
	size_t max;  /* never holds more than this */
};

void queue_init(struct queue *q, size_t max);
void queue_free(struct queue *q);
/* Appends as much of p as fits under the maximum; returns how many bytes were taken. */
size_t queue_push(struct queue *q, const void *p, size_t n);
size_t queue_room(const struct queue *q);
static inline unsigned char *queue_peek(const struct queue *q) { return q->data + q->head; }
void queue_drop(struct queue *q, size_t n);
void queue_clear(struct queue *q);
/* Writes the head of the queue to a non-blocking fd; returns -1 on a real error. */
int queue_flush_to(struct queue *q, int fd);

#endif
