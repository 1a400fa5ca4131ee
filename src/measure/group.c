/*
 * Administrations grouped by person for change over time. Each scored row
 * is checked (an id, a date or a session number, one kind of date per file)
 * and gathered with the other rows of its person; a person's rows are
 * handed on in date order, people in the order they first appear.
 *
 * Three ways, so that `securebase change` holds one person at a time when
 * it can: CHECK reads a file holding one person and notes whether any id
 * comes back after another person's rows (it stops there); STREAM hands
 * each person on as soon as the next begins; SORT keeps every row and
 * hands people on at the end. Memory: CHECK and STREAM hold one person's
 * rows and an 8-byte hash per person seen (in a table kept at most half
 * full: 16-32 bytes), to notice an id that comes back; SORT holds every
 * row's scores, id and date.
 */
#include <securebase/measure.h>

#include "base/buf.h"
#include "measure/visit_date.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
    char *id;               /* STREAM/CHECK: the person's, shared; SORT: own */
    char *date;
    char key[SB__VISIT_KEY_SIZE]; /* sortable form of the date */
    unsigned long line;
    unsigned long first;    /* SORT: the line of the person's first row */
    size_t value;           /* offset into the value array */
} row;

struct sb_grouper {
    size_t k;               /* scores per row */
    sb_grouping mode;
    const char *origin;
    const char *date_column;
    sb_person_fn fn;
    void *ctx;
    int date_kind;          /* 0 none yet, 1 calendar dates, 2 session numbers */
    int grouped;            /* 0 once an id came back after another person */
    row *rows;
    size_t count, cap;
    double *values;         /* count * k */
    char *person;           /* STREAM/CHECK: the id of the rows held */
    uint64_t *seen;         /* STREAM/CHECK: hashes of finished ids, 0 = free */
    size_t seen_count, seen_cap;
    sb_administration *adm; /* handed to fn */
    size_t adm_cap;
    size_t peak;
    unsigned long people;
};

static sb_status nomem(sb_error *err)
{
    return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* FNV-1a; 0 is kept for free slots. */
static uint64_t id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

static int seen_has(const sb_grouper *g, uint64_t h)
{
    if (!g->seen_cap)
        return 0;
    for (size_t i = (size_t)(h & (g->seen_cap - 1));; i = (i + 1) & (g->seen_cap - 1)) {
        if (!g->seen[i])
            return 0;
        if (g->seen[i] == h)
            return 1;
    }
}

static sb_status seen_add(sb_grouper *g, uint64_t h, sb_error *err)
{
    if (2 * (g->seen_count + 1) > g->seen_cap) {
        size_t cap = g->seen_cap ? 2 * g->seen_cap : 1024;
        uint64_t *n = calloc(cap, sizeof *n);
        if (!n)
            return nomem(err);
        for (size_t i = 0; i < g->seen_cap; i++) {
            if (!g->seen[i])
                continue;
            size_t j = (size_t)(g->seen[i] & (cap - 1));
            while (n[j])
                j = (j + 1) & (cap - 1);
            n[j] = g->seen[i];
        }
        free(g->seen);
        g->seen = n;
        g->seen_cap = cap;
    }
    size_t j = (size_t)(h & (g->seen_cap - 1));
    while (g->seen[j] && g->seen[j] != h)
        j = (j + 1) & (g->seen_cap - 1);
    if (!g->seen[j]) {
        g->seen[j] = h;
        g->seen_count++;
    }
    return SB_OK;
}

sb_status sb_grouper_new(size_t score_count, sb_grouping mode,
                         const char *origin, const char *date_column,
                         sb_person_fn fn, void *ctx, sb_grouper **out,
                         sb_error *err)
{
    *out = NULL;
    if (mode != SB_GROUP_CHECK && mode != SB_GROUP_STREAM &&
        mode != SB_GROUP_SORT)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "unknown grouping mode %d", (int)mode);
    sb_grouper *g = calloc(1, sizeof *g);
    if (!g)
        return nomem(err);
    g->k = score_count;
    g->mode = mode;
    g->origin = origin ? origin : "<input>";
    g->date_column = date_column ? date_column : "date";
    g->fn = fn;
    g->ctx = ctx;
    g->grouped = 1;
    *out = g;
    return SB_OK;
}

static void drop_rows(sb_grouper *g)
{
    for (size_t i = 0; i < g->count; i++) {
        if (g->mode == SB_GROUP_SORT)
            free(g->rows[i].id);
        free(g->rows[i].date);
    }
    g->count = 0;
}

static int by_date(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    int r = strcmp(a->key, b->key);
    return r ? r : (a->line > b->line) - (a->line < b->line);
}

/* SORT: by person (in order of first appearance), then date. */
static int by_person_then_date(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->first != b->first)
        return (a->first > b->first) - (a->first < b->first);
    return by_date(pa, pb);
}

/* Rows [from, to) are one person's, in date order: no date twice. */
static sb_status check_dates(const sb_grouper *g, size_t from, size_t to,
                             sb_error *err)
{
    for (size_t i = from + 1; i < to; i++) {
        const row *a = &g->rows[i - 1], *b = &g->rows[i];
        if (!strcmp(a->key, b->key)) {
            unsigned long l1 = a->line < b->line ? a->line : b->line;
            unsigned long l2 = a->line < b->line ? b->line : a->line;
            return sb_error_set(err, SB_ERR_INVALID, g->origin, l2, 0,
                                "person '%.64s' has two administrations on "
                                "'%.64s' (lines %lu and %lu)", b->id, b->date,
                                l1, l2);
        }
    }
    return SB_OK;
}

static sb_status hand_on(sb_grouper *g, size_t from, size_t to, sb_error *err)
{
    size_t n = to - from;
    g->people++;
    if (!g->fn || g->mode == SB_GROUP_CHECK)
        return SB_OK;
    sb_administration *a = sb__grow(g->adm, &g->adm_cap, n, sizeof *a);
    if (!a)
        return nomem(err);
    g->adm = a;
    for (size_t i = 0; i < n; i++) {
        const row *r = &g->rows[from + i];
        g->adm[i].id = r->id;
        g->adm[i].date = r->date;
        g->adm[i].line = r->line;
        g->adm[i].value = g->values + r->value;
    }
    return g->fn(g->ctx, g->adm, n, err);
}

/* STREAM/CHECK: the person held is complete. */
static sb_status flush_person(sb_grouper *g, sb_error *err)
{
    if (!g->count)
        return SB_OK;
    qsort(g->rows, g->count, sizeof *g->rows, by_date);
    sb_status st = check_dates(g, 0, g->count, err);
    if (!st)
        st = hand_on(g, 0, g->count, err);
    if (!st)
        st = seen_add(g, id_hash(g->person), err);
    drop_rows(g);
    free(g->person);
    g->person = NULL;
    return st;
}

static sb_status reserve(sb_grouper *g, sb_error *err)
{
    if (g->count < g->cap)
        return SB_OK;
    /* One capacity for both: a row and its k values. */
    size_t rows_cap = g->cap, values_cap = g->cap;
    row *r = sb__grow(g->rows, &rows_cap, g->count + 1, sizeof *r);
    if (!r)
        return nomem(err);
    g->rows = r;
    double *v = sb__grow(g->values, &values_cap, g->count + 1,
                         (g->k ? g->k : 1) * sizeof *v);
    if (!v)
        return nomem(err);
    g->values = v;
    g->cap = rows_cap < values_cap ? rows_cap : values_cap;
    return SB_OK;
}

sb_status sb_grouper_add(sb_grouper *g, const sb_scored_row *r, sb_error *err)
{
    if (r->error)
        return SB_OK; /* a flagged row (lenient reading) is left out */
    if (!r->id[0])
        return sb_error_set(err, SB_ERR_INVALID, g->origin, r->line, 0,
                            "the id is empty");
    char key[SB__VISIT_KEY_SIZE];
    int kind = (int)sb__visit_date_key(r->date, key);
    if (!kind)
        return sb__visit_date_error(err, g->origin, r->line, 0,
                                    g->date_column, r->date);
    if (g->date_kind && kind != g->date_kind)
        return sb_error_set(err, SB_ERR_INVALID, g->origin, r->line, 0,
                            "column '%s': '%.64s' mixes dates and session "
                            "numbers in one file", g->date_column, r->date);
    g->date_kind = kind;
    sb_status st;
    if (g->mode != SB_GROUP_SORT && (!g->person || strcmp(g->person, r->id))) {
        if ((st = flush_person(g, err)))
            return st;
        if (seen_has(g, id_hash(r->id))) {
            g->grouped = 0;
            if (g->mode == SB_GROUP_CHECK)
                return sb_error_set(err, SB_ERR_STATE, g->origin, r->line, 0,
                                    "person '%.64s' comes back after other "
                                    "people's rows: the input is not grouped "
                                    "by id", r->id);
            return sb_error_set(err, SB_ERR_INVALID, g->origin, r->line, 0,
                                "person '%.64s' comes back after other "
                                "people's rows, but the input was read as "
                                "grouped by id (did the file change while "
                                "it was read?)", r->id);
        }
        if (!(g->person = strdup(r->id)))
            return nomem(err);
    }
    if ((st = reserve(g, err)))
        return st;
    row *w = &g->rows[g->count];
    memset(w, 0, sizeof *w);
    w->id = g->mode == SB_GROUP_SORT ? strdup(r->id) : g->person;
    w->date = strdup(r->date);
    if (!w->id || !w->date) {
        if (g->mode == SB_GROUP_SORT)
            free(w->id);
        free(w->date);
        return nomem(err);
    }
    memcpy(w->key, key, sizeof key);
    w->line = r->line;
    w->value = g->count * g->k;
    if (g->k)
        memcpy(g->values + w->value, r->scores->value, g->k * sizeof(double));
    g->count++;
    if (g->count > g->peak)
        g->peak = g->count;
    return SB_OK;
}

static int by_id_then_line(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    int r = strcmp(a->id, b->id);
    return r ? r : (a->line > b->line) - (a->line < b->line);
}

static sb_status finish_sorted(sb_grouper *g, sb_error *err)
{
    if (!g->count)
        return SB_OK;
    /* Each row learns where its person first appears; rows keep their
     * values' offsets, so moving them is cheap. */
    qsort(g->rows, g->count, sizeof *g->rows, by_id_then_line);
    for (size_t i = 0; i < g->count;) {
        size_t j = i + 1;
        while (j < g->count && !strcmp(g->rows[j].id, g->rows[i].id))
            j++;
        for (size_t r = i; r < j; r++)
            g->rows[r].first = g->rows[i].line;
        i = j;
    }
    qsort(g->rows, g->count, sizeof *g->rows, by_person_then_date);
    sb_status st = SB_OK;
    for (size_t i = 0; !st && i < g->count;) {
        size_t j = i + 1;
        while (j < g->count && g->rows[j].first == g->rows[i].first)
            j++;
        st = check_dates(g, i, j, err);
        i = j;
    }
    for (size_t i = 0; !st && i < g->count;) {
        size_t j = i + 1;
        while (j < g->count && g->rows[j].first == g->rows[i].first)
            j++;
        st = hand_on(g, i, j, err);
        i = j;
    }
    drop_rows(g);
    return st;
}

sb_status sb_grouper_finish(sb_grouper *g, sb_error *err)
{
    if (g->mode == SB_GROUP_SORT)
        return finish_sorted(g, err);
    return flush_person(g, err);
}

int sb_grouper_grouped(const sb_grouper *g)
{
    return g->grouped;
}

unsigned long sb_grouper_people(const sb_grouper *g)
{
    return g->people;
}

size_t sb_grouper_peak_rows(const sb_grouper *g)
{
    return g->peak;
}

void sb_grouper_free(sb_grouper *g)
{
    if (!g)
        return;
    drop_rows(g);
    free(g->rows);
    free(g->values);
    free(g->person);
    free(g->seen);
    free(g->adm);
    free(g);
}
