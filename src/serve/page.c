/*
 * The frame of every page: the head with the one stylesheet, a link to
 * skip to the content, the navigation of the asker's role, sign-out as a
 * form (a link would change state on GET), and the helpers pages use for
 * text, dates, notices and forms. All text from the journal or the request
 * goes through sb_page_text (HTML-escaped).
 */
#include "serve/internal.h"

#include <stdio.h>
#include <string.h>

typedef struct nav_item {
    const char *path, *label;
} nav_item;

static const nav_item client_nav[] = {
    {"/me", "Home"},
    {"/me/questionnaires", "Questionnaires"},
    {"/me/reflections", "Reflections"},
    {"/me/practice", "Practice"},
    {"/me/relationships", "Relationships"},
    {"/me/report", "My journey"},
    {"/me/data", "My data"},
    {NULL, NULL}};
static const nav_item clinician_nav[] = {{"/caseload", "Caseload"},
                                         {NULL, NULL}};
static const nav_item admin_nav[] = {{"/admin/accounts", "Accounts"},
                                     {"/admin/assignments", "Assignments"},
                                     {"/admin/audit", "Audit log"},
                                     {NULL, NULL}};

void sb_page_text(sb_req *r, const char *text)
{
    sb__html_text(&r->out, text ? text : "");
}

/* The nav item of the current path: exact, else the longest prefix. */
static const nav_item *current(const nav_item *items, const char *path)
{
    const nav_item *best = NULL;
    for (const nav_item *i = items; i->path; i++) {
        size_t n = strlen(i->path);
        if (!strncmp(path, i->path, n) && (path[n] == '\0' || path[n] == '/') &&
            (!best || n > strlen(best->path)))
            best = i;
    }
    return best;
}

void sb_page_begin(sb_req *r, const char *title)
{
    sb__html *h = &r->out;
    sb__html_put(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                   "charset=\"utf-8\"><meta name=\"viewport\" content=\"width"
                   "=device-width, initial-scale=1\"><title>");
    sb_page_text(r, title);
    sb__html_put(h, " &middot; securebase</title><link rel=\"stylesheet\" "
                   "href=\"/static/style.css\"></head><body><a class=\"skip\" "
                   "href=\"#main\">Skip to the content</a><header "
                   "class=\"top\"><div class=\"bar\"><a class=\"brand\" "
                   "href=\"/\">securebase</a>");
    if (r->signed_in) {
        const nav_item *items = r->user.role == SB_ROLE_CLIENT ? client_nav
                                : r->user.role == SB_ROLE_CLINICIAN
                                    ? clinician_nav
                                    : admin_nav;
        /* A client's page belongs under the caseload. */
        const nav_item *here = current(
            items, strncmp(r->path, "/clients", 8) ? r->path : "/caseload");
        sb__html_put(h, "<span class=\"who\">");
        sb_page_text(r, r->user.username);
        sb__html_put(h, " &middot; %s</span></div><nav aria-label=\"Main\">"
                       "<ul>",
                    sb_role_name(r->user.role));
        for (const nav_item *i = items; i->path; i++)
            sb__html_put(h, "<li><a href=\"%s\"%s>%s</a></li>", i->path,
                        i == here ? " aria-current=\"page\"" : "", i->label);
        sb__html_put(h, "<li><a href=\"/account\"%s>Account</a></li></ul>",
                    !strcmp(r->path, "/account") ? " aria-current=\"page\""
                                                 : "");
        sb__html_put(h, "<form method=\"post\" action=\"/logout\" "
                       "class=\"logout\">");
        sb_auth_csrf_field(r, h);
        sb__html_put(h, "<button type=\"submit\">Sign out</button></form>"
                       "</nav>");
    } else {
        sb__html_put(h, "</div>");
    }
    sb__html_put(h, "</header><main id=\"main\"><h1>");
    sb_page_text(r, title);
    sb__html_put(h, "</h1>");
}

void sb_page_end(sb_req *r)
{
    sb__html_put(&r->out, "</main><footer><p>securebase &middot; your records "
                         "stay in this practice: this site loads nothing "
                         "from elsewhere.</p></footer></body></html>\n");
    r->content_type = "text/html; charset=utf-8";
    if (r->out.failed) {
        sb__html_free(&r->out);
        r->status = 500;
        r->content_type = "text/plain; charset=utf-8";
        r->raw = NULL;
        sb__html_put(&r->out, "out of memory");
    }
}

static const char *notice_text(const char *what)
{
    static const struct {
        const char *key, *text;
    } notices[] = {
        {"reflection", "Your reflection is saved."},
        {"practice", "Your practice entry is saved."},
        {"relationship", "The relationship is saved."},
        {"ended", "The relationship is marked as ended."},
        {"deleted", "Deleted."},
        {"questionnaire", "Thank you: your answers are saved and scored."},
        {"draft", "Your answers so far are kept. Come back any time to "
                  "finish."},
        {"password", "Your password is changed."},
        {"session", "The session is recorded."},
        {"schedule", "The schedule is saved."},
        {"revoked", "The link no longer works."},
        {"account", "The account is created."},
        {"disabled", "The account is disabled and signed out everywhere."},
        {"enabled", "The account can sign in again."},
        {"assigned", "The client is on the caseload."},
        {"unassigned", "The client is no longer on that caseload."},
        {"client", "The client is added to your caseload. Invite them below."},
        {"joined", "Your account is ready. Welcome!"},
        {NULL, NULL}};
    for (size_t i = 0; what && notices[i].key; i++)
        if (!strcmp(what, notices[i].key))
            return notices[i].text;
    return NULL;
}

void sb_page_notice(sb_req *r)
{
    const char *text = notice_text(sb_req_query(r, "done"));
    if (text)
        sb__html_put(&r->out, "<p class=\"notice\" role=\"status\">%s</p>",
                    text);
}

void sb_page_error(sb_req *r, const char *message)
{
    sb__html_put(&r->out, "<div class=\"error\" role=\"alert\" id=\"problem\">"
                         "<p><strong>Please check this:</strong> ");
    sb_page_text(r, message);
    sb__html_put(&r->out, "</p></div>");
}

void sb_page_date(sb_req *r, const char *iso)
{
    static const char *const m[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    sb_date d;
    if (!iso || !iso[0] || sb_date_parse(iso, &d, NULL) != SB_OK) {
        sb__html_put(&r->out, "&ndash;");
        return;
    }
    sb__html_put(&r->out, "<time datetime=\"%s\">%d %s %d</time>", iso, d.day,
                m[d.month - 1], d.year);
}

void sb_page_table(sb_req *r, const char *cls)
{
    sb__html_scroll_begin(&r->out, "Table, scrolls sideways on small screens");
    sb__html_put(&r->out, "<table%s%s%s>", cls ? " class=\"" : "",
                cls ? cls : "", cls ? "\"" : "");
}

void sb_page_form(sb_req *r, const char *action, const char *cls)
{
    sb__html_put(&r->out, "<form method=\"post\" action=\"");
    sb_page_text(r, action);
    sb__html_put(&r->out, "\"%s%s%s>", cls ? " class=\"" : "", cls ? cls : "",
                cls ? "\"" : "");
    sb_auth_csrf_field(r, &r->out);
}
