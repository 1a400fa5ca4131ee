/*
 * Expected recovery in the report: the band from the intake score that the
 * care layer computes (from the practice's completed courses, else from the
 * model), drawn behind the person's scores, and the signal at every later
 * questionnaire with its reason. The rules are in docs/care.md.
 */
#include "report/expected.h"

#include "report/palette.h"
#include "report/plot.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb__report_care_free(sb__report_care *c)
{
    sb_care_band_free(&c->band[0]);
    sb_care_band_free(&c->band[1]);
    free(c->series.day);
    free(c->series.score);
    memset(c, 0, sizeof *c);
}

const sb_care_band *sb__report_care_band(const sb__report_care *c)
{
    return c->band[0].ran ? &c->band[0] : c->band[1].ran ? &c->band[1] : NULL;
}

/* The stored scale of the person's series ("" = the instrument's own). */
static void stored_scale(const sb_rec_assessment *a, size_t n,
                         const sb__history *hi, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (hi->point_count && a[i].id == hi->points[0].assessment) {
            snprintf(out, size, "%s", a[i].scale);
            return;
        }
}

sb_status sb__report_care_run(const sb_rec_assessment *all, size_t count,
                              const sb__history *hi, long as_of, size_t people,
                              uint64_t seed, sb__report_care *c, sb_error *err)
{
    memset(c, 0, sizeof *c);
    c->rc[0] = hi->rc[0];
    c->rc[1] = hi->rc[1];
    size_t n = hi->point_count;
    c->series.person = hi->person.id;
    c->series.day = malloc((n ? n : 1) * sizeof *c->series.day);
    c->series.score = malloc((n ? n : 1) * sizeof *c->series.score);
    if (!c->series.day || !c->series.score)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        c->series.day[i] = hi->points[i].day;
        c->series.score[i][0] = hi->points[i].score[SB_ANXIETY];
        c->series.score[i][1] = hi->points[i].score[SB_AVOIDANCE];
    }
    c->series.count = n;
    sb_care_course *ref = NULL;
    size_t refs = 0;
    sb_status st = SB_OK;
    if (n && all && count) {
        char scale[SB_JOURNAL_SCALE_SIZE];
        stored_scale(all, count, hi, scale, sizeof scale);
        st = sb_care_courses_from(all, count, hi->instrument, scale, as_of,
                                  &ref, &refs, err);
    }
    if (st == SB_OK) {
        sb_care_person p = {n ? &c->series : NULL, hi->scale,
                            {hi->rc[0], hi->rc[1]},
                            sb__history_records(hi, as_of)};
        sb_care_options o;
        sb_care_options_default(&o);
        o.as_of = as_of;
        o.reference = ref;
        o.reference_count = refs;
        o.model_people = people;
        o.seed = seed;
        sb_care_band *b[2] = {&c->band[0], &c->band[1]};
        st = sb_care_assess(&p, &o, &c->status, b, err);
    }
    sb_care_courses_free(ref, refs);
    return st;
}

static sb__meaning signal_meaning(sb_care_signal s)
{
    return s == SB_SIGNAL_NOT_ON_TRACK ? SB_MEANING_OFF_TRACK
           : s == SB_SIGNAL_WATCH      ? SB_MEANING_WATCH
                                       : SB_MEANING_ON_TRACK;
}

sb_status sb__figure_expected(const sb__history *h, const sb__report_care *c,
                             int d, sb__figure *out, sb_error *err)
{
    out->svg = NULL;
    const sb_care_band *b = sb__report_care_band(c);
    if (!b || c->series.count < 1)
        return SB_OK;
    /* The band's weeks that have figures. */
    int last = -1;
    for (int w = 0; w <= b->weeks; w++)
        if (isfinite(b->pct[d][0][w]))
            last = w;
    if (last < 1)
        return SB_OK;
    const sb_care_course *s = &c->series;
    double span = fmax(last, (double)(s->day[s->count - 1] - s->day[0]) / 7.0);
    sb__plot *p;
    sb_status st = sb__plot_new(960, 300, &p, err);
    if (st != SB_OK)
        return st;
    sb__plot_margins(p, 56, 52, 24, 40);
    sb__plot_range(p, 0, span + 0.5, h->scale.min, h->scale.max);
    char title[200];
    snprintf(title, sizeof title, "Expected %s after intake (%s band; "
                                  "higher = more insecure)",
             d ? "avoidance" : "anxiety", sb_care_source_name(b->source));
    sb__plot_title(p, title);
    sb__plot_axes(p, SB_AXIS_NUMBER, SB_AXIS_NUMBER, "weeks since intake",
                 d ? "avoidance" : "anxiety");
    size_t n = (size_t)last + 1;
    double *x = malloc(n * sizeof *x);
    if (!x) {
        sb__plot_free(p);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t w = 0; w < n; w++)
        x[w] = (double)w;
    sb__rgba ink = sb__palette(SB_MEANING_NO_CHANGE, 1), outer = ink,
            inner = ink;
    outer.a = 0.22;
    inner.a = 0.45;
    sb__plot_band(p, x, b->pct[d][0], b->pct[d][4], n, outer);
    sb__plot_band(p, x, b->pct[d][1], b->pct[d][3], n, inner);
    sb__plot_line(p, x, b->pct[d][2], n, ink, 2, 1);
    free(x);
    double px[512], py[512];
    size_t k = 0;
    for (size_t i = 0; i < s->count && k < 512; i++) {
        px[k] = (double)(s->day[i] - s->day[0]) / 7.0;
        py[k++] = s->score[i][d];
    }
    sb__rgba color = sb__palette(d ? SB_MEANING_AVOIDANCE : SB_MEANING_ANXIETY,
                               1);
    sb__plot_line(p, px, py, k, color, 2.2, 0);
    sb__plot_points(p, px, py, 1, color, 4.5);
    for (size_t i = 1; i < k; i++) {
        sb_care_check ck;
        sb_care_judge(b, px[i], s->score[0], s->score[i], c->rc, &ck);
        sb__plot_points(p, &px[i], &py[i], 1,
                       sb__palette(signal_meaning(ck.dim[d]), 1),
                       ck.dim[d] == SB_SIGNAL_ON_TRACK ? 4.5 : 6.5);
    }
    sb__legend_entry legend[] = {
        {"scores", color, SB_MARK_LINE},
        {"expected median", ink, SB_MARK_DASH},
        {"middle 50%", inner, SB_MARK_BOX},
        {"middle 80%", outer, SB_MARK_BOX},
        {"watch", sb__palette(SB_MEANING_WATCH, 1), SB_MARK_POINT},
        {"not on track", sb__palette(SB_MEANING_OFF_TRACK, 1), SB_MARK_POINT}};
    sb__plot_legend(p, legend, 6);
    return sb__plot_finish(p, &out->svg, &out->len, err);
}

static const char *signal_class(sb_care_signal s)
{
    return s == SB_SIGNAL_NOT_ON_TRACK ? "off-track"
           : s == SB_SIGNAL_WATCH      ? "watch"
           : s == SB_SIGNAL_ON_TRACK   ? "on-track"
                                       : "neutral";
}

static void band_words(sb__html *h, const sb_care_band *b)
{
    sb__html_put(h, "<li><b>%s</b>: ", b->source == SB_CARE_MODEL
                                          ? "Model"
                                          : "Empirical");
    if (!b->ran) {
        sb__html_put(h, "none (");
        sb__html_text(h, b->why);
        sb__html_put(h, ").</li>");
    } else if (b->source == SB_CARE_MODEL) {
        sb__html_put(h, "%zu simulated people started at the intake scores "
                       "and living with the sessions, attendance, "
                       "reflections, practice and relationships recorded "
                       "since; their questionnaire scores, measurement error "
                       "included. A model, not clinical data.</li>", b->n);
    } else {
        sb__html_put(h, "the %zu completed courses of this practice on the "
                       "same questionnaire whose intake was nearest, each "
                       "one's change since its intake laid onto this "
                       "person's intake.</li>", b->n);
    }
}

void sb__report_care_part(sb__html *h, const sb__history *hi,
                         const sb__report_care *c, sb_error *err,
                         sb_status *st)
{
    const sb_care_status *s = &c->status;
    const sb_care_band *b = sb__report_care_band(c);
    sb__html_put(h, "<h3 id=\"expected\">Expected recovery: on track?</h3>");
    sb__html_put(h, "<p class=\"lead\">Now: <b class=\"%s\">%s</b>",
                signal_class(s->signal), sb_care_signal_name(s->signal));
    if (!s->checks)
        sb__html_put(h, " &ndash; %s", hi->point_count
                                          ? "only the intake score so far"
                                          : "no questionnaire yet");
    else if (!b && s->signal == SB_SIGNAL_NONE)
        sb__html_put(h, " &ndash; no expected band could be made");
    const sb_care_attendance *a = &s->attendance;
    if (a->alert_missed)
        sb__html_put(h, "; <b class=\"off-track\">%zu sessions missed in a "
                       "row</b>", a->missed_in_a_row);
    if (a->alert_gap)
        sb__html_put(h, "; <b class=\"off-track\">%ld days since the last "
                       "attended session</b>", a->gap_days);
    sb__html_put(h, ".</p><p>Each questionnaire after intake is compared with "
                   "where comparable clients stood the same number of weeks "
                   "after an intake like this one. Worse than 3 in 4 of them "
                   "is <i>watch</i>; worse than 9 in 10, or reliably worse "
                   "than the intake, is <i>not on track</i>, a reason to "
                   "talk about how therapy is going, not a verdict.</p><ul>");
    band_words(h, &c->band[0]);
    band_words(h, &c->band[1]);
    sb__html_put(h, "</ul>");
    if (b)
        sb__html_put(h, "<p>Judged against the <b>%s</b> band%s.</p>",
                    sb_care_source_name(b->source),
                    b->source == SB_CARE_MODEL
                        ? ", as the practice's own courses could not make one"
                        : "");
    for (int d = 0; d < 2 && *st == SB_OK && b; d++) {
        sb__figure f;
        *st = sb__figure_expected(hi, c, d, &f, err);
        if (*st == SB_OK && f.svg) {
            char alt[160];
            snprintf(alt, sizeof alt, "Expected %s after intake with the "
                                      "person's scores",
                     d ? "avoidance" : "anxiety");
            sb__html_svg(h, f.svg, f.len, alt);
            free(f.svg);
        }
    }
    if (!s->checks || !b)
        return;
    sb__html_scroll_begin(h, "Scores against the expected course");
    sb__html_put(h, "<table><tr><th>week</th><th class=\"num\">anxiety</th>"
                   "<th class=\"num\">expected middle 50%%</th><th class="
                   "\"num\">avoidance</th><th class=\"num\">expected middle "
                   "50%%</th><th>signal</th></tr>");
    const sb_care_course *se = &c->series;
    for (size_t i = 1; i < se->count; i++) {
        double week = (double)(se->day[i] - se->day[0]) / 7.0;
        sb_care_check k;
        sb_care_judge(b, week, se->score[0], se->score[i], c->rc, &k);
        sb__html_put(h, "<tr><td>%.1f</td>", week);
        for (int d = 0; d < 2; d++) {
            double lo = sb_care_band_at(b, d, 1, week);
            double hi_ = sb_care_band_at(b, d, 3, week);
            sb__html_put(h, "<td class=\"num\">%.2f</td>", k.score[d]);
            if (isfinite(lo))
                sb__html_put(h, "<td class=\"num\">%.2f&ndash;%.2f</td>", lo,
                            hi_);
            else
                sb__html_put(h, "<td class=\"num\">&ndash;</td>");
        }
        sb__html_put(h, "<td class=\"%s\">%s</td></tr>",
                    signal_class(k.signal), sb_care_signal_name(k.signal));
    }
    sb__html_put(h, "</table></div>");
}
