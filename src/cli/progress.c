/*
 * A progress bar on standard error, drawn only when it is a terminal and
 * the command was not told to be quiet: a pipe or a log file gets none.
 */
#include "cli/progress.h"

#include <stdio.h>
#include <unistd.h>

void sb__cli_progress_init(sb__cli_progress *p, const char *label, int quiet)
{
    p->label = label;
    p->enabled = !quiet && isatty(fileno(stderr));
    p->last = -1;
}

void sb__cli_progress_update(void *ctx, double done)
{
    sb__cli_progress *p = ctx;
    if (!p->enabled)
        return;
    int percent = (int)(done * 100.0);
    if (percent == p->last)
        return;
    p->last = percent;
    int filled = percent * 30 / 100;
    fprintf(stderr, "\r%-28.28s [", p->label);
    for (int i = 0; i < 30; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%%", percent);
    if (percent >= 100)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}
