/*
 * The distributed engine: a world of MPI ranks that run one calibration
 * together. Every rank runs the same driver; the map below hands out tasks
 * from rank 0 as ranks finish them (a dynamic work queue) and gives every
 * rank all the results, in index order. Built without MPI (or started
 * without an MPI launcher) the world has one rank and the map is threads.
 * Only src/dist includes mpi.h.
 */
#ifndef SB_DIST_H
#define SB_DIST_H

#include <securebase/fit.h>

typedef struct sb_dist_world sb_dist_world;

/* Whether this build can run on MPI. */
int sb_dist_built_with_mpi(void);

/*
 * Joins the MPI world when an MPI launcher (mpirun, srun) started this
 * process, else makes a world of one. `threads` is what each rank runs a
 * task with: sb_simulate's threads under MPI, the map's threads alone.
 */
sb_status sb_dist_start(int *argc, char ***argv, int threads, sb_dist_world **out,
                        sb_error *err);
int sb_dist_rank(const sb_dist_world *d);
int sb_dist_size(const sb_dist_world *d);
/* Threads each simulation should use: 1 in a threaded map (the tasks
 * are the parallel unit), the given count per rank under MPI. */
int sb_dist_task_threads(const sb_dist_world *d);
/* An sb_fit_map_fn; map_ctx is the sb_dist. Collective: every rank calls
 * it with the same arguments and gets the same `out`. */
sb_status sb_dist_map(void *map_ctx, size_t count, size_t width,
                      sb_fit_task_fn task, void *task_ctx, double *out,
                      sb_error *err);
/* Leaves the world; frees `d`. Safe on NULL. */
void sb_dist_finish(sb_dist_world *d);

#endif
