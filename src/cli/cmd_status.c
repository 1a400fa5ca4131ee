/*
 * securebase status: whether clients are on track. One person's
 * assessments judged against their expected band, or the whole journal as
 * a caseload table, riskiest first; with --evaluate, how well the signal
 * foresees poor outcomes on completed courses (the journal's, a journal
 * export's, or a simulated cohort's).
 */
#include "cli/cli.h"
#include "cli/norms_option.h"

#include <securebase/care.h>
#include <securebase/caseload.h>
#include <securebase/journal.h>
#include <securebase/scenario.h>

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase status PERSON | --all [OPTIONS]\n"
            "       securebase status --evaluate [--from EXPORT.csv |\n"
            "                         --simulate SCENARIO] [OPTIONS]\n\n"
            "Whether clients are on track. Each questionnaire after intake is\n"
            "judged against the expected band from the intake score: worse\n"
            "than the band's 90th percentile for its week, or a reliable\n"
            "deterioration since intake, is 'not on track'; worse than the\n"
            "75th is 'watch'. The band is the empirical one (the nearest-\n"
            "intake completed courses of the journal, when it has 30) or\n"
            "else the model's (simulated people started at the intake and\n"
            "driven by the recorded sessions, reflections, practice and\n"
            "relationships). Two missed sessions in a row, or more than 21\n"
            "days without an attended one, raise an attendance alert. Rules\n"
            "and sources: docs/care.md.\n\n"
            "PERSON (an id or an exact name) gets every assessment judged;\n"
            "--all gives one line a person, riskiest first.\n\n"
            "  --db PATH          the journal (default as for 'journal')\n"
            "  --all              every person in the journal\n"
            "  --as-of DATE       judge as of DATE (YYYY-MM-DD; default today)\n"
            "  --people N         simulated people behind a model band\n"
            "                     (default 500; 0: no model band)\n"
            "  --seed N           the model's seed (default 1)\n"
            "  --norms FILE       local norms (securebase norms) of an\n"
            "                     instrument, used for reliable change before\n"
            "                     its published figures; once per instrument\n"
            "  --evaluate         the share of poor outcomes flagged by\n"
            "                     sessions 3-8, false alarms and lead time, for\n"
            "                     the empirical band, the model band and\n"
            "                     reliable change alone, on completed courses\n"
            "  --from FILE        with --evaluate: a journal export (CSV, as\n"
            "                     'journal export' writes) instead of --db\n"
            "  --simulate SCEN    with --evaluate: a simulated cohort of the\n"
            "                     scenario's therapy instead (not clinical data)\n"
            "  --cohort N         simulated courses (default 400)\n"
            "  --course-weeks N   weeks of each simulated course (default 20)\n"
            "  -h, --help         this help\n");
}

typedef struct opts {
    const char *db, *as_of_text, *from, *simulate;
    int all, evaluate, course_weeks;
    size_t cohort;
    sb_care_options care;
    sb__cli_norms_files norms;
} opts;

/* Reference courses of one questionnaire and scale, built once. */
typedef struct reference {
    char instrument[SB_JOURNAL_NAME_MAX];
    char scale[SB_JOURNAL_SCALE_SIZE];
    sb_care_course *courses;
    size_t count;
    sb_instrument *inst;      /* NULL when not built in */
    sb_scale answer_scale;
    double rc[2];
    const sb_norms *local;    /* the local norms behind rc, or NULL */
} reference;

typedef struct journal_view {
    sb_journal *j;
    sb_rec_assessment *assessments;
    size_t assessment_count;
    reference refs[32];
    size_t ref_count;
    long as_of;
    sb_norms_set *norms;      /* --norms; NULL: none */
} journal_view;

static void view_free(journal_view *v)
{
    for (size_t i = 0; i < v->ref_count; i++) {
        sb_care_courses_free(v->refs[i].courses, v->refs[i].count);
        sb_instrument_free(v->refs[i].inst);
    }
    free(v->assessments);
    sb_norms_set_free(v->norms);
}

/* Says where reliable change came from when local norms gave it. */
static void say_local(const sb_norms *local)
{
    if (!local)
        return;
    char text[400];
    sb_norms_describe(local, text, sizeof text);
    printf("reliable change of %s uses %s\n",
           sb_instrument_name(sb_norms_instrument(local)), text);
}

static sb_status reference_of(journal_view *v, const char *instrument,
                              const char *scale, reference **out,
                              sb_error *err)
{
    for (size_t i = 0; i < v->ref_count; i++)
        if (!strcmp(v->refs[i].instrument, instrument) &&
            !strcmp(v->refs[i].scale, scale)) {
            *out = &v->refs[i];
            return SB_OK;
        }
    if (v->ref_count == sizeof v->refs / sizeof v->refs[0])
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "more than %zu questionnaire and scale pairs in "
                            "the journal",
                            v->ref_count);
    reference *r = &v->refs[v->ref_count++];
    memset(r, 0, sizeof *r);
    snprintf(r->instrument, sizeof r->instrument, "%s", instrument);
    snprintf(r->scale, sizeof r->scale, "%s", scale);
    r->rc[0] = r->rc[1] = NAN;
    sb_status st = sb_care_courses_from(v->assessments, v->assessment_count,
                                        instrument, scale, v->as_of,
                                        &r->courses, &r->count, err);
    if (st != SB_OK)
        return st;
    if (sb_instrument_builtin(instrument, &r->inst, NULL) == SB_OK) {
        r->answer_scale = sb_instrument_scale(r->inst);
        if (scale[0])
            (void)sb_scale_parse(scale, &r->answer_scale, NULL);
        r->local = sb_care_rc(r->inst, r->answer_scale, v->norms, r->rc);
    } else if (scale[0]) {
        (void)sb_scale_parse(scale, &r->answer_scale, NULL);
    } else {
        r->answer_scale = (sb_scale){1, 7};
    }
    *out = r;
    return SB_OK;
}

/* One judged person. */
typedef struct judged {
    sb_caseload_row row;
    sb_care_status status;
} judged;

static sb_status judge_person(journal_view *v, sb_id person, const opts *o,
                              judged *out, sb_care_band *bands[2],
                              reference **ref_out, sb_error *err)
{
    char until[SB_DATE_SIZE];
    sb_date_format(sb_date_from_days(v->as_of), until);
    sb_status st = sb_caseload_person(v->j, person, "0001-01-01", until,
                                      &out->row, err);
    if (st != SB_OK)
        return st;
    reference *ref = NULL;
    if (out->row.instrument[0]) {
        st = reference_of(v, out->row.instrument, out->row.scale, &ref, err);
        if (st != SB_OK)
            return st;
    }
    sb_person_records rec;
    st = sb_journal_load_person(v->j, person, &rec, err);
    if (st == SB_OK) {
        double none[2] = {NAN, NAN};
        sb_care_person p;
        sb_care_person_init(
            &p, &rec,
            ref ? sb_care_course_find(ref->courses, ref->count, person) : NULL,
            ref ? ref->answer_scale : (sb_scale){1, 7}, ref ? ref->rc : none);
        sb_care_options co = o->care;
        co.as_of = v->as_of;
        co.reference = ref ? ref->courses : NULL;
        co.reference_count = ref ? ref->count : 0;
        st = sb_care_assess(&p, &co, &out->status, bands, err);
    }
    sb_person_records_free(&rec);
    if (ref_out)
        *ref_out = ref;
    return st;
}

static const char *alerts_text(const sb_care_attendance *a, char *buf,
                               size_t size)
{
    buf[0] = '\0';
    if (a->alert_missed)
        snprintf(buf, size, "%zu missed in a row", a->missed_in_a_row);
    if (a->alert_gap) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, "%s%ld days since attended",
                 n ? "; " : "", a->gap_days);
    }
    if (!buf[0])
        snprintf(buf, size, a->gap_days < 0 ? "no sessions" : "-");
    return buf;
}

static const char *why_text(const sb_care_status *s, char *buf, size_t size)
{
    static const char *const dim[2] = {"anxiety", "avoidance"};
    buf[0] = '\0';
    if (!s->checks) {
        snprintf(buf, size, "-");
        return buf;
    }
    size_t n = 0;
    for (int d = 0; d < 2; d++) {
        unsigned w = s->latest.why[d];
        const char *t = w & SB_WHY_DETERIORATED ? "reliably worse"
                        : w & SB_WHY_ABOVE_90   ? "above P90"
                        : w & SB_WHY_ABOVE_75   ? "above P75"
                                                : NULL;
        if (t && n < size)
            n += (size_t)snprintf(buf + n, size - n, "%s%s %s", n ? ", " : "",
                                  dim[d], t);
    }
    if (!buf[0])
        snprintf(buf, size, "-");
    return buf;
}

static int cmp_judged(const void *x, const void *y)
{
    const judged *a = x, *b = y;
    int c = sb_care_status_cmp(&a->status, &b->status);
    return c ? c : strcmp(a->row.name, b->row.name);
}

static int print_all(journal_view *v, const opts *o)
{
    sb_error err;
    sb_rec_person *people = NULL;
    size_t n = 0;
    sb_status st = sb_journal_list(v->j, SB_KIND_PERSON, 0, (void **)&people,
                                   &n, &err);
    judged *rows = st == SB_OK ? calloc(n ? n : 1, sizeof *rows) : NULL;
    if (st == SB_OK && !rows)
        st = sb_error_set(&err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; st == SB_OK && i < n; i++)
        st = judge_person(v, people[i].id, o, &rows[i], NULL, NULL, &err);
    free(people);
    if (st != SB_OK) {
        free(rows);
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    qsort(rows, n, sizeof *rows, cmp_judged);
    char date[SB_DATE_SIZE];
    sb_date_format(sb_date_from_days(v->as_of), date);
    printf("%zu %s as of %s, riskiest first\n\n", n,
           n == 1 ? "person" : "people", date);
    printf("%-20s %-12s %-30s %-9s %5s %7s %9s  %s\n", "client", "signal",
           "why", "band", "week", "anxiety", "avoidance", "attendance");
    for (size_t i = 0; i < n; i++) {
        const judged *r = &rows[i];
        const sb_care_status *s = &r->status;
        char why[64], att[64], week[16], an[16], av[16];
        snprintf(week, sizeof week, s->checks ? "%.1f" : "-", s->latest.week);
        snprintf(an, sizeof an, isnan(r->row.latest[0]) ? "-" : "%.2f",
                 r->row.latest[0]);
        snprintf(av, sizeof av, isnan(r->row.latest[1]) ? "-" : "%.2f",
                 r->row.latest[1]);
        printf("%-20.20s %-12s %-30s %-9s %5s %7s %9s  %s\n", r->row.name,
               sb_care_signal_name(s->signal), why_text(s, why, sizeof why),
               s->has_band ? sb_care_source_name(s->source) : "none", week,
               an, av, alerts_text(&s->attendance, att, sizeof att));
    }
    free(rows);
    if (v->ref_count)
        printf("\n");
    for (size_t i = 0; i < v->ref_count; i++)
        say_local(v->refs[i].local);
    return SB_EXIT_OK;
}

static void print_band_line(const sb_care_band *b)
{
    printf("  %-9s  ", sb_care_source_name(b->source));
    if (b->ran)
        printf("%zu %s\n", b->n,
               b->source == SB_CARE_MODEL ? "simulated people"
                                          : "nearest completed courses");
    else
        printf("none: %s\n", b->why);
}

static int print_person(journal_view *v, const char *who, const opts *o)
{
    sb_error err;
    sb_rec_person person;
    sb_status st = sb_journal_find_person(v->j, who, &person, &err);
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        return sb__cli_input_exit_code(st);
    }
    judged r;
    sb_care_band emp, model;
    sb_care_band *bands[2] = {&emp, &model};
    reference *ref = NULL;
    st = judge_person(v, person.id, o, &r, bands, &ref, &err);
    if (st != SB_OK) {
        sb_care_band_free(&emp);
        sb_care_band_free(&model);
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    const sb_care_status *s = &r.status;
    char date[SB_DATE_SIZE], att[64];
    sb_date_format(sb_date_from_days(v->as_of), date);
    printf("%s: %s as of %s\n", person.name, sb_care_signal_name(s->signal),
           date);
    const sb_care_course *c =
        ref ? sb_care_course_find(ref->courses, ref->count, person.id) : NULL;
    if (!c) {
        printf("no questionnaire scoring anxiety and avoidance yet\n");
    } else {
        printf("questionnaire %s on %d-%d; reliable change: anxiety ",
               ref->instrument, ref->answer_scale.min, ref->answer_scale.max);
        printf(isnan(ref->rc[0]) ? "unknown" : "%.2f", ref->rc[0]);
        printf(", avoidance ");
        printf(isnan(ref->rc[1]) ? "unknown" : "%.2f", ref->rc[1]);
        if (ref->local) {
            printf("\n");
            say_local(ref->local);
        }
        sb_date_format(sb_date_from_days(c->day[0]), date);
        printf("\nintake %s: anxiety %.2f, avoidance %.2f\nexpected bands:\n",
               date, c->score[0][0], c->score[0][1]);
        print_band_line(&emp);
        print_band_line(&model);
        const sb_care_band *b = emp.ran ? &emp : model.ran ? &model : NULL;
        printf("\n%-10s %5s %7s %11s %9s %11s  %s\n", "date", "week",
               "anxiety", "P25-P75", "avoidance", "P25-P75", "signal");
        for (size_t i = 1; i < c->count && c->day[i] <= v->as_of; i++) {
            sb_care_check k;
            double week = (double)(c->day[i] - c->day[0]) / 7.0;
            sb_care_judge(b, week, c->score[0], c->score[i], ref->rc, &k);
            sb_date_format(sb_date_from_days(c->day[i]), date);
            printf("%-10s %5.1f", date, week);
            for (int d = 0; d < 2; d++) {
                double lo = sb_care_band_at(b, d, 1, week);
                double hi = sb_care_band_at(b, d, 3, week);
                char band[24];
                snprintf(band, sizeof band,
                         isfinite(lo) ? "%.2f-%.2f" : "-", lo, hi);
                printf(" %*.2f %11s", d ? 9 : 7, c->score[i][d], band);
            }
            char why[64];
            sb_care_status one = {0};
            one.checks = 1;
            one.latest = k;
            printf("  %s (%s)\n", sb_care_signal_name(k.signal),
                   why_text(&one, why, sizeof why));
        }
        if (c->count < 2)
            printf("(intake only: nothing to judge yet)\n");
    }
    printf("attendance: %s\n", alerts_text(&s->attendance, att, sizeof att));
    sb_care_band_free(&emp);
    sb_care_band_free(&model);
    return SB_EXIT_OK;
}

static void print_rate(const char *label, const sb_care_eval *e,
                       double (*get)(const sb_care_eval_side *))
{
    printf("%-36s", label);
    for (int s = 0; s < 3; s++) {
        double x = get(&e->side[s]);
        if (isnan(x))
            printf(" %18s", "-");
        else
            printf(" %17.1f%%", 100 * x);
    }
    printf("\n");
}

static double hit(const sb_care_eval_side *s) { return s->hit_rate; }
static double false_alarm(const sb_care_eval_side *s)
{
    return s->false_alarm_rate;
}

static void print_eval(const sb_care_eval *e, const char *what)
{
    printf("Signal evaluation on %s\n", what);
    printf("%zu courses with an assessment between sessions %d and %d: %zu "
           "poor outcomes (no reliable improvement, or a reliable "
           "deterioration; %zu deteriorated), %zu good\n\n",
           e->courses, SB_CARE_EARLY_FIRST, SB_CARE_EARLY_LAST, e->bad,
           e->deteriorated, e->good);
    printf("%-36s %18s %18s %18s\n", "", "empirical", "model", "RCI alone");
    print_rate("poor outcomes flagged (hit rate)", e, hit);
    print_rate("good outcomes flagged (false alarm)", e, false_alarm);
    printf("%-36s", "lead time, weeks: median [IQR]");
    for (int s = 0; s < 3; s++) {
        char buf[40];
        const sb_care_eval_side *d = &e->side[s];
        snprintf(buf, sizeof buf, d->lead_n ? "%.1f [%.1f-%.1f]" : "-",
                 d->lead_median, d->lead_q1, d->lead_q3);
        printf(" %18s", buf);
    }
    printf("\n%-36s", "courses without a band");
    for (int s = 0; s < 3; s++)
        printf(" %18zu", e->side[s].no_band);
    printf("\n");
}

static int evaluate_simulated(const opts *o)
{
    sb_error err;
    sb_scenario *list = NULL;
    size_t n = 0;
    sb_status st = sb_scenario_resolve(o->simulate, &list, &n, &err);
    if (st == SB_OK && n != 1) {
        free(list);
        return sb__cli_usage_error("status", "--simulate takes one scenario, "
                                            "not a set of %zu", n);
    }
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        return sb__cli_input_exit_code(st);
    }
    sb_care_cohort cohort;
    st = sb_care_cohort_simulate(&list[0], o->cohort, o->course_weeks,
                                 o->care.seed, &cohort, &err);
    sb_care_eval e;
    if (st == SB_OK) {
        sb_care_options co = o->care;
        co.as_of = LONG_MAX / 4;
        st = sb_care_evaluate(cohort.people, cohort.count, &co, &e, &err);
        sb_care_cohort_free(&cohort);
    }
    if (st != SB_OK) {
        free(list);
        sb__cli_report_error(&err);
        return sb__cli_input_exit_code(st);
    }
    char what[200];
    snprintf(what, sizeof what,
             "a simulated cohort (not clinical data): %zu courses of %d weeks "
             "of scenario '%s', seed %llu",
             o->cohort, o->course_weeks, list[0].name,
             (unsigned long long)o->care.seed);
    free(list);
    print_eval(&e, what);
    return SB_EXIT_OK;
}

/* The journal's completed courses on the questionnaire most of them use. */
static int evaluate_journal(journal_view *v, const opts *o, const char *what)
{
    sb_error err;
    sb_rec_person *people = NULL;
    size_t n = 0;
    sb_status st = sb_journal_list(v->j, SB_KIND_PERSON, 0, (void **)&people,
                                   &n, &err);
    /* The questionnaire and scale with most completed courses. */
    reference *best = NULL;
    size_t best_done = 0;
    for (size_t i = 0; st == SB_OK && i < v->assessment_count; i++) {
        reference *r;
        st = reference_of(v, v->assessments[i].instrument,
                          v->assessments[i].scale, &r, &err);
        size_t done = 0;
        for (size_t k = 0; st == SB_OK && k < r->count; k++)
            done += sb_care_course_completed(&r->courses[k], v->as_of);
        if (st == SB_OK && done > best_done) {
            best = r;
            best_done = done;
        }
    }
    sb_care_person *cp = calloc(n ? n : 1, sizeof *cp);
    sb_person_records *rec = calloc(n ? n : 1, sizeof *rec);
    if (st == SB_OK && (!cp || !rec))
        st = sb_error_set(&err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t m = 0;
    for (size_t i = 0; st == SB_OK && best && i < n; i++) {
        const sb_care_course *c =
            sb_care_course_find(best->courses, best->count, people[i].id);
        if (!c || !sb_care_course_completed(c, v->as_of))
            continue;
        st = sb_journal_load_person(v->j, people[i].id, &rec[m], &err);
        sb_care_person_init(&cp[m], &rec[m], c, best->answer_scale, best->rc);
        m++;
    }
    sb_care_eval e;
    if (st == SB_OK) {
        sb_care_options co = o->care;
        co.as_of = v->as_of;
        co.reference = best ? best->courses : NULL;
        co.reference_count = best ? best->count : 0;
        st = sb_care_evaluate(cp, m, &co, &e, &err);
    }
    for (size_t i = 0; rec && i < m; i++)
        sb_person_records_free(&rec[i]);
    free(rec);
    free(cp);
    free(people);
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    char label[400];
    snprintf(label, sizeof label, "%s: %zu completed course%s of %s", what,
             m, m == 1 ? "" : "s", best ? best->instrument : "any questionnaire");
    print_eval(&e, label);
    if (best && best->local) {
        printf("\n");
        say_local(best->local);
    }
    if (best && (isnan(best->rc[0]) || isnan(best->rc[1])))
        printf("\nNo reliable change is known for %s on %d-%d, so no course "
               "could be judged.\n",
               best->instrument, best->answer_scale.min,
               best->answer_scale.max);
    return SB_EXIT_OK;
}

static sb_status today_days(long *out)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    *out = sb_date_days((sb_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday});
    return SB_OK;
}

static int open_journal(const opts *o, journal_view *v)
{
    sb_error err;
    sb_status st;
    if (o->from) {
        st = sb_journal_open(":memory:", 0, &v->j, &err);
        if (st == SB_OK) {
            sb_import_options io = {0};
            sb_import_summary sum;
            st = sb_journal_import_csv(v->j, o->from, &io, &sum, &err);
            if (st != SB_OK) {
                sb__cli_report_error(&err);
                return sb__cli_input_exit_code(st);
            }
        }
    } else {
        int rc = sb__cli_journal_open(o->db, SB_JOURNAL_READONLY, &v->j);
        if (rc)
            return rc;
        st = SB_OK;
    }
    if (st == SB_OK)
        st = sb_journal_list_scored(v->j, 0, &v->assessments,
                                    &v->assessment_count, &err);
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    return SB_EXIT_OK;
}

int sb__cli_status(int argc, char **argv)
{
    enum { OPT_DB = 1000, OPT_ALL, OPT_AS_OF, OPT_PEOPLE, OPT_SEED,
           OPT_EVALUATE, OPT_FROM, OPT_SIMULATE, OPT_COHORT, OPT_WEEKS,
           OPT_NORMS };
    static const struct option options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"all", no_argument, NULL, OPT_ALL},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"people", required_argument, NULL, OPT_PEOPLE},
        {"seed", required_argument, NULL, OPT_SEED},
        {"evaluate", no_argument, NULL, OPT_EVALUATE},
        {"from", required_argument, NULL, OPT_FROM},
        {"simulate", required_argument, NULL, OPT_SIMULATE},
        {"cohort", required_argument, NULL, OPT_COHORT},
        {"course-weeks", required_argument, NULL, OPT_WEEKS},
        {"norms", required_argument, NULL, OPT_NORMS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    opts o;
    memset(&o, 0, sizeof o);
    sb_care_options_default(&o.care);
    o.cohort = 400;
    o.course_weeks = 20;
    long v;
    unsigned long long seed;
    int c, rc;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_DB: o.db = optarg; break;
        case OPT_ALL: o.all = 1; break;
        case OPT_AS_OF: o.as_of_text = optarg; break;
        case OPT_PEOPLE:
            if ((rc = sb__cli_parse_long("status", "--people", optarg, 0,
                                        100000, &v)))
                return rc;
            o.care.model_people = (size_t)v;
            break;
        case OPT_SEED:
            if ((rc = sb__cli_parse_u64("status", "--seed", optarg, &seed)))
                return rc;
            o.care.seed = seed;
            break;
        case OPT_EVALUATE: o.evaluate = 1; break;
        case OPT_FROM: o.from = optarg; break;
        case OPT_SIMULATE: o.simulate = optarg; break;
        case OPT_COHORT:
            if ((rc = sb__cli_parse_long("status", "--cohort", optarg, 2,
                                        100000, &v)))
                return rc;
            o.cohort = (size_t)v;
            break;
        case OPT_WEEKS:
            if ((rc = sb__cli_parse_long("status", "--course-weeks", optarg, 1,
                                        SB_CARE_MAX_WEEKS, &v)))
                return rc;
            o.course_weeks = (int)v;
            break;
        case OPT_NORMS:
            if ((rc = sb__cli_norms_arg(&o.norms, "status", optarg)))
                return rc;
            break;
        case 'h': usage(stdout); return SB_EXIT_OK;
        default: usage(stderr); return SB_EXIT_USAGE;
        }
    }
    int named = optind < argc;
    if (optind + 1 < argc)
        return sb__cli_usage_error("status", "give one PERSON, or --all");
    if (o.evaluate && (named || o.all))
        return sb__cli_usage_error("status", "--evaluate judges completed "
                                            "courses: give no PERSON or --all");
    if (!o.evaluate && (o.from || o.simulate))
        return sb__cli_usage_error("status", "--from and --simulate go with "
                                            "--evaluate");
    if (o.from && o.simulate)
        return sb__cli_usage_error("status", "give --from or --simulate, not "
                                            "both");
    if (o.simulate && o.norms.count)
        return sb__cli_usage_error("status", "--norms is for a journal's "
                                            "clients, not a simulated cohort");
    if (!o.evaluate && named == o.all)
        return sb__cli_usage_error("status", named ? "give PERSON or --all, "
                                                    "not both"
                                                  : "give a PERSON, or --all");
    journal_view jv;
    memset(&jv, 0, sizeof jv);
    if (o.as_of_text) {
        sb_date d;
        sb_error err;
        if (sb_date_parse(o.as_of_text, &d, &err) != SB_OK)
            return sb__cli_usage_error("status", "--as-of '%s': %s",
                                      o.as_of_text, err.message);
        jv.as_of = sb_date_days(d);
    } else {
        today_days(&jv.as_of);
    }
    if (o.evaluate && o.simulate)
        return evaluate_simulated(&o);
    rc = sb__cli_norms_load(&o.norms, NULL, &jv.norms);
    if (rc == SB_EXIT_OK)
        rc = open_journal(&o, &jv);
    if (rc == SB_EXIT_OK)
        rc = o.evaluate ? evaluate_journal(&jv, &o, o.from ? o.from
                                                            : "the journal")
             : o.all    ? print_all(&jv, &o)
                        : print_person(&jv, argv[optind], &o);
    view_free(&jv);
    sb_journal_close(jv.j);
    return rc;
}
