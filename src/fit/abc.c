/*
 * ABC-SMC: approximate Bayesian computation by sequential Monte Carlo.
 *
 * Generation 0 draws N particles from the prior and keeps them all. Each
 * later generation t sets its tolerance to a weighted quantile of the
 * previous distances (Del Moral, Doucet & Jasra 2012), and fills each of
 * its N slots by proposing: pick an ancestor by weight, perturb it with a
 * normal kernel whose covariance is twice the previous population's
 * weighted covariance (Beaumont, Cornuet, Marin & Robert 2009; Filippi,
 * Barnes, Cornebise & Stumpf 2013 for the multivariate form), simulate,
 * and accept when the distance is within the tolerance (Toni, Welch,
 * Strelkowa, Ipsen & Stumpf 2009). Accepted particles are weighted
 * prior(theta) / sum_k w_k K(theta | theta_k), the population Monte Carlo
 * weights of Beaumont et al. 2009.
 *
 * Slot i of generation t draws its proposals from a stream keyed by (seed,
 * i, t, attempt) and nothing else, and the slots go through the caller's
 * map; every sum over particles is then taken in index order. So the
 * result is the same, bit for bit, whoever computed which slot.
 */
#include "fit/fit_internal.h"

#include "model/rng.h"
#include "model/sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATTEMPT_BITS 20 /* attempt numbers below 2^20 */

void sb_abc_options_default(sb_abc_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->particles = 200;
    opt->generations = 6;
    opt->quantile = 0.5;
    opt->max_attempts = 1000;
    opt->seed = 1;
    opt->kernel = SB_KERNEL_MULTIVARIATE;
    opt->predictive = 1;
}

void sb_abc_result_free(sb_abc_result *res)
{
    if (!res)
        return;
    free(res->theta);
    free(res->weight);
    free(res->distance);
    free(res->stats);
    free(res->predictive);
    free(res->generation);
    free(res);
}

double sb_abc_distance(const sb_abc_problem *pb, const double *stats)
{
    double sum = 0;
    for (size_t k = 0; k < pb->stat_count; k++) {
        if (!pb->fitted[k])
            continue;
        double z = (stats[k] - pb->observed[k]) / pb->scale[k];
        if (!isfinite(z))
            return INFINITY;
        sum += z * z;
    }
    return sqrt(sum);
}

size_t sb__fit_pick(const double *cum, size_t n, double u)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

typedef struct ranked {
    double x, w;
    size_t i;
} ranked;

static int by_value(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

double sb_fit_weighted_quantile(const double *x, size_t stride,
                                const double *w, size_t n, double q)
{
    ranked *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return NAN;
    size_t m = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i * stride])) {
            r[m++] = (ranked){x[i * stride], w[i], i};
            total += w[i];
        }
    double out = NAN;
    if (m && total > 0) {
        qsort(r, m, sizeof *r, by_value);
        double cum = 0, goal = q * total;
        out = r[m - 1].x;
        for (size_t i = 0; i < m; i++) {
            cum += r[i].w;
            if (cum >= goal) {
                out = r[i].x;
                break;
            }
        }
    }
    free(r);
    return out;
}

/* One row of a generation's output. */
enum { ROW_DISTANCE = 0, ROW_ATTEMPTS, ROW_SIMULATIONS, ROW_ACCEPTED, ROW_EXTRA };

typedef struct gen_ctx {
    const sb_abc_problem *pb;
    const sb_abc_options *opt;
    int gen;
    double eps;
    const double *prev;      /* previous rows (theta first), or NULL */
    size_t prev_width;
    const double *cum;       /* cumulative previous weights */
    const double *chol;      /* kernel covariance factor, dim x dim lower */
} gen_ctx;

static int inside_prior(const sb_abc_problem *pb, const double *theta)
{
    for (size_t j = 0; j < pb->dim; j++)
        if (!(sb_prior_density(&pb->priors[j], theta[j]) > 0))
            return 0;
    return 1;
}

static uint64_t draw_seed(sb__rng *r)
{
    uint64_t hi = sb__rng_u32(r);
    return hi << 32 | sb__rng_u32(r);
}

/* Fills slot `index`: proposals until one is within the tolerance. */
static sb_status particle_task(void *vctx, size_t index, double *row,
                               sb_error *err)
{
    const gen_ctx *c = vctx;
    const sb_abc_problem *pb = c->pb;
    size_t dim = pb->dim;
    double *theta = row, *stats = row + dim;
    double *extra = stats + pb->stat_count;
    double z[SB_FIT_MAX_PARAMS];
    size_t sims = 0;
    for (size_t a = 0; a < c->opt->max_attempts; a++) {
        sb__rng r;
        sb__rng_init(&r, c->opt->seed, index, SB_FIT_PHASE_PROPOSAL,
                    (uint32_t)c->gen << MAX_ATTEMPT_BITS | (uint32_t)a);
        if (c->gen == 0) {
            for (size_t j = 0; j < dim; j++)
                theta[j] = sb_prior_quantile(&pb->priors[j], sb__rng_uniform(&r));
        } else {
            size_t k = sb__fit_pick(c->cum, c->opt->particles, sb__rng_uniform(&r));
            const double *anc = c->prev + k * c->prev_width;
            for (size_t j = 0; j < dim; j++)
                z[j] = sb__sample_normal(&r);
            for (size_t j = 0; j < dim; j++) {
                double s = 0;
                for (size_t l = 0; l <= j; l++)
                    s += c->chol[j * dim + l] * z[l];
                theta[j] = anc[j] + s;
            }
            if (!inside_prior(pb, theta))
                continue;
        }
        uint64_t seed = draw_seed(&r);
        sb_status st = pb->simulate(pb->simulate_ctx, theta, seed, stats, err);
        if (st != SB_OK)
            return st;
        sims++;
        double d = sb_abc_distance(pb, stats);
        if (c->gen == 0 ? isfinite(d) : d <= c->eps) {
            extra[ROW_DISTANCE] = d;
            extra[ROW_ATTEMPTS] = (double)(a + 1);
            extra[ROW_SIMULATIONS] = (double)sims;
            extra[ROW_ACCEPTED] = 1;
            return SB_OK;
        }
    }
    extra[ROW_DISTANCE] = INFINITY;
    extra[ROW_ATTEMPTS] = (double)c->opt->max_attempts;
    extra[ROW_SIMULATIONS] = (double)sims;
    extra[ROW_ACCEPTED] = 0;
    return SB_OK;
}

/* One fresh simulation of final particle `index`. */
static sb_status predictive_task(void *vctx, size_t index, double *row,
                                 sb_error *err)
{
    const gen_ctx *c = vctx;
    sb__rng r;
    sb__rng_init(&r, c->opt->seed, index, SB_FIT_PHASE_PREDICTIVE, 0);
    const double *theta = c->prev + index * c->prev_width;
    return c->pb->simulate(c->pb->simulate_ctx, theta, draw_seed(&r), row, err);
}

static sb_status map(const sb_abc_options *opt, size_t count, size_t width,
                     sb_fit_task_fn task, void *ctx, double *out, sb_error *err)
{
    if (opt->map)
        return opt->map(opt->map_ctx, count, width, task, ctx, out, err);
    return sb__fit_map_serial(count, width, task, ctx, out, err);
}

/*
 * Cholesky factor of twice the weighted covariance of the population (or
 * of its diagonal). A component with no spread gets a floor of a millionth
 * of its prior range, so the kernel stays proper.
 */
static void kernel_factor(const sb_abc_problem *pb, sb_abc_kernel kernel,
                          const double *rows, size_t width, const double *w,
                          size_t n, double *chol)
{
    size_t dim = pb->dim;
    double mean[SB_FIT_MAX_PARAMS] = {0};
    double cov[SB_FIT_MAX_PARAMS * SB_FIT_MAX_PARAMS] = {0};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < dim; j++)
            mean[j] += w[i] * rows[i * width + j];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < dim; j++)
            for (size_t l = 0; l <= j; l++)
                cov[j * dim + l] += w[i] * (rows[i * width + j] - mean[j]) *
                                    (rows[i * width + l] - mean[l]);
    for (size_t j = 0; j < dim; j++) {
        double range = pb->priors[j].hi - pb->priors[j].lo;
        double floor_var = 1e-12 * range * range;
        for (size_t l = 0; l <= j; l++) {
            cov[j * dim + l] *= 2;
            if (kernel == SB_KERNEL_COMPONENTWISE && l != j)
                cov[j * dim + l] = 0;
        }
        if (cov[j * dim + j] < floor_var)
            cov[j * dim + j] = floor_var;
    }
    /* Cholesky; should a pivot fail (rounding), fall back to the diagonal. */
    memset(chol, 0, dim * dim * sizeof *chol);
    for (size_t j = 0; j < dim; j++) {
        for (size_t l = 0; l <= j; l++) {
            double s = cov[j * dim + l];
            for (size_t m = 0; m < l; m++)
                s -= chol[j * dim + m] * chol[l * dim + m];
            if (l == j) {
                if (!(s > 0)) {
                    memset(chol, 0, dim * dim * sizeof *chol);
                    for (size_t d = 0; d < dim; d++)
                        chol[d * dim + d] = sqrt(cov[d * dim + d]);
                    return;
                }
                chol[j * dim + j] = sqrt(s);
            } else {
                chol[j * dim + l] = s / chol[l * dim + l];
            }
        }
    }
}

/* Population Monte Carlo weights of the new rows, normalised, in logs
 * so that far-apart particles cannot underflow to a zero sum. */
static sb_status pmc_weights(const sb_abc_problem *pb, const double *rows,
                             size_t width, const double *prev,
                             const double *prev_w, size_t n,
                             const double *chol, double *w, sb_error *err)
{
    size_t dim = pb->dim;
    double *logk = malloc(n * sizeof *logk);
    if (!logk)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    double top = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const double *t = rows + i * width;
        double logp = 0;
        for (size_t j = 0; j < dim; j++)
            logp += log(sb_prior_density(&pb->priors[j], t[j]));
        double kmax = -INFINITY;
        for (size_t k = 0; k < n; k++) {
            /* Solve L y = theta_i - theta_k; the kernel is exp(-|y|^2/2). */
            double y[SB_FIT_MAX_PARAMS], q = 0;
            for (size_t j = 0; j < dim; j++) {
                double s = t[j] - prev[k * width + j];
                for (size_t l = 0; l < j; l++)
                    s -= chol[j * dim + l] * y[l];
                y[j] = s / chol[j * dim + j];
                q += y[j] * y[j];
            }
            logk[k] = prev_w[k] > 0 ? log(prev_w[k]) - 0.5 * q : -INFINITY;
            if (logk[k] > kmax)
                kmax = logk[k];
        }
        double s = 0;
        for (size_t k = 0; k < n; k++)
            s += exp(logk[k] - kmax);
        w[i] = logp - (kmax + log(s));
        if (w[i] > top)
            top = w[i];
    }
    free(logk);
    if (!isfinite(top))
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "every particle has zero weight; the prior and "
                            "kernel do not overlap the accepted particles");
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += (w[i] = exp(w[i] - top));
    for (size_t i = 0; i < n; i++)
        w[i] /= total;
    return SB_OK;
}

static sb_status check_input(const sb_abc_problem *pb,
                             const sb_abc_options *opt, sb_error *err)
{
    if (pb->dim < 1 || pb->dim > SB_FIT_MAX_PARAMS)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "%zu parameters to fit; allowed 1..%d", pb->dim,
                            SB_FIT_MAX_PARAMS);
    if (opt->particles < 2 || opt->particles > 100000)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "%zu particles; allowed 2..100000", opt->particles);
    if (opt->generations < 1 || opt->generations > 1000)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "%d generations; allowed 1..1000",
                            opt->generations);
    if (!(opt->quantile > 0 && opt->quantile < 1))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "the tolerance quantile is %g; it must be "
                            "between 0 and 1",
                            opt->quantile);
    if (opt->max_attempts < 1 || opt->max_attempts >= (1u << MAX_ATTEMPT_BITS))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "%zu attempts per particle; allowed 1..%u",
                            opt->max_attempts, (1u << MAX_ATTEMPT_BITS) - 1);
    size_t fitted = 0;
    for (size_t k = 0; k < pb->stat_count; k++) {
        fitted += pb->fitted[k] != 0;
        if (pb->fitted[k] && !(pb->scale[k] > 0 && isfinite(pb->scale[k]) &&
                               isfinite(pb->observed[k])))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "statistic %zu needs a finite value and an "
                                "uncertainty above 0",
                                k + 1);
    }
    if (!fitted)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "no statistic is fitted; mark at least one "
                            "target to fit");
    for (size_t j = 0; j < pb->dim; j++) {
        char name[32];
        snprintf(name, sizeof name, "parameter %zu", j + 1);
        sb_status st = sb_prior_check(&pb->priors[j], name, err);
        if (st != SB_OK)
            return st;
    }
    return SB_OK;
}

/* Copies the final population out of the rows. */
static sb_status keep_population(sb_abc_result *res, const double *rows,
                                 size_t width, const double *w, size_t n)
{
    size_t dim = res->dim, s = res->stat_count;
    res->theta = malloc(n * dim * sizeof(double));
    res->weight = malloc(n * sizeof(double));
    res->distance = malloc(n * sizeof(double));
    res->stats = malloc(n * (s ? s : 1) * sizeof(double));
    if (!res->theta || !res->weight || !res->distance || !res->stats)
        return SB_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        memcpy(res->theta + i * dim, rows + i * width, dim * sizeof(double));
        memcpy(res->stats + i * s, rows + i * width + dim, s * sizeof(double));
        res->distance[i] = rows[i * width + dim + s + ROW_DISTANCE];
        res->weight[i] = w[i];
    }
    return SB_OK;
}

sb_status sb_abc_run(const sb_abc_problem *pb, const sb_abc_options *opt,
                     sb_abc_result **out, sb_error *err)
{
    *out = NULL;
    sb_status st = check_input(pb, opt, err);
    if (st != SB_OK)
        return st;
    size_t n = opt->particles, dim = pb->dim;
    size_t width = dim + pb->stat_count + ROW_EXTRA;
    sb_abc_result *res = calloc(1, sizeof *res);
    double *rows = malloc(n * width * sizeof(double));
    double *prev = malloc(n * width * sizeof(double));
    double *w = malloc(n * sizeof(double)), *prev_w = malloc(n * sizeof(double));
    double *cum = malloc(n * sizeof(double));
    double *chol = malloc(dim * dim * sizeof(double));
    if (res)
        res->generation = calloc((size_t)opt->generations,
                                 sizeof *res->generation);
    if (!res || !rows || !prev || !w || !prev_w || !cum || !chol ||
        !res->generation) {
        st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                          "out of memory for %zu particles", n);
        goto done;
    }
    res->particles = n;
    res->dim = dim;
    res->stat_count = pb->stat_count;

    double eps = INFINITY;
    for (int g = 0; g < opt->generations; g++) {
        gen_ctx c = {pb, opt, g, eps, prev, width, cum, chol};
        if (g > 0) {
            kernel_factor(pb, opt->kernel, prev, width, prev_w, n, chol);
            double total = 0;
            for (size_t i = 0; i < n; i++)
                cum[i] = (total += prev_w[i]);
            cum[n - 1] = 1.0; /* no gap at the top for rounding */
        }
        st = map(opt, n, width, particle_task, &c, rows, err);
        if (st != SB_OK)
            goto done;
        sb_abc_generation *gen = &res->generation[g];
        gen->index = g;
        gen->epsilon = eps;
        for (size_t i = 0; i < n; i++) {
            const double *x = rows + i * width + dim + pb->stat_count;
            gen->accepted += x[ROW_ACCEPTED] != 0;
            gen->attempts += (size_t)x[ROW_ATTEMPTS];
            gen->simulations += (size_t)x[ROW_SIMULATIONS];
        }
        if (gen->accepted < n) {
            if (g == 0) {
                st = sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                                  "%zu of %zu prior draws gave no finite "
                                  "distance in %zu attempts each; check that "
                                  "every fitted statistic can be computed",
                                  n - gen->accepted, n, opt->max_attempts);
                goto done;
            }
            res->stopped_early = 1;
            snprintf(res->why, sizeof res->why,
                     "generation %d (tolerance %.4g): %zu of %zu particles "
                     "found no proposal within the tolerance in %zu "
                     "attempts; the result is generation %d",
                     g, eps, n - gen->accepted, n, opt->max_attempts, g - 1);
            break;
        }
        if (g == 0) {
            for (size_t i = 0; i < n; i++)
                w[i] = 1.0 / (double)n;
        } else {
            st = pmc_weights(pb, rows, width, prev, prev_w, n, chol, w, err);
            if (st != SB_OK)
                goto done;
        }
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            ss += w[i] * w[i];
        gen->ess = 1.0 / ss;
        res->generations = g + 1;
        if (opt->progress)
            opt->progress(opt->progress_ctx, gen);
        /* This population becomes the previous one. */
        double *t = prev;
        prev = rows;
        rows = t;
        t = prev_w;
        prev_w = w;
        w = t;
        eps = sb_fit_weighted_quantile(prev + dim + pb->stat_count + ROW_DISTANCE,
                                       width, prev_w, n, opt->quantile);
    }
    if (keep_population(res, prev, width, prev_w, n) != SB_OK) {
        st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (opt->predictive) {
        res->predictive = malloc(n * (pb->stat_count ? pb->stat_count : 1) *
                                 sizeof(double));
        if (!res->predictive) {
            st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        gen_ctx c = {pb, opt, res->generations, eps, prev, width, cum, chol};
        st = map(opt, n, pb->stat_count, predictive_task, &c, res->predictive,
                 err);
    }
done:
    free(rows);
    free(prev);
    free(w);
    free(prev_w);
    free(cum);
    free(chol);
    if (st != SB_OK) {
        sb_abc_result_free(res);
        return st;
    }
    *out = res;
    return SB_OK;
}
