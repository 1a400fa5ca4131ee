/*
 * What-if plans for one person's records: their history built as the
 * report builds it, handed to the care layer as structs, and the comparison
 * drawn as an HTML table for the report and the web app.
 */
#include "report/whatif.h"
#include "report/history.h"
#include "report/plot.h"

#include <securebase/report.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sb_status sb_report_whatif(const sb_person_records *records,
                           const char *as_of, const sb_plan *plans,
                           size_t plan_count, const sb_whatif_options *o,
                           sb_whatif *out, char used[SB_DATE_SIZE],
                           sb_error *err)
{
    memset(out, 0, sizeof *out);
    sb_status st;
    long day = 0;
    if (as_of) {
        sb_date d;
        if ((st = sb_date_parse(as_of, &d, err)) != SB_OK) {
            sb_error_prefix(err, "as-of date: ");
            return st;
        }
        day = sb_date_days(d);
    }
    sb__history h;
    st = sb__history_load(records, day, NULL, NULL, NULL, &h, err);
    if (st == SB_OK) {
        if (!day)
            day = h.last_day;
        sb_date_format(sb_date_from_days(day), used);
        st = sb__whatif_from_history(&h, day, plans, plan_count, o, out, err);
    }
    sb__history_free(&h);
    return st;
}

sb_status sb__whatif_from_history(const sb__history *h, long as_of,
                                 const sb_plan *plans, size_t plan_count,
                                 const sb_whatif_options *o, sb_whatif *out,
                                 sb_error *err)
{
    sb_care_series s;
    memset(&s, 0, sizeof s);
    snprintf(s.instrument, sizeof s.instrument, "%s", h->instrument);
    s.scale = h->scale;
    s.count = h->point_count;
    s.anxiety = s.avoidance = NAN;
    if (h->point_count) {
        s.latest = h->point_count - 1;
        s.anxiety = h->points[s.latest].score[SB_ANXIETY];
        s.avoidance = h->points[s.latest].score[SB_AVOIDANCE];
    }
    sb_care_records r = sb__history_records(h, as_of);
    sb_care_inputs in;
    sb_care_inputs_from_records(&r, &in);
    sb_status st = sb_whatif_run(&s, &in, plans, plan_count, o, out, err);
    if (st != SB_OK)
        sb_error_prefix(err, "%s: ", h->person.name);
    return st;
}

/* "+0.12 ± 0.01" with the sign; a dash for keep. */
static void put_diff(sb__html *h, double d, double se, double scale,
                     const char *unit)
{
    if (isnan(d)) {
        sb__html_put(h, "<td>&mdash;</td>");
        return;
    }
    sb__html_put(h, "<td>%+.*f%s &plusmn; %.*f</td>", scale > 1 ? 1 : 2,
                d * scale, unit, scale > 1 ? 1 : 3, se * scale);
}

static void inputs_words(sb__html *h, const sb_care_inputs *in)
{
    if (in->sessions_per_week > 0)
        sb__html_put(h, "therapy %.2f a week (%.0f%% attended)",
                    in->sessions_per_week, 100 * in->attendance);
    else
        sb__html_put(h, "no therapy");
    sb__html_put(h, "; reflection %.2f and practice %.2f a week; ",
                in->reflections_per_week, in->practice_per_week);
    if (!in->relationships_recorded && !in->relationship_count) {
        sb__html_put(h, "the model's everyday relationships");
        return;
    }
    if (!in->relationship_count)
        sb__html_put(h, "no relationships");
    for (size_t i = 0; i < in->relationship_count; i++) {
        const sb_care_relationship *r = &in->relationships[i];
        sb__html_put(h, "%s", i ? ", " : "");
        sb__html_text(h, r->name);
        sb__html_put(h, " (%s, %s%s)", sb_relationship_kind_name(r->kind),
                    r->supportive ? "supportive" : "straining",
                    r->secure ? ", secure" : "");
    }
    if (!in->relationships_recorded)
        sb__html_put(h, " beside the model's everyday relationships");
}

/* Plan colours: keep in near-black, the others from Okabe & Ito's
 * palette for colour-blind readers (yellow left out: too pale on white). */
static const unsigned plan_colours[SB_PLAN_MAX] = {
    0x333333, 0xD55E00, 0x0072B2, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9,
    0x7F7F7F};

/* The weekly median of dimension d under every plan, as an SVG image. */
static void chart(sb__html *h, const sb_whatif *w, int d)
{
    static const char *const dims[2] = {"anxiety", "avoidance"};
    sb__plot *p;
    if (sb__plot_new(960, 300, &p, NULL) != SB_OK) {
        h->failed = 1;
        return;
    }
    sb__plot_margins(p, 56, 56, 24, 44);
    sb__plot_range(p, 0, w->weeks, w->scale.min, w->scale.max);
    char title[160];
    snprintf(title, sizeof title, "MODEL: median %s under each plan "
                                  "(simulated, not a prediction)",
             dims[d]);
    sb__plot_title(p, title);
    sb__plot_axes(p, SB_AXIS_NUMBER, SB_AXIS_NUMBER, "weeks from now", dims[d]);
    sb__plot_hline(p, w->secure_cutoff, sb__rgb(0x6b6b6b, 1), 1);
    sb__plot_text(p, w->weeks - 0.5,
                 w->secure_cutoff - (w->scale.max - w->scale.min) * 0.06,
                 "secure below (with the other dimension)", SB_ANCHOR_RIGHT,
                 11, sb__rgb(0x6b6b6b, 1), 0);
    size_t n = (size_t)w->weeks + 1;
    double *x = malloc(n * sizeof *x);
    if (!x) {
        sb__plot_free(p);
        h->failed = 1;
        return;
    }
    for (size_t t = 0; t < n; t++)
        x[t] = (double)t;
    /* Keep last and dashed, so that a plan that does not change this
     * person's inputs still shows beneath it. */
    sb__legend_entry legend[SB_PLAN_MAX];
    for (size_t k = 0; k < w->plan_count; k++) {
        size_t i = (k + 1) % w->plan_count;
        sb__rgba c = sb__rgb(plan_colours[i], 1);
        sb__plot_line(p, x, w->plans[i].median[d], n, c, 2.2, i == 0);
        legend[i] = (sb__legend_entry){w->plans[i].plan.name, c,
                                      i ? SB_MARK_LINE : SB_MARK_DASH};
    }
    free(x);
    sb__plot_legend(p, legend, w->plan_count);
    char *svg;
    size_t len;
    if (sb__plot_finish(p, &svg, &len, NULL) != SB_OK) {
        h->failed = 1;
        return;
    }
    char alt[200];
    snprintf(alt, sizeof alt, "Model: median %s over %d weeks under each "
                              "plan (simulation); the table below has the "
                              "figures",
             dims[d], w->weeks);
    sb__html_svg(h, svg, len, alt);
    free(svg);
}

void sb__whatif_html(sb__html *h, const sb_whatif *w)
{
    sb__html_put(h, "<p class=\"banner\">This is the output of a simulation "
                   "model, not a prediction for this person: %zu simulated "
                   "people start where these scores are now and live each "
                   "plan for %d weeks.</p>",
                w->persons, w->weeks);
    sb__html_put(h, "<p>Now: anxiety %.2f, avoidance %.2f on a %d-%d scale "
                   "(lower is more secure; the model's secure region is both "
                   "below %.2f). Recorded over the last %d weeks: ",
                w->start[0], w->start[1], w->scale.min, w->scale.max,
                w->secure_cutoff, SB_CARE_WINDOW_WEEKS);
    inputs_words(h, &w->recorded);
    sb__html_put(h, ".</p>");
    for (int d = 0; d < 2; d++)
        chart(h, w, d);
    for (int k = 0; k < SB_WHATIF_HORIZONS; k++) {
        int weeks = w->horizon_weeks[k];
        char label[64];
        snprintf(label, sizeof label, "Plans after %d weeks", weeks);
        sb__html_scroll_begin(h, label);
        sb__html_put(h, "<table class=\"whatif\"><caption>After %d weeks "
                       "(about %d months)</caption><tr><th scope=\"col\">plan"
                       "</th><th scope=\"col\">anxiety: median [10th-90th]"
                       "</th><th scope=\"col\">avoidance: median [10th-90th]"
                       "</th><th scope=\"col\">chance secure</th>"
                       "<th scope=\"col\">vs keep: chance secure</th>"
                       "<th scope=\"col\">vs keep: anxiety</th>"
                       "<th scope=\"col\">vs keep: avoidance</th></tr>",
                    weeks, (int)lround(weeks * 12.0 / 52.0));
        for (size_t i = 0; i < w->plan_count; i++) {
            const sb_whatif_plan *p = &w->plans[i];
            const sb_whatif_outcome *o = &p->at[k];
            sb__html_put(h, "<tr><th scope=\"row\">");
            sb__html_text(h, p->plan.name);
            if (p->plan.changes[0] && strcmp(p->plan.name, p->plan.changes)) {
                sb__html_put(h, " <small>(");
                sb__html_text(h, p->plan.changes);
                sb__html_put(h, ")</small>");
            }
            sb__html_put(h, "</th>");
            for (int d = 0; d < 2; d++)
                sb__html_put(h, "<td>%.2f [%.2f&ndash;%.2f]</td>", o->pct[d][2],
                            o->pct[d][0], o->pct[d][4]);
            sb__html_put(h, "<td>%.1f%% &plusmn; %.1f</td>", 100 * o->secure,
                        100 * o->secure_se);
            put_diff(h, o->diff_secure, o->diff_secure_se, 100, " pts");
            put_diff(h, o->diff_mean[0], o->diff_mean_se[0], 1, "");
            put_diff(h, o->diff_mean[1], o->diff_mean_se[1], 1, "");
            sb__html_put(h, "</tr>");
        }
        sb__html_put(h, "</table></div>");
    }
    sb__html_put(h, "<p class=\"note\">Differences are the plan minus keep "
                   "for the same simulated people (a negative anxiety or "
                   "avoidance difference is toward security); &plusmn; is "
                   "one Monte-Carlo standard error. Seed %llu.",
                (unsigned long long)w->seed);
    if (w->posterior_particles)
        sb__html_put(h, " Each simulated person's model parameters are drawn "
                       "from a calibration's posterior (%zu particles), the "
                       "same draw under every plan.",
                    w->posterior_particles);
    sb__html_put(h, "</p><h3>Assumptions</h3><ul class=\"note\">");
    for (const char *const *a = sb_whatif_assumptions(); *a; a++) {
        sb__html_put(h, "<li>");
        sb__html_text(h, *a);
        sb__html_put(h, "</li>");
    }
    sb__html_put(h, "</ul>");
}
