/*
 * Error records: a status plus a located, human-readable message.
 */
#include <securebase/base.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sb_error_clear(sb_error *err)
{
    if (!err)
        return;
    err->status = SB_OK;
    err->file[0] = '\0';
    err->line = 0;
    err->column = 0;
    err->message[0] = '\0';
}

sb_status sb_error_set(sb_error *err, sb_status status, const char *file,
                       unsigned long line, unsigned long column,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_error_setv(err, status, file, line, column, fmt, ap);
    va_end(ap);
    return status;
}

sb_status sb_error_setv(sb_error *err, sb_status status, const char *file,
                        unsigned long line, unsigned long column,
                        const char *fmt, va_list ap)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return status;
}

void sb_error_prefix(sb_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[SB_ERROR_MSG_MAX];
    char old[SB_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof old);
    /* Truncation is fine here: the message is for people. */
    size_t np = strlen(prefix), no = strlen(old), cap = sizeof err->message - 1;
    if (np > cap)
        np = cap;
    if (no > cap - np)
        no = cap - np;
    memcpy(err->message, prefix, np);
    memcpy(err->message + np, old, no);
    err->message[np + no] = '\0';
}

void sb_error_format(const sb_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    if (!err) {
        buf[0] = '\0';
        return;
    }
    if (err->file[0] && err->line && err->column)
        snprintf(buf, size, "%s:%lu:%lu: %s", err->file, err->line,
                 err->column, err->message);
    else if (err->file[0] && err->line)
        snprintf(buf, size, "%s:%lu: %s", err->file, err->line, err->message);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, err->message);
    else
        snprintf(buf, size, "%s", err->message);
}

const char *sb_status_name(sb_status status)
{
    switch (status) {
    case SB_OK: return "ok";
    case SB_ERR_NOMEM: return "out of memory";
    case SB_ERR_IO: return "input/output error";
    case SB_ERR_PARSE: return "parse error";
    case SB_ERR_INVALID: return "invalid value";
    case SB_ERR_NOTFOUND: return "not found";
    case SB_ERR_DB: return "database error";
    case SB_ERR_STATE: return "not allowed now";
    }
    return "unknown status";
}
