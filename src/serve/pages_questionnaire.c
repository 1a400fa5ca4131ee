/*
 * Questionnaires answered in the browser. Every item is a group of radio
 * buttons on the instrument's scale; on a small screen each item fills the
 * screen (the stylesheet snaps from one to the next), on a large one they
 * follow each other. "Save and finish later" keeps the answers as a draft;
 * "Submit" checks every answer and stores an assessment, which the measure
 * layer scores as it is stored. Works without JavaScript.
 */
#include "serve/records.h"

#include <securebase/care.h>
#include <securebase/questionnaire.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Our own words for the ends of a scale, used when no text file gives the
 * questionnaire's anchors. */
static const char *generic_anchor(const char *instrument, int value,
                                  sb_scale s)
{
    int rq = !strcmp(instrument, "rq");
    if (value == s.min)
        return rq ? "not at all like me" : "strongly disagree";
    if (value == s.max)
        return rq ? "very much like me" : "strongly agree";
    if ((s.min + s.max) % 2 == 0 && value == (s.min + s.max) / 2)
        return rq ? "somewhat like me" : "neither";
    return NULL;
}

void sb_page_questionnaires(sb_req *r)
{
    sb_page_begin(r, "Questionnaires");
    sb_page_notice(r);
    sb__html_put(&r->out, "<p class=\"lead\">Short questionnaires about how "
                         "you feel in close relationships. There are no right "
                         "answers; answer as you feel these days.</p>");
    sb_schedule *sched = NULL;
    size_t ns = 0;
    sb_error err;
    (void)sb_schedule_list(r->j, r->user.person, &sched, &ns, &err);
    char names[SB_INSTRUMENTS_MAX][32];
    size_t n = sb_serve_instruments(names);
    sb__html_put(&r->out, "<ul class=\"instruments\">");
    for (size_t i = 0; i < n; i++) {
        const sb_instrument *inst =
            sb_item_texts_instrument(r->srv->texts, names[i]);
        if (!inst)
            continue;
        double answers[SB_JOURNAL_ITEMS_MAX];
        size_t got = 0, answered = 0;
        int draft = sb_draft_load(r->j, r->user.id, names[i], answers,
                                  SB_JOURNAL_ITEMS_MAX, &got, NULL) == SB_OK;
        for (size_t k = 0; k < got; k++)
            answered += !isnan(answers[k]);
        sb__html_put(&r->out, "<li class=\"card\"><h2><a href=\"/me/"
                             "questionnaires/%s\">",
                    names[i]);
        sb_page_text(r, sb_instrument_title(inst));
        sb__html_put(&r->out, "</a></h2><p class=\"meta\">%zu items",
                    sb_instrument_item_count(inst));
        for (size_t k = 0; k < ns; k++) {
            sb_due d;
            if (strcmp(sched[k].instrument, names[i]) ||
                sb_care_due(&sched[k], r->today, &d, NULL) != SB_OK)
                continue;
            sb__html_put(&r->out, " &middot; <span class=\"badge %s\">%s"
                                 "</span> ",
                        sb_due_state_name(d.state),
                        d.state == SB_DUE_NOW       ? "due"
                        : d.state == SB_DUE_OVERDUE ? "overdue"
                                                    : "next");
            sb_page_date(r, d.date);
        }
        if (draft)
            sb__html_put(&r->out, " &middot; %zu of %zu answered so far",
                        answered, sb_instrument_item_count(inst));
        sb__html_put(&r->out, "</p></li>");
    }
    sb__html_put(&r->out, "</ul>");
    free(sched);
    sb_page_end(r);
}

/* The instrument of the path (the server's, not to be freed), or a 404
 * page. */
static const sb_instrument *open_instrument(sb_req *r)
{
    const sb_instrument *inst =
        sb_item_texts_instrument(r->srv->texts, r->params.name);
    if (!inst || strcmp(sb_instrument_name(inst), r->params.name)) {
        sb_req_message(r, 404, "Not found",
                       "There is no questionnaire at this address.");
        return NULL;
    }
    return inst;
}

static void form_page(sb_req *r, const sb_instrument *inst,
                      const double *answers, const char *problem,
                      const size_t *missing, size_t nmissing)
{
    const char *name = sb_instrument_name(inst);
    size_t items = sb_instrument_item_count(inst);
    size_t per = sb_instrument_items_per_target(inst);
    sb_scale s = sb_instrument_scale(inst);
    size_t answered = 0;
    for (size_t i = 0; i < items; i++)
        answered += !isnan(answers[i]);
    sb_page_begin(r, sb_instrument_title(inst));
    if (problem) {
        sb_page_error(r, problem);
        if (nmissing) {
            sb__html_put(&r->out, "<p class=\"missing\">Not answered yet: ");
            for (size_t k = 0; k < nmissing && k < 40; k++)
                sb__html_put(&r->out, "%s<a href=\"#item-%zu\">%zu</a>",
                            k ? ", " : "", missing[k] + 1, missing[k] + 1);
            sb__html_put(&r->out, "%s</p>", nmissing > 40 ? ", ..." : "");
        }
    }
    sb__html_put(&r->out, "<p class=\"lead\">%zu statements. For each, choose "
                         "how well it describes how you generally feel in "
                         "close relationships, from %d to %d. Your answers "
                         "so far are kept when you save.</p><p "
                         "class=\"progress\">%zu of %zu answered</p>",
                items, s.min, s.max, answered, items);
    if (sb_item_texts_placeholder(r->srv->texts, name))
        sb__html_put(&r->out, "<p class=\"notice\">Demo: the statements below "
                             "are invented placeholders, not the "
                             "questionnaire's wording, which a practice "
                             "supplies under its licence.</p>");
    char action[96];
    snprintf(action, sizeof action, "/me/questionnaires/%s", name);
    sb_page_form(r, action, "questionnaire");
    size_t targets = sb_instrument_target_count(inst);
    for (size_t i = 0; i < items; i++) {
        size_t within = i % per + 1;
        if (targets && within == 1) {
            sb__html_put(&r->out, "<h2 class=\"target\">About your ");
            sb_page_text(r, sb_instrument_target_name(inst, i / per));
            sb__html_put(&r->out, "</h2>");
        }
        int miss = 0;
        for (size_t k = 0; k < nmissing; k++)
            miss |= missing[k] == i;
        sb__html_put(&r->out, "<fieldset class=\"item%s\" id=\"item-%zu\">"
                             "<legend><span class=\"num\">%zu of %zu</span> ",
                    miss ? " unanswered" : "", i + 1, i + 1, items);
        const char *text = sb_item_text(r->srv->texts, name, within);
        if (text)
            sb_page_text(r, text);
        else
            sb__html_put(&r->out, "Item %zu", within);
        sb__html_put(&r->out, "</legend><div class=\"scale\">");
        for (int v = s.min; v <= s.max; v++) {
            const char *anchor = sb_item_anchor(r->srv->texts, name, v);
            if (!anchor)
                anchor = generic_anchor(name, v, s);
            sb__html_put(&r->out, "<label><input type=\"radio\" "
                                 "name=\"item%zu\" value=\"%d\"%s><span "
                                 "class=\"value\">%d</span>",
                        i + 1, v, answers[i] == v ? " checked" : "", v);
            if (anchor) {
                sb__html_put(&r->out, "<span class=\"anchor\">");
                sb_page_text(r, anchor);
                sb__html_put(&r->out, "</span>");
            }
            sb__html_put(&r->out, "</label>");
        }
        sb__html_put(&r->out, "</div></fieldset>");
    }
    sb__html_put(&r->out, "<div class=\"submitbar\"><button type=\"submit\" "
                         "name=\"action\" value=\"save\" class=\"secondary\">"
                         "Save and finish later</button><button "
                         "type=\"submit\" name=\"action\" value=\"submit\">"
                         "Submit my answers</button></div></form>");
    sb_page_end(r);
}

void sb_page_questionnaire(sb_req *r)
{
    const sb_instrument *inst = open_instrument(r);
    if (!inst)
        return;
    double answers[SB_JOURNAL_ITEMS_MAX];
    size_t items = sb_instrument_item_count(inst), got = 0;
    for (size_t i = 0; i < SB_JOURNAL_ITEMS_MAX; i++)
        answers[i] = NAN;
    sb_error err;
    sb_status st = sb_draft_load(r->j, r->user.id, sb_instrument_name(inst),
                                 answers, items, &got, &err);
    if (st != SB_OK && st != SB_ERR_NOTFOUND) {
        sb_req_fail(r, &err);
        return;
    }
    for (size_t i = got; i < items; i++)
        answers[i] = NAN;
    form_page(r, inst, answers, NULL, NULL, 0);
}

/* Reads the answers of the form: 0 with `problem` set if one is off scale. */
static int read_answers(sb_req *r, const sb_instrument *inst, double *answers,
                        char *problem, size_t size)
{
    sb_scale s = sb_instrument_scale(inst);
    size_t items = sb_instrument_item_count(inst);
    for (size_t i = 0; i < items; i++) {
        char field[32];
        snprintf(field, sizeof field, "item%zu", i + 1);
        const char *v = sb_form_get(&r->form, field);
        answers[i] = NAN;
        if (!v || !v[0])
            continue;
        char *end;
        errno = 0;
        long x = strtol(v, &end, 10);
        if (errno || *end || end == v || v[0] == '+' || v[0] == ' ' ||
            x < s.min || x > s.max) {
            snprintf(problem, size,
                     "The answer to statement %zu is not one of %d to %d.",
                     i + 1, s.min, s.max);
            return 0;
        }
        answers[i] = (double)x;
    }
    /* Nothing else may come with the form. */
    for (size_t k = 0; k < r->form.count; k++) {
        const char *f = r->form.name[k];
        if (!strcmp(f, "csrf") || !strcmp(f, "action"))
            continue;
        char *end;
        unsigned long n = strncmp(f, "item", 4) ? 0 : strtoul(f + 4, &end, 10);
        if (!n || *end || n > items || f[4] == '0') {
            snprintf(problem, size, "The form has a field it should not have.");
            return 0;
        }
    }
    return 1;
}

void sb_page_questionnaire_post(sb_req *r)
{
    const sb_instrument *inst = open_instrument(r);
    if (!inst)
        return;
    const char *name = sb_instrument_name(inst);
    size_t items = sb_instrument_item_count(inst);
    const char *action = sb_form_get(&r->form, "action");
    double answers[SB_JOURNAL_ITEMS_MAX];
    char problem[SB_ERROR_MSG_MAX];
    sb_error err;
    sb_status st = SB_OK;
    if (!action || (strcmp(action, "save") && strcmp(action, "submit"))) {
        sb_req_message(r, 400, "This form could not be read",
                       "The form did not say whether to save or to submit. "
                       "Go back, reload the page and try again.");
        return;
    }
    if (!read_answers(r, inst, answers, problem, sizeof problem)) {
        for (size_t i = 0; i < items; i++)
            answers[i] = NAN;
        (void)sb_draft_load(r->j, r->user.id, name, answers, items,
                            &(size_t){0}, NULL);
        r->status = 400;
        form_page(r, inst, answers, problem, NULL, 0);
        return;
    }
    size_t missing[SB_JOURNAL_ITEMS_MAX], nmissing = 0;
    for (size_t i = 0; i < items; i++)
        if (isnan(answers[i]))
            missing[nmissing++] = i;
    if (!strcmp(action, "save") || nmissing) {
        sb_req_write_begin(r);
        st = sb_draft_save(r->j, r->user.id, name, answers, items, r->now,
                           &err);
        if (st == SB_OK)
            sb_req_audit(r, "save draft", "questionnaire", 0, r->user.person,
                         "%s, %zu of %zu answered", name, items - nmissing,
                         items);
        st = sb_req_write_end(r, st, &err);
        if (st != SB_OK) {
            sb_req_fail(r, &err);
        } else if (!strcmp(action, "save")) {
            sb_req_redirect(r, "/me/questionnaires?done=draft");
        } else {
            snprintf(problem, sizeof problem,
                     "%zu statement%s still need%s an answer; the answers you "
                     "gave are kept.",
                     nmissing, nmissing == 1 ? "" : "s",
                     nmissing == 1 ? "s" : "");
            r->status = 400;
            form_page(r, inst, answers, problem, missing, nmissing);
        }
        return;
    }
    sb_rec_assessment a;
    sb_journal_record_init(SB_KIND_ASSESSMENT, &a);
    a.person = r->user.person;
    snprintf(a.instrument, sizeof a.instrument, "%s", name);
    snprintf(a.date, sizeof a.date, "%s", r->today);
    a.item_count = items;
    memcpy(a.items, answers, items * sizeof *answers);
    st = sb_req_change_begin(r, &err);
    if (st == SB_OK)
        st = sb_journal_add(r->j, SB_KIND_ASSESSMENT, &a, &err);
    if (st == SB_OK)
        st = sb_draft_delete(r->j, r->user.id, name, &err);
    if (st == SB_OK) {
        sb_req_audit(r, "add", "assessment", a.id, a.person, "%s", name);
    }
    st = sb_req_change_end(r, st, &err);
    if (st != SB_OK)
        sb_req_fail(r, &err);
    else
        sb_req_redirect(r, "/me?done=questionnaire");
}
