/*
 * Streaming CSV reader on libcsv: delivers one record at a time with the
 * physical line where it starts, strips a UTF-8 byte-order mark, accepts
 * LF, CRLF and CR line ends and quoted fields (strict quoting), skips empty
 * lines and rows whose cells are all empty, takes off the guard quote the
 * CSV writer puts before formula-like text, and bounds memory: a record
 * longer than the cap or with too many fields is an error, not an
 * allocation spree.
 */
#include <securebase/base.h>

#include "base/buf.h"
#include "base/csv_writer.h"

#include <csv.h>

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_RECORD (1u << 20)
#define DEFAULT_MAX_FIELDS 4096u
#define PIECE 65536u /* libcsv sees at most this much at once */

struct sb_csv_reader {
    struct csv_parser parser;
    sb_csv_options opt;
    sb_csv_record_fn fn;
    void *ctx;
    /* the record being assembled: fields back to back, NUL-terminated */
    sb__buf buf;
    size_t *offset, *length;
    const char **ptr;
    size_t count, cap;
    unsigned long line;     /* line being fed, 1-based */
    unsigned long rec_line; /* where the current record started */
    int after_cr;           /* the last byte fed was a CR */
    int in_record;
    unsigned long number;   /* records delivered (blank ones not counted) */
    size_t width;           /* fields in the first record */
    size_t bom_seen;        /* bytes of a BOM matched so far */
    int bom_done;
    sb_status status;       /* first error, stops everything */
    sb_error *err;          /* the caller's, during feed/finish */
};

static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};

/* "N bytes", or "N KiB" when that is exact: the limits in messages. */
static void show_size(size_t n, char *buf, size_t size)
{
    if (n >= 1024 && n % 1024 == 0)
        snprintf(buf, size, "%zu KiB", n / 1024);
    else
        snprintf(buf, size, "%zu bytes", n);
}

static sb_status fail(sb_csv_reader *r, sb_status st, unsigned long line,
                      unsigned long col, const char *msg)
{
    if (r->status == SB_OK)
        r->status = sb_error_set(r->err, st, r->opt.origin, line, col, "%s", msg);
    return r->status;
}

static void on_field(void *data, size_t len, void *vr)
{
    sb_csv_reader *r = vr;
    if (r->status)
        return;
    if (!r->in_record) {
        r->in_record = 1;
        r->rec_line = r->line;
    }
    if (len && memchr(data, '\0', len)) {
        fail(r, SB_ERR_PARSE, r->rec_line, r->count + 1,
             "a field contains a NUL byte");
        return;
    }
    /* The writer's guard before formula-like text: exactly one comes off
     * (libcsv ends every field with a NUL: CSV_APPEND_NULL). */
    if (len && *(const char *)data == '\'' &&
        sb__csv_needs_guard((const char *)data + 1)) {
        data = (char *)data + 1;
        len--;
    }
    if (r->count == r->opt.max_fields) {
        char msg[128];
        snprintf(msg, sizeof msg, "a row has more than %zu fields",
                 r->opt.max_fields);
        fail(r, SB_ERR_PARSE, r->rec_line, r->count + 1, msg);
        return;
    }
    if (len > r->opt.max_field_bytes) {
        char msg[128], shown[32];
        show_size(r->opt.max_field_bytes, shown, sizeof shown);
        snprintf(msg, sizeof msg, "a value is longer than %s", shown);
        fail(r, SB_ERR_PARSE, r->rec_line, r->count + 1, msg);
        return;
    }
    if (r->buf.len + len + 1 > r->opt.max_record_bytes) {
        char msg[128], shown[32];
        show_size(r->opt.max_record_bytes, shown, sizeof shown);
        snprintf(msg, sizeof msg, "a row is longer than %s", shown);
        fail(r, SB_ERR_PARSE, r->rec_line, r->count + 1, msg);
        return;
    }
    if (r->count == r->cap) {
        /* Three arrays of one length: each grows from the same capacity. */
        size_t co = r->cap, cl = r->cap, cp = r->cap;
        size_t *o = sb__grow(r->offset, &co, r->count + 1, sizeof *o);
        if (o)
            r->offset = o;
        size_t *l = sb__grow(r->length, &cl, r->count + 1, sizeof *l);
        if (l)
            r->length = l;
        const char **p = sb__grow(r->ptr, &cp, r->count + 1, sizeof *p);
        if (p)
            r->ptr = p;
        if (!o || !l || !p) {
            fail(r, SB_ERR_NOMEM, 0, 0, "out of memory");
            return;
        }
        r->cap = co;
    }
    /* The field and its NUL (so that every field ends in one). */
    r->offset[r->count] = r->buf.len;
    r->length[r->count] = len;
    if (sb__buf_append(&r->buf, data, len) || sb__buf_append(&r->buf, "", 1)) {
        fail(r, SB_ERR_NOMEM, 0, 0, "out of memory");
        return;
    }
    r->count++;
}

static void on_record(int term, void *vr)
{
    (void)term;
    sb_csv_reader *r = vr;
    size_t count = r->count;
    unsigned long line = r->rec_line;
    r->in_record = 0;
    r->count = 0;
    r->buf.len = 0;
    if (r->status)
        return;
    int blank = 1;
    for (size_t i = 0; i < count && blank; i++)
        blank = r->length[i] == 0;
    if (blank)
        return;
    r->number++;
    if (r->number == 1)
        r->width = count;
    else if (!r->opt.allow_ragged && count != r->width) {
        char msg[160];
        snprintf(msg, sizeof msg, "row has %zu fields, the header has %zu",
                 count, r->width);
        fail(r, SB_ERR_PARSE, line, count > r->width ? r->width + 1 : count,
             msg);
        return;
    }
    for (size_t i = 0; i < count; i++)
        r->ptr[i] = r->buf.data + r->offset[i];
    sb_csv_record rec = {count, r->ptr, r->length, line, r->number};
    sb_status st = r->fn(r->ctx, &rec, r->err);
    if (st != SB_OK && r->status == SB_OK)
        r->status = st; /* the callback filled err */
}

sb_status sb_csv_reader_new(const sb_csv_options *opts, sb_csv_record_fn fn,
                            void *ctx, sb_csv_reader **out, sb_error *err)
{
    *out = NULL;
    sb_csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (opts)
        r->opt = *opts;
    if (!r->opt.origin)
        r->opt.origin = "<csv>";
    if (!r->opt.max_record_bytes)
        r->opt.max_record_bytes = DEFAULT_MAX_RECORD;
    if (!r->opt.max_fields)
        r->opt.max_fields = DEFAULT_MAX_FIELDS;
    if (!r->opt.max_field_bytes || r->opt.max_field_bytes > r->opt.max_record_bytes)
        r->opt.max_field_bytes = r->opt.max_record_bytes;
    r->fn = fn;
    r->ctx = ctx;
    r->line = 1;
    if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
        free(r);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    *out = r;
    return SB_OK;
}

void sb_csv_reader_free(sb_csv_reader *r)
{
    if (!r)
        return;
    csv_free(&r->parser);
    sb__buf_free(&r->buf);
    free(r->offset);
    free(r->length);
    free(r->ptr);
    free(r);
}

static sb_status parse_piece(sb_csv_reader *r, const char *p, size_t n)
{
    if (!r->in_record) {
        for (size_t i = 0; i < n; i++)
            if (p[i] != '\r' && p[i] != '\n') {
                r->in_record = 1;
                r->rec_line = r->line;
                break;
            }
    }
    size_t done = csv_parse(&r->parser, p, n, on_field, on_record, r);
    if (r->status)
        return r->status;
    if (done != n) {
        int e = csv_error(&r->parser);
        if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
            return fail(r, SB_ERR_NOMEM, r->line, 0, "out of memory");
        return fail(r, SB_ERR_PARSE, r->line, r->count + 1,
                    "malformed CSV: a quote inside an unquoted field, or text "
                    "after a closing quote");
    }
    /* A field still open: libcsv's buffer grows with it. One piece of
     * slack, since the exact length is checked when the field ends. */
    if (csv_get_buffer_size(&r->parser) > r->opt.max_field_bytes + PIECE) {
        char msg[128], shown[32];
        show_size(r->opt.max_field_bytes, shown, sizeof shown);
        snprintf(msg, sizeof msg, "a value is longer than %s", shown);
        return fail(r, SB_ERR_PARSE, r->rec_line, r->count + 1, msg);
    }
    return SB_OK;
}

/*
 * Feeds bytes a line at a time, so that callbacks know the line they are
 * on. A line ends at LF, at CR LF (even when the two arrive in different
 * feeds) or at a CR alone, as old spreadsheet exports write them.
 */
static sb_status feed_body(sb_csv_reader *r, const char *p, size_t n)
{
    size_t i = 0, cr = 0, lf = 0;
    int cr_known = 0, lf_known = 0;
    while (i < n) {
        /* The next CR and LF at or after i (n: none), each found once. */
        if (!cr_known || cr < i) {
            const char *c = memchr(p + i, '\r', n - i);
            cr = c ? (size_t)(c - p) : n;
            cr_known = 1;
        }
        if (!lf_known || lf < i) {
            const char *c = memchr(p + i, '\n', n - i);
            lf = c ? (size_t)(c - p) : n;
            lf_known = 1;
        }
        size_t stop = cr < lf ? cr : lf;
        size_t take = stop < n ? stop + 1 - i : n - i;
        if (take > PIECE)
            take = PIECE;
        sb_status st = parse_piece(r, p + i, take);
        if (st)
            return st;
        /* A LF right after a CR (the piece is that LF alone) ends no new
         * line. */
        char last = p[i + take - 1];
        if (last == '\r' || (last == '\n' && !(take == 1 && r->after_cr)))
            r->line++;
        r->after_cr = last == '\r';
        i += take;
    }
    return SB_OK;
}

sb_status sb_csv_reader_feed(sb_csv_reader *r, const void *data, size_t size,
                             sb_error *err)
{
    r->err = err;
    if (r->status)
        return r->status;
    const unsigned char *p = data;
    while (!r->bom_done && size) {
        if (*p == bom[r->bom_seen]) {
            r->bom_seen++;
            p++;
            size--;
            if (r->bom_seen == 3)
                r->bom_done = 1;
        } else {
            /* not a BOM after all: the bytes held back are data */
            r->bom_done = 1;
            sb_status st = feed_body(r, (const char *)bom, r->bom_seen);
            if (st)
                return st;
        }
    }
    return feed_body(r, (const char *)p, size);
}

sb_status sb_csv_reader_finish(sb_csv_reader *r, sb_error *err)
{
    r->err = err;
    if (r->status)
        return r->status;
    if (!r->bom_done) {
        r->bom_done = 1;
        sb_status st = feed_body(r, (const char *)bom, r->bom_seen);
        if (st)
            return st;
    }
    if (csv_fini(&r->parser, on_field, on_record, r) != 0 && !r->status)
        return fail(r, SB_ERR_PARSE, r->rec_line, r->count + 1,
                    "malformed CSV: a quoted field is not closed before the "
                    "end of the file");
    return r->status;
}

sb_status sb_csv_reader_read_stream(sb_csv_reader *r, FILE *in, sb_error *err)
{
    char buf[PIECE];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
        sb_status st = sb_csv_reader_feed(r, buf, got, err);
        if (st)
            return st;
    }
    if (ferror(in))
        return sb_error_set(err, SB_ERR_IO, r->opt.origin, 0, 0, "read error");
    return sb_csv_reader_finish(r, err);
}
