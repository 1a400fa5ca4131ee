/* Tests for src/report/plot.c: coordinates, SVG output, bad text. */
#include "support.h"

#include "report/plot.h"

#include <securebase/journal.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void maps_data_into_the_area(void **state)
{
    (void)state;
    sb__plot *p;
    assert_int_equal(sb__plot_new(200, 100, &p, NULL), SB_OK);
    sb__plot_margins(p, 10, 10, 10, 10); /* area 180 x 80 */
    sb__plot_range(p, 0, 10, 0, 1);
    double px, py;
    sb__plot_to_px(p, 5, 0.5, &px, &py);
    assert_true(fabs(px - 100) < 1e-9 && fabs(py - 50) < 1e-9);
    sb__plot_to_px(p, 0, 0, &px, &py);
    assert_true(fabs(px - 10) < 1e-9 && fabs(py - 90) < 1e-9); /* y grows up */
    /* An empty range is widened, never divided by. */
    sb__plot_range(p, 3, 3, 2, 2);
    sb__plot_to_px(p, 3, 2, &px, &py);
    assert_true(isfinite(px) && isfinite(py));
    sb__plot_free(p);
}

static void draws_an_svg_document(void **state)
{
    (void)state;
    sb__plot *p;
    assert_int_equal(sb__plot_new(400, 300, &p, NULL), SB_OK);
    sb__plot_range(p, (double)sb_date_days((sb_date){2026, 1, 1}),
                   (double)sb_date_days((sb_date){2026, 12, 31}), 1, 7);
    sb__plot_title(p, "A title with \xC3\xA9");
    sb__plot_axes(p, SB_AXIS_DATE, SB_AXIS_NUMBER, "when", "score");
    double x[] = {20454, 20500, NAN, 20600}, y[] = {6, 5, 4, 3};
    sb__plot_band(p, x, y, y, 2, sb__rgb(0x336699, 0.3));
    sb__plot_line(p, x, y, 4, sb__rgb(0x336699, 1), 2, 1);
    sb__plot_points(p, x, y, 4, sb__rgb(0x336699, 1), 3);
    sb__plot_rect(p, 20454, 2, 20500, 3, sb__rgb(0xff0000, 1), sb__rgb(0, 1));
    sb__plot_hline(p, 4, sb__rgb(0, 1), 1);
    sb__plot_vline(p, 20500, sb__rgb(0, 1), 0);
    sb__plot_arrow(p, 20454, 6, 20600, 3, sb__rgb(0, 1), 2);
    sb__plot_arrow(p, 20454, 6, 20454, 6, sb__rgb(0, 1), 2); /* no length */
    sb__legend_entry legend[] = {{"line", sb__rgb(0, 1), SB_MARK_LINE},
                                {"box", sb__rgb(0, 1), SB_MARK_BOX},
                                {"dash", sb__rgb(0, 1), SB_MARK_DASH},
                                {"point", sb__rgb(0, 1), SB_MARK_POINT}};
    sb__plot_legend(p, legend, 4);
    assert_true(sb__plot_text_width(p, "wide text", 12, 0) >
                sb__plot_text_width(p, "w", 12, 0));
    char *svg;
    size_t len;
    assert_int_equal(sb__plot_finish(p, &svg, &len, NULL), SB_OK);
    assert_int_equal(strlen(svg), len);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "</svg>"));
    assert_non_null(strstr(svg, "width=\"400"));
    free(svg);
}

static void invalid_text_fails_cleanly(void **state)
{
    (void)state;
    sb__plot *p;
    assert_int_equal(sb__plot_new(100, 100, &p, NULL), SB_OK);
    sb__plot_text_px(p, 10, 10, "bad \xC3\x28 text", SB_ANCHOR_LEFT, 12,
                     sb__rgb(0, 1), 0);
    char *svg = (char *)"not touched";
    size_t len = 7;
    sb_error err;
    assert_int_equal(sb__plot_finish(p, &svg, &len, &err), SB_ERR_INVALID);
    assert_null(svg);
    assert_int_equal(len, 0);
    assert_non_null(strstr(err.message, "cannot draw a figure"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maps_data_into_the_area),
        cmocka_unit_test(draws_an_svg_document),
        cmocka_unit_test(invalid_text_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
