/*
 * A person's standing as of a date: the expected band from their intake
 * (empirical where the practice has enough completed courses, and the
 * model's), every later assessment judged against it, attendance, and an
 * order of risk for a caseload.
 */
#include <securebase/care.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

void sb_care_options_default(sb_care_options *o)
{
    memset(o, 0, sizeof *o);
    o->model_people = SB_CARE_MODEL_PEOPLE;
    o->seed = 1;
}

void sb_care_records_of(const sb_care_person *p, long as_of,
                        sb_care_records *out)
{
    *out = p->records;
    out->as_of = as_of;
}

/* How far the score is above the band's median, in widths P90 - P50. */
static double excess(const sb_care_band *b, const sb_care_check *c)
{
    double worst = NAN;
    for (int d = 0; d < 2; d++) {
        double p50 = sb_care_band_at(b, d, 2, c->week);
        double p90 = sb_care_band_at(b, d, 4, c->week);
        if (!isfinite(p50) || !isfinite(p90))
            continue;
        double e = (c->score[d] - p50) / fmax(p90 - p50, 1e-9);
        if (!(e <= worst))
            worst = e;
    }
    return worst;
}

sb_status sb_care_assess(const sb_care_person *p, const sb_care_options *o,
                         sb_care_status *out, sb_care_band *bands[2],
                         sb_error *err)
{
    memset(out, 0, sizeof *out);
    out->excess = NAN;
    sb_care_band own[2];
    sb_care_band *b[2] = {bands && bands[0] ? bands[0] : &own[0],
                          bands && bands[1] ? bands[1] : &own[1]};
    memset(b[0], 0, sizeof *b[0]);
    memset(b[1], 0, sizeof *b[1]);
    b[SB_CARE_EMPIRICAL]->source = SB_CARE_EMPIRICAL;
    b[SB_CARE_MODEL]->source = SB_CARE_MODEL;
    sb_care_attendance_check(p->records.sessions, p->records.session_count,
                             o->as_of,
                             &out->attendance);
    const sb_care_course *c = p->series;
    size_t n = 0;
    while (c && n < c->count && c->day[n] <= o->as_of)
        n++;
    if (n < 2) {
        /* Nothing to judge yet: no band is worth its cost. */
        const char *why = n ? "only the intake so far" : "no assessment yet";
        snprintf(b[0]->why, sizeof b[0]->why, "%s", why);
        snprintf(b[1]->why, sizeof b[1]->why, "%s", why);
        return SB_OK;
    }
    const double *intake = c->score[0];
    long span = c->day[n - 1] - c->day[0];
    int weeks = (int)((span + 6) / 7);
    if (weeks < 1)
        weeks = 1;
    if (weeks > SB_CARE_MAX_WEEKS)
        weeks = SB_CARE_MAX_WEEKS;
    sb_status st = sb_care_band_empirical(o->reference, o->reference_count,
                                          c->person, o->as_of, intake,
                                          p->scale, weeks, b[0], err);
    if (st == SB_OK && o->model_people && !(o->model_fallback && b[0]->ran)) {
        sb_care_records rec;
        sb_care_inputs in;
        sb_care_records_of(p, c->day[n - 1], &rec);
        sb_care_inputs_between(&rec, c->day[0], &in);
        st = sb_care_band_model(intake, p->scale, &in, weeks, o->model_people,
                                o->seed, b[1], err);
    } else if (st == SB_OK) {
        snprintf(b[1]->why, sizeof b[1]->why, "%s",
                 o->model_people ? "the empirical band was enough"
                                 : "the model band was not asked for");
    }
    if (st == SB_OK) {
        const sb_care_band *judge = b[0]->ran ? b[0] : b[1]->ran ? b[1] : NULL;
        out->has_band = judge != NULL;
        out->source = judge ? judge->source : SB_CARE_EMPIRICAL;
        for (size_t i = 1; i < n; i++) {
            sb_care_check k;
            k.day = c->day[i];
            sb_care_judge(judge, (double)(c->day[i] - c->day[0]) / 7.0,
                          intake, c->score[i], p->rc, &k);
            out->not_on_track += k.signal == SB_SIGNAL_NOT_ON_TRACK;
            out->latest = k;
            out->checks++;
        }
        if (out->checks) {
            out->signal = out->latest.signal;
            out->excess = excess(judge, &out->latest);
        }
    }
    for (int s = 0; s < 2; s++)
        if (st != SB_OK || b[s] == &own[s])
            sb_care_band_free(b[s]);
    return st;
}

static int rank(const sb_care_status *s)
{
    int alerts = s->attendance.alert_missed || s->attendance.alert_gap;
    switch (s->signal) {
    case SB_SIGNAL_NOT_ON_TRACK: return 4;
    case SB_SIGNAL_WATCH: return 3;
    case SB_SIGNAL_NONE: return alerts ? 2 : 1;
    default: return alerts ? 2 : 0;
    }
}

int sb_care_status_cmp(const sb_care_status *a, const sb_care_status *b)
{
    int ra = rank(a), rb = rank(b);
    if (ra != rb)
        return rb - ra;
    int aa = a->attendance.alert_missed + a->attendance.alert_gap;
    int ab = b->attendance.alert_missed + b->attendance.alert_gap;
    if (aa != ab)
        return ab - aa;
    double ea = isfinite(a->excess) ? a->excess : -INFINITY;
    double eb = isfinite(b->excess) ? b->excess : -INFINITY;
    return (eb > ea) - (eb < ea);
}
