/*
 * The streaming scorer: a survey export (one row per administration) read
 * chunk by chunk through the CSV reader, columns found by name, every
 * answer checked (number, whole, on the scale, one answer per cell), each
 * row scored and handed to a callback. Memory does not grow with the file:
 * one row's answers and scores, plus the alpha sums when asked for.
 */
#include "measure/instrument.h"
#include "measure/visit_date.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_COLUMN ((size_t)-1)

struct sb_scorer {
    const sb_instrument *inst;
    sb_scorer_options opt;
    sb_scored_row_fn fn;
    void *ctx;
    sb_csv_reader *reader;
    sb_column_map *own_map;  /* when found in the header */
    const sb_column_map *map;
    size_t *column;          /* per flat item: its field index */
    size_t id_col, date_col;
    size_t width;
    double *answers;
    double *keyed;           /* scratch for alpha */
    sb_scores *scores;
    sb_alpha **alpha;        /* per score, NULL for derived ones */
    unsigned long rows, flagged;
};

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* Two or more numbers separated by , ; / | or spaces: two answers given. */
static int several_answers(const char *s, size_t len)
{
    size_t numbers = 0;
    size_t i = 0;
    while (i < len) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        while (i < len && isdigit((unsigned char)s[i]))
            i++;
        numbers++;
        if (i == len)
            break;
        if (!strchr(",;/| ", s[i]))
            return 0;
        while (i < len && strchr(",;/| ", s[i]))
            i++;
    }
    return numbers >= 2;
}

/* Reads one answer; fills `why` and returns 0 when it is not acceptable. */
static int parse_answer(const sb_scorer *sc, const char *s, size_t len,
                        double *out, char *why, size_t why_size)
{
    trim(&s, &len);
    if (len == 0) {
        *out = NAN;
        return 1;
    }
    for (size_t m = 0; m < sc->opt.missing_count; m++)
        if (strlen(sc->opt.missing[m]) == len && !memcmp(sc->opt.missing[m], s, len)) {
            *out = NAN;
            return 1;
        }
    char buf[32];
    int shown = len > 40 ? 40 : (int)len;
    if (len < sizeof buf) {
        memcpy(buf, s, len);
        buf[len] = '\0';
        char *end;
        errno = 0;
        long v = strtol(buf, &end, 10);
        int integer = end != buf && !errno &&
                      (isdigit((unsigned char)buf[0]) || buf[0] == '-' ||
                       buf[0] == '+');
        /* Statistics packages write whole answers as "5.0" or "5.00". */
        if (integer && end[0] == '.' && end[1] &&
            strspn(end + 1, "0") == strlen(end + 1))
            end += strlen(end);
        if (integer && !*end) {
            if (v < sc->opt.scale.min || v > sc->opt.scale.max) {
                snprintf(why, why_size, "answer '%s' is outside the scale %d-%d",
                         buf, sc->opt.scale.min, sc->opt.scale.max);
                return 0;
            }
            *out = (double)v;
            return 1;
        }
        /* Only decimal text is a number here: "0x5" or "1e0" is not. */
        double d = strtod(buf, &end);
        if (strspn(buf, "0123456789.+-") == len && end != buf && !*end &&
            isfinite(d)) {
            snprintf(why, why_size, "answer '%s' is not a whole number on the "
                     "scale %d-%d", buf, sc->opt.scale.min, sc->opt.scale.max);
            return 0;
        }
    }
    if (several_answers(s, len))
        snprintf(why, why_size, "more than one answer in one cell: '%.*s'",
                 shown, s);
    else
        snprintf(why, why_size, "answer '%.*s%s' is not a number%s", shown, s,
                 len > 40 ? "..." : "",
                 sc->opt.missing_count ? " nor a missing-value code"
                                       : " (declare missing-value codes with "
                                         "--missing)");
    return 0;
}

static sb_status header(sb_scorer *sc, const sb_csv_record *rec, sb_error *err)
{
    const char *origin = sc->opt.origin;
    sc->width = rec->count;
    for (size_t i = 0; i < rec->count; i++) {
        if (!rec->field[i][0])
            continue;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(rec->field[i], rec->field[j]))
                return sb_error_set(err, SB_ERR_INVALID, origin, rec->line, i + 1,
                                    "column name '%.100s' appears twice in the "
                                    "header (columns %zu and %zu)",
                                    rec->field[i], j + 1, i + 1);
    }
    if (!sc->map) {
        sb_status st = sb_column_map_detect(sc->inst, rec->field, rec->count,
                                            origin, rec->line, &sc->own_map,
                                            err);
        if (st)
            return st;
        sc->map = sc->own_map;
    }
    for (size_t k = 0; k < sc->inst->item_count; k++) {
        const char *want = sb_column_map_name(sc->map, k);
        sc->column[k] = NO_COLUMN;
        for (size_t i = 0; i < rec->count; i++)
            if (!strcmp(rec->field[i], want))
                sc->column[k] = i;
        if (sc->column[k] == NO_COLUMN)
            return sb_error_set(err, SB_ERR_INVALID, origin, rec->line, 0,
                                "no column '%.100s' for item %zu of %s in the "
                                "header (name the columns with --columns, e.g. "
                                "'Q{n}', or a mapping file)",
                                want, k % sc->inst->items_per_target + 1,
                                sc->inst->name);
    }
    const char *names[2] = {sc->opt.id_column, sc->opt.date_column};
    size_t *cols[2] = {&sc->id_col, &sc->date_col};
    for (int w = 0; w < 2; w++) {
        *cols[w] = NO_COLUMN;
        if (!names[w])
            continue;
        for (size_t i = 0; i < rec->count; i++)
            if (!strcmp(rec->field[i], names[w]))
                *cols[w] = i;
        if (*cols[w] == NO_COLUMN)
            return sb_error_set(err, SB_ERR_INVALID, origin, rec->line, 0,
                                "no %s column '%.100s' in the header",
                                w ? "date" : "id", names[w]);
        for (size_t k = 0; k < sc->inst->item_count; k++)
            if (sc->column[k] == *cols[w])
                return sb_error_set(err, SB_ERR_INVALID, origin, rec->line,
                                    *cols[w] + 1,
                                    "column '%.100s' is both the %s and an item",
                                    names[w], w ? "date" : "id");
    }
    return SB_OK;
}

static sb_status deliver_error(sb_scorer *sc, const sb_csv_record *rec,
                               const char *id, const char *date,
                               const sb_error *row_err, sb_error *err)
{
    if (!sc->opt.lenient) {
        if (err)
            *err = *row_err;
        return row_err->status;
    }
    char buf[SB_ERROR_MSG_MAX + 64];
    snprintf(buf, sizeof buf, "line %lu, %s", rec->line, row_err->message);
    for (size_t k = 0; k < sc->scores->count; k++) {
        sc->scores->value[k] = NAN;
        sc->scores->answered[k] = 0;
        sc->scores->reason[k][0] = '\0';
    }
    sc->scores->category[0] = '\0';
    sc->scores->category_reason[0] = '\0';
    sc->scores->prorated = 0;
    sc->flagged++;
    sb_scored_row row = {rec->line, id, date, sc->scores, buf};
    return sc->fn(sc->ctx, &row, err);
}

static sb_status on_record(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    sb_scorer *sc = ctx;
    if (rec->number == 1)
        return header(sc, rec, err);
    unsigned long data_row = rec->number - 1;
    if (data_row <= sc->opt.skip_rows)
        return SB_OK;
    sc->rows++;
    const char *id = sc->id_col != NO_COLUMN && sc->id_col < rec->count
                         ? rec->field[sc->id_col] : "";
    const char *date = sc->date_col != NO_COLUMN && sc->date_col < rec->count
                           ? rec->field[sc->date_col] : "";
    sb_error row_err;
    sb_error_clear(&row_err);
    if (rec->count != sc->width) {
        sb_error_set(&row_err, SB_ERR_INVALID, sc->opt.origin, rec->line,
                     rec->count > sc->width ? sc->width + 1 : rec->count,
                     "row %lu has %zu fields, the header has %zu", data_row -
                     sc->opt.skip_rows, rec->count, sc->width);
        return deliver_error(sc, rec, id, date, &row_err, err);
    }
    /* An empty date is allowed (scores do not need one); a wrong one is
     * refused as `change` refuses it, the calendar included. */
    if (date[0] && !sb__visit_date_key(date, NULL)) {
        sb__visit_date_error(&row_err, sc->opt.origin, rec->line,
                             sc->date_col + 1, sc->opt.date_column, date);
        sb_error_prefix(&row_err, "row %lu, ",
                        data_row - sc->opt.skip_rows);
        return deliver_error(sc, rec, id, date, &row_err, err);
    }
    for (size_t k = 0; k < sc->inst->item_count; k++) {
        size_t c = sc->column[k];
        char why[200];
        if (!parse_answer(sc, rec->field[c], rec->length[c], &sc->answers[k],
                          why, sizeof why)) {
            int qualtrics_hint = sc->opt.skip_rows == 0 && data_row <= 2;
            sb_error_set(&row_err, SB_ERR_INVALID, sc->opt.origin, rec->line,
                         c + 1, "row %lu, column '%.100s': %s%s",
                         data_row - sc->opt.skip_rows, sb_column_map_name(sc->map, k),
                         why, qualtrics_hint
                                  ? " (a Qualtrics export has 2 more header "
                                    "rows: pass --skip-rows 2)"
                                  : "");
            return deliver_error(sc, rec, id, date, &row_err, err);
        }
    }
    sb_status st = sb_instrument_score_items(sc->inst, sc->answers,
                                             sc->inst->item_count,
                                             sc->opt.scale, sc->scores, err);
    if (st)
        return st;
    if (sc->alpha) {
        for (size_t s = 0; s < sc->inst->score_count; s++) {
            const sb__inst_score *is = &sc->inst->scores[s];
            if (!sc->alpha[s])
                continue;
            int complete = 1;
            for (size_t i = 0; i < is->item_count && complete; i++) {
                size_t flat = is->items[i];
                double x = sc->answers[flat];
                complete = !isnan(x);
                if (sc->inst->reversed[flat % sc->inst->items_per_target])
                    x = sc->opt.scale.min + sc->opt.scale.max - x;
                sc->keyed[i] = x;
            }
            if (complete)
                sb_alpha_add(sc->alpha[s], sc->keyed);
        }
    }
    sb_scored_row row = {rec->line, id, date, sc->scores, NULL};
    return sc->fn(sc->ctx, &row, err);
}

sb_status sb_scorer_new(const sb_instrument *inst,
                        const sb_scorer_options *opts, sb_scored_row_fn fn,
                        void *ctx, sb_scorer **out, sb_error *err)
{
    *out = NULL;
    sb_scorer *sc = calloc(1, sizeof *sc);
    if (!sc)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sc->inst = inst;
    if (opts)
        sc->opt = *opts;
    if (!sc->opt.origin)
        sc->opt.origin = "<csv>";
    if (sc->opt.scale.min == 0 && sc->opt.scale.max == 0)
        sc->opt.scale = inst->scale;
    if (sc->opt.missing_count > SB_MAX_MISSING_CODES)
        sc->opt.missing_count = SB_MAX_MISSING_CODES;
    sc->fn = fn;
    sc->ctx = ctx;
    sb_status st = SB_OK;
    if (sc->opt.scale.min >= sc->opt.scale.max)
        st = sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                          "scale %d-%d is empty", sc->opt.scale.min,
                          sc->opt.scale.max);
    sc->map = sc->opt.map;
    if (!st) {
        sc->column = calloc(inst->item_count, sizeof *sc->column);
        sc->answers = calloc(inst->item_count, sizeof *sc->answers);
        sc->keyed = calloc(inst->item_count, sizeof *sc->keyed);
        if (!sc->column || !sc->answers || !sc->keyed)
            st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (!st)
        st = sb_scores_new(inst, &sc->scores, err);
    if (!st && sc->opt.alpha) {
        sc->alpha = calloc(inst->score_count, sizeof *sc->alpha);
        if (!sc->alpha)
            st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
        for (size_t s = 0; !st && s < inst->score_count; s++)
            if (inst->scores[s].is_items && inst->scores[s].item_count >= 2)
                st = sb_alpha_new(inst->scores[s].item_count, &sc->alpha[s], err);
    }
    if (!st) {
        sb_csv_options o = {.origin = sc->opt.origin, .allow_ragged = 1};
        st = sb_csv_reader_new(&o, on_record, sc, &sc->reader, err);
    }
    if (st) {
        sb_scorer_free(sc);
        return st;
    }
    *out = sc;
    return SB_OK;
}

sb_status sb_scorer_feed(sb_scorer *s, const void *data, size_t size,
                         sb_error *err)
{
    return sb_csv_reader_feed(s->reader, data, size, err);
}

sb_status sb_scorer_finish(sb_scorer *s, sb_error *err)
{
    sb_status st = sb_csv_reader_finish(s->reader, err);
    if (st == SB_OK && s->width == 0)
        return sb_error_set(err, SB_ERR_INVALID, s->opt.origin, 0, 0,
                            "the file is empty: no header row");
    return st;
}

const sb_column_map *sb_scorer_column_map(const sb_scorer *s)
{
    return s->map;
}

unsigned long sb_scorer_rows(const sb_scorer *s) { return s->rows; }
unsigned long sb_scorer_flagged(const sb_scorer *s) { return s->flagged; }

sb_alpha *sb_scorer_alpha(sb_scorer *s, size_t score)
{
    return s->alpha && score < s->inst->score_count ? s->alpha[score] : NULL;
}

void sb_scorer_free(sb_scorer *s)
{
    if (!s)
        return;
    sb_csv_reader_free(s->reader);
    sb_column_map_free(s->own_map);
    if (s->alpha)
        for (size_t i = 0; i < s->inst->score_count; i++)
            sb_alpha_free(s->alpha[i]);
    free(s->alpha);
    sb_scores_free(s->scores);
    free(s->column);
    free(s->answers);
    free(s->keyed);
    free(s);
}
