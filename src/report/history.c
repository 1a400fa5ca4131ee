/*
 * A person's journey summarised for the report. The questionnaire series
 * is the instrument (on one response scale) with the most administrations
 * that give both anxiety and avoidance; reliable change and sudden gains
 * and losses come from the measure layer, with the instrument's recorded
 * reliability and norms.
 */
#include "report/history.h"

#include <ctype.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long sb__history_day(const char *date)
{
    sb_date d;
    if (sb_date_parse(date, &d, NULL) != SB_OK)
        return 0;
    return sb_date_days(d);
}

sb_care_records sb__history_records(const sb__history *h, long as_of)
{
    return (sb_care_records){as_of, h->sessions, h->session_count,
                             h->relationships, h->relationship_count,
                             h->reflections, h->reflection_count,
                             h->practice, h->practice_count};
}

void sb__history_free(sb__history *h)
{
    free(h->points);
    free(h->sessions);
    free(h->relationships);
    free(h->reflections);
    free(h->practice);
    memset(h, 0, sizeof *h);
}

/*
 * A copy (*out, malloc'd; NULL when none are kept) of the `n` records of
 * `size` bytes at `src`, with a date at `date_offset`, dated up to as_of
 * (0: all). The records must be in date order, as the journal lists them:
 * the series and the gaps are read in that order.
 */
static sb_status copy_until(const void *src, size_t n, size_t size,
                            size_t date_offset, long as_of, const char *kind,
                            void **out, size_t *kept, sb_error *err)
{
    *out = NULL;
    *kept = 0;
    const char *in = src;
    for (size_t i = 1; i < n; i++)
        if (strcmp(in + (i - 1) * size + date_offset,
                   in + i * size + date_offset) > 0)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "the %s are not in date order ('%s' before "
                                "'%s')",
                                kind, in + (i - 1) * size + date_offset,
                                in + i * size + date_offset);
    if (!n)
        return SB_OK;
    char *copy = malloc(n * size);
    if (!copy)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *rec = in + i * size;
        if (as_of && sb__history_day(rec + date_offset) > as_of)
            continue;
        memcpy(copy + *kept * size, rec, size);
        (*kept)++;
    }
    if (!*kept) {
        free(copy);
        copy = NULL;
    }
    *out = copy;
    return SB_OK;
}

#define COPY_UNTIL(records, count, type, date, as_of, kind, out, kept, err) \
    copy_until(records, count, sizeof(type), offsetof(type, date), as_of,  \
               kind, out, kept, err)

static void widen(sb__history *h, const char *date)
{
    if (!date[0])
        return;
    long d = sb__history_day(date);
    if (!h->first_day || d < h->first_day)
        h->first_day = d;
    if (!h->last_day || d > h->last_day)
        h->last_day = d;
}

/*
 * Copies the care layer's series (assessments are in date order);
 * h->scale becomes the series' scale.
 */
static sb_status build_series(sb__history *h, const sb_rec_assessment *a,
                              size_t n, sb_error *err)
{
    unsigned char *member = malloc(n ? n : 1);
    if (!member)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sb_care_series s;
    sb_care_series_pick(a, n, &s, member);
    if (!s.count) {
        free(member);
        return SB_OK;
    }
    h->points = calloc(s.count, sizeof *h->points);
    if (!h->points) {
        free(member);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    snprintf(h->instrument, sizeof h->instrument, "%s", s.instrument);
    h->scale = s.scale;
    for (size_t k = 0; k < n; k++) {
        if (!member[k])
            continue;
        sb__series_point *p = &h->points[h->point_count++];
        p->day = sb__history_day(a[k].date);
        p->score[SB_ANXIETY] = sb_care_score(&a[k], "anxiety");
        p->score[SB_AVOIDANCE] = sb_care_score(&a[k], "avoidance");
        p->assessment = a[k].id;
    }
    free(member);
    return SB_OK;
}

/* Reliable change from the figures `securebase change` uses for the same
 * score: local norms before the instrument's published figures. */
static void reliable_change(sb__history *h, const sb_instrument *inst,
                            const sb_norms *local)
{
    static const char *const names[2] = {"anxiety", "avoidance"};
    for (int d = 0; d < 2; d++) {
        h->reliability[d] = h->sd[d] = h->rc[d] = NAN;
        snprintf(h->rc_source[d], sizeof h->rc_source[d],
                 "no reliability and SD recorded for %s on a %d-%d scale",
                 h->instrument, h->scale.min, h->scale.max);
        for (size_t s = 0; s < sb_instrument_score_count(inst); s++) {
            if (strcmp(sb_instrument_score_name(inst, s), names[d]))
                continue;
            /* The figures `securebase change` uses for the same score. */
            sb_change_sources src;
            sb_change_sources_init(&src);
            src.local = local;
            sb_change_plan plan;
            sb_change_plan_from(inst, s, h->scale, &src, &plan);
            const sb_reliability *r = plan.reliability_source;
            const sb_norm *nm = plan.sd_source;
            if (isnan(plan.threshold) || !r || !nm)
                break;
            h->reliability[d] = plan.reliability;
            h->sd[d] = plan.sd;
            h->rc[d] = plan.threshold;
            const char *rs = r->sample ? r->sample : "a sample";
            const char *ns = nm->sample ? nm->sample : "a sample";
            if (!strcmp(rs, ns))
                snprintf(h->rc_source[d], sizeof h->rc_source[d],
                         "Reliability and SD from %s", rs);
            else
                snprintf(h->rc_source[d], sizeof h->rc_source[d],
                         "Reliability from %s; SD from %s", rs, ns);
            /* Who computed or reported them, said once when it is the
             * same for both figures. */
            const char *a = r->source ? r->source : "";
            const char *b = nm->source ? nm->source : "";
            if (!strcmp(a, b))
                snprintf(h->rc_note[d], sizeof h->rc_note[d], "%s", a);
            else
                snprintf(h->rc_note[d], sizeof h->rc_note[d],
                         "Reliability: %s SD: %s", a, b);
            break;
        }
    }
}

static void sudden_changes(sb__history *h)
{
    if (h->point_count < 2)
        return;
    double *series = malloc(h->point_count * sizeof *series);
    if (!series)
        return;
    for (int d = 0; d < 2; d++) {
        if (isnan(h->rc[d]))
            continue;
        for (size_t i = 0; i < h->point_count; i++)
            series[i] = h->points[i].score[d];
        sb_sudden found[SB_HISTORY_EVENTS];
        size_t n = sb_sudden_find(series, h->point_count, h->rc[d], h->scale,
                                  SB_HIGHER_WORSE, found, SB_HISTORY_EVENTS);
        if (n > SB_HISTORY_EVENTS)
            n = SB_HISTORY_EVENTS;
        for (size_t i = 0; i < n && h->event_count < SB_HISTORY_EVENTS; i++) {
            h->events[h->event_count].dimension = d;
            h->events[h->event_count++].sudden = found[i];
        }
    }
    free(series);
}

static sb_status questionnaires(sb__history *h, const sb_person_records *r,
                                long as_of, const sb_instrument *override,
                                const char *norms_file,
                                const sb_norms_set *norms, sb_error *err)
{
    void *recs;
    size_t n;
    sb_status st = COPY_UNTIL(r->assessments, r->assessment_count,
                              sb_rec_assessment, date, as_of, "assessments",
                              &recs, &n, err);
    if (st != SB_OK)
        return st;
    const sb_rec_assessment *a = recs;
    h->assessment_count = n;
    for (size_t i = 0; i < n; i++)
        widen(h, a[i].date);
    st = build_series(h, a, n, err);
    free(recs);
    if (st != SB_OK || !h->point_count)
        return st;
    sb_instrument *owned = NULL;
    const sb_instrument *inst = override;
    if (!inst || strcmp(sb_instrument_name(inst), h->instrument)) {
        st = sb_instrument_builtin(h->instrument, &owned, err);
        if (st != SB_OK)
            return st;
        inst = owned;
    }
    snprintf(h->instrument_title, sizeof h->instrument_title, "%s",
             sb_instrument_title(inst));
    sb_norms *local = NULL;
    if (norms_file && (st = sb_norms_load_file(norms_file, inst, &local, err))) {
        sb_instrument_free(owned);
        return st;
    }
    reliable_change(h, inst, local ? local : sb_norms_set_find(norms, inst));
    sb_norms_free(local);
    sb_instrument_free(owned);
    sudden_changes(h);
    return SB_OK;
}

static sb_status therapy(sb__history *h, const sb_person_records *r,
                         long as_of, sb_error *err)
{
    void *recs;
    sb_status st = COPY_UNTIL(r->sessions, r->session_count, sb_rec_session,
                              date, as_of, "sessions", &recs,
                              &h->session_count, err);
    h->sessions = recs;
    if (st != SB_OK)
        return st;
    long prev = 0;
    for (size_t i = 0; i < h->session_count; i++) {
        const sb_rec_session *s = &h->sessions[i];
        widen(h, s->date);
        if (!s->attended)
            continue;
        h->attended++;
        long day = sb__history_day(s->date);
        if (prev && day - prev > h->longest_gap)
            h->longest_gap = day - prev;
        if (prev && day - prev > SB_HISTORY_GAP_DAYS &&
            h->gap_count < SB_HISTORY_GAPS)
            h->gaps[h->gap_count++] = (sb__gap){prev, day};
        prev = day;
    }
    return SB_OK;
}

/* Triggers are grouped by label, ignoring case and surrounding spaces. */
static void trigger_key(const char *label, char *key, size_t size)
{
    while (isspace((unsigned char)*label))
        label++;
    size_t n = 0;
    for (; label[n] && n + 1 < size; n++)
        key[n] = (char)tolower((unsigned char)label[n]);
    while (n && isspace((unsigned char)key[n - 1]))
        n--;
    key[n] = '\0';
}

static int by_count(const void *a, const void *b)
{
    const sb__trigger_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->label, y->label);
}

static sb_status reflections(sb__history *h, const sb_person_records *r,
                             long as_of, sb_error *err)
{
    void *recs;
    sb_status st = COPY_UNTIL(r->reflections, r->reflection_count,
                              sb_rec_reflection, date, as_of, "reflections",
                              &recs, &h->reflection_count, err);
    h->reflections = recs;
    if (st != SB_OK)
        return st;
    size_t n = h->reflection_count;
    sb__trigger_count *all = calloc(n ? n : 1, sizeof *all);
    char (*keys)[SB_JOURNAL_NAME_MAX] = calloc(n ? n : 1, sizeof *keys);
    if (!all || !keys) {
        free(all);
        free(keys);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++) {
        const sb_rec_reflection *r = &h->reflections[i];
        widen(h, r->date);
        h->tried += r->tried == 1;
        char key[SB_JOURNAL_NAME_MAX];
        trigger_key(r->trigger, key, sizeof key);
        size_t t = 0;
        while (t < distinct && strcmp(keys[t], key))
            t++;
        if (t == distinct) {
            snprintf(keys[t], sizeof keys[t], "%s", key);
            /* Shown as first written, without the surrounding spaces. */
            const char *start = r->trigger;
            while (isspace((unsigned char)*start))
                start++;
            snprintf(all[t].label, sizeof all[t].label, "%.*s",
                     (int)strlen(key), start);
            distinct++;
        }
        all[t].count++;
        all[t].tried += r->tried == 1;
        all[t].mean_intensity += r->intensity;
    }
    for (size_t t = 0; t < distinct; t++)
        all[t].mean_intensity /= (double)all[t].count;
    qsort(all, distinct, sizeof *all, by_count);
    h->trigger_count = distinct;
    memcpy(h->triggers, all,
           (distinct < SB_HISTORY_TRIGGERS ? distinct : SB_HISTORY_TRIGGERS) *
               sizeof *all);
    free(all);
    free(keys);
    return SB_OK;
}

sb_status sb__history_load(const sb_person_records *r, long as_of,
                           const sb_instrument *override,
                           const char *norms_file, const sb_norms_set *norms,
                           sb__history *h, sb_error *err)
{
    memset(h, 0, sizeof *h);
    h->person = r->person;
    sb_status st = therapy(h, r, as_of, err);
    if (st == SB_OK)
        st = reflections(h, r, as_of, err);
    void *recs;
    /* Not widened by relationships: they may begin years earlier. */
    if (st == SB_OK)
        st = COPY_UNTIL(r->relationships, r->relationship_count,
                        sb_rec_relationship, start, as_of, "relationships",
                        &recs, &h->relationship_count, err);
    if (st == SB_OK)
        h->relationships = recs;
    if (st == SB_OK)
        st = COPY_UNTIL(r->practice, r->practice_count, sb_rec_practice, date,
                        as_of, "practice records", &recs, &h->practice_count,
                        err);
    if (st == SB_OK) {
        h->practice = recs;
        for (size_t i = 0; i < h->practice_count; i++) {
            widen(h, h->practice[i].date);
            h->outcomes[h->practice[i].outcome]++;
        }
    }
    if (st == SB_OK)
        st = questionnaires(h, r, as_of, override, norms_file, norms, err);
    return st;
}
