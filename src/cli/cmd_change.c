/*
 * securebase change: each person's change from their first administration
 * with the Jacobson-Truax reliable change index, cutoffs a/b/c and status,
 * or (--sudden) the sudden gains and losses between administrations.
 *
 * A file whose rows are grouped by person is read twice: once to check
 * every row and that no id comes back after other people's rows, then
 * again to write each person as soon as their rows are read, holding one
 * person at a time. Other input (standard input, a pipe, rows in any order)
 * is read once and kept whole to sort by person.
 */
#include "cli/cli.h"
#include "cli/measure_opts.h"

#include "base/buf.h"

#include <securebase/measure.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_SUDDEN = 2000, OPT_RELIABILITY, OPT_SD };

#define MAX_FIGURES 160
#define FIGURE_NAME_MAX 64

static void usage(FILE *out)
{
    fprintf(out,
        "usage: securebase change INSTRUMENT FILE.csv --id COL --date COL "
        "[OPTIONS]\n\n"
        "For every person, the change of each score from their first\n"
        "administration: change, the reliability and SD used, the reliable\n"
        "change index (Jacobson & Truax 1991), cutoffs a, b, c where the\n"
        "instrument has norms, and a status: recovered, improved, unchanged\n"
        "or deteriorated. Dates are ISO (YYYY-MM-DD, optionally with a time)\n"
        "or whole session numbers. People come out in the order they first\n"
        "appear in the file, each in date order.\n\n"
        "  --id COL            column with the person's id (required)\n"
        "  --date COL          column with the date or session (required)\n"
        "  --reliability S=R   use reliability R (0 <= R < 1) for score S\n"
        "                      (repeatable), instead of the instrument file's\n"
        "  --sd S=SD           use SD (> 0) for score S (repeatable), e.g. your\n"
        "                      clinic's intake SD, instead of the file's norms\n"
        "  --sudden            list sudden gains and losses instead\n"
        "  --columns MAP       item columns: pattern with {n} or mapping file\n"
        "                      (default: found in the header, as in score)\n"
        "  --scale MIN-MAX     the answers' scale if not the instrument's\n"
        "  --missing CODE      value meaning 'not answered' (repeatable)\n"
        "  --skip-rows N       rows to skip after the header (Qualtrics: 2)\n"
        "  --lenient           leave out bad rows (counted on stderr)\n"
        "  --out FILE          write here (atomically, mode 0600) instead of\n"
        "                      standard output\n"
        "  -h, --help          this help\n\n"
        "Score names S are those of `securebase score` (ecr-r: anxiety,\n"
        "avoidance; ecr-rs: partner_avoidance, ..., avoidance). R and SD must\n"
        "be for scores on the answers' scale. Reliable change needs both; a\n"
        "score without them gets an empty RCI and status, a note saying what\n"
        "is missing, and a line on standard error (see docs/instruments.md).\n\n"
        "Memory: a file grouped by id (each person's rows together, people\n"
        "in any order) is read twice, checked whole and then written a person\n"
        "at a time, holding one person plus 16-32 bytes per person seen.\n"
        "Standard input, or rows of people mixed together, are kept whole and\n"
        "sorted: about 150 bytes per row with two scores.\n");
}

/* A --reliability or --sd given on the command line. */
typedef struct figure {
    char name[FIGURE_NAME_MAX];
    double value;
} figure;

typedef struct figures {
    figure item[MAX_FIGURES];
    size_t count;
} figures;

/* What reliable change of one score uses (sb_change_plan_make), and what
 * the notes say when it gives no index: the options that would. */
typedef struct plan {
    sb_change_plan fig;
    char why[400];          /* why there is no RCI, else "" */
} plan;

typedef struct change_ctx {
    const sb_instrument *inst;
    const plan *plans;
    sb_scale scale;
    int sudden;
    FILE *out;
    double *series;         /* --sudden: one score over one person */
    sb_sudden *events;
    size_t series_cap, events_cap;
} change_ctx;

/* NAME=NUMBER, strictly: no spaces, no trailing text, a finite number. */
static int parse_figure(const char *option, const char *arg, figures *list)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return sb__cli_usage_error("change", "%s expects SCORE=VALUE, e.g. "
                                   "anxiety=0.9; got '%s'", option, arg);
    size_t len = (size_t)(eq - arg);
    if (len >= FIGURE_NAME_MAX)
        return sb__cli_usage_error("change", "%s: the score name in '%s' is "
                                   "too long", option, arg);
    /* decimal notation only: strtod alone would take "0x1p-1", "inf" or
     * leading spaces */
    const char *num = eq + 1;
    char *end;
    errno = 0;
    double v = strtod(num, &end);
    if (strspn(num, "0123456789.eE+-") != strlen(num) || num[0] == '+' ||
        errno || *end || !isfinite(v))
        return sb__cli_usage_error("change", "%s: '%s' after '=' is not a "
                                   "number in '%s'", option, num, arg);
    if (list->count == MAX_FIGURES)
        return sb__cli_usage_error("change", "%s is given more than %d times",
                                   option, MAX_FIGURES);
    figure *f = &list->item[list->count];
    memcpy(f->name, arg, len);
    f->name[len] = '\0';
    for (size_t i = 0; i < list->count; i++)
        if (!strcmp(list->item[i].name, f->name))
            return sb__cli_usage_error("change", "%s is given twice for '%s'",
                                       option, f->name);
    f->value = v;
    list->count++;
    return SB_EXIT_OK;
}

/* Checks every name against the instrument's scores; -1 if none is wrong. */
static int check_figure_names(const sb_instrument *inst, const char *option,
                              const figures *list)
{
    size_t k = sb_instrument_score_count(inst);
    for (size_t i = 0; i < list->count; i++) {
        size_t s = 0;
        while (s < k && strcmp(sb_instrument_score_name(inst, s),
                               list->item[i].name))
            s++;
        if (s < k)
            continue;
        char names[1024] = "";
        for (s = 0; s < k; s++) {
            strncat(names, sb_instrument_score_name(inst, s),
                    sizeof names - strlen(names) - 1);
            if (s + 1 < k)
                strncat(names, ", ", sizeof names - strlen(names) - 1);
        }
        return sb__cli_usage_error("change", "%s: '%s' is not a score of %s "
                                   "(its scores: %s)", option,
                                   list->item[i].name, sb_instrument_name(inst),
                                   names);
    }
    return -1;
}

static const figure *find_figure(const figures *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++)
        if (!strcmp(list->item[i].name, name))
            return &list->item[i];
    return NULL;
}

/* The plan of score s with the figures given as options. */
static void make_plan(const sb_instrument *inst, size_t s, sb_scale scale,
                      const figures *rel, const figures *sds, plan *p)
{
    const char *name = sb_instrument_score_name(inst, s);
    const figure *r = find_figure(rel, name), *sd = find_figure(sds, name);
    sb_change_plan_make(inst, s, scale, r ? r->value : NAN,
                        sd ? sd->value : NAN, &p->fig);
    p->why[0] = '\0';
    const char *missing = sb_change_plan_missing(&p->fig);
    if (!missing)
        return;
    int no_r = isnan(p->fig.reliability), no_sd = isnan(p->fig.sd);
    char give[2 * FIGURE_NAME_MAX + 64];
    if (no_r && no_sd)
        snprintf(give, sizeof give, "--reliability %s=R --sd %s=SD", name,
                 name);
    else if (no_r)
        snprintf(give, sizeof give, "--reliability %s=R", name);
    else
        snprintf(give, sizeof give, "--sd %s=SD", name);
    snprintf(p->why, sizeof p->why,
             "no %s for scores on %d-%d in the instrument file or the options "
             "(give %s)",
             missing, scale.min, scale.max, give);
}

static void write_changes(const change_ctx *c, const sb_administration *adm,
                          size_t n)
{
    size_t k = sb_instrument_score_count(c->inst);
    sb_csv_writer w;
    sb_csv_writer_init(&w, c->out);
    for (size_t i = 1; i < n; i++) {
        for (size_t s = 0; s < k; s++) {
            const plan *p = &c->plans[s];
            double pre = adm[0].value[s], post = adm[i].value[s], rci = NAN;
            char note[448] = "";
            if (isnan(pre) || isnan(post))
                snprintf(note, sizeof note, "%s score is empty",
                         isnan(pre) ? "first" : "this");
            else if (p->why[0])
                snprintf(note, sizeof note, "no reliable change index: %s",
                         p->why);
            else
                (void)sb_rci(pre, post, p->fig.sd, p->fig.reliability, &rci,
                             NULL);
            const sb_cutoffs *cut = &p->fig.cutoffs;
            sb_change_status st =
                sb_change_classify(pre, post, rci, cut, p->fig.direction);
            sb_csv_text(&w, adm[i].id);
            sb_csv_text(&w, adm[0].date);
            sb_csv_text(&w, adm[i].date);
            sb_csv_text(&w, sb_instrument_score_name(c->inst, s));
            sb_csv_number(&w, pre, 4);
            sb_csv_number(&w, post, 4);
            sb_csv_number(&w, post - pre, 4);
            sb_csv_number(&w, p->fig.reliability, 4);
            sb_csv_number(&w, p->fig.sd, 4);
            sb_csv_number(&w, rci, 4);
            sb_csv_number(&w, cut->has_a ? cut->a : NAN, 4);
            sb_csv_number(&w, cut->has_b ? cut->b : NAN, 4);
            sb_csv_number(&w, cut->has_c ? cut->c : NAN, 4);
            sb_csv_text(&w, sb_change_status_name(st));
            sb_csv_text(&w, note);
            sb_csv_end_row(&w);
        }
    }
}

static sb_status write_sudden(change_ctx *c, const sb_administration *adm,
                              size_t n, sb_error *err)
{
    double *s = sb__grow(c->series, &c->series_cap, n, sizeof *s);
    if (s)
        c->series = s;
    sb_sudden *e = s ? sb__grow(c->events, &c->events_cap, n, sizeof *e) : NULL;
    if (e)
        c->events = e;
    if (!s || !e)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t k = sb_instrument_score_count(c->inst);
    sb_csv_writer w;
    sb_csv_writer_init(&w, c->out);
    for (size_t s = 0; s < k; s++) {
        const sb_change_plan *p = &c->plans[s].fig;
        if (isnan(p->threshold))
            continue;
        for (size_t r = 0; r < n; r++)
            c->series[r] = adm[r].value[s];
        size_t found = sb_sudden_find(c->series, n, p->threshold, c->scale,
                                      p->direction, c->events, n);
        for (size_t e = 0; e < found && e < n; e++) {
            const sb_sudden *ev = &c->events[e];
            sb_csv_text(&w, adm[0].id);
            sb_csv_text(&w, sb_instrument_score_name(c->inst, s));
            sb_csv_text(&w, ev->kind == SB_SUDDEN_GAIN ? "gain" : "loss");
            sb_csv_text(&w, adm[ev->index].date);
            sb_csv_text(&w, adm[ev->index + 1].date);
            sb_csv_number(&w, ev->pre, 4);
            sb_csv_number(&w, ev->post, 4);
            sb_csv_number(&w, ev->magnitude, 4);
            sb_csv_number(&w, ev->mean_before, 4);
            sb_csv_number(&w, ev->mean_after, 4);
            sb_csv_number(&w, ev->t, 4);
            sb_csv_end_row(&w);
        }
    }
    return SB_OK;
}

static sb_status on_person(void *vctx, const sb_administration *adm, size_t n,
                           sb_error *err)
{
    change_ctx *c = vctx;
    if (c->sudden)
        return write_sudden(c, adm, n, err);
    write_changes(c, adm, n);
    return SB_OK;
}

static sb_status to_grouper(void *ctx, const sb_scored_row *row, sb_error *err)
{
    return sb_grouper_add(ctx, row, err);
}

/* One pass over the input: scorer -> grouper in `mode`. */
static sb_status read_pass(sb__measure_run *run, sb_grouping mode,
                           change_ctx *ctx, int *grouped,
                           unsigned long *flagged, sb_error *err)
{
    sb_grouper *g = NULL;
    sb_scorer *sc = NULL;
    sb_status st = sb_grouper_new(sb_instrument_score_count(run->inst), mode,
                                  run->path, run->opts.date_column, on_person,
                                  ctx, &g, err);
    if (!st)
        st = sb_scorer_new(run->inst, &run->opts, to_grouper, g, &sc, err);
    if (!st)
        st = sb__measure_stream(run, sc, err);
    if (!st)
        st = sb_grouper_finish(g, err);
    if (grouped)
        *grouped = g ? sb_grouper_grouped(g) : 0;
    if (flagged && sc)
        *flagged = sb_scorer_flagged(sc);
    sb_scorer_free(sc);
    sb_grouper_free(g);
    return st;
}

static int regular_file(FILE *in)
{
    struct stat sb;
    return in != stdin && fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode);
}

static sb_status rewind_input(sb__measure_run *run, sb_error *err)
{
    if (fseek(run->in, 0, SEEK_SET) != 0)
        return sb_error_set(err, SB_ERR_IO, run->path, 0, 0,
                            "cannot read the file a second time: %s",
                            strerror(errno));
    clearerr(run->in);
    return SB_OK;
}

/* One line per reason on stderr, naming the scores without reliable change. */
static void report_missing(const sb_instrument *inst, const plan *plans,
                           sb_scale scale, int sudden)
{
    static const char *const what[] = {"reliability", "SD",
                                       "reliability and no SD"};
    size_t k = sb_instrument_score_count(inst);
    for (int w = 0; w < 3; w++) {
        char names[1024] = "";
        for (size_t s = 0; s < k; s++) {
            int no_r = isnan(plans[s].fig.reliability);
            int no_sd = isnan(plans[s].fig.sd);
            int kind = no_r && no_sd ? 2 : no_r ? 0 : no_sd ? 1 : -1;
            if (kind != w)
                continue;
            if (names[0])
                strncat(names, ", ", sizeof names - strlen(names) - 1);
            strncat(names, sb_instrument_score_name(inst, s),
                    sizeof names - strlen(names) - 1);
        }
        if (names[0])
            fprintf(stderr, "securebase change: %s %s: no %s for scores "
                    "on %d-%d in the instrument file or the options\n",
                    sudden ? "no sudden gains or losses looked for in"
                           : "no reliable change index for",
                    names, what[w], scale.min, scale.max);
    }
}

int sb__cli_change(int argc, char **argv)
{
    static const struct option options[] = {
        SB_MEASURE_LONG_OPTIONS,
        {"sudden", no_argument, NULL, OPT_SUDDEN},
        {"reliability", required_argument, NULL, OPT_RELIABILITY},
        {"sd", required_argument, NULL, OPT_SD},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sb__measure_opts mo;
    sb__measure_opts_init(&mo);
    figures rel, sds;
    rel.count = sds.count = 0;
    int sudden = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        int rc;
        switch (c) {
        case 'h':
            usage(stdout);
            return SB_EXIT_OK;
        case OPT_SUDDEN:
            sudden = 1;
            continue;
        case OPT_RELIABILITY:
            rc = parse_figure("--reliability", optarg, &rel);
            break;
        case OPT_SD:
            rc = parse_figure("--sd", optarg, &sds);
            break;
        default:
            rc = sb__measure_opts_parse(&mo, "change", c, optarg);
            if (rc == -1) {
                usage(stderr);
                return SB_EXIT_USAGE;
            }
        }
        if (rc)
            return rc;
    }
    if (argc - optind != 2)
        return sb__cli_usage_error("change", "expects INSTRUMENT and FILE.csv");
    if (!mo.id || !mo.date)
        return sb__cli_usage_error("change", "needs --id COL and --date COL");
    for (size_t i = 0; i < rel.count; i++)
        if (!(rel.item[i].value >= 0 && rel.item[i].value < 1))
            return sb__cli_usage_error("change", "--reliability %s=%g: a "
                                       "reliability must be at least 0 and "
                                       "below 1", rel.item[i].name,
                                       rel.item[i].value);
    for (size_t i = 0; i < sds.count; i++)
        if (!(sds.item[i].value > 0))
            return sb__cli_usage_error("change", "--sd %s=%g: an SD must be "
                                       "above 0", sds.item[i].name,
                                       sds.item[i].value);
    sb__measure_run run;
    int rc = sb__measure_open(&mo, argv[optind], argv[optind + 1], &run);
    if (rc)
        return rc;
    if ((rc = check_figure_names(run.inst, "--reliability", &rel)) != -1 ||
        (rc = check_figure_names(run.inst, "--sd", &sds)) != -1) {
        sb__measure_close(&run);
        return rc;
    }
    size_t k = sb_instrument_score_count(run.inst);
    plan *plans = calloc(k ? k : 1, sizeof *plans);
    if (!plans) {
        sb__measure_close(&run);
        fprintf(stderr, "securebase: out of memory\n");
        return SB_EXIT_FAILURE;
    }
    for (size_t s = 0; s < k; s++)
        make_plan(run.inst, s, run.opts.scale, &rel, &sds, &plans[s]);

    sb_error err;
    sb_error_clear(&err);
    change_ctx ctx = {run.inst, plans, run.opts.scale, sudden, NULL, NULL, NULL,
                      0, 0};
    /* A regular file is checked whole first; if it is grouped by id it is
     * then streamed, holding one person at a time. */
    sb_grouping mode = SB_GROUP_SORT;
    sb_status st = SB_OK;
    if (regular_file(run.in)) {
        int grouped = 0;
        st = read_pass(&run, SB_GROUP_CHECK, &ctx, &grouped, NULL, &err);
        if (st == SB_ERR_STATE && !grouped)
            st = SB_OK; /* not grouped: sort instead */
        else if (!st)
            mode = SB_GROUP_STREAM;
        if (!st)
            st = rewind_input(&run, &err);
    }
    sb__measure_output out = {NULL, NULL};
    if (!st)
        st = sb__measure_output_open(mo.out, &out, &err);
    ctx.out = out.stream;
    unsigned long flagged = 0;
    if (!st) {
        fputs(sudden ? "id,score,kind,from_date,to_date,pre,post,magnitude,"
                       "mean_before,mean_after,t\n"
                     : "id,first_date,date,score,first,value,change,"
                       "reliability,sd,rci,cutoff_a,cutoff_b,cutoff_c,status,"
                       "note\n", ctx.out);
        st = read_pass(&run, mode, &ctx, NULL, &flagged, &err);
    }
    if (out.stream)
        st = sb__measure_output_close(&out, st, &err);
    if (!st) {
        report_missing(run.inst, plans, run.opts.scale, sudden);
        if (flagged)
            fprintf(stderr, "securebase change: %lu rows left out as errors\n",
                    flagged);
    }
    free(ctx.series);
    free(ctx.events);
    free(plans);
    sb__measure_close(&run);
    if (st) {
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    return SB_EXIT_OK;
}
