/*
 * Opening the journal for a command: its path (--db, or the default one),
 * what a failure says and which exit code it gives. Shared by `journal`
 * and `report`, so that every command treats the journal the same way.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

int sb__cli_journal_open(const char *db, unsigned flags, sb_journal **out)
{
    *out = NULL;
    sb_error err;
    char *def = NULL;
    const char *path = db;
    sb_status st = SB_OK;
    if (!path && (st = sb__cli_default_journal(&def, &err)) == SB_OK)
        path = def;
    if (st == SB_OK)
        st = sb_journal_open(path, flags, out, &err);
    free(def);
    if (st == SB_OK)
        return SB_EXIT_OK;
    sb__cli_report_error(&err);
    if (st == SB_ERR_NOTFOUND) {
        fprintf(stderr, "Create it with 'securebase journal%s%s init'.\n",
                db ? " --db " : "", db ? db : "");
        return SB_EXIT_USAGE;
    }
    /* A journal that cannot be opened to read is input that cannot be
     * opened (2); only creating one is output that can fail (1). */
    if (st == SB_ERR_IO && !(flags & SB_JOURNAL_CREATE))
        return SB_EXIT_USAGE;
    return sb__cli_exit_code(st);
}
