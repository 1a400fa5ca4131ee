/*
 * First visits: each person's earliest administration in a file of repeated
 * administrations, answers and scores kept, so that the intake's norms (N,
 * mean, SD, alpha) can be computed from the same file that `change` reads.
 * Dates are compared by the grouper's sortable key; ids live in an open
 * addressing table kept at most half full.
 */
#include "measure/group_internal.h"
#include "measure/visit_date.h"
#include "measure/instrument.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct visit {
    char *id;
    char key[SB__VISIT_KEY_SIZE];
    double *answers;        /* item_count, then score_count scores */
} visit;

struct sb_first_visits {
    const sb_instrument *inst;
    const char *origin;
    int date_kind;          /* 0 none yet, 1 calendar dates, 2 sessions */
    visit *visits;
    size_t count, cap;
    size_t *slot;           /* index + 1 into visits; 0 = free */
    size_t slot_cap;        /* a power of two */
};

static sb_status nomem(sb_error *err)
{
    return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

sb_status sb_first_visits_new(const sb_instrument *inst, const char *origin,
                              sb_first_visits **out, sb_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return nomem(err);
    (*out)->inst = inst;
    (*out)->origin = origin;
    return SB_OK;
}

void sb_first_visits_free(sb_first_visits *fv)
{
    if (!fv)
        return;
    for (size_t i = 0; i < fv->count; i++) {
        free(fv->visits[i].id);
        free(fv->visits[i].answers);
    }
    free(fv->visits);
    free(fv->slot);
    free(fv);
}

size_t sb_first_visits_people(const sb_first_visits *fv)
{
    return fv->count;
}

/* The slot of `id`: its visit's, or the free one where it would go. */
static size_t *find_slot(const sb_first_visits *fv, const char *id)
{
    size_t mask = fv->slot_cap - 1;
    for (size_t i = (size_t)sb__id_hash(id) & mask;; i = (i + 1) & mask) {
        size_t *s = &fv->slot[i];
        if (!*s || !strcmp(fv->visits[*s - 1].id, id))
            return s;
    }
}

static sb_status grow_slots(sb_first_visits *fv, sb_error *err)
{
    if (2 * (fv->count + 1) <= fv->slot_cap)
        return SB_OK;
    size_t cap = fv->slot_cap ? 2 * fv->slot_cap : 64;
    size_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return nomem(err);
    free(fv->slot);
    fv->slot = slot;
    fv->slot_cap = cap;
    for (size_t i = 0; i < fv->count; i++)
        *find_slot(fv, fv->visits[i].id) = i + 1;
    return SB_OK;
}

static void keep(const sb_first_visits *fv, visit *v, const char *key,
                 const sb_scored_row *row)
{
    size_t items = fv->inst->item_count;
    memcpy(v->key, key, sizeof v->key);
    memcpy(v->answers, row->answers, items * sizeof *v->answers);
    memcpy(v->answers + items, row->scores->value,
           fv->inst->score_count * sizeof *v->answers);
}

sb_status sb_first_visits_add(sb_first_visits *fv, const sb_scored_row *row,
                              sb_error *err)
{
    if (row->error)
        return SB_OK; /* a flagged row has no scores */
    if (!row->answers || row->scores->count != fv->inst->score_count)
        return sb_error_set(err, SB_ERR_INVALID, fv->origin, row->line, 0,
                            "first visits: a row without answers or of "
                            "another instrument");
    if (!row->id[0])
        return sb_error_set(err, SB_ERR_INVALID, fv->origin, row->line, 0,
                            "the person's id is empty");
    char key[SB__VISIT_KEY_SIZE];
    int kind = (int)sb__visit_date_key(row->date, key);
    if (!kind)
        return sb_error_set(err, SB_ERR_INVALID, fv->origin, row->line, 0,
                            "'%.64s' is not a date (YYYY-MM-DD, optionally "
                            "with a time) or a session number", row->date);
    if (fv->date_kind && kind != fv->date_kind)
        return sb_error_set(err, SB_ERR_INVALID, fv->origin, row->line, 0,
                            "'%.64s': dates and session numbers mixed in one "
                            "file", row->date);
    fv->date_kind = kind;
    sb_status st = grow_slots(fv, err);
    if (st)
        return st;
    size_t *slot = find_slot(fv, row->id);
    if (*slot) {
        visit *v = &fv->visits[*slot - 1];
        if (strcmp(key, v->key) < 0)
            keep(fv, v, key, row);
        return SB_OK;
    }
    if (fv->count == fv->cap) {
        size_t cap = fv->cap ? 2 * fv->cap : 64;
        visit *nv = realloc(fv->visits, cap * sizeof *nv);
        if (!nv)
            return nomem(err);
        fv->visits = nv;
        fv->cap = cap;
    }
    visit *v = &fv->visits[fv->count];
    v->id = strdup(row->id);
    v->answers = malloc((fv->inst->item_count + fv->inst->score_count) *
                        sizeof *v->answers);
    if (!v->id || !v->answers) {
        free(v->id);
        free(v->answers);
        return nomem(err);
    }
    keep(fv, v, key, row);
    fv->count++;
    *slot = fv->count;
    return SB_OK;
}

sb_status sb_first_visits_norms(const sb_first_visits *fv, sb_scale scale,
                                const char *date, const char *label,
                                sb_norms **out, sb_error *err)
{
    sb_norms *nm;
    sb_status st = sb_norms_new(fv->inst, scale, 1, &nm, err);
    for (size_t i = 0; !st && i < fv->count; i++) {
        const visit *v = &fv->visits[i];
        sb_scores scores = {0};
        scores.count = fv->inst->score_count;
        scores.value = v->answers + fv->inst->item_count;
        sb_scored_row row = {0, v->id, "", &scores, NULL, v->answers};
        st = sb_norms_add(nm, &row, err);
    }
    if (!st)
        st = sb_norms_finish(nm, date, label, err);
    if (st) {
        sb_norms_free(nm);
        nm = NULL;
    }
    *out = nm;
    return st;
}
