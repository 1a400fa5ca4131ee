/*
 * Request paths: which are well formed, and matching one against a route
 * pattern with {person}, {id}, {token} and {name} placeholders. Ids are
 * plain decimal numbers without a leading zero, so one record has exactly
 * one path.
 */
#include "serve/form.h"

#include <string.h>

static int segment_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int sb_path_valid(const char *path)
{
    size_t n = strlen(path);
    if (!n || path[0] != '/' || n > SB_PATH_MAX)
        return 0;
    const char *seg = path + 1;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if (!len && end)
            return 0; /* "//" */
        if ((len == 1 && seg[0] == '.') ||
            (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return 0;
        for (size_t i = 0; i < len; i++)
            if (!segment_char((unsigned char)seg[i]))
                return 0;
        if (!end)
            return 1;
        seg = end + 1;
    }
}

/* Whole decimal 1..2^53 without a leading zero. */
static int parse_id(const char *s, size_t n, sb_id *out)
{
    if (!n || n > 16 || s[0] == '0')
        return 0;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    if (v > (1LL << 53))
        return 0;
    *out = (sb_id)v;
    return 1;
}

static int token_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int name_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
}

static int placeholder(const char *what, size_t wlen, const char *s, size_t n,
                       sb_path_params *out)
{
    if (wlen == 6 && !memcmp(what, "person", 6))
        return parse_id(s, n, &out->person);
    if (wlen == 2 && !memcmp(what, "id", 2))
        return parse_id(s, n, &out->id);
    if (wlen == 5 && !memcmp(what, "token", 5)) {
        if (n != SB_TOKEN_TEXT - 1)
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!token_char((unsigned char)s[i]))
                return 0;
        memcpy(out->token, s, n);
        out->token[n] = '\0';
        return 1;
    }
    if (wlen == 4 && !memcmp(what, "name", 4)) {
        if (!n || n > 64)
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!name_char((unsigned char)s[i]))
                return 0;
        memcpy(out->name, s, n);
        out->name[n] = '\0';
        return 1;
    }
    return 0;
}

int sb_path_match(const char *pattern, const char *path, sb_path_params *out)
{
    memset(out, 0, sizeof *out);
    const char *p = pattern, *s = path;
    while (*p) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close)
                return 0;
            const char *end = strchr(s, '/');
            size_t n = end ? (size_t)(end - s) : strlen(s);
            if (!placeholder(p + 1, (size_t)(close - p - 1), s, n, out))
                return 0;
            p = close + 1;
            s += n;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
    return *s == '\0';
}
