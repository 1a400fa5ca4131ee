/*
 * Helpers shared by the report's tests: a journal with one person whose
 * records are simple enough to check by hand.
 */
#ifndef SB_TEST_REPORT_HELPERS_H
#define SB_TEST_REPORT_HELPERS_H

#include "journal/helpers.h"
#include "report/history.h"

#include <securebase/report.h>

/*
 * ECR answers on a 5-point scale whose anxiety (even items) and avoidance
 * (odd items) means are exactly `anx` and `av` (whole numbers), with the
 * reverse-keyed items (3, 15, 19, 22, 25, 27, 29, 31, 33, 35) answered so.
 */
static inline void tr_ecr_items(int anx, int av, char *out, size_t size)
{
    static const int rev[] = {3, 15, 19, 22, 25, 27, 29, 31, 33, 35};
    size_t n = 0;
    for (int i = 1; i <= 36; i++) {
        int v = i % 2 ? av : anx;
        for (size_t k = 0; k < sizeof rev / sizeof rev[0]; k++)
            if (rev[k] == i)
                v = 6 - v;
        n += (size_t)snprintf(out + n, size - n, "%s%d", i > 1 ? " " : "", v);
    }
}

static inline void tr_add(sb_journal *j, sb_journal_kind kind, const char *a,
                          const char *b, const char *c, const char *d,
                          const char *e, const char *f)
{
    tj_any rec;
    tj_fill(kind, &rec, "person=1", a, b, c, d, e, f, NULL);
    tj_add(j, kind, &rec);
}

/*
 * The person "Ana <test> & co": weekly sessions from 2026-01-05 for 12
 * weeks, weeks 3 and 4 missed; the ECR on 1-5 at weeks 0, 4, 8 and 11 with
 * anxiety 4, 4, 2, 2 and avoidance 3, 3, 3, 2; relationships; reflections
 * and practice.
 */
static inline void tr_fill_person(sb_journal *j)
{
    tj_person(j, "Ana <test> & co");
    char date[40], items[200], arg[240];
    for (int w = 0; w < 12; w++) {
        sb_date d = sb_date_from_days(sb_date_days((sb_date){2026, 1, 5}) + 7 * w);
        char text[SB_DATE_SIZE];
        sb_date_format(d, text);
        snprintf(date, sizeof date, "date=%s", text);
        tr_add(j, SB_KIND_SESSION, date, w == 3 || w == 4 ? "attended=no"
                                                         : "attended=yes",
               "minutes=50", "notes=", "notes=", "notes=");
    }
    static const struct { int week, anx, av; } ecr[] = {
        {0, 4, 3}, {4, 4, 3}, {8, 2, 3}, {11, 2, 2}};
    for (size_t i = 0; i < 4; i++) {
        sb_date d = sb_date_from_days(sb_date_days((sb_date){2026, 1, 5}) +
                                      7 * ecr[i].week);
        char text[SB_DATE_SIZE];
        sb_date_format(d, text);
        snprintf(date, sizeof date, "date=%s", text);
        tr_ecr_items(ecr[i].anx, ecr[i].av, items, sizeof items);
        snprintf(arg, sizeof arg, "items=%s", items);
        tr_add(j, SB_KIND_ASSESSMENT, "instrument=ecr", "scale=1-5", date, arg,
               "scale=1-5", "scale=1-5");
    }
    tr_add(j, SB_KIND_RELATIONSHIP, "kind=friend", "name=Maya", "supportive=yes",
           "secure=yes", "start=2015-09-01", "notes=");
    tr_add(j, SB_KIND_RELATIONSHIP, "kind=partner", "name=Sam", "supportive=no",
           "secure=no", "start=2021-03-01", "end=2026-02-01");
    const char *triggers[] = {"late reply", "Late reply ", "criticism",
                              "late reply", "criticism", "plans cancelled"};
    for (int i = 0; i < 6; i++) {
        sb_date d = sb_date_from_days(sb_date_days((sb_date){2026, 1, 7}) + 7 * i);
        char text[SB_DATE_SIZE];
        sb_date_format(d, text);
        snprintf(date, sizeof date, "date=%s", text);
        char trig[80];
        snprintf(trig, sizeof trig, "trigger=%s", triggers[i]);
        tr_add(j, SB_KIND_REFLECTION, date, trig, i % 2 ? "tried=yes" : "tried=no",
               "new_response=asked directly", i < 3 ? "intensity=8" : "intensity=4",
               "situation=");
    }
    tr_add(j, SB_KIND_PRACTICE, "date=2026-02-02", "behaviour=asked for help",
           "outcome=positive", "notes=", "notes=", "notes=");
    tr_add(j, SB_KIND_PRACTICE, "date=2026-02-09", "behaviour=said no",
           "outcome=mixed", "notes=", "notes=", "notes=");
}

/* A person's records as the report command loads them (by id or name). */
static inline sb_status tr_records(sb_journal *j, const char *who,
                                   sb_person_records *r, sb_error *err)
{
    sb_rec_person p;
    memset(r, 0, sizeof *r);
    sb_status st = sb_journal_find_person(j, who, &p, err);
    return st == SB_OK ? sb_journal_load_person(j, p.id, r, err) : st;
}

/* The summary of person `id` dated up to as_of, from the journal, with
 * local norms from `norms_file` (may be NULL). */
static inline sb_status tr_history_norms(sb_journal *j, sb_id id, long as_of,
                                         const sb_instrument *override,
                                         const char *norms_file,
                                         sb__history *h, sb_error *err)
{
    sb_person_records r;
    char who[32];
    snprintf(who, sizeof who, "%lld", (long long)id);
    sb_status st = tr_records(j, who, &r, err);
    if (st == SB_OK)
        st = sb__history_load(&r, as_of, override, norms_file, NULL, h,
                                  err);
    else
        memset(h, 0, sizeof *h);
    sb_person_records_free(&r);
    return st;
}

/* The same without local norms. */
static inline sb_status tr_history(sb_journal *j, sb_id id, long as_of,
                                   const sb_instrument *override,
                                   sb__history *h, sb_error *err)
{
    return tr_history_norms(j, id, as_of, override, NULL, h, err);
}

/* The report of `who`, from the journal, as the command renders it. */
static inline sb_status tr_render(sb_journal *j, const char *who,
                                  const sb_report_options *opt, char **html,
                                  size_t *len, sb_error *err)
{
    sb_person_records r;
    *html = NULL;
    sb_status st = tr_records(j, who, &r, err);
    if (st == SB_OK)
        st = sb_report_render(&r, opt, html, len, err);
    sb_person_records_free(&r);
    return st;
}

/* Fails unless every table of `html` is the first thing in a box that
 * scrolls sideways (sb__html_scroll_begin), so that no table widens the
 * page on a small screen; returns how many tables there are. */
static inline size_t tr_tables_scroll(const char *html)
{
    static const char box[] = "<div class=\"tablewrap\" tabindex=\"0\" "
                              "role=\"region\" aria-label=\"";
    size_t n = 0;
    for (const char *t = strstr(html, "<table"); t; t = strstr(t + 1, "<table")) {
        /* the tag just before the table must be the box's opening tag */
        const char *prev = t;
        while (prev > html && *--prev != '<')
            ;
        if (t == html || t[-1] != '>' || strncmp(prev, box, sizeof box - 1))
            fail_msg("a table outside a scroll box: %.120s", prev);
        n++;
    }
    return n;
}

#endif
