/*
 * The report's figures. Colours come from the palette, one per meaning
 * (report/palette.h), and every figure also says in a legend what its
 * colours mean.
 */
#include "report/figures.h"

#include "report/palette.h"
#include "report/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 960

static sb__rgba dim_color(int d)
{
    return sb__palette(d == SB_ANXIETY ? SB_MEANING_ANXIETY
                                      : SB_MEANING_AVOIDANCE, 1);
}

static const char *dim_name(int d)
{
    return d == SB_ANXIETY ? "anxiety" : "avoidance";
}

#define INK SB_PALETTE_INK
/* Secondary text: dates and notes inside a figure. */
#define MUTED 0x6b7280

void sb__figure_clip_text(const char *in, size_t chars, char *out, size_t size)
{
    size_t total = 0, n = 0, seen = 0;
    for (const char *p = in; *p; p++)
        total += ((unsigned char)*p & 0xC0) != 0x80;
    size_t keep = total > chars ? (chars > 3 ? chars - 3 : 0) : total;
    for (const char *p = in; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && seen++ == keep)
            break;
        if (n + 4 >= size)
            break;
        out[n++] = *p;
    }
    /* Never end inside a character. */
    size_t end = n;
    while (end && ((unsigned char)out[end - 1] & 0xC0) == 0x80)
        end--;
    if (end && ((unsigned char)out[end - 1] & 0xC0) == 0xC0) {
        unsigned char lead = (unsigned char)out[end - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (n - (end - 1) < need)
            n = end - 1;
    }
    if (keep < total && n + 3 < size) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

static void month_label(long day, char *buf, size_t size)
{
    sb_date d = sb_date_from_days(day);
    snprintf(buf, size, "%.3s %d", sb_month_name(d.month), d.year);
}

/* ---- scores over time ---------------------------------------------------- */

sb_status sb__figure_scores(const sb__history *h, int d, sb__span span,
                            sb__figure *out, sb_error *err)
{
    out->svg = NULL;
    if (!h->point_count)
        return SB_OK;
    sb__plot *p;
    sb_status st = sb__plot_new(WIDTH, 300, &p, err);
    if (st != SB_OK)
        return st;
    sb__plot_margins(p, 56, 52, 24, 40);
    sb__plot_range(p, (double)span.from, (double)span.to, h->scale.min,
                   h->scale.max);
    char title[320];
    snprintf(title, sizeof title, "Attachment %s (%s, %d-%d; higher = more "
                                  "insecure)",
             dim_name(d), h->instrument, h->scale.min, h->scale.max);
    sb__plot_title(p, title);
    double base = h->points[0].score[d];
    double rc = h->rc[d];
    if (!isnan(rc)) {
        double x0 = (double)h->points[0].day;
        sb__plot_rect(p, x0, base - rc, (double)span.to, base + rc,
                      sb__palette(SB_MEANING_NO_CHANGE, 0.22), sb__rgb(0, 0));
        sb__plot_hline(p, base, sb__palette(SB_MEANING_NO_CHANGE, 1), 1);
    }
    sb__plot_axes(p, SB_AXIS_DATE, SB_AXIS_NUMBER, NULL, dim_name(d));
    size_t n = h->point_count;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        sb__plot_free(p);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)h->points[i].day;
        y[i] = h->points[i].score[d];
    }
    sb__rgba color = dim_color(d);
    sb__plot_line(p, x, y, n, color, 2.2, 0);
    sb__plot_points(p, x, y, n, color, 4.5);
    /* Reliably better or worse than the first score: a larger point. */
    for (size_t i = 1; i < n && !isnan(rc); i++) {
        if (fabs(y[i] - base) < rc)
            continue;
        sb__plot_points(p, &x[i], &y[i], 1,
                        sb__palette(y[i] < base ? SB_MEANING_BETTER
                                              : SB_MEANING_WORSE, 1), 6);
    }
    /* Sudden changes: an arrow along the step, in a colour of their own
     * (a sudden loss is not the same finding as a reliably worse score). */
    int sudden = 0;
    sb__rgba arrow = sb__palette(SB_MEANING_SUDDEN, 1);
    for (size_t e = 0; e < h->event_count; e++) {
        const sb__history_event *ev = &h->events[e];
        if (ev->dimension != d || ev->sudden.index + 1 >= n)
            continue;
        size_t i = ev->sudden.index;
        int gain = ev->sudden.kind == SB_SUDDEN_GAIN;
        sb__plot_arrow(p, x[i], y[i], x[i + 1], y[i + 1], arrow, 2.5);
        double lift = (h->scale.max - h->scale.min) * 0.07;
        sb__plot_text(p, x[i + 1], y[i + 1] + (gain ? -lift * 1.6 : lift),
                      gain ? "sudden gain" : "sudden loss", SB_ANCHOR_CENTER, 11,
                      arrow, 1);
        sudden = 1;
    }
    sb__legend_entry legend[5];
    size_t nl = 0;
    legend[nl++] = (sb__legend_entry){"score", color, SB_MARK_LINE};
    if (!isnan(rc)) {
        legend[nl++] = (sb__legend_entry){"no reliable change from the first",
                                         sb__palette(SB_MEANING_NO_CHANGE, 0.45),
                                         SB_MARK_BOX};
        legend[nl++] = (sb__legend_entry){"reliably better",
                                         sb__palette(SB_MEANING_BETTER, 1),
                                         SB_MARK_POINT};
        legend[nl++] = (sb__legend_entry){"reliably worse",
                                         sb__palette(SB_MEANING_WORSE, 1),
                                         SB_MARK_POINT};
    }
    if (sudden)
        legend[nl++] = (sb__legend_entry){"sudden gain or loss", arrow,
                                         SB_MARK_LINE};
    sb__plot_legend(p, legend, nl);
    free(x);
    free(y);
    return sb__plot_finish(p, &out->svg, &out->len, err);
}

/* ---- the plane ----------------------------------------------------------- */

sb_status sb__figure_plane(const sb__history *h, sb__figure *out, sb_error *err)
{
    out->svg = NULL;
    if (!h->point_count)
        return SB_OK;
    sb__plot *p;
    sb_status st = sb__plot_new(560, 540, &p, err);
    if (st != SB_OK)
        return st;
    sb__plot_margins(p, 60, 40, 24, 48);
    double lo = h->scale.min, hi = h->scale.max, mid = (lo + hi) / 2;
    sb__plot_range(p, lo, hi, lo, hi);
    sb__plot_title(p, "Path on the anxiety-avoidance plane");
    sb__rgba none = sb__rgb(0, 0);
    sb__plot_rect(p, lo, lo, mid, mid, sb__palette(SB_MEANING_REGION_SECURE, 1),
                  none);
    sb__plot_rect(p, lo, mid, mid, hi,
                  sb__palette(SB_MEANING_REGION_PREOCCUPIED, 1), none);
    sb__plot_rect(p, mid, lo, hi, mid,
                  sb__palette(SB_MEANING_REGION_DISMISSING, 1), none);
    sb__plot_rect(p, mid, mid, hi, hi, sb__palette(SB_MEANING_REGION_FEARFUL, 1),
                  none);
    sb__plot_axes(p, SB_AXIS_NUMBER, SB_AXIS_NUMBER, "avoidance",
                  "anxiety");
    double pad = (hi - lo) * 0.03;
    sb__rgba label = sb__rgb(0x4b5563, 0.9);
    sb__plot_text(p, lo + pad, lo + pad * 1.2, "SECURE", SB_ANCHOR_LEFT, 13,
                  label, 1);
    sb__plot_text(p, lo + pad, hi - pad * 2.2, "PREOCCUPIED", SB_ANCHOR_LEFT, 13,
                  label, 1);
    sb__plot_text(p, hi - pad, lo + pad * 1.2, "DISMISSING", SB_ANCHOR_RIGHT, 13,
                  label, 1);
    sb__plot_text(p, hi - pad, hi - pad * 2.2, "FEARFUL", SB_ANCHOR_RIGHT, 13,
                  label, 1);
    size_t n = h->point_count;
    /* Older steps lighter, newer darker: from the first point's colour to
     * the latest's. */
    sb__rgba first = sb__palette(SB_MEANING_FIRST, 1);
    sb__rgba latest = sb__palette(SB_MEANING_LATEST, 1);
    for (size_t i = 0; i + 1 < n; i++) {
        double t = n > 2 ? (double)i / (double)(n - 2) : 1;
        sb__rgba c = {first.r + (latest.r - first.r) * t,
                     first.g + (latest.g - first.g) * t,
                     first.b + (latest.b - first.b) * t, 1};
        sb__plot_arrow(p, h->points[i].score[SB_AVOIDANCE],
                       h->points[i].score[SB_ANXIETY],
                       h->points[i + 1].score[SB_AVOIDANCE],
                       h->points[i + 1].score[SB_ANXIETY], c, 1.8);
    }
    for (size_t i = 0; i < n; i++) {
        double x = h->points[i].score[SB_AVOIDANCE];
        double y = h->points[i].score[SB_ANXIETY];
        sb__rgba c = i == n - 1 ? latest : first;
        sb__plot_points(p, &x, &y, 1, c, i == 0 || i == n - 1 ? 6 : 3.5);
    }
    char text[64], when[32];
    month_label(h->points[0].day, when, sizeof when);
    snprintf(text, sizeof text, "first (%s)", when);
    double off = (hi - lo) * 0.035;
    sb__plot_text(p, h->points[0].score[SB_AVOIDANCE] + off,
                  h->points[0].score[SB_ANXIETY] + off, text, SB_ANCHOR_LEFT,
                  11, sb__rgb(INK, 1), 0);
    if (n > 1) {
        month_label(h->points[n - 1].day, when, sizeof when);
        snprintf(text, sizeof text, "latest (%s)", when);
        sb__plot_text(p, h->points[n - 1].score[SB_AVOIDANCE] + off,
                      h->points[n - 1].score[SB_ANXIETY] - off * 1.8, text,
                      SB_ANCHOR_LEFT, 11, sb__rgb(INK, 1), 1);
    }
    return sb__plot_finish(p, &out->svg, &out->len, err);
}

/* ---- months -------------------------------------------------------------- */

/* Month index (months since year 0) of a day, and the day a month starts. */
static long month_of(long day)
{
    sb_date d = sb_date_from_days(day);
    return (long)d.year * 12 + d.month - 1;
}

static long month_start(long month)
{
    sb_date d = {(int)(month / 12), (int)(month % 12) + 1, 1};
    return sb_date_days(d);
}

/* Stacked monthly bars: counts[m * layers + k] for month m, layer k. */
static void monthly_bars(sb__plot *p, long first_month, size_t months,
                         const double *counts, size_t layers,
                         const sb__rgba *colors)
{
    for (size_t m = 0; m < months; m++) {
        long a = month_start(first_month + (long)m);
        long b = month_start(first_month + (long)m + 1);
        double bottom = 0;
        for (size_t k = 0; k < layers; k++) {
            double c = counts[m * layers + k];
            if (c <= 0)
                continue;
            sb__plot_rect(p, (double)a + 3, bottom, (double)b - 3, bottom + c,
                          colors[k], sb__rgb(0xffffff, 1));
            bottom += c;
        }
    }
}

static double max_stack(const double *counts, size_t months, size_t layers)
{
    double best = 0;
    for (size_t m = 0; m < months; m++) {
        double s = 0;
        for (size_t k = 0; k < layers; k++)
            s += counts[m * layers + k];
        if (s > best)
            best = s;
    }
    return best;
}

/* The Monday on or before a day (1970-01-01 was a Thursday). */
static long monday_of(long day)
{
    return day - ((day % 7 + 7 + 3) % 7);
}

sb_status sb__figure_therapy(const sb__history *h, sb__span span, sb__figure *out,
                             sb_error *err)
{
    out->svg = NULL;
    if (!h->session_count)
        return SB_OK;
    long first = monday_of(span.from);
    size_t weeks = (size_t)((span.to - first) / 7 + 1);
    double *counts = calloc(weeks * 2, sizeof *counts);
    if (!counts)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < h->session_count; i++) {
        long w = (sb__history_day(h->sessions[i].date) - first) / 7;
        if (w >= 0 && (size_t)w < weeks)
            counts[(size_t)w * 2 + (h->sessions[i].attended ? 0 : 1)]++;
    }
    sb__plot *p;
    sb_status st = sb__plot_new(WIDTH, 250, &p, err);
    if (st != SB_OK) {
        free(counts);
        return st;
    }
    sb__plot_margins(p, 56, 52, 24, 40);
    double top = max_stack(counts, weeks, 2);
    sb__plot_range(p, (double)span.from, (double)span.to, 0,
                   top < 2 ? 2.4 : ceil(top * 1.2));
    sb__plot_title(p, "Therapy sessions week by week: attended and missed");
    for (size_t g = 0; g < h->gap_count; g++)
        sb__plot_rect(p, (double)h->gaps[g].from, 0, (double)h->gaps[g].to,
                      1e6, sb__palette(SB_MEANING_GAP, 0.35), sb__rgb(0, 0));
    sb__plot_axes(p, SB_AXIS_DATE, SB_AXIS_NUMBER, NULL, "sessions");
    const sb__rgba colors[2] = {sb__palette(SB_MEANING_ATTENDED, 1),
                               sb__palette(SB_MEANING_MISSED, 1)};
    /* Thin gaps between weeks keep a missed week visible as a hole. */
    double pad = weeks > 120 ? 0.5 : 1;
    for (size_t w = 0; w < weeks; w++) {
        double a = (double)first + 7.0 * (double)w + pad;
        double bottom = 0;
        for (size_t k = 0; k < 2; k++) {
            double c = counts[w * 2 + k];
            if (c > 0)
                sb__plot_rect(p, a, bottom, a + 7 - 2 * pad, bottom + c,
                              colors[k], sb__rgb(0, 0));
            bottom += c;
        }
    }
    sb__legend_entry legend[] = {
        {"attended", colors[0], SB_MARK_BOX},
        {"missed", colors[1], SB_MARK_BOX},
        {"more than two weeks between attended sessions",
         sb__palette(SB_MEANING_GAP, 0.6), SB_MARK_BOX}};
    sb__plot_legend(p, legend, h->gap_count ? 3 : 2);
    free(counts);
    return sb__plot_finish(p, &out->svg, &out->len, err);
}

sb_status sb__figure_practice(const sb__history *h, sb__span span, sb__figure *out,
                              sb_error *err)
{
    out->svg = NULL;
    if (!h->practice_count)
        return SB_OK;
    long first = month_of(span.from), last = month_of(span.to);
    size_t months = (size_t)(last - first + 1);
    double *counts = calloc(months * SB_OUTCOME_COUNT, sizeof *counts);
    if (!counts)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < h->practice_count; i++) {
        long m = month_of(sb__history_day(h->practice[i].date)) - first;
        if (m >= 0 && (size_t)m < months)
            counts[(size_t)m * SB_OUTCOME_COUNT +
                   (size_t)h->practice[i].outcome]++;
    }
    sb__plot *p;
    sb_status st = sb__plot_new(WIDTH, 260, &p, err);
    if (st != SB_OK) {
        free(counts);
        return st;
    }
    sb__plot_margins(p, 56, 52, 24, 40);
    double top = max_stack(counts, months, SB_OUTCOME_COUNT);
    sb__plot_range(p, (double)span.from, (double)span.to, 0,
                   top < 4 ? 5 : ceil(top * 1.15));
    sb__plot_title(p, "Practice of new behaviour a month, by outcome");
    sb__plot_axes(p, SB_AXIS_DATE, SB_AXIS_NUMBER, NULL, "times");
    const sb__rgba colors[SB_OUTCOME_COUNT] = {
        sb__palette(SB_MEANING_WENT_WELL, 1), sb__palette(SB_MEANING_MIXED, 1),
        sb__palette(SB_MEANING_WENT_BADLY, 1)};
    monthly_bars(p, first, months, counts, SB_OUTCOME_COUNT, colors);
    sb__legend_entry legend[] = {{"went well", colors[0], SB_MARK_BOX},
                                {"mixed", colors[1], SB_MARK_BOX},
                                {"went badly", colors[2], SB_MARK_BOX}};
    sb__plot_legend(p, legend, 3);
    free(counts);
    return sb__plot_finish(p, &out->svg, &out->len, err);
}

/* ---- relationships ------------------------------------------------------- */

#define MAX_ROWS 14

sb_status sb__figure_relationships(const sb__history *h, sb__span span,
                                   sb__figure *out, sb_error *err)
{
    out->svg = NULL;
    size_t rows = h->relationship_count < MAX_ROWS ? h->relationship_count
                                                   : MAX_ROWS;
    if (!rows)
        return SB_OK;
    sb__plot *p;
    sb_status st = sb__plot_new(WIDTH, 96 + 34.0 * (double)rows, &p, err);
    if (st != SB_OK)
        return st;
    sb__plot_margins(p, 230, 52, 24, 40);
    sb__plot_range(p, (double)span.from, (double)span.to, 0, (double)rows);
    sb__plot_title(p, "Relationships over time");
    sb__plot_axes(p, SB_AXIS_DATE, SB_AXIS_NONE, NULL, NULL);
    sb__rgba ink = sb__rgb(INK, 1);
    for (size_t i = 0; i < rows; i++) {
        const sb_rec_relationship *r = &h->relationships[i];
        double y = (double)(rows - i) - 0.5;
        long a = sb__history_day(r->start);
        long b = r->end[0] ? sb__history_day(r->end) : span.to;
        if (a < span.from)
            a = span.from;
        sb__rgba fill = sb__palette(r->supportive ? SB_MEANING_SUPPORTIVE
                                                : SB_MEANING_STRAINING,
                                  r->secure ? 1 : 0.5);
        if (b >= span.from && a <= span.to)
            sb__plot_rect(p, (double)a, y - 0.3, (double)b, y + 0.3, fill,
                          sb__rgb(0, 0));
        char name[64], text[160];
        sb__figure_clip_text(r->name, 22, name, sizeof name);
        snprintf(text, sizeof text, "%s (%s)", name,
                 sb_relationship_kind_name((sb_relationship_kind)r->kind));
        double px, py;
        sb__plot_to_px(p, (double)span.from, y, &px, &py);
        sb__plot_text_px(p, px - 10, py + 4, text, SB_ANCHOR_RIGHT, 12, ink, 0);
        /* What the bar cannot show: an earlier start, security. */
        char since[32] = "";
        if (sb__history_day(r->start) < span.from)
            month_label(sb__history_day(r->start), since, sizeof since);
        snprintf(text, sizeof text, "%s%s%s",
                 r->secure ? "secure" : "insecure", since[0] ? ", since " : "",
                 since);
        double ax, ay;
        sb__plot_to_px(p, (double)(a < span.from ? span.from : a), y, &ax, &ay);
        sb__plot_text_px(p, ax + 6, ay + 4, text, SB_ANCHOR_LEFT, 11, ink, 0);
    }
    sb__legend_entry legend[] = {
        {"supportive", sb__palette(SB_MEANING_SUPPORTIVE, 1), SB_MARK_BOX},
        {"straining", sb__palette(SB_MEANING_STRAINING, 1), SB_MARK_BOX},
        {"paler: the other person is insecure", sb__rgb(MUTED, 0.4),
         SB_MARK_BOX}};
    sb__plot_legend(p, legend, 3);
    return sb__plot_finish(p, &out->svg, &out->len, err);
}

/* ---- triggers ------------------------------------------------------------ */

sb_status sb__figure_triggers(const sb__history *h, sb__figure *out, sb_error *err)
{
    out->svg = NULL;
    size_t rows = h->trigger_count < SB_HISTORY_TRIGGERS ? h->trigger_count
                                                         : SB_HISTORY_TRIGGERS;
    if (!rows)
        return SB_OK;
    sb__plot *p;
    sb_status st = sb__plot_new(WIDTH, 96 + 32.0 * (double)rows, &p, err);
    if (st != SB_OK)
        return st;
    sb__plot_margins(p, 250, 52, 24, 40);
    double top = (double)h->triggers[0].count;
    sb__plot_range(p, 0, top * 1.45 + 1, 0, (double)rows);
    sb__plot_title(p, "Most frequent triggers, and how often a new response "
                     "was tried");
    sb__plot_axes(p, SB_AXIS_NUMBER, SB_AXIS_NONE, "reflections", NULL);
    sb__rgba ink = sb__rgb(INK, 1);
    for (size_t i = 0; i < rows; i++) {
        const sb__trigger_count *t = &h->triggers[i];
        double y = (double)(rows - i) - 0.5;
        sb__plot_rect(p, 0, y - 0.32, (double)t->count, y + 0.32,
                      sb__palette(SB_MEANING_REFLECTION, 1), sb__rgb(0, 0));
        sb__plot_rect(p, 0, y - 0.32, (double)t->tried, y + 0.32,
                      sb__palette(SB_MEANING_TRIED, 1), sb__rgb(0, 0));
        char label[64], text[96];
        sb__figure_clip_text(t->label, 30, label, sizeof label);
        double px, py;
        sb__plot_to_px(p, 0, y, &px, &py);
        sb__plot_text_px(p, px - 10, py + 4, label, SB_ANCHOR_RIGHT, 12, ink, 0);
        snprintf(text, sizeof text, "%zu, tried %zu; mean intensity %.1f",
                 t->count, t->tried, t->mean_intensity);
        sb__plot_to_px(p, (double)t->count, y, &px, &py);
        sb__plot_text_px(p, px + 8, py + 4, text, SB_ANCHOR_LEFT, 11, ink, 0);
    }
    sb__legend_entry legend[] = {
        {"reflections on the trigger", sb__palette(SB_MEANING_REFLECTION, 1),
         SB_MARK_BOX},
        {"of them, a new response tried", sb__palette(SB_MEANING_TRIED, 1),
         SB_MARK_BOX}};
    sb__plot_legend(p, legend, 2);
    return sb__plot_finish(p, &out->svg, &out->len, err);
}

/* ---- the model's projection ---------------------------------------------- */

sb_status sb__figure_projection(const sb__history *h, const sb__projection *pr,
                                int d, sb__figure *out, sb_error *err)
{
    out->svg = NULL;
    if (!pr->ran)
        return SB_OK;
    /* The last half year of scores, then the projection. */
    long from = pr->start_day - 182;
    if (h->points[0].day > from)
        from = h->points[0].day - 7;
    long to = pr->start_day + 7L * pr->weeks;
    sb__plot *p;
    sb_status st = sb__plot_new(WIDTH, 300, &p, err);
    if (st != SB_OK)
        return st;
    sb__plot_margins(p, 56, 52, 24, 40);
    sb__plot_range(p, (double)from, (double)to, h->scale.min, h->scale.max);
    char title[320];
    snprintf(title, sizeof title, "MODEL PROJECTION of %s: simulated paths, "
                                  "not a prediction",
             dim_name(d));
    sb__plot_title(p, title);
    sb__plot_rect(p, (double)pr->start_day, h->scale.min, (double)to,
                  h->scale.max, sb__palette(SB_MEANING_MODEL, 1), sb__rgb(0, 0));
    sb__plot_axes(p, SB_AXIS_DATE, SB_AXIS_NUMBER, NULL, dim_name(d));
    size_t n = (size_t)pr->weeks + 1;
    double *x = malloc(n * sizeof *x);
    if (!x) {
        sb__plot_free(p);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t t = 0; t < n; t++)
        x[t] = (double)pr->start_day + 7.0 * (double)t;
    sb__rgba c = dim_color(d);
    sb__rgba outer = c, inner = c;
    outer.a = 0.16;
    inner.a = 0.32;
    sb__plot_band(p, x, pr->pct[d][0], pr->pct[d][4], n, outer);
    sb__plot_band(p, x, pr->pct[d][1], pr->pct[d][3], n, inner);
    sb__plot_line(p, x, pr->pct[d][2], n, c, 2, 1);
    free(x);
    /* The scores that lead up to it. */
    double px[512], py[512];
    size_t k = 0;
    for (size_t i = 0; i < h->point_count && k < 512; i++)
        if (h->points[i].day >= from) {
            px[k] = (double)h->points[i].day;
            py[k++] = h->points[i].score[d];
        }
    sb__plot_line(p, px, py, k, c, 2.2, 0);
    sb__plot_points(p, px, py, k, c, 4.5);
    sb__plot_vline(p, (double)pr->start_day, sb__rgb(MUTED, 1), 1);
    sb__plot_text(p, (double)pr->start_day + 4, h->scale.max -
                  (h->scale.max - h->scale.min) * 0.08,
                  "report date: model from here on", SB_ANCHOR_LEFT, 11,
                  sb__rgb(MUTED, 1), 1);
    sb__legend_entry legend[] = {
        {"recorded scores", c, SB_MARK_LINE},
        {"model median", c, SB_MARK_DASH},
        {"middle 50% of simulated paths", inner, SB_MARK_BOX},
        {"middle 80%", outer, SB_MARK_BOX}};
    sb__plot_legend(p, legend, 4);
    return sb__plot_finish(p, &out->svg, &out->len, err);
}
