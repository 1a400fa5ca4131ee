/*
 * libFuzzer target for the CSV reader, the CSV writer and the streaming
 * scorer: any bytes, fed in chunks whose size the first byte picks, must
 * give records or a located error, never a crash, leak or unbounded
 * allocation; and every record read, written back by the writer, must read
 * back as the same text.
 */
#include <securebase/measure.h>

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct expected {
    const sb_csv_record *rec;
    size_t records;
} expected;

static sb_status same_record(void *ctx, const sb_csv_record *rec,
                             sb_error *err)
{
    (void)err;
    expected *e = ctx;
    if (e->records++ || rec->count != e->rec->count)
        abort();
    for (size_t i = 0; i < rec->count; i++)
        if (strcmp(rec->field[i], e->rec->field[i]))
            abort();
    return SB_OK;
}

/* The record through the writer and a fresh reader: the same cells. */
static void round_trip(const sb_csv_record *rec)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    sb_csv_writer w;
    sb_csv_writer_init(&w, f);
    for (size_t i = 0; i < rec->count; i++)
        sb_csv_text(&w, rec->field[i]);
    sb_csv_end_row(&w);
    fclose(f);
    expected e = {rec, 0};
    sb_csv_reader *r;
    sb_error err;
    if (sb_csv_reader_new(NULL, same_record, &e, &r, &err) == SB_OK) {
        if (sb_csv_reader_feed(r, text, len, &err) != SB_OK ||
            sb_csv_reader_finish(r, &err) != SB_OK || e.records != 1)
            abort();
        sb_csv_reader_free(r);
    }
    free(text);
}

static sb_status count_record(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    (void)err;
    size_t *n = ctx;
    for (size_t i = 0; i < rec->count; i++)
        *n += strlen(rec->field[i]) == rec->length[i];
    round_trip(rec);
    return SB_OK;
}

static sb_status count_row(void *ctx, const sb_scored_row *row, sb_error *err)
{
    (void)err;
    size_t *n = ctx;
    for (size_t i = 0; i < row->scores->count; i++)
        *n += !isnan(row->scores->value[i]);
    return SB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = (size_t)(data[0] % 17) + 1;
    int ragged = data[0] >= 128;
    data++;
    size--;
    sb_error err;
    size_t seen = 0;

    sb_csv_options o = {.origin = "fuzz.csv", .max_record_bytes = 512,
                        .max_fields = 16, .allow_ragged = ragged};
    sb_csv_reader *r;
    if (sb_csv_reader_new(&o, count_record, &seen, &r, &err) == SB_OK) {
        sb_status st = SB_OK;
        for (size_t off = 0; off < size && !st; off += chunk)
            st = sb_csv_reader_feed(r, data + off,
                                    size - off < chunk ? size - off : chunk, &err);
        if (!st)
            (void)sb_csv_reader_finish(r, &err);
        sb_csv_reader_free(r);
    }

    sb_instrument *inst;
    if (sb_instrument_builtin("rq", &inst, &err) != SB_OK)
        return 0;
    sb_scorer_options so;
    memset(&so, 0, sizeof so);
    so.lenient = size > 0 && (data[size - 1] & 1);
    so.alpha = 1;
    so.missing[0] = "99";
    so.missing_count = 1;
    so.id_column = "id";
    sb_scorer *s;
    if (sb_scorer_new(inst, &so, count_row, &seen, &s, &err) == SB_OK) {
        sb_status st = SB_OK;
        for (size_t off = 0; off < size && !st; off += chunk)
            st = sb_scorer_feed(s, data + off, size - off < chunk ? size - off : chunk,
                                &err);
        if (!st)
            (void)sb_scorer_finish(s, &err);
        sb_alpha_result ar;
        sb_alpha *a = sb_scorer_alpha(s, 0);
        if (a)
            sb_alpha_compute(a, &ar);
        sb_scorer_free(s);
    }
    sb_instrument_free(inst);
    return 0;
}
