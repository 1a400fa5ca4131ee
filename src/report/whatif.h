/*
 * The what-if comparison drawn as HTML, shared by the report and the web
 * app: a table of the plans side by side at each horizon, labelled as a
 * model, with its assumptions.
 */
#ifndef SB_REPORT_WHATIF_H
#define SB_REPORT_WHATIF_H

#include "report/history.h"
#include "report/html.h"

#include <securebase/whatif.h>

/* Runs `plans` for the person of `h` as of `as_of` (days since 1970);
 * errors start with the person's name. */
sb_status sb__whatif_from_history(const sb__history *h, long as_of,
                                 const sb_plan *plans, size_t plan_count,
                                 const sb_whatif_options *o, sb_whatif *out,
                                 sb_error *err);

/* The comparison's tables, the inputs it started from and its assumptions
 * (no heading; the caller puts the section around it). Each table is in a
 * box that scrolls sideways on a small screen (sb__html_scroll_begin). */
void sb__whatif_html(sb__html *h, const sb_whatif *w);

#endif
