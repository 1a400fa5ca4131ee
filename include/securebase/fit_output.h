/*
 * Writers of a calibration's results (formats in docs/calibration.md):
 * posterior.csv (weighted particles), generations.csv, predictive.csv
 * (the posterior predictive check of every target, fitted and held out),
 * summary.json (credible intervals and the check), and medians.yaml (a
 * scenario with the posterior medians). Every file is written atomically,
 * with numbers in fixed formats, so equal results give equal bytes.
 */
#ifndef SECUREBASE_FIT_OUTPUT_H
#define SECUREBASE_FIT_OUTPUT_H

#include <securebase/fit.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a calibration was run, recorded beside its results. */
typedef struct sb_fit_run_info {
    uint64_t seed;
    size_t persons;
    size_t particles;
    int generations;      /* asked for */
    const char *kernel;   /* "multivariate" or "componentwise" */
} sb_fit_run_info;

/* One parameter's posterior in figures. */
typedef struct sb_fit_param_summary {
    double mean, sd, median;
    double q025, q25, q75, q975; /* 50% and 95% credible intervals */
} sb_fit_param_summary;

/* One target's posterior predictive check. */
typedef struct sb_fit_check {
    double mean, sd, q025, q975;  /* of the predictive simulations */
    double z;     /* (mean - value) / sqrt(sd_target^2 + sd^2) */
    int consistent;               /* |z| <= 2 */
} sb_fit_check;

void sb_fit_param_summarize(const sb_abc_result *res, size_t j,
                            sb_fit_param_summary *out);
/* From the predictive simulations (or, without them, the accepted ones). */
void sb_fit_check_target(const sb_abc_result *res, const sb_target *t,
                         size_t k, sb_fit_check *out);

/* Writes the five files into `dir` (created if need be). */
sb_status sb_fit_write_outputs(const char *dir, const sb_calibration *cal,
                               const sb_fit_run_info *info,
                               const sb_abc_result *res, sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
