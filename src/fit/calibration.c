/*
 * Calibration files: which scenarios the model is run on, the parameters
 * to fit with their priors, and the targets, each a published figure with
 * its uncertainty and source, named by a statistic from a fixed menu
 * (docs/calibration.md). Read through the hardened YAML tree reader, every
 * value checked, every error located at file:line:column.
 */
#include "fit/fit_internal.h"

#include "base/builtin.h"
#include "base/str.h"
#include "scenario/load.h"
#include "scenario/value.h"

#include <securebase/scenario.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PERSONS 2000

static const char *const stat_names[] = {
    "share_secure",      "retest_r",          "category_stability",
    "change",            "cohens_d",          "share_improved",
    "sudden_gain_share", "sudden_loss_share", "event_response", NULL};
static const char *const dim_names[] = {"anxiety", "avoidance", "composite",
                                        NULL};
static const char *const score_names[] = {"true", "observed", NULL};
static const char *const group_names[] = {"all", "secure", "insecure", NULL};
static const char *const use_names[] = {"held-out", "fit", NULL};
static const char *const prior_names[] = {"uniform", "normal", "lognormal",
                                          NULL};

const char *sb_statistic_name(sb_statistic s)
{
    return (unsigned)s < SB_STAT_COUNT ? stat_names[s] : "?";
}

/* Which optional keys each statistic takes (bits of the key list below). */
enum { K_WEEK = 1, K_FROM = 2, K_LAG = 4, K_SESSION = 8, K_DIMENSION = 16,
       K_SCORES = 32, K_GROUP = 64, K_THRESHOLD = 128, K_VERSUS = 256,
       K_RELATIVE_LAG = 512 };
static const char *const stat_key_names[] = {
    "week",   "from",  "lag",       "session", "dimension",
    "scores", "group", "threshold", "versus",  "relative_lag"};
#define STAT_KEYS (sizeof stat_key_names / sizeof stat_key_names[0])
static const unsigned stat_keys[SB_STAT_COUNT] = {
    [SB_STAT_SHARE_SECURE] = K_WEEK | K_SCORES,
    [SB_STAT_RETEST_R] = K_FROM | K_LAG | K_DIMENSION | K_SCORES,
    [SB_STAT_CATEGORY_STABILITY] = K_FROM | K_LAG | K_GROUP,
    [SB_STAT_CHANGE] = K_FROM | K_WEEK | K_DIMENSION,
    [SB_STAT_COHENS_D] = K_FROM | K_WEEK | K_DIMENSION,
    [SB_STAT_SHARE_IMPROVED] = K_SESSION | K_THRESHOLD,
    [SB_STAT_SUDDEN_GAIN_SHARE] = 0,
    [SB_STAT_SUDDEN_LOSS_SHARE] = 0,
    [SB_STAT_EVENT_RESPONSE] =
        K_WEEK | K_LAG | K_DIMENSION | K_VERSUS | K_RELATIVE_LAG,
};
/* ...and which of them it cannot do without. */
static const unsigned stat_required[SB_STAT_COUNT] = {
    [SB_STAT_RETEST_R] = K_LAG | K_DIMENSION,
    [SB_STAT_CATEGORY_STABILITY] = K_LAG,
    [SB_STAT_CHANGE] = K_WEEK | K_DIMENSION,
    [SB_STAT_COHENS_D] = K_WEEK | K_DIMENSION,
    [SB_STAT_SHARE_IMPROVED] = K_SESSION,
    [SB_STAT_EVENT_RESPONSE] = K_WEEK | K_LAG | K_DIMENSION,
};

/* Parameters that define what the summaries count, not how people move:
 * fitting them would move the goalposts. */
static int is_definition(const char *name)
{
    static const char *const defs[] = {"secure_cutoff", "stable_weeks",
                                       "setback_rise", "burn_in_weeks"};
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
        if (!strcmp(name, defs[i]))
            return 1;
    return 0;
}

/* Refuses keys of `map` not in `allowed` (NULL-terminated). */
static sb_status known_keys(const sb__yctx *c, const sb__ynode *map,
                            const char *const *allowed, const char *where)
{
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const sb__ynode *k = map->kids[i];
        int ok = 0;
        for (size_t a = 0; allowed[a] && !ok; a++)
            ok = sb__yscalar_is(k, allowed[a]);
        if (!ok) {
            char shown[64], list[256] = "";
            sb__ytext_show(k->text, k->len, shown, sizeof shown);
            for (size_t a = 0; allowed[a]; a++) {
                strncat(list, a ? ", " : "", sizeof list - strlen(list) - 1);
                strncat(list, allowed[a], sizeof list - strlen(list) - 1);
            }
            return sb__yfail(c, SB_ERR_INVALID, k,
                            "%s: unknown key '%s'; the keys are: %s", where,
                            shown, list);
        }
    }
    return SB_OK;
}

/*
 * A scenario written out in place: loaded as a scenario file would be, its
 * `base:` a built-in name or, when the calibration is a file, a path
 * relative to it; errors are located in the calibration file.
 */
static sb_status load_inline_scenario(const sb__yctx *c, const sb__ynode *node,
                                      sb_scenario *out)
{
    sb__source src;
    sb_status st;
    if (sb_calibration_builtin_text(c->origin)) {
        /* A built-in file has no directory to resolve paths from. */
        memset(&src, 0, sizeof src);
        src.origin = sb__str_dup(c->origin);
        src.identity = sb__str_concat("calibration:", c->origin);
        st = src.origin && src.identity
                 ? SB_OK
                 : sb_error_set(c->err, SB_ERR_NOMEM, c->origin, 0, 0,
                                "out of memory");
    } else {
        st = sb__source_text(NULL, 0, c->origin, &src, c->err);
    }
    if (st == SB_OK) {
        sb__loader ld = {.err = c->err, .depth = 1, .chain = {&src}};
        st = sb__load_scenario_tree(&ld, &src, node, out);
    }
    sb__source_free(&src);
    return st;
}

/* Resolves one scenario: written out in place, or a reference (a built-in
 * name, or a path relative to the calibration file's directory). */
static sb_status load_scenario(const sb__yctx *c, const sb__ynode *node,
                               const char *key, sb_scenario *out)
{
    if (node->kind == SB_YNODE_MAP)
        return load_inline_scenario(c, node, out);
    char ref[1024];
    sb_status st = sb__yget_string(c, node, key, 512, 0, ref);
    if (st != SB_OK)
        return st;
    char path[2048];
    const char *slash = strrchr(c->origin, '/');
    int is_path = strchr(ref, '/') || strstr(ref, ".yaml") || strstr(ref, ".yml");
    if (is_path && ref[0] != '/' && slash && !sb_calibration_builtin_text(c->origin))
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - c->origin),
                 c->origin, ref);
    else
        snprintf(path, sizeof path, "%s", ref);
    sb_scenario *list;
    size_t n;
    sb_error inner;
    st = sb_scenario_resolve(path, &list, &n, &inner);
    if (st != SB_OK) {
        char msg[SB_ERROR_MSG_MAX + SB_ERROR_FILE_MAX + 64];
        sb_error_format(&inner, msg, sizeof msg);
        return sb__yfail(c, st, node, "scenario %s: %s", key, msg);
    }
    if (n != 1) {
        free(list);
        return sb__yfail(c, SB_ERR_INVALID, node,
                        "scenario %s: '%s' is a set of %zu scenarios; name "
                        "one scenario",
                        key, ref, n);
    }
    *out = list[0];
    free(list);
    return SB_OK;
}

static sb_status read_scenarios(const sb__yctx *c, const sb__ynode *map,
                                sb_calibration *cal)
{
    sb_status st = sb__yexpect(c, map, SB_YNODE_MAP, "scenarios");
    if (st != SB_OK)
        return st;
    if (map->count / 2 > SB_FIT_MAX_SCENARIOS || map->count == 0)
        return sb__yfail(c, SB_ERR_INVALID, map,
                        "scenarios: %zu given; allowed 1..%d", map->count / 2,
                        SB_FIT_MAX_SCENARIOS);
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const sb__ynode *k = map->kids[i];
        size_t s = cal->scenario_count;
        st = sb__yget_string(c, k, "a scenario's key", SB_NAME_MAX, 1,
                            cal->scenario_key[s]);
        if (st == SB_OK)
            st = load_scenario(c, map->kids[i + 1], cal->scenario_key[s],
                               &cal->scenario[s]);
        if (st != SB_OK)
            return st;
        cal->scenario_count++;
    }
    return SB_OK;
}

static sb_status read_prior(const sb__yctx *c, const sb__ynode *key,
                            const sb__ynode *map, sb_fit_param *fp)
{
    char name[SB_NAME_MAX];
    sb_status st = sb__yget_string(c, key, "a parameter's name", SB_NAME_MAX, 1,
                                  name);
    if (st != SB_OK)
        return st;
    const sb_param_info *info = sb_params_find(name);
    if (!info)
        return sb__yfail(c, SB_ERR_NOTFOUND, key,
                        "parameters: the model has no parameter '%s' "
                        "('securebase params' lists them)",
                        name);
    if (is_definition(name) || info->whole)
        return sb__yfail(c, SB_ERR_INVALID, key,
                        "parameters: %s defines what the summaries count; "
                        "it is not a model constant to fit",
                        name);
    char where[SB_NAME_MAX + 16];
    snprintf(where, sizeof where, "parameters.%s", name);
    if ((st = sb__yexpect(c, map, SB_YNODE_MAP, where)) != SB_OK)
        return st;
    static const char *const keys[] = {"prior", "min", "max", "mean", "sd",
                                       "mu", "sigma", NULL};
    if ((st = known_keys(c, map, keys, where)) != SB_OK)
        return st;
    int kind;
    char path[SB_NAME_MAX + 32];
    snprintf(path, sizeof path, "%s.prior", where);
    const sb__ynode *pk = sb__ymap_get(map, "prior", NULL);
    if (!pk)
        return sb__yfail(c, SB_ERR_INVALID, map,
                        "%s: give a prior (uniform, normal or lognormal)",
                        where);
    if ((st = sb__yget_enum(c, pk, path, prior_names, &kind)) != SB_OK)
        return st;
    fp->info = info;
    sb_prior *p = &fp->prior;
    p->kind = (sb_prior_kind)kind;
    p->lo = info->min;
    p->hi = info->max;
    /* The keys a kind takes: its two numbers, and optional bounds. */
    const char *first = kind == SB_PRIOR_UNIFORM  ? "min"
                        : kind == SB_PRIOR_NORMAL ? "mean" : "mu";
    const char *second = kind == SB_PRIOR_UNIFORM  ? "max"
                         : kind == SB_PRIOR_NORMAL ? "sd" : "sigma";
    static const char *const all[] = {"mean", "sd", "mu", "sigma"};
    for (size_t i = 0; i < 4; i++) {
        const sb__ynode *kn;
        if (sb__ymap_get(map, all[i], &kn) && strcmp(all[i], first) &&
            strcmp(all[i], second))
            return sb__yfail(c, SB_ERR_INVALID, kn,
                            "%s: '%s' does not go with a %s prior (it takes "
                            "%s and %s%s)",
                            where, all[i], prior_names[kind], first, second,
                            kind == SB_PRIOR_UNIFORM ? "" : ", and optionally min and max");
    }
    double bound[2] = {info->min, info->max};
    static const char *const bound_names[2] = {"min", "max"};
    for (int b = 0; b < 2; b++) {
        const sb__ynode *v = sb__ymap_get(map, bound_names[b], NULL);
        snprintf(path, sizeof path, "%s.%s", where, bound_names[b]);
        if (v && (st = sb__yget_double(c, v, path, info->min, info->max,
                                      &bound[b])) != SB_OK)
            return st;
    }
    if (!(bound[0] < bound[1]))
        return sb__yfail(c, SB_ERR_INVALID, map,
                        "%s: min (%g) must be below max (%g)", where, bound[0],
                        bound[1]);
    p->lo = bound[0];
    p->hi = bound[1];
    if (kind == SB_PRIOR_UNIFORM) {
        p->a = p->lo;
        p->b = p->hi;
    } else {
        const char *names[2] = {first, second};
        double *dst[2] = {&p->a, &p->b};
        for (int i = 0; i < 2; i++) {
            const sb__ynode *v = sb__ymap_get(map, names[i], NULL);
            snprintf(path, sizeof path, "%s.%s", where, names[i]);
            if (!v)
                return sb__yfail(c, SB_ERR_INVALID, map,
                                "%s: a %s prior needs %s and %s", where,
                                prior_names[kind], first, second);
            if ((st = sb__yget_double(c, v, path, -1e6, 1e6, dst[i])) != SB_OK)
                return st;
        }
    }
    sb_error inner;
    if (sb_prior_check(p, name, &inner) != SB_OK)
        return sb__yfail(c, SB_ERR_INVALID, map, "%s", inner.message);
    return SB_OK;
}

static sb_status read_parameters(const sb__yctx *c, const sb__ynode *map,
                                 sb_calibration *cal)
{
    sb_status st = sb__yexpect(c, map, SB_YNODE_MAP, "parameters");
    if (st != SB_OK)
        return st;
    if (map->count == 0 || map->count / 2 > SB_FIT_MAX_PARAMS)
        return sb__yfail(c, SB_ERR_INVALID, map,
                        "parameters: %zu given; allowed 1..%d",
                        map->count / 2, SB_FIT_MAX_PARAMS);
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        st = read_prior(c, map->kids[i], map->kids[i + 1],
                        &cal->param[cal->param_count]);
        if (st != SB_OK)
            return st;
        cal->param_count++;
    }
    return SB_OK;
}

/* Reads an optional enum or whole number of a target into *out. */
static sb_status target_int(const sb__yctx *c, const sb__ynode *t,
                            const char *key, const char *where, int min,
                            int max, int *out)
{
    const sb__ynode *v = sb__ymap_get(t, key, NULL);
    if (!v)
        return SB_OK;
    char path[SB_NAME_MAX + 48];
    snprintf(path, sizeof path, "%s.%s", where, key);
    return sb__yget_int(c, v, path, min, max, out);
}

static sb_status target_enum(const sb__yctx *c, const sb__ynode *t,
                             const char *key, const char *where,
                             const char *const *names, int *out)
{
    const sb__ynode *v = sb__ymap_get(t, key, NULL);
    if (!v)
        return SB_OK;
    char path[SB_NAME_MAX + 48];
    snprintf(path, sizeof path, "%s.%s", where, key);
    return sb__yget_enum(c, v, path, names, out);
}

/* The last week a target reads, for the range check. */
static int last_week(const sb_target *t)
{
    switch (t->statistic) {
    case SB_STAT_RETEST_R:
    case SB_STAT_CATEGORY_STABILITY:
        return t->from + t->lag;
    case SB_STAT_EVENT_RESPONSE:
        return t->week + (t->relative_lag > t->lag ? t->relative_lag : t->lag);
    default:
        return t->week > t->from ? t->week : t->from;
    }
}

/* The scenario that `key` of target `node` names, as an index. */
static sb_status scenario_key(const sb__yctx *c, const sb__ynode *node,
                              const char *key, const char *where,
                              const sb_calibration *cal, size_t *out)
{
    char name[SB_NAME_MAX], path[SB_NAME_MAX + 48];
    const sb__ynode *v = sb__ymap_get(node, key, NULL);
    snprintf(path, sizeof path, "%s.%s", where, key);
    sb_status st = sb__yget_string(c, v, path, SB_NAME_MAX, 1, name);
    if (st != SB_OK)
        return st;
    size_t s = 0;
    while (s < cal->scenario_count && strcmp(cal->scenario_key[s], name))
        s++;
    if (s == cal->scenario_count)
        return sb__yfail(c, SB_ERR_NOTFOUND, v,
                        "%s: no scenario '%s' under scenarios:", where, name);
    *out = s;
    return SB_OK;
}

/* Refuses a target that reads scenario `s` beyond the weeks it runs. */
static sb_status long_enough(const sb__yctx *c, const sb__ynode *node,
                             const char *where, const sb_calibration *cal,
                             const sb_target *t, size_t s)
{
    int weeks = sb_scenario_weeks(&cal->scenario[s]);
    if (last_week(t) > weeks)
        return sb__yfail(c, SB_ERR_INVALID, node,
                        "%s: reads week %d, but scenario '%s' runs %d weeks",
                        where, last_week(t), cal->scenario_key[s], weeks);
    return SB_OK;
}

static sb_status read_target(const sb__yctx *c, const sb__ynode *node,
                             size_t index, sb_calibration *cal)
{
    char where[SB_NAME_MAX + 32];
    snprintf(where, sizeof where, "targets[%zu]", index);
    sb_status st = sb__yexpect(c, node, SB_YNODE_MAP, where);
    if (st != SB_OK)
        return st;
    static const char *const keys[] = {
        "id", "fact", "statistic", "scenario", "week", "from", "lag",
        "session", "dimension", "scores", "group", "threshold", "versus",
        "relative_lag", "value", "sd", "source", "use", NULL};
    if ((st = known_keys(c, node, keys, where)) != SB_OK)
        return st;
    static const char *const required[] = {"id", "statistic", "scenario",
                                           "value", "sd", "source", "use"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!sb__ymap_get(node, required[i], NULL))
            return sb__yfail(c, SB_ERR_INVALID, node, "%s: give %s", where,
                            required[i]);
    sb_target *t = &cal->target[cal->target_count];
    memset(t, 0, sizeof *t);
    t->scores = SB_SCORES_TRUE;
    t->threshold = 0.25;
    if ((st = sb__yget_string(c, sb__ymap_get(node, "id", NULL), "id",
                             SB_NAME_MAX, 1, t->id)) != SB_OK)
        return st;
    snprintf(where, sizeof where, "target '%s'", t->id);
    for (size_t i = 0; i < cal->target_count; i++)
        if (!strcmp(cal->target[i].id, t->id))
            return sb__yfail(c, SB_ERR_INVALID, sb__ymap_get(node, "id", NULL),
                            "%s: the id is used twice", where);
    const sb__ynode *v = sb__ymap_get(node, "fact", NULL);
    if (v && (st = sb__yget_string(c, v, "fact", sizeof t->fact, 1, t->fact)))
        return st;
    int stat = 0, use = 0, dim = -1, scores = -1, group = 0;
    if ((st = target_enum(c, node, "statistic", where, stat_names, &stat)) ||
        (st = target_enum(c, node, "use", where, use_names, &use)))
        return st;
    t->statistic = (sb_statistic)stat;
    t->fitted = use;
    /* The keys that go with this statistic, and those it needs. */
    for (size_t b = 0; b < STAT_KEYS; b++) {
        const sb__ynode *kn;
        int given = sb__ymap_get(node, stat_key_names[b], &kn) != NULL;
        if (given && !(stat_keys[stat] & (1u << b)))
            return sb__yfail(c, SB_ERR_INVALID, kn,
                            "%s: '%s' does not apply to %s", where,
                            stat_key_names[b], stat_names[stat]);
        if (!given && (stat_required[stat] & (1u << b)))
            return sb__yfail(c, SB_ERR_INVALID, node, "%s: %s needs '%s'",
                            where, stat_names[stat], stat_key_names[b]);
    }
    if ((st = target_int(c, node, "week", where, 0, 4160, &t->week)) ||
        (st = target_int(c, node, "from", where, 0, 4160, &t->from)) ||
        (st = target_int(c, node, "lag", where, 1, 4160, &t->lag)) ||
        (st = target_int(c, node, "session", where, 1, SB_SIM_MAX_DOSE,
                         &t->session)) ||
        (st = target_int(c, node, "relative_lag", where, 1, 4160,
                         &t->relative_lag)) ||
        (st = target_enum(c, node, "dimension", where, dim_names, &dim)) ||
        (st = target_enum(c, node, "scores", where, score_names, &scores)) ||
        (st = target_enum(c, node, "group", where, group_names, &group)))
        return st;
    t->dimension = dim < 0 ? SB_DIM_ANXIETY : (sb_stat_dimension)dim;
    /* Retest correlations and stability are about questionnaires: observed
     * scores unless the file says otherwise; shares secure about people. */
    if (scores < 0)
        scores = stat == SB_STAT_RETEST_R ? SB_SCORES_OBSERVED : SB_SCORES_TRUE;
    t->scores = (sb_stat_scores)scores;
    if (stat == SB_STAT_CATEGORY_STABILITY)
        t->scores = SB_SCORES_OBSERVED;
    t->group = (sb_stat_group)group;
    char path[SB_NAME_MAX + 48];
    if ((v = sb__ymap_get(node, "threshold", NULL))) {
        snprintf(path, sizeof path, "%s.threshold", where);
        if ((st = sb__yget_double(c, v, path, 0, 6, &t->threshold)))
            return st;
    }
    snprintf(path, sizeof path, "%s.value", where);
    if ((st = sb__yget_double(c, sb__ymap_get(node, "value", NULL), path, -1e6,
                             1e6, &t->value)))
        return st;
    snprintf(path, sizeof path, "%s.sd", where);
    if ((st = sb__yget_double(c, sb__ymap_get(node, "sd", NULL), path, 1e-9, 1e6,
                             &t->sd)))
        return st;
    snprintf(path, sizeof path, "%s.source", where);
    if ((st = sb__yget_string(c, sb__ymap_get(node, "source", NULL), path,
                             sizeof t->source, 0, t->source)))
        return st;
    if (!t->source[0])
        return sb__yfail(c, SB_ERR_INVALID, sb__ymap_get(node, "source", NULL),
                        "%s: the source is empty; name the study, or say "
                        "'assumption'",
                        where);
    size_t s;
    if ((st = scenario_key(c, node, "scenario", where, cal, &s)))
        return st;
    t->scenario = s;
    if ((st = long_enough(c, node, where, cal, t, s)))
        return st;
    if (sb__ymap_get(node, "versus", &v)) {
        if ((st = scenario_key(c, node, "versus", where, cal, &t->versus)))
            return st;
        if (t->versus == s)
            return sb__yfail(c, SB_ERR_INVALID, v,
                            "%s: versus names the target's own scenario; "
                            "name the one without the event",
                            where);
        t->has_versus = 1;
        if ((st = long_enough(c, node, where, cal, t, t->versus)))
            return st;
    }
    if (stat == SB_STAT_SHARE_IMPROVED &&
        cal->scenario[s].therapy.sessions_per_week <= 0)
        return sb__yfail(c, SB_ERR_INVALID, node,
                        "%s: share_improved counts therapy sessions, and "
                        "scenario '%s' has no therapy",
                        where, cal->scenario_key[s]);
    cal->target_count++;
    return SB_OK;
}

/* Distinct weeks that the targets on scenario `s` read from snapshots. */
static size_t snapshot_weeks(const sb_calibration *cal, size_t s, int *weeks,
                             size_t cap);

static sb_status read_targets(const sb__yctx *c, const sb__ynode *list,
                              sb_calibration *cal)
{
    sb_status st = sb__yexpect(c, list, SB_YNODE_SEQ, "targets");
    if (st != SB_OK)
        return st;
    if (list->count == 0 || list->count > SB_FIT_MAX_TARGETS)
        return sb__yfail(c, SB_ERR_INVALID, list,
                        "targets: %zu given; allowed 1..%d", list->count,
                        SB_FIT_MAX_TARGETS);
    for (size_t i = 0; i < list->count; i++)
        if ((st = read_target(c, list->kids[i], i, cal)) != SB_OK)
            return st;
    size_t fitted = 0;
    for (size_t i = 0; i < cal->target_count; i++)
        fitted += cal->target[i].fitted;
    if (!fitted)
        return sb__yfail(c, SB_ERR_INVALID, list,
                        "targets: none has 'use: fit'; a calibration needs "
                        "at least one fitted target");
    for (size_t s = 0; s < cal->scenario_count; s++) {
        int weeks[SB_FIT_MAX_TARGETS * 2];
        size_t n = snapshot_weeks(cal, s, weeks, SB_FIT_MAX_TARGETS * 2);
        if (n > SB_SIM_MAX_SNAPSHOTS)
            return sb__yfail(c, SB_ERR_INVALID, list,
                            "targets: scenario '%s' is read at %zu different "
                            "weeks; at most %d",
                            cal->scenario_key[s], n, SB_SIM_MAX_SNAPSHOTS);
    }
    return SB_OK;
}

static sb_status load_tree(const sb__yctx *c, const sb__ynode *root,
                           sb_calibration *cal)
{
    sb_status st = sb__yexpect(c, root, SB_YNODE_MAP, "the calibration file");
    if (st != SB_OK)
        return st;
    static const char *const keys[] = {"name", "description", "persons",
                                       "scenarios", "parameters", "targets",
                                       NULL};
    if ((st = known_keys(c, root, keys, "the calibration file")) != SB_OK)
        return st;
    static const char *const required[] = {"name", "scenarios", "parameters",
                                           "targets"};
    for (size_t i = 0; i < 4; i++)
        if (!sb__ymap_get(root, required[i], NULL))
            return sb__yfail(c, SB_ERR_INVALID, root,
                            "the calibration file needs '%s:'", required[i]);
    const sb__ynode *v;
    if ((st = sb__yget_string(c, sb__ymap_get(root, "name", NULL), "name",
                             SB_NAME_MAX, 1, cal->name)))
        return st;
    if ((v = sb__ymap_get(root, "description", NULL)) &&
        (st = sb__yget_string(c, v, "description", SB_TEXT_MAX, 0,
                             cal->description)))
        return st;
    cal->persons = DEFAULT_PERSONS;
    if ((v = sb__ymap_get(root, "persons", NULL))) {
        int persons;
        if ((st = sb__yget_int(c, v, "persons", 10, 10000000, &persons)))
            return st;
        cal->persons = (size_t)persons;
    }
    if ((st = read_scenarios(c, sb__ymap_get(root, "scenarios", NULL), cal)) ||
        (st = read_parameters(c, sb__ymap_get(root, "parameters", NULL), cal)))
        return st;
    return read_targets(c, sb__ymap_get(root, "targets", NULL), cal);
}

/* A calibration file holds scenarios written in place, two levels below
 * its top: their nesting, and up to the most scenarios of scenario size. */
static const sb__ytree_limits yaml_limits = {
    "a calibration file", SB_FIT_FILE_MAX_BYTES, SB_SCENARIO_MAX_NESTING + 2,
    SB_SCENARIO_MAX_NODES};

sb_status sb_calibration_load_text(const char *text, size_t len,
                                   const char *origin, sb_calibration **out,
                                   sb_error *err)
{
    *out = NULL;
    if (!origin || !origin[0])
        origin = "<text>";
    if (len > SB_FIT_FILE_MAX_BYTES)
        return sb_error_set(err, SB_ERR_INVALID, origin, 0, 0,
                            "%zu bytes is too large; a calibration file may "
                            "have at most %d bytes",
                            len, SB_FIT_FILE_MAX_BYTES);
    sb_calibration *cal = calloc(1, sizeof *cal);
    if (!cal)
        return sb_error_set(err, SB_ERR_NOMEM, origin, 0, 0, "out of memory");
    snprintf(cal->origin, sizeof cal->origin, "%s", origin);
    sb__ynode *root;
    sb_status st =
        sb__ytree_parse(text, len, origin, &yaml_limits, &root, err);
    if (st == SB_OK) {
        const sb__yctx c = {cal->origin, err};
        st = load_tree(&c, root, cal);
        sb__ytree_free(root);
    }
    if (st != SB_OK) {
        free(cal);
        return st;
    }
    *out = cal;
    return SB_OK;
}

const char *sb_calibration_builtin_text(const char *name)
{
    if (!name || strlen(name) >= SB_NAME_MAX ||
        !sb__text_is_name(name, strlen(name)))
        return NULL;
    char path[SB_NAME_MAX + 32];
    snprintf(path, sizeof path, "calibrations/%s.yaml", name);
    const sb__builtin_file *f = sb__builtin_find(path);
    return f ? f->data : NULL;
}

sb_status sb_calibration_load(const char *name_or_path, sb_calibration **out,
                              sb_error *err)
{
    *out = NULL;
    const char *text = sb_calibration_builtin_text(name_or_path);
    if (text && !strchr(name_or_path, '/'))
        return sb_calibration_load_text(text, strlen(text), name_or_path, out,
                                        err);
    char *data;
    size_t len;
    sb_status st = sb_read_file_max(name_or_path, SB_FIT_FILE_MAX_BYTES, &data,
                                    &len, err);
    if (st == SB_ERR_INVALID)
        sb_error_set(err, st, name_or_path, 0, 0,
                     "the file is larger than %d bytes, the most a "
                     "calibration file may have",
                     SB_FIT_FILE_MAX_BYTES);
    if (st != SB_OK)
        return st;
    st = sb_calibration_load_text(data, len, name_or_path, out, err);
    free(data);
    return st;
}

sb_status sb_calibration_select(sb_calibration *cal, const char *names,
                                sb_error *err)
{
    sb_fit_param keep[SB_FIT_MAX_PARAMS];
    size_t n = 0;
    const char *p = names;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        size_t i = 0;
        while (i < cal->param_count &&
               !(strlen(cal->param[i].info->name) == len &&
                 !strncmp(cal->param[i].info->name, p, len)))
            i++;
        if (len == 0 || i == cal->param_count)
            return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                                "--params: '%.*s' has no prior in %s; give "
                                "it one under parameters: there",
                                (int)(len > 64 ? 64 : len), p, cal->origin);
        for (size_t k = 0; k < n; k++)
            if (keep[k].info == cal->param[i].info)
                return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                    "--params: '%s' is named twice",
                                    keep[k].info->name);
        keep[n++] = cal->param[i];
        p += len;
        if (*p == ',')
            p++;
        if (comma && !*p)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "--params: a name is missing after the last "
                                "comma");
    }
    if (!n)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "--params: name at least one parameter");
    memcpy(cal->param, keep, n * sizeof keep[0]);
    cal->param_count = n;
    return SB_OK;
}

static size_t add_week(int *weeks, size_t n, size_t cap, int w)
{
    for (size_t i = 0; i < n; i++)
        if (weeks[i] == w)
            return n;
    if (n < cap)
        weeks[n++] = w;
    return n;
}

static size_t snapshot_weeks(const sb_calibration *cal, size_t s, int *weeks,
                             size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < cal->target_count; i++) {
        const sb_target *t = &cal->target[i];
        if (t->scenario != s)
            continue;
        switch (t->statistic) {
        case SB_STAT_SHARE_SECURE:
            if (t->scores == SB_SCORES_OBSERVED)
                n = add_week(weeks, n, cap, t->week);
            break;
        case SB_STAT_RETEST_R:
        case SB_STAT_CATEGORY_STABILITY:
            n = add_week(weeks, n, cap, t->from);
            n = add_week(weeks, n, cap, t->from + t->lag);
            break;
        case SB_STAT_CHANGE:
        case SB_STAT_COHENS_D:
            n = add_week(weeks, n, cap, t->from);
            n = add_week(weeks, n, cap, t->week);
            break;
        default:
            break;
        }
    }
    return n;
}

void sb__calibration_options(const sb_calibration *cal, size_t s,
                             sb_sim_options *opt)
{
    opt->snapshot_count =
        snapshot_weeks(cal, s, opt->snapshot_weeks, SB_SIM_MAX_SNAPSHOTS);
    opt->dose_sessions = 0;
    int needed = 1;
    for (size_t i = 0; i < cal->target_count; i++) {
        const sb_target *t = &cal->target[i];
        if (t->has_versus && t->versus == s && last_week(t) > needed)
            needed = last_week(t);
        if (t->scenario != s)
            continue;
        int w = last_week(t);
        /* Sessions, and sudden changes, are counted over the therapy
         * course: the run must reach its end. */
        if (t->statistic == SB_STAT_SHARE_IMPROVED ||
            t->statistic == SB_STAT_SUDDEN_GAIN_SHARE ||
            t->statistic == SB_STAT_SUDDEN_LOSS_SHARE)
            w = sb_scenario_therapy_end(&cal->scenario[s]);
        if (t->statistic == SB_STAT_SHARE_IMPROVED &&
            t->session > opt->dose_sessions)
            opt->dose_sessions = t->session;
        if (w > needed)
            needed = w;
    }
    /* Weeks after the last one read change none of the figures read. */
    opt->weeks = needed;
}
