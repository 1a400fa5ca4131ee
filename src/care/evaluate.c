/*
 * How well the signal foresees a poor outcome: on completed courses whose
 * end is known, each course in turn plays the client and the others its
 * practice's history. A course is flagged when an assessment between the
 * 3rd and the 8th attended session is judged not on track; the share of
 * poor outcomes flagged, the share of good ones flagged (false alarms) and
 * the weeks from the first flag to the reliable-change verdict are counted
 * for the empirical band, the model band and reliable change alone.
 */
#include <securebase/care.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { SIDE_EMPIRICAL = 0, SIDE_MODEL = 1, SIDE_RCI = 2, SIDES = 3 };

/* One course's result, filled in parallel and summed in order. */
typedef struct course_result {
    int used, bad, deteriorated;
    int flagged[SIDES], banded[SIDES];
    double lead[SIDES];       /* weeks; NAN when not flagged */
    sb_status st;
    sb_error err;
} course_result;

static size_t attended_by(const sb_care_person *p, long day)
{
    size_t n = 0;
    const sb_care_records *r = &p->records;
    for (size_t i = 0; i < r->session_count; i++) {
        sb_date d;
        if (r->sessions[i].attended == 1 &&
            sb_date_parse(r->sessions[i].date, &d, NULL) == SB_OK &&
            sb_date_days(d) <= day)
            n++;
    }
    return n;
}

static int deteriorated(const sb_care_course *c, size_t j, const double rc[2])
{
    return c->score[j][0] - c->score[0][0] >= rc[0] ||
           c->score[j][1] - c->score[0][1] >= rc[1];
}

static void flag(course_result *r, int side, long day, long verdict)
{
    if (r->flagged[side])
        return;
    r->flagged[side] = 1;
    r->lead[side] = (double)(verdict - day) / 7.0;
}

static void evaluate_course(const sb_care_person *people, size_t i,
                            const sb_care_options *o, course_result *r)
{
    const sb_care_person *p = &people[i];
    const sb_care_course *c = p->series;
    memset(r, 0, sizeof *r);
    for (int s = 0; s < SIDES; s++)
        r->lead[s] = NAN;
    if (!c || c->count < 2 || !isfinite(p->rc[0]) || !isfinite(p->rc[1]))
        return;
    size_t last = c->count - 1;
    int improved = 0;
    for (int d = 0; d < 2; d++)
        improved |= c->score[last][d] - c->score[0][d] <= -p->rc[d];
    /* The outcome is the end's; the RCI shows a deterioration from the
     * first assessment that is reliably worse, and no improvement at the
     * end. */
    r->deteriorated = deteriorated(c, last, p->rc);
    r->bad = !improved || r->deteriorated;
    size_t shown = last;
    for (size_t j = 1; r->deteriorated && j < last; j++)
        if (deteriorated(c, j, p->rc)) {
            shown = j;
            break;
        }
    long verdict = c->day[shown];

    /* The early assessments, and the longest band they need. */
    size_t early[64], ne = 0;
    for (size_t j = 1; j <= last && ne < 64; j++) {
        size_t k = attended_by(p, c->day[j]);
        if (k >= SB_CARE_EARLY_FIRST && k <= SB_CARE_EARLY_LAST)
            early[ne++] = j;
    }
    if (!ne)
        return;
    r->used = 1;
    int weeks = (int)((c->day[early[ne - 1]] - c->day[0] + 6) / 7);
    if (weeks < 1)
        weeks = 1;
    sb_care_band emp;
    r->st = sb_care_band_empirical(o->reference, o->reference_count,
                                   c->person, o->as_of, c->score[0], p->scale,
                                   weeks, &emp, &r->err);
    if (r->st != SB_OK)
        return;
    r->banded[SIDE_EMPIRICAL] = emp.ran;
    r->banded[SIDE_RCI] = 1;
    for (size_t e = 0; e < ne && r->st == SB_OK; e++) {
        size_t j = early[e];
        double week = (double)(c->day[j] - c->day[0]) / 7.0;
        sb_care_check k;
        sb_care_judge(&emp, week, c->score[0], c->score[j], p->rc, &k);
        if (emp.ran && k.signal == SB_SIGNAL_NOT_ON_TRACK)
            flag(r, SIDE_EMPIRICAL, c->day[j], verdict);
        if (deteriorated(c, j, p->rc))
            flag(r, SIDE_RCI, c->day[j], verdict);
        if (!o->model_people)
            continue;
        /* The model band knows only the inputs recorded so far. */
        sb_care_records rec;
        sb_care_inputs in;
        sb_care_records_of(p, c->day[j], &rec);
        sb_care_inputs_between(&rec, c->day[0], &in);
        sb_care_band model;
        int wk = (int)ceil(week);
        r->st = sb_care_band_model(c->score[0], p->scale, &in, wk < 1 ? 1 : wk,
                                   o->model_people,
                                   o->seed + 7919u * (uint64_t)c->person + j,
                                   &model, &r->err);
        if (r->st != SB_OK)
            break;
        r->banded[SIDE_MODEL] |= model.ran;
        sb_care_judge(&model, week, c->score[0], c->score[j], p->rc, &k);
        if (model.ran && k.signal == SB_SIGNAL_NOT_ON_TRACK)
            flag(r, SIDE_MODEL, c->day[j], verdict);
        sb_care_band_free(&model);
    }
    sb_care_band_free(&emp);
}

sb_status sb_care_evaluate(const sb_care_person *people, size_t n,
                           const sb_care_options *o, sb_care_eval *out,
                           sb_error *err)
{
    memset(out, 0, sizeof *out);
    course_result *r = calloc(n ? n : 1, sizeof *r);
    double *lead = calloc(n ? n : 1, sizeof *lead);
    sb_care_course *self = calloc(n ? n : 1, sizeof *self);
    if (!r || !lead || !self) {
        free(r);
        free(lead);
        free(self);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    /* Without a reference given, the courses themselves are it. */
    sb_care_options opt = *o;
    if (!opt.reference) {
        for (size_t i = 0; i < n; i++)
            if (people[i].series)
                self[i] = *people[i].series;
        opt.reference = self;
        opt.reference_count = n;
    }
#pragma omp parallel for schedule(dynamic)
    for (long i = 0; i < (long)n; i++)
        evaluate_course(people, (size_t)i, &opt, &r[i]);
    sb_status st = SB_OK;
    for (size_t i = 0; i < n && st == SB_OK; i++) {
        if (r[i].st != SB_OK) {
            *err = r[i].err;
            st = r[i].st;
        }
        if (!r[i].used)
            continue;
        out->courses++;
        out->bad += r[i].bad;
        out->good += !r[i].bad;
        out->deteriorated += r[i].deteriorated;
    }
    for (int s = 0; s < SIDES && st == SB_OK; s++) {
        sb_care_eval_side *side = &out->side[s];
        size_t nl = 0;
        for (size_t i = 0; i < n; i++) {
            if (!r[i].used)
                continue;
            side->no_band += !r[i].banded[s];
            if (!r[i].flagged[s])
                continue;
            if (r[i].bad) {
                side->flagged_bad++;
                lead[nl++] = r[i].lead[s];
            } else {
                side->flagged_good++;
            }
        }
        side->hit_rate = out->bad ? (double)side->flagged_bad / out->bad : NAN;
        side->false_alarm_rate =
            out->good ? (double)side->flagged_good / out->good : NAN;
        side->lead_n = nl;
        side->lead_median = side->lead_q1 = side->lead_q3 = NAN;
        if (nl) {
            side->lead_q1 = sb_care_quantile(lead, nl, 0.25);
            side->lead_median = sb_care_quantile(lead, nl, 0.5);
            side->lead_q3 = sb_care_quantile(lead, nl, 0.75);
        }
    }
    free(r);
    free(lead);
    free(self);
    return st;
}
