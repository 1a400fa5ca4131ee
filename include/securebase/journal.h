/*
 * securebase journal layer: a person's record of becoming more secure, kept
 * in one local SQLite file. People, their relationships, therapy sessions,
 * questionnaire administrations, reflections on triggers and practice of new
 * responses. This layer is the only code that speaks SQL; everything above
 * it sees typed records.
 *
 * The records themselves are plain structs (securebase/records.h). A table
 * of fields per kind (sb_journal_fields) describes the columns once, and
 * drives the database, validation, the command line's options and CSV/JSON
 * files.
 */
#ifndef SECUREBASE_JOURNAL_H
#define SECUREBASE_JOURNAL_H

#include <securebase/base.h>
#include <securebase/records.h>

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- kinds of record ---------------------------------------------------- */

/* Enough for any field formatted as text (sb_journal_field_format). */
#define SB_JOURNAL_VALUE_MAX 2048

typedef enum sb_journal_kind {
    SB_KIND_PERSON = 0,
    SB_KIND_RELATIONSHIP,
    SB_KIND_SESSION,
    SB_KIND_ASSESSMENT,
    SB_KIND_REFLECTION,
    SB_KIND_PRACTICE,
    SB_KIND_COUNT
} sb_journal_kind;

/* ---- fields: one description of every column ----------------------------- */

typedef enum sb_journal_field_type {
    SB_JFIELD_ID,     /* sb_id, the record's own id; 0 = not yet stored */
    SB_JFIELD_PERSON, /* sb_id referring to a person who must exist */
    SB_JFIELD_TEXT,   /* char[size], UTF-8, no control characters but tab/newline */
    SB_JFIELD_DATE,   /* char[SB_DATE_SIZE], a real YYYY-MM-DD date or empty */
    SB_JFIELD_BOOL,   /* int: 1, 0 or SB_UNSET; written yes/no */
    SB_JFIELD_INT,    /* int in [min, max] or SB_UNSET */
    SB_JFIELD_ENUM,   /* int index into names, or SB_UNSET */
    SB_JFIELD_ITEMS,  /* item_count + items[] of an assessment */
    SB_JFIELD_SCORES  /* score_count + scores[]: computed, output only */
} sb_journal_field_type;

typedef struct sb_journal_field {
    const char *name;          /* column, CSV header and JSON key */
    sb_journal_field_type type;
    size_t offset;             /* within the record struct */
    size_t size;               /* TEXT and DATE: buffer size */
    int required;              /* must be given when a record is added */
    int multiline;             /* TEXT: may hold newlines and tabs */
    long min, max;             /* INT: inclusive range */
    long def;                  /* optional BOOL/INT/ENUM: value when not given */
    const char *const *names;  /* ENUM: NULL-terminated names */
    const char *meaning;       /* one line for help texts */
} sb_journal_field;

/* "person", "relationship", "session", "assessment", "reflection", "practice". */
const char *sb_journal_kind_name(sb_journal_kind kind);
/* The plural used in messages and JSON ("people", "sessions", ...). */
const char *sb_journal_kind_plural(sb_journal_kind kind);
/* Looks a kind up by its name; the error lists the kinds. */
sb_status sb_journal_kind_parse(const char *name, sb_journal_kind *out,
                                sb_error *err);
/* sizeof the record struct of `kind`. */
size_t sb_journal_record_size(sb_journal_kind kind);
/* The fields of `kind`, in column order (static storage). */
const sb_journal_field *sb_journal_fields(sb_journal_kind kind, size_t *count);
/* A field by name, or NULL. */
const sb_journal_field *sb_journal_field_find(sb_journal_kind kind,
                                              const char *name);
/* Names of sb_practice_outcome values ("positive", "mixed", "negative"). */
const char *sb_practice_outcome_name(int outcome);

/* Empties a record: id 0, texts empty, integer fields SB_UNSET. */
void sb_journal_record_init(sb_journal_kind kind, void *record);
/*
 * Sets one field of `record` from text, as given on a command line or in a
 * CSV cell: dates YYYY-MM-DD, booleans yes/no (also true/false, 1/0), enums
 * by name, items as numbers separated by spaces with NA for a missing answer.
 * Errors name the field and quote the value. An empty text clears an
 * optional field.
 */
sb_status sb_journal_field_parse(const sb_journal_field *field,
                                 const char *text, void *record, sb_error *err);
/* Writes a field as text in the same syntax (at most SB_JOURNAL_VALUE_MAX). */
void sb_journal_field_format(const sb_journal_field *field, const void *record,
                             char *buf, size_t size);
/*
 * Checks a complete record: required fields given, texts valid UTF-8 within
 * their size, dates real, numbers in range, end not before start, a tried
 * new response described. Does not look at the database.
 */
sb_status sb_journal_record_check(sb_journal_kind kind, const void *record,
                                  sb_error *err);

/* ---- the journal file ---------------------------------------------------- */

/* An open journal: one thread at a time (several processes may share the
 * file; SQLite locks it). */
typedef struct sb_journal sb_journal;

enum {
    SB_JOURNAL_CREATE = 1u << 0,   /* create the file (mode 0600) if missing */
    SB_JOURNAL_READONLY = 1u << 1  /* no writes; fails on an old schema */
};

/* The schema version this library writes (PRAGMA user_version). */
int sb_journal_schema_version(void);

/*
 * Opens (or with SB_JOURNAL_CREATE creates, with missing parent directories
 * made 0700 and the file 0600) a journal, turns on foreign keys, WAL and a
 * busy timeout, and migrates an older schema to the current one in one
 * transaction. ":memory:" opens a private in-memory journal. Free with
 * sb_journal_close.
 */
sb_status sb_journal_open(const char *path, unsigned flags, sb_journal **out,
                          sb_error *err);
/* Closes the journal. Safe on NULL. */
void sb_journal_close(sb_journal *j);
/* The path it was opened with (owned by the journal). */
const char *sb_journal_path(const sb_journal *j);
/* Runs PRAGMA integrity_check and foreign_key_check, and compares what the
 * journal keeps counted (each person's questionnaire series) with a fresh
 * count; SB_OK when all pass. */
sb_status sb_journal_check_integrity(sb_journal *j, sb_error *err);
/* Counts afresh, in one transaction, what the journal keeps counted: a
 * remedy when another program's writes (without the journal's connection
 * settings) left it wrong. */
sb_status sb_journal_repair(sb_journal *j, sb_error *err);
/*
 * A number that changes when another connection (another process, or
 * another handle of this one) has committed to the journal since the last
 * call on this handle (PRAGMA data_version): how a process that keeps what
 * it read learns that it may be out of date.
 */
sb_status sb_journal_data_version(sb_journal *j, int64_t *out, sb_error *err);

/*
 * A transaction around several writes, kept all together or not at all:
 * inside it every write of this layer becomes a savepoint, so one that
 * fails leaves the others. End it with _commit or _rollback.
 */
sb_status sb_journal_transaction(sb_journal *j, sb_error *err);
sb_status sb_journal_transaction_commit(sb_journal *j, sb_error *err);
void sb_journal_transaction_rollback(sb_journal *j);

/* ---- records in the journal ---------------------------------------------- */

/*
 * Adds a record of `kind` (`record` points to that kind's struct), in one
 * transaction, after sb_journal_record_check and a check that the person
 * exists. An id of 0 is assigned and written back; a non-zero id is used as
 * given and must be free. Assessments are scored by the measure layer before
 * they are stored: the instrument must be a built-in one (any letter case;
 * its canonical name is stored), the answers must fit it and its scale, and
 * the computed scores replace whatever `scores` held.
 */
sb_status sb_journal_add(sb_journal *j, sb_journal_kind kind, void *record,
                         sb_error *err);
/* Reads the record with `id` into `record`; SB_ERR_NOTFOUND if none. */
sb_status sb_journal_get(sb_journal *j, sb_journal_kind kind, sb_id id,
                         void *record, sb_error *err);
/* Replaces every field of the stored record with the same id. */
sb_status sb_journal_edit(sb_journal *j, sb_journal_kind kind, void *record,
                          sb_error *err);

enum {
    /* Deleting a person also deletes everything recorded about them. */
    SB_JOURNAL_CASCADE = 1u << 0
};
/*
 * Deletes one record. A person who still has records is only deleted with
 * SB_JOURNAL_CASCADE; otherwise the error says what is left.
 */
sb_status sb_journal_delete(sb_journal *j, sb_journal_kind kind, sb_id id,
                            unsigned flags, sb_error *err);
/*
 * Every record of `kind` (of one person, or all when person is 0), by date
 * then id (people by id). *records is an array of the kind's struct that the
 * caller frees with free(); it is NULL when *count is 0.
 */
sb_status sb_journal_list(sb_journal *j, sb_journal_kind kind, sb_id person,
                          void **records, size_t *count, sb_error *err);
/*
 * Every assessment (of one person, or all when person is 0) with its
 * scores but without its answers (item_count 0), by date then id: what a
 * practice's expected recovery reads. Two scans of the tables rather than
 * two queries per assessment. Freed with free(); NULL when *count is 0.
 */
sb_status sb_journal_list_scored(sb_journal *j, sb_id person,
                                 sb_rec_assessment **out, size_t *count,
                                 sb_error *err);
/* How many records of `kind` (of one person, or all when person is 0). */
sb_status sb_journal_count(sb_journal *j, sb_journal_kind kind, sb_id person,
                           size_t *count, sb_error *err);
/*
 * Loads everything recorded about the person with this id into `out`
 * (each kind in date order); free it with sb_person_records_free, also
 * after a failure. SB_ERR_NOTFOUND if there is no such person.
 */
sb_status sb_journal_load_person(sb_journal *j, sb_id person,
                                 sb_person_records *out, sb_error *err);
/*
 * Finds a person by id or by exact name. Text of ASCII digits only is
 * always an id (names of digits only are refused when stored, so the two
 * never mix); anything else is a name. A journal from before that rule may
 * hold a person named with digits: a reference that could mean two people
 * is refused (SB_ERR_INVALID) rather than guessed.
 */
sb_status sb_journal_find_person(sb_journal *j, const char *id_or_name,
                                 sb_rec_person *out, sb_error *err);
/* 1 if `text` is ASCII digits only: what is read as an id, never a name. */
int sb_journal_name_is_number(const char *text);

/* ---- files in and out ---------------------------------------------------- */

typedef struct sb_import_options {
    int dry_run;              /* check and insert, then roll back */
    size_t progress_every;    /* call progress after this many rows (0 = never) */
    void (*progress)(size_t rows_done, void *ctx); /* inside the transaction */
    void *ctx;
} sb_import_options;

typedef struct sb_import_summary {
    size_t rows;                  /* data rows read */
    size_t added[SB_KIND_COUNT];  /* records added per kind */
} sb_import_summary;

/*
 * Imports a CSV file in one transaction: all its rows or none. The header
 * names the columns: `record` (the kind of each row) and any fields of the
 * kinds (sb_journal_fields); a row leaves the columns of other kinds empty.
 * Errors give the file, the line of the row, the column number, the column's
 * name and the value. `options` and `summary` may be NULL.
 */
sb_status sb_journal_import_csv(sb_journal *j, const char *path,
                                const sb_import_options *options,
                                sb_import_summary *summary, sb_error *err);
/* The same from an open stream (read to its end, not closed); `name` is
 * used in error messages. */
sb_status sb_journal_import_csv_stream(sb_journal *j, FILE *in,
                                       const char *name,
                                       const sb_import_options *options,
                                       sb_import_summary *summary,
                                       sb_error *err);
/* The same from memory; `name` is used in error messages. */
sb_status sb_journal_import_csv_buffer(sb_journal *j, const char *name,
                                       const char *data, size_t size,
                                       const sb_import_options *options,
                                       sb_import_summary *summary,
                                       sb_error *err);

typedef enum sb_export_format {
    SB_EXPORT_CSV = 0, /* the import format: one header, a `record` column */
    SB_EXPORT_JSON     /* {"schema": n, "people": [...], "sessions": [...], ...} */
} sb_export_format;

/* Parses "csv" or "json". */
sb_status sb_export_format_parse(const char *name, sb_export_format *out,
                                 sb_error *err);
/* Writes every record (of one person, or all when person is 0) to `out`. */
sb_status sb_journal_export_stream(sb_journal *j, sb_export_format format,
                                   sb_id person, FILE *out, sb_error *err);
/* The same into a file, atomically. */
sb_status sb_journal_export_file(sb_journal *j, sb_export_format format,
                                 sb_id person, const char *path, sb_error *err);

/*
 * Refuses (SB_ERR_INVALID) an output `path` that is the journal's file or
 * its -wal, -shm or -journal file: the same file by device and inode, links
 * followed, or (for one that does not exist now) the same name. Every
 * writer of this layer checks its output with it; a face that writes what
 * it read from the journal (a report) checks its own.
 */
sb_status sb_journal_guard_output(const sb_journal *j, const char *path,
                                  sb_error *err);

/*
 * Copies the journal with SQLite's online backup to `dest`: into a 0600
 * temporary file beside it, checked, then renamed into place. `dest` may be
 * an older backup, never the journal itself (sb_journal_guard_output).
 */
sb_status sb_journal_backup(sb_journal *j, const char *dest, sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
