/*
 * The simulator's picture of a scenario: a fan chart drawn with the
 * report's plotting helpers from the weekly statistics the runner returns.
 * The upper panel follows the share secure, the lower one the mean of each
 * dimension inside the band that holds the middle 80% of the simulated
 * people (10th to 90th percentile), so the spread of paths is seen as well
 * as their average.
 */
#include <securebase/sim_output.h>

#include "report/figures.h"
#include "report/palette.h"
#include "report/plot.h"

#include <stdio.h>
#include <stdlib.h>

#define WIDTH 900
#define HEIGHT 890
#define LEFT 64
#define RIGHT 24
/* Three panels, top to bottom: share secure, anxiety, avoidance. */
static const double panel_top[3] = {100, 345, 630};
static const double panel_bottom[3] = {250, 550, 835};

/* The weekly figures drawn: x, the share secure, and for each dimension
 * the mean and the 10th, 25th, 75th and 90th percentiles. */
typedef struct series {
    size_t n;
    double *x, *share;
    double *mean[2], *pct[2][4];
} series;

static const sb__meaning dim_meaning[2] = {SB_MEANING_ANXIETY,
                                          SB_MEANING_AVOIDANCE};
static const char *const dim_name[2] = {"anxiety", "avoidance"};

static void panel(sb__plot *p, int k, double y0, double y1, const char *head)
{
    sb__plot_margins(p, LEFT, panel_top[k], RIGHT, HEIGHT - panel_bottom[k]);
    sb__plot_range(p, 0, 1, y0, y1);
    sb__plot_text_px(p, LEFT, panel_top[k] - 30, head, SB_ANCHOR_LEFT, 13,
                     sb__rgb(SB_PALETTE_INK, 1), 1);
}

/* The weeks of therapy, shaded in the current panel and named once. */
static void shade_therapy(sb__plot *p, const sb_sim_run *run, double y0,
                          double y1, int label)
{
    const sb_scenario *sc = run->scenario;
    if (sc->therapy.sessions_per_week <= 0 || sc->therapy.weeks <= 0)
        return;
    double a = sc->therapy.start_week;
    double b = sb_sim_get_summary(run->result)->therapy_end_week;
    sb__plot_rect(p, a, y0, b, y1, sb__palette(SB_MEANING_THERAPY, 0.2),
                  sb__rgb(0, 0));
    if (!label)
        return;
    double y = y1 - (y1 - y0) * 0.12;
    sb__rgba muted = sb__rgb(0x6b7280, 1);
    sb__plot_text(p, a + (b - a) / 2, y, "therapy", SB_ANCHOR_CENTER, 11, muted,
                  1);
    double end = sb_sim_weeks(run->result);
    if (sc->followup_weeks > 0 && end > b)
        sb__plot_text(p, b + (end - b) / 2, y, "follow-up", SB_ANCHOR_CENTER, 11,
                      muted, 1);
}

static void title(sb__plot *p, const sb_sim_run *run, int weeks)
{
    char text[256], about[160];
    snprintf(text, sizeof text, "%s: %zu simulated people, weeks 0-%d",
             run->scenario->name, sb_sim_persons(run->result), weeks);
    sb__plot_text_px(p, LEFT, 24, text, SB_ANCHOR_LEFT, 15,
                     sb__rgb(SB_PALETTE_INK, 1), 1);
    sb__figure_clip_text(run->scenario->description, 110, about, sizeof about);
    sb__plot_text_px(p, LEFT, 44, about, SB_ANCHOR_LEFT, 11.5,
                     sb__rgb(0x6b7280, 1), 0);
}

static void share_panel(sb__plot *p, const sb_sim_run *run, const series *s)
{
    panel(p, 0, 0, 100, "Share secure: anxiety and avoidance both below the "
                        "cut-off");
    sb__plot_range(p, 0, s->x[s->n - 1], 0, 100);
    shade_therapy(p, run, 0, 100, 1);
    sb__plot_axes(p, SB_AXIS_NUMBER, SB_AXIS_NUMBER, NULL, "% secure");
    sb__rgba secure = sb__palette(SB_MEANING_SECURE, 1);
    sb__plot_line(p, s->x, s->share, s->n, secure, 2.4, 0);
    sb__legend_entry legend[] = {{"share secure", secure, SB_MARK_LINE}};
    sb__plot_legend(p, legend, 1);
}

static void dimension_panel(sb__plot *p, const sb_sim_run *run,
                            const series *s, int d)
{
    char head[96];
    snprintf(head, sizeof head, "Attachment %s: mean, and the spread of "
                                "people", dim_name[d]);
    panel(p, d + 1, 1, 7, head);
    sb__plot_range(p, 0, s->x[s->n - 1], 1, 7);
    shade_therapy(p, run, 1, 7, 0);
    sb__plot_axes(p, SB_AXIS_NUMBER, SB_AXIS_NUMBER, d ? "week" : NULL,
                  dim_name[d]);
    sb__rgba c = sb__palette(dim_meaning[d], 1);
    sb__rgba outer = sb__palette(dim_meaning[d], 0.16);
    sb__rgba inner = sb__palette(dim_meaning[d], 0.3);
    sb__plot_band(p, s->x, s->pct[d][0], s->pct[d][3], s->n, outer);
    sb__plot_band(p, s->x, s->pct[d][1], s->pct[d][2], s->n, inner);
    double cut = run->scenario->params.secure_cutoff;
    sb__rgba muted = sb__rgb(0x6b7280, 1);
    sb__plot_hline(p, cut, muted, 1);
    sb__plot_line(p, s->x, s->mean[d], s->n, c, 2.4, 0);
    char mean[32], below[48];
    snprintf(mean, sizeof mean, "mean %s", dim_name[d]);
    snprintf(below, sizeof below, "secure below %.3g", cut);
    sb__legend_entry legend[] = {
        {mean, c, SB_MARK_LINE},
        {"middle 50%", inner, SB_MARK_BOX},
        {"middle 80% (10th-90th percentile)", outer, SB_MARK_BOX},
        {below, muted, SB_MARK_DASH}};
    sb__plot_legend(p, legend, 4);
}

/* Fills `s` from the run's weekly statistics; NULL arrays on failure. */
static double *gather(const sb_sim_result *res, series *s)
{
    size_t n = (size_t)sb_sim_weeks(res) + 1;
    double *buf = malloc(12 * n * sizeof *buf);
    if (!buf)
        return NULL;
    s->n = n;
    s->x = buf;
    s->share = buf + n;
    for (int d = 0; d < 2; d++) {
        s->mean[d] = buf + (2 + 5 * (size_t)d) * n;
        for (int q = 0; q < 4; q++)
            s->pct[d][q] = buf + (3 + 5 * (size_t)d + (size_t)q) * n;
    }
    static const int kept[4] = {0, 1, 3, 4}; /* 10th, 25th, 75th, 90th */
    for (size_t t = 0; t < n; t++) {
        const sb_week_stats *w = sb_sim_week(res, (int)t);
        s->x[t] = (double)t;
        s->share[t] = 100 * w->share_secure;
        s->mean[0][t] = w->mean_anxiety;
        s->mean[1][t] = w->mean_avoidance;
        for (int q = 0; q < 4; q++) {
            s->pct[0][q][t] = w->pct_anxiety[kept[q]];
            s->pct[1][q][t] = w->pct_avoidance[kept[q]];
        }
    }
    return buf;
}

sb_status sb_fan_chart_svg(const sb_sim_run *run, char **svg, size_t *len,
                           sb_error *err)
{
    *svg = NULL;
    *len = 0;
    series s;
    double *buf = gather(run->result, &s);
    if (!buf)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sb__plot *p;
    sb_status st = sb__plot_new(WIDTH, HEIGHT, &p, err);
    if (st == SB_OK) {
        title(p, run, sb_sim_weeks(run->result));
        share_panel(p, run, &s);
        for (int d = 0; d < 2; d++)
            dimension_panel(p, run, &s, d);
        st = sb__plot_finish(p, svg, len, err);
    }
    free(buf);
    return st;
}

sb_status sb_write_fan_chart(const char *path, const sb_sim_run *run,
                             sb_error *err)
{
    char *svg;
    size_t len;
    sb_status st = sb_fan_chart_svg(run, &svg, &len, err);
    if (st == SB_OK)
        st = sb_write_file_atomic(path, svg, len, err);
    free(svg);
    return st;
}
