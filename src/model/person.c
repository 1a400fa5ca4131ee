/*
 * The weekly step of one person: prototype pull, experiences in
 * relationships and therapy, self-awareness and consolidation, stressful
 * life events, noise and bounds. All increments of a week are computed from
 * the state at the start of the week, then applied together.
 */
#include "model/person.h"

#include "model/sample.h"

#include <math.h>
#include <string.h>

#define clamp sb__person_clamp

/* A switch that changes nothing yet. */
static sb__switch blank_switch(int week, int entry, double share)
{
    sb__switch sw;
    memset(&sw, 0, sizeof sw);
    sw.week = week;
    sw.entry = entry;
    sw.share = share;
    sw.therapy = (sb_therapy_change){NAN, NAN, NAN, NAN, NAN};
    sw.reflection = sw.practice = sw.stress_factor = sw.positive_factor = NAN;
    sw.event = SB_EVENT_NONE;
    return sw;
}

static void add_switch(sb__step_plan *plan, const sb__switch *sw)
{
    if (plan->switch_count < SB_PLAN_SWITCHES)
        plan->switches[plan->switch_count++] = *sw;
}

/* A habit's own window: its rate from start_week, none from end_week. */
static void add_habit(sb__step_plan *plan, const sb_habit *h, int practice)
{
    sb__switch on = blank_switch(h->start_week, -1, 1.0);
    *(practice ? &on.practice : &on.reflection) = h->per_week;
    add_switch(plan, &on);
    if (h->end_week >= 0) {
        sb__switch off = blank_switch(h->end_week, -1, 1.0);
        *(practice ? &off.practice : &off.reflection) = 0;
        add_switch(plan, &off);
    }
}

static sb__switch entry_switch(const sb_scenario *sc, size_t i)
{
    const sb_timeline_entry *e = &sc->timeline[i];
    sb__switch sw = blank_switch(e->week, (int)i, e->share);
    sw.therapy = e->therapy;
    sw.reflection = e->reflection_per_week;
    sw.practice = e->practice_per_week;
    sw.stress_factor = e->stress_factor;
    sw.positive_factor = e->positive_factor;
    int on = e->begins[0] ? sb_scenario_relationship_index(sc, e->begins) : -1;
    int off = e->ends[0] ? sb_scenario_relationship_index(sc, e->ends) : -1;
    sw.rel_on = on >= 0 ? 1u << on : 0;
    sw.rel_off = off >= 0 ? 1u << off : 0;
    sw.event = e->event;
    sw.size = e->size;
    return sw;
}

void sb__step_plan_init(sb__step_plan *plan, const sb_scenario *sc)
{
    plan->sc = sc;
    const sb_params *k = &sc->params;
    for (size_t r = 0; r < sc->relationship_count; r++) {
        const sb_relationship *rel = &sc->relationships[r];
        sb__poisson_table_init(&plan->contacts[r], rel->contacts_per_week);
        plan->rel_spread[r] = (1.0 - rel->consistency) * k->quality_noise;
        plan->rel_target[r] = rel->secure ? k->target_secure
                                          : k->target_insecure;
    }
    sb__poisson_table_init(&plan->reflection, sc->reflection.per_week);
    sb__poisson_table_init(&plan->practice, sc->practice.per_week);
    const sb_therapy *th = &sc->therapy;
    sb__inputs *in = &plan->start;
    memset(in, 0, sizeof *in);
    in->therapy = (sb_therapy_change){th->sessions_per_week, th->attendance,
                                      th->alliance, th->consistency,
                                      th->weight};
    in->reflection_exp = in->practice_exp = 1.0;
    in->stress_factor = in->positive_factor = 1.0;
    /* Burn-in: only the relationships already there at week 0. */
    plan->burn_in = *in;
    for (size_t r = 0; r < sc->relationship_count; r++)
        if (sc->relationships[r].start_week == 0)
            plan->burn_in.relationships |= 1u << r;

    /* The blocks' own starts and ends come first in a week, so that a
     * timeline entry of the same week has the last word. */
    plan->switch_count = 0;
    if (th->weeks > 0) {
        sb__switch open = blank_switch(th->start_week, -1, 1.0);
        open.course = 1;
        add_switch(plan, &open);
        sb__switch close = blank_switch(th->start_week + th->weeks, -1, 1.0);
        close.course = -1;
        add_switch(plan, &close);
    }
    add_habit(plan, &sc->reflection, 0);
    add_habit(plan, &sc->practice, 1);
    for (size_t r = 0; r < sc->relationship_count; r++) {
        const sb_relationship *rel = &sc->relationships[r];
        sb__switch on = blank_switch(rel->start_week, -1, 1.0);
        on.rel_on = 1u << r;
        add_switch(plan, &on);
        if (rel->end_week >= 0) {
            sb__switch off = blank_switch(rel->end_week, -1, 1.0);
            off.rel_off = 1u << r;
            add_switch(plan, &off);
        }
    }
    for (size_t i = 0; i < sc->timeline_count; i++) {
        sb__switch sw = entry_switch(sc, i);
        add_switch(plan, &sw);
    }
    /* Stable insertion sort by week: ties keep the order above. */
    for (size_t i = 1; i < plan->switch_count; i++) {
        sb__switch x = plan->switches[i];
        size_t j = i;
        for (; j > 0 && plan->switches[j - 1].week > x.week; j--)
            plan->switches[j] = plan->switches[j - 1];
        plan->switches[j] = x;
    }
}

double sb__step_plan_words(const sb__step_plan *plan, int burn_in)
{
    const sb_scenario *sc = plan->sc;
    uint32_t rels = burn_in ? plan->burn_in.relationships : ~0u;
    double n = 4; /* stressful and good events' counts, the two drifts */
    for (size_t r = 0; r < sc->relationship_count; r++)
        if (rels >> r & 1)
            n += sc->relationships[r].share *
                 (1.0 + sc->relationships[r].contacts_per_week);
    if (burn_in)
        return n;
    /* sessions (in the course's weeks only, counted as if always) */
    const sb_therapy *th = &sc->therapy;
    n += th->sessions_per_week * (1.0 + 2.0 * th->attendance);
    n += (sc->reflection.per_week > 0) + (sc->practice.per_week > 0);
    return n;
}

/*
 * The residue starts near where the person's life would keep it, so that
 * burn-in has little left to settle: the mean that their random events'
 * lasting parts hold it at, reckoned at the prototype without support
 * (each event adds stress_lasting of its shift, and the residue keeps
 * 1 - residue_decay of itself a week), plus the stationary spread of the
 * drift, normal with SD noise (1 - d) / sqrt(1 - (1 - d)^2).
 */
static void start_residue(sb__person *p, const sb_params *k, sb__rng *rng)
{
    double d = k->residue_decay, keep = 1.0 - d;
    double spread = keep < 1 ? k->noise * keep / sqrt(1.0 - keep * keep) : 0;
    double mean_a = 0, mean_v = 0;
    if (d > 0) {
        double bad = p->stress_base * k->stress_size *
                     (1.0 - k->stress_awareness * p->s_base);
        double good = p->positive_base * k->stress_size;
        double scale = k->stress_lasting * keep / d;
        mean_a = scale * k->stress_anxiety *
                 (bad * (SB_SCALE_MAX - p->pa) - good * (p->pa - SB_SCALE_MIN)) / 6;
        mean_v = scale * k->stress_avoidance *
                 (bad * (SB_SCALE_MAX - p->pv) - good * (p->pv - SB_SCALE_MIN)) / 6;
    }
    p->ra = mean_a + spread * sb__sample_normal(rng);
    p->rv = mean_v + spread * sb__sample_normal(rng);
    p->a = clamp(p->pa + p->ra, SB_SCALE_MIN, SB_SCALE_MAX);
    p->v = clamp(p->pv + p->rv, SB_SCALE_MIN, SB_SCALE_MAX);
}

void sb__person_init(sb__person *p, const sb_scenario *sc, sb__rng *rng)
{
    const sb_params *k = &sc->params;
    const sb_population *pop = &sc->population;
    p->proto = sb__sample_categorical(rng, pop->prototype_share, SB_PROTO_COUNT);
    p->pa = clamp(k->proto_center[p->proto][0] + k->proto_sd * sb__sample_normal(rng),
                  SB_SCALE_MIN, SB_SCALE_MAX);
    p->pv = clamp(k->proto_center[p->proto][1] + k->proto_sd * sb__sample_normal(rng),
                  SB_SCALE_MIN, SB_SCALE_MAX);
    p->plasticity = sb__sample_dist(rng, &pop->plasticity);
    p->stress_base = sb__sample_dist(rng, &pop->stress_per_year) / 52.0;
    p->stress_rate = p->stress_base;
    p->stress_exp = exp(-p->stress_rate);
    p->positive_base = sb__sample_dist(rng, &pop->positive_per_year) / 52.0;
    p->positive_rate = p->positive_base;
    p->positive_exp = exp(-p->positive_rate);
    p->s_base = sb__sample_dist(rng, &pop->awareness);
    start_residue(p, k, rng);
    if (pop->start_at_prototype) {
        /* Known scores say where the working model is, not where the
         * prototype is: the residue is the part of it that life put
         * there, so the prototype sits that much behind. */
        p->a = p->pa;
        p->v = p->pv;
        p->pa = clamp(p->pa - p->ra, SB_SCALE_MIN, SB_SCALE_MAX);
        p->pv = clamp(p->pv - p->rv, SB_SCALE_MIN, SB_SCALE_MAX);
    }
    p->s = p->s_base;
    p->c = 0;
    p->rel_mask = 0;
    for (size_t r = 0; r < sc->relationship_count; r++)
        if (sb__sample_bernoulli(rng, sc->relationships[r].share))
            p->rel_mask |= 1u << r;
    p->pa0 = p->pa;
    p->pv0 = p->pv;
    memset(&p->in, 0, sizeof p->in);
    p->next_switch = 0;
}

/* Running sums of one person's week of experiences (not the runner's
 * population accumulators of the same week). */
typedef struct week_sums {
    double da, dv;    /* increments to the working model */
    double ds;        /* increment to self-awareness */
    double support;   /* sum of weight x perceived quality this week */
} week_sums;

/*
 * What every contact of a week with one partner shares: computed once per
 * partner, as the same operations in the same order as per contact, so
 * that each contact's numbers are unchanged to the last bit.
 */
typedef struct partner {
    double resp;          /* responsiveness */
    double spread;        /* (1 - consistency) * quality_noise */
    double target;        /* where good contact pulls */
    double to_target_a;   /* target - a */
    double to_target_v;   /* target - v */
    double weight;
    double g;             /* gain * weight */
    double g_avoid;       /* gain * weight * avoidance_learning */
} partner;

/* `gain` already holds learning rate, plasticity and self-awareness;
 * `spread` is (1 - consistency) x quality_noise. */
static partner partner_of(const sb__person *p, const sb_params *k, double resp,
                          double spread, double target, double weight,
                          double gain)
{
    partner w;
    w.resp = resp;
    w.spread = spread;
    w.target = target;
    w.to_target_a = w.target - p->a;
    w.to_target_v = w.target - p->v;
    w.weight = weight;
    w.g = gain * weight;
    w.g_avoid = w.g * k->avoidance_learning;
    return w;
}

/* The person's figures that no contact of the week changes. */
typedef struct week_person {
    double bias;          /* perception bias */
    double room_a;        /* SB_SCALE_MAX - a */
    double room_v;        /* SB_SCALE_MAX - v */
    double inconsistency, rejection; /* the two pushes' constants */
} week_person;

/* One contact with the week's normal z; returns its perceived quality q. */
static inline double contact_with(const week_person *me, const partner *w,
                                  double z, week_sums *acc)
{
    double quality = w->resp + w->spread * z;
    double surprise = fabs(quality - w->resp);
    double q = clamp(quality - me->bias, 0.0, 1.0);
    double push_a = q * w->to_target_a +
                    me->inconsistency * surprise * me->room_a;
    double push_v = q * w->to_target_v +
                    me->rejection * (1.0 - q) * me->room_v;
    acc->da += w->g * push_a;
    acc->dv += w->g_avoid * push_v;
    acc->support += w->weight * q;
    return q;
}

/* One contact, its normal drawn from the stream. */
static inline double contact(const week_person *me, const partner *w,
                             sb__rng *rng, week_sums *acc)
{
    return contact_with(me, w, sb__sample_normal(rng), acc);
}

/*
 * n contacts with one partner. The stream's position is kept in a local
 * while the words come from the column and end at the ziggurat's first
 * comparison (so that it stays in a register); any other word goes through
 * the stream itself. The words drawn are the same, in the same order.
 */
static void contacts(const week_person *me, const partner *w, unsigned n,
                     sb__rng *rng, week_sums *acc)
{
    const uint32_t *next = rng->next, *end = rng->end;
    for (unsigned i = 0; i < n; i++) {
        double z;
        if (next != end && sb__sample_normal_fast(*next, &z)) {
            next += SB_RNG_LANES;
        } else {
            rng->next = next;
            z = sb__sample_normal(rng);
            next = rng->next;
            end = rng->end;
        }
        contact_with(me, w, z, acc);
    }
    rng->next = next;
}

/* A session that lands: a corrective experience worked through in
 * therapy, more likely the more aware the person is, closes a share of the
 * gap to the target at once (the model's source of sudden gains). */
static void breakthrough(const sb__person *p, const sb_params *k,
                         const partner *w, double q, sb__rng *rng,
                         week_sums *acc)
{
    if (q > 0.5 && sb__rng_uniform(rng) < k->breakthrough_rate * p->s) {
        acc->da += k->breakthrough_share * q * (w->target - p->a);
        acc->dv += k->breakthrough_share * q * k->avoidance_learning *
                   (w->target - p->v);
        acc->ds += k->breakthrough_share * (1.0 - p->s);
    }
}

/* 1 - (1 - rate)^n for small whole n: the combined effect of n episodes
 * that each close `rate` of the remaining gap, one multiplication an
 * episode. The first four products are computed whatever n is (most counts
 * are that small) and n picks one, rather than ending a loop at a random
 * count, which the processor mispredicts. */
static double repeated(double rate, unsigned n)
{
    double keep[5];
    keep[0] = 1.0;
    for (int i = 1; i < 5; i++)
        keep[i] = keep[i - 1] * (1.0 - rate);
    if (n < 5)
        return 1.0 - keep[n];
    double rest = keep[4];
    for (unsigned i = 4; i < n; i++)
        rest *= 1.0 - rate;
    return 1.0 - rest;
}

/* A count of reflection or practice episodes: from the plan's table when
 * the mean is the one it holds (the same count as the search from 0). */
static unsigned habit_count(sb__rng *rng, const sb__poisson_table *t,
                            double mean, double exp_neg)
{
    if (mean == t->lambda)
        return sb__sample_poisson_table(rng, t);
    return sb__sample_poisson_exp(rng, mean, exp_neg);
}

static void set_if_given(double *slot, double value)
{
    if (!isnan(value))
        *slot = value;
}

static void apply_switch(sb__person *p, const sb__switch *sw)
{
    sb__inputs *in = &p->in;
    if (sw->course)
        in->course = sw->course > 0;
    set_if_given(&in->therapy.sessions_per_week, sw->therapy.sessions_per_week);
    set_if_given(&in->therapy.attendance, sw->therapy.attendance);
    set_if_given(&in->therapy.alliance, sw->therapy.alliance);
    set_if_given(&in->therapy.consistency, sw->therapy.consistency);
    set_if_given(&in->therapy.weight, sw->therapy.weight);
    if (!isnan(sw->reflection)) {
        in->reflection = sw->reflection;
        in->reflection_exp = exp(-sw->reflection);
    }
    if (!isnan(sw->practice)) {
        in->practice = sw->practice;
        in->practice_exp = exp(-sw->practice);
    }
    if (!isnan(sw->stress_factor)) {
        in->stress_factor = sw->stress_factor;
        p->stress_rate = p->stress_base * sw->stress_factor;
        p->stress_exp = exp(-p->stress_rate);
    }
    if (!isnan(sw->positive_factor)) {
        in->positive_factor = sw->positive_factor;
        p->positive_rate = p->positive_base * sw->positive_factor;
        p->positive_exp = exp(-p->positive_rate);
    }
    in->relationships = (in->relationships | sw->rel_on) & ~sw->rel_off;
}

/*
 * Week 0 puts the person on the plan's inputs; then every switch up to this
 * week that applies to them (a share below 1 is drawn from this week's
 * stream) changes their inputs. Events of the switches that applied are
 * collected for later in the week, when its support is known.
 */
static size_t reach_week(sb__person *p, const sb__step_plan *plan, int week,
                         sb__rng *rng, const sb__switch **events)
{
    if (week == 0) {
        p->in = plan->start;
        p->next_switch = 0;
        p->stress_rate = p->stress_base;
        p->stress_exp = exp(-p->stress_rate);
        p->positive_rate = p->positive_base;
        p->positive_exp = exp(-p->positive_rate);
    }
    size_t n = 0;
    while (p->next_switch < plan->switch_count &&
           plan->switches[p->next_switch].week <= week) {
        const sb__switch *sw = &plan->switches[p->next_switch++];
        if (!sb__sample_bernoulli(rng, sw->share))
            continue;
        apply_switch(p, sw);
        if (sw->event != SB_EVENT_NONE && n < SB_TIMELINE_MAX)
            events[n++] = sw;
    }
    return n;
}

/*
 * One life event of the given size. A stressful one, buffered by the week's
 * support, by consolidation and by self-awareness, pulls back toward the
 * prototype (never away from it) and toward insecurity; a good one pushes
 * toward security. With probability stress_lasting the same shift also
 * moves the residue, so that it lasts.
 */
static void life_event(sb__person *p, const sb_params *k, double size,
                       int positive, double buffer, sb__rng *rng,
                       week_sums *acc)
{
    double da, dv;
    if (positive) {
        da = -size * k->stress_anxiety * (p->a - SB_SCALE_MIN) / 6.0;
        dv = -size * k->stress_avoidance * (p->v - SB_SCALE_MIN) / 6.0;
    } else {
        double m = size * (1.0 - buffer) *
                   (1.0 - k->stress_consolidation * p->c) *
                   (1.0 - k->stress_awareness * p->s);
        /* back toward the prototype at most all the way, never past it */
        double back = fmin(1.0, m * k->stress_to_prototype);
        da = back * fmax(0.0, p->pa - p->a) +
             m * k->stress_anxiety * (SB_SCALE_MAX - p->a) / 6.0;
        dv = back * fmax(0.0, p->pv - p->v) +
             m * k->stress_avoidance * (SB_SCALE_MAX - p->v) / 6.0;
    }
    acc->da += da;
    acc->dv += dv;
    if (sb__rng_uniform(rng) < k->stress_lasting) {
        p->ra += da;
        p->rv += dv;
    }
}

void sb__person_step(sb__person *p, const sb__step_plan *plan, int week,
                    sb__rng *rng, sb__week_events *ev)
{
    const sb_scenario *sc = plan->sc;
    const sb_params *k = &sc->params;
    week_sums acc = {0, 0, 0, 0};
    double dc = 0;
    ev->sessions_attended = 0;
    ev->stress_events = ev->positive_events = 0;
    ev->struck = 0;

    const sb__switch *events[SB_TIMELINE_MAX];
    size_t scheduled = 0;
    const sb__inputs *in = &plan->burn_in;
    if (week >= 0) {
        scheduled = reach_week(p, plan, week, rng, events);
        in = &p->in;
    }

    double gain = k->learning * p->plasticity * (1.0 + k->learning_awareness * p->s);
    week_person me;
    me.bias = (1.0 - p->s) *
              (k->bias_anxiety * (p->a - SB_SCALE_MIN) / 6.0 +
               k->bias_avoidance * (p->v - SB_SCALE_MIN) / 6.0);
    me.room_a = SB_SCALE_MAX - p->a;
    me.room_v = SB_SCALE_MAX - p->v;
    me.inconsistency = k->inconsistency_push;
    me.rejection = k->rejection_push;

    /* The relationships the person has and that are there this week. Their
     * sums run in a copy that nothing else can reach, kept in registers. */
    week_sums run = acc;
    uint32_t here = p->rel_mask & in->relationships;
    for (; here; here &= here - 1) {
        int r = __builtin_ctz(here); /* in order, lowest first */
        const sb_relationship *rel = &sc->relationships[r];
        unsigned n = sb__sample_poisson_table(rng, &plan->contacts[r]);
        if (n == 0)
            continue;
        partner w = partner_of(p, k, rel->responsiveness, plan->rel_spread[r],
                               plan->rel_target[r], rel->weight, gain);
        contacts(&me, &w, n, rng, &run);
    }
    acc = run;

    /* Therapy: scheduled sessions, each attended with some probability. */
    const sb_therapy_change *th = &in->therapy;
    if (in->course && th->sessions_per_week > 0) {
        double whole = floor(th->sessions_per_week);
        int due = (int)whole +
                  sb__sample_bernoulli(rng, th->sessions_per_week - whole);
        for (int i = 0; i < due; i++) {
            if (!sb__sample_bernoulli(rng, th->attendance))
                continue;
            ev->sessions_attended++;
            partner w = partner_of(p, k, th->alliance,
                                   (1.0 - th->consistency) * k->quality_noise,
                                   k->target_secure, th->weight,
                                   gain * k->session_intensity);
            double q = contact(&me, &w, rng, &acc);
            breakthrough(p, k, &w, q, rng, &acc);
            acc.ds += k->awareness_therapy * (1.0 - p->s);
            dc += k->consolidation_therapy * (1.0 - p->c);
        }
    }

    /* Reflection raises self-awareness; practice builds consolidation. */
    if (in->reflection > 0) {
        unsigned n = habit_count(rng, &plan->reflection, in->reflection,
                                 in->reflection_exp);
        acc.ds += repeated(k->awareness_reflection, n) * (1.0 - p->s);
    }
    if (in->practice > 0) {
        unsigned n = habit_count(rng, &plan->practice, in->practice,
                                 in->practice_exp);
        double rate = k->consolidation_practice * (0.5 + p->s);
        dc += repeated(clamp(rate, 0, 1), n) * (1.0 - p->c);
    }

    /* Prototype pull, weakened by consolidation, toward the prototype plus
     * the lasting residue of past events. */
    double pull = k->pull * (1.0 - k->pull_consolidation * p->c);
    acc.da += pull * (p->pa + p->ra - p->a);
    acc.dv += pull * (p->pv + p->rv - p->v);

    /* Life events: the random stressful and good ones, then the
     * timeline's; this week's support buffers the stressful ones. */
    unsigned random = sb__sample_poisson_exp(rng, p->stress_rate, p->stress_exp);
    double buffer = k->stress_buffer * clamp(acc.support, 0.0, 1.0);
    for (unsigned e = 0; e < random; e++)
        life_event(p, k, sb__sample_exponential(rng, k->stress_size), 0, buffer,
                   rng, &acc);
    ev->stress_events = random;
    if (p->positive_rate > 0) {
        unsigned good = sb__sample_poisson_exp(rng, p->positive_rate,
                                              p->positive_exp);
        for (unsigned e = 0; e < good; e++)
            life_event(p, k, sb__sample_exponential(rng, k->stress_size), 1,
                       buffer, rng, &acc);
        ev->positive_events = good;
    }
    for (size_t e = 0; e < scheduled; e++) {
        const sb_event_info *kind = sb_event_kind_info(events[e]->event);
        life_event(p, k, events[e]->size, kind->positive, buffer, rng, &acc);
        ev->struck |= (uint64_t)1 << events[e]->entry;
    }

    /* The set point drifts: small lasting traces of everything the model
     * does not name, which fade as slowly as the events' residue. */
    double drift_a = k->noise * sb__sample_normal(rng);
    double drift_v = k->noise * sb__sample_normal(rng);

    /* Consolidated change slowly carves the prototype. */
    p->pa += k->revision * p->c * (p->a - p->pa);
    p->pv += k->revision * p->c * (p->v - p->pv);

    p->a = clamp(p->a + acc.da, SB_SCALE_MIN, SB_SCALE_MAX);
    p->v = clamp(p->v + acc.dv, SB_SCALE_MIN, SB_SCALE_MAX);
    p->s = clamp(p->s + acc.ds - k->awareness_decay * (p->s - p->s_base), 0, 1);
    p->c = clamp(p->c + dc - k->consolidation_decay * p->c, 0, 1);
    p->ra = (p->ra + drift_a) * (1.0 - k->residue_decay);
    p->rv = (p->rv + drift_v) * (1.0 - k->residue_decay);
}
