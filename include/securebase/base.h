/*
 * securebase base layer: status codes, errors that say where and what went
 * wrong, atomic file output, and the one sudden-change rule that real
 * questionnaire series and simulated ones are both judged by. Every other
 * layer builds on these.
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
 * sb_atomic_commit or _abort. */
sb_status sb_atomic_open(const char *path, sb_atomic_file **out, sb_error *err);
/* The same with the file's mode given: 0600 for private data is set before
 * the file is handed out, so no other user can ever open it. */
sb_status sb_atomic_open_mode(const char *path, int mode, sb_atomic_file **out,
                              sb_error *err);
/* The stream to write to; owned by the atomic file. */
FILE *sb_atomic_stream(sb_atomic_file *af);
/* Flushes, syncs and renames into place; frees `af` whatever happens. */
sb_status sb_atomic_commit(sb_atomic_file *af, sb_error *err);
/* Removes the temporary file and frees `af`. Safe on NULL. */
void sb_atomic_abort(sb_atomic_file *af);

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

/* ------------------------------------------------------------------ */
/* Sudden gains and losses: the one rule                               */
/* ------------------------------------------------------------------ */

typedef enum sb_sudden_kind { SB_SUDDEN_GAIN, SB_SUDDEN_LOSS } sb_sudden_kind;

typedef struct sb_sudden {
    sb_sudden_kind kind;
    size_t index;       /* the change is from session index to index + 1 */
    double pre, post;   /* the two scores */
    double magnitude;   /* |post - pre| */
    double mean_before, mean_after;
    double t;           /* two-sample t of criterion 3 */
} sb_sudden;

/*
 * Tests the change between two consecutive scores of a series with the
 * criteria of Tang & DeRubeis (1999), adapted as docs/instruments.md says.
 * `window` holds `before` scores up to and including the pre score, then
 * `after` scores from the post score on (2 or 3 each; fewer only at the ends
 * of a series). (1) |change| >= `threshold` (the reliable change);
 * (2) |change| >= 25% of the pre score's distance from `best`, the scale's
 * better end; (3) the means before and after differ by a pooled two-sample
 * t beyond the .05 two-tailed critical value, in the direction of the
 * change. `higher_worse` is 1 when higher scores are worse, 0 when they are
 * better. Returns 1 and fills `out` (index 0: the caller's to set) when the
 * change is a sudden gain or loss, else 0. No value may be NaN.
 */
int sb_sudden_test(const double *window, size_t before, size_t after,
                   double threshold, double best, int higher_worse,
                   sb_sudden *out);

/* Two-tailed .05 critical t for df 1..; df of 0 gives NaN. */
double sb_t_critical_05(unsigned df);

#ifdef __cplusplus
}
#endif
#endif
