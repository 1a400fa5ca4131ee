/*
 * A clinician's pages: the caseload (sortable by any column), adding a
 * client, and a client's page with their scores, journey report, sessions,
 * measure schedules and invite links. Which clients a clinician may open is
 * decided by the route table (routes.c): {person} is always on the caseload
 * by the time a handler here runs.
 */
#include "serve/records.h"

#include <securebase/care.h>
#include <securebase/questionnaire.h>

#include <math.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the caseload ---------------------------------------------------------- */

typedef struct line {
    sb_caseload_kept k;         /* row, change and measures due */
    sb_care_status care;        /* on track? (care layer) */
    sb_care_kept kept;          /* how current `care` is */
} line;

typedef struct column {
    const char *key, *label;
    int (*cmp)(const line *, const line *);
} column;

static int by_text(const char *a, const char *b)
{
    return strcmp(a, b);
}

/* -1, 0, 1; or 2 (-2) when only a (only b) is empty: empty values sort
 * last whichever the direction. */
static int by_number(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b) ? 0 : isnan(a) ? 2 : -2;
    return (a > b) - (a < b);
}

static int c_name(const line *a, const line *b)
{
    return by_text(a->k.row.name, b->k.row.name);
}
static int c_anxiety(const line *a, const line *b)
{
    return by_number(a->k.row.latest[0], b->k.row.latest[0]);
}
static int c_avoidance(const line *a, const line *b)
{
    return by_number(a->k.row.latest[1], b->k.row.latest[1]);
}
static int c_change(const line *a, const line *b)
{
    double x = a->k.row.assessments > 1
                   ? a->k.change[0].change + a->k.change[1].change
                   : NAN;
    double y = b->k.row.assessments > 1
                   ? b->k.change[0].change + b->k.change[1].change
                   : NAN;
    return by_number(x, y);
}
static int c_sessions(const line *a, const line *b)
{
    return by_number((double)a->k.row.attended, (double)b->k.row.attended);
}
static int c_due(const line *a, const line *b)
{
    return (int)a->k.due - (int)b->k.due;
}
static int c_activity(const line *a, const line *b)
{
    return by_text(a->k.row.last_activity, b->k.row.last_activity);
}
static int c_risk(const line *a, const line *b)
{
    return sb_care_status_cmp(&a->care, &b->care);
}

static const column columns[] = {
    {"name", "Client", c_name},
    {"anxiety", "Anxiety", c_anxiety},
    {"avoidance", "Avoidance", c_avoidance},
    {"change", "Change since intake", c_change},
    {"sessions", "Sessions, 4 weeks", c_sessions},
    {"due", "Measures", c_due},
    {"activity", "Last activity", c_activity},
    {"risk", "On track", c_risk},
    {NULL, NULL, NULL}};

/* The heading of column `key`: also each value's label on a phone, where
 * the table becomes one card per client and the headings are hidden. */
static const char *label_of(const char *key)
{
    const column *c = columns;
    while (c->key && strcmp(c->key, key))
        c++;
    return c->label;
}

static int compare(const line *a, const line *b, const column *col,
                   int desc)
{
    int c = col->cmp(a, b);
    if (c == 2 || c == -2)
        return c;
    if (desc)
        c = -c;
    return c ? c : c_name(a, b);
}

/* Insertion sort of pointers: stable, and a caseload is a few dozen. */
static void sort_lines(const line **order, size_t n, const column *col,
                       int desc)
{
    for (size_t i = 1; i < n; i++) {
        const line *tmp = order[i];
        size_t k = i;
        while (k > 0 && compare(order[k - 1], tmp, col, desc) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = tmp;
    }
}

/* The sort links are the table's headings, which a phone does not show
 * (one card per client there): the same choice as a form, which needs no
 * script and is shown on narrow screens only. */
static void sort_form(sb_req *r, const column *col, int desc)
{
    sb__html_put(&r->out, "<form method=\"get\" action=\"/caseload\" "
                         "class=\"row sort\" aria-label=\"Sort the caseload\">"
                         "<div class=\"grow\"><label for=\"sort\">Sort by"
                         "</label><select id=\"sort\" name=\"sort\">");
    for (const column *c = columns; c->key; c++)
        sb__html_put(&r->out, "<option value=\"%s\"%s>%s</option>", c->key,
                    c == col ? " selected" : "", c->label);
    sb__html_put(&r->out, "</select></div><div class=\"grow\"><label "
                         "for=\"dir\">Order</label><select id=\"dir\" "
                         "name=\"dir\"><option value=\"asc\"%s>Ascending "
                         "&#9650;</option><option value=\"desc\"%s>Descending "
                         "&#9660;</option></select></div><button type=\"submit\" "
                         "class=\"secondary\">Sort</button></form>",
                desc ? "" : " selected", desc ? " selected" : "");
}

static void change_cell(sb_req *r, const line *l, int d)
{
    if (l->k.row.assessments < 2) {
        sb__html_put(&r->out, "<td class=\"num muted\">&ndash;</td>");
        return;
    }
    const sb_care_change *c = &l->k.change[d];
    const char *cls = c->status == SB_CHANGE_IMPROVED ||
                              c->status == SB_CHANGE_RECOVERED
                          ? "good"
                      : c->status == SB_CHANGE_DETERIORATED ? "bad"
                                                            : "muted";
    sb__html_put(&r->out, "<td class=\"num\"><span class=\"%s\">%+.2f</span> "
                         "<span class=\"rc %s\">%s</span></td>",
                cls, c->change, cls,
                c->status == SB_CHANGE_UNKNOWN ? "RC unknown"
                                               : sb_change_status_name(
                                                     c->status));
}

static void due_of(sb_req *r, sb_caseload_kept *l)
{
    sb_schedule *s;
    size_t n;
    l->due = SB_DUE_LATER;
    l->due_text[0] = '\0';
    if (sb_schedule_list(r->j, l->row.person, &s, &n, NULL) != SB_OK)
        return;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        sb_due d;
        if (sb_care_due(&s[i], r->today, &d, NULL) != SB_OK ||
            d.state == SB_DUE_LATER)
            continue;
        if (d.state > l->due)
            l->due = d.state;
        len += (size_t)snprintf(l->due_text + len,
                                len < sizeof l->due_text
                                    ? sizeof l->due_text - len
                                    : 0,
                                "%s%s %s", len ? ", " : "", s[i].instrument,
                                sb_due_state_name(d.state));
        if (len >= sizeof l->due_text)
            break;
    }
    free(s);
}

/* Signals a caseload computes itself, of clients who have none kept yet
 * (a model band can take tens of milliseconds); the background thread does
 * the others and the page says they are being computed. */
#define CASELOAD_COMPUTE_NOW 8

/* Each client's signal, as the care cache keeps it. */
static sb_status signals_of(sb_req *r, line *lines, size_t n, sb_error *err)
{
    sb_date today;
    sb_date_parse(r->today, &today, NULL);
    size_t computed = 0;
    for (size_t i = 0; i < n; i++) {
        sb_status st = sb_care_cache_status(
            r->srv->care, r->j, &lines[i].k.row, sb_date_days(today),
            computed < CASELOAD_COMPUTE_NOW, &lines[i].care, &lines[i].kept,
            err);
        if (st != SB_OK)
            return st;
        computed += lines[i].kept == SB_CARE_KEPT_NEW;
    }
    return SB_OK;
}

static void signal_cell(sb_req *r, const sb_care_status *s)
{
    static const char *const badge[] = {"", "on-track", "watch", "off-track"};
    if (s->signal == SB_SIGNAL_NONE)
        sb__html_put(&r->out, "<span class=\"muted\">%s</span>",
                    s->checks ? "no band yet" : "after the 2nd questionnaire");
    else
        sb__html_put(&r->out, "<span class=\"badge %s\" title=\"%s band\">%s"
                             "</span>",
                    badge[s->signal], sb_care_source_name(s->source),
                    sb_care_signal_name(s->signal));
    if (s->attendance.alert_missed)
        sb__html_put(&r->out, " <span class=\"bad\">%zu missed in a row</span>",
                    s->attendance.missed_in_a_row);
    if (s->attendance.alert_gap)
        sb__html_put(&r->out, " <span class=\"bad\">%ld days since a session"
                             "</span>",
                    s->attendance.gap_days);
}

/* What the caseload shows of a client beyond the journal's row: change
 * since intake and the measures due. */
static void derive(sb_req *r, sb_caseload_kept *k)
{
    const sb_instrument *inst =
        sb_item_texts_instrument(r->srv->texts, k->row.instrument);
    static const char *const dim[2] = {"anxiety", "avoidance"};
    for (int d = 0; d < 2; d++) {
        k->change[d].status = SB_CHANGE_UNKNOWN;
        k->change[d].change = k->row.latest[d] - k->row.first[d];
        if (!inst)
            continue;
        sb_scale scale = sb_instrument_scale(inst);
        if (k->row.scale[0])
            (void)sb_scale_parse(k->row.scale, &scale, NULL);
        sb_care_reliable_change(inst, scale, r->srv->opt.norms, dim[d],
                                k->row.first[d], k->row.latest[d],
                                &k->change[d]);
    }
    due_of(r, k);
}

/*
 * The clinician's clients, by name, each with their row: the one the
 * server keeps when nothing it was read from has changed, else read now
 * (every such row in one read transaction, begun after the rows' tickets
 * were taken) and kept. Clients no longer in the journal are left out.
 */
static sb_status lines_of(sb_req *r, long day, const char *since,
                          line **out, size_t *count, sb_error *err)
{
    *out = NULL;
    *count = 0;
    sb_id *ids;
    size_t n;
    sb_status st = sb_caseload_clients(r->j, r->user.id, &ids, &n, err);
    if (st != SB_OK)
        return st;
    line *lines = calloc(n ? n : 1, sizeof *lines);
    sb_caseload_ticket *tickets = calloc(n ? n : 1, sizeof *tickets);
    size_t *miss = calloc(n ? n : 1, sizeof *miss);
    sb_id *miss_ids = calloc(n ? n : 1, sizeof *miss_ids);
    sb_caseload_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!lines || !tickets || !miss || !miss_ids || !rows)
        st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* A write to one of these clients that the read below does not see is
     * committed after the client's ticket is taken and moves it on: what
     * was read is then not kept. Reads inside the writer's open group
     * (which may still be rolled back) are never kept. */
    size_t misses = 0;
    sb_caseload_cache *cache = r->j == r->srv->writer ? NULL : r->srv->rows;
    for (size_t i = 0; st == SB_OK && i < n; i++)
        if (!sb_caseload_cache_get(cache, ids[i], day, &lines[i].k,
                                   &tickets[i])) {
            miss_ids[misses] = ids[i];
            miss[misses++] = i;
        }
    if (st == SB_OK && misses)
        st = sb_caseload_people(r->j, miss_ids, misses, since, r->today, rows,
                                err);
    for (size_t m = 0; st == SB_OK && m < misses; m++) {
        sb_caseload_kept *k = &lines[miss[m]].k;
        k->row = rows[m];
        if (!k->row.person)
            continue; /* gone since the list was read */
        derive(r, k);
        sb_caseload_cache_put(cache, ids[miss[m]], day, &tickets[miss[m]], k);
    }
    size_t kept = 0;
    for (size_t i = 0; st == SB_OK && i < n; i++)
        if (lines[i].k.row.person)
            lines[kept++] = lines[i];
    free(ids);
    free(tickets);
    free(miss);
    free(miss_ids);
    free(rows);
    if (st != SB_OK) {
        free(lines);
        return st;
    }
    *out = lines;
    *count = kept;
    return SB_OK;
}

static void caseload_page(sb_req *r, const char *problem)
{
    char since[SB_DATE_SIZE];
    sb_date today;
    sb_date_parse(r->today, &today, NULL);
    sb_date_format(sb_date_from_days(sb_date_days(today) - 27), since);
    line *lines;
    size_t n;
    sb_error err;
    sb_status st = lines_of(r, sb_date_days(today), since, &lines, &n, &err);
    const line **order = st == SB_OK ? calloc(n ? n : 1, sizeof *order) : NULL;
    if (st == SB_OK && !order)
        st = sb_error_set(&err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; st == SB_OK && i < n; i++)
        order[i] = &lines[i];
    if (st == SB_OK)
        st = signals_of(r, lines, n, &err);
    if (st != SB_OK) {
        free(lines);
        free(order);
        sb_req_fail(r, &err);
        return;
    }
    const char *key = sb_req_query(r, "sort");
    const column *col = &columns[0];
    for (const column *c = columns; key && c->key; c++)
        if (!strcmp(c->key, key))
            col = c;
    const char *dir = sb_req_query(r, "dir");
    int desc = dir && !strcmp(dir, "desc");
    sort_lines(order, n, col, desc);

    /* Reading the caseload reads every client's scores: one entry each. */
    for (size_t i = 0; i < n; i++)
        sb_req_audit(r, "read", "caseload", 0, order[i]->k.row.person, "%s",
                     "/caseload");

    sb_page_begin(r, "Caseload");
    sb_page_notice(r);
    sb__html_put(&r->out, "<p class=\"lead\">%zu client%s. Scores are the "
                         "latest of each client's main questionnaire; change "
                         "is since the first, with its reliable-change status "
                         "where the questionnaire's reliability is known.</p>",
                n, n == 1 ? "" : "s");
    /* Which local norms the change column used, each once. */
    const sb_norms *used[8];
    size_t nused = 0;
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 2 && lines[i].k.row.assessments > 1; d++) {
            const sb_norms *nm = lines[i].k.change[d].local;
            size_t k = 0;
            while (k < nused && used[k] != nm)
                k++;
            if (nm && k == nused && nused < sizeof used / sizeof *used)
                used[nused++] = nm;
        }
    sb_local_norms_note(r, used, nused, 0);
    if (n > 1)
        sort_form(r, col, desc);
    sb_page_table(r, "caseload cards");
    sb__html_put(&r->out, "<caption class=\"visually-hidden\">Clients, sorted "
                         "by %s</caption><thead><tr>",
                col->label);
    for (const column *c = columns; c->key; c++) {
        int on = c == col;
        sb__html_put(&r->out, "<th scope=\"col\"%s><a href=\"/caseload?sort=%s"
                             "&amp;dir=%s\">%s%s</a></th>",
                    on ? (desc ? " aria-sort=\"descending\""
                               : " aria-sort=\"ascending\"")
                       : "",
                    c->key, on && !desc ? "desc" : "asc", c->label,
                    on ? (desc ? "&nbsp;&#9660;" : "&nbsp;&#9650;") : "");
    }
    sb__html_put(&r->out, "</tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        const line *l = order[i];
        sb__html_put(&r->out, "<tr><th scope=\"row\"><a href=\"/clients/%lld\">",
                    (long long)l->k.row.person);
        sb_page_text(r, l->k.row.name);
        sb__html_put(&r->out, "</a>%s</th>",
                    l->k.row.has_account ? ""
                                       : " <span class=\"badge later\">no "
                                         "account yet</span>");
        for (int d = 0; d < 2; d++)
            sb__html_put(&r->out, isnan(l->k.row.latest[d])
                                     ? "<td class=\"num muted\" "
                                       "data-label=\"%s\">&ndash;</td>"
                                     : "<td class=\"num\" data-label=\"%s\">"
                                       "%.2f</td>",
                        label_of(d ? "avoidance" : "anxiety"),
                        l->k.row.latest[d]);
        sb__html_put(&r->out, "<td class=\"stack-cell\" data-label=\"%s\">",
                    label_of("change"));
        if (l->k.row.assessments > 1) {
            sb__html_put(&r->out, "<table class=\"mini\"><tr><th>anx</th>");
            change_cell(r, l, 0);
            sb__html_put(&r->out, "</tr><tr><th>avo</th>");
            change_cell(r, l, 1);
            sb__html_put(&r->out, "</tr></table>");
        } else {
            sb__html_put(&r->out, "<span class=\"muted\">%s</span>",
                        l->k.row.assessments ? "one questionnaire"
                                           : "none yet");
        }
        sb__html_put(&r->out, "</td><td class=\"num\" data-label=\"%s\">%zu "
                             "attended%s",
                    label_of("sessions"), l->k.row.attended,
                    l->k.row.missed ? ", " : "");
        if (l->k.row.missed)
            sb__html_put(&r->out, "<span class=\"bad\">%zu missed</span>",
                        l->k.row.missed);
        sb__html_put(&r->out, "</td><td data-label=\"%s\">", label_of("due"));
        if (l->k.due_text[0]) {
            sb__html_put(&r->out, "<span class=\"badge %s\">",
                        sb_due_state_name(l->k.due));
            sb_page_text(r, l->k.due_text);
            sb__html_put(&r->out, "</span>");
        } else {
            sb__html_put(&r->out, "<span class=\"muted\">nothing due</span>");
        }
        sb__html_put(&r->out, "</td><td data-label=\"%s\">",
                    label_of("activity"));
        sb_page_date(r, l->k.row.last_activity);
        sb__html_put(&r->out, "</td><td data-label=\"%s\">", label_of("risk"));
        if (l->kept == SB_CARE_KEPT_PENDING)
            sb__html_put(&r->out, "<span class=\"muted\">being computed"
                                 "</span>");
        else
            signal_cell(r, &l->care);
        if (l->kept == SB_CARE_KEPT_UPDATING)
            sb__html_put(&r->out, " <span class=\"muted\">(updating)</span>");
        sb__html_put(&r->out, "</td></tr>");
    }
    if (!n)
        sb__html_put(&r->out, "<tr><td colspan=\"8\">No clients yet: add one "
                             "below, or ask the administrator to assign "
                             "them.</td></tr>");
    sb__html_put(&r->out, "</tbody></table></div><section class=\"card\" "
                         "id=\"new\"><h2>Add a client</h2>");
    if (problem)
        sb_page_error(r, problem);
    sb_page_form(r, "/clients", "stack narrow");
    sb__html_put(&r->out, "<label for=\"name\">Name or pseudonym</label><p "
                         "class=\"hint\" id=\"name-hint\">As the client will "
                         "see it. It must be unique in the practice.</p>"
                         "<input id=\"name\" name=\"name\" required "
                         "maxlength=\"127\" aria-describedby=\"name-hint\">"
                         "<button type=\"submit\">Add to my caseload</button>"
                         "</form></section>");
    free(order);
    free(lines);
    sb_page_end(r);
}

void sb_page_caseload(sb_req *r)
{
    caseload_page(r, NULL);
}

void sb_page_client_new_post(sb_req *r)
{
    sb_rec_person p;
    char problem[SB_ERROR_MSG_MAX];
    if (!sb_record_from_form(r, SB_KIND_PERSON, 0, &p, problem,
                             sizeof problem)) {
        r->status = 400;
        caseload_page(r, problem);
        return;
    }
    sb_error err;
    sb_status st = sb_req_change_begin(r, &err);
    if (st == SB_OK)
        st = sb_journal_add(r->j, SB_KIND_PERSON, &p, &err);
    if (st == SB_OK)
        st = sb_assignment_add(r->j, r->user.id, p.id, r->now, &err);
    if (st == SB_OK) {
        sb_req_audit(r, "add", "person", p.id, p.id, "%s", "new client");
    }
    st = sb_req_change_end(r, st, &err);
    if (st == SB_ERR_INVALID || st == SB_ERR_DB) {
        r->status = 400;
        caseload_page(r, st == SB_ERR_DB ? "That name is taken; choose "
                                           "another (a pseudonym works)."
                                         : err.message);
    } else if (st != SB_OK) {
        sb_req_fail(r, &err);
    } else {
        sb_req_redirect(r, "/clients/%lld?done=client", (long long)p.id);
    }
}

/* ---- a client's page -------------------------------------------------------- */

static void sessions_section(sb_req *r, sb_id person)
{
    sb_rec_session *s;
    size_t n;
    if (sb_journal_list(r->j, SB_KIND_SESSION, person, (void **)&s, &n,
                        NULL) != SB_OK) {
        sb__html_put(&r->out, "<p>The sessions cannot be read just now.</p>");
        return;
    }
    size_t attended = 0;
    for (size_t i = 0; i < n; i++)
        attended += s[i].attended == 1;
    sb__html_put(&r->out, "<p>%zu session%s recorded, %zu attended.</p>", n,
                n == 1 ? "" : "s", attended);
    char action[96];
    snprintf(action, sizeof action, "/clients/%lld/sessions",
             (long long)person);
    sb_page_form(r, action, "row");
    sb__html_put(&r->out, "<div><label for=\"date\">Date</label><input "
                         "type=\"date\" id=\"date\" name=\"date\" required "
                         "value=\"%s\"></div><fieldset class=\"choice\">"
                         "<legend>The client</legend><label><input "
                         "type=\"radio\" name=\"attended\" value=\"yes\" "
                         "checked required> attended</label><label><input "
                         "type=\"radio\" name=\"attended\" value=\"no\"> "
                         "missed it</label></fieldset><div><label "
                         "for=\"minutes\">Minutes</label><input "
                         "type=\"number\" id=\"minutes\" name=\"minutes\" "
                         "min=\"1\" max=\"600\" value=\"50\" required></div>"
                         "<div class=\"grow\"><label for=\"notes\">Notes "
                         "<span class=\"optional\">(optional)</span></label>"
                         "<input id=\"notes\" name=\"notes\" maxlength="
                         "\"1023\"></div><button type=\"submit\">Record the "
                         "session</button></form>",
                r->today);
    if (n) {
        sb_page_table(r, NULL);
        sb__html_put(&r->out, "<thead><tr><th "
                             "scope=\"col\">Date</th><th scope=\"col\">"
                             "Attended</th><th scope=\"col\" class=\"num\">"
                             "Minutes</th><th scope=\"col\">Notes</th><th "
                             "scope=\"col\"><span class=\"visually-hidden\">"
                             "Actions</span></th></tr></thead><tbody>");
        for (size_t k = 0; k < n && k < 12; k++) {
            sb_rec_session *x = &s[n - 1 - k];
            sb__html_put(&r->out, "<tr><td>");
            sb_page_date(r, x->date);
            sb__html_put(&r->out, "</td><td class=\"%s\">%s</td><td "
                                 "class=\"num\">%d</td><td>",
                        x->attended ? "good" : "bad",
                        x->attended ? "attended" : "missed", x->minutes);
            sb_page_text(r, x->notes);
            sb__html_put(&r->out, "</td><td>");
            snprintf(action, sizeof action,
                     "/clients/%lld/sessions/%lld/delete", (long long)person,
                     (long long)x->id);
            sb_page_form(r, action, "inline");
            sb__html_put(&r->out, "<button type=\"submit\" class=\"link\">"
                                 "Delete</button></form></td></tr>");
        }
        sb__html_put(&r->out, "</tbody></table></div>%s",
                    n > 12 ? "<p class=\"hint\">The latest 12; the journey "
                             "report has them all.</p>"
                           : "");
    }
    free(s);
}

static void schedules_section(sb_req *r, sb_id person)
{
    sb_schedule *s;
    size_t n;
    if (sb_schedule_list(r->j, person, &s, &n, NULL) != SB_OK) {
        sb__html_put(&r->out, "<p>The schedules cannot be read just now.</p>");
        return;
    }
    char action[96];
    if (!n)
        sb__html_put(&r->out, "<p>No measures are scheduled.</p>");
    else
        sb__html_put(&r->out, "<ul class=\"due\">");
    for (size_t i = 0; i < n; i++) {
        sb_due d;
        if (sb_care_due(&s[i], r->today, &d, NULL) != SB_OK)
            continue;
        sb__html_put(&r->out, "<li><span class=\"badge %s\">%s</span> ",
                    sb_due_state_name(d.state), sb_due_state_name(d.state));
        sb_page_text(r, s[i].instrument);
        sb__html_put(&r->out, " every %d week%s, next ", s[i].every_weeks,
                    s[i].every_weeks == 1 ? "" : "s");
        sb_page_date(r, d.date);
        sb__html_put(&r->out, " (last answered ");
        sb_page_date(r, s[i].last_done);
        sb__html_put(&r->out, ") ");
        snprintf(action, sizeof action, "/clients/%lld/schedules/%lld/delete",
                 (long long)person, (long long)s[i].id);
        sb_page_form(r, action, "inline");
        sb__html_put(&r->out, "<button type=\"submit\" class=\"link\">Remove"
                             "</button></form></li>");
    }
    if (n)
        sb__html_put(&r->out, "</ul>");
    free(s);
    snprintf(action, sizeof action, "/clients/%lld/schedules",
             (long long)person);
    sb_page_form(r, action, "row");
    sb__html_put(&r->out, "<div><label for=\"instrument\">Questionnaire</label>"
                         "<select id=\"instrument\" name=\"instrument\">");
    char names[SB_INSTRUMENTS_MAX][32];
    size_t k = sb_serve_instruments(names);
    for (size_t i = 0; i < k; i++)
        sb__html_put(&r->out, "<option value=\"%s\">%s</option>", names[i],
                    names[i]);
    sb__html_put(&r->out, "</select></div><div><label for=\"every_weeks\">"
                         "Every (weeks)</label><input type=\"number\" "
                         "id=\"every_weeks\" name=\"every_weeks\" min=\"1\" "
                         "max=\"%d\" value=\"4\" required></div><div><label "
                         "for=\"start\">First due</label><input type=\"date\" "
                         "id=\"start\" name=\"start\" value=\"%s\" required>"
                         "</div><button type=\"submit\">Schedule</button>"
                         "</form>",
                SB_SCHEDULE_WEEKS_MAX, r->today);
}

static void invites_section(sb_req *r, sb_id person, const char *fresh_link)
{
    sb_account acc;
    if (sb_account_of_person(r->j, person, &acc, NULL) == SB_OK) {
        sb__html_put(&r->out, "<p>The client signs in as <strong>");
        sb_page_text(r, acc.username);
        sb__html_put(&r->out, "</strong>%s.</p>",
                    acc.disabled ? " (disabled)" : "");
        return;
    }
    if (fresh_link) {
        sb__html_put(&r->out, "<div class=\"notice\" role=\"status\"><p>Give "
                             "this link to the client (it is shown only "
                             "now, works once, and expires in %lld days):"
                             "</p><p><code class=\"link\">",
                    (long long)(r->srv->opt.invite_ttl / 86400));
        sb_page_text(r, fresh_link);
        sb__html_put(&r->out, "</code></p></div>");
    }
    sb_invite *inv;
    size_t n;
    if (sb_invite_list(r->j, person, &inv, &n, NULL) == SB_OK && n) {
        sb__html_put(&r->out, "<ul class=\"invites\">");
        for (size_t i = 0; i < n; i++) {
            sb_invite_state st = sb_invite_state_at(&inv[i], r->now);
            char made[SB_DATE_SIZE];
            sb_date_format(sb_date_from_days((long)(inv[i].created / 86400)),
                           made);
            sb__html_put(&r->out, "<li>Link made ");
            sb_page_date(r, made);
            sb__html_put(&r->out, ": %s ", sb_invite_state_name(st));
            if (st == SB_INVITE_OPEN) {
                char action[96];
                snprintf(action, sizeof action,
                         "/clients/%lld/invites/%lld/revoke",
                         (long long)person, (long long)inv[i].id);
                sb_page_form(r, action, "inline");
                sb__html_put(&r->out, "<button type=\"submit\" class=\"link\">"
                                     "Revoke</button></form>");
            }
            sb__html_put(&r->out, "</li>");
        }
        sb__html_put(&r->out, "</ul>");
    }
    free(inv);
    char action[64];
    snprintf(action, sizeof action, "/clients/%lld/invites", (long long)person);
    sb_page_form(r, action, NULL);
    sb__html_put(&r->out, "<button type=\"submit\">Create an invite link"
                         "</button></form>");
}

static void client_page(sb_req *r, const char *problem, const char *link)
{
    sb_id person = r->params.person;
    char since[SB_DATE_SIZE];
    sb_date today;
    sb_date_parse(r->today, &today, NULL);
    sb_date_format(sb_date_from_days(sb_date_days(today) - 27), since);
    sb_caseload_row row;
    sb_error err;
    if (sb_caseload_person(r->j, person, since, r->today, &row, &err) !=
        SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    sb_page_begin(r, row.name);
    sb_page_notice(r);
    if (problem)
        sb_page_error(r, problem);
    sb__html_put(&r->out, "<p class=\"crumbs\"><a href=\"/caseload\">&larr; "
                         "Caseload</a></p><section class=\"card\"><h2>Scores"
                         "</h2>");
    sb_scores_summary(r, &row, 0);
    sb__html_put(&r->out, "<ul class=\"actions\"><li><a class=\"button\" "
                         "href=\"/clients/%lld/report\">Journey report</a>"
                         "</li><li><a class=\"button secondary\" "
                         "href=\"/clients/%lld/whatif\">What-if plans</a>"
                         "</li><li><a class=\"button secondary\" "
                         "href=\"/clients/%lld/data/journal.csv\" download>"
                         "Data (CSV)</a></li><li><a class=\"button "
                         "secondary\" href=\"/clients/%lld/data/journal.json\" "
                         "download>Data (JSON)</a></li></ul></section>",
                (long long)person, (long long)person, (long long)person,
                (long long)person);
    sb__html_put(&r->out, "<section class=\"card\"><h2>Sessions</h2>");
    sessions_section(r, person);
    sb__html_put(&r->out, "</section><section class=\"card\"><h2>Measure "
                         "schedule</h2>");
    schedules_section(r, person);
    sb__html_put(&r->out, "</section><section class=\"card\"><h2>Account"
                         "</h2>");
    invites_section(r, person, link);
    sb__html_put(&r->out, "</section>");
    sb_page_end(r);
}

void sb_page_client(sb_req *r)
{
    client_page(r, NULL, NULL);
}

void sb_page_client_report(sb_req *r)
{
    char back[64];
    snprintf(back, sizeof back, "/clients/%lld", (long long)r->params.person);
    sb_send_report(r, r->params.person, back);
}

void sb_page_client_download(sb_req *r)
{
    sb_send_download(r, r->params.person, r->params.name);
}

void sb_page_client_session_post(sb_req *r)
{
    sb_rec_session s;
    char problem[SB_ERROR_MSG_MAX];
    sb_error err;
    if (!sb_record_from_form(r, SB_KIND_SESSION, r->params.person, &s, problem,
                             sizeof problem)) {
        r->status = 400;
        client_page(r, problem, NULL);
        return;
    }
    sb_status st = sb_record_add(r, SB_KIND_SESSION, &s, r->params.person,
                                 &err);
    if (st != SB_OK)
        sb_req_fail(r, &err);
    else
        sb_req_redirect(r, "/clients/%lld?done=session",
                        (long long)r->params.person);
}

void sb_page_client_session_delete(sb_req *r)
{
    sb_rec_session s;
    memset(&s, 0, sizeof s);
    s.id = r->params.id;
    sb_error err;
    if (sb_record_change(r, SB_KIND_SESSION, &s, r->params.person, 1, &err) !=
        SB_OK)
        sb_req_fail(r, &err);
    else
        sb_req_redirect(r, "/clients/%lld?done=deleted",
                        (long long)r->params.person);
}

void sb_page_client_schedule_post(sb_req *r)
{
    sb_schedule s;
    memset(&s, 0, sizeof s);
    s.person = r->params.person;
    const char *inst = sb_form_get(&r->form, "instrument");
    const char *weeks = sb_form_get(&r->form, "every_weeks");
    const char *start = sb_form_get(&r->form, "start");
    char *end = NULL;
    long w = weeks ? strtol(weeks, &end, 10) : 0;
    if (!inst || !start || !weeks || !weeks[0] || *end || w < 1 ||
        w > SB_SCHEDULE_WEEKS_MAX) {
        r->status = 400;
        client_page(r, "Choose a questionnaire, how many weeks apart (1 to "
                       "104) and the first date.",
                    NULL);
        return;
    }
    snprintf(s.instrument, sizeof s.instrument, "%s", inst);
    snprintf(s.start, sizeof s.start, "%s", start);
    s.every_weeks = (int)w;
    sb_error err;
    sb_status st = sb_req_change_begin(r, &err);
    if (st == SB_OK)
        st = sb_schedule_add(r->j, &s, &err);
    if (st == SB_OK) {
        sb_req_audit(r, "add", "schedule", s.id, s.person, "%s every %d weeks",
                     s.instrument, s.every_weeks);
    }
    st = sb_req_change_end(r, st, &err);
    if (st == SB_ERR_INVALID || st == SB_ERR_NOTFOUND || st == SB_ERR_PARSE) {
        r->status = 400;
        client_page(r, err.message, NULL);
    } else if (st != SB_OK) {
        sb_req_fail(r, &err);
    } else {
        sb_req_redirect(r, "/clients/%lld?done=schedule",
                        (long long)r->params.person);
    }
}

void sb_page_client_schedule_delete(sb_req *r)
{
    sb_error err;
    sb_status st = sb_req_change_begin(r, &err);
    if (st == SB_OK)
        st = sb_schedule_delete(r->j, r->params.id, &err);
    if (st == SB_OK) {
        sb_req_audit(r, "delete", "schedule", r->params.id, r->params.person,
                     "%s", "");
    }
    st = sb_req_change_end(r, st, &err);
    if (st != SB_OK)
        sb_req_fail(r, &err);
    else
        sb_req_redirect(r, "/clients/%lld?done=deleted",
                        (long long)r->params.person);
}

/* The address the browser used to reach us, for links given to others. */
static void site(sb_req *r, char *out, size_t size)
{
    const char *host = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND,
                                                   "Host");
    int ok = host && host[0] && strlen(host) < 200;
    for (const char *p = host; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
             (*p >= '0' && *p <= '9') || strchr(".-:[]", *p);
    if (ok)
        snprintf(out, size, "%s://%s", r->srv->tls ? "https" : "http", host);
    else
        snprintf(out, size, "%.*s", (int)strlen(r->srv->url) - 1,
                 r->srv->url);
}

void sb_page_client_invite_post(sb_req *r)
{
    char token[SB_TOKEN_TEXT];
    sb_invite inv;
    sb_error err;
    sb_status st = sb_req_change_begin(r, &err);
    if (st == SB_OK)
        st = sb_invite_create(r->j, SB_INVITE_JOIN, r->params.person,
                              r->user.id, r->now, r->srv->opt.invite_ttl,
                              token, &inv, &err);
    if (st == SB_OK) {
        sb_req_audit(r, "add", "invite", inv.id, r->params.person, "%s", "");
    }
    st = sb_req_change_end(r, st, &err);
    if (st == SB_ERR_INVALID) {
        r->status = 400;
        client_page(r, err.message, NULL);
        return;
    }
    if (st != SB_OK) {
        sb_req_fail(r, &err);
        return;
    }
    char base[256], link[320];
    site(r, base, sizeof base);
    snprintf(link, sizeof link, "%s/join/%s", base, token);
    client_page(r, NULL, link);
}

void sb_page_client_invite_revoke(sb_req *r)
{
    sb_error err;
    sb_status st = sb_req_change_begin(r, &err);
    if (st == SB_OK)
        st = sb_invite_revoke(r->j, r->params.id, &err);
    if (st == SB_OK) {
        sb_req_audit(r, "revoke", "invite", r->params.id, r->params.person,
                     "%s", "");
    }
    st = sb_req_change_end(r, st, &err);
    if (st == SB_ERR_STATE) {
        r->status = 400;
        client_page(r, err.message, NULL);
    } else if (st != SB_OK) {
        sb_req_fail(r, &err);
    } else {
        sb_req_redirect(r, "/clients/%lld?done=revoked",
                        (long long)r->params.person);
    }
}
