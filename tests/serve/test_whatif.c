/* Tests for src/serve/pages_whatif.c: a client's what-if plans on the web. */
#include "serve/helpers.h"

/* An ECR-R with every answer 4: anxiety and avoidance 4.00 (the reverse
 * keyed items stay 4 on the 1-7 scale). */
static void assess(const ts_practice *t, sb_id person)
{
    sb_journal *j;
    sb_error err;
    assert_int_equal(sb_journal_open(t->db, 0, &j, &err), SB_OK);
    sb_rec_assessment a;
    sb_journal_record_init(SB_KIND_ASSESSMENT, &a);
    a.person = person;
    snprintf(a.instrument, sizeof a.instrument, "ecr-r");
    snprintf(a.date, sizeof a.date, "2026-03-04");
    a.item_count = 36;
    for (size_t i = 0; i < 36; i++)
        a.items[i] = 4;
    if (sb_journal_add(j, SB_KIND_ASSESSMENT, &a, &err) != SB_OK)
        fail_msg("%s", err.message);
    sb_journal_close(j);
}

static ts_resp page(const ts_practice *t, ts_user *u, sb_id person,
                    const char *query)
{
    char path[1024];
    snprintf(path, sizeof path, "/clients/%lld/whatif%s", (long long)person,
             query);
    return ts_get(t->port, u, path);
}

static void compares_plans_for_a_client_on_the_caseload(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    assess(&t, t.a);
    ts_user dr, other, ann;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    ts_login(t.port, &other, "dr.b", TS_PASSWORD);
    ts_login(t.port, &ann, "ann", TS_PASSWORD);
    /* The client page links to it. */
    char path[64];
    snprintf(path, sizeof path, "/clients/%lld", (long long)t.a);
    ts_resp r = ts_get(t.port, &dr, path);
    char link[80];
    snprintf(link, sizeof link, "href=\"/clients/%lld/whatif\"", (long long)t.a);
    assert_non_null(strstr(r.body, link));
    ts_resp_free(&r);
    /* A first visit: the default plans, labelled as a model. */
    r = page(&t, &dr, t.a, "");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "This is the output of a simulation model"));
    assert_non_null(strstr(r.body, "Now: anxiety 4.00, avoidance 4.00 on a "
                                   "1-7 scale"));
    assert_non_null(strstr(r.body, "<form method=\"get\""));
    assert_non_null(strstr(r.body, "value=\"therapy=stop\""));
    assert_non_null(strstr(r.body, "<th scope=\"row\">practice=3/week</th>"));
    assert_non_null(strstr(r.body, "After 52 weeks"));
    assert_non_null(strstr(r.body, "Assumptions"));
    assert_non_null(strstr(r.body, "src=\"data:image/svg+xml;base64,"));
    ts_resp_free(&r);
    /* Plans of one's own, named. */
    r = page(&t, &dr, t.a, "?plan1=calm%3Dpractice%3D1%2Fday&plan2=&plan3="
                           "relationship-%3Da+friend");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<th scope=\"row\">calm <small>(practice="
                                   "1/day)</small></th>"));
    assert_non_null(strstr(r.body, "relationship-=a friend"));
    assert_null(strstr(r.body, "<th scope=\"row\">therapy=stop"));
    ts_resp_free(&r);
    /* Someone else's client, and a client, get nothing. */
    r = page(&t, &other, t.a, "");
    assert_int_equal(r.status, 404);
    assert_null(strstr(r.body, "anxiety 4.00"));
    ts_resp_free(&r);
    r = page(&t, &ann, t.a, "");
    assert_int_equal(r.status, 403);
    ts_resp_free(&r);
    ts_stop(&t);
}

static void bad_plans_are_explained_and_escaped(void **state)
{
    (void)state;
    ts_practice t;
    ts_start(&t, NULL);
    assess(&t, t.a);
    ts_user dr;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    ts_resp r = page(&t, &dr, t.a, "?plan1=therapy%3Ddaily");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "therapy: &#39;daily&#39;"));
    assert_non_null(strstr(r.body, "value=\"therapy=daily\""));
    assert_null(strstr(r.body, "After 52 weeks"));
    ts_resp_free(&r);
    r = page(&t, &dr, t.a, "?plan1=%3Cscript%3Ealert(1)%3C%2Fscript%3E%3D"
                           "therapy%3Dstop&plan2=%22%3E%3Cimg+src%3Dx%3E");
    assert_int_equal(r.status, 400);
    assert_null(strstr(r.body, "<script>alert"));
    assert_null(strstr(r.body, "<img src=x"));
    assert_non_null(strstr(r.body, "&lt;script&gt;"));
    ts_resp_free(&r);
    r = page(&t, &dr, t.a, "?plan1=relationship-%3DNobody");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "&#39;Nobody&#39;"));
    ts_resp_free(&r);
    r = page(&t, &dr, t.a, "?plan1=therapy%3Dweekly%0A");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "control character 0x0a"));
    ts_resp_free(&r);
    r = page(&t, &dr, t.a, "?plan1=therapy%3Dweekly%ZZ");
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "Plan 1: "));
    ts_resp_free(&r);
    /* C has no questionnaire: no comparison, said plainly. */
    r = page(&t, &dr, t.c, "");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "no questionnaire with anxiety and "
                                   "avoidance"));
    ts_resp_free(&r);
    ts_stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compares_plans_for_a_client_on_the_caseload),
        cmocka_unit_test(bad_plans_are_explained_and_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
