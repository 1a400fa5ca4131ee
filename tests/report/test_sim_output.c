/*
 * The writers of simulation results: what summary.json records, the CSV
 * files' rows, and that a figure which cannot be recorded writes nothing.
 */
#include "support.h"

#include <securebase/sim_output.h>

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A tiny run: 20 people, 3 weeks, 2 sampled paths. */
static sb_sim_result *small_run(sb_scenario *sc)
{
    sb_scenario_default(sc);
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = 20;
    opt.weeks = 3;
    opt.threads = 1;
    opt.trajectories = 2;
    sb_sim_result *res = NULL;
    sb_error err;
    assert_int_equal(sb_simulate(sc, &opt, &res, &err), SB_OK);
    return res;
}

static int count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

static void files_hold_every_week_and_the_seed(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_sim_result *res = small_run(&sc);
    sb_sim_run run = {&sc, res};
    char *dir = sb_test_tmpdir();
    char path[4200];
    sb_error err;

    /* The largest seed that can be recorded is recorded exactly. */
    sb_sim_run_info info = {(uint64_t)SB_SIM_OUTPUT_SEED_MAX, 20};
    snprintf(path, sizeof path, "%s/summary.json", dir);
    assert_int_equal(sb_write_summary_json(path, &info, &run, 1, &err), SB_OK);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    assert_non_null(root);
    assert_true(json_integer_value(json_object_get(root, "seed")) ==
                (json_int_t)SB_SIM_OUTPUT_SEED_MAX);
    assert_int_equal(json_integer_value(json_object_get(root, "persons")), 20);
    json_decref(root);

    /* Header plus weeks 0..3; trajectories: header plus 2 people x 4 weeks. */
    snprintf(path, sizeof path, "%s/weekly.csv", dir);
    assert_int_equal(sb_write_weekly_csv(path, &run, 1, &err), SB_OK);
    char *text = sb_test_slurp(path);
    assert_non_null(text);
    assert_int_equal(count_lines(text), 1 + 4);
    assert_non_null(strstr(text, "\ndefault,3,"));
    free(text);
    snprintf(path, sizeof path, "%s/trajectories.csv", dir);
    assert_int_equal(sb_write_trajectories_csv(path, &run, 1, &err), SB_OK);
    text = sb_test_slurp(path);
    assert_non_null(text);
    assert_int_equal(count_lines(text), 1 + 2 * 4);
    free(text);

    sb_sim_result_free(res);
    sb_test_rmtree(dir);
    free(dir);
}

/* A seed of 2^63 or more would have been written as a negative number:
 * refused, naming the seed, and the old file is left as it was. */
static void a_seed_json_cannot_hold_writes_nothing(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_sim_result *res = small_run(&sc);
    sb_sim_run run = {&sc, res};
    char *dir = sb_test_tmpdir();
    char *path = sb_test_write(dir, "summary.json", "old\n");
    sb_sim_run_info info = {(uint64_t)SB_SIM_OUTPUT_SEED_MAX + 1, 20};
    sb_error err;
    assert_int_equal(sb_write_summary_json(path, &info, &run, 1, &err),
                     SB_ERR_INVALID);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "seed 9223372036854775808"));
    char *text = sb_test_slurp(path);
    assert_string_equal(text, "old\n");
    free(text);

    info.seed = UINT64_MAX;
    assert_int_equal(sb_write_summary_json(path, &info, &run, 1, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "seed 18446744073709551615"));

    free(path);
    sb_sim_result_free(res);
    sb_test_rmtree(dir);
    free(dir);
}

/* The trajectories show each week's sessions and the timeline's events
 * by kind, in the week they happen. */
static void trajectories_show_sessions_and_events(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_scenario_default(&sc);
    sc.therapy = (sb_therapy){1.0, 0, 3, 1.0, 0.75, 0.85, 0.6};
    const char *kinds[2] = {"loss", "reconciliation"};
    for (int i = 0; i < 2; i++) {
        sb_timeline_entry *e = &sc.timeline[sc.timeline_count++];
        sb_timeline_entry_default(e);
        e->week = 1;
        e->event = i ? SB_EVENT_RECONCILIATION : SB_EVENT_LOSS;
        e->size = 1;
        assert_string_equal(sb_event_kind_info(e->event)->name, kinds[i]);
    }
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = 4;
    opt.weeks = 4;
    opt.threads = 1;
    opt.trajectories = 1;
    sb_sim_result *res = NULL;
    sb_error err;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_OK);
    sb_sim_run run = {&sc, res};
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/trajectories.csv", dir);
    assert_int_equal(sb_write_trajectories_csv(path, &run, 1, &err), SB_OK);
    char *text = sb_test_slurp(path);
    assert_non_null(strstr(text, ",sessions,stress_events,events\n"));
    /* every row ends in sessions (attendance 1 in weeks 0-2), a count of
     * random events, and the events of the week */
    char line[256];
    const char *row = strchr(text, '\n') + 1;
    for (int w = 0; w <= 4; w++) {
        const char *end = strchr(row, '\n');
        size_t len = (size_t)(end - row);
        memcpy(line, row, len);
        line[len] = '\0';
        const char *tail = strrchr(line, ',');
        assert_string_equal(tail + 1, w == 1 ? "loss+reconciliation" : "");
        /* the sessions column: third from the end */
        const char *p = line + len;
        for (int commas = 0; commas < 3; p--)
            commas += p[-1] == ',';
        assert_int_equal(atoi(p + 1), w < 3 ? 1 : 0);
        row = end + 1;
    }
    free(text);
    sb_sim_result_free(res);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(files_hold_every_week_and_the_seed),
        cmocka_unit_test(a_seed_json_cannot_hold_writes_nothing),
        cmocka_unit_test(trajectories_show_sessions_and_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
