/*
 * The caseload's on-track signals, kept off the page's path. A client's
 * signal needs the practice's completed courses on the client's
 * questionnaire (read from every assessment of the practice) and, while the
 * practice has too few of them, a model band of simulated people: tens of
 * milliseconds a client, seconds for a caseload of fifty. So the server
 * keeps two things in memory:
 *
 *  - the reference courses of each questionnaire and scale, read in one
 *    query of scores only and kept for REFERENCE_TTL seconds within the
 *    day. A completed course has had no questionnaire for eight weeks, so
 *    the set moves by the day, not by the minute.
 *  - each client's latest signal, with the generation of their records it
 *    was computed from. Every write the server commits to a person's
 *    records moves that generation. A caseload shows the kept signal; one
 *    that is stale (records changed since, another day, or older than
 *    STATUS_TTL, which covers writes by other processes) is recomputed by
 *    one background thread on its own connection, at most every
 *    RECOMPUTE_INTERVAL seconds a person, and the page marks it as being
 *    updated. A client with no signal kept yet is computed on the page
 *    when the caller allows it (a caseload: a few a page), else by the
 *    thread.
 */
#include "serve/internal.h"

#include <securebase/caseload.h>
#include <securebase/questionnaire.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Simulated people in a model band on the caseload: fewer than the command
 * line's, so that a first computation stays quick. */
#define MODEL_PEOPLE 200
#define REFERENCE_TTL 600
#define STATUS_TTL 600
#define RECOMPUTE_INTERVAL 5
/* Questionnaire series with reference courses kept at once. */
#define REFS_MAX 16

typedef struct reference {
    char instrument[SB_JOURNAL_NAME_MAX];
    char scale[SB_JOURNAL_SCALE_SIZE];
    long as_of;
    int64_t built;               /* seconds, monotonic */
    unsigned users;              /* requests holding it, and the cache */
    sb_care_course *courses;     /* completed as of as_of */
    size_t count;
} reference;

typedef struct entry {
    sb_id person;                /* 0: free slot */
    uint64_t gen;                /* writes committed to the records */
    int has;                     /* a status is kept */
    uint64_t done_gen;           /* the generation it was computed from */
    long done_as_of;
    int64_t done_at;             /* seconds, monotonic */
    sb_care_status status;
    int queued;
    char instrument[SB_JOURNAL_NAME_MAX]; /* the series to compute */
    char scale[SB_JOURNAL_SCALE_SIZE];
    long want_as_of;
} entry;

struct sb_care_cache {
    pthread_mutex_t lock;
    pthread_cond_t work;
    entry *slot;                 /* open addressing by person */
    size_t cap, used;
    sb_id *queue;                /* persons waiting for the thread */
    size_t queued, queue_cap;
    reference *ref[REFS_MAX];
    size_t refs;
    pthread_mutex_t ref_build;   /* one reference read at a time */
    sb_journal *j;               /* the thread's own connection */
    const sb_norms_set *norms;   /* local norms; borrowed, may be NULL */
    pthread_t thread;
    int stop;
    unsigned long computed;      /* by the thread, for tests */
};

static int64_t seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec;
}

/* ---- reference courses --------------------------------------------------- */

static void reference_release(sb_care_cache *c, reference *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&c->lock);
    int last = --r->users == 0;
    pthread_mutex_unlock(&c->lock);
    if (last) {
        sb_care_courses_free(r->courses, r->count);
        free(r);
    }
}

static int reference_fresh(const reference *r, long as_of, int64_t now)
{
    return r->as_of == as_of && now - r->built < REFERENCE_TTL;
}

static reference *reference_find(sb_care_cache *c, const char *instrument,
                                 const char *scale, size_t *at)
{
    for (size_t i = 0; i < c->refs; i++)
        if (!strcmp(c->ref[i]->instrument, instrument) &&
            !strcmp(c->ref[i]->scale, scale)) {
            *at = i;
            return c->ref[i];
        }
    *at = c->refs;
    return NULL;
}

/* The completed courses of a series as of a day, held until released. */
static sb_status reference_take(sb_care_cache *c, sb_journal *j,
                                const char *instrument, const char *scale,
                                long as_of, reference **out, sb_error *err)
{
    *out = NULL;
    size_t at;
    pthread_mutex_lock(&c->lock);
    reference *r = reference_find(c, instrument, scale, &at);
    if (r && reference_fresh(r, as_of, seconds())) {
        r->users++;
        pthread_mutex_unlock(&c->lock);
        *out = r;
        return SB_OK;
    }
    pthread_mutex_unlock(&c->lock);
    /* One reader builds; the others wait for it rather than read the
     * practice's every assessment at the same time. */
    pthread_mutex_lock(&c->ref_build);
    pthread_mutex_lock(&c->lock);
    r = reference_find(c, instrument, scale, &at);
    if (r && reference_fresh(r, as_of, seconds())) {
        r->users++;
        pthread_mutex_unlock(&c->lock);
        pthread_mutex_unlock(&c->ref_build);
        *out = r;
        return SB_OK;
    }
    pthread_mutex_unlock(&c->lock);
    sb_caseload_score *rows;
    size_t n;
    sb_status st = sb_caseload_scores(j, instrument, scale, 0, &rows, &n, err);
    reference *fresh = st == SB_OK ? calloc(1, sizeof *fresh) : NULL;
    if (st == SB_OK && !fresh)
        st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == SB_OK)
        st = sb_care_courses_from_scores(rows, n, as_of, 1, &fresh->courses,
                                         &fresh->count, err);
    if (st == SB_OK) {
        snprintf(fresh->instrument, sizeof fresh->instrument, "%s",
                 instrument);
        snprintf(fresh->scale, sizeof fresh->scale, "%s", scale);
        fresh->as_of = as_of;
        fresh->built = seconds();
        fresh->users = 2; /* the cache's and the caller's */
        reference *old = NULL;
        pthread_mutex_lock(&c->lock);
        r = reference_find(c, instrument, scale, &at);
        if (r)
            old = r;
        else if (at == REFS_MAX)
            old = c->ref[at = 0]; /* the oldest series gives way */
        else
            c->refs++;
        c->ref[at] = fresh;
        pthread_mutex_unlock(&c->lock);
        reference_release(c, old);
        *out = fresh;
    } else {
        free(fresh);
    }
    free(rows);
    pthread_mutex_unlock(&c->ref_build);
    return st;
}

/* ---- one client's signal ------------------------------------------------ */

static sb_status compute(sb_care_cache *c, sb_journal *j, sb_id person,
                         const char *instrument, const char *scale_text,
                         long as_of, sb_care_status *out, sb_error *err)
{
    sb_instrument *inst = NULL;
    if (instrument[0])
        (void)sb_instrument_builtin(instrument, &inst, NULL);
    sb_scale scale = inst ? sb_instrument_scale(inst) : (sb_scale){1, 7};
    if (scale_text[0])
        (void)sb_scale_parse(scale_text, &scale, NULL);
    double rc[2] = {NAN, NAN};
    if (inst)
        (void)sb_care_rc(inst, scale, c->norms, rc);
    sb_instrument_free(inst);
    reference *ref = NULL;
    sb_care_course *own = NULL;
    size_t owns = 0;
    sb_status st = SB_OK;
    if (instrument[0]) {
        st = reference_take(c, j, instrument, scale_text, as_of, &ref, err);
        sb_caseload_score *rows = NULL;
        size_t n = 0;
        if (st == SB_OK)
            st = sb_caseload_scores(j, instrument, scale_text, person, &rows,
                                    &n, err);
        if (st == SB_OK)
            st = sb_care_courses_from_scores(rows, n, as_of, 0, &own, &owns,
                                             err);
        free(rows);
    }
    sb_person_records rec;
    memset(&rec, 0, sizeof rec);
    if (st == SB_OK)
        st = sb_journal_load_person(j, person, &rec, err);
    if (st == SB_OK) {
        sb_care_person p;
        sb_care_person_init(&p, &rec, owns ? own : NULL, scale, rc);
        sb_care_options o;
        sb_care_options_default(&o);
        o.as_of = as_of;
        o.model_people = MODEL_PEOPLE;
        o.model_fallback = 1;
        o.reference = ref ? ref->courses : NULL;
        o.reference_count = ref ? ref->count : 0;
        st = sb_care_assess(&p, &o, out, NULL, err);
    }
    sb_person_records_free(&rec);
    sb_care_courses_free(own, owns);
    reference_release(c, ref);
    return st;
}

/* ---- the table of kept signals ------------------------------------------ */

static size_t hash(sb_id person, size_t cap)
{
    uint64_t x = (uint64_t)person * 0x9E3779B97F4A7C15u;
    return (size_t)(x >> 17) & (cap - 1);
}

/* The person's entry, added when missing; NULL when out of memory. */
static entry *entry_of(sb_care_cache *c, sb_id person)
{
    if ((c->used + 1) * 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        entry *grown = calloc(cap, sizeof *grown);
        if (!grown)
            return NULL;
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->slot[i].person)
                continue;
            size_t k = hash(c->slot[i].person, cap);
            while (grown[k].person)
                k = (k + 1) & (cap - 1);
            grown[k] = c->slot[i];
        }
        free(c->slot);
        c->slot = grown;
        c->cap = cap;
    }
    size_t k = hash(person, c->cap);
    while (c->slot[k].person && c->slot[k].person != person)
        k = (k + 1) & (c->cap - 1);
    if (!c->slot[k].person) {
        memset(&c->slot[k], 0, sizeof c->slot[k]);
        c->slot[k].person = person;
        c->used++;
    }
    return &c->slot[k];
}

static int entry_fresh(const entry *e, long as_of, int64_t now)
{
    return e->has && e->done_gen == e->gen && e->done_as_of == as_of &&
           now - e->done_at < STATUS_TTL;
}

static void enqueue(sb_care_cache *c, entry *e, const sb_caseload_row *row,
                    long as_of)
{
    snprintf(e->instrument, sizeof e->instrument, "%s", row->instrument);
    snprintf(e->scale, sizeof e->scale, "%s", row->scale);
    e->want_as_of = as_of;
    if (e->queued)
        return;
    if (c->queued == c->queue_cap) {
        size_t cap = c->queue_cap ? c->queue_cap * 2 : 256;
        sb_id *grown = realloc(c->queue, cap * sizeof *grown);
        if (!grown)
            return; /* tried again on the next page */
        c->queue = grown;
        c->queue_cap = cap;
    }
    c->queue[c->queued++] = e->person;
    e->queued = 1;
    pthread_cond_signal(&c->work);
}

void sb_care_cache_touch(sb_care_cache *c, sb_id person)
{
    if (!c || person <= 0)
        return;
    pthread_mutex_lock(&c->lock);
    entry *e = entry_of(c, person);
    if (e)
        e->gen++;
    pthread_mutex_unlock(&c->lock);
}

sb_status sb_care_cache_status(sb_care_cache *c, sb_journal *j,
                               const sb_caseload_row *row, long as_of,
                               int compute_now, sb_care_status *out,
                               sb_care_kept *kept, sb_error *err)
{
    *kept = SB_CARE_KEPT_FRESH;
    memset(out, 0, sizeof *out);
    int64_t now = seconds();
    pthread_mutex_lock(&c->lock);
    entry *e = entry_of(c, row->person);
    if (e && e->has) {
        *out = e->status;
        if (!entry_fresh(e, as_of, now)) {
            enqueue(c, e, row, as_of);
            if (e->queued)
                *kept = SB_CARE_KEPT_UPDATING;
        }
        pthread_mutex_unlock(&c->lock);
        return SB_OK;
    }
    if (e && (!compute_now || e->queued)) {
        enqueue(c, e, row, as_of);
        pthread_mutex_unlock(&c->lock);
        *kept = SB_CARE_KEPT_PENDING;
        return SB_OK;
    }
    uint64_t gen = e ? e->gen : 0;
    pthread_mutex_unlock(&c->lock);
    /* Never computed: now, on the page. */
    sb_status st = compute(c, j, row->person, row->instrument, row->scale,
                           as_of, out, err);
    if (st != SB_OK)
        return st;
    pthread_mutex_lock(&c->lock);
    e = entry_of(c, row->person);
    if (e && !e->has) {
        e->status = *out;
        e->has = 1;
        e->done_gen = gen;
        e->done_as_of = as_of;
        e->done_at = now;
    }
    pthread_mutex_unlock(&c->lock);
    *kept = SB_CARE_KEPT_NEW;
    return SB_OK;
}

/* ---- the background thread ---------------------------------------------- */

/* The first queued person whose last computation is old enough; -1 with
 * *wait_s set when none is yet. */
static long next_due(sb_care_cache *c, int64_t now, int64_t *wait_s)
{
    *wait_s = RECOMPUTE_INTERVAL;
    for (size_t i = 0; i < c->queued; i++) {
        size_t k = hash(c->queue[i], c->cap);
        while (c->slot[k].person != c->queue[i])
            k = (k + 1) & (c->cap - 1);
        const entry *e = &c->slot[k];
        int64_t ready = e->done_at + RECOMPUTE_INTERVAL;
        if (!e->has || e->done_as_of != e->want_as_of || ready <= now)
            return (long)i;
        if (ready - now < *wait_s)
            *wait_s = ready - now;
    }
    return -1;
}

static void *recompute(void *arg)
{
    sb_care_cache *c = arg;
    /* Below the requests: a signal may wait, a page should not. */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
    pthread_mutex_lock(&c->lock);
    while (!c->stop) {
        int64_t wait_s;
        long i = next_due(c, seconds(), &wait_s);
        if (i < 0) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += c->queued ? wait_s : 3600;
            pthread_cond_timedwait(&c->work, &c->lock, &until);
            continue;
        }
        sb_id person = c->queue[i];
        c->queue[i] = c->queue[--c->queued];
        entry *e = entry_of(c, person);
        char instrument[SB_JOURNAL_NAME_MAX], scale[SB_JOURNAL_SCALE_SIZE];
        snprintf(instrument, sizeof instrument, "%s", e->instrument);
        snprintf(scale, sizeof scale, "%s", e->scale);
        long as_of = e->want_as_of;
        uint64_t gen = e->gen;
        pthread_mutex_unlock(&c->lock);
        sb_care_status s;
        sb_error err;
        sb_status st = compute(c, c->j, person, instrument, scale, as_of, &s,
                               &err);
        int64_t now = seconds();
        pthread_mutex_lock(&c->lock);
        e = entry_of(c, person);
        if (e) {
            e->queued = 0;
            if (st == SB_OK) {
                e->status = s;
                e->has = 1;
                e->done_gen = gen;
                e->done_as_of = as_of;
            }
            /* A failure waits its turn like a success. */
            e->done_at = now;
        }
        c->computed++;
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

sb_status sb_care_cache_open(const char *db, const sb_norms_set *norms,
                             sb_care_cache **out, sb_error *err)
{
    *out = NULL;
    sb_care_cache *c = calloc(1, sizeof *c);
    if (!c)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sb_status st = sb_journal_open(db, SB_JOURNAL_READONLY, &c->j, err);
    if (st != SB_OK) {
        free(c);
        return st;
    }
    c->norms = norms;
    pthread_mutex_init(&c->lock, NULL);
    pthread_mutex_init(&c->ref_build, NULL);
    pthread_cond_init(&c->work, NULL);
    int rc = pthread_create(&c->thread, NULL, recompute, c);
    if (rc != 0) {
        sb_journal_close(c->j);
        pthread_mutex_destroy(&c->lock);
        pthread_mutex_destroy(&c->ref_build);
        pthread_cond_destroy(&c->work);
        free(c);
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot start a thread: %s", strerror(rc));
    }
    *out = c;
    return SB_OK;
}

unsigned long sb_care_cache_computed(sb_care_cache *c)
{
    pthread_mutex_lock(&c->lock);
    unsigned long n = c->computed;
    pthread_mutex_unlock(&c->lock);
    return n;
}

void sb_care_cache_close(sb_care_cache *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stop = 1;
    pthread_cond_signal(&c->work);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    for (size_t i = 0; i < c->refs; i++)
        reference_release(c, c->ref[i]);
    sb_journal_close(c->j);
    free(c->slot);
    free(c->queue);
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->ref_build);
    pthread_cond_destroy(&c->work);
    free(c);
}
