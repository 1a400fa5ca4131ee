/*
 * The model's expected-recovery band, and the calibration it rests on: a
 * scenario whose people start at one person's scores and live with the
 * inputs that person's records show (sessions and attendance, reflections,
 * practice, relationships). Everything the records do not say is the
 * model's default (docs/model.md); mapping a recorded relationship onto the
 * model's responsiveness and consistency is an assumption.
 */
#include "care/internal.h"

#include <securebase/sim.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double sb_care_to_model(sb_scale scale, double x)
{
    return SB_SCALE_MIN + (x - scale.min) * (SB_SCALE_MAX - SB_SCALE_MIN) /
                              (scale.max - scale.min);
}

double sb_care_from_model(sb_scale scale, double y)
{
    return scale.min + (y - SB_SCALE_MIN) * (scale.max - scale.min) /
                           (SB_SCALE_MAX - SB_SCALE_MIN);
}

static long day_of(const char *date)
{
    sb_date d;
    return sb_date_parse(date, &d, NULL) == SB_OK ? sb_date_days(d) : LONG_MIN;
}

static int within(const char *date, long from, long to)
{
    long d = day_of(date);
    return d > from && d <= to;
}

void sb_care_inputs_from(const sb_rec_session *s, size_t ns,
                         const sb_rec_reflection *r, size_t nr,
                         const sb_rec_practice *p, size_t np,
                         const sb_rec_relationship *rel, size_t nrel,
                         long from, long to, sb_care_inputs *out)
{
    memset(out, 0, sizeof *out);
    if (to - from < 7)
        from = to - 7;
    double weeks = (double)(to - from) / 7.0;
    size_t scheduled = 0, attended = 0, reflected = 0, practised = 0;
    for (size_t i = 0; i < ns; i++)
        if (within(s[i].date, from, to)) {
            scheduled++;
            attended += s[i].attended == 1;
        }
    for (size_t i = 0; i < nr; i++)
        reflected += within(r[i].date, from, to);
    for (size_t i = 0; i < np; i++)
        practised += within(p[i].date, from, to);
    out->sessions_per_week = fmin((double)scheduled / weeks, 7.0);
    out->attendance = scheduled ? (double)attended / (double)scheduled : 0;
    out->reflections_per_week = fmin((double)reflected / weeks, 50.0);
    out->practice_per_week = fmin((double)practised / weeks, 50.0);
    out->relationships_recorded = nrel > 0;
    for (size_t i = 0; i < nrel && out->relationship_count < SB_MAX_RELATIONSHIPS;
         i++) {
        if (day_of(rel[i].start) > to ||
            (rel[i].end[0] && day_of(rel[i].end) <= to))
            continue;
        out->relationships[out->relationship_count++] = &rel[i];
    }
}

/* The model's everyday defaults for a kind: contacts a week and weight. */
static void kind_defaults(const sb_scenario *def, int kind, double *contacts,
                          double *weight)
{
    *contacts = 1.0;
    *weight = 0.2; /* assumption for "other" */
    for (size_t r = 0; r < def->relationship_count; r++)
        if ((int)def->relationships[r].kind == kind) {
            *contacts = def->relationships[r].contacts_per_week;
            *weight = def->relationships[r].weight;
        }
}

void sb_care_scenario(const double start[2], const sb_care_inputs *in,
                      int weeks, sb_scenario *sc)
{
    sb_scenario def;
    sb_scenario_default(&def);
    sb_scenario_default(sc);
    snprintf(sc->name, sizeof sc->name, "person");
    snprintf(sc->description, sizeof sc->description,
             "calibrated to one person's scores and recorded inputs");
    /* Everyone starts at the scores: a prototype centred there, with the
     * model's measurement error as spread, and no burn-in. */
    for (int k = 0; k < SB_PROTO_COUNT; k++) {
        sc->params.proto_center[k][0] = start[0];
        sc->params.proto_center[k][1] = start[1];
        sc->population.prototype_share[k] = k == 0;
    }
    sc->params.proto_sd = sc->params.sem_anxiety;
    sc->params.burn_in_weeks = 0;
    if (in->sessions_per_week > 0) {
        sc->therapy.sessions_per_week = in->sessions_per_week;
        sc->therapy.attendance = in->attendance;
        sc->therapy.start_week = 0;
        sc->therapy.weeks = weeks;
        sc->followup_weeks = 0;
    } else {
        sc->therapy.sessions_per_week = 0;
        sc->therapy.weeks = 0;
        sc->followup_weeks = weeks;
    }
    sc->reflection = (sb_habit){in->reflections_per_week, 0, -1};
    sc->practice = (sb_habit){in->practice_per_week, 0, -1};
    if (!in->relationships_recorded)
        return;
    sc->relationship_count = in->relationship_count;
    for (size_t i = 0; i < in->relationship_count; i++) {
        const sb_rec_relationship *r = in->relationships[i];
        sb_relationship *m = &sc->relationships[i];
        memset(m, 0, sizeof *m);
        snprintf(m->name, sizeof m->name, "%.*s", (int)sizeof m->name - 1,
                 r->name);
        /* A scenario's names must be given and unique; two friends may
         * share a first name. */
        if (!m->name[0] || sb_scenario_relationship_index(sc, m->name) <
                               (int)i)
            snprintf(m->name, sizeof m->name, "%zu %.*s", i + 1,
                     (int)sizeof m->name - 8, r->name);
        m->kind = (sb_relationship_kind)r->kind;
        m->share = 1;
        m->responsiveness = r->supportive ? SB_CARE_SUPPORTIVE_RESPONSIVENESS
                                          : SB_CARE_STRAINING_RESPONSIVENESS;
        m->consistency = r->supportive ? SB_CARE_SUPPORTIVE_CONSISTENCY
                                       : SB_CARE_STRAINING_CONSISTENCY;
        kind_defaults(&def, r->kind, &m->contacts_per_week, &m->weight);
        m->secure = r->secure == 1;
        m->start_week = 0;
        m->end_week = -1;
    }
}

sb_status sb_care_band_model(const double intake[2], sb_scale scale,
                             const sb_care_inputs *in, int weeks,
                             size_t persons, uint64_t seed, sb_care_band *b,
                             sb_error *err)
{
    memset(b, 0, sizeof *b);
    b->source = SB_CARE_MODEL;
    b->intake[0] = intake[0];
    b->intake[1] = intake[1];
    if (weeks < 1 || weeks > SB_CARE_MAX_WEEKS || persons < 1)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a model band of %d weeks on %zu people: must be "
                            "1-%d weeks on at least one",
                            weeks, persons, SB_CARE_MAX_WEEKS);
    double start[2] = {sb_care_to_model(scale, intake[0]),
                       sb_care_to_model(scale, intake[1])};
    sb_scenario *sc = malloc(sizeof *sc);
    if (!sc)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sb_care_scenario(start, in, weeks, sc);
    sb_status st = sb_scenario_check(sc, err);
    if (st != SB_OK) {
        sb_error_prefix(err, "cannot calibrate the model band: ");
        free(sc);
        return st;
    }
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.seed = seed;
    opt.persons = persons;
    opt.weeks = weeks;
    opt.threads = 1; /* small runs; the caller may run many side by side */
    opt.trajectories = persons;
    sb_sim_result *res = NULL;
    st = sb_simulate(sc, &opt, &res, err);
    free(sc);
    if (st != SB_OK)
        return st;
    int T = sb_sim_weeks(res) < weeks ? sb_sim_weeks(res) : weeks;
    size_t k = sb_sim_trajectory_count(res);
    double *v = malloc((k ? k : 1) * sizeof *v);
    st = v ? sb__care_band_alloc(b, T, err)
           : sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (int w = 0; st == SB_OK && w <= T; w++)
        for (int d = 0; d < 2 && k; d++) {
            for (size_t i = 0; i < k; i++) {
                const sb_trajectory_point *pt = &sb_sim_trajectory(res, i)[w];
                v[i] = sb_care_from_model(scale, d ? pt->obs_avoidance
                                                   : pt->obs_anxiety);
            }
            sb__care_band_fill(b, d, w, v, k);
        }
    free(v);
    sb_sim_result_free(res);
    if (st != SB_OK) {
        sb_care_band_free(b);
        return st;
    }
    b->n = k;
    b->ran = k > 0;
    if (!k)
        snprintf(b->why, sizeof b->why, "the simulation kept no paths");
    return SB_OK;
}
