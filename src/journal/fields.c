/*
 * The kinds of journal record and their fields: the one table that the
 * database code, validation, the command line, CSV import and the exports
 * are all driven from; plus reading a field from text, writing it back as
 * text, and checking a whole record.
 */
#include "journal/fields.h"

#include "base/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Same order as sb_relationship_kind in the model. */
static const char *const relationship_kind_names[] = {"partner", "friend",
                                                      "family", "other", NULL};
static const char *const outcome_names[] = {"positive", "mixed", "negative",
                                            NULL};

#define NAME SB_JOURNAL_NAME_MAX
#define TEXT SB_JOURNAL_TEXT_MAX
/* Field constructors: struct, member, then what varies. */
#define ID(st) {"id", SB_JFIELD_ID, offsetof(st, id), 0, 0, 0, 0, 0, 0, NULL, \
                 "the record's number (given by the journal)"}
#define PERSON(st) {"person", SB_JFIELD_PERSON, offsetof(st, person), 0, 1, 0, \
                     0, 0, 0, NULL, "the person it is about: an id or an exact name"}
#define TXT(st, m, req, multi, meaning) \
    {#m, SB_JFIELD_TEXT, offsetof(st, m), sizeof(((st *)0)->m), req, multi, \
     0, 0, 0, NULL, meaning}
#define DATE(st, m, req, meaning) \
    {#m, SB_JFIELD_DATE, offsetof(st, m), SB_DATE_SIZE, req, 0, 0, 0, 0, \
     NULL, meaning}
#define BOOL(st, m, req, def, meaning) \
    {#m, SB_JFIELD_BOOL, offsetof(st, m), 0, req, 0, 0, 1, def, NULL, meaning}
#define INT(st, m, lo, hi, meaning) \
    {#m, SB_JFIELD_INT, offsetof(st, m), 0, 1, 0, lo, hi, 0, NULL, meaning}
#define ENUM(st, m, names, meaning) \
    {#m, SB_JFIELD_ENUM, offsetof(st, m), 0, 1, 0, 0, 0, 0, names, meaning}

static const sb_journal_field person_fields[] = {
    ID(sb_rec_person),
    TXT(sb_rec_person, name, 1, 0, "name or pseudonym, unique in the journal"),
    TXT(sb_rec_person, notes, 0, 1, "free notes"),
};

static const sb_journal_field relationship_fields[] = {
    ID(sb_rec_relationship),
    PERSON(sb_rec_relationship),
    ENUM(sb_rec_relationship, kind, relationship_kind_names,
         "partner, friend, family or other"),
    TXT(sb_rec_relationship, name, 1, 0, "who the other person is"),
    BOOL(sb_rec_relationship, supportive, 1, 0,
         "yes if supportive, no if straining"),
    BOOL(sb_rec_relationship, secure, 1, 0,
         "yes if the other person is securely attached"),
    DATE(sb_rec_relationship, start, 1, "when it began (YYYY-MM-DD)"),
    DATE(sb_rec_relationship, end, 0, "when it ended; empty while it lasts"),
    TXT(sb_rec_relationship, notes, 0, 1, "free notes"),
};

static const sb_journal_field session_fields[] = {
    ID(sb_rec_session),
    PERSON(sb_rec_session),
    DATE(sb_rec_session, date, 1, "scheduled date (YYYY-MM-DD)"),
    BOOL(sb_rec_session, attended, 1, 0, "yes if attended, no if missed"),
    INT(sb_rec_session, minutes, 1, 600, "scheduled length in minutes"),
    TXT(sb_rec_session, notes, 0, 1, "free notes"),
};

static const sb_journal_field assessment_fields[] = {
    ID(sb_rec_assessment),
    PERSON(sb_rec_assessment),
    TXT(sb_rec_assessment, instrument, 1, 0,
        "questionnaire: ecr-r, ecr-s, ecr-rs, ecr or rq"),
    DATE(sb_rec_assessment, date, 1, "date of the administration"),
    TXT(sb_rec_assessment, scale, 0, 0,
        "answers' scale, e.g. 1-5; empty: the questionnaire's own"),
    {"items", SB_JFIELD_ITEMS, offsetof(sb_rec_assessment, items), 0, 1, 0, 0,
     0, 0, NULL, "answers in item order, separated by spaces; NA = missing"},
    {"scores", SB_JFIELD_SCORES, offsetof(sb_rec_assessment, scores), 0, 0, 0,
     0, 0, 0, NULL, "subscale scores (computed from the answers)"},
};

static const sb_journal_field reflection_fields[] = {
    ID(sb_rec_reflection),
    PERSON(sb_rec_reflection),
    DATE(sb_rec_reflection, date, 1, "date of the reflection"),
    TXT(sb_rec_reflection, trigger, 1, 0, "short label of what set it off"),
    TXT(sb_rec_reflection, situation, 0, 1, "what happened"),
    TXT(sb_rec_reflection, old_response, 0, 1, "the habitual response"),
    TXT(sb_rec_reflection, new_response, 0, 1, "the new response"),
    BOOL(sb_rec_reflection, tried, 0, 0, "yes if the new response was tried"),
    INT(sb_rec_reflection, intensity, 0, 10, "how strong the reaction was, 0-10"),
};

static const sb_journal_field practice_fields[] = {
    ID(sb_rec_practice),
    PERSON(sb_rec_practice),
    DATE(sb_rec_practice, date, 1, "date of the practice"),
    TXT(sb_rec_practice, behaviour, 1, 0, "the new behaviour practised"),
    ENUM(sb_rec_practice, outcome, outcome_names,
         "positive, mixed or negative"),
    TXT(sb_rec_practice, notes, 0, 1, "free notes"),
};

#define COUNT(a) (sizeof a / sizeof a[0])

static const struct kind_info {
    const char *name;
    const char *plural;
    size_t size;
    const sb_journal_field *fields;
    size_t field_count;
} kinds[SB_KIND_COUNT] = {
    {"person", "people", sizeof(sb_rec_person), person_fields,
     COUNT(person_fields)},
    {"relationship", "relationships", sizeof(sb_rec_relationship),
     relationship_fields, COUNT(relationship_fields)},
    {"session", "sessions", sizeof(sb_rec_session), session_fields,
     COUNT(session_fields)},
    {"assessment", "assessments", sizeof(sb_rec_assessment), assessment_fields,
     COUNT(assessment_fields)},
    {"reflection", "reflections", sizeof(sb_rec_reflection), reflection_fields,
     COUNT(reflection_fields)},
    {"practice", "practice", sizeof(sb_rec_practice), practice_fields,
     COUNT(practice_fields)},
};

static int valid_kind(sb_journal_kind kind)
{
    return (int)kind >= 0 && kind < SB_KIND_COUNT;
}

const char *sb_journal_kind_name(sb_journal_kind kind)
{
    return valid_kind(kind) ? kinds[kind].name : "?";
}

const char *sb_journal_kind_plural(sb_journal_kind kind)
{
    return valid_kind(kind) ? kinds[kind].plural : "?";
}

sb_status sb_journal_kind_parse(const char *name, sb_journal_kind *out,
                                sb_error *err)
{
    for (int k = 0; k < SB_KIND_COUNT; k++)
        if (!strcmp(name, kinds[k].name)) {
            *out = (sb_journal_kind)k;
            return SB_OK;
        }
    return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                        "unknown kind of record '%s' (expected person, "
                        "relationship, session, assessment, reflection or "
                        "practice)",
                        name);
}

size_t sb_journal_record_size(sb_journal_kind kind)
{
    return valid_kind(kind) ? kinds[kind].size : 0;
}

const sb_journal_field *sb_journal_fields(sb_journal_kind kind, size_t *count)
{
    if (!valid_kind(kind)) {
        *count = 0;
        return NULL;
    }
    *count = kinds[kind].field_count;
    return kinds[kind].fields;
}

const sb_journal_field *sb_journal_field_find(sb_journal_kind kind,
                                              const char *name)
{
    size_t n;
    const sb_journal_field *f = sb_journal_fields(kind, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f[i].name, name))
            return &f[i];
    return NULL;
}

const char *sb_practice_outcome_name(int outcome)
{
    return outcome >= 0 && outcome < SB_OUTCOME_COUNT ? outcome_names[outcome]
                                                      : "?";
}

/* ---- access to a field inside a record ----------------------------------- */

static void *at(void *record, const sb_journal_field *f)
{
    return (char *)record + f->offset;
}

static const void *cat(const void *record, const sb_journal_field *f)
{
    return (const char *)record + f->offset;
}

/* The item/score arrays are preceded by their counts. */
static size_t *item_count(void *record)
{
    return &((sb_rec_assessment *)record)->item_count;
}

void sb_journal_record_init(sb_journal_kind kind, void *record)
{
    size_t n;
    const sb_journal_field *f = sb_journal_fields(kind, &n);
    memset(record, 0, sb_journal_record_size(kind));
    for (size_t i = 0; i < n; i++)
        if (f[i].type == SB_JFIELD_BOOL || f[i].type == SB_JFIELD_INT ||
            f[i].type == SB_JFIELD_ENUM)
            *(int *)at(record, &f[i]) = f[i].required ? SB_UNSET : (int)f[i].def;
}

/* ---- text to field ------------------------------------------------------- */

/* A value quoted for messages: long or odd values are shortened. */
static const char *shown(const char *text, char *buf, size_t size)
{
    size_t n = strlen(text);
    size_t keep = n < size - 4 ? n : size - 4;
    size_t valid = sb__utf8_valid_prefix(text, keep);
    memcpy(buf, text, valid);
    buf[valid] = '\0';
    if (valid < n)
        strcat(buf, "...");
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return buf;
}

static sb_status parse_id(const sb_journal_field *f, const char *text,
                          sb_id *out, sb_error *err)
{
    char q[80];
    if (!text[0]) {
        *out = 0;
        return SB_OK;
    }
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (!isdigit((unsigned char)text[0]) || *end || errno || v <= 0)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "field '%s' must be a positive whole number (an "
                            "id), got '%s'",
                            f->name, shown(text, q, sizeof q));
    *out = (sb_id)v;
    return SB_OK;
}

static sb_status parse_bool(const sb_journal_field *f, const char *text,
                            int *out, sb_error *err)
{
    static const char *const yes[] = {"yes", "y", "true", "1"};
    static const char *const no[] = {"no", "n", "false", "0"};
    char q[80];
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(text, yes[i])) {
            *out = 1;
            return SB_OK;
        }
        if (!strcasecmp(text, no[i])) {
            *out = 0;
            return SB_OK;
        }
    }
    return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                        "field '%s' must be yes or no, got '%s'", f->name,
                        shown(text, q, sizeof q));
}

static sb_status parse_int(const sb_journal_field *f, const char *text,
                           int *out, sb_error *err)
{
    char q[80];
    errno = 0;
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || isspace((unsigned char)text[0]))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "field '%s' must be a whole number from %ld to "
                            "%ld, got '%s'",
                            f->name, f->min, f->max, shown(text, q, sizeof q));
    if (v < f->min || v > f->max)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "field '%s' must be from %ld to %ld, got %ld",
                            f->name, f->min, f->max, v);
    *out = (int)v;
    return SB_OK;
}

static sb_status parse_enum(const sb_journal_field *f, const char *text,
                            int *out, sb_error *err)
{
    char q[80], list[256] = "";
    for (int i = 0; f->names[i]; i++) {
        if (!strcmp(text, f->names[i])) {
            *out = i;
            return SB_OK;
        }
        if (i)
            strcat(list, f->names[i + 1] ? ", " : " or ");
        strcat(list, f->names[i]);
    }
    return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                        "field '%s' must be %s, got '%s'", f->name, list,
                        shown(text, q, sizeof q));
}

static sb_status parse_items(const sb_journal_field *f, const char *text,
                             void *record, sb_error *err)
{
    sb_rec_assessment *a = record;
    size_t n = 0;
    const char *p = text;
    char q[80];
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *tok = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        char word[64];
        size_t len = (size_t)(p - tok);
        if (len >= sizeof word)
            len = sizeof word - 1;
        memcpy(word, tok, len);
        word[len] = '\0';
        if (n == SB_JOURNAL_ITEMS_MAX)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field '%s' has more than %d answers", f->name,
                                SB_JOURNAL_ITEMS_MAX);
        double v;
        if (!strcasecmp(word, "NA")) {
            v = NAN;
        } else {
            /* Decimal notation only: strtod alone would also read "0x5"
             * or "5e0" as the answer 5. */
            char *end;
            errno = 0;
            v = strtod(word, &end);
            if (strspn(word, "0123456789.+-") != len || end == word || *end ||
                errno || !isfinite(v) ||
                (size_t)(p - tok) >= sizeof word)
                return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                    "field '%s': answer %zu is not a number "
                                    "or NA, got '%s'",
                                    f->name, n + 1, shown(word, q, sizeof q));
        }
        a->items[n++] = v;
    }
    *item_count(record) = n;
    return SB_OK;
}

sb_status sb_journal_field_parse(const sb_journal_field *f, const char *text,
                                 void *record, sb_error *err)
{
    char q[80];
    switch (f->type) {
    case SB_JFIELD_ID:
    case SB_JFIELD_PERSON:
        return parse_id(f, text, (sb_id *)at(record, f), err);
    case SB_JFIELD_TEXT:
    case SB_JFIELD_DATE: {
        size_t n = strlen(text);
        if (n >= f->size)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field '%s' is too long (%zu bytes, at most "
                                "%zu): '%s'",
                                f->name, n, f->size - 1,
                                shown(text, q, sizeof q));
        memcpy(at(record, f), text, n + 1);
        return SB_OK;
    }
    case SB_JFIELD_BOOL:
    case SB_JFIELD_INT:
    case SB_JFIELD_ENUM: {
        int *v = at(record, f);
        if (!text[0]) {
            *v = f->required ? SB_UNSET : (int)f->def;
            return SB_OK;
        }
        if (f->type == SB_JFIELD_BOOL)
            return parse_bool(f, text, v, err);
        if (f->type == SB_JFIELD_INT)
            return parse_int(f, text, v, err);
        return parse_enum(f, text, v, err);
    }
    case SB_JFIELD_ITEMS:
        return parse_items(f, text, record, err);
    case SB_JFIELD_SCORES:
        break;
    }
    return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                        "field '%s' is computed and cannot be set", f->name);
}

/* ---- field to text ------------------------------------------------------- */

/* Appends to buf, never past size (the formats here always fit by design). */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    if (*len >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len += (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

void sb_journal_field_format(const sb_journal_field *f, const void *record,
                             char *buf, size_t size)
{
    size_t len = 0;
    if (!size)
        return;
    buf[0] = '\0';
    switch (f->type) {
    case SB_JFIELD_ID:
    case SB_JFIELD_PERSON: {
        sb_id v = *(const sb_id *)cat(record, f);
        if (v)
            append(buf, size, &len, "%lld", (long long)v);
        break;
    }
    case SB_JFIELD_TEXT:
    case SB_JFIELD_DATE:
        append(buf, size, &len, "%.*s", (int)(f->size - 1),
               (const char *)cat(record, f));
        break;
    case SB_JFIELD_BOOL: {
        int v = *(const int *)cat(record, f);
        append(buf, size, &len, "%s", v == 1 ? "yes" : v == 0 ? "no" : "");
        break;
    }
    case SB_JFIELD_INT: {
        int v = *(const int *)cat(record, f);
        if (v != SB_UNSET)
            append(buf, size, &len, "%d", v);
        break;
    }
    case SB_JFIELD_ENUM: {
        int v = *(const int *)cat(record, f);
        for (int i = 0; f->names[i]; i++)
            if (i == v)
                append(buf, size, &len, "%s", f->names[i]);
        break;
    }
    case SB_JFIELD_ITEMS: {
        const sb_rec_assessment *a = record;
        size_t n = a->item_count <= SB_JOURNAL_ITEMS_MAX ? a->item_count : 0;
        for (size_t i = 0; i < n; i++) {
            if (isnan(a->items[i]))
                append(buf, size, &len, "%sNA", i ? " " : "");
            else
                append(buf, size, &len, "%s%.15g", i ? " " : "", a->items[i]);
        }
        break;
    }
    case SB_JFIELD_SCORES: {
        const sb_rec_assessment *a = record;
        size_t n = a->score_count <= SB_JOURNAL_SCORES_MAX ? a->score_count : 0;
        for (size_t i = 0; i < n; i++)
            append(buf, size, &len, "%s%.*s=%.6g", i ? " " : "",
                   SB_JOURNAL_SCALE_MAX - 1, a->scores[i].scale,
                   a->scores[i].value);
        break;
    }
    }
}

/* ---- whole records ------------------------------------------------------- */

/*
 * Why code point c may not be in a field's text, or NULL. C0 and C1
 * controls could steer a terminal; bidirectional embeddings, overrides and
 * isolates make text display in an order other than it is stored
 * ("Trojan Source"). The invisible direction marks (LRM, RLM, ALM) are
 * refused in one-line fields, where they would let two names look the same,
 * but allowed in free text, where right-to-left writing needs them.
 */
static const char *hazard(unsigned long c, int multiline)
{
    if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) ||
        (c >= 0x7F && c <= 0x9F))
        return multiline ? "a control character"
                         : "a control character; it must be one line";
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        return "a bidirectional override or isolate, which makes text show "
               "in another order than it is stored";
    if (!multiline && (c == 0x200E || c == 0x200F || c == 0x061C))
        return "an invisible direction mark, which would let two names look "
               "alike";
    return NULL;
}

static sb_status check_text(const sb_journal_field *f, const char *s,
                            size_t size, int multiline, sb_error *err)
{
    const char *nul = memchr(s, '\0', size);
    if (!nul)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "field '%s' is too long (at most %zu bytes)",
                            f->name, size - 1);
    size_t n = (size_t)(nul - s);
    size_t valid = sb__utf8_valid_prefix(s, n);
    if (valid < n)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "field '%s' is not valid UTF-8 (byte %zu)",
                            f->name, valid + 1);
    for (size_t i = 0; i < n;) {
        size_t at = i;
        unsigned long c = sb__utf8_next(s, n, &i);
        const char *why = hazard(c, multiline);
        if (why)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field '%s' contains U+%04lX at byte %zu: %s",
                                f->name, c, at + 1, why);
    }
    int blank = 1;
    for (size_t i = 0; i < n && blank; i++)
        blank = isspace((unsigned char)s[i]) != 0;
    if (f->required && blank)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "field '%s' is required: %s", f->name, f->meaning);
    return SB_OK;
}

sb_status sb__journal_field_check(const sb_journal_field *f,
                                  const void *record, sb_error *err)
{
    switch (f->type) {
    case SB_JFIELD_ID:
        if (*(const sb_id *)cat(record, f) < 0)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field 'id' must not be negative, got %lld",
                                (long long)*(const sb_id *)cat(record, f));
        return SB_OK;
    case SB_JFIELD_PERSON:
        if (*(const sb_id *)cat(record, f) <= 0)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field 'person' is required: %s", f->meaning);
        return SB_OK;
    case SB_JFIELD_TEXT:
        return check_text(f, cat(record, f), f->size, f->multiline, err);
    case SB_JFIELD_DATE: {
        const char *s = cat(record, f);
        if (!memchr(s, '\0', f->size))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field '%s' is not a date", f->name);
        if (!s[0]) {
            if (f->required)
                return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                    "field '%s' is required: %s", f->name,
                                    f->meaning);
            return SB_OK;
        }
        sb_date d;
        sb_status st = sb_date_parse(s, &d, err);
        if (st != SB_OK)
            sb_error_prefix(err, "field '%s': ", f->name);
        return st;
    }
    case SB_JFIELD_BOOL:
    case SB_JFIELD_INT:
    case SB_JFIELD_ENUM: {
        int v = *(const int *)cat(record, f);
        long lo = f->min, hi = f->max;
        if (f->type == SB_JFIELD_ENUM)
            for (hi = 0; f->names[hi]; hi++)
                ;
        if (f->type == SB_JFIELD_ENUM)
            hi--;
        if (v == SB_UNSET && f->required)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field '%s' is required: %s", f->name,
                                f->meaning);
        if (v < lo || v > hi)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field '%s' must be from %ld to %ld, got %d",
                                f->name, lo, hi, v);
        return SB_OK;
    }
    case SB_JFIELD_ITEMS: {
        const sb_rec_assessment *a = record;
        if (a->item_count == 0)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field 'items' is required: %s", f->meaning);
        if (a->item_count > SB_JOURNAL_ITEMS_MAX)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field 'items' has %zu answers, at most %d",
                                a->item_count, SB_JOURNAL_ITEMS_MAX);
        for (size_t i = 0; i < a->item_count; i++)
            if (isinf(a->items[i]))
                return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                    "field 'items': answer %zu is infinite",
                                    i + 1);
        return SB_OK;
    }
    case SB_JFIELD_SCORES: {
        const sb_rec_assessment *a = record;
        if (a->score_count > SB_JOURNAL_SCORES_MAX)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field 'scores' has %zu scores, at most %d",
                                a->score_count, SB_JOURNAL_SCORES_MAX);
        sb_journal_field scale = *f;
        scale.name = "scores";
        scale.required = 1;
        scale.meaning = "each score names its scale";
        for (size_t i = 0; i < a->score_count; i++) {
            sb_status st = check_text(&scale, a->scores[i].scale,
                                      SB_JOURNAL_SCALE_MAX, 0, err);
            if (st != SB_OK)
                return st;
            if (!isfinite(a->scores[i].value))
                return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                    "score '%s' is not a finite number",
                                    a->scores[i].scale);
        }
        return SB_OK;
    }
    }
    return SB_OK;
}

int sb_journal_name_is_number(const char *text)
{
    if (!text[0])
        return 0;
    for (; *text; text++)
        if (*text < '0' || *text > '9')
            return 0;
    return 1;
}

sb_status sb_journal_record_check(sb_journal_kind kind, const void *record,
                                  sb_error *err)
{
    size_t n;
    const sb_journal_field *f = sb_journal_fields(kind, &n);
    if (!f)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "unknown kind of record %d", (int)kind);
    for (size_t i = 0; i < n; i++) {
        sb_status st = sb__journal_field_check(&f[i], record, err);
        if (st != SB_OK)
            return st;
    }
    /* A person is named or numbered on the command line and in files by
     * the same text: "7" must only ever mean the id 7. */
    if (kind == SB_KIND_PERSON &&
        sb_journal_name_is_number(((const sb_rec_person *)record)->name))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "field 'name': '%s' is only digits, which would "
                            "read as a person's id; add a letter (e.g. "
                            "'Client %s')",
                            ((const sb_rec_person *)record)->name,
                            ((const sb_rec_person *)record)->name);
    if (kind == SB_KIND_RELATIONSHIP) {
        const sb_rec_relationship *r = record;
        if (r->end[0] && strcmp(r->end, r->start) < 0)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field 'end' (%s) is before 'start' (%s)",
                                r->end, r->start);
    }
    if (kind == SB_KIND_REFLECTION) {
        const sb_rec_reflection *r = record;
        const char *p = r->new_response;
        while (isspace((unsigned char)*p))
            p++;
        if (r->tried == 1 && !*p)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "field 'tried' is yes but 'new_response' is "
                                "empty: say what was tried");
    }
    return SB_OK;
}
