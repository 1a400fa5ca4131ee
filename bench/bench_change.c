/*
 * Grouping administrations by person for `securebase change`, side by side
 * in one run on the same export (grouped by id, as gen_ecr_r writes it):
 *   check  - scorer + grouper CHECK (every row checked, one person held)
 *   stream - scorer + grouper STREAM (each person handed on in turn)
 *   sort   - scorer + grouper SORT (every row kept, sorted at the end)
 * with the most rows held at once and the peak resident memory after the
 * streaming stages and after the sort (the peak only grows, so streaming
 * runs first). The command reads a grouped file as check + stream, and
 * anything else as sort.
 * usage: bench_change FILE.csv [INSTRUMENT]  (file from gen_ecr_r)
 */
#include <securebase/measure.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static int fail(const sb_error *err)
{
    char buf[2048];
    sb_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench_change: %s\n", buf);
    return 1;
}

typedef struct tally {
    unsigned long people, administrations;
    double sum;     /* of every score handed on, so nothing is optimised away */
} tally;

static sb_status on_person(void *ctx, const sb_administration *adm, size_t n,
                           sb_error *err)
{
    (void)err;
    tally *t = ctx;
    t->people++;
    t->administrations += n;
    double d = adm[n - 1].value[0] - adm[0].value[0];
    if (d == d) /* not NaN: an empty score is left out */
        t->sum += d;
    return SB_OK;
}

static sb_status to_grouper(void *ctx, const sb_scored_row *row, sb_error *err)
{
    return sb_grouper_add(ctx, row, err);
}

typedef struct stage {
    double seconds;
    size_t peak_rows;
    unsigned long people;
} stage;

static int run(const sb_instrument *inst, FILE *f, const char *path,
               sb_grouping mode, tally *t, stage *out)
{
    sb_error err;
    sb_grouper *g;
    sb_scorer *sc;
    sb_scorer_options o;
    memset(&o, 0, sizeof o);
    o.id_column = "id";
    o.date_column = "date";
    o.origin = path;
    rewind(f);
    if (sb_grouper_new(sb_instrument_score_count(inst), mode, path, "date",
                       on_person, t, &g, &err) ||
        sb_scorer_new(inst, &o, to_grouper, g, &sc, &err))
        return fail(&err);
    static char buf[1 << 16];
    size_t n;
    double t0 = now();
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (sb_scorer_feed(sc, buf, n, &err))
            return fail(&err);
    if (sb_scorer_finish(sc, &err) || sb_grouper_finish(g, &err))
        return fail(&err);
    out->seconds = now() - t0;
    out->peak_rows = sb_grouper_peak_rows(g);
    out->people = sb_grouper_people(g);
    sb_scorer_free(sc);
    sb_grouper_free(g);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_change FILE.csv [INSTRUMENT]\n");
        return 2;
    }
    const char *path = argv[1];
    sb_error err;
    sb_instrument *inst;
    if (sb_instrument_open(argc == 3 ? argv[2] : "ecr-r", &inst, &err))
        return fail(&err);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    double base = peak_mb();
    tally streamed = {0, 0, 0}, sorted = {0, 0, 0}, checked = {0, 0, 0};
    stage check, stream, sort;
    if (run(inst, f, path, SB_GROUP_CHECK, &checked, &check) ||
        run(inst, f, path, SB_GROUP_STREAM, &streamed, &stream))
        return 1;
    double after_stream = peak_mb();
    if (run(inst, f, path, SB_GROUP_SORT, &sorted, &sort))
        return 1;
    double after_sort = peak_mb();
    fclose(f);
    sb_instrument_free(inst);
    if (streamed.people != sorted.people ||
        streamed.administrations != sorted.administrations ||
        streamed.sum != sorted.sum) {
        fprintf(stderr, "bench_change: stream and sort disagree\n");
        return 1;
    }
    unsigned long rows = streamed.administrations;
    printf("file: %s (%lu rows, %lu people)\n", path, rows, streamed.people);
    printf("%-7s %10s %14s %12s\n", "stage", "seconds", "rows/s", "rows held");
    const char *names[] = {"check", "stream", "sort"};
    const stage *st[] = {&check, &stream, &sort};
    for (int i = 0; i < 3; i++)
        printf("%-7s %10.3f %14.0f %12zu\n", names[i], st[i]->seconds,
               (double)rows / st[i]->seconds, st[i]->peak_rows);
    printf("grouped file (check + stream): %.3f s; any order (sort): %.3f s\n",
           check.seconds + stream.seconds, sort.seconds);
    printf("peak resident memory: %.1f MB at start, %.1f MB after check and "
           "stream, %.1f MB after sort\n", base, after_stream, after_sort);
    return 0;
}
