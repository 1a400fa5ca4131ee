/*
 * securebase serve: the web app for clients and their clinicians over one
 * journal (libmicrohttpd with its thread pool; TLS through its GnuTLS
 * support). A face like the command line: it reads requests, asks the
 * journal, measure and report layers, and writes pages. Authorization is
 * decided in one table of routes, roles and ownership (src/serve/routes.c).
 */
#ifndef SECUREBASE_SERVE_H
#define SECUREBASE_SERVE_H

#include <securebase/base.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sb_serve_options {
    const char *db;            /* the journal file (must exist) */
    const char *listen;        /* "127.0.0.1:8080", "[::1]:8080", ":8080" */
    const char *tls_cert;      /* PEM files; both or neither */
    const char *tls_key;
    const char *item_texts;    /* a directory of item texts, or NULL */
    unsigned threads;          /* worker threads; 0: 4 x cores, at least 16 */
    size_t max_body;           /* bytes of a request body; 0: 64 KiB */
    unsigned timeout;          /* seconds a connection may idle; 0: 15 */
    int64_t session_idle;      /* seconds; 0: 30 minutes */
    int64_t session_absolute;  /* seconds; 0: 12 hours */
    int64_t invite_ttl;        /* seconds; 0: 7 days */
    FILE *log;                 /* one line per request; NULL: none */
    /* Behind a TLS-terminating proxy on the same machine: cookies are
     * marked Secure and __Host- as under TLS. */
    int behind_tls_proxy;
    /* Demo item texts are shown for instruments without a text file. */
    int demo_texts;
    /* A practice's local norms (sb_norms_set, borrowed: it must outlive
     * the server): reliable change of their instruments on every page and
     * in the report uses them, and says so. NULL: published figures. */
    const struct sb_norms_set *norms;
} sb_serve_options;

void sb_serve_options_default(sb_serve_options *opt);

typedef struct sb_server sb_server;

/*
 * Opens the journal, loads the item texts and starts listening; requests
 * are served on the pool's threads until sb_server_stop. The options'
 * strings are copied. The caller owns *out.
 */
sb_status sb_server_start(const sb_serve_options *opt, sb_server **out,
                          sb_error *err);
/* The port actually bound (useful with port 0). */
unsigned sb_server_port(const sb_server *s);
/* "http://127.0.0.1:8080/" or https://...; owned by the server. */
const char *sb_server_url(const sb_server *s);
/* Stops listening, waits for the requests in flight and frees. Safe on
 * NULL. */
void sb_server_stop(sb_server *s);

/* Demo logins: printed by `serve --demo` and used by its tests. */
typedef struct sb_demo_login {
    const char *username, *password, *role, *who;
} sb_demo_login;

/*
 * Fills a new journal at `path` with invented people, accounts and a year
 * of records; *logins (static storage) lists the accounts to try.
 */
sb_status sb_demo_create(const char *path, const sb_demo_login **logins,
                         size_t *count, sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
