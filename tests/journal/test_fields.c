/* Tests for src/journal/fields.c: the field tables, text in and out, checks. */
#include "journal/helpers.h"

#include <securebase/model.h>

#include <math.h>

/* The journal's header stands on the records, not on the model: the
 * relationship kinds are matched to the model's by the test above. */
static void public_header_needs_no_model(void **state)
{
    (void)state;
    char *text = sb_test_slurp(SB_SOURCE_DIR "/include/securebase/journal.h");
    assert_non_null(text);
    assert_null(strstr(text, "#include <securebase/model.h>"));
    assert_non_null(strstr(text, "#include <securebase/records.h>"));
    free(text);
}

static void kinds_have_names_and_fields(void **state)
{
    (void)state;
    sb_journal_kind k;
    sb_error err;
    assert_int_equal(sb_journal_kind_parse("session", &k, &err), SB_OK);
    assert_int_equal(k, SB_KIND_SESSION);
    assert_int_equal(sb_journal_kind_parse("sessions", &k, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'sessions'"));
    assert_non_null(strstr(err.message, "practice"));
    assert_string_equal(sb_journal_kind_plural(SB_KIND_PERSON), "people");
    for (int i = 0; i < SB_KIND_COUNT; i++) {
        size_t n;
        const sb_journal_field *f = sb_journal_fields((sb_journal_kind)i, &n);
        assert_true(n >= 2);
        assert_string_equal(f[0].name, "id");
        if (i != SB_KIND_PERSON)
            assert_string_equal(f[1].name, "person");
        assert_non_null(sb_journal_field_find((sb_journal_kind)i, "id"));
    }
    assert_null(sb_journal_field_find(SB_KIND_SESSION, "intensity"));
    assert_null(sb_journal_fields(SB_KIND_COUNT, &(size_t){0}));
}

static void relationship_kinds_match_the_model(void **state)
{
    (void)state;
    const sb_journal_field *f = sb_journal_field_find(SB_KIND_RELATIONSHIP,
                                                      "kind");
    int i = 0;
    for (; f->names[i]; i++)
        assert_string_equal(f->names[i],
                            sb_relationship_kind_name((sb_relationship_kind)i));
    assert_int_equal(i, SB_REL_KIND_COUNT);
}

static void init_marks_required_numbers_unset(void **state)
{
    (void)state;
    sb_rec_reflection r;
    memset(&r, 0x5a, sizeof r);
    sb_journal_record_init(SB_KIND_REFLECTION, &r);
    assert_int_equal(r.id, 0);
    assert_int_equal(r.intensity, SB_UNSET);
    assert_int_equal(r.tried, 0); /* optional, defaults to no */
    assert_string_equal(r.trigger, "");
}

static void parses_each_type_from_text(void **state)
{
    (void)state;
    sb_rec_session s;
    tj_fill(SB_KIND_SESSION, &s, "person=12", "date=2026-01-05",
            "attended=YES", "minutes=50", "notes=first session", NULL);
    assert_int_equal(s.person, 12);
    assert_string_equal(s.date, "2026-01-05");
    assert_int_equal(s.attended, 1);
    assert_int_equal(s.minutes, 50);
    tj_fill(SB_KIND_SESSION, &s, "attended=no", NULL);
    assert_int_equal(s.attended, 0);
    tj_fill(SB_KIND_SESSION, &s, "attended=false", NULL);
    assert_int_equal(s.attended, 0);

    sb_rec_practice p;
    tj_fill(SB_KIND_PRACTICE, &p, "outcome=mixed", NULL);
    assert_int_equal(p.outcome, SB_OUTCOME_MIXED);

    sb_rec_assessment a;
    tj_fill(SB_KIND_ASSESSMENT, &a, "items= 1 2.5\tNA  7 ", NULL);
    assert_int_equal(a.item_count, 4);
    assert_true(a.items[0] == 1.0 && a.items[1] == 2.5 && a.items[3] == 7.0);
    assert_true(isnan(a.items[2]));
}

static sb_status parse1(sb_journal_kind kind, const char *field,
                        const char *text, sb_error *err)
{
    tj_any rec;
    sb_journal_record_init(kind, &rec);
    return sb_journal_field_parse(sb_journal_field_find(kind, field), text, &rec,
                                  err);
}

static void rejects_bad_text_with_field_and_value(void **state)
{
    (void)state;
    sb_error err;
    assert_int_equal(parse1(SB_KIND_SESSION, "attended", "maybe", &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "field 'attended' must be yes or no, got 'maybe'");
    assert_int_equal(parse1(SB_KIND_SESSION, "minutes", "50min", &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'50min'"));
    assert_int_equal(parse1(SB_KIND_SESSION, "minutes", "0", &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "field 'minutes' must be from 1 to 600, got 0");
    assert_int_equal(parse1(SB_KIND_SESSION, "minutes", " 5", &err),
                     SB_ERR_INVALID);
    assert_int_equal(parse1(SB_KIND_SESSION, "minutes",
                            "99999999999999999999", &err),
                     SB_ERR_INVALID);
    assert_int_equal(parse1(SB_KIND_REFLECTION, "intensity", "11", &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "field 'intensity' must be from 0 to 10, got 11");
    assert_int_equal(parse1(SB_KIND_REFLECTION, "intensity", "-1", &err),
                     SB_ERR_INVALID);
    assert_int_equal(parse1(SB_KIND_PRACTICE, "outcome", "great", &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.message, "field 'outcome' must be positive, mixed "
                                     "or negative, got 'great'");
    assert_int_equal(parse1(SB_KIND_SESSION, "person", "0", &err),
                     SB_ERR_INVALID);
    assert_int_equal(parse1(SB_KIND_SESSION, "person", "-4", &err),
                     SB_ERR_INVALID);
    assert_int_equal(parse1(SB_KIND_SESSION, "person", "4x", &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'4x'"));
    assert_int_equal(parse1(SB_KIND_ASSESSMENT, "items", "1 2 three", &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.message, "field 'items': answer 3 is not a number "
                                     "or NA, got 'three'");
    assert_int_equal(parse1(SB_KIND_ASSESSMENT, "items", "1 inf", &err),
                     SB_ERR_INVALID);
    assert_int_equal(parse1(SB_KIND_ASSESSMENT, "items", "1 nan", &err),
                     SB_ERR_INVALID);
    /* strtod would read these as 5; an answer is written in decimals. */
    const char *not_decimal[] = {"0x5", "5e0", "0x1p2", "5.0e0", "5e+0"};
    for (size_t i = 0; i < sizeof not_decimal / sizeof not_decimal[0]; i++) {
        char items[32];
        snprintf(items, sizeof items, "1 %s", not_decimal[i]);
        if (parse1(SB_KIND_ASSESSMENT, "items", items, &err) != SB_ERR_INVALID)
            fail_msg("'%s' was read as an answer", not_decimal[i]);
        assert_non_null(strstr(err.message, "answer 2 is not a number"));
    }
    assert_int_equal(parse1(SB_KIND_ASSESSMENT, "items", "-1 +5 5.0 .5", &err),
                     SB_OK);
    assert_int_equal(parse1(SB_KIND_ASSESSMENT, "scores", "anxiety=1", &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "computed"));
    char many[400] = "";
    for (int i = 0; i < SB_JOURNAL_ITEMS_MAX + 1; i++)
        strcat(many, "3 ");
    assert_int_equal(parse1(SB_KIND_ASSESSMENT, "items", many, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "more than 64"));
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(parse1(SB_KIND_PERSON, "name", longname, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "too long (299 bytes, at most 127)"));
}

static void formats_what_it_parses(void **state)
{
    (void)state;
    const char *pairs[][3] = {
        {"session", "attended", "yes"},  {"session", "minutes", "45"},
        {"session", "date", "2026-02-01"}, {"session", "person", "3"},
        {"practice", "outcome", "negative"},
        {"assessment", "items", "1 NA 7 2.5"},
        {"reflection", "situation", "two\nlines, \"quoted\""},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        sb_journal_kind kind;
        assert_int_equal(sb_journal_kind_parse(pairs[i][0], &kind, NULL), SB_OK);
        tj_any any;
        void *r = &any;
        sb_journal_record_init(kind, r);
        const sb_journal_field *f = sb_journal_field_find(kind, pairs[i][1]);
        assert_int_equal(sb_journal_field_parse(f, pairs[i][2], r, NULL), SB_OK);
        char buf[SB_JOURNAL_VALUE_MAX];
        sb_journal_field_format(f, r, buf, sizeof buf);
        assert_string_equal(buf, pairs[i][2]);
    }
    sb_rec_session s;
    sb_journal_record_init(SB_KIND_SESSION, &s);
    char buf[64];
    sb_journal_field_format(sb_journal_field_find(SB_KIND_SESSION, "minutes"),
                            &s, buf, sizeof buf);
    assert_string_equal(buf, ""); /* unset */
}

static sb_status check(sb_journal_kind kind, void *rec, sb_error *err)
{
    return sb_journal_record_check(kind, rec, err);
}

static void checks_every_rule(void **state)
{
    (void)state;
    sb_error err;
    sb_rec_session s;
    tj_fill(SB_KIND_SESSION, &s, "person=1", "date=2026-01-05",
            "attended=yes", "minutes=50", NULL);
    assert_int_equal(check(SB_KIND_SESSION, &s, &err), SB_OK);

    /* a required field that was not given */
    tj_fill(SB_KIND_SESSION, &s, "person=1", "date=2026-01-05", "minutes=50",
            NULL);
    assert_int_equal(check(SB_KIND_SESSION, &s, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "field 'attended' is required"));
    tj_fill(SB_KIND_SESSION, &s, "date=2026-01-05", "attended=yes",
            "minutes=50", NULL);
    assert_int_equal(check(SB_KIND_SESSION, &s, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "field 'person' is required"));
    tj_fill(SB_KIND_SESSION, &s, "person=1", "attended=yes", "minutes=50",
            NULL);
    assert_int_equal(check(SB_KIND_SESSION, &s, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "field 'date' is required"));

    /* a date that does not exist */
    tj_fill(SB_KIND_SESSION, &s, "person=1", "date=2026-02-30",
            "attended=yes", "minutes=50", NULL);
    assert_int_equal(check(SB_KIND_SESSION, &s, &err), SB_ERR_INVALID);
    assert_string_equal(err.message, "field 'date': '2026-02-30' is not a "
                                     "real date (February 2026 has 28 days)");

    /* numbers set directly, out of range */
    tj_fill(SB_KIND_SESSION, &s, "person=1", "date=2026-01-05",
            "attended=yes", "minutes=50", NULL);
    s.attended = 2;
    assert_int_equal(check(SB_KIND_SESSION, &s, &err), SB_ERR_INVALID);
    s.attended = 1;
    s.minutes = 601;
    assert_int_equal(check(SB_KIND_SESSION, &s, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'minutes' must be from 1 to 600"));

    /* end before start */
    sb_rec_relationship r;
    tj_fill(SB_KIND_RELATIONSHIP, &r, "person=1", "kind=partner", "name=Sam",
            "supportive=yes", "secure=no", "start=2025-06-01",
            "end=2025-05-31", NULL);
    assert_int_equal(check(SB_KIND_RELATIONSHIP, &r, &err), SB_ERR_INVALID);
    assert_string_equal(err.message, "field 'end' (2025-05-31) is before "
                                     "'start' (2025-06-01)");
    tj_fill(SB_KIND_RELATIONSHIP, &r, "person=1", "kind=partner", "name=Sam",
            "supportive=yes", "secure=no", "start=2025-06-01",
            "end=2025-06-01", NULL);
    assert_int_equal(check(SB_KIND_RELATIONSHIP, &r, &err), SB_OK);

    /* a new response tried but not described */
    sb_rec_reflection f;
    tj_fill(SB_KIND_REFLECTION, &f, "person=1", "date=2026-01-07",
            "trigger=late reply", "intensity=6", "tried=yes",
            "new_response=  ", NULL);
    assert_int_equal(check(SB_KIND_REFLECTION, &f, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'new_response' is empty"));

    /* a blank required name */
    sb_rec_person p;
    tj_fill(SB_KIND_PERSON, &p, "name=   ", NULL);
    assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "field 'name' is required"));
}

static void rejects_hostile_text(void **state)
{
    (void)state;
    sb_error err;
    sb_rec_person p;
    tj_fill(SB_KIND_PERSON, &p, "name=A\xC3", NULL); /* cut UTF-8 */
    assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "field 'name' is not valid UTF-8 (byte 2)");
    tj_fill(SB_KIND_PERSON, &p, "name=two\nlines", NULL);
    assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_ERR_INVALID);
    assert_string_equal(err.message, "field 'name' contains U+000A at byte "
                                     "4: a control character; it must be "
                                     "one line");
    assert_non_null(strstr(err.message, "must be one line"));
    tj_fill(SB_KIND_PERSON, &p, "name=ok", "notes=two\nlines\tand a tab", NULL);
    assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_OK);
    tj_fill(SB_KIND_PERSON, &p, "name=ok", "notes=bell\a", NULL);
    assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_ERR_INVALID);
    tj_fill(SB_KIND_PERSON, &p, "name=ok", NULL);
    memset(p.name, 'x', sizeof p.name); /* no terminating NUL */
    assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "too long"));
    /* C1 controls (NEL, CSI) and bidirectional overrides and isolates, in
     * names and in free text alike */
    const char *never[] = {"\xC2\x85", "\xC2\x9B", "\xC2\x80", "\xC2\x9F",
                           "\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC",
                           "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA6",
                           "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9",
                           "\x7F"};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
        char name[64], notes[64];
        snprintf(name, sizeof name, "name=Ana%sx", never[i]);
        snprintf(notes, sizeof notes, "notes=fine%s", never[i]);
        tj_fill(SB_KIND_PERSON, &p, name, NULL);
        if (check(SB_KIND_PERSON, &p, &err) != SB_ERR_INVALID)
            fail_msg("name with case %zu accepted", i);
        assert_non_null(strstr(err.message, "field 'name' contains U+"));
        assert_non_null(strstr(err.message, "at byte 4"));
        tj_fill(SB_KIND_PERSON, &p, "name=ok", notes, NULL);
        if (check(SB_KIND_PERSON, &p, &err) != SB_ERR_INVALID)
            fail_msg("notes with case %zu accepted", i);
    }
    tj_fill(SB_KIND_PERSON, &p, "name=gnp\xE2\x80\xAE" "exe.txt", NULL);
    assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_ERR_INVALID);
    assert_string_equal(err.message,
                        "field 'name' contains U+202E at byte 4: a "
                        "bidirectional override or isolate, which makes "
                        "text show in another order than it is stored");
    /* invisible direction marks: not in a name, where "Ana" and "Ana" + LRM
     * would look alike; allowed in free text, which may be right-to-left */
    const char *marks[] = {"\xE2\x80\x8E", "\xE2\x80\x8F", "\xD8\x9C"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        char name[64], notes[64];
        snprintf(name, sizeof name, "name=Ana%s", marks[i]);
        snprintf(notes, sizeof notes, "notes=\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"
                 " 3%s", marks[i]);
        tj_fill(SB_KIND_PERSON, &p, name, NULL);
        assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_ERR_INVALID);
        assert_non_null(strstr(err.message, "invisible direction mark"));
        tj_fill(SB_KIND_PERSON, &p, "name=ok", notes, NULL);
        assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_OK);
    }
    /* letters beyond ASCII are just letters */
    tj_fill(SB_KIND_PERSON, &p, "name=Zo\xC3\xAB \xD7\xA9\xD7\xA8\xD7\x94 "
            "\xE6\x9D\x8E \xF0\x9F\x8C\xB1", NULL);
    assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_OK);
    /* The SQL-looking name is just a name. */
    tj_fill(SB_KIND_PERSON, &p, "name=Robert'); DROP TABLE person;--", NULL);
    assert_int_equal(check(SB_KIND_PERSON, &p, &err), SB_OK);

    sb_rec_assessment a;
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=ECR-R",
            "date=2026-01-05", "items=1 2", NULL);
    assert_int_equal(check(SB_KIND_ASSESSMENT, &a, &err), SB_OK);
    a.items[1] = INFINITY;
    assert_int_equal(check(SB_KIND_ASSESSMENT, &a, &err), SB_ERR_INVALID);
    a.items[1] = 2;
    a.item_count = SB_JOURNAL_ITEMS_MAX + 1;
    assert_int_equal(check(SB_KIND_ASSESSMENT, &a, &err), SB_ERR_INVALID);
    a.item_count = 0;
    assert_int_equal(check(SB_KIND_ASSESSMENT, &a, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'items' is required"));
    assert_int_equal(check(SB_KIND_COUNT, &a, &err), SB_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds_have_names_and_fields),
        cmocka_unit_test(relationship_kinds_match_the_model),
        cmocka_unit_test(public_header_needs_no_model),
        cmocka_unit_test(init_marks_required_numbers_unset),
        cmocka_unit_test(parses_each_type_from_text),
        cmocka_unit_test(rejects_bad_text_with_field_and_value),
        cmocka_unit_test(formats_what_it_parses),
        cmocka_unit_test(checks_every_rule),
        cmocka_unit_test(rejects_hostile_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
