/*
 * libFuzzer target for the grouper behind `securebase change`: any bytes,
 * scored as an RQ export with id and date columns, then gathered by person
 * in the mode the first byte picks (check, stream or sort), must give
 * people in date order or a located error, never a crash or a leak.
 */
#include <securebase/measure.h>

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static sb_status count_person(void *ctx, const sb_administration *adm,
                              size_t n, sb_error *err)
{
    (void)err;
    size_t *seen = ctx;
    for (size_t i = 0; i < n; i++)
        *seen += !isnan(adm[i].value[0]) + strlen(adm[i].date) + (adm[i].id[0] != 0);
    return SB_OK;
}

static sb_status to_grouper(void *ctx, const sb_scored_row *row, sb_error *err)
{
    return sb_grouper_add(ctx, row, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const sb_grouping modes[] = {SB_GROUP_CHECK, SB_GROUP_STREAM,
                                        SB_GROUP_SORT};
    sb_grouping mode = modes[data[0] % 3];
    size_t chunk = (size_t)(data[0] / 3 % 13) + 1;
    data++;
    size--;
    sb_error err;
    size_t seen = 0;
    sb_instrument *inst;
    if (sb_instrument_builtin("rq", &inst, &err) != SB_OK)
        return 0;
    sb_scorer_options so;
    memset(&so, 0, sizeof so);
    so.lenient = 1;
    so.id_column = "id";
    so.date_column = "date";
    so.origin = "fuzz.csv";
    sb_grouper *g = NULL;
    sb_scorer *s = NULL;
    if (sb_grouper_new(sb_instrument_score_count(inst), mode, "fuzz.csv",
                       "date", count_person, &seen, &g, &err) == SB_OK &&
        sb_scorer_new(inst, &so, to_grouper, g, &s, &err) == SB_OK) {
        sb_status st = SB_OK;
        for (size_t off = 0; off < size && !st; off += chunk)
            st = sb_scorer_feed(s, data + off,
                                size - off < chunk ? size - off : chunk, &err);
        if (!st)
            st = sb_scorer_finish(s, &err);
        if (!st)
            (void)sb_grouper_finish(g, &err);
        (void)sb_grouper_grouped(g);
    }
    sb_scorer_free(s);
    sb_grouper_free(g);
    sb_instrument_free(inst);
    return 0;
}
