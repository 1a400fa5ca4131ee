/*
 * Progress bar for long runs; silent when stderr is not a terminal, and
 * when the command was given --quiet.
 */
#ifndef SB_CLI_PROGRESS_H
#define SB_CLI_PROGRESS_H

typedef struct sb__cli_progress {
    const char *label;
    int enabled;
    int last;
} sb__cli_progress;

void sb__cli_progress_init(sb__cli_progress *p, const char *label, int quiet);
/* Matches sb_sim_progress_fn; ctx is an sb__cli_progress. */
void sb__cli_progress_update(void *ctx, double done);

#endif
