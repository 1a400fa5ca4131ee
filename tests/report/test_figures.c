/* Tests for src/report/figures.c: every figure draws, or says it has none. */
#include "report/helpers.h"

#include "report/figures.h"
#include "report/palette.h"

static void each_figure_draws_from_a_history(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb__history h;
    assert_int_equal(tr_history(t.j, 1, 0, NULL, &h, NULL), SB_OK);
    sb__span span = {h.first_day - 10, h.last_day + 10};
    sb__projection p;
    sb__projection_run_options run = {8, 200, 1, NULL, NULL, NULL};
    assert_int_equal(sb__projection_run(&h, h.last_day, &run, &p, NULL), SB_OK);
    sb__figure f[9];
    assert_int_equal(sb__figure_scores(&h, SB_ANXIETY, span, &f[0], NULL), SB_OK);
    assert_int_equal(sb__figure_scores(&h, SB_AVOIDANCE, span, &f[1], NULL),
                     SB_OK);
    assert_int_equal(sb__figure_plane(&h, &f[2], NULL), SB_OK);
    assert_int_equal(sb__figure_therapy(&h, span, &f[3], NULL), SB_OK);
    assert_int_equal(sb__figure_relationships(&h, span, &f[4], NULL), SB_OK);
    assert_int_equal(sb__figure_triggers(&h, &f[5], NULL), SB_OK);
    assert_int_equal(sb__figure_practice(&h, span, &f[6], NULL), SB_OK);
    assert_int_equal(sb__figure_projection(&h, &p, SB_ANXIETY, &f[7], NULL),
                     SB_OK);
    assert_int_equal(sb__figure_projection(&h, &p, SB_AVOIDANCE, &f[8], NULL),
                     SB_OK);
    for (int i = 0; i < 9; i++) {
        assert_non_null(f[i].svg);
        assert_non_null(strstr(f[i].svg, "<svg"));
        assert_int_equal(strlen(f[i].svg), f[i].len);
        free(f[i].svg);
    }
    sb__projection_free(&p);
    sb__history_free(&h);
    tj_close(&t);
}

static void nothing_to_draw_gives_no_figure(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Empty");
    sb__history h;
    assert_int_equal(tr_history(t.j, 1, 0, NULL, &h, NULL), SB_OK);
    sb__span span = {20000, 20100};
    sb__projection p;
    sb__projection_run_options run = {8, 200, 1, NULL, NULL, NULL};
    assert_int_equal(sb__projection_run(&h, 20100, &run, &p, NULL), SB_OK);
    assert_int_equal(p.ran, 0);
    sb__figure f;
    assert_int_equal(sb__figure_scores(&h, SB_ANXIETY, span, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb__figure_plane(&h, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb__figure_therapy(&h, span, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb__figure_relationships(&h, span, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb__figure_triggers(&h, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb__figure_practice(&h, span, &f, NULL), SB_OK);
    assert_null(f.svg);
    assert_int_equal(sb__figure_projection(&h, &p, SB_ANXIETY, &f, NULL), SB_OK);
    assert_null(f.svg);
    sb__projection_free(&p);
    sb__history_free(&h);
    tj_close(&t);
}

static void clips_text_on_character_boundaries(void **state)
{
    (void)state;
    char out[64];
    sb__figure_clip_text("short", 10, out, sizeof out);
    assert_string_equal(out, "short");
    sb__figure_clip_text("a rather long trigger label", 10, out, sizeof out);
    assert_string_equal(out, "a rathe...");
    /* e-acute is two bytes but one character */
    sb__figure_clip_text("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4, out,
                         sizeof out);
    assert_string_equal(out, "\xC3\xA9...");
    sb__figure_clip_text("\xC3\xA9\xC3\xA9\xC3\xA9", 3, out, sizeof out);
    assert_string_equal(out, "\xC3\xA9\xC3\xA9\xC3\xA9");
    /* A tiny buffer never gets half a character. */
    sb__figure_clip_text("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4, out, 6);
    assert_true(strlen(out) < 6);
    assert_true(strcmp(out, "\xC3") != 0);
}

/* How many times the figure paints with a meaning's colour. */
static int uses(const char *svg, sb__meaning m)
{
    return sb_test_svg_colour_uses(svg, sb__palette_hex(m));
}

/* A sudden loss is drawn in its own colour, never in the colour of a
 * reliably worse score (no score here is reliably worse). */
static void sudden_loss_is_not_drawn_as_reliably_worse(void **state)
{
    (void)state;
    static sb__history h;
    memset(&h, 0, sizeof h);
    snprintf(h.instrument, sizeof h.instrument, "ecr");
    h.scale = (sb_scale){1, 5};
    sb__series_point pts[5];
    const double avoid[5] = {3.0, 2.7, 3.3, 3.3, 3.2};
    for (int i = 0; i < 5; i++) {
        pts[i].day = 20000 + 28 * i;
        pts[i].score[SB_ANXIETY] = 3.0;
        pts[i].score[SB_AVOIDANCE] = avoid[i];
        pts[i].assessment = i + 1;
    }
    h.points = pts;
    h.point_count = 5;
    h.rc[SB_ANXIETY] = h.rc[SB_AVOIDANCE] = 0.5;
    h.event_count = 1;
    h.events[0].dimension = SB_AVOIDANCE;
    h.events[0].sudden.kind = SB_SUDDEN_LOSS;
    h.events[0].sudden.index = 1;
    sb__span span = {19990, 20130};
    sb__figure f;
    assert_int_equal(sb__figure_scores(&h, SB_AVOIDANCE, span, &f, NULL), SB_OK);
    assert_true(uses(f.svg, SB_MEANING_AVOIDANCE) > 0); /* the format holds */
    /* the arrow, its head and its label, and the legend's swatch */
    assert_true(uses(f.svg, SB_MEANING_SUDDEN) >= 4);
    /* "reliably worse" only in the legend */
    assert_int_equal(uses(f.svg, SB_MEANING_WORSE), 1);
    free(f.svg);
    /* a reliably worse score brings its colour, and only it */
    pts[4].score[SB_AVOIDANCE] = 3.6;
    assert_int_equal(sb__figure_scores(&h, SB_AVOIDANCE, span, &f, NULL), SB_OK);
    assert_int_equal(uses(f.svg, SB_MEANING_WORSE), 2);
    free(f.svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_figure_draws_from_a_history),
        cmocka_unit_test(nothing_to_draw_gives_no_figure),
        cmocka_unit_test(clips_text_on_character_boundaries),
        cmocka_unit_test(sudden_loss_is_not_drawn_as_reliably_worse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
