/*
 * Growing memory: sb__buf, a byte buffer that stays NUL-terminated (text
 * being built: HTML, SVG, a file being read, a CSV record), and sb__grow, the
 * growth of any array by doubling, with the size checked for overflow. Every
 * layer grows its memory through these, never with realloc of its own.
 */
#ifndef SB_BASE_BUF_H
#define SB_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * The array `array` of `size`-byte elements, with room for *cap of them,
 * made to hold at least `need`: `array` itself when it already does, else
 * the array moved to a larger block (doubling, at least 16 elements; the
 * old pointer is then invalid) with *cap updated. NULL when out of memory
 * or when the size would overflow: `array` and *cap are then as they were,
 * still owned by the caller. `array` may be NULL (then *cap is ignored).
 */
void *sb__grow(void *array, size_t *cap, size_t need, size_t size);

/* A byte buffer; zero-initialise it ({0}) before use. */
typedef struct sb__buf {
    char *data;  /* NUL-terminated once anything was added; owned */
    size_t len;  /* bytes held, without the NUL */
    size_t cap;  /* bytes allocated */
    int failed;  /* an allocation failed: everything added after it is lost */
} sb__buf;

/* Room for `more` bytes after len and a NUL: 0, or -1 (and failed set) when
 * out of memory. */
int sb__buf_reserve(sb__buf *b, size_t more);
/* Appends `n` bytes: 0 or -1 as sb__buf_reserve. */
int sb__buf_append(sb__buf *b, const void *data, size_t n);
/* Appends formatted text: 0 or -1. */
int sb__buf_printf(sb__buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int sb__buf_vprintf(sb__buf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;
/* Releases the memory; the buffer is empty and usable again. */
void sb__buf_free(sb__buf *b);

#endif
