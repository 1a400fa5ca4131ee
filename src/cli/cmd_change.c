/*
 * securebase change: each person's change from their first administration
 * with the Jacobson-Truax reliable change index, cutoffs a/b/c and status,
 * or (--sudden) the sudden gains and losses between administrations.
 * Scores are kept per administration (not the items) to sort by person.
 */
#include "cli/cli.h"
#include "cli/measure_opts.h"

#include <securebase/measure.h>

#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
        "usage: securebase change INSTRUMENT FILE.csv --id COL --date COL "
        "[OPTIONS]\n\n"
        "For every person, the change of each score from their first\n"
        "administration: change, reliable change index (Jacobson & Truax\n"
        "1991), cutoffs a, b, c where the instrument has norms, and a status:\n"
        "recovered, improved, unchanged or deteriorated. Dates are ISO\n"
        "(YYYY-MM-DD, optionally with a time) or whole session numbers.\n\n"
        "  --id COL          column with the person's id (required)\n"
        "  --date COL        column with the date or session (required)\n"
        "  --sudden          list sudden gains and losses instead\n"
        "  --columns MAP     item columns: pattern with {n} or mapping file\n"
        "  --scale MIN-MAX   the answers' scale if not the instrument's\n"
        "  --missing CODE    value meaning 'not answered' (repeatable)\n"
        "  --skip-rows N     rows to skip after the header (Qualtrics: 2)\n"
        "  --lenient         leave out bad rows (counted on stderr)\n"
        "  --out FILE        write here (atomically) instead of standard output\n"
        "  -h, --help        this help\n\n"
        "Reliable change needs a reliability and an SD for the answers' scale\n"
        "in the instrument file; without them the RCI and status are empty\n"
        "and the note says so (see docs/instruments.md).\n");
}

typedef struct admin {
    char *id;
    char *date;
    char key[32];   /* sortable form of the date */
    unsigned long line;
    double *value;  /* score_count values */
} admin;

typedef struct change_ctx {
    const sb_instrument *inst;
    const char *origin;
    const char *date_column;
    admin *rows;
    size_t count, cap;
    int date_kind;  /* 0 unknown, 1 calendar, 2 session number */
    unsigned long skipped;
} change_ctx;

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* ISO date (with optional time) -> 1, whole number -> 2, else 0. */
static int date_key(const char *s, char *key, size_t size)
{
    int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
    size_t len = strlen(s);
    if (len >= 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10 &&
        isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[5]) &&
        isdigit((unsigned char)s[8])) {
        if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
            return 0;
        const char *t = s + 10;
        if (*t) {
            int m2 = 0;
            if ((*t != ' ' && *t != 'T') ||
                (sscanf(t + 1, "%2d:%2d%n", &h, &mi, &m2) != 2))
                return 0;
            t += 1 + m2;
            if (*t == ':') {
                int m3 = 0;
                if (sscanf(t + 1, "%2d%n", &se, &m3) != 1)
                    return 0;
                t += 1 + m3;
            }
            if (*t || h > 23 || mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0)
                return 0;
        }
        snprintf(key, size, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, se);
        return 1;
    }
    if (len == 0 || len > 9)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    snprintf(key, size, "%020ld", strtol(s, NULL, 10));
    return 2;
}

static sb_status collect(void *vctx, const sb_scored_row *row, sb_error *err)
{
    change_ctx *c = vctx;
    if (row->error) {
        c->skipped++;
        return SB_OK;
    }
    if (!row->id[0])
        return sb_error_set(err, SB_ERR_INVALID, c->origin, row->line, 0,
                            "the id is empty");
    char key[32];
    int kind = date_key(row->date, key, sizeof key);
    if (!kind)
        return sb_error_set(err, SB_ERR_INVALID, c->origin, row->line, 0,
                            "column '%s': '%.64s' is not a date (YYYY-MM-DD, "
                            "optionally with a time) nor a session number",
                            c->date_column, row->date);
    if (c->date_kind && kind != c->date_kind)
        return sb_error_set(err, SB_ERR_INVALID, c->origin, row->line, 0,
                            "column '%s': '%.64s' mixes dates and session "
                            "numbers in one file", c->date_column, row->date);
    c->date_kind = kind;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        admin *n = realloc(c->rows, cap * sizeof *n);
        if (!n)
            return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
        c->rows = n;
        c->cap = cap;
    }
    size_t k = sb_instrument_score_count(c->inst);
    admin *a = &c->rows[c->count];
    a->id = strdup(row->id);
    a->date = strdup(row->date);
    a->value = malloc(k * sizeof *a->value);
    if (!a->id || !a->date || !a->value) {
        free(a->id);
        free(a->date);
        free(a->value);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(a->key, key, sizeof key);
    a->line = row->line;
    memcpy(a->value, row->scores->value, k * sizeof *a->value);
    c->count++;
    return SB_OK;
}

static int by_person_then_date(const void *pa, const void *pb)
{
    const admin *a = pa, *b = pb;
    int r = strcmp(a->id, b->id);
    if (!r)
        r = strcmp(a->key, b->key);
    if (!r)
        r = (a->line > b->line) - (a->line < b->line);
    return r;
}

/* The SD and reliability for reliable change of score s; 0 if absent. */
static int rci_params(const sb_instrument *inst, size_t s, sb_scale scale,
                      double *sd, double *rel, sb_cutoffs *cut)
{
    const sb_norm *fun = sb_instrument_norm(inst, s, scale, 0);
    const sb_norm *dys = sb_instrument_norm(inst, s, scale, 1);
    const sb_reliability *r = sb_instrument_reliability(inst, s, scale);
    sb_direction dir = sb_instrument_score_direction(inst, s);
    memset(cut, 0, sizeof *cut);
    cut->a = cut->b = cut->c = NAN;
    if ((fun || dys) && dir != SB_DIRECTION_NONE)
        (void)sb_clinical_cutoffs(fun, dys, dir, cut, NULL);
    /* Jacobson & Truax use the SD of the pre-treatment (clinical) sample */
    const sb_norm *for_sd = dys ? dys : fun;
    if (!for_sd || !r)
        return 0;
    *sd = for_sd->sd;
    *rel = r->value;
    return 1;
}

static void put_num(FILE *out, double v)
{
    if (isnan(v))
        fputc(',', out);
    else
        fprintf(out, ",%.4f", v);
}

static void put_text(FILE *out, const char *s)
{
    fputc(',', out);
    sb_csv_write_field(out, s);
}

static void write_changes(FILE *out, const change_ctx *c, sb_scale scale)
{
    const sb_instrument *inst = c->inst;
    size_t k = sb_instrument_score_count(inst);
    fputs("id,first_date,date,score,first,value,change,rci,cutoff_a,cutoff_b,"
          "cutoff_c,status,note\n", out);
    for (size_t i = 0; i < c->count;) {
        size_t j = i + 1;
        while (j < c->count && !strcmp(c->rows[j].id, c->rows[i].id))
            j++;
        const admin *first = &c->rows[i];
        for (size_t r = i + 1; r < j; r++) {
            const admin *now = &c->rows[r];
            for (size_t s = 0; s < k; s++) {
                double sd = 0, rel = 0, rci = NAN;
                sb_cutoffs cut;
                int have = rci_params(inst, s, scale, &sd, &rel, &cut);
                double pre = first->value[s], post = now->value[s];
                char note[256] = "";
                if (isnan(pre) || isnan(post))
                    snprintf(note, sizeof note, "%s score is empty",
                             isnan(pre) ? "first" : "this");
                else if (!have)
                    snprintf(note, sizeof note,
                             "no reliability and SD for answers on %d-%d in "
                             "the instrument file", scale.min, scale.max);
                else
                    (void)sb_rci(pre, post, sd, rel, &rci, NULL);
                sb_change_status st = sb_change_classify(
                    pre, post, rci, &cut, sb_instrument_score_direction(inst, s));
                sb_csv_write_field(out, now->id);
                put_text(out, first->date);
                put_text(out, now->date);
                put_text(out, sb_instrument_score_name(inst, s));
                put_num(out, pre);
                put_num(out, post);
                put_num(out, post - pre);
                put_num(out, rci);
                put_num(out, cut.has_a ? cut.a : NAN);
                put_num(out, cut.has_b ? cut.b : NAN);
                put_num(out, cut.has_c ? cut.c : NAN);
                put_text(out, sb_change_status_name(st));
                put_text(out, note);
                fputc('\n', out);
            }
        }
        i = j;
    }
}

static sb_status write_sudden(FILE *out, const change_ctx *c, sb_scale scale,
                              sb_error *err)
{
    const sb_instrument *inst = c->inst;
    size_t k = sb_instrument_score_count(inst);
    fputs("id,score,kind,from_date,to_date,pre,post,magnitude,mean_before,"
          "mean_after,t\n", out);
    double *series = malloc((c->count ? c->count : 1) * sizeof *series);
    sb_sudden *ev = malloc((c->count ? c->count : 1) * sizeof *ev);
    if (!series || !ev) {
        free(series);
        free(ev);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < c->count;) {
        size_t j = i + 1;
        while (j < c->count && !strcmp(c->rows[j].id, c->rows[i].id))
            j++;
        for (size_t s = 0; s < k; s++) {
            double sd, rel, sdiff;
            sb_cutoffs cut;
            if (!rci_params(inst, s, scale, &sd, &rel, &cut) ||
                sb_rci_sdiff(sd, rel, &sdiff, NULL))
                continue;
            for (size_t r = i; r < j; r++)
                series[r - i] = c->rows[r].value[s];
            size_t n = sb_sudden_find(series, j - i, SB_RCI_CRITICAL * sdiff,
                                      scale,
                                      sb_instrument_score_direction(inst, s),
                                      ev, j - i);
            for (size_t e = 0; e < n && e < j - i; e++) {
                const admin *from = &c->rows[i + ev[e].index];
                const admin *to = &c->rows[i + ev[e].index + 1];
                sb_csv_write_field(out, from->id);
                put_text(out, sb_instrument_score_name(inst, s));
                put_text(out, ev[e].kind == SB_SUDDEN_GAIN ? "gain" : "loss");
                put_text(out, from->date);
                put_text(out, to->date);
                put_num(out, ev[e].pre);
                put_num(out, ev[e].post);
                put_num(out, ev[e].magnitude);
                put_num(out, ev[e].mean_before);
                put_num(out, ev[e].mean_after);
                if (isinf(ev[e].t))
                    fputs(ev[e].t > 0 ? ",inf" : ",-inf", out);
                else
                    put_num(out, ev[e].t);
                fputc('\n', out);
            }
        }
        i = j;
    }
    free(series);
    free(ev);
    return SB_OK;
}

static sb_status check_duplicates(const change_ctx *c, sb_error *err)
{
    for (size_t i = 1; i < c->count; i++)
        if (!strcmp(c->rows[i].id, c->rows[i - 1].id) &&
            !strcmp(c->rows[i].key, c->rows[i - 1].key))
            return sb_error_set(err, SB_ERR_INVALID, c->origin, c->rows[i].line,
                                0, "person '%.64s' has two administrations on "
                                "'%.64s' (lines %lu and %lu)", c->rows[i].id,
                                c->rows[i].date, c->rows[i - 1].line,
                                c->rows[i].line);
    return SB_OK;
}

int sb_cli_change(int argc, char **argv)
{
    static const struct option options[] = {
        SB_MEASURE_LONG_OPTIONS,
        {"sudden", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sb_measure_opts mo;
    sb_measure_opts_init(&mo);
    int sudden = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return SB_EXIT_OK;
        }
        if (c == 's') {
            sudden = 1;
            continue;
        }
        int rc = sb_measure_opts_parse(&mo, "change", c, optarg);
        if (rc == -1) {
            usage(stderr);
            return SB_EXIT_USAGE;
        }
        if (rc)
            return rc;
    }
    if (argc - optind != 2)
        return sb_cli_usage_error("change", "expects INSTRUMENT and FILE.csv");
    if (!mo.id || !mo.date)
        return sb_cli_usage_error("change", "needs --id COL and --date COL");
    sb_measure_run run;
    int rc = sb_measure_open(&mo, "change", argv[optind], argv[optind + 1], &run);
    if (rc)
        return rc;
    sb_error err;
    sb_error_clear(&err);
    change_ctx ctx = {run.inst, run.path, mo.date, NULL, 0, 0, 0, 0};
    sb_scorer *sc = NULL;
    sb_status st = sb_scorer_new(run.inst, &run.opts, collect, &ctx, &sc, &err);
    if (!st)
        st = sb_measure_stream(&run, sc, &err);
    if (!st) {
        qsort(ctx.rows, ctx.count, sizeof *ctx.rows, by_person_then_date);
        st = check_duplicates(&ctx, &err);
    }
    sb_atomic_file *af = NULL;
    FILE *out = stdout;
    if (!st && mo.out) {
        st = sb_atomic_open(mo.out, &af, &err);
        if (!st)
            out = sb_atomic_stream(af);
    }
    if (!st) {
        if (sudden)
            st = write_sudden(out, &ctx, run.opts.scale, &err);
        else
            write_changes(out, &ctx, run.opts.scale);
    }
    if (!st && !af && (fflush(stdout) != 0 || ferror(stdout)))
        st = sb_error_set(&err, SB_ERR_IO, NULL, 0, 0, "cannot write output");
    if (af) {
        if (st)
            sb_atomic_abort(af);
        else
            st = sb_atomic_commit(af, &err);
    }
    if (!st && ctx.skipped)
        fprintf(stderr, "securebase change: %lu rows left out as errors\n",
                ctx.skipped);
    for (size_t i = 0; i < ctx.count; i++) {
        free(ctx.rows[i].id);
        free(ctx.rows[i].date);
        free(ctx.rows[i].value);
    }
    free(ctx.rows);
    sb_scorer_free(sc);
    sb_measure_close(&run);
    if (st) {
        sb_cli_report_error(&err);
        return sb_cli_exit_code(st);
    }
    return SB_EXIT_OK;
}
