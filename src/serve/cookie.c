/*
 * The Cookie request header: "name=value" pairs separated by ';' and
 * optional spaces (RFC 6265, section 5.4). Only the one cookie asked for is
 * looked at; a name sent twice is treated as absent, so that a cookie set
 * by another site on the same host cannot shadow ours.
 */
#include "serve/form.h"

#include <string.h>

int sb_cookie_find(const char *header, const char *name, char *out,
                   size_t size)
{
    if (!header || !size)
        return 0;
    size_t want = strlen(name);
    int found = 0;
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *start = p;
        while (*p && *p != ';')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        const char *eq = memchr(start, '=', (size_t)(end - start));
        if (!eq || (size_t)(eq - start) != want || memcmp(start, name, want))
            continue;
        const char *v = eq + 1;
        size_t n = (size_t)(end - v);
        if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
            v++;
            n -= 2;
        }
        /* cookie-octet: printable ASCII without space, quote, comma,
         * semicolon and backslash. */
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)v[i];
            if (c <= 0x20 || c >= 0x7F || c == '"' || c == ',' || c == ';' ||
                c == '\\')
                return 0;
        }
        if (found || n + 1 > size)
            return 0;
        memcpy(out, v, n);
        out[n] = '\0';
        found = 1;
    }
    return found;
}
