/* Tests for src/report/fan_chart.c: the simulator's picture of a run. */
#include "support.h"

#include "report/palette.h"

#include <securebase/scenario.h>
#include <securebase/sim.h>
#include <securebase/sim_output.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sb_sim_result *run(const char *name, sb_scenario *sc)
{
    assert_int_equal(sb_scenario_builtin(name, sc, NULL), SB_OK);
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = 400;
    opt.threads = 2;
    sb_sim_result *res;
    assert_int_equal(sb_simulate(sc, &opt, &res, NULL), SB_OK);
    return res;
}

static int has_colour(const char *svg, sb__meaning m)
{
    return sb_test_svg_colour_uses(svg, sb__palette_hex(m)) > 0;
}

static void draws_share_and_both_dimensions(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_sim_result *res = run("therapy-only", &sc);
    sb_sim_run r = {&sc, res};
    char *svg, *again;
    size_t len, len2;
    assert_int_equal(sb_fan_chart_svg(&r, &svg, &len, NULL), SB_OK);
    assert_int_equal(strlen(svg), len);
    assert_non_null(strstr(svg, "<svg"));
    assert_true(has_colour(svg, SB_MEANING_SECURE));
    assert_true(has_colour(svg, SB_MEANING_ANXIETY));
    assert_true(has_colour(svg, SB_MEANING_AVOIDANCE));
    assert_true(has_colour(svg, SB_MEANING_THERAPY));
    /* the same run, the same bytes */
    assert_int_equal(sb_fan_chart_svg(&r, &again, &len2, NULL), SB_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(svg, again, len);
    free(again);
    /* written to a file */
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/chart.svg", dir);
    assert_int_equal(sb_write_fan_chart(path, &r, NULL), SB_OK);
    char *text = sb_test_slurp(path);
    assert_non_null(text);
    assert_string_equal(text, svg);
    free(text);
    /* a directory that does not exist: an error naming the file */
    snprintf(path, sizeof path, "%s/no/such/chart.svg", dir);
    sb_error err;
    assert_int_not_equal(sb_write_fan_chart(path, &r, &err), SB_OK);
    assert_non_null(strstr(err.file, "chart.svg"));
    sb_test_rmtree(dir);
    free(dir);
    free(svg);
    sb_sim_result_free(res);
    /* no therapy, no therapy weeks shaded */
    res = run("no-therapy", &sc);
    r.result = res;
    assert_int_equal(sb_fan_chart_svg(&r, &svg, &len, NULL), SB_OK);
    assert_false(has_colour(svg, SB_MEANING_THERAPY));
    free(svg);
    sb_sim_result_free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(draws_share_and_both_dimensions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
