/*
 * The --norms FILE option of the commands that judge reliable change of
 * journal clients (`status`, `report`, `serve`): repeatable, one norms
 * file per instrument, each naming its instrument in its rows.
 */
#ifndef SB_CLI_NORMS_OPTION_H
#define SB_CLI_NORMS_OPTION_H

#include <securebase/measure.h>

#define SB_CLI_NORMS_MAX 16

/* The files named, collected while the options are parsed. */
typedef struct sb__cli_norms_files {
    const char *path[SB_CLI_NORMS_MAX];
    size_t count;
} sb__cli_norms_files;

/* One --norms FILE; a usage error (said, SB_EXIT_USAGE) past the limit. */
int sb__cli_norms_arg(sb__cli_norms_files *n, const char *command,
                      const char *path);

/*
 * Reads the files once the other options are known: `known` (may be NULL)
 * is an instrument file the command was given, for norms of that
 * instrument. None given: *out is NULL. On failure says why on standard
 * error (file, line, column and value) and returns the exit code; else 0
 * with *out for sb_norms_set_free.
 */
int sb__cli_norms_load(const sb__cli_norms_files *n,
                       const sb_instrument *known, sb_norms_set **out);

/* One line per file on `out`: which norms are used, from which file. */
void sb__cli_norms_say(const sb_norms_set *set, FILE *out);

#endif
