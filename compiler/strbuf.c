/* compiler/strbuf.c — growable strings in the arena, and whole-file I/O.
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
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		reserve(&sb, n);
		memcpy(sb.buf + sb.len, chunk, n);
		sb.len += n;
		sb.buf[sb.len] = '\0';
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		errno = EIO;
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
