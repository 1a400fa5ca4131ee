/*
 * Small string helpers that allocate: copies and joins for paths and names.
 * Every result is malloc'd and owned by the caller, who frees it; NULL means
 * out of memory.
 */
#ifndef SB_BASE_STR_H
#define SB_BASE_STR_H

/* A copy of `s`. */
char *sb__str_dup(const char *s);
/* `a` followed by `b`, e.g. a directory and a file name. */
char *sb__str_concat(const char *a, const char *b);

#endif
