/*
 * securebase base layer: status codes, errors that say where and what went
 * wrong, and atomic file output. Every other layer builds on these.
 */
#ifndef SECUREBASE_BASE_H
#define SECUREBASE_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every function that can fail returns one of these; SB_OK is zero. */
typedef enum sb_status {
    SB_OK = 0,
    SB_ERR_NOMEM,   /* an allocation failed */
    SB_ERR_IO,      /* a file could not be opened, read or written */
    SB_ERR_PARSE,   /* input is not well formed (YAML, CSV, number) */
    SB_ERR_INVALID, /* well formed, but a value is wrong or out of range */
    SB_ERR_NOTFOUND,/* a named thing (scenario, instrument, person) is unknown */
    SB_ERR_DB,      /* the embedded database refused an operation */
    SB_ERR_STATE    /* an operation is not allowed in the current state */
} sb_status;

#define SB_ERROR_MSG_MAX 768
#define SB_ERROR_FILE_MAX 512

/*
 * What went wrong, and where. `file` is empty when the error is not tied to a
 * file; `line`/`column` are 1-based and 0 when unknown. The message is a full
 * sentence naming the field and the offending value; sb_error_format() adds
 * the location in the usual file:line:column: form.
 */
typedef struct sb_error {
    sb_status status;
    char file[SB_ERROR_FILE_MAX];
    unsigned long line;
    unsigned long column;
    char message[SB_ERROR_MSG_MAX];
} sb_error;

/* Resets `err` to "no error". Safe on NULL. */
void sb_error_clear(sb_error *err);

/*
 * Records an error and returns `status`, so callers can write
 *   return sb_error_set(err, SB_ERR_INVALID, path, line, col, "...", ...);
 * `err` may be NULL (the status is still returned); `file` may be NULL.
 * No argument may point into `err` itself (it is written in place).
 */
sb_status sb_error_set(sb_error *err, sb_status status, const char *file,
                       unsigned long line, unsigned long column,
                       const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* The same with a va_list, for functions that locate an error their own
 * way and pass their arguments on. */
sb_status sb_error_setv(sb_error *err, sb_status status, const char *file,
                        unsigned long line, unsigned long column,
                        const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 0)))
#endif
    ;

/* Puts a prefix ("while loading X: ") before an existing message. */
void sb_error_prefix(sb_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Writes "file:line:column: message" (parts that are unknown are left out). */
void sb_error_format(const sb_error *err, char *buf, size_t size);

/* A short constant name for a status ("invalid value", "out of memory", ...). */
const char *sb_status_name(sb_status status);

/*
 * Atomic file output: data goes to a temporary file beside the target and
 * only replaces it on sb_atomic_commit(), after fsync, with rename(). A
 * reader sees either the old file or the complete new one, never half.
 */
typedef struct sb_atomic_file sb_atomic_file;

/* Opens a temporary file for `path` (mode 0644); free with
 * sb_atomic_commit or _abort. Refuses (SB_ERR_INVALID) a `path` that
 * reaches an SQLite database or the -wal, -shm or -journal file beside one:
 * results are never written over a journal. One write of a target at a
 * time per process. */
sb_status sb_atomic_open(const char *path, sb_atomic_file **out, sb_error *err);
/* The same with the file's mode given: 0600 for private data is set before
 * the file is handed out, so no other user can ever open it. */
sb_status sb_atomic_open_mode(const char *path, int mode, sb_atomic_file **out,
                              sb_error *err);
/* The stream to write to; owned by the atomic file. */
FILE *sb_atomic_stream(sb_atomic_file *af);
/* What sb_atomic_open checks before it creates anything: refuses a `path`
 * that reaches an SQLite database or the -wal, -shm or -journal file beside
 * one. For a writer of several files to check them all before the first. */
sb_status sb_atomic_check(const char *path, sb_error *err);
/* Flushes, syncs and renames into place; frees `af` whatever happens. */
sb_status sb_atomic_commit(sb_atomic_file *af, sb_error *err);
/* Removes the temporary file and frees `af`. Safe on NULL. */
void sb_atomic_abort(sb_atomic_file *af);

/*
 * The temporary file beside `target` that an atomic write by process `pid`
 * uses: "<target>.securebase-<pid>.tmp" (a backup's may have -journal, -wal
 * or -shm beside it). Known in advance, so that a program can remove its
 * own when interrupted (a signal handler cannot ask), and a later write in
 * that directory removes those whose process is gone. Returns the length,
 * or -1 when it does not fit in `size`.
 */
int sb_atomic_temp_path(const char *target, long pid, char *buf, size_t size);

/* Writes a whole buffer to `path` atomically. */
sb_status sb_write_file_atomic(const char *path, const void *data, size_t size,
                               sb_error *err);

/* Creates a directory and its parents (mode 0755 unless given). */
sb_status sb_mkdir_p(const char *path, int mode, sb_error *err);

/* Reads a whole file into a NUL-terminated buffer the caller frees. */
sb_status sb_read_file(const char *path, char **data, size_t *size,
                       sb_error *err);
/* The same, refusing (SB_ERR_INVALID, naming the limit) a file of more
 * than `max` bytes without reading past max + 1 of them. */
sb_status sb_read_file_max(const char *path, size_t max, char **data,
                           size_t *size, sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
