/*
 * The weekly step of one person: prototype pull, experiences in
 * relationships and therapy, self-awareness and consolidation, stressful
 * life events, noise and bounds. All increments of a week are computed from
 * the state at the start of the week, then applied together.
 */
#include "model/person.h"

#include "model/sample.h"

#include <math.h>

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

void sb__step_plan_init(sb__step_plan *plan, const sb_scenario *sc)
{
    plan->sc = sc;
    for (size_t r = 0; r < sc->relationship_count; r++)
        sb__poisson_table_init(&plan->contacts[r],
                               sc->relationships[r].contacts_per_week);
    sb__poisson_table_init(&plan->reflection, sc->reflection.per_week);
    sb__poisson_table_init(&plan->practice, sc->practice.per_week);
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
    p->a = p->pa;
    p->v = p->pv;
    p->ra = p->rv = 0;
    p->plasticity = sb__sample_dist(rng, &pop->plasticity);
    p->stress_rate = sb__sample_dist(rng, &pop->stress_per_year) / 52.0;
    p->stress_exp = exp(-p->stress_rate);
    p->s_base = sb__sample_dist(rng, &pop->awareness);
    p->s = p->s_base;
    p->c = 0;
    p->rel_mask = 0;
    for (size_t r = 0; r < sc->relationship_count; r++)
        if (sb__sample_bernoulli(rng, sc->relationships[r].share))
            p->rel_mask |= 1u << r;
    p->pa0 = p->pa;
    p->pv0 = p->pv;
}

double sb__person_observe(double truth, double sem, sb__rng *rng)
{
    return clamp(truth + sem * sb__sample_normal(rng), SB_SCALE_MIN,
                 SB_SCALE_MAX);
}

/* Running sums of one person's week of experiences (not the runner's
 * population accumulators of the same week). */
typedef struct week_sums {
    double da, dv;    /* increments to the working model */
    double ds;        /* increment to self-awareness */
    double support;   /* sum of weight x perceived quality this week */
} week_sums;

/*
 * One contact with someone of the given responsiveness, consistency,
 * attachment weight and security. `gain` already holds learning rate,
 * plasticity and self-awareness; `bias` the perception bias.
 */
static void contact(const sb__person *p, const sb_params *k, double resp,
                    double cons, double weight, int secure, double gain,
                    double bias, int session, sb__rng *rng, week_sums *acc)
{
    double quality = resp + (1.0 - cons) * k->quality_noise * sb__sample_normal(rng);
    double surprise = fabs(quality - resp);
    double q = clamp(quality - bias, 0.0, 1.0);
    double target = secure ? k->target_secure : k->target_insecure;
    double g = gain * weight;
    double push_a = q * (target - p->a) +
                    k->inconsistency_push * surprise * (SB_SCALE_MAX - p->a);
    double push_v = q * (target - p->v) +
                    k->rejection_push * (1.0 - q) * (SB_SCALE_MAX - p->v);
    acc->da += g * push_a;
    acc->dv += g * k->avoidance_learning * push_v;
    acc->support += weight * q;
    /* A session that lands: a corrective experience worked through in
     * therapy, more likely the more aware the person is, closes a share of
     * the gap to the target at once (the model's source of sudden gains). */
    if (session && q > 0.5 &&
        sb__rng_uniform(rng) < k->breakthrough_rate * p->s) {
        acc->da += k->breakthrough_share * q * (target - p->a);
        acc->dv += k->breakthrough_share * q * k->avoidance_learning *
                   (target - p->v);
        acc->ds += k->breakthrough_share * (1.0 - p->s);
    }
}

static int active(int week, int start, int end)
{
    return week >= start && (end < 0 || week < end);
}

/* 1 - (1 - rate)^n for small whole n: the combined effect of n episodes
 * that each close `rate` of the remaining gap. */
static double repeated(double rate, unsigned n)
{
    double keep = 1.0;
    for (unsigned i = 0; i < n; i++)
        keep *= 1.0 - rate;
    return 1.0 - keep;
}

void sb__person_step(sb__person *p, const sb__step_plan *plan, int week,
                     sb__rng *rng, sb__week_events *ev)
{
    const sb_scenario *sc = plan->sc;
    const sb_params *k = &sc->params;
    week_sums acc = {0, 0, 0, 0};
    double dc = 0;
    ev->sessions_attended = 0;

    double gain = k->learning * p->plasticity * (1.0 + k->learning_awareness * p->s);
    double bias = (1.0 - p->s) *
                  (k->bias_anxiety * (p->a - SB_SCALE_MIN) / 6.0 +
                   k->bias_avoidance * (p->v - SB_SCALE_MIN) / 6.0);

    /* Relationships; during burn-in only those already there at week 0. */
    for (size_t r = 0; r < sc->relationship_count; r++) {
        if (!(p->rel_mask & (1u << r)))
            continue;
        const sb_relationship *rel = &sc->relationships[r];
        int here = week < 0 ? rel->start_week == 0
                            : active(week, rel->start_week, rel->end_week);
        if (!here)
            continue;
        unsigned n = sb__sample_poisson_table(rng, &plan->contacts[r]);
        for (unsigned i = 0; i < n; i++)
            contact(p, k, rel->responsiveness, rel->consistency, rel->weight,
                    rel->secure, gain, bias, 0, rng, &acc);
    }

    /* Therapy: scheduled sessions, each attended with some probability. */
    const sb_therapy *th = &sc->therapy;
    if (week >= 0 && th->sessions_per_week > 0 &&
        active(week, th->start_week, th->start_week + th->weeks)) {
        double whole = floor(th->sessions_per_week);
        int scheduled = (int)whole +
                        sb__sample_bernoulli(rng, th->sessions_per_week - whole);
        for (int i = 0; i < scheduled; i++) {
            if (!sb__sample_bernoulli(rng, th->attendance))
                continue;
            ev->sessions_attended++;
            contact(p, k, th->alliance, th->consistency, th->weight, 1,
                    gain * k->session_intensity, bias, 1, rng, &acc);
            acc.ds += k->awareness_therapy * (1.0 - p->s);
            dc += k->consolidation_therapy * (1.0 - p->c);
        }
    }

    /* Reflection raises self-awareness; practice builds consolidation. */
    if (week >= 0 && sc->reflection.per_week > 0 &&
        active(week, sc->reflection.start_week, sc->reflection.end_week)) {
        unsigned n = sb__sample_poisson_table(rng, &plan->reflection);
        acc.ds += repeated(k->awareness_reflection, n) * (1.0 - p->s);
    }
    if (week >= 0 && sc->practice.per_week > 0 &&
        active(week, sc->practice.start_week, sc->practice.end_week)) {
        unsigned n = sb__sample_poisson_table(rng, &plan->practice);
        double rate = k->consolidation_practice * (0.5 + p->s);
        dc += repeated(clamp(rate, 0, 1), n) * (1.0 - p->c);
    }

    /* Prototype pull, weakened by consolidation, toward the prototype plus
     * the lasting residue of past events. */
    double pull = k->pull * (1.0 - k->pull_consolidation * p->c);
    acc.da += pull * (p->pa + p->ra - p->a);
    acc.dv += pull * (p->pv + p->rv - p->v);

    /* Stressful life events, buffered by this week's support: they pull
     * back toward the prototype (never away from it) and toward insecurity. */
    unsigned events = sb__sample_poisson_exp(rng, p->stress_rate, p->stress_exp);
    double buffer = k->stress_buffer * clamp(acc.support, 0.0, 1.0);
    for (unsigned e = 0; e < events; e++) {
        double size = sb__sample_exponential(rng, k->stress_size) * (1.0 - buffer) *
                      (1.0 - k->stress_consolidation * p->c) *
                      (1.0 - k->stress_awareness * p->s);
        double shift_a =
            size * (k->stress_to_prototype * fmax(0.0, p->pa - p->a) +
                    k->stress_anxiety * (SB_SCALE_MAX - p->a) / 6.0);
        double shift_v =
            size * (k->stress_to_prototype * fmax(0.0, p->pv - p->v) +
                    k->stress_avoidance * (SB_SCALE_MAX - p->v) / 6.0);
        acc.da += shift_a;
        acc.dv += shift_v;
        if (sb__rng_uniform(rng) < k->stress_lasting) {
            p->ra += shift_a;
            p->rv += shift_v;
        }
    }

    acc.da += k->noise * sb__sample_normal(rng);
    acc.dv += k->noise * sb__sample_normal(rng);

    /* Consolidated change slowly carves the prototype. */
    p->pa += k->revision * p->c * (p->a - p->pa);
    p->pv += k->revision * p->c * (p->v - p->pv);

    p->a = clamp(p->a + acc.da, SB_SCALE_MIN, SB_SCALE_MAX);
    p->v = clamp(p->v + acc.dv, SB_SCALE_MIN, SB_SCALE_MAX);
    p->s = clamp(p->s + acc.ds - k->awareness_decay * (p->s - p->s_base), 0, 1);
    p->c = clamp(p->c + dc - k->consolidation_decay * p->c, 0, 1);
    p->ra *= 1.0 - k->residue_decay;
    p->rv *= 1.0 - k->residue_decay;
}
