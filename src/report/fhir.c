/*
 * FHIR R4 export: people and their questionnaire administrations as one
 * Bundle of type "collection", built with jansson. Per instrument and answer
 * scale a Questionnaire (items numbered, never worded: the wording is the
 * authors') and a CodeSystem naming the instrument's scores; per person a
 * Patient known by a pseudonym; per administration a QuestionnaireResponse
 * with the answers, and an Observation per score that points to the
 * response it was derived from. Every entry has a fullUrl of the form
 * urn:uuid:5ec0ba5e-KKKK-8SSS-8000-IIIIIIIIIIII (resource kind, score, record
 * id), so the same journal always gives the same bundle and references are
 * resolved inside it. The layout is documented in docs/formats.md.
 */
#include <securebase/report.h>

#include <securebase/measure.h>

#include <jansson.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FHIR_BASE "https://securebase.invalid/fhir/"

enum { UUID_CODESYSTEM = 1, UUID_QUESTIONNAIRE, UUID_PATIENT,
       UUID_RESPONSE, UUID_OBSERVATION };

/* One questionnaire: an instrument as answered on one scale. */
typedef struct form {
    char name[SB_JOURNAL_NAME_MAX];
    sb_scale scale;
    int own_scale;           /* the instrument's published scale */
    sb_instrument *inst;
    char id[224];            /* the Questionnaire's resource id */
    char url[320];           /* its canonical URL */
    char system[320];        /* the score CodeSystem's URL */
} form;

typedef struct writer {
    json_t *entries;
    form *forms;
    size_t form_count, form_cap;
    sb_error *err;
} writer;

static sb_status nomem(sb_error *err)
{
    return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* FNV-1a, 48 bits: a stable number for a name (instruments and scales). */
static unsigned long long hash48(const char *s)
{
    unsigned long long h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h & 0xffffffffffffULL;
}

static void uuid(char out[64], int kind, unsigned sub, unsigned long long id)
{
    snprintf(out, 64, "urn:uuid:5ec0ba5e-%04x-8%03x-8000-%012llx",
             (unsigned)kind, sub & 0xfffu, id & 0xffffffffffffULL);
}

/* Adds {fullUrl, resource}; takes the reference to `resource`. */
static int add_entry(writer *w, const char *full_url, json_t *resource)
{
    json_t *e = json_pack("{s:s, s:o}", "fullUrl", full_url, "resource",
                          resource);
    return !e || json_array_append_new(w->entries, e);
}

/* A resource id: letters, digits, '-' and '.' only. */
static void resource_id(char *out, size_t size, const char *prefix,
                        const char *name)
{
    size_t n = (size_t)snprintf(out, size, "%s", prefix);
    for (const char *c = name; *c && n + 1 < size; c++)
        out[n++] = isalnum((unsigned char)*c) || *c == '.' ? *c : '-';
    out[n < size ? n : size - 1] = '\0';
}

static sb_status form_of(writer *w, const sb_rec_assessment *a, form **out)
{
    sb_instrument *inst = NULL;
    for (size_t i = 0; i < w->form_count && !inst; i++)
        if (!strcmp(w->forms[i].name, a->instrument))
            inst = w->forms[i].inst;
    int loaded = !inst;
    sb_status st;
    if (loaded && (st = sb_instrument_builtin(a->instrument, &inst, w->err)))
        return st;
    sb_scale own = sb_instrument_scale(inst), scale = own;
    if (a->scale[0] && (st = sb_scale_parse(a->scale, &scale, w->err))) {
        sb_error_prefix(w->err, "assessment %lld: ", (long long)a->id);
        if (loaded)
            sb_instrument_free(inst);
        return st;
    }
    for (size_t i = 0; i < w->form_count; i++) {
        form *f = &w->forms[i];
        if (!strcmp(f->name, a->instrument) && f->scale.min == scale.min &&
            f->scale.max == scale.max) {
            *out = f;
            return SB_OK;
        }
    }
    if (w->form_count == w->form_cap) {
        size_t cap = w->form_cap ? 2 * w->form_cap : 8;
        form *n = realloc(w->forms, cap * sizeof *n);
        if (!n) {
            if (loaded)
                sb_instrument_free(inst);
            return nomem(w->err);
        }
        w->forms = n;
        w->form_cap = cap;
    }
    form *f = &w->forms[w->form_count++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", a->instrument);
    f->scale = scale;
    f->own_scale = scale.min == own.min && scale.max == own.max;
    f->inst = inst;
    char stem[200];
    if (f->own_scale)
        snprintf(stem, sizeof stem, "%s", f->name);
    else
        snprintf(stem, sizeof stem, "%s-scale-%d-%d", f->name, scale.min,
                 scale.max);
    resource_id(f->id, sizeof f->id, "questionnaire-", stem);
    snprintf(f->url, sizeof f->url, FHIR_BASE "Questionnaire/%s", stem);
    snprintf(f->system, sizeof f->system, FHIR_BASE "CodeSystem/%s", f->name);
    *out = f;
    return SB_OK;
}

/* "ecr-r" -> "ECR_R": a name fit for machine processing (FHIR's que-0). */
static void machine_name(char *out, size_t size, const char *name)
{
    size_t n = 0;
    for (const char *c = name; *c && n + 1 < size; c++)
        out[n++] = isalnum((unsigned char)*c) ? (char)toupper((unsigned char)*c)
                                              : '_';
    out[n] = '\0';
}

/* The item's linkId: its number, or "partner-3" with relationships. */
static void link_id(char *out, size_t size, const sb_instrument *inst,
                    size_t flat)
{
    size_t per = sb_instrument_items_per_target(inst);
    if (sb_instrument_target_count(inst))
        snprintf(out, size, "%s-%zu",
                 sb_instrument_target_name(inst, flat / per), flat % per + 1);
    else
        snprintf(out, size, "%zu", flat + 1);
}

static int add_questionnaire(writer *w, const form *f)
{
    const sb_instrument *inst = f->inst;
    char name[64], title[400], full[64];
    machine_name(name, sizeof name, f->name);
    if (f->own_scale)
        snprintf(title, sizeof title, "%s", sb_instrument_title(inst));
    else
        snprintf(title, sizeof title, "%s (answers on %d-%d)",
                 sb_instrument_title(inst), f->scale.min, f->scale.max);
    json_t *items = json_array();
    for (size_t i = 0; items && i < sb_instrument_item_count(inst); i++) {
        char link[64];
        link_id(link, sizeof link, inst, i);
        json_t *options = json_array();
        for (int v = f->scale.min; options && v <= f->scale.max; v++)
            if (json_array_append_new(options, json_pack("{s:i}", "valueInteger", v)))
                json_decref(options), options = NULL;
        json_t *item = options ? json_pack("{s:s, s:s, s:o}", "linkId", link,
                                           "type", "integer", "answerOption",
                                           options)
                               : NULL;
        if (!item || json_array_append_new(items, item))
            json_decref(items), items = NULL;
    }
    if (!items)
        return 1;
    char description[1200];
    snprintf(description, sizeof description,
             "Items by number only: the questionnaire's wording belongs to its "
             "authors and is not reproduced. Source: %s",
             sb_instrument_source(inst));
    json_t *q = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:o}",
                          "resourceType", "Questionnaire", "id", f->id, "url",
                          f->url, "name", name, "title", title, "status",
                          "active", "subjectType", "Patient", "description",
                          description, "item", items);
    uuid(full, UUID_QUESTIONNAIRE, 0, hash48(f->url));
    return !q || add_entry(w, full, q);
}

static int add_code_system(writer *w, const form *f)
{
    const sb_instrument *inst = f->inst;
    json_t *concepts = json_array();
    for (size_t s = 0; concepts && s < sb_instrument_score_count(inst); s++) {
        const char *score = sb_instrument_score_name(inst, s);
        char display[200];
        snprintf(display, sizeof display, "%s %s score", f->name, score);
        if (json_array_append_new(concepts, json_pack("{s:s, s:s}", "code",
                                                      score, "display",
                                                      display)))
            json_decref(concepts), concepts = NULL;
    }
    if (!concepts)
        return 1;
    char id[96], name[64], title[300], full[64];
    resource_id(id, sizeof id, "scores-", f->name);
    machine_name(name, sizeof name, f->name);
    strncat(name, "_SCORES", sizeof name - strlen(name) - 1);
    snprintf(title, sizeof title, "Scores of the %s", sb_instrument_title(inst));
    json_t *cs = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:i, s:o}",
                           "resourceType", "CodeSystem", "id", id, "url",
                           f->system, "name", name, "title", title, "status",
                           "active", "caseSensitive", 1, "content", "complete",
                           "count", (int)json_array_size(concepts), "concept",
                           concepts);
    uuid(full, UUID_CODESYSTEM, 0, hash48(f->system));
    return !cs || add_entry(w, full, cs);
}

static int add_patient(writer *w, const sb_rec_person *p)
{
    char id[48], value[32], full[64];
    snprintf(id, sizeof id, "person-%lld", (long long)p->id);
    snprintf(value, sizeof value, "%lld", (long long)p->id);
    json_t *patient = json_pack(
        "{s:s, s:s, s:[{s:s, s:s}], s:[{s:s, s:s}]}", "resourceType",
        "Patient", "id", id, "identifier", "system", FHIR_BASE "person",
        "value", value, "name", "use", "anonymous", "text", p->name);
    uuid(full, UUID_PATIENT, 0, (unsigned long long)p->id);
    return !patient || add_entry(w, full, patient);
}

static int add_response(writer *w, const sb_rec_assessment *a, const form *f,
                        const char *patient)
{
    json_t *items = json_array();
    for (size_t i = 0; items && i < a->item_count; i++) {
        if (isnan(a->items[i]))
            continue; /* a missing answer is an item left out */
        char link[64];
        link_id(link, sizeof link, f->inst, i);
        json_t *item = json_pack("{s:s, s:[{s:I}]}", "linkId", link, "answer",
                                 "valueInteger", (json_int_t)a->items[i]);
        if (!item || json_array_append_new(items, item))
            json_decref(items), items = NULL;
    }
    if (!items)
        return 1;
    char id[48], full[64];
    snprintf(id, sizeof id, "assessment-%lld", (long long)a->id);
    json_t *qr = json_pack("{s:s, s:s, s:s, s:s, s:{s:s}, s:s, s:o}",
                           "resourceType", "QuestionnaireResponse", "id", id,
                           "questionnaire", f->url, "status", "completed",
                           "subject", "reference", patient, "authored",
                           a->date, "item", items);
    uuid(full, UUID_RESPONSE, 0, (unsigned long long)a->id);
    return !qr || add_entry(w, full, qr);
}

static int add_observations(writer *w, const sb_rec_assessment *a,
                            const form *f, const char *patient)
{
    char response[64];
    uuid(response, UUID_RESPONSE, 0, (unsigned long long)a->id);
    for (size_t k = 0; k < a->score_count; k++) {
        const sb_rec_score *sc = &a->scores[k];
        char prefix[48], id[96], full[64], text[400], note[200], display[200];
        snprintf(prefix, sizeof prefix, "assessment-%lld-", (long long)a->id);
        resource_id(id, sizeof id, prefix, sc->scale);
        snprintf(text, sizeof text, "%s: %s", sb_instrument_title(f->inst),
                 sc->scale);
        snprintf(display, sizeof display, "%s %s score",
                 sb_instrument_name(f->inst), sc->scale);
        snprintf(note, sizeof note, "%s score on the answers' scale %d-%d",
                 sb_instrument_name(f->inst), f->scale.min, f->scale.max);
        json_t *obs = json_pack(
            "{s:s, s:s, s:s, s:[{s:[{s:s, s:s, s:s}]}],"
            " s:{s:[{s:s, s:s, s:s}], s:s}, s:{s:s}, s:s,"
            " s:{s:f, s:s, s:s, s:s}, s:[{s:s}], s:[{s:s}]}",
            "resourceType", "Observation", "id", id, "status", "final",
            "category", "coding", "system",
            "http://terminology.hl7.org/CodeSystem/observation-category",
            "code", "survey", "display", "Survey",
            "code", "coding", "system", f->system, "code", sc->scale,
            "display", display, "text", text,
            "subject", "reference", patient,
            "effectiveDateTime", a->date,
            "valueQuantity", "value", sc->value, "unit", "score", "system",
            "http://unitsofmeasure.org", "code", "{score}",
            "note", "text", note,
            "derivedFrom", "reference", response);
        uuid(full, UUID_OBSERVATION, (unsigned)k + 1, (unsigned long long)a->id);
        if (!obs || add_entry(w, full, obs))
            return 1;
    }
    return 0;
}

static void writer_free(writer *w)
{
    for (size_t i = 0; i < w->form_count; i++) {
        int shared = 0;
        for (size_t j = 0; j < i; j++)
            shared |= w->forms[j].inst == w->forms[i].inst;
        if (!shared)
            sb_instrument_free(w->forms[i].inst);
    }
    free(w->forms);
    json_decref(w->entries);
}

static sb_status build(const sb_fhir_records *rec, writer *w)
{
    sb_status st;
    /* Forms first, so that questionnaires come before their responses. */
    size_t *index = calloc(rec->assessment_count ? rec->assessment_count : 1,
                           sizeof *index);
    if (!index)
        return nomem(w->err);
    for (size_t i = 0; i < rec->assessment_count; i++) {
        form *f = NULL;
        if ((st = form_of(w, &rec->assessments[i], &f))) {
            free(index);
            return st;
        }
        index[i] = (size_t)(f - w->forms);
    }
    int bad = 0;
    for (size_t i = 0; i < w->form_count && !bad; i++) {
        int first = 1; /* one CodeSystem per instrument, whatever the scale */
        for (size_t j = 0; j < i; j++)
            first &= strcmp(w->forms[j].name, w->forms[i].name) != 0;
        bad = (first && add_code_system(w, &w->forms[i])) ||
              add_questionnaire(w, &w->forms[i]);
    }
    for (size_t p = 0; p < rec->person_count && !bad; p++)
        bad = add_patient(w, &rec->people[p]);
    for (size_t i = 0; i < rec->assessment_count && !bad; i++) {
        const sb_rec_assessment *a = &rec->assessments[i];
        size_t p = 0;
        while (p < rec->person_count && rec->people[p].id != a->person)
            p++;
        if (p == rec->person_count) {
            free(index);
            return sb_error_set(w->err, SB_ERR_INVALID, NULL, 0, 0,
                                "assessment %lld belongs to person %lld, who "
                                "is not in the export", (long long)a->id,
                                (long long)a->person);
        }
        char patient[64];
        uuid(patient, UUID_PATIENT, 0, (unsigned long long)a->person);
        const form *f = &w->forms[index[i]];
        bad = add_response(w, a, f, patient) ||
              add_observations(w, a, f, patient);
    }
    free(index);
    return bad ? nomem(w->err) : SB_OK;
}

sb_status sb_fhir_write(const sb_fhir_records *rec, FILE *out, sb_error *err)
{
    writer w = {json_array(), NULL, 0, 0, err};
    if (!w.entries)
        return nomem(err);
    sb_status st = build(rec, &w);
    if (st == SB_OK) {
        json_t *bundle = json_pack("{s:s, s:s, s:O}", "resourceType", "Bundle",
                                   "type", "collection", "entry", w.entries);
        if (!bundle)
            st = nomem(err);
        else if (json_dumpf(bundle, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
                                             JSON_REAL_PRECISION(10)) ||
                 fputc('\n', out) == EOF)
            st = sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                              "cannot write the FHIR bundle");
        json_decref(bundle);
    }
    writer_free(&w);
    return st;
}

static sb_status write_to(void *rec, FILE *out, sb_error *err)
{
    return sb_fhir_write(rec, out, err);
}

sb_status sb_fhir_write_file(const sb_fhir_records *rec, const char *path,
                             sb_error *err)
{
    /* The bundle holds the same private data as the journal. */
    return sb_atomic_write_with(path, 0600, write_to, (void *)rec, err);
}
