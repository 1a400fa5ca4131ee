/* Tests for src/journal/export.c: CSV that imports back, JSON, atomic files. */
#include "journal/helpers.h"

#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

/* A journal with one of everything, including awkward text. */
static void fill(sb_journal *j)
{
    tj_person(j, "Ana");
    sb_rec_person bo;
    tj_fill(SB_KIND_PERSON, &bo, "name=Lind, Bo \"B\"",
            "notes=  leading spaces\nand a second line", NULL);
    tj_add(j, SB_KIND_PERSON, &bo);
    sb_rec_relationship r;
    tj_fill(SB_KIND_RELATIONSHIP, &r, "person=1", "kind=partner", "name=Sam",
            "supportive=no", "secure=no", "start=2020-05-01",
            "end=2025-11-30", NULL);
    tj_add(j, SB_KIND_RELATIONSHIP, &r);
    sb_rec_session s;
    tj_fill(SB_KIND_SESSION, &s, "person=1", "date=2026-01-05", "attended=yes",
            "minutes=50", NULL);
    tj_add(j, SB_KIND_SESSION, &s);
    sb_rec_assessment a;
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=rq",
            "date=2026-01-05", "items=1 NA 7 2", NULL);
    tj_add(j, SB_KIND_ASSESSMENT, &a);
    sb_rec_reflection f;
    tj_fill(SB_KIND_REFLECTION, &f, "person=2", "date=2026-01-07",
            "trigger=criticism", "new_response=caf\xC3\xA9 pause",
            "tried=yes", "intensity=0", NULL);
    tj_add(j, SB_KIND_REFLECTION, &f);
    sb_rec_practice p;
    tj_fill(SB_KIND_PRACTICE, &p, "person=1", "date=2026-01-09",
            "behaviour=said no", "outcome=mixed", NULL);
    tj_add(j, SB_KIND_PRACTICE, &p);
}

static char *export_text(sb_journal *j, sb_export_format fmt, sb_id person)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    sb_error err;
    if (sb_journal_export_stream(j, fmt, person, f, &err) != SB_OK)
        fail_msg("%s", err.message);
    fclose(f);
    return buf;
}

static void csv_export_imports_back_identically(void **state)
{
    (void)state;
    test_journal a, b;
    tj_open(&a);
    tj_open(&b);
    fill(a.j);
    char *first = export_text(a.j, SB_EXPORT_CSV, 0);
    sb_error err;
    if (sb_journal_import_csv_buffer(b.j, "export.csv", first, strlen(first),
                                     NULL, NULL, &err) != SB_OK)
        fail_msg("%s:%lu:%lu: %s", err.file, err.line, err.column, err.message);
    char *second = export_text(b.j, SB_EXPORT_CSV, 0);
    assert_string_equal(first, second);
    /* The header is the import format; cells are quoted only where they
     * must be, empty ones are bare. */
    assert_int_equal(strncmp(first, "record,id,name,notes,person,kind,", 33), 0);
    assert_non_null(strstr(first, ",rq,,1 NA 7 2,secure=1 preoccupied=7 dismissing=2"));
    assert_non_null(strstr(first, "\nsession,1,,,1,,"));
    free(first);
    free(second);
    tj_close(&a);
    tj_close(&b);
}

/*
 * Names and notes that a spreadsheet would run as formulas are written with
 * a guarding single quote (numbers are not), and read back by import as
 * they were written, quote and all where the text had one.
 */
static void csv_export_neutralises_formulas_and_round_trips(void **state)
{
    (void)state;
    static const char *const names[] = {
        "=HYPERLINK(\"http://x.test\",\"open\")", "+33 6 12 34 56",
        "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "'=already quoted", "-0.5",
        "''@two quotes"};
    static const char *const notes[] = {"\tstarts with a tab",
                                        "\rstarts with a CR", "=1+1",
                                        "-3", "'-0.5", "plain", "-"};
    const size_t n = sizeof names / sizeof names[0];
    test_journal a, b;
    tj_open(&a);
    tj_open(&b);
    for (size_t i = 0; i < n; i++) {
        char name[128], note[128];
        snprintf(name, sizeof name, "name=%s", names[i]);
        snprintf(note, sizeof note, "notes=%s", notes[i]);
        sb_rec_person p;
        tj_fill(SB_KIND_PERSON, &p, name, note, NULL);
        tj_add(a.j, SB_KIND_PERSON, &p);
    }
    char *csv = export_text(a.j, SB_EXPORT_CSV, 0);
    /* Each dangerous cell starts with the guard; numbers stay numbers. */
    assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"http://x.test\"\",\"\"open"));
    assert_non_null(strstr(csv, ",'+33 6 12 34 56,"));
    assert_non_null(strstr(csv, ",'-2+3+cmd|' /C calc'!A0,"));
    assert_non_null(strstr(csv, ",'@SUM(1+1),"));
    assert_non_null(strstr(csv, ",''=already quoted,"));
    assert_non_null(strstr(csv, ",-0.5,"));
    assert_non_null(strstr(csv, ",'''@two quotes,"));
    assert_non_null(strstr(csv, ",'\tstarts with a tab,"));
    assert_non_null(strstr(csv, ",\"'\rstarts with a CR\","));
    assert_non_null(strstr(csv, ",'=1+1,"));
    assert_non_null(strstr(csv, ",-3,"));
    assert_non_null(strstr(csv, ",''-0.5,"));
    assert_non_null(strstr(csv, ",'-,"));
    /* No line of the file starts a cell with a bare formula character. */
    for (const char *c = csv; *c; c++)
        if (c == csv || c[-1] == ',' || c[-1] == '\n')
            assert_true(strchr("=+@", *c) == NULL || *c == '\0');
    sb_error err;
    if (sb_journal_import_csv_buffer(b.j, "export.csv", csv, strlen(csv), NULL,
                                     NULL, &err) != SB_OK)
        fail_msg("%s:%lu:%lu: %s", err.file, err.line, err.column, err.message);
    for (size_t i = 0; i < n; i++) {
        sb_rec_person p;
        assert_int_equal(sb_journal_get(b.j, SB_KIND_PERSON, (sb_id)i + 1, &p,
                                        NULL),
                         SB_OK);
        assert_string_equal(p.name, names[i]);
        assert_string_equal(p.notes, notes[i]);
    }
    char *again = export_text(b.j, SB_EXPORT_CSV, 0);
    assert_string_equal(again, csv);
    free(again);
    free(csv);
    tj_close(&a);
    tj_close(&b);
}

static void json_export_has_typed_values(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    fill(t.j);
    char *text = export_text(t.j, SB_EXPORT_JSON, 0);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "format")),
                        "securebase-journal");
    assert_int_equal(json_integer_value(json_object_get(root, "schema")),
                     sb_journal_schema_version());
    json_t *people = json_object_get(root, "people");
    assert_int_equal(json_array_size(people), 2);
    json_t *bo = json_array_get(people, 1);
    assert_string_equal(json_string_value(json_object_get(bo, "name")),
                        "Lind, Bo \"B\"");
    assert_true(json_is_null(json_object_get(json_array_get(people, 0), "notes")));
    json_t *s = json_array_get(json_object_get(root, "sessions"), 0);
    assert_true(json_is_true(json_object_get(s, "attended")));
    assert_int_equal(json_integer_value(json_object_get(s, "minutes")), 50);
    json_t *a = json_array_get(json_object_get(root, "assessments"), 0);
    json_t *items = json_object_get(a, "items");
    assert_int_equal(json_array_size(items), 4);
    assert_true(json_is_null(json_array_get(items, 1)));
    assert_true(json_real_value(json_array_get(items, 2)) == 7.0);
    json_t *scores = json_object_get(a, "scores");
    assert_int_equal(json_object_size(scores), 3);
    assert_true(json_real_value(json_object_get(scores, "preoccupied")) == 7.0);
    json_t *r = json_array_get(json_object_get(root, "relationships"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "kind")), "partner");
    assert_true(json_is_false(json_object_get(r, "supportive")));
    json_t *f = json_array_get(json_object_get(root, "reflections"), 0);
    assert_string_equal(json_string_value(json_object_get(f, "new_response")),
                        "caf\xC3\xA9 pause");
    json_t *p = json_array_get(json_object_get(root, "practice"), 0);
    assert_string_equal(json_string_value(json_object_get(p, "outcome")), "mixed");
    json_decref(root);
    free(text);
    tj_close(&t);
}

static void one_person_only(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    fill(t.j);
    char *text = export_text(t.j, SB_EXPORT_JSON, 2);
    json_t *root = json_loads(text, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(root, "people")), 1);
    assert_int_equal(json_array_size(json_object_get(root, "sessions")), 0);
    assert_int_equal(json_array_size(json_object_get(root, "reflections")), 1);
    json_decref(root);
    free(text);
    sb_error err;
    assert_int_equal(sb_journal_export_stream(t.j, SB_EXPORT_CSV, 9, stdout,
                                              &err),
                     SB_ERR_NOTFOUND);
    tj_close(&t);
}

static void export_file_is_atomic_and_private(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    fill(t.j);
    char path[4300];
    snprintf(path, sizeof path, "%s/out.json", t.dir);
    assert_int_equal(sb_journal_export_file(t.j, SB_EXPORT_JSON, 0, path, NULL),
                     SB_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = sb_test_slurp(path);
    assert_non_null(strstr(text, "\"people\""));
    free(text);
    sb_error err;
    assert_int_equal(sb_journal_export_file(t.j, SB_EXPORT_CSV, 0,
                                            "/nonexistent/dir/out.csv", &err),
                     SB_ERR_IO);
    /* never over the journal or the files beside it, nor through a link */
    char link_path[4300], wal[4300], hard[4300];
    snprintf(link_path, sizeof link_path, "%s/link.csv", t.dir);
    snprintf(wal, sizeof wal, "%s-wal", t.path);
    snprintf(hard, sizeof hard, "%s/hard.csv", t.dir);
    assert_int_equal(symlink(t.path, link_path), 0);
    assert_int_equal(link(wal, hard), 0); /* under a name of its own */
    const char *journal_files[] = {t.path, link_path, wal, hard};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(sb_journal_export_file(t.j, SB_EXPORT_CSV, 0,
                                                journal_files[i], &err),
                         SB_ERR_INVALID);
        assert_string_equal(err.file, journal_files[i]);
        assert_non_null(strstr(err.message, "journal"));
    }
    assert_int_equal(sb_journal_check_integrity(t.j, NULL), SB_OK);
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 2);
    sb_export_format fmt;
    assert_int_equal(sb_export_format_parse("json", &fmt, NULL), SB_OK);
    assert_int_equal(fmt, SB_EXPORT_JSON);
    assert_int_equal(sb_export_format_parse("xml", &fmt, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'xml'"));
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_export_imports_back_identically),
        cmocka_unit_test(csv_export_neutralises_formulas_and_round_trips),
        cmocka_unit_test(json_export_has_typed_values),
        cmocka_unit_test(one_person_only),
        cmocka_unit_test(export_file_is_atomic_and_private),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
