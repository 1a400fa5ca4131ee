/*
 * What the client's and the clinician's pages share: filling a journal
 * record from a form through the journal's own field table, storing or
 * deleting it together with its audit entry, the plain-language summary
 * of a person's scores, their journey report, and downloads of their data.
 */
#include "serve/records.h"

#include <securebase/care.h>
#include <securebase/report.h>

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sb_record_from_form(sb_req *r, sb_journal_kind kind, sb_id person,
                        void *rec, char *problem, size_t size)
{
    size_t n;
    const sb_journal_field *f = sb_journal_fields(kind, &n);
    sb_journal_record_init(kind, rec);
    sb_error err;
    for (size_t i = 0; i < n; i++) {
        if (f[i].type == SB_JFIELD_ID || f[i].type == SB_JFIELD_SCORES ||
            f[i].type == SB_JFIELD_ITEMS)
            continue;
        if (f[i].type == SB_JFIELD_PERSON) {
            *(sb_id *)((char *)rec + f[i].offset) = person;
            continue;
        }
        const char *v = sb_form_get(&r->form, f[i].name);
        if (!v || !v[0])
            continue; /* a required one is reported by the check below */
        if (sb_journal_field_parse(&f[i], v, rec, &err) != SB_OK) {
            snprintf(problem, size, "%s", err.message);
            return 0;
        }
    }
    if (sb_journal_record_check(kind, rec, &err) != SB_OK) {
        snprintf(problem, size, "%s", err.message);
        return 0;
    }
    return 1;
}

sb_status sb_record_add(sb_req *r, sb_journal_kind kind, void *rec,
                        sb_id person, sb_error *err)
{
    sb_status st = sb_req_change_begin(r, err);
    if (st == SB_OK)
        st = sb_journal_add(r->j, kind, rec, err);
    if (st == SB_OK) {
        sb_req_audit(r, "add", sb_journal_kind_name(kind), *(sb_id *)rec,
                     person, "%s", r->path);
    }
    st = sb_req_change_end(r, st, err);
    return st;
}

sb_status sb_record_change(sb_req *r, sb_journal_kind kind, void *rec,
                           sb_id person, int remove, sb_error *err)
{
    sb_id id = *(sb_id *)rec;
    sb_status st = sb_req_change_begin(r, err);
    if (st == SB_OK)
        st = remove ? sb_journal_delete(r->j, kind, id, 0, err)
                    : sb_journal_edit(r->j, kind, rec, err);
    if (st == SB_OK) {
        sb_req_audit(r, remove ? "delete" : "edit", sb_journal_kind_name(kind),
                     id, person, "%s", r->path);
    }
    st = sb_req_change_end(r, st, err);
    return st;
}

/* ---- the summary of scores ------------------------------------------------ */

static const char *region(double anx, double avo, double mid)
{
    return anx < mid ? (avo < mid ? "secure" : "dismissing")
                     : (avo < mid ? "preoccupied" : "fearful");
}

void sb_scores_summary(sb_req *r, const sb_caseload_row *row, int to_client)
{
    sb__html *h = &r->out;
    if (!row->instrument[0]) {
        sb__html_put(h, "<p>%s</p>",
                    to_client ? "No questionnaire is recorded yet. When you "
                                "answer one, a summary of your scores "
                                "appears here."
                              : "No questionnaire with anxiety and avoidance "
                                "scores is recorded yet.");
        return;
    }
    const sb_instrument *inst =
        sb_item_texts_instrument(r->srv->texts, row->instrument);
    if (!inst) {
        sb__html_put(h, "<p>The latest questionnaire cannot be read.</p>");
        return;
    }
    sb_scale scale = sb_instrument_scale(inst);
    if (row->scale[0])
        (void)sb_scale_parse(row->scale, &scale, NULL);
    double mid = (scale.min + scale.max) / 2.0;
    sb__html_put(h, "<p>%s latest <strong>", to_client ? "Your" : "The");
    sb_page_text(r, sb_instrument_title(inst));
    sb__html_put(h, "</strong>, on ");
    sb_page_date(r, row->latest_date);
    sb__html_put(h, ": attachment anxiety <strong>%.2f</strong> and avoidance "
                   "<strong>%.2f</strong> on its %d&ndash;%d scale, where "
                   "lower means more secure. Together they fall in the "
                   "<strong>%s</strong> region of the picture (the middle of "
                   "the scale divides it; this is a way of reading the "
                   "scores, not a diagnosis).</p>",
                row->latest[0], row->latest[1], scale.min, scale.max,
                region(row->latest[0], row->latest[1], mid));
    if (row->assessments < 2) {
        sb__html_put(h, "<p>This is the first one; change shows from the "
                       "second on.</p>");
        return;
    }
    static const char *const dim[2] = {"anxiety", "avoidance"};
    const sb_norms *local = NULL;
    sb__html_put(h, "<ul class=\"changes\">");
    for (int d = 0; d < 2; d++) {
        sb_care_change c;
        sb_care_reliable_change(inst, scale, r->srv->opt.norms, dim[d],
                                row->first[d], row->latest[d], &c);
        if (c.local)
            local = c.local;
        double delta = row->latest[d] - row->first[d];
        sb__html_put(h, "<li>Since the first (");
        sb_page_date(r, row->first_date);
        sb__html_put(h, "), %s has %s", dim[d],
                    fabs(delta) < 0.005 ? "stayed the same"
                    : delta < 0         ? "come down"
                                        : "gone up");
        if (fabs(delta) >= 0.005)
            sb__html_put(h, " by %.2f points", fabs(delta));
        if (c.status == SB_CHANGE_UNKNOWN)
            sb__html_put(h, ". Whether that is more than everyday ups and "
                           "downs cannot be said here: the questionnaire's "
                           "reliability figures are not recorded.</li>");
        else if (c.status == SB_CHANGE_UNCHANGED)
            sb__html_put(h, ", within what measurement alone can explain "
                           "(less than %.2f).</li>",
                        c.threshold);
        else
            sb__html_put(h, ", more than measurement alone explains: %s.</li>",
                        c.status == SB_CHANGE_DETERIORATED ? "a reliable rise"
                        : c.status == SB_CHANGE_RECOVERED
                            ? "a reliable fall into the general range"
                            : "a reliable fall");
    }
    sb__html_put(h, "</ul>");
    if (local)
        sb_local_norms_note(r, &local, 1, to_client);
}

void sb_local_norms_note(sb_req *r, const sb_norms *const *used, size_t n,
                         int to_client)
{
    if (!n)
        return;
    sb__html_put(&r->out, "<p class=\"hint local-norms\">%s",
                 to_client ? "Whether a change is more than everyday ups and "
                             "downs is judged with figures from this "
                             "practice's own clients: "
                           : "Reliable change uses the practice's ");
    for (size_t i = 0; i < n; i++) {
        char text[400];
        sb_norms_describe(used[i], text, sizeof text);
        if (i)
            sb__html_put(&r->out, i + 1 < n ? ", " : " and ");
        sb_page_text(r, text);
    }
    sb__html_put(&r->out, "%s</p>",
                 to_client ? "." : ", before the published figures.");
}

/* ---- the journey report and downloads ------------------------------------ */

/* Puts a link back to the app at the top of the report's body. */
static char *with_back_link(const char *html, size_t len, const char *back,
                            size_t *out_len)
{
    const char *body = strstr(html, "<body>");
    char link[200];
    snprintf(link, sizeof link,
             "<nav class=\"backlink\" aria-label=\"Back\"><a href=\"%s\">"
             "&larr; Back to securebase</a></nav>",
             back);
    size_t at = body ? (size_t)(body - html) + 6 : 0;
    size_t ln = strlen(link);
    char *out = malloc(len + ln + 1);
    if (!out)
        return NULL;
    memcpy(out, html, at);
    memcpy(out + at, link, ln);
    memcpy(out + at + ln, html + at, len - at + 1);
    *out_len = len + ln;
    return out;
}

void sb_send_report(sb_req *r, sb_id person, const char *back)
{
    sb_report_options opt;
    sb_report_options_default(&opt);
    opt.projection_people = 500;
    char *html = NULL;
    size_t len = 0;
    sb_error err;
    /* The report takes the person's records, read here from the journal. */
    sb_person_records records = {0};
    sb_rec_assessment *practice = NULL;
    sb_status st = sb_journal_load_person(r->j, person, &records, &err);
    /* The practice's assessments: the empirical expected-recovery band. */
    if (st == SB_OK)
        st = sb_journal_list_scored(r->j, 0, &practice,
                                    &opt.practice_assessment_count, &err);
    opt.practice_assessments = practice;
    sb_schedule *schedules = NULL;
    if (st == SB_OK)
        st = sb_schedule_list(r->j, person, &schedules, &opt.schedule_count,
                              &err);
    opt.schedules = schedules;
    opt.norms = r->srv->opt.norms;
    if (st == SB_OK)
        st = sb_report_render(&records, &opt, &html, &len, &err);
    sb_person_records_free(&records);
    free(practice);
    free(schedules);
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    size_t full_len;
    char *full = with_back_link(html, len, back, &full_len);
    free(html);
    if (!full) {
        sb_error_set(&err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
        sb_req_fail(r, &err);
        return;
    }
    r->raw = full;
    r->raw_len = full_len;
    r->content_type = "text/html; charset=utf-8";
    /* The report is one self-contained file with its own style sheet and
     * figures as data: images. Only that style sheet is allowed, by its
     * hash; still no script, no frames, no forms. */
    char hash[64] = "";
    const char *open = strstr(full, "<style>");
    const char *close = open ? strstr(open, "</style>") : NULL;
    if (close) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, (const unsigned char *)open + 7,
                           (unsigned long long)(close - open - 7));
        sodium_bin2base64(hash, sizeof hash, digest, sizeof digest,
                          sodium_base64_VARIANT_ORIGINAL);
    }
    snprintf(r->csp, sizeof r->csp,
             "default-src 'none'; style-src 'sha256-%s'; img-src data:; "
             "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
             hash);
}

typedef struct export_of {
    sb_id person;
    sb_export_format format;
} export_of;

static sb_status write_export(sb_req *r, FILE *out, sb_error *err)
{
    const export_of *x = r->capture_ctx;
    return sb_journal_export_stream(r->j, x->format, x->person, out, err);
}

void sb_send_download(sb_req *r, sb_id person, const char *name)
{
    export_of x = {person, SB_EXPORT_CSV};
    if (!strcmp(name, "journal.json"))
        x.format = SB_EXPORT_JSON;
    else if (strcmp(name, "journal.csv")) {
        sb_req_message(r, 404, "Not found", "There is nothing at this address.");
        return;
    }
    r->capture_ctx = &x;
    if (sb_req_capture(r, write_export))
        return;
    sb_req_audit(r, "export", "journal", 0, person, "%s", name);
    r->content_type = x.format == SB_EXPORT_CSV ? "text/csv; charset=utf-8"
                                                : "application/json";
    sb_req_header(r, "Content-Disposition",
                  "attachment; filename=\"securebase-%lld-%s-%s\"",
                  (long long)person, r->today, name);
}
