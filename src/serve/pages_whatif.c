/*
 * A client's what-if plans for their clinician: a form of up to four plans
 * (GET, so the page changes nothing and can be bookmarked) and the model's
 * comparison of them with keep, as the report draws it.
 */
#include "serve/internal.h"
#include "report/whatif.h"

#include <securebase/report.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORM_PLANS 4
/* Simulated people per plan: enough for errors of about a percentage
 * point, quick enough for a page. */
#define PAGE_PEOPLE 2000

static void plan_form(sb_req *r, sb_id person, const char *given[FORM_PLANS])
{
    sb__html_put(&r->out, "<section class=\"card\"><h2>Plans</h2><form "
                         "method=\"get\" action=\"/clients/%lld/whatif\">"
                         "<p class=\"hint\">Each plan is compared with keep "
                         "(nothing changes). Write changes such as "
                         "<code>therapy=fortnightly</code>, <code>practice="
                         "3/week</code>, <code>relationship+=friend,"
                         "supportive</code> or <code>calm=practice=1/day;"
                         "reflection=2/week</code>; leave a box empty to "
                         "compare fewer.</p>",
                (long long)person);
    for (int i = 0; i < FORM_PLANS; i++) {
        sb__html_put(&r->out, "<label for=\"plan%d\">Plan %d</label><input "
                             "type=\"text\" id=\"plan%d\" name=\"plan%d\" "
                             "maxlength=\"%d\" value=\"",
                    i + 1, i + 1, i + 1, i + 1, SB_PLAN_TEXT_MAX - 1);
        sb__html_text(&r->out, given[i] ? given[i] : "");
        sb__html_put(&r->out, "\">");
    }
    sb__html_put(&r->out, "<p><button type=\"submit\">Compare</button></p>"
                         "</form><p class=\"hint\">The grammar and the method "
                         "are in docs/care.md.</p></section>");
}

/*
 * Query values reach the pages as sent (with '+' already a space): each
 * plan is decoded here as one field of a form, with the form parser's
 * checks (escapes, control characters, UTF-8). 0 and a message on failure.
 */
static int query_plan(sb_req *r, int i, char out[SB_PLAN_TEXT_MAX * 3],
                      const char **value, char *problem, size_t size)
{
    char name[8];
    snprintf(name, sizeof name, "plan%d", i + 1);
    const char *raw = sb_req_query(r, name);
    *value = NULL;
    if (!raw)
        return 1;
    if (strlen(raw) >= SB_PLAN_TEXT_MAX * 3 - 3) {
        snprintf(problem, size, "Plan %d is longer than a plan can be.",
                 i + 1);
        return 0;
    }
    char field[SB_PLAN_TEXT_MAX * 3];
    snprintf(field, sizeof field, "p=%s", raw);
    sb_form f;
    sb_error err;
    sb_status st = sb_form_parse(field, strlen(field), &f, &err);
    if (st == SB_OK)
        snprintf(out, SB_PLAN_TEXT_MAX * 3, "%s", sb_form_get(&f, "p"));
    else
        snprintf(problem, size, "Plan %d: %.700s", i + 1, err.message);
    sb_form_free(&f);
    *value = st == SB_OK ? out : NULL;
    return st == SB_OK;
}

void sb_page_client_whatif(sb_req *r)
{
    sb_id person = r->params.person;
    const char *given[FORM_PLANS];
    char text[FORM_PLANS][SB_PLAN_TEXT_MAX * 3];
    char problem[SB_ERROR_MSG_MAX] = "";
    int any = 0, refused = 0;
    for (int i = 0; i < FORM_PLANS; i++) {
        if (!query_plan(r, i, text[i], &given[i], problem, sizeof problem))
            refused = 1;
        any |= given[i] != NULL;
    }
    /* A first visit compares the report's default plans. */
    int k = 0;
    for (const char *const *d = sb_whatif_default_plans(); !any && *d; d++)
        if (strcmp(*d, "keep") && k < FORM_PLANS)
            given[k++] = *d;
    sb_plan plans[FORM_PLANS];
    size_t n = 0;
    sb_error err;
    for (int i = 0; i < FORM_PLANS && !problem[0]; i++) {
        if (!given[i] || !given[i][0])
            continue;
        if (sb_plan_parse(given[i], &plans[n], &err) == SB_OK)
            n++;
        else
            snprintf(problem, sizeof problem, "%s", err.message);
        refused = problem[0] != '\0';
    }
    sb_whatif *w = calloc(1, sizeof *w); /* freed whether or not it ran */
    sb_status st = SB_OK;
    char used[SB_DATE_SIZE] = "";
    if (!w) {
        st = sb_error_set(&err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    } else if (!problem[0]) {
        sb_whatif_options o;
        sb_whatif_options_default(&o);
        o.persons = PAGE_PEOPLE;
        sb_person_records records = {0};
        st = sb_journal_load_person(r->j, person, &records, &err);
        if (st == SB_OK)
            st = sb_report_whatif(&records, NULL, plans, n, &o, w, used, &err);
        sb_person_records_free(&records);
        if (st == SB_ERR_INVALID || st == SB_ERR_NOTFOUND) {
            snprintf(problem, sizeof problem, "%s", err.message);
            refused = st == SB_ERR_INVALID; /* a plan that cannot apply */
            st = SB_OK;
        }
    }
    if (st != SB_OK) {
        if (w)
            sb_whatif_free(w);
        free(w);
        sb_req_fail(r, &err);
        return;
    }
    sb_rec_person who;
    if (sb_journal_get(r->j, SB_KIND_PERSON, person, &who, &err) != SB_OK) {
        sb_whatif_free(w);
        free(w);
        sb_req_fail(r, &err);
        return;
    }
    char title[SB_JOURNAL_NAME_MAX + 32];
    snprintf(title, sizeof title, "What-if plans: %s", who.name);
    if (refused)
        r->status = 400;
    sb_page_begin(r, title);
    sb__html_put(&r->out, "<p class=\"crumbs\"><a href=\"/clients/%lld\">"
                         "&larr; ",
                (long long)person);
    sb__html_text(&r->out, who.name);
    sb__html_put(&r->out, "</a></p>");
    if (problem[0])
        sb_page_error(r, problem);
    plan_form(r, person, given);
    if (!problem[0]) {
        sb__html_put(&r->out, "<section class=\"card model\"><h2>The model's "
                             "comparison, as of ");
        sb_page_date(r, used);
        sb__html_put(&r->out, "</h2>");
        sb__whatif_html(&r->out, w);
        sb__html_put(&r->out, "</section>");
    }
    sb_whatif_free(w);
    free(w);
    sb_page_end(r);
}
