/*
 * Scenarios as structs: defaults, the field tables that describe every field
 * with its range, and the checks that a scenario is complete and coherent.
 */
#include <securebase/model.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const proto_names[] = {"secure", "preoccupied",
                                          "dismissing", "fearful", NULL};
static const char *const kind_names[] = {"partner", "friend", "family", "other",
                                         NULL};

const char *sb_prototype_name(int proto)
{
    return proto >= 0 && proto < SB_PROTO_COUNT ? proto_names[proto] : "?";
}

const char *sb_relationship_kind_name(sb_relationship_kind kind)
{
    return (int)kind >= 0 && kind < SB_REL_KIND_COUNT ? kind_names[kind] : "?";
}

/* Default sizes are assumptions on the scale of the random life events
 * (exponential, mean stress_size, 1.6 by default; those are rare, major
 * events): a breakup or a new secure partner is a typical one, a loss a
 * quarter larger, a reconciliation smaller. */
static const sb_event_info event_kinds[SB_EVENT_KIND_COUNT] = {
    {"none", 0, 0, "no event"},
    {"negative", 0, 1.6, "a stressful event of the given size"},
    {"positive", 1, 1.6, "a good event of the given size"},
    {"breakup", 0, 1.6, "a partner relationship ends"},
    {"loss", 0, 2.0, "the death of someone close"},
    {"new-secure-partner", 1, 1.6, "a new partner who is secure"},
    {"reconciliation", 1, 1.0, "a rift with someone close is mended"},
};

const sb_event_info *sb_event_kind_info(int kind)
{
    return kind >= 0 && kind < SB_EVENT_KIND_COUNT ? &event_kinds[kind] : NULL;
}

/* The names a file may give for `event:` (every kind but "none"). */
static const char *const event_names[] = {
    "negative", "positive", "breakup", "loss", "new-secure-partner",
    "reconciliation", NULL};

void sb_timeline_entry_default(sb_timeline_entry *e)
{
    memset(e, 0, sizeof *e);
    e->share = 1.0;
    e->event = SB_EVENT_NONE;
    e->therapy = (sb_therapy_change){NAN, NAN, NAN, NAN, NAN};
    e->reflection_per_week = NAN;
    e->practice_per_week = NAN;
    e->stress_factor = NAN;
    e->positive_factor = NAN;
}

int sb_scenario_relationship_index(const sb_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->relationship_count && i < SB_MAX_RELATIONSHIPS;
         i++)
        if (!strncmp(sc->relationships[i].name, name, SB_NAME_MAX))
            return (int)i;
    return -1;
}

#define F(st, member, type, lo, hi, meaning) \
    {#member, type, offsetof(st, member), lo, hi, 0, NULL, meaning, 0}
/* A field that may be left out: NAN or "" stands for "not given". */
#define OPT(st, member, type, lo, hi, meaning) \
    {#member, type, offsetof(st, member), lo, hi, 0, NULL, meaning, 1}

static const sb_field_info scenario_fields[] = {
    {"name", SB_FIELD_STRING, offsetof(sb_scenario, name), 0, 0, SB_NAME_MAX,
     NULL, "short name", 0},
    {"description", SB_FIELD_STRING, offsetof(sb_scenario, description), 0, 0,
     SB_TEXT_MAX, NULL, "one sentence on what the scenario shows", 0},
    F(sb_scenario, followup_weeks, SB_FIELD_INT, 0, 2080,
      "weeks simulated after therapy ends"),
};

static const sb_field_info population_fields[] = {
    F(sb_population, plasticity, SB_FIELD_DIST, 0, 10,
      "multiplier of how much experiences update a person"),
    F(sb_population, stress_per_year, SB_FIELD_DIST, 0, 52,
      "stressful life events a year"),
    F(sb_population, positive_per_year, SB_FIELD_DIST, 0, 52,
      "good life events a year"),
    F(sb_population, awareness, SB_FIELD_DIST, 0, 1,
      "baseline self-awareness"),
};

static const sb_field_info share_fields[] = {
    {"secure", SB_FIELD_DOUBLE, offsetof(sb_population, prototype_share) +
     SB_PROTO_SECURE * sizeof(double), 0, 1, 0, NULL, "share secure",
     0},
    {"preoccupied", SB_FIELD_DOUBLE, offsetof(sb_population, prototype_share) +
     SB_PROTO_PREOCCUPIED * sizeof(double), 0, 1, 0, NULL, "share preoccupied",
     0},
    {"dismissing", SB_FIELD_DOUBLE, offsetof(sb_population, prototype_share) +
     SB_PROTO_DISMISSING * sizeof(double), 0, 1, 0, NULL, "share dismissing",
     0},
    {"fearful", SB_FIELD_DOUBLE, offsetof(sb_population, prototype_share) +
     SB_PROTO_FEARFUL * sizeof(double), 0, 1, 0, NULL, "share fearful",
     0},
};

static const sb_field_info therapy_fields[] = {
    F(sb_therapy, sessions_per_week, SB_FIELD_DOUBLE, 0, 7,
      "scheduled sessions a week (0 = no therapy)"),
    F(sb_therapy, start_week, SB_FIELD_INT, 0, 2080, "first week of therapy"),
    F(sb_therapy, weeks, SB_FIELD_INT, 0, 2080, "length of the course"),
    F(sb_therapy, attendance, SB_FIELD_DOUBLE, 0, 1,
      "chance that a scheduled session is attended"),
    F(sb_therapy, alliance, SB_FIELD_DOUBLE, 0, 1,
      "the therapist's responsiveness"),
    F(sb_therapy, consistency, SB_FIELD_DOUBLE, 0, 1,
      "the therapist's predictability"),
    F(sb_therapy, weight, SB_FIELD_DOUBLE, 0, 1, "attachment weight"),
};

static const sb_field_info habit_fields[] = {
    F(sb_habit, per_week, SB_FIELD_DOUBLE, 0, 50, "episodes a week"),
    F(sb_habit, start_week, SB_FIELD_INT, 0, 2080, "first week"),
    F(sb_habit, end_week, SB_FIELD_INT, -1, 4160,
      "first week without it (-1 = to the end)"),
};

static const sb_field_info relationship_fields[] = {
    {"name", SB_FIELD_STRING, offsetof(sb_relationship, name), 0, 0,
     SB_NAME_MAX, NULL, "name, unique within the scenario", 0},
    {"kind", SB_FIELD_ENUM, offsetof(sb_relationship, kind), 0,
     SB_REL_KIND_COUNT - 1, 0, kind_names, "partner, friend, family or other",
     0},
    F(sb_relationship, share, SB_FIELD_DOUBLE, 0, 1,
      "share of people who have it"),
    F(sb_relationship, responsiveness, SB_FIELD_DOUBLE, 0, 1,
      "how sensitively the other responds"),
    F(sb_relationship, consistency, SB_FIELD_DOUBLE, 0, 1,
      "how predictably the other responds"),
    F(sb_relationship, contacts_per_week, SB_FIELD_DOUBLE, 0, 50,
      "mean contacts a week"),
    F(sb_relationship, weight, SB_FIELD_DOUBLE, 0, 1, "attachment weight"),
    F(sb_relationship, secure, SB_FIELD_BOOL, 0, 1,
      "whether the other person is secure"),
    F(sb_relationship, start_week, SB_FIELD_INT, 0, 4160,
      "first week (0 = already there)"),
    F(sb_relationship, end_week, SB_FIELD_INT, -1, 4160,
      "first week without it (-1 = never ends)"),
};

/* The event's names are listed without "none"; its value is the kind, so a
 * reader adds 1 to the index of the name (SB_EVENT_NONE is 0). The numbers
 * and names of an entry are optional: NAN or "" leaves things unchanged. */
static const sb_field_info timeline_fields[] = {
    F(sb_timeline_entry, week, SB_FIELD_INT, 0, SB_MAX_WEEKS,
      "the week it happens; what it does shows from the next week"),
    F(sb_timeline_entry, share, SB_FIELD_DOUBLE, 0, 1,
      "share of the people it applies to, drawn per person"),
    {"event", SB_FIELD_ENUM, offsetof(sb_timeline_entry, event), 1,
     SB_EVENT_KIND_COUNT - 1, 0, event_names,
     "a life event that strikes that week", 1},
    F(sb_timeline_entry, size, SB_FIELD_DOUBLE, 0, 10,
      "the event's size before buffering (default: the kind's; 0 without "
      "an event)"),
    {"begins", SB_FIELD_STRING, offsetof(sb_timeline_entry, begins), 0, 0,
     SB_NAME_MAX, NULL, "a relationship of the scenario that begins (again)",
     1},
    {"ends", SB_FIELD_STRING, offsetof(sb_timeline_entry, ends), 0, 0,
     SB_NAME_MAX, NULL, "a relationship of the scenario that ends", 1},
    OPT(sb_timeline_entry, reflection_per_week, SB_FIELD_DOUBLE, 0, 50,
        "mean reflections a week from now on (0: it stops)"),
    OPT(sb_timeline_entry, practice_per_week, SB_FIELD_DOUBLE, 0, 50,
        "mean practice episodes a week from now on (0: it stops)"),
    OPT(sb_timeline_entry, stress_factor, SB_FIELD_DOUBLE, 0, 20,
        "random stressful events from now on: each person's own rate times "
        "this"),
    OPT(sb_timeline_entry, positive_factor, SB_FIELD_DOUBLE, 0, 20,
        "random good events from now on: each person's own rate times this"),
};

static const sb_field_info therapy_change_fields[] = {
    OPT(sb_therapy_change, sessions_per_week, SB_FIELD_DOUBLE, 0, 7,
        "scheduled sessions a week (0: therapy stops)"),
    OPT(sb_therapy_change, attendance, SB_FIELD_DOUBLE, 0, 1,
        "chance that a scheduled session is attended"),
    OPT(sb_therapy_change, alliance, SB_FIELD_DOUBLE, 0, 1,
        "the therapist's responsiveness"),
    OPT(sb_therapy_change, consistency, SB_FIELD_DOUBLE, 0, 1,
        "the therapist's predictability"),
    OPT(sb_therapy_change, weight, SB_FIELD_DOUBLE, 0, 1,
        "attachment weight"),
};

#undef F
#undef OPT

const sb_field_info *sb_scenario_fields(sb_field_group group, size_t *count)
{
#define RET(t) do { *count = sizeof t / sizeof t[0]; return t; } while (0)
    switch (group) {
    case SB_FIELDS_SCENARIO: RET(scenario_fields);
    case SB_FIELDS_POPULATION: RET(population_fields);
    case SB_FIELDS_PROTOTYPE_SHARE: RET(share_fields);
    case SB_FIELDS_THERAPY: RET(therapy_fields);
    case SB_FIELDS_HABIT: RET(habit_fields);
    case SB_FIELDS_RELATIONSHIP: RET(relationship_fields);
    case SB_FIELDS_TIMELINE: RET(timeline_fields);
    case SB_FIELDS_THERAPY_CHANGE: RET(therapy_change_fields);
    }
#undef RET
    *count = 0;
    return NULL;
}

void sb_scenario_default(sb_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    snprintf(sc->name, sizeof sc->name, "default");
    snprintf(sc->description, sizeof sc->description,
             "general population, no intervention");
    /* Mickelson, Kessler & Shaver 1997 (N = 8,080): 59% secure, 25%
     * avoidant, 11% anxious; the remaining 5% are placed as fearful. */
    sb_population *pop = &sc->population;
    pop->prototype_share[SB_PROTO_SECURE] = 0.59;
    pop->prototype_share[SB_PROTO_PREOCCUPIED] = 0.11;
    pop->prototype_share[SB_PROTO_DISMISSING] = 0.25;
    pop->prototype_share[SB_PROTO_FEARFUL] = 0.05;
    pop->plasticity = (sb_dist){1.0, 0.3, 0.2, 3.0};
    /* Random life events are rare, major ones: an assumption, the rate
     * sized with the model constants to V1, V3 and V8; good ones rarer. */
    pop->stress_per_year = (sb_dist){0.675, 0.5, 0.0, 20.0};
    pop->positive_per_year = (sb_dist){0.02, 0.015, 0.0, 20.0};
    pop->awareness = (sb_dist){0.3, 0.15, 0.0, 1.0};
    sc->therapy = (sb_therapy){0.0, 0, 0, 0.8, 0.75, 0.85, 0.6};
    sc->reflection = (sb_habit){0.0, 0, -1};
    sc->practice = (sb_habit){0.0, 0, -1};
    /* Everyday relationships: an assumption sized so that the population
     * is stationary and about 58% secure (V1, V2). */
    static const sb_relationship everyday[] = {
        {"partner", SB_REL_PARTNER, 0.6, 0.65, 0.7, 5.0, 0.5, 1, 0, -1},
        {"friends", SB_REL_FRIEND, 0.8, 0.6, 0.7, 2.0, 0.25, 1, 0, -1},
        {"family", SB_REL_FAMILY, 0.7, 0.5, 0.6, 1.5, 0.3, 0, 0, -1},
    };
    sc->relationship_count = sizeof everyday / sizeof everyday[0];
    memcpy(sc->relationships, everyday, sizeof everyday);
    sc->followup_weeks = 520;
    sb_params_default(&sc->params);
}

int sb_scenario_therapy_end(const sb_scenario *sc)
{
    return sc->therapy.start_week + sc->therapy.weeks;
}

int sb_scenario_weeks(const sb_scenario *sc)
{
    return sb_scenario_therapy_end(sc) + sc->followup_weeks;
}

/* Checks one struct against a field table; `where` prefixes field names. */
static sb_status check_fields(const sb_field_info *fields, size_t n,
                              const void *base, const char *scenario,
                              const char *where, sb_error *err)
{
    const char *b = base;
    for (size_t i = 0; i < n; i++) {
        const sb_field_info *f = &fields[i];
        const void *p = b + f->offset;
        double v;
        switch (f->type) {
        case SB_FIELD_DOUBLE:
            v = *(const double *)p;
            if (f->optional && isnan(v))
                continue;
            break;
        case SB_FIELD_INT:
        case SB_FIELD_BOOL:
        case SB_FIELD_ENUM:
            v = *(const int *)p;
            if (f->optional && v == 0)
                continue;
            break;
        case SB_FIELD_STRING:
            if (!memchr(p, '\0', f->size))
                return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                    "scenario '%s': %s%s is not terminated",
                                    scenario, where, f->key);
            continue;
        case SB_FIELD_DIST: {
            const sb_dist *d = p;
            if (!(isfinite(d->mean) && isfinite(d->sd) && isfinite(d->min) &&
                  isfinite(d->max)) ||
                d->min < f->min || d->max > f->max || d->min > d->max ||
                d->mean < d->min || d->mean > d->max || d->sd < 0 ||
                d->sd > f->max - f->min)
                return sb_error_set(
                    err, SB_ERR_INVALID, NULL, 0, 0,
                    "scenario '%s': %s%s must have %g <= min <= mean <= max "
                    "<= %g and 0 <= sd <= %g; got mean %g, sd %g, min %g, "
                    "max %g",
                    scenario, where, f->key, f->min, f->max, f->max - f->min,
                    d->mean, d->sd, d->min, d->max);
            continue;
        }
        default:
            continue;
        }
        if (!isfinite(v) || v < f->min || v > f->max)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': %s%s is %g; allowed %g..%g",
                                scenario, where, f->key, v, f->min, f->max);
    }
    return SB_OK;
}

/* Whether an entry changes anything or strikes with an event. */
static int entry_acts(const sb_timeline_entry *e)
{
    const sb_therapy_change *t = &e->therapy;
    return e->event != SB_EVENT_NONE || e->begins[0] || e->ends[0] ||
           !isnan(e->reflection_per_week) || !isnan(e->practice_per_week) ||
           !isnan(e->stress_factor) || !isnan(e->positive_factor) ||
           !isnan(t->sessions_per_week) ||
           !isnan(t->attendance) || !isnan(t->alliance) ||
           !isnan(t->consistency) || !isnan(t->weight);
}

/* A relationship named by `begins:` or `ends:` must be the scenario's. */
static sb_status check_named(const sb_scenario *sc, const char *name,
                             const char *where, const char *key, sb_error *err)
{
    if (!name[0] || sb_scenario_relationship_index(sc, name) >= 0)
        return SB_OK;
    return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                        "scenario '%s': %s%s names '%s', which is not one of "
                        "the scenario's relationships",
                        sc->name, where, key, name);
}

static sb_status check_timeline(const sb_scenario *sc, sb_error *err)
{
    if (sc->timeline_count > SB_TIMELINE_MAX)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scenario '%s': %zu timeline entries; at most %d",
                            sc->name, sc->timeline_count, SB_TIMELINE_MAX);
    size_t n;
    const sb_field_info *f;
    for (size_t i = 0; i < sc->timeline_count; i++) {
        const sb_timeline_entry *e = &sc->timeline[i];
        char where[48], sub[64];
        snprintf(where, sizeof where, "timeline[%zu].", i);
        snprintf(sub, sizeof sub, "timeline[%zu].therapy.", i);
        if (e->event < SB_EVENT_NONE || e->event >= SB_EVENT_KIND_COUNT)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': %sevent is %d; allowed 0..%d",
                                sc->name, where, e->event,
                                SB_EVENT_KIND_COUNT - 1);
        f = sb_scenario_fields(SB_FIELDS_TIMELINE, &n);
        sb_status st = check_fields(f, n, e, sc->name, where, err);
        if (st == SB_OK) {
            f = sb_scenario_fields(SB_FIELDS_THERAPY_CHANGE, &n);
            st = check_fields(f, n, &e->therapy, sc->name, sub, err);
        }
        if (st != SB_OK)
            return st;
        if (e->event != SB_EVENT_NONE && !(e->size > 0))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': %ssize is %g; an event's size "
                                "must be more than 0",
                                sc->name, where, e->size);
        if (e->event == SB_EVENT_NONE && e->size != 0)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': %ssize is %g, but the entry "
                                "has no event",
                                sc->name, where, e->size);
        st = check_named(sc, e->begins, where, "begins", err);
        if (st == SB_OK)
            st = check_named(sc, e->ends, where, "ends", err);
        if (st != SB_OK)
            return st;
        if (e->begins[0] && !strcmp(e->begins, e->ends))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': timeline[%zu]: relationship "
                                "'%s' both begins and ends in one entry",
                                sc->name, i, e->begins);
        if (!entry_acts(e))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': timeline[%zu] (week %d) does "
                                "nothing: give an event or a change",
                                sc->name, i, e->week);
    }
    return SB_OK;
}

sb_status sb_scenario_check(const sb_scenario *sc, sb_error *err)
{
    size_t n;
    const sb_field_info *f;
    const char *name = sc->name;
    sb_status st;

#define CHECK(group, base, where)                                  \
    do {                                                           \
        f = sb_scenario_fields(group, &n);                         \
        st = check_fields(f, n, base, name, where, err);           \
        if (st != SB_OK)                                           \
            return st;                                             \
    } while (0)

    CHECK(SB_FIELDS_SCENARIO, sc, "");
    CHECK(SB_FIELDS_POPULATION, &sc->population, "population.");
    CHECK(SB_FIELDS_PROTOTYPE_SHARE, &sc->population,
          "population.prototype_share.");
    CHECK(SB_FIELDS_THERAPY, &sc->therapy, "therapy.");
    CHECK(SB_FIELDS_HABIT, &sc->reflection, "reflection.");
    CHECK(SB_FIELDS_HABIT, &sc->practice, "practice.");
    if (sc->relationship_count > SB_MAX_RELATIONSHIPS)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scenario '%s': %zu relationships; at most %d",
                            name, sc->relationship_count, SB_MAX_RELATIONSHIPS);
    for (size_t i = 0; i < sc->relationship_count; i++) {
        char where[SB_NAME_MAX + 32];
        snprintf(where, sizeof where, "relationships[%zu].", i);
        CHECK(SB_FIELDS_RELATIONSHIP, &sc->relationships[i], where);
        const sb_relationship *r = &sc->relationships[i];
        if (!r->name[0])
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': relationships[%zu] has no name",
                                name, i);
        if (r->end_week != -1 && r->end_week <= r->start_week)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': relationship '%s' ends (week "
                                "%d) before it starts (week %d)",
                                name, r->name, r->end_week, r->start_week);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(sc->relationships[j].name, r->name))
                return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                    "scenario '%s': relationship name '%s' is "
                                    "used twice",
                                    name, r->name);
    }
#undef CHECK

    double total = 0;
    for (int k = 0; k < SB_PROTO_COUNT; k++)
        total += sc->population.prototype_share[k];
    if (fabs(total - 1.0) > 1e-6)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scenario '%s': population.prototype_share adds up "
                            "to %g; it must add up to 1",
                            name, total);
    const sb_habit *habits[2] = {&sc->reflection, &sc->practice};
    const char *habit_names[2] = {"reflection", "practice"};
    for (int h = 0; h < 2; h++)
        if (habits[h]->end_week != -1 &&
            habits[h]->end_week <= habits[h]->start_week)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': %s ends (week %d) before it "
                                "starts (week %d)",
                                name, habit_names[h], habits[h]->end_week,
                                habits[h]->start_week);

    st = check_timeline(sc, err);
    if (st != SB_OK)
        return st;

    size_t np;
    const sb_param_info *pt = sb_params_table(&np);
    for (size_t i = 0; i < np; i++) {
        double v = *(const double *)((const char *)&sc->params + pt[i].offset);
        if (!isfinite(v) || v < pt[i].min || v > pt[i].max)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': model.%s is %g; allowed %g..%g",
                                name, pt[i].name, v, pt[i].min, pt[i].max);
        if (pt[i].whole && v != floor(v))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': model.%s is %g; it counts "
                                "%s and must be a whole number",
                                name, pt[i].name, v, pt[i].unit);
    }
    if (sb_scenario_weeks(sc) > 4160)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scenario '%s': therapy start, length and "
                            "follow-up add up to %d weeks; at most 4160",
                            name, sb_scenario_weeks(sc));
    return SB_OK;
}
