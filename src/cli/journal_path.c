/*
 * Where the command line keeps a journal when --db is not given: the XDG
 * base directory for user data. The environment is the face's to read; the
 * journal layer is only ever handed a path.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sb_status sb__cli_default_journal(char **path, sb_error *err)
{
    *path = NULL;
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    const char *base, *tail;
    /* The XDG base directory rules ignore relative values. */
    if (xdg && xdg[0] == '/') {
        base = xdg;
        tail = "/securebase/journal.db";
    } else if (home && home[0]) {
        base = home;
        tail = "/.local/share/securebase/journal.db";
    } else {
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "neither XDG_DATA_HOME nor HOME is set; give the "
                            "journal's path explicitly");
    }
    size_t n = strlen(base) + strlen(tail) + 1;
    *path = malloc(n);
    if (!*path)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    snprintf(*path, n, "%s%s", base, tail);
    return SB_OK;
}
