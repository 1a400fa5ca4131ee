/*
 * Building HTML text in memory: appending, escaping text that came from the
 * journal, and embedding an SVG figure as a data: image so that the report
 * is one self-contained file.
 */
#ifndef SB_REPORT_HTML_H
#define SB_REPORT_HTML_H

#include "base/buf.h"

#include <securebase/base.h>

#include <stddef.h>

/* HTML being built: data, len and a sticky `failed` as in sb__buf. */
typedef sb__buf sb__html;

/* Appends formatted text as is (for markup written by the report). */
void sb__html_put(sb__html *h, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends text with &, <, >, " and ' escaped. */
void sb__html_text(sb__html *h, const char *text);
/* Opens a box for a table that may be wider than a small screen: the box
 * scrolls sideways instead of the whole page. It takes the focus, so that
 * it scrolls by keyboard too, and is a region named `label` (escaped) for
 * screen readers. The caller closes it with "</div>" after the table. */
void sb__html_scroll_begin(sb__html *h, const char *label);
/* Appends an <img> holding the SVG as base64, with escaped alt text. */
void sb__html_svg(sb__html *h, const char *svg, size_t len, const char *alt);
/* Releases the buffer. */
void sb__html_free(sb__html *h);

#endif
