/*
 * HTML text in memory for the report: a growing buffer, escaping, and
 * figures as base64 data: images (each SVG keeps its own ids that way).
 */
#include "report/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(sb_html *h, size_t more)
{
    if (h->failed)
        return 0;
    if (h->len + more + 1 <= h->cap)
        return 1;
    size_t cap = h->cap ? h->cap : 65536;
    while (cap < h->len + more + 1)
        cap *= 2;
    char *grown = realloc(h->data, cap);
    if (!grown) {
        h->failed = 1;
        return 0;
    }
    h->data = grown;
    h->cap = cap;
    return 1;
}

static void append(sb_html *h, const char *s, size_t n)
{
    if (!reserve(h, n))
        return;
    memcpy(h->data + h->len, s, n);
    h->len += n;
    h->data[h->len] = '\0';
}

void sb_html_put(sb_html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(h, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(h->data + h->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    h->len += (size_t)n;
}

void sb_html_text(sb_html *h, const char *text)
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

void sb_html_svg(sb_html *h, const char *svg, size_t len, const char *alt)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    sb_html_put(h, "<img class=\"figure\" alt=\"");
    sb_html_text(h, alt);
    sb_html_put(h, "\" src=\"data:image/svg+xml;base64,");
    if (!reserve(h, (len + 2) / 3 * 4))
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
    sb_html_put(h, "\">");
}

void sb_html_free(sb_html *h)
{
    free(h->data);
    h->data = NULL;
    h->len = h->cap = 0;
}
