/* compiler/strbuf.c — growable strings in the arena, interned strings,
 * and whole-file I/O.
 *
 * A StrBuf doubles its buffer when full; old buffers stay in the arena
 * (they are freed with it), which keeps the code free of ownership rules.
 */
#include <errno.h>
#include <string.h>

#include "compiler.h"

void
sb_init(StrBuf *sb, Arena *a)
{
	sb->arena = a;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

static void
reserve(StrBuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	size_t nc = sb->cap ? sb->cap : 256;
	while (nc < sb->len + extra + 1)
		nc *= 2;
	sb->buf = arena_realloc(sb->arena, sb->buf, sb->len + (sb->buf ? 1 : 0), nc);
	sb->cap = nc;
}

void
sb_puts(StrBuf *sb, const char *s)
{
	size_t n = strlen(s);
	reserve(sb, n);
	memcpy(sb->buf + sb->len, s, n + 1);
	sb->len += n;
}

void
sb_putc(StrBuf *sb, char c)
{
	reserve(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void
sb_vprintf(StrBuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		ICE("bad format string '%s'", fmt);
	reserve(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void
sb_printf(StrBuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

const char *
sb_str(StrBuf *sb)
{
	return sb->buf ? sb->buf : "";
}

/* FNV-1a: short, and spreads the ids' texts well enough for a table kept
 * at most half full. */
static unsigned
str_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
strids_grow(Arena *a, StrIds *t)
{
	StrIds n = { .cap = t->cap ? 2 * t->cap : 64, .len = t->len };
	n.key = arena_alloc(a, sizeof(char *) * (size_t)n.cap);
	n.id = arena_alloc(a, sizeof(int) * (size_t)n.cap);
	for (int i = 0; i < t->cap; i++) {
		if (!t->key[i])
			continue;
		unsigned j = str_hash(t->key[i]) & (unsigned)(n.cap - 1);
		while (n.key[j])
			j = (j + 1) & (unsigned)(n.cap - 1);
		n.key[j] = t->key[i];
		n.id[j] = t->id[i];
	}
	*t = n;
}

int
strids_get(Arena *a, StrIds *t, const char *s, bool *fresh)
{
	if (2 * (t->len + 1) > t->cap)
		strids_grow(a, t);
	unsigned j = str_hash(s) & (unsigned)(t->cap - 1);
	while (t->key[j] && strcmp(t->key[j], s) != 0)
		j = (j + 1) & (unsigned)(t->cap - 1);
	if (fresh)
		*fresh = !t->key[j];
	if (!t->key[j]) {
		t->key[j] = arena_strdup(a, s);
		t->id[j] = t->len++;
	}
	return t->id[j];
}

char *
file_read(Arena *a, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	StrBuf sb;
	sb_init(&sb, a);
	char chunk[65536];
	size_t n;
	errno = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		reserve(&sb, n);
		memcpy(sb.buf + sb.len, chunk, n);
		sb.len += n;
		sb.buf[sb.len] = '\0';
	}
	int err = ferror(f) ? (errno ? errno : EIO) : 0;  /* EISDIR for a directory */
	fclose(f);
	if (err) {
		errno = err;
		return NULL;
	}
	if (len)
		*len = sb.len;
	if (!sb.buf)
		return arena_strdup(a, "");
	return sb.buf;
}

bool
file_write(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	size_t n = fwrite(text, 1, len, f);
	int err = fclose(f);
	return n == len && err == 0;
}
