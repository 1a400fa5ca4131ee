/*
 * Helpers shared by the web app's tests: a server on 127.0.0.1 over a fresh
 * journal with two clinicians and their clients, a small HTTP client on
 * plain sockets (so that tests can also send what no browser would), and
 * signing in.
 */
#ifndef SB_TEST_SERVE_HELPERS_H
#define SB_TEST_SERVE_HELPERS_H

#include "support.h"

#include <securebase/accounts.h>
#include <securebase/questionnaire.h>
#include <securebase/serve.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- HTTP over a socket ---------------------------------------------------- */

typedef struct ts_resp {
    int status;
    char *head;  /* the status line and headers */
    char *body;
    size_t body_len;
} ts_resp;

static inline void ts_resp_free(ts_resp *r)
{
    free(r->head);
    free(r->body);
    memset(r, 0, sizeof *r);
}

static inline int ts_connect(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        fd = -1;
    }
    return fd; /* -1: nobody listens (a request then gets status 0) */
}

static inline void ts_send_all(int fd, const char *data, size_t n)
{
    while (n) {
        ssize_t k = send(fd, data, n, MSG_NOSIGNAL);
        if (k <= 0)
            return; /* the server may close early (413): read what it said */
        data += k;
        n -= (size_t)k;
    }
}

/* Reads until the peer closes (or `seconds` pass); returns the bytes. */
static inline char *ts_read_all(int fd, size_t *len, int seconds)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    time_t end = time(NULL) + seconds;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        int left = (int)(end - time(NULL));
        if (left <= 0 || poll(&p, 1, left * 1000) <= 0)
            break;
        if (n + 4096 > cap)
            buf = realloc(buf, cap *= 2);
        ssize_t k = recv(fd, buf + n, cap - n - 1, 0);
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static inline ts_resp ts_parse(char *raw, size_t n)
{
    ts_resp r = {0};
    char *sep = strstr(raw, "\r\n\r\n");
    size_t hlen = sep ? (size_t)(sep - raw) : n;
    r.head = malloc(hlen + 1);
    memcpy(r.head, raw, hlen);
    r.head[hlen] = '\0';
    size_t off = sep ? hlen + 4 : n;
    r.body_len = n - off;
    r.body = malloc(r.body_len + 1);
    memcpy(r.body, raw + off, r.body_len);
    r.body[r.body_len] = '\0';
    if (sscanf(raw, "HTTP/1.%*d %d", &r.status) != 1)
        r.status = 0;
    free(raw);
    return r;
}

/*
 * One request: method, path, the Cookie header (or NULL), a form body (or
 * NULL) and extra header lines (each ending in \r\n, or NULL).
 */
static inline ts_resp ts_request(unsigned port, const char *method,
                                 const char *path, const char *cookie,
                                 const char *body, const char *extra)
{
    int fd = ts_connect(port);
    if (fd < 0)
        return ts_parse(strdup(""), 0);
    size_t blen = body ? strlen(body) : 0;
    size_t cap = strlen(path) + blen + (cookie ? strlen(cookie) : 0) +
                 (extra ? strlen(extra) : 0) + 512;
    char *req = malloc(cap);
    int n = snprintf(req, cap,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: "
                     "close\r\n%s%s%s%s",
                     method, path, port, cookie ? "Cookie: " : "",
                     cookie ? cookie : "", cookie ? "\r\n" : "",
                     extra ? extra : "");
    if (body)
        n += snprintf(req + n, cap - (size_t)n,
                      "Content-Type: application/x-www-form-urlencoded\r\n"
                      "Content-Length: %zu\r\n",
                      blen);
    n += snprintf(req + n, cap - (size_t)n, "\r\n");
    ts_send_all(fd, req, (size_t)n);
    if (body)
        ts_send_all(fd, body, blen);
    free(req);
    size_t len;
    char *raw = ts_read_all(fd, &len, 30);
    close(fd);
    return ts_parse(raw, len);
}

/* The value of a response header (first), copied into out; 1 if found. */
static inline int ts_header(const ts_resp *r, const char *name, char *out,
                            size_t size)
{
    size_t n = strlen(name);
    for (const char *p = r->head; p && (p = strstr(p, "\r\n")); p += 2) {
        if (!strncasecmp(p + 2, name, n) && p[2 + n] == ':') {
            const char *v = p + 3 + n;
            while (*v == ' ')
                v++;
            size_t k = strcspn(v, "\r\n");
            snprintf(out, size, "%.*s", (int)k, v);
            return 1;
        }
    }
    return 0;
}

/* The value="..." of the first hidden csrf field in a page, or "". */
static inline void ts_csrf(const ts_resp *r, char out[64])
{
    out[0] = '\0';
    const char *p = strstr(r->body, "name=\"csrf\" value=\"");
    if (p)
        sscanf(p + 19, "%63[^\"]", out);
}

/* A browser's session: its cookies and the current anti-forgery token. */
typedef struct ts_user {
    char cookie[256];
    char csrf[64];
} ts_user;

/* Takes "name=value" of a Set-Cookie header into the user's cookies. */
static inline void ts_take_cookie(const ts_resp *r, ts_user *u)
{
    for (const char *p = r->head; p && (p = strstr(p, "\r\nSet-Cookie: "));
         p += 2) {
        char pair[160];
        sscanf(p + 14, "%159[^;\r]", pair);
        char name[64];
        sscanf(pair, "%63[^=]", name);
        /* Replace a cookie of the same name. */
        char kept[256] = "";
        char *save, *copy = strdup(u->cookie);
        for (char *c = strtok_r(copy, "; ", &save); c;
             c = strtok_r(NULL, "; ", &save))
            if (strncmp(c, name, strlen(name)) || c[strlen(name)] != '=')
                snprintf(kept + strlen(kept), sizeof kept - strlen(kept),
                         "%s%s", kept[0] ? "; " : "", c);
        free(copy);
        if (strstr(pair, "=") && pair[strlen(pair) - 1] != '=')
            snprintf(kept + strlen(kept), sizeof kept - strlen(kept), "%s%s",
                     kept[0] ? "; " : "", pair);
        snprintf(u->cookie, sizeof u->cookie, "%s", kept);
    }
}

/* GET with the user's cookies; keeps new cookies and the csrf token. */
static inline ts_resp ts_get(unsigned port, ts_user *u, const char *path)
{
    ts_resp r = ts_request(port, "GET", path, u->cookie[0] ? u->cookie : NULL,
                           NULL, NULL);
    ts_take_cookie(&r, u);
    char t[64];
    ts_csrf(&r, t);
    if (t[0])
        snprintf(u->csrf, sizeof u->csrf, "%s", t);
    return r;
}

/* POST a form (without the csrf field, which is added). */
static inline ts_resp ts_post(unsigned port, ts_user *u, const char *path,
                              const char *form)
{
    char body[8192];
    snprintf(body, sizeof body, "csrf=%s%s%s", u->csrf, form[0] ? "&" : "",
             form);
    ts_resp r = ts_request(port, "POST", path, u->cookie[0] ? u->cookie : NULL,
                           body, NULL);
    ts_take_cookie(&r, u);
    return r;
}

/* Signs in; fails the test if that does not work. */
static inline void ts_login(unsigned port, ts_user *u, const char *name,
                            const char *password)
{
    memset(u, 0, sizeof *u);
    ts_resp r = ts_get(port, u, "/login");
    ts_resp_free(&r);
    char form[256];
    snprintf(form, sizeof form, "username=%s&password=%s", name, password);
    r = ts_post(port, u, "/login", form);
    if (r.status != 303 || !strstr(u->cookie, "sb_session="))
        fail_msg("sign-in of %s: status %d\n%s", name, r.status, r.head);
    ts_resp_free(&r);
    /* A page with a form gives the session's anti-forgery token. */
    r = ts_get(port, u, "/account");
    ts_resp_free(&r);
}

/* ---- a practice to test against ---------------------------------------- */

#define TS_PASSWORD "a test password"

typedef struct ts_practice {
    char *dir;
    char db[4200];
    sb_server *srv;
    unsigned port;
    /* people: A and C on dr.a's caseload, B and D on dr.b's; A and B have
     * client accounts ann and ben, C and D only invite links */
    sb_id a, b, c, d;
    sb_id admin, dr_a, dr_b, ann, ben;
    /* one record of each kind for A and for B */
    sb_id reflection[2], practice[2], relationship[2], session[2],
        schedule[2], invite[2];
} ts_practice;

static inline sb_id ts_add(sb_journal *j, sb_journal_kind kind, void *rec)
{
    sb_error err;
    if (sb_journal_add(j, kind, rec, &err) != SB_OK)
        fail_msg("add %s: %s", sb_journal_kind_name(kind), err.message);
    return *(sb_id *)rec;
}

static inline sb_id ts_person(sb_journal *j, const char *name)
{
    sb_rec_person p;
    sb_journal_record_init(SB_KIND_PERSON, &p);
    snprintf(p.name, sizeof p.name, "%s", name);
    return ts_add(j, SB_KIND_PERSON, &p);
}

static inline void ts_records(sb_journal *j, sb_id person, ts_practice *t,
                              int k)
{
    sb_rec_reflection f;
    sb_journal_record_init(SB_KIND_REFLECTION, &f);
    f.person = person;
    snprintf(f.date, sizeof f.date, "2026-03-01");
    snprintf(f.trigger, sizeof f.trigger, "a trigger");
    f.tried = 0;
    f.intensity = 5;
    t->reflection[k] = ts_add(j, SB_KIND_REFLECTION, &f);
    sb_rec_practice x;
    sb_journal_record_init(SB_KIND_PRACTICE, &x);
    x.person = person;
    snprintf(x.date, sizeof x.date, "2026-03-02");
    snprintf(x.behaviour, sizeof x.behaviour, "asked directly");
    x.outcome = SB_OUTCOME_POSITIVE;
    t->practice[k] = ts_add(j, SB_KIND_PRACTICE, &x);
    sb_rec_relationship rel;
    sb_journal_record_init(SB_KIND_RELATIONSHIP, &rel);
    rel.person = person;
    rel.kind = 1;
    snprintf(rel.name, sizeof rel.name, "a friend");
    rel.supportive = 1;
    rel.secure = 1;
    snprintf(rel.start, sizeof rel.start, "2020-01-01");
    t->relationship[k] = ts_add(j, SB_KIND_RELATIONSHIP, &rel);
    sb_rec_session s;
    sb_journal_record_init(SB_KIND_SESSION, &s);
    s.person = person;
    snprintf(s.date, sizeof s.date, "2026-03-03");
    s.attended = 1;
    s.minutes = 50;
    t->session[k] = ts_add(j, SB_KIND_SESSION, &s);
    sb_schedule sc;
    memset(&sc, 0, sizeof sc);
    sc.person = person;
    snprintf(sc.instrument, sizeof sc.instrument, "ecr-r");
    sc.every_weeks = 4;
    snprintf(sc.start, sizeof sc.start, "2026-03-01");
    sb_error err;
    if (sb_schedule_add(j, &sc, &err) != SB_OK)
        fail_msg("schedule: %s", err.message);
    t->schedule[k] = sc.id;
}

/* Makes a new practice's journal in a scratch directory. */
static inline void ts_build(ts_practice *t)
{
    memset(t, 0, sizeof *t);
    t->dir = sb_test_tmpdir();
    snprintf(t->db, sizeof t->db, "%s/journal.db", t->dir);
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(t->db, SB_JOURNAL_CREATE, &j, &err) != SB_OK)
        fail_msg("open: %s", err.message);
    char hash[SB_PASSWORD_HASH_MAX];
    if (sb_account_hash_password(TS_PASSWORD, hash, &err) != SB_OK)
        fail_msg("hash: %s", err.message);
    t->a = ts_person(j, "Ann Example");
    t->b = ts_person(j, "Ben Other");
    t->c = ts_person(j, "Cara Example");
    t->d = ts_person(j, "Dan Other");
    struct {
        const char *name;
        sb_role role;
        sb_id person;
        sb_id *id;
    } acc[] = {{"admin", SB_ROLE_ADMIN, 0, &t->admin},
               {"dr.a", SB_ROLE_CLINICIAN, 0, &t->dr_a},
               {"dr.b", SB_ROLE_CLINICIAN, 0, &t->dr_b},
               {"ann", SB_ROLE_CLIENT, t->a, &t->ann},
               {"ben", SB_ROLE_CLIENT, t->b, &t->ben}};
    for (size_t i = 0; i < 5; i++)
        if (sb_account_add_hashed(j, acc[i].name, acc[i].role, acc[i].person,
                                  hash, 1, acc[i].id, &err) != SB_OK)
            fail_msg("account %s: %s", acc[i].name, err.message);
    sb_assignment_add(j, t->dr_a, t->a, 1, &err);
    sb_assignment_add(j, t->dr_a, t->c, 1, &err);
    sb_assignment_add(j, t->dr_b, t->b, 1, &err);
    sb_assignment_add(j, t->dr_b, t->d, 1, &err);
    ts_records(j, t->a, t, 0);
    ts_records(j, t->b, t, 1);
    char token[SB_TOKEN_TEXT];
    sb_invite inv;
    if (sb_invite_create(j, SB_INVITE_JOIN, t->c, t->dr_a, time(NULL), 3600,
                         token, &inv, &err) != SB_OK)
        fail_msg("invite: %s", err.message);
    t->invite[0] = inv.id;
    if (sb_invite_create(j, SB_INVITE_JOIN, t->d, t->dr_b, time(NULL), 3600,
                         token, &inv, &err) != SB_OK)
        fail_msg("invite: %s", err.message);
    t->invite[1] = inv.id;
    sb_journal_close(j);
}

/* Starts a server over the practice built by ts_build; `opt` (may be NULL)
 * sets limits. */
static inline void ts_serve(ts_practice *t, const sb_serve_options *limits)
{
    sb_error err;
    sb_serve_options opt;
    if (limits)
        opt = *limits;
    else
        sb_serve_options_default(&opt);
    opt.db = t->db;
    opt.listen = "127.0.0.1:0";
    opt.threads = opt.threads ? opt.threads : 4;
    opt.log = getenv("SB_TEST_SERVE_LOG") ? stderr : NULL;
    if (sb_server_start(&opt, &t->srv, &err) != SB_OK)
        fail_msg("server: %s", err.message);
    t->port = sb_server_port(t->srv);
}

/* Starts a server over a new practice; `opt` (may be NULL) sets limits. */
static inline void ts_start(ts_practice *t, const sb_serve_options *limits)
{
    ts_build(t);
    ts_serve(t, limits);
}

static inline void ts_stop(ts_practice *t)
{
    if (t->srv)
        sb_server_stop(t->srv);
    sb_test_rmtree(t->dir);
    free(t->dir);
}

/* Counts records of a kind of a person, straight from the journal. */
static inline size_t ts_count(const ts_practice *t, sb_journal_kind kind,
                              sb_id person)
{
    sb_journal *j;
    sb_error err;
    size_t n = 0;
    if (sb_journal_open(t->db, 0, &j, &err) != SB_OK)
        fail_msg("open: %s", err.message);
    if (sb_journal_count(j, kind, person, &n, &err) != SB_OK)
        fail_msg("count: %s", err.message);
    sb_journal_close(j);
    return n;
}

/* Adds an ECR-R with these 36 answers to `person`'s record. */
static inline void ts_assessment_items(const char *db, sb_id person,
                                       const char *date, const double *items)
{
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(db, 0, &j, &err) != SB_OK)
        fail_msg("open: %s", err.message);
    sb_rec_assessment a;
    sb_journal_record_init(SB_KIND_ASSESSMENT, &a);
    a.person = person;
    snprintf(a.instrument, sizeof a.instrument, "ecr-r");
    snprintf(a.date, sizeof a.date, "%s", date);
    a.item_count = 36;
    for (size_t i = 0; i < 36; i++)
        a.items[i] = items[i];
    ts_add(j, SB_KIND_ASSESSMENT, &a);
    sb_journal_close(j);
}

/* Adds an ECR-R with every item answered `answer` to `person`'s record. */
static inline void ts_assessment(const char *db, sb_id person, const char *date,
                                 double answer)
{
    double items[36];
    for (size_t i = 0; i < 36; i++)
        items[i] = answer;
    ts_assessment_items(db, person, date, items);
}

#endif
