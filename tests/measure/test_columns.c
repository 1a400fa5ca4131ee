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

/* Splits a comma-separated header into names (at most 160) in `buf`. */
static size_t header(const char *text, char *buf, size_t size,
                     const char *names[160])
{
    snprintf(buf, size, "%s", text);
    size_t n = 0;
    for (char *p = buf; n < 160;) {
        names[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

/* "P1,P2,...,Pk" with prefix P (and {n} given as %d-style zero padding). */
static void numbered(char *out, size_t size, const char *before,
                     const char *prefix, int items, int pad, const char *after)
{
    size_t n = (size_t)snprintf(out, size, "%s", before);
    for (int i = 1; i <= items; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%s%0*d", n ? "," : "",
                              prefix, pad, i);
    snprintf(out + n, size - n, "%s", after);
}

static sb_status detect(const char *inst_name, const char *text,
                        sb_column_map **m, sb_error *err)
{
    sb_instrument *inst = open_inst(inst_name);
    char buf[4096];
    const char *names[160];
    size_t n = header(text, buf, sizeof buf, names);
    sb_status st = sb_column_map_detect(inst, names, n, "x.csv", 1, m, err);
    sb_instrument_free(inst);
    return st;
}

/* The common export patterns are found without being named, in any letter
 * case and with zero-padded numbers; the map holds the header's spelling. */
static void finds_common_patterns(void **state)
{
    (void)state;
    static const struct {
        const char *inst, *prefix;
        int items, pad;
        const char *found; /* NULL: the instrument's own names */
    } cases[] = {
        {"ecr-r", "ecr_r_", 36, 1, NULL},
        {"ecr-r", "ECR_R_", 36, 1, "ECR_R_{n}"},
        {"ecr-r", "ECRR_", 36, 1, "ECRR_{n}"},
        {"ecr-r", "ecr-r_", 36, 1, "ecr-r_{n}"},
        {"ecr-r", "Q", 36, 1, "Q{n}"},
        {"ecr-r", "q", 36, 2, "q{n}"},
        {"ecr-s", "Item", 12, 1, "Item{n}"},
        {"ecr-s", "", 12, 1, "{n}"},
        {"rq", "rq_", 4, 2, "rq_{n}"}, /* zero-padded: not the own names */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char text[4096];
        numbered(text, sizeof text, "id,date", cases[c].prefix, cases[c].items,
                 cases[c].pad, ",age,gender");
        sb_column_map *m = NULL;
        sb_error err;
        sb_status st = detect(cases[c].inst, text, &m, &err);
        if (st)
            print_error("%s: %s\n", text, err.message);
        assert_int_equal(st, SB_OK);
        char first[64], last[64];
        snprintf(first, sizeof first, "%s%0*d", cases[c].prefix, cases[c].pad, 1);
        snprintf(last, sizeof last, "%s%0*d", cases[c].prefix, cases[c].pad,
                 cases[c].items);
        assert_string_equal(sb_column_map_name(m, 0), first);
        assert_string_equal(sb_column_map_name(m, (size_t)cases[c].items - 1), last);
        if (cases[c].found)
            assert_string_equal(sb_column_map_found(m), cases[c].found);
        else
            assert_null(sb_column_map_found(m));
        assert_int_equal(sb_column_map_also_fit(m), 0);
        sb_column_map_free(m);
    }
}

/* Relationships in the names: {instrument}_{target}_{n} and {target}_{n}. */
static void finds_target_patterns(void **state)
{
    (void)state;
    static const char *const targets[] = {"Mother", "Father", "Partner",
                                          "Friend"};
    for (int style = 0; style < 2; style++) {
        char text[4096];
        size_t n = (size_t)snprintf(text, sizeof text, "id");
        for (int t = 0; t < 4; t++)
            for (int i = 1; i <= 9; i++)
                n += (size_t)snprintf(text + n, sizeof text - n, ",%s%s_%d",
                                      style ? "" : "ECRRS_", targets[t], i);
        sb_column_map *m;
        sb_error err;
        assert_int_equal(detect("ecr-rs", text, &m, &err), SB_OK);
        assert_string_equal(sb_column_map_name(m, 9), style ? "Father_1"
                                                            : "ECRRS_Father_1");
        assert_string_equal(sb_column_map_found(m),
                            style ? "{target}_{n}" : "ECRRS_{target}_{n}");
        sb_column_map_free(m);
    }
}

/* Two patterns that both fit, two columns for one item, or none: each an
 * error that says which. */
static void refuses_ambiguity(void **state)
{
    (void)state;
    sb_column_map *m = NULL;
    sb_error err;
    assert_int_equal(detect("rq", "Q1,Q2,Q3,Q4,1,2,3,4", &m, &err),
                     SB_ERR_INVALID);
    assert_null(m);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "more than one column pattern"));
    assert_non_null(strstr(err.message, "'Q{n}' and '{n}'"));
    assert_int_equal(detect("rq", "rq_1,rq_2,rq_3,rq_4,RQ_1,RQ_2,RQ_3,RQ_4", &m,
                            &err), SB_ERR_INVALID);
    assert_int_equal(detect("ecr-r", "x", &m, &err), SB_ERR_INVALID);
    char text[4096];
    numbered(text, sizeof text, "", "ECR_R_", 36, 1, "");
    strcat(text, ",");
    numbered(text + strlen(text), sizeof text - strlen(text), "", "ECRR_", 36,
             1, "");
    assert_int_equal(detect("ecr-r", text, &m, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'ecr_r_{n}' and 'ecrr_{n}'"));
    /* Q1 and q01 are the same item */
    assert_int_equal(detect("rq", "q1,Q2,Q3,Q4,Q01", &m, &err), SB_ERR_INVALID);
    assert_int_equal(err.column, 5);
    assert_non_null(strstr(err.message, "'q1' and 'Q01' both fit item 1"));
    /* nothing fits: the patterns tried are named */
    assert_int_equal(detect("rq", "id,a,b", &m, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "none fits rq_{n}, Q{n}, item{n}, {n}"));
    /* nearly: the first missing column of the closest pattern */
    assert_int_equal(detect("rq", "id,Q1,Q2,Q4", &m, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "no column 'Q3' for item 3 of rq"));
    assert_non_null(strstr(err.message, "3 of its 4 items fit 'Q{n}'"));
}

/* Columns that fit the pattern beyond the items are counted, not read; a
 * name with more after the number, or no number, does not fit. */
static void counts_columns_beyond_the_items(void **state)
{
    (void)state;
    sb_column_map *m;
    sb_error err;
    assert_int_equal(detect("rq", "Q0,Q1,Q2,Q3,Q4,Q5,Q40,Q1a,Q,Qx1", &m, &err),
                     SB_OK);
    assert_string_equal(sb_column_map_name(m, 3), "Q4");
    assert_int_equal(sb_column_map_also_fit(m), 3);
    sb_column_map_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(patterns),
        cmocka_unit_test(long_targets_repeated),
        cmocka_unit_test(mapping_file),
        cmocka_unit_test(mapping_file_must_be_a_regular_file),
        cmocka_unit_test(finds_common_patterns),
        cmocka_unit_test(finds_target_patterns),
        cmocka_unit_test(refuses_ambiguity),
        cmocka_unit_test(counts_columns_beyond_the_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
