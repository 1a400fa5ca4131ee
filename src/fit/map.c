/*
 * Running many independent tasks: one after another, or on OpenMP threads
 * with tasks handed out one at a time (dynamic scheduling, so a slow task
 * holds up no other). Each task writes only its own row, so the output is
 * the same whatever thread ran what.
 */
#include "fit/fit_internal.h"

#include <omp.h>
#include <string.h>

sb_status sb__fit_map_serial(size_t count, size_t width, sb_fit_task_fn task,
                             void *task_ctx, double *out, sb_error *err)
{
    for (size_t i = 0; i < count; i++) {
        sb_status st = task(task_ctx, i, out + i * width, err);
        if (st != SB_OK)
            return st;
    }
    return SB_OK;
}

sb_status sb_fit_map_threads(void *map_ctx, size_t count, size_t width,
                             sb_fit_task_fn task, void *task_ctx, double *out,
                             sb_error *err)
{
    int threads = map_ctx ? *(const int *)map_ctx : 0;
    if (threads <= 0)
        threads = omp_get_max_threads();
    size_t failed = count; /* lowest failing index */
    sb_status status = SB_OK;
    long n = (long)count;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (long i = 0; i < n; i++) {
        sb_error mine;
        sb_error_clear(&mine);
        sb_status st = task(task_ctx, (size_t)i, out + (size_t)i * width, &mine);
        if (st != SB_OK) {
#pragma omp critical(sb_fit_map_error)
            if ((size_t)i < failed) {
                failed = (size_t)i;
                status = st;
                if (err)
                    *err = mine;
            }
        }
    }
    return status;
}
