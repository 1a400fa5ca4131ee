/*
 * Response scales written as text, "MIN-MAX" (e.g. "1-7"): the one parser
 * behind instrument files, the --scale option and the journal's scale field,
 * so that all three accept exactly the same spellings.
 */
#include <securebase/measure.h>

#include <stddef.h>

/* Reads 1-3 digits; NULL unless at least one digit was there. */
static const char *whole_number(const char *s, int *out)
{
    int v = 0;
    size_t n = 0;
    while (n < 3 && s[n] >= '0' && s[n] <= '9')
        v = v * 10 + (s[n++] - '0');
    *out = v;
    return n ? s + n : NULL;
}

sb_status sb_scale_parse(const char *text, sb_scale *out, sb_error *err)
{
    int lo = 0, hi = 0;
    /* Digits only: no sign, no spaces, no trailing text, so "1- 7" or
     * "1-+7" are refused rather than read as 1-7. */
    const char *p = whole_number(text, &lo);
    if (p && *p == '-')
        p = whole_number(p + 1, &hi);
    else
        p = NULL;
    if (!p || *p || lo >= hi || hi > SB_ANSWER_SCALE_MAX)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "must be MIN-MAX with whole numbers 0 <= MIN < "
                            "MAX <= %d, got '%.64s'",
                            SB_ANSWER_SCALE_MAX, text);
    out->min = lo;
    out->max = hi;
    return SB_OK;
}
