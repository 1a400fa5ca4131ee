/*
 * The caseload's rows kept between pages (src/serve/caseload_cache.c): a
 * kept row is used again and shows the same page, byte for byte, in every
 * sort; a write of the server, a write of another connection, a new day
 * and a change of assignments each show on the next page (or, for another
 * connection, once the server has looked, within about a second).
 */
#include "serve/helpers.h"
#include "serve/internal.h"

#include <securebase/journal.h>

/* GET of a caseload page; *hits and *misses: its rows found kept and
 * read from the journal. */
static char *caseload(ts_practice *t, ts_user *u, const char *path,
                      unsigned long *hits, unsigned long *misses)
{
    unsigned long h0, m0;
    sb_caseload_cache_counts(t->srv->rows, &h0, &m0);
    ts_resp r = ts_get(t->port, u, path);
    assert_int_equal(r.status, 200);
    sb_caseload_cache_counts(t->srv->rows, hits, misses);
    *hits -= h0;
    *misses -= m0;
    char *body = r.body;
    r.body = NULL;
    ts_resp_free(&r);
    return body;
}

/* A server over the test practice, with dr.a signed in. */
static void start(ts_practice *t, ts_user *dr)
{
    ts_start(t, NULL);
    ts_login(t->port, dr, "dr.a", TS_PASSWORD);
}

/* The text of the caseload's row of `name`, up to the end of its row. */
static void row_of(const char *page, const char *name, char *out, size_t size)
{
    const char *at = strstr(page, name);
    if (!at)
        fail_msg("%s is not on the caseload", name);
    const char *end = strstr(at, "</tr>");
    snprintf(out, size, "%.*s", end ? (int)(end - at) : 200, at);
}

static void today(char out[SB_DATE_SIZE])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, SB_DATE_SIZE, "%Y-%m-%d", &tm);
}

static void a_kept_row_is_used_again_and_shows_the_same(void **state)
{
    (void)state;
    ts_practice t;
    ts_build(&t);
    ts_assessment(t.db, t.a, "2026-02-01", 4);
    ts_assessment(t.db, t.a, "2026-03-01", 6);
    ts_serve(&t, NULL);
    ts_user dr;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    static const char *const keys[] = {"name",     "anxiety", "avoidance",
                                       "change",   "sessions", "due",
                                       "activity", "risk"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        for (int desc = 0; desc < 2; desc++) {
            char path[96];
            snprintf(path, sizeof path, "/caseload?sort=%s&dir=%s", keys[k],
                     desc ? "desc" : "asc");
            /* Read from the journal (nothing kept: as without the cache),
             * then from what was kept. */
            sb_caseload_cache_touch(t.srv->rows, 0);
            unsigned long hits, misses;
            char *read = caseload(&t, &dr, path, &hits, &misses);
            assert_int_equal(hits, 0);
            assert_int_equal(misses, 2); /* Ann and Cara */
            char *kept = caseload(&t, &dr, path, &hits, &misses);
            assert_int_equal(hits, 2);
            assert_int_equal(misses, 0);
            if (strcmp(read, kept))
                fail_msg("sorted by %s %s, the kept rows show another page",
                         keys[k], desc ? "desc" : "asc");
            assert_non_null(strstr(kept, "Ann Example"));
            assert_non_null(strstr(kept, "RC"));
            free(read);
            free(kept);
        }
    ts_stop(&t);
}

static void a_write_of_the_server_shows_on_the_next_page(void **state)
{
    (void)state;
    ts_practice t;
    ts_user dr;
    start(&t, &dr);
    unsigned long hits, misses;
    char *page = caseload(&t, &dr, "/caseload", &hits, &misses);
    char row[2048];
    row_of(page, "Ann Example", row, sizeof row);
    assert_non_null(strstr(row, ">0 attended"));
    free(page);
    char form[160], day[SB_DATE_SIZE], path[96];
    today(day);
    snprintf(form, sizeof form, "date=%s&attended=yes&minutes=50&notes=",
             day);
    snprintf(path, sizeof path, "/clients/%lld/sessions", (long long)t.a);
    ts_resp r = ts_post(t.port, &dr, path, form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    page = caseload(&t, &dr, "/caseload", &hits, &misses);
    /* Ann's row read again, Cara's kept. */
    assert_int_equal(misses, 1);
    assert_int_equal(hits, 1);
    row_of(page, "Ann Example", row, sizeof row);
    assert_non_null(strstr(row, ">1 attended"));
    free(page);
    /* A schedule due today shows as due at once. */
    snprintf(form, sizeof form, "instrument=ecr-s&every_weeks=2&start=%s",
             day);
    snprintf(path, sizeof path, "/clients/%lld/schedules", (long long)t.c);
    r = ts_post(t.port, &dr, path, form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    page = caseload(&t, &dr, "/caseload", &hits, &misses);
    row_of(page, "Cara Example", row, sizeof row);
    assert_non_null(strstr(row, "ecr-s due"));
    free(page);
    ts_stop(&t);
}

static void a_write_of_another_connection_shows_after_the_check(void **state)
{
    (void)state;
    ts_practice t;
    ts_user dr;
    start(&t, &dr);
    unsigned long hits, misses;
    free(caseload(&t, &dr, "/caseload", &hits, &misses));
    free(caseload(&t, &dr, "/caseload", &hits, &misses));
    assert_int_equal(hits, 2); /* both kept */
    /* The command line (another handle) records a session for Cara. */
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(t.db, 0, &j, &err) != SB_OK)
        fail_msg("open: %s", err.message);
    sb_rec_session s;
    sb_journal_record_init(SB_KIND_SESSION, &s);
    s.person = t.c;
    today(s.date);
    s.attended = 1;
    s.minutes = 50;
    ts_add(j, SB_KIND_SESSION, &s);
    sb_journal_close(j);
    /* Idle, the server looks once a second. */
    struct timespec pause = {2, 200000000};
    nanosleep(&pause, NULL);
    char *page = caseload(&t, &dr, "/caseload", &hits, &misses);
    assert_int_equal(misses, 2); /* every row read again */
    char row[2048];
    row_of(page, "Cara Example", row, sizeof row);
    assert_non_null(strstr(row, ">1 attended"));
    free(page);
    ts_stop(&t);
}

static void an_assignment_shows_on_the_next_page(void **state)
{
    (void)state;
    ts_practice t;
    ts_user dr, admin;
    start(&t, &dr);
    ts_login(t.port, &admin, "admin", TS_PASSWORD);
    unsigned long hits, misses;
    char *page = caseload(&t, &dr, "/caseload", &hits, &misses);
    assert_null(strstr(page, "Ben Other"));
    free(page);
    char form[128];
    snprintf(form, sizeof form, "clinician=%lld&person=%lld",
             (long long)t.dr_a, (long long)t.b);
    ts_resp r = ts_post(t.port, &admin, "/admin/assignments", form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    page = caseload(&t, &dr, "/caseload", &hits, &misses);
    assert_non_null(strstr(page, "Ben Other"));
    free(page);
    char path[128];
    snprintf(path, sizeof path, "/admin/assignments/%lld/clients/%lld/delete",
             (long long)t.dr_a, (long long)t.b);
    r = ts_post(t.port, &admin, path, "");
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    page = caseload(&t, &dr, "/caseload", &hits, &misses);
    assert_null(strstr(page, "Ben Other"));
    free(page);
    ts_stop(&t);
}

/* ---- the table itself ---------------------------------------------------- */

static sb_caseload_kept kept_row(sb_id person, size_t attended)
{
    sb_caseload_kept k;
    memset(&k, 0, sizeof k);
    k.row.person = person;
    k.row.attended = attended;
    return k;
}

static void a_row_is_kept_for_its_day_generation_and_epoch(void **state)
{
    (void)state;
    sb_caseload_cache *c;
    sb_error err;
    assert_int_equal(sb_caseload_cache_new(&c, &err), SB_OK);
    sb_caseload_kept k = kept_row(7, 3), out;
    sb_caseload_ticket tk;
    assert_false(sb_caseload_cache_get(c, 7, 100, &out, &tk));
    assert_true(tk.valid);
    sb_caseload_cache_put(c, 7, 100, &tk, &k);
    assert_true(sb_caseload_cache_get(c, 7, 100, &out, &tk));
    assert_int_equal(out.row.attended, 3);
    /* The next day: read again. */
    assert_false(sb_caseload_cache_get(c, 7, 101, &out, &tk));
    sb_caseload_cache_put(c, 7, 101, &tk, &k);
    assert_true(sb_caseload_cache_get(c, 7, 101, &out, &tk));
    /* A write to the client: read again; to another client: kept. */
    sb_caseload_cache_touch(c, 8);
    assert_true(sb_caseload_cache_get(c, 7, 101, &out, &tk));
    sb_caseload_cache_touch(c, 7);
    assert_false(sb_caseload_cache_get(c, 7, 101, &out, &tk));
    /* A write while it was read: what was read is not kept. */
    sb_caseload_cache_touch(c, 7);
    sb_caseload_cache_put(c, 7, 101, &tk, &k);
    assert_false(sb_caseload_cache_get(c, 7, 101, &out, &tk));
    sb_caseload_cache_put(c, 7, 101, &tk, &k);
    assert_true(sb_caseload_cache_get(c, 7, 101, &out, &tk));
    /* A write of unknown client: every row read again. */
    sb_caseload_cache_touch(c, 0);
    assert_false(sb_caseload_cache_get(c, 7, 101, &out, &tk));
    sb_caseload_cache_touch(c, 0);
    sb_caseload_cache_put(c, 7, 101, &tk, &k);
    assert_false(sb_caseload_cache_get(c, 7, 101, &out, &tk));
    /* Many clients: the table grows and keeps them all. */
    for (sb_id p = 1; p <= 5000; p++) {
        sb_caseload_kept e = kept_row(p, (size_t)p);
        if (!sb_caseload_cache_get(c, p, 101, &out, &tk))
            sb_caseload_cache_put(c, p, 101, &tk, &e);
    }
    for (sb_id p = 1; p <= 5000; p++) {
        assert_true(sb_caseload_cache_get(c, p, 101, &out, &tk));
        assert_int_equal(out.row.attended, (size_t)p);
    }
    unsigned long hits, misses;
    sb_caseload_cache_counts(c, &hits, &misses);
    assert_true(hits >= 5000);
    /* Past its bound the table empties: a row read across that is not
     * kept, and the table keeps rows again afterwards. */
    sb_caseload_ticket early;
    assert_false(sb_caseload_cache_get(c, 100000, 101, &out, &early));
    for (sb_id p = 200000; p < 220000; p++) {
        sb_caseload_kept e = kept_row(p, 1);
        if (!sb_caseload_cache_get(c, p, 101, &out, &tk))
            sb_caseload_cache_put(c, p, 101, &tk, &e);
    }
    sb_caseload_cache_put(c, 100000, 101, &early, &k);
    assert_false(sb_caseload_cache_get(c, 100000, 101, &out, &tk));
    assert_true(sb_caseload_cache_get(c, 219999, 101, &out, &tk));
    sb_caseload_cache_free(c);
}

static void another_connections_commit_forgets_every_row(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4200];
    snprintf(db, sizeof db, "%s/journal.db", dir);
    sb_journal *writer, *other;
    sb_error err;
    assert_int_equal(sb_journal_open(db, SB_JOURNAL_CREATE, &writer, &err),
                     SB_OK);
    assert_int_equal(sb_journal_open(db, 0, &other, &err), SB_OK);
    sb_caseload_cache *c;
    assert_int_equal(sb_caseload_cache_new(&c, &err), SB_OK);
    sb_caseload_cache_check_outside(c, writer);
    sb_caseload_kept k = kept_row(1, 1), out;
    sb_caseload_ticket tk;
    assert_false(sb_caseload_cache_get(c, 1, 10, &out, &tk));
    sb_caseload_cache_put(c, 1, 10, &tk, &k);
    /* The writer's own commits change nothing. */
    ts_person(writer, "Own Write");
    sb_caseload_cache_check_outside(c, writer);
    assert_true(sb_caseload_cache_get(c, 1, 10, &out, &tk));
    /* Another connection's do, once looked for. */
    ts_person(other, "Outside Write");
    assert_true(sb_caseload_cache_get(c, 1, 10, &out, &tk));
    sb_caseload_cache_check_outside(c, writer);
    assert_false(sb_caseload_cache_get(c, 1, 10, &out, &tk));
    sb_caseload_cache_free(c);
    sb_journal_close(other);
    sb_journal_close(writer);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_kept_row_is_used_again_and_shows_the_same),
        cmocka_unit_test(a_write_of_the_server_shows_on_the_next_page),
        cmocka_unit_test(a_write_of_another_connection_shows_after_the_check),
        cmocka_unit_test(an_assignment_shows_on_the_next_page),
        cmocka_unit_test(a_row_is_kept_for_its_day_generation_and_epoch),
        cmocka_unit_test(another_connections_commit_forgets_every_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
