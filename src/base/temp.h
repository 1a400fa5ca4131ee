/*
 * The temporary files of atomic writes, shared by the atomic file writer
 * and the journal's backup: named after the target and the writing
 * process, created exclusively, and removed when a killed process left
 * them behind.
 */
#ifndef SB_BASE_TEMP_H
#define SB_BASE_TEMP_H

#include <securebase/base.h>

/*
 * Removes the stale temporaries in the directory of `target`: regular files
 * of this user named "<name>.securebase-<pid>.tmp" (or that with -journal,
 * -wal or -shm, which SQLite puts beside a backup's temporary) for any
 * <name>, whose process no longer runs. Those of running processes, this
 * one included, are never touched; what cannot be removed stays.
 */
void sb__temp_sweep(const char *target);

/*
 * Sweeps, then creates this process's temporary for `target` (mode 0600,
 * exclusively, never through a link): *fd is open for writing and *path
 * (malloc'd, the caller frees it) names it.
 */
sb_status sb__temp_create(const char *target, int *fd, char **path,
                         sb_error *err);

#endif
