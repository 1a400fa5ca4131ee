/*
 * The questionnaire series that the care layer and the report follow for
 * one person: the instrument, on one response scale, with the most
 * administrations that give both anxiety and avoidance.
 */
#include <securebase/whatif.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

double sb_care_score(const sb_rec_assessment *a, const char *name)
{
    for (size_t i = 0; i < a->score_count; i++)
        if (!strcmp(a->scores[i].scale, name))
            return a->scores[i].value;
    return NAN;
}

static int has_dimensions(const sb_rec_assessment *a)
{
    return !isnan(sb_care_score(a, "anxiety")) &&
           !isnan(sb_care_score(a, "avoidance"));
}

/* The built-in instruments' own scales met so far (few in any journal). */
typedef struct scale_cache {
    size_t known;
    char name[8][SB_JOURNAL_NAME_MAX];
    sb_scale scale[8];
} scale_cache;

/*
 * The scale an assessment was scored on: its own text, or the built-in
 * instrument's scale when that is empty ({0, 0} when neither is known).
 * Journals written before the scale was stored in one spelling may hold
 * "1-7" beside "" for the same scale.
 */
static sb_scale scored_scale(const sb_rec_assessment *a, scale_cache *c)
{
    sb_scale s = {0, 0};
    if (a->scale[0]) {
        (void)sb_scale_parse(a->scale, &s, NULL);
        return s;
    }
    for (size_t k = 0; k < c->known; k++)
        if (!strcmp(c->name[k], a->instrument))
            return c->scale[k];
    sb_instrument *inst;
    if (sb_instrument_builtin(a->instrument, &inst, NULL) != SB_OK)
        return s;
    s = sb_instrument_scale(inst);
    sb_instrument_free(inst);
    if (c->known < 8) {
        snprintf(c->name[c->known], sizeof c->name[0], "%s", a->instrument);
        c->scale[c->known++] = s;
    }
    return s;
}

static int same_series(const sb_rec_assessment *a, sb_scale sa,
                       const sb_rec_assessment *b, sb_scale sb)
{
    return !strcmp(a->instrument, b->instrument) && sa.min == sb.min &&
           sa.max == sb.max;
}

void sb_care_series_pick(const sb_rec_assessment *a, size_t n,
                         sb_care_series *out, unsigned char *member)
{
    memset(out, 0, sizeof *out);
    out->anxiety = out->avoidance = NAN;
    if (member)
        memset(member, 0, n);
    /* The distinct series, each with its count: few in any journal. */
    enum { KINDS = 16 };
    size_t first[KINDS], count[KINDS], latest[KINDS], kinds = 0;
    sb_scale scale[KINDS];
    scale_cache cache = {0};
    for (size_t i = 0; i < n; i++) {
        if (!has_dimensions(&a[i]))
            continue;
        sb_scale s = scored_scale(&a[i], &cache);
        size_t k = 0;
        while (k < kinds && !same_series(&a[first[k]], scale[k], &a[i], s))
            k++;
        if (k == kinds) {
            if (kinds == KINDS)
                continue;
            first[k] = i;
            scale[k] = s;
            count[k] = 0;
            kinds++;
        }
        count[k]++;
        latest[k] = i;
    }
    size_t best = kinds;
    for (size_t k = 0; k < kinds; k++)
        if (best == kinds || count[k] > count[best])
            best = k;
    if (best == kinds)
        return;
    const sb_rec_assessment *last = &a[latest[best]];
    snprintf(out->instrument, sizeof out->instrument, "%s",
             a[first[best]].instrument);
    out->scale = scale[best];
    out->count = count[best];
    out->latest = latest[best];
    out->anxiety = sb_care_score(last, "anxiety");
    out->avoidance = sb_care_score(last, "avoidance");
    for (size_t i = 0; member && i < n; i++)
        member[i] = has_dimensions(&a[i]) &&
                    same_series(&a[first[best]], scale[best], &a[i],
                                scored_scale(&a[i], &cache));
}
