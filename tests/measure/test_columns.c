/* Tests for src/measure/columns.c: patterns and mapping files. */
#include "support.h"

#include <securebase/measure.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sb_instrument *open_inst(const char *name)
{
    sb_instrument *inst;
    assert_int_equal(sb_instrument_builtin(name, &inst, NULL), SB_OK);
    return inst;
}

static void patterns(void **state)
{
    (void)state;
    sb_instrument *inst = open_inst("ecr-s");
    sb_column_map *m;
    sb_error err;
    assert_int_equal(sb_column_map_pattern(inst, "Q{n}", &m, &err), SB_OK);
    assert_string_equal(sb_column_map_name(m, 0), "Q1");
    assert_string_equal(sb_column_map_name(m, 11), "Q12");
    assert_null(sb_column_map_name(m, 12));
    sb_column_map_free(m);
    assert_int_equal(sb_column_map_pattern(inst, "Q", &m, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "{n}"));
    sb_instrument_free(inst);

    inst = open_inst("ecr-rs");
    assert_int_equal(sb_column_map_pattern(inst, "{target}_{n}", &m, &err), SB_OK);
    assert_string_equal(sb_column_map_name(m, 0), "mother_1");
    assert_string_equal(sb_column_map_name(m, 35), "friend_9");
    sb_column_map_free(m);
    assert_int_equal(sb_column_map_pattern(inst, "q{n}", &m, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "{target}"));
    sb_instrument_free(inst);
}

/* A long target repeated in a pattern once wrote past the name's buffer. */
static void long_targets_repeated(void **state)
{
    (void)state;
    const char *target = "abcdefghijklmnopqrstuvwxyz_abcde"; /* 32 characters */
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: t\ntitle: T\nsource: S\nkey_source: K\nmissing_rule: M\n"
             "items: 2\nscale: 1-7\ntargets: [%s, other]\n"
             "subscales:\n  - {name: a, items: [1-2], higher: worse}\n",
             target);
    sb_instrument *inst;
    sb_error err;
    assert_int_equal(sb_instrument_load_text(yaml, strlen(yaml), "t.yaml", &inst,
                                             &err), SB_OK);
    char pattern[201] = "";
    while (strlen(pattern) + 8 <= 197)
        strcat(pattern, "{target}");
    strcat(pattern, "{n}");
    sb_column_map *m;
    assert_int_equal(sb_column_map_pattern(inst, pattern, &m, &err), SB_OK);
    size_t repeats = (strlen(pattern) - 3) / 8;
    const char *name = sb_column_map_name(m, 1);
    assert_int_equal(strlen(name), repeats * strlen(target) + 1);
    for (size_t i = 0; i < repeats; i++)
        assert_memory_equal(name + i * strlen(target), target, strlen(target));
    assert_string_equal(name + repeats * strlen(target), "2");
    assert_string_equal(sb_column_map_name(m, 3) + 5 * (repeats - 1),
                        "other2");
    sb_column_map_free(m);
    sb_instrument_free(inst);
}

static void mapping_file(void **state)
{
    (void)state;
    sb_instrument *inst = open_inst("rq");
    char *dir = sb_test_tmpdir();
    sb_column_map *m;
    sb_error err;
    char *ok = sb_test_write(dir, "ok.csv", "item,column\n1,rq_a\n2,rq_b\n3,\"rq c\"\n4,rq_d\n");
    assert_int_equal(sb_column_map_load(inst, ok, &m, &err), SB_OK);
    assert_string_equal(sb_column_map_name(m, 2), "rq c");
    sb_column_map_free(m);

    struct { const char *text; unsigned long line; const char *needle; } bad[] = {
        {"id,name\n1,a\n", 1, "item,column"},
        {"item,column\n1,a\n1,b\n", 3, "mapped twice"},
        {"item,column\n1,a\n2,a\n", 3, "already mapped"},
        {"item,column\n5,a\n", 2, "1..4"},
        {"item,column\nx,a\n", 2, "not a number"},
        {"item,column\nmother:1,a\n", 2, "no relationships"},
        {"item,column\n1,a\n2,b\n3,c\n", 0, "item 4 of rq is not mapped"},
        {"item,column\n1,a,extra\n", 2, "two fields"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *p = sb_test_write(dir, "bad.csv", bad[i].text);
        m = (sb_column_map *)1;
        assert_int_equal(sb_column_map_load(inst, p, &m, &err), SB_ERR_INVALID);
        assert_null(m);
        assert_int_equal(err.line, bad[i].line);
        assert_non_null(strstr(err.message, bad[i].needle));
        free(p);
    }
    assert_int_equal(sb_column_map_load(inst, "/no/such.csv", &m, &err), SB_ERR_IO);
    sb_instrument_free(inst);

    inst = open_inst("ecr-rs");
    char text[4096] = "item,column\n";
    const char *t[] = {"mother", "father", "partner", "friend"};
    for (int k = 0; k < 4; k++)
        for (int i = 1; i <= 9; i++) {
            size_t n = strlen(text);
            snprintf(text + n, sizeof text - n, "%s:%d,%c%d\n", t[k], i, 'a' + k, i);
        }
    char *p = sb_test_write(dir, "rs.csv", text);
    assert_int_equal(sb_column_map_load(inst, p, &m, &err), SB_OK);
    assert_string_equal(sb_column_map_name(m, 9), "b1");
    sb_column_map_free(m);
    char *p2 = sb_test_write(dir, "rs2.csv", "item,column\nuncle:1,x\n");
    assert_int_equal(sb_column_map_load(inst, p2, &m, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "unknown relationship"));
    sb_instrument_free(inst);
    free(p);
    free(p2);
    free(ok);
    sb_test_rmtree(dir);
    free(dir);
}

/* A FIFO given as the map is refused at once, not waited on. */
static void mapping_file_must_be_a_regular_file(void **state)
{
    (void)state;
    sb_instrument *inst = open_inst("rq");
    char *dir = sb_test_tmpdir();
    char *fifo = sb_test_fifo(dir, "map.csv");
    sb_column_map *m = (sb_column_map *)1;
    sb_error err;
    alarm(20);
    assert_int_equal(sb_column_map_load(inst, fifo, &m, &err), SB_ERR_IO);
    alarm(0);
    assert_null(m);
    assert_string_equal(err.file, fifo);
    assert_non_null(strstr(err.message, "FIFO"));
    sb_instrument_free(inst);
    free(fifo);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(patterns),
        cmocka_unit_test(long_targets_repeated),
        cmocka_unit_test(mapping_file),
        cmocka_unit_test(mapping_file_must_be_a_regular_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
