/*
 * The FHIR R4 export: a bundle built from a small journal, checked field by
 * field against values worked out by hand, then handed to an independent
 * FHIR validator (the npm package `fhir`, tests/fhir/validate.js).
 */
#include "report/helpers.h"

#include <securebase/report.h>

#include <jansson.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>

typedef struct fixture {
    test_journal t;
    sb_rec_person *people;
    size_t np;
    sb_rec_assessment *assessments;
    size_t na;
} fixture;

static void add_assessment(sb_journal *j, const char *person,
                           const char *instrument, const char *date,
                           const char *scale, const char *items)
{
    tj_any rec;
    char p[64], i[64], d[64], s[64], it[400];
    snprintf(p, sizeof p, "person=%s", person);
    snprintf(i, sizeof i, "instrument=%s", instrument);
    snprintf(d, sizeof d, "date=%s", date);
    snprintf(s, sizeof s, "scale=%s", scale);
    snprintf(it, sizeof it, "items=%s", items);
    tj_fill(SB_KIND_ASSESSMENT, &rec, p, i, d, s, it, NULL);
    tj_add(j, SB_KIND_ASSESSMENT, &rec);
}

/*
 * Ana: the RQ (6 2 3 5) on 2026-01-05 and the ECR on 1-5 with anxiety 4 and
 * avoidance 3, item 36 unanswered, on 2026-02-02. Ben: the ECR on its own
 * 1-7 scale, anxiety 6 and avoidance 2.
 */
static void fixture_open(fixture *f)
{
    memset(f, 0, sizeof *f);
    tj_open(&f->t);
    tj_person(f->t.j, "Ana");
    tj_person(f->t.j, "Ben");
    add_assessment(f->t.j, "1", "rq", "2026-01-05", "", "6 2 3 5");
    char items[200];
    tr_ecr_items(4, 3, items, sizeof items);
    strcpy(items + strlen(items) - 1, "NA"); /* item 36 (anxiety) missing */
    add_assessment(f->t.j, "1", "ecr", "2026-02-02", "1-5", items);
    /* on 1-7 a reversed answer is 8 - x: build Ben's answers by hand */
    static const int rev[] = {3, 15, 19, 22, 25, 27, 29, 31, 33, 35};
    size_t n = 0;
    for (int i = 1; i <= 36; i++) {
        int v = i % 2 ? 2 : 6;
        for (size_t k = 0; k < 10; k++)
            if (rev[k] == i)
                v = 8 - v;
        n += (size_t)snprintf(items + n, sizeof items - n, "%s%d",
                              i > 1 ? " " : "", v);
    }
    add_assessment(f->t.j, "2", "ecr", "2026-03-02", "", items);
    void *p, *a;
    assert_int_equal(sb_journal_list(f->t.j, SB_KIND_PERSON, 0, &p, &f->np,
                                     NULL), SB_OK);
    assert_int_equal(sb_journal_list(f->t.j, SB_KIND_ASSESSMENT, 0, &a, &f->na,
                                     NULL), SB_OK);
    f->people = p;
    f->assessments = a;
}

static void fixture_close(fixture *f)
{
    free(f->people);
    free(f->assessments);
    tj_close(&f->t);
}

static char *write_bundle(const fixture *f, const char *name)
{
    char *path = sb_test_write(f->t.dir, name, "");
    sb_fhir_records rec = {f->people, f->np, f->assessments, f->na};
    sb_error err;
    sb_status st = sb_fhir_write_file(&rec, path, &err);
    if (st != SB_OK)
        fail_msg("fhir: %s", err.message);
    return path;
}

/* The entry whose resource has this type and id. */
static json_t *entry(json_t *bundle, const char *type, const char *id)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(bundle, "entry"), i, e) {
        json_t *r = json_object_get(e, "resource");
        if (!strcmp(json_string_value(json_object_get(r, "resourceType")), type) &&
            !strcmp(json_string_value(json_object_get(r, "id")), id))
            return e;
    }
    fail_msg("no %s/%s in the bundle", type, id);
    return NULL;
}

static json_t *resource(json_t *bundle, const char *type, const char *id)
{
    return json_object_get(entry(bundle, type, id), "resource");
}

static const char *full_url(json_t *bundle, const char *type, const char *id)
{
    return json_string_value(json_object_get(entry(bundle, type, id),
                                             "fullUrl"));
}

static double observed(json_t *bundle, const char *id)
{
    json_t *q = json_object_get(resource(bundle, "Observation", id),
                                "valueQuantity");
    return json_number_value(json_object_get(q, "value"));
}

static void bundle_by_hand(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    char *path = write_bundle(&f, "bundle.json");
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    json_error_t jerr;
    json_t *b = json_load_file(path, 0, &jerr);
    assert_non_null(b);
    assert_string_equal(json_string_value(json_object_get(b, "resourceType")),
                        "Bundle");
    assert_string_equal(json_string_value(json_object_get(b, "type")),
                        "collection");
    /* 2 code systems (rq, ecr), 3 questionnaires (rq; ecr on 1-7 and on
     * 1-5), 2 patients, 3 responses, 6 + 2 + 2 observations */
    size_t counts[5] = {0}, i;
    static const char *const types[5] = {"CodeSystem", "Questionnaire",
        "Patient", "QuestionnaireResponse", "Observation"};
    json_t *e;
    json_array_foreach(json_object_get(b, "entry"), i, e) {
        const char *t = json_string_value(json_object_get(
            json_object_get(e, "resource"), "resourceType"));
        for (int k = 0; k < 5; k++)
            counts[k] += !strcmp(t, types[k]);
    }
    assert_int_equal(counts[0], 2);
    assert_int_equal(counts[1], 3);
    assert_int_equal(counts[2], 2);
    assert_int_equal(counts[3], 3);
    assert_int_equal(counts[4], 10);
    assert_int_equal(json_array_size(json_object_get(b, "entry")), 20);

    /* the Patient is known by the pseudonym, marked as such */
    json_t *ana = resource(b, "Patient", "person-1");
    json_t *name = json_array_get(json_object_get(ana, "name"), 0);
    assert_string_equal(json_string_value(json_object_get(name, "use")),
                        "anonymous");
    assert_string_equal(json_string_value(json_object_get(name, "text")), "Ana");
    assert_string_equal(full_url(b, "Patient", "person-1"),
                        "urn:uuid:5ec0ba5e-0003-8000-8000-000000000001");

    /* RQ by hand: model of self (6 + 5) - (2 + 3) = 6, of other (6 + 3) -
     * (2 + 5) = 2 */
    assert_float_equal(observed(b, "assessment-1-secure"), 6, 1e-9);
    assert_float_equal(observed(b, "assessment-1-model-of-self"), 6, 1e-9);
    assert_float_equal(observed(b, "assessment-1-model-of-other"), 2, 1e-9);
    assert_float_equal(observed(b, "assessment-2-anxiety"), 4, 1e-9);
    assert_float_equal(observed(b, "assessment-2-avoidance"), 3, 1e-9);
    assert_float_equal(observed(b, "assessment-3-anxiety"), 6, 1e-9);
    assert_float_equal(observed(b, "assessment-3-avoidance"), 2, 1e-9);
    json_t *obs = resource(b, "Observation", "assessment-2-anxiety");
    json_t *coding = json_array_get(json_object_get(json_object_get(obs, "code"),
                                                    "coding"), 0);
    assert_string_equal(json_string_value(json_object_get(coding, "system")),
                        "https://securebase.invalid/fhir/CodeSystem/ecr");
    assert_string_equal(json_string_value(json_object_get(coding, "code")),
                        "anxiety");
    assert_string_equal(json_string_value(json_object_get(obs,
                                                          "effectiveDateTime")),
                        "2026-02-02");
    /* links: the observation to Ana and to the response it came from */
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(obs, "subject"), "reference")),
                        full_url(b, "Patient", "person-1"));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(obs, "derivedFrom"), 0),
                            "reference")),
                        full_url(b, "QuestionnaireResponse", "assessment-2"));

    /* the 1-5 answers have their own questionnaire, options 1..5, no text */
    json_t *q = resource(b, "Questionnaire", "questionnaire-ecr-scale-1-5");
    json_t *items = json_object_get(q, "item");
    assert_int_equal(json_array_size(items), 36);
    json_array_foreach(items, i, e)
        assert_null(json_object_get(e, "text"));
    json_t *options = json_object_get(json_array_get(items, 0), "answerOption");
    assert_int_equal(json_array_size(options), 5);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(options, 4), "valueInteger")), 5);
    json_t *qr = resource(b, "QuestionnaireResponse", "assessment-2");
    assert_string_equal(json_string_value(json_object_get(qr, "questionnaire")),
                        json_string_value(json_object_get(q, "url")));
    assert_string_equal(json_string_value(json_object_get(qr, "authored")),
                        "2026-02-02");
    /* item 36 was not answered: left out, 35 answers remain; item 3 is
     * reverse-keyed, so avoidance 3 was answered 6 - 3 = 3 and item 2
     * (anxiety 4) as 4 */
    json_t *answers = json_object_get(qr, "item");
    assert_int_equal(json_array_size(answers), 35);
    json_t *second = json_array_get(answers, 1);
    assert_string_equal(json_string_value(json_object_get(second, "linkId")), "2");
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(second, "answer"), 0),
                         "valueInteger")), 4);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(answers, 34), "linkId")), "35");
    json_decref(b);

    /* the same records give the same bytes */
    char *again = write_bundle(&f, "again.json");
    char *x = sb_test_slurp(path), *y = sb_test_slurp(again);
    assert_string_equal(x, y);
    free(x);
    free(y);
    free(again);
    free(path);
    fixture_close(&f);
}

/* ECR-RS items are linked per relationship: "partner-3". */
static void relationships_in_link_ids(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Cy");
    char items[200] = "";
    for (int i = 0; i < 36; i++)
        snprintf(items + strlen(items), sizeof items - strlen(items), "%s%d",
                 i ? " " : "", i % 7 + 1);
    add_assessment(t.j, "1", "ecr-rs", "2026-01-05", "", items);
    void *p, *a;
    size_t np, na;
    assert_int_equal(sb_journal_list(t.j, SB_KIND_PERSON, 0, &p, &np, NULL), SB_OK);
    assert_int_equal(sb_journal_list(t.j, SB_KIND_ASSESSMENT, 0, &a, &na, NULL),
                     SB_OK);
    sb_fhir_records rec = {p, np, a, na};
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_int_equal(sb_fhir_write(&rec, mem, NULL), SB_OK);
    fclose(mem);
    json_t *b = json_loads(buf, 0, NULL);
    assert_non_null(b);
    json_t *items_out = json_object_get(resource(b, "Questionnaire",
                                                 "questionnaire-ecr-rs"), "item");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(items_out, 20), "linkId")), "partner-3");
    /* 8 relationship scores and 2 global ones */
    assert_non_null(resource(b, "Observation", "assessment-1-partner-avoidance"));
    assert_non_null(resource(b, "Observation", "assessment-1-avoidance"));
    json_decref(b);
    free(buf);
    free(p);
    free(a);
    tj_close(&t);
}

static void errors(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    /* an assessment whose person is not exported */
    sb_fhir_records rec = {f.people + 1, 1, f.assessments, f.na};
    FILE *null = fopen("/dev/null", "w");
    sb_error err;
    assert_int_equal(sb_fhir_write(&rec, null, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "assessment 1 belongs to person 1"));
    /* an instrument that is not built in */
    sb_rec_assessment odd = f.assessments[0];
    snprintf(odd.instrument, sizeof odd.instrument, "phq-9");
    sb_fhir_records one = {f.people, f.np, &odd, 1};
    assert_int_equal(sb_fhir_write(&one, null, &err), SB_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "phq-9"));
    fclose(null);
    /* a file that cannot be written leaves nothing behind */
    char path[4300];
    snprintf(path, sizeof path, "%s/no/such/dir/b.json", f.t.dir);
    sb_fhir_records all = {f.people, f.np, f.assessments, f.na};
    assert_int_equal(sb_fhir_write_file(&all, path, &err), SB_ERR_IO);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    fixture_close(&f);
}

static int run_validator(const char *bundle, char **out)
{
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cd '%s/tests/fhir' && node validate.js '%s' 2>&1",
             SB_SOURCE_DIR, bundle);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0, got;
    *out = calloc(cap, 1);
    while ((got = fread(*out + len, 1, cap - len - 1, p)) > 0)
        len += got;
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Code nobody here wrote judges the bundle: the npm package `fhir`. */
static void validated_by_fhir_library(void **state)
{
    (void)state;
    struct stat sb;
    if (stat(SB_SOURCE_DIR "/tests/node_modules/fhir/package.json", &sb)) {
        fail_msg("the FHIR validator is not installed: run scripts/bootstrap "
                 "(npm ci in tests)");
    }
    fixture f;
    fixture_open(&f);
    char *path = write_bundle(&f, "bundle.json");
    char *out;
    int rc = run_validator(path, &out);
    if (rc != 0)
        fail_msg("validator exit %d:\n%s", rc, out);
    assert_non_null(strstr(out, "1 passed, 0 failed"));
    assert_non_null(strstr(out, "20 entries"));
    free(out);
    /* and it does reject: a response whose status is not a FHIR code */
    char *text = sb_test_slurp(path);
    char *at = strstr(text, "\"completed\"");
    assert_non_null(at);
    memcpy(at, "\"finished\" ", 11);
    char *bad = sb_test_write(f.t.dir, "bad.json", text);
    rc = run_validator(bad, &out);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "QuestionnaireResponse.status"));
    free(out);
    free(bad);
    free(text);
    free(path);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundle_by_hand),
        cmocka_unit_test(relationships_in_link_ids),
        cmocka_unit_test(errors),
        cmocka_unit_test(validated_by_fhir_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
