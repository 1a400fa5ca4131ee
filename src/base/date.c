/*
 * Calendar dates: strict ISO 8601 "YYYY-MM-DD" checked against the real
 * calendar, and day counts for plotting and gaps.
 */
#include <securebase/base.h>

#include <string.h>

static const char *const month_names[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int sb_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

const char *sb_month_name(int month)
{
    return month >= 1 && month <= 12 ? month_names[month - 1] : "";
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

sb_status sb_date_parse(const char *text, sb_date *out, sb_error *err)
{
    int y, m, d;
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
        !digits(text, 4, &y) || !digits(text + 5, 2, &m) ||
        !digits(text + 8, 2, &d))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "'%s' is not a date in the form YYYY-MM-DD", text);
    if (m < 1 || m > 12)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "'%s' is not a real date (month %d)", text, m);
    if (d < 1 || d > sb_days_in_month(y, m))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "'%s' is not a real date (%s %d has %d days)", text,
                            month_names[m - 1], y, sb_days_in_month(y, m));
    if (y < SB_DATE_YEAR_MIN || y > SB_DATE_YEAR_MAX)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "'%s' is outside the years %d..%d", text,
                            SB_DATE_YEAR_MIN, SB_DATE_YEAR_MAX);
    out->year = y;
    out->month = m;
    out->day = d;
    return SB_OK;
}

/*
 * Days from civil date and back, on the proleptic Gregorian calendar, using
 * 400-year eras of 146097 days counted from 0000-03-01.
 */
long sb_date_days(sb_date date)
{
    long y = date.year - (date.month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (date.month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + date.day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

sb_date sb_date_from_days(long days)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    sb_date d;
    d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d.year = (int)(yoe + era * 400 + (d.month <= 2));
    return d;
}

void sb_date_format(sb_date d, char out[SB_DATE_SIZE])
{
    /* Journal dates have four-digit years; clamp so the text always fits. */
    int y = d.year < 0 ? 0 : d.year > 9999 ? 9999 : d.year;
    int m = d.month < 1 ? 1 : d.month > 12 ? 12 : d.month;
    int day = d.day < 1 ? 1 : d.day > 31 ? 31 : d.day;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + day / 10);
    out[9] = (char)('0' + day % 10);
    out[10] = '\0';
}
