/*
 * Local norms: a practice's own figures for reliable change. Built from
 * scored administrations (usually each client's intake): per score the
 * number of administrations, the mean and SD (Welford's running sums), and
 * for item-based scores Cronbach's alpha on the complete cases. Written as
 * a small CSV file labelled with the instrument, the date and the sample's
 * size, and read back through the CSV reader with every field checked. The
 * format is in docs/formats.md.
 */
#include "measure/instrument.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NORMS_HEADER \
    "instrument,score,scale,population,n,mean,sd,alpha,alpha_n,date,source"
#define NORMS_COLUMNS 11
#define NORMS_MAX_BYTES (1u << 20)
#define NORMS_TEXT_MAX 200

/* One score's figures, as accumulated or as read. */
typedef struct norms_entry {
    int present;          /* read: a row was given; built: always */
    double n, mean, m2;   /* Welford: m2 = sum of squared deviations */
    double sd;            /* read: as given */
    double alpha, alpha_n;
    sb_alpha *acc;        /* built: item-based scores only */
    sb_norm norm;         /* the figures as the rest of measure sees them */
    sb_reliability rel;
    char sample[NORMS_TEXT_MAX + 160];
    char source[NORMS_TEXT_MAX + 160];
} norms_entry;

struct sb_norms {
    const sb_instrument *inst;
    sb_scale scale;
    int dysfunctional;
    char date[11];
    char label[NORMS_TEXT_MAX + 1];
    norms_entry *entry;   /* one per instrument score */
    double *keyed;        /* scratch for alpha */
};

sb_status sb_norms_new(const sb_instrument *inst, sb_scale scale,
                       int dysfunctional, sb_norms **out, sb_error *err)
{
    *out = NULL;
    sb_norms *nm = calloc(1, sizeof *nm);
    size_t k = inst->score_count;
    if (nm) {
        nm->entry = calloc(k ? k : 1, sizeof *nm->entry);
        nm->keyed = calloc(inst->item_count ? inst->item_count : 1,
                           sizeof *nm->keyed);
    }
    if (!nm || !nm->entry || !nm->keyed) {
        sb_norms_free(nm);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    nm->inst = inst;
    nm->scale = scale;
    nm->dysfunctional = !!dysfunctional;
    for (size_t s = 0; s < k; s++) {
        norms_entry *e = &nm->entry[s];
        e->alpha = e->alpha_n = NAN;
        const sb__inst_score *is = &inst->scores[s];
        if (is->is_items && is->item_count >= 2) {
            sb_status st = sb_alpha_new(is->item_count, &e->acc, err);
            if (st) {
                sb_norms_free(nm);
                return st;
            }
        }
    }
    *out = nm;
    return SB_OK;
}

void sb_norms_free(sb_norms *nm)
{
    if (!nm)
        return;
    if (nm->entry)
        for (size_t s = 0; s < nm->inst->score_count; s++)
            sb_alpha_free(nm->entry[s].acc);
    free(nm->entry);
    free(nm->keyed);
    free(nm);
}

sb_status sb_norms_add(sb_norms *nm, const sb_scored_row *row, sb_error *err)
{
    if (row->error)
        return SB_OK; /* a flagged row has no scores */
    if (!row->answers || row->scores->count != nm->inst->score_count)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "norms: a row without answers or of another "
                            "instrument");
    for (size_t s = 0; s < nm->inst->score_count; s++) {
        norms_entry *e = &nm->entry[s];
        double x = row->scores->value[s];
        if (!isnan(x)) {
            e->n += 1;
            double d = x - e->mean;
            e->mean += d / e->n;
            e->m2 += d * (x - e->mean);
        }
        if (e->acc)
            sb__inst_alpha_add(e->acc, nm->inst, s, nm->scale, row->answers,
                              nm->keyed);
    }
    return SB_OK;
}

/* Printable text without control characters or line breaks. */
static int plain_text(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

/* Strict YYYY-MM-DD of a date that exists. */
static int iso_date(const char *s)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 1900 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days[m - 1] - (m == 2 && !leap);
}

/* Fills the sb_norm and sb_reliability that change and the report use. */
static void describe(sb_norms *nm, size_t s)
{
    norms_entry *e = &nm->entry[s];
    snprintf(e->sample, sizeof e->sample,
             "local %s sample: %.0f administrations of %s (%s, %s)",
             nm->dysfunctional ? "clinical" : "general", e->n,
             nm->inst->name, nm->label, nm->date);
    snprintf(e->source, sizeof e->source,
             "securebase norms, computed on %s on %s", nm->label, nm->date);
    e->norm = (sb_norm){e->mean, e->sd, e->n, nm->scale, nm->dysfunctional,
                        e->sample, e->source, 0, "local norms file"};
    e->rel = (sb_reliability){isnan(e->alpha) ? 0 : e->alpha, 0, nm->scale,
                              e->sample, e->source, 0, e->alpha_n, 0,
                              "local norms file"};
}

sb_status sb_norms_finish(sb_norms *nm, const char *date, const char *label,
                          sb_error *err)
{
    if (!date || !iso_date(date))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "norms: the date must be YYYY-MM-DD, got '%.40s'",
                            date ? date : "");
    if (!label || !label[0] || strlen(label) > NORMS_TEXT_MAX ||
        !plain_text(label) || strchr(label, '"'))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "norms: the source label must be 1-%d printable "
                            "characters without quotes", NORMS_TEXT_MAX);
    snprintf(nm->date, sizeof nm->date, "%s", date);
    snprintf(nm->label, sizeof nm->label, "%s", label);
    for (size_t s = 0; s < nm->inst->score_count; s++) {
        norms_entry *e = &nm->entry[s];
        e->present = e->n >= 2;
        e->sd = e->n >= 2 ? sqrt(e->m2 / (e->n - 1)) : NAN;
        if (e->acc) {
            sb_alpha_result r;
            sb_alpha_compute(e->acc, &r);
            /* Only a reliability in [0, 1) can serve reliable change, and
             * one that the file's 4 decimals would show as 1 cannot. */
            e->alpha_n = r.n;
            e->alpha = r.alpha >= 0 && r.alpha < 0.99995 ? r.alpha : NAN;
        }
        describe(nm, s);
    }
    return SB_OK;
}

void sb_norms_entry_get(const sb_norms *nm, size_t s, sb_norms_entry *out)
{
    const norms_entry *e = &nm->entry[s];
    out->present = e->present && e->sd > 0;
    out->n = e->n;
    out->mean = e->mean;
    out->sd = e->sd;
    out->alpha = e->alpha;
    out->alpha_n = e->alpha_n;
}

sb_status sb_norms_write(const sb_norms *nm, FILE *out, sb_error *err)
{
    static const char *const header[] = {"instrument", "score", "scale",
        "population", "n", "mean", "sd", "alpha", "alpha_n", "date",
        "source"};
    sb_csv_writer w;
    sb_csv_writer_init(&w, out);
    for (size_t i = 0; i < sizeof header / sizeof *header; i++)
        sb_csv_text(&w, header[i]);
    sb_csv_end_row(&w);
    char scale[24];
    snprintf(scale, sizeof scale, "%d-%d", nm->scale.min, nm->scale.max);
    for (size_t s = 0; s < nm->inst->score_count; s++) {
        const norms_entry *e = &nm->entry[s];
        if (!e->present || !(e->sd > 0))
            continue;
        sb_csv_text(&w, nm->inst->name);
        sb_csv_text(&w, nm->inst->scores[s].name);
        sb_csv_text(&w, scale);
        sb_csv_text(&w, nm->dysfunctional ? "clinical" : "general");
        sb_csv_number(&w, e->n, 0);
        sb_csv_number(&w, e->mean, 4);
        sb_csv_number(&w, e->sd, 4);
        sb_csv_number(&w, e->alpha, 4);
        sb_csv_number(&w, isnan(e->alpha) ? NAN : e->alpha_n, 0);
        sb_csv_text(&w, nm->date);
        sb_csv_text(&w, nm->label);
        sb_csv_end_row(&w);
    }
    if (sb_csv_writer_status(&w) || ferror(out))
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot write the norms");
    return SB_OK;
}

/* ---- reading ---- */

typedef struct reader {
    sb_norms *nm;
    const char *origin;
    int header;
    int rows;
    int have_meta;
} reader;

/* A decimal number, the whole field: no hex, inf, nan or spaces. */
static int decimal(const char *s, double *out)
{
    if (!s[0] || strspn(s, "0123456789.-") != strlen(s))
        return 0;
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return !errno && !*end && isfinite(*out);
}

static sb_status bad(const reader *r, const sb_csv_record *rec, size_t col,
                     sb_error *err, const char *fmt, const char *value)
{
    static const char *const names[NORMS_COLUMNS] = {"instrument", "score",
        "scale", "population", "n", "mean", "sd", "alpha", "alpha_n", "date",
        "source"};
    char msg[400];
    snprintf(msg, sizeof msg, fmt, value);
    return sb_error_set(err, SB_ERR_INVALID, r->origin, rec->line, col + 1,
                        "column '%s': %s", names[col], msg);
}

static sb_status check_header(const char *origin, const sb_csv_record *rec,
                              sb_error *err)
{
    char header[256] = "";
    for (size_t i = 0; i < rec->count; i++) {
        strncat(header, i ? "," : "", sizeof header - strlen(header) - 1);
        strncat(header, rec->field[i], sizeof header - strlen(header) - 1);
    }
    if (strcmp(header, NORMS_HEADER))
        return sb_error_set(err, SB_ERR_INVALID, origin, rec->line, 0,
                            "not a norms file: the header must be '%s'",
                            NORMS_HEADER);
    return SB_OK;
}

static sb_status on_row(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    reader *r = ctx;
    sb_norms *nm = r->nm;
    const char *const *f = rec->field;
    if (rec->number == 1) {
        sb_status st = check_header(r->origin, rec, err);
        r->header = st == SB_OK;
        return st;
    }
    if (rec->count != NORMS_COLUMNS)
        return sb_error_set(err, SB_ERR_INVALID, r->origin, rec->line, 0,
                            "a row has %zu fields, the header %d", rec->count,
                            NORMS_COLUMNS);
    if (strcmp(f[0], nm->inst->name))
        return sb_error_set(err, SB_ERR_INVALID, r->origin, rec->line, 1,
                            "column 'instrument': these norms are for '%.40s', "
                            "not for %s", f[0], nm->inst->name);
    size_t s = sb__inst_score_index(nm->inst, f[1]);
    if (s == (size_t)-1)
        return bad(r, rec, 1, err, "'%.40s' is not a score of the instrument",
                   f[1]);
    norms_entry *e = &nm->entry[s];
    if (e->present)
        return bad(r, rec, 1, err, "'%.40s' has two rows", f[1]);
    sb_scale scale;
    if (sb_scale_parse(f[2], &scale, NULL) != SB_OK)
        return bad(r, rec, 2, err, "'%.40s' is not a scale like 1-7", f[2]);
    int clinical = !strcmp(f[3], "clinical");
    if (!clinical && strcmp(f[3], "general"))
        return bad(r, rec, 3, err, "'%.40s' is neither clinical nor general",
                   f[3]);
    if (!iso_date(f[9]))
        return bad(r, rec, 9, err, "'%.40s' is not a date YYYY-MM-DD", f[9]);
    if (!f[10][0] || strlen(f[10]) > NORMS_TEXT_MAX || !plain_text(f[10]))
        return bad(r, rec, 10, err, "the source must be 1-200 printable "
                   "characters%s", "");
    /* One sample per file: every row has the same scale, population, date
     * and source. */
    if (!r->have_meta) {
        r->have_meta = 1;
        nm->scale = scale;
        nm->dysfunctional = clinical;
        snprintf(nm->date, sizeof nm->date, "%s", f[9]);
        snprintf(nm->label, sizeof nm->label, "%s", f[10]);
    } else if (scale.min != nm->scale.min || scale.max != nm->scale.max ||
               clinical != nm->dysfunctional || strcmp(f[9], nm->date) ||
               strcmp(f[10], nm->label)) {
        return sb_error_set(err, SB_ERR_INVALID, r->origin, rec->line, 0,
                            "the rows of a norms file must share scale, "
                            "population, date and source");
    }
    double n, mean, sd, alpha = NAN, alpha_n = NAN;
    if (!decimal(f[4], &n) || n != floor(n) || n < 2 || n > 1e9)
        return bad(r, rec, 4, err, "'%.40s' is not a whole number of at "
                   "least 2", f[4]);
    if (!decimal(f[5], &mean) || fabs(mean) > 1000)
        return bad(r, rec, 5, err, "'%.40s' is not a number", f[5]);
    if (!decimal(f[6], &sd) || !(sd > 0) || sd > 1000)
        return bad(r, rec, 6, err, "'%.40s' is not an SD above 0", f[6]);
    if (f[7][0] && (!decimal(f[7], &alpha) || alpha < 0 || alpha >= 1))
        return bad(r, rec, 7, err, "'%.40s' is not a reliability in [0, 1)",
                   f[7]);
    if (!f[7][0] != !f[8][0])
        return bad(r, rec, 8, err, "alpha and alpha_n are given together or "
                   "not at all%s", "");
    if (f[8][0] && (!decimal(f[8], &alpha_n) || alpha_n != floor(alpha_n) ||
                    alpha_n < 2 || alpha_n > n))
        return bad(r, rec, 8, err, "'%.40s' is not a whole number from 2 to n",
                   f[8]);
    e->present = 1;
    e->n = n;
    e->mean = mean;
    e->sd = sd;
    e->alpha = alpha;
    e->alpha_n = alpha_n;
    r->rows++;
    return SB_OK;
}

/* Every record of a norms file through the CSV reader, to `fn`. */
static sb_status read_rows(const char *text, size_t size, const char *origin,
                           sb_csv_record_fn fn, void *ctx, sb_error *err)
{
    sb_csv_options o = {origin, 4096, 16, 1, 0};
    sb_csv_reader *csv;
    sb_status st = sb_csv_reader_new(&o, fn, ctx, &csv, err);
    if (!st)
        st = sb_csv_reader_feed(csv, text, size, err);
    if (!st)
        st = sb_csv_reader_finish(csv, err);
    sb_csv_reader_free(csv);
    return st;
}

static sb_status no_rows(const char *origin, int header, sb_error *err)
{
    return sb_error_set(err, SB_ERR_INVALID, origin, 0, 0, header
                        ? "the norms file has no rows of figures"
                        : "the norms file is empty");
}

/* ---- the instrument a file is for ---- */

typedef struct peek {
    const char *origin;
    char *name;
    unsigned long line;
    int header;
    int found;
} peek;

static sb_status on_peek(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    peek *p = ctx;
    if (rec->number == 1) {
        sb_status st = check_header(p->origin, rec, err);
        p->header = st == SB_OK;
        return st;
    }
    if (p->found)
        return SB_OK;
    const char *f = rec->count ? rec->field[0] : "";
    if (!f[0] || strlen(f) >= SB_INSTRUMENT_NAME_MAX || !plain_text(f))
        return sb_error_set(err, SB_ERR_INVALID, p->origin, rec->line, 1,
                            "column 'instrument': '%.40s' is not an "
                            "instrument name", f);
    snprintf(p->name, SB_INSTRUMENT_NAME_MAX, "%s", f);
    p->line = rec->line;
    p->found = 1;
    return SB_OK;
}

sb_status sb_norms_text_instrument(const char *text, size_t size,
                                   const char *origin,
                                   char name[SB_INSTRUMENT_NAME_MAX],
                                   unsigned long *line, sb_error *err)
{
    name[0] = '\0';
    *line = 0;
    if (!origin)
        origin = "<norms>";
    peek p = {origin, name, 0, 0, 0};
    sb_status st = read_rows(text, size, origin, on_peek, &p, err);
    if (!st && !p.found)
        st = no_rows(origin, p.header, err);
    if (st)
        name[0] = '\0';
    else
        *line = p.line;
    return st;
}

sb_status sb_norms_load_text(const char *text, size_t size, const char *origin,
                             const sb_instrument *inst, sb_norms **out,
                             sb_error *err)
{
    *out = NULL;
    if (!origin)
        origin = "<norms>";
    sb_norms *nm;
    sb_status st = sb_norms_new(inst, inst->scale, 1, &nm, err);
    if (st)
        return st;
    reader r = {nm, origin, 0, 0, 0};
    st = read_rows(text, size, origin, on_row, &r, err);
    if (!st && !r.rows)
        st = no_rows(origin, r.header, err);
    if (st) {
        sb_norms_free(nm);
        return st;
    }
    for (size_t s = 0; s < inst->score_count; s++) {
        sb_alpha_free(nm->entry[s].acc);
        nm->entry[s].acc = NULL;
        if (nm->entry[s].present)
            describe(nm, s);
    }
    *out = nm;
    return SB_OK;
}

sb_status sb_norms_load_file(const char *path, const sb_instrument *inst,
                             sb_norms **out, sb_error *err)
{
    *out = NULL;
    char *text;
    size_t size;
    sb_status st = sb_read_file_max(path, NORMS_MAX_BYTES, &text, &size, err);
    if (st)
        return st;
    st = sb_norms_load_text(text, size, path, inst, out, err);
    free(text);
    return st;
}

const sb_instrument *sb_norms_instrument(const sb_norms *nm)
{
    return nm->inst;
}

void sb_norms_describe(const sb_norms *nm, char *buf, size_t size)
{
    double lo = INFINITY, hi = 0;
    for (size_t s = 0; s < nm->inst->score_count; s++) {
        const norms_entry *e = &nm->entry[s];
        if (!e->present)
            continue;
        lo = e->n < lo ? e->n : lo;
        hi = e->n > hi ? e->n : hi;
    }
    char n[64];
    if (lo == hi)
        snprintf(n, sizeof n, "N = %.0f", hi);
    else
        snprintf(n, sizeof n, "N = %.0f-%.0f", isinf(lo) ? 0 : lo, hi);
    snprintf(buf, size, "local norms of %s (%s sample, %s, %s, %s)",
             nm->inst->name, nm->dysfunctional ? "clinical" : "general", n,
             nm->date, nm->label);
}

sb_scale sb_norms_scale(const sb_norms *nm) { return nm->scale; }
const char *sb_norms_date(const sb_norms *nm) { return nm->date; }
const char *sb_norms_label(const sb_norms *nm) { return nm->label; }
int sb_norms_clinical(const sb_norms *nm) { return nm->dysfunctional; }

const sb_norm *sb_norms_norm(const sb_norms *nm, size_t s, sb_scale scale)
{
    if (s >= nm->inst->score_count || !nm->entry[s].present ||
        scale.min != nm->scale.min || scale.max != nm->scale.max)
        return NULL;
    return &nm->entry[s].norm;
}

const sb_reliability *sb_norms_reliability(const sb_norms *nm, size_t s,
                                           sb_scale scale)
{
    if (!sb_norms_norm(nm, s, scale) || isnan(nm->entry[s].alpha))
        return NULL;
    return &nm->entry[s].rel;
}
