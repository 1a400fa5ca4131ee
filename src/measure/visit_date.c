/*
 * Dates of administrations in survey exports: checked against the calendar
 * (no 2026-02-30) and turned into keys that sort as the dates do.
 */
#include "measure/visit_date.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

sb__visit_kind sb__visit_date_key(const char *s, char key[SB__VISIT_KEY_SIZE])
{
    char scratch[SB__VISIT_KEY_SIZE];
    if (!key)
        key = scratch;
    size_t len = strlen(s);
    if (len >= 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
        s[7] == '-' && digits(s + 8, 2)) {
        int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
        if (mo < 1 || mo > 12 || d < 1 || d > sb_days_in_month(y, mo))
            return SB__VISIT_INVALID;
        char time[9] = "00:00:00";
        const char *t = s + 10;
        if (*t) {
            if ((*t != ' ' && *t != 'T') || !digits(t + 1, 2) || t[3] != ':' ||
                !digits(t + 4, 2) || atoi(t + 1) > 23 || atoi(t + 4) > 59)
                return SB__VISIT_INVALID;
            memcpy(time, t + 1, 5);
            t += 6;
            if (*t == ':') {
                if (!digits(t + 1, 2) || atoi(t + 1) > 60)
                    return SB__VISIT_INVALID;
                memcpy(time + 6, t + 1, 2);
                t += 3;
            }
            if (*t)
                return SB__VISIT_INVALID;
        }
        memcpy(key, s, 10);
        key[10] = ' ';
        memcpy(key + 11, time, sizeof time);
        return SB__VISIT_DATE;
    }
    if (len == 0 || len > 9 || !digits(s, len))
        return SB__VISIT_INVALID;
    memset(key, '0', 20 - len);
    memcpy(key + 20 - len, s, len + 1);
    return SB__VISIT_SESSION;
}

sb_status sb__visit_date_error(sb_error *err, const char *origin,
                               unsigned long line, unsigned long column,
                               const char *column_name, const char *text)
{
    return sb_error_set(err, SB_ERR_INVALID, origin, line, column,
                        "column '%.100s': '%.64s' is not a date (YYYY-MM-DD, "
                        "optionally with a time) nor a session number",
                        column_name, text);
}
