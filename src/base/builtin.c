/*
 * Look-ups in the table of built-in data files.
 */
#include "base/builtin.h"

#include <string.h>

const sb__builtin_file *sb__builtin_find(const char *path)
{
    for (const sb__builtin_file *f = sb__builtin_files; f->path; f++)
        if (!strcmp(f->path, path))
            return f;
    return NULL;
}
