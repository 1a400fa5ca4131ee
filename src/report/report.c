/*
 * The journey report: one self-contained HTML page with a summary, the
 * figures (embedded SVG), compact tables of the numbers behind them, the
 * model projection set apart as a model, and notes on method and privacy.
 * All text from the journal is escaped; the page loads nothing.
 */
#include <securebase/report.h>

#include "report/figures.h"
#include "report/history.h"
#include "report/html.h"
#include "report/palette.h"
#include "report/expected.h"
#include "report/projection.h"
#include "report/whatif.h"

#include <securebase/care.h>
#include <securebase/questionnaire.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void sb_report_options_default(sb_report_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->projection_weeks = 26;
    opt->projection_people = 2000;
    opt->whatif_people = 2000;
    opt->seed = 1;
}

static const char style[] =
    ":root{--ink:#1f2328;--muted:#5b6470;--line:#d9dde3;--soft:#f5f6f8;"
    "--accent:#1f2328;--warn:#8a4b00}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:#eef0f3;color:var(--ink);"
    "font:15px/1.55 'DejaVu Sans',system-ui,-apple-system,'Segoe UI',"
    "Roboto,Helvetica,Arial,sans-serif}"
    "main{max-width:1040px;margin:0 auto;background:#fff;padding:40px 40px 24px}"
    "header{border-bottom:3px solid var(--accent);padding-bottom:14px;"
    "margin-bottom:22px}"
    ".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;"
    "color:var(--accent);font-weight:bold;margin:0}"
    "h1{font-size:30px;margin:4px 0 2px}"
    "h2{font-size:20px;margin:34px 0 6px;padding-top:10px;"
    "border-top:1px solid var(--line)}"
    "h3{font-size:16px;margin:18px 0 6px}"
    ".meta{color:var(--muted);margin:0}"
    /* a link an embedding app puts above the report */
    ".backlink{max-width:1040px;margin:0 auto;padding:14px 40px 10px}"
    ".backlink a{display:inline-block;padding:6px 0;font-weight:bold}"
    ".lead{color:#374151;max-width:820px}"
    ".cards{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;"
    "margin:10px 0 6px}"
    ".card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;"
    "background:var(--soft)}"
    ".card .label{font-size:12px;text-transform:uppercase;letter-spacing:.05em;"
    "color:var(--muted)}"
    ".card .value{font-size:24px;font-weight:bold;margin:2px 0}"
    ".card .value.words{font-size:18px;line-height:1.3;padding:4px 0 2px}"
    ".card .sub{font-size:13px;color:#374151}"
    ".better{color:var(--better)}.worse{color:var(--worse)}"
    ".on-track{color:var(--on-track)}.watch{color:var(--watch)}"
    ".off-track{color:var(--off-track)}"
    ".neutral{color:var(--muted)}"
    ".swatch{display:inline-block;width:.75em;height:.75em;border-radius:2px;"
    "margin-right:.45em;vertical-align:-.05em}"
    "img.figure{display:block;width:100%;height:auto;margin:10px 0;"
    "border:1px solid var(--line);border-radius:6px}"
    ".pair{display:grid;grid-template-columns:560px 1fr;gap:22px;"
    "align-items:start}"
    ".pair img.figure{width:560px}"
    "table{border-collapse:collapse;margin:8px 0 4px;font-size:13.5px}"
    "th,td{padding:4px 10px;border-bottom:1px solid var(--line);"
    "text-align:left;vertical-align:top}"
    "th{background:var(--soft);font-weight:bold}"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
    /* a table wider than a small screen scrolls in its box, not the page */
    ".tablewrap{overflow-x:auto;margin:8px 0 4px}"
    ".tablewrap>table{margin:0}"
    "caption{text-align:left;font-weight:bold;padding:4px 0}"
    ".tablewrap:focus-visible{outline:3px solid var(--ink);outline-offset:2px}"
    ".note{font-size:13px;color:var(--muted);max-width:860px}"
    ".model{background:var(--model);border:2px dashed #9aa0a6;"
    "border-radius:10px;"
    "padding:4px 20px 12px;margin-top:34px}"
    ".model h2{border-top:none}"
    ".banner{background:#fff4d6;border-left:5px solid #b8860b;padding:8px 12px;"
    "font-weight:bold;color:var(--warn)}"
    "ul.tight{margin:4px 0;padding-left:20px}"
    "footer{margin-top:30px;padding-top:10px;border-top:1px solid var(--line);"
    "font-size:12px;color:var(--muted)}"
    "@media (max-width:700px){main{padding:18px 14px}"
    ".backlink{padding:10px 14px 6px}"
    ".cards{grid-template-columns:1fr}.pair{grid-template-columns:1fr}"
    ".pair img.figure{width:100%}}"
    "@media print{"
    "@page{size:A4;margin:14mm}"
    "body{background:#fff;font-size:11pt}"
    "main{max-width:none;padding:0}"
    "h2{break-after:avoid}"
    "img.figure,table,.card,.pair,.banner{break-inside:avoid}"
    ".tablewrap{overflow:visible}"
    ".cards{grid-template-columns:repeat(3,1fr)}"
    ".model{break-before:page}"
    "a{color:inherit;text-decoration:none}}";

/* The palette as style-sheet variables (--better and so on), so that the
 * page's colours are the figures' colours, and a swatch class for each
 * (.swatch.sw-better): a class, not a style attribute, which a page served
 * under a strict Content-Security-Policy could not use. */
static void palette_css(sb__html *h)
{
    sb__html_put(h, ":root{");
    for (int m = 0; m < SB_MEANING_COUNT; m++)
        sb__html_put(h, "--%s:#%06X;", sb__palette_name((sb__meaning)m),
                     sb__palette_hex((sb__meaning)m));
    sb__html_put(h, "}");
    for (int m = 0; m < SB_MEANING_COUNT; m++)
        sb__html_put(h, ".sw-%s{background:var(--%s)}",
                     sb__palette_name((sb__meaning)m),
                     sb__palette_name((sb__meaning)m));
}

/* ---- small formatting helpers -------------------------------------------- */

static void nice_date(long day, char *buf, size_t size)
{
    sb_date d = sb_date_from_days(day);
    snprintf(buf, size, "%d %.3s %d", d.day, sb_month_name(d.month), d.year);
}

static void put_date(sb__html *h, long day)
{
    char buf[32];
    nice_date(day, buf, sizeof buf);
    sb__html_put(h, "%s", buf);
}

static const char *dim_word(int d)
{
    return d == SB_ANXIETY ? "anxiety" : "avoidance";
}

/* "reliable improvement" and so on, from a change and its threshold. */
static const char *change_word(double change, double rc, const char **cls)
{
    if (isnan(rc)) {
        *cls = "neutral";
        return "reliability not known";
    }
    if (change <= -rc) {
        *cls = "better";
        return "reliable improvement";
    }
    if (change >= rc) {
        *cls = "worse";
        return "reliable worsening";
    }
    *cls = "neutral";
    return "no reliable change";
}

static int figure(sb__html *h, sb__figure *f, const char *alt)
{
    if (!f->svg)
        return 0;
    sb__html_svg(h, f->svg, f->len, alt);
    free(f->svg);
    f->svg = NULL;
    return 1;
}

/* ---- sections ------------------------------------------------------------ */

static void header(sb__html *h, const sb__history *hi, long as_of,
                   const char *prepared)
{
    sb__html_put(h, "<header><p class=\"kicker\">securebase &middot; journey "
                   "report &middot; confidential</p><h1>");
    sb__html_text(h, hi->person.name);
    sb__html_put(h, "</h1><p class=\"meta\">");
    if (hi->first_day) {
        sb__html_put(h, "Records from ");
        put_date(h, hi->first_day);
        sb__html_put(h, " to ");
        put_date(h, hi->last_day);
        sb__html_put(h, " &middot; ");
    }
    sb__html_put(h, "report as of ");
    put_date(h, as_of);
    sb__html_put(h, " &middot; prepared ");
    sb__html_text(h, prepared);
    sb__html_put(h, "</p><p class=\"meta\">%zu therapy session%s, %zu "
                   "questionnaire%s, %zu reflection%s, %zu practice entr%s, "
                   "%zu relationship%s</p></header>",
                hi->session_count, hi->session_count == 1 ? "" : "s",
                hi->assessment_count, hi->assessment_count == 1 ? "" : "s",
                hi->reflection_count, hi->reflection_count == 1 ? "" : "s",
                hi->practice_count, hi->practice_count == 1 ? "y" : "ies",
                hi->relationship_count,
                hi->relationship_count == 1 ? "" : "s");
}

/* A card: what is counted (label), the number (value, in `cls`), and a
 * line that says what the number means. `words`: the value is a phrase. */
static void card(sb__html *h, const char *label, const char *value,
                 const char *cls, int words, const char *sub)
{
    sb__html_put(h, "<div class=\"card\"><div class=\"label\">%s</div>"
                   "<div class=\"value %s%s\">%s</div><div class=\"sub\">%s"
                   "</div></div>",
                label, cls, words ? " words" : "", value, sub);
}

static void glance(sb__html *h, const sb__history *hi, long as_of)
{
    char value[96], sub[512];
    sb__html_put(h, "<section class=\"cards\">");
    for (int d = 0; d < 2; d++) {
        char label[64];
        snprintf(label, sizeof label, "Attachment %s now", dim_word(d));
        if (!hi->point_count) {
            card(h, label, "&ndash;", "neutral", 0,
                 "no questionnaire with this score yet");
            continue;
        }
        double first = hi->points[0].score[d];
        double last = hi->points[hi->point_count - 1].score[d];
        const char *cls;
        const char *word = change_word(last - first, hi->rc[d], &cls);
        char since[32];
        nice_date(hi->points[0].day, since, sizeof since);
        snprintf(value, sizeof value, "%.2f", last);
        if (hi->point_count == 1)
            snprintf(sub, sizeof sub, "the only score so far, on the %d&ndash;%d "
                                      "scale (lower is more secure)",
                     hi->scale.min, hi->scale.max);
        else if (isnan(hi->rc[d]))
            snprintf(sub, sizeof sub, "latest score on the %d&ndash;%d scale "
                                      "(lower is more secure); %+.2f since the "
                                      "first, %.2f on %s (%s)",
                     hi->scale.min, hi->scale.max, last - first, first, since,
                     word);
        else
            snprintf(sub, sizeof sub, "latest score on the %d&ndash;%d scale "
                                      "(lower is more secure); %+.2f since the "
                                      "first, %.2f on %s: <span class=\"%s\">%s"
                                      "</span> (beyond &plusmn;%.2f it is more "
                                      "than measurement error)",
                     hi->scale.min, hi->scale.max, last - first, first, since,
                     cls, word, hi->rc[d]);
        card(h, label, value, cls, 0, sub);
    }
    if (hi->session_count) {
        snprintf(value, sizeof value, "%zu of %zu", hi->attended,
                 hi->session_count);
        snprintf(sub, sizeof sub,
                 "scheduled therapy sessions attended (%.0f%%); the longest "
                 "time between two attended sessions was %ld days",
                 100.0 * (double)hi->attended / (double)hi->session_count,
                 hi->longest_gap);
        card(h, "Therapy sessions attended", value, "neutral", 0, sub);
    } else {
        card(h, "Therapy sessions attended", "&ndash;", "neutral", 0,
             "no sessions recorded");
    }
    snprintf(value, sizeof value, "%zu", hi->reflection_count);
    if (hi->reflection_count)
        snprintf(sub, sizeof sub, "times a trigger was written down and "
                                  "reflected on; a new response was tried in "
                                  "%zu of them (%.0f%%)",
                 hi->tried,
                 100.0 * (double)hi->tried / (double)hi->reflection_count);
    else
        snprintf(sub, sizeof sub, "no reflections on triggers recorded");
    card(h, "Reflections on triggers", value, "neutral", 0, sub);
    size_t sup = 0, str = 0;
    for (size_t i = 0; i < hi->relationship_count; i++) {
        const sb_rec_relationship *r = &hi->relationships[i];
        if (r->end[0] && sb__history_day(r->end) <= as_of)
            continue;
        if (r->supportive)
            sup++;
        else
            str++;
    }
    snprintf(value, sizeof value, "%zu supportive, %zu straining", sup, str);
    snprintf(sub, sizeof sub, "relationships that last to the report date "
                              "(%zu recorded in all); section 4 has each one",
             hi->relationship_count);
    card(h, "Relationships now", value, "neutral", 1, sub);
    size_t gains = 0, losses = 0;
    for (size_t e = 0; e < hi->event_count; e++)
        (*(hi->events[e].sudden.kind == SB_SUDDEN_GAIN ? &gains : &losses))++;
    int judged = hi->point_count && !(isnan(hi->rc[0]) && isnan(hi->rc[1]));
    if (judged)
        snprintf(value, sizeof value, "%zu gain%s, %zu loss%s", gains,
                 gains == 1 ? "" : "s", losses, losses == 1 ? "" : "es");
    else
        snprintf(value, sizeof value, "&ndash;");
    card(h, "Sudden changes", value, "neutral", judged,
         judged ? "large changes between two questionnaires in a row that "
                  "lasted; a loss is a setback (section 6)"
                : "not assessed: the questionnaire's reliability is not known");
    sb__html_put(h, "</section>");
}

static void scores_section(sb__html *h, const sb__history *hi, sb__span span,
                           const sb__report_care *care, sb_error *err,
                           sb_status *st)
{
    sb__html_put(h, "<section id=\"scores\"><h2>1. Anxiety and avoidance over "
                   "time</h2>");
    if (!hi->point_count) {
        sb__html_put(h, "<p class=\"lead\">No questionnaire that gives "
                       "attachment anxiety and avoidance (ECR-R, ECR-S, ECR-RS "
                       "or ECR) has been recorded yet.</p></section>");
        return;
    }
    sb__html_put(h, "<p class=\"lead\">Scores of the <b>");
    sb__html_text(h, hi->instrument_title);
    sb__html_put(h, "</b> (%s), answered on a %d&ndash;%d scale, %zu times. "
                   "Lower is more secure. ",
                hi->instrument, hi->scale.min, hi->scale.max, hi->point_count);
    if (!isnan(hi->rc[0]) || !isnan(hi->rc[1]))
        sb__html_put(h, "The shaded band is the first score plus or minus the "
                       "reliable change: a later score outside it differs "
                       "from the first by more than measurement error alone "
                       "would explain (95%%, Jacobson &amp; Truax 1991).</p>");
    else
        sb__html_put(h, "No band is drawn: the questionnaire's reliability and "
                       "spread on this scale are not recorded, so reliable "
                       "change cannot be judged (an instrument file with "
                       "these figures can be given to the report).</p>");
    for (int d = 0; d < 2 && *st == SB_OK; d++) {
        sb__figure f;
        *st = sb__figure_scores(hi, d, span, &f, err);
        char alt[160];
        snprintf(alt, sizeof alt, "Attachment %s over time", dim_word(d));
        if (*st == SB_OK)
            figure(h, &f, alt);
    }
    sb__html_scroll_begin(h, "Scores at each questionnaire");
    sb__html_put(h, "<table><tr><th>date</th><th class=\"num\">anxiety</th>"
                   "<th class=\"num\">change</th><th class=\"num\">avoidance"
                   "</th><th class=\"num\">change</th></tr>");
    for (size_t i = 0; i < hi->point_count; i++) {
        const sb__series_point *p = &hi->points[i];
        sb__html_put(h, "<tr><td>");
        put_date(h, p->day);
        sb__html_put(h, "</td>");
        for (int d = 0; d < 2; d++) {
            double change = p->score[d] - hi->points[0].score[d];
            const char *cls;
            change_word(change, hi->rc[d], &cls);
            sb__html_put(h, "<td class=\"num\">%.2f</td><td class=\"num %s\">",
                         p->score[d], i ? cls : "neutral");
            if (i)
                sb__html_put(h, "%+.2f", change);
            else
                sb__html_put(h, "first");
            sb__html_put(h, "</td>");
        }
        sb__html_put(h, "</tr>");
    }
    sb__html_put(h, "</table></div>");
    if (hi->assessment_count > hi->point_count)
        sb__html_put(h, "<p>%zu other questionnaire%s in the journal (another "
                       "instrument or answer scale, or without both scores) "
                       "%s not in these figures.</p>",
                    hi->assessment_count - hi->point_count,
                    hi->assessment_count - hi->point_count == 1 ? "" : "s",
                    hi->assessment_count - hi->point_count == 1 ? "is" : "are");
    sb__html_put(h, "<p class=\"note\">");
    int known = !isnan(hi->rc[0]) || !isnan(hi->rc[1]);
    if (known) {
        sb__html_put(h, "Reliable change (1.96 &times; S<sub>diff</sub>, "
                       "S<sub>diff</sub> = SD &times; &radic;2 &times; "
                       "&radic;(1 &minus; r)): ");
        for (int d = 0; d < 2; d++) {
            sb__html_put(h, "%s%s ", d ? "; " : "", dim_word(d));
            if (isnan(hi->rc[d]))
                sb__html_put(h, "not known");
            else
                sb__html_put(h, "&plusmn;%.2f points (r = %.3g, SD = %.3g)",
                             hi->rc[d], hi->reliability[d], hi->sd[d]);
        }
        sb__html_put(h, ".<br>");
    }
    /* Where the figures come from, once when both come from the same. */
    int same = !strcmp(hi->rc_source[0], hi->rc_source[1]) &&
               !strcmp(hi->rc_note[0], hi->rc_note[1]);
    for (int d = 0; d < (same ? 1 : 2); d++) {
        if (!same)
            sb__html_put(h, "%s: ", dim_word(d));
        sb__html_text(h, hi->rc_source[d]);
        if (hi->rc_note[d][0]) {
            sb__html_put(h, ". ");
            sb__html_text(h, hi->rc_note[d]);
        }
        sb__html_put(h, "%s<br>", isnan(hi->rc[d]) ? "." : "");
    }
    sb__html_put(h, "</p>");
    if (*st == SB_OK)
        sb__report_care_part(h, hi, care, err, st);
    sb__html_put(h, "</section>");
}

static void plane_section(sb__html *h, const sb__history *hi, sb_error *err,
                          sb_status *st)
{
    if (!hi->point_count)
        return;
    sb__figure f;
    *st = sb__figure_plane(hi, &f, err);
    if (*st != SB_OK)
        return;
    double mid = (hi->scale.min + hi->scale.max) / 2.0;
    sb__html_put(h, "<section id=\"plane\"><h2>2. The path on the "
                   "anxiety&ndash;avoidance plane</h2><div class=\"pair\">");
    figure(h, &f, "Path of the scores on the anxiety-avoidance plane");
    sb__html_put(h, "<div><p>Each point is one questionnaire, joined in time "
                   "order from the grey first point to the dark latest one. "
                   "The two dimensions together place a person in one of four "
                   "regions named after Bartholomew &amp; Horowitz's (1991) "
                   "prototypes:</p><ul class=\"tight\">"
                   "<li><b>secure</b>: low anxiety, low avoidance</li>"
                   "<li><b>preoccupied</b>: high anxiety, low avoidance</li>"
                   "<li><b>dismissing</b>: low anxiety, high avoidance</li>"
                   "<li><b>fearful</b>: high anxiety, high avoidance</li></ul>"
                   "<p class=\"note\">The regions are split at the middle of "
                   "the answer scale (%.1f). That is a convention for reading "
                   "the picture, not a diagnostic cutoff: the dimensions are "
                   "continuous, and movement toward the lower left is what "
                   "matters.</p>",
                mid);
    const sb__series_point *a = &hi->points[0];
    const sb__series_point *b = &hi->points[hi->point_count - 1];
    const char *region[2][2] = {{"secure", "dismissing"},
                                {"preoccupied", "fearful"}};
    sb__html_put(h, "<p>First: <b>%s</b> region (anxiety %.2f, avoidance "
                   "%.2f). Latest: <b>%s</b> region (anxiety %.2f, avoidance "
                   "%.2f).</p></div></div></section>",
                region[a->score[0] >= mid][a->score[1] >= mid], a->score[0],
                a->score[1], region[b->score[0] >= mid][b->score[1] >= mid],
                b->score[0], b->score[1]);
}

static void therapy_section(sb__html *h, const sb__history *hi, sb__span span,
                            sb_error *err, sb_status *st)
{
    sb__html_put(h, "<section id=\"therapy\"><h2>3. Therapy consistency</h2>");
    if (!hi->session_count) {
        sb__html_put(h, "<p class=\"lead\">No therapy sessions are recorded."
                       "</p></section>");
        return;
    }
    sb__html_put(h, "<p class=\"lead\">%zu sessions were scheduled between ",
                 hi->session_count);
    put_date(h, sb__history_day(hi->sessions[0].date));
    sb__html_put(h, " and ");
    put_date(h, sb__history_day(hi->sessions[hi->session_count - 1].date));
    sb__html_put(h, "; %zu were attended (%.0f%%) and %zu missed. A steady, "
                   "predictable therapeutic relationship is itself part of "
                   "what helps, so gaps are shown as well as counts.</p>",
                hi->attended,
                100.0 * (double)hi->attended / (double)hi->session_count,
                hi->session_count - hi->attended);
    sb__figure f;
    *st = sb__figure_therapy(hi, span, &f, err);
    if (*st != SB_OK)
        return;
    figure(h, &f, "Therapy sessions a month, attended and missed");
    if (!hi->gap_count) {
        sb__html_put(h, "<p>No attended sessions were more than %d days apart."
                       "</p></section>",
                    SB_HISTORY_GAP_DAYS);
        return;
    }
    sb__html_put(h, "<h3>Gaps of more than two weeks between attended "
                   "sessions</h3>");
    sb__html_scroll_begin(h, "Gaps between attended sessions");
    sb__html_put(h, "<table><tr><th>from</th><th>to</th>"
                   "<th class=\"num\">days</th><th class=\"num\">sessions missed "
                   "in between</th></tr>");
    for (size_t g = 0; g < hi->gap_count; g++) {
        size_t missed = 0;
        for (size_t i = 0; i < hi->session_count; i++) {
            long d = sb__history_day(hi->sessions[i].date);
            missed += !hi->sessions[i].attended && d > hi->gaps[g].from &&
                      d < hi->gaps[g].to;
        }
        sb__html_put(h, "<tr><td>");
        put_date(h, hi->gaps[g].from);
        sb__html_put(h, "</td><td>");
        put_date(h, hi->gaps[g].to);
        sb__html_put(h, "</td><td class=\"num\">%ld</td><td class=\"num\">%zu"
                       "</td></tr>",
                    hi->gaps[g].to - hi->gaps[g].from, missed);
    }
    sb__html_put(h, "</table></div></section>");
}

static void relationships_section(sb__html *h, const sb__history *hi,
                                  sb__span span, sb_error *err, sb_status *st)
{
    sb__html_put(h, "<section id=\"relationships\"><h2>4. Relationships that "
                   "support or strain</h2>");
    if (!hi->relationship_count) {
        sb__html_put(h, "<p class=\"lead\">No relationships are recorded.</p>"
                       "</section>");
        return;
    }
    sb__html_put(h, "<p class=\"lead\">Responsive, predictable relationships "
                   "&mdash; above all with securely attached people &mdash; "
                   "are the everyday experiences through which security is "
                   "earned; straining ones pull the other way.</p>");
    sb__figure f;
    *st = sb__figure_relationships(hi, span, &f, err);
    if (*st != SB_OK)
        return;
    figure(h, &f, "Relationships over time, supportive or straining");
    sb__html_scroll_begin(h, "Relationships");
    sb__html_put(h, "<table><tr><th>who</th><th>kind</th><th>support</th>"
                   "<th>the other is</th><th>from</th><th>to</th></tr>");
    for (size_t i = 0; i < hi->relationship_count; i++) {
        const sb_rec_relationship *r = &hi->relationships[i];
        sb__html_put(h, "<tr><td>");
        sb__html_text(h, r->name);
        const char *support = r->supportive ? "supportive" : "straining";
        sb__html_put(h, "</td><td>%s</td><td><span class=\"swatch sw-%s\">"
                       "</span>%s</td>"
                       "<td>%s</td><td>",
                    sb_relationship_kind_name((sb_relationship_kind)r->kind),
                    support, support, r->secure ? "secure" : "insecure");
        put_date(h, sb__history_day(r->start));
        sb__html_put(h, "</td><td>");
        if (r->end[0])
            put_date(h, sb__history_day(r->end));
        else
            sb__html_put(h, "ongoing");
        sb__html_put(h, "</td></tr>");
    }
    sb__html_put(h, "</table></div></section>");
}

static void triggers_section(sb__html *h, const sb__history *hi, sb__span span,
                             sb_error *err, sb_status *st)
{
    sb__html_put(h, "<section id=\"triggers\"><h2>5. Triggers and new "
                   "responses</h2>");
    if (!hi->reflection_count && !hi->practice_count) {
        sb__html_put(h, "<p class=\"lead\">No reflections or practice are "
                       "recorded.</p></section>");
        return;
    }
    if (hi->reflection_count) {
        double intensity = 0;
        for (size_t i = 0; i < hi->reflection_count; i++)
            intensity += hi->reflections[i].intensity;
        sb__html_put(h, "<p class=\"lead\">%zu reflections on %zu different "
                       "triggers. Each records what set the old pattern off, "
                       "the habitual response, and whether a new response was "
                       "tried: one was tried %zu times (%.0f%%). The mean "
                       "intensity of the reactions was %.1f of 10.</p>",
                    hi->reflection_count, hi->trigger_count, hi->tried,
                    100.0 * (double)hi->tried / (double)hi->reflection_count,
                    intensity / (double)hi->reflection_count);
        sb__figure f;
        *st = sb__figure_triggers(hi, &f, err);
        if (*st != SB_OK)
            return;
        figure(h, &f, "The most frequent triggers and new responses tried");
        /* How the share of tried responses moved: first half, second half. */
        size_t half = hi->reflection_count / 2, a = 0, b = 0;
        for (size_t i = 0; i < hi->reflection_count; i++)
            *(i < half ? &a : &b) += hi->reflections[i].tried == 1;
        if (half)
            sb__html_put(h, "<p>A new response was tried in %.0f%% of the "
                           "earlier half of the reflections and in %.0f%% of "
                           "the later half.</p>",
                        100.0 * (double)a / (double)half,
                        100.0 * (double)b /
                            (double)(hi->reflection_count - half));
    }
    if (hi->practice_count) {
        sb__html_put(h, "<h3>Practice of new behaviour</h3><p>%zu entries: "
                       "%zu went well, %zu mixed, %zu went badly.</p>",
                    hi->practice_count, hi->outcomes[SB_OUTCOME_POSITIVE],
                    hi->outcomes[SB_OUTCOME_MIXED],
                    hi->outcomes[SB_OUTCOME_NEGATIVE]);
        sb__figure f;
        *st = sb__figure_practice(hi, span, &f, err);
        if (*st != SB_OK)
            return;
        figure(h, &f, "Practice a month by outcome");
    }
    sb__html_put(h, "</section>");
}

static void flags_section(sb__html *h, const sb__history *hi)
{
    sb__html_put(h, "<section id=\"flags\"><h2>6. Setbacks and sudden gains"
                   "</h2>");
    if (!hi->point_count || (isnan(hi->rc[0]) && isnan(hi->rc[1]))) {
        sb__html_put(h, "<p class=\"lead\">Not assessed: sudden changes are "
                       "judged against the reliable change, which needs the "
                       "questionnaire's reliability.</p></section>");
        return;
    }
    sb__html_put(h, "<p class=\"lead\">A sudden gain (or a sudden loss, a "
                   "setback) is a change between two questionnaires in a row "
                   "that (1) is at least the reliable change, (2) is at least "
                   "a quarter of the earlier score's distance from the "
                   "scale's best end, and (3) lasts: the mean of up to three "
                   "scores before differs from the mean of up to three after "
                   "(t test, p &lt; .05). Adapted from Tang &amp; DeRubeis "
                   "(1999) for questionnaires given less often than "
                   "weekly.</p>");
    if (!hi->event_count) {
        sb__html_put(h, "<p>None found in %zu questionnaires%s.</p></section>",
                     hi->point_count,
                     hi->point_count < 4 ? " (at least four are needed)" : "");
        return;
    }
    sb__html_scroll_begin(h, "Sudden gains and setbacks");
    sb__html_put(h, "<table><tr><th>what</th><th>score</th><th>between</th>"
                   "<th class=\"num\">from</th><th class=\"num\">to</th>"
                   "<th class=\"num\">mean before</th><th class=\"num\">mean "
                   "after</th></tr>");
    for (size_t e = 0; e < hi->event_count; e++) {
        const sb__history_event *ev = &hi->events[e];
        const sb_sudden *s = &ev->sudden;
        int gain = s->kind == SB_SUDDEN_GAIN;
        sb__html_put(h, "<tr><td><span class=\"swatch sw-sudden\"></span>%s"
                       "</td><td>%s</td><td>",
                    gain ? "sudden gain" : "sudden loss (setback)",
                    dim_word(ev->dimension));
        put_date(h, hi->points[s->index].day);
        sb__html_put(h, " &ndash; ");
        put_date(h, hi->points[s->index + 1].day);
        sb__html_put(h, "</td><td class=\"num\">%.2f</td><td class=\"num\">"
                       "%.2f</td><td class=\"num\">%.2f</td><td class=\"num\">"
                       "%.2f</td></tr>",
                    s->pre, s->post, s->mean_before, s->mean_after);
    }
    sb__html_put(h, "</table></div><p class=\"note\">What happened around these "
                   "dates (sessions, relationships, reflections) is worth a "
                   "look together; the figures in section 1 mark them with "
                   "arrows.</p></section>");
}

static void projection_section(sb__html *h, const sb__history *hi,
                               const sb__projection *p, sb_error *err,
                               sb_status *st)
{
    sb__html_put(h, "<section id=\"projection\" class=\"model\"><h2>7. Model "
                   "projection</h2><p class=\"banner\">This is the output of "
                   "a simulation model, not a prediction for this person. It "
                   "shows how simulated people who start where these scores "
                   "are now, with the same recent inputs, spread out over the "
                   "coming weeks.</p>");
    if (!p->ran) {
        sb__html_put(h, "<p>No projection: ");
        sb__html_text(h, p->why);
        sb__html_put(h, ".</p></section>");
        return;
    }
    for (int d = 0; d < 2 && *st == SB_OK; d++) {
        sb__figure f;
        *st = sb__figure_projection(hi, p, d, &f, err);
        char alt[160];
        snprintf(alt, sizeof alt, "Model projection of %s (simulation)",
                 dim_word(d));
        if (*st == SB_OK)
            figure(h, &f, alt);
    }
    if (*st != SB_OK)
        return;
    int T = p->weeks;
    char words[1024];
    sb__projection_describe(p, words, sizeof words);
    sb__html_put(h, "<p>");
    sb__html_text(h, words);
    sb__html_put(h, "</p>");
    sb__html_put(h, "<h3>How the model was set for this person</h3>");
    sb__html_scroll_begin(h, "How the model was set");
    sb__html_put(h, "<table><tr><th>input</th><th>value</th><th>from</th></tr>"
                   "<tr><td>starting anxiety, avoidance</td><td>%.2f, %.2f"
                   "</td><td>the latest questionnaire%s</td></tr>",
                p->start[0], p->start[1],
                p->rescaled ? ", mapped linearly onto the model's 1-7 scale and "
                              "back (an assumption)"
                            : "");
    sb__html_put(h, "<tr><td>therapy</td><td>");
    if (p->scenario.therapy.sessions_per_week > 0)
        sb__html_put(h, "%.2f sessions a week, %.0f%% attended, for %d weeks",
                     p->sessions_per_week, 100 * p->attendance, T);
    else
        sb__html_put(h, "none");
    sb__html_put(h, "</td><td>sessions of the last %d weeks</td></tr>"
                   "<tr><td>reflection</td><td>%.2f a week</td><td>the last "
                   "%d weeks</td></tr><tr><td>practice</td><td>%.2f a week"
                   "</td><td>the last %d weeks</td></tr>",
                SB_PROJECTION_WINDOW_WEEKS, p->reflections_per_week,
                SB_PROJECTION_WINDOW_WEEKS, p->practice_per_week,
                SB_PROJECTION_WINDOW_WEEKS);
    sb__html_put(h, "<tr><td>relationships</td><td>");
    for (size_t r = 0; r < p->scenario.relationship_count; r++) {
        const sb_relationship *m = &p->scenario.relationships[r];
        sb__html_put(h, "%s", r ? "; " : "");
        sb__html_text(h, m->name);
        sb__html_put(h, " (%s, %s, %s)",
                     sb_relationship_kind_name(m->kind),
                     m->responsiveness >= SB_PROJECTION_SUPPORTIVE_RESPONSIVENESS
                        ? "supportive"
                        : "straining",
                    m->secure ? "secure" : "insecure");
    }
    sb__html_put(h, "</td><td>%s</td></tr>",
                 hi->relationship_count
                    ? "those lasting to the report date"
                    : "none recorded: the model's everyday defaults");
    sb__html_put(h, "<tr><td>simulated people</td><td>%zu (seed %llu)</td>"
                   "<td>report settings</td></tr>",
                p->persons, (unsigned long long)p->seed);
    if (p->posterior_particles)
        sb__html_put(h, "<tr><td>model parameters</td><td>drawn for each "
                       "simulated person from a calibration's posterior "
                       "(%zu particles)</td><td>report settings</td></tr>",
                    p->posterior_particles);
    sb__html_put(h, "</table></div>");
    sb__html_put(h, "<p class=\"note\">Assumptions: every simulated person "
                   "starts at the latest scores, with the model's measurement "
                   "error (SD %.2f) as spread; a supportive relationship is "
                   "taken as responsiveness %.2f and consistency %.2f, a "
                   "straining one as %.2f and %.2f; contact rates and weights "
                   "are the model's defaults for the kind of relationship; "
                   "stressful life events, plasticity and self-awareness are "
                   "the model's population defaults. The model and the "
                   "sources of its parameters are described in "
                   "docs/model.md.</p></section>",
                p->scenario.params.proto_sd,
                SB_PROJECTION_SUPPORTIVE_RESPONSIVENESS,
                SB_PROJECTION_SUPPORTIVE_CONSISTENCY,
                SB_PROJECTION_STRAINING_RESPONSIVENESS,
                SB_PROJECTION_STRAINING_CONSISTENCY);
}

/* The person's measures due, as of `day`, from their schedules. */
static void due_section(sb__html *h, const sb_schedule *s, size_t n, long day)
{
    char today[SB_DATE_SIZE];
    sb_date_format(sb_date_from_days(day), today);
    if (!n)
        return;
    sb__html_put(h, "<section id=\"due\"><h2>Measures due</h2>");
    sb__html_scroll_begin(h, "Measures due");
    sb__html_put(h, "<table><tr><th scope=\"col\">measure</th><th "
                   "scope=\"col\">every</th><th scope=\"col\">last answered"
                   "</th><th scope=\"col\">next due</th><th scope=\"col\">"
                   "as of ");
    put_date(h, day);
    sb__html_put(h, "</th></tr>");
    for (size_t i = 0; i < n; i++) {
        sb_due d;
        if (sb_care_due(&s[i], today, &d, NULL) != SB_OK)
            continue;
        sb__html_put(h, "<tr><td>");
        sb__html_text(h, s[i].instrument);
        sb__html_put(h, "</td><td>%d week%s</td><td>%s</td><td>%s</td>"
                       "<td>%s</td></tr>",
                    s[i].every_weeks, s[i].every_weeks == 1 ? "" : "s",
                    s[i].last_done[0] ? s[i].last_done : "never", d.date,
                    sb_due_state_name(d.state));
    }
    sb__html_put(h, "</table></div><p class=\"note\">Due from the date for %d "
                   "days, overdue after (docs/care.md).</p></section>",
                SB_DUE_GRACE_DAYS);
}

/* The default comparison of plans, from the same history and date. */
static void whatif_section(sb__html *h, const sb__history *hi, long as_of,
                           const sb_report_options *opt, sb_error *err,
                           sb_status *st)
{
    if (!opt->whatif_people)
        return;
    sb__html_put(h, "<section id=\"whatif\" class=\"model\"><h2>8. What-if "
                   "plans</h2>");
    sb_plan plans[SB_PLAN_MAX];
    size_t n = 0;
    for (const char *const *d = sb_whatif_default_plans(); *d; d++)
        if (sb_plan_parse(*d, &plans[n], NULL) == SB_OK)
            n++;
    sb_whatif_options o;
    sb_whatif_options_default(&o);
    o.persons = opt->whatif_people;
    o.posterior = opt->posterior;
    o.seed = opt->seed;
    sb_whatif *w = calloc(1, sizeof *w);
    sb_error why;
    sb_status run = w ? sb__whatif_from_history(hi, as_of, plans, n, &o, w, &why)
                      : SB_ERR_NOMEM;
    if (run == SB_OK) {
        sb__whatif_html(h, w);
    } else if (run == SB_ERR_NOMEM) {
        *st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    } else {
        sb__html_put(h, "<p>No comparison: ");
        sb__html_text(h, why.message);
        sb__html_put(h, ".</p>");
    }
    sb__html_put(h, "<p class=\"note\">Other plans: <code>securebase whatif"
                   "</code> (docs/care.md).</p></section>");
    if (w)
        sb_whatif_free(w);
    free(w);
}

static void method_section(sb__html *h)
{
    sb__html_put(h, "<section id=\"method\"><h2>About this report</h2>"
                   "<p class=\"note\">Prepared by securebase " SB_VERSION
                   " from the person's own journal. Scores are computed from "
                   "the recorded answers by the questionnaire's published key; "
                   "reliable change follows Jacobson &amp; Truax (1991); "
                   "sudden gains and losses are adapted from Tang &amp; "
                   "DeRubeis (1999). The regions of the plane follow "
                   "Bartholomew &amp; Horowitz (1991). The figures describe "
                   "what was recorded and are no diagnosis.</p>"
                   "<p class=\"note\"><b>Privacy.</b> This file contains "
                   "personal health information. It was written readable by "
                   "its owner only (mode 0600) and loads nothing from the "
                   "network; keep it where the journal is kept, and share it "
                   "only with the person's consent.</p></section>");
}

/* ---- the whole page ------------------------------------------------------ */

static sb_status parse_day(const char *text, const char *what, long *out,
                           sb_error *err)
{
    sb_date d;
    sb_status st = sb_date_parse(text, &d, err);
    if (st != SB_OK) {
        sb_error_prefix(err, "%s: ", what);
        return st;
    }
    *out = sb_date_days(d);
    return SB_OK;
}

sb_status sb_report_render(const sb_person_records *records,
                           const sb_report_options *opt, char **html,
                           size_t *len, sb_error *err)
{
    *html = NULL;
    *len = 0;
    sb_report_options defaults;
    if (!opt) {
        sb_report_options_default(&defaults);
        opt = &defaults;
    }
    sb_status st = SB_OK;
    long as_of = 0;
    if (opt->as_of && (st = parse_day(opt->as_of, "as-of date", &as_of, err)))
        return st;
    if (opt->prepared && (st = parse_day(opt->prepared, "prepared date",
                                         &(long){0}, err)))
        return st;
    sb__history hi;
    st = sb__history_load(records, as_of, opt->instrument, opt->norms_file,
                          opt->norms, &hi, err);
    if (st != SB_OK) {
        sb__history_free(&hi);
        return st;
    }
    if (!as_of)
        as_of = hi.last_day ? hi.last_day : sb_date_days((sb_date){2000, 1, 1});
    sb__span span = {hi.first_day ? hi.first_day - 10 : as_of - 90, as_of + 10};
    sb__projection proj;
    sb__projection_run_options run = {opt->projection_weeks,
                                     opt->projection_people, opt->seed,
                                     opt->posterior, opt->progress,
                                     opt->progress_ctx};
    st = sb__projection_run(&hi, as_of, &run, &proj, err);
    sb__report_care care;
    sb_status cst = sb__report_care_run(
        opt->practice_assessments, opt->practice_assessment_count, &hi, as_of,
        SB_CARE_MODEL_PEOPLE, opt->seed, &care, err);
    if (st == SB_OK)
        st = cst;
    char prepared[32];
    long prepared_day = as_of;
    if (opt->prepared)
        parse_day(opt->prepared, "prepared date", &prepared_day, NULL);
    nice_date(prepared_day, prepared, sizeof prepared);
    sb__html h = {0};
    if (st == SB_OK) {
        sb__html_put(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                        "charset=\"utf-8\"><meta name=\"viewport\" content="
                        "\"width=device-width, initial-scale=1\"><meta "
                        "name=\"generator\" content=\"securebase " SB_VERSION
                        "\"><title>Journey report: ");
        sb__html_text(&h, hi.person.name);
        sb__html_put(&h, "</title><style>");
        palette_css(&h);
        sb__html_put(&h, "%s</style></head><body><main>", style);
        header(&h, &hi, as_of, prepared);
        glance(&h, &hi, as_of);
        scores_section(&h, &hi, span, &care, err, &st);
    }
    if (st == SB_OK)
        plane_section(&h, &hi, err, &st);
    if (st == SB_OK)
        therapy_section(&h, &hi, span, err, &st);
    if (st == SB_OK)
        relationships_section(&h, &hi, span, err, &st);
    if (st == SB_OK)
        triggers_section(&h, &hi, span, err, &st);
    if (st == SB_OK) {
        flags_section(&h, &hi);
        due_section(&h, opt->schedules, opt->schedule_count, prepared_day);
        projection_section(&h, &hi, &proj, err, &st);
    }
    if (st == SB_OK)
        whatif_section(&h, &hi, as_of, opt, err, &st);
    if (st == SB_OK) {
        method_section(&h);
        sb__html_put(&h, "<footer>securebase journey report &middot; ");
        sb__html_text(&h, hi.person.name);
        sb__html_put(&h, " &middot; as of ");
        put_date(&h, as_of);
        sb__html_put(&h, "</footer></main></body></html>\n");
    }
    sb__projection_free(&proj);
    sb__report_care_free(&care);
    sb__history_free(&hi);
    if (st == SB_OK && h.failed)
        st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st != SB_OK) {
        sb__html_free(&h);
        return st;
    }
    *html = h.data;
    *len = h.len;
    return SB_OK;
}

sb_status sb_report_write(const sb_person_records *records,
                          const sb_report_options *opt, const char *path,
                          sb_error *err)
{
    char *html;
    size_t len;
    sb_status st = sb_report_render(records, opt, &html, &len, err);
    if (st != SB_OK)
        return st;
    sb_atomic_file *af;
    /* Personal health information: readable by the owner only. */
    st = sb_atomic_open_mode(path, 0600, &af, err);
    if (st == SB_OK) {
        if (fwrite(html, 1, len, sb_atomic_stream(af)) != len) {
            sb_atomic_abort(af);
            st = sb_error_set(err, SB_ERR_IO, path, 0, 0, "short write");
        } else {
            st = sb_atomic_commit(af, err);
        }
    }
    free(html);
    return st;
}
