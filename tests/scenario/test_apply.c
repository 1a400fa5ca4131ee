/*
 * Tests for src/scenario/apply.c: merging a file onto its base. Partial
 * mappings change only the given fields; relationships are overridden,
 * appended and removed by name; the result does not depend on key order.
 */
#include "scenario/expect.h"

#include <string.h>

static void set_text(char *dst, size_t size, const char *s)
{
    memset(dst, 0, size);
    memcpy(dst, s, strlen(s));
}

/* The base `name` with the file's name and no description. */
static void expected_from(const char *base, const char *name, sb_scenario *sc)
{
    builtin_ok(base, sc);
    set_text(sc->name, sizeof sc->name, name);
    set_text(sc->description, sizeof sc->description, "");
}

static void partial_mappings_change_only_given_fields(void **state)
{
    (void)state;
    sb_scenario got, want;
    load_ok("name: m\nbase: therapy-only\ntherapy: {weeks: 20}\n", &got);
    expected_from("therapy-only", "m", &want);
    want.therapy.weeks = 20;
    expect_same_scenario(&got, &want);

    load_ok("name: m\nbase: clinical\npopulation:\n  plasticity: {sd: 0.5}\n"
            "  prototype_share: {secure: 0.35, fearful: 0.15}\n",
            &got);
    expected_from("clinical", "m", &want);
    want.population.plasticity.sd = 0.5;
    want.population.prototype_share[SB_PROTO_SECURE] = 0.35;
    want.population.prototype_share[SB_PROTO_FEARFUL] = 0.15;
    expect_same_scenario(&got, &want);

    load_ok("name: m\nbase: clinical\nmodel: {pull: 0.1, noise: 0}\n"
            "reflection: {per_week: 3}\nfollowup_weeks: 104\n",
            &got);
    expected_from("clinical", "m", &want);
    want.params.pull = 0.1;
    want.params.noise = 0;
    want.reflection.per_week = 3;
    want.followup_weeks = 104;
    expect_same_scenario(&got, &want);
}

static void relationships_are_overridden_by_name(void **state)
{
    (void)state;
    sb_scenario got, want;
    load_ok("name: m\nbase: clinical\nrelationships:\n"
            "  - {name: family, weight: 0.9, secure: true}\n",
            &got);
    expected_from("clinical", "m", &want);
    assert_string_equal(want.relationships[2].name, "family");
    want.relationships[2].weight = 0.9;
    want.relationships[2].secure = 1;
    expect_same_scenario(&got, &want);
}

static void new_relationships_are_appended_with_defaults(void **state)
{
    (void)state;
    sb_scenario got, want;
    load_ok("name: m\nbase: clinical\nrelationships:\n"
            "  - {name: coach}\n"
            "  - {name: sister, kind: family, share: 0.4, secure: true, "
            "start_week: 10, end_week: 30}\n",
            &got);
    expected_from("clinical", "m", &want);
    assert_int_equal(want.relationship_count, 3);
    want.relationship_count = 5;
    sb_relationship *coach = &want.relationships[3];
    sb_scenario_relationship_default(coach);
    set_text(coach->name, sizeof coach->name, "coach");
    sb_relationship *sister = &want.relationships[4];
    sb_scenario_relationship_default(sister);
    set_text(sister->name, sizeof sister->name, "sister");
    sister->kind = SB_REL_FAMILY;
    sister->share = 0.4;
    sister->secure = 1;
    sister->start_week = 10;
    sister->end_week = 30;
    expect_same_scenario(&got, &want);
}

static void defaults_of_a_new_relationship(void **state)
{
    (void)state;
    /* As documented in docs/scenarios.md. */
    sb_relationship r;
    memset(&r, 0x5A, sizeof r);
    sb_scenario_relationship_default(&r);
    assert_string_equal(r.name, "");
    assert_int_equal(r.kind, SB_REL_OTHER);
    assert_true(r.share == 1.0);
    assert_true(r.responsiveness == 0.5);
    assert_true(r.consistency == 0.5);
    assert_true(r.contacts_per_week == 1.0);
    assert_true(r.weight == 0.25);
    assert_int_equal(r.secure, 0);
    assert_int_equal(r.start_week, 0);
    assert_int_equal(r.end_week, -1);
}

static void relationships_are_removed_by_name(void **state)
{
    (void)state;
    sb_scenario got, want;
    load_ok("name: m\nbase: clinical\nrelationships:\n"
            "  - {name: partner, remove: true}\n"
            "  - {name: coach}\n",
            &got);
    expected_from("clinical", "m", &want);
    /* friends and family move up; coach comes after them. */
    want.relationships[0] = want.relationships[1];
    want.relationships[1] = want.relationships[2];
    sb_relationship *coach = &want.relationships[2];
    sb_scenario_relationship_default(coach);
    set_text(coach->name, sizeof coach->name, "coach");
    expect_same_scenario(&got, &want);

    /* `remove: false` is an ordinary entry. */
    load_ok("name: m\nbase: clinical\nrelationships:\n"
            "  - {name: partner, remove: false, weight: 0.1}\n",
            &got);
    expected_from("clinical", "m", &want);
    want.relationships[0].weight = 0.1;
    expect_same_scenario(&got, &want);

    /* Removing everything leaves an empty list with zeroed slots. */
    load_ok("name: m\nrelationships:\n  - {name: partner, remove: true}\n"
            "  - {name: friends, remove: true}\n"
            "  - {name: family, remove: true}\n",
            &got);
    assert_int_equal(got.relationship_count, 0);
    sb_relationship zero;
    memset(&zero, 0, sizeof zero);
    for (int i = 0; i < SB_MAX_RELATIONSHIPS; i++)
        assert_memory_equal(&got.relationships[i], &zero, sizeof zero);
}

static void inherit_relationships_false_starts_an_empty_list(void **state)
{
    (void)state;
    sb_scenario got;
    load_ok("name: m\nbase: clinical\ninherit_relationships: false\n", &got);
    assert_int_equal(got.relationship_count, 0);
    load_ok("name: m\nbase: clinical\nrelationships:\n"
            "  - {name: family, weight: 0.2}\n  - {name: partner}\n"
            "inherit_relationships: false\n",
            &got);
    assert_int_equal(got.relationship_count, 2);
    /* Both entries are new: defaults, in the order written. */
    assert_string_equal(got.relationships[0].name, "family");
    assert_true(got.relationships[0].weight == 0.2);
    assert_int_equal(got.relationships[0].kind, SB_REL_OTHER);
    assert_string_equal(got.relationships[1].name, "partner");
    assert_true(got.relationships[1].responsiveness == 0.5);
    /* `true` is the same as leaving it out. */
    sb_scenario clinical_copy;
    load_ok("name: m\nbase: clinical\ninherit_relationships: true\n", &got);
    load_ok("name: m\nbase: clinical\n", &clinical_copy);
    expect_same_scenario(&got, &clinical_copy);
}

static void key_order_does_not_matter(void **state)
{
    (void)state;
    sb_scenario a, b;
    load_ok("name: m\nbase: clinical\ntherapy: {weeks: 12, start_week: 1}\n"
            "relationships:\n  - {name: coach, weight: 0.3}\n"
            "population:\n  awareness: {mean: 0.4}\n",
            &a);
    load_ok("population:\n  awareness: {mean: 0.4}\n"
            "relationships:\n  - {weight: 0.3, name: coach}\n"
            "therapy: {start_week: 1, weeks: 12}\nbase: clinical\nname: m\n",
            &b);
    expect_same_scenario(&a, &b);
}

static void chains_of_bases_apply_in_order(void **state)
{
    (void)state;
    /* all-factors is therapy+support, which is therapy-only, on clinical. */
    sb_scenario all, support;
    builtin_ok("all-factors", &all);
    builtin_ok("therapy+support", &support);
    assert_int_equal(all.relationship_count, support.relationship_count + 1);
    for (size_t i = 0; i < support.relationship_count; i++)
        assert_memory_equal(&all.relationships[i], &support.relationships[i],
                            sizeof all.relationships[i]);
    assert_memory_equal(&all.therapy, &support.therapy, sizeof all.therapy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(partial_mappings_change_only_given_fields),
        cmocka_unit_test(relationships_are_overridden_by_name),
        cmocka_unit_test(new_relationships_are_appended_with_defaults),
        cmocka_unit_test(defaults_of_a_new_relationship),
        cmocka_unit_test(relationships_are_removed_by_name),
        cmocka_unit_test(inherit_relationships_false_starts_an_empty_list),
        cmocka_unit_test(key_order_does_not_matter),
        cmocka_unit_test(chains_of_bases_apply_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
