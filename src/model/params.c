/*
 * Model constants: their defaults, allowed ranges, units and sources. The
 * table drives the scenario loader's `model:` section, the parameter table
 * in docs/model.md, and range checks.
 */
#include <securebase/model.h>

#include <stddef.h>
#include <string.h>

#define P(member, lo, hi, unit, meaning, source) \
    {#member, offsetof(sb_params, member), lo, hi, unit, meaning, source, 0}
/* A count of weeks: the simulator uses it as a whole number. */
#define WEEKS(member, lo, hi, meaning, source) \
    {#member, offsetof(sb_params, member), lo, hi, "weeks", meaning, source, 1}

static const sb_param_info table[] = {
    P(proto_sd, 0, 3, "scale points",
      "within-prototype SD of the prototype location",
      "posterior median of calibrations/shipped (95% credible interval 0.116-0.55; docs/calibration.md) under the prior uniform 0.1-0.6, wide around the hand-sized 0.3 of the earlier search (docs/validation.md); with the other sources of spread it sets the population SD (about 1.1-1.2; ECR-R norms, Fraley, Waller & Brennan 2000) and the decade retest near .4 (V3)"),
    P(pull, 0, 1, "per week",
      "share of the gap between x and the prototype (plus residue) closed each week",
      "posterior median of calibrations/shipped (95% credible interval 0.0209-0.0992; docs/calibration.md) under the prior uniform 0.01-0.1, wide around the hand-sized 0.03 of the earlier search (docs/validation.md); the pull is Fraley 2002's prototype model; its rate is placed by V3 (the retest levels off) and V5/V9 (therapy and the passing part of an event fade over months)"),
    P(pull_consolidation, 0, 1, "share",
      "how much full consolidation (c = 1) weakens the prototype pull",
      "assumption (design: consolidation weakens the pull)"),
    P(revision, 0, 1, "per week",
      "prototype revision toward x per week, multiplied by c",
      "assumption (design: rewiring is possible but slow, through consolidated change), sized with the hand-sized values of the fitted parameters so that the seed's scenarios with practice revise the prototype most and keep most of their gain (docs/validation.md); not fitted"),
    P(learning, 0, 1, "per contact",
      "share of the gap to an experience's target closed by one contact of weight 1",
      "posterior median of calibrations/shipped (95% credible interval 0.00129-0.00708; docs/calibration.md) under the prior lognormal (log mean -5.655, log SD 0.5) in 0.001-0.02, wide around the hand-sized 0.0035 of the earlier search (docs/validation.md); placed by V1 (the everyday relationships' share of where people sit) and V5/V6"),
    P(learning_awareness, 0, 10, "per unit s",
      "extra update per unit of self-awareness (gain = learning*(1 + this*s))",
      "assumption (design: s raises how much a corrective experience updates x)"),
    P(session_intensity, 0, 50, "contacts",
      "how many ordinary contacts one attended therapy session is worth",
      "posterior median of calibrations/shipped (95% credible interval 2.16-11.3; docs/calibration.md) under the prior uniform 2-12, wide around the hand-sized 6.5 of the earlier search (docs/validation.md); a session is a long, focused contact; placed by V5/V6"),
    P(avoidance_learning, 0, 2, "ratio",
      "speed of avoidance updates relative to anxiety",
      "Taylor et al. 2015: therapy changes avoidance less than anxiety"),
    P(quality_noise, 0, 2, "quality units",
      "SD of a contact's quality at consistency 0 (scaled by 1 - consistency)",
      "assumption"),
    P(bias_anxiety, 0, 2, "quality units",
      "perceived-quality loss at maximal anxiety when s = 0",
      "assumption (anxious people read ambiguity as rejection; Collins 1996)"),
    P(bias_avoidance, 0, 2, "quality units",
      "perceived-quality discount at maximal avoidance when s = 0",
      "assumption (avoidant people discount support; Collins 1996)"),
    P(target_secure, 1, 7, "scale points",
      "where well-perceived contact with a secure other pulls x",
      "assumption (low anxiety and avoidance on ECR-R)"),
    P(target_insecure, 1, 7, "scale points",
      "where well-perceived contact with an insecure other pulls x",
      "assumption (insecure relationships can make things worse)"),
    P(rejection_push, 0, 5, "ratio",
      "pull toward maximal avoidance of a contact perceived as unresponsive",
      "assumption (unresponsive contact raises avoidance)"),
    P(inconsistency_push, 0, 5, "ratio",
      "pull toward maximal anxiety per unit of surprise in a contact's quality",
      "assumption (inconsistent contact raises anxiety)"),
    P(breakthrough_rate, 0, 1, "per session",
      "chance, times s, that an attended session perceived as good (q > 0.5) lands as a breakthrough",
      "posterior median of calibrations/shipped (95% credible interval 0.043-0.347; docs/calibration.md) under the prior uniform 0-0.5, wide around the hand-sized 0.22 of the earlier search (docs/validation.md); placed with breakthrough_share by V7 (sudden gains in 15-40% of courses; Tang & DeRubeis 1999)"),
    P(breakthrough_share, 0, 1, "share",
      "share of the gap to the target that a breakthrough closes at once",
      "posterior median of calibrations/shipped (95% credible interval 0.301-0.864; docs/calibration.md) under the prior uniform 0.1-0.9, wide around the hand-sized 0.45 of the earlier search (docs/validation.md); placed with breakthrough_rate by V7: a breakthrough counts as a sudden gain only when its jump is a reliable change"),
    P(awareness_therapy, 0, 1, "per session",
      "growth of s per attended session, times (1 - s)",
      "assumption (design: s grows with therapy)"),
    P(awareness_reflection, 0, 1, "per reflection",
      "growth of s per reflection episode, times (1 - s)",
      "assumption (design: s grows with reflection)"),
    P(awareness_decay, 0, 1, "per week",
      "weekly decay of s toward the person's baseline",
      "assumption (design: s fades slowly without therapy or reflection)"),
    P(consolidation_practice, 0, 1, "per practice",
      "growth of c per practice episode, times (0.5 + s)(1 - c)",
      "assumption (design: practice builds c, more so with higher s)"),
    P(consolidation_therapy, 0, 1, "per session",
      "growth of c per attended session, times (1 - c)",
      "assumption (rehearsal inside sessions)"),
    P(consolidation_decay, 0, 1, "per week",
      "weekly decay of c toward 0",
      "assumption (design: c fades slowly without practice)"),
    P(stress_size, 0, 5, "size units",
      "mean size of a random life event (exponential), stressful or good",
      "posterior median of calibrations/shipped (95% credible interval 0.893-2.47; docs/calibration.md) under the prior uniform 0.8-2.5, wide around the hand-sized 1.6 of the earlier search (docs/validation.md); placed by V9 and the retests (V3); V7's sudden losses and V8 are held out"),
    P(stress_buffer, 0, 1, "share",
      "share of a stressful event absorbed by a week of full support (every contact's w*q, attended therapy sessions included)",
      "assumption (support buffers stress; Cohen & Wills 1985), sized to V7"),
    P(stress_to_prototype, 0, 5, "per size unit",
      "share of the gap back to the prototype closed per unit of a stressful event's buffered size (at most all of it)",
      "assumption (events re-activate old patterns; design), sized to V7: losses come most to those who have moved below their prototype"),
    P(stress_anxiety, 0, 5, "per size unit",
      "push toward maximal anxiety per unit of a stressful event's size (toward minimal for a good one)",
      "assumption"),
    P(stress_avoidance, 0, 5, "per size unit",
      "push toward maximal avoidance per unit of a stressful event's size (toward minimal for a good one)",
      "assumption"),
    P(stress_consolidation, 0, 1, "share",
      "how much full consolidation shrinks a stressful event's effect",
      "assumption (design: less so with c)"),
    P(stress_awareness, 0, 1, "share",
      "how much full self-awareness shrinks a stressful event's effect",
      "assumption (design: less so with s), sized to V7"),
    P(stress_lasting, 0, 1, "share",
      "chance that an event's shift also moves the residue (lasting change)",
      "posterior median of calibrations/shipped (95% credible interval 0.0205-0.286; docs/calibration.md) under the prior uniform 0-0.3, wide around the hand-sized 0.06 of the earlier search (docs/validation.md); placed by V9: most of an event's mean shift fades within a year and a minority lasts (Fraley, Gillath & Deboeck 2021), and some people change lastingly while others do not (the same paper), hence a chance per event. Not the paper's 'about a quarter', which counts kinds of event with an enduring average effect, not events or people"),
    P(residue_decay, 0, 1, "per week",
      "weekly decay of the residue (lasting event shifts and the drift)",
      "assumption: half-life 115 weeks (ln 2 / -ln(1 - d)), sized to V3 (the retest falls for years, then levels off) and V9"),
    P(noise, 0, 2, "scale points",
      "SD of the weekly drift of the residue, per dimension: lasting traces the model does not name",
      "posterior median of calibrations/shipped (95% credible interval 0.0276-0.103; docs/calibration.md) under the prior uniform 0.02-0.15, wide around the hand-sized 0.06 of the earlier search (docs/validation.md); lasting traces the model does not name, placed by V3: differences that come and go over years, little from week to week (V8, held out)"),
    P(state_sd, 0, 2, "scale points",
      "SD of a week's momentary state around the working model, drawn afresh each week",
      "assumption, sized to V8: latent stability of the ECR-R about .92-.93 at both 3 and 6 weeks (Sibley & Liu 2004; Sibley, Fischer & Liu 2005), so a few percent of the true variance is specific to the occasion"),
    P(sem_anxiety, 0, 3, "scale points",
      "measurement error SD of an observed anxiety score",
      "assumption: sized with the simulated population SD (about 1.0) to an observed reliability of about .89, at the low end of the ECR-R's reported internal consistency; with the latent 3-6-week stability of .92-.93 (Sibley & Liu 2004) it puts the observed retests inside both V3's 30-day band and V8's; not read from a specific table"),
    P(sem_avoidance, 0, 3, "scale points",
      "measurement error SD of an observed avoidance score",
      "assumption: as for anxiety, at the simulated avoidance SD (about 1.1); not read from a specific table"),
    P(secure_cutoff, 1, 7, "scale points",
      "secure means anxiety and avoidance both below this",
      "assumption: the scale midpoint, as in ECR-R quadrant classifications"),
    WEEKS(stable_weeks, 1, 520,
      "weeks in a row secure that count as stable security",
      "assumption (six months)"),
    P(setback_rise, 0, 6, "scale points",
      "rise of the insecurity composite within 4 weeks that counts as a setback",
      "assumption (about half a population SD)"),
    WEEKS(burn_in_weeks, 0, 2080,
      "weeks simulated before week 0 so the population starts in equilibrium",
      "assumption (method): 4 half-lives of the residue, which starts near its mean; V2 checks the drift left"),
};

#undef P
#undef WEEKS

const sb_param_info *sb_params_table(size_t *count)
{
    *count = sizeof table / sizeof table[0];
    return table;
}

const sb_param_info *sb_params_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i].name, name))
            return &table[i];
    return NULL;
}

void sb_params_default(sb_params *p)
{
    memset(p, 0, sizeof *p);
    /* Prototype centres (anxiety, avoidance) on the ECR-R metric: an
     * assumption placed in the four quadrants so that the population means
     * match web-sample norms (anxiety about 3.6, avoidance about 2.9; Fraley,
     * Waller & Brennan 2000). */
    static const double centers[SB_PROTO_COUNT][2] = {
        {2.7, 2.2}, {4.6, 2.7}, {2.8, 3.9}, {4.7, 4.4}};
    memcpy(p->proto_center, centers, sizeof centers);
    /* Posterior median of calibrations/shipped; prior uniform 0.1-0.6, around
     * the hand-sized 0.3. */
    p->proto_sd = 0.2679;
    /* Posterior median of calibrations/shipped; prior uniform 0.01-0.1, around
     * the hand-sized 0.03. */
    p->pull = 0.06924;
    p->pull_consolidation = 0.9;
    p->revision = 0.05;
    /* Posterior median of calibrations/shipped; prior lognormal (log mean
     * -5.655, log SD 0.5) in 0.001-0.02, around the hand-sized 0.0035. */
    p->learning = 0.00324;
    p->learning_awareness = 1.0;
    /* Posterior median of calibrations/shipped; prior uniform 2-12, around the
     * hand-sized 6.5. */
    p->session_intensity = 5.219;
    p->avoidance_learning = 0.6;
    p->quality_noise = 0.3;
    p->bias_anxiety = 0.3;
    p->bias_avoidance = 0.3;
    p->target_secure = 1.5;
    p->target_insecure = 4.0;
    p->rejection_push = 0.3;
    p->inconsistency_push = 0.5;
    /* Posterior median of calibrations/shipped; prior uniform 0-0.5, around
     * the hand-sized 0.22. */
    p->breakthrough_rate = 0.1223;
    /* Posterior median of calibrations/shipped; prior uniform 0.1-0.9, around
     * the hand-sized 0.45. */
    p->breakthrough_share = 0.6233;
    p->awareness_therapy = 0.03;
    p->awareness_reflection = 0.01;
    p->awareness_decay = 0.01;
    p->consolidation_practice = 0.02;
    p->consolidation_therapy = 0.005;
    p->consolidation_decay = 0.005;
    /* Posterior median of calibrations/shipped; prior uniform 0.8-2.5, around
     * the hand-sized 1.6. */
    p->stress_size = 1.683;
    p->stress_buffer = 0.15;
    p->stress_to_prototype = 4.0;
    p->stress_anxiety = 1.0;
    p->stress_avoidance = 1.2;
    p->stress_consolidation = 0.85;
    p->stress_awareness = 0.2;
    /* Posterior median of calibrations/shipped; prior uniform 0-0.3, around
     * the hand-sized 0.06. */
    p->stress_lasting = 0.1331;
    p->residue_decay = 0.006;
    /* Posterior median of calibrations/shipped; prior uniform 0.02-0.15,
     * around the hand-sized 0.06. */
    p->noise = 0.06732;
    p->state_sd = 0.17;
    p->sem_anxiety = 0.35;
    p->sem_avoidance = 0.39;
    p->secure_cutoff = 4.0;
    p->stable_weeks = 26;
    p->setback_rise = 1.0;
    p->burn_in_weeks = 520;
}
