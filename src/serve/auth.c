/*
 * Who is asking, and did the form come from us. The session cookie holds a
 * token whose hash the journal keeps; it is HttpOnly and SameSite=Strict,
 * and Secure with the __Host- prefix under TLS. Every POST carries an
 * anti-forgery token: the session's own when signed in, else one bound to
 * a short-lived cookie (double submit), so even the sign-in form cannot be
 * sent from another site. A browser's Origin header, when present, must be
 * this site.
 */
#include "serve/internal.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *session_cookie(const sb_req *r)
{
    return r->srv->tls ? "__Host-sb_session" : "sb_session";
}

static const char *form_cookie(const sb_req *r)
{
    return r->srv->tls ? "__Host-sb_form" : "sb_form";
}

static const char *cookie_flags(const sb_req *r)
{
    return r->srv->tls ? "; Path=/; HttpOnly; SameSite=Strict; Secure"
                       : "; Path=/; HttpOnly; SameSite=Strict";
}

const char *sb_auth_home(sb_role role)
{
    switch (role) {
    case SB_ROLE_ADMIN: return "/admin/accounts";
    case SB_ROLE_CLINICIAN: return "/caseload";
    default: return "/me";
    }
}

sb_status sb_auth_identify(sb_req *r, sb_error *err)
{
    const char *cookies = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND,
                                                      "Cookie");
    if (!sb_cookie_find(cookies, form_cookie(r), r->presession,
                        sizeof r->presession) ||
        strlen(r->presession) != SB_TOKEN_TEXT - 1)
        r->presession[0] = '\0';
    char token[SB_TOKEN_TEXT + 1];
    if (!sb_cookie_find(cookies, session_cookie(r), token, sizeof token))
        return SB_OK;
    sb_web_session_limits lim = {r->srv->opt.session_idle,
                                 r->srv->opt.session_absolute};
    sb_status st = sb_web_session_find(r->j, token, r->now, &lim, &r->session,
                                       &r->user, err);
    sodium_memzero(token, sizeof token);
    if (st == SB_ERR_NOTFOUND) {
        /* Ended or unknown: the browser may forget it. */
        sb_auth_clear_session_cookie(r);
        return SB_OK;
    }
    if (st != SB_OK)
        return st;
    r->signed_in = 1;
    return SB_OK;
}

/* The session's anti-forgery token as text. */
static void session_csrf(const sb_req *r, char out[SB_TOKEN_TEXT])
{
    sodium_bin2base64(out, SB_TOKEN_TEXT, r->session.csrf,
                      sizeof r->session.csrf,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/*
 * Where the browser says the form comes from. Sec-Fetch-Site, when sent,
 * must be same-origin (or none: typed by the user). Origin, when sent, must
 * be this site; "null" is what browsers send under Referrer-Policy
 * no-referrer, and then the token alone decides.
 */
static int same_origin(sb_req *r)
{
    const char *site = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND,
                                                   "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
        return 0;
    const char *origin = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND,
                                                     "Origin");
    if (!origin || !strcmp(origin, "null"))
        return 1;
    const char *host = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND,
                                                   "Host");
    char want[300];
    snprintf(want, sizeof want, "%s://%s", r->srv->cert_pem ? "https" : "http",
             host ? host : "");
    if (r->srv->opt.behind_tls_proxy && !strncmp(origin, "https://", 8))
        snprintf(want, sizeof want, "https://%s", host ? host : "");
    return host && !strcmp(origin, want);
}

int sb_auth_csrf_ok(sb_req *r)
{
    const char *sent = sb_form_get(&r->form, "csrf");
    if (!sent || strlen(sent) != SB_TOKEN_TEXT - 1 || !same_origin(r))
        return 0;
    char want[SB_TOKEN_TEXT];
    if (r->signed_in)
        session_csrf(r, want);
    else if (r->presession[0])
        memcpy(want, r->presession, SB_TOKEN_TEXT);
    else
        return 0;
    return sodium_memcmp(sent, want, SB_TOKEN_TEXT - 1) == 0;
}

void sb_auth_csrf_field(sb_req *r, sb__html *h)
{
    char token[SB_TOKEN_TEXT];
    if (r->signed_in) {
        session_csrf(r, token);
    } else {
        if (!r->presession[0]) {
            unsigned char raw[SB_TOKEN_BYTES];
            randombytes_buf(raw, sizeof raw);
            sodium_bin2base64(r->presession, sizeof r->presession, raw,
                              sizeof raw,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING);
            sb_req_header(r, "Set-Cookie", "%s=%s%s", form_cookie(r),
                          r->presession, cookie_flags(r));
        }
        memcpy(token, r->presession, SB_TOKEN_TEXT);
    }
    sb__html_put(h, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                token);
}

void sb_auth_set_session_cookie(sb_req *r, const char *token)
{
    sb_req_header(r, "Set-Cookie", "%s=%s%s", session_cookie(r), token,
                  cookie_flags(r));
}

void sb_auth_clear_session_cookie(sb_req *r)
{
    sb_req_header(r, "Set-Cookie", "%s=; Max-Age=0%s", session_cookie(r),
                  cookie_flags(r));
}
