/*
 * Scoring throughput on a survey export, side by side in one run:
 *   read   - the file's bytes only (fread)
 *   parse  - the bytes through the CSV reader (libcsv), no scoring
 *   score  - CSV reader + column mapping + answer checks + ECR-R scoring
 *   output - score + writing the scored CSV (to /dev/null)
 * and the peak resident memory, which must not grow with the file.
 * usage: bench_score FILE.csv [INSTRUMENT]  (file from gen_ecr_r)
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

static sb_status on_record(void *ctx, const sb_csv_record *rec, sb_error *err)
{
    (void)err;
    *(unsigned long *)ctx += rec->count > 0;
    return SB_OK;
}

typedef struct sink {
    const sb_instrument *inst;
    FILE *out;
    unsigned long rows;
} sink;

static sb_status on_row(void *ctx, const sb_scored_row *row, sb_error *err)
{
    (void)err;
    sink *s = ctx;
    s->rows++;
    if (s->out && sb_scores_write_row(s->out, s->inst, 1, 1, row))
        return SB_ERR_IO;
    return SB_OK;
}

static int fail(const sb_error *err)
{
    char buf[2048];
    sb_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench_score: %s\n", buf);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_score FILE.csv [INSTRUMENT]\n");
        return 2;
    }
    const char *path = argv[1];
    sb_error err;
    sb_instrument *inst;
    if (sb_instrument_open(argc == 3 ? argv[2] : "ecr-r", &inst, &err))
        return fail(&err);
    static char buf[1 << 16];
    double bytes = 0;
    double t_read, t_parse, t_score, t_out;
    unsigned long rows = 0;

    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    double t0 = now();
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        bytes += (double)n;
    t_read = now() - t0;

    rewind(f);
    sb_csv_reader *r;
    if (sb_csv_reader_new(NULL, on_record, &rows, &r, &err))
        return fail(&err);
    t0 = now();
    if (sb_csv_reader_read_stream(r, f, &err))
        return fail(&err);
    t_parse = now() - t0;
    sb_csv_reader_free(r);
    rows -= 1; /* the header */

    for (int pass = 0; pass < 2; pass++) {
        rewind(f);
        sink s = {inst, pass ? fopen("/dev/null", "w") : NULL, 0};
        sb_scorer_options o;
        memset(&o, 0, sizeof o);
        o.id_column = "id";
        o.date_column = "date";
        o.origin = path;
        sb_scorer *sc;
        if (sb_scorer_new(inst, &o, on_row, &s, &sc, &err))
            return fail(&err);
        t0 = now();
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            if (sb_scorer_feed(sc, buf, n, &err))
                return fail(&err);
        if (sb_scorer_finish(sc, &err))
            return fail(&err);
        double t = now() - t0;
        if (pass)
            t_out = t;
        else
            t_score = t;
        if (s.rows != rows) {
            fprintf(stderr, "bench_score: scored %lu rows, read %lu\n", s.rows, rows);
            return 1;
        }
        sb_scorer_free(sc);
        if (s.out)
            fclose(s.out);
    }
    fclose(f);
    sb_instrument_free(inst);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("file: %s (%lu rows, %.1f MB)\n", path, rows, bytes / 1e6);
    printf("%-8s %10s %14s %10s\n", "stage", "seconds", "rows/s", "MB/s");
    const char *names[] = {"read", "parse", "score", "output"};
    double times[] = {t_read, t_parse, t_score, t_out};
    for (int i = 0; i < 4; i++)
        printf("%-8s %10.3f %14.0f %10.1f\n", names[i], times[i],
               (double)rows / times[i], bytes / 1e6 / times[i]);
    printf("scoring costs %.2fx the CSV parse alone\n", t_score / t_parse);
    printf("peak resident memory: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    return 0;
}
