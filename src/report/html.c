/*
 * HTML text in memory for the report (a base sb__buf): formatted markup,
 * escaping, boxes that let a wide table scroll, and figures as base64 data: images (each SVG keeps its own ids
 * that way).
 */
#include "report/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void append(sb__html *h, const char *s, size_t n)
{
    (void)sb__buf_append(h, s, n);
}

void sb__html_put(sb__html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)sb__buf_vprintf(h, fmt, ap);
    va_end(ap);
}

void sb__html_text(sb__html *h, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': append(h, "&amp;", 5); break;
        case '<': append(h, "&lt;", 4); break;
        case '>': append(h, "&gt;", 4); break;
        case '"': append(h, "&quot;", 6); break;
        case '\'': append(h, "&#39;", 5); break;
        default: append(h, p, 1); break;
        }
    }
}

void sb__html_scroll_begin(sb__html *h, const char *label)
{
    sb__html_put(h, "<div class=\"tablewrap\" tabindex=\"0\" role=\"region\" "
                   "aria-label=\"");
    sb__html_text(h, label);
    sb__html_put(h, "\">");
}

void sb__html_svg(sb__html *h, const char *svg, size_t len, const char *alt)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    sb__html_put(h, "<img class=\"figure\" alt=\"");
    sb__html_text(h, alt);
    sb__html_put(h, "\" src=\"data:image/svg+xml;base64,");
    if (sb__buf_reserve(h, (len + 2) / 3 * 4))
        return;
    const unsigned char *s = (const unsigned char *)svg;
    char *o = h->data + h->len;
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
        *o++ = digits[v >> 18];
        *o++ = digits[(v >> 12) & 63];
        *o++ = digits[(v >> 6) & 63];
        *o++ = digits[v & 63];
    }
    if (i < len) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)s[i + 1] << 8;
        *o++ = digits[v >> 18];
        *o++ = digits[(v >> 12) & 63];
        *o++ = i + 1 < len ? digits[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    h->len = (size_t)(o - h->data);
    h->data[h->len] = '\0';
    sb__html_put(h, "\">");
}

void sb__html_free(sb__html *h)
{
    sb__buf_free(h);
}
