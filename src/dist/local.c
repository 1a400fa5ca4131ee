/*
 * The distributed engine of a build without MPI: a world of one rank,
 * whose map runs tasks on threads.
 */
#include "dist/dist.h"

#include <stdlib.h>

struct sb_dist_world {
    int threads;
};

int sb_dist_built_with_mpi(void)
{
    return 0;
}

sb_status sb_dist_start(int *argc, char ***argv, int threads, sb_dist_world **out,
                        sb_error *err)
{
    (void)argc;
    (void)argv;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    (*out)->threads = threads;
    return SB_OK;
}

int sb_dist_rank(const sb_dist_world *d)
{
    (void)d;
    return 0;
}

int sb_dist_size(const sb_dist_world *d)
{
    (void)d;
    return 1;
}

int sb_dist_task_threads(const sb_dist_world *d)
{
    (void)d;
    return 1;
}

sb_status sb_dist_map(void *map_ctx, size_t count, size_t width,
                      sb_fit_task_fn task, void *task_ctx, double *out,
                      sb_error *err)
{
    sb_dist_world *d = map_ctx;
    return sb_fit_map_threads(&d->threads, count, width, task, task_ctx, out,
                              err);
}

void sb_dist_finish(sb_dist_world *d)
{
    free(d);
}
