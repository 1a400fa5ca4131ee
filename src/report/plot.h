/*
 * Small plotting helpers on cairo for the report's figures: a plot is one
 * SVG image with a data area, axes with ticks (numbers or dates), lines,
 * points, shaded bands, rectangles, labelled regions, bars and a legend.
 * Data coordinates are mapped into the area inside the margins.
 */
#ifndef SB_REPORT_PLOT_H
#define SB_REPORT_PLOT_H

#include <securebase/base.h>

#include <stddef.h>

typedef struct sb_rgba {
    double r, g, b, a;
} sb_rgba;

typedef enum sb_axis_kind {
    SB_AXIS_NUMBER = 0,
    SB_AXIS_DATE,   /* values are days since 1970-01-01 */
    SB_AXIS_NONE    /* no ticks (categories are labelled by the caller) */
} sb_axis_kind;

typedef enum sb_anchor {
    SB_ANCHOR_LEFT = 0,
    SB_ANCHOR_CENTER,
    SB_ANCHOR_RIGHT
} sb_anchor;

typedef enum sb_mark {
    SB_MARK_LINE = 0,
    SB_MARK_DASH,
    SB_MARK_BOX,
    SB_MARK_POINT
} sb_mark;

typedef struct sb_legend_entry {
    const char *label;
    sb_rgba color;
    sb_mark mark;
} sb_legend_entry;

typedef struct sb_plot sb_plot;

/* A plot of width x height pixels; free with sb_plot_finish or _free. */
sb_status sb_plot_new(double width, double height, sb_plot **out,
                      sb_error *err);
void sb_plot_free(sb_plot *p);

/* Margins around the data area, in pixels. */
void sb_plot_margins(sb_plot *p, double left, double top, double right,
                     double bottom);
/* The data shown by the area; y grows upward. */
void sb_plot_range(sb_plot *p, double x0, double x1, double y0, double y1);
/* Grid, ticks, tick labels and axis titles (either title may be NULL). */
void sb_plot_axes(sb_plot *p, sb_axis_kind xkind, sb_axis_kind ykind,
                  const char *xtitle, const char *ytitle);
/* The title above the area, left-aligned. */
void sb_plot_title(sb_plot *p, const char *title);

void sb_plot_line(sb_plot *p, const double *x, const double *y, size_t n,
                  sb_rgba color, double width, int dashed);
void sb_plot_points(sb_plot *p, const double *x, const double *y, size_t n,
                    sb_rgba color, double radius);
/* The area between lo[i] and hi[i] over x[i]. */
void sb_plot_band(sb_plot *p, const double *x, const double *lo,
                  const double *hi, size_t n, sb_rgba color);
/* A rectangle in data coordinates; an `edge` with alpha 0 draws no edge. */
void sb_plot_rect(sb_plot *p, double x0, double y0, double x1, double y1,
                  sb_rgba fill, sb_rgba edge);
void sb_plot_hline(sb_plot *p, double y, sb_rgba color, int dashed);
void sb_plot_vline(sb_plot *p, double x, sb_rgba color, int dashed);
/* An arrow from (x0, y0) to (x1, y1), in data coordinates. */
void sb_plot_arrow(sb_plot *p, double x0, double y0, double x1, double y1,
                   sb_rgba color, double width);
/* Text at a data point; `size` in pixels; `bold` 0 or 1. */
void sb_plot_text(sb_plot *p, double x, double y, const char *text,
                  sb_anchor anchor, double size, sb_rgba color, int bold);
/* Text at pixel coordinates (from the image's top left). */
void sb_plot_text_px(sb_plot *p, double px, double py, const char *text,
                     sb_anchor anchor, double size, sb_rgba color, int bold);
/* Pixel width of a text at `size`, for layout. */
double sb_plot_text_width(sb_plot *p, const char *text, double size, int bold);
/* A legend in one row above the data area, right-aligned. */
void sb_plot_legend(sb_plot *p, const sb_legend_entry *entries, size_t n);
/* The pixel position of a data point. */
void sb_plot_to_px(const sb_plot *p, double x, double y, double *px,
                   double *py);

/*
 * Renders the plot as an SVG document (NUL-terminated; the caller frees
 * *svg) and frees the plot whatever happens.
 */
sb_status sb_plot_finish(sb_plot *p, char **svg, size_t *len, sb_error *err);

/* A colour from 0xRRGGBB and an opacity. */
sb_rgba sb_rgb(unsigned hex, double alpha);

#endif
