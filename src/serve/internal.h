/*
 * What the web face's files share: the server, one request as the pages
 * see it, the route table's types, and the helpers every page uses.
 */
#ifndef SB_SERVE_INTERNAL_H
#define SB_SERVE_INTERNAL_H

#include <securebase/accounts.h>
#include <securebase/audit.h>
#include <securebase/care.h>
#include <securebase/caseload.h>
#include <securebase/journal.h>
#include <securebase/measure.h>
#include <securebase/model.h>
#include <securebase/serve.h>

#include "report/html.h"
#include "serve/form.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

struct MHD_Daemon;
struct MHD_Connection;

/* ---- journal handles: one per request in flight ------------------------- */

typedef struct sb_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    size_t count, free_count;
    sb_journal **all, **free;
} sb_pool;

sb_status sb_pool_open(sb_pool *p, const char *path, size_t count,
                       sb_error *err);
sb_journal *sb_pool_take(sb_pool *p);
void sb_pool_give(sb_pool *p, sb_journal *j);
void sb_pool_close(sb_pool *p);

/* ---- login throttling (throttle.c) ------------------------------------- */

#define SB_THROTTLE_SLOTS 4096

typedef struct sb_throttle_slot {
    uint64_t key;        /* hash of "a:<username>" or "i:<address>"; 0 free */
    int64_t window;      /* start of the counting window */
    unsigned failures;
} sb_throttle_slot;

typedef struct sb_throttle {
    pthread_mutex_t lock;
    unsigned char seed[16];
    sb_throttle_slot slot[SB_THROTTLE_SLOTS];
} sb_throttle;

void sb_throttle_init(sb_throttle *t);
void sb_throttle_destroy(sb_throttle *t);
/* Seconds until the account or the address may try again; 0 if now. */
int64_t sb_throttle_wait(sb_throttle *t, const char *username,
                         const char *address, int64_t now);
/* Counts a failed sign-in against both. */
void sb_throttle_fail(sb_throttle *t, const char *username,
                      const char *address, int64_t now);
/* Forgets the account's failures after a sign-in that worked. */
void sb_throttle_success(sb_throttle *t, const char *username);

/* ---- item texts (item_texts.c) ----------------------------------------- */

#define SB_INSTRUMENTS_MAX 8
/* The built-in instruments' names ("ecr-r", ...); returns how many. */
size_t sb_serve_instruments(char names[SB_INSTRUMENTS_MAX][32]);

typedef struct sb_item_texts sb_item_texts;

/* Loads DIR/<instrument>.txt for every built-in instrument that has one;
 * `demo` adds invented placeholder texts for the others. */
sb_status sb_item_texts_load(const char *dir, int demo, sb_item_texts **out,
                             sb_error *err);
void sb_item_texts_free(sb_item_texts *t);
/* The text of item `n` (1-based, within a target), or NULL. */
const char *sb_item_text(const sb_item_texts *t, const char *instrument,
                         size_t n);
/* The label of answer `value` on the scale, or NULL. */
const char *sb_item_anchor(const sb_item_texts *t, const char *instrument,
                           int value);
/* The built-in instrument of that name, parsed once (owned by `t`, read
 * only, shared by every thread), or NULL. */
const sb_instrument *sb_item_texts_instrument(const sb_item_texts *t,
                                              const char *instrument);
/* 1 if the texts are the demo's invented placeholders. */
int sb_item_texts_placeholder(const sb_item_texts *t, const char *instrument);

/* ---- the caseload's on-track signals (care_cache.c) --------------------- */

typedef struct sb_care_cache sb_care_cache;
struct sb_caseload_row;

/* Starts the cache and its thread, which reads `db` on a connection of its
 * own; reliable change uses `norms` (borrowed, may be NULL) first. */
sb_status sb_care_cache_open(const char *db, const sb_norms_set *norms,
                             sb_care_cache **out, sb_error *err);
void sb_care_cache_close(sb_care_cache *c);
/* A write to the person's records was committed: their signal is stale. */
void sb_care_cache_touch(sb_care_cache *c, sb_id person);
typedef enum sb_care_kept {
    SB_CARE_KEPT_FRESH = 0,   /* from the records as they are */
    SB_CARE_KEPT_NEW,         /* the same, computed by this call */
    SB_CARE_KEPT_UPDATING,    /* from older records; a newer one is coming */
    SB_CARE_KEPT_PENDING      /* none yet; being computed (*out is empty) */
} sb_care_kept;

/*
 * The signal of a caseload row as of `as_of` (days): the one kept, or,
 * when none is, computed now on `j` if `compute_now` (and the background
 * thread is not already at it), else left to that thread. A stale one is
 * returned and redone in the background.
 */
sb_status sb_care_cache_status(sb_care_cache *c, sb_journal *j,
                               const struct sb_caseload_row *row, long as_of,
                               int compute_now, sb_care_status *out,
                               sb_care_kept *kept, sb_error *err);
/* Signals the background thread has computed so far. */
unsigned long sb_care_cache_computed(sb_care_cache *c);

/* ---- the caseload's rows, kept between pages (caseload_cache.c) -------- */

/* What the caseload shows of a client, save the on-track signal. */
typedef struct sb_caseload_kept {
    sb_caseload_row row;
    sb_care_change change[2];   /* anxiety, avoidance since intake */
    sb_due_state due;           /* the most urgent of the client's measures */
    char due_text[160];
} sb_caseload_kept;

/* What a kept row must match: taken before the journal is read. */
typedef struct sb_caseload_ticket {
    int valid;                  /* 0: what is read is not kept */
    uint64_t gen, epoch;
} sb_caseload_ticket;

typedef struct sb_caseload_cache sb_caseload_cache;

sb_status sb_caseload_cache_new(sb_caseload_cache **out, sb_error *err);
void sb_caseload_cache_free(sb_caseload_cache *c);
/*
 * 1 with the client's row as of `day` (days) in *out when one is kept and
 * current; else 0 with the ticket to read it under. A NULL cache keeps
 * nothing.
 */
int sb_caseload_cache_get(sb_caseload_cache *c, sb_id person, long day,
                          sb_caseload_kept *out, sb_caseload_ticket *ticket);
/* Keeps a row read under `ticket`, unless a write moved it on meanwhile. */
void sb_caseload_cache_put(sb_caseload_cache *c, sb_id person, long day,
                           const sb_caseload_ticket *ticket,
                           const sb_caseload_kept *kept);
/* A committed write changed the client's records; person 0: anyone's. */
void sb_caseload_cache_touch(sb_caseload_cache *c, sb_id person);
/* Forgets every row if another connection committed to the journal since
 * the last check (run on the writer's connection, holding its turn). */
void sb_caseload_cache_check_outside(sb_caseload_cache *c, sb_journal *writer);
/* Rows found kept, and rows that had to be read, so far. */
void sb_caseload_cache_counts(sb_caseload_cache *c, unsigned long *hits,
                              unsigned long *misses);

/* ---- the server ---------------------------------------------------------- */

/* Commits one after the other, and who waits for them (under wait_lock). */
typedef struct sb_commit_line {
    int dirty;                 /* something to commit */
    int grabbed;               /* the commit under way took `deferred` */
    uint64_t epoch;            /* commits so far */
    sb_status status[256];     /* of commit `epoch % 256` */
    struct deferred *deferred; /* audit entries of pages, newest first
                                  (the spool's line) */
    struct conn *waiters;      /* suspended until the next commit */
} sb_commit_line;

struct sb_server {
    sb_serve_options opt;      /* strings point into `strings` */
    char *strings;
    struct MHD_Daemon *daemon;
    char url[160];
    unsigned port;
    int tls;                   /* cookies Secure and __Host- */
    char *cert_pem, *key_pem;
    sb_pool pool;              /* for the library's worker threads */
    sb_pool form_pool;         /* for the writing threads */
    /*
     * Group commit: every write of the server runs on the one `writer`
     * connection, one request at a time (write_lock), inside a transaction
     * that stays open while writers come and go; the commit thread commits
     * it (one fsync acknowledges them all) and begins the next group with
     * the writers that queued meanwhile. A request that wrote is answered
     * only after its group's commit, but its worker thread does not wait
     * for it: the connection is suspended and the commit thread resumes
     * it (commit.c), so the requests behind it on that thread are served.
     */
    sb_journal *writer;
    pthread_mutex_t write_lock; /* the writer's turn; tx_open */
    int tx_open;
    pthread_t committer;
    int committer_running;
    /*
     * The audit entries of pages that only read do not wait for the
     * group: the audit thread writes those that came meanwhile into the
     * audit spool in one small transaction of their own (then the page is
     * answered) and hands them to the commit thread (`to_move`), which
     * appends them to the journal's log with the next group. Only the
     * audit thread writes the spool, holding spool_lock; the commit thread
     * never takes it.
     */
    sb_audit_spool *spool;
    pthread_mutex_t spool_lock;
    pthread_t auditor;
    int auditor_running;
    /* The rest is under wait_lock. */
    pthread_mutex_t wait_lock;
    pthread_cond_t work;       /* something to commit; stopping */
    pthread_cond_t audit_work; /* entries for the spool; stopping */
    pthread_cond_t committed;
    int stopping, audit_stopping;
    int draining;              /* stopping: no more suspensions */
    sb_commit_line group;      /* the journal's group commit */
    sb_commit_line reads;      /* the audit spool's commits */
    struct spooled *to_move, *to_move_last; /* durable in the spool, in
                                  order, not yet in a committed group */
    size_t to_move_count;      /* entries in to_move */
    size_t move_max;           /* entries a group moves at most */
    size_t backlog_max;        /* to_move_count that stops the spooling */
    int64_t spool_moved;       /* the spool's last id in a committed group */
    /* Sessions' last use, written with the next group (commit.c). */
    struct sb_session_use *uses;
    size_t use_count, use_cap;
    size_t parked;             /* suspended, not yet answered */
    struct conn *forms, *forms_last; /* for the writing threads */
    pthread_cond_t form_ready;
    int forms_stop;
    pthread_t *writing;
    size_t writing_count, writing_wanted;
    sb_throttle throttle;
    sb_item_texts *texts;
    sb_care_cache *care;
    sb_caseload_cache *rows;
};

/* ---- one request --------------------------------------------------------- */

enum {
    SB_ANON = 1u << 3          /* the role bit of "not signed in" */
};
#define SB_ROLE_BIT(r) (1u << (r))

typedef struct sb_route sb_route;

#define SB_HEADERS_MAX 8

typedef struct sb_req {
    sb_server *srv;
    struct MHD_Connection *con;
    const char *method;
    int post;                  /* a POST (else GET or HEAD) */
    char path[SB_PATH_MAX + 1];
    char address[SB_AUDIT_ADDRESS_MAX];
    int64_t now;               /* Unix seconds */
    int64_t now_ms;
    char today[SB_DATE_SIZE];  /* the server's local date */
    sb_journal *j;             /* the pool's handle, or the writer's */
    sb_journal *own_j;         /* the pool's handle while writing */
    /* who is asking */
    int signed_in;
    sb_account user;
    sb_web_session session;
    char presession[SB_TOKEN_TEXT]; /* anti-forgery cookie before sign-in */
    /* what was asked */
    const sb_route *route;
    sb_path_params params;
    sb_form form;              /* POST bodies */
    const char *body;
    size_t body_len;
    /* the answer */
    int status;
    const char *content_type;
    sb__html out;
    char *raw;                 /* a body other than `out` (downloads) */
    size_t raw_len;
    int is_public;             /* may be cached (the stylesheet) */
    int in_change;             /* sb_req_change_begin opened a transaction */
    int in_group;              /* wrote into the group of commit `group` */
    uint64_t group;
    int in_reads;              /* audit entries in spool commit `reads` */
    uint64_t reads;
    const void *capture_ctx;   /* for the writer given to sb_req_capture */
    char csp[320];             /* a page's own policy; "" for the default */
    size_t header_count;
    char header_name[SB_HEADERS_MAX][32];
    char header_value[SB_HEADERS_MAX][200];
    /* for the request log */
    char log_note[96];
} sb_req;

/* ---- the route table (routes.c) and authorization (authz.c) ------------ */

/* Whose record a route's ids must belong to for the asker. */
typedef enum sb_owner {
    SB_OWN_NONE = 0,      /* no record: public pages, own account */
    SB_OWN_SELF,          /* a client's own record (/me/...) */
    SB_OWN_SELF_RECORD,   /* {id}: a record of `kind` of the client's own */
    SB_OWN_CASELOAD,      /* {person}: on the clinician's caseload */
    SB_OWN_CASELOAD_RECORD, /* and {id}: a record of `kind` of that person */
    SB_OWN_ACCOUNT        /* {id}: an account (admins) */
} sb_owner;

/* Child records that routes name by {id}, beyond the journal's kinds. */
enum { SB_CHILD_SCHEDULE = 100, SB_CHILD_INVITE };

typedef void (*sb_handler)(sb_req *r);

struct sb_route {
    const char *method;     /* "GET" (also serves HEAD) or "POST" */
    const char *pattern;
    unsigned roles;         /* SB_ROLE_BIT()s and SB_ANON */
    sb_owner owner;
    int kind;               /* sb_journal_kind or SB_CHILD_* for *_RECORD */
    sb_handler handler;
    const char *audit;      /* reads of a client's record: what to log */
};

/* The table, in one place; ends with a NULL pattern. */
extern const sb_route sb_routes[];

typedef enum sb_verdict {
    SB_ALLOW = 0,
    SB_DENY_SIGN_IN,      /* not signed in: 303 to the sign-in page (GET) */
    SB_DENY_ROLE,         /* 403 */
    SB_DENY_OWNER         /* 404: as if it did not exist */
} sb_verdict;

/* Decides whether the asker may use r->route with r->params. */
sb_verdict sb_authorize(sb_req *r, sb_error *err);

/* ---- answering ----------------------------------------------------------- */

/* Adds a response header (Location, Set-Cookie, Content-Disposition). */
void sb_req_header(sb_req *r, const char *name, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* 303 See Other to a path of this site. */
void sb_req_redirect(sb_req *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A whole page with a title and one message (errors, 403, 404...). */
void sb_req_message(sb_req *r, int status, const char *title,
                    const char *message);
/* The error page for a failure of the journal: 500, details in the log. */
void sb_req_fail(sb_req *r, const sb_error *err);
/* A query-string value (decoded by the HTTP library), or NULL. */
const char *sb_req_query(sb_req *r, const char *name);
/* Appends to the audit log as the asker; a failure is logged, not shown. */
void sb_req_audit(sb_req *r, const char *action, const char *kind,
                  sb_id record, sb_id person, const char *detail_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/*
 * Takes the server's write turn: until sb_req_write_end, r->j is the
 * writer's connection inside the current group transaction (a request's
 * own transaction there is a savepoint). sb_req_write_end leaves the turn
 * and returns `st`; the request is answered once the group is committed,
 * and if that commit fails its answer becomes the error page.
 */
void sb_req_write_begin(sb_req *r);
sb_status sb_req_write_end(sb_req *r, sb_status st, sb_error *err);

/*
 * A change of the request's own, all or nothing: takes the write turn and
 * starts a transaction (a savepoint of the group's). sb_req_change_end
 * commits it when `st` is SB_OK, else rolls it back, leaves the write turn
 * and returns the final status.
 */
sb_status sb_req_change_begin(sb_req *r, sb_error *err);
sb_status sb_req_change_end(sb_req *r, sb_status st, sb_error *err);
/*
 * Runs `write` into memory and makes what it wrote the answer's body
 * (downloads); on failure the error page is the answer and it returns
 * non-zero.
 */
int sb_req_capture(sb_req *r, sb_status (*write)(sb_req *r, FILE *out,
                                                 sb_error *err));

/* ---- the commit thread and the writing threads (commit.c) -------------- */

sb_status sb_commit_start(sb_server *s, sb_error *err);
/* Ends the threads, committing what is left (after the daemon stopped). */
void sb_commit_stop(sb_server *s);
/* Answers every suspended connection (before the daemon stops); later
 * requests wait for their commits on their own threads. */
void sb_commit_drain(sb_server *s);
/* 1 once sb_commit_drain began. */
int sb_commit_draining(sb_server *s);
/* Queues a form's connection (suspended) for a writing thread. */
void sb_commit_submit(sb_server *s, struct conn *c);
/* Hands an audit entry to the audit thread instead of writing it now: the
 * page that made it is answered once the entry is on the disk (in the
 * audit spool, from which the next group moves it into the log). */
void sb_req_defer_audit(sb_req *r, const sb_audit_entry *e, int64_t at_ms);
/*
 * Notes that session `id` was used at `now`, to be written with the next
 * group; the page does not wait for it. A crash before that commit loses
 * the note: the session's idle time then counts as if that use had not
 * happened (it may end sooner, never later).
 */
void sb_commit_note_use(sb_server *s, sb_id id, int64_t now);
/* 1 if the request wrote or made audit entries that are not yet known
 * to be on the disk. */
int sb_commit_pending(const sb_req *r);
/* The status of the commits of what the request wrote and of its audit
 * entries once they are done; waits for them. */
sb_status sb_commit_wait(sb_server *s, const sb_req *r);
/*
 * For a request that wrote or made audit entries, its connection
 * suspended: 1 if they are committed already (the caller resumes it);
 * else 0, with `c` queued to be resumed by the commit it waits for.
 * sb_commit_wait gives the final status either way.
 */
int sb_commit_park(sb_server *s, struct conn *c, const sb_req *r);
/* Counts connections suspended (+1) and answered after it (-1). */
void sb_commit_suspended(sb_server *s, int delta);

/* Connections as the commit side sees them (server.c). */
struct conn *sb_conn_resume(struct conn *c); /* -> next */
void sb_conn_link(struct conn *c, struct conn *next);
struct conn *sb_conn_next(struct conn *c);
/* Runs a suspended form's request on the calling thread and resumes it
 * (at once, or by the commit of its writes). */
void sb_conn_run(struct conn *c);

/* ---- sessions and anti-forgery (auth.c) -------------------------------- */

/* Reads the session cookie and fills r->user when it is live. */
sb_status sb_auth_identify(sb_req *r, sb_error *err);
/* 1 if a POST carries the right anti-forgery token (and origin). */
int sb_auth_csrf_ok(sb_req *r);
/* The hidden form field with the anti-forgery token. */
void sb_auth_csrf_field(sb_req *r, sb__html *h);
/* Sets the session cookie for a new session (after sign-in). */
void sb_auth_set_session_cookie(sb_req *r, const char *token);
/* Clears the session cookie. */
void sb_auth_clear_session_cookie(sb_req *r);
/* The home page of a role ("/me", "/caseload", "/admin/accounts"). */
const char *sb_auth_home(sb_role role);

/* ---- page layout (page.c) ---------------------------------------------- */

/* Starts a page: head, stylesheet, the navigation of the asker's role. */
void sb_page_begin(sb_req *r, const char *title);
/* Closes the page and sets the answer's type. */
void sb_page_end(sb_req *r);
/* Text escaped for HTML. */
void sb_page_text(sb_req *r, const char *text);
/* A notice box ("Saved.") for ?done=... after a form was sent. */
void sb_page_notice(sb_req *r);
/* An error box above a form that was refused. */
void sb_page_error(sb_req *r, const char *message);
/* "12 Mar 2026" from "2026-03-12". */
void sb_page_date(sb_req *r, const char *iso);
/* Starts a table (class `cls`, may be NULL) in a box that scrolls. */
void sb_page_table(sb_req *r, const char *cls);
/* Starts a POST form to `action` with the anti-forgery field. */
void sb_page_form(sb_req *r, const char *action, const char *cls);

/* ---- handlers of each area (pages_*.c) --------------------------------- */

void sb_page_root(sb_req *r);
void sb_page_login(sb_req *r);
void sb_page_login_post(sb_req *r);
void sb_page_logout(sb_req *r);
void sb_page_join(sb_req *r);
void sb_page_join_post(sb_req *r);
void sb_page_reset(sb_req *r);
void sb_page_reset_post(sb_req *r);
void sb_page_account(sb_req *r);
void sb_page_account_post(sb_req *r);
void sb_page_static(sb_req *r);

void sb_page_me(sb_req *r);
void sb_page_questionnaires(sb_req *r);
void sb_page_questionnaire(sb_req *r);
void sb_page_questionnaire_post(sb_req *r);
void sb_page_reflections(sb_req *r);
void sb_page_reflections_post(sb_req *r);
void sb_page_reflection_delete(sb_req *r);
void sb_page_practice(sb_req *r);
void sb_page_practice_post(sb_req *r);
void sb_page_practice_delete(sb_req *r);
void sb_page_relationships(sb_req *r);
void sb_page_relationships_post(sb_req *r);
void sb_page_relationship_end(sb_req *r);
void sb_page_my_report(sb_req *r);
void sb_page_my_data(sb_req *r);
void sb_page_my_download(sb_req *r);

void sb_page_caseload(sb_req *r);
void sb_page_client_new_post(sb_req *r);
void sb_page_client(sb_req *r);
void sb_page_client_report(sb_req *r);
void sb_page_client_whatif(sb_req *r);
void sb_page_client_download(sb_req *r);
void sb_page_client_session_post(sb_req *r);
void sb_page_client_session_delete(sb_req *r);
void sb_page_client_schedule_post(sb_req *r);
void sb_page_client_schedule_delete(sb_req *r);
void sb_page_client_invite_post(sb_req *r);
void sb_page_client_invite_revoke(sb_req *r);

void sb_page_admin_accounts(sb_req *r);
void sb_page_admin_accounts_post(sb_req *r);
void sb_page_admin_account_disable(sb_req *r);
void sb_page_admin_account_enable(sb_req *r);
void sb_page_admin_account_reset(sb_req *r);
void sb_page_admin_assignments(sb_req *r);
void sb_page_admin_assignments_post(sb_req *r);
void sb_page_admin_assignment_delete(sb_req *r);
void sb_page_admin_audit(sb_req *r);
void sb_page_admin_audit_csv(sb_req *r);

/* ---- shared by the record pages (records_page.c) ----------------------- */

/* Sends a person's data (all their records) as CSV or JSON. */
void sb_send_download(sb_req *r, sb_id person, const char *format);
/* Sends a person's journey report as a page of its own. */
void sb_send_report(sb_req *r, sb_id person, const char *back);

#endif
