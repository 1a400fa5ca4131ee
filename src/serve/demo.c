/*
 * The demo practice behind `securebase serve --demo`: a throw-away journal
 * with invented people only. Alex is the documentation's example person
 * (examples/make-example-person.sh, exported to examples/demo/alex.csv and
 * compiled in); the others are made here with dates up to today, so the
 * caseload shows recent sessions, due measures and change. Every name,
 * answer and note is invented.
 */
#include "serve/internal.h"

#include <securebase/questionnaire.h>

#include "base/builtin.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const sb_demo_login logins[] = {
    {"admin", "demo-admin-password", "admin", "the practice's administrator"},
    {"dr.rivera", "demo-clinician-password", "clinician",
     "a clinician with five clients"},
    {"dr.okafor", "demo-clinician-password", "clinician",
     "a clinician with one client"},
    {"alex", "demo-client-password", "client", "Alex (example), a client"},
    {"blair", "demo-client-password", "client", "Blair (example), a client"},
};

/* An invented client: how their scores move over their weeks in therapy. */
typedef struct story {
    const char *name;
    int weeks;              /* weeks in therapy, up to today */
    double anx0, avo0, anx1, avo1; /* ECR-R means at the start and now */
    int missed_every;       /* every n-th session is missed (0: none) */
    const char *clinician;
} story;

static const story stories[] = {
    {"Blair (example)", 30, 5.1, 3.9, 3.6, 3.2, 9, "dr.rivera"},
    {"Casey (example)", 18, 4.2, 5.0, 4.3, 5.1, 3, "dr.rivera"},
    {"Devon (example)", 24, 3.4, 3.0, 4.6, 3.9, 5, "dr.rivera"},
    {"Emery (example)", 3, 4.8, 4.4, 4.8, 4.4, 0, "dr.rivera"},
    {"Frankie (example)", 12, 4.0, 4.2, 3.6, 3.9, 6, "dr.okafor"},
};

static const char *const triggers[] = {
    "partner slow to reply", "criticism at work", "plans cancelled",
    "feeling left out", "conflict with a friend", "a parent's phone call"};
static const char *const behaviours[] = {
    "asked for reassurance directly", "waited before replying",
    "shared a worry with a friend", "said no to an extra task",
    "stayed in a difficult conversation"};

/* ECR-R: items 1-18 anxiety, 19-36 avoidance; these are reverse-keyed. */
static int reversed(int item)
{
    return item == 9 || item == 11 || item == 20 || item == 22 ||
           (item >= 26 && item <= 31) || (item >= 33 && item <= 36);
}

static void ecr_r_answers(double anx, double avo, unsigned salt, double *out)
{
    for (int i = 1; i <= 36; i++) {
        double mean = i <= 18 ? anx : avo;
        /* A fixed spread around the mean, different for each item. */
        double wiggle = ((int)((i * 7 + salt * 3) % 5) - 2) * 0.45;
        long v = lround(mean + wiggle);
        v = v < 1 ? 1 : v > 7 ? 7 : v;
        out[i - 1] = (double)(reversed(i) ? 8 - v : v);
    }
}

static void date_at(long day, char out[SB_DATE_SIZE])
{
    sb_date_format(sb_date_from_days(day), out);
}

static sb_status add_story(sb_journal *j, const story *s, long today,
                           sb_id *person, sb_error *err)
{
    sb_rec_person p;
    sb_journal_record_init(SB_KIND_PERSON, &p);
    snprintf(p.name, sizeof p.name, "%s", s->name);
    snprintf(p.notes, sizeof p.notes, "Invented for the demo.");
    sb_status st = sb_journal_add(j, SB_KIND_PERSON, &p, err);
    if (st != SB_OK)
        return st;
    *person = p.id;
    long first = today - 7L * s->weeks + 1;
    sb_rec_relationship rel;
    sb_journal_record_init(SB_KIND_RELATIONSHIP, &rel);
    rel.person = p.id;
    rel.kind = SB_REL_FRIEND;
    snprintf(rel.name, sizeof rel.name, "A close friend");
    rel.supportive = 1;
    rel.secure = 1;
    date_at(first - 2000, rel.start);
    if ((st = sb_journal_add(j, SB_KIND_RELATIONSHIP, &rel, err)) != SB_OK)
        return st;
    for (int w = 0; w < s->weeks && st == SB_OK; w++) {
        long day = first + 7L * w;
        double t = s->weeks > 1 ? (double)w / (s->weeks - 1) : 0;
        sb_rec_session ses;
        sb_journal_record_init(SB_KIND_SESSION, &ses);
        ses.person = p.id;
        date_at(day, ses.date);
        ses.attended = !(s->missed_every && w % s->missed_every ==
                                                s->missed_every - 1);
        ses.minutes = 50;
        st = sb_journal_add(j, SB_KIND_SESSION, &ses, err);
        if (st == SB_OK && w % 4 == 0) {
            sb_rec_assessment a;
            sb_journal_record_init(SB_KIND_ASSESSMENT, &a);
            a.person = p.id;
            snprintf(a.instrument, sizeof a.instrument, "ecr-r");
            date_at(day, a.date);
            a.item_count = 36;
            ecr_r_answers(s->anx0 + t * (s->anx1 - s->anx0),
                          s->avo0 + t * (s->avo1 - s->avo0), (unsigned)w,
                          a.items);
            st = sb_journal_add(j, SB_KIND_ASSESSMENT, &a, err);
        }
        if (st == SB_OK && w % 2 == 1) {
            sb_rec_reflection f;
            sb_journal_record_init(SB_KIND_REFLECTION, &f);
            f.person = p.id;
            date_at(day + 2, f.date);
            snprintf(f.trigger, sizeof f.trigger, "%s",
                     triggers[(w + s->weeks) % 6]);
            snprintf(f.situation, sizeof f.situation,
                     "An invented example situation for the demo.");
            snprintf(f.old_response, sizeof f.old_response,
                     "pull away and go quiet");
            f.tried = w > s->weeks / 3;
            if (f.tried)
                snprintf(f.new_response, sizeof f.new_response,
                         "said how it felt and asked what was going on");
            f.intensity = 8 - (int)(4 * t);
            st = sb_journal_add(j, SB_KIND_REFLECTION, &f, err);
        }
        if (st == SB_OK && w % 3 == 2) {
            sb_rec_practice x;
            sb_journal_record_init(SB_KIND_PRACTICE, &x);
            x.person = p.id;
            date_at(day + 4, x.date);
            snprintf(x.behaviour, sizeof x.behaviour, "%s",
                     behaviours[w % 5]);
            x.outcome = (w / 3) % 3 == 2 ? SB_OUTCOME_MIXED
                                         : SB_OUTCOME_POSITIVE;
            st = sb_journal_add(j, SB_KIND_PRACTICE, &x, err);
        }
    }
    return st;
}

static sb_status schedule(sb_journal *j, sb_id person, const char *inst,
                          int weeks, long start, sb_error *err)
{
    sb_schedule s;
    memset(&s, 0, sizeof s);
    s.person = person;
    snprintf(s.instrument, sizeof s.instrument, "%s", inst);
    s.every_weeks = weeks;
    date_at(start, s.start);
    return sb_schedule_add(j, &s, err);
}

static sb_id account_id(sb_journal *j, const char *name)
{
    sb_account a;
    return sb_account_find(j, name, &a, NULL) == SB_OK ? a.id : 0;
}

sb_status sb_demo_create(const char *path, const sb_demo_login **out,
                         size_t *count, sb_error *err)
{
    *out = logins;
    *count = sizeof logins / sizeof logins[0];
    const sb__builtin_file *alex = sb__builtin_find("examples/demo/alex.csv");
    if (!alex)
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "the demo's example person is not built in");
    sb_journal *j;
    sb_status st = sb_journal_open(path, SB_JOURNAL_CREATE, &j, err);
    if (st != SB_OK)
        return st;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    long today = sb_date_days((sb_date){tm.tm_year + 1900, tm.tm_mon + 1,
                                        tm.tm_mday});
    st = sb_journal_import_csv_buffer(j, "examples/demo/alex.csv", alex->data,
                                      alex->size, NULL, NULL, err);
    /* The accounts first: their hashing is the slow part. */
    for (size_t i = 0; st == SB_OK && i < 3; i++) {
        sb_role role;
        (void)sb_role_parse(logins[i].role, &role, NULL);
        st = sb_account_add(j, logins[i].username, role, 0, logins[i].password,
                            (int64_t)now, NULL, err);
    }
    sb_id rivera = account_id(j, "dr.rivera"), okafor = account_id(j, "dr.okafor");
    sb_rec_person who;
    if (st == SB_OK)
        st = sb_journal_find_person(j, "Alex (example)", &who, err);
    if (st == SB_OK)
        st = sb_account_add(j, "alex", SB_ROLE_CLIENT, who.id,
                            logins[3].password, (int64_t)now, NULL, err);
    if (st == SB_OK)
        st = sb_assignment_add(j, rivera, who.id, (int64_t)now, err);
    if (st == SB_OK)
        st = schedule(j, who.id, "ecr", 4, today - 150, err);
    if (st == SB_OK)
        st = sb_journal_transaction(j, err);
    sb_id ids[sizeof stories / sizeof stories[0]] = {0};
    for (size_t i = 0; st == SB_OK && i < sizeof stories / sizeof stories[0];
         i++)
        st = add_story(j, &stories[i], today, &ids[i], err);
    if (st == SB_OK)
        st = sb_journal_transaction_commit(j, err);
    else
        sb_journal_transaction_rollback(j);
    for (size_t i = 0; st == SB_OK && i < sizeof stories / sizeof stories[0];
         i++)
        st = sb_assignment_add(j, strcmp(stories[i].clinician, "dr.okafor")
                                      ? rivera
                                      : okafor,
                               ids[i], (int64_t)now, err);
    if (st == SB_OK)
        st = sb_account_add(j, "blair", SB_ROLE_CLIENT, ids[0],
                            logins[4].password, (int64_t)now, NULL, err);
    /* Blair has an RQ due now, Casey an ECR-S overdue for a month, Devon
     * an RQ in ten days. */
    if (st == SB_OK)
        st = schedule(j, ids[0], "rq", 8, today - 2, err);
    if (st == SB_OK)
        st = schedule(j, ids[0], "ecr-r", 4, today - 7L * 28 + 1, err);
    if (st == SB_OK)
        st = schedule(j, ids[1], "ecr-s", 4, today - 30, err);
    if (st == SB_OK)
        st = schedule(j, ids[2], "rq", 8, today + 10, err);
    sb_journal_close(j);
    return st;
}
