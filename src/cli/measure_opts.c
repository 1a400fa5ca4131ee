/*
 * The options and input plumbing shared by `securebase score` and
 * `securebase change`.
 */
#include "cli/measure_opts.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb__measure_opts_init(sb__measure_opts *mo)
{
    memset(mo, 0, sizeof *mo);
}

static int parse_scale(const char *command, const char *text, sb_scale *out)
{
    if (sb_scale_parse(text, out, NULL) != SB_OK)
        return sb__cli_usage_error(command,
                                   "--scale expects MIN-MAX with 0 <= MIN < MAX "
                                   "<= %d, e.g. 1-5; got '%s'",
                                   SB_ANSWER_SCALE_MAX, text);
    return SB_EXIT_OK;
}

static int add_missing(sb__measure_opts *mo, const char *command,
                       const char *text)
{
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || len >= sizeof mo->missing_text[0])
            return sb__cli_usage_error(command,
                                       "--missing expects codes of 1-31 "
                                       "characters, got '%s'", text);
        if (mo->missing_count == SB_MAX_MISSING_CODES)
            return sb__cli_usage_error(command, "at most %d missing-value codes",
                                       SB_MAX_MISSING_CODES);
        memcpy(mo->missing_text[mo->missing_count], p, len);
        mo->missing_text[mo->missing_count][len] = '\0';
        mo->missing_count++;
        if (!comma)
            return SB_EXIT_OK;
        p = comma + 1;
    }
}

int sb__measure_opts_parse(sb__measure_opts *mo, const char *command, int c,
                           const char *arg)
{
    long v;
    int rc;
    switch (c) {
    case SB_OPT_COLUMNS: mo->columns = arg; return 0;
    case SB_OPT_SCALE: return parse_scale(command, arg, &mo->scale);
    case SB_OPT_MISSING: return add_missing(mo, command, arg);
    case SB_OPT_ID: mo->id = arg; return 0;
    case SB_OPT_DATE: mo->date = arg; return 0;
    case SB_OPT_LENIENT: mo->lenient = 1; return 0;
    case SB_OPT_OUT: mo->out = arg; return 0;
    case SB_OPT_SKIP_ROWS:
        rc = sb__cli_parse_long(command, "--skip-rows", arg, 0, 100, &v);
        if (rc)
            return rc;
        mo->skip_rows = (unsigned long)v;
        return 0;
    default:
        return -1;
    }
}

int sb__measure_open(const sb__measure_opts *mo, const char *instrument,
                     const char *path, sb__measure_run *run)
{
    memset(run, 0, sizeof *run);
    sb_error err;
    sb_error_clear(&err);
    sb_status st = sb_instrument_open(instrument, &run->inst, &err);
    if (!st && mo->columns) {
        if (strstr(mo->columns, "{n}"))
            st = sb_column_map_pattern(run->inst, mo->columns, &run->map, &err);
        else
            st = sb_column_map_load(run->inst, mo->columns, &run->map, &err);
    }
    if (!st) {
        run->path = strcmp(path, "-") ? path : "<stdin>";
        if (strcmp(path, "-"))
            st = sb_file_open_read(path, &run->in, &err);
        else
            run->in = stdin;
    }
    if (st) {
        /* The instrument, the mapping and the data are all input: a file
         * that cannot be opened is an input error, as in `simulate`. */
        sb__cli_report_error(&err);
        sb__measure_close(run);
        return sb__cli_input_exit_code(st);
    }
    sb_scorer_options *o = &run->opts;
    o->scale = mo->scale;
    for (size_t i = 0; i < mo->missing_count; i++)
        o->missing[i] = mo->missing_text[i];
    o->missing_count = mo->missing_count;
    o->id_column = mo->id;
    o->date_column = mo->date;
    o->map = run->map;
    o->skip_rows = mo->skip_rows;
    o->lenient = mo->lenient;
    o->origin = run->path;
    if (o->scale.min == 0 && o->scale.max == 0)
        o->scale = sb_instrument_scale(run->inst);
    return SB_EXIT_OK;
}

/* Which columns were read, when they were found in the header under a
 * pattern other than the instrument's own names. */
static void say_columns(sb__measure_run *run, const sb_scorer *sc)
{
    const sb_column_map *m = sb_scorer_column_map(sc);
    const char *found = sb_column_map_found(m);
    if (!found || run->columns_said)
        return;
    run->columns_said = 1;
    size_t n = sb_instrument_item_count(run->inst);
    fprintf(stderr, "securebase: %s items read from the columns %s%s%s "
            "(pattern '%s' found in the header; --columns chooses others)\n",
            sb_instrument_name(run->inst), sb_column_map_name(m, 0),
            n > 1 ? ".." : "", n > 1 ? sb_column_map_name(m, n - 1) : "",
            found);
    size_t extra = sb_column_map_also_fit(m);
    if (extra)
        fprintf(stderr, "securebase: %zu more column%s fit%s '%s' with a "
                "number outside 1-%zu and %s not read\n", extra,
                extra == 1 ? "" : "s", extra == 1 ? "s" : "", found,
                sb_instrument_items_per_target(run->inst),
                extra == 1 ? "is" : "are");
}

sb_status sb__measure_stream(sb__measure_run *run, sb_scorer *sc, sb_error *err)
{
    char buf[65536];
    size_t got;
    sb_status st = SB_OK;
    while (!st && (got = fread(buf, 1, sizeof buf, run->in)) > 0)
        st = sb_scorer_feed(sc, buf, got, err);
    if (!st && ferror(run->in))
        st = sb_error_set(err, SB_ERR_IO, run->path, 0, 0, "read error");
    if (!st)
        st = sb_scorer_finish(sc, err);
    say_columns(run, sc);
    return st;
}

void sb__measure_close(sb__measure_run *run)
{
    if (run->in && run->in != stdin)
        fclose(run->in);
    sb_column_map_free(run->map);
    sb_instrument_free(run->inst);
    memset(run, 0, sizeof *run);
}

sb_status sb__measure_output_open(const char *path, sb__measure_output *o,
                                  sb_error *err)
{
    o->stream = stdout;
    o->file = NULL;
    if (!path)
        return SB_OK;
    sb__cli_remove_on_signal(path);
    /* Scores are per-person health data: readable by the owner only. */
    sb_status st = sb_atomic_open_mode(path, 0600, &o->file, err);
    o->stream = st == SB_OK ? sb_atomic_stream(o->file) : NULL;
    return st;
}

sb_status sb__measure_output_close(sb__measure_output *o, sb_status st,
                                   sb_error *err)
{
    sb_atomic_file *file = o->file;
    o->file = NULL;
    o->stream = NULL;
    if (file) {
        if (st == SB_OK)
            return sb_atomic_commit(file, err);
        sb_atomic_abort(file);
        return st;
    }
    /* fflush reports only what was still buffered; ferror the rest. */
    if (st == SB_OK && (fflush(stdout) != 0 || ferror(stdout)))
        st = sb_error_set(err, SB_ERR_IO, "<stdout>", 0, 0,
                          "cannot write the results");
    return st;
}
