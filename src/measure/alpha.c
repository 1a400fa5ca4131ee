/*
 * Cronbach's alpha, corrected item-total correlations and alpha if an item
 * is deleted, from running sums of items and of their cross-products
 * (k x k numbers, whatever the number of rows). Data are shifted by the
 * first case so that the sums of small whole numbers stay exact.
 */
#include <securebase/measure.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sb_alpha {
    size_t k;
    double n;
    double *shift; /* the first case */
    double *sum;   /* k */
    double *cross; /* k * k, only i <= j used */
    sb_alpha_item *items;
};

sb_status sb_alpha_new(size_t k, sb_alpha **out, sb_error *err)
{
    *out = NULL;
    if (k < 2 || k > 4096)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "alpha needs 2..4096 items, got %zu", k);
    sb_alpha *a = calloc(1, sizeof *a);
    if (a) {
        a->k = k;
        a->shift = calloc(k, sizeof *a->shift);
        a->sum = calloc(k, sizeof *a->sum);
        a->cross = calloc(k * k, sizeof *a->cross);
        a->items = calloc(k, sizeof *a->items);
    }
    if (!a || !a->shift || !a->sum || !a->cross || !a->items) {
        sb_alpha_free(a);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    *out = a;
    return SB_OK;
}

void sb_alpha_free(sb_alpha *a)
{
    if (!a)
        return;
    free(a->shift);
    free(a->sum);
    free(a->cross);
    free(a->items);
    free(a);
}

void sb_alpha_add(sb_alpha *a, const double *x)
{
    size_t k = a->k;
    if (a->n == 0)
        memcpy(a->shift, x, k * sizeof *x);
    a->n += 1;
    for (size_t i = 0; i < k; i++) {
        double di = x[i] - a->shift[i];
        a->sum[i] += di;
        double *row = a->cross + i * k;
        for (size_t j = i; j < k; j++)
            row[j] += di * (x[j] - a->shift[j]);
    }
}

static double cov(const sb_alpha *a, size_t i, size_t j)
{
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
    }
    return (a->cross[i * a->k + j] - a->sum[i] * a->sum[j] / a->n) / (a->n - 1);
}

void sb_alpha_compute(sb_alpha *a, sb_alpha_result *out)
{
    size_t k = a->k;
    out->k = k;
    out->n = a->n;
    out->items = a->items;
    out->alpha = NAN;
    out->why[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        sb_alpha_item *it = &a->items[i];
        it->mean = a->n > 0 ? a->shift[i] + a->sum[i] / a->n : NAN;
        it->sd = NAN;
        it->item_total_r = NAN;
        it->alpha_if_deleted = NAN;
    }
    if (a->n < 2) {
        snprintf(out->why, sizeof out->why,
                 a->n == 0 ? "no row answers every item of it"
                           : "only 1 row answers every item of it; alpha "
                             "needs at least 2");
        return;
    }
    double total = 0, sum_var = 0;
    for (size_t i = 0; i < k; i++) {
        sum_var += cov(a, i, i);
        for (size_t j = 0; j < k; j++)
            total += cov(a, i, j);
    }
    if (total > 0)
        out->alpha = (double)k / (double)(k - 1) * (1.0 - sum_var / total);
    else
        snprintf(out->why, sizeof out->why,
                 "its total does not vary over the %.0f complete rows (every "
                 "row has the same sum), so there is no variance to split",
                 a->n);
    for (size_t i = 0; i < k; i++) {
        sb_alpha_item *it = &a->items[i];
        double vi = cov(a, i, i);
        double row = 0;
        for (size_t j = 0; j < k; j++)
            row += cov(a, i, j);
        double rest_var = total - 2 * row + vi;
        double c = row - vi;
        it->sd = sqrt(vi > 0 ? vi : 0);
        if (vi > 0 && rest_var > 0)
            it->item_total_r = c / sqrt(vi * rest_var);
        if (k > 2 && rest_var > 0)
            it->alpha_if_deleted = (double)(k - 1) / (double)(k - 2) *
                                   (1.0 - (sum_var - vi) / rest_var);
    }
}
