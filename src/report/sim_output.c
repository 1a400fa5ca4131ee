/*
 * Simulation results as files: a JSON summary per scenario (jansson), and
 * weekly statistics and sampled trajectories as CSV (through the one CSV
 * writer). Numbers are printed with a fixed precision so that equal results
 * give equal bytes.
 */
#include <securebase/sim_output.h>

#include "base/buf.h"

#include <jansson.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* JSON has no NaN: an undefined figure (no one reached it) is null. */
static json_t *number(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *change_json(double mean_a, double d_a, double mean_v,
                           double d_v)
{
    return json_pack("{s:{s:o,s:o},s:{s:o,s:o}}", "anxiety", "mean",
                     number(mean_a), "cohens_d", number(d_a), "avoidance",
                     "mean", number(mean_v), "cohens_d", number(d_v));
}

static json_t *scenario_json(const sb_sim_run *run)
{
    const sb_sim_summary *s = sb_sim_get_summary(run->result);
    return json_pack(
        "{s:s,s:s,s:i,s:i,s:i,s:{s:o,s:o,s:o},s:{s:o,s:o},s:o,s:o,s:o,s:o,"
        "s:o,s:o}",
        "name", run->scenario->name, "description", run->scenario->description,
        "weeks", sb_sim_weeks(run->result), "therapy_end_week",
        s->therapy_end_week, "followup_week", s->followup_week,
        "share_secure", "baseline", number(s->secure_baseline),
        "end_of_therapy", number(s->secure_end), "followup",
        number(s->secure_followup),
        "change", "end_of_therapy",
        change_json(s->change_anxiety_end, s->d_anxiety_end,
                    s->change_avoidance_end, s->d_avoidance_end),
        "followup",
        change_json(s->change_anxiety_followup, s->d_anxiety_followup,
                    s->change_avoidance_followup, s->d_avoidance_followup),
        "prototype_revision", number(s->prototype_revision),
        "share_with_setback", number(s->share_setback),
        "share_with_sudden_gain", number(s->share_sudden_gain),
        "share_with_sudden_loss", number(s->share_sudden_loss),
        "share_reaching_stable_security", number(s->share_stable),
        "median_weeks_to_stable_security", number(s->median_weeks_stable));
}

/* Writes `path` atomically with what `body` prints: the old file stays as it
 * was unless the whole new one reached the disk. */
static sb_status write_atomically(const char *path,
                                  void (*body)(FILE *f, const void *ctx),
                                  const void *ctx, sb_error *err)
{
    sb_atomic_file *af;
    sb_status st = sb_atomic_open(path, &af, err);
    if (st != SB_OK)
        return st;
    body(sb_atomic_stream(af), ctx);
    return sb_atomic_commit(af, err);
}

static void put_line(FILE *f, const void *text)
{
    fputs(text, f);
    fputc('\n', f);
}

sb_status sb_write_summary_json(const char *path, const sb_sim_run_info *info,
                                const sb_sim_run *runs, size_t count,
                                sb_error *err)
{
    if (info->seed > (uint64_t)SB_SIM_OUTPUT_SEED_MAX)
        return sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                            "seed %llu cannot be recorded in summary.json; "
                            "seeds go up to %lld",
                            (unsigned long long)info->seed,
                            (long long)SB_SIM_OUTPUT_SEED_MAX);
    json_t *list = json_array();
    json_t *root = json_pack("{s:s,s:I,s:I,s:o}", "securebase", SB_VERSION,
                             "seed", (json_int_t)info->seed, "persons",
                             (json_int_t)info->persons, "scenarios", list);
    if (!root)
        return sb_error_set(err, SB_ERR_NOMEM, path, 0, 0,
                            "out of memory building the summary");
    for (size_t i = 0; i < count; i++) {
        json_t *one = scenario_json(&runs[i]);
        if (!one || json_array_append_new(list, one) != 0) {
            json_decref(root);
            return sb_error_set(err, SB_ERR_NOMEM, path, 0, 0,
                                "out of memory building the summary");
        }
    }
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(6) |
                                      JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return sb_error_set(err, SB_ERR_NOMEM, path, 0, 0,
                            "out of memory encoding the summary");
    sb_status st = write_atomically(path, put_line, text, err);
    free(text);
    return st;
}

/* A CSV file: a header line, then the rows of each run in turn. */
typedef struct csv_table {
    const char *header;
    void (*rows)(FILE *f, const sb_sim_run *run);
    const sb_sim_run *runs;
    size_t count;
} csv_table;

static void put_table(FILE *f, const void *ctx)
{
    const csv_table *t = ctx;
    fputs(t->header, f);
    for (size_t i = 0; i < t->count; i++)
        t->rows(f, &t->runs[i]);
}

static void weekly_rows(FILE *f, const sb_sim_run *run)
{
    sb_csv_writer w;
    sb_csv_writer_init(&w, f);
    for (int wk = 0; wk <= sb_sim_weeks(run->result); wk++) {
        const sb_week_stats *s = sb_sim_week(run->result, wk);
        sb_csv_text(&w, run->scenario->name);
        sb_csv_integer(&w, wk);
        sb_csv_number(&w, s->mean_anxiety, 4);
        for (int j = 0; j < 5; j++)
            sb_csv_number(&w, s->pct_anxiety[j], 2);
        sb_csv_number(&w, s->mean_avoidance, 4);
        for (int j = 0; j < 5; j++)
            sb_csv_number(&w, s->pct_avoidance[j], 2);
        sb_csv_number(&w, s->share_secure, 4);
        sb_csv_number(&w, s->mean_awareness, 4);
        sb_csv_number(&w, s->mean_consolidation, 4);
        sb_csv_end_row(&w);
    }
}

sb_status sb_write_weekly_csv(const char *path, const sb_sim_run *runs,
                              size_t count, sb_error *err)
{
    const csv_table t = {
        "scenario,week,mean_anxiety,p10_anxiety,p25_anxiety,p50_anxiety,"
        "p75_anxiety,p90_anxiety,mean_avoidance,p10_avoidance,"
        "p25_avoidance,p50_avoidance,p75_avoidance,p90_avoidance,"
        "share_secure,mean_awareness,mean_consolidation\n",
        weekly_rows, runs, count};
    return write_atomically(path, put_table, &t, err);
}

/* The kinds of the timeline's events that struck, joined by '+', in `b`
 * (emptied first). */
static const char *event_names(const sb_scenario *sc, uint64_t struck,
                               sb__buf *b)
{
    b->len = 0;
    for (size_t i = 0; i < sc->timeline_count && i < 64; i++) {
        if (!(struck >> i & 1))
            continue;
        const sb_event_info *e = sb_event_kind_info(sc->timeline[i].event);
        (void)sb__buf_printf(b, "%s%s", b->len ? "+" : "", e ? e->name : "?");
    }
    return b->len && !b->failed ? b->data : "";
}

static void trajectory_rows(FILE *f, const sb_sim_run *run)
{
    const sb_sim_result *res = run->result;
    sb_csv_writer w;
    sb_csv_writer_init(&w, f);
    sb__buf names = {0};
    for (size_t k = 0; k < sb_sim_trajectory_count(res); k++) {
        const sb_trajectory_point *t = sb_sim_trajectory(res, k);
        for (int wk = 0; wk <= sb_sim_weeks(res); wk++) {
            sb_csv_text(&w, run->scenario->name);
            sb_csv_integer(&w, (long long)sb_sim_trajectory_person(res, k));
            sb_csv_integer(&w, wk);
            const double v[] = {t[wk].anxiety,         t[wk].avoidance,
                                t[wk].obs_anxiety,     t[wk].obs_avoidance,
                                t[wk].awareness,       t[wk].consolidation,
                                t[wk].proto_anxiety,   t[wk].proto_avoidance};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                sb_csv_number(&w, v[i], 3);
            sb_csv_integer(&w, t[wk].sessions);
            sb_csv_integer(&w, t[wk].stress_events);
            sb_csv_text(&w, event_names(run->scenario, t[wk].events, &names));
            sb_csv_end_row(&w);
        }
    }
    sb__buf_free(&names);
}

sb_status sb_write_trajectories_csv(const char *path, const sb_sim_run *runs,
                                    size_t count, sb_error *err)
{
    const csv_table t = {
        "scenario,person,week,anxiety,avoidance,observed_anxiety,"
        "observed_avoidance,awareness,consolidation,prototype_anxiety,"
        "prototype_avoidance,sessions,stress_events,events\n",
        trajectory_rows, runs, count};
    return write_atomically(path, put_table, &t, err);
}
