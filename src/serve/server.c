/*
 * The HTTP side of the web app: libmicrohttpd's daemon with a thread pool
 * (and GnuTLS when given a certificate), limits on connections, bodies and
 * idle time, and the life of one request: read the body, find the route,
 * identify the asker, authorize, check the form and its anti-forgery
 * token, run the handler, and answer with the security headers every
 * response carries.
 */
#include "serve/internal.h"

#include "base/str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MAX_BODY (64 * 1024)
#define DEFAULT_TIMEOUT 15
#define CONNECTION_LIMIT 1024
#define PER_ADDRESS_LIMIT 256
/* Bytes of an over-long chunked body read (and dropped) before giving up
 * on answering 413 and closing the connection. */
#define DISCARD_FACTOR 4

/* Every page: nothing loads from elsewhere, no script runs at all. */
static const char default_csp[] =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

void sb_serve_options_default(sb_serve_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->listen = "127.0.0.1:8080";
}

/* ---- answering ----------------------------------------------------------- */

void sb_req_header(sb_req *r, const char *name, const char *fmt, ...)
{
    if (r->header_count == SB_HEADERS_MAX)
        return;
    size_t i = r->header_count++;
    snprintf(r->header_name[i], sizeof r->header_name[i], "%s", name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->header_value[i], sizeof r->header_value[i], fmt, ap);
    va_end(ap);
}

void sb_req_redirect(sb_req *r, const char *fmt, ...)
{
    char where[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(where, sizeof where, fmt, ap);
    va_end(ap);
    /* Only paths of this site: never an address taken from the request. */
    if (where[0] != '/' || where[1] == '/' || where[1] == '\\')
        snprintf(where, sizeof where, "/");
    r->status = 303;
    sb_req_header(r, "Location", "%s", where);
    sb__html_free(&r->out);
    free(r->raw);
    r->raw = NULL;
}

void sb_req_message(sb_req *r, int status, const char *title,
                    const char *message)
{
    sb__html_free(&r->out);
    r->status = status;
    sb_page_begin(r, title);
    sb__html_put(&r->out, "<p class=\"lead\">");
    sb_page_text(r, message);
    sb__html_put(&r->out, "</p><p><a href=\"/\">Go to the start page</a></p>");
    sb_page_end(r);
}

static void log_line(sb_server *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void log_line(sb_server *s, const char *fmt, ...)
{
    if (!s->opt.log)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One write per line: lines of different threads never interleave. */
    fprintf(s->opt.log, "%s\n", line);
    fflush(s->opt.log);
}

void sb_req_fail(sb_req *r, const sb_error *err)
{
    char msg[SB_ERROR_MSG_MAX + SB_ERROR_FILE_MAX + 32];
    sb_error_format(err, msg, sizeof msg);
    log_line(r->srv, "error: %s %s: %s", r->method, r->path, msg);
    sb_req_message(r, err->status == SB_ERR_NOTFOUND ? 404 : 500,
                   err->status == SB_ERR_NOTFOUND ? "Not found"
                                                  : "Something went wrong",
                   err->status == SB_ERR_NOTFOUND
                       ? "There is nothing at this address."
                       : "The server could not do this just now; nothing "
                         "was changed. Please try again in a moment.");
}

const char *sb_req_query(sb_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->con, MHD_GET_ARGUMENT_KIND, name);
}

/* The person whose records a request's writes change (0: none): the
 * client of a record page, for forms sent to it. */
static sb_id changed_person(const sb_req *r)
{
    if (!r->post || !r->route)
        return 0;
    switch (r->route->owner) {
    case SB_OWN_SELF:
    case SB_OWN_SELF_RECORD:
        return r->user.person;
    case SB_OWN_CASELOAD:
    case SB_OWN_CASELOAD_RECORD:
        return r->params.person;
    default:
        return 0;
    }
}

sb_status sb_req_change_begin(sb_req *r, sb_error *err)
{
    sb_req_write_begin(r);
    sb_status st = sb_journal_transaction(r->j, err);
    r->in_change = st == SB_OK;
    return st;
}

sb_status sb_req_change_end(sb_req *r, sb_status st, sb_error *err)
{
    if (r->in_change && st == SB_OK)
        st = sb_journal_transaction_commit(r->j, err);
    else if (r->in_change)
        sb_journal_transaction_rollback(r->j);
    r->in_change = 0;
    return sb_req_write_end(r, st, err);
}

int sb_req_capture(sb_req *r, sb_status (*write)(sb_req *r, FILE *out,
                                                 sb_error *err))
{
    char *data = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&data, &len);
    sb_error err;
    sb_status st = mem ? write(r, mem, &err)
                       : sb_error_set(&err, SB_ERR_NOMEM, NULL, 0, 0,
                                      "out of memory");
    if (mem && fclose(mem) != 0 && st == SB_OK)
        st = sb_error_set(&err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st != SB_OK) {
        free(data);
        sb_req_fail(r, &err);
        return 1;
    }
    r->raw = data;
    r->raw_len = len;
    return 0;
}

void sb_req_audit(sb_req *r, const char *action, const char *kind,
                  sb_id record, sb_id person, const char *detail_fmt, ...)
{
    sb_audit_entry e;
    memset(&e, 0, sizeof e);
    e.account = r->signed_in ? r->user.id : 0;
    snprintf(e.username, sizeof e.username, "%s",
             r->signed_in ? r->user.username : "");
    snprintf(e.action, sizeof e.action, "%s", action);
    snprintf(e.kind, sizeof e.kind, "%s", kind);
    e.record = record;
    e.person = person;
    snprintf(e.address, sizeof e.address, "%s", r->address);
    va_list ap;
    va_start(ap, detail_fmt);
    vsnprintf(e.detail, sizeof e.detail, detail_fmt, ap);
    va_end(ap);
    if (r->j != r->srv->writer) {
        /* A page that only reads: written with the next commit. */
        sb_req_defer_audit(r, &e, r->now_ms);
        return;
    }
    sb_error err;
    if (sb_audit_append(r->j, &e, r->now_ms, &err) != SB_OK) {
        char msg[SB_ERROR_MSG_MAX + SB_ERROR_FILE_MAX + 32];
        sb_error_format(&err, msg, sizeof msg);
        log_line(r->srv, "error: cannot write the audit log: %s", msg);
    }
}

/* ---- one request ---------------------------------------------------------- */

typedef struct conn {
    sb_req req;
    char *body;
    size_t len, cap;
    size_t dropped;      /* bytes over the limit, read and not kept */
    int too_large;
    struct timespec started;
    /* suspended: run by a writing thread, or waiting for the commit of
     * its writes or audit entries */
    int parked;
    struct conn *next_parked;
} conn;

void sb_conn_link(conn *c, conn *next)
{
    c->next_parked = next;
}

conn *sb_conn_next(conn *c)
{
    return c->next_parked;
}

conn *sb_conn_resume(conn *c)
{
    conn *next = c->next_parked;
    /* From here on the worker may answer and free c. */
    MHD_resume_connection(c->req.con);
    return next;
}

static void client_address(struct MHD_Connection *con, char *out, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "?");
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)
                                ->sin_addr,
                  out, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)
                                 ->sin6_addr,
                  out, (socklen_t)size);
}

/* Sends r's answer with the headers every response carries. */
static enum MHD_Result respond(sb_req *r)
{
    char *body = r->raw ? r->raw : r->out.data;
    size_t len = r->raw ? r->raw_len : r->out.len;
    if (!body) {
        body = malloc(1);
        len = 0;
    }
    r->raw = NULL;
    r->out.data = NULL;
    sb__html_free(&r->out);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (r->content_type)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "Content-Security-Policy",
                            r->csp[0] ? r->csp : default_csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy",
                            "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy",
                            "camera=(), microphone=(), geolocation=(), "
                            "interest-cohort=()");
    MHD_add_response_header(resp, "Cache-Control",
                            r->is_public ? "public, max-age=3600"
                                         : "no-store");
    if (r->srv->tls)
        MHD_add_response_header(resp, "Strict-Transport-Security",
                                "max-age=31536000");
    for (size_t i = 0; i < r->header_count; i++)
        MHD_add_response_header(resp, r->header_name[i], r->header_value[i]);
    enum MHD_Result ok =
        MHD_queue_response(r->con, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* A bare answer before the request has been read (405, 413). */
static enum MHD_Result refuse(sb_server *s, struct MHD_Connection *con,
                              const char *method, const char *url, int status,
                              const char *title, const char *message)
{
    sb_req r;
    memset(&r, 0, sizeof r);
    r.srv = s;
    r.con = con;
    r.method = method;
    snprintf(r.path, sizeof r.path, "%s", sb_path_valid(url) ? url : "?");
    sb_req_message(&r, status, title, message);
    if (status == 405)
        sb_req_header(&r, "Allow", "GET, HEAD, POST");
    char address[SB_AUDIT_ADDRESS_MAX];
    client_address(con, address, sizeof address);
    log_line(s, "%s - %s %s %d", address, method, r.path, status);
    return respond(&r);
}

static const sb_route *find_route(const char *method, const char *path,
                                  sb_path_params *params, int *path_known)
{
    *path_known = 0;
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    for (const sb_route *rt = sb_routes; rt->pattern; rt++) {
        if (!sb_path_match(rt->pattern, path, params))
            continue;
        *path_known = 1;
        if ((get && !strcmp(rt->method, "GET")) ||
            (!get && !strcmp(rt->method, method)))
            return rt;
    }
    return NULL;
}

static void set_clock(sb_req *r)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    r->now = (int64_t)ts.tv_sec;
    r->now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    struct tm tm;
    time_t t = ts.tv_sec;
    localtime_r(&t, &tm);
    sb_date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    sb_date_format(d, r->today);
}

/* Reads a form body; 0 (with the 400 page set) if it is not one. */
static int read_form(sb_req *r)
{
    const char *type = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND,
                                                   "Content-Type");
    size_t n = strlen("application/x-www-form-urlencoded");
    if (r->body_len &&
        (!type || strncasecmp(type, "application/x-www-form-urlencoded", n) ||
         (type[n] && type[n] != ';'))) {
        sb_req_message(r, 400, "This form could not be read",
                       "The form was not sent as a web form. Go back, reload "
                       "the page and try again.");
        return 0;
    }
    sb_error err;
    if (sb_form_parse(r->body, r->body_len, &r->form, &err) != SB_OK) {
        if (err.status == SB_ERR_NOMEM) {
            sb_req_fail(r, &err);
            return 0;
        }
        char msg[SB_ERROR_MSG_MAX + 128];
        snprintf(msg, sizeof msg,
                 "The form that was sent is not well formed (%s). Go back, "
                 "reload the page and try again.",
                 err.message);
        sb_req_message(r, 400, "This form could not be read", msg);
        return 0;
    }
    return 1;
}

static void dispatch(sb_req *r)
{
    sb_path_params params;
    int known;
    r->route = find_route(r->method, r->path, &params, &known);
    if (!r->route) {
        if (known) {
            sb_req_message(r, 405, "Not allowed",
                           "This address cannot be used that way.");
            sb_req_header(r, "Allow", "GET, HEAD, POST");
        } else {
            sb_req_message(r, 404, "Not found",
                           "There is nothing at this address.");
        }
        return;
    }
    r->params = params;
    sb_error err;
    sb_status st = sb_auth_identify(r, &err);
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    if (r->signed_in && r->now - r->session.seen >= 60)
        /* The idle limit counts from the last use; noted once a minute,
         * written with the next group. */
        sb_commit_note_use(r->srv, r->session.id, r->now);
    if (r->post && !read_form(r))
        return;
    switch (sb_authorize(r, &err)) {
    case SB_ALLOW:
        break;
    case SB_DENY_SIGN_IN:
        if (!r->post) {
            sb_req_redirect(r, "/login");
            return;
        }
        sb_req_message(r, 403, "Please sign in",
                       "You are not signed in (or your session has ended). "
                       "Sign in and try again.");
        return;
    case SB_DENY_ROLE:
        sb_req_message(r, 403, "Not allowed",
                       "Your account cannot open this page.");
        return;
    case SB_DENY_OWNER:
        sb_req_message(r, 404, "Not found",
                       "There is nothing at this address.");
        return;
    }
    if (r->post && !sb_auth_csrf_ok(r)) {
        sb_req_message(r, 403, "This form has expired",
                       "The form was not sent from a page of this site, or it "
                       "is too old. Go back, reload the page and try again.");
        return;
    }
    if (!r->post && r->route->audit) {
        sb_id person = r->route->owner == SB_OWN_SELF ? r->user.person
                                                      : r->params.person;
        sb_req_audit(r, "read", r->route->audit, 0, person, "%s", r->path);
    }
    r->route->handler(r);
}

/* The path as logged: tokens in links are secrets and are left out. */
static void log_path(const sb_req *r, char *out, size_t size)
{
    if (r->route && strstr(r->route->pattern, "{token}"))
        snprintf(out, size, "%s", r->route->pattern);
    else
        snprintf(out, size, "%s", r->path);
}

/* Runs the request with a journal handle of `pool`. */
static void handle(conn *c, sb_pool *pool)
{
    sb_req *r = &c->req;
    set_clock(r);
    r->body = c->body;
    r->body_len = c->len;
    r->status = 200;
    if (!sb_path_valid(r->path)) {
        sb_req_message(r, 400, "Not a valid address",
                       "This address is not one this site uses.");
    } else {
        r->j = sb_pool_take(pool);
        dispatch(r);
        sb_pool_give(pool, r->j);
        r->j = NULL;
    }
}

/*
 * The caseload rows a form may have changed, forgotten once its writes are
 * committed: its client's, or, when its client is not known (accounts,
 * assignments, invites taken up, new clients), everyone's. Whatever its
 * status, as a form answered with an error may still have written. Pages
 * (GET) change no record, and signing in or out writes only sessions.
 */
static void forget_rows(sb_server *s, const sb_req *r)
{
    if (!r->post || !r->route || r->route->handler == sb_page_login_post ||
        r->route->handler == sb_page_logout)
        return;
    sb_caseload_cache_touch(s->rows, changed_person(r));
}

/* The answer, once what the request wrote is committed (`st`). */
static enum MHD_Result finish(sb_server *s, conn *c, sb_status st)
{
    sb_req *r = &c->req;
    if (st != SB_OK && r->status < 400) {
        sb_error err;
        sb_error_set(&err, st, NULL, 0, 0,
                     "the journal could not commit the change");
        r->header_count = 0;
        free(r->raw);
        r->raw = NULL;
        r->content_type = NULL;
        r->csp[0] = '\0';
        r->is_public = 0;
        sb_req_fail(r, &err);
    }
    if (r->status < 400)
        sb_care_cache_touch(s->care, changed_person(r));
    forget_rows(s, r);
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - c->started.tv_sec) * 1e3 +
                (double)(end.tv_nsec - c->started.tv_nsec) / 1e6;
    char path[SB_PATH_MAX + 1];
    log_path(r, path, sizeof path);
    log_line(s, "%s %s %s %s %d %.1fms%s%s", r->address,
             r->signed_in ? r->user.username : "-", r->method, path,
             r->status, ms, r->log_note[0] ? " " : "", r->log_note);
    return respond(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    sb_server *s = cls;
    conn *c = *con_cls;
    size_t max = s->opt.max_body;
    if (!c) {
        int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
        if (!get && strcmp(method, "POST"))
            return refuse(s, con, method, url, 405,
                          "Not allowed", "This site answers GET and POST.");
        const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
                                                     "Content-Length");
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || end == cl || *end || n > max)
                return refuse(s, con, method, url,
                              413,
                              "Too much to send",
                              "What was sent is larger than this site "
                              "accepts.");
        }
        c = calloc(1, sizeof *c);
        if (!c)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &c->started);
        c->req.srv = s;
        c->req.con = con;
        c->req.method = !strcmp(method, "HEAD") ? "HEAD"
                        : get                   ? "GET"
                                                : "POST";
        c->req.post = !get;
        snprintf(c->req.path, sizeof c->req.path, "%.*s", SB_PATH_MAX, url);
        if (strlen(url) > SB_PATH_MAX)
            c->req.path[0] = '\0'; /* invalid: answered with 400 */
        client_address(con, c->req.address, sizeof c->req.address);
        *con_cls = c;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (c->too_large || c->len + n > max) {
            c->too_large = 1;
            c->dropped += n;
            return c->dropped > DISCARD_FACTOR * max ? MHD_NO : MHD_YES;
        }
        if (c->len + n + 1 > c->cap) {
            size_t cap = c->cap ? c->cap : 4096;
            while (cap < c->len + n + 1)
                cap *= 2;
            char *grown = realloc(c->body, cap);
            if (!grown)
                return MHD_NO;
            c->body = grown;
            c->cap = cap;
        }
        memcpy(c->body + c->len, upload, n);
        c->len += n;
        c->body[c->len] = '\0';
        return MHD_YES;
    }
    if (c->parked) {
        /* Resumed: its writes and audit entries are committed (or, for a
         * page that did both, soon). */
        c->parked = 0;
        sb_commit_suspended(s, -1);
        return finish(s, c, sb_commit_wait(s, &c->req));
    }
    if (c->too_large)
        return refuse(s, con, method, url, 413,
                      "Too much to send",
                      "What was sent is larger than this site accepts.");
    int draining = sb_commit_draining(s);
    if (c->req.post && !draining) {
        /* Forms wait for the writer's turn: on a writing thread, so that
         * this one serves the pages of its other connections meanwhile. */
        MHD_suspend_connection(con);
        c->parked = 1;
        sb_commit_suspended(s, 1);
        sb_commit_submit(s, c);
        return MHD_YES;
    }
    handle(c, &s->pool);
    if (!sb_commit_pending(&c->req) || draining)
        return finish(s, c, sb_commit_wait(s, &c->req));
    /* Answered after the commit; this thread serves others meanwhile. */
    MHD_suspend_connection(con);
    c->parked = 1;
    sb_commit_suspended(s, 1);
    if (sb_commit_park(s, c, &c->req))
        MHD_resume_connection(con);
    return MHD_YES;
}

void sb_conn_run(conn *c)
{
    sb_server *s = c->req.srv;
    /* Handles of their own: a form waiting for the writer's turn must not
     * hold one that a page needs. */
    handle(c, &s->form_pool);
    if (!sb_commit_pending(&c->req) || sb_commit_park(s, c, &c->req))
        MHD_resume_connection(c->req.con);
}

static void on_completed(void *cls, struct MHD_Connection *con,
                         void **con_cls, enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)con;
    (void)why;
    conn *c = *con_cls;
    if (!c)
        return;
    sb_form_free(&c->req.form);
    sb__html_free(&c->req.out);
    free(c->req.raw);
    free(c->body);
    free(c);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    sb_server *s = cls;
    if (!s->opt.log)
        return;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = '\0';
    log_line(s, "http: %s", line);
}

/*
 * Paths and query strings are taken as sent, without %-decoding: no page
 * of this site has an escaped character in its address, so a path with one
 * (an encoded dot, slash or NUL) is simply not a valid path.
 */
static size_t keep_escaped(void *cls, struct MHD_Connection *con, char *s)
{
    (void)cls;
    (void)con;
    return strlen(s);
}

/* ---- starting and stopping ----------------------------------------------- */

/* "host:port", "[v6]:port" or ":port" into a socket address. */
static sb_status parse_listen(const char *text, struct sockaddr_storage *ss,
                              socklen_t *len, sb_error *err)
{
    char host[128];
    const char *port;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':' || (size_t)(close - text) >= sizeof host)
            goto bad;
        snprintf(host, sizeof host, "%.*s", (int)(close - text - 1), text + 1);
        port = close + 2;
    } else {
        const char *colon = strrchr(text, ':');
        if (!colon || (size_t)(colon - text) >= sizeof host)
            goto bad;
        snprintf(host, sizeof host, "%.*s", (int)(colon - text), text);
        port = colon + 1;
    }
    char *end;
    errno = 0;
    long p = strtol(port, &end, 10);
    if (!port[0] || *end || errno || p < 0 || p > 65535)
        goto bad;
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (!host[0] || inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)p);
        if (!host[0])
            v4->sin_addr.s_addr = htonl(INADDR_ANY);
        *len = sizeof *v4;
        return SB_OK;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)p);
        *len = sizeof *v6;
        return SB_OK;
    }
bad:
    return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                        "--listen takes ADDRESS:PORT with a numeric address "
                        "(127.0.0.1:8080, [::1]:8080, :8080), not '%s'",
                        text);
}

static sb_status copy_options(sb_server *s, const sb_serve_options *opt,
                              sb_error *err)
{
    s->opt = *opt;
    const char *src[] = {opt->db, opt->listen, opt->tls_cert, opt->tls_key,
                         opt->item_texts};
    size_t total = 0;
    for (size_t i = 0; i < 5; i++)
        total += src[i] ? strlen(src[i]) + 1 : 0;
    s->strings = malloc(total + 1);
    if (!s->strings)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    const char **dst[] = {&s->opt.db, &s->opt.listen, &s->opt.tls_cert,
                          &s->opt.tls_key, &s->opt.item_texts};
    char *p = s->strings;
    for (size_t i = 0; i < 5; i++) {
        if (!src[i])
            continue;
        size_t n = strlen(src[i]) + 1;
        memcpy(p, src[i], n);
        *dst[i] = p;
        p += n;
    }
    if (!s->opt.max_body)
        s->opt.max_body = DEFAULT_MAX_BODY;
    if (!s->opt.timeout)
        s->opt.timeout = DEFAULT_TIMEOUT;
    if (!s->opt.session_idle)
        s->opt.session_idle = 30 * 60;
    if (!s->opt.session_absolute)
        s->opt.session_absolute = 12 * 3600;
    if (!s->opt.invite_ttl)
        s->opt.invite_ttl = 7 * 86400;
    if (!s->opt.threads) {
        /* Threads mostly wait for the disk (a group commit's fsync): more
         * of them than cores makes larger groups. */
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        s->opt.threads = cores > 4 ? (unsigned)cores * 4 : 16;
    }
    /* Forms wait for the writer's turn while a commit flushes; those
     * waiting then go into the next group together. */
    s->writing_wanted = 2 * (size_t)s->opt.threads;
    return SB_OK;
}

/* Frees what sb_server_start set up, in the order that is safe: the
 * threads that use the journal handles stop before the handles close.
 * `pools` counts the pools opened (pool, then form_pool); `locks` says
 * whether the locks, the throttle and the commit threads were set up. */
static void release(sb_server *s, int pools, int locks)
{
    if (locks)
        sb_commit_stop(s);
    sb_audit_spool_close(s->spool);
    sb_care_cache_close(s->care);
    sb_caseload_cache_free(s->rows);
    if (pools >= 1)
        sb_pool_close(&s->pool);
    if (pools >= 2)
        sb_pool_close(&s->form_pool);
    sb_journal_close(s->writer);
    if (locks) {
        pthread_mutex_destroy(&s->write_lock);
        pthread_mutex_destroy(&s->spool_lock);
        pthread_cond_destroy(&s->audit_work);
        pthread_mutex_destroy(&s->wait_lock);
        pthread_cond_destroy(&s->work);
        pthread_cond_destroy(&s->committed);
        pthread_cond_destroy(&s->form_ready);
        sb_throttle_destroy(&s->throttle);
    }
    sb_item_texts_free(s->texts);
    free(s->cert_pem);
    free(s->key_pem);
    free(s->strings);
    free(s);
}

sb_status sb_server_start(const sb_serve_options *opt, sb_server **out,
                          sb_error *err)
{
    *out = NULL;
    if (!opt->db)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "no journal given to serve");
    if (!opt->tls_cert != !opt->tls_key)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "TLS needs both a certificate and its key");
    sb_server *s = calloc(1, sizeof *s);
    if (!s)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sb_status st = copy_options(s, opt, err);
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    if (st == SB_OK)
        st = parse_listen(s->opt.listen, &ss, &sslen, err);
    if (st == SB_OK && s->opt.tls_cert) {
        size_t n;
        st = sb_read_file_max(s->opt.tls_cert, 1 << 20, &s->cert_pem, &n, err);
        if (st == SB_OK)
            st = sb_read_file_max(s->opt.tls_key, 1 << 20, &s->key_pem, &n,
                                  err);
        s->tls = 1;
    }
    if (s->opt.behind_tls_proxy)
        s->tls = 1;
    if (st == SB_OK)
        st = sb_item_texts_load(s->opt.item_texts, s->opt.demo_texts,
                                &s->texts, err);
    int pool = 0, locks = 0;
    if (st == SB_OK && (st = sb_pool_open(&s->pool, s->opt.db,
                                          s->opt.threads, err)) == SB_OK)
        pool = 1;
    if (st == SB_OK && (st = sb_pool_open(&s->form_pool, s->opt.db,
                                          s->writing_wanted, err)) == SB_OK)
        pool = 2;
    if (st == SB_OK)
        st = sb_journal_open(s->opt.db, 0, &s->writer, err);
    /* Moves what an earlier run left in the spool into the log first. */
    if (st == SB_OK)
        st = sb_audit_spool_open(s->writer, &s->spool, err);
    if (st == SB_OK)
        st = sb_care_cache_open(s->opt.db, s->opt.norms, &s->care, err);
    if (st == SB_OK && (st = sb_caseload_cache_new(&s->rows, err)) == SB_OK)
        sb_caseload_cache_check_outside(s->rows, s->writer);
    if (st == SB_OK) {
        pthread_mutex_init(&s->write_lock, NULL);
        pthread_mutex_init(&s->spool_lock, NULL);
        pthread_cond_init(&s->audit_work, NULL);
        pthread_mutex_init(&s->wait_lock, NULL);
        pthread_cond_init(&s->work, NULL);
        pthread_cond_init(&s->committed, NULL);
        pthread_cond_init(&s->form_ready, NULL);
        sb_throttle_init(&s->throttle);
        locks = 1;
        st = sb_commit_start(s, err);
    }
    if (st == SB_OK) {
        /* Answers to a peer that has gone must not kill the process. */
        signal(SIGPIPE, SIG_IGN);
        unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                         MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
        if (s->cert_pem)
            flags |= MHD_USE_TLS;
        if (ss.ss_family == AF_INET6)
            flags |= MHD_USE_IPv6;
        struct MHD_OptionItem tls_opts[] = {
            {MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert_pem},
            {MHD_OPTION_HTTPS_MEM_KEY, 0, s->key_pem},
            {MHD_OPTION_HTTPS_PRIORITIES, 0,
             (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"},
            {MHD_OPTION_END, 0, NULL}};
        s->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, s,
            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
            MHD_OPTION_THREAD_POOL_SIZE, s->opt.threads,
            MHD_OPTION_CONNECTION_TIMEOUT, s->opt.timeout,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_ADDRESS_LIMIT,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
            MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, s,
            MHD_OPTION_ARRAY, s->cert_pem ? tls_opts : tls_opts + 3,
            MHD_OPTION_END);
        if (!s->daemon)
            st = sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                              "cannot listen on %s (is the port in use, or "
                              "the TLS certificate or key unreadable?)",
                              s->opt.listen);
    }
    if (st != SB_OK) {
        release(s, pool, locks);
        return st;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    char host[INET6_ADDRSTRLEN + 2] = "127.0.0.1";
    if (ss.ss_family == AF_INET6) {
        char a[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, a,
                  sizeof a);
        snprintf(host, sizeof host, "[%s]", a);
    } else if (((struct sockaddr_in *)&ss)->sin_addr.s_addr !=
               htonl(INADDR_ANY)) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host,
                  sizeof host);
    }
    snprintf(s->url, sizeof s->url, "%s://%s:%u/", s->cert_pem ? "https" : "http",
             host, s->port);
    *out = s;
    return SB_OK;
}

unsigned sb_server_port(const sb_server *s)
{
    return s->port;
}

const char *sb_server_url(const sb_server *s)
{
    return s->url;
}

void sb_server_stop(sb_server *s)
{
    if (!s)
        return;
    /* Connections waiting for a commit are answered before the daemon
     * stops; the commit thread outlives the daemon's workers. */
    sb_commit_drain(s);
    MHD_stop_daemon(s->daemon);
    release(s, 2, 1);
}
