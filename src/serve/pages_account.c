/*
 * Signing in and out, joining through an invite link, setting a password
 * through a reset link or on the account page, the start page that sends
 * each role home, and the stylesheet.
 */
#include "serve/internal.h"

#include "base/builtin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void sb_page_root(sb_req *r)
{
    sb_req_redirect(r, "%s", r->signed_in ? sb_auth_home(r->user.role)
                                          : "/login");
}

void sb_page_static(sb_req *r)
{
    char path[200];
    snprintf(path, sizeof path, "src/serve/static/%s", r->params.name);
    const sb__builtin_file *f = strcmp(r->params.name, "style.css")
                                   ? NULL
                                   : sb__builtin_find(path);
    if (!f) {
        sb_req_message(r, 404, "Not found", "There is nothing at this address.");
        return;
    }
    sb__html_put(&r->out, "%s", f->data);
    r->content_type = "text/css; charset=utf-8";
    r->is_public = 1;
}

/* ---- signing in ---------------------------------------------------------- */

static void login_form(sb_req *r, const char *username, const char *problem)
{
    sb_page_begin(r, "Sign in");
    if (problem)
        sb_page_error(r, problem);
    sb_page_notice(r);
    sb_page_form(r, "/login", "card narrow");
    sb__html_put(&r->out, "<label for=\"username\">Username</label><input "
                         "id=\"username\" name=\"username\" "
                         "autocomplete=\"username\" autocapitalize=\"none\" "
                         "spellcheck=\"false\" required maxlength=\"64\" "
                         "value=\"");
    sb_page_text(r, username ? username : "");
    sb__html_put(&r->out, "\"%s><label for=\"password\">Password</label><input "
                         "id=\"password\" name=\"password\" type=\"password\" "
                         "autocomplete=\"current-password\" required%s>"
                         "<button type=\"submit\">Sign in</button></form>"
                         "<p class=\"hint\">New here? Your clinician sends "
                         "you a link to set up your account.</p>",
                username && username[0] ? "" : " autofocus",
                username && username[0] ? " autofocus" : "");
    sb_page_end(r);
}

void sb_page_login(sb_req *r)
{
    if (r->signed_in) {
        sb_req_redirect(r, "%s", sb_auth_home(r->user.role));
        return;
    }
    login_form(r, NULL, NULL);
}

/* Starts a session for `a` and sends the browser home with its cookie. */
static void sign_in(sb_req *r, const sb_account *a, const char *where)
{
    sb_error err;
    char token[SB_TOKEN_TEXT];
    sb_web_session_limits lim = {r->srv->opt.session_idle,
                                 r->srv->opt.session_absolute};
    sb_req_write_begin(r);
    (void)sb_web_session_expire(r->j, r->now, &lim, NULL, &err);
    sb_status st = sb_web_session_start(r->j, a->id, r->now, r->address,
                                        token, &r->session, &err);
    if (st == SB_OK) {
        r->user = *a;
        r->signed_in = 1;
        sb_req_audit(r, "sign in", "account", a->id, a->person, "%s",
                     sb_role_name(a->role));
    }
    st = sb_req_write_end(r, st, &err);
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_req_redirect(r, "%s", where ? where : sb_auth_home(a->role));
    sb_auth_set_session_cookie(r, token);
    sodium_memzero(token, sizeof token);
}

void sb_page_login_post(sb_req *r)
{
    const char *username = sb_form_get(&r->form, "username");
    const char *password = sb_form_get(&r->form, "password");
    if (!username || !password) {
        r->status = 400;
        login_form(r, username, "Give your username and your password.");
        return;
    }
    int64_t wait = sb_throttle_wait(&r->srv->throttle, username, r->address,
                                    r->now);
    if (wait > 0) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "Too many sign-ins failed for this account or from this "
                 "address. For your safety, please wait %lld minute%s and "
                 "try again.",
                 (long long)(wait + 59) / 60, wait > 60 ? "s" : "");
        r->status = 429;
        sb_req_header(r, "Retry-After", "%lld", (long long)wait);
        snprintf(r->log_note, sizeof r->log_note, "throttled");
        login_form(r, username, msg);
        return;
    }
    sb_account a;
    sb_error err;
    sb_status st = sb_account_verify(r->j, username, password, &a, &err);
    if (st == SB_ERR_NOTFOUND || st == SB_ERR_STATE) {
        sb_throttle_fail(&r->srv->throttle, username, r->address, r->now);
        snprintf(r->log_note, sizeof r->log_note, "sign-in failed");
        r->status = 401;
        login_form(r, username,
                   st == SB_ERR_STATE
                       ? "This account is disabled. Ask the practice's "
                         "administrator."
                       : "The username or the password is not right.");
        return;
    }
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_throttle_success(&r->srv->throttle, username);
    sign_in(r, &a, NULL);
}

void sb_page_logout(sb_req *r)
{
    sb_error err;
    sb_req_write_begin(r);
    sb_req_audit(r, "sign out", "account", r->user.id, r->user.person, "%s",
                 "");
    sb_status st = sb_web_session_end(r->j, r->session.id, &err);
    st = sb_req_write_end(r, st, &err);
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_req_redirect(r, "/login?done=out");
    sb_auth_clear_session_cookie(r);
}

/* ---- passwords: shared by joining, resetting and the account page ------- */

static void password_fields(sb_req *r, int with_current)
{
    if (with_current)
        sb__html_put(&r->out, "<label for=\"current\">Current password</label>"
                             "<input id=\"current\" name=\"current\" "
                             "type=\"password\" autocomplete=\"current-"
                             "password\" required>");
    sb__html_put(&r->out,
                "<label for=\"password\">New password</label><p class=\"hint\""
                " id=\"password-hint\">At least %d characters. A few "
                "unrelated words make a strong one.</p><input id=\"password\" "
                "name=\"password\" type=\"password\" autocomplete=\"new-"
                "password\" aria-describedby=\"password-hint\" required "
                "minlength=\"%d\"><label for=\"again\">The same again</label>"
                "<input id=\"again\" name=\"again\" type=\"password\" "
                "autocomplete=\"new-password\" required minlength=\"%d\">",
                SB_PASSWORD_MIN, SB_PASSWORD_MIN, SB_PASSWORD_MIN);
}

/* The new password from a form, checked; NULL with *problem set if not. */
static const char *new_password(sb_req *r, char *problem, size_t size)
{
    const char *pw = sb_form_get(&r->form, "password");
    const char *again = sb_form_get(&r->form, "again");
    sb_error err;
    if (!pw || !again) {
        snprintf(problem, size, "Give the new password twice.");
        return NULL;
    }
    if (strcmp(pw, again)) {
        snprintf(problem, size, "The two passwords are not the same.");
        return NULL;
    }
    if (sb_account_check_password(pw, &err) != SB_OK) {
        snprintf(problem, size, "%.700s.", err.message);
        problem[0] = (char)(problem[0] >= 'a' && problem[0] <= 'z'
                                ? problem[0] - 32
                                : problem[0]);
        return NULL;
    }
    return pw;
}

/* ---- joining through an invite ------------------------------------------ */

static void link_gone(sb_req *r)
{
    sb_req_message(r, 404, "This link does not work",
                   "This link is unknown, was used already, or has expired. "
                   "Ask your clinician for a new one.");
}

static void join_form(sb_req *r, const sb_invite *inv, const char *problem)
{
    sb_rec_person p;
    sb_error err;
    if (sb_journal_get(r->j, SB_KIND_PERSON, inv->person, &p, &err) != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_page_begin(r, "Set up your account");
    if (problem)
        sb_page_error(r, problem);
    sb__html_put(&r->out, "<p class=\"lead\">Welcome, ");
    sb_page_text(r, p.name);
    sb__html_put(&r->out, ". Choose a username and a password. This link works "
                         "once.</p>");
    char action[80];
    snprintf(action, sizeof action, "/join/%s", r->params.token);
    sb_page_form(r, action, "card narrow");
    const char *username = sb_form_get(&r->form, "username");
    sb__html_put(&r->out, "<label for=\"username\">Username</label><p "
                         "class=\"hint\" id=\"username-hint\">3 to 64 letters, "
                         "digits, dots, dashes or @.</p><input id=\"username\" "
                         "name=\"username\" autocomplete=\"username\" "
                         "autocapitalize=\"none\" spellcheck=\"false\" "
                         "aria-describedby=\"username-hint\" required "
                         "maxlength=\"64\" value=\"");
    sb_page_text(r, username ? username : "");
    sb__html_put(&r->out, "\">");
    password_fields(r, 0);
    sb__html_put(&r->out, "<button type=\"submit\">Create my account</button>"
                         "</form>");
    sb_page_end(r);
}

void sb_page_join(sb_req *r)
{
    sb_invite inv;
    sb_error err;
    sb_status st = sb_invite_find(r->j, r->params.token, r->now, &inv, &err);
    if (st == SB_OK && inv.purpose != SB_INVITE_JOIN)
        st = SB_ERR_NOTFOUND;
    if (st == SB_ERR_NOTFOUND) {
        link_gone(r);
        return;
    }
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    join_form(r, &inv, NULL);
}

void sb_page_join_post(sb_req *r)
{
    sb_invite inv;
    sb_error err;
    sb_status st = sb_invite_find(r->j, r->params.token, r->now, &inv, &err);
    if (st == SB_OK && inv.purpose != SB_INVITE_JOIN)
        st = SB_ERR_NOTFOUND;
    if (st != SB_OK) {
        if (st == SB_ERR_NOTFOUND)
            link_gone(r);
        else
            sb_req_fail(r, &err);
        return;
    }
    char problem[SB_ERROR_MSG_MAX];
    const char *username = sb_form_get(&r->form, "username");
    const char *pw = new_password(r, problem, sizeof problem);
    if (!username || !username[0]) {
        snprintf(problem, sizeof problem, "Choose a username.");
        pw = NULL;
    } else if (pw && sb_account_check_username(username, &err) != SB_OK) {
        snprintf(problem, sizeof problem, "%.700s.", err.message);
        pw = NULL;
    }
    sb_account a;
    char hash[SB_PASSWORD_HASH_MAX];
    if (pw && (st = sb_account_hash_password(pw, hash, &err)) != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    if (pw) {
        /* Hashed above, outside the write turn: it takes a while. */
        sb_req_write_begin(r);
        st = sb_invite_join_hashed(r->j, r->params.token, r->now, username,
                                   hash, &a, &err);
        st = sb_req_write_end(r, st, &err);
        if (st == SB_ERR_INVALID)
            snprintf(problem, sizeof problem, "%.700s.", err.message);
        else if (st == SB_ERR_NOTFOUND) {
            link_gone(r);
            return;
        } else if (st != SB_OK) {
            sb_req_fail(r, &err);
            return;
        }
    }
    if (!pw || st != SB_OK) {
        r->status = 400;
        join_form(r, &inv, problem);
        return;
    }
    sign_in(r, &a, "/me?done=joined");
}

/* ---- a reset link --------------------------------------------------------- */

static void reset_form(sb_req *r, const char *problem)
{
    sb_page_begin(r, "Set a new password");
    if (problem)
        sb_page_error(r, problem);
    char action[80];
    snprintf(action, sizeof action, "/reset/%s", r->params.token);
    sb_page_form(r, action, "card narrow");
    password_fields(r, 0);
    sb__html_put(&r->out, "<button type=\"submit\">Set the password</button>"
                         "</form>");
    sb_page_end(r);
}

void sb_page_reset(sb_req *r)
{
    sb_invite inv;
    sb_error err;
    sb_status st = sb_invite_find(r->j, r->params.token, r->now, &inv, &err);
    if (st == SB_OK && inv.purpose != SB_INVITE_RESET)
        st = SB_ERR_NOTFOUND;
    if (st == SB_ERR_NOTFOUND)
        link_gone(r);
    else if (st != SB_OK)
        sb_req_fail(r, &err);
    else
        reset_form(r, NULL);
}

void sb_page_reset_post(sb_req *r)
{
    sb_invite inv;
    sb_error err;
    sb_status st = sb_invite_find(r->j, r->params.token, r->now, &inv, &err);
    if (st != SB_OK || inv.purpose != SB_INVITE_RESET) {
        if (st == SB_OK || st == SB_ERR_NOTFOUND)
            link_gone(r);
        else
            sb_req_fail(r, &err);
        return;
    }
    char problem[SB_ERROR_MSG_MAX];
    const char *pw = new_password(r, problem, sizeof problem);
    if (!pw) {
        r->status = 400;
        reset_form(r, problem);
        return;
    }
    sb_account a;
    char hash[SB_PASSWORD_HASH_MAX];
    if ((st = sb_account_hash_password(pw, hash, &err)) == SB_OK) {
        sb_req_write_begin(r);
        st = sb_invite_reset_hashed(r->j, r->params.token, r->now, hash, &a,
                                    &err);
        st = sb_req_write_end(r, st, &err);
    }
    if (st == SB_ERR_NOTFOUND)
        link_gone(r);
    else if (st != SB_OK)
        sb_req_fail(r, &err);
    else
        sb_req_redirect(r, "/login?done=password");
}

/* ---- the account page ----------------------------------------------------- */

static void account_page(sb_req *r, const char *problem)
{
    sb_page_begin(r, "Your account");
    sb_page_notice(r);
    sb__html_put(&r->out, "<p>Signed in as <strong>");
    sb_page_text(r, r->user.username);
    sb__html_put(&r->out, "</strong> (%s).</p><h2>Change your password</h2>",
                sb_role_name(r->user.role));
    if (problem)
        sb_page_error(r, problem);
    sb_page_form(r, "/account", "card narrow");
    password_fields(r, 1);
    sb__html_put(&r->out, "<button type=\"submit\">Change the password"
                         "</button></form><p class=\"hint\">Changing it signs "
                         "you out everywhere else.</p>");
    sb_page_end(r);
}

void sb_page_account(sb_req *r)
{
    account_page(r, NULL);
}

void sb_page_account_post(sb_req *r)
{
    char problem[SB_ERROR_MSG_MAX];
    const char *current = sb_form_get(&r->form, "current");
    const char *pw = new_password(r, problem, sizeof problem);
    sb_account a;
    sb_error err;
    if (pw && sb_throttle_wait(&r->srv->throttle, r->user.username, r->address,
                               r->now) > 0) {
        snprintf(problem, sizeof problem,
                 "Too many wrong passwords; wait a few minutes.");
        pw = NULL;
    }
    if (pw && (!current || sb_account_verify(r->j, r->user.username, current,
                                             &a, &err) != SB_OK)) {
        sb_throttle_fail(&r->srv->throttle, r->user.username, r->address,
                         r->now);
        snprintf(problem, sizeof problem,
                 "The current password is not right.");
        pw = NULL;
    }
    if (!pw) {
        r->status = 400;
        account_page(r, problem);
        return;
    }
    /* Ends every session, this one too; a new one starts below. */
    char hash[SB_PASSWORD_HASH_MAX];
    sb_status st = sb_account_hash_password(pw, hash, &err);
    if (st == SB_OK) {
        sb_req_write_begin(r);
        st = sb_account_set_password_hashed(r->j, r->user.id, hash, &err);
        st = sb_req_write_end(r, st, &err);
    }
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sign_in(r, &a, "/account?done=password");
}
