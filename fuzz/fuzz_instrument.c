/*
 * libFuzzer target for instrument files: any text must load into a valid
 * instrument or give a located error; a loaded one must score an
 * administration and name its item columns (with long, repeated targets)
 * without fault.
 */
#include <securebase/measure.h>

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sb_instrument *inst;
    sb_error err;
    if (sb_instrument_load_text((const char *)data, size, "fuzz.yaml", &inst,
                                &err) != SB_OK)
        return 0;
    size_t n = sb_instrument_item_count(inst);
    sb_scale scale = sb_instrument_scale(inst);
    double *x = malloc(n * sizeof *x);
    sb_scores *sc;
    if (x && sb_scores_new(inst, &sc, &err) == SB_OK) {
        for (size_t i = 0; i < n; i++)
            x[i] = i % 5 == 4 ? NAN : (double)(scale.min + (int)(i % (size_t)(scale.max - scale.min + 1)));
        (void)sb_instrument_score_items(inst, x, n, scale, sc, &err);
        for (size_t s = 0; s < sb_instrument_score_count(inst); s++) {
            (void)sb_instrument_score_name(inst, s);
            (void)sb_instrument_reliability(inst, s, scale);
            (void)sb_instrument_norm(inst, s, scale, 0);
        }
        sb_scores_free(sc);
    }
    free(x);
    /* Names longer than the pattern: every {target} and {n} grows. */
    sb_column_map *map;
    const char *pattern = sb_instrument_target_count(inst)
        ? "{target}{target}{target}{target}{target}{target}_{n}{n}{n}"
        : "q{n}{n}{n}{n}{n}{n}{n}{n}";
    if (sb_column_map_pattern(inst, pattern, &map, &err) == SB_OK) {
        for (size_t i = 0; i < n; i++)
            (void)sb_column_map_name(map, i);
        sb_column_map_free(map);
    }
    sb_instrument_free(inst);
    return 0;
}
