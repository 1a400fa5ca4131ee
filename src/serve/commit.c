/*
 * The group commit, and who waits for it. Every write of the server runs on
 * the one writer connection, one request at a time, inside a transaction
 * (the group) that stays open while writers come and go; a commit thread
 * commits the group as soon as it has writes, so that one fsync
 * acknowledges every write made while the last one ran. A request that
 * wrote is answered only after its group is committed (synchronous = FULL:
 * then it is on the disk), but no thread waits for that:
 *
 *  - forms (POST) are run by the server's writing threads, not by the HTTP
 *    library's workers: the connection is suspended while one of them runs
 *    the handler (and waits for its turn on the writer while a commit
 *    flushes), then parked until the commit, which resumes it;
 *  - pages that only read append their audit entries to a list that the
 *    commit thread writes into the next group before committing it; the
 *    page is parked until then. Readers never wait for the writer's turn,
 *    so the workers that answer them are never held up by the disk.
 */
#include "serve/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct deferred {
    struct deferred *next;
    sb_audit_entry entry;
    int64_t at_ms;
} deferred;

/* ---- the writer's turn ----------------------------------------------------- */

void sb_req_write_begin(sb_req *r)
{
    sb_server *s = r->srv;
    pthread_mutex_lock(&s->write_lock);
    if (!s->tx_open) {
        sb_error err;
        /* If the group cannot begin (another process holds the file), the
         * request's writes run in transactions of their own. */
        s->tx_open = sb_journal_transaction(s->writer, &err) == SB_OK;
    }
    r->own_j = r->j;
    r->j = s->writer;
}

static void wake(sb_server *s)
{
    if (!s->dirty) {
        s->dirty = 1;
        pthread_cond_signal(&s->work);
    }
}

sb_status sb_req_write_end(sb_req *r, sb_status st, sb_error *err)
{
    (void)err;
    sb_server *s = r->srv;
    r->j = r->own_j;
    r->own_j = NULL;
    if (s->tx_open) {
        pthread_mutex_lock(&s->wait_lock);
        /* Commits change the epoch only under write_lock, held here. */
        r->group = s->epoch;
        r->in_group = 1;
        wake(s);
        pthread_mutex_unlock(&s->wait_lock);
    }
    pthread_mutex_unlock(&s->write_lock);
    return st;
}

void sb_req_defer_audit(sb_req *r, const sb_audit_entry *e, int64_t at_ms)
{
    sb_server *s = r->srv;
    deferred *d = malloc(sizeof *d);
    if (!d) {
        /* Written now, then, on the writer's turn. */
        sb_error err;
        sb_audit_entry copy = *e;
        sb_req_write_begin(r);
        (void)sb_audit_append(r->j, &copy, at_ms, &err);
        (void)sb_req_write_end(r, SB_OK, NULL);
        return;
    }
    d->entry = *e;
    d->at_ms = at_ms;
    pthread_mutex_lock(&s->wait_lock);
    d->next = s->deferred;
    s->deferred = d;
    /* Taken by the commit under way, or by the next one. */
    uint64_t group = s->epoch + (uint64_t)s->grabbed;
    if (!r->in_group || group > r->group)
        r->group = group;
    r->in_group = 1;
    wake(s);
    pthread_mutex_unlock(&s->wait_lock);
}

/* ---- the commit thread ------------------------------------------------------ */

/* Appends the deferred entries (newest first on the list) in order. */
static void append_deferred(sb_server *s, deferred *list)
{
    deferred *ordered = NULL;
    while (list) {
        deferred *next = list->next;
        list->next = ordered;
        ordered = list;
        list = next;
    }
    if (ordered && !s->tx_open) {
        sb_error err;
        s->tx_open = sb_journal_transaction(s->writer, &err) == SB_OK;
    }
    for (deferred *d = ordered, *next; d; d = next) {
        next = d->next;
        sb_error err;
        if (sb_audit_append(s->writer, &d->entry, d->at_ms, &err) != SB_OK &&
            s->opt.log) {
            char msg[SB_ERROR_MSG_MAX + SB_ERROR_FILE_MAX + 32];
            sb_error_format(&err, msg, sizeof msg);
            fprintf(s->opt.log, "error: cannot write the audit log: %s\n",
                    msg);
            fflush(s->opt.log);
        }
        free(d);
    }
}

/* Waits (holding wait_lock) for work, at most a second; then, if none came,
 * looks for commits of other connections to the journal. */
static void idle(sb_server *s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    if (pthread_cond_timedwait(&s->work, &s->wait_lock, &until) == 0 ||
        s->dirty || s->stopping)
        return;
    pthread_mutex_unlock(&s->wait_lock);
    pthread_mutex_lock(&s->write_lock);
    if (!s->tx_open)
        sb_caseload_cache_check_outside(s->rows, s->writer);
    pthread_mutex_unlock(&s->write_lock);
    pthread_mutex_lock(&s->wait_lock);
}

static void *committer(void *arg)
{
    sb_server *s = arg;
    pthread_mutex_lock(&s->wait_lock);
    for (;;) {
        while (!s->dirty && !s->stopping)
            idle(s);
        if (!s->dirty && s->stopping)
            break;
        pthread_mutex_unlock(&s->wait_lock);
        pthread_mutex_lock(&s->write_lock);
        pthread_mutex_lock(&s->wait_lock);
        deferred *list = s->deferred;
        s->deferred = NULL;
        s->grabbed = 1;
        s->dirty = 0;
        pthread_mutex_unlock(&s->wait_lock);
        append_deferred(s, list);
        sb_status c = SB_OK;
        if (s->tx_open) {
            sb_error err;
            c = sb_journal_transaction_commit(s->writer, &err);
            if (c != SB_OK && s->opt.log) {
                char msg[SB_ERROR_MSG_MAX + SB_ERROR_FILE_MAX + 32];
                sb_error_format(&err, msg, sizeof msg);
                fprintf(s->opt.log, "error: a group of writes could not be "
                                    "committed: %s\n", msg);
                fflush(s->opt.log);
            }
        }
        s->tx_open = 0;
        sb_caseload_cache_check_outside(s->rows, s->writer);
        pthread_mutex_lock(&s->wait_lock);
        s->commit_status[s->epoch % 256] = c;
        s->epoch++;
        s->grabbed = 0;
        struct conn *waiters = s->waiters;
        s->waiters = NULL;
        pthread_cond_broadcast(&s->committed);
        pthread_mutex_unlock(&s->wait_lock);
        /* Writers begin the next group while these are resumed. */
        pthread_mutex_unlock(&s->write_lock);
        while (waiters)
            waiters = sb_conn_resume(waiters, c);
        pthread_mutex_lock(&s->wait_lock);
    }
    pthread_mutex_unlock(&s->wait_lock);
    return NULL;
}

/* ---- the writing threads ---------------------------------------------------- */

static void *writing(void *arg)
{
    sb_server *s = arg;
    pthread_mutex_lock(&s->wait_lock);
    for (;;) {
        while (!s->forms && !s->forms_stop)
            pthread_cond_wait(&s->form_ready, &s->wait_lock);
        if (!s->forms)
            break;
        struct conn *c = s->forms;
        s->forms = sb_conn_next(c);
        if (!s->forms)
            s->forms_last = NULL;
        pthread_mutex_unlock(&s->wait_lock);
        sb_conn_run(c);
        pthread_mutex_lock(&s->wait_lock);
    }
    pthread_mutex_unlock(&s->wait_lock);
    return NULL;
}

void sb_commit_submit(sb_server *s, struct conn *c)
{
    pthread_mutex_lock(&s->wait_lock);
    sb_conn_link(c, NULL);
    if (s->forms_last)
        sb_conn_link(s->forms_last, c);
    else
        s->forms = c;
    s->forms_last = c;
    pthread_cond_signal(&s->form_ready);
    pthread_mutex_unlock(&s->wait_lock);
}

/* ---- starting and stopping ----------------------------------------------- */

sb_status sb_commit_start(sb_server *s, sb_error *err)
{
    int rc = pthread_create(&s->committer, NULL, committer, s);
    if (rc != 0)
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot start a thread: %s", strerror(rc));
    s->committer_running = 1;
    s->writing = calloc(s->writing_wanted, sizeof *s->writing);
    if (!s->writing)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (; s->writing_count < s->writing_wanted; s->writing_count++) {
        rc = pthread_create(&s->writing[s->writing_count], NULL, writing, s);
        if (rc != 0)
            return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                                "cannot start a thread: %s", strerror(rc));
    }
    return SB_OK;
}

void sb_commit_stop(sb_server *s)
{
    pthread_mutex_lock(&s->wait_lock);
    s->forms_stop = 1;
    pthread_cond_broadcast(&s->form_ready);
    pthread_mutex_unlock(&s->wait_lock);
    for (size_t i = 0; i < s->writing_count; i++)
        pthread_join(s->writing[i], NULL);
    free(s->writing);
    s->writing = NULL;
    s->writing_count = 0;
    if (!s->committer_running)
        return;
    pthread_mutex_lock(&s->wait_lock);
    s->stopping = 1;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->wait_lock);
    pthread_join(s->committer, NULL);
    s->committer_running = 0;
    /* Entries deferred after the last commit (none once the daemon has
     * stopped, as every page waits for its entries' commit). */
    for (deferred *d = s->deferred, *next; d; d = next) {
        next = d->next;
        free(d);
    }
    s->deferred = NULL;
}

sb_status sb_commit_wait(sb_server *s, uint64_t group)
{
    pthread_mutex_lock(&s->wait_lock);
    while (s->epoch <= group)
        pthread_cond_wait(&s->committed, &s->wait_lock);
    sb_status st = s->commit_status[group % 256];
    pthread_mutex_unlock(&s->wait_lock);
    return st;
}

int sb_commit_park(sb_server *s, struct conn *c, uint64_t group,
                   sb_status *st)
{
    pthread_mutex_lock(&s->wait_lock);
    if (s->epoch > group || s->draining) {
        pthread_mutex_unlock(&s->wait_lock);
        /* Done already (or the server is stopping: nothing is left for the
         * commit thread to resume after it). */
        *st = sb_commit_wait(s, group);
        return 1;
    }
    sb_conn_link(c, s->waiters);
    s->waiters = c;
    pthread_mutex_unlock(&s->wait_lock);
    return 0;
}

void sb_commit_suspended(sb_server *s, int delta)
{
    pthread_mutex_lock(&s->wait_lock);
    s->parked = (size_t)((long)s->parked + delta);
    pthread_cond_broadcast(&s->committed);
    pthread_mutex_unlock(&s->wait_lock);
}

int sb_commit_draining(sb_server *s)
{
    pthread_mutex_lock(&s->wait_lock);
    int d = s->draining;
    pthread_mutex_unlock(&s->wait_lock);
    return d;
}

void sb_commit_drain(sb_server *s)
{
    pthread_mutex_lock(&s->wait_lock);
    s->draining = 1;
    /* Whatever is open is committed now, which resumes every parked
     * connection; their workers answer them. */
    wake(s);
    pthread_mutex_unlock(&s->wait_lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    pthread_mutex_lock(&s->wait_lock);
    while (s->parked &&
           pthread_cond_timedwait(&s->committed, &s->wait_lock, &until) == 0)
        ;
    pthread_mutex_unlock(&s->wait_lock);
}
