/*
 * Allocating string copies and joins (see base/str.h).
 */
#include "base/str.h"

#include <stdlib.h>
#include <string.h>

char *sb__str_dup(const char *s)
{
    return sb__str_concat(s, "");
}

char *sb__str_concat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *d = malloc(na + nb + 1);
    if (d) {
        memcpy(d, a, na);
        memcpy(d + na, b, nb + 1);
    }
    return d;
}
