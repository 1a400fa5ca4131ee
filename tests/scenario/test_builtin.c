/*
 * Tests for src/scenario/builtin.c and the built-in files in scenarios/:
 * every one is listed, loads and passes sb_scenario_check, and says what the
 * seed scenarios are meant to be (numbers from the design of the seed).
 */
#include "scenario/expect.h"

#include "base/builtin.h"

#include <string.h>

static const char *const expected_names[] = {
    "all-factors", "clinical", "general-population", "no-therapy", "seed",
    "therapy+reflection+practice", "therapy+support", "therapy-only"};
#define N_EXPECTED (sizeof expected_names / sizeof expected_names[0])

static void every_scenario_file_is_listed_in_order(void **state)
{
    (void)state;
    size_t files = 0;
    for (const sb__builtin_file *f = sb__builtin_files; f->path; f++)
        if (!strncmp(f->path, "scenarios/", 10))
            files++;
    assert_int_equal(sb_scenario_builtin_count(), files);
    assert_int_equal(sb_scenario_builtin_count(), N_EXPECTED);
    for (size_t i = 0; i < N_EXPECTED; i++) {
        assert_string_equal(sb_scenario_builtin_name(i), expected_names[i]);
        assert_int_equal(sb_scenario_builtin_is_set(i),
                         !strcmp(expected_names[i], "seed"));
        const char *d = sb_scenario_builtin_description(i);
        assert_non_null(d);
        assert_true(strlen(d) > 20);
        /* Each file says at the top what it shows and where its numbers
         * come from. */
        const char *text = sb_scenario_builtin_text(expected_names[i]);
        assert_non_null(text);
        assert_int_equal(text[0], '#');
    }
    assert_null(sb_scenario_builtin_name(N_EXPECTED));
    assert_null(sb_scenario_builtin_description(N_EXPECTED));
    assert_int_equal(sb_scenario_builtin_is_set(N_EXPECTED), 0);
    assert_string_equal(sb_scenario_builtin_description(1),
                        "Adults starting therapy, less secure and more "
                        "stressed than adults in general; no therapy yet");
}

static void text_lookup_takes_names_only(void **state)
{
    (void)state;
    const sb__builtin_file *f = sb__builtin_find("scenarios/clinical.yaml");
    assert_non_null(f);
    assert_ptr_equal(sb_scenario_builtin_text("clinical"), f->data);
    assert_null(sb_scenario_builtin_text("nosuch"));
    assert_null(sb_scenario_builtin_text(""));
    assert_null(sb_scenario_builtin_text(NULL));
    assert_null(sb_scenario_builtin_text("../scenarios/clinical"));
    assert_null(sb_scenario_builtin_text("clinical.yaml"));
    assert_null(sb_scenario_builtin_text("scenarios/clinical"));
}

static void every_builtin_scenario_loads_and_checks(void **state)
{
    (void)state;
    for (size_t i = 0; i < sb_scenario_builtin_count(); i++) {
        if (sb_scenario_builtin_is_set(i))
            continue;
        sb_scenario sc;
        builtin_ok(sb_scenario_builtin_name(i), &sc);
        sb_error err;
        assert_int_equal(sb_scenario_check(&sc, &err), SB_OK);
        assert_string_equal(sc.name, sb_scenario_builtin_name(i));
        assert_string_equal(sc.description,
                            sb_scenario_builtin_description(i));
    }
    sb_scenario sc;
    sb_error err;
    assert_int_equal(sb_scenario_builtin("nosuch", &sc, &err), SB_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "no built-in scenario is named "
                                        "'nosuch'; the built-ins are: "
                                        "all-factors, clinical,"));
}

static void set_text(char *dst, size_t size, const char *s)
{
    memset(dst, 0, size);
    memcpy(dst, s, strlen(s));
}

/* `sc` renamed after the built-in `name` (name and description). */
static void rename_as(sb_scenario *sc, const char *name)
{
    sb_scenario ref;
    builtin_ok(name, &ref);
    set_text(sc->name, sizeof sc->name, ref.name);
    set_text(sc->description, sizeof sc->description, ref.description);
}

static void general_population_is_the_default(void **state)
{
    (void)state;
    sb_scenario gp, want;
    builtin_ok("general-population", &gp);
    sb_scenario_default(&want);
    rename_as(&want, "general-population");
    expect_same_scenario(&gp, &want);
}

static void clinical_is_less_secure_and_has_no_therapy(void **state)
{
    (void)state;
    sb_scenario c, want;
    builtin_ok("clinical", &c);
    sb_scenario_default(&want);
    rename_as(&want, "clinical");
    double *share = want.population.prototype_share;
    share[SB_PROTO_SECURE] = 0.25;
    share[SB_PROTO_PREOCCUPIED] = 0.30;
    share[SB_PROTO_DISMISSING] = 0.20;
    share[SB_PROTO_FEARFUL] = 0.25;
    want.population.stress_per_year = (sb_dist){3, 2.25, 0, 20};
    assert_string_equal(want.relationships[0].name, "partner");
    want.relationships[0].responsiveness = 0.6;
    want.relationships[0].consistency = 0.65;
    want.therapy.sessions_per_week = 0;
    want.therapy.start_week = 4;
    want.therapy.weeks = 40;
    want.followup_weeks = 52;
    expect_same_scenario(&c, &want);
    assert_int_equal(sb_scenario_weeks(&c), 96);
}

static void no_therapy_is_clinical_unchanged(void **state)
{
    (void)state;
    sb_scenario nt, want;
    builtin_ok("no-therapy", &nt);
    builtin_ok("clinical", &want);
    rename_as(&want, "no-therapy");
    expect_same_scenario(&nt, &want);
}

static void therapy_only_adds_weekly_therapy(void **state)
{
    (void)state;
    sb_scenario t, want;
    builtin_ok("therapy-only", &t);
    builtin_ok("clinical", &want);
    rename_as(&want, "therapy-only");
    want.therapy = (sb_therapy){1.0, 4, 40, 0.8, 0.75, 0.85, 0.6};
    expect_same_scenario(&t, &want);
}

static void add_close_support(sb_scenario *sc)
{
    sb_relationship *r = &sc->relationships[sc->relationship_count++];
    memset(r, 0, sizeof *r);
    set_text(r->name, sizeof r->name, "close-support");
    r->kind = SB_REL_FRIEND;
    r->share = 1.0;
    r->responsiveness = 0.75;
    r->consistency = 0.8;
    r->contacts_per_week = 2;
    r->weight = 0.35;
    r->secure = 1;
    r->start_week = 4;
    r->end_week = -1;
}

static void therapy_support_adds_a_supportive_friend(void **state)
{
    (void)state;
    sb_scenario ts, want;
    builtin_ok("therapy+support", &ts);
    builtin_ok("therapy-only", &want);
    rename_as(&want, "therapy+support");
    add_close_support(&want);
    expect_same_scenario(&ts, &want);
}

static void therapy_reflection_practice_adds_self_work(void **state)
{
    (void)state;
    sb_scenario trp, want;
    builtin_ok("therapy+reflection+practice", &trp);
    builtin_ok("therapy-only", &want);
    rename_as(&want, "therapy+reflection+practice");
    want.reflection = (sb_habit){2, 4, -1};
    want.practice = (sb_habit){2, 4, -1};
    expect_same_scenario(&trp, &want);
}

static void all_factors_has_everything(void **state)
{
    (void)state;
    sb_scenario all, want;
    builtin_ok("all-factors", &all);
    builtin_ok("therapy-only", &want);
    rename_as(&want, "all-factors");
    add_close_support(&want);
    want.reflection = (sb_habit){2, 4, -1};
    want.practice = (sb_habit){2, 4, -1};
    sb_relationship *r = &want.relationships[want.relationship_count++];
    memset(r, 0, sizeof *r);
    set_text(r->name, sizeof r->name, "secure-partner");
    r->kind = SB_REL_PARTNER;
    r->share = 0.5;
    r->responsiveness = 0.8;
    r->consistency = 0.85;
    r->contacts_per_week = 5;
    r->weight = 0.5;
    r->secure = 1;
    r->start_week = 12;
    r->end_week = -1;
    expect_same_scenario(&all, &want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_scenario_file_is_listed_in_order),
        cmocka_unit_test(text_lookup_takes_names_only),
        cmocka_unit_test(every_builtin_scenario_loads_and_checks),
        cmocka_unit_test(general_population_is_the_default),
        cmocka_unit_test(clinical_is_less_secure_and_has_no_therapy),
        cmocka_unit_test(no_therapy_is_clinical_unchanged),
        cmocka_unit_test(therapy_only_adds_weekly_therapy),
        cmocka_unit_test(therapy_support_adds_a_supportive_friend),
        cmocka_unit_test(therapy_reflection_practice_adds_self_work),
        cmocka_unit_test(all_factors_has_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
