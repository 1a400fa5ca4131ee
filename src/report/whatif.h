/*
 * The what-if comparison drawn as HTML, shared by the report and the web
 * app: a table of the plans side by side at each horizon, labelled as a
 * model, with its assumptions.
 */
#ifndef SB_REPORT_WHATIF_H
#define SB_REPORT_WHATIF_H

#include "report/html.h"

#include <securebase/whatif.h>

/* The comparison's table, the inputs it started from and its assumptions
 * (no heading; the caller puts the section around it). */
void sb_whatif_html(sb_html *h, const sb_whatif *w);

#endif
