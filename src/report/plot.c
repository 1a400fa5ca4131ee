/*
 * The report's plotting helpers, drawn with cairo onto an SVG surface that
 * writes into memory. Text is set in DejaVu Sans and turned into outlines
 * by cairo, so the figures look the same wherever they are opened.
 */
#include "report/plot.h"

#include "base/buf.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT "DejaVu Sans"

struct sb__plot {
    cairo_surface_t *surface;
    cairo_t *cr;
    sb__buf out;
    double width, height;
    double left, top, right, bottom; /* margins */
    double x0, x1, y0, y1;           /* data range */
};

static const sb__rgba ink = {0.2, 0.2, 0.22, 1};
static const sb__rgba grid = {0.86, 0.87, 0.89, 1};

sb__rgba sb__rgb(unsigned hex, double alpha)
{
    sb__rgba c = {((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0,
                 (hex & 0xff) / 255.0, alpha};
    return c;
}

static cairo_status_t write_out(void *closure, const unsigned char *data,
                                unsigned int length)
{
    return sb__buf_append(closure, data, length) ? CAIRO_STATUS_WRITE_ERROR
                                                : CAIRO_STATUS_SUCCESS;
}

sb_status sb__plot_new(double width, double height, sb__plot **out,
                       sb_error *err)
{
    *out = NULL;
    sb__plot *p = calloc(1, sizeof *p);
    if (!p)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    p->surface = cairo_svg_surface_create_for_stream(write_out, &p->out, width,
                                                     height);
    p->cr = cairo_create(p->surface);
    if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
        sb__plot_free(p);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                            "cannot start a figure");
    }
    p->width = width;
    p->height = height;
    p->left = 60;
    p->top = 40;
    p->right = 20;
    p->bottom = 44;
    p->x0 = p->y0 = 0;
    p->x1 = p->y1 = 1;
    /* A white page under everything. */
    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_paint(p->cr);
    *out = p;
    return SB_OK;
}

void sb__plot_free(sb__plot *p)
{
    if (!p)
        return;
    if (p->cr)
        cairo_destroy(p->cr);
    if (p->surface) {
        cairo_surface_finish(p->surface);
        cairo_surface_destroy(p->surface);
    }
    sb__buf_free(&p->out);
    free(p);
}

void sb__plot_margins(sb__plot *p, double left, double top, double right,
                      double bottom)
{
    p->left = left;
    p->top = top;
    p->right = right;
    p->bottom = bottom;
}

void sb__plot_range(sb__plot *p, double x0, double x1, double y0, double y1)
{
    /* An empty range would divide by zero; widen it a little. */
    if (!(x1 > x0)) {
        x0 -= 1;
        x1 = x0 + 2;
    }
    if (!(y1 > y0)) {
        y0 -= 1;
        y1 = y0 + 2;
    }
    p->x0 = x0;
    p->x1 = x1;
    p->y0 = y0;
    p->y1 = y1;
}

void sb__plot_to_px(const sb__plot *p, double x, double y, double *px,
                    double *py)
{
    double w = p->width - p->left - p->right;
    double h = p->height - p->top - p->bottom;
    *px = p->left + (x - p->x0) / (p->x1 - p->x0) * w;
    *py = p->top + h - (y - p->y0) / (p->y1 - p->y0) * h;
}

static void set(cairo_t *cr, sb__rgba c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

/* Everything in the data area is clipped to it. */
static void clip_area(sb__plot *p)
{
    cairo_save(p->cr);
    cairo_rectangle(p->cr, p->left, p->top, p->width - p->left - p->right,
                    p->height - p->top - p->bottom);
    cairo_clip(p->cr);
}

static void unclip(sb__plot *p)
{
    cairo_restore(p->cr);
}

/* ---- text ---------------------------------------------------------------- */

static void font(sb__plot *p, double size, int bold)
{
    cairo_select_font_face(p->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD
                                : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(p->cr, size);
}

double sb__plot_text_width(sb__plot *p, const char *text, double size, int bold)
{
    cairo_text_extents_t ext;
    font(p, size, bold);
    cairo_text_extents(p->cr, text, &ext);
    return ext.x_advance;
}

void sb__plot_text_px(sb__plot *p, double px, double py, const char *text,
                      sb__anchor anchor, double size, sb__rgba color, int bold)
{
    double w = sb__plot_text_width(p, text, size, bold);
    double x = anchor == SB_ANCHOR_LEFT     ? px
               : anchor == SB_ANCHOR_CENTER ? px - w / 2
                                            : px - w;
    set(p->cr, color);
    cairo_move_to(p->cr, x, py);
    cairo_show_text(p->cr, text);
    cairo_new_path(p->cr);
}

void sb__plot_text(sb__plot *p, double x, double y, const char *text,
                   sb__anchor anchor, double size, sb__rgba color, int bold)
{
    double px, py;
    sb__plot_to_px(p, x, y, &px, &py);
    sb__plot_text_px(p, px, py, text, anchor, size, color, bold);
}

void sb__plot_title(sb__plot *p, const char *title)
{
    sb__plot_text_px(p, p->left, 20, title, SB_ANCHOR_LEFT, 14, ink, 1);
}

/* ---- axes ---------------------------------------------------------------- */

/* A step about span/target long. */
static double nice_step(double span, int target)
{
    double raw = span / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    /* 1, 2 or 5 times a power of ten: ticks a reader can count in. */
    double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
    return nice * mag;
}

static void format_number(double v, double step, char *buf, size_t size)
{
    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (decimals > 4)
        decimals = 4;
    if (fabs(v) < step * 1e-6)
        v = 0; /* no "-0" */
    snprintf(buf, size, "%.*f", decimals, v);
}

static void x_tick(sb__plot *p, double x, const char *label, double h)
{
    double px, py;
    sb__plot_to_px(p, x, p->y0, &px, &py);
    set(p->cr, grid);
    cairo_set_line_width(p->cr, 1);
    cairo_move_to(p->cr, floor(px) + 0.5, p->top);
    cairo_line_to(p->cr, floor(px) + 0.5, p->top + h);
    cairo_stroke(p->cr);
    sb__plot_text_px(p, px, p->top + h + 16, label, SB_ANCHOR_CENTER, 11, ink,
                     0);
}

static void date_ticks(sb__plot *p, double h)
{
    double w = p->width - p->left - p->right;
    sb_date a = sb_date_from_days((long)ceil(p->x0));
    sb_date b = sb_date_from_days((long)floor(p->x1));
    int months = (b.year - a.year) * 12 + (b.month - a.month) + 1;
    /* Room for about one label per 70 pixels. */
    int fit = (int)(w / 70);
    static const int steps[] = {1, 2, 3, 6, 12, 24, 60};
    int step = 60;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (months / steps[i] <= (fit > 1 ? fit : 1)) {
            step = steps[i];
            break;
        }
    int y = a.year, m = a.month;
    if (a.day != 1 && ++m > 12) {
        m = 1;
        y++;
    }
    /* Start on a month that is a multiple of the step (January first). */
    while ((m - 1) % step != 0 && step <= 12) {
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    for (int first = 1;; first = 0) {
        sb_date d = {y, m, 1};
        double x = (double)sb_date_days(d);
        if (x > p->x1)
            break;
        char label[32];
        if (step >= 12)
            snprintf(label, sizeof label, "%d", y);
        else if (m == 1 || step >= 6 || first)
            snprintf(label, sizeof label, "%.3s %d", sb_month_name(m), y);
        else
            snprintf(label, sizeof label, "%.3s", sb_month_name(m));
        x_tick(p, x, label, h);
        m += step;
        while (m > 12) {
            m -= 12;
            y++;
        }
    }
}

void sb__plot_axes(sb__plot *p, sb__axis_kind xkind, sb__axis_kind ykind,
                   const char *xtitle, const char *ytitle)
{
    double w = p->width - p->left - p->right;
    double h = p->height - p->top - p->bottom;
    char label[64];
    if (ykind == SB_AXIS_NUMBER) {
        double step = nice_step(p->y1 - p->y0, h > 200 ? 6 : 4);
        for (double v = ceil(p->y0 / step - 1e-9) * step; v <= p->y1 + step * 1e-9;
             v += step) {
            double px, py;
            sb__plot_to_px(p, p->x0, v, &px, &py);
            set(p->cr, grid);
            cairo_set_line_width(p->cr, 1);
            cairo_move_to(p->cr, p->left, floor(py) + 0.5);
            cairo_line_to(p->cr, p->left + w, floor(py) + 0.5);
            cairo_stroke(p->cr);
            format_number(v, step, label, sizeof label);
            sb__plot_text_px(p, p->left - 8, py + 4, label, SB_ANCHOR_RIGHT, 11,
                             ink, 0);
        }
    }
    if (xkind == SB_AXIS_NUMBER) {
        double step = nice_step(p->x1 - p->x0, (int)(w / 80) > 2 ? (int)(w / 80) : 2);
        for (double v = ceil(p->x0 / step - 1e-9) * step; v <= p->x1 + step * 1e-9;
             v += step) {
            format_number(v, step, label, sizeof label);
            x_tick(p, v, label, h);
        }
    } else if (xkind == SB_AXIS_DATE) {
        date_ticks(p, h);
    }
    /* The frame of the data area: a base line and a left line. */
    set(p->cr, sb__rgb(0x9aa0a6, 1));
    cairo_set_line_width(p->cr, 1);
    cairo_move_to(p->cr, p->left + 0.5, p->top);
    cairo_line_to(p->cr, p->left + 0.5, p->top + h + 0.5);
    cairo_line_to(p->cr, p->left + w, p->top + h + 0.5);
    cairo_stroke(p->cr);
    if (xtitle)
        sb__plot_text_px(p, p->left + w / 2, p->height - 6, xtitle,
                         SB_ANCHOR_CENTER, 12, ink, 0);
    if (ytitle) {
        cairo_save(p->cr);
        cairo_translate(p->cr, 16, p->top + h / 2);
        cairo_rotate(p->cr, -M_PI / 2);
        sb__plot_text_px(p, 0, 0, ytitle, SB_ANCHOR_CENTER, 12, ink, 0);
        cairo_restore(p->cr);
    }
}

/* ---- marks --------------------------------------------------------------- */

void sb__plot_line(sb__plot *p, const double *x, const double *y, size_t n,
                   sb__rgba color, double width, int dashed)
{
    clip_area(p);
    int pen = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]) || isnan(y[i])) {
            pen = 0; /* a gap in the data is a gap in the line */
            continue;
        }
        double px, py;
        sb__plot_to_px(p, x[i], y[i], &px, &py);
        if (pen)
            cairo_line_to(p->cr, px, py);
        else
            cairo_move_to(p->cr, px, py);
        pen = 1;
    }
    set(p->cr, color);
    cairo_set_line_width(p->cr, width);
    cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_ROUND);
    if (dashed) {
        double dash[] = {6, 4};
        cairo_set_dash(p->cr, dash, 2, 0);
    }
    cairo_stroke(p->cr);
    unclip(p);
}

void sb__plot_points(sb__plot *p, const double *x, const double *y, size_t n,
                     sb__rgba color, double radius)
{
    clip_area(p);
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]) || isnan(y[i]))
            continue;
        double px, py;
        sb__plot_to_px(p, x[i], y[i], &px, &py);
        cairo_new_sub_path(p->cr);
        cairo_arc(p->cr, px, py, radius, 0, 2 * M_PI);
    }
    set(p->cr, color);
    cairo_fill_preserve(p->cr);
    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_set_line_width(p->cr, 1.2);
    cairo_stroke(p->cr);
    unclip(p);
}

void sb__plot_band(sb__plot *p, const double *x, const double *lo,
                   const double *hi, size_t n, sb__rgba color)
{
    if (n < 2)
        return;
    clip_area(p);
    double px, py;
    for (size_t i = 0; i < n; i++) {
        sb__plot_to_px(p, x[i], hi[i], &px, &py);
        if (i)
            cairo_line_to(p->cr, px, py);
        else
            cairo_move_to(p->cr, px, py);
    }
    for (size_t i = n; i-- > 0;) {
        sb__plot_to_px(p, x[i], lo[i], &px, &py);
        cairo_line_to(p->cr, px, py);
    }
    cairo_close_path(p->cr);
    set(p->cr, color);
    cairo_fill(p->cr);
    unclip(p);
}

void sb__plot_rect(sb__plot *p, double x0, double y0, double x1, double y1,
                   sb__rgba fill, sb__rgba edge)
{
    clip_area(p);
    double ax, ay, bx, by;
    sb__plot_to_px(p, x0, y0, &ax, &ay);
    sb__plot_to_px(p, x1, y1, &bx, &by);
    cairo_rectangle(p->cr, fmin(ax, bx), fmin(ay, by), fabs(bx - ax),
                    fabs(by - ay));
    set(p->cr, fill);
    if (edge.a > 0) {
        cairo_fill_preserve(p->cr);
        set(p->cr, edge);
        cairo_set_line_width(p->cr, 1);
        cairo_stroke(p->cr);
    } else {
        cairo_fill(p->cr);
    }
    unclip(p);
}

static void straight(sb__plot *p, double ax, double ay, double bx, double by,
                     sb__rgba color, int dashed)
{
    clip_area(p);
    cairo_move_to(p->cr, ax, ay);
    cairo_line_to(p->cr, bx, by);
    set(p->cr, color);
    cairo_set_line_width(p->cr, 1.5);
    if (dashed) {
        double dash[] = {5, 4};
        cairo_set_dash(p->cr, dash, 2, 0);
    }
    cairo_stroke(p->cr);
    unclip(p);
}

void sb__plot_hline(sb__plot *p, double y, sb__rgba color, int dashed)
{
    double px, py;
    sb__plot_to_px(p, p->x0, y, &px, &py);
    straight(p, p->left, py, p->width - p->right, py, color, dashed);
}

void sb__plot_vline(sb__plot *p, double x, sb__rgba color, int dashed)
{
    double px, py;
    sb__plot_to_px(p, x, p->y0, &px, &py);
    straight(p, px, p->top, px, p->height - p->bottom, color, dashed);
}

void sb__plot_arrow(sb__plot *p, double x0, double y0, double x1, double y1,
                    sb__rgba color, double width)
{
    double ax, ay, bx, by;
    sb__plot_to_px(p, x0, y0, &ax, &ay);
    sb__plot_to_px(p, x1, y1, &bx, &by);
    double len = hypot(bx - ax, by - ay);
    if (len < 1)
        return;
    double ux = (bx - ax) / len, uy = (by - ay) / len;
    double head = fmin(9, len * 0.6);
    clip_area(p);
    set(p->cr, color);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, ax, ay);
    cairo_line_to(p->cr, bx - ux * head * 0.8, by - uy * head * 0.8);
    cairo_stroke(p->cr);
    cairo_move_to(p->cr, bx, by);
    cairo_line_to(p->cr, bx - ux * head - uy * head * 0.45,
                  by - uy * head + ux * head * 0.45);
    cairo_line_to(p->cr, bx - ux * head + uy * head * 0.45,
                  by - uy * head - ux * head * 0.45);
    cairo_close_path(p->cr);
    cairo_fill(p->cr);
    unclip(p);
}

void sb__plot_legend(sb__plot *p, const sb__legend_entry *e, size_t n)
{
    double size = 11, gap = 16, swatch = 18;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += swatch + 5 + sb__plot_text_width(p, e[i].label, size, 0) +
                 (i + 1 < n ? gap : 0);
    double x = p->width - p->right - total;
    if (x < p->left)
        x = p->left;
    double y = p->top - 12;
    for (size_t i = 0; i < n; i++) {
        set(p->cr, e[i].color);
        switch (e[i].mark) {
        case SB_MARK_LINE:
        case SB_MARK_DASH:
            cairo_set_line_width(p->cr, 2.5);
            if (e[i].mark == SB_MARK_DASH) {
                double dash[] = {4, 3};
                cairo_set_dash(p->cr, dash, 2, 0);
            }
            cairo_move_to(p->cr, x, y - 4);
            cairo_line_to(p->cr, x + swatch, y - 4);
            cairo_stroke(p->cr);
            cairo_set_dash(p->cr, NULL, 0, 0);
            break;
        case SB_MARK_BOX:
            cairo_rectangle(p->cr, x + 2, y - 10, swatch - 4, 11);
            cairo_fill(p->cr);
            break;
        case SB_MARK_POINT:
            cairo_arc(p->cr, x + swatch / 2, y - 4, 4.5, 0, 2 * M_PI);
            cairo_fill(p->cr);
            break;
        }
        x += swatch + 5;
        sb__plot_text_px(p, x, y, e[i].label, SB_ANCHOR_LEFT, size, ink, 0);
        x += sb__plot_text_width(p, e[i].label, size, 0) + gap;
    }
}

/* ---- output -------------------------------------------------------------- */

/*
 * cairo numbers the surfaces of its SVG output ("surface12") with a counter
 * shared by the whole process, so the same figure drawn twice would differ.
 * The numbers are rewritten in order of appearance, which keeps every
 * reference intact and makes a figure depend on its data alone.
 */
static char *canonical_ids(const char *svg, size_t len, size_t *out_len)
{
    static const char key[] = "surface";
    /* A rewritten id grows by at most two digits ("surface1" has 8
     * characters, "surface256" 10): a quarter more room is enough. */
    size_t cap = len + len / 4 + 16;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    unsigned long seen[256];
    size_t nseen = 0, o = 0;
    for (size_t i = 0; i < len;) {
        size_t k = sizeof key - 1;
        if (i + k < len && !memcmp(svg + i, key, k) && svg[i + k] >= '0' &&
            svg[i + k] <= '9') {
            unsigned long v = 0;
            size_t j = i + k;
            while (j < len && svg[j] >= '0' && svg[j] <= '9' && v < 100000000UL)
                v = v * 10 + (unsigned long)(svg[j++] - '0');
            size_t idx = 0;
            while (idx < nseen && seen[idx] != v)
                idx++;
            if (idx == nseen && nseen < 256)
                seen[nseen++] = v;
            int n = snprintf(out + o, cap - o, "%s%zu", key, idx + 1);
            if (n < 0 || (size_t)n >= cap - o) {
                free(out);
                return NULL;
            }
            o += (size_t)n;
            i = j;
            continue;
        }
        out[o++] = svg[i++];
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

sb_status sb__plot_finish(sb__plot *p, char **svg, size_t *len, sb_error *err)
{
    *svg = NULL;
    *len = 0;
    cairo_status_t cs = cairo_status(p->cr);
    cairo_destroy(p->cr);
    p->cr = NULL;
    cairo_surface_finish(p->surface);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(p->surface);
    cairo_surface_destroy(p->surface);
    p->surface = NULL;
    sb_status st = SB_OK;
    if (cs != CAIRO_STATUS_SUCCESS || p->out.failed || !p->out.data)
        st = sb_error_set(err,
                          cs == CAIRO_STATUS_SUCCESS ||
                                  cs == CAIRO_STATUS_NO_MEMORY
                              ? SB_ERR_NOMEM
                              : SB_ERR_INVALID,
                          NULL, 0, 0,
                          "cannot draw a figure: %s",
                          cs != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(cs)
                                                     : "out of memory");
    if (st == SB_OK) {
        *svg = canonical_ids(p->out.data, p->out.len, len);
        if (!*svg)
            st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                              "cannot draw a figure: out of memory");
    }
    sb__plot_free(p);
    return st;
}
