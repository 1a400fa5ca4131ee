/*
 * The group commit. Every write of the server runs on the one writer
 * connection, one request at a time, inside a transaction (the group) that
 * stays open while writers come and go; a commit thread commits the group
 * as soon as it has writes, so that one fsync acknowledges every write
 * made while the last one ran. A request that wrote is answered only after
 * its group is committed (synchronous = FULL: then it is on the disk), but
 * its worker thread does not wait: the connection is suspended (parked)
 * and the commit thread resumes it, and the worker serves the other
 * connections it holds in the meantime.
 */
#include "serve/internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void sb_req_write_begin(sb_req *r)
{
    sb_server *s = r->srv;
    atomic_fetch_add(&s->waiting, 1);
    pthread_mutex_lock(&s->write_lock);
    atomic_fetch_sub(&s->waiting, 1);
    if (!s->tx_open) {
        sb_error err;
        /* If the group cannot begin (another process holds the file), the
         * request's writes run in transactions of their own. */
        s->tx_open = sb_journal_transaction(s->writer, &err) == SB_OK;
    }
    r->own_j = r->j;
    r->j = s->writer;
}

sb_status sb_req_write_end(sb_req *r, sb_status st, sb_error *err)
{
    (void)err;
    sb_server *s = r->srv;
    r->j = r->own_j;
    r->own_j = NULL;
    if (s->tx_open) {
        pthread_mutex_lock(&s->wait_lock);
        r->group = s->epoch;
        pthread_mutex_unlock(&s->wait_lock);
        r->in_group = 1;
        sb_commit_wanted(s);
    }
    pthread_mutex_unlock(&s->write_lock);
    return st;
}

void sb_commit_wanted(sb_server *s)
{
    if (!s->dirty) {
        s->dirty = 1;
        pthread_cond_signal(&s->work);
    }
}

static void *committer(void *arg)
{
    sb_server *s = arg;
    pthread_mutex_lock(&s->write_lock);
    for (;;) {
        while (!s->dirty && !s->stopping)
            pthread_cond_wait(&s->work, &s->write_lock);
        if (!s->dirty && s->stopping)
            break;
        sb_status c = SB_OK;
        if (s->tx_open) {
            sb_error err;
            c = sb_journal_transaction_commit(s->writer, &err);
            if (c != SB_OK) {
                char msg[SB_ERROR_MSG_MAX + SB_ERROR_FILE_MAX + 32];
                sb_error_format(&err, msg, sizeof msg);
                if (s->opt.log) {
                    fprintf(s->opt.log, "error: a group of writes could not "
                                        "be committed: %s\n", msg);
                    fflush(s->opt.log);
                }
            }
        }
        s->tx_open = 0;
        s->dirty = 0;
        pthread_mutex_lock(&s->wait_lock);
        s->commit_status[s->epoch % 256] = c;
        s->epoch++;
        struct conn *list = s->waiters;
        s->waiters = NULL;
        pthread_cond_broadcast(&s->committed);
        pthread_mutex_unlock(&s->wait_lock);
        /* Writers may begin the next group while these are resumed. */
        pthread_mutex_unlock(&s->write_lock);
        while (list)
            list = sb_conn_resume(list, c);
        pthread_mutex_lock(&s->write_lock);
    }
    pthread_mutex_unlock(&s->write_lock);
    return NULL;
}

sb_status sb_commit_start(sb_server *s, sb_error *err)
{
    int rc = pthread_create(&s->committer, NULL, committer, s);
    if (rc != 0)
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot start a thread: %s", strerror(rc));
    s->committer_running = 1;
    return SB_OK;
}

void sb_commit_stop(sb_server *s)
{
    if (!s->committer_running)
        return;
    pthread_mutex_lock(&s->write_lock);
    s->stopping = 1;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->write_lock);
    pthread_join(s->committer, NULL);
    s->committer_running = 0;
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
    s->parked++;
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

void sb_commit_unpark(sb_server *s)
{
    pthread_mutex_lock(&s->wait_lock);
    s->parked--;
    pthread_cond_broadcast(&s->committed);
    pthread_mutex_unlock(&s->wait_lock);
}

void sb_commit_drain(sb_server *s)
{
    pthread_mutex_lock(&s->wait_lock);
    s->draining = 1;
    pthread_mutex_unlock(&s->wait_lock);
    /* Whatever is open is committed now, which resumes every parked
     * connection; their workers answer them. */
    pthread_mutex_lock(&s->write_lock);
    sb_commit_wanted(s);
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->write_lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    pthread_mutex_lock(&s->wait_lock);
    while (s->parked &&
           pthread_cond_timedwait(&s->committed, &s->wait_lock, &until) == 0)
        ;
    pthread_mutex_unlock(&s->wait_lock);
}
