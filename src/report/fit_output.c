/*
 * A calibration's results as files. Everything is computed from the final
 * population in particle order, and printed with fixed formats, so the
 * same run gives the same bytes whatever computed it.
 */
#include <securebase/fit_output.h>
#include <securebase/measure.h>

#include <jansson.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_fit_param_summarize(const sb_abc_result *res, size_t j,
                            sb_fit_param_summary *out)
{
    size_t n = res->particles, d = res->dim;
    const double *x = res->theta + j, *w = res->weight;
    double m = 0, v = 0;
    for (size_t i = 0; i < n; i++)
        m += w[i] * x[i * d];
    for (size_t i = 0; i < n; i++)
        v += w[i] * (x[i * d] - m) * (x[i * d] - m);
    out->mean = m;
    out->sd = sqrt(v);
    out->median = sb_fit_weighted_quantile(x, d, w, n, 0.5);
    out->q025 = sb_fit_weighted_quantile(x, d, w, n, 0.025);
    out->q25 = sb_fit_weighted_quantile(x, d, w, n, 0.25);
    out->q75 = sb_fit_weighted_quantile(x, d, w, n, 0.75);
    out->q975 = sb_fit_weighted_quantile(x, d, w, n, 0.975);
}

void sb_fit_check_target(const sb_abc_result *res, const sb_target *t,
                         size_t k, sb_fit_check *out)
{
    size_t n = res->particles, s = res->stat_count;
    const double *x = (res->predictive ? res->predictive : res->stats) + k;
    double m = 0, v = 0, wsum = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i * s])) {
            m += res->weight[i] * x[i * s];
            wsum += res->weight[i];
        }
    m = wsum > 0 ? m / wsum : NAN;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i * s]))
            v += res->weight[i] * (x[i * s] - m) * (x[i * s] - m);
    out->mean = m;
    out->sd = wsum > 0 ? sqrt(v / wsum) : NAN;
    out->q025 = sb_fit_weighted_quantile(x, s, res->weight, n, 0.025);
    out->q975 = sb_fit_weighted_quantile(x, s, res->weight, n, 0.975);
    out->z = (m - t->value) / sqrt(t->sd * t->sd + out->sd * out->sd);
    out->consistent = fabs(out->z) <= 2;
}

typedef sb_status (*body_fn)(FILE *f, const void *ctx);

static sb_status write_file(const char *dir, const char *name, body_fn body,
                            const void *ctx, sb_error *err)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return sb_error_set(err, SB_ERR_INVALID, dir, 0, 0,
                            "the output directory's path is too long");
    sb_atomic_file *af;
    sb_status st = sb_atomic_open(path, &af, err);
    if (st != SB_OK)
        return st;
    st = body(sb_atomic_stream(af), ctx);
    if (st != SB_OK) {
        sb_atomic_abort(af);
        return sb_error_set(err, st, path, 0, 0, "out of memory");
    }
    return sb_atomic_commit(af, err);
}

typedef struct out_ctx {
    const sb_calibration *cal;
    const sb_fit_run_info *info;
    const sb_abc_result *res;
} out_ctx;

static void num(FILE *f, double x, const char *fmt)
{
    if (isfinite(x))
        fprintf(f, fmt, x);
}

/* A number as a text cell: printed with `fmt`, or empty when not finite. */
static void num_cell(sb_csv_writer *w, double x, const char *fmt)
{
    char buf[64] = "";
    if (isfinite(x))
        snprintf(buf, sizeof buf, fmt, x);
    sb_csv_text(w, buf);
}

static sb_status posterior_csv(FILE *f, const void *vctx)
{
    const out_ctx *c = vctx;
    const sb_abc_result *res = c->res;
    sb_csv_writer w;
    sb_csv_writer_init(&w, f);
    sb_csv_text(&w, "particle");
    sb_csv_text(&w, "weight");
    for (size_t j = 0; j < res->dim; j++)
        sb_csv_text(&w, c->cal->param[j].info->name);
    sb_csv_text(&w, "distance");
    sb_csv_end_row(&w);
    for (size_t i = 0; i < res->particles; i++) {
        sb_csv_integer(&w, (long long)i + 1);
        num_cell(&w, res->weight[i], "%.17g");
        for (size_t j = 0; j < res->dim; j++)
            num_cell(&w, res->theta[i * res->dim + j], "%.17g");
        num_cell(&w, res->distance[i], "%.17g");
        sb_csv_end_row(&w);
    }
    return SB_OK;
}

static sb_status generations_csv(FILE *f, const void *vctx)
{
    const out_ctx *c = vctx;
    const sb_abc_result *res = c->res;
    fputs("generation,epsilon,accepted,attempts,simulations,acceptance,ess\n", f);
    for (int g = 0; g < res->generations; g++) {
        const sb_abc_generation *x = &res->generation[g];
        fprintf(f, "%d,", x->index);
        num(f, x->epsilon, "%.6g");
        fprintf(f, ",%zu,%zu,%zu,%.6g,%.6g\n", x->accepted, x->attempts,
                x->simulations,
                x->simulations ? (double)x->accepted / (double)x->simulations : 0,
                x->ess);
    }
    return SB_OK;
}

static const char *use_name(const sb_target *t)
{
    return t->fitted ? "fit" : "held-out";
}

static sb_status predictive_csv(FILE *f, const void *vctx)
{
    const out_ctx *c = vctx;
    const sb_calibration *cal = c->cal;
    static const char *const header[] = {
        "target", "fact", "use", "statistic", "scenario", "value", "sd",
        "predictive_mean", "predictive_sd", "predictive_q025",
        "predictive_q975", "z", "consistent", "source"};
    sb_csv_writer w;
    sb_csv_writer_init(&w, f);
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        sb_csv_text(&w, header[i]);
    sb_csv_end_row(&w);
    for (size_t k = 0; k < cal->target_count; k++) {
        const sb_target *t = &cal->target[k];
        sb_fit_check ch;
        sb_fit_check_target(c->res, t, k, &ch);
        sb_csv_text(&w, t->id);
        sb_csv_text(&w, t->fact);
        sb_csv_text(&w, use_name(t));
        sb_csv_text(&w, sb_statistic_name(t->statistic));
        sb_csv_text(&w, cal->scenario_key[t->scenario]);
        num_cell(&w, t->value, "%.6g");
        num_cell(&w, t->sd, "%.6g");
        num_cell(&w, ch.mean, "%.6g");
        num_cell(&w, ch.sd, "%.6g");
        num_cell(&w, ch.q025, "%.6g");
        num_cell(&w, ch.q975, "%.6g");
        num_cell(&w, ch.z, "%.3f");
        sb_csv_text(&w, ch.consistent ? "yes" : "no");
        sb_csv_text(&w, t->source);
        sb_csv_end_row(&w);
    }
    return SB_OK;
}

static json_t *number(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *prior_json(const sb_prior *p)
{
    static const char *const a[] = {"min", "mean", "mu"};
    static const char *const b[] = {"max", "sd", "sigma"};
    return json_pack("{s:s,s:o,s:o,s:o,s:o}", "kind", sb_prior_kind_name(p->kind),
                     a[p->kind], number(p->a), b[p->kind], number(p->b), "lo",
                     number(p->lo), "hi", number(p->hi));
}

static sb_status summary_json(FILE *f, const void *vctx)
{
    const out_ctx *c = vctx;
    const sb_calibration *cal = c->cal;
    const sb_abc_result *res = c->res;
    json_t *params = json_array(), *targets = json_array();
    json_t *root = json_pack(
        "{s:s,s:s,s:s,s:I,s:I,s:I,s:i,s:i,s:s,s:b,s:s,s:o,s:o}", "securebase",
        SB_VERSION, "calibration", cal->name, "file", cal->origin, "seed",
        (json_int_t)(c->info->seed & 0x7fffffffffffffffULL), "persons",
        (json_int_t)c->info->persons, "particles",
        (json_int_t)c->info->particles, "generations_asked",
        c->info->generations, "generations_done", res->generations, "kernel",
        c->info->kernel, "stopped_early", res->stopped_early, "why", res->why,
        "parameters", params, "targets", targets);
    if (!root)
        return SB_ERR_NOMEM;
    sb_params defaults;
    sb_params_default(&defaults);
    for (size_t j = 0; j < res->dim; j++) {
        sb_fit_param_summary s;
        sb_fit_param_summarize(res, j, &s);
        const sb_param_info *info = cal->param[j].info;
        double def = *(const double *)((const char *)&defaults + info->offset);
        json_array_append_new(
            params,
            json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:[o,o],s:[o,o]}", "name",
                      info->name, "prior", prior_json(&cal->param[j].prior),
                      "default", number(def), "mean", number(s.mean), "sd",
                      number(s.sd), "median", number(s.median), "interval_50",
                      number(s.q25), number(s.q75), "interval_95",
                      number(s.q025), number(s.q975)));
    }
    for (size_t k = 0; k < cal->target_count; k++) {
        const sb_target *t = &cal->target[k];
        sb_fit_check ch;
        sb_fit_check_target(res, t, k, &ch);
        json_array_append_new(
            targets,
            json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:{s:o,s:o,s:[o,o],"
                      "s:o,s:b}}",
                      "id", t->id, "fact", t->fact, "use", use_name(t),
                      "statistic", sb_statistic_name(t->statistic), "scenario",
                      cal->scenario_key[t->scenario], "value", number(t->value),
                      "sd", number(t->sd), "source", t->source, "predictive",
                      "mean", number(ch.mean), "sd", number(ch.sd),
                      "interval_95", number(ch.q025), number(ch.q975), "z",
                      number(ch.z), "consistent", ch.consistent));
    }
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(6) |
                                      JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return SB_ERR_NOMEM;
    fputs(text, f);
    fputc('\n', f);
    free(text);
    return SB_OK;
}

static sb_status medians_yaml(FILE *f, const void *vctx)
{
    const out_ctx *c = vctx;
    const sb_calibration *cal = c->cal;
    fprintf(f,
            "# Posterior medians of calibration '%s' (seed %llu, %zu "
            "particles,\n# %d generations): the scenario '%s' with them as "
            "its model constants.\n",
            cal->name, (unsigned long long)c->info->seed, c->res->particles,
            c->res->generations, cal->scenario[0].name);
    fprintf(f, "name: %s-calibrated\n", cal->name);
    fprintf(f, "description: %s with the posterior medians of %s\n",
            cal->scenario[0].name, cal->name);
    fprintf(f, "base: %s\nmodel:\n", cal->scenario[0].name);
    for (size_t j = 0; j < c->res->dim; j++) {
        sb_fit_param_summary s;
        sb_fit_param_summarize(c->res, j, &s);
        fprintf(f, "  %s: %.4g\n", cal->param[j].info->name, s.median);
    }
    return SB_OK;
}

sb_status sb_fit_write_outputs(const char *dir, const sb_calibration *cal,
                               const sb_fit_run_info *info,
                               const sb_abc_result *res, sb_error *err)
{
    out_ctx c = {cal, info, res};
    sb_status st = sb_mkdir_p(dir, 0755, err);
    if (st == SB_OK)
        st = write_file(dir, "posterior.csv", posterior_csv, &c, err);
    if (st == SB_OK)
        st = write_file(dir, "generations.csv", generations_csv, &c, err);
    if (st == SB_OK)
        st = write_file(dir, "predictive.csv", predictive_csv, &c, err);
    if (st == SB_OK)
        st = write_file(dir, "summary.json", summary_json, &c, err);
    if (st == SB_OK)
        st = write_file(dir, "medians.yaml", medians_yaml, &c, err);
    return st;
}
