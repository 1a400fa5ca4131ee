/*
 * Measures due: from a schedule (an instrument every N weeks from a start
 * date) and the date it was last answered, the next due date and whether
 * it is due or overdue today. A practice rule, not a published one: due
 * from the due date, overdue a week later (SB_DUE_GRACE_DAYS).
 */
#include <securebase/care.h>

#include <stdio.h>

const char *sb_due_state_name(sb_due_state st)
{
    switch (st) {
    case SB_DUE_NOW: return "due";
    case SB_DUE_OVERDUE: return "overdue";
    default: return "later";
    }
}

sb_status sb_care_due(const sb_schedule *s, const char *today, sb_due *out,
                      sb_error *err)
{
    sb_date start, now, last;
    sb_status st = sb_date_parse(s->start, &start, err);
    if (st == SB_OK)
        st = sb_date_parse(today, &now, err);
    if (st == SB_OK && s->last_done[0])
        st = sb_date_parse(s->last_done, &last, err);
    if (st != SB_OK)
        return st;
    long due = sb_date_days(start);
    if (s->last_done[0]) {
        long next = sb_date_days(last) + 7L * s->every_weeks;
        if (next > due)
            due = next;
    }
    out->days = sb_date_days(now) - due;
    out->state = out->days < 0                    ? SB_DUE_LATER
                 : out->days < SB_DUE_GRACE_DAYS ? SB_DUE_NOW
                                                  : SB_DUE_OVERDUE;
    sb_date_format(sb_date_from_days(due), out->date);
    return SB_OK;
}
