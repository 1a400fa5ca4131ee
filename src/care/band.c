/*
 * The empirical expected-recovery band: the nearest-intake neighbours among
 * a practice's completed courses (as MyOutcomes draws its expected
 * treatment response), each neighbour's change since its own intake laid
 * onto the client's intake, and the spread of those paths week by week.
 * docs/care.md says why neighbours rather than a mixed model on
 * log(session).
 */
#include "care/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double quantiles[5] = {0.10, 0.25, 0.50, 0.75, 0.90};

const char *sb_care_source_name(sb_care_source s)
{
    return s == SB_CARE_MODEL ? "model" : "empirical";
}

void sb_care_band_free(sb_care_band *b)
{
    for (int d = 0; d < 2; d++)
        for (int q = 0; q < 5; q++)
            free(b->pct[d][q]);
    memset(b, 0, sizeof *b);
}

static int double_cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

double sb_care_quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, double_cmp);
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* Allocates weeks 0..weeks of every percentile, all NAN. */
sb_status sb__care_band_alloc(sb_care_band *b, int weeks, sb_error *err)
{
    b->weeks = weeks;
    for (int d = 0; d < 2; d++)
        for (int q = 0; q < 5; q++) {
            b->pct[d][q] = malloc(((size_t)weeks + 1) * sizeof(double));
            if (!b->pct[d][q])
                return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                    "out of memory");
            for (int w = 0; w <= weeks; w++)
                b->pct[d][q][w] = NAN;
        }
    return SB_OK;
}

/* Fills week w of dimension d from v[0..n) (sorted in place). */
void sb__care_band_fill(sb_care_band *b, int d, int w, double *v, size_t n)
{
    for (int q = 0; q < 5; q++)
        b->pct[d][q][w] = sb_care_quantile(v, n, quantiles[q]);
}

double sb_care_band_at(const sb_care_band *b, int d, int q, double week)
{
    if (!b || !b->ran || d < 0 || d > 1 || q < 0 || q > 4 || !(week >= 0) ||
        week > b->weeks)
        return NAN;
    int lo = (int)floor(week);
    if (lo >= b->weeks)
        return b->pct[d][q][b->weeks];
    double f = week - lo;
    return b->pct[d][q][lo] + f * (b->pct[d][q][lo + 1] - b->pct[d][q][lo]);
}

/* A course's score at day t (linear between assessments). */
static double course_at(const sb_care_course *c, int d, long t)
{
    size_t i = 1;
    while (i < c->count - 1 && c->day[i] < t)
        i++;
    long t0 = c->day[i - 1], t1 = c->day[i];
    double f = t1 > t0 ? (double)(t - t0) / (double)(t1 - t0) : 1.0;
    return c->score[i - 1][d] + f * (c->score[i][d] - c->score[i - 1][d]);
}

typedef struct neighbour {
    const sb_care_course *c;
    double dist;
} neighbour;

static int neighbour_cmp(const void *x, const void *y)
{
    const neighbour *a = x, *b = y;
    if (a->dist != b->dist)
        return a->dist < b->dist ? -1 : 1;
    return (a->c->person > b->c->person) - (a->c->person < b->c->person);
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

sb_status sb_care_band_empirical(const sb_care_course *ref, size_t n,
                                 sb_id self, long as_of,
                                 const double intake[2], sb_scale scale,
                                 int weeks, sb_care_band *b, sb_error *err)
{
    memset(b, 0, sizeof *b);
    b->source = SB_CARE_EMPIRICAL;
    b->intake[0] = intake[0];
    b->intake[1] = intake[1];
    if (weeks < 0 || weeks > SB_CARE_MAX_WEEKS)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a band of %d weeks: must be 0-%d", weeks,
                            SB_CARE_MAX_WEEKS);
    neighbour *nb = malloc((n ? n : 1) * sizeof *nb);
    if (!nb)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (ref[i].person == self || !sb_care_course_completed(&ref[i], as_of))
            continue;
        double da = ref[i].score[0][0] - intake[0];
        double dv = ref[i].score[0][1] - intake[1];
        nb[m++] = (neighbour){&ref[i], da * da + dv * dv};
    }
    if (m < SB_CARE_MIN_COURSES) {
        snprintf(b->why, sizeof b->why,
                 "%zu completed course%s on this questionnaire; the "
                 "empirical band needs %d",
                 m, m == 1 ? "" : "s", SB_CARE_MIN_COURSES);
        free(nb);
        return SB_OK;
    }
    qsort(nb, m, sizeof *nb, neighbour_cmp);
    size_t k = m < SB_CARE_NEIGHBOURS ? m : SB_CARE_NEIGHBOURS;
    double *v = malloc(k * sizeof *v);
    sb_status st = v ? sb__care_band_alloc(b, weeks, err)
                     : sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                    "out of memory");
    for (int w = 0; st == SB_OK && w <= weeks; w++)
        for (int d = 0; d < 2; d++) {
            size_t got = 0;
            for (size_t i = 0; i < k; i++) {
                const sb_care_course *c = nb[i].c;
                long t = c->day[0] + 7L * w;
                if (t > c->day[c->count - 1])
                    continue;
                double change = course_at(c, d, t) - c->score[0][d];
                v[got++] = clamp(intake[d] + change, scale.min, scale.max);
            }
            if (got >= SB_CARE_MIN_AT_WEEK)
                sb__care_band_fill(b, d, w, v, got);
        }
    free(v);
    free(nb);
    if (st != SB_OK) {
        sb_care_band_free(b);
        return st;
    }
    b->n = k;
    b->ran = 1;
    return SB_OK;
}
