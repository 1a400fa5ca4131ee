/* Tests for src/report/figures.c: every figure draws, or says it has none. */
#include "report/helpers.h"

#include "report/figures.h"

static void each_figure_draws_from_a_history(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_history h;
    assert_int_equal(sb_history_load(t.j, 1, 0, NULL, &h, NULL), SB_OK);
    sb_span span = {h.first_day - 10, h.last_day + 10};
    sb_projection p;
    assert_int_equal(sb_projection_run(&h, h.last_day, 8, 200, 1, NULL, &p, NULL),
                     SB_OK);
    sb_figure f[9];
    assert_int_equal(sb_figure_scores(&h, SB_ANXIETY, span, &f[0], NULL), SB_OK);
    assert_int_equal(sb_figure_scores(&h, SB_AVOIDANCE, span, &f[1], NULL),
                     SB_OK);
    assert_int_equal(sb_figure_plane(&h, &f[2], NULL), SB_OK);
    assert_int_equal(sb_figure_therapy(&h, span, &f[3], NULL), SB_OK);
    assert_int_equal(sb_figure_relationships(&h, span, &f[4], NULL), SB_OK);
    assert_int_equal(sb_figure_triggers(&h, &f[5], NULL), SB_OK);
    assert_int_equal(sb_figure_practice(&h, span, &f[6], NULL), SB_OK);
    assert_int_equal(sb_figure_projection(&h, &p, SB_ANXIETY, &f[7], NULL),
                     SB_OK);
    assert_int_equal(sb_figure_projection(&h, &p, SB_AVOIDANCE, &f[8], NULL),
                     SB_OK);
    for (int i = 0; i < 9; i++) {
        assert_non_null(f[i].svg);
        assert_non_null(strstr(f[i].svg, "<svg"));
        assert_int_equal(strlen(f[i].svg), f[i].len);
        free(f[i].svg);
    }
    sb_projection_free(&p);
    sb_history_free(&h);
    tj_close(&t);
}

static void nothing_to_draw_gives_no_figure(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Empty");
    sb_history h;
    assert_int_equal(sb_history_load(t.j, 1, 0, NULL, &h, NULL), SB_OK);
    sb_span span = {20000, 20100};
    sb_projection p;
    assert_int_equal(sb_projection_run(&h, 20100, 8, 200, 1, NULL, &p, NULL), SB_OK);
    assert_int_equal(p.ran, 0);
    sb_figure f;
    assert_int_equal(sb_figure_scores(&h, SB_ANXIETY, span, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb_figure_plane(&h, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb_figure_therapy(&h, span, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb_figure_relationships(&h, span, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb_figure_triggers(&h, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb_figure_practice(&h, span, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb_figure_projection(&h, &p, SB_ANXIETY, &f, NULL), SB_OK);
    assert_null(f.svg);
    sb_projection_free(&p);
    sb_history_free(&h);
    tj_close(&t);
}

static void clips_text_on_character_boundaries(void **state)
{
    (void)state;
    char out[64];
    sb_figure_clip_text("short", 10, out, sizeof out);
    assert_string_equal(out, "short");
    sb_figure_clip_text("a rather long trigger label", 10, out, sizeof out);
    assert_string_equal(out, "a rathe...");
    /* e-acute is two bytes but one character */
    sb_figure_clip_text("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4, out,
                        sizeof out);
    assert_string_equal(out, "\xC3\xA9...");
    sb_figure_clip_text("\xC3\xA9\xC3\xA9\xC3\xA9", 3, out, sizeof out);
    assert_string_equal(out, "\xC3\xA9\xC3\xA9\xC3\xA9");
    /* A tiny buffer never gets half a character. */
    sb_figure_clip_text("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4, out, 6);
    assert_true(strlen(out) < 6);
    assert_true(strcmp(out, "\xC3") != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_figure_draws_from_a_history),
        cmocka_unit_test(nothing_to_draw_gives_no_figure),
        cmocka_unit_test(clips_text_on_character_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
