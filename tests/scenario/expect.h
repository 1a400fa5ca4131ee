/*
 * Helpers for the scenario tests: asserting that a load fails at an exact
 * file:line:column with a message holding given phrases (and leaves the
 * output struct untouched), and comparing two scenarios field by field.
 */
#ifndef SB_TEST_SCENARIO_EXPECT_H
#define SB_TEST_SCENARIO_EXPECT_H

#include "support.h"

#include <securebase/scenario.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The origin used for texts in tests: not a file, so bases are built-ins. */
#define TEST_ORIGIN "no-such-dir/t.yaml"

/*
 * Loads `text` and expects failure `status` at line:column; the output
 * struct, filled with a pattern beforehand, must come back unchanged.
 */
static inline void expect_text_error(const char *text, size_t len,
                                     sb_status status, unsigned long line,
                                     unsigned long column,
                                     const char *const *phrases)
{
    sb_scenario *sc = malloc(sizeof *sc), *before = malloc(sizeof *before);
    assert_non_null(sc);
    assert_non_null(before);
    memset(sc, 0xA5, sizeof *sc);
    memcpy(before, sc, sizeof *sc);
    sb_error err;
    sb_status st = sb_scenario_load_text(text, len, TEST_ORIGIN, sc, &err);
    if (st != status) {
        print_error("status %d (%s), expected %d; message: %s\n", (int)st,
                    sb_status_name(st), (int)status,
                    st == SB_OK ? "(none)" : err.message);
        fail();
    }
    assert_int_equal(err.status, status);
    expect_error_at(&err, TEST_ORIGIN, line, column, phrases);
    assert_memory_equal(sc, before, sizeof *sc);
    free(sc);
    free(before);
}

/* EXPECT_ERROR(text, status, line, column, "phrase", ...) */
#define EXPECT_ERROR(text, status, line, column, ...)                      \
    expect_text_error(text, strlen(text), status, line, column,            \
                      PHRASES(__VA_ARGS__))

/* Loads text that must be valid. */
static inline void load_ok(const char *text, sb_scenario *sc)
{
    sb_error err;
    sb_status st = sb_scenario_load_text(text, strlen(text), TEST_ORIGIN, sc,
                                         &err);
    if (st != SB_OK) {
        char buf[2048];
        sb_error_format(&err, buf, sizeof buf);
        print_error("unexpected error: %s\n", buf);
        fail();
    }
}

static inline void builtin_ok(const char *name, sb_scenario *sc)
{
    sb_error err;
    if (sb_scenario_builtin(name, sc, &err) != SB_OK) {
        print_error("built-in %s: %s\n", name, err.message);
        fail();
    }
}

/* Every field, through the field tables, and then every byte. */
static inline void expect_same_fields(const sb_field_info *f, size_t n,
                                      const void *a, const void *b,
                                      const char *where)
{
    for (size_t i = 0; i < n; i++) {
        size_t size = 0;
        switch (f[i].type) {
        case SB_FIELD_DOUBLE: size = sizeof(double); break;
        case SB_FIELD_INT:
        case SB_FIELD_BOOL:
        case SB_FIELD_ENUM: size = sizeof(int); break;
        case SB_FIELD_STRING: size = f[i].size; break;
        case SB_FIELD_DIST: size = sizeof(sb_dist); break;
        }
        if (memcmp((const char *)a + f[i].offset,
                   (const char *)b + f[i].offset, size)) {
            print_error("field %s%s differs\n", where, f[i].key);
            fail();
        }
    }
}

static inline void expect_same_scenario(const sb_scenario *a,
                                        const sb_scenario *b)
{
    size_t n;
    const sb_field_info *f;
    f = sb_scenario_fields(SB_FIELDS_SCENARIO, &n);
    expect_same_fields(f, n, a, b, "");
    f = sb_scenario_fields(SB_FIELDS_POPULATION, &n);
    expect_same_fields(f, n, &a->population, &b->population, "population.");
    f = sb_scenario_fields(SB_FIELDS_PROTOTYPE_SHARE, &n);
    expect_same_fields(f, n, &a->population, &b->population,
                       "population.prototype_share.");
    f = sb_scenario_fields(SB_FIELDS_THERAPY, &n);
    expect_same_fields(f, n, &a->therapy, &b->therapy, "therapy.");
    f = sb_scenario_fields(SB_FIELDS_HABIT, &n);
    expect_same_fields(f, n, &a->reflection, &b->reflection, "reflection.");
    expect_same_fields(f, n, &a->practice, &b->practice, "practice.");
    assert_int_equal(a->relationship_count, b->relationship_count);
    f = sb_scenario_fields(SB_FIELDS_RELATIONSHIP, &n);
    for (size_t i = 0; i < a->relationship_count; i++)
        expect_same_fields(f, n, &a->relationships[i], &b->relationships[i],
                           "relationships[].");
    assert_int_equal(a->timeline_count, b->timeline_count);
    for (size_t i = 0; i < a->timeline_count; i++) {
        f = sb_scenario_fields(SB_FIELDS_TIMELINE, &n);
        expect_same_fields(f, n, &a->timeline[i], &b->timeline[i],
                           "timeline[].");
        f = sb_scenario_fields(SB_FIELDS_THERAPY_CHANGE, &n);
        expect_same_fields(f, n, &a->timeline[i].therapy,
                           &b->timeline[i].therapy, "timeline[].therapy.");
    }
    assert_memory_equal(&a->params, &b->params, sizeof a->params);
    /* The loader leaves no stray bytes: unused slots and padding are zero. */
    assert_memory_equal(a, b, sizeof *a);
}

#endif
