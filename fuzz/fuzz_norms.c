/*
 * libFuzzer target for norms files: any bytes must load into norms or give
 * a located error; loaded norms must give their figures, their description
 * and write themselves again. The instrument a file names is read from the
 * same bytes. The first byte picks the built-in instrument, so score names
 * of every kind (relationships, derived scores) are reached.
 */
#include <securebase/measure.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"ecr-r", "ecr-s", "ecr-rs", "ecr",
                                        "rq"};
    if (size < 1)
        return 0;
    sb_instrument *inst;
    if (sb_instrument_builtin(names[data[0] % 5], &inst, NULL) != SB_OK)
        return 0;
    sb_norms *nm;
    sb_error err;
    char name[SB_INSTRUMENT_NAME_MAX];
    unsigned long line;
    (void)sb_norms_text_instrument((const char *)data + 1, size - 1,
                                   "fuzz.csv", name, &line, &err);
    if (sb_norms_load_text((const char *)data + 1, size - 1, "fuzz.csv", inst,
                           &nm, &err) == SB_OK) {
        sb_scale scale = sb_norms_scale(nm);
        for (size_t s = 0; s < sb_instrument_score_count(inst); s++) {
            sb_norms_entry e;
            sb_norms_entry_get(nm, s, &e);
            (void)sb_norms_norm(nm, s, scale);
            (void)sb_norms_reliability(nm, s, scale);
        }
        char text[400];
        sb_norms_describe(nm, text, sizeof text);
        FILE *out = fopen("/dev/null", "w");
        if (out) {
            (void)sb_norms_write(nm, out, &err);
            fclose(out);
        }
        sb_norms_free(nm);
    }
    sb_instrument_free(inst);
    return 0;
}
