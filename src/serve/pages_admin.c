/*
 * The administrator's pages: accounts (a new admin or clinician gets a
 * one-time link to set their own password; nobody ever types another's),
 * disabling and resetting accounts, which clients are on which caseload,
 * and the audit log with its CSV export. Admins see no clinical records.
 */
#include "serve/internal.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void link_notice(sb_req *r, const char *who, const char *token)
{
    const char *host = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND,
                                                   "Host");
    int ok = host && host[0] && strlen(host) < 200 &&
             strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"
                          "Z0123456789.-:[]") == strlen(host);
    sb__html_put(&r->out, "<div class=\"notice\" role=\"status\"><p>Give this "
                         "link to <strong>");
    sb_page_text(r, who);
    sb__html_put(&r->out, "</strong> to set their password. It is shown only "
                         "now, works once and expires in %lld days:</p><p>"
                         "<code class=\"link\">",
                (long long)(r->srv->opt.invite_ttl / 86400));
    if (ok)
        sb__html_put(&r->out, "%s://", r->srv->tls ? "https" : "http");
    if (ok)
        sb_page_text(r, host);
    sb__html_put(&r->out, "/reset/%s</code></p></div>", token);
}

/* A reset link for an account; 0 (with the page set) if it failed. */
static int make_reset(sb_req *r, sb_id account, char token[SB_TOKEN_TEXT])
{
    sb_invite inv;
    sb_error err;
    sb_status st = sb_req_change_begin(r, &err);
    if (st == SB_OK)
        st = sb_invite_create(r->j, SB_INVITE_RESET, account, r->user.id,
                              r->now, r->srv->opt.invite_ttl, token, &inv,
                              &err);
    if (st == SB_OK) {
        sb_req_audit(r, "add", "reset link", account, 0, "%s", "");
    }
    st = sb_req_change_end(r, st, &err);
    if (st != SB_OK)
        sb_req_fail(r, &err);
    return st == SB_OK;
}

static void accounts_page(sb_req *r, const char *problem, const char *who,
                          const char *token)
{
    sb_account *acc;
    size_t n;
    sb_error err;
    if (sb_account_list(r->j, &acc, &n, &err) != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_page_begin(r, "Accounts");
    sb_page_notice(r);
    if (token)
        link_notice(r, who, token);
    sb_page_table(r, NULL);
    sb__html_put(&r->out, "<thead><tr><th "
                         "scope=\"col\">Username</th><th scope=\"col\">Role"
                         "</th><th scope=\"col\">State</th><th scope=\"col\">"
                         "<span class=\"visually-hidden\">Actions</span></th>"
                         "</tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        sb__html_put(&r->out, "<tr><td>");
        sb_page_text(r, acc[i].username);
        sb__html_put(&r->out, "</td><td>%s</td><td class=\"%s\">%s</td><td "
                             "class=\"actions-cell\">",
                    sb_role_name(acc[i].role), acc[i].disabled ? "bad" : "",
                    acc[i].disabled ? "disabled" : "active");
        if (acc[i].id != r->user.id) {
            char action[96];
            snprintf(action, sizeof action, "/admin/accounts/%lld/%s",
                     (long long)acc[i].id,
                     acc[i].disabled ? "enable" : "disable");
            sb_page_form(r, action, "inline");
            sb__html_put(&r->out, "<button type=\"submit\" class=\"link\">%s "
                                 "<span class=\"visually-hidden\">",
                        acc[i].disabled ? "Enable" : "Disable");
            sb_page_text(r, acc[i].username);
            sb__html_put(&r->out, "</span></button></form>");
            snprintf(action, sizeof action, "/admin/accounts/%lld/reset",
                     (long long)acc[i].id);
            sb_page_form(r, action, "inline");
            sb__html_put(&r->out, "<button type=\"submit\" class=\"link\">"
                                 "Reset link <span class=\"visually-hidden\">"
                                 "for ");
            sb_page_text(r, acc[i].username);
            sb__html_put(&r->out, "</span></button></form>");
        }
        sb__html_put(&r->out, "</td></tr>");
    }
    sb__html_put(&r->out, "</tbody></table></div><section class=\"card\" "
                         "id=\"new\"><h2>New account</h2><p class=\"hint\">"
                         "Clients join through the invite link their "
                         "clinician makes on the client's page.</p>");
    if (problem)
        sb_page_error(r, problem);
    sb_page_form(r, "/admin/accounts", "stack narrow");
    const char *u = sb_form_get(&r->form, "username");
    sb__html_put(&r->out, "<label for=\"username\">Username</label><input "
                         "id=\"username\" name=\"username\" required "
                         "maxlength=\"64\" autocapitalize=\"none\" "
                         "spellcheck=\"false\" value=\"");
    sb_page_text(r, u && !token ? u : "");
    sb__html_put(&r->out, "\"><fieldset class=\"choice\"><legend>Role"
                         "</legend><label><input type=\"radio\" name=\"role\" "
                         "value=\"clinician\" checked> clinician</label>"
                         "<label><input type=\"radio\" name=\"role\" "
                         "value=\"admin\"> administrator</label></fieldset>"
                         "<button type=\"submit\">Create the account</button>"
                         "</form></section>");
    free(acc);
    sb_page_end(r);
}

void sb_page_admin_accounts(sb_req *r)
{
    accounts_page(r, NULL, NULL, NULL);
}

void sb_page_admin_accounts_post(sb_req *r)
{
    const char *username = sb_form_get(&r->form, "username");
    const char *role_name = sb_form_get(&r->form, "role");
    sb_role role;
    sb_error err;
    if (!username || !role_name ||
        sb_role_parse(role_name, &role, &err) != SB_OK ||
        role == SB_ROLE_CLIENT) {
        r->status = 400;
        accounts_page(r, "Give a username and choose clinician or "
                         "administrator.",
                      NULL, NULL);
        return;
    }
    if (sb_account_check_username(username, &err) != SB_OK) {
        r->status = 400;
        accounts_page(r, err.message, NULL, NULL);
        return;
    }
    /* A password nobody knows until the reset link sets a real one. */
    unsigned char raw[24];
    char secret[64];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(secret, sizeof secret, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sb_id id;
    char hash[SB_PASSWORD_HASH_MAX];
    sb_status st = sb_account_hash_password(secret, hash, &err);
    sodium_memzero(secret, sizeof secret);
    if (st == SB_OK) {
        sb_req_write_begin(r);
        st = sb_account_add_hashed(r->j, username, role, 0, hash, r->now, &id,
                                   &err);
        if (st == SB_OK)
            sb_req_audit(r, "add", "account", id, 0, "%s %s",
                         sb_role_name(role), username);
        st = sb_req_write_end(r, st, &err);
    }
    if (st == SB_ERR_INVALID) {
        r->status = 400;
        accounts_page(r, err.message, NULL, NULL);
        return;
    }
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    char token[SB_TOKEN_TEXT];
    if (make_reset(r, id, token))
        accounts_page(r, NULL, username, token);
}

static void set_disabled(sb_req *r, int disabled)
{
    sb_error err;
    if (r->params.id == r->user.id) {
        r->status = 400;
        accounts_page(r, "You cannot disable your own account.", NULL, NULL);
        return;
    }
    sb_req_write_begin(r);
    sb_status st = sb_account_set_disabled(r->j, r->params.id, disabled, &err);
    if (st == SB_OK)
        sb_req_audit(r, disabled ? "disable" : "enable", "account",
                     r->params.id, 0, "%s", "");
    st = sb_req_write_end(r, st, &err);
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_req_redirect(r, "/admin/accounts?done=%s",
                    disabled ? "disabled" : "enabled");
}

void sb_page_admin_account_disable(sb_req *r)
{
    set_disabled(r, 1);
}

void sb_page_admin_account_enable(sb_req *r)
{
    set_disabled(r, 0);
}

void sb_page_admin_account_reset(sb_req *r)
{
    sb_account a;
    sb_error err;
    if (sb_account_get(r->j, r->params.id, &a, &err) != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    char token[SB_TOKEN_TEXT];
    if (make_reset(r, a.id, token))
        accounts_page(r, NULL, a.username, token);
}

/* ---- assignments ----------------------------------------------------------- */

static void assignments_page(sb_req *r, const char *problem)
{
    sb_assignment *as;
    sb_account *acc;
    sb_rec_person *people;
    size_t na = 0, nc = 0, np = 0;
    sb_error err;
    sb_status st = sb_assignment_list(r->j, 0, &as, &na, &err);
    if (st == SB_OK)
        st = sb_account_list(r->j, &acc, &nc, &err);
    if (st == SB_OK)
        st = sb_journal_list(r->j, SB_KIND_PERSON, 0, (void **)&people, &np,
                             &err);
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_page_begin(r, "Assignments");
    sb_page_notice(r);
    sb__html_put(&r->out, "<p class=\"lead\">A clinician sees the records of "
                         "the clients on their caseload, and nobody "
                         "else's.</p>");
    if (problem)
        sb_page_error(r, problem);
    sb_page_form(r, "/admin/assignments", "row");
    sb__html_put(&r->out, "<div><label for=\"clinician\">Clinician</label>"
                         "<select id=\"clinician\" name=\"clinician\" "
                         "required>");
    for (size_t i = 0; i < nc; i++) {
        if (acc[i].role != SB_ROLE_CLINICIAN)
            continue;
        sb__html_put(&r->out, "<option value=\"%lld\">", (long long)acc[i].id);
        sb_page_text(r, acc[i].username);
        sb__html_put(&r->out, "</option>");
    }
    sb__html_put(&r->out, "</select></div><div><label for=\"person\">Client"
                         "</label><select id=\"person\" name=\"person\" "
                         "required>");
    for (size_t i = 0; i < np; i++) {
        sb__html_put(&r->out, "<option value=\"%lld\">", (long long)people[i].id);
        sb_page_text(r, people[i].name);
        sb__html_put(&r->out, "</option>");
    }
    sb__html_put(&r->out, "</select></div><button type=\"submit\">Assign"
                         "</button></form>");
    sb_page_table(r, NULL);
    sb__html_put(&r->out, "<thead><tr><th "
                         "scope=\"col\">Clinician</th><th scope=\"col\">"
                         "Client</th><th scope=\"col\"><span class=\"visually-"
                         "hidden\">Actions</span></th></tr></thead><tbody>");
    for (size_t i = 0; i < na; i++) {
        sb__html_put(&r->out, "<tr><td>");
        sb_page_text(r, as[i].clinician_name);
        sb__html_put(&r->out, "</td><td>");
        sb_page_text(r, as[i].person_name);
        sb__html_put(&r->out, "</td><td>");
        char action[128];
        snprintf(action, sizeof action,
                 "/admin/assignments/%lld/clients/%lld/delete",
                 (long long)as[i].clinician, (long long)as[i].person);
        sb_page_form(r, action, "inline");
        sb__html_put(&r->out, "<button type=\"submit\" class=\"link\">Remove"
                             "</button></form></td></tr>");
    }
    if (!na)
        sb__html_put(&r->out, "<tr><td colspan=\"3\">None yet.</td></tr>");
    sb__html_put(&r->out, "</tbody></table></div>");
    free(as);
    free(acc);
    free(people);
    sb_page_end(r);
}

void sb_page_admin_assignments(sb_req *r)
{
    assignments_page(r, NULL);
}

static sb_id form_id(sb_req *r, const char *name)
{
    const char *v = sb_form_get(&r->form, name);
    char *end;
    long long id = v ? strtoll(v, &end, 10) : 0;
    return v && v[0] && !*end && id > 0 ? (sb_id)id : 0;
}

void sb_page_admin_assignments_post(sb_req *r)
{
    sb_id clinician = form_id(r, "clinician"), person = form_id(r, "person");
    sb_error err;
    sb_status st = SB_OK;
    if (clinician && person) {
        sb_req_write_begin(r);
        st = sb_assignment_add(r->j, clinician, person, r->now, &err);
        if (st == SB_OK)
            sb_req_audit(r, "assign", "caseload", clinician, person, "%s", "");
        st = sb_req_write_end(r, st, &err);
    } else {
        st = sb_error_set(&err, SB_ERR_INVALID, NULL, 0, 0,
                          "choose a clinician and a client");
    }
    if (st == SB_ERR_INVALID || st == SB_ERR_NOTFOUND) {
        r->status = 400;
        assignments_page(r, err.message);
        return;
    }
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_req_redirect(r, "/admin/assignments?done=assigned");
}

void sb_page_admin_assignment_delete(sb_req *r)
{
    sb_error err;
    sb_req_write_begin(r);
    sb_status st = sb_assignment_remove(r->j, r->params.id, r->params.person,
                                        &err);
    if (st == SB_OK)
        sb_req_audit(r, "unassign", "caseload", r->params.id,
                     r->params.person, "%s", "");
    st = sb_req_write_end(r, st, &err);
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_req_redirect(r, "/admin/assignments?done=unassigned");
}

/* ---- the audit log ------------------------------------------------------------ */

/* The log's columns, in order. Each heading is also its values' label on a
 * phone, where the table becomes one card per entry and the headings are
 * hidden. */
enum {
    AUDIT_WHEN, AUDIT_WHO, AUDIT_WHAT, AUDIT_RECORD, AUDIT_CLIENT, AUDIT_FROM,
    AUDIT_DETAIL, AUDIT_COLUMNS
};
static const char *const audit_heading[AUDIT_COLUMNS] = {
    "When", "Who", "What", "Record", "Client", "From", "Detail"};

/* Ends the row's previous cell, if any, and starts the cell of `column`. */
static void audit_cell(sb_req *r, int column, const char *cls)
{
    sb__html_put(&r->out, "%s<td%s%s%s data-label=\"%s\">",
                column == AUDIT_WHEN ? "" : "</td>", cls ? " class=\"" : "",
                cls ? cls : "", cls ? "\"" : "", audit_heading[column]);
}

void sb_page_admin_audit(sb_req *r)
{
    const char *b = sb_req_query(r, "before");
    char *end = NULL;
    long long before = b ? strtoll(b, &end, 10) : 0;
    if (b && (!b[0] || *end || before < 0))
        before = 0;
    sb_audit_entry *e;
    size_t n, total;
    sb_error err;
    if (sb_audit_list(r->j, 0, (sb_id)before, 100, &e, &n, &err) != SB_OK ||
        sb_audit_count(r->j, &total, &err) != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_page_begin(r, "Audit log");
    sb__html_put(&r->out, "<p class=\"lead\">Every read and change of a "
                         "client's record: who, when (UTC), what, which "
                         "record and from where. %zu entr%s; the log cannot "
                         "be changed.</p><p><a class=\"button secondary\" "
                         "href=\"/admin/audit.csv\" download>Export all as "
                         "CSV</a></p>",
                total, total == 1 ? "y" : "ies");
    sb_page_table(r, "audit cards");
    sb__html_put(&r->out, "<thead><tr>");
    for (int c = 0; c < AUDIT_COLUMNS; c++)
        sb__html_put(&r->out, "<th scope=\"col\">%s</th>", audit_heading[c]);
    sb__html_put(&r->out, "</tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        sb__html_put(&r->out, "<tr>");
        audit_cell(r, AUDIT_WHEN, NULL);
        sb_page_text(r, e[i].at);
        audit_cell(r, AUDIT_WHO, NULL);
        sb_page_text(r, e[i].username[0] ? e[i].username : "-");
        audit_cell(r, AUDIT_WHAT, NULL);
        sb_page_text(r, e[i].action);
        sb__html_put(&r->out, " ");
        sb_page_text(r, e[i].kind);
        audit_cell(r, AUDIT_RECORD, "num");
        if (e[i].record)
            sb__html_put(&r->out, "%lld", (long long)e[i].record);
        audit_cell(r, AUDIT_CLIENT, "num");
        if (e[i].person)
            sb__html_put(&r->out, "%lld", (long long)e[i].person);
        audit_cell(r, AUDIT_FROM, NULL);
        sb_page_text(r, e[i].address);
        audit_cell(r, AUDIT_DETAIL, NULL);
        sb_page_text(r, e[i].detail);
        sb__html_put(&r->out, "</td></tr>");
    }
    sb__html_put(&r->out, "</tbody></table></div>");
    if (n == 100)
        sb__html_put(&r->out, "<p><a href=\"/admin/audit?before=%lld\">Older "
                             "entries &rarr;</a></p>",
                    (long long)e[n - 1].id);
    free(e);
    sb_page_end(r);
}

static sb_status write_audit(sb_req *r, FILE *out, sb_error *err)
{
    return sb_audit_export_csv(r->j, out, err);
}

void sb_page_admin_audit_csv(sb_req *r)
{
    if (sb_req_capture(r, write_audit))
        return;
    sb_req_write_begin(r);
    sb_req_audit(r, "export", "audit log", 0, 0, "%s", "");
    (void)sb_req_write_end(r, SB_OK, NULL);
    r->content_type = "text/csv; charset=utf-8";
    sb_req_header(r, "Content-Disposition",
                  "attachment; filename=\"securebase-audit-%s.csv\"",
                  r->today);
}
