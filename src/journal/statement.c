/*
 * Small helpers for the statements of the web app's tables: stepping a
 * write to its end and copying text out of a row.
 */
#include "journal/practice.h"

#include <stdlib.h>
#include <string.h>

void sb__journal_column_text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    size_t n = s ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(buf, s, n);
    buf[n] = '\0';
}

sb_status sb__journal_step_done(sb_journal *j, sqlite3_stmt *st,
                               const char *doing, sb_error *err)
{
    int rc = sqlite3_step(st);
    sb_status s = rc == SQLITE_DONE ? SB_OK
                                    : sb__journal_db_error(j, err, doing);
    sqlite3_reset(st);
    return s;
}

sb_status sb__journal_collect(sb_journal *j, sqlite3_stmt *st, size_t size,
                             sb__journal_row_fn read, void *out, size_t *count,
                             const char *doing, sb_error *err)
{
    char *array = NULL;
    size_t n = 0, cap = 0;
    sb_status s = SB_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char *grown = realloc(array, cap * size);
            if (!grown) {
                s = sb_error_set(err, SB_ERR_NOMEM, j->path, 0, 0,
                                 "out of memory");
                break;
            }
            array = grown;
        }
        memset(array + n * size, 0, size);
        read(st, array + n * size);
        n++;
    }
    sqlite3_reset(st);
    if (s == SB_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        s = sb__journal_db_error(j, err, doing);
    if (s != SB_OK || !n) {
        free(array);
        array = NULL;
        n = 0;
    }
    memcpy(out, &array, sizeof array);
    *count = n;
    return s;
}
