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

typedef struct sb__rgba {
    double r, g, b, a;
} sb__rgba;

typedef enum sb__axis_kind {
    SB_AXIS_NUMBER = 0,
    SB_AXIS_DATE,   /* values are days since 1970-01-01 */
    SB_AXIS_NONE    /* no ticks (categories are labelled by the caller) */
} sb__axis_kind;

typedef enum sb__anchor {
    SB_ANCHOR_LEFT = 0,
    SB_ANCHOR_CENTER,
    SB_ANCHOR_RIGHT
} sb__anchor;

typedef enum sb__mark {
    SB_MARK_LINE = 0,
    SB_MARK_DASH,
    SB_MARK_BOX,
    SB_MARK_POINT
} sb__mark;

typedef struct sb__legend_entry {
    const char *label;
    sb__rgba color;
    sb__mark mark;
} sb__legend_entry;

typedef struct sb__plot sb__plot;

/* A plot of width x height pixels; free with sb__plot_finish or _free. */
sb_status sb__plot_new(double width, double height, sb__plot **out,
                       sb_error *err);
void sb__plot_free(sb__plot *p);

/* Margins around the data area, in pixels. */
void sb__plot_margins(sb__plot *p, double left, double top, double right,
                      double bottom);
/* The data shown by the area; y grows upward. */
void sb__plot_range(sb__plot *p, double x0, double x1, double y0, double y1);
/* Grid, ticks, tick labels and axis titles (either title may be NULL). */
void sb__plot_axes(sb__plot *p, sb__axis_kind xkind, sb__axis_kind ykind,
                   const char *xtitle, const char *ytitle);
/* The title above the area, left-aligned. */
void sb__plot_title(sb__plot *p, const char *title);

void sb__plot_line(sb__plot *p, const double *x, const double *y, size_t n,
                   sb__rgba color, double width, int dashed);
void sb__plot_points(sb__plot *p, const double *x, const double *y, size_t n,
                     sb__rgba color, double radius);
/* The area between lo[i] and hi[i] over x[i]. */
void sb__plot_band(sb__plot *p, const double *x, const double *lo,
                   const double *hi, size_t n, sb__rgba color);
/* A rectangle in data coordinates; an `edge` with alpha 0 draws no edge. */
void sb__plot_rect(sb__plot *p, double x0, double y0, double x1, double y1,
                   sb__rgba fill, sb__rgba edge);
void sb__plot_hline(sb__plot *p, double y, sb__rgba color, int dashed);
void sb__plot_vline(sb__plot *p, double x, sb__rgba color, int dashed);
/* An arrow from (x0, y0) to (x1, y1), in data coordinates. */
void sb__plot_arrow(sb__plot *p, double x0, double y0, double x1, double y1,
                    sb__rgba color, double width);
/* Text at a data point; `size` in pixels; `bold` 0 or 1. */
void sb__plot_text(sb__plot *p, double x, double y, const char *text,
                   sb__anchor anchor, double size, sb__rgba color, int bold);
/* Text at pixel coordinates (from the image's top left). */
void sb__plot_text_px(sb__plot *p, double px, double py, const char *text,
                      sb__anchor anchor, double size, sb__rgba color, int bold);
/* Pixel width of a text at `size`, for layout. */
double sb__plot_text_width(sb__plot *p, const char *text, double size, int bold);
/* A legend in one row above the data area, right-aligned. */
void sb__plot_legend(sb__plot *p, const sb__legend_entry *entries, size_t n);
/* The pixel position of a data point. */
void sb__plot_to_px(const sb__plot *p, double x, double y, double *px,
                    double *py);

/*
 * Renders the plot as an SVG document (NUL-terminated; the caller frees
 * *svg) and frees the plot whatever happens.
 */
sb_status sb__plot_finish(sb__plot *p, char **svg, size_t *len, sb_error *err);

/* A colour from 0xRRGGBB and an opacity. */
sb__rgba sb__rgb(unsigned hex, double alpha);

#endif
