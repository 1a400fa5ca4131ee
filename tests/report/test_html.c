/* Tests for src/report/html.c: escaping, scroll boxes and embedded figures. */
#include "support.h"

#include "report/html.h"

#include <string.h>

static void escapes_markup_in_text(void **state)
{
    (void)state;
    sb__html h = {0};
    sb__html_put(&h, "<p>%d ", 42);
    sb__html_text(&h, "<script>alert('x')</script> & \"q\"");
    sb__html_put(&h, "</p>");
    assert_string_equal(h.data, "<p>42 &lt;script&gt;alert(&#39;x&#39;)&lt;"
                                "/script&gt; &amp; &quot;q&quot;</p>");
    assert_int_equal(h.len, strlen(h.data));
    sb__html_free(&h);
}

static void embeds_svg_as_base64(void **state)
{
    (void)state;
    /* RFC 4648 examples: "Man" -> TWFu, "Ma" -> TWE=, "M" -> TQ== */
    const char *in[] = {"Man", "Ma", "M", ""};
    const char *out[] = {"TWFu", "TWE=", "TQ==", ""};
    for (int i = 0; i < 4; i++) {
        sb__html h = {0};
        sb__html_svg(&h, in[i], strlen(in[i]), "a \"figure\"");
        char want[200];
        snprintf(want, sizeof want,
                 "<img class=\"figure\" alt=\"a &quot;figure&quot;\" "
                 "src=\"data:image/svg+xml;base64,%s\">",
                 out[i]);
        assert_string_equal(h.data, want);
        sb__html_free(&h);
    }
}

static void a_scroll_box_is_a_named_region_that_takes_the_focus(void **state)
{
    (void)state;
    sb__html h = {0};
    sb__html_scroll_begin(&h, "Ana's <scores> & \"notes\"");
    /* tabindex: a keyboard can scroll it; role and name: a screen reader
     * announces it (axe's scrollable-region-focusable and region rules) */
    assert_string_equal(h.data, "<div class=\"tablewrap\" tabindex=\"0\" "
                                "role=\"region\" aria-label=\"Ana&#39;s "
                                "&lt;scores&gt; &amp; &quot;notes&quot;\">");
    sb__html_free(&h);
}

static void grows_for_long_text(void **state)
{
    (void)state;
    sb__html h = {0};
    for (int i = 0; i < 100000; i++)
        sb__html_text(&h, "<>");
    assert_int_equal(h.len, 800000);
    assert_int_equal(h.failed, 0);
    sb__html_free(&h);
    sb__html_free(&h); /* twice is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_markup_in_text),
        cmocka_unit_test(embeds_svg_as_base64),
        cmocka_unit_test(a_scroll_box_is_a_named_region_that_takes_the_focus),
        cmocka_unit_test(grows_for_long_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
