/*
 * The report's figures, each drawn from a person's history (and the model
 * projection) into an SVG document. Every function returns SB_OK with
 * *svg NULL when there is nothing to draw; the caller frees *svg.
 */
#ifndef SB_REPORT_FIGURES_H
#define SB_REPORT_FIGURES_H

#include "report/history.h"
#include "report/projection.h"

/* The period the time axes show. */
typedef struct sb_span {
    long from, to; /* days since 1970-01-01 */
} sb_span;

typedef struct sb_figure {
    char *svg;
    size_t len;
} sb_figure;

/* One dimension over time with its reliable-change band and sudden changes. */
sb_status sb_figure_scores(const sb_history *h, int dimension, sb_span span,
                           sb_figure *out, sb_error *err);
/* The path on the anxiety-avoidance plane with the four regions. */
sb_status sb_figure_plane(const sb_history *h, sb_figure *out, sb_error *err);
/* Sessions a month, attended and missed, with gaps shaded. */
sb_status sb_figure_therapy(const sb_history *h, sb_span span, sb_figure *out,
                            sb_error *err);
/* Relationships as bars in time: supportive or straining, secure or not. */
sb_status sb_figure_relationships(const sb_history *h, sb_span span,
                                  sb_figure *out, sb_error *err);
/* The most frequent triggers, and how often a new response was tried. */
sb_status sb_figure_triggers(const sb_history *h, sb_figure *out,
                             sb_error *err);
/* Practice a month by outcome. */
sb_status sb_figure_practice(const sb_history *h, sb_span span, sb_figure *out,
                             sb_error *err);
/* The model's spread of paths for one dimension after the last score. */
sb_status sb_figure_projection(const sb_history *h, const sb_projection *p,
                               int dimension, sb_figure *out, sb_error *err);

/* Cuts UTF-8 text to at most `chars` characters, adding "..." if cut. */
void sb_figure_clip_text(const char *in, size_t chars, char *out, size_t size);

#endif
