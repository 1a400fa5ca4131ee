/*
 * Tests for src/base/csv_writer.c: quoting only where a reader needs it,
 * formula-like text neutralised (OWASP's leading single quote) without
 * touching numbers, and every text reading back unchanged through the CSV
 * reader.
 */
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes one row of text cells to a memory stream; caller frees. */
static char *row_of(const char *const *cells, size_t n)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    sb_csv_writer w;
    sb_csv_writer_init(&w, f);
    for (size_t i = 0; i < n; i++)
        sb_csv_text(&w, cells[i]);
    sb_csv_end_row(&w);
    assert_int_equal(sb_csv_writer_status(&w), 0);
    fclose(f);
    return buf;
}

static char *cell_of(const char *text)
{
    return row_of(&text, 1);
}

static void expect_cell(const char *text, const char *written)
{
    char *got = cell_of(text);
    char want[256];
    snprintf(want, sizeof want, "%s\n", written);
    if (strcmp(got, want)) {
        print_error("text [%s] written as [%s], expected [%s]\n", text, got,
                    want);
        fail();
    }
    free(got);
}

static void quotes_only_when_a_reader_needs_it(void **state)
{
    (void)state;
    expect_cell("plain", "plain");
    expect_cell("", "");
    expect_cell("a,b", "\"a,b\"");
    expect_cell("say \"x\"", "\"say \"\"x\"\"\"");
    expect_cell("two\nlines", "\"two\nlines\"");
    expect_cell(" padded ", "\" padded \"");
    expect_cell("tab\t", "\"tab\t\"");
    expect_cell("it's", "it's");
    /* U+FEFF first in a file would be read as a byte-order mark. */
    expect_cell("\xEF\xBB\xBFx", "\"\xEF\xBB\xBFx\"");
    const char *cells[] = {"a", "", "c"};
    char *row = row_of(cells, 3);
    assert_string_equal(row, "a,,c\n");
    free(row);
}

static void formula_like_text_is_neutralised(void **state)
{
    (void)state;
    expect_cell("=1+1", "'=1+1");
    expect_cell("=HYPERLINK(\"http://x\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    expect_cell("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0");
    expect_cell("-2+3+cmd", "'-2+3+cmd");
    expect_cell("@SUM(A1:A9)", "'@SUM(A1:A9)");
    expect_cell("\tx", "'\tx");
    expect_cell("\rx", "\"'\rx\"");
    expect_cell("-", "'-");
    expect_cell("=", "'=");
    expect_cell("-inf", "'-inf");
    expect_cell("-1,2", "\"'-1,2\"");
    /* Numbers, as text or not, stay numbers. */
    expect_cell("-0.5", "-0.5");
    expect_cell("-3", "-3");
    expect_cell("+1", "+1");
    expect_cell("-.5", "-.5");
    expect_cell("-1e-5", "-1e-5");
    expect_cell("2026-01-05", "2026-01-05");
    /* Text that already starts with quotes before such a character gets one
     * more, so that the reader's one quote off gives it back. */
    expect_cell("'=x", "''=x");
    expect_cell("''@x", "'''@x");
    expect_cell("'-0.5", "''-0.5");
    expect_cell("'plain", "'plain");
    expect_cell("'", "'");
    /* A formula character later in the text is harmless. */
    expect_cell("a=b", "a=b");
    expect_cell(" =x", "\" =x\"");
}

static void numbers_are_written_as_numbers(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    sb_csv_writer w;
    sb_csv_writer_init(&w, f);
    sb_csv_number(&w, -0.5, 4);
    sb_csv_number(&w, NAN, 4);
    sb_csv_number(&w, INFINITY, 4);
    sb_csv_number(&w, -INFINITY, 4);
    sb_csv_number(&w, 2.0 / 3.0, 2);
    sb_csv_integer(&w, -7);
    sb_csv_end_row(&w);
    sb_csv_integer(&w, 12);
    sb_csv_end_row(&w);
    fclose(f);
    assert_string_equal(buf, "-0.5000,,inf,-inf,0.67,-7\n12\n");
    free(buf);
}

static void a_failed_write_is_reported(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    assert_non_null(f);
    setvbuf(f, NULL, _IONBF, 0);
    sb_csv_writer w;
    sb_csv_writer_init(&w, f);
    sb_csv_text(&w, "x");
    sb_csv_end_row(&w);
    assert_int_equal(sb_csv_writer_status(&w), -1);
    fclose(f);
}

typedef struct collected {
    char *cells[64];
    size_t count;
} collected;

static sb_status collect(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    (void)err;
    collected *c = ctx;
    for (size_t i = 0; i < rec->count && c->count < 64; i++)
        c->cells[c->count++] = strdup(rec->field[i]);
    return SB_OK;
}

/* Reads `text` as CSV into `got`; the reader must accept it. */
static void read_back(const char *text, collected *got)
{
    sb_csv_reader *r;
    sb_error err;
    sb_csv_options o = {.origin = "t.csv", .allow_ragged = 1};
    assert_int_equal(sb_csv_reader_new(&o, collect, got, &r, &err), SB_OK);
    assert_int_equal(sb_csv_reader_feed(r, text, strlen(text), &err), SB_OK);
    assert_int_equal(sb_csv_reader_finish(r, &err), SB_OK);
    sb_csv_reader_free(r);
}

/* Whatever the text, the reader gives back exactly what was written. */
static void every_text_reads_back_unchanged(void **state)
{
    (void)state;
    static const char *const starts[] = {"", "'", "''", "'''", " "};
    static const char *const firsts[] = {"=", "+", "-", "@", "\t", "\r", "",
                                         "a", "\"", ",", "\xEF\xBB\xBF"};
    static const char *const rests[] = {"", "0.5", "3", "x", "1+1", " y ",
                                        "\n", "'"};
    const size_t ns = sizeof starts / sizeof *starts,
                 nf = sizeof firsts / sizeof *firsts,
                 nr = sizeof rests / sizeof *rests;
    char texts[500][16];
    const char *cells[500];
    size_t n = 0;
    for (size_t a = 0; a < ns; a++)
        for (size_t b = 0; b < nf; b++)
            for (size_t c = 0; c < nr; c++) {
                snprintf(texts[n], sizeof texts[n], "%s%s%s", starts[a],
                         firsts[b], rests[c]);
                cells[n] = texts[n];
                n++;
            }
    /* A row of 64 cells at most per record; a first column keeps rows from
     * being blank. */
    for (size_t from = 0; from < n; from += 63) {
        size_t k = n - from < 63 ? n - from : 63;
        const char *row[64] = {"row"};
        for (size_t i = 0; i < k; i++)
            row[i + 1] = cells[from + i];
        char *text = row_of(row, k + 1);
        collected got = {{NULL}, 0};
        read_back(text, &got);
        assert_int_equal(got.count, k + 1);
        for (size_t i = 0; i < k; i++) {
            if (strcmp(got.cells[i + 1], row[i + 1])) {
                print_error("[%s] read back as [%s] from %s\n", row[i + 1],
                            got.cells[i + 1], text);
                fail();
            }
        }
        for (size_t i = 0; i < got.count; i++)
            free(got.cells[i]);
        free(text);
    }
    /* Each text alone, first in its file (an empty one is no row). */
    for (size_t i = 0; i < n; i++) {
        if (!cells[i][0])
            continue;
        char *text = row_of(&cells[i], 1);
        collected got = {{NULL}, 0};
        read_back(text, &got);
        if (got.count != 1 || strcmp(got.cells[0], cells[i])) {
            print_error("[%s] alone read back as [%s]\n", cells[i],
                        got.count ? got.cells[0] : "(nothing)");
            fail();
        }
        free(got.cells[0]);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quotes_only_when_a_reader_needs_it),
        cmocka_unit_test(formula_like_text_is_neutralised),
        cmocka_unit_test(numbers_are_written_as_numbers),
        cmocka_unit_test(a_failed_write_is_reported),
        cmocka_unit_test(every_text_reads_back_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
