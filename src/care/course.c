/*
 * Courses: each person's questionnaire series on one instrument and answer
 * scale, gathered from assessment records, and the rule for when a course
 * is completed and may serve as a reference for others.
 */
#include <securebase/care.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double score_named(const sb_rec_assessment *a, const char *name)
{
    for (size_t i = 0; i < a->score_count; i++)
        if (!strcmp(a->scores[i].scale, name))
            return a->scores[i].value;
    return NAN;
}

static int takes(const sb_rec_assessment *a, const char *instrument,
                 const char *scale, long as_of, long *day, double score[2])
{
    sb_date d;
    if (strcmp(a->instrument, instrument) || strcmp(a->scale, scale) ||
        sb_date_parse(a->date, &d, NULL) != SB_OK)
        return 0;
    *day = sb_date_days(d);
    score[0] = score_named(a, "anxiety");
    score[1] = score_named(a, "avoidance");
    return *day <= as_of && isfinite(score[0]) && isfinite(score[1]);
}

/* Orders (person, day, id) for the grouping below. */
typedef struct entry {
    sb_id person, id;
    long day;
    double score[2];
} entry;

static int entry_cmp(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

void sb_care_courses_free(sb_care_course *c, size_t count)
{
    for (size_t i = 0; c && i < count; i++) {
        free(c[i].day);
        free(c[i].score);
    }
    free(c);
}

/* Courses from entries sorted by (person, day, id); only the completed
 * ones as of `as_of` when `completed_only`. */
static sb_status group(const entry *e, size_t m, long as_of,
                       int completed_only, sb_care_course **out,
                       size_t *count, sb_error *err)
{
    size_t people = 0;
    for (size_t i = 0; i < m; i++)
        people += i == 0 || e[i].person != e[i - 1].person;
    sb_care_course *c = calloc(people ? people : 1, sizeof *c);
    if (!c)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && e[j].person == e[i].person)
            j++;
        sb_care_course *cc = &c[k++];
        cc->person = e[i].person;
        cc->day = malloc((j - i) * sizeof *cc->day);
        cc->score = malloc((j - i) * sizeof *cc->score);
        if (!cc->day || !cc->score) {
            sb_care_courses_free(c, k);
            return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                "out of memory");
        }
        for (size_t t = i; t < j; t++) {
            cc->day[cc->count] = e[t].day;
            memcpy(cc->score[cc->count++], e[t].score, sizeof e[t].score);
        }
        if (completed_only && !sb_care_course_completed(cc, as_of)) {
            k--;
            free(cc->day);
            free(cc->score);
            memset(cc, 0, sizeof *cc);
        }
        i = j;
    }
    *out = c;
    *count = k;
    return SB_OK;
}

sb_status sb_care_courses_from(const sb_rec_assessment *a, size_t n,
                               const char *instrument, const char *scale,
                               long as_of, sb_care_course **out,
                               size_t *count, sb_error *err)
{
    *out = NULL;
    *count = 0;
    entry *e = malloc((n ? n : 1) * sizeof *e);
    if (!e)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        entry *x = &e[m];
        if (!takes(&a[i], instrument, scale, as_of, &x->day, x->score))
            continue;
        x->person = a[i].person;
        x->id = a[i].id;
        m++;
    }
    qsort(e, m, sizeof *e, entry_cmp);
    sb_status st = group(e, m, as_of, 0, out, count, err);
    free(e);
    return st;
}

sb_status sb_care_courses_from_scores(const sb_caseload_score *s, size_t n,
                                      long as_of, int completed_only,
                                      sb_care_course **out, size_t *count,
                                      sb_error *err)
{
    *out = NULL;
    *count = 0;
    entry *e = malloc((n ? n : 1) * sizeof *e);
    if (!e)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        sb_date d;
        if (sb_date_parse(s[i].date, &d, NULL) != SB_OK ||
            sb_date_days(d) > as_of || !isfinite(s[i].score[0]) ||
            !isfinite(s[i].score[1]))
            continue;
        e[m] = (entry){s[i].person, s[i].id, sb_date_days(d),
                       {s[i].score[0], s[i].score[1]}};
        m++;
    }
    qsort(e, m, sizeof *e, entry_cmp);
    sb_status st = group(e, m, as_of, completed_only, out, count, err);
    free(e);
    return st;
}

int sb_care_course_completed(const sb_care_course *c, long as_of)
{
    if (c->count < SB_CARE_COURSE_MIN_SCORES)
        return 0;
    long first = c->day[0], last = c->day[c->count - 1];
    return last - first >= 7L * SB_CARE_COURSE_MIN_WEEKS &&
           as_of - last >= SB_CARE_COURSE_CLOSED_DAYS;
}

const sb_care_course *sb_care_course_find(const sb_care_course *c, size_t n,
                                          sb_id person)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].person == person)
            return &c[i];
    return NULL;
}

void sb_care_person_init(sb_care_person *p, const sb_person_records *r,
                         const sb_care_course *series, sb_scale scale,
                         const double rc[2])
{
    memset(p, 0, sizeof *p);
    p->series = series;
    p->scale = scale;
    p->rc[0] = rc[0];
    p->rc[1] = rc[1];
    p->records = (sb_care_records){0,
                                   r->sessions,
                                   r->session_count,
                                   r->relationships,
                                   r->relationship_count,
                                   r->reflections,
                                   r->reflection_count,
                                   r->practice,
                                   r->practice_count};
}
