/*
 * Look-ups in the table of built-in data files.
 */
#include "base/builtin.h"

#include <string.h>

const sb_builtin_file *sb_builtin_find(const char *path)
{
    for (const sb_builtin_file *f = sb_builtin_files; f->path; f++)
        if (!strcmp(f->path, path))
            return f;
    return NULL;
}
