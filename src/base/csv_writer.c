/*
 * The CSV writer behind every CSV file securebase produces (scores, changes,
 * journal exports, simulation tables). Cells are quoted only when a reader
 * needs it, and text that a spreadsheet would run as a formula is
 * neutralised with a leading single quote (OWASP's advice against CSV
 * injection), in a way that the CSV reader undoes exactly.
 */
#include <securebase/base.h>

#include "base/csv_writer.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

/* The characters a spreadsheet takes as the start of a formula. */
static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
           c == '\r';
}

/* [-+]? (digits [. digits*] | . digits) ([eE] [-+]? digits)?, whole. */
static int is_number(const char *s)
{
    size_t i = 0, digits = 0;
    if (s[i] == '-' || s[i] == '+')
        i++;
    while (isdigit((unsigned char)s[i]))
        i++, digits++;
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i]))
            i++, digits++;
    }
    if (!digits)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '-' || s[i] == '+')
            i++;
        if (!isdigit((unsigned char)s[i]))
            return 0;
        while (isdigit((unsigned char)s[i]))
            i++;
    }
    return s[i] == '\0';
}

/*
 * Text that starts like a formula (and is not a number), or that is one or
 * more single quotes followed by such a start (a number included): the
 * second case is what makes the guard reversible, since "'=x" written as
 * text must not read back as "=x".
 */
int sb__csv_needs_guard(const char *text)
{
    size_t quotes = strspn(text, "'");
    const char *rest = text + quotes;
    if (!formula_start(rest[0]))
        return 0;
    return quotes > 0 || !is_number(rest);
}

void sb_csv_writer_init(sb_csv_writer *w, FILE *out)
{
    w->out = out;
    w->cells = 0;
    w->failed = 0;
}

static void separator(sb_csv_writer *w)
{
    if (w->cells++ && fputc(',', w->out) == EOF)
        w->failed = 1;
}

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

void sb_csv_text(sb_csv_writer *w, const char *text)
{
    separator(w);
    size_t n = strlen(text);
    int guard = sb__csv_needs_guard(text);
    /* Readers trim blanks at either end of an unquoted cell, and take a
     * byte-order mark at the start of a file for no text. */
    int quote = n && ((!guard && blank(text[0])) || blank(text[n - 1]) ||
                      !strncmp(text, "\xEF\xBB\xBF", 3));
    for (size_t i = 0; i < n && !quote; i++)
        quote = text[i] == ',' || text[i] == '"' || text[i] == '\n' ||
                text[i] == '\r';
    int bad = 0;
    if (quote)
        bad |= fputc('"', w->out) == EOF;
    if (guard)
        bad |= fputc('\'', w->out) == EOF;
    if (!quote) {
        bad |= n && fwrite(text, 1, n, w->out) != n;
    } else {
        for (const char *c = text; *c; c++) {
            if (*c == '"')
                bad |= fputc('"', w->out) == EOF;
            bad |= fputc(*c, w->out) == EOF;
        }
        bad |= fputc('"', w->out) == EOF;
    }
    if (bad)
        w->failed = 1;
}

void sb_csv_number(sb_csv_writer *w, double value, int decimals)
{
    separator(w);
    int r = 0;
    if (isinf(value))
        r = fputs(value > 0 ? "inf" : "-inf", w->out);
    else if (!isnan(value))
        r = fprintf(w->out, "%.*f", decimals, value);
    if (r < 0)
        w->failed = 1;
}

void sb_csv_integer(sb_csv_writer *w, long long value)
{
    separator(w);
    if (fprintf(w->out, "%lld", value) < 0)
        w->failed = 1;
}

void sb_csv_end_row(sb_csv_writer *w)
{
    if (fputc('\n', w->out) == EOF)
        w->failed = 1;
    w->cells = 0;
}

int sb_csv_writer_status(const sb_csv_writer *w)
{
    return w->failed || ferror(w->out) ? -1 : 0;
}
