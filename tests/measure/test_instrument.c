/* Tests for src/measure/instrument.c: the built-in instruments and their keys. */
#include "support.h"

#include <securebase/measure.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sb_instrument *builtin(const char *name)
{
    sb_instrument *inst = NULL;
    sb_error err;
    sb_status st = sb_instrument_builtin(name, &inst, &err);
    if (st)
        fprintf(stderr, "%s: %s\n", name, err.message);
    assert_int_equal(st, SB_OK);
    return inst;
}

/* The reverse-keyed items must be exactly `expect` (1-based, 0-terminated). */
static void assert_reversed(const sb_instrument *inst, const int *expect)
{
    size_t n = sb_instrument_items_per_target(inst);
    for (size_t i = 1; i <= n; i++) {
        int want = 0;
        for (const int *e = expect; *e; e++)
            want |= (size_t)*e == i;
        assert_int_equal(sb_instrument_item_reversed(inst, i), want);
    }
}

static void assert_items(const sb_instrument *inst, size_t s, const int *expect)
{
    const size_t *items;
    size_t n = sb_instrument_score_item_list(inst, s, &items);
    size_t k = 0;
    for (const int *e = expect; *e; e++, k++) {
        assert_true(k < n);
        assert_int_equal(items[k] + 1, *e);
    }
    assert_int_equal(n, k);
}

static void every_builtin_loads(void **state)
{
    (void)state;
    const char *names[16];
    size_t n = sb_instrument_builtin_names(names, 16);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s", names[i]);
        *strstr(name, ".yaml") = '\0';
        sb_instrument *inst = builtin(name);
        assert_string_equal(sb_instrument_name(inst), name);
        assert_non_null(strstr(sb_instrument_source(inst), "("));
        sb_instrument_free(inst);
    }
}

static void ecr_r_key(void **state)
{
    (void)state;
    sb_instrument *inst = builtin("ecr-r");
    assert_int_equal(sb_instrument_item_count(inst), 36);
    assert_int_equal(sb_instrument_scale(inst).min, 1);
    assert_int_equal(sb_instrument_scale(inst).max, 7);
    static const int rev[] = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36, 0};
    assert_reversed(inst, rev);
    assert_string_equal(sb_instrument_score_name(inst, 0), "anxiety");
    assert_string_equal(sb_instrument_score_name(inst, 1), "avoidance");
    static const int anx[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 0};
    static const int avo[] = {19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 0};
    assert_items(inst, 0, anx);
    assert_items(inst, 1, avo);
    assert_false(sb_instrument_has_category(inst));
    assert_string_equal(sb_instrument_column_pattern(inst), "ecr_r_{n}");
    sb_instrument_free(inst);
}

static void ecr_s_key(void **state)
{
    (void)state;
    sb_instrument *inst = builtin("ecr-s");
    assert_int_equal(sb_instrument_item_count(inst), 12);
    static const int rev[] = {1, 5, 8, 9, 0};
    static const int anx[] = {2, 4, 6, 8, 10, 12, 0};
    static const int avo[] = {1, 3, 5, 7, 9, 11, 0};
    assert_reversed(inst, rev);
    assert_items(inst, 0, anx);
    assert_items(inst, 1, avo);
    sb_instrument_free(inst);
}

static void ecr_rs_key(void **state)
{
    (void)state;
    sb_instrument *inst = builtin("ecr-rs");
    assert_int_equal(sb_instrument_items_per_target(inst), 9);
    assert_int_equal(sb_instrument_target_count(inst), 4);
    assert_int_equal(sb_instrument_item_count(inst), 36);
    static const char *const t[] = {"mother", "father", "partner", "friend"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(sb_instrument_target_name(inst, i), t[i]);
    static const int rev[] = {1, 2, 3, 4, 0};
    assert_reversed(inst, rev);
    /* 4 targets x 2 subscales, then the 2 global scores */
    assert_int_equal(sb_instrument_score_count(inst), 10);
    assert_string_equal(sb_instrument_score_name(inst, 4), "partner_avoidance");
    static const int partner_avo[] = {19, 20, 21, 22, 23, 24, 0};
    static const int friend_anx[] = {34, 35, 36, 0};
    assert_items(inst, 4, partner_avo);
    assert_items(inst, 7, friend_anx);
    assert_string_equal(sb_instrument_score_name(inst, 8), "avoidance");
    assert_false(sb_instrument_score_is_items(inst, 8));
    assert_string_equal(sb_instrument_column_pattern(inst), "ecr_rs_{target}_{n}");
    /* the author's page gives 30-day retest figures per domain: about .80
     * for parents, .65 for a romantic partner, none for friends or the
     * global scores, and no SDs */
    sb_scale seven = {1, 7}, five = {1, 5};
    static const double retest[] = {0.80, 0.80, 0.80, 0.80, 0.65, 0.65};
    for (size_t s = 0; s < 6; s++) {
        const sb_reliability *r = sb_instrument_reliability(inst, s, seven);
        assert_non_null(r);
        assert_true(r->retest);
        assert_float_equal(r->value, retest[s], 1e-12);
        assert_null(sb_instrument_reliability(inst, s, five));
    }
    for (size_t s = 6; s < 10; s++)
        assert_null(sb_instrument_reliability(inst, s, seven));
    for (size_t s = 0; s < 10; s++) {
        assert_null(sb_instrument_norm(inst, s, seven, 0));
        assert_null(sb_instrument_norm(inst, s, seven, 1));
    }
    sb_instrument_free(inst);
}

static void ecr_key(void **state)
{
    (void)state;
    sb_instrument *inst = builtin("ecr");
    static const int rev[] = {3, 15, 19, 22, 25, 27, 29, 31, 33, 35, 0};
    assert_reversed(inst, rev);
    const size_t *items;
    size_t n = sb_instrument_score_item_list(inst, 0, &items);
    assert_int_equal(n, 18);
    for (size_t i = 0; i < n; i++)
        assert_int_equal((items[i] + 1) % 2, 1); /* avoidance: odd */
    n = sb_instrument_score_item_list(inst, 1, &items);
    for (size_t i = 0; i < n; i++)
        assert_int_equal((items[i] + 1) % 2, 0); /* anxiety: even */
    assert_true(sb_instrument_has_category(inst));
    sb_scale five = {1, 5}, seven = {1, 7};
    const sb_reliability *r = sb_instrument_reliability(inst, 0, seven);
    assert_non_null(r);
    assert_true(r->value > 0.9 && r->value < 0.95);
    assert_non_null(sb_instrument_norm(inst, 0, five, 0));
    assert_null(sb_instrument_norm(inst, 0, seven, 0));
    assert_null(sb_instrument_norm(inst, 0, five, 1));
    sb_instrument_free(inst);
}

static void rq_key(void **state)
{
    (void)state;
    sb_instrument *inst = builtin("rq");
    assert_int_equal(sb_instrument_item_count(inst), 4);
    static const char *const names[] = {"secure", "fearful", "preoccupied",
                                        "dismissing", "model_of_self",
                                        "model_of_other"};
    assert_int_equal(sb_instrument_score_count(inst), 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(sb_instrument_score_name(inst, i), names[i]);
    assert_int_equal(sb_instrument_score_direction(inst, 0), SB_HIGHER_BETTER);
    assert_int_equal(sb_instrument_score_direction(inst, 1), SB_HIGHER_WORSE);
    sb_instrument_free(inst);
}

static void unknown_name_or_path(void **state)
{
    (void)state;
    sb_instrument *inst = NULL;
    sb_error err;
    assert_int_equal(sb_instrument_builtin("ecr-x", &inst, &err), SB_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "ecr-x"));
    assert_int_equal(sb_instrument_builtin("../ecr", &inst, &err), SB_ERR_NOTFOUND);
    assert_int_equal(sb_instrument_open("/no/such/file.yaml", &inst, &err), SB_ERR_IO);
    assert_null(inst);
    /* a user file is loaded by path */
    char *dir = sb_test_tmpdir();
    char *path = sb_test_write(dir, "mine.yaml",
        "name: mine\ntitle: Mine\nsource: Me (2024)\nkey_source: me\n"
        "missing_rule: none\nitems: 2\nscale: 0-4\nsubscales:\n"
        "  - {name: total, items: [1-2], higher: worse}\n");
    assert_int_equal(sb_instrument_open(path, &inst, &err), SB_OK);
    assert_string_equal(sb_instrument_column_pattern(inst), "mine_{n}");
    sb_instrument_free(inst);
    sb_test_rmtree(dir);
    free(path);
    free(dir);
}

/* An instrument file that is a FIFO or a device is refused at once: never
 * waited on, never read until memory runs out. */
static void instrument_files_must_be_regular_files(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *fifo = sb_test_fifo(dir, "inst.yaml");
    sb_instrument *inst = (sb_instrument *)1;
    sb_error err;
    alarm(20);
    assert_int_equal(sb_instrument_open(fifo, &inst, &err), SB_ERR_IO);
    assert_null(inst);
    assert_string_equal(err.file, fifo);
    assert_non_null(strstr(err.message, "FIFO (named pipe)"));
    assert_int_equal(sb_instrument_load_file(fifo, &inst, &err), SB_ERR_IO);
    assert_int_equal(sb_instrument_open("/dev/zero", &inst, &err), SB_ERR_IO);
    assert_non_null(strstr(err.message, "character device"));
    assert_int_equal(sb_instrument_open(dir, &inst, &err), SB_ERR_IO);
    assert_non_null(strstr(err.message, "directory"));
    /* A FIFO in the working directory named like a built-in is the file. */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    char *local = sb_test_fifo(".", "pipe");
    assert_int_equal(sb_instrument_open("pipe", &inst, &err), SB_ERR_IO);
    assert_non_null(strstr(err.message, "FIFO"));
    assert_int_equal(chdir(cwd), 0);
    alarm(0);
    free(local);
    free(fifo);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_builtin_loads),
        cmocka_unit_test(ecr_r_key),
        cmocka_unit_test(ecr_s_key),
        cmocka_unit_test(ecr_rs_key),
        cmocka_unit_test(ecr_key),
        cmocka_unit_test(rq_key),
        cmocka_unit_test(unknown_name_or_path),
        cmocka_unit_test(instrument_files_must_be_regular_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
