/*
 * UTF-8 checking for text that arrives from outside (CSV cells, command-line
 * values) before it is stored, exported as JSON or written into HTML.
 */
#ifndef SB_BASE_UTF8_H
#define SB_BASE_UTF8_H

#include <stddef.h>

/*
 * Length of the longest valid UTF-8 prefix of s[0..len): equals `len` when
 * the whole text is valid. Overlong forms, surrogates and code points above
 * U+10FFFF are invalid.
 */
size_t sb__utf8_valid_prefix(const char *s, size_t len);

/*
 * The code point that starts at s[*i] in valid UTF-8 text of `len` bytes;
 * advances *i past it.
 */
unsigned long sb__utf8_next(const char *s, size_t len, size_t *i);

#endif
