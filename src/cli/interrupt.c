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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Room for simulate's three files (and a few more), with the files SQLite
 * may put beside a backup's temporary. */
#define TARGETS_MAX 8
#define SIDES 4
#define TEMP_PATH_MAX 4200

static char temps[TARGETS_MAX * SIDES][TEMP_PATH_MAX];
static volatile sig_atomic_t temp_count;
static int installed;

static void remove_temporaries(int sig)
{
    int saved = errno;
    for (sig_atomic_t i = 0; i < temp_count; i++)
        (void)unlink(temps[i]);
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

void sb_cli_remove_on_signal(const char *target)
{
    static const char *const sides[SIDES] = {"", "-journal", "-wal", "-shm"};
    char tmp[TEMP_PATH_MAX];
    if (temp_count + SIDES > TARGETS_MAX * SIDES ||
        sb_atomic_temp_path(target, (long)getpid(), tmp, sizeof tmp - 16) < 0)
        return; /* left for the next write's sweep */
    if (!installed)
        install();
    for (int s = 0; s < SIDES; s++) {
        /* Written in full before it is counted, so the handler never sees
         * half a name. */
        snprintf(temps[temp_count], TEMP_PATH_MAX, "%s%s", tmp, sides[s]);
        temp_count++;
    }
}
