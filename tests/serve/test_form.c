/*
 * The request parsing the web face does itself: form bodies, the Cookie
 * header and paths against route patterns, with hostile input.
 */
#include "support.h"

#include "serve/form.h"

#include <string.h>

static void forms_decode_strictly(void **state)
{
    (void)state;
    sb_form f;
    sb_error err;
    const char *body = "name=Ann+Example&note=caf%C3%A9%0D%0Aline&empty=";
    assert_int_equal(sb_form_parse(body, strlen(body), &f, &err), SB_OK);
    assert_int_equal(f.count, 3);
    assert_string_equal(sb_form_get(&f, "name"), "Ann Example");
    assert_string_equal(sb_form_get(&f, "note"), "café\nline");
    assert_string_equal(sb_form_get(&f, "empty"), "");
    assert_null(sb_form_get(&f, "missing"));
    sb_form_free(&f);
    assert_int_equal(sb_form_parse("", 0, &f, &err), SB_OK);
    assert_int_equal(f.count, 0);
    sb_form_free(&f);
    /* Lengths are explicit: a NUL inside the data is not the end. */
    assert_int_equal(sb_form_parse("a=1\0b=2", 7, &f, &err), SB_ERR_PARSE);
    sb_form_free(&f);
    const char *bad[] = {"a",        "=1",     "a=%",      "a=%4",
                         "a=%zz",    "a=%00",  "a=%ff",    "a=1&a=2",
                         "a=1&",     "&a=1",   "a=%C2%80", "a%0A=1",
                         "a=%7F",    "a=%01",  "a=%ED%A0%80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (sb_form_parse(bad[i], strlen(bad[i]), &f, &err) != SB_ERR_PARSE)
            fail_msg("'%s' was accepted", bad[i]);
        assert_true(err.message[0]);
        sb_form_free(&f);
    }
    /* Too many fields, too long a name. */
    char many[4096] = "";
    for (int i = 0; i <= SB_FORM_FIELDS_MAX; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "%sf%d=1",
                 i ? "&" : "", i);
    assert_int_equal(sb_form_parse(many, strlen(many), &f, &err),
                     SB_ERR_PARSE);
    sb_form_free(&f);
    char longname[200];
    memset(longname, 'n', sizeof longname);
    snprintf(longname + 100, 10, "=1");
    assert_int_equal(sb_form_parse(longname, strlen(longname), &f, &err),
                     SB_ERR_PARSE);
    sb_form_free(&f);
}

static void cookies_are_found_once(void **state)
{
    (void)state;
    char v[64];
    assert_true(sb_cookie_find("a=1; sb_session=abc; b=2", "sb_session", v,
                               sizeof v));
    assert_string_equal(v, "abc");
    assert_true(sb_cookie_find("sb_session=\"q\"", "sb_session", v, sizeof v));
    assert_string_equal(v, "q");
    assert_false(sb_cookie_find("x_sb_session=abc", "sb_session", v, sizeof v));
    assert_false(sb_cookie_find("sb_session=a; sb_session=b", "sb_session", v,
                                sizeof v));
    assert_false(sb_cookie_find("sb_session=a b", "sb_session", v, sizeof v));
    assert_false(sb_cookie_find("sb_session=a\\b", "sb_session", v, sizeof v));
    assert_false(sb_cookie_find(NULL, "sb_session", v, sizeof v));
    assert_false(sb_cookie_find("sb_session=0123456789", "sb_session", v, 5));
    assert_true(sb_cookie_find(";;  sb_session=z ;", "sb_session", v, sizeof v));
    assert_string_equal(v, "z");
}

static void paths_match_patterns_exactly(void **state)
{
    (void)state;
    sb_path_params p;
    assert_true(sb_path_valid("/clients/12/schedules/3/delete"));
    assert_true(sb_path_match("/clients/{person}/schedules/{id}/delete",
                              "/clients/12/schedules/3/delete", &p));
    assert_int_equal(p.person, 12);
    assert_int_equal(p.id, 3);
    assert_false(sb_path_match("/clients/{person}", "/clients/012", &p));
    assert_false(sb_path_match("/clients/{person}", "/clients/0", &p));
    assert_false(sb_path_match("/clients/{person}", "/clients/-1", &p));
    assert_false(sb_path_match("/clients/{person}", "/clients/1/", &p));
    assert_false(sb_path_match("/clients/{person}",
                               "/clients/99999999999999999999", &p));
    assert_false(sb_path_match("/clients/{person}", "/clients/1x", &p));
    assert_true(sb_path_match("/static/{name}", "/static/style.css", &p));
    assert_string_equal(p.name, "style.css");
    assert_false(sb_path_match("/static/{name}", "/static/Style.css", &p));
    assert_true(sb_path_match("/join/{token}",
                              "/join/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_AAAAA",
                              &p));
    assert_false(sb_path_match("/join/{token}", "/join/short", &p));
    const char *bad[] = {"", "static", "/a//b", "/a/../b", "/a/./b", "/..",
                         "/a/%2e%2e", "/a b", "/a\\b", "/a/b?c"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (sb_path_valid(bad[i]))
            fail_msg("'%s' was taken as a valid path", bad[i]);
    assert_true(sb_path_valid("/"));
    assert_true(sb_path_valid("/me/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forms_decode_strictly),
        cmocka_unit_test(cookies_are_found_once),
        cmocka_unit_test(paths_match_patterns_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
