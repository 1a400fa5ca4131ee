/*
 * Scoring one administration: checks every answer against the declared
 * scale, reverse-keys, prorates within each subscale's limit of missing
 * items, computes derived scores and the category. No I/O: a journal that
 * stores item answers calls this directly.
 */
#include "measure/instrument.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sb_status sb_scores_new(const sb_instrument *inst, sb_scores **out,
                        sb_error *err)
{
    *out = NULL;
    size_t n = inst->score_count;
    sb_scores *s = calloc(1, sizeof *s);
    if (s) {
        s->count = n;
        s->value = calloc(n, sizeof *s->value);
        s->answered = calloc(n, sizeof *s->answered);
        s->total = calloc(n, sizeof *s->total);
        s->reason = calloc(n, sizeof *s->reason);
    }
    if (!s || !s->value || !s->answered || !s->total || !s->reason) {
        sb_scores_free(s);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    *out = s;
    return SB_OK;
}

void sb_scores_free(sb_scores *s)
{
    if (!s)
        return;
    free(s->value);
    free(s->answered);
    free(s->total);
    free(s->reason);
    free(s);
}

/* "item 5" or "item 5 (partner)" for messages. */
static void item_label(const sb_instrument *inst, size_t flat, char *buf,
                       size_t size)
{
    if (inst->target_count)
        snprintf(buf, size, "item %zu (%s)", flat % inst->items_per_target + 1,
                 inst->targets[flat / inst->items_per_target]);
    else
        snprintf(buf, size, "item %zu", flat + 1);
}

static void score_items_one(const sb_instrument *inst, const sb__inst_score *sc,
                            const double *answers, sb_scale scale,
                            sb_scores *out, size_t k)
{
    double sum = 0;
    unsigned answered = 0;
    for (size_t i = 0; i < sc->item_count; i++) {
        size_t flat = sc->items[i];
        double x = answers[flat];
        if (isnan(x))
            continue;
        if (inst->reversed[flat % inst->items_per_target])
            x = scale.min + scale.max - x;
        sum += x;
        answered++;
    }
    unsigned missing = (unsigned)sc->item_count - answered;
    out->answered[k] = answered;
    out->total[k] = (unsigned)sc->item_count;
    if (missing > sc->max_missing) {
        out->value[k] = NAN;
        snprintf(out->reason[k], SB_REASON_MAX,
                 "%s: %u of %zu items missing, more than the %u allowed",
                 sc->name, missing, sc->item_count, sc->max_missing);
        return;
    }
    double mean = sum / answered;
    out->value[k] = inst->sum_rule ? mean * (double)sc->item_count : mean;
    if (missing)
        out->prorated = 1;
}

static void score_derived(const sb_instrument *inst, const sb__inst_score *sc,
                          sb_scores *out, size_t k)
{
    const sb__inst_derived *d = sc->derived;
    size_t idx[2 * SB_INST_MAX_COMPONENTS + SB_INST_MAX_TARGETS];
    double sign[2 * SB_INST_MAX_COMPONENTS + SB_INST_MAX_TARGETS];
    size_t n = 0;
    if (d->kind == SB_DERIVED_TARGET_MEAN) {
        for (size_t t = 0; t < inst->target_count; t++) {
            idx[n] = t * inst->subscale_count + d->subscale;
            sign[n++] = 1.0 / (double)inst->target_count;
        }
    } else {
        for (size_t i = 0; i < d->plus_count; i++) {
            idx[n] = d->plus[i];
            sign[n++] = 1.0;
        }
        for (size_t i = 0; i < d->minus_count; i++) {
            idx[n] = d->minus[i];
            sign[n++] = -1.0;
        }
    }
    double v = 0;
    unsigned have = 0;
    const char *first_missing = NULL;
    for (size_t i = 0; i < n; i++) {
        if (isnan(out->value[idx[i]])) {
            if (!first_missing)
                first_missing = inst->scores[idx[i]].name;
            continue;
        }
        v += sign[i] * out->value[idx[i]];
        have++;
    }
    out->answered[k] = have;
    out->total[k] = (unsigned)n;
    if (first_missing) {
        out->value[k] = NAN;
        snprintf(out->reason[k], SB_REASON_MAX, "%s: needs %s, which is empty",
                 sc->name, first_missing);
        return;
    }
    out->value[k] = v;
}

static void append(char *buf, size_t size, const char *sep, const char *s)
{
    size_t n = strlen(buf);
    if (n && n + 1 < size)
        snprintf(buf + n, size - n, "%s", sep);
    n = strlen(buf);
    if (n + 1 < size)
        snprintf(buf + n, size - n, "%s", s);
}

static void categorize(const sb_instrument *inst, sb_scale scale,
                       sb_scores *out)
{
    const sb__inst_category *c = &inst->category;
    double best = -INFINITY;
    double val[SB_INST_MAX_FUNCTIONS > SB_INST_MAX_COMPONENTS
                   ? SB_INST_MAX_FUNCTIONS : SB_INST_MAX_COMPONENTS];
    const char *name[SB_INST_MAX_FUNCTIONS > SB_INST_MAX_COMPONENTS
                         ? SB_INST_MAX_FUNCTIONS : SB_INST_MAX_COMPONENTS];
    size_t n = 0;
    if (c->method == SB_CATEGORY_FISHER) {
        if (scale.min != c->scale.min || scale.max != c->scale.max) {
            snprintf(out->category_reason, SB_REASON_MAX,
                     "classification functions are for answers on %d-%d, "
                     "these are on %d-%d", c->scale.min, c->scale.max,
                     scale.min, scale.max);
            return;
        }
        for (size_t f = 0; f < c->function_count; f++) {
            const sb__inst_function *fn = &c->functions[f];
            double v = fn->constant;
            for (size_t i = 0; i < fn->count; i++) {
                double x = out->value[fn->score[i]];
                if (isnan(x)) {
                    snprintf(out->category_reason, SB_REASON_MAX,
                             "category needs %s, which is empty",
                             inst->scores[fn->score[i]].name);
                    return;
                }
                v += fn->weight[i] * x;
            }
            val[n] = v;
            name[n++] = fn->name;
        }
    } else {
        for (size_t i = 0; i < c->of_count; i++) {
            double x = out->value[c->of[i]];
            if (isnan(x)) {
                snprintf(out->category_reason, SB_REASON_MAX,
                         "category needs %s, which is empty",
                         inst->scores[c->of[i]].name);
                return;
            }
            val[n] = x;
            name[n++] = inst->scores[c->of[i]].name;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (val[i] > best)
            best = val[i];
    size_t ties = 0;
    for (size_t i = 0; i < n; i++)
        if (val[i] == best) {
            append(out->category, SB_CATEGORY_MAX, "/", name[i]);
            ties++;
        }
    if (ties > 1)
        snprintf(out->category_reason, SB_REASON_MAX,
                 "tie between %zu categories", ties);
}

sb_status sb_instrument_score_items(const sb_instrument *inst,
                                    const double *answers, size_t n,
                                    sb_scale scale, sb_scores *out,
                                    sb_error *err)
{
    if (n != inst->item_count)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "%s has %zu items, got %zu answers", inst->name,
                            inst->item_count, n);
    if (out->count != inst->score_count)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scores were allocated for another instrument");
    if (scale.min >= scale.max)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scale %d-%d is empty", scale.min, scale.max);
    for (size_t i = 0; i < n; i++) {
        double x = answers[i];
        if (isnan(x))
            continue;
        if (x != floor(x) || x < scale.min || x > scale.max) {
            char label[96];
            item_label(inst, i, label, sizeof label);
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "%s: answer %g is %s %d-%d", label, x,
                                x != floor(x) ? "not a whole number on the scale"
                                              : "outside the scale",
                                scale.min, scale.max);
        }
    }
    out->prorated = 0;
    out->category[0] = '\0';
    out->category_reason[0] = '\0';
    for (size_t k = 0; k < inst->score_count; k++) {
        out->reason[k][0] = '\0';
        const sb__inst_score *sc = &inst->scores[k];
        if (sc->is_items)
            score_items_one(inst, sc, answers, scale, out, k);
        else
            score_derived(inst, sc, out, k);
    }
    if (inst->category.method != SB_CATEGORY_NONE)
        categorize(inst, scale, out);
    return SB_OK;
}
