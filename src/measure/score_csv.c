/*
 * CSV output of scored rows: id, date, source line, every score, items
 * answered per subscale, category, a status and a note saying why anything
 * is empty. Numbers have four decimals; empty means "not computed".
 */
#include "measure/instrument_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int sb_scores_write_header(FILE *out, const sb_instrument *inst, int with_id,
                           int with_date)
{
    int bad = 0;
    if (with_id)
        bad |= fputs("id,", out) < 0;
    if (with_date)
        bad |= fputs("date,", out) < 0;
    bad |= fputs("line", out) < 0;
    for (size_t s = 0; s < inst->score_count; s++)
        bad |= fprintf(out, ",%s", inst->scores[s].name) < 0;
    for (size_t s = 0; s < inst->score_count; s++)
        if (inst->scores[s].is_items)
            bad |= fprintf(out, ",%s_answered", inst->scores[s].name) < 0;
    if (inst->category.method != SB_CATEGORY_NONE)
        bad |= fputs(",category", out) < 0;
    bad |= fputs(",status,note\n", out) < 0;
    return bad ? -1 : 0;
}

static void add_note(char *note, size_t size, const char *text)
{
    if (!text[0])
        return;
    size_t n = strlen(note);
    if (n && n + 2 < size) {
        memcpy(note + n, "; ", 3);
        n += 2;
    }
    if (n + 1 < size)
        snprintf(note + n, size - n, "%s", text);
}

int sb_scores_write_row(FILE *out, const sb_instrument *inst, int with_id,
                        int with_date, const sb_scored_row *row)
{
    int bad = 0;
    const sb_scores *sc = row->scores;
    if (with_id) {
        bad |= sb_csv_write_field(out, row->id);
        bad |= fputc(',', out) == EOF;
    }
    if (with_date) {
        bad |= sb_csv_write_field(out, row->date);
        bad |= fputc(',', out) == EOF;
    }
    bad |= fprintf(out, "%lu", row->line) < 0;
    int empty = 0;
    for (size_t s = 0; s < inst->score_count; s++) {
        if (isnan(sc->value[s])) {
            empty = 1;
            bad |= fputc(',', out) == EOF;
        } else {
            bad |= fprintf(out, ",%.4f", sc->value[s]) < 0;
        }
    }
    for (size_t s = 0; s < inst->score_count; s++)
        if (inst->scores[s].is_items) {
            if (row->error)
                bad |= fputc(',', out) == EOF;
            else
                bad |= fprintf(out, ",%u", sc->answered[s]) < 0;
        }
    if (inst->category.method != SB_CATEGORY_NONE) {
        bad |= fputc(',', out) == EOF;
        bad |= sb_csv_write_field(out, sc->category);
    }
    const char *status = row->error ? "error"
                         : empty    ? "incomplete"
                         : sc->prorated ? "prorated"
                                        : "ok";
    char note[2048] = "";
    if (row->error) {
        add_note(note, sizeof note, row->error);
    } else {
        for (size_t s = 0; s < inst->score_count; s++)
            add_note(note, sizeof note, sc->reason[s]);
        add_note(note, sizeof note, sc->category_reason);
    }
    bad |= fprintf(out, ",%s,", status) < 0;
    bad |= sb_csv_write_field(out, note);
    bad |= fputc('\n', out) == EOF;
    return bad ? -1 : 0;
}
