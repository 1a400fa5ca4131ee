/*
 * Who waits for the writer (src/serve/commit.c): a form that waits for the
 * writer's turn does not hold up the pages of other people, even with a
 * single worker thread; a page that reads a client's record is answered
 * while the writer is held, but only once its audit entries are on the
 * disk in the audit spool, and they reach the journal's log with the next
 * group; and a form is acknowledged only after its write is. The writer
 * and the spool are held by taking their locks from the test, so nothing
 * here depends on how fast the machine is. The group moves the entries
 * into the log without the spool: it is committed while the spool is held.
 */
#include "serve/helpers.h"
#include "serve/internal.h"

#include <pthread.h>
#include <unistd.h>

/* Sends a request and leaves its answer to be read later. */
static int send_only(unsigned port, const char *method, const char *path,
                     const ts_user *u, const char *form)
{
    int fd = ts_connect(port);
    assert_true(fd >= 0);
    char body[1024] = "";
    if (form)
        snprintf(body, sizeof body, "csrf=%s&%s", u->csrf, form);
    char req[4096];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: "
                     "close\r\nCookie: %s\r\n%s%zu\r\n\r\n%s",
                     method, path, port, u->cookie,
                     form ? "Content-Type: application/x-www-form-urlencoded"
                            "\r\nContent-Length: "
                          : "X-Length: ",
                     strlen(body), body);
    ts_send_all(fd, req, (size_t)n);
    return fd;
}

/* 1 if an answer has begun to arrive on fd within `ms`. */
static int answered_within(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, ms) > 0;
}

/* Sends a reflection of Ann's, its answer left to be read later. */
static int send_reflection(unsigned port, const ts_user *ann)
{
    return send_only(port, "POST", "/me/reflections", ann,
                     "date=2026-03-01&trigger=held&tried=no&intensity=3");
}

static ts_resp read_answer(int fd)
{
    size_t n;
    char *raw = ts_read_all(fd, &n, 30);
    close(fd);
    return ts_parse(raw, n);
}

static void a_page_is_answered_while_a_form_waits_for_the_writer(void **state)
{
    (void)state;
    sb_serve_options opt;
    sb_serve_options_default(&opt);
    opt.threads = 1; /* one worker: anything it waited for would stall all */
    ts_practice t;
    ts_start(&t, &opt);
    ts_user ann;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    size_t before = ts_count(&t, SB_KIND_REFLECTION, t.a);

    pthread_mutex_lock(&t.srv->write_lock);
    int form = send_reflection(t.port, &ann);
    /* The page comes back while the form cannot be written. */
    ts_resp page = ts_get(t.port, &ann, "/account");
    assert_int_equal(page.status, 200);
    ts_resp_free(&page);
    assert_false(answered_within(form, 0));
    pthread_mutex_unlock(&t.srv->write_lock);

    ts_resp r = read_answer(form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    assert_int_equal(ts_count(&t, SB_KIND_REFLECTION, t.a), before + 1);
    ts_stop(&t);
}

static size_t caseload_reads(const ts_practice *t)
{
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(t->db, 0, &j, &err) != SB_OK)
        fail_msg("open: %s", err.message);
    sb_audit_entry *e;
    size_t n, reads = 0;
    if (sb_audit_list(j, 0, 0, 100000, &e, &n, &err) != SB_OK)
        fail_msg("audit: %s", err.message);
    for (size_t i = 0; i < n; i++)
        reads += !strcmp(e[i].action, "read") && !strcmp(e[i].kind, "caseload");
    free(e);
    sb_journal_close(j);
    return reads;
}

/* Caseload reads in the audit spool, read on a connection of its own. */
static size_t spooled_reads(const ts_practice *t)
{
    char path[4300];
    snprintf(path, sizeof path, "%s.audit-spool", t->db);
    return sb_test_sqlite_count(path, "SELECT count(*) FROM entry WHERE "
                                      "action = 'read' AND kind = "
                                      "'caseload'");
}

/* Waits (up to 30 s) until the journal's log holds `want` caseload reads. */
static size_t logged_reads(const ts_practice *t, size_t want)
{
    size_t n = caseload_reads(t);
    for (int i = 0; i < 3000 && n < want; i++) {
        usleep(10000);
        n = caseload_reads(t);
    }
    return n;
}

static void a_page_is_answered_while_the_writer_is_held(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user dr;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    size_t before = logged_reads(&t, 0), spooled = spooled_reads(&t);

    pthread_mutex_lock(&t.srv->write_lock);
    ts_resp r = ts_get(t.port, &dr, "/caseload");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Ann Example"));
    ts_resp_free(&r);
    /* Answered: its entries are on the disk, one for each client on the
     * caseload (Ann and Cara), in the spool while no group can commit. */
    assert_int_equal(spooled_reads(&t), spooled + 2);
    assert_int_equal(caseload_reads(&t), before);
    pthread_mutex_unlock(&t.srv->write_lock);

    /* The next group moves them into the log. */
    assert_int_equal(logged_reads(&t, before + 2), before + 2);
    /* Stopped and started again: nothing is moved twice. */
    sb_server_stop(t.srv);
    sb_serve_options opt;
    sb_serve_options_default(&opt);
    opt.db = t.db;
    opt.listen = "127.0.0.1:0";
    sb_error err;
    if (sb_server_start(&opt, &t.srv, &err) != SB_OK)
        fail_msg("restart: %s", err.message);
    assert_int_equal(caseload_reads(&t), before + 2);
    ts_stop(&t);
}

/* Reads faster than the log takes them wait for it, and none is lost or
 * doubled: with room for four entries (two pages of two clients) waiting
 * to be moved and the writer held, a third page is not answered until the
 * log has caught up; then groups of two entries at most move all six. */
static void reads_faster_than_the_log_wait_for_it(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user dr;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    size_t before = logged_reads(&t, 0);
    pthread_mutex_lock(&t.srv->wait_lock);
    t.srv->move_max = 2;
    t.srv->backlog_max = 4;
    pthread_mutex_unlock(&t.srv->wait_lock);

    pthread_mutex_lock(&t.srv->write_lock);
    for (int i = 0; i < 2; i++) {
        ts_resp r = ts_get(t.port, &dr, "/caseload");
        assert_int_equal(r.status, 200);
        ts_resp_free(&r);
    }
    int page = send_only(t.port, "GET", "/caseload", &dr, NULL);
    assert_false(answered_within(page, 300));
    pthread_mutex_unlock(&t.srv->write_lock);

    ts_resp r = read_answer(page);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Ann Example"));
    ts_resp_free(&r);
    assert_int_equal(logged_reads(&t, before + 6), before + 6);
    /* Stopped: nothing left to move, nothing moved twice. */
    sb_server_stop(t.srv);
    t.srv = NULL;
    assert_int_equal(caseload_reads(&t), before + 6);
    ts_stop(&t);
}

static void a_page_is_answered_only_after_its_audit_entries_are_on_disk(
    void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user dr;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    size_t spooled = spooled_reads(&t);

    pthread_mutex_lock(&t.srv->spool_lock);
    int page = send_only(t.port, "GET", "/caseload", &dr, NULL);
    /* Nothing can be written to the spool: no answer. */
    assert_false(answered_within(page, 300));
    assert_int_equal(spooled_reads(&t), spooled);
    pthread_mutex_unlock(&t.srv->spool_lock);

    ts_resp r = read_answer(page);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Ann Example"));
    ts_resp_free(&r);
    assert_true(spooled_reads(&t) + caseload_reads(&t) >= spooled + 2);
    ts_stop(&t);
}

/* The group moves entries into the log from memory: neither it nor a
 * form waits for the spool, even while the spool cannot be written. */
static void the_group_never_waits_for_the_spool(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user dr, ann;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    size_t before = logged_reads(&t, 0);
    size_t reflections = ts_count(&t, SB_KIND_REFLECTION, t.a);

    /* A caseload's entries on the disk in the spool, waiting for a group. */
    pthread_mutex_lock(&t.srv->write_lock);
    ts_resp r = ts_get(t.port, &dr, "/caseload");
    assert_int_equal(r.status, 200);
    ts_resp_free(&r);
    pthread_mutex_lock(&t.srv->spool_lock);
    pthread_mutex_unlock(&t.srv->write_lock);

    /* With the spool held, the group moves them and a form is
     * acknowledged. */
    assert_int_equal(logged_reads(&t, before + 2), before + 2);
    int form = send_reflection(t.port, &ann);
    r = read_answer(form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    assert_int_equal(ts_count(&t, SB_KIND_REFLECTION, t.a), reflections + 1);
    pthread_mutex_unlock(&t.srv->spool_lock);
    ts_stop(&t);
}

static void a_form_is_acknowledged_only_after_its_commit(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    size_t before = ts_count(&t, SB_KIND_REFLECTION, t.a);

    pthread_mutex_lock(&t.srv->write_lock);
    int form = send_reflection(t.port, &ann);
    assert_false(answered_within(form, 300));
    assert_int_equal(ts_count(&t, SB_KIND_REFLECTION, t.a), before);
    pthread_mutex_unlock(&t.srv->write_lock);

    ts_resp r = read_answer(form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    /* Acknowledged, so stored: read back on a connection of its own. */
    assert_int_equal(ts_count(&t, SB_KIND_REFLECTION, t.a), before + 1);
    ts_stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_page_is_answered_while_a_form_waits_for_the_writer),
        cmocka_unit_test(a_page_is_answered_while_the_writer_is_held),
        cmocka_unit_test(
            a_page_is_answered_only_after_its_audit_entries_are_on_disk),
        cmocka_unit_test(the_group_never_waits_for_the_spool),
        cmocka_unit_test(reads_faster_than_the_log_wait_for_it),
        cmocka_unit_test(a_form_is_acknowledged_only_after_its_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
