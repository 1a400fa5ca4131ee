/*
 * Growing memory: array growth by doubling and the NUL-terminated byte
 * buffer (see base/buf.h).
 */
#include "base/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *sb__grow(void *array, size_t *cap, size_t need, size_t size)
{
    size_t have = array ? *cap : 0;
    if (array && need <= have)
        return array;
    /* need > have here: doubling from max(have, 16) at least doubles. */
    size_t n = have > 16 ? have : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return NULL;
        n *= 2;
    }
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *grown = realloc(array, n * size);
    if (!grown)
        return NULL;
    *cap = n;
    return grown;
}

int sb__buf_reserve(sb__buf *b, size_t more)
{
    if (b->failed)
        return -1;
    if (more > SIZE_MAX - b->len - 1) {
        b->failed = 1;
        return -1;
    }
    char *grown = sb__grow(b->data, &b->cap, b->len + more + 1, 1);
    if (!grown) {
        b->failed = 1;
        return -1;
    }
    b->data = grown;
    return 0;
}

int sb__buf_append(sb__buf *b, const void *data, size_t n)
{
    if (sb__buf_reserve(b, n))
        return -1;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int sb__buf_vprintf(sb__buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0) {
        va_end(again);
        b->failed = 1;
        return -1;
    }
    if (sb__buf_reserve(b, (size_t)n)) {
        va_end(again);
        return -1;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
    va_end(again);
    b->len += (size_t)n;
    return 0;
}

int sb__buf_printf(sb__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = sb__buf_vprintf(b, fmt, ap);
    va_end(ap);
    return r;
}

void sb__buf_free(sb__buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
