/* runtime/trace.c — the timers of `dfc build --instrument`: a buffer of
 * events in memory, written as a Chrome trace (JSON) that chrome://tracing,
 * Perfetto and `dfc prof` read.
 *
 * The buffer is the runtime's one mutable global (see dfcrt.h): a process
 * has one per copy of this library, each guarded by its mutex. An event is
 * 32 bytes (a pointer to the static site of its region, start, duration,
 * thread id): recording one takes two clock reads and an append under the
 * mutex, with amortized growth of the array. The thread id is read once
 * per thread (a thread-local cache of gettid()).
 *
 * The file, one event per line:
 *     {"otherData": {"dfc_process": "PID-START"}, "displayTimeUnit": "ms", "traceEvents": [
 *     {"name": "map_L7", "cat": "map", "ph": "X", "ts": 1.000, "dur": 2.500, ...},
 *     ...
 *     ]}
 * The first line names the process (its pid and start time, so a reused
 * pid is another process). A write locks the file (flock), and appends
 * when the file is a trace of this same process ending as written here
 * (another copy of the library, or an earlier flush, wrote it), else
 * replaces it. Timestamps are microseconds on CLOCK_MONOTONIC, the same
 * clock in every copy, so events of different modules line up.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "dfcrt.h"

typedef struct TraceEvent {
	const DfcrtTraceSite *site;
	int64_t ts, dur;         /* nanoseconds */
	int32_t tid;
} TraceEvent;

static struct {
	pthread_mutex_t lock;
	bool ready;              /* path read, atexit handler registered */
	char *path;              /* malloc'ed */
	TraceEvent *ev;          /* len events, room for cap */
	size_t len, cap;
} trace = { PTHREAD_MUTEX_INITIALIZER, false, NULL, NULL, 0, 0 };

static _Thread_local int32_t cached_tid;

static int write_locked(char *err, size_t errlen);
static int write_file(char *err, size_t errlen);

int64_t
dfcrt_trace_begin(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
at_exit(void)
{
	pthread_mutex_lock(&trace.lock);
	if (trace.len > 0)
		write_locked(NULL, 0);
	pthread_mutex_unlock(&trace.lock);
}

/* Reads DFC_TRACE and registers the exit handler, once (lock held). A
 * relative path is made absolute: the program may change directory
 * before the file is written. */
static void
init_locked(void)
{
	if (trace.ready)
		return;
	const char *p = getenv("DFC_TRACE");
	char cwd[4096];
	p = p && *p ? p : "dfc_trace.json";
	bool rel = p[0] != '/' && getcwd(cwd, sizeof cwd);
	size_t n = (rel ? strlen(cwd) + 1 : 0) + strlen(p) + 1;
	trace.path = malloc(n);
	if (!trace.path) {
		fputs("dfcrt: out of memory\n", stderr);
		abort();
	}
	snprintf(trace.path, n, "%s%s%s", rel ? cwd : "", rel ? "/" : "", p);
	atexit(at_exit);
	trace.ready = true;
}

/* Makes room for one more event (lock held); aborts when memory runs out. */
static void
grow_locked(void)
{
	size_t cap = trace.cap ? 2 * trace.cap : 4096;
	TraceEvent *ev = realloc(trace.ev, cap * sizeof *ev);
	if (!ev) {
		fprintf(stderr, "dfcrt: out of memory recording trace events (%zu held)\n",
			trace.len);
		fflush(stderr);
		abort();
	}
	trace.ev = ev;
	trace.cap = cap;
}

void
dfcrt_trace_end(const DfcrtTraceSite *site, int64_t t0)
{
	int64_t t1 = dfcrt_trace_begin();
	if (!cached_tid)
		cached_tid = (int32_t)syscall(SYS_gettid);
	pthread_mutex_lock(&trace.lock);
	init_locked();
	if (trace.len == trace.cap)
		grow_locked();
	trace.ev[trace.len++] = (TraceEvent){ site, t0, t1 - t0, cached_tid };
	if (trace.len >= DFCRT_TRACE_CHUNK)
		write_locked(NULL, 0);
	pthread_mutex_unlock(&trace.lock);
}

int
dfcrt_trace_flush(char *err, size_t errlen)
{
	pthread_mutex_lock(&trace.lock);
	init_locked();
	int rc = write_locked(err, errlen);
	pthread_mutex_unlock(&trace.lock);
	return rc;
}

const char *
dfcrt_trace_path(void)
{
	pthread_mutex_lock(&trace.lock);
	init_locked();
	const char *p = trace.path;
	pthread_mutex_unlock(&trace.lock);
	return p;
}

/* ---- the file ---- */

/* Puts s as a JSON string: quotes, backslashes and control characters
 * escaped, bytes that are not UTF-8 replaced by '?'. */
static void
put_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	fputc('"', f);
	while (*p) {
		int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
			: (*p & 0xf8) == 0xf0 ? 4 : 0;
		for (int k = 1; k < n; k++)
			if ((p[k] & 0xc0) != 0x80)
				n = 0;
		if (n == 0 || (n == 2 && *p < 0xc2)) {
			fputc('?', f);
			p++;
		} else if (n > 1) {
			fwrite(p, 1, (size_t)n, f);
			p += n;
		} else if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else {
			fputc(*p++, f);
		}
	}
	fputc('"', f);
}

/* Nanoseconds as microseconds with three decimals. */
static void
put_us(FILE *f, int64_t ns)
{
	if (ns < 0) {
		fputc('-', f);
		ns = -ns;
	}
	fprintf(f, "%lld.%03lld", (long long)(ns / 1000), (long long)(ns % 1000));
}

static void
put_event(FILE *f, const TraceEvent *e, int pid)
{
	const DfcrtTraceSite *s = e->site;
	fputs("{\"name\": ", f);
	put_json_string(f, s->name);
	fputs(", \"cat\": ", f);
	put_json_string(f, s->cat);
	fputs(", \"ph\": \"X\", \"ts\": ", f);
	put_us(f, e->ts);
	fputs(", \"dur\": ", f);
	put_us(f, e->dur);
	fprintf(f, ", \"pid\": %d, \"tid\": %d, \"args\": {\"kernel\": ", pid, (int)e->tid);
	put_json_string(f, s->kernel);
	fputs(", \"file\": ", f);
	put_json_string(f, s->file);
	fprintf(f, ", \"line\": %d}}", s->line);
}

/* The first line of this process's trace files. The start time (in clock
 * ticks since boot, /proc/self/stat field 22) tells a reused pid apart. */
static void
header_text(char *buf, size_t len)
{
	unsigned long long start = 0;
	char stat[1024];
	FILE *f = fopen("/proc/self/stat", "r");
	if (f) {
		size_t n = fread(stat, 1, sizeof stat - 1, f);
		stat[n] = '\0';
		fclose(f);
		const char *p = strrchr(stat, ')');
		for (int field = 2; p && *p && field < 22; p++)
			field += *p == ' ';
		if (p)
			start = strtoull(p, NULL, 10);
	}
	snprintf(buf, len, "{\"otherData\": {\"dfc_process\": \"%d-%llu\"}, "
		 "\"displayTimeUnit\": \"ms\", \"traceEvents\": [", (int)getpid(), start);
}

static const char trailer[] = "\n]}\n";

/* Where to append to the open file f: the offset of its trailer, with
 * *empty telling whether it holds no event yet; -1 when f is not a trace
 * of this process as written here (it is then rewritten). */
static long
append_point(FILE *f, const char *header, bool *empty)
{
	size_t hlen = strlen(header);
	char buf[1200], tail[6] = { 0 };
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || (size_t)st.st_size < hlen + 4 || hlen >= sizeof buf)
		return -1;
	if (fread(buf, 1, hlen, f) != hlen || memcmp(buf, header, hlen) != 0)
		return -1;
	if (fseek(f, (long)st.st_size - 5, SEEK_SET) != 0 || fread(tail, 1, 5, f) != 5)
		return -1;
	*empty = memcmp(tail, "[\n]}\n", 5) == 0;
	if (!*empty && memcmp(tail, "}\n]}\n", 5) != 0)
		return -1;
	return (long)st.st_size - 4;
}

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (err && errlen > 0) {
		snprintf(err, errlen, "%s", msg);
	} else {
		fprintf(stderr, "dfcrt: %s\n", msg);
		fflush(stderr);
	}
	return -1;
}

/* Writes the events to f (locked, positioned) after the header or the
 * last event, then the trailer. */
static void
put_events(FILE *f, bool empty)
{
	int pid = (int)getpid();
	for (size_t i = 0; i < trace.len; i++) {
		fputs(empty && i == 0 ? "\n" : ",\n", f);
		put_event(f, &trace.ev[i], pid);
	}
	fputs(trailer, f);
}

/* Writes the buffer to the trace file and empties it (lock held). Events
 * that cannot be written are dropped: the path does not change, so a
 * retry would fail again, and memory stays bounded. */
static int
write_locked(char *err, size_t errlen)
{
	int rc = write_file(err, errlen);
	trace.len = 0;
	return rc;
}

/* Appends the buffer to the file of this process, or replaces the file
 * (see the top of this file); 0, or -1 with a message. */
static int
write_file(char *err, size_t errlen)
{
	int fd = open(trace.path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return fail(err, errlen, "cannot write the trace file '%s': %s", trace.path,
			    strerror(errno));
	FILE *f = fdopen(fd, "r+");
	if (!f) {
		int e = errno;
		close(fd);
		return fail(err, errlen, "cannot write the trace file '%s': %s", trace.path,
			    strerror(e));
	}
	char header[1024];
	header_text(header, sizeof header);
	bool empty = true;
	flock(fd, LOCK_EX);
	long at = append_point(f, header, &empty);
	bool ok = true;
	if (at < 0) {
		empty = true;
		ok = ftruncate(fd, 0) == 0 && fseek(f, 0, SEEK_SET) == 0 && fputs(header, f) >= 0;
	} else {
		ok = fseek(f, at, SEEK_SET) == 0;
	}
	if (ok)
		put_events(f, empty);
	ok = ok && fflush(f) == 0 && !ferror(f);
	int e = errno;
	if (fclose(f) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (!ok)
		return fail(err, errlen, "cannot write the trace file '%s': %s", trace.path,
			    strerror(e));
	return 0;
}
