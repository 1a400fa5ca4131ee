/*
 * The caseload's on-track column (src/serve/pages_clinician.c): the care
 * layer's signal and attendance alerts for each client, riskiest first
 * when sorted by it.
 */
#include "serve/helpers.h"

#include <securebase/journal.h>

static void missed(const char *db, sb_id person, const char *date)
{
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(db, 0, &j, &err) != SB_OK)
        fail_msg("open: %s", err.message);
    sb_rec_session s;
    sb_journal_record_init(SB_KIND_SESSION, &s);
    s.person = person;
    snprintf(s.date, sizeof s.date, "%s", date);
    s.attended = 0;
    s.minutes = 50;
    ts_add(j, SB_KIND_SESSION, &s);
    sb_journal_close(j);
}

static void the_caseload_shows_who_is_not_on_track(void **state)
{
    (void)state;
    ts_practice t;
    ts_build(&t);
    /* Ann: from the middle of the scale to nearly its top in four weeks,
     * far beyond what the model expects; Cara: only an intake, and two
     * sessions missed in a row. */
    ts_assessment(t.db, t.a, "2026-02-01", 4);
    ts_assessment(t.db, t.a, "2026-03-01", 7);
    ts_assessment(t.db, t.c, "2026-02-01", 4);
    missed(t.db, t.c, "2026-02-08");
    missed(t.db, t.c, "2026-02-15");
    ts_serve(&t, NULL);
    ts_user dr;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    ts_resp r = ts_get(t.port, &dr, "/caseload?sort=risk");
    assert_int_equal(r.status, 200);
    const char *ann = strstr(r.body, "Ann Example");
    const char *cara = strstr(r.body, "Cara Example");
    assert_non_null(ann);
    assert_non_null(cara);
    /* Sorted by risk: Ann (not on track) before Cara (an alert only). */
    assert_true(ann < cara);
    const char *off = strstr(r.body, "badge off-track");
    assert_non_null(off);
    assert_true(off > ann && off < cara);
    assert_non_null(strstr(off, "not on track"));
    assert_non_null(strstr(cara, "2 missed in a row"));
    assert_non_null(strstr(cara, "after the 2nd questionnaire"));
    assert_non_null(strstr(r.body, "aria-sort=\"ascending\""));
    ts_resp_free(&r);
    ts_stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_caseload_shows_who_is_not_on_track),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
