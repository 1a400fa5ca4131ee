/*
 * Data files compiled into the library (scenarios/, instruments/): the table
 * is generated at build time by cmake/embed.cmake.
 */
#ifndef SB_BASE_BUILTIN_H
#define SB_BASE_BUILTIN_H

#include <stddef.h>

typedef struct sb__builtin_file {
    const char *path; /* relative to the source tree, e.g. "scenarios/seed.yaml" */
    const char *data; /* NUL-terminated contents */
    size_t size;      /* without the terminating NUL */
} sb__builtin_file;

/* Terminated by an entry whose path is NULL; sorted by path. */
extern const sb__builtin_file sb__builtin_files[];

/* The built-in file at `path`, or NULL. */
const sb__builtin_file *sb__builtin_find(const char *path);

#endif
