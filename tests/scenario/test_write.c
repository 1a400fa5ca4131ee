/*
 * Tests for src/scenario/write.c: a written scenario loads back to the
 * identical struct (every built-in, and awkward values), and what cannot be
 * written is refused before anything is written.
 */
#include "scenario/expect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes `sc` to memory; returns the text (caller frees) or NULL. */
static char *write_to_memory(const sb_scenario *sc, sb_status *st,
                             sb_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    *st = sb_scenario_write_yaml(sc, f, err);
    fclose(f);
    return buf;
}

static void round_trip(const sb_scenario *sc)
{
    sb_status st;
    sb_error err;
    char *text = write_to_memory(sc, &st, &err);
    if (st != SB_OK) {
        print_error("write failed: %s\n", err.message);
        fail();
    }
    sb_scenario back;
    load_ok(text, &back);
    expect_same_scenario(&back, sc);
    assert_null(strstr(text, "base:"));
    free(text);
}

static void every_builtin_round_trips(void **state)
{
    (void)state;
    for (size_t i = 0; i < sb_scenario_builtin_count(); i++) {
        if (sb_scenario_builtin_is_set(i))
            continue;
        sb_scenario sc;
        builtin_ok(sb_scenario_builtin_name(i), &sc);
        round_trip(&sc);
    }
}

static void set_text(char *dst, size_t size, const char *s)
{
    memset(dst, 0, size);
    memcpy(dst, s, strlen(s));
}

static void awkward_values_round_trip(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_scenario_default(&sc);
    set_text(sc.name, sizeof sc.name, "odd.one_2+x");
    set_text(sc.description, sizeof sc.description,
             "Quotes \" and backslashes \\ and caf\xc3\xa9 \xe2\x80\x94 fine: "
             "# not a comment");
    sc.params.pull = 0.1 + 0.2; /* 0.30000000000000004 */
    sc.params.revision = 1e-300;
    sc.params.noise = 1.0 / 3.0;
    sc.params.learning = 5e-324; /* the smallest subnormal */
    sc.population.plasticity = (sb_dist){2.0 / 3.0, 0.1, 0.2, 3.0};
    sc.therapy.sessions_per_week = 0.5;
    sc.reflection = (sb_habit){0.25, 3, 7};
    /* The order differs from the default list: kept exactly. */
    sb_relationship tmp = sc.relationships[0];
    sc.relationships[0] = sc.relationships[2];
    sc.relationships[2] = tmp;
    sc.relationships[1].kind = SB_REL_OTHER;
    sc.relationships[1].end_week = 4160;
    round_trip(&sc);

    /* No relationships at all. */
    memset(sc.relationships, 0, sizeof sc.relationships);
    sc.relationship_count = 0;
    set_text(sc.description, sizeof sc.description, "");
    round_trip(&sc);
}

static void numbers_are_written_short(void **state)
{
    (void)state;
    sb_scenario sc;
    builtin_ok("clinical", &sc);
    sc.params.pull = 0.05; /* a value with a short decimal form */
    sb_status st;
    sb_error err;
    char *text = write_to_memory(&sc, &st, &err);
    assert_int_equal(st, SB_OK);
    assert_non_null(strstr(text, "stress_per_year: {mean: 3, sd: 2.25, min: 0, "
                                 "max: 20}\n"));
    assert_non_null(strstr(text, "prototype_share: {secure: 0.25, preoccupied: "
                                 "0.3, dismissing: 0.2, fearful: 0.25}\n"));
    assert_non_null(strstr(text, "inherit_relationships: false\n"));
    assert_non_null(strstr(text, "  - {name: \"partner\", kind: partner, "
                                 "share: 0.6, responsiveness: 0.6, "
                                 "consistency: 0.65, contacts_per_week: 5, "
                                 "weight: 0.5, secure: true, start_week: 0, "
                                 "end_week: -1}\n"));
    assert_non_null(strstr(text, "\nfollowup_weeks: 52\n"));
    assert_non_null(strstr(text, "\n  pull: 0.05\n"));
    free(text);
}

static void a_timeline_round_trips_and_reads_well(void **state)
{
    (void)state;
    sb_scenario sc;
    builtin_ok("therapy-only", &sc);
    sb_timeline_entry *e = &sc.timeline[sc.timeline_count++];
    sb_timeline_entry_default(e);
    e->week = 30;
    e->event = SB_EVENT_BREAKUP;
    e->size = 1.0 / 3.0;
    set_text(e->ends, sizeof e->ends, "partner");
    e = &sc.timeline[sc.timeline_count++];
    sb_timeline_entry_default(e);
    e->week = 10;
    e->share = 0.25;
    e->therapy.sessions_per_week = 0;
    e->therapy.weight = 0.9;
    e->stress_factor = 2;
    e = &sc.timeline[sc.timeline_count++];
    sb_timeline_entry_default(e);
    e->week = 12;
    e->practice_per_week = 0;
    round_trip(&sc);
    sb_status st;
    sb_error err;
    char *text = write_to_memory(&sc, &st, &err);
    assert_non_null(strstr(text, "timeline:\n"
                                 "  - {week: 30, event: breakup, size: "
                                 "0.3333333333333333, ends: \"partner\"}\n"
                                 "  - {week: 10, share: 0.25, stress_factor: 2, "
                                 "therapy: {sessions_per_week: 0, weight: 0.9}}\n"
                                 "  - {week: 12, practice_per_week: 0}\n"));
    free(text);
    /* a scenario without a timeline writes none */
    builtin_ok("clinical", &sc);
    text = write_to_memory(&sc, &st, &err);
    assert_null(strstr(text, "timeline"));
    free(text);
}

static void expect_refused(const sb_scenario *sc, const char *phrase)
{
    sb_status st;
    sb_error err;
    char *text = write_to_memory(sc, &st, &err);
    assert_int_equal(st, SB_ERR_INVALID);
    assert_string_equal(text, "");
    if (!strstr(err.message, phrase)) {
        print_error("message \"%s\" lacks \"%s\"\n", err.message, phrase);
        fail();
    }
    free(text);
}

static void what_cannot_be_loaded_is_not_written(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_scenario_default(&sc);
    sc.therapy.attendance = 2;
    expect_refused(&sc, "therapy.attendance is 2; allowed 0..1");

    sb_scenario_default(&sc);
    set_text(sc.name, sizeof sc.name, "two words");
    expect_refused(&sc, "scenario name 'two words' is not a valid name");

    sb_scenario_default(&sc);
    set_text(sc.description, sizeof sc.description, "line\nbreak");
    expect_refused(&sc, "the description holds a control character");

    sb_scenario_default(&sc);
    set_text(sc.description, sizeof sc.description, "bad \xff byte");
    expect_refused(&sc, "is not UTF-8");

    sb_scenario_default(&sc);
    set_text(sc.relationships[1].name, sizeof sc.relationships[1].name, "a/b");
    expect_refused(&sc, "relationship name 'a/b' is not a valid name");

    sb_scenario_default(&sc);
    sc.timeline_count = 1;
    sb_timeline_entry_default(&sc.timeline[0]);
    set_text(sc.timeline[0].begins, SB_NAME_MAX, "lover");
    expect_refused(&sc, "timeline[0].begins names 'lover'");

    sb_scenario_default(&sc);
    sc.params.proto_center[SB_PROTO_FEARFUL][0] = 6;
    expect_refused(&sc, "model constants that are not in the parameter table");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_builtin_round_trips),
        cmocka_unit_test(awkward_values_round_trip),
        cmocka_unit_test(numbers_are_written_short),
        cmocka_unit_test(a_timeline_round_trips_and_reads_well),
        cmocka_unit_test(what_cannot_be_loaded_is_not_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
