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
 *  - pages that only read hand their audit entries to the audit thread,
 *    which writes those that came meanwhile into the audit spool in one
 *    small transaction (synchronous = FULL), resumes the pages and hands
 *    the entries, now durable, to the commit thread; that one appends them
 *    from memory to the journal's log with the next group, together with
 *    the spool's mark, and touches neither the spool nor its lock. A page
 *    is so shown only once the record of its read is on the disk, but it
 *    does not wait for the group's writes, nor for the writer's turn, and
 *    the group never waits for the spool.
 */
#include "serve/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Reads can come faster than the log takes them (a caseload writes 50
 * entries; clinicians reloading as fast as they are answered make tens of
 * thousands a second). A group moves at most MOVE_MAX spooled entries, so
 * that the writer's turn is never held long by the log alone and forms
 * keep their share; and once BACKLOG_MAX entries wait to be moved, the
 * audit thread spools no more until the log has caught up, so pages that
 * read wait for it (the reads slow down, not the writes, and memory stays
 * bounded: an entry is about 0.6 KB).
 */
#define MOVE_MAX 1000
#define BACKLOG_MAX 10000

/* Sessions' uses noted and not yet written; past that, a use is written on
 * the request's own write turn as before. */
#define USES_MAX 4096

typedef struct sb_session_use {
    sb_id id;
    int64_t now;
} sb_session_use;

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

/* Under wait_lock. */
static void wake(sb_commit_line *l, pthread_cond_t *work)
{
    if (!l->dirty) {
        l->dirty = 1;
        pthread_cond_signal(work);
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
        r->group = s->group.epoch;
        r->in_group = 1;
        wake(&s->group, &s->work);
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
    d->next = s->reads.deferred;
    s->reads.deferred = d;
    /* Taken by the spool's commit under way, or by the next one. */
    uint64_t commit = s->reads.epoch + (uint64_t)s->reads.grabbed;
    if (!r->in_reads || commit > r->reads)
        r->reads = commit;
    r->in_reads = 1;
    wake(&s->reads, &s->audit_work);
    pthread_mutex_unlock(&s->wait_lock);
}

/* ---- sessions' last use ---------------------------------------------------- */

/* Under wait_lock: 1 if noted (or already noted since the last group). */
static int note_use(sb_server *s, sb_id id, int64_t now)
{
    for (size_t i = 0; i < s->use_count; i++)
        if (s->uses[i].id == id) {
            if (now > s->uses[i].now)
                s->uses[i].now = now;
            return 1;
        }
    if (s->use_count == s->use_cap) {
        size_t cap = s->use_cap ? 2 * s->use_cap : 64;
        sb_session_use *grown =
            cap <= USES_MAX ? realloc(s->uses, cap * sizeof *grown) : NULL;
        if (!grown)
            return 0;
        s->uses = grown;
        s->use_cap = cap;
    }
    s->uses[s->use_count].id = id;
    s->uses[s->use_count++].now = now;
    return 1;
}

/*
 * A signed-in page notes its session's use once a minute (the idle limit
 * counts from it). Written on the page's own write turn, that note made
 * the page wait for the writer and for a group's fsync, once a minute per
 * person; a session's use is bookkeeping that may be a minute late, so it
 * goes with the next group instead.
 */
void sb_commit_note_use(sb_server *s, sb_id id, int64_t now)
{
    pthread_mutex_lock(&s->wait_lock);
    int noted = note_use(s, id, now);
    if (noted)
        wake(&s->group, &s->work);
    pthread_mutex_unlock(&s->wait_lock);
    if (noted)
        return;
    sb_error err;
    pthread_mutex_lock(&s->write_lock);
    (void)sb_web_session_touch(s->writer, id, now, &err);
    pthread_mutex_unlock(&s->write_lock);
}

/* ---- the commit thread ------------------------------------------------------ */

/* The deferred entries (newest first on the list) put in order. */
static deferred *in_order(deferred *list)
{
    deferred *ordered = NULL;
    while (list) {
        deferred *next = list->next;
        list->next = ordered;
        ordered = list;
        list = next;
    }
    return ordered;
}

static void log_failure(sb_server *s, const char *what, const sb_error *err)
{
    if (!s->opt.log)
        return;
    char msg[SB_ERROR_MSG_MAX + SB_ERROR_FILE_MAX + 32];
    sb_error_format(err, msg, sizeof msg);
    fprintf(s->opt.log, "error: %s: %s\n", what, msg);
    fflush(s->opt.log);
}

/* Writes the noted uses (taken under wait_lock) into the group. At the
 * first failure the rest are dropped: a session whose use was not written
 * counts its idle time as if that use had not happened (it may end sooner,
 * never later). */
static void write_uses(sb_server *s, sb_session_use *uses, size_t n)
{
    sb_error err;
    if (n && !s->tx_open)
        s->tx_open = sb_journal_transaction(s->writer, &err) == SB_OK;
    for (size_t i = 0; i < n; i++)
        if (sb_web_session_touch(s->writer, uses[i].id, uses[i].now, &err) !=
            SB_OK) {
            log_failure(s, "cannot note a session's use", &err);
            break;
        }
    free(uses);
}

/* Entries on the disk in the spool, to move into the log. */
typedef struct spooled {
    struct spooled *next;
    sb_audit_entry *entries;
    int64_t *at_ms;
    size_t count;
    int64_t last;              /* spool id of the last entry */
} spooled;

static void free_spooled(spooled *b)
{
    while (b) {
        spooled *next = b->next;
        free(b->entries);
        free(b->at_ms);
        free(b);
        b = next;
    }
}

/* Appends the spooled batches to the group, oldest first; returns those
 * appended (up to the first that fails) and leaves the rest in *rest. A
 * failure delays entries (they are on the disk in the spool), it loses
 * none. */
static spooled *move_spooled(sb_server *s, spooled *list, spooled **rest)
{
    spooled *done = NULL, **tail = &done;
    sb_error err;
    if (list && !s->tx_open)
        s->tx_open = sb_journal_transaction(s->writer, &err) == SB_OK;
    while (list && s->tx_open) {
        if (sb_audit_spool_move(s->spool, s->writer, list->entries,
                                list->at_ms, list->count, list->last,
                                &err) != SB_OK) {
            log_failure(s, "cannot move the audit spool into the log", &err);
            break;
        }
        *tail = list;
        tail = &list->next;
        list = list->next;
        *tail = NULL;
    }
    *rest = list;
    return done;
}

/* Under wait_lock: the oldest batches, whole, up to move_max entries (at
 * least one batch). */
static spooled *take_batches(sb_server *s)
{
    spooled *first = s->to_move, *last = NULL;
    size_t n = 0;
    for (spooled *b = first; b && (!last || n + b->count <= s->move_max);
         b = b->next) {
        last = b;
        n += b->count;
    }
    if (!last)
        return NULL;
    s->to_move = last->next;
    if (!s->to_move)
        s->to_move_last = NULL;
    last->next = NULL;
    s->to_move_count -= n;
    return first;
}

/* Under wait_lock: batches not moved go back before those that came
 * since, so that the log keeps the spool's order. */
static void unmoved(sb_server *s, spooled *list)
{
    if (!list)
        return;
    spooled *last = list;
    s->to_move_count += last->count;
    while (last->next) {
        last = last->next;
        s->to_move_count += last->count;
    }
    last->next = s->to_move;
    if (!s->to_move)
        s->to_move_last = last;
    s->to_move = list;
}

/* Under wait_lock: the commit under way is done with status `c`; returns
 * the connections to resume. */
static struct conn *settle(sb_server *s, sb_commit_line *l, sb_status c)
{
    l->status[l->epoch % 256] = c;
    l->epoch++;
    l->grabbed = 0;
    struct conn *waiters = l->waiters;
    l->waiters = NULL;
    pthread_cond_broadcast(&s->committed);
    return waiters;
}

/* Waits (holding wait_lock) for work, at most a second; then, if none came,
 * tries again to move spooled entries a failed commit left, and looks for
 * commits of other connections to the journal. */
static void idle(sb_server *s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    if (pthread_cond_timedwait(&s->work, &s->wait_lock, &until) == 0 ||
        s->group.dirty || s->stopping)
        return;
    if (s->to_move) {
        wake(&s->group, &s->work);
        return;
    }
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
        while (!s->group.dirty && !s->stopping)
            idle(s);
        if (!s->group.dirty && s->stopping)
            break;
        pthread_mutex_unlock(&s->wait_lock);
        pthread_mutex_lock(&s->write_lock);
        pthread_mutex_lock(&s->wait_lock);
        s->group.grabbed = 1;
        s->group.dirty = 0;
        spooled *batches = take_batches(s), *rest;
        sb_session_use *uses = s->uses;
        size_t use_count = s->use_count;
        s->uses = NULL;
        s->use_count = s->use_cap = 0;
        pthread_mutex_unlock(&s->wait_lock);
        write_uses(s, uses, use_count);
        spooled *moved = move_spooled(s, batches, &rest);
        sb_status c = SB_OK;
        if (s->tx_open) {
            sb_error err;
            c = sb_journal_transaction_commit(s->writer, &err);
            if (c != SB_OK)
                log_failure(s, "a group of writes could not be committed",
                            &err);
        }
        s->tx_open = 0;
        if (c != SB_OK) {
            /* Rolled back with the group: moved again with the next. */
            for (spooled **t = &moved; ; t = &(*t)->next)
                if (!*t) {
                    *t = rest;
                    break;
                }
            rest = moved;
            moved = NULL;
        }
        sb_caseload_cache_check_outside(s->rows, s->writer);
        pthread_mutex_lock(&s->wait_lock);
        for (spooled *b = moved; b; b = b->next)
            s->spool_moved = b->last;
        unmoved(s, rest);
        /* The rest with the next group; after a failed commit, not at once
         * (that would spin while the disk refuses) but at the next write
         * or the idle check. */
        if (s->to_move && c == SB_OK)
            wake(&s->group, &s->work);
        struct conn *waiters = settle(s, &s->group, c);
        pthread_mutex_unlock(&s->wait_lock);
        free_spooled(moved);
        /* Writers begin the next group while these are resumed. */
        pthread_mutex_unlock(&s->write_lock);
        while (waiters)
            waiters = sb_conn_resume(waiters);
        pthread_mutex_lock(&s->wait_lock);
    }
    pthread_mutex_unlock(&s->wait_lock);
    return NULL;
}

/* ---- the audit thread ------------------------------------------------------- */

/* Writes the entries into the spool in one transaction; *out: the batch
 * to move into the log (NULL unless SB_OK). */
static sb_status spool(sb_server *s, deferred *list, int64_t moved,
                       spooled **out)
{
    *out = NULL;
    size_t n = 0;
    for (deferred *d = list; d; d = d->next)
        n++;
    spooled *b = calloc(1, sizeof *b);
    if (b) {
        b->entries = malloc((n ? n : 1) * sizeof *b->entries);
        b->at_ms = malloc((n ? n : 1) * sizeof *b->at_ms);
    }
    sb_status c = b && b->entries && b->at_ms ? SB_OK : SB_ERR_NOMEM;
    if (c == SB_OK) {
        for (deferred *d = in_order(list), *next; d; d = next) {
            next = d->next;
            b->entries[b->count] = d->entry;
            b->at_ms[b->count++] = d->at_ms;
            free(d);
        }
        list = NULL;
        sb_error err;
        pthread_mutex_lock(&s->spool_lock);
        c = sb_audit_spool_put(s->spool, moved, b->entries, b->at_ms,
                               b->count, &b->last, &err);
        pthread_mutex_unlock(&s->spool_lock);
        if (c != SB_OK)
            log_failure(s, "cannot write the audit spool", &err);
    }
    for (deferred *d = list, *next; d; d = next) {
        next = d->next;
        free(d);
    }
    if (c != SB_OK)
        free_spooled(b);
    else
        *out = b;
    return c;
}

static void *auditor(void *arg)
{
    sb_server *s = arg;
    pthread_mutex_lock(&s->wait_lock);
    for (;;) {
        while ((!s->reads.dirty || s->to_move_count >= s->backlog_max) &&
               !s->audit_stopping) {
            if (s->reads.dirty) /* the log catches up first */
                pthread_cond_wait(&s->committed, &s->wait_lock);
            else
                pthread_cond_wait(&s->audit_work, &s->wait_lock);
        }
        if (!s->reads.dirty && s->audit_stopping)
            break;
        deferred *list = s->reads.deferred;
        s->reads.deferred = NULL;
        s->reads.grabbed = 1;
        s->reads.dirty = 0;
        int64_t moved = s->spool_moved;
        pthread_mutex_unlock(&s->wait_lock);
        spooled *b;
        sb_status c = spool(s, list, moved, &b);
        pthread_mutex_lock(&s->wait_lock);
        struct conn *waiters = settle(s, &s->reads, c);
        /* Into the journal's log with the next group. */
        if (b) {
            if (s->to_move_last)
                s->to_move_last->next = b;
            else
                s->to_move = b;
            s->to_move_last = b;
            s->to_move_count += b->count;
            wake(&s->group, &s->work);
        }
        pthread_mutex_unlock(&s->wait_lock);
        while (waiters)
            waiters = sb_conn_resume(waiters);
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
    s->move_max = MOVE_MAX;
    s->backlog_max = BACKLOG_MAX;
    int rc = pthread_create(&s->committer, NULL, committer, s);
    if (rc != 0)
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot start a thread: %s", strerror(rc));
    s->committer_running = 1;
    rc = pthread_create(&s->auditor, NULL, auditor, s);
    if (rc != 0)
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot start a thread: %s", strerror(rc));
    s->auditor_running = 1;
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

static void free_deferred(sb_commit_line *l)
{
    for (deferred *d = l->deferred, *next; d; d = next) {
        next = d->next;
        free(d);
    }
    l->deferred = NULL;
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
    /* The audit thread first: its last entries then move into the log
     * with the commit thread's last group. */
    if (s->auditor_running) {
        pthread_mutex_lock(&s->wait_lock);
        s->audit_stopping = 1;
        pthread_cond_signal(&s->audit_work);
        pthread_cond_broadcast(&s->committed); /* if waiting for the log */
        pthread_mutex_unlock(&s->wait_lock);
        pthread_join(s->auditor, NULL);
        s->auditor_running = 0;
    }
    if (!s->committer_running)
        return;
    pthread_mutex_lock(&s->wait_lock);
    s->stopping = 1;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->wait_lock);
    pthread_join(s->committer, NULL);
    s->committer_running = 0;
    /* Entries deferred after the last commit (none once the daemon has
     * stopped, as every page waits for its entries' commit), and those
     * the last group could not move (the spool keeps them: the next
     * start moves them). */
    free_deferred(&s->reads);
    free_spooled(s->to_move);
    s->to_move = s->to_move_last = NULL;
    free(s->uses); /* none: the last group wrote them */
    s->uses = NULL;
    s->use_count = s->use_cap = 0;
}

int sb_commit_pending(const sb_req *r)
{
    return r->in_group || r->in_reads;
}

/* Under wait_lock: the line a request still waits for, or NULL. */
static sb_commit_line *waiting_on(sb_server *s, const sb_req *r)
{
    if (r->in_group && s->group.epoch <= r->group)
        return &s->group;
    if (r->in_reads && s->reads.epoch <= r->reads)
        return &s->reads;
    return NULL;
}

/* Under wait_lock, once both are done. */
static sb_status settled(const sb_server *s, const sb_req *r)
{
    sb_status st = SB_OK;
    if (r->in_group)
        st = s->group.status[r->group % 256];
    if (st == SB_OK && r->in_reads)
        st = s->reads.status[r->reads % 256];
    return st;
}

sb_status sb_commit_wait(sb_server *s, const sb_req *r)
{
    pthread_mutex_lock(&s->wait_lock);
    while (waiting_on(s, r))
        pthread_cond_wait(&s->committed, &s->wait_lock);
    sb_status st = settled(s, r);
    pthread_mutex_unlock(&s->wait_lock);
    return st;
}

int sb_commit_park(sb_server *s, struct conn *c, const sb_req *r)
{
    pthread_mutex_lock(&s->wait_lock);
    sb_commit_line *l = waiting_on(s, r);
    if (!l || s->draining) {
        pthread_mutex_unlock(&s->wait_lock);
        /* Done already (or the server is stopping: nothing is left for the
         * commit threads to resume after it; the caller waits). */
        return 1;
    }
    sb_conn_link(c, l->waiters);
    l->waiters = c;
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
    wake(&s->group, &s->work);
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
