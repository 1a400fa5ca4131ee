/*
 * The caseload's rows kept between pages: what a clinician's caseload shows
 * of each client (the journal's row, change since intake, measures due),
 * save the on-track signal, which the care cache keeps. Reading a row takes
 * a handful of queries; a kept one is a copy. A kept row is used while
 * nothing it was read from can have changed:
 *
 *  - the client's generation: every write of the server to the client's
 *    records moves it on once committed (server.c, finish);
 *  - the practice's epoch: a write of the server whose client is not known
 *    (accounts, assignments, invites taken up, new clients) and a commit by
 *    another connection to the journal (the command line, another process)
 *    move it on, and with it every kept row. Another connection's commits
 *    are seen through PRAGMA data_version on the writer's connection,
 *    checked after each group commit and, when the server is idle, once a
 *    second (commit.c): such a write shows on the caseload within about a
 *    second;
 *  - the day: sessions of the last four weeks and measures due move with it.
 *
 * A page takes a client's ticket (generation and epoch) before it reads the
 * journal, and keeps what it read under that ticket. A write the page's
 * read did not see was committed after the read began, so after the ticket
 * was taken, and the generation or epoch it moved no longer matches: the
 * row is dropped, never kept stale.
 *
 * Memory: one slot per client shown on a caseload since the server started
 * (about 660 bytes), in a table kept at most half full: 16,384 slots (11 MB)
 * for a practice of 5,000 clients. Once CACHE_MAX clients are kept the
 * table is emptied and fills again, so it never exceeds 32,768 slots
 * (22 MB).
 */
#include "serve/internal.h"

#include <stdlib.h>
#include <string.h>

/* Clients kept at most (a practice of thousands fits). */
#define CACHE_MAX 16384

typedef struct slot {
    sb_id person;              /* 0: free */
    uint64_t gen;              /* committed writes to the client's records */
    int has;                   /* `kept` holds a row */
    uint64_t kept_gen, kept_epoch;
    long kept_day;
    sb_caseload_kept kept;
} slot;

struct sb_caseload_cache {
    pthread_mutex_t lock;
    slot *slots;               /* open addressing by person */
    size_t cap, used;
    uint64_t epoch;
    int64_t data_version;      /* the writer's, at the last check */
    int version_known;
    unsigned long hits, misses;
};

sb_status sb_caseload_cache_new(sb_caseload_cache **out, sb_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    pthread_mutex_init(&(*out)->lock, NULL);
    return SB_OK;
}

void sb_caseload_cache_free(sb_caseload_cache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c->slots);
    free(c);
}

static size_t home(sb_id person, size_t cap)
{
    return (size_t)(((uint64_t)person * 0x9E3779B97F4A7C15u) >> 20) &
           (cap - 1);
}

/* The person's slot, or NULL when not in the table. */
static slot *find(sb_caseload_cache *c, sb_id person)
{
    for (size_t k = c->cap ? home(person, c->cap) : 0; c->cap;
         k = (k + 1) & (c->cap - 1)) {
        if (c->slots[k].person == person)
            return &c->slots[k];
        if (!c->slots[k].person)
            return NULL;
    }
    return NULL;
}

/* Doubles the table (or empties it once full); 0 when out of memory. */
static int make_room(sb_caseload_cache *c)
{
    if (c->used >= CACHE_MAX) {
        /* Tickets of pages under way carry the old epoch: what they read
         * is not kept. */
        memset(c->slots, 0, c->cap * sizeof *c->slots);
        c->used = 0;
        c->epoch++;
        return 1;
    }
    size_t cap = c->cap ? c->cap * 2 : 256;
    slot *grown = calloc(cap, sizeof *grown);
    if (!grown)
        return 0;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->slots[i].person)
            continue;
        size_t k = home(c->slots[i].person, cap);
        while (grown[k].person)
            k = (k + 1) & (cap - 1);
        grown[k] = c->slots[i];
    }
    free(c->slots);
    c->slots = grown;
    c->cap = cap;
    return 1;
}

/* The person's slot, added when missing; NULL when out of memory. */
static slot *slot_of(sb_caseload_cache *c, sb_id person)
{
    slot *s = find(c, person);
    if (s)
        return s;
    if ((c->used + 1) * 2 > c->cap && !make_room(c))
        return NULL;
    size_t k = home(person, c->cap);
    while (c->slots[k].person)
        k = (k + 1) & (c->cap - 1);
    c->slots[k].person = person;
    c->used++;
    return &c->slots[k];
}

int sb_caseload_cache_get(sb_caseload_cache *c, sb_id person, long day,
                          sb_caseload_kept *out, sb_caseload_ticket *ticket)
{
    memset(ticket, 0, sizeof *ticket);
    if (!c)
        return 0;
    pthread_mutex_lock(&c->lock);
    slot *s = slot_of(c, person);
    int hit = s && s->has && s->kept_gen == s->gen &&
              s->kept_epoch == c->epoch && s->kept_day == day;
    if (hit) {
        *out = s->kept;
        c->hits++;
    } else {
        c->misses++;
        if (s) {
            ticket->valid = 1;
            ticket->gen = s->gen;
            ticket->epoch = c->epoch;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void sb_caseload_cache_put(sb_caseload_cache *c, sb_id person, long day,
                           const sb_caseload_ticket *ticket,
                           const sb_caseload_kept *kept)
{
    if (!c || !ticket->valid)
        return;
    pthread_mutex_lock(&c->lock);
    slot *s = find(c, person);
    if (s && s->gen == ticket->gen && c->epoch == ticket->epoch) {
        s->kept = *kept;
        s->has = 1;
        s->kept_gen = ticket->gen;
        s->kept_epoch = ticket->epoch;
        s->kept_day = day;
    }
    pthread_mutex_unlock(&c->lock);
}

void sb_caseload_cache_touch(sb_caseload_cache *c, sb_id person)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    if (person > 0) {
        /* A client without a slot has no row kept and no ticket out. */
        slot *s = find(c, person);
        if (s)
            s->gen++;
    } else {
        c->epoch++;
    }
    pthread_mutex_unlock(&c->lock);
}

void sb_caseload_cache_check_outside(sb_caseload_cache *c, sb_journal *writer)
{
    int64_t v;
    sb_error err;
    if (!c)
        return;
    /* Unreadable: as if changed, the safe side. */
    int read = sb_journal_data_version(writer, &v, &err) == SB_OK;
    pthread_mutex_lock(&c->lock);
    if (!read || !c->version_known || v != c->data_version)
        c->epoch++;
    if (read)
        c->data_version = v;
    c->version_known = read;
    pthread_mutex_unlock(&c->lock);
}

void sb_caseload_cache_counts(sb_caseload_cache *c, unsigned long *hits,
                              unsigned long *misses)
{
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->lock);
}
