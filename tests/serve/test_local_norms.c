/*
 * A practice's local norms on the web app (sb_serve_options.norms): the
 * caseload's change column, the client's scores summary, the client's own
 * page and the journey report judge reliable change with them, and each
 * says so with the norms' N and date.
 */
#include "serve/helpers.h"

#include <securebase/journal.h>
#include <securebase/measure.h>

/* ECR-R answers whose keyed values are all `keyed`: anxiety and avoidance
 * are then both `keyed`. */
static void assessment(const char *db, sb_id person, const char *date,
                       int keyed)
{
    sb_instrument *inst;
    sb_error err;
    if (sb_instrument_builtin("ecr-r", &inst, &err) != SB_OK)
        fail_msg("ecr-r: %s", err.message);
    double items[36];
    for (size_t i = 0; i < 36; i++)
        items[i] = sb_instrument_item_reversed(inst, i + 1) ? 8 - keyed : keyed;
    sb_instrument_free(inst);
    ts_assessment_items(db, person, date, items);
}

static void start(ts_practice *t, const sb_norms_set *norms)
{
    sb_serve_options opt;
    sb_serve_options_default(&opt);
    opt.threads = 2;
    opt.norms = norms;
    ts_serve(t, &opt);
}

static void expect_in(const char *body, const char *text)
{
    if (!strstr(body, text))
        fail_msg("the page lacks \"%s\"", text);
}

/*
 * Ann's anxiety and avoidance both come down from 5 to 4 on the ECR-R,
 * which has no published reliability or SD: without local norms the
 * caseload says "RC unknown". The practice's norms give anxiety SD 1.1 and
 * alpha .93, so RCI = -1.0 / (1.1 x sqrt(2 x (1 - .93))) = -1.0 /
 * 0.411582 = -2.43: improved (4.0 is above cutoff a = 4.1 - 2 x 1.1 =
 * 1.9, so not recovered); avoidance SD 1.2 and alpha .80, RCI = -1.0 /
 * (1.2 x sqrt(2 x .2)) = -1.0 / 0.758947 = -1.32: unchanged, within
 * 1.96 x 0.758947 = 1.49.
 */
static void pages_judge_change_by_local_norms_and_say_so(void **state)
{
    (void)state;
    ts_practice t;
    ts_build(&t);
    assessment(t.db, t.a, "2026-02-01", 5);
    assessment(t.db, t.a, "2026-03-01", 4);

    start(&t, NULL);
    ts_user dr;
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    ts_resp r = ts_get(t.port, &dr, "/caseload");
    assert_int_equal(r.status, 200);
    const char *ann = strstr(r.body, "Ann Example");
    assert_non_null(ann);
    expect_in(ann, "RC unknown");
    assert_null(strstr(r.body, "local norms"));
    ts_resp_free(&r);
    sb_server_stop(t.srv);
    t.srv = NULL;

    char *path = sb_test_write(t.dir, "intake-norms.csv",
        "instrument,score,scale,population,n,mean,sd,alpha,alpha_n,date,"
        "source\n"
        "ecr-r,anxiety,1-7,clinical,212,4.1,1.1,0.93,205,2026-03-01,intake\n"
        "ecr-r,avoidance,1-7,clinical,212,3.6,1.2,0.80,207,2026-03-01,"
        "intake\n");
    sb_norms_set *set;
    sb_error err;
    assert_int_equal(sb_norms_set_new(&set, &err), SB_OK);
    assert_int_equal(sb_norms_set_add_file(set, path, NULL, &err), SB_OK);
    start(&t, set);
    ts_login(t.port, &dr, "dr.a", TS_PASSWORD);
    static const char label[] = "local norms of ecr-r (clinical sample, "
                                "N = 212, 2026-03-01, intake)";

    /* the caseload: both verdicts, and the norms named once */
    r = ts_get(t.port, &dr, "/caseload");
    assert_int_equal(r.status, 200);
    ann = strstr(r.body, "Ann Example");
    assert_non_null(ann);
    const char *anx = strstr(ann, "rc good\">improved");
    assert_non_null(anx);
    assert_non_null(strstr(anx, "rc muted\">unchanged"));
    assert_null(strstr(ann, "RC unknown"));
    const char *note = strstr(r.body, "class=\"hint local-norms\"");
    assert_non_null(note);
    assert_true(note < ann);
    expect_in(note, label);
    assert_null(strstr(note + 1, "class=\"hint local-norms\""));
    ts_resp_free(&r);

    /* the client's page: the threshold the norms give, and the label */
    char page[64];
    snprintf(page, sizeof page, "/clients/%lld", (long long)t.a);
    r = ts_get(t.port, &dr, page);
    assert_int_equal(r.status, 200);
    expect_in(r.body, "anxiety has come down by 1.00 points, more than "
                      "measurement alone explains: a reliable fall.");
    expect_in(r.body, "avoidance has come down by 1.00 points, within what "
                      "measurement alone can explain (less than 1.49).");
    expect_in(r.body, "Reliable change uses the practice's ");
    expect_in(r.body, label);
    ts_resp_free(&r);

    /* the journey report the server renders */
    snprintf(page, sizeof page, "/clients/%lld/report", (long long)t.a);
    r = ts_get(t.port, &dr, page);
    assert_int_equal(r.status, 200);
    expect_in(r.body, "local clinical sample: 212 administrations of ecr-r "
                      "(intake, 2026-03-01)");
    expect_in(r.body, "&plusmn;0.81 points (r = 0.93, SD = 1.1)");
    ts_resp_free(&r);

    /* Ann's own page, in her words */
    ts_user me;
    ts_login(t.port, &me, "ann", TS_PASSWORD);
    r = ts_get(t.port, &me, "/me");
    assert_int_equal(r.status, 200);
    expect_in(r.body, "figures from this practice's own clients: ");
    expect_in(r.body, label);
    ts_resp_free(&r);

    sb_server_stop(t.srv);
    t.srv = NULL;
    sb_norms_set_free(set);
    free(path);
    ts_stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pages_judge_change_by_local_norms_and_say_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
