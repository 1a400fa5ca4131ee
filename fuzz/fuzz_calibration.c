/*
 * libFuzzer target for calibration files: any bytes, loaded as one, must
 * give a calibration or a located error, never a crash, a leak or
 * undefined behaviour. A calibration that loads must hold only targets on
 * its own scenarios, with positive uncertainties, and priors that pass
 * their own check and give values inside the legal range.
 */
#include <securebase/fit.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sb_calibration *cal;
    sb_error err;
    sb_status st = sb_calibration_load_text((const char *)data, size,
                                            "fuzz.yaml", &cal, &err);
    if (st != SB_OK) {
        if (!err.message[0] || cal)
            abort();
        return 0;
    }
    for (size_t k = 0; k < cal->target_count; k++)
        if (cal->target[k].scenario >= cal->scenario_count ||
            !(cal->target[k].sd > 0))
            abort();
    for (size_t j = 0; j < cal->param_count; j++) {
        const sb_prior *p = &cal->param[j].prior;
        if (sb_prior_check(p, "p", &err) != SB_OK)
            abort();
        for (double u = 0.05; u < 1; u += 0.3) {
            double x = sb_prior_quantile(p, u);
            if (!(x >= p->lo && x <= p->hi) || !(sb_prior_density(p, x) > 0))
                abort();
        }
    }
    free(cal);
    return 0;
}
