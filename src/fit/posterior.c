/*
 * Posterior files: the weighted particles a calibration wrote
 * (posterior.csv), read back strictly, and drawn from one particle per
 * simulated person so that a projection's spread carries what is not known
 * about the parameters. A person's draw is keyed by the run's seed and the
 * person's index only.
 */
#include "fit/fit_internal.h"

#include "model/rng.h"

#include <securebase/measure.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sb_posterior {
    size_t n, dim, cap;
    const sb_param_info *param[SB_FIT_MAX_PARAMS];
    double *value;   /* n x dim */
    double *weight;  /* n */
    double *cum;     /* cumulative weights */
};

struct sb_posterior_sets {
    const sb_posterior *post;
    uint64_t seed;
    sb_params *sets;
};

typedef struct reader {
    sb_posterior *post;
    const char *path;
    long column[SB_FIT_MAX_PARAMS]; /* CSV column of each parameter */
    long weight_col, particle_col;
    size_t width;
} reader;

static sb_status header(reader *r, const sb_csv_record *rec, sb_error *err)
{
    sb_posterior *p = r->post;
    r->weight_col = r->particle_col = -1;
    r->width = rec->count;
    for (size_t c = 0; c < rec->count; c++) {
        const char *name = rec->field[c];
        for (size_t k = 0; k < c; k++)
            if (!strcmp(rec->field[k], name))
                return sb_error_set(err, SB_ERR_PARSE, r->path, rec->line,
                                    c + 1, "column '%.64s' appears twice",
                                    name);
        if (!strcmp(name, "weight")) {
            r->weight_col = (long)c;
        } else if (!strcmp(name, "particle")) {
            r->particle_col = (long)c;
        } else if (strcmp(name, "distance")) {
            const sb_param_info *info = sb_params_find(name);
            if (!info || info->whole)
                return sb_error_set(err, SB_ERR_PARSE, r->path, rec->line,
                                    c + 1,
                                    "column '%.64s' is not a model parameter "
                                    "a posterior can give",
                                    name);
            if (p->dim == SB_FIT_MAX_PARAMS)
                return sb_error_set(err, SB_ERR_PARSE, r->path, rec->line,
                                    c + 1, "more than %d parameters",
                                    SB_FIT_MAX_PARAMS);
            r->column[p->dim] = (long)c;
            p->param[p->dim++] = info;
        }
    }
    if (r->weight_col < 0 || r->particle_col < 0 || p->dim == 0)
        return sb_error_set(err, SB_ERR_PARSE, r->path, rec->line, 1,
                            "the header needs 'particle', 'weight' and at "
                            "least one parameter's column");
    return SB_OK;
}

static sb_status number(const reader *r, const sb_csv_record *rec, long col,
                        double *out, sb_error *err)
{
    const char *s = rec->field[col];
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v) || strpbrk(s, "xXnN"))
        return sb_error_set(err, SB_ERR_PARSE, r->path, rec->line,
                            (unsigned long)col + 1,
                            "'%.40s' is not a finite decimal number", s);
    *out = v;
    return SB_OK;
}

static sb_status on_record(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    reader *r = ctx;
    sb_posterior *p = r->post;
    if (rec->number == 1)
        return header(r, rec, err);
    if (p->n == SB_SIM_MAX_PARAM_SETS)
        return sb_error_set(err, SB_ERR_INVALID, r->path, rec->line, 1,
                            "more than %d particles", SB_SIM_MAX_PARAM_SETS);
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        double *v = realloc(p->value, cap * p->dim * sizeof *v);
        if (v)
            p->value = v;
        double *w = v ? realloc(p->weight, cap * sizeof *w) : NULL;
        if (!w)
            return sb_error_set(err, SB_ERR_NOMEM, r->path, rec->line, 1,
                                "out of memory");
        p->weight = w;
        p->cap = cap;
    }
    double w = 0;
    sb_status st = number(r, rec, r->weight_col, &w, err);
    if (st != SB_OK)
        return st;
    if (w < 0)
        return sb_error_set(err, SB_ERR_INVALID, r->path, rec->line,
                            (unsigned long)r->weight_col + 1,
                            "a weight is %g; weights are not negative", w);
    for (size_t j = 0; j < p->dim; j++) {
        double *v = &p->value[p->n * p->dim + j];
        if ((st = number(r, rec, r->column[j], v, err)) != SB_OK)
            return st;
        const sb_param_info *info = p->param[j];
        if (*v < info->min || *v > info->max)
            return sb_error_set(err, SB_ERR_INVALID, r->path, rec->line,
                                (unsigned long)r->column[j] + 1,
                                "%s is %g; allowed %g..%g", info->name, *v,
                                info->min, info->max);
    }
    p->weight[p->n++] = w;
    return SB_OK;
}

void sb_posterior_free(sb_posterior *post)
{
    if (!post)
        return;
    free(post->value);
    free(post->weight);
    free(post->cum);
    free(post);
}

sb_status sb_posterior_load(const char *path, sb_posterior **out,
                            sb_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    sb_posterior *p = calloc(1, sizeof *p);
    reader r = {.post = p, .path = path};
    sb_csv_options opt = {.origin = path, .max_fields = SB_FIT_MAX_PARAMS + 8};
    sb_csv_reader *csv = NULL;
    sb_status st = p ? sb_csv_reader_new(&opt, on_record, &r, &csv, err)
                     : sb_error_set(err, SB_ERR_NOMEM, path, 0, 0,
                                    "out of memory");
    if (st == SB_OK)
        st = sb_csv_reader_read_stream(csv, f, err);
    if (st == SB_OK)
        st = sb_csv_reader_finish(csv, err);
    sb_csv_reader_free(csv);
    fclose(f);
    if (st == SB_OK && p->n == 0)
        st = sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                          "the file has no particles");
    double total = 0;
    if (st == SB_OK) {
        p->cum = malloc(p->n * sizeof *p->cum);
        if (!p->cum)
            st = sb_error_set(err, SB_ERR_NOMEM, path, 0, 0, "out of memory");
        for (size_t i = 0; st == SB_OK && i < p->n; i++)
            p->cum[i] = (total += p->weight[i]);
    }
    /* Written weights sum to 1 up to the last printed digit. */
    if (st == SB_OK && !(fabs(total - 1) <= 1e-9 * (double)p->n + 1e-12))
        st = sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                          "the weights add up to %.17g; they must add up to "
                          "1",
                          total);
    if (st != SB_OK) {
        sb_posterior_free(p);
        return st;
    }
    for (size_t i = 0; i < p->n; i++)
        p->cum[i] /= total;
    p->cum[p->n - 1] = 1.0;
    *out = p;
    return SB_OK;
}

size_t sb_posterior_particles(const sb_posterior *post)
{
    return post->n;
}

size_t sb_posterior_dim(const sb_posterior *post)
{
    return post->dim;
}

const char *sb_posterior_param(const sb_posterior *post, size_t j)
{
    return j < post->dim ? post->param[j]->name : NULL;
}

double sb_posterior_value(const sb_posterior *post, size_t particle, size_t j)
{
    if (particle >= post->n || j >= post->dim)
        return NAN;
    return post->value[particle * post->dim + j];
}

double sb_posterior_weight(const sb_posterior *post, size_t particle)
{
    return particle < post->n ? post->weight[particle] : NAN;
}

size_t sb_posterior_draw(const sb_posterior *post, uint64_t seed,
                         uint64_t person)
{
    sb__rng r;
    sb__rng_init(&r, seed, person, SB_FIT_PHASE_POSTERIOR, 0);
    return sb__fit_pick(post->cum, post->n, sb__rng_uniform(&r));
}

static size_t draw_for(void *ctx, uint64_t person)
{
    const sb_posterior_sets *s = ctx;
    return sb_posterior_draw(s->post, s->seed, person);
}

static int kept(const char *const *keep, const char *name)
{
    for (size_t i = 0; keep && keep[i]; i++)
        if (!strcmp(keep[i], name))
            return 1;
    return 0;
}

sb_status sb_posterior_attach(const sb_posterior *post, const sb_params *base,
                              const char *const *keep, sb_sim_options *opt,
                              sb_posterior_sets **out, sb_error *err)
{
    *out = NULL;
    sb_posterior_sets *s = calloc(1, sizeof *s);
    if (s)
        s->sets = malloc(post->n * sizeof *s->sets);
    if (!s || !s->sets) {
        sb_posterior_sets_free(s);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for %zu parameter sets", post->n);
    }
    s->post = post;
    s->seed = opt->seed;
    for (size_t i = 0; i < post->n; i++) {
        s->sets[i] = *base;
        for (size_t j = 0; j < post->dim; j++)
            if (!kept(keep, post->param[j]->name))
                *(double *)((char *)&s->sets[i] + post->param[j]->offset) =
                    post->value[i * post->dim + j];
    }
    opt->param_sets = s->sets;
    opt->param_set_count = post->n;
    opt->param_set_of = draw_for;
    opt->param_set_ctx = s;
    *out = s;
    return SB_OK;
}

void sb_posterior_sets_free(sb_posterior_sets *sets)
{
    if (!sets)
        return;
    free(sets->sets);
    free(sets);
}
