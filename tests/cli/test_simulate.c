/*
 * The simulate and validate commands as a user runs them: outputs,
 * reproducibility across thread counts, errors and exit codes, and the
 * claims the built-in seed scenarios exist to show.
 */
#include "support.h"

#include <jansson.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

static char *file_in(const char *dir, const char *name)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return sb_test_slurp(path);
}

static void writes_outputs_and_they_do_not_depend_on_threads(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char out1[4200], out2[4200];
    snprintf(out1, sizeof out1, "%s/one", dir);
    snprintf(out2, sizeof out2, "%s/two", dir);
    sb_test_run r = sb_test_cli("simulate", "therapy-only", "no-therapy",
                                "--persons", "700", "--weeks", "20", "--seed",
                                "9", "--threads", "1", "--out", out1,
                                "--trajectories", "3", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "therapy-only"));
    assert_non_null(strstr(r.out, "no-therapy"));
    sb_test_run_free(&r);
    r = sb_test_cli("simulate", "therapy-only", "no-therapy", "-n", "700", "-w",
                    "20", "-s", "9", "-j", "2", "-o", out2, "-t", "3", NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);

    const char *files[] = {"summary.json", "weekly.csv", "trajectories.csv"};
    for (int i = 0; i < 3; i++) {
        char *a = file_in(out1, files[i]), *b = file_in(out2, files[i]);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        if (i == 1)
            assert_int_equal(count_lines(a), 1 + 2 * 21);
        if (i == 2)
            assert_int_equal(count_lines(a), 1 + 2 * 3 * 21);
        free(a);
        free(b);
    }
    char *text = file_in(out1, "summary.json");
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "persons")), 700);
    json_t *list = json_object_get(root, "scenarios");
    assert_int_equal(json_array_size(list), 2);
    json_t *first = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(first, "name")),
                        "therapy-only");
    double base = json_real_value(json_object_get(
        json_object_get(first, "share_secure"), "baseline"));
    assert_true(base > 0 && base < 1);
    json_decref(root);
    free(text);
    sb_test_rmtree(dir);
    free(dir);
}

static void bad_arguments_give_usage_errors(void **state)
{
    (void)state;
    struct {
        const char *args[4];
        const char *expect;
    } cases[] = {
        {{"--persons", "0", NULL, NULL}, "--persons must be in"},
        {{"--persons", "12abc", NULL, NULL}, "expects a whole number"},
        {{"--seed", "-3", NULL, NULL}, "must not be negative"},
        /* strtoull would take this as 2^64 - 3 */
        {{"--seed", " -3", NULL, NULL}, "--seed expects a whole number"},
        {{"--seed", "", NULL, NULL}, "--seed expects a whole number"},
        /* 2^63: summary.json could not record it. */
        {{"--seed", "9223372036854775808", NULL, NULL},
         "--seed must be in 0..9223372036854775807"},
        {{"--weeks", "99999", NULL, NULL}, "--weeks must be in"},
        {{"--trajectories", "5", NULL, NULL}, "needs --out"},
        {{"no-such-scenario", NULL, NULL, NULL}, "no-such-scenario"},
        /* A file that is not there is an input error, as for --check. */
        {{"/nonexistent/my.yaml", NULL, NULL, NULL},
         "/nonexistent/my.yaml: cannot open"},
        {{"--bogus", NULL, NULL, NULL}, "usage:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sb_test_run r = sb_test_cli("simulate", cases[i].args[0],
                                    cases[i].args[1], cases[i].args[2], NULL);
        assert_int_equal(r.exit_code, 2);
        if (!strstr(r.err, cases[i].expect))
            print_error("case %zu: stderr was: %s\n", i, r.err);
        assert_non_null(strstr(r.err, cases[i].expect));
        assert_string_equal(r.out, "");
        sb_test_run_free(&r);
    }
}

/* More trajectories than people is refused, not silently cut to the people
 * there are: nothing runs and nothing is written. */
static void more_trajectories_than_people_is_refused(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    sb_test_run r = sb_test_cli("simulate", "therapy-only", "--persons", "3",
                                "--trajectories", "5", "--out", out, NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--trajectories 5 is more than the 3 "
                                  "simulated people (--persons)"));
    assert_string_equal(r.out, "");
    assert_null(sb_test_slurp(out));
    sb_test_run_free(&r);
    /* as many as there are people is fine */
    r = sb_test_cli("simulate", "therapy-only", "--persons", "3",
                    "--trajectories", "3", "--weeks", "2", "--out", out, NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    snprintf(out, sizeof out, "%s/out/trajectories.csv", dir);
    char *text = sb_test_slurp(out);
    assert_non_null(text);
    free(text);
    sb_test_rmtree(dir);
    free(dir);
}

/* A directory too long to hold DIR/trajectories.csv is refused before any
 * run, not found out when the first file cannot be named. */
static void too_long_output_directory_is_a_usage_error(void **state)
{
    (void)state;
    char dir[4100];
    memset(dir, 'd', sizeof dir - 1);
    dir[sizeof dir - 1] = '\0';
    dir[4079] = '\0'; /* 4079 + strlen("/trajectories.csv") + 1 = 4097 */
    sb_test_run r = sb_test_cli("simulate", "therapy-only", "-n", "50", "-w",
                                "5", "-o", dir, NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--out: the directory's path is 4079 bytes "
                                  "long; at most 4078"));
    assert_string_equal(r.out, "");
    sb_test_run_free(&r);
}

/* With one person nobody varies at week 0: Cohen's d is undefined and the
 * wide table says n/a in its place, in the same columns. */
static void undefined_effect_sizes_print_as_n_a(void **state)
{
    (void)state;
    sb_test_run one = sb_test_cli("simulate", "therapy-only", "-n", "1", "-w",
                                  "3", "--wide", NULL);
    sb_test_run two = sb_test_cli("simulate", "therapy-only", "-n", "200",
                                  "-w", "3", "--wide", NULL);
    assert_int_equal(one.exit_code, 0);
    assert_int_equal(two.exit_code, 0);
    assert_null(strstr(one.out, "nan"));
    assert_non_null(strstr(one.out, "( n/a)"));
    const char *row1 = strstr(one.out, "\ntherapy-only");
    const char *row2 = strstr(two.out, "\ntherapy-only");
    assert_non_null(row1);
    assert_non_null(row2);
    assert_int_equal(strcspn(row1 + 1, "\n"), strcspn(row2 + 1, "\n"));
    sb_test_run_free(&one);
    sb_test_run_free(&two);
}

static void unwritable_output_is_a_runtime_failure(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *file = sb_test_write(dir, "plain-file", "x");
    char out[4200];
    snprintf(out, sizeof out, "%s/sub", file);
    sb_test_run r = sb_test_cli("simulate", "therapy-only", "-n", "50", "-w",
                                "5", "-o", out, NULL);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "cannot create directory"));
    sb_test_run_free(&r);
    free(file);
    sb_test_rmtree(dir);
    free(dir);
}

static double get(json_t *sc, const char *a, const char *b)
{
    json_t *x = json_object_get(sc, a);
    if (b)
        x = json_object_get(x, b);
    return json_is_null(x) ? NAN : json_number_value(x);
}

/* The seed's claims, on a small population: they come from the model, so
 * a model change that breaks them fails here. */
static void seed_scenarios_show_their_claims(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    sb_test_run r = sb_test_cli("simulate", "seed", "--persons", "4000",
                                "--seed", "3", "--out", dir, NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    char *text = file_in(dir, "summary.json");
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root);
    json_t *list = json_object_get(root, "scenarios");
    assert_int_equal(json_array_size(list), 5);
    const char *names[5] = {"no-therapy", "therapy-only", "therapy+support",
                            "therapy+reflection+practice", "all-factors"};
    double end[5], fu[5], rev[5], gain[5], setback[5];
    for (int i = 0; i < 5; i++) {
        json_t *sc = json_array_get(list, (size_t)i);
        assert_string_equal(json_string_value(json_object_get(sc, "name")),
                            names[i]);
        end[i] = get(sc, "share_secure", "end_of_therapy");
        fu[i] = get(sc, "share_secure", "followup");
        rev[i] = get(sc, "prototype_revision", NULL);
        gain[i] = get(sc, "share_with_sudden_gain", NULL);
        setback[i] = get(sc, "share_with_setback", NULL);
    }
    /* Follow-up: each factor added to therapy gives more lasting security
     * than therapy alone, and all of them together the most. */
    assert_true(fu[1] < fu[2] && fu[1] < fu[3]);
    assert_true(fu[2] < fu[4] && fu[3] < fu[4]);
    /* Therapy alone helps while it lasts and fades after it ends, to about
     * where no therapy is; all factors hold most of their gain. */
    assert_true(end[1] - fu[1] > 0.10);
    assert_true(fabs(fu[1] - fu[0]) < 0.02);
    assert_true(fu[4] >= 0.70 * end[4]);
    assert_true((end[1] - fu[1]) > 1.5 * (end[4] - fu[4]));
    /* Prototype revision: the two scenarios with practice revise it most;
     * therapy alone revises it less than half as much as all factors. */
    for (int i = 0; i < 3; i++)
        assert_true(rev[3] > rev[i] && rev[4] > rev[i]);
    assert_true(rev[1] < 0.5 * rev[4]);
    /* Non-linear paths: setbacks everywhere, sudden gains in every course
     * of therapy, and far fewer without therapy over the same weeks. */
    for (int i = 0; i < 5; i++)
        assert_true(setback[i] > 0.05);
    for (int i = 1; i < 5; i++)
        assert_true(gain[i] > 0.15 && gain[i] > 3 * gain[0]);
    json_decref(root);
    free(text);
    sb_test_rmtree(dir);
    free(dir);
}

static void validate_passes_with_the_defaults(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("validate", "--persons", "12000", NULL);
    if (r.exit_code != 0)
        print_error("%s\n", r.out);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "9 of 9 checks pass"));
    assert_non_null(strstr(r.out, "Mickelson"));
    sb_test_run_free(&r);
    r = sb_test_cli("validate", "--persons", "5", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
}

/* The table fits 100 columns without --wide, and every column's header is
 * explained in the legend under it; --wide adds d and the prototype. */
static void table_fits_and_explains_its_headers(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("simulate", "seed", "-n", "300", "-w", "30",
                                NULL);
    assert_int_equal(r.exit_code, 0);
    for (const char *line = r.out; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > 100)
            fail_msg("a line of %zu columns: %.*s", len, (int)len, line);
        line += len + (line[len] == '\n');
    }
    const char *head = strstr(r.out, "\nscenario ");
    assert_non_null(head);
    const char *legend = strstr(head, "\n\n");
    assert_non_null(legend);
    char words[256];
    size_t len = strcspn(head + 1, "\n");
    snprintf(words, sizeof words, "%.*s", (int)len, head + 1);
    int columns = 0;
    for (char *w = strtok(words + strlen("scenario"), " "); w;
         w = strtok(NULL, " ")) {
        char defined[64];
        snprintf(defined, sizeof defined, "%s: ", w);
        if (!strstr(legend, defined))
            fail_msg("the header '%s' is not explained under the table", w);
        columns++;
    }
    assert_int_equal(columns, 12);
    assert_non_null(strstr(legend, "\nsecure (%)"));
    assert_non_null(strstr(legend, "\nchange ..."));
    assert_non_null(strstr(legend, "\nwith one (%)"));
    assert_non_null(strstr(legend, "\nstable "));
    assert_non_null(strstr(legend, "--wide adds"));
    assert_null(strstr(r.out, "(d)"));
    sb_test_run_free(&r);
    r = sb_test_cli("simulate", "therapy-only", "-n", "300", "-w", "30",
                    "--wide", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "anx  (d)"));
    assert_non_null(strstr(r.out, "\n(d)            Cohen's d"));
    assert_non_null(strstr(r.out, "\nproto rev.     prototype revision"));
    sb_test_run_free(&r);
}

/* --plot draws a fan chart per scenario beside the other outputs. */
static void plot_writes_a_fan_chart_per_scenario(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    sb_test_run r = sb_test_cli("simulate", "therapy-only", "no-therapy", "-n",
                                "300", "-w", "20", "--out", dir, "--plot",
                                NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "a fan chart per scenario"));
    sb_test_run_free(&r);
    const char *names[] = {"therapy-only.svg", "no-therapy.svg"};
    for (int i = 0; i < 2; i++) {
        char *svg = file_in(dir, names[i]);
        assert_non_null(svg);
        assert_non_null(strstr(svg, "<svg"));
        free(svg);
    }
    sb_test_rmtree(dir);
    free(dir);
    r = sb_test_cli("simulate", "therapy-only", "-n", "30", "--plot", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--plot needs --out DIR"));
    sb_test_run_free(&r);
}

/* The progress bar: on a terminal only, and never with --quiet. */
static void progress_only_on_a_terminal_unless_quiet(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli_tty("simulate", "therapy-only", "-n", "2000",
                                    "-w", "20", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "therapy-only"));
    assert_non_null(strstr(r.err, "%"));
    sb_test_run_free(&r);
    r = sb_test_cli_tty("simulate", "therapy-only", "-n", "2000", "-w", "20",
                        "--quiet", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    sb_test_run_free(&r);
    r = sb_test_cli("simulate", "therapy-only", "-n", "2000", "-w", "20", NULL);
    assert_string_equal(r.err, "");
    sb_test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_outputs_and_they_do_not_depend_on_threads),
        cmocka_unit_test(bad_arguments_give_usage_errors),
        cmocka_unit_test(more_trajectories_than_people_is_refused),
        cmocka_unit_test(too_long_output_directory_is_a_usage_error),
        cmocka_unit_test(undefined_effect_sizes_print_as_n_a),
        cmocka_unit_test(unwritable_output_is_a_runtime_failure),
        cmocka_unit_test(seed_scenarios_show_their_claims),
        cmocka_unit_test(validate_passes_with_the_defaults),
        cmocka_unit_test(table_fits_and_explains_its_headers),
        cmocka_unit_test(plot_writes_a_fan_chart_per_scenario),
        cmocka_unit_test(progress_only_on_a_terminal_unless_quiet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
