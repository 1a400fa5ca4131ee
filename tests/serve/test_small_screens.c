/*
 * Pages that become cards on a phone (src/serve/pages_clinician.c,
 * pages_admin.c): the caseload's sort form, which takes the place of the
 * hidden sort links and sends the same parameters, and the audit log,
 * whose every value carries its column's heading as its label.
 */
#include "serve/helpers.h"

/* The text between `from` and the next `to` in `s`, or "" (static). */
static const char *between(const char *s, const char *from, const char *to)
{
    static char out[8192];
    out[0] = '\0';
    const char *a = s ? strstr(s, from) : NULL;
    const char *b = a ? strstr(a + strlen(from), to) : NULL;
    if (b) {
        size_t n = (size_t)(b - a - (ptrdiff_t)strlen(from));
        n = n < sizeof out - 1 ? n : sizeof out - 1;
        memcpy(out, a + strlen(from), n);
        out[n] = '\0';
    }
    return out;
}

static void the_caseload_sorts_by_a_form_without_script(void **state)
{
    (void)state;
    ts_practice t;
    ts_build(&t);
    /* Ann's anxiety is the higher (answers of 6 against Cara's 2). */
    ts_assessment(t.db, t.a, "2026-02-01", 6);
    ts_assessment(t.db, t.c, "2026-02-01", 2);
    ts_serve(&t, NULL);
    ts_user dr;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);

    ts_resp r = ts_get(t.port, &dr, "/caseload");
    assert_int_equal(r.status, 200);
    /* A GET form to the caseload itself: no script, no state changed. */
    char form[8192];
    snprintf(form, sizeof form, "%s",
             between(r.body, "<form method=\"get\" action=\"/caseload\" "
                             "class=\"row sort\"",
                     "</form>"));
    assert_true(form[0]);
    assert_non_null(strstr(form, "<label for=\"sort\">Sort by</label>"
                                 "<select id=\"sort\" name=\"sort\">"));
    assert_non_null(strstr(form, "<label for=\"dir\">Order</label>"
                                 "<select id=\"dir\" name=\"dir\">"));
    assert_non_null(strstr(form, "<button type=\"submit\""));
    /* Unsorted, the caseload is by name, ascending: so says the form. */
    assert_non_null(strstr(form, "<option value=\"name\" selected>Client"));
    assert_non_null(strstr(form, "<option value=\"asc\" selected>"));
    assert_null(strstr(form, "<option value=\"desc\" selected>"));
    /* One choice for every sort link of the table's headings, in order. */
    const char *heads = between(r.body, "<thead>", "</thead>");
    const char *link = heads, *option = form;
    int columns = 0;
    while ((link = strstr(link, "<a href=\"/caseload?sort="))) {
        link += strlen("<a href=\"/caseload?sort=");
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)strcspn(link, "&\""), link);
        char want[64];
        snprintf(want, sizeof want, "<option value=\"%s\"", key);
        option = strstr(option, want);
        if (!option)
            fail_msg("no choice for the sort link of '%s'", key);
        columns++;
    }
    assert_int_equal(columns, 8);
    ts_resp_free(&r);

    /* What the form sends (sort=anxiety, dir=desc) sorts as the link
     * does, and the form shows the choice made. */
    r = ts_get(t.port, &dr, "/caseload?sort=anxiety&dir=desc");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<option value=\"anxiety\" selected>"
                                   "Anxiety</option>"));
    assert_non_null(strstr(r.body, "<option value=\"desc\" selected>"));
    assert_null(strstr(r.body, "<option value=\"asc\" selected>"));
    assert_non_null(strstr(r.body, "aria-sort=\"descending\""));
    const char *ann = strstr(r.body, "Ann Example");
    const char *cara = strstr(r.body, "Cara Example");
    assert_non_null(ann);
    assert_non_null(cara);
    assert_true(ann < cara);
    ts_resp_free(&r);
    r = ts_get(t.port, &dr, "/caseload?sort=anxiety&dir=asc");
    assert_true(strstr(r.body, "Cara Example") < strstr(r.body, "Ann Example"));
    ts_resp_free(&r);
    /* The style sheet shows the form on narrow screens only. */
    r = ts_get(t.port, &dr, "/static/style.css");
    assert_int_equal(r.status, 200);
    const char *hidden = strstr(r.body, "form.sort { display: none; }");
    const char *phone = strstr(r.body, "@media (max-width: 40em)");
    const char *shown = strstr(r.body, "form.sort { display: flex; }");
    assert_non_null(hidden);
    assert_non_null(phone);
    assert_non_null(shown);
    assert_true(hidden < phone && phone < shown);
    ts_resp_free(&r);
    ts_stop(&t);
}

static void every_audit_value_is_labelled_by_its_column(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    ts_user dr, admin;
    /* Entries with a record and a client, and ones without. */
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    char path[64];
    snprintf(path, sizeof path, "/clients/%lld", (long long)t.a);
    ts_resp r = ts_get(t.port, &dr, path);
    ts_resp_free(&r);
    ts_login(t.port, &admin, "admin", TS_PASSWORD);
    r = ts_get(t.port, &admin, "/admin/audit");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<table class=\"audit cards\">"));
    /* The headings, in order. */
    char heading[16][32];
    int columns = 0;
    const char *h = strstr(r.body, "<thead>");
    const char *end = strstr(r.body, "</thead>");
    assert_non_null(h);
    while ((h = strstr(h, "<th scope=\"col\">")) && h < end && columns < 16) {
        h += strlen("<th scope=\"col\">");
        snprintf(heading[columns++], sizeof heading[0], "%.*s",
                 (int)strcspn(h, "<"), h);
    }
    assert_int_equal(columns, 7);
    assert_string_equal(heading[0], "When");
    assert_string_equal(heading[6], "Detail");
    /* Every row: one cell for each heading, labelled with it, in order. */
    const char *body = strstr(r.body, "<tbody>");
    const char *stop = strstr(r.body, "</tbody>");
    assert_non_null(body);
    int rows = 0, with_client = 0;
    for (const char *row = strstr(body, "<tr>"); row && row < stop;
         row = strstr(row + 1, "<tr>")) {
        const char *row_end = strstr(row, "</tr>");
        const char *cell = row;
        int c = 0;
        while ((cell = strstr(cell + 1, "<td")) && cell < row_end) {
            assert_true(c < columns);
            char want[64];
            snprintf(want, sizeof want, "data-label=\"%s\">", heading[c]);
            const char *close = strchr(cell, '>');
            if (strncmp(close - strlen(want) + 1, want, strlen(want)))
                fail_msg("row %d, cell %d: %.80s (wanted %s)", rows, c, cell,
                         want);
            if (c == 4 && close[1] != '<')
                with_client++;
            c++;
        }
        assert_int_equal(c, columns);
        rows++;
    }
    assert_true(rows >= 3);
    assert_true(with_client >= 1);
    ts_resp_free(&r);
    ts_stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_caseload_sorts_by_a_form_without_script),
        cmocka_unit_test(every_audit_value_is_labelled_by_its_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
