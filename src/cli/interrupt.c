/*
 * What the command leaves behind when it is interrupted. An atomic write
 * keeps its data in a temporary file beside the target until it is
 * complete; SIGINT, SIGTERM or SIGHUP in the middle would leave that file
 * (a whole copy of a journal, for a backup). The command names the outputs
 * it is about to write; the temporaries they will use are known in advance
 * (sb_atomic_temp_path), so the handler only has to unlink them, which is
 * safe in a signal handler, and then dies of the same signal. The list is
 * the face's own state: the library keeps none. SIGKILL cannot be caught;
 * what it leaves is removed by the next write in that directory.
 */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* Room for simulate's tables and a chart for every scenario of a run. */
#define TARGETS_MAX 64
#define TEMP_PATH_MAX 4200
#define SIDE_MAX 16 /* "-journal" and the NUL, with room */

static char temps[TARGETS_MAX][TEMP_PATH_MAX];
static volatile sig_atomic_t temp_count;
static int installed;

/* Unlinks path + side; only async-signal-safe calls. */
static void unlink_side(const char *path, const char *side)
{
    static char full[TEMP_PATH_MAX + SIDE_MAX];
    size_t n = 0;
    for (; path[n] && n < TEMP_PATH_MAX; n++)
        full[n] = path[n];
    for (size_t k = 0; side[k] && k + 1 < SIDE_MAX; k++)
        full[n++] = side[k];
    full[n] = '\0';
    (void)unlink(full);
}

static void remove_temporaries(int sig)
{
    /* A backup's temporary may have SQLite's files beside it. */
    static const char *const sides[] = {"", "-journal", "-wal", "-shm"};
    int saved = errno;
    for (sig_atomic_t i = 0; i < temp_count; i++)
        for (size_t s = 0; s < sizeof sides / sizeof sides[0]; s++)
            unlink_side(temps[i], sides[s]);
    errno = saved;
    /* The handler was reset to the default (SA_RESETHAND): raised again,
     * the signal ends the process as it would have without us. */
    raise(sig);
}

static void install(void)
{
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_temporaries;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        sigaddset(&sa.sa_mask, signals[i]);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction old;
        /* A signal ignored when we started (nohup) stays ignored. */
        if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            (void)sigaction(signals[i], &sa, NULL);
    }
    installed = 1;
}

void sb__cli_remove_on_signal(const char *target)
{
    if (temp_count == TARGETS_MAX ||
        sb_atomic_temp_path(target, (long)getpid(), temps[temp_count],
                            TEMP_PATH_MAX) < 0)
        return; /* left for the next write's sweep */
    if (!installed)
        install();
    /* Counted only once written in full: the handler never sees half a
     * name. */
    temp_count++;
}
