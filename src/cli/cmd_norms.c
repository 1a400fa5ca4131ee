/*
 * securebase norms: a practice's own norms from its intake scores. Scores a
 * survey export (a row per intake administration) and writes, per score,
 * the sample size, mean, SD and Cronbach's alpha as a norms file that
 * `change --norms` (and the report) use where no published figure exists.
 */
#include "cli/cli.h"
#include "cli/measure_opts.h"

#include <securebase/measure.h>

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_POPULATION = 3000, OPT_AS_OF, OPT_LABEL };

static void usage(FILE *out)
{
    fprintf(out,
        "usage: securebase norms INSTRUMENT FILE.csv [OPTIONS]\n\n"
        "A practice's own norms: per score the number of administrations,\n"
        "mean, SD and Cronbach's alpha (items answered in full), from a\n"
        "CSV export with one row per client's intake administration. The\n"
        "norms file is labelled with the instrument, scale, sample, date and\n"
        "source, and is what `securebase change`, `report`, `status` and\n"
        "`serve` use with --norms FILE for reliable change before published\n"
        "figures, and where none exists (docs/formats.md). A summary goes to\n"
        "standard error.\n\n"
        "  --population P    clinical (default: intake clients) or general\n"
        "  --as-of DATE      the date the norms carry (default: today)\n"
        "  --label TEXT      what they were computed on (default: FILE's name)\n"
        "  --columns MAP     item columns: pattern with {n} or mapping file\n"
        "  --scale MIN-MAX   the answers' scale if not the instrument's\n"
        "  --missing CODE    value meaning 'not answered' (repeatable)\n"
        "  --skip-rows N     rows to skip after the header (Qualtrics: 2)\n"
        "  --lenient         leave out bad rows (counted on stderr)\n"
        "  --out FILE        write here (atomically, mode 0600) instead of\n"
        "                    standard output\n"
        "  -h, --help        this help\n\n"
        "Scores with missing items are prorated as in `securebase score` and\n"
        "count towards N, mean and SD; alpha uses the rows with every item of\n"
        "the subscale answered. A score needs 2 administrations and an SD\n"
        "above 0 to get a row.\n");
}

typedef struct norms_ctx {
    sb_norms *norms;
} norms_ctx;

static sb_status add_row(void *vctx, const sb_scored_row *row, sb_error *err)
{
    return sb_norms_add(((norms_ctx *)vctx)->norms, row, err);
}

static void summary(const sb_instrument *inst, const sb_norms *nm)
{
    sb_scale sc = sb_norms_scale(nm);
    fprintf(stderr, "securebase norms: %s on %d-%d, %s sample (%s, %s)\n",
            sb_instrument_name(inst), sc.min, sc.max,
            sb_norms_clinical(nm) ? "clinical" : "general", sb_norms_label(nm),
            sb_norms_date(nm));
    for (size_t s = 0; s < sb_instrument_score_count(inst); s++) {
        sb_norms_entry e;
        sb_norms_entry_get(nm, s, &e);
        const char *name = sb_instrument_score_name(inst, s);
        if (!e.present) {
            fprintf(stderr, "  %-18s left out: %.0f administration%s with a "
                    "score%s\n", name, e.n, e.n == 1 ? "" : "s",
                    e.n >= 2 ? ", all the same" : "");
            continue;
        }
        fprintf(stderr, "  %-18s N %.0f  mean %.3f  SD %.3f", name, e.n,
                e.mean, e.sd);
        if (!isnan(e.alpha))
            fprintf(stderr, "  alpha %.3f (%.0f complete)\n", e.alpha,
                    e.alpha_n);
        else if (sb_instrument_score_is_items(inst, s))
            fprintf(stderr, "  no alpha (%.0f complete rows)\n", e.alpha_n);
        else
            fprintf(stderr, "  no alpha (a derived score)\n");
    }
}

static int usable(const sb_instrument *inst, const sb_norms *nm)
{
    for (size_t s = 0; s < sb_instrument_score_count(inst); s++) {
        sb_norms_entry e;
        sb_norms_entry_get(nm, s, &e);
        if (e.present)
            return 1;
    }
    return 0;
}

int sb__cli_norms(int argc, char **argv)
{
    static const struct option options[] = {
        {"columns", required_argument, NULL, SB_OPT_COLUMNS},
        {"scale", required_argument, NULL, SB_OPT_SCALE},
        {"missing", required_argument, NULL, SB_OPT_MISSING},
        {"skip-rows", required_argument, NULL, SB_OPT_SKIP_ROWS},
        {"lenient", no_argument, NULL, SB_OPT_LENIENT},
        {"out", required_argument, NULL, SB_OPT_OUT},
        {"population", required_argument, NULL, OPT_POPULATION},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"label", required_argument, NULL, OPT_LABEL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sb__measure_opts mo;
    sb__measure_opts_init(&mo);
    const char *as_of = NULL, *label = NULL;
    int clinical = 1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case 'h':
            usage(stdout);
            return SB_EXIT_OK;
        case OPT_POPULATION:
            clinical = !strcmp(optarg, "clinical");
            if (!clinical && strcmp(optarg, "general"))
                return sb__cli_usage_error("norms", "--population is clinical "
                                          "or general, got '%s'", optarg);
            break;
        case OPT_AS_OF: as_of = optarg; break;
        case OPT_LABEL: label = optarg; break;
        default:
            rc = sb__measure_opts_rest(&mo, "norms", c, optarg, usage);
        }
        if (rc)
            return rc;
    }
    if (argc - optind != 2)
        return sb__cli_usage_error("norms", "expects INSTRUMENT and FILE.csv");
    const char *path = argv[optind + 1];
    char today[11], base[256];
    if (!as_of) {
        sb__cli_today(today);
        as_of = today;
    }
    if (!label) {
        const char *slash = strrchr(path, '/');
        snprintf(base, sizeof base, "%s", slash ? slash + 1 : path);
        label = base;
    }
    sb__measure_run run;
    int rc = sb__measure_open(&mo, argv[optind], path, &run);
    if (rc)
        return rc;
    sb_error err;
    sb_error_clear(&err);
    norms_ctx ctx = {NULL};
    sb_scorer *sc = NULL;
    sb__measure_output out = {NULL, NULL};
    sb_status st = sb_norms_new(run.inst, run.opts.scale, clinical,
                                &ctx.norms, &err);
    /* the label and date are checked before the file is read */
    if (!st && (st = sb_norms_finish(ctx.norms, as_of, label, &err)))
        st = SB_ERR_INVALID;
    if (!st)
        st = sb_scorer_new(run.inst, &run.opts, add_row, &ctx, &sc, &err);
    if (!st)
        st = sb__measure_stream(&run, sc, &err);
    if (!st)
        st = sb_norms_finish(ctx.norms, as_of, label, &err);
    if (!st && !usable(run.inst, ctx.norms))
        st = sb_error_set(&err, SB_ERR_INVALID, run.path, 0, 0,
                          "no score has 2 or more administrations that differ: "
                          "no norms to write");
    if (!st)
        st = sb__measure_output_open(mo.out, &out, &err);
    if (!st)
        st = sb_norms_write(ctx.norms, out.stream, &err);
    if (out.stream)
        st = sb__measure_output_close(&out, st, &err);
    if (!st) {
        summary(run.inst, ctx.norms);
        if (sb_scorer_flagged(sc))
            fprintf(stderr, "securebase norms: %lu rows left out as errors\n",
                    sb_scorer_flagged(sc));
    }
    sb_scorer_free(sc);
    sb_norms_free(ctx.norms);
    sb__measure_close(&run);
    if (st) {
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    return SB_EXIT_OK;
}
