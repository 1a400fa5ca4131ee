/*
 * The distributed engine on MPI. Rank 0 keeps the queue: it sends each
 * other rank two task indices to start with, and one more whenever a
 * result comes back, so a rank that finishes early is never idle for
 * long; between messages rank 0 runs tasks itself. When every task is
 * done, rank 0 broadcasts all rows, in index order, and the error of the
 * lowest failing index, so every rank carries on with the same state.
 * With one rank, or without an MPI launcher, the map is threads.
 */
#include "dist/dist.h"

#include <mpi.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TAG_TASK 1
#define TAG_STOP 2
#define TAG_RESULT 3
#define TAG_ERROR 4
#define PREFETCH 2 /* tasks a rank holds: one running, one waiting */

struct sb_dist_world {
    int mpi;      /* this process called MPI_Init */
    int rank, size;
    int threads;
};

int sb_dist_built_with_mpi(void)
{
    return 1;
}

/* Launchers announce themselves in the environment: Open MPI's mpirun,
 * PMIx (Slurm's srun --mpi=pmix, newer mpiruns) and PMI (MPICH, srun). */
static int launched_by_mpi(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK",
                                       "PMI_RANK", "PMI_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

sb_status sb_dist_start(int *argc, char ***argv, int threads, sb_dist_world **out,
                        sb_error *err)
{
    sb_dist_world *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    d->size = 1;
    d->threads = threads;
    if (launched_by_mpi()) {
        int provided;
        if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
            MPI_SUCCESS) {
            free(d);
            return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                                "MPI could not be started");
        }
        d->mpi = 1;
        MPI_Comm_rank(MPI_COMM_WORLD, &d->rank);
        MPI_Comm_size(MPI_COMM_WORLD, &d->size);
    }
    *out = d;
    return SB_OK;
}

int sb_dist_rank(const sb_dist_world *d)
{
    return d->rank;
}

int sb_dist_size(const sb_dist_world *d)
{
    return d->size;
}

int sb_dist_task_threads(const sb_dist_world *d)
{
    return d->size > 1 ? (d->threads > 0 ? d->threads : 1) : 1;
}

void sb_dist_finish(sb_dist_world *d)
{
    if (!d)
        return;
    if (d->mpi)
        MPI_Finalize();
    free(d);
}

/* The first failure by index, kept on rank 0. */
typedef struct failure {
    size_t index;
    sb_status status;
    sb_error error;
} failure;

static void note_failure(failure *f, size_t index, sb_status st,
                         const sb_error *e)
{
    if (st != SB_OK && index < f->index) {
        f->index = index;
        f->status = st;
        f->error = *e;
    }
}

/* A result message: index, status, then the row. */
static void run_task(sb_fit_task_fn task, void *ctx, size_t index,
                     size_t width, double *msg, sb_error *e)
{
    sb_error_clear(e);
    memset(msg + 2, 0, width * sizeof *msg);
    sb_status st = task(ctx, index, msg + 2, e);
    msg[0] = (double)index;
    msg[1] = (double)st;
}

static void send_task(int to, size_t *next, size_t count)
{
    uint64_t i = *next;
    if (*next < count) {
        MPI_Send(&i, 1, MPI_UINT64_T, to, TAG_TASK, MPI_COMM_WORLD);
        ++*next;
    }
}

static void coordinate(sb_dist_world *d, size_t count, size_t width,
                       sb_fit_task_fn task, void *ctx, double *out,
                       double *msg, failure *f)
{
    size_t next = 0, done = 0;
    for (int p = 0; p < PREFETCH; p++)
        for (int r = 1; r < d->size; r++)
            send_task(r, &next, count);
    sb_error e;
    while (done < count) {
        int ready = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &ready, &status);
        if (!ready && next < count) {
            /* Nothing to answer: run a task here. */
            size_t i = next++;
            run_task(task, ctx, i, width, msg, &e);
            memcpy(out + i * width, msg + 2, width * sizeof *out);
            note_failure(f, i, (sb_status)msg[1], &e);
            done++;
            continue;
        }
        MPI_Recv(msg, (int)(width + 2), MPI_DOUBLE, MPI_ANY_SOURCE, TAG_RESULT,
                 MPI_COMM_WORLD, &status);
        size_t i = (size_t)msg[0];
        sb_status st = (sb_status)msg[1];
        if (st != SB_OK)
            MPI_Recv(&e, (int)sizeof e, MPI_BYTE, status.MPI_SOURCE, TAG_ERROR,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        memcpy(out + i * width, msg + 2, width * sizeof *out);
        note_failure(f, i, st, &e);
        done++;
        send_task(status.MPI_SOURCE, &next, count);
    }
    for (int r = 1; r < d->size; r++)
        MPI_Send(NULL, 0, MPI_UINT64_T, r, TAG_STOP, MPI_COMM_WORLD);
}

static void work(size_t width, sb_fit_task_fn task, void *ctx, double *msg)
{
    sb_error e;
    for (;;) {
        uint64_t i;
        MPI_Status status;
        MPI_Recv(&i, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
        if (status.MPI_TAG == TAG_STOP)
            return;
        run_task(task, ctx, (size_t)i, width, msg, &e);
        MPI_Send(msg, (int)(width + 2), MPI_DOUBLE, 0, TAG_RESULT,
                 MPI_COMM_WORLD);
        if ((sb_status)msg[1] != SB_OK)
            MPI_Send(&e, (int)sizeof e, MPI_BYTE, 0, TAG_ERROR, MPI_COMM_WORLD);
    }
}

/* Broadcasts in pieces that fit an int count. */
static void broadcast(double *data, size_t n)
{
    const size_t piece = (size_t)1 << 28;
    for (size_t at = 0; at < n; at += piece) {
        size_t k = n - at < piece ? n - at : piece;
        MPI_Bcast(data + at, (int)k, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    }
}

sb_status sb_dist_map(void *map_ctx, size_t count, size_t width,
                      sb_fit_task_fn task, void *task_ctx, double *out,
                      sb_error *err)
{
    sb_dist_world *d = map_ctx;
    if (d->size == 1)
        return sb_fit_map_threads(&d->threads, count, width, task, task_ctx,
                                  out, err);
    double *msg = malloc((width + 2) * sizeof *msg);
    if (!msg)
        MPI_Abort(MPI_COMM_WORLD, 1); /* the other ranks would wait forever */
    failure f = {count, SB_OK, {0}};
    if (d->rank == 0)
        coordinate(d, count, width, task, task_ctx, out, msg, &f);
    else
        work(width, task, task_ctx, msg);
    free(msg);
    broadcast(out, count * width);
    int st = (int)f.status;
    MPI_Bcast(&st, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (st == SB_OK)
        return SB_OK;
    MPI_Bcast(&f.error, (int)sizeof f.error, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (err)
        *err = f.error;
    return (sb_status)st;
}
