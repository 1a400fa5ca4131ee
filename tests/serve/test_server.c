/*
 * Security of the web app against 127.0.0.1, each check bounded in count
 * and time: anti-forgery tokens, sessions ending at sign-out and when idle,
 * cookie flags (also as under TLS), response headers, stored script
 * escaped everywhere it shows, SQL metacharacters kept literally, bodies
 * over the limit refused with 413, idle and half-sent connections closed,
 * paths outside the site refused, malformed forms answered with 400 and
 * the server still serving, and sign-in throttling.
 */
#include "serve/helpers.h"

#include <securebase/journal.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <strings.h>

static void forged_forms_are_refused(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann, ben;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    ts_login(t.port, &ben, "ben", TS_PASSWORD);
    const char *form = "date=2026-03-05&trigger=x&tried=no&intensity=4";
    /* No token. */
    ts_resp r = ts_request(t.port, "POST", "/me/reflections", ann.cookie, form,
                           NULL);
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    /* Another session's token. */
    char body[512];
    snprintf(body, sizeof body, "csrf=%s&%s", ben.csrf, form);
    r = ts_request(t.port, "POST", "/me/reflections", ann.cookie, body, NULL);
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    /* The right token from another site. */
    snprintf(body, sizeof body, "csrf=%s&%s", ann.csrf, form);
    r = ts_request(t.port, "POST", "/me/reflections", ann.cookie, body,
                   "Origin: https://evil.example\r\n");
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    r = ts_request(t.port, "POST", "/me/reflections", ann.cookie, body,
                   "Sec-Fetch-Site: cross-site\r\n");
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    assert_int_equal(ts_count(&t, SB_KIND_REFLECTION, t.a), 1);
    /* The right token from this site. */
    char origin[64];
    snprintf(origin, sizeof origin, "Origin: http://127.0.0.1:%u\r\n", t.port);
    r = ts_request(t.port, "POST", "/me/reflections", ann.cookie, body, origin);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    assert_int_equal(ts_count(&t, SB_KIND_REFLECTION, t.a), 2);
    /* Sign-in itself needs the form's token (no login forgery). */
    r = ts_request(t.port, "POST", "/login", NULL,
                   "username=ann&password=" "a+test+password", NULL);
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    /* GET never changes anything. */
    r = ts_request(t.port, "GET", "/me/reflections/1/delete", ann.cookie, NULL,
                   NULL);
    assert_int_equal(r.status, 405);
    ts_resp_free(&r);
    ts_stop(&t);
}

static void sessions_end_at_sign_out_and_when_idle(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    ts_user copy = ann;
    ts_resp r = ts_post(t.port, &ann, "/logout", "");
    assert_int_equal(r.status, 303);
    char cookie[256];
    assert_true(ts_header(&r, "Set-Cookie", cookie, sizeof cookie));
    assert_non_null(strstr(cookie, "Max-Age=0"));
    ts_resp_free(&r);
    /* The old cookie, replayed, no longer signs anyone in. */
    r = ts_get(t.port, &copy, "/me");
    assert_int_equal(r.status, 303);
    assert_non_null(strstr(r.head, "Location: /login"));
    ts_resp_free(&r);
    ts_stop(&t);
    /* Idle for longer than the limit. The limit leaves a loaded machine
     * (argon2id on two busy cores) time to sign in and ask once. */
    sb_serve_options opt;
    sb_serve_options_default(&opt);
    opt.session_idle = 5;
    ts_start(&t, &opt);
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    r = ts_get(t.port, &ann, "/me");
    assert_int_equal(r.status, 200);
    ts_resp_free(&r);
    sleep(7);
    r = ts_get(t.port, &ann, "/me");
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    ts_stop(&t);
}

/* seen of ann's sessions (she has one): from the journal itself. */
static long long seen_of_ann(const ts_practice *t)
{
    return (long long)sb_test_sqlite_count(
        t->db, "SELECT max(s.seen) FROM web_session s JOIN account a ON "
               "a.id = s.account WHERE a.username = 'ann'");
}

/* A page noting its session's use (once a minute) is answered without
 * waiting for that write; the next group writes it, with the latest of the
 * uses noted meanwhile. */
static void a_sessions_use_is_written_with_the_next_group(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    /* Her session last noted two minutes ago, as another process would
     * see it. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, "UPDATE web_session SET seen = seen - "
                                      "120",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    long long before = seen_of_ann(&t);
    for (int i = 0; i < 3; i++) {
        ts_resp r = ts_get(t.port, &ann, "/me");
        assert_int_equal(r.status, 200);
        ts_resp_free(&r);
    }
    long long after = before;
    for (int i = 0; i < 100 && after == before; i++) {
        usleep(50000);
        after = seen_of_ann(&t);
    }
    assert_true(after >= before + 120);
    assert_true(after <= (long long)time(NULL));
    /* And she is still signed in. */
    ts_resp r = ts_get(t.port, &ann, "/me");
    assert_int_equal(r.status, 200);
    ts_resp_free(&r);
    ts_stop(&t);
}

static void cookies_and_headers(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann;
    memset(&ann, 0, sizeof ann);
    ts_resp r = ts_get(t.port, &ann, "/login");
    char v[512];
    assert_true(ts_header(&r, "Content-Security-Policy", v, sizeof v));
    assert_non_null(strstr(v, "default-src 'none'"));
    assert_non_null(strstr(v, "frame-ancestors 'none'"));
    assert_null(strstr(v, "unsafe"));
    assert_null(strstr(v, "script-src"));
    assert_true(ts_header(&r, "X-Content-Type-Options", v, sizeof v));
    assert_string_equal(v, "nosniff");
    assert_true(ts_header(&r, "Referrer-Policy", v, sizeof v));
    assert_string_equal(v, "no-referrer");
    assert_true(ts_header(&r, "Cache-Control", v, sizeof v));
    assert_string_equal(v, "no-store");
    /* No inline script anywhere, and nothing from elsewhere. */
    assert_null(strstr(r.body, "<script"));
    assert_null(strstr(r.body, "http://"));
    assert_null(strstr(r.body, "https://"));
    ts_resp_free(&r);
    char body[256];
    snprintf(body, sizeof body, "csrf=%s&username=ann&password=a+test+password",
             ann.csrf);
    r = ts_request(t.port, "POST", "/login", ann.cookie, body, NULL);
    assert_true(ts_header(&r, "Set-Cookie", v, sizeof v));
    assert_true(!strncmp(v, "sb_session=", 11));
    assert_non_null(strstr(v, "HttpOnly"));
    assert_non_null(strstr(v, "SameSite=Strict"));
    assert_non_null(strstr(v, "Path=/"));
    ts_resp_free(&r);
    r = ts_get(t.port, &ann, "/static/style.css");
    assert_int_equal(r.status, 200);
    assert_true(ts_header(&r, "Content-Type", v, sizeof v));
    assert_non_null(strstr(v, "text/css"));
    ts_resp_free(&r);
    ts_stop(&t);

    /* Under TLS (here: behind a TLS proxy), Secure and __Host-. */
    sb_serve_options opt;
    sb_serve_options_default(&opt);
    opt.behind_tls_proxy = 1;
    ts_start(&t, &opt);
    memset(&ann, 0, sizeof ann);
    r = ts_get(t.port, &ann, "/login");
    assert_true(ts_header(&r, "Set-Cookie", v, sizeof v));
    assert_true(!strncmp(v, "__Host-sb_form=", 15));
    assert_non_null(strstr(v, "Secure"));
    assert_true(ts_header(&r, "Strict-Transport-Security", v, sizeof v));
    ts_resp_free(&r);
    snprintf(body, sizeof body, "csrf=%s&username=ann&password=a+test+password",
             ann.csrf);
    r = ts_request(t.port, "POST", "/login", ann.cookie, body, NULL);
    assert_int_equal(r.status, 303);
    assert_true(ts_header(&r, "Set-Cookie", v, sizeof v));
    assert_true(!strncmp(v, "__Host-sb_session=", 18));
    assert_non_null(strstr(v, "; Secure"));
    assert_null(strstr(v, "Domain"));
    ts_resp_free(&r);
    ts_stop(&t);
}

/* Percent-encodes text for a form. */
static void encode(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && n + 4 < size;
         p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9'))
            out[n++] = (char)*p;
        else
            n += (size_t)snprintf(out + n, size - n, "%%%02X", *p);
    }
    out[n] = '\0';
}

static void hostile_text_is_escaped_and_kept_literally(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann, dr;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    const char *xss = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>"
                      "' OR 1=1; DROP TABLE reflection; --";
    char e[512], form[4096];
    encode(xss, e, sizeof e);
    snprintf(form, sizeof form,
             "date=2026-03-05&trigger=%s&situation=%s&old_response=%s&"
             "tried=yes&new_response=%s&intensity=4",
             e, e, e, e);
    ts_resp r = ts_post(t.port, &ann, "/me/reflections", form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    snprintf(form, sizeof form, "date=2026-03-05&behaviour=%s&outcome=mixed&"
                                "notes=%s", e, e);
    r = ts_post(t.port, &ann, "/me/practice", form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    snprintf(form, sizeof form, "name=%s&kind=friend&supportive=yes&"
                                "secure=no&start=2025-01-01&notes=%s", e, e);
    r = ts_post(t.port, &ann, "/me/relationships", form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    snprintf(form, sizeof form, "name=%s", e);
    r = ts_post(t.port, &dr, "/clients", form);
    assert_int_equal(r.status, 303);
    char where[128];
    assert_true(ts_header(&r, "Location", where, sizeof where));
    ts_resp_free(&r);
    char client[64];
    snprintf(client, sizeof client, "%.*s", (int)strcspn(where, "?"), where);
    snprintf(form, sizeof form, "date=2026-03-05&attended=no&minutes=50&"
                                "notes=%s", e);
    char path[128];
    snprintf(path, sizeof path, "%s/sessions", client);
    r = ts_post(t.port, &dr, path, form);
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    /* Every page that shows them shows them as text. */
    struct {
        ts_user *u;
        const char *path;
    } pages[] = {{&ann, "/me/reflections"}, {&ann, "/me/practice"},
                 {&ann, "/me/relationships"}, {&ann, "/me/report"},
                 {&dr, "/caseload"},          {&dr, client}};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        r = ts_get(t.port, pages[i].u, pages[i].path);
        assert_int_equal(r.status, 200);
        if (strstr(r.body, "<script>alert") || strstr(r.body, "<img src=x"))
            fail_msg("%s shows the script unescaped", pages[i].path);
        assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)"));
        ts_resp_free(&r);
    }
    /* The journal holds the text exactly as typed. */
    sb_journal *j;
    sb_error err;
    assert_int_equal(sb_journal_open(t.db, 0, &j, &err), SB_OK);
    sb_rec_reflection *f;
    size_t n;
    assert_int_equal(sb_journal_list(j, SB_KIND_REFLECTION, t.a, (void **)&f,
                                     &n, &err),
                     SB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(f[1].trigger, xss);
    assert_string_equal(f[1].new_response, xss);
    free(f);
    assert_int_equal(sb_journal_check_integrity(j, &err), SB_OK);
    sb_journal_close(j);
    ts_stop(&t);
}

static void large_bodies_get_413(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    /* Declared too large: refused before it is read. */
    int fd = ts_connect(t.port);
    assert_true(fd >= 0);
    char head[512];
    int n = snprintf(head, sizeof head,
                     "POST /me/reflections HTTP/1.1\r\nHost: x\r\nCookie: %s"
                     "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: 10000000\r\n\r\n",
                     ann.cookie);
    ts_send_all(fd, head, (size_t)n);
    size_t len;
    char *raw = ts_read_all(fd, &len, 10);
    close(fd);
    ts_resp r = ts_parse(raw, len);
    assert_int_equal(r.status, 413);
    ts_resp_free(&r);
    /* Sent in chunks without a length, and too large. */
    fd = ts_connect(t.port);
    assert_true(fd >= 0);
    n = snprintf(head, sizeof head,
                 "POST /me/reflections HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n"
                 "Content-Type: application/x-www-form-urlencoded\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n",
                 ann.cookie);
    ts_send_all(fd, head, (size_t)n);
    char chunk[8200];
    memset(chunk, 'a', sizeof chunk);
    int sent = snprintf(chunk, 16, "2000\r\n");
    chunk[sent + 8192] = '\r';
    chunk[sent + 8193] = '\n';
    for (int i = 0; i < 10; i++)
        ts_send_all(fd, chunk, (size_t)sent + 8194);
    ts_send_all(fd, "0\r\n\r\n", 5);
    raw = ts_read_all(fd, &len, 10);
    close(fd);
    r = ts_parse(raw, len);
    assert_int_equal(r.status, 413);
    ts_resp_free(&r);
    ts_stop(&t);
}

/* Seconds until the server closes a connection that sent `data`. */
static double closed_after(unsigned port, const char *data)
{
    int fd = ts_connect(port);
    assert_true(fd >= 0);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (data[0])
        ts_send_all(fd, data, strlen(data));
    size_t len;
    char *raw = ts_read_all(fd, &len, 20);
    clock_gettime(CLOCK_MONOTONIC, &b);
    free(raw);
    close(fd);
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static void idle_and_half_sent_connections_time_out(void **state)
{
    (void)state;
    sb_serve_options opt;
    sb_serve_options_default(&opt);
    opt.timeout = 2;
    ts_practice t;
    ts_start(&t, &opt);
    /* Connected, never a byte. */
    double s = closed_after(t.port, "");
    assert_true(s >= 1.0 && s < 10.0);
    /* Half a request, then silence. */
    s = closed_after(t.port, "GET /login HTTP/1.1\r\nHost: x\r\n");
    assert_true(s >= 1.0 && s < 10.0);
    /* A body promised and never sent. */
    s = closed_after(t.port, "POST /login HTTP/1.1\r\nHost: x\r\nContent-"
                             "Length: 100\r\n\r\nusername=");
    assert_true(s >= 1.0 && s < 10.0);
    /* Still serving. */
    ts_user u = {{0}, {0}};
    ts_resp r = ts_get(t.port, &u, "/login");
    assert_int_equal(r.status, 200);
    ts_resp_free(&r);
    ts_stop(&t);
}

static void paths_outside_the_site_are_refused(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    const char *bad[] = {"/static/../../etc/passwd",
                         "/static/%2e%2e/%2e%2e/etc/passwd",
                         "/static/..%2f..%2fetc%2fpasswd",
                         "/static//etc/passwd",
                         "/static/style.css/../../../etc/passwd",
                         "/static/%00style.css",
                         "/static/style.css%00.txt",
                         "/static/..\\..\\etc\\passwd",
                         "/static/styles.css",
                         "/static/.htaccess"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ts_resp r = ts_request(t.port, "GET", bad[i], NULL, NULL, NULL);
        if (r.status != 400 && r.status != 404)
            fail_msg("%s: %d", bad[i], r.status);
        assert_null(strstr(r.body, "root:"));
        ts_resp_free(&r);
    }
    ts_stop(&t);
}

static void malformed_forms_get_a_clear_400(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    const char *bad[] = {"trigger=%zz", "trigger", "=x", "trigger=%ff%fe",
                         "trigger=a&trigger=b", "trigger=%00",
                         "trigger=%C2%85", "a=1&&b=2", "trigger=%",
                         "intensity=11&date=2026-01-01&trigger=x&tried=no",
                         "intensity=-1&date=2026-01-01&trigger=x&tried=no",
                         "intensity=4&date=2026-02-30&trigger=x&tried=no",
                         "intensity=4&date=2026-01-01&trigger=&tried=no",
                         "intensity=4&date=2026-01-01&trigger=x&tried=maybe"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[512];
        snprintf(body, sizeof body, "csrf=%s&%s", ann.csrf, bad[i]);
        ts_resp r = ts_request(t.port, "POST", "/me/reflections", ann.cookie,
                               body, NULL);
        if (r.status != 400)
            fail_msg("'%s': %d", bad[i], r.status);
        assert_non_null(strstr(r.body, "<h1>"));
        ts_resp_free(&r);
    }
    /* Not a form at all. */
    char body[128];
    snprintf(body, sizeof body, "{\"csrf\": \"%s\"}", ann.csrf);
    ts_resp r = ts_request(t.port, "POST", "/me/reflections", ann.cookie, body,
                           "Content-Type: application/json\r\n");
    assert_int_equal(r.status, 400);
    ts_resp_free(&r);
    /* Questionnaire answers off the scale or not numbers. */
    const char *answers[] = {"action=submit&item1=8", "action=submit&item1=0x3",
                             "action=submit&item1=3.0", "action=submit&item99=1",
                             "action=explode"};
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        r = ts_post(t.port, &ann, "/me/questionnaires/ecr-r", answers[i]);
        if (r.status != 400)
            fail_msg("'%s': %d", answers[i], r.status);
        ts_resp_free(&r);
    }
    assert_int_equal(ts_count(&t, SB_KIND_REFLECTION, t.a), 1);
    assert_int_equal(ts_count(&t, SB_KIND_ASSESSMENT, t.a), 0);
    r = ts_get(t.port, &ann, "/me");
    assert_int_equal(r.status, 200);
    ts_resp_free(&r);
    ts_stop(&t);
}

static void sign_in_is_throttled_per_account(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user u;
    memset(&u, 0, sizeof u);
    ts_resp r = ts_get(t.port, &u, "/login");
    ts_resp_free(&r);
    for (int i = 0; i < 5; i++) {
        r = ts_post(t.port, &u, "/login", "username=ann&password=wrong+guess+"
                                          "here");
        assert_int_equal(r.status, 401);
        assert_non_null(strstr(r.body, "not right"));
        ts_resp_free(&r);
    }
    /* Now even the right password waits, with a clear message. */
    r = ts_post(t.port, &u, "/login", "username=ann&password=a+test+password");
    assert_int_equal(r.status, 429);
    assert_non_null(strstr(r.body, "Too many"));
    char v[32];
    assert_true(ts_header(&r, "Retry-After", v, sizeof v));
    ts_resp_free(&r);
    /* Other accounts are not locked by it. */
    r = ts_post(t.port, &u, "/login", "username=ben&password=a+test+password");
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    ts_stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forged_forms_are_refused),
        cmocka_unit_test(sessions_end_at_sign_out_and_when_idle),
        cmocka_unit_test(a_sessions_use_is_written_with_the_next_group),
        cmocka_unit_test(cookies_and_headers),
        cmocka_unit_test(hostile_text_is_escaped_and_kept_literally),
        cmocka_unit_test(large_bodies_get_413),
        cmocka_unit_test(idle_and_half_sent_connections_time_out),
        cmocka_unit_test(paths_outside_the_site_are_refused),
        cmocka_unit_test(malformed_forms_get_a_clear_400),
        cmocka_unit_test(sign_in_is_throttled_per_account),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
