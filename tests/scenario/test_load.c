/*
 * Tests for src/scenario/load.c: every kind of error a scenario file can
 * have, each at its exact file:line:column, and `base:` resolution (built-in
 * names, files relative to the including file, cycles, depth).
 */
#include "scenario/expect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void unknown_keys_list_the_allowed_ones(void **state)
{
    (void)state;
    EXPECT_ERROR("name: x\nfoo: 1\n", SB_ERR_INVALID, 2, 1,
                 "unknown key 'foo' at the top level",
                 "allowed: name, description, followup_weeks, base, "
                 "population, therapy, reflection, practice, "
                 "inherit_relationships, relationships, inherit_timeline, "
                 "timeline, model");
    EXPECT_ERROR("name: x\ntherapy: {weeks: 2, attendence: 0.5}\n",
                 SB_ERR_INVALID, 2, 21, "unknown key 'attendence' in therapy",
                 "did you mean 'attendance'?",
                 "allowed: sessions_per_week, start_week, weeks, attendance, "
                 "alliance, consistency, weight");
    EXPECT_ERROR("name: x\npopulation:\n  plasticity: {mean: 1, median: 1}\n",
                 SB_ERR_INVALID, 3, 25,
                 "unknown key 'median' in population.plasticity",
                 "allowed: mean, sd, min, max");
    EXPECT_ERROR("name: x\npopulation: {size: 10}\n", SB_ERR_INVALID, 2, 14,
                 "unknown key 'size' in population",
                 "allowed: plasticity, stress_per_year, positive_per_year, "
                 "awareness, prototype_share");
    EXPECT_ERROR("name: x\npopulation:\n  prototype_share: {avoidant: 0.2}\n",
                 SB_ERR_INVALID, 3, 21,
                 "unknown key 'avoidant' in population.prototype_share",
                 "allowed: secure, preoccupied, dismissing, fearful");
    EXPECT_ERROR("name: x\nreflection: {per_day: 1}\n", SB_ERR_INVALID, 2, 14,
                 "unknown key 'per_day' in reflection",
                 "allowed: per_week, start_week, end_week");
    EXPECT_ERROR("name: x\nrelationships:\n  - {name: partner, warmth: 1}\n",
                 SB_ERR_INVALID, 3, 21,
                 "unknown key 'warmth' in relationships[0]",
                 "allowed: name, kind, share, responsiveness, consistency, "
                 "contacts_per_week, weight, secure, start_week, end_week, "
                 "remove");
    EXPECT_ERROR("name: x\nmodel: {pul: 0.1}\n", SB_ERR_INVALID, 2, 9,
                 "unknown model parameter 'pul'", "did you mean 'pull'?",
                 "docs/model.md");
}

static void values_of_the_wrong_type(void **state)
{
    (void)state;
    EXPECT_ERROR("name: x\ntherapy:\n  weeks: abc\n", SB_ERR_INVALID, 3, 10,
                 "therapy.weeks: expected a whole number, got 'abc'");
    EXPECT_ERROR("name: x\nfollowup_weeks: 10.0\n", SB_ERR_INVALID, 2, 17,
                 "followup_weeks: expected a whole number, got '10.0'");
    EXPECT_ERROR("name: x\ntherapy: {weeks: 40.5}\n", SB_ERR_INVALID, 2, 18,
                 "therapy.weeks: expected a whole number, got '40.5'");
    EXPECT_ERROR("name: x\ntherapy: {attendance: high}\n", SB_ERR_INVALID, 2,
                 23, "therapy.attendance: expected a number, got 'high'");
    EXPECT_ERROR("name: x\ntherapy: {attendance: \"0.5\"}\n", SB_ERR_INVALID,
                 2, 23, "expected a number, got '0.5' in quotes");
    EXPECT_ERROR("name: x\ntherapy: {attendance: }\n", SB_ERR_INVALID, 2, 23,
                 "expected a number, got nothing");
    EXPECT_ERROR("name: x\ntherapy: {attendance: [1]}\n", SB_ERR_INVALID, 2,
                 23, "expected a number, got a list");
    EXPECT_ERROR("name: x\nrelationships:\n  - {name: partner, secure: yes}\n",
                 SB_ERR_INVALID, 3, 29,
                 "relationships[0].secure: expected true or false, got 'yes'");
    EXPECT_ERROR("name: x\nrelationships:\n  - {name: partner, secure: 1}\n",
                 SB_ERR_INVALID, 3, 29, "expected true or false, got '1'");
    EXPECT_ERROR("name: x\nrelationships:\n  - {name: partner, kind: spouse}\n",
                 SB_ERR_INVALID, 3, 27,
                 "relationships[0].kind: expected one of partner, friend, "
                 "family, other, got 'spouse'");
    EXPECT_ERROR("name: x\ntherapy: 5\n", SB_ERR_INVALID, 2, 10,
                 "therapy: expected a mapping of keys, got '5'");
    EXPECT_ERROR("name: x\nrelationships: {partner: 1}\n", SB_ERR_INVALID, 2,
                 16, "relationships: expected a list, got a mapping");
    EXPECT_ERROR("name: x\npopulation:\n  awareness: 0.3\n", SB_ERR_INVALID,
                 3, 14,
                 "population.awareness: expected a mapping of keys, got '0.3'");
    EXPECT_ERROR("name: x\ninherit_relationships: maybe\n", SB_ERR_INVALID, 2,
                 24, "inherit_relationships: expected true or false");
    EXPECT_ERROR("- a\n- b\n", SB_ERR_INVALID, 1, 1,
                 "the top level: expected a mapping of keys, got a list");
    EXPECT_ERROR("just text\n", SB_ERR_INVALID, 1, 1,
                 "expected a mapping of keys, got 'just text'");
    EXPECT_ERROR("name: [x]\n", SB_ERR_INVALID, 1, 7,
                 "name: expected a name, got a list");
}

static void numbers_that_are_not_finite_or_not_decimal(void **state)
{
    (void)state;
    static const char *const junk[] = {".nan", "nan", "NaN", ".inf", "-.inf",
                                       "inf", "Infinity", "0x10", "1_000",
                                       "12abc", "1e", "--1", "1,5", "0.1.2",
                                       "~", "null", "true"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        char text[128], phrase[64];
        snprintf(text, sizeof text, "name: x\nmodel:\n  pull: %s\n", junk[i]);
        snprintf(phrase, sizeof phrase, "got '%s'", junk[i]);
        EXPECT_ERROR(text, SB_ERR_INVALID, 3, 9, "model.pull: expected a number",
                     phrase);
    }
    EXPECT_ERROR("name: x\nmodel: {pull: 1e999}\n", SB_ERR_INVALID, 2, 15,
                 "model.pull is 1e999; allowed 0..1");
    EXPECT_ERROR("name: x\nmodel: {pull: -1e999}\n", SB_ERR_INVALID, 2, 15,
                 "model.pull is -1e999; allowed 0..1");
    EXPECT_ERROR("name: x\nmodel: {pull: 1e-400}\n", SB_ERR_INVALID, 2, 15,
                 "model.pull is 1e-400, too close to 0");
    EXPECT_ERROR("name: x\ntherapy:\n  weeks: 20\n  attendance: 1e-320\n",
                 SB_ERR_INVALID, 4, 15, "therapy.attendance is 1e-320, too close "
                 "to 0");
    EXPECT_ERROR("name: x\ntherapy: {weeks: 99999999999999999999}\n",
                 SB_ERR_INVALID, 2, 18,
                 "therapy.weeks is 99999999999999999999; allowed 0..2080");
    EXPECT_ERROR("name: x\ntherapy: {weeks: -2147483649}\n", SB_ERR_INVALID,
                 2, 18, "therapy.weeks is -2147483649; allowed 0..2080");
}

static void values_out_of_range_name_the_range_of_the_table(void **state)
{
    (void)state;
    EXPECT_ERROR("name: x\ntherapy: {attendance: 1.5}\n", SB_ERR_INVALID, 2,
                 23, "therapy.attendance is 1.5; allowed 0..1");
    EXPECT_ERROR("name: x\ntherapy: {sessions_per_week: 8}\n", SB_ERR_INVALID,
                 2, 30, "therapy.sessions_per_week is 8; allowed 0..7");
    EXPECT_ERROR("name: x\nfollowup_weeks: -1\n", SB_ERR_INVALID, 2, 17,
                 "followup_weeks is -1; allowed 0..2080");
    EXPECT_ERROR("name: x\nreflection: {end_week: -2}\n", SB_ERR_INVALID, 2,
                 24, "reflection.end_week is -2; allowed -1..4160");
    EXPECT_ERROR("name: x\npopulation:\n  plasticity: {sd: 20}\n",
                 SB_ERR_INVALID, 3, 20,
                 "population.plasticity.sd is 20; allowed 0..10");
    EXPECT_ERROR("name: x\npopulation:\n  stress_per_year: {max: 60}\n",
                 SB_ERR_INVALID, 3, 26,
                 "population.stress_per_year.max is 60; allowed 0..52");
    EXPECT_ERROR("name: x\nrelationships:\n  - {name: partner, share: 2}\n",
                 SB_ERR_INVALID, 3, 28,
                 "relationships[0].share is 2; allowed 0..1");
    EXPECT_ERROR("name: x\nmodel: {target_secure: 0.5}\n", SB_ERR_INVALID, 2,
                 24, "model.target_secure is 0.5; allowed 1..7");
}

static void cross_field_errors_are_found_by_the_model_check(void **state)
{
    (void)state;
    /* Counts of weeks were truncated by the simulator (26.5 ran as 26):
     * a fractional one is refused, located at the value. */
    EXPECT_ERROR("name: x\nmodel:\n  stable_weeks: 26.5\n", SB_ERR_INVALID, 3,
                 17, "model.stable_weeks is 26.5; it counts weeks and must "
                 "be a whole number");
    EXPECT_ERROR("name: x\nmodel: {burn_in_weeks: 0.5}\n", SB_ERR_INVALID, 2,
                 24, "model.burn_in_weeks is 0.5; it counts weeks");
    /* 0.5 + 0.11 + 0.25 + 0.2 = 1.06: located at the last share given. */
    EXPECT_ERROR("name: x\npopulation:\n"
                 "  prototype_share: {secure: 0.5, fearful: 0.2}\n",
                 SB_ERR_INVALID, 3, 43,
                 "population.prototype_share adds up to 1.06; it must add up "
                 "to 1");
    /* A mean above the inherited max (3). */
    EXPECT_ERROR("name: x\npopulation:\n  plasticity: {mean: 5}\n",
                 SB_ERR_INVALID, 3, 22, "population.plasticity must have",
                 "got mean 5, sd 0.3, min 0.2, max 3");
    EXPECT_ERROR("name: x\nreflection: {start_week: 10, end_week: 5}\n",
                 SB_ERR_INVALID, 2, 40,
                 "reflection ends (week 5) before it starts (week 10)");
    EXPECT_ERROR("name: x\nrelationships:\n"
                 "  - {name: partner, start_week: 10, end_week: 5}\n",
                 SB_ERR_INVALID, 3, 47,
                 "relationship 'partner' ends (week 5) before it starts "
                 "(week 10)");
    /* 2000 + 2000 + 500 weeks: located at the last of the three. */
    EXPECT_ERROR("name: x\ntherapy: {start_week: 2000, weeks: 2000}\n"
                 "followup_weeks: 500\n",
                 SB_ERR_INVALID, 3, 17, "add up to 4500 weeks; at most 4160");
    /* The order in the file decides which given value is named. */
    EXPECT_ERROR("name: x\nfollowup_weeks: 500\n"
                 "therapy: {start_week: 2000, weeks: 2000}\n",
                 SB_ERR_INVALID, 3, 36, "add up to 4500 weeks");
    /* The check's message names the scenario. */
    EXPECT_ERROR("name: late\nreflection: {start_week: 3, end_week: 3}\n",
                 SB_ERR_INVALID, 2, 39, "scenario 'late': reflection ends");
}

static void names_and_text(void **state)
{
    (void)state;
    char text[256];
    snprintf(text, sizeof text, "name: %.64s\n",
             "a123456789b123456789c123456789d123456789e123456789f123456789wxyz");
    EXPECT_ERROR(text, SB_ERR_INVALID, 1, 7,
                 "name is 64 bytes long; at most 63 are allowed");
    EXPECT_ERROR("name: my scenario\n", SB_ERR_INVALID, 1, 7,
                 "name 'my scenario' is not a valid name",
                 "letters, digits and . _ + -");
    EXPECT_ERROR("name: -x\n", SB_ERR_INVALID, 1, 7, "is not a valid name");
    EXPECT_ERROR("name: \"a\\0b\"\n", SB_ERR_INVALID, 1, 7,
                 "name 'a?b' is not a valid name");
    EXPECT_ERROR("name: x\ndescription: \"two\\nlines\"\n", SB_ERR_INVALID, 2,
                 14, "description 'two?lines' holds a control character");
    EXPECT_ERROR("name: x\nrelationships:\n  - {name: \"my friend\"}\n",
                 SB_ERR_INVALID, 3, 12,
                 "relationships[0].name 'my friend' is not a valid name");
    char longtext[400];
    memcpy(longtext, "name: x\ndescription: ", 21);
    memset(longtext + 21, 'd', 256);
    memcpy(longtext + 21 + 256, "\n", 2);
    EXPECT_ERROR(longtext, SB_ERR_INVALID, 2, 14,
                 "description is 256 bytes long; at most 255 are allowed");
    EXPECT_ERROR("therapy: {weeks: 2}\n", SB_ERR_INVALID, 1, 1,
                 "a scenario needs a `name:`");
}

static void relationship_list_errors(void **state)
{
    (void)state;
    EXPECT_ERROR("name: x\nrelationships:\n  - {share: 0.5}\n", SB_ERR_INVALID,
                 3, 5, "relationships[0]: a relationship needs a `name`");
    EXPECT_ERROR("name: x\nrelationships:\n  - partner\n", SB_ERR_INVALID, 3, 5,
                 "relationships[0]: expected a mapping of keys, got 'partner'");
    EXPECT_ERROR("name: x\nrelationships:\n  - {name: lover, remove: true}\n",
                 SB_ERR_NOTFOUND, 3, 12,
                 "no relationship named 'lover' to remove; there are: "
                 "partner, friends, family");
    EXPECT_ERROR("name: x\nrelationships:\n"
                 "  - {name: partner, remove: true, share: 1}\n",
                 SB_ERR_INVALID, 3, 35,
                 "an entry with `remove: true` takes only `name`");
    EXPECT_ERROR("name: x\nrelationships:\n  - {name: partner, remove: 1}\n",
                 SB_ERR_INVALID, 3, 29,
                 "relationships[0].remove: expected true or false");
    EXPECT_ERROR("name: x\nrelationships:\n  - {name: partner}\n"
                 "  - {name: coach}\n  - {name: partner, weight: 1}\n",
                 SB_ERR_INVALID, 5, 12,
                 "relationships[2]: relationship 'partner' is listed twice "
                 "(first at line 3, column 12)");
    /* 3 inherited + 13 new = 16, the most; the 14th new one is too many. */
    char text[1024];
    size_t o = (size_t)snprintf(text, sizeof text, "name: x\nrelationships:\n");
    for (int i = 0; i < 14; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "  - {name: r%d}\n", i);
    EXPECT_ERROR(text, SB_ERR_INVALID, 16, 5,
                 "relationships[13]: too many relationships; a scenario has "
                 "at most 16");
    /* Without inheriting, 16 new ones fit and a 17th does not. */
    o = (size_t)snprintf(text, sizeof text,
                         "name: x\ninherit_relationships: false\n"
                         "relationships:\n");
    for (int i = 0; i < 17; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "  - {name: r%d}\n", i);
    EXPECT_ERROR(text, SB_ERR_INVALID, 20, 5,
                 "relationships[16]: too many relationships");
}

static void sets_are_not_single_scenarios(void **state)
{
    (void)state;
    EXPECT_ERROR("name: s\nset: [clinical]\n", SB_ERR_INVALID, 2, 1,
                 "this is a set of scenarios");
    sb_scenario sc;
    sb_error err;
    assert_int_equal(sb_scenario_builtin("seed", &sc, &err), SB_ERR_INVALID);
    expect_error_at(&err, "scenarios/seed.yaml", 6, 1,
                    PHRASES("this is a set of scenarios"));
}

static void base_names_a_builtin(void **state)
{
    (void)state;
    EXPECT_ERROR("name: x\nbase: nosuch\n", SB_ERR_NOTFOUND, 2, 7,
                 "unknown base 'nosuch'",
                 "; the built-ins are: all-factors, clinical,");
    EXPECT_ERROR("name: x\nbase: clinicl\n", SB_ERR_NOTFOUND, 2, 7,
                 "unknown base 'clinicl': no built-in scenario is named "
                 "'clinicl'; did you mean 'clinical'? the built-ins are:");
    EXPECT_ERROR("name: x\nbase: other.yaml\n", SB_ERR_INVALID, 2, 7,
                 "base 'other.yaml' is a file path, but "
                 "no-such-dir/t.yaml is not a file on disk");
    EXPECT_ERROR("name: x\nbase: dir/other\n", SB_ERR_INVALID, 2, 7,
                 "is a file path");
    EXPECT_ERROR("name: x\nbase: seed\n", SB_ERR_INVALID, 2, 7,
                 "base 'seed' is a set of scenarios, not a scenario");
    EXPECT_ERROR("name: x\nbase: [clinical]\n", SB_ERR_INVALID, 2, 7,
                 "base: expected the name of a built-in scenario or a file "
                 "path, got a list");
    EXPECT_ERROR("name: x\nbase:\n", SB_ERR_INVALID, 2, 6,
                 "got nothing");
    /* A base given twice is a duplicate key like any other. */
    EXPECT_ERROR("name: x\nbase: clinical\nbase: therapy-only\n",
                 SB_ERR_PARSE, 3, 1, "duplicate key 'base'");

    sb_scenario sc, clinical;
    load_ok("name: mine\nbase: clinical\n", &sc);
    builtin_ok("clinical", &clinical);
    /* Name and description belong to the file; the rest is the base. */
    assert_string_equal(sc.name, "mine");
    assert_string_equal(sc.description, "");
    memcpy(clinical.name, sc.name, sizeof sc.name);
    memset(clinical.description, 0, sizeof clinical.description);
    expect_same_scenario(&sc, &clinical);
}

static void without_base_the_default_is_the_start(void **state)
{
    (void)state;
    sb_scenario sc, def;
    load_ok("name: plain\ndescription: Nothing changed\n", &sc);
    sb_scenario_default(&def);
    memset(def.name, 0, sizeof def.name);
    strcpy(def.name, "plain");
    memset(def.description, 0, sizeof def.description);
    strcpy(def.description, "Nothing changed");
    expect_same_scenario(&sc, &def);
}

/* Writes dir/name and returns its path (freed by the caller). */
static char *put(const char *dir, const char *name, const char *text)
{
    return sb_test_write(dir, name, text);
}

static void base_files_resolve_against_the_including_file(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    sb_error err;
    assert_int_equal(sb_mkdir_p(sub, 0, &err), SB_OK);
    free(put(dir, "base.yaml",
             "name: b\nbase: clinical\ntherapy: {sessions_per_week: 2, "
             "weeks: 10}\n"));
    char *child = put(sub, "child.yaml",
                      "name: c\nbase: ../base.yaml\ntherapy: {weeks: 20}\n");
    sb_scenario sc;
    assert_int_equal(sb_scenario_load_file(child, &sc, &err), SB_OK);
    assert_string_equal(sc.name, "c");
    assert_true(sc.therapy.sessions_per_week == 2.0);
    assert_int_equal(sc.therapy.weeks, 20);
    assert_int_equal(sc.therapy.start_week, 4); /* from clinical */

    /* The same text loaded with the file's path as origin also resolves. */
    const char *text = "name: c\nbase: ../base.yaml\ntherapy: {weeks: 20}\n";
    sb_scenario again;
    assert_int_equal(sb_scenario_load_text(text, strlen(text), child, &again,
                                           &err),
                     SB_OK);
    expect_same_scenario(&sc, &again);
    /* With an origin that is no file, paths are refused. */
    assert_int_equal(sb_scenario_load_text(text, strlen(text), "child.yaml",
                                           &again, &err),
                     SB_ERR_INVALID);
    expect_error_at(&err, "child.yaml", 2, 7, PHRASES("is a file path"));

    /* An absolute path works too. */
    char abs_text[8400];
    snprintf(abs_text, sizeof abs_text, "name: d\nbase: %s/base.yaml\n", dir);
    char *abs_child = put(sub, "abs.yaml", abs_text);
    assert_int_equal(sb_scenario_load_file(abs_child, &sc, &err), SB_OK);
    assert_int_equal(sc.therapy.weeks, 10);
    free(abs_child);
    free(child);
    sb_test_rmtree(dir);
    free(dir);
}

static void base_file_errors_point_into_the_right_file(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    sb_error err;
    sb_scenario sc;
    char *missing = put(dir, "missing.yaml", "name: m\nbase: gone.yaml\n");
    assert_int_equal(sb_scenario_load_file(missing, &sc, &err), SB_ERR_IO);
    expect_error_at(&err, missing, 2, 7,
                    PHRASES("base 'gone.yaml'", "/gone.yaml: cannot open:",
                            "No such file or directory"));

    char *bad = put(dir, "bad.yaml", "name: b\ntherapy: {weeks: -1}\n");
    char *user = put(dir, "user.yaml", "name: u\nbase: bad.yaml\n");
    assert_int_equal(sb_scenario_load_file(user, &sc, &err), SB_ERR_INVALID);
    char bad_path[4200];
    snprintf(bad_path, sizeof bad_path, "%s/bad.yaml", dir);
    expect_error_at(&err, bad_path, 2, 18,
                    PHRASES("therapy.weeks is -1; allowed 0..2080"));

    /* A base that is valid alone but whose child breaks a cross check. */
    free(put(dir, "late.yaml", "name: l\nreflection: {start_week: 50}\n"));
    char *child = put(dir, "child.yaml",
                      "name: c\nbase: late.yaml\nreflection: {end_week: 40}\n");
    assert_int_equal(sb_scenario_load_file(child, &sc, &err), SB_ERR_INVALID);
    expect_error_at(&err, child, 3, 24,
                    PHRASES("reflection ends (week 40) before it starts "
                            "(week 50)"));
    free(missing);
    free(bad);
    free(user);
    free(child);
    sb_test_rmtree(dir);
    free(dir);
}

/* A FIFO (or a device) as the scenario or as its base is refused at once,
 * not waited on; the alarm turns a hang into a failure. */
static void fifos_and_devices_are_refused_at_once(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *fifo = sb_test_fifo(dir, "pipe.yaml");
    char *user = put(dir, "user.yaml", "name: u\nbase: pipe.yaml\n");
    char *zero = put(dir, "zero.yaml", "name: z\nbase: /dev/zero\n");
    sb_error err;
    sb_scenario sc;
    alarm(20);
    assert_int_equal(sb_scenario_load_file(fifo, &sc, &err), SB_ERR_IO);
    assert_string_equal(err.file, fifo);
    expect_phrases(&err, PHRASES("it is a FIFO (named pipe), not a regular "
                                 "file"));
    assert_int_equal(sb_scenario_load_file(user, &sc, &err), SB_ERR_IO);
    expect_error_at(&err, user, 2, 7,
                    PHRASES("base 'pipe.yaml'", "FIFO (named pipe)"));
    assert_int_equal(sb_scenario_load_file(zero, &sc, &err), SB_ERR_IO);
    expect_error_at(&err, zero, 2, 7,
                    PHRASES("base '/dev/zero'", "character device"));
    alarm(0);
    free(fifo);
    free(user);
    free(zero);
    sb_test_rmtree(dir);
    free(dir);
}

static void base_cycles_are_found(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    sb_error err;
    sb_scenario sc;
    char *self = put(dir, "self.yaml", "name: s\nbase: self.yaml\n");
    assert_int_equal(sb_scenario_load_file(self, &sc, &err), SB_ERR_INVALID);
    expect_error_at(&err, self, 2, 7, PHRASES("`base:` leads round in a circle"));

    char *a = put(dir, "a.yaml", "name: a\nbase: b.yaml\n");
    char *b = put(dir, "b.yaml", "name: b\ndescription: x\nbase: ./a.yaml\n");
    assert_int_equal(sb_scenario_load_file(a, &sc, &err), SB_ERR_INVALID);
    char chain[12800];
    snprintf(chain, sizeof chain, "%s -> %s/b.yaml -> %s/./a.yaml", a, dir,
             dir);
    expect_error_at(&err, b, 3, 7, PHRASES("leads round in a circle", chain));
    free(self);
    free(a);
    free(b);
    sb_test_rmtree(dir);
    free(dir);
}

static void base_chains_are_limited(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    sb_error err;
    sb_scenario sc;
    /* f0 -> f1 -> ... -> f16: 16 links is the most. */
    for (int i = 0; i <= 17; i++) {
        char name[32], text[128];
        snprintf(name, sizeof name, "f%d.yaml", i);
        if (i < 17)
            snprintf(text, sizeof text, "name: f%d\nbase: f%d.yaml\n", i, i + 1);
        else
            snprintf(text, sizeof text, "name: f%d\n", i);
        free(put(dir, name, text));
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/f1.yaml", dir);
    assert_int_equal(sb_scenario_load_file(path, &sc, &err), SB_OK);
    assert_string_equal(sc.name, "f1");
    snprintf(path, sizeof path, "%s/f0.yaml", dir);
    assert_int_equal(sb_scenario_load_file(path, &sc, &err), SB_ERR_INVALID);
    snprintf(path, sizeof path, "%s/f16.yaml", dir);
    expect_error_at(&err, path, 2, 7,
                    PHRASES("`base:` references are nested more than 16 deep"));
    sb_test_rmtree(dir);
    free(dir);
}

static void file_level_errors(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_error err;
    assert_int_equal(sb_scenario_load_file("no/such/file.yaml", &sc, &err),
                     SB_ERR_IO);
    assert_string_equal(err.file, "no/such/file.yaml");
    assert_non_null(strstr(err.message, "cannot open"));

    char *dir = sb_test_tmpdir();
    assert_int_equal(sb_scenario_load_file(dir, &sc, &err), SB_ERR_IO);
    assert_non_null(strstr(err.message, "cannot read"));

    /* A file of 1 MiB + 1 byte is refused before it is parsed. */
    size_t big = SB_SCENARIO_MAX_BYTES + 1;
    char *text = malloc(big + 1);
    assert_non_null(text);
    memset(text, '#', big);
    text[big] = '\0';
    char *path = sb_test_write(dir, "big.yaml", text);
    assert_int_equal(sb_scenario_load_file(path, &sc, &err), SB_ERR_INVALID);
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.message, "larger than 1048576 bytes, the most "
                                        "a scenario file may have"));
    /* One byte less is read, and found empty. */
    text[big - 1] = '\0';
    free(path);
    path = sb_test_write(dir, "big.yaml", text);
    assert_int_equal(sb_scenario_load_file(path, &sc, &err), SB_ERR_PARSE);
    assert_non_null(strstr(err.message, "the file is empty"));
    free(path);
    free(text);
    sb_test_rmtree(dir);
    free(dir);
}

static void null_error_and_null_text_are_allowed(void **state)
{
    (void)state;
    sb_scenario sc;
    assert_int_equal(sb_scenario_load_text(NULL, 0, NULL, &sc, NULL),
                     SB_ERR_PARSE);
    assert_int_equal(sb_scenario_load_text("name: x\n", 8, NULL, &sc, NULL),
                     SB_OK);
    sb_error err;
    assert_int_equal(sb_scenario_load_text("", 0, NULL, &sc, &err),
                     SB_ERR_PARSE);
    expect_error_at(&err, "<text>", 1, 1, PHRASES("the file is empty"));
    /* Success clears an old error. */
    assert_int_equal(sb_scenario_load_text("name: x\n", 8, NULL, &sc, &err),
                     SB_OK);
    assert_int_equal(err.status, SB_OK);
    assert_string_equal(err.message, "");
    assert_int_equal(sb_scenario_builtin(NULL, &sc, NULL), SB_ERR_NOTFOUND);
}

static void a_timeline_loads_into_its_entries(void **state)
{
    (void)state;
    sb_scenario sc;
    load_ok("name: x\n"
            "base: therapy-only\n"
            "timeline:\n"
            "  - {week: 30, event: breakup, ends: partner}\n"
            "  - {week: 10, share: 0.3, therapy: {sessions_per_week: 0}}\n"
            "  - {week: 60, event: new-secure-partner, size: 0.5,\n"
            "     begins: partner, stress_factor: 0.5}\n"
            "  - {week: 12, practice_per_week: 2, reflection_per_week: 1,\n"
            "     therapy: {attendance: 0.9, alliance: 0.8}}\n",
            &sc);
    assert_int_equal(sc.timeline_count, 4);
    const sb_timeline_entry *e = sc.timeline;
    assert_int_equal(e[0].week, 30);
    assert_int_equal(e[0].event, SB_EVENT_BREAKUP);
    assert_true(e[0].size == sb_event_kind_info(SB_EVENT_BREAKUP)->size);
    assert_true(e[0].share == 1.0);
    assert_string_equal(e[0].ends, "partner");
    assert_string_equal(e[0].begins, "");
    assert_true(isnan(e[0].therapy.sessions_per_week));
    assert_int_equal(e[1].event, SB_EVENT_NONE);
    assert_true(e[1].size == 0 && e[1].share == 0.3);
    assert_true(e[1].therapy.sessions_per_week == 0);
    assert_true(isnan(e[1].therapy.attendance));
    assert_true(e[2].size == 0.5 && e[2].stress_factor == 0.5);
    assert_true(e[3].practice_per_week == 2 && e[3].reflection_per_week == 1);
    assert_true(e[3].therapy.attendance == 0.9 && e[3].therapy.alliance == 0.8);
    assert_true(isnan(e[3].stress_factor));
}

static void timeline_errors_are_located(void **state)
{
    (void)state;
    EXPECT_ERROR("name: x\ntimeline: {week: 3}\n", SB_ERR_INVALID, 2, 11,
                 "timeline: expected a list");
    EXPECT_ERROR("name: x\ntimeline:\n  - {event: loss}\n", SB_ERR_INVALID, 3,
                 5, "timeline[0]: a timeline entry needs a `week`");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, evnt: loss}\n",
                 SB_ERR_INVALID, 3, 15, "unknown key 'evnt' in timeline[0]",
                 "did you mean 'event'?", "allowed: week, share, event, size");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, event: braekup}\n",
                 SB_ERR_INVALID, 3, 22,
                 "timeline[0].event: expected one of negative, positive, "
                 "breakup, loss, new-secure-partner, reconciliation, got "
                 "'braekup'; did you mean 'breakup'?");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: -1, event: loss}\n",
                 SB_ERR_INVALID, 3, 12, "timeline[0].week is -1; allowed "
                 "0..4160");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 2.5, event: loss}\n",
                 SB_ERR_INVALID, 3, 12, "expected a whole number");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, event: loss, share: 1.5}\n",
                 SB_ERR_INVALID, 3, 35, "timeline[0].share is 1.5; allowed "
                 "0..1");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, size: 2}\n",
                 SB_ERR_INVALID, 3, 21, "timeline[0].size is 2, but the entry "
                 "has no event");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, event: loss, size: 0}\n",
                 SB_ERR_INVALID, 3, 34, "an event's size must be more than 0");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, event: loss, size: .nan}\n",
                 SB_ERR_INVALID, 3, 34, "expected a number");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3}\n", SB_ERR_INVALID, 3, 12,
                 "timeline[0] (week 3) does nothing");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, begins: lover}\n",
                 SB_ERR_INVALID, 3, 23, "timeline[0].begins names 'lover', "
                 "which is not one of the scenario's relationships");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, ends: \"two words\"}\n",
                 SB_ERR_INVALID, 3, 21, "timeline[0].ends: expected the name "
                 "of one of the scenario's relationships, got 'two words'");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, begins: partner, "
                 "ends: partner}\n",
                 SB_ERR_INVALID, 3, 38, "relationship 'partner' both begins "
                 "and ends in one entry");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, therapy: {weeks: 4}}\n",
                 SB_ERR_INVALID, 3, 25,
                 "unknown key 'weeks' in timeline[0].therapy",
                 "allowed: sessions_per_week, attendance, alliance, "
                 "consistency, weight");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, therapy: "
                 "{attendance: 2}}\n",
                 SB_ERR_INVALID, 3, 37,
                 "timeline[0].therapy.attendance is 2; allowed 0..1");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, therapy: stop}\n",
                 SB_ERR_INVALID, 3, 24,
                 "timeline[0].therapy: expected a mapping of keys, got "
                 "'stop'");
    EXPECT_ERROR("name: x\ntimeline:\n  - {week: 3, stress_factor: 21}\n",
                 SB_ERR_INVALID, 3, 30, "allowed 0..20");
    EXPECT_ERROR("name: x\ntimeline:\n  - 3\n", SB_ERR_INVALID, 3, 5,
                 "timeline[0]: expected a mapping of keys, got '3'");
    EXPECT_ERROR("name: x\ninherit_timeline: no\n", SB_ERR_INVALID, 2, 19,
                 "inherit_timeline: expected true or false");
}

static void a_timeline_holds_at_most_64_entries(void **state)
{
    (void)state;
    char text[8192];
    size_t o = (size_t)snprintf(text, sizeof text, "name: x\ntimeline:\n");
    for (int i = 0; i < SB_TIMELINE_MAX + 1; i++)
        o += (size_t)snprintf(text + o, sizeof text - o,
                              "  - {week: %d, event: loss}\n", i);
    EXPECT_ERROR(text, SB_ERR_INVALID, 3 + SB_TIMELINE_MAX, 5,
                 "timeline[64]: too many timeline entries; a scenario has at "
                 "most 64");
    /* 64 load */
    char *last = strstr(text, "  - {week: 64,");
    *last = '\0';
    sb_scenario sc;
    load_ok(text, &sc);
    assert_int_equal(sc.timeline_count, SB_TIMELINE_MAX);
}

static void a_timeline_adds_to_its_bases_unless_told_not_to(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    free(put(dir, "base.yaml",
             "name: b\nbase: therapy-only\ntimeline:\n"
             "  - {week: 20, event: loss}\n  - {week: 5, stress_factor: 2}\n"));
    char *child = put(dir, "child.yaml",
                      "name: c\nbase: base.yaml\ntimeline:\n"
                      "  - {week: 1, event: reconciliation}\n");
    sb_scenario sc;
    sb_error err;
    assert_int_equal(sb_scenario_load_file(child, &sc, &err), SB_OK);
    assert_int_equal(sc.timeline_count, 3);
    assert_int_equal(sc.timeline[0].event, SB_EVENT_LOSS);
    assert_int_equal(sc.timeline[2].event, SB_EVENT_RECONCILIATION);
    free(child);
    child = put(dir, "fresh.yaml",
                "name: f\nbase: base.yaml\ninherit_timeline: false\n"
                "timeline:\n  - {week: 1, event: reconciliation}\n");
    assert_int_equal(sb_scenario_load_file(child, &sc, &err), SB_OK);
    assert_int_equal(sc.timeline_count, 1);
    free(child);
    /* ending a relationship the derived file removed is an error there */
    child = put(dir, "gone.yaml",
                "name: g\nbase: base.yaml\ntimeline:\n"
                "  - {week: 2, ends: family}\n"
                "relationships:\n  - {name: family, remove: true}\n");
    assert_int_equal(sb_scenario_load_file(child, &sc, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "timeline[2].ends names 'family'"));
    free(child);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_timeline_loads_into_its_entries),
        cmocka_unit_test(timeline_errors_are_located),
        cmocka_unit_test(a_timeline_holds_at_most_64_entries),
        cmocka_unit_test(a_timeline_adds_to_its_bases_unless_told_not_to),
        cmocka_unit_test(unknown_keys_list_the_allowed_ones),
        cmocka_unit_test(values_of_the_wrong_type),
        cmocka_unit_test(numbers_that_are_not_finite_or_not_decimal),
        cmocka_unit_test(values_out_of_range_name_the_range_of_the_table),
        cmocka_unit_test(cross_field_errors_are_found_by_the_model_check),
        cmocka_unit_test(names_and_text),
        cmocka_unit_test(relationship_list_errors),
        cmocka_unit_test(sets_are_not_single_scenarios),
        cmocka_unit_test(base_names_a_builtin),
        cmocka_unit_test(without_base_the_default_is_the_start),
        cmocka_unit_test(base_files_resolve_against_the_including_file),
        cmocka_unit_test(base_file_errors_point_into_the_right_file),
        cmocka_unit_test(base_cycles_are_found),
        cmocka_unit_test(base_chains_are_limited),
        cmocka_unit_test(file_level_errors),
        cmocka_unit_test(fifos_and_devices_are_refused_at_once),
        cmocka_unit_test(null_error_and_null_text_are_allowed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
