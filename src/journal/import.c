/*
 * Bulk import of a CSV file (parsed by libcsv) in one transaction: every row
 * is checked and added, and the transaction is committed only if all of
 * them were; otherwise nothing is kept. Errors name the file, the line where
 * the row starts, the column, and the value.
 */
#include "journal/internal.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest cell accepted; libcsv is refused memory beyond it (see below). */
#define CELL_MAX (64 * 1024)
#define COLUMNS_MAX 64
#define CHUNK 65536

typedef struct importer {
    sb_journal *j;
    const char *name;            /* file name for messages */
    const sb_import_options *opt;
    sb_import_summary *sum;
    sb_error *err;
    sb_status status;            /* first error; rows after it are ignored */
    unsigned long line;          /* physical line being parsed, 1-based */
    unsigned long row_line;      /* line where the current row starts */
    size_t row;                  /* row being read, the header is 1 */
    /* the current row */
    char *cells[COLUMNS_MAX];
    size_t cell_count;
    int row_too_wide;
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

/*
 * libcsv grows its cell buffer with this; refusing beyond CELL_MAX turns a
 * huge cell into a clean "too long" error instead of unbounded memory.
 */
static void *limited_realloc(void *p, size_t size)
{
    return size > CELL_MAX + 4096 ? NULL : realloc(p, size);
}

static size_t count_newlines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

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

static void clear_row(importer *im)
{
    for (size_t i = 0; i < im->cell_count; i++)
        free(im->cells[i]);
    im->cell_count = 0;
    im->row_too_wide = 0;
}

static void on_cell(void *data, size_t len, void *ctx)
{
    importer *im = ctx;
    if (im->status != SB_OK)
        return;
    if (im->cell_count == 0) {
        im->row++;
        im->row_line = im->line;
    }
    if (im->cell_count == COLUMNS_MAX) {
        im->row_too_wide = 1;
        return;
    }
    if (len && memchr(data, '\0', len)) {
        im->status = fail(im, im->cell_count + 1, SB_ERR_INVALID,
                          "the value contains a NUL byte");
        return;
    }
    char *cell = malloc(len + 1);
    if (!cell) {
        im->status = sb_error_set(im->err, SB_ERR_NOMEM, im->name, im->line, 0,
                                  "out of memory");
        return;
    }
    if (len)
        memcpy(cell, data, len);
    cell[len] = '\0';
    im->cells[im->cell_count++] = cell;
    if (im->cell_count == 1)
        im->row_line -= count_newlines(cell); /* a quoted cell may span lines */
}

static sb_status read_header(importer *im)
{
    if (im->row_too_wide)
        return fail(im, COLUMNS_MAX + 1, SB_ERR_INVALID,
                    "the header has more than %d columns", COLUMNS_MAX);
    im->record_column = -1;
    for (size_t c = 0; c < im->cell_count; c++) {
        const char *name = im->cells[c];
        if (c == 0 && !strncmp(name, "\xEF\xBB\xBF", 3))
            memmove(im->cells[c], name + 3, strlen(name + 3) + 1);
        int known = !strcmp(name, "record");
        for (int k = 0; k < SB_KIND_COUNT && !known; k++)
            known = sb_journal_field_find((sb_journal_kind)k, name) != NULL;
        im->columns = c;
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
        im->header[c] = im->cells[c];
        im->cells[c] = NULL;
    }
    im->columns = im->cell_count;
    im->cell_count = 0;
    if (im->record_column < 0)
        return fail(im, 0, SB_ERR_INVALID,
                    "the header has no 'record' column (the kind of each row)");
    return SB_OK;
}

static sb_status read_row(importer *im)
{
    if (im->row_too_wide || im->cell_count != im->columns)
        return fail(im, 0, SB_ERR_INVALID,
                    "has %s%zu values but the header has %zu columns",
                    im->row_too_wide ? "more than " : "", im->cell_count,
                    im->columns);
    sb_journal_kind kind;
    size_t rc = (size_t)im->record_column;
    sb_status st = sb_journal_kind_parse(im->cells[rc], &kind, im->err);
    if (st != SB_OK) {
        locate(im, rc + 1);
        return st;
    }
    void *rec = &im->record;
    sb_journal_record_init(kind, rec);
    for (size_t c = 0; c < im->columns; c++) {
        if (c == rc)
            continue;
        const char *text = im->cells[c];
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
            st = sb_journal_field_check(f, rec, im->err);
        if (st != SB_OK) {
            locate(im, c + 1);
            return st;
        }
    }
    st = sb_journal_add_in_tx(im->j, kind, rec, im->err);
    if (st != SB_OK) {
        locate(im, 0);
        return st;
    }
    if (im->sum)
        im->sum->added[kind]++;
    return SB_OK;
}

static void on_row(int terminator, void *ctx)
{
    importer *im = ctx;
    (void)terminator;
    if (im->status != SB_OK || im->cell_count == 0)
        return;
    if (im->row == 1) {
        im->status = read_header(im);
    } else {
        im->status = read_row(im);
        if (im->sum)
            im->sum->rows = im->row - 1;
        const sb_import_options *o = im->opt;
        if (im->status == SB_OK && o && o->progress && o->progress_every &&
            (im->row - 1) % o->progress_every == 0)
            o->progress(im->row - 1, o->ctx);
    }
    clear_row(im);
}

/* Feeds a chunk a line at a time, so callbacks know the line they are on. */
static void feed(importer *im, struct csv_parser *p, const char *data,
                 size_t len)
{
    while (len && im->status == SB_OK) {
        const char *nl = memchr(data, '\n', len);
        size_t n = nl ? (size_t)(nl - data) + 1 : len;
        if (csv_parse(p, data, n, on_cell, on_row, im) != n) {
            int e = csv_error(p);
            im->status = sb_error_set(
                im->err, SB_ERR_PARSE, im->name, im->line, 0, "%s",
                e == CSV_ENOMEM ? "a value is longer than 64 KiB"
                : e == CSV_EPARSE
                    ? "malformed CSV: a quote inside an unquoted value, or "
                      "text after a closing quote"
                    : csv_strerror(e));
            return;
        }
        if (nl)
            im->line++;
        data += n;
        len -= n;
    }
}

static void importer_free(importer *im)
{
    clear_row(im);
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
                   .status = SB_OK, .line = 1, .row_line = 1};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return sb_error_set(err, SB_ERR_NOMEM, name, 0, 0, "out of memory");
    csv_set_realloc_func(&p, limited_realloc);
    sb_status st = sb_journal_begin(j, err);
    if (st != SB_OK) {
        csv_free(&p);
        return st;
    }
    if (src->file) {
        char *buf = malloc(CHUNK);
        if (!buf)
            im.status = sb_error_set(err, SB_ERR_NOMEM, name, 0, 0,
                                     "out of memory");
        size_t got;
        while (buf && im.status == SB_OK &&
               (got = fread(buf, 1, CHUNK, src->file)) > 0)
            feed(&im, &p, buf, got);
        if (im.status == SB_OK && ferror(src->file))
            im.status = sb_error_set(err, SB_ERR_IO, name, 0, 0,
                                     "read error: %s", strerror(errno));
        free(buf);
    } else {
        feed(&im, &p, src->data, src->size);
    }
    if (im.status == SB_OK && csv_fini(&p, on_cell, on_row, &im) != 0)
        im.status = sb_error_set(err, SB_ERR_PARSE, name, im.line, 0,
                                 "malformed CSV: a quoted value is not "
                                 "closed at the end of the file");
    if (im.status == SB_OK && im.row == 0)
        im.status = sb_error_set(err, SB_ERR_PARSE, name, 0, 0,
                                 "is empty: expected a header row naming the "
                                 "columns");
    csv_free(&p);
    importer_free(&im);
    if (im.status != SB_OK || (opt && opt->dry_run)) {
        sb_journal_rollback(j);
        if (im.status != SB_OK && sum)
            memset(sum->added, 0, sizeof sum->added);
        return im.status;
    }
    st = sb_journal_commit(j, err);
    if (st != SB_OK && sum)
        memset(sum->added, 0, sizeof sum->added);
    return st;
}

sb_status sb_journal_import_csv(sb_journal *j, const char *path,
                                const sb_import_options *options,
                                sb_import_summary *summary, sb_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    sb_status st = sb_journal_import_csv_stream(j, f, path, options, summary,
                                                err);
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
