/*
 * securebase report: one person's journey as a self-contained HTML file,
 * from the journal, with the model projection set apart as a model. The
 * face reads the person's records and hands them to the report.
 */
#include "cli/cli.h"
#include "cli/norms_option.h"
#include "cli/progress.h"

#include <securebase/fit.h>
#include <securebase/journal.h>
#include <securebase/questionnaire.h>
#include <securebase/report.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase report PERSON [--out report.html] [OPTIONS]\n\n"
            "Writes one self-contained HTML file about PERSON (an id or an\n"
            "exact name): anxiety and avoidance over time with reliable-change\n"
            "bands, the path on the anxiety-avoidance plane, therapy\n"
            "consistency, relationships, triggers and new responses, sudden\n"
            "gains and setbacks, measures due, a model projection and the\n"
            "model's what-if comparison of plans (keep, therapy weekly,\n"
            "practice 3 a week, therapy stopped; others with 'securebase\n"
            "whatif'). The file is written atomically with mode 0600.\n\n"
            "  --db PATH          the journal (default as for 'journal')\n"
            "  --out FILE         where to write (default report.html)\n"
            "  --as-of DATE       leave out records after DATE (YYYY-MM-DD);\n"
            "                     the projection starts there (default: the\n"
            "                     last record's date)\n"
            "  --instrument FILE  an instrument definition with reliability\n"
            "                     and norms for the person's questionnaire\n"
            "  --norms FILE       local norms (securebase norms) of an\n"
            "                     instrument, used before its published\n"
            "                     figures; once per instrument\n"
            "  --weeks N          weeks the model projects ahead (default 26;\n"
            "                     0 leaves the projection out)\n"
            "  --people N         simulated people (default 2000)\n"
            "  --whatif-people N  simulated people per what-if plan (default\n"
            "                     2000; 0 leaves the comparison out)\n"
            "  --seed N           the model's seed (default 1)\n"
            "  --posterior FILE   draw each simulated person's model parameters\n"
            "                     from a calibration's posterior.csv\n"
            "  -q, --quiet        no progress bar for the projection (drawn\n"
            "                     only on a terminal)\n"
            "  -h, --help         this help\n");
}

int sb__cli_report(int argc, char **argv)
{
    enum { OPT_DB = 1000, OPT_OUT, OPT_AS_OF, OPT_INSTRUMENT, OPT_WEEKS,
           OPT_PEOPLE, OPT_SEED, OPT_NORMS, OPT_WHATIF_PEOPLE, OPT_POSTERIOR };
    static const struct option options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"out", required_argument, NULL, OPT_OUT},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"instrument", required_argument, NULL, OPT_INSTRUMENT},
        {"norms", required_argument, NULL, OPT_NORMS},
        {"weeks", required_argument, NULL, OPT_WEEKS},
        {"people", required_argument, NULL, OPT_PEOPLE},
        {"whatif-people", required_argument, NULL, OPT_WHATIF_PEOPLE},
        {"seed", required_argument, NULL, OPT_SEED},
        {"posterior", required_argument, NULL, OPT_POSTERIOR},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sb_report_options opt;
    sb_report_options_default(&opt);
    const char *db = NULL, *out = "report.html", *instrument = NULL;
    const char *posterior = NULL;
    sb__cli_norms_files norms = {{NULL}, 0};
    long v;
    unsigned long long seed;
    int c, rc, quiet = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
        switch (c) {
        case OPT_DB: db = optarg; break;
        case OPT_OUT: out = optarg; break;
        case OPT_AS_OF: opt.as_of = optarg; break;
        case OPT_INSTRUMENT: instrument = optarg; break;
        case OPT_NORMS:
            if ((rc = sb__cli_norms_arg(&norms, "report", optarg)))
                return rc;
            break;
        case OPT_WEEKS:
            if ((rc = sb__cli_parse_long("report", "--weeks", optarg, 0, 520, &v)))
                return rc;
            opt.projection_weeks = (int)v;
            break;
        case OPT_PEOPLE:
            if ((rc = sb__cli_parse_long("report", "--people", optarg, 1,
                                         1000000, &v)))
                return rc;
            opt.projection_people = (size_t)v;
            break;
        case OPT_WHATIF_PEOPLE:
            if ((rc = sb__cli_parse_long("report", "--whatif-people", optarg, 0,
                                        1000000, &v)))
                return rc;
            opt.whatif_people = (size_t)v;
            break;
        case OPT_SEED:
            if ((rc = sb__cli_parse_u64("report", "--seed", optarg, &seed)))
                return rc;
            opt.seed = seed;
            break;
        case OPT_POSTERIOR: posterior = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return SB_EXIT_OK;
        default: usage(stderr); return SB_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return sb__cli_usage_error("report", "give one PERSON (an id or a name)");
    char today[SB_DATE_SIZE];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    sb_date_format((sb_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday},
                   today);
    opt.prepared = today;
    sb__cli_progress bar;
    sb__cli_progress_init(&bar, "model projection", quiet);
    opt.progress = sb__cli_progress_update;
    opt.progress_ctx = &bar;
    sb_error err;
    sb_posterior *post = NULL;
    if (posterior) {
        sb_status st = sb_posterior_load(posterior, &post, &err);
        if (st != SB_OK) {
            sb__cli_report_error(&err);
            return sb__cli_input_exit_code(st);
        }
        opt.posterior = post;
    }
    sb_instrument *inst = NULL;
    if (instrument) {
        sb_status st = sb_instrument_load_file(instrument, &inst, &err);
        if (st != SB_OK) {
            sb__cli_report_error(&err);
            sb_posterior_free(post);
            return sb__cli_input_exit_code(st);
        }
        opt.instrument = inst;
    }
    sb_norms_set *set = NULL;
    sb_journal *j = NULL;
    rc = sb__cli_norms_load(&norms, inst, &set);
    opt.norms = set;
    if (!rc)
        rc = sb__cli_journal_open(db, SB_JOURNAL_READONLY, &j);
    if (rc) {
        sb_norms_set_free(set);
        sb_instrument_free(inst);
        sb_posterior_free(post);
        return rc;
    }
    /* The report gets the person's records, not the journal, which is
     * closed before the long part (the projection) begins. */
    sb_rec_person who;
    sb_person_records records = {0};
    sb_rec_assessment *practice = NULL;
    sb_status st = sb_journal_find_person(j, argv[optind], &who, &err);
    if (st == SB_OK)
        st = sb_journal_load_person(j, who.id, &records, &err);
    /* Every assessment of the practice: its completed courses are the
     * empirical reference for the person's expected recovery. */
    if (st == SB_OK)
        st = sb_journal_list_scored(j, 0, &practice,
                                    &opt.practice_assessment_count, &err);
    opt.practice_assessments = practice;
    sb_schedule *schedules = NULL;
    if (st == SB_OK)
        st = sb_schedule_list(j, who.id, &schedules, &opt.schedule_count,
                              &err);
    opt.schedules = schedules;
    if (st == SB_OK)
        st = sb_journal_guard_output(j, out, &err);
    sb_journal_close(j);
    sb__cli_remove_on_signal(out);
    if (st == SB_OK)
        st = sb_report_write(&records, &opt, out, &err);
    sb_person_records_free(&records);
    free(practice);
    free(schedules);
    sb_norms_set_free(set);
    sb_instrument_free(inst);
    sb_posterior_free(post);
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    printf("wrote %s\n", out);
    return SB_EXIT_OK;
}
