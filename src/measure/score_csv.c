/*
 * CSV output of scored rows: id, date, source line, every score, items
 * answered per subscale, category, a status and a note saying why anything
 * is empty. Numbers have four decimals; empty means "not computed". Written
 * through the one CSV writer, which neutralises formula-like ids and text.
 */
#include "measure/instrument.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int sb_scores_write_header(FILE *out, const sb_instrument *inst, int with_id,
                           int with_date)
{
    sb_csv_writer w;
    sb_csv_writer_init(&w, out);
    if (with_id)
        sb_csv_text(&w, "id");
    if (with_date)
        sb_csv_text(&w, "date");
    sb_csv_text(&w, "line");
    for (size_t s = 0; s < inst->score_count; s++)
        sb_csv_text(&w, inst->scores[s].name);
    char name[128];
    for (size_t s = 0; s < inst->score_count; s++)
        if (inst->scores[s].is_items) {
            snprintf(name, sizeof name, "%s_answered", inst->scores[s].name);
            sb_csv_text(&w, name);
        }
    if (inst->category.method != SB_CATEGORY_NONE)
        sb_csv_text(&w, "category");
    sb_csv_text(&w, "status");
    sb_csv_text(&w, "note");
    sb_csv_end_row(&w);
    return sb_csv_writer_status(&w);
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
    const sb_scores *sc = row->scores;
    sb_csv_writer w;
    sb_csv_writer_init(&w, out);
    if (with_id)
        sb_csv_text(&w, row->id);
    if (with_date)
        sb_csv_text(&w, row->date);
    sb_csv_integer(&w, (long long)row->line);
    int empty = 0;
    for (size_t s = 0; s < inst->score_count; s++) {
        empty |= isnan(sc->value[s]);
        sb_csv_number(&w, sc->value[s], 4);
    }
    for (size_t s = 0; s < inst->score_count; s++)
        if (inst->scores[s].is_items) {
            if (row->error)
                sb_csv_text(&w, "");
            else
                sb_csv_integer(&w, sc->answered[s]);
        }
    if (inst->category.method != SB_CATEGORY_NONE)
        sb_csv_text(&w, sc->category);
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
    sb_csv_text(&w, status);
    sb_csv_text(&w, note);
    sb_csv_end_row(&w);
    return sb_csv_writer_status(&w);
}
