/*
 * securebase score: scores a survey export (one row per administration)
 * with a built-in or user instrument, or prints a reliability report
 * (Cronbach's alpha, item-total correlations) with --alpha.
 */
#include "cli/cli.h"
#include "cli/measure_opts.h"

#include <securebase/measure.h>

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
        "usage: securebase score INSTRUMENT FILE.csv [OPTIONS]\n\n"
        "Scores a wide CSV export (a row per administration) and writes id,\n"
        "date, source line, every score, items answered per subscale, the\n"
        "category where the instrument has one, a status and a note.\n"
        "INSTRUMENT is a built-in name (ecr-r, ecr-s, ecr-rs, ecr, rq) or the\n"
        "path of an instrument file. FILE may be '-' for standard input.\n\n"
        "  --columns MAP     item columns: a pattern with {n} (and {target}),\n"
        "                    e.g. 'Q{n}', or a CSV file 'item,column'\n"
        "                    (default: found in the header among the\n"
        "                    instrument's names, e.g. ecr_r_{n}, Q{n},\n"
        "                    ECRR_{n}, item{n} and {n}; said on stderr)\n"
        "  --scale MIN-MAX   the answers' scale if not the instrument's (1-5)\n"
        "  --missing CODE    a value meaning 'not answered' (repeatable or\n"
        "                    comma-separated); empty cells are always missing\n"
        "  --id COL          column with the person's id\n"
        "  --date COL        column with the date of the administration\n"
        "  --skip-rows N     rows to skip after the header (Qualtrics: 2)\n"
        "  --lenient         flag bad rows (status 'error') instead of stopping\n"
        "  --alpha           print Cronbach's alpha and item statistics per\n"
        "                    subscale (complete answers) instead of scores\n"
        "  --out FILE        write here (atomically, mode 0600) instead of\n"
        "                    standard output\n"
        "  -h, --help        this help\n\n"
        "Missing answers are prorated up to each subscale's limit; beyond it\n"
        "the score is empty and the note says why. Out-of-range, non-numeric\n"
        "and multiple answers are errors naming the line, column and value.\n");
}

typedef struct score_ctx {
    const sb_instrument *inst;
    FILE *out;
    const char *out_name; /* for messages */
    int with_id, with_date;
} score_ctx;

static sb_status write_row(void *vctx, const sb_scored_row *row, sb_error *err)
{
    score_ctx *c = vctx;
    if (sb_scores_write_row(c->out, c->inst, c->with_id, c->with_date, row))
        return sb_error_set(err, SB_ERR_IO, c->out_name, 0, 0,
                            "cannot write the scores");
    return SB_OK;
}

static sb_status skip_row(void *vctx, const sb_scored_row *row, sb_error *err)
{
    (void)vctx;
    (void)row;
    (void)err;
    return SB_OK;
}

/* A figure right-aligned in `width`, or "n/a" where it is undefined. */
static void put_figure(FILE *out, int width, double v)
{
    if (isnan(v))
        fprintf(out, "  %*s", width, "n/a");
    else
        fprintf(out, "  %*.3f", width, v);
}

/*
 * Prints the reliability report; an alpha that cannot be computed says why
 * instead of printing nan. Items that correlate negatively with the rest of
 * their subscale are pointed out, on the report and on stderr: the usual
 * cause is a reverse-keyed item that was not reversed (or reversed twice).
 * Returns SB_ERR_INVALID, with every subscale's reason, when no alpha at
 * all could be computed.
 */
static sb_status print_alpha(FILE *out, const sb_instrument *inst,
                             sb_scorer *sc, sb_scale scale, const char *origin,
                             sb_error *err)
{
    size_t computed = 0, asked = 0;
    for (size_t s = 0; s < sb_instrument_score_count(inst); s++)
        asked += sb_scorer_alpha(sc, s) != NULL;
    if (!asked)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "%s has no subscale of two or more items, so no "
                            "Cronbach's alpha to compute",
                            sb_instrument_name(inst));
    fprintf(out, "%s: Cronbach's alpha on complete answers (scale %d-%d)\n",
            sb_instrument_name(inst), scale.min, scale.max);
    char reasons[SB_ERROR_MSG_MAX] = "";
    for (size_t s = 0; s < sb_instrument_score_count(inst); s++) {
        sb_alpha *a = sb_scorer_alpha(sc, s);
        if (!a)
            continue;
        sb_alpha_result r;
        sb_alpha_compute(a, &r);
        const size_t *items;
        sb_instrument_score_item_list(inst, s, &items);
        size_t per = sb_instrument_items_per_target(inst);
        const char *name = sb_instrument_score_name(inst, s);
        if (isnan(r.alpha)) {
            fprintf(out, "\n%s: alpha n/a (%zu items, %.0f complete row%s): "
                    "%s\n", name, r.k, r.n, r.n == 1 ? "" : "s", r.why);
            fprintf(stderr, "securebase score: no alpha for %s: %s\n", name,
                    r.why);
            size_t len = strlen(reasons);
            snprintf(reasons + len, sizeof reasons - len, "%s%s: %s",
                     len ? "; " : "", name, r.why);
        } else {
            computed++;
            fprintf(out, "\n%s: alpha %.3f (%zu items, %.0f complete rows)\n",
                    name, r.alpha, r.k, r.n);
        }
        if (r.n < 2)
            continue; /* no SD, no correlation: nothing to tabulate */
        fprintf(out, "  item    mean      sd  item-total r  alpha if deleted\n");
        char negative[256] = "";
        for (size_t i = 0; i < r.k; i++) {
            const sb_alpha_item *it = &r.items[i];
            fprintf(out, "  %4zu", items[i] % per + 1);
            put_figure(out, 6, it->mean);
            put_figure(out, 6, it->sd);
            put_figure(out, 12, it->item_total_r);
            put_figure(out, 16, it->alpha_if_deleted);
            fputc('\n', out);
            if (it->item_total_r < 0) {
                size_t len = strlen(negative);
                snprintf(negative + len, sizeof negative - len, "%s%zu",
                         len ? ", " : "", items[i] % per + 1);
            }
        }
        if (negative[0]) {
            fprintf(out, "  warning: item%s %s correlate%s negatively with "
                    "the rest of %s: check reverse-keyed items\n",
                    strchr(negative, ',') ? "s" : "", negative,
                    strchr(negative, ',') ? "" : "s", name);
            fprintf(stderr, "securebase score: %s: item%s %s correlate%s "
                    "negatively with the rest of the subscale: check "
                    "reverse-keyed items (--alpha expects raw answers; the "
                    "instrument reverses its keyed items)\n", name,
                    strchr(negative, ',') ? "s" : "", negative,
                    strchr(negative, ',') ? "" : "s");
        }
    }
    if (!computed)
        return sb_error_set(err, SB_ERR_INVALID, origin, 0, 0,
                            "no Cronbach's alpha can be computed: %s",
                            reasons);
    return SB_OK;
}

int sb__cli_score(int argc, char **argv)
{
    static const struct option options[] = {
        SB_MEASURE_LONG_OPTIONS,
        {"alpha", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sb__measure_opts mo;
    sb__measure_opts_init(&mo);
    int alpha = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return SB_EXIT_OK;
        }
        if (c == 'a') {
            alpha = 1;
            continue;
        }
        int rc = sb__measure_opts_parse(&mo, "score", c, optarg);
        if (rc == -1) {
            usage(stderr);
            return SB_EXIT_USAGE;
        }
        if (rc)
            return rc;
    }
    if (argc - optind != 2)
        return sb__cli_usage_error("score", "expects INSTRUMENT and FILE.csv");
    sb__measure_run run;
    int rc = sb__measure_open(&mo, argv[optind], argv[optind + 1], &run);
    if (rc)
        return rc;
    sb_error err;
    sb_error_clear(&err);
    sb__measure_output out;
    sb_status st = sb__measure_output_open(mo.out, &out, &err);
    score_ctx ctx = {run.inst, out.stream, mo.out ? mo.out : "<stdout>",
                     mo.id != NULL, mo.date != NULL};
    run.opts.alpha = alpha;
    sb_scorer *sc = NULL;
    if (!st)
        st = sb_scorer_new(run.inst, &run.opts, alpha ? skip_row : write_row,
                           &ctx, &sc, &err);
    if (!st && !alpha &&
        sb_scores_write_header(out.stream, run.inst, ctx.with_id, ctx.with_date))
        st = sb_error_set(&err, SB_ERR_IO, ctx.out_name, 0, 0,
                          "cannot write the scores");
    if (!st)
        st = sb__measure_stream(&run, sc, &err);
    if (!st && alpha)
        st = print_alpha(out.stream, run.inst, sc, run.opts.scale,
                         run.path, &err);
    if (out.stream)
        st = sb__measure_output_close(&out, st, &err);
    if (!st && sb_scorer_flagged(sc))
        fprintf(stderr, "securebase score: %lu of %lu rows flagged as errors "
                "(status 'error')\n", sb_scorer_flagged(sc), sb_scorer_rows(sc));
    sb_scorer_free(sc);
    sb__measure_close(&run);
    if (st) {
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    return SB_EXIT_OK;
}
