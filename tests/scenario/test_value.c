/*
 * Tests for src/scenario/value.c: which scalars are numbers, whole numbers,
 * booleans, enum names, names and printable text, and which are refused.
 */
#include "scenario/expect.h"

#include "scenario/load.h"
#include "scenario/value.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Parses "v: TEXT" and returns the tree; the value is root->kids[1]. */
static sb__ynode *parse_value(const char *yaml_value)
{
    char text[256];
    snprintf(text, sizeof text, "v: %s\n", yaml_value);
    sb__ynode *root;
    sb_error err;
    if (sb__ytree_parse(text, strlen(text), "v.yaml", &sb__scenario_yaml_limits,
                        &root, &err) != SB_OK) {
        print_error("cannot parse %s: %s\n", text, err.message);
        fail();
    }
    return root;
}

static sb_status get_double(const char *yaml_value, double *out, sb_error *err)
{
    sb__ynode *root = parse_value(yaml_value);
    const sb__yctx c = {"v.yaml", err};
    sb_status st = sb__yget_double(&c, root->kids[1], "v", -1e300, 1e300, out);
    sb__ytree_free(root);
    return st;
}

static sb_status get_int(const char *yaml_value, int *out, sb_error *err)
{
    sb__ynode *root = parse_value(yaml_value);
    const sb__yctx c = {"v.yaml", err};
    sb_status st = sb__yget_int(&c, root->kids[1], "v", -100, 100, out);
    sb__ytree_free(root);
    return st;
}

/*
 * A number too close to 0 for a double is refused, like one too large:
 * "1e-400" would silently become 0, "1e-310" or "3e-324" a subnormal that
 * keeps fewer digits than were written. Zero in any form is fine, and so is
 * a subnormal written with all the digits it holds.
 */
static void numbers_that_underflow_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *says;
    } tiny[] = {{"1e-400", "it would become 0;"},
                {"-1e-400", "it would become 0;"},
                {"1e-99999999999999999999", "it would become 0;"},
                {"0.000001e-303", "to be held to full precision"},
                {"1e-310", "to be held to full precision"},
                {"3e-324", "it would become 4.9406564584124654e-324"},
                {"5e-324", "to be held to full precision"}};
    sb_error err;
    for (size_t i = 0; i < sizeof tiny / sizeof tiny[0]; i++) {
        double v = -99;
        if (get_double(tiny[i].text, &v, &err) != SB_ERR_INVALID) {
            print_error("%s was accepted as %g\n", tiny[i].text, v);
            fail();
        }
        assert_true(v == -99);
        char phrase[128];
        snprintf(phrase, sizeof phrase, "v is %s, too close to 0", tiny[i].text);
        expect_phrases(&err, PHRASES(phrase, tiny[i].says));
        assert_int_equal(err.line, 1);
        assert_int_equal(err.column, 4);
    }
    double v;
    assert_int_equal(get_double("4.9406564584124654e-324", &v, &err), SB_OK);
    assert_true(v == 4.9406564584124654e-324);
    assert_int_equal(get_double("2.2250738585072014e-308", &v, &err), SB_OK);
    assert_true(v == DBL_MIN);
}

static void decimal_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double value;
    } good[] = {{"1", 1},       {"-1", -1},      {"+2", 2},
                {".5", 0.5},    {"5.", 5},       {"0.25", 0.25},
                {"1e3", 1000},  {"1E-3", 0.001}, {"2.5e+2", 250},
                {"-0", 0},      {"007", 7},      {"0e-400", 0},
                {"-0.000e-999", 0}, {"2.3e-308", 2.3e-308}};
    sb_error err;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double v = -99;
        if (get_double(good[i].text, &v, &err) != SB_OK) {
            print_error("%s: %s\n", good[i].text, err.message);
            fail();
        }
        assert_true(v == good[i].value);
    }
    static const char *const bad[] = {
        "e3",   ".",      "-.",    "1e",    "1e+",   "0x10", "1_000",
        "inf",  "-inf",   ".inf",  "nan",   ".NaN",  "1.2.3", "1 2",
        "\"1\"", "'1'",   "true",  "~",     "[1]",   "{a: 1}", "\"\"",
        "12abc", "1d",    "+-1",   "\\u0031"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = -99;
        if (get_double(bad[i], &v, &err) != SB_ERR_INVALID) {
            print_error("%s was accepted as %g\n", bad[i], v);
            fail();
        }
        assert_true(v == -99);
        assert_non_null(strstr(err.message, "v: expected a number, got "));
        assert_int_equal(err.line, 1);
        assert_int_equal(err.column, 4);
    }
    double v = 0;
    assert_int_equal(get_double("1e301", &v, &err), SB_ERR_INVALID);
    assert_string_equal(err.message, "v is 1e301; allowed -1e+300..1e+300");
    assert_int_equal(get_double("1e309", &v, &err), SB_ERR_INVALID);
    assert_string_equal(err.message, "v is 1e309; allowed -1e+300..1e+300");
}

static void whole_numbers(void **state)
{
    (void)state;
    sb_error err;
    int v = 0;
    assert_int_equal(get_int("42", &v, &err), SB_OK);
    assert_int_equal(v, 42);
    assert_int_equal(get_int("-1", &v, &err), SB_OK);
    assert_int_equal(v, -1);
    assert_int_equal(get_int("+100", &v, &err), SB_OK);
    assert_int_equal(v, 100);
    static const char *const bad[] = {"1.0", "1e2", "0x1", ".5", "1.", "--1",
                                      "\"3\"", "three", "", "+"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = -7;
        assert_int_equal(get_int(bad[i], &v, &err), SB_ERR_INVALID);
        assert_int_equal(v, -7);
        assert_non_null(strstr(err.message, "expected a whole number"));
    }
    assert_int_equal(get_int("101", &v, &err), SB_ERR_INVALID);
    assert_string_equal(err.message, "v is 101; allowed -100..100");
    assert_int_equal(get_int("99999999999999999999999", &v, &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "v is 99999999999999999999999; allowed -100..100");
}

static void booleans_and_enums(void **state)
{
    (void)state;
    sb_error err;
    const sb__yctx c = {"v.yaml", &err};
    static const char *const yes_no[] = {"true", "false"};
    for (int i = 0; i < 2; i++) {
        sb__ynode *root = parse_value(yes_no[i]);
        int v = -1;
        assert_int_equal(sb__yget_bool(&c, root->kids[1], "v", &v), SB_OK);
        assert_int_equal(v, i == 0);
        sb__ytree_free(root);
    }
    static const char *const bad[] = {"yes", "no", "on", "True", "FALSE",
                                      "1", "0", "\"true\"", "y"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sb__ynode *root = parse_value(bad[i]);
        int v = -1;
        assert_int_equal(sb__yget_bool(&c, root->kids[1], "v", &v),
                         SB_ERR_INVALID);
        assert_int_equal(v, -1);
        assert_non_null(strstr(err.message, "v: expected true or false"));
        sb__ytree_free(root);
    }
    static const char *const colours[] = {"red", "green", NULL};
    sb__ynode *root = parse_value("green");
    int v = -1;
    assert_int_equal(sb__yget_enum(&c, root->kids[1], "v", colours, &v), SB_OK);
    assert_int_equal(v, 1);
    sb__ytree_free(root);
    root = parse_value("Green");
    assert_int_equal(sb__yget_enum(&c, root->kids[1], "v", colours, &v),
                     SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "v: expected one of red, green, got 'Green'; did you "
                        "mean 'green'?");
    sb__ytree_free(root);
}

static void names(void **state)
{
    (void)state;
    static const char *const good[] = {"a", "therapy+support", "x.y_z-1",
                                       "9lives", "A"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(sb__text_is_name(good[i], strlen(good[i])));
    static const char *const bad[] = {"", "-a", ".hidden", "a b", "a/b",
                                      "caf\xc3\xa9", "a:b", "a\"", "+x",
                                      "_x", "a\\b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(sb__text_is_name(bad[i], strlen(bad[i])));
    assert_false(sb__text_is_name("a\0b", 3));
}

static void printable_text(void **state)
{
    (void)state;
    static const char *const good[] = {
        "", "plain text", "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac",
        "\xf0\x9f\x99\x82", "quotes \" and \\ too", "\xc2\xa0nbsp"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(sb__text_is_printable(good[i], strlen(good[i])));
    static const char *const bad[] = {
        "tab\there", "new\nline", "cr\r", "del\x7f", "\x1b[0m",
        "\xc3",              /* cut short */
        "\xc0\x80",          /* overlong NUL */
        "\xe0\x80\xaf",      /* overlong '/' */
        "\xed\xa0\x80",      /* a surrogate */
        "\xef\xbb\xbf",      /* byte-order mark */
        "\xc2\x85",          /* next line (a YAML line break) */
        "\xc2\x9f",          /* a C1 control */
        "\xf4\x90\x80\x80",  /* beyond U+10FFFF */
        "\xef\xbf\xbe",      /* U+FFFE */
        "\xff", "\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (sb__text_is_printable(bad[i], strlen(bad[i]))) {
            print_error("case %zu was accepted\n", i);
            fail();
        }
    }
    assert_false(sb__text_is_printable("a\0b", 3));
}

static void strings_fit_and_are_zero_filled(void **state)
{
    (void)state;
    sb_error err;
    const sb__yctx c = {"v.yaml", &err};
    char out[8];
    memset(out, 'Z', sizeof out);
    sb__ynode *root = parse_value("\"abc\"");
    assert_int_equal(sb__yget_string(&c, root->kids[1], "v", sizeof out, 0, out),
                     SB_OK);
    assert_memory_equal(out, "abc\0\0\0\0\0", 8);
    sb__ytree_free(root);
    root = parse_value("abcdefgh");
    memset(out, 'Z', sizeof out);
    assert_int_equal(sb__yget_string(&c, root->kids[1], "v", sizeof out, 0, out),
                     SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "v is 8 bytes long; at most 7 are allowed");
    assert_int_equal(out[0], 'Z');
    sb__ytree_free(root);
}

static void distances_for_hints(void **state)
{
    (void)state;
    assert_int_equal(sb__text_distance("pull", 4, "pull"), 0);
    assert_int_equal(sb__text_distance("pul", 3, "pull"), 1);
    assert_int_equal(sb__text_distance("attendence", 10, "attendance"), 1);
    assert_int_equal(sb__text_distance("clinicl", 7, "clinical"), 1);
    assert_int_equal(sb__text_distance("", 0, "abc"), 3);
    assert_int_equal(sb__text_distance("kitten", 6, "sitting"), 3);
    char long_text[60];
    memset(long_text, 'a', sizeof long_text);
    assert_true(sb__text_distance(long_text, sizeof long_text, "a") ==
                (size_t)-1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimal_numbers),
        cmocka_unit_test(numbers_that_underflow_are_refused),
        cmocka_unit_test(whole_numbers),
        cmocka_unit_test(booleans_and_enums),
        cmocka_unit_test(names),
        cmocka_unit_test(printable_text),
        cmocka_unit_test(strings_fit_and_are_zero_filled),
        cmocka_unit_test(distances_for_hints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
