/*
 * Records in the database: add, get, edit, delete, list and count any kind,
 * with the SQL built from the field table (fields.c) so that one description
 * of the columns serves every kind. Each public write is one transaction.
 */
#include "journal/records.h"

#include "journal/db.h"
#include "journal/scoring.h"

#include "base/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_MAX 1024

static int is_column(const sb_journal_field *f)
{
    return f->type != SB_JFIELD_ITEMS && f->type != SB_JFIELD_SCORES;
}

/* Appends text to an SQL buffer; the statements here are far below SQL_MAX. */
static void put(char *sql, const char *text)
{
    size_t n = strlen(sql);
    snprintf(sql + n, SQL_MAX - n, "%s", text);
}

/* Column names, quoted, each followed by `suffix`, separated by commas. */
static void columns(sb_journal_kind kind, int with_id, const char *suffix,
                    char *sql)
{
    size_t n;
    const sb_journal_field *f = sb_journal_fields(kind, &n);
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (!is_column(&f[i]) || (!with_id && f[i].type == SB_JFIELD_ID))
            continue;
        if (!first)
            put(sql, ",");
        put(sql, "\"");
        put(sql, f[i].name);
        put(sql, "\"");
        put(sql, suffix);
        first = 0;
    }
}

static size_t column_count(sb_journal_kind kind, int with_id)
{
    size_t n, count = 0;
    const sb_journal_field *f = sb_journal_fields(kind, &n);
    for (size_t i = 0; i < n; i++)
        count += is_column(&f[i]) && (with_id || f[i].type != SB_JFIELD_ID);
    return count;
}

static void select_sql(sb_journal_kind kind, const char *where, char *sql)
{
    snprintf(sql, SQL_MAX, "SELECT ");
    columns(kind, 1, "", sql);
    put(sql, " FROM \"");
    put(sql, sb_journal_kind_name(kind));
    put(sql, "\"");
    put(sql, where);
    put(sql, kind == SB_KIND_PERSON         ? " ORDER BY id"
             : kind == SB_KIND_RELATIONSHIP ? " ORDER BY start, id"
                                            : " ORDER BY date, id");
}

/* ---- one field to and from a statement ----------------------------------- */

static const void *cfield(const void *record, const sb_journal_field *f)
{
    return (const char *)record + f->offset;
}

static void *field(void *record, const sb_journal_field *f)
{
    return (char *)record + f->offset;
}

static int bind_field(sqlite3_stmt *st, int idx, const sb_journal_field *f,
                      const void *record)
{
    switch (f->type) {
    case SB_JFIELD_ID: {
        sb_id v = *(const sb_id *)cfield(record, f);
        return v ? sqlite3_bind_int64(st, idx, v) : sqlite3_bind_null(st, idx);
    }
    case SB_JFIELD_PERSON:
        return sqlite3_bind_int64(st, idx, *(const sb_id *)cfield(record, f));
    case SB_JFIELD_TEXT:
    case SB_JFIELD_DATE: {
        const char *s = cfield(record, f);
        if (!s[0] && !f->required)
            return sqlite3_bind_null(st, idx);
        return sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
    }
    case SB_JFIELD_BOOL:
    case SB_JFIELD_INT:
        return sqlite3_bind_int(st, idx, *(const int *)cfield(record, f));
    case SB_JFIELD_ENUM:
        return sqlite3_bind_text(st, idx,
                                 f->names[*(const int *)cfield(record, f)], -1,
                                 SQLITE_STATIC);
    case SB_JFIELD_ITEMS:
    case SB_JFIELD_SCORES:
        break;
    }
    return SQLITE_MISUSE;
}

/*
 * Binds the record's columns (with or without its id) from parameter 1 on,
 * in field-table order; the next free parameter, or 0 if a bind failed.
 */
static int bind_columns(sqlite3_stmt *st, sb_journal_kind kind, int with_id,
                        const void *record)
{
    size_t n;
    const sb_journal_field *f = sb_journal_fields(kind, &n);
    int idx = 1;
    for (size_t i = 0; i < n; i++) {
        if (!is_column(&f[i]) || (!with_id && f[i].type == SB_JFIELD_ID))
            continue;
        if (bind_field(st, idx++, &f[i], record) != SQLITE_OK)
            return 0;
    }
    return idx;
}

static sb_status read_field(sb_journal *j, sqlite3_stmt *st, int col,
                            const sb_journal_field *f, void *record,
                            sb_error *err)
{
    switch (f->type) {
    case SB_JFIELD_ID:
    case SB_JFIELD_PERSON:
        *(sb_id *)field(record, f) = sqlite3_column_int64(st, col);
        return SB_OK;
    case SB_JFIELD_TEXT:
    case SB_JFIELD_DATE: {
        const unsigned char *s = sqlite3_column_text(st, col);
        size_t n = (size_t)sqlite3_column_bytes(st, col);
        if (n >= f->size)
            return sb_error_set(err, SB_ERR_DB, j->path, 0, 0,
                                "a stored '%s' is longer than %zu bytes",
                                f->name, f->size - 1);
        if (s)
            memcpy(field(record, f), s, n);
        ((char *)field(record, f))[s ? n : 0] = '\0';
        return SB_OK;
    }
    case SB_JFIELD_BOOL:
    case SB_JFIELD_INT:
        *(int *)field(record, f) = sqlite3_column_int(st, col);
        return SB_OK;
    case SB_JFIELD_ENUM: {
        const char *s = (const char *)sqlite3_column_text(st, col);
        for (int i = 0; s && f->names[i]; i++)
            if (!strcmp(s, f->names[i])) {
                *(int *)field(record, f) = i;
                return SB_OK;
            }
        return sb_error_set(err, SB_ERR_DB, j->path, 0, 0,
                            "a stored '%s' has an unknown value '%s'", f->name,
                            s ? s : "(null)");
    }
    case SB_JFIELD_ITEMS:
    case SB_JFIELD_SCORES:
        break;
    }
    return SB_OK;
}

/* Reads the current row of a statement made by select_sql(). */
static sb_status read_row(sb_journal *j, sb_journal_kind kind, sqlite3_stmt *st,
                          void *record, sb_error *err)
{
    size_t n;
    const sb_journal_field *f = sb_journal_fields(kind, &n);
    sb_journal_record_init(kind, record);
    int col = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_column(&f[i]))
            continue;
        sb_status s = read_field(j, st, col++, &f[i], record, err);
        if (s != SB_OK)
            return s;
    }
    return SB_OK;
}

/* ---- assessment answers and scores (child tables) ------------------------ */

static sb_status write_children(sb_journal *j, const sb_rec_assessment *a,
                                sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                   "INSERT INTO assessment_item(assessment, "
                                   "position, answer) VALUES(?, ?, ?)",
                                  &st, err);
    for (size_t i = 0; s == SB_OK && i < a->item_count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, a->id);
        sqlite3_bind_int(st, 2, (int)i + 1);
        if (isnan(a->items[i]))
            sqlite3_bind_null(st, 3);
        else
            sqlite3_bind_double(st, 3, a->items[i]);
        if (sqlite3_step(st) != SQLITE_DONE)
            s = sb__journal_db_error(j, err, "cannot store an answer");
    }
    if (s == SB_OK)
        sqlite3_reset(st);
    if (s == SB_OK)
        s = sb__journal_stmt(j,
                             "INSERT INTO assessment_score(assessment, "
                             "position, scale, score) VALUES(?, ?, ?, ?)",
                            &st, err);
    for (size_t i = 0; s == SB_OK && i < a->score_count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, a->id);
        sqlite3_bind_int(st, 2, (int)i + 1);
        sqlite3_bind_text(st, 3, a->scores[i].scale, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 4, a->scores[i].value);
        if (sqlite3_step(st) != SQLITE_DONE)
            s = sb__journal_db_error(j, err, "cannot store a score");
    }
    if (s == SB_OK)
        sqlite3_reset(st);
    return s;
}

/* Adds the score in columns col (scale) and col + 1 (value) of a row;
 * more than SB_JOURNAL_SCORES_MAX are left out. */
static void add_score(sb_rec_assessment *a, sqlite3_stmt *st, int col)
{
    if (a->score_count == SB_JOURNAL_SCORES_MAX)
        return;
    sb_rec_score *sc = &a->scores[a->score_count++];
    snprintf(sc->scale, sizeof sc->scale, "%s",
             (const char *)sqlite3_column_text(st, col));
    sc->value = sqlite3_column_double(st, col + 1);
}

static sb_status read_children(sb_journal *j, sb_rec_assessment *a,
                               sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                   "SELECT position, answer FROM "
                                   "assessment_item WHERE assessment = ? "
                                   "ORDER BY position",
                                   &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, a->id);
    a->item_count = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (a->item_count == SB_JOURNAL_ITEMS_MAX ||
            sqlite3_column_int(st, 0) != (int)a->item_count + 1) {
            sqlite3_reset(st);
            return sb_error_set(err, SB_ERR_DB, j->path, 0, 0,
                                "the answers of assessment %lld are not "
                                "numbered 1..n",
                                (long long)a->id);
        }
        a->items[a->item_count++] = sqlite3_column_type(st, 1) == SQLITE_NULL
                                        ? NAN
                                        : sqlite3_column_double(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sb__journal_db_error(j, err, "cannot read answers");
    s = sb__journal_stmt(j,
                         "SELECT scale, score FROM assessment_score WHERE "
                         "assessment = ? ORDER BY position",
                         &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, a->id);
    a->score_count = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        add_score(a, st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sb__journal_db_error(j, err, "cannot read scores");
    return SB_OK;
}

/* ---- checks against what is stored --------------------------------------- */

/* Steps `sql` once with one id bound; *rc is SQLite's result. */
static sb_status step_with_id(sb_journal *j, const char *sql, sb_id id,
                              int *rc, sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j, sql, &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, id);
    *rc = sqlite3_step(st);
    sqlite3_reset(st);
    return SB_OK;
}

/* Runs a query with one id bound; *found is 1 if it returned a row. */
static sb_status exists(sb_journal *j, const char *sql, sb_id id, int *found,
                        sb_error *err)
{
    int rc;
    sb_status s = step_with_id(j, sql, id, &rc, err);
    if (s != SB_OK)
        return s;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sb__journal_db_error(j, err, "cannot look a record up");
    *found = rc == SQLITE_ROW;
    return SB_OK;
}

/* Runs a statement that changes rows, with one id bound. */
static sb_status run_with_id(sb_journal *j, const char *sql, sb_id id,
                             const char *doing, sb_error *err)
{
    int rc;
    sb_status s = step_with_id(j, sql, id, &rc, err);
    if (s == SB_OK && rc != SQLITE_DONE)
        s = sb__journal_db_error(j, err, doing);
    return s;
}

static sb_status id_exists(sb_journal *j, sb_journal_kind kind, sb_id id,
                           int *found, sb_error *err)
{
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" WHERE id = ?",
             sb_journal_kind_name(kind));
    return exists(j, sql, id, found, err);
}

/* SB_ERR_NOTFOUND unless a record of `kind` has this id. */
static sb_status must_exist(sb_journal *j, sb_journal_kind kind, sb_id id,
                            sb_error *err)
{
    int found;
    sb_status s = id_exists(j, kind, id, &found, err);
    if (s == SB_OK && !found)
        s = sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                         "there is no %s with id %lld",
                         sb_journal_kind_name(kind), (long long)id);
    return s;
}

static sb_status check_person(sb_journal *j, sb_id person, sb_error *err)
{
    int found;
    sb_status s = id_exists(j, SB_KIND_PERSON, person, &found, err);
    if (s == SB_OK && !found)
        s = sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                         "field 'person': there is no person with id %lld",
                         (long long)person);
    return s;
}

static sb_status check_unique_name(sb_journal *j, const sb_rec_person *p,
                                   sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(
        j, "SELECT id FROM person WHERE name = ? AND id <> ?", &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_text(st, 1, p->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, p->id);
    int rc = sqlite3_step(st);
    sb_id other = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "field 'name': a person named '%s' already exists "
                            "(id %lld)",
                            p->name, (long long)other);
    if (rc != SQLITE_DONE)
        return sb__journal_db_error(j, err, "cannot look a name up");
    return SB_OK;
}

/* Everything that must hold before a record is written. */
static sb_status prepare_write(sb_journal *j, sb_journal_kind kind,
                               void *record, sb_error *err)
{
    sb_status s = sb_journal_record_check(kind, record, err);
    if (s != SB_OK)
        return s;
    if (kind == SB_KIND_PERSON)
        return check_unique_name(j, record, err);
    s = check_person(j, ((const sb_rec_session *)record)->person, err);
    if (s == SB_OK && kind == SB_KIND_ASSESSMENT)
        s = sb__journal_score_assessment(j, record, err);
    return s;
}

/* ---- the operations ------------------------------------------------------ */

static sb_status check_kind(sb_journal_kind kind, sb_error *err)
{
    if (!sb_journal_record_size(kind))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "unknown kind of record %d", (int)kind);
    return SB_OK;
}

/* Ends the transaction a public write opened: kept on success, else undone. */
sb_status sb__journal_add_in_tx(sb_journal *j, sb_journal_kind kind,
                                void *record, sb_error *err)
{
    sb_status s = prepare_write(j, kind, record, err);
    if (s != SB_OK)
        return s;
    sb_id *id = record; /* every record starts with its id */
    if (*id) {
        int found;
        s = id_exists(j, kind, *id, &found, err);
        if (s != SB_OK)
            return s;
        if (found)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field 'id': a %s with id %lld already exists",
                                sb_journal_kind_name(kind), (long long)*id);
    }
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql, "INSERT INTO \"%s\"(",
             sb_journal_kind_name(kind));
    columns(kind, 1, "", sql);
    put(sql, ") VALUES(?");
    for (size_t i = 1; i < column_count(kind, 1); i++)
        put(sql, ", ?");
    put(sql, ")");
    sqlite3_stmt *st;
    s = sb__journal_stmt(j, sql, &st, err);
    if (s != SB_OK)
        return s;
    int rc = bind_columns(st, kind, 1, record) ? sqlite3_step(st)
                                               : SQLITE_MISUSE;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        char what[96];
        snprintf(what, sizeof what, "cannot add the %s",
                 sb_journal_kind_name(kind));
        return sb__journal_db_error(j, err, what);
    }
    *id = sqlite3_last_insert_rowid(j->db);
    if (kind == SB_KIND_ASSESSMENT)
        s = write_children(j, record, err);
    return s;
}

sb_status sb_journal_add(sb_journal *j, sb_journal_kind kind, void *record,
                         sb_error *err)
{
    sb_id before = *(sb_id *)record;
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    s = sb__journal_end(j, sb__journal_add_in_tx(j, kind, record, err), err);
    if (s != SB_OK)
        *(sb_id *)record = before; /* nothing was stored after all */
    return s;
}

sb_status sb_journal_get(sb_journal *j, sb_journal_kind kind, sb_id id,
                         void *record, sb_error *err)
{
    sb_status s = check_kind(kind, err);
    if (s != SB_OK)
        return s;
    char sql[SQL_MAX];
    select_sql(kind, " WHERE id = ?", sql);
    sqlite3_stmt *st;
    s = sb__journal_stmt(j, sql, &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        s = read_row(j, kind, st, record, err);
    else if (rc == SQLITE_DONE)
        s = sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                         "there is no %s with id %lld",
                         sb_journal_kind_name(kind), (long long)id);
    else
        s = sb__journal_db_error(j, err, "cannot read a record");
    sqlite3_reset(st);
    if (s == SB_OK && kind == SB_KIND_ASSESSMENT)
        s = read_children(j, record, err);
    return s;
}

static sb_status edit_in_tx(sb_journal *j, sb_journal_kind kind, void *record,
                            sb_error *err)
{
    sb_id id = *(const sb_id *)record;
    sb_status s = must_exist(j, kind, id, err);
    if (s != SB_OK)
        return s;
    s = prepare_write(j, kind, record, err);
    if (s != SB_OK)
        return s;
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql, "UPDATE \"%s\" SET ", sb_journal_kind_name(kind));
    columns(kind, 0, " = ?", sql);
    put(sql, " WHERE id = ?");
    sqlite3_stmt *st;
    s = sb__journal_stmt(j, sql, &st, err);
    if (s != SB_OK)
        return s;
    int idx = bind_columns(st, kind, 0, record);
    int rc = idx && sqlite3_bind_int64(st, idx, id) == SQLITE_OK
                 ? sqlite3_step(st)
                 : SQLITE_MISUSE;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sb__journal_db_error(j, err, "cannot change the record");
    if (kind != SB_KIND_ASSESSMENT)
        return SB_OK;
    s = run_with_id(j, "DELETE FROM assessment_item WHERE assessment = ?", id,
                    "cannot replace the answers", err);
    if (s == SB_OK)
        s = run_with_id(j, "DELETE FROM assessment_score WHERE assessment = ?",
                        id, "cannot replace the scores", err);
    return s == SB_OK ? write_children(j, record, err) : s;
}

sb_status sb_journal_edit(sb_journal *j, sb_journal_kind kind, void *record,
                          sb_error *err)
{
    sb_status s = check_kind(kind, err);
    if (s == SB_OK)
        s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    return sb__journal_end(j, edit_in_tx(j, kind, record, err), err);
}

static sb_status count_where(sb_journal *j, sb_journal_kind kind, sb_id person,
                             size_t *count, sb_error *err)
{
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"%s",
             sb_journal_kind_name(kind),
             person ? (kind == SB_KIND_PERSON ? " WHERE id = ?"
                                              : " WHERE person = ?")
                    : "");
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j, sql, &st, err);
    if (s != SB_OK)
        return s;
    if (person)
        sqlite3_bind_int64(st, 1, person);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *count = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sb__journal_db_error(j, err, "cannot count records");
    return SB_OK;
}

sb_status sb_journal_count(sb_journal *j, sb_journal_kind kind, sb_id person,
                           size_t *count, sb_error *err)
{
    *count = 0;
    sb_status s = check_kind(kind, err);
    return s == SB_OK ? count_where(j, kind, person, count, err) : s;
}

/* A person's records, or a message listing what they still have. */
static sb_status delete_person_records(sb_journal *j, sb_id id, int cascade,
                                       sb_error *err)
{
    char left[512] = "";
    for (int k = SB_KIND_PERSON + 1; k < SB_KIND_COUNT; k++) {
        size_t n;
        sb_status s = count_where(j, (sb_journal_kind)k, id, &n, err);
        if (s != SB_OK)
            return s;
        if (!n)
            continue;
        if (!cascade) {
            size_t len = strlen(left);
            snprintf(left + len, sizeof left - len, "%s%zu %s",
                     len ? ", " : "", n,
                     n == 1 ? sb_journal_kind_name((sb_journal_kind)k)
                            : sb_journal_kind_plural((sb_journal_kind)k));
            continue;
        }
        char sql[SQL_MAX];
        snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE person = ?",
                 sb_journal_kind_name((sb_journal_kind)k));
        s = run_with_id(j, sql, id, "cannot delete the person's records", err);
        if (s != SB_OK)
            return s;
    }
    if (left[0])
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "person %lld still has %s; delete those first or "
                            "delete the person with everything recorded",
                            (long long)id, left);
    return SB_OK;
}

static sb_status delete_in_tx(sb_journal *j, sb_journal_kind kind, sb_id id,
                              unsigned flags, sb_error *err)
{
    sb_status s = must_exist(j, kind, id, err);
    if (s != SB_OK)
        return s;
    if (kind == SB_KIND_PERSON) {
        s = delete_person_records(j, id, (flags & SB_JOURNAL_CASCADE) != 0,
                                  err);
        if (s != SB_OK)
            return s;
    }
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE id = ?",
             sb_journal_kind_name(kind));
    return run_with_id(j, sql, id, "cannot delete the record", err);
}

sb_status sb_journal_delete(sb_journal *j, sb_journal_kind kind, sb_id id,
                            unsigned flags, sb_error *err)
{
    sb_status s = check_kind(kind, err);
    if (s == SB_OK)
        s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    return sb__journal_end(j, delete_in_tx(j, kind, id, flags, err), err);
}

/* The rows of `kind` (of `person`, or all), with an assessment's answers
 * and scores when `children` is set. */
static sb_status list_rows(sb_journal *j, sb_journal_kind kind, sb_id person,
                           int children, void **records, size_t *count,
                           sb_error *err)
{
    *records = NULL;
    *count = 0;
    sb_status s = check_kind(kind, err);
    if (s != SB_OK)
        return s;
    size_t size = sb_journal_record_size(kind);
    char sql[SQL_MAX];
    select_sql(kind,
               !person                  ? ""
               : kind == SB_KIND_PERSON ? " WHERE id = ?"
                                        : " WHERE person = ?",
               sql);
    sqlite3_stmt *st;
    s = sb__journal_stmt(j, sql, &st, err);
    if (s != SB_OK)
        return s;
    if (person)
        sqlite3_bind_int64(st, 1, person);
    char *array = NULL;
    size_t n = 0, cap = 0;
    int rc = SQLITE_DONE;
    while (s == SB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *grown = sb__grow(array, &cap, n + 1, size);
        if (!grown) {
            s = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        array = grown;
        s = read_row(j, kind, st, array + n * size, err);
        if (s == SB_OK && kind == SB_KIND_ASSESSMENT && children)
            s = read_children(j, (sb_rec_assessment *)(array + n * size), err);
        n++;
    }
    if (s == SB_OK && rc != SQLITE_DONE)
        s = sb__journal_db_error(j, err, "cannot list records");
    sqlite3_reset(st);
    if (s != SB_OK) {
        free(array);
        return s;
    }
    *records = n ? array : NULL;
    if (!n)
        free(array);
    *count = n;
    return SB_OK;
}

sb_status sb_journal_list(sb_journal *j, sb_journal_kind kind, sb_id person,
                          void **records, size_t *count, sb_error *err)
{
    return list_rows(j, kind, person, 1, records, count, err);
}

typedef struct id_at {
    sb_id id;
    size_t at;
} id_at;

static int id_at_cmp(const void *x, const void *y)
{
    const id_at *a = x, *b = y;
    return (a->id > b->id) - (a->id < b->id);
}

sb_status sb_journal_list_scored(sb_journal *j, sb_id person,
                                 sb_rec_assessment **out, size_t *count,
                                 sb_error *err)
{
    void *rows;
    size_t n;
    sb_status s = list_rows(j, SB_KIND_ASSESSMENT, person, 0, &rows, &n, err);
    *out = NULL;
    *count = 0;
    if (s != SB_OK || !n)
        return s;
    sb_rec_assessment *a = rows;
    /* The scores in id order, matched to the rows through their ids. */
    id_at *order = malloc(n * sizeof *order);
    if (!order) {
        free(a);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        order[i] = (id_at){a[i].id, i};
        a[i].item_count = 0;
        a[i].score_count = 0;
    }
    qsort(order, n, sizeof *order, id_at_cmp);
    sqlite3_stmt *st;
    s = sb__journal_stmt(j,
                         person ? "SELECT s.assessment, s.scale, s.score FROM "
                                  "assessment_score s JOIN assessment a ON "
                                  "a.id = s.assessment WHERE a.person = ? "
                                  "ORDER BY s.assessment, s.position"
                                : "SELECT assessment, scale, score FROM "
                                  "assessment_score ORDER BY assessment, "
                                  "position",
                         &st, err);
    if (s == SB_OK) {
        if (person)
            sqlite3_bind_int64(st, 1, person);
        size_t k = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            sb_id id = sqlite3_column_int64(st, 0);
            while (k < n && order[k].id < id)
                k++;
            if (k == n)
                break;
            if (order[k].id == id)
                add_score(&a[order[k].at], st, 1);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            s = sb__journal_db_error(j, err, "cannot read scores");
    }
    free(order);
    if (s != SB_OK) {
        free(a);
        return s;
    }
    *out = a;
    *count = n;
    return SB_OK;
}

void sb_person_records_free(sb_person_records *r)
{
    free(r->relationships);
    free(r->sessions);
    free(r->assessments);
    free(r->reflections);
    free(r->practice);
    memset(r, 0, sizeof *r);
}

sb_status sb_journal_load_person(sb_journal *j, sb_id person,
                                 sb_person_records *out, sb_error *err)
{
    static const sb_journal_kind kinds[] = {
        SB_KIND_RELATIONSHIP, SB_KIND_SESSION, SB_KIND_ASSESSMENT,
        SB_KIND_REFLECTION, SB_KIND_PRACTICE};
    void *records[5] = {NULL};
    size_t counts[5] = {0};
    memset(out, 0, sizeof *out);
    sb_status s = sb_journal_get(j, SB_KIND_PERSON, person, &out->person, err);
    for (size_t i = 0; s == SB_OK && i < 5; i++)
        s = sb_journal_list(j, kinds[i], person, &records[i], &counts[i], err);
    out->relationships = records[0];
    out->relationship_count = counts[0];
    out->sessions = records[1];
    out->session_count = counts[1];
    out->assessments = records[2];
    out->assessment_count = counts[2];
    out->reflections = records[3];
    out->reflection_count = counts[3];
    out->practice = records[4];
    out->practice_count = counts[4];
    return s;
}

/* The id of the person with exactly this name, or 0. */
static sb_status id_by_name(sb_journal *j, const char *name, sb_id *id,
                            sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j, "SELECT id FROM person WHERE name = ?",
                                   &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sb__journal_db_error(j, err, "cannot look a person up");
    return SB_OK;
}

sb_status sb_journal_find_person(sb_journal *j, const char *id_or_name,
                                 sb_rec_person *out, sb_error *err)
{
    sb_id named;
    sb_status s = id_by_name(j, id_or_name, &named, err);
    if (s != SB_OK)
        return s;
    if (!sb_journal_name_is_number(id_or_name)) {
        if (!named)
            return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                                "there is no person with id or name '%s'",
                                id_or_name);
        return sb_journal_get(j, SB_KIND_PERSON, named, out, err);
    }
    /* Digits are an id. A journal written before names of digits were
     * refused may still hold one: then the reference is ambiguous, and a
     * record must never go to the wrong person. */
    sb_id id = strlen(id_or_name) < 19 ? (sb_id)strtoll(id_or_name, NULL, 10)
                                       : 0;
    int found = 0;
    s = id ? id_exists(j, SB_KIND_PERSON, id, &found, err) : SB_OK;
    if (s != SB_OK)
        return s;
    if (named && named != id && found)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "'%s' is both the id of a person and the name of "
                            "person %lld; a number means an id, so rename "
                            "person %lld to refer to them by name",
                            id_or_name, (long long)named, (long long)named);
    if (named && named != id)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "there is no person with id %s; person %lld is "
                            "named '%s', but a number means an id: rename "
                            "person %lld to refer to them by name",
                            id_or_name, (long long)named, id_or_name,
                            (long long)named);
    if (!found)
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "there is no person with id %s", id_or_name);
    return sb_journal_get(j, SB_KIND_PERSON, id, out, err);
}
