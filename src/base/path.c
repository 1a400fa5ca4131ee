/*
 * Resolving paths: which file a name reaches, links followed, whether the
 * name exists yet or not.
 */
#include "base/path.h"

#include "base/str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *sb__path_resolve(const char *path)
{
    char *full = realpath(path, NULL);
    if (full)
        return full;
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    char *dir;
    if (!slash)
        dir = sb__str_dup(".");
    else if (slash == path)
        dir = sb__str_dup("/");
    else {
        dir = sb__str_dup(path);
        if (dir)
            dir[slash - path] = '\0';
    }
    if (!dir || !name[0] || !strcmp(name, ".") || !strcmp(name, "..")) {
        free(dir);
        return NULL;
    }
    char *real = realpath(dir, NULL);
    free(dir);
    if (!real)
        return NULL;
    char *joined = sb__str_concat(real, strcmp(real, "/") ? "/" : "");
    free(real);
    if (!joined)
        return NULL;
    char *out = sb__str_concat(joined, name);
    free(joined);
    return out;
}

int sb__path_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}
