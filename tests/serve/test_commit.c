/*
 * Who waits for the writer (src/serve/commit.c): a form that waits for the
 * writer's turn does not hold up the pages of other people, even with a
 * single worker thread; a page that reads a client's record is answered
 * only once its audit entries are committed; and a form is acknowledged
 * only after its write is. The writer is held by taking its lock from the
 * test, so nothing here depends on how fast the machine is.
 */
#include "serve/helpers.h"
#include "serve/internal.h"

#include <pthread.h>

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

static void a_page_is_answered_after_its_audit_entries_are_committed(
    void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user dr;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    size_t before = caseload_reads(&t);

    pthread_mutex_lock(&t.srv->write_lock);
    int page = send_only(t.port, "GET", "/caseload", &dr, NULL);
    /* Nothing can be committed while the writer is held: no answer. */
    assert_false(answered_within(page, 300));
    assert_int_equal(caseload_reads(&t), before);
    pthread_mutex_unlock(&t.srv->write_lock);

    ts_resp r = read_answer(page);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Ann Example"));
    ts_resp_free(&r);
    /* One entry for each client on the caseload (Ann and Cara). */
    assert_int_equal(caseload_reads(&t), before + 2);
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
        cmocka_unit_test(
            a_page_is_answered_after_its_audit_entries_are_committed),
        cmocka_unit_test(a_form_is_acknowledged_only_after_its_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
