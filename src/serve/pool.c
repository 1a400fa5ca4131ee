/*
 * Journal handles for the server's threads. A handle serves one request at
 * a time (SQLite connections are not shared between threads here), so each
 * request takes one from the pool and gives it back; with as many handles
 * as worker threads nobody waits.
 */
#include "serve/internal.h"

#include <stdlib.h>

sb_status sb_pool_open(sb_pool *p, const char *path, size_t count,
                       sb_error *err)
{
    p->count = p->free_count = 0;
    p->all = calloc(count, sizeof *p->all);
    p->free = calloc(count, sizeof *p->free);
    if (!p->all || !p->free) {
        free(p->all);
        free(p->free);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    for (size_t i = 0; i < count; i++) {
        sb_status st = sb_journal_open(path, 0, &p->all[i], err);
        if (st != SB_OK) {
            sb_pool_close(p);
            return st;
        }
        p->free[p->free_count++] = p->all[i];
        p->count++;
    }
    return SB_OK;
}

sb_journal *sb_pool_take(sb_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (!p->free_count)
        pthread_cond_wait(&p->freed, &p->lock);
    sb_journal *j = p->free[--p->free_count];
    pthread_mutex_unlock(&p->lock);
    return j;
}

void sb_pool_give(sb_pool *p, sb_journal *j)
{
    pthread_mutex_lock(&p->lock);
    p->free[p->free_count++] = j;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

void sb_pool_close(sb_pool *p)
{
    for (size_t i = 0; i < p->count; i++)
        sb_journal_close(p->all[i]);
    free(p->all);
    free(p->free);
    p->all = p->free = NULL;
    p->count = p->free_count = 0;
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
}
