/*
 * Files: atomic replacement (temp file + fsync + rename), opening inputs
 * (regular files only), whole-file reads, and directory creation.
 * Everything that writes results or reads a named input goes through here.
 */
#include <securebase/base.h>

#include "base/buf.h"
#include "base/path.h"
#include "base/str.h"
#include "base/temp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sb_atomic_file {
    FILE *stream;
    char *path;
    char *tmp_path;
};

/* Directory part of `path`, for the fsync that makes the rename durable. */
static void sync_parent_dir(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, sizeof dir, ".");
    } else {
        size_t n = (size_t)(slash - path);
        if (n == 0)
            n = 1;
        if (n >= sizeof dir)
            return;
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

sb_status sb_atomic_open(const char *path, sb_atomic_file **out, sb_error *err)
{
    return sb_atomic_open_mode(path, 0644, out, err);
}

/* 1 if the file at `path` (links followed) starts with `magic`. */
static int starts_with(const char *path, const void *magic, size_t n)
{
    /* O_NONBLOCK: a FIFO in the way must not hang the check. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    unsigned char head[16];
    struct stat st;
    int match = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && n <= sizeof head &&
                read(fd, head, n) == (ssize_t)n && !memcmp(head, magic, n);
    close(fd);
    return match;
}

static int is_sqlite_database(const char *path)
{
    return starts_with(path, "SQLite format 3", 16); /* with its NUL */
}

/*
 * Results never replace a database: every SQLite file securebase writes is
 * a journal (or a backup of one), and a report or a CSV renamed over it, or
 * over the -wal or -shm file beside it, would lose the records. Checked on
 * the file the path reaches, links followed, whatever it is called.
 */
sb_status sb_atomic_check(const char *path, sb_error *err)
{
    static const unsigned char wal_magic[2][4] = {{0x37, 0x7f, 0x06, 0x82},
                                                  {0x37, 0x7f, 0x06, 0x83}};
    if (is_sqlite_database(path))
        return sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                            "is an SQLite database (a journal?); results are "
                            "never written over one: choose another file");
    if (starts_with(path, wal_magic[0], 4) || starts_with(path, wal_magic[1], 4))
        return sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                            "is the write-ahead log of an SQLite database (a "
                            "journal?); choose another file");
    char *real = sb__path_resolve(path);
    if (!real)
        return SB_OK; /* the write itself will say what is wrong */
    static const char *const companions[] = {"-wal", "-shm", "-journal"};
    sb_status st = SB_OK;
    size_t n = strlen(real);
    for (size_t i = 0; i < 3 && st == SB_OK; i++) {
        size_t k = strlen(companions[i]);
        if (n <= k || strcmp(real + n - k, companions[i]))
            continue;
        real[n - k] = '\0';
        if (is_sqlite_database(real))
            st = sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                              "is the %s file of the SQLite database %s (a "
                              "journal?); choose another file",
                              companions[i], real);
        real[n - k] = companions[i][0];
    }
    free(real);
    return st;
}

sb_status sb_atomic_open_mode(const char *path, int mode, sb_atomic_file **out,
                              sb_error *err)
{
    *out = NULL;
    sb_status st = sb_atomic_check(path, err);
    if (st != SB_OK)
        return st;
    sb_atomic_file *af = calloc(1, sizeof *af);
    if (!af || !(af->path = sb__str_dup(path))) {
        free(af);
        return sb_error_set(err, SB_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    int fd;
    st = sb__temp_create(path, &fd, &af->tmp_path, err);
    if (st != SB_OK) {
        free(af->path);
        free(af);
        return st;
    }
    /* Created 0600; widen only when asked, before anything is written. */
    if (mode != 0600)
        (void)fchmod(fd, (mode_t)mode);
    af->stream = fdopen(fd, "w");
    if (!af->stream) {
        int e = errno;
        close(fd);
        unlink(af->tmp_path);
        free(af->path);
        free(af->tmp_path);
        free(af);
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(e));
    }
    *out = af;
    return SB_OK;
}

FILE *sb_atomic_stream(sb_atomic_file *af)
{
    return af->stream;
}

static void atomic_free(sb_atomic_file *af)
{
    free(af->path);
    free(af->tmp_path);
    free(af);
}

sb_status sb_atomic_commit(sb_atomic_file *af, sb_error *err)
{
    sb_status st = SB_OK;
    /* An error indicator set by an earlier write leaves no errno of its
     * own (errno may say "Success" by now): report it as EIO. */
    int e = EIO;
    int failed = ferror(af->stream);
    if (!failed && (fflush(af->stream) != 0 || fsync(fileno(af->stream)) != 0)) {
        failed = 1;
        e = errno;
    }
    if (fclose(af->stream) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    if (!failed && rename(af->tmp_path, af->path) != 0) {
        failed = 1;
        e = errno;
    }
    if (failed) {
        unlink(af->tmp_path);
        st = sb_error_set(err, SB_ERR_IO, af->path, 0, 0,
                          "cannot write: %s", strerror(e));
    } else {
        sync_parent_dir(af->path);
    }
    atomic_free(af);
    return st;
}

void sb_atomic_abort(sb_atomic_file *af)
{
    if (!af)
        return;
    fclose(af->stream);
    unlink(af->tmp_path);
    atomic_free(af);
}

sb_status sb_write_file_atomic(const char *path, const void *data, size_t size,
                               sb_error *err)
{
    sb_atomic_file *af;
    sb_status st = sb_atomic_open(path, &af, err);
    if (st != SB_OK)
        return st;
    if (size && fwrite(data, 1, size, af->stream) != size) {
        sb_atomic_abort(af);
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "short write");
    }
    return sb_atomic_commit(af, err);
}

sb_status sb_mkdir_p(const char *path, int mode, sb_error *err)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                            "directory path is empty or too long");
    if (mode == 0)
        mode = 0755;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
                return sb_error_set(err, SB_ERR_IO, buf, 0, 0,
                                    "cannot create directory: %s",
                                    strerror(errno));
            *p = c;
            if (c == '\0')
                break;
        }
    }
    struct stat sbuf;
    if (stat(path, &sbuf) != 0 || !S_ISDIR(sbuf.st_mode))
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "not a directory");
    return SB_OK;
}

/* What a file that is not a regular file is, for the message. */
static const char *file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

sb_status sb_file_open_read(const char *path, FILE **out, sb_error *err)
{
    *out = NULL;
    /* O_NONBLOCK: opening a FIFO with no writer returns at once instead of
     * waiting for one; the fstat below then refuses it. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    struct stat sbuf;
    if (fstat(fd, &sbuf) != 0) {
        int e = errno;
        close(fd);
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(e));
    }
    if (!S_ISREG(sbuf.st_mode)) {
        close(fd);
        return sb_error_set(err, SB_ERR_IO, path, 0, 0,
                            "cannot read: it is %s, not a regular file",
                            file_kind(sbuf.st_mode));
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int e = errno;
        close(fd);
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(e));
    }
    *out = f;
    return SB_OK;
}

sb_status sb_read_file(const char *path, char **data, size_t *size,
                       sb_error *err)
{
    return sb_read_file_max(path, SIZE_MAX / 2, data, size, err);
}

sb_status sb_read_file_max(const char *path, size_t max, char **data,
                           size_t *size, sb_error *err)
{
    *data = NULL;
    if (size)
        *size = 0;
    FILE *f;
    sb_status st = sb_file_open_read(path, &f, err);
    if (st != SB_OK)
        return st;
    sb__buf buf = {0};
    for (;;) {
        /* Never more than one byte past `max`, to tell "too large" apart. */
        size_t want = max + 1 - buf.len < 65536 ? max + 1 - buf.len : 65536;
        if (sb__buf_reserve(&buf, want)) {
            st = sb_error_set(err, SB_ERR_NOMEM, path, 0, 0, "out of memory");
            break;
        }
        size_t got = fread(buf.data + buf.len, 1, want, f);
        buf.len += got;
        buf.data[buf.len] = '\0';
        if (buf.len > max) {
            st = sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                              "the file is larger than %zu bytes, the most "
                              "accepted here",
                              max);
            break;
        }
        if (got == 0) {
            if (ferror(f))
                st = sb_error_set(err, SB_ERR_IO, path, 0, 0,
                                  "cannot read: %s", strerror(errno));
            break;
        }
    }
    fclose(f);
    if (st != SB_OK) {
        sb__buf_free(&buf);
        return st;
    }
    *data = buf.data;
    if (size)
        *size = buf.len;
    return SB_OK;
}
