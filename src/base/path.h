/*
 * Paths as the file system sees them, for telling whether two names reach
 * the same file: links followed, and a name that does not exist yet placed
 * in its resolved directory.
 */
#ifndef SB_BASE_PATH_H
#define SB_BASE_PATH_H

/*
 * The absolute path `path` reaches: realpath() when it exists, otherwise
 * its resolved directory and its last name. NULL when neither can be
 * resolved or out of memory; the caller frees the result.
 */
char *sb__path_resolve(const char *path);

/* 1 if both paths exist and are the same file (device and inode, links
 * followed). */
int sb__path_same_file(const char *a, const char *b);

#endif
