/*
 * A client's own pages (/me): home with what is due and what the latest
 * scores say, reflections on triggers, practice of new responses,
 * relationships, the journey report and the download of all their data.
 * The person is always the signed-in client's own (r->user.person): no page
 * here takes a person from the address.
 */
#include "serve/records.h"

#include <securebase/care.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records of a kind of the client, newest first; the caller frees. */
static void *list_newest_first(sb_req *r, sb_journal_kind kind, size_t *n)
{
    void *recs = NULL;
    sb_error err;
    if (sb_journal_list(r->j, kind, r->user.person, &recs, n, &err) != SB_OK) {
        sb_req_fail(r, &err);
        *n = (size_t)-1;
        return NULL;
    }
    size_t size = sb_journal_record_size(kind);
    char *tmp = *n > 1 ? malloc(size) : NULL;
    for (size_t a = 0, b = *n - 1; tmp && a < b; a++, b--) {
        memcpy(tmp, (char *)recs + a * size, size);
        memcpy((char *)recs + a * size, (char *)recs + b * size, size);
        memcpy((char *)recs + b * size, tmp, size);
    }
    free(tmp);
    return recs;
}

/* ---- home ----------------------------------------------------------------- */

static void due_list(sb_req *r, sb_id person, int to_client)
{
    sb_schedule *s;
    size_t n;
    sb_error err;
    if (sb_schedule_list(r->j, person, &s, &n, &err) != SB_OK) {
        sb__html_put(&r->out, "<p>The schedule cannot be read just now.</p>");
        return;
    }
    size_t shown = 0;
    sb__html_put(&r->out, "<ul class=\"due\">");
    for (size_t i = 0; i < n; i++) {
        sb_due d;
        if (sb_care_due(&s[i], r->today, &d, &err) != SB_OK)
            continue;
        sb__html_put(&r->out, "<li class=\"%s\"><span class=\"badge %s\">%s"
                             "</span> ",
                    sb_due_state_name(d.state), sb_due_state_name(d.state),
                    d.state == SB_DUE_NOW       ? "Due"
                    : d.state == SB_DUE_OVERDUE ? "Overdue"
                                                : "Next");
        const sb_instrument *inst =
            sb_item_texts_instrument(r->srv->texts, s[i].instrument);
        sb_page_text(r, inst ? sb_instrument_title(inst) : s[i].instrument);
        sb__html_put(&r->out, " (every %d week%s), %s ", s[i].every_weeks,
                    s[i].every_weeks == 1 ? "" : "s",
                    d.state == SB_DUE_LATER ? "on" : "since");
        sb_page_date(r, d.date);
        if (to_client && d.state != SB_DUE_LATER)
            sb__html_put(&r->out, " &middot; <a href=\"/me/questionnaires/%s\">"
                                 "Answer it now</a>",
                        s[i].instrument);
        sb__html_put(&r->out, "</li>");
        shown++;
    }
    sb__html_put(&r->out, "</ul>");
    if (!shown)
        sb__html_put(&r->out, "<p>%s</p>",
                    to_client ? "Nothing is scheduled for you. You can "
                                "answer a questionnaire whenever you like."
                              : "No measures are scheduled.");
    free(s);
}

void sb_page_me(sb_req *r)
{
    sb_caseload_row row;
    sb_error err;
    sb_status st = sb_caseload_person(r->j, r->user.person, r->today, r->today,
                                      &row, &err);
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    char title[200];
    snprintf(title, sizeof title, "Hello, %s", row.name);
    sb_page_begin(r, title);
    sb_page_notice(r);
    sb__html_put(&r->out, "<section class=\"card\"><h2>What is due</h2>");
    due_list(r, r->user.person, 1);
    sb__html_put(&r->out, "</section><section class=\"card\"><h2>Your latest "
                         "scores</h2>");
    sb_scores_summary(r, &row, 1);
    sb__html_put(&r->out, "<p><a href=\"/me/report\">See your whole journey"
                         "</a></p></section><section class=\"card\"><h2>Keep "
                         "a note</h2><ul class=\"actions\"><li><a "
                         "class=\"button\" href=\"/me/reflections#new\">Write "
                         "a reflection</a></li><li><a class=\"button\" "
                         "href=\"/me/practice#new\">Record practice</a></li>"
                         "<li><a class=\"button secondary\" href=\"/me/"
                         "questionnaires\">Questionnaires</a></li></ul>"
                         "</section>");
    sb_page_end(r);
}

/* ---- shared form pieces ----------------------------------------------------- */

static void text_input(sb_req *r, const char *name, const char *label,
                       const char *hint, int required, int area, size_t max)
{
    const char *v = sb_form_get(&r->form, name);
    sb__html_put(&r->out, "<label for=\"%s\">%s%s</label>", name, label,
                required ? "" : " <span class=\"optional\">(optional)</span>");
    if (hint)
        sb__html_put(&r->out, "<p class=\"hint\" id=\"%s-hint\">%s</p>", name,
                    hint);
    if (area) {
        sb__html_put(&r->out, "<textarea id=\"%s\" name=\"%s\" rows=\"3\" "
                             "maxlength=\"%zu\"%s%s%s%s>",
                    name, name, max, required ? " required" : "",
                    hint ? " aria-describedby=\"" : "", hint ? name : "",
                    hint ? "-hint\"" : "");
        sb_page_text(r, v ? v : "");
        sb__html_put(&r->out, "</textarea>");
        return;
    }
    sb__html_put(&r->out, "<input id=\"%s\" name=\"%s\" maxlength=\"%zu\"%s%s%s"
                         "%s value=\"",
                name, name, max, required ? " required" : "",
                hint ? " aria-describedby=\"" : "", hint ? name : "",
                hint ? "-hint\"" : "");
    sb_page_text(r, v ? v : "");
    sb__html_put(&r->out, "\">");
}

static void date_input(sb_req *r, const char *name, const char *label)
{
    const char *v = sb_form_get(&r->form, name);
    sb__html_put(&r->out, "<label for=\"%s\">%s</label><input type=\"date\" "
                         "id=\"%s\" name=\"%s\" required value=\"",
                name, label, name, name);
    sb_page_text(r, v ? v : r->today);
    sb__html_put(&r->out, "\">");
}

/* Radio buttons in a fieldset; `values` and `labels` end with NULL. */
static void choice(sb_req *r, const char *name, const char *legend,
                   const char *const *values, const char *const *labels,
                   const char *def)
{
    const char *v = sb_form_get(&r->form, name);
    if (!v)
        v = def;
    sb__html_put(&r->out, "<fieldset class=\"choice\"><legend>%s</legend>",
                legend);
    for (size_t i = 0; values[i]; i++)
        sb__html_put(&r->out, "<label><input type=\"radio\" name=\"%s\" "
                             "value=\"%s\"%s%s> %s</label>",
                    name, values[i], v && !strcmp(v, values[i]) ? " checked" : "",
                    i == 0 ? " required" : "", labels[i]);
    sb__html_put(&r->out, "</fieldset>");
}

static const char *const yes_no[] = {"yes", "no", NULL};

/* The delete (or other) button of one record. */
static void record_button(sb_req *r, const char *path, sb_id id,
                          const char *verb, const char *label)
{
    char action[96];
    snprintf(action, sizeof action, "%s/%lld/%s", path, (long long)id, verb);
    sb_page_form(r, action, "inline");
    sb__html_put(&r->out, "<button type=\"submit\" class=\"link\">%s</button>"
                         "</form>",
                label);
}

/* After a POST that stored `kind`: back to the list, or the form again. */
static void stored(sb_req *r, sb_journal_kind kind, void *rec,
                   const char *list, const char *done,
                   void (*page)(sb_req *, const char *))
{
    char problem[SB_ERROR_MSG_MAX];
    if (!sb_record_from_form(r, kind, r->user.person, rec, problem,
                             sizeof problem)) {
        r->status = 400;
        page(r, problem);
        return;
    }
    sb_error err;
    sb_status st = sb_record_add(r, kind, rec, r->user.person, &err);
    if (st == SB_ERR_INVALID || st == SB_ERR_PARSE) {
        r->status = 400;
        page(r, err.message);
    } else if (st != SB_OK) {
        sb_req_fail(r, &err);
    } else {
        sb_req_redirect(r, "%s?done=%s", list, done);
    }
}

/* Deletes the client's own record {id} (ownership checked by the table). */
static void remove_own(sb_req *r, sb_journal_kind kind, const char *list)
{
    sb_rec_reflection any; /* large enough for the id; only the id is used */
    memset(&any, 0, sizeof any);
    any.id = r->params.id;
    sb_error err;
    if (sb_record_change(r, kind, &any, r->user.person, 1, &err) != SB_OK)
        sb_req_fail(r, &err);
    else
        sb_req_redirect(r, "%s?done=deleted", list);
}

/* ---- reflections ---------------------------------------------------------- */

static void reflections_page(sb_req *r, const char *problem)
{
    size_t n;
    sb_rec_reflection *list = list_newest_first(r, SB_KIND_REFLECTION, &n);
    if (n == (size_t)-1)
        return;
    sb_page_begin(r, "Reflections");
    sb_page_notice(r);
    sb__html_put(&r->out, "<p class=\"lead\">When something sets off the old "
                         "pattern, write down what happened, how you used to "
                         "respond, and what you tried instead.</p><section "
                         "class=\"card\" id=\"new\"><h2>A new reflection</h2>");
    if (problem)
        sb_page_error(r, problem);
    sb_page_form(r, "/me/reflections", "stack");
    date_input(r, "date", "Date");
    text_input(r, "trigger", "What set it off",
               "A few words, so that the same trigger can be counted: "
               "'partner slow to reply'.",
               1, 0, SB_JOURNAL_NAME_MAX - 1);
    text_input(r, "situation", "What happened", NULL, 0, 1,
               SB_JOURNAL_TEXT_MAX - 1);
    text_input(r, "old_response", "How you would usually respond", NULL, 0, 1,
               SB_JOURNAL_TEXT_MAX - 1);
    choice(r, "tried", "Did you try a new response?", yes_no,
           (const char *const[]){"Yes", "No", NULL}, NULL);
    text_input(r, "new_response", "The new response",
               "Needed when you tried one.", 0, 1, SB_JOURNAL_TEXT_MAX - 1);
    const char *v = sb_form_get(&r->form, "intensity");
    sb__html_put(&r->out, "<label for=\"intensity\">How strong was the "
                         "feeling?</label><p class=\"hint\" id=\"intensity-"
                         "hint\">0 (not at all) to 10 (as strong as it gets)"
                         "</p><input type=\"number\" id=\"intensity\" "
                         "name=\"intensity\" min=\"0\" max=\"10\" step=\"1\" "
                         "inputmode=\"numeric\" required aria-describedby="
                         "\"intensity-hint\" value=\"");
    sb_page_text(r, v ? v : "");
    sb__html_put(&r->out, "\"><button type=\"submit\">Save the reflection"
                         "</button></form></section><h2>Earlier reflections"
                         "</h2>");
    if (!n)
        sb__html_put(&r->out, "<p>None yet.</p>");
    for (size_t i = 0; i < n; i++) {
        sb_rec_reflection *f = &list[i];
        sb__html_put(&r->out, "<article class=\"entry\"><h3>");
        sb_page_text(r, f->trigger);
        sb__html_put(&r->out, "</h3><p class=\"meta\">");
        sb_page_date(r, f->date);
        sb__html_put(&r->out, " &middot; intensity %d of 10 &middot; %s</p>",
                    f->intensity,
                    f->tried == 1 ? "tried a new response" : "no new response");
        static const char *const labels[3] = {"What happened", "Usual response",
                                              "New response"};
        const char *texts[3] = {f->situation, f->old_response, f->new_response};
        sb__html_put(&r->out, "<dl>");
        for (int k = 0; k < 3; k++) {
            if (!texts[k][0])
                continue;
            sb__html_put(&r->out, "<dt>%s</dt><dd>", labels[k]);
            sb_page_text(r, texts[k]);
            sb__html_put(&r->out, "</dd>");
        }
        sb__html_put(&r->out, "</dl>");
        record_button(r, "/me/reflections", f->id, "delete", "Delete");
        sb__html_put(&r->out, "</article>");
    }
    free(list);
    sb_page_end(r);
}

void sb_page_reflections(sb_req *r)
{
    reflections_page(r, NULL);
}

void sb_page_reflections_post(sb_req *r)
{
    sb_rec_reflection f;
    stored(r, SB_KIND_REFLECTION, &f, "/me/reflections", "reflection",
           reflections_page);
}

void sb_page_reflection_delete(sb_req *r)
{
    remove_own(r, SB_KIND_REFLECTION, "/me/reflections");
}

/* ---- practice ----------------------------------------------------------- */

static void practice_page(sb_req *r, const char *problem)
{
    size_t n;
    sb_rec_practice *list = list_newest_first(r, SB_KIND_PRACTICE, &n);
    if (n == (size_t)-1)
        return;
    sb_page_begin(r, "Practice");
    sb_page_notice(r);
    sb__html_put(&r->out, "<p class=\"lead\">New ways of responding grow with "
                         "practice. Note what you tried and how it went.</p>"
                         "<section class=\"card\" id=\"new\"><h2>New practice"
                         "</h2>");
    if (problem)
        sb_page_error(r, problem);
    sb_page_form(r, "/me/practice", "stack");
    date_input(r, "date", "Date");
    text_input(r, "behaviour", "What you practised",
               "For example: 'asked for reassurance directly'.", 1, 0,
               SB_JOURNAL_NAME_MAX - 1);
    choice(r, "outcome", "How did it go?",
           (const char *const[]){"positive", "mixed", "negative", NULL},
           (const char *const[]){"Well", "Mixed", "Badly", NULL}, NULL);
    text_input(r, "notes", "Notes", NULL, 0, 1, SB_JOURNAL_TEXT_MAX - 1);
    sb__html_put(&r->out, "<button type=\"submit\">Save</button></form>"
                         "</section><h2>Earlier practice</h2>");
    if (!n)
        sb__html_put(&r->out, "<p>None yet.</p>");
    static const char *const went[] = {"went well", "mixed", "went badly"};
    for (size_t i = 0; i < n; i++) {
        sb__html_put(&r->out, "<article class=\"entry\"><h3>");
        sb_page_text(r, list[i].behaviour);
        sb__html_put(&r->out, "</h3><p class=\"meta\">");
        sb_page_date(r, list[i].date);
        sb__html_put(&r->out, " &middot; <span class=\"outcome %s\">%s</span>"
                             "</p>",
                    sb_practice_outcome_name(list[i].outcome),
                    went[list[i].outcome % 3]);
        if (list[i].notes[0]) {
            sb__html_put(&r->out, "<p>");
            sb_page_text(r, list[i].notes);
            sb__html_put(&r->out, "</p>");
        }
        record_button(r, "/me/practice", list[i].id, "delete", "Delete");
        sb__html_put(&r->out, "</article>");
    }
    free(list);
    sb_page_end(r);
}

void sb_page_practice(sb_req *r)
{
    practice_page(r, NULL);
}

void sb_page_practice_post(sb_req *r)
{
    sb_rec_practice p;
    stored(r, SB_KIND_PRACTICE, &p, "/me/practice", "practice", practice_page);
}

void sb_page_practice_delete(sb_req *r)
{
    remove_own(r, SB_KIND_PRACTICE, "/me/practice");
}

/* ---- relationships ------------------------------------------------------ */

static void relationships_page(sb_req *r, const char *problem)
{
    size_t n;
    sb_rec_relationship *list = list_newest_first(r, SB_KIND_RELATIONSHIP, &n);
    if (n == (size_t)-1)
        return;
    sb_page_begin(r, "Relationships");
    sb_page_notice(r);
    sb__html_put(&r->out, "<p class=\"lead\">The people around you matter to "
                         "how secure you feel. Keep a list of the "
                         "relationships that count, supportive or not.</p>");
    sb__html_put(&r->out, "<h2>Your relationships</h2>");
    if (!n)
        sb__html_put(&r->out, "<p>None yet.</p>");
    for (size_t i = 0; i < n; i++) {
        sb_rec_relationship *x = &list[i];
        sb__html_put(&r->out, "<article class=\"entry\"><h3>");
        sb_page_text(r, x->name);
        sb__html_put(&r->out, " <span class=\"meta\">(%s)</span></h3><p "
                             "class=\"meta\">%s &middot; %s &middot; since ",
                    sb_relationship_kind_name((sb_relationship_kind)x->kind),
                    x->supportive ? "supportive" : "straining",
                    x->secure ? "they seem secure" : "they seem insecure");
        sb_page_date(r, x->start);
        if (x->end[0]) {
            sb__html_put(&r->out, ", ended ");
            sb_page_date(r, x->end);
        }
        sb__html_put(&r->out, "</p>");
        if (x->notes[0]) {
            sb__html_put(&r->out, "<p>");
            sb_page_text(r, x->notes);
            sb__html_put(&r->out, "</p>");
        }
        if (!x->end[0])
            record_button(r, "/me/relationships", x->id, "end",
                          "Mark as ended today");
        sb__html_put(&r->out, "</article>");
    }
    sb__html_put(&r->out, "<section class=\"card\" id=\"new\"><h2>Add a "
                         "relationship</h2>");
    if (problem)
        sb_page_error(r, problem);
    sb_page_form(r, "/me/relationships", "stack");
    text_input(r, "name", "Who", "A name or a word for them.", 1, 0,
               SB_JOURNAL_NAME_MAX - 1);
    choice(r, "kind", "What kind of relationship",
           (const char *const[]){"partner", "friend", "family", "other", NULL},
           (const char *const[]){"Partner", "Friend", "Family", "Other", NULL},
           NULL);
    choice(r, "supportive", "Is it supportive?", yes_no,
           (const char *const[]){"Yes, supportive", "No, straining", NULL},
           NULL);
    choice(r, "secure", "Do they seem secure in relationships?", yes_no,
           (const char *const[]){"Yes", "No", NULL}, NULL);
    date_input(r, "start", "Since when");
    text_input(r, "notes", "Notes", NULL, 0, 1, SB_JOURNAL_TEXT_MAX - 1);
    sb__html_put(&r->out, "<button type=\"submit\">Add</button></form>"
                         "</section>");
    free(list);
    sb_page_end(r);
}

void sb_page_relationships(sb_req *r)
{
    relationships_page(r, NULL);
}

void sb_page_relationships_post(sb_req *r)
{
    sb_rec_relationship x;
    stored(r, SB_KIND_RELATIONSHIP, &x, "/me/relationships", "relationship",
           relationships_page);
}

void sb_page_relationship_end(sb_req *r)
{
    sb_rec_relationship x;
    sb_error err;
    sb_status st = sb_journal_get(r->j, SB_KIND_RELATIONSHIP, r->params.id, &x,
                                  &err);
    if (st == SB_OK && !x.end[0]) {
        snprintf(x.end, sizeof x.end, "%s",
                 strcmp(r->today, x.start) < 0 ? x.start : r->today);
        st = sb_record_change(r, SB_KIND_RELATIONSHIP, &x, r->user.person, 0,
                              &err);
    }
    if (st != SB_OK)
        sb_req_fail(r, &err);
    else
        sb_req_redirect(r, "/me/relationships?done=ended");
}

/* ---- the journey and the data ----------------------------------------------- */

void sb_page_my_report(sb_req *r)
{
    sb_send_report(r, r->user.person, "/me");
}

void sb_page_my_data(sb_req *r)
{
    sb_page_begin(r, "Your data");
    sb__html_put(&r->out, "<p class=\"lead\">Everything recorded about you in "
                         "this practice's journal: your relationships, "
                         "sessions, questionnaires with their answers and "
                         "scores, reflections and practice.</p><ul "
                         "class=\"actions\"><li><a class=\"button\" "
                         "href=\"/me/data/journal.csv\" download>Download as "
                         "CSV</a> <span class=\"hint\">for a spreadsheet"
                         "</span></li><li><a class=\"button\" href=\"/me/"
                         "data/journal.json\" download>Download as JSON</a> "
                         "<span class=\"hint\">for another program</span>"
                         "</li></ul><p class=\"hint\">The files hold personal "
                         "health information: keep them somewhere private."
                         "</p>");
    sb_page_end(r);
}

void sb_page_my_download(sb_req *r)
{
    sb_send_download(r, r->user.person, r->params.name);
}
