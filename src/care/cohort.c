/*
 * Simulated cohorts for evaluating the signal: courses of therapy whose
 * outcome the model knows, written as the records a practice would keep
 * (a session every week, attended or missed, and a questionnaire after
 * every attended session) so that the evaluation reads them exactly as it
 * reads a real journal. Simulated courses are not clinical data.
 */
#include <securebase/care.h>

#include <securebase/sim.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cohort's calendar starts on a Monday; any date would do. */
static const sb_date cohort_start = {2025, 1, 6};

void sb_care_cohort_free(sb_care_cohort *c)
{
    if (c->courses)
        sb_care_courses_free(c->courses, c->count);
    free(c->people);
    free(c->sessions);
    memset(c, 0, sizeof *c);
}

static sb_status fill(sb_care_cohort *c, const sb_scenario *sc,
                      const sb_sim_result *res, int first, int weeks,
                      sb_error *err)
{
    const sb_params *k = &sc->params;
    long day0 = sb_date_days(cohort_start);
    size_t n = c->count;
    for (size_t i = 0; i < n; i++) {
        const sb_trajectory_point *pt = sb_sim_trajectory(res, i);
        sb_care_course *cc = &c->courses[i];
        sb_care_person *p = &c->people[i];
        cc->person = (sb_id)(i + 1);
        cc->day = malloc(((size_t)weeks + 1) * sizeof *cc->day);
        cc->score = malloc(((size_t)weeks + 1) * sizeof *cc->score);
        if (!cc->day || !cc->score)
            return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                "out of memory");
        cc->day[0] = day0;
        cc->score[0][0] = pt[first].obs_anxiety;
        cc->score[0][1] = pt[first].obs_avoidance;
        cc->count = 1;
        sb_rec_session *s = &c->sessions[i * (size_t)weeks];
        for (int w = 0; w < weeks; w++) {
            const sb_trajectory_point *now = &pt[first + w];
            const sb_trajectory_point *next = &pt[first + w + 1];
            memset(&s[w], 0, sizeof s[w]);
            s[w].id = (sb_id)(i * (size_t)weeks + (size_t)w + 1);
            s[w].person = cc->person;
            sb_date_format(sb_date_from_days(day0 + 7L * w + 3), s[w].date);
            s[w].attended = now->sessions > 0;
            s[w].minutes = 50;
            if (!s[w].attended)
                continue;
            cc->day[cc->count] = day0 + 7L * (w + 1);
            cc->score[cc->count][0] = next->obs_anxiety;
            cc->score[cc->count][1] = next->obs_avoidance;
            cc->count++;
        }
        p->series = cc;
        p->scale = (sb_scale){(int)SB_SCALE_MIN, (int)SB_SCALE_MAX};
        /* Reliable change of the model's own questionnaire: 1.96 x
         * sqrt(2) x its measurement error. */
        p->rc[0] = 1.96 * sqrt(2.0) * k->sem_anxiety;
        p->rc[1] = 1.96 * sqrt(2.0) * k->sem_avoidance;
        p->records.sessions = s;
        p->records.session_count = (size_t)weeks;
    }
    return SB_OK;
}

sb_status sb_care_cohort_simulate(const sb_scenario *sc, size_t people,
                                  int weeks, uint64_t seed,
                                  sb_care_cohort *out, sb_error *err)
{
    memset(out, 0, sizeof *out);
    int first = sc->therapy.start_week;
    if (sc->therapy.weeks < 1 || sc->therapy.sessions_per_week <= 0)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scenario '%s' has no course of therapy to "
                            "evaluate the signal on",
                            sc->name);
    if (weeks < 1 || weeks > sc->therapy.weeks)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a course of %d weeks: must be 1-%d, the "
                            "length of scenario '%s''s therapy",
                            weeks, sc->therapy.weeks, sc->name);
    if (people < 2)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a cohort of %zu: at least 2 people", people);
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.seed = seed;
    opt.persons = people;
    opt.trajectories = people;
    opt.weeks = first + weeks + 1;
    sb_sim_result *res = NULL;
    sb_status st = sb_simulate(sc, &opt, &res, err);
    if (st != SB_OK)
        return st;
    out->count = people;
    out->people = calloc(people, sizeof *out->people);
    out->courses = calloc(people, sizeof *out->courses);
    out->sessions = calloc(people * (size_t)weeks, sizeof *out->sessions);
    if (!out->people || !out->courses || !out->sessions)
        st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    else
        st = fill(out, sc, res, first, weeks, err);
    sb_sim_result_free(res);
    if (st != SB_OK)
        sb_care_cohort_free(out);
    return st;
}
