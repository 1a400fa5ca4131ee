/* Tests for src/measure/instrument_load.c: validation with file:line:column. */
#include "support.h"

#include <securebase/measure.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD "name: t\ntitle: T\nsource: S (2000)\nkey_source: K\n" \
             "missing_rule: M\nitems: 6\nscale: 1-7\n"

/* Loads `text`; expects failure at line:col with `needle` in the message. */
static void expect_error(const char *text, unsigned long line,
                         unsigned long col, const char *needle)
{
    sb_instrument *inst = (sb_instrument *)1;
    sb_error err;
    sb_error_clear(&err);
    sb_status st = sb_instrument_load_text(text, strlen(text), "t.yaml", &inst, &err);
    if (getenv("SHOW_POS")) fprintf(stderr, "POS %lu:%lu want %lu:%lu %s\n", err.line, err.column, line, col, err.message);
    if (st == SB_OK || !strstr(err.message, needle) || err.line != line ||
        (col && err.column != col))
        fprintf(stderr, "got %d at %lu:%lu: %s\n", st, err.line, err.column,
                err.message);
    assert_int_not_equal(st, SB_OK);
    assert_null(inst);
    assert_string_equal(err.file, "t.yaml");
    if (!getenv("SHOW_POS"))
        assert_int_equal(err.line, line);
    if (col && !getenv("SHOW_POS"))
        assert_int_equal(err.column, col);
    assert_non_null(strstr(err.message, needle));
}

static void minimal_file_loads(void **state)
{
    (void)state;
    const char *text = HEAD "reversed: [2, 4-5]\nsubscales:\n"
                       "  - name: a\n    items: [1-3]\n    max_missing: 2\n"
                       "    higher: worse\n"
                       "  - name: b\n    items: [4, 5, 6]\n    higher: better\n";
    sb_instrument *inst;
    sb_error err;
    assert_int_equal(sb_instrument_load_text(text, strlen(text), "t", &inst, &err), SB_OK);
    assert_int_equal(sb_instrument_score_count(inst), 2);
    assert_true(sb_instrument_item_reversed(inst, 4));
    assert_false(sb_instrument_item_reversed(inst, 3));
    assert_int_equal(sb_instrument_score_direction(inst, 1), SB_HIGHER_BETTER);
    sb_instrument_free(inst);
}

static void structural_errors(void **state)
{
    (void)state;
    expect_error("name: [oops\n", 2, 1, "YAML");
    expect_error("", 1, 1, "empty");
    expect_error("- a\n- b\n", 1, 1, "mapping");
    expect_error(HEAD "colour: red\nsubscales: []\n", 8, 1, "unknown key 'colour'");
    expect_error(HEAD "items: 3\nsubscales: []\n", 8, 1,
                 "duplicate key 'items' (first given at line 6, column 1)");
    expect_error("name: t\ntitle: T\n", 1, 1, "needs 'source'");
    expect_error(HEAD "subscales: []\n", 8, 12, "at least one subscale");
    expect_error("name: T-1\n", 1, 7, "lower-case");
    expect_error("name: t\ntitle: T\nsource: [x]\n", 3, 9, "single value");
    sb_instrument *inst;
    sb_error err;
    const char nul[] = "name: t\0\n";
    assert_int_equal(sb_instrument_load_text(nul, sizeof nul - 1, "t.yaml", &inst, &err),
                     SB_ERR_PARSE);
    assert_non_null(strstr(err.message, "NUL"));
}

/* What the scenario files' YAML reader refuses, instrument files refuse too:
 * anchors and aliases, tags, a second document, deep nesting, too many
 * nodes, too many bytes; each at its file:line:column, and fast. */
static void hostile_yaml_is_refused(void **state)
{
    (void)state;
    expect_error("name: &a t\ntitle: *a\n", 1, 7,
                 "anchors (&a) are not supported in an instrument file");
    expect_error(HEAD "subscales:\n  - {name: a, items: *x, higher: worse}\n",
                 9, 22, "aliases (*x) are not supported");
    /* The alias bomb stops at its first anchor. */
    expect_error("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\n"
                 "c: &c [*b,*b,*b,*b,*b,*b,*b,*b]\n", 1, 4, "anchors (&a)");
    expect_error("name: !!str t\n", 1, 7, "tags (tag:yaml.org,2002:str)");
    expect_error(HEAD "subscales: []\n---\nname: u\n", 9, 1,
                 "an instrument file holds one YAML document");
    expect_error("name: t\nx: [[[[[[[[[1]]]]]]]]]\n", 2, 11,
                 "nested more than 8 levels deep");
    expect_error("name: t\nx:\n - a:\n    - b:\n       - c:\n          - d:\n"
                 "             - e:\n                - f:\n                   - 1\n",
                 6, 13, "nested more than 8 levels deep");

    /* 200 KB of nesting, by brackets and by indentation: refused at the
     * ninth level, long before the end. */
    size_t n = 200 * 1024;
    char *deep = malloc(n + 1);
    assert_non_null(deep);
    memset(deep, '[', n);
    deep[n] = '\0';
    expect_error(deep, 1, 9, "nested more than 8 levels deep");
    size_t o = 0;
    for (int level = 0; o + 64 < n; level++)
        o += (size_t)snprintf(deep + o, n - o, "%*sk%d:\n", level % 2000, "",
                              level);
    expect_error(deep, 9, 9, "nested more than 8 levels deep");

    /* A flat list of 10000 numbers is more nodes than any instrument. */
    o = (size_t)snprintf(deep, n, "name: t\nx: [");
    for (int i = 0; i < 12000; i++)
        o += (size_t)snprintf(deep + o, n - o, "1,");
    snprintf(deep + o, n - o, "1]\n");
    expect_error(deep, 2, 0, "more than 10000 YAML nodes; an instrument file "
                             "is far smaller");
    free(deep);

    /* More than 256 KiB is refused by size, from text or from a file. */
    size_t big = SB_INSTRUMENT_MAX_BYTES + 1;
    char *text = malloc(big + 1);
    assert_non_null(text);
    memset(text, '#', big);
    text[big] = '\0';
    sb_instrument *inst = (sb_instrument *)1;
    sb_error err;
    assert_int_equal(sb_instrument_load_text(text, big, "t.yaml", &inst, &err),
                     SB_ERR_INVALID);
    assert_null(inst);
    assert_non_null(strstr(err.message, "262145 bytes is too large; an "
                                        "instrument file may have at most "
                                        "262144 bytes"));
    char *dir = sb_test_tmpdir();
    char *path = sb_test_write(dir, "big.yaml", text);
    assert_int_equal(sb_instrument_load_file(path, &inst, &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.message, "larger than 262144 bytes, the most an "
                                        "instrument file may have"));
    free(path);
    sb_test_rmtree(dir);
    free(dir);
    free(text);
}

/* Lines and columns count characters, also with CRLF line ends and a
 * byte-order mark. */
static void crlf_and_byte_order_mark(void **state)
{
    (void)state;
    expect_error("\xef\xbb\xbfname: t\r\ntitle: T\r\nsource: [x]\r\n", 3, 9,
                 "single value");
}

static void value_errors(void **state)
{
    (void)state;
    expect_error("name: t\ntitle: T\nsource: S\nkey_source: K\nmissing_rule: M\n"
                 "items: many\n", 6, 8, "whole number");
    expect_error("name: t\ntitle: T\nsource: S\nkey_source: K\nmissing_rule: M\n"
                 "items: 0\n", 6, 8, "1..512");
    expect_error("name: t\ntitle: T\nsource: S\nkey_source: K\nmissing_rule: M\n"
                 "items: 6\nscale: 7-1\n", 7, 8, "MIN-MAX");
    expect_error("name: t\ntitle: T\nsource: S\nkey_source: K\nmissing_rule: M\n"
                 "items: 6\nscale: 1-+7\n", 7, 8, "got '1-+7'");
    expect_error(HEAD "subscales:\n  - {name: a, items: [1-7], higher: worse}\n",
                 9, 23, "item 7 is outside");
    expect_error(HEAD "subscales:\n  - {name: a, items: [1-3], higher: worse}\n"
                 "  - {name: b, items: [3-4], higher: worse}\n",
                 10, 23, "item 3 is listed more than once");
    expect_error(HEAD "subscales:\n  - {name: a, items: [1, 1], higher: worse}\n",
                 9, 26, "item 1 is listed more than once");
    expect_error(HEAD "reversed: [0]\nsubscales:\n  - {name: a, items: [1], higher: worse}\n",
                 8, 12, "item 0 is outside");
    expect_error(HEAD "reversed: [9]\nsubscales:\n  - {name: a, items: [1], higher: worse}\n",
                 8, 12, "item 9 is outside");
    expect_error(HEAD "reversed: [3-x]\nsubscales: []\n", 8, 12, "not an item number");
    expect_error(HEAD "reversed: [5-3]\nsubscales: []\n", 8, 12, "backwards");
    expect_error(HEAD "subscales:\n  - {name: a, items: [1-3], max_missing: 3, higher: worse}\n",
                 9, 42, "0..2");
    expect_error(HEAD "subscales:\n  - {name: a, items: [1], higher: up}\n",
                 9, 35, "'worse' or 'better'");
    expect_error(HEAD "subscales:\n  - {name: a, items: [1], higher: worse}\n"
                 "  - {name: a, items: [2], higher: worse}\n", 10, 12, "declared twice");
    expect_error(HEAD "scoring: median\nsubscales: []\n", 8, 10, "'mean' or 'sum'");
}

static void norms_and_reliability_errors(void **state)
{
    (void)state;
    expect_error(HEAD "subscales:\n  - name: a\n    items: [1]\n    higher: worse\n"
                 "    reliability:\n      - {kind: alpha, value: 1.2, scale: 1-7, "
                 "sample: s, source: x}\n", 13, 30, "0..0.999");
    expect_error(HEAD "subscales:\n  - name: a\n    items: [1]\n    higher: worse\n"
                 "    reliability:\n      - {kind: omega, value: 0.8, scale: 1-7, "
                 "sample: s, source: x}\n", 13, 16, "'alpha' or 'retest'");
    expect_error(HEAD "subscales:\n  - name: a\n    items: [1]\n    higher: worse\n"
                 "    norms:\n      - {population: functional, mean: 3, sd: 0, "
                 "scale: 1-7, sample: s, source: x}\n", 13, 47, "sd must be");
    expect_error(HEAD "subscales:\n  - name: a\n    items: [1]\n    higher: worse\n"
                 "    norms:\n      - {population: clinic, mean: 3, sd: 1, "
                 "scale: 1-7, sample: s, source: x}\n", 13, 22, "population");
    expect_error(HEAD "subscales:\n  - name: a\n    items: [1]\n    higher: worse\n"
                 "    norms:\n      - {population: functional, mean: 3, sd: 1, "
                 "scale: 1-7, sample: s}\n", 13, 9, "needs 'source'");
}

static void derived_and_category_errors(void **state)
{
    (void)state;
    const char *subs = "subscales:\n  - {name: a, items: [1-3], higher: worse}\n"
                       "  - {name: b, items: [4-6], higher: worse}\n";
    char buf[2048];
    snprintf(buf, sizeof buf, HEAD "%sderived:\n  - {name: d, plus: [a, c], "
             "higher: worse, source: s}\n", subs);
    expect_error(buf, 12, 25, "no score named 'c'");
    snprintf(buf, sizeof buf, HEAD "%sderived:\n  - {name: d, plus: [a], minus: [a], "
             "higher: worse, source: s}\n", subs);
    expect_error(buf, 12, 33, "both in plus and minus");
    snprintf(buf, sizeof buf, HEAD "%sderived:\n  - {name: d, mean_over_targets: a, "
             "higher: worse, source: s}\n", subs);
    expect_error(buf, 12, 34, "needs 'targets'");
    snprintf(buf, sizeof buf, HEAD "%sderived:\n  - {name: a, plus: [b], "
             "higher: worse, source: s}\n", subs);
    expect_error(buf, 12, 12, "already a subscale");
    snprintf(buf, sizeof buf, HEAD "%scategory:\n  method: fisher\n  scale: 1-7\n"
             "  source: s\n  functions:\n    - {name: x, constant: 1, weights: {a: 1}}\n"
             "    - {name: y, constant: 1, weights: {zz: 1}}\n", subs);
    expect_error(buf, 17, 40, "no score named 'zz'");
    snprintf(buf, sizeof buf, HEAD "%scategory:\n  method: fisher\n  scale: 1-7\n"
             "  source: s\n  functions:\n    - {name: x, constant: 1, weights: {a: 1}}\n",
             subs);
    expect_error(buf, 16, 5, "at least two functions");
    snprintf(buf, sizeof buf, HEAD "%scategory:\n  method: vote\n  source: s\n", subs);
    expect_error(buf, 12, 11, "'fisher' or 'highest'");
    snprintf(buf, sizeof buf, HEAD "%scategory:\n  method: highest\n  source: s\n"
             "  of: [a]\n", subs);
    expect_error(buf, 14, 7, "at least two");
}

static void targets_and_columns(void **state)
{
    (void)state;
    expect_error(HEAD "targets: [mum, mum]\nsubscales: []\n", 8, 16, "listed twice");
    expect_error(HEAD "targets: [mum]\nsubscales: []\n", 8, 10, "at least two");
    expect_error(HEAD "columns: 'x_{target}'\nsubscales:\n"
                 "  - {name: a, items: [1], higher: worse}\n", 8, 10, "{n}");
    expect_error(HEAD "targets: [mum, dad]\ncolumns: 'x_{n}'\nsubscales:\n"
                 "  - {name: a, items: [1], higher: worse}\n", 9, 10, "{target}");
    const char *ok = HEAD "targets: [mum, dad]\ncolumns: '{target}{n}'\nsubscales:\n"
                     "  - {name: a, items: [1-6], higher: worse}\n";
    sb_instrument *inst;
    sb_error err;
    assert_int_equal(sb_instrument_load_text(ok, strlen(ok), "t", &inst, &err), SB_OK);
    assert_string_equal(sb_instrument_score_name(inst, 1), "dad_a");
    sb_instrument_free(inst);
}

/* Figures published for some relationships only carry `targets`. */
static void figures_per_target(void **state)
{
    (void)state;
#define RS HEAD "targets: [mum, dad, pal]\nsubscales:\n  - name: a\n" \
           "    items: [1-6]\n    higher: worse\n"
    const char *ok = RS
        "    reliability:\n"
        "      - {kind: alpha, value: 0.9, scale: 1-7, sample: s, source: x}\n"
        "      - {kind: retest, value: 0.7, scale: 1-7, targets: [pal], "
        "sample: s, source: x}\n"
        "    norms:\n"
        "      - {population: functional, mean: 2, sd: 1, scale: 1-7, "
        "targets: [mum, dad], sample: s, source: x}\n";
    sb_instrument *inst;
    sb_error err;
    assert_int_equal(sb_instrument_load_text(ok, strlen(ok), "t", &inst, &err), SB_OK);
    sb_scale seven = {1, 7};
    /* mum_a and dad_a: alpha only, and the norms; pal_a: its retest figure,
     * no norms */
    assert_float_equal(sb_instrument_reliability(inst, 0, seven)->value, 0.9, 0);
    assert_float_equal(sb_instrument_reliability(inst, 1, seven)->value, 0.9, 0);
    assert_float_equal(sb_instrument_reliability(inst, 2, seven)->value, 0.7, 0);
    assert_non_null(sb_instrument_norm(inst, 0, seven, 0));
    assert_non_null(sb_instrument_norm(inst, 1, seven, 0));
    assert_null(sb_instrument_norm(inst, 2, seven, 0));
    assert_int_equal(sb_instrument_norm(inst, 1, seven, 0)->targets, 3u);
    sb_instrument_free(inst);

    expect_error(RS "    reliability:\n      - {kind: alpha, value: 0.9, scale: 1-7, "
                 "targets: [gran], sample: s, source: x}\n",
                 14, 57, "'gran' is not one of the instrument's targets");
    expect_error(RS "    reliability:\n      - {kind: alpha, value: 0.9, scale: 1-7, "
                 "targets: [pal, pal], sample: s, source: x}\n",
                 14, 62, "'pal' is listed twice");
    expect_error(RS "    norms:\n      - {population: functional, mean: 2, sd: 1, "
                 "scale: 1-7, targets: [], sample: s, source: x}\n",
                 14, 71, "at least one relationship");
    expect_error(RS "    norms:\n      - {population: functional, mean: 2, sd: 1, "
                 "scale: 1-7, targets: pal, sample: s, source: x}\n",
                 14, 71, "must be a list");
    /* no targets in the instrument: nothing to narrow to */
    expect_error(HEAD "subscales:\n  - name: a\n    items: [1]\n    higher: worse\n"
                 "    reliability:\n      - {kind: alpha, value: 0.8, scale: 1-7, "
                 "targets: [mum], sample: s, source: x}\n", 13, 56,
                 "only narrow a subscale's figures");
    /* a derived score spans every relationship */
    expect_error(RS "derived:\n  - name: g\n    mean_over_targets: a\n"
                 "    higher: worse\n    source: s\n    reliability:\n"
                 "      - {kind: alpha, value: 0.8, scale: 1-7, targets: [mum], "
                 "sample: s, source: x}\n", 19, 56, "only narrow a subscale's figures");
#undef RS
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minimal_file_loads),
        cmocka_unit_test(structural_errors),
        cmocka_unit_test(hostile_yaml_is_refused),
        cmocka_unit_test(crlf_and_byte_order_mark),
        cmocka_unit_test(value_errors),
        cmocka_unit_test(norms_and_reliability_errors),
        cmocka_unit_test(derived_and_category_errors),
        cmocka_unit_test(targets_and_columns),
        cmocka_unit_test(figures_per_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
