/*
 * Strict scalar conversion for scenario files: "12abc", "0x10", "nan",
 * "1e999", "1e-400", a quoted "5" or "yes" are all refused with a located
 * message, never coerced.
 */
#include "scenario/value.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sb_status sb__yfail(const sb__yctx *c, sb_status st, const sb__ynode *node,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_error_setv(c->err, st, c->origin, node ? node->line : 1,
                  node ? node->column : 1, fmt, ap);
    va_end(ap);
    return st;
}

void sb__ynode_describe(const sb__ynode *node, char *buf, size_t size)
{
    if (!node) {
        snprintf(buf, size, "nothing");
        return;
    }
    switch (node->kind) {
    case SB_YNODE_MAP:
        snprintf(buf, size, "a mapping");
        return;
    case SB_YNODE_SEQ:
        snprintf(buf, size, "a list");
        return;
    case SB_YNODE_SCALAR:
        break;
    }
    if (node->len == 0 && node->plain) {
        snprintf(buf, size, "nothing");
        return;
    }
    char shown[64];
    sb__ytext_show(node->text, node->len, shown, sizeof shown);
    snprintf(buf, size, node->plain ? "'%s'" : "'%s' in quotes", shown);
}

sb_status sb__yexpect(const sb__yctx *c, const sb__ynode *node,
                      sb__ynode_kind kind, const char *path)
{
    if (node && node->kind == kind)
        return SB_OK;
    char got[96];
    sb__ynode_describe(node, got, sizeof got);
    return sb__yfail(c, SB_ERR_INVALID, node, "%s: expected %s, got %s", path,
                     kind == SB_YNODE_MAP ? "a mapping of keys" : "a list",
                     got);
}

/* [-+]? (digits [. digits?] | . digits) ([eE] [-+]? digits)? */
static int is_decimal(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    while (i < len && isdigit((unsigned char)s[i]))
        i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && isdigit((unsigned char)s[i]))
            i++, digits++;
    }
    if (digits == 0)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t exp = 0;
        while (i < len && isdigit((unsigned char)s[i]))
            i++, exp++;
        if (exp == 0)
            return 0;
    }
    return i == len;
}

static int is_integer(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    if (i == len)
        return 0;
    for (; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static sb_status wrong_type(const sb__yctx *c, const sb__ynode *node,
                            const char *path, const char *expected)
{
    char got[96];
    sb__ynode_describe(node, got, sizeof got);
    return sb__yfail(c, SB_ERR_INVALID, node, "%s: expected %s, got %s", path,
                     expected, got);
}

static sb_status out_of_range(const sb__yctx *c, const sb__ynode *node,
                              const char *path, double min, double max)
{
    char shown[64];
    sb__ytext_show(node->text, node->len, shown, sizeof shown);
    return sb__yfail(c, SB_ERR_INVALID, node, "%s is %s; allowed %g..%g", path,
                     shown, min, max);
}

/* strtod of a scalar already known to be decimal (and NUL-terminated). */
static double decimal_value(const sb__ynode *node)
{
    errno = 0;
    return strtod(node->text, NULL);
}

/* Whether the digits before any exponent are all zeros ("0", "-0.000"). */
static int mantissa_is_zero(const char *s, size_t len)
{
    for (size_t i = 0; i < len && s[i] != 'e' && s[i] != 'E'; i++)
        if (s[i] >= '1' && s[i] <= '9')
            return 0;
    return 1;
}

/*
 * The decimal text[0..len) with its exponent raised by `shift`, read as a
 * double: a number below the normal range moved into it, where a double
 * holds it to full precision. NAN when out of memory.
 */
static double shifted(const char *text, size_t len, long shift)
{
    size_t m = 0;
    while (m < len && text[m] != 'e' && text[m] != 'E')
        m++;
    long exponent = m < len ? strtol(text + m + 1, NULL, 10) : 0;
    char *buf = malloc(m + 32);
    if (!buf)
        return NAN;
    snprintf(buf, m + 32, "%.*se%ld", (int)m, text, exponent + shift);
    double x = strtod(buf, NULL);
    free(buf);
    return x;
}

int sb__text_holds_double(const char *text, size_t len, double v)
{
    if (fabs(v) >= DBL_MIN || mantissa_is_zero(text, len))
        return 1;
    if (v == 0)
        return 0;
    /*
     * A subnormal. Moved up by 10^100 both are normal doubles (the scaling
     * itself costs a few parts in 10^16); the subnormal must be within one
     * part in 10^15 of what was written, as near as 15 significant digits.
     */
    double x = shifted(text, len, 100), y = v * 1e100;
    return fabs(x - y) <= 1e-15 * fabs(x);
}

/*
 * A value that is not 0 as written but too close to 0 for a double: it
 * would come out as 0 ("1e-400") or as a subnormal number that is not the
 * number written to 15 significant digits ("1e-310", "3e-324"). Refused
 * like a value that is too large, never silently changed.
 */
static sb_status too_small(const sb__yctx *c, const sb__ynode *node,
                           const char *path, double v)
{
    char shown[64];
    sb__ytext_show(node->text, node->len, shown, sizeof shown);
    if (v == 0)
        return sb__yfail(c, SB_ERR_INVALID, node,
                         "%s is %s, too close to 0 for a number (it would "
                         "become 0; the smallest normal number is about "
                         "%.1e); write 0 if that is meant",
                        path, shown, DBL_MIN);
    return sb__yfail(c, SB_ERR_INVALID, node,
                     "%s is %s, too close to 0 to be held to full precision "
                     "(it would become %.17g); write 0 or a value of at least "
                     "%.1e",
                     path, shown, v, DBL_MIN);
}

sb_status sb__yget_double(const sb__yctx *c, const sb__ynode *node,
                          const char *path, double min, double max, double *out)
{
    if (!node || node->kind != SB_YNODE_SCALAR || !node->plain ||
        !is_decimal(node->text, node->len))
        return wrong_type(c, node, path, "a number");
    double v = decimal_value(node);
    if (!sb__text_holds_double(node->text, node->len, v))
        return too_small(c, node, path, v);
    if (!isfinite(v) || v < min || v > max)
        return out_of_range(c, node, path, min, max);
    *out = v;
    return SB_OK;
}

sb_status sb__yget_int(const sb__yctx *c, const sb__ynode *node, const char *path,
                       double min, double max, int *out)
{
    if (!node || node->kind != SB_YNODE_SCALAR || !node->plain ||
        !is_integer(node->text, node->len))
        return wrong_type(c, node, path, "a whole number");
    double v = decimal_value(node);
    if (!isfinite(v) || v < min || v > max)
        return out_of_range(c, node, path, min, max);
    *out = (int)v;
    return SB_OK;
}

sb_status sb__yget_bool(const sb__yctx *c, const sb__ynode *node,
                        const char *path, int *out)
{
    if (node && node->kind == SB_YNODE_SCALAR && node->plain) {
        if (sb__yscalar_is(node, "true")) {
            *out = 1;
            return SB_OK;
        }
        if (sb__yscalar_is(node, "false")) {
            *out = 0;
            return SB_OK;
        }
    }
    return wrong_type(c, node, path, "true or false");
}

sb_status sb__yget_enum(const sb__yctx *c, const sb__ynode *node,
                        const char *path, const char *const *names, int *out)
{
    if (node && node->kind == SB_YNODE_SCALAR)
        for (int i = 0; names[i]; i++)
            if (sb__yscalar_is(node, names[i])) {
                *out = i;
                return SB_OK;
            }
    char expected[256];
    size_t o = 0;
    o += (size_t)snprintf(expected, sizeof expected, "one of ");
    const char *near = NULL;
    size_t best = 3; /* suggest only near misses */
    for (int i = 0; names[i] && o < sizeof expected; i++) {
        o += (size_t)snprintf(expected + o, sizeof expected - o, "%s%s",
                              i ? ", " : "", names[i]);
        size_t d = node && node->kind == SB_YNODE_SCALAR
                       ? sb__text_distance(node->text, node->len, names[i])
                       : (size_t)-1;
        if (d < best) {
            best = d;
            near = names[i];
        }
    }
    if (!near)
        return wrong_type(c, node, path, expected);
    char got[96];
    sb__ynode_describe(node, got, sizeof got);
    return sb__yfail(c, SB_ERR_INVALID, node,
                     "%s: expected %s, got %s; did you mean '%s'?", path,
                     expected, got, near);
}

int sb__text_is_name(const char *s, size_t len)
{
    if (len == 0 || !isalnum((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!(isalnum(ch) || ch == '.' || ch == '_' || ch == '+' || ch == '-'))
            return 0;
    }
    return 1;
}

/*
 * Decodes UTF-8 and keeps to the characters YAML allows unescaped, minus
 * line breaks and tabs: descriptions are one line.
 */
int sb__text_is_printable(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned long cp;
        size_t n;
        unsigned char b = p[i];
        if (b < 0x80) {
            cp = b;
            n = 1;
        } else if ((b & 0xE0) == 0xC0) {
            cp = b & 0x1F;
            n = 2;
        } else if ((b & 0xF0) == 0xE0) {
            cp = b & 0x0F;
            n = 3;
        } else if ((b & 0xF8) == 0xF0) {
            cp = b & 0x07;
            n = 4;
        } else {
            return 0;
        }
        if (i + n > len)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        static const unsigned long min_for_length[5] = {0, 0, 0x80, 0x800,
                                                        0x10000};
        if (cp < min_for_length[n]) /* overlong */
            return 0;
        int ok = (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF) ||
                 (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF) ||
                 (cp >= 0x10000 && cp <= 0x10FFFF);
        if (!ok)
            return 0;
        i += n;
    }
    return 1;
}

sb_status sb__yget_string(const sb__yctx *c, const sb__ynode *node,
                          const char *path, size_t size, int is_name, char *out)
{
    if (!node || node->kind != SB_YNODE_SCALAR)
        return wrong_type(c, node, path, is_name ? "a name" : "text");
    if (node->len >= size)
        return sb__yfail(c, SB_ERR_INVALID, node,
                         "%s is %zu bytes long; at most %zu are allowed", path,
                         node->len, size - 1);
    char shown[64];
    sb__ytext_show(node->text, node->len, shown, sizeof shown);
    if (is_name && !sb__text_is_name(node->text, node->len))
        return sb__yfail(c, SB_ERR_INVALID, node,
                         "%s '%s' is not a valid name: use letters, digits "
                         "and . _ + -, starting with a letter or digit",
                         path, shown);
    if (!is_name && !sb__text_is_printable(node->text, node->len))
        return sb__yfail(c, SB_ERR_INVALID, node,
                         "%s '%s' holds a control character or line break; "
                         "write it on one line",
                         path, shown);
    memset(out, 0, size);
    memcpy(out, node->text, node->len);
    return SB_OK;
}

sb_status sb__yget_field(const sb__yctx *c, const sb_field_info *f,
                         const sb__ynode *node, const char *path, void *base)
{
    char *p = (char *)base + f->offset;
    switch (f->type) {
    case SB_FIELD_DOUBLE:
        return sb__yget_double(c, node, path, f->min, f->max, (double *)p);
    case SB_FIELD_INT:
        return sb__yget_int(c, node, path, f->min, f->max, (int *)p);
    case SB_FIELD_BOOL:
        return sb__yget_bool(c, node, path, (int *)p);
    case SB_FIELD_ENUM: {
        int v;
        sb_status st = sb__yget_enum(c, node, path, f->names, &v);
        if (st == SB_OK) /* enums are stored as int: min + index */
            *(int *)p = (int)f->min + v;
        return st;
    }
    case SB_FIELD_STRING:
        return sb__yget_string(c, node, path, f->size,
                               !strcmp(f->key, "name"), p);
    case SB_FIELD_DIST:
        break;
    }
    return sb__yfail(c, SB_ERR_STATE, node, "%s: internal: field type %d",
                     path, (int)f->type);
}

size_t sb__text_distance(const char *a, size_t na, const char *b)
{
    enum { MAXLEN = 48 };
    size_t nb = strlen(b);
    if (na > MAXLEN || nb > MAXLEN)
        return (size_t)-1;
    size_t row[MAXLEN + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}
