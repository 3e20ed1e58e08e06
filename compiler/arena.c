/* compiler/arena.c — the bump allocator every compilation allocates from.
 *
 * Memory comes in chunks of at least 64 KiB; a request larger than a chunk
 * gets a chunk of its own. Nothing is freed before arena_free, which
 * releases every chunk at once. Allocations are zeroed and 16-byte aligned.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler.h"

typedef struct Chunk {
	struct Chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char mem[];
} Chunk;

struct Arena {
	Chunk *head;
};

enum { CHUNK_MIN = 64 * 1024 };

Arena *
arena_new(void)
{
	Arena *a = calloc(1, sizeof(*a));
	if (!a)
		ICE("out of memory");
	return a;
}

void
arena_free(Arena *a)
{
	if (!a)
		return;
	for (Chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *
arena_alloc(Arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	Chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		size_t cs = size > CHUNK_MIN ? size : CHUNK_MIN;
		c = malloc(sizeof(Chunk) + cs);
		if (!c)
			ICE("out of memory (%zu bytes)", size);
		c->size = cs;
		c->used = 0;
		/* A big one-off block goes behind the current chunk so the
		 * current chunk's free space stays usable. */
		if (a->head && size > CHUNK_MIN) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->mem + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

void *
arena_realloc(Arena *a, void *old, size_t oldsize, size_t newsize)
{
	void *p = arena_alloc(a, newsize);
	if (old && oldsize)
		memcpy(p, old, oldsize < newsize ? oldsize : newsize);
	return p;
}

char *
arena_strndup(Arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(Arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(Arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		ICE("bad format string '%s'", fmt);
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(Arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
