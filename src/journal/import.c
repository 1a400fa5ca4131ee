/*
 * Bulk import of a CSV file (read by the base layer's CSV reader) in one
 * transaction: every row is checked and added, and the transaction is
 * committed only if all of them were; otherwise nothing is kept. Errors
 * name the file, the line where the row starts, the column, and the value.
 */
#include "journal/db.h"
#include "journal/fields.h"
#include "journal/records.h"

#include "base/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest cell and widest row accepted; the reader refuses beyond them. */
#define CELL_MAX (64 * 1024)
#define COLUMNS_MAX 64

typedef struct importer {
    sb_journal *j;
    const char *name;            /* file name for messages */
    const sb_import_options *opt;
    sb_import_summary *sum;
    sb_error *err;
    unsigned long row_line;      /* line where the current row starts */
    size_t row;                  /* row being read, the header is 1 */
    /* the header */
    char *header[COLUMNS_MAX];
    size_t columns;
    int record_column;
    /* one record of any kind */
    union {
        sb_rec_person person;
        sb_rec_relationship relationship;
        sb_rec_session session;
        sb_rec_assessment assessment;
        sb_rec_reflection reflection;
        sb_rec_practice practice;
    } record;
} importer;

/* Puts the location of the current row (and column, 0 = none) on the error. */
static void locate(importer *im, size_t column)
{
    sb_error *err = im->err;
    if (!err)
        return;
    snprintf(err->file, sizeof err->file, "%s", im->name);
    err->line = im->row_line;
    err->column = column;
    if (column && column <= im->columns)
        sb_error_prefix(err, "row %zu, column '%s': ", im->row - 1,
                        im->header[column - 1]);
    else if (im->row > 1)
        sb_error_prefix(err, "row %zu: ", im->row - 1);
}

static sb_status fail(importer *im, size_t column, sb_status st, const char *fmt,
                      ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static sb_status fail(importer *im, size_t column, sb_status st, const char *fmt,
                      ...)
{
    if (im->err) {
        va_list ap;
        va_start(ap, fmt);
        char msg[SB_ERROR_MSG_MAX];
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        sb_error_set(im->err, st, NULL, 0, 0, "%s", msg);
    }
    locate(im, column);
    return st;
}

static sb_status read_header(importer *im, const sb_csv_record *rec)
{
    im->record_column = -1;
    for (size_t c = 0; c < rec->count; c++) {
        const char *name = rec->field[c];
        int known = !strcmp(name, "record");
        for (int k = 0; k < SB_KIND_COUNT && !known; k++)
            known = sb_journal_field_find((sb_journal_kind)k, name) != NULL;
        if (!known)
            return fail(im, c + 1, SB_ERR_INVALID,
                        "unknown column '%.64s' in the header (expected "
                        "'record' and field names such as person, date, ...)",
                        name);
        for (size_t d = 0; d < c; d++)
            if (!strcmp(im->header[d], name))
                return fail(im, c + 1, SB_ERR_INVALID,
                            "column '%s' appears twice in the header", name);
        if (!strcmp(name, "record"))
            im->record_column = (int)c;
        im->header[c] = sb__str_dup(name);
        if (!im->header[c])
            return sb_error_set(im->err, SB_ERR_NOMEM, im->name, 0, 0,
                                "out of memory");
        im->columns = c + 1;
    }
    if (im->record_column < 0)
        return fail(im, 0, SB_ERR_INVALID,
                    "the header has no 'record' column (the kind of each row)");
    return SB_OK;
}

static sb_status read_row(importer *im, const sb_csv_record *row)
{
    if (row->count != im->columns)
        return fail(im, 0, SB_ERR_INVALID,
                    "has %zu values but the header has %zu columns",
                    row->count, im->columns);
    sb_journal_kind kind;
    size_t rc = (size_t)im->record_column;
    sb_status st = sb_journal_kind_parse(row->field[rc], &kind, im->err);
    if (st != SB_OK) {
        locate(im, rc + 1);
        return st;
    }
    void *rec = &im->record;
    sb_journal_record_init(kind, rec);
    for (size_t c = 0; c < im->columns; c++) {
        if (c == rc)
            continue;
        const char *text = row->field[c];
        const sb_journal_field *f = sb_journal_field_find(kind, im->header[c]);
        if (!f) {
            if (text[0])
                return fail(im, c + 1, SB_ERR_INVALID,
                            "a %s has no field '%s' (leave it empty)",
                            sb_journal_kind_name(kind), im->header[c]);
            continue;
        }
        /* Scores are computed from the answers, never read back in. */
        if (f->type == SB_JFIELD_SCORES)
            continue;
        /* A person is referred to as on the command line: an id, or a name
         * (also of someone added by an earlier row of this file). */
        char id[32];
        if (f->type == SB_JFIELD_PERSON && text[0]) {
            sb_rec_person p;
            st = sb_journal_find_person(im->j, text, &p, im->err);
            if (st != SB_OK) {
                sb_error_prefix(im->err, "field 'person': ");
                locate(im, c + 1);
                return st;
            }
            snprintf(id, sizeof id, "%lld", (long long)p.id);
            text = id;
        }
        st = sb_journal_field_parse(f, text, rec, im->err);
        if (st == SB_OK)
            st = sb__journal_field_check(f, rec, im->err);
        if (st != SB_OK) {
            locate(im, c + 1);
            return st;
        }
    }
    st = sb__journal_add_in_tx(im->j, kind, rec, im->err);
    if (st != SB_OK) {
        locate(im, 0);
        return st;
    }
    if (im->sum)
        im->sum->added[kind]++;
    return SB_OK;
}

static sb_status on_record(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    importer *im = ctx;
    (void)err; /* im->err is the same */
    im->row = rec->number;
    im->row_line = rec->line;
    if (rec->number == 1)
        return read_header(im, rec);
    sb_status st = read_row(im, rec);
    if (im->sum)
        im->sum->rows = im->row - 1;
    const sb_import_options *o = im->opt;
    if (st == SB_OK && o && o->progress && o->progress_every &&
        (im->row - 1) % o->progress_every == 0)
        o->progress(im->row - 1, o->ctx);
    return st;
}

static void importer_free(importer *im)
{
    for (size_t c = 0; c < im->columns; c++)
        free(im->header[c]);
}

typedef struct source {
    FILE *file;        /* read in chunks, or */
    const char *data;  /* a buffer */
    size_t size;
} source;

static sb_status run(sb_journal *j, const char *name, source *src,
                     const sb_import_options *opt, sb_import_summary *sum,
                     sb_error *err)
{
    if (sum)
        memset(sum, 0, sizeof *sum);
    importer im = {.j = j, .name = name, .opt = opt, .sum = sum, .err = err,
                   .row_line = 1};
    sb_csv_options o = {.origin = name,
                        .max_record_bytes = COLUMNS_MAX * (CELL_MAX + 1),
                        .max_fields = COLUMNS_MAX,
                        .allow_ragged = 1,
                        .max_field_bytes = CELL_MAX};
    sb_csv_reader *reader;
    sb_status st = sb_csv_reader_new(&o, on_record, &im, &reader, err);
    if (st != SB_OK)
        return st;
    st = sb__journal_begin(j, err);
    if (st == SB_OK) {
        if (src->file)
            st = sb_csv_reader_read_stream(reader, src->file, err);
        else if ((st = sb_csv_reader_feed(reader, src->data, src->size,
                                          err)) == SB_OK)
            st = sb_csv_reader_finish(reader, err);
        if (st == SB_OK && im.row == 0)
            st = sb_error_set(err, SB_ERR_PARSE, name, 0, 0,
                              "is empty: expected a header row naming the "
                              "columns");
        if (st != SB_OK || (opt && opt->dry_run)) {
            sb__journal_rollback(j);
        } else {
            st = sb__journal_commit(j, err);
        }
        if (st != SB_OK && sum)
            memset(sum->added, 0, sizeof sum->added);
    }
    sb_csv_reader_free(reader);
    importer_free(&im);
    return st;
}

sb_status sb_journal_import_csv(sb_journal *j, const char *path,
                                const sb_import_options *options,
                                sb_import_summary *summary, sb_error *err)
{
    FILE *f;
    sb_status st = sb_file_open_read(path, &f, err);
    if (st != SB_OK)
        return st;
    st = sb_journal_import_csv_stream(j, f, path, options, summary, err);
    fclose(f);
    return st;
}

sb_status sb_journal_import_csv_stream(sb_journal *j, FILE *in,
                                       const char *name,
                                       const sb_import_options *options,
                                       sb_import_summary *summary,
                                       sb_error *err)
{
    source src = {.file = in};
    return run(j, name, &src, options, summary, err);
}

sb_status sb_journal_import_csv_buffer(sb_journal *j, const char *name,
                                       const char *data, size_t size,
                                       const sb_import_options *options,
                                       sb_import_summary *summary,
                                       sb_error *err)
{
    source src = {.data = data, .size = size};
    return run(j, name, &src, options, summary, err);
}
