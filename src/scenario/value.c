/*
 * Strict scalar conversion for scenario files: "12abc", "0x10", "nan",
 * "1e999", a quoted "5" or "yes" are all refused with a located message,
 * never coerced.
 */
#include "scenario/value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sb_status sb_yfail(const sb_yctx *c, sb_status st, const sb_ynode *node,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_error_setv(c->err, st, c->origin, node ? node->line : 1,
                  node ? node->column : 1, fmt, ap);
    va_end(ap);
    return st;
}

void sb_ynode_describe(const sb_ynode *node, char *buf, size_t size)
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
    sb_ytext_show(node->text, node->len, shown, sizeof shown);
    snprintf(buf, size, node->plain ? "'%s'" : "'%s' in quotes", shown);
}

sb_status sb_yexpect(const sb_yctx *c, const sb_ynode *node,
                     sb_ynode_kind kind, const char *path)
{
    if (node && node->kind == kind)
        return SB_OK;
    char got[96];
    sb_ynode_describe(node, got, sizeof got);
    return sb_yfail(c, SB_ERR_INVALID, node, "%s: expected %s, got %s", path,
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

static sb_status wrong_type(const sb_yctx *c, const sb_ynode *node,
                            const char *path, const char *expected)
{
    char got[96];
    sb_ynode_describe(node, got, sizeof got);
    return sb_yfail(c, SB_ERR_INVALID, node, "%s: expected %s, got %s", path,
                    expected, got);
}

static sb_status out_of_range(const sb_yctx *c, const sb_ynode *node,
                              const char *path, double min, double max)
{
    char shown[64];
    sb_ytext_show(node->text, node->len, shown, sizeof shown);
    return sb_yfail(c, SB_ERR_INVALID, node, "%s is %s; allowed %g..%g", path,
                    shown, min, max);
}

/* strtod of a scalar already known to be decimal (and NUL-terminated). */
static double decimal_value(const sb_ynode *node)
{
    errno = 0;
    return strtod(node->text, NULL);
}

sb_status sb_yget_double(const sb_yctx *c, const sb_ynode *node,
                         const char *path, double min, double max, double *out)
{
    if (!node || node->kind != SB_YNODE_SCALAR || !node->plain ||
        !is_decimal(node->text, node->len))
        return wrong_type(c, node, path, "a number");
    double v = decimal_value(node);
    if (!isfinite(v) || v < min || v > max)
        return out_of_range(c, node, path, min, max);
    *out = v;
    return SB_OK;
}

sb_status sb_yget_int(const sb_yctx *c, const sb_ynode *node, const char *path,
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

sb_status sb_yget_bool(const sb_yctx *c, const sb_ynode *node,
                       const char *path, int *out)
{
    if (node && node->kind == SB_YNODE_SCALAR && node->plain) {
        if (sb_yscalar_is(node, "true")) {
            *out = 1;
            return SB_OK;
        }
        if (sb_yscalar_is(node, "false")) {
            *out = 0;
            return SB_OK;
        }
    }
    return wrong_type(c, node, path, "true or false");
}

sb_status sb_yget_enum(const sb_yctx *c, const sb_ynode *node,
                       const char *path, const char *const *names, int *out)
{
    if (node && node->kind == SB_YNODE_SCALAR)
        for (int i = 0; names[i]; i++)
            if (sb_yscalar_is(node, names[i])) {
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
                       ? sb_text_distance(node->text, node->len, names[i])
                       : (size_t)-1;
        if (d < best) {
            best = d;
            near = names[i];
        }
    }
    if (!near)
        return wrong_type(c, node, path, expected);
    char got[96];
    sb_ynode_describe(node, got, sizeof got);
    return sb_yfail(c, SB_ERR_INVALID, node,
                    "%s: expected %s, got %s; did you mean '%s'?", path,
                    expected, got, near);
}

int sb_text_is_name(const char *s, size_t len)
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
int sb_text_is_printable(const char *s, size_t len)
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

sb_status sb_yget_string(const sb_yctx *c, const sb_ynode *node,
                         const char *path, size_t size, int is_name, char *out)
{
    if (!node || node->kind != SB_YNODE_SCALAR)
        return wrong_type(c, node, path, is_name ? "a name" : "text");
    if (node->len >= size)
        return sb_yfail(c, SB_ERR_INVALID, node,
                        "%s is %zu bytes long; at most %zu are allowed", path,
                        node->len, size - 1);
    char shown[64];
    sb_ytext_show(node->text, node->len, shown, sizeof shown);
    if (is_name && !sb_text_is_name(node->text, node->len))
        return sb_yfail(c, SB_ERR_INVALID, node,
                        "%s '%s' is not a valid name: use letters, digits "
                        "and . _ + -, starting with a letter or digit",
                        path, shown);
    if (!is_name && !sb_text_is_printable(node->text, node->len))
        return sb_yfail(c, SB_ERR_INVALID, node,
                        "%s '%s' holds a control character or line break; "
                        "write it on one line",
                        path, shown);
    memset(out, 0, size);
    memcpy(out, node->text, node->len);
    return SB_OK;
}

sb_status sb_yget_field(const sb_yctx *c, const sb_field_info *f,
                        const sb_ynode *node, const char *path, void *base)
{
    char *p = (char *)base + f->offset;
    switch (f->type) {
    case SB_FIELD_DOUBLE:
        return sb_yget_double(c, node, path, f->min, f->max, (double *)p);
    case SB_FIELD_INT:
        return sb_yget_int(c, node, path, f->min, f->max, (int *)p);
    case SB_FIELD_BOOL:
        return sb_yget_bool(c, node, path, (int *)p);
    case SB_FIELD_ENUM: {
        int v;
        sb_status st = sb_yget_enum(c, node, path, f->names, &v);
        if (st == SB_OK) /* enums are stored as int: min + index */
            *(int *)p = (int)f->min + v;
        return st;
    }
    case SB_FIELD_STRING:
        return sb_yget_string(c, node, path, f->size,
                              !strcmp(f->key, "name"), p);
    case SB_FIELD_DIST:
        break;
    }
    return sb_yfail(c, SB_ERR_STATE, node, "%s: internal: field type %d",
                    path, (int)f->type);
}

size_t sb_text_distance(const char *a, size_t na, const char *b)
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
