/*
 * Helpers shared by the subcommands: error printing, exit codes and strict
 * option parsing (no silent coercion of "12abc" to 12).
 */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void sb__cli_report_error(const sb_error *err)
{
    char buf[SB_ERROR_MSG_MAX + SB_ERROR_FILE_MAX + 64];
    sb_error_format(err, buf, sizeof buf);
    fprintf(stderr, "securebase: %s\n", buf);
}

int sb__cli_exit_code(sb_status st)
{
    switch (st) {
    case SB_OK:
        return SB_EXIT_OK;
    case SB_ERR_PARSE:
    case SB_ERR_INVALID:
    case SB_ERR_NOTFOUND:
        return SB_EXIT_USAGE;
    default:
        return SB_EXIT_FAILURE;
    }
}

int sb__cli_input_exit_code(sb_status st)
{
    return st == SB_OK          ? SB_EXIT_OK
           : st == SB_ERR_NOMEM ? SB_EXIT_FAILURE
                                : SB_EXIT_USAGE;
}

int sb__cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "securebase %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'securebase %s --help' for usage.\n", command);
    return SB_EXIT_USAGE;
}

int sb__cli_parse_long(const char *command, const char *option,
                       const char *text, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0')
        return sb__cli_usage_error(command, "%s expects a whole number, got '%s'",
                                   option, text);
    if (v < min || v > max)
        return sb__cli_usage_error(command, "%s must be in %ld..%ld, got %ld",
                                   option, min, max, v);
    *out = v;
    return SB_EXIT_OK;
}

int sb__cli_parse_u64(const char *command, const char *option,
                      const char *text, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (text[0] == '-')
        return sb__cli_usage_error(command, "%s must not be negative, got '%s'",
                                   option, text);
    /* strtoull skips blanks and then negates a '-': " -3" would become
     * 2^64 - 3. Only digits are a whole number here. */
    unsigned long long v = strtoull(text, &end, 10);
    if (!isdigit((unsigned char)text[0]) || errno || *end != '\0')
        return sb__cli_usage_error(command,
                                   "%s expects a whole number, got '%s'", option,
                                   text);
    *out = v;
    return SB_EXIT_OK;
}
