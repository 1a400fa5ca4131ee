/* Tests for src/journal/records.c: add, get, edit, delete, list, count. */
#include "journal/helpers.h"
#include "journal/db.h"

#include <securebase/model.h>

#include <math.h>

static void every_kind_round_trips(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_id ana = tj_person(t.j, "Ana");
    assert_int_equal(ana, 1);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "person=%lld", (long long)ana);

    sb_rec_relationship r, r2;
    tj_fill(SB_KIND_RELATIONSHIP, &r, idtext, "kind=friend", "name=Maya",
            "supportive=yes", "secure=yes", "start=2019-03-01",
            "notes=met at work", NULL);
    tj_add(t.j, SB_KIND_RELATIONSHIP, &r);
    assert_int_equal(sb_journal_get(t.j, SB_KIND_RELATIONSHIP, r.id, &r2, NULL),
                     SB_OK);
    assert_int_equal(r2.kind, SB_REL_FRIEND);
    assert_string_equal(r2.name, "Maya");
    assert_int_equal(r2.supportive, 1);
    assert_int_equal(r2.secure, 1);
    assert_string_equal(r2.start, "2019-03-01");
    assert_string_equal(r2.end, "");
    assert_string_equal(r2.notes, "met at work");

    sb_rec_session s, s2;
    tj_fill(SB_KIND_SESSION, &s, idtext, "date=2026-01-05", "attended=no",
            "minutes=50", NULL);
    tj_add(t.j, SB_KIND_SESSION, &s);
    assert_int_equal(sb_journal_get(t.j, SB_KIND_SESSION, s.id, &s2, NULL),
                     SB_OK);
    assert_memory_equal(&s, &s2, sizeof s);

    sb_rec_reflection f, f2;
    tj_fill(SB_KIND_REFLECTION, &f, idtext, "date=2026-01-07",
            "trigger=late reply", "situation=He did not answer for hours",
            "old_response=sent five messages", "new_response=waited, then asked",
            "tried=yes", "intensity=7", NULL);
    tj_add(t.j, SB_KIND_REFLECTION, &f);
    assert_int_equal(sb_journal_get(t.j, SB_KIND_REFLECTION, f.id, &f2, NULL),
                     SB_OK);
    assert_memory_equal(&f, &f2, sizeof f);

    sb_rec_practice p, p2;
    tj_fill(SB_KIND_PRACTICE, &p, idtext, "date=2026-01-09",
            "behaviour=asked for help", "outcome=positive", NULL);
    tj_add(t.j, SB_KIND_PRACTICE, &p);
    assert_int_equal(sb_journal_get(t.j, SB_KIND_PRACTICE, p.id, &p2, NULL),
                     SB_OK);
    assert_memory_equal(&p, &p2, sizeof p);

    sb_rec_assessment a, a2;
    tj_fill(SB_KIND_ASSESSMENT, &a, idtext, "instrument=RQ",
            "date=2026-01-05", "items=1 NA 7 2", NULL);
    tj_add(t.j, SB_KIND_ASSESSMENT, &a);
    assert_int_equal(sb_journal_get(t.j, SB_KIND_ASSESSMENT, a.id, &a2, NULL),
                     SB_OK);
    assert_string_equal(a2.instrument, "rq"); /* the canonical name */
    assert_int_equal(a2.item_count, 4);
    assert_true(a2.items[0] == 1.0 && isnan(a2.items[1]) && a2.items[2] == 7.0);
    /* The missing fearful rating leaves it and both dimensions out. */
    assert_int_equal(a2.score_count, 3);
    assert_string_equal(a2.scores[0].scale, "secure");
    assert_string_equal(a2.scores[2].scale, "dismissing");
    assert_true(a2.scores[2].value == 2.0);

    sb_rec_person who;
    assert_int_equal(sb_journal_get(t.j, SB_KIND_PERSON, ana, &who, NULL), SB_OK);
    assert_string_equal(who.name, "Ana");
    tj_close(&t);
}

static double score_of(const sb_rec_assessment *a, const char *scale)
{
    for (size_t i = 0; i < a->score_count; i++)
        if (!strcmp(a->scores[i].scale, scale))
            return a->scores[i].value;
    fail_msg("no score %s", scale);
    return 0;
}

static void assessments_are_scored_by_the_measure_layer(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    sb_rec_assessment a, back;
    /* RQ ratings: secure 2, fearful 5, preoccupied 6, dismissing 3. */
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=rq",
            "date=2026-01-05", "items=2 5 6 3", NULL);
    /* Scores given by the caller are replaced, never stored. */
    a.score_count = 1;
    snprintf(a.scores[0].scale, sizeof a.scores[0].scale, "secure");
    a.scores[0].value = 6.5;
    tj_add(t.j, SB_KIND_ASSESSMENT, &a);
    assert_int_equal(sb_journal_get(t.j, SB_KIND_ASSESSMENT, a.id, &back, NULL),
                     SB_OK);
    assert_int_equal(back.score_count, 6);
    assert_true(score_of(&back, "secure") == 2.0);
    assert_true(score_of(&back, "preoccupied") == 6.0);
    /* Griffin & Bartholomew: self = (2 + 3) - (5 + 6), other = (2 + 6) - (5 + 3) */
    assert_true(score_of(&back, "model_of_self") == -6.0);
    assert_true(score_of(&back, "model_of_other") == 0.0);

    /* ECR on a 5-point scale: 36 answers, anxiety = even items. Items all 3
     * except the even ones at 5; none of the even items is reverse-keyed
     * except 22, which becomes 1 + 5 - 5 = 1: anxiety = (17 * 5 + 1) / 18. */
    char items[200] = "items=";
    for (int i = 1; i <= 36; i++)
        strcat(items, i % 2 ? "3 " : "5 ");
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=ecr",
            "date=2026-01-05", "scale=1-5", items, NULL);
    tj_add(t.j, SB_KIND_ASSESSMENT, &a);
    assert_true(fabs(score_of(&a, "anxiety") - 86.0 / 18.0) < 1e-12);
    tj_close(&t);
}

/* "1-7" for a 1-7 questionnaire, "" and "07-7"... are one scale, stored once
 * one way: empty for the questionnaire's own, else MIN-MAX. */
static void scale_is_stored_in_one_spelling(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    const struct { const char *given, *stored; } cases[] = {
        {"scale=", ""}, {"scale=1-7", ""}, {"scale=01-07", ""},
        {"scale=1-5", "1-5"}, {"scale=001-05", "1-5"}, {"scale=0-100", "0-100"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sb_rec_assessment a, back;
        tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=rq",
                "date=2026-01-05", cases[i].given, "items=1 2 3 4", NULL);
        sb_id id = tj_add(t.j, SB_KIND_ASSESSMENT, &a);
        sb_error err;
        assert_int_equal(sb_journal_get(t.j, SB_KIND_ASSESSMENT, id, &back, &err),
                         SB_OK);
        if (strcmp(back.scale, cases[i].stored))
            fail_msg("%s stored as '%s', expected '%s'", cases[i].given,
                     back.scale, cases[i].stored);
    }
    tj_close(&t);
}

static void answers_must_fit_the_instrument(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    sb_rec_assessment a;
    sb_error err;
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=bdi",
            "date=2026-01-05", "items=1 2", NULL);
    assert_int_equal(sb_journal_add(t.j, SB_KIND_ASSESSMENT, &a, &err),
                     SB_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "field 'instrument': no built-in "
                                        "instrument named 'bdi'"));
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=rq",
            "date=2026-01-05", "items=1 2 3", NULL);
    assert_int_equal(sb_journal_add(t.j, SB_KIND_ASSESSMENT, &a, &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "field 'items': rq has 4 items, got 3 answers");
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=rq",
            "date=2026-01-05", "items=1 2 3 8", NULL);
    assert_int_equal(sb_journal_add(t.j, SB_KIND_ASSESSMENT, &a, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "item 4: answer 8 is outside the "
                                        "scale 1-7"));
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=rq",
            "date=2026-01-05", "items=1 2 3 2.5", NULL);
    assert_int_equal(sb_journal_add(t.j, SB_KIND_ASSESSMENT, &a, &err),
                     SB_ERR_INVALID);
    const char *scales[] = {"5", "5-1", "1-", "-1-5", "1-5x", "a-b", "1-500"};
    for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++) {
        char arg[40];
        snprintf(arg, sizeof arg, "scale=%s", scales[i]);
        tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=rq",
                "date=2026-01-05", arg, "items=1 2 3 4", NULL);
        assert_int_equal(sb_journal_add(t.j, SB_KIND_ASSESSMENT, &a, &err),
                         SB_ERR_INVALID);
        assert_non_null(strstr(err.message, "field 'scale' must be MIN-MAX"));
    }
    assert_int_equal(tj_count(t.j, SB_KIND_ASSESSMENT), 0);
    tj_close(&t);
}

static void references_must_exist(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_rec_session s;
    tj_fill(SB_KIND_SESSION, &s, "person=7", "date=2026-01-05",
            "attended=yes", "minutes=50", NULL);
    sb_error err;
    assert_int_equal(sb_journal_add(t.j, SB_KIND_SESSION, &s, &err),
                     SB_ERR_NOTFOUND);
    assert_string_equal(err.message,
                        "field 'person': there is no person with id 7");
    assert_int_equal(s.id, 0);
    assert_int_equal(tj_count(t.j, SB_KIND_SESSION), 0);
    tj_close(&t);
}

static void invalid_records_store_nothing(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    sb_rec_session s;
    tj_fill(SB_KIND_SESSION, &s, "person=1", "date=2026-02-29",
            "attended=yes", "minutes=50", NULL);
    sb_error err;
    assert_int_equal(sb_journal_add(t.j, SB_KIND_SESSION, &s, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'2026-02-29' is not a real date"));
    assert_int_equal(tj_count(t.j, SB_KIND_SESSION), 0);

    sb_rec_person dup;
    tj_fill(SB_KIND_PERSON, &dup, "name=Ana", NULL);
    assert_int_equal(sb_journal_add(t.j, SB_KIND_PERSON, &dup, &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "field 'name': a person named 'Ana' already exists "
                        "(id 1)");

    /* An id given by the caller must be free. */
    sb_rec_person taken;
    tj_fill(SB_KIND_PERSON, &taken, "id=1", "name=Bo", NULL);
    assert_int_equal(sb_journal_add(t.j, SB_KIND_PERSON, &taken, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "person with id 1 already exists"));
    assert_int_equal(taken.id, 1);
    tj_fill(SB_KIND_PERSON, &taken, "id=40", "name=Bo", NULL);
    assert_int_equal(tj_add(t.j, SB_KIND_PERSON, &taken), 40);
    assert_int_equal(tj_person(t.j, "Cy"), 41);
    assert_int_equal(sb_journal_add(t.j, SB_KIND_COUNT, &taken, &err),
                     SB_ERR_INVALID);
    tj_close(&t);
}

static void hostile_text_is_stored_verbatim(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    const char *name = "Robert'); DROP TABLE person;--";
    sb_id id = tj_person(t.j, name);
    sb_rec_person p;
    assert_int_equal(sb_journal_get(t.j, SB_KIND_PERSON, id, &p, NULL), SB_OK);
    assert_string_equal(p.name, name);
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 1);
    assert_int_equal(sb_journal_find_person(t.j, name, &p, NULL), SB_OK);
    assert_int_equal(p.id, id);
    tj_close(&t);
}

static void edit_replaces_fields_after_the_same_checks(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    tj_person(t.j, "Bo");
    sb_rec_session s, back;
    tj_fill(SB_KIND_SESSION, &s, "person=1", "date=2026-01-05",
            "attended=yes", "minutes=50", NULL);
    tj_add(t.j, SB_KIND_SESSION, &s);
    s.attended = 0;
    s.minutes = 30;
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_SESSION, &s, NULL), SB_OK);
    assert_int_equal(sb_journal_get(t.j, SB_KIND_SESSION, s.id, &back, NULL),
                     SB_OK);
    assert_int_equal(back.attended, 0);
    assert_int_equal(back.minutes, 30);

    sb_error err;
    s.minutes = 0;
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_SESSION, &s, &err),
                     SB_ERR_INVALID);
    s.minutes = 30;
    s.person = 9;
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_SESSION, &s, &err),
                     SB_ERR_NOTFOUND);
    s.person = 1;
    s.id = 99;
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_SESSION, &s, &err),
                     SB_ERR_NOTFOUND);
    assert_string_equal(err.message, "there is no session with id 99");
    assert_int_equal(sb_journal_get(t.j, SB_KIND_SESSION, 1, &back, NULL),
                     SB_OK);
    assert_int_equal(back.minutes, 30); /* unchanged by the failed edits */

    /* A person may keep their own name, not take another's. */
    sb_rec_person p;
    assert_int_equal(sb_journal_get(t.j, SB_KIND_PERSON, 1, &p, NULL), SB_OK);
    snprintf(p.notes, sizeof p.notes, "prefers mornings");
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_PERSON, &p, NULL), SB_OK);
    snprintf(p.name, sizeof p.name, "Bo");
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_PERSON, &p, &err),
                     SB_ERR_INVALID);

    /* Editing answers replaces them all. */
    sb_rec_assessment a, ab;
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=rq",
            "date=2026-01-05", "items=1 2 3 4", NULL);
    tj_add(t.j, SB_KIND_ASSESSMENT, &a);
    tj_fill(SB_KIND_ASSESSMENT, &a, "id=1", "person=1", "instrument=rq",
            "date=2026-01-06", "items=5 6 NA NA", NULL);
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_ASSESSMENT, &a, NULL), SB_OK);
    assert_int_equal(sb_journal_get(t.j, SB_KIND_ASSESSMENT, 1, &ab, NULL),
                     SB_OK);
    assert_int_equal(ab.item_count, 4);
    assert_true(ab.items[0] == 5.0 && ab.items[1] == 6.0);
    assert_int_equal(ab.score_count, 2); /* rescored: secure and fearful */
    assert_true(ab.scores[1].value == 6.0);
    assert_string_equal(ab.date, "2026-01-06");
    tj_close(&t);
}

static void deleting_a_person_with_records_needs_cascade(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    tj_person(t.j, "Bo");
    for (int i = 0; i < 3; i++) {
        sb_rec_session s;
        tj_fill(SB_KIND_SESSION, &s, "person=1", "date=2026-01-05",
                "attended=yes", "minutes=50", NULL);
        tj_add(t.j, SB_KIND_SESSION, &s);
    }
    sb_rec_assessment a;
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=rq",
            "date=2026-01-05", "items=1 2 3 4", NULL);
    tj_add(t.j, SB_KIND_ASSESSMENT, &a);
    sb_rec_session other;
    tj_fill(SB_KIND_SESSION, &other, "person=2", "date=2026-01-05",
            "attended=yes", "minutes=50", NULL);
    tj_add(t.j, SB_KIND_SESSION, &other);

    sb_error err;
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_PERSON, 1, 0, &err),
                     SB_ERR_STATE);
    assert_non_null(strstr(err.message,
                           "person 1 still has 3 sessions, 1 assessment"));
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 2);
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_PERSON, 1,
                                       SB_JOURNAL_CASCADE, &err),
                     SB_OK);
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 1);
    assert_int_equal(tj_count(t.j, SB_KIND_SESSION), 1); /* Bo's is kept */
    assert_int_equal(tj_count(t.j, SB_KIND_ASSESSMENT), 0);
    assert_int_equal(sb_journal_check_integrity(t.j, NULL), SB_OK);

    assert_int_equal(sb_journal_delete(t.j, SB_KIND_SESSION, other.id, 0, NULL),
                     SB_OK);
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_SESSION, other.id, 0, &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_PERSON, 2, 0, NULL), SB_OK);
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_COUNT, 2, 0, &err),
                     SB_ERR_INVALID);
    tj_close(&t);
}

static void lists_by_date_per_person(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    tj_person(t.j, "Bo");
    const char *dates[] = {"2026-03-01", "2026-01-05", "2026-02-10",
                           "2026-01-05"};
    const char *people[] = {"person=1", "person=1", "person=2", "person=1"};
    for (int i = 0; i < 4; i++) {
        sb_rec_session s;
        char d[32];
        snprintf(d, sizeof d, "date=%s", dates[i]);
        tj_fill(SB_KIND_SESSION, &s, people[i], d, "attended=yes",
                "minutes=50", NULL);
        tj_add(t.j, SB_KIND_SESSION, &s);
    }
    void *recs;
    size_t n;
    assert_int_equal(sb_journal_list(t.j, SB_KIND_SESSION, 1, &recs, &n, NULL),
                     SB_OK);
    assert_int_equal(n, 3);
    sb_rec_session *s = recs;
    /* by date, then by id among the same date */
    assert_int_equal(s[0].id, 2);
    assert_int_equal(s[1].id, 4);
    assert_int_equal(s[2].id, 1);
    free(recs);
    assert_int_equal(sb_journal_list(t.j, SB_KIND_SESSION, 0, &recs, &n, NULL),
                     SB_OK);
    assert_int_equal(n, 4);
    free(recs);
    assert_int_equal(sb_journal_list(t.j, SB_KIND_PRACTICE, 0, &recs, &n, NULL),
                     SB_OK);
    assert_int_equal(n, 0);
    assert_null(recs);
    size_t count;
    assert_int_equal(sb_journal_count(t.j, SB_KIND_SESSION, 2, &count, NULL),
                     SB_OK);
    assert_int_equal(count, 1);
    assert_int_equal(sb_journal_count(t.j, SB_KIND_PERSON, 2, &count, NULL),
                     SB_OK);
    assert_int_equal(count, 1);
    tj_close(&t);
}

/* The scores of every assessment without the answers: the same records,
 * order and scores as the full list, item_count 0; one person's too. */
static void scored_list_matches_the_full_one(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    tj_person(t.j, "Bo");
    /* Added out of date order and across people, so that ids and dates
     * disagree: RQ ratings, each its own score. */
    const char *dates[] = {"2026-03-01", "2026-01-05", "2026-02-10",
                           "2026-01-05", "2025-12-01"};
    const char *people[] = {"person=1", "person=2", "person=1", "person=1",
                            "person=2"};
    const char *items[] = {"items=1 2 3 4", "items=7 6 5 4", "items=2 2 2 2",
                           "items=4 3 2 1", "items=5 5 1 1"};
    for (int i = 0; i < 5; i++) {
        sb_rec_assessment a;
        char d[32];
        snprintf(d, sizeof d, "date=%s", dates[i]);
        tj_fill(SB_KIND_ASSESSMENT, &a, people[i], d, "instrument=rq",
                items[i], NULL);
        tj_add(t.j, SB_KIND_ASSESSMENT, &a);
    }
    for (sb_id who = 0; who <= 2; who++) {
        void *full;
        sb_rec_assessment *scored;
        size_t n, m;
        assert_int_equal(sb_journal_list(t.j, SB_KIND_ASSESSMENT, who, &full,
                                         &n, NULL),
                         SB_OK);
        assert_int_equal(sb_journal_list_scored(t.j, who, &scored, &m, NULL),
                         SB_OK);
        assert_int_equal(m, who == 0 ? 5 : who == 1 ? 3 : 2);
        assert_int_equal(n, m);
        const sb_rec_assessment *a = full;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(scored[i].id, a[i].id);
            assert_int_equal(scored[i].person, a[i].person);
            assert_string_equal(scored[i].date, a[i].date);
            assert_string_equal(scored[i].instrument, "rq");
            assert_int_equal(scored[i].item_count, 0);
            assert_true(a[i].score_count > 0);
            assert_int_equal(scored[i].score_count, a[i].score_count);
            for (size_t k = 0; k < a[i].score_count; k++) {
                assert_string_equal(scored[i].scores[k].scale,
                                    a[i].scores[k].scale);
                assert_true(scored[i].scores[k].value == a[i].scores[k].value);
            }
        }
        free(full);
        free(scored);
    }
    sb_rec_assessment *none;
    size_t m;
    assert_int_equal(sb_journal_list_scored(t.j, 99, &none, &m, NULL), SB_OK);
    assert_int_equal(m, 0);
    assert_null(none);
    tj_close(&t);
}

static void finds_people_by_id_or_name(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    tj_person(t.j, "Bo Lind");
    sb_rec_person p;
    sb_error err;
    assert_int_equal(sb_journal_find_person(t.j, "2", &p, NULL), SB_OK);
    assert_string_equal(p.name, "Bo Lind");
    assert_int_equal(sb_journal_find_person(t.j, "Ana", &p, NULL), SB_OK);
    assert_int_equal(p.id, 1);
    assert_int_equal(sb_journal_find_person(t.j, "Cy", &p, &err),
                     SB_ERR_NOTFOUND);
    assert_string_equal(err.message,
                        "there is no person with id or name 'Cy'");
    assert_int_equal(sb_journal_find_person(t.j, "9", &p, &err),
                     SB_ERR_NOTFOUND);
    assert_string_equal(err.message, "there is no person with id 9");
    tj_close(&t);
}

/* A name of digits would read as an id: "1" would mean person 1, whoever
 * has that name, and records would go to the wrong person. */
static void names_of_digits_are_refused(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    sb_rec_person p;
    sb_error err;
    const char *numbers[] = {"1", "007", "2", "12345678901234567890"};
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        char pair[64];
        snprintf(pair, sizeof pair, "name=%s", numbers[i]);
        tj_fill(SB_KIND_PERSON, &p, pair, NULL);
        assert_int_equal(sb_journal_add(t.j, SB_KIND_PERSON, &p, &err),
                         SB_ERR_INVALID);
        assert_non_null(strstr(err.message, "is only digits, which would "
                                            "read as a person's id"));
    }
    /* nor by renaming someone */
    assert_int_equal(sb_journal_get(t.j, SB_KIND_PERSON, 1, &p, NULL), SB_OK);
    snprintf(p.name, sizeof p.name, "2");
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_PERSON, &p, &err),
                     SB_ERR_INVALID);
    /* digits with anything else are a name like any other */
    const char *names[] = {"Client 7", "7a", "#7", " 7", "\xd9\xa7"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char pair[64];
        snprintf(pair, sizeof pair, "name=%s", names[i]);
        tj_fill(SB_KIND_PERSON, &p, pair, NULL);
        assert_int_equal(sb_journal_add(t.j, SB_KIND_PERSON, &p, &err), SB_OK);
        sb_rec_person found;
        assert_int_equal(sb_journal_find_person(t.j, names[i], &found, &err),
                         SB_OK);
        assert_int_equal(found.id, p.id);
    }
    assert_int_equal(sb_journal_name_is_number("0042"), 1);
    assert_int_equal(sb_journal_name_is_number(""), 0);
    assert_int_equal(sb_journal_name_is_number("4 2"), 0);
    tj_close(&t);
}

/* A journal written before the rule may hold a person named "1": a number
 * that could mean two people is refused, never guessed. */
static void old_names_of_digits_are_never_guessed(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    tj_person(t.j, "Bo");
    assert_int_equal(sqlite3_exec(t.j->db,
                                  "INSERT INTO person(id, name) VALUES "
                                  "(3, '1'), (4, '9'), (5, '5')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sb_rec_person p;
    sb_error err;
    assert_int_equal(sb_journal_find_person(t.j, "1", &p, &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "'1' is both the id of a person and the name of "
                        "person 3; a number means an id, so rename person 3 "
                        "to refer to them by name");
    assert_int_equal(sb_journal_find_person(t.j, "9", &p, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "there is no person with id 9; "
                                        "person 4 is named '9'"));
    /* the name and the id are the same person: no doubt */
    assert_int_equal(sb_journal_find_person(t.j, "5", &p, &err), SB_OK);
    assert_int_equal(p.id, 5);
    assert_int_equal(sb_journal_find_person(t.j, "2", &p, &err), SB_OK);
    assert_string_equal(p.name, "Bo");
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_round_trips),
        cmocka_unit_test(assessments_are_scored_by_the_measure_layer),
        cmocka_unit_test(answers_must_fit_the_instrument),
        cmocka_unit_test(scale_is_stored_in_one_spelling),
        cmocka_unit_test(references_must_exist),
        cmocka_unit_test(invalid_records_store_nothing),
        cmocka_unit_test(hostile_text_is_stored_verbatim),
        cmocka_unit_test(edit_replaces_fields_after_the_same_checks),
        cmocka_unit_test(deleting_a_person_with_records_needs_cascade),
        cmocka_unit_test(lists_by_date_per_person),
        cmocka_unit_test(scored_list_matches_the_full_one),
        cmocka_unit_test(finds_people_by_id_or_name),
        cmocka_unit_test(names_of_digits_are_refused),
        cmocka_unit_test(old_names_of_digits_are_never_guessed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
