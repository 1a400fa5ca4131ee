/*
 * One person as the model sees them. What is taken from their records: the
 * sessions scheduled and attended, the reflections and the practice of the
 * last SB_CARE_WINDOW_WEEKS weeks, and the relationships that last to the
 * as-of date; the starting point is their latest scores. Everything else
 * is the model's default (docs/model.md). How a journal relationship maps
 * onto the model's responsiveness and consistency is an assumption, stated
 * wherever a projection is shown.
 */
#include <securebase/care.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

double sb_care_to_model(sb_scale scale, double x)
{
    return SB_SCALE_MIN + (x - scale.min) * (SB_SCALE_MAX - SB_SCALE_MIN) /
                              (scale.max - scale.min);
}

double sb_care_from_model(sb_scale scale, double y)
{
    return scale.min + (y - SB_SCALE_MIN) * (scale.max - scale.min) /
                           (SB_SCALE_MAX - SB_SCALE_MIN);
}

/* The day of a stored date; dates in records were checked when stored. */
static long day_of(const char *date)
{
    sb_date d;
    return sb_date_parse(date, &d, NULL) == SB_OK ? sb_date_days(d) : 0;
}

static int in_window(const char *date, long as_of)
{
    long d = day_of(date);
    return d <= as_of && d > as_of - 7L * SB_CARE_WINDOW_WEEKS;
}

void sb_care_inputs_from_records(const sb_care_records *r, sb_care_inputs *out)
{
    memset(out, 0, sizeof *out);
    size_t scheduled = 0, attended = 0, reflected = 0, practised = 0;
    for (size_t i = 0; i < r->session_count; i++)
        if (in_window(r->sessions[i].date, r->as_of)) {
            scheduled++;
            attended += r->sessions[i].attended == 1;
        }
    for (size_t i = 0; i < r->reflection_count; i++)
        reflected += in_window(r->reflections[i].date, r->as_of);
    for (size_t i = 0; i < r->practice_count; i++)
        practised += in_window(r->practice[i].date, r->as_of);
    double w = SB_CARE_WINDOW_WEEKS;
    out->sessions_per_week = fmin(scheduled / w, 7.0);
    out->attendance = scheduled ? (double)attended / (double)scheduled : 0;
    out->reflections_per_week = fmin(reflected / w, 50.0);
    out->practice_per_week = fmin(practised / w, 50.0);
    out->relationships_recorded = r->relationship_count > 0;
    for (size_t i = 0; i < r->relationship_count &&
                       out->relationship_count < SB_MAX_RELATIONSHIPS;
         i++) {
        const sb_rec_relationship *rel = &r->relationships[i];
        if (day_of(rel->start) > r->as_of ||
            (rel->end[0] && day_of(rel->end) <= r->as_of))
            continue;
        sb_care_relationship *m =
            &out->relationships[out->relationship_count++];
        snprintf(m->name, sizeof m->name, "%.*s", (int)sizeof m->name - 1,
                 rel->name);
        m->kind = (sb_relationship_kind)rel->kind;
        m->supportive = rel->supportive == 1;
        m->secure = rel->secure == 1;
    }
}

static int within(const char *date, long from, long to)
{
    long d = day_of(date);
    return d > from && d <= to;
}

void sb_care_inputs_between(const sb_care_records *r, long from,
                            sb_care_inputs *out)
{
    long to = r->as_of;
    if (to - from < 7)
        from = to - 7;
    /* The relationships are those that last to the end, as for the recent
     * window; only the rates are counted over the stretch. */
    sb_care_inputs_from_records(r, out);
    double weeks = (double)(to - from) / 7.0;
    size_t scheduled = 0, attended = 0, reflected = 0, practised = 0;
    for (size_t i = 0; i < r->session_count; i++)
        if (within(r->sessions[i].date, from, to)) {
            scheduled++;
            attended += r->sessions[i].attended == 1;
        }
    for (size_t i = 0; i < r->reflection_count; i++)
        reflected += within(r->reflections[i].date, from, to);
    for (size_t i = 0; i < r->practice_count; i++)
        practised += within(r->practice[i].date, from, to);
    out->sessions_per_week = fmin((double)scheduled / weeks, 7.0);
    out->attendance = scheduled ? (double)attended / (double)scheduled : 0;
    out->reflections_per_week = fmin((double)reflected / weeks, 50.0);
    out->practice_per_week = fmin((double)practised / weeks, 50.0);
}

/* The model's everyday defaults for a kind: contacts a week and weight. */
static void kind_defaults(const sb_scenario *def, int kind, double *contacts,
                          double *weight)
{
    *contacts = 1.0;
    *weight = 0.2; /* assumption for "other" */
    for (size_t r = 0; r < def->relationship_count; r++)
        if ((int)def->relationships[r].kind == kind) {
            *contacts = def->relationships[r].contacts_per_week;
            *weight = def->relationships[r].weight;
        }
}

/* `name`, or "name 2", "name 3"... when the scenario has it already (a
 * scenario's relationship names are unique; a journal's need not be). */
static void unique_name(const sb_scenario *sc, const char *name,
                        char out[SB_NAME_MAX])
{
    snprintf(out, SB_NAME_MAX, "%s", name[0] ? name : "someone");
    for (int k = 2; sb_scenario_relationship_index(sc, out) >= 0; k++)
        snprintf(out, SB_NAME_MAX, "%.50s %d", name[0] ? name : "someone", k);
}

void sb_care_scenario(const sb_care_inputs *in, double anxiety,
                      double avoidance, int weeks, sb_scenario *sc)
{
    sb_scenario def;
    sb_scenario_default(&def);
    sb_scenario_default(sc);
    snprintf(sc->name, sizeof sc->name, "person-projection");
    snprintf(sc->description, sizeof sc->description,
             "calibrated to one person's latest scores and recent inputs");
    /* Everyone starts at the latest scores, with the model's measurement
     * error as spread, and no burn-in: the working model starts there and
     * the prototype sits behind it by the person's residue (without this
     * the start would be shifted by the residue's mean, which the life
     * events' lasting part holds away from zero). */
    sc->population.start_at_prototype = 1;
    for (int k = 0; k < SB_PROTO_COUNT; k++) {
        sc->params.proto_center[k][0] = anxiety;
        sc->params.proto_center[k][1] = avoidance;
        sc->population.prototype_share[k] = k == 0;
    }
    sc->params.proto_sd = sc->params.sem_anxiety;
    sc->params.burn_in_weeks = 0;

    if (in->sessions_per_week > 0) {
        sc->therapy.sessions_per_week = in->sessions_per_week;
        sc->therapy.attendance = in->attendance;
        sc->therapy.start_week = 0;
        sc->therapy.weeks = weeks;
        sc->followup_weeks = 0;
    } else {
        sc->therapy.sessions_per_week = 0;
        sc->therapy.weeks = 0;
        sc->followup_weeks = weeks;
    }
    sc->reflection = (sb_habit){in->reflections_per_week, 0, -1};
    sc->practice = (sb_habit){in->practice_per_week, 0, -1};

    /* With no relationship recorded, the model's everyday ones stay and
     * what a plan adds comes on top of them. */
    if (in->relationships_recorded)
        sc->relationship_count = 0;
    for (size_t i = 0; i < in->relationship_count &&
                       sc->relationship_count < SB_MAX_RELATIONSHIPS;
         i++) {
        const sb_care_relationship *r = &in->relationships[i];
        sb_relationship *m = &sc->relationships[sc->relationship_count];
        memset(m, 0, sizeof *m);
        unique_name(sc, r->name, m->name);
        sc->relationship_count++;
        m->kind = r->kind;
        m->share = 1;
        m->responsiveness = r->supportive ? SB_CARE_SUPPORTIVE_RESPONSIVENESS
                                          : SB_CARE_STRAINING_RESPONSIVENESS;
        m->consistency = r->supportive ? SB_CARE_SUPPORTIVE_CONSISTENCY
                                       : SB_CARE_STRAINING_CONSISTENCY;
        kind_defaults(&def, r->kind, &m->contacts_per_week, &m->weight);
        m->secure = r->secure;
        m->start_week = 0;
        m->end_week = -1;
    }
}
