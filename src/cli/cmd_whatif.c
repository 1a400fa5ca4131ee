/*
 * securebase whatif: what the model expects for one person under a few
 * plans, side by side, against keeping things as they are.
 */
#include "cli/cli.h"
#include "cli/progress.h"

#include <securebase/report.h>
#include <securebase/whatif.h>

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase whatif PERSON [--plan PLAN]... [OPTIONS]\n\n"
            "Projects PERSON (an id or an exact name) from their latest\n"
            "anxiety and avoidance scores and the inputs recorded over the\n"
            "last 12 weeks, under each plan and under 'keep' (nothing\n"
            "changes), for 26 and 52 weeks, and prints side by side the\n"
            "median and 10th-90th percentiles, the chance of the secure\n"
            "region, and each plan's difference from keep with its\n"
            "Monte-Carlo standard error. Every plan runs on the same\n"
            "simulated people with the same random events. This is a model,\n"
            "not a forecast; its assumptions are printed with it.\n\n"
            "  --plan PLAN        a plan (repeatable, at most 7 besides keep);\n"
            "                     without one: keep, therapy=weekly,\n"
            "                     practice=3/week and therapy=stop\n"
            "  --db PATH          the journal (default as for 'journal')\n"
            "  --as-of DATE       leave out records after DATE (YYYY-MM-DD;\n"
            "                     default: the last record's date)\n"
            "  --people N         simulated people per plan (default 10000)\n"
            "  --seed N           the model's seed (default 1)\n"
            "  --posterior FILE   draw each simulated person's model parameters\n"
            "                     from a calibration's posterior.csv\n"
            "  -q, --quiet        no progress bar (drawn only on a terminal)\n"
            "  -h, --help         this help\n\n"
            "A plan is 'keep' or [NAME=]CHANGE[;CHANGE...], for example\n"
            "  --plan \"therapy=weekly\" --plan \"calm=practice=3/week;reflection=2/week\"\n"
            "CHANGE is one of\n"
            "  therapy=stop|start|weekly|fortnightly|monthly|N/week|N/month\n"
            "  attendance=0.9 or 90%%       (of scheduled sessions)\n"
            "  practice=N/day|N/week|N/month|stop\n"
            "  reflection=N/day|N/week|N/month|stop\n"
            "  relationship+=KIND[,supportive|straining][,secure|insecure]\n"
            "                     KIND: partner, friend, family, other\n"
            "                     (default supportive, insecure)\n"
            "  relationship-=NAME|KIND      ends a current relationship\n"
            "Changes start now and last. docs/care.md has the grammar and\n"
            "the method.\n");
}

/* Prints `text` wrapped at 76 columns, each line after `lead`. */
static void wrapped(const char *lead, const char *text)
{
    size_t col = 0, indent = strlen(lead);
    fputs(lead, stdout);
    col = indent;
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > indent && col + 1 + word > 76) {
            printf("\n%*s", (int)indent, "");
            col = indent;
        } else if (col > indent) {
            putchar(' ');
            col++;
        }
        fwrite(text, 1, word, stdout);
        col += word;
        text += word;
        while (*text == ' ')
            text++;
    }
    putchar('\n');
}

static void print_inputs(const sb_care_inputs *in)
{
    if (in->sessions_per_week > 0)
        printf("therapy %.2f a week (%.0f%% attended)", in->sessions_per_week,
               100 * in->attendance);
    else
        printf("no therapy");
    printf("; reflection %.2f, practice %.2f a week; ",
           in->reflections_per_week, in->practice_per_week);
    if (!in->relationships_recorded && !in->relationship_count) {
        printf("the model's everyday relationships\n");
        return;
    }
    if (!in->relationship_count)
        printf("no relationships");
    for (size_t i = 0; i < in->relationship_count; i++) {
        const sb_care_relationship *r = &in->relationships[i];
        printf("%s%s (%s, %s%s)", i ? ", " : "", r->name,
               sb_relationship_kind_name(r->kind),
               r->supportive ? "supportive" : "straining",
               r->secure ? ", secure" : "");
    }
    printf("%s\n", in->relationships_recorded
                       ? ""
                       : " beside the model's everyday relationships");
}

static void print_diff(double d, double se, double scale, const char *unit,
                       int last)
{
    char cell[40];
    if (isnan(d))
        snprintf(cell, sizeof cell, "-");
    else
        snprintf(cell, sizeof cell, "%+.*f%s +/- %.*f", scale > 1 ? 1 : 2,
                 d * scale, unit, scale > 1 ? 1 : 3, se * scale);
    printf(last ? "  %s" : "  %-20s", cell);
}

static void print_whatif(const char *person, const char *as_of,
                         const sb_whatif *w)
{
    printf("What-if plans for %s as of %s. This is a model, not a "
           "forecast.\n", person, as_of);
    printf("Now: anxiety %.2f, avoidance %.2f on a %d-%d scale (lower is "
           "more secure;\nthe secure region: both below %.2f).\n",
           w->start[0], w->start[1], w->scale.min, w->scale.max,
           w->secure_cutoff);
    int width = 4;
    for (size_t i = 0; i < w->plan_count; i++)
        if ((int)strlen(w->plans[i].plan.name) > width)
            width = (int)strlen(w->plans[i].plan.name);
    printf("\nInputs of each plan (keep: as recorded over the last %d "
           "weeks):\n", SB_CARE_WINDOW_WEEKS);
    for (size_t i = 0; i < w->plan_count; i++) {
        printf("  %-*s  ", width, w->plans[i].plan.name);
        print_inputs(&w->plans[i].inputs);
    }
    for (int k = 0; k < SB_WHATIF_HORIZONS; k++) {
        int weeks = w->horizon_weeks[k];
        printf("\nAfter %d weeks (about %d months)\n", weeks,
               (int)lround(weeks * 12.0 / 52.0));
        printf("  %-*s  %-18s  %-18s  %-14s  %-20s  %-20s  %s\n", width,
               "plan", "anxiety [10-90%]", "avoidance [10-90%]", "secure",
               "vs keep: secure", "vs keep: anxiety", "vs keep: avoidance");
        for (size_t i = 0; i < w->plan_count; i++) {
            const sb_whatif_outcome *o = &w->plans[i].at[k];
            char cell[2][40], secure[32];
            for (int d = 0; d < 2; d++)
                snprintf(cell[d], sizeof cell[d], "%.2f [%.2f-%.2f]",
                         o->pct[d][2], o->pct[d][0], o->pct[d][4]);
            snprintf(secure, sizeof secure, "%.1f%% +/- %.1f",
                     100 * o->secure, 100 * o->secure_se);
            printf("  %-*s  %-18s  %-18s  %-14s", width,
                   w->plans[i].plan.name, cell[0], cell[1], secure);
            print_diff(o->diff_secure, o->diff_secure_se, 100, " pts", 0);
            print_diff(o->diff_mean[0], o->diff_mean_se[0], 1, "", 0);
            print_diff(o->diff_mean[1], o->diff_mean_se[1], 1, "", 1);
            putchar('\n');
        }
    }
    printf("\nMedians and percentiles are of the simulated people's true "
           "scores. Differences\nare the plan minus keep for the same "
           "simulated people (negative anxiety or\navoidance is toward "
           "security); +/- is one Monte-Carlo standard error.\n"
           "%zu simulated people per plan, seed %llu.\n",
           w->persons, (unsigned long long)w->seed);
    if (w->posterior_particles)
        printf("Each simulated person's model parameters are drawn from a "
               "calibration's\nposterior (%zu particles), the same draw under "
               "every plan.\n", w->posterior_particles);
    printf("\nAssumptions:\n");
    for (const char *const *a = sb_whatif_assumptions(); *a; a++)
        wrapped("  - ", *a);
}

int sb__cli_whatif(int argc, char **argv)
{
    enum { OPT_DB = 1000, OPT_PLAN, OPT_AS_OF, OPT_PEOPLE, OPT_SEED,
           OPT_POSTERIOR };
    static const struct option options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"plan", required_argument, NULL, OPT_PLAN},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"people", required_argument, NULL, OPT_PEOPLE},
        {"seed", required_argument, NULL, OPT_SEED},
        {"posterior", required_argument, NULL, OPT_POSTERIOR},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sb_whatif_options o;
    sb_whatif_options_default(&o);
    sb_plan plans[SB_PLAN_MAX];
    size_t n = 0;
    const char *db = NULL, *as_of = NULL, *posterior = NULL;
    long v;
    unsigned long long seed;
    int c, rc, quiet = 0;
    sb_error err;
    optind = 0;
    while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
        switch (c) {
        case OPT_DB: db = optarg; break;
        case OPT_AS_OF: as_of = optarg; break;
        case OPT_POSTERIOR: posterior = optarg; break;
        case OPT_PLAN:
            if (n == SB_PLAN_MAX)
                return sb__cli_usage_error("whatif", "at most %d plans",
                                          SB_PLAN_MAX);
            if (sb_plan_parse(optarg, &plans[n], &err) != SB_OK) {
                sb__cli_report_error(&err);
                return SB_EXIT_USAGE;
            }
            n++;
            break;
        case OPT_PEOPLE:
            if ((rc = sb__cli_parse_long("whatif", "--people", optarg, 100,
                                        1000000, &v)))
                return rc;
            o.persons = (size_t)v;
            break;
        case OPT_SEED:
            if ((rc = sb__cli_parse_u64("whatif", "--seed", optarg, &seed)))
                return rc;
            o.seed = seed;
            break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return SB_EXIT_OK;
        default: usage(stderr); return SB_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return sb__cli_usage_error("whatif", "give one PERSON (an id or a name)");
    int given = n > 0;
    for (const char *const *d = sb_whatif_default_plans(); !given && *d; d++)
        if (sb_plan_parse(*d, &plans[n++], &err) != SB_OK) {
            sb__cli_report_error(&err);
            return SB_EXIT_FAILURE;
        }
    sb__cli_progress bar;
    sb__cli_progress_init(&bar, "what-if plans", quiet);
    o.progress = sb__cli_progress_update;
    o.progress_ctx = &bar;
    sb_posterior *post = NULL;
    if (posterior) {
        sb_status pst = sb_posterior_load(posterior, &post, &err);
        if (pst != SB_OK) {
            sb__cli_report_error(&err);
            return sb__cli_input_exit_code(pst);
        }
        o.posterior = post;
    }
    sb_journal *j;
    rc = sb__cli_journal_open(db, SB_JOURNAL_READONLY, &j);
    if (rc) {
        sb_posterior_free(post);
        return rc;
    }
    sb_status st;
    sb_whatif *w = calloc(1, sizeof *w);
    char used[SB_DATE_SIZE] = "";
    sb_rec_person who;
    sb_person_records records = {0};
    st = w ? sb_journal_find_person(j, argv[optind], &who, &err)
           : sb_error_set(&err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == SB_OK)
        st = sb_journal_load_person(j, who.id, &records, &err);
    /* The journal is closed before the long part, the simulation. */
    sb_journal_close(j);
    if (st == SB_OK)
        st = sb_report_whatif(&records, as_of, plans, n, &o, w, used, &err);
    sb_person_records_free(&records);
    if (st == SB_OK)
        print_whatif(who.name, used, w);
    else
        sb__cli_report_error(&err);
    if (w)
        sb_whatif_free(w);
    free(w);
    sb_posterior_free(post);
    return sb__cli_exit_code(st);
}
