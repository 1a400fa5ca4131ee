/*
 * The shared --norms FILE option: collected, then read into one set, so
 * that every command that judges reliable change takes local norms alike.
 */
#include "cli/norms_option.h"
#include "cli/cli.h"

#include <stdio.h>

int sb__cli_norms_arg(sb__cli_norms_files *n, const char *command,
                      const char *path)
{
    if (n->count == SB_CLI_NORMS_MAX)
        return sb__cli_usage_error(command, "at most %d --norms files, one "
                                            "per instrument",
                                   SB_CLI_NORMS_MAX);
    n->path[n->count++] = path;
    return SB_EXIT_OK;
}

int sb__cli_norms_load(const sb__cli_norms_files *n,
                       const sb_instrument *known, sb_norms_set **out)
{
    *out = NULL;
    if (!n->count)
        return SB_EXIT_OK;
    sb_error err;
    sb_norms_set *set = NULL;
    sb_status st = sb_norms_set_new(&set, &err);
    for (size_t i = 0; st == SB_OK && i < n->count; i++)
        st = sb_norms_set_add_file(set, n->path[i], known, &err);
    if (st != SB_OK) {
        sb_norms_set_free(set);
        sb__cli_report_error(&err);
        return sb__cli_input_exit_code(st);
    }
    *out = set;
    return SB_EXIT_OK;
}

void sb__cli_norms_say(const sb_norms_set *set, FILE *out)
{
    for (size_t i = 0; i < sb_norms_set_count(set); i++) {
        char text[400];
        sb_norms_describe(sb_norms_set_get(set, i), text, sizeof text);
        fprintf(out, "reliable change uses %s from %s\n", text,
                sb_norms_set_path(set, i));
    }
}
