/* Tests for src/base/csv_reader.c: hostile and ordinary CSV input. */
#include "support.h"

#include <securebase/base.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct seen {
    char text[2048]; /* records as "line:a|b|c\n" */
    size_t records;
} seen;

static sb_status collect(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    (void)err;
    seen *s = ctx;
    size_t n = strlen(s->text);
    n += (size_t)snprintf(s->text + n, sizeof s->text - n, "%lu:", rec->line);
    for (size_t i = 0; i < rec->count; i++)
        n += (size_t)snprintf(s->text + n, sizeof s->text - n, "%s%s",
                              i ? "|" : "", rec->field[i]);
    snprintf(s->text + n, sizeof s->text - n, "\n");
    s->records++;
    return SB_OK;
}

/* Parses `data` fed in chunks of `chunk` bytes (0: all at once). */
static sb_status parse(const char *data, size_t size, size_t chunk,
                       const sb_csv_options *o, seen *s, sb_error *err)
{
    memset(s, 0, sizeof *s);
    sb_csv_reader *r;
    sb_csv_options def = {.origin = "t.csv"};
    assert_int_equal(sb_csv_reader_new(o ? o : &def, collect, s, &r, err), SB_OK);
    sb_status st = SB_OK;
    if (!chunk)
        chunk = size ? size : 1;
    for (size_t off = 0; off < size && !st; off += chunk)
        st = sb_csv_reader_feed(r, data + off, size - off < chunk ? size - off : chunk, err);
    if (!st)
        st = sb_csv_reader_finish(r, err);
    sb_csv_reader_free(r);
    return st;
}

static void ordinary_and_chunked(void **state)
{
    (void)state;
    const char *data = "\xEF\xBB\xBFid,q1,q2\r\n7,1,2\r\n\r\n\"a, b\",\"say \"\"hi\"\"\",3\r\n"
                       "\"multi\nline\",4,5\n,,\n9,6,7";
    const char *want = "1:id|q1|q2\n2:7|1|2\n4:a, b|say \"hi\"|3\n5:multi\nline|4|5\n8:9|6|7\n";
    seen s;
    sb_error err;
    size_t n = strlen(data);
    for (size_t chunk = 0; chunk <= 7; chunk++) {
        assert_int_equal(parse(data, n, chunk, NULL, &s, &err), SB_OK);
        assert_string_equal(s.text, want);
    }
}

static void bom_that_is_not(void **state)
{
    (void)state;
    seen s;
    sb_error err;
    assert_int_equal(parse("\xEF\xBBx,y\n", 6, 1, NULL, &s, &err), SB_OK);
    assert_string_equal(s.text, "1:\xEF\xBBx|y\n");
    assert_int_equal(parse("\xEF", 1, 0, NULL, &s, &err), SB_OK);
    assert_string_equal(s.text, "1:\xEF\n");
    assert_int_equal(parse("", 0, 0, NULL, &s, &err), SB_OK);
    assert_int_equal(s.records, 0);
}

static void ragged_rows(void **state)
{
    (void)state;
    seen s;
    sb_error err;
    const char *d = "a,b,c\n1,2,3\n1,2\n";
    assert_int_equal(parse(d, strlen(d), 0, NULL, &s, &err), SB_ERR_PARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "2 fields, the header has 3"));
    const char *d2 = "a,b\n1,2,3\n";
    assert_int_equal(parse(d2, strlen(d2), 0, NULL, &s, &err), SB_ERR_PARSE);
    assert_int_equal(err.column, 3);
    sb_csv_options loose = {.origin = "t.csv", .allow_ragged = 1};
    assert_int_equal(parse(d, strlen(d), 0, &loose, &s, &err), SB_OK);
    assert_int_equal(s.records, 3);
}

static void malformed_quotes(void **state)
{
    (void)state;
    seen s;
    sb_error err;
    const char *d = "a,b\n1,\"x\"y\n";
    assert_int_equal(parse(d, strlen(d), 0, NULL, &s, &err), SB_ERR_PARSE);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "malformed CSV"));
    const char *d2 = "a,b\n1,\"open\n2,3\n";
    assert_int_equal(parse(d2, strlen(d2), 0, NULL, &s, &err), SB_ERR_PARSE);
    assert_non_null(strstr(err.message, "not closed"));
    assert_int_equal(err.line, 2);
}

static void caps_and_nul(void **state)
{
    (void)state;
    seen s;
    sb_error err;
    sb_csv_options small = {.origin = "t.csv", .max_record_bytes = 64,
                            .max_fields = 3};
    char big[300];
    memset(big, 'x', sizeof big);
    big[0] = 'a';
    big[1] = '\n';
    assert_int_equal(parse(big, sizeof big, 0, &small, &s, &err), SB_ERR_PARSE);
    assert_non_null(strstr(err.message, "longer than 64 bytes"));
    /* the same inside a quoted field that never ends on a line */
    char quoted[300];
    memset(quoted, 'y', sizeof quoted);
    quoted[0] = '"';
    assert_int_equal(parse(quoted, sizeof quoted, 16, &small, &s, &err), SB_ERR_PARSE);
    const char *wide = "a,b,c,d\n";
    assert_int_equal(parse(wide, strlen(wide), 0, &small, &s, &err), SB_ERR_PARSE);
    assert_non_null(strstr(err.message, "more than 3 fields"));
    const char nul[] = "a,b\n1,2\0x\n";
    assert_int_equal(parse(nul, sizeof nul - 1, 0, NULL, &s, &err), SB_ERR_PARSE);
    assert_non_null(strstr(err.message, "NUL"));
}

static sb_status stop_at_two(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    (void)ctx;
    if (rec->number == 2)
        return sb_error_set(err, SB_ERR_INVALID, "t.csv", rec->line, 1, "stop");
    return SB_OK;
}

static void callback_stops(void **state)
{
    (void)state;
    sb_csv_reader *r;
    sb_error err;
    assert_int_equal(sb_csv_reader_new(NULL, stop_at_two, NULL, &r, &err), SB_OK);
    const char *d = "a\n1\n2\n";
    assert_int_equal(sb_csv_reader_feed(r, d, strlen(d), &err), SB_ERR_INVALID);
    assert_string_equal(err.message, "stop");
    assert_int_equal(sb_csv_reader_finish(r, &err), SB_ERR_INVALID);
    sb_csv_reader_free(r);
}

/* Every line end counts: LF, CRLF (also split between two feeds) and a CR
 * alone, as old spreadsheet exports write; errors say the right line. */
static void cr_only_and_mixed_line_ends(void **state)
{
    (void)state;
    seen s;
    sb_error err;
    const char *cr = "id,q1\r7,1\r\r8,2\r\"a\rb\",3\r9,4";
    const char *cr_want = "1:id|q1\n2:7|1\n4:8|2\n5:a\rb|3\n7:9|4\n";
    const char *mixed = "id,q1\r\n7,1\r8,2\n\n9,3\r\n\r10,4\n";
    const char *mixed_want = "1:id|q1\n2:7|1\n3:8|2\n5:9|3\n7:10|4\n";
    for (size_t chunk = 0; chunk <= 5; chunk++) {
        assert_int_equal(parse(cr, strlen(cr), chunk, NULL, &s, &err), SB_OK);
        assert_string_equal(s.text, cr_want);
        assert_int_equal(parse(mixed, strlen(mixed), chunk, NULL, &s, &err),
                         SB_OK);
        assert_string_equal(s.text, mixed_want);
    }
    const char *bad = "a,b\r1,2\r3\r";
    assert_int_equal(parse(bad, strlen(bad), 1, NULL, &s, &err), SB_ERR_PARSE);
    assert_int_equal(err.line, 3);
    const char *quote = "a,b\r1,2\r3,\"x\"y\r";
    assert_int_equal(parse(quote, strlen(quote), 0, NULL, &s, &err),
                     SB_ERR_PARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "malformed CSV"));
}

/* The single quote the writer puts before formula-like text comes off,
 * exactly one, and only there; numbers and other quotes are left alone. */
static void the_writer_guard_comes_off(void **state)
{
    (void)state;
    seen s;
    sb_error err;
    const char *d = "'=1+1,'-x,'@a,''=b,'-0.5,'plain,',''-3,-3,\"'\t\",\"'\r\"\n";
    assert_int_equal(parse(d, strlen(d), 0, NULL, &s, &err), SB_OK);
    assert_string_equal(s.text,
                        "1:=1+1|-x|@a|'=b|'-0.5|'plain|'|'-3|-3|\t|\r\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordinary_and_chunked),
        cmocka_unit_test(bom_that_is_not),
        cmocka_unit_test(ragged_rows),
        cmocka_unit_test(malformed_quotes),
        cmocka_unit_test(caps_and_nul),
        cmocka_unit_test(callback_stops),
        cmocka_unit_test(cr_only_and_mixed_line_ends),
        cmocka_unit_test(the_writer_guard_comes_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
