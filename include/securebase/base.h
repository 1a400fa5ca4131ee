/*
 * securebase base layer: status codes, errors that say where and what went
 * wrong, atomic file output, calendar dates, the CSV reader and writer, and
 * the one sudden-change rule that real questionnaire series and simulated
 * ones are both judged by. Every other layer builds on these.
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

/*
 * Opens a named input for reading ("rb"; the caller fcloses it). Anything
 * but a regular file (a FIFO, a device such as /dev/zero, a directory, a
 * socket) is refused at once with SB_ERR_IO saying what it is: never
 * waited on, never read without end.
 */
sb_status sb_file_open_read(const char *path, FILE **out, sb_error *err);

/* Reads a whole file (a regular file, as sb_file_open_read) into a
 * NUL-terminated buffer the caller frees. */
sb_status sb_read_file(const char *path, char **data, size_t *size,
                       sb_error *err);
/* The same, refusing (SB_ERR_INVALID, naming the limit) a file of more
 * than `max` bytes without reading past max + 1 of them. */
sb_status sb_read_file_max(const char *path, size_t max, char **data,
                           size_t *size, sb_error *err);

/* Calendar dates, as journals and questionnaire exports write them. */

/* "YYYY-MM-DD" plus the terminating NUL. */
#define SB_DATE_SIZE 11
/* Dates lie in these years (inclusive). */
#define SB_DATE_YEAR_MIN 1900
#define SB_DATE_YEAR_MAX 2199

typedef struct sb_date {
    int year;
    int month; /* 1..12 */
    int day;   /* 1..31 */
} sb_date;

/*
 * Parses an ISO 8601 calendar date, exactly "YYYY-MM-DD", and checks that it
 * exists (no 2026-02-30) and lies in SB_DATE_YEAR_MIN..MAX.
 */
sb_status sb_date_parse(const char *text, sb_date *out, sb_error *err);
/* Days since 1970-01-01 (negative before). */
long sb_date_days(sb_date d);
/* The date `days` after 1970-01-01. */
sb_date sb_date_from_days(long days);
/* Writes "YYYY-MM-DD". */
void sb_date_format(sb_date d, char out[SB_DATE_SIZE]);
/* Days in `month` (1..12) of `year` (Gregorian); 0 for another month. */
int sb_days_in_month(int year, int month);
/* "January" for 1 ... "December" for 12 ("" otherwise); the first three
 * letters are the usual abbreviation ("%.3s"). */
const char *sb_month_name(int month);

/*
 * CSV reading (libcsv): records with the line where each starts (LF, CRLF
 * and CR-only line ends all count), for messages that say where a value
 * was. A cell that begins with the single quote the CSV writer puts before
 * formula-like text (see below) is given without it.
 */

/* One record: fields are NUL-terminated and valid during the callback. */
typedef struct sb_csv_record {
    size_t count;
    const char *const *field;
    const size_t *length;
    unsigned long line;   /* physical line where the record starts (1-based) */
    unsigned long number; /* record number, header = 1 */
} sb_csv_record;

/* Return SB_OK to go on; anything else stops the reader with that status. */
typedef sb_status (*sb_csv_record_fn)(void *ctx, const sb_csv_record *rec,
                                      sb_error *err);

typedef struct sb_csv_options {
    const char *origin;      /* file name for messages */
    size_t max_record_bytes; /* 0: 1 MiB */
    size_t max_fields;       /* 0: 4096 */
    int allow_ragged;        /* 0: every record must have the header's width */
    size_t max_field_bytes;  /* 0: max_record_bytes */
} sb_csv_options;

typedef struct sb_csv_reader sb_csv_reader;

/* The caller owns *out (sb_csv_reader_free). `opts` is copied. */
sb_status sb_csv_reader_new(const sb_csv_options *opts, sb_csv_record_fn fn,
                            void *ctx, sb_csv_reader **out, sb_error *err);
/* Feeds bytes in any chunking; records are delivered as they complete. */
sb_status sb_csv_reader_feed(sb_csv_reader *r, const void *data, size_t size,
                             sb_error *err);
/* Ends the input (flushes a last record without a newline). */
sb_status sb_csv_reader_finish(sb_csv_reader *r, sb_error *err);
void sb_csv_reader_free(sb_csv_reader *r);
/* Reads a whole stream through the reader in fixed-size chunks. */
sb_status sb_csv_reader_read_stream(sb_csv_reader *r, FILE *in,
                                    sb_error *err);

/*
 * CSV writing: every CSV that securebase writes goes through this, a row at
 * a time, cells left to right. A cell is quoted only when it must be (it
 * holds a comma, a double quote or a line break, begins or ends with a
 * space or tab, which readers trim, or begins with U+FEFF, which a reader
 * takes for a byte-order mark at the start of a file). Text that a spreadsheet would run as a
 * formula, one beginning with =, +, -, @, a tab or a carriage return, gets
 * a single quote in front (numbers such as -0.5 written as numbers or as
 * text are left alone); text that already begins with single quotes before
 * such a character gets one more. The CSV reader takes exactly one such
 * quote off, so what is written reads back as the same text.
 */
typedef struct sb_csv_writer {
    FILE *out;
    size_t cells;   /* cells written in the current row */
    int failed;     /* a write failed */
} sb_csv_writer;

void sb_csv_writer_init(sb_csv_writer *w, FILE *out);
/* A text cell (guarded and quoted as above). */
void sb_csv_text(sb_csv_writer *w, const char *text);
/* A number with `decimals` places; NaN is an empty cell, infinities are
 * "inf" and "-inf". */
void sb_csv_number(sb_csv_writer *w, double value, int decimals);
void sb_csv_integer(sb_csv_writer *w, long long value);
/* Ends the row with a line feed. */
void sb_csv_end_row(sb_csv_writer *w);
/* 0, or -1 if a write has failed since sb_csv_writer_init. */
int sb_csv_writer_status(const sb_csv_writer *w);

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
