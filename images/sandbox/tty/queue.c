#include "queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void queue_init(struct queue *q, size_t max)
{
	q->data = NULL;
	q->head = q->len = q->cap = 0;
	q->max = max;
}

void queue_free(struct queue *q)
{
	free(q->data);
	queue_init(q, q->max);
}

size_t queue_room(const struct queue *q)
{
	return q->max - q->len;
}

size_t queue_push(struct queue *q, const void *p, size_t n)
{
	if (n > queue_room(q))
		n = queue_room(q);
	if (n == 0)
		return 0;
	if (q->head + q->len + n > q->cap) {
		/* Move what is left to the front before growing. */
		if (q->head > 0) {
			memmove(q->data, q->data + q->head, q->len);
			q->head = 0;
		}
		if (q->len + n > q->cap) {
			size_t cap = q->cap ? q->cap : 4096;
			while (cap < q->len + n)
				cap *= 2;
			if (cap > q->max)
				cap = q->max;
			unsigned char *d = realloc(q->data, cap);
			if (!d)
				return 0;
			q->data = d;
			q->cap = cap;
		}
	}
	memcpy(q->data + q->head + q->len, p, n);
	q->len += n;
	return n;
}

void queue_drop(struct queue *q, size_t n)
{
	if (n >= q->len) {
		queue_clear(q);
		return;
	}
	q->head += n;
	q->len -= n;
}

void queue_clear(struct queue *q)
{
	q->head = q->len = 0;
	/* A large queue that emptied gives its memory back. */
	if (q->cap > 64 * 1024) {
		free(q->data);
		q->data = NULL;
		q->cap = 0;
	}
}

int queue_flush_to(struct queue *q, int fd)
{
	while (q->len > 0) {
		ssize_t n = write(fd, queue_peek(q), q->len);
		if (n > 0) {
			queue_drop(q, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return -1;
	}
	return 0;
}
