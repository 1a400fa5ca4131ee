/*
 * The authorization walk: every route of the table, as every role (not
 * signed in, admin, clinician, client), with the asker's own ids and with
 * another client's. Wherever the table says no, the answer is 303 to the
 * sign-in page (not signed in, GET), 403 (wrong role) or 404 (not the
 * asker's record), and the other person's name never appears. Then, not
 * trusting the table alone, the cases that matter most by hand: a number
 * changed in the address never reaches another person's record, and
 * nothing is written by a refused request.
 */
#include "serve/helpers.h"

#include "serve/internal.h"

#include <strings.h>
#include <unistd.h>

typedef struct walk {
    ts_practice t;
    ts_user user;
    int role;            /* SB_ROLE_* or -1 for not signed in */
    sb_id account;       /* the asker's account */
} walk;

/* Fills a route's placeholders for `own` (the asker's ids) or not. */
static void fill(const walk *w, const sb_route *rt, int own, char *out,
                 size_t size)
{
    const ts_practice *t = &w->t;
    int k = own ? 0 : 1;
    sb_id person = own ? t->a : t->b, id = 0;
    const char *p = rt->pattern;
    if (strstr(p, "/invites/")) {
        person = own ? t->c : t->d; /* invites are for people without accounts */
        id = t->invite[k];
    } else if (strstr(p, "/reflections/"))
        id = t->reflection[k];
    else if (strstr(p, "/practice/"))
        id = t->practice[k];
    else if (strstr(p, "/relationships/"))
        id = t->relationship[k];
    else if (strstr(p, "/sessions/"))
        id = t->session[k];
    else if (strstr(p, "/schedules/"))
        id = t->schedule[k];
    else if (strstr(p, "/admin/accounts/"))
        id = own ? t->ben : 987654;
    else if (strstr(p, "/admin/assignments/")) {
        id = own ? t->dr_b : 987654;
        person = t->b;
    }
    const char *name = strstr(p, "/static/")           ? "style.css"
                       : strstr(p, "/questionnaires/") ? "ecr-r"
                                                       : "journal.csv";
    size_t n = 0;
    while (*p && n + 64 < size) {
        if (!strncmp(p, "{person}", 8)) {
            n += (size_t)snprintf(out + n, size - n, "%lld", (long long)person);
            p += 8;
        } else if (!strncmp(p, "{id}", 4)) {
            n += (size_t)snprintf(out + n, size - n, "%lld", (long long)id);
            p += 4;
        } else if (!strncmp(p, "{token}", 7)) {
            n += (size_t)snprintf(out + n, size - n, "%s",
                                  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            p += 7;
        } else if (!strncmp(p, "{name}", 6)) {
            n += (size_t)snprintf(out + n, size - n, "%s", name);
            p += 6;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

static int allowed_role(const walk *w, const sb_route *rt)
{
    unsigned bit = w->role < 0 ? SB_ANON : SB_ROLE_BIT(w->role);
    return (rt->roles & bit) != 0;
}

static int has_ids(const sb_route *rt)
{
    return rt->owner == SB_OWN_SELF_RECORD || rt->owner == SB_OWN_CASELOAD ||
           rt->owner == SB_OWN_CASELOAD_RECORD || rt->owner == SB_OWN_ACCOUNT;
}

static ts_resp call(walk *w, const sb_route *rt, const char *path)
{
    if (!strcmp(rt->method, "GET"))
        return ts_get(w->t.port, &w->user, path);
    return ts_post(w->t.port, &w->user, path, "");
}

static void expect_refused(const walk *w, const sb_route *rt, const char *path,
                           const ts_resp *r, int want)
{
    int ok = r->status == want;
    if (w->role < 0 && !strcmp(rt->method, "GET") && want == 403)
        ok = r->status == 303 && strstr(r->head, "Location: /login");
    if (!ok)
        fail_msg("%s %s as %s: expected %d, got %d", rt->method, path,
                 w->role < 0 ? "nobody" : sb_role_name((sb_role)w->role),
                 want, r->status);
    /* Nothing of the other people leaks into a refusal. */
    if (strstr(r->body, "Ben Other") || strstr(r->body, "Dan Other"))
        fail_msg("%s %s leaked another person's name", rt->method, path);
}

static void walk_as(walk *w)
{
    char path[512];
    for (const sb_route *rt = sb_routes; rt->pattern; rt++) {
        if (!strcmp(rt->pattern, "/logout"))
            continue; /* it ends the session: walked last */
        /* another person's ids first: the own ones may delete things */
        if (has_ids(rt)) {
            fill(w, rt, 0, path, sizeof path);
            ts_resp r = call(w, rt, path);
            expect_refused(w, rt, path, &r, allowed_role(w, rt) ? 404 : 403);
            ts_resp_free(&r);
        }
    }
    for (const sb_route *rt = sb_routes; rt->pattern; rt++) {
        if (!strcmp(rt->pattern, "/logout"))
            continue;
        fill(w, rt, 1, path, sizeof path);
        ts_resp r = call(w, rt, path);
        if (!allowed_role(w, rt)) {
            expect_refused(w, rt, path, &r, 403);
        } else if (strstr(rt->pattern, "{token}")) {
            /* an unknown link: as good as none */
            if (r.status != 404)
                fail_msg("%s %s: %d\n%s", rt->method, path, r.status,
                         r.body);
        } else if (r.status == 403 || r.status == 404 || r.status >= 500 ||
                   r.status == 0) {
            fail_msg("%s %s as %s: allowed by the table but answered %d",
                     rt->method, path,
                     w->role < 0 ? "nobody" : sb_role_name((sb_role)w->role),
                     r.status);
        }
        ts_resp_free(&r);
    }
    if (w->role >= 0) {
        ts_resp r = ts_post(w->t.port, &w->user, "/logout", "");
        assert_int_equal(r.status, 303);
        ts_resp_free(&r);
        r = ts_get(w->t.port, &w->user, "/account");
        assert_int_equal(r.status, 303); /* to the sign-in page */
        ts_resp_free(&r);
    }
}

static void every_route_every_role(void **state)
{
    (void)state;
    walk w;
    ts_start(&w.t, NULL);
    /* Not signed in, then each role; admin last (it disables accounts). */
    const struct {
        int role;
        const char *name;
    } who[] = {{-1, NULL},
               {SB_ROLE_CLIENT, "ann"},
               {SB_ROLE_CLINICIAN, "dr.a"},
               {SB_ROLE_ADMIN, "admin"}};
    for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
        w.role = who[i].role;
        memset(&w.user, 0, sizeof w.user);
        if (who[i].name)
            ts_login(w.t.port, &w.user, who[i].name, TS_PASSWORD);
        else {
            ts_resp r = ts_get(w.t.port, &w.user, "/login");
            ts_resp_free(&r);
        }
        walk_as(&w);
    }
    /* Ben's records were never touched by anyone. */
    assert_int_equal(ts_count(&w.t, SB_KIND_REFLECTION, w.t.b), 1);
    assert_int_equal(ts_count(&w.t, SB_KIND_PRACTICE, w.t.b), 1);
    assert_int_equal(ts_count(&w.t, SB_KIND_SESSION, w.t.b), 1);
    ts_stop(&w.t);
}

/* ---- by hand: the cases that matter most -------------------------------- */

static void numbers_in_the_address_reach_no_other_record(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann, dr, admin;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    ts_login(t.port, &admin, "admin", TS_PASSWORD);
    char path[128];
    /* A client has no page of a person by number at all. */
    snprintf(path, sizeof path, "/clients/%lld", (long long)t.a);
    ts_resp r = ts_get(t.port, &ann, path);
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    r = ts_get(t.port, &ann, "/caseload");
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    /* Ann's own home shows her, never Ben. */
    r = ts_get(t.port, &ann, "/me");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Ann Example"));
    assert_null(strstr(r.body, "Ben Other"));
    ts_resp_free(&r);
    /* Ben's reflection cannot be deleted by Ann. */
    snprintf(path, sizeof path, "/me/reflections/%lld/delete",
             (long long)t.reflection[1]);
    r = ts_post(t.port, &ann, path, "");
    assert_int_equal(r.status, 404);
    ts_resp_free(&r);
    assert_int_equal(ts_count(&t, SB_KIND_REFLECTION, t.b), 1);
    /* dr.a cannot open Ben (dr.b's client), his report or his data... */
    const char *pages[] = {"/clients/%lld", "/clients/%lld/report",
                           "/clients/%lld/data/journal.json"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, pages[i], (long long)t.b);
        r = ts_get(t.port, &dr, path);
        assert_int_equal(r.status, 404);
        assert_null(strstr(r.body, "Ben Other"));
        ts_resp_free(&r);
    }
    /* ...nor record a session for him... */
    snprintf(path, sizeof path, "/clients/%lld/sessions", (long long)t.b);
    r = ts_post(t.port, &dr, path, "date=2026-03-09&attended=yes&minutes=50");
    assert_int_equal(r.status, 404);
    ts_resp_free(&r);
    assert_int_equal(ts_count(&t, SB_KIND_SESSION, t.b), 1);
    /* ...nor delete Ben's session through Ann's page. */
    snprintf(path, sizeof path, "/clients/%lld/sessions/%lld/delete",
             (long long)t.a, (long long)t.session[1]);
    r = ts_post(t.port, &dr, path, "");
    assert_int_equal(r.status, 404);
    ts_resp_free(&r);
    assert_int_equal(ts_count(&t, SB_KIND_SESSION, t.b), 1);
    /* Admins see accounts, not records. */
    snprintf(path, sizeof path, "/clients/%lld", (long long)t.a);
    r = ts_get(t.port, &admin, path);
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    r = ts_get(t.port, &admin, "/me/reflections");
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    /* And the clinician sees their own client. */
    snprintf(path, sizeof path, "/clients/%lld", (long long)t.a);
    r = ts_get(t.port, &dr, path);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Ann Example"));
    ts_resp_free(&r);
    ts_stop(&t);
}

static void reads_and_writes_are_audited(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user ann, dr;
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    ts_resp r = ts_post(t.port, &ann, "/me/reflections",
                        "date=2026-03-05&trigger=plans+cancelled&tried=no&"
                        "intensity=4");
    assert_int_equal(r.status, 303);
    ts_resp_free(&r);
    char path[64];
    snprintf(path, sizeof path, "/clients/%lld", (long long)t.a);
    r = ts_get(t.port, &dr, path);
    ts_resp_free(&r);
    /* The write's entry is committed with it; the read's is on the disk
     * (in the audit spool) when the page is answered and reaches the log
     * with the next group: looked for until it is there (30 s at most). */
    int added = 0, read = 0;
    for (int tries = 0; tries < 3000 && !(added && read); tries++) {
        if (tries)
            usleep(10000);
        sb_journal *j;
        sb_error err;
        assert_int_equal(sb_journal_open(t.db, 0, &j, &err), SB_OK);
        sb_audit_entry *e;
        size_t n;
        assert_int_equal(sb_audit_list(j, t.a, 0, 100, &e, &n, &err), SB_OK);
        for (size_t i = 0; i < n; i++) {
            added |= !strcmp(e[i].action, "add") &&
                     !strcmp(e[i].kind, "reflection") &&
                     !strcmp(e[i].username, "ann") &&
                     !strcmp(e[i].address, "127.0.0.1") && e[i].record > 0;
            read |= !strcmp(e[i].action, "read") &&
                    !strcmp(e[i].username, "dr.a") && e[i].person == t.a;
        }
        free(e);
        sb_journal_close(j);
    }
    assert_true(added);
    assert_true(read);
    ts_stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_every_role),
        cmocka_unit_test(numbers_in_the_address_reach_no_other_record),
        cmocka_unit_test(reads_and_writes_are_audited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
