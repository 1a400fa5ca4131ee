/*
 * Temporary files of atomic writes. A temporary is named after its target
 * and the process writing it, "<target>.securebase-<pid>.tmp", rather than
 * at random: the writing program can remove its own from a signal handler
 * (it knows the name in advance), and a later run can tell a temporary
 * whose writer was killed (its process is gone) from one being written.
 */
#include "base/temp.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TAG ".securebase-"
#define END ".tmp"

int sb_atomic_temp_path(const char *target, long pid, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s" TAG "%ld" END, target, pid);
    return n < 0 || (size_t)n >= size ? -1 : n;
}

/* The pid in a name of ours, or 0 when `name` is not one. */
static long temp_pid(const char *name)
{
    const char *tag = strstr(name, TAG);
    while (tag && strstr(tag + 1, TAG))
        tag = strstr(tag + 1, TAG); /* the last one: targets may hold it */
    if (!tag || tag == name)
        return 0;
    const char *p = tag + strlen(TAG);
    if (!isdigit((unsigned char)*p))
        return 0;
    long pid = 0;
    for (; isdigit((unsigned char)*p); p++) {
        if (pid > 9999999)
            return 0;
        pid = pid * 10 + (*p - '0');
    }
    if (strncmp(p, END, strlen(END)))
        return 0;
    p += strlen(END);
    if (*p && strcmp(p, "-journal") && strcmp(p, "-wal") && strcmp(p, "-shm"))
        return 0;
    return pid;
}

static int process_gone(long pid)
{
    return pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void sb__temp_sweep(const char *target)
{
    const char *slash = strrchr(target, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if ((size_t)(slash - target) < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s",
                 slash == target ? 1 : (int)(slash - target), target);
    else
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    int dfd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = temp_pid(e->d_name);
        if (!pid || pid == (long)getpid() || !process_gone(pid))
            continue;
        struct stat st;
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode) && st.st_uid == geteuid())
            (void)unlinkat(dfd, e->d_name, 0);
    }
    closedir(d);
}

sb_status sb__temp_create(const char *target, int *fd, char **path,
                         sb_error *err)
{
    *fd = -1;
    *path = NULL;
    sb__temp_sweep(target);
    size_t n = strlen(target) + sizeof TAG + sizeof END + 24;
    char *tmp = malloc(n);
    if (!tmp)
        return sb_error_set(err, SB_ERR_NOMEM, target, 0, 0, "out of memory");
    sb_atomic_temp_path(target, (long)getpid(), tmp, n);
    int f = -1;
    for (int tries = 0; f < 0 && tries < 2; tries++) {
        f = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                 0600);
        if (f >= 0 || errno != EEXIST)
            break;
        /* Ours by name and pid, so left by an earlier process that had this
         * pid: stale, unless it is not a plain file of this user. */
        struct stat st;
        if (lstat(tmp, &st) != 0 || !S_ISREG(st.st_mode) ||
            st.st_uid != geteuid() || unlink(tmp) != 0) {
            errno = EEXIST;
            break;
        }
    }
    if (f < 0) {
        int e = errno;
        sb_status st =
            e == EEXIST
                ? sb_error_set(err, SB_ERR_IO, target, 0, 0,
                               "cannot create a temporary file beside it: "
                               "'%s' is in the way and is not ours",
                               tmp)
                : sb_error_set(err, SB_ERR_IO, target, 0, 0,
                               "cannot create a temporary file beside it: %s",
                               strerror(e));
        free(tmp);
        return st;
    }
    /* A umask such as 0277 would leave it unwritable by name (SQLite opens
     * a backup's temporary by name): exactly 0600. */
    (void)fchmod(f, 0600);
    *fd = f;
    *path = tmp;
    return SB_OK;
}
