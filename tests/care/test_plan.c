/* What-if plans: the grammar, hostile text, and what a plan changes. */
#include "support.h"

#include <securebase/whatif.h>

#include <math.h>
#include <string.h>

static sb_plan parsed(const char *text)
{
    sb_plan p;
    sb_error err;
    if (sb_plan_parse(text, &p, &err) != SB_OK)
        fail_msg("'%s': %s", text, err.message);
    return p;
}

/* The message of a plan that must be refused, checked to hold each of
 * the NULL-terminated pieces. */
static void refused(const char *text, ...)
{
    sb_plan p;
    sb_error err;
    memset(&err, 0, sizeof err);
    if (sb_plan_parse(text, &p, &err) == SB_OK)
        fail_msg("'%s' was accepted", text);
    assert_int_equal(err.status, SB_ERR_INVALID);
    va_list ap;
    va_start(ap, text);
    for (const char *piece; (piece = va_arg(ap, const char *));)
        if (!strstr(err.message, piece))
            fail_msg("'%s': message '%s' lacks '%s'", text, err.message,
                     piece);
    va_end(ap);
}

static void keep_changes_nothing(void **state)
{
    (void)state;
    sb_plan p = parsed("keep");
    assert_string_equal(p.name, "keep");
    assert_string_equal(p.changes, "");
    assert_true(isnan(p.sessions_per_week) && isnan(p.attendance));
    assert_true(isnan(p.practice_per_week) && isnan(p.reflections_per_week));
    assert_int_equal(p.add_count + p.end_count, 0);
    assert_string_equal(parsed("  keep ").name, "keep");
}

static void therapy_words_and_rates(void **state)
{
    (void)state;
    assert_true(parsed("therapy=weekly").sessions_per_week == 1.0);
    assert_true(parsed("therapy=fortnightly").sessions_per_week == 0.5);
    /* A month is 52/12 weeks: monthly is 12/52 = 0.2308 a week. */
    assert_near(parsed("therapy=monthly").sessions_per_week, 12.0 / 52.0,
                1e-15);
    assert_true(parsed("therapy=stop").sessions_per_week == 0.0);
    assert_true(parsed("therapy=2/week").sessions_per_week == 2.0);
    assert_near(parsed("therapy=3/month").sessions_per_week, 36.0 / 52.0,
                1e-15);
    sb_plan p = parsed("therapy=start");
    assert_int_equal(p.therapy_start, 1);
    assert_true(isnan(p.sessions_per_week));
    assert_string_equal(parsed("therapy=weekly").name, "therapy=weekly");
}

static void habits_attendance_and_names(void **state)
{
    (void)state;
    assert_true(parsed("practice=3/week").practice_per_week == 3.0);
    /* 1 a day is 7 a week; 2 a month is 24/52 a week. */
    assert_true(parsed("practice=1/day").practice_per_week == 7.0);
    assert_near(parsed("reflection=2/month").reflections_per_week,
                24.0 / 52.0, 1e-15);
    assert_true(parsed("reflection=stop").reflections_per_week == 0.0);
    assert_true(parsed("attendance=0.9").attendance == 0.9);
    assert_true(parsed("attendance=75%").attendance == 0.75);
    sb_plan p = parsed("calm = practice=3/week ; reflection=0.5/week");
    assert_string_equal(p.name, "calm");
    assert_string_equal(p.changes, "practice=3/week ; reflection=0.5/week");
    assert_true(p.practice_per_week == 3.0 && p.reflections_per_week == 0.5);
    assert_true(isnan(p.sessions_per_week));
    assert_string_equal(parsed("calm=keep").name, "calm");
    assert_string_equal(parsed("calm=keep").changes, "");
    /* A long unnamed plan is called by the start of its changes. */
    p = parsed("therapy=weekly;practice=3/week;reflection=2/week");
    assert_string_equal(p.name, "therapy=weekly;practice=3/wee...");
    assert_int_equal(strlen(p.name), SB_PLAN_NAME_MAX - 1);
}

static void relationships_added_and_ended(void **state)
{
    (void)state;
    sb_plan p = parsed("relationship+=friend,supportive");
    assert_int_equal(p.add_count, 1);
    assert_int_equal(p.add[0].kind, SB_REL_FRIEND);
    assert_int_equal(p.add[0].supportive, 1);
    assert_int_equal(p.add[0].secure, 0);
    assert_string_equal(p.add[0].name, "new friend");
    p = parsed("relationship+=partner, straining, secure;relationship+=family"
               ";relationship-=Sam;relationship-=partner");
    assert_int_equal(p.add_count, 2);
    assert_int_equal(p.add[0].kind, SB_REL_PARTNER);
    assert_int_equal(p.add[0].supportive, 0);
    assert_int_equal(p.add[0].secure, 1);
    assert_int_equal(p.add[1].supportive, 1);
    assert_int_equal(p.end_count, 2);
    assert_string_equal(p.end[0], "Sam");
    assert_string_equal(p.end[1], "partner");
    /* Names need not be ASCII. */
    assert_string_equal(parsed("relationship-=Zo\xc3\xab").end[0],
                        "Zo\xc3\xab");
}

static void bad_plans_name_plan_field_and_value(void **state)
{
    (void)state;
    refused("", "empty", NULL);
    refused("   ", "empty", NULL);
    refused("therapy=daily", "plan 'therapy=daily'", "therapy", "'daily'",
            NULL);
    refused("more=therapy=sometimes", "plan 'more'", "therapy",
            "'sometimes'", NULL);
    refused("practice=3", "practice", "'3'", "N/week", NULL);
    refused("practice=3/year", "practice", "'3/year'", "unit", NULL);
    refused("practice=-1/week", "practice", "'-1/week'", NULL);
    refused("practice=1e2/week", "'1e2/week'", NULL);
    refused("practice=nan/week", "'nan/week'", NULL);
    refused("practice=0x10/week", "'0x10/week'", NULL);
    refused("practice=8/day", "practice", "56 a week", "at most 50", NULL);
    refused("therapy=8/week", "therapy", "at most 7", NULL);
    refused("attendance=1.5", "attendance", "'1.5'", "above 100%", NULL);
    refused("attendance=120%", "attendance", "'120%'", NULL);
    refused("attendance=most", "attendance", "'most'", NULL);
    refused("sleep=8/day", "field", "'sleep'", "unknown", NULL);
    refused("therapy=weekly;therapy=stop", "therapy", "'stop'", "second",
            NULL);
    refused("therapy=weekly;;practice=1/week", "empty", NULL);
    refused("therapy=weekly;", "empty", NULL);
    refused("therapy=", "therapy", "empty", NULL);
    refused("therapy", "therapy", "FIELD=VALUE", NULL);
    refused("relationship+=cat", "relationship+", "'cat'", "partner", NULL);
    refused("relationship+=friend,kind", "relationship+", "'kind'", NULL);
    refused("relationship+=friend,supportive,straining", "twice", NULL);
    refused("keep=therapy=weekly", "plan 'keep'", "nothing", NULL);
    refused("my plan=therapy=weekly", "name", "' '", NULL);
    refused("a<b>=therapy=weekly", "name", "'<'", NULL);
    refused("abcdefghijklmnopqrstuvwxyz0123456789=therapy=weekly", "name",
            "1 to 32", NULL);
}

/* A rate says what was wrong with it: zero (stop says that), a sign, or
 * more than the model allows, with the weekly figure it came to. */
static void zero_signed_and_huge_rates_say_so(void **state)
{
    (void)state;
    refused("practice=0/week", "practice", "'0/week'", "zero",
            "practice=stop", NULL);
    refused("therapy=0.0/month", "therapy", "zero", "therapy=stop", NULL);
    refused("reflection=0/day", "reflection", "zero", NULL);
    refused("therapy=-1/week", "therapy", "'-1/week'", "negative", NULL);
    refused("practice=+2/week", "practice", "'+2/week'", "sign", NULL);
    refused("attendance=-5%", "attendance", "'-5%'", "negative", NULL);
    /* 20 digits: 1e+20 a week, far above 7 (no silent cut to 12 digits). */
    refused("therapy=99999999999999999999/week", "therapy", "1e+20 a week",
            "at most 7", NULL);
    refused("practice=1000/day", "practice", "7e+03 a week", "at most 50",
            NULL);
    /* Small rates are rates. */
    assert_near(parsed("practice=0.01/week").practice_per_week, 0.01, 1e-15);
    assert_true(parsed("attendance=0%").attendance == 0.0);
}

static void hostile_text_is_refused_cleanly(void **state)
{
    (void)state;
    refused("therapy=weekly\n", "control character 0x0a", NULL);
    refused("therapy=\x1b[31mweekly", "0x1b", NULL);
    refused("therapy=\xff", "not valid UTF-8", NULL);
    refused("therapy=\xc3", "not valid UTF-8", NULL);
    refused("relationship-=\xed\xa0\x80", "UTF-8", NULL); /* a surrogate */
    char big[600];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, "practice=", 9);
    refused(big, "characters; at most 255", NULL);
    /* Nine added relationships: one more than a plan holds. */
    char many[256] = "relationship+=friend";
    for (int i = 1; i < 9; i++)
        strcat(many, ";relationship+=friend");
    refused(many, "at most 8", NULL);
    char longname[100] = "relationship-=";
    memset(longname + 14, 'x', 70);
    longname[84] = '\0';
    refused(longname, "relationship-", NULL);
    /* A message never carries raw control bytes back to a terminal. */
    sb_plan p;
    sb_error err;
    assert_int_not_equal(sb_plan_parse("x=therapy=\x7f", &p, &err), SB_OK);
    for (const char *c = err.message; *c; c++)
        assert_true((unsigned char)*c >= 0x20 && (unsigned char)*c != 0x7f);
}

static sb_care_inputs recorded(void)
{
    sb_care_inputs in;
    memset(&in, 0, sizeof in);
    in.sessions_per_week = 1;
    in.attendance = 0.75;
    in.reflections_per_week = 0.5;
    in.practice_per_week = 0.25;
    in.relationships_recorded = 1;
    in.relationship_count = 2;
    snprintf(in.relationships[0].name, SB_NAME_MAX, "Sam");
    in.relationships[0].kind = SB_REL_PARTNER;
    snprintf(in.relationships[1].name, SB_NAME_MAX, "Maya");
    in.relationships[1].kind = SB_REL_FRIEND;
    in.relationships[1].supportive = 1;
    return in;
}

static void applying_a_plan_changes_only_what_it_says(void **state)
{
    (void)state;
    sb_care_inputs in = recorded(), out;
    sb_error err;
    sb_plan p = parsed("keep");
    assert_int_equal(sb_plan_apply(&p, &in, &out, &err), SB_OK);
    assert_memory_equal(&in, &out, sizeof in);
    p = parsed("therapy=fortnightly;practice=3/week");
    assert_int_equal(sb_plan_apply(&p, &in, &out, &err), SB_OK);
    assert_true(out.sessions_per_week == 0.5 && out.attendance == 0.75);
    assert_true(out.practice_per_week == 3 && out.reflections_per_week == 0.5);
    assert_int_equal(out.relationship_count, 2);
    p = parsed("relationship-=Sam;relationship+=friend,secure");
    assert_int_equal(sb_plan_apply(&p, &in, &out, &err), SB_OK);
    assert_int_equal(out.relationship_count, 2);
    assert_string_equal(out.relationships[0].name, "Maya");
    assert_string_equal(out.relationships[1].name, "new friend");
    assert_int_equal(out.relationships[1].secure, 1);
    /* By kind: every friend ends. */
    p = parsed("relationship-=friend");
    assert_int_equal(sb_plan_apply(&p, &in, &out, &err), SB_OK);
    assert_int_equal(out.relationship_count, 1);
    assert_string_equal(out.relationships[0].name, "Sam");
    p = parsed("relationship-=Lena");
    assert_int_equal(sb_plan_apply(&p, &in, &out, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "plan 'relationship-=Lena'"));
    assert_non_null(strstr(err.message, "'Lena'"));
}

static void therapy_started_anew_takes_the_default_attendance(void **state)
{
    (void)state;
    sb_care_inputs in = recorded(), out;
    in.sessions_per_week = 0;
    in.attendance = 0;
    sb_scenario def;
    sb_scenario_default(&def);
    sb_plan p = parsed("therapy=start");
    assert_int_equal(sb_plan_apply(&p, &in, &out, NULL), SB_OK);
    assert_true(out.sessions_per_week == 1);
    assert_true(out.attendance == def.therapy.attendance);
    p = parsed("therapy=fortnightly;attendance=50%");
    assert_int_equal(sb_plan_apply(&p, &in, &out, NULL), SB_OK);
    assert_true(out.sessions_per_week == 0.5 && out.attendance == 0.5);
    /* Already in therapy: start changes nothing. */
    in = recorded();
    p = parsed("therapy=start");
    assert_int_equal(sb_plan_apply(&p, &in, &out, NULL), SB_OK);
    assert_true(out.sessions_per_week == 1 && out.attendance == 0.75);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keep_changes_nothing),
        cmocka_unit_test(therapy_words_and_rates),
        cmocka_unit_test(habits_attendance_and_names),
        cmocka_unit_test(relationships_added_and_ended),
        cmocka_unit_test(bad_plans_name_plan_field_and_value),
        cmocka_unit_test(zero_signed_and_huge_rates_say_so),
        cmocka_unit_test(hostile_text_is_refused_cleanly),
        cmocka_unit_test(applying_a_plan_changes_only_what_it_says),
        cmocka_unit_test(therapy_started_anew_takes_the_default_attendance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
