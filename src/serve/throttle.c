/*
 * Login throttling: failed sign-ins are counted per account and per
 * address in fixed windows; past the limit, both wait until the window
 * ends. Kept in memory (a fixed table, so a flood of names cannot grow it):
 * a restart forgets the counts, which only ever helps a real user.
 */
#include "serve/internal.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#define WINDOW 900          /* seconds */
#define ACCOUNT_LIMIT 5     /* failures per account and window */
#define ADDRESS_LIMIT 20    /* failures per address and window */

void sb_throttle_init(sb_throttle *t)
{
    memset(t->slot, 0, sizeof t->slot);
    randombytes_buf(t->seed, sizeof t->seed);
    pthread_mutex_init(&t->lock, NULL);
}

void sb_throttle_destroy(sb_throttle *t)
{
    pthread_mutex_destroy(&t->lock);
}

/* A keyed hash, so nobody can aim names at one slot. */
static uint64_t key_of(const sb_throttle *t, char prefix, const char *text)
{
    unsigned char buf[SB_USERNAME_MAX + SB_AUDIT_ADDRESS_MAX + 2];
    size_t n = 0;
    buf[n++] = (unsigned char)prefix;
    for (const char *p = text; *p && n < sizeof buf; p++)
        buf[n++] = (unsigned char)tolower((unsigned char)*p);
    uint64_t k;
    crypto_shorthash((unsigned char *)&k, buf, n, t->seed);
    return k ? k : 1;
}

/* 0 for a free slot, 1 for one whose window is over, 2 for a live one. */
static int rank(const sb_throttle_slot *s, int64_t now)
{
    return !s->key ? 0 : now - s->window >= WINDOW ? 1 : 2;
}

/* The slot of a key: its own, else a free, stale or the oldest one near. */
static sb_throttle_slot *slot_of(sb_throttle *t, uint64_t key, int64_t now,
                                 int create)
{
    size_t start = (size_t)(key % SB_THROTTLE_SLOTS);
    sb_throttle_slot *best = NULL;
    for (size_t i = 0; i < 16; i++) {
        sb_throttle_slot *s = &t->slot[(start + i) % SB_THROTTLE_SLOTS];
        if (s->key == key)
            return s;
        if (!best || rank(s, now) < rank(best, now) ||
            (rank(s, now) == rank(best, now) && s->window < best->window))
            best = s;
    }
    if (!create)
        return NULL;
    best->key = key;
    best->window = now;
    best->failures = 0;
    return best;
}

static int64_t wait_for(sb_throttle *t, uint64_t key, unsigned limit,
                        int64_t now)
{
    sb_throttle_slot *s = slot_of(t, key, now, 0);
    if (!s || now - s->window >= WINDOW || s->failures < limit)
        return 0;
    return s->window + WINDOW - now;
}

int64_t sb_throttle_wait(sb_throttle *t, const char *username,
                         const char *address, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    int64_t a = wait_for(t, key_of(t, 'a', username), ACCOUNT_LIMIT, now);
    int64_t b = wait_for(t, key_of(t, 'i', address), ADDRESS_LIMIT, now);
    pthread_mutex_unlock(&t->lock);
    return a > b ? a : b;
}

static void count(sb_throttle *t, uint64_t key, int64_t now)
{
    sb_throttle_slot *s = slot_of(t, key, now, 1);
    if (now - s->window >= WINDOW) {
        s->window = now;
        s->failures = 0;
    }
    s->failures++;
}

void sb_throttle_fail(sb_throttle *t, const char *username,
                      const char *address, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    count(t, key_of(t, 'a', username), now);
    count(t, key_of(t, 'i', address), now);
    pthread_mutex_unlock(&t->lock);
}

void sb_throttle_success(sb_throttle *t, const char *username)
{
    pthread_mutex_lock(&t->lock);
    sb_throttle_slot *s = slot_of(t, key_of(t, 'a', username), 0, 0);
    if (s)
        s->failures = 0;
    pthread_mutex_unlock(&t->lock);
}
