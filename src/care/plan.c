/*
 * What-if plans as text: the parser, its checks, and what a plan does to a
 * person's inputs. A plan comes from outside (a command line, a web form),
 * so every byte is checked and every error names the plan, the field and
 * the value. The grammar is in docs/care.md:
 *
 *   plan    = [name "="] ("keep" | change *(";" change))
 *   change  = "therapy=" ("stop" | "start" | "weekly" | "fortnightly" |
 *                         "monthly" | rate)
 *           | "attendance=" (number | number "%")
 *           | ("practice=" | "reflection=") ("stop" | rate)
 *           | "relationship+=" kind *("," ("supportive" | "straining" |
 *                                          "secure" | "insecure"))
 *           | "relationship-=" (a relationship's name | kind)
 *   rate    = number "/" ("day" | "week" | "month")
 */
#include <securebase/whatif.h>

#include "base/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEEKS_PER_MONTH (52.0 / 12.0)

static const char *const fields[] = {"therapy", "attendance", "practice",
                                     "reflection", "relationship+",
                                     "relationship-", NULL};
enum { F_THERAPY, F_ATTENDANCE, F_PRACTICE, F_REFLECTION, F_ADD, F_END };

void sb_plan_keep(sb_plan *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "keep");
    p->sessions_per_week = p->attendance = NAN;
    p->reflections_per_week = p->practice_per_week = NAN;
}

/* `s` for a message: printable ASCII as is, other bytes as \xNN, cut at
 * 40 characters. */
static const char *shown(const char *s, size_t len, char out[200])
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 5 < 200; i++) {
        unsigned char c = (unsigned char)s[i];
        if (n >= 160) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out[n++] = (char)c;
        else
            n += (size_t)snprintf(out + n, 200 - n, "\\x%02x", c);
    }
    out[n] = '\0';
    return out;
}

/* A piece of the text: [s, s + len). */
typedef struct span {
    const char *s;
    size_t len;
} span;

static span trim(span t)
{
    while (t.len && (t.s[0] == ' ' || t.s[0] == '\t')) {
        t.s++;
        t.len--;
    }
    while (t.len && (t.s[t.len - 1] == ' ' || t.s[t.len - 1] == '\t'))
        t.len--;
    return t;
}

static int is(span t, const char *word)
{
    return t.len == strlen(word) && !memcmp(t.s, word, t.len);
}

static int field_index(span t)
{
    for (int i = 0; fields[i]; i++)
        if (is(t, fields[i]))
            return i;
    return -1;
}

static sb_status bad(sb_error *err, const sb_plan *p, const char *field,
                     span value, const char *why)
{
    char v[200];
    return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                        "plan '%s': %s: '%s' %s", p->name, field,
                        shown(value.s, value.len, v), why);
}

/* A plain decimal number: digits and at most one point (no signs,
 * exponents, hex, inf or nan). NULL, or why not. */
static const char *number(span t, double *out)
{
    char buf[SB_PLAN_TEXT_MAX];
    int digits = 0, points = 0;
    if (t.len && (t.s[0] == '-' || t.s[0] == '+'))
        return t.s[0] == '-' ? "is negative; a rate is a number above 0"
                             : "has a sign; write the number alone (such as "
                               "3 or 0.5)";
    if (!t.len || t.len >= sizeof buf)
        return "does not start with a plain number (such as 3 or 0.5)";
    for (size_t i = 0; i < t.len; i++) {
        if (t.s[i] >= '0' && t.s[i] <= '9')
            digits++;
        else if (t.s[i] == '.' && !points++)
            continue;
        else
            return "does not start with a plain number (such as 3 or 0.5)";
    }
    if (!digits)
        return "does not start with a plain number (such as 3 or 0.5)";
    memcpy(buf, t.s, t.len);
    buf[t.len] = '\0';
    *out = strtod(buf, NULL);
    return NULL;
}

/* "N/day", "N/week" or "N/month" as a weekly rate in (0, max]. */
static sb_status rate(const sb_plan *p, const char *field, span v, double max,
                      double *out, sb_error *err)
{
    const char *slash = memchr(v.s, '/', v.len);
    if (!slash)
        return bad(err, p, field, v,
                   "is not a rate; write it as N/day, N/week or N/month");
    span n = trim((span){v.s, (size_t)(slash - v.s)});
    span unit = trim((span){slash + 1, v.len - (size_t)(slash - v.s) - 1});
    double x;
    const char *why_not = number(n, &x);
    if (why_not)
        return bad(err, p, field, v, why_not);
    if (is(unit, "day"))
        x *= 7;
    else if (is(unit, "month"))
        x /= WEEKS_PER_MONTH;
    else if (!is(unit, "week"))
        return bad(err, p, field, v, "has an unknown unit; use day, week or "
                                     "month");
    char why[120];
    if (x == 0) {
        snprintf(why, sizeof why, "is zero; write %s=stop to end it", field);
        return bad(err, p, field, v, why);
    }
    if (x > max) {
        snprintf(why, sizeof why, "is %.3g a week; the model allows at most %g",
                 x, max);
        return bad(err, p, field, v, why);
    }
    *out = x;
    return SB_OK;
}

static sb_status therapy(sb_plan *p, span v, sb_error *err)
{
    if (is(v, "stop"))
        p->sessions_per_week = 0;
    else if (is(v, "start"))
        p->therapy_start = 1;
    else if (is(v, "weekly"))
        p->sessions_per_week = 1;
    else if (is(v, "fortnightly"))
        p->sessions_per_week = 0.5;
    else if (is(v, "monthly"))
        p->sessions_per_week = 1 / WEEKS_PER_MONTH;
    else if (memchr(v.s, '/', v.len))
        return rate(p, "therapy", v, 7, &p->sessions_per_week, err);
    else
        return bad(err, p, "therapy", v,
                   "is not one of stop, start, weekly, fortnightly, monthly "
                   "or a rate such as 2/week");
    return SB_OK;
}

static sb_status attendance(sb_plan *p, span v, sb_error *err)
{
    int percent = v.len && v.s[v.len - 1] == '%';
    double x;
    if (number(percent ? trim((span){v.s, v.len - 1}) : v, &x))
        return bad(err, p, "attendance", v,
                   v.len && v.s[0] == '-'
                       ? "is negative; attendance is from 0 to 100%"
                       : "is not a share (0.8) or a percentage (80%)");
    if (percent)
        x /= 100;
    if (x > 1)
        return bad(err, p, "attendance", v, "is above 100%");
    p->attendance = x;
    return SB_OK;
}

static sb_status habit(sb_plan *p, const char *field, span v, double *out,
                       sb_error *err)
{
    if (is(v, "stop")) {
        *out = 0;
        return SB_OK;
    }
    return rate(p, field, v, 50, out, err);
}

static int kind_of(span t)
{
    for (int k = 0; k < SB_REL_KIND_COUNT; k++)
        if (is(t, sb_relationship_kind_name((sb_relationship_kind)k)))
            return k;
    return -1;
}

static sb_status add_relationship(sb_plan *p, span v, sb_error *err)
{
    if (p->add_count == SB_PLAN_CHANGES_MAX)
        return bad(err, p, "relationship+", v,
                   "is one relationship too many; a plan adds at most 8");
    sb_care_relationship *r = &p->add[p->add_count];
    memset(r, 0, sizeof *r);
    r->supportive = 1;
    int given_support = 0, given_security = 0;
    size_t at = 0, part = 0;
    while (at <= v.len) {
        const char *comma = memchr(v.s + at, ',', v.len - at);
        size_t end = comma ? (size_t)(comma - v.s) : v.len;
        span w = trim((span){v.s + at, end - at});
        if (part == 0) {
            int k = kind_of(w);
            if (k < 0)
                return bad(err, p, "relationship+", w,
                           "is not a kind of relationship: partner, friend, "
                           "family or other");
            r->kind = (sb_relationship_kind)k;
        } else if (is(w, "supportive") || is(w, "straining")) {
            if (given_support++)
                return bad(err, p, "relationship+", v,
                           "says supportive or straining twice");
            r->supportive = is(w, "supportive");
        } else if (is(w, "secure") || is(w, "insecure")) {
            if (given_security++)
                return bad(err, p, "relationship+", v,
                           "says secure or insecure twice");
            r->secure = is(w, "secure");
        } else {
            return bad(err, p, "relationship+", w,
                       "is not supportive, straining, secure or insecure");
        }
        part++;
        at = end + 1;
    }
    snprintf(r->name, sizeof r->name, "new %s",
             sb_relationship_kind_name(r->kind));
    p->add_count++;
    return SB_OK;
}

static sb_status end_relationship(sb_plan *p, span v, sb_error *err)
{
    if (p->end_count == SB_PLAN_CHANGES_MAX)
        return bad(err, p, "relationship-", v,
                   "is one relationship too many; a plan ends at most 8");
    if (v.len >= SB_NAME_MAX)
        return bad(err, p, "relationship-", v,
                   "is not a relationship's name (1 to 63 bytes) or kind");
    memcpy(p->end[p->end_count], v.s, v.len);
    p->end[p->end_count][v.len] = '\0';
    p->end_count++;
    return SB_OK;
}

static sb_status change(sb_plan *p, span c, unsigned *seen, sb_error *err)
{
    const char *eq = memchr(c.s, '=', c.len);
    if (!eq)
        return bad(err, p, "change", c,
                   "is not FIELD=VALUE (such as therapy=weekly)");
    span key = trim((span){c.s, (size_t)(eq - c.s)});
    span v = trim((span){eq + 1, c.len - (size_t)(eq - c.s) - 1});
    int f = field_index(key);
    if (f < 0)
        return bad(err, p, "field", key,
                   "is unknown; the fields are therapy, attendance, "
                   "practice, reflection, relationship+ and relationship-");
    if (f != F_ADD && f != F_END && (*seen & (1u << f)))
        return bad(err, p, fields[f], v, "is a second value for it");
    *seen |= 1u << f;
    if (!v.len)
        return bad(err, p, fields[f], v, "is empty");
    switch (f) {
    case F_THERAPY: return therapy(p, v, err);
    case F_ATTENDANCE: return attendance(p, v, err);
    case F_PRACTICE:
        return habit(p, "practice", v, &p->practice_per_week, err);
    case F_REFLECTION:
        return habit(p, "reflection", v, &p->reflections_per_week, err);
    case F_ADD: return add_relationship(p, v, err);
    default: return end_relationship(p, v, err);
    }
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

/* A plan without a name of its own is called by its changes, cut short
 * with "..." when they are long. */
static void name_from(sb_plan *p, span changes)
{
    size_t max = sizeof p->name - 1;
    if (changes.len <= max) {
        memcpy(p->name, changes.s, changes.len);
        p->name[changes.len] = '\0';
    } else {
        size_t cut = max - 3;
        while (cut && ((unsigned char)changes.s[cut] & 0xc0) == 0x80)
            cut--; /* not inside a character */
        memcpy(p->name, changes.s, cut);
        memcpy(p->name + cut, "...", 4);
    }
}

sb_status sb_plan_parse(const char *text, sb_plan *out, sb_error *err)
{
    sb_plan p;
    sb_plan_keep(&p);
    char v[200], w[200];
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7f)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "plan '%s': byte %zu is the control "
                                "character 0x%02x",
                                shown(text, len, v), i + 1, c);
    }
    size_t valid = sb__utf8_valid_prefix(text, len);
    if (valid != len)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "plan '%s': byte %zu is not valid UTF-8",
                            shown(text, len, v), valid + 1);
    if (len >= SB_PLAN_TEXT_MAX)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "plan '%s': %zu characters; at most %d",
                            shown(text, len, v), len, SB_PLAN_TEXT_MAX - 1);
    span all = trim((span){text, len});
    if (!all.len)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a plan is empty; write keep, or changes such as "
                            "therapy=weekly");
    /* NAME=CHANGES when what comes before the first '=' is no field. */
    span changes = all;
    const char *eq = memchr(all.s, '=', all.len);
    span head = trim((span){all.s, eq ? (size_t)(eq - all.s) : all.len});
    int named = 0;
    span rest = eq ? trim((span){eq + 1, all.len - (size_t)(eq - all.s) - 1})
                   : (span){all.s + all.len, 0};
    if (eq && field_index(head) < 0 &&
        (memchr(rest.s, '=', rest.len) || is(rest, "keep"))) {
        if (head.len == 0 || head.len >= sizeof p.name)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "plan '%s': name: '%s' is not 1 to %zu "
                                "characters",
                                shown(all.s, all.len, v),
                                shown(head.s, head.len, w),
                                sizeof p.name - 1);
        for (size_t i = 0; i < head.len; i++)
            if (!name_char(head.s[i]))
                return sb_error_set(
                    err, SB_ERR_INVALID, NULL, 0, 0,
                    "plan '%s': name: '%s' is not allowed in a name; use "
                    "letters, digits, '-', '_' and '.'",
                    shown(all.s, all.len, v), shown(head.s + i, 1, w));
        memcpy(p.name, head.s, head.len);
        p.name[head.len] = '\0';
        named = 1;
        changes = rest;
    }
    if (is(changes, "keep")) {
        *out = p; /* keep, or a name for it */
        return SB_OK;
    }
    if (!named)
        name_from(&p, changes);
    else if (!strcmp(p.name, "keep"))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "plan 'keep': the name keep is for the plan "
                            "that changes nothing; choose another");
    memcpy(p.changes, changes.s, changes.len);
    p.changes[changes.len] = '\0';
    unsigned seen = 0;
    size_t at = 0;
    while (at <= changes.len) {
        const char *semi = memchr(changes.s + at, ';', changes.len - at);
        size_t end = semi ? (size_t)(semi - changes.s) : changes.len;
        span c = trim((span){changes.s + at, end - at});
        if (!c.len)
            return bad(err, &p, "change", c,
                       "is empty; changes are separated by one ';'");
        sb_status st = change(&p, c, &seen, err);
        if (st != SB_OK)
            return st;
        at = end + 1;
    }
    *out = p;
    return SB_OK;
}

static int ends(const sb_plan *p, const sb_care_relationship *r)
{
    for (size_t e = 0; e < p->end_count; e++)
        if (!strcmp(p->end[e], r->name) ||
            !strcmp(p->end[e], sb_relationship_kind_name(r->kind)))
            return 1;
    return 0;
}

sb_status sb_plan_apply(const sb_plan *p, const sb_care_inputs *in,
                        sb_care_inputs *out, sb_error *err)
{
    sb_care_inputs o = *in;
    for (size_t e = 0; e < p->end_count; e++) {
        size_t hits = 0;
        for (size_t i = 0; i < in->relationship_count; i++)
            hits += !strcmp(p->end[e], in->relationships[i].name) ||
                    !strcmp(p->end[e], sb_relationship_kind_name(
                                           in->relationships[i].kind));
        if (!hits)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "plan '%s': relationship-: '%s' is neither "
                                "the name nor the kind of a relationship "
                                "that lasts to now",
                                p->name, p->end[e]);
    }
    o.relationship_count = 0;
    for (size_t i = 0; i < in->relationship_count; i++)
        if (!ends(p, &in->relationships[i]))
            o.relationships[o.relationship_count++] = in->relationships[i];
    for (size_t a = 0; a < p->add_count; a++) {
        if (o.relationship_count == SB_MAX_RELATIONSHIPS)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "plan '%s': relationship+: the model holds at "
                                "most %d relationships",
                                p->name, SB_MAX_RELATIONSHIPS);
        o.relationships[o.relationship_count++] = p->add[a];
    }
    if (p->therapy_start && o.sessions_per_week <= 0)
        o.sessions_per_week = 1;
    if (!isnan(p->sessions_per_week))
        o.sessions_per_week = p->sessions_per_week;
    if (!isnan(p->attendance))
        o.attendance = p->attendance;
    /* Therapy that starts anew: attended as the model's default course
     * is, unless the plan or the record says otherwise. */
    if (o.sessions_per_week > 0 && in->sessions_per_week <= 0 &&
        isnan(p->attendance)) {
        sb_scenario def;
        sb_scenario_default(&def);
        o.attendance = def.therapy.attendance;
    }
    if (!isnan(p->reflections_per_week))
        o.reflections_per_week = p->reflections_per_week;
    if (!isnan(p->practice_per_week))
        o.practice_per_week = p->practice_per_week;
    *out = o;
    return SB_OK;
}
