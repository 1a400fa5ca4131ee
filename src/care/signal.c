/*
 * The on-track signal at an assessment and the attendance alerts. The rules
 * (docs/care.md): a score above the expected band's 90th percentile for its
 * week, or a reliable deterioration since intake, is "not on track"; above
 * the 75th is "watch"; otherwise "on track". Higher scores are less secure.
 * Two missed sessions in a row, or more than SB_CARE_GAP_DAYS days without
 * an attended one, raise an attendance alert.
 */
#include <securebase/care.h>

#include <math.h>
#include <string.h>

const char *sb_care_signal_name(sb_care_signal s)
{
    switch (s) {
    case SB_SIGNAL_ON_TRACK: return "on track";
    case SB_SIGNAL_WATCH: return "watch";
    case SB_SIGNAL_NOT_ON_TRACK: return "not on track";
    default: return "no signal";
    }
}

void sb_care_judge(const sb_care_band *b, double week, const double intake[2],
                   const double score[2], const double rc[2],
                   sb_care_check *out)
{
    out->week = week;
    out->signal = SB_SIGNAL_NONE;
    for (int d = 0; d < 2; d++) {
        unsigned why = 0;
        out->score[d] = score[d];
        if (isfinite(rc[d]) && score[d] - intake[d] >= rc[d])
            why |= SB_WHY_DETERIORATED;
        double p75 = sb_care_band_at(b, d, 3, week);
        double p90 = sb_care_band_at(b, d, 4, week);
        int banded = isfinite(p75) && isfinite(p90);
        if (banded && score[d] > p90)
            why |= SB_WHY_ABOVE_90;
        else if (banded && score[d] > p75)
            why |= SB_WHY_ABOVE_75;
        sb_care_signal s = SB_SIGNAL_NONE;
        if (why & (SB_WHY_DETERIORATED | SB_WHY_ABOVE_90))
            s = SB_SIGNAL_NOT_ON_TRACK;
        else if (why & SB_WHY_ABOVE_75)
            s = SB_SIGNAL_WATCH;
        else if (banded)
            s = SB_SIGNAL_ON_TRACK;
        out->dim[d] = s;
        out->why[d] = why;
        if (s > out->signal)
            out->signal = s;
    }
}

void sb_care_attendance_check(const sb_rec_session *s, size_t n, long as_of,
                              sb_care_attendance *out)
{
    memset(out, 0, sizeof *out);
    out->gap_days = -1;
    long first = -1, last_attended = -1;
    for (size_t i = 0; i < n; i++) {
        sb_date d;
        if (sb_date_parse(s[i].date, &d, NULL) != SB_OK)
            continue;
        long day = sb_date_days(d);
        if (day > as_of)
            continue;
        if (first < 0 || day < first)
            first = day;
        if (s[i].attended == 1) {
            out->missed_in_a_row = 0;
            if (day > last_attended)
                last_attended = day;
        } else {
            out->missed_in_a_row++;
        }
    }
    if (first >= 0)
        out->gap_days = as_of - (last_attended >= 0 ? last_attended : first);
    out->alert_missed = out->missed_in_a_row >= 2;
    out->alert_gap = out->gap_days > SB_CARE_GAP_DAYS;
}
