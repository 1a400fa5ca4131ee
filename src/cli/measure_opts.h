/*
 * Options shared by `score` and `change`: instrument, columns, scale,
 * missing codes, id/date columns, skipped rows, leniency and output file,
 * and the plumbing that opens the instrument, the mapping, the input and
 * the output.
 */
#ifndef SB_CLI_MEASURE_OPTS_H
#define SB_CLI_MEASURE_OPTS_H

#include <securebase/measure.h>

#include <getopt.h>
#include <stdio.h>

enum {
    SB_OPT_COLUMNS = 1000,
    SB_OPT_SCALE,
    SB_OPT_MISSING,
    SB_OPT_ID,
    SB_OPT_DATE,
    SB_OPT_SKIP_ROWS,
    SB_OPT_LENIENT,
    SB_OPT_OUT
};

#define SB_MEASURE_LONG_OPTIONS                                  \
    {"columns", required_argument, NULL, SB_OPT_COLUMNS},       \
    {"scale", required_argument, NULL, SB_OPT_SCALE},           \
    {"missing", required_argument, NULL, SB_OPT_MISSING},       \
    {"id", required_argument, NULL, SB_OPT_ID},                 \
    {"date", required_argument, NULL, SB_OPT_DATE},             \
    {"skip-rows", required_argument, NULL, SB_OPT_SKIP_ROWS},   \
    {"lenient", no_argument, NULL, SB_OPT_LENIENT},             \
    {"out", required_argument, NULL, SB_OPT_OUT}

typedef struct sb__measure_opts {
    const char *columns;
    sb_scale scale;
    char missing_text[SB_MAX_MISSING_CODES][32];
    size_t missing_count;
    const char *id, *date, *out;
    unsigned long skip_rows;
    int lenient;
} sb__measure_opts;

/* What sb__measure_open made; release with sb__measure_close. */
typedef struct sb__measure_run {
    sb_instrument *inst;
    sb_column_map *map;
    FILE *in;
    const char *path;
    sb_scorer_options opts;
    int columns_said; /* the columns found in the header were reported */
} sb__measure_run;

void sb__measure_opts_init(sb__measure_opts *mo);
/* 0 if handled, an exit code on a bad value, -1 if `c` is not ours. */
int sb__measure_opts_parse(sb__measure_opts *mo, const char *command, int c,
                           const char *arg);
/*
 * Opens instrument, mapping and input (path "-": standard input); reports
 * a failure on stderr and returns its exit code, else 0.
 */
int sb__measure_open(const sb__measure_opts *mo, const char *instrument,
                     const char *path, sb__measure_run *run);
/* Feeds the whole input to the scorer and finishes it. Item columns found
 * in the header under another pattern than the instrument's own are said
 * on standard error, once per run. */
sb_status sb__measure_stream(sb__measure_run *run, sb_scorer *sc, sb_error *err);
void sb__measure_close(sb__measure_run *run);

/* Where results go: the --out file, replaced atomically, or standard output. */
typedef struct sb__measure_output {
    FILE *stream;
    sb_atomic_file *file; /* NULL for standard output */
} sb__measure_output;

/* Opens `path` (NULL: standard output) for writing; a file gets mode 0600. */
sb_status sb__measure_output_open(const char *path, sb__measure_output *o,
                                  sb_error *err);
/*
 * Finishes the output of a run that ended with `st`: a file is committed
 * only when st is SB_OK and is otherwise removed; standard output is flushed
 * and checked for earlier write errors. Returns the run's final status.
 */
sb_status sb__measure_output_close(sb__measure_output *o, sb_status st,
                                   sb_error *err);

#endif
