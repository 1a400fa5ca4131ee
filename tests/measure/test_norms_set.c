/*
 * Tests for src/measure/norms_set.c: norms files of several instruments,
 * each read for the instrument its rows name; a second file for one
 * instrument, an unknown instrument and a bad file refused with the file,
 * line, column and value; norms found only for the instrument they were
 * read for.
 */
#include "support.h"

#include <securebase/measure.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER \
    "instrument,score,scale,population,n,mean,sd,alpha,alpha_n,date,source\n"

static const char ecr_r[] =
    HEADER
    "ecr-r,anxiety,1-7,clinical,212,4.1,1.1,0.93,205,2026-03-01,intake\n"
    "ecr-r,avoidance,1-7,clinical,212,3.6,1.2,0.80,207,2026-03-01,intake\n";

static const char ecr_s[] =
    HEADER
    "ecr-s,anxiety,1-7,general,90,3.2,1.0,,,2025-11-30,spring cohort\n"
    "ecr-s,avoidance,1-7,general,88,2.9,1.1,,,2025-11-30,spring cohort\n";

static sb_instrument *builtin(const char *name)
{
    sb_instrument *inst;
    assert_int_equal(sb_instrument_builtin(name, &inst, NULL), SB_OK);
    return inst;
}

static void one_file_per_instrument(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *a = sb_test_write(dir, "a.csv", ecr_r);
    char *b = sb_test_write(dir, "b.csv", ecr_s);
    sb_norms_set *set;
    sb_error err;
    assert_int_equal(sb_norms_set_new(&set, &err), SB_OK);
    assert_int_equal(sb_norms_set_count(set), 0);
    assert_int_equal(sb_norms_set_add_file(set, a, NULL, &err), SB_OK);
    assert_int_equal(sb_norms_set_add_file(set, b, NULL, &err), SB_OK);
    assert_int_equal(sb_norms_set_count(set), 2);
    assert_string_equal(sb_norms_set_path(set, 1), b);

    sb_instrument *r = builtin("ecr-r"), *s = builtin("ecr-s"),
                  *e = builtin("ecr");
    const sb_norms *nr = sb_norms_set_find(set, r);
    assert_ptr_equal(nr, sb_norms_set_get(set, 0));
    assert_ptr_equal(sb_norms_set_find(set, s), sb_norms_set_get(set, 1));
    assert_null(sb_norms_set_find(set, e));
    assert_null(sb_norms_set_find(NULL, r));
    assert_string_equal(sb_instrument_name(sb_norms_instrument(nr)), "ecr-r");
    /* the figures as read, for the instrument's own score order */
    sb_norms_entry en;
    sb_norms_entry_get(nr, 0, &en);
    assert_string_equal(sb_instrument_score_name(r, 0), "anxiety");
    assert_near(en.sd, 1.1, 1e-12);
    assert_near(en.alpha, 0.93, 1e-12);

    char text[400];
    sb_norms_describe(nr, text, sizeof text);
    assert_string_equal(text, "local norms of ecr-r (clinical sample, "
                              "N = 212, 2026-03-01, intake)");
    sb_norms_describe(sb_norms_set_get(set, 1), text, sizeof text);
    assert_string_equal(text, "local norms of ecr-s (general sample, "
                              "N = 88-90, 2025-11-30, spring cohort)");

    /* A second file for the ECR-R: which figures a page showed would be
     * unclear, so it is refused, naming both files. */
    char *again = sb_test_write(dir, "again.csv", ecr_r);
    assert_int_equal(sb_norms_set_add_file(set, again, NULL, &err),
                     SB_ERR_INVALID);
    expect_error_at(&err, again, 2, 1,
                    PHRASES("column 'instrument'", "'ecr-r'",
                            "already given in", a,
                            "one norms file per instrument"));
    assert_int_equal(sb_norms_set_count(set), 2);

    sb_instrument_free(r);
    sb_instrument_free(s);
    sb_instrument_free(e);
    sb_norms_set_free(set);
    free(a);
    free(b);
    free(again);
    sb_test_rmtree(dir);
    free(dir);
}

static void refused(const char *dir, const char *name, const char *text,
                    unsigned long line, unsigned long column,
                    const char *const *phrases)
{
    char *path = sb_test_write(dir, name, text);
    sb_norms_set *set;
    sb_error err;
    assert_int_equal(sb_norms_set_new(&set, &err), SB_OK);
    assert_int_not_equal(sb_norms_set_add_file(set, path, NULL, &err), SB_OK);
    expect_error_at(&err, path, line, column, phrases);
    assert_int_equal(sb_norms_set_count(set), 0);
    sb_norms_set_free(set);
    free(path);
}

static void bad_files(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    refused(dir, "unknown.csv",
            HEADER "xyz,anxiety,1-7,clinical,20,4,1,0.9,20,2026-03-01,i\n",
            2, 1, PHRASES("column 'instrument'", "'xyz'",
                          "not a built-in instrument"));
    refused(dir, "sd.csv",
            HEADER "ecr-r,anxiety,1-7,clinical,20,4,1,0.9,20,2026-03-01,i\n"
                   "ecr-r,avoidance,1-7,clinical,20,4,0,0.9,20,2026-03-01,i\n",
            3, 7, PHRASES("column 'sd'", "'0'", "not an SD above 0"));
    refused(dir, "header.csv", "instrument,score\necr-r,anxiety\n", 1, 0,
            PHRASES("not a norms file"));
    refused(dir, "empty.csv", "", 0, 0, PHRASES("empty"));
    refused(dir, "norows.csv", HEADER, 0, 0, PHRASES("no rows of figures"));
    refused(dir, "name.csv",
            HEADER ",anxiety,1-7,clinical,20,4,1,0.9,20,2026-03-01,i\n", 2, 1,
            PHRASES("column 'instrument'", "not an instrument name"));
    /* rows of two instruments in one file */
    refused(dir, "mixed.csv",
            HEADER "ecr-r,anxiety,1-7,clinical,20,4,1,0.9,20,2026-03-01,i\n"
                   "ecr-s,anxiety,1-7,clinical,20,4,1,0.9,20,2026-03-01,i\n",
            3, 1, PHRASES("these norms are for 'ecr-s'"));
    /* a file that is not there */
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/missing.csv", dir);
    sb_norms_set *set;
    sb_error err;
    assert_int_equal(sb_norms_set_new(&set, &err), SB_OK);
    assert_int_equal(sb_norms_set_add_file(set, missing, NULL, &err),
                     SB_ERR_IO);
    assert_string_equal(err.file, missing);
    sb_norms_set_free(set);
    sb_test_rmtree(dir);
    free(dir);
}

/* An instrument given by file: norms of its name are read for it, and are
 * found for it only, not for a built-in one of another shape. */
static void a_known_instrument(void **state)
{
    (void)state;
    static const char yaml[] =
        "name: ecr-r\ntitle: T\nsource: s\nitems: 4\nscale: 1-5\n"
        "key_source: k\nmissing_rule: m\nsubscales:\n"
        "  - {name: closeness, items: [1-4], higher: worse}\n";
    sb_instrument *own;
    sb_error err;
    assert_int_equal(sb_instrument_load_text(yaml, strlen(yaml), "own.yaml",
                                             &own, &err), SB_OK);
    char *dir = sb_test_tmpdir();
    char *path = sb_test_write(dir, "own.csv",
        HEADER "ecr-r,closeness,1-5,clinical,30,3,0.7,0.85,30,2026-01-02,x\n");
    sb_norms_set *set;
    assert_int_equal(sb_norms_set_new(&set, &err), SB_OK);
    assert_int_equal(sb_norms_set_add_file(set, path, own, &err), SB_OK);
    assert_ptr_equal(sb_norms_set_find(set, own), sb_norms_set_get(set, 0));
    sb_instrument *r = builtin("ecr-r");
    assert_null(sb_norms_set_find(set, r));
    sb_norms_set_free(set);
    /* without it, the built-in ECR-R has no score 'closeness' */
    assert_int_equal(sb_norms_set_new(&set, &err), SB_OK);
    assert_int_equal(sb_norms_set_add_file(set, path, NULL, &err),
                     SB_ERR_INVALID);
    expect_error_at(&err, path, 2, 2,
                    PHRASES("'closeness' is not a score of the instrument"));
    sb_norms_set_free(set);
    sb_instrument_free(r);
    sb_instrument_free(own);
    free(path);
    sb_test_rmtree(dir);
    free(dir);
}

/* The instrument named by the first row, past a byte-order mark and CRLF
 * line ends. */
static void the_instrument_a_text_names(void **state)
{
    (void)state;
    static const char text[] =
        "\xEF\xBB\xBFinstrument,score,scale,population,n,mean,sd,alpha,"
        "alpha_n,date,source\r\n"
        "\"ecr-s\",anxiety,1-7,clinical,20,4,1,,,2026-03-01,i\r\n";
    char name[SB_INSTRUMENT_NAME_MAX];
    unsigned long line;
    sb_error err;
    assert_int_equal(sb_norms_text_instrument(text, sizeof text - 1, "t.csv",
                                              name, &line, &err), SB_OK);
    assert_string_equal(name, "ecr-s");
    assert_int_equal(line, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_file_per_instrument),
        cmocka_unit_test(bad_files),
        cmocka_unit_test(a_known_instrument),
        cmocka_unit_test(the_instrument_a_text_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
